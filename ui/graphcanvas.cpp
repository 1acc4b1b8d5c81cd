#include "ui/graphcanvas.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEngine>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace quire::ui
{

namespace
{
constexpr double MinScale = 1e-4;
constexpr double MaxScale = 64;
constexpr double MinPixelRadius = 1.5;
constexpr double LabelPixelRadius = 5; // smaller nodes get a label only when current or a neighbour of it
constexpr int MaxLabels = 150;
constexpr int StillMs = 150;
constexpr int KeyPanPixels = 64;
constexpr double HitSlop = 4;

// One hue per entity type, in analysis::EntityType order (person, organisation, place, date, time, money,
// quantity, party, court, case number, statute, other).
constexpr int Hues[] = { 212, 28, 130, 260, 240, 48, 90, 285, 355, 190, 170, 320 };

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

double segmentDistance(QPointF p, QPointF a, QPointF b)
{
    const QPointF ab = b - a;
    const double length2 = QPointF::dotProduct(ab, ab);
    const double t = length2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / length2, 0.0, 1.0) : 0.0;
    const QPointF d = p - (a + t * ab);
    return std::hypot(d.x(), d.y());
}

bool outside(QPointF a, QPointF b, QSizeF size)
{
    return std::max(a.x(), b.x()) < 0 || std::min(a.x(), b.x()) > size.width() || std::max(a.y(), b.y()) < 0
        || std::min(a.y(), b.y()) > size.height();
}
} // namespace

GraphCanvas::GraphCanvas(QWidget *parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(200, 150);
    setAccessibleName(tr("Entity graph"));
    setAccessibleDescription(tr("Drag to pan, wheel or +/- to zoom, 0 to fit, arrows to pan, drag a node to move "
                                "it, Enter to list its mentions, the menu key for rename, merge and delete."));
    m_still.setSingleShot(true);
    m_still.setInterval(StillMs);
    connect(&m_still, &QTimer::timeout, this, [this] {
        m_moving = false;
        update();
    });
    m_animation.setInterval(16);
    connect(&m_animation, &QTimer::timeout, this, &GraphCanvas::stepAnimation);
}

QColor GraphCanvas::typeColour(int colour, const QPalette &palette)
{
    const int hue = Hues[std::clamp(colour, 0, int(std::size(Hues)) - 1)];
    return isDark(palette) ? QColor::fromHsl(hue, 150, 165) : QColor::fromHsl(hue, 170, 100);
}

void GraphCanvas::setGraph(std::vector<Node> nodes, std::vector<Edge> edges, std::vector<QPointF> positions)
{
    m_animation.stop();
    m_nodes = std::move(nodes);
    const auto n = m_nodes.size();
    std::erase_if(edges, [n](const Edge &e) {
        return e.source < 0 || e.target < 0 || std::size_t(e.source) >= n || std::size_t(e.target) >= n;
    });
    m_edges = std::move(edges);
    positions.resize(n);
    m_positions = std::move(positions);
    m_targets = m_positions;
    m_paintOrder.resize(n);
    std::iota(m_paintOrder.begin(), m_paintOrder.end(), 0);
    std::stable_sort(m_paintOrder.begin(), m_paintOrder.end(), [this](int a, int b) {
        return m_nodes[std::size_t(a)].colour < m_nodes[std::size_t(b)].colour;
    });
    m_labelOrder.resize(n);
    std::iota(m_labelOrder.begin(), m_labelOrder.end(), 0);
    std::stable_sort(m_labelOrder.begin(), m_labelOrder.end(), [this](int a, int b) {
        return m_nodes[std::size_t(a)].radius > m_nodes[std::size_t(b)].radius;
    });
    // Edges grouped by width (to half a pixel), thinnest first so the strong ones lie on top.
    std::map<int, std::vector<int>> buckets;
    m_adjacent.assign(n, {});
    for (std::size_t i = 0; i < m_edges.size(); ++i) {
        buckets[int(std::lround(std::max(m_edges[i].width, 0.5) * 2))].push_back(int(i));
        m_adjacent[std::size_t(m_edges[i].source)].push_back(m_edges[i].target);
        m_adjacent[std::size_t(m_edges[i].target)].push_back(m_edges[i].source);
    }
    m_edgeBuckets.clear();
    m_bucketWidths.clear();
    for (auto &[halfPixels, members] : buckets) {
        m_bucketWidths.push_back(halfPixels / 2.0);
        m_edgeBuckets.push_back(std::move(members));
    }
    m_selected.clear();
    m_current = -1;
    m_currentEdge = -1;
    m_pressNode = -1;
    m_dragging = false;
    ++m_version;
    update();
}

