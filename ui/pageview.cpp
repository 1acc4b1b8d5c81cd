#include "ui/pageview.h"

#include "ui/deliver.h"
#include "ui/pageimageprovider.h"

#include <QApplication>
#include <QClipboard>
#include <QFuture>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

namespace quire::ui
{

namespace
{
constexpr int Spacing = 12;
constexpr double MinZoom = 0.1;
constexpr double MaxZoom = 8.0;
const QColor PaperColour(255, 255, 255);
const QColor InkColour(35, 38, 41);
const QColor CitationColour(255, 214, 0, 110);
const QColor TermColour(255, 140, 0, 150);

bool overlaps(const store::WordBox &w, int start, int end)
{
    return w.start < end && w.end > start;
}
} // namespace

PageView::PageView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    m_images.setMaxCost(256 * 1024); // KiB
    viewport()->setMouseTracking(true);
    viewport()->setCursor(Qt::IBeamCursor);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Document pages"));
    verticalScrollBar()->setSingleStep(20);
    horizontalScrollBar()->setSingleStep(20);
}

PageView::~PageView() = default;

void PageView::setDocument(std::shared_ptr<const LoadedDocument> document, std::shared_ptr<PageImageProvider> provider)
{
    m_document = std::move(document);
    m_provider = std::move(provider);
    m_highlights.clear();
    m_selection.reset();
    m_anchor.reset();
    m_images.clear();
    m_pendingImages.clear();
    ++m_generation;
    m_currentPage = -1;
    relayout();
    verticalScrollBar()->setValue(0);
    updateCurrentPage();
    viewport()->update();
    Q_EMIT selectionChanged(false);
}

void PageView::setHighlights(std::vector<Highlight> highlights)
{
    m_highlights = std::move(highlights);
    viewport()->update();
}

int PageView::pageCount() const
{
    return m_document ? int(m_document->pages.size()) : 0;
}

int PageView::currentPage() const
{
    return qMax(0, m_currentPage);
}

double PageView::pixelsPerPoint() const
{
    return m_zoom * logicalDpiX() / 72.0;
}

void PageView::relayout()
{
    m_pageTops.clear();
    double maxWidth = 0;
    if (m_document) {
        for (const store::PageRecord &p : m_document->pages)
            maxWidth = std::max(maxWidth, p.width);
    }
    if (m_fitWidth && maxWidth > 0) {
        const double available = viewport()->width() - 2.0 * Spacing;
        m_zoom = std::clamp(available / (maxWidth * logicalDpiX() / 72.0), MinZoom, MaxZoom);
    }
    const double ppp = pixelsPerPoint();
    int y = Spacing;
    if (m_document) {
        for (const store::PageRecord &p : m_document->pages) {
            m_pageTops.push_back(y);
            y += int(p.height * ppp) + Spacing;
        }
    }
    m_contentWidth = int(maxWidth * ppp) + 2 * Spacing;
    verticalScrollBar()->setPageStep(viewport()->height());
    verticalScrollBar()->setRange(0, qMax(0, y - viewport()->height()));
    horizontalScrollBar()->setPageStep(viewport()->width());
    horizontalScrollBar()->setRange(0, qMax(0, m_contentWidth - viewport()->width()));
}

QRect PageView::pageRect(int page) const
{
    if (!m_document || page < 0 || page >= int(m_pageTops.size()))
        return {};
    const store::PageRecord &p = m_document->pages[std::size_t(page)];
    const double ppp = pixelsPerPoint();
    const int w = int(p.width * ppp);
    const int h = int(p.height * ppp);
    const int x = qMax(Spacing, (viewport()->width() - w) / 2) - horizontalScrollBar()->value();
    return { x, m_pageTops[std::size_t(page)] - verticalScrollBar()->value(), w, h };
}

QRectF PageView::wordRect(const store::WordBox &w, const QRect &pageRect) const
{
    const double ppp = pixelsPerPoint();
    return QRectF(pageRect.left() + w.x0 * ppp, pageRect.top() + w.y0 * ppp, (w.x1 - w.x0) * ppp, (w.y1 - w.y0) * ppp);
}

void PageView::setZoom(double zoom)
{
    zoom = std::clamp(zoom, MinZoom, MaxZoom);
    if (qFuzzyCompare(zoom, m_zoom) && !m_fitWidth)
        return;
    const int page = currentPage();
    m_fitWidth = false;
    m_zoom = zoom;
    relayout();
    goToPage(page);
    viewport()->update();
    Q_EMIT zoomChanged(m_zoom);
}

void PageView::setFitWidth(bool fit)
{
    const int page = currentPage();
    m_fitWidth = fit;
    relayout();
    goToPage(page);
    viewport()->update();
    Q_EMIT zoomChanged(m_zoom);
}

void PageView::zoomIn()
{
    setZoom(m_zoom * 1.25);
}

