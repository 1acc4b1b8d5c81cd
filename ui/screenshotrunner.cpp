#include "ui/screenshotrunner.h"

#include "ui/entitygraphview.h"
#include "ui/entitylistview.h"
#include "ui/graphcanvas.h"
#include "ui/librarypanel.h"
#include "ui/mainwindow.h"
#include "ui/readerview.h"
#include "ui/searchpanel.h"

#include <QComboBox>
#include <QDockWidget>
#include <QPixmap>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>

namespace quire::ui
{

namespace
{
constexpr int StepTimeoutMs = 30000;
constexpr int SettleMs = 400;
} // namespace

ScreenshotRunner::ScreenshotRunner(
    MainWindow *window, const QString &libraryPath, const QString &outputDir, const QString &query, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_library(libraryPath)
    , m_out(outputDir)
    , m_query(query)
{
}

template <typename Sender, typename Signal>
void ScreenshotRunner::waitFor(Sender *sender, Signal signal, std::function<void()> then)
{
    auto fired = std::make_shared<bool>(false);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(sender, signal, this, [this, fired, connection, then] {
        if (*fired)
            return;
        *fired = true;
        disconnect(*connection);
        settleThen(then);
    });
    QTimer::singleShot(StepTimeoutMs, this, [this, fired, connection] {
        if (*fired)
            return;
        disconnect(*connection);
        fail(tr("timed out waiting for the window"));
    });
}

void ScreenshotRunner::settleThen(std::function<void()> then)
{
    QTimer::singleShot(SettleMs, this, then);
}

void ScreenshotRunner::start()
{
    if (!m_out.mkpath(QStringLiteral("."))) {
        fail(tr("cannot create %1").arg(m_out.path()));
        return;
    }
    m_window->resize(1440, 900);
    m_window->closeLibrary();
    settleThen([this] {
        save(QStringLiteral("01-welcome.png"));
        waitFor(m_window, &MainWindow::libraryReady, [this] {
            // The library with its first document open in the reader.
            const QModelIndex first = m_window->libraryPanel()->view()->model()->index(0, 0);
            waitFor(m_window->reader(), &ReaderView::documentOpened, [this] {
                save(QStringLiteral("02-library.png"));
                next();
            });
            m_window->libraryPanel()->view()->setCurrentIndex(first);
            Q_EMIT m_window->libraryPanel()->view()->activated(first);
        });
        connect(m_window, &MainWindow::libraryOpenFailed, this, [this](const QString &m) { fail(m); });
        m_window->openLibrary(m_library);
    });
}

void ScreenshotRunner::next()
{
    SearchPanel *search = m_window->searchPanel();
    waitFor(search, &SearchPanel::searchFinished, [this] {
        save(QStringLiteral("03-search.png"));
        openHit(QStringLiteral("text"), QStringLiteral("04-reader-citation.png"), [this] {
            openHit(QStringLiteral("pdf"), QStringLiteral("05-reader-pdf.png"), [this] { analysisTabs(); });
        });
    });
    search->focusSearch();
    search->setQuery(m_query);
}

void ScreenshotRunner::openHit(const QString &type, const QString &name, std::function<void()> then)
{
    SearchPanel *search = m_window->searchPanel();
    const int index = search->typeCombo()->findData(type);
    if (index < 0) {
        then();
        return;
    }
    waitFor(search, &SearchPanel::searchFinished, [this, search, name, then] {
        waitFor(m_window->reader(), &ReaderView::highlightShown, [this, name, then] {
            save(name);
            then();
        });
        search->activateNext();
    });
    search->typeCombo()->setCurrentIndex(index);
}

void ScreenshotRunner::analysisTabs()
{
    const std::pair<MainWindow::Tab, const char *> pages[] = {
        { MainWindow::SummariesTab, "06-summaries.png" },
        { MainWindow::EntitiesTab, "07-entities.png" },
        { MainWindow::TimelineTab, "08-timeline.png" },
        { MainWindow::AskTab, "09-ask.png" },
    };
    for (const auto &[tab, name] : pages) {
        m_window->showTab(tab);
        save(QString::fromLatin1(name));
    }
    entityGraph([this] { jobsPanel(); });
}

void ScreenshotRunner::entityGraph(std::function<void()> then)
{
    // The Entities tab at full width (docks hidden for the shot), once the graph is laid out.
    EntityGraphView *graph = m_window->entityView()->graph();
    m_window->showTab(MainWindow::EntitiesTab);
    m_window->libraryDock()->hide();
    m_window->searchDock()->hide();
    auto shoot = [this, graph, then] {
        graph->canvas()->fitToView();
        settleThen([this, then] {
            save(QStringLiteral("11-entity-graph.png"));
            m_window->libraryDock()->show();
            m_window->searchDock()->show();
            then();
        });
    };
    if (graph->isLayoutRunning())
        waitFor(graph, &EntityGraphView::layoutFinished, shoot);
    else
        settleThen(shoot);
}

void ScreenshotRunner::jobsPanel()
{
    m_window->showTab(MainWindow::ReaderTab);
    // The jobs panel with a real job: re-running the analysis (quick when nothing changed).
    m_window->jobsDock()->show();
    waitFor(m_window, &MainWindow::analysisFinished, [this] {
        save(QStringLiteral("10-jobs.png"));
        m_done = true;
        Q_EMIT finished(true, tr("saved %n screenshot(s) in %1", nullptr, int(m_saved.size())).arg(m_out.path()));
    });
    m_window->runAnalysis();
}

void ScreenshotRunner::save(const QString &name)
{
    const QString path = m_out.filePath(name);
    if (m_window->grab().save(path))
        m_saved << path;
    else
        fail(tr("cannot write %1").arg(path));
}

void ScreenshotRunner::fail(const QString &message)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT finished(false, message);
}

} // namespace quire::ui
