#include "quants.h"

#include "fp16.h"
#include "quantsimpl.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace quire::inference
{

namespace quants
{

namespace
{

struct AbsMax {
    float amax = 0; // largest |x|
    float max = 0; // the x that has it, with its sign
};

AbsMax absMax(const float *x, int n)
{
    AbsMax r;
    for (int j = 0; j < n; ++j) {
        const float ax = std::fabs(x[j]);
        if (r.amax < ax) {
            r.amax = ax;
            r.max = x[j];
        }
    }
    return r;
}

void minMax(const float *x, int n, float &min, float &max)
{
    min = x[0];
    max = x[0];
    for (int j = 1; j < n; ++j) {
        min = std::min(min, x[j]);
        max = std::max(max, x[j]);
    }
}

std::uint32_t loadQh(const std::uint8_t *qh)
{
    std::uint32_t v;
    std::memcpy(&v, qh, 4);
    return v;
}

} // namespace

void dequantizeQ4_0(const BlockQ4_0 *x, float *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i, y += QK4_0) {
        const float d = fp16ToFp32(x[i].d);
        for (int j = 0; j < QK4_0 / 2; ++j) {
            const int lo = (x[i].qs[j] & 0x0f) - 8;
            const int hi = (x[i].qs[j] >> 4) - 8;
            y[j] = static_cast<float>(lo) * d;
            y[j + QK4_0 / 2] = static_cast<float>(hi) * d;
        }
    }
}

void dequantizeQ4_1(const BlockQ4_1 *x, float *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i, y += QK4_1) {
        const float d = fp16ToFp32(x[i].d);
        const float m = fp16ToFp32(x[i].m);
        for (int j = 0; j < QK4_1 / 2; ++j) {
            y[j] = static_cast<float>(x[i].qs[j] & 0x0f) * d + m;
            y[j + QK4_1 / 2] = static_cast<float>(x[i].qs[j] >> 4) * d + m;
        }
    }
}

void dequantizeQ5_0(const BlockQ5_0 *x, float *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i, y += QK5_0) {
        const float d = fp16ToFp32(x[i].d);
        const std::uint32_t qh = loadQh(x[i].qh);
        for (int j = 0; j < QK5_0 / 2; ++j) {
            const int hi0 = static_cast<int>((qh >> j) << 4) & 0x10;
            const int hi1 = static_cast<int>(qh >> (j + 12)) & 0x10;
            y[j] = static_cast<float>(((x[i].qs[j] & 0x0f) | hi0) - 16) * d;
            y[j + QK5_0 / 2] = static_cast<float>(((x[i].qs[j] >> 4) | hi1) - 16) * d;
        }
    }
}

void dequantizeQ5_1(const BlockQ5_1 *x, float *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i, y += QK5_1) {
        const float d = fp16ToFp32(x[i].d);
        const float m = fp16ToFp32(x[i].m);
        const std::uint32_t qh = loadQh(x[i].qh);
        for (int j = 0; j < QK5_1 / 2; ++j) {
            const int hi0 = static_cast<int>((qh >> j) << 4) & 0x10;
            const int hi1 = static_cast<int>(qh >> (j + 12)) & 0x10;
            y[j] = static_cast<float>((x[i].qs[j] & 0x0f) | hi0) * d + m;
            y[j + QK5_1 / 2] = static_cast<float>((x[i].qs[j] >> 4) | hi1) * d + m;
        }
    }
}

void dequantizeQ8_0(const BlockQ8_0 *x, float *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i, y += QK8_0) {
        const float d = fp16ToFp32(x[i].d);
        for (int j = 0; j < QK8_0; ++j)
            y[j] = static_cast<float>(x[i].qs[j]) * d;
    }
}

void quantizeQ4_0(const float *x, BlockQ4_0 *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i, x += QK4_0) {
        // The largest magnitude maps to -8 exactly, so its sign picks the scale's sign.
        const AbsMax m = absMax(x, QK4_0);
        const float d = m.max / -8;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        y[i].d = fp32ToFp16(d);
        for (int j = 0; j < QK4_0 / 2; ++j) {
            const auto lo = static_cast<std::uint8_t>(std::min(15, static_cast<int>(x[j] * id + 8.5f)));
            const auto hi = static_cast<std::uint8_t>(std::min(15, static_cast<int>(x[j + QK4_0 / 2] * id + 8.5f)));
            y[i].qs[j] = static_cast<std::uint8_t>(lo | (hi << 4));
        }
    }
}

