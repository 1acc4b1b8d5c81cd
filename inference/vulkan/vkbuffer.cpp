#include "vkbuffer.h"

#include <cstring>

namespace quire::inference::vk
{

namespace
{

struct Staging {
    ::vk::raii::Buffer buffer;
    ::vk::raii::DeviceMemory memory;
};

Staging allocateStaging(Context &context, std::size_t bytes, ::vk::BufferUsageFlags usage)
{
    ::vk::raii::Buffer buffer(context.device(), ::vk::BufferCreateInfo({}, bytes, usage));
    const auto requirements = buffer.getMemoryRequirements();
    using F = ::vk::MemoryPropertyFlagBits;
    const ::vk::MemoryPropertyFlags host = F::eHostVisible | F::eHostCoherent;
    const std::uint32_t type = context.memoryType(requirements.memoryTypeBits, host | F::eHostCached, host);
    ::vk::raii::DeviceMemory memory(context.device(), ::vk::MemoryAllocateInfo(requirements.size, type));
    buffer.bindMemory(*memory, 0);
    return { std::move(buffer), std::move(memory) };
}

} // namespace

Buffer::Buffer(Context &context, std::size_t bytes)
    : m_context(&context)
    , m_size((bytes + 15) / 16 * 16) // shaders read whole words and vec4s: never end mid-word
{
    using U = ::vk::BufferUsageFlagBits;
    const auto usage = U::eStorageBuffer | U::eTransferSrc | U::eTransferDst;
    ::vk::raii::Buffer buffer(context.device(), ::vk::BufferCreateInfo({}, m_size ? m_size : 16, usage));
    const auto requirements = buffer.getMemoryRequirements();
    using F = ::vk::MemoryPropertyFlagBits;
    const ::vk::MemoryPropertyFlags shared = F::eDeviceLocal | F::eHostVisible | F::eHostCoherent;
    const std::uint32_t type = context.memoryType(requirements.memoryTypeBits, shared, F::eDeviceLocal);
    m_memory = ::vk::raii::DeviceMemory(context.device(), ::vk::MemoryAllocateInfo(requirements.size, type));
    buffer.bindMemory(*m_memory, 0);
    m_buffer = std::move(buffer);
    try {
        if (context.memoryType(requirements.memoryTypeBits, shared, shared) == type)
            m_mapped = m_memory.mapMemory(0, VK_WHOLE_SIZE);
    } catch (const ::vk::SystemError &) {
        m_mapped = nullptr; // the shared type does not exist: staging it is
    } catch (const std::runtime_error &) {
        m_mapped = nullptr;
    }
}

void Buffer::upload(const void *data, std::size_t bytes, std::size_t offset)
{
    if (m_mapped) {
        std::memcpy(static_cast<char *>(m_mapped) + offset, data, bytes);
        return;
    }
    Staging staging = allocateStaging(*m_context, bytes, ::vk::BufferUsageFlagBits::eTransferSrc);
    void *p = staging.memory.mapMemory(0, VK_WHOLE_SIZE);
    std::memcpy(p, data, bytes);
    staging.memory.unmapMemory();
    copy(staging.buffer, m_buffer, 0, offset, bytes);
}

void Buffer::download(void *data, std::size_t bytes, std::size_t offset) const
{
    if (m_mapped) {
        std::memcpy(data, static_cast<const char *>(m_mapped) + offset, bytes);
        return;
    }
    Staging staging = allocateStaging(*m_context, bytes, ::vk::BufferUsageFlagBits::eTransferDst);
    copy(m_buffer, staging.buffer, offset, 0, bytes);
    const void *p = staging.memory.mapMemory(0, VK_WHOLE_SIZE);
    std::memcpy(data, p, bytes);
    staging.memory.unmapMemory();
}

void Buffer::copy(const ::vk::raii::Buffer &from,
    const ::vk::raii::Buffer &to,
    std::size_t fromOffset,
    std::size_t toOffset,
    std::size_t bytes) const
{
    const auto &device = m_context->device();
    ::vk::raii::CommandBuffers buffers(
        device, ::vk::CommandBufferAllocateInfo(*m_context->commandPool(), ::vk::CommandBufferLevel::ePrimary, 1));
    ::vk::raii::CommandBuffer &cmd = buffers[0];
    cmd.begin(::vk::CommandBufferBeginInfo(::vk::CommandBufferUsageFlagBits::eOneTimeSubmit));
    cmd.copyBuffer(*from, *to, ::vk::BufferCopy(fromOffset, toOffset, bytes));
    cmd.end();
    ::vk::raii::Fence fence(device, ::vk::FenceCreateInfo());
    const ::vk::CommandBuffer raw = *cmd;
    m_context->queue().submit(::vk::SubmitInfo({}, {}, raw), *fence);
    (void)device.waitForFences(*fence, true, UINT64_MAX);
}

} // namespace quire::inference::vk
