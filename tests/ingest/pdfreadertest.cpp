#include "ingest/pdfreader.h"

#include "ingest/contentbuilder.h"
#include "ingest/documentreader.h"
#include "ingest/pdftextlayout.h"
#include "ingest/segmenter.h"
#include "ingest/textdecoder.h"
#include "pdftestutil.h"

#include <QFile>
#include <QTest>

using namespace quire::ingest;
using namespace quire::ingest::test;
using Code = quire::Error::Code;

namespace
{

const QString pdfDir = QStringLiteral(QUIRE_SHARED_DIR "/corpus/pdfs");

QString corpusPdf(const QString &relative)
{
    const QString path = pdfDir + QLatin1Char('/') + relative;
    return QFile::exists(path) ? path : QString();
}

QString allText(const ParsedDocument &doc)
{
    QString text;
    for (const ParsedPage &p : doc.pages)
        text += p.text + QLatin1Char('\n');
    return text;
}

void checkBoxes(const std::vector<quire::store::WordBox> &words, const QString &text, const ParsedPage &page)
{
    for (const quire::store::WordBox &w : words) {
        QVERIFY(w.start >= 0 && w.start < w.end && w.end <= text.size());
        QVERIFY(!text.mid(w.start, w.end - w.start).contains(QLatin1Char('\n')));
        QVERIFY(w.x0 <= w.x1 && w.y0 <= w.y1);
        QVERIFY(w.x0 >= -1 && w.x1 <= page.width + 1 && w.y0 >= -1 && w.y1 <= page.height + 1);
    }
}

// Every box in its page, every offset in its text (continued words: in the previous page's text).
void checkWordBoxes(const ParsedDocument &doc)
{
    for (size_t i = 0; i < doc.pages.size(); ++i) {
        const ParsedPage &page = doc.pages[i];
        checkBoxes(page.words, page.text, page);
        QVERIFY(i > 0 || page.continuedWords.empty());
        if (i > 0)
            checkBoxes(page.continuedWords, doc.pages[i - 1].text, page);
    }
}

PdfLine line(const QStringList &words, double top)
{
    PdfLine l;
    double x = 0;
    for (const QString &w : words) {
        l.words.push_back({ w, QRectF(x, top, 10.0 * w.size(), 10), true });
        x += 10.0 * w.size() + 5;
    }
    return l;
}

} // namespace

class PdfReaderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generatedPdf();
    void hyphenationAndLigatures_data();
    void hyphenationAndLigatures();
    void rightToLeftLines();
    void ocrOfScannedPage();
    void passwords_data();
    void passwords();
    void brokenFiles_data();
    void brokenFiles();
    void damagedCopies();
    void twoColumnReadingOrder();
    void bookMetadataAndOutline();
    void scripts_data();
    void scripts();
    void lowYield_data();
    void lowYield();
    void hyphenationAcrossPages_data();
    void hyphenationAcrossPages();
    void partRanges_data();
    void partRanges();
    void partsMatchWholeRead();
};

void PdfReaderTest::generatedPdf()
{
    const QByteArray pdf = makePdf({ { { "First page, first line.",
                                           "The consequence of this is a well-known conse-",
                                           "quence that every well-",
                                           "known reader knows." },
                                         {} },
                                       { { "Second page text." }, {} } },
        QStringLiteral("Generated Title"));
    auto doc = readData(pdf, QStringLiteral("generated.pdf"), {});
    QVERIFY2(doc.has_value(), doc ? "" : doc.error().message.c_str());
    QCOMPARE(doc->type, QStringLiteral("pdf"));
    QCOMPARE(doc->title, QStringLiteral("Generated Title"));
    QCOMPARE(doc->metadata.value(QStringLiteral("creator")).toString(), QStringLiteral("quire tests"));
    QVERIFY(!doc->created.isEmpty());
    QCOMPARE(doc->pages.size(), size_t(2));
    QCOMPARE(doc->pages[0].text,
        QStringLiteral("First page, first line.\nThe consequence of this is a well-known consequence that every "
                       "well-known reader knows."));
    QCOMPARE(doc->pages[1].text, QStringLiteral("Second page text."));
    QCOMPARE(qRound(doc->pages[0].width), 595);
    QCOMPARE(qRound(doc->pages[0].height), 842);
    QCOMPARE(doc->pages[1].words.size(), size_t(3));
    const quire::store::WordBox &second = doc->pages[1].words[1];
    QCOMPARE(doc->pages[1].text.mid(second.start, second.end - second.start), QStringLiteral("page"));
    QVERIFY(second.y0 > 55 && second.y1 < 80); // the baseline is at 72 pt from the top
    checkWordBoxes(*doc);
}

