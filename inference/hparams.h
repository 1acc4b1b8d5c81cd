#pragma once

#include "util/error.h"

#include <cstdint>
#include <string>

namespace quire::inference
{

class GgufFile;

enum class Architecture { Llama, Qwen2, Qwen3 };

// Normal: rotate adjacent pairs (2i, 2i+1), as llama.cpp's LLaMA graph. NeoX: rotate (i, i + d/2).
enum class RopeStyle { Normal, NeoX };
enum class RopeScaling { None, Linear, Yarn };

// The hyperparameters of a model, read from `<arch>.*` GGUF metadata with llama.cpp's defaults.
struct HParams {
    Architecture arch = Architecture::Llama;
    std::string archName;
    std::string name; // general.name
    std::int32_t nVocab = 0;
    std::int32_t nCtxTrain = 0;
    std::int32_t nEmbd = 0;
    std::int32_t nLayer = 0;
    std::int32_t nHead = 0;
    std::int32_t nHeadKv = 0;
    std::int32_t headDimK = 0; // key_length, default nEmbd / nHead
    std::int32_t headDimV = 0;
    std::int32_t nFf = 0;
    std::int32_t nRot = 0; // rope.dimension_count, default headDimK
    float rmsEps = 1e-5f;

    RopeStyle ropeStyle = RopeStyle::Normal;
    float ropeFreqBase = 10000.0f;
    float ropeFreqScale = 1.0f; // 1 / scaling factor
    RopeScaling ropeScaling = RopeScaling::None;
    std::int32_t yarnOrigCtx = 0;
    float yarnExtFactor = 0.0f;
    float yarnAttnFactor = 1.0f;
    float yarnBetaFast = 32.0f;
    float yarnBetaSlow = 1.0f;

    bool tiedOutput = false; // set by the model loader from the tensors present

    std::int32_t qWidth() const { return nHead * headDimK; }
    std::int32_t kvWidth() const { return nHeadKv * headDimK; }
    std::int32_t vWidth() const { return nHeadKv * headDimV; }
    std::int32_t gqaRatio() const { return nHead / nHeadKv; }
};

// Reads and checks the hyperparameters; an unsupported architecture is refused by name.
Expected<HParams> readHParams(const GgufFile &file);
const char *architectureName(Architecture arch);

} // namespace quire::inference
