// Tokenizer::decode: pieces joined the way llama.cpp detokenises.

#include "tokenizer.h"
#include "tokenizerimpl.h"
#include "vocab.h"

namespace quire::inference
{

namespace
{

bool isOneOf(char c, std::string_view set)
{
    return set.find(c) != std::string_view::npos;
}

// The clean-up of BPE/WordPiece decoding (Hugging Face's clean_up_tokenization_spaces): no space before
// ? ! . ,; " ' " becomes "'"; no space before 's 'm 're 've.
void cleanSpaces(std::string &text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i > 0 && text[i - 1] == ' ' && isOneOf(text[i], "?!.,"))
            out.pop_back();
        out += text[i];
    }
    text.swap(out);
    out.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool lone = i > 0 && i + 1 < text.size() && text[i] == '\'' && text[i - 1] == ' ' && text[i + 1] == ' ';
        if (lone && !out.empty() && out.back() == ' ') {
            out.back() = '\'';
            ++i; // the space after it goes too
            continue;
        }
        out += text[i];
    }
    text.swap(out);
    out.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i > 0 && text[i - 1] == ' ' && text[i] == '\'' && i + 1 < text.size()) {
            const char a = text[i + 1];
            const char b = i + 2 < text.size() ? text[i + 2] : '\0';
            const bool joined = a == 's' || a == 'm' || (a == 'r' && b == 'e') || (a == 'v' && b == 'e');
            if (joined)
                out.pop_back();
        }
        out += text[i];
    }
    text.swap(out);
}

} // namespace

std::string Tokenizer::decode(std::span<const std::int32_t> ids, bool removeSpecial, bool renderSpecial) const
{
    const VocabSpecials &s = vocab().specials();
    // SentencePiece's leading space marker is not part of the text.
    bool removeSpace = s.addSpacePrefix;
    if (removeSpecial && s.addBos && !ids.empty() && ids.front() == s.bos) {
        removeSpace = false;
        ids = ids.subspan(1);
    }
    if (removeSpecial && s.addEos && !ids.empty() && ids.back() == s.eos)
        ids = ids.first(ids.size() - 1);
    std::string text;
    text.reserve(ids.size() * 4);
    for (const std::int32_t id : ids) {
        if (!vocab().contains(id))
            continue;
        const TokenType type = vocab().token(id).type;
        if (!renderSpecial && (type == TokenType::Control || type == TokenType::Unknown)) {
            removeSpace = false;
            continue;
        }
        const std::string_view piece = d->pieces[static_cast<std::size_t>(id)];
        const bool strip = removeSpace && !piece.empty() && piece.front() == ' ';
        text.append(piece.substr(strip ? 1 : 0));
        removeSpace = false;
    }
    if (s.cleanSpaces)
        cleanSpaces(text);
    return text;
}

} // namespace quire::inference
