#pragma once

#include <QDir>
#include <QObject>
#include <QStringList>
#include <functional>

namespace quire::ui
{

class MainWindow;

// Drives the main window through the views a reviewer checks and saves a PNG of each: the welcome page,
// the library, a search, the reader at a cited sentence (text and PDF), the analysis tabs, the entity
// graph and the jobs panel. Used by `quire-gui --screenshots DIR LIB` and the scripted Xvfb run.
class ScreenshotRunner : public QObject
{
    Q_OBJECT
public:
    ScreenshotRunner(MainWindow *window,
        const QString &libraryPath,
        const QString &outputDir,
        const QString &query,
        QObject *parent = nullptr);

    void start();
    QStringList savedFiles() const { return m_saved; }

Q_SIGNALS:
    void finished(bool ok, const QString &message);

private:
    void next();
    void save(const QString &name);
    // Runs `then` once `signal` of `sender` fires (or fails the run after a timeout).
    template <typename Sender, typename Signal> void waitFor(Sender *sender, Signal signal, std::function<void()> then);
    void settleThen(std::function<void()> then);
    void fail(const QString &message);
    // Filters the search to `type`, opens the first hit and saves `name` once it is highlighted.
    void openHit(const QString &type, const QString &name, std::function<void()> then);
    void analysisTabs();
    void entityGraph(std::function<void()> then);
    void jobsPanel();

    MainWindow *m_window;
    QString m_library;
    QDir m_out;
    QString m_query;
    QStringList m_saved;
    bool m_done = false;
};

} // namespace quire::ui
