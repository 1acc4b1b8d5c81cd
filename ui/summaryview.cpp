#include "ui/summaryview.h"

#include "store/analysisstore.h"
#include "ui/deliver.h"
#include "ui/emptystatepage.h"
#include "ui/librarysession.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace quire::ui
{

namespace
{

struct SummaryLine {
    qint64 documentId = 0;
    qint64 sentenceId = 0;
    int page = 1;
    QString text;
    QString documentTitle;
};

constexpr int DocumentIdRole = Qt::UserRole + 1;
constexpr int SentenceIdRole = Qt::UserRole + 2;

Expected<std::vector<SummaryLine>> loadSummary(store::Library &lib, std::optional<qint64> documentId)
{
    store::AnalysisStore analysis(lib);
    auto rows = analysis.summary(documentId);
    if (!rows)
        return std::unexpected(rows.error());
    std::vector<SummaryLine> lines;
    QHash<qint64, QString> titles;
    for (const store::SummaryRow &row : *rows) {
        auto sentence = lib.sentence(row.sentenceId);
        if (!sentence)
            return std::unexpected(sentence.error());
        if (!*sentence)
            continue;
        SummaryLine line { (*sentence)->documentId, row.sentenceId, (*sentence)->page, (*sentence)->text, {} };
        if (!titles.contains(line.documentId)) {
            auto doc = lib.document(line.documentId);
            titles.insert(line.documentId,
                doc && *doc ? ((*doc)->title.isEmpty() ? QFileInfo((*doc)->path).fileName() : (*doc)->title)
                            : QString());
        }
        line.documentTitle = titles.value(line.documentId);
        lines.push_back(std::move(line));
    }
    return lines;
}

} // namespace

SummaryView::SummaryView(QWidget *parent)
    : QWidget(parent)
    , m_scope(new QComboBox(this))
    , m_heading(new QLabel(this))
    , m_list(new QListWidget(this))
    , m_empty(new EmptyStatePage(QStringLiteral("view-list-text"),
          tr("No summary yet"),
          tr("Summaries of each document, section and of the whole library are written by the analysis, every "
             "sentence linked to its source. Run the analysis to create them; it works without a model."),
          this))
    , m_stack(new QStackedWidget(this))
{
    m_scope->addItem(tr("Whole library"));
    m_scope->addItem(tr("Document in the reader"));
    m_scope->setAccessibleName(tr("Summary scope"));
    connect(m_scope, &QComboBox::currentIndexChanged, this, &SummaryView::reload);
    m_list->setWordWrap(true);
    m_list->setSpacing(3);
    m_list->setAlternatingRowColors(true);
    m_list->setAccessibleName(tr("Summary sentences"));
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT citationActivated(item->data(DocumentIdRole).toLongLong(), item->data(SentenceIdRole).toLongLong());
    });
    connect(m_empty->setAction(tr("Run Analysis")), &QPushButton::clicked, this, &SummaryView::analysisRequested);

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(m_heading);
    contentLayout->addWidget(m_list, 1);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(content);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Summary of:"), this));
    bar->addWidget(m_scope);
    bar->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);
}

void SummaryView::setSession(std::shared_ptr<LibrarySession> session)
{
    m_session = std::move(session);
    m_documentId = 0;
    reload();
}

void SummaryView::setCurrentDocument(qint64 documentId, const QString &title)
{
    m_documentId = documentId;
    m_documentTitle = title;
    if (m_scope->currentIndex() == 1)
        reload();
}

void SummaryView::reload()
{
    const quint64 sequence = ++m_sequence;
    m_list->clear();
    const bool perDocument = m_scope->currentIndex() == 1;
    if (!m_session || (perDocument && m_documentId == 0)) {
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    const std::optional<qint64> document = perDocument ? std::optional(m_documentId) : std::nullopt;
    deliver(m_session->run([document](store::Library &lib) { return loadSummary(lib, document); }),
        this,
        [this, sequence, perDocument](Expected<std::vector<SummaryLine>> lines) {
            if (sequence != m_sequence)
                return;
            if (!lines || lines->empty()) {
                m_stack->setCurrentWidget(m_empty);
                Q_EMIT loaded(0);
                return;
            }
            for (const SummaryLine &line : *lines) {
                auto *item = new QListWidgetItem(line.text, m_list);
                item->setToolTip(
                    tr("%1, page %2 — activate to open it in the reader").arg(line.documentTitle).arg(line.page));
                item->setData(DocumentIdRole, line.documentId);
                item->setData(SentenceIdRole, line.sentenceId);
            }
            m_heading->setText(perDocument ? tr("<b>%1</b> in %n sentence(s)", nullptr, int(lines->size()))
                                                 .arg(m_documentTitle.toHtmlEscaped())
                                           : tr("<b>The library</b> in %n sentence(s)", nullptr, int(lines->size())));
            m_stack->setCurrentIndex(1);
            Q_EMIT loaded(int(lines->size()));
        });
}

} // namespace quire::ui
