#include "inference/quantizer.h"

#include "inference/gguffile.h"
#include "inference/modelbuilder.h"
#include "inference/quants.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace quire::inference;

namespace
{

QString referenceFile(const char *relative)
{
    return QStringLiteral(QUIRE_SHARED_DIR "/reference/") + relative;
}

QString typeName(GgmlType t)
{
    return QString::fromUtf8(ggmlTypeTraits(t).name);
}

} // namespace

class QuantizerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mixNames_data();
    void mixNames();
    void planMatchesLlamaCppQ4KM();
    void q4KMFromSmallF16();
    void q4_0FromSmallF16MatchesLlamaCpp();
    void randomModels_data();
    void randomModels();
    void largeShapeParameters();
    void randomModelWithRealVocab();
    void inMemoryFloatModel();
};

void QuantizerTest::mixNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<int>("fileType");
    QTest::newRow("q4_k_m") << "q4_k_m"
                            << "Q4_K_M" << 15;
    QTest::newRow("Q4_K alias") << "Q4_K"
                                << "Q4_K_M" << 15;
    QTest::newRow("q5_k alias") << "q5_k"
                                << "Q5_K_M" << 17;
    QTest::newRow("q8_0") << "q8_0"
                          << "Q8_0" << 7;
    QTest::newRow("f16") << "F16"
                         << "F16" << 1;
    QTest::newRow("bf16") << "bf16"
                          << "BF16" << 32;
    QTest::newRow("q6_k") << "q6_k"
                          << "Q6_K" << 18;
    QTest::newRow("unknown") << "q3_k_xl"
                             << "" << -1;
}

void QuantizerTest::mixNames()
{
    QFETCH(QString, name);
    QFETCH(QString, canonical);
    QFETCH(int, fileType);
    auto mix = quantMixFromName(name.toStdString());
    if (canonical.isEmpty()) {
        QVERIFY(!mix);
        return;
    }
    QVERIFY(mix);
    QCOMPARE(QString::fromUtf8(quantMixInfo(*mix).name), canonical);
    QCOMPARE(int(quantMixInfo(*mix).fileType), fileType);
}

void QuantizerTest::planMatchesLlamaCppQ4KM()
{
    // gqa-q4_k_m.gguf is llama-quantize's Q4_K_M: our rules, applied to its tensor list, must pick
    // exactly the types llama.cpp picked.
    const QString path = referenceFile("llama-gqa-kquant/gqa-q4_k_m.gguf");
    if (!QFileInfo::exists(path))
        QSKIP("reference pack not found: ../shared/reference/llama-gqa-kquant is absent");
    auto f = GgufFile::open(path.toStdString());
    QVERIFY(f);
    std::vector<GgufTensorInfo> asF32 = (*f)->tensors();
    for (GgufTensorInfo &t : asF32)
        t.type = GgmlType::F32;
    const std::vector<GgmlType> types = chooseTensorTypes(asF32, QuantMix::Q4_K_M);
    for (std::size_t i = 0; i < types.size(); ++i) {
        const GgufTensorInfo &t = (*f)->tensors()[i];
        QVERIFY2(types[i] == t.type,
            qPrintable(QString::fromStdString(t.name) + ": " + typeName(types[i]) + " instead of " + typeName(t.type)));
    }
    QCOMPARE((*f)->getInt("general.file_type").value_or(-1), 15);
}

