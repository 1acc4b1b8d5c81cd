#pragma once

// Unicode helpers shared by the tokenizers (internal to quire_inference).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace quire::inference::unicode
{

// Character classes, as the pre-tokenizer regexes name them. A byte that is not valid UTF-8 decodes to
// a code point above 0x10FFFF and has no flag (it counts as "other").
enum CpFlag : std::uint8_t {
    Letter = 1 << 0, // \p{L}
    Number = 1 << 1, // \p{N}
    Punctuation = 1 << 2, // \p{P}
    Symbol = 1 << 3, // \p{S}
    Mark = 1 << 4, // \p{M}
    Whitespace = 1 << 5, // \s (the Unicode White_Space property)
    Control = 1 << 6, // Cc, Cf, Co, Cs
};

inline constexpr char32_t InvalidBase = 0x110000; // InvalidBase + byte: an invalid UTF-8 byte

std::uint8_t flags(char32_t cp);

// Decodes the UTF-8 sequence at text[pos] (pos < text.size()); invalid or truncated sequences give
// InvalidBase + byte and length 1.
struct Decoded {
    char32_t cp;
    int length;
};
Decoded decodeUtf8(std::string_view text, std::size_t pos);
void appendUtf8(std::string &out, char32_t cp);
// The length a UTF-8 lead byte announces (1 for continuation and invalid bytes), as SentencePiece splits.
inline int utf8SequenceLength(unsigned char lead)
{
    if (lead < 0x80 || lead < 0xC0)
        return 1;
    if (lead < 0xE0)
        return 2;
    if (lead < 0xF0)
        return 3;
    return lead < 0xF8 ? 4 : 1;
}

// GPT-2 byte-level BPE: every byte has a printable code point standing for it.
std::string_view byteToUnicode(std::uint8_t byte); // that code point as UTF-8
int unicodeToByte(char32_t cp); // -1 for a code point that stands for no byte

char32_t toLower(char32_t cp);
// Canonical decomposition (NFD) of valid UTF-8 text; invalid bytes are dropped.
std::u32string nfd(std::string_view text);

} // namespace quire::inference::unicode
