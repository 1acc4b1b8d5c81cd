#include "inference/quants.h"

#include "inference/fp16.h"
#include "inference/gguffile.h"

#include <QFileInfo>
#include <QTest>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace quire::inference;

namespace
{

QString referenceFile(const char *relative)
{
    return QStringLiteral(QUIRE_SHARED_DIR "/reference/") + relative;
}

std::vector<float> gaussian(std::size_t n, unsigned seed, float sigma = 1.0f)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.f, sigma);
    std::vector<float> v(n);
    for (float &x : v)
        x = dist(rng);
    return v;
}

double rmsError(const std::vector<float> &a, const std::vector<float> &b)
{
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += double(a[i] - b[i]) * double(a[i] - b[i]);
    return std::sqrt(s / double(a.size()));
}

// Element i of a quantised row, written element by element from the format description (an independent
// second implementation, using ggml's order of float operations).
float slowElement(GgmlType type, const std::uint8_t *row, std::int64_t i)
{
    const auto traits = ggmlTypeTraits(type);
    const std::uint8_t *b = row + (i / traits.blockSize) * traits.blockBytes;
    const int j = int(i % traits.blockSize);
    auto half = [](const std::uint8_t *p) { return fp16ToFp32(std::uint16_t(p[0] | (p[1] << 8))); };
    auto scaleMin = [](const std::uint8_t *s, int k, int &sc, int &m) {
        sc = k < 4 ? s[k] & 63 : (s[k + 4] & 15) | ((s[k - 4] >> 6) << 4);
        m = k < 4 ? s[k + 4] & 63 : (s[k + 4] >> 4) | ((s[k] >> 6) << 4);
    };
    switch (type) {
    case GgmlType::Q4_0:
    case GgmlType::Q4_1: {
        const std::uint8_t *qs = b + (type == GgmlType::Q4_0 ? 2 : 4);
        const int q = j < 16 ? qs[j] & 15 : qs[j - 16] >> 4;
        return type == GgmlType::Q4_0 ? float(q - 8) * half(b) : float(q) * half(b) + half(b + 2);
    }
    case GgmlType::Q5_0:
    case GgmlType::Q5_1: {
        const int off = type == GgmlType::Q5_0 ? 2 : 4;
        std::uint32_t qh;
        std::memcpy(&qh, b + off, 4);
        const std::uint8_t *qs = b + off + 4;
        const int q = (j < 16 ? qs[j] & 15 : qs[j - 16] >> 4) | int((qh >> j) & 1) << 4;
        return type == GgmlType::Q5_0 ? float(q - 16) * half(b) : float(q) * half(b) + half(b + 2);
    }
    case GgmlType::Q8_0:
        return float(std::int8_t(b[2 + j])) * half(b);
    case GgmlType::Q4_K:
    case GgmlType::Q5_K: {
        const int sub = j / 32, chunk = j / 64, l = j % 32;
        const std::uint8_t *qs = b + 4 + 12 + (type == GgmlType::Q5_K ? 32 : 0);
        int q = sub % 2 == 0 ? qs[chunk * 32 + l] & 15 : qs[chunk * 32 + l] >> 4;
        if (type == GgmlType::Q5_K)
            q += ((b[16 + l] >> sub) & 1) * 16;
        int sc, m;
        scaleMin(b + 4, sub, sc, m);
        return half(b) * float(sc) * float(q) - half(b + 2) * float(m);
    }
    case GgmlType::Q6_K: {
        const int h = j / 128, r = j % 128, quarter = r / 32, l = r % 32;
        const std::uint8_t *ql = b + h * 64;
        const std::uint8_t *qh = b + 128 + h * 32;
        const int low = ql[l + 32 * (quarter % 2)];
        const int nib = quarter < 2 ? low & 15 : low >> 4;
        const int q = (nib | (((qh[l] >> (2 * quarter)) & 3) << 4)) - 32;
        const auto sc = std::int8_t(b[192 + h * 8 + l / 16 + 2 * quarter]);
        return half(b + 208) * float(sc) * float(q);
    }
    default:
        return NAN;
    }
}

} // namespace

class QuantsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void dequantizeMatchesElementFormula_data();
    void dequantizeMatchesElementFormula();
    void zerosAndConstants_data();
    void zerosAndConstants();
    void rejectsBadInput();
    void q8KActivations();
    void q8_0Activations();
    void activationQuantisersMatchScalar();
    void q4_0MatchesLlamaCpp();
    void kQuantsRequantiseLlamaCppBlocks_data();
    void kQuantsRequantiseLlamaCppBlocks();
};

void QuantsTest::roundTrip_data()
{
    QTest::addColumn<GgmlType>("type");
    QTest::addColumn<double>("maxRelativeRms"); // rms error / rms of the data, for N(0,1) data
    QTest::newRow("f32") << GgmlType::F32 << 0.0;
    QTest::newRow("f16") << GgmlType::F16 << 3e-4;
    QTest::newRow("bf16") << GgmlType::BF16 << 3e-3;
    QTest::newRow("q8_0") << GgmlType::Q8_0 << 0.01;
    QTest::newRow("q8_K") << GgmlType::Q8_K << 0.01;
    QTest::newRow("q6_K") << GgmlType::Q6_K << 0.025;
    QTest::newRow("q5_1") << GgmlType::Q5_1 << 0.06;
    QTest::newRow("q5_0") << GgmlType::Q5_0 << 0.06;
    QTest::newRow("q5_K") << GgmlType::Q5_K << 0.045;
    QTest::newRow("q4_1") << GgmlType::Q4_1 << 0.12;
    QTest::newRow("q4_0") << GgmlType::Q4_0 << 0.12;
    QTest::newRow("q4_K") << GgmlType::Q4_K << 0.09;
}

void QuantsTest::roundTrip()
{
    QFETCH(GgmlType, type);
    QFETCH(double, maxRelativeRms);
    const std::int64_t n = 256 * 64;
    const std::vector<float> x = gaussian(n, 42);
    std::vector<std::uint8_t> q(rowBytes(type, n));
    QVERIFY(!q.empty());
    QVERIFY(quantizeRow(type, x.data(), q.data(), n));
    std::vector<float> y(n);
    QVERIFY(dequantizeRow(type, q.data(), y.data(), n));
    const double rel = rmsError(x, y);
    qInfo("%s: relative rms error %.5f", ggmlTypeTraits(type).name.data(), rel);
    QVERIFY2(rel <= maxRelativeRms, qPrintable(QString::number(rel)));
    // Quantising what we dequantised changes nothing more than rounding does (idempotence within tolerance).
    std::vector<std::uint8_t> q2(q.size());
    QVERIFY(quantizeRow(type, y.data(), q2.data(), n));
    std::vector<float> y2(n);
    QVERIFY(dequantizeRow(type, q2.data(), y2.data(), n));
    QVERIFY(rmsError(y, y2) <= maxRelativeRms * 0.5 + 1e-7);
}

void QuantsTest::dequantizeMatchesElementFormula_data()
{
    QTest::addColumn<GgmlType>("type");
    for (GgmlType t : { GgmlType::Q4_0,
             GgmlType::Q4_1,
             GgmlType::Q5_0,
             GgmlType::Q5_1,
             GgmlType::Q8_0,
             GgmlType::Q4_K,
             GgmlType::Q5_K,
             GgmlType::Q6_K })
        QTest::newRow(ggmlTypeTraits(t).name.data()) << t;
}

