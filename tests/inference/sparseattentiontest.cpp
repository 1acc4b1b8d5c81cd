// Sparse attention against dense attention: with a window (or top-k) covering the whole context the
// two are the same computation; Quest's min/max summary really bounds q.k; the selection is
// deterministic and always holds the sinks and the recent window.
#include "inference/sparseattention.h"

#include "inference/cpu/attention.h"
#include "inference/cpu/kernels.h"
#include "inference/cpu/sparseattend.h"
#include "inference/cpu/threadpool.h"
#include "inference/kvcache.h"

#include <QTest>
#include <cmath>
#include <random>

using namespace quire::inference;
using namespace quire::inference::cpu;

Q_DECLARE_METATYPE(quire::inference::KvType)

namespace
{

// A filled KV cache, its block summaries and matching queries.
struct Fixture {
    HParams hp;
    std::unique_ptr<KvCache> cache;
    std::unique_ptr<SparseAttender> sparse;
    std::vector<float> keys; // [length][nHeadKv * hd] as appended (before KV encoding)
    std::vector<float> queries; // [length][nHead * hd]
    AttentionShape shape;

    Fixture(KvType type, int length, int nHead, int nHeadKv, const SparseAttentionSettings &settings, int kvBlock = 256)
    {
        hp.nLayer = 1;
        hp.nHead = nHead;
        hp.nHeadKv = nHeadKv;
        hp.headDimK = hp.headDimV = 64;
        KvCacheConfig c { 1, nHeadKv, 64, 64, length, kvBlock, type };
        cache = std::move(*KvCache::create(c));
        QVERIFY(cache->reserve(length).has_value());
        cache->setLength(length);
        std::mt19937 rng(42);
        std::normal_distribution<float> dist(0.f, 1.f);
        const int kw = nHeadKv * 64;
        keys.resize(static_cast<std::size_t>(length) * kw);
        queries.resize(static_cast<std::size_t>(length) * nHead * 64);
        for (float &x : keys)
            x = dist(rng);
        for (float &x : queries)
            x = dist(rng);
        std::vector<float> value(64);
        const KernelSet &ks = kernels();
        const QuantizeFn enc = ks.quantize[static_cast<int>(type == KvType::F32 ? ActFormat::F32
                : type == KvType::F16                                           ? ActFormat::F16
                                                                                : ActFormat::Q8_0)];
        for (int p = 0; p < length; ++p) {
            for (int h = 0; h < nHeadKv; ++h) {
                for (float &x : value)
                    x = dist(rng);
                enc(&keys[static_cast<std::size_t>(p) * kw + h * 64], cache->keyRow(0, h, p), 64);
                enc(value.data(), cache->valueRow(0, h, p), 64);
            }
        }
        sparse = std::make_unique<SparseAttender>(settings, hp, 1);
        sparse->appendKeys(0, 0, length, keys.data(), static_cast<std::size_t>(kw));
        shape = { 64, 64, kvBlock, type, cache->keyRowBytes(), cache->valueRowBytes(), 0.125f };
    }

    std::vector<float> dense(int pos)
    {
        std::vector<KvBlockView> blocks;
        for (std::int32_t b = 0; b < cache->blockCount(); ++b)
            blocks.push_back(cache->block(0, b));
        std::vector<float> out(static_cast<std::size_t>(hp.nHead) * 64),
            scratch(static_cast<std::size_t>(shape.blockTokens));
        for (int h = 0; h < hp.nHead; ++h) {
            attendHead(kernels(),
                shape,
                &queries[(static_cast<std::size_t>(pos) * hp.nHead + h) * 64],
                h / hp.gqaRatio(),
                blocks,
                pos,
                &out[static_cast<std::size_t>(h) * 64],
                scratch.data());
        }
        return out;
    }

    std::vector<float> sparseAt(int pos)
    {
        ThreadPool pool(1);
        std::vector<float> out(static_cast<std::size_t>(hp.nHead) * 64);
        const std::size_t qw = static_cast<std::size_t>(hp.nHead) * 64;
        sparse->attend(pool, kernels(), shape, *cache, 0, &queries[pos * qw], qw, 1, pos, out.data(), qw);
        return out;
    }
};

float maxDiff(const std::vector<float> &a, const std::vector<float> &b)
{
    float d = 0.f;
    for (std::size_t i = 0; i < a.size(); ++i)
        d = std::max(d, std::abs(a[i] - b[i]));
    return d;
}

} // namespace

class SparseAttentionTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void coveringWindowEqualsDense_data()
    {
        QTest::addColumn<KvType>("type");
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("nHead");
        QTest::addColumn<int>("nHeadKv");
        QTest::addColumn<bool>("byTopK"); // cover the context with top-k blocks instead of the window
        QTest::newRow("f32 gqa4 1000") << KvType::F32 << 1000 << 8 << 2 << false;
        QTest::newRow("f16 gqa2 777") << KvType::F16 << 777 << 4 << 2 << false;
        QTest::newRow("q8 mha 600") << KvType::Q8_0 << 600 << 2 << 2 << false;
        QTest::newRow("f16 topk 1500") << KvType::F16 << 1500 << 4 << 1 << true;
        QTest::newRow("f32 topk 2049") << KvType::F32 << 2049 << 4 << 2 << true;
    }
    void coveringWindowEqualsDense()
    {
        QFETCH(KvType, type);
        QFETCH(int, length);
        QFETCH(int, nHead);
        QFETCH(int, nHeadKv);
        QFETCH(bool, byTopK);
        SparseAttentionSettings s;
        s.mode = AttentionMode::Sparse;
        s.sinkTokens = 64;
        s.windowTokens = byTopK ? 64 : length;
        s.topKTokens = byTopK ? length : 128;
        Fixture f(type, length, nHead, nHeadKv, s);
        for (int pos : { 0, 63, 64, length / 2, length - 1 }) {
            const float d = maxDiff(f.dense(pos), f.sparseAt(pos));
            QVERIFY2(d <= 1e-6f, qPrintable(QStringLiteral("pos %1: %2").arg(pos).arg(d)));
        }
    }

    // Prefill: chunks of queries share a selection, each query still reads up to its own position.
    void chunkedPrefillEqualsDense()
    {
        SparseAttentionSettings s;
        s.mode = AttentionMode::Sparse;
        s.windowTokens = 700;
        s.topKTokens = 0;
        Fixture f(KvType::F16, 700, 4, 2, s);
        ThreadPool pool(2);
        const std::size_t w = 4 * 64;
        std::vector<float> out(700 * w);
        f.sparse->attend(pool, kernels(), f.shape, *f.cache, 0, f.queries.data(), w, 700, 0, out.data(), w);
        for (int pos : { 0, 1, 63, 64, 200, 698, 699 }) {
            const std::vector<float> row(out.begin() + static_cast<std::ptrdiff_t>(pos * w),
                out.begin() + static_cast<std::ptrdiff_t>((pos + 1) * w));
            QVERIFY2(maxDiff(f.dense(pos), row) <= 1e-6f, qPrintable(QString::number(pos)));
        }
    }

    void questBoundsDotProducts_data()
    {
        QTest::addColumn<int>("groupSize");
        QTest::newRow("1 head") << 1;
        QTest::newRow("4 heads") << 4;
    }
    void questBoundsDotProducts()
    {
        QFETCH(int, groupSize);
        SparseAttentionSettings s;
        Fixture f(KvType::F32, 1024, groupSize * 2, 2, s);
        const KeySummaries &sum = f.sparse->summaries();
        QCOMPARE(sum.blockCount(0), 1024 / s.blockTokens);
        for (int qpos : { 5, 500, 1000 }) {
            for (int g = 0; g < 2; ++g) {
                const float *q = &f.queries[(static_cast<std::size_t>(qpos) * groupSize * 2 + g * groupSize) * 64];
                for (std::int32_t b = 0; b < sum.blockCount(0); ++b) {
                    const float bound = blockScore(BlockSummaryKind::MinMax, sum, 0, g, b, q, groupSize);
                    float best = -1e30f;
                    double mean = 0.0;
                    for (int p = b * s.blockTokens; p < (b + 1) * s.blockTokens; ++p) {
                        float dot = 0.f;
                        for (int h = 0; h < groupSize; ++h)
                            for (int d = 0; d < 64; ++d)
                                dot += q[h * 64 + d] * f.keys[(static_cast<std::size_t>(p) * 2 + g) * 64 + d];
                        best = std::max(best, dot);
                        mean += dot / s.blockTokens;
                    }
                    QVERIFY2(bound >= best - 1e-3f,
                        qPrintable(QStringLiteral("block %1: %2 < %3").arg(b).arg(bound).arg(best)));
                    QVERIFY(std::abs(blockScore(BlockSummaryKind::Mean, sum, 0, g, b, q, groupSize) - mean) < 1e-2);
                }
            }
        }
    }

    void selectionIsDeterministic()
    {
        SparseAttentionSettings s;
        s.mode = AttentionMode::Sparse;
        s.sinkTokens = 64;
        s.windowTokens = 256;
        s.topKTokens = 256;
        Fixture f(KvType::F16, 4096, 4, 2, s);
        std::vector<float> zeros(2 * 64, 0.f); // every block ties: the later blocks win
        for (const float *q : { static_cast<const float *>(f.queries.data() + 4095 * 4 * 64),
                 static_cast<const float *>(zeros.data()) }) {
            BlockSelector a, b;
            std::vector<PositionRange> ra, rb;
            a.select(s, f.sparse->summaries(), 0, 1, q, 2, 4095, ra);
            b.select(s, f.sparse->summaries(), 0, 1, q, 2, 4095, rb);
            QCOMPARE(ra.size(), rb.size());
            for (std::size_t i = 0; i < ra.size(); ++i) {
                QCOMPARE(ra[i].first, rb[i].first);
                QCOMPARE(ra[i].count, rb[i].count);
            }
            QCOMPARE(ra.front().first, 0); // sinks
            QCOMPARE(ra.back().first + ra.back().count, 4096); // window ends at the query
            QCOMPARE(rangePositions(ra), 64 + 256 + 256);
        }
        BlockSelector tie;
        std::vector<PositionRange> r;
        tie.select(s, f.sparse->summaries(), 0, 0, zeros.data(), 2, 4095, r);
        QCOMPARE(r.size(), std::size_t(2));
        QCOMPARE(r.back().first, 4096 - 256 - 256);
    }

    void findsPlantedKey()
    {
        SparseAttentionSettings s;
        s.mode = AttentionMode::Sparse;
        s.windowTokens = 128;
        s.topKTokens = 128;
        Fixture f(KvType::F16, 8192, 2, 1, s);
        // A key at position 3000 equal to 4x the query of head 0 at position 8191 dominates its softmax.
        const float *q = &f.queries[static_cast<std::size_t>(8191) * 2 * 64];
        std::vector<float> key(q, q + 64);
        for (float &x : key)
            x *= 4.f;
        kernels().quantize[static_cast<int>(ActFormat::F16)](key.data(), f.cache->keyRow(0, 0, 3000), 64);
        std::copy(key.begin(), key.end(), &f.keys[3000 * 64]);
        f.sparse->truncate(0);
        f.sparse->appendKeys(0, 0, 8192, f.keys.data(), 64);
        const std::vector<float> dense = f.dense(8191), sparse = f.sparseAt(8191);
        const std::vector<float> head0d(dense.begin(), dense.begin() + 64), head0s(sparse.begin(), sparse.begin() + 64);
        QVERIFY2(maxDiff(head0d, head0s) < 1e-3f, qPrintable(QString::number(maxDiff(head0d, head0s))));
        const SparseStats st = f.sparse->stats();
        QCOMPARE(st.positionsRead, 64 + 128 + 128);
    }

    void settingsValidate()
    {
        SparseAttentionSettings s;
        QVERIFY(s.validate(256).has_value());
        s.blockTokens = 96;
        QVERIFY(!s.validate(256).has_value());
        QVERIFY(!s.isSparse(0, 1000));
        s.mode = AttentionMode::Auto;
        QVERIFY(s.isSparse(0, 40000));
        s.denseFirstLayers = 1;
        QVERIFY(!s.isSparse(0, 40000));
        QCOMPARE(parseAttentionMode("sparse"), std::optional(AttentionMode::Sparse));
        QVERIFY(!parseAttentionMode("fast"));
    }
};

QTEST_GUILESS_MAIN(SparseAttentionTest)
#include "sparseattentiontest.moc"
