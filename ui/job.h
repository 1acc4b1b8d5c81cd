#pragma once

#include "util/cancel.h"
#include "util/progress.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <atomic>
#include <mutex>
#include <optional>

namespace quire::ui
{

// One long job (ingest, analysis, inference) as the jobs panel shows it. The work runs in a worker and
// reports through progress(), which is thread-safe; the Job lives on the UI thread and emits changed()
// at most every 100 ms. ETA comes from the rate since the current phase began.
class Job : public QObject
{
    Q_OBJECT
public:
    enum class State { Running, Finished, Failed, Cancelled };
    Q_ENUM(State)

    struct Snapshot {
        QString phase;
        QString item;
        qint64 done = 0;
        qint64 total = 0;
        QString lastMessage;
    };

    Job(const QString &kind, const QString &title, QObject *parent = nullptr);
    ~Job() override;

    QString kind() const { return m_kind; }
    QString title() const { return m_title; }
    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    QString resultMessage() const { return m_resultMessage; }
    Snapshot snapshot() const;
    // Seconds left at the current rate, or nothing while the rate is unknown.
    std::optional<qint64> etaSeconds() const;
    qint64 elapsedMs() const { return m_elapsed.elapsed(); }

    Progress &progress();
    const CancelToken &cancelToken() const { return m_cancel; }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void changed();
    void finished();

private:
    friend class JobManager;
    class Reporter;
    void finish(State state, const QString &message);
    void notify();

    QString m_kind;
    QString m_title;
    State m_state = State::Running;
    QString m_resultMessage;
    CancelToken m_cancel;
    QElapsedTimer m_elapsed;

    mutable std::mutex m_mutex;
    Snapshot m_snapshot;
    QElapsedTimer m_phaseTimer;
    std::atomic<bool> m_notifyPending { false };
    Reporter *m_reporter = nullptr;
};

QString formatDuration(qint64 seconds);

} // namespace quire::ui
