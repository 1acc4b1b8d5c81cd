#pragma once

#include "inference/hparams.h"

#include <cstdint>
#include <vector>

namespace quire::inference::cpu
{

// y = x / rms(x) * weight (weight may be empty: no scale).
void rmsNorm(const float *x, const float *weight, float *y, int n, float eps);
// out[i] = silu(gate[i]) * up[i]
void swiglu(const float *gate, const float *up, float *out, int n);
void addInPlace(float *y, const float *x, int n);

// Rotary position embedding for one position: the cos/sin of every rotated pair, computed once per
// position and applied to every head of q and k.
class Rope
{
public:
    explicit Rope(const HParams &hp);
    // cs receives nRot/2 (cos, sin) pairs for position pos.
    void angles(std::int32_t pos, float *cs) const;
    // Rotates each of `heads` vectors (headDim apart) in place.
    void apply(float *x, int heads, int headDim, const float *cs) const;
    int pairs() const { return m_nRot / 2; }

private:
    int m_nRot;
    RopeStyle m_style;
    float m_freqScale;
    float m_extFactor;
    float m_attnFactor;
    float m_corrLow = 0.0f;
    float m_corrHigh = 0.0f;
    std::vector<double> m_invFreq; // base^(-2i/nRot)
};

} // namespace quire::inference::cpu
