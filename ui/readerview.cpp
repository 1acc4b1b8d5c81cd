#include "ui/readerview.h"

#include "ui/deliver.h"
#include "ui/icons.h"
#include "ui/librarysession.h"
#include "ui/pageimageprovider.h"
#include "ui/pageview.h"

#include <QAction>
#include <QComboBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBlock>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace quire::ui
{

namespace
{
constexpr int SectionStartRole = Qt::UserRole + 1;
constexpr int SectionPageRole = Qt::UserRole + 2;
const int ZoomSteps[] = { 50, 75, 100, 125, 150, 200, 300, 400 };
} // namespace

ReaderView::ReaderView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_notice(new QLabel(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_outline(new QTreeWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_empty(new QLabel(this))
    , m_pageView(new PageView(this))
    , m_textView(new QPlainTextEdit(this))
{
    QToolBar *toolBar = createToolBar();

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setContentsMargins(8, 4, 8, 0);
    m_title->setAccessibleName(tr("Document title"));

    m_notice->setWordWrap(true);
    m_notice->setFrameShape(QFrame::StyledPanel);
    m_notice->setContentsMargins(8, 4, 8, 4);
    m_notice->setAutoFillBackground(true);
    m_notice->hide();

    m_outline->setHeaderLabel(tr("Outline"));
    m_outline->setAccessibleName(tr("Document outline"));
    m_outline->setUniformRowHeights(true);
    connect(m_outline, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        goToSection(item->data(0, SectionStartRole).toInt(), item->data(0, SectionPageRole).toInt());
    });
    connect(m_outline, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        goToSection(item->data(0, SectionStartRole).toInt(), item->data(0, SectionPageRole).toInt());
    });

    m_textView->setReadOnly(true);
    m_textView->setAccessibleName(tr("Document text"));
    m_textView->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_textView->setFrameShape(QFrame::NoFrame);
    m_textView->document()->setDocumentMargin(16);

    m_empty->setText(tr("No document open.\nChoose one in the library or open a search result."));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false);

    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_pageView);
    m_stack->addWidget(m_textView);
    m_splitter->addWidget(m_outline);
    m_splitter->addWidget(m_stack);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({ 200, 800 });
    m_splitter->setChildrenCollapsible(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(toolBar);
    layout->addWidget(m_title);
    layout->addWidget(m_notice);
    layout->addWidget(m_splitter, 1);

    connect(m_pageView, &PageView::currentPageChanged, this, &ReaderView::updatePageControls);
    connect(m_pageView, &PageView::zoomChanged, this, &ReaderView::updateZoomText);
    connect(m_pageView, &PageView::selectionChanged, m_copy, &QAction::setEnabled);
    connect(m_textView, &QPlainTextEdit::copyAvailable, this, [this](bool yes) {
        if (!isPagedMode())
            m_copy->setEnabled(yes);
    });
    clear();
}

ReaderView::~ReaderView() = default;

QToolBar *ReaderView::createToolBar()
{
    auto *bar = new QToolBar(tr("Reader"), this);
    bar->setIconSize(QSize(16, 16));
    bar->setAccessibleName(tr("Reader tools"));

    m_previousPage = bar->addAction(themeIcon(QStringLiteral("go-previous")), tr("Previous Page"));
    m_previousPage->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    m_pageSpin = new QSpinBox(bar);
    m_pageSpin->setAccessibleName(tr("Page number"));
    m_pageSpin->setKeyboardTracking(false);
    m_pageSpin->setButtonSymbols(QAbstractSpinBox::NoButtons);
    m_pageSpin->setAlignment(Qt::AlignRight);
    m_pageSpin->setMinimumWidth(m_pageSpin->fontMetrics().horizontalAdvance(QStringLiteral("00000")) + 12);
    bar->addWidget(m_pageSpin);
    m_pageTotal = new QLabel(bar);
    m_pageTotal->setContentsMargins(4, 0, 4, 0);
    bar->addWidget(m_pageTotal);
    m_nextPage = bar->addAction(themeIcon(QStringLiteral("go-next")), tr("Next Page"));
    m_nextPage->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    bar->addSeparator();

    m_zoomOut = bar->addAction(themeIcon(QStringLiteral("zoom-out")), tr("Zoom Out"));
    m_zoomOut->setShortcut(QKeySequence::ZoomOut);
    m_zoomCombo = new QComboBox(bar);
    m_zoomCombo->setAccessibleName(tr("Zoom"));
    m_zoomCombo->setEditable(true);
    m_zoomCombo->setInsertPolicy(QComboBox::NoInsert);
    for (int step : ZoomSteps)
        m_zoomCombo->addItem(tr("%1%").arg(step), step);
    m_zoomCombo->addItem(tr("Fit Width"), 0);
    m_zoomCombo->setMinimumContentsLength(8);
    bar->addWidget(m_zoomCombo);
    m_zoomIn = bar->addAction(themeIcon(QStringLiteral("zoom-in")), tr("Zoom In"));
    m_zoomIn->setShortcut(QKeySequence::ZoomIn);
    m_fitWidth = bar->addAction(themeIcon(QStringLiteral("zoom-fit-width")), tr("Fit Width"));
    m_fitWidth->setCheckable(true);
    m_fitWidth->setChecked(true);
    bar->addSeparator();
    m_copy = bar->addAction(themeIcon(QStringLiteral("edit-copy")), tr("Copy"));
    m_copy->setShortcut(QKeySequence::Copy);
    m_copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_copy->setEnabled(false);
    addAction(m_copy);

    connect(m_previousPage, &QAction::triggered, this, [this] { m_pageView->goToPage(m_pageView->currentPage() - 1); });
    connect(m_nextPage, &QAction::triggered, this, [this] { m_pageView->goToPage(m_pageView->currentPage() + 1); });
    connect(m_pageSpin, &QSpinBox::valueChanged, this, [this](int page) {
        if (page - 1 != m_pageView->currentPage())
            m_pageView->goToPage(page - 1);
    });
    connect(m_zoomIn, &QAction::triggered, this, [this] {
        if (isPagedMode()) {
            m_pageView->zoomIn();
        } else if (m_textZoom < 12) {
            m_textView->zoomIn(1);
            ++m_textZoom;
        }
    });
    connect(m_zoomOut, &QAction::triggered, this, [this] {
        if (isPagedMode()) {
            m_pageView->zoomOut();
        } else if (m_textZoom > -6) {
            m_textView->zoomOut(1);
            --m_textZoom;
        }
    });
    connect(m_fitWidth, &QAction::toggled, m_pageView, &PageView::setFitWidth);
    connect(m_zoomCombo, &QComboBox::activated, this, [this](int index) {
        const int percent = m_zoomCombo->itemData(index).toInt();
        if (percent == 0)
            m_fitWidth->setChecked(true);
        else
            m_pageView->setZoom(percent / 100.0);
    });
    connect(m_zoomCombo->lineEdit(), &QLineEdit::editingFinished, this, [this] {
        bool ok = false;
        const int percent = m_zoomCombo->currentText().remove(QLatin1Char('%')).trimmed().toInt(&ok);
        if (ok && percent > 0)
            m_pageView->setZoom(percent / 100.0);
    });
    connect(m_copy, &QAction::triggered, this, [this] {
        if (isPagedMode())
            m_pageView->copySelection();
        else
            m_textView->copy();
    });
    return bar;
}

void ReaderView::setSession(std::shared_ptr<LibrarySession> session)
{
    m_session = std::move(session);
    clear();
}

void ReaderView::setPageImageProviderFactory(ProviderFactory factory)
{
    m_providerFactory = std::move(factory);
}

qint64 ReaderView::currentDocumentId() const
{
    return m_document ? m_document->record.id : 0;
}

bool ReaderView::isPagedMode() const
{
    return m_stack->currentWidget() == m_pageView;
}

QString ReaderView::noticeText() const
{
    return m_notice->isVisible() ? m_notice->text() : QString();
}

void ReaderView::clear()
{
    ++m_requestSequence;
    m_document.reset();
    m_highlights.clear();
    m_pageView->setDocument(nullptr, nullptr);
    m_textView->clear();
    m_outline->clear();
    m_outline->hide();
    m_title->clear();
    m_title->hide();
    setNotice({});
    m_stack->setCurrentWidget(m_empty);
    updatePageControls();
    updateZoomText();
}

void ReaderView::openDocument(qint64 documentId)
{
    request(documentId, 0, -1, -1, {});
}

void ReaderView::openAt(qint64 documentId, qint64 sentenceId, const QStringList &terms)
{
    request(documentId, sentenceId, -1, -1, terms);
}

void ReaderView::openRange(qint64 documentId, int start, int end, const QStringList &terms)
{
    request(documentId, 0, start, end, terms);
}

void ReaderView::request(qint64 documentId, qint64 sentenceId, int start, int end, const QStringList &terms)
{
    if (!m_session)
        return;
    const quint64 sequence = ++m_requestSequence;
    auto current = m_document;
    deliver(m_session->run([current, documentId, sentenceId, start, end](store::Library &lib) -> Expected<Target> {
        Target target { current, start, end };
        if (sentenceId > 0) {
            auto sentence = lib.sentence(sentenceId);
            if (!sentence)
                return std::unexpected(sentence.error());
            if (!*sentence)
                return fail(Error::Code::NotFound, "the cited sentence is no longer in the library");
            target.start = (*sentence)->start;
            target.end = (*sentence)->end;
        }
        if (!current || current->record.id != documentId) {
            auto doc = LoadedDocument::load(lib, documentId);
            if (!doc)
                return std::unexpected(doc.error());
            target.document = std::move(*doc);
        }
        return target;
    }),
        this,
        [this, sequence, terms](Expected<Target> target) {
            if (sequence != m_requestSequence)
                return;
            if (!target) {
                setNotice(errorText(target.error()));
                Q_EMIT openFailed(errorText(target.error()));
                return;
            }
            showTarget(std::move(*target), terms);
        });
}

void ReaderView::showTarget(Target target, const QStringList &terms)
{
    const bool fresh = target.document != m_document;
    if (fresh)
        setDocument(target.document);
    if (target.start >= 0) {
        applyHighlights(target.start, qMax(target.start, target.end), terms);
        Q_EMIT highlightShown(m_document->record.id, target.start, target.end);
    } else if (!fresh) {
        applyHighlights(-1, -1, {});
    }
}

void ReaderView::setDocument(std::shared_ptr<const LoadedDocument> document)
{
    m_document = std::move(document);
    m_highlights.clear();
    const store::DocumentRecord &r = m_document->record;
    const QString title = r.title.isEmpty() ? QFileInfo(r.path).fileName() : r.title;
    m_title->setText(title);
    m_title->setToolTip(r.path);
    m_title->show();
    if (m_document->isPaged()) {
        auto provider = m_providerFactory ? m_providerFactory(r) : nullptr;
        m_pageView->setDocument(m_document, provider);
        m_textView->clear();
        m_stack->setCurrentWidget(m_pageView);
        setNotice(provider ? QString()
                           : tr("The original file is not available (%1), so each page shows its extracted text "
                                "at the recorded word positions.")
                                 .arg(r.path));
    } else {
        m_pageView->setDocument(nullptr, nullptr);
        m_textView->setPlainText(m_document->text);
        m_stack->setCurrentWidget(m_textView);
        setNotice(m_document->text.isEmpty()
                ? tr("This document has no extracted text (status: %1).").arg(store::statusName(r.status))
                : QString());
    }
    fillOutline();
    updatePageControls();
    updateZoomText();
    Q_EMIT documentOpened(r.id, title);
}

void ReaderView::applyHighlights(int start, int end, const QStringList &terms)
{
    m_highlights = start >= 0 ? citationHighlights(m_document->text, start, end, terms) : std::vector<Highlight>();
    if (isPagedMode()) {
        m_pageView->setHighlights(m_highlights);
        if (start >= 0)
            m_pageView->scrollToRange(start, end);
        return;
    }
    applyTextHighlights();
    if (start >= 0) {
        QTextCursor cursor(m_textView->document());
        cursor.setPosition(qMin(end, int(m_document->text.size())));
        m_textView->setTextCursor(cursor);
        cursor.setPosition(start);
        m_textView->setTextCursor(cursor);
        m_textView->centerCursor();
    }
}

void ReaderView::applyTextHighlights()
{
    QList<QTextEdit::ExtraSelection> selections;
    const int length = int(m_document->text.size());
    for (const Highlight &h : m_highlights) {
        QTextEdit::ExtraSelection s;
        s.cursor = QTextCursor(m_textView->document());
        s.cursor.setPosition(qBound(0, h.start, length));
        s.cursor.setPosition(qBound(0, h.end, length), QTextCursor::KeepAnchor);
        const bool citation = h.kind == Highlight::Kind::Citation;
        s.format.setBackground(citation ? QColor(255, 214, 0, 90) : QColor(255, 140, 0, 150));
        if (!citation)
            s.format.setFontWeight(QFont::DemiBold);
        selections << s;
    }
    m_textView->setExtraSelections(selections);
}

void ReaderView::fillOutline()
{
    m_outline->clear();
    std::vector<std::pair<int, QTreeWidgetItem *>> parents; // (level, item)
    for (const store::SectionRecord &s : m_document->sections) {
        while (!parents.empty() && parents.back().first >= s.level)
            parents.pop_back();
        auto *item = parents.empty() ? new QTreeWidgetItem(m_outline) : new QTreeWidgetItem(parents.back().second);
        item->setText(0, s.title);
        item->setToolTip(0, s.title);
        item->setData(0, SectionStartRole, s.start);
        item->setData(0, SectionPageRole, s.page);
        parents.emplace_back(s.level, item);
    }
    m_outline->expandToDepth(0);
    m_outline->setVisible(!m_document->sections.empty());
}

void ReaderView::goToSection(int start, int page)
{
    if (isPagedMode()) {
        m_pageView->scrollToRange(start, start + 1);
        if (m_pageView->currentPage() + 1 != page && page > 0)
            m_pageView->goToPage(page - 1);
        return;
    }
    QTextCursor cursor(m_textView->document());
    cursor.setPosition(qBound(0, start, int(m_document->text.size())));
    m_textView->setTextCursor(cursor);
    // Put the heading at the top rather than wherever the cursor happens to land.
    m_textView->verticalScrollBar()->setValue(m_textView->verticalScrollBar()->maximum());
    m_textView->ensureCursorVisible();
}

void ReaderView::updatePageControls()
{
    const bool paged = m_document && isPagedMode();
    const int count = paged ? m_pageView->pageCount() : 0;
    const int page = paged ? m_pageView->currentPage() + 1 : 0;
    QSignalBlocker block(m_pageSpin);
    m_pageSpin->setRange(count > 0 ? 1 : 0, count);
    m_pageSpin->setValue(page);
    m_pageSpin->setEnabled(count > 1);
    m_pageTotal->setText(count > 0 ? tr("of %1").arg(count) : QString());
    m_previousPage->setEnabled(page > 1);
    m_nextPage->setEnabled(page > 0 && page < count);
}

void ReaderView::updateZoomText()
{
    const bool paged = m_document && isPagedMode();
    m_zoomCombo->setEnabled(paged);
    m_fitWidth->setEnabled(paged);
    m_zoomIn->setEnabled(bool(m_document));
    m_zoomOut->setEnabled(bool(m_document));
    QSignalBlocker block(m_fitWidth);
    m_fitWidth->setChecked(m_pageView->fitWidth());
    m_zoomCombo->setEditText(tr("%1%").arg(qRound(m_pageView->zoom() * 100)));
}

void ReaderView::setNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

} // namespace quire::ui
