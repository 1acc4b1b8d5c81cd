#include "inference/cpu/kernels.h"

#include "inference/cpu/cpufeatures.h"

#include <cstdlib>
#include <string>

namespace quire::inference::cpu
{

bool isComputeType(GgmlType type)
{
    switch (type) {
    case GgmlType::F32:
    case GgmlType::F16:
    case GgmlType::BF16:
    case GgmlType::Q4_0:
    case GgmlType::Q4_1:
    case GgmlType::Q5_0:
    case GgmlType::Q5_1:
    case GgmlType::Q8_0:
    case GgmlType::Q4_K:
    case GgmlType::Q5_K:
    case GgmlType::Q6_K:
        return true;
    default:
        return false;
    }
}

WeightSlot weightSlot(GgmlType type)
{
    switch (type) {
    case GgmlType::F32:
        return WeightSlot::F32;
    case GgmlType::F16:
        return WeightSlot::F16;
    case GgmlType::BF16:
        return WeightSlot::BF16;
    case GgmlType::Q4_0:
        return WeightSlot::Q4_0;
    case GgmlType::Q4_1:
        return WeightSlot::Q4_1;
    case GgmlType::Q5_0:
        return WeightSlot::Q5_0;
    case GgmlType::Q5_1:
        return WeightSlot::Q5_1;
    case GgmlType::Q8_0:
        return WeightSlot::Q8_0;
    case GgmlType::Q4_K:
        return WeightSlot::Q4_K;
    case GgmlType::Q5_K:
        return WeightSlot::Q5_K;
    default:
        return WeightSlot::Q6_K;
    }
}

ActFormat activationFormat(GgmlType weightType)
{
    switch (weightType) {
    case GgmlType::F16:
        return ActFormat::F16;
    case GgmlType::BF16:
        return ActFormat::BF16;
    case GgmlType::Q4_0:
    case GgmlType::Q5_0:
    case GgmlType::Q8_0:
        return ActFormat::Q8_0;
    case GgmlType::Q4_1:
    case GgmlType::Q5_1:
        return ActFormat::Q8_1;
    case GgmlType::Q4_K:
    case GgmlType::Q5_K:
    case GgmlType::Q6_K:
        return ActFormat::Q8_K;
    default:
        return ActFormat::F32;
    }
}

int activationBlockSize(ActFormat format)
{
    switch (format) {
    case ActFormat::Q8_0:
    case ActFormat::Q8_1:
        return QK8_0;
    case ActFormat::Q8_K:
        return QK_K;
    default:
        return 1;
    }
}

std::size_t activationRowBytes(ActFormat format, std::int64_t n)
{
    const auto un = static_cast<std::size_t>(n);
    switch (format) {
    case ActFormat::F32:
        return un * 4;
    case ActFormat::F16:
    case ActFormat::BF16:
        return un * 2;
    case ActFormat::Q8_0:
        return un / QK8_0 * sizeof(BlockQ8_0);
    case ActFormat::Q8_1:
        return un / QK8_0 * sizeof(BlockQ8_1);
    case ActFormat::Q8_K:
        return un / QK_K * sizeof(BlockQ8_K);
    }
    return 0;
}

std::size_t weightRowBytes(GgmlType type, std::int64_t n)
{
    const GgmlTypeTraits t = ggmlTypeTraits(type);
    return static_cast<std::size_t>(n) / static_cast<std::size_t>(t.blockSize) * t.blockBytes;
}

namespace
{

struct Sets {
    KernelSet scalar;
    KernelSet avx2;
    KernelSet avx512;
    bool hasAvx2 = false;
    bool hasAvx512 = false;

    Sets()
    {
        fillScalarKernels(scalar);
        const CpuFeatures f = cpuFeatures();
        hasAvx2 = f.avx2 && f.fma && f.f16c;
        hasAvx512 = hasAvx2 && f.avx512f && f.avx512bw && f.avx512vl && f.avx512vnni && f.avx512dq;
        avx2 = scalar;
        if (hasAvx2)
            fillAvx2Kernels(avx2);
        avx512 = avx2;
        if (hasAvx512)
            fillAvx512Kernels(avx512);
    }
};

const Sets &sets()
{
    static const Sets s;
    return s;
}

} // namespace

const KernelSet &scalarKernels()
{
    return sets().scalar;
}

const KernelSet *kernelsFor(std::string_view isa)
{
    const Sets &s = sets();
    if (isa == "scalar")
        return &s.scalar;
    if (isa == "avx2")
        return s.hasAvx2 ? &s.avx2 : nullptr;
    if (isa == "avx512")
        return s.hasAvx512 ? &s.avx512 : nullptr;
    return nullptr;
}

const KernelSet &kernels()
{
    static const KernelSet *chosen = [] {
        if (const char *env = std::getenv("QUIRE_CPU_ISA")) {
            if (const KernelSet *set = kernelsFor(env))
                return set;
        }
        const Sets &s = sets();
        return s.hasAvx512 ? &s.avx512 : s.hasAvx2 ? &s.avx2 : &s.scalar;
    }();
    return *chosen;
}

} // namespace quire::inference::cpu
