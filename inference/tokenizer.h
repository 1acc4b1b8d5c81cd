#pragma once

#include "util/error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace quire::inference
{

class GgufFile;
class Vocab;

// The tokenizer algorithms we implement, named after `tokenizer.ggml.model`.
enum class TokenizerKind {
    Spm, // "llama": SentencePiece-style, merges by score, byte fallback
    Bpe, // "gpt2": byte-level BPE, merges by rank, regex pre-tokenizer
    WordPiece, // "bert": WordPiece, greedy longest match
};

// Text <-> token ids, behaving like llama.cpp's tokenizer for the same GGUF vocabulary.
// Thread-safe: every const member can be called from several threads at once.
class Tokenizer
{
public:
    // Reads the `tokenizer.*` metadata of a model or vocab-only GGUF.
    static Expected<std::unique_ptr<Tokenizer>> fromGguf(const GgufFile &file);
    // From a vocabulary built by hand (tests) or loaded by Vocab::fromGguf.
    static Expected<std::unique_ptr<Tokenizer>> fromVocab(Vocab vocab);
    ~Tokenizer();
    Tokenizer(const Tokenizer &) = delete;
    Tokenizer &operator=(const Tokenizer &) = delete;

    // addSpecial: add BOS/EOS (WordPiece: CLS/SEP) as the vocab asks.
    // parseSpecial: text that spells a control token ("<|im_start|>") becomes that token; otherwise it is
    // tokenised as ordinary text. User-defined tokens are always matched, as in llama.cpp.
    // Invalid UTF-8 survives byte for byte where the vocab has byte tokens (byte-level BPE, SentencePiece
    // with <0xXX> entries). Long texts are fine: repeated words are encoded once per call.
    std::vector<std::int32_t> encode(std::string_view text, bool addSpecial, bool parseSpecial) const;

    // The bytes of one token (may be part of a UTF-8 character for byte-level vocabs).
    // special: render control tokens ("<s>", "<|im_end|>"); otherwise they give "".
    std::string tokenToPiece(std::int32_t id, bool special = false) const;
    // removeSpecial: drop a leading BOS / trailing EOS that encode(addSpecial) would have added.
    // renderSpecial: show control tokens as text (as tokenToPiece(id, true)).
    // Like llama.cpp, a SentencePiece vocab's leading space is removed from the first token only when it
    // is the first id given (not after a BOS that removeSpecial dropped), and BPE/WordPiece vocabs clean
    // up " ." " ," " 's" ... where the vocab asks (VocabSpecials::cleanSpaces).
    std::string decode(std::span<const std::int32_t> ids, bool removeSpecial = false, bool renderSpecial = false) const;

    TokenizerKind kind() const;
    std::string_view preTokenizer() const; // `tokenizer.ggml.pre`, "default" when absent
    std::int32_t nVocab() const;

    // Special token ids; -1 when the vocab has none.
    std::int32_t bos() const;
    std::int32_t eos() const;
    std::int32_t eot() const;
    std::int32_t unk() const;
    std::int32_t pad() const;
    std::int32_t sep() const;
    std::int32_t newline() const; // the token for "\n" (SPM: <0x0A>)
    bool addsBos() const;
    bool addsEos() const;
    // End of generation: EOS, EOT and the other end tokens the vocab names (<|im_end|>, <|eot_id|> ...).
    bool isEog(std::int32_t id) const;
    bool isControl(std::int32_t id) const;

    // The raw vocabulary entry ("▁Hello", "Ġworld", "<0x0A>"); empty for an id out of range.
    std::string_view tokenText(std::int32_t id) const;
    std::optional<std::int32_t> tokenId(std::string_view text) const;
    const Vocab &vocab() const;

private:
    Tokenizer();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace quire::inference
