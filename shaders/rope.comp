#version 450
// Rotary position embedding, in place, on x laid out [token][head][headDim], and in the same dispatch on a
// second buffer k laid out [token][kvHeads][headDim] (queries and keys together; kvHeads = 0: x only).
// NEOX pairs (i, i + d/2); normal (llama) pairs (2i, 2i + 1). Only the first nRot dims rotate.
// theta = pos * freqScale * base^(-2i/nRot); YaRN adds ramp mixing and an attention factor.

layout(local_size_x = 64) in;

layout(std430, binding = 0) buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Pos { int pos[]; };
layout(std430, binding = 2) buffer K { float k[]; };

layout(push_constant) uniform Params {
    uint tokens;
    uint heads;
    uint headDim;
    uint nRot;
    uint neox;
    float freqBase;
    float freqScale;
    float extFactor;   // YaRN: 0 disables
    float attnFactor;
    float corrLow;     // YaRN correction dims
    float corrHigh;
    uint kvHeads;
} p;

float rampMix(uint i0)
{
    const float y = (float(i0) / 2.0 - p.corrLow) / max(0.001, p.corrHigh - p.corrLow);
    return 1.0 - min(1.0, max(0.0, y));
}

void main()
{
    const uint half_ = p.nRot / 2u;
    const uint idx = gl_GlobalInvocationID.x;
    const uint allHeads = p.heads + p.kvHeads;
    if (idx >= p.tokens * allHeads * half_)
        return;
    const uint i = idx % half_;
    const uint slot = (idx / half_) % allHeads;
    const uint t = idx / (half_ * allHeads);
    const bool isKey = slot >= p.heads;
    const uint head = isKey ? slot - p.heads : slot;
    const uint heads = isKey ? p.kvHeads : p.heads;
    const float thetaExtrap = float(pos[t]) * pow(p.freqBase, -2.0 * float(i) / float(p.nRot));
    const float thetaInterp = p.freqScale * thetaExtrap;
    float theta = thetaInterp;
    float mscale = p.attnFactor;
    if (p.extFactor != 0.0) {
        const float mix_ = rampMix(2u * i) * p.extFactor;
        theta = thetaInterp * (1.0 - mix_) + thetaExtrap * mix_;
        mscale *= 1.0 + 0.1 * log(1.0 / p.freqScale);
    }
    const float c = cos(theta) * mscale;
    const float s = sin(theta) * mscale;
    const uint base = (t * heads + head) * p.headDim;
    const uint a = base + (p.neox != 0u ? i : 2u * i);
    const uint b = base + (p.neox != 0u ? i + half_ : 2u * i + 1u);
    if (isKey) {
        const float x0 = k[a];
        const float x1 = k[b];
        k[a] = x0 * c - x1 * s;
        k[b] = x0 * s + x1 * c;
    } else {
        const float x0 = x[a];
        const float x1 = x[b];
        x[a] = x0 * c - x1 * s;
        x[b] = x0 * s + x1 * c;
    }
}
