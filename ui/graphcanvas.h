#pragma once

#include "ui/linerasterizer.h"

#include <QHash>
#include <QImage>
#include <QList>
#include <QPointF>
#include <QTimer>
#include <QWidget>
#include <vector>

namespace quire::ui
{

// Draws a large node-link graph and lets the reader zoom (wheel, +/-, 0 to fit), pan (drag the
// background, arrow keys) and drag nodes. Painted by hand rather than with a QGraphicsScene so that
// 2,000 nodes and 10,000 edges stay smooth: edges are drawn as one batch of lines per width, nodes grouped
// by colour, off-screen items skipped, labels only where they fit, and antialiasing only once the view
// stands still. Node positions are in layout units; the view maps them with a centre and a scale.
class GraphCanvas : public QWidget
{
    Q_OBJECT
public:
    struct Node {
        QString label;
        QString toolTip;
        double radius = 6; // layout units
        int colour = 0; // index into the type colours (typeColour)
    };
    struct Edge {
        int source = 0;
        int target = 0;
        double width = 1; // pixels
        QString toolTip;
    };
    enum class Quality { Auto, Fast, Full }; // Auto: fast while moving, full when still

    explicit GraphCanvas(QWidget *parent = nullptr);

    void setGraph(std::vector<Node> nodes, std::vector<Edge> edges, std::vector<QPointF> positions);
    // Puts the nodes at `positions` at once (no animation), keeping the selection.
    void setPositions(std::vector<QPointF> positions);
    // Moves the nodes toward `positions` over a few frames (a node being dragged stays under the mouse).
    void animateTo(std::vector<QPointF> positions);
    const std::vector<QPointF> &positions() const { return m_positions; }
    const std::vector<Node> &nodes() const { return m_nodes; }
    const std::vector<Edge> &edges() const { return m_edges; }
    bool isAnimating() const { return m_animation.isActive(); }

    int currentNode() const { return m_current; }
    QList<int> selectedNodes() const { return m_selected; }
    int currentEdge() const { return m_currentEdge; }
    // Makes `node` current (and the only selected node unless `extend`); -1 clears. Emits nothing.
    void setCurrentNode(int node, bool extend = false);
    void setCurrentEdge(int edge);
    // Centres the view on `node` without changing the zoom.
    void centreOn(int node);

    double scale() const { return m_scale; }
    QPointF centre() const { return m_centre; }
    void setView(QPointF centre, double scale);
    void zoomBy(double factor, QPointF anchor);
    void zoomBy(double factor) { zoomBy(factor, QPointF(width() / 2.0, height() / 2.0)); }
    void panBy(QPointF pixels);
    void fitToView();
    void setQuality(Quality quality);
    // The key drawn in the corner: a name and a colour index for each type shown.
    void setLegend(QList<std::pair<QString, int>> legend);

    QPointF toWidget(QPointF world) const;
    QPointF toWorld(QPointF pixel) const;
    int nodeAt(QPointF pixel) const;
    int edgeAt(QPointF pixel) const;

    // Paints the graph as this view shows it into a `size` area of `painter` (export, benchmarks).
    void paintGraph(QPainter &painter, QSize size, bool full) const;

    // A colour for each entity type, readable on this palette's base colour (light or dark).
    static QColor typeColour(int colour, const QPalette &palette);

Q_SIGNALS:
    void nodeClicked(int node, Qt::KeyboardModifiers modifiers);
    void nodeActivated(int node); // double click or Enter
    void edgeClicked(int edge);
    void backgroundClicked();
    void nodeMoved(int node, QPointF position); // a drag ended
    void contextMenuRequested(int node, QPoint globalPos);
    void selectionChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    bool event(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void moved(); // the view changed: repaint fast now, fully once still
    void stepAnimation();
    void click(QPointF pixel, Qt::KeyboardModifiers modifiers);
    void paintEdgeLayer(QPainter &painter, QSize size, bool full) const;
    // With the line rasterizer (raster targets) or with `painter` (SVG).
    void paintEdges(QPainter &painter, QRectF visible, bool full, bool raster) const;
    void paintHighlightedEdges(QPainter &painter) const;
    void paintNodes(QPainter &painter, QRectF visible, bool raster) const;
    const QImage &sprite(int colour, double radius, bool outline, qreal ratio) const;
    void paintLabels(QPainter &painter, QRectF visible) const;
    void paintLegend(QPainter &painter) const;
    double pixelRadius(int node) const;
    bool isHighlighted(int node) const;

    std::vector<Node> m_nodes;
    std::vector<Edge> m_edges;
    std::vector<QPointF> m_positions;
    std::vector<QPointF> m_targets;
    mutable LineRasterizer m_rasterizer;
    struct EdgeLayer {
        QImage image; // background and edges, composed by m_rasterizer
        quint64 version = 0;
        double scale = 0;
        QPointF centre;
        bool full = false;
    };
    mutable EdgeLayer m_edgeLayer;
    quint64 m_version = 1; // changes with the positions, edges and colours: the edge layer is redrawn
    mutable QHash<quint64, QImage> m_sprites; // drawn nodes by colour, radius and outline
    std::vector<int> m_paintOrder; // nodes by colour, so each colour's brush is set once
    std::vector<int> m_labelOrder; // nodes by size, largest first
    std::vector<std::vector<int>> m_edgeBuckets; // edges by width
    std::vector<double> m_bucketWidths;
    std::vector<std::vector<int>> m_adjacent;
    QList<std::pair<QString, int>> m_legend;
    QList<int> m_selected;
    int m_current = -1;
    int m_currentEdge = -1;
    QPointF m_centre;
    double m_scale = 1;
    Quality m_quality = Quality::Auto;
    bool m_moving = false;
    QTimer m_still; // fires once the view has stopped moving: repaint at full quality
    QTimer m_animation;
    // Mouse state.
    QPointF m_pressPos;
    QPointF m_lastPos;
    QPointF m_grabOffset;
    int m_pressNode = -1;
    bool m_dragging = false;
};

} // namespace quire::ui
