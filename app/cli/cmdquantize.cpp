// quire quantize IN.gguf OUT.gguf TYPE: convert a model's tensors to another type or llama.cpp mix.
#include "command.h"
#include "inference/gguffile.h"
#include "inference/quantizer.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QTextStream>

namespace
{

using namespace quire;
using namespace quire::inference;

QString mixList()
{
    QStringList names;
    for (const QuantMixInfo &m : quantMixes())
        names << QString::fromUtf8(m.name.data(), qsizetype(m.name.size()));
    return names.join(QStringLiteral(", "));
}

QJsonObject reportJson(const QString &in, const QString &out, QuantMix mix, const QuantizeReport &r, qint64 ms)
{
    QJsonObject perType;
    for (const auto &[type, countBytes] : r.perType)
        perType.insert(QString::fromStdString(type),
            QJsonObject { { QStringLiteral("tensors"), qint64(countBytes.first) },
                { QStringLiteral("bytes"), qint64(countBytes.second) } });
    QJsonArray tensors;
    for (const TensorPlan &p : r.tensors)
        tensors.append(QJsonObject { { QStringLiteral("name"), QString::fromStdString(p.name) },
            { QStringLiteral("from"), QString::fromUtf8(ggmlTypeTraits(p.from).name.data()) },
            { QStringLiteral("to"), QString::fromUtf8(ggmlTypeTraits(p.to).name.data()) },
            { QStringLiteral("bytes"), qint64(p.bytesOut) } });
    return QJsonObject { { QStringLiteral("input"), QFileInfo(in).absoluteFilePath() },
        { QStringLiteral("output"), QFileInfo(out).absoluteFilePath() },
        { QStringLiteral("type"), QString::fromUtf8(quantMixInfo(mix).name.data()) },
        { QStringLiteral("inputBytes"), qint64(r.inputBytes) },
        { QStringLiteral("outputBytes"), qint64(r.outputBytes) },
        { QStringLiteral("milliseconds"), ms },
        { QStringLiteral("types"), perType },
        { QStringLiteral("tensors"), tensors } };
}

void printHuman(const QString &out, QuantMix mix, const QuantizeReport &r, qint64 ms)
{
    QTextStream s(stdout);
    const QLocale locale;
    s << "Wrote " << out << " (" << quantMixInfo(mix).name.data() << ") in " << QString::number(ms / 1000.0, 'f', 1)
      << " s\n"
      << "Size         " << locale.formattedDataSize(qint64(r.inputBytes)) << " -> "
      << locale.formattedDataSize(qint64(r.outputBytes)) << '\n'
      << "Tensor types\n";
    for (const auto &[type, countBytes] : r.perType)
        s << "  " << QString::fromStdString(type).leftJustified(8)
          << QString::number(countBytes.first).rightJustified(5) << " tensors  "
          << locale.formattedDataSize(qint64(countBytes.second)) << '\n';
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Quantise a GGUF model to another tensor type. TYPE is one of: %1. Q4_K_M and Q5_K_M "
                       "mix types as llama-quantize does (attn_v and ffn_down partly Q6_K, output Q6_K).")
            .arg(mixList()));
    parser.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("The model to read (GGUF)."));
    parser.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("The GGUF file to write."));
    parser.addPositionalArgument(QStringLiteral("TYPE"), QStringLiteral("The target type or mix, e.g. Q4_K_M."));
    const QCommandLineOption threads(QStringLiteral("threads"),
        QStringLiteral("Threads to quantise with (default: all)."),
        QStringLiteral("N"),
        QStringLiteral("0"));
    parser.addOption(threads);
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 3, &code))
        return code;
    const QStringList args = parser.positionalArguments();
    const auto mix = quantMixFromName(args.at(2).toStdString());
    if (!mix)
        return ctx.fail(cli::ExitUsage, QStringLiteral("unknown type %1: use one of %2").arg(args.at(2), mixList()));
    if (QFileInfo(args.at(0)).canonicalFilePath() == QFileInfo(args.at(1)).canonicalFilePath())
        return ctx.fail(cli::ExitUsage, QStringLiteral("OUT must differ from IN"));
    bool threadsOk = false;
    const int threadCount = parser.value(threads).toInt(&threadsOk);
    if (!threadsOk || threadCount < 0)
        return ctx.fail(cli::ExitUsage, QStringLiteral("--threads takes a number"));
    auto in = GgufFile::open(args.at(0).toStdString());
    if (!in)
        return ctx.fail(in.error());
    QElapsedTimer timer;
    timer.start();
    const QuantizeOptions options { threadCount, &ctx.progress(), &cli::Context::cancel() };
    auto report = quantizeModel(**in, args.at(1).toStdString(), *mix, options);
    if (!report)
        return ctx.fail(report.error());
    if (ctx.json())
        ctx.printJson(reportJson(args.at(0), args.at(1), *mix, *report, timer.elapsed()));
    else
        printHuman(args.at(1), *mix, *report, timer.elapsed());
    return cli::ExitOk;
}

const bool registered = cli::registerCommand({ QStringLiteral("quantize"),
    QStringLiteral("Convert a GGUF model to another tensor type (Q8_0, Q4_K_M, ...)"),
    run });

} // namespace
