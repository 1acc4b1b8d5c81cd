// Entities, aliases, dates and legal patterns on small texts, and the quality goals on the shared corpus.
#include "analysis/entityextractor.h"

#include "analysis/lexicon.h"
#include "testcorpus.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QTest>
#include <algorithm>
#include <thread>

using namespace quire;
using namespace quire::analysis;

namespace
{

struct Entity {
    QString key;
    QString name;
    EntityType type;
    int mentions = 0;
};

std::vector<store::SentenceRecord> sentencesOf(const QString &text)
{
    auto content = testing::buildContent(text);
    for (std::size_t i = 0; i < content.sentences.size(); ++i)
        content.sentences[i].id = std::int64_t(i + 1);
    return content.sentences;
}

std::vector<Entity> entitiesOf(const std::vector<Mention> &mentions)
{
    QHash<QString, Entity> byKey;
    for (const Mention &m : mentions) {
        Entity &e = byKey[m.key];
        e.key = m.key;
        e.name = m.canonical;
        e.type = m.type;
        ++e.mentions;
    }
    std::vector<Entity> out(byKey.begin(), byKey.end());
    std::sort(out.begin(), out.end(), [](const Entity &a, const Entity &b) { return a.mentions > b.mentions; });
    return out;
}

std::vector<Entity> topOfType(const std::vector<Entity> &all, EntityType type, int n)
{
    std::vector<Entity> out;
    for (const Entity &e : all) {
        if (e.type == type && int(out.size()) < n)
            out.push_back(e);
    }
    return out;
}

QString keyOf(const std::vector<Mention> &mentions, const QString &surface)
{
    for (const Mention &m : mentions) {
        if (m.surface == surface)
            return m.key;
    }
    return {};
}

} // namespace

class EntityExtractorTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Two surfaces are one entity (or two, when `same` is false).
    void aliases_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("same");
        const QString bennet = QStringLiteral(
            "Elizabeth Bennet walked into the room. Then Mr. Bennet looked up from his book. Later Elizabeth smiled at "
            "him. Of course Miss Elizabeth was right. And Jane Bennet laughed. So Mr. Bennet said nothing. "
            "At last Elizabeth left.\n");
        QTest::newRow("given name joins full name") << bennet << "Elizabeth"
                                                    << "Elizabeth Bennet" << true;
        QTest::newRow("honorific with given name") << bennet << "Miss Elizabeth"
                                                   << "Elizabeth Bennet" << true;
        QTest::newRow("family surname stays apart") << bennet << "Mr. Bennet"
                                                    << "Elizabeth Bennet" << false;
        const QString ahab = QStringLiteral("Then Captain Ahab stood on the deck. The men feared Ahab, and said "
                                            "Stubb to Flask that Ahab was mad. Now Ahab spoke.\n");
        QTest::newRow("title stripped") << ahab << "Captain Ahab"
                                        << "Ahab" << true;
        const QString natasha = QStringLiteral("Then Natásha laughed. And so said Natasha to Pierre. Soon Natásha "
                                               "danced.\n");
        QTest::newRow("accents ignored") << natasha << "Natásha"
                                         << "Natasha" << true;
        const QString sanguo = QStringLiteral("那人姓刘名备，字玄德。玄德曰：“吾欲破贼。”玄德大喜。又见刘玄德来。"
                                              "复姓诸葛，名亮，字孔明。孔明曰：“可也。”孔明笑曰：“善。”\n");
        QTest::newRow("courtesy name") << sanguo << "玄德"
                                       << "刘备" << true;
        QTest::newRow("surname and courtesy name") << sanguo << "刘玄德"
                                                   << "刘备" << true;
        QTest::newRow("compound surname") << sanguo << "孔明"
                                          << "诸葛亮" << true;
    }
    void aliases()
    {
        QFETCH(QString, text);
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, same);
        const bool cjk = text.contains(QChar(0x540D));
        auto mentions = EntityExtractor::extract(sentencesOf(text), cjk ? QStringLiteral("zh") : QStringLiteral("en"));
        const QString keyA = keyOf(mentions, a);
        QString keyB = keyOf(mentions, b);
        if (keyB.isEmpty()) // the canonical may never be written as such (刘备 here)
            keyB = QStringLiteral("person:") + foldKey(b);
        QVERIFY2(!keyA.isEmpty(), qPrintable(a + " not found"));
        QCOMPARE(keyA == keyB, same);
    }

    void dates_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("expected");
        QTest::newRow("month day year") << "It was signed on May 25th, 2018 in Stamford."
                                        << ""
                                        << "2018-05-25";
        QTest::newRow("day month year") << "Dated 1 May 2019 at noon."
                                        << ""
                                        << "2019-05-01";
        QTest::newRow("spanish") << "Escrito el 3 de mayo de 1605 en Madrid."
                                 << ""
                                 << "1605-05-03";
        QTest::newRow("iso") << "Logged 2020-02-29 by the clerk."
                             << ""
                             << "2020-02-29";
        QTest::newRow("chinese") << "会议于2019年5月1日召开。"
                                 << ""
                                 << "2019-05-01";
        QTest::newRow("yesterday") << "I called him yesterday about it."
                                   << "2020-03-10"
                                   << "2020-03-09";
        QTest::newRow("last monday") << "We met last Monday in the office."
                                     << "2020-03-12"
                                     << "2020-03-09";
        QTest::newRow("year") << "He sailed in 1851 from home."
                              << ""
                              << "1851";
    }
    void dates()
    {
        QFETCH(QString, text);
        QFETCH(QString, reference);
        QFETCH(QString, expected);
        auto mentions = EntityExtractor::extract(
            sentencesOf(text + QLatin1Char('\n')), QStringLiteral("en"), QDate::fromString(reference, Qt::ISODate));
        QStringList found;
        for (const Mention &m : mentions) {
            if (m.type == EntityType::Date)
                found << m.normalized;
        }
        QVERIFY2(found.contains(expected), qPrintable(found.join(QLatin1Char(','))));
    }

    void legal_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("surface");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("canonical");
        const QString contract = QStringLiteral(
            "This Agreement is made by and between Acme Widgets, Inc. (\"Company\"), a Nevada corporation, and "
            "Blue Sky LLC (\"Consultant\"). The Company shall pay the Consultant $5,000 within 30 days. Claims "
            "under 15 U.S.C. § 78j(b) are excluded, see Case No. 3:19-cv-01234 before the United States District "
            "Court.\n");
        QTest::newRow("party") << contract << "Acme Widgets, Inc."
                               << "party"
                               << "Acme Widgets, Inc.";
        QTest::newRow("defined term") << contract << "Consultant"
                                      << "party"
                                      << "Blue Sky LLC";
        QTest::newRow("money") << contract << "$5,000"
                               << "money"
                               << "$5,000";
        QTest::newRow("quantity") << contract << "30 days"
                                  << "quantity"
                                  << "30 days";
        QTest::newRow("statute") << contract << "15 U.S.C. § 78j(b)"
                                 << "statute"
                                 << "15 U.S.C. § 78j(b)";
        QTest::newRow("case number") << contract << "Case No. 3:19-cv-01234"
                                     << "case_number"
                                     << "Case No. 3:19-cv-01234";
    }
    void legal()
    {
        QFETCH(QString, text);
        QFETCH(QString, surface);
        QFETCH(QString, type);
        QFETCH(QString, canonical);
        const auto mentions = EntityExtractor::extract(sentencesOf(text), QStringLiteral("en"));
        QStringList seen;
        for (const Mention &m : mentions) {
            seen << m.surface + QLatin1Char('/') + typeName(m.type);
            if (m.surface == surface) {
                QCOMPARE(typeName(m.type), type);
                QCOMPARE(m.canonical, canonical);
                return;
            }
        }
        QFAIL(qPrintable(surface + QStringLiteral(" not found in: ") + seen.join(QStringLiteral("; "))));
    }

    void mobyDick();
    void contracts();
    void sanguo();
};

