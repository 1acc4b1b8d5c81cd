#include "util/textutil.h"

#include <QTest>

using namespace quire::util;

class TextUtilTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void searchForm_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("latin untouched") << QStringLiteral("Call me Ishmael.") << QStringLiteral("Call me Ishmael.");
        QTest::newRow("han spaced") << QStringLiteral("刘备曰") << QStringLiteral(" 刘 备 曰");
        QTest::newRow("mixed") << QStringLiteral("abc刘备def") << QStringLiteral("abc 刘 备 def");
        QTest::newRow("kana") << QStringLiteral("すし") << QStringLiteral(" す し");
        QTest::newRow("astral ideograph") << QString::fromUcs4(U"𠀀a") << QString::fromUcs4(U" 𠀀 a");
    }
    void searchForm()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(quire::util::searchForm(input), expected);
    }
    void ftsQuery_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << QStringLiteral("whale AND ship") << QStringLiteral("whale AND ship");
        QTest::newRow("cjk run becomes phrase") << QStringLiteral("刘备") << QStringLiteral("\"刘 备\"");
        QTest::newRow("cjk inside quotes") << QStringLiteral("\"刘备 曹操\"") << QStringLiteral("\"刘 备 曹 操 \"");
        QTest::newRow("prefix") << QStringLiteral("whal*") << QStringLiteral("whal*");
    }
    void ftsQuery()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(quire::util::ftsQuery(input), expected);
    }
};

QTEST_GUILESS_MAIN(TextUtilTest)
#include "textutiltest.moc"
