// Sparse attention on long inputs, proven with the constructed recall model: sparse recall equals dense
// recall, needles are found at 256K tokens, and the aggregation task shows where top-k selection loses
// and dense attention recovers.
#include "inference/backend.h"
#include "inference/cpu/cpucontext.h"
#include "inference/model.h"
#include "inference/recallmodel.h"
#include "inference/rulertasks.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace quire::inference;

Q_DECLARE_METATYPE(quire::inference::RulerTask)

namespace
{

// Small enough that long contexts are mostly "middle": the indexer has to find the needle.
SparseAttentionSettings testSettings()
{
    SparseAttentionSettings s;
    s.mode = AttentionMode::Sparse;
    s.sinkTokens = 64;
    s.windowTokens = 256;
    s.blockTokens = 64;
    s.topKTokens = 256;
    return s;
}

float maxDistance(const std::vector<float> &a, const std::vector<float> &b)
{
    float d = 0.0f;
    for (std::size_t i = 0; i < a.size(); ++i)
        d = std::max(d, std::abs(a[i] - b[i]));
    return d;
}

} // namespace

class SparseRecallTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Model> m_model;
    std::unique_ptr<Backend> m_backend;

    std::unique_ptr<EvalContext> context(std::int32_t nCtx, AttentionMode mode)
    {
        ContextConfig cfg;
        cfg.nCtx = nCtx;
        cfg.attention = testSettings();
        cfg.attention.mode = mode;
        auto ctx = m_backend->createContext(*m_model, cfg);
        if (!ctx)
            qFatal("%s", ctx.error().message.c_str());
        return std::move(*ctx);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const std::string path = m_dir.filePath(QStringLiteral("recall.gguf")).toStdString();
        RecallModelOptions o;
        o.contextLength = 1 << 19;
        auto info = writeRecallModel(path, o);
        QVERIFY2(info.has_value(), info ? "" : info.error().message.c_str());
        auto model = Model::load(path);
        QVERIFY(model.has_value());
        m_model = std::move(*model);
        m_backend = createCpuBackend({ 2 });
    }

    // Full dense evaluation against sparse evaluation of the same prompt.
    void sparseEqualsDense_data()
    {
        QTest::addColumn<RulerTask>("task");
        QTest::addColumn<int>("length");
        for (RulerTask t :
            { RulerTask::SingleNeedle, RulerTask::MultiKeyNeedle, RulerTask::MultiValue, RulerTask::VariableTracking })
            QTest::addRow("%s 4096", rulerTaskName(t)) << t << 4096;
        QTest::addRow("multi-key 16384") << RulerTask::MultiKeyNeedle << 16384;
    }
    void sparseEqualsDense()
    {
        QFETCH(RulerTask, task);
        QFETCH(int, length);
        RulerOptions o;
        o.length = length;
        o.seed = 7;
        const RulerSample sample = makeRulerSample(task, o);
        auto dense = context(length + 16, AttentionMode::Dense);
        auto sparse = context(length + 16, AttentionMode::Sparse);
        auto rd = runRulerSample(*dense, sample);
        auto rs = runRulerSample(*sparse, sample);
        QVERIFY(rd && rs);
        QVERIFY(rd->correct);
        QCOMPARE(rs->predicted, rd->predicted);
        // Logits of the answer position, sparse vs dense.
        std::vector<float> ld, ls;
        const std::int32_t q = sample.prompt.back();
        dense->truncate(static_cast<std::int32_t>(sample.prompt.size()) - 1);
        sparse->truncate(static_cast<std::int32_t>(sample.prompt.size()) - 1);
        QVERIFY(dense->decode(std::span(&q, 1), LogitsMode::Last, ld, nullptr).has_value());
        QVERIFY(sparse->decode(std::span(&q, 1), LogitsMode::Last, ls, nullptr).has_value());
        qInfo("%s at %d: max |sparse - dense| logit %.3g (answer logit %.2f)",
            rulerTaskName(task),
            length,
            maxDistance(ld, ls),
            ld[static_cast<std::size_t>(sample.answers.front())]);
    }

    // One 256K prefill, every needle asked in turn (truncate to the haystack, decode one key).
    void needles256K()
    {
        const int length = 262144;
        RulerOptions o;
        o.length = length;
        o.needles = 8;
        o.seed = 3;
        RulerSample sample = makeRulerSample(RulerTask::MultiKeyNeedle, o);
        std::vector<std::pair<std::int32_t, std::int32_t>> statements; // key, value
        for (std::size_t i = 1; i + 2 < sample.prompt.size(); ++i) {
            if (sample.prompt[i + 2] == RecallVocab::kDot)
                statements.emplace_back(sample.prompt[i], sample.prompt[i + 1]);
        }
        QCOMPARE(statements.size(), std::size_t(8));
        auto ctx = context(length + 16, AttentionMode::Sparse);
        QElapsedTimer timer;
        timer.start();
        std::vector<float> logits;
        const std::span<const std::int32_t> haystack(sample.prompt.data(), sample.prompt.size() - 1);
        QVERIFY(ctx->decode(haystack, LogitsMode::None, logits, nullptr).has_value());
        const double prefill = timer.elapsed() / 1000.0;
        int found = 0;
        for (const auto &[key, value] : statements) {
            ctx->truncate(static_cast<std::int32_t>(haystack.size()));
            QVERIFY(ctx->decode(std::span(&key, 1), LogitsMode::Last, logits, nullptr).has_value());
            const auto best = std::max_element(logits.begin(), logits.end()) - logits.begin();
            found += best == value ? 1 : 0;
        }
        const auto st = static_cast<cpu::CpuContext *>(ctx.get())->sparse()->stats();
        qInfo("256K: prefill %.1f s (%.0f tok/s), %d/8 needles, %.0f KV rows read per (token, layer, KV head)",
            prefill,
            length / prefill,
            found,
            static_cast<double>(st.positionsRead) / static_cast<double>(st.queries));
        QCOMPARE(found, 8);
    }

    // The reference GQA model (random weights, 8 query / 2 KV heads) on its 4096-token prompt: how far
    // sparse logits are from dense for each block summary; a covering window must match dense.
    void referenceModelDistance_data()
    {
        QTest::addColumn<QString>("summary");
        QTest::addColumn<int>("window");
        QTest::addColumn<int>("topK");
        QTest::newRow("covering window") << QStringLiteral("minmax") << 4096 << 512;
        for (const char *kind : { "minmax", "mean", "mix" })
            QTest::newRow(kind) << QString::fromLatin1(kind) << 512 << 512;
        QTest::newRow("minmax, 3/4 of the context") << QStringLiteral("minmax") << 1024 << 2048;
    }
    void referenceModelDistance()
    {
        QFETCH(QString, summary);
        QFETCH(int, window);
        QFETCH(int, topK);
        const QString dir = QStringLiteral(QUIRE_SHARED_DIR "/reference/");
        QFile ids(dir + QStringLiteral("long-context/prompt_ids.txt"));
        auto model = Model::load(QString(dir + QStringLiteral("llama-gqa-kquant/gqa-q4_k_m.gguf")).toStdString());
        if (!model || !ids.open(QIODevice::ReadOnly))
            QSKIP("../shared/reference (the GQA model and its long-context prompt) is not here");
        std::vector<std::int32_t> prompt;
        for (const QByteArray &line : ids.readAll().split('\n')) {
            if (!line.trimmed().isEmpty())
                prompt.push_back(line.trimmed().toInt());
        }
        QCOMPARE(prompt.size(), std::size_t(4096));
        ContextConfig cfg;
        cfg.nCtx = 4096;
        cfg.attention = testSettings();
        cfg.attention.windowTokens = window;
        cfg.attention.topKTokens = topK;
        cfg.attention.summary = *parseBlockSummaryKind(summary.toStdString());
        std::vector<float> dense, sparse;
        for (AttentionMode mode : { AttentionMode::Dense, AttentionMode::Sparse }) {
            cfg.attention.mode = mode;
            auto ctx = m_backend->createContext(**model, cfg);
            QVERIFY(ctx.has_value());
            QVERIFY((*ctx)->decode(prompt, LogitsMode::Last, mode == AttentionMode::Dense ? dense : sparse, nullptr));
        }
        const auto top = [](const std::vector<float> &l) { return std::max_element(l.begin(), l.end()) - l.begin(); };
        const float d = maxDistance(dense, sparse);
        qInfo("reference GQA model, 4096 tokens, %s, window %d, top-k %d: max |sparse - dense| logit %.4g, top-1 %s",
            qPrintable(summary),
            window,
            topK,
            d,
            top(dense) == top(sparse) ? "same" : "differs");
        if (window >= 4096)
            QVERIFY(d < 1e-3f);
    }

    // Common-word aggregation: dense always counts right; top-k sees sinks + window + a few blocks.
    void aggregationNeedsDense_data()
    {
        QTest::addColumn<int>("length");
        QTest::newRow("2048") << 2048;
        QTest::newRow("8192") << 8192;
    }
    void aggregationNeedsDense()
    {
        QFETCH(int, length);
        RulerOptions o;
        o.length = length;
        o.seed = 11;
        const RulerSample sample = makeRulerSample(RulerTask::CommonWords, o);
        auto dense = context(length + 16, AttentionMode::Dense);
        auto sparse = context(length + 16, AttentionMode::Sparse);
        auto rd = runRulerSample(*dense, sample);
        auto rs = runRulerSample(*sparse, sample);
        QVERIFY(rd && rs);
        qInfo("common words at %d: dense %s, sparse (top-k %d tokens) %s",
            length,
            rd->correct ? "right" : "WRONG",
            testSettings().topKTokens,
            rs->correct ? "right" : "wrong");
        QVERIFY(rd->correct);
        // Where the window and top-k blocks cover less than the context, the packed runner-up wins.
        if (length > 4 * (testSettings().windowTokens + testSettings().topKTokens + testSettings().sinkTokens))
            QVERIFY(!rs->correct);
    }
};

QTEST_GUILESS_MAIN(SparseRecallTest)
#include "sparserecalltest.moc"
