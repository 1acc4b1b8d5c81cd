// AVX-512 (F, BW, DQ, VL, VNNI) kernels. Compiled with those flags (see inference/CMakeLists.txt) and only
// called after cpuFeatures() confirmed them. The shared x86 kernels are built here with VNNI dot products;
// the hot weight types (Q8_0, Q4_K, Q6_K) get 512-bit kernels that handle 64 weights per instruction and up
// to eight activation columns per pass over a weight row.
#include "inference/cpu/kernels.h"
#include "inference/cpu/kquants.h"

#include <bit>
#include <cstring>
#include <immintrin.h>

// GCC 12 warns about the deliberately undefined upper halves inside its own AVX-512 intrinsics headers.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

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

// Q8_0 / Q4_0 weights against Q8_0 activations, two 32-value blocks per 512-bit step. VNNI multiplies
// unsigned by signed bytes, so weights are made unsigned with an offset (Q8_0: +128, Q4_0: its stored
// nibble, i.e. +8) whose contribution, offset x sum(activations), is subtracted through the accumulator's
// starting value. Activation scales and those corrections are prepared once per column tile and reused by
// every weight row of the chunk.
constexpr int kMaxPairs = 256; // rows up to 16384 values take the fast path
struct PreparedPair {
    __m512i qs; // the 64 activation values of the two blocks, contiguous
    __m512 scale; // activation d of the two blocks, 8 lanes each
    __m512i minus; // -offset x (sum of the 4 activations of each lane)
};
alignas(64) thread_local PreparedPair t_prepared[kMaxCols][kMaxPairs];

// Lane indices that spread scales 2p and 2p+1 of a 16-scale vector over the low and high 8 lanes.
alignas(64) const int kPairIndex[8][16] = {
    { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 },
    { 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3 },
    { 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5 },
    { 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7 },
    { 8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9 },
    { 10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 11, 11, 11, 11, 11, 11 },
    { 12, 12, 12, 12, 12, 12, 12, 12, 13, 13, 13, 13, 13, 13, 13, 13 },
    { 14, 14, 14, 14, 14, 14, 14, 14, 15, 15, 15, 15, 15, 15, 15, 15 },
};

// The F16 scales of 16 consecutive blocks (the first at `first`, blocks `stride` bytes apart) as floats.
inline __m512 gatherHalfScales(const ggml_half *first, int stride)
{
    const __m512i offsets = _mm512_mullo_epi32(
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm512_set1_epi32(stride));
    const __m512i raw = _mm512_i32gather_epi32(offsets, first, 1);
    return _mm512_cvtph_ps(_mm512_cvtepi32_epi16(raw));
}

template <int NC> void prepareActivations(const std::uint8_t *a, std::size_t aStride, std::int64_t pairs, int offset)
{
    const __m512i off = _mm512_set1_epi8(static_cast<char>(offset));
    for (int c = 0; c < NC; ++c) {
        const auto *yb = reinterpret_cast<const BlockQ8_0 *>(a + c * aStride);
        for (std::int64_t p = 0; p < pairs; ++p) {
            const __m512i qa = load2x256(yb[2 * p].qs, yb[2 * p + 1].qs);
            t_prepared[c][p].qs = qa;
            t_prepared[c][p].scale = pairScale(_cvtsh_ss(yb[2 * p].d), _cvtsh_ss(yb[2 * p + 1].d));
            t_prepared[c][p].minus
                = _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_dpbusd_epi32(_mm512_setzero_si512(), off, qa));
        }
    }
}

struct UnsignedQ8_0 {
    static constexpr int offset = 128;
    static __m512i decode(const BlockQ8_0 &b0, const BlockQ8_0 &b1)
    {
        return _mm512_xor_si512(load2x256(b0.qs, b1.qs), _mm512_set1_epi8(static_cast<char>(0x80)));
    }
};

