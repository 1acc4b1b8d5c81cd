#include "inference/tokenizer.h"

#include "inference/gguffile.h"
#include "inference/ggufwriter.h"
#include "inference/vocab.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>
#include <map>
#include <memory>
#include <random>
#include <thread>

using namespace quire::inference;

namespace
{

const QString TestData = QStringLiteral(QUIRE_TEST_DATA "/vocab");
const QString Reference = QStringLiteral(QUIRE_SHARED_DIR "/reference");

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::vector<std::int32_t> parseIds(const QByteArray &text)
{
    std::vector<std::int32_t> ids;
    for (const QByteArray &word : text.simplified().split(' ')) {
        if (!word.isEmpty())
            ids.push_back(word.toInt());
    }
    return ids;
}

QString idsToString(const std::vector<std::int32_t> &ids)
{
    QStringList parts;
    for (std::int32_t id : ids)
        parts << QString::number(id);
    return parts.join(u' ');
}

// Whether a byte-level BPE vocab has a normal token for a byte (starcoder and mpt lack 0xF5..0xFF,
// which never occur in UTF-8; llama.cpp drops such bytes too).
bool byteEncodable(const Tokenizer &t, unsigned char byte)
{
    if (t.kind() != TokenizerKind::Bpe)
        return true;
    const std::string one(1, static_cast<char>(byte));
    const auto ids = t.encode(one, false, false);
    return ids.size() == 1 && t.vocab().token(ids[0]).type == TokenType::Normal;
}

// A tokenizer per GGUF path, loaded once; null (with the reason) when the file is absent or fails.
struct Loaded {
    std::unique_ptr<GgufFile> file;
    std::unique_ptr<Tokenizer> tokenizer;
    QString error;
};

const Loaded &loadTokenizer(const QString &path)
{
    static std::map<QString, Loaded> cache;
    auto it = cache.find(path);
    if (it != cache.end())
        return it->second;
    Loaded &l = cache[path];
    if (!QFileInfo::exists(path)) {
        l.error = QStringLiteral("%1 is absent (reference pack not installed)").arg(path);
        return l;
    }
    auto file = GgufFile::open(path.toStdString());
    if (!file) {
        l.error = QString::fromStdString(file.error().message);
        return l;
    }
    l.file = std::move(*file);
    auto tokenizer = Tokenizer::fromGguf(*l.file);
    if (!tokenizer)
        l.error = QString::fromStdString(tokenizer.error().message);
    else
        l.tokenizer = std::move(*tokenizer);
    return l;
}

QString vocabGguf(const QString &name)
{
    const QString local = TestData + QStringLiteral("/ggml-vocab-%1.gguf").arg(name);
    return QFileInfo::exists(local) ? local : Reference + QStringLiteral("/vocab/ggml-vocab-%1.gguf").arg(name);
}

// llama.cpp's test strings: each followed by "\n__ggml_vocab_test__\n".
QList<QByteArray> readVectors(const QString &name, QList<QByteArray> *expected)
{
    const QByteArray inp = readFile(TestData + QStringLiteral("/ggml-vocab-%1.gguf.inp").arg(name));
    QList<QByteArray> inputs;
    const QByteArray sep = "\n__ggml_vocab_test__\n";
    for (qsizetype pos = 0; pos < inp.size();) {
        const qsizetype hit = inp.indexOf(sep, pos);
        if (hit < 0)
            break;
        inputs << inp.mid(pos, hit - pos);
        pos = hit + sep.size();
    }
    *expected = readFile(TestData + QStringLiteral("/ggml-vocab-%1.gguf.out").arg(name)).split('\n');
    return inputs;
}

const QStringList VectorVocabs = { QStringLiteral("llama-spm"),
    QStringLiteral("phi-3"),
    QStringLiteral("bert-bge"),
    QStringLiteral("gpt-2"),
    QStringLiteral("deepseek-coder"),
    QStringLiteral("starcoder"),
    QStringLiteral("refact"),
    QStringLiteral("mpt"),
    QStringLiteral("deepseek-llm"),
    QStringLiteral("falcon"),
    QStringLiteral("llama-bpe"),
    QStringLiteral("qwen2"),
    QStringLiteral("qwen35"),
    QStringLiteral("command-r"),
    QStringLiteral("gemma-4") };

VocabToken tok(std::string text, float score = 0.0f, TokenType type = TokenType::Normal)
{
    return VocabToken { std::move(text), score, type };
}

} // namespace

class TokenizerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void llamaCppVectors_data();
    void llamaCppVectors();
    void roundTrip_data() { llamaCppVectors_data(); }
    void roundTrip();
    void promptTokens_data();
    void promptTokens();
    void greedyTextDecodes_data();
    void greedyTextDecodes();
    void spmMergesByScoreWithByteFallback();
    void bpeMergesByRank();
    void specialTokensParsedOnlyWhenAsked();
    void decodeCleansSpacesForGpt2();
    void everyTokenDecodesAndReencodes_data();
    void everyTokenDecodesAndReencodes();
    void unsupportedPreTokenizerIsRefused();
    void spmPrefixesASpaceAfterSpecialTokens();
    void wordPieceAddsClsAndSep();
    void randomBytesRoundTrip_data();
    void randomBytesRoundTrip();
    void hostileMetadataIsRefused_data();
    void hostileMetadataIsRefused();
    void outOfRangeSpecialIdsKeepDefaults();
    void endTokensFoundByText();
    void concurrentEncodesAgree_data();
    void concurrentEncodesAgree();
};

void TokenizerTest::llamaCppVectors_data()
{
    QTest::addColumn<QString>("vocab");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    for (const QString &name : VectorVocabs) {
        QList<QByteArray> expected;
        const QList<QByteArray> inputs = readVectors(name, &expected);
        QVERIFY2(!inputs.isEmpty(), qPrintable(name + " has no test vectors in tests/data/vocab"));
        for (qsizetype i = 0; i < inputs.size(); ++i) {
            const QByteArray row = QStringLiteral("%1/%2").arg(name).arg(i).toUtf8();
            QTest::newRow(row.constData()) << name << inputs[i] << expected.value(i);
        }
    }
}

void TokenizerTest::llamaCppVectors()
{
    QFETCH(QString, vocab);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const Loaded &l = loadTokenizer(vocabGguf(vocab));
    if (!l.tokenizer && !QFileInfo::exists(vocabGguf(vocab)))
        QSKIP(qPrintable(QStringLiteral("no vocab GGUF for %1 in the reference pack").arg(vocab)));
    QVERIFY2(l.tokenizer, qPrintable(l.error));
    const auto ids = l.tokenizer->encode(std::string_view(input.constData(), input.size()), false, false);
    QCOMPARE(idsToString(ids), idsToString(parseIds(expected)));
}

void TokenizerTest::roundTrip()
{
    QFETCH(QString, vocab);
    QFETCH(QByteArray, input);
    const Loaded &l = loadTokenizer(vocabGguf(vocab));
    if (!l.tokenizer)
        QSKIP("no vocab GGUF");
    if (l.tokenizer->kind() == TokenizerKind::WordPiece)
        QSKIP("WordPiece lower-cases and drops spaces: not reversible");
    const std::string text(input.constData(), input.size());
    const auto ids = l.tokenizer->encode(text, false, false);
    std::string decoded = l.tokenizer->decode(ids);
    if (l.tokenizer->vocab().specials().cleanSpaces) {
        for (std::string_view p : { " ?", " !", " .", " ,", " '" }) {
            if (text.find(p) != std::string::npos)
                QSKIP("the text has a space that decoding cleans up, like llama.cpp");
        }
    }
    QCOMPARE(QByteArray::fromStdString(decoded), input);
}

void TokenizerTest::promptTokens_data()
{
    QTest::addColumn<QString>("gguf");
    QTest::addColumn<QString>("model");
    QTest::newRow("stories260K") << QStringLiteral("real/stories260K.gguf") << QStringLiteral("stories260K");
    QTest::newRow("small-f16") << QStringLiteral("llama-spm-small/small-f16.gguf") << QStringLiteral("small-f16");
    QTest::newRow("gqa-q4_k_m") << QStringLiteral("llama-gqa-kquant/gqa-q4_k_m.gguf") << QStringLiteral("gqa-q4_k_m");
    QTest::newRow("qwen2-f16e") << QStringLiteral("bpe-arch/qwen2-f16e.gguf") << QStringLiteral("qwen2-f16e");
    QTest::newRow("qwen3-f16e") << QStringLiteral("bpe-arch/qwen3-f16e.gguf") << QStringLiteral("qwen3-f16e");
}

