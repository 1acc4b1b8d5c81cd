#version 450
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
// y[c][row] (+)= sum_k W[row][k] * x[c][k] for rows that are a whole number of 16-byte chunks: plain types
// (TYPE_F32: 4 values a chunk, TYPE_F16 / TYPE_BF16: 8) and Q8_0 / Q4_0 in the split layout the backend
// uploads them in (a row's quants first, 16 or 32 values a chunk, then its f16 block scales; see
// Kernels::packRows). A subgroup owns R rows at a time: its lanes
// stride over the chunks (consecutive lanes read consecutive 16 bytes), each chunk of x is loaded once
// for the R rows, and subgroupAdd reduces: no shared memory, no barrier. On lavapipe, where every
// non-uniform load costs a loop over the SIMD lanes, 16-byte loads and the x reuse cut those loops
// 4-8 fold against loading words.
// Workgroup (x + y * groupsX) = ROWS = (WG / subgroup size) * R rows; z = a block of NCOLS columns.
// GLU: binding 3 holds a second matrix of the same shape (the feed-forward's up projection) and the
// output is silu(W x) * (W3 x): gate, up and SwiGLU in one dispatch.

layout(constant_id = 0) const uint WG = 64;
layout(constant_id = 1) const uint NCOLS = 1;
layout(constant_id = 2) const uint R = 2;      // rows per subgroup pass
layout(constant_id = 3) const uint GROUPS = 8; // row groups per workgroup: WG / the device's subgroup size
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer WBuffer { uvec4 w[]; };
layout(std430, binding = 0) readonly buffer WWords { uint ww[]; }; // the same binding, for block scales
layout(std430, binding = 1) readonly buffer XBuffer { vec4 x[]; };
layout(std430, binding = 2) buffer YBuffer { float y[]; };
#if defined(GLU)
layout(std430, binding = 3) readonly buffer UBuffer { uvec4 wu[]; };
layout(std430, binding = 3) readonly buffer UWords { uint wuw[]; };
#endif

layout(push_constant) uniform Params {
    uint rows;      // rows of W in this dispatch
    uint cols;      // elements per row
    uint ncols;     // columns of x in total
    uint xStride;   // floats between columns of x (a multiple of 4)
    uint yStride;   // floats between columns of y
    uint yOffset;   // first output row (W split over several bindings)
    uint accumulate; // 1: y += result
    uint rowBytes;   // bytes per row of W (a multiple of 16)
} p;

#if defined(TYPE_F32)
const uint PER_CHUNK = 4u;
#elif defined(TYPE_Q8_0)
const uint PER_CHUNK = 16u;
#elif defined(TYPE_Q4_0)
const uint PER_CHUNK = 32u;
#else
const uint PER_CHUNK = 8u;
#endif
const uint NX = PER_CHUNK / 4u; // vec4s of x per chunk
vec4 xv[NCOLS * NX];            // the current chunk's x values, for every column

// The dot product of one 16-byte chunk of W with x values xv[b .. b + NX - 1], before the block scale.
#if defined(TYPE_F32)
float chunkDot(uvec4 c, uint b)
{
    return dot(uintBitsToFloat(c), xv[b]);
}
#elif defined(TYPE_Q8_0)
vec4 signedBytes(uint v)
{
    return vec4(int(v << 24) >> 24, int(v << 16) >> 24, int(v << 8) >> 24, int(v) >> 24);
}
float chunkDot(uvec4 c, uint b)
{
    return dot(signedBytes(c.x), xv[b]) + dot(signedBytes(c.y), xv[b + 1u]) + dot(signedBytes(c.z), xv[b + 2u])
        + dot(signedBytes(c.w), xv[b + 3u]);
}
#elif defined(TYPE_Q4_0)
// Byte j of a block holds value j in its low nibble and value j + 16 in its high one; values are nibble - 8.
float nibbleDot(uint v, vec4 lo, vec4 hi)
{
    const vec4 l = vec4(v & 0xFu, (v >> 8) & 0xFu, (v >> 16) & 0xFu, (v >> 24) & 0xFu) - 8.0;
    const vec4 h = vec4((v >> 4) & 0xFu, (v >> 12) & 0xFu, (v >> 20) & 0xFu, v >> 28) - 8.0;
    return dot(l, lo) + dot(h, hi);
}
float chunkDot(uvec4 c, uint b)
{
    return nibbleDot(c.x, xv[b], xv[b + 4u]) + nibbleDot(c.y, xv[b + 1u], xv[b + 5u])
        + nibbleDot(c.z, xv[b + 2u], xv[b + 6u]) + nibbleDot(c.w, xv[b + 3u], xv[b + 7u]);
}
#else
vec4 lowHalves(uvec4 c)
{
#if defined(TYPE_F16)
    return vec4(unpackHalf2x16(c.x).x, unpackHalf2x16(c.y).x, unpackHalf2x16(c.z).x, unpackHalf2x16(c.w).x);
#else
    return uintBitsToFloat(c << 16);
#endif
}
vec4 highHalves(uvec4 c)
{
#if defined(TYPE_F16)
    return vec4(unpackHalf2x16(c.x).y, unpackHalf2x16(c.y).y, unpackHalf2x16(c.z).y, unpackHalf2x16(c.w).y);
#else
    return uintBitsToFloat(c & 0xFFFF0000u);
#endif
}
// The chunk holds values k, k+1 in .x, k+2, k+3 in .y, ...
float chunkDot(uvec4 c, uint b)
{
    const vec4 lo = lowHalves(c), hi = highHalves(c);
    const vec4 x0 = xv[b], x1 = xv[b + 1u];
    return dot(lo, vec4(x0.x, x0.z, x1.x, x1.z)) + dot(hi, vec4(x0.y, x0.w, x1.y, x1.w));
}
#endif

