#include "ingest/archivereader.h"

#include "archivebuilder.h"
#include "ingest/documentreader.h"

#include <QTest>

using namespace quire::ingest;
using namespace quire::ingest::test;
using Code = quire::Error::Code;

Q_DECLARE_METATYPE(quire::ingest::test::Format)

class ArchiveReaderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formats_data();
    void formats();
    void nestedArchivesStayChildren();
    void traversalRefused_data();
    void traversalRefused();
    void safeLinksSkipped();
    void bombRefused();
    void limits();
    void nestingDepth();
    void corruptAndEmpty();
    void pathChecks_data();
    void pathChecks();
};

void ArchiveReaderTest::formats_data()
{
    QTest::addColumn<Format>("format");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("type");
    QTest::newRow("zip") << Format::Zip << "a.zip"
                         << "zip";
    QTest::newRow("zip stored") << Format::ZipStored << "a.zip"
                                << "zip";
    QTest::newRow("tar") << Format::Tar << "a.tar"
                         << "tar";
    QTest::newRow("tar.gz") << Format::TarGz << "a.tar.gz"
                            << "tar";
    QTest::newRow("tar.xz") << Format::TarXz << "a.tar.xz"
                            << "tar";
    QTest::newRow("7z") << Format::SevenZip << "a.7z"
                        << "7z";
}

void ArchiveReaderTest::formats()
{
    QFETCH(Format, format);
    QFETCH(QString, name);
    QFETCH(QString, type);
    const QByteArray bytes = buildArchive(format,
        { { "docs/one.txt", "first file", {} },
            { "./two.md", "# Two\n", {} },
            { "docs/sub/three.html", "<p>three</p>", {} } });
    auto doc = readData(bytes, name, {});
    QVERIFY2(doc.has_value(), doc ? "" : doc.error().message.c_str());
    QCOMPARE(doc->type, type);
    QVERIFY(doc->pages.empty());
    QCOMPARE(doc->children.size(), size_t(3));
    QCOMPARE(doc->children[0].name, QStringLiteral("docs/one.txt"));
    QCOMPARE(doc->children[0].data, QByteArray("first file"));
    QCOMPARE(doc->children[1].name, QStringLiteral("two.md"));
    QCOMPARE(doc->metadata.value(QStringLiteral("expandedBytes")).toInteger(), 10 + 6 + 12);
}

void ArchiveReaderTest::nestedArchivesStayChildren()
{
    const QByteArray inner = buildArchive(Format::Zip, { { "deep.txt", "deep text", {} } });
    const QByteArray middle = buildArchive(Format::TarGz, { { "inner.zip", inner, {} }, { "m.txt", "middle", {} } });
    const QByteArray outer = buildArchive(Format::Zip, { { "middle.tar.gz", middle, {} } });
    auto doc = readData(outer, QStringLiteral("outer.zip"), {});
    QVERIFY(doc.has_value());
    QCOMPARE(doc->children.size(), size_t(1));
    QCOMPARE(doc->children[0].data, middle);
    ReadOptions level1 = childOptions({}, *doc);
    QCOMPARE(level1.depth, 1);
    auto mid = readData(doc->children[0].data, doc->children[0].name, level1);
    QVERIFY(mid.has_value());
    QCOMPARE(mid->type, QStringLiteral("tar"));
    QCOMPARE(mid->children.size(), size_t(2));
    auto deep = readData(mid->children[0].data, mid->children[0].name, childOptions(level1, *mid));
    QVERIFY(deep.has_value());
    QCOMPARE(deep->children.front().data, QByteArray("deep text"));
    auto text = readData(deep->children.front().data, deep->children.front().name, {});
    QVERIFY(text.has_value());
    QCOMPARE(text->pages.front().text, QStringLiteral("deep text"));
}

