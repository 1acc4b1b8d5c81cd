#pragma once

#include <QtGlobal>

namespace quire::ingest
{

// The memory limit of an ingest worker process: a hostile file must not take the machine's memory. The
// limit is the soft RLIMIT_AS (address space, so it works without cgroups). When an allocation is refused,
// the worker tells the pipeline with an OutOfMemory frame before anything else happens: C++ allocations
// then throw std::bad_alloc (the document ends as too_large), and a library that aborts or crashes on a
// failed malloc (Poppler's gmalloc aborts) is reported as out of memory rather than as a crash.
class WorkerMemoryLimit
{
public:
    // Sets the limit (0: none) and installs the handlers that report reaching it on `outFd`.
    // Returns false when the limit cannot be set.
    static bool apply(qint64 bytes, int outFd);
    static qint64 bytes();

    // The request being worked on: its OutOfMemory frame is prepared here, outside any handler.
    static void beginRequest(quint64 id);
    static void endRequest();
};

} // namespace quire::ingest