void PageView::zoomOut()
{
    setZoom(m_zoom / 1.25);
}

void PageView::goToPage(int page)
{
    if (page < 0 || page >= int(m_pageTops.size()))
        return;
    verticalScrollBar()->setValue(m_pageTops[std::size_t(page)] - Spacing);
    updateCurrentPage();
}

void PageView::scrollToRange(int start, int end)
{
    if (!m_document || m_document->pages.empty())
        return;
    const int page = m_document->pageOfOffset(start);
    const store::PageRecord &p = m_document->pages[std::size_t(page)];
    for (const store::WordBox &w : p.words) {
        if (overlaps(w, start, qMax(end, start + 1))) {
            const int y = m_pageTops[std::size_t(page)] + int(w.y0 * pixelsPerPoint());
            verticalScrollBar()->setValue(y - viewport()->height() / 3);
            updateCurrentPage();
            return;
        }
    }
    goToPage(page);
}

void PageView::updateCurrentPage()
{
    const int probe = verticalScrollBar()->value() + viewport()->height() / 3;
    int page = 0;
    for (std::size_t i = 0; i < m_pageTops.size(); ++i) {
        if (m_pageTops[i] <= probe)
            page = int(i);
    }
    if (m_pageTops.empty())
        page = -1;
    if (page != m_currentPage) {
        m_currentPage = page;
        Q_EMIT currentPageChanged(page);
    }
}

void PageView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    const int page = currentPage();
    const double before = m_zoom;
    relayout();
    if (!qFuzzyCompare(before, m_zoom)) {
        goToPage(page);
        Q_EMIT zoomChanged(m_zoom);
    }
}

void PageView::scrollContentsBy(int, int)
{
    updateCurrentPage();
    viewport()->update();
}

void PageView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    painter.fillRect(viewport()->rect(), palette().color(QPalette::Window).darker(112));
    if (!m_document)
        return;
    for (int i = 0; i < int(m_pageTops.size()); ++i) {
        const QRect r = pageRect(i);
        if (r.bottom() < 0)
            continue;
        if (r.top() > viewport()->height())
            break;
        paintPage(painter, i, r);
    }
}

void PageView::paintPage(QPainter &painter, int page, const QRect &rect)
{
    painter.fillRect(rect.translated(2, 2), QColor(0, 0, 0, 60));
    painter.fillRect(rect, PaperColour);
    const store::PageRecord &p = m_document->pages[std::size_t(page)];
    const QString key = QStringLiteral("%1@%2").arg(page).arg(pixelsPerPoint() * devicePixelRatioF(), 0, 'f', 3);
    // Until its picture arrives (or when there is no renderer) a page shows its text layer.
    if (const QImage *image = m_provider ? m_images.object(key) : nullptr) {
        painter.drawImage(rect, *image);
    } else {
        if (m_provider)
            requestImage(page);
        paintTextLayer(painter, p, rect);
    }
    paintMarks(painter, p, rect);
}

void PageView::paintTextLayer(QPainter &painter, const store::PageRecord &page, const QRect &rect)
{
    painter.save();
    painter.setPen(InkColour);
    QFont font = this->font();
    for (const store::WordBox &w : page.words) {
        const QRectF box = wordRect(w, rect);
        if (box.height() < 1)
            continue;
        font.setPixelSize(qMax(1, int(box.height() * 0.78)));
        painter.setFont(font);
        const QString word = m_document->text.mid(w.start, w.end - w.start);
        const double advance = QFontMetricsF(font).horizontalAdvance(word);
        if (advance > box.width() * 1.05 && advance > 0) {
            painter.save();
            painter.translate(box.left(), box.top());
            painter.scale(box.width() / advance, 1.0);
            painter.drawText(QRectF(0, 0, advance, box.height()), Qt::AlignLeft | Qt::AlignVCenter, word);
            painter.restore();
        } else {
            painter.drawText(box, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextDontClip, word);
        }
    }
    painter.restore();
}

void PageView::paintMarks(QPainter &painter, const store::PageRecord &page, const QRect &rect)
{
    if (m_highlights.empty() && !m_selection)
        return;
    painter.save();
    painter.setCompositionMode(QPainter::CompositionMode_Multiply);
    // A page's last boxes may show text of the previous page's range: a word hyphenated across the break.
    const int first = page.words.empty() ? page.start : std::min(page.start, page.words.back().start);
    for (const Highlight &h : m_highlights) {
        if (h.end <= first || h.start >= page.end)
            continue;
        const QColor colour = h.kind == Highlight::Kind::Citation ? CitationColour : TermColour;
        for (const store::WordBox &w : page.words) {
            if (overlaps(w, h.start, h.end))
                painter.fillRect(wordRect(w, rect).adjusted(-1, -1, 1, 1), colour);
        }
    }
    if (m_selection) {
        QColor colour = palette().color(QPalette::Highlight);
        colour.setAlpha(120);
        for (const store::WordBox &w : page.words) {
            if (w.start >= m_selection->first && w.end <= m_selection->second)
                painter.fillRect(wordRect(w, rect).adjusted(-1, -1, 1, 1), colour);
        }
    }
    painter.restore();
}