struct UnsignedQ4_0 {
    static constexpr int offset = 8;
    static __m512i decode(const BlockQ4_0 &b0, const BlockQ4_0 &b1)
    {
        const __m256i t
            = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i *>(b0.qs))),
                _mm_loadu_si128(reinterpret_cast<const __m128i *>(b1.qs)),
                1);
        const __m256i m = _mm256_set1_epi8(0x0f);
        // [lo0 lo1 hi0 hi1] -> [lo0 hi0 lo1 hi1], the element order of the activations.
        const __m512i z = _mm512_inserti64x4(
            _mm512_castsi256_si512(_mm256_and_si256(t, m)), _mm256_and_si256(_mm256_srli_epi16(t, 4), m), 1);
        return _mm512_shuffle_i64x2(z, z, _MM_SHUFFLE(3, 1, 2, 0));
    }
};

template <int NC, typename Block, typename Decode, typename Fallback>
void gemmPairs(std::int64_t k,
    const std::uint8_t *w,
    std::size_t wStride,
    int nRows,
    const std::uint8_t *a,
    std::size_t aStride,
    float *y,
    std::size_t yStride,
    Fallback fallback)
{
    const std::int64_t nb = k / QK8_0;
    const std::int64_t pairs = nb / 2;
    if (pairs > kMaxPairs) {
        gemmBlock32<NC, Block>(k, w, wStride, nRows, a, aStride, y, yStride, fallback);
        return;
    }
    prepareActivations<NC>(a, aStride, pairs, Decode::offset);
    for (int r = 0; r < nRows; ++r) {
        const auto *x = reinterpret_cast<const Block *>(w + r * wStride);
        __m512 acc[NC];
        for (int c = 0; c < NC; ++c)
            acc[c] = _mm512_setzero_ps();
        __m512 scales16 = _mm512_setzero_ps();
        for (std::int64_t p = 0; p < pairs; ++p) {
            prefetchWeights<2 * sizeof(Block)>(&x[2 * p]);
            const __m512i qw = Decode::decode(x[2 * p], x[2 * p + 1]);
            // The weight scales of 16 blocks come in with one gather; each pair then takes its two.
            if (p % 8 == 0 && p + 8 <= pairs)
                scales16 = gatherHalfScales(&x[2 * p].d, static_cast<int>(sizeof(Block)));
            const __m512 dw = p + 8 - p % 8 <= pairs
                ? _mm512_permutexvar_ps(_mm512_load_si512(kPairIndex[p % 8]), scales16)
                : pairScale(_cvtsh_ss(x[2 * p].d), _cvtsh_ss(x[2 * p + 1].d));
            for (int c = 0; c < NC; ++c) {
                const PreparedPair &pp = t_prepared[c][p];
                const __m512i dot = _mm512_dpbusd_epi32(pp.minus, qw, pp.qs);
                acc[c] = _mm512_fmadd_ps(_mm512_mul_ps(dw, pp.scale), _mm512_cvtepi32_ps(dot), acc[c]);
            }
        }
        if (nb % 2) { // an odd last block: the 256-bit signed kernel
            const Block &xl = x[nb - 1];
            const __m256i qw = fallback(xl);
            const float dw = _cvtsh_ss(xl.d);
            for (int c = 0; c < NC; ++c) {
                const auto &yl = reinterpret_cast<const BlockQ8_0 *>(a + c * aStride)[nb - 1];
                const __m256i qa = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(yl.qs));
                const __m256 t = _mm256_mul_ps(_mm256_set1_ps(dw * _cvtsh_ss(yl.d)), _mm256_cvtepi32_ps(dotS8(qw, qa)));
                acc[c] = _mm512_add_ps(acc[c], _mm512_insertf32x8(_mm512_setzero_ps(), t, 0));
            }
        }
        for (int c = 0; c < NC; ++c)
            y[c * yStride + r] = _mm512_reduce_add_ps(acc[c]);
    }
}

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
    gemmPairs<NC, BlockQ8_0, UnsignedQ8_0>(k, w, wStride, nRows, a, aStride, y, yStride, DecodeQ8_0 {});
}

template <int NC>
void gemmQ4_0x2(std::int64_t k,
    const std::uint8_t *w,
    std::size_t wStride,
    int nRows,
    const std::uint8_t *a,
    std::size_t aStride,
    float *y,
    std::size_t yStride)
{
    gemmPairs<NC, BlockQ4_0, UnsignedQ4_0>(k, w, wStride, nRows, a, aStride, y, yStride, DecodeQ4_0 {});
}

