// quire init LIB: create an empty library file.
#include "command.h"
#include "store/library.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QTextStream>

namespace
{

using namespace quire;

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Create a new, empty library (one .quire file)."));
    parser.addPositionalArgument(
        QStringLiteral("LIB"), QStringLiteral("The library file to create, e.g. matter.quire."));
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 1, &code))
        return code;
    QString path = parser.positionalArguments().at(0);
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".quire");
    if (QFileInfo::exists(path))
        return ctx.fail(cli::ExitFailure, path + QStringLiteral(" already exists (use 'quire info' to inspect it)"));
    auto library = store::Library::open(path, store::Library::OpenMode::CreateIfMissing);
    if (!library)
        return ctx.fail(library.error());
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (ctx.json())
        ctx.printJson(QJsonObject { { QStringLiteral("library"), absolute },
            { QStringLiteral("schemaVersion"), (*library)->schemaVersion() } });
    else
        QTextStream(stdout) << "Created " << absolute << '\n';
    return cli::ExitOk;
}

const bool registered = cli::registerCommand({ QStringLiteral("init"), QStringLiteral("Create a new library"), run });

} // namespace
