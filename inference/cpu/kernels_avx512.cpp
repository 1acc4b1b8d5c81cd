// AVX-512 (F, BW, DQ, VL, VNNI) kernels. Compiled with those flags (see inference/CMakeLists.txt) and only
// called after cpuFeatures() confirmed them. The shared x86 kernels are built here with VNNI dot products;
// the hot weight types (Q8_0, Q4_K, Q6_K) get 512-bit kernels that handle 64 weights per instruction and up
// to eight activation columns per pass over a weight row.
#include "inference/cpu/kernels.h"
#include "inference/cpu/kquants.h"

#include <immintrin.h>

#define QUIRE_X86_VNNI 1
#define QUIRE_X86_NAME "avx512"
#define QUIRE_X86_FILL fillAvx512Base

namespace quire::inference::cpu
{
#include "inference/cpu/gemmx86.inc"

namespace
{

constexpr int kMaxCols = 8;

inline __m512 pairScale(float lo, float hi)
{
    return _mm512_insertf32x8(_mm512_set1_ps(lo), _mm256_set1_ps(hi), 1);
}

inline __m512i load2x256(const void *lo, const void *hi)
{
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256(static_cast<const __m256i *>(lo))),
        _mm256_loadu_si256(static_cast<const __m256i *>(hi)),
        1);
}

// Q8_0 x Q8_0, two blocks per 512-bit step. VNNI multiplies unsigned by signed bytes, so the weight's sign
// moves onto the activation. The activation scales of a column tile are expanded once per call (they are
// reused by every weight row of the chunk).
constexpr int kMaxPairs = 256; // rows up to 16384 values take the fast path
alignas(64) thread_local float t_actScales[kMaxCols][kMaxPairs][16];

template <int NC>
void gemmQ8_0x2(std::int64_t k,
    const std::uint8_t *w,
    std::size_t wStride,
    int nRows,
    const std::uint8_t *a,
    std::size_t aStride,
    float *y,
    std::size_t yStride)
{
    const std::int64_t nb = k / QK8_0;
    const std::int64_t pairs = nb / 2;
    if (pairs > kMaxPairs) {
        gemmBlock32<NC, BlockQ8_0>(k, w, wStride, nRows, a, aStride, y, yStride, DecodeQ8_0 {});
        return;
    }
    for (int c = 0; c < NC; ++c) {
        const auto *yb = reinterpret_cast<const BlockQ8_0 *>(a + c * aStride);
        for (std::int64_t p = 0; p < pairs; ++p)
            _mm512_store_ps(t_actScales[c][p], pairScale(_cvtsh_ss(yb[2 * p].d), _cvtsh_ss(yb[2 * p + 1].d)));
    }
    const __m512i zero = _mm512_setzero_si512();
    for (int r = 0; r < nRows; ++r) {
        const auto *x = reinterpret_cast<const BlockQ8_0 *>(w + r * wStride);
        __m512 acc[NC];
        for (int c = 0; c < NC; ++c)
            acc[c] = _mm512_setzero_ps();
        for (std::int64_t p = 0; p < pairs; ++p) {
            const BlockQ8_0 &x0 = x[2 * p];
            const BlockQ8_0 &x1 = x[2 * p + 1];
            const __m512i qw = load2x256(x0.qs, x1.qs);
            const __mmask64 neg = _mm512_movepi8_mask(qw);
            const __m512i aw = _mm512_abs_epi8(qw);
            const __m512 dw = pairScale(_cvtsh_ss(x0.d), _cvtsh_ss(x1.d));
            for (int c = 0; c < NC; ++c) {
                const auto *yb = reinterpret_cast<const BlockQ8_0 *>(a + c * aStride) + 2 * p;
                __m512i qa = load2x256(yb[0].qs, yb[1].qs);
                qa = _mm512_mask_sub_epi8(qa, neg, zero, qa);
                const __m512i dot = _mm512_dpbusd_epi32(zero, aw, qa);
                const __m512 s = _mm512_mul_ps(dw, _mm512_load_ps(t_actScales[c][p]));
                acc[c] = _mm512_fmadd_ps(s, _mm512_cvtepi32_ps(dot), acc[c]);
            }
        }
        for (int c = 0; c < NC; ++c) {
            float sum = _mm512_reduce_add_ps(acc[c]);
            if (nb % 2) {
                const BlockQ8_0 &xl = x[nb - 1];
                const auto &yl = reinterpret_cast<const BlockQ8_0 *>(a + c * aStride)[nb - 1];
                const __m256i qw = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(xl.qs));
                const __m256i qa = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(yl.qs));
                sum += static_cast<float>(hsumInt(dotS8(qw, qa))) * _cvtsh_ss(xl.d) * _cvtsh_ss(yl.d);
            }
            y[c * yStride + r] = sum;
        }
    }
}

