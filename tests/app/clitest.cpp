// Drives the real `quire` binary: exit codes, --help, --json, and the library life cycle.
#include "store/database.h"
#include "store/library.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace
{

struct Result {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Result runQuire(const QStringList &arguments)
{
    QProcess p;
    p.start(QStringLiteral(QUIRE_BINARY), arguments);
    p.waitForFinished(60000);
    return {
        p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()
    };
}

} // namespace

class CliTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("no arguments") << QStringList() << 2;
        QTest::newRow("--help") << QStringList { QStringLiteral("--help") } << 0;
        QTest::newRow("--version") << QStringList { QStringLiteral("--version") } << 0;
        QTest::newRow("unknown command") << QStringList { QStringLiteral("frobnicate") } << 2;
        QTest::newRow("init --help") << QStringList { QStringLiteral("init"), QStringLiteral("--help") } << 0;
        QTest::newRow("init without LIB") << QStringList { QStringLiteral("init") } << 2;
        QTest::newRow("unknown option") << QStringList { QStringLiteral("info"), QStringLiteral("--bogus") } << 2;
        QTest::newRow("info on a missing library")
            << QStringList { QStringLiteral("info"), QStringLiteral("/nonexistent/x.quire") } << 4;
    }
    void exitCodes()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        const Result r = runQuire(arguments);
        QCOMPARE(r.exitCode, exitCode);
    }

    void helpListsCommands()
    {
        const Result r = runQuire({ QStringLiteral("--help") });
        QVERIFY(r.out.contains("init"));
        QVERIFY(r.out.contains("info"));
    }

    void initThenInfo()
    {
        QTemporaryDir dir;
        const QString lib = dir.filePath(QStringLiteral("matter.quire"));
        Result r = runQuire({ QStringLiteral("init"), lib, QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("library")).toString(), lib);
        QCOMPARE(runQuire({ QStringLiteral("init"), lib }).exitCode, 1); // never overwrites
        r = runQuire({ QStringLiteral("info"), lib, QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject info = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("library")).toObject();
        QCOMPARE(info.value(QStringLiteral("documents")).toInt(), 0);
        QCOMPARE(info.value(QStringLiteral("schemaVersion")).toInt(), quire::store::Library::latestSchemaVersion());
        r = runQuire({ QStringLiteral("info"), lib });
        QVERIFY(r.out.contains("Documents"));
        QVERIFY(r.out.contains("OCR"));
    }

    void refusesNewerLibraryWithExitCode5()
    {
        QTemporaryDir dir;
        const QString lib = dir.filePath(QStringLiteral("new.quire"));
        QCOMPARE(runQuire({ QStringLiteral("init"), lib }).exitCode, 0);
        {
            auto opened = quire::store::Library::open(lib);
            QVERIFY(opened);
            QVERIFY((*opened)->database().exec("UPDATE meta SET value = '999' WHERE key = 'schema_version'"));
        }
        const Result r = runQuire({ QStringLiteral("info"), lib });
        QCOMPARE(r.exitCode, 5);
        QVERIFY(r.err.contains("newer version of Quire"));
    }

    void jsonErrors()
    {
        const Result r
            = runQuire({ QStringLiteral("info"), QStringLiteral("/nonexistent/x.quire"), QStringLiteral("--json") });
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));
        QVERIFY(!o.value(QStringLiteral("error")).toString().isEmpty());
    }

    void askJson()
    {
        QTemporaryDir dir;
        const QString lib = dir.filePath(QStringLiteral("ask.quire"));
        std::int64_t id = 0;
        {
            auto opened = quire::store::Library::open(lib, quire::store::Library::OpenMode::CreateIfMissing);
            QVERIFY(opened);
            quire::store::DocumentRecord record;
            record.path = QStringLiteral("/archive/lease.txt");
            record.title = QStringLiteral("Lease");
            record.type = QStringLiteral("text");
            record.status = quire::store::DocumentStatus::Ok;
            quire::store::DocumentContent content;
            content.text
                = QStringLiteral("The tenant pays the rent monthly. The landlord signed the lease in May 2019.");
            content.pages.push_back({ 1, 0, int(content.text.size()), 0, 0, false, {} });
            content.sentences.push_back({ 0, 0, 1, 0, 33, content.text.left(33) });
            content.sentences.push_back({ 0, 0, 1, 34, int(content.text.size()), content.text.mid(34) });
            auto saved = (*opened)->saveDocument(record, content);
            QVERIFY(saved);
            id = *saved;
        }
        Result r = runQuire(
            { QStringLiteral("ask"), lib, QStringLiteral("When was the lease signed?"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("model_used")).toBool(), false);
        const QJsonArray passages = o.value(QStringLiteral("passages")).toArray();
        QCOMPARE(passages.size(), 1);
        const QJsonObject first = passages.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("document")).toInteger(), id);
        QCOMPARE(first.value(QStringLiteral("number")).toInt(), 1);
        QVERIFY(first.value(QStringLiteral("text")).toString().contains(QStringLiteral("signed the lease")));
        QCOMPARE(first.value(QStringLiteral("sentences")).toArray().size(), 2);

        r = runQuire({ QStringLiteral("ask"),
            lib,
            QStringLiteral("When was the lease signed?"),
            QStringLiteral("--json"),
            QStringLiteral("--model"),
            QStringLiteral(QUIRE_SOURCE_DIR "/tests/data/reference/stories260K.gguf"),
            QStringLiteral("--max-tokens"),
            QStringLiteral("8"),
            QStringLiteral("--temp"),
            QStringLiteral("0"),
            QStringLiteral("--device"),
            QStringLiteral("cpu") });
        QCOMPARE(r.exitCode, 0);
        o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("model_used")).toBool(), true);
        QVERIFY(!o.value(QStringLiteral("answer")).toString().isEmpty());
        QVERIFY(o.value(QStringLiteral("citations")).isArray());
        QCOMPARE(o.value(QStringLiteral("prompt_passages")).toInt(), 1);

        r = runQuire({ QStringLiteral("ask"), lib, QStringLiteral("what is it?"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(
            QJsonDocument::fromJson(r.out).object().value(QStringLiteral("code")).toString(), QStringLiteral("empty"));
        QCOMPARE(runQuire({ QStringLiteral("ask"),
                              lib,
                              QStringLiteral("rent"),
                              QStringLiteral("--passages"),
                              QStringLiteral("0") })
                     .exitCode,
            2);
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "clitest.moc"
