#include "ui/entitylistview.h"

#include "store/analysisstore.h"
#include "ui/deliver.h"
#include "ui/emptystatepage.h"
#include "ui/entityeditor.h"
#include "ui/entitygraphview.h"
#include "ui/librarysession.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace quire::ui
{

namespace
{
constexpr int KeyRole = Qt::UserRole + 1;
constexpr int IdRole = Qt::UserRole + 2;
constexpr int DocumentIdRole = Qt::UserRole + 3;
constexpr int SentenceIdRole = Qt::UserRole + 4;
constexpr int EntityLimit = 2000;
constexpr std::size_t LineLimit = 500;

// A sentence in the mentions list: where it is, its text and the words to highlight in the reader.
struct Line {
    qint64 documentId = 0;
    qint64 sentenceId = 0;
    QString text;
    QString surface;
};

Expected<std::vector<Line>> mentionLines(store::Library &lib, qint64 entityId)
{
    auto mentions = store::AnalysisStore(lib).mentions(entityId);
    if (!mentions)
        return std::unexpected(mentions.error());
    std::vector<Line> out;
    for (const auto &m : *mentions) {
        auto sentence = lib.sentence(m.sentenceId);
        out.push_back({ m.documentId,
            m.sentenceId,
            sentence && *sentence ? (*sentence)->text.simplified() : QString(),
            m.surface });
        if (out.size() >= LineLimit)
            break;
    }
    return out;
}

Expected<std::vector<Line>> evidenceLines(store::Library &lib, const QList<qint64> &sentences, const QString &surface)
{
    std::vector<Line> out;
    for (qint64 id : sentences) {
        auto sentence = lib.sentence(id);
        if (!sentence)
            return std::unexpected(sentence.error());
        if (*sentence)
            out.push_back({ (*sentence)->documentId, id, (*sentence)->text.simplified(), surface });
        if (out.size() >= LineLimit)
            break;
    }
    return out;
}
} // namespace

EntityListView::EntityListView(QWidget *parent)
    : QWidget(parent)
    , m_editor(new EntityEditor(this))
    , m_type(new QComboBox(this))
    , m_entities(new QTreeWidget(this))
    , m_mentionsTitle(new QLabel(this))
    , m_mentions(new QListWidget(this))
    , m_graph(new EntityGraphView(this))
    , m_empty(new EmptyStatePage(QStringLiteral("distribute-graph"),
          tr("No entities yet"),
          tr("People, places and organisations are found by the analysis, with every mention linked to its "
             "sentence. Run the analysis to find them; it works without a model."),
          this))
    , m_stack(new QStackedWidget(this))
{
    m_type->setAccessibleName(tr("Entity type"));
    m_type->addItem(tr("All types"), QString());
    for (const char *t : { "person", "place", "organisation", "party", "court", "statute", "money", "date", "other" })
        m_type->addItem(QString::fromLatin1(t), QString::fromLatin1(t));
    connect(m_type, &QComboBox::currentIndexChanged, this, &EntityListView::reload);

    m_entities->setHeaderLabels({ tr("Name"), tr("Type"), tr("Mentions"), tr("Documents") });
    m_entities->setRootIsDecorated(false);
    m_entities->setUniformRowHeights(true);
    m_entities->setAlternatingRowColors(true);
    m_entities->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_entities->setAccessibleName(tr("Entities"));
    m_entities->setContextMenuPolicy(Qt::CustomContextMenu);
    m_entities->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int column = 1; column < 4; ++column)
        m_entities->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_entities->header()->setStretchLastSection(false);
    connect(m_entities, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        const qint64 id = item ? item->data(0, IdRole).toLongLong() : 0;
        m_graph->selectEntity(id);
        if (item)
            loadMentions(id, item->text(0));
    });
    connect(m_entities, &QWidget::customContextMenuRequested, this, &EntityListView::showMenu);
    m_mentions->setWordWrap(true);
    m_mentions->setAlternatingRowColors(true);
    m_mentions->setAccessibleName(tr("Mentions"));
    m_mentionsTitle->setBuddy(m_mentions);
    connect(m_mentions, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT mentionActivated(item->data(DocumentIdRole).toLongLong(),
            item->data(SentenceIdRole).toLongLong(),
            item->data(KeyRole).toString());
    });
    connect(m_empty->setAction(tr("Run Analysis")), &QPushButton::clicked, this, &EntityListView::analysisRequested);

    connect(m_editor, &EntityEditor::edited, this, [this] {
        reload();
        m_graph->reload();
    });
    connect(m_editor, &EntityEditor::failed, this, [this](const QString &message) {
        QMessageBox::warning(this, tr("Entities"), message);
    });
    connect(m_graph, &EntityGraphView::entitiesEdited, this, &EntityListView::reload);
    connect(m_graph, &EntityGraphView::entitySelected, this, &EntityListView::selectEntity);
    connect(m_graph, &EntityGraphView::entityActivated, this, [this](qint64 id) {
        m_openFirstMention = true;
        selectEntity(id);
    });
    connect(m_graph, &EntityGraphView::edgeSelected, this, &EntityListView::showEvidence);

    m_stack->addWidget(m_empty);
    m_stack->addWidget(createContent());
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_stack);
}

