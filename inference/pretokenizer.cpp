#include "pretokenizer.h"

#include "tokenizerunicode.h"

#include <array>
#include <utility>

namespace quire::inference
{

namespace
{

using Text = PreTokenizer::Text;
namespace u = unicode;

bool has(const Text &t, std::size_t i, std::uint8_t flag)
{
    return (t.flags[i] & flag) != 0;
}

bool isOther(const Text &t, std::size_t i) // [^\s\p{L}\p{N}]
{
    return (t.flags[i] & (u::Whitespace | u::Letter | u::Number)) == 0;
}

bool isNewline(char32_t c)
{
    return c == '\r' || c == '\n';
}

std::size_t runOf(const Text &t, std::size_t i, std::size_t end, std::uint8_t flag)
{
    while (i < end && has(t, i, flag))
        ++i;
    return i;
}

std::size_t runOfOther(const Text &t, std::size_t i, std::size_t end)
{
    while (i < end && isOther(t, i))
        ++i;
    return i;
}

char32_t asciiLower(char32_t c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

// 's 't 're 've 'm 'll 'd, optionally ignoring ASCII case.
std::size_t contraction(const Text &t, std::size_t i, std::size_t end, bool anyCase)
{
    if (t.cps[i] != '\'' || i + 1 >= end)
        return 0;
    auto at = [&](std::size_t k) { return anyCase ? asciiLower(t.cps[k]) : t.cps[k]; };
    const char32_t a = at(i + 1);
    if (a == 's' || a == 't' || a == 'm' || a == 'd')
        return 2;
    if (i + 2 >= end)
        return 0;
    const char32_t b = at(i + 2);
    return ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) ? 3 : 0;
}

// \s+(?!\S), falling back to \s+ when `orAnyRun`.
std::size_t trailingSpaces(const Text &t, std::size_t i, std::size_t end, bool orAnyRun)
{
    const std::size_t k = runOf(t, i, end, u::Whitespace);
    if (k == end)
        return k - i;
    if (k - 1 > i)
        return k - 1 - i;
    return orAnyRun ? k - i : 0;
}

// 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)
std::size_t matchGpt2(const Text &t, std::size_t i, std::size_t end)
{
    if (const std::size_t n = contraction(t, i, end, false))
        return n;
    const std::size_t j = (t.cps[i] == ' ' && i + 1 < end) ? i + 1 : i;
    if (has(t, j, u::Letter))
        return runOf(t, j, end, u::Letter) - i;
    if (has(t, j, u::Number))
        return runOf(t, j, end, u::Number) - i;
    if (isOther(t, j))
        return runOfOther(t, j, end) - i;
    return has(t, i, u::Whitespace) ? trailingSpaces(t, i, end, false) : 0;
}

// (?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}|
//  ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
template <std::size_t maxDigits> std::size_t matchLlama3(const Text &t, std::size_t i, std::size_t end)
{
    if (const std::size_t n = contraction(t, i, end, true))
        return n;
    const char32_t c = t.cps[i];
    const bool lead = !isNewline(c) && !has(t, i, u::Letter | u::Number);
    if (lead && i + 1 < end && has(t, i + 1, u::Letter))
        return runOf(t, i + 1, end, u::Letter) - i;
    if (has(t, i, u::Letter))
        return runOf(t, i, end, u::Letter) - i;
    if (has(t, i, u::Number)) {
        std::size_t k = i;
        while (k < end && k - i < maxDigits && has(t, k, u::Number))
            ++k;
        return k - i;
    }
    const std::size_t j = (c == ' ' && i + 1 < end) ? i + 1 : i;
    if (isOther(t, j)) {
        std::size_t k = runOfOther(t, j, end);
        while (k < end && isNewline(t.cps[k]))
            ++k;
        return k - i;
    }
    if (!has(t, i, u::Whitespace))
        return 0;
    const std::size_t k = runOf(t, i, end, u::Whitespace);
    for (std::size_t m = k; m > i; --m) {
        if (isNewline(t.cps[m - 1]))
            return m - i;
    }
    return trailingSpaces(t, i, end, true);
}

std::size_t matchOneNumber(const Text &t, std::size_t i, std::size_t)
{
    return has(t, i, u::Number) ? 1 : 0;
}

std::size_t matchNumbers(const Text &t, std::size_t i, std::size_t end)
{
    return runOf(t, i, end, u::Number) - i;
}

std::size_t matchThreeDigits(const Text &t, std::size_t i, std::size_t end)
{
    auto digit = [&](std::size_t k) { return t.cps[k] >= '0' && t.cps[k] <= '9'; };
    return (i + 2 < end && digit(i) && digit(i + 1) && digit(i + 2)) ? 3 : 0;
}

bool isAsciiSymbolOf(char32_t c, std::u32string_view set)
{
    return set.find(c) != std::u32string_view::npos;
}

// [\p{P}\$\+<=>\^~\|]+ (default) and [\p{P}\$\+<=>\^~\|`]+ (falcon)
template <bool withBacktick> std::size_t matchPunctuationRun(const Text &t, std::size_t i, std::size_t end)
{
    const std::u32string_view set = withBacktick ? U"$+<=>^~|`" : U"$+<=>^~|";
    std::size_t k = i;
    while (k < end && (has(t, k, u::Punctuation) || isAsciiSymbolOf(t.cps[k], set)))
        ++k;
    return k - i;
}

std::size_t matchNewline(const Text &t, std::size_t i, std::size_t)
{
    return isNewline(t.cps[i]) ? 1 : 0;
}

// \s?\p{X}+
template <std::uint8_t flag> std::size_t matchSpaceThen(const Text &t, std::size_t i, std::size_t end)
{
    const std::size_t j = (has(t, i, u::Whitespace) && i + 1 < end) ? i + 1 : i;
    return has(t, j, flag) ? runOf(t, j, end, flag) - i : 0;
}

// [一-龥ࠀ-一가-퟿]+
std::size_t matchCjk(const Text &t, std::size_t i, std::size_t end)
{
    auto cjk = [](char32_t c) {
        return (c >= 0x4E00 && c <= 0x9FA5) || (c >= 0x0800 && c <= 0x4E00) || (c >= 0xAC00 && c <= 0xD7FF);
    };
    std::size_t k = i;
    while (k < end && cjk(t.cps[k]))
        ++k;
    return k - i;
}

struct Variant {
    std::vector<std::string_view> names;
    std::vector<PreTokenizer::Matcher> passes;
};

const std::vector<Variant> &variants()
{
    static const std::vector<Variant> list = {
        { { "default" }, { matchPunctuationRun<false>, matchGpt2, matchNumbers, matchThreeDigits } },
        { { "gpt-2", "mpt", "olmo", "jais", "phi-2", "jina-es", "jina-de" }, { matchGpt2 } },
        { { "llama3", "llama-v3", "llama-bpe", "falcon3", "dbrx", "smaug-bpe" }, { matchLlama3<3> } },
        { { "qwen2", "stablelm2", "deepseek-r1-qwen", "hunyuan" }, { matchLlama3<1> } },
        { { "starcoder", "refact", "command-r", "smollm", "codeshell", "exaone" }, { matchOneNumber, matchGpt2 } },
        { { "falcon" }, { matchPunctuationRun<true>, matchGpt2, matchThreeDigits } },
        { { "deepseek-coder" },
            { matchNewline, matchSpaceThen<u::Letter>, matchSpaceThen<u::Punctuation>, matchCjk, matchOneNumber } },
    };
    return list;
}

} // namespace

std::optional<PreTokenizer> PreTokenizer::forName(std::string_view pre)
{
    if (pre.empty())
        pre = "default";
    for (const Variant &v : variants()) {
        for (std::string_view name : v.names) {
            if (!name.empty() && name == pre) {
                PreTokenizer p;
                p.m_passes = v.passes;
                return p;
            }
        }
    }
    return std::nullopt;
}

void PreTokenizer::split(std::string_view text, std::vector<Piece> &out) const
{
    Text t;
    std::vector<std::size_t> byteOffsets;
    t.cps.reserve(text.size());
    t.flags.reserve(text.size());
    byteOffsets.reserve(text.size() + 1);
    for (std::size_t pos = 0; pos < text.size();) {
        const u::Decoded d = u::decodeUtf8(text, pos);
        t.cps.push_back(d.cp);
        t.flags.push_back(u::flags(d.cp));
        byteOffsets.push_back(pos);
        pos += static_cast<std::size_t>(d.length);
    }
    byteOffsets.push_back(text.size());
    if (t.cps.empty())
        return;

    using Range = std::pair<std::size_t, std::size_t>;
    std::vector<Range> chunks { { 0, t.cps.size() } };
    std::vector<Range> next;
    for (Matcher match : m_passes) {
        next.clear();
        next.reserve(chunks.size() * 2);
        for (const auto &[begin, end] : chunks) {
            std::size_t gap = begin;
            for (std::size_t pos = begin; pos < end;) {
                const std::size_t n = match(t, pos, end);
                if (n == 0) {
                    ++pos;
                    continue;
                }
                if (pos > gap)
                    next.emplace_back(gap, pos);
                next.emplace_back(pos, pos + n);
                pos += n;
                gap = pos;
            }
            if (gap < end)
                next.emplace_back(gap, end);
        }
        chunks.swap(next);
    }
    out.reserve(out.size() + chunks.size());
    for (const auto &[begin, end] : chunks)
        out.push_back({ byteOffsets[begin], byteOffsets[end] - byteOffsets[begin] });
}

} // namespace quire::inference
