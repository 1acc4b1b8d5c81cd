#pragma once

#include "ingest/workerprotocol.h"

#include <functional>

namespace quire::ingest
{

// The worker side of the ingest pipeline, run by `quire ingest-worker`: reads requests from `inFd`, parses
// each (hash, reader, segmentation, MinHash) and writes a Hashed then a Result frame to `outFd`, until
// `inFd` reaches its end. The process dies with its parent. Returns the process exit code.
// `memoryLimit` bytes (0: none) bound the process's address space (see WorkerMemoryLimit).
//
// For tests, QUIRE_INGEST_FAULT="crash:NAME,hang:NAME,hog:NAME,hog-abort:NAME" makes the worker crash
// (SIGSEGV), hang, or allocate memory until refused (then throw std::bad_alloc, or abort as a C library
// would) when it reaches a file whose name is NAME.
int runIngestWorker(int inFd, int outFd, qint64 memoryLimit = 0);

// One request, in this process: what the worker does between reading a request and writing its result.
WorkResult processRequest(const WorkRequest &request, const std::function<void(const WorkHashed &)> &onHashed = {});

// The document status for a reader's error code.
store::DocumentStatus statusForError(Error::Code code);

// Why a document with no text is empty; `scanned` when some pages look scanned.
QString emptyReason(bool scanned);

// Why a document failed for lack of memory; `limit` is the worker's (0: none).
QString outOfMemoryReason(const QString &name, qint64 limit);

} // namespace quire::ingest
