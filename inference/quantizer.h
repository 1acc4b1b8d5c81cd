#pragma once

#include "ggmltype.h"
#include "gguffile.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/progress.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace quire::inference
{

// A target of `quire quantize`: one tensor type, or one of llama.cpp's mixes.
enum class QuantMix {
    F32,
    F16,
    BF16,
    Q8_0,
    Q4_0,
    Q4_1,
    Q5_0,
    Q5_1,
    Q4_K_S,
    Q4_K_M,
    Q5_K_S,
    Q5_K_M,
    Q6_K,
};

struct QuantMixInfo {
    QuantMix mix;
    std::string_view name; // "Q4_K_M"
    GgmlType baseType; // the type of most matrices
    std::uint32_t fileType; // llama.cpp's general.file_type (enum llama_ftype)
};

QuantMixInfo quantMixInfo(QuantMix mix);
// "q4_k_m", "Q8_0", "f16" ...; "q4_k" and "q5_k" mean the _M mixes, as in llama-quantize.
std::optional<QuantMix> quantMixFromName(std::string_view name);
std::vector<QuantMixInfo> quantMixes();

// What happens to one tensor.
struct TensorPlan {
    std::string name;
    GgmlType from;
    GgmlType to;
    std::vector<std::int64_t> ne;
    std::size_t bytesIn = 0;
    std::size_t bytesOut = 0;
};

// llama.cpp's choice of tensor types for a mix (llama_tensor_get_type, dense models, no importance
// matrix): 2-D weights take the base type; output.weight (or a tied token_embd) Q6_K, or Q8_0 when its
// rows are not a multiple of 256; the _M mixes put attn_v and ffn_down in Q6_K on the layers
// use_more_bits() picks; types that do not fit a row fall back (Q4_K->Q5_0, Q5_K->Q5_1, Q6_K->Q8_0, else F16).
// Norms and other 1-D tensors are copied. Fails for a source type Quire cannot convert.
Expected<std::vector<TensorPlan>> planQuantization(const GgufFile &in, QuantMix mix);
// The same rules over tensor descriptions alone (name, nDims, ne, type): the type each one gets.
std::vector<GgmlType> chooseTensorTypes(std::span<const GgufTensorInfo> tensors, QuantMix mix);

struct QuantizeOptions {
    int threads = 0; // 0: all hardware threads
    Progress *progress = nullptr; // phase "quantize", one unit per tensor
    const CancelToken *cancel = nullptr;
};

struct QuantizeReport {
    std::vector<TensorPlan> tensors;
    std::map<std::string, std::pair<std::int64_t, std::uint64_t>> perType; // type name -> (tensors, bytes)
    std::uint64_t inputBytes = 0;
    std::uint64_t outputBytes = 0;
};

// Writes `outPath`: the metadata of `in` (general.file_type and general.quantization_version set for the
// mix) and every tensor converted as planQuantization() says.
Expected<QuantizeReport> quantizeModel(
    const GgufFile &in, const std::string &outPath, QuantMix mix, const QuantizeOptions &options = {});

// Runs fn(begin, end) over [0, rows) split into contiguous ranges on `threads` threads (0: all).
void parallelRows(std::int64_t rows, int threads, const std::function<void(std::int64_t, std::int64_t)> &fn);

// Converts `rows` rows of `n` floats each to `type`, splitting the rows over `threads` threads (0: all).
void quantizeRows(GgmlType type, const float *src, void *dst, std::int64_t rows, std::int64_t n, int threads = 0);

} // namespace quire::inference
