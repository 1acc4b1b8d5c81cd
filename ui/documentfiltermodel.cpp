#include "ui/documentfiltermodel.h"

#include "store/library.h"
#include "ui/documentmodel.h"

namespace quire::ui
{

DocumentFilterModel::DocumentFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(DocumentModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void DocumentFilterModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateRowsFilter();
}

void DocumentFilterModel::setType(const QString &type)
{
    if (type == m_type)
        return;
    m_type = type;
    invalidateRowsFilter();
}

void DocumentFilterModel::setStatusFilter(StatusFilter filter)
{
    if (filter == m_status)
        return;
    m_status = filter;
    invalidateRowsFilter();
}

bool DocumentFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    const auto *model = qobject_cast<const DocumentModel *>(sourceModel());
    const store::DocumentRecord *d = model ? model->record(sourceRow) : nullptr;
    if (!d)
        return false;
    if (!m_type.isEmpty() && d->type != m_type)
        return false;
    using store::DocumentStatus;
    switch (m_status) {
    case StatusFilter::All:
        break;
    case StatusFilter::Ready:
        if (d->status != DocumentStatus::Ok)
            return false;
        break;
    case StatusFilter::Problems:
        if (d->status == DocumentStatus::Ok || d->status == DocumentStatus::Pending
            || d->status == DocumentStatus::Duplicate)
            return false;
        break;
    case StatusFilter::Pending:
        if (d->status != DocumentStatus::Pending)
            return false;
        break;
    case StatusFilter::Duplicates:
        if (!d->duplicateOf && d->status != DocumentStatus::Duplicate && !d->nearDuplicateGroup)
            return false;
        break;
    }
    if (m_text.isEmpty())
        return true;
    return d->title.contains(m_text, Qt::CaseInsensitive) || d->path.contains(m_text, Qt::CaseInsensitive);
}

} // namespace quire::ui
