// The Generator's chunked prefill on the constructed recall model: progress in chunks, cancel between
// chunks with nothing lost (the finished chunks stay, and resuming gives the uninterrupted result), and
// sparse prefill that reads a bounded number of positions per query instead of the whole context.
#include "inference/backend.h"
#include "inference/cpu/cpucontext.h"
#include "inference/generator.h"
#include "inference/model.h"
#include "inference/recallmodel.h"
#include "inference/rulertasks.h"
#include "inference/tokenizer.h"

#include <QTemporaryDir>
#include <QTest>
#include <cstring>
#include <mutex>

using namespace quire;
using namespace quire::inference;

namespace
{

// Records what a prefill reports; cancels the job after `cancelAfter` updates when asked to.
class RecordingProgress final : public Progress
{
public:
    CancelToken *cancel = nullptr;
    int cancelAfter = -1;
    std::string phase;
    std::int64_t total = 0;
    std::vector<std::int64_t> updates;
    int ends = 0;

    void begin(const std::string &p, std::int64_t t) override
    {
        phase = p;
        total = t;
    }
    void update(std::int64_t done, const std::string &) override
    {
        updates.push_back(done);
        if (cancel && static_cast<int>(updates.size()) == cancelAfter)
            cancel->cancel();
    }
    void message(const std::string &) override { }
    void end() override { ++ends; }
};

} // namespace

class ChunkedPrefillTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Model> m_model;
    std::unique_ptr<Tokenizer> m_tokenizer;
    std::unique_ptr<Backend> m_backend = createCpuBackend({ 2 });
    std::vector<std::int32_t> m_prompt; // ends with a needle's key
    std::int32_t m_answer = 0;

    std::unique_ptr<EvalContext> context(AttentionMode mode)
    {
        ContextConfig c;
        c.nCtx = 8192;
        c.attention.mode = mode;
        c.attention.sinkTokens = 64;
        c.attention.windowTokens = 256;
        c.attention.blockTokens = 64;
        c.attention.topKTokens = 256;
        auto ctx = m_backend->createContext(*m_model, c);
        if (!ctx)
            qFatal("%s", ctx.error().message.c_str());
        return std::move(*ctx);
    }

    static GenerationSettings oneGreedyToken()
    {
        GenerationSettings s;
        s.maxTokens = 1;
        s.sampling.temperature = 0.0f;
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const std::string path = m_dir.filePath(QStringLiteral("recall.gguf")).toStdString();
        RecallModelOptions o;
        o.contextLength = 8192;
        QVERIFY(writeRecallModel(path, o));
        auto model = Model::load(path);
        QVERIFY(model);
        m_model = std::move(*model);
        auto tokenizer = Tokenizer::fromGguf(m_model->gguf());
        QVERIFY(tokenizer);
        m_tokenizer = std::move(*tokenizer);
        RulerOptions r;
        r.length = 5000;
        r.seed = 5;
        const RulerSample sample = makeRulerSample(RulerTask::SingleNeedle, r);
        m_prompt = sample.prompt;
        m_answer = sample.answers.front();
    }

    void reportsProgress()
    {
        auto ctx = context(AttentionMode::Sparse);
        Generator g(*m_model, *m_tokenizer, *ctx);
        RecordingProgress progress;
        g.setProgress(&progress);
        const std::span<const std::int32_t> prefix(m_prompt.data(), m_prompt.size() - 1);
        QVERIFY(g.evaluate(prefix));
        QCOMPARE(progress.phase, std::string("prefill"));
        QCOMPARE(progress.total, std::int64_t(prefix.size()));
        QCOMPARE(progress.updates.size(), (prefix.size() + Generator::kPrefillChunk - 1) / Generator::kPrefillChunk);
        QCOMPARE(progress.updates.front(), std::int64_t(Generator::kPrefillChunk));
        QCOMPARE(progress.updates.back(), std::int64_t(prefix.size()));
        QVERIFY(std::is_sorted(progress.updates.begin(), progress.updates.end()));
        QCOMPARE(progress.ends, 1);
        // Short prompts stay quiet.
        RecordingProgress quiet;
        g.setProgress(&quiet);
        QVERIFY(g.evaluate(std::span(&m_prompt.back(), 1)));
        QVERIFY(quiet.updates.empty());
        QCOMPARE(quiet.ends, 0);
    }

    // Cancelled after two chunks: the two chunks stay evaluated (history and context agree), and the same
    // prompt asked again evaluates only the rest and answers as an uninterrupted run does.
    void cancelKeepsFinishedChunks()
    {
        auto whole = context(AttentionMode::Sparse);
        Generator reference(*m_model, *m_tokenizer, *whole);
        std::string expected;
        QVERIFY(reference.generateFromTokens(m_prompt, oneGreedyToken(), [&](std::string_view p) {
            expected += p;
            return true;
        }));
        QCOMPARE(expected, m_tokenizer->tokenToPiece(m_answer, false));

        auto ctx = context(AttentionMode::Sparse);
        Generator g(*m_model, *m_tokenizer, *ctx);
        CancelToken cancel;
        RecordingProgress progress;
        progress.cancel = &cancel;
        progress.cancelAfter = 2;
        g.setProgress(&progress);
        auto stats = g.generateFromTokens(
            m_prompt, oneGreedyToken(), [](std::string_view) { return true; }, &cancel);
        QVERIFY(!stats);
        QCOMPARE(stats.error().code, Error::Code::Cancelled);
        QCOMPARE(progress.ends, 1);
        QCOMPARE(g.history().size(), std::size_t(2 * Generator::kPrefillChunk));
        QCOMPARE(ctx->length(), 2 * Generator::kPrefillChunk);

        cancel.reset();
        std::string answer;
        stats = g.generateFromTokens(m_prompt, oneGreedyToken(), [&](std::string_view p) {
            answer += p;
            return true;
        });
        QVERIFY(stats);
        QCOMPARE(stats->reusedTokens, 2 * Generator::kPrefillChunk);
        QCOMPARE(answer, expected);
    }

    // Prefill itself attends sparsely: the positions read per (query, layer, KV head) stay near
    // sinks + window + top-k, far below the average context length of a dense prefill.
    void prefillIsSparse()
    {
        auto ctx = context(AttentionMode::Sparse);
        auto *cpu = static_cast<cpu::CpuContext *>(ctx.get());
        Generator g(*m_model, *m_tokenizer, *ctx);
        QVERIFY(g.evaluate(std::span(m_prompt.data(), m_prompt.size() - 1)));
        const cpu::SparseStats st = cpu->sparse()->stats();
        QVERIFY(st.queries > 0);
        const double perQuery = static_cast<double>(st.positionsRead) / static_cast<double>(st.queries);
        const double denseAverage = static_cast<double>(m_prompt.size()) / 2.0;
        qInfo("sparse prefill of %zu tokens: %.0f positions read per query (dense would average %.0f)",
            m_prompt.size() - 1,
            perQuery,
            denseAverage);
        // Per chunk of 64 queries: sinks 64 + top-k 256 + window 256 + the chunk's own block.
        QVERIFY(perQuery <= 64 + 256 + 256 + 2 * 64);
        QVERIFY(perQuery < denseAverage / 4);
    }
};

QTEST_GUILESS_MAIN(ChunkedPrefillTest)
#include "chunkedprefilltest.moc"
