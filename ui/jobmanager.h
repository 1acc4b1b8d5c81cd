#pragma once

#include "ui/job.h"
#include "util/error.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <functional>

class QThreadPool;

namespace quire::ui
{

// Runs long jobs in worker threads and keeps them for the jobs panel. Any part of the GUI starts its
// ingest, analysis or inference work here so that it shows progress, an ETA and a Cancel button:
//
//     jobs->start("ingest", tr("Adding 12 files"), [=](Progress &p, const CancelToken &c) { ... });
//
// The work must poll the token and return Error::Code::Cancelled when it stops early.
class JobManager : public QObject
{
    Q_OBJECT
public:
    using Work = std::function<Expected<void>(Progress &progress, const CancelToken &cancel)>;

    explicit JobManager(QObject *parent = nullptr);
    ~JobManager() override;

    Job *start(const QString &kind, const QString &title, Work work);
    QList<Job *> jobs() const { return m_jobs; }
    int runningCount() const;
    // Removes finished, failed and cancelled jobs.
    void clearFinished();
    // Cancels every running job and waits for the workers (used on quit and when the library closes).
    void cancelAllAndWait();

Q_SIGNALS:
    void jobAdded(quire::ui::Job *job);
    void jobFinished(quire::ui::Job *job);
    void jobRemoved(quire::ui::Job *job);
    void runningCountChanged(int count);

private:
    QThreadPool *m_pool;
    QList<Job *> m_jobs;
};

} // namespace quire::ui