// The block scale of chunk c of a row (1 for plain types); `up` reads the GLU's second matrix.
float chunkScale(uint row, uint c, bool up)
{
#if defined(TYPE_Q8_0) || defined(TYPE_Q4_0)
    const uint block = c * PER_CHUNK / 32u;
    const uint quantBytes = p.cols / PER_CHUNK * 16u; // the scales follow the quants
    const uint word = (row * p.rowBytes + quantBytes) / 4u + block / 2u;
#if defined(GLU)
    const vec2 d = unpackHalf2x16(up ? wuw[word] : ww[word]);
#else
    const vec2 d = unpackHalf2x16(ww[word]);
#endif
    return (block & 1u) == 0u ? d.x : d.y;
#else
    return 1.0;
#endif
}

void main()
{
    const uint wgIndex = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    const uint col0 = gl_WorkGroupID.z * NCOLS;
    const uint nc = min(NCOLS, p.ncols - col0);
    const uint chunks = p.cols / PER_CHUNK; // chunks of values; rows may carry scales after them
    const uint rowChunks = p.rowBytes / 16u;
    const uint lane = gl_SubgroupInvocationID;
    // A loop, not an assumption: a device may run fewer or more subgroups than GROUPS.
    for (uint g = gl_SubgroupID; g < GROUPS; g += gl_NumSubgroups) {
        const uint row0 = (wgIndex * GROUPS + g) * R;
        float acc[R * NCOLS];
        for (uint i = 0u; i < R * NCOLS; ++i)
            acc[i] = 0.0;
#if defined(GLU)
        float accUp[R * NCOLS];
        for (uint i = 0u; i < R * NCOLS; ++i)
            accUp[i] = 0.0;
#endif
        for (uint c = lane; c < chunks; c += gl_SubgroupSize) {
            for (uint n = 0u; n < NCOLS; ++n) {
                const uint xo = ((col0 + min(n, nc - 1u)) * p.xStride + c * PER_CHUNK) / 4u;
                for (uint i = 0u; i < NX; ++i)
                    xv[n * NX + i] = x[xo + i];
            }
            for (uint r = 0u; r < R; ++r) {
                if (row0 + r >= p.rows)
                    break;
                const uvec4 wc = w[(row0 + r) * rowChunks + c];
                const float d = chunkScale(row0 + r, c, false);
                for (uint n = 0u; n < NCOLS; ++n)
                    acc[r * NCOLS + n] += d * chunkDot(wc, n * NX);
#if defined(GLU)
                const uvec4 uc = wu[(row0 + r) * rowChunks + c];
                const float du = chunkScale(row0 + r, c, true);
                for (uint n = 0u; n < NCOLS; ++n)
                    accUp[r * NCOLS + n] += du * chunkDot(uc, n * NX);
#endif
            }
        }
        for (uint r = 0u; r < R; ++r) {
            for (uint n = 0u; n < NCOLS; ++n) {
                float s = subgroupAdd(acc[r * NCOLS + n]);
#if defined(GLU)
                const float u = subgroupAdd(accUp[r * NCOLS + n]);
                s = s / (1.0 + exp(-s)) * u;
#endif
                if (subgroupElect() && row0 + r < p.rows && n < nc) {
                    const uint yi = (col0 + n) * p.yStride + p.yOffset + row0 + r;
                    y[yi] = p.accumulate != 0u ? y[yi] + s : s;
                }
            }
        }
    }
}
