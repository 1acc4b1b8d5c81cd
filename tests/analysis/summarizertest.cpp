// Extractive summaries: length, order, redundancy removal, Chinese, long inputs.
#include "analysis/summarizer.h"

#include "testcorpus.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTest>

using namespace quire;
using namespace quire::analysis;

namespace
{

std::vector<store::SentenceRecord> records(const QStringList &texts)
{
    std::vector<store::SentenceRecord> out;
    int offset = 0;
    for (const QString &t : texts) {
        store::SentenceRecord r;
        r.id = std::int64_t(out.size() + 100);
        r.start = offset;
        r.end = offset + int(t.size());
        r.text = t;
        offset = r.end + 1;
        out.push_back(r);
    }
    return out;
}

const QStringList whaleStory = {
    QStringLiteral(
        "The whaling ship left the harbour of Nantucket on a grey winter morning with a crew of thirty men."),
    QStringLiteral("The captain of the whaling ship had lost his leg to a great white whale on an earlier voyage."),
    QStringLiteral("The captain of the whaling ship had lost his leg to a great white whale on an earlier voyage."),
    QStringLiteral("Breakfast was biscuits."),
    QStringLiteral("For months the crew of the ship hunted whales across the ocean and boiled their oil on deck."),
    QStringLiteral("The captain swore the crew to hunt the white whale that had taken his leg, whatever the cost."),
    QStringLiteral("A sailor played the fiddle while the moon rose."),
    QStringLiteral("At last the white whale was sighted, and the captain and the crew chased it for three days."),
    QStringLiteral(
        "The whale destroyed the whaling ship and the captain drowned, and only one man of the crew survived."),
};

} // namespace

class SummarizerTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void length_data()
    {
        QTest::addColumn<int>("sentences");
        QTest::addColumn<double>("ratio");
        QTest::addColumn<int>("expected");
        QTest::newRow("two sentences") << 2 << 0.0 << 2;
        QTest::newRow("three sentences") << 3 << 0.0 << 3;
        QTest::newRow("ratio a third") << 0 << 0.34 << 3;
        QTest::newRow("more than exist") << 50 << 0.0 << 9;
    }
    void length()
    {
        QFETCH(int, sentences);
        QFETCH(double, ratio);
        QFETCH(int, expected);
        SummaryOptions options;
        options.sentences = sentences;
        options.ratio = ratio;
        const auto input = records(whaleStory);
        const auto summary = Summarizer::summarize(input, QStringLiteral("en"), options);
        QCOMPARE(int(summary.size()), expected);
        for (std::size_t i = 0; i < summary.size(); ++i) {
            QCOMPARE(summary[i].sentenceId, input[summary[i].index].id); // the source sentence, for highlighting
            if (i > 0)
                QVERIFY(summary[i - 1].index < summary[i].index); // document order
        }
    }

    void centralAndNotRedundant()
    {
        SummaryOptions options;
        options.sentences = 3;
        const auto summary = Summarizer::summarize(records(whaleStory), QStringLiteral("en"), options);
        QSet<int> chosen;
        for (const auto &s : summary)
            chosen.insert(s.index);
        QVERIFY(!(chosen.contains(1) && chosen.contains(2))); // the repeated sentence once at most
        QVERIFY(!chosen.contains(3)); // too short to summarise anything
        QVERIFY(!chosen.contains(6)); // off topic
    }

    void languages_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QStringList>("texts");
        QTest::newRow("chinese") << "zh"
                                 << QStringList { QStringLiteral("刘备与关羽张飞在桃园结义，誓同生死。"),
                                        QStringLiteral("曹操在许昌挟天子以令诸侯。"),
                                        QStringLiteral("刘备三顾茅庐，请诸葛亮出山辅佐。"),
                                        QStringLiteral("诸葛亮为刘备定下三分天下之计。"),
                                        QStringLiteral("天下大势，分久必合，合久必分。") };
        QTest::newRow("spanish") << "es"
                                 << QStringList { QStringLiteral(
                                                      "Don Quijote salió de su aldea en busca de aventuras."),
                                        QStringLiteral("Sancho Panza acompañó a don Quijote como escudero fiel."),
                                        QStringLiteral("Los molinos de viento parecieron gigantes a don Quijote."),
                                        QStringLiteral("El cura y el barbero quemaron los libros.") };
    }
    void languages()
    {
        QFETCH(QString, language);
        QFETCH(QStringList, texts);
        SummaryOptions options;
        options.sentences = 2;
        const auto summary = Summarizer::summarize(records(texts), language, options);
        QCOMPARE(int(summary.size()), 2);
        QVERIFY(summary[0].score > 0);
    }

    // Long inputs go block by block; on a whole novel this must stay fast.
    void novel()
    {
        const QString path = testing::sharedCorpus() + QStringLiteral("/novels/pg2701_moby_dick.txt");
        if (!QFile::exists(path))
            QSKIP("needs ../shared/corpus/novels/pg2701_moby_dick.txt (absent)");
        auto content = testing::buildContent(testing::readText(path));
        for (std::size_t i = 0; i < content.sentences.size(); ++i)
            content.sentences[i].id = std::int64_t(i + 1);
        QElapsedTimer timer;
        timer.start();
        SummaryOptions options;
        options.sentences = 10;
        const auto summary = Summarizer::summarize(content.sentences, QStringLiteral("en"), options);
        qInfo("Moby-Dick: %zu sentences summarised in %.2f s", content.sentences.size(), timer.elapsed() / 1000.0);
        QCOMPARE(int(summary.size()), 10);
        QSet<std::int64_t> ids;
        for (const auto &s : summary)
            ids.insert(s.sentenceId);
        QCOMPARE(int(ids.size()), 10);
    }
};

QTEST_GUILESS_MAIN(SummarizerTest)
#include "summarizertest.moc"
