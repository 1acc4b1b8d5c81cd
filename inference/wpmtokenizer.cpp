#include "tokenizermodels.h"
#include "tokenizerunicode.h"
#include "vocab.h"

#include <algorithm>

namespace quire::inference
{

namespace
{

namespace u = unicode;

bool isChineseChar(char32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

// BERT's basic tokenizer: NFD, lower case, drop controls and accents, split on whitespace; punctuation, ASCII
// symbols and CJK ideographs are words of their own.
std::vector<std::string> basicWords(std::string_view text)
{
    std::vector<std::string> words(1);
    auto finishWord = [&] {
        if (!words.back().empty())
            words.emplace_back();
    };
    for (const char32_t cp : u::nfd(text)) {
        const std::uint8_t f = u::flags(cp);
        if (f & u::Whitespace) {
            finishWord();
            continue;
        }
        if (cp == 0 || cp == 0xFFFD || (f & (u::Control | u::Mark)))
            continue; // accents go too: an uncased BERT vocabulary has none
        std::string s;
        u::appendUtf8(s, u::toLower(cp));
        if ((f & u::Punctuation) || (cp < 0x7F && (f & u::Symbol)) || isChineseChar(cp)) {
            finishWord();
            words.back() = std::move(s);
            words.emplace_back();
        } else {
            words.back() += s;
        }
    }
    if (words.back().empty())
        words.pop_back();
    return words;
}

} // namespace

WordPieceModel::WordPieceModel(const Vocab &vocab)
    : m_vocab(vocab)
{
    for (std::int32_t id = 0; id < vocab.size(); ++id)
        m_maxTokenLength = std::max(m_maxTokenLength, vocab.token(id).text.size());
}

void WordPieceModel::encode(std::string_view text, std::vector<std::int32_t> &out) const
{
    std::vector<std::int32_t> pieces;
    for (const std::string &word : basicWords(text)) {
        // Word-initial entries carry the "▁" marker; continuations ("##ing" in BERT) are stored bare.
        const std::string marked = "\xE2\x96\x81" + word;
        pieces.clear();
        bool unknown = false;
        for (std::size_t i = 0; i < marked.size() && !unknown;) {
            std::size_t j = std::min(marked.size(), i + m_maxTokenLength);
            for (; j > i; --j) {
                if (const auto id = m_vocab.find(std::string_view(marked).substr(i, j - i))) {
                    pieces.push_back(*id);
                    break;
                }
            }
            unknown = (j == i);
            i = j;
        }
        if (unknown) {
            if (m_vocab.specials().unk >= 0)
                out.push_back(m_vocab.specials().unk);
        } else {
            out.insert(out.end(), pieces.begin(), pieces.end());
        }
    }
}

} // namespace quire::inference