void TokenizerTest::promptTokens()
{
    QFETCH(QString, gguf);
    QFETCH(QString, model);
    const QString path = Reference + u'/' + gguf;
    if (!QFileInfo::exists(path))
        QSKIP(qPrintable(path + " is absent (reference pack not installed)"));
    const Loaded &l = loadTokenizer(path);
    QVERIFY2(l.tokenizer, qPrintable(l.error));
    const QByteArray prompt = readFile(TestData + u'/' + model + QStringLiteral(".prompt.txt"));
    const auto expected = parseIds(readFile(TestData + u'/' + model + QStringLiteral(".prompt_tokens.txt")));
    QVERIFY(!prompt.isEmpty() && !expected.empty());
    const auto ids = l.tokenizer->encode(prompt.toStdString(), true, false);
    QCOMPARE(idsToString(ids), idsToString(expected));
    // Like llama.cpp, decoding drops the SentencePiece space marker of the first token, but not when that
    // token follows a BOS that removeSpecial took away.
    const bool spm = l.tokenizer->kind() == TokenizerKind::Spm;
    const auto text = std::span(ids).subspan(spm ? 1 : 0);
    QCOMPARE(QByteArray::fromStdString(l.tokenizer->decode(text)), prompt);
    QCOMPARE(QByteArray::fromStdString(l.tokenizer->decode(ids, true)), (spm ? " " : "") + prompt);
}

void TokenizerTest::greedyTextDecodes_data()
{
    promptTokens_data();
    QTest::newRow("long-context") << QStringLiteral("llama-gqa-kquant/gqa-q4_k_m.gguf")
                                  << QStringLiteral("long-context");
}

// greedy_text.txt is llama.cpp's prompt followed by the pieces of the greedy tokens (the long-context
// prompt is itself the 4096 ids decoded): the pieces must be the same bytes, partial UTF-8 included.
void TokenizerTest::greedyTextDecodes()
{
    QFETCH(QString, gguf);
    QFETCH(QString, model);
    const QString path = Reference + u'/' + gguf;
    if (!QFileInfo::exists(path))
        QSKIP(qPrintable(path + " is absent (reference pack not installed)"));
    const Loaded &l = loadTokenizer(path);
    QVERIFY2(l.tokenizer, qPrintable(l.error));
    QByteArray text;
    if (model == QStringLiteral("long-context")) {
        const auto ids = parseIds(readFile(TestData + QStringLiteral("/long-context.prompt_ids.txt")));
        QCOMPARE(ids.size(), std::size_t(4096));
        text = QByteArray::fromStdString(l.tokenizer->decode(ids));
    } else {
        text = readFile(TestData + u'/' + model + QStringLiteral(".prompt.txt"));
    }
    const QList<QByteArray> rows = readFile(TestData + u'/' + model + QStringLiteral(".greedy.tsv")).split('\n');
    QVERIFY(rows.size() > 16);
    for (qsizetype i = 1; i < rows.size(); ++i) {
        if (!rows[i].isEmpty())
            text += QByteArray::fromStdString(l.tokenizer->tokenToPiece(rows[i].split('\t').value(1).toInt()));
    }
    QCOMPARE(text, readFile(TestData + u'/' + model + QStringLiteral(".greedy_text.txt")));
}

