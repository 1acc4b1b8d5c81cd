#include "pipeline.h"

#include "documentparts.h"
#include "documentreader.h"
#include "ingestworker.h"
#include "pipelinequeue.h"
#include "store/ingeststore.h"
#include "workerprocess.h"
#include "workerprotocol.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>
#include <poll.h>

namespace quire::ingest
{

namespace
{

struct Slot {
    std::unique_ptr<WorkerProcess> process;
    std::optional<Task> task;
    QElapsedTimer timer;
    WorkHashed hashed;
    bool outOfMemory = false; // the worker said an allocation was refused
};

} // namespace

struct Pipeline::Impl {
    store::Library &library;
    PipelineOptions options;
    Progress *progress = nullptr;
    NullProgress nullProgress;
    const CancelToken *cancel = nullptr;
    std::function<void(const DocumentOutcome &)> onOutcome;
    PipelineReport report;
    TaskQueue queue;
    std::vector<Slot> workers;
    QString workerProgram;
    std::unordered_map<quint64, DocumentParts> parts; // documents read in parts, by task id

    Impl(store::Library &l, PipelineOptions o)
        : library(l)
        , options(std::move(o))
    {
    }

    bool cancelled() const { return cancel && cancel->isCancelled(); }
    Expected<void> loop();
    void split(Task &task);
    Expected<void> dispatch(Slot &slot);
    Expected<void> service(Slot &slot, short events);
    Expected<void> checkTimeout(Slot &slot);
    Expected<void> failSlot(Slot &slot, store::DocumentStatus status, const QString &reason);
    Expected<void> handleResult(Task task, WorkResult result);
    Expected<void> save(const Task &task, WorkResult &result);
    Expected<void> finish(const Task &task, const DocumentOutcome &outcome);
    Expected<bool> isSkippable(const store::DocumentRecord &existing);
    void record(const DocumentOutcome &outcome);
};

Pipeline::Pipeline(store::Library &library, PipelineOptions options)
    : d(std::make_unique<Impl>(library, std::move(options)))
{
}

Pipeline::~Pipeline() = default;

void Pipeline::setProgress(Progress *progress)
{
    d->progress = progress;
}

void Pipeline::setCancelToken(const CancelToken *token)
{
    d->cancel = token;
}

void Pipeline::setOutcomeCallback(std::function<void(const DocumentOutcome &)> callback)
{
    d->onOutcome = std::move(callback);
}

QString Pipeline::defaultWorkerProgram()
{
    const QString beside = QCoreApplication::applicationDirPath() + QStringLiteral("/quire");
    if (QFileInfo(beside).isExecutable())
        return beside;
    return QStandardPaths::findExecutable(QStringLiteral("quire"));
}

Expected<PipelineReport> Pipeline::run()
{
    QElapsedTimer timer;
    timer.start();
    d->report = {};
    if (!d->progress)
        d->progress = &d->nullProgress;
    d->workerProgram = d->options.workerProgram.isEmpty() ? defaultWorkerProgram() : d->options.workerProgram;
    if (d->workerProgram.isEmpty())
        return fail(Error::Code::NotFound, "cannot find the 'quire' program to run ingest workers");
    const int jobs = d->options.jobs > 0 ? d->options.jobs : std::max(1, QThread::idealThreadCount());
    d->workers.clear();
    d->workers.resize(static_cast<std::size_t>(jobs));
    d->parts.clear();

    const Expansion expansion = expandPaths(d->options.paths, d->library.path());
    for (const DocumentOutcome &missing : expansion.missing)
        d->record(missing);
    d->queue.reset(expansion.files);
    d->progress->begin("ingest", static_cast<std::int64_t>(expansion.files.size()));
    auto ok = d->loop();
    d->workers.clear(); // stops the workers
    d->report.cancelled = d->cancelled();
    if (ok && d->options.dedupe) {
        auto dedupe = updateDuplicatesAndThreads(d->library);
        if (!dedupe)
            ok = std::unexpected(dedupe.error());
        else
            d->report.dedupe = *dedupe;
    }
    d->progress->end();
    d->report.seconds = timer.elapsed() / 1000.0;
    if (!ok)
        return std::unexpected(ok.error());
    return d->report;
}

Expected<void> Pipeline::Impl::loop()
{
    std::vector<pollfd> fds;
    std::vector<Slot *> busy;
    for (;;) {
        for (Slot &slot : workers) {
            while (!slot.task && !cancelled() && !queue.empty()) {
                if (auto ok = dispatch(slot); !ok)
                    return ok;
            }
        }
        fds.clear();
        busy.clear();
        int wait = 250; // wake up now and then for Ctrl-C and timeouts
        for (Slot &slot : workers) {
            if (!slot.task)
                continue;
            busy.push_back(&slot);
            fds.push_back({ slot.process->fd(), POLLIN, 0 });
            const qint64 left = options.timeoutSeconds * 1000LL - slot.timer.elapsed();
            wait = static_cast<int>(std::clamp<qint64>(left, 0, wait));
        }
        if (busy.empty()) {
            if (queue.empty() || cancelled())
                return {};
            continue;
        }
        if (::poll(fds.data(), fds.size(), wait) < 0 && errno != EINTR)
            return fail(Error::Code::Internal, "poll failed while waiting for ingest workers");
        for (std::size_t i = 0; i < busy.size(); ++i) {
            auto ok = fds[i].revents ? service(*busy[i], fds[i].revents) : checkTimeout(*busy[i]);
            if (!ok)
                return ok;
        }
    }
}

Expected<bool> Pipeline::Impl::isSkippable(const store::DocumentRecord &existing)
{
    using store::DocumentStatus;
    switch (existing.status) {
    case DocumentStatus::Ok:
    case DocumentStatus::Duplicate:
        if (options.read.password.isEmpty())
            return true;
        {
            // A password may unlock files inside this archive or mail.
            auto children = library.children(existing.id);
            if (!children)
                return std::unexpected(children.error());
            if (children->empty())
                return true;
            auto locked = store::hasDescendantWithStatus(library, existing.path, DocumentStatus::PasswordRequired);
            if (!locked)
                return std::unexpected(locked.error());
            return !*locked;
        }
    case DocumentStatus::Empty:
    case DocumentStatus::Unsupported:
    case DocumentStatus::TooLarge:
        return true;
    case DocumentStatus::PasswordRequired:
        return options.read.password.isEmpty();
    case DocumentStatus::Pending: // a container whose children were not all saved
    case DocumentStatus::Error:
    case DocumentStatus::Timeout:
        return false;
    }
    return false;
}

// The last file, when it is a PDF large enough, is read by all the workers, one page range each (the worker
// leaves a part empty when the document has too few pages for it): one process per file would leave the
// other cores idle at the end of a run, and for the whole run when one book is ingested.
void Pipeline::Impl::split(Task &task)
{
    constexpr qint64 MinSplitBytes = 256 << 10;
    if (workers.size() < 2 || task.parts > 1 || task.filePath.isEmpty() || !queue.empty())
        return;
    if (QFileInfo(task.filePath).size() < MinSplitBytes || detectFileType(task.filePath) != QLatin1String("pdf"))
        return;
    task.parts = static_cast<int>(workers.size());
    for (int part = task.parts - 1; part >= 1; --part) {
        Task other = task;
        other.part = part;
        queue.pushFront(std::move(other));
    }
    parts.insert_or_assign(task.id, DocumentParts(task.parts));
}

// Takes the next task off the queue and sends it to the slot's worker (starting one if needed).
Expected<void> Pipeline::Impl::dispatch(Slot &slot)
{
    Task task = queue.take();
    split(task);
    auto existing = library.documentByPath(task.path);
    if (!existing)
        return std::unexpected(existing.error());
    task.existingId = *existing ? (*existing)->id : 0;
    WorkRequest request;
    request.id = task.id;
    request.path = task.filePath;
    request.data = task.data;
    request.name = task.name;
    request.options = options.read;
    request.options.depth = task.depth;
    // The last documents may use the cores that idle workers leave (PDF pages in parallel).
    const auto busy = std::count_if(workers.begin(), workers.end(), [](const Slot &s) { return s.task.has_value(); });
    request.options.threads = queue.empty() ? std::max(1, QThread::idealThreadCount() - static_cast<int>(busy)) : 1;
    request.options.part = task.part;
    request.options.parts = task.parts;
    if (task.parts > 1)
        request.options.threads = 1;
    request.maxSentenceLength = options.maxSentenceLength;
    if (*existing && !(*existing)->contentHash.isEmpty()) {
        auto skippable = isSkippable(**existing);
        if (!skippable)
            return std::unexpected(skippable.error());
        if (*skippable)
            request.knownHash = (*existing)->contentHash;
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!slot.process) {
            QStringList arguments = options.workerArguments;
            if (options.workerMemoryLimit > 0)
                arguments << QStringLiteral("--memory-limit") << QString::number(options.workerMemoryLimit);
            auto process = WorkerProcess::start(workerProgram, arguments);
            if (!process)
                return std::unexpected(process.error());
            slot.process = std::move(*process);
        }
        if (slot.process->send(encode(request)))
            break;
        slot.process.reset(); // died while idle: start another and try once more
    }
    if (!slot.process)
        return fail(Error::Code::Internal, "the ingest workers keep dying before they read a request");
    slot.task = std::move(task);
    slot.hashed = {};
    slot.outOfMemory = false;
    slot.timer.start();
    return {};
}

