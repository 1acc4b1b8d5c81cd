// quire ask LIB "question": the passages of a library that answer a question, or, with --model, a
// model's answer that cites them.
#include "analysis/asker.h"
#include "analysis/askmodel.h"
#include "backendchoice.h"
#include "command.h"
#include "store/library.h"
#include "termmarks.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>
#include <cstdio>
#include <unistd.h>

namespace
{

using namespace quire;
using analysis::AskResult;
using analysis::Passage;

void addOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(QStringLiteral(
        "Ask a question about a whole library. Without a model: the passages that answer it best, the "
        "question's words marked. With --model: a local GGUF model answers from those passages, citing them "
        "as [n], and the citations follow the answer."));
    p.addPositionalArgument(QStringLiteral("LIB"), QStringLiteral("The library file."));
    p.addPositionalArgument(QStringLiteral("QUESTION"), QStringLiteral("The question, in any language."));
    p.addOption({ QStringLiteral("model"), QStringLiteral("The GGUF model that answers."), QStringLiteral("FILE") });
    p.addOption({ QStringLiteral("passages"), QStringLiteral("Passages to find (default 8)."), "N", "8" });
    p.addOption(
        { QStringLiteral("max-tokens"), QStringLiteral("Longest answer, in tokens (default 512)."), "N", "512" });
    p.addOption({ QStringLiteral("ctx"),
        QStringLiteral("Context size in tokens (default: the model's own, at most 8192)."),
        "N",
        "0" });
    p.addOption(
        { QStringLiteral("temp"), QStringLiteral("Sampling temperature; 0 is greedy (default 0.2)."), "T", "0.2" });
    p.addOption({ QStringLiteral("seed"), QStringLiteral("Random seed (default: from the system)."), "S" });
    p.addOption(
        { QStringLiteral("device"), cli::deviceOptionHelp(), QStringLiteral("DEVICE"), QStringLiteral("auto") });
    p.addOption({ QStringLiteral("threads"), QStringLiteral("CPU threads (default: all cores)."), "N", "0" });
}

Expected<analysis::AskOptions> readOptions(const QCommandLineParser &p)
{
    analysis::AskOptions o;
    bool ok = true;
    auto integer = [&](const char *name) {
        bool good = false;
        const int v = p.value(QString::fromLatin1(name)).toInt(&good);
        ok = ok && good && v >= 0;
        return v;
    };
    o.retrieval.passages = integer("passages");
    o.maxTokens = integer("max-tokens");
    bool goodTemp = false;
    o.temperature = p.value(QStringLiteral("temp")).toFloat(&goodTemp);
    ok = ok && goodTemp && o.temperature >= 0;
    if (!ok || o.retrieval.passages < 1 || o.maxTokens < 1)
        return fail(Error::Code::InvalidArgument, "--passages, --max-tokens and --temp take positive numbers");
    if (p.isSet(QStringLiteral("seed")))
        o.seed = p.value(QStringLiteral("seed")).toULongLong(&ok);
    if (!ok)
        return fail(Error::Code::InvalidArgument, "--seed takes a number");
    return o;
}

Expected<std::unique_ptr<analysis::AskModel>> loadModel(const QCommandLineParser &p, bool json)
{
    auto settings = analysis::AskModelSettings::fromStrings(p.value(QStringLiteral("model")),
        p.value(QStringLiteral("ctx")),
        QStringLiteral("auto"),
        p.value(QStringLiteral("device")));
    if (!settings)
        return std::unexpected(Error { Error::Code::InvalidArgument,
            "--ctx takes a number of tokens, 256 or more, and --device auto, cpu or vulkan" });
    bool ok = false;
    settings->threads = p.value(QStringLiteral("threads")).toInt(&ok);
    auto choice = cli::chooseBackend(settings->device, ok ? settings->threads : 0);
    if (!choice)
        return std::unexpected(choice.error());
    if (!json)
        QTextStream(stderr) << "quire: running on " << choice->reason << '\n';
    return analysis::AskModel::load(*settings, std::move(choice->backend));
}

QString where(const Passage &p)
{
    QString s = p.title + QStringLiteral(", p. ") + QString::number(p.page);
    if (!p.section.isEmpty())
        s += QStringLiteral(" (") + p.section.simplified() + QLatin1Char(')');
    return s;
}

QJsonArray ids(const std::vector<std::int64_t> &list)
{
    QJsonArray out;
    for (std::int64_t id : list)
        out.append(qint64(id));
    return out;
}

QJsonObject toJson(int number, const Passage &p)
{
    QJsonArray highlights;
    for (const auto &[offset, length] : p.highlights)
        highlights.append(QJsonArray { offset, length });
    return { { QStringLiteral("number"), number },
        { QStringLiteral("document"), qint64(p.documentId) },
        { QStringLiteral("title"), p.title },
        { QStringLiteral("path"), p.path },
        { QStringLiteral("section"), p.section },
        { QStringLiteral("page"), p.page },
        { QStringLiteral("sentence"), qint64(p.citedSentenceId) },
        { QStringLiteral("sentences"), ids(p.sentenceIds()) },
        { QStringLiteral("hits"), ids(p.hitSentenceIds()) },
        { QStringLiteral("start"), p.sentences.empty() ? 0 : p.sentences.front().start },
        { QStringLiteral("end"), p.sentences.empty() ? 0 : p.sentences.back().end },
        { QStringLiteral("text"), p.text },
        { QStringLiteral("highlights"), highlights },
        { QStringLiteral("score"), p.score } };
}

