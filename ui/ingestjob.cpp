#include "ui/ingestjob.h"

#include "ui/job.h"
#include "ui/jobmanager.h"

#include <QFileInfo>

namespace quire::ui
{

IngestJob::IngestJob(QObject *parent)
    : QObject(parent)
    , m_result(std::make_shared<Result>())
{
}

IngestJob *IngestJob::start(
    JobManager *jobs, const QString &libraryPath, const QStringList &paths, const QString &password, QObject *parent)
{
    auto *self = new IngestJob(parent);
    const QString title = paths.size() == 1 ? tr("Adding %1").arg(QFileInfo(paths.first()).fileName())
                                            : tr("Adding %n item(s)", nullptr, int(paths.size()));
    auto result = self->m_result;
    self->m_job = jobs->start(QStringLiteral("ingest"),
        title,
        [libraryPath, paths, password, result](Progress &progress, const CancelToken &cancel) -> Expected<void> {
            auto library = store::Library::open(libraryPath);
            if (!library)
                return std::unexpected(library.error());
            ingest::PipelineOptions options;
            options.paths = paths;
            options.read.password = password;
            ingest::Pipeline pipeline(**library, options);
            pipeline.setProgress(&progress);
            pipeline.setCancelToken(&cancel);
            auto report = pipeline.run();
            if (!report)
                return std::unexpected(report.error());
            result->report = std::move(*report);
            if (result->report.cancelled)
                return fail(Error::Code::Cancelled, "cancelled");
            return {};
        });
    connect(self->m_job, &Job::finished, self, [self] {
        const bool ok = self->m_job->state() == Job::State::Finished;
        QString text = summary(self->m_result->report);
        if (self->m_job->state() == Job::State::Failed)
            text = self->m_job->resultMessage();
        else if (self->m_job->state() == Job::State::Cancelled)
            text = tr("Cancelled; kept what was saved. %1").arg(text);
        Q_EMIT self->finished(text, ok);
        self->deleteLater();
    });
    return self;
}

QString IngestJob::summary(const ingest::PipelineReport &r)
{
    QStringList parts;
    parts << tr("%n added", nullptr, int(r.added));
    if (r.replaced)
        parts << tr("%n replaced", nullptr, int(r.replaced));
    if (r.unchanged)
        parts << tr("%n unchanged", nullptr, int(r.unchanged));
    if (r.failed)
        parts << tr("%n failed", nullptr, int(r.failed));
    return parts.join(QStringLiteral(", "));
}

} // namespace quire::ui
