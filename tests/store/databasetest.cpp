#include "store/database.h"

#include <QTest>

using namespace quire::store;

class DatabaseTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bindAndRead_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("ascii") << QStringLiteral("hello");
        QTest::newRow("accents") << QStringLiteral("Natásha Rostóva");
        QTest::newRow("cjk") << QStringLiteral("三国演义");
        QTest::newRow("empty") << QString(QLatin1String(""));
    }
    void bindAndRead()
    {
        QFETCH(QString, text);
        auto db = Database::open(QStringLiteral(":memory:"), true);
        QVERIFY(db);
        QVERIFY((*db)->exec("CREATE TABLE t(a INTEGER, b TEXT, c BLOB, d REAL)"));
        auto insert = (*db)->prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
        QVERIFY(insert);
        QVERIFY(insert->bind(1, std::int64_t(1) << 40).bind(2, text).bind(3, QByteArray("\0x", 2)).bind(4, 2.5).run());
        auto select = (*db)->prepare("SELECT a, b, c, d FROM t");
        QVERIFY(select);
        auto row = select->step();
        QVERIFY(row && *row);
        QCOMPARE(select->int64(0), std::int64_t(1) << 40);
        QCOMPARE(select->text(1), text);
        QCOMPARE(select->blob(2), QByteArray("\0x", 2));
        QCOMPARE(select->real(3), 2.5);
    }
    void transactionRollsBackUnlessCommitted()
    {
        auto db = Database::open(QStringLiteral(":memory:"), true);
        QVERIFY(db);
        QVERIFY((*db)->exec("CREATE TABLE t(a)"));
        {
            Database::Transaction tx(**db);
            QVERIFY(tx.isActive());
            QVERIFY((*db)->exec("INSERT INTO t VALUES (1)"));
        }
        {
            Database::Transaction outer(**db);
            QVERIFY((*db)->exec("INSERT INTO t VALUES (2)"));
            {
                Database::Transaction inner(**db); // nests as a savepoint
                QVERIFY((*db)->exec("INSERT INTO t VALUES (3)"));
                QVERIFY(inner.commit());
            }
            QVERIFY(outer.commit());
        }
        auto count = (*db)->prepare("SELECT group_concat(a) FROM t");
        QVERIFY(count && count->step());
        QCOMPARE(count->text(0), QStringLiteral("2,3"));
    }
    void badSqlIsAnError()
    {
        auto db = Database::open(QStringLiteral(":memory:"), true);
        QVERIFY(db);
        auto st = (*db)->prepare("SELEKT nothing");
        QVERIFY(!st);
        QVERIFY(!st.error().message.empty());
    }
};

QTEST_GUILESS_MAIN(DatabaseTest)
#include "databasetest.moc"
