#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace quire::inference
{

// XXH64 (the 64-bit xxHash of the public specification): fast enough to checksum gigabytes of KV cache
// (several GB/s on one core) and to fingerprint a model file. Not a cryptographic hash.
std::uint64_t hash64(std::span<const std::uint8_t> bytes, std::uint64_t seed = 0);
inline std::uint64_t hash64(std::string_view text, std::uint64_t seed = 0)
{
    return hash64({ reinterpret_cast<const std::uint8_t *>(text.data()), text.size() }, seed);
}

} // namespace quire::inference