// 32 int16 lanes: the first 16 hold lo, the last 16 hi.
inline __m512i pairScale16(int lo, int hi)
{
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set1_epi16(static_cast<short>(lo))),
        _mm256_set1_epi16(static_cast<short>(hi)),
        1);
}

template <int NC>
void gemmQ4Kx512(std::int64_t k,
    const std::uint8_t *w,
    std::size_t wStride,
    int nRows,
    const std::uint8_t *a,
    std::size_t aStride,
    float *y,
    std::size_t yStride)
{
    const std::int64_t nb = k / QK_K;
    const __m512i mask = _mm512_set1_epi8(0x0f);
    for (int r = 0; r < nRows; ++r) {
        const auto *x = reinterpret_cast<const BlockQ4_K *>(w + r * wStride);
        __m512 acc[NC];
        __m256 accMin[NC];
        for (int c = 0; c < NC; ++c) {
            acc[c] = _mm512_setzero_ps();
            accMin[c] = _mm256_setzero_ps();
        }
        for (std::int64_t b = 0; b < nb; ++b) {
            const KScales s = unpackKScales(x[b].scales);
            const __m128i m8 = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(s.m));
            const __m256i mins = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m8, m8));
            __m512i q[4], sc[4];
            for (int j = 0; j < 4; ++j) {
                const __m256i t = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(x[b].qs + 32 * j));
                q[j]
                    = _mm512_and_si512(_mm512_inserti64x4(_mm512_castsi256_si512(t), _mm256_srli_epi16(t, 4), 1), mask);
                sc[j] = pairScale16(s.sc[2 * j], s.sc[2 * j + 1]);
            }
            const float d = _cvtsh_ss(x[b].d);
            const float dmin = _cvtsh_ss(x[b].dmin);
            for (int c = 0; c < NC; ++c) {
                const auto *yb = reinterpret_cast<const BlockQ8_K *>(a + c * aStride) + b;
                __m512i sumi = _mm512_setzero_si512();
                for (int j = 0; j < 4; ++j) {
                    const __m512i qa = _mm512_loadu_si512(yb->qs + 64 * j);
                    sumi = _mm512_add_epi32(sumi, _mm512_madd_epi16(_mm512_maddubs_epi16(q[j], qa), sc[j]));
                }
                const __m256i bs = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(yb->bsums));
                const __m256 mterm = _mm256_cvtepi32_ps(_mm256_madd_epi16(bs, mins));
                acc[c] = _mm512_fmadd_ps(_mm512_set1_ps(d * yb->d), _mm512_cvtepi32_ps(sumi), acc[c]);
                accMin[c] = _mm256_fmadd_ps(_mm256_set1_ps(dmin * yb->d), mterm, accMin[c]);
            }
        }
        for (int c = 0; c < NC; ++c)
            y[c * yStride + r] = _mm512_reduce_add_ps(acc[c]) - hsum(accMin[c]);
    }
}

// One 128-value half of a Q6_K block as two vectors of 64 unsigned 6-bit values (elements 0-63, 64-127).
inline void decodeQ6Half512(const std::uint8_t *ql, const std::uint8_t *qh, __m512i q[2])
{
    const __m512i m4 = _mm512_set1_epi8(0x0f);
    const __m512i m2 = _mm512_set1_epi8(0x03);
    const __m512i l = _mm512_loadu_si512(ql);
    const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(qh));
    const __m512i h01 = _mm512_inserti64x4(_mm512_castsi256_si512(h), _mm256_srli_epi16(h, 2), 1);
    const __m512i h23 = _mm512_srli_epi16(h01, 4);
    q[0] = _mm512_or_si512(_mm512_and_si512(l, m4), _mm512_slli_epi16(_mm512_and_si512(h01, m2), 4));
    q[1] = _mm512_or_si512(
        _mm512_and_si512(_mm512_srli_epi16(l, 4), m4), _mm512_slli_epi16(_mm512_and_si512(h23, m2), 4));
}

