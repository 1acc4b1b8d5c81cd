#include "inference/gguffile.h"
#include "inference/ggufvalue.h"

#include <QDir>
#include <QFileInfo>
#include <QTest>
#include <cstring>
#include <filesystem>
#include <fstream>

using namespace quire::inference;

namespace
{

QString referenceDir()
{
    return QStringLiteral(QUIRE_SHARED_DIR "/reference");
}

std::vector<std::uint8_t> readAll(const QString &path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

// Little-endian GGUF bytes built by hand, so that every field can be made wrong on purpose.
struct Bytes {
    std::vector<std::uint8_t> b;
    template <typename T> Bytes &put(T v)
    {
        const auto *p = reinterpret_cast<const std::uint8_t *>(&v);
        b.insert(b.end(), p, p + sizeof(T));
        return *this;
    }
    Bytes &str(std::string_view s)
    {
        put<std::uint64_t>(s.size());
        b.insert(b.end(), s.begin(), s.end());
        return *this;
    }
    Bytes &header(std::uint64_t nTensors, std::uint64_t nKv, std::uint32_t version = 3)
    {
        return put<std::uint32_t>(0x46554747).put(version).put(nTensors).put(nKv);
    }
    Bytes &pad(std::size_t alignment)
    {
        while (b.size() % alignment)
            b.push_back(0);
        return *this;
    }
};

// One F32 tensor "t" of shape [ne0, ne1] at data offset `offset` followed by `dataBytes` bytes of data.
Bytes oneTensorFile(
    std::uint64_t ne0, std::uint64_t ne1, std::uint32_t type, std::uint64_t offset, std::size_t dataBytes)
{
    Bytes f;
    f.header(1, 1).str("general.architecture").put<std::uint32_t>(8).str("llama");
    f.str("t").put<std::uint32_t>(2).put(ne0).put(ne1).put(type).put(offset);
    f.pad(32);
    f.b.resize(f.b.size() + dataBytes);
    return f;
}

} // namespace

class GgufReaderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void referenceFiles_data();
    void referenceFiles();
    void vocabFiles();
    void everyValueType();
    void truncatedFilesAreRefused();
    void hostileFiles_data();
    void hostileFiles();
    void missingFile();
};

void GgufReaderTest::referenceFiles_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("arch");
    QTest::addColumn<QString>("name");
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<qint64>("parameters"); // -1: not stated in the README
    QTest::addColumn<qint64>("blocks");
    QTest::addColumn<qint64>("embedding");
    QTest::addColumn<QString>("tensorName");
    QTest::addColumn<QString>("tensorType");
    QTest::addColumn<qint64>("ne0");
    QTest::addColumn<qint64>("ne1");

    QTest::newRow("stories260K") << "real/stories260K.gguf"
                                 << "llama"
                                 << "" << qint64(1185376) << qint64(292800) << qint64(5) << qint64(64)
                                 << "output.weight"
                                 << "f32" << qint64(64) << qint64(512);
    QTest::newRow("small-f16") << "llama-spm-small/small-f16.gguf"
                               << "llama"
                               << "small-rand-15M" << qint64(31118112) << qint64(15191712) << qint64(6) << qint64(288)
                               << "token_embd.weight"
                               << "f16" << qint64(288) << qint64(32000);
    QTest::newRow("small-q4_0") << "llama-spm-small/small-q4_0.gguf"
                                << "llama"
                                << "small-rand-15M" << qint64(13893472) << qint64(15191712) << qint64(6) << qint64(288)
                                << "token_embd.weight"
                                << "q8_0" << qint64(288) << qint64(32000);
    QTest::newRow("gqa-q4_k_m") << "llama-gqa-kquant/gqa-q4_k_m.gguf"
                                << "llama"
                                << "gqa-rand-19M" << qint64(13869024) << qint64(19400960) << qint64(4) << qint64(256)
                                << "blk.2.attn_v.weight"
                                << "q6_K" << qint64(256) << qint64(64);
    QTest::newRow("qwen2-f16e") << "bpe-arch/qwen2-f16e.gguf"
                                << "qwen2"
                                << "qwen2-rand-tiny" << qint64(16211680) << qint64(-1) << qint64(2) << qint64(128)
                                << "token_embd.weight"
                                << "f16" << qint64(128) << qint64(50257);
    QTest::newRow("qwen3-f16e") << "bpe-arch/qwen3-f16e.gguf"
                                << "qwen3"
                                << "qwen3-rand-tiny" << qint64(16603904) << qint64(-1) << qint64(-1) << qint64(-1)
                                << "token_embd.weight"
                                << "f16" << qint64(-1) << qint64(50257);
}