namespace
{

// Skips the calling test function when the shared corpus is absent.
#define REQUIRE_CORPUS(relative)                                                                                       \
    const QString corpusFile = testing::sharedCorpus() + QStringLiteral(relative);                                     \
    if (!QFile::exists(corpusFile))                                                                                    \
        QSKIP(qPrintable(QStringLiteral("needs ../shared/corpus (") + corpusFile + QStringLiteral(" is absent)")));

std::vector<Entity> timedEntities(const QString &text, const QString &language, const char *what)
{
    const auto sentences = sentencesOf(text);
    QElapsedTimer timer;
    timer.start();
    const auto mentions = EntityExtractor::extract(sentences, language);
    qInfo("%s: %zu sentences, %zu mentions, entities in %.2f s (one thread)",
        what,
        sentences.size(),
        mentions.size(),
        timer.elapsed() / 1000.0);
    return entitiesOf(mentions);
}

QStringList names(const std::vector<Entity> &entities)
{
    QStringList out;
    for (const Entity &e : entities)
        out << QStringLiteral("%1 (%2 %3)").arg(e.name, typeName(e.type)).arg(e.mentions);
    return out;
}

// Minimal CSV: quoted fields with doubled quotes.
QList<QStringList> readCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"'))
                field += text.at(++i);
            else if (c == QLatin1Char('"'))
                quoted = false;
            else
                field += c;
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
        } else if (c == QLatin1Char('\n')) {
            rows << (row << field);
            row.clear();
            field.clear();
        } else if (c != QLatin1Char('\r')) {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty())
        rows << (row << field);
    return rows;
}

QString loose(const QString &name)
{
    QString s = foldKey(name);
    s.remove(QRegularExpression(QStringLiteral("[^\\w ]")));
    return s.simplified();
}

} // namespace

void EntityExtractorTest::mobyDick()
{
    REQUIRE_CORPUS("/novels/pg2701_moby_dick.txt");
    const QString text = testing::readText(corpusFile);
    const auto all = timedEntities(text, QStringLiteral("en"), "moby dick");
    qInfo("top entities of any type: %s",
        qPrintable(names(std::vector<Entity>(all.begin(), all.begin() + std::min<std::size_t>(40, all.size())))
                       .join(QStringLiteral(", "))));
    const auto top = topOfType(all, EntityType::Person, 15);
    qInfo("top people: %s", qPrintable(names(top).join(QStringLiteral(", "))));
    QStringList topNames;
    for (const Entity &e : top)
        topNames << e.name;
    for (const char *expected : { "Ahab", "Ishmael", "Queequeg", "Starbuck", "Stubb", "Flask" })
        QVERIFY2(topNames.contains(QLatin1String(expected)), expected);
    // Characters of the novel (hand list) for precision at 15; no common word and no place.
    const QStringList characters = { "Ahab",
        "Ishmael",
        "Queequeg",
        "Starbuck",
        "Stubb",
        "Flask",
        "Peleg",
        "Bildad",
        "Pip",
        "Tashtego",
        "Daggoo",
        "Fedallah",
        "Moby Dick",
        "Jonah",
        "Steelkilt",
        "Radney",
        "Gabriel",
        "Perth",
        "Elijah",
        "Bulkington",
        "Mapple",
        "Charity",
        "Derick",
        "Boomer",
        "Bunger",
        "Gardiner",
        "Coffin",
        "Hussey",
        "Fleece",
        "Dough-Boy",
        "Mayhew",
        "Jeroboam",
        "Peter Coffin",
        "Aunt Charity" };
    int correct = 0;
    for (const Entity &e : top) {
        correct += characters.contains(e.name) ? 1 : 0;
        QVERIFY2(!Lexicon::instance().isPlace(foldKey(e.name)), qPrintable(e.name + QStringLiteral(" is a place")));
        QVERIFY2(!Lexicon::instance().isAnyStopword(foldKey(e.name)), qPrintable(e.name));
        const QRegularExpression lower(QStringLiteral("\\b") + e.name.toLower() + QStringLiteral("\\b"));
        const QRegularExpression upper(QStringLiteral("\\b") + e.name + QStringLiteral("\\b"));
        QVERIFY2(text.count(lower) < text.count(upper), qPrintable(e.name + QStringLiteral(" is a common word")));
    }
    qInfo("precision at 15 against the list of characters: %d/15", correct);
}