void quantizeQ4_1(const float *x, BlockQ4_1 *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i, x += QK4_1) {
        float min, max;
        minMax(x, QK4_1, min, max);
        const float d = (max - min) / 15;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        y[i].d = fp32ToFp16(d);
        y[i].m = fp32ToFp16(min);
        for (int j = 0; j < QK4_1 / 2; ++j) {
            const auto lo = static_cast<std::uint8_t>(std::min(15, static_cast<int>((x[j] - min) * id + 0.5f)));
            const auto hi
                = static_cast<std::uint8_t>(std::min(15, static_cast<int>((x[j + QK4_1 / 2] - min) * id + 0.5f)));
            y[i].qs[j] = static_cast<std::uint8_t>(lo | (hi << 4));
        }
    }
}

void quantizeQ5_0(const float *x, BlockQ5_0 *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i, x += QK5_0) {
        const AbsMax m = absMax(x, QK5_0);
        const float d = m.max / -16;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        y[i].d = fp32ToFp16(d);
        std::uint32_t qh = 0;
        for (int j = 0; j < QK5_0 / 2; ++j) {
            const int lo = std::min(31, static_cast<int>(x[j] * id + 16.5f));
            const int hi = std::min(31, static_cast<int>(x[j + QK5_0 / 2] * id + 16.5f));
            y[i].qs[j] = static_cast<std::uint8_t>((lo & 0x0f) | ((hi & 0x0f) << 4));
            qh |= static_cast<std::uint32_t>((lo & 0x10) >> 4) << j;
            qh |= static_cast<std::uint32_t>((hi & 0x10) >> 4) << (j + QK5_0 / 2);
        }
        std::memcpy(y[i].qh, &qh, 4);
    }
}

void quantizeQ5_1(const float *x, BlockQ5_1 *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i, x += QK5_1) {
        float min, max;
        minMax(x, QK5_1, min, max);
        const float d = (max - min) / 31;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        y[i].d = fp32ToFp16(d);
        y[i].m = fp32ToFp16(min);
        std::uint32_t qh = 0;
        for (int j = 0; j < QK5_1 / 2; ++j) {
            const auto lo = static_cast<std::uint8_t>((x[j] - min) * id + 0.5f);
            const auto hi = static_cast<std::uint8_t>((x[j + QK5_1 / 2] - min) * id + 0.5f);
            y[i].qs[j] = static_cast<std::uint8_t>((lo & 0x0f) | ((hi & 0x0f) << 4));
            qh |= static_cast<std::uint32_t>((lo & 0x10) >> 4) << j;
            qh |= static_cast<std::uint32_t>((hi & 0x10) >> 4) << (j + QK5_1 / 2);
        }
        std::memcpy(y[i].qh, &qh, 4);
    }
}

void quantizeQ8_0(const float *x, BlockQ8_0 *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i, x += QK8_0) {
        float amax = 0;
        for (int j = 0; j < QK8_0; ++j)
            amax = std::max(amax, std::fabs(x[j]));
        const float d = amax / 127;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        y[i].d = fp32ToFp16(d);
        for (int j = 0; j < QK8_0; ++j)
            y[i].qs[j] = static_cast<std::int8_t>(std::round(x[j] * id));
    }
}

} // namespace quants

std::size_t rowBytes(GgmlType type, std::int64_t n)
{
    const GgmlTypeTraits t = ggmlTypeTraits(type);
    if (n < 0 || t.blockBytes == 0 || n % t.blockSize != 0)
        return 0;
    return static_cast<std::size_t>(n / t.blockSize) * t.blockBytes;
}

bool canDequantize(GgmlType type)
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
    case GgmlType::Q8_K:
        return true;
    default:
        return false;
    }
}

bool canQuantize(GgmlType type)
{
    return canDequantize(type);
}

