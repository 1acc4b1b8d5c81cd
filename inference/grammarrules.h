#pragma once

#include "util/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace quire::inference
{

// A set of code points: sorted, merged ranges, possibly negated.
struct CharClass {
    std::vector<std::pair<char32_t, char32_t>> ranges;
    bool negated = false;

    bool contains(char32_t c) const;
    // Some code point in [lo, hi] is in the class.
    bool intersects(char32_t lo, char32_t hi) const;
};

struct GrammarElement {
    enum class Kind : std::uint8_t { Char, Rule, End };
    Kind kind = Kind::End;
    std::uint32_t index = 0; // into GrammarRules::classes (Char) or a rule id (Rule)
};

// A compiled GBNF grammar: every alternative of every rule is a run of elements in `elements`, ended by
// an End element; groups and repetitions have become generated rules. A position in a grammar is an
// index into `elements`.
struct GrammarRules {
    std::vector<GrammarElement> elements;
    std::vector<std::vector<std::uint32_t>> alternatives; // per rule: start positions of its alternatives
    std::vector<std::string> ruleNames;
    std::vector<CharClass> classes;
    std::uint32_t root = 0;
};

// Parses llama.cpp's GBNF syntax. Errors say where ("line 3, column 14: ...") and what is wrong: syntax,
// undefined or doubly defined rules, a missing `root`, left recursion.
Expected<GrammarRules> parseGrammar(std::string_view gbnf);

} // namespace quire::inference
