#include "ui/jobmanager.h"

#include "ui/deliver.h"

#include <QFuture>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

namespace quire::ui
{

JobManager::JobManager(QObject *parent)
    : QObject(parent)
    , m_pool(new QThreadPool(this))
{
    m_pool->setObjectName(QStringLiteral("quire-jobs"));
    m_pool->setMaxThreadCount(qMax(2, QThread::idealThreadCount() / 2));
}

JobManager::~JobManager()
{
    cancelAllAndWait();
}

Job *JobManager::start(const QString &kind, const QString &title, Work work)
{
    auto *job = new Job(kind, title, this);
    m_jobs.append(job);
    Q_EMIT jobAdded(job);
    Q_EMIT runningCountChanged(runningCount());

    QPointer<Job> guard(job);
    deliver(QtConcurrent::run(m_pool,
                [job, work = std::move(work)]() -> Expected<void> {
                    try {
                        return work(job->progress(), job->cancelToken());
                    } catch (const std::exception &e) {
                        return fail(Error::Code::Internal, std::string("unexpected failure: ") + e.what());
                    }
                }),
        this,
        [this, guard](Expected<void> result) {
            if (!guard)
                return;
            if (result)
                guard->finish(Job::State::Finished, tr("Done"));
            else if (result.error().code == Error::Code::Cancelled || guard->cancelToken().isCancelled())
                guard->finish(Job::State::Cancelled, tr("Cancelled"));
            else
                guard->finish(Job::State::Failed, QString::fromStdString(result.error().message));
            Q_EMIT jobFinished(guard);
            Q_EMIT runningCountChanged(runningCount());
        });
    return job;
}

int JobManager::runningCount() const
{
    return int(std::count_if(m_jobs.begin(), m_jobs.end(), [](Job *j) { return j->isRunning(); }));
}

void JobManager::clearFinished()
{
    for (auto it = m_jobs.begin(); it != m_jobs.end();) {
        if ((*it)->isRunning()) {
            ++it;
            continue;
        }
        Job *job = *it;
        it = m_jobs.erase(it);
        Q_EMIT jobRemoved(job);
        job->deleteLater();
    }
}

void JobManager::cancelAllAndWait()
{
    for (Job *job : std::as_const(m_jobs))
        job->cancel();
    m_pool->waitForDone();
}

} // namespace quire::ui