void GraphCanvas::setPositions(std::vector<QPointF> positions)
{
    if (positions.size() != m_nodes.size())
        return;
    m_animation.stop();
    m_positions = std::move(positions);
    m_targets = m_positions;
    ++m_version;
    update();
}

void GraphCanvas::animateTo(std::vector<QPointF> positions)
{
    if (positions.size() != m_nodes.size())
        return;
    m_targets = std::move(positions);
    if (m_dragging && m_pressNode >= 0)
        m_targets[std::size_t(m_pressNode)] = m_positions[std::size_t(m_pressNode)];
    if (!m_animation.isActive())
        m_animation.start();
}

void GraphCanvas::stepAnimation()
{
    double largest = 0;
    for (std::size_t i = 0; i < m_positions.size(); ++i) {
        if (m_dragging && int(i) == m_pressNode)
            continue;
        const QPointF d = m_targets[i] - m_positions[i];
        m_positions[i] += d * 0.3;
        largest = std::max(largest, std::abs(d.x()) + std::abs(d.y()));
    }
    if (largest * m_scale < 0.5) {
        m_positions = m_targets;
        m_animation.stop();
    }
    ++m_version;
    moved();
}

void GraphCanvas::setCurrentNode(int node, bool extend)
{
    if (node >= int(m_nodes.size()))
        node = -1;
    if (!extend)
        m_selected.clear();
    if (node >= 0 && !m_selected.contains(node))
        m_selected << node;
    m_current = node;
    m_currentEdge = -1;
    update();
}

void GraphCanvas::setCurrentEdge(int edge)
{
    m_currentEdge = edge >= 0 && edge < int(m_edges.size()) ? edge : -1;
    if (m_currentEdge >= 0) {
        m_current = -1;
        m_selected.clear();
    }
    update();
}

void GraphCanvas::centreOn(int node)
{
    if (node >= 0 && node < int(m_positions.size()))
        setView(m_targets[std::size_t(node)], m_scale);
}

void GraphCanvas::setView(QPointF centre, double scale)
{
    m_centre = centre;
    m_scale = std::clamp(scale, MinScale, MaxScale);
    moved();
}

void GraphCanvas::zoomBy(double factor, QPointF anchor)
{
    const QPointF world = toWorld(anchor);
    m_scale = std::clamp(m_scale * factor, MinScale, MaxScale);
    m_centre = world - (anchor - QPointF(width() / 2.0, height() / 2.0)) / m_scale;
    moved();
}

void GraphCanvas::panBy(QPointF pixels)
{
    m_centre -= pixels / m_scale;
    moved();
}

void GraphCanvas::fitToView()
{
    if (m_targets.empty()) {
        setView(QPointF(), 1);
        return;
    }
    double left = 1e300, top = 1e300, right = -1e300, bottom = -1e300;
    for (std::size_t i = 0; i < m_targets.size(); ++i) {
        const double r = m_nodes[i].radius;
        left = std::min(left, m_targets[i].x() - r);
        right = std::max(right, m_targets[i].x() + r);
        top = std::min(top, m_targets[i].y() - r);
        bottom = std::max(bottom, m_targets[i].y() + r);
    }
    const QSizeF area = size().isEmpty() ? QSizeF(640, 480) : QSizeF(size());
    const double margin = 24;
    const double scale = std::min((area.width() - 2 * margin) / std::max(right - left, 1.0),
        (area.height() - 2 * margin) / std::max(bottom - top, 1.0));
    setView(QPointF((left + right) / 2, (top + bottom) / 2), std::min(scale, 4.0));
}

void GraphCanvas::setQuality(Quality quality)
{
    m_quality = quality;
    update();
}

void GraphCanvas::setLegend(QList<std::pair<QString, int>> legend)
{
    m_legend = std::move(legend);
    update();
}

QPointF GraphCanvas::toWidget(QPointF world) const
{
    return (world - m_centre) * m_scale + QPointF(width() / 2.0, height() / 2.0);
}

QPointF GraphCanvas::toWorld(QPointF pixel) const
{
    return (pixel - QPointF(width() / 2.0, height() / 2.0)) / m_scale + m_centre;
}

double GraphCanvas::pixelRadius(int node) const
{
    return std::max(m_nodes[std::size_t(node)].radius * m_scale, MinPixelRadius);
}

