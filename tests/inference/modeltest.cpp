// The forward pass against llama.cpp's reference dumps (../shared/reference/README.md): last-position
// logits, the top-5 of every prompt position, teacher-forced greedy continuations, the 4096-token
// long-context run and stories260K's greedy story, each within the README's tolerances.
#include "inference/model.h"

#include "inference/backend.h"
#include "inference/gguffile.h"
#include "referencepack.h"

#include <QTest>
#include <algorithm>
#include <cmath>

using namespace quire::inference;
using namespace quire::testing;

namespace
{

struct Diff {
    float maxAbs = 0.0f;
    double rms = 0.0;
};

Diff compare(const float *ours, const std::vector<float> &ref)
{
    Diff d;
    double sq = 0.0;
    for (std::size_t i = 0; i < ref.size(); ++i) {
        const float e = std::fabs(ours[i] - ref[i]);
        d.maxAbs = std::max(d.maxAbs, e);
        sq += static_cast<double>(e) * e;
    }
    d.rms = std::sqrt(sq / static_cast<double>(ref.size()));
    return d;
}

int argmax(const float *v, int n)
{
    return static_cast<int>(std::max_element(v, v + n) - v);
}

std::unique_ptr<Model> loadModel(const QString &path)
{
    auto model = Model::load(path.toStdString());
    if (!model) {
        qWarning("%s", model.error().message.c_str());
        return nullptr;
    }
    return std::move(*model);
}

// A GGUF v3 with one string key and no tensors.
QByteArray ggufWithArchitecture(const QByteArray &arch)
{
    QByteArray b("GGUF");
    auto u32 = [&b](std::uint32_t v) { b.append(reinterpret_cast<const char *>(&v), 4); };
    auto u64 = [&b](std::uint64_t v) { b.append(reinterpret_cast<const char *>(&v), 8); };
    auto str = [&](const QByteArray &s) {
        u64(static_cast<std::uint64_t>(s.size()));
        b.append(s);
    };
    u32(3);
    u64(0);
    u64(1);
    str("general.architecture");
    u32(8);
    str(arch);
    return b;
}

} // namespace

class ModelTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Backend> m_backend = createCpuBackend({ 2 });

    void checkPrompt(const Model &model, const QString &prefix, float tolerance, float rmsLimit, KvType kv);
    void checkTeacherForced(EvalContext &ctx, const Model &model, const QString &prefix, float tolerance);

private Q_SLOTS:
    void hyperparameters();
    void refusesUnknownArchitecture();
    void stories260KGreedy();
    void referenceLogits_data();
    void referenceLogits();
    void longContext();
    void contextOverflow();
};

void ModelTest::hyperparameters()
{
    auto stories = loadModel(referenceFile(QStringLiteral("stories260K.gguf")));
    QVERIFY(stories);
    const HParams &hp = stories->hparams();
    QCOMPARE(hp.arch, Architecture::Llama);
    QCOMPARE(hp.nEmbd, 64);
    QCOMPARE(hp.nHead, 8);
    QCOMPARE(hp.nHeadKv, 4);
    QCOMPARE(hp.headDimK, 8);
    QCOMPARE(hp.nVocab, 512);
    QCOMPARE(hp.ropeFreqBase, 10000.0f); // no freq_base key: llama.cpp's default
    QCOMPARE(hp.ropeStyle, RopeStyle::Normal);
    QVERIFY(!hp.tiedOutput);

    const QString qwen3 = sharedModel(QStringLiteral("bpe-arch/qwen3-f16e.gguf"));
    if (qwen3.isEmpty())
        QSKIP("../shared/reference is absent: qwen3 hyperparameters not checked");
    auto q3 = loadModel(qwen3);
    QVERIFY(q3);
    QCOMPARE(q3->hparams().headDimK, 64); // key_length, not 128 / 4
    QCOMPARE(q3->hparams().ropeStyle, RopeStyle::NeoX);
    QVERIFY(q3->hparams().tiedOutput);
}

void ModelTest::refusesUnknownArchitecture()
{
    const QByteArray bytes = ggufWithArchitecture("mamba");
    auto file = GgufFile::fromMemory(
        { reinterpret_cast<const std::uint8_t *>(bytes.constData()), static_cast<std::size_t>(bytes.size()) });
    QVERIFY2(file, file ? "" : file.error().message.c_str());
    auto model = Model::fromGguf(std::move(*file));
    QVERIFY(!model);
    QCOMPARE(model.error().code, quire::Error::Code::Unsupported);
    QVERIFY(model.error().message.find("mamba") != std::string::npos);
}

