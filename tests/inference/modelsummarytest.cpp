#include "inference/modelsummary.h"

#include "inference/gguffile.h"
#include "inference/ggufwriter.h"

#include <QFileInfo>
#include <QTest>

using namespace quire::inference;

namespace
{

QString referenceFile(const char *relative)
{
    return QStringLiteral(QUIRE_SHARED_DIR "/reference/") + relative;
}

} // namespace

class ModelSummaryTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void referenceModels_data();
    void referenceModels();
    void gqaQuantMix();
    void chatTemplateAndScaling();
};

void ModelSummaryTest::referenceModels_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("arch");
    QTest::addColumn<qint64>("parameters");
    QTest::addColumn<qint64>("heads");
    QTest::addColumn<qint64>("kvHeads");
    QTest::addColumn<qint64>("headDim");
    QTest::addColumn<double>("ropeBase");
    QTest::addColumn<bool>("ropeDefault");
    QTest::addColumn<QString>("ropeStyle");
    QTest::addColumn<QString>("tokenizer");
    QTest::addColumn<qint64>("vocab");
    QTest::newRow("stories260K") << "real/stories260K.gguf"
                                 << "llama" << qint64(292800) << qint64(8) << qint64(4) << qint64(8) << 10000.0 << true
                                 << "normal"
                                 << "llama" << qint64(512);
    QTest::newRow("small-f16") << "llama-spm-small/small-f16.gguf"
                               << "llama" << qint64(15191712) << qint64(6) << qint64(6) << qint64(48) << 10000.0
                               << false << "normal"
                               << "llama" << qint64(32000);
    QTest::newRow("qwen2-f16e") << "bpe-arch/qwen2-f16e.gguf"
                                << "qwen2" << qint64(-1) << qint64(4) << qint64(2) << qint64(32) << 1000000.0 << false
                                << "neox"
                                << "gpt2" << qint64(50257);
    QTest::newRow("qwen3-f16e") << "bpe-arch/qwen3-f16e.gguf"
                                << "qwen3" << qint64(-1) << qint64(-1) << qint64(-1) << qint64(64) << -1.0 << false
                                << "neox"
                                << "gpt2" << qint64(50257);
}

void ModelSummaryTest::referenceModels()
{
    QFETCH(QString, path);
    const QString full = referenceFile(qPrintable(path));
    if (!QFileInfo::exists(full))
        QSKIP(qPrintable("reference pack not found: " + full));
    auto f = GgufFile::open(full.toStdString());
    QVERIFY(f);
    const ModelSummary s = summarizeModel(**f);
    QFETCH(QString, arch);
    QFETCH(qint64, parameters);
    QFETCH(qint64, heads);
    QFETCH(qint64, kvHeads);
    QFETCH(qint64, headDim);
    QFETCH(double, ropeBase);
    QFETCH(bool, ropeDefault);
    QFETCH(QString, ropeStyle);
    QFETCH(QString, tokenizer);
    QFETCH(qint64, vocab);
    QCOMPARE(QString::fromStdString(s.architecture), arch);
    if (parameters > 0)
        QCOMPARE(s.parameters, parameters);
    if (heads > 0) {
        QCOMPARE(s.heads.value_or(-1), heads);
        QCOMPARE(s.kvHeads.value_or(-1), kvHeads);
    }
    QCOMPARE(s.headDim.value_or(-1), headDim);
    if (ropeBase > 0)
        QCOMPARE(s.ropeFreqBase.value_or(-1), ropeBase);
    QCOMPARE(s.ropeFreqBaseDefault, ropeDefault);
    QCOMPARE(QString::fromStdString(s.ropeStyle), ropeStyle);
    QCOMPARE(QString::fromStdString(s.tokenizerModel), tokenizer);
    QCOMPARE(s.vocabSize.value_or(-1), vocab);
    QCOMPARE(s.fileBytes, std::uint64_t(QFileInfo(full).size()));
    QVERIFY(s.tensorBytes < s.fileBytes);
}

void ModelSummaryTest::gqaQuantMix()
{
    const QString full = referenceFile("llama-gqa-kquant/gqa-q4_k_m.gguf");
    if (!QFileInfo::exists(full))
        QSKIP("reference pack not found: ../shared/reference/llama-gqa-kquant is absent");
    auto f = GgufFile::open(full.toStdString());
    QVERIFY(f);
    const ModelSummary s = summarizeModel(**f);
    QCOMPARE(s.fileTypeName, std::string("Q4_K_M"));
    QCOMPARE(s.parameters, 19400960);
    QCOMPARE(s.contextLength.value_or(-1), 8192);
    QCOMPARE(s.types.size(), std::size_t(3));
    QCOMPARE(s.types[0].type, std::string("q6_K")); // largest share of bytes: output + 4 attn_v/ffn_down
    QCOMPARE(s.types[0].tensors, 5);
    QCOMPARE(s.types[1].type, std::string("q4_K"));
    QCOMPARE(s.types[1].tensors, 25);
    QCOMPARE(s.types[2].type, std::string("f32"));
    QVERIFY(s.bitsPerWeight > 4.5 && s.bitsPerWeight < 6.0);
    QVERIFY(!s.hasChatTemplate);
}

void ModelSummaryTest::chatTemplateAndScaling()
{
    GgufWriter w;
    w.setString("general.architecture", "llama");
    w.setUInt32("general.file_type", 17);
    w.setString("llama.rope.scaling.type", "yarn");
    w.setFloat32("llama.rope.scaling.factor", 4.f);
    w.setUInt32("llama.rope.scaling.original_context_length", 8192);
    w.setString("tokenizer.chat_template",
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
        "'<|im_end|>' + '\\n'}}{% endfor %}\n{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}"
        "{% endif %}");
    auto bytes = w.writeToMemory();
    QVERIFY(bytes);
    auto f = GgufFile::fromMemory(*bytes);
    QVERIFY(f);
    const ModelSummary s = summarizeModel(**f);
    QCOMPARE(s.fileTypeName, std::string("Q5_K_M"));
    QCOMPARE(s.ropeScaling, std::string("yarn x4 (original context 8192)"));
    QVERIFY(s.hasChatTemplate);
    QVERIFY(QString::fromStdString(s.chatTemplateFirstLine).startsWith("{% for message in messages %}"));
    QVERIFY(!QString::fromStdString(s.chatTemplateFirstLine).contains('\n'));
    QCOMPARE(s.parameters, 0);
    QCOMPARE(fileTypeName(99), std::string("unknown (99)"));
}

QTEST_GUILESS_MAIN(ModelSummaryTest)
#include "modelsummarytest.moc"
