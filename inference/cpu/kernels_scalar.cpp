// Portable dot products of one weight row with one encoded activation row, for every compute type.
// They are the reference the SIMD kernels are tested against, and the fallback on other CPUs.
#include "inference/cpu/halfconv.h"
#include "inference/cpu/kernels.h"
#include "inference/cpu/kquants.h"
#include "inference/cpu/ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace quire::inference::cpu
{

void fillScalarQuantizers(KernelSet &set);

namespace
{

using VecDot = float (*)(std::int64_t k, const std::uint8_t *w, const std::uint8_t *a);

float dotF32(std::int64_t k, const std::uint8_t *w, const std::uint8_t *a)
{
    const auto *x = reinterpret_cast<const float *>(w);
    const auto *y = reinterpret_cast<const float *>(a);
    float sum = 0.0f;
    for (std::int64_t i = 0; i < k; ++i)
        sum += x[i] * y[i];
    return sum;
}

float dotF16(std::int64_t k, const std::uint8_t *w, const std::uint8_t *a)
{
    const auto *x = reinterpret_cast<const std::uint16_t *>(w);
    const auto *y = reinterpret_cast<const std::uint16_t *>(a);
    float sum = 0.0f;
    for (std::int64_t i = 0; i < k; ++i)
        sum += halfToFloat(x[i]) * halfToFloat(y[i]);
    return sum;
}

float dotBf16(std::int64_t k, const std::uint8_t *w, const std::uint8_t *a)
{
    const auto *x = reinterpret_cast<const std::uint16_t *>(w);
    const auto *y = reinterpret_cast<const std::uint16_t *>(a);
    float sum = 0.0f;
    for (std::int64_t i = 0; i < k; ++i)
        sum += bf16ToFloat(x[i]) * bf16ToFloat(y[i]);
    return sum;
}

float dotQ4_0(std::int64_t k, const std::uint8_t *w, const std::uint8_t *a)
{
    const auto *x = reinterpret_cast<const BlockQ4_0 *>(w);
    const auto *y = reinterpret_cast<const BlockQ8_0 *>(a);
    float sum = 0.0f;
    for (std::int64_t b = 0; b < k / QK4_0; ++b) {
        int isum = 0;
        for (int j = 0; j < 16; ++j)
            isum += ((x[b].qs[j] & 0xf) - 8) * y[b].qs[j] + ((x[b].qs[j] >> 4) - 8) * y[b].qs[j + 16];
        sum += static_cast<float>(isum) * halfToFloat(x[b].d) * halfToFloat(y[b].d);
    }
    return sum;
}

float dotQ4_1(std::int64_t k, const std::uint8_t *w, const std::uint8_t *a)
{
    const auto *x = reinterpret_cast<const BlockQ4_1 *>(w);
    const auto *y = reinterpret_cast<const BlockQ8_1 *>(a);
    float sum = 0.0f;
    for (std::int64_t b = 0; b < k / QK4_1; ++b) {
        int isum = 0;
        for (int j = 0; j < 16; ++j)
            isum += (x[b].qs[j] & 0xf) * y[b].qs[j] + (x[b].qs[j] >> 4) * y[b].qs[j + 16];
        sum += static_cast<float>(isum) * halfToFloat(x[b].d) * halfToFloat(y[b].d)
            + halfToFloat(x[b].m) * halfToFloat(y[b].s);
    }
    return sum;
}

template <typename Block> int q5Dot(const Block &x, const std::int8_t *y, int offset)
{
    std::uint32_t qh;
    std::memcpy(&qh, x.qh, 4);
    int isum = 0;
    for (int j = 0; j < 16; ++j) {
        const int lo = ((x.qs[j] & 0xf) | (((qh >> j) & 1u) << 4)) - offset;
        const int hi = ((x.qs[j] >> 4) | (((qh >> (j + 16)) & 1u) << 4)) - offset;
        isum += lo * y[j] + hi * y[j + 16];
    }
    return isum;
}

float dotQ5_0(std::int64_t k, const std::uint8_t *w, const std::uint8_t *a)
{
    const auto *x = reinterpret_cast<const BlockQ5_0 *>(w);
    const auto *y = reinterpret_cast<const BlockQ8_0 *>(a);
    float sum = 0.0f;
    for (std::int64_t b = 0; b < k / QK5_0; ++b)
        sum += static_cast<float>(q5Dot(x[b], y[b].qs, 16)) * halfToFloat(x[b].d) * halfToFloat(y[b].d);
    return sum;
}

float dotQ5_1(std::int64_t k, const std::uint8_t *w, const std::uint8_t *a)
{
    const auto *x = reinterpret_cast<const BlockQ5_1 *>(w);
    const auto *y = reinterpret_cast<const BlockQ8_1 *>(a);
    float sum = 0.0f;
    for (std::int64_t b = 0; b < k / QK5_1; ++b)
        sum += static_cast<float>(q5Dot(x[b], y[b].qs, 0)) * halfToFloat(x[b].d) * halfToFloat(y[b].d)
            + halfToFloat(x[b].m) * halfToFloat(y[b].s);
    return sum;
}

float dotQ8_0(std::int64_t k, const std::uint8_t *w, const std::uint8_t *a)
{
    const auto *x = reinterpret_cast<const BlockQ8_0 *>(w);
    const auto *y = reinterpret_cast<const BlockQ8_0 *>(a);
    float sum = 0.0f;
    for (std::int64_t b = 0; b < k / QK8_0; ++b) {
        int isum = 0;
        for (int j = 0; j < QK8_0; ++j)
            isum += x[b].qs[j] * y[b].qs[j];
        sum += static_cast<float>(isum) * halfToFloat(x[b].d) * halfToFloat(y[b].d);
    }
    return sum;
}

// Q4_K / Q5_K: per 32-value sub-block, an integer dot scaled by its 6-bit scale, minus the 6-bit minimum
// times the activation sum (from Q8_K's bsums).
template <typename Block, bool HasHigh> float dotKMin(std::int64_t k, const std::uint8_t *w, const std::uint8_t *a)
{
    const auto *x = reinterpret_cast<const Block *>(w);
    const auto *y = reinterpret_cast<const BlockQ8_K *>(a);
    float sum = 0.0f;
    for (std::int64_t b = 0; b < k / QK_K; ++b) {
        const KScales s = unpackKScales(x[b].scales);
        int sumi = 0;
        int summ = 0;
        const std::int8_t *q8 = y[b].qs;
        for (int j = 0; j < QK_K / 64; ++j) {
            int lo = 0, hi = 0;
            for (int l = 0; l < 32; ++l) {
                int vlo = x[b].qs[32 * j + l] & 0xf;
                int vhi = x[b].qs[32 * j + l] >> 4;
                if constexpr (HasHigh) {
                    vlo += ((x[b].qh[l] >> (2 * j)) & 1) << 4;
                    vhi += ((x[b].qh[l] >> (2 * j + 1)) & 1) << 4;
                }
                lo += vlo * q8[64 * j + l];
                hi += vhi * q8[64 * j + 32 + l];
            }
            sumi += lo * s.sc[2 * j] + hi * s.sc[2 * j + 1];
        }
        for (int j = 0; j < 8; ++j)
            summ += s.m[j] * (y[b].bsums[2 * j] + y[b].bsums[2 * j + 1]);
        sum += y[b].d
            * (halfToFloat(x[b].d) * static_cast<float>(sumi) - halfToFloat(x[b].dmin) * static_cast<float>(summ));
    }
    return sum;
}

float dotQ6_K(std::int64_t k, const std::uint8_t *w, const std::uint8_t *a)
{
    const auto *x = reinterpret_cast<const BlockQ6_K *>(w);
    const auto *y = reinterpret_cast<const BlockQ8_K *>(a);
    float sum = 0.0f;
    for (std::int64_t b = 0; b < k / QK_K; ++b) {
        std::int8_t q[QK_K];
        unpackQ6K(x[b], q);
        int sumi = 0;
        for (int g = 0; g < QK_K / 16; ++g) {
            int isum = 0;
            for (int l = 0; l < 16; ++l)
                isum += q[16 * g + l] * y[b].qs[16 * g + l];
            sumi += isum * x[b].scales[g];
        }
        sum += y[b].d * halfToFloat(x[b].d) * static_cast<float>(sumi);
    }
    return sum;
}

template <VecDot Dot>
void gemmGeneric(std::int64_t k,
    const std::uint8_t *w,
    std::size_t wStride,
    int nRows,
    const std::uint8_t *a,
    std::size_t aStride,
    int nCols,
    float *y,
    std::size_t yStride)
{
    for (int c = 0; c < nCols; ++c)
        for (int r = 0; r < nRows; ++r)
            y[c * yStride + r] = Dot(k, w + r * wStride, a + c * aStride);
}

float kvElement(int kvType, const std::uint8_t *row, int i)
{
    switch (kvType) {
    case 0:
        return reinterpret_cast<const float *>(row)[i];
    case 1:
        return halfToFloat(reinterpret_cast<const std::uint16_t *>(row)[i]);
    default: {
        const auto *b = reinterpret_cast<const BlockQ8_0 *>(row) + i / QK8_0;
        return halfToFloat(b->d) * static_cast<float>(b->qs[i % QK8_0]);
    }
    }
}

template <int KvType>
void kvScore(const float *q, const std::uint8_t *rows, std::size_t rowBytes, int count, int headDim, float *scores)
{
    for (int j = 0; j < count; ++j) {
        const std::uint8_t *row = rows + static_cast<std::size_t>(j) * rowBytes;
        float s = 0.0f;
        for (int i = 0; i < headDim; ++i)
            s += q[i] * kvElement(KvType, row, i);
        scores[j] = s;
    }
}

template <int KvType>
void kvAccumulate(const float *p, const std::uint8_t *rows, std::size_t rowBytes, int count, int headDim, float *acc)
{
    for (int j = 0; j < count; ++j) {
        const std::uint8_t *row = rows + static_cast<std::size_t>(j) * rowBytes;
        for (int i = 0; i < headDim; ++i)
            acc[i] += p[j] * kvElement(KvType, row, i);
    }
}

float scaleMax(float *scores, int count, float scale)
{
    float m = -std::numeric_limits<float>::infinity();
    for (int j = 0; j < count; ++j) {
        scores[j] *= scale;
        m = std::max(m, scores[j]);
    }
    return m;
}

float expSum(float *scores, int count, float max)
{
    float sum = 0.0f;
    for (int j = 0; j < count; ++j) {
        scores[j] = std::exp(scores[j] - max);
        sum += scores[j];
    }
    return sum;
}

} // namespace

void fillScalarKernels(KernelSet &set)
{
    set.isa = "scalar";
    set.columnTile = 1;
    auto put = [&set](WeightSlot slot, GemmFn fn) { set.gemm[static_cast<int>(slot)] = fn; };
    put(WeightSlot::F32, gemmGeneric<dotF32>);
    put(WeightSlot::F16, gemmGeneric<dotF16>);
    put(WeightSlot::BF16, gemmGeneric<dotBf16>);
    put(WeightSlot::Q4_0, gemmGeneric<dotQ4_0>);
    put(WeightSlot::Q4_1, gemmGeneric<dotQ4_1>);
    put(WeightSlot::Q5_0, gemmGeneric<dotQ5_0>);
    put(WeightSlot::Q5_1, gemmGeneric<dotQ5_1>);
    put(WeightSlot::Q8_0, gemmGeneric<dotQ8_0>);
    put(WeightSlot::Q4_K, gemmGeneric<dotKMin<BlockQ4_K, false>>);
    put(WeightSlot::Q5_K, gemmGeneric<dotKMin<BlockQ5_K, true>>);
    put(WeightSlot::Q6_K, gemmGeneric<dotQ6_K>);
    fillScalarQuantizers(set);
    set.kvScore[0] = kvScore<0>;
    set.kvScore[1] = kvScore<1>;
    set.kvScore[2] = kvScore<2>;
    set.kvAccumulate[0] = kvAccumulate<0>;
    set.kvAccumulate[1] = kvAccumulate<1>;
    set.kvAccumulate[2] = kvAccumulate<2>;
    set.scaleMax = scaleMax;
    set.expSum = expSum;
    set.swiglu = cpu::swiglu;
}

} // namespace quire::inference::cpu
