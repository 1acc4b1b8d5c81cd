#include "inference/ggufwriter.h"

#include "inference/gguffile.h"
#include "inference/ggufvalue.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <cstring>

using namespace quire::inference;

namespace
{

QString referenceFile(const char *relative)
{
    return QStringLiteral(QUIRE_SHARED_DIR "/reference/") + relative;
}

std::vector<std::uint8_t> bytesOf(std::size_t n, std::uint8_t seed)
{
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::uint8_t>(seed + i * 7);
    return v;
}

} // namespace

class GgufWriterTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void metadataRoundTrip();
    void tensorsRoundTrip_data();
    void tensorsRoundTrip();
    void refusesBadTensors_data();
    void refusesBadTensors();
    void writesFileAtomically();
    void copiesReferenceFileExactly_data();
    void copiesReferenceFileExactly();
};

void GgufWriterTest::metadataRoundTrip()
{
    GgufWriter w;
    w.setUInt8("u8", 250);
    w.setInt8("i8", -7);
    w.setUInt16("u16", 65000);
    w.setInt16("i16", -32000);
    w.setUInt32("u32", 4000000000u);
    w.setInt32("i32", -5);
    w.setUInt64("u64", 1ull << 60);
    w.setInt64("i64", -(1ll << 50));
    w.setFloat32("f32", 0.5f);
    w.setFloat64("f64", 1e300);
    w.setBool("yes", true);
    w.setString("s", "text with \xe2\x96\x81 and \n");
    const std::vector<std::string> strs { "a", "", "ccc" };
    w.setStringArray("strs", std::span<const std::string>(strs));
    const std::int32_t ints[] = { 1, -2, 3 };
    w.setInt32Array("ints", ints);
    const float floats[] = { 0.25f, -1.f };
    w.setFloat32Array("floats", floats);
    w.setString("replaced", "old");
    w.setString("replaced", "new");
    w.setString("removed", "x");
    QVERIFY(w.remove("removed"));
    QVERIFY(!w.has("removed"));
    auto bytes = w.writeToMemory();
    QVERIFY(bytes);
    auto f = GgufFile::fromMemory(*bytes);
    QVERIFY2(f, f ? "" : f.error().message.c_str());
    const GgufFile &g = **f;
    QCOMPARE(g.keys().size(), std::size_t(16));
    QCOMPARE(g.keys()[15], std::string("replaced")); // replacing keeps the original position
    QCOMPARE(*g.getInt("u8"), 250);
    QCOMPARE(*g.getInt("i8"), -7);
    QCOMPARE(*g.getInt("u16"), 65000);
    QCOMPARE(*g.getInt("i16"), -32000);
    QCOMPARE(*g.getInt("u32"), 4000000000ll);
    QCOMPARE(*g.getInt("i32"), -5);
    QCOMPARE(*g.getInt("u64"), std::int64_t(1ull << 60));
    QCOMPARE(*g.getInt("i64"), -(1ll << 50));
    QCOMPARE(*g.getFloat("f32"), 0.5);
    QCOMPARE(*g.getFloat("f64"), 1e300);
    QCOMPARE(*g.getBool("yes"), true);
    QCOMPARE(*g.getString("s"), std::string_view("text with \xe2\x96\x81 and \n"));
    QCOMPARE(*g.getStringArray("strs"), (std::vector<std::string_view> { "a", "", "ccc" }));
    QCOMPARE(*g.getIntArray("ints"), (std::vector<std::int64_t> { 1, -2, 3 }));
    QCOMPARE(*g.getFloatArray("floats"), (std::vector<float> { 0.25f, -1.f }));
    QCOMPARE(*g.getString("replaced"), std::string_view("new"));
    QCOMPARE(g.typeOf("u16"), std::optional(GgufValueType::UInt16));

    // Copying every value (nested arrays included) through setValue gives the same file.
    GgufWriter copy;
    copy.copyMetadata(g);
    auto again = copy.writeToMemory();
    QVERIFY(again);
    QCOMPARE(*again, *bytes);
}

