// KV-cache persistence ("read once, ask many") with the constructed recall model: a loaded prefix answers
// exactly as the uninterrupted context does, the cache reads the mapped file in place, and damaged or
// mismatched files (checksum, model, settings) are refused with a clear error.
#include "inference/kvsnapshot.h"

#include "inference/backend.h"
#include "inference/cpu/cpucontext.h"
#include "inference/generator.h"
#include "inference/hash64.h"
#include "inference/model.h"
#include "inference/recallmodel.h"
#include "inference/rulertasks.h"
#include "inference/tokenizer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cstring>

using namespace quire;
using namespace quire::inference;

Q_DECLARE_METATYPE(quire::inference::KvType)
Q_DECLARE_METATYPE(quire::inference::AttentionMode)

namespace
{

// Small enough that a 2K-token prefix is mostly "middle": the sparse path and its summaries matter.
ContextConfig config(KvType kv, AttentionMode mode)
{
    ContextConfig c;
    c.nCtx = 4096;
    c.kvType = kv;
    c.attention.mode = mode;
    c.attention.sinkTokens = 64;
    c.attention.windowTokens = 256;
    c.attention.blockTokens = 64;
    c.attention.topKTokens = 256;
    return c;
}

struct Recall {
    std::unique_ptr<Model> model;
    std::unique_ptr<Tokenizer> tokenizer;
};

} // namespace

class KvSnapshotTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Recall m_recall;
    Recall m_other; // same architecture, another rotary base: other weights
    std::unique_ptr<Backend> m_backend = createCpuBackend({ 2 });
    std::vector<std::int32_t> m_prefix; // haystack: BOS, statements and filler
    std::vector<std::pair<std::int32_t, std::int32_t>> m_needles; // key, value
    std::string m_saved; // sparse f16 snapshot of m_prefix

    Recall writeModel(const QString &name, float ropeBase)
    {
        const std::string path = m_dir.filePath(name).toStdString();
        RecallModelOptions o;
        o.contextLength = 8192;
        o.ropeFreqBase = ropeBase;
        if (auto ok = writeRecallModel(path, o); !ok)
            qFatal("%s", ok.error().message.c_str());
        auto model = Model::load(path);
        auto tokenizer = model ? Tokenizer::fromGguf((*model)->gguf()) : std::unexpected(model.error());
        if (!tokenizer)
            qFatal("%s", tokenizer.error().message.c_str());
        return { std::move(*model), std::move(*tokenizer) };
    }

    std::unique_ptr<EvalContext> context(const ContextConfig &c, const Model *model = nullptr)
    {
        auto ctx = m_backend->createContext(model ? *model : *m_recall.model, c);
        if (!ctx)
            qFatal("%s", ctx.error().message.c_str());
        return std::move(*ctx);
    }

    // Logits after the key token of needle i on a context holding exactly the prefix.
    std::vector<float> ask(EvalContext &ctx, std::size_t i)
    {
        std::vector<float> logits;
        ctx.truncate(static_cast<std::int32_t>(m_prefix.size()));
        if (auto ok = ctx.decode(std::span(&m_needles[i].first, 1), LogitsMode::Last, logits, nullptr); !ok)
            qFatal("%s", ok.error().message.c_str());
        return logits;
    }

    QString savedCopy(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QFile::remove(path);
        if (!QFile::copy(QString::fromStdString(m_saved), path))
            qFatal("cannot copy the snapshot");
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        return path;
    }

private Q_SLOTS:
    void initTestCase();
    void hash64Vectors_data();
    void hash64Vectors();
    void roundTrip_data();
    void roundTrip();
    void sameStateSameFile();
    void asksMany();
    void refusesDamaged_data();
    void refusesDamaged();
    void refusesMismatch_data();
    void refusesMismatch();
};

void KvSnapshotTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_recall = writeModel(QStringLiteral("recall.gguf"), 10000.0f);
    m_other = writeModel(QStringLiteral("other.gguf"), 20000.0f);
    RulerOptions o;
    o.length = 2049;
    o.needles = 6;
    o.seed = 11;
    const RulerSample sample = makeRulerSample(RulerTask::MultiKeyNeedle, o);
    m_prefix.assign(sample.prompt.begin(), sample.prompt.end() - 1);
    for (std::size_t i = 1; i + 2 < m_prefix.size(); ++i) {
        if (m_prefix[i + 2] == RecallVocab::kDot)
            m_needles.emplace_back(m_prefix[i], m_prefix[i + 1]);
    }
    QCOMPARE(m_needles.size(), std::size_t(6));
    auto ctx = context(config(KvType::F16, AttentionMode::Sparse));
    Generator g(*m_recall.model, *m_recall.tokenizer, *ctx);
    QVERIFY(g.evaluate(m_prefix));
    m_saved = m_dir.filePath(QStringLiteral("saved.kv")).toStdString();
    auto ok = g.savePrefix(m_saved);
    QVERIFY2(ok, ok ? "" : ok.error().message.c_str());
}

