#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace quire::inference {

// Tensor element types, numbered as in GGUF files (ggml's enum ggml_type).
enum class GgmlType : std::uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    BF16 = 30,
};

inline constexpr int QK4_0 = 32;
inline constexpr int QK4_1 = 32;
inline constexpr int QK5_0 = 32;
inline constexpr int QK5_1 = 32;
inline constexpr int QK8_0 = 32;
inline constexpr int QK_K = 256;
inline constexpr int K_SCALE_SIZE = 12;

using ggml_half = std::uint16_t; // IEEE binary16 bits

// Block layouts, byte for byte as ggml stores them.
struct BlockQ4_0 {
    ggml_half d;
    std::uint8_t qs[QK4_0 / 2];
};
struct BlockQ4_1 {
    ggml_half d;
    ggml_half m;
    std::uint8_t qs[QK4_1 / 2];
};
struct BlockQ5_0 {
    ggml_half d;
    std::uint8_t qh[4];
    std::uint8_t qs[QK5_0 / 2];
};
struct BlockQ5_1 {
    ggml_half d;
    ggml_half m;
    std::uint8_t qh[4];
    std::uint8_t qs[QK5_1 / 2];
};
struct BlockQ8_0 {
    ggml_half d;
    std::int8_t qs[QK8_0];
};
struct BlockQ4_K {
    ggml_half d;
    ggml_half dmin;
    std::uint8_t scales[K_SCALE_SIZE];
    std::uint8_t qs[QK_K / 2];
};
struct BlockQ5_K {
    ggml_half d;
    ggml_half dmin;
    std::uint8_t scales[K_SCALE_SIZE];
    std::uint8_t qh[QK_K / 8];
    std::uint8_t qs[QK_K / 2];
};
struct BlockQ6_K {
    std::uint8_t ql[QK_K / 2];
    std::uint8_t qh[QK_K / 4];
    std::int8_t scales[QK_K / 16];
    ggml_half d;
};
struct BlockQ8_K {
    float d;
    std::int8_t qs[QK_K];
    std::int16_t bsums[QK_K / 16];
};

static_assert(sizeof(BlockQ4_0) == 18);
static_assert(sizeof(BlockQ4_1) == 20);
static_assert(sizeof(BlockQ5_0) == 22);
static_assert(sizeof(BlockQ5_1) == 24);
static_assert(sizeof(BlockQ8_0) == 34);
static_assert(sizeof(BlockQ4_K) == 144);
static_assert(sizeof(BlockQ5_K) == 176);
static_assert(sizeof(BlockQ6_K) == 210);
static_assert(sizeof(BlockQ8_K) == 292);

struct GgmlTypeTraits {
    GgmlType type;
    std::string_view name; // "q4_K", as llama.cpp prints it
    int blockSize;         // elements per block
    std::size_t blockBytes;
    bool supported;        // we can read and compute with it
};

// nullopt for ids we do not know.
std::optional<GgmlTypeTraits> ggmlTypeTraits(std::uint32_t id);
GgmlTypeTraits ggmlTypeTraits(GgmlType type);
std::optional<GgmlType> ggmlTypeFromName(std::string_view name); // "q8_0", "Q4_K" ... case-insensitive

} // namespace quire::inference
