// Every CPU kernel against a dequantise-then-float reference: the integer dot products of each weight
// type with its activation encoding, on every instruction set this CPU has; activation quantisers;
// flash attention against a plain softmax; the paged KV cache.
#include "inference/cpu/attention.h"
#include "inference/cpu/halfconv.h"
#include "inference/cpu/kernels.h"
#include "inference/kvcache.h"
#include "inference/quants.h"

#include <QTest>
#include <cmath>
#include <random>

using namespace quire::inference;
using namespace quire::inference::cpu;

namespace
{

std::vector<float> randomFloats(std::size_t n, std::uint32_t seed, float scale = 1.0f)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.0f, scale);
    std::vector<float> v(n);
    for (float &x : v)
        x = dist(rng);
    return v;
}

// Decodes an activation row back to floats (the values the integer kernels really multiply).
std::vector<float> decodeActivation(ActFormat f, const std::uint8_t *row, int k)
{
    std::vector<float> out(static_cast<std::size_t>(k));
    for (int i = 0; i < k; ++i) {
        switch (f) {
        case ActFormat::F32:
            out[i] = reinterpret_cast<const float *>(row)[i];
            break;
        case ActFormat::F16:
            out[i] = halfToFloat(reinterpret_cast<const std::uint16_t *>(row)[i]);
            break;
        case ActFormat::BF16:
            out[i] = bf16ToFloat(reinterpret_cast<const std::uint16_t *>(row)[i]);
            break;
        case ActFormat::Q8_0: {
            const auto &b = reinterpret_cast<const BlockQ8_0 *>(row)[i / 32];
            out[i] = halfToFloat(b.d) * b.qs[i % 32];
            break;
        }
        case ActFormat::Q8_1: {
            const auto &b = reinterpret_cast<const BlockQ8_1 *>(row)[i / 32];
            out[i] = halfToFloat(b.d) * b.qs[i % 32];
            break;
        }
        case ActFormat::Q8_K: {
            const auto &b = reinterpret_cast<const BlockQ8_K *>(row)[i / 256];
            out[i] = b.d * b.qs[i % 256];
            break;
        }
        }
    }
    return out;
}

std::vector<const KernelSet *> availableSets()
{
    std::vector<const KernelSet *> sets;
    for (const char *isa : { "scalar", "avx2", "avx512" }) {
        if (const KernelSet *s = kernelsFor(isa))
            sets.push_back(s);
    }
    return sets;
}

} // namespace

class CpuKernelsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gemm_data();
    void gemm();
    void quantizersAgree_data();
    void quantizersAgree();
    void simdCoversEveryType();
    void swiglu_data();
    void swiglu();
    void attention_data();
    void attention();
    void kvCachePaging();
};

void CpuKernelsTest::gemm_data()
{
    QTest::addColumn<int>("type");
    for (GgmlType t : { GgmlType::F32,
             GgmlType::F16,
             GgmlType::BF16,
             GgmlType::Q4_0,
             GgmlType::Q4_1,
             GgmlType::Q5_0,
             GgmlType::Q5_1,
             GgmlType::Q8_0,
             GgmlType::Q4_K,
             GgmlType::Q5_K,
             GgmlType::Q6_K })
        QTest::newRow(std::string(ggmlTypeTraits(t).name).c_str()) << static_cast<int>(t);
}