void QuantizerTest::q4KMFromSmallF16()
{
    const QString path = referenceFile("llama-spm-small/small-f16.gguf");
    if (!QFileInfo::exists(path))
        QSKIP("reference pack not found: ../shared/reference/llama-spm-small is absent");
    auto in = GgufFile::open(path.toStdString());
    QVERIFY(in);
    QTemporaryDir dir;
    const std::string out = dir.filePath("small-q4_k_m.gguf").toStdString();
    auto report = quantizeModel(**in, out, QuantMix::Q4_K_M, { 2, nullptr, nullptr });
    QVERIFY2(report, report ? "" : report.error().message.c_str());
    auto f = GgufFile::open(out);
    QVERIFY2(f, f ? "" : f.error().message.c_str());
    // Rows of 288 do not fit Q4_K's 256-element blocks, so llama.cpp falls back (Q4_K -> Q5_0,
    // Q6_K -> Q8_0); the 768-wide ffn_down rows do fit. use_more_bits() picks layers 2 and 5 of 6.
    auto expect = [&](const char *name, GgmlType type) {
        const GgufTensorInfo *t = (*f)->tensor(name);
        QVERIFY2(t, name);
        QVERIFY2(t->type == type, qPrintable(QString(name) + " is " + typeName(t->type)));
    };
    expect("token_embd.weight", GgmlType::Q8_0); // tied output head
    expect("blk.0.attn_q.weight", GgmlType::Q5_0);
    expect("blk.0.attn_v.weight", GgmlType::Q5_0);
    expect("blk.2.attn_v.weight", GgmlType::Q8_0);
    expect("blk.5.attn_v.weight", GgmlType::Q8_0);
    expect("blk.0.ffn_down.weight", GgmlType::Q4_K);
    expect("blk.2.ffn_down.weight", GgmlType::Q6_K);
    expect("blk.4.ffn_down.weight", GgmlType::Q4_K);
    expect("blk.5.ffn_down.weight", GgmlType::Q6_K);
    expect("blk.0.attn_norm.weight", GgmlType::F32);
    QCOMPARE((*f)->getInt("general.file_type").value_or(-1), 15);
    QCOMPARE((*f)->getInt("general.quantization_version").value_or(-1), 2);
    QCOMPARE((*f)->getStringArray("tokenizer.ggml.tokens")->size(), std::size_t(32000));
    QCOMPARE((*f)->keys().size(), (*in)->keys().size() + 1); // + general.quantization_version
    QCOMPARE(report->perType.at("q6_K").first, 2);
    QVERIFY(report->outputBytes < report->inputBytes / 2);
    // The weights survive: compare one dequantised matrix with the F16 original.
    const GgufTensorInfo *a = (*in)->tensor("blk.1.ffn_down.weight");
    const GgufTensorInfo *b = (*f)->tensor("blk.1.ffn_down.weight");
    std::vector<float> x(a->elements()), y(b->elements());
    QVERIFY(dequantizeRow(a->type, a->data, x.data(), a->elements()));
    QVERIFY(dequantizeRow(b->type, b->data, y.data(), b->elements()));
    double err = 0, ref = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        err += double(x[i] - y[i]) * double(x[i] - y[i]);
        ref += double(x[i]) * double(x[i]);
    }
    QVERIFY(std::sqrt(err / ref) < 0.1);
}

void QuantizerTest::q4_0FromSmallF16MatchesLlamaCpp()
{
    const QString f16Path = referenceFile("llama-spm-small/small-f16.gguf");
    const QString q4Path = referenceFile("llama-spm-small/small-q4_0.gguf");
    if (!QFileInfo::exists(f16Path) || !QFileInfo::exists(q4Path))
        QSKIP("reference pack not found: ../shared/reference/llama-spm-small is absent");
    auto in = GgufFile::open(f16Path.toStdString());
    auto ref = GgufFile::open(q4Path.toStdString());
    QVERIFY(in && ref);
    auto plan = planQuantization(**in, QuantMix::Q4_0);
    QVERIFY(plan);
    for (const TensorPlan &p : *plan) {
        const GgufTensorInfo *t = (*ref)->tensor(p.name);
        QVERIFY(t);
        QVERIFY2(p.to == t->type, qPrintable(QString::fromStdString(p.name) + ": " + typeName(p.to)));
        QCOMPARE(p.bytesOut, t->bytes);
    }
}

void QuantizerTest::randomModels_data()
{
    QTest::addColumn<QString>("mix");
    QTest::addColumn<QString>("embdType");
    QTest::addColumn<QString>("outputType");
    QTest::addColumn<QString>("attnVLast");
    QTest::newRow("f16") << "f16"
                         << "f16"
                         << "f16"
                         << "f16";
    QTest::newRow("q8_0") << "q8_0"
                          << "q8_0"
                          << "q8_0"
                          << "q8_0";
    QTest::newRow("q4_k_m") << "q4_k_m"
                            << "q4_K"
                            << "q6_K"
                            << "q6_K";
    QTest::newRow("q5_k_m") << "q5_k_m"
                            << "q5_K"
                            << "q6_K"
                            << "q6_K";
    QTest::newRow("q4_0") << "q4_0"
                          << "q4_0"
                          << "q6_K"
                          << "q4_0";
}