void TokenizerTest::spmMergesByScoreWithByteFallback()
{
    // "ab" outscores "bc", so "abc" is "ab" + "c"; "é" is not in the vocab and falls back to bytes.
    std::vector<VocabToken> tokens = {
        tok("<unk>", 0, TokenType::Unknown), tok("<s>", 0, TokenType::Control), tok("</s>", 0, TokenType::Control)
    };
    for (int b = 0; b < 256; ++b) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "<0x%02X>", b);
        tokens.push_back(tok(hex, 0, TokenType::Byte));
    }
    const auto first = static_cast<std::int32_t>(tokens.size());
    for (const char *t : { "\xE2\x96\x81",
             "a",
             "b",
             "c",
             "ab",
             "bc",
             "\xE2\x96\x81"
             "ab" })
        tokens.push_back(tok(t, -10));
    tokens[static_cast<std::size_t>(first + 4)].score = -1; // ab
    tokens[static_cast<std::size_t>(first + 5)].score = -2; // bc
    tokens[static_cast<std::size_t>(first + 6)].score = -3; // ▁ab
    Vocab vocab(TokenizerKind::Spm, "default", std::move(tokens));
    vocab.specials() = VocabSpecials { .bos = 1, .eos = 2, .unk = 0, .addBos = true, .addSpacePrefix = true };
    auto t = Tokenizer::fromVocab(std::move(vocab));
    QVERIFY(t);
    const auto ids = (*t)->encode("abc \xC3\xA9", true, false);
    const std::vector<std::int32_t> expected = { 1, first + 6, first + 3, first, 3 + 0xC3, 3 + 0xA9 };
    QCOMPARE(idsToString(ids), idsToString(expected));
    QCOMPARE((*t)->decode(std::span(ids).subspan(1)), std::string("abc \xC3\xA9"));
    QCOMPARE((*t)->tokenToPiece(1), std::string());
    QCOMPARE((*t)->tokenToPiece(1, true), std::string("<s>"));
}

void TokenizerTest::bpeMergesByRank()
{
    // Byte-level: "Ġ" stands for the space. Rank 0 ("l l") beats rank 1 ("e l"): "hello" = h e ll o.
    std::vector<VocabToken> tokens;
    for (const char *t : { "h", "e", "l", "o", "\xC4\xA0", "ll", "el", "\xC4\xA0h", "<|end|>" })
        tokens.push_back(tok(t));
    tokens.back().type = TokenType::Control;
    Vocab vocab(TokenizerKind::Bpe, "gpt-2", std::move(tokens), { "l l", "e l", "\xC4\xA0 h" });
    vocab.specials().eos = 8;
    vocab.specials().eog = { 8 };
    auto t = Tokenizer::fromVocab(std::move(vocab));
    QVERIFY2(t, t ? "" : t.error().message.c_str());
    QCOMPARE(idsToString((*t)->encode("hello hello", false, false)), QStringLiteral("0 1 5 3 7 1 5 3"));
    QCOMPARE((*t)->decode((*t)->encode("hello hello", false, false)), std::string("hello hello"));
    QVERIFY((*t)->isEog(8));
    QVERIFY(!(*t)->isEog(0));
}

void TokenizerTest::specialTokensParsedOnlyWhenAsked()
{
    const Loaded &l = loadTokenizer(vocabGguf(QStringLiteral("gpt-2")));
    if (!l.tokenizer)
        QSKIP("no gpt-2 vocab GGUF in the reference pack");
    const Tokenizer &t = *l.tokenizer;
    const std::string text = "Hi<|endoftext|>there";
    const auto parsed = t.encode(text, false, true);
    QCOMPARE(parsed.size(), std::size_t(3));
    QCOMPARE(parsed[1], 50256);
    QVERIFY(t.isEog(50256));
    const auto plain = t.encode(text, false, false);
    QVERIFY(plain.size() > 3);
    QVERIFY(std::find(plain.begin(), plain.end(), 50256) == plain.end());
    QCOMPARE(t.decode(parsed), std::string("Hithere"));
    QCOMPARE(t.decode(parsed, false, true), text);
}

void TokenizerTest::decodeCleansSpacesForGpt2()
{
    const Loaded &l = loadTokenizer(vocabGguf(QStringLiteral("gpt-2")));
    if (!l.tokenizer)
        QSKIP("no gpt-2 vocab GGUF in the reference pack");
    const auto ids = l.tokenizer->encode("Hi , it 's me ' ok ' .", false, false);
    QCOMPARE(l.tokenizer->decode(ids), std::string("Hi, it's me'ok '."));
}

void TokenizerTest::everyTokenDecodesAndReencodes_data()
{
    QTest::addColumn<QString>("vocab");
    for (const char *name : { "llama-spm", "gpt-2", "starcoder" })
        QTest::newRow(name) << QString::fromLatin1(name);
}

