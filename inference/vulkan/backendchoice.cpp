#include "inference/vulkan/backendchoice.h"

#include "inference/vulkan/vkbackend.h"
#include "inference/vulkan/vkcontext.h"

#include <cstdlib>

namespace quire::inference::vk
{

namespace
{

BackendChoice cpu(int threads, std::string reason)
{
    return { createCpuBackend({ threads }), std::move(reason) };
}

} // namespace

Expected<BackendChoice> chooseBackend(std::string_view device, int threads)
{
    if (device == "cpu")
        return cpu(threads, "CPU backend, as asked (--device cpu)");
    if (device != "auto" && device != "vulkan")
        return fail(
            Error::Code::InvalidArgument, "unknown device '" + std::string(device) + "': use auto, vulkan or cpu");
    auto devices = listDevices();
    if (!devices) {
        if (device == "vulkan")
            return std::unexpected(devices.error());
        return cpu(threads, devices.error().message + ": CPU backend");
    }
    const char *preference = std::getenv("QUIRE_VK_DEVICE");
    auto index = chooseDevice(*devices, preference ? preference : "");
    if (!index)
        return std::unexpected(index.error());
    const DeviceInfo &info = (*devices)[*index];
    if (device == "auto" && info.type == "cpu" && !preference)
        return cpu(
            threads, "only " + info.name + " (Vulkan on the CPU) found, and the CPU backend is faster: CPU backend");
    auto backend = createVulkanBackend();
    if (!backend) {
        if (device == "vulkan")
            return std::unexpected(backend.error());
        return cpu(threads, backend.error().message + ": CPU backend");
    }
    std::string name = (*backend)->name();
    return BackendChoice { std::move(*backend), std::move(name) };
}

} // namespace quire::inference::vk
