#include "ui/snippetdelegate.h"

#include "ui/searchresultmodel.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QPainter>
#include <QTextDocument>

namespace quire::ui
{

namespace
{
constexpr int Margin = 6;
constexpr int SnippetLines = 2;
} // namespace

void SnippetDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = option.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive;
    const QColor text = option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor secondary = text;
    secondary.setAlphaF(0.65f);

    const QRect r = option.rect.adjusted(Margin, Margin / 2, -Margin, -Margin / 2);
    const QFontMetrics fm(option.font);
    painter->save();
    painter->setClipRect(option.rect);

    QFont titleFont = option.font;
    titleFont.setWeight(QFont::DemiBold);
    const QString location = index.data(SearchResultModel::LocationRole).toString();
    const int locationWidth = fm.horizontalAdvance(location) + Margin;
    painter->setFont(titleFont);
    painter->setPen(text);
    const QString title = QFontMetrics(titleFont).elidedText(
        index.data(SearchResultModel::TitleRole).toString(), Qt::ElideMiddle, r.width() - locationWidth);
    painter->drawText(QRect(r.left(), r.top(), r.width() - locationWidth, fm.height()), Qt::AlignLeft, title);
    painter->setFont(option.font);
    painter->setPen(secondary);
    painter->drawText(QRect(r.left(), r.top(), r.width(), fm.height()), Qt::AlignRight, location);

    QTextDocument doc;
    doc.setDocumentMargin(0);
    doc.setDefaultFont(option.font);
    doc.setTextWidth(r.width());
    doc.setHtml(index.data(SearchResultModel::SnippetHtmlRole).toString());
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette.setColor(QPalette::Text, text);
    context.clip = QRectF(0, 0, r.width(), fm.lineSpacing() * SnippetLines);
    painter->translate(r.left(), r.top() + fm.height() + 2);
    painter->setClipRect(context.clip, Qt::IntersectClip);
    doc.documentLayout()->draw(painter, context);
    painter->restore();
}

QSize SnippetDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    return { 200, Margin + fm.height() + 2 + fm.lineSpacing() * SnippetLines };
}

} // namespace quire::ui