// llama.cpp's test-tokenizer-1: a normal token's text encodes back to that token (for most tokens).
void TokenizerTest::everyTokenDecodesAndReencodes()
{
    QFETCH(QString, vocab);
    const Loaded &l = loadTokenizer(vocabGguf(vocab));
    if (!l.tokenizer)
        QSKIP("no vocab GGUF in the reference pack");
    const Tokenizer &t = *l.tokenizer;
    int checked = 0;
    int same = 0;
    for (std::int32_t id = 0; id < t.nVocab(); ++id) {
        if (t.vocab().token(id).type != TokenType::Normal)
            continue;
        const std::string piece = t.tokenToPiece(id);
        const auto ids = t.encode(piece, false, false);
        ++checked;
        if (t.decode(ids) == piece || t.vocab().specials().cleanSpaces)
            ++same;
    }
    QVERIFY(checked > 1000);
    QCOMPARE(same, checked);
}

void TokenizerTest::unsupportedPreTokenizerIsRefused()
{
    Vocab vocab(TokenizerKind::Bpe, "no-such-regex", { tok("a") });
    auto t = Tokenizer::fromVocab(std::move(vocab));
    QVERIFY(!t);
    QVERIFY(t.error().message.find("no-such-regex") != std::string::npos);
}

void TokenizerTest::spmPrefixesASpaceAfterSpecialTokens()
{
    const Loaded &l = loadTokenizer(vocabGguf(QStringLiteral("llama-spm")));
    if (!l.tokenizer)
        QSKIP("no llama-spm vocab GGUF");
    const Tokenizer &t = *l.tokenizer;
    // Like llama.cpp: every run of text after a special token gets SentencePiece's leading space.
    std::vector<std::int32_t> expected = t.encode("Hello", true, false);
    expected.push_back(t.eos());
    const auto world = t.encode("world", false, false);
    expected.insert(expected.end(), world.begin(), world.end());
    QCOMPARE(idsToString(t.encode("Hello</s>world", true, true)), idsToString(expected));
    QCOMPARE(t.decode(t.encode("Hello</s>world", true, true), true, true), std::string(" Hello</s> world"));
}

void TokenizerTest::wordPieceAddsClsAndSep()
{
    const Loaded &l = loadTokenizer(vocabGguf(QStringLiteral("bert-bge")));
    if (!l.tokenizer)
        QSKIP("no bert-bge vocab GGUF");
    const auto ids = l.tokenizer->encode("Hello, World!", true, false);
    QVERIFY(ids.size() >= 4);
    QCOMPARE(ids.front(), 101);
    QCOMPARE(ids.back(), 102);
    QCOMPARE(l.tokenizer->decode(ids, true), std::string(" hello, world!"));
}

void TokenizerTest::randomBytesRoundTrip_data()
{
    QTest::addColumn<QString>("vocab");
    for (const char *name : { "llama-spm", "gpt-2", "deepseek-coder", "starcoder", "mpt" })
        QTest::newRow(name) << QString::fromLatin1(name);
}

// Any bytes, valid UTF-8 or not, encode and decode back unchanged (SentencePiece through byte fallback,
// byte-level BPE by construction). Spaces are left out where decoding cleans them up.
void TokenizerTest::randomBytesRoundTrip()
{
    QFETCH(QString, vocab);
    const Loaded &l = loadTokenizer(vocabGguf(vocab));
    if (!l.tokenizer)
        QSKIP("no vocab GGUF in the reference pack");
    const Tokenizer &t = *l.tokenizer;
    const bool cleans = t.vocab().specials().cleanSpaces;
    std::mt19937 rng(42);
    const std::string alphabet = "aZ09 \t\n\r.,'!?<>|_-\xC3\xA9\xE2\x96\x81\xF0\x9F\x98\x80\xE4\xB8\xAD\xFF\x80";
    for (int round = 0; round < 300; ++round) {
        std::string text;
        const int n = static_cast<int>(rng() % 40);
        for (int i = 0; i < n; ++i) {
            const bool anyByte = rng() % 4 == 0;
            char c = anyByte ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
            if (!byteEncodable(t, static_cast<unsigned char>(c)))
                c = 'x';
            if (cleans && c == ' ')
                c = '_';
            text += c;
        }
        if (t.kind() == TokenizerKind::Spm && text.find("\xE2\x96\x81") != std::string::npos)
            continue; // a literal "▁" is SentencePiece's space: it decodes to ' '
        const auto ids = t.encode(text, false, false);
        for (std::int32_t id : ids)
            QVERIFY(id >= 0 && id < t.nVocab());
        QCOMPARE(QByteArray::fromStdString(t.decode(ids)), QByteArray::fromStdString(text));
    }
}