void KvSnapshotTest::hash64Vectors_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<quint64>("expected");
    // Published XXH64 answers: lengths below 4, 4..7, 8..31, one 32-byte stripe and beyond.
    QTest::newRow("empty") << quint64(0) << QByteArray() << quint64(0xef46db3751d8e999ULL);
    QTest::newRow("a") << quint64(0) << QByteArray("a") << quint64(0xd24ec4f1a98c6e5bULL);
    QTest::newRow("abc") << quint64(0) << QByteArray("abc") << quint64(0x44bc2cf5ad770999ULL);
    QTest::newRow("8") << quint64(0) << QByteArray("12345678") << quint64(0xd2d02f08cf7cfd4aULL);
    QTest::newRow("31") << quint64(0) << QByteArray("1234567890123456789012345678901")
                        << quint64(0x8f367cb873a5376eULL);
    QTest::newRow("fox") << quint64(0) << QByteArray("The quick brown fox jumps over the lazy dog")
                         << quint64(0x0b242d361fda71bcULL);
    QTest::newRow("seed 32") << quint64(5381) << QByteArray("12345678901234567890123456789012")
                             << quint64(0x38ea26e7c55f8095ULL);
}

void KvSnapshotTest::hash64Vectors()
{
    QFETCH(quint64, seed);
    QFETCH(QByteArray, data);
    QFETCH(quint64, expected);
    QCOMPARE(
        quint64(hash64(std::string_view(data.constData(), static_cast<std::size_t>(data.size())), seed)), expected);
}

void KvSnapshotTest::roundTrip_data()
{
    QTest::addColumn<KvType>("kv");
    QTest::addColumn<AttentionMode>("mode");
    QTest::newRow("f16 sparse") << KvType::F16 << AttentionMode::Sparse;
    QTest::newRow("q8_0 sparse") << KvType::Q8_0 << AttentionMode::Sparse;
    QTest::newRow("f32 dense") << KvType::F32 << AttentionMode::Dense;
    QTest::newRow("f16 auto (dense at this length)") << KvType::F16 << AttentionMode::Auto;
}

