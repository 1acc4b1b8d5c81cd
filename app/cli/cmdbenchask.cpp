// quire bench-ask LIB: how long retrieval for `quire ask` takes on a library, against a plain ranked
// search for the same query measured in the same run.
#include "analysis/asker.h"
#include "command.h"
#include "store/library.h"
#include "store/rankedsearch.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>
#include <algorithm>

namespace
{

using namespace quire;

const char *const defaultQuestions[] = {
    "Who is Captain Ahab?",
    "What do the sailors say about the white whale?",
    "Where does Ishmael meet Queequeg?",
    "How is the blubber of a whale boiled?",
    "刘备、关羽、张飞在桃园做了什么？",
    "董卓是怎么死的？",
    "Who signed the contract, and when?",
    "What did the court decide about the damages?",
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

struct Row {
    QString question;
    analysis::Retrieval retrieval;
    double askMs = 0;
    double searchMs = 0;
};

Expected<Row> measure(store::Library &library, const QString &question, int repeat)
{
    Row row { question, {}, 0, 0 };
    analysis::Asker asker(library);
    std::vector<double> ask, search;
    for (int i = 0; i < repeat; ++i) {
        QElapsedTimer t;
        t.start();
        auto r = asker.retrieve(question);
        ask.push_back(t.nsecsElapsed() / 1e6);
        if (!r)
            return std::unexpected(r.error());
        row.retrieval = std::move(*r);
        t.restart();
        auto s = store::rankedSearch(library, row.retrieval.query, {});
        search.push_back(t.nsecsElapsed() / 1e6);
        if (!s)
            return std::unexpected(s.error());
    }
    row.askMs = median(ask);
    row.searchMs = median(search);
    return row;
}

int run(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Time the retrieval of `quire ask` (question → query → ranked sentences → passages) on a library, with a "
        "plain ranked search (`quire search`, 20 hits) for the same query as the reference."));
    parser.addPositionalArgument(QStringLiteral("LIB"), QStringLiteral("The library file."));
    parser.addOption({ QStringLiteral("questions"), QStringLiteral("A file with one question a line."), "FILE" });
    parser.addOption({ QStringLiteral("repeat"), QStringLiteral("Runs per question; the median counts."), "N", "5" });
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, args, 1, &code))
        return code;
    QStringList questions;
    for (const char *q : defaultQuestions)
        questions << QString::fromUtf8(q);
    if (parser.isSet(QStringLiteral("questions"))) {
        QFile f(parser.value(QStringLiteral("questions")));
        if (!f.open(QIODevice::ReadOnly))
            return ctx.fail(cli::ExitNotFound, QStringLiteral("cannot read %1").arg(f.fileName()));
        questions = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    const int repeat = std::max(1, parser.value(QStringLiteral("repeat")).toInt());
    auto library = store::Library::open(parser.positionalArguments().at(0));
    if (!library)
        return ctx.fail(library.error());
    auto stats = (*library)->stats();
    QJsonArray rows;
    QTextStream out(stdout);
    if (!ctx.json() && stats)
        out << stats->documents << " documents, " << stats->sentences << " sentences; median of " << repeat
            << " runs\n";
    for (const QString &q : questions) {
        auto row = measure(**library, q.trimmed(), repeat);
        if (!row)
            return ctx.fail(row.error());
        const double ratio = row->searchMs > 0 ? row->askMs / row->searchMs : 0;
        rows.append(QJsonObject { { QStringLiteral("question"), row->question },
            { QStringLiteral("passages"), int(row->retrieval.passages.size()) },
            { QStringLiteral("matches"), qint64(row->retrieval.matches) },
            { QStringLiteral("narrowed"), row->retrieval.narrowed },
            { QStringLiteral("retrieval_ms"), row->askMs },
            { QStringLiteral("search_ms"), row->searchMs },
            { QStringLiteral("ratio"), ratio } });
        if (!ctx.json())
            out << QStringLiteral("%1 ms  (search %2 ms, x%3)  %4 passages from %5 matches%6  %7\n")
                       .arg(row->askMs, 7, 'f', 1)
                       .arg(row->searchMs, 6, 'f', 1)
                       .arg(ratio, 0, 'f', 1)
                       .arg(row->retrieval.passages.size())
                       .arg(row->retrieval.matches)
                       .arg(row->retrieval.narrowed ? QStringLiteral(" (narrowed)") : QString())
                       .arg(row->question);
    }
    if (ctx.json())
        ctx.printJson(QJsonObject { { QStringLiteral("questions"), rows },
            { QStringLiteral("sentences"), stats ? qint64(stats->sentences) : 0 } });
    return cli::ExitOk;
}

const bool registered = cli::registerCommand(
    { QStringLiteral("bench-ask"), QStringLiteral("Retrieval time of quire ask against a plain search"), run });

} // namespace
