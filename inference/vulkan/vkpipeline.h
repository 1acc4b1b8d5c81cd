#pragma once

#include "vkcontext.h"

#include <cstdint>
#include <string>
#include <vector>

namespace quire::inference::vk
{

// A compute pipeline: shader module, descriptor set layout (storage buffers at bindings 0..n-1),
// a 128-byte push-constant block and specialization constants 0..k-1.
class Pipeline
{
public:
    static constexpr std::uint32_t PushConstantBytes = 128;

    Pipeline(const ::vk::raii::Device &device,
        const ::vk::raii::PipelineCache &cache,
        const std::string &shader,
        const std::vector<std::uint32_t> &specialization);

    const std::string &name() const { return m_name; }
    std::uint32_t bindings() const { return m_bindings; }
    std::uint32_t workgroupSize() const { return m_workgroupSize; }
    const ::vk::raii::DescriptorSetLayout &setLayout() const { return m_setLayout; }
    const ::vk::raii::PipelineLayout &layout() const { return m_layout; }
    const ::vk::raii::Pipeline &pipeline() const { return m_pipeline; }

private:
    std::string m_name;
    std::uint32_t m_bindings = 0;
    std::uint32_t m_workgroupSize = 0;
    ::vk::raii::ShaderModule m_module { nullptr };
    ::vk::raii::DescriptorSetLayout m_setLayout { nullptr };
    ::vk::raii::PipelineLayout m_layout { nullptr };
    ::vk::raii::Pipeline m_pipeline { nullptr };
};

} // namespace quire::inference::vk
