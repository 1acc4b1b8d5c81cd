#include "inference/sampler.h"

#include <QTest>
#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>
#include <numeric>
#include <random>

using namespace quire::inference;

namespace
{

constexpr float kInf = std::numeric_limits<float>::infinity();

SamplerSettings plain(float temperature, std::uint64_t seed = 7)
{
    SamplerSettings s;
    s.temperature = temperature;
    s.topK = 0;
    s.topP = 1.0f;
    s.minP = 0.0f;
    s.seed = seed;
    return s;
}

std::vector<double> softmax(const std::vector<float> &logits, double temperature)
{
    std::vector<double> p(logits.size());
    const double max = *std::max_element(logits.begin(), logits.end());
    for (std::size_t i = 0; i < logits.size(); ++i)
        p[i] = std::isinf(logits[i]) ? 0.0 : std::exp((logits[i] - max) / temperature);
    const double sum = std::accumulate(p.begin(), p.end(), 0.0);
    for (double &x : p)
        x /= sum;
    return p;
}

// Draws n tokens and checks every frequency against `expected` within five standard deviations.
void checkDistribution(Sampler &sampler, const std::vector<float> &logits, const std::vector<double> &expected)
{
    const int n = 40000;
    std::vector<int> counts(logits.size(), 0);
    for (int i = 0; i < n; ++i) {
        const std::int32_t t = sampler.sample(logits);
        QVERIFY(t >= 0 && std::size_t(t) < logits.size());
        ++counts[std::size_t(t)];
    }
    for (std::size_t i = 0; i < logits.size(); ++i) {
        const double mean = n * expected[i];
        const double sigma = std::sqrt(n * expected[i] * (1 - expected[i]));
        QVERIFY2(std::abs(counts[i] - mean) <= 5 * sigma + 0.5,
            qPrintable(QStringLiteral("token %1: %2 draws, expected %3").arg(i).arg(counts[i]).arg(mean)));
    }
}

// Thread CPU time: the build machines are shared, and wall time there measures the neighbours.
double cpuMs()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

} // namespace

class SamplerTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults()
    {
        const SamplerSettings s;
        QCOMPARE(s.temperature, 0.8f);
        QCOMPARE(s.topK, 40);
        QCOMPARE(s.topP, 0.95f);
        QCOMPARE(s.minP, 0.05f);
        QCOMPARE(s.repeatPenalty, 1.0f);
        QCOMPARE(s.penaltyLastN, 64);
    }

    void greedy_data()
    {
        QTest::addColumn<std::vector<float>>("logits");
        QTest::addColumn<int>("expected");
        QTest::newRow("simple") << std::vector<float> { 0.1f, 3.0f, -1.0f } << 1;
        QTest::newRow("tie takes first") << std::vector<float> { 2.0f, 5.0f, 5.0f } << 1;
        QTest::newRow("negative") << std::vector<float> { -9.0f, -3.0f, -4.0f } << 1;
        QTest::newRow("masked") << std::vector<float> { -kInf, -kInf, 0.0f } << 2;
        QTest::newRow("all masked") << std::vector<float> { -kInf, -kInf } << -1;
        QTest::newRow("empty") << std::vector<float> {} << -1;
    }
    void greedy()
    {
        QFETCH(std::vector<float>, logits);
        QFETCH(int, expected);
        for (float temperature : { 0.0f, -1.0f }) {
            Sampler sampler(plain(temperature));
            QCOMPARE(sampler.sample(logits), expected);
        }
    }

    void distribution_data()
    {
        QTest::addColumn<float>("temperature");
        QTest::newRow("t=1") << 1.0f;
        QTest::newRow("t=0.5") << 0.5f;
        QTest::newRow("t=2") << 2.0f;
    }
    void distribution()
    {
        QFETCH(float, temperature);
        const std::vector<float> logits { 1.0f, 2.0f, 0.5f, -kInf, 1.5f };
        Sampler sampler(plain(temperature, 12345));
        checkDistribution(sampler, logits, softmax(logits, temperature));
    }

    void truncation_data()
    {
        // Probabilities 0.5, 0.3, 0.15, 0.05 (as logits), in shuffled order.
        QTest::addColumn<int>("topK");
        QTest::addColumn<float>("topP");
        QTest::addColumn<float>("minP");
        QTest::addColumn<std::vector<double>>("expected"); // in token order 0..3
        const std::vector<double> full { 0.15, 0.5, 0.05, 0.3 };
        QTest::newRow("none") << 0 << 1.0f << 0.0f << full;
        QTest::newRow("top-k 2") << 2 << 1.0f << 0.0f << std::vector<double> { 0, 0.625, 0, 0.375 };
        QTest::newRow("top-k 1") << 1 << 1.0f << 0.0f << std::vector<double> { 0, 1, 0, 0 };
        QTest::newRow("top-k past vocab") << 10 << 1.0f << 0.0f << full;
        QTest::newRow("top-p 0.75") << 0 << 0.75f << 0.0f << std::vector<double> { 0, 0.625, 0, 0.375 };
        QTest::newRow("top-p 0.85") << 0 << 0.85f << 0.0f
                                    << std::vector<double> { 0.15 / 0.95, 0.5 / 0.95, 0, 0.3 / 0.95 };
        QTest::newRow("top-p tiny keeps one") << 0 << 0.01f << 0.0f << std::vector<double> { 0, 1, 0, 0 };
        QTest::newRow("min-p 0.25") << 0 << 1.0f << 0.25f
                                    << std::vector<double> { 0.15 / 0.95, 0.5 / 0.95, 0, 0.3 / 0.95 };
        QTest::newRow("min-p 0.5") << 0 << 1.0f << 0.5f << std::vector<double> { 0, 0.625, 0, 0.375 };
        QTest::newRow("min-p 1") << 0 << 1.0f << 1.0f << std::vector<double> { 0, 1, 0, 0 };
        // top-p after top-k renormalises over the k survivors: 0.5/0.95, 0.3/0.95 -> 0.84 >= 0.8 keeps two.
        QTest::newRow("top-k 3 then top-p 0.8") << 3 << 0.8f << 0.0f << std::vector<double> { 0, 0.625, 0, 0.375 };
    }
    void truncation()
    {
        QFETCH(int, topK);
        QFETCH(float, topP);
        QFETCH(float, minP);
        QFETCH(std::vector<double>, expected);
        const std::vector<float> logits { std::log(0.15f), std::log(0.5f), std::log(0.05f), std::log(0.3f) };
        SamplerSettings s = plain(1.0f, 99);
        s.topK = topK;
        s.topP = topP;
        s.minP = minP;
        Sampler sampler(s);
        checkDistribution(sampler, logits, expected);
    }

    void reproducible()
    {
        std::mt19937 rng(3);
        std::normal_distribution<float> normal;
        std::vector<float> logits(1000);
        for (float &l : logits)
            l = normal(rng);
        auto run = [&](std::uint64_t seed) {
            Sampler sampler(plain(1.0f, seed));
            std::vector<std::int32_t> tokens;
            for (int i = 0; i < 50; ++i)
                tokens.push_back(sampler.sample(logits));
            return tokens;
        };
        QCOMPARE(run(42), run(42));
        QVERIFY(run(42) != run(43));
        Sampler sampler(plain(1.0f, 42));
        const std::int32_t first = sampler.sample(logits);
        sampler.sample(logits);
        sampler.reset();
        QCOMPARE(sampler.sample(logits), first);
    }

    void penalties_data()
    {
        QTest::addColumn<float>("repeat");
        QTest::addColumn<float>("presence");
        QTest::addColumn<float>("frequency");
        QTest::addColumn<int>("lastN");
        QTest::addColumn<std::vector<int>>("history");
        QTest::addColumn<std::vector<float>>("logits");
        QTest::addColumn<int>("expected");
        QTest::newRow("off") << 1.0f << 0.0f << 0.0f << 64 << std::vector<int> { 0, 0 }
                             << std::vector<float> { 2.0f, 1.5f } << 0;
        QTest::newRow("repeat divides positive")
            << 2.0f << 0.0f << 0.0f << 64 << std::vector<int> { 0 } << std::vector<float> { 2.0f, 1.5f } << 1;
        QTest::newRow("repeat multiplies negative")
            << 2.0f << 0.0f << 0.0f << 64 << std::vector<int> { 0 } << std::vector<float> { -1.0f, -1.5f } << 1;
        QTest::newRow("repeat counts once")
            << 1.5f << 0.0f << 0.0f << 64 << std::vector<int> { 0, 0, 0 } << std::vector<float> { 3.0f, 1.9f } << 0;
        QTest::newRow("presence") << 1.0f << 0.5f << 0.0f << 64 << std::vector<int> { 0 }
                                  << std::vector<float> { 1.0f, 0.8f } << 1;
        QTest::newRow("frequency once") << 1.0f << 0.0f << 0.15f << 64 << std::vector<int> { 0 }
                                        << std::vector<float> { 1.0f, 0.8f } << 0;
        QTest::newRow("frequency twice") << 1.0f << 0.0f << 0.15f << 64 << std::vector<int> { 0, 0 }
                                         << std::vector<float> { 1.0f, 0.8f } << 1;
        QTest::newRow("window forgets") << 2.0f << 0.0f << 0.0f << 1 << std::vector<int> { 0, 2 }
                                        << std::vector<float> { 2.0f, 1.5f, 0.0f } << 0;
        QTest::newRow("window zero is off")
            << 2.0f << 0.0f << 0.0f << 0 << std::vector<int> { 0 } << std::vector<float> { 2.0f, 1.5f } << 0;
        QTest::newRow("window -1 is everything") << 2.0f << 0.0f << 0.0f << -1 << std::vector<int> { 0, 2, 2, 2 }
                                                 << std::vector<float> { 2.0f, 1.5f, 0.0f } << 1;
        QTest::newRow("out of range history ignored")
            << 2.0f << 0.0f << 0.0f << 64 << std::vector<int> { 7, -3 } << std::vector<float> { 2.0f, 1.5f } << 0;
    }
    void penalties()
    {
        QFETCH(float, repeat);
        QFETCH(float, presence);
        QFETCH(float, frequency);
        QFETCH(int, lastN);
        QFETCH(std::vector<int>, history);
        QFETCH(std::vector<float>, logits);
        QFETCH(int, expected);
        SamplerSettings s = plain(0.0f);
        s.repeatPenalty = repeat;
        s.presencePenalty = presence;
        s.frequencyPenalty = frequency;
        s.penaltyLastN = lastN;
        Sampler sampler(s);
        for (int t : history)
            sampler.accept(t);
        QCOMPARE(sampler.sample(logits), expected);
        sampler.reset(); // forgets the history
        QCOMPARE(sampler.sample(logits), int(std::max_element(logits.begin(), logits.end()) - logits.begin()));
    }

    // k much smaller than the vocabulary takes the one-pass heap path: same distribution as the table above.
    void topKLargeVocabulary()
    {
        std::mt19937 rng(8);
        std::normal_distribution<float> normal;
        std::vector<float> logits(1000);
        for (float &l : logits)
            l = normal(rng);
        logits[17] = -kInf;
        std::vector<std::int32_t> order(logits.size());
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](auto a, auto b) { return logits[a] > logits[b]; });
        std::vector<float> kept(logits.size(), -kInf);
        for (int i = 0; i < 5; ++i)
            kept[std::size_t(order[std::size_t(i)])] = logits[std::size_t(order[std::size_t(i)])];
        SamplerSettings s = plain(0.7f, 21);
        s.topK = 5;
        Sampler sampler(s);
        checkDistribution(sampler, logits, softmax(kept, 0.7));
    }

    void promptTokensCountForPenaltiesOnly()
    {
        SamplerSettings s = plain(0.0f);
        s.repeatPenalty = 2.0f;
        Sampler sampler(s);
        const std::vector<std::int32_t> prompt { 0, 5 };
        sampler.acceptPrompt(prompt);
        QCOMPARE(sampler.sample(std::vector<float> { 2.0f, 1.5f }), 1);
    }

    void oddValues()
    {
        Sampler sampler(plain(1.0f));
        const float nan = std::numeric_limits<float>::quiet_NaN();
        for (int i = 0; i < 200; ++i)
            QCOMPARE(sampler.sample(std::vector<float> { nan, -kInf, 0.0f }), 2);
        QCOMPARE(sampler.sample(std::vector<float> { 0.0f, kInf, 3.0f }), 1);
        QCOMPARE(sampler.sample(std::vector<float> { -kInf }), -1);
    }

    // A 150K vocabulary with top-k off: the sample must come from the nucleus a full sort finds.
    void largeVocabularyTopP()
    {
        const std::size_t n = 150000;
        std::mt19937 rng(11);
        std::normal_distribution<float> normal(0.0f, 3.0f);
        std::vector<float> logits(n);
        for (float &l : logits)
            l = normal(rng);
        std::vector<std::int32_t> order(n);
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](auto a, auto b) { return logits[a] > logits[b]; });
        const auto p = softmax(logits, 1.0);
        double cumulative = 0;
        std::size_t nucleus = 0;
        while (cumulative < 0.9)
            cumulative += p[std::size_t(order[nucleus++])];
        std::vector<std::uint8_t> inNucleus(n, 0);
        for (std::size_t i = 0; i < nucleus; ++i)
            inNucleus[std::size_t(order[i])] = 1;
        SamplerSettings s = plain(1.0f, 5);
        s.topP = 0.9f;
        Sampler sampler(s);
        double start = cpuMs();
        const int draws = 50;
        for (int i = 0; i < draws; ++i)
            QVERIFY(inNucleus[std::size_t(sampler.sample(logits))]);
        qInfo("nucleus of %zu tokens; %.2f ms CPU per sample over 150K logits (top-k off, top-p 0.9)",
            nucleus,
            (cpuMs() - start) / draws);
        SamplerSettings d; // llama.cpp defaults: top-k 40 first
        d.seed = 5;
        Sampler defaults(d);
        start = cpuMs();
        for (int i = 0; i < draws; ++i)
            QVERIFY(defaults.sample(logits) >= 0);
        qInfo("%.2f ms CPU per sample over 150K logits with the default chain", (cpuMs() - start) / draws);
    }
};

QTEST_GUILESS_MAIN(SamplerTest)
#include "samplertest.moc"
