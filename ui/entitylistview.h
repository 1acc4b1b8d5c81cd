#pragma once

#include <QWidget>
#include <memory>

class QComboBox;
class QListWidget;
class QStackedWidget;
class QTreeWidget;

namespace quire::ui
{

class EmptyStatePage;
class LibrarySession;

// The entities the analysis found (people, places, organisations…), most mentioned first, with their
// mentions; a mention opens the reader at it. Rename, merge and delete go to the analysis edit log, so
// they survive the next analysis. (The drawn, interactive graph is not built yet.)
class EntityListView : public QWidget
{
    Q_OBJECT
public:
    explicit EntityListView(QWidget *parent = nullptr);

    void setSession(std::shared_ptr<LibrarySession> session);
    QTreeWidget *entities() const { return m_entities; }
    QListWidget *mentions() const { return m_mentions; }

public Q_SLOTS:
    void reload();
    void renameCurrent(const QString &name);
    void deleteCurrent();
    // Merges the other selected entities into the current one.
    void mergeSelected();

Q_SIGNALS:
    void mentionActivated(qint64 documentId, qint64 sentenceId, const QString &surface);
    void analysisRequested();
    void loaded(int entities);
    void mentionsLoaded(int mentions);

private:
    void loadMentions();
    void edit(const QList<std::pair<QString, QString>> &opsAndArguments, const QStringList &keys);
    void showMenu(const QPoint &pos);

    std::shared_ptr<LibrarySession> m_session;
    quint64 m_sequence = 0;
    quint64 m_mentionSequence = 0;
    QComboBox *m_type;
    QTreeWidget *m_entities;
    QListWidget *m_mentions;
    EmptyStatePage *m_empty;
    QStackedWidget *m_stack;
};

} // namespace quire::ui
