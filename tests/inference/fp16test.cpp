#include "inference/fp16.h"

#include <QTest>
#include <cmath>
#include <random>
#include <vector>

using namespace quire::inference;

namespace
{

// Reference fp32 -> fp16 by exhaustive nearest search in double precision (ties to even mantissa).
std::uint16_t slowToFp16(float f)
{
    if (std::isnan(f))
        return std::signbit(f) ? 0xfe00 : 0x7e00;
    const std::uint16_t sign = std::signbit(f) ? 0x8000 : 0;
    const double a = std::fabs(static_cast<double>(f));
    if (a >= 65520.0)
        return sign | 0x7c00;
    std::uint16_t lo = 0, hi = 0x7bff;
    while (lo < hi) { // first h with value >= a
        const std::uint16_t mid = static_cast<std::uint16_t>((lo + hi) / 2);
        if (static_cast<double>(fp16ToFp32(mid)) < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    std::uint16_t best = lo;
    if (lo > 0) {
        const double above = static_cast<double>(fp16ToFp32(lo)) - a;
        const double below = a - static_cast<double>(fp16ToFp32(lo - 1));
        if (below < above || (below == above && ((lo - 1) & 1) == 0))
            best = lo - 1;
    }
    return sign | best;
}

} // namespace

class Fp16Test : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fp16RoundTripIsExact();
    void fp32ToFp16RoundsToNearestEven_data();
    void fp32ToFp16RoundsToNearestEven();
    void randomValuesMatchReference();
    void rowsMatchScalar();
    void bf16();
};

void Fp16Test::fp16RoundTripIsExact()
{
    for (std::uint32_t h = 0; h < 0x10000; ++h) {
        const float f = fp16ToFp32(static_cast<std::uint16_t>(h));
        if (std::isnan(f)) {
            QVERIFY(((h >> 10) & 0x1f) == 0x1f && (h & 0x3ff) != 0);
            continue;
        }
        QCOMPARE(fp32ToFp16(f), static_cast<std::uint16_t>(h));
    }
    QCOMPARE(fp16ToFp32(0x3c00), 1.0f);
    QCOMPARE(fp16ToFp32(0x0001), 0x1p-24f);
    QCOMPARE(fp16ToFp32(0x7bff), 65504.0f);
    QVERIFY(std::isinf(fp16ToFp32(0xfc00)) && fp16ToFp32(0xfc00) < 0);
}

void Fp16Test::fp32ToFp16RoundsToNearestEven_data()
{
    QTest::addColumn<float>("value");
    QTest::addColumn<int>("expected");
    QTest::newRow("1 + half ulp ties to even") << (1.0f + 0x1p-11f) << 0x3c00;
    QTest::newRow("1 + 3 half ulps ties up") << (1.0f + 3 * 0x1p-11f) << 0x3c02;
    QTest::newRow("65504") << 65504.0f << 0x7bff;
    QTest::newRow("65519 rounds down") << 65519.0f << 0x7bff;
    QTest::newRow("65520 overflows") << 65520.0f << 0x7c00;
    QTest::newRow("smallest subnormal") << 0x1p-24f << 0x0001;
    QTest::newRow("half of smallest ties to zero") << 0x1p-25f << 0x0000;
    QTest::newRow("just above half of smallest") << 0x1.000002p-25f << 0x0001;
    QTest::newRow("1.5 smallest ties to even (2)") << 0x1.8p-24f << 0x0002;
    QTest::newRow("largest subnormal") << 0x1.ff8p-15f << 0x03ff;
    QTest::newRow("tie above largest subnormal goes to even normal") << 0x1.ffcp-15f << 0x0400;
    QTest::newRow("negative") << -2.0f << 0xc000;
    QTest::newRow("negative zero") << -0.0f << 0x8000;
    QTest::newRow("infinity") << INFINITY << 0x7c00;
    QTest::newRow("nan") << NAN << 0x7e00;
}

void Fp16Test::fp32ToFp16RoundsToNearestEven()
{
    QFETCH(float, value);
    QFETCH(int, expected);
    QCOMPARE(int(fp32ToFp16(value)), expected);
}

void Fp16Test::randomValuesMatchReference()
{
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::uint32_t> bits(0, 0xffffffffu);
    for (int i = 0; i < 200000; ++i) {
        // Mostly values within the half range, where rounding matters.
        std::uint32_t u = bits(rng);
        if (i % 4)
            u = (u & 0x807fffffu) | ((100 + u % 45) << 23);
        const float f = std::bit_cast<float>(u);
        if (std::isnan(f))
            continue;
        QCOMPARE(fp32ToFp16(f), slowToFp16(f));
    }
}

void Fp16Test::rowsMatchScalar()
{
    std::mt19937 rng(3);
    std::normal_distribution<float> dist(0.f, 100.f);
    std::vector<float> x(1037);
    for (float &v : x)
        v = dist(rng);
    x[5] = 1e6f;
    x[6] = 1e-7f;
    std::vector<std::uint16_t> h(x.size());
    fp32ToFp16Row(x.data(), h.data(), std::int64_t(x.size()));
    std::vector<float> back(x.size());
    fp16ToFp32Row(h.data(), back.data(), std::int64_t(x.size()));
    for (std::size_t i = 0; i < x.size(); ++i) {
        QCOMPARE(h[i], fp32ToFp16(x[i]));
        QCOMPARE(back[i], fp16ToFp32(h[i]));
    }
}

void Fp16Test::bf16()
{
    QCOMPARE(fp32ToBf16(1.0f), std::uint16_t(0x3f80));
    QCOMPARE(bf16ToFp32(0x3f80), 1.0f);
    // 1 + 2^-8 is exactly half way between two bf16 values: ties to even (down).
    QCOMPARE(fp32ToBf16(1.0f + 0x1p-8f), std::uint16_t(0x3f80));
    QCOMPARE(fp32ToBf16(1.0f + 3 * 0x1p-8f), std::uint16_t(0x3f82));
    QVERIFY(std::isnan(bf16ToFp32(fp32ToBf16(NAN))));
    for (std::uint32_t h = 0; h < 0x10000; ++h) {
        const float f = bf16ToFp32(static_cast<std::uint16_t>(h));
        if (!std::isnan(f))
            QCOMPARE(fp32ToBf16(f), static_cast<std::uint16_t>(h));
    }
}

QTEST_GUILESS_MAIN(Fp16Test)
#include "fp16test.moc"
