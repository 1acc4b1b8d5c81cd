#pragma once

#include "vkcontext.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace quire::inference::vk
{

// A storage buffer on the device. Host-visible memory is mapped directly (integrated GPUs, lavapipe);
// otherwise uploads and downloads go through a staging buffer.
class Buffer
{
public:
    Buffer(Context &context, std::size_t bytes);
    Buffer(Buffer &&) = default;

    std::size_t size() const { return m_size; } // the size asked for, rounded up to 16 bytes
    const ::vk::raii::Buffer &buffer() const { return m_buffer; }
    bool isHostVisible() const { return m_mapped != nullptr; }

    void upload(const void *data, std::size_t bytes, std::size_t offset = 0);
    void download(void *data, std::size_t bytes, std::size_t offset = 0) const;
    template <typename T> void upload(std::span<const T> data, std::size_t offset = 0)
    {
        upload(data.data(), data.size_bytes(), offset);
    }
    template <typename T> void download(std::span<T> data, std::size_t offset = 0) const
    {
        download(data.data(), data.size_bytes(), offset);
    }

private:
    void copy(const ::vk::raii::Buffer &from,
        const ::vk::raii::Buffer &to,
        std::size_t fromOffset,
        std::size_t toOffset,
        std::size_t bytes) const;

    Context *m_context;
    std::size_t m_size;
    ::vk::raii::Buffer m_buffer { nullptr };
    ::vk::raii::DeviceMemory m_memory { nullptr };
    void *m_mapped = nullptr;
};

} // namespace quire::inference::vk
