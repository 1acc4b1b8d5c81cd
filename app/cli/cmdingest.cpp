// quire ingest LIB PATH...: add files, folders and archives to a library.
#include "command.h"
#include "ingest/pipeline.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>

namespace
{

using namespace quire;
using ingest::DocumentOutcome;

QString actionName(DocumentOutcome::Action action)
{
    switch (action) {
    case DocumentOutcome::Action::Added:
        return QStringLiteral("added");
    case DocumentOutcome::Action::Replaced:
        return QStringLiteral("replaced");
    case DocumentOutcome::Action::Unchanged:
        return QStringLiteral("unchanged");
    case DocumentOutcome::Action::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

QJsonObject toJson(const QString &library, const ingest::PipelineReport &r)
{
    QJsonArray outcomes;
    for (const DocumentOutcome &o : r.outcomes) {
        QJsonObject item { { QStringLiteral("path"), o.path },
            { QStringLiteral("action"), actionName(o.action) },
            { QStringLiteral("status"), store::statusName(o.status) } };
        if (o.documentId)
            item.insert(QStringLiteral("id"), qint64(o.documentId));
        if (!o.reason.isEmpty())
            item.insert(QStringLiteral("reason"), o.reason);
        outcomes.append(item);
    }
    return { { QStringLiteral("library"), library },
        { QStringLiteral("documents"), qint64(r.documents) },
        { QStringLiteral("added"), qint64(r.added) },
        { QStringLiteral("replaced"), qint64(r.replaced) },
        { QStringLiteral("unchanged"), qint64(r.unchanged) },
        { QStringLiteral("failed"), qint64(r.failed) },
        { QStringLiteral("cancelled"), r.cancelled },
        { QStringLiteral("bytes"), qint64(r.bytes) },
        { QStringLiteral("pages"), qint64(r.pages) },
        { QStringLiteral("sentences"), qint64(r.sentences) },
        { QStringLiteral("seconds"), r.seconds },
        { QStringLiteral("duplicates"), qint64(r.dedupe.exactDuplicates) },
        { QStringLiteral("nearDuplicateGroups"), qint64(r.dedupe.nearDuplicateGroups) },
        { QStringLiteral("mailThreads"), qint64(r.dedupe.mailThreads) },
        { QStringLiteral("outcomes"), outcomes } };
}

void printSummary(const ingest::PipelineReport &r)
{
    QTextStream out(stdout);
    out << (r.cancelled ? "Stopped: " : "Ingested ") << r.documents << " documents: " << r.added << " added, "
        << r.replaced << " replaced, " << r.unchanged << " unchanged, " << r.failed << " not ingested";
    out << QStringLiteral(" (%1 MB, %2 pages, %3 sentences in %4 s)\n")
               .arg(r.bytes / 1e6, 0, 'f', 1)
               .arg(r.pages)
               .arg(r.sentences)
               .arg(r.seconds, 0, 'f', 1);
    if (r.dedupe.exactDuplicates || r.dedupe.nearDuplicateGroups || r.dedupe.mailThreads)
        out << "Library: " << r.dedupe.exactDuplicates << " exact duplicates, " << r.dedupe.nearDuplicateGroups
            << " groups of near duplicates, " << r.dedupe.mailThreads << " mail threads\n";
    if (r.failed)
        out << "Run 'quire info LIB' for counts by status; fix the reasons above and run the same command again.\n";
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Add files, folders (recursively; hidden files are left out) and archives to a library. Each file is "
        "read in a worker process, so a damaged file fails alone. Running the same command again skips what "
        "is unchanged and completes what an interruption left undone."));
    parser.addPositionalArgument(QStringLiteral("LIB"), QStringLiteral("The library file (see 'quire init')."));
    parser.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Files, folders or archives."), "PATH...");
    parser.addOption({ QStringLiteral("password"),
        QStringLiteral("Password for encrypted PDFs; files that needed one are retried."),
        QStringLiteral("P") });
    parser.addOption({ QStringLiteral("jobs"), QStringLiteral("Worker processes (default: one per core)."), "N" });
    parser.addOption({ QStringLiteral("no-ocr"), QStringLiteral("Do not OCR pages without text.") });
    parser.addOption(
        { QStringLiteral("timeout"), QStringLiteral("Seconds allowed per document (default 60)."), "S", "60" });
    parser.addOption({ QStringLiteral("worker-memory"),
        QStringLiteral("Memory each worker process may use, in MB (default 4096; 0: no limit). A file that needs "
                       "more ends as too_large."),
        "MB",
        "4096" });
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 2, &code))
        return code;
    const QStringList positional = parser.positionalArguments();
    ingest::PipelineOptions options;
    options.paths = positional.mid(1);
    options.read.password = parser.value(QStringLiteral("password"));
    options.read.ocr = !parser.isSet(QStringLiteral("no-ocr"));
    bool ok = true;
    options.timeoutSeconds = parser.value(QStringLiteral("timeout")).toInt(&ok);
    if (!ok || options.timeoutSeconds <= 0)
        return ctx.fail(cli::ExitUsage, QStringLiteral("--timeout needs a number of seconds"));
    const qint64 workerMb = parser.value(QStringLiteral("worker-memory")).toLongLong(&ok);
    if (!ok || workerMb < 0)
        return ctx.fail(cli::ExitUsage, QStringLiteral("--worker-memory needs a number of megabytes"));
    options.workerMemoryLimit = workerMb << 20;
    if (parser.isSet(QStringLiteral("jobs"))) {
        options.jobs = parser.value(QStringLiteral("jobs")).toInt(&ok);
        if (!ok || options.jobs <= 0)
            return ctx.fail(cli::ExitUsage, QStringLiteral("--jobs needs a positive number"));
    }
    auto library = store::Library::open(positional.at(0));
    if (!library)
        return ctx.fail(library.error());
    ingest::Pipeline pipeline(**library, options);
    pipeline.setProgress(&ctx.progress());
    pipeline.setCancelToken(&cli::Context::cancel());
    auto report = pipeline.run();
    if (!report)
        return ctx.fail(report.error());
    if (ctx.json())
        ctx.printJson(toJson((*library)->path(), *report));
    else
        printSummary(*report);
    if (report->cancelled)
        return cli::ExitCancelled;
    return report->failed ? cli::ExitPartial : cli::ExitOk;
}

const bool registered = cli::registerCommand(
    { QStringLiteral("ingest"), QStringLiteral("Add files, folders and archives to a library"), run });

} // namespace
