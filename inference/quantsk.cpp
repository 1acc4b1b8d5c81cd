// K-quants (256-element super-blocks): Q4_K, Q5_K, Q6_K and the Q8_K activation type.
// The quantisers follow ggml's reference algorithms: per sub-block, a weighted least-squares search over a
// few candidate scales (with a min for Q4_K/Q5_K, symmetric for Q6_K), then 6- or 8-bit quantised scales.

#include "fp16.h"
#include "quantsimpl.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace quire::inference::quants
{

namespace
{

constexpr float kGroupMaxEps = 1e-15f;

// 6-bit scale and min of sub-block j from the 12 packed bytes of a Q4_K/Q5_K block.
void scaleMinK4(int j, const std::uint8_t *q, std::uint8_t &scale, std::uint8_t &min)
{
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = static_cast<std::uint8_t>((q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4));
        min = static_cast<std::uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

struct AffineFit {
    float scale;
    float min; // the offset to subtract, >= 0 (x ~ scale * L - min)
};

// Finds scale and min (x ~ scale * L + min, min <= 0, L in 0..nmax) minimising the weighted squared error:
// the straight min/max mapping first, then nstep+1 perturbed inverse scales, each followed by a weighted
// least-squares refit of scale and min for the levels it produced.
AffineFit fitAffine(
    int n, int nmax, const float *x, const float *w, std::uint8_t *L, float rmin, float rdelta, int nstep)
{
    float min = x[0];
    float max = x[0];
    float sumW = w[0];
    float sumX = sumW * x[0];
    for (int i = 1; i < n; ++i) {
        min = x[i] < min ? x[i] : min;
        max = x[i] > max ? x[i] : max;
        sumW += w[i];
        sumX += w[i] * x[i];
    }
    if (min > 0)
        min = 0;
    if (max == min) {
        std::fill(L, L + n, 0);
        return { 0.f, -min };
    }
    float iscale = nmax / (max - min);
    float scale = 1 / iscale;
    float bestError = 0;
    for (int i = 0; i < n; ++i) {
        L[i] = static_cast<std::uint8_t>(std::clamp(nearestInt(iscale * (x[i] - min)), 0, nmax));
        const float diff = scale * L[i] + min - x[i];
        bestError += w[i] * (diff * diff);
    }
    std::uint8_t aux[32];
    for (int is = 0; is <= nstep; ++is) {
        iscale = (rmin + rdelta * is + nmax) / (max - min);
        float sumL = 0, sumL2 = 0, sumXL = 0;
        for (int i = 0; i < n; ++i) {
            const int l = std::clamp(nearestInt(iscale * (x[i] - min)), 0, nmax);
            aux[i] = static_cast<std::uint8_t>(l);
            sumL += w[i] * l;
            sumL2 += w[i] * l * l;
            sumXL += w[i] * l * x[i];
        }
        const float det = sumW * sumL2 - sumL * sumL;
        if (det <= 0)
            continue;
        float thisScale = (sumW * sumXL - sumX * sumL) / det;
        float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
        if (thisMin > 0) {
            thisMin = 0;
            thisScale = sumXL / sumL2;
        }
        float error = 0;
        for (int i = 0; i < n; ++i) {
            const float diff = thisScale * aux[i] + thisMin - x[i];
            error += w[i] * (diff * diff);
        }
        if (error < bestError) {
            std::copy(aux, aux + n, L);
            bestError = error;
            scale = thisScale;
            min = thisMin;
        }
    }
    return { scale, -min };
}

// Symmetric fit x ~ scale * (L - nmax), L - nmax in -nmax..nmax-1, weights x^2: tries 19 inverse scales
// around nmax/max and keeps the one whose least-squares scale explains the most of x.
float fitSymmetric(int n, int nmax, const float *x, std::uint8_t *L)
{
    float max = 0, amax = 0;
    for (int i = 0; i < n; ++i) {
        const float ax = std::fabs(x[i]);
        if (ax > amax) {
            amax = ax;
            max = x[i];
        }
    }
    if (amax < kGroupMaxEps) {
        std::fill(L, L + n, 0);
        return 0.f;
    }
    auto levels = [&](float iscale, float &sumLX, float &sumL2) {
        sumLX = 0;
        sumL2 = 0;
        for (int i = 0; i < n; ++i) {
            const int l = std::clamp(nearestInt(iscale * x[i]), -nmax, nmax - 1);
            const float w = x[i] * x[i];
            sumLX += w * x[i] * l;
            sumL2 += w * l * l;
        }
    };
    auto store = [&](float iscale) {
        for (int i = 0; i < n; ++i)
            L[i] = static_cast<std::uint8_t>(nmax + std::clamp(nearestInt(iscale * x[i]), -nmax, nmax - 1));
    };
    float iscale = -nmax / max;
    float sumLX, sumL2;
    levels(iscale, sumLX, sumL2);
    store(iscale);
    float scale = sumL2 != 0 ? sumLX / sumL2 : 0.f;
    float best = scale * sumLX;
    for (int is = -9; is <= 9; ++is) {
        if (is == 0)
            continue;
        iscale = -(nmax + 0.1f * is) / max;
        levels(iscale, sumLX, sumL2);
        if (sumL2 > 0 && sumLX * sumLX > best * sumL2) {
            store(iscale);
            scale = sumLX / sumL2;
            best = scale * sumLX;
        }
    }
    return scale;
}

// Shared by Q4_K and Q5_K: fits the eight 32-element sub-blocks, packs their 6-bit scales and mins into
// `packed`, sets d/dmin and writes the final levels (0..nmax) into L.
void quantizeScalesK4(const float *x,
    int nmax,
    float rmin,
    int nstep,
    std::uint8_t *packed,
    ggml_half &dOut,
    ggml_half &dminOut,
    std::uint8_t *L)
{
    float scales[QK_K / 32];
    float mins[QK_K / 32];
    float weights[32];
    float maxScale = 0, maxMin = 0;
    for (int j = 0; j < QK_K / 32; ++j) {
        const float *xs = x + 32 * j;
        float sumX2 = 0;
        for (int l = 0; l < 32; ++l)
            sumX2 += xs[l] * xs[l];
        const float avX = std::sqrt(sumX2 / 32);
        for (int l = 0; l < 32; ++l)
            weights[l] = avX + std::fabs(xs[l]);
        const AffineFit fit = fitAffine(32, nmax, xs, weights, L + 32 * j, rmin, 0.1f, nstep);
        scales[j] = fit.scale;
        mins[j] = fit.min;
        maxScale = std::max(maxScale, scales[j]);
        maxMin = std::max(maxMin, mins[j]);
    }
    const float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
    const float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
    std::memset(packed, 0, K_SCALE_SIZE);
    for (int j = 0; j < QK_K / 32; ++j) {
        // Truncation to 8 bits before the clamp, as ggml does.
        const auto ls = std::min<std::uint8_t>(63, static_cast<std::uint8_t>(nearestInt(invScale * scales[j])));
        const auto lm = std::min<std::uint8_t>(63, static_cast<std::uint8_t>(nearestInt(invMin * mins[j])));
        if (j < 4) {
            packed[j] = ls;
            packed[j + 4] = lm;
        } else {
            packed[j + 4] = static_cast<std::uint8_t>((ls & 0x0f) | ((lm & 0x0f) << 4));
            packed[j - 4] |= static_cast<std::uint8_t>((ls >> 4) << 6);
            packed[j] |= static_cast<std::uint8_t>((lm >> 4) << 6);
        }
    }
    dOut = fp32ToFp16(maxScale / 63.f);
    dminOut = fp32ToFp16(maxMin / 63.f);
    // Requantise against the scales as stored, so rounding of the 6-bit scales is compensated.
    for (int j = 0; j < QK_K / 32; ++j) {
        std::uint8_t sc, m;
        scaleMinK4(j, packed, sc, m);
        const float d = fp16ToFp32(dOut) * sc;
        if (d == 0)
            continue;
        const float dm = fp16ToFp32(dminOut) * m;
        for (int ii = 0; ii < 32; ++ii)
            L[32 * j + ii] = static_cast<std::uint8_t>(std::clamp(nearestInt((x[32 * j + ii] + dm) / d), 0, nmax));
    }
}

} // namespace

void dequantizeQ4_K(const BlockQ4_K *x, float *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i) {
        const float d = fp16ToFp32(x[i].d);
        const float dmin = fp16ToFp32(x[i].dmin);
        const std::uint8_t *q = x[i].qs;
        for (int j = 0; j < QK_K; j += 64, q += 32) {
            std::uint8_t sc, m;
            scaleMinK4(j / 32, x[i].scales, sc, m);
            const float d1 = d * sc, m1 = dmin * m;
            scaleMinK4(j / 32 + 1, x[i].scales, sc, m);
            const float d2 = d * sc, m2 = dmin * m;
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * static_cast<float>(q[l] & 0x0f) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * static_cast<float>(q[l] >> 4) - m2;
        }
    }
}

void dequantizeQ5_K(const BlockQ5_K *x, float *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i) {
        const float d = fp16ToFp32(x[i].d);
        const float dmin = fp16ToFp32(x[i].dmin);
        const std::uint8_t *ql = x[i].qs;
        const std::uint8_t *qh = x[i].qh;
        std::uint8_t u1 = 1, u2 = 2;
        for (int j = 0; j < QK_K; j += 64, ql += 32, u1 <<= 2, u2 <<= 2) {
            std::uint8_t sc, m;
            scaleMinK4(j / 32, x[i].scales, sc, m);
            const float d1 = d * sc, m1 = dmin * m;
            scaleMinK4(j / 32 + 1, x[i].scales, sc, m);
            const float d2 = d * sc, m2 = dmin * m;
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * static_cast<float>((ql[l] & 0x0f) + (qh[l] & u1 ? 16 : 0)) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * static_cast<float>((ql[l] >> 4) + (qh[l] & u2 ? 16 : 0)) - m2;
        }
    }
}

