#pragma once

#include "util/error.h"

#define VULKAN_HPP_NO_SMART_HANDLE
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>
#include <vulkan/vulkan_raii.hpp>

namespace quire::inference::vk
{

// What a Vulkan device offers, for `quire devices` and for choosing kernel variants.
struct DeviceInfo {
    std::uint32_t index = 0;
    std::string name;
    std::string type; // discrete, integrated, virtual, cpu, other
    std::string driver;
    std::string apiVersion;
    std::uint64_t deviceLocalBytes = 0;
    std::uint64_t hostVisibleBytes = 0;
    std::uint32_t subgroupSize = 0;
    bool subgroupArithmetic = false;
    bool fp16 = false;
    bool int8Dot = false;
    bool cooperativeMatrix = false;
    std::uint64_t maxStorageBufferRange = 0;
    std::uint64_t minStorageBufferOffsetAlignment = 0;
    std::uint32_t maxSharedMemory = 0;
    std::uint32_t maxWorkgroupInvocations = 0;
    float timestampPeriod = 0.f; // nanoseconds per timestamp tick; 0: no compute timestamps
    std::array<std::uint32_t, 3> maxWorkgroupCount {};
    std::array<std::uint8_t, 16> uuid {};
};

// Every device the Vulkan loader reports, in loader order. Error when there is no loader or no device.
Expected<std::vector<DeviceInfo>> listDevices();

// The default choice: discrete > integrated > virtual > CPU (lavapipe), then the most device memory.
// `preference` (QUIRE_VK_DEVICE: an index or part of a name) overrides; an unknown one is an error.
Expected<std::uint32_t> chooseDevice(const std::vector<DeviceInfo> &devices, const std::string &preference);

class Pipeline;

// Instance, device, compute queue and command pool of the chosen device, plus the pipelines made
// on it (cached in memory and, through the pipeline cache, on disk).
class Context
{
public:
    // Reads QUIRE_VK_DEVICE when `preference` is empty.
    static Expected<std::unique_ptr<Context>> create(std::string preference = {});
    ~Context();

    const DeviceInfo &info() const { return m_info; }
    // Why this device was chosen, e.g. "llvmpipe (cpu): the only Vulkan device".
    const std::string &reason() const { return m_reason; }

    const ::vk::raii::Device &device() const { return m_device; }
    const ::vk::raii::Queue &queue() const { return m_queue; }
    const ::vk::raii::CommandPool &commandPool() const { return m_commandPool; }
    std::uint32_t memoryType(
        std::uint32_t typeBits, ::vk::MemoryPropertyFlags wanted, ::vk::MemoryPropertyFlags fallback) const;

    // A compute pipeline for the named shader (shaders::find) with specialization constants
    // (constant_id 0, 1, ... in order). Throws ::vk::SystemError / std::runtime_error on failure.
    Pipeline &pipeline(const std::string &shader, const std::vector<std::uint32_t> &specialization = {});
    // Writes the pipeline cache to disk (also done on destruction).
    void savePipelineCache();

    // The largest range one descriptor may bind: maxStorageBufferRange, or less when limited (tests force
    // a small one so that the split paths run on lavapipe, which does not enforce the limit).
    std::uint64_t maxBindingBytes() const;
    // Device memory this context may fill: the device-local heaps, or less when limited.
    std::uint64_t memoryBytes() const;
    // 0 leaves a limit at the device's value.
    void setLimits(std::uint64_t maxBindingBytes, std::uint64_t memoryBytes);

    // QUIRE_VK_PROFILE=1: time per pipeline (from timestamps), printed to stderr on destruction.
    bool isProfiling() const { return m_profiling; }
    void addProfile(const std::string &pipeline, double nanoseconds);

private:
    Context();
    void init(std::uint32_t index, const DeviceInfo &info);

    ::vk::raii::Context m_context;
    ::vk::raii::Instance m_instance { nullptr };
    ::vk::raii::PhysicalDevice m_physical { nullptr };
    ::vk::raii::Device m_device { nullptr };
    ::vk::raii::Queue m_queue { nullptr };
    ::vk::raii::CommandPool m_commandPool { nullptr };
    ::vk::raii::PipelineCache m_pipelineCache { nullptr };
    DeviceInfo m_info;
    std::string m_reason;
    std::string m_cachePath;
    std::uint64_t m_maxBinding = 0;
    std::uint64_t m_memory = 0;
    bool m_profiling = false;
    std::map<std::string, std::pair<std::uint64_t, double>> m_profile; // calls, nanoseconds
    std::mutex m_mutex;
    std::map<std::string, std::unique_ptr<Pipeline>> m_pipelines; // destroyed before the device
};

} // namespace quire::inference::vk
