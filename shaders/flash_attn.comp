#version 450
// Flash attention for prefill and decode: never materialises the score matrix.
// Workgroup (x = query token, y = query head, z = KV split). Keys are processed in tiles of WG:
// each thread scores one key of the tile, then each thread updates its slice of the output with an
// online softmax. With several KV splits (long contexts), partial results (max, sum, unnormalised
// output) go to `part` and flash_attn_merge combines them.
// Q: [tokens][nHead][D] f32. K, V: [kvLen][nKvHead][D], f32 (KV_F32), f16 pairs packed in uints (KV_F16)
// or Q8_0 rows (KV_Q8_0, the layout kv_store writes). K and V may be bound as a window of rows starting at
// key kvBase (caches larger than one binding take several dispatches, one per window, merged as splits).

layout(constant_id = 0) const uint WG = 64;
layout(constant_id = 1) const uint D = 128; // head dimension (a multiple of 2)
layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Q { float q[]; };
#if defined(KV_F32)
layout(std430, binding = 1) readonly buffer K { float k[]; };
layout(std430, binding = 2) readonly buffer V { float v[]; };
#else
layout(std430, binding = 1) readonly buffer K { uint k[]; };
layout(std430, binding = 2) readonly buffer V { uint v[]; };
#endif
layout(std430, binding = 3) writeonly buffer Out { float o[]; };
layout(std430, binding = 4) writeonly buffer Part { float part[]; }; // [split][token][head][D + 2]

layout(push_constant) uniform Params {
    uint tokens;
    uint nHead;
    uint nKvHead;
    uint kvLen;      // valid keys in the cache
    uint qPos0;      // position of query token 0 (causal: token t sees keys 0 .. qPos0 + t)
    uint splitLen;   // keys per split
    uint nSplit;     // splits in all windows together
    float scale;
    uint kvBase;     // first key of the bound window
    uint splitBase;  // split index of this dispatch's z = 0
} p;

shared float qs[D];
shared float score[WG];
shared float red[WG];

// Element e (= kv head * D + d) of cache row j, counted from the window's first row.
#if defined(KV_Q8_0)
float loadQ8(uint j, uint e, bool isKey)
{
    const uint width = p.nKvHead * D;
    const uint rowWords = (width / 4u + (width / 32u + 1u) / 2u + 3u) & ~3u; // kv_store's layout
    const uint base = j * rowWords;
    const uint qw = isKey ? k[base + e / 4u] : v[base + e / 4u];
    const uint sw = isKey ? k[base + width / 4u + e / 64u] : v[base + width / 4u + e / 64u];
    const vec2 d = unpackHalf2x16(sw);
    return float(int(qw << (24u - 8u * (e & 3u))) >> 24) * (((e / 32u) & 1u) == 0u ? d.x : d.y);
}
#endif

float loadK(uint j, uint e)
{
#if defined(KV_Q8_0)
    return loadQ8(j, e, true);
#elif defined(KV_F16)
    const uint idx = j * p.nKvHead * D + e;
    const vec2 h = unpackHalf2x16(k[idx >> 1]);
    return (idx & 1u) == 0u ? h.x : h.y;
#else
    return k[j * p.nKvHead * D + e];
#endif
}

float loadV(uint j, uint e)
{
#if defined(KV_Q8_0)
    return loadQ8(j, e, false);
#elif defined(KV_F16)
    const uint idx = j * p.nKvHead * D + e;
    const vec2 h = unpackHalf2x16(v[idx >> 1]);
    return (idx & 1u) == 0u ? h.x : h.y;
#else
    return v[j * p.nKvHead * D + e];
#endif
}

void main()
{
    const uint t = gl_WorkGroupID.x;
    const uint h = gl_WorkGroupID.y;
    const uint split = p.splitBase + gl_WorkGroupID.z;
    const uint tid = gl_LocalInvocationID.x;
    const uint kvh = h / (p.nHead / p.nKvHead);
    const uint visible = min(p.kvLen, p.qPos0 + t + 1u);
    const uint begin = split * p.splitLen;
    const uint end = min(visible, begin + p.splitLen);

    for (uint d = tid; d < D; d += WG)
        qs[d] = q[(t * p.nHead + h) * D + d] * p.scale;
    const uint perThread = (D + WG - 1u) / WG;
    float acc[(D + WG - 1u) / WG];
    for (uint i = 0u; i < perThread; ++i)
        acc[i] = 0.0;
    float m = -1.0 / 0.0;
    float l = 0.0;
    barrier();

    for (uint j0 = begin; j0 < end; j0 += WG) {
        const uint j = j0 + tid;
        float s = -1.0 / 0.0;
        if (j < end) {
            s = 0.0;
            for (uint d = 0u; d < D; ++d)
                s += qs[d] * loadK(j - p.kvBase, kvh * D + d);
        }
        // Tile maximum and sum by tree reductions over the workgroup.
        red[tid] = s;
        barrier();
        for (uint k = WG / 2u; k > 0u; k >>= 1) {
            if (tid < k)
                red[tid] = max(red[tid], red[tid + k]);
            barrier();
        }
        const float mNew = max(m, red[0]);
        barrier();
        const float e = j < end ? exp(s - mNew) : 0.0;
        score[tid] = e;
        red[tid] = e;
        barrier();
        for (uint k = WG / 2u; k > 0u; k >>= 1) {
            if (tid < k)
                red[tid] += red[tid + k];
            barrier();
        }
        const float tileSum = red[0];
        const float alpha = exp(m - mNew);
        l = l * alpha + tileSum;
        const uint n = min(WG, end - j0);
        for (uint i = 0u; i < perThread; ++i) {
            const uint d = tid + i * WG;
            if (d >= D)
                break;
            float a = acc[i] * alpha;
            for (uint jj = 0u; jj < n; ++jj)
                a += score[jj] * loadV(j0 + jj - p.kvBase, kvh * D + d);
            acc[i] = a;
        }
        m = mNew;
        barrier();
    }

    if (p.nSplit == 1u) {
        const float inv = l > 0.0 ? 1.0 / l : 0.0;
        for (uint i = 0u; i < perThread; ++i) {
            const uint d = tid + i * WG;
            if (d < D)
                o[(t * p.nHead + h) * D + d] = acc[i] * inv;
        }
    } else {
        const uint pb = ((split * p.tokens + t) * p.nHead + h) * (D + 2u);
        for (uint i = 0u; i < perThread; ++i) {
            const uint d = tid + i * WG;
            if (d < D)
                part[pb + d] = acc[i];
        }
        if (tid == 0u) {
            part[pb + D] = m;
            part[pb + D + 1u] = l;
        }
    }
}
