// Every Vulkan kernel against a CPU reference with a stated tolerance (the test-backend-ops idea).
#include "inference/vulkan/vkkernels.h"

#include "inference/fp16.h"
#include "inference/quants.h"

#include <QTest>
#include <cmath>
#include <random>

using namespace quire::inference;
using namespace quire::inference::vk;

namespace
{

std::vector<float> randomVector(std::size_t n, std::uint32_t seed, float scale = 1.f)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.f, scale);
    std::vector<float> v(n);
    for (float &x : v)
        x = dist(rng);
    return v;
}

float maxAbsDiff(const std::vector<float> &a, const std::vector<float> &b)
{
    float m = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::fabs(a[i] - b[i]));
    return m;
}

float maxAbs(const std::vector<float> &a)
{
    float m = 0;
    for (float x : a)
        m = std::max(m, std::fabs(x));
    return m;
}

template <typename T> Buffer makeBuffer(Context &context, const std::vector<T> &data)
{
    Buffer b(context, data.size() * sizeof(T));
    b.upload(std::span<const T>(data));
    return b;
}

std::vector<float> read(const Buffer &b, std::size_t n)
{
    std::vector<float> v(n);
    b.download(std::span<float>(v));
    return v;
}

// Naive causal attention with GQA, in double: the reference for flash attention.
std::vector<float> referenceAttention(
    const std::vector<float> &q, const std::vector<float> &k, const std::vector<float> &v, const AttentionParams &p)
{
    const std::uint32_t D = p.headDim;
    std::vector<float> out(std::size_t(p.tokens) * p.nHead * D);
    for (std::uint32_t t = 0; t < p.tokens; ++t) {
        for (std::uint32_t h = 0; h < p.nHead; ++h) {
            const std::uint32_t kvh = h / (p.nHead / p.nKvHead);
            const std::uint32_t visible = std::min(p.kvLen, p.qPos0 + t + 1);
            std::vector<double> s(visible);
            double mx = -1e300;
            for (std::uint32_t j = 0; j < visible; ++j) {
                double dot = 0;
                for (std::uint32_t d = 0; d < D; ++d)
                    dot += double(q[(t * p.nHead + h) * D + d]) * k[(j * p.nKvHead + kvh) * D + d];
                s[j] = dot * p.scale;
                mx = std::max(mx, s[j]);
            }
            double sum = 0;
            for (double &x : s) {
                x = std::exp(x - mx);
                sum += x;
            }
            for (std::uint32_t d = 0; d < D; ++d) {
                double acc = 0;
                for (std::uint32_t j = 0; j < visible; ++j)
                    acc += s[j] * v[(j * p.nKvHead + kvh) * D + d];
                out[(t * p.nHead + h) * D + d] = float(acc / sum);
            }
        }
    }
    return out;
}

} // namespace

class VkKernelsTest : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Context> m_context;

