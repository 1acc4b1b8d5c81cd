// AVX2 activation quantisers (this file is compiled with -mavx2 -mfma -mf16c and only called when the CPU
// has them). Results are identical to the scalar versions in quants.cpp / quantsk.cpp.

#if defined(__x86_64__) || defined(__i386__)

#include "fp16.h"
#include "quantsimpl.h"

#include <algorithm>
#include <cmath>
#include <immintrin.h>

namespace quire::inference::quants
{

namespace
{

inline __m256 absPs(__m256 v)
{
    return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), v);
}

inline float horizontalMax(__m256 v)
{
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}

// Rounds x * scale to nearest even and stores 32 int8 values.
inline void roundAndPack32(const float *x, __m256 scale, std::int8_t *out)
{
    __m256i i0
        = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x), scale), _MM_FROUND_TO_NEAREST_INT));
    __m256i i1
        = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x + 8), scale), _MM_FROUND_TO_NEAREST_INT));
    __m256i i2
        = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x + 16), scale), _MM_FROUND_TO_NEAREST_INT));
    __m256i i3
        = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x + 24), scale), _MM_FROUND_TO_NEAREST_INT));
    // Saturating packs work within 128-bit lanes; the permute restores element order.
    const __m256i p01 = _mm256_packs_epi32(i0, i1);
    const __m256i p23 = _mm256_packs_epi32(i2, i3);
    __m256i p = _mm256_packs_epi16(p01, p23);
    p = _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(out), p);
}

} // namespace

void quantizeQ8_0ActivationsAvx2(const float *x, BlockQ8_0 *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i, x += QK8_0) {
        __m256 m = absPs(_mm256_loadu_ps(x));
        m = _mm256_max_ps(m, absPs(_mm256_loadu_ps(x + 8)));
        m = _mm256_max_ps(m, absPs(_mm256_loadu_ps(x + 16)));
        m = _mm256_max_ps(m, absPs(_mm256_loadu_ps(x + 24)));
        const float amax = horizontalMax(m);
        y[i].d = fp32ToFp16(amax / 127.f);
        roundAndPack32(x, _mm256_set1_ps(amax != 0 ? 127.f / amax : 0.0f), y[i].qs);
    }
}

void quantizeQ8_KAvx2(const float *x, BlockQ8_K *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i, x += QK_K) {
        __m256 m = _mm256_setzero_ps();
        for (int j = 0; j < QK_K; j += 8)
            m = _mm256_max_ps(m, absPs(_mm256_loadu_ps(x + j)));
        const float amax = horizontalMax(m);
        if (amax == 0) {
            *(y + i) = BlockQ8_K {};
            continue;
        }
        // The signed value of the first element with the largest magnitude, as the scalar loop finds it.
        int first = 0;
        while (first < QK_K && std::fabs(x[first]) != amax)
            ++first;
        if (first == QK_K) { // NaNs confuse the vector maximum: let the scalar code decide
            quantizeQ8_K(x, y + i, 1);
            continue;
        }
        const float iscale = -127.f / x[first];
        const __m256 scale = _mm256_set1_ps(iscale);
        for (int j = 0; j < QK_K; j += 32)
            roundAndPack32(x + j, scale, y[i].qs + j);
        // Sums of 16 signed bytes: bias them to unsigned (x ^ 0x80 = x + 128) and let SAD add groups of 8.
        const __m256i bias = _mm256_set1_epi8(static_cast<char>(0x80));
        for (int j = 0; j < QK_K; j += 32) {
            const __m256i q = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(y[i].qs + j));
            const __m256i sad = _mm256_sad_epu8(_mm256_xor_si256(q, bias), _mm256_setzero_si256());
            const auto lo = _mm256_extract_epi64(sad, 0) + _mm256_extract_epi64(sad, 1) - 16 * 128;
            const auto hi = _mm256_extract_epi64(sad, 2) + _mm256_extract_epi64(sad, 3) - 16 * 128;
            y[i].bsums[j / 16] = static_cast<std::int16_t>(lo);
            y[i].bsums[j / 16 + 1] = static_cast<std::int16_t>(hi);
        }
        y[i].d = 1 / iscale;
    }
}

} // namespace quire::inference::quants

#endif
