#pragma once

#include <QFuture>
#include <QPointF>
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

namespace quire::ui
{

struct LayoutEdge {
    int source = 0; // node indices
    int target = 0;
    double weight = 1; // pulls harder when larger (scaled logarithmically)
};

// A force-directed layout: Fruchterman–Reingold forces with Barnes–Hut repulsion (a quadtree, O(n log n) a
// step), a weak pull to the centre so separate components stay on screen, and a cooling step limit.
// Deterministic: the same nodes, edges, seed and start give the same positions. Pinned nodes do not move.
class ForceLayout
{
public:
    struct Options {
        std::uint32_t seed = 1;
        double idealLength = 40; // the edge length the forces settle at, in layout units
        double gravity = 1.0; // pull to the centre: the layout's radius is about idealLength·√(total mass / gravity)
        double theta = 0.9; // Barnes–Hut opening angle: larger is faster and rougher
        double cooling = 0.95; // temperature factor per step
        double tolerance = 0.02; // converged when no node moves more than this times idealLength
        int maxIterations = 600;
    };

    ForceLayout(int nodeCount, std::vector<LayoutEdge> edges, Options options);
    explicit ForceLayout(int nodeCount = 0, std::vector<LayoutEdge> edges = {})
        : ForceLayout(nodeCount, std::move(edges), Options())
    {
    }

    int nodeCount() const { return int(m_x.size()); }
    const Options &options() const { return m_options; }
    // Heavier nodes push harder (the view gives big nodes more room); default 1.
    void setMasses(const std::vector<double> &masses);
    // A warm start: the positions to begin from; the temperature then starts at `temperature` (in units
    // of idealLength) so a small change does not scramble a layout the reader knows.
    void setPositions(const std::vector<QPointF> &positions, double temperature);
    void setPinned(int node, bool pinned);
    bool isPinned(int node) const { return m_pinned.at(std::size_t(node)); }

    // One step; returns the largest move of a node, in units of idealLength.
    double step();
    bool isConverged() const;
    int iterations() const { return m_iterations; }
    std::vector<QPointF> positions() const;

    // Steps until converged, maxIterations or `cancelled()`; `snapshot` gets the positions every
    // `snapshotMs` milliseconds (and not at the end). Returns the number of steps taken.
    int run(const std::function<bool()> &cancelled,
        const std::function<void(std::vector<QPointF>)> &snapshot = {},
        int snapshotMs = 40);

private:
    struct Cell {
        double x0 = 0, y0 = 0, size = 0; // the square this cell covers
        double mass = 0, mx = 0, my = 0; // total mass and mass-weighted position sums
        int body = -1; // -1: empty, -2: internal, else the one body of a leaf
        int children[4] = { -1, -1, -1, -1 };
    };
    void buildTree();
    void insert(int body);
    int childOf(int cell, int quadrant);
    void repulse(int body, double &fx, double &fy) const;
    void attract(std::vector<double> &fx, std::vector<double> &fy) const;

    Options m_options;
    std::vector<LayoutEdge> m_edges;
    std::vector<double> m_x, m_y, m_mass;
    std::vector<bool> m_pinned;
    std::vector<Cell> m_cells;
    double m_temperature = 0;
    double m_lastMove = 1e9;
    int m_iterations = 0;
};

struct LayoutResult {
    std::vector<QPointF> positions;
    int iterations = 0;
    bool converged = false;
    bool done = false; // the last result; the others are snapshots taken while it ran
    double msPerIteration = 0;
};

// Runs `layout` on the layout thread (one at a time, never the GUI's). The future reports snapshots as
// results while it runs and the final LayoutResult as its last result; cancel() stops it within a step.
QFuture<LayoutResult> startLayout(ForceLayout layout, int snapshotMs = 40);

} // namespace quire::ui
