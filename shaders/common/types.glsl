// Reading ggml's block formats from a storage buffer of 32-bit words. Blocks are not 4-byte aligned
// (a Q4_0 block is 18 bytes), so bytes are extracted from words: portable to every device without
// 8/16-bit storage features.

layout(std430, binding = 0) readonly buffer WeightBuffer { uint w[]; };

uint loadByte(uint byteOffset)
{
    return (w[byteOffset >> 2] >> ((byteOffset & 3u) * 8u)) & 0xFFu;
}

uint loadU16(uint byteOffset)
{
    // Halves inside ggml blocks are 2-byte aligned.
    return (w[byteOffset >> 2] >> ((byteOffset & 2u) * 8u)) & 0xFFFFu;
}

uint loadU32(uint byteOffset)
{
    if ((byteOffset & 3u) == 0u)
        return w[byteOffset >> 2];
    return loadU16(byteOffset) | (loadU16(byteOffset + 2u) << 16);
}

float loadHalf(uint byteOffset)
{
    return unpackHalf2x16(loadU16(byteOffset)).x;
}

int signExtend8(uint v)
{
    return int(v << 24) >> 24;
}

// Block geometry per type: elements per block, bytes per block. Every type splits into units of
// 32 elements; dequantUnit() writes the 32 values of one unit.
#if defined(TYPE_F32)
const uint BLOCK_ELEMS = 32u;
const uint BLOCK_BYTES = 128u;
#elif defined(TYPE_F16)
const uint BLOCK_ELEMS = 32u;
const uint BLOCK_BYTES = 64u;
#elif defined(TYPE_BF16)
const uint BLOCK_ELEMS = 32u;
const uint BLOCK_BYTES = 64u;
#elif defined(TYPE_Q4_0)
const uint BLOCK_ELEMS = 32u;
const uint BLOCK_BYTES = 18u;
#elif defined(TYPE_Q4_1)
const uint BLOCK_ELEMS = 32u;
const uint BLOCK_BYTES = 20u;
#elif defined(TYPE_Q5_0)
const uint BLOCK_ELEMS = 32u;
const uint BLOCK_BYTES = 22u;
#elif defined(TYPE_Q5_1)
const uint BLOCK_ELEMS = 32u;
const uint BLOCK_BYTES = 24u;
#elif defined(TYPE_Q8_0)
const uint BLOCK_ELEMS = 32u;
const uint BLOCK_BYTES = 34u;
#elif defined(TYPE_Q4_K)
const uint BLOCK_ELEMS = 256u;
const uint BLOCK_BYTES = 144u;
#elif defined(TYPE_Q5_K)
const uint BLOCK_ELEMS = 256u;
const uint BLOCK_BYTES = 176u;
#elif defined(TYPE_Q6_K)
const uint BLOCK_ELEMS = 256u;
const uint BLOCK_BYTES = 210u;
#else
#error "define one TYPE_*"
#endif

const uint UNITS_PER_BLOCK = BLOCK_ELEMS / 32u;

#if defined(TYPE_F32) || defined(TYPE_F16) || defined(TYPE_BF16)
// Plain types have no blocks: rows of any length. Elements past the last whole unit of 32 are read
// one at a time (rows start 4-byte aligned for F32, 2-byte aligned for F16/BF16).
#define PLAIN_TYPE 1
float loadElement(uint rowBase, uint e)
{
#if defined(TYPE_F32)
    return uintBitsToFloat(w[(rowBase >> 2) + e]);
#elif defined(TYPE_F16)
    return loadHalf(rowBase + 2u * e);
#else
    return uintBitsToFloat(loadU16(rowBase + 2u * e) << 16);
#endif
}
#endif

#if defined(TYPE_Q4_K) || defined(TYPE_Q5_K)
// The 6-bit scale and min of sub-block j (0..7) from the 12 packed bytes at `q`.
void scaleMinK4(uint j, uint q, out float sc, out float m)
{
    if (j < 4u) {
        sc = float(loadByte(q + j) & 63u);
        m = float(loadByte(q + j + 4u) & 63u);
    } else {
        sc = float((loadByte(q + j + 4u) & 0xFu) | ((loadByte(q + j - 4u) >> 6) << 4));
        m = float((loadByte(q + j + 4u) >> 4) | ((loadByte(q + j) >> 6) << 4));
    }
}
#endif