void GgufReaderTest::referenceFiles()
{
    QFETCH(QString, path);
    const QString full = referenceDir() + "/" + path;
    if (!QFileInfo::exists(full))
        QSKIP(qPrintable("reference pack not found: " + full + " (../shared/reference is absent)"));
    auto file = GgufFile::open(full.toStdString());
    QVERIFY2(file.has_value(), file ? "" : file.error().message.c_str());
    const GgufFile &f = **file;
    QFETCH(QString, arch);
    QFETCH(QString, name);
    QFETCH(qint64, bytes);
    QFETCH(qint64, parameters);
    QFETCH(qint64, blocks);
    QFETCH(qint64, embedding);
    QCOMPARE(f.version(), 3u);
    QCOMPARE(qint64(f.fileSize()), bytes);
    QCOMPARE(QString::fromUtf8(f.getString("general.architecture").value_or("?")), arch);
    if (!name.isEmpty())
        QCOMPARE(QString::fromUtf8(f.getString("general.name").value_or("?")), name);
    const std::string prefix = arch.toStdString() + ".";
    if (blocks > 0)
        QCOMPARE(f.getInt(prefix + "block_count").value_or(-1), blocks);
    if (embedding > 0)
        QCOMPARE(f.getInt(prefix + "embedding_length").value_or(-1), embedding);
    qint64 total = 0;
    for (const GgufTensorInfo &t : f.tensors()) {
        total += t.elements();
        QVERIFY(t.data >= f.bytes().data() && t.data + t.bytes <= f.bytes().data() + f.fileSize());
    }
    if (parameters > 0)
        QCOMPARE(total, parameters);
    QFETCH(QString, tensorName);
    QFETCH(QString, tensorType);
    QFETCH(qint64, ne0);
    QFETCH(qint64, ne1);
    const GgufTensorInfo *t = f.tensor(tensorName.toStdString());
    QVERIFY(t);
    QCOMPARE(QString::fromUtf8(ggmlTypeTraits(t->type).name), tensorType);
    if (ne0 > 0)
        QCOMPARE(t->ne[0], ne0);
    QCOMPARE(t->ne[1], ne1);
    QVERIFY(f.getStringArray("tokenizer.ggml.tokens").has_value());
    QVERIFY(!f.describe("general.architecture").empty());
}

void GgufReaderTest::vocabFiles()
{
    const QDir dir(referenceDir() + "/vocab");
    const QStringList files = dir.entryList({ "*.gguf" }, QDir::Files);
    if (files.isEmpty())
        QSKIP("reference pack not found: ../shared/reference/vocab has no GGUF files");
    for (const QString &name : files) {
        auto file = GgufFile::open(dir.filePath(name).toStdString());
        QVERIFY2(file.has_value(),
            qPrintable(name + ": " + (file ? QString() : QString::fromStdString(file.error().message))));
        auto tokens = (*file)->getStringArray("tokenizer.ggml.tokens");
        QVERIFY2(tokens && !tokens->empty(), qPrintable(name));
        QVERIFY((*file)->getString("tokenizer.ggml.model").has_value());
    }
}

