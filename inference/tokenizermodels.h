#pragma once

// The three tokenizer algorithms behind Tokenizer (internal to quire_inference).

#include "flatstringmap.h"
#include "util/error.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace quire::inference
{

class Vocab;
class WordCache;

// The ids of the pieces already encoded during one encode() call: running text repeats its words, so
// most pieces are looked up instead of merged again. Keys point into the caller's text.
class PieceCache
{
public:
    template <typename Encode> void append(std::string_view piece, std::vector<std::int32_t> &out, Encode &&encode)
    {
        if (const auto *range = m_ranges.find(piece)) {
            out.insert(out.end(), m_ids.begin() + range->first, m_ids.begin() + range->second);
            return;
        }
        const std::size_t before = out.size();
        encode(piece, out);
        const std::size_t begin = m_ids.size();
        m_ids.insert(m_ids.end(), out.begin() + static_cast<std::ptrdiff_t>(before), out.end());
        m_ranges.insertOrAssign(
            piece, std::pair { static_cast<std::ptrdiff_t>(begin), static_cast<std::ptrdiff_t>(m_ids.size()) });
    }

private:
    FlatStringMap<std::pair<std::ptrdiff_t, std::ptrdiff_t>> m_ranges;
    std::vector<std::int32_t> m_ids;
};

// SentencePiece-style: characters merged into the highest-scoring vocabulary entries, then byte fallback.
class SpmModel
{
public:
    SpmModel(const Vocab &vocab, const WordCache &words);
    // `text` has its spaces already escaped to "▁".
    void encode(std::string_view text, std::vector<std::int32_t> &out) const;

private:
    void encodeSegment(std::string_view text, std::vector<std::int32_t> &out) const;
    void appendSymbol(std::string_view piece, std::vector<std::int32_t> &out) const;

    const Vocab &m_vocab;
    const WordCache &m_words;
    std::array<std::int32_t, 256> m_byteTokens;
    std::uint32_t m_maxTokenBytes = 0;
    // No entry holds a "▁" after another character, so no merge crosses the start of a word and
    // words can be encoded (and cached) one by one with the same result as the whole text at once.
    bool m_wordsAreIndependent = false;
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
