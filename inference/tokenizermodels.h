#pragma once

// The three tokenizer algorithms behind Tokenizer (internal to quire_inference).

#include "util/error.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace quire::inference
{

class Vocab;

// SentencePiece-style: characters merged into the highest-scoring vocabulary entries, then byte fallback.
class SpmModel
{
public:
    explicit SpmModel(const Vocab &vocab);
    // `text` has its spaces already escaped to "▁".
    void encode(std::string_view text, std::vector<std::int32_t> &out) const;

private:
    void appendSymbol(std::string_view piece, std::vector<std::int32_t> &out) const;

    const Vocab &m_vocab;
    std::array<std::int32_t, 256> m_byteTokens;
};

// Byte-level BPE: the bytes of one pre-token merged by merge rank.
class BpeModel
{
public:
    static Expected<BpeModel> build(const Vocab &vocab);
    BpeModel(BpeModel &&) noexcept;
    ~BpeModel();

    // `word`: the raw bytes of one pre-token.
    void encodeWord(std::string_view word, std::vector<std::int32_t> &out) const;

private:
    struct Tables;
    explicit BpeModel(const Vocab &vocab);
    void appendFinal(std::int32_t symbol, std::string_view bytes, std::vector<std::int32_t> &out) const;

    const Vocab &m_vocab;
    std::unique_ptr<Tables> m_tables;
};

// WordPiece (BERT): NFD, lower case, split on spaces and punctuation, greedy longest match per word.
class WordPieceModel
{
public:
    explicit WordPieceModel(const Vocab &vocab);
    void encode(std::string_view text, std::vector<std::int32_t> &out) const;

private:
    const Vocab &m_vocab;
    std::size_t m_maxTokenLength = 0;
};

} // namespace quire::inference
