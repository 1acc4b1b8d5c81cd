// Whole models on the Vulkan backend against llama.cpp's reference dumps (tests/data/reference,
// ../shared/reference), with the tolerances of the reference pack's README.
#include "inference/vulkan/vkbackend.h"

#include "inference/model.h"
#include "inference/modelbuilder.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace quire;
using namespace quire::inference;

namespace
{

struct Reference {
    std::vector<std::int32_t> prompt;
    std::vector<float> lastLogits;
    struct Row {
        std::vector<std::pair<int, float>> top5;
    };
    std::vector<Row> positions;
    struct Step {
        int id;
        float logit;
        int top2;
        float top2Logit;
    };
    std::vector<Step> greedy;
};

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

Reference loadReference(const QString &stem)
{
    Reference r;
    for (const QByteArray &line : readFile(stem + QStringLiteral(".prompt_tokens.txt")).split('\n')) {
        if (!line.trimmed().isEmpty())
            r.prompt.push_back(line.trimmed().toInt());
    }
    const QByteArray logits = readFile(stem + QStringLiteral(".logits_last.f32"));
    r.lastLogits.resize(static_cast<std::size_t>(logits.size()) / 4);
    std::memcpy(r.lastLogits.data(), logits.constData(), static_cast<std::size_t>(logits.size()));
    const QList<QByteArray> rows = readFile(stem + QStringLiteral(".pos_top5.tsv")).split('\n');
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QList<QByteArray> f = rows[i].split('\t');
        if (f.size() < 7)
            continue;
        Reference::Row row;
        for (int c = 2; c < 7; ++c)
            row.top5.emplace_back(f[c].split(':')[0].toInt(), f[c].split(':')[1].toFloat());
        r.positions.push_back(row);
    }
    const QList<QByteArray> steps = readFile(stem + QStringLiteral(".greedy.tsv")).split('\n');
    for (qsizetype i = 1; i < steps.size(); ++i) {
        const QList<QByteArray> f = steps[i].split('\t');
        if (f.size() >= 5)
            r.greedy.push_back({ f[1].toInt(), f[2].toFloat(), f[3].toInt(), f[4].toFloat() });
    }
    return r;
}

int argmax(const float *v, int n)
{
    return int(std::max_element(v, v + n) - v);
}

// Four heads of 64, GQA 2:1, two layers: small, and heads fit Q8_0 blocks.
LlamaShape smallShape()
{
    LlamaShape shape;
    shape.vocab = 1000;
    shape.embedding = 256;
    shape.layers = 2;
    shape.heads = 4;
    shape.kvHeads = 2;
    shape.feedForward = 512;
    return shape;
}

// A prompt of 11 tokens, then `steps` tokens one at a time, on both contexts: the largest logit difference.
float compareRuns(EvalContext &a, EvalContext &b, int steps)
{
    const std::vector<std::int32_t> prompt { 1, 300, 25, 999, 42, 7, 7, 500, 3, 64, 128 };
    std::vector<float> la, lb;
    if (!a.decode(prompt, LogitsMode::All, la) || !b.decode(prompt, LogitsMode::All, lb) || la.size() != lb.size())
        return 1e30f;
    float worst = 0;
    for (int step = 0;; ++step) {
        for (std::size_t i = 0; i < la.size(); ++i)
            worst = std::max(worst, std::fabs(la[i] - lb[i]));
        if (step == steps)
            return worst;
        const std::int32_t next = (step * 37 + 11) % 1000;
        if (!a.decode({ &next, 1 }, LogitsMode::Last, la) || !b.decode({ &next, 1 }, LogitsMode::Last, lb))
            return 1e30f;
    }
}

} // namespace

class VkBackendTest : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Backend> m_backend;