QWidget *EntityListView::createContent()
{
    auto *content = new QWidget(this);
    auto *bar = new QHBoxLayout;
    auto *show = new QLabel(tr("&Show:"), content);
    show->setBuddy(m_type);
    bar->addWidget(show);
    bar->addWidget(m_type);
    bar->addStretch(1);
    auto *hint = new QLabel(tr("Right-click to rename, merge or delete."), content);
    hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // clipped rather than widening the window
    bar->addWidget(hint);
    auto *mentions = new QWidget(content);
    auto *mentionsLayout = new QVBoxLayout(mentions);
    mentionsLayout->setContentsMargins(0, 0, 0, 0);
    mentionsLayout->addWidget(m_mentionsTitle);
    mentionsLayout->addWidget(m_mentions, 1);
    auto *lists = new QSplitter(Qt::Vertical, content);
    lists->addWidget(m_entities);
    lists->addWidget(mentions);
    lists->setStretchFactor(0, 3);
    lists->setStretchFactor(1, 2);
    auto *left = new QWidget(content);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(bar);
    leftLayout->addWidget(lists, 1);
    // Explicit minimums: the panes squeeze rather than make the main window wider than the other tabs do.
    left->setMinimumWidth(160);
    m_graph->setMinimumWidth(160);
    auto *splitter = new QSplitter(Qt::Horizontal, content);
    splitter->addWidget(left);
    splitter->addWidget(m_graph);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({ 2000, 3000 }); // 2:3 of whatever width the tab gets
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(splitter, 1);
    return content;
}

void EntityListView::setSession(std::shared_ptr<LibrarySession> session)
{
    m_session = std::move(session);
    m_editor->setSession(m_session);
    m_graph->setSession(m_session);
    reload();
}

