#pragma once

#include <QString>

namespace quire::ui
{

// What the status bar says about the compute device, e.g. "Vulkan · NVIDIA GeForce RTX 4090",
// "CPU · AVX2 · 2 threads — lavapipe is slower than the CPU backend" or "CPU · AVX2 · 2 threads — no Vulkan
// device found". detect() knows only the CPU and is instant; probe() asks the backend chooser
// (inference/vulkan/devicechoice.h) which device a model would run on, and why: it lists the Vulkan
// devices (tens of milliseconds), so the window calls it in a worker after it shows.
struct DeviceInfo {
    QString backend; // "CPU" or "Vulkan"
    QString simd; // best vector extension the CPU has: "AVX-512", "AVX2", "AVX", "SSE4.2", "NEON", or empty
    int threads = 1;
    QString deviceName; // the Vulkan device that runs models; empty on the CPU
    QString note; // short: why the CPU runs ("no Vulkan device found"); empty when nothing to say
    QString reason; // the chooser's full reason (tooltip)
    bool failed = false; // the configured device cannot run (e.g. "vulkan" without a device): note says why

    QString text() const;
    QString toolTip() const;
    static DeviceInfo detect();
    // `device`: auto, cpu or vulkan (the model/device setting).
    static DeviceInfo probe(const QString &device);
};

} // namespace quire::ui
