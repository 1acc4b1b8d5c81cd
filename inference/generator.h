#pragma once

#include "inference/sampler.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/progress.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace quire::inference
{

class EvalContext;
class GrammarVocabulary;
class Model;
class Tokenizer;

struct GenerationSettings {
    int maxTokens = 256; // <= 0: until end of generation or a full context
    SamplerSettings sampling; // temperature <= 0: greedy
    std::vector<std::string> stopStrings; // never shown; generation ends at the first one
    std::string grammar; // GBNF; empty: unconstrained
    bool addSpecial = true; // BOS/EOS as the vocab asks (prompt text only)
    bool parseSpecial = false; // "<|im_start|>" in the prompt text becomes that token
};

enum class StopReason {
    EndOfGeneration, // the model produced EOS/EOT (or the grammar completed)
    StopString,
    MaxTokens,
    ContextFull, // the KV cache is full: no room for another token
    Callback, // the text callback asked to stop
};
const char *stopReasonName(StopReason reason);

struct GenerationStats {
    int promptTokens = 0; // evaluated for this call (after reuse of a shared prefix)
    int reusedTokens = 0; // prompt tokens already in the cache from the previous call
    int generatedTokens = 0;
    double promptSeconds = 0.0;
    double generateSeconds = 0.0;
    StopReason reason = StopReason::MaxTokens;
    std::string stopString; // when reason == StopString

    double promptTokensPerSecond() const { return promptSeconds > 0 ? promptTokens / promptSeconds : 0.0; }
    double generatedTokensPerSecond() const;
};

// Text of each step, as it becomes safe to show (whole UTF-8, stop strings held back). Return false to stop.
using TextCallback = std::function<bool(std::string_view text)>;

// Prompt prefill (batched) and the token-by-token decode loop over one EvalContext. Keeps the tokens it
// evaluated, so a following call whose prompt extends the previous conversation only evaluates the new part.
class Generator
{
public:
    Generator(const Model &model, const Tokenizer &tokenizer, EvalContext &context);
    ~Generator();

    Expected<GenerationStats> generate(std::string_view prompt,
        const GenerationSettings &settings,
        const TextCallback &onText,
        const CancelToken *cancel = nullptr);
    Expected<GenerationStats> generateFromTokens(std::vector<std::int32_t> prompt,
        const GenerationSettings &settings,
        const TextCallback &onText,
        const CancelToken *cancel = nullptr);

    // Every token evaluated so far (prompt and generated), in order.
    const std::vector<std::int32_t> &history() const { return m_history; }

    // Prompts are evaluated in chunks of this many tokens (a multiple of the usual micro-batch, so the
    // result equals one decode() call); cancel is checked between chunks, and history() always matches
    // what the context holds, so a cancelled prefill keeps the chunks it finished.
    static constexpr std::int32_t kPrefillChunk = 512;
    // Receives ("prefill", prompt tokens) progress for prompts of at least progressMinTokens tokens; the
    // receiver computes rate and ETA. nullptr: silent.
    void setProgress(Progress *progress, std::int32_t progressMinTokens = 4 * kPrefillChunk);

    // Forgets every evaluated token.
    void clear();
    // Evaluates `tokens` after history() without generating (a prefix to save, say).
    Expected<void> evaluate(std::span<const std::int32_t> tokens, const CancelToken *cancel = nullptr);
    // "Read once, ask many": saves the context's state for history() (see EvalContext::savePrefix), and
    // loads such a file, after which history() is its tokens and a prompt that starts with them (every
    // question about an archive) evaluates only the rest.
    Expected<void> savePrefix(const std::string &path);
    Expected<void> loadPrefix(const std::string &path);

private:
    // Evaluates tokens after history() in chunks; logits of the last one into *logits when given.
    Expected<void> evaluateChunks(
        std::span<const std::int32_t> tokens, std::vector<float> *logits, const CancelToken *cancel);
    Expected<std::vector<float>> prefill(
        const std::vector<std::int32_t> &prompt, GenerationStats &stats, const CancelToken *cancel);
    Expected<Sampler> makeSampler(const GenerationSettings &settings);

    const Model &m_model;
    const Tokenizer &m_tokenizer;
    EvalContext &m_context;
    std::vector<std::int32_t> m_history;
    std::shared_ptr<const GrammarVocabulary> m_grammarVocabulary;
    Progress *m_progress = nullptr;
    std::int32_t m_progressMinTokens = 0;
};

} // namespace quire::inference
