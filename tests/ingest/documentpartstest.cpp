#include "ingest/documentparts.h"

#include "ingest/contentbuilder.h"

#include <QTest>

using namespace quire;
using namespace quire::ingest;
using store::DocumentStatus;

namespace
{

// A part as a worker sends it: pages numbered from 1 within the part, offsets into the part's text, one
// sentence per page, a section on its first page.
WorkResult part(const QStringList &pages, int firstPage, int totalPages, int level = 1)
{
    WorkResult r;
    r.id = 7;
    r.contentHash = QStringLiteral("abc");
    r.size = 100;
    r.status = DocumentStatus::Ok;
    r.type = QStringLiteral("pdf");
    r.firstPage = firstPage;
    r.totalPages = totalPages;
    r.metadata.insert(QStringLiteral("pages"), totalPages);
    store::DocumentContent &c = r.content;
    for (int i = 0; i < pages.size(); ++i) {
        if (i > 0)
            c.text += PageSeparator;
        store::PageRecord page;
        page.page = i + 1;
        page.start = int(c.text.size());
        c.text += pages[i];
        page.end = int(c.text.size());
        page.words.push_back({ page.start, page.start + 4, 10, 10, 40, 20 });
        store::SentenceRecord s;
        s.page = page.page;
        s.start = page.start;
        s.end = page.end;
        s.text = pages[i];
        c.sentences.push_back(s);
        c.pages.push_back(page);
    }
    if (!pages.isEmpty()) {
        store::SectionRecord section;
        section.level = level;
        section.title = QStringLiteral("Part at %1").arg(firstPage);
        section.page = 1;
        section.start = 0;
        section.end = int(c.text.size());
        c.sections.push_back(section);
    }
    return r;
}

} // namespace

class DocumentPartsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void assemblesInPageOrder();
    void carriesTheContinuedWord();
    void failures_data();
    void failures();
    void emptyPartsAndBlankDocuments();
};

void DocumentPartsTest::assemblesInPageOrder()
{
    DocumentParts parts(2);
    // Parts come back in any order.
    QVERIFY(!parts.add(1, part({ "Third page.", "Fourth page." }, 3, 4, 2)));
    QVERIFY(parts.add(0, part({ "First page.", "Second page." }, 1, 4)));
    const WorkResult r = parts.assemble();
    QCOMPARE(r.status, DocumentStatus::Ok);
    QCOMPARE(r.content.text, QStringLiteral("First page.\n\nSecond page.\n\nThird page.\n\nFourth page."));
    QCOMPARE(r.content.pages.size(), size_t(4));
    for (int i = 0; i < 4; ++i) {
        const store::PageRecord &p = r.content.pages[size_t(i)];
        QCOMPARE(p.page, i + 1);
        QVERIFY(r.content.text.mid(p.start, p.end - p.start).endsWith(QStringLiteral("page.")));
        QCOMPARE(p.words.front().start, p.start);
        const store::SentenceRecord &s = r.content.sentences[size_t(i)];
        QCOMPARE(s.page, i + 1);
        QCOMPARE(r.content.text.mid(s.start, s.end - s.start), s.text);
    }
    // The level-2 section of the second part ends with the text; the level-1 one contains it.
    QCOMPARE(r.content.sections.size(), size_t(2));
    QCOMPARE(r.content.sections[1].page, 3);
    QCOMPARE(r.content.sections[1].start, r.content.pages[2].start);
    QCOMPARE(r.content.sections[0].end, int(r.content.text.size()));
    QCOMPARE(r.metadata.value(QStringLiteral("pages")).toInt(), 4);
    QVERIFY(!r.minhash.isEmpty());
}

void DocumentPartsTest::carriesTheContinuedWord()
{
    WorkResult first = part({ "It had one consequence" }, 1, 2);
    first.nextPageWords.push_back({ 16, 22, 72, 60, 110, 74 }); // "quence", drawn on page 2
    DocumentParts parts(2);
    parts.add(0, std::move(first));
    parts.add(1, part({ "that nobody saw." }, 2, 2));
    const WorkResult r = parts.assemble();
    const store::PageRecord &second = r.content.pages[1];
    QCOMPARE(second.words.size(), size_t(2));
    QCOMPARE(second.words.front().start, second.start); // the page's own words first
    const store::WordBox &carried = second.words.back();
    QCOMPARE(r.content.text.mid(carried.start, carried.end - carried.start), QStringLiteral("quence"));
    QCOMPARE(carried.x0, 72.0f);
}

void DocumentPartsTest::failures_data()
{
    QTest::addColumn<int>("failing"); // the part that fails (-1: none)
    QTest::addColumn<bool>("changed"); // the second part saw other bytes
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::newRow("first part") << 0 << false << int(DocumentStatus::PasswordRequired) << "password required";
    QTest::newRow("second part") << 1 << false << int(DocumentStatus::Timeout) << "timed out after 2 s";
    QTest::newRow("file changed") << -1 << true << int(DocumentStatus::Error) << "the file changed";
}

void DocumentPartsTest::failures()
{
    QFETCH(int, failing);
    QFETCH(bool, changed);
    QFETCH(int, status);
    QFETCH(QString, reason);
    DocumentParts parts(2);
    for (int i = 0; i < 2; ++i) {
        WorkResult r = part({ QStringLiteral("Page %1.").arg(i + 1) }, i + 1, 2);
        if (i == failing) {
            r = WorkResult { 7, false, QStringLiteral("abc"), 100, DocumentStatus(status) };
            r.error = reason;
        }
        if (changed && i == 1)
            r.contentHash = QStringLiteral("def");
        parts.add(i, std::move(r));
    }
    const WorkResult r = parts.assemble();
    QCOMPARE(int(r.status), status);
    QVERIFY2(r.error.startsWith(reason), qPrintable(r.error));
    QCOMPARE(r.contentHash, QStringLiteral("abc"));
}

void DocumentPartsTest::emptyPartsAndBlankDocuments()
{
    DocumentParts parts(3);
    WorkResult scanned = part({ "  " }, 1, 2);
    scanned.metadata.insert(QStringLiteral("lowTextYieldPages"), 1);
    parts.add(0, std::move(scanned));
    parts.add(1, part({ "\n" }, 2, 2));
    parts.add(2, part({}, 3, 2)); // past the last page: nothing
    const WorkResult r = parts.assemble();
    QCOMPARE(r.content.pages.size(), size_t(2));
    QCOMPARE(r.status, DocumentStatus::Empty);
    QVERIFY2(r.error.contains(QLatin1String("scanned")), qPrintable(r.error));
    QCOMPARE(r.metadata.value(QStringLiteral("lowTextYieldPages")).toInt(), 1);
}

QTEST_GUILESS_MAIN(DocumentPartsTest)
#include "documentpartstest.moc"