void dequantizeQ6_K(const BlockQ6_K *x, float *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i) {
        const float d = fp16ToFp32(x[i].d);
        const std::uint8_t *ql = x[i].ql;
        const std::uint8_t *qh = x[i].qh;
        const std::int8_t *sc = x[i].scales;
        for (int n = 0; n < QK_K; n += 128, y += 128, ql += 64, qh += 32, sc += 8) {
            for (int l = 0; l < 32; ++l) {
                const int is = l / 16;
                const int q1 = ((ql[l] & 0x0f) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = ((ql[l + 32] & 0x0f) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l] = d * sc[is] * static_cast<float>(q1);
                y[l + 32] = d * sc[is + 2] * static_cast<float>(q2);
                y[l + 64] = d * sc[is + 4] * static_cast<float>(q3);
                y[l + 96] = d * sc[is + 6] * static_cast<float>(q4);
            }
        }
    }
}

void dequantizeQ8_K(const BlockQ8_K *x, float *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i)
        for (int j = 0; j < QK_K; ++j)
            *y++ = x[i].d * static_cast<float>(x[i].qs[j]);
}

void quantizeQ4_K(const float *x, BlockQ4_K *y, std::int64_t nb)
{
    std::uint8_t L[QK_K];
    for (std::int64_t i = 0; i < nb; ++i, x += QK_K) {
        quantizeScalesK4(x, 15, -1.f, 20, y[i].scales, y[i].d, y[i].dmin, L);
        std::uint8_t *q = y[i].qs;
        for (int j = 0; j < QK_K; j += 64, q += 32)
            for (int l = 0; l < 32; ++l)
                q[l] = static_cast<std::uint8_t>(L[j + l] | (L[j + l + 32] << 4));
    }
}

