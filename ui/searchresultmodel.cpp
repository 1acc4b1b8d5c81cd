#include "ui/searchresultmodel.h"

#include <QFileInfo>

namespace quire::ui
{

SearchResultModel::SearchResultModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void SearchResultModel::setHits(std::vector<store::SearchHit> hits)
{
    beginResetModel();
    m_hits = std::move(hits);
    endResetModel();
}

const store::SearchHit *SearchResultModel::hit(int row) const
{
    return row >= 0 && row < int(m_hits.size()) ? &m_hits[std::size_t(row)] : nullptr;
}

int SearchResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hits.size());
}

QString SearchResultModel::snippetHtml(const store::SearchHit &hit)
{
    QString html;
    int pos = 0;
    const QString &s = hit.snippet;
    for (const auto &[offset, length] : hit.highlights) {
        if (offset < pos || offset + length > s.size())
            continue;
        html += s.mid(pos, offset - pos).toHtmlEscaped();
        html += QStringLiteral("<b>") + s.mid(offset, length).toHtmlEscaped() + QStringLiteral("</b>");
        pos = offset + length;
    }
    html += s.mid(pos).toHtmlEscaped();
    return html;
}

QStringList SearchResultModel::matchedTerms(const store::SearchHit &hit)
{
    QStringList terms;
    for (const auto &[offset, length] : hit.highlights) {
        const QString term = hit.snippet.mid(offset, length).trimmed();
        if (!term.isEmpty() && !terms.contains(term, Qt::CaseInsensitive))
            terms << term;
    }
    return terms;
}

QVariant SearchResultModel::data(const QModelIndex &index, int role) const
{
    const store::SearchHit *h = index.isValid() ? hit(index.row()) : nullptr;
    if (!h)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return QStringLiteral("%1, %2: %3")
            .arg(data(index, TitleRole).toString(), data(index, LocationRole).toString(), h->snippet);
    case Qt::ToolTipRole:
        return h->path;
    case SnippetHtmlRole:
        return snippetHtml(*h);
    case TitleRole:
        return h->title.isEmpty() ? QFileInfo(h->path).fileName() : h->title;
    case LocationRole:
        return tr("page %1").arg(h->page);
    case SentenceIdRole:
        return qint64(h->sentenceId);
    case DocumentIdRole:
        return qint64(h->documentId);
    }
    return {};
}

} // namespace quire::ui
