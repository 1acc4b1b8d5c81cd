#pragma once

#include <QObject>
#include <QPoint>
#include <QStringList>
#include <memory>

class QWidget;

namespace quire::ui
{

class LibrarySession;

// Rename, merge and delete of entities, shared by the entity list and the graph. Every change goes to the
// analysis edit log (so it survives the next analysis) and the entities are rebuilt from it, in a worker.
class EntityEditor : public QObject
{
    Q_OBJECT
public:
    explicit EntityEditor(QObject *parent = nullptr);

    void setSession(std::shared_ptr<LibrarySession> session) { m_session = std::move(session); }

    void rename(const QString &key, const QString &name);
    // Merges `keys` into `targetKey` (a key equal to the target is skipped).
    void merge(const QStringList &keys, const QString &targetKey);
    void remove(const QStringList &keys);

    // The context menu of an entity: Rename… (asks for the name), Merge Selected into it, Delete (the
    // selection). `selectedKeys` includes `key` when it is selected.
    void showMenu(QWidget *parent,
        const QPoint &globalPos,
        const QString &key,
        const QString &name,
        const QStringList &selectedKeys);

Q_SIGNALS:
    void edited(); // the entities were rebuilt with the change
    void failed(const QString &message); // nothing was rebuilt

private:
    struct Edit {
        QString op;
        QString key;
        QString argument;
    };
    void apply(QList<Edit> edits);

    std::shared_ptr<LibrarySession> m_session;
};

} // namespace quire::ui
