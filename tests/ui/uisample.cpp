// quire-ui-sample: builds libraries for the GUI's screenshots and launch-time measurement without the
// ingest pipeline.
//   quire-ui-sample OUT.quire --samples DIR      the bundled samples (text and a laid-out "pdf")
//   quire-ui-sample OUT.quire --documents N      N document rows (no content) for timing the library view
#include "samplelibrary.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <cstdio>

using namespace quire;

namespace
{

Expected<void> addManyDocuments(store::Library &lib, int count)
{
    const QString types[] = { QStringLiteral("pdf"),
        QStringLiteral("text"),
        QStringLiteral("eml"),
        QStringLiteral("html"),
        QStringLiteral("markdown") };
    store::Database::Transaction transaction(lib.database());
    for (int i = 0; i < count; ++i) {
        store::DocumentRecord r;
        const QString &type = types[i % 5];
        r.path = QStringLiteral("/archive/box-%1/item-%2.%3").arg(i / 500, 3, 10, QLatin1Char('0')).arg(i).arg(type);
        r.title = QStringLiteral("Item %1 of box %2").arg(i).arg(i / 500);
        r.type = type;
        r.size = 1000 + (i * 7919) % 5000000;
        r.mtime = 1500000000 + i * 3600;
        r.pageCount = type == QLatin1String("pdf") ? 1 + i % 300 : 1;
        r.status = i % 97 == 0 ? store::DocumentStatus::PasswordRequired : store::DocumentStatus::Ok;
        if (r.status == store::DocumentStatus::PasswordRequired)
            r.error = QStringLiteral("password required");
        r.contentHash = QString::number(i, 16);
        if (auto id = lib.upsertDocument(r); !id)
            return std::unexpected(id.error());
    }
    return transaction.commit();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("The library to create (replaced)."));
    const QCommandLineOption samples(
        QStringLiteral("samples"), QStringLiteral("resources/samples"), QStringLiteral("DIR"));
    const QCommandLineOption documents(
        QStringLiteral("documents"), QStringLiteral("Rows to create"), QStringLiteral("N"));
    parser.addOptions({ samples, documents });
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);
    const QString out = parser.positionalArguments().first();
    for (const QString suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") })
        QFile::remove(out + suffix);
    auto lib = store::Library::open(out, store::Library::OpenMode::CreateIfMissing);
    if (!lib) {
        std::fprintf(stderr, "quire-ui-sample: %s\n", lib.error().message.c_str());
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    Expected<void> result;
    if (parser.isSet(documents))
        result = addManyDocuments(**lib, parser.value(documents).toInt());
    else
        result = ui::test::buildSampleLibrary(**lib, parser.value(samples));
    if (!result) {
        std::fprintf(stderr, "quire-ui-sample: %s\n", result.error().message.c_str());
        return 1;
    }
    std::fprintf(
        stderr, "quire-ui-sample: wrote %s in %lld ms\n", qUtf8Printable(out), static_cast<long long>(timer.elapsed()));
    return 0;
}
