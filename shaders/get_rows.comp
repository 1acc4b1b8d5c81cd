#version 450
#extension GL_GOOGLE_include_directive : require
// Embedding lookup: out[i][:] = dequant(W[ids[i]][:]). One workgroup per id; threads over units.

layout(constant_id = 0) const uint WG = 64;
layout(local_size_x_id = 0) in;

#include "common/types.glsl"

layout(std430, binding = 1) readonly buffer Ids { int ids[]; };
layout(std430, binding = 2) writeonly buffer Out { float o[]; };

layout(push_constant) uniform Params {
    uint n;     // ids
    uint cols;  // elements per row
    uint rowBytes;
} p;

void main()
{
    const uint i = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    if (i >= p.n)
        return;
    const uint row = uint(ids[i]);
    const uint rowBase = row * p.rowBytes;
    for (uint u = gl_LocalInvocationID.x; u < p.cols / 32u; u += WG) {
        float v[32];
        dequantUnit(rowBase + (u / UNITS_PER_BLOCK) * BLOCK_BYTES, u % UNITS_PER_BLOCK, v);
        for (uint j = 0u; j < 32u; ++j)
            o[i * p.cols + u * 32u + j] = v[j];
    }
#if defined(PLAIN_TYPE)
    for (uint e = (p.cols / 32u) * 32u + gl_LocalInvocationID.x; e < p.cols; e += WG)
        o[i * p.cols + e] = loadElement(rowBase, e);
#endif
}
