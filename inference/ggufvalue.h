#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quire::inference
{

enum class GgufValueType : std::uint32_t;

// One parsed metadata value. Scalars and numeric arrays point at their little-endian bytes inside the
// file (`raw`), strings are views into it; the owning GgufFile keeps the bytes alive.
struct GgufValue {
    GgufValueType type {};
    GgufValueType elemType {}; // arrays only
    std::uint64_t count = 0; // arrays: element count; scalars: 1
    const std::uint8_t *raw = nullptr; // scalars and numeric arrays
    std::string_view str; // strings
    std::vector<std::string_view> strings; // arrays of strings
    std::vector<GgufValue> nested; // arrays of arrays

    std::uint64_t asU64() const; // unsigned scalar types (no sign extension)
    // Element i of a numeric array (or the scalar, i = 0) as an integer / float; nullopt on type mismatch.
    std::optional<std::int64_t> intAt(std::uint64_t i) const;
    std::optional<double> floatAt(std::uint64_t i) const;
    std::optional<std::vector<float>> floatArray() const;
    std::optional<std::vector<std::int64_t>> intArray() const;
    std::string describe(std::size_t maxElements = 8) const;

    static std::optional<std::int64_t> scalarInt(GgufValueType type, const std::uint8_t *p);
    static std::optional<double> scalarFloat(GgufValueType type, const std::uint8_t *p);
};

// "uint32", "string", "array" ...
std::string_view ggufValueTypeName(GgufValueType type);
// Bytes of one element of a fixed-size type; 0 for strings and arrays.
std::size_t ggufValueTypeSize(GgufValueType type);

} // namespace quire::inference
