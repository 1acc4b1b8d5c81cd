#pragma once

#include "inference/backend.h"

#include <memory>
#include <string>

namespace quire::inference::vk
{

struct VulkanBackendOptions {
    std::string device; // QUIRE_VK_DEVICE syntax: an index or part of a name; empty: the best device
};

// The Vulkan compute backend: weights uploaded once, the whole forward pass recorded into one
// command buffer per micro-batch, KV cache on the device. Errors (no device, model too large for
// the device's memory, unsupported shapes) come back with a message that says why.
Expected<std::unique_ptr<Backend>> createVulkanBackend(const VulkanBackendOptions &options = {});

} // namespace quire::inference::vk