void CpuKernelsTest::gemm()
{
    QFETCH(int, type);
    const auto t = static_cast<GgmlType>(type);
    // An odd number of 32-value blocks exercises the tail paths of the paired kernels.
    const int k = ggmlTypeTraits(t).blockSize == QK_K ? 768 : 800, rows = 19, cols = 11;
    const std::size_t wRow = weightRowBytes(t, k);
    std::vector<std::uint8_t> w(wRow * rows);
    const auto wf = randomFloats(static_cast<std::size_t>(k) * rows, 11);
    for (int r = 0; r < rows; ++r)
        QVERIFY(quantizeRow(t, &wf[static_cast<std::size_t>(r) * k], &w[r * wRow], k));
    std::vector<float> wDeq(static_cast<std::size_t>(k) * rows);
    for (int r = 0; r < rows; ++r) {
        QVERIFY(quire::inference::dequantizeRow(t, &w[r * wRow], &wDeq[static_cast<std::size_t>(r) * k], k));
        // Our own dequantiser (embedding lookup) must agree with the reference one.
        std::vector<float> ours(static_cast<std::size_t>(k));
        cpu::dequantizeRow(t, &w[r * wRow], ours.data(), k);
        for (int i = 0; i < k; ++i)
            QCOMPARE(ours[i], wDeq[static_cast<std::size_t>(r) * k + i]);
    }
    const auto af = randomFloats(static_cast<std::size_t>(k) * cols, 12, 3.0f);
    const ActFormat format = activationFormat(t);
    const std::size_t aRow = activationRowBytes(format, k);
    for (const KernelSet *ks : availableSets()) {
        std::vector<std::uint8_t> a(aRow * cols);
        for (int c = 0; c < cols; ++c)
            ks->quantize[static_cast<int>(format)](&af[static_cast<std::size_t>(c) * k], &a[c * aRow], k);
        std::vector<float> y(static_cast<std::size_t>(rows) * cols, -1.0f);
        ks->gemm[static_cast<int>(weightSlot(t))](k, w.data(), wRow, rows, a.data(), aRow, cols, y.data(), rows);
        for (int c = 0; c < cols; ++c) {
            const auto act = decodeActivation(format, &a[c * aRow], k);
            for (int r = 0; r < rows; ++r) {
                double ref = 0.0, mag = 0.0;
                for (int i = 0; i < k; ++i) {
                    const double p = static_cast<double>(wDeq[static_cast<std::size_t>(r) * k + i]) * act[i];
                    ref += p;
                    mag += std::fabs(p);
                }
                const double err = std::fabs(y[static_cast<std::size_t>(c) * rows + r] - ref);
                if (err > 1e-4 * mag + 1e-4)
                    QFAIL(qPrintable(QStringLiteral("%1: row %2 col %3: %4 against %5")
                                         .arg(QString::fromLatin1(ks->isa.data(), ks->isa.size()))
                                         .arg(r)
                                         .arg(c)
                                         .arg(y[static_cast<std::size_t>(c) * rows + r])
                                         .arg(ref)));
            }
        }
    }
}

void CpuKernelsTest::quantizersAgree_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("q8_0") << static_cast<int>(ActFormat::Q8_0);
    QTest::newRow("q8_1") << static_cast<int>(ActFormat::Q8_1);
    QTest::newRow("q8_K") << static_cast<int>(ActFormat::Q8_K);
    QTest::newRow("f16") << static_cast<int>(ActFormat::F16);
    QTest::newRow("bf16") << static_cast<int>(ActFormat::BF16);
}

void CpuKernelsTest::quantizersAgree()
{
    QFETCH(int, format);
    const auto f = static_cast<ActFormat>(format);
    const int k = 1024;
    const auto x = randomFloats(k, 5, 2.0f);
    const std::size_t bytes = activationRowBytes(f, k);
    std::vector<std::uint8_t> ref(bytes);
    scalarKernels().quantize[format](x.data(), ref.data(), k);
    const auto refValues = decodeActivation(f, ref.data(), k);
    for (const KernelSet *ks : availableSets()) {
        std::vector<std::uint8_t> out(bytes);
        ks->quantize[format](x.data(), out.data(), k);
        const auto values = decodeActivation(f, out.data(), k);
        for (int i = 0; i < k; ++i) {
            // Rounding ties may go either way: one quantisation step at most.
            QVERIFY2(
                std::fabs(values[i] - refValues[i]) <= std::fabs(x[i]) * 1e-3f + 2.0f / 127.0f * 8.0f, ks->isa.data());
        }
        if (f == ActFormat::Q8_K) {
            const auto *b = reinterpret_cast<const BlockQ8_K *>(out.data());
            for (int blk = 0; blk < k / 256; ++blk)
                for (int g = 0; g < 16; ++g) {
                    int sum = 0;
                    for (int j = 0; j < 16; ++j)
                        sum += b[blk].qs[g * 16 + j];
                    QCOMPARE(int(b[blk].bsums[g]), sum);
                }
        }
    }
}

