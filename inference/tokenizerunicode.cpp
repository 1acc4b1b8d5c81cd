#include "tokenizerunicode.h"

#include <array>
#include <memory>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <vector>

namespace quire::inference::unicode
{

namespace
{

constexpr char32_t MaxCodePoint = 0x10FFFF;

std::uint8_t computeFlags(char32_t cp)
{
    const auto c = static_cast<UChar32>(cp);
    std::uint8_t f = u_isUWhiteSpace(c) ? Whitespace : 0;
    switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
        return f | Letter;
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
        return f | Number;
    case U_CONNECTOR_PUNCTUATION:
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
        return f | Punctuation;
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL:
    case U_MODIFIER_SYMBOL:
    case U_OTHER_SYMBOL:
        return f | Symbol;
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
        return f | Mark;
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_PRIVATE_USE_CHAR:
    case U_SURROGATE:
        return f | Control;
    default:
        return f;
    }
}

// One byte of flags per code point, computed once from ICU (about 1 MiB, a few milliseconds).
const std::vector<std::uint8_t> &flagTable()
{
    static const std::vector<std::uint8_t> table = [] {
        std::vector<std::uint8_t> t(MaxCodePoint + 1);
        for (char32_t cp = 0; cp <= MaxCodePoint; ++cp)
            t[cp] = computeFlags(cp);
        return t;
    }();
    return table;
}

struct ByteMap {
    std::array<std::string, 256> toUnicode;
    std::array<std::int16_t, 324> toByte {}; // the mapped code points are all below 324
};

const ByteMap &byteMap()
{
    static const ByteMap map = [] {
        ByteMap m;
        m.toByte.fill(-1);
        // Printable Latin-1 bytes stand for themselves; the others take 256, 257, ... in byte order.
        auto printable = [](int b) { return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE; };
        char32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            const char32_t cp = printable(b) ? static_cast<char32_t>(b) : next++;
            appendUtf8(m.toUnicode[static_cast<std::size_t>(b)], cp);
            m.toByte[cp] = static_cast<std::int16_t>(b);
        }
        return m;
    }();
    return map;
}

} // namespace

std::uint8_t flags(char32_t cp)
{
    return cp <= MaxCodePoint ? flagTable()[cp] : 0;
}

Decoded decodeUtf8(std::string_view text, std::size_t pos)
{
    const auto *s = reinterpret_cast<const unsigned char *>(text.data()) + pos;
    const std::size_t left = text.size() - pos;
    const unsigned char c = s[0];
    const Decoded invalid { InvalidBase + c, 1 };
    if (c < 0x80)
        return { c, 1 };
    int n;
    char32_t cp;
    if (c >= 0xC2 && c < 0xE0) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c < 0xF0) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c < 0xF5) {
        n = 4;
        cp = c & 0x07;
    } else {
        return invalid;
    }
    if (left < static_cast<std::size_t>(n))
        return invalid;
    for (int i = 1; i < n; ++i) {
        if ((s[i] & 0xC0) != 0x80)
            return invalid;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static constexpr char32_t minimum[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < minimum[n] || cp > MaxCodePoint || (cp >= 0xD800 && cp <= 0xDFFF))
        return invalid;
    return { cp, n };
}

void appendUtf8(std::string &out, char32_t cp)
{
    if (cp >= InvalidBase) {
        out += static_cast<char>(cp - InvalidBase);
    } else if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::string_view byteToUnicode(std::uint8_t byte)
{
    return byteMap().toUnicode[byte];
}

int unicodeToByte(char32_t cp)
{
    const auto &m = byteMap();
    return cp < m.toByte.size() ? m.toByte[cp] : -1;
}

char32_t toLower(char32_t cp)
{
    return cp <= MaxCodePoint ? static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))) : cp;
}

std::u32string nfd(std::string_view text)
{
    std::u32string result;
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *normalizer = unorm2_getNFDInstance(&status);
    if (U_FAILURE(status))
        return result;
    std::u16string utf16;
    utf16.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const Decoded d = decodeUtf8(text, pos);
        pos += static_cast<std::size_t>(d.length);
        if (d.cp >= InvalidBase)
            continue;
        if (d.cp >= 0x10000) {
            utf16 += static_cast<char16_t>(0xD7C0 + (d.cp >> 10));
            utf16 += static_cast<char16_t>(0xDC00 | (d.cp & 0x3FF));
        } else {
            utf16 += static_cast<char16_t>(d.cp);
        }
    }
    std::u16string normalized(utf16.size() * 3 + 16, u'\0');
    const int32_t n = unorm2_normalize(normalizer,
        utf16.data(),
        static_cast<int32_t>(utf16.size()),
        normalized.data(),
        static_cast<int32_t>(normalized.size()),
        &status);
    if (U_FAILURE(status))
        return result;
    for (int32_t i = 0; i < n; ++i) {
        char32_t c = normalized[static_cast<std::size_t>(i)];
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < n) {
            c = 0x10000 + ((c - 0xD800) << 10) + (normalized[static_cast<std::size_t>(++i)] - 0xDC00);
        }
        result += c;
    }
    return result;
}

} // namespace quire::inference::unicode
