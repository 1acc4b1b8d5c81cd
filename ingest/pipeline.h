#pragma once

#include "ingest/dedupe.h"
#include "ingest/parseddocument.h"
#include "store/library.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/progress.h"

#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

namespace quire::ingest
{

struct PipelineOptions {
    QStringList paths; // files, folders (recursive) and archives
    ReadOptions read; // password, OCR, size limits
    int jobs = 0; // worker processes; 0: one per core
    int timeoutSeconds = 60; // per document, in its worker
    qint64 workerMemoryLimit = 4LL << 30; // address space of each worker process, in bytes; 0: no limit
    int maxSentenceLength = 1000;
    bool dedupe = true; // recompute duplicates, near duplicates and threads at the end
    // The program run as a worker and its arguments. Default: `quire ingest-worker`, `quire` being looked
    // for next to the running executable (the CLI, the GUI) and then on PATH.
    QString workerProgram;
    QStringList workerArguments { QStringLiteral("ingest-worker") };
};

// What became of one document (a file, or a document inside an archive or mail: "outer!/inner").
struct DocumentOutcome {
    enum class Action { Added, Replaced, Unchanged, Failed };
    QString path;
    std::int64_t documentId = 0; // 0 when nothing was stored (a path that does not exist)
    Action action = Action::Added;
    store::DocumentStatus status = store::DocumentStatus::Ok;
    QString reason; // the human reason when status is not ok
};

struct PipelineReport {
    std::int64_t documents = 0; // every document considered, children included
    std::int64_t added = 0;
    std::int64_t replaced = 0;
    std::int64_t unchanged = 0;
    std::int64_t failed = 0; // stored with a status other than ok, or not stored at all
    std::int64_t bytes = 0; // bytes read (files and children) by documents that were parsed
    std::int64_t pages = 0;
    std::int64_t sentences = 0;
    double seconds = 0;
    bool cancelled = false;
    DedupeReport dedupe;
    std::vector<DocumentOutcome> outcomes; // every document not ok (failures) plus every stored one
};

// The ingest pipeline: expands the paths into files, has each parsed by a pool of worker processes (a
// crash or a hang fails that document only), and saves every document in its own transaction from this
// thread (the one database writer). Archives and mail are expanded through the readers' children to any
// depth: each child becomes a document with parent_id and path "outer!/inner".
//
// Re-running is safe at any point, even after kill -9: unchanged documents (same path, same content hash,
// a final status) are skipped, changed ones replaced, and containers whose children were not all saved
// (status pending) are processed again. Files that failed with error or timeout are retried; files that
// need a password are retried when a password is given.
//
// Runs synchronously on the calling thread (a QThread in the GUI); needs no event loop. The library must
// be used by no other thread meanwhile.
class Pipeline
{
public:
    Pipeline(store::Library &library, PipelineOptions options);
    ~Pipeline();
    Pipeline(const Pipeline &) = delete;
    Pipeline &operator=(const Pipeline &) = delete;

    // Progress: phase "ingest" over the given top-level files; the item is the document being saved.
    void setProgress(Progress *progress);
    // Checked between documents: when set, no new document is started; those in flight are finished and
    // committed, then run() returns with report.cancelled.
    void setCancelToken(const CancelToken *token);
    // Called on run()'s thread after each document is stored (or fails), for per-file status lists.
    void setOutcomeCallback(std::function<void(const DocumentOutcome &)> callback);

    // Fails only when the library cannot be written or no worker can be started; a document's failure
    // is an outcome.
    Expected<PipelineReport> run();

    // The worker program used when options.workerProgram is empty.
    static QString defaultWorkerProgram();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace quire::ingest
