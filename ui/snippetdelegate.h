#pragma once

#include <QStyledItemDelegate>

namespace quire::ui
{

// Draws a search hit as two parts: the document title and page on the first line, then up to two lines
// of snippet with the matched terms in bold, in the palette's colours (selected rows included).
class SnippetDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace quire::ui
