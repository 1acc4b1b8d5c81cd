#include "tokenizermodels.h"
#include "tokenizerunicode.h"
#include "vocab.h"

#include <algorithm>
#include <unordered_map>

namespace quire::inference
{

namespace
{

// Open-addressing map from a pair of symbol ids to (merge rank, merged symbol id).
class PairMap
{
public:
    struct Value {
        std::int32_t rank;
        std::int32_t merged;
    };

    void reserve(std::size_t n)
    {
        std::size_t capacity = 16;
        while (capacity < n * 2)
            capacity *= 2;
        m_keys.assign(capacity, Empty);
        m_values.assign(capacity, {});
        m_mask = capacity - 1;
    }
    // Keeps the first value inserted for a key.
    void insert(std::int32_t left, std::int32_t right, Value value)
    {
        const std::uint64_t key = pack(left, right);
        std::size_t i = slot(key);
        while (m_keys[i] != Empty) {
            if (m_keys[i] == key)
                return;
            i = (i + 1) & m_mask;
        }
        m_keys[i] = key;
        m_values[i] = value;
    }
    const Value *find(std::int32_t left, std::int32_t right) const
    {
        const std::uint64_t key = pack(left, right);
        for (std::size_t i = slot(key);; i = (i + 1) & m_mask) {
            if (m_keys[i] == key)
                return &m_values[i];
            if (m_keys[i] == Empty)
                return nullptr;
        }
    }

private:
    static constexpr std::uint64_t Empty = ~std::uint64_t { 0 };
    static std::uint64_t pack(std::int32_t l, std::int32_t r)
    {
        return (std::uint64_t { static_cast<std::uint32_t>(l) } << 32) | static_cast<std::uint32_t>(r);
    }
    std::size_t slot(std::uint64_t key) const { return (key * 0x9E3779B97F4A7C15ull >> 20) & m_mask; }