void QuantizerTest::randomModels()
{
    QFETCH(QString, mix);
    QFETCH(QString, embdType);
    QFETCH(QString, outputType);
    QFETCH(QString, attnVLast);
    LlamaShape shape;
    shape.embedding = 256;
    shape.layers = 4;
    shape.heads = 8;
    shape.kvHeads = 2;
    shape.feedForward = 512;
    shape.vocab = 1000;
    shape.tiedOutput = false;
    QTemporaryDir dir;
    const std::string path = dir.filePath("r.gguf").toStdString();
    QVERIFY(writeRandomLlamaModel(path, shape, *quantMixFromName(mix.toStdString()), 7));
    auto f = GgufFile::open(path);
    QVERIFY2(f, f ? "" : f.error().message.c_str());
    const GgufFile &g = **f;
    QCOMPARE(*g.getString("general.architecture"), std::string_view("llama"));
    QCOMPARE(*g.getInt("llama.attention.head_count_kv"), 2);
    QCOMPARE(*g.getInt("llama.rope.dimension_count"), 32);
    QCOMPARE(g.getStringArray("tokenizer.ggml.tokens")->size(), std::size_t(1000));
    QCOMPARE(typeName(g.tensor("token_embd.weight")->type), embdType);
    QCOMPARE(typeName(g.tensor("output.weight")->type), outputType);
    QCOMPARE(typeName(g.tensor("blk.3.attn_v.weight")->type), attnVLast);
    QCOMPARE(g.tensor("blk.0.attn_k.weight")->ne[1], 64);
    std::int64_t params = 0;
    for (const GgufTensorInfo &t : g.tensors())
        params += t.elements();
    QCOMPARE(params, shape.parameterCount());
    // Weights have the intended spread: N(0, 1/256) for attn_q, norms around 1.
    const GgufTensorInfo *q = g.tensor("blk.1.attn_q.weight");
    std::vector<float> x(q->elements());
    QVERIFY(dequantizeRow(q->type, q->data, x.data(), q->elements()));
    double s2 = 0;
    for (float v : x)
        s2 += double(v) * v;
    QVERIFY(std::fabs(std::sqrt(s2 / double(x.size())) - 1.0 / 16) < 0.005);
    const GgufTensorInfo *norm = g.tensor("blk.1.ffn_norm.weight");
    std::vector<float> nv(norm->elements());
    QVERIFY(dequantizeRow(norm->type, norm->data, nv.data(), norm->elements()));
    double mean = 0;
    for (float v : nv)
        mean += v;
    QVERIFY(std::fabs(mean / double(nv.size()) - 1.0) < 0.03);
    // Same seed, same file.
    const std::string again = dir.filePath("r2.gguf").toStdString();
    QVERIFY(writeRandomLlamaModel(again, shape, *quantMixFromName(mix.toStdString()), 7));
    auto g2 = GgufFile::open(again);
    QVERIFY(g2);
    QVERIFY(std::equal(g.bytes().begin(), g.bytes().end(), (*g2)->bytes().begin(), (*g2)->bytes().end()));
}

void QuantizerTest::largeShapeParameters()
{
    QCOMPARE(LlamaShape::large().parameterCount(), std::int64_t(200827904)); // 200.83 M in BENCHMARKS.md
    QCOMPARE(LlamaShape::small().parameterCount(), std::int64_t(15191712)); // as small-f16.gguf
}

void QuantizerTest::randomModelWithRealVocab()
{
    const QString vocabPath = referenceFile("vocab/ggml-vocab-llama-spm.gguf");
    if (!QFileInfo::exists(vocabPath))
        QSKIP("reference pack not found: ../shared/reference/vocab is absent");
    auto vocab = GgufFile::open(vocabPath.toStdString());
    QVERIFY(vocab);
    LlamaShape shape = LlamaShape::small();
    shape.layers = 1;
    shape.vocab = 5; // replaced by the vocab's size
    QTemporaryDir dir;
    const std::string path = dir.filePath("v.gguf").toStdString();
    QVERIFY(writeRandomLlamaModel(path, shape, QuantMix::Q8_0, 1, vocab->get()));
    auto f = GgufFile::open(path);
    QVERIFY(f);
    QCOMPARE((*f)->tensor("token_embd.weight")->ne[1], 32000);
    QCOMPARE(*(*f)->getInt("llama.vocab_size"), 32000);
    for (const std::string &key : (*vocab)->keys()) {
        if (key.starts_with("tokenizer."))
            QCOMPARE((*f)->describe(key), (*vocab)->describe(key));
    }
}

void QuantizerTest::inMemoryFloatModel()
{
    ModelBuilder b(1);
    b.writer().setString("general.architecture", "test");
    std::vector<float> values(64 * 2);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = float(i) / 10.f - 3.f;
    const std::int64_t ne[] = { 64, 2 };
    QVERIFY(b.addTensor("m.weight", ne, values, GgmlType::Q8_0));
    QVERIFY(b.addTensor("f.weight", ne, values, GgmlType::F32));
    QVERIFY(!b.addTensor("bad", ne, std::vector<float>(3), GgmlType::F32));
    QVERIFY(!b.addTensor("bad", ne, values, GgmlType::Q2_K));
    QTemporaryDir dir;
    const std::string path = dir.filePath("m.gguf").toStdString();
    QVERIFY(b.write(path));
    auto f = GgufFile::open(path);
    QVERIFY(f);
    const GgufTensorInfo *t = (*f)->tensor("m.weight");
    std::vector<float> y(128);
    QVERIFY(dequantizeRow(t->type, t->data, y.data(), 128));
    for (std::size_t i = 0; i < y.size(); ++i)
        QVERIFY(std::fabs(y[i] - values[i]) < 0.05f); // half a Q8_0 step of a block whose max is 9.8
    QVERIFY(std::memcmp((*f)->tensor("f.weight")->data, values.data(), values.size() * 4) == 0);
}

QTEST_GUILESS_MAIN(QuantizerTest)
#include "quantizertest.moc"
