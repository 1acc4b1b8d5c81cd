// quire entities LIB [--type T] [--top N] [--doc ID]
// quire entities LIB merge A B | rename ID NAME | retype ID TYPE | delete ID | split ID FORM...
#include "analysis/entitytypes.h"
#include "command.h"
#include "store/analysisstore.h"
#include "store/library.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace
{

using namespace quire;

QJsonObject toJson(const store::EntityRow &e)
{
    return QJsonObject { { QStringLiteral("id"), qint64(e.id) },
        { QStringLiteral("key"), e.key },
        { QStringLiteral("name"), e.name },
        { QStringLiteral("type"), e.type },
        { QStringLiteral("mentions"), qint64(e.mentions) },
        { QStringLiteral("documents"), qint64(e.documents) },
        { QStringLiteral("chapters"), qint64(e.spread) },
        { QStringLiteral("aliases"), QJsonArray::fromStringList(e.aliases) } };
}

int list(cli::Context &ctx, store::Library &library, const QCommandLineParser &parser)
{
    store::EntityQuery query;
    query.type = parser.value(QStringLiteral("type"));
    if (!query.type.isEmpty() && analysis::typeFromName(query.type))
        query.type = analysis::typeName(*analysis::typeFromName(query.type));
    query.limit = parser.isSet(QStringLiteral("top")) ? parser.value(QStringLiteral("top")).toInt() : 50;
    if (parser.isSet(QStringLiteral("doc")))
        query.documentId = parser.value(QStringLiteral("doc")).toLongLong();
    auto rows = store::AnalysisStore(library).entities(query);
    if (!rows)
        return ctx.fail(rows.error());
    if (ctx.json()) {
        QJsonArray array;
        for (const auto &e : *rows)
            array.append(toJson(e));
        ctx.printJson(array);
        return cli::ExitOk;
    }
    QTextStream out(stdout);
    for (const auto &e : *rows) {
        out << QString::number(e.id).rightJustified(6) << "  " << e.type.leftJustified(12) << ' '
            << QString::number(e.mentions).rightJustified(6) << "  " << e.name;
        QStringList others = e.aliases;
        others.removeAll(e.name);
        if (!others.isEmpty())
            out << "  (" << others.mid(0, 6).join(QStringLiteral(", ")) << ')';
        out << '\n';
    }
    return cli::ExitOk;
}

Expected<store::EntityRow> entityById(store::AnalysisStore &store, const QString &text)
{
    bool ok = false;
    const std::int64_t id = text.toLongLong(&ok);
    if (!ok)
        return fail(Error::Code::InvalidArgument,
            "'" + text.toStdString() + "' is not an entity id (see 'quire entities LIB')");
    auto e = store.entity(id);
    if (!e)
        return std::unexpected(e.error());
    if (!*e)
        return fail(Error::Code::NotFound, "no entity " + text.toStdString());
    return **e;
}

// Records one edit in the log (by the entities' stable keys) and rebuilds the entities with it.
Expected<QString> edit(store::Library &library, const QStringList &args)
{
    store::AnalysisStore store(library);
    const QString op = args.value(0);
    const int needed = op == QLatin1String("delete") ? 2 : 3;
    if (args.size() < needed)
        return fail(Error::Code::InvalidArgument,
            "usage: quire entities LIB merge A B | rename ID NAME | retype ID TYPE | "
            "delete ID | split ID FORM...");
    auto entity = entityById(store, args.value(1));
    if (!entity)
        return std::unexpected(entity.error());
    QString argument = args.mid(2).join(QLatin1Char(' '));
    if (op == QLatin1String("merge")) {
        auto absorbed = entityById(store, args.value(2)); // B joins A: logged as (B, into A)
        if (!absorbed)
            return std::unexpected(absorbed.error());
        if (auto ok = store.addEdit(op, absorbed->key, entity->key); !ok)
            return std::unexpected(ok.error());
    } else {
        if (op == QLatin1String("retype")) {
            const auto type = analysis::typeFromName(argument);
            if (!type)
                return fail(Error::Code::InvalidArgument, "unknown type '" + argument.toStdString() + "'");
            argument = analysis::typeName(*type);
        } else if (op == QLatin1String("split")) {
            argument = QString::fromUtf8(
                QJsonDocument(QJsonArray::fromStringList(args.mid(2))).toJson(QJsonDocument::Compact));
        } else if (op != QLatin1String("rename") && op != QLatin1String("delete")) {
            return fail(Error::Code::InvalidArgument, "unknown entity edit '" + op.toStdString() + "'");
        }
        if (auto ok = store.addEdit(op, entity->key, argument); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = store.rebuildEntities(); !ok)
        return std::unexpected(ok.error());
    return op + QStringLiteral(" recorded for ") + entity->name + QStringLiteral(" (kept across re-analysis)");
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "List the entities found by 'quire analyze', most mentioned first, or edit them: merge A B (B joins A), "
        "rename ID NAME, retype ID TYPE, delete ID, split ID FORM... (mentions written as FORM become a new entity). "
        "Edits are kept in the library and re-applied after every analysis."));
    parser.addPositionalArgument(QStringLiteral("LIB"), QStringLiteral("The library file."));
    parser.addPositionalArgument(QStringLiteral("EDIT"),
        QStringLiteral("merge|rename|retype|delete|split and its arguments."),
        QStringLiteral("[EDIT ...]"));
    parser.addOption({ QStringLiteral("type"),
        QStringLiteral("Only entities of TYPE (person, organisation, place, date, "
                       "money, quantity, party, court, case_number, statute, other)."),
        QStringLiteral("TYPE") });
    parser.addOption({ QStringLiteral("top"),
        QStringLiteral("Show the N most mentioned (default 50; 0 = all)."),
        QStringLiteral("N") });
    parser.addOption({ QStringLiteral("doc"), QStringLiteral("Only mentions in document ID."), QStringLiteral("ID") });
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 1, &code))
        return code;
    QStringList positional = parser.positionalArguments();
    static const QStringList edits = { QStringLiteral("merge"),
        QStringLiteral("rename"),
        QStringLiteral("retype"),
        QStringLiteral("delete"),
        QStringLiteral("split") };
    if (edits.contains(positional.first()) && positional.size() > 1) // "quire entities merge LIB A B" works too
        positional.swapItemsAt(0, 1);
    auto library = store::Library::open(positional.first());
    if (!library)
        return ctx.fail(library.error());
    if (positional.size() == 1)
        return list(ctx, **library, parser);
    auto done = edit(**library, positional.mid(1));
    if (!done)
        return ctx.fail(done.error());
    if (ctx.json())
        ctx.printJson(QJsonObject { { QStringLiteral("ok"), true }, { QStringLiteral("message"), *done } });
    else
        QTextStream(stdout) << *done << '\n';
    return cli::ExitOk;
}

const bool registered = cli::registerCommand({ QStringLiteral("entities"),
    QStringLiteral("List entities with their aliases, or merge/rename/retype/delete/split them"),
    run });

} // namespace