void QuantsTest::dequantizeMatchesElementFormula()
{
    QFETCH(GgmlType, type);
    // Random bytes are valid blocks for every type; only keep the fp16 scales finite and moderate.
    const std::int64_t n = 256 * 8;
    std::vector<std::uint8_t> q(rowBytes(type, n));
    std::mt19937 rng(11);
    for (auto &b : q)
        b = std::uint8_t(rng());
    const auto traits = ggmlTypeTraits(type);
    for (std::size_t blk = 0; blk < q.size() / traits.blockBytes; ++blk) {
        std::uint8_t *p = q.data() + blk * traits.blockBytes;
        const std::size_t scaleAt = type == GgmlType::Q6_K ? 208 : 0;
        const int nScales
            = (type == GgmlType::Q4_1 || type == GgmlType::Q5_1 || type == GgmlType::Q4_K || type == GgmlType::Q5_K)
            ? 2
            : 1;
        for (int s = 0; s < nScales; ++s) {
            const std::uint16_t h = fp32ToFp16(std::ldexp(float(rng() % 1000) / 1000.f, -int(rng() % 8)));
            p[scaleAt + 2 * s] = std::uint8_t(h);
            p[scaleAt + 2 * s + 1] = std::uint8_t(h >> 8);
        }
    }
    std::vector<float> y(n);
    QVERIFY(dequantizeRow(type, q.data(), y.data(), n));
    for (std::int64_t i = 0; i < n; ++i) {
        const float expected = slowElement(type, q.data(), i);
        if (std::bit_cast<std::uint32_t>(y[i]) != std::bit_cast<std::uint32_t>(expected))
            QFAIL(qPrintable(QString("element %1: %2 instead of %3").arg(i).arg(y[i]).arg(expected)));
    }
}

void QuantsTest::zerosAndConstants_data()
{
    QTest::addColumn<GgmlType>("type");
    for (GgmlType t : { GgmlType::F16,
             GgmlType::BF16,
             GgmlType::Q4_0,
             GgmlType::Q4_1,
             GgmlType::Q5_0,
             GgmlType::Q5_1,
             GgmlType::Q8_0,
             GgmlType::Q4_K,
             GgmlType::Q5_K,
             GgmlType::Q6_K,
             GgmlType::Q8_K })
        QTest::newRow(ggmlTypeTraits(t).name.data()) << t;
}

void QuantsTest::zerosAndConstants()
{
    QFETCH(GgmlType, type);
    const std::int64_t n = 512;
    std::vector<float> x(n, 0.f), y(n, 1.f);
    std::vector<std::uint8_t> q(rowBytes(type, n));
    QVERIFY(quantizeRow(type, x.data(), q.data(), n));
    QVERIFY(dequantizeRow(type, q.data(), y.data(), n));
    for (float v : y)
        QCOMPARE(v, 0.f);
    // A constant row survives within the type's precision; a row with one outlier keeps the outlier.
    std::fill(x.begin(), x.end(), 0.75f);
    x[100] = -3.f;
    QVERIFY(quantizeRow(type, x.data(), q.data(), n));
    QVERIFY(dequantizeRow(type, q.data(), y.data(), n));
    QVERIFY2(std::fabs(y[100] + 3.f) < 0.1f, qPrintable(QString::number(y[100])));
    for (std::int64_t i = 0; i < n; ++i)
        QVERIFY2(std::isfinite(y[i]), qPrintable(QString::number(i)));
}

void QuantsTest::rejectsBadInput()
{
    float x[64] = {};
    std::uint8_t q[1024];
    QVERIFY(!quantizeRow(GgmlType::Q4_K, x, q, 64)); // not a multiple of 256
    QVERIFY(!dequantizeRow(GgmlType::Q4_0, q, x, 33));
    QVERIFY(!quantizeRow(GgmlType::Q2_K, x, q, 256)); // not supported
    QVERIFY(!canDequantize(GgmlType::Q3_K));
    QCOMPARE(rowBytes(GgmlType::Q4_K, 512), std::size_t(288));
    QCOMPARE(rowBytes(GgmlType::Q4_K, 100), std::size_t(0));
}

void QuantsTest::q8KActivations()
{
    const std::vector<float> x = gaussian(512, 5, 3.f);
    BlockQ8_K blocks[2];
    quantizeRowQ8_K(x.data(), blocks, 512);
    for (const BlockQ8_K &b : blocks) {
        int maxAbs = 0;
        for (int j = 0; j < QK_K / 16; ++j) {
            int sum = 0;
            for (int k = 0; k < 16; ++k) {
                sum += b.qs[16 * j + k];
                maxAbs = std::max(maxAbs, std::abs(int(b.qs[16 * j + k])));
            }
            QCOMPARE(int(b.bsums[j]), sum);
        }
        QCOMPARE(maxAbs, 127);
    }
    std::vector<float> y(512);
    QVERIFY(dequantizeRow(GgmlType::Q8_K, blocks, y.data(), 512));
    QVERIFY(rmsError(x, y) < 3.f * 0.01);
}

