#include "inference/stopstrings.h"

#include <QTest>

using namespace quire::inference;

namespace
{

struct Run {
    std::vector<std::string> emitted; // what each push returned
    std::string total; // everything shown, flush included
    bool stopped = false;
    std::string matched;
};

Run feed(const std::vector<std::string> &stops, const std::vector<std::string> &pieces)
{
    StopStrings s(stops);
    Run run;
    for (const std::string &piece : pieces) {
        run.emitted.push_back(s.push(piece));
        run.total += run.emitted.back();
    }
    run.total += s.flush();
    run.stopped = s.isStopped();
    run.matched = s.matchedStop();
    return run;
}

QStringList toList(const std::vector<std::string> &v)
{
    QStringList out;
    for (const std::string &s : v)
        out << QString::fromStdString(s);
    return out;
}

bool validUtf8(const std::string &s)
{
    return QString::fromUtf8(s).toUtf8() == QByteArray::fromStdString(s)
        && !QString::fromUtf8(s).contains(QChar(0xFFFD));
}

} // namespace

class StopStringsTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stream_data()
    {
        QTest::addColumn<QStringList>("stops");
        QTest::addColumn<QStringList>("pieces");
        QTest::addColumn<QStringList>("emitted"); // per push
        QTest::addColumn<QString>("total");
        QTest::addColumn<QString>("matched");
        QTest::newRow("no stops") << QStringList {} << QStringList { "Hel", "lo" } << QStringList { "Hel", "lo" }
                                  << "Hello"
                                  << "";
        QTest::newRow("stop inside a piece")
            << QStringList { "END" } << QStringList { "abc END def", "more" } << QStringList { "abc ", "" } << "abc "
            << "END";
        QTest::newRow("stop across three pieces")
            << QStringList { "<|im_end|>" } << QStringList { "Hi<|", "im_", "end|>tail" }
            << QStringList { "Hi", "", "" } << "Hi"
            << "<|im_end|>";
        QTest::newRow("false start released") << QStringList { "<|im_end|>" } << QStringList { "a<|im", "_x", "y" }
                                              << QStringList { "a", "<|im_x", "y" } << "a<|im_xy"
                                              << "";
        QTest::newRow("overlapping prefix")
            << QStringList { "abab" } << QStringList { "aba", "c" } << QStringList { "", "abac" } << "abac"
            << "";
        QTest::newRow("overlap then stop")
            << QStringList { "abab" } << QStringList { "xaba", "bab" } << QStringList { "x", "" } << "x"
            << "abab";
        QTest::newRow("earliest of two") << QStringList { "World", "lo W" } << QStringList { "Hello World" }
                                         << QStringList { "Hel" } << "Hel"
                                         << "lo W";
        QTest::newRow("held prefix flushed at end")
            << QStringList { "\n\nUser:" } << QStringList { "done", "\n\n" } << QStringList { "done", "" } << "done\n\n"
            << "";
        QTest::newRow("stop at very start")
            << QStringList { "</s>" } << QStringList { "</s>x" } << QStringList { "" } << ""
            << "</s>";
    }
    void stream()
    {
        QFETCH(QStringList, stops);
        QFETCH(QStringList, pieces);
        QFETCH(QStringList, emitted);
        QFETCH(QString, total);
        QFETCH(QString, matched);
        std::vector<std::string> s;
        std::vector<std::string> p;
        for (const QString &x : stops)
            s.push_back(x.toStdString());
        for (const QString &x : pieces)
            p.push_back(x.toStdString());
        const Run run = feed(s, p);
        QCOMPARE(toList(run.emitted), emitted);
        QCOMPARE(QString::fromStdString(run.total), total);
        QCOMPARE(run.stopped, !matched.isEmpty());
        QCOMPARE(QString::fromStdString(run.matched), matched);
    }

    void utf8_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("stop");
        QTest::newRow("two-byte") << QByteArray("caf\xC3\xA9 ok") << "";
        QTest::newRow("three-byte") << QByteArray("\xE6\x97\xA5\xE6\x9C\xAC") << "";
        QTest::newRow("four-byte") << QByteArray("x\xF0\x9F\x98\x80y") << "";
        QTest::newRow("stop after emoji") << QByteArray("\xF0\x9F\x98\x80STOP\xF0\x9F\x98\x80") << "STOP";
        QTest::newRow("multibyte stop") << QByteArray("a\xE6\x97\xA5\xE6\x9C\xAC b") << "\xE6\x9C\xAC";
    }
    // Every split of the text into two or three pieces gives valid UTF-8 on every push and the same total.
    void utf8()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, stop);
        const std::string text = bytes.toStdString();
        const std::vector<std::string> stops
            = stop.isEmpty() ? std::vector<std::string> {} : std::vector<std::string> { stop.toStdString() };
        const std::string whole = feed(stops, { text }).total;
        for (std::size_t i = 0; i <= text.size(); ++i) {
            for (std::size_t j = i; j <= text.size(); ++j) {
                const Run run = feed(stops, { text.substr(0, i), text.substr(i, j - i), text.substr(j) });
                for (const std::string &e : run.emitted)
                    QVERIFY2(validUtf8(e), qPrintable(QStringLiteral("split %1/%2").arg(i).arg(j)));
                QCOMPARE(run.total, whole);
            }
        }
        if (!stop.isEmpty())
            QCOMPARE(QString::fromStdString(whole), QString::fromUtf8(bytes).section(stop, 0, 0));
        else
            QCOMPARE(whole, text);
    }

    void invalidBytes()
    {
        QCOMPARE(sanitiseUtf8("a\xFF"
                              "b"),
            std::string("a\xEF\xBF\xBD"
                        "b"));
        QCOMPARE(sanitiseUtf8("\xC0\x80"), std::string("\xEF\xBF\xBD\xEF\xBF\xBD")); // overlong
        QCOMPARE(sanitiseUtf8("\xED\xA0\x80"), std::string("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD")); // surrogate
        QCOMPARE(incompleteUtf8Tail("ab\xE6\x97"), std::size_t(2));
        QCOMPARE(incompleteUtf8Tail("ab\xE6\x97\xA5"), std::size_t(0));
        QCOMPARE(incompleteUtf8Tail("ab\xED\xA0"), std::size_t(0)); // can never become valid
        StopStrings s({ "x" });
        QCOMPARE(s.push("ok\xE6\x97"), std::string("ok"));
        QCOMPARE(s.heldBytes(), std::size_t(2));
        QCOMPARE(s.flush(), std::string("\xEF\xBF\xBD\xEF\xBF\xBD")); // the stream ended mid-character
    }

    void stoppedIgnoresMore()
    {
        StopStrings s({ "##" });
        QCOMPARE(s.push("a##b"), std::string("a"));
        QVERIFY(s.isStopped());
        QCOMPARE(s.push("more"), std::string());
        QCOMPARE(s.flush(), std::string());
        s.reset();
        QVERIFY(!s.isStopped());
        QCOMPARE(s.push("c#"), std::string("c"));
        QCOMPARE(s.push("d"), std::string("#d"));
    }
};

QTEST_GUILESS_MAIN(StopStringsTest)
#include "stopstringstest.moc"
