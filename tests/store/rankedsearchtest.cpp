#include "store/rankedsearch.h"

#include <QDateTime>
#include <QTest>

using namespace quire;
using namespace quire::store;

namespace
{

DocumentContent oneSentence(const QString &sentence)
{
    DocumentContent c;
    c.text = sentence;
    c.sentences.push_back({ 0, 0, 1, 0, static_cast<int>(sentence.size()), sentence });
    c.pages.push_back({ 1, 0, static_cast<int>(sentence.size()), 612, 792, false, {} });
    return c;
}

struct Doc {
    const char *path;
    const char *type;
    const char *created;
    const char *modified;
    const char *mtime; // file time, ISO date; empty: unknown (0)
};

// Every document mentions a whale; they differ in type and in where their date comes from.
const Doc Docs[] = {
    { "/report.pdf", "pdf", "2020-05-01T09:00:00Z", "", "2024-01-01" },
    { "/notes.txt", "text", "", "2021-07-15T10:00:00+02:00", "2024-01-01" },
    { "/letter.eml", "eml", "", "", "2022-01-10" },
    { "/page.html", "html", "", "", "" },
};

std::unique_ptr<Library> sampleLibrary(int extraPdfs)
{
    auto lib = Library::openInMemory();
    if (!lib)
        return nullptr;
    // Padding first, so that in index order the filtered documents come after many other matches.
    for (int i = 0; i < extraPdfs; ++i) {
        DocumentRecord d;
        d.path = QStringLiteral("/padding%1.pdf").arg(i);
        d.type = QStringLiteral("pdf");
        d.created = QStringLiteral("2019-01-01");
        (void)(*lib)->saveDocument(d, oneSentence(QStringLiteral("A whale of a padding sentence.")));
    }
    for (const Doc &doc : Docs) {
        DocumentRecord d;
        d.path = QString::fromLatin1(doc.path);
        d.type = QString::fromLatin1(doc.type);
        d.created = QString::fromLatin1(doc.created);
        d.modified = QString::fromLatin1(doc.modified);
        const QDate mtime = QDate::fromString(QString::fromLatin1(doc.mtime), Qt::ISODate);
        d.mtime = mtime.isValid() ? mtime.startOfDay(Qt::UTC).toSecsSinceEpoch() : 0;
        (void)(*lib)->saveDocument(d, oneSentence(QStringLiteral("The whale in %1.").arg(d.path)));
    }
    return std::move(*lib);
}

} // namespace

class RankedSearchTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void filters_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("document"); // path of the one document to search in
        QTest::addColumn<QDate>("from");
        QTest::addColumn<QDate>("to");
        QTest::addColumn<int>("candidateLimit");
        QTest::addColumn<QStringList>("expected");
        const QStringList all { "/report.pdf", "/notes.txt", "/letter.eml", "/page.html" };
        QTest::newRow("none") << QString() << QString() << QDate() << QDate() << 1000 << all;
        QTest::newRow("type") << "pdf" << QString() << QDate() << QDate() << 1000 << QStringList { "/report.pdf" };
        QTest::newRow("document") << QString() << "/notes.txt" << QDate() << QDate() << 1000
                                  << QStringList { "/notes.txt" };
        QTest::newRow("from: modified and file dates; undated left out")
            << QString() << QString() << QDate(2021, 1, 1) << QDate() << 1000
            << QStringList { "/notes.txt", "/letter.eml" };
        QTest::newRow("to: created date")
            << QString() << QString() << QDate() << QDate(2020, 12, 31) << 1000 << QStringList { "/report.pdf" };
        QTest::newRow("inclusive day") << QString() << QString() << QDate(2021, 7, 15) << QDate(2021, 7, 15) << 1000
                                       << QStringList { "/notes.txt" };
        QTest::newRow("type and date") << "text" << QString() << QDate(2022, 1, 1) << QDate() << 1000 << QStringList();
        QTest::newRow("bm25 path (no candidate limit)")
            << "eml" << QString() << QDate(2022, 1, 10) << QDate(2022, 1, 10) << 0 << QStringList { "/letter.eml" };
    }
    void filters()
    {
        QFETCH(QString, type);
        QFETCH(QString, document);
        QFETCH(QDate, from);
        QFETCH(QDate, to);
        QFETCH(int, candidateLimit);
        QFETCH(QStringList, expected);
        auto lib = sampleLibrary(0);
        QVERIFY(lib);
        RankedSearchOptions options;
        options.candidateLimit = candidateLimit;
        options.filter = { std::nullopt, type, from, to };
        if (!document.isEmpty())
            options.filter.documentId = lib->documentByPath(document)->value().id;
        auto result = rankedSearch(*lib, QStringLiteral("whale"), options);
        QVERIFY2(result, result ? "" : result.error().message.c_str());
        QStringList paths;
        for (const SearchHit &hit : result->hits)
            paths << hit.path;
        paths.sort();
        expected.sort();
        QCOMPARE(paths, expected);
    }

    void parseBound_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("last");
        QTest::addColumn<QDate>("expected");
        QTest::newRow("year") << "2021" << false << QDate(2021, 1, 1);
        QTest::newRow("year, last") << "2021" << true << QDate(2021, 12, 31);
        QTest::newRow("month, last") << "2024-02" << true << QDate(2024, 2, 29);
        QTest::newRow("day") << " 2021-03-15 " << true << QDate(2021, 3, 15);
        QTest::newRow("no such day") << "2021-02-30" << false << QDate();
        QTest::newRow("words") << "last year" << false << QDate();
        QTest::newRow("signed") << "2021-+3" << false << QDate();
        QTest::newRow("too many parts") << "2021-01-01-01" << false << QDate();
        QTest::newRow("empty") << "" << false << QDate();
    }
    void parseBound()
    {
        QFETCH(QString, text);
        QFETCH(bool, last);
        QFETCH(QDate, expected);
        QCOMPARE(SearchFilter::parseBound(text, last), expected);
    }

    // With more matches than candidateLimit, the filter applies to the matches counted, so documents of
    // the filtered type are found even when thousands of others match first.
    void filterAppliesBeforeTheCandidateLimit()
    {
        auto lib = sampleLibrary(50);
        QVERIFY(lib);
        RankedSearchOptions options;
        options.candidateLimit = 10;
        options.filter.type = QStringLiteral("eml");
        auto result = rankedSearch(*lib, QStringLiteral("whale"), options);
        QVERIFY2(result, result ? "" : result.error().message.c_str());
        QCOMPARE(result->hits.size(), 1u);
        QCOMPARE(result->hits.front().path, QStringLiteral("/letter.eml"));
        QVERIFY(!result->truncated);

        options.filter = { std::nullopt, QString(), QDate(2019, 1, 1), QDate(2019, 1, 1) };
        result = rankedSearch(*lib, QStringLiteral("whale"), options);
        QVERIFY(result);
        QVERIFY(result->truncated); // 50 padding documents of that day
        QCOMPARE(result->hits.size(), 10u);
    }
};

QTEST_GUILESS_MAIN(RankedSearchTest)
#include "rankedsearchtest.moc"
