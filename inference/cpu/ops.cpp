#include "inference/cpu/ops.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace quire::inference::cpu
{

void rmsNorm(const float *x, const float *weight, float *y, int n, float eps)
{
    double sum = 0.0;
    for (int i = 0; i < n; ++i)
        sum += static_cast<double>(x[i]) * x[i];
    const float scale = static_cast<float>(1.0 / std::sqrt(sum / n + eps));
    if (weight) {
        for (int i = 0; i < n; ++i)
            y[i] = x[i] * scale * weight[i];
    } else {
        for (int i = 0; i < n; ++i)
            y[i] = x[i] * scale;
    }
}

void swiglu(const float *gate, const float *up, float *out, int n)
{
    for (int i = 0; i < n; ++i)
        out[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

void addInPlace(float *y, const float *x, int n)
{
    for (int i = 0; i < n; ++i)
        y[i] += x[i];
}

namespace
{

// YaRN: the dimension where the rotation count over the original context crosses nRotations.
float yarnCorrDim(int nDims, int nCtxOrig, float nRotations, float base)
{
    return static_cast<float>(nDims * std::log(nCtxOrig / (nRotations * 2 * std::numbers::pi)) / (2 * std::log(base)));
}

} // namespace

Rope::Rope(const HParams &hp)
    : m_nRot(hp.nRot)
    , m_style(hp.ropeStyle)
    , m_freqScale(hp.ropeFreqScale)
    , m_extFactor(hp.ropeScaling == RopeScaling::Yarn ? hp.yarnExtFactor : 0.0f)
    , m_attnFactor(hp.ropeScaling == RopeScaling::Yarn ? hp.yarnAttnFactor : 1.0f)
{
    m_invFreq.resize(static_cast<std::size_t>(m_nRot / 2));
    for (int i = 0; i < m_nRot / 2; ++i)
        m_invFreq[static_cast<std::size_t>(i)] = std::pow(static_cast<double>(hp.ropeFreqBase), -2.0 * i / m_nRot);
    if (m_extFactor != 0.0f) {
        const int orig = hp.yarnOrigCtx > 0 ? hp.yarnOrigCtx : hp.nCtxTrain;
        m_corrLow = std::max(0.0f, std::floor(yarnCorrDim(m_nRot, orig, hp.yarnBetaFast, hp.ropeFreqBase)));
        m_corrHigh = std::min(
            static_cast<float>(m_nRot - 1), std::ceil(yarnCorrDim(m_nRot, orig, hp.yarnBetaSlow, hp.ropeFreqBase)));
    }
}

void Rope::angles(std::int32_t pos, float *cs) const
{
    for (int i = 0; i < m_nRot / 2; ++i) {
        const double extrap = pos * m_invFreq[static_cast<std::size_t>(i)];
        double theta = m_freqScale * extrap;
        float mscale = m_attnFactor;
        if (m_extFactor != 0.0f) {
            const float y = (static_cast<float>(i) - m_corrLow) / std::max(0.001f, m_corrHigh - m_corrLow);
            const float ramp = (1.0f - std::min(1.0f, std::max(0.0f, y))) * m_extFactor;
            theta = theta * (1.0 - ramp) + extrap * ramp;
            mscale *= 1.0f + 0.1f * std::log(1.0f / m_freqScale);
        }
        cs[2 * i] = static_cast<float>(std::cos(theta)) * mscale;
        cs[2 * i + 1] = static_cast<float>(std::sin(theta)) * mscale;
    }
}

void Rope::apply(float *x, int heads, int headDim, const float *cs) const
{
    const int half = m_nRot / 2;
    for (int h = 0; h < heads; ++h) {
        float *v = x + static_cast<std::size_t>(h) * headDim;
        for (int i = 0; i < half; ++i) {
            const float c = cs[2 * i], s = cs[2 * i + 1];
            const int a = m_style == RopeStyle::Normal ? 2 * i : i;
            const int b = m_style == RopeStyle::Normal ? 2 * i + 1 : i + half;
            const float x0 = v[a], x1 = v[b];
            v[a] = x0 * c - x1 * s;
            v[b] = x0 * s + x1 * c;
        }
    }
}

} // namespace quire::inference::cpu
