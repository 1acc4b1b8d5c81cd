#include "inference/grammarrules.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <unordered_map>

namespace quire::inference
{

namespace
{

constexpr int kMaxRepetition = 10000;
constexpr int kMaxRules = 100000;
constexpr int kMaxNesting = 256;
constexpr std::size_t kMaxRepeatedElements = std::size_t(1) << 22;

using Sequence = std::vector<GrammarElement>;
using Alternatives = std::vector<Sequence>;

bool isWordChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void normaliseClass(CharClass &cls)
{
    auto &r = cls.ranges;
    std::sort(r.begin(), r.end());
    std::vector<std::pair<char32_t, char32_t>> merged;
    for (const auto &range : r) {
        if (!merged.empty() && range.first <= merged.back().second + 1)
            merged.back().second = std::max(merged.back().second, range.second);
        else
            merged.push_back(range);
    }
    r = std::move(merged);
}

class Parser
{
public:
    explicit Parser(std::string_view src)
        : m_src(src)
    {
    }

    Expected<GrammarRules> run();

private:
    std::string_view m_src;
    std::size_t m_pos = 0;
    std::optional<Error> m_error;
    std::unordered_map<std::string, std::uint32_t> m_ids;
    std::vector<std::string> m_names;
    std::vector<Alternatives> m_rules;
    std::vector<bool> m_defined;
    std::vector<std::size_t> m_firstUse;
    std::vector<CharClass> m_classes;
    int m_nesting = 0;
    std::size_t m_repeatedElements = 0;

    bool atEnd() const { return m_pos >= m_src.size(); }
    char peek(std::size_t ahead = 0) const { return m_pos + ahead < m_src.size() ? m_src[m_pos + ahead] : '\0'; }
    bool fail(std::string message, std::size_t at);
    bool fail(std::string message) { return fail(std::move(message), m_pos); }
    void skipSpace(bool newlines);
    std::uint32_t ruleId(const std::string &name, std::size_t at);
    std::uint32_t newRule(const std::string &base, Alternatives alternatives);
    std::uint32_t addClass(CharClass cls);

    bool parseRule();
    bool parseAlternatives(Alternatives &out, bool nested);
    bool parseSequence(Sequence &out, bool nested);
    bool parseAtom(Sequence &out, bool nested, const std::string &context);
    bool parseRepetition(Sequence &seq, std::size_t atomStart, const std::string &context);
    bool parseBraces(int &min, int &max);
    std::optional<char32_t> parseChar(bool inClass);
    std::optional<char32_t> parseEscape();
    bool parseClass(Sequence &out);
    void repeat(Sequence &seq, std::size_t atomStart, int min, int max, const std::string &context);