Expected<void> Pipeline::Impl::service(Slot &slot, short events)
{
    const bool open = slot.process->readAvailable();
    for (const QByteArray &payload : slot.process->takeFrames()) {
        const auto kind = frameKind(payload);
        if (kind == FrameKind::Hashed) {
            if (auto hashed = decodeHashed(payload))
                slot.hashed = *hashed;
            continue;
        }
        if (kind == FrameKind::OutOfMemory) {
            const auto id = decodeOutOfMemory(payload);
            slot.outOfMemory = slot.outOfMemory || (id && slot.task && *id == slot.task->id);
            continue;
        }
        auto result = kind == FrameKind::Result ? decodeResult(payload) : std::nullopt;
        if (!result || !slot.task || result->id != slot.task->id)
            return failSlot(slot, store::DocumentStatus::Error, QStringLiteral("the reader sent a damaged result"));
        Task task = std::move(*slot.task);
        slot.task.reset();
        if (auto ok = handleResult(std::move(task), std::move(*result)); !ok)
            return ok;
    }
    if (!open || (events & (POLLHUP | POLLERR))) {
        if (!slot.task) {
            slot.process.reset();
            return {};
        }
        const QString how = slot.process->reap();
        if (slot.outOfMemory) // a library that aborts (or crashes) when an allocation is refused
            return failSlot(slot,
                store::DocumentStatus::TooLarge,
                outOfMemoryReason(slot.task->name.isEmpty() ? QFileInfo(slot.task->path).fileName() : slot.task->name,
                    options.workerMemoryLimit));
        return failSlot(slot, store::DocumentStatus::Error, QStringLiteral("the reader ") + how);
    }
    return checkTimeout(slot);
}

