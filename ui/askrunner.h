#pragma once

#include "analysis/asker.h"
#include "analysis/askmodel.h"
#include "ui/job.h"

#include <QObject>
#include <QPointer>
#include <memory>

class QTimer;

namespace quire::ui
{

class JobManager;
class LibrarySession;

// Answers questions off the UI thread for the Ask panel. Without a model, retrieval runs on the session's
// read pool (fast, no job). With one, the question runs as an "ask" job (progress and Cancel in the jobs
// panel): the model is loaded once and kept for later questions; the answer arrives in pieces
// (textArrived) and then whole (finished). A model that cannot be loaded still gives the passages.
class AskRunner : public QObject
{
    Q_OBJECT
public:
    explicit AskRunner(JobManager *jobs, QObject *parent = nullptr);
    ~AskRunner() override;

    void setSession(std::shared_ptr<LibrarySession> session);
    bool isRunning() const { return m_running; }
    Job *job() const { return m_job; }

    // settings.path empty: passages only.
    void start(
        const QString &question, const analysis::AskModelSettings &settings, const analysis::AskOptions &options);
    void cancel();

    // The model the GUI runs (QSettings model/path, model/contextLength, model/attention, model/device,
    // written by the model manager); *problem says what is wrong with a setting (then: no model).
    static analysis::AskModelSettings savedSettings(QString *problem);

Q_SIGNALS:
    void textArrived(const QString &piece);
    // `error` is empty on success; a failed model still comes with the passages in `result`.
    void finished(const quire::analysis::AskResult &result, const QString &error);

private:
    struct Shared;
    void flush();
    void startJob(
        const QString &question, const analysis::AskModelSettings &settings, const analysis::AskOptions &options);
    void complete(const analysis::AskResult &result, const QString &error);

    JobManager *m_jobs;
    std::shared_ptr<LibrarySession> m_session;
    std::shared_ptr<Shared> m_shared;
    QPointer<Job> m_job;
    QTimer *m_flush;
    quint64 m_sequence = 0;
    bool m_running = false;
};

} // namespace quire::ui
