#pragma once

#include "inference/ggmltype.h"

#include <cstdint>
#include <cstring>

namespace quire::inference::cpu
{

// The eight 6-bit scales and minimums of a Q4_K / Q5_K super-block, unpacked from its 12 bytes.
struct KScales {
    std::uint8_t sc[8];
    std::uint8_t m[8];
};

inline KScales unpackKScales(const std::uint8_t *q)
{
    // Bytes 0-3 hold scales 0-3 (low 6 bits) and the top bits of scales 4-7; bytes 4-7 the same for the
    // minimums; bytes 8-11 the low nibbles of scales 4-7 and (high nibbles) of minimums 4-7. Done four
    // bytes at a time.
    std::uint32_t w[3];
    std::memcpy(w, q, 12);
    const std::uint32_t low6 = 0x3f3f3f3fu, low4 = 0x0f0f0f0fu, low2 = 0x03030303u;
    const std::uint32_t out[4] = {
        w[0] & low6,
        (w[2] & low4) | (((w[0] >> 6) & low2) << 4),
        w[1] & low6,
        ((w[2] >> 4) & low4) | (((w[1] >> 6) & low2) << 4),
    };
    KScales s;
    std::memcpy(s.sc, out, 8);
    std::memcpy(s.m, out + 2, 8);
    return s;
}

// The 256 signed 6-bit values (-32..31) of a Q6_K block, in element order.
inline void unpackQ6K(const BlockQ6_K &b, std::int8_t *q)
{
    const std::uint8_t *ql = b.ql;
    const std::uint8_t *qh = b.qh;
    for (int n = 0; n < QK_K; n += 128, ql += 64, qh += 32, q += 128) {
        for (int l = 0; l < 32; ++l) {
            q[l] = static_cast<std::int8_t>(((ql[l] & 0xf) | (((qh[l] >> 0) & 3) << 4)) - 32);
            q[l + 32] = static_cast<std::int8_t>(((ql[l + 32] & 0xf) | (((qh[l] >> 2) & 3) << 4)) - 32);
            q[l + 64] = static_cast<std::int8_t>(((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32);
            q[l + 96] = static_cast<std::int8_t>(((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32);
        }
    }
}

} // namespace quire::inference::cpu
