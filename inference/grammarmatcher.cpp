#include "inference/grammarmatcher.h"

#include <algorithm>
#include <unordered_set>

namespace quire::inference
{

namespace
{

constexpr std::size_t kMaxStates = 8192; // 1 KiB of transitions each
constexpr std::size_t kMaxStackNodes = 1 << 20; // before the caches are rebuilt from the live state

constexpr std::uint32_t kMinCodePoint[5] = { 0, 0, 0x80, 0x800, 0x10000 };

bool isValidCodePoint(std::uint32_t c, int length)
{
    return c >= kMinCodePoint[length] && c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF);
}

std::size_t mix(std::size_t h, std::uint64_t v)
{
    v *= 0x9E3779B97F4A7C15ull;
    return (h ^ (v >> 29) ^ v) * 0xBF58476D1CE4E5B9ull;
}

} // namespace

std::size_t GrammarMatcher::KeyHash::operator()(const StateKey &k) const
{
    std::size_t h = mix(0, std::uint64_t(std::uint32_t(k.stackSet)));
    h = mix(h, k.partial);
    return mix(h, std::uint64_t(k.remaining) << 8 | k.length);
}

std::size_t GrammarMatcher::VectorHash::operator()(const std::vector<std::int32_t> &v) const
{
    std::size_t h = v.size();
    for (std::int32_t x : v)
        h = mix(h, std::uint32_t(x));
    return h;
}

GrammarMatcher::GrammarMatcher(GrammarRules rules)
    : m_rules(std::move(rules))
{
    clearCaches();
}

void GrammarMatcher::clearCaches()
{
    ++m_generation;
    m_nodes.assign(1, StackNode { 0, 0 }); // id 0: the bottom of every stack
    m_nodeIds.clear();
    m_stackSets.clear();
    m_stackSetIds.clear();
    m_states.clear();
    m_stateIds.clear();
    m_transitions.clear();
    std::vector<std::int32_t> stacks;
    for (std::uint32_t alternative : m_rules.alternatives[m_rules.root])
        expand(normalise(alternative, 0), stacks);
    const std::int32_t set = internStackSet(stacks);
    m_start = set < 0 ? kDead : internState({ set, 0, 0, 0 });
}

std::int32_t GrammarMatcher::node(std::uint32_t position, std::int32_t parent)
{
    const std::uint64_t key = std::uint64_t(position) << 32 | std::uint32_t(parent);
    auto [it, inserted] = m_nodeIds.emplace(key, std::int32_t(m_nodes.size()));
    if (inserted)
        m_nodes.push_back({ position, parent });
    return it->second;
}

// A stack whose top alternative is finished is its parent: this is what keeps right recursion flat.
std::int32_t GrammarMatcher::normalise(std::uint32_t position, std::int32_t parent)
{
    if (m_rules.elements[position].kind == GrammarElement::Kind::End)
        return parent;
    return node(position, parent);
}

// Replaces rule references on top of a stack by their alternatives until every top is a character class
// (or the stack is empty, which means the input so far may end here).
void GrammarMatcher::expand(std::int32_t stack, std::vector<std::int32_t> &out)
{
    std::vector<std::int32_t> work { stack };
    std::unordered_set<std::int32_t> seen;
    while (!work.empty()) {
        const std::int32_t s = work.back();
        work.pop_back();
        if (!seen.insert(s).second)
            continue;
        if (s == 0) {
            out.push_back(0);
            continue;
        }
        const StackNode top = m_nodes[std::size_t(s)];
        const GrammarElement element = m_rules.elements[top.position];
        if (element.kind == GrammarElement::Kind::Char) {
            out.push_back(s);
            continue;
        }
        const std::int32_t continuation = normalise(top.position + 1, top.parent);
        for (std::uint32_t alternative : m_rules.alternatives[element.index])
            work.push_back(normalise(alternative, continuation));
    }
}

std::int32_t GrammarMatcher::internStackSet(std::vector<std::int32_t> &stacks)
{
    if (stacks.empty())
        return -1;
    std::sort(stacks.begin(), stacks.end());
    stacks.erase(std::unique(stacks.begin(), stacks.end()), stacks.end());
    auto [it, inserted] = m_stackSetIds.emplace(stacks, std::int32_t(m_stackSets.size()));
    if (inserted)
        m_stackSets.push_back(stacks);
    return it->second;
}

GrammarMatcher::State GrammarMatcher::internState(const StateKey &key)
{
    auto [it, inserted] = m_stateIds.emplace(key, State(m_states.size()));
    if (inserted) {
        m_states.push_back(key);
        m_transitions.resize(m_transitions.size() + 256, kUnknown);
    }
    return it->second;
}

