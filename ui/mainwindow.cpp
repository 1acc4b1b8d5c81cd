#include "ui/mainwindow.h"

#include "analysis/analyzer.h"
#include "ui/askpanel.h"
#include "ui/deliver.h"
#include "ui/devicestatuslabel.h"
#include "ui/documentfiltermodel.h"
#include "ui/documentmodel.h"
#include "ui/entitylistview.h"
#include "ui/icons.h"
#include "ui/ingestjob.h"
#include "ui/job.h"
#include "ui/jobmanager.h"
#include "ui/jobspanel.h"
#include "ui/librarypanel.h"
#include "ui/librarysession.h"
#include "ui/modelmanager.h"
#include "ui/pdfpageprovider.h"
#include "ui/readerview.h"
#include "ui/recentlibraries.h"
#include "ui/searchpanel.h"
#include "ui/summaryview.h"
#include "ui/timelineview.h"
#include "ui/welcomepage.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QUrl>

namespace quire::ui
{

namespace
{
const QString LibraryFilter = QObject::tr("Quire libraries (*.quire)");
const QString LibrarySuffix = QStringLiteral("quire");
} // namespace

struct MainWindow::Actions {
    QAction *newLibrary = nullptr;
    QAction *openLibrary = nullptr;
    QAction *addFiles = nullptr;
    QAction *addFolder = nullptr;
    QAction *closeLibrary = nullptr;
    QAction *quit = nullptr;
    QAction *find = nullptr;
    QAction *findNext = nullptr;
    QAction *findPrevious = nullptr;
    QAction *reload = nullptr;
    QAction *analyse = nullptr;
    QAction *models = nullptr;
    QAction *about = nullptr;
};

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_jobs(new JobManager(this))
    , m_documents(new DocumentModel(this))
    , m_actions(std::make_unique<Actions>())
{
    ensureResources();
    setWindowIcon(QIcon(QStringLiteral(":/quire/icons/quire.svg")));
    setWindowTitle(tr("Quire"));
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks);
    createActions();
    createCentral();
    createDocks();
    createMenus();
    createStatusBar();
    restoreSettings();
    setSession(nullptr);

    connect(m_documents, &DocumentModel::loaded, this, [this](int count, qint64 ms) {
        m_searchPanel->setTypes(m_documents->types());
        m_libraryPanel->setPlaceholder(count == 0 && m_documents->pendingCount() == 0
                ? tr("This library is empty. Use File ▸ Add Files… or drop files and folders on the window.")
                : QString());
        refreshStats();
        Q_EMIT libraryReady(count, ms);
    });
    connect(m_documents, &DocumentModel::loadFailed, this, [this](const QString &message) {
        m_libraryPanel->setPlaceholder(tr("The documents could not be read: %1").arg(message));
    });
    connect(m_jobs, &JobManager::runningCountChanged, this, &MainWindow::updateJobsIndicator);
    connect(m_libraryPanel, &LibraryPanel::retryWithPasswordRequested, this, &MainWindow::retryWithPassword);
    m_reader->setPageImageProviderFactory([](const store::DocumentRecord &r) -> std::shared_ptr<PageImageProvider> {
        if (r.type != QLatin1String("pdf") || r.path.contains(QLatin1Char('!')) || !QFileInfo::exists(r.path))
            return nullptr;
        return std::make_shared<PdfPageProvider>(r.path);
    });
}

MainWindow::~MainWindow()
{
    m_jobs->cancelAllAndWait();
}