Expected<void> Pipeline::Impl::checkTimeout(Slot &slot)
{
    if (!slot.task || slot.timer.elapsed() < options.timeoutSeconds * 1000LL)
        return {};
    return failSlot(
        slot, store::DocumentStatus::Timeout, QStringLiteral("timed out after %1 s").arg(options.timeoutSeconds));
}

// The worker crashed, hung or talked nonsense: stop it and record the document's failure.
Expected<void> Pipeline::Impl::failSlot(Slot &slot, store::DocumentStatus status, const QString &reason)
{
    slot.process.reset();
    Task task = std::move(*slot.task);
    slot.task.reset();
    WorkResult result;
    result.id = task.id;
    result.status = status;
    result.error = reason;
    result.contentHash = slot.hashed.id == task.id ? slot.hashed.contentHash : QString();
    result.size = slot.hashed.id == task.id ? slot.hashed.size : task.data.size();
    result.type = task.filePath.isEmpty() ? detectType(task.data.left(4096), task.name) : detectFileType(task.filePath);
    return handleResult(std::move(task), std::move(result));
}

Expected<void> Pipeline::Impl::handleResult(Task task, WorkResult result)
{
    if (task.parts > 1) {
        auto group = parts.find(task.id);
        if (group == parts.end())
            return fail(Error::Code::Internal, "a part of a document came back twice");
        if (!group->second.add(task.part, std::move(result)))
            return {}; // the other parts are still being read
        result = group->second.assemble();
        parts.erase(group);
    }
    progress->update(queue.finishedTopLevel(), task.path.toStdString());
    if (result.unchanged) {
        DocumentOutcome outcome { task.path, task.existingId, DocumentOutcome::Action::Unchanged };
        return finish(task, outcome);
    }
    return save(task, result);
}