void ArchiveReaderTest::traversalRefused_data()
{
    QTest::addColumn<Format>("format");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("symlink");
    QTest::newRow("dotdot zip") << Format::Zip << "../evil.txt"
                                << "";
    QTest::newRow("dotdot inside") << Format::Zip << "a/../../evil.txt"
                                   << "";
    QTest::newRow("absolute tar") << Format::Tar << "/etc/passwd"
                                  << "";
    QTest::newRow("backslash") << Format::Zip << "..\\evil.txt"
                               << "";
    QTest::newRow("drive letter") << Format::Zip << "C:/Windows/evil.txt"
                                  << "";
    QTest::newRow("symlink out") << Format::Tar << "link"
                                 << "../../etc/passwd";
    QTest::newRow("symlink absolute") << Format::Tar << "dir/link"
                                      << "/etc/passwd";
}

void ArchiveReaderTest::traversalRefused()
{
    QFETCH(Format, format);
    QFETCH(QString, path);
    QFETCH(QString, symlink);
    const QByteArray bytes = buildArchive(format, { { "ok.txt", "fine", {} }, { path, "payload", symlink } });
    auto doc = readData(bytes, QStringLiteral("evil.archive"), {});
    QVERIFY(!doc.has_value());
    QCOMPARE(doc.error().code, Code::Corrupt);
    QVERIFY2(QString::fromStdString(doc.error().message).contains(QLatin1String("outside the archive"))
            || QString::fromStdString(doc.error().message).contains(QLatin1String("path traversal")),
        doc.error().message.c_str());
}

void ArchiveReaderTest::safeLinksSkipped()
{
    const QByteArray bytes = buildArchive(
        Format::Tar, { { "dir/a.txt", "a", {} }, { "dir/link", {}, "a.txt" }, { "top", {}, "dir/../dir/a.txt" } });
    auto doc = readData(bytes, QStringLiteral("links.tar"), {});
    QVERIFY(doc.has_value());
    QCOMPARE(doc->children.size(), size_t(1));
    QCOMPARE(doc->metadata.value(QStringLiteral("skippedLinks")).toInt(), 2);
}

void ArchiveReaderTest::bombRefused()
{
    // 64 MiB of zeros deflates ~1000:1: past the default ratio of 200, per member.
    const QByteArray zeros(64 << 20, '\0');
    const QByteArray bomb = buildArchive(Format::Zip, { { "small.txt", "hello", {} }, { "zeros.bin", zeros, {} } });
    QVERIFY(bomb.size() < 1 << 20);
    auto doc = readData(bomb, QStringLiteral("bomb.zip"), {});
    QVERIFY(!doc.has_value());
    QCOMPARE(doc.error().code, Code::TooLarge);
    QVERIFY2(QString::fromStdString(doc.error().message).contains(QLatin1String("bomb")), doc.error().message.c_str());
    // The same bytes in a tar.gz: the gzip stream as a whole carries the ratio.
    auto tgz = readData(buildArchive(Format::TarGz, { { "zeros.bin", zeros, {} } }), QStringLiteral("bomb.tgz"), {});
    QVERIFY(!tgz.has_value());
    QCOMPARE(tgz.error().code, Code::TooLarge);
    // Allowed when the caller raises the ratio.
    ReadOptions lenient;
    lenient.maxCompressionRatio = 1e6;
    QVERIFY(readData(bomb, QStringLiteral("bomb.zip"), lenient).has_value());
}

void ArchiveReaderTest::limits()
{
    std::vector<Entry> many;
    for (int i = 0; i < 10; ++i)
        many.push_back({ QStringLiteral("f%1.txt").arg(i), QByteArray(1000, 'a' + i), {} });
    const QByteArray bytes = buildArchive(Format::Tar, many);
    ReadOptions fewMembers;
    fewMembers.maxMembers = 5;
    auto doc = readData(bytes, QStringLiteral("many.tar"), fewMembers);
    QVERIFY(!doc.has_value());
    QCOMPARE(doc.error().code, Code::TooLarge);
    ReadOptions smallBudget;
    smallBudget.maxExpandedBytes = 5000;
    doc = readData(bytes, QStringLiteral("many.tar"), smallBudget);
    QVERIFY(!doc.has_value());
    QCOMPARE(doc.error().code, Code::TooLarge);
    ReadOptions smallMembers;
    smallMembers.maxBytes = 999;
    doc = ArchiveReader::read(bytes, QStringLiteral("many.tar"), smallMembers);
    QVERIFY(!doc.has_value());
    QCOMPARE(doc.error().code, Code::TooLarge);
}