void PageView::requestImage(int page)
{
    const double scale = pixelsPerPoint() * devicePixelRatioF();
    const QString key = QStringLiteral("%1@%2").arg(page).arg(scale, 0, 'f', 3);
    if (m_pendingImages.contains(key))
        return;
    m_pendingImages.insert(key);
    const quint64 generation = m_generation;
    const qreal dpr = devicePixelRatioF();
    deliver(QtConcurrent::run(QThreadPool::globalInstance(),
                [provider = m_provider, page, scale] { return provider->render(page, scale); }),
        this,
        [this, key, generation, dpr](Expected<QImage> image) {
            if (generation != m_generation)
                return;
            if (!image || image->isNull())
                return; // stays "pending": the text layer remains, no retry loop
            m_pendingImages.remove(key);
            image->setDevicePixelRatio(dpr);
            const int cost = int(image->sizeInBytes() / 1024);
            m_images.insert(key, new QImage(std::move(*image)), cost);
            viewport()->update();
        });
}

PageView::WordRef PageView::wordAt(const QPoint &pos) const
{
    for (int i = 0; i < int(m_pageTops.size()); ++i) {
        const QRect r = pageRect(i);
        if (pos.y() < r.top() - Spacing / 2 || pos.y() > r.bottom() + Spacing / 2)
            continue;
        const auto &words = m_document->pages[std::size_t(i)].words;
        int best = -1;
        double bestDistance = 0;
        for (int w = 0; w < int(words.size()); ++w) {
            const QRectF box = wordRect(words[std::size_t(w)], r);
            if (box.contains(pos))
                return { i, w };
            const double dx = std::max({ box.left() - pos.x(), 0.0, pos.x() - box.right() });
            const double dy = std::max({ box.top() - pos.y(), 0.0, pos.y() - box.bottom() });
            const double distance = dx + 4 * dy; // prefer the same line
            if (best < 0 || distance < bestDistance) {
                best = w;
                bestDistance = distance;
            }
        }
        return { i, best };
    }
    return {};
}

void PageView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_document)
        return QAbstractScrollArea::mousePressEvent(event);
    const bool had = m_selection.has_value();
    m_selection.reset();
    const WordRef ref = wordAt(event->position().toPoint());
    m_anchor = ref.word >= 0 ? std::optional(ref) : std::nullopt;
    if (had)
        Q_EMIT selectionChanged(false);
    viewport()->update();
}

void PageView::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton) || !m_anchor || !m_document)
        return QAbstractScrollArea::mouseMoveEvent(event);
    const WordRef ref = wordAt(event->position().toPoint());
    if (ref.word < 0)
        return;
    const auto &a = m_document->pages[std::size_t(m_anchor->page)].words[std::size_t(m_anchor->word)];
    const auto &b = m_document->pages[std::size_t(ref.page)].words[std::size_t(ref.word)];
    const bool had = m_selection.has_value();
    m_selection = std::pair(std::min(a.start, b.start), std::max(a.end, b.end));
    if (!had)
        Q_EMIT selectionChanged(true);
    viewport()->update();
}

void PageView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && m_selection && QApplication::clipboard()->supportsSelection())
        QApplication::clipboard()->setText(selectedText(), QClipboard::Selection);
    QAbstractScrollArea::mouseReleaseEvent(event);
}

void PageView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        if (event->angleDelta().y() > 0)
            zoomIn();
        else if (event->angleDelta().y() < 0)
            zoomOut();
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void PageView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copySelection();
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
        return;
    }
    switch (event->key()) {
    case Qt::Key_Home:
        goToPage(0);
        return;
    case Qt::Key_End:
        goToPage(pageCount() - 1);
        return;
    case Qt::Key_Space:
        verticalScrollBar()->triggerAction(event->modifiers() & Qt::ShiftModifier ? QAbstractSlider::SliderPageStepSub
                                                                                  : QAbstractSlider::SliderPageStepAdd);
        return;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

QString PageView::selectedText() const
{
    if (!m_selection || !m_document)
        return {};
    return m_document->text.mid(m_selection->first, m_selection->second - m_selection->first);
}

void PageView::copySelection()
{
    if (m_selection)
        QApplication::clipboard()->setText(selectedText());
}

void PageView::selectAll()
{
    if (!m_document || m_document->text.isEmpty())
        return;
    m_selection = std::pair(0, int(m_document->text.size()));
    Q_EMIT selectionChanged(true);
    viewport()->update();
}

} // namespace quire::ui