void CpuKernelsTest::simdCoversEveryType()
{
    // Every weight type and activation encoding has a kernel of its own in each SIMD set: none falls back
    // to the scalar loop.
    const KernelSet &scalar = scalarKernels();
    for (const KernelSet *ks : availableSets()) {
        if (ks == &scalar)
            continue;
        for (int slot = 0; slot < kWeightSlotCount; ++slot)
            QVERIFY2(ks->gemm[slot] != scalar.gemm[slot],
                qPrintable(QStringLiteral("%1: weight slot %2").arg(ks->isa.data()).arg(slot)));
        for (int f = static_cast<int>(ActFormat::F16); f < kActFormatCount; ++f)
            QVERIFY2(ks->quantize[f] != scalar.quantize[f],
                qPrintable(QStringLiteral("%1: activation format %2").arg(ks->isa.data()).arg(f)));
        QVERIFY(ks->swiglu != scalar.swiglu);
    }
}

void CpuKernelsTest::swiglu_data()
{
    QTest::addColumn<int>("n");
    QTest::newRow("768") << 768;
    QTest::newRow("odd tail") << 37;
}

void CpuKernelsTest::swiglu()
{
    QFETCH(int, n);
    // Gates over the whole useful range, including where exp(-g) would overflow a naive formula.
    auto gate = randomFloats(static_cast<std::size_t>(n), 21, 8.0f);
    gate[0] = -120.0f;
    gate[1] = 95.0f;
    gate[2] = 0.0f;
    const auto up = randomFloats(static_cast<std::size_t>(n), 22);
    for (const KernelSet *ks : availableSets()) {
        std::vector<float> out(gate);
        ks->swiglu(out.data(), up.data(), out.data(), n); // in place, as the forward pass uses it
        for (int i = 0; i < n; ++i) {
            const double g = gate[i];
            const double ref = g / (1.0 + std::exp(-g)) * up[i];
            QVERIFY2(std::fabs(out[i] - ref) <= 1e-6 * std::fabs(ref) + 1e-30,
                qPrintable(
                    QStringLiteral("%1: gate %2: %3 against %4").arg(ks->isa.data()).arg(g).arg(out[i]).arg(ref)));
        }
    }
}

void CpuKernelsTest::attention_data()
{
    QTest::addColumn<int>("kv");
    QTest::addColumn<int>("headDim");
    QTest::addColumn<float>("tolerance");
    QTest::newRow("f32 hd64") << static_cast<int>(KvType::F32) << 64 << 1e-5f;
    QTest::newRow("f32 hd8") << static_cast<int>(KvType::F32) << 8 << 1e-5f;
    QTest::newRow("f16 hd48") << static_cast<int>(KvType::F16) << 48 << 2e-3f;
    QTest::newRow("q8_0 hd64") << static_cast<int>(KvType::Q8_0) << 64 << 3e-2f;
}

