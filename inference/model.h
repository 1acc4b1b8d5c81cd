#pragma once

#include "inference/ggmltype.h"
#include "inference/hparams.h"
#include "util/error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace quire::inference
{

class GgufFile;

// A weight matrix inside the mapped GGUF: `rows` rows of `cols` elements (GGUF ne = [cols, rows]),
// each row rowBytes long in its storage type. Backends read it in place or upload it.
struct Weight {
    GgmlType type = GgmlType::F32;
    std::int64_t cols = 0;
    std::int64_t rows = 0;
    std::size_t rowBytes = 0;
    const std::uint8_t *data = nullptr;

    explicit operator bool() const { return data != nullptr; }
    std::size_t bytes() const { return rowBytes * static_cast<std::size_t>(rows); }
    const std::uint8_t *row(std::int64_t r) const { return data + static_cast<std::size_t>(r) * rowBytes; }
};

// One transformer block. Vectors are small and kept as float; empty when the architecture has none.
struct LayerWeights {
    std::vector<float> attnNorm;
    std::vector<float> ffnNorm;
    std::vector<float> qNorm; // qwen3: per-head RMS norm of q and k, headDimK wide
    std::vector<float> kNorm;
    std::vector<float> qBias; // qwen2
    std::vector<float> kBias;
    std::vector<float> vBias;
    Weight wq;
    Weight wk;
    Weight wv;
    Weight wo;
    Weight ffnGate;
    Weight ffnUp;
    Weight ffnDown;
};

// A decoder-only transformer (llama, qwen2, qwen3) read from a GGUF file. The tensors stay in the
// memory-mapped file; load() checks every shape and type against the hyperparameters.
class Model
{
public:
    static Expected<std::unique_ptr<Model>> load(const std::string &path);
    static Expected<std::unique_ptr<Model>> fromGguf(std::unique_ptr<GgufFile> file);
    ~Model();
    Model(const Model &) = delete;
    Model &operator=(const Model &) = delete;

    const HParams &hparams() const { return m_hp; }
    const GgufFile &gguf() const { return *m_file; }
    const Weight &tokenEmbedding() const { return m_tokenEmbd; }
    // The output head: output.weight, or the token embedding when tied.
    const Weight &output() const { return m_hp.tiedOutput ? m_tokenEmbd : m_output; }
    const std::vector<float> &outputNorm() const { return m_outputNorm; }
    const LayerWeights &layer(int i) const { return m_layers[static_cast<std::size_t>(i)]; }

    std::uint64_t parameterCount() const;
    // Bytes of weights one generated token reads: every matrix once, one embedding row, and the whole
    // embedding again when it is the output head.
    std::uint64_t weightBytesPerToken() const;
    // "q4_K x 98, q6_K x 15, f32 x 33": tensor count per storage type.
    std::string typeMix() const;

private:
    Model() = default;
    Expected<void> bind();
    Expected<void> bindLayer(int i);

    std::unique_ptr<GgufFile> m_file;
    HParams m_hp;
    Weight m_tokenEmbd;
    Weight m_output;
    std::vector<float> m_outputNorm;
    std::vector<LayerWeights> m_layers;
};

} // namespace quire::inference
