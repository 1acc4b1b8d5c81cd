#include "ui/documentmodel.h"

#include "ui/deliver.h"
#include "ui/icons.h"
#include "ui/librarysession.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocale>
#include <QMimeData>
#include <QSet>
#include <QUrl>

namespace quire::ui
{

using store::DocumentRecord;
using store::DocumentStatus;

namespace
{

QString dateText(std::int64_t seconds)
{
    if (seconds <= 0)
        return {};
    return QLocale().toString(QDateTime::fromSecsSinceEpoch(seconds), QLocale::ShortFormat);
}

QString isoDateText(const QString &iso)
{
    const QDateTime dt = QDateTime::fromString(iso, Qt::ISODate);
    return dt.isValid() ? QLocale().toString(dt.date(), QLocale::ShortFormat) : iso;
}

} // namespace

DocumentModel::DocumentModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

DocumentModel::~DocumentModel() = default;

void DocumentModel::setSession(std::shared_ptr<LibrarySession> session)
{
    beginResetModel();
    m_session = std::move(session);
    m_documents.clear();
    m_pending.clear();
    ++m_generation;
    m_loading = false;
    endResetModel();
    if (m_session)
        reload();
}

void DocumentModel::reload()
{
    if (!m_session)
        return;
    m_loading = true;
    const quint64 generation = ++m_generation;
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    deliver(m_session->run([](store::Library &lib) { return lib.documents(); }),
        this,
        [this, generation, timer](Expected<std::vector<DocumentRecord>> result) {
            if (generation != m_generation)
                return;
            m_loading = false;
            if (!result) {
                Q_EMIT loadFailed(errorText(result.error()));
                return;
            }
            beginResetModel();
            m_documents = std::move(*result);
            QSet<QString> known;
            for (const DocumentRecord &d : m_documents)
                known.insert(d.path);
            std::erase_if(m_pending, [&](const DocumentRecord &p) { return known.contains(p.path); });
            endResetModel();
            Q_EMIT loaded(int(m_documents.size()), timer->elapsed());
        });
}

void DocumentModel::addPending(const QStringList &paths, const QString &reason)
{
    QSet<QString> known;
    for (const DocumentRecord &d : m_documents)
        known.insert(d.path);
    for (const DocumentRecord &d : m_pending)
        known.insert(d.path);
    std::vector<DocumentRecord> fresh;
    for (const QString &path : paths) {
        if (known.contains(path))
            continue;
        known.insert(path);
        const QFileInfo info(path);
        DocumentRecord d;
        d.path = path;
        d.title = info.fileName();
        d.type = info.isDir() ? tr("folder") : info.suffix().toLower();
        d.size = info.isDir() ? 0 : info.size();
        d.mtime = info.lastModified().toSecsSinceEpoch();
        d.status = DocumentStatus::Pending;
        d.error = reason;
        fresh.push_back(std::move(d));
    }
    if (fresh.empty())
        return;
    const int first = rowCount();
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    for (auto &d : fresh)
        m_pending.push_back(std::move(d));
    endInsertRows();
}

void DocumentModel::removePending(const QStringList &paths)
{
    for (int i = int(m_pending.size()) - 1; i >= 0; --i) {
        if (!paths.contains(m_pending[std::size_t(i)].path))
            continue;
        const int row = int(m_documents.size()) + i;
        beginRemoveRows({}, row, row);
        m_pending.erase(m_pending.begin() + i);
        endRemoveRows();
    }
}

const DocumentRecord *DocumentModel::record(int row) const
{
    if (row < 0)
        return nullptr;
    if (row < int(m_documents.size()))
        return &m_documents[std::size_t(row)];
    row -= int(m_documents.size());
    return row < int(m_pending.size()) ? &m_pending[std::size_t(row)] : nullptr;
}

int DocumentModel::rowOfDocument(qint64 id) const
{
    for (std::size_t i = 0; i < m_documents.size(); ++i) {
        if (m_documents[i].id == id)
            return int(i);
    }
    return -1;
}

QStringList DocumentModel::types() const
{
    QSet<QString> set;
    for (const DocumentRecord &d : m_documents) {
        if (!d.type.isEmpty())
            set.insert(d.type);
    }
    QStringList list(set.begin(), set.end());
    list.sort();
    return list;
}

int DocumentModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_documents.size() + m_pending.size());
}

int DocumentModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DocumentModel::statusLabel(DocumentStatus status)
{
    switch (status) {
    case DocumentStatus::Pending:
        return tr("Pending");
    case DocumentStatus::Ok:
        return tr("Ready");
    case DocumentStatus::Error:
        return tr("Failed");
    case DocumentStatus::PasswordRequired:
        return tr("Needs password");
    case DocumentStatus::Unsupported:
        return tr("Unsupported");
    case DocumentStatus::Empty:
        return tr("Empty");
    case DocumentStatus::TooLarge:
        return tr("Too large");
    case DocumentStatus::Timeout:
        return tr("Timed out");
    case DocumentStatus::Duplicate:
        return tr("Duplicate");
    }
    return {};
}