void quantizeQ5_K(const float *x, BlockQ5_K *y, std::int64_t nb)
{
    std::uint8_t L[QK_K];
    for (std::int64_t i = 0; i < nb; ++i, x += QK_K) {
        quantizeScalesK4(x, 31, -0.5f, 15, y[i].scales, y[i].d, y[i].dmin, L);
        std::memset(y[i].qh, 0, sizeof y[i].qh);
        std::uint8_t *ql = y[i].qs;
        std::uint8_t m1 = 1, m2 = 2;
        for (int n = 0; n < QK_K; n += 64, ql += 32, m1 <<= 2, m2 <<= 2) {
            for (int j = 0; j < 32; ++j) {
                int l1 = L[n + j];
                int l2 = L[n + j + 32];
                if (l1 > 15) {
                    l1 -= 16;
                    y[i].qh[j] |= m1;
                }
                if (l2 > 15) {
                    l2 -= 16;
                    y[i].qh[j] |= m2;
                }
                ql[j] = static_cast<std::uint8_t>(l1 | (l2 << 4));
            }
        }
    }
}

void quantizeQ6_K(const float *x, BlockQ6_K *y, std::int64_t nb)
{
    std::uint8_t L[QK_K];
    float scales[QK_K / 16];
    for (std::int64_t i = 0; i < nb; ++i, x += QK_K) {
        float maxScale = 0, maxAbsScale = 0;
        for (int ib = 0; ib < QK_K / 16; ++ib) {
            scales[ib] = fitSymmetric(16, 32, x + 16 * ib, L + 16 * ib);
            if (std::fabs(scales[ib]) > maxAbsScale) {
                maxAbsScale = std::fabs(scales[ib]);
                maxScale = scales[ib];
            }
        }
        if (maxAbsScale < kGroupMaxEps) {
            std::memset(&y[i], 0, sizeof y[i]);
            continue;
        }
        const float iscale = -128.f / maxScale;
        y[i].d = fp32ToFp16(1 / iscale);
        for (int ib = 0; ib < QK_K / 16; ++ib)
            y[i].scales[ib] = static_cast<std::int8_t>(std::min(127, nearestInt(iscale * scales[ib])));
        for (int j = 0; j < QK_K / 16; ++j) {
            const float d = fp16ToFp32(y[i].d) * y[i].scales[j];
            if (d == 0)
                continue;
            for (int ii = 0; ii < 16; ++ii)
                L[16 * j + ii] = static_cast<std::uint8_t>(std::clamp(nearestInt(x[16 * j + ii] / d), -32, 31) + 32);
        }
        std::uint8_t *ql = y[i].ql;
        std::uint8_t *qh = y[i].qh;
        for (int j = 0; j < QK_K; j += 128, ql += 64, qh += 32) {
            for (int l = 0; l < 32; ++l) {
                const std::uint8_t *Lj = L + j + l;
                ql[l] = static_cast<std::uint8_t>((Lj[0] & 0x0f) | ((Lj[64] & 0x0f) << 4));
                ql[l + 32] = static_cast<std::uint8_t>((Lj[32] & 0x0f) | ((Lj[96] & 0x0f) << 4));
                qh[l] = static_cast<std::uint8_t>(
                    (Lj[0] >> 4) | ((Lj[32] >> 4) << 2) | ((Lj[64] >> 4) << 4) | ((Lj[96] >> 4) << 6));
            }
        }
    }
}

void quantizeQ8_K(const float *x, BlockQ8_K *y, std::int64_t nb)
{
    for (std::int64_t i = 0; i < nb; ++i, x += QK_K) {
        float max = 0, amax = 0;
        for (int j = 0; j < QK_K; ++j) {
            const float ax = std::fabs(x[j]);
            if (ax > amax) {
                amax = ax;
                max = x[j];
            }
        }
        if (amax == 0) {
            std::memset(&y[i], 0, sizeof y[i]);
            continue;
        }
        const float iscale = -127.f / max;
        for (int j = 0; j < QK_K; ++j)
            y[i].qs[j] = static_cast<std::int8_t>(std::min(127, nearestInt(iscale * x[j])));
        for (int j = 0; j < QK_K / 16; ++j) {
            int sum = 0;
            for (int ii = 0; ii < 16; ++ii)
                sum += y[i].qs[j * 16 + ii];
            y[i].bsums[j] = static_cast<std::int16_t>(sum);
        }
        y[i].d = 1 / iscale;
    }
}

} // namespace quire::inference::quants