bool GraphCanvas::isHighlighted(int node) const
{
    if (m_selected.contains(node))
        return true;
    if (m_current >= 0) {
        const auto &near = m_adjacent[std::size_t(m_current)];
        return std::find(near.begin(), near.end(), node) != near.end();
    }
    if (m_currentEdge >= 0) {
        const Edge &e = m_edges[std::size_t(m_currentEdge)];
        return node == e.source || node == e.target;
    }
    return false;
}

int GraphCanvas::nodeAt(QPointF pixel) const
{
    int best = -1;
    double bestDistance = 1e300;
    for (auto it = m_paintOrder.rbegin(); it != m_paintOrder.rend(); ++it) {
        const QPointF d = toWidget(m_positions[std::size_t(*it)]) - pixel;
        const double distance = std::hypot(d.x(), d.y());
        if (distance <= std::max(pixelRadius(*it), HitSlop) + 1 && distance < bestDistance) {
            best = *it;
            bestDistance = distance;
        }
    }
    return best;
}

int GraphCanvas::edgeAt(QPointF pixel) const
{
    int best = -1;
    double bestDistance = 1e300;
    for (std::size_t i = 0; i < m_edges.size(); ++i) {
        const Edge &e = m_edges[i];
        const double distance = segmentDistance(
            pixel, toWidget(m_positions[std::size_t(e.source)]), toWidget(m_positions[std::size_t(e.target)]));
        if (distance <= HitSlop + e.width / 2 && distance < bestDistance) {
            best = int(i);
            bestDistance = distance;
        }
    }
    return best;
}

void GraphCanvas::moved()
{
    m_moving = true;
    m_still.start();
    update();
}

void GraphCanvas::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    paintGraph(painter, size(), m_quality == Quality::Full || (m_quality == Quality::Auto && !m_moving));
    if (hasFocus()) {
        painter.setRenderHint(QPainter::Antialiasing, false);
        painter.setPen(QPen(palette().color(QPalette::Highlight), 1));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(rect().adjusted(0, 0, -1, -1));
    }
}

void GraphCanvas::paintGraph(QPainter &painter, QSize size, bool full) const
{
    const bool raster = painter.paintEngine() && painter.paintEngine()->type() == QPaintEngine::Raster;
    // Map with `size` as the view (an export may be larger than the widget), centred alike.
    const QPointF shift = QPointF(size.width() - width(), size.height() - height()) / 2.0;
    const QRectF visible(-shift, QSizeF(size));
    painter.save();
    if (raster) {
        paintEdgeLayer(painter, size, full);
    } else {
        painter.fillRect(QRect(QPoint(), size), palette().color(QPalette::Base));
        paintEdges(painter, visible, full, false);
    }
    painter.translate(shift);
    paintHighlightedEdges(painter);
    paintNodes(painter, visible, raster);
    paintLabels(painter, visible);
    painter.restore();
    painter.save();
    paintLegend(painter);
    painter.restore();
}

void GraphCanvas::paintEdgeLayer(QPainter &painter, QSize size, bool full) const
{
    // The edges are kept in a layer while only the view's centre moves: panning then blits the layer
    // instead of drawing 10,000 lines a frame. A pan that leaves the layer redraws it with a margin of a
    // quarter of the view on each side; a change of nodes, zoom or quality redraws just the view.
    const qreal ratio = painter.device()->devicePixelRatio();
    QImage &image = m_edgeLayer.image;
    auto offset = [&] {
        const QSizeF layer = image.deviceIndependentSize();
        return (m_edgeLayer.centre - m_centre) * m_scale
            + QPointF(size.width() - layer.width(), size.height() - layer.height()) / 2.0;
    };
    const bool same = m_edgeLayer.version == m_version && m_edgeLayer.scale == m_scale && m_edgeLayer.full == full
        && image.devicePixelRatio() == ratio && !image.isNull();
    QPointF at = offset();
    if (!same || at.x() > 0 || at.y() > 0 || at.x() + image.deviceIndependentSize().width() < size.width()
        || at.y() + image.deviceIndependentSize().height() < size.height()) {
        const QSize layerSize = same ? size + size / 2 : size;
        if (image.size() != layerSize * ratio || image.devicePixelRatio() != ratio) {
            image = QImage(layerSize * ratio, QImage::Format_RGB32);
            image.setDevicePixelRatio(ratio);
        }
        m_rasterizer.reset(image.size(), ratio);
        const QPointF topLeft = QPointF(width() - layerSize.width(), height() - layerSize.height()) / 2.0;
        paintEdges(painter, QRectF(topLeft, QSizeF(layerSize)), full, true);
        m_rasterizer.compose(image, palette().color(QPalette::Base), palette().color(QPalette::Text));
        m_edgeLayer.version = m_version;
        m_edgeLayer.scale = m_scale;
        m_edgeLayer.centre = m_centre;
        m_edgeLayer.full = full;
        at = offset();
    }
    painter.drawImage(QPointF(std::round(at.x() * ratio) / ratio, std::round(at.y() * ratio) / ratio), image);
}

