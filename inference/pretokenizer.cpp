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

// DeepSeek LLM's letter class: its tokenizer.json spells out these ranges (cased letters of a few
// scripts) instead of \p{L}.
constexpr std::pair<char32_t, char32_t> DeepseekLetterRanges[] = {
    { 0x41, 0x5A },
    { 0x61, 0x7A },
    { 0xB5, 0xB5 },
    { 0xC0, 0xD6 },
    { 0xD8, 0xF6 },
    { 0xF8, 0x1BA },
    { 0x1BC, 0x1BF },
    { 0x1C4, 0x293 },
    { 0x295, 0x2AF },
    { 0x370, 0x373 },
    { 0x376, 0x377 },
    { 0x37B, 0x37D },
    { 0x37F, 0x37F },
    { 0x386, 0x386 },
    { 0x388, 0x38A },
    { 0x38C, 0x38C },
    { 0x38E, 0x3A1 },
    { 0x3A3, 0x3F5 },
    { 0x3F7, 0x481 },
    { 0x48A, 0x52F },
    { 0x531, 0x556 },
    { 0x10A0, 0x10C5 },
    { 0x13A0, 0x13F5 },
    { 0x13F8, 0x13FD },
    { 0x1C90, 0x1CBA },
    { 0x1CBD, 0x1CBF },
    { 0x1D00, 0x1D2B },
    { 0x1D6B, 0x1D77 },
    { 0x1D79, 0x1D9A },
    { 0x1E00, 0x1F15 },
    { 0x1F18, 0x1F1D },
    { 0x1F20, 0x1F45 },
    { 0x1F48, 0x1F4D },
    { 0x1F50, 0x1F57 },
    { 0x1F59, 0x1F59 },
    { 0x1F5B, 0x1F5B },
    { 0x1F5D, 0x1F5D },
    { 0x1F5F, 0x1F7D },
    { 0x1F80, 0x1FB4 },
    { 0x1FB6, 0x1FBC },
    { 0x1FBE, 0x1FBE },
    { 0x1FC2, 0x1FC4 },
    { 0x1FC6, 0x1FCC },
    { 0x1FD0, 0x1FD3 },
    { 0x1FD6, 0x1FDB },
    { 0x1FE0, 0x1FEC },
    { 0x1FF2, 0x1FF4 },
    { 0x1FF6, 0x1FFC },
    { 0x2102, 0x2102 },
    { 0x2107, 0x2107 },
    { 0x210A, 0x2113 },
    { 0x2115, 0x2115 },
    { 0x2119, 0x211D },
    { 0x2124, 0x2124 },
    { 0x2126, 0x2126 },
    { 0x2128, 0x2128 },
    { 0x212A, 0x212D },
    { 0x212F, 0x2134 },
    { 0x2139, 0x2139 },
    { 0x213C, 0x213F },
    { 0x2145, 0x2149 },
    { 0x214E, 0x214E },
    { 0x2183, 0x2184 },
    { 0x2C00, 0x2C7B },
    { 0x2C7E, 0x2CE4 },
    { 0x2CEB, 0x2CEE },
    { 0x2CF2, 0x2CF3 },
    { 0xA640, 0xA66D },
    { 0xA680, 0xA69B },
    { 0xA722, 0xA76F },
    { 0xA771, 0xA787 },
    { 0xA78B, 0xA78E },
    { 0xAB70, 0xABBF },
    { 0xFB00, 0xFB06 },
    { 0xFB13, 0xFB17 },
    { 0xFF21, 0xFF3A },
    { 0xFF41, 0xFF5A },
    { 0x10400, 0x1044F },
    { 0x104B0, 0x104D3 },
    { 0x104D8, 0x104FB },
    { 0x10C80, 0x10CB2 },
    { 0x10CC0, 0x10CF2 },
    { 0x118A0, 0x118DF },
    { 0x1E900, 0x1E943 },
};

bool isDeepseekLetter(char32_t c)
{
    for (const auto &[lo, hi] : DeepseekLetterRanges) {
        if (c < lo)
            return false;
        if (c <= hi)
            return true;
    }
    return false;
}

// [!-/:-~！-／：-～‘-‟　-。]
bool isDeepseekPunctuation(char32_t c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '~') || (c >= 0xFF01 && c <= 0xFF0F)
        || (c >= 0xFF1A && c <= 0xFF5E) || (c >= 0x2018 && c <= 0x201F) || (c >= 0x3000 && c <= 0x3002);
}

// \s?[class]+
template <bool (*inClass)(char32_t)> std::size_t matchSpaceThenClass(const Text &t, std::size_t i, std::size_t end)
{
    const std::size_t j = (has(t, i, u::Whitespace) && i + 1 < end && inClass(t.cps[i + 1])) ? i + 1 : i;
    std::size_t k = j;
    while (k < end && inClass(t.cps[k]))
        ++k;
    return k > j ? k - i : 0;
}

// \s+$ (the end of the piece being split)
std::size_t matchTrailingSpaces(const Text &t, std::size_t i, std::size_t end)
{
    const std::size_t k = runOf(t, i, end, u::Whitespace);
    return k == end ? k - i : 0;
}

struct Variant {
    std::vector<std::string_view> names;
    std::vector<PreTokenizer::Matcher> passes;
};

const std::vector<Variant> &variants()
{
    static const std::vector<Variant> list = {
        { { "default" }, { matchPunctuationRun<false>, matchGpt2, matchNumbers, matchThreeDigits } },
        { { "gpt-2",
              "mpt",
              "olmo",
              "jais",
              "phi-2",
              "jina-es",
              "jina-de",
              "gigachat",
              "jina-v2-es",
              "jina-v2-de",
              "a.x-4.0",
              "mellum",
              "exaone4",
              "trillion",
              "granite-docling" },
            { matchGpt2 } },
        { { "llama3",
              "llama-v3",
              "llama-bpe",
              "falcon3",
              "falcon-h1",
              "pixtral",
              "midm-2.0",
              "lfm2",
              "dbrx",
              "smaug-bpe" },
            { matchLlama3<3> } },
        { { "qwen2", "deepseek-r1-qwen", "kormo", "stablelm2", "hunyuan", "megrez" }, { matchLlama3<1> } },
        { { "starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b" },
            { matchOneNumber, matchGpt2 } },
        { { "falcon" }, { matchPunctuationRun<true>, matchGpt2, matchThreeDigits } },
        { { "deepseek-coder" },
            { matchNewline, matchSpaceThen<u::Letter>, matchSpaceThen<u::Punctuation>, matchCjk, matchOneNumber } },
        { { "deepseek-llm" },
            { matchNewline,
                matchSpaceThenClass<isDeepseekLetter>,
                matchSpaceThenClass<isDeepseekPunctuation>,
                matchTrailingSpaces,
                matchCjk,
                matchNumbers } },
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
