// quire bench ingest: ingest throughput against pdftotext, Recoll and a bare FTS5 insert.
#include "benchcorpus.h"
#include "command.h"
#include "ingest/pipeline.h"
#include "store/ftsbaseline.h"
#include "util/textutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

namespace
{

using namespace quire;
namespace bench = quire::cli::bench;

struct Measure {
    QString name;
    double seconds = 0;
    double bytes = 0;
    double pages = 0;
    QString note;
    double cpu = 0; // user + system seconds of every process it ran: steadier than wall time on a busy machine
    double mbps() const { return seconds > 0 ? bytes / 1e6 / seconds : 0; }
    double pps() const { return seconds > 0 ? pages / seconds : 0; }
};

struct QuireRun {
    Measure measure;
    std::vector<QString> texts; // stored text of every document, for the FTS5 baseline
};

Expected<QuireRun> runQuire(const QString &name, const QStringList &files, const QString &dir, int jobs)
{
    const QString libraryPath = dir + QStringLiteral("/bench-") + name + QStringLiteral(".quire");
    QFile::remove(libraryPath);
    auto library = store::Library::open(libraryPath, store::Library::OpenMode::CreateIfMissing);
    if (!library)
        return std::unexpected(library.error());
    ingest::PipelineOptions options;
    options.paths = files;
    options.jobs = jobs;
    options.read.ocr = false;
    ingest::Pipeline pipeline(**library, options);
    const double cpu = bench::cpuSeconds();
    auto report = pipeline.run();
    const double cpuUsed = bench::cpuSeconds() - cpu;
    if (!report)
        return std::unexpected(report.error());
    if (report->failed)
        return fail(Error::Code::Internal, "quire could not ingest every benchmark file");
    QuireRun run;
    run.measure = {
        QStringLiteral("quire ingest"), report->seconds, 0, name == QLatin1String("pdf") ? double(report->pages) : 0
    };
    for (const QString &f : files)
        run.measure.bytes += QFileInfo(f).size();
    auto documents = (*library)->documents();
    if (!documents)
        return std::unexpected(documents.error());
    for (const auto &d : *documents)
        run.texts.push_back((*library)->documentText(d.id).value_or(QString()));
    run.measure.cpu = cpuUsed;
    run.measure.note = QStringLiteral("%1 jobs, %2 sentences").arg(jobs).arg(report->sentences);
    return run;
}

Measure fts5Baseline(const std::vector<QString> &texts, const QString &dir, double bytes, double pages)
{
    std::vector<QString> rows;
    for (const QString &t : texts) {
        // The same tokens as the library's index: CJK characters spaced apart (util::searchForm).
        for (const QString &p : bench::paragraphs(t))
            rows.push_back(util::searchForm(p));
    }
    const double cpu = bench::cpuSeconds();
    auto seconds = store::bareFtsInsertSeconds(dir + QStringLiteral("/bare-fts5.db"), rows);
    Measure m { QStringLiteral("bare FTS5 insert"), seconds.value_or(0), bytes, pages };
    m.cpu = bench::cpuSeconds() - cpu;
    m.note = seconds ? QStringLiteral("%1 paragraphs in search form, text already extracted").arg(rows.size())
                     : QString::fromStdString(seconds.error().message);
    return m;
}

Measure recoll(const QStringList &files, const QString &dir, const QString &tag, double bytes, double pages)
{
    const QString folder = dir + QStringLiteral("/recoll-") + tag;
    QDir().mkpath(folder);
    for (const QString &f : files)
        QFile::copy(f, folder + QLatin1Char('/') + QFileInfo(f).fileName());
    const double cpu = bench::cpuSeconds();
    auto seconds = bench::timeRecoll(folder, dir + QStringLiteral("/recoll-conf-") + tag);
    Measure m { QStringLiteral("recollindex"), seconds.value_or(0), bytes, pages };
    m.cpu = bench::cpuSeconds() - cpu;
    m.note = seconds ? QStringLiteral("single process") : QString::fromStdString(seconds.error().message);
    return m;
}

void printTable(QTextStream &out, const QString &title, const std::vector<Measure> &rows)
{
    out << "\n" << title << "\n";
    const Measure &quire = rows.front();
    for (const Measure &m : rows) {
        out << "  " << m.name.leftJustified(18) << QStringLiteral("%1 s").arg(m.seconds, 7, 'f', 2).rightJustified(10)
            << QStringLiteral("%1 MB/s").arg(m.mbps(), 7, 'f', 2).rightJustified(13);
        if (m.pages > 0)
            out << QStringLiteral("%1 pages/s").arg(m.pps(), 8, 'f', 1).rightJustified(16);
        out << QStringLiteral("cpu %1 s").arg(m.cpu, 6, 'f', 2).rightJustified(14);
        if (&m != &quire && m.seconds > 0)
            out << QStringLiteral("   quire = %1x").arg(m.seconds / quire.seconds, 0, 'f', 2);
        if (&m != &quire && m.cpu > 0 && quire.cpu > 0)
            out << QStringLiteral(" (cpu %1x)").arg(m.cpu / quire.cpu, 0, 'f', 2);
        out << "   " << m.note << "\n";
    }
}

QJsonArray toJson(const std::vector<Measure> &rows)
{
    QJsonArray out;
    for (const Measure &m : rows)
        out.append(QJsonObject { { QStringLiteral("name"), m.name },
            { QStringLiteral("seconds"), m.seconds },
            { QStringLiteral("mbPerSecond"), m.mbps() },
            { QStringLiteral("pagesPerSecond"), m.pps() },
            { QStringLiteral("quireRatio"), m.seconds > 0 ? m.seconds / rows.front().seconds : 0 },
            { QStringLiteral("cpuSeconds"), m.cpu },
            { QStringLiteral("quireCpuRatio"), m.cpu > 0 && rows.front().cpu > 0 ? m.cpu / rows.front().cpu : 0 },
            { QStringLiteral("note"), m.note } });
    return out;
}

Expected<std::vector<Measure>> benchPdf(const QString &pdf, const QString &dir, int jobs)
{
    auto quire = runQuire(QStringLiteral("pdf"), { pdf }, dir, jobs);
    if (!quire)
        return std::unexpected(quire.error());
    const Measure &q = quire->measure;
    std::vector<Measure> rows { q };
    const double cpu = bench::cpuSeconds();
    auto pdftotext = bench::timeProgram(QStringLiteral("pdftotext"), { pdf, dir + QStringLiteral("/pdftotext.txt") });
    rows.push_back({ QStringLiteral("pdftotext"),
        pdftotext.value_or(0),
        q.bytes,
        q.pages,
        pdftotext ? QStringLiteral("extraction only") : QString::fromStdString(pdftotext.error().message),
        bench::cpuSeconds() - cpu });
    rows.push_back(recoll({ pdf }, dir, QStringLiteral("pdf"), q.bytes, q.pages));
    rows.push_back(fts5Baseline(quire->texts, dir, q.bytes, q.pages));
    return rows;
}

Expected<std::vector<Measure>> benchText(const QStringList &novels, const QString &dir, int jobs)
{
    auto quire = runQuire(QStringLiteral("text"), novels, dir, jobs);
    if (!quire)
        return std::unexpected(quire.error());
    const Measure &q = quire->measure;
    std::vector<Measure> rows { q };
    rows.push_back(recoll(novels, dir, QStringLiteral("text"), q.bytes, 0));
    rows.push_back(fts5Baseline(quire->texts, dir, q.bytes, 0));
    return rows;
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Ingest throughput (extract + segment + index) of freeculture.pdf and the novels of ../shared/corpus, "
        "with pdftotext, Recoll's indexer and a bare SQLite FTS5 insert measured in the same run (search "
        "latency: quire bench search)."));
    parser.addOption({ QStringLiteral("corpus"), QStringLiteral("The corpus folder."), "DIR" });
    parser.addOption({ QStringLiteral("jobs"), QStringLiteral("Worker processes (default: one per core)."), "N" });
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 0, &code))
        return code;
    QString corpus = parser.value(QStringLiteral("corpus"));
    if (corpus.isEmpty())
        corpus = bench::defaultCorpus();
    const int jobs = parser.isSet(QStringLiteral("jobs")) ? parser.value(QStringLiteral("jobs")).toInt()
                                                          : QThread::idealThreadCount();
    QJsonObject json;
    QTextStream out(stdout);
    {
        const QString pdf = corpus + QStringLiteral("/pdfs/text/freeculture.pdf");
        const QDir novelsDir(corpus + QStringLiteral("/novels"));
        QStringList novels;
        for (const QString &n : novelsDir.entryList({ QStringLiteral("*.txt") }, QDir::Files, QDir::Name))
            novels << novelsDir.filePath(n);
        if (!QFile::exists(pdf) || novels.isEmpty())
            return ctx.fail(cli::ExitNotFound, QStringLiteral("no corpus at %1 (use --corpus DIR)").arg(corpus));
        QTemporaryDir dir;
        auto pdfRows = benchPdf(pdf, dir.path(), jobs);
        if (!pdfRows)
            return ctx.fail(pdfRows.error());
        auto textRows = benchText(novels, dir.path(), jobs);
        if (!textRows)
            return ctx.fail(textRows.error());
        json.insert(QStringLiteral("pdf"), toJson(*pdfRows));
        json.insert(QStringLiteral("text"), toJson(*textRows));
        if (!ctx.json()) {
            out << "Ingest benchmark (" << QThread::idealThreadCount()
                << " cores; other work on the machine adds noise to wall time: cpu = user + system seconds of all "
                   "the processes each ran)";
            printTable(out,
                QStringLiteral("freeculture.pdf (%1 pages, goal: >= 1.0x pdftotext)").arg((*pdfRows)[0].pages),
                *pdfRows);
            printTable(
                out, QStringLiteral("%1 novels (goal: >= 5x Recoll, >= 0.7x bare FTS5)").arg(novels.size()), *textRows);
            out.flush();
        }
    }
    if (ctx.json())
        ctx.printJson(json);
    return cli::ExitOk;
}

const bool registered = cli::registerCommand({ QStringLiteral("bench-ingest"),
    QStringLiteral("Ingest throughput against pdftotext, Recoll and bare FTS5"),
    run });

} // namespace
