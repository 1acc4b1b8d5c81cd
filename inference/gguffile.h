#pragma once

#include "ggmltype.h"
#include "util/error.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace quire::inference
{

// GGUF metadata value types, numbered as in the file format.
enum class GgufValueType : std::uint32_t {
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
};

struct GgufTensorInfo {
    std::string name;
    GgmlType type = GgmlType::F32;
    int nDims = 0;
    std::array<std::int64_t, 4> ne { 1, 1, 1, 1 }; // ne[0] is the contiguous (row) dimension, as in ggml
    std::uint64_t offset = 0; // from the start of the data section
    std::size_t bytes = 0;
    const std::uint8_t *data = nullptr; // into the mapping; valid while the GgufFile lives

    std::int64_t elements() const { return ne[0] * ne[1] * ne[2] * ne[3]; }
    std::int64_t rows() const { return ne[1] * ne[2] * ne[3]; }
};

struct GgufValue;

// A GGUF v2/v3 file, memory-mapped read-only. open() validates everything up front (header, every
// metadata value, tensor types, shapes, offsets, sizes and overflow), so the accessors never fail
// on a hostile file: they answer nullopt when a key is missing or of another type.

class GgufFile
{
public:
    static Expected<std::unique_ptr<GgufFile>> open(const std::string &path);
    // Parses a buffer the caller keeps alive (fuzzing, tests). Same validation as open().
    static Expected<std::unique_ptr<GgufFile>> fromMemory(std::span<const std::uint8_t> bytes);
    ~GgufFile();

    std::uint32_t version() const;
    std::size_t alignment() const;
    std::size_t fileSize() const;
    std::span<const std::uint8_t> bytes() const; // the whole file
    std::uint64_t dataOffset() const; // where the tensor data section starts

    // Metadata, in file order.
    const std::vector<std::string> &keys() const;
    bool has(std::string_view key) const;
    std::optional<GgufValueType> typeOf(std::string_view key) const;
    std::optional<GgufValueType> arrayTypeOf(std::string_view key) const;
    std::optional<std::int64_t> getInt(std::string_view key) const; // any integer type (u64 above INT64_MAX: nullopt)
    std::optional<double> getFloat(std::string_view key) const; // float32/64, or any integer
    std::optional<bool> getBool(std::string_view key) const;
    std::optional<std::string_view> getString(std::string_view key) const;
    std::optional<std::uint64_t> arraySize(std::string_view key) const;
    std::optional<std::vector<std::string_view>> getStringArray(std::string_view key) const;
    std::optional<std::vector<float>> getFloatArray(std::string_view key) const; // float or integer arrays
    std::optional<std::vector<std::int64_t>> getIntArray(std::string_view key) const; // integer or bool arrays
    // A readable rendering of any value ("[32000 strings]" for long arrays), for model-info.
    std::string describe(std::string_view key) const;
    // The parsed value (nested arrays, raw bytes) for callers that need more than the getters; see ggufvalue.h.
    const GgufValue *value(std::string_view key) const;

    // Tensors, in file order.
    const std::vector<GgufTensorInfo> &tensors() const;
    const GgufTensorInfo *tensor(std::string_view name) const;

private:
    GgufFile();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace quire::inference
