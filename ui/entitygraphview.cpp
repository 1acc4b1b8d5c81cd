#include "ui/entitygraphview.h"

#include "analysis/entitytypes.h"
#include "store/analysisstore.h"
#include "ui/deliver.h"
#include "ui/entityeditor.h"
#include "ui/graphcanvas.h"
#include "ui/librarysession.h"

#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QMap>
#include <QMessageBox>
#include <QPainter>
#include <QSaveFile>
#include <QSpinBox>
#include <QSvgGenerator>
#include <QToolBar>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace quire::ui
{

namespace
{
constexpr double IdealLength = 40;
constexpr int ReloadDelayMs = 300;

const QStringList NamedTypes = { QStringLiteral("person"),
    QStringLiteral("organisation"),
    QStringLiteral("place"),
    QStringLiteral("party"),
    QStringLiteral("court"),
    QStringLiteral("other") };

struct LoadedGraph {
    analysis::RelationGraph graph;
    QHash<qint64, QString> keys;
};

// Drops the nodes with fewer than `minDegree` edges in the graph as built, and their edges.
void keepDegree(analysis::RelationGraph &graph, int minDegree)
{
    if (minDegree <= 0)
        return;
    QHash<std::int64_t, int> degree;
    for (const auto &e : graph.edges) {
        ++degree[e.source];
        ++degree[e.target];
    }
    std::erase_if(graph.nodes, [&](const analysis::GraphNode &n) { return degree.value(n.entityId) < minDegree; });
    std::erase_if(graph.edges, [&](const analysis::GraphEdge &e) {
        return degree.value(e.source) < minDegree || degree.value(e.target) < minDegree;
    });
}

Expected<LoadedGraph> loadGraph(store::Library &lib, const analysis::GraphOptions &options, int minDegree)
{
    auto graph = analysis::GraphBuilder::build(lib, options);
    if (!graph)
        return std::unexpected(graph.error());
    keepDegree(*graph, minDegree);
    auto entities = store::AnalysisStore(lib).entities({ QString(), -1, std::nullopt });
    if (!entities)
        return std::unexpected(entities.error());
    QSet<qint64> shown;
    for (const auto &n : graph->nodes)
        shown.insert(n.entityId);
    LoadedGraph loaded { std::move(*graph), {} };
    for (const auto &e : *entities) {
        if (shown.contains(e.id))
            loaded.keys.insert(e.id, e.key);
    }
    return loaded;
}

int colourOf(const QString &type)
{
    const auto t = analysis::typeFromName(type);
    return t ? int(*t) : int(analysis::EntityType::Other);
}

// A spot near `anchor` that depends only on the entity id, so warm starts stay reproducible.
QPointF near(QPointF anchor, qint64 id)
{
    const double angle = double(id % 360) * M_PI / 180.0;
    return anchor + QPointF(std::cos(angle), std::sin(angle)) * IdealLength * 0.5;
}
} // namespace

EntityGraphView::EntityGraphView(QWidget *parent)
    : QWidget(parent)
    , m_editor(new EntityEditor(this))
    , m_type(new QComboBox(this))
    , m_minDegree(new QSpinBox(this))
    , m_firstChapter(new QSpinBox(this))
    , m_lastChapter(new QSpinBox(this))
    , m_maxNodes(new QSpinBox(this))
    , m_canvas(new GraphCanvas(this))
    , m_status(new QLabel(this))
{
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(ReloadDelayMs);
    connect(&m_reloadTimer, &QTimer::timeout, this, &EntityGraphView::reload);
    connect(m_editor, &EntityEditor::edited, this, [this] {
        reload();
        Q_EMIT entitiesEdited();
    });
    connect(m_editor, &EntityEditor::failed, m_status, &QLabel::setText);

    connect(m_canvas, &GraphCanvas::nodeClicked, this, [this](int node) {
        m_selected = m_graph.nodes.at(std::size_t(node)).entityId;
        Q_EMIT entitySelected(m_selected);
    });
    connect(m_canvas, &GraphCanvas::backgroundClicked, this, [this] { m_selected = 0; });
    connect(m_canvas, &GraphCanvas::nodeActivated, this, [this](int node) {
        Q_EMIT entityActivated(m_graph.nodes.at(std::size_t(node)).entityId);
    });
    connect(m_canvas, &GraphCanvas::edgeClicked, this, [this](int edge) {
        const analysis::GraphEdge &e = m_graph.edges.at(std::size_t(edge));
        const auto name = [this](std::int64_t id) { return m_graph.nodes.at(std::size_t(nodeOf(id))).name; };
        Q_EMIT edgeSelected(name(e.source), name(e.target), QList<qint64>(e.evidence.begin(), e.evidence.end()));
    });
    connect(m_canvas, &GraphCanvas::nodeMoved, this, &EntityGraphView::nodeMoved);
    connect(m_canvas, &GraphCanvas::contextMenuRequested, this, &EntityGraphView::showMenu);
    m_canvas->installEventFilter(this);

    m_status->setAccessibleName(tr("Graph status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(createFilterBar());
    layout->addWidget(m_canvas, 1);
    layout->addWidget(m_status);
}

EntityGraphView::~EntityGraphView()
{
    if (m_layout)
        m_layout->cancel();
}

QWidget *EntityGraphView::createFilterBar()
{
    // A tool bar, so that a narrow window folds the filters into its extension menu instead of
    // widening the main window.
    auto *bar = new QToolBar(tr("Graph filters"), this);
    bar->setAccessibleName(tr("Graph filters"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(16, 16));
    auto labelled = [&](const QString &text, QWidget *field, const QString &accessible) {
        auto *label = new QLabel(text, bar);
        label->setBuddy(field);
        label->setContentsMargins(6, 0, 2, 0);
        field->setAccessibleName(accessible);
        bar->addWidget(label);
        bar->addWidget(field);
    };
    m_type->addItem(tr("Named"), NamedTypes);
    m_type->addItem(tr("All types"), QStringList());
    for (const QString &t : NamedTypes)
        m_type->addItem(t, QStringList { t });
    labelled(tr("&Type:"), m_type, tr("Graph entity type"));
    m_minDegree->setRange(0, 100);
    m_minDegree->setToolTip(tr("Hide entities linked to fewer others"));
    labelled(tr("Min &links:"), m_minDegree, tr("Minimum links"));
    m_firstChapter->setRange(0, 100000);
    m_firstChapter->setSpecialValueText(tr("start"));
    labelled(tr("C&hapters:"), m_firstChapter, tr("First chapter"));
    m_lastChapter->setRange(0, 100000);
    m_lastChapter->setSpecialValueText(tr("end"));
    labelled(tr("to"), m_lastChapter, tr("Last chapter"));
    m_maxNodes->setRange(2, 2000);
    m_maxNodes->setValue(150);
    m_maxNodes->setSingleStep(50);
    m_maxNodes->setToolTip(tr("The most mentioned entities of the slice are shown"));
    labelled(tr("&Nodes:"), m_maxNodes, tr("Maximum nodes"));
    connect(m_type, &QComboBox::currentIndexChanged, this, &EntityGraphView::reload);
    for (QSpinBox *spin : { m_minDegree, m_firstChapter, m_lastChapter, m_maxNodes })
        connect(spin, &QSpinBox::valueChanged, &m_reloadTimer, qOverload<>(&QTimer::start));
    bar->addSeparator();
    auto action = [&](const QString &icon, const QString &text, const QString &tip, auto slot) {
        QAction *a = bar->addAction(QIcon::fromTheme(icon), text);
        a->setToolTip(tip);
        connect(a, &QAction::triggered, this, slot);
    };
    action(
        QStringLiteral("zoom-fit-best"), tr("Fit"), tr("Show the whole graph (0)"), [this] { m_canvas->fitToView(); });
    action(
        QStringLiteral("view-refresh"), tr("Re-layout"), tr("Forget moved nodes and lay the graph out again"), [this] {
            relayout();
        });
    action(QStringLiteral("document-export"), tr("Export…"), tr("Save the graph as GraphML, PNG or SVG"), [this] {
        chooseExport();
    });
    return bar;
}

bool EntityGraphView::eventFilter(QObject *watched, QEvent *event)
{
    // Once the reader moves the view, the layout no longer refits it.
    if (watched == m_canvas
        && (event->type() == QEvent::MouseButtonPress || event->type() == QEvent::Wheel
            || event->type() == QEvent::KeyPress))
        m_autoFit = false;
    return QWidget::eventFilter(watched, event);
}

void EntityGraphView::setSession(std::shared_ptr<LibrarySession> session)
{
    m_session = std::move(session);
    m_editor->setSession(m_session);
    m_known.clear();
    m_pinned.clear();
    reload();
}

analysis::GraphOptions EntityGraphView::options() const
{
    analysis::GraphOptions o;
    o.types = m_type->currentData().toStringList();
    o.firstSection = m_firstChapter->value();
    o.lastSection = m_lastChapter->value() > 0 ? m_lastChapter->value() : 1 << 30;
    o.maxNodes = m_maxNodes->value();
    return o;
}

void EntityGraphView::reload()
{
    m_reloadTimer.stop();
    const quint64 sequence = ++m_sequence;
    if (!m_session) {
        setGraph({}, {});
        return;
    }
    const analysis::GraphOptions o = options();
    if (o.lastSection < o.firstSection) {
        m_status->setText(tr("The chapter range is empty: the last chapter comes before the first."));
        return;
    }
    m_status->setText(tr("Loading the graph…"));
    const int minDegree = m_minDegree->value();
    deliver(m_session->run([o, minDegree](store::Library &lib) { return loadGraph(lib, o, minDegree); }),
        this,
        [this, sequence](Expected<LoadedGraph> loaded) {
            if (sequence != m_sequence)
                return;
            if (!loaded) {
                m_status->setText(tr("The graph could not be built: %1").arg(errorText(loaded.error())));
                return;
            }
            setGraph(std::move(loaded->graph), std::move(loaded->keys));
        });
}

void EntityGraphView::setGraph(analysis::RelationGraph graph, QHash<qint64, QString> keys)
{
    m_graph = std::move(graph);
    m_keys = std::move(keys);
    m_index.clear();
    int top = 1;
    double heaviest = 1;
    for (std::size_t i = 0; i < m_graph.nodes.size(); ++i) {
        m_index.insert(m_graph.nodes[i].entityId, int(i));
        top = std::max(top, m_graph.nodes[i].mentions);
    }
    std::erase_if(m_graph.edges,
        [this](const analysis::GraphEdge &e) { return !m_index.contains(e.source) || !m_index.contains(e.target); });
    for (const auto &e : m_graph.edges)
        heaviest = std::max(heaviest, e.weight);
    std::vector<GraphCanvas::Node> nodes;
    QMap<int, QString> legend;
    for (const analysis::GraphNode &n : m_graph.nodes) {
        const double radius = 3 + 13 * std::sqrt(double(n.mentions) / top);
        nodes.push_back({ n.name,
            tr("<b>%1</b><br>%2 · %n mention(s)", nullptr, n.mentions).arg(n.name.toHtmlEscaped(), n.type),
            radius,
            colourOf(n.type) });
        legend.insert(colourOf(n.type), n.type);
    }
    std::vector<GraphCanvas::Edge> edges;
    for (const analysis::GraphEdge &e : m_graph.edges) {
        const QString a = m_graph.nodes[std::size_t(m_index.value(e.source))].name;
        const QString b = m_graph.nodes[std::size_t(m_index.value(e.target))].name;
        edges.push_back({ m_index.value(e.source),
            m_index.value(e.target),
            0.6 + 3.4 * std::sqrt(e.weight / heaviest),
            tr("<b>%1 — %2</b><br>%3 sentence(s) together, %4 paragraph(s); NPMI %5")
                .arg(a.toHtmlEscaped(), b.toHtmlEscaped())
                .arg(e.sentences)
                .arg(e.paragraphs)
                .arg(e.npmi, 0, 'f', 2) });
    }
    QList<std::pair<QString, int>> key;
    for (auto it = legend.cbegin(); it != legend.cend(); ++it)
        key.append({ it.value(), it.key() });
    m_canvas->setLegend(key);
    m_canvas->setGraph(std::move(nodes), std::move(edges), {});
    m_autoFit = true;
    startLayout(true, true);
    if (const int node = nodeOf(m_selected); node >= 0)
        m_canvas->setCurrentNode(node);
    m_status->setText(m_graph.nodes.empty()
            ? tr("No entities in this slice: widen the chapters or the type, or run the analysis.")
            : tr("%n entities, %1 links. Drag to pan, wheel to zoom, right-click a node to edit it.",
                nullptr,
                int(m_graph.nodes.size()))
                  .arg(m_graph.edges.size()));
    Q_EMIT loaded(int(m_graph.nodes.size()), int(m_graph.edges.size()));
}

void EntityGraphView::startLayout(bool warm, bool place)
{
    if (m_layout) {
        m_layout->disconnect(this);
        m_layout->cancel();
        m_layout->deleteLater();
        m_layout = nullptr;
    }
    const int n = int(m_graph.nodes.size());
    std::vector<LayoutEdge> edges;
    for (const analysis::GraphEdge &e : m_graph.edges)
        edges.push_back({ m_index.value(e.source), m_index.value(e.target), e.weight });
    ForceLayout::Options o;
    o.idealLength = IdealLength;
    ForceLayout layout(n, std::move(edges), o);
    std::vector<double> masses;
    for (const auto &node : m_canvas->nodes())
        masses.push_back(0.5 + node.radius / 8);
    layout.setMasses(masses);
    // Warm start: entities laid out before keep their place, new ones start next to a known neighbour.
    std::vector<QPointF> start = layout.positions();
    int known = 0;
    for (int i = 0; i < n; ++i) {
        const qint64 id = m_graph.nodes[std::size_t(i)].entityId;
        if (auto it = m_known.constFind(id); warm && it != m_known.constEnd()) {
            start[std::size_t(i)] = *it;
            ++known;
        }
        if (auto it = m_pinned.constFind(id); it != m_pinned.constEnd()) {
            start[std::size_t(i)] = *it;
            layout.setPinned(i, true);
        }
    }
    if (known > 0) {
        for (const analysis::GraphEdge &e : m_graph.edges) {
            const int s = m_index.value(e.source), t = m_index.value(e.target);
            if (m_known.contains(e.source) && !m_known.contains(e.target))
                start[std::size_t(t)] = near(start[std::size_t(s)], e.target);
            else if (m_known.contains(e.target) && !m_known.contains(e.source))
                start[std::size_t(s)] = near(start[std::size_t(t)], e.source);
        }
        layout.setPositions(start, known * 2 >= n ? 1.0 : 4.0);
    } else {
        layout.setPositions(start, std::sqrt(double(std::max(n, 1))) / 4);
    }
    if (place)
        m_canvas->setPositions(start);
    if (m_autoFit)
        m_canvas->fitToView();
    auto *watcher = new QFutureWatcher<LayoutResult>(this);
    m_layout = watcher;
    connect(watcher, &QFutureWatcherBase::resultsReadyAt, this, [this, watcher](int, int end) {
        layoutProgress(watcher, end - 1);
    });
    watcher->setFuture(ui::startLayout(std::move(layout)));
}

void EntityGraphView::layoutProgress(QFutureWatcher<LayoutResult> *watcher, int index)
{
    if (watcher != m_layout)
        return;
    LayoutResult result = watcher->future().resultAt(index);
    if (result.positions.size() != m_graph.nodes.size())
        return;
    m_canvas->animateTo(result.positions);
    if (m_autoFit)
        m_canvas->fitToView();
    if (!result.done)
        return;
    for (std::size_t i = 0; i < m_graph.nodes.size(); ++i)
        m_known.insert(m_graph.nodes[i].entityId, result.positions[i]);
    m_layout = nullptr;
    watcher->deleteLater();
    Q_EMIT layoutFinished(result.iterations, result.converged);
}

void EntityGraphView::relayout()
{
    m_known.clear();
    m_pinned.clear();
    m_autoFit = true;
    startLayout(false, false);
}

void EntityGraphView::nodeMoved(int node, QPointF position)
{
    m_autoFit = false;
    m_pinned.insert(m_graph.nodes.at(std::size_t(node)).entityId, position);
    // The others settle around the node where it was dropped.
    for (std::size_t i = 0; i < m_graph.nodes.size(); ++i)
        m_known.insert(m_graph.nodes[i].entityId, m_canvas->positions()[i]);
    startLayout(true, false);
}

qint64 EntityGraphView::currentEntity() const
{
    const int node = m_canvas->currentNode();
    return node >= 0 && std::size_t(node) < m_graph.nodes.size() ? m_graph.nodes[std::size_t(node)].entityId : 0;
}

void EntityGraphView::selectEntity(qint64 entityId)
{
    m_selected = entityId; // kept for a graph still loading
    const int node = nodeOf(entityId);
    if (node == m_canvas->currentNode())
        return;
    m_canvas->setCurrentNode(node);
    if (node >= 0 && !m_canvas->rect().contains(m_canvas->toWidget(m_canvas->positions()[std::size_t(node)]).toPoint()))
        m_canvas->centreOn(node);
}

void EntityGraphView::showMenu(int node, const QPoint &globalPos)
{
    const analysis::GraphNode &target = m_graph.nodes.at(std::size_t(node));
    QStringList selected;
    for (int i : m_canvas->selectedNodes())
        selected << m_keys.value(m_graph.nodes.at(std::size_t(i)).entityId);
    m_editor->showMenu(this, globalPos, m_keys.value(target.entityId), target.name, selected);
}

Expected<void> EntityGraphView::exportGraphMl(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(Error::Code::Io, "cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
    file.write(analysis::toGraphMl(m_graph).toUtf8());
    if (!file.commit())
        return fail(Error::Code::Io, "cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
    return {};
}

Expected<void> EntityGraphView::exportImage(const QString &path) const
{
    const QSize size = m_canvas->size();
    if (QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(), size));
        svg.setTitle(tr("Entity graph"));
        QPainter painter;
        if (!painter.begin(&svg))
            return fail(Error::Code::Io, "cannot write " + path.toStdString());
        m_canvas->paintGraph(painter, size, true);
        painter.end();
        return {};
    }
    QImage image(size * 2, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(2);
    QPainter painter(&image);
    m_canvas->paintGraph(painter, size, true);
    painter.end();
    if (!image.save(path))
        return fail(Error::Code::Io, "cannot write " + path.toStdString() + " (use a .png or .svg name)");
    return {};
}

void EntityGraphView::chooseExport()
{
    QString filter;
    QString path = QFileDialog::getSaveFileName(this,
        tr("Export Graph"),
        tr("entities.graphml"),
        tr("GraphML (*.graphml);;PNG image (*.png);;SVG image (*.svg)"),
        &filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += filter.contains(QLatin1String("png")) ? QStringLiteral(".png")
            : filter.contains(QLatin1String("svg"))   ? QStringLiteral(".svg")
                                                      : QStringLiteral(".graphml");
    const bool graphMl = QFileInfo(path).suffix().compare(QLatin1String("graphml"), Qt::CaseInsensitive) == 0;
    const Expected<void> written = graphMl ? exportGraphMl(path) : exportImage(path);
    if (!written)
        QMessageBox::warning(this, tr("Export Graph"), errorText(written.error()));
    else
        m_status->setText(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
}

} // namespace quire::ui
