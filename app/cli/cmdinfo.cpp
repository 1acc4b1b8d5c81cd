// quire info [LIB]: what a library holds and what this installation can do.
#include "command.h"
#include "ingest/documentreader.h"
#include "store/library.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QLocale>
#include <QTextStream>
#include <thread>

namespace
{

using namespace quire;

QJsonObject toJson(const QMap<QString, std::int64_t> &map)
{
    QJsonObject o;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        o.insert(it.key().isEmpty() ? QStringLiteral("unknown") : it.key(), static_cast<qint64>(it.value()));
    return o;
}

QJsonObject capabilities()
{
    return QJsonObject { { QStringLiteral("version"), QStringLiteral(QUIRE_VERSION) },
        { QStringLiteral("threads"), static_cast<int>(std::thread::hardware_concurrency()) },
        { QStringLiteral("ocr"), ingest::ocrAvailable() } };
}

void printCapabilities()
{
    QTextStream(stdout) << "Quire        " << QUIRE_VERSION << '\n'
                        << "Threads      " << std::thread::hardware_concurrency() << '\n'
                        << "OCR          "
                        << (ingest::ocrAvailable() ? "available (Tesseract)"
                                                   : "not available: install tesseract-ocr and tesseract-ocr-eng")
                        << '\n';
}

void printHuman(const QString &path, const store::LibraryStats &s)
{
    QTextStream out(stdout);
    const QLocale locale;
    out << "Library      " << QFileInfo(path).absoluteFilePath() << '\n'
        << "Schema       " << s.schemaVersion << '\n'
        << "File size    " << locale.formattedDataSize(s.fileBytes) << '\n'
        << "Documents    " << s.documents << " (" << locale.formattedDataSize(s.bytes) << " of source files)\n";
    for (auto it = s.byStatus.cbegin(); it != s.byStatus.cend(); ++it)
        out << "  " << it.key().leftJustified(19) << it.value() << '\n';
    out << "Types\n";
    for (auto it = s.byType.cbegin(); it != s.byType.cend(); ++it)
        out << "  " << (it.key().isEmpty() ? QStringLiteral("unknown") : it.key()).leftJustified(19) << it.value()
            << '\n';
    out << "Pages        " << s.pages << '\n' << "Sentences    " << s.sentences << '\n';
    out.flush();
    printCapabilities();
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Show what a library holds (documents by status and type, pages, sentences) and what this "
                       "installation can do."));
    parser.addPositionalArgument(QStringLiteral("LIB"), QStringLiteral("The library file."), QStringLiteral("[LIB]"));
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 0, &code))
        return code;
    QJsonObject result { { QStringLiteral("quire"), capabilities() } };
    if (parser.positionalArguments().isEmpty()) {
        if (ctx.json())
            ctx.printJson(result);
        else
            printCapabilities();
        return cli::ExitOk;
    }
    const QString path = parser.positionalArguments().at(0);
    auto library = store::Library::open(path);
    if (!library)
        return ctx.fail(library.error());
    auto stats = (*library)->stats();
    if (!stats)
        return ctx.fail(stats.error());
    if (ctx.json()) {
        result.insert(QStringLiteral("library"),
            QJsonObject { { QStringLiteral("path"), QFileInfo(path).absoluteFilePath() },
                { QStringLiteral("schemaVersion"), stats->schemaVersion },
                { QStringLiteral("fileBytes"), static_cast<qint64>(stats->fileBytes) },
                { QStringLiteral("documents"), static_cast<qint64>(stats->documents) },
                { QStringLiteral("byStatus"), toJson(stats->byStatus) },
                { QStringLiteral("byType"), toJson(stats->byType) },
                { QStringLiteral("pages"), static_cast<qint64>(stats->pages) },
                { QStringLiteral("sentences"), static_cast<qint64>(stats->sentences) } });
        ctx.printJson(result);
    } else {
        printHuman(path, *stats);
    }
    return cli::ExitOk;
}

const bool registered = cli::registerCommand(
    { QStringLiteral("info"), QStringLiteral("Show what a library holds and what this installation can do"), run });

} // namespace
