#pragma once

#include "store/library.h"

#include <QAbstractListModel>
#include <vector>

namespace quire::ui
{

// Search hits, best first. DisplayRole is the snippet as HTML with the matched terms in bold.
class SearchResultModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { SnippetHtmlRole = Qt::UserRole + 1, TitleRole, LocationRole, SentenceIdRole, DocumentIdRole };

    explicit SearchResultModel(QObject *parent = nullptr);

    void setHits(std::vector<store::SearchHit> hits);
    const store::SearchHit *hit(int row) const;
    const std::vector<store::SearchHit> &hits() const { return m_hits; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    static QString snippetHtml(const store::SearchHit &hit);
    // The matched terms (from the snippet's highlights), for highlighting in the reader.
    static QStringList matchedTerms(const store::SearchHit &hit);

private:
    std::vector<store::SearchHit> m_hits;
};

} // namespace quire::ui
