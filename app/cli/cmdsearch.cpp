// quire search LIB "query": full-text search over a library's sentences.
#include "command.h"
#include "store/rankedsearch.h"
#include "termmarks.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>
#include <unistd.h>

namespace
{

using namespace quire;

QJsonObject toJson(const store::SearchHit &hit)
{
    QJsonArray highlights;
    for (const auto &[offset, length] : hit.highlights)
        highlights.append(QJsonArray { offset, length });
    return { { QStringLiteral("document"), qint64(hit.documentId) },
        { QStringLiteral("path"), hit.path },
        { QStringLiteral("title"), hit.title },
        { QStringLiteral("page"), hit.page },
        { QStringLiteral("sentence"), qint64(hit.sentenceId) },
        { QStringLiteral("start"), hit.start },
        { QStringLiteral("end"), hit.end },
        { QStringLiteral("snippet"), hit.snippet },
        { QStringLiteral("highlights"), highlights },
        { QStringLiteral("score"), hit.score } };
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Search a library's text. FTS5 syntax: words, \"exact phrases\", AND/OR/NOT, prefix*; Chinese and "
        "Japanese work as typed. Exact duplicates are left out (their original is shown)."));
    parser.addPositionalArgument(QStringLiteral("LIB"), QStringLiteral("The library file."));
    parser.addPositionalArgument(QStringLiteral("QUERY"), QStringLiteral("What to look for."));
    parser.addOption({ QStringLiteral("limit"), QStringLiteral("Results to show (default 20)."), "N", "20" });
    parser.addOption({ { QStringLiteral("document"), QStringLiteral("doc") },
        QStringLiteral("Only in this document (its id, see 'quire info')."),
        "ID" });
    parser.addOption({ QStringLiteral("type"),
        QStringLiteral("Only documents of this type (pdf, text, html, eml, epub ...)."),
        "T" });
    parser.addOption({ QStringLiteral("from"),
        QStringLiteral("Only documents dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD; the document's "
                       "creation date, else its modification date, else the file's)."),
        "DATE" });
    parser.addOption({ QStringLiteral("to"), QStringLiteral("Only documents dated on or before DATE."), "DATE" });
    parser.addOption({ QStringLiteral("all"), QStringLiteral("Include exact duplicates and rank every match.") });
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 2, &code))
        return code;
    const QStringList positional = parser.positionalArguments();
    store::RankedSearchOptions options;
    bool ok = true;
    options.limit = parser.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || options.limit <= 0)
        return ctx.fail(cli::ExitUsage, QStringLiteral("--limit needs a positive number"));
    if (parser.isSet(QStringLiteral("document"))) {
        options.filter.documentId = parser.value(QStringLiteral("document")).toLongLong(&ok);
        if (!ok)
            return ctx.fail(cli::ExitUsage, QStringLiteral("--document needs a document id (see 'quire info')"));
    }
    options.filter.type = parser.value(QStringLiteral("type"));
    for (const auto &[name, last] :
        { std::pair(QStringLiteral("from"), false), std::pair(QStringLiteral("to"), true) }) {
        if (!parser.isSet(name))
            continue;
        const QDate date = store::SearchFilter::parseBound(parser.value(name), last);
        if (!date.isValid())
            return ctx.fail(cli::ExitUsage,
                QStringLiteral("--%1 needs a date as YYYY, YYYY-MM or YYYY-MM-DD, not '%2'")
                    .arg(name, parser.value(name)));
        (last ? options.filter.to : options.filter.from) = date;
    }
    if (options.filter.from.isValid() && options.filter.to.isValid() && options.filter.from > options.filter.to)
        return ctx.fail(cli::ExitUsage, QStringLiteral("--from is after --to: nothing can match"));
    if (parser.isSet(QStringLiteral("all"))) {
        options.includeDuplicates = true;
        options.candidateLimit = 0;
    }
    auto library = store::Library::open(positional.at(0));
    if (!library)
        return ctx.fail(library.error());
    QElapsedTimer timer;
    timer.start();
    auto result = store::rankedSearch(**library, positional.mid(1).join(QLatin1Char(' ')), options);
    if (!result)
        return ctx.fail(result.error());
    const double ms = timer.nsecsElapsed() / 1e6;
    if (ctx.json()) {
        QJsonArray hits;
        for (const store::SearchHit &hit : result->hits)
            hits.append(toJson(hit));
        ctx.printJson(QJsonObject { { QStringLiteral("query"), positional.mid(1).join(QLatin1Char(' ')) },
            { QStringLiteral("hits"), hits },
            { QStringLiteral("ranked"), qint64(result->candidates) },
            { QStringLiteral("truncated"), result->truncated },
            { QStringLiteral("milliseconds"), ms } });
        return cli::ExitOk;
    }
    QTextStream out(stdout);
    const bool terminal = isatty(STDOUT_FILENO) != 0;
    for (const store::SearchHit &hit : result->hits) {
        const QString name = hit.title.isEmpty() ? hit.path.section(QLatin1Char('/'), -1) : hit.title;
        out << '[' << hit.documentId << "] " << name << ", p. " << hit.page << "  (" << hit.path << ")\n    "
            << cli::markTerms(hit.snippet, hit.highlights, terminal) << "\n";
    }
    if (result->hits.empty())
        out << "No matches.\n";
    else if (result->truncated)
        out << QStringLiteral("(best of the first %1 matches, %2 ms; --all ranks every match)\n")
                   .arg(result->candidates)
                   .arg(ms, 0, 'f', 1);
    return cli::ExitOk;
}

const bool registered
    = cli::registerCommand({ QStringLiteral("search"), QStringLiteral("Search a library's text"), run });

} // namespace
