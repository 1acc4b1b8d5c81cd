#pragma once

#include <QString>

namespace quire::ui
{

// What the status bar says about the compute device: "CPU · AVX-512 · 16 threads".
// Inference runs on the CPU backend today; the Vulkan device joins this text when that backend lands.
struct DeviceInfo {
    QString backend; // "CPU"
    QString simd; // best vector extension the CPU has: "AVX-512", "AVX2", "AVX", "SSE4.2", "NEON", or empty
    int threads = 1;

    QString text() const;
    QString toolTip() const;
    static DeviceInfo detect();
};

} // namespace quire::ui