    bool checkReferences();
    bool checkLeftRecursion();
    GrammarRules flatten() const;
};

bool Parser::fail(std::string message, std::size_t at)
{
    if (m_error)
        return false;
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < at && i < m_src.size(); ++i) {
        if (m_src[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    m_error = Error { Error::Code::InvalidArgument,
        "grammar: line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message };
    return false;
}

void Parser::skipSpace(bool newlines)
{
    while (!atEnd()) {
        const char c = peek();
        if (c == ' ' || c == '\t' || (newlines && (c == '\n' || c == '\r'))) {
            ++m_pos;
        } else if (c == '#') {
            while (!atEnd() && peek() != '\n')
                ++m_pos;
        } else {
            break;
        }
    }
}

std::uint32_t Parser::ruleId(const std::string &name, std::size_t at)
{
    auto [it, inserted] = m_ids.emplace(name, std::uint32_t(m_names.size()));
    if (inserted) {
        m_names.push_back(name);
        m_rules.emplace_back();
        m_defined.push_back(false);
        m_firstUse.push_back(at);
    }
    return it->second;
}

std::uint32_t Parser::newRule(const std::string &base, Alternatives alternatives)
{
    const std::uint32_t id = ruleId(base + "-" + std::to_string(m_names.size()), m_pos);
    m_rules[id] = std::move(alternatives);
    m_defined[id] = true;
    return id;
}

std::uint32_t Parser::addClass(CharClass cls)
{
    normaliseClass(cls);
    m_classes.push_back(std::move(cls));
    return std::uint32_t(m_classes.size() - 1);
}

Expected<GrammarRules> Parser::run()
{
    skipSpace(true);
    while (!atEnd()) {
        if (!parseRule())
            break;
        skipSpace(true);
    }
    if (!m_error) {
        auto root = m_ids.find("root");
        if (root == m_ids.end() || !m_defined[root->second])
            fail("the grammar has no `root` rule", m_src.size());
    }
    if (!m_error)
        checkReferences();
    if (!m_error && m_names.size() > std::size_t(kMaxRules))
        fail("the grammar expands to too many rules", 0);
    if (!m_error)
        checkLeftRecursion();
    if (m_error)
        return std::unexpected(*m_error);
    return flatten();
}

bool Parser::parseRule()
{
    const std::size_t start = m_pos;
    while (!atEnd() && isWordChar(peek()))
        ++m_pos;
    if (m_pos == start)
        return fail(std::string("expected a rule name, found '") + peek() + "'");
    const std::string name(m_src.substr(start, m_pos - start));
    skipSpace(false);
    if (m_src.substr(m_pos, 3) != "::=")
        return fail("expected '::=' after rule name '" + name + "'");
    m_pos += 3;
    const std::uint32_t id = ruleId(name, start);
    if (m_defined[id])
        return fail("rule '" + name + "' is defined twice", start);
    m_defined[id] = true;
    skipSpace(true);
    Alternatives alternatives;
    if (!parseAlternatives(alternatives, false))
        return false;
    m_rules[id] = std::move(alternatives);
    if (!atEnd() && peek() != '\n' && peek() != '\r')
        return fail(std::string("unexpected '") + peek() + "' in rule '" + name + "'");
    return true;
}

bool Parser::parseAlternatives(Alternatives &out, bool nested)
{
    while (true) {
        Sequence seq;
        if (!parseSequence(seq, nested))
            return false;
        out.push_back(std::move(seq));
        if (peek() != '|')
            return true;
        ++m_pos;
        skipSpace(true);
    }
}

bool Parser::parseSequence(Sequence &out, bool nested)
{
    std::optional<std::size_t> atomStart;
    while (!atEnd()) {
        const char c = peek();
        if (c == '|' || c == ')' || c == '\n' || c == '\r')
            return true;
        if (c == '*' || c == '+' || c == '?' || c == '{') {
            if (!atomStart)
                return fail(std::string("'") + c + "' does not follow anything to repeat");
            if (!parseRepetition(out, *atomStart, "rep"))
                return false;
            atomStart.reset();
        } else {
            atomStart = out.size();
            if (!parseAtom(out, nested, "group"))
                return false;
        }
        skipSpace(nested);
    }
    return true;
}

bool Parser::parseAtom(Sequence &out, bool nested, const std::string &context)
{
    const char c = peek();
    if (c == '"') {
        ++m_pos;
        while (!atEnd() && peek() != '"') {
            auto ch = parseChar(false);
            if (!ch)
                return false;
            out.push_back({ GrammarElement::Kind::Char, addClass(CharClass { { { *ch, *ch } }, false }) });
        }
        if (atEnd())
            return fail("unterminated string literal");
        ++m_pos;
        return true;
    }
    if (c == '[')
        return parseClass(out);
    if (c == '.') {
        ++m_pos;
        out.push_back({ GrammarElement::Kind::Char, addClass(CharClass { {}, true }) });
        return true;
    }
    if (c == '(') {
        if (m_nesting >= kMaxNesting)
            return fail("groups are nested more than " + std::to_string(kMaxNesting) + " deep");
        ++m_pos;
        skipSpace(true);
        Alternatives alternatives;
        ++m_nesting;
        const bool parsed = parseAlternatives(alternatives, true);
        --m_nesting;
        if (!parsed)
            return false;
        if (peek() != ')')
            return fail("expected ')'");
        ++m_pos;
        out.push_back({ GrammarElement::Kind::Rule, newRule(context, std::move(alternatives)) });
        return true;
    }
    if (isWordChar(c)) {
        const std::size_t start = m_pos;
        while (!atEnd() && isWordChar(peek()))
            ++m_pos;
        out.push_back({ GrammarElement::Kind::Rule, ruleId(std::string(m_src.substr(start, m_pos - start)), start) });
        return true;
    }
    (void)nested;
    return fail(std::string("unexpected '") + c + "'");
}

std::optional<char32_t> Parser::parseChar(bool inClass)
{
    const auto c = static_cast<unsigned char>(peek());
    if (c == '\\')
        return parseEscape();
    if (c == '\n' && !inClass) {
        fail("unterminated string literal");
        return std::nullopt;
    }
    // A UTF-8 encoded character of the grammar text itself.
    const int length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t value = length == 1 ? c : length == 2 ? (c & 0x1F) : length == 3 ? (c & 0x0F) : (c & 0x07);
    bool valid = !(c >= 0x80 && c < 0xC2) && c <= 0xF4 && m_pos + std::size_t(length) <= m_src.size();
    for (int i = 1; valid && i < length; ++i) {
        const auto b = static_cast<unsigned char>(m_src[m_pos + std::size_t(i)]);
        valid = (b & 0xC0) == 0x80;
        value = (value << 6) | (b & 0x3F);
    }
    if (!valid) {
        fail("invalid UTF-8 in grammar text");
        return std::nullopt;
    }
    m_pos += std::size_t(length);
    return value;
}

std::optional<char32_t> Parser::parseEscape()
{
    const char e = peek(1);
    m_pos += 2;
    switch (e) {
    case 'n':
        return U'\n';
    case 'r':
        return U'\r';
    case 't':
        return U'\t';
    case '\\':
    case '"':
    case '[':
    case ']':
    case '-':
    case '^':
        return char32_t(e);
    case 'x':
    case 'u':
    case 'U':
        break;
    default:
        fail(std::string("unknown escape '\\") + e + "'", m_pos - 2);
        return std::nullopt;
    }
    const int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
    char32_t value = 0;
    for (int i = 0; i < digits; ++i) {
        const int h = hexValue(peek());
        if (h < 0) {
            fail("expected " + std::to_string(digits) + " hex digits after '\\" + e + "'");
            return std::nullopt;
        }
        value = value * 16 + char32_t(h);
        ++m_pos;
    }
    if (value > 0x10FFFF) {
        fail("code point out of range", m_pos - std::size_t(digits));
        return std::nullopt;
    }
    return value;
}

bool Parser::parseClass(Sequence &out)
{
    const std::size_t start = m_pos;
    ++m_pos;
    CharClass cls;
    if (peek() == '^') {
        cls.negated = true;
        ++m_pos;
    }
    while (!atEnd() && peek() != ']') {
        if (peek() == '\n')
            return fail("unterminated character class", start);
        auto first = parseChar(true);
        if (!first)
            return false;
        char32_t last = *first;
        if (peek() == '-' && peek(1) != ']' && m_pos + 1 < m_src.size()) {
            ++m_pos;
            auto end = parseChar(true);
            if (!end)
                return false;
            if (*end < *first)
                return fail("character range is backwards", m_pos - 1);
            last = *end;
        }
        cls.ranges.emplace_back(*first, last);
    }
    if (atEnd())
        return fail("unterminated character class", start);
    ++m_pos;
    out.push_back({ GrammarElement::Kind::Char, addClass(std::move(cls)) });
    return true;
}

bool Parser::parseBraces(int &min, int &max)
{
    ++m_pos;
    skipSpace(false);
    auto number = [this](int &value) {
        const std::size_t start = m_pos;
        value = 0;
        while (peek() >= '0' && peek() <= '9') {
            value = value * 10 + (peek() - '0');
            ++m_pos;
            if (value > kMaxRepetition)
                return fail("repetition count is too large (the limit is " + std::to_string(kMaxRepetition) + ")");
        }
        return m_pos != start || fail("expected a number in '{m,n}'");
    };
    if (!number(min))
        return false;
    skipSpace(false);
    max = min;
    if (peek() == ',') {
        ++m_pos;
        skipSpace(false);
        max = -1;
        if (peek() != '}' && !number(max))
            return false;
        skipSpace(false);
    }
    if (peek() != '}')
        return fail("expected '}'");
    ++m_pos;
    if (max >= 0 && max < min)
        return fail("repetition '{m,n}' has n < m");
    return true;
}

bool Parser::parseRepetition(Sequence &seq, std::size_t atomStart, const std::string &context)
{
    int min = 0;
    int max = -1;
    switch (peek()) {
    case '*':
        ++m_pos;
        break;
    case '+':
        ++m_pos;
        min = 1;
        break;
    case '?':
        ++m_pos;
        max = 1;
        break;
    default:
        if (!parseBraces(min, max))
            return false;
    }
    m_repeatedElements += (seq.size() - atomStart) * std::size_t(std::max(min, max) + 1);
    if (m_repeatedElements > kMaxRepeatedElements)
        return fail("repetitions make the grammar too large");
    repeat(seq, atomStart, min, max, context);
    return true;
}

// x{min,max}: min copies of x, then either a right-recursive `R ::= x R |` (unbounded) or a chain of
// nested optionals `O1 ::= x O2 |` ... (bounded). Right recursion keeps the matcher's stacks flat.
void Parser::repeat(Sequence &seq, std::size_t atomStart, int min, int max, const std::string &context)
{
    const Sequence atom(seq.begin() + std::ptrdiff_t(atomStart), seq.end());
    seq.resize(atomStart);
    for (int i = 0; i < min; ++i)
        seq.insert(seq.end(), atom.begin(), atom.end());
    if (max < 0) {
        const std::uint32_t id = newRule(context, {});
        Sequence again = atom;
        again.push_back({ GrammarElement::Kind::Rule, id });
        m_rules[id] = { again, {} };
        seq.push_back({ GrammarElement::Kind::Rule, id });
        return;
    }
    std::optional<std::uint32_t> tail;
    for (int i = 0; i < max - min; ++i) {
        Sequence more = atom;
        if (tail)
            more.push_back({ GrammarElement::Kind::Rule, *tail });
        tail = newRule(context, { more, {} });
    }
    if (tail)
        seq.push_back({ GrammarElement::Kind::Rule, *tail });
}

bool Parser::checkReferences()
{
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        if (!m_defined[i])
            return fail("rule '" + m_names[i] + "' is used but never defined", m_firstUse[i]);
    }
    return true;
}

bool Parser::checkLeftRecursion()
{
    const std::size_t n = m_rules.size();
    std::vector<bool> nullable(n, false);
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t r = 0; r < n; ++r) {
            if (nullable[r])
                continue;
            for (const Sequence &seq : m_rules[r]) {
                const bool all = std::all_of(seq.begin(), seq.end(), [&](const GrammarElement &e) {
                    return e.kind == GrammarElement::Kind::Rule && nullable[e.index];
                });
                if (all) {
                    nullable[r] = changed = true;
                    break;
                }
            }
        }
    }
    // Edges r -> s where s can be the first thing r matches; a cycle is left recursion.
    std::vector<std::vector<std::uint32_t>> first(n);
    for (std::size_t r = 0; r < n; ++r) {
        for (const Sequence &seq : m_rules[r]) {
            for (const GrammarElement &e : seq) {
                if (e.kind != GrammarElement::Kind::Rule)
                    break;
                first[r].push_back(e.index);
                if (!nullable[e.index])
                    break;
            }
        }
    }
    std::vector<std::uint8_t> colour(n, 0); // 0 new, 1 on the path, 2 done
    std::vector<std::pair<std::uint32_t, std::size_t>> path;
    for (std::uint32_t s = 0; s < n; ++s) {
        if (colour[s])
            continue;
        path.push_back({ s, 0 });
        colour[s] = 1;
        while (!path.empty()) {
            auto &[r, next] = path.back();
            if (next == first[r].size()) {
                colour[r] = 2;
                path.pop_back();
                continue;
            }
            const std::uint32_t t = first[r][next++];
            if (colour[t] == 1)
                return fail("rule '" + m_names[t]
                        + "' is left-recursive (it can reach itself without matching "
                          "anything); rewrite it with repetition",
                    m_firstUse[t]);
            if (colour[t] == 0) {
                colour[t] = 1;
                path.push_back({ t, 0 });
            }
        }
    }
    return true;
}

GrammarRules Parser::flatten() const
{
    GrammarRules rules;
    rules.ruleNames = m_names;
    rules.classes = m_classes;
    rules.root = m_ids.at("root");
    rules.alternatives.resize(m_rules.size());
    for (std::size_t r = 0; r < m_rules.size(); ++r) {
        for (const Sequence &seq : m_rules[r]) {
            rules.alternatives[r].push_back(std::uint32_t(rules.elements.size()));
            rules.elements.insert(rules.elements.end(), seq.begin(), seq.end());
            rules.elements.push_back({ GrammarElement::Kind::End, 0 });
        }
    }
    return rules;
}

} // namespace

bool CharClass::contains(char32_t c) const
{
    bool in = false;
    for (const auto &[lo, hi] : ranges) {
        if (c < lo)
            break;
        if (c <= hi) {
            in = true;
            break;
        }
    }
    return in != negated;
}

bool CharClass::intersects(char32_t lo, char32_t hi) const
{
    if (lo > hi)
        return false;
    if (!negated) {
        for (const auto &range : ranges) {
            if (range.first <= hi && range.second >= lo)
                return true;
        }
        return false;
    }
    // Negated: some point of [lo, hi] lies outside every range.
    char32_t cursor = lo;
    for (const auto &range : ranges) {
        if (range.second < cursor)
            continue;
        if (range.first > cursor)
            return true;
        if (range.second >= hi)
            return false;
        cursor = range.second + 1;
    }
    return cursor <= hi;
}

Expected<GrammarRules> parseGrammar(std::string_view gbnf)
{
    return Parser(gbnf).run();
}

} // namespace quire::inference
