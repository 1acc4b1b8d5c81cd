#include "ggmltype.h"

#include <array>
#include <cctype>

namespace quire::inference
{

namespace
{

// Every ggml type id a GGUF file may carry, with its block geometry. Types we cannot compute with are
// still listed, so that a file using them opens (model-info can describe it) and is refused by name
// only where its data would be used.
constexpr std::array kTraits {
    GgmlTypeTraits { GgmlType::F32, "f32", 1, 4, true },
    GgmlTypeTraits { GgmlType::F16, "f16", 1, 2, true },
    GgmlTypeTraits { GgmlType::Q4_0, "q4_0", QK4_0, sizeof(BlockQ4_0), true },
    GgmlTypeTraits { GgmlType::Q4_1, "q4_1", QK4_1, sizeof(BlockQ4_1), true },
    GgmlTypeTraits { GgmlType::Q5_0, "q5_0", QK5_0, sizeof(BlockQ5_0), true },
    GgmlTypeTraits { GgmlType::Q5_1, "q5_1", QK5_1, sizeof(BlockQ5_1), true },
    GgmlTypeTraits { GgmlType::Q8_0, "q8_0", QK8_0, sizeof(BlockQ8_0), true },
    GgmlTypeTraits { GgmlType::Q8_1, "q8_1", 32, 36, false },
    GgmlTypeTraits { GgmlType::Q2_K, "q2_K", QK_K, 84, false },
    GgmlTypeTraits { GgmlType::Q3_K, "q3_K", QK_K, 110, false },
    GgmlTypeTraits { GgmlType::Q4_K, "q4_K", QK_K, sizeof(BlockQ4_K), true },
    GgmlTypeTraits { GgmlType::Q5_K, "q5_K", QK_K, sizeof(BlockQ5_K), true },
    GgmlTypeTraits { GgmlType::Q6_K, "q6_K", QK_K, sizeof(BlockQ6_K), true },
    GgmlTypeTraits { GgmlType::Q8_K, "q8_K", QK_K, sizeof(BlockQ8_K), true },
    GgmlTypeTraits { GgmlType(16), "iq2_xxs", QK_K, 66, false },
    GgmlTypeTraits { GgmlType(17), "iq2_xs", QK_K, 74, false },
    GgmlTypeTraits { GgmlType(18), "iq3_xxs", QK_K, 98, false },
    GgmlTypeTraits { GgmlType(19), "iq1_s", QK_K, 50, false },
    GgmlTypeTraits { GgmlType(20), "iq4_nl", 32, 18, false },
    GgmlTypeTraits { GgmlType(21), "iq3_s", QK_K, 110, false },
    GgmlTypeTraits { GgmlType(22), "iq2_s", QK_K, 82, false },
    GgmlTypeTraits { GgmlType(23), "iq4_xs", QK_K, 136, false },
    GgmlTypeTraits { GgmlType(24), "i8", 1, 1, false },
    GgmlTypeTraits { GgmlType(25), "i16", 1, 2, false },
    GgmlTypeTraits { GgmlType(26), "i32", 1, 4, false },
    GgmlTypeTraits { GgmlType(27), "i64", 1, 8, false },
    GgmlTypeTraits { GgmlType(28), "f64", 1, 8, false },
    GgmlTypeTraits { GgmlType(29), "iq1_m", QK_K, 56, false },
    GgmlTypeTraits { GgmlType::BF16, "bf16", 1, 2, true },
    GgmlTypeTraits { GgmlType(34), "tq1_0", QK_K, 54, false },
    GgmlTypeTraits { GgmlType(35), "tq2_0", QK_K, 66, false },
    GgmlTypeTraits { GgmlType(39), "mxfp4", 32, 17, false },
};

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

} // namespace

std::optional<GgmlTypeTraits> ggmlTypeTraits(std::uint32_t id)
{
    for (const GgmlTypeTraits &t : kTraits) {
        if (static_cast<std::uint32_t>(t.type) == id)
            return t;
    }
    return std::nullopt;
}

GgmlTypeTraits ggmlTypeTraits(GgmlType type)
{
    if (auto t = ggmlTypeTraits(static_cast<std::uint32_t>(type)))
        return *t;
    return GgmlTypeTraits { type, "unknown", 1, 0, false };
}

std::optional<GgmlType> ggmlTypeFromName(std::string_view name)
{
    for (const GgmlTypeTraits &t : kTraits) {
        if (equalsIgnoringCase(t.name, name))
            return t.type;
    }
    return std::nullopt;
}

} // namespace quire::inference