void GraphCanvas::paintEdges(QPainter &painter, QRectF visible, bool full, bool raster) const
{
    QColor colour = palette().color(QPalette::Text);
    colour.setAlphaF(isDark(palette()) ? 0.30 : 0.22);
    m_rasterizer.setOpacity(colour.alphaF());
    m_rasterizer.setAntialiasing(full);
    painter.setRenderHint(QPainter::Antialiasing, full);
    std::vector<QLineF> lines;
    const QSizeF area = visible.size();
    const QPointF origin = visible.topLeft();
    for (std::size_t b = 0; b < m_edgeBuckets.size(); ++b) {
        lines.clear();
        for (int i : m_edgeBuckets[b]) {
            const Edge &e = m_edges[std::size_t(i)];
            const QPointF p = toWidget(m_positions[std::size_t(e.source)]) - origin;
            const QPointF q = toWidget(m_positions[std::size_t(e.target)]) - origin;
            if (!outside(p, q, area))
                lines.emplace_back(p, q);
        }
        const double w = m_bucketWidths[b];
        if (raster) {
            for (const QLineF &line : lines)
                m_rasterizer.drawLine(line.p1(), line.p2(), w);
        } else {
            painter.setPen(QPen(colour, w, Qt::SolidLine, Qt::FlatCap));
            painter.drawLines(lines.data(), int(lines.size()));
        }
    }
}

void GraphCanvas::paintHighlightedEdges(QPainter &painter) const
{
    // The current node's edges, or the current edge, on top in the selection colour.
    if (m_current < 0 && m_currentEdge < 0)
        return;
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QColor highlight = palette().color(QPalette::Highlight);
    for (std::size_t i = 0; i < m_edges.size(); ++i) {
        const Edge &e = m_edges[i];
        if (int(i) != m_currentEdge && (m_current < 0 || (e.source != m_current && e.target != m_current)))
            continue;
        painter.setPen(QPen(highlight, std::max(e.width, 1.0) + (int(i) == m_currentEdge ? 2 : 0.5)));
        painter.drawLine(toWidget(m_positions[std::size_t(e.source)]), toWidget(m_positions[std::size_t(e.target)]));
    }
}

