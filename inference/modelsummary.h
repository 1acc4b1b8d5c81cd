#pragma once

#include "gguffile.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace quire::inference
{

// What `quire model-info` shows: the facts about a GGUF model a person asks first, read from its
// metadata and tensor table. Missing keys stay empty (nullopt); nothing here fails.
struct ModelSummary {
    struct TypeUse {
        std::string type; // "q4_K"
        std::int64_t tensors = 0;
        std::int64_t elements = 0;
        std::uint64_t bytes = 0;
    };

    std::string architecture;
    std::string name;
    std::uint64_t fileBytes = 0;
    std::uint32_t ggufVersion = 0;
    std::size_t alignment = 0;
    std::int64_t tensorCount = 0;
    std::int64_t parameters = 0;
    std::uint64_t tensorBytes = 0;
    double bitsPerWeight = 0;
    std::optional<std::int64_t> fileType;
    std::string fileTypeName; // llama.cpp's name of general.file_type ("Q4_K_M")
    std::vector<TypeUse> types; // by bytes, largest first

    std::optional<std::int64_t> contextLength, embedding, layers, feedForward, heads, kvHeads, headDim, vocabSize;
    std::optional<std::int64_t> ropeDimensions;
    std::optional<double> ropeFreqBase;
    bool ropeFreqBaseDefault = false; // the key is missing: llama.cpp's default 10000 applies
    std::string ropeStyle; // "normal" (interleaved pairs) or "neox"
    std::string ropeScaling; // "linear x4", "yarn x8 (original context 8192)", empty when none
    std::optional<double> rmsEpsilon;

    std::string tokenizerModel, tokenizerPre;
    std::optional<std::int64_t> bosToken, eosToken;
    std::optional<bool> addBos;

    bool hasChatTemplate = false;
    std::string chatTemplateFirstLine;
    std::string chatFamily; // from chattemplate.h's detection; empty without a template
};

ModelSummary summarizeModel(const GgufFile &file);
// llama.cpp's name for a general.file_type value (enum llama_ftype), or "unknown (N)".
std::string fileTypeName(std::int64_t fileType);

} // namespace quire::inference
