#pragma once

#include "util/error.h"

#include <cstdint>
#include <string>

namespace quire::inference
{

// Token ids of the recall model's vocabulary. Words are kFirstWord .. vocab - 1.
struct RecallVocab {
    static constexpr std::int32_t kUnk = 0;
    static constexpr std::int32_t kBos = 1;
    static constexpr std::int32_t kEos = 2;
    static constexpr std::int32_t kCount = 3; // "which word is most frequent?"
    static constexpr std::int32_t kDot = 4; // ends a statement; never predicted
    static constexpr std::int32_t kFirstWord = 5;
};

struct RecallModelOptions {
    std::int32_t vocab = 64; // at most 64 (one head dimension per token)
    std::int32_t contextLength = 1 << 20; // the previous-token head is checked at every distance below this
    float ropeFreqBase = 10000.0f;
    float logitGap = 30.0f; // attention-logit margin of every constructed match over every non-match
};

struct RecallModelInfo {
    std::int64_t parameters = 0;
    double prevTokenMargin = 0.0; // S(0) - max S(d != 0) of the rotary pattern, before scaling
    std::int32_t worstDistance = 0; // where that maximum is
};

// Writes a 2-layer LLaMA-architecture GGUF model with constructed weights that performs associative
// recall under dense attention: after "... K V ... K" it predicts V.
//  - residual stream: T (the token, one-hot) | P (the previous token) | O (the answer) | a constant 1;
//  - layer 0, head 0 is a previous-token head: q and k are constant rotary patterns whose dot product
//    peaks at distance 1 (checked numerically over every distance up to contextLength); it copies T of
//    the previous position into P;
//  - layer 1, head 0 is an induction head on the unrotated head dimensions: q = T of the query, k = P,
//    so it attends where the previous token equals the current one and copies that position's T into O;
//    head 2 (the other KV group) attends to the BOS sink, except for the kCount token, whose query is
//    zero: then both heads average every position, and O holds the word histogram (aggregation);
//  - the output head reads O; special tokens are never predicted. Feed-forward layers are zero.
// With several matches (multi-value needles) attention averages them and the values tie at the top.
Expected<RecallModelInfo> writeRecallModel(const std::string &path, const RecallModelOptions &options = {});

} // namespace quire::inference