private Q_SLOTS:
    void initTestCase()
    {
        auto context = Context::create();
        if (!context)
            QSKIP(("no Vulkan device: " + context.error().message).c_str());
        m_context = std::move(*context);
        qInfo("Vulkan device: %s (%s)", m_context->info().name.c_str(), m_context->reason().c_str());
    }

    void mulMat_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("ncols");
        const std::pair<const char *, GgmlType> types[] = { { "f32", GgmlType::F32 },
            { "f16", GgmlType::F16 },
            { "bf16", GgmlType::BF16 },
            { "q4_0", GgmlType::Q4_0 },
            { "q4_1", GgmlType::Q4_1 },
            { "q5_0", GgmlType::Q5_0 },
            { "q5_1", GgmlType::Q5_1 },
            { "q8_0", GgmlType::Q8_0 },
            { "q4_K", GgmlType::Q4_K },
            { "q5_K", GgmlType::Q5_K },
            { "q6_K", GgmlType::Q6_K } };
        for (const auto &[name, type] : types) {
            QTest::addRow("%s vector", name) << int(type) << 67 << 512 << 1;
            QTest::addRow("%s matrix", name) << int(type) << 33 << 256 << 11;
            QTest::addRow("%s matrix 8", name) << int(type) << 33 << 512 << 8;
            QTest::addRow("%s vector 256", name) << int(type) << 33 << 256 << 1;
            QTest::addRow("%s matrix 3", name) << int(type) << 33 << 256 << 3;
            if (ggmlTypeTraits(type).blockSize <= 32) // K-quants have no rows shorter than 256
                QTest::addRow("%s short rows, 9 columns", name) << int(type) << 40 << 128 << 9;
        }
    }
    // y = W x with W quantised: compared with the CPU's exact dequantisation, in double.
    void mulMat()
    {
        QFETCH(int, type);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, ncols);
        const auto t = static_cast<GgmlType>(type);
        const std::vector<float> wf = randomVector(std::size_t(rows) * cols, 1);
        std::vector<std::uint8_t> wq(quire::inference::rowBytes(t, cols) * rows);
        std::vector<float> wd(wf.size());
        for (int r = 0; r < rows; ++r) {
            std::uint8_t *row = wq.data() + r * quire::inference::rowBytes(t, cols);
            QVERIFY(quantizeRow(t, wf.data() + std::size_t(r) * cols, row, cols));
            QVERIFY(dequantizeRow(t, row, wd.data() + std::size_t(r) * cols, cols));
        }
        const std::vector<float> x = randomVector(std::size_t(ncols) * cols, 2);
        std::vector<float> expected(std::size_t(ncols) * rows);
        for (int c = 0; c < ncols; ++c) {
            for (int r = 0; r < rows; ++r) {
                double s = 0;
                for (int k = 0; k < cols; ++k)
                    s += double(wd[std::size_t(r) * cols + k]) * x[std::size_t(c) * cols + k];
                expected[std::size_t(c) * rows + r] = float(s);
            }
        }
        Kernels kernels(*m_context);
        Buffer w = makeBuffer(*m_context, wq);
        Buffer xb = makeBuffer(*m_context, x);
        Buffer y(*m_context, expected.size() * 4);
        Sequence seq(*m_context);
        seq.begin();
        kernels.mulMat(seq, t, w, rows, cols, xb, ncols, y);
        seq.submitAndWait();
        const std::vector<float> got = read(y, expected.size());
        const float tolerance = 1e-4f * std::sqrt(float(cols)) * maxAbs(expected) + 1e-4f;
        QVERIFY2(maxAbsDiff(got, expected) <= tolerance,
            qPrintable(QStringLiteral("max diff %1 > %2").arg(maxAbsDiff(got, expected)).arg(tolerance)));
    }

    void getRows()
    {
        const int cols = 256, rows = 10;
        const std::vector<float> wf = randomVector(rows * cols, 3);
        const std::size_t rb = quire::inference::rowBytes(GgmlType::Q6_K, cols);
        std::vector<std::uint8_t> wq(rb * rows);
        std::vector<float> wd(wf.size());
        for (int r = 0; r < rows; ++r) {
            QVERIFY(quantizeRow(GgmlType::Q6_K, wf.data() + r * cols, wq.data() + r * rb, cols));
            QVERIFY(dequantizeRow(GgmlType::Q6_K, wq.data() + r * rb, wd.data() + r * cols, cols));
        }
        const std::vector<std::int32_t> ids { 7, 0, 7, 3 };
        Kernels kernels(*m_context);
        Buffer w = makeBuffer(*m_context, wq);
        Buffer idb = makeBuffer(*m_context, ids);
        Buffer out(*m_context, ids.size() * cols * 4);
        Sequence seq(*m_context);
        seq.begin();
        kernels.getRows(seq, GgmlType::Q6_K, w, cols, idb, 4, out);
        seq.submitAndWait();
        const std::vector<float> got = read(out, ids.size() * cols);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            for (int c = 0; c < cols; ++c)
                QVERIFY(std::fabs(got[i * cols + c] - wd[ids[i] * cols + c]) < 1e-5f);
        }
    }

    void rmsNorm_data()
    {
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("weightCols");
        QTest::newRow("full weight") << 288 << 288;
        QTest::newRow("per-head weight (qwen3 q/k norm)") << 256 << 64;
    }
    void rmsNorm()
    {
        QFETCH(int, cols);
        QFETCH(int, weightCols);
        const int rows = 5;
        const std::vector<float> x = randomVector(rows * cols, 4, 3.f);
        const std::vector<float> wt = randomVector(weightCols, 5);
        std::vector<float> expected(x.size());
        for (int r = 0; r < rows; ++r) {
            double ss = 0;
            for (int c = 0; c < cols; ++c)
                ss += double(x[r * cols + c]) * x[r * cols + c];
            const double scale = 1.0 / std::sqrt(ss / cols + 1e-5);
            for (int c = 0; c < cols; ++c)
                expected[r * cols + c] = float(x[r * cols + c] * scale * wt[c % weightCols]);
        }
        Kernels kernels(*m_context);
        Buffer xb = makeBuffer(*m_context, x), wb = makeBuffer(*m_context, wt), out(*m_context, x.size() * 4);
        Sequence seq(*m_context);
        seq.begin();
        kernels.rmsNorm(seq, xb, &wb, out, rows, cols, 1e-5f, weightCols);
        seq.submitAndWait();
        QVERIFY(maxAbsDiff(read(out, x.size()), expected) < 1e-4f);
    }

    void rope_data()
    {
        QTest::addColumn<bool>("neox");
        QTest::addColumn<float>("freqScale");
        QTest::addColumn<float>("extFactor");
        QTest::newRow("normal") << false << 1.f << 0.f;
        QTest::newRow("neox") << true << 1.f << 0.f;
        QTest::newRow("linear scaling") << false << 0.25f << 0.f;
        QTest::newRow("yarn") << true << 0.25f << 1.f;
    }
    void rope()
    {
        QFETCH(bool, neox);
        QFETCH(float, freqScale);
        QFETCH(float, extFactor);
        RopeParams p;
        p.tokens = 3;
        p.heads = 4;
        p.headDim = 64;
        p.nRot = 64;
        p.neox = neox;
        p.freqBase = 500000.f;
        p.freqScale = freqScale;
        p.extFactor = extFactor;
        p.corrLow = 4;
        p.corrHigh = 20;
        const std::vector<std::int32_t> pos { 0, 17, 4095 };
        std::vector<float> x = randomVector(p.tokens * p.heads * p.headDim, 6);
        std::vector<float> expected = x;
        for (std::uint32_t t = 0; t < p.tokens; ++t) {
            for (std::uint32_t h = 0; h < p.heads; ++h) {
                for (std::uint32_t i = 0; i < p.nRot / 2; ++i) {
                    const double extrap = pos[t] * std::pow(double(p.freqBase), -2.0 * i / p.nRot);
                    double theta = p.freqScale * extrap, mscale = 1;
                    if (p.extFactor != 0) {
                        const double y = (i - p.corrLow) / std::max(0.001, double(p.corrHigh - p.corrLow));
                        const double mix = (1 - std::min(1.0, std::max(0.0, y))) * p.extFactor;
                        theta = theta * (1 - mix) + extrap * mix;
                        mscale *= 1 + 0.1 * std::log(1.0 / p.freqScale);
                    }
                    const std::size_t base = (t * p.heads + h) * p.headDim;
                    const std::size_t a = base + (neox ? i : 2 * i), b = base + (neox ? i + p.nRot / 2 : 2 * i + 1);
                    expected[a] = float((x[a] * std::cos(theta) - x[b] * std::sin(theta)) * mscale);
                    expected[b] = float((x[a] * std::sin(theta) + x[b] * std::cos(theta)) * mscale);
                }
            }
        }
        Kernels kernels(*m_context);
        Buffer xb = makeBuffer(*m_context, x), pb = makeBuffer(*m_context, pos);
        Sequence seq(*m_context);
        seq.begin();
        kernels.rope(seq, xb, pb, p);
        seq.submitAndWait();
        // Angles up to 4095 rad in float: allow for the argument reduction of sin/cos.
        QVERIFY2(maxAbsDiff(read(xb, x.size()), expected) < 2e-3f,
            qPrintable(QString::number(maxAbsDiff(read(xb, x.size()), expected))));
    }

    void elementwise()
    {
        const std::uint32_t n = 1000;
        const std::vector<float> a = randomVector(n, 7), b = randomVector(n, 8), row = randomVector(100, 9);
        Kernels kernels(*m_context);
        Buffer ab = makeBuffer(*m_context, a), bb = makeBuffer(*m_context, b), rb = makeBuffer(*m_context, row);
        Buffer add(*m_context, n * 4), mul(*m_context, n * 4), swiglu(*m_context, n * 4), scale(*m_context, n * 4);
        Sequence seq(*m_context);
        seq.begin();
        kernels.add(seq, ab, rb, add, n, 100); // broadcast of a row
        kernels.mul(seq, ab, bb, mul, n, n);
        kernels.swiglu(seq, ab, bb, swiglu, n);
        kernels.scale(seq, ab, scale, n, 0.125f);
        seq.submitAndWait();
        const auto gotAdd = read(add, n), gotMul = read(mul, n), gotSwiglu = read(swiglu, n), gotScale = read(scale, n);
        for (std::uint32_t i = 0; i < n; ++i) {
            QVERIFY(std::fabs(gotAdd[i] - (a[i] + row[i % 100])) < 1e-6f);
            QVERIFY(std::fabs(gotMul[i] - a[i] * b[i]) < 1e-6f);
            QVERIFY(std::fabs(gotSwiglu[i] - a[i] / (1 + std::exp(-a[i])) * b[i]) < 1e-5f);
            QVERIFY(std::fabs(gotScale[i] - a[i] * 0.125f) < 1e-7f);
        }
    }

    void softmaxAndArgmax()
    {
        const std::uint32_t rows = 3, cols = 32000;
        std::vector<float> x = randomVector(rows * cols, 10, 4.f);
        x[cols + 31999] = 100.f; // row 1's maximum at the very end
        x[2 * cols + 5] = x[2 * cols + 6] = 50.f; // a tie: the lower index wins
        Kernels kernels(*m_context);
        Buffer xb = makeBuffer(*m_context, x), ids(*m_context, rows * 4);
        Sequence seq(*m_context);
        seq.begin();
        kernels.argmax(seq, xb, rows, cols, ids);
        kernels.softmax(seq, xb, rows, cols, 0.5f);
        seq.submitAndWait();
        std::vector<std::int32_t> got(rows);
        ids.download(std::span<std::int32_t>(got));
        QCOMPARE(got[0], int(std::max_element(x.begin(), x.begin() + cols) - x.begin()));
        QCOMPARE(got[1], 31999);
        QCOMPARE(got[2], 5);
        const std::vector<float> sm = read(xb, x.size());
        for (std::uint32_t r = 0; r < rows; ++r) {
            double mx = -1e300, sum = 0;
            for (std::uint32_t c = 0; c < cols; ++c)
                mx = std::max(mx, 0.5 * x[r * cols + c]);
            for (std::uint32_t c = 0; c < cols; ++c)
                sum += std::exp(0.5 * x[r * cols + c] - mx);
            for (std::uint32_t c = 0; c < cols; c += 97)
                QVERIFY(std::fabs(sm[r * cols + c] - std::exp(0.5 * x[r * cols + c] - mx) / sum) < 1e-6);
        }
    }

    void flashAttention_data()
    {
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("kvLen");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<bool>("f16");
        QTest::addColumn<int>("splitLen");
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("kvHeads");
        QTest::newRow("prefill, f32 cache") << 37 << 37 << 64 << false << 0 << 8 << 2;
        QTest::newRow("prefill, f16 cache, head 128") << 20 << 20 << 128 << true << 0 << 8 << 2;
        QTest::newRow("decode after a prefix") << 1 << 300 << 64 << true << 0 << 8 << 2;
        QTest::newRow("decode, split over the cache") << 1 << 1500 << 48 << true << 256 << 8 << 2;
        QTest::newRow("chunk of queries after a prefix, split") << 5 << 700 << 64 << false << 128 << 8 << 2;
        QTest::newRow("GQA 2:1") << 11 << 11 << 64 << false << 0 << 4 << 2;
        QTest::newRow("MQA") << 11 << 11 << 64 << false << 0 << 4 << 1;
        QTest::newRow("MHA") << 11 << 11 << 64 << false << 0 << 4 << 4;
    }
    void flashAttention()
    {
        QFETCH(int, tokens);
        QFETCH(int, kvLen);
        QFETCH(int, headDim);
        QFETCH(bool, f16);
        QFETCH(int, splitLen);
        QFETCH(int, heads);
        QFETCH(int, kvHeads);
        AttentionParams p;
        p.tokens = tokens;
        p.nHead = heads;
        p.nKvHead = kvHeads;
        p.headDim = headDim;
        p.kvLen = kvLen;
        p.qPos0 = kvLen - tokens;
        p.scale = 1.f / std::sqrt(float(headDim));
        p.kvF16 = f16;
        p.splitLen = splitLen;
        const std::vector<float> q = randomVector(std::size_t(tokens) * p.nHead * headDim, 11);
        std::vector<float> k = randomVector(std::size_t(kvLen) * p.nKvHead * headDim, 12);
        std::vector<float> v = randomVector(k.size(), 13);
        std::vector<std::uint16_t> kh(k.size()), vh(v.size());
        if (f16) { // the reference sees the same rounded cache
            for (std::size_t i = 0; i < k.size(); ++i) {
                kh[i] = fp32ToFp16(k[i]);
                vh[i] = fp32ToFp16(v[i]);
                k[i] = fp16ToFp32(kh[i]);
                v[i] = fp16ToFp32(vh[i]);
            }
        }
        const std::vector<float> expected = referenceAttention(q, k, v, p);
        Kernels kernels(*m_context);
        Buffer qb = makeBuffer(*m_context, q);
        Buffer kb = f16 ? makeBuffer(*m_context, kh) : makeBuffer(*m_context, k);
        Buffer vb = f16 ? makeBuffer(*m_context, vh) : makeBuffer(*m_context, v);
        Buffer out(*m_context, q.size() * 4), scratch(*m_context, Kernels::attentionScratchBytes(p));
        Sequence seq(*m_context);
        seq.begin();
        kernels.flashAttention(seq, qb, kb, vb, out, scratch, p);
        seq.submitAndWait();
        const float diff = maxAbsDiff(read(out, q.size()), expected);
        QVERIFY2(diff < 1e-4f, qPrintable(QStringLiteral("max diff %1").arg(diff)));
    }

    void kvStoreF16()
    {
        const std::uint32_t rowSize = 64, n = 3;
        const std::vector<float> src = randomVector(n * rowSize, 14);
        Kernels kernels(*m_context);
        Buffer sb = makeBuffer(*m_context, src), cache(*m_context, 10 * rowSize * 2);
        Sequence seq(*m_context);
        seq.begin();
        kernels.kvStore(seq, sb, cache, n, rowSize, 5, true);
        seq.submitAndWait();
        std::vector<std::uint16_t> got(10 * rowSize);
        cache.download(std::span<std::uint16_t>(got));
        for (std::uint32_t i = 0; i < n * rowSize; ++i)
            QCOMPARE(got[5 * rowSize + i], fp32ToFp16(src[i]));
    }
};

QTEST_GUILESS_MAIN(VkKernelsTest)
#include "vkkernelstest.moc"