bool dequantizeRow(GgmlType type, const void *src, float *dst, std::int64_t n)
{
    using namespace quants;
    const GgmlTypeTraits t = ggmlTypeTraits(type);
    if (!canDequantize(type) || n < 0 || n % t.blockSize != 0)
        return false;
    const std::int64_t nb = n / t.blockSize;
    switch (type) {
    case GgmlType::F32:
        std::memcpy(dst, src, static_cast<std::size_t>(n) * sizeof(float));
        return true;
    case GgmlType::F16:
        fp16ToFp32Row(static_cast<const std::uint16_t *>(src), dst, n);
        return true;
    case GgmlType::BF16:
        bf16ToFp32Row(static_cast<const std::uint16_t *>(src), dst, n);
        return true;
    case GgmlType::Q4_0:
        dequantizeQ4_0(static_cast<const BlockQ4_0 *>(src), dst, nb);
        return true;
    case GgmlType::Q4_1:
        dequantizeQ4_1(static_cast<const BlockQ4_1 *>(src), dst, nb);
        return true;
    case GgmlType::Q5_0:
        dequantizeQ5_0(static_cast<const BlockQ5_0 *>(src), dst, nb);
        return true;
    case GgmlType::Q5_1:
        dequantizeQ5_1(static_cast<const BlockQ5_1 *>(src), dst, nb);
        return true;
    case GgmlType::Q8_0:
        dequantizeQ8_0(static_cast<const BlockQ8_0 *>(src), dst, nb);
        return true;
    case GgmlType::Q4_K:
        dequantizeQ4_K(static_cast<const BlockQ4_K *>(src), dst, nb);
        return true;
    case GgmlType::Q5_K:
        dequantizeQ5_K(static_cast<const BlockQ5_K *>(src), dst, nb);
        return true;
    case GgmlType::Q6_K:
        dequantizeQ6_K(static_cast<const BlockQ6_K *>(src), dst, nb);
        return true;
    case GgmlType::Q8_K:
        dequantizeQ8_K(static_cast<const BlockQ8_K *>(src), dst, nb);
        return true;
    default:
        return false;
    }
}

bool quantizeRow(GgmlType type, const float *src, void *dst, std::int64_t n)
{
    using namespace quants;
    const GgmlTypeTraits t = ggmlTypeTraits(type);
    if (!canQuantize(type) || n < 0 || n % t.blockSize != 0)
        return false;
    const std::int64_t nb = n / t.blockSize;
    switch (type) {
    case GgmlType::F32:
        std::memcpy(dst, src, static_cast<std::size_t>(n) * sizeof(float));
        return true;
    case GgmlType::F16:
        fp32ToFp16Row(src, static_cast<std::uint16_t *>(dst), n);
        return true;
    case GgmlType::BF16:
        fp32ToBf16Row(src, static_cast<std::uint16_t *>(dst), n);
        return true;
    case GgmlType::Q4_0:
        quantizeQ4_0(src, static_cast<BlockQ4_0 *>(dst), nb);
        return true;
    case GgmlType::Q4_1:
        quantizeQ4_1(src, static_cast<BlockQ4_1 *>(dst), nb);
        return true;
    case GgmlType::Q5_0:
        quantizeQ5_0(src, static_cast<BlockQ5_0 *>(dst), nb);
        return true;
    case GgmlType::Q5_1:
        quantizeQ5_1(src, static_cast<BlockQ5_1 *>(dst), nb);
        return true;
    case GgmlType::Q8_0:
        quantizeQ8_0(src, static_cast<BlockQ8_0 *>(dst), nb);
        return true;
    case GgmlType::Q4_K:
        quantizeQ4_K(src, static_cast<BlockQ4_K *>(dst), nb);
        return true;
    case GgmlType::Q5_K:
        quantizeQ5_K(src, static_cast<BlockQ5_K *>(dst), nb);
        return true;
    case GgmlType::Q6_K:
        quantizeQ6_K(src, static_cast<BlockQ6_K *>(dst), nb);
        return true;
    case GgmlType::Q8_K:
        quantizeQ8_K(src, static_cast<BlockQ8_K *>(dst), nb);
        return true;
    default:
        return false;
    }
}

bool quants::cpuHasAvx2()
{
#if defined(__x86_64__) || defined(__i386__)
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return has;
#else
    return false;
#endif
}

void quantizeRowQ8_0Activations(const float *src, BlockQ8_0 *dst, std::int64_t n)
{
#if defined(__x86_64__) || defined(__i386__)
    if (quants::cpuHasAvx2())
        return quants::quantizeQ8_0ActivationsAvx2(src, dst, n / QK8_0);
#endif
    for (std::int64_t i = 0; i < n / QK8_0; ++i, src += QK8_0) {
        float amax = 0;
        for (int j = 0; j < QK8_0; ++j)
            amax = std::max(amax, std::fabs(src[j]));
        dst[i].d = fp32ToFp16(amax / 127.f);
        const float id = amax != 0 ? 127.f / amax : 0.0f;
        for (int j = 0; j < QK8_0; ++j)
            dst[i].qs[j] = static_cast<std::int8_t>(quants::nearestInt(src[j] * id));
    }
}

void quantizeRowQ8_K(const float *src, BlockQ8_K *dst, std::int64_t n)
{
#if defined(__x86_64__) || defined(__i386__)
    if (quants::cpuHasAvx2())
        return quants::quantizeQ8_KAvx2(src, dst, n / QK_K);
#endif
    quants::quantizeQ8_K(src, dst, n / QK_K);
}

} // namespace quire::inference