Expected<void> Pipeline::Impl::save(const Task &task, WorkResult &result)
{
    store::DocumentRecord r;
    r.parentId = task.parentId;
    r.path = task.path;
    r.contentHash = result.contentHash;
    r.type = result.type;
    r.size = result.size;
    r.mtime = task.mtime;
    r.title = result.title;
    r.author = result.author;
    r.created = result.created;
    r.modified = result.modified;
    r.language = result.language;
    r.status = result.status;
    r.error = result.error;
    r.pageCount = static_cast<int>(result.content.pages.size());
    r.metadata = result.metadata;
    const bool container = r.status == store::DocumentStatus::Ok && !result.children.empty();
    if (container)
        r.status = store::DocumentStatus::Pending; // until every child is saved
    auto id = store::saveIngested(library, r, result.content, result.minhash, !container);
    if (!id)
        return std::unexpected(id.error());
    report.bytes += result.size;
    report.pages += r.pageCount;
    report.sentences += static_cast<std::int64_t>(result.content.sentences.size());
    DocumentOutcome outcome { task.path,
        *id,
        task.existingId ? DocumentOutcome::Action::Replaced : DocumentOutcome::Action::Added,
        result.status,
        result.error };
    if (result.status != store::DocumentStatus::Ok)
        outcome.action = DocumentOutcome::Action::Failed;
    if (!container)
        return finish(task, outcome);
    queue.addChildren(task, *id, std::move(result.children), outcome);
    return {};
}

// A document is done (saved, unchanged or failed): report it and complete the containers it finishes.
Expected<void> Pipeline::Impl::finish(const Task &task, const DocumentOutcome &outcome)
{
    record(outcome);
    for (const FinishedContainer &c : queue.finish(task)) {
        auto ok
            = store::finishContainer(library, c.outcome.documentId, c.childPaths, c.outcome.status, c.outcome.reason);
        if (!ok)
            return ok;
        record(c.outcome);
    }
    return {};
}

void Pipeline::Impl::record(const DocumentOutcome &outcome)
{
    ++report.documents;
    switch (outcome.action) {
    case DocumentOutcome::Action::Added:
        ++report.added;
        break;
    case DocumentOutcome::Action::Replaced:
        ++report.replaced;
        break;
    case DocumentOutcome::Action::Unchanged:
        ++report.unchanged;
        break;
    case DocumentOutcome::Action::Failed:
        ++report.failed;
        progress->message(QString(outcome.path + QStringLiteral(": ") + outcome.reason).toStdString());
        break;
    }
    if (outcome.action != DocumentOutcome::Action::Unchanged)
        report.outcomes.push_back(outcome);
    if (onOutcome)
        onOutcome(outcome);
}

} // namespace quire::ingest
