#include "store/ftstokenizer.h"

#include "store/database.h"

#include <QTest>

using namespace quire::store;

// The "quire" tokenizer through a full-text table of its own, as the library uses it.
class FtsTokenizerTest : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Database> tableWith(const QString &text)
    {
        auto db = Database::open(QStringLiteral(":memory:"), true);
        if (!db)
            return nullptr;
        if (!(*db)->exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'quire remove_diacritics 2', "
                         "prefix = '2 3')"))
            return nullptr;
        auto insert = (*db)->prepare("INSERT INTO t(rowid, body) VALUES (1, ?1)");
        if (!insert || !insert->bind(1, text).run())
            return nullptr;
        return std::move(*db);
    }

private Q_SLOTS:
    // highlight() marks the matches in the original text, so the offsets the tokenizer reports are
    // checked along with the matching itself.
    void matches_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("highlighted"); // empty: no match
        QTest::newRow("latin word") << QStringLiteral("Call me Ishmael.") << QStringLiteral("ishmael")
                                    << QStringLiteral("Call me [Ishmael].");
        QTest::newRow("diacritics") << QStringLiteral("Natásha smiled.") << QStringLiteral("natasha")
                                    << QStringLiteral("[Natásha] smiled.");
        QTest::newRow("chinese name") << QStringLiteral("玄德姓刘名备，刘备曰：善。") << QStringLiteral("\"刘 备\"")
                                      << QStringLiteral("玄德姓刘名备，[刘备]曰：善。");
        QTest::newRow("chinese not adjacent")
            << QStringLiteral("玄德姓刘名备。") << QStringLiteral("\"刘 备\"") << QString();
        QTest::newRow("single character")
            << QStringLiteral("玄德姓刘名备。") << QStringLiteral("名") << QStringLiteral("玄德姓刘[名]备。");
        QTest::newRow("japanese") << QStringLiteral("私は東京に住んでいます。") << QStringLiteral("\"東 京\"")
                                  << QStringLiteral("私は[東京]に住んでいます。");
        QTest::newRow("korean syllables")
            << QStringLiteral("서울에 산다") << QStringLiteral("\"서 울\"") << QStringLiteral("[서울]에 산다");
        QTest::newRow("mixed script word")
            << QStringLiteral("see abc刘备def now") << QStringLiteral("def") << QStringLiteral("see abc刘备[def] now");
        QTest::newRow("mixed script start")
            << QStringLiteral("see abc刘备def now") << QStringLiteral("abc") << QStringLiteral("see [abc]刘备def now");
        QTest::newRow("supplementary plane")
            << QStringLiteral("名𠀀字") << QStringLiteral("\"𠀀 字\"") << QStringLiteral("名[𠀀字]");
        QTest::newRow("prefix") << QStringLiteral("The whales swam.") << QStringLiteral("whal*")
                                << QStringLiteral("The [whales] swam.");
        QTest::newRow("two-letter prefix")
            << QStringLiteral("The whales swam.") << QStringLiteral("wh*") << QStringLiteral("The [whales] swam.");
        QTest::newRow("other non-latin") << QStringLiteral("Война и мир") << QStringLiteral("мир")
                                         << QStringLiteral("Война и [мир]");
    }
    void matches()
    {
        QFETCH(QString, text);
        QFETCH(QString, query);
        QFETCH(QString, highlighted);
        auto db = tableWith(text);
        QVERIFY(db);
        auto st = db->prepare("SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ?1");
        QVERIFY(st);
        auto row = st->bind(1, query).step();
        QVERIFY(row);
        QCOMPARE(*row, !highlighted.isEmpty());
        if (*row)
            QCOMPARE(st->text(0), highlighted);
    }

    // Bytes that are not UTF-8 (a stray 0xFF, a truncated ideograph) are indexed without a crash, and the
    // words after them still match.
    void invalidUtf8()
    {
        auto db = Database::open(QStringLiteral(":memory:"), true);
        QVERIFY(db);
        QVERIFY((*db)->exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'quire')"));
        QVERIFY((*db)->exec("INSERT INTO t(rowid, body) VALUES (1, CAST(x'616263FFE5889820E4BD20646566' AS TEXT))"));
        auto st = (*db)->prepare("SELECT count(*) FROM t WHERE t MATCH 'def'");
        QVERIFY(st && st->step());
        QCOMPARE(st->int64(0), std::int64_t(1));
    }

    void unknownArgumentIsAnError()
    {
        auto db = Database::open(QStringLiteral(":memory:"), true);
        QVERIFY(db);
        QVERIFY(!(*db)->exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'quire no_such_option 1')"));
    }
};

QTEST_GUILESS_MAIN(FtsTokenizerTest)
#include "ftstokenizertest.moc"
