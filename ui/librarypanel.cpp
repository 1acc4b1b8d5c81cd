#include "ui/librarypanel.h"

#include "ui/documentfiltermodel.h"
#include "ui/documentmodel.h"
#include "ui/icons.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QStackedWidget>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

namespace quire::ui
{

LibraryPanel::LibraryPanel(DocumentModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_filter(new DocumentFilterModel(this))
    , m_filterEdit(new QLineEdit(this))
    , m_typeCombo(new QComboBox(this))
    , m_statusCombo(new QComboBox(this))
    , m_view(new QTreeView(this))
    , m_countLabel(new QLabel(this))
    , m_placeholder(new QLabel(this))
    , m_stack(new QStackedWidget(this))
{
    m_filter->setSourceModel(model);

    m_filterEdit->setPlaceholderText(tr("Filter by title or path…"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setAccessibleName(tr("Filter documents"));
    connect(m_filterEdit, &QLineEdit::textChanged, m_filter, &DocumentFilterModel::setText);

    m_typeCombo->setAccessibleName(tr("Document type"));
    m_typeCombo->addItem(tr("All types"), QString());
    connect(m_typeCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setType(m_typeCombo->currentData().toString());
    });

    using F = DocumentFilterModel::StatusFilter;
    m_statusCombo->setAccessibleName(tr("Document status"));
    m_statusCombo->addItem(tr("Any status"), int(F::All));
    m_statusCombo->addItem(tr("Ready"), int(F::Ready));
    m_statusCombo->addItem(tr("Problems"), int(F::Problems));
    m_statusCombo->addItem(tr("Pending"), int(F::Pending));
    m_statusCombo->addItem(tr("Duplicates"), int(F::Duplicates));
    connect(m_statusCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setStatusFilter(F(m_statusCombo->currentData().toInt()));
    });

    m_view->setModel(m_filter);
    m_view->setAccessibleName(tr("Documents"));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(DocumentModel::Title, Qt::AscendingOrder);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setDragEnabled(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->setColumnWidth(DocumentModel::Title, 190);
    m_view->setColumnWidth(DocumentModel::Status, 80);
    m_view->setColumnWidth(DocumentModel::Type, 50);
    m_view->setColumnWidth(DocumentModel::Pages, 45);
    m_view->setColumnWidth(DocumentModel::Size, 70);
    m_view->setColumnHidden(DocumentModel::Added, true);
    m_view->setColumnHidden(DocumentModel::Path, true);
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex &index) {
        const qint64 id = index.data(DocumentModel::DocumentIdRole).toLongLong();
        if (id > 0)
            Q_EMIT documentActivated(id);
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &LibraryPanel::showContextMenu);

    // Columns can be shown and hidden from the header's context menu, as in Dolphin.
    m_view->header()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view->header(), &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu;
        for (int c = 0; c < DocumentModel::ColumnCount; ++c) {
            QAction *a = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
            a->setCheckable(true);
            a->setChecked(!m_view->isColumnHidden(c));
            a->setEnabled(c != DocumentModel::Title);
            connect(a, &QAction::toggled, this, [this, c](bool on) { m_view->setColumnHidden(c, !on); });
        }
        menu.exec(m_view->header()->mapToGlobal(pos));
    });

    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setEnabled(false);
    m_placeholder->setMargin(16);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_placeholder);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_filterEdit, 1);
    filters->addWidget(m_typeCombo);
    filters->addWidget(m_statusCombo);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(filters);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_countLabel);
    m_countLabel->setContentsMargins(4, 0, 4, 2);

    connect(m_model, &QAbstractItemModel::modelReset, this, &LibraryPanel::refreshTypes);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { m_stack->setCurrentWidget(m_view); });
    connect(m_filter, &QAbstractItemModel::modelReset, this, &LibraryPanel::updateCount);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &LibraryPanel::updateCount);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &LibraryPanel::updateCount);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &LibraryPanel::updateCount);
    updateCount();
}

void LibraryPanel::refreshTypes()
{
    const QString current = m_typeCombo->currentData().toString();
    QSignalBlocker block(m_typeCombo);
    while (m_typeCombo->count() > 1)
        m_typeCombo->removeItem(1);
    for (const QString &type : m_model->types())
        m_typeCombo->addItem(type, type);
    const int index = m_typeCombo->findData(current);
    m_typeCombo->setCurrentIndex(index < 0 ? 0 : index);
    m_filter->setType(m_typeCombo->currentData().toString());
}

void LibraryPanel::updateCount()
{
    const int shown = m_filter->rowCount();
    const int total = m_model->rowCount();
    m_countLabel->setText(shown == total ? tr("%n document(s)", nullptr, total)
                                         : tr("%1 of %n document(s) shown", nullptr, total).arg(shown));
}

void LibraryPanel::setPlaceholder(const QString &text)
{
    m_placeholder->setText(text);
    m_stack->setCurrentWidget(text.isEmpty() ? static_cast<QWidget *>(m_view) : m_placeholder);
}

void LibraryPanel::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return;
    const qint64 id = index.data(DocumentModel::DocumentIdRole).toLongLong();
    const QString path = m_filter->index(index.row(), DocumentModel::Path).data().toString();
    QMenu menu;
    QAction *open = menu.addAction(themeIcon(QStringLiteral("document-open")), tr("Open in Reader"));
    open->setEnabled(id > 0);
    connect(open, &QAction::triggered, this, [this, id] { Q_EMIT documentActivated(id); });
    const auto status = store::DocumentStatus(index.data(DocumentModel::StatusRole).toInt());
    if (status == store::DocumentStatus::PasswordRequired) {
        QAction *retry = menu.addAction(themeIcon(QStringLiteral("dialog-password")), tr("Retry with Password…"));
        connect(retry, &QAction::triggered, this, [this, path] { Q_EMIT retryWithPasswordRequested(path); });
    }
    QAction *copy = menu.addAction(themeIcon(QStringLiteral("edit-copy")), tr("Copy Path"));
    connect(copy, &QAction::triggered, this, [path] { QApplication::clipboard()->setText(path); });
    const QString outer = path.section(QLatin1Char('!'), 0, 0);
    QAction *folder = menu.addAction(themeIcon(QStringLiteral("folder-open")), tr("Open Containing Folder"));
    folder->setEnabled(QFileInfo::exists(outer));
    connect(folder, &QAction::triggered, this, [outer] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(outer).absolutePath()));
    });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

QByteArray LibraryPanel::saveState() const
{
    return m_view->header()->saveState();
}

void LibraryPanel::restoreState(const QByteArray &state)
{
    if (!state.isEmpty())
        m_view->header()->restoreState(state);
}

} // namespace quire::ui
