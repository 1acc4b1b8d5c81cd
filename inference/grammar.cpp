#include "inference/grammar.h"

#include "inference/grammarmatcher.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace quire::inference
{

// All token pieces in one byte trie, laid out in pre-order so that a walk is a single forward loop that
// skips a dead subtree by jumping to its end.
struct GrammarVocabulary::Trie {
    std::vector<std::uint8_t> byte; // the byte leading into the node (node 0 is the root)
    std::vector<std::uint32_t> parent; // parent node
    std::vector<std::uint32_t> subtreeEnd; // one past the node's last descendant
    std::vector<std::uint32_t> tokenBegin; // the node's tokens: tokens[tokenBegin[i], tokenBegin[i + 1])
    std::vector<std::int32_t> tokens; // token ids sorted by piece
};

GrammarVocabulary::GrammarVocabulary(std::vector<std::string> pieces, std::vector<std::int32_t> endOfGeneration)
    : m_pieces(std::move(pieces))
    , m_isEog(m_pieces.size(), 0)
    , m_trie(std::make_unique<Trie>())
{
    for (std::int32_t token : endOfGeneration) {
        if (token >= 0 && std::size_t(token) < m_isEog.size() && !m_isEog[std::size_t(token)]) {
            m_isEog[std::size_t(token)] = 1;
            m_eog.push_back(token);
        }
    }
    std::vector<std::int32_t> order;
    for (std::size_t i = 0; i < m_pieces.size(); ++i) {
        if (!m_pieces[i].empty() && !m_isEog[i])
            order.push_back(std::int32_t(i));
    }
    std::sort(order.begin(), order.end(), [this](std::int32_t a, std::int32_t b) {
        return m_pieces[std::size_t(a)] < m_pieces[std::size_t(b)];
    });
    Trie &t = *m_trie;
    t.byte.push_back(0);
    t.parent.push_back(0);
    t.subtreeEnd.push_back(0);
    t.tokenBegin.push_back(0);
    std::vector<std::uint32_t> path { 0 }; // path[d] = node for the first d bytes of the current piece
    const std::string *previous = nullptr;
    auto close = [&t](std::uint32_t node) { t.subtreeEnd[node] = std::uint32_t(t.byte.size()); };
    for (std::int32_t token : order) {
        const std::string &piece = m_pieces[std::size_t(token)];
        std::size_t common = 0;
        if (previous) {
            const std::size_t limit = std::min(previous->size(), piece.size());
            while (common < limit && (*previous)[common] == piece[common])
                ++common;
        }
        while (path.size() > common + 1) {
            close(path.back());
            path.pop_back();
        }
        for (std::size_t d = common; d < piece.size(); ++d) {
            const auto node = std::uint32_t(t.byte.size());
            t.byte.push_back(std::uint8_t(piece[d]));
            t.parent.push_back(path.back());
            t.subtreeEnd.push_back(0);
            t.tokenBegin.push_back(std::uint32_t(t.tokens.size()));
            path.push_back(node);
        }
        t.tokens.push_back(token);
        previous = &piece;
    }
    while (!path.empty()) {
        close(path.back());
        path.pop_back();
    }
    t.tokenBegin.push_back(std::uint32_t(t.tokens.size()));
    // tokenBegin[i] was recorded when node i was created; tokens for node i run to the next node's start.
}

GrammarVocabulary::~GrammarVocabulary() = default;

std::size_t GrammarVocabulary::size() const
{
    return m_pieces.size();
}

const std::string &GrammarVocabulary::piece(std::int32_t token) const
{
    static const std::string empty;
    return token >= 0 && std::size_t(token) < m_pieces.size() ? m_pieces[std::size_t(token)] : empty;
}

bool GrammarVocabulary::isEndOfGeneration(std::int32_t token) const
{
    return token >= 0 && std::size_t(token) < m_isEog.size() && m_isEog[std::size_t(token)];
}

const GrammarVocabulary::Trie &GrammarVocabulary::trie() const
{
    return *m_trie;
}

Grammar::Grammar() = default;
Grammar::~Grammar() = default;

Expected<std::unique_ptr<Grammar>> Grammar::create(
    std::string_view gbnf, std::shared_ptr<const GrammarVocabulary> vocabulary)
{
    auto rules = parseGrammar(gbnf);
    if (!rules)
        return std::unexpected(rules.error());
    std::unique_ptr<Grammar> grammar(new Grammar());
    grammar->m_vocabulary = std::move(vocabulary);
    grammar->m_matcher = std::make_unique<GrammarMatcher>(std::move(*rules));
    grammar->m_state = grammar->m_matcher->start();
    return grammar;
}

Expected<void> validateGrammar(std::string_view gbnf)
{
    auto rules = parseGrammar(gbnf);
    if (!rules)
        return std::unexpected(rules.error());
    return {};
}

void Grammar::allowedMask(std::vector<std::uint8_t> &mask)
{
    constexpr std::size_t kCachedMasks = 16;
    const std::size_t n = m_vocabulary ? m_vocabulary->size() : 0;
    if (!m_vocabulary || m_finished || m_state < 0) {
        mask.assign(n, 0);
        return;
    }
    m_state = m_matcher->compact(m_state);
    if (m_maskCacheGeneration != m_matcher->generation()) {
        m_maskCache.clear();
        m_maskCacheGeneration = m_matcher->generation();
    }
    if (auto it = m_maskCache.find(m_state); it != m_maskCache.end()) {
        mask = it->second;
        return;
    }
    mask.assign(n, 0);
    if (m_matcher->isAccepting(m_state)) {
        for (std::int32_t token : m_vocabulary->endOfGeneration())
            mask[std::size_t(token)] = 1;
    }
    walkTrie(mask.data());
    if (m_maskCache.size() >= kCachedMasks)
        m_maskCache.erase(m_maskCache.begin());
    m_maskCache.emplace(m_state, mask);
}

// One forward pass over the pre-order trie. Raw pointers in locals: the mask stores are byte stores, which
// may alias anything, and would otherwise make the compiler reload every vector's data pointer per node.
void Grammar::walkTrie(std::uint8_t *mask)
{
    const GrammarVocabulary::Trie &t = m_vocabulary->trie();
    const auto nodes = std::uint32_t(t.byte.size());
    m_nodeStates.resize(nodes);
    std::int32_t *states = m_nodeStates.data();
    const std::uint8_t *bytes = t.byte.data();
    const std::uint32_t *parents = t.parent.data();
    const std::uint32_t *ends = t.subtreeEnd.data();
    const std::uint32_t *tokenBegin = t.tokenBegin.data();
    const std::int32_t *tokens = t.tokens.data();
    const GrammarMatcher::State *table = m_matcher->transitions();
    states[0] = m_state;
    for (std::uint32_t i = 1; i < nodes;) {
        const GrammarMatcher::State from = states[parents[i]];
        GrammarMatcher::State s = table[std::size_t(from) * 256 + bytes[i]];
        if (s == GrammarMatcher::kUnknown) {
            s = m_matcher->step(from, bytes[i]);
            table = m_matcher->transitions();
        }
        if (s == GrammarMatcher::kDead) {
            i = ends[i];
            continue;
        }
        states[i] = s;
        for (std::uint32_t k = tokenBegin[i], e = tokenBegin[i + 1]; k < e; ++k)
            mask[tokens[k]] = 1;
        ++i;
    }
}

void Grammar::apply(std::span<float> logits)
{
    allowedMask(m_mask);
    const float minusInfinity = -std::numeric_limits<float>::infinity();
    for (std::size_t i = 0; i < logits.size(); ++i) {
        if (i >= m_mask.size() || !m_mask[i])
            logits[i] = minusInfinity;
    }
}

std::int32_t Grammar::walk(std::string_view bytes)
{
    GrammarMatcher::State s = m_state;
    for (char c : bytes) {
        if (s < 0)
            break;
        s = m_matcher->step(s, std::uint8_t(c));
    }
    return s;
}

bool Grammar::isAllowed(std::int32_t token)
{
    if (!m_vocabulary || m_finished || m_state < 0)
        return false;
    if (m_vocabulary->isEndOfGeneration(token))
        return m_matcher->isAccepting(m_state);
    const std::string &piece = m_vocabulary->piece(token);
    return !piece.empty() && walk(piece) >= 0;
}

bool Grammar::accept(std::int32_t token)
{
    if (m_state >= 0)
        m_state = m_matcher->compact(m_state);
    if (!isAllowed(token))
        return false;
    if (m_vocabulary->isEndOfGeneration(token)) {
        m_finished = true;
        return true;
    }
    m_state = walk(m_vocabulary->piece(token));
    return true;
}

bool Grammar::acceptText(std::string_view bytes)
{
    if (m_finished || m_state < 0)
        return false;
    m_state = m_matcher->compact(m_state);
    const GrammarMatcher::State s = walk(bytes);
    if (s < 0)
        return false;
    m_state = s;
    return true;
}

bool Grammar::isComplete() const
{
    return m_finished || m_matcher->isAccepting(m_state);
}

bool Grammar::canContinue() const
{
    return !m_finished && m_matcher->canContinue(m_state);
}

bool Grammar::isFinished() const
{
    return m_finished;
}

void Grammar::reset()
{
    m_state = m_matcher->start();
    m_finished = false;
}

const GrammarVocabulary *Grammar::vocabulary() const
{
    return m_vocabulary.get();
}

} // namespace quire::inference
