#pragma once

#include "analysis/relationgraph.h"
#include "ui/forcelayout.h"
#include "util/error.h"

#include <QFutureWatcher>
#include <QHash>
#include <QTimer>
#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QSpinBox;

namespace quire::ui
{

class EntityEditor;
class GraphCanvas;
class LibrarySession;

// The co-occurrence graph of the entities, drawn and laid out live: node size by mentions, colour by type,
// edge width by weight. Filters (type, minimum degree, chapter range, node count) rebuild it through
// analysis::GraphBuilder in a worker; the force layout runs on its own thread and the nodes move toward
// it. Clicking a node selects the entity, clicking an edge shows its evidence; the context menu renames,
// merges and deletes through the edit log; Export writes GraphML, PNG or SVG.
class EntityGraphView : public QWidget
{
    Q_OBJECT
public:
    explicit EntityGraphView(QWidget *parent = nullptr);
    ~EntityGraphView() override;

    void setSession(std::shared_ptr<LibrarySession> session);
    GraphCanvas *canvas() const { return m_canvas; }
    EntityEditor *editor() const { return m_editor; }
    QComboBox *typeCombo() const { return m_type; }
    QSpinBox *minDegreeSpin() const { return m_minDegree; }
    QSpinBox *firstChapterSpin() const { return m_firstChapter; }
    QSpinBox *lastChapterSpin() const { return m_lastChapter; }
    QSpinBox *maxNodesSpin() const { return m_maxNodes; }
    QLabel *statusLabel() const { return m_status; }

    // The graph as shown (filters applied); node i is drawn as the canvas's node i, edge j as its edge j.
    const analysis::RelationGraph &graph() const { return m_graph; }
    bool isLayoutRunning() const { return m_layout != nullptr; }
    qint64 currentEntity() const;
    int nodeOf(qint64 entityId) const { return m_index.value(entityId, -1); }
    QString keyOf(qint64 entityId) const { return m_keys.value(entityId); } // in the edit log

    Expected<void> exportGraphMl(const QString &path) const;
    // PNG or SVG (by the suffix) of the graph as the view shows it; PNG at twice the screen resolution.
    Expected<void> exportImage(const QString &path) const;

public Q_SLOTS:
    void reload();
    // Selects the entity's node (from the list) without emitting entitySelected; 0 clears.
    void selectEntity(qint64 entityId);
    // Forgets pinned nodes and lays the graph out afresh.
    void relayout();
    void chooseExport();

Q_SIGNALS:
    void loaded(int nodes, int edges);
    void layoutFinished(int iterations, bool converged);
    void entitySelected(qint64 entityId); // by the reader, in the graph
    void entityActivated(qint64 entityId); // double click or Enter on a node
    void edgeSelected(const QString &source, const QString &target, const QList<qint64> &evidence);
    void entitiesEdited();

private:
    void setGraph(analysis::RelationGraph graph, QHash<qint64, QString> keys);
    // Starts the layout from the last positions (`warm`) or afresh; `place` puts the nodes at the start
    // positions at once (a new graph) rather than animating from where they are.
    void startLayout(bool warm, bool place);
    void layoutProgress(QFutureWatcher<LayoutResult> *watcher, int index);
    void nodeMoved(int node, QPointF position);
    void showMenu(int node, const QPoint &globalPos);
    QWidget *createFilterBar();
    bool eventFilter(QObject *watched, QEvent *event) override;
    analysis::GraphOptions options() const;

    std::shared_ptr<LibrarySession> m_session;
    quint64 m_sequence = 0;
    analysis::RelationGraph m_graph;
    QHash<qint64, QString> m_keys; // entity id -> key in the edit log
    QHash<qint64, int> m_index; // entity id -> node
    QHash<qint64, QPointF> m_known; // last laid-out position of each entity, for warm starts
    QHash<qint64, QPointF> m_pinned; // nodes the reader dragged
    qint64 m_selected = 0; // the entity selected here or in the list, selected again after a reload
    QFutureWatcher<LayoutResult> *m_layout = nullptr;
    bool m_autoFit = true; // fit the view as the layout settles until the reader moves it
    QTimer m_reloadTimer;
    EntityEditor *m_editor;
    QComboBox *m_type;
    QSpinBox *m_minDegree;
    QSpinBox *m_firstChapter;
    QSpinBox *m_lastChapter;
    QSpinBox *m_maxNodes;
    GraphCanvas *m_canvas;
    QLabel *m_status;
};

} // namespace quire::ui
