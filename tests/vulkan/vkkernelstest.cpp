// Every Vulkan kernel against a CPU reference with a stated tolerance (the test-backend-ops idea).
#include "inference/vulkan/vkkernels.h"

#include "inference/fp16.h"
#include "inference/quants.h"

#include <QTest>
#include <cmath>
#include <cstring>
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

// Rounds a cache row as the device stores it (F16, or Q8_0 blocks of 32).
void roundTrip(KvFormat format, float *row, std::uint32_t width)
{
    if (format == KvFormat::F16) {
        for (std::uint32_t i = 0; i < width; ++i)
            row[i] = fp16ToFp32(fp32ToFp16(row[i]));
    } else if (format == KvFormat::Q8_0) {
        std::vector<BlockQ8_0> blocks(width / 32);
        quantizeRowQ8_0Activations(row, blocks.data(), width);
        dequantizeRow(GgmlType::Q8_0, blocks.data(), row, width);
    }
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
        QTest::addColumn<int>("maxBinding"); // 0: the device's limit
        QTest::addColumn<bool>("split"); // Q8_0 / Q4_0 in WeightLayout::Split
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
            QTest::addRow("%s vector", name) << int(type) << 67 << 512 << 1 << 0 << false;
            QTest::addRow("%s matrix", name) << int(type) << 33 << 256 << 11 << 0 << false;
            QTest::addRow("%s matrix 8", name) << int(type) << 33 << 512 << 8 << 0 << false;
            QTest::addRow("%s vector 256", name) << int(type) << 33 << 256 << 1 << 0 << false;
            QTest::addRow("%s matrix 3", name) << int(type) << 33 << 256 << 3 << 0 << false;
            if (ggmlTypeTraits(type).blockSize <= 32) // K-quants have no rows shorter than 256
                QTest::addRow("%s short rows, 9 columns", name) << int(type) << 40 << 128 << 9 << 0 << false;
            if (ggmlTypeTraits(type).blockSize == 1) { // rows not of whole 16-byte chunks: the word kernel
                QTest::addRow("%s rows of 100, vector", name) << int(type) << 21 << 100 << 1 << 0 << false;
                QTest::addRow("%s rows of 100, 9 columns", name) << int(type) << 21 << 100 << 9 << 0 << false;
            }
            // W larger than one binding: read in windows of rows.
            QTest::addRow("%s vector in windows", name) << int(type) << 67 << 512 << 1 << 4096 << false;
            QTest::addRow("%s matrix in windows", name) << int(type) << 67 << 512 << 8 << 4096 << false;
            if (type == GgmlType::Q8_0 || type == GgmlType::Q4_0) {
                QTest::addRow("%s split, vector", name) << int(type) << 67 << 512 << 1 << 0 << true;
                QTest::addRow("%s split, rows of 96, 11 columns", name) << int(type) << 45 << 96 << 11 << 0 << true;
                QTest::addRow("%s split, matrix in windows", name) << int(type) << 67 << 512 << 8 << 4096 << true;
            }
        }
    }
    // y = W x with W quantised: compared with the CPU's exact dequantisation, in double.
    void mulMat()
    {
        QFETCH(int, type);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, ncols);
        QFETCH(int, maxBinding);
        QFETCH(bool, split);
        const auto t = static_cast<GgmlType>(type);
        const WeightLayout layout = split ? WeightLayout::Split : WeightLayout::Ggml;
        if (split && Kernels::preferredLayout(m_context->info(), t, cols) != WeightLayout::Split)
            QSKIP("the split layout needs subgroup arithmetic");
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
        m_context->setLimits(std::uint64_t(maxBinding), 0);
        Kernels kernels(*m_context);
        std::vector<std::uint8_t> packed(Kernels::weightRowBytes(t, cols, layout) * rows);
        Kernels::packRows(t, cols, rows, wq.data(), packed.data(), layout);
        Buffer w = makeBuffer(*m_context, packed);
        Buffer xb = makeBuffer(*m_context, x);
        Buffer y(*m_context, expected.size() * 4);
        Sequence seq(*m_context);
        seq.begin();
        kernels.mulMat(seq, t, w, rows, cols, xb, ncols, y, false, layout);
        seq.submitAndWait();
        m_context->setLimits(0, 0);
        if (maxBinding > 0)
            QVERIFY(seq.dispatches() > 1);
        const std::vector<float> got = read(y, expected.size());
        const float tolerance = 1e-4f * std::sqrt(float(cols)) * maxAbs(expected) + 1e-4f;
        QVERIFY2(maxAbsDiff(got, expected) <= tolerance,
            qPrintable(QStringLiteral("max diff %1 > %2").arg(maxAbsDiff(got, expected)).arg(tolerance)));
    }

    // Gate, up and SwiGLU in one dispatch equal silu(G x) * (U x) from two products.
    void mulMatGlu_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("ncols");
        QTest::newRow("f16 vector") << int(GgmlType::F16) << 1;
        QTest::newRow("f16 batch") << int(GgmlType::F16) << 9;
        QTest::newRow("q8_0 vector") << int(GgmlType::Q8_0) << 1;
        QTest::newRow("q4_0 batch") << int(GgmlType::Q4_0) << 9;
    }
    void mulMatGlu()
    {
        QFETCH(int, type);
        QFETCH(int, ncols);
        const auto t = static_cast<GgmlType>(type);
        const std::uint32_t rows = 45, cols = 256;
        const WeightLayout layout = Kernels::preferredLayout(m_context->info(), t, cols);
        std::vector<std::uint8_t> packed[2];
        std::vector<float> wd[2];
        for (int m = 0; m < 2; ++m) {
            const std::vector<float> wf = randomVector(std::size_t(rows) * cols, 20 + m);
            const std::size_t rb = quire::inference::rowBytes(t, cols);
            std::vector<std::uint8_t> wq(rb * rows);
            wd[m].resize(wf.size());
            for (std::uint32_t r = 0; r < rows; ++r) {
                QVERIFY(quantizeRow(t, wf.data() + r * cols, wq.data() + r * rb, cols));
                QVERIFY(dequantizeRow(t, wq.data() + r * rb, wd[m].data() + r * cols, cols));
            }
            packed[m].resize(Kernels::weightRowBytes(t, cols, layout) * rows);
            Kernels::packRows(t, cols, rows, wq.data(), packed[m].data(), layout);
        }
        const std::vector<float> x = randomVector(std::size_t(ncols) * cols, 22);
        std::vector<float> expected(std::size_t(ncols) * rows);
        for (int c = 0; c < ncols; ++c) {
            for (std::uint32_t r = 0; r < rows; ++r) {
                double g = 0, u = 0;
                for (std::uint32_t k = 0; k < cols; ++k) {
                    g += double(wd[0][r * cols + k]) * x[c * cols + k];
                    u += double(wd[1][r * cols + k]) * x[c * cols + k];
                }
                expected[c * rows + r] = float(g / (1 + std::exp(-g)) * u);
            }
        }
        Kernels kernels(*m_context);
        Buffer gate = makeBuffer(*m_context, packed[0]), up = makeBuffer(*m_context, packed[1]);
        Buffer xb = makeBuffer(*m_context, x), y(*m_context, expected.size() * 4);
        Sequence seq(*m_context);
        seq.begin();
        if (!kernels.mulMatGlu(seq, t, gate, up, rows, cols, xb, ncols, y, layout))
            QSKIP("the fused kernel needs subgroup arithmetic");
        seq.submitAndWait();
        QCOMPARE(seq.dispatches(), 1u);
        const float tolerance = 1e-4f * std::sqrt(float(cols)) * maxAbs(expected) + 1e-4f;
        QVERIFY2(maxAbsDiff(read(y, expected.size()), expected) <= tolerance,
            qPrintable(QString::number(maxAbsDiff(read(y, expected.size()), expected))));
    }

    // Queries and keys rotated in one dispatch equal two separate dispatches.
    void ropeQueriesAndKeys()
    {
        RopeParams p;
        p.tokens = 5;
        p.heads = 4;
        p.headDim = 64;
        p.nRot = 64;
        p.neox = true;
        const std::vector<std::int32_t> pos { 3, 4, 5, 6, 7 };
        const std::vector<float> q = randomVector(p.tokens * p.heads * p.headDim, 30);
        const std::vector<float> k = randomVector(p.tokens * 2 * p.headDim, 31);
        Kernels kernels(*m_context);
        Buffer pb = makeBuffer(*m_context, pos);
        Buffer q1 = makeBuffer(*m_context, q), k1 = makeBuffer(*m_context, k);
        Buffer q2 = makeBuffer(*m_context, q), k2 = makeBuffer(*m_context, k);
        Sequence seq(*m_context);
        seq.begin();
        kernels.rope(seq, q1, pb, p);
        RopeParams pk = p;
        pk.heads = 2;
        kernels.rope(seq, k1, pb, pk);
        kernels.rope(seq, q2, pb, p, &k2, 2);
        seq.submitAndWait();
        QCOMPARE(maxAbsDiff(read(q1, q.size()), read(q2, q.size())), 0.f);
        QCOMPARE(maxAbsDiff(read(k1, k.size()), read(k2, k.size())), 0.f);
        QVERIFY(maxAbsDiff(read(k2, k.size()), k) > 0.f);
    }

    // K and V written by one dispatch equal two separate dispatches, in every cache format.
    void kvStorePair_data()
    {
        QTest::addColumn<int>("format");
        QTest::newRow("f32") << int(KvFormat::F32);
        QTest::newRow("f16") << int(KvFormat::F16);
        QTest::newRow("q8_0") << int(KvFormat::Q8_0);
    }
    void kvStorePair()
    {
        QFETCH(int, format);
        const auto f = KvFormat(format);
        const std::uint32_t rowSize = 128, n = 4, rows = 12;
        const std::vector<float> k = randomVector(n * rowSize, 32), v = randomVector(n * rowSize, 33);
        const std::size_t bytes = rows * Kernels::kvRowBytes(f, rowSize);
        Kernels kernels(*m_context);
        Buffer kb = makeBuffer(*m_context, k), vb = makeBuffer(*m_context, v);
        Buffer k1(*m_context, bytes), v1(*m_context, bytes), k2(*m_context, bytes), v2(*m_context, bytes);
        const std::vector<std::uint8_t> zeros(k1.size());
        for (Buffer *b : { &k1, &v1, &k2, &v2 })
            b->upload(std::span<const std::uint8_t>(zeros));
        Sequence seq(*m_context);
        seq.begin();
        kernels.kvStore(seq, kb, k1, n, rowSize, 7, f);
        kernels.kvStore(seq, vb, v1, n, rowSize, 7, f);
        kernels.kvStore(seq, kb, k2, n, rowSize, 7, f, &vb, &v2);
        seq.submitAndWait();
        QCOMPARE(seq.dispatches(), 3u);
        std::vector<std::uint8_t> a(bytes), b(bytes);
        for (const auto &[one, two] : { std::pair(&k1, &k2), std::pair(&v1, &v2) }) {
            one->download(std::span<std::uint8_t>(a));
            two->download(std::span<std::uint8_t>(b));
            QVERIFY(a == b);
        }
    }

    void getRows_data()
    {
        QTest::addColumn<int>("maxBinding");
        QTest::newRow("one binding") << 0;
        QTest::newRow("windows of 8 rows") << 1024; // 210-byte rows, offsets aligned to 16 bytes
    }
    void getRows()
    {
        QFETCH(int, maxBinding);
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
        m_context->setLimits(std::uint64_t(maxBinding), 0);
        Kernels kernels(*m_context);
        Buffer w = makeBuffer(*m_context, wq);
        Buffer idb = makeBuffer(*m_context, ids);
        Buffer out(*m_context, ids.size() * cols * 4);
        Sequence seq(*m_context);
        seq.begin();
        kernels.getRows(seq, GgmlType::Q6_K, w, cols, idb, 4, out);
        seq.submitAndWait();
        m_context->setLimits(0, 0);
        QCOMPARE(seq.dispatches(), maxBinding ? 2u : 1u);
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
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("splitLen");
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("kvHeads");
        QTest::addColumn<int>("maxBinding"); // 0: the device's limit
        const int f32 = int(KvFormat::F32), f16 = int(KvFormat::F16), q8 = int(KvFormat::Q8_0);
        QTest::newRow("prefill, f32 cache") << 37 << 37 << 64 << f32 << 0 << 8 << 2 << 0;
        QTest::newRow("prefill, f16 cache, head 128") << 20 << 20 << 128 << f16 << 0 << 8 << 2 << 0;
        QTest::newRow("decode after a prefix") << 1 << 300 << 64 << f16 << 0 << 8 << 2 << 0;
        QTest::newRow("decode, split over the cache") << 1 << 1500 << 48 << f16 << 256 << 8 << 2 << 0;
        QTest::newRow("chunk of queries after a prefix, split") << 5 << 700 << 64 << f32 << 128 << 8 << 2 << 0;
        QTest::newRow("GQA 2:1") << 11 << 11 << 64 << f32 << 0 << 4 << 2 << 0;
        QTest::newRow("MQA") << 11 << 11 << 64 << f32 << 0 << 4 << 1 << 0;
        QTest::newRow("MHA") << 11 << 11 << 64 << f32 << 0 << 4 << 4 << 0;
        QTest::newRow("prefill, q8_0 cache") << 19 << 19 << 64 << q8 << 0 << 8 << 2 << 0;
        QTest::newRow("prefill after a prefix, split") << 16 << 700 << 64 << f16 << 128 << 8 << 2 << 0;
        QTest::newRow("prefill, f32 cache, head 48, MHA") << 30 << 30 << 48 << f32 << 0 << 6 << 6 << 0;
        QTest::newRow("prefill, q8_0 cache, head 128, split") << 9 << 300 << 128 << q8 << 100 << 8 << 4 << 0;
        QTest::newRow("decode, q8_0 cache, split") << 1 << 900 << 32 << q8 << 256 << 4 << 4 << 0;
        // Caches larger than one binding: read in windows of 31 (f16) or 60 (q8_0) rows.
        QTest::newRow("prefill, f16 cache in windows") << 23 << 150 << 64 << f16 << 0 << 4 << 2 << 8192;
        QTest::newRow("decode, q8_0 cache in windows") << 1 << 333 << 64 << q8 << 0 << 4 << 2 << 8192;
    }
    void flashAttention()
    {
        QFETCH(int, tokens);
        QFETCH(int, kvLen);
        QFETCH(int, headDim);
        QFETCH(int, format);
        QFETCH(int, splitLen);
        QFETCH(int, heads);
        QFETCH(int, kvHeads);
        QFETCH(int, maxBinding);
        AttentionParams p;
        p.tokens = tokens;
        p.nHead = heads;
        p.nKvHead = kvHeads;
        p.headDim = headDim;
        p.kvLen = kvLen;
        p.qPos0 = kvLen - tokens;
        p.scale = 1.f / std::sqrt(float(headDim));
        p.kv = KvFormat(format);
        p.splitLen = splitLen;
        const std::uint32_t width = p.nKvHead * headDim;
        const std::vector<float> q = randomVector(std::size_t(tokens) * p.nHead * headDim, 11);
        std::vector<float> k = randomVector(std::size_t(kvLen) * width, 12);
        std::vector<float> v = randomVector(k.size(), 13);
        const std::vector<float> kRaw = k, vRaw = v;
        for (std::vector<float> *x : { &k, &v }) { // the reference sees the same rounded cache
            for (std::size_t r = 0; r < std::size_t(kvLen); ++r)
                roundTrip(p.kv, x->data() + r * width, width);
        }
        const std::vector<float> expected = referenceAttention(q, k, v, p);
        m_context->setLimits(std::uint64_t(maxBinding), 0);
        Kernels kernels(*m_context);
        Buffer qb = makeBuffer(*m_context, q);
        Buffer kRows = makeBuffer(*m_context, kRaw), vRows = makeBuffer(*m_context, vRaw);
        Buffer kb(*m_context, kvLen * Kernels::kvRowBytes(p.kv, width));
        Buffer vb(*m_context, kvLen * Kernels::kvRowBytes(p.kv, width));
        Buffer out(*m_context, q.size() * 4), scratch(*m_context, kernels.attentionScratchBytes(p));
        Sequence seq(*m_context);
        seq.begin();
        kernels.kvStore(seq, kRows, kb, kvLen, width, 0, p.kv);
        kernels.kvStore(seq, vRows, vb, kvLen, width, 0, p.kv);
        kernels.flashAttention(seq, qb, kb, vb, out, scratch, p);
        seq.submitAndWait();
        m_context->setLimits(0, 0);
        const float diff = maxAbsDiff(read(out, q.size()), expected);
        QVERIFY2(diff < 1e-4f, qPrintable(QStringLiteral("max diff %1").arg(diff)));
    }

    // The embedding lookup in the split layout gives the file's dequantised rows.
    void getRowsSplit_data()
    {
        QTest::addColumn<int>("type");
        QTest::newRow("q8_0") << int(GgmlType::Q8_0);
        QTest::newRow("q4_0") << int(GgmlType::Q4_0);
    }
    void getRowsSplit()
    {
        QFETCH(int, type);
        const auto t = static_cast<GgmlType>(type);
        const int cols = 96, rows = 9;
        if (Kernels::preferredLayout(m_context->info(), t, cols) != WeightLayout::Split)
            QSKIP("the split layout needs subgroup arithmetic");
        const std::vector<float> wf = randomVector(rows * cols, 4);
        const std::size_t rb = quire::inference::rowBytes(t, cols);
        std::vector<std::uint8_t> wq(rb * rows);
        std::vector<float> wd(wf.size());
        for (int r = 0; r < rows; ++r) {
            QVERIFY(quantizeRow(t, wf.data() + r * cols, wq.data() + r * rb, cols));
            QVERIFY(dequantizeRow(t, wq.data() + r * rb, wd.data() + r * cols, cols));
        }
        std::vector<std::uint8_t> packed(Kernels::weightRowBytes(t, cols, WeightLayout::Split) * rows);
        Kernels::packRows(t, cols, rows, wq.data(), packed.data(), WeightLayout::Split);
        const std::vector<std::int32_t> ids { 8, 0, 5 };
        Kernels kernels(*m_context);
        Buffer w = makeBuffer(*m_context, packed);
        Buffer idb = makeBuffer(*m_context, ids);
        Buffer out(*m_context, ids.size() * cols * 4);
        Sequence seq(*m_context);
        seq.begin();
        kernels.getRows(seq, t, w, cols, idb, 3, out, WeightLayout::Split);
        seq.submitAndWait();
        const std::vector<float> got = read(out, ids.size() * cols);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            for (int c = 0; c < cols; ++c)
                QCOMPARE(got[i * cols + c], wd[ids[i] * cols + c]);
        }
    }

    // Q8_0 cache rows hold exactly the CPU backend's Q8_0 blocks (quants, then scales), written at any row.
    void kvStoreQ8_0()
    {
        const std::uint32_t rowSize = 96, n = 3, dstRow = 5;
        const std::vector<float> src = randomVector(n * rowSize, 15);
        Kernels kernels(*m_context);
        const std::size_t rowBytes = Kernels::kvRowBytes(KvFormat::Q8_0, rowSize);
        QCOMPARE(rowBytes, std::size_t(96 + 16)); // quants, 3 scales, padding to 16 bytes
        Buffer sb = makeBuffer(*m_context, src), cache(*m_context, 10 * rowBytes);
        Sequence seq(*m_context);
        seq.begin();
        kernels.kvStore(seq, sb, cache, n, rowSize, dstRow, KvFormat::Q8_0);
        seq.submitAndWait();
        std::vector<std::uint8_t> got(10 * rowBytes);
        cache.download(std::span<std::uint8_t>(got));
        for (std::uint32_t r = 0; r < n; ++r) {
            BlockQ8_0 blocks[3];
            quantizeRowQ8_0Activations(src.data() + r * rowSize, blocks, rowSize);
            const std::uint8_t *row = got.data() + (dstRow + r) * rowBytes;
            for (std::uint32_t b = 0; b < 3; ++b) {
                QCOMPARE(std::memcmp(row + b * 32, blocks[b].qs, 32), 0);
                std::uint16_t d;
                std::memcpy(&d, row + rowSize + 2 * b, 2);
                QCOMPARE(d, blocks[b].d);
            }
        }
    }

    void kvStoreF16()
    {
        const std::uint32_t rowSize = 64, n = 3;
        const std::vector<float> src = randomVector(n * rowSize, 14);
        Kernels kernels(*m_context);
        Buffer sb = makeBuffer(*m_context, src), cache(*m_context, 10 * rowSize * 2);
        Sequence seq(*m_context);
        seq.begin();
        kernels.kvStore(seq, sb, cache, n, rowSize, 5, KvFormat::F16);
        seq.submitAndWait();
        std::vector<std::uint16_t> got(10 * rowSize);
        cache.download(std::span<std::uint16_t>(got));
        for (std::uint32_t i = 0; i < n * rowSize; ++i)
            QCOMPARE(got[5 * rowSize + i], fp32ToFp16(src[i]));
    }
};

QTEST_GUILESS_MAIN(VkKernelsTest)
#include "vkkernelstest.moc"
