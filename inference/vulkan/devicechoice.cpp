#include "inference/vulkan/devicechoice.h"

#include "inference/vulkan/vkcontext.h"

#include <cstdlib>

namespace quire::inference::vk
{

namespace
{

DeviceChoice cpuChoice(std::string reason, std::string passedOver = {}, std::string passedOverType = {})
{
    return { DeviceChoice::Kind::Cpu, std::move(passedOver), std::move(passedOverType), std::move(reason) };
}

std::string vulkanReason(std::size_t deviceCount, const std::string &preference)
{
    if (!preference.empty())
        return "chosen by QUIRE_VK_DEVICE=" + preference;
    if (deviceCount == 1)
        return "the only Vulkan device";
    return "the best of " + std::to_string(deviceCount) + " Vulkan devices (discrete > integrated > virtual > CPU)";
}

Expected<DeviceChoice> chooseVulkan(std::string_view device)
{
    const bool automatic = device == "auto";
    auto devices = listDevices();
    if (!devices) {
        if (!automatic)
            return std::unexpected(devices.error());
        return cpuChoice(devices.error().message + ": CPU backend");
    }
    const char *env = std::getenv("QUIRE_VK_DEVICE");
    const std::string preference = env ? env : "";
    auto index = chooseDevice(*devices, preference);
    if (!index)
        return std::unexpected(index.error());
    const DeviceInfo &info = (*devices)[*index];
    if (automatic && info.type == "cpu" && preference.empty())
        return cpuChoice("only " + info.name + " (Vulkan on the CPU) found, and the CPU backend is faster: CPU backend",
            info.name,
            info.type);
    return DeviceChoice { DeviceChoice::Kind::Vulkan, info.name, info.type, vulkanReason(devices->size(), preference) };
}

} // namespace

Expected<DeviceChoice> chooseComputeDevice(std::string_view device)
{
    if (device == "cpu")
        return cpuChoice("CPU backend, as asked");
    if (device != "auto" && device != "vulkan")
        return fail(
            Error::Code::InvalidArgument, "unknown device '" + std::string(device) + "': use auto, vulkan or cpu");
    return chooseVulkan(device);
}

} // namespace quire::inference::vk
