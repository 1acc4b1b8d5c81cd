#include "tokenizermodels.h"
#include "tokenizerunicode.h"
#include "vocab.h"
#include "wordcache.h"

#include <algorithm>
#include <cstdio>

namespace quire::inference
{

namespace
{

constexpr std::string_view SpaceMarker = "\xE2\x96\x81"; // "▁"

struct Symbol {
    std::int32_t prev;
    std::int32_t next;
    std::uint32_t offset;
    std::uint32_t length; // 0: merged into its left neighbour
};

struct Bigram {
    float score;
    std::int32_t left;
    std::int32_t right;
    std::uint32_t length;
};

// Highest score first; on a tie the leftmost pair.
struct BigramOrder {
    bool operator()(const Bigram &a, const Bigram &b) const
    {
        return a.score < b.score || (a.score == b.score && a.left > b.left);
    }
};

} // namespace

SpmModel::SpmModel(const Vocab &vocab, const WordCache &words)
    : m_vocab(vocab)
    , m_words(words)
{
    const std::int32_t unk = vocab.specials().unk;
    for (int b = 0; b < 256; ++b) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "<0x%02X>", b);
        std::optional<std::int32_t> id = vocab.find(hex);
        if (!id)
            id = vocab.find(std::string(1, static_cast<char>(b)));
        m_byteTokens[static_cast<std::size_t>(b)] = id.value_or(unk);
    }
    for (std::int32_t id = 0; id < vocab.size(); ++id)
        m_maxTokenBytes = std::max(m_maxTokenBytes, static_cast<std::uint32_t>(vocab.token(id).text.size()));
    m_wordsAreIndependent = true;
    for (std::int32_t id = 0; id < vocab.size() && m_wordsAreIndependent; ++id) {
        const std::string_view text = vocab.token(id).text;
        for (std::size_t p = text.find(SpaceMarker, 1); p != std::string_view::npos;
             p = text.find(SpaceMarker, p + 1)) {
            if (p < SpaceMarker.size() || text.substr(p - SpaceMarker.size(), SpaceMarker.size()) != SpaceMarker) {
                m_wordsAreIndependent = false;
                break;
            }
        }
    }
}

void SpmModel::encode(std::string_view text, std::vector<std::int32_t> &out) const
{
    if (!m_wordsAreIndependent) {
        encodeSegment(text, out);
        return;
    }
    // Words start at a "▁" that follows another character.
    PieceCache cache;
    auto merge = [this](std::string_view word, std::vector<std::int32_t> &ids) { encodeSegment(word, ids); };
    auto encodeWord = [&](std::string_view word, std::vector<std::int32_t> &ids) { m_words.append(word, ids, merge); };
    std::size_t start = 0;
    for (std::size_t p = text.find(SpaceMarker, 1); p != std::string_view::npos; p = text.find(SpaceMarker, p + 1)) {
        if (text.substr(p - SpaceMarker.size(), SpaceMarker.size()) == SpaceMarker || p - start == 0)
            continue;
        cache.append(text.substr(start, p - start), out, encodeWord);
        start = p;
    }
    cache.append(text.substr(start), out, encodeWord);
}

void SpmModel::appendSymbol(std::string_view piece, std::vector<std::int32_t> &out) const
{
    if (const auto id = m_vocab.find(piece)) {
        out.push_back(*id);
        return;
    }
    // A character the vocabulary lacks: its bytes (<0xXX>), or unk without byte tokens.
    for (unsigned char c : piece) {
        const std::int32_t id = m_byteTokens[c];
        if (id >= 0)
            out.push_back(id);
    }
}

void SpmModel::encodeSegment(std::string_view text, std::vector<std::int32_t> &out) const
{
    thread_local std::vector<Symbol> symbols; // scratch: most calls encode one short word
    thread_local std::vector<Bigram> heap;
    symbols.clear();
    heap.clear();
    for (std::size_t pos = 0; pos < text.size();) {
        // One symbol per character. llama.cpp trusts the lead byte even when the sequence is invalid,
        // which can swallow the first bytes of the next character (a "▁"); an invalid byte is a symbol
        // of its own here, so any bytes round-trip.
        const auto n = static_cast<std::size_t>(unicode::decodeUtf8(text, pos).length);
        const auto index = static_cast<std::int32_t>(symbols.size());
        symbols.push_back({ index - 1, index + 1, static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(n) });
        pos += n;
    }
    if (symbols.empty())
        return;
    symbols.back().next = -1;

    auto tryAdd = [&](std::int32_t left, std::int32_t right) {
        if (left < 0 || right < 0)
            return;
        const Symbol &l = symbols[static_cast<std::size_t>(left)];
        const Symbol &r = symbols[static_cast<std::size_t>(right)];
        const std::uint32_t length = l.length + r.length;
        if (length > m_maxTokenBytes)
            return;
        if (const auto id = m_vocab.find(text.substr(l.offset, length))) {
            heap.push_back({ m_vocab.token(*id).score, left, right, length });
            std::push_heap(heap.begin(), heap.end(), BigramOrder {});
        }
    };
    for (std::int32_t i = 1; i < static_cast<std::int32_t>(symbols.size()); ++i)
        tryAdd(i - 1, i);

    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), BigramOrder {});
        const Bigram bigram = heap.back();
        heap.pop_back();
        Symbol &l = symbols[static_cast<std::size_t>(bigram.left)];
        Symbol &r = symbols[static_cast<std::size_t>(bigram.right)];
        if (l.length == 0 || r.length == 0 || l.length + r.length != bigram.length)
            continue; // stale: one side has changed since the pair was queued
        l.length += r.length;
        r.length = 0;
        l.next = r.next;
        if (r.next >= 0)
            symbols[static_cast<std::size_t>(r.next)].prev = bigram.left;
        tryAdd(l.prev, bigram.left);
        tryAdd(bigram.left, l.next);
    }

    for (std::int32_t i = 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next) {
        const Symbol &s = symbols[static_cast<std::size_t>(i)];
        appendSymbol(text.substr(s.offset, s.length), out);
    }
}

} // namespace quire::inference
