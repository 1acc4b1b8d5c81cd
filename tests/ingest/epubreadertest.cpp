#include "ingest/epubreader.h"

#include "archivebuilder.h"
#include "ingest/documentreader.h"

#include <QTest>

using namespace quire::ingest;
using namespace quire::ingest::test;

namespace
{

QByteArray chapter(const QString &title, const QString &body)
{
    return QStringLiteral("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">"
                          "<head><title>%1</title></head><body><h1>%1</h1><p>%2</p></body></html>")
        .arg(title, body)
        .toUtf8();
}

QByteArray buildEpub(bool epub3)
{
    const QByteArray container
        = "<?xml version=\"1.0\"?><container version=\"1.0\" "
          "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles>"
          "<rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>"
          "</rootfiles></container>";
    const QByteArray opf = QByteArrayLiteral(
        "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\">"
        "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>A Test Book</dc:title>"
        "<dc:creator>Ann Author</dc:creator><dc:date>2020-05-01</dc:date><dc:language>en-GB</dc:language></metadata>"
        "<manifest><item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>"
        "<item id=\"ncx\" href=\"toc.ncx\" media-type=\"application/x-dtbncx+xml\"/>"
        "<item id=\"cover\" href=\"cover.xhtml\" media-type=\"application/xhtml+xml\"/>"
        "<item id=\"c2\" href=\"text/ch%202.xhtml\" media-type=\"application/xhtml+xml\"/>"
        "<item id=\"c1\" href=\"text/ch1.xhtml\" media-type=\"application/xhtml+xml\"/></manifest>"
        "<spine toc=\"ncx\"><itemref idref=\"cover\"/><itemref idref=\"c1\"/><itemref "
        "idref=\"c2\"/></spine></package>");
    const QByteArray nav
        = "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"><body>"
          "<nav epub:type=\"toc\"><ol><li><a href=\"text/ch1.xhtml\">One: <i>Beginnings</i></a></li>"
          "<li><a href=\"text/ch%202.xhtml#start\">Two: Middles</a></li></ol></nav></body></html>";
    const QByteArray ncx
        = "<ncx><navMap><navPoint id=\"a\"><navLabel><text>NCX One</text></navLabel>"
          "<content src=\"text/ch1.xhtml\"/></navPoint><navPoint id=\"b\"><navLabel><text>NCX Two</text>"
          "</navLabel><content src=\"text/ch%202.xhtml\"/></navPoint></navMap></ncx>";
    std::vector<Entry> entries = {
        { "mimetype", "application/epub+zip", {} },
        { "META-INF/container.xml", container, {} },
        { "OEBPS/content.opf", opf, {} },
        { "OEBPS/toc.ncx", ncx, {} },
        { "OEBPS/cover.xhtml", "<html><body><img src=\"cover.jpg\"/></body></html>", {} },
        { "OEBPS/text/ch1.xhtml",
            chapter(QStringLiteral("Chapter One"), QStringLiteral("It began &amp; went on.")),
            {} },
        { "OEBPS/text/ch 2.xhtml", chapter(QStringLiteral("Chapter Two"), QStringLiteral("Then it continued.")), {} },
    };
    if (epub3)
        entries.push_back({ "OEBPS/nav.xhtml", nav, {} });
    return buildArchive(Format::ZipStored, entries);
}

} // namespace

class EpubReaderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void spineOrderAndTitles_data();
    void spineOrderAndTitles();
    void detectedByContent();
    void broken_data();
    void broken();
};

void EpubReaderTest::spineOrderAndTitles_data()
{
    QTest::addColumn<bool>("epub3");
    QTest::addColumn<QString>("firstTitle");
    QTest::newRow("epub3 nav") << true << "One: Beginnings";
    QTest::newRow("epub2 ncx") << false << "NCX One";
}

void EpubReaderTest::spineOrderAndTitles()
{
    QFETCH(bool, epub3);
    QFETCH(QString, firstTitle);
    auto doc = EpubReader::read(buildEpub(epub3), QStringLiteral("book.epub"), {});
    QVERIFY2(doc.has_value(), doc ? "" : doc.error().message.c_str());
    QCOMPARE(doc->type, QStringLiteral("epub"));
    QCOMPARE(doc->title, QStringLiteral("A Test Book"));
    QCOMPARE(doc->author, QStringLiteral("Ann Author"));
    QCOMPARE(doc->created, QStringLiteral("2020-05-01"));
    QCOMPARE(doc->language, QStringLiteral("en-GB"));
    QCOMPARE(doc->pages.size(), size_t(2)); // the image-only cover has no text
    QCOMPARE(doc->pages[0].text, QStringLiteral("Chapter One\n\nIt began & went on."));
    QCOMPARE(doc->pages[1].text, QStringLiteral("Chapter Two\n\nThen it continued."));
    QCOMPARE(doc->sections.size(), size_t(2));
    QCOMPARE(doc->sections[0].title, firstTitle);
    QCOMPARE(doc->sections[0].page, 1);
    QCOMPARE(doc->sections[1].page, 2);
}

void EpubReaderTest::detectedByContent()
{
    const QByteArray epub = buildEpub(true);
    QCOMPARE(detectType(epub.left(4096), QStringLiteral("no-extension")), QStringLiteral("epub"));
    auto doc = readData(epub, QStringLiteral("no-extension"), {});
    QVERIFY(doc.has_value());
    QCOMPARE(doc->type, QStringLiteral("epub"));
}

void EpubReaderTest::broken_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("no container") << buildArchive(Format::Zip, { { "mimetype", "application/epub+zip", {} } });
    QTest::newRow("bad opf") << buildArchive(Format::Zip,
        { { "mimetype", "application/epub+zip", {} },
            { "META-INF/container.xml", "<container><rootfile full-path=\"x.opf\"/></container>", {} },
            { "x.opf", "<package><spine></spine", {} } });
    QTest::newRow("truncated") << buildEpub(true).left(300);
}

void EpubReaderTest::broken()
{
    QFETCH(QByteArray, bytes);
    auto doc = EpubReader::read(bytes, QStringLiteral("broken.epub"), {});
    QVERIFY(!doc.has_value());
    QCOMPARE(doc.error().code, quire::Error::Code::Corrupt);
}

QTEST_GUILESS_MAIN(EpubReaderTest)
#include "epubreadertest.moc"