void EntityExtractorTest::contracts()
{
    REQUIRE_CORPUS("/legal/contracts/cuad_labels.csv");
    const QList<QStringList> rows = readCsv(testing::readText(corpusFile));
    const int fileColumn = int(rows.value(0).indexOf(QStringLiteral("Filename")));
    const int partyColumn = int(rows.value(0).indexOf(QStringLiteral("Parties")));
    QVERIFY(fileColumn >= 0 && partyColumn >= 0);
    int labels = 0, found = 0, parties = 0, correctParties = 0;
    for (const QStringList &row : rows.mid(1)) {
        QString file = row.value(fileColumn);
        file.remove(QLatin1Char(','))
            .replace(QLatin1Char(' '), QLatin1Char('_'))
            .replace(QStringLiteral(".PDF"), QStringLiteral(".txt"));
        const QString text = testing::readText(testing::sharedCorpus() + QStringLiteral("/legal/contracts/") + file);
        QVERIFY2(!text.isEmpty(), qPrintable(file));
        const auto mentions = EntityExtractor::extract(sentencesOf(text), QStringLiteral("en"));
        QSet<QString> surfaces, partyNames;
        for (const Mention &m : mentions) {
            if (m.type == EntityType::Party || m.type == EntityType::Organisation) {
                surfaces << loose(m.surface) << loose(m.canonical);
                if (m.type == EntityType::Party)
                    partyNames << loose(m.canonical);
            }
        }
        QSet<QString> expected;
        static const QRegularExpression item(QStringLiteral("'([^']*)'|\"([^\"]*)\""));
        for (auto it = item.globalMatch(row.value(partyColumn)); it.hasNext();) {
            const auto m = it.next();
            const QString label = m.captured(1) + m.captured(2);
            if (label.count(QLatin1Char(' ')) > 5) // a sentence quoted as a label, not a name
                continue;
            expected << loose(label);
            ++labels;
            const bool hit = surfaces.contains(loose(label));
            found += hit ? 1 : 0;
            if (!hit)
                qInfo("missed party label: %s", qPrintable(label));
        }
        for (const QString &p : partyNames)
            correctParties += expected.contains(p) ? 1 : 0;
        parties += int(partyNames.size());
    }
    qInfo("CUAD parties: recall %d/%d, precision of party entities %d/%d", found, labels, correctParties, parties);
    QVERIFY(labels > 0);
    QVERIFY2(found * 10 >= labels * 9, "recall of CUAD party labels below 90%");
}

void EntityExtractorTest::sanguo()
{
    REQUIRE_CORPUS("/novels/sanguoyanyi_UTF8_CRLF.txt");
    const auto top = topOfType(
        timedEntities(testing::readText(corpusFile), QStringLiteral("zh"), "sanguo"), EntityType::Person, 15);
    qInfo("top people: %s", qPrintable(names(top).join(QStringLiteral(", "))));
    QStringList topNames;
    for (const Entity &e : top)
        topNames << e.name;
    for (const QString &expected : { QStringLiteral("刘备"),
             QStringLiteral("曹操"),
             QStringLiteral("诸葛亮"),
             QStringLiteral("关羽"),
             QStringLiteral("张飞") })
        QVERIFY2(topNames.contains(expected), qPrintable(expected));
}

QTEST_GUILESS_MAIN(EntityExtractorTest)
#include "entityextractortest.moc"
