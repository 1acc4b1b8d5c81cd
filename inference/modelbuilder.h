#pragma once

#include "ggmltype.h"
#include "gguffile.h"
#include "ggufwriter.h"
#include "quantizer.h"
#include "util/error.h"
#include "util/progress.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace quire::inference
{

// Builds a model file from float tensors: each tensor is stored as the type asked for and converted
// while the file is written. Metadata goes through writer().
class ModelBuilder
{
public:
    explicit ModelBuilder(int threads = 0);

    GgufWriter &writer() { return m_writer; }

    // Keeps `data` (ne[0] * ... floats) until write().
    Expected<void> addTensor(
        std::string_view name, std::span<const std::int64_t> ne, std::vector<float> data, GgmlType type);
    // Normal(mean, sigma) values drawn at write time, row by row from `seed` (reproducible, no memory held).
    Expected<void> addRandomTensor(std::string_view name,
        std::span<const std::int64_t> ne,
        GgmlType type,
        std::uint64_t seed,
        float sigma,
        float mean = 0.f);

    Expected<void> write(const std::string &path, Progress *progress = nullptr) const;

private:
    GgufWriter m_writer;
    int m_threads;
};

// The shape of a LLaMA-architecture model.
struct LlamaShape {
    std::string name = "quire-random";
    std::int64_t vocab = 32000;
    std::int64_t embedding = 288;
    std::int64_t layers = 6;
    std::int64_t heads = 6;
    std::int64_t kvHeads = 6;
    std::int64_t feedForward = 768;
    std::int64_t contextLength = 2048;
    bool tiedOutput = true;
    float ropeFreqBase = 10000.f;
    float rmsEpsilon = 1e-5f;

    static LlamaShape small(); // BENCHMARKS.md "small": 15.19 M parameters
    static LlamaShape large(); // BENCHMARKS.md "large": 200.83 M parameters
    std::int64_t parameterCount() const;
};

// Writes a random-weight LLaMA model: weights N(0, 1/n_in), token_embd N(0, 1/dim), norms 1 + 0.1 N(0, 1);
// tensor types as llama-quantize would choose them for `mix`. The tokenizer is copied from `vocab`
// (every tokenizer.* key; its token count becomes the vocab size) or, without one, a synthetic
// SentencePiece vocab (<unk>, <s>, </s>, 256 byte tokens, then filler pieces).
Expected<void> writeRandomLlamaModel(const std::string &path,
    const LlamaShape &shape,
    QuantMix mix,
    std::uint64_t seed = 1234,
    const GgufFile *vocab = nullptr,
    Progress *progress = nullptr);

} // namespace quire::inference