void ModelTest::stories260KGreedy()
{
    auto model = loadModel(referenceFile(QStringLiteral("stories260K.gguf")));
    QVERIFY(model);
    auto ctx = m_backend->createContext(*model, { .nCtx = 512, .kvType = KvType::F32 });
    QVERIFY(ctx);
    const auto prompt = readTokens(referenceFile(QStringLiteral("stories260K.prompt_tokens.txt")));
    QCOMPARE(prompt, (std::vector<std::int32_t> { 1, 403, 407, 261, 378 }));
    std::vector<float> logits;
    QVERIFY((*ctx)->decode(prompt, LogitsMode::Last, logits));
    const Diff d = compare(logits.data(), readLogits(referenceFile(QStringLiteral("stories260K.logits_last.f32"))));
    qInfo("stories260K last-position logits: max abs diff %.3g", d.maxAbs);
    QVERIFY(d.maxAbs < 1e-3f);
    const auto greedy = readGreedy(referenceFile(QStringLiteral("stories260K.greedy.tsv")));
    QCOMPARE(greedy.size(), std::size_t(64));
    for (std::size_t step = 0; step < greedy.size(); ++step) {
        const int next = argmax(logits.data(), model->hparams().nVocab);
        QCOMPARE(next, greedy[step].id);
        const std::int32_t token = next;
        QVERIFY((*ctx)->decode({ &token, 1 }, LogitsMode::Last, logits));
    }
}

void ModelTest::referenceLogits_data()
{
    QTest::addColumn<QString>("gguf");
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<float>("tolerance");
    QTest::addColumn<float>("rmsLimit");
    QTest::addColumn<int>("kv");
    const int f32 = static_cast<int>(KvType::F32), f16 = static_cast<int>(KvType::F16);
    QTest::newRow("stories260K") << QString() << "stories260K" << 1e-3f << 1e-3f << f32;
    QTest::newRow("small-f16") << "llama-spm-small/small-f16.gguf"
                               << "small-f16" << 1e-2f << 5e-3f << f32;
    QTest::newRow("small-f16 kv f16") << "llama-spm-small/small-f16.gguf"
                                      << "small-f16" << 1e-2f << 5e-3f << f16;
    QTest::newRow("small-q4_0") << "llama-spm-small/small-q4_0.gguf"
                                << "small-q4_0" << 0.25f << 0.06f << f32;
    QTest::newRow("gqa-q4_k_m") << "llama-gqa-kquant/gqa-q4_k_m.gguf"
                                << "gqa-q4_k_m" << 0.25f << 0.06f << f32;
    QTest::newRow("gqa-q4_k_m kv q8_0") << "llama-gqa-kquant/gqa-q4_k_m.gguf"
                                        << "gqa-q4_k_m" << 0.25f << 0.06f << static_cast<int>(KvType::Q8_0);
    QTest::newRow("qwen2-f16e") << "bpe-arch/qwen2-f16e.gguf"
                                << "qwen2-f16e" << 1e-2f << 5e-3f << f32;
    QTest::newRow("qwen3-f16e") << "bpe-arch/qwen3-f16e.gguf"
                                << "qwen3-f16e" << 1e-2f << 5e-3f << f32;
}

void ModelTest::referenceLogits()
{
    QFETCH(QString, gguf);
    QFETCH(QString, prefix);
    QFETCH(float, tolerance);
    QFETCH(float, rmsLimit);
    QFETCH(int, kv);
    QString path = gguf.isEmpty() ? referenceFile(prefix + QStringLiteral(".gguf")) : sharedModel(gguf);
    if (path.isEmpty())
        QSKIP(qPrintable(QStringLiteral("../shared/reference/%1 is absent").arg(gguf)));
    auto model = loadModel(path);
    QVERIFY(model);
    checkPrompt(*model, prefix, tolerance, rmsLimit, static_cast<KvType>(kv));
}

void ModelTest::checkPrompt(const Model &model, const QString &prefix, float tolerance, float rmsLimit, KvType kv)
{
    auto ctx = m_backend->createContext(model, { .nCtx = 512, .kvType = kv });
    QVERIFY2(ctx, ctx ? "" : ctx.error().message.c_str());
    const auto prompt = readTokens(referenceFile(prefix + QStringLiteral(".prompt_tokens.txt")));
    QVERIFY(!prompt.empty());
    std::vector<float> logits;
    QVERIFY((*ctx)->decode(prompt, LogitsMode::All, logits));
    const int nVocab = model.hparams().nVocab;
    const float *last = logits.data() + (prompt.size() - 1) * static_cast<std::size_t>(nVocab);
    const Diff d = compare(last, readLogits(referenceFile(prefix + QStringLiteral(".logits_last.f32"))));
    float topDiff = 0.0f;
    for (const auto &[pos, top] : readPosTop5(referenceFile(prefix + QStringLiteral(".pos_top5.tsv")))) {
        const float *row = logits.data() + static_cast<std::size_t>(pos) * nVocab;
        for (const TopEntry &e : top)
            topDiff = std::max(topDiff, std::fabs(row[e.id] - e.logit));
        if (top[0].logit - top[1].logit > 2 * tolerance)
            QCOMPARE(argmax(row, nVocab), top[0].id);
    }
    qInfo("%s (kv %s): last-position max abs %.3g, rms %.3g; top-5 of all positions max abs %.3g",
        qPrintable(prefix),
        kvTypeName(kv),
        d.maxAbs,
        d.rms,
        topDiff);
    QVERIFY(d.maxAbs < tolerance);
    QVERIFY(d.rms < rmsLimit);
    QVERIFY(topDiff < tolerance);
    checkTeacherForced(**ctx, model, prefix, tolerance);
}

