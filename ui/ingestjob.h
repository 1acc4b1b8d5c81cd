#pragma once

#include "ingest/pipeline.h"

#include <QObject>
#include <QStringList>

namespace quire::ui
{

class Job;
class JobManager;

// Adds files and folders to a library through the ingest pipeline, as a job of the jobs panel: its own
// connection to the library in a worker thread, progress per file, Cancel keeps what was saved.
class IngestJob : public QObject
{
    Q_OBJECT
public:
    struct Result {
        ingest::PipelineReport report;
        QString error; // the whole run failed (library not writable, no worker program)
    };

    // Starts the job; `finished` follows on the UI thread.
    static IngestJob *start(JobManager *jobs,
        const QString &libraryPath,
        const QStringList &paths,
        const QString &password,
        QObject *parent);

    Job *job() const { return m_job; }
    const Result &result() const { return *m_result; }
    static QString summary(const ingest::PipelineReport &report);

Q_SIGNALS:
    void finished(const QString &summary, bool ok);

private:
    explicit IngestJob(QObject *parent);
    Job *m_job = nullptr;
    std::shared_ptr<Result> m_result;
};

} // namespace quire::ui
