// Frame time of the entity graph while panning, on a generated graph (default 2,000 nodes, 10,000
// edges): the force layout's time per step and to convergence, then N frames of a panning view painted
// offscreen into an image (fast quality, as drawn while moving, and full quality, as drawn once still),
// and, on a real display (e.g. under xvfb-run), N frames repainted on screen. Figures are mean and 95th
// percentile frame time and frames per second, with the ratio to the 30 fps goal (33.3 ms a frame), and the
// CPU time a frame (on a shared machine the wall time includes waiting for a core). "moving" and "still"
// are the two qualities of a pan; "nodes moving" redraws every edge each frame, as while the layout
// animates or a node is dragged.
//   graphpanbench [--nodes N] [--edges M] [--frames F] [--size WxH] [--save PNG]
#include "ui/forcelayout.h"
#include "ui/graphcanvas.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <time.h>

using namespace quire::ui;

namespace
{

constexpr double GoalMs = 1000.0 / 30;

struct Generated {
    std::vector<GraphCanvas::Node> nodes;
    std::vector<GraphCanvas::Edge> edges;
    std::vector<LayoutEdge> layoutEdges;
};

// Communities of about 40 entities with heavy-tailed mention counts; most edges inside a community,
// the rest to popular entities anywhere (as a few main characters link to everyone).
Generated generate(int nodeCount, int edgeCount)
{
    std::mt19937 random(42);
    auto unit = [&random] { return double(random()) / 4294967296.0; };
    Generated g;
    std::vector<double> mentions(static_cast<std::size_t>(nodeCount));
    for (int i = 0; i < nodeCount; ++i) {
        mentions[std::size_t(i)] = 2 + 500 * std::pow(unit(), 6);
        g.nodes.push_back({ QStringLiteral("Entity %1").arg(i),
            QString(),
            3 + 13 * std::sqrt(mentions[std::size_t(i)] / 502),
            int(random() % 4) });
    }
    const int community = 40;
    while (int(g.edges.size()) < edgeCount) {
        const int a = int(random() % std::uint32_t(nodeCount));
        int b = unit() < 0.8 ? (a / community) * community + int(random() % community)
                             : int(std::pow(unit(), 3) * nodeCount);
        b = std::min(b, nodeCount - 1);
        if (a == b)
            continue;
        const double weight = 1 + 30 * std::pow(unit(), 4);
        g.edges.push_back({ a, b, 0.6 + 3.4 * std::sqrt(weight / 31), QString() });
        g.layoutEdges.push_back({ a, b, weight });
    }
    return g;
}

// This thread's CPU time in ms: on a shared, loaded machine it tells the work from the waiting.
double cpuMs()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

struct Figures {
    double mean = 0;
    double p95 = 0;
    double cpu = 0; // mean CPU time a frame
};

struct Frames {
    std::vector<double> wall;
    std::vector<double> cpu;
    QElapsedTimer clock;
    double cpuStart = 0;
    void start()
    {
        cpuStart = cpuMs();
        clock.start();
    }
    void stop()
    {
        wall.push_back(double(clock.nsecsElapsed()) / 1e6);
        cpu.push_back(cpuMs() - cpuStart);
    }
    Figures summary()
    {
        std::sort(wall.begin(), wall.end());
        Figures f;
        f.mean = std::accumulate(wall.begin(), wall.end(), 0.0) / double(wall.size());
        f.p95 = wall[std::min(wall.size() - 1, std::size_t(std::ceil(0.95 * double(wall.size()))) - 1)];
        f.cpu = std::accumulate(cpu.begin(), cpu.end(), 0.0) / double(cpu.size());
        return f;
    }
};

void report(const QString &what, const Figures &f)
{
    std::printf("%-34s mean %6.2f ms  p95 %6.2f ms  %6.1f fps  CPU %6.2f ms/frame  (p95 %.2fx the 30 fps budget)\n",
        qPrintable(what),
        f.mean,
        f.p95,
        1000.0 / f.mean,
        f.cpu,
        f.p95 / GoalMs);
}

// A pan along a circle, a few pixels a frame, like a drag.
QPointF panStep(int frame)
{
    const double angle = frame * 0.05;
    return QPointF(6 * std::cos(angle), 6 * std::sin(angle));
}

// `moving`: the nodes move every frame too (a layout animating, a node dragged), so nothing drawn before
// can be reused: the worst case.
Figures panOffscreen(GraphCanvas &canvas, int frames, bool full, bool moving = false)
{
    QImage image(canvas.size(), QImage::Format_ARGB32_Premultiplied);
    Frames f;
    for (int i = 0; i < frames; ++i) {
        canvas.panBy(panStep(i));
        if (moving)
            canvas.setPositions(canvas.positions());
        f.start();
        QPainter painter(&image);
        canvas.paintGraph(painter, image.size(), full);
        painter.end();
        f.stop();
    }
    return f.summary();
}

// The reference, in the same run: QPainter's raster engine drawing the same edges as one batch of
// cosmetic lines each frame (what a plain QGraphicsView or QPainter implementation pays for edges alone).
Figures panReference(GraphCanvas &canvas, int frames)
{
    QImage image(canvas.size(), QImage::Format_ARGB32_Premultiplied);
    Frames f;
    std::vector<QLineF> lines;
    for (int i = 0; i < frames; ++i) {
        canvas.panBy(panStep(i));
        f.start();
        lines.clear();
        for (const GraphCanvas::Edge &e : canvas.edges())
            lines.emplace_back(canvas.toWidget(canvas.positions()[std::size_t(e.source)]),
                canvas.toWidget(canvas.positions()[std::size_t(e.target)]));
        QPainter painter(&image);
        painter.fillRect(image.rect(), Qt::white);
        painter.setPen(QPen(QColor(0, 0, 0, 56), 0));
        painter.drawLines(lines.data(), int(lines.size()));
        painter.end();
        f.stop();
    }
    return f.summary();
}

Figures panOnScreen(GraphCanvas &canvas, int frames)
{
    Frames f;
    for (int i = 0; i < frames; ++i) {
        f.start();
        canvas.panBy(panStep(i));
        canvas.repaint(); // paints and flushes now, as a drag does each mouse move
        QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
        f.stop();
    }
    return f.summary();
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Frame time of the entity graph while panning."));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("nodes"),
        QStringLiteral("Nodes (default 2000)."),
        QStringLiteral("N"),
        QStringLiteral("2000") });
    parser.addOption({ QStringLiteral("edges"),
        QStringLiteral("Edges (default 10000)."),
        QStringLiteral("M"),
        QStringLiteral("10000") });
    parser.addOption({ QStringLiteral("frames"),
        QStringLiteral("Frames a run (default 300)."),
        QStringLiteral("F"),
        QStringLiteral("300") });
    parser.addOption({ QStringLiteral("size"),
        QStringLiteral("View size (default 1280x800)."),
        QStringLiteral("WxH"),
        QStringLiteral("1280x800") });
    parser.addOption(
        { QStringLiteral("save"), QStringLiteral("Save a full-quality frame as PNG."), QStringLiteral("PNG") });
    parser.process(app);
    const int nodes = std::max(parser.value(QStringLiteral("nodes")).toInt(), 2);
    const int edges = std::max(parser.value(QStringLiteral("edges")).toInt(), 0);
    const int frames = std::max(parser.value(QStringLiteral("frames")).toInt(), 1);
    const QStringList size = parser.value(QStringLiteral("size")).split(QLatin1Char('x'));
    const QSize view(size.value(0).toInt() > 0 ? size.value(0).toInt() : 1280,
        size.value(1).toInt() > 0 ? size.value(1).toInt() : 800);

    Generated g = generate(nodes, edges);
    std::printf("graph: %d nodes, %d edges; view %dx%d; platform %s\n",
        nodes,
        edges,
        view.width(),
        view.height(),
        qPrintable(QGuiApplication::platformName()));

    ForceLayout layout(nodes, g.layoutEdges, ForceLayout::Options());
    std::vector<double> masses;
    for (const auto &n : g.nodes)
        masses.push_back(0.5 + n.radius / 8);
    layout.setMasses(masses);
    QElapsedTimer clock;
    clock.start();
    const double cpuStart = cpuMs();
    layout.run({});
    const double layoutMs = double(clock.nsecsElapsed()) / 1e6;
    const double layoutCpu = cpuMs() - cpuStart;
    std::printf("layout: %d iterations to %s, %.2f ms/iteration (CPU %.2f), %.0f ms in all (CPU %.0f)\n",
        layout.iterations(),
        layout.isConverged() ? "convergence" : "the limit",
        layoutMs / std::max(layout.iterations(), 1),
        layoutCpu / std::max(layout.iterations(), 1),
        layoutMs,
        layoutCpu);

    GraphCanvas canvas;
    canvas.resize(view);
    canvas.setGraph(std::move(g.nodes), std::move(g.edges), layout.positions());
    canvas.fitToView();
    const QPointF centre = canvas.centre();
    const double fit = canvas.scale();
    const std::pair<const char *, double> zooms[] = { { "whole graph", 1.0 }, { "zoomed in 4x", 4.0 } };
    for (const auto &[name, zoom] : zooms) {
        canvas.setView(centre, fit * zoom);
        report(QStringLiteral("offscreen, %1, moving:").arg(QLatin1String(name)), panOffscreen(canvas, frames, false));
        canvas.setView(centre, fit * zoom);
        report(QStringLiteral("offscreen, %1, still:").arg(QLatin1String(name)), panOffscreen(canvas, frames, true));
        canvas.setView(centre, fit * zoom);
        report(QStringLiteral("offscreen, %1, nodes moving:").arg(QLatin1String(name)),
            panOffscreen(canvas, frames, false, true));
    }
    canvas.setView(centre, fit);
    report(QStringLiteral("reference, QPainter edges only:"), panReference(canvas, std::max(frames / 5, 1)));
    if (QGuiApplication::platformName() != QLatin1String("offscreen")) {
        canvas.setQuality(GraphCanvas::Quality::Auto);
        canvas.show();
        QCoreApplication::processEvents();
        for (const auto &[name, zoom] : zooms) {
            canvas.setView(centre, fit * zoom);
            report(QStringLiteral("on screen, %1:").arg(QLatin1String(name)), panOnScreen(canvas, frames));
        }
    } else {
        std::printf("on screen: skipped (offscreen platform; run under xvfb-run for a display)\n");
    }
    if (parser.isSet(QStringLiteral("save"))) {
        canvas.setView(centre, fit);
        QImage image(view, QImage::Format_ARGB32_Premultiplied);
        QPainter painter(&image);
        canvas.paintGraph(painter, view, true);
        painter.end();
        image.save(parser.value(QStringLiteral("save")));
    }
    return 0;
}