    std::vector<std::uint64_t> m_keys;
    std::vector<Value> m_values;
    std::size_t m_mask = 0;
};

struct Symbol {
    std::int32_t id; // vocab id, an id above the vocab for merge texts it lacks, or -1
    std::int32_t prev;
    std::int32_t next;
    std::uint32_t offset; // into the word's raw bytes
    std::uint32_t length; // 0: merged into its left neighbour
};

struct Bigram {
    std::int32_t rank;
    std::int32_t left;
    std::int32_t right;
    std::int32_t leftId;
    std::int32_t rightId;
    std::int32_t merged;
};

// Lowest rank first; on a tie the leftmost pair.
struct BigramOrder {
    bool operator()(const Bigram &a, const Bigram &b) const
    {
        return a.rank > b.rank || (a.rank == b.rank && a.left > b.left);
    }
};

} // namespace

struct BpeModel::Tables {
    PairMap pairs;
    std::array<std::int32_t, 256> byteSymbols {}; // the symbol of each byte's code point
    std::unordered_map<std::string, std::int32_t> extra; // merge texts the vocab lacks
    std::vector<std::string> extraText;
};

BpeModel::BpeModel(const Vocab &vocab)
    : m_vocab(vocab)
    , m_tables(std::make_unique<Tables>())
{
}

BpeModel::BpeModel(BpeModel &&) noexcept = default;
BpeModel::~BpeModel() = default;

Expected<BpeModel> BpeModel::build(const Vocab &vocab)
{
    BpeModel model(vocab);
    Tables &t = *model.m_tables;
    auto symbolOf = [&](std::string_view text, bool create) -> std::int32_t {
        if (const auto id = vocab.find(text))
            return *id;
        if (const auto it = t.extra.find(std::string(text)); it != t.extra.end())
            return it->second;
        if (!create)
            return -1;
        const auto id = static_cast<std::int32_t>(vocab.size() + static_cast<std::int32_t>(t.extraText.size()));
        t.extra.emplace(text, id);
        t.extraText.emplace_back(text);
        return id;
    };
    const auto &merges = vocab.merges();
    t.pairs.reserve(merges.size());
    for (std::size_t rank = 0; rank < merges.size(); ++rank) {
        const std::string &merge = merges[rank];
        const std::size_t space = merge.find(' ', 1);
        if (space == std::string::npos || space + 1 >= merge.size())
            return fail(Error::Code::Corrupt,
                "tokenizer merge " + std::to_string(rank) + " (\"" + merge
                    + "\") is not two symbols separated by a space");
        const std::string left = merge.substr(0, space);
        const std::string right = merge.substr(space + 1);
        const std::int32_t l = symbolOf(left, true);
        const std::int32_t r = symbolOf(right, true);
        const std::int32_t m = symbolOf(left + right, true);
        t.pairs.insert(l, r, { static_cast<std::int32_t>(rank), m });
    }
    for (int b = 0; b < 256; ++b)
        t.byteSymbols[static_cast<std::size_t>(b)]
            = symbolOf(unicode::byteToUnicode(static_cast<std::uint8_t>(b)), false);
    return model;
}

void BpeModel::appendFinal(std::int32_t symbol, std::string_view bytes, std::vector<std::int32_t> &out) const
{
    if (symbol >= 0 && symbol < m_vocab.size()) {
        out.push_back(symbol);
        return;
    }
    // Not a vocabulary entry: like llama.cpp, each byte of its mapped text becomes the one-byte entry, if any.
    std::string mapped;
    for (unsigned char c : bytes)
        mapped += unicode::byteToUnicode(c);
    for (char c : mapped) {
        if (const auto id = m_vocab.find(std::string_view(&c, 1)))
            out.push_back(*id);
    }
}

void BpeModel::encodeWord(std::string_view word, std::vector<std::int32_t> &out) const
{
    if (word.empty())
        return;
    if (m_vocab.specials().ignoreMerges) {
        std::string mapped;
        for (unsigned char c : word)
            mapped += unicode::byteToUnicode(c);
        if (const auto id = m_vocab.find(mapped)) {
            out.push_back(*id);
            return;
        }
    }
    const Tables &t = *m_tables;
    thread_local std::vector<Symbol> symbols;
    thread_local std::vector<Bigram> heap;
    symbols.clear();
    heap.clear();
    const auto n = static_cast<std::int32_t>(word.size());
    for (std::int32_t i = 0; i < n; ++i) {
        const auto byte = static_cast<unsigned char>(word[static_cast<std::size_t>(i)]);
        symbols.push_back({ t.byteSymbols[byte], i - 1, i + 1 < n ? i + 1 : -1, static_cast<std::uint32_t>(i), 1 });
    }
    auto tryAdd = [&](std::int32_t left, std::int32_t right) {
        if (left < 0 || right < 0)
            return;
        const std::int32_t l = symbols[static_cast<std::size_t>(left)].id;
        const std::int32_t r = symbols[static_cast<std::size_t>(right)].id;
        if (l < 0 || r < 0)
            return;
        if (const PairMap::Value *v = t.pairs.find(l, r)) {
            heap.push_back({ v->rank, left, right, l, r, v->merged });
            std::push_heap(heap.begin(), heap.end(), BigramOrder {});
        }
    };
    for (std::int32_t i = 1; i < n; ++i)
        tryAdd(i - 1, i);

    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), BigramOrder {});
        const Bigram bigram = heap.back();
        heap.pop_back();
        Symbol &l = symbols[static_cast<std::size_t>(bigram.left)];
        Symbol &r = symbols[static_cast<std::size_t>(bigram.right)];
        if (l.length == 0 || r.length == 0 || l.id != bigram.leftId || r.id != bigram.rightId || l.next != bigram.right)
            continue; // stale: one side has changed since the pair was queued
        l.id = bigram.merged;
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
        appendFinal(s.id, word.substr(s.offset, s.length), out);
    }
}

} // namespace quire::inference