std::int32_t GrammarMatcher::advance(std::int32_t stackSet, char32_t c)
{
    std::vector<std::int32_t> next;
    const std::vector<std::int32_t> stacks = m_stackSets[std::size_t(stackSet)];
    for (std::int32_t s : stacks) {
        if (s == 0)
            continue;
        const StackNode top = m_nodes[std::size_t(s)];
        const CharClass &cls = m_rules.classes[m_rules.elements[top.position].index];
        if (cls.contains(c))
            expand(normalise(top.position + 1, top.parent), next);
    }
    return internStackSet(next);
}

bool GrammarMatcher::viable(std::int32_t stackSet, std::uint32_t partial, int remaining, int length) const
{
    std::uint32_t lo = partial << (6 * remaining);
    std::uint32_t hi = lo | ((1u << (6 * remaining)) - 1);
    lo = std::max(lo, kMinCodePoint[length]);
    hi = std::min<std::uint32_t>(hi, 0x10FFFF);
    for (std::int32_t s : m_stackSets[std::size_t(stackSet)]) {
        if (s == 0)
            continue;
        const CharClass &cls = m_rules.classes[m_rules.elements[m_nodes[std::size_t(s)].position].index];
        if (cls.intersects(lo, std::min<std::uint32_t>(hi, 0xD7FF))
            || cls.intersects(std::max<std::uint32_t>(lo, 0xE000), hi))
            return true;
    }
    return false;
}

GrammarMatcher::State GrammarMatcher::computeStep(State state, std::uint8_t byte)
{
    const StateKey key = m_states[std::size_t(state)];
    State result = kDead;
    if (key.remaining == 0) {
        if (byte < 0x80) {
            const std::int32_t set = advance(key.stackSet, byte);
            if (set >= 0)
                result = internState({ set, 0, 0, 0 });
        } else {
            int length = 0;
            std::uint32_t bits = 0;
            if (byte >= 0xC2 && byte <= 0xDF)
                length = 2, bits = byte & 0x1F;
            else if (byte >= 0xE0 && byte <= 0xEF)
                length = 3, bits = byte & 0x0F;
            else if (byte >= 0xF0 && byte <= 0xF4)
                length = 4, bits = byte & 0x07;
            if (length && viable(key.stackSet, bits, length - 1, length))
                result = internState({ key.stackSet, bits, std::uint8_t(length - 1), std::uint8_t(length) });
        }
    } else if ((byte & 0xC0) == 0x80) {
        const std::uint32_t bits = key.partial << 6 | (byte & 0x3F);
        const int remaining = key.remaining - 1;
        if (remaining == 0) {
            if (isValidCodePoint(bits, key.length)) {
                const std::int32_t set = advance(key.stackSet, bits);
                if (set >= 0)
                    result = internState({ set, 0, 0, 0 });
            }
        } else if (viable(key.stackSet, bits, remaining, key.length)) {
            result = internState({ key.stackSet, bits, std::uint8_t(remaining), key.length });
        }
    }
    m_transitions[std::size_t(state) * 256 + byte] = result;
    return result;
}

bool GrammarMatcher::isAccepting(State state) const
{
    if (state < 0)
        return false;
    const StateKey &key = m_states[std::size_t(state)];
    return key.remaining == 0 && m_stackSets[std::size_t(key.stackSet)].front() == 0;
}

bool GrammarMatcher::canContinue(State state) const
{
    if (state < 0)
        return false;
    const StateKey &key = m_states[std::size_t(state)];
    const auto &stacks = m_stackSets[std::size_t(key.stackSet)];
    return key.remaining > 0 || stacks.back() != 0;
}

std::vector<std::vector<std::uint32_t>> GrammarMatcher::stackPositions(std::int32_t stackSet) const
{
    std::vector<std::vector<std::uint32_t>> out;
    for (std::int32_t s : m_stackSets[std::size_t(stackSet)]) {
        std::vector<std::uint32_t> positions;
        for (std::int32_t n = s; n != 0; n = m_nodes[std::size_t(n)].parent)
            positions.push_back(m_nodes[std::size_t(n)].position);
        out.push_back(std::move(positions));
    }
    return out;
}

std::int32_t GrammarMatcher::rebuildStackSet(const std::vector<std::vector<std::uint32_t>> &positions)
{
    std::vector<std::int32_t> stacks;
    for (const auto &stack : positions) {
        std::int32_t parent = 0;
        for (auto it = stack.rbegin(); it != stack.rend(); ++it)
            parent = node(*it, parent);
        stacks.push_back(parent);
    }
    return internStackSet(stacks);
}

GrammarMatcher::State GrammarMatcher::compact(State keep)
{
    if (m_states.size() < kMaxStates && m_nodes.size() < kMaxStackNodes)
        return keep;
    if (keep < 0) {
        clearCaches();
        return kDead;
    }
    const StateKey key = m_states[std::size_t(keep)];
    const auto positions = stackPositions(key.stackSet);
    clearCaches();
    const std::int32_t set = rebuildStackSet(positions);
    return internState({ set, key.partial, key.remaining, key.length });
}

} // namespace quire::inference