void PdfReaderTest::hyphenationAndLigatures_data()
{
    QTest::addColumn<QStringList>("first");
    QTest::addColumn<QStringList>("second");
    QTest::addColumn<QString>("expected");
    QTest::newRow("break") << QStringList { "a", "conse-" } << QStringList { "quence", "b" } << "a consequence b";
    QTest::newRow("known compound") << QStringList { "self-" } << QStringList { "evident" } << "self-evident";
    QTest::newRow("capital after") << QStringList { "New-" } << QStringList { "York" } << "New-\nYork";
    QTest::newRow("dash alone") << QStringList { "a", "-" } << QStringList { "b" } << "a -\nb";
    QTest::newRow("soft hyphen") << QStringList { QStringLiteral("inter\u00AD") } << QStringList { "national" }
                                 << "international";
    QTest::newRow("ligatures") << QStringList { QStringLiteral("\uFB01nd"), QStringLiteral("e\uFB00ect") }
                               << QStringList { QStringLiteral("\uFB02ow") } << "find effect\nflow";
}

void PdfReaderTest::hyphenationAndLigatures()
{
    QFETCH(QStringList, first);
    QFETCH(QStringList, second);
    QFETCH(QString, expected);
    const std::vector<PdfLine> lines = { line(first, 0), line(second, 12) };
    HyphenLexicon lexicon;
    lexicon.add(lines);
    const PdfPageText page = layoutPage(lines, lexicon);
    QCOMPARE(page.text, expected);
    for (const auto &w : page.words)
        QVERIFY(w.end > w.start);
}

void PdfReaderTest::rightToLeftLines()
{
    // As Poppler lists them: visual order, letters reversed; "2024" stays as written.
    const std::vector<PdfLine> lines
        = { line({ QStringLiteral("ةيبرعلا"), QStringLiteral("2024"), QStringLiteral("عاونا") }, 0) };
    const PdfPageText page = layoutPage(lines, HyphenLexicon());
    QCOMPARE(page.text, QStringLiteral("انواع 2024 العربية"));
    QCOMPARE(page.words.size(), size_t(3));
}

void PdfReaderTest::ocrOfScannedPage()
{
    const QImage scan = textImage({ QStringLiteral("Quarterly report"),
        QStringLiteral("Revenue grew strongly"),
        QStringLiteral("in the northern region") });
    const QByteArray pdf = makePdf({ { {}, scan } });
    ReadOptions noOcr;
    noOcr.ocr = false;
    auto plain = readData(pdf, QStringLiteral("scan.pdf"), noOcr);
    QVERIFY(plain.has_value());
    QVERIFY(plain->pages.front().lowTextYield);
    QVERIFY(!plain->pages.front().ocr);
    if (!ocrAvailable())
        QSKIP("Tesseract with English data is not installed: OCR not tested");
    auto doc = readData(pdf, QStringLiteral("scan.pdf"), {});
    QVERIFY(doc.has_value());
    const ParsedPage &page = doc->pages.front();
    QVERIFY(page.ocr);
    QVERIFY2(page.text.contains(QStringLiteral("Quarterly report")), qPrintable(page.text));
    QVERIFY2(page.text.contains(QStringLiteral("northern region")), qPrintable(page.text));
    QVERIFY(page.words.size() >= 8);
    checkWordBoxes(*doc);
    QCOMPARE(doc->metadata.value(QStringLiteral("ocrPages")).toInt(), 1);

    // A scan under a stamped line of real text: the real text stays first and exact, OCR follows it.
    const QStringList scanLines = {
        QStringLiteral("Sales rose in the northern region"),
        QStringLiteral("while costs fell by a third, and"),
        QStringLiteral("the board approved the merger"),
        QStringLiteral("after a long meeting in March."),
        QStringLiteral("Shares closed higher on Friday"),
        QStringLiteral("as investors welcomed the news"),
        QStringLiteral("of a dividend paid in July."),
        QStringLiteral("Analysts expect further gains"),
        QStringLiteral("once the new plant opens; the"),
        QStringLiteral("union has agreed to new terms"),
        QStringLiteral("covering wages and pensions for"),
        QStringLiteral("the next five years of work."),
        QStringLiteral("Exports to Asia doubled, mostly"),
        QStringLiteral("machine tools and spare parts."),
        QStringLiteral("The chairman will retire next"),
        QStringLiteral("spring after twenty years."),
    };
    const QByteArray stamped = makePdf({ { { "Case 17-3510, Document 12, Filed 10/31/2017" }, textImage(scanLines) } });
    auto merged = readData(stamped, QStringLiteral("stamped.pdf"), {});
    QVERIFY(merged.has_value());
    const ParsedPage &mergedPage = merged->pages.front();
    QVERIFY(mergedPage.ocr);
    QVERIFY2(mergedPage.text.startsWith(QStringLiteral("Case 17-3510, Document 12, Filed 10/31/2017\n\n")),
        qPrintable(mergedPage.text));
    QVERIFY2(mergedPage.text.contains(QStringLiteral("northern region")),
        qPrintable(QString(mergedPage.text).replace(QLatin1Char('\n'), QLatin1Char('|'))));
    QCOMPARE(mergedPage.text.count(QStringLiteral("17-3510")), 1);
    checkWordBoxes(*merged);
}

