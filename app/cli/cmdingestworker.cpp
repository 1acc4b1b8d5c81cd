// quire ingest-worker: the worker process of 'quire ingest' (and of the GUI's ingest); not for people.
#include "command.h"
#include "ingest/ingestworker.h"

#include <unistd.h>

namespace
{

// [--memory-limit BYTES]
int run(const QStringList &arguments)
{
    qint64 memoryLimit = 0;
    const qsizetype at = arguments.indexOf(QStringLiteral("--memory-limit"));
    if (at >= 0) {
        bool ok = false;
        memoryLimit = arguments.value(at + 1).toLongLong(&ok);
        if (!ok || memoryLimit < 0)
            return quire::cli::ExitUsage;
    }
    return quire::ingest::runIngestWorker(STDIN_FILENO, STDOUT_FILENO, memoryLimit);
}

const bool registered = quire::cli::registerCommand(
    { QStringLiteral("ingest-worker"), QStringLiteral("(internal) parses files for 'quire ingest'"), run });

} // namespace
