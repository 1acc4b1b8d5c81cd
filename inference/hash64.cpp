#include "inference/hash64.h"

#include <bit>
#include <cstring>

namespace quire::inference
{

namespace
{

constexpr std::uint64_t kP1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kP2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kP3 = 0x165667B19E3779F9ULL;
constexpr std::uint64_t kP4 = 0x85EBCA77C2B2AE63ULL;
constexpr std::uint64_t kP5 = 0x27D4EB2F165667C5ULL;

// The specification reads little-endian words; every target we build for is little-endian.
static_assert(std::endian::native == std::endian::little);

std::uint64_t read64(const std::uint8_t *p)
{
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

std::uint32_t read32(const std::uint8_t *p)
{
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

std::uint64_t round(std::uint64_t acc, std::uint64_t input)
{
    acc += input * kP2;
    return std::rotl(acc, 31) * kP1;
}

std::uint64_t mergeRound(std::uint64_t acc, std::uint64_t value)
{
    acc ^= round(0, value);
    return acc * kP1 + kP4;
}

} // namespace

std::uint64_t hash64(std::span<const std::uint8_t> bytes, std::uint64_t seed)
{
    const std::uint8_t *p = bytes.data();
    const std::uint8_t *end = p + bytes.size();
    std::uint64_t h;
    if (bytes.size() >= 32) {
        std::uint64_t v1 = seed + kP1 + kP2, v2 = seed + kP2, v3 = seed, v4 = seed - kP1;
        for (; p + 32 <= end; p += 32) {
            v1 = round(v1, read64(p));
            v2 = round(v2, read64(p + 8));
            v3 = round(v3, read64(p + 16));
            v4 = round(v4, read64(p + 24));
        }
        h = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) + std::rotl(v4, 18);
        h = mergeRound(mergeRound(mergeRound(mergeRound(h, v1), v2), v3), v4);
    } else {
        h = seed + kP5;
    }
    h += bytes.size();
    for (; p + 8 <= end; p += 8)
        h = std::rotl(h ^ round(0, read64(p)), 27) * kP1 + kP4;
    if (p + 4 <= end) {
        h = std::rotl(h ^ (read32(p) * kP1), 23) * kP2 + kP3;
        p += 4;
    }
    for (; p < end; ++p)
        h = std::rotl(h ^ (*p * kP5), 11) * kP1;
    h ^= h >> 33;
    h *= kP2;
    h ^= h >> 29;
    h *= kP3;
    h ^= h >> 32;
    return h;
}

} // namespace quire::inference
