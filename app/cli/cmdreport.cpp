// quire report LIB --format md|html -o FILE
#include "analysis/report.h"
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
        "Write a self-contained report: summaries, top entities, the relation graph laid out by Graphviz and the "
        "timeline, every item linked to its source sentence. Run 'quire analyze' first."));
    parser.addPositionalArgument(QStringLiteral("LIB"), QStringLiteral("The library file."));
    parser.addOption({ QStringLiteral("format"),
        QStringLiteral("html (default) or md."),
        QStringLiteral("F"),
        QStringLiteral("html") });
    parser.addOption({ { QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("The report file."),
        QStringLiteral("FILE") });
    parser.addOption(
        { QStringLiteral("chapters"), QStringLiteral("Graph only chapters A to B."), QStringLiteral("A-B") });
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 1, &code))
        return code;
    analysis::ReportOptions options;
    const QString format = parser.value(QStringLiteral("format"));
    if (format != QLatin1String("html") && format != QLatin1String("md"))
        return ctx.fail(cli::ExitUsage, QStringLiteral("--format must be md or html"));
    options.format = format == QLatin1String("md") ? analysis::ReportOptions::Format::Markdown
                                                   : analysis::ReportOptions::Format::Html;
    if (!parser.isSet(QStringLiteral("output")))
        return ctx.fail(cli::ExitUsage, QStringLiteral("say where to write the report with -o FILE"));
    options.outputPath = parser.value(QStringLiteral("output"));
    const QStringList range = parser.value(QStringLiteral("chapters")).split(QLatin1Char('-'));
    if (parser.isSet(QStringLiteral("chapters"))) {
        options.graph.firstSection = range.value(0).toInt();
        options.graph.lastSection = range.value(1, range.value(0)).toInt();
    }
    auto library = store::Library::open(parser.positionalArguments().at(0));
    if (!library)
        return ctx.fail(library.error());
    if (auto ok = analysis::writeReport(**library, options); !ok)
        return ctx.fail(ok.error());
    if (ctx.json())
        ctx.printJson(QJsonObject { { QStringLiteral("report"), options.outputPath } });
    else
        QTextStream(stdout) << "Wrote " << options.outputPath << '\n';
    return cli::ExitOk;
}

const bool registered = cli::registerCommand(
    { QStringLiteral("report"), QStringLiteral("Write a Markdown or HTML report of the analysis"), run });

} // namespace
