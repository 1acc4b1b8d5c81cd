// Drives the real `quire` binary: exit codes, --help, --json, and the library life cycle.
#include "store/database.h"
#include "store/library.h"

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
};

QTEST_GUILESS_MAIN(CliTest)
#include "clitest.moc"