void QuantsTest::q8_0Activations()
{
    std::vector<float> x = gaussian(64, 9);
    x[3] = 10.f; // the block's largest magnitude maps to 127 exactly
    BlockQ8_0 b[2];
    quantizeRowQ8_0Activations(x.data(), b, 64);
    QCOMPARE(int(b[0].qs[3]), 127);
    for (int blk = 0; blk < 2; ++blk) {
        float amax = 0;
        for (int j = 0; j < 32; ++j)
            amax = std::max(amax, std::fabs(x[32 * blk + j]));
        QCOMPARE(b[blk].d, fp32ToFp16(amax / 127.f));
        for (int j = 0; j < 32; ++j)
            QCOMPARE(int(b[blk].qs[j]), int(std::nearbyint(x[32 * blk + j] * (127.f / amax))));
    }
}

void QuantsTest::activationQuantisersMatchScalar()
{
    // quantizeRowQ8_K may take a SIMD path; quantizeRow(Q8_K) is the scalar reference.
    for (unsigned seed = 0; seed < 20; ++seed) {
        std::vector<float> x = gaussian(1024, 100 + seed, seed % 2 ? 0.01f : 50.f);
        if (seed == 3)
            std::fill(x.begin(), x.begin() + 256, 0.f); // an all-zero block
        if (seed == 4)
            x[300] = 1000.f, x[301] = -1000.f; // equal magnitudes: the first one sets the sign
        std::vector<BlockQ8_K> fast(4), slow(4);
        quantizeRowQ8_K(x.data(), fast.data(), 1024);
        QVERIFY(quantizeRow(GgmlType::Q8_K, x.data(), slow.data(), 1024));
        QVERIFY(std::memcmp(fast.data(), slow.data(), sizeof(BlockQ8_K) * 4) == 0);
        std::vector<BlockQ8_0> a(32);
        quantizeRowQ8_0Activations(x.data(), a.data(), 1024);
        for (int b = 0; b < 32; ++b) {
            float amax = 0;
            for (int j = 0; j < 32; ++j)
                amax = std::max(amax, std::fabs(x[32 * b + j]));
            QCOMPARE(a[b].d, fp32ToFp16(amax / 127.f));
            const float id = amax != 0 ? 127.f / amax : 0.f;
            for (int j = 0; j < 32; ++j)
                QCOMPARE(int(a[b].qs[j]), int(std::nearbyint(x[32 * b + j] * id)));
        }
    }
}

