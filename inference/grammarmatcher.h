#pragma once

#include "inference/grammarrules.h"

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace quire::inference
{

// Runs a compiled grammar over bytes as a lazily built DFA. A state is a set of pushdown stacks (hash-consed,
// so equal stacks share one id) plus a partial UTF-8 character; transitions are computed on first use and
// cached, so masking a vocabulary mostly costs one table look-up per trie node. Right recursion is
// tail-call-eliminated when stacks are built, so repetitions revisit the same states.
class GrammarMatcher
{
public:
    using State = std::int32_t;
    static constexpr State kDead = -1;

    explicit GrammarMatcher(GrammarRules rules);

    State start() const { return m_start; }
    State step(State state, std::uint8_t byte)
    {
        const State next = m_transitions[std::size_t(state) * 256 + byte];
        return next != kUnknown ? next : computeStep(state, byte);
    }
    // The cached transitions, 256 per state, kUnknown where not computed yet; valid until the next
    // step() that misses or compact(). For tight loops that cannot afford the indirections of step().
    const State *transitions() const { return m_transitions.data(); }
    static constexpr State kUnknown = -2;
    // The bytes so far form a complete sentence.
    bool isAccepting(State state) const;
    // Some non-empty continuation exists.
    bool canContinue(State state) const;

    // Drops the caches when they have grown past their budget; returns `keep` renumbered in the new cache.
    State compact(State keep);
    std::size_t stateCount() const { return m_states.size(); }
    // Changes whenever the caches are rebuilt (state ids are then renumbered).
    std::uint64_t generation() const { return m_generation; }

private:
    struct StackNode {
        std::uint32_t position; // the next element to match
        std::int32_t parent; // where to return after this alternative; 0 = bottom
    };
    struct StateKey {
        std::int32_t stackSet;
        std::uint32_t partial; // bits of the current code point decoded so far
        std::uint8_t remaining; // continuation bytes still expected
        std::uint8_t length; // total bytes of the current code point
        bool operator==(const StateKey &) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const StateKey &k) const;
    };
    struct VectorHash {
        std::size_t operator()(const std::vector<std::int32_t> &v) const;
    };

    GrammarRules m_rules;
    std::vector<StackNode> m_nodes;
    std::unordered_map<std::uint64_t, std::int32_t> m_nodeIds;
    std::vector<std::vector<std::int32_t>> m_stackSets;
    std::unordered_map<std::vector<std::int32_t>, std::int32_t, VectorHash> m_stackSetIds;
    std::vector<StateKey> m_states;
    std::unordered_map<StateKey, State, KeyHash> m_stateIds;
    std::vector<State> m_transitions; // 256 per state
    State m_start = kDead;
    std::uint64_t m_generation = 0;

    void clearCaches();
    std::int32_t node(std::uint32_t position, std::int32_t parent);
    std::int32_t normalise(std::uint32_t position, std::int32_t parent);
    void expand(std::int32_t stack, std::vector<std::int32_t> &out);
    std::int32_t internStackSet(std::vector<std::int32_t> &stacks);
    State internState(const StateKey &key);
    State computeStep(State state, std::uint8_t byte);
    std::int32_t advance(std::int32_t stackSet, char32_t c);
    bool viable(std::int32_t stackSet, std::uint32_t partial, int remaining, int length) const;
    std::vector<std::vector<std::uint32_t>> stackPositions(std::int32_t stackSet) const;
    std::int32_t rebuildStackSet(const std::vector<std::vector<std::uint32_t>> &positions);
};

} // namespace quire::inference
