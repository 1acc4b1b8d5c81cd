#pragma once

#include "inference/ggmltype.h"

#include <cstdint>

namespace quire::inference::cpu
{

// The eight 6-bit scales and minimums of a Q4_K / Q5_K super-block, unpacked from its 12 bytes.
struct KScales {
    std::uint8_t sc[8];
    std::uint8_t m[8];
};

inline KScales unpackKScales(const std::uint8_t *q)
{
    KScales s;
    for (int j = 0; j < 4; ++j) {
        s.sc[j] = q[j] & 63;
        s.m[j] = q[j + 4] & 63;
    }
    for (int j = 4; j < 8; ++j) {
        s.sc[j] = static_cast<std::uint8_t>((q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4));
        s.m[j] = static_cast<std::uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
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
