// quire model-info M.gguf: architecture, size, quantisation mix, hyperparameters, tokenizer, chat template.
#include "backendchoice.h"
#include "command.h"
#include "inference/gguffile.h"
#include "inference/ggufvalue.h"
#include "inference/modelsummary.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QTextStream>

namespace
{

using namespace quire;
using namespace quire::inference;

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

template <typename T> QJsonValue optionalJson(const std::optional<T> &v)
{
    if (!v)
        return QJsonValue::Null;
    if constexpr (std::is_same_v<T, bool>)
        return *v;
    else
        return static_cast<double>(*v);
}

QString optionalText(const std::optional<std::int64_t> &v)
{
    return v ? QString::number(*v) : QStringLiteral("-");
}

QString parameterText(std::int64_t n)
{
    if (n >= 1000000000)
        return QString::number(double(n) / 1e9, 'f', 2) + QStringLiteral(" B");
    if (n >= 1000000)
        return QString::number(double(n) / 1e6, 'f', 2) + QStringLiteral(" M");
    return QString::number(double(n) / 1e3, 'f', 1) + QStringLiteral(" K");
}

QJsonObject summaryJson(const QString &path, const ModelSummary &s)
{
    QJsonArray types;
    for (const ModelSummary::TypeUse &t : s.types)
        types.append(QJsonObject { { QStringLiteral("type"), str(t.type) },
            { QStringLiteral("tensors"), qint64(t.tensors) },
            { QStringLiteral("parameters"), qint64(t.elements) },
            { QStringLiteral("bytes"), qint64(t.bytes) } });
    return QJsonObject { { QStringLiteral("path"), QFileInfo(path).absoluteFilePath() },
        { QStringLiteral("architecture"), str(s.architecture) },
        { QStringLiteral("name"), str(s.name) },
        { QStringLiteral("fileBytes"), qint64(s.fileBytes) },
        { QStringLiteral("ggufVersion"), qint64(s.ggufVersion) },
        { QStringLiteral("tensors"), qint64(s.tensorCount) },
        { QStringLiteral("parameters"), qint64(s.parameters) },
        { QStringLiteral("tensorBytes"), qint64(s.tensorBytes) },
        { QStringLiteral("bitsPerWeight"), s.bitsPerWeight },
        { QStringLiteral("fileType"), s.fileType ? QJsonValue(str(s.fileTypeName)) : QJsonValue::Null },
        { QStringLiteral("types"), types },
        { QStringLiteral("contextLength"), optionalJson(s.contextLength) },
        { QStringLiteral("embedding"), optionalJson(s.embedding) },
        { QStringLiteral("layers"), optionalJson(s.layers) },
        { QStringLiteral("feedForward"), optionalJson(s.feedForward) },
        { QStringLiteral("heads"), optionalJson(s.heads) },
        { QStringLiteral("kvHeads"), optionalJson(s.kvHeads) },
        { QStringLiteral("headDim"), optionalJson(s.headDim) },
        { QStringLiteral("rope"),
            QJsonObject { { QStringLiteral("dimensions"), optionalJson(s.ropeDimensions) },
                { QStringLiteral("freqBase"), optionalJson(s.ropeFreqBase) },
                { QStringLiteral("freqBaseIsDefault"), s.ropeFreqBaseDefault },
                { QStringLiteral("style"), str(s.ropeStyle) },
                { QStringLiteral("scaling"), str(s.ropeScaling) } } },
        { QStringLiteral("rmsEpsilon"), optionalJson(s.rmsEpsilon) },
        { QStringLiteral("tokenizer"),
            QJsonObject { { QStringLiteral("model"), str(s.tokenizerModel) },
                { QStringLiteral("pre"), str(s.tokenizerPre) },
                { QStringLiteral("vocabSize"), optionalJson(s.vocabSize) },
                { QStringLiteral("bos"), optionalJson(s.bosToken) },
                { QStringLiteral("eos"), optionalJson(s.eosToken) },
                { QStringLiteral("addBos"), optionalJson(s.addBos) } } },
        { QStringLiteral("chatTemplate"),
            s.hasChatTemplate ? QJsonValue(QJsonObject { { QStringLiteral("family"), str(s.chatFamily) },
                { QStringLiteral("firstLine"), str(s.chatTemplateFirstLine) } })
                              : QJsonValue::Null } };
}

void printTypes(QTextStream &out, const ModelSummary &s)
{
    const QLocale locale;
    out << "Tensor types\n";
    for (const ModelSummary::TypeUse &t : s.types)
        out << "  " << str(t.type).leftJustified(8) << QString::number(t.tensors).rightJustified(5) << " tensors  "
            << parameterText(t.elements).rightJustified(9) << " params  " << locale.formattedDataSize(qint64(t.bytes))
            << '\n';
}

void printHuman(const QString &path, const ModelSummary &s)
{
    QTextStream out(stdout);
    const QLocale locale;
    out << "Model        " << QFileInfo(path).absoluteFilePath() << '\n'
        << "Name         " << (s.name.empty() ? QStringLiteral("-") : str(s.name)) << '\n'
        << "Architecture " << (s.architecture.empty() ? QStringLiteral("-") : str(s.architecture)) << '\n'
        << "File         " << locale.formattedDataSize(qint64(s.fileBytes)) << " (GGUF v" << s.ggufVersion << ", "
        << s.tensorCount << " tensors)\n"
        << "Parameters   " << parameterText(s.parameters) << " (" << s.parameters << "), "
        << QString::number(s.bitsPerWeight, 'f', 2) << " bits per weight\n"
        << "Quantisation " << (s.fileType ? str(s.fileTypeName) : QStringLiteral("-")) << '\n';
    printTypes(out, s);
    out << "Context      " << optionalText(s.contextLength) << '\n'
        << "Embedding    " << optionalText(s.embedding) << '\n'
        << "Layers       " << optionalText(s.layers) << '\n'
        << "Heads        " << optionalText(s.heads) << " (KV heads " << optionalText(s.kvHeads) << ", head dim "
        << optionalText(s.headDim) << ")\n"
        << "Feed-forward " << optionalText(s.feedForward) << '\n'
        << "RoPE         " << (s.ropeStyle.empty() ? QStringLiteral("?") : str(s.ropeStyle)) << ", "
        << optionalText(s.ropeDimensions) << " dims, base "
        << (s.ropeFreqBase ? QString::number(*s.ropeFreqBase, 'g', 10) : QStringLiteral("-"))
        << (s.ropeFreqBaseDefault ? QStringLiteral(" (default)") : QString())
        << (s.ropeScaling.empty() ? QString() : QStringLiteral(", scaling ") + str(s.ropeScaling)) << '\n'
        << "Tokenizer    " << (s.tokenizerModel.empty() ? QStringLiteral("-") : str(s.tokenizerModel))
        << (s.tokenizerPre.empty() ? QString() : QStringLiteral(" (pre ") + str(s.tokenizerPre) + QLatin1Char(')'))
        << ", " << optionalText(s.vocabSize) << " tokens, BOS " << optionalText(s.bosToken) << ", EOS "
        << optionalText(s.eosToken) << '\n'
        << "Chat         ";
    if (!s.hasChatTemplate)
        out << "no template\n";
    else if (!s.chatFamily.empty())
        out << str(s.chatFamily) << '\n';
    else
        out << "template present: " << str(s.chatTemplateFirstLine) << '\n';
}

QJsonObject metadataJson(const GgufFile &f)
{
    QJsonObject o;
    for (const std::string &key : f.keys()) {
        const GgufValue *v = f.value(key);
        QString type = QString::fromUtf8(ggufValueTypeName(v->type).data());
        if (v->type == GgufValueType::Array)
            type += QLatin1Char('[') + QString::fromUtf8(ggufValueTypeName(v->elemType).data()) + QLatin1Char(']');
        o.insert(str(key),
            QJsonObject { { QStringLiteral("type"), type }, { QStringLiteral("value"), str(v->describe(16)) } });
    }
    return o;
}

void printMetadata(const GgufFile &f)
{
    QTextStream out(stdout);
    out << "Metadata (" << f.keys().size() << " keys)\n";
    for (const std::string &key : f.keys())
        out << "  " << str(key) << " = " << str(f.describe(key)) << '\n';
}

QJsonArray tensorsJson(const GgufFile &f)
{
    QJsonArray a;
    for (const GgufTensorInfo &t : f.tensors()) {
        QJsonArray shape;
        for (int i = 0; i < t.nDims; ++i)
            shape.append(qint64(t.ne[size_t(i)]));
        a.append(QJsonObject { { QStringLiteral("name"), str(t.name) },
            { QStringLiteral("type"), QString::fromUtf8(ggmlTypeTraits(t.type).name.data()) },
            { QStringLiteral("shape"), shape },
            { QStringLiteral("bytes"), qint64(t.bytes) } });
    }
    return a;
}

void printTensors(const GgufFile &f)
{
    QTextStream out(stdout);
    out << "Tensors\n";
    for (const GgufTensorInfo &t : f.tensors()) {
        QStringList shape;
        for (int i = 0; i < t.nDims; ++i)
            shape << QString::number(t.ne[size_t(i)]);
        out << "  " << str(t.name).leftJustified(32) << ' '
            << QString::fromUtf8(ggmlTypeTraits(t.type).name.data()).leftJustified(6) << ' '
            << shape.join(QLatin1Char('x')) << '\n';
    }
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Describe a GGUF model: architecture, parameters, quantisation mix, context, attention shape, RoPE, "
        "tokenizer, chat template family and size."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("The model file (GGUF)."));
    const QCommandLineOption metadata(QStringLiteral("metadata"), QStringLiteral("Also list every metadata key."));
    const QCommandLineOption tensors(QStringLiteral("tensors"), QStringLiteral("Also list every tensor."));
    parser.addOption(metadata);
    parser.addOption(tensors);
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 1, &code))
        return code;
    const QString path = parser.positionalArguments().at(0);
    auto file = GgufFile::open(path.toStdString());
    if (!file)
        return ctx.fail(file.error());
    const ModelSummary summary = summarizeModel(**file);
    // Which device would run it, and why (the same choice as `quire generate --device auto`).
    auto choice = cli::chooseBackend(QStringLiteral("auto"), 0);
    const QString device = choice ? choice->reason : QString::fromStdString(choice.error().message);
    if (ctx.json()) {
        QJsonObject o = summaryJson(path, summary);
        o.insert(QStringLiteral("device"), device);
        if (parser.isSet(metadata))
            o.insert(QStringLiteral("metadata"), metadataJson(**file));
        if (parser.isSet(tensors))
            o.insert(QStringLiteral("tensorList"), tensorsJson(**file));
        ctx.printJson(o);
        return cli::ExitOk;
    }
    printHuman(path, summary);
    QTextStream(stdout) << "Runs on: " << device << '\n';
    if (parser.isSet(metadata))
        printMetadata(**file);
    if (parser.isSet(tensors))
        printTensors(**file);
    return cli::ExitOk;
}

const bool registered = cli::registerCommand({ QStringLiteral("model-info"),
    QStringLiteral("Describe a GGUF model (architecture, size, quantisation, tokenizer, chat template)"),
    run });

} // namespace