const QImage &GraphCanvas::sprite(int colour, double radius, bool outline, qreal ratio) const
{
    const quint64 key = (quint64(colour) << 32) | (quint64(std::lround(radius * 2)) << 8) | (outline ? 1 : 0)
        | (quint64(std::lround(ratio * 4)) << 1);
    auto it = m_sprites.find(key);
    if (it != m_sprites.end())
        return *it;
    if (m_sprites.size() > 4000)
        m_sprites.clear();
    const int side = int(std::ceil(radius * 2 + 4));
    QImage image(QSize(side, side) * ratio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(ratio);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setBrush(typeColour(colour, palette()));
    painter.setPen(outline ? QPen(palette().color(QPalette::Base), 1) : QPen(Qt::NoPen));
    painter.drawEllipse(QPointF(side / 2.0, side / 2.0), radius, radius);
    painter.end();
    return *m_sprites.insert(key, image);
}

void GraphCanvas::paintNodes(QPainter &painter, QRectF visible, bool raster) const
{
    // Nodes come from a cache of antialiased sprites (a blit each); big ones and vector output are drawn.
    constexpr double LargestSprite = 48;
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QPen outline(palette().color(QPalette::Base), 1);
    const qreal ratio = painter.device()->devicePixelRatio();
    int colour = -1;
    for (int i : m_paintOrder) {
        const Node &node = m_nodes[std::size_t(i)];
        const double r = std::round(pixelRadius(i) * 2) / 2;
        const QPointF p = toWidget(m_positions[std::size_t(i)]);
        if (p.x() + r < visible.left() || p.x() - r > visible.right() || p.y() + r < visible.top()
            || p.y() - r > visible.bottom())
            continue;
        if (raster && r <= LargestSprite) {
            const QImage &image = sprite(node.colour, r, r > 3, ratio);
            const double half = image.width() / ratio / 2;
            painter.drawImage(QPointF(std::round(p.x() - half), std::round(p.y() - half)), image);
            continue;
        }
        if (node.colour != colour) {
            colour = node.colour;
            painter.setBrush(typeColour(colour, palette()));
            painter.setPen(outline);
        }
        painter.drawEllipse(p, r, r);
    }
    painter.setBrush(Qt::NoBrush);
    for (int i : m_selected) {
        const double r = pixelRadius(i) + 2.5;
        painter.setPen(QPen(palette().color(QPalette::Highlight), i == m_current ? 3 : 2));
        painter.drawEllipse(toWidget(m_positions[std::size_t(i)]), r, r);
    }
}

void GraphCanvas::paintLabels(QPainter &painter, QRectF visible) const
{
    if (m_nodes.empty())
        return;
    const QFontMetricsF metrics(font());
    painter.setFont(font());
    QList<QRectF> placed;
    QColor back = palette().color(QPalette::Base);
    back.setAlphaF(0.8);
    const QColor text = palette().color(QPalette::Text);
    auto label = [&](int i, bool always) {
        const Node &node = m_nodes[std::size_t(i)];
        const double r = pixelRadius(i);
        if (node.label.isEmpty() || (!always && r < LabelPixelRadius))
            return;
        const QPointF p = toWidget(m_positions[std::size_t(i)]);
        const QRectF box(
            p.x() + r + 3, p.y() - metrics.height() / 2, metrics.horizontalAdvance(node.label) + 4, metrics.height());
        if (!visible.intersects(box))
            return;
        for (const QRectF &other : placed) {
            if (!always && other.intersects(box))
                return;
        }
        placed << box;
        painter.fillRect(box, back);
        painter.setPen(text);
        painter.drawText(box.adjusted(2, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, node.label);
    };
    painter.setRenderHint(QPainter::Antialiasing, false);
    for (int i : m_selected)
        label(i, true);
    if (m_current >= 0) {
        for (int i : m_adjacent[std::size_t(m_current)])
            label(i, true);
    }
    if (m_currentEdge >= 0) {
        label(m_edges[std::size_t(m_currentEdge)].source, true);
        label(m_edges[std::size_t(m_currentEdge)].target, true);
    }
    for (int i : m_labelOrder) {
        if (placed.size() >= MaxLabels || pixelRadius(i) < LabelPixelRadius)
            break;
        if (!isHighlighted(i))
            label(i, false);
    }
}

void GraphCanvas::paintLegend(QPainter &painter) const
{
    if (m_legend.isEmpty())
        return;
    const QFontMetricsF metrics(font());
    const double line = metrics.height() + 2;
    double widest = 0;
    for (const auto &[name, colour] : m_legend)
        widest = std::max(widest, metrics.horizontalAdvance(name));
    const QRectF box(8, 8, widest + line + 12, line * m_legend.size() + 8);
    QColor back = palette().color(QPalette::Base);
    back.setAlphaF(0.85);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.setBrush(back);
    painter.drawRoundedRect(box, 4, 4);
    double y = box.top() + 4;
    for (const auto &[name, colour] : m_legend) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(typeColour(colour, palette()));
        painter.drawEllipse(QPointF(box.left() + 6 + line / 2 - 2, y + line / 2), line / 3, line / 3);
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(QRectF(box.left() + 6 + line, y, widest + 4, line), Qt::AlignVCenter, name);
        y += line;
    }
}

void GraphCanvas::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_pressPos = m_lastPos = event->position();
    m_pressNode = nodeAt(event->position());
    m_dragging = false;
    if (m_pressNode >= 0)
        m_grabOffset = m_positions[std::size_t(m_pressNode)] - toWorld(event->position());
}

void GraphCanvas::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton))
        return;
    const QPointF delta = event->position() - m_lastPos;
    m_lastPos = event->position();
    if (!m_dragging && (event->position() - m_pressPos).manhattanLength() < QApplication::startDragDistance())
        return;
    if (!m_dragging)
        setCursor(m_pressNode >= 0 ? Qt::SizeAllCursor : Qt::ClosedHandCursor);
    m_dragging = true;
    if (m_pressNode >= 0) {
        const QPointF at = toWorld(event->position()) + m_grabOffset;
        m_positions[std::size_t(m_pressNode)] = at;
        m_targets[std::size_t(m_pressNode)] = at;
        ++m_version;
        moved();
    } else {
        panBy(delta);
    }
}

