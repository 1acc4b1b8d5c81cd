#include "inference/vulkan/backendchoice.h"

#include "inference/vulkan/devicechoice.h"
#include "inference/vulkan/vkbackend.h"

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
    auto choice = chooseComputeDevice(device);
    if (!choice)
        return std::unexpected(choice.error());
    if (choice->kind == DeviceChoice::Kind::Cpu)
        return cpu(threads, std::move(choice->reason));
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
