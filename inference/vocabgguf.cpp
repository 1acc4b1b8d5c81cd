// Vocab::fromGguf: reads the `tokenizer.*` metadata keys, with llama.cpp's defaults for missing ones.

#include "gguffile.h"
#include "pretokenizer.h"
#include "tokenizerunicode.h"
#include "vocab.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace quire::inference
{

namespace
{

Expected<TokenizerKind> kindFromModel(std::string_view model)
{
    if (model == "llama")
        return TokenizerKind::Spm;
    if (model == "gpt2")
        return TokenizerKind::Bpe;
    if (model == "bert")
        return TokenizerKind::WordPiece;
    if (model == "no" || model == "none")
        return fail(Error::Code::Unsupported, "the model has no tokenizer (tokenizer.ggml.model = \"none\")");
    return fail(Error::Code::Unsupported,
        "tokenizer \"" + std::string(model)
            + "\" is not supported: Quire reads SentencePiece (\"llama\"), byte-level BPE (\"gpt2\") "
              "and WordPiece (\"bert\") vocabularies");
}

bool isOneOf(std::string_view s, std::initializer_list<std::string_view> list)
{
    return std::find(list.begin(), list.end(), s) != list.end();
}

// What llama.cpp assumes before it reads the optional keys.
void setDefaults(TokenizerKind kind, std::string_view pre, VocabSpecials &s)
{
    switch (kind) {
    case TokenizerKind::Spm:
        s.bos = 1;
        s.eos = 2;
        s.unk = 0;
        s.addBos = true;
        s.addSpacePrefix = true;
        break;
    case TokenizerKind::Bpe:
        s.bos = 11;
        s.eos = 11;
        s.cleanSpaces = true;
        if (isOneOf(
                pre, { "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2" })) {
            s.ignoreMerges = true;
            s.addBos = true;
        }
        if (isOneOf(pre,
                { "qwen2",
                    "deepseek-r1-qwen",
                    "kormo",
                    "deepseek-llm",
                    "deepseek-coder",
                    "command-r",
                    "smollm",
                    "hunyuan",
                    "trillion",
                    "granite-docling" }))
            s.cleanSpaces = false;
        break;
    case TokenizerKind::WordPiece:
        s.bos = 101;
        s.cls = 101;
        s.unk = 100;
        s.sep = 102;
        s.pad = 0;
        s.mask = 103;
        s.addBos = true;
        s.addSep = true;
        s.cleanSpaces = true;
        break;
    }
}

// An id outside the vocabulary keeps the default, as llama.cpp does.
void readSpecials(const GgufFile &file, std::size_t nTokens, VocabSpecials &s)
{
    const std::array<std::pair<std::string_view, std::int32_t *>, 9> ids { {
        { "tokenizer.ggml.bos_token_id", &s.bos },
        { "tokenizer.ggml.eos_token_id", &s.eos },
        { "tokenizer.ggml.eot_token_id", &s.eot },
        { "tokenizer.ggml.eom_token_id", &s.eom },
        { "tokenizer.ggml.unknown_token_id", &s.unk },
        { "tokenizer.ggml.padding_token_id", &s.pad },
        { "tokenizer.ggml.separator_token_id", &s.sep },
        { "tokenizer.ggml.cls_token_id", &s.cls },
        { "tokenizer.ggml.mask_token_id", &s.mask },
    } };
    for (const auto &[key, target] : ids) {
        const auto v = file.getInt(key);
        if (v && *v >= 0 && static_cast<std::uint64_t>(*v) < nTokens)
            *target = static_cast<std::int32_t>(*v);
    }
    const std::array<std::pair<std::string_view, bool *>, 4> flags { {
        { "tokenizer.ggml.add_bos_token", &s.addBos },
        { "tokenizer.ggml.add_eos_token", &s.addEos },
        { "tokenizer.ggml.add_sep_token", &s.addSep },
        { "tokenizer.ggml.add_space_prefix", &s.addSpacePrefix },
    } };
    for (const auto &[key, target] : flags) {
        if (const auto v = file.getBool(key))
            *target = *v;
    }
}

Expected<std::vector<VocabToken>> readTokens(const GgufFile &file)
{
    const auto texts = file.getStringArray("tokenizer.ggml.tokens");
    if (!texts || texts->empty())
        return fail(Error::Code::Corrupt, "the GGUF file has no tokenizer vocabulary (tokenizer.ggml.tokens)");
    const std::size_t n = texts->size();
    std::vector<float> scores;
    if (file.has("tokenizer.ggml.scores")) {
        scores = file.getFloatArray("tokenizer.ggml.scores").value_or(std::vector<float> {});
        if (scores.size() != n)
            return fail(Error::Code::Corrupt, "tokenizer.ggml.scores has not one score per token");
    }
    std::vector<std::int64_t> types;
    if (file.has("tokenizer.ggml.token_type")) {
        types = file.getIntArray("tokenizer.ggml.token_type").value_or(std::vector<std::int64_t> {});
        if (types.size() != n)
            return fail(Error::Code::Corrupt, "tokenizer.ggml.token_type has not one type per token");
    }
    std::vector<VocabToken> tokens(n);
    for (std::size_t i = 0; i < n; ++i) {
        tokens[i].text = (*texts)[i].empty() ? "[EMPTY_" + std::to_string(i) + "]" : std::string((*texts)[i]);
        tokens[i].score = scores.empty() ? 0.0f : scores[i];
        const std::int64_t type = types.empty() ? 1 : types[i];
        tokens[i].type = (type >= 0 && type <= 6) ? static_cast<TokenType>(type) : TokenType::Undefined;
    }
    return tokens;
}

// The id of the first token whose text is one of `texts`, or -1.
std::int32_t findByText(const std::vector<VocabToken> &tokens, std::initializer_list<std::string_view> texts)
{
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (std::find(texts.begin(), texts.end(), tokens[i].text) != texts.end())
            return static_cast<std::int32_t>(i);
    }
    return -1;
}

// Like llama.cpp: EOT, EOM and the fill-in-the-middle pad/repo/separator tokens are found by their text
// when the metadata does not name them; they and every chat-turn terminator end generation and are
// control tokens, whatever their stored type.
void detectEndTokens(const GgufFile &file, std::vector<VocabToken> &tokens, VocabSpecials &s)
{
    auto keyOr = [&](std::string_view key, std::initializer_list<std::string_view> texts) {
        const auto v = file.getInt(key);
        if (v && *v >= 0 && static_cast<std::uint64_t>(*v) < tokens.size())
            return static_cast<std::int32_t>(*v);
        return findByText(tokens, texts);
    };
    const std::string_view deepseekEnd = "<\xEF\xBD\x9C"
                                         "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>";
    if (s.eot < 0)
        s.eot = findByText(tokens,
            { "<|eot_id|>",
                "<|im_end|>",
                "<|end|>",
                "<end_of_turn>",
                "<|endoftext|>",
                "<|end_of_text|>",
                "<EOT>",
                "_<EOT>",
                deepseekEnd,
                "<end_of_utterance>" });
    if (s.eom < 0)
        s.eom = findByText(tokens, { "<|eom_id|>" });
    std::vector<std::int32_t> eog = {
        keyOr("tokenizer.ggml.fim_pad_token_id", { "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>" }),
        keyOr("tokenizer.ggml.fim_rep_token_id",
            { "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>" }),
        keyOr("tokenizer.ggml.fim_sep_token_id", { "<|file_sep|>" }),
    };
    static constexpr std::array<std::string_view, 12> enders = { "<|eot_id|>",
        "<|im_end|>",
        "<|end|>",
        "<|return|>",
        "<|call|>",
        "<end_of_turn>",
        "<|endoftext|>",
        "<|eom_id|>",
        "<EOT>",
        "_<EOT>",
        "<|end_of_text|>",
        "<end_of_utterance>" };
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (std::find(enders.begin(), enders.end(), tokens[i].text) != enders.end())
            eog.push_back(static_cast<std::int32_t>(i));
    }
    eog.insert(eog.end(), { s.eos, s.eot, s.eom });
    s.eog.clear();
    for (const std::int32_t id : eog) {
        const bool known = id >= 0 && static_cast<std::size_t>(id) < tokens.size();
        if (known && std::find(s.eog.begin(), s.eog.end(), id) == s.eog.end())
            s.eog.push_back(id);
    }
    for (const std::int32_t id : s.eog) {
        if (id != s.eos && tokens[static_cast<std::size_t>(id)].type != TokenType::Control)
            tokens[static_cast<std::size_t>(id)].type = TokenType::Control;
    }
}

