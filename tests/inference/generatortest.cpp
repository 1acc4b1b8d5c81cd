// The generation loop on the real stories260K model: llama.cpp's greedy story through the tokenizer,
// stop strings, token and context limits, cancellation and prompt-prefix reuse.
#include "inference/generator.h"

#include "inference/backend.h"
#include "inference/model.h"
#include "inference/tokenizer.h"
#include "referencepack.h"

#include <QTest>

using namespace quire::inference;
using namespace quire::testing;

class GeneratorTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Model> m_model;
    std::unique_ptr<Tokenizer> m_tokenizer;
    std::unique_ptr<Backend> m_backend = createCpuBackend({ 2 });

    std::unique_ptr<EvalContext> context(int nCtx)
    {
        auto ctx = m_backend->createContext(*m_model, { .nCtx = nCtx, .kvType = KvType::F32 });
        return ctx ? std::move(*ctx) : nullptr;
    }

    static GenerationSettings greedy(int maxTokens)
    {
        GenerationSettings s;
        s.maxTokens = maxTokens;
        s.sampling.temperature = 0.0f;
        return s;
    }

private Q_SLOTS:
    void initTestCase();
    void greedyStory();
    void stopString();
    void limits();
    void cancel();
    void reusesPrefix();
};

void GeneratorTest::initTestCase()
{
    auto model = Model::load(referenceFile(QStringLiteral("stories260K.gguf")).toStdString());
    QVERIFY(model);
    m_model = std::move(*model);
    auto tokenizer = Tokenizer::fromGguf(m_model->gguf());
    QVERIFY(tokenizer);
    m_tokenizer = std::move(*tokenizer);
}

void GeneratorTest::greedyStory()
{
    auto ctx = context(512);
    Generator generator(*m_model, *m_tokenizer, *ctx);
    std::string text;
    auto stats = generator.generate("Once upon a time", greedy(64), [&](std::string_view piece) {
        text += piece;
        return true;
    });
    QVERIFY(stats);
    QCOMPARE(stats->promptTokens, 5);
    QCOMPARE(stats->generatedTokens, 64);
    QCOMPARE(stats->reason, StopReason::MaxTokens);
    QFile ref(referenceFile(QStringLiteral("stories260K.greedy_text.txt")));
    QVERIFY(ref.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromStdString("Once upon a time" + text), QString::fromUtf8(ref.readAll()));
}

void GeneratorTest::stopString()
{
    auto ctx = context(512);
    Generator generator(*m_model, *m_tokenizer, *ctx);
    GenerationSettings s = greedy(64);
    s.stopStrings = { "Lily" };
    std::string text;
    auto stats = generator.generate("Once upon a time", s, [&](std::string_view piece) {
        text += piece;
        return true;
    });
    QVERIFY(stats);
    QCOMPARE(stats->reason, StopReason::StopString);
    QCOMPARE(QString::fromStdString(text), QStringLiteral(", there was a little girl named "));
}

void GeneratorTest::limits()
{
    auto small = context(12);
    Generator generator(*m_model, *m_tokenizer, *small);
    auto stats = generator.generate("Once upon a time", greedy(0), [](std::string_view) { return true; });
    QVERIFY(stats);
    QCOMPARE(stats->reason, StopReason::ContextFull);
    QCOMPARE(small->length(), 12);

    auto tiny = context(4);
    Generator overflow(*m_model, *m_tokenizer, *tiny);
    auto error = overflow.generate("Once upon a time", greedy(8), [](std::string_view) { return true; });
    QVERIFY(!error);
    QCOMPARE(error.error().code, quire::Error::Code::TooLarge);
    QVERIFY(error.error().message.find("context") != std::string::npos);
}

void GeneratorTest::cancel()
{
    auto ctx = context(512);
    Generator generator(*m_model, *m_tokenizer, *ctx);
    quire::CancelToken token;
    int pieces = 0;
    auto stats = generator.generate(
        "Once upon a time",
        greedy(64),
        [&](std::string_view) {
            if (++pieces == 3)
                token.cancel();
            return true;
        },
        &token);
    QVERIFY(!stats);
    QCOMPARE(stats.error().code, quire::Error::Code::Cancelled);
    QCOMPARE(pieces, 3);
}

void GeneratorTest::reusesPrefix()
{
    auto ctx = context(512);
    Generator generator(*m_model, *m_tokenizer, *ctx);
    std::string first, second;
    QVERIFY(generator.generate("Once upon a time", greedy(8), [&](std::string_view p) {
        first += p;
        return true;
    }));
    auto stats = generator.generate("Once upon a time", greedy(8), [&](std::string_view p) {
        second += p;
        return true;
    });
    QVERIFY(stats);
    QCOMPARE(stats->reusedTokens, 4); // the last prompt token is evaluated again for its logits
    QCOMPARE(stats->promptTokens, 1);
    QCOMPARE(second, first);
}

QTEST_GUILESS_MAIN(GeneratorTest)
#include "generatortest.moc"
