#pragma once

#include "ingest/workerprotocol.h"

#include <functional>

namespace quire::ingest
{

// The worker side of the ingest pipeline, run by `quire ingest-worker`: reads requests from `inFd`, parses
// each (hash, reader, segmentation, MinHash) and writes a Hashed then a Result frame to `outFd`, until
// `inFd` reaches its end. The process dies with its parent. Returns the process exit code.
//
// For tests, QUIRE_INGEST_FAULT="crash:NAME,hang:NAME" makes the worker crash (SIGSEGV) or hang when it
// reaches a file whose name is NAME.
int runIngestWorker(int inFd, int outFd);

// One request, in this process: what the worker does between reading a request and writing its result.
WorkResult processRequest(const WorkRequest &request, const std::function<void(const WorkHashed &)> &onHashed = {});

// The document status for a reader's error code.
store::DocumentStatus statusForError(Error::Code code);

} // namespace quire::ingest
