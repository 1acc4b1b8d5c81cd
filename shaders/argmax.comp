#version 450
// Greedy sampling on the device: the index of the largest value of each row (ties: lowest index).

layout(constant_id = 0) const uint WG = 256;
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Out { int o[]; };

layout(push_constant) uniform Params {
    uint rows;
    uint cols;
} p;

shared float bestV[WG];
shared uint bestI[WG];

void main()
{
    const uint row = gl_WorkGroupID.x;
    const uint tid = gl_LocalInvocationID.x;
    float v = -1.0 / 0.0;
    uint bi = 0xFFFFFFFFu;
    for (uint i = tid; i < p.cols; i += WG) {
        const float xi = x[row * p.cols + i];
        if (xi > v) {
            v = xi;
            bi = i;
        }
    }
    bestV[tid] = v;
    bestI[tid] = bi;
    barrier();
    for (uint s = WG / 2u; s > 0u; s >>= 1) {
        if (tid < s) {
            const float ov = bestV[tid + s];
            const uint oi = bestI[tid + s];
            if (ov > bestV[tid] || (ov == bestV[tid] && oi < bestI[tid])) {
                bestV[tid] = ov;
                bestI[tid] = oi;
            }
        }
        barrier();
    }
    if (tid == 0u)
        o[row] = int(bestI[0]);
}
