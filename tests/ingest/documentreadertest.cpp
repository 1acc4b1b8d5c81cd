#include "ingest/documentreader.h"

#include <QTemporaryDir>
#include <QTest>

using namespace quire::ingest;
using Code = quire::Error::Code;

class DocumentReaderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detectType_data();
    void detectType();
    void fileErrors();
    void unsupported_data();
    void unsupported();
    void childOptionsShrinkBudget();
    void ocrAvailability();
};

void DocumentReaderTest::detectType_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("type");
    QTest::newRow("pdf") << QByteArray("%PDF-1.7\n") << "x.bin"
                         << "pdf";
    QTest::newRow("pdf with junk before") << QByteArray("junk\r\n%PDF-1.4\n") << "x"
                                          << "pdf";
    QTest::newRow("zip") << QByteArray("PK\x03\x04\x14\x00", 6) << "a.dat"
                         << "zip";
    QTest::newRow("epub by name") << QByteArray("PK\x03\x04\x14\x00", 6) << "b.epub"
                                  << "epub";
    QTest::newRow("7z") << QByteArray("7z\xBC\xAF\x27\x1C\x00\x04", 8) << "a"
                        << "7z";
    QTest::newRow("gzip") << QByteArray("\x1F\x8B\x08\x00", 4) << "a.tgz"
                          << "gzip";
    QTest::newRow("xz") << QByteArray("\xFD"
                                      "7zXZ\x00\x00",
        7) << "a.tar.xz"
                        << "xz";
    QTest::newRow("bzip2") << QByteArray("BZh91AY&SY") << "a.tbz"
                           << "bzip2";
    QTest::newRow("tar") << (QByteArray(257, 'a')
        + "ustar\x00"
          "00") << "a"
                         << "tar";
    QTest::newRow("html") << QByteArray("\n  <!DOCTYPE html><html>") << "page"
                          << "html";
    QTest::newRow("xhtml") << QByteArray("<?xml version=\"1.0\"?>\n<html xmlns=\"...\">") << "p"
                           << "html";
    QTest::newRow("eml") << QByteArray("Message-ID: <1@x>\nDate: Mon\nFrom: a@b\nTo: c@d\n\nbody") << "mail"
                         << "eml";
    QTest::newRow("mbox") << QByteArray("From MAILER-DAEMON Mon Apr 18 2022\nMessage-ID: <1@x>\n") << "box"
                          << "mbox";
    QTest::newRow("markdown") << QByteArray("# Title\n\ntext") << "README.md"
                              << "markdown";
    QTest::newRow("text") << QByteArray("Plain words.\n") << "notes.txt"
                          << "text";
    QTest::newRow("text no extension") << QByteArray("From the author: hello\nmore") << "LICENSE"
                                       << "text";
    QTest::newRow("utf-16 text") << QByteArray("\xFF\xFEh\0i\0", 6) << "u.txt"
                                 << "text";
    QTest::newRow("binary") << QByteArray("\x7F"
                                          "ELF\x02\x01\x01\x00\x00\x00",
        10) << "prog"
                            << "";
    QTest::newRow("png") << QByteArray("\x89PNG\r\n\x1A\n", 8) << "a.png"
                         << "";
    QTest::newRow("docx") << QByteArray("PK\x03\x04\x14\x00", 6) << "a.docx"
                          << "";
}

void DocumentReaderTest::detectType()
{
    QFETCH(QByteArray, head);
    QFETCH(QString, name);
    QFETCH(QString, type);
    QCOMPARE(quire::ingest::detectType(head, name), type);
}

void DocumentReaderTest::fileErrors()
{
    QTemporaryDir dir;
    auto missing = readFile(dir.filePath(QStringLiteral("missing.txt")), {});
    QVERIFY(!missing.has_value());
    QCOMPARE(missing.error().code, Code::NotFound);
    QFile empty(dir.filePath(QStringLiteral("empty.txt")));
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();
    auto e = readFile(empty.fileName(), {});
    QVERIFY(!e.has_value());
    QCOMPARE(e.error().code, Code::Empty);
    QFile big(dir.filePath(QStringLiteral("big.txt")));
    QVERIFY(big.open(QIODevice::WriteOnly));
    big.write(QByteArray(2000, 'a'));
    big.close();
    ReadOptions small;
    small.maxBytes = 1000;
    auto tooLarge = readFile(big.fileName(), small);
    QVERIFY(!tooLarge.has_value());
    QCOMPARE(tooLarge.error().code, Code::TooLarge);
    auto ok = readFile(big.fileName(), {});
    QVERIFY(ok.has_value());
    QCOMPARE(ok->type, QStringLiteral("text"));
    auto directory = readFile(dir.path(), {});
    QVERIFY(!directory.has_value());
}

void DocumentReaderTest::unsupported_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("name");
    QTest::newRow("elf") << QByteArray("\x7F"
                                       "ELF\x02\x01\x01\x00\x00\x00\x00\x00",
        12) << "prog";
    QTest::newRow("docx") << QByteArray("PK\x03\x04\x14\x00\x00\x00", 8) << "contract.docx";
    QTest::newRow("rtf") << QByteArray("{\\rtf1\\ansi hello}") << "a.rtf";
    QTest::newRow("jpeg") << QByteArray("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10) << "scan.jpg";
}

void DocumentReaderTest::unsupported()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, name);
    auto doc = readData(data, name, {});
    QVERIFY(!doc.has_value());
    QCOMPARE(doc.error().code, Code::Unsupported);
    QVERIFY(QString::fromStdString(doc.error().message).startsWith(name));
}

void DocumentReaderTest::childOptionsShrinkBudget()
{
    ReadOptions parent;
    parent.maxExpandedBytes = 1000;
    parent.password = QStringLiteral("pw");
    ParsedDocument container;
    container.metadata.insert(QStringLiteral("expandedBytes"), 600);
    const ReadOptions child = childOptions(parent, container);
    QCOMPARE(child.depth, 1);
    QCOMPARE(child.maxExpandedBytes, 400);
    QCOMPARE(child.password, QStringLiteral("pw"));
    container.metadata.insert(QStringLiteral("expandedBytes"), 5000);
    QCOMPARE(childOptions(parent, container).maxExpandedBytes, 0);
}

void DocumentReaderTest::ocrAvailability()
{
    const bool available = ocrAvailable();
    qInfo("OCR available: %s", available ? "yes" : "no");
    QCOMPARE(ocrAvailable(), available); // cached, stable
}

QTEST_GUILESS_MAIN(DocumentReaderTest)
#include "documentreadertest.moc"
