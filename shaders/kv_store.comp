#version 450
// Writes n new rows of K or V (f32, [n][rowSize]) into the cache at row `dstRow`.
// KV_F16: the cache holds halves packed two per uint; KV_F32: plain floats.
// KV_Q8_0: each cache row holds rowSize signed bytes (packed four per uint), then one f16 scale per block
// of 32 (packed two per uint), padded to 16 bytes: the values of ggml's Q8_0 blocks, in a word-aligned layout. One thread
// quantises a pair of blocks, so that no two threads write the same word.
// pair = 1: bindings 2 and 3 hold a second source and cache (V beside K), written by the same dispatch.

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Src { float src0[]; };
layout(std430, binding = 2) readonly buffer Src1 { float src1[]; };
#if defined(KV_F32)
layout(std430, binding = 1) buffer Dst { float dst0[]; };
layout(std430, binding = 3) buffer Dst1 { float dst1[]; };
#define CacheValue float
#else
layout(std430, binding = 1) buffer Dst { uint dst0[]; };
layout(std430, binding = 3) buffer Dst1 { uint dst1[]; };
#define CacheValue uint
#endif

layout(push_constant) uniform Params {
    uint n;        // rows
    uint rowSize;  // floats per row (even; a multiple of 32 for Q8_0)
    uint dstRow;   // first row written, counted from the start of the bound range
    uint pair;     // 1: also bindings 2 and 3
} p;

float src(bool second, uint i)
{
    return second ? src1[i] : src0[i];
}

void store(bool second, uint i, CacheValue v)
{
    if (second)
        dst1[i] = v;
    else
        dst0[i] = v;
}

#if defined(KV_Q8_0)
// Quantises block b of row r (round half to even, as the CPU backend does) and returns its scale.
float quantiseBlock(bool second, uint r, uint b, uint rowWords)
{
    const uint s = r * p.rowSize + b * 32u;
    float amax = 0.0;
    for (uint i = 0u; i < 32u; ++i)
        amax = max(amax, abs(src(second, s + i)));
    const float d = amax / 127.0;
    const float id = amax != 0.0 ? 127.0 / amax : 0.0;
    const uint base = (p.dstRow + r) * rowWords + b * 8u;
    for (uint w = 0u; w < 8u; ++w) {
        uint word = 0u;
        for (uint i = 0u; i < 4u; ++i) {
            const float x = src(second, s + w * 4u + i) * id;
            const int q = int(roundEven(x));
            word |= (uint(q) & 0xFFu) << (8u * i);
        }
        store(second, base + w, word);
    }
    return d;
}
#endif

void main()
{
    uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 256u;
#if defined(KV_Q8_0)
    const uint blocks = p.rowSize / 32u;
    const uint pairs = (blocks + 1u) / 2u;
    const uint perCache = p.n * pairs;
#elif defined(KV_F16)
    const uint perCache = p.n * p.rowSize / 2u;
#else
    const uint perCache = p.n * p.rowSize;
#endif
    const bool second = i >= perCache;
    if (second)
        i -= perCache;
    if (i >= perCache || (second && p.pair == 0u))
        return;
#if defined(KV_Q8_0)
    const uint r = i / pairs;
    const uint b = (i % pairs) * 2u;
    const uint rowWords = (p.rowSize / 4u + pairs + 3u) & ~3u; // rows padded to 16 bytes
    const float d0 = quantiseBlock(second, r, b, rowWords);
    const float d1 = b + 1u < blocks ? quantiseBlock(second, r, b + 1u, rowWords) : 0.0;
    store(second, (p.dstRow + r) * rowWords + p.rowSize / 4u + b / 2u, packHalf2x16(vec2(d0, d1)));
#elif defined(KV_F16)
    store(second, p.dstRow * p.rowSize / 2u + i, packHalf2x16(vec2(src(second, 2u * i), src(second, 2u * i + 1u))));
#else
    store(second, p.dstRow * p.rowSize + i, src(second, i));
#endif
}
