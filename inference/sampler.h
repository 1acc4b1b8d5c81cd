#pragma once

#include <cstdint>
#include <memory>
#include <span>

namespace quire::inference
{

class Grammar;

// The knobs of one sampler. Defaults are llama.cpp's common defaults (common/common.h), except that the
// seed is fixed so that a run is reproducible unless the caller asks for randomness.
struct SamplerSettings {
    static constexpr std::uint64_t kRandomSeed = 0xFFFFFFFFu; // llama.cpp's LLAMA_DEFAULT_SEED: seed from the OS

    float temperature = 0.8f; // <= 0: greedy (arg max after penalties and grammar)
    int topK = 40; // <= 0: off
    float topP = 0.95f; // >= 1: off
    float minP = 0.05f; // <= 0: off
    float repeatPenalty = 1.0f; // 1: off; divides positive logits, multiplies negative ones
    float presencePenalty = 0.0f; // 0: off; subtracted once from every recently seen token
    float frequencyPenalty = 0.0f; // 0: off; subtracted per occurrence of a recently seen token
    int penaltyLastN = 64; // how many accepted tokens the penalties look at; 0: off, -1: all
    std::uint64_t seed = 0; // kRandomSeed: nondeterministic
};

// Picks the next token from a row of logits. The chain is llama.cpp's default order:
// grammar mask -> penalties -> top-k -> top-p -> min-p -> temperature -> seeded draw.
// top-p and min-p look at the distribution at temperature 1, as llama.cpp does.
// Work is O(vocab) plus a partial sort of the top-k candidates; no full sort of the vocabulary.
//
// Usage: token = sampler.sample(logits); sampler.accept(token);  accept() is never implicit. Prompt tokens
// go through acceptPrompt(): they count for the penalties (as in llama.cpp) but do not advance the grammar.
class Sampler
{
public:
    explicit Sampler(SamplerSettings settings = {});
    ~Sampler();
    Sampler(Sampler &&) noexcept;
    Sampler &operator=(Sampler &&) noexcept;

    // Returns the chosen token id, or -1 when the grammar allows no token at all (a grammar that cannot
    // be continued by the vocabulary; a well-formed grammar with an end-of-generation token never does this).
    std::int32_t sample(std::span<const float> logits);
    // Records a token that was appended to the sequence: penalty history and grammar state.
    void accept(std::int32_t token);
    // Records prompt tokens for the penalties only.
    void acceptPrompt(std::span<const std::int32_t> tokens);
    // Constrains sampling from now on; nullptr removes the constraint.
    void setGrammar(std::unique_ptr<Grammar> grammar);
    Grammar *grammar() const;
    // Forgets the history, rewinds the grammar to its start and reseeds the generator.
    void reset();

    const SamplerSettings &settings() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace quire::inference
