#pragma once

#include "tokenizer.h"
#include "util/error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quire::inference
{

class GgufFile;

// `tokenizer.ggml.token_type`, numbered as in GGUF files.
enum class TokenType : std::uint8_t {
    Undefined = 0,
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
};

struct VocabToken {
    std::string text;
    float score = 0.0f;
    TokenType type = TokenType::Normal;
    bool lstrip = false; // a special token that eats the whitespace before it
    bool rstrip = false; // ... or after it
};

// Special token ids (-1: none) and the options that change how text is encoded and decoded.
struct VocabSpecials {
    std::int32_t bos = -1;
    std::int32_t eos = -1;
    std::int32_t eot = -1;
    std::int32_t eom = -1;
    std::int32_t unk = -1;
    std::int32_t pad = -1;
    std::int32_t sep = -1;
    std::int32_t cls = -1;
    std::int32_t mask = -1;
    std::int32_t newline = -1;
    std::vector<std::int32_t> eog; // every end-of-generation id, eos and eot included
    bool addBos = false;
    bool addEos = false;
    bool addSep = false;
    bool addSpacePrefix = false; // SentencePiece: prefix the text with a space ("▁")
    bool ignoreMerges = false; // BPE: a pre-token that is a whole vocab entry is not merged (llama3)
    bool cleanSpaces = false; // decode: remove the space before ".,?!" and some contractions
};

// A tokenizer vocabulary: the `tokenizer.*` metadata of a GGUF, checked and indexed.
class Vocab
{
public:
    static Expected<Vocab> fromGguf(const GgufFile &file);
    // A vocabulary built by hand; `pre` as in `tokenizer.ggml.pre`; merges are "left right" (BPE only).
    // Call index() before use.
    Vocab(TokenizerKind kind, std::string pre, std::vector<VocabToken> tokens, std::vector<std::string> merges = {});
    Vocab(Vocab &&) noexcept;
    Vocab &operator=(Vocab &&) noexcept;
    ~Vocab();

    // Validates the ids and builds the lookup tables; fromGguf() does it already.
    Expected<void> index();

    TokenizerKind kind() const { return m_kind; }
    const std::string &pre() const { return m_pre; }
    std::int32_t size() const { return static_cast<std::int32_t>(m_tokens.size()); }
    const VocabToken &token(std::int32_t id) const { return m_tokens[static_cast<std::size_t>(id)]; }
    bool contains(std::int32_t id) const { return id >= 0 && id < size(); }
    std::optional<std::int32_t> find(std::string_view text) const;
    const std::vector<std::string> &merges() const { return m_merges; }
    // Control and user-defined tokens, longest text first (the order they are matched in text).
    const std::vector<std::int32_t> &specialTokens() const { return m_specialTokens; }

    VocabSpecials &specials() { return m_specials; }
    const VocabSpecials &specials() const { return m_specials; }

private:
    struct Index;
    TokenizerKind m_kind;
    std::string m_pre;
    std::vector<VocabToken> m_tokens;
    std::vector<std::string> m_merges;
    std::vector<std::int32_t> m_specialTokens;
    VocabSpecials m_specials;
    std::unique_ptr<Index> m_index;
};

} // namespace quire::inference
