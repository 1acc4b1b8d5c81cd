#version 450
// Writes n new rows of K or V (f32, [n][rowSize]) into the cache at row `dstRow`.
// KV_F16: the cache holds halves packed two per uint; KV_F32: plain floats.

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Src { float src[]; };
#if defined(KV_F16)
layout(std430, binding = 1) buffer Dst { uint dst[]; };
#else
layout(std430, binding = 1) buffer Dst { float dst[]; };
#endif

layout(push_constant) uniform Params {
    uint n;        // rows
    uint rowSize;  // floats per row (even)
    uint dstRow;
} p;

void main()
{
    const uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 256u;
#if defined(KV_F16)
    if (i >= p.n * p.rowSize / 2u)
        return;
    dst[p.dstRow * p.rowSize / 2u + i] = packHalf2x16(vec2(src[2u * i], src[2u * i + 1u]));
#else
    if (i >= p.n * p.rowSize)
        return;
    dst[p.dstRow * p.rowSize + i] = src[i];
#endif
}
