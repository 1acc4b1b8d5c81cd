#version 450
#extension GL_GOOGLE_include_directive : require
// Embedding lookup: out[i][:] = dequant(W[ids[i]][:]). One workgroup per id; threads over units.
// W may be bound as a window of rows [rowBegin, rowBegin + rowCount) (a matrix larger than one binding takes
// one dispatch per window): ids outside the window are left to the other dispatches.

layout(constant_id = 0) const uint WG = 64;
layout(local_size_x_id = 0) in;

#include "common/types.glsl"

layout(std430, binding = 1) readonly buffer Ids { int ids[]; };
layout(std430, binding = 2) writeonly buffer Out { float o[]; };

layout(push_constant) uniform Params {
    uint n;     // ids
    uint cols;  // elements per row
    uint rowBytes;
    uint rowBegin;
    uint rowCount;
} p;

#if defined(SPLIT_LAYOUT)
// Q8_0 / Q4_0 rows in the split layout (Kernels::packRows): the row's quants, then its f16 block scales.
float loadSplit(uint rowBase, uint e)
{
    const uint block = e / 32u;
#if defined(TYPE_Q8_0)
    const float d = loadHalf(rowBase + p.cols + 2u * block);
    return float(signExtend8(loadByte(rowBase + e))) * d;
#else
    const float d = loadHalf(rowBase + p.cols / 2u + 2u * block);
    const uint j = e % 32u;
    const uint q = loadByte(rowBase + block * 16u + (j & 15u));
    return (float(j < 16u ? q & 0xFu : q >> 4) - 8.0) * d;
#endif
}
#endif

void main()
{
    const uint i = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    if (i >= p.n)
        return;
    const uint row = uint(ids[i]) - p.rowBegin;
    if (row >= p.rowCount)
        return;
    const uint rowBase = row * p.rowBytes;
#if defined(SPLIT_LAYOUT)
    for (uint e = gl_LocalInvocationID.x; e < p.cols; e += WG)
        o[i * p.cols + e] = loadSplit(rowBase, e);
    return;
#endif
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