// Dequantises unit `u` (0..UNITS_PER_BLOCK-1) of the block starting at byte `b` into v[0..31].
void dequantUnit(uint b, uint u, out float v[32])
{
#if defined(TYPE_F32)
    for (uint i = 0u; i < 32u; ++i)
        v[i] = uintBitsToFloat(w[(b >> 2) + i]);
#elif defined(TYPE_F16)
    if ((b & 3u) == 0u) {
        for (uint i = 0u; i < 16u; ++i) {
            vec2 h = unpackHalf2x16(w[(b >> 2) + i]);
            v[2u * i] = h.x;
            v[2u * i + 1u] = h.y;
        }
    } else {
        for (uint i = 0u; i < 32u; ++i)
            v[i] = loadHalf(b + 2u * i);
    }
#elif defined(TYPE_BF16)
    for (uint i = 0u; i < 32u; ++i)
        v[i] = uintBitsToFloat(loadU16(b + 2u * i) << 16);
#elif defined(TYPE_Q4_0) || defined(TYPE_Q4_1)
#if defined(TYPE_Q4_0)
    const float d = loadHalf(b);
    const float m = -8.0 * d;
    const uint qs = b + 2u;
#else
    const float d = loadHalf(b);
    const float m = loadHalf(b + 2u);
    const uint qs = b + 4u;
#endif
    for (uint j = 0u; j < 16u; ++j) {
        uint q = loadByte(qs + j);
        v[j] = float(q & 0xFu) * d + m;
        v[j + 16u] = float(q >> 4) * d + m;
    }
#elif defined(TYPE_Q5_0) || defined(TYPE_Q5_1)
#if defined(TYPE_Q5_0)
    const float d = loadHalf(b);
    const float m = -16.0 * d;
    const uint qh = loadU32(b + 2u);
    const uint qs = b + 6u;
#else
    const float d = loadHalf(b);
    const float m = loadHalf(b + 2u);
    const uint qh = loadU32(b + 4u);
    const uint qs = b + 8u;
#endif
    for (uint j = 0u; j < 16u; ++j) {
        uint q = loadByte(qs + j);
        uint h0 = ((qh >> j) << 4) & 0x10u;
        uint h1 = (qh >> (j + 12u)) & 0x10u;
        v[j] = float((q & 0xFu) | h0) * d + m;
        v[j + 16u] = float((q >> 4) | h1) * d + m;
    }
#elif defined(TYPE_Q8_0)
    const float d = loadHalf(b);
    for (uint j = 0u; j < 32u; ++j)
        v[j] = float(signExtend8(loadByte(b + 2u + j))) * d;
#elif defined(TYPE_Q4_K) || defined(TYPE_Q5_K)
    // Unit u covers sub-block u: 64-element chunk u/2, low nibbles for even u, high for odd.
    const float d = loadHalf(b);
    const float dmin = loadHalf(b + 2u);
    float sc, mn;
    scaleMinK4(u, b + 4u, sc, mn);
    const float dl = d * sc;
    const float ml = dmin * mn;
#if defined(TYPE_Q4_K)
    const uint qs = b + 16u + (u >> 1) * 32u;
#else
    const uint qh = b + 16u;
    const uint qs = b + 48u + (u >> 1) * 32u;
#endif
    const uint shift = (u & 1u) * 4u;
    for (uint l = 0u; l < 32u; ++l) {
        uint q = (loadByte(qs + l) >> shift) & 0xFu;
#if defined(TYPE_Q5_K)
        q |= ((loadByte(qh + l) >> u) & 1u) << 4;
#endif
        v[l] = dl * float(q) - ml;
    }
#elif defined(TYPE_Q6_K)
    // 128-element halves n = u/4; within a half, unit r = u%4 takes (ql low|high nibble, qh bit pair).
    const uint n = u >> 2;
    const uint r = u & 3u;
    const uint ql = b + n * 64u + (r & 1u) * 32u;
    const uint qh = b + 128u + n * 32u;
    const uint sc = b + 192u + n * 8u;
    const float d = loadHalf(b + 208u);
    const uint nibbleShift = (r >> 1) * 4u;
    const uint hiShift = r * 2u;
    for (uint l = 0u; l < 32u; ++l) {
        int q = int(((loadByte(ql + l) >> nibbleShift) & 0xFu) | (((loadByte(qh + l) >> hiShift) & 3u) << 4)) - 32;
        float s = float(signExtend8(loadByte(sc + (l >> 4) + 2u * r)));
        v[l] = d * s * float(q);
    }
#endif
}
