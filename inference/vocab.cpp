#include "vocab.h"

#include "flatstringmap.h"
#include "gguffile.h"

#include <algorithm>

namespace quire::inference
{

struct Vocab::Index {
    FlatStringMap<std::int32_t> ids;
};

Vocab::Vocab(TokenizerKind kind, std::string pre, std::vector<VocabToken> tokens, std::vector<std::string> merges)
    : m_kind(kind)
    , m_pre(std::move(pre))
    , m_tokens(std::move(tokens))
    , m_merges(std::move(merges))
{
}

Vocab::Vocab(Vocab &&) noexcept = default;
Vocab &Vocab::operator=(Vocab &&) noexcept = default;
Vocab::~Vocab() = default;

std::optional<std::int32_t> Vocab::find(std::string_view text) const
{
    if (!m_index)
        return std::nullopt;
    const std::int32_t *id = m_index->ids.find(text);
    if (!id)
        return std::nullopt;
    return *id;
}

Expected<void> Vocab::index()
{
    if (m_tokens.empty())
        return fail(Error::Code::Corrupt, "the tokenizer vocabulary is empty");
    if (m_tokens.size() > 0x7FFFFFFF)
        return fail(Error::Code::TooLarge, "the tokenizer vocabulary has more than 2^31 entries");
    auto index = std::make_unique<Index>();
    index->ids.reserve(m_tokens.size());
    for (std::int32_t id = 0; id < size(); ++id)
        index->ids.insertOrAssign(std::string_view(m_tokens[static_cast<std::size_t>(id)].text), id);
    m_index = std::move(index);

    // Special ids out of range are dropped, as llama.cpp does.
    for (std::int32_t *id : { &m_specials.bos,
             &m_specials.eos,
             &m_specials.eot,
             &m_specials.eom,
             &m_specials.unk,
             &m_specials.pad,
             &m_specials.sep,
             &m_specials.cls,
             &m_specials.mask,
             &m_specials.newline }) {
        if (!contains(*id))
            *id = -1;
    }
    std::erase_if(m_specials.eog, [this](std::int32_t id) { return !contains(id); });

    m_specialTokens.clear();
    for (std::int32_t id = 0; id < size(); ++id) {
        const TokenType type = token(id).type;
        if ((type == TokenType::Control || type == TokenType::UserDefined || type == TokenType::Unknown)
            && !token(id).text.empty())
            m_specialTokens.push_back(id);
    }
    std::stable_sort(m_specialTokens.begin(), m_specialTokens.end(), [this](std::int32_t a, std::int32_t b) {
        return token(a).text.size() > token(b).text.size();
    });
    return {};
}

} // namespace quire::inference
