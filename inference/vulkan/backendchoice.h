#pragma once

#include "inference/backend.h"

#include <memory>
#include <string>
#include <string_view>

namespace quire::inference::vk
{

struct BackendChoice {
    std::unique_ptr<Backend> backend;
    std::string reason; // why this device runs the model, for the user: never a silent fallback
};

// `device`: "auto" (a Vulkan GPU when there is one, else the CPU backend; lavapipe, Vulkan on the CPU,
// is slower than the CPU backend so auto does not pick it), "vulkan" (the best Vulkan device,
// QUIRE_VK_DEVICE overrides), or "cpu". `threads` is for the CPU backend (0: all).
// The CLI's --device and the GUI's model/device setting both come here.
Expected<BackendChoice> chooseBackend(std::string_view device, int threads);

} // namespace quire::inference::vk
