#version 450
// Flash attention with one query row (token, head) per thread, for prefill: each thread keeps its query
// and its output in registers and walks its keys with an online softmax, reading K and V rows in 16-byte
// chunks. No shared memory and no barrier: on lavapipe a barrier switches coroutines and every
// non-uniform load loops over the SIMD lanes, so this reads 8-16 values per load where flash_attn reads
// one. Lanes are consecutive tokens of one head (they read the same K/V rows).
// Workgroup x = WG query rows (row = head * tokens + token), z = KV split; the split partials and the
// window binding (kvBase, splitBase) follow flash_attn's conventions, so flash_attn_merge combines them.
// Q: [tokens][nHead][D] f32; K, V: kv_store's layout (KV_F32, KV_F16 or KV_Q8_0).

layout(constant_id = 0) const uint WG = 64;
layout(constant_id = 1) const uint D = 64; // head dimension: a multiple of the values per chunk
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Q { vec4 q4[]; };
layout(std430, binding = 1) readonly buffer K { uvec4 k[]; };
layout(std430, binding = 2) readonly buffer V { uvec4 v[]; };
layout(std430, binding = 3) writeonly buffer Out { vec4 o4[]; };
layout(std430, binding = 4) writeonly buffer Part { float part[]; }; // [split][token][head][D + 2]
#if defined(KV_Q8_0)
layout(std430, binding = 1) readonly buffer KWords { uint kw[]; }; // the same bindings, for block scales
layout(std430, binding = 2) readonly buffer VWords { uint vw[]; };
#endif

layout(push_constant) uniform Params {
    uint tokens;
    uint nHead;
    uint nKvHead;
    uint kvLen;
    uint qPos0;
    uint splitLen;
    uint nSplit;
    float scale;
    uint kvBase;
    uint splitBase;
} p;

#if defined(KV_F32)
const uint PER = 4u;
#elif defined(KV_F16)
const uint PER = 8u;
#else
const uint PER = 16u;
#endif
const uint CH = D / PER; // chunks per head

float qv[D];
float acc[D];

// The PER values of a chunk (Q8_0: before the block scale).
void unpackChunk(uvec4 c, out float x[PER])
{
#if defined(KV_F32)
    const vec4 f = uintBitsToFloat(c);
    x[0] = f.x;
    x[1] = f.y;
    x[2] = f.z;
    x[3] = f.w;
#elif defined(KV_F16)
    for (uint i = 0u; i < 4u; ++i) {
        const vec2 h = unpackHalf2x16(c[i]);
        x[2u * i] = h.x;
        x[2u * i + 1u] = h.y;
    }
#else
    for (uint i = 0u; i < 4u; ++i) {
        for (uint b = 0u; b < 4u; ++b)
            x[4u * i + b] = float(int(c[i] << (24u - 8u * b)) >> 24);
    }
#endif
}

void main()
{
    const uint idx = gl_GlobalInvocationID.x;
    if (idx >= p.tokens * p.nHead)
        return;
    const uint h = idx / p.tokens;
    const uint t = idx % p.tokens;
    const uint kvh = h / (p.nHead / p.nKvHead);
    const uint split = p.splitBase + gl_WorkGroupID.z;
    const uint visible = min(p.kvLen, p.qPos0 + t + 1u);
    const uint begin = split * p.splitLen;
    const uint end = min(visible, begin + p.splitLen);
    const uint width = p.nKvHead * D;
#if defined(KV_Q8_0)
    const uint rowChunks = ((width / 4u + (width / 32u + 1u) / 2u + 3u) & ~3u) / 4u;
#else
    const uint rowChunks = width / PER;
#endif

    const uint qBase = (t * p.nHead + h) * D / 4u;
    for (uint i = 0u; i < D / 4u; ++i) {
        const vec4 x = q4[qBase + i] * p.scale;
        qv[4u * i] = x.x;
        qv[4u * i + 1u] = x.y;
        qv[4u * i + 2u] = x.z;
        qv[4u * i + 3u] = x.w;
    }
    for (uint d = 0u; d < D; ++d)
        acc[d] = 0.0;
    float m = -1.0 / 0.0;
    float l = 0.0;
    for (uint j = begin; j < end; ++j) {
        const uint rowChunk = (j - p.kvBase) * rowChunks + kvh * CH;
        float s = 0.0;
        for (uint c = 0u; c < CH; ++c) {
            float x[PER];
            unpackChunk(k[rowChunk + c], x);
            float part = 0.0;
            for (uint e = 0u; e < PER; ++e)
                part += qv[c * PER + e] * x[e];
#if defined(KV_Q8_0)
            const uint block = (kvh * D + c * PER) / 32u;
            const vec2 d2 = unpackHalf2x16(kw[(j - p.kvBase) * rowChunks * 4u + width / 4u + block / 2u]);
            part *= (block & 1u) == 0u ? d2.x : d2.y;
#endif
            s += part;
        }
        const float mNew = max(m, s);
        const float alpha = exp(m - mNew);
        const float pr = exp(s - mNew);
        l = l * alpha + pr;
        m = mNew;
        for (uint c = 0u; c < CH; ++c) {
            float x[PER];
            unpackChunk(v[rowChunk + c], x);
            float w = pr;
#if defined(KV_Q8_0)
            const uint block = (kvh * D + c * PER) / 32u;
            const vec2 d2 = unpackHalf2x16(vw[(j - p.kvBase) * rowChunks * 4u + width / 4u + block / 2u]);
            w *= (block & 1u) == 0u ? d2.x : d2.y;
#endif
            for (uint e = 0u; e < PER; ++e)
                acc[c * PER + e] = acc[c * PER + e] * alpha + w * x[e];
        }
    }

    if (p.nSplit == 1u) {
        const float inv = l > 0.0 ? 1.0 / l : 0.0;
        for (uint i = 0u; i < D / 4u; ++i)
            o4[qBase + i] = vec4(acc[4u * i], acc[4u * i + 1u], acc[4u * i + 2u], acc[4u * i + 3u]) * inv;
    } else {
        const uint pb = ((split * p.tokens + t) * p.nHead + h) * (D + 2u);
        for (uint d = 0u; d < D; ++d)
            part[pb + d] = acc[d];
        part[pb + D] = m;
        part[pb + D + 1u] = l;
    }
}
