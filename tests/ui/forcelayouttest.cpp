#include "ui/forcelayout.h"

#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTest>
#include <cmath>
#include <random>

using namespace quire::ui;

namespace
{
constexpr double Length = 40;

// Communities of `size` nodes, densely linked inside and sparsely between neighbours, plus `isolated`
// nodes without edges; generated from a fixed seed.
std::vector<LayoutEdge> communities(int groups, int size, std::uint32_t seed)
{
    std::mt19937 random(seed);
    std::vector<LayoutEdge> edges;
    for (int g = 0; g < groups; ++g) {
        for (int i = 0; i < size; ++i) {
            for (int k = 0; k < 3; ++k) {
                const int j = int(random() % std::uint32_t(size));
                if (j != i)
                    edges.push_back({ g * size + i, g * size + j, 1.0 + random() % 4 });
            }
        }
        if (g > 0)
            edges.push_back({ (g - 1) * size, g * size, 1.0 });
    }
    return edges;
}

double distance(QPointF a, QPointF b)
{
    return std::hypot(a.x() - b.x(), a.y() - b.y());
}

ForceLayout::Options options(std::uint32_t seed = 1)
{
    ForceLayout::Options o;
    o.seed = seed;
    o.idealLength = Length;
    return o;
}
} // namespace

class ForceLayoutTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deterministic()
    {
        ForceLayout a(120, communities(4, 30, 5), options(7));
        ForceLayout b(120, communities(4, 30, 5), options(7));
        ForceLayout c(120, communities(4, 30, 5), options(8));
        a.run({});
        b.run({});
        c.run({});
        QCOMPARE(a.iterations(), b.iterations());
        QCOMPARE(a.positions(), b.positions());
        QVERIFY(a.positions() != c.positions());
    }

    void separatesNodes_data()
    {
        QTest::addColumn<int>("nodes");
        QTest::addColumn<bool>("edges");
        QTest::addColumn<bool>("sameSpot"); // every node starts on the same point
        QTest::newRow("50 without edges") << 50 << false << false;
        QTest::newRow("300 in communities") << 300 << true << false;
        QTest::newRow("40 on one spot") << 40 << true << true;
    }
    void separatesNodes()
    {
        QFETCH(int, nodes);
        QFETCH(bool, edges);
        QFETCH(bool, sameSpot);
        ForceLayout layout(nodes, edges ? communities(nodes / 20, 20, 3) : std::vector<LayoutEdge>(), options());
        if (sameSpot)
            layout.setPositions(std::vector<QPointF>(std::size_t(nodes), QPointF(5, 5)), 5);
        layout.run({});
        QVERIFY(layout.isConverged());
        const auto p = layout.positions();
        double closest = 1e9, farthest = 0;
        for (std::size_t i = 0; i < p.size(); ++i) {
            for (std::size_t j = i + 1; j < p.size(); ++j)
                closest = std::min(closest, distance(p[i], p[j]));
            farthest = std::max(farthest, distance(p[i], QPointF()));
        }
        QVERIFY2(closest > 0.1 * Length, qPrintable(QString::number(closest)));
        // Nothing is flung far away: the layout stays within a few ideal lengths per √n.
        QVERIFY2(farthest < 3 * Length * std::sqrt(double(nodes)), qPrintable(QString::number(farthest)));
    }

    void connectedNodesAreCloser()
    {
        const auto edges = communities(6, 25, 11);
        ForceLayout layout(150, edges, options());
        layout.run({});
        const auto p = layout.positions();
        double linked = 0;
        for (const LayoutEdge &e : edges)
            linked += distance(p[std::size_t(e.source)], p[std::size_t(e.target)]);
        linked /= double(edges.size());
        // Nodes of different communities (almost never linked) against linked pairs.
        double apart = 0;
        int pairs = 0;
        for (std::size_t i = 0; i < p.size(); i += 3) {
            for (std::size_t j = i + 25; j < p.size(); j += 7, ++pairs)
                apart += distance(p[i], p[j]);
        }
        apart /= pairs;
        QVERIFY2(linked < 0.5 * apart, qPrintable(QStringLiteral("%1 vs %2").arg(linked).arg(apart)));
    }

    void pinnedNodeStays()
    {
        ForceLayout layout(60, communities(3, 20, 2), options());
        const QPointF pin(500, -300);
        std::vector<QPointF> start = layout.positions();
        start[4] = pin;
        layout.setPositions(start, 3);
        layout.setPinned(4, true);
        layout.run({});
        QCOMPARE(layout.positions()[4], pin);
        QVERIFY(layout.isPinned(4));
        // Its neighbours were drawn toward it: closer on average than the nodes not linked to it.
        const auto edges = communities(3, 20, 2);
        std::vector<bool> linked(60, false);
        for (const LayoutEdge &e : edges) {
            if (e.source == 4 || e.target == 4)
                linked[std::size_t(e.source == 4 ? e.target : e.source)] = true;
        }
        double near = 0, far = 0;
        int nearCount = 0, farCount = 0;
        for (std::size_t i = 0; i < 60; ++i) {
            if (i == 4)
                continue;
            const double d = distance(layout.positions()[i], pin);
            (linked[i] ? near : far) += d;
            ++(linked[i] ? nearCount : farCount);
        }
        QVERIFY(nearCount > 0);
        QVERIFY2(near / nearCount < far / farCount,
            qPrintable(QStringLiteral("%1 vs %2").arg(near / nearCount).arg(far / farCount)));
    }

    void ignoresBadEdgesAndEmptyGraphs()
    {
        ForceLayout empty(0, { { 0, 1, 1 } }, options());
        QCOMPARE(empty.run({}), 0);
        QVERIFY(empty.isConverged());
        ForceLayout layout(3, { { 0, 7, 1 }, { -1, 2, 1 }, { 1, 1, 1 }, { 0, 1, 2 } }, options());
        layout.run({});
        QVERIFY(layout.isConverged());
        for (const QPointF &p : layout.positions())
            QVERIFY(std::isfinite(p.x()) && std::isfinite(p.y()));
    }

    void runStopsWhenCancelled()
    {
        ForceLayout layout(200, communities(10, 20, 4), options());
        int calls = 0;
        QCOMPARE(layout.run([&calls] { return ++calls > 3; }), 3);
        QCOMPARE(layout.iterations(), 3);
        QVERIFY(!layout.isConverged());
    }

    void workerReportsAndCancels()
    {
        ForceLayout::Options o = options();
        o.tolerance = 0; // never converges: only cancel stops it
        o.maxIterations = 1 << 30;
        QFutureWatcher<LayoutResult> watcher;
        QSignalSpy snapshots(&watcher, &QFutureWatcherBase::resultsReadyAt);
        QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
        watcher.setFuture(startLayout(ForceLayout(400, communities(20, 20, 9), o), 5));
        QVERIFY(snapshots.wait(10000));
        const LayoutResult first = watcher.future().resultAt(0);
        QCOMPARE(first.positions.size(), std::size_t(400));
        QVERIFY(!first.done);
        watcher.cancel();
        QVERIFY(finished.count() > 0 || finished.wait(5000));
        QVERIFY(watcher.isCanceled());
    }

    void workerFinishesWithTheResult()
    {
        QFutureWatcher<LayoutResult> watcher;
        QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
        ForceLayout direct(100, communities(5, 20, 6), options());
        direct.run({});
        watcher.setFuture(startLayout(ForceLayout(100, communities(5, 20, 6), options())));
        QVERIFY(finished.wait(20000));
        const QList<LayoutResult> results = watcher.future().results();
        QVERIFY(!results.isEmpty());
        const LayoutResult &last = results.last();
        QVERIFY(last.done && last.converged);
        QCOMPARE(last.iterations, direct.iterations());
        QCOMPARE(last.positions, direct.positions()); // the worker is as deterministic as a direct run
    }
};

QTEST_GUILESS_MAIN(ForceLayoutTest)
#include "forcelayouttest.moc"
