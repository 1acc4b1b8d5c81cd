#pragma once

#include "inference/backend.h"

#include <cstdint>
#include <memory>
#include <string>

namespace quire::inference::vk
{

struct VulkanBackendOptions {
    std::string device; // QUIRE_VK_DEVICE syntax: an index or part of a name; empty: the best device
    // Lower limits than the device's (0: the device's own): the largest range one descriptor binds, and
    // the device memory models and contexts may fill. Tests use them to run the split paths and the
    // out-of-memory refusals on lavapipe, which neither enforces the binding limit nor runs out of memory.
    std::uint64_t maxBindingBytes = 0;
    std::uint64_t memoryBytes = 0;
};

// The Vulkan compute backend: weights uploaded once, the whole forward pass recorded into one
// command buffer per micro-batch, KV cache on the device. Errors (no device, model too large for
// the device's memory, unsupported shapes) come back with a message that says why.
Expected<std::unique_ptr<Backend>> createVulkanBackend(const VulkanBackendOptions &options = {});

} // namespace quire::inference::vk
