#pragma once

#include "inference/backend.h"
#include "util/error.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace quire::inference
{

// RULER-style synthetic long-context tasks over the recall model's vocabulary (RecallVocab), with known
// answers. Statements are "KEY VALUE ." inside a haystack of filler words; the prompt ends with the
// query token, whose next token is the answer.
enum class RulerTask {
    SingleNeedle, // one statement; ask its key
    MultiKeyNeedle, // several statements with distinct keys; ask one
    MultiValue, // one key stated with several values; all values are answers (they tie at the top)
    VariableTracking, // X1 = V, X2 = X1, ...; ask the last variable; greedy decoding walks the chain to V
    CommonWords, // filler with one most frequent word; ask kCount
};

const char *rulerTaskName(RulerTask task);
std::vector<RulerTask> allRulerTasks();

struct RulerOptions {
    std::int32_t length = 4096; // prompt tokens, BOS and query included
    std::uint64_t seed = 1;
    std::int32_t vocab = 64;
    double depth = -1.0; // where the (asked) needle sits, 0 = start .. 1 = end; < 0: random
    int needles = 8; // MultiKeyNeedle: statements
    int values = 3; // MultiValue: values of the one key
    int hops = 4; // VariableTracking: chain length
    // CommonWords: the most frequent word occurs `commonCount` times (0: twice as often as an average
    // background word) spread over the first three quarters; the runner-up occurs runnerUpShare times as
    // often, packed into the last positions (what a recent window sees).
    int commonCount = 0;
    double runnerUpShare = 0.8;
};

struct RulerSample {
    RulerTask task = RulerTask::SingleNeedle;
    std::vector<std::int32_t> prompt;
    // SingleNeedle / MultiKeyNeedle / CommonWords: one token. MultiValue: the set. VariableTracking: the
    // tokens greedy decoding must produce, in order.
    std::vector<std::int32_t> answers;
};

RulerSample makeRulerSample(RulerTask task, const RulerOptions &options);

struct RulerResult {
    bool correct = false;
    std::vector<std::int32_t> predicted;
};

// Runs a sample on a fresh context (length 0): decodes the prompt and compares the top tokens (greedy
// steps for VariableTracking). Leaves the context holding the prompt and the generated tokens.
Expected<RulerResult> runRulerSample(
    EvalContext &context, const RulerSample &sample, const CancelToken *cancel = nullptr);

} // namespace quire::inference
