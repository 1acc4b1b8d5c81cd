#pragma once

#include <bit>
#include <cstdint>

namespace quire::inference
{

// Exact IEEE binary16 / bfloat16 <-> binary32 conversions, rounding to nearest even like ggml.
// NaN inputs give a quiet NaN of the same sign.

inline float fp16ToFp32(std::uint16_t h)
{
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1fu;
    const std::uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0) {
        // Zero or subnormal: mantissa * 2^-24, exact in binary32.
        const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;
        return std::bit_cast<float>(std::bit_cast<std::uint32_t>(magnitude) | sign);
    }
    if (exponent == 31)
        return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
    return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

inline std::uint16_t fp32ToFp16(float f)
{
    std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    const auto sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
    x &= 0x7fffffffu;
    if (x >= 0x7f800000u) // Inf or NaN
        return sign | (x > 0x7f800000u ? 0x7e00u : 0x7c00u);
    if (x >= 0x477ff000u) // rounds to a value above 65504: infinity
        return sign | 0x7c00u;
    if (x < 0x38800000u) {
        // Result is subnormal or zero. Adding 0.5 puts the value's 2^-24 units in the low mantissa bits,
        // and the FPU rounds them to nearest even for us.
        const float shifted = std::bit_cast<float>(x) + 0.5f;
        return sign | static_cast<std::uint16_t>(std::bit_cast<std::uint32_t>(shifted) - 0x3f000000u);
    }
    // Normal: rebias the exponent (127 -> 15) and round the 13 dropped bits to nearest even.
    const std::uint32_t oddLsb = (x >> 13) & 1u;
    x += 0xc8000fffu + oddLsb;
    return sign | static_cast<std::uint16_t>(x >> 13);
}

inline float bf16ToFp32(std::uint16_t h)
{
    return std::bit_cast<float>(static_cast<std::uint32_t>(h) << 16);
}

inline std::uint16_t fp32ToBf16(float f)
{
    const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    if ((x & 0x7fffffffu) > 0x7f800000u)
        return static_cast<std::uint16_t>((x >> 16) | 64u); // keep it a (quiet) NaN
    return static_cast<std::uint16_t>((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}

// Whole rows; use F16C when the CPU has it (same results as the scalar functions for every non-NaN).
void fp16ToFp32Row(const std::uint16_t *src, float *dst, std::int64_t n);
void fp32ToFp16Row(const float *src, std::uint16_t *dst, std::int64_t n);
void bf16ToFp32Row(const std::uint16_t *src, float *dst, std::int64_t n);
void fp32ToBf16Row(const float *src, std::uint16_t *dst, std::int64_t n);

} // namespace quire::inference
