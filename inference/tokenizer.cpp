#include "tokenizer.h"

#include "gguffile.h"
#include "pretokenizer.h"
#include "tokenizerimpl.h"
#include "tokenizermodels.h"
#include "tokenizerunicode.h"
#include "vocab.h"

#include <algorithm>
#include <bitset>
#include <cctype>
#include <optional>

namespace quire::inference
{

namespace
{

constexpr std::string_view SpaceMarker = "\xE2\x96\x81"; // "▁", SentencePiece's space

// Which bytes and byte pairs occur in a text: most special tokens are ruled out without a search.
class BytePairSet
{
public:
    explicit BytePairSet(std::string_view text)
    {
        for (std::size_t i = 0; i < text.size(); ++i) {
            const auto b = static_cast<unsigned char>(text[i]);
            m_bytes.set(b);
            if (i + 1 < text.size())
                m_pairs.set((std::size_t { b } << 8) | static_cast<unsigned char>(text[i + 1]));
        }
    }
    bool mayContain(std::string_view s) const
    {
        const auto b = static_cast<unsigned char>(s[0]);
        return s.size() == 1 ? m_bytes.test(b)
                             : m_pairs.test((std::size_t { b } << 8) | static_cast<unsigned char>(s[1]));
    }

private:
    std::bitset<256> m_bytes;
    std::bitset<65536> m_pairs;
};

bool isAsciiSpace(char c)
{
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string replaceAll(std::string_view text, std::string_view from, std::string_view to)
{
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    for (std::size_t pos = 0;;) {
        const std::size_t hit = text.find(from, pos);
        out.append(text.substr(pos, hit == std::string_view::npos ? std::string_view::npos : hit - pos));
        if (hit == std::string_view::npos)
            return out;
        out.append(to);
        pos = hit + from.size();
    }
}

} // namespace

std::string Tokenizer::Impl::computePiece(std::int32_t id) const
{
    const VocabToken &token = vocab.token(id);
    switch (token.type) {
    case TokenType::Control:
    case TokenType::Unknown:
    case TokenType::UserDefined:
        return token.text;
    case TokenType::Normal:
        break;
    case TokenType::Byte:
        if (vocab.kind() == TokenizerKind::Spm && token.text.size() == 6 && token.text.starts_with("<0x"))
            return std::string(1, static_cast<char>(std::stoi(token.text.substr(3, 2), nullptr, 16)));
        return {};
    default:
        return {};
    }
    if (vocab.kind() != TokenizerKind::Bpe)
        return replaceAll(token.text, SpaceMarker, " ");
    std::string bytes;
    for (std::size_t pos = 0; pos < token.text.size();) {
        const unicode::Decoded d = unicode::decodeUtf8(token.text, pos);
        const int byte = unicode::unicodeToByte(d.cp);
        if (byte >= 0)
            bytes += static_cast<char>(byte);
        else
            bytes.append(token.text, pos, static_cast<std::size_t>(d.length));
        pos += static_cast<std::size_t>(d.length);
    }
    return bytes;
}

// Splits the text at the special tokens it spells, longest token first, as llama.cpp does. Without
// parseSpecial only user-defined tokens are matched (llama.cpp matches those always).
void Tokenizer::Impl::partition(std::string_view text, bool parseSpecial, std::vector<Fragment> &fragments) const
{
    fragments.assign(1, Fragment { -1, 0, text.size() });
    std::vector<Fragment> next;
    // Vocabs with hundreds of special tokens (DeepSeek, Gemma) would search the text for each.
    std::optional<BytePairSet> present;
    if (vocab.specialTokens().size() > 8)
        present.emplace(text);
    for (const std::int32_t id : vocab.specialTokens()) {
        const VocabToken &token = vocab.token(id);
        if (!parseSpecial && token.type != TokenType::UserDefined)
            continue;
        const std::string_view s = token.text;
        if ((present && !present->mayContain(s)) || text.find(s) == std::string_view::npos)
            continue;
        next.clear();
        for (const Fragment &f : fragments) {
            if (f.token >= 0) {
                next.push_back(f);
                continue;
            }
            std::size_t pos = f.offset;
            const std::size_t end = f.offset + f.length;
            for (;;) {
                const std::size_t hit = text.substr(0, end).find(s, pos);
                if (hit == std::string_view::npos)
                    break;
                std::size_t leftEnd = hit;
                while (token.lstrip && leftEnd > pos && isAsciiSpace(text[leftEnd - 1]))
                    --leftEnd;
                if (leftEnd > pos)
                    next.push_back({ -1, pos, leftEnd - pos });
                next.push_back({ id, hit, s.size() });
                pos = hit + s.size();
                while (token.rstrip && pos < end && isAsciiSpace(text[pos]))
                    ++pos;
            }
            if (pos < end)
                next.push_back({ -1, pos, end - pos });
        }
        fragments.swap(next);
    }
}

void Tokenizer::Impl::encodeSpm(
    std::string_view text, const std::vector<Fragment> &fragments, std::vector<std::int32_t> &out) const
{
    // Each run of text after a special token (or at the start) gets the leading space marker.
    bool afterSpecial = true;
    for (const Fragment &f : fragments) {
        if (f.token >= 0) {
            out.push_back(f.token);
            afterSpecial = true;
            continue;
        }
        std::string raw;
        if (vocab.specials().addSpacePrefix && afterSpecial)
            raw = " ";
        raw.append(text.substr(f.offset, f.length));
        spm->encode(replaceAll(raw, " ", SpaceMarker), out);
        afterSpecial = false;
    }
}

void Tokenizer::Impl::encodeBpe(
    std::string_view text, const std::vector<Fragment> &fragments, std::vector<std::int32_t> &out) const
{
    std::vector<PreTokenizer::Piece> pieces;
    PieceCache cache;
    auto merge = [this](std::string_view word, std::vector<std::int32_t> &ids) { bpe->encodeWord(word, ids); };
    auto encodeWord = [&](std::string_view word, std::vector<std::int32_t> &ids) { words.append(word, ids, merge); };
    for (const Fragment &f : fragments) {
        if (f.token >= 0) {
            out.push_back(f.token);
            continue;
        }
        const std::string_view raw = text.substr(f.offset, f.length);
        pieces.clear();
        pre->split(raw, pieces);
        for (const PreTokenizer::Piece &w : pieces)
            cache.append(raw.substr(w.offset, w.length), out, encodeWord);
    }
}

Tokenizer::Tokenizer() = default;
Tokenizer::~Tokenizer() = default;

Expected<std::unique_ptr<Tokenizer>> Tokenizer::fromGguf(const GgufFile &file)
{
    auto vocab = Vocab::fromGguf(file);
    if (!vocab)
        return std::unexpected(vocab.error());
    return fromVocab(std::move(*vocab));
}

Expected<std::unique_ptr<Tokenizer>> Tokenizer::fromVocab(Vocab vocab)
{
    if (auto indexed = vocab.index(); !indexed)
        return std::unexpected(indexed.error());
    std::unique_ptr<Tokenizer> t(new Tokenizer);
    t->d = std::make_unique<Impl>(std::move(vocab));
    Impl &d = *t->d;
    switch (d.vocab.kind()) {
    case TokenizerKind::Spm:
        d.spm.emplace(d.vocab, d.words);
        break;
    case TokenizerKind::Bpe: {
        d.pre = PreTokenizer::forName(d.vocab.pre());
        if (!d.pre)
            return fail(Error::Code::Unsupported, "pre-tokenizer \"" + d.vocab.pre() + "\" is not supported");
        auto model = BpeModel::build(d.vocab);
        if (!model)
            return std::unexpected(model.error());
        d.bpe.emplace(std::move(*model));
        break;
    }
    case TokenizerKind::WordPiece:
        d.wordPiece.emplace(d.vocab);
        break;
    }
    d.pieces.reserve(static_cast<std::size_t>(d.vocab.size()));
    for (std::int32_t id = 0; id < d.vocab.size(); ++id)
        d.pieces.push_back(d.computePiece(id));
    return t;
}

std::vector<std::int32_t> Tokenizer::encode(std::string_view text, bool addSpecial, bool parseSpecial) const
{
    const VocabSpecials &s = d->vocab.specials();
    std::vector<std::int32_t> out;
    out.reserve(text.size() / 3 + 4);
    const bool wordPiece = d->vocab.kind() == TokenizerKind::WordPiece;
    const std::int32_t first = wordPiece && s.cls >= 0 ? s.cls : s.bos;
    if (addSpecial && s.addBos && first >= 0)
        out.push_back(first);
    std::vector<Fragment> fragments;
    if (!text.empty())
        d->partition(text, parseSpecial, fragments);
    switch (d->vocab.kind()) {
    case TokenizerKind::Spm:
        d->encodeSpm(text, fragments, out);
        break;
    case TokenizerKind::Bpe:
        d->encodeBpe(text, fragments, out);
        break;
    case TokenizerKind::WordPiece:
        for (const Fragment &f : fragments) {
            if (f.token >= 0)
                out.push_back(f.token);
            else
                d->wordPiece->encode(text.substr(f.offset, f.length), out);
        }
        break;
    }
    if (addSpecial && s.addEos && s.eos >= 0)
        out.push_back(s.eos);
    if (addSpecial && wordPiece && s.addSep && s.sep >= 0)
        out.push_back(s.sep);
    return out;
}

std::string Tokenizer::tokenToPiece(std::int32_t id, bool special) const
{
    if (!d->vocab.contains(id))
        return {};
    const TokenType type = d->vocab.token(id).type;
    if (!special && (type == TokenType::Control || type == TokenType::Unknown))
        return {};
    return d->pieces[static_cast<std::size_t>(id)];
}

TokenizerKind Tokenizer::kind() const
{
    return d->vocab.kind();
}

std::string_view Tokenizer::preTokenizer() const
{
    return d->vocab.pre();
}

std::int32_t Tokenizer::nVocab() const
{
    return d->vocab.size();
}

std::int32_t Tokenizer::bos() const
{
    return d->vocab.specials().bos;
}

std::int32_t Tokenizer::eos() const
{
    return d->vocab.specials().eos;
}

std::int32_t Tokenizer::eot() const
{
    return d->vocab.specials().eot;
}

std::int32_t Tokenizer::unk() const
{
    return d->vocab.specials().unk;
}

std::int32_t Tokenizer::pad() const
{
    return d->vocab.specials().pad;
}

std::int32_t Tokenizer::sep() const
{
    return d->vocab.specials().sep;
}

std::int32_t Tokenizer::newline() const
{
    return d->vocab.specials().newline;
}

bool Tokenizer::addsBos() const
{
    return d->vocab.specials().addBos;
}

bool Tokenizer::addsEos() const
{
    return d->vocab.specials().addEos;
}

bool Tokenizer::isEog(std::int32_t id) const
{
    const auto &eog = d->vocab.specials().eog;
    return id >= 0 && std::find(eog.begin(), eog.end(), id) != eog.end();
}

bool Tokenizer::isControl(std::int32_t id) const
{
    return d->vocab.contains(id) && d->vocab.token(id).type == TokenType::Control;
}

std::string_view Tokenizer::tokenText(std::int32_t id) const
{
    return d->vocab.contains(id) ? std::string_view(d->vocab.token(id).text) : std::string_view();
}

std::optional<std::int32_t> Tokenizer::tokenId(std::string_view text) const
{
    return d->vocab.find(text);
}

const Vocab &Tokenizer::vocab() const
{
    return d->vocab;
}

} // namespace quire::inference
