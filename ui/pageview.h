#pragma once

#include "ui/loadeddocument.h"

#include <QAbstractScrollArea>
#include <QCache>
#include <QSet>
#include <memory>
#include <optional>

namespace quire::ui
{

class PageImageProvider;

// Laid-out pages shown one under the other (continuous scroll), with zoom, fit width, word-box text
// selection and highlights. Page pictures come from a PageImageProvider, rendered in a worker; without
// one each page shows its extracted text layer drawn at the word positions.
class PageView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit PageView(QWidget *parent = nullptr);
    ~PageView() override;

    void setDocument(std::shared_ptr<const LoadedDocument> document, std::shared_ptr<PageImageProvider> provider);
    void setHighlights(std::vector<Highlight> highlights);

    double zoom() const { return m_zoom; }
    bool fitWidth() const { return m_fitWidth; }
    int pageCount() const;
    int currentPage() const; // 0-based
    bool hasSelection() const { return m_selection.has_value(); }
    QString selectedText() const;
    // The rectangle in viewport coordinates of page `page` (for tests).
    QRect pageRect(int page) const;

public Q_SLOTS:
    void setZoom(double zoom);
    void setFitWidth(bool fit);
    void zoomIn();
    void zoomOut();
    void goToPage(int page);
    void scrollToRange(int start, int end);
    void copySelection();
    void selectAll();

Q_SIGNALS:
    void zoomChanged(double zoom);
    void currentPageChanged(int page);
    void selectionChanged(bool hasSelection);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct WordRef {
        int page = -1;
        int word = -1;
    };
    double pixelsPerPoint() const;
    void relayout();
    void paintPage(QPainter &painter, int page, const QRect &rect);
    void paintTextLayer(QPainter &painter, const store::PageRecord &page, const QRect &rect);
    void paintMarks(QPainter &painter, const store::PageRecord &page, const QRect &rect);
    QRectF wordRect(const store::WordBox &w, const QRect &pageRect) const;
    WordRef wordAt(const QPoint &viewportPos) const;
    void requestImage(int page);
    void updateCurrentPage();

    std::shared_ptr<const LoadedDocument> m_document;
    std::shared_ptr<PageImageProvider> m_provider;
    std::vector<Highlight> m_highlights;
    std::vector<int> m_pageTops; // content coordinates
    int m_contentWidth = 0;
    double m_zoom = 1.0;
    bool m_fitWidth = true;
    int m_currentPage = -1;
    std::optional<std::pair<int, int>> m_selection; // text range
    std::optional<WordRef> m_anchor;
    QCache<QString, QImage> m_images;
    QSet<QString> m_pendingImages;
    quint64 m_generation = 0;
};

} // namespace quire::ui
