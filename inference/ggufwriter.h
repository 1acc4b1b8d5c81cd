#pragma once

#include "ggmltype.h"
#include "gguffile.h"
#include "util/error.h"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace quire::inference
{

struct GgufValue;

// Fills `out` (exactly the tensor's byte size) with the tensor's data; called once, at write time.
using GgufTensorProducer = std::function<Expected<void>(std::span<std::uint8_t> out)>;
// Called after each tensor is written: (tensors done, tensors in all, bytes written so far). Return false to cancel.
using GgufWriteProgress = std::function<bool(std::size_t done, std::size_t total, std::uint64_t bytes)>;

// Builds a GGUF v3 file: metadata in insertion order (setting a key again replaces its value in place),
// then tensor infos, then tensor data, each tensor aligned to alignment(). Tensor data is only produced
// while writing, so a writer can describe a model much larger than memory.
class GgufWriter
{
public:
    GgufWriter();
    ~GgufWriter();
    GgufWriter(const GgufWriter &) = delete;
    GgufWriter &operator=(const GgufWriter &) = delete;

    // A power of two; written as general.alignment when not the default 32.
    void setAlignment(std::size_t alignment);
    std::size_t alignment() const;

    void setUInt8(std::string_view key, std::uint8_t v);
    void setInt8(std::string_view key, std::int8_t v);
    void setUInt16(std::string_view key, std::uint16_t v);
    void setInt16(std::string_view key, std::int16_t v);
    void setUInt32(std::string_view key, std::uint32_t v);
    void setInt32(std::string_view key, std::int32_t v);
    void setUInt64(std::string_view key, std::uint64_t v);
    void setInt64(std::string_view key, std::int64_t v);
    void setFloat32(std::string_view key, float v);
    void setFloat64(std::string_view key, double v);
    void setBool(std::string_view key, bool v);
    void setString(std::string_view key, std::string_view v);
    void setStringArray(std::string_view key, std::span<const std::string> v);
    void setStringArray(std::string_view key, std::span<const std::string_view> v);
    void setInt32Array(std::string_view key, std::span<const std::int32_t> v);
    void setFloat32Array(std::string_view key, std::span<const float> v);
    // An array of fixed-size elements given as their little-endian bytes (count * element size).
    void setArray(
        std::string_view key, GgufValueType elemType, std::uint64_t count, std::span<const std::uint8_t> bytes);
    // Copies a value read from another file, nested arrays included.
    void setValue(std::string_view key, const GgufValue &value);
    // Copies every metadata entry of `file` (general.alignment excepted: use setAlignment).
    void copyMetadata(const GgufFile &file);
    bool remove(std::string_view key);
    bool has(std::string_view key) const;

    // Tensors, written in the order added. Shape as in ggml: ne[0] is the row length; 1 to 4 dimensions.
    // Fails on a bad shape or name, a duplicate name, or a data size that does not match type and shape.
    Expected<void> addTensor(
        std::string_view name, GgmlType type, std::span<const std::int64_t> ne, GgufTensorProducer producer);
    // Borrows `data`: it must stay valid until write() returns.
    Expected<void> addTensor(
        std::string_view name, GgmlType type, std::span<const std::int64_t> ne, std::span<const std::uint8_t> data);
    Expected<void> addTensor(
        std::string_view name, GgmlType type, std::span<const std::int64_t> ne, std::vector<std::uint8_t> data);
    std::size_t tensorCount() const;

    // Writes atomically (to PATH.tmp, then renamed).
    Expected<void> write(const std::string &path, const GgufWriteProgress &progress = {}) const;
    Expected<std::vector<std::uint8_t>> writeToMemory() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace quire::inference
