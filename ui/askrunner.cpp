#include "ui/askrunner.h"

#include "ui/deliver.h"
#include "ui/job.h"
#include "ui/jobmanager.h"
#include "ui/librarysession.h"

#ifdef QUIRE_HAVE_VULKAN
#include "inference/vulkan/backendchoice.h"
#endif
#include "inference/backend.h"

#include <QSettings>
#include <QTimer>
#include <mutex>

namespace quire::ui
{

using analysis::AskModel;
using analysis::AskModelSettings;
using analysis::AskOptions;
using analysis::AskResult;

// What the worker and the UI thread share: the loaded model (kept between questions), the text generated
// but not yet shown, and the result. `model` is used under `run`, the rest under `mutex`.
struct AskRunner::Shared {
    std::mutex run;
    std::unique_ptr<AskModel> model;
    std::mutex mutex;
    QString pending;
    AskResult result;
    QString error;
};

namespace
{

Expected<std::unique_ptr<inference::Backend>> chooseBackend(const QString &device, int threads)
{
#ifdef QUIRE_HAVE_VULKAN
    auto choice = inference::vk::chooseBackend(device.toStdString(), threads);
    if (!choice)
        return std::unexpected(choice.error());
    return std::move(choice->backend);
#else
    if (device == QLatin1String("vulkan"))
        return fail(Error::Code::Unsupported, "this build of Quire has no Vulkan backend: set the device to auto");
    return inference::createCpuBackend({ threads });
#endif
}

bool sameModel(const AskModelSettings &a, const AskModelSettings &b)
{
    return a.path == b.path && a.contextLength == b.contextLength && a.attention == b.attention && a.device == b.device
        && a.threads == b.threads;
}

Expected<void> loadModel(std::unique_ptr<AskModel> &model, const AskModelSettings &settings, Progress &progress)
{
    if (model && sameModel(model->settings(), settings))
        return {};
    model.reset();
    progress.begin("loading " + settings.path.section(QLatin1Char('/'), -1).toStdString(), 0);
    auto backend = chooseBackend(settings.device, settings.threads);
    if (!backend)
        return std::unexpected(backend.error());
    auto loaded = AskModel::load(settings, std::move(*backend));
    if (!loaded)
        return std::unexpected(loaded.error());
    model = std::move(*loaded);
    return {};
}

} // namespace

AskRunner::AskRunner(JobManager *jobs, QObject *parent)
    : QObject(parent)
    , m_jobs(jobs)
    , m_shared(std::make_shared<Shared>())
    , m_flush(new QTimer(this))
{
    m_flush->setInterval(50);
    connect(m_flush, &QTimer::timeout, this, &AskRunner::flush);
}

AskRunner::~AskRunner()
{
    cancel();
}

void AskRunner::setSession(std::shared_ptr<LibrarySession> session)
{
    cancel();
    m_session = std::move(session);
    ++m_sequence;
    m_running = false;
}

AskModelSettings AskRunner::savedSettings(QString *problem)
{
    const QSettings s;
    auto settings = AskModelSettings::fromStrings(s.value(QStringLiteral("model/path")).toString(),
        s.value(QStringLiteral("model/contextLength")).toString(),
        s.value(QStringLiteral("model/attention")).toString(),
        s.value(QStringLiteral("model/device")).toString());
    if (!settings) {
        if (problem)
            *problem = QString::fromStdString(settings.error().message);
        return {};
    }
    return *settings;
}

void AskRunner::start(const QString &question, const AskModelSettings &settings, const AskOptions &options)
{
    if (m_running || !m_session)
        return;
    m_running = true;
    if (!settings.path.isEmpty() && m_jobs) {
        startJob(question, settings, options);
        return;
    }
    const quint64 sequence = ++m_sequence;
    deliver(m_session->run([question, options](store::Library &library) -> Expected<AskResult> {
        analysis::Asker asker(library);
        return asker.ask(question, options, nullptr);
    }),
        this,
        [this, sequence, question](const Expected<AskResult> &result) {
            if (sequence != m_sequence)
                return;
            AskResult empty;
            empty.question = question;
            complete(result ? *result : empty, result ? QString() : errorText(result.error()));
        });
}

void AskRunner::startJob(const QString &question, const AskModelSettings &settings, const AskOptions &options)
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->pending.clear();
        m_shared->result = {};
        m_shared->error.clear();
    }
    const QString path = m_session->path();
    auto shared = m_shared;
    m_job = m_jobs->start(QStringLiteral("ask"),
        tr("Answering “%1”").arg(question.size() > 60 ? question.left(59) + QStringLiteral("…") : question),
        [shared, path, question, settings, options](Progress &progress, const CancelToken &cancel) -> Expected<void> {
            std::lock_guard running(shared->run);
            auto library = store::Library::open(path);
            if (!library)
                return std::unexpected(library.error());
            auto loaded = loadModel(shared->model, settings, progress);
            progress.begin("answering", options.maxTokens);
            std::int64_t tokens = 0;
            analysis::Asker asker(**library);
            auto result = asker.ask(
                question,
                options,
                shared->model.get(),
                [&](const QString &piece) {
                    progress.update(++tokens);
                    std::lock_guard lock(shared->mutex);
                    shared->pending += piece;
                    return true;
                },
                &cancel);
            std::lock_guard lock(shared->mutex);
            if (!result) {
                shared->error = errorText(result.error());
                return std::unexpected(result.error());
            }
            shared->result = std::move(*result);
            if (!loaded) {
                shared->error = QObject::tr("The model could not be loaded: %1").arg(errorText(loaded.error()));
                return std::unexpected(loaded.error());
            }
            if (shared->result.cancelled)
                return fail(Error::Code::Cancelled, "stopped");
            return {};
        });
    connect(m_job, &Job::finished, this, [this, job = m_job, sequence = m_sequence] {
        if (sequence != m_sequence || job != m_job)
            return;
        flush();
        m_flush->stop();
        std::unique_lock lock(m_shared->mutex);
        AskResult result = std::move(m_shared->result);
        const QString error = m_shared->error;
        lock.unlock();
        complete(result, error);
    });
    m_flush->start();
}

void AskRunner::flush()
{
    QString text;
    {
        std::lock_guard lock(m_shared->mutex);
        text.swap(m_shared->pending);
    }
    if (!text.isEmpty())
        Q_EMIT textArrived(text);
}

void AskRunner::complete(const AskResult &result, const QString &error)
{
    m_running = false;
    m_job = nullptr;
    Q_EMIT finished(result, error);
}

void AskRunner::cancel()
{
    if (m_job)
        m_job->cancel();
}

} // namespace quire::ui
