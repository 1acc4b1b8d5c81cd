#pragma once

#include <QMainWindow>
#include <memory>

class QDockWidget;
class QLabel;
class QMenu;
class QMimeData;
class QStackedWidget;
class QTabWidget;
class QToolButton;

namespace quire::ui
{

class AskPanel;
class DocumentModel;
class JobManager;
class JobsPanel;
class LibraryPanel;
class LibrarySession;
class ReaderView;
class SearchPanel;
class SummaryView;
class EntityListView;
class TimelineView;
class WelcomePage;

// The main window: the library (left dock), the reader and the analysis views (central tabs), search
// (right dock) and jobs (bottom dock); menus with the usual shortcuts; a status bar with the library's
// figures and the compute device. Every store access runs in a worker.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum Tab { ReaderTab, SummariesTab, EntitiesTab, TimelineTab, AskTab };
    Q_ENUM(Tab)

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    std::shared_ptr<LibrarySession> session() const { return m_session; }
    DocumentModel *documentModel() const { return m_documents; }
    LibraryPanel *libraryPanel() const { return m_libraryPanel; }
    SearchPanel *searchPanel() const { return m_searchPanel; }
    ReaderView *reader() const { return m_reader; }
    JobManager *jobManager() const { return m_jobs; }
    JobsPanel *jobsPanel() const { return m_jobsPanel; }
    QTabWidget *tabs() const { return m_tabs; }
    SummaryView *summaryView() const { return m_summaries; }
    EntityListView *entityView() const { return m_entities; }
    TimelineView *timelineView() const { return m_timeline; }
    AskPanel *askPanel() const { return m_ask; }
    QDockWidget *libraryDock() const { return m_libraryDock; }
    QDockWidget *searchDock() const { return m_searchDock; }
    QDockWidget *jobsDock() const { return m_jobsDock; }
    QString deviceText() const;
    QString statsText() const;
    QMenu *recentMenu() const { return m_recentMenu; }

    // Local files and folders in a drop (file URLs only; others are ignored).
    static QStringList localPaths(const QMimeData *mime);

public Q_SLOTS:
    void openLibrary(const QString &path);
    void createLibrary(const QString &path);
    void closeLibrary();
    // Adds files and folders to the open library (a dropped .quire file opens that library instead).
    void addPaths(const QStringList &paths);
    bool handleDrop(const QMimeData *mime);
    void showTab(quire::ui::MainWindow::Tab tab);
    // Runs the model-free analysis (entities, dates, summaries) as a job.
    void runAnalysis();
    // Settings ▸ Models…: choose the GGUF model, its context, attention and device (ModelManager).
    void showModelManager();

Q_SIGNALS:
    void libraryOpened(const QString &path);
    void libraryOpenFailed(const QString &message);
    // The document list is loaded: the window is usable.
    void libraryReady(int documentCount, qint64 loadMs);
    void libraryClosed();
    void pathsAdded(const QStringList &paths);
    void ingestFinished(const QString &summary, bool ok);
    void analysisFinished(bool ok);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    void createCentral();
    void createStatusBar();
    void rebuildRecentMenu();
    void openLibraryAt(const QString &path, bool create);
    void setSession(std::shared_ptr<LibrarySession> session);
    void refreshStats();
    void updateActions();
    void updateJobsIndicator(int running);
    void restoreSettings();
    void saveSettings() const;
    void chooseNewLibrary();
    void chooseLibraryToOpen();
    void chooseFilesToAdd();
    void chooseFolderToAdd();
    void showError(const QString &title, const QString &message);
    void ingest(const QStringList &paths, const QString &password);
    void retryWithPassword(const QString &path);

    std::shared_ptr<LibrarySession> m_session;
    quint64 m_openSequence = 0;
    JobManager *m_jobs;
    DocumentModel *m_documents;
    LibraryPanel *m_libraryPanel = nullptr;
    SearchPanel *m_searchPanel = nullptr;
    ReaderView *m_reader = nullptr;
    JobsPanel *m_jobsPanel = nullptr;
    WelcomePage *m_welcome = nullptr;
    QStackedWidget *m_central = nullptr;
    QTabWidget *m_tabs = nullptr;
    SummaryView *m_summaries = nullptr;
    EntityListView *m_entities = nullptr;
    TimelineView *m_timeline = nullptr;
    AskPanel *m_ask = nullptr;
    QDockWidget *m_libraryDock = nullptr;
    QDockWidget *m_searchDock = nullptr;
    QDockWidget *m_jobsDock = nullptr;
    QLabel *m_statsLabel = nullptr;
    QLabel *m_deviceLabel = nullptr;
    QToolButton *m_jobsButton = nullptr;
    QMenu *m_recentMenu = nullptr;

    struct Actions;
    std::unique_ptr<Actions> m_actions;
};

} // namespace quire::ui