template <int NC>
void gemmQ6Kx512(std::int64_t k,
    const std::uint8_t *w,
    std::size_t wStride,
    int nRows,
    const std::uint8_t *a,
    std::size_t aStride,
    float *y,
    std::size_t yStride)
{
    const std::int64_t nb = k / QK_K;
    // Scale index per int16 lane: lanes 8g .. 8g+7 of vector v use scale 4v + g.
    alignas(64) static const short kIdx[4][32] = {
        { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3 },
        { 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7 },
        { 8,
            8,
            8,
            8,
            8,
            8,
            8,
            8,
            9,
            9,
            9,
            9,
            9,
            9,
            9,
            9,
            10,
            10,
            10,
            10,
            10,
            10,
            10,
            10,
            11,
            11,
            11,
            11,
            11,
            11,
            11,
            11 },
        { 12,
            12,
            12,
            12,
            12,
            12,
            12,
            12,
            13,
            13,
            13,
            13,
            13,
            13,
            13,
            13,
            14,
            14,
            14,
            14,
            14,
            14,
            14,
            14,
            15,
            15,
            15,
            15,
            15,
            15,
            15,
            15 },
    };
    for (int r = 0; r < nRows; ++r) {
        const auto *x = reinterpret_cast<const BlockQ6_K *>(w + r * wStride);
        __m512 acc[NC];
        for (int c = 0; c < NC; ++c)
            acc[c] = _mm512_setzero_ps();
        for (std::int64_t b = 0; b < nb; ++b) {
            const __m256i sc16 = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i *>(x[b].scales)));
            const __m512i scw = _mm512_castsi256_si512(sc16);
            __m512i q[4], sc[4];
            decodeQ6Half512(x[b].ql, x[b].qh, q);
            decodeQ6Half512(x[b].ql + 64, x[b].qh + 32, q + 2);
            // Element order: q[0] = 0..63, q[1] = 64..127, q[2] = 128..191, q[3] = 192..255.
            for (int v = 0; v < 4; ++v)
                sc[v] = _mm512_permutexvar_epi16(_mm512_load_si512(kIdx[v]), scw);
            const float d = _cvtsh_ss(x[b].d);
            for (int c = 0; c < NC; ++c) {
                const auto *yb = reinterpret_cast<const BlockQ8_K *>(a + c * aStride) + b;
                const __m256i bs = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(yb->bsums));
                // The -32 offset of every value, through the activation sums.
                __m512i sumi = _mm512_castsi256_si512(
                    _mm256_slli_epi32(_mm256_sub_epi32(_mm256_setzero_si256(), _mm256_madd_epi16(bs, sc16)), 5));
                sumi = _mm512_inserti64x4(sumi, _mm256_setzero_si256(), 1);
                for (int v = 0; v < 4; ++v) {
                    const __m512i qa = _mm512_loadu_si512(yb->qs + 64 * v);
                    sumi = _mm512_add_epi32(sumi, _mm512_madd_epi16(_mm512_maddubs_epi16(q[v], qa), sc[v]));
                }
                acc[c] = _mm512_fmadd_ps(_mm512_set1_ps(d * yb->d), _mm512_cvtepi32_ps(sumi), acc[c]);
            }
        }
        for (int c = 0; c < NC; ++c)
            y[c * yStride + r] = _mm512_reduce_add_ps(acc[c]);
    }
}

using TileFn = void (*)(
    std::int64_t, const std::uint8_t *, std::size_t, int, const std::uint8_t *, std::size_t, float *, std::size_t);

template <template <int> class K>
void gemmWide(std::int64_t k,
    const std::uint8_t *w,
    std::size_t wStride,
    int nRows,
    const std::uint8_t *a,
    std::size_t aStride,
    int nCols,
    float *y,
    std::size_t yStride)
{
    static constexpr TileFn tails[kMaxCols]
        = { nullptr, K<1>::run, K<2>::run, K<3>::run, K<4>::run, K<5>::run, K<6>::run, K<7>::run };
    int c = 0;
    for (; c + kMaxCols <= nCols; c += kMaxCols)
        K<kMaxCols>::run(k, w, wStride, nRows, a + c * aStride, aStride, y + c * yStride, yStride);
    if (c < nCols)
        tails[nCols - c](k, w, wStride, nRows, a + c * aStride, aStride, y + c * yStride, yStride);
}

#define QUIRE_TILE(Name, Fn)                                                                                           \
    template <int NC> struct Name {                                                                                    \
        static void run(std::int64_t k,                                                                                \
            const std::uint8_t *w,                                                                                     \
            std::size_t wStride,                                                                                       \
            int nRows,                                                                                                 \
            const std::uint8_t *a,                                                                                     \
            std::size_t aStride,                                                                                       \
            float *y,                                                                                                  \
            std::size_t yStride)                                                                                       \
        {                                                                                                              \
            Fn<NC>(k, w, wStride, nRows, a, aStride, y, yStride);                                                      \
        }                                                                                                              \
    };
QUIRE_TILE(TQ8_0, gemmQ8_0x2)
QUIRE_TILE(TQ4_K, gemmQ4Kx512)
QUIRE_TILE(TQ6_K, gemmQ6Kx512)
#undef QUIRE_TILE

} // namespace

void fillAvx512Kernels(KernelSet &set)
{
    fillAvx512Base(set);
    set.columnTile = kMaxCols;
    set.gemm[static_cast<int>(WeightSlot::Q8_0)] = gemmWide<TQ8_0>;
    set.gemm[static_cast<int>(WeightSlot::Q4_K)] = gemmWide<TQ4_K>;
    set.gemm[static_cast<int>(WeightSlot::Q6_K)] = gemmWide<TQ6_K>;
}

} // namespace quire::inference::cpu