void EntityListView::reload()
{
    const quint64 sequence = ++m_sequence;
    m_entities->clear();
    m_mentions->clear();
    m_mentionsTitle->clear();
    if (!m_session) {
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    store::EntityQuery query;
    query.type = m_type->currentData().toString();
    query.limit = EntityLimit;
    const bool filtered = !query.type.isEmpty();
    deliver(m_session->run([query](store::Library &lib) { return store::AnalysisStore(lib).entities(query); }),
        this,
        [this, sequence, filtered](Expected<std::vector<store::EntityRow>> rows) {
            if (sequence != m_sequence)
                return;
            if (!rows || (rows->empty() && !filtered)) {
                m_stack->setCurrentWidget(m_empty);
                Q_EMIT loaded(0);
                return;
            }
            QList<QTreeWidgetItem *> items;
            for (const store::EntityRow &e : *rows) {
                auto *item = new QTreeWidgetItem(
                    { e.name, e.type, QString::number(e.mentions), QString::number(e.documents) });
                item->setData(0, KeyRole, e.key);
                item->setData(0, IdRole, qint64(e.id));
                item->setToolTip(
                    0, e.aliases.isEmpty() ? e.name : tr("Also written: %1").arg(e.aliases.join(QStringLiteral(", "))));
                item->setTextAlignment(2, Qt::AlignRight);
                item->setTextAlignment(3, Qt::AlignRight);
                items << item;
            }
            m_entities->addTopLevelItems(items);
            if (!items.isEmpty())
                m_entities->setCurrentItem(items.first());
            m_stack->setCurrentIndex(1);
            Q_EMIT loaded(int(items.size()));
        });
}

void EntityListView::selectEntity(qint64 entityId)
{
    for (int i = 0; i < m_entities->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_entities->topLevelItem(i);
        if (item->data(0, IdRole).toLongLong() != entityId)
            continue;
        if (item == m_entities->currentItem())
            loadMentions(entityId, item->text(0));
        else
            m_entities->setCurrentItem(item);
        m_entities->scrollToItem(item);
        return;
    }
    // Not listed (another type is shown): list its mentions all the same.
    m_entities->setCurrentItem(nullptr);
    const int node = m_graph->nodeOf(entityId);
    loadMentions(entityId, node >= 0 ? m_graph->graph().nodes[std::size_t(node)].name : QString());
}

void EntityListView::loadMentions(qint64 entityId, const QString &name)
{
    showLines(
        tr("&Mentions of %1:").arg(name), [entityId](store::Library &lib) { return mentionLines(lib, entityId); });
}

void EntityListView::showEvidence(const QString &source, const QString &target, const QList<qint64> &sentences)
{
    m_openFirstMention = false;
    showLines(tr("&Evidence for %1 — %2 (%n sentence(s)):", nullptr, int(sentences.size())).arg(source, target),
        [sentences, source](store::Library &lib) { return evidenceLines(lib, sentences, source); });
}

template <typename Load> void EntityListView::showLines(const QString &title, Load load)
{
    const quint64 sequence = ++m_mentionSequence;
    m_mentions->clear();
    m_mentionsTitle->setText(title);
    if (!m_session)
        return;
    deliver(m_session->run(std::move(load)), this, [this, sequence](Expected<std::vector<Line>> lines) {
        if (sequence != m_mentionSequence || !lines)
            return;
        for (const Line &line : *lines) {
            auto *item = new QListWidgetItem(line.text.isEmpty() ? line.surface : line.text, m_mentions);
            item->setData(DocumentIdRole, line.documentId);
            item->setData(SentenceIdRole, line.sentenceId);
            item->setData(KeyRole, line.surface);
        }
        if (std::exchange(m_openFirstMention, false) && m_mentions->count() > 0)
            Q_EMIT m_mentions->itemActivated(m_mentions->item(0));
        Q_EMIT mentionsLoaded(int(lines->size()));
    });
}

QStringList EntityListView::selectedKeys() const
{
    QStringList keys;
    for (QTreeWidgetItem *item : m_entities->selectedItems())
        keys << item->data(0, KeyRole).toString();
    return keys;
}

void EntityListView::renameCurrent(const QString &name)
{
    if (QTreeWidgetItem *item = m_entities->currentItem())
        m_editor->rename(item->data(0, KeyRole).toString(), name);
}

void EntityListView::deleteCurrent()
{
    m_editor->remove(selectedKeys());
}

void EntityListView::mergeSelected()
{
    if (QTreeWidgetItem *target = m_entities->currentItem())
        m_editor->merge(selectedKeys(), target->data(0, KeyRole).toString());
}

void EntityListView::showMenu(const QPoint &pos)
{
    QTreeWidgetItem *item = m_entities->itemAt(pos);
    if (!item)
        return;
    m_editor->showMenu(this,
        m_entities->viewport()->mapToGlobal(pos),
        item->data(0, KeyRole).toString(),
        item->text(0),
        selectedKeys());
}

} // namespace quire::ui
