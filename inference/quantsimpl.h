#pragma once

// Per-type row kernels behind quants.h; internal to inference/.

#include "ggmltype.h"

#include <bit>
#include <cstdint>

namespace quire::inference::quants
{

// Round to nearest, ties to even, for |x| < 2^22: adding 1.5 * 2^23 leaves the integer in the low
// mantissa bits (the FPU does the rounding). Same results as ggml's nearest_int.
inline int nearestInt(float x)
{
    const float shifted = x + 12582912.f;
    return static_cast<int>(std::bit_cast<std::uint32_t>(shifted) & 0x007fffffu) - 0x00400000;
}

void dequantizeQ4_0(const BlockQ4_0 *x, float *y, std::int64_t nb);
void dequantizeQ4_1(const BlockQ4_1 *x, float *y, std::int64_t nb);
void dequantizeQ5_0(const BlockQ5_0 *x, float *y, std::int64_t nb);
void dequantizeQ5_1(const BlockQ5_1 *x, float *y, std::int64_t nb);
void dequantizeQ8_0(const BlockQ8_0 *x, float *y, std::int64_t nb);
void quantizeQ4_0(const float *x, BlockQ4_0 *y, std::int64_t nb);
void quantizeQ4_1(const float *x, BlockQ4_1 *y, std::int64_t nb);
void quantizeQ5_0(const float *x, BlockQ5_0 *y, std::int64_t nb);
void quantizeQ5_1(const float *x, BlockQ5_1 *y, std::int64_t nb);
void quantizeQ8_0(const float *x, BlockQ8_0 *y, std::int64_t nb);

void dequantizeQ4_K(const BlockQ4_K *x, float *y, std::int64_t nb);
void dequantizeQ5_K(const BlockQ5_K *x, float *y, std::int64_t nb);
void dequantizeQ6_K(const BlockQ6_K *x, float *y, std::int64_t nb);
void dequantizeQ8_K(const BlockQ8_K *x, float *y, std::int64_t nb);
void quantizeQ4_K(const float *x, BlockQ4_K *y, std::int64_t nb);
void quantizeQ5_K(const float *x, BlockQ5_K *y, std::int64_t nb);
void quantizeQ6_K(const float *x, BlockQ6_K *y, std::int64_t nb);
void quantizeQ8_K(const float *x, BlockQ8_K *y, std::int64_t nb);

// AVX2 versions of the activation quantisers (quants_avx2.cpp); same results as the scalar ones.
void quantizeQ8_0ActivationsAvx2(const float *x, BlockQ8_0 *y, std::int64_t nb);
void quantizeQ8_KAvx2(const float *x, BlockQ8_K *y, std::int64_t nb);
bool cpuHasAvx2();

} // namespace quire::inference::quants
