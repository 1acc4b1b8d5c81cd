// Activation quantisation (float rows to the formats the integer dot products consume) and scalar
// dequantisation of weight rows. The rounding follows llama.cpp's reference code so that our logits land
// where its CPU backend's do.
#include "inference/cpu/halfconv.h"
#include "inference/cpu/kernels.h"
#include "inference/cpu/kquants.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace quire::inference::cpu
{

namespace
{

void quantizeF32(const float *x, void *out, std::int64_t n)
{
    std::memcpy(out, x, static_cast<std::size_t>(n) * sizeof(float));
}

void quantizeF16(const float *x, void *out, std::int64_t n)
{
    auto *y = static_cast<std::uint16_t *>(out);
    for (std::int64_t i = 0; i < n; ++i)
        y[i] = floatToHalf(x[i]);
}

void quantizeBf16(const float *x, void *out, std::int64_t n)
{
    auto *y = static_cast<std::uint16_t *>(out);
    for (std::int64_t i = 0; i < n; ++i)
        y[i] = floatToBf16(x[i]);
}

void quantizeQ8_0(const float *x, void *out, std::int64_t n)
{
    auto *y = static_cast<BlockQ8_0 *>(out);
    for (std::int64_t b = 0; b < n / QK8_0; ++b, x += QK8_0) {
        float amax = 0.0f;
        for (int j = 0; j < QK8_0; ++j)
            amax = std::max(amax, std::fabs(x[j]));
        const float d = amax / 127.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        y[b].d = floatToHalf(d);
        for (int j = 0; j < QK8_0; ++j)
            y[b].qs[j] = static_cast<std::int8_t>(std::lround(x[j] * id));
    }
}

void quantizeQ8_1(const float *x, void *out, std::int64_t n)
{
    auto *y = static_cast<BlockQ8_1 *>(out);
    for (std::int64_t b = 0; b < n / QK8_0; ++b, x += QK8_0) {
        float amax = 0.0f;
        for (int j = 0; j < QK8_0; ++j)
            amax = std::max(amax, std::fabs(x[j]));
        const float d = amax / 127.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        int sum = 0;
        for (int j = 0; j < QK8_0; ++j) {
            y[b].qs[j] = static_cast<std::int8_t>(std::lround(x[j] * id));
            sum += y[b].qs[j];
        }
        y[b].d = floatToHalf(d);
        y[b].s = floatToHalf(static_cast<float>(sum) * d);
    }
}

void quantizeQ8_K(const float *x, void *out, std::int64_t n)
{
    auto *y = static_cast<BlockQ8_K *>(out);
    for (std::int64_t b = 0; b < n / QK_K; ++b, x += QK_K) {
        float amax = 0.0f;
        float max = 0.0f;
        for (int j = 0; j < QK_K; ++j) {
            if (std::fabs(x[j]) > amax) {
                amax = std::fabs(x[j]);
                max = x[j];
            }
        }
        if (amax == 0.0f) {
            std::memset(&y[b], 0, sizeof(BlockQ8_K));
            continue;
        }
        const float iscale = -127.0f / max;
        for (int j = 0; j < QK_K; ++j)
            y[b].qs[j] = static_cast<std::int8_t>(std::min(127, static_cast<int>(std::nearbyint(iscale * x[j]))));
        for (int g = 0; g < QK_K / 16; ++g) {
            int sum = 0;
            for (int j = 0; j < 16; ++j)
                sum += y[b].qs[g * 16 + j];
            y[b].bsums[g] = static_cast<std::int16_t>(sum);
        }
        y[b].d = 1.0f / iscale;
    }
}

template <typename Block> const Block *blocks(const std::uint8_t *row)
{
    return reinterpret_cast<const Block *>(row);
}

void dequantQ4_0(const std::uint8_t *row, float *y, std::int64_t n)
{
    const auto *x = blocks<BlockQ4_0>(row);
    for (std::int64_t b = 0; b < n / QK4_0; ++b, y += QK4_0) {
        const float d = halfToFloat(x[b].d);
        for (int j = 0; j < QK4_0 / 2; ++j) {
            y[j] = static_cast<float>((x[b].qs[j] & 0xf) - 8) * d;
            y[j + 16] = static_cast<float>((x[b].qs[j] >> 4) - 8) * d;
        }
    }
}

void dequantQ4_1(const std::uint8_t *row, float *y, std::int64_t n)
{
    const auto *x = blocks<BlockQ4_1>(row);
    for (std::int64_t b = 0; b < n / QK4_1; ++b, y += QK4_1) {
        const float d = halfToFloat(x[b].d);
        const float m = halfToFloat(x[b].m);
        for (int j = 0; j < QK4_1 / 2; ++j) {
            y[j] = static_cast<float>(x[b].qs[j] & 0xf) * d + m;
            y[j + 16] = static_cast<float>(x[b].qs[j] >> 4) * d + m;
        }
    }
}

void dequantQ5_0(const std::uint8_t *row, float *y, std::int64_t n)
{
    const auto *x = blocks<BlockQ5_0>(row);
    for (std::int64_t b = 0; b < n / QK5_0; ++b, y += QK5_0) {
        const float d = halfToFloat(x[b].d);
        std::uint32_t qh;
        std::memcpy(&qh, x[b].qh, 4);
        for (int j = 0; j < QK5_0 / 2; ++j) {
            const int lo = (x[b].qs[j] & 0xf) | (((qh >> j) & 1u) << 4);
            const int hi = (x[b].qs[j] >> 4) | (((qh >> (j + 16)) & 1u) << 4);
            y[j] = static_cast<float>(lo - 16) * d;
            y[j + 16] = static_cast<float>(hi - 16) * d;
        }
    }
}

void dequantQ5_1(const std::uint8_t *row, float *y, std::int64_t n)
{
    const auto *x = blocks<BlockQ5_1>(row);
    for (std::int64_t b = 0; b < n / QK5_1; ++b, y += QK5_1) {
        const float d = halfToFloat(x[b].d);
        const float m = halfToFloat(x[b].m);
        std::uint32_t qh;
        std::memcpy(&qh, x[b].qh, 4);
        for (int j = 0; j < QK5_1 / 2; ++j) {
            const int lo = (x[b].qs[j] & 0xf) | (((qh >> j) & 1u) << 4);
            const int hi = (x[b].qs[j] >> 4) | (((qh >> (j + 16)) & 1u) << 4);
            y[j] = static_cast<float>(lo) * d + m;
            y[j + 16] = static_cast<float>(hi) * d + m;
        }
    }
}

void dequantQ8_0(const std::uint8_t *row, float *y, std::int64_t n)
{
    const auto *x = blocks<BlockQ8_0>(row);
    for (std::int64_t b = 0; b < n / QK8_0; ++b, y += QK8_0) {
        const float d = halfToFloat(x[b].d);
        for (int j = 0; j < QK8_0; ++j)
            y[j] = static_cast<float>(x[b].qs[j]) * d;
    }
}

void dequantQ4_K(const std::uint8_t *row, float *y, std::int64_t n)
{
    const auto *x = blocks<BlockQ4_K>(row);
    for (std::int64_t b = 0; b < n / QK_K; ++b) {
        const float d = halfToFloat(x[b].d);
        const float dmin = halfToFloat(x[b].dmin);
        const KScales s = unpackKScales(x[b].scales);
        const std::uint8_t *q = x[b].qs;
        for (int j = 0; j < QK_K / 64; ++j, q += 32) {
            const float d1 = d * s.sc[2 * j], m1 = dmin * s.m[2 * j];
            const float d2 = d * s.sc[2 * j + 1], m2 = dmin * s.m[2 * j + 1];
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * static_cast<float>(q[l] & 0xf) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * static_cast<float>(q[l] >> 4) - m2;
        }
    }
}

void dequantQ5_K(const std::uint8_t *row, float *y, std::int64_t n)
{
    const auto *x = blocks<BlockQ5_K>(row);
    for (std::int64_t b = 0; b < n / QK_K; ++b) {
        const float d = halfToFloat(x[b].d);
        const float dmin = halfToFloat(x[b].dmin);
        const KScales s = unpackKScales(x[b].scales);
        const std::uint8_t *ql = x[b].qs;
        const std::uint8_t *qh = x[b].qh;
        std::uint8_t u1 = 1, u2 = 2;
        for (int j = 0; j < QK_K / 64; ++j, ql += 32, u1 <<= 2, u2 <<= 2) {
            const float d1 = d * s.sc[2 * j], m1 = dmin * s.m[2 * j];
            const float d2 = d * s.sc[2 * j + 1], m2 = dmin * s.m[2 * j + 1];
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * static_cast<float>((ql[l] & 0xf) + ((qh[l] & u1) ? 16 : 0)) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * static_cast<float>((ql[l] >> 4) + ((qh[l] & u2) ? 16 : 0)) - m2;
        }
    }
}

void dequantQ6_K(const std::uint8_t *row, float *y, std::int64_t n)
{
    const auto *x = blocks<BlockQ6_K>(row);
    for (std::int64_t b = 0; b < n / QK_K; ++b) {
        const float d = halfToFloat(x[b].d);
        std::int8_t q[QK_K];
        unpackQ6K(x[b], q);
        for (int j = 0; j < QK_K; ++j)
            *y++ = d * static_cast<float>(x[b].scales[j / 16]) * static_cast<float>(q[j]);
    }
}

} // namespace

void fillScalarQuantizers(KernelSet &set)
{
    set.quantize[static_cast<int>(ActFormat::F32)] = quantizeF32;
    set.quantize[static_cast<int>(ActFormat::F16)] = quantizeF16;
    set.quantize[static_cast<int>(ActFormat::BF16)] = quantizeBf16;
    set.quantize[static_cast<int>(ActFormat::Q8_0)] = quantizeQ8_0;
    set.quantize[static_cast<int>(ActFormat::Q8_1)] = quantizeQ8_1;
    set.quantize[static_cast<int>(ActFormat::Q8_K)] = quantizeQ8_K;
}

void dequantizeRow(GgmlType type, const std::uint8_t *row, float *out, std::int64_t n)
{
    switch (type) {
    case GgmlType::F32:
        std::memcpy(out, row, static_cast<std::size_t>(n) * sizeof(float));
        return;
    case GgmlType::F16:
        for (std::int64_t i = 0; i < n; ++i)
            out[i] = halfToFloat(reinterpret_cast<const std::uint16_t *>(row)[i]);
        return;
    case GgmlType::BF16:
        for (std::int64_t i = 0; i < n; ++i)
            out[i] = bf16ToFloat(reinterpret_cast<const std::uint16_t *>(row)[i]);
        return;
    case GgmlType::Q4_0:
        return dequantQ4_0(row, out, n);
    case GgmlType::Q4_1:
        return dequantQ4_1(row, out, n);
    case GgmlType::Q5_0:
        return dequantQ5_0(row, out, n);
    case GgmlType::Q5_1:
        return dequantQ5_1(row, out, n);
    case GgmlType::Q8_0:
        return dequantQ8_0(row, out, n);
    case GgmlType::Q4_K:
        return dequantQ4_K(row, out, n);
    case GgmlType::Q5_K:
        return dequantQ5_K(row, out, n);
    case GgmlType::Q6_K:
        return dequantQ6_K(row, out, n);
    default:
        std::fill(out, out + n, 0.0f);
    }
}

} // namespace quire::inference::cpu