void MainWindow::createActions()
{
    auto make = [this](const QString &icon, const QString &text, const QKeySequence &shortcut, auto slot) {
        auto *action = new QAction(themeIcon(icon), text, this);
        action->setShortcut(shortcut);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    Actions &a = *m_actions;
    a.newLibrary
        = make(QStringLiteral("document-new"), tr("&New Library…"), QKeySequence::New, &MainWindow::chooseNewLibrary);
    a.openLibrary = make(
        QStringLiteral("document-open"), tr("&Open Library…"), QKeySequence::Open, &MainWindow::chooseLibraryToOpen);
    a.addFiles = make(QStringLiteral("list-add"),
        tr("&Add Files…"),
        QKeySequence(Qt::CTRL | Qt::Key_I),
        &MainWindow::chooseFilesToAdd);
    a.addFolder = make(QStringLiteral("folder-open"),
        tr("Add &Folder…"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I),
        &MainWindow::chooseFolderToAdd);
    a.closeLibrary
        = make(QStringLiteral("window-close"), tr("&Close Library"), QKeySequence::Close, &MainWindow::closeLibrary);
    a.quit = make(QStringLiteral("application-exit"), tr("&Quit"), QKeySequence::Quit, &QWidget::close);
    a.quit->setMenuRole(QAction::QuitRole);
    QList<QKeySequence> close = QKeySequence::keyBindings(QKeySequence::Close);
    if (!close.contains(QKeySequence(Qt::CTRL | Qt::Key_W)))
        close.prepend(QKeySequence(Qt::CTRL | Qt::Key_W));
    a.closeLibrary->setShortcuts(close);
    a.find = make(QStringLiteral("edit-find"), tr("&Find…"), QKeySequence::Find, [this] {
        m_searchDock->show();
        m_searchDock->raise();
        m_searchPanel->focusSearch();
    });
    a.findNext = make(
        QStringLiteral("go-down"), tr("Find &Next"), QKeySequence::FindNext, [this] { m_searchPanel->activateNext(); });
    a.findPrevious = make(QStringLiteral("go-up"), tr("Find Pre&vious"), QKeySequence::FindPrevious, [this] {
        m_searchPanel->activatePrevious();
    });
    a.reload = make(QStringLiteral("view-refresh"), tr("&Reload Library"), QKeySequence::Refresh, [this] {
        m_documents->reload();
    });
    a.analyse = make(QStringLiteral("view-refresh"), tr("&Analyse Library"), QKeySequence(), &MainWindow::runAnalysis);
    a.analyse->setStatusTip(tr("Find entities and dates and write summaries (no model needed)"));
    a.models = make(QStringLiteral("dialog-messages"),
        tr("&Models…"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M),
        &MainWindow::showModelManager);
    a.about = make(QStringLiteral("quire"), tr("&About Quire"), QKeySequence(), [this] {
        QMessageBox::about(this,
            tr("About Quire"),
            tr("<h3>Quire %1</h3><p>Read and analyse archives too long for a person to read. Offline: "
               "nothing leaves this computer.</p>")
                .arg(QApplication::applicationVersion()));
    });
    a.addFiles->setStatusTip(tr("Add documents to the library"));
    a.addFolder->setStatusTip(tr("Add every document in a folder and its subfolders"));
}

void MainWindow::createCentral()
{
    m_reader = new ReaderView(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->setAccessibleName(tr("Views"));
    m_tabs->addTab(m_reader, themeIcon(QStringLiteral("text-x-generic")), tr("Reader"));

    m_summaries = new SummaryView(this);
    m_entities = new EntityListView(this);
    m_timeline = new TimelineView(this);
    m_ask = new AskPanel(m_jobs, this);
    connect(m_ask, &AskPanel::configureModelRequested, this, &MainWindow::showModelManager);
    m_tabs->addTab(m_summaries, themeIcon(QStringLiteral("view-list-text")), tr("Summaries"));
    m_tabs->addTab(m_entities, themeIcon(QStringLiteral("distribute-graph")), tr("Entities"));
    m_tabs->addTab(m_timeline, themeIcon(QStringLiteral("view-calendar-timeline")), tr("Timeline"));
    m_tabs->addTab(m_ask, themeIcon(QStringLiteral("dialog-messages")), tr("Ask"));
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *action = new QAction(this);
        action->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        connect(action, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
        addAction(action);
        m_tabs->setTabToolTip(
            i, tr("%1 (%2)").arg(m_tabs->tabText(i), action->shortcut().toString(QKeySequence::NativeText)));
    }

    connect(m_summaries, &SummaryView::citationActivated, this, [this](qint64 document, qint64 sentence) {
        showTab(ReaderTab);
        m_reader->openAt(document, sentence);
    });
    connect(m_timeline,
        &TimelineView::citationActivated,
        this,
        [this](qint64 document, qint64 sentence, const QString &date) {
            showTab(ReaderTab);
            m_reader->openAt(document, sentence, { date });
        });
    connect(m_entities,
        &EntityListView::mentionActivated,
        this,
        [this](qint64 document, qint64 sentence, const QString &surface) {
            showTab(ReaderTab);
            m_reader->openAt(document, sentence, { surface });
        });
    connect(
        m_ask, &AskPanel::citationActivated, this, [this](qint64 document, qint64 sentence, const QString &surface) {
            showTab(ReaderTab);
            m_reader->openAt(document, sentence, { surface });
        });
    connect(m_entities, &EntityListView::analysisRequested, this, &MainWindow::runAnalysis);
    connect(m_summaries, &SummaryView::analysisRequested, this, &MainWindow::runAnalysis);
    connect(m_timeline, &TimelineView::analysisRequested, this, &MainWindow::runAnalysis);
    connect(m_reader, &ReaderView::documentOpened, m_summaries, &SummaryView::setCurrentDocument);

    m_welcome = new WelcomePage(this);
    connect(m_welcome, &WelcomePage::newLibraryRequested, this, &MainWindow::chooseNewLibrary);
    connect(m_welcome, &WelcomePage::openLibraryRequested, this, &MainWindow::chooseLibraryToOpen);
    connect(m_welcome, &WelcomePage::recentLibraryChosen, this, &MainWindow::openLibrary);
    m_central = new QStackedWidget(this);
    m_central->addWidget(m_welcome);
    m_central->addWidget(m_tabs);
    setCentralWidget(m_central);
}

void MainWindow::createDocks()
{
    auto dock = [this](const QString &name, const QString &title, QWidget *widget, Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        d->setAccessibleName(title);
        addDockWidget(area, d);
        return d;
    };
    m_libraryPanel = new LibraryPanel(m_documents, this);
    m_libraryDock = dock(QStringLiteral("libraryDock"), tr("Library"), m_libraryPanel, Qt::LeftDockWidgetArea);
    m_searchPanel = new SearchPanel(this);
    connect(m_reader, &ReaderView::documentOpened, m_searchPanel, &SearchPanel::setCurrentDocument);
    m_searchDock = dock(QStringLiteral("searchDock"), tr("Search"), m_searchPanel, Qt::RightDockWidgetArea);
    m_jobsPanel = new JobsPanel(m_jobs, this);
    m_jobsDock = dock(QStringLiteral("jobsDock"), tr("Jobs"), m_jobsPanel, Qt::BottomDockWidgetArea);
    m_jobsDock->hide();
    resizeDocks({ m_libraryDock, m_searchDock }, { 380, 340 }, Qt::Horizontal);

    connect(m_libraryPanel, &LibraryPanel::documentActivated, this, [this](qint64 id) {
        showTab(ReaderTab);
        m_reader->openDocument(id);
    });
    connect(
        m_searchPanel, &SearchPanel::hitActivated, this, [this](const store::SearchHit &hit, const QStringList &terms) {
            showTab(ReaderTab);
            m_reader->openAt(hit.documentId, hit.sentenceId, terms);
        });
    connect(m_reader, &ReaderView::documentOpened, this, [this](qint64 id, const QString &title) {
        m_tabs->setTabText(ReaderTab, title.isEmpty() ? tr("Reader") : title);
        const int row = m_documents->rowOfDocument(id);
        if (row < 0)
            return;
        const QModelIndex source = m_documents->index(row, 0);
        const QModelIndex index = m_libraryPanel->filterModel()->mapFromSource(source);
        if (index.isValid())
            m_libraryPanel->view()->setCurrentIndex(index);
    });
    connect(m_reader, &ReaderView::openFailed, this, [this](const QString &message) {
        statusBar()->showMessage(message, 8000);
    });
    connect(m_jobs, &JobManager::jobAdded, this, [this] { m_jobsDock->show(); });
}

void MainWindow::createMenus()
{
    Actions &a = *m_actions;
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(a.newLibrary);
    file->addAction(a.openLibrary);
    m_recentMenu = file->addMenu(themeIcon(QStringLiteral("document-open")), tr("Open &Recent"));
    file->addSeparator();
    file->addAction(a.addFiles);
    file->addAction(a.addFolder);
    file->addSeparator();
    file->addAction(a.closeLibrary);
    file->addAction(a.quit);
    rebuildRecentMenu();

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_reader->copyAction());
    edit->addSeparator();
    edit->addAction(a.find);
    edit->addAction(a.findNext);
    edit->addAction(a.findPrevious);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_reader->zoomInAction());
    view->addAction(m_reader->zoomOutAction());
    view->addAction(m_reader->fitWidthAction());
    view->addSeparator();
    QAction *libraryToggle = m_libraryDock->toggleViewAction();
    libraryToggle->setShortcut(QKeySequence(Qt::Key_F9));
    view->addAction(libraryToggle);
    view->addAction(m_searchDock->toggleViewAction());
    view->addAction(m_jobsDock->toggleViewAction());
    view->addSeparator();
    view->addAction(a.reload);

    QMenu *go = menuBar()->addMenu(tr("&Go"));
    go->addAction(m_reader->previousPageAction());
    go->addAction(m_reader->nextPageAction());

    QMenu *tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(a.analyse);

    menuBar()->addMenu(tr("&Settings"))->addAction(a.models);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(a.about);

    QToolBar *bar = addToolBar(tr("Main Toolbar"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(22, 22));
    bar->addAction(a.newLibrary);
    bar->addAction(a.openLibrary);
    bar->addSeparator();
    bar->addAction(a.addFiles);
    bar->addAction(a.addFolder);
    bar->addSeparator();
    bar->addAction(a.find);
}

void MainWindow::createStatusBar()
{
    m_statsLabel = new QLabel(this);
    m_statsLabel->setAccessibleName(tr("Library figures"));
    auto *device = new DeviceStatusLabel(this); // the device and model; probes Vulkan once the window shows
    connect(device, &DeviceStatusLabel::activated, this, &MainWindow::showModelManager);
    m_deviceLabel = device;
    m_jobsButton = new QToolButton(this);
    m_jobsButton->setAutoRaise(true);
    m_jobsButton->setAccessibleName(tr("Jobs"));
    connect(m_jobsButton, &QToolButton::clicked, this, [this] { m_jobsDock->setVisible(!m_jobsDock->isVisible()); });
    statusBar()->addPermanentWidget(m_statsLabel);
    statusBar()->addPermanentWidget(m_jobsButton);
    statusBar()->addPermanentWidget(m_deviceLabel);
    updateJobsIndicator(0);
}

void MainWindow::showModelManager()
{
    ModelManager manager(this);
    connect(&manager,
        &ModelManager::modelChosen,
        static_cast<DeviceStatusLabel *>(m_deviceLabel),
        &DeviceStatusLabel::refresh);
    connect(&manager, &ModelManager::modelChosen, m_ask, &AskPanel::reloadSettings);
    manager.exec();
}

QString MainWindow::deviceText() const
{
    return m_deviceLabel->text();
}

QString MainWindow::statsText() const
{
    return m_statsLabel->text();
}

void MainWindow::updateJobsIndicator(int running)
{
    m_jobsButton->setText(running == 0 ? tr("No jobs running") : tr("%n job(s) running", nullptr, running));
    m_jobsButton->setToolTip(tr("Show or hide the jobs panel"));
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = RecentLibraries::list();
    for (int i = 0; i < recent.size(); ++i) {
        const QString path = recent.at(i);
        QAction *action = m_recentMenu->addAction(
            QStringLiteral("&%1 %2")
                .arg((i + 1) % 10)
                .arg(QFileInfo(path).fileName().replace(QLatin1Char('&'), QStringLiteral("&&"))));
        action->setToolTip(path);
        action->setStatusTip(path);
        connect(action, &QAction::triggered, this, [this, path] { openLibrary(path); });
    }
    if (!recent.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(themeIcon(QStringLiteral("edit-clear")), tr("Clear List"), this, [this] {
            RecentLibraries::clear();
            rebuildRecentMenu();
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
    m_welcome->setRecent(recent);
}

void MainWindow::openLibrary(const QString &path)
{
    openLibraryAt(path, false);
}

void MainWindow::createLibrary(const QString &path)
{
    openLibraryAt(path, true);
}

void MainWindow::openLibraryAt(const QString &path, bool create)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const quint64 sequence = ++m_openSequence;
    statusBar()->showMessage(tr("Opening %1…").arg(QFileInfo(absolute).fileName()));
    deliver(LibrarySession::open(absolute, create),
        this,
        [this, sequence, absolute](Expected<std::shared_ptr<LibrarySession>> session) {
            if (sequence != m_openSequence)
                return;
            if (!session) {
                const QString message = errorText(session.error());
                statusBar()->showMessage(message, 10000);
                if (session.error().code == Error::Code::NotFound) {
                    RecentLibraries::remove(absolute);
                    rebuildRecentMenu();
                }
                showError(tr("Cannot open library"), message);
                Q_EMIT libraryOpenFailed(message);
                return;
            }
            setSession(std::move(*session));
            RecentLibraries::add(absolute);
            rebuildRecentMenu();
            statusBar()->showMessage(tr("Opened %1").arg(absolute), 4000);
            Q_EMIT libraryOpened(absolute);
        });
}

void MainWindow::setSession(std::shared_ptr<LibrarySession> session)
{
    m_session = std::move(session);
    m_reader->setSession(m_session);
    m_searchPanel->setSession(m_session);
    m_documents->setSession(m_session);
    m_summaries->setSession(m_session);
    m_entities->setSession(m_session);
    m_timeline->setSession(m_session);
    m_ask->setSession(m_session);
    m_tabs->setTabText(ReaderTab, tr("Reader"));
    if (m_session) {
        setWindowTitle(tr("%1 — Quire").arg(QFileInfo(m_session->path()).completeBaseName()));
        setWindowFilePath(m_session->path());
        m_libraryPanel->setPlaceholder(tr("Loading documents…"));
        m_central->setCurrentWidget(m_tabs);
    } else {
        setWindowTitle(tr("Quire"));
        setWindowFilePath(QString());
        m_libraryPanel->setPlaceholder(tr("No library is open."));
        m_statsLabel->clear();
        m_central->setCurrentWidget(m_welcome);
    }
    updateActions();
}

void MainWindow::closeLibrary()
{
    if (!m_session)
        return;
    ++m_openSequence;
    setSession(nullptr);
    statusBar()->showMessage(tr("Library closed"), 3000);
    Q_EMIT libraryClosed();
}

void MainWindow::refreshStats()
{
    if (!m_session)
        return;
    auto session = m_session;
    deliver(m_session->run([](store::Library &lib) { return lib.stats(); }),
        this,
        [this, session](Expected<store::LibraryStats> stats) {
            if (session != m_session)
                return;
            if (!stats) {
                m_statsLabel->setText(errorText(stats.error()));
                return;
            }
            QStringList parts { tr("%n document(s)", nullptr, int(stats->documents)) };
            if (stats->pages > 0)
                parts << tr("%n page(s)", nullptr, int(stats->pages));
            parts << QLocale().formattedDataSize(stats->bytes);
            const qint64 problems = stats->documents - stats->byStatus.value(QStringLiteral("ok"))
                - stats->byStatus.value(QStringLiteral("duplicate")) - stats->byStatus.value(QStringLiteral("pending"));
            if (problems > 0)
                parts << tr("%n with problems", nullptr, int(problems));
            m_statsLabel->setText(parts.join(QStringLiteral(" · ")));
        });
}

void MainWindow::updateActions()
{
    const bool open = bool(m_session);
    for (QAction *a : { m_actions->addFiles,
             m_actions->addFolder,
             m_actions->closeLibrary,
             m_actions->reload,
             m_actions->findNext,
             m_actions->findPrevious })
        a->setEnabled(open);
    m_libraryDock->setEnabled(open);
    m_searchDock->setEnabled(open);
}

QStringList MainWindow::localPaths(const QMimeData *mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile())
            paths << QFileInfo(url.toLocalFile()).absoluteFilePath();
    }
    return paths;
}

bool MainWindow::handleDrop(const QMimeData *mime)
{
    const QStringList paths = localPaths(mime);
    if (paths.isEmpty())
        return false;
    addPaths(paths);
    return true;
}

void MainWindow::addPaths(const QStringList &paths)
{
    if (paths.size() == 1 && QFileInfo(paths.first()).suffix() == LibrarySuffix && QFileInfo(paths.first()).isFile()) {
        openLibrary(paths.first());
        return;
    }
    if (!m_session) {
        statusBar()->showMessage(tr("Create or open a library first, then add documents to it."), 8000);
        return;
    }
    // Listed at once as pending; the ingest job replaces them with the stored documents when it ends.
    m_documents->addPending(paths, tr("queued for reading"));
    m_libraryPanel->setPlaceholder({});
    m_libraryDock->show();
    ingest(paths, QString());
    Q_EMIT pathsAdded(paths);
}

void MainWindow::ingest(const QStringList &paths, const QString &password)
{
    auto *job = IngestJob::start(m_jobs, m_session->path(), paths, password, this);
    statusBar()->showMessage(job->job()->title() + QStringLiteral("…"), 4000);
    auto session = m_session;
    connect(job, &IngestJob::finished, this, [this, session, paths](const QString &summary, bool ok) {
        statusBar()->showMessage(ok ? tr("Added: %1").arg(summary) : summary, 10000);
        if (session != m_session)
            return;
        m_documents->removePending(paths);
        m_documents->reload();
        Q_EMIT ingestFinished(summary, ok);
    });
}

void MainWindow::runAnalysis()
{
    if (!m_session)
        return;
    const QString path = m_session->path();
    Job *job = m_jobs->start(QStringLiteral("analysis"),
        tr("Analysing the library"),
        [path](Progress &progress, const CancelToken &cancel) -> Expected<void> {
            auto library = store::Library::open(path);
            if (!library)
                return std::unexpected(library.error());
            auto result = analysis::Analyzer::run(**library, {}, progress, cancel);
            if (!result)
                return std::unexpected(result.error());
            return {};
        });
    auto session = m_session;
    connect(job, &Job::finished, this, [this, job, session] {
        statusBar()->showMessage(
            job->state() == Job::State::Finished ? tr("Analysis finished") : job->resultMessage(), 8000);
        if (session != m_session)
            return;
        m_summaries->reload();
        m_entities->reload();
        m_timeline->reload();
        Q_EMIT analysisFinished(job->state() == Job::State::Finished);
    });
}

void MainWindow::retryWithPassword(const QString &path)
{
    bool ok = false;
    const QString password = QInputDialog::getText(this,
        tr("Password Required"),
        tr("Password for %1:").arg(QFileInfo(path).fileName()),
        QLineEdit::Password,
        QString(),
        &ok);
    if (ok && !password.isEmpty() && m_session)
        ingest({ path.section(QLatin1Char('!'), 0, 0) }, password);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (!localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    if (handleDrop(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

void MainWindow::chooseNewLibrary()
{
    QString path = QFileDialog::getSaveFileName(
        this, tr("New Library"), QString(), LibraryFilter, nullptr, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix() != LibrarySuffix)
        path += QLatin1Char('.') + LibrarySuffix;
    if (QFileInfo::exists(path))
        statusBar()->showMessage(tr("%1 already exists: opening it.").arg(path), 8000);
    createLibrary(path);
}

void MainWindow::chooseLibraryToOpen()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Library"), QString(), LibraryFilter);
    if (!path.isEmpty())
        openLibrary(path);
}

void MainWindow::chooseFilesToAdd()
{
    const QStringList paths = QFileDialog::getOpenFileNames(this,
        tr("Add Files"),
        QString(),
        tr("Documents (*.pdf *.txt *.md *.html *.htm *.epub *.eml *.mbox *.zip *.tar *.gz *.7z);;All files (*)"));
    if (!paths.isEmpty())
        addPaths(paths);
}

void MainWindow::chooseFolderToAdd()
{
    const QString path = QFileDialog::getExistingDirectory(this, tr("Add Folder"));
    if (!path.isEmpty())
        addPaths({ path });
}

void MainWindow::showError(const QString &title, const QString &message)
{
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->open();
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("MainWindow"));
    if (!restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray()))
        resize(1280, 800);
    restoreState(settings.value(QStringLiteral("state")).toByteArray());
    m_reader->splitter()->restoreState(settings.value(QStringLiteral("readerSplitter")).toByteArray());
    m_libraryPanel->restoreState(settings.value(QStringLiteral("libraryColumns")).toByteArray());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("MainWindow"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    settings.setValue(QStringLiteral("readerSplitter"), m_reader->splitter()->saveState());
    settings.setValue(QStringLiteral("libraryColumns"), m_libraryPanel->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_jobs->runningCount() > 0) {
        const auto answer = QMessageBox::question(this,
            tr("Jobs Running"),
            tr("%n job(s) still running. Cancel them and quit? Work already done is kept.",
                nullptr,
                m_jobs->runningCount()));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    saveSettings();
    m_jobs->cancelAllAndWait();
    event->accept();
}

} // namespace quire::ui
