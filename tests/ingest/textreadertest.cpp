#include "ingest/textreader.h"

#include "ingest/chapterdetector.h"
#include "ingest/textdecoder.h"

#include <QFile>
#include <QTest>

using namespace quire::ingest;

namespace
{

const QString corpus = QStringLiteral(QUIRE_SHARED_DIR "/corpus");

QByteArray readCorpus(const QString &relative)
{
    QFile file(corpus + QLatin1Char('/') + relative);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TextReaderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodesToUtf8Twin_data();
    void decodesToUtf8Twin();
    void gbkWithoutSpuriousLineBreaks();
    void byteOrderMarks_data();
    void byteOrderMarks();
    void normalisesLineEndsAndNfc();
    void chaptersInNovels_data();
    void chaptersInNovels();
    void chapterPatterns_data();
    void chapterPatterns();
    void tableOfContentsSkipped();
    void gutenbergMetadata();
    void emptyText();
    void romanNumerals();
};

void TextReaderTest::decodesToUtf8Twin_data()
{
    QTest::addColumn<QString>("legacy");
    QTest::addColumn<QString>("twin");
    QTest::addColumn<QString>("encoding");
    QTest::newRow("shift-jis") << "encodings/udhr_Japanese_Nihongo-SJIS.txt"
                               << "encodings/udhr_Japanese_Nihongo-UTF8.txt"
                               << "Shift_JIS";
    QTest::newRow("windows-1251") << "encodings/udhr_Russian-Cyrillic.txt"
                                  << "encodings/udhr_Russian-UTF8.txt"
                                  << "windows-1251";
}

void TextReaderTest::decodesToUtf8Twin()
{
    QFETCH(QString, legacy);
    QFETCH(QString, twin);
    QFETCH(QString, encoding);
    const QByteArray legacyBytes = readCorpus(legacy), twinBytes = readCorpus(twin);
    if (legacyBytes.isEmpty() || twinBytes.isEmpty())
        QSKIP("../shared/corpus/encodings is absent");
    const DecodedText decoded = decodeText(legacyBytes);
    QCOMPARE(decoded.encoding, encoding);
    QVERIFY(!decoded.replaced);
    // The corpus cut both files at ~10,000 bytes, so the UTF-8 twin ends earlier: compare what both hold,
    // minus the twin's last (possibly cut) line.
    QString expected = normalizeText(QString::fromUtf8(twinBytes));
    expected.truncate(expected.lastIndexOf(QLatin1Char('\n')));
    QVERIFY(expected.size() > 3000);
    QCOMPARE(decoded.text.left(expected.size()), expected);
}

void TextReaderTest::gbkWithoutSpuriousLineBreaks()
{
    const QByteArray bytes = readCorpus(QStringLiteral("novels/xiyouji_GBK.txt"));
    if (bytes.isEmpty())
        QSKIP("../shared/corpus/novels is absent");
    QVERIFY(bytes.contains('\x85')); // the trap: in Latin-1 this byte is NEL, a line break
    const DecodedText decoded = decodeText(bytes);
    QCOMPARE(decoded.encoding, QStringLiteral("GBK"));
    QCOMPARE(decoded.text.count(QLatin1Char('\n')), bytes.count('\n'));
    QVERIFY(decoded.text.contains(QStringLiteral("第一回")));
    QVERIFY(decoded.text.contains(QStringLiteral("孙悟空")));
    QVERIFY(!decoded.text.contains(QChar(0xFFFD)));
}

void TextReaderTest::byteOrderMarks_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("encoding");
    const QString text = QStringLiteral("Größe → 世界\nline two");
    QByteArray utf16le("\xFF\xFE", 2), utf16be("\xFE\xFF", 2);
    for (QChar c : text) {
        utf16le.append(char(c.unicode() & 0xFF)).append(char(c.unicode() >> 8));
        utf16be.append(char(c.unicode() >> 8)).append(char(c.unicode() & 0xFF));
    }
    QByteArray utf32le("\xFF\xFE\x00\x00", 4);
    for (QChar c : text)
        utf32le.append(char(c.unicode() & 0xFF)).append(char(c.unicode() >> 8)).append('\0').append('\0');
    QTest::newRow("utf-8 bom") << (QByteArray("\xEF\xBB\xBF") + text.toUtf8()) << "UTF-8";
    QTest::newRow("utf-16le bom") << utf16le << "UTF-16LE";
    QTest::newRow("utf-16be bom") << utf16be << "UTF-16BE";
    QTest::newRow("utf-32le bom") << utf32le << "UTF-32LE";
    QTest::newRow("utf-16le no bom") << utf16le.mid(2) << "UTF-16LE";
    QTest::newRow("utf-8 no bom") << text.toUtf8() << "UTF-8";
}

