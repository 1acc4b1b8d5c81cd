#include "ingest/htmlreader.h"

#include <QElapsedTimer>
#include <QTest>

using namespace quire::ingest;

class HtmlReaderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void text_data();
    void text();
    void headingsAndMetadata();
    void charsetFromMeta();
    void entities_data();
    void entities();
    void brokenMarkupDoesNotHang();
    void largePageIsFast();
};

void HtmlReaderTest::text_data()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<QString>("expected");
    QTest::newRow("paragraphs") << "<p>One</p><p>Two</p>"
                                << "One\n\nTwo";
    QTest::newRow("whitespace") << "<p>  a \n  b\t c </p>"
                                << "a b c";
    QTest::newRow("script and style") << "<script>var x = '<p>no</p>';</script><style>p{}</style><p>yes</p>"
                                      << "yes";
    QTest::newRow("br and div") << "a<br>b<div>c</div>d"
                                << "a\nb\nc\nd";
    QTest::newRow("inline") << "<p>a <b>bold</b> and <a href='x'>link</a>.</p>"
                            << "a bold and link.";
    QTest::newRow("comment") << "a<!-- <p>hidden</p> -->b"
                             << "ab";
    QTest::newRow("pre") << "<pre>x  y\n  z</pre>"
                         << "x  y\n  z";
    QTest::newRow("list") << "<ul><li>one</li><li>two</li></ul>"
                          << "one\ntwo";
    QTest::newRow("table") << "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
                           << "a b\nc";
    QTest::newRow("cdata") << "<![CDATA[raw <text>]]>"
                           << "raw <text>";
    QTest::newRow("less than") << "1 < 2 and a<b"
                               << "1 < 2 and a";
    QTest::newRow("img alt") << "<p><img src='x.png' alt='A cat'> sleeps</p>"
                             << "A cat sleeps";
}

void HtmlReaderTest::text()
{
    QFETCH(QString, html);
    QFETCH(QString, expected);
    QCOMPARE(HtmlReader::extract(html).text, expected);
}

void HtmlReaderTest::headingsAndMetadata()
{
    const QString html = QStringLiteral(
        "<!DOCTYPE html><html lang='fr'><head><title>Le &amp; titre</title>"
        "<meta name=\"author\" content=\"Jeanne Dupont\"></head><body>"
        "<h1>Premier</h1><p>Texte un.</p><h2 class='x'>Deuxième <em>partie</em></h2><p>Texte deux.</p></body></html>");
    const HtmlText result = HtmlReader::extract(html);
    QCOMPARE(result.title, QStringLiteral("Le & titre"));
    QCOMPARE(result.author, QStringLiteral("Jeanne Dupont"));
    QCOMPARE(result.language, QStringLiteral("fr"));
    QCOMPARE(result.text, QStringLiteral("Premier\n\nTexte un.\n\nDeuxième partie\n\nTexte deux."));
    QCOMPARE(result.sections.size(), size_t(2));
    QCOMPARE(result.sections[0].level, 1);
    QCOMPARE(result.sections[0].offset, 0);
    QCOMPARE(result.sections[1].level, 2);
    QCOMPARE(result.sections[1].title, QStringLiteral("Deuxième partie"));
    QCOMPARE(result.text.mid(result.sections[1].offset, 8), QStringLiteral("Deuxième"));
}

void HtmlReaderTest::charsetFromMeta()
{
    const QByteArray html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">"
                            "</head><body><p>\xcf\xf0\xe8\xe2\xe5\xf2</p></body></html>";
    auto doc = HtmlReader::read(html, QStringLiteral("ru.html"), {});
    QVERIFY(doc.has_value());
    QCOMPARE(doc->pages.front().text, QStringLiteral("Привет"));
    QCOMPARE(doc->metadata.value(QStringLiteral("encoding")).toString(), QStringLiteral("windows-1251"));
}

void HtmlReaderTest::entities_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("named") << "&lt;&gt;&amp;&quot;&apos;&nbsp;&eacute;&mdash;"
                           << "<>&\"'\u00A0é—";
    QTest::newRow("numeric") << "&#65;&#x42;&#X43;&#233;"
                             << "ABCé";
    QTest::newRow("cp1252 numeric") << "&#150;&#147;"
                                    << "–“";
    QTest::newRow("unknown") << "&bogus; & alone &#xZZ;"
                             << "&bogus; & alone &#xZZ;";
}

void HtmlReaderTest::entities()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(HtmlReader::decodeEntities(input), expected);
}

void HtmlReaderTest::brokenMarkupDoesNotHang()
{
    const QStringList inputs = { "<",
        "<p",
        "<p class='unterminated>text",
        "<!--",
        "<script>never closed",
        "<h1>open heading",
        "&",
        "&#",
        "<![CDATA[",
        "</>",
        "<<<>>>" };
    for (const QString &input : inputs)
        HtmlReader::extract(input); // must return; the content does not matter
    QCOMPARE(HtmlReader::extract(QStringLiteral("<h1>open heading")).sections.size(), size_t(1));
}

void HtmlReaderTest::largePageIsFast()
{
    QString html = QStringLiteral("<html><body>");
    for (int i = 0; i < 20000; ++i)
        html += QStringLiteral("<h2>Section %1</h2><p>Some <b>text</b> &amp; more text in paragraph %1.</p>").arg(i);
    QElapsedTimer timer;
    timer.start();
    const HtmlText result = HtmlReader::extract(html);
    qInfo("%lld KB of HTML in %lld ms", qint64(html.size() * 2 / 1024), timer.elapsed());
    QCOMPARE(result.sections.size(), size_t(20000));
    QVERIFY(timer.elapsed() < 10000);
}

QTEST_GUILESS_MAIN(HtmlReaderTest)
#include "htmlreadertest.moc"
