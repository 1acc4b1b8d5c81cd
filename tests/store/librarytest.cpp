#include "store/library.h"

#include "store/database.h"

#include <QTemporaryDir>
#include <QTest>

using namespace quire;
using namespace quire::store;

namespace
{

DocumentContent makeContent(const QStringList &sentences)
{
    DocumentContent c;
    for (const QString &s : sentences) {
        SentenceRecord r;
        r.start = static_cast<int>(c.text.size());
        c.text += s;
        r.end = static_cast<int>(c.text.size());
        r.text = s;
        c.text += QLatin1Char(' ');
        c.sentences.push_back(r);
    }
    c.pages.push_back({ 1, 0, static_cast<int>(c.text.size()), 612, 792, false, { { 0, 4, 10, 20, 40, 32 } } });
    c.sections.push_back({ 0, 1, QStringLiteral("Chapter 1"), 0, static_cast<int>(c.text.size()), 1 });
    return c;
}

} // namespace

class LibraryTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createsAndReopens()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.quire"));
        QCOMPARE(Library::open(path).error().code, Error::Code::NotFound);
        {
            auto lib = Library::open(path, Library::OpenMode::CreateIfMissing);
            QVERIFY2(lib, lib ? "" : lib.error().message.c_str());
            QCOMPARE((*lib)->schemaVersion(), Library::latestSchemaVersion());
            QVERIFY((*lib)->setSetting(QStringLiteral("model"), QStringLiteral("x.gguf")));
        }
        auto lib = Library::open(path);
        QVERIFY(lib);
        QCOMPARE((*lib)->setting(QStringLiteral("model"))->value_or(QString()), QStringLiteral("x.gguf"));
    }

    // Every older schema version, built by applying the migrations up to it, opens and upgrades.
    void migratesFromEveryOlderVersion_data()
    {
        QTest::addColumn<int>("from");
        for (int v = 0; v < Library::latestSchemaVersion(); ++v)
            QTest::addRow("from v%d", v) << v;
    }
    void migratesFromEveryOlderVersion()
    {
        QFETCH(int, from);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.quire"));
        {
            auto db = Database::open(path, true);
            QVERIFY(db);
            QVERIFY((*db)->exec("PRAGMA application_id = 1364543826"));
            QVERIFY(Library::migrate(**db, from));
        }
        auto lib = Library::open(path);
        QVERIFY2(lib, lib ? "" : lib.error().message.c_str());
        QCOMPARE((*lib)->schemaVersion(), Library::latestSchemaVersion());
        DocumentRecord d;
        d.path = QStringLiteral("/x.txt");
        QVERIFY((*lib)->saveDocument(d, makeContent({ QStringLiteral("It works.") })));
    }

    // Migration 0011 moves the index to external content: what an older library indexed is found after it,
    // CJK included, and removing a document still removes its index entries.
    void migrationRebuildsTheIndex()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("v10.quire"));
        {
            auto db = Database::open(path, true);
            QVERIFY(db);
            QVERIFY((*db)->exec("PRAGMA application_id = 1364543826"));
            QVERIFY(Library::migrate(**db, 10));
            QVERIFY((*db)->exec("INSERT INTO documents(id, path, status) VALUES (1, '/old.txt', 'ok');"
                                "INSERT INTO sentences(id, document_id, start, end, text) VALUES "
                                "(1, 1, 0, 16, 'Call me Ishmael.'), (2, 1, 17, 23, '刘备曰：善。');"
                                "INSERT INTO sentences_fts(rowid, body) VALUES "
                                "(1, 'Call me Ishmael.'), (2, ' 刘  备  曰 ： 善 。')"));
        }
        auto lib = Library::open(path);
        QVERIFY2(lib, lib ? "" : lib.error().message.c_str());
        QCOMPARE((*lib)->search(QStringLiteral("ishmael"))->size(), 1u);
        auto cjk = (*lib)->search(QStringLiteral("刘备"));
        QVERIFY2(cjk, cjk ? "" : cjk.error().message.c_str());
        QCOMPARE(cjk->size(), 1u);
        QCOMPARE(cjk->front().snippet, QStringLiteral("刘备曰：善。"));
        QVERIFY(
            (*lib)->database().exec("INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)"));
        QVERIFY((*lib)->removeDocument(1));
        QVERIFY((*lib)->search(QStringLiteral("ishmael"))->empty());
        QVERIFY(
            (*lib)->database().exec("INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)"));
    }

    void refusesNewerLibrary()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("new.quire"));
        {
            auto lib = Library::open(path, Library::OpenMode::CreateIfMissing);
            QVERIFY(lib);
            QVERIFY((*lib)->database().exec("UPDATE meta SET value = '999' WHERE key = 'schema_version'"));
        }
        auto lib = Library::open(path);
        QVERIFY(!lib);
        QCOMPARE(lib.error().code, Error::Code::TooNew);
        QVERIFY(QString::fromStdString(lib.error().message).contains(QStringLiteral("newer version")));
    }

    void refusesForeignFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("sqlite");
        QTest::newRow("text file") << QByteArray("this is not a database at all, just some text") << false;
        QTest::newRow("other sqlite") << QByteArray() << true;
    }
    void refusesForeignFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, sqlite);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("foreign.quire"));
        if (sqlite) {
            auto db = Database::open(path, true);
            QVERIFY((*db)->exec("CREATE TABLE other(x)"));
        } else {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content.repeated(200));
        }
        auto lib = Library::open(path);
        QVERIFY(!lib);
        QCOMPARE(lib.error().code, Error::Code::Corrupt);
    }

    void storesContentAndReplacesIt()
    {
        auto lib = Library::openInMemory();
        QVERIFY(lib);
        DocumentRecord d;
        d.path = QStringLiteral("/doc.txt");
        d.status = DocumentStatus::Ok;
        auto id
            = (*lib)->saveDocument(d, makeContent({ QStringLiteral("Call me Ishmael."), QStringLiteral("Whale.") }));
        QVERIFY2(id, id ? "" : id.error().message.c_str());
        auto sentences = (*lib)->sentences(*id);
        QCOMPARE(sentences->size(), 2u);
        QCOMPARE((*lib)->documentText(*id)->mid(sentences->at(1).start, 6), QStringLiteral("Whale."));
        auto pages = (*lib)->pages(*id, true);
        QCOMPARE(pages->at(0).words.size(), 1u);
        QCOMPARE(pages->at(0).words[0].x1, 40.f);
        // Saving again under the same path keeps the id and replaces the content and the index.
        auto again = (*lib)->saveDocument(d, makeContent({ QStringLiteral("Only one sentence now.") }));
        QCOMPARE(*again, *id);
        QCOMPARE((*lib)->sentences(*id)->size(), 1u);
        QVERIFY((*lib)->search(QStringLiteral("Ishmael"))->empty());
        QCOMPARE((*lib)->search(QStringLiteral("sentence"))->size(), 1u);
        QVERIFY((*lib)->removeDocument(*id));
        QVERIFY((*lib)->search(QStringLiteral("sentence"))->empty());
    }

    void search_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("hits");
        QTest::addColumn<QString>("firstHighlight");
        QTest::newRow("word") << QStringLiteral("whale") << 2 << QStringLiteral("whale");
        QTest::newRow("diacritics ignored") << QStringLiteral("natasha") << 1 << QStringLiteral("Natásha");
        QTest::newRow("phrase") << QStringLiteral("\"white whale\"") << 1 << QStringLiteral("white whale");
        QTest::newRow("prefix") << QStringLiteral("Ishm*") << 1 << QStringLiteral("Ishmael");
        QTest::newRow("not") << QStringLiteral("whale NOT white") << 1 << QStringLiteral("whale");
        QTest::newRow("chinese name") << QStringLiteral("刘备") << 1 << QStringLiteral("刘备");
        QTest::newRow("japanese") << QStringLiteral("東京") << 1 << QStringLiteral("東京");
        QTest::newRow("no match") << QStringLiteral("zeppelin") << 0 << QString();
    }
    void search()
    {
        QFETCH(QString, query);
        QFETCH(int, hits);
        QFETCH(QString, firstHighlight);
        auto lib = Library::openInMemory();
        DocumentRecord d;
        d.path = QStringLiteral("/a.txt");
        d.title = QStringLiteral("A");
        QVERIFY((*lib)->saveDocument(d,
            makeContent({ QStringLiteral("Call me Ishmael."),
                QStringLiteral("The white whale swam."),
                QStringLiteral("A whale, any whale."),
                QStringLiteral("Natásha smiled."),
                QStringLiteral("玄德姓刘名备，字玄德。刘备曰：善。"),
                QStringLiteral("私は東京に住んでいます。") })));
        auto result = (*lib)->search(query);
        QVERIFY2(result, result ? "" : result.error().message.c_str());
        QCOMPARE(static_cast<int>(result->size()), hits);
        if (hits > 0) {
            const SearchHit &hit = result->front();
            QVERIFY(!hit.highlights.empty());
            QCOMPARE(hit.snippet.mid(hit.highlights[0].first, hit.highlights[0].second), firstHighlight);
            QVERIFY(!hit.snippet.contains(QStringLiteral(" 刘")));
        }
    }

    void badQueryIsAClearError()
    {
        auto lib = Library::openInMemory();
        auto result = (*lib)->search(QStringLiteral("\"unbalanced"));
        QVERIFY(!result);
        QVERIFY(QString::fromStdString(result.error().message).contains(QStringLiteral("unbalanced")));
    }

    void statsCountByStatus()
    {
        auto lib = Library::openInMemory();
        DocumentRecord a;
        a.path = QStringLiteral("/a.pdf");
        a.type = QStringLiteral("pdf");
        a.status = DocumentStatus::Ok;
        a.pageCount = 3;
        QVERIFY((*lib)->upsertDocument(a));
        DocumentRecord b = a;
        b.path = QStringLiteral("/b.pdf");
        b.status = DocumentStatus::PasswordRequired;
        b.pageCount = 0;
        QVERIFY((*lib)->upsertDocument(b));
        auto s = (*lib)->stats();
        QVERIFY(s);
        QCOMPARE(s->documents, 2);
        QCOMPARE(s->byStatus.value(QStringLiteral("password_required")), 1);
        QCOMPARE(s->byType.value(QStringLiteral("pdf")), 2);
        QCOMPARE(s->pages, 3);
    }

    void jobsAreRecorded()
    {
        auto lib = Library::openInMemory();
        auto id = (*lib)->startJob(QStringLiteral("ingest"), { { QStringLiteral("paths"), 1 } });
        QVERIFY(id);
        QVERIFY((*lib)->updateJob(*id, 5, 10, QStringLiteral("half")));
        QVERIFY((*lib)->finishJob(*id, QStringLiteral("done")));
        auto jobs = (*lib)->jobs();
        QCOMPARE(jobs->size(), 1u);
        QCOMPARE(jobs->front().state, QStringLiteral("done"));
        QCOMPARE(jobs->front().done, 5);
    }
};

QTEST_GUILESS_MAIN(LibraryTest)
#include "librarytest.moc"
