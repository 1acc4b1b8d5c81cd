#include "vkcontext.h"

#include "vkpipeline.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace quire::inference::vk
{

namespace
{

std::string typeName(::vk::PhysicalDeviceType type)
{
    switch (type) {
    case ::vk::PhysicalDeviceType::eDiscreteGpu:
        return "discrete";
    case ::vk::PhysicalDeviceType::eIntegratedGpu:
        return "integrated";
    case ::vk::PhysicalDeviceType::eVirtualGpu:
        return "virtual";
    case ::vk::PhysicalDeviceType::eCpu:
        return "cpu";
    default:
        return "other";
    }
}

int typeRank(const std::string &type)
{
    if (type == "discrete")
        return 0;
    if (type == "integrated")
        return 1;
    if (type == "virtual")
        return 2;
    if (type == "cpu")
        return 3;
    return 4;
}

::vk::raii::Instance makeInstance(const ::vk::raii::Context &context)
{
    ::vk::ApplicationInfo app("Quire", 1, "Quire", 1, VK_API_VERSION_1_2);
    ::vk::InstanceCreateInfo info({}, &app);
    return ::vk::raii::Instance(context, info);
}

bool hasExtension(const ::vk::raii::PhysicalDevice &device, std::string_view name)
{
    for (const auto &e : device.enumerateDeviceExtensionProperties()) {
        if (name == e.extensionName.data())
            return true;
    }
    return false;
}

DeviceInfo describe(const ::vk::raii::PhysicalDevice &device, std::uint32_t index)
{
    DeviceInfo info;
    info.index = index;
    const auto chain = device.getProperties2<::vk::PhysicalDeviceProperties2,
        ::vk::PhysicalDeviceSubgroupProperties,
        ::vk::PhysicalDeviceDriverProperties>();
    const auto &props = chain.get<::vk::PhysicalDeviceProperties2>().properties;
    const auto &subgroup = chain.get<::vk::PhysicalDeviceSubgroupProperties>();
    info.name = props.deviceName.data();
    info.type = typeName(props.deviceType);
    info.driver = chain.get<::vk::PhysicalDeviceDriverProperties>().driverName.data();
    info.apiVersion = std::to_string(VK_API_VERSION_MAJOR(props.apiVersion)) + "."
        + std::to_string(VK_API_VERSION_MINOR(props.apiVersion)) + "."
        + std::to_string(VK_API_VERSION_PATCH(props.apiVersion));
    info.subgroupSize = subgroup.subgroupSize;
    info.subgroupArithmetic = (subgroup.supportedOperations & ::vk::SubgroupFeatureFlagBits::eArithmetic)
        && (subgroup.supportedStages & ::vk::ShaderStageFlagBits::eCompute);
    info.maxStorageBufferRange = props.limits.maxStorageBufferRange;
    info.minStorageBufferOffsetAlignment = props.limits.minStorageBufferOffsetAlignment;
    info.maxSharedMemory = props.limits.maxComputeSharedMemorySize;
    info.maxWorkgroupInvocations = props.limits.maxComputeWorkGroupInvocations;
    info.timestampPeriod = props.limits.timestampComputeAndGraphics ? props.limits.timestampPeriod : 0.f;
    std::copy(std::begin(props.limits.maxComputeWorkGroupCount),
        std::end(props.limits.maxComputeWorkGroupCount),
        info.maxWorkgroupCount.begin());
    std::copy(std::begin(chain.get<::vk::PhysicalDeviceProperties2>().properties.pipelineCacheUUID),
        std::end(chain.get<::vk::PhysicalDeviceProperties2>().properties.pipelineCacheUUID),
        info.uuid.begin());
    const auto memory = device.getMemoryProperties();
    for (std::uint32_t i = 0; i < memory.memoryHeapCount; ++i) {
        if (memory.memoryHeaps[i].flags & ::vk::MemoryHeapFlagBits::eDeviceLocal)
            info.deviceLocalBytes += memory.memoryHeaps[i].size;
        else
            info.hostVisibleBytes += memory.memoryHeaps[i].size;
    }
    const auto features = device.getFeatures2<::vk::PhysicalDeviceFeatures2, ::vk::PhysicalDeviceVulkan12Features>();
    info.fp16 = features.get<::vk::PhysicalDeviceVulkan12Features>().shaderFloat16;
    // Integer dot product counts only when the hardware accelerates it (lavapipe exposes it emulated).
    if (props.apiVersion >= VK_API_VERSION_1_3
        || hasExtension(device, VK_KHR_SHADER_INTEGER_DOT_PRODUCT_EXTENSION_NAME)) {
        const auto dot = device.getProperties2<::vk::PhysicalDeviceProperties2,
            ::vk::PhysicalDeviceShaderIntegerDotProductProperties>();
        info.int8Dot = dot.get<::vk::PhysicalDeviceShaderIntegerDotProductProperties>()
                           .integerDotProduct4x8BitPackedSignedAccelerated;
    }
    info.cooperativeMatrix = hasExtension(device, "VK_KHR_cooperative_matrix");
    return info;
}

std::string cacheDirectory()
{
    if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return std::string(xdg) + "/quire/vulkan";
    if (const char *home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.cache/quire/vulkan";
    return {};
}

std::string hex(const std::array<std::uint8_t, 16> &bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (std::uint8_t b : bytes) {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s;
}

} // namespace

Expected<std::vector<DeviceInfo>> listDevices()
{
    try {
        ::vk::raii::Context context;
        ::vk::raii::Instance instance = makeInstance(context);
        ::vk::raii::PhysicalDevices devices(instance);
        std::vector<DeviceInfo> list;
        for (std::uint32_t i = 0; i < devices.size(); ++i)
            list.push_back(describe(devices[i], i));
        if (list.empty())
            return fail(Error::Code::NotFound, "no Vulkan device found");
        return list;
    } catch (const std::exception &e) {
        return fail(Error::Code::NotFound, std::string("no Vulkan device found (") + e.what() + ")");
    }
}

Expected<std::uint32_t> chooseDevice(const std::vector<DeviceInfo> &devices, const std::string &preference)
{
    if (devices.empty())
        return fail(Error::Code::NotFound, "no Vulkan device found");
    if (!preference.empty()) {
        char *end = nullptr;
        const unsigned long index = std::strtoul(preference.c_str(), &end, 10);
        if (end && *end == '\0') {
            if (index < devices.size())
                return static_cast<std::uint32_t>(index);
            return fail(Error::Code::NotFound,
                "QUIRE_VK_DEVICE=" + preference + ": there are only " + std::to_string(devices.size())
                    + " Vulkan devices");
        }
        for (const DeviceInfo &d : devices) {
            std::string name = d.name, want = preference;
            std::transform(name.begin(), name.end(), name.begin(), ::tolower);
            std::transform(want.begin(), want.end(), want.begin(), ::tolower);
            if (name.find(want) != std::string::npos)
                return d.index;
        }
        return fail(Error::Code::NotFound, "QUIRE_VK_DEVICE=" + preference + " matches no Vulkan device");
    }
    const auto best = std::min_element(devices.begin(), devices.end(), [](const DeviceInfo &a, const DeviceInfo &b) {
        if (typeRank(a.type) != typeRank(b.type))
            return typeRank(a.type) < typeRank(b.type);
        return a.deviceLocalBytes > b.deviceLocalBytes;
    });
    return best->index;
}

Context::Context() = default;

Context::~Context()
{
    savePipelineCache();
    if (m_profile.empty())
        return;
    double total = 0;
    for (const auto &[name, entry] : m_profile)
        total += entry.second;
    std::vector<std::pair<double, std::string>> rows;
    for (const auto &[name, entry] : m_profile)
        rows.emplace_back(entry.second, name);
    std::sort(rows.rbegin(), rows.rend());
    std::fprintf(
        stderr, "Vulkan profile (%s): %.1f ms in %zu pipelines\n", m_info.name.c_str(), total / 1e6, rows.size());
    for (const auto &[ns, name] : rows)
        std::fprintf(stderr,
            "  %-28s %8llu calls %10.2f ms %5.1f %%\n",
            name.c_str(),
            static_cast<unsigned long long>(m_profile[name].first),
            ns / 1e6,
            100.0 * ns / total);
}

std::uint64_t Context::maxBindingBytes() const
{
    return m_maxBinding ? std::min<std::uint64_t>(m_maxBinding, m_info.maxStorageBufferRange)
                        : m_info.maxStorageBufferRange;
}

std::uint64_t Context::memoryBytes() const
{
    return m_memory ? std::min<std::uint64_t>(m_memory, m_info.deviceLocalBytes) : m_info.deviceLocalBytes;
}

void Context::setLimits(std::uint64_t maxBindingBytes, std::uint64_t memoryBytes)
{
    m_maxBinding = maxBindingBytes;
    m_memory = memoryBytes;
}

void Context::addProfile(const std::string &pipeline, double nanoseconds)
{
    std::lock_guard lock(m_mutex);
    auto &entry = m_profile[pipeline];
    ++entry.first;
    entry.second += nanoseconds;
}

Expected<std::unique_ptr<Context>> Context::create(std::string preference)
{
    if (preference.empty()) {
        if (const char *env = std::getenv("QUIRE_VK_DEVICE"))
            preference = env;
    }
    auto devices = listDevices();
    if (!devices)
        return std::unexpected(devices.error());
    auto index = chooseDevice(*devices, preference);
    if (!index)
        return std::unexpected(index.error());
    try {
        std::unique_ptr<Context> context(new Context());
        context->init(*index, (*devices)[*index]);
        if (!preference.empty())
            context->m_reason = "chosen by QUIRE_VK_DEVICE=" + preference;
        else if (devices->size() == 1)
            context->m_reason = "the only Vulkan device";
        else
            context->m_reason = "the best of " + std::to_string(devices->size())
                + " Vulkan devices (discrete > integrated > virtual > CPU)";
        return context;
    } catch (const std::exception &e) {
        return fail(Error::Code::Internal, "cannot use Vulkan device " + (*devices)[*index].name + ": " + e.what());
    }
}

void Context::init(std::uint32_t index, const DeviceInfo &info)
{
    m_info = info;
    if (const char *profile = std::getenv("QUIRE_VK_PROFILE"))
        m_profiling = info.timestampPeriod > 0 && *profile && std::string(profile) != "0";
    m_instance = makeInstance(m_context);
    ::vk::raii::PhysicalDevices devices(m_instance);
    m_physical = std::move(devices[index]);
    const auto families = m_physical.getQueueFamilyProperties();
    std::uint32_t family = 0;
    while (family < families.size() && !(families[family].queueFlags & ::vk::QueueFlagBits::eCompute))
        ++family;
    if (family == families.size())
        throw std::runtime_error("the device has no compute queue");
    const float priority = 1.0f;
    ::vk::DeviceQueueCreateInfo queueInfo({}, family, 1, &priority);
    ::vk::DeviceCreateInfo deviceInfo({}, queueInfo);
    m_device = ::vk::raii::Device(m_physical, deviceInfo);
    m_queue = m_device.getQueue(family, 0);
    m_commandPool = ::vk::raii::CommandPool(
        m_device, ::vk::CommandPoolCreateInfo(::vk::CommandPoolCreateFlagBits::eResetCommandBuffer, family));

    std::vector<char> cached;
    if (const std::string dir = cacheDirectory(); !dir.empty()) {
        m_cachePath = dir + "/" + hex(info.uuid) + ".bin";
        std::ifstream in(m_cachePath, std::ios::binary);
        cached.assign(std::istreambuf_iterator<char>(in), {});
    }
    // A stale or foreign cache is ignored by the driver (its header carries the device UUID).
    m_pipelineCache
        = ::vk::raii::PipelineCache(m_device, ::vk::PipelineCacheCreateInfo({}, cached.size(), cached.data()));
}

std::uint32_t Context::memoryType(
    std::uint32_t typeBits, ::vk::MemoryPropertyFlags wanted, ::vk::MemoryPropertyFlags fallback) const
{
    const auto memory = m_physical.getMemoryProperties();
    for (auto flags : { wanted, fallback }) {
        for (std::uint32_t i = 0; i < memory.memoryTypeCount; ++i) {
            if ((typeBits & (1u << i)) && (memory.memoryTypes[i].propertyFlags & flags) == flags)
                return i;
        }
    }
    throw std::runtime_error("no suitable Vulkan memory type");
}

Pipeline &Context::pipeline(const std::string &shader, const std::vector<std::uint32_t> &specialization)
{
    std::string key = shader;
    for (std::uint32_t v : specialization)
        key.append(1, ':').append(std::to_string(v));
    std::lock_guard lock(m_mutex);
    auto it = m_pipelines.find(key);
    if (it == m_pipelines.end())
        it = m_pipelines.emplace(key, std::make_unique<Pipeline>(m_device, m_pipelineCache, shader, specialization))
                 .first;
    return *it->second;
}

void Context::savePipelineCache()
{
    if (m_cachePath.empty() || !*m_pipelineCache)
        return;
    try {
        const std::vector<std::uint8_t> data = m_pipelineCache.getData();
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(m_cachePath).parent_path(), ec);
        const std::string temporary = m_cachePath + ".tmp";
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char *>(data.data()), static_cast<std::streamsize>(data.size()));
        out.close();
        if (out)
            std::filesystem::rename(temporary, m_cachePath, ec);
    } catch (const std::exception &) {
        // A cache that cannot be written only costs compile time next run.
    }
}

} // namespace quire::inference::vk