void QuantsTest::q4_0MatchesLlamaCpp()
{
    // small-q4_0 was quantised by llama-quantize from the F32 master; small-f16 is that master rounded
    // to F16. Quantising the F16 values must give almost exactly llama.cpp's blocks (the F16 rounding
    // moves a few values across a rounding boundary).
    const QString f16Path = referenceFile("llama-spm-small/small-f16.gguf");
    const QString q4Path = referenceFile("llama-spm-small/small-q4_0.gguf");
    if (!QFileInfo::exists(f16Path) || !QFileInfo::exists(q4Path))
        QSKIP("reference pack not found: ../shared/reference/llama-spm-small is absent");
    auto f16 = GgufFile::open(f16Path.toStdString());
    auto q4 = GgufFile::open(q4Path.toStdString());
    QVERIFY(f16 && q4);
    // Q8_0 has a 16x finer grid than Q4_0, so the F16 rounding crosses more of its boundaries.
    const std::pair<const char *, double> cases[]
        = { { "blk.0.attn_q.weight", 0.999 }, { "blk.3.ffn_down.weight", 0.999 }, { "token_embd.weight", 0.99 } };
    for (const auto &[name, minShare] : cases) {
        std::int64_t quants = 0, equalQuants = 0;
        const GgufTensorInfo *src = (*f16)->tensor(name);
        const GgufTensorInfo *ref = (*q4)->tensor(name);
        QVERIFY(src && ref);
        const std::int64_t n = std::min<std::int64_t>(src->elements(), 288 * 2000);
        std::vector<float> x(n);
        QVERIFY(dequantizeRow(src->type, src->data, x.data(), n));
        std::vector<std::uint8_t> mine(rowBytes(ref->type, n));
        QVERIFY(quantizeRow(ref->type, x.data(), mine.data(), n));
        std::vector<float> a(n), b(n);
        QVERIFY(dequantizeRow(ref->type, mine.data(), a.data(), n));
        QVERIFY(dequantizeRow(ref->type, ref->data, b.data(), n));
        for (std::int64_t i = 0; i < n; ++i) {
            ++quants;
            // Compare the integer levels: values relative to their block's scale.
            equalQuants += std::fabs(a[i] - b[i]) <= 1e-3f * std::fabs(b[i]) + 1e-6f;
        }
        qInfo("%s (%s): %.4f%% of values identical to llama.cpp's",
            name,
            ggmlTypeTraits(ref->type).name.data(),
            100.0 * double(equalQuants) / double(quants));
        QVERIFY(double(equalQuants) / double(quants) > minShare);
    }
}

void QuantsTest::kQuantsRequantiseLlamaCppBlocks_data()
{
    QTest::addColumn<QString>("tensor");
    QTest::newRow("q4_K attn_q") << "blk.0.attn_q.weight";
    QTest::newRow("q4_K token_embd") << "token_embd.weight";
    QTest::newRow("q6_K attn_v") << "blk.2.attn_v.weight";
    QTest::newRow("q6_K output") << "output.weight";
}

void QuantsTest::kQuantsRequantiseLlamaCppBlocks()
{
    // llama.cpp's blocks, dequantised, lie on the K-quant grid; quantising them again with the same
    // search must land on (nearly) the same blocks, which checks both our dequantiser and our search.
    const QString path = referenceFile("llama-gqa-kquant/gqa-q4_k_m.gguf");
    if (!QFileInfo::exists(path))
        QSKIP("reference pack not found: ../shared/reference/llama-gqa-kquant/gqa-q4_k_m.gguf is absent");
    auto file = GgufFile::open(path.toStdString());
    QVERIFY(file);
    QFETCH(QString, tensor);
    const GgufTensorInfo *t = (*file)->tensor(tensor.toStdString());
    QVERIFY(t);
    const std::int64_t n = std::min<std::int64_t>(t->elements(), 256 * 4096);
    std::vector<float> x(n), y(n);
    QVERIFY(dequantizeRow(t->type, t->data, x.data(), n));
    std::vector<std::uint8_t> q(rowBytes(t->type, n));
    QVERIFY(quantizeRow(t->type, x.data(), q.data(), n));
    QVERIFY(dequantizeRow(t->type, q.data(), y.data(), n));
    const std::size_t blockBytes = ggmlTypeTraits(t->type).blockBytes;
    std::int64_t sameBlocks = 0;
    for (std::size_t b = 0; b < q.size() / blockBytes; ++b)
        sameBlocks += std::memcmp(q.data() + b * blockBytes, t->data + b * blockBytes, blockBytes) == 0;
    double rms = 0, ref = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        rms += double(x[i] - y[i]) * double(x[i] - y[i]);
        ref += double(x[i]) * double(x[i]);
    }
    const double blocks = double(q.size() / blockBytes);
    qInfo("%s: %.2f%% of blocks byte-identical, relative rms change %.2e",
        qPrintable(tensor),
        100.0 * double(sameBlocks) / blocks,
        std::sqrt(rms / ref));
    QVERIFY(std::sqrt(rms / ref) < 0.02);
}

QTEST_GUILESS_MAIN(QuantsTest)
#include "quantstest.moc"
