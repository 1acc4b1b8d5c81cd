#pragma once

#include "util/error.h"

#include <string>
#include <string_view>

namespace quire::inference::vk
{

// Where a model would run and why, decided without creating anything on the device: what the GUI's
// status bar and model manager say before a model is loaded. chooseBackend() (backendchoice.h) creates
// the backend this names. Never a silent fallback: `reason` says why the CPU runs.
struct DeviceChoice {
    enum class Kind { Cpu, Vulkan };
    Kind kind = Kind::Cpu;
    // The Vulkan device that runs ("NVIDIA GeForce RTX 4090"), or on the CPU backend the one passed over
    // (lavapipe: type "cpu"); empty when there is none.
    std::string name;
    std::string type; // the Vulkan device's type: discrete, integrated, virtual, cpu
    std::string reason; // "no Vulkan device found: CPU backend", "the only Vulkan device"
};

// `device`: "auto" (a Vulkan GPU when there is one, else the CPU backend; lavapipe, Vulkan on the CPU, is
// slower than the CPU backend so auto does not pick it unless QUIRE_VK_DEVICE names it), "vulkan" (the
// best Vulkan device, QUIRE_VK_DEVICE overrides) or "cpu". Lists the Vulkan devices, which takes tens of
// milliseconds (a UI calls it from a worker). Fails on an unknown `device`, on a QUIRE_VK_DEVICE that
// matches nothing, and on "vulkan" without a Vulkan device.
Expected<DeviceChoice> chooseComputeDevice(std::string_view device);

} // namespace quire::inference::vk
