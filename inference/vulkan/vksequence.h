#pragma once

#include "vkbuffer.h"
#include "vkpipeline.h"

#include <cstdint>
#include <string>
#include <vector>

namespace quire::inference::vk
{

// A range of a buffer bound to one binding of a dispatch. Ranges must stay within the device's
// maxStorageBufferRange: callers split larger tensors (lavapipe does not enforce it; GPUs do).
struct Binding {
    const Buffer *buffer = nullptr;
    std::size_t offset = 0;
    std::size_t range = 0; // 0: to the end of the buffer

    Binding(const Buffer &b) // NOLINT(google-explicit-constructor): a whole buffer binds naturally
        : buffer(&b)
    {
    }
    Binding(const Buffer &b, std::size_t off, std::size_t r)
        : buffer(&b)
        , offset(off)
        , range(r)
    {
    }
};

// Records dispatches into one command buffer, with a compute barrier between them, then submits
// and waits. Reusable: begin() starts over.
class Sequence
{
public:
    explicit Sequence(Context &context, std::uint32_t maxDispatches = 4096);

    void begin();
    // groups are workgroup counts; x beyond the device limit is folded into y (shaders handle x + y * nx).
    void dispatch(Pipeline &pipeline,
        const std::vector<Binding> &bindings,
        const void *pushConstants,
        std::size_t pushBytes,
        std::uint32_t groupsX,
        std::uint32_t groupsY = 1,
        std::uint32_t groupsZ = 1);
    template <typename P>
    void dispatch(Pipeline &pipeline,
        const std::vector<Binding> &bindings,
        const P &push,
        std::uint32_t x,
        std::uint32_t y = 1,
        std::uint32_t z = 1)
    {
        dispatch(pipeline, bindings, &push, sizeof(P), x, y, z);
    }
    // Copies bytes between buffers, ordered with the dispatches around it.
    void copy(const Buffer &from, std::size_t fromOffset, Buffer &to, std::size_t toOffset, std::size_t bytes);
    void submitAndWait();
    std::uint32_t dispatches() const { return m_count; }

private:
    void barrier();
    void timestamp(const std::string &name);

    Context &m_context;
    std::uint32_t m_max;
    std::uint32_t m_count = 0;
    ::vk::raii::DescriptorPool m_pool { nullptr };
    ::vk::raii::CommandBuffers m_commands { nullptr };
    ::vk::raii::Fence m_fence { nullptr };
    std::vector<::vk::raii::DescriptorSet> m_sets;
    // QUIRE_VK_PROFILE: a timestamp after every command, summed per pipeline into Context::profile().
    ::vk::raii::QueryPool m_queries { nullptr };
    std::vector<std::string> m_names;
};

} // namespace quire::inference::vk