void ArchiveReaderTest::nestingDepth()
{
    QByteArray bytes = buildArchive(Format::Zip, { { "leaf.txt", "leaf", {} } });
    for (int i = 0; i < 20; ++i)
        bytes = buildArchive(Format::Zip, { { QStringLiteral("level%1.zip").arg(i), bytes, {} } });
    ReadOptions options;
    int depth = 0;
    for (;;) {
        auto doc = readData(bytes, QStringLiteral("nested.zip"), options);
        if (!doc) {
            QCOMPARE(doc.error().code, Code::TooLarge);
            break;
        }
        options = childOptions(options, *doc);
        bytes = doc->children.front().data;
        ++depth;
        QVERIFY(depth < 30);
    }
    QCOMPARE(depth, ReadOptions().maxDepth + 1);
}

void ArchiveReaderTest::corruptAndEmpty()
{
    QByteArray zip = buildArchive(Format::Zip, { { "a.txt", QByteArray(100000, 'x'), {} } });
    auto truncated = readData(zip.left(zip.size() / 2), QStringLiteral("cut.zip"), {});
    QVERIFY(!truncated.has_value());
    QCOMPARE(truncated.error().code, Code::Corrupt);
    QByteArray garbage = buildArchive(Format::TarGz, { { "a.txt", QByteArray(100000, 'x'), {} } });
    for (qsizetype i = 20; i < garbage.size(); i += 7)
        garbage[i] = char(garbage[i] ^ 0x5A);
    auto damaged = readData(garbage, QStringLiteral("damaged.tar.gz"), {});
    QVERIFY(!damaged.has_value());
    auto encrypted = readData(
        buildArchive(Format::ZipEncrypted, { { "secret.txt", "hidden", {} } }), QStringLiteral("locked.zip"), {});
    QVERIFY(!encrypted.has_value());
    QVERIFY2(encrypted.error().code == Code::PasswordRequired, encrypted.error().message.c_str());
    auto empty = readData(buildArchive(Format::Zip, {}), QStringLiteral("empty.zip"), {});
    QVERIFY(!empty.has_value());
    QCOMPARE(empty.error().code, Code::Empty);
    auto gz = readData(
        buildArchive(Format::Gzip, { { "data", "compressed text", {} } }), QStringLiteral("notes.txt.gz"), {});
    QVERIFY2(gz.has_value(), gz ? "" : gz.error().message.c_str());
    QCOMPARE(gz->type, QStringLiteral("gzip"));
    QCOMPARE(gz->children.front().name, QStringLiteral("notes.txt"));
    QCOMPARE(gz->children.front().data, QByteArray("compressed text"));
}

void ArchiveReaderTest::pathChecks_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("safe");
    QTest::newRow("plain") << "a/b.txt" << true;
    QTest::newRow("dots in name") << "a/..b/c..txt" << true;
    QTest::newRow("dotdot") << "a/../b" << false;
    QTest::newRow("absolute") << "/a" << false;
    QTest::newRow("unc") << "\\\\server\\share" << false;
    QTest::newRow("empty") << "" << false;
}

void ArchiveReaderTest::pathChecks()
{
    QFETCH(QString, path);
    QFETCH(bool, safe);
    QCOMPARE(ArchiveReader::isSafePath(path), safe);
}

QTEST_GUILESS_MAIN(ArchiveReaderTest)
#include "archivereadertest.moc"