void PdfReaderTest::passwords_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("error"); // empty: opens
    QTest::newRow("user password, none given") << "encrypted/password-example.pdf"
                                               << ""
                                               << "password required";
    QTest::newRow("user password given") << "encrypted/password-example.pdf"
                                         << "test"
                                         << "";
    QTest::newRow("wrong password") << "encrypted/password-example.pdf"
                                    << "nope"
                                    << "wrong password";
    QTest::newRow("pdf.js 6010 none") << "encrypted/issue6010_1.pdf"
                                      << ""
                                      << "password required";
    QTest::newRow("pdf.js 6010 abc") << "encrypted/issue6010_1.pdf"
                                     << "abc"
                                     << "";
    QTest::newRow("aes-256 r6 unknown") << "encrypted/pr6531_1.pdf"
                                        << ""
                                        << "password required";
    QTest::newRow("aes-256 r6 wrong") << "encrypted/pr6531_1.pdf"
                                      << "guess"
                                      << "wrong password";
    QTest::newRow("owner password only") << "encrypted/secHandler.pdf"
                                         << ""
                                         << "";
}

void PdfReaderTest::passwords()
{
    QFETCH(QString, file);
    QFETCH(QString, password);
    QFETCH(QString, error);
    const QString path = corpusPdf(file);
    if (path.isEmpty())
        QSKIP("../shared/corpus/pdfs is absent");
    ReadOptions options;
    options.password = password;
    auto doc = readFile(path, options);
    if (error.isEmpty()) {
        QVERIFY2(doc.has_value(), doc ? "" : doc.error().message.c_str());
        QVERIFY(!allText(*doc).trimmed().isEmpty());
    } else {
        QVERIFY(!doc.has_value());
        QCOMPARE(doc.error().code, Code::PasswordRequired);
        QVERIFY2(QString::fromStdString(doc.error().message).contains(error), doc.error().message.c_str());
    }
}

void PdfReaderTest::brokenFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("code"); // -1: Poppler repairs it and the text is read
    QTest::newRow("fuzzed") << "broken/GHOSTSCRIPT-698804-1-fuzzed.pdf" << int(Code::Empty);
    QTest::newRow("empty") << "broken/empty.pdf" << int(Code::Empty);
    QTest::newRow("no pages") << "broken/poppler-85140-0.pdf" << int(Code::Corrupt);
    QTest::newRow("bad objects") << "broken/helloworld-bad.pdf" << -1;
    QTest::newRow("xref missing") << "broken/xref_command_missing.pdf" << -1;
}

void PdfReaderTest::brokenFiles()
{
    QFETCH(QString, file);
    QFETCH(int, code);
    const QString path = corpusPdf(file);
    if (path.isEmpty())
        QSKIP("../shared/corpus/pdfs is absent");
    auto doc = readFile(path, {});
    if (code < 0) {
        QVERIFY(doc.has_value());
        QVERIFY(!allText(*doc).trimmed().isEmpty());
    } else {
        QVERIFY(!doc.has_value());
        QCOMPARE(int(doc.error().code), code);
        QVERIFY(!doc.error().message.empty());
    }
}

