#include "ui/welcomepage.h"

#include "ui/icons.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace quire::ui
{

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
    , m_recent(new QListWidget(this))
    , m_new(new QPushButton(themeIcon(QStringLiteral("document-new")), tr("New Library…"), this))
    , m_open(new QPushButton(themeIcon(QStringLiteral("document-open")), tr("Open Library…"), this))
{
    auto *logo = new QLabel(this);
    ensureResources();
    logo->setPixmap(QIcon(QStringLiteral(":/quire/icons/quire.svg")).pixmap(QSize(96, 96)));
    logo->setAlignment(Qt::AlignCenter);
    auto *title = new QLabel(tr("Welcome to Quire"), this);
    QFont font = title->font();
    font.setPointSizeF(font.pointSizeF() * 1.6);
    title->setFont(font);
    title->setAlignment(Qt::AlignCenter);
    auto *intro = new QLabel(tr("A library holds the documents of one archive: their text, search index and "
                                "analyses, in a single .quire file. Create one and drop files or folders on "
                                "this window to add them."),
        this);
    intro->setWordWrap(true);
    intro->setAlignment(Qt::AlignCenter);

    m_new->setAccessibleName(tr("Create a new library"));
    m_open->setAccessibleName(tr("Open an existing library"));
    connect(m_new, &QPushButton::clicked, this, &WelcomePage::newLibraryRequested);
    connect(m_open, &QPushButton::clicked, this, &WelcomePage::openLibraryRequested);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_new);
    buttons->addWidget(m_open);
    buttons->addStretch(1);

    m_recentTitle = new QLabel(tr("Recent libraries"), this);
    m_recent->setAccessibleName(tr("Recent libraries"));
    m_recent->setMaximumHeight(220);
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT recentLibraryChosen(item->data(Qt::UserRole).toString());
    });

    auto *column = new QVBoxLayout;
    column->addStretch(2);
    column->addWidget(logo);
    column->addWidget(title);
    column->addWidget(intro);
    column->addSpacing(12);
    column->addLayout(buttons);
    column->addSpacing(18);
    column->addWidget(m_recentTitle);
    column->addWidget(m_recent);
    column->addStretch(3);
    auto *outer = new QHBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(column, 3);
    outer->addStretch(1);
    setRecent({});
}

void WelcomePage::setRecent(const QStringList &paths)
{
    m_recent->clear();
    for (const QString &path : paths) {
        const QFileInfo info(path);
        auto *item = new QListWidgetItem(themeIcon(QStringLiteral("folder-documents")),
            QStringLiteral("%1 — %2").arg(info.completeBaseName(), info.absolutePath()),
            m_recent);
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
        if (!info.exists())
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
    }
    m_recent->setVisible(!paths.isEmpty());
    m_recentTitle->setVisible(!paths.isEmpty());
}

} // namespace quire::ui