void TextReaderTest::byteOrderMarks()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, encoding);
    const DecodedText decoded = decodeText(bytes);
    QCOMPARE(decoded.encoding, encoding);
    QCOMPARE(decoded.text, QStringLiteral("Größe → 世界\nline two"));
}

void TextReaderTest::normalisesLineEndsAndNfc()
{
    const QString input = QStringLiteral("a\r\nb\rc\u0085d\u2028e\u2029f cafe\u0301");
    const DecodedText decoded = decodeText(input.toUtf8());
    QCOMPARE(decoded.text, QStringLiteral("a\nb\nc\nd\ne\nf café"));
    QCOMPARE(decodeText("caf\xE9 na\xEFve \x93quoted\x94").text, QStringLiteral("café naïve “quoted”"));
}

void TextReaderTest::chaptersInNovels_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("sections");
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("last");
    // Moby Dick: Etymology, Extracts, 135 chapters, Epilogue. Don Quijote: prologue and 52 + 74 chapters.
    QTest::newRow("moby dick") << "novels/pg2701_moby_dick.txt" << 138 << "ETYMOLOGY."
                               << "Epilogue";
    QTest::newRow("don quijote") << "novels/pg2000_don_quijote.txt" << 127 << "Prólogo"
                                 << "Capítulo LXXIV. De cómo don Quijote cayó malo, y del testamento que hizo, y";
    QTest::newRow("sanguo") << "novels/sanguoyanyi_UTF8_CRLF.txt" << 120 << "第1章 宴桃园豪杰三结义 斩黄巾英雄首立功"
                            << "第120章 荐杜预老将献新谋 降孙皓三分归一统";
    QTest::newRow("xiyouji") << "novels/xiyouji_GBK.txt" << 100 << "第一回 灵根育孕源流出 心性修持大道生"
                             << "第一百回 径回东土 五圣成真";
}

void TextReaderTest::chaptersInNovels()
{
    QFETCH(QString, file);
    QFETCH(int, sections);
    QFETCH(QString, first);
    QFETCH(QString, last);
    const QByteArray bytes = readCorpus(file);
    if (bytes.isEmpty())
        QSKIP("../shared/corpus/novels is absent");
    auto doc = TextReader::read(bytes, file, {});
    QVERIFY2(doc.has_value(), doc ? "" : doc.error().message.c_str());
    QCOMPARE(doc->pages.size(), size_t(1));
    QCOMPARE(int(doc->sections.size()), sections);
    QCOMPARE(doc->sections.front().title, first);
    QCOMPARE(doc->sections.back().title, last);
    const QString &text = doc->pages.front().text;
    for (const ParsedSection &s : doc->sections) {
        QVERIFY(s.offset >= 0 && s.offset < text.size());
        QVERIFY(s.offset == 0 || text[s.offset - 1] == QLatin1Char('\n'));
    }
    QVERIFY(!text.contains(QLatin1Char('\r')));
    QVERIFY(!text.startsWith(QChar(0xFEFF)));
}