// Per-model quirks llama.cpp applies by name (the GGUF has no per-token attributes).
void applyModelQuirks(const GgufFile &file, std::vector<VocabToken> &tokens, VocabSpecials &s)
{
    // gpt-oss (harmony): these are always shown, and "<|end|>" does not end generation.
    for (VocabToken &t : tokens) {
        if (t.text == "<|channel|>" || t.text == "<|message|>" || t.text == "<|start|>" || t.text == "<|constrain|>")
            t.type = TokenType::UserDefined;
    }
    auto isEogText = [&](std::string_view text) {
        return std::any_of(s.eog.begin(), s.eog.end(), [&](std::int32_t id) {
            return tokens[static_cast<std::size_t>(id)].text == text;
        });
    };
    if (isEogText("<|return|>") && isEogText("<|call|>") && isEogText("<|end|>")) {
        const std::int32_t end = findByText(tokens, { "<|end|>" });
        std::erase(s.eog, end);
        tokens[static_cast<std::size_t>(end)].type = TokenType::UserDefined;
    }
    std::string name(file.getString("general.name").value_or(""));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    const std::string_view pre = file.getString("tokenizer.ggml.pre").value_or("");
    const std::string_view arch = file.getString("general.architecture").value_or("");
    if (pre.find("jina-v2-") != std::string_view::npos || arch == "nomic-bert-moe" || arch == "jina-bert-v3") {
        if (const std::int32_t mask = findByText(tokens, { "<mask>" }); mask >= 0)
            tokens[static_cast<std::size_t>(mask)].lstrip = true;
    } else if (name.find("phi-3") != std::string::npos || name.find("phi3") != std::string::npos) {
        for (VocabToken &t : tokens) {
            const bool special
                = t.type == TokenType::Control || t.type == TokenType::UserDefined || t.type == TokenType::Unknown;
            t.rstrip
                = (special || t.text == "</s>") && !(t.text == "<unk>" || t.text == "<s>" || t.text == "<|endoftext|>");
        }
    }
}

} // namespace

