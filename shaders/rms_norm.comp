#version 450
// out[r][:] = x[r][:] / sqrt(mean(x[r]^2) + eps) * weight[:]  (weight optional). One workgroup per row.

layout(constant_id = 0) const uint WG = 256;
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Wt { float weight[]; };
layout(std430, binding = 2) writeonly buffer Out { float o[]; };

layout(push_constant) uniform Params {
    uint rows;
    uint cols;
    float eps;
    uint hasWeight;
    uint weightCols; // weight repeats every weightCols (per-head q/k norms); = cols otherwise
} p;

shared float partial[WG];

void main()
{
    const uint row = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    if (row >= p.rows)
        return;
    const uint tid = gl_LocalInvocationID.x;
    const uint base = row * p.cols;
    float s = 0.0;
    for (uint i = tid; i < p.cols; i += WG)
        s += x[base + i] * x[base + i];
    partial[tid] = s;
    barrier();
    for (uint k = WG / 2u; k > 0u; k >>= 1) {
        if (tid < k)
            partial[tid] += partial[tid + k];
        barrier();
    }
    const float scale = inversesqrt(partial[0] / float(p.cols) + p.eps);
    for (uint i = tid; i < p.cols; i += WG) {
        const float v = x[base + i] * scale;
        o[base + i] = p.hasWeight != 0u ? v * weight[i % p.weightCols] : v;
    }
}
