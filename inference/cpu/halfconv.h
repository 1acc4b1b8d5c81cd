#pragma once

#include <bit>
#include <cstdint>

namespace quire::inference::cpu
{

// IEEE half and bfloat16 conversions, scalar (the SIMD files use F16C / AVX-512 BF16 themselves).
inline float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exp = (h >> 10) & 0x1fu;
    const std::uint32_t mant = h & 0x3ffu;
    if (exp == 0) {
        if (mant == 0)
            return std::bit_cast<float>(sign);
        // Subnormal: value = mant * 2^-24.
        const float v = static_cast<float>(mant) * 5.9604644775390625e-8f;
        return sign ? -v : v;
    }
    if (exp == 31)
        return std::bit_cast<float>(sign | 0x7f800000u | (mant << 13));
    return std::bit_cast<float>(sign | ((exp + 112u) << 23) | (mant << 13));
}

inline std::uint16_t floatToHalf(float f)
{
    const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    const std::uint32_t sign = (x >> 16) & 0x8000u;
    const std::uint32_t ax = x & 0x7fffffffu;
    if (ax >= 0x7f800000u) // inf or nan
        return static_cast<std::uint16_t>(sign | 0x7c00u | (ax > 0x7f800000u ? 0x200u : 0u));
    if (ax >= 0x477ff000u) // rounds to >= 65520: overflow to inf
        return static_cast<std::uint16_t>(sign | 0x7c00u);
    if (ax < 0x38800000u) { // subnormal or zero in half: round to nearest even on a 2^-24 grid
        const float a = std::bit_cast<float>(ax);
        const float scaled = a * 16777216.0f; // 2^24
        std::uint32_t m = static_cast<std::uint32_t>(scaled);
        const float rest = scaled - static_cast<float>(m);
        if (rest > 0.5f || (rest == 0.5f && (m & 1u)))
            ++m;
        return static_cast<std::uint16_t>(sign | m);
    }
    // Normal: re-bias the exponent and round the mantissa to nearest even.
    std::uint32_t h = ((ax - 0x38000000u) >> 13);
    const std::uint32_t rest = ax & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u)))
        ++h;
    return static_cast<std::uint16_t>(sign | h);
}

inline float bf16ToFloat(std::uint16_t b)
{
    return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16);
}

inline std::uint16_t floatToBf16(float f)
{
    std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    if ((x & 0x7fffffffu) > 0x7f800000u)
        return static_cast<std::uint16_t>((x >> 16) | 64u); // quiet nan
    x += 0x7fffu + ((x >> 16) & 1u);
    return static_cast<std::uint16_t>(x >> 16);
}

} // namespace quire::inference::cpu
