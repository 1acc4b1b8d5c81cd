#version 450
// Combines the KV splits of flash_attn: out = sum_s exp(m_s - M) acc_s / sum_s exp(m_s - M) l_s.
// Workgroup (x = token, y = head); threads over the head dimension.

layout(constant_id = 0) const uint WG = 64;
layout(constant_id = 1) const uint D = 128;
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Part { float part[]; };
layout(std430, binding = 1) writeonly buffer Out { float o[]; };

layout(push_constant) uniform Params {
    uint tokens;
    uint nHead;
    uint nSplit;
} p;

void main()
{
    const uint t = gl_WorkGroupID.x;
    const uint h = gl_WorkGroupID.y;
    float mMax = -1.0 / 0.0;
    for (uint s = 0u; s < p.nSplit; ++s)
        mMax = max(mMax, part[((s * p.tokens + t) * p.nHead + h) * (D + 2u) + D]);
    float lSum = 0.0;
    for (uint s = 0u; s < p.nSplit; ++s) {
        const uint pb = ((s * p.tokens + t) * p.nHead + h) * (D + 2u);
        const float ms = part[pb + D];
        if (ms > -1.0 / 0.0)
            lSum += exp(ms - mMax) * part[pb + D + 1u];
    }
    for (uint d = gl_LocalInvocationID.x; d < D; d += WG) {
        float a = 0.0;
        for (uint s = 0u; s < p.nSplit; ++s) {
            const uint pb = ((s * p.tokens + t) * p.nHead + h) * (D + 2u);
            const float ms = part[pb + D];
            if (ms > -1.0 / 0.0)
                a += exp(ms - mMax) * part[pb + d];
        }
        o[(t * p.nHead + h) * D + d] = lSum > 0.0 ? a / lSum : 0.0;
    }
}
