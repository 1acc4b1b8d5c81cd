#include "ui/forcelayout.h"

#include <QElapsedTimer>
#include <QPromise>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <array>
#include <cmath>
#include <random>

namespace quire::ui
{

namespace
{
constexpr int Empty = -1;
constexpr int Internal = -2;
constexpr int MaxDepth = 40; // deeper than this, bodies share a leaf (they sit on the same spot)

// The seed's numbers as doubles in [0, 1), the same on every standard library (the distributions are not).
double unit(std::mt19937 &random)
{
    return double(random()) / 4294967296.0;
}
} // namespace

ForceLayout::ForceLayout(int nodeCount, std::vector<LayoutEdge> edges, Options options)
    : m_options(options)
    , m_edges(std::move(edges))
    , m_x(std::size_t(std::max(nodeCount, 0)))
    , m_y(m_x.size())
    , m_mass(m_x.size(), 1.0)
    , m_pinned(m_x.size(), false)
{
    std::erase_if(m_edges, [n = nodeCount](const LayoutEdge &e) {
        return e.source < 0 || e.target < 0 || e.source >= n || e.target >= n || e.source == e.target;
    });
    // Random start in a square that holds every node at about the ideal spacing.
    std::mt19937 random(m_options.seed);
    const double side = m_options.idealLength * std::sqrt(double(std::max(nodeCount, 1)));
    for (std::size_t i = 0; i < m_x.size(); ++i) {
        m_x[i] = (unit(random) - 0.5) * side;
        m_y[i] = (unit(random) - 0.5) * side;
    }
    m_temperature = side / 4;
}

void ForceLayout::setMasses(const std::vector<double> &masses)
{
    for (std::size_t i = 0; i < std::min(masses.size(), m_mass.size()); ++i)
        m_mass[i] = std::max(masses[i], 0.01);
}

void ForceLayout::setPositions(const std::vector<QPointF> &positions, double temperature)
{
    for (std::size_t i = 0; i < std::min(positions.size(), m_x.size()); ++i) {
        m_x[i] = positions[i].x();
        m_y[i] = positions[i].y();
    }
    m_temperature = std::max(temperature, 0.0) * m_options.idealLength;
    m_lastMove = 1e9;
}

void ForceLayout::setPinned(int node, bool pinned)
{
    if (node >= 0 && node < nodeCount())
        m_pinned[std::size_t(node)] = pinned;
}

bool ForceLayout::isConverged() const
{
    return m_x.empty() || m_lastMove < m_options.tolerance;
}

std::vector<QPointF> ForceLayout::positions() const
{
    std::vector<QPointF> out(m_x.size());
    for (std::size_t i = 0; i < m_x.size(); ++i)
        out[i] = QPointF(m_x[i], m_y[i]);
    return out;
}

int ForceLayout::childOf(int cell, int quadrant)
{
    if (int child = m_cells[std::size_t(cell)].children[quadrant]; child >= 0)
        return child;
    const Cell &parent = m_cells[std::size_t(cell)];
    Cell child;
    child.size = parent.size / 2;
    child.x0 = parent.x0 + (quadrant & 1) * child.size;
    child.y0 = parent.y0 + (quadrant >> 1) * child.size;
    m_cells.push_back(child);
    const int index = int(m_cells.size()) - 1;
    m_cells[std::size_t(cell)].children[quadrant] = index;
    return index;
}

void ForceLayout::insert(int body)
{
    const auto b = std::size_t(body);
    const double w = m_mass[b], x = m_x[b], y = m_y[b];
    auto quadrantOf = [this](int cell, double px, double py) {
        const Cell &c = m_cells[std::size_t(cell)];
        const double half = c.size / 2;
        return int(px >= c.x0 + half) + 2 * int(py >= c.y0 + half);
    };
    int cell = 0;
    for (int depth = 0;; ++depth) {
        Cell &c = m_cells[std::size_t(cell)];
        if (c.body == Empty && c.mass == 0) {
            c.body = body;
            c.mass = w;
            c.mx = w * x;
            c.my = w * y;
            return;
        }
        if (c.body >= 0 && depth >= MaxDepth) {
            c.mass += w;
            c.mx += w * x;
            c.my += w * y;
            return;
        }
        if (c.body >= 0) { // a leaf with one body: move that body down a level
            const int old = c.body;
            const double mass = c.mass, mx = c.mx, my = c.my;
            c.body = Internal;
            const int child = childOf(cell, quadrantOf(cell, m_x[std::size_t(old)], m_y[std::size_t(old)]));
            Cell &moved = m_cells[std::size_t(child)];
            moved.body = old;
            moved.mass = mass;
            moved.mx = mx;
            moved.my = my;
        }
        Cell &internal = m_cells[std::size_t(cell)];
        internal.body = Internal;
        internal.mass += w;
        internal.mx += w * x;
        internal.my += w * y;
        cell = childOf(cell, quadrantOf(cell, x, y));
    }
}

void ForceLayout::buildTree()
{
    const auto [minX, maxX] = std::minmax_element(m_x.begin(), m_x.end());
    const auto [minY, maxY] = std::minmax_element(m_y.begin(), m_y.end());
    Cell root;
    root.size = std::max({ *maxX - *minX, *maxY - *minY, 1e-6 }) * 1.0001;
    root.x0 = *minX;
    root.y0 = *minY;
    m_cells.clear();
    m_cells.reserve(m_x.size() * 3);
    m_cells.push_back(root);
    for (int i = 0; i < nodeCount(); ++i)
        insert(i);
}

void ForceLayout::repulse(int body, double &fx, double &fy) const
{
    const auto b = std::size_t(body);
    const double k2 = m_options.idealLength * m_options.idealLength;
    const double theta2 = m_options.theta * m_options.theta;
    std::array<int, 4 * MaxDepth + 8> stack;
    int top = 0;
    stack[std::size_t(top++)] = 0;
    while (top > 0) {
        const Cell &c = m_cells[std::size_t(stack[std::size_t(--top)])];
        double mass = c.mass;
        if (c.body == body)
            mass -= m_mass[b]; // what is left are bodies on this very spot
        if (mass <= 0)
            continue;
        double dx = m_x[b] - (c.mx - (c.body == body ? m_mass[b] * m_x[b] : 0)) / mass;
        double dy = m_y[b] - (c.my - (c.body == body ? m_mass[b] * m_y[b] : 0)) / mass;
        double d2 = dx * dx + dy * dy;
        if (c.body != Internal || c.size * c.size < theta2 * d2) {
            if (d2 < 1e-12) { // the same spot: push apart in a direction fixed by the index
                dx = 0.01 * m_options.idealLength * std::cos(double(body));
                dy = 0.01 * m_options.idealLength * std::sin(double(body));
                d2 = dx * dx + dy * dy;
            }
            const double f = k2 * mass / d2; // magnitude k²·m/d, along (dx, dy)/d
            fx += f * dx;
            fy += f * dy;
            continue;
        }
        for (int child : c.children) {
            if (child >= 0)
                stack[std::size_t(top++)] = child;
        }
    }
}

void ForceLayout::attract(std::vector<double> &fx, std::vector<double> &fy) const
{
    const double length = m_options.idealLength;
    for (const LayoutEdge &e : m_edges) {
        const auto s = std::size_t(e.source), t = std::size_t(e.target);
        const double dx = m_x[t] - m_x[s], dy = m_y[t] - m_y[s];
        const double d = std::sqrt(dx * dx + dy * dy);
        const double pull = d / length * (1.0 + 0.5 * std::log1p(std::max(e.weight, 0.0)));
        fx[s] += dx * pull;
        fy[s] += dy * pull;
        fx[t] -= dx * pull;
        fy[t] -= dy * pull;
    }
}

double ForceLayout::step()
{
    if (m_x.empty())
        return 0;
    buildTree();
    const std::size_t n = m_x.size();
    std::vector<double> fx(n, 0.0), fy(n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        repulse(int(i), fx[i], fy[i]);
    attract(fx, fy);
    double largest = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (m_pinned[i])
            continue;
        // A linear pull to the centre: it balances the (long-range) repulsion of the whole graph at a radius
        // that keeps nodes without edges next to the rest rather than flung to the edge of the screen.
        const double gx = fx[i] / m_mass[i] - m_options.gravity * m_x[i];
        const double gy = fy[i] / m_mass[i] - m_options.gravity * m_y[i];
        const double move = std::sqrt(gx * gx + gy * gy);
        const double scale = move > m_temperature ? m_temperature / move : 1.0;
        m_x[i] += gx * scale;
        m_y[i] += gy * scale;
        largest = std::max(largest, move * scale);
    }
    m_temperature *= m_options.cooling;
    ++m_iterations;
    m_lastMove = largest / m_options.idealLength;
    return m_lastMove;
}

int ForceLayout::run(
    const std::function<bool()> &cancelled, const std::function<void(std::vector<QPointF>)> &snapshot, int snapshotMs)
{
    QElapsedTimer clock;
    clock.start();
    int steps = 0;
    while (!isConverged() && m_iterations < m_options.maxIterations) {
        if (cancelled && cancelled())
            break;
        step();
        ++steps;
        if (snapshot && clock.elapsed() >= snapshotMs) {
            snapshot(positions());
            clock.restart();
        }
    }
    return steps;
}

namespace
{
// Its own thread, so a layout never waits behind library reads (and they never wait behind it).
struct LayoutPool : QThreadPool {
    LayoutPool() { setMaxThreadCount(1); }
};
Q_GLOBAL_STATIC(LayoutPool, layoutPool)
} // namespace

QFuture<LayoutResult> startLayout(ForceLayout layout, int snapshotMs)
{
    return QtConcurrent::run(static_cast<QThreadPool *>(layoutPool()),
        [layout = std::move(layout), snapshotMs](QPromise<LayoutResult> &promise) mutable {
            QElapsedTimer clock;
            clock.start();
            const int steps = layout.run([&promise] { return promise.isCanceled(); },
                [&](std::vector<QPointF> positions) {
                    promise.addResult(LayoutResult { std::move(positions), layout.iterations(), false, false, 0 });
                },
                snapshotMs);
            promise.addResult(LayoutResult { layout.positions(),
                layout.iterations(),
                layout.isConverged(),
                true,
                steps > 0 ? double(clock.nsecsElapsed()) / 1e6 / steps : 0 });
        });
}

} // namespace quire::ui
