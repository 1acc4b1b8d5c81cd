#pragma once

#include "ui/loadeddocument.h"

#include <QWidget>
#include <functional>
#include <memory>

class QAction;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;
class QSplitter;
class QStackedWidget;
class QToolBar;
class QTreeWidget;

namespace quire::ui
{

class LibrarySession;
class PageImageProvider;
class PageView;

// The reader: PDFs page by page (PageView), other documents as text, both with the outline of their
// sections and with highlights. Every citation in the application ends in openAt().
class ReaderView : public QWidget
{
    Q_OBJECT
public:
    using ProviderFactory = std::function<std::shared_ptr<PageImageProvider>(const store::DocumentRecord &)>;

    explicit ReaderView(QWidget *parent = nullptr);
    ~ReaderView() override;

    void setSession(std::shared_ptr<LibrarySession> session);
    // How PDFs get their page pictures; without a factory pages show their text layer.
    void setPageImageProviderFactory(ProviderFactory factory);

    qint64 currentDocumentId() const;
    std::shared_ptr<const LoadedDocument> document() const { return m_document; }
    const std::vector<Highlight> &highlights() const { return m_highlights; }
    bool isPagedMode() const;
    PageView *pageView() const { return m_pageView; }
    QPlainTextEdit *textView() const { return m_textView; }
    QTreeWidget *outline() const { return m_outline; }
    QSplitter *splitter() const { return m_splitter; }
    QString noticeText() const;

    QAction *zoomInAction() const { return m_zoomIn; }
    QAction *zoomOutAction() const { return m_zoomOut; }
    QAction *fitWidthAction() const { return m_fitWidth; }
    QAction *previousPageAction() const { return m_previousPage; }
    QAction *nextPageAction() const { return m_nextPage; }
    QAction *copyAction() const { return m_copy; }

public Q_SLOTS:
    void openDocument(qint64 documentId);
    // Opens the document at a sentence, highlighted; `terms` are also marked inside it.
    void openAt(qint64 documentId, qint64 sentenceId, const QStringList &terms = {});
    // Opens the document at a text range [start, end), highlighted.
    void openRange(qint64 documentId, int start, int end, const QStringList &terms = {});
    void clear();

Q_SIGNALS:
    void documentOpened(qint64 documentId, const QString &title);
    // The cited range is shown and highlighted (start, end are text offsets).
    void highlightShown(qint64 documentId, int start, int end);
    void openFailed(const QString &message);

private:
    struct Target {
        std::shared_ptr<const LoadedDocument> document;
        int start = -1;
        int end = -1;
    };
    void request(qint64 documentId, qint64 sentenceId, int start, int end, const QStringList &terms);
    void showTarget(Target target, const QStringList &terms);
    void setDocument(std::shared_ptr<const LoadedDocument> document);
    void applyHighlights(int start, int end, const QStringList &terms);
    void applyTextHighlights();
    void fillOutline();
    void goToSection(int start, int page);
    void updatePageControls();
    void updateZoomText();
    void setNotice(const QString &text);
    QToolBar *createToolBar();

    std::shared_ptr<LibrarySession> m_session;
    std::shared_ptr<const LoadedDocument> m_document;
    std::vector<Highlight> m_highlights;
    ProviderFactory m_providerFactory;
    quint64 m_requestSequence = 0;
    int m_textZoom = 0;

    QLabel *m_title;
    QLabel *m_notice;
    QSplitter *m_splitter;
    QTreeWidget *m_outline;
    QStackedWidget *m_stack;
    QLabel *m_empty;
    PageView *m_pageView;
    QPlainTextEdit *m_textView;
    QSpinBox *m_pageSpin;
    QLabel *m_pageTotal;
    QComboBox *m_zoomCombo;
    QAction *m_zoomIn;
    QAction *m_zoomOut;
    QAction *m_fitWidth;
    QAction *m_previousPage;
    QAction *m_nextPage;
    QAction *m_copy;
};

} // namespace quire::ui