void PdfReaderTest::damagedCopies()
{
    // Cut and bit-flipped copies of a good file fail cleanly or read, but never crash or hang.
    QFile good(corpusPdf(QStringLiteral("text/tracemonkey.pdf")));
    if (!good.open(QIODevice::ReadOnly))
        QSKIP("../shared/corpus/pdfs is absent");
    const QByteArray bytes = good.readAll();
    for (qsizetype cut : { qsizetype(100), bytes.size() / 3, bytes.size() - 100 }) {
        auto doc = readData(bytes.left(cut), QStringLiteral("cut.pdf"), {});
        QVERIFY(doc.has_value() || !doc.error().message.empty());
    }
    QByteArray flipped = bytes;
    for (qsizetype i = 1000; i < flipped.size(); i += 997)
        flipped[i] = char(flipped[i] ^ 0xFF);
    auto doc = readData(flipped, QStringLiteral("flipped.pdf"), {});
    QVERIFY(doc.has_value() || !doc.error().message.empty());
}

void PdfReaderTest::twoColumnReadingOrder()
{
    const QString path = corpusPdf(QStringLiteral("text/tracemonkey.pdf"));
    if (path.isEmpty())
        QSKIP("../shared/corpus/pdfs is absent");
    auto doc = readFile(path, {});
    QVERIFY(doc.has_value());
    QCOMPARE(doc->pages.size(), size_t(14));
    const QString &first = doc->pages.front().text;
    // Left column (abstract, introduction) before the right column's continuation.
    const qsizetype abstract = first.indexOf(QStringLiteral("Dynamic languages such as JavaScript are more difficult"));
    const qsizetype intro = first.indexOf(QStringLiteral("Dynamic languages such as JavaScript, Python, and Ruby"));
    const qsizetype right = first.indexOf(QStringLiteral("and is used for the application logic"));
    QVERIFY(abstract >= 0 && intro > abstract && right > intro);
    // "alter-\nnative" at a line end is one word again; mid-line hyphens stay.
    QVERIFY(first.contains(QStringLiteral("an alternative compilation technique")));
    QVERIFY(first.contains(QStringLiteral("dynamically-typed languages")));
    QVERIFY(!allText(*doc).contains(QStringLiteral("ﬁ")));
    checkWordBoxes(*doc);
}

void PdfReaderTest::bookMetadataAndOutline()
{
    const QString path = corpusPdf(QStringLiteral("text/freeculture.pdf"));
    if (path.isEmpty())
        QSKIP("../shared/corpus/pdfs is absent");
    ReadOptions options;
    options.ocr = false; // keeps the test fast; OCR is covered by ocrOfScannedPage
    auto doc = readFile(path, options);
    QVERIFY(doc.has_value());
    QCOMPARE(doc->pages.size(), size_t(352));
    QCOMPARE(doc->title, QStringLiteral("Free Culture"));
    QCOMPARE(doc->author, QStringLiteral("Lawrence Lessig"));
    QCOMPARE(doc->created, QStringLiteral("2004-02-10T21:36:42Z"));
    QVERIFY(doc->sections.size() > 20);
    for (const ParsedSection &s : doc->sections) {
        QVERIFY(s.page >= 1 && s.page <= 352);
        QVERIFY(s.offset >= 0 && s.offset <= doc->pages[size_t(s.page - 1)].text.size());
    }
}

void PdfReaderTest::scripts_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QTest::newRow("japanese") << "cjk/issue6387.pdf"
                              << "あのイーハトーヴォのすきとおった風";
    QTest::newRow("arabic") << "rtl/ArabicCIDTrueType.pdf"
                            << "انواع الخطوط العربية";
}

void PdfReaderTest::scripts()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    const QString path = corpusPdf(file);
    if (path.isEmpty())
        QSKIP("../shared/corpus/pdfs is absent");
    auto doc = readFile(path, {});
    QVERIFY(doc.has_value());
    QVERIFY2(allText(*doc).contains(expected), qPrintable(allText(*doc)));
}

