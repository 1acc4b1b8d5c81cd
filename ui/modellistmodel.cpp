#include "ui/modellistmodel.h"

#include "ui/icons.h"

#include <QLocale>

namespace quire::ui
{

ModelListModel::ModelListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ModelListModel::setEntries(std::vector<ModelEntry> entries)
{
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

int ModelListModel::addEntry(ModelEntry entry)
{
    const int existing = rowOfPath(entry.path);
    if (existing >= 0) {
        m_entries[size_t(existing)] = std::move(entry);
        Q_EMIT dataChanged(index(existing, 0), index(existing, ColumnCount - 1));
        return existing;
    }
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_entries.push_back(std::move(entry));
    endInsertRows();
    return row;
}

const ModelEntry *ModelListModel::entry(int row) const
{
    return row >= 0 && row < rowCount() ? &m_entries[size_t(row)] : nullptr;
}

int ModelListModel::rowOfPath(const QString &path) const
{
    for (size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].path == path)
            return int(i);
    }
    return -1;
}

int ModelListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ModelListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ModelListModel::parameterText(qint64 n)
{
    if (n <= 0)
        return {};
    if (n >= 1000000000)
        return QStringLiteral("%1 B").arg(double(n) / 1e9, 0, 'f', 2);
    if (n >= 1000000)
        return QStringLiteral("%1 M").arg(double(n) / 1e6, 0, 'f', n >= 100000000 ? 0 : 1);
    return n >= 1000 ? QStringLiteral("%1 K").arg(double(n) / 1e3, 0, 'f', 1) : QString::number(n);
}

QVariant ModelListModel::display(const ModelEntry &e, int column) const
{
    switch (column) {
    case Name:
        return e.displayName;
    case Architecture:
        return e.isUsable() ? e.architecture : tr("unreadable");
    case Parameters:
        return parameterText(e.parameters);
    case Quantisation:
        return e.quantisation;
    case Context:
        return e.contextLength > 0 ? QLocale().toString(e.contextLength) : QString();
    case Size:
        return e.fileBytes > 0 ? QLocale().formattedDataSize(e.fileBytes) : QString();
    case Source:
        return e.source;
    }
    return {};
}

QVariant ModelListModel::data(const QModelIndex &index, int role) const
{
    const ModelEntry *e = entry(index.row());
    if (!e || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return display(*e, index.column());
    case Qt::ToolTipRole:
        return e->isUsable() ? e->path : tr("%1\n%2").arg(e->path, e->error);
    case Qt::DecorationRole:
        return index.column() == Name && !e->isUsable() ? themeIcon(QStringLiteral("dialog-warning")) : QVariant();
    case SortRole:
        switch (index.column()) {
        case Parameters:
            return e->parameters;
        case Context:
            return e->contextLength;
        case Size:
            return e->fileBytes;
        default:
            return display(*e, index.column()).toString().toLower();
        }
    case PathRole:
        return e->path;
    default:
        return {};
    }
}

QVariant ModelListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Model");
    case Architecture:
        return tr("Architecture");
    case Parameters:
        return tr("Parameters");
    case Quantisation:
        return tr("Quantisation");
    case Context:
        return tr("Context");
    case Size:
        return tr("Size");
    case Source:
        return tr("Found in");
    }
    return {};
}

} // namespace quire::ui
