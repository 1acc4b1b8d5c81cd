#include "vksequence.h"

#include <stdexcept>

namespace quire::inference::vk
{

Sequence::Sequence(Context &context, std::uint32_t maxDispatches)
    : m_context(context)
    , m_max(maxDispatches)
{
    const ::vk::DescriptorPoolSize size(::vk::DescriptorType::eStorageBuffer, maxDispatches * 5);
    m_pool = ::vk::raii::DescriptorPool(context.device(),
        ::vk::DescriptorPoolCreateInfo(::vk::DescriptorPoolCreateFlagBits::eFreeDescriptorSet, maxDispatches, size));
    m_commands = ::vk::raii::CommandBuffers(context.device(),
        ::vk::CommandBufferAllocateInfo(*context.commandPool(), ::vk::CommandBufferLevel::ePrimary, 1));
    m_fence = ::vk::raii::Fence(context.device(), ::vk::FenceCreateInfo());
    if (context.isProfiling())
        m_queries = ::vk::raii::QueryPool(
            context.device(), ::vk::QueryPoolCreateInfo({}, ::vk::QueryType::eTimestamp, maxDispatches * 2 + 1));
}

void Sequence::begin()
{
    m_sets.clear();
    m_pool.reset();
    m_count = 0;
    m_commands[0].reset();
    m_commands[0].begin(::vk::CommandBufferBeginInfo(::vk::CommandBufferUsageFlagBits::eOneTimeSubmit));
    m_names.clear();
    if (*m_queries) {
        m_commands[0].resetQueryPool(*m_queries, 0, m_max * 2 + 1);
        timestamp({});
    }
}

void Sequence::timestamp(const std::string &name)
{
    if (!*m_queries)
        return;
    m_commands[0].writeTimestamp(
        ::vk::PipelineStageFlagBits::eBottomOfPipe, *m_queries, static_cast<std::uint32_t>(m_names.size()));
    m_names.push_back(name);
}

void Sequence::dispatch(Pipeline &pipeline,
    const std::vector<Binding> &bindings,
    const void *pushConstants,
    std::size_t pushBytes,
    std::uint32_t groupsX,
    std::uint32_t groupsY,
    std::uint32_t groupsZ)
{
    if (m_count >= m_max)
        throw std::runtime_error("too many dispatches in one sequence");
    if (bindings.size() != pipeline.bindings())
        throw std::runtime_error(
            "pipeline " + pipeline.name() + " takes " + std::to_string(pipeline.bindings()) + " buffers");
    if (pushBytes > Pipeline::PushConstantBytes)
        throw std::runtime_error("push constants too large");
    const ::vk::DescriptorSetLayout layout = *pipeline.setLayout();
    ::vk::raii::DescriptorSets sets(m_context.device(), ::vk::DescriptorSetAllocateInfo(*m_pool, layout));
    std::vector<::vk::DescriptorBufferInfo> infos;
    infos.reserve(bindings.size());
    for (const Binding &b : bindings)
        infos.emplace_back(*b.buffer->buffer(), b.offset, b.range ? b.range : VK_WHOLE_SIZE);
    std::vector<::vk::WriteDescriptorSet> writes;
    for (std::uint32_t i = 0; i < infos.size(); ++i)
        writes.emplace_back(*sets[0], i, 0, 1, ::vk::DescriptorType::eStorageBuffer, nullptr, &infos[i]);
    m_context.device().updateDescriptorSets(writes, {});

    // Fold an x count beyond the limit into y; shaders compute x + y * groupsX.
    const std::uint32_t limit = m_context.info().maxWorkgroupCount[0];
    if (groupsX > limit && groupsY == 1) {
        groupsY = (groupsX + limit - 1) / limit;
        groupsX = limit;
    }
    auto &cmd = m_commands[0];
    cmd.bindPipeline(::vk::PipelineBindPoint::eCompute, *pipeline.pipeline());
    cmd.bindDescriptorSets(::vk::PipelineBindPoint::eCompute, *pipeline.layout(), 0, *sets[0], {});
    if (pushBytes > 0)
        cmd.pushConstants<std::uint8_t>(*pipeline.layout(),
            ::vk::ShaderStageFlagBits::eCompute,
            0,
            ::vk::ArrayProxy<const std::uint8_t>(
                static_cast<std::uint32_t>(pushBytes), static_cast<const std::uint8_t *>(pushConstants)));
    cmd.dispatch(groupsX, groupsY, groupsZ);
    timestamp(pipeline.name());
    barrier();
    m_sets.push_back(std::move(sets[0]));
    ++m_count;
}

void Sequence::barrier()
{
    // Every command may read what the previous one wrote.
    const ::vk::MemoryBarrier memoryBarrier(::vk::AccessFlagBits::eShaderWrite | ::vk::AccessFlagBits::eTransferWrite,
        ::vk::AccessFlagBits::eShaderRead | ::vk::AccessFlagBits::eShaderWrite | ::vk::AccessFlagBits::eTransferRead
            | ::vk::AccessFlagBits::eTransferWrite);
    m_commands[0].pipelineBarrier(::vk::PipelineStageFlagBits::eComputeShader | ::vk::PipelineStageFlagBits::eTransfer,
        ::vk::PipelineStageFlagBits::eComputeShader | ::vk::PipelineStageFlagBits::eTransfer,
        {},
        memoryBarrier,
        {},
        {});
}

void Sequence::copy(const Buffer &from, std::size_t fromOffset, Buffer &to, std::size_t toOffset, std::size_t bytes)
{
    m_commands[0].copyBuffer(*from.buffer(), *to.buffer(), ::vk::BufferCopy(fromOffset, toOffset, bytes));
    timestamp("copy");
    barrier();
}

void Sequence::submitAndWait()
{
    m_commands[0].end();
    m_context.device().resetFences(*m_fence);
    const ::vk::CommandBuffer raw = *m_commands[0];
    m_context.queue().submit(::vk::SubmitInfo({}, {}, raw), *m_fence);
    if (m_context.device().waitForFences(*m_fence, true, UINT64_MAX) != ::vk::Result::eSuccess)
        throw std::runtime_error("Vulkan fence wait failed");
    if (*m_queries && m_names.size() > 1) {
        const auto n = static_cast<std::uint32_t>(m_names.size());
        const auto [result, ticks] = m_queries.getResults<std::uint64_t>(
            0, n, n * sizeof(std::uint64_t), sizeof(std::uint64_t), ::vk::QueryResultFlagBits::e64);
        for (std::uint32_t i = 1; result == ::vk::Result::eSuccess && i < n; ++i)
            m_context.addProfile(m_names[i], double(ticks[i] - ticks[i - 1]) * m_context.info().timestampPeriod);
    }
}

} // namespace quire::inference::vk
