#pragma once

#include <string>

namespace quire::inference::cpu
{

// What the CPU and the OS let us use. AMX is deliberately absent: some VMs advertise it and then fault.
struct CpuFeatures {
    bool avx2 = false;
    bool fma = false;
    bool f16c = false;
    bool avx512f = false;
    bool avx512bw = false;
    bool avx512dq = false;
    bool avx512vl = false;
    bool avx512vnni = false;
    bool avx512bf16 = false;
    bool neon = false;

    std::string describe() const; // "avx2 fma f16c avx512f ..."
};

const CpuFeatures &cpuFeatures();

} // namespace quire::inference::cpu
