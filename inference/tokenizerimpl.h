#pragma once

// Tokenizer's private state, shared by its implementation files (internal to quire_inference).

#include "pretokenizer.h"
#include "tokenizer.h"
#include "tokenizermodels.h"
#include "vocab.h"
#include "wordcache.h"

#include <optional>
#include <string>
#include <vector>

namespace quire::inference
{

// A run of text to tokenise, or a special token found in it.
struct Fragment {
    std::int32_t token; // -1: raw text
    std::size_t offset;
    std::size_t length;
};

struct Tokenizer::Impl {
    explicit Impl(Vocab v)
        : vocab(std::move(v))
    {
    }

    Vocab vocab;
    std::optional<PreTokenizer> pre;
    std::optional<SpmModel> spm;
    std::optional<BpeModel> bpe;
    std::optional<WordPieceModel> wordPiece;
    std::vector<std::string> pieces; // every token's text as decoded, control tokens shown
    WordCache words;

    std::string computePiece(std::int32_t id) const;
    void partition(std::string_view text, bool parseSpecial, std::vector<Fragment> &fragments) const;
    void encodeSpm(std::string_view text, const std::vector<Fragment> &fragments, std::vector<std::int32_t> &out) const;
    void encodeBpe(std::string_view text, const std::vector<Fragment> &fragments, std::vector<std::int32_t> &out) const;
};

} // namespace quire::inference
