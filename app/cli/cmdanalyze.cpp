// quire analyze LIB [--doc ID] [--force]: summaries, entities, relations and dates without a model.
#include "analysis/analyzer.h"
#include "command.h"
#include "store/library.h"

#include <QJsonObject>
#include <QTextStream>

namespace
{

using namespace quire;

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Analyse a library without a model: extractive summaries, entities with aliases, relations and dates. "
        "Incremental (unchanged documents are skipped) and resumable (run it again after Ctrl-C)."));
    parser.addPositionalArgument(QStringLiteral("LIB"), QStringLiteral("The library file."));
    parser.addOption({ QStringLiteral("doc"), QStringLiteral("Analyse only document ID."), QStringLiteral("ID") });
    parser.addOption({ QStringLiteral("force"), QStringLiteral("Re-analyse documents that have not changed.") });
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 1, &code))
        return code;
    analysis::AnalyzeOptions options;
    options.force = parser.isSet(QStringLiteral("force"));
    if (parser.isSet(QStringLiteral("doc"))) {
        bool ok = false;
        options.documentId = parser.value(QStringLiteral("doc")).toLongLong(&ok);
        if (!ok)
            return ctx.fail(cli::ExitUsage, QStringLiteral("--doc needs a document id"));
    }
    auto library = store::Library::open(parser.positionalArguments().at(0));
    if (!library)
        return ctx.fail(library.error());
    auto result = analysis::Analyzer::run(**library, options, ctx.progress(), cli::Context::cancel());
    if (!result)
        return ctx.fail(result.error());
    if (ctx.json()) {
        ctx.printJson(QJsonObject { { QStringLiteral("analysed"), result->analysed },
            { QStringLiteral("unchanged"), result->unchanged },
            { QStringLiteral("mentions"), qint64(result->mentions) },
            { QStringLiteral("entities"), qint64(result->entities) },
            { QStringLiteral("seconds"), result->seconds } });
    } else {
        QTextStream(stdout) << "Analysed " << result->analysed << " documents (" << result->unchanged
                            << " unchanged): " << result->mentions << " mentions, " << result->entities
                            << " entities in " << QString::number(result->seconds, 'f', 1) << " s\n";
    }
    return cli::ExitOk;
}

const bool registered = cli::registerCommand(
    { QStringLiteral("analyze"), QStringLiteral("Summaries, entities, relations and dates, without a model"), run });

} // namespace
