#include "ui/job.h"

#include <QMetaObject>
#include <QTimer>

namespace quire::ui
{

class Job::Reporter final : public Progress
{
public:
    explicit Reporter(Job *job)
        : m_job(job)
    {
    }
    void begin(const std::string &phase, std::int64_t total) override
    {
        {
            std::lock_guard lock(m_job->m_mutex);
            m_job->m_snapshot.phase = QString::fromStdString(phase);
            m_job->m_snapshot.total = total;
            m_job->m_snapshot.done = 0;
            m_job->m_snapshot.item.clear();
            m_job->m_phaseTimer.start();
        }
        m_job->notify();
    }
    void update(std::int64_t done, const std::string &item) override
    {
        {
            std::lock_guard lock(m_job->m_mutex);
            m_job->m_snapshot.done = done;
            if (!item.empty())
                m_job->m_snapshot.item = QString::fromStdString(item);
        }
        m_job->notify();
    }
    void message(const std::string &text) override
    {
        {
            std::lock_guard lock(m_job->m_mutex);
            m_job->m_snapshot.lastMessage = QString::fromStdString(text);
        }
        m_job->notify();
    }
    void end() override { m_job->notify(); }

private:
    Job *m_job;
};

Job::Job(const QString &kind, const QString &title, QObject *parent)
    : QObject(parent)
    , m_kind(kind)
    , m_title(title)
    , m_reporter(new Reporter(this))
{
    m_elapsed.start();
    m_phaseTimer.start();
}

Job::~Job()
{
    delete m_reporter;
}

Job::Snapshot Job::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_snapshot;
}

std::optional<qint64> Job::etaSeconds() const
{
    std::lock_guard lock(m_mutex);
    const qint64 ms = m_phaseTimer.elapsed();
    if (m_state != State::Running || m_snapshot.total <= 0 || m_snapshot.done <= 0 || ms < 500)
        return std::nullopt;
    const double perUnit = double(ms) / double(m_snapshot.done);
    return qint64(perUnit * double(m_snapshot.total - m_snapshot.done) / 1000.0 + 0.5);
}

Progress &Job::progress()
{
    return *m_reporter;
}

void Job::cancel()
{
    if (m_state == State::Running)
        m_cancel.cancel();
    notify();
}

void Job::notify()
{
    // Coalesce: one queued emission per 100 ms whatever the workers' reporting rate.
    if (m_notifyPending.exchange(true))
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            QTimer::singleShot(100, this, [this] {
                m_notifyPending = false;
                Q_EMIT changed();
            });
        },
        Qt::QueuedConnection);
}

void Job::finish(State state, const QString &message)
{
    m_state = state;
    m_resultMessage = message;
    Q_EMIT changed();
    Q_EMIT finished();
}

QString formatDuration(qint64 seconds)
{
    if (seconds < 60)
        return QObject::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return QObject::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QObject::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

} // namespace quire::ui