void GgufReaderTest::everyValueType()
{
    Bytes f;
    f.header(0, 15, 2);
    f.str("u8").put<std::uint32_t>(0).put<std::uint8_t>(200);
    f.str("i8").put<std::uint32_t>(1).put<std::int8_t>(-100);
    f.str("u16").put<std::uint32_t>(2).put<std::uint16_t>(60000);
    f.str("i16").put<std::uint32_t>(3).put<std::int16_t>(-30000);
    f.str("u32").put<std::uint32_t>(4).put<std::uint32_t>(4000000000u);
    f.str("i32").put<std::uint32_t>(5).put<std::int32_t>(-2000000000);
    f.str("f32").put<std::uint32_t>(6).put<float>(1.5f);
    f.str("bool").put<std::uint32_t>(7).put<std::uint8_t>(1);
    f.str("str").put<std::uint32_t>(8).str("héllo");
    f.str("u64").put<std::uint32_t>(10).put<std::uint64_t>(~0ull);
    f.str("i64").put<std::uint32_t>(11).put<std::int64_t>(-5);
    f.str("f64").put<std::uint32_t>(12).put<double>(0.25);
    f.str("ints").put<std::uint32_t>(9).put<std::uint32_t>(5).put<std::uint64_t>(3);
    f.put<std::int32_t>(1).put<std::int32_t>(-2).put<std::int32_t>(3);
    f.str("strs").put<std::uint32_t>(9).put<std::uint32_t>(8).put<std::uint64_t>(2).str("a").str("bc");
    // An array of two arrays: [[1.0, 2.0], []]
    f.str("nested").put<std::uint32_t>(9).put<std::uint32_t>(9).put<std::uint64_t>(2);
    f.put<std::uint32_t>(6).put<std::uint64_t>(2).put<float>(1.0f).put<float>(2.0f);
    f.put<std::uint32_t>(6).put<std::uint64_t>(0);

    auto file = GgufFile::fromMemory(f.b);
    QVERIFY2(file.has_value(), file ? "" : file.error().message.c_str());
    const GgufFile &g = **file;
    QCOMPARE(g.version(), 2u);
    QCOMPARE(g.keys().size(), std::size_t(15));
    QCOMPARE(g.keys().front(), std::string("u8"));
    QCOMPARE(g.getInt("u8"), std::optional<std::int64_t>(200));
    QCOMPARE(g.getInt("i8"), std::optional<std::int64_t>(-100));
    QCOMPARE(g.getInt("u16"), std::optional<std::int64_t>(60000));
    QCOMPARE(g.getInt("i16"), std::optional<std::int64_t>(-30000));
    QCOMPARE(g.getInt("u32"), std::optional<std::int64_t>(4000000000ll));
    QCOMPARE(g.getInt("i32"), std::optional<std::int64_t>(-2000000000));
    QCOMPARE(g.getInt("u64"), std::optional<std::int64_t>());
    QCOMPARE(g.getInt("i64"), std::optional<std::int64_t>(-5));
    QCOMPARE(g.getFloat("f32"), std::optional<double>(1.5));
    QCOMPARE(g.getFloat("f64"), std::optional<double>(0.25));
    QCOMPARE(g.getFloat("i32"), std::optional<double>(-2e9));
    QCOMPARE(g.getBool("bool"), std::optional<bool>(true));
    QCOMPARE(g.getInt("bool"), std::optional<std::int64_t>());
    QCOMPARE(g.getString("str"), std::optional<std::string_view>("héllo"));
    QCOMPARE(g.getString("u8"), std::optional<std::string_view>());
    QCOMPARE(g.typeOf("nested"), std::optional(GgufValueType::Array));
    QCOMPARE(g.arrayTypeOf("nested"), std::optional(GgufValueType::Array));
    QCOMPARE(g.arraySize("ints"), std::optional<std::uint64_t>(3));
    QCOMPARE(g.getIntArray("ints"), std::optional(std::vector<std::int64_t> { 1, -2, 3 }));
    QCOMPARE(g.getFloatArray("ints"), std::optional(std::vector<float> { 1, -2, 3 }));
    QCOMPARE(g.getStringArray("strs"), std::optional(std::vector<std::string_view> { "a", "bc" }));
    QVERIFY(!g.getStringArray("ints"));
    const GgufValue *nested = g.value("nested");
    QVERIFY(nested);
    QCOMPARE(nested->nested.size(), std::size_t(2));
    QCOMPARE(nested->nested[0].floatArray(), std::optional(std::vector<float> { 1, 2 }));
    QCOMPARE(g.describe("nested"), std::string("[[1, 2], []]"));
    QCOMPARE(g.describe("strs"), std::string("[\"a\", \"bc\"]"));
    QVERIFY(!g.has("missing"));
    QVERIFY(g.tensors().empty());
}

