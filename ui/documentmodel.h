#pragma once

#include "store/library.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <memory>
#include <vector>

namespace quire::ui
{

class LibrarySession;

// The documents of the open library, one row each, read from the store in a worker. Paths added by the
// user but not yet ingested appear as extra "pending" rows until the library lists them.
class DocumentModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Title, Status, Type, Pages, Size, Modified, Added, Path, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        DocumentIdRole = Qt::UserRole + 1, // qint64; 0 for pending rows
        SortRole, // a value that sorts naturally (numbers, ISO dates)
        StatusRole, // int(store::DocumentStatus)
        TypeRole,
        IsDuplicateRole,
        IsPendingRole,
    };

    explicit DocumentModel(QObject *parent = nullptr);
    ~DocumentModel() override;

    void setSession(std::shared_ptr<LibrarySession> session);
    // Re-reads the documents in a worker; loaded() or loadFailed() follows.
    void reload();
    bool isLoading() const { return m_loading; }

    // Paths waiting for ingest (the user dropped or added them).
    void addPending(const QStringList &paths, const QString &reason);
    void removePending(const QStringList &paths);
    int pendingCount() const { return int(m_pending.size()); }

    const store::DocumentRecord *record(int row) const;
    int rowOfDocument(qint64 id) const;
    QStringList types() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    QStringList mimeTypes() const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    static QString statusLabel(store::DocumentStatus status);

Q_SIGNALS:
    void loaded(int count, qint64 elapsedMs);
    void loadFailed(const QString &message);

private:
    QVariant displayData(const store::DocumentRecord &d, int column) const;
    QVariant sortData(const store::DocumentRecord &d, int column) const;
    QString toolTip(const store::DocumentRecord &d) const;

    std::shared_ptr<LibrarySession> m_session;
    std::vector<store::DocumentRecord> m_documents;
    std::vector<store::DocumentRecord> m_pending;
    quint64 m_generation = 0;
    bool m_loading = false;
};

} // namespace quire::ui
