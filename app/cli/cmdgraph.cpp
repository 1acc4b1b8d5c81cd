// quire graph LIB --format graphml|gexf|json|dot [--doc ID] [--chapters A-B] [-o FILE]
#include "analysis/relationgraph.h"
#include "command.h"
#include "store/library.h"

#include <QFile>
#include <QRegularExpression>
#include <QTextStream>

namespace
{

using namespace quire;

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Export the co-occurrence graph of entities (sentence and paragraph windows, normalised PMI), every edge with "
        "its evidence sentence ids. --chapters limits it to a chapter range, so nothing past a reader's chapter "
        "shows."));
    parser.addPositionalArgument(QStringLiteral("LIB"), QStringLiteral("The library file."));
    parser.addOption({ QStringLiteral("format"),
        QStringLiteral("graphml, gexf, json or dot (default json)."),
        QStringLiteral("F"),
        QStringLiteral("json") });
    parser.addOption({ QStringLiteral("doc"), QStringLiteral("Only document ID."), QStringLiteral("ID") });
    parser.addOption(
        { QStringLiteral("chapters"), QStringLiteral("Only chapters A to B (e.g. 1-10)."), QStringLiteral("A-B") });
    parser.addOption({ QStringLiteral("types"),
        QStringLiteral("Entity types, comma-separated (default person; 'all')."),
        QStringLiteral("T"),
        QStringLiteral("person") });
    parser.addOption({ QStringLiteral("nodes"),
        QStringLiteral("At most N entities (default 50)."),
        QStringLiteral("N"),
        QStringLiteral("50") });
    parser.addOption({ QStringLiteral("min-count"),
        QStringLiteral("Co-occurrences an edge needs (default 2)."),
        QStringLiteral("N"),
        QStringLiteral("2") });
    parser.addOption({ { QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("Write to FILE instead of stdout."),
        QStringLiteral("FILE") });
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 1, &code))
        return code;
    analysis::GraphOptions options;
    if (parser.isSet(QStringLiteral("doc")))
        options.documentId = parser.value(QStringLiteral("doc")).toLongLong();
    if (parser.isSet(QStringLiteral("chapters"))) {
        static const QRegularExpression range(QStringLiteral("^(\\d+)(?:-(\\d+))?$"));
        const auto m = range.match(parser.value(QStringLiteral("chapters")));
        if (!m.hasMatch())
            return ctx.fail(cli::ExitUsage, QStringLiteral("--chapters wants A-B, e.g. 1-10"));
        options.firstSection = m.captured(1).toInt();
        options.lastSection = m.captured(2).isEmpty() ? options.firstSection : m.captured(2).toInt();
    }
    const QString types = parser.value(QStringLiteral("types"));
    options.types = types == QLatin1String("all") ? QStringList() : types.split(QLatin1Char(','), Qt::SkipEmptyParts);
    options.maxNodes = parser.value(QStringLiteral("nodes")).toInt();
    options.minCount = parser.value(QStringLiteral("min-count")).toInt();
    const QString format = parser.value(QStringLiteral("format"));
    QString (*exporter)(const analysis::RelationGraph &) = format == QLatin1String("graphml") ? &analysis::toGraphMl
        : format == QLatin1String("gexf")                                                     ? &analysis::toGexf
        : format == QLatin1String("dot")                                                      ? &analysis::toDot
        : format == QLatin1String("json")                                                     ? &analysis::toJson
                                                                                              : nullptr;
    if (!exporter)
        return ctx.fail(cli::ExitUsage, QStringLiteral("--format must be graphml, gexf, json or dot"));
    auto library = store::Library::open(parser.positionalArguments().at(0));
    if (!library)
        return ctx.fail(library.error());
    auto graph = analysis::GraphBuilder::build(**library, options);
    if (!graph)
        return ctx.fail(graph.error());
    const QByteArray data = exporter(*graph).toUtf8();
    if (!parser.isSet(QStringLiteral("output"))) {
        QTextStream(stdout) << QString::fromUtf8(data);
        return cli::ExitOk;
    }
    QFile file(parser.value(QStringLiteral("output")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size())
        return ctx.fail(Error { Error::Code::Io, "cannot write " + file.fileName().toStdString() });
    return cli::ExitOk;
}

const bool registered = cli::registerCommand(
    { QStringLiteral("graph"), QStringLiteral("Export the entity relation graph (graphml, gexf, json, dot)"), run });

} // namespace