Expected<Vocab> Vocab::fromGguf(const GgufFile &file)
{
    const auto model = file.getString("tokenizer.ggml.model");
    if (!model)
        return fail(Error::Code::Corrupt, "the GGUF file names no tokenizer (tokenizer.ggml.model is missing)");
    auto kind = kindFromModel(*model);
    if (!kind)
        return std::unexpected(kind.error());
    std::string pre(file.getString("tokenizer.ggml.pre").value_or("default"));
    if (*kind == TokenizerKind::Bpe && !PreTokenizer::forName(pre))
        return fail(Error::Code::Unsupported, "pre-tokenizer \"" + pre + "\" (tokenizer.ggml.pre) is not supported");

    auto tokens = readTokens(file);
    if (!tokens)
        return std::unexpected(tokens.error());
    std::vector<std::string> merges;
    if (*kind == TokenizerKind::Bpe) {
        const auto list = file.getStringArray("tokenizer.ggml.merges");
        if (!list)
            return fail(Error::Code::Corrupt, "the BPE vocabulary has no merges (tokenizer.ggml.merges)");
        merges.assign(list->begin(), list->end());
    }

    Vocab vocab(*kind, pre, std::move(*tokens), std::move(merges));
    VocabSpecials &s = vocab.m_specials;
    setDefaults(*kind, pre, s);
    readSpecials(file, vocab.m_tokens.size(), s);
    detectEndTokens(file, vocab.m_tokens, s);
    applyModelQuirks(file, vocab.m_tokens, s);
    if (auto indexed = vocab.index(); !indexed)
        return std::unexpected(indexed.error());
    const std::string newline
        = *kind == TokenizerKind::Spm ? std::string("<0x0A>") : std::string(unicode::byteToUnicode('\n'));
    s.newline = vocab.find(newline).value_or(vocab.find("\n").value_or(-1));
    return vocab;
}

} // namespace quire::inference