void TextReaderTest::chapterPatterns_data()
{
    QTest::addColumn<QString>("heading");
    QTest::addColumn<bool>("isHeading");
    QTest::newRow("CHAPTER XII.") << "CHAPTER XII." << true;
    QTest::newRow("Chapter 1") << "Chapter 1" << true;
    QTest::newRow("BOOK II") << "BOOK II" << true;
    QTest::newRow("第十二回") << "第十二回" << true;
    QTest::newRow("第一章 标题") << "第一章 标题" << true;
    QTest::newRow("EPILOGUE") << "EPILOGUE" << true;
    QTest::newRow("roman alone") << "XIV." << true;
    QTest::newRow("prose") << "Chapter and verse were quoted." << false;
    QTest::newRow("not roman") << "IIII" << false;
    QTest::newRow("sentence") << "He went to the BOOK shop." << false;
}

void TextReaderTest::chapterPatterns()
{
    QFETCH(QString, heading);
    QFETCH(bool, isHeading);
    const QString body = QStringLiteral("Some text of the chapter, long enough to be a body.\nAnd another line.\n\n");
    const QString text = QStringLiteral("Opening words.\n\n") + heading + QStringLiteral("\n\n") + body;
    const auto sections = detectChapters(text);
    QCOMPARE(sections.size(), size_t(isHeading ? 1 : 0));
    if (isHeading) {
        QCOMPARE(sections.front().title, heading);
        QCOMPARE(sections.front().offset, 16);
    }
}

void TextReaderTest::tableOfContentsSkipped()
{
    QString text = QStringLiteral("CONTENTS\n\nCHAPTER 1. One\n\nCHAPTER 2. Two\n\nCHAPTER 3. Three\n\n");
    for (int i = 1; i <= 3; ++i)
        text += QStringLiteral("CHAPTER %1. Title\n\nBody text of the chapter.\nMore body.\n\n").arg(i);
    const auto sections = detectChapters(text);
    QCOMPARE(sections.size(), size_t(3));
    QCOMPARE(sections.front().title, QStringLiteral("CHAPTER 1. Title"));
}

void TextReaderTest::gutenbergMetadata()
{
    const QByteArray bytes
        = "\xEF\xBB\xBFThe Project Gutenberg eBook of X\r\n\r\nTitle: A Book\r\n\r\nAuthor: Some One\r\n\r\n"
          "Language: English\r\n\r\n*** START OF THE PROJECT GUTENBERG EBOOK A BOOK ***\r\n\r\n"
          "CHAPTER I.\r\n\r\nText.\r\n\r\n*** END OF THE PROJECT GUTENBERG EBOOK A BOOK ***\r\nLicence.\r\n";
    auto doc = TextReader::read(bytes, QStringLiteral("pg.txt"), {});
    QVERIFY(doc.has_value());
    QCOMPARE(doc->title, QStringLiteral("A Book"));
    QCOMPARE(doc->author, QStringLiteral("Some One"));
    QCOMPARE(doc->language, QStringLiteral("en"));
    const QString &text = doc->pages.front().text;
    const auto start = doc->metadata.value(QStringLiteral("gutenbergBodyStart")).toInteger();
    const auto end = doc->metadata.value(QStringLiteral("gutenbergBodyEnd")).toInteger();
    QCOMPARE(text.mid(start, end - start).trimmed(), QStringLiteral("CHAPTER I.\n\nText."));
    QCOMPARE(doc->sections.size(), size_t(1));
}

void TextReaderTest::emptyText()
{
    auto doc = TextReader::read(" \n\t\r\n", QStringLiteral("blank.txt"), {});
    QVERIFY(!doc.has_value());
    QCOMPARE(doc.error().code, quire::Error::Code::Empty);
}

void TextReaderTest::romanNumerals()
{
    QCOMPARE(romanToInt(u"XII"), 12);
    QCOMPARE(romanToInt(u"xliv"), 44);
    QCOMPARE(romanToInt(u"MCMXCIX"), 1999);
    QCOMPARE(romanToInt(u"IIII"), 0);
    QCOMPARE(romanToInt(u"ABC"), 0);
}

QTEST_GUILESS_MAIN(TextReaderTest)
#include "textreadertest.moc"
