// quire ingest-worker: the worker process of 'quire ingest' (and of the GUI's ingest); not for people.
#include "command.h"
#include "ingest/ingestworker.h"

#include <unistd.h>

namespace
{

int run(const QStringList &)
{
    return quire::ingest::runIngestWorker(STDIN_FILENO, STDOUT_FILENO);
}

const bool registered = quire::cli::registerCommand(
    { QStringLiteral("ingest-worker"), QStringLiteral("(internal) parses files for 'quire ingest'"), run });

} // namespace
