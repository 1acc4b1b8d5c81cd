#include "inference/cpu/cpufeatures.h"

#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace quire::inference::cpu
{

namespace
{

#if defined(__x86_64__) || defined(__i386__)
std::uint64_t xgetbv0()
{
    std::uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return (static_cast<std::uint64_t>(edx) << 32) | eax;
}

CpuFeatures detect()
{
    CpuFeatures f;
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return f;
    const bool osxsave = c & (1u << 27);
    if (!osxsave)
        return f;
    const std::uint64_t xcr0 = xgetbv0();
    const bool ymm = (xcr0 & 0x6) == 0x6;
    const bool zmm = (xcr0 & 0xe6) == 0xe6;
    f.fma = ymm && (c & (1u << 12));
    f.f16c = ymm && (c & (1u << 29));
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return f;
    f.avx2 = ymm && (b & (1u << 5));
    f.avx512f = zmm && (b & (1u << 16));
    f.avx512dq = zmm && (b & (1u << 17));
    f.avx512bw = zmm && (b & (1u << 30));
    f.avx512vl = zmm && (b & (1u << 31));
    f.avx512vnni = zmm && (c & (1u << 11));
    unsigned a1, b1, c1, d1;
    if (__get_cpuid_count(7, 1, &a1, &b1, &c1, &d1))
        f.avx512bf16 = zmm && (a1 & (1u << 5));
    return f;
}
#else
CpuFeatures detect()
{
    CpuFeatures f;
#if defined(__ARM_NEON)
    f.neon = true;
#endif
    return f;
}
#endif

} // namespace

std::string CpuFeatures::describe() const
{
    std::string s;
    auto add = [&s](bool on, const char *name) {
        if (on) {
            if (!s.empty())
                s += ' ';
            s += name;
        }
    };
    add(avx2, "avx2");
    add(fma, "fma");
    add(f16c, "f16c");
    add(avx512f, "avx512f");
    add(avx512bw, "avx512bw");
    add(avx512dq, "avx512dq");
    add(avx512vl, "avx512vl");
    add(avx512vnni, "avx512vnni");
    add(avx512bf16, "avx512bf16");
    add(neon, "neon");
    return s.empty() ? std::string("none") : s;
}

const CpuFeatures &cpuFeatures()
{
    static const CpuFeatures f = detect();
    return f;
}

} // namespace quire::inference::cpu