void CpuKernelsTest::attention()
{
    QFETCH(int, kv);
    QFETCH(int, headDim);
    QFETCH(float, tolerance);
    const int nHeadKv = 2, n = 300, blockTokens = 64;
    auto cache = KvCache::create({ .nLayer = 1,
        .nHeadKv = nHeadKv,
        .headDimK = headDim,
        .headDimV = headDim,
        .capacity = 1024,
        .blockTokens = blockTokens,
        .type = static_cast<KvType>(kv) });
    QVERIFY(cache);
    KvCache &c = **cache;
    QVERIFY(c.reserve(n));
    const auto keys = randomFloats(static_cast<std::size_t>(n) * nHeadKv * headDim, 1);
    const auto values = randomFloats(static_cast<std::size_t>(n) * nHeadKv * headDim, 2);
    const int fmt = kv == 0 ? int(ActFormat::F32) : kv == 1 ? int(ActFormat::F16) : int(ActFormat::Q8_0);
    for (int p = 0; p < n; ++p)
        for (int h = 0; h < nHeadKv; ++h) {
            const std::size_t o = (static_cast<std::size_t>(p) * nHeadKv + h) * headDim;
            scalarKernels().quantize[fmt](&keys[o], c.keyRow(0, h, p), headDim);
            scalarKernels().quantize[fmt](&values[o], c.valueRow(0, h, p), headDim);
        }
    c.setLength(n);
    QCOMPARE(c.blockCount(), 5);
    std::vector<KvBlockView> blocks;
    for (int b = 0; b < c.blockCount(); ++b)
        blocks.push_back(c.block(0, b));
    AttentionShape shape { headDim,
        headDim,
        blockTokens,
        static_cast<KvType>(kv),
        c.keyRowBytes(),
        c.valueRowBytes(),
        1.0f / std::sqrt(float(headDim)) };
    const auto q = randomFloats(static_cast<std::size_t>(headDim), 3, 2.0f);
    for (const KernelSet *ks : availableSets()) {
        for (int maxPos : { 0, 63, 64, 200, n - 1 }) {
            const int head = 1;
            std::vector<double> scores(static_cast<std::size_t>(maxPos) + 1);
            double mx = -1e300;
            for (int p = 0; p <= maxPos; ++p) {
                double s = 0.0;
                for (int i = 0; i < headDim; ++i)
                    s += q[i] * keys[(static_cast<std::size_t>(p) * nHeadKv + head) * headDim + i];
                scores[p] = s * shape.scale;
                mx = std::max(mx, scores[p]);
            }
            std::vector<double> ref(static_cast<std::size_t>(headDim), 0.0);
            double sum = 0.0;
            for (int p = 0; p <= maxPos; ++p) {
                const double e = std::exp(scores[p] - mx);
                sum += e;
                for (int i = 0; i < headDim; ++i)
                    ref[i] += e * values[(static_cast<std::size_t>(p) * nHeadKv + head) * headDim + i];
            }
            std::vector<float> out(static_cast<std::size_t>(headDim)), scratch(blockTokens);
            attendHead(*ks, shape, q.data(), head, blocks, maxPos, out.data(), scratch.data());
            for (int i = 0; i < headDim; ++i)
                QVERIFY2(std::fabs(out[i] - ref[i] / sum) < tolerance, ks->isa.data());
        }
    }
}

void CpuKernelsTest::kvCachePaging()
{
    auto cache = KvCache::create({ .nLayer = 2,
        .nHeadKv = 1,
        .headDimK = 32,
        .headDimV = 32,
        .capacity = 100,
        .blockTokens = 16,
        .type = KvType::F16 });
    QVERIFY(cache);
    KvCache &c = **cache;
    QCOMPARE(c.bytesAllocated(), std::size_t(0));
    QVERIFY(c.reserve(17));
    QCOMPARE(c.bytesAllocated(), std::size_t(2 * 2 * 2 * 16 * 64)); // 2 blocks x 2 layers x (K+V) x 16 rows x 64 bytes
    c.setLength(17);
    QCOMPARE(c.blockCount(), 2);
    QCOMPARE(c.block(1, 1).firstPos, 16);
    QCOMPARE(c.block(1, 1).count, 1);
    c.truncate(5);
    QCOMPARE(c.length(), 5);
    QVERIFY(!c.reserve(101));
    QVERIFY(!KvCache::create(
        { .nLayer = 1, .nHeadKv = 1, .headDimK = 8, .headDimV = 8, .capacity = 8, .type = KvType::Q8_0 }));
}

QTEST_GUILESS_MAIN(CpuKernelsTest)
#include "cpukernelstest.moc"