// Prefix evaluated, saved, then every needle asked: a fresh context that loads the file gives the same
// logits bit for bit, and a cache that read the file in place copies only the block it writes to.
void KvSnapshotTest::roundTrip()
{
    QFETCH(KvType, kv);
    QFETCH(AttentionMode, mode);
    const ContextConfig c = config(kv, mode);
    const std::string path = m_dir.filePath(QStringLiteral("roundtrip.kv")).toStdString();
    auto original = context(c);
    Generator first(*m_recall.model, *m_recall.tokenizer, *original);
    QVERIFY(first.evaluate(m_prefix));
    auto saved = first.savePrefix(path);
    QVERIFY2(saved, saved ? "" : saved.error().message.c_str());

    auto loaded = context(c);
    Generator second(*m_recall.model, *m_recall.tokenizer, *loaded);
    auto ok = second.loadPrefix(path);
    QVERIFY2(ok, ok ? "" : ok.error().message.c_str());
    QCOMPARE(second.history(), m_prefix);
    QCOMPARE(loaded->length(), static_cast<std::int32_t>(m_prefix.size()));
    const KvCache &cache = static_cast<cpu::CpuContext &>(*loaded).cache();
    QCOMPARE(cache.bytesBorrowed(), cache.bytesAllocated());
    for (std::size_t i = 0; i < m_needles.size(); ++i) {
        const std::vector<float> a = ask(*original, i);
        const std::vector<float> b = ask(*loaded, i);
        QCOMPARE(a.size(), b.size());
        QVERIFY(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
        QCOMPARE(std::max_element(b.begin(), b.end()) - b.begin(), std::ptrdiff_t(m_needles[i].second));
    }
    // Only the partly filled last block was written to (copied); the rest is still read from the file.
    QCOMPARE(cache.bytesBorrowed(), cache.bytesAllocated() - cache.blockBytes());
}

void KvSnapshotTest::sameStateSameFile()
{
    const std::string path = m_dir.filePath(QStringLiteral("again.kv")).toStdString();
    auto ctx = context(config(KvType::F16, AttentionMode::Sparse));
    Generator g(*m_recall.model, *m_recall.tokenizer, *ctx);
    QVERIFY(g.loadPrefix(m_saved));
    // A longer sequence left rows past the prefix in the last block and widened its block summaries:
    // truncating back to the saved prefix restores them, and the file does not depend on stale rows.
    std::vector<float> logits;
    QVERIFY(ctx->decode(std::span(&m_needles[0].first, 1), LogitsMode::None, logits, nullptr));
    QVERIFY(g.savePrefix(path));
    QFile a(QString::fromStdString(m_saved)), b(QString::fromStdString(path));
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QVERIFY(a.readAll() == b.readAll());
}

// One loaded prefix, several questions through the Generator: each evaluates only its own tokens.
void KvSnapshotTest::asksMany()
{
    auto ctx = context(config(KvType::F16, AttentionMode::Sparse));
    Generator g(*m_recall.model, *m_recall.tokenizer, *ctx);
    QVERIFY(g.loadPrefix(m_saved));
    GenerationSettings s;
    s.maxTokens = 1;
    s.sampling.temperature = 0.0f;
    for (const auto &[key, value] : m_needles) {
        std::vector<std::int32_t> prompt = m_prefix;
        prompt.push_back(key);
        std::string answer;
        auto stats = g.generateFromTokens(prompt, s, [&](std::string_view piece) {
            answer += piece;
            return true;
        });
        QVERIFY2(stats, stats ? "" : stats.error().message.c_str());
        QCOMPARE(stats->promptTokens, 1);
        QCOMPARE(stats->reusedTokens, static_cast<int>(m_prefix.size()));
        QCOMPARE(
            QString::fromStdString(answer), QString::fromStdString(m_recall.tokenizer->tokenToPiece(value, false)));
    }
}

void KvSnapshotTest::refusesDamaged_data()
{
    QTest::addColumn<QString>("damage");
    QTest::addColumn<int>("code");
    QTest::newRow("truncated") << QStringLiteral("truncate") << int(Error::Code::Corrupt);
    QTest::newRow("block byte") << QStringLiteral("block") << int(Error::Code::Corrupt);
    QTest::newRow("token byte") << QStringLiteral("token") << int(Error::Code::Corrupt);
    QTest::newRow("header byte") << QStringLiteral("header") << int(Error::Code::Corrupt);
    QTest::newRow("not a KV file") << QStringLiteral("text") << int(Error::Code::Corrupt);
    QTest::newRow("missing") << QStringLiteral("missing") << int(Error::Code::NotFound);
}

void KvSnapshotTest::refusesDamaged()
{
    QFETCH(QString, damage);
    QFETCH(int, code);
    const QString path = savedCopy(QStringLiteral("damaged.kv"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    const qint64 size = f.size();
    auto flip = [&f](qint64 at) {
        f.seek(at);
        char c = 0;
        f.getChar(&c);
        f.seek(at);
        f.putChar(static_cast<char>(c ^ 0x10));
    };
    if (damage == QLatin1String("truncate"))
        f.resize(size - 4096);
    else if (damage == QLatin1String("block"))
        flip(size - 100000);
    else if (damage == QLatin1String("token"))
        flip(256 + 40);
    else if (damage == QLatin1String("header"))
        flip(100);
    else if (damage == QLatin1String("text"))
        f.resize(0), f.write(QByteArray(4096, 'x'));
    else
        f.remove();
    f.close();

    auto ctx = context(config(KvType::F16, AttentionMode::Sparse));
    Generator g(*m_recall.model, *m_recall.tokenizer, *ctx);
    auto ok = g.loadPrefix(path.toStdString());
    QVERIFY(!ok);
    QCOMPARE(int(ok.error().code), code);
    QVERIFY(ok.error().message.find("damaged.kv") != std::string::npos);
    qInfo("%s", ok.error().message.c_str());
    QCOMPARE(ctx->length(), 0);
    QVERIFY(g.history().empty());
}

void KvSnapshotTest::refusesMismatch_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("said");
    QTest::newRow("other model") << QStringLiteral("model") << QStringLiteral("another model");
    QTest::newRow("kv type") << QStringLiteral("kv") << QStringLiteral("q8_0 KV");
    QTest::newRow("top-k") << QStringLiteral("topk") << QStringLiteral("top-k 512");
    QTest::newRow("dense") << QStringLiteral("dense") << QStringLiteral("attention dense");
    QTest::newRow("micro-batch") << QStringLiteral("batch") << QStringLiteral("micro-batch 64");
    QTest::newRow("context too small") << QStringLiteral("small") << QStringLiteral("larger context");
}

void KvSnapshotTest::refusesMismatch()
{
    QFETCH(QString, change);
    QFETCH(QString, said);
    ContextConfig c = config(KvType::F16, AttentionMode::Sparse);
    const Model *model = m_recall.model.get();
    if (change == QLatin1String("model"))
        model = m_other.model.get();
    else if (change == QLatin1String("kv"))
        c.kvType = KvType::Q8_0;
    else if (change == QLatin1String("topk"))
        c.attention.topKTokens = 512;
    else if (change == QLatin1String("dense"))
        c.attention.mode = AttentionMode::Dense;
    else if (change == QLatin1String("batch"))
        c.microBatch = 64;
    else
        c.nCtx = 1024;
    auto ctx = context(c, model);
    auto tokens = ctx->loadPrefix(m_saved);
    QVERIFY(!tokens);
    qInfo("%s", tokens.error().message.c_str());
    QVERIFY2(tokens.error().message.find(said.toStdString()) != std::string::npos, tokens.error().message.c_str());
    QCOMPARE(ctx->length(), 0);
}

QTEST_GUILESS_MAIN(KvSnapshotTest)
#include "kvsnapshottest.moc"