void GgufReaderTest::truncatedFilesAreRefused()
{
    const QString full = referenceDir() + "/real/stories260K.gguf";
    if (!QFileInfo::exists(full))
        QSKIP("reference pack not found: ../shared/reference/real/stories260K.gguf is absent");
    const std::vector<std::uint8_t> bytes = readAll(full);
    QVERIFY(GgufFile::fromMemory(bytes).has_value());
    // Every prefix must be refused; check a spread of cut points, dense near the start.
    for (std::size_t cut = 0; cut < bytes.size(); cut += cut < 4096 ? 7 : 9973) {
        auto file = GgufFile::fromMemory(std::span(bytes.data(), cut));
        QVERIFY2(!file.has_value(), qPrintable(QString("prefix of %1 bytes was accepted").arg(cut)));
        QCOMPARE(file.error().code, quire::Error::Code::Corrupt);
    }
    auto last = GgufFile::fromMemory(std::span(bytes.data(), bytes.size() - 1));
    QVERIFY(!last);
    QVERIFY2(
        QString::fromStdString(last.error().message).contains("is truncated: tensor"), last.error().message.c_str());
}

void GgufReaderTest::hostileFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    auto add = [](const char *name, const Bytes &f, const char *expected) {
        QTest::newRow(name) << QByteArray(reinterpret_cast<const char *>(f.b.data()), qsizetype(f.b.size()))
                            << QString(expected);
    };
    add("empty", Bytes {}, "truncated");
    add("bad magic", Bytes {}.put<std::uint32_t>(0x12345678).put<std::uint32_t>(3), "not a GGUF file");
    add("version 1", Bytes {}.header(0, 0, 1), "version 1");
    add("version 4", Bytes {}.header(0, 0, 4), "version 4");
    add("huge kv count", Bytes {}.header(0, ~0ull), "metadata entries");
    add("huge tensor count", Bytes {}.header(~0ull, 0), "tensors");
    add("huge string", Bytes {}.header(0, 1).put<std::uint64_t>(~0ull), "claims");
    add("bad value type", Bytes {}.header(0, 1).str("k").put<std::uint32_t>(13), "unknown value type");
    add("huge array",
        Bytes {}.header(0, 1).str("k").put<std::uint32_t>(9).put<std::uint32_t>(12).put<std::uint64_t>(1ull << 62),
        "claims");
    add("huge string array",
        Bytes {}.header(0, 1).str("k").put<std::uint32_t>(9).put<std::uint32_t>(8).put<std::uint64_t>(1ull << 60),
        "claims");
    Bytes deep;
    deep.header(0, 1).str("k").put<std::uint32_t>(9);
    for (int i = 0; i < 100; ++i)
        deep.put<std::uint32_t>(9).put<std::uint64_t>(1);
    add("deep nesting", deep, "nests arrays");
    Bytes wide;
    wide.header(0, 1).str("k").put<std::uint32_t>(9).put<std::uint32_t>(9).put<std::uint64_t>(2000000);
    for (int i = 0; i < 2000000; ++i)
        wide.put<std::uint32_t>(0).put<std::uint64_t>(0);
    add("too many nested arrays", wide, "nested arrays");
    add("bad bool", Bytes {}.header(0, 1).str("k").put<std::uint32_t>(7).put<std::uint8_t>(7), "bool");
    add("duplicate key",
        Bytes {}
            .header(0, 2)
            .str("k")
            .put<std::uint32_t>(0)
            .put<std::uint8_t>(1)
            .str("k")
            .put<std::uint32_t>(0)
            .put<std::uint8_t>(1),
        "twice");
    add("alignment 3",
        Bytes {}.header(0, 1).str("general.alignment").put<std::uint32_t>(4).put<std::uint32_t>(3),
        "power of two");
    add("alignment wrong type",
        Bytes {}.header(0, 1).str("general.alignment").put<std::uint32_t>(10).put<std::uint64_t>(32),
        "uint32");
    add("good", oneTensorFile(4, 2, 0, 0, 32), "");
    add("data truncated", oneTensorFile(4, 2, 0, 0, 31), "is truncated: tensor t ends at byte");
    add("offset past end", oneTensorFile(4, 2, 0, 1ull << 40, 32), "is truncated: tensor t");
    add("offset overflow", oneTensorFile(4, 2, 0, ~0ull - 31, 32), "is truncated: tensor t");
    add("misaligned offset", oneTensorFile(4, 2, 0, 4, 64), "alignment");
    add("unknown type", oneTensorFile(4, 2, 99, 0, 32), "unknown type id 99");
    add("zero dimension", oneTensorFile(0, 2, 0, 0, 32), "dimension 0 of size 0");
    add("element overflow", oneTensorFile(1ull << 40, 1ull << 40, 0, 0, 32), "64 bits");
    add("byte overflow", oneTensorFile(1ull << 32, 1ull << 30, 0, 0, 32), "larger than");
    add("partial block", oneTensorFile(48, 1, 8, 0, 64), "block size");
    Bytes dims;
    dims.header(1, 0).str("t").put<std::uint32_t>(5);
    dims.b.resize(dims.b.size() + 64);
    add("five dims", dims, "5 dimensions");
    Bytes overlap;
    overlap.header(2, 0);
    overlap.str("a").put<std::uint32_t>(1).put<std::uint64_t>(16).put<std::uint32_t>(0).put<std::uint64_t>(0);
    overlap.str("b").put<std::uint32_t>(1).put<std::uint64_t>(16).put<std::uint32_t>(0).put<std::uint64_t>(32);
    overlap.pad(32);
    overlap.b.resize(overlap.b.size() + 128);
    add("overlapping tensors", overlap, "overlap");
    Bytes dupTensor;
    dupTensor.header(2, 0);
    dupTensor.str("a").put<std::uint32_t>(1).put<std::uint64_t>(8).put<std::uint32_t>(0).put<std::uint64_t>(0);
    dupTensor.str("a").put<std::uint32_t>(1).put<std::uint64_t>(8).put<std::uint32_t>(0).put<std::uint64_t>(32);
    dupTensor.pad(32);
    dupTensor.b.resize(dupTensor.b.size() + 64);
    add("duplicate tensor", dupTensor, "appears twice");
}

void GgufReaderTest::hostileFiles()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    auto file
        = GgufFile::fromMemory(std::span(reinterpret_cast<const std::uint8_t *>(bytes.constData()), bytes.size()));
    if (expected.isEmpty()) {
        QVERIFY2(file.has_value(), file ? "" : file.error().message.c_str());
        return;
    }
    QVERIFY(!file.has_value());
    QVERIFY2(QString::fromStdString(file.error().message).contains(expected), file.error().message.c_str());
}

void GgufReaderTest::missingFile()
{
    auto file = GgufFile::open("/nonexistent/model.gguf");
    QVERIFY(!file);
    QCOMPARE(file.error().code, quire::Error::Code::NotFound);
    QVERIFY(QString::fromStdString(file.error().message).contains("model.gguf"));
}

QTEST_GUILESS_MAIN(GgufReaderTest)
#include "ggufreadertest.moc"
