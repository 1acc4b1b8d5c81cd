// quire timeline LIB [--doc ID]: normalised dates in order, each with its sentence.
#include "analysis/timeline.h"
#include "command.h"
#include "store/library.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>

namespace
{

using namespace quire;

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Print the dates found by 'quire analyze', normalised (relative ones against the document's own date) and in "
        "order, each with the document and sentence it comes from."));
    parser.addPositionalArgument(QStringLiteral("LIB"), QStringLiteral("The library file."));
    parser.addOption({ QStringLiteral("doc"), QStringLiteral("Only document ID."), QStringLiteral("ID") });
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 1, &code))
        return code;
    auto library = store::Library::open(parser.positionalArguments().at(0));
    if (!library)
        return ctx.fail(library.error());
    std::optional<std::int64_t> doc;
    if (parser.isSet(QStringLiteral("doc")))
        doc = parser.value(QStringLiteral("doc")).toLongLong();
    auto events = analysis::timeline(**library, doc);
    if (!events)
        return ctx.fail(events.error());
    if (ctx.json()) {
        QJsonArray array;
        for (const auto &e : *events)
            array.append(QJsonObject { { QStringLiteral("date"), e.date },
                { QStringLiteral("text"), e.text },
                { QStringLiteral("document"), qint64(e.documentId) },
                { QStringLiteral("sentence"), qint64(e.sentenceId) },
                { QStringLiteral("start"), e.start },
                { QStringLiteral("end"), e.end },
                { QStringLiteral("context"), e.sentence } });
        ctx.printJson(array);
        return cli::ExitOk;
    }
    QTextStream out(stdout);
    for (const auto &e : *events)
        out << e.date.leftJustified(11) << ' ' << e.text << "  [doc " << e.documentId << " s." << e.sentenceId << "] "
            << e.sentence.simplified().left(120) << '\n';
    return cli::ExitOk;
}

const bool registered = cli::registerCommand(
    { QStringLiteral("timeline"), QStringLiteral("Dates in order, linked to their sentences"), run });

} // namespace