void PdfReaderTest::lowYield_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("yield");
    QTest::newRow("prose") << QString(QStringLiteral("An ordinary page of text with words. ")).repeated(8)
                           << int(PdfReader::TextYield::Good);
    QTest::newRow("stamp only") << "Case 4:08-cv-02214-SBA Document 26 Filed 01/29/2009 Page 1 of 2"
                                << int(PdfReader::TextYield::Sparse);
    QTest::newRow("empty") << "" << int(PdfReader::TextYield::Sparse);
    QTest::newRow("title page") << "PIRACY" << int(PdfReader::TextYield::Sparse);
    QTest::newRow("private use") << QStringLiteral("\uE001\uE002\uE003 \uE004\uE005\uE006 abcdefghijklmno")
                                 << int(PdfReader::TextYield::Garbage);
    QTest::newRow("symbols") << "#$%&*+<=>@^~|{}[] #$%&*+<=>@^~ ab cd ef gh ij kl"
                             << int(PdfReader::TextYield::Garbage);
}

void PdfReaderTest::lowYield()
{
    QFETCH(QString, text);
    QFETCH(int, yield);
    QCOMPARE(int(PdfReader::assessText(text)), yield);
}

void PdfReaderTest::hyphenationAcrossPages_data()
{
    QTest::addColumn<QStringList>("firstPage");
    QTest::addColumn<QStringList>("secondPage");
    QTest::addColumn<QString>("firstText"); // expected text of page 1
    QTest::addColumn<QString>("secondText"); // expected text of page 2
    QTest::addColumn<QString>("continued"); // the text of page 1 that lies on page 2 ("" when none)
    QTest::newRow("break") << QStringList { "It was a natural conse-" } << QStringList { "quence of the law." }
                           << "It was a natural consequence"
                           << "of the law."
                           << "quence";
    QTest::newRow("under furniture") << QStringList { "The report was a self-", "17" }
                                     << QStringList { "CHAPTER TWO", "evident failure, they said." }
                                     << "The report was a self-evident\n17"
                                     << "CHAPTER TWO\nfailure, they said."
                                     << "evident";
    QTest::newRow("capital after") << QStringList { "It was in New-" } << QStringList { "York that year." }
                                   << "It was in New-"
                                   << "York that year."
                                   << "";
    QTest::newRow("one-word line") << QStringList { "a long conse-" } << QStringList { "quence", "Next line here." }
                                   << "a long consequence"
                                   << "Next line here."
                                   << "quence";
}

void PdfReaderTest::hyphenationAcrossPages()
{
    QFETCH(QStringList, firstPage);
    QFETCH(QStringList, secondPage);
    QFETCH(QString, firstText);
    QFETCH(QString, secondText);
    QFETCH(QString, continued);
    const QByteArray pdf = makePdf({ { firstPage, {} }, { secondPage, {} } });
    auto doc = readData(pdf, QStringLiteral("pages.pdf"), {});
    QVERIFY2(doc.has_value(), doc ? "" : doc.error().message.c_str());
    QCOMPARE(doc->pages.size(), size_t(2));
    const ParsedPage &first = doc->pages[0], &second = doc->pages[1];
    QCOMPARE(first.text, firstText);
    QCOMPARE(second.text, secondText);
    QVERIFY(first.continuedWords.empty());
    if (continued.isEmpty()) {
        QVERIFY(second.continuedWords.empty());
    } else {
        // The continuation's box is on page 2, at its top; its offsets are into page 1's text.
        QCOMPARE(second.continuedWords.size(), size_t(1));
        const quire::store::WordBox &w = second.continuedWords.front();
        QCOMPARE(first.text.mid(w.start, w.end - w.start), continued);
        QVERIFY(w.y0 > 55 && w.y1 < 100);
        QVERIFY(w.x0 >= 71 && w.x1 < 200);
        // The first half keeps its own box on page 1.
        const auto half = std::find_if(first.words.begin(), first.words.end(), [&](const auto &b) {
            return b.end == w.start || b.end + 1 == w.start;
        });
        QVERIFY(half != first.words.end());
        // Stored: the box follows page 2's own words, its offsets in page 1's range; one sentence holds the word.
        Segmenter segmenter(QStringLiteral("en"));
        const quire::store::DocumentContent content = buildContent(*doc, segmenter);
        const quire::store::WordBox &stored = content.pages[1].words.back();
        QCOMPARE(content.text.mid(stored.start, stored.end - stored.start), continued);
        QVERIFY(stored.start >= content.pages[0].start && stored.end <= content.pages[0].end);
        QVERIFY(content.pages[1].words.front().start >= content.pages[1].start);
        const QString joined = firstText.section(QLatin1Char(' '), -1).section(QLatin1Char('\n'), 0, 0);
        QVERIFY(std::any_of(content.sentences.begin(), content.sentences.end(), [&](const auto &s) {
            return s.page == 1 && s.text.contains(joined);
        }));
    }
    checkWordBoxes(*doc);
}

