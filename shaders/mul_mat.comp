#version 450
#extension GL_GOOGLE_include_directive : require
// y[c][row] = sum_k W[row][k] * x[c][k] for NCOLS columns of x per workgroup (NCOLS = 1: matrix-vector).
// W is in any ggml type (TYPE_* define); it is dequantised inside the kernel, 32 elements at a time.
// Workgroup (x + y * groupsX) = ROWS rows of W (short rows would leave most threads idle otherwise);
// z = a block of NCOLS columns. Plain types (F32, F16,
// BF16) take rows of any length; block types need whole blocks.

layout(constant_id = 0) const uint WG = 64;
layout(constant_id = 1) const uint NCOLS = 1;
layout(constant_id = 2) const uint ROWS = 1; // rows per workgroup: WG / ROWS threads share a row
layout(local_size_x_id = 0) in;

#include "common/types.glsl"

layout(std430, binding = 1) readonly buffer XBuffer { float x[]; };
layout(std430, binding = 2) buffer YBuffer { float y[]; };

layout(push_constant) uniform Params {
    uint rows;      // rows of W in this dispatch
    uint cols;      // elements per row (multiple of 32)
    uint ncols;     // columns of x in total
    uint xStride;   // floats between columns of x
    uint yStride;   // floats between columns of y
    uint yOffset;   // first output row (W split over several bindings)
    uint accumulate; // 1: y += result
    uint rowBytes;   // bytes per row of W
} p;

shared float partial[WG * NCOLS];

void main()
{
    const uint T = WG / ROWS;
    const uint tid = gl_LocalInvocationID.x;
    const uint lane = tid % T;
    const uint sub = tid / T;
    const uint row = (gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x) * ROWS + sub;
    const bool inRange = row < p.rows; // no early return: every thread reaches the barriers
    const uint col0 = gl_WorkGroupID.z * NCOLS;
    const uint units = p.cols / 32u;
    const uint rowBase = row * p.rowBytes;
    const uint nc = min(NCOLS, p.ncols - col0);

    float acc[NCOLS];
    for (uint c = 0u; c < NCOLS; ++c)
        acc[c] = 0.0;
    for (uint u = lane; inRange && u < units; u += T) {
        float v[32];
        dequantUnit(rowBase + (u / UNITS_PER_BLOCK) * BLOCK_BYTES, u % UNITS_PER_BLOCK, v);
        for (uint c = 0u; c < nc; ++c) {
            const uint xo = (col0 + c) * p.xStride + u * 32u;
            float s = 0.0;
            for (uint i = 0u; i < 32u; i += 4u)
                s += dot(vec4(v[i], v[i + 1u], v[i + 2u], v[i + 3u]),
                         vec4(x[xo + i], x[xo + i + 1u], x[xo + i + 2u], x[xo + i + 3u]));
            acc[c] += s;
        }
    }
#if defined(PLAIN_TYPE)
    for (uint e = units * 32u + lane; inRange && e < p.cols; e += T) {
        const float we = loadElement(rowBase, e);
        for (uint c = 0u; c < nc; ++c)
            acc[c] += we * x[(col0 + c) * p.xStride + e];
    }
#endif
    for (uint c = 0u; c < NCOLS; ++c)
        partial[c * WG + tid] = acc[c];
    barrier();
    for (uint s = T / 2u; s > 0u; s >>= 1) {
        if (lane < s) {
            for (uint c = 0u; c < NCOLS; ++c)
                partial[c * WG + tid] += partial[c * WG + tid + s];
        }
        barrier();
    }
    for (uint c = lane; inRange && c < nc; c += T) {
        const uint yi = (col0 + c) * p.yStride + p.yOffset + row;
        const float r = partial[c * WG + sub * T];
        y[yi] = p.accumulate != 0u ? y[yi] + r : r;
    }
}
