#include "ui/timelineview.h"

#include "analysis/timeline.h"
#include "ui/deliver.h"
#include "ui/emptystatepage.h"
#include "ui/librarysession.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QPushButton>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace quire::ui
{

namespace
{

constexpr int DocumentIdRole = Qt::UserRole + 1;
constexpr int SentenceIdRole = Qt::UserRole + 2;
constexpr int DateTextRole = Qt::UserRole + 3;

struct Loaded {
    std::vector<analysis::TimelineEvent> events;
    QHash<qint64, QString> titles;
};

Expected<Loaded> loadTimeline(store::Library &lib)
{
    auto events = analysis::timeline(lib);
    if (!events)
        return std::unexpected(events.error());
    Loaded loaded { std::move(*events), {} };
    for (const auto &e : loaded.events) {
        if (loaded.titles.contains(e.documentId))
            continue;
        auto doc = lib.document(e.documentId);
        loaded.titles.insert(e.documentId,
            doc && *doc ? ((*doc)->title.isEmpty() ? QFileInfo((*doc)->path).fileName() : (*doc)->title) : QString());
    }
    return loaded;
}

} // namespace

TimelineView::TimelineView(QWidget *parent)
    : QWidget(parent)
    , m_tree(new QTreeWidget(this))
    , m_empty(new EmptyStatePage(QStringLiteral("view-calendar-timeline"),
          tr("No dated events"),
          tr("Dates written in the documents (years, days, ranges) are laid out here in order, each linked to its "
             "sentence. None were found yet: add documents or run the analysis."),
          this))
    , m_stack(new QStackedWidget(this))
{
    m_tree->setHeaderLabels({ tr("Date"), tr("Event"), tr("Document") });
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setAccessibleName(tr("Timeline"));
    m_tree->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
    m_tree->setColumnWidth(0, 120);
    m_tree->setColumnWidth(2, 220);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        Q_EMIT citationActivated(item->data(0, DocumentIdRole).toLongLong(),
            item->data(0, SentenceIdRole).toLongLong(),
            item->data(0, DateTextRole).toString());
    });
    connect(m_empty->setAction(tr("Run Analysis")), &QPushButton::clicked, this, &TimelineView::analysisRequested);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_tree);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

void TimelineView::setSession(std::shared_ptr<LibrarySession> session)
{
    m_session = std::move(session);
    reload();
}

void TimelineView::reload()
{
    const quint64 sequence = ++m_sequence;
    m_tree->clear();
    if (!m_session) {
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    deliver(m_session->run([](store::Library &lib) { return loadTimeline(lib); }),
        this,
        [this, sequence](Expected<Loaded> result) {
            if (sequence != m_sequence)
                return;
            if (!result || result->events.empty()) {
                m_stack->setCurrentWidget(m_empty);
                Q_EMIT loaded(0);
                return;
            }
            QList<QTreeWidgetItem *> items;
            for (const auto &e : result->events) {
                auto *item
                    = new QTreeWidgetItem({ e.date, e.sentence.simplified(), result->titles.value(e.documentId) });
                item->setToolTip(1, e.sentence);
                item->setData(0, DocumentIdRole, qint64(e.documentId));
                item->setData(0, SentenceIdRole, qint64(e.sentenceId));
                item->setData(0, DateTextRole, e.text);
                items << item;
            }
            m_tree->addTopLevelItems(items);
            m_stack->setCurrentWidget(m_tree);
            Q_EMIT loaded(int(items.size()));
        });
}

} // namespace quire::ui