void ModelTest::checkTeacherForced(EvalContext &ctx, const Model &model, const QString &prefix, float tolerance)
{
    const auto greedy = readGreedy(referenceFile(prefix + QStringLiteral(".greedy.tsv")));
    QVERIFY(!greedy.empty());
    const int nVocab = model.hparams().nVocab;
    std::vector<float> logits;
    // Step 0 comes from the prompt, already checked; feed each reference token and compare what follows.
    float worst = 0.0f;
    for (std::size_t step = 1; step < greedy.size(); ++step) {
        const std::int32_t token = greedy[step - 1].id;
        QVERIFY(ctx.decode({ &token, 1 }, LogitsMode::Last, logits));
        const GreedyStep &g = greedy[step];
        worst = std::max({ worst, std::fabs(logits[g.id] - g.logit), std::fabs(logits[g.top2Id] - g.top2Logit) });
        if (g.logit - g.top2Logit > 2 * tolerance)
            QCOMPARE(argmax(logits.data(), nVocab), g.id);
    }
    qInfo("%s teacher-forced continuation: max abs diff %.3g over %zu steps",
        qPrintable(prefix),
        worst,
        greedy.size() - 1);
    QVERIFY(worst < tolerance);
}

void ModelTest::longContext()
{
    const QString path = sharedModel(QStringLiteral("llama-gqa-kquant/gqa-q4_k_m.gguf"));
    if (path.isEmpty())
        QSKIP("../shared/reference/llama-gqa-kquant/gqa-q4_k_m.gguf is absent");
    auto model = loadModel(path);
    QVERIFY(model);
    auto ctx = m_backend->createContext(*model, { .nCtx = 8192, .kvType = KvType::F32 });
    QVERIFY(ctx);
    const auto prompt = readTokens(referenceFile(QStringLiteral("long-gqa-q4_k_m.prompt_tokens.txt")));
    QCOMPARE(prompt.size(), std::size_t(4096));
    const auto top5 = readPosTop5(referenceFile(QStringLiteral("long-gqa-q4_k_m.pos_top5.tsv")));
    const int nVocab = model->hparams().nVocab;
    const float tolerance = 0.25f;
    std::vector<float> logits;
    float topDiff = 0.0f;
    // Positions 63, 127, ... 4095 are in the trimmed dump: evaluate 63 tokens silently, then one with logits.
    for (std::size_t begin = 0; begin < prompt.size(); begin += 64) {
        std::span<const std::int32_t> chunk(prompt.data() + begin, 64);
        QVERIFY((*ctx)->decode(chunk.first(63), LogitsMode::None, logits));
        QVERIFY((*ctx)->decode(chunk.subspan(63), LogitsMode::Last, logits));
        const auto it = top5.find(static_cast<int>(begin + 63));
        QVERIFY(it != top5.end());
        for (const TopEntry &e : it->second)
            topDiff = std::max(topDiff, std::fabs(logits[e.id] - e.logit));
        if (it->second[0].logit - it->second[1].logit > 2 * tolerance)
            QCOMPARE(argmax(logits.data(), nVocab), it->second[0].id);
    }
    const Diff d = compare(logits.data(), readLogits(referenceFile(QStringLiteral("long-gqa-q4_k_m.logits_last.f32"))));
    qInfo("long context (4096 tokens): last-position max abs %.3g, rms %.3g; sampled top-5 max abs %.3g",
        d.maxAbs,
        d.rms,
        topDiff);
    QVERIFY(d.maxAbs < tolerance);
    QVERIFY(d.rms < 0.06);
    QVERIFY(topDiff < tolerance);
    checkTeacherForced(**ctx, *model, QStringLiteral("long-gqa-q4_k_m"), tolerance);
}

void ModelTest::contextOverflow()
{
    auto model = loadModel(referenceFile(QStringLiteral("stories260K.gguf")));
    QVERIFY(model);
    auto ctx = m_backend->createContext(*model, { .nCtx = 8, .kvType = KvType::F16, .kvBlockTokens = 4 });
    QVERIFY(ctx);
    std::vector<std::int32_t> tokens(6, 300);
    std::vector<float> logits;
    QVERIFY((*ctx)->decode(tokens, LogitsMode::Last, logits));
    const auto overflow = (*ctx)->decode(tokens, LogitsMode::Last, logits);
    QVERIFY(!overflow);
    QCOMPARE(overflow.error().code, quire::Error::Code::TooLarge);
    QCOMPARE((*ctx)->length(), 6); // nothing was written
}

QTEST_GUILESS_MAIN(ModelTest)
#include "modeltest.moc"
