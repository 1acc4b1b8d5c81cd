#include "ingest/segmenter.h"

#include "ingest/contentbuilder.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>

using namespace quire;
using namespace quire::ingest;

namespace
{

QStringList texts(const QString &text, const std::vector<TextRange> &ranges)
{
    QStringList out;
    for (const TextRange &r : ranges)
        out << text.mid(r.start, r.length());
    return out;
}

} // namespace

class SegmenterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sentences_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("english") << "en"
                                 << "It rained. Then it stopped! Did it?"
                                 << QStringList { "It rained.", "Then it stopped!", "Did it?" };
        QTest::newRow("abbreviations") << "en"
                                       << "Mr. Smith met Dr. Jones. They talked."
                                       << QStringList { "Mr. Smith met Dr. Jones.", "They talked." };
        QTest::newRow("hard-wrapped") << "en"
                                      << "Call me\nIshmael. Some years\nago.\n"
                                      << QStringList { "Call me\nIshmael.", "Some years\nago." };
        QTest::newRow("paragraph break ends a sentence")
            << "en"
            << "CHAPTER 1\n\nLoomings here" << QStringList { "CHAPTER 1", "Loomings here" };
        QTest::newRow("whitespace and punctuation only") << "en"
                                                         << "  \n\n * * * \n\n  Yes.  " << QStringList { "Yes." };
        QTest::newRow("chinese") << "zh" << QString::fromUtf8("刘备到了。张飞大怒！关羽笑道：\u201c何故？\u201d")
                                 << QStringList { QString::fromUtf8("刘备到了。"),
                                        QString::fromUtf8("张飞大怒！"),
                                        QString::fromUtf8("关羽笑道：\u201c何故？\u201d") };
        QTest::newRow("japanese") << "ja"
                                  << QString::fromUtf8(
                                         "すべての人間は、生まれながらにして自由である。そして平等である。")
                                  << QStringList { QString::fromUtf8("すべての人間は、生まれながらにして自由である。"),
                                         QString::fromUtf8("そして平等である。") };
        QTest::newRow("no locale, cjk punctuation")
            << "" << QString::fromUtf8("第一回。第二回。")
            << QStringList { QString::fromUtf8("第一回。"), QString::fromUtf8("第二回。") };
        QTest::newRow("spanish") << "es" << QString::fromUtf8("¿Quién es? Es el Sr. Quijote.")
                                 << QStringList { QString::fromUtf8("¿Quién es?"),
                                        QString::fromUtf8("Es el Sr. Quijote.") };
    }
    void sentences()
    {
        QFETCH(QString, locale);
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        Segmenter segmenter(locale);
        QVERIFY(segmenter.isValid());
        QCOMPARE(texts(text, segmenter.sentences(text)), expected);
    }

    void offsetsAreExactInsideARange()
    {
        Segmenter segmenter;
        const QString text = QStringLiteral("ignored. First one. Second one. ignored");
        const int from = static_cast<int>(text.indexOf(QLatin1String("First")));
        const int to = static_cast<int>(text.indexOf(QLatin1String(" ignored")));
        const auto ranges = segmenter.sentences(text, from, to);
        QCOMPARE(ranges.size(), std::size_t(2));
        QCOMPARE(ranges[0], (TextRange { from, from + 10 }));
        QCOMPARE(text.mid(ranges[1].start, ranges[1].length()), QStringLiteral("Second one."));
    }

    void longSentencesAreSplit_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("bound");
        QTest::newRow("words") << QStringLiteral("word ").repeated(1000) << 100;
        QTest::newRow("table lines") << QStringLiteral("cell 1 | cell 2 | cell 3\n").repeated(200) << 120;
        QTest::newRow("no spaces") << QStringLiteral("x").repeated(5000) << 64;
        QTest::newRow("chinese commas") << QString::fromUtf8("天下大势，分久必合，合久必分").repeated(100) << 50;
        QTest::newRow("surrogates") << QString::fromUtf8("\U00020000").repeated(300) << 33;
    }
    void longSentencesAreSplit()
    {
        QFETCH(QString, text);
        QFETCH(int, bound);
        Segmenter segmenter;
        segmenter.setMaxSentenceLength(bound);
        const auto ranges = segmenter.sentences(text);
        QVERIFY(ranges.size() > 1);
        int covered = 0;
        int previousEnd = 0;
        for (const TextRange &r : ranges) {
            QVERIFY(r.length() > 0 && r.length() <= bound);
            QVERIFY(r.start >= previousEnd);
            QVERIFY(!text.at(r.start).isLowSurrogate());
            QVERIFY(!text.at(r.start).isSpace() && !text.at(r.end - 1).isSpace());
            covered += static_cast<int>(text.mid(r.start, r.length()).remove(QRegularExpression("\\s")).size());
            previousEnd = r.end;
        }
        QCOMPARE(covered, static_cast<int>(QString(text).remove(QRegularExpression("\\s")).size()));
    }

    void words_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("english") << "en"
                                 << "Don't stop, 3.5 times!" << QStringList { "Don't", "stop", "3.5", "times" };
        QTest::newRow("chinese") << "zh" << QString::fromUtf8("我们是中国人")
                                 << QStringList {
                                        QString::fromUtf8("我们"), QString::fromUtf8("是"), QString::fromUtf8("中国人")
                                    };
    }
    void words()
    {
        QFETCH(QString, locale);
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        Segmenter segmenter(locale);
        QCOMPARE(texts(text, segmenter.words(text)), expected);
    }

    void buildsContentWithPagesSectionsAndSentences()
    {
        ParsedDocument doc;
        doc.pages.push_back({ QStringLiteral("Title page. Hello."), 612, 792, { { 0, 5, 1, 2, 3, 4 } } });
        doc.pages.push_back({ QStringLiteral("Chapter one. It begins."), 612, 792, {} });
        doc.sections.push_back({ 1, QStringLiteral("Front"), 1, 0 });
        doc.sections.push_back({ 1, QStringLiteral("One"), 2, 0 });
        doc.sections.push_back({ 2, QStringLiteral("One.1"), 2, 13 });
        Segmenter segmenter;
        const store::DocumentContent c = buildContent(doc, segmenter);
        QCOMPARE(c.text, QStringLiteral("Title page. Hello.\n\nChapter one. It begins."));
        QCOMPARE(c.pages.size(), std::size_t(2));
        QCOMPARE(c.pages[1].start, 20);
        QCOMPARE(c.pages[1].end, static_cast<int>(c.text.size()));
        QCOMPARE(c.pages[0].words[0].end, 5);
        QCOMPARE(c.sentences.size(), std::size_t(4));
        for (const auto &s : c.sentences)
            QCOMPARE(c.text.mid(s.start, s.end - s.start), s.text);
        QCOMPARE(c.sentences[2].page, 2);
        QCOMPARE(c.sentences[2].text, QStringLiteral("Chapter one."));
        QCOMPARE(c.sections.size(), std::size_t(3));
        QCOMPARE(c.sections[0].end, 20);
        QCOMPARE(c.sections[1].end, static_cast<int>(c.text.size()));
        QCOMPARE(c.sections[2].start, 33);
        QVERIFY(!isBlank(c));
    }

    void segmentsFast()
    {
        const QString text
            = QStringLiteral("The quick brown fox jumps over the lazy dog, said Mr. Smith. ").repeated(40000);
        Segmenter segmenter;
        QElapsedTimer timer;
        timer.start();
        const auto ranges = segmenter.sentences(text);
        const double mbPerSecond = text.size() / 1e6 / std::max(1e-3, timer.elapsed() / 1000.0);
        qInfo("%zu sentences, %.1f M chars/s", ranges.size(), mbPerSecond);
        QCOMPARE(ranges.size(), std::size_t(40000));
    }
};

QTEST_GUILESS_MAIN(SegmenterTest)
#include "segmentertest.moc"