void GgufWriterTest::tensorsRoundTrip_data()
{
    QTest::addColumn<int>("alignment");
    QTest::newRow("default alignment") << 32;
    QTest::newRow("alignment 64") << 64;
    QTest::newRow("alignment 4096") << 4096;
}

void GgufWriterTest::tensorsRoundTrip()
{
    QFETCH(int, alignment);
    GgufWriter w;
    w.setAlignment(std::size_t(alignment));
    w.setString("general.architecture", "test");
    const auto a = bytesOf(4 * 3 * 5, 1);
    const auto b = bytesOf(sizeof(BlockQ4_K) * 2 * 3, 2);
    const auto c = bytesOf(2 * 7, 3);
    const std::int64_t neA[] = { 3, 5 };
    const std::int64_t neB[] = { 512, 3 };
    const std::int64_t neC[] = { 7 };
    QVERIFY(w.addTensor("a", GgmlType::F32, neA, std::span<const std::uint8_t>(a)));
    QVERIFY(w.addTensor("b.weight", GgmlType::Q4_K, neB, b));
    QVERIFY(w.addTensor("c", GgmlType::F16, neC, [&](std::span<std::uint8_t> out) -> quire::Expected<void> {
        std::memcpy(out.data(), c.data(), out.size());
        return {};
    }));
    auto bytes = w.writeToMemory();
    QVERIFY(bytes);
    auto f = GgufFile::fromMemory(*bytes);
    QVERIFY2(f, f ? "" : f.error().message.c_str());
    const GgufFile &g = **f;
    QCOMPARE(g.alignment(), std::size_t(alignment));
    QCOMPARE(g.has("general.alignment"), alignment != 32);
    QCOMPARE(g.tensors().size(), std::size_t(3));
    QCOMPARE(g.dataOffset() % alignment, 0u);
    const GgufTensorInfo *tb = g.tensor("b.weight");
    QVERIFY(tb);
    QCOMPARE(tb->type, GgmlType::Q4_K);
    QCOMPARE(tb->ne[0], 512);
    QCOMPARE(tb->ne[1], 3);
    QCOMPARE(tb->nDims, 2);
    QCOMPARE(tb->offset % alignment, 0u);
    QVERIFY(std::equal(b.begin(), b.end(), tb->data));
    QVERIFY(std::equal(a.begin(), a.end(), g.tensor("a")->data));
    QVERIFY(std::equal(c.begin(), c.end(), g.tensor("c")->data));
    QCOMPARE(g.tensor("c")->nDims, 1);
    QCOMPARE(g.fileSize() % alignment, 0u); // the last tensor is padded too
}

void GgufWriterTest::refusesBadTensors_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("type");
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addColumn<int>("bytes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty name") << "" << 0 << QList<qint64> { 4 } << 16 << "names must have";
    QTest::newRow("long name") << QString(64, 'x') << 0 << QList<qint64> { 4 } << 16 << "names must have";
    QTest::newRow("duplicate") << "dup" << 0 << QList<qint64> { 4 } << 16 << "already added";
    QTest::newRow("no dims") << "t" << 0 << QList<qint64> {} << 0 << "dimensions";
    QTest::newRow("five dims") << "t" << 0 << QList<qint64> { 1, 1, 1, 1, 1 } << 4 << "dimensions";
    QTest::newRow("zero dim") << "t" << 0 << QList<qint64> { 4, 0 } << 0 << "positive";
    QTest::newRow("partial block") << "t" << int(GgmlType::Q4_K) << QList<qint64> { 100 } << 144 << "block size";
    QTest::newRow("unknown type") << "t" << 77 << QList<qint64> { 4 } << 16 << "unknown type";
    QTest::newRow("wrong size") << "t" << 0 << QList<qint64> { 4 } << 15 << "bytes given";
}

