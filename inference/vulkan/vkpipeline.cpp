#include "vkpipeline.h"

#include "shaders/shaders.h"

#include <stdexcept>
#include <string_view>

namespace quire::inference::vk
{

namespace
{

// Storage buffers each pipeline family binds (matches the shaders' layout(binding = N)).
std::uint32_t bindingCount(std::string_view name)
{
    struct Entry {
        std::string_view prefix;
        std::uint32_t bindings;
    };
    static const Entry table[] = {
        { "mul_mat_vec_glu_", 4 },
        { "mul_mat_", 3 },
        { "get_rows_", 3 },
        { "rms_norm", 3 },
        { "rope", 3 },
        { "add", 3 },
        { "mul", 3 },
        { "swiglu", 3 },
        { "scale", 3 },
        { "softmax", 1 },
        { "argmax", 2 },
        { "flash_attn_merge", 2 },
        { "flash_attn_", 5 },
        { "kv_store_", 4 },
    };
    for (const Entry &e : table) {
        if (name.starts_with(e.prefix))
            return e.bindings;
    }
    throw std::runtime_error("unknown pipeline " + std::string(name));
}

// Workgroup size: fixed local_size_x for some shaders, else specialization constant 0.
std::uint32_t defaultWorkgroupSize(std::string_view name, const std::vector<std::uint32_t> &specialization)
{
    if (name == "rope")
        return 64;
    if (name == "add" || name == "mul" || name == "swiglu" || name == "scale" || name.starts_with("kv_store_"))
        return 256;
    if (specialization.empty())
        throw std::runtime_error("pipeline " + std::string(name) + " needs its workgroup size");
    return specialization[0];
}

} // namespace

Pipeline::Pipeline(const ::vk::raii::Device &device,
    const ::vk::raii::PipelineCache &cache,
    const std::string &shader,
    const std::vector<std::uint32_t> &specialization)
    : m_name(shader)
    , m_bindings(bindingCount(shader))
    , m_workgroupSize(defaultWorkgroupSize(shader, specialization))
{
    const shaders::Shader *spirv = shaders::find(shader);
    if (!spirv)
        throw std::runtime_error("no shader named " + shader);
    m_module = ::vk::raii::ShaderModule(device, ::vk::ShaderModuleCreateInfo({}, spirv->words * 4, spirv->code));

    std::vector<::vk::DescriptorSetLayoutBinding> bindings;
    for (std::uint32_t i = 0; i < m_bindings; ++i)
        bindings.emplace_back(i, ::vk::DescriptorType::eStorageBuffer, 1, ::vk::ShaderStageFlagBits::eCompute);
    m_setLayout = ::vk::raii::DescriptorSetLayout(device, ::vk::DescriptorSetLayoutCreateInfo({}, bindings));
    const ::vk::PushConstantRange range(::vk::ShaderStageFlagBits::eCompute, 0, PushConstantBytes);
    const ::vk::DescriptorSetLayout setLayout = *m_setLayout;
    m_layout = ::vk::raii::PipelineLayout(device, ::vk::PipelineLayoutCreateInfo({}, setLayout, range));

    std::vector<::vk::SpecializationMapEntry> entries;
    for (std::uint32_t i = 0; i < specialization.size(); ++i)
        entries.emplace_back(i, i * 4, 4);
    const ::vk::SpecializationInfo spec(
        static_cast<std::uint32_t>(entries.size()), entries.data(), specialization.size() * 4, specialization.data());
    const ::vk::PipelineShaderStageCreateInfo stage(
        {}, ::vk::ShaderStageFlagBits::eCompute, *m_module, "main", specialization.empty() ? nullptr : &spec);
    m_pipeline = ::vk::raii::Pipeline(device, cache, ::vk::ComputePipelineCreateInfo({}, stage, *m_layout));
}

} // namespace quire::inference::vk