// int16 lane indices: lanes 0-15 take scale 2j, lanes 16-31 scale 2j + 1.
alignas(64) const short kSubBlockPair[4][32] = {
    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 },
    { 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3 },
    { 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5 },
    { 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7 },
};

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
            prefetchWeights<sizeof(BlockQ4_K)>(&x[b]);
            const KScales s = unpackKScales(x[b].scales);
            const __m128i m8 = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(s.m));
            const __m256i mins = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m8, m8));
            const __m512i sc16
                = _mm512_castsi128_si512(_mm_cvtepu8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(s.sc))));
            __m512i q[4], sc[4];
            for (int j = 0; j < 4; ++j) {
                const __m256i t = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(x[b].qs + 32 * j));
                q[j]
                    = _mm512_and_si512(_mm512_inserti64x4(_mm512_castsi256_si512(t), _mm256_srli_epi16(t, 4), 1), mask);
                sc[j] = _mm512_permutexvar_epi16(_mm512_load_si512(kSubBlockPair[j]), sc16);
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
            prefetchWeights<sizeof(BlockQ6_K)>(&x[b]);
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

// F16 weights against F16 activations, 16 values per step. The activations of the column tile are widened
// to F32 once per call (when they fit) instead of once per weight row.
constexpr int kMaxWideValues = 4096;
alignas(64) thread_local float t_wideActivations[kMaxCols][kMaxWideValues];

template <int NC>
void gemmF16x512(std::int64_t k,
    const std::uint8_t *w,
    std::size_t wStride,
    int nRows,
    const std::uint8_t *a,
    std::size_t aStride,
    float *y,
    std::size_t yStride)
{
    if (k > kMaxWideValues || k % 16 != 0) {
        gemmFloat<NC, FloatKind::F16>(k, w, wStride, nRows, a, aStride, y, yStride);
        return;
    }
    for (int c = 0; c < NC; ++c) {
        const auto *src = reinterpret_cast<const __m256i *>(a + c * aStride);
        for (std::int64_t i = 0; i < k / 16; ++i)
            _mm512_store_ps(&t_wideActivations[c][16 * i], _mm512_cvtph_ps(_mm256_loadu_si256(src + i)));
    }
    for (int r = 0; r < nRows; ++r) {
        const auto *x = reinterpret_cast<const __m256i *>(w + r * wStride);
        __m512 acc[NC];
        for (int c = 0; c < NC; ++c)
            acc[c] = _mm512_setzero_ps();
        for (std::int64_t i = 0; i < k / 16; ++i) {
            if (i % 2 == 0)
                prefetchWeights<64>(x + i);
            const __m512 wv = _mm512_cvtph_ps(_mm256_loadu_si256(x + i));
            for (int c = 0; c < NC; ++c)
                acc[c] = _mm512_fmadd_ps(wv, _mm512_load_ps(&t_wideActivations[c][16 * i]), acc[c]);
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
QUIRE_TILE(TQ4_0, gemmQ4_0x2)
QUIRE_TILE(TQ4_K, gemmQ4Kx512)
QUIRE_TILE(TQ6_K, gemmQ6Kx512)
QUIRE_TILE(TF16, gemmF16x512)
#undef QUIRE_TILE

} // namespace

void fillAvx512Kernels(KernelSet &set)
{
    fillAvx512Base(set);
    set.columnTile = kMaxCols;
    set.gemm[static_cast<int>(WeightSlot::Q8_0)] = gemmWide<TQ8_0>;
    set.gemm[static_cast<int>(WeightSlot::Q4_0)] = gemmWide<TQ4_0>;
    set.gemm[static_cast<int>(WeightSlot::Q4_K)] = gemmWide<TQ4_K>;
    set.gemm[static_cast<int>(WeightSlot::Q6_K)] = gemmWide<TQ6_K>;
    set.gemm[static_cast<int>(WeightSlot::F16)] = gemmWide<TF16>;
}

} // namespace quire::inference::cpu