void GgufWriterTest::refusesBadTensors()
{
    QFETCH(QString, name);
    QFETCH(int, type);
    QFETCH(QList<qint64>, shape);
    QFETCH(int, bytes);
    QFETCH(QString, expected);
    GgufWriter w;
    const std::int64_t one[] = { 4 };
    QVERIFY(w.addTensor("dup", GgmlType::F32, one, std::vector<std::uint8_t>(16)));
    std::vector<std::int64_t> ne(shape.begin(), shape.end());
    auto r = w.addTensor(name.toStdString(), GgmlType(type), ne, std::vector<std::uint8_t>(std::size_t(bytes)));
    QVERIFY(!r);
    QCOMPARE(r.error().code, quire::Error::Code::InvalidArgument);
    QVERIFY2(QString::fromStdString(r.error().message).contains(expected), r.error().message.c_str());
}

void GgufWriterTest::writesFileAtomically()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("m.gguf").toStdString();
    GgufWriter w;
    w.setString("general.architecture", "llama");
    const std::int64_t ne[] = { 8 };
    QVERIFY(w.addTensor("t", GgmlType::F32, ne, [](std::span<std::uint8_t>) -> quire::Expected<void> {
        return quire::fail(quire::Error::Code::Internal, "producer failed");
    }));
    auto r = w.write(path);
    QVERIFY(!r);
    QCOMPARE(r.error().message, std::string("producer failed"));
    QVERIFY(!QFileInfo::exists(QString::fromStdString(path)));
    QVERIFY(!QFileInfo::exists(QString::fromStdString(path + ".tmp")));

    GgufWriter ok;
    ok.setString("general.architecture", "llama");
    QVERIFY(ok.addTensor("t", GgmlType::F32, ne, std::vector<std::uint8_t>(32, 1)));
    int calls = 0;
    QVERIFY(ok.write(path, [&](std::size_t done, std::size_t total, std::uint64_t) {
        ++calls;
        return done <= total;
    }));
    QCOMPARE(calls, 1);
    auto f = GgufFile::open(path);
    QVERIFY(f);
    QCOMPARE((*f)->tensor("t")->data[31], std::uint8_t(1));
    QVERIFY(!ok.write("/nonexistent-dir/x.gguf"));
}

void GgufWriterTest::copiesReferenceFileExactly_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("stories260K") << "real/stories260K.gguf";
    QTest::newRow("gqa-q4_k_m") << "llama-gqa-kquant/gqa-q4_k_m.gguf";
    QTest::newRow("vocab gpt-2") << "vocab/ggml-vocab-gpt-2.gguf";
}

void GgufWriterTest::copiesReferenceFileExactly()
{
    // Rewriting a llama.cpp file (metadata and tensors in order) reproduces it byte for byte: our layout
    // is exactly gguf's (v3, padded tensor data, same alignment rules).
    QFETCH(QString, path);
    const QString full = referenceFile(qPrintable(path));
    if (!QFileInfo::exists(full))
        QSKIP(qPrintable("reference pack not found: " + full));
    auto f = GgufFile::open(full.toStdString());
    QVERIFY(f);
    GgufWriter w;
    w.copyMetadata(**f);
    w.setAlignment((*f)->alignment());
    for (const GgufTensorInfo &t : (*f)->tensors()) {
        QVERIFY(w.addTensor(t.name,
            t.type,
            std::span<const std::int64_t>(t.ne.data(), std::size_t(t.nDims)),
            std::span<const std::uint8_t>(t.data, t.bytes)));
    }
    auto bytes = w.writeToMemory();
    QVERIFY(bytes);
    const auto original = (*f)->bytes();
    if ((*f)->tensors().empty()) {
        // Vocab-only files end right after their metadata; we pad to the alignment.
        QVERIFY(bytes->size() >= original.size());
        QVERIFY(std::equal(original.begin(), original.end(), bytes->begin()));
    } else {
        QCOMPARE(bytes->size(), original.size());
        QVERIFY(std::equal(original.begin(), original.end(), bytes->begin()));
    }
}

QTEST_GUILESS_MAIN(GgufWriterTest)
#include "ggufwritertest.moc"
