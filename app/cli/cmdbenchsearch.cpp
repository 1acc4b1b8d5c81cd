// quire bench search: search latency over a generated library (the corpus novels, perturbed).
#include "benchcorpus.h"
#include "command.h"
#include "librarygenerator.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>

namespace
{

using namespace quire;
namespace bench = quire::cli::bench;

QStringList novelsIn(const QString &corpus)
{
    const QDir dir(corpus + QStringLiteral("/novels"));
    QStringList novels;
    for (const QString &n : dir.entryList({ QStringLiteral("*.txt") }, QDir::Files, QDir::Name))
        novels << dir.filePath(n);
    return novels;
}

Expected<double> generate(cli::Context &ctx, store::Library &library, const QString &corpus, int megabytes)
{
    const QStringList novels = novelsIn(corpus);
    if (novels.isEmpty())
        return fail(Error::Code::NotFound, "no novels in " + corpus.toStdString() + "/novels (use --corpus DIR)");
    auto generator = bench::LibraryGenerator::fromNovels(novels);
    if (!generator)
        return std::unexpected(generator.error());
    QElapsedTimer timer;
    timer.start();
    if (auto ok = generator->fill(library, megabytes, ctx.progress()); !ok)
        return std::unexpected(ok.error());
    return timer.nsecsElapsed() / 1e9;
}

void print(const QString &path,
    const store::LibraryStats &stats,
    const bench::LatencyReport &r,
    double seconds,
    int megabytes,
    const QStringList &perQuery)
{
    QTextStream out(stdout);
    if (seconds > 0)
        out << QStringLiteral("Generated %1 MiB of text in %2 s (%3 MB/s through the store)\n")
                   .arg(megabytes)
                   .arg(seconds, 0, 'f', 1)
                   .arg((double(megabytes) * (1 << 20)) / 1e6 / seconds, 0, 'f', 2);
    out << QStringLiteral("Search over %1: %2 MB file, %3 MB of text, %4 documents, %5 sentences; %6 queries\n")
               .arg(path)
               .arg(stats.fileBytes / 1e6, 0, 'f', 0)
               .arg(stats.bytes / 1e6, 0, 'f', 0)
               .arg(stats.documents)
               .arg(stats.sentences)
               .arg(r.queries);
    for (const QString &line : perQuery)
        out << "  " << line << "\n";
    out << QStringLiteral("  p50 %1 ms, p95 %2 ms (goal < 50 ms), max %3 ms\n")
               .arg(r.p50, 0, 'f', 2)
               .arg(r.p95, 0, 'f', 2)
               .arg(r.max, 0, 'f', 2);
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Search latency (p50/p95/max) of a mix of queries (common and rare words, phrases, AND/OR/NOT, "
                       "prefixes, Chinese, Japanese) over a library generated from the corpus novels, repeated with "
                       "perturbation so that terms vary."));
    parser.addOption({ QStringLiteral("library"),
        QStringLiteral("Keep the library in this file (reused, and grown by --mb, on the next run)."),
        "LIB" });
    parser.addOption({ QStringLiteral("mb"),
        QStringLiteral("MiB of text to generate first (default 1024; 0: none)."),
        "MB",
        "1024" });
    parser.addOption(
        { QStringLiteral("corpus"), QStringLiteral("The corpus folder (default ../shared/corpus)."), "DIR" });
    parser.addOption({ QStringLiteral("repeat"), QStringLiteral("Runs of each query (default 20)."), "N", "20" });
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 0, &code))
        return code;
    const QString corpus
        = parser.isSet(QStringLiteral("corpus")) ? parser.value(QStringLiteral("corpus")) : bench::defaultCorpus();
    QTemporaryDir dir;
    QString path = parser.value(QStringLiteral("library"));
    if (path.isEmpty())
        path = dir.filePath(QStringLiteral("bench-search.quire"));
    auto library = store::Library::open(path, store::Library::OpenMode::CreateIfMissing);
    if (!library)
        return ctx.fail(library.error());
    const int megabytes = parser.value(QStringLiteral("mb")).toInt();
    double seconds = 0;
    if (megabytes > 0) {
        auto generated = generate(ctx, **library, corpus, megabytes);
        if (!generated)
            return ctx.fail(generated.error());
        seconds = *generated;
    }
    QStringList perQuery;
    auto latency
        = bench::measureSearch(**library, std::max(1, parser.value(QStringLiteral("repeat")).toInt()), &perQuery);
    if (!latency)
        return ctx.fail(latency.error());
    auto stats = (*library)->stats();
    if (!stats)
        return ctx.fail(stats.error());
    if (ctx.json()) {
        ctx.printJson(QJsonObject { { QStringLiteral("library"), path },
            { QStringLiteral("fileMB"), stats->fileBytes / 1e6 },
            { QStringLiteral("textMB"), stats->bytes / 1e6 },
            { QStringLiteral("documents"), qint64(stats->documents) },
            { QStringLiteral("sentences"), qint64(stats->sentences) },
            { QStringLiteral("generateSeconds"), seconds },
            { QStringLiteral("p50ms"), latency->p50 },
            { QStringLiteral("p95ms"), latency->p95 },
            { QStringLiteral("maxms"), latency->max },
            { QStringLiteral("queries"), latency->queries },
            { QStringLiteral("perQuery"), QJsonArray::fromStringList(perQuery) } });
    } else {
        print(path, *stats, *latency, seconds, megabytes, perQuery);
    }
    return cli::ExitOk;
}

const bool registered = cli::registerCommand({ QStringLiteral("bench-search"),
    QStringLiteral("Search latency over a generated library of 1 GB (or --mb)"),
    run });

} // namespace
