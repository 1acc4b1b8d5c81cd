#pragma once

#include "util/error.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace quire::inference
{

class GrammarRules;
class GrammarMatcher;

// The token pieces a grammar masks against: the bytes each token decodes to (after byte-fallback and
// the SentencePiece space marker are resolved). Special tokens should have an empty piece: tokens with
// an empty piece are never allowed, except the end-of-generation tokens, which are allowed exactly when
// the grammar can end. Built once per model (it holds a byte trie of all pieces) and shared.
class GrammarVocabulary
{
public:
    GrammarVocabulary(std::vector<std::string> pieces, std::vector<std::int32_t> endOfGeneration);
    ~GrammarVocabulary();

    std::size_t size() const;
    const std::string &piece(std::int32_t token) const;
    bool isEndOfGeneration(std::int32_t token) const;
    const std::vector<std::int32_t> &endOfGeneration() const { return m_eog; }

    struct Trie;
    const Trie &trie() const;

private:
    std::vector<std::string> m_pieces;
    std::vector<std::uint8_t> m_isEog;
    std::vector<std::int32_t> m_eog;
    std::unique_ptr<Trie> m_trie;
};

// A grammar in llama.cpp's GBNF syntax, with its matching state: which bytes may come next.
// Rules `name ::= ...`, alternatives `|`, sequences, groups `( )`, literals "..." and char classes
// `[a-z]`, `[^"\\]` with escapes (\n \r \t \\ \" \[ \] \xHH \uHHHH \UHHHHHHHH), `.`, `*` `+` `?`, `{m}`,
// `{m,}`, `{m,n}`, `#` comments. The start rule is `root`. Matching runs over UTF-8: a token may end
// inside a multi-byte character; invalid UTF-8 is never allowed.
//
// Matching is a lazily built byte DFA over the grammar's pushdown stacks, cached per Grammar (bounded: the
// cache is rebuilt from the live state past 8192 states). A Grammar is used by one thread at a time; the
// GrammarVocabulary it masks against is immutable and may be shared by any number of them.
class Grammar
{
public:
    // Parses and compiles; errors name the line and column. `vocabulary` may be null for a grammar used
    // only with acceptText() (tests, validation).
    static Expected<std::unique_ptr<Grammar>> create(
        std::string_view gbnf, std::shared_ptr<const GrammarVocabulary> vocabulary);
    ~Grammar();

    // Sets logits of tokens that cannot continue the grammar to -infinity. Entries past the vocabulary
    // (padded output rows) are disallowed too.
    void apply(std::span<float> logits);
    // mask[token] = 1 when the token may come next; resized to the vocabulary size.
    void allowedMask(std::vector<std::uint8_t> &mask);
    bool isAllowed(std::int32_t token);

    // Advances over a token; returns false (and leaves the state unchanged) when the token is not allowed.
    // An end-of-generation token is accepted only when isComplete(), and ends the grammar.
    bool accept(std::int32_t token);
    // Advances over raw bytes; false (state unchanged) when they cannot continue the grammar.
    bool acceptText(std::string_view bytes);

    // The text so far is a complete sentence of the grammar (it may still be extendable).
    bool isComplete() const;
    // Some non-empty continuation exists.
    bool canContinue() const;
    // An end-of-generation token was accepted.
    bool isFinished() const;
    void reset();

    const GrammarVocabulary *vocabulary() const;

private:
    Grammar();
    std::int32_t walk(std::string_view bytes);
    void walkTrie(std::uint8_t *mask);

    std::shared_ptr<const GrammarVocabulary> m_vocabulary;
    std::unique_ptr<GrammarMatcher> m_matcher;
    std::int32_t m_state = -1; // matcher state; -1 when the input can no longer match
    std::vector<std::int32_t> m_nodeStates; // per trie node, reused between masks
    std::vector<std::uint8_t> m_mask;
    // Masks by matcher state: inside a long string value every token starts from the same state.
    std::unordered_map<std::int32_t, std::vector<std::uint8_t>> m_maskCache;
    std::uint64_t m_maskCacheGeneration = 0;
    bool m_finished = false;
};

// Checks a GBNF text without building a matcher: the same errors as Grammar::create.
Expected<void> validateGrammar(std::string_view gbnf);

} // namespace quire::inference