namespace
{

enum class Damage { NoTokens, ScoresShort, TypesShort, NoMerges, BadMerge, UnknownModel, UnknownPre, NoModel };

std::vector<std::uint8_t> damagedVocab(Damage damage)
{
    GgufWriter w;
    const std::vector<std::string> tokens = { "a", "b", "ab", "<|end|>" };
    w.setString("general.architecture", "test");
    const bool bpe = damage == Damage::NoMerges || damage == Damage::BadMerge || damage == Damage::UnknownPre;
    if (damage != Damage::NoModel)
        w.setString("tokenizer.ggml.model", damage == Damage::UnknownModel ? "t5-unigram" : (bpe ? "gpt2" : "llama"));
    if (damage == Damage::UnknownPre)
        w.setString("tokenizer.ggml.pre", "no-such-pre");
    if (damage != Damage::NoTokens)
        w.setStringArray("tokenizer.ggml.tokens", tokens);
    const std::vector<float> scores(damage == Damage::ScoresShort ? 3 : 4, 0.0f);
    w.setFloat32Array("tokenizer.ggml.scores", scores);
    const std::vector<std::int32_t> types(damage == Damage::TypesShort ? 2 : 4, 1);
    w.setInt32Array("tokenizer.ggml.token_type", types);
    if (damage == Damage::BadMerge)
        w.setStringArray("tokenizer.ggml.merges", std::vector<std::string> { "ab" });
    else if (damage == Damage::UnknownPre)
        w.setStringArray("tokenizer.ggml.merges", std::vector<std::string> { "a b" });
    auto bytes = w.writeToMemory();
    return bytes ? *bytes : std::vector<std::uint8_t> {};
}

} // namespace

void TokenizerTest::hostileMetadataIsRefused_data()
{
    QTest::addColumn<int>("damage");
    QTest::addColumn<QString>("message");
    QTest::newRow("no tokens") << int(Damage::NoTokens) << QStringLiteral("tokenizer.ggml.tokens");
    QTest::newRow("scores short") << int(Damage::ScoresShort) << QStringLiteral("tokenizer.ggml.scores");
    QTest::newRow("types short") << int(Damage::TypesShort) << QStringLiteral("tokenizer.ggml.token_type");
    QTest::newRow("no merges") << int(Damage::NoMerges) << QStringLiteral("merges");
    QTest::newRow("bad merge") << int(Damage::BadMerge) << QStringLiteral("merge 0");
    QTest::newRow("unknown model") << int(Damage::UnknownModel) << QStringLiteral("t5-unigram");
    QTest::newRow("unknown pre") << int(Damage::UnknownPre) << QStringLiteral("no-such-pre");
    QTest::newRow("no model") << int(Damage::NoModel) << QStringLiteral("tokenizer.ggml.model");
}

void TokenizerTest::hostileMetadataIsRefused()
{
    QFETCH(int, damage);
    QFETCH(QString, message);
    const std::vector<std::uint8_t> bytes = damagedVocab(static_cast<Damage>(damage));
    QVERIFY(!bytes.empty());
    auto file = GgufFile::fromMemory(bytes);
    QVERIFY2(file, file ? "" : file.error().message.c_str());
    auto t = Tokenizer::fromGguf(**file);
    QVERIFY(!t);
    QVERIFY2(QString::fromStdString(t.error().message).contains(message), t.error().message.c_str());
}

