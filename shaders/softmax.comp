#version 450
// Row softmax in place: x[r][:] = softmax(x[r][:] * scale). One workgroup per row.

layout(constant_id = 0) const uint WG = 256;
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) buffer X { float x[]; };

layout(push_constant) uniform Params {
    uint rows;
    uint cols;
    float scale;
} p;

shared float red[WG];

void main()
{
    const uint row = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    if (row >= p.rows)
        return;
    const uint tid = gl_LocalInvocationID.x;
    const uint base = row * p.cols;
    float m = -1.0 / 0.0;
    for (uint i = tid; i < p.cols; i += WG)
        m = max(m, x[base + i] * p.scale);
    red[tid] = m;
    barrier();
    for (uint s = WG / 2u; s > 0u; s >>= 1) {
        if (tid < s)
            red[tid] = max(red[tid], red[tid + s]);
        barrier();
    }
    m = red[0];
    barrier();
    float sum = 0.0;
    for (uint i = tid; i < p.cols; i += WG) {
        const float e = exp(x[base + i] * p.scale - m);
        x[base + i] = e;
        sum += e;
    }
    red[tid] = sum;
    barrier();
    for (uint s = WG / 2u; s > 0u; s >>= 1) {
        if (tid < s)
            red[tid] += red[tid + s];
        barrier();
    }
    const float inv = 1.0 / red[0];
    for (uint i = tid; i < p.cols; i += WG)
        x[base + i] *= inv;
}
