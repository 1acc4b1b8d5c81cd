#include "ui/entitylistview.h"

#include "store/analysisstore.h"
#include "ui/deliver.h"
#include "ui/emptystatepage.h"
#include "ui/librarysession.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
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
} // namespace

EntityListView::EntityListView(QWidget *parent)
    : QWidget(parent)
    , m_type(new QComboBox(this))
    , m_entities(new QTreeWidget(this))
    , m_mentions(new QListWidget(this))
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
    connect(m_entities, &QTreeWidget::currentItemChanged, this, &EntityListView::loadMentions);
    connect(m_entities, &QWidget::customContextMenuRequested, this, &EntityListView::showMenu);
    m_mentions->setWordWrap(true);
    m_mentions->setAlternatingRowColors(true);
    m_mentions->setAccessibleName(tr("Mentions"));
    connect(m_mentions, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT mentionActivated(item->data(DocumentIdRole).toLongLong(),
            item->data(SentenceIdRole).toLongLong(),
            item->data(KeyRole).toString());
    });
    connect(m_empty->setAction(tr("Run Analysis")), &QPushButton::clicked, this, &EntityListView::analysisRequested);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_entities);
    splitter->addWidget(m_mentions);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *content = new QWidget(this);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show:"), content));
    bar->addWidget(m_type);
    bar->addStretch(1);
    bar->addWidget(new QLabel(tr("Right-click to rename, merge or delete."), content));
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addLayout(bar);
    contentLayout->addWidget(splitter, 1);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(content);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_stack);
}

void EntityListView::setSession(std::shared_ptr<LibrarySession> session)
{
    m_session = std::move(session);
    reload();
}

void EntityListView::reload()
{
    const quint64 sequence = ++m_sequence;
    m_entities->clear();
    m_mentions->clear();
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

void EntityListView::loadMentions()
{
    const quint64 sequence = ++m_mentionSequence;
    m_mentions->clear();
    QTreeWidgetItem *current = m_entities->currentItem();
    if (!current || !m_session)
        return;
    const qint64 id = current->data(0, IdRole).toLongLong();
    deliver(m_session->run([id](store::Library &lib) -> Expected<std::vector<std::pair<store::MentionRow, QString>>> {
        auto mentions = store::AnalysisStore(lib).mentions(id);
        if (!mentions)
            return std::unexpected(mentions.error());
        std::vector<std::pair<store::MentionRow, QString>> out;
        for (auto &m : *mentions) {
            auto sentence = lib.sentence(m.sentenceId);
            QString text = sentence && *sentence ? (*sentence)->text.simplified() : QString();
            out.emplace_back(std::move(m), std::move(text));
            if (out.size() >= 500)
                break;
        }
        return out;
    }),
        this,
        [this, sequence](Expected<std::vector<std::pair<store::MentionRow, QString>>> rows) {
            if (sequence != m_mentionSequence || !rows)
                return;
            for (const auto &[m, text] : *rows) {
                auto *item = new QListWidgetItem(text.isEmpty() ? m.surface : text, m_mentions);
                item->setData(DocumentIdRole, qint64(m.documentId));
                item->setData(SentenceIdRole, qint64(m.sentenceId));
                item->setData(KeyRole, m.surface);
            }
            Q_EMIT mentionsLoaded(int(rows->size()));
        });
}

void EntityListView::edit(const QList<std::pair<QString, QString>> &opsAndArguments, const QStringList &keys)
{
    if (!m_session || keys.isEmpty())
        return;
    deliver(m_session->run([opsAndArguments, keys](store::Library &lib) -> Expected<void> {
        store::AnalysisStore analysis(lib);
        for (int i = 0; i < keys.size(); ++i) {
            const auto &[op, argument] = opsAndArguments.at(qMin(i, int(opsAndArguments.size()) - 1));
            if (auto r = analysis.addEdit(op, keys.at(i), argument); !r)
                return std::unexpected(r.error());
        }
        return analysis.rebuildEntities();
    }),
        this,
        [this](Expected<void>) { reload(); });
}

void EntityListView::renameCurrent(const QString &name)
{
    if (QTreeWidgetItem *item = m_entities->currentItem(); item && !name.trimmed().isEmpty())
        edit({ { QStringLiteral("rename"), name.trimmed() } }, { item->data(0, KeyRole).toString() });
}

void EntityListView::deleteCurrent()
{
    QStringList keys;
    for (QTreeWidgetItem *item : m_entities->selectedItems())
        keys << item->data(0, KeyRole).toString();
    edit({ { QStringLiteral("delete"), QString() } }, keys);
}

void EntityListView::mergeSelected()
{
    QTreeWidgetItem *target = m_entities->currentItem();
    if (!target)
        return;
    const QString targetKey = target->data(0, KeyRole).toString();
    QStringList keys;
    for (QTreeWidgetItem *item : m_entities->selectedItems()) {
        if (item != target)
            keys << item->data(0, KeyRole).toString();
    }
    edit({ { QStringLiteral("merge"), targetKey } }, keys);
}

void EntityListView::showMenu(const QPoint &pos)
{
    QTreeWidgetItem *item = m_entities->itemAt(pos);
    if (!item)
        return;
    QMenu menu;
    connect(menu.addAction(tr("Rename…")), &QAction::triggered, this, [this, item] {
        bool ok = false;
        const QString name
            = QInputDialog::getText(this, tr("Rename Entity"), tr("Name:"), QLineEdit::Normal, item->text(0), &ok);
        if (ok)
            renameCurrent(name);
    });
    QAction *merge = menu.addAction(tr("Merge Selected into “%1”").arg(item->text(0)));
    merge->setEnabled(m_entities->selectedItems().size() > 1);
    connect(merge, &QAction::triggered, this, &EntityListView::mergeSelected);
    connect(menu.addAction(tr("Delete")), &QAction::triggered, this, &EntityListView::deleteCurrent);
    menu.exec(m_entities->viewport()->mapToGlobal(pos));
}

} // namespace quire::ui