// Like llama.cpp: an id past the vocabulary is ignored and the default (SentencePiece: BOS 1, EOS 2) stays.
void TokenizerTest::outOfRangeSpecialIdsKeepDefaults()
{
    GgufWriter w;
    w.setString("tokenizer.ggml.model", "llama");
    w.setStringArray("tokenizer.ggml.tokens", std::vector<std::string> { "<unk>", "a", "\xE2\x96\x81" });
    w.setUInt32("tokenizer.ggml.bos_token_id", 7);
    w.setUInt32("tokenizer.ggml.eos_token_id", 4000000000u);
    auto bytes = w.writeToMemory();
    QVERIFY(bytes);
    auto file = GgufFile::fromMemory(*bytes);
    QVERIFY(file);
    auto t = Tokenizer::fromGguf(**file);
    QVERIFY(t);
    QCOMPARE((*t)->bos(), 1);
    QCOMPARE((*t)->eos(), 2);
    QCOMPARE(idsToString((*t)->encode("a a", true, true)), QStringLiteral("1 2 1 2 1"));
    QVERIFY(!(*t)->isEog(-1));
    QCOMPARE((*t)->tokenToPiece(99), std::string());
}

// ChatML's "<|im_end|>" stored as user-defined still ends generation (and becomes a control token), as do
// the fill-in-the-middle pad and file separator tokens; "<|im_start|>" does not.
void TokenizerTest::endTokensFoundByText()
{
    GgufWriter w;
    w.setString("tokenizer.ggml.model", "gpt2");
    w.setString("tokenizer.ggml.pre", "qwen2");
    w.setStringArray("tokenizer.ggml.tokens",
        std::vector<std::string> { "a", "b", "<|im_start|>", "<|im_end|>", "<|fim_pad|>", "<|file_sep|>" });
    w.setInt32Array("tokenizer.ggml.token_type", std::vector<std::int32_t> { 1, 1, 3, 4, 4, 4 });
    w.setStringArray("tokenizer.ggml.merges", std::vector<std::string> { "a b" });
    w.setUInt32("tokenizer.ggml.eos_token_id", 0);
    auto bytes = w.writeToMemory();
    QVERIFY(bytes);
    auto file = GgufFile::fromMemory(*bytes);
    QVERIFY(file);
    auto t = Tokenizer::fromGguf(**file);
    QVERIFY2(t, t ? "" : t.error().message.c_str());
    QCOMPARE((*t)->eot(), 3);
    for (std::int32_t id : { 0, 3, 4, 5 })
        QVERIFY2((*t)->isEog(id), qPrintable(QString::number(id)));
    QVERIFY(!(*t)->isEog(2));
    QVERIFY((*t)->isControl(3));
    // Now a control token, it is matched only with parseSpecial (its characters are not in this vocab).
    QCOMPARE(idsToString((*t)->encode("a<|im_end|>", false, false)), QStringLiteral("0"));
    QCOMPARE(idsToString((*t)->encode("a<|im_end|>", false, true)), QStringLiteral("0 3"));
}

void TokenizerTest::concurrentEncodesAgree_data()
{
    QTest::addColumn<QString>("vocab");
    for (const char *name : { "llama-spm", "gpt-2" })
        QTest::newRow(name) << QString::fromLatin1(name);
}

// One tokenizer, four threads, the same texts in different orders (the shared word cache fills as they
// go): every thread gets what a fresh tokenizer gives.
void TokenizerTest::concurrentEncodesAgree()
{
    QFETCH(QString, vocab);
    const QString path = vocabGguf(vocab);
    if (!QFileInfo::exists(path))
        QSKIP("no vocab GGUF in the reference pack");
    auto file = GgufFile::open(path.toStdString());
    QVERIFY(file);
    auto fresh = Tokenizer::fromGguf(**file);
    auto shared = Tokenizer::fromGguf(**file);
    QVERIFY(fresh && shared);
    QList<QByteArray> expected;
    const QList<QByteArray> texts = readVectors(vocab, &expected);
    std::vector<std::vector<std::int32_t>> reference;
    for (const QByteArray &text : texts)
        reference.push_back((*fresh)->encode(text.toStdString(), true, false));
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 20; ++round) {
                for (qsizetype k = 0; k < texts.size(); ++k) {
                    const qsizetype i = (k * (t + 1) + round) % texts.size();
                    if ((*shared)->encode(texts[i].toStdString(), true, false)
                        != reference[static_cast<std::size_t>(i)])
                        ++mismatches[static_cast<std::size_t>(t)];
                }
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(mismatches, std::vector<int>(4, 0));
}

QTEST_GUILESS_MAIN(TokenizerTest)
#include "tokenizertest.moc"