QJsonObject toJson(const AskResult &r)
{
    QJsonArray passages;
    for (std::size_t i = 0; i < r.retrieval.passages.size(); ++i)
        passages.append(toJson(int(i) + 1, r.retrieval.passages[i]));
    QJsonArray citations;
    for (const analysis::Citation &c : r.citations) {
        const Passage &p = r.retrieval.passages[std::size_t(c.number - 1)];
        citations.append(QJsonObject { { QStringLiteral("number"), c.number },
            { QStringLiteral("start"), c.start },
            { QStringLiteral("length"), c.length },
            { QStringLiteral("document"), qint64(c.documentId) },
            { QStringLiteral("title"), p.title },
            { QStringLiteral("page"), p.page },
            { QStringLiteral("sentence"), qint64(c.sentenceId) },
            { QStringLiteral("sentences"), ids(c.sentenceIds) } });
    }
    QJsonObject out { { QStringLiteral("question"), r.question },
        { QStringLiteral("terms"), QJsonArray::fromStringList(r.retrieval.terms) },
        { QStringLiteral("query"), r.retrieval.query },
        { QStringLiteral("matches"), qint64(r.retrieval.matches) },
        { QStringLiteral("narrowed"), r.retrieval.narrowed },
        { QStringLiteral("retrieval_ms"), qint64(r.retrieval.elapsedMs) },
        { QStringLiteral("passages"), passages },
        { QStringLiteral("model_used"), r.modelUsed } };
    if (!r.problem.isEmpty())
        out.insert(QStringLiteral("problem"), r.problem);
    if (r.modelUsed) {
        out.insert(QStringLiteral("answer"), r.answer);
        out.insert(QStringLiteral("citations"), citations);
        out.insert(QStringLiteral("model"), r.model);
        out.insert(QStringLiteral("prompt_passages"), r.promptPassages);
        out.insert(QStringLiteral("prompt_tokens"), r.promptTokens);
        out.insert(QStringLiteral("generated_tokens"), r.stats.generatedTokens);
        out.insert(QStringLiteral("stop_reason"),
            r.cancelled ? QStringLiteral("cancelled") : QString::fromLatin1(inference::stopReasonName(r.stats.reason)));
    }
    return out;
}

void printPassages(const AskResult &r, QTextStream &out)
{
    const bool terminal = isatty(STDOUT_FILENO) != 0;
    if (r.retrieval.passages.empty())
        out << "Nothing in the library matches " << r.retrieval.terms.join(QStringLiteral(", ")) << ".\n";
    for (std::size_t i = 0; i < r.retrieval.passages.size(); ++i) {
        const Passage &p = r.retrieval.passages[i];
        out << '[' << (i + 1) << "] " << where(p) << "  (document " << p.documentId << ", sentence "
            << p.citedSentenceId << ")\n    " << cli::markTerms(p.text, p.highlights, terminal) << "\n\n";
    }
}

void printCitations(const AskResult &r, QTextStream &out)
{
    std::vector<int> shown;
    out << "\nCitations:\n";
    for (const analysis::Citation &c : r.citations) {
        if (std::find(shown.begin(), shown.end(), c.number) != shown.end())
            continue;
        shown.push_back(c.number);
        const Passage &p = r.retrieval.passages[std::size_t(c.number - 1)];
        out << '[' << c.number << "] " << where(p) << "  (document " << p.documentId << ", sentence " << c.sentenceId
            << ")\n    " << p.text.simplified() << "\n";
    }
    if (shown.empty())
        out << "(the answer cites no passage; the passages it was given are [1] to [" << r.promptPassages << "])\n";
}

int run(const QStringList &args)
{
    QCommandLineParser parser;
    addOptions(parser);
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, args, 2, &code))
        return code;
    auto options = readOptions(parser);
    if (!options)
        return ctx.fail(cli::ExitUsage, QString::fromStdString(options.error().message));
    const QStringList positional = parser.positionalArguments();
    auto library = store::Library::open(positional.at(0));
    if (!library)
        return ctx.fail(library.error());
    std::unique_ptr<analysis::AskModel> model;
    if (parser.isSet(QStringLiteral("model"))) {
        auto loaded = loadModel(parser, ctx.json());
        if (!loaded)
            return ctx.fail(loaded.error());
        model = std::move(*loaded);
    }
    analysis::Asker asker(**library);
    const bool json = ctx.json();
    auto result = asker.ask(
        positional.mid(1).join(QLatin1Char(' ')),
        *options,
        model.get(),
        [json](const QString &piece) {
            if (!json) {
                const QByteArray utf8 = piece.toUtf8();
                std::fwrite(utf8.constData(), 1, std::size_t(utf8.size()), stdout);
                std::fflush(stdout);
            }
            return true;
        },
        &cli::Context::cancel());
    if (!result)
        return ctx.fail(result.error());
    if (json) {
        ctx.printJson(toJson(*result));
        return result->cancelled ? cli::ExitCancelled : cli::ExitOk;
    }
    QTextStream out(stdout);
    if (result->modelUsed) {
        out << '\n';
        printCitations(*result, out);
    } else {
        if (model)
            QTextStream(stderr) << "quire: the model did not answer: "
                                << (result->problem.isEmpty() ? QStringLiteral("no passage matches the question")
                                                              : result->problem)
                                << '\n';
        printPassages(*result, out);
    }
    out.flush();
    QTextStream(stderr) << "quire: " << result->retrieval.passages.size() << " passages from "
                        << result->retrieval.matches << " matching sentences in " << result->retrieval.elapsedMs
                        << " ms"
                        << (result->modelUsed ? QStringLiteral(", %1 answer tokens").arg(result->stats.generatedTokens)
                                              : QString())
                        << '\n';
    return result->cancelled ? cli::ExitCancelled : cli::ExitOk;
}

const bool registered = cli::registerCommand(
    { QStringLiteral("ask"), QStringLiteral("Answer a question from a library, with citations"), run });

} // namespace
