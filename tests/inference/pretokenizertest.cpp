#include "inference/pretokenizer.h"

#include <QFile>
#include <QTest>

using namespace quire::inference;

namespace
{

const QString TestData = QStringLiteral(QUIRE_TEST_DATA "/vocab");

QString piecesOf(const PreTokenizer &pre, const QByteArray &text)
{
    std::vector<PreTokenizer::Piece> pieces;
    pre.split(std::string_view(text.constData(), static_cast<std::size_t>(text.size())), pieces);
    QStringList hex;
    for (const PreTokenizer::Piece &p : pieces)
        hex << QString::fromLatin1(
            text.mid(static_cast<qsizetype>(p.offset), static_cast<qsizetype>(p.length)).toHex());
    return hex.join(u' ');
}

} // namespace

class PreTokenizerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesPythonRegex_data();
    void matchesPythonRegex();
    void piecesCoverTheText();
    void unknownNameIsRefused();
};

// tests/data/vocab/pretokenizer_splits.txt: the splits of the Python `regex` module for llama.cpp's
// regexes (make_pretokenizer_splits.py), for every llama.cpp test string and a few more.
void PreTokenizerTest::matchesPythonRegex_data()
{
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QFile f(TestData + QStringLiteral("/pretokenizer_splits.txt"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    int line = 0;
    while (!f.atEnd()) {
        const QList<QByteArray> cols = f.readLine().chopped(1).split('\t');
        QVERIFY(cols.size() == 3);
        const QByteArray row = cols[0] + '/' + QByteArray::number(++line);
        QTest::newRow(row.constData()) << QString::fromLatin1(cols[0]) << QByteArray::fromHex(cols[1])
                                       << QString::fromLatin1(cols[2]);
    }
    QVERIFY(line > 300);
}

void PreTokenizerTest::matchesPythonRegex()
{
    QFETCH(QString, variant);
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    const auto pre = PreTokenizer::forName(variant.toStdString());
    QVERIFY(pre);
    QCOMPARE(piecesOf(*pre, text), expected);
}

// Invalid UTF-8 is kept byte for byte: the pieces always tile the whole text.
void PreTokenizerTest::piecesCoverTheText()
{
    static constexpr char raw[] = "ok \xFF\xC3 caf\xC3\xA9 \xE2\x82 12345\r\n\n end  ";
    const QByteArray text(raw, sizeof(raw) - 1);
    for (const char *name : { "gpt-2", "llama-bpe", "qwen2", "starcoder", "default", "falcon", "deepseek-coder" }) {
        const auto pre = PreTokenizer::forName(name);
        QVERIFY(pre);
        std::vector<PreTokenizer::Piece> pieces;
        pre->split(std::string_view(text.constData(), static_cast<std::size_t>(text.size())), pieces);
        std::size_t next = 0;
        for (const PreTokenizer::Piece &p : pieces) {
            QCOMPARE(p.offset, next);
            QVERIFY(p.length > 0);
            next += p.length;
        }
        QCOMPARE(next, static_cast<std::size_t>(text.size()));
    }
}

void PreTokenizerTest::unknownNameIsRefused()
{
    QVERIFY(!PreTokenizer::forName("no-such-pre"));
    QVERIFY(PreTokenizer::forName("")); // no `tokenizer.ggml.pre`: llama.cpp's default
}

QTEST_GUILESS_MAIN(PreTokenizerTest)
#include "pretokenizertest.moc"
