#include "ingest/markdownreader.h"

#include <QTest>

using namespace quire::ingest;

class MarkdownReaderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void inlineMarkup_data();
    void inlineMarkup();
    void document();
};

void MarkdownReaderTest::inlineMarkup_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("emphasis") << "*a* **b** _c_ __d__ ~~e~~"
                              << "a b c d e";
    QTest::newRow("link") << "see [the docs](http://x.org \"t\") now"
                          << "see the docs now";
    QTest::newRow("reference link") << "see [the docs][1]"
                                    << "see the docs";
    QTest::newRow("image") << "![a cat](cat.png)"
                           << "a cat";
    QTest::newRow("code") << "run `make test` now"
                          << "run make test now";
    QTest::newRow("snake_case kept") << "a snake_case_name here"
                                     << "a snake_case_name here";
    QTest::newRow("escape") << "\\*not emphasis\\*"
                            << "*not emphasis*";
    QTest::newRow("html") << "a <span class=\"x\">b</span> &amp; c"
                          << "a b & c";
    QTest::newRow("autolink") << "<https://example.org>"
                              << "https://example.org";
}

void MarkdownReaderTest::inlineMarkup()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(MarkdownReader::stripInline(input), expected);
}

void MarkdownReaderTest::document()
{
    const QByteArray md = "# Title\n\nIntro with a [link](u).\n\nSecond\n------\n\n> quoted *text*\n\n- item one\n"
                          "1. item two\n\n```cpp\nint x = *p;\n```\n\n---\n\n## Third ##\n\n[1]: http://x\n";
    auto doc = MarkdownReader::read(md, QStringLiteral("a.md"), {});
    QVERIFY(doc.has_value());
    QCOMPARE(doc->type, QStringLiteral("markdown"));
    QCOMPARE(doc->title, QStringLiteral("Title"));
    const QString &text = doc->pages.front().text;
    QCOMPARE(text,
        QStringLiteral("Title\n\nIntro with a link.\n\nSecond\n\nquoted text\n\nitem one\nitem two\n\nint x = *p;\n\n\n"
                       "Third"));
    QCOMPARE(doc->sections.size(), size_t(3));
    QCOMPARE(doc->sections[1].title, QStringLiteral("Second"));
    QCOMPARE(doc->sections[1].level, 2);
    QCOMPARE(text.mid(doc->sections[2].offset, 5), QStringLiteral("Third"));
}

QTEST_GUILESS_MAIN(MarkdownReaderTest)
#include "markdownreadertest.moc"
