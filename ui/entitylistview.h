#pragma once

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QListWidget;
class QStackedWidget;
class QTreeWidget;

namespace quire::ui
{

class EmptyStatePage;
class EntityEditor;
class EntityGraphView;
class LibrarySession;

// The entities the analysis found (people, places, organisations…), most mentioned first, with their
// mentions, next to the entity graph; a mention opens the reader at it. Selecting an entity in the list
// selects its node and the other way round; clicking a link of the graph lists its evidence. Rename, merge
// and delete (here or in the graph) go to the analysis edit log, so they survive the next analysis.
class EntityListView : public QWidget
{
    Q_OBJECT
public:
    explicit EntityListView(QWidget *parent = nullptr);

    void setSession(std::shared_ptr<LibrarySession> session);
    QTreeWidget *entities() const { return m_entities; }
    QListWidget *mentions() const { return m_mentions; }
    EntityGraphView *graph() const { return m_graph; }

public Q_SLOTS:
    void reload();
    void renameCurrent(const QString &name);
    void deleteCurrent();
    // Merges the other selected entities into the current one.
    void mergeSelected();
    // Makes the entity current in the list (when listed) and lists its mentions.
    void selectEntity(qint64 entityId);

Q_SIGNALS:
    void mentionActivated(qint64 documentId, qint64 sentenceId, const QString &surface);
    void analysisRequested();
    void loaded(int entities);
    void mentionsLoaded(int mentions);

private:
    QWidget *createContent();
    void loadMentions(qint64 entityId, const QString &name);
    void showEvidence(const QString &source, const QString &target, const QList<qint64> &sentences);
    // Lists the sentences `load(Library &)` finds in a worker, under `title`.
    template <typename Load> void showLines(const QString &title, Load load);
    void showMenu(const QPoint &pos);
    QStringList selectedKeys() const;

    std::shared_ptr<LibrarySession> m_session;
    quint64 m_sequence = 0;
    quint64 m_mentionSequence = 0;
    bool m_openFirstMention = false;
    EntityEditor *m_editor;
    QComboBox *m_type;
    QTreeWidget *m_entities;
    QLabel *m_mentionsTitle;
    QListWidget *m_mentions;
    EntityGraphView *m_graph;
    EmptyStatePage *m_empty;
    QStackedWidget *m_stack;
};

} // namespace quire::ui
