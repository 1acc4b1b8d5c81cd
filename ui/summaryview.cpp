#include "ui/summaryview.h"

#include "store/analysisstore.h"
#include "ui/deliver.h"
#include "ui/emptystatepage.h"
#include "ui/librarysession.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeWidget>
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

struct SectionSummary {
    QString title;
    int page = 1;
    std::vector<SummaryLine> lines;
};

struct Summary {
    std::vector<SummaryLine> lines; // of the library or the document
    std::vector<SectionSummary> sections; // of the document's sections, in text order
};

constexpr int DocumentIdRole = Qt::UserRole + 1;
constexpr int SentenceIdRole = Qt::UserRole + 2;

class TitleCache
{
public:
    QString title(store::Library &lib, qint64 documentId)
    {
        if (!m_titles.contains(documentId)) {
            auto doc = lib.document(documentId);
            m_titles.insert(documentId,
                doc && *doc ? ((*doc)->title.isEmpty() ? QFileInfo((*doc)->path).fileName() : (*doc)->title)
                            : QString());
        }
        return m_titles.value(documentId);
    }

private:
    QHash<qint64, QString> m_titles;
};

Expected<std::vector<SummaryLine>> linesOf(
    store::Library &lib, const std::vector<store::SummaryRow> &rows, TitleCache &titles)
{
    std::vector<SummaryLine> lines;
    for (const store::SummaryRow &row : rows) {
        auto sentence = lib.sentence(row.sentenceId);
        if (!sentence)
            return std::unexpected(sentence.error());
        if (!*sentence)
            continue;
        SummaryLine line { (*sentence)->documentId, row.sentenceId, (*sentence)->page, (*sentence)->text, {} };
        line.documentTitle = titles.title(lib, line.documentId);
        lines.push_back(std::move(line));
    }
    return lines;
}

Expected<std::vector<SectionSummary>> loadSections(store::Library &lib, qint64 documentId, TitleCache &titles)
{
    store::AnalysisStore analysis(lib);
    auto sections = lib.sections(documentId);
    if (!sections)
        return std::unexpected(sections.error());
    std::vector<SectionSummary> out;
    for (const store::SectionRecord &section : *sections) {
        auto rows = analysis.summary(documentId, section.id);
        if (!rows)
            return std::unexpected(rows.error());
        if (rows->empty())
            continue;
        auto lines = linesOf(lib, *rows, titles);
        if (!lines)
            return std::unexpected(lines.error());
        out.push_back({ section.title, section.page, std::move(*lines) });
    }
    return out;
}

Expected<Summary> loadSummary(store::Library &lib, std::optional<qint64> documentId)
{
    store::AnalysisStore analysis(lib);
    auto rows = analysis.summary(documentId);
    if (!rows)
        return std::unexpected(rows.error());
    TitleCache titles;
    auto lines = linesOf(lib, *rows, titles);
    if (!lines)
        return std::unexpected(lines.error());
    Summary summary { std::move(*lines), {} };
    if (documentId) {
        auto sections = loadSections(lib, *documentId, titles);
        if (!sections)
            return std::unexpected(sections.error());
        summary.sections = std::move(*sections);
    }
    return summary;
}

QString sourceTip(const SummaryLine &line)
{
    return SummaryView::tr("%1, page %2 — activate to open it in the reader").arg(line.documentTitle).arg(line.page);
}

void fillList(QListWidget *list, const std::vector<SummaryLine> &lines)
{
    for (const SummaryLine &line : lines) {
        auto *item = new QListWidgetItem(line.text, list);
        item->setToolTip(sourceTip(line));
        item->setData(DocumentIdRole, line.documentId);
        item->setData(SentenceIdRole, line.sentenceId);
    }
}

void fillSections(QTreeWidget *tree, const std::vector<SectionSummary> &sections)
{
    for (const SectionSummary &section : sections) {
        auto *heading = new QTreeWidgetItem(
            tree, { section.title.isEmpty() ? SummaryView::tr("(untitled section)") : section.title });
        heading->setToolTip(
            0, SummaryView::tr("Page %1; %n sentence(s)", nullptr, int(section.lines.size())).arg(section.page));
        QFont bold = heading->font(0);
        bold.setBold(true);
        heading->setFont(0, bold);
        for (const SummaryLine &line : section.lines) {
            auto *item = new QTreeWidgetItem(heading, { line.text });
            item->setToolTip(0, sourceTip(line));
            item->setData(0, DocumentIdRole, line.documentId);
            item->setData(0, SentenceIdRole, line.sentenceId);
        }
    }
    tree->expandAll();
}

} // namespace

SummaryView::SummaryView(QWidget *parent)
    : QWidget(parent)
    , m_scope(new QComboBox(this))
    , m_heading(new QLabel(this))
    , m_list(new QListWidget(this))
    , m_sections(new QTreeWidget(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
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
    m_sections->setHeaderLabel(tr("By section"));
    m_sections->setWordWrap(true);
    m_sections->setAlternatingRowColors(true);
    m_sections->setAccessibleName(tr("Section summaries"));
    m_sections->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_sections->header()->setStretchLastSection(true);
    connect(m_sections, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (item->parent()) // a sentence, not a section heading
            Q_EMIT citationActivated(
                item->data(0, DocumentIdRole).toLongLong(), item->data(0, SentenceIdRole).toLongLong());
    });
    connect(m_empty->setAction(tr("Run Analysis")), &QPushButton::clicked, this, &SummaryView::analysisRequested);

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(m_heading);
    m_splitter->addWidget(m_list);
    m_splitter->addWidget(m_sections);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 2);
    contentLayout->addWidget(m_splitter, 1);
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
    m_sections->clear();
    const bool perDocument = m_scope->currentIndex() == 1;
    if (!m_session || (perDocument && m_documentId == 0)) {
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    const std::optional<qint64> document = perDocument ? std::optional(m_documentId) : std::nullopt;
    deliver(m_session->run([document](store::Library &lib) { return loadSummary(lib, document); }),
        this,
        [this, sequence, perDocument](Expected<Summary> summary) {
            if (sequence != m_sequence)
                return;
            if (!summary || summary->lines.empty()) {
                m_stack->setCurrentWidget(m_empty);
                Q_EMIT loaded(0);
                return;
            }
            fillList(m_list, summary->lines);
            fillSections(m_sections, summary->sections);
            m_sections->setVisible(perDocument && !summary->sections.empty());
            const int count = int(summary->lines.size());
            m_heading->setText(perDocument
                    ? tr("<b>%1</b> in %n sentence(s)", nullptr, count).arg(m_documentTitle.toHtmlEscaped())
                        + (summary->sections.empty() ? QString()
                                                     : tr(", then section by section (%n section(s))",
                                                         nullptr,
                                                         int(summary->sections.size())))
                    : tr("<b>The library</b> in %n sentence(s)", nullptr, count));
            m_stack->setCurrentIndex(1);
            Q_EMIT loaded(count);
        });
}

} // namespace quire::ui
