// The kill -9 guarantee: a `quire ingest` killed at random moments, then run again to the end, leaves the
#include <QElapsedTimer>
// same library as one uninterrupted run (nothing lost, nothing duplicated).
#include "store/database.h"
#include "store/library.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <csignal>
#include <map>

using namespace quire;

namespace
{

const QString Quire = QStringLiteral(QUIRE_BINARY);

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

// A corpus that takes a couple of seconds to ingest: many text files, a copy, a zip with a nested tar.
void makeCorpus(const QString &root)
{
    QRandomGenerator random(42);
    static const char *words[] = { "contract",
        "party",
        "agreement",
        "shall",
        "governing",
        "law",
        "notice",
        "delivery",
        "payment",
        "the",
        "of",
        "and",
        "term",
        "clause",
        "witness",
        "court",
        "filing",
        "mail" };
    for (int f = 0; f < 120; ++f) {
        QByteArray text;
        for (int s = 0; s < 300; ++s) {
            for (int w = 0; w < 12; ++w)
                text += QByteArray(words[random.bounded(18)]) + (w == 11 ? ". " : " ");
            if (s % 10 == 9)
                text += "\n\n";
        }
        writeFile(root + QStringLiteral("/in/dir%1/file%2.txt").arg(f % 7).arg(f), text);
    }
    QFile::copy(root + QStringLiteral("/in/dir0/file0.txt"), root + QStringLiteral("/in/copy-of-file0.txt"));
    writeFile(root + QStringLiteral("/build/inner/x.txt"), "Inner member of a tar. It has two sentences.");
    QDir().mkpath(root + QStringLiteral("/build/outer"));
    QProcess::execute(
        QStringLiteral("tar"), { "-C", root + "/build/inner", "-cf", root + "/build/outer/nested.tar", "x.txt" });
    writeFile(root + QStringLiteral("/build/outer/y.txt"), "Outer member of a zip. Also two sentences.");
    QProcess zip;
    zip.setWorkingDirectory(root + QStringLiteral("/build/outer"));
    zip.start(QStringLiteral("zip"), { "-q", "-r", root + "/in/archive.zip", "." });
    zip.waitForFinished();
}

int ingest(const QString &library, const QString &folder)
{
    QProcess p;
    p.start(Quire, { "ingest", library, folder, "--jobs", "2" });
    p.waitForFinished(120000);
    return p.exitCode();
}

// Everything that must match, keyed by path (ids may differ between runs).
QStringList snapshot(const QString &path)
{
    auto lib = store::Library::open(path);
    if (!lib)
        qFatal("cannot open %s", qPrintable(path));
    QStringList out;
    auto docs = (*lib)->documents();
    if (!docs)
        qFatal("cannot list documents: %s", docs.error().message.c_str());
    std::map<std::int64_t, QString> pathOf;
    for (const auto &d : *docs)
        pathOf[d.id] = d.path;
    std::map<std::int64_t, QStringList> nearGroups;
    for (const auto &d : *docs) {
        if (d.nearDuplicateGroup)
            nearGroups[*d.nearDuplicateGroup] << d.path;
    }
    for (const auto &d : *docs) {
        QStringList group = d.nearDuplicateGroup ? nearGroups[*d.nearDuplicateGroup] : QStringList();
        out << QStringLiteral("doc %1 %2 %3 %4 %5 pages=%6 parent=%7 dup=%8 near=[%9] err=%10")
                   .arg(d.path, d.contentHash, d.type, store::statusName(d.status))
                   .arg(d.size)
                   .arg(d.pageCount)
                   .arg(d.parentId ? pathOf[*d.parentId] : QString())
                   .arg(d.duplicateOf ? pathOf[*d.duplicateOf] : QString())
                   .arg(group.join(QLatin1Char(',')), d.error);
        auto sentences = (*lib)->sentences(d.id);
        if (!sentences)
            qFatal("cannot read sentences: %s", sentences.error().message.c_str());
        for (const auto &s : *sentences)
            out << QStringLiteral("  %1 %2-%3 %4").arg(s.page).arg(s.start).arg(s.end).arg(s.text);
        out << QStringLiteral("  text %1").arg(qHash((*lib)->documentText(d.id).value_or(QString())));
    }
    // The index holds exactly one entry per sentence (its docsize rows: a count(*) of an external-content
    // table counts the sentences themselves) and matches the sentences (integrity-check with rank 1).
    auto &db = (*lib)->database();
    auto fts = db.prepare("SELECT (SELECT count(*) FROM sentences_fts_docsize), (SELECT count(*) FROM sentences)");
    if (!fts || !fts->step())
        qFatal("cannot count the index");
    out << QStringLiteral("fts %1 sentences %2").arg(fts->int64(0)).arg(fts->int64(1));
    if (!db.exec("INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)"))
        out << QStringLiteral("fts integrity check failed");
    return out;
}

} // namespace

class IngestCrashTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killedRunsConverge()
    {
        QTemporaryDir dir;
        makeCorpus(dir.path());
        const QString reference = dir.filePath(QStringLiteral("reference.quire"));
        const QString killed = dir.filePath(QStringLiteral("killed.quire"));
        QCOMPARE(QProcess::execute(Quire, { "init", reference }), 0);
        QCOMPARE(QProcess::execute(Quire, { "init", killed }), 0);
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(ingest(reference, dir.filePath(QStringLiteral("in"))), 0);
        const int fullMs = static_cast<int>(timer.elapsed());
        qInfo("uninterrupted ingest: %d ms", fullMs);

        QRandomGenerator random(7);
        for (int round = 0; round < 6; ++round) {
            QProcess p;
            p.start(Quire, { "ingest", killed, dir.filePath(QStringLiteral("in")), "--jobs", "2" });
            QVERIFY(p.waitForStarted());
            QThread::msleep(static_cast<unsigned long>(random.bounded(50, std::max(100, fullMs))));
            ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
            p.waitForFinished();
        }
        QCOMPARE(ingest(killed, dir.filePath(QStringLiteral("in"))), 0);
        const QStringList expected = snapshot(reference);
        const QStringList actual = snapshot(killed);
        QVERIFY(expected.size() > 1000);
        if (actual != expected) {
            for (qsizetype i = 0; i < std::min(actual.size(), expected.size()); ++i) {
                if (actual[i] != expected[i])
                    QFAIL(qPrintable(
                        QStringLiteral("first difference:\n  got  %1\n  want %2").arg(actual[i], expected[i])));
            }
            QCOMPARE(actual.size(), expected.size());
        }
        // And a run over an unchanged folder changes nothing.
        QCOMPARE(ingest(killed, dir.filePath(QStringLiteral("in"))), 0);
        QCOMPARE(snapshot(killed), expected);
    }
};

QTEST_GUILESS_MAIN(IngestCrashTest)
#include "ingestcrashtest.moc"