void GraphCanvas::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    unsetCursor();
    const bool dragged = m_dragging;
    const int node = m_pressNode;
    m_dragging = false;
    m_pressNode = -1;
    if (dragged && node >= 0)
        Q_EMIT nodeMoved(node, m_positions[std::size_t(node)]);
    else if (!dragged)
        click(event->position(), event->modifiers());
}

void GraphCanvas::click(QPointF pixel, Qt::KeyboardModifiers modifiers)
{
    const bool extend = modifiers & (Qt::ControlModifier | Qt::ShiftModifier);
    if (const int node = nodeAt(pixel); node >= 0) {
        if (extend && m_selected.contains(node) && node != m_current) {
            m_selected.removeAll(node);
            update();
        } else {
            setCurrentNode(node, extend);
        }
        Q_EMIT selectionChanged();
        Q_EMIT nodeClicked(node, modifiers);
    } else if (const int edge = edgeAt(pixel); edge >= 0) {
        setCurrentEdge(edge);
        Q_EMIT selectionChanged();
        Q_EMIT edgeClicked(edge);
    } else {
        setCurrentNode(-1);
        Q_EMIT selectionChanged();
        Q_EMIT backgroundClicked();
    }
}

void GraphCanvas::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (const int node = nodeAt(event->position()); node >= 0 && event->button() == Qt::LeftButton)
        Q_EMIT nodeActivated(node);
}

void GraphCanvas::wheelEvent(QWheelEvent *event)
{
    const QPoint steps = event->angleDelta();
    if (steps.y() == 0) {
        panBy(QPointF(event->pixelDelta()));
        return;
    }
    zoomBy(std::pow(1.0015, steps.y()), event->position());
    event->accept();
}

void GraphCanvas::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Left:
        panBy(QPointF(KeyPanPixels, 0));
        break;
    case Qt::Key_Right:
        panBy(QPointF(-KeyPanPixels, 0));
        break;
    case Qt::Key_Up:
        panBy(QPointF(0, KeyPanPixels));
        break;
    case Qt::Key_Down:
        panBy(QPointF(0, -KeyPanPixels));
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.25);
        break;
    case Qt::Key_Minus:
        zoomBy(0.8);
        break;
    case Qt::Key_0:
    case Qt::Key_Home:
        fitToView();
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (m_current >= 0)
            Q_EMIT nodeActivated(m_current);
        break;
    case Qt::Key_Escape:
        setCurrentNode(-1);
        Q_EMIT selectionChanged();
        break;
    default:
        QWidget::keyPressEvent(event);
    }
}

void GraphCanvas::contextMenuEvent(QContextMenuEvent *event)
{
    int node = -1;
    QPoint at = event->pos();
    if (event->reason() == QContextMenuEvent::Mouse) {
        node = nodeAt(event->pos());
    } else if (m_current >= 0) {
        node = m_current;
        at = toWidget(m_positions[std::size_t(node)]).toPoint();
    }
    if (node < 0)
        return;
    if (!m_selected.contains(node)) {
        setCurrentNode(node);
        Q_EMIT selectionChanged();
        Q_EMIT nodeClicked(node, Qt::NoModifier);
    }
    Q_EMIT contextMenuRequested(node, mapToGlobal(at));
}

void GraphCanvas::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        m_sprites.clear();
        ++m_version;
    }
    QWidget::changeEvent(event);
}

bool GraphCanvas::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const QPointF at = static_cast<QHelpEvent *>(event)->pos();
        QString tip;
        if (const int node = nodeAt(at); node >= 0)
            tip = m_nodes[std::size_t(node)].toolTip;
        else if (const int edge = edgeAt(at); edge >= 0)
            tip = m_edges[std::size_t(edge)].toolTip;
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(static_cast<QHelpEvent *>(event)->globalPos(), tip, this);
        return true;
    }
    if (event->type() == QEvent::ShortcutOverride) {
        // Keys the graph uses win over window shortcuts (zoom) while it has the focus.
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Plus || key == Qt::Key_Minus || key == Qt::Key_Equal || key == Qt::Key_0) {
            event->accept();
            return true;
        }
    }
    return QWidget::event(event);
}

} // namespace quire::ui