QVariant DocumentModel::displayData(const DocumentRecord &d, int column) const
{
    switch (column) {
    case Title:
        return d.title.isEmpty() ? QFileInfo(d.path).fileName() : d.title;
    case Status:
        if (d.duplicateOf && d.status != DocumentStatus::Duplicate)
            return tr("%1 · duplicate").arg(statusLabel(d.status));
        return statusLabel(d.status);
    case Type:
        return d.type;
    case Pages:
        return d.pageCount > 0 ? QVariant(d.pageCount) : QVariant();
    case Size:
        return d.size > 0 ? QLocale().formattedDataSize(d.size) : QString();
    case Modified:
        return d.modified.isEmpty() ? dateText(d.mtime) : isoDateText(d.modified);
    case Added:
        return dateText(d.addedAt);
    case Path:
        return d.path;
    }
    return {};
}

QVariant DocumentModel::sortData(const DocumentRecord &d, int column) const
{
    switch (column) {
    case Pages:
        return d.pageCount;
    case Size:
        return qint64(d.size);
    case Modified:
        return d.modified.isEmpty() ? QDateTime::fromSecsSinceEpoch(d.mtime).toString(Qt::ISODate) : d.modified;
    case Added:
        return qint64(d.addedAt);
    case Status:
        return int(d.status);
    default:
        return displayData(d, column).toString().toLower();
    }
}

QString DocumentModel::toolTip(const DocumentRecord &d) const
{
    QString tip = QStringLiteral("<b>%1</b><br>%2")
                      .arg(displayData(d, Title).toString().toHtmlEscaped(), d.path.toHtmlEscaped());
    if (!d.error.isEmpty())
        tip += QStringLiteral("<br>%1: %2").arg(statusLabel(d.status), d.error.toHtmlEscaped());
    if (d.duplicateOf)
        tip += QStringLiteral("<br>") + tr("Same content as document #%1").arg(*d.duplicateOf);
    if (d.nearDuplicateGroup)
        tip += QStringLiteral("<br>") + tr("Near-duplicate group %1").arg(*d.nearDuplicateGroup);
    return tip;
}

QVariant DocumentModel::data(const QModelIndex &index, int role) const
{
    const DocumentRecord *d = index.isValid() ? record(index.row()) : nullptr;
    if (!d)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == Status && !d->error.isEmpty())
            return QStringLiteral("%1 — %2").arg(displayData(*d, Status).toString(), d->error);
        return displayData(*d, index.column());
    case Qt::ToolTipRole:
        return toolTip(*d);
    case Qt::DecorationRole:
        if (index.column() == Title)
            return themeIcon(
                d->type == QLatin1String("pdf") ? QStringLiteral("application-pdf") : QStringLiteral("text-x-generic"));
        if (index.column() == Status && d->status == DocumentStatus::PasswordRequired)
            return themeIcon(QStringLiteral("dialog-password"));
        if (index.column() == Status && d->status != DocumentStatus::Ok && d->status != DocumentStatus::Pending)
            return themeIcon(QStringLiteral("dialog-warning"));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Pages || index.column() == Size)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::AccessibleTextRole:
        return displayData(*d, index.column());
    case DocumentIdRole:
        return qint64(d->id);
    case SortRole:
        return sortData(*d, index.column());
    case StatusRole:
        return int(d->status);
    case TypeRole:
        return d->type;
    case IsDuplicateRole:
        return d->duplicateOf.has_value() || d->status == DocumentStatus::Duplicate;
    case IsPendingRole:
        return d->id == 0;
    }
    return {};
}

QVariant DocumentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Title:
        return tr("Title");
    case Status:
        return tr("Status");
    case Type:
        return tr("Type");
    case Pages:
        return tr("Pages");
    case Size:
        return tr("Size");
    case Modified:
        return tr("Modified");
    case Added:
        return tr("Added");
    case Path:
        return tr("Path");
    }
    return {};
}

Qt::ItemFlags DocumentModel::flags(const QModelIndex &index) const
{
    return QAbstractTableModel::flags(index) | (index.isValid() ? Qt::ItemIsDragEnabled : Qt::NoItemFlags);
}

QStringList DocumentModel::mimeTypes() const
{
    return { QStringLiteral("text/uri-list") };
}

QMimeData *DocumentModel::mimeData(const QModelIndexList &indexes) const
{
    QList<QUrl> urls;
    QSet<int> rows;
    for (const QModelIndex &i : indexes) {
        if (rows.contains(i.row()))
            continue;
        rows.insert(i.row());
        if (const DocumentRecord *d = record(i.row()); d && !d->path.contains(QLatin1Char('!')))
            urls << QUrl::fromLocalFile(d->path);
    }
    auto *mime = new QMimeData;
    mime->setUrls(urls);
    return mime;
}

} // namespace quire::ui