void PdfReaderTest::partRanges_data()
{
    QTest::addColumn<int>("pages");
    QTest::addColumn<int>("part");
    QTest::addColumn<int>("parts");
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    QTest::newRow("whole") << 352 << 0 << 1 << 0 << 352;
    QTest::newRow("first half") << 352 << 0 << 2 << 0 << 176;
    QTest::newRow("second half") << 352 << 1 << 2 << 176 << 352;
    QTest::newRow("third of three") << 100 << 2 << 3 << 66 << 100;
    QTest::newRow("too short to share") << 30 << 0 << 2 << 0 << 30;
    QTest::newRow("nothing left") << 30 << 1 << 2 << 30 << 30;
    QTest::newRow("two of four used") << 60 << 1 << 4 << 30 << 60;
}

void PdfReaderTest::partRanges()
{
    QFETCH(int, pages);
    QFETCH(int, part);
    QFETCH(int, parts);
    QFETCH(int, first);
    QFETCH(int, last);
    const auto range = PdfReader::partRange(pages, part, parts);
    QCOMPARE(range.first, first);
    QCOMPARE(range.second, last);
}

void PdfReaderTest::partsMatchWholeRead()
{
    // 60 pages, two parts of 30; a word hyphenated across pages 30 and 31, the parts' edge, and 10 and 11.
    std::vector<PdfPageSpec> specs;
    for (int p = 1; p <= 60; ++p) {
        QStringList lines { QStringLiteral("Page %1 tells of the reader and the writer.").arg(p) };
        if (p == 10 || p == 30)
            lines << QStringLiteral("Their quarrel had one conse-");
        if (p == 11 || p == 31)
            lines.prepend(QStringLiteral("quence that nobody saw."));
        specs.push_back({ lines, {} });
    }
    const QByteArray pdf = makePdf(specs);
    ReadOptions options;
    options.ocr = false;
    auto whole = readData(pdf, QStringLiteral("book.pdf"), options);
    QVERIFY2(whole.has_value(), whole ? "" : whole.error().message.c_str());
    QCOMPARE(whole->pages.size(), size_t(60));
    QVERIFY(whole->pages[9].text.endsWith(QStringLiteral("one consequence")));
    QVERIFY(whole->pages[29].text.endsWith(QStringLiteral("one consequence")));
    std::vector<ParsedPage> joined;
    std::vector<quire::store::WordBox> carried;
    for (int part = 0; part < 2; ++part) {
        options.part = part;
        options.parts = 2;
        auto doc = readData(pdf, QStringLiteral("book.pdf"), options);
        QVERIFY2(doc.has_value(), doc ? "" : doc.error().message.c_str());
        QCOMPARE(doc->firstPage, 1 + 30 * part);
        QCOMPARE(doc->totalPages, 60);
        QCOMPARE(doc->pages.size(), size_t(30));
        QCOMPARE(doc->metadata.value(QStringLiteral("pages")).toInt(), 60);
        doc->pages.front().continuedWords.insert(
            doc->pages.front().continuedWords.end(), carried.begin(), carried.end());
        carried = doc->nextPageWords;
        std::move(doc->pages.begin(), doc->pages.end(), std::back_inserter(joined));
    }
    QVERIFY(carried.empty());
    for (size_t i = 0; i < joined.size(); ++i) {
        QCOMPARE(joined[i].text, whole->pages[i].text);
        QCOMPARE(joined[i].words.size(), whole->pages[i].words.size());
        QCOMPARE(joined[i].continuedWords.size(), whole->pages[i].continuedWords.size());
        for (size_t w = 0; w < joined[i].continuedWords.size(); ++w) {
            QCOMPARE(joined[i].continuedWords[w].start, whole->pages[i].continuedWords[w].start);
            QCOMPARE(joined[i].continuedWords[w].x0, whole->pages[i].continuedWords[w].x0);
        }
    }
    QCOMPARE(whole->pages[30].continuedWords.size(), size_t(1));
}

QTEST_MAIN(PdfReaderTest)
#include "pdfreadertest.moc"
