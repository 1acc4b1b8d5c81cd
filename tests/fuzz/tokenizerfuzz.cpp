// libFuzzer target: any bytes through the tokenizers (SentencePiece from the llama-spm vocab in
// tests/data/vocab, byte-level BPE with every pre-tokenizer on a small hand-built vocab) must encode and
// decode without undefined behaviour; ids stay in range, pre-tokenizer pieces tile the text, and
// byte-level BPE gives the text back exactly.

#include "inference/gguffile.h"
#include "inference/pretokenizer.h"
#include "inference/tokenizer.h"
#include "inference/tokenizerunicode.h"
#include "inference/vocab.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace quire::inference;

namespace
{

const char *const PreNames[]
    = { "default", "gpt-2", "llama-bpe", "qwen2", "starcoder", "falcon", "deepseek-coder", "deepseek-llm" };
constexpr std::size_t PreCount = sizeof(PreNames) / sizeof(PreNames[0]);

std::unique_ptr<Tokenizer> byteLevelBpe(const char *pre)
{
    std::vector<VocabToken> tokens;
    for (int b = 0; b < 256; ++b)
        tokens.push_back({ std::string(unicode::byteToUnicode(static_cast<std::uint8_t>(b))), 0, TokenType::Normal });
    std::vector<std::string> merges;
    for (const char *m : { "\xC4\xA0 t", "h e", "\xC4\xA0t he", "i n", "e r", "\xC4\xA0 a", "a n", "o n" }) {
        merges.emplace_back(m);
        std::string merged(m);
        merged.erase(merged.find(' '), 1);
        tokens.push_back({ merged, 0, TokenType::Normal });
    }
    tokens.push_back({ "<|endoftext|>", 0, TokenType::Control });
    tokens.push_back({ "<|im_start|>", 0, TokenType::Control });
    auto t = Tokenizer::fromVocab(Vocab(TokenizerKind::Bpe, pre, std::move(tokens), std::move(merges)));
    if (!t)
        std::abort();
    return std::move(*t);
}

struct Tokenizers {
    std::unique_ptr<GgufFile> spmFile;
    std::unique_ptr<Tokenizer> spm;
    std::vector<std::unique_ptr<Tokenizer>> bpe;

    Tokenizers()
    {
        auto file = GgufFile::open(QUIRE_TEST_DATA "/vocab/ggml-vocab-llama-spm.gguf");
        if (file) {
            spmFile = std::move(*file);
            if (auto t = Tokenizer::fromGguf(*spmFile))
                spm = std::move(*t);
        }
        for (const char *pre : PreNames)
            bpe.push_back(byteLevelBpe(pre));
    }
};

void checkIds(const Tokenizer &t, const std::vector<std::int32_t> &ids)
{
    for (std::int32_t id : ids) {
        if (id < 0 || id >= t.nVocab())
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const Tokenizers tokenizers;
    if (size == 0)
        return 0;
    const std::uint8_t selector = data[0];
    const std::string_view text(reinterpret_cast<const char *>(data + 1), size - 1);
    const bool addSpecial = selector & 0x10;
    const bool parseSpecial = selector & 0x20;

    if ((selector & 0x0F) >= PreCount) {
        if (!tokenizers.spm)
            return 0;
        const auto ids = tokenizers.spm->encode(text, addSpecial, parseSpecial);
        checkIds(*tokenizers.spm, ids);
        (void)tokenizers.spm->decode(ids, addSpecial, parseSpecial);
        return 0;
    }
    const std::size_t variant = selector & 0x0F;
    const auto pre = PreTokenizer::forName(PreNames[variant]);
    std::vector<PreTokenizer::Piece> pieces;
    pre->split(text, pieces);
    std::size_t next = 0;
    for (const PreTokenizer::Piece &p : pieces) {
        if (p.offset != next || p.length == 0)
            std::abort();
        next += p.length;
    }
    if (next != text.size())
        std::abort();
    const Tokenizer &t = *tokenizers.bpe[variant];
    const auto ids = t.encode(text, addSpecial, parseSpecial);
    checkIds(t, ids);
    const std::string back = t.decode(ids, false, true);
    if (back != text)
        std::abort(); // byte-level BPE loses nothing, special tokens included when shown
    return 0;
}