private Q_SLOTS:
    void initTestCase()
    {
        if (qgetenv("QUIRE_TEST_BACKEND") == "cpu") { // the same checks on the CPU backend, for comparison
            m_backend = createCpuBackend();
            return;
        }
        auto backend = vk::createVulkanBackend();
        if (!backend)
            QSKIP(("no Vulkan device: " + backend.error().message).c_str());
        m_backend = std::move(*backend);
        qInfo("%s", m_backend->name().c_str());
    }

    void matchesReference_data()
    {
        QTest::addColumn<QString>("gguf");
        QTest::addColumn<QString>("stem");
        QTest::addColumn<float>("tolerance");
        QTest::addColumn<float>("rms");
        const QString data = QStringLiteral(QUIRE_TEST_DATA "/reference/");
        const QString shared = QStringLiteral(QUIRE_SHARED_DIR "/reference/");
        // GPU tolerance 2e-2; quantised weights 0.25 (the CPU dumps round activations to 8 bits).
        QTest::newRow("stories260K") << data + QStringLiteral("stories260K.gguf")
                                     << data + QStringLiteral("stories260K") << 2e-2f << 5e-3f;
        QTest::newRow("small-f16") << shared + QStringLiteral("llama-spm-small/small-f16.gguf")
                                   << data + QStringLiteral("small-f16") << 2e-2f << 5e-3f;
        QTest::newRow("small-q4_0") << shared + QStringLiteral("llama-spm-small/small-q4_0.gguf")
                                    << data + QStringLiteral("small-q4_0") << 0.25f << 0.06f;
        QTest::newRow("gqa-q4_k_m") << shared + QStringLiteral("llama-gqa-kquant/gqa-q4_k_m.gguf")
                                    << data + QStringLiteral("gqa-q4_k_m") << 0.25f << 0.06f;
        QTest::newRow("qwen2-f16e") << shared + QStringLiteral("bpe-arch/qwen2-f16e.gguf")
                                    << data + QStringLiteral("qwen2-f16e") << 2e-2f << 5e-3f;
        QTest::newRow("qwen3-f16e") << shared + QStringLiteral("bpe-arch/qwen3-f16e.gguf")
                                    << data + QStringLiteral("qwen3-f16e") << 2e-2f << 5e-3f;
    }
    // Every prompt position's top-5 logits and the last position's full logits within tolerance,
    // then the greedy continuation teacher-forced, as the reference README prescribes.
    void matchesReference()
    {
        QFETCH(QString, gguf);
        QFETCH(QString, stem);
        QFETCH(float, tolerance);
        QFETCH(float, rms);
        if (!QFile::exists(gguf))
            QSKIP(qPrintable(gguf + QStringLiteral(" is absent (../shared/reference not available)")));
        auto model = Model::load(gguf.toStdString());
        QVERIFY2(model, model ? "" : model.error().message.c_str());
        const Reference ref = loadReference(stem);
        QVERIFY(!ref.prompt.empty());
        auto eval = m_backend->createContext(**model, { .nCtx = 512, .kvType = KvType::F32 });
        QVERIFY2(eval, eval ? "" : eval.error().message.c_str());
        const int nVocab = (*model)->hparams().nVocab;
        std::vector<float> logits;
        QVERIFY((*eval)->decode(ref.prompt, LogitsMode::All, logits));
        QCOMPARE(logits.size(), ref.prompt.size() * std::size_t(nVocab));

        for (std::size_t p = 0; p < ref.positions.size(); ++p) {
            const float *row = logits.data() + p * nVocab;
            const auto &top = ref.positions[p].top5;
            for (const auto &[id, value] : top)
                QVERIFY2(std::fabs(row[id] - value) <= tolerance,
                    qPrintable(QStringLiteral("pos %1 id %2: %3 vs %4").arg(p).arg(id).arg(row[id]).arg(value)));
            if (top[0].second - top[1].second > 2 * tolerance)
                QCOMPARE(argmax(row, nVocab), top[0].first);
        }
        const float *last = logits.data() + (ref.prompt.size() - 1) * nVocab;
        double sq = 0;
        float worst = 0;
        for (int i = 0; i < nVocab; ++i) {
            const float d = std::fabs(last[i] - ref.lastLogits[std::size_t(i)]);
            worst = std::max(worst, d);
            sq += double(d) * d;
        }
        qInfo("last position: max abs diff %.2e, rms %.2e", worst, std::sqrt(sq / nVocab));
        QVERIFY(worst <= tolerance);
        QVERIFY(std::sqrt(sq / nVocab) <= rms);

        for (const Reference::Step &step : ref.greedy) {
            std::vector<float> next;
            const float *cur = logits.data() + (logits.size() / nVocab - 1) * nVocab;
            QVERIFY(std::fabs(cur[step.id] - step.logit) <= tolerance);
            QVERIFY(std::fabs(cur[step.top2] - step.top2Logit) <= tolerance);
            if (step.logit - step.top2Logit > 2 * tolerance)
                QCOMPARE(argmax(cur, nVocab), step.id);
            const std::int32_t id = step.id;
            QVERIFY((*eval)->decode(std::span(&id, 1), LogitsMode::Last, next));
            logits = std::move(next);
        }
    }

    // stories260K's 64 greedy tokens from "Once upon a time", free-running, exactly.
    void storiesGreedyExact()
    {
        const QString data = QStringLiteral(QUIRE_TEST_DATA "/reference/");
        auto model = Model::load(QString(data + QStringLiteral("stories260K.gguf")).toStdString());
        QVERIFY(model);
        const Reference ref = loadReference(data + QStringLiteral("stories260K"));
        auto eval = m_backend->createContext(**model, { .nCtx = 256, .kvType = KvType::F16 });
        QVERIFY(eval);
        std::vector<float> logits;
        QVERIFY((*eval)->decode(ref.prompt, LogitsMode::Last, logits));
        const int nVocab = (*model)->hparams().nVocab;
        for (const Reference::Step &step : ref.greedy) {
            const std::int32_t id = argmax(logits.data(), nVocab);
            QCOMPARE(id, step.id);
            QVERIFY((*eval)->decode(std::span(&id, 1), LogitsMode::Last, logits));
        }
        QCOMPARE(ref.greedy.size(), 64u);
    }

    // Random-weight models of every shape feature and weight type: Vulkan equals the CPU backend.
    void matchesCpu_data()
    {
        QTest::addColumn<int>("mix");
        QTest::addColumn<int>("kvHeads");
        QTest::addColumn<bool>("tied");
        QTest::addColumn<float>("tolerance");
        QTest::newRow("f32 MHA") << int(QuantMix::F32) << 4 << true << 2e-3f;
        QTest::newRow("f32 GQA") << int(QuantMix::F32) << 2 << true << 2e-3f;
        QTest::newRow("f32 GQA untied") << int(QuantMix::F32) << 1 << false << 2e-3f;
        QTest::newRow("f16") << int(QuantMix::F16) << 2 << true << 2e-2f;
        QTest::newRow("q8_0") << int(QuantMix::Q8_0) << 2 << false << 0.1f;
        QTest::newRow("q4_0") << int(QuantMix::Q4_0) << 2 << false << 0.25f;
        QTest::newRow("q4_K_M") << int(QuantMix::Q4_K_M) << 2 << false << 0.25f;
        QTest::newRow("q5_K_M") << int(QuantMix::Q5_K_M) << 2 << false << 0.25f;
        QTest::newRow("q6_K") << int(QuantMix::Q6_K) << 2 << false << 0.25f;
    }
    void matchesCpu()
    {
        QFETCH(int, mix);
        QFETCH(int, kvHeads);
        QFETCH(bool, tied);
        QFETCH(float, tolerance);
        QTemporaryDir dir;
        LlamaShape shape;
        shape.vocab = 1000;
        shape.embedding = 256;
        shape.layers = 2;
        shape.heads = 4;
        shape.kvHeads = kvHeads;
        shape.feedForward = 512;
        shape.tiedOutput = tied;
        const std::string path = dir.filePath(QStringLiteral("m.gguf")).toStdString();
        QVERIFY(writeRandomLlamaModel(path, shape, static_cast<QuantMix>(mix), 7));
        auto model = Model::load(path);
        QVERIFY2(model, model ? "" : model.error().message.c_str());
        const std::vector<std::int32_t> tokens { 1, 300, 25, 999, 42, 7, 7, 500, 3, 64, 128 };
        auto cpu = createCpuBackend()->createContext(**model, { .nCtx = 64, .kvType = KvType::F32 });
        auto gpu = m_backend->createContext(**model, { .nCtx = 64, .kvType = KvType::F32 });
        QVERIFY(cpu && gpu);
        std::vector<float> a, b;
        QVERIFY((*cpu)->decode(tokens, LogitsMode::All, a));
        QVERIFY((*gpu)->decode(tokens, LogitsMode::All, b));
        QCOMPARE(a.size(), b.size());
        float worst = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            worst = std::max(worst, std::fabs(a[i] - b[i]));
        qInfo("max abs diff against the CPU backend: %.2e", worst);
        QVERIFY(worst <= tolerance);
    }

    // A Q8_0 KV cache on the device gives what the CPU backend's Q8_0 cache gives, prompt and generation.
    void q8KvCacheMatchesCpu()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("m.gguf")).toStdString();
        QVERIFY(writeRandomLlamaModel(path, smallShape(), QuantMix::F32, 9));
        auto model = Model::load(path);
        QVERIFY2(model, model ? "" : model.error().message.c_str());
        const ContextConfig config { .nCtx = 64, .kvType = KvType::Q8_0 };
        auto cpu = createCpuBackend()->createContext(**model, config);
        auto gpu = m_backend->createContext(**model, config);
        QVERIFY2(gpu, gpu ? "" : gpu.error().message.c_str());
        QVERIFY(cpu);
        const float worst = compareRuns(**cpu, **gpu, 6);
        qInfo("Q8_0 KV cache: max abs diff against the CPU backend %.2e", worst);
        QVERIFY(worst <= 2e-2f);
        // The cache really is quantised: an F32 cache gives visibly different logits.
        auto exact = m_backend->createContext(**model, { .nCtx = 64, .kvType = KvType::F32 });
        auto quantised = m_backend->createContext(**model, config);
        QVERIFY(exact && quantised);
        const float rounding = compareRuns(**exact, **quantised, 6);
        qInfo("Q8_0 against F32 KV cache: max abs diff %.2e", rounding);
        QVERIFY(rounding > 10 * worst && rounding > 1e-4f);
    }

    // With a binding limit of 4 KiB every weight matrix, the embedding lookup and (after 15 tokens) the
    // KV cache are read in windows; the logits stay those of the CPU backend.
    void smallBindingsMatchCpu()
    {
        if (qgetenv("QUIRE_TEST_BACKEND") == "cpu")
            QSKIP("a Vulkan limit");
        auto limited = vk::createVulkanBackend({ .maxBindingBytes = 4096 });
        QVERIFY(limited);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("m.gguf")).toStdString();
        QVERIFY(writeRandomLlamaModel(path, smallShape(), QuantMix::F16, 5));
        auto model = Model::load(path);
        QVERIFY(model);
        const ContextConfig config { .nCtx = 64, .kvType = KvType::F16 };
        auto cpu = createCpuBackend()->createContext(**model, config);
        auto gpu = (*limited)->createContext(**model, config);
        QVERIFY(cpu && gpu);
        const float worst = compareRuns(**cpu, **gpu, 10);
        qInfo("4 KiB bindings: max abs diff against the CPU backend %.2e", worst);
        QVERIFY(worst <= 2e-2f);
    }

    // A device with too little memory refuses the model, or the context, saying how much is missing.
    void tooLittleMemoryIsRefused()
    {
        if (qgetenv("QUIRE_TEST_BACKEND") == "cpu")
            QSKIP("a Vulkan limit");
        const QString data = QStringLiteral(QUIRE_TEST_DATA "/reference/");
        auto model = Model::load(QString(data + QStringLiteral("stories260K.gguf")).toStdString());
        QVERIFY(model);
        auto tiny = vk::createVulkanBackend({ .memoryBytes = 256 * 1024 });
        QVERIFY(tiny);
        auto refused = (*tiny)->createContext(**model, { .nCtx = 64 });
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, Error::Code::TooLarge);
        QVERIFY2(refused.error().message.find("missing") != std::string::npos, refused.error().message.c_str());
        qInfo("%s", refused.error().message.c_str());

        auto small = vk::createVulkanBackend({ .memoryBytes = 8 * 1024 * 1024 });
        QVERIFY(small);
        auto fits = (*small)->createContext(**model, { .nCtx = 256 });
        QVERIFY2(fits, fits ? "" : fits.error().message.c_str());
        auto tooLong = (*small)->createContext(**model, { .nCtx = 1 << 20 });
        QVERIFY(!tooLong);
        QCOMPARE(tooLong.error().code, Error::Code::TooLarge);
        QVERIFY2(tooLong.error().message.find("missing") != std::string::npos, tooLong.error().message.c_str());
        qInfo("%s", tooLong.error().message.c_str());
    }

    void overflowIsReported()
    {
        const QString data = QStringLiteral(QUIRE_TEST_DATA "/reference/");
        auto model = Model::load(QString(data + QStringLiteral("stories260K.gguf")).toStdString());
        QVERIFY(model);
        auto eval = m_backend->createContext(**model, { .nCtx = 8, .kvType = KvType::F16 });
        QVERIFY(eval);
        std::vector<float> logits;
        const std::vector<std::int32_t> tokens(9, 1);
        auto r = (*eval)->decode(tokens, LogitsMode::Last, logits);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::TooLarge);
        QCOMPARE((*eval)->length(), 0);
    }
};

QTEST_GUILESS_MAIN(VkBackendTest)
#include "vkbackendtest.moc"
