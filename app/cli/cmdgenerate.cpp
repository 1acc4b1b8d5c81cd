// quire generate --model M.gguf --prompt "...": streams a model's continuation to stdout, stats on stderr.
// Read once, ask many: --prompt-file archive.txt --save-kv F, then --load-kv F --prompt "question"
// (or --kv-cache F, which loads F when it matches and computes and saves it when not).
#include "backendchoice.h"
#include "command.h"
#include "generateprefix.h"
#include "inference/backend.h"
#include "inference/chattemplate.h"
#include "inference/generator.h"
#include "inference/gguffile.h"
#include "inference/jsonschema.h"
#include "inference/model.h"
#include "inference/tokenizer.h"

#include <QFile>
#include <QJsonObject>
#include <QTextStream>
#include <cstdio>

namespace
{

using namespace quire;
using namespace quire::inference;

struct Options {
    QString model;
    QString prompt;
    GenerationSettings settings;
    int threads = 0;
    int nCtx = 4096;
    KvType kv = KvType::F16;
    SparseAttentionSettings attention;
    cli::PrefixOptions prefix;
};

void addOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(QStringLiteral("Generate text with a GGUF model (llama, qwen2, qwen3)."));
    auto opt = [&p](const char *name, const char *help, const char *value = nullptr, const char *def = nullptr) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help));
        if (value)
            o.setValueName(QString::fromLatin1(value));
        if (def)
            o.setDefaultValue(QString::fromLatin1(def));
        p.addOption(o);
    };
    opt("model", "The GGUF model file.", "FILE");
    opt("prompt", "The prompt text (after the --prompt-file or --load-kv prefix, when given).", "TEXT");
    opt("prompt-file", "A long text evaluated first, in chunks with progress (Ctrl-C cancels).", "FILE");
    opt("save-kv", "Save the KV cache of --prompt-file's text to FILE.", "FILE");
    opt("load-kv", "Start from a KV cache saved with --save-kv (same model and settings).", "FILE");
    opt("kv-cache",
        "Load FILE when it holds --prompt-file's text for this model and settings, else compute and save it.",
        "FILE");
    opt("max-tokens", "Stop after N generated tokens.", "N", "256");
    opt("temp", "Sampling temperature; 0 is greedy.", "T", "0.8");
    opt("top-k", "Keep the K most likely tokens (0: off).", "K", "40");
    opt("top-p", "Nucleus sampling threshold (1: off).", "P", "0.95");
    opt("min-p", "Drop tokens below P x the top probability (0: off).", "P", "0.05");
    opt("repeat-penalty", "Penalty for recently generated tokens (1: off).", "X", "1.0");
    opt("seed", "Random seed (default: from the system).", "S");
    opt("threads", "Worker threads (default: all cores).", "N");
    opt("device", "Compute device: auto (a GPU when there is one, else the CPU), vulkan or cpu.", "DEVICE", "auto");
    opt("ctx", "Context size in tokens.", "N", "4096");
    opt("kv", "KV cache type: f16, f32 or q8_0.", "TYPE", "f16");
    opt("attention", "Attention: dense, sparse, or auto (sparse from 32K tokens).", "MODE", "auto");
    opt("topk-tokens", "Sparse attention: middle tokens the block indexer keeps.", "N", "2048");
    opt("block", "Sparse attention: tokens per selection block (divides 256).", "N", "64");
    opt("window", "Sparse attention: recent tokens always attended.", "N", "2048");
    opt("stop", "Stop at this text (repeatable).", "TEXT");
    opt("special", "Parse special-token text such as <|im_start|> in the prompt.");
    opt("chat", "Wrap the prompt as a user turn in the model's chat template.");
    opt("system", "System message for --chat.", "TEXT");
    opt("grammar", "Constrain the output with a GBNF grammar file.", "FILE");
    opt("json-schema", "Constrain the output to JSON matching this JSON schema file.", "FILE");
}

Expected<Options> readOptions(const QCommandLineParser &p)
{
    Options o;
    o.model = p.value(QStringLiteral("model"));
    o.prompt = p.value(QStringLiteral("prompt"));
    if (o.model.isEmpty())
        return fail(Error::Code::InvalidArgument, "--model is required");
    bool ok = true;
    auto number = [&](const char *name, auto &out) {
        bool good = false;
        const QString v = p.value(QString::fromLatin1(name));
        if constexpr (std::is_same_v<std::remove_reference_t<decltype(out)>, int>)
            out = v.toInt(&good);
        else
            out = v.toFloat(&good);
        ok = ok && good;
    };
    number("max-tokens", o.settings.maxTokens);
    number("temp", o.settings.sampling.temperature);
    number("top-k", o.settings.sampling.topK);
    number("top-p", o.settings.sampling.topP);
    number("min-p", o.settings.sampling.minP);
    number("repeat-penalty", o.settings.sampling.repeatPenalty);
    number("ctx", o.nCtx);
    number("topk-tokens", o.attention.topKTokens);
    number("block", o.attention.blockTokens);
    number("window", o.attention.windowTokens);
    if (auto mode = parseAttentionMode(p.value(QStringLiteral("attention")).toStdString()))
        o.attention.mode = *mode;
    else
        return fail(Error::Code::InvalidArgument, "--attention takes dense, sparse or auto");
    if (p.isSet(QStringLiteral("threads")))
        number("threads", o.threads);
    o.settings.sampling.seed = p.isSet(QStringLiteral("seed")) ? p.value(QStringLiteral("seed")).toULongLong(&ok)
                                                               : SamplerSettings::kRandomSeed;
    if (!ok)
        return fail(Error::Code::InvalidArgument, "a numeric option has a value that is not a number");
    const QString kv = p.value(QStringLiteral("kv"));
    if (kv == QLatin1String("f32"))
        o.kv = KvType::F32;
    else if (kv == QLatin1String("q8_0"))
        o.kv = KvType::Q8_0;
    else if (kv != QLatin1String("f16"))
        return fail(Error::Code::InvalidArgument, "--kv must be f16, f32 or q8_0");
    for (const QString &s : p.values(QStringLiteral("stop")))
        o.settings.stopStrings.push_back(s.toStdString());
    o.settings.parseSpecial = p.isSet(QStringLiteral("special"));
    o.prefix.textFile = p.value(QStringLiteral("prompt-file"));
    o.prefix.loadFile = p.value(QStringLiteral("load-kv"));
    o.prefix.saveFile = p.value(QStringLiteral("save-kv"));
    o.prefix.cacheFile = p.value(QStringLiteral("kv-cache"));
    o.prefix.parseSpecial = o.settings.parseSpecial;
    if ((!o.prefix.saveFile.isEmpty() || !o.prefix.cacheFile.isEmpty()) && o.prefix.textFile.isEmpty())
        return fail(Error::Code::InvalidArgument, "--save-kv and --kv-cache need the text in --prompt-file");
    if (o.prompt.isEmpty() && !o.prefix.isSet())
        return fail(Error::Code::InvalidArgument, "give --prompt, --prompt-file or --load-kv");
    return o;
}

Expected<std::string> readText(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(Error::Code::NotFound, "cannot read " + path.toStdString());
    return f.readAll().toStdString();
}

Expected<void> readGrammar(const QCommandLineParser &p, Options &o)
{
    if (p.isSet(QStringLiteral("grammar"))) {
        auto text = readText(p.value(QStringLiteral("grammar")));
        if (!text)
            return std::unexpected(text.error());
        o.settings.grammar = std::move(*text);
    } else if (p.isSet(QStringLiteral("json-schema"))) {
        auto schema = readText(p.value(QStringLiteral("json-schema")));
        if (!schema)
            return std::unexpected(schema.error());
        auto grammar = jsonSchemaToGrammar(*schema);
        if (!grammar)
            return std::unexpected(grammar.error());
        o.settings.grammar = std::move(*grammar);
    }
    return {};
}

// Formats the prompt as one user turn (after an optional system message) in the family the model's
// tokenizer.chat_template names; special tokens in the result are parsed, end-of-turn markers stop.
void applyChatTemplate(const GgufFile &gguf, const QString &system, Options &o)
{
    const ChatTemplate tmpl = detectChatTemplate(gguf.getString("tokenizer.chat_template").value_or(""));
    std::vector<ChatMessage> messages;
    if (!system.isEmpty())
        messages.push_back({ ChatRole::System, system.toStdString() });
    messages.push_back({ ChatRole::User, o.prompt.toStdString() });
    o.prompt = QString::fromStdString(formatChat(tmpl, messages, true));
    o.settings.parseSpecial = true;
    for (std::string &stop : chatStopStrings(tmpl.family))
        o.settings.stopStrings.push_back(std::move(stop));
}

QString mib(std::size_t bytes)
{
    return QString::number(static_cast<double>(bytes) / (1024.0 * 1024.0), 'f', 1) + QStringLiteral(" MiB");
}

// A prefix evaluated or loaded with no question after it.
int reportPrefix(cli::Context &ctx, const cli::PrefixResult &prefix, const EvalContext &eval)
{
    if (ctx.json()) {
        ctx.printJson(QJsonObject { { QStringLiteral("prefix_tokens"), prefix.tokens },
            { QStringLiteral("prefix_loaded"), prefix.loaded },
            { QStringLiteral("prefix_seconds"), prefix.seconds },
            { QStringLiteral("kv_bytes"), static_cast<double>(eval.kvBytes()) } });
    } else {
        QTextStream(stderr) << "quire: KV cache " << mib(eval.kvBytes()) << '\n';
    }
    return cli::ExitOk;
}

int run(const QStringList &args)
{
    QCommandLineParser parser;
    addOptions(parser);
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, args, 0, &code))
        return code;
    auto options = readOptions(parser);
    if (!options)
        return ctx.fail(options.error());
    if (auto ok = readGrammar(parser, *options); !ok)
        return ctx.fail(ok.error());
    auto model = Model::load(options->model.toStdString());
    if (!model)
        return ctx.fail(model.error());
    auto tokenizer = Tokenizer::fromGguf((*model)->gguf());
    if (!tokenizer)
        return ctx.fail(tokenizer.error());
    auto choice = cli::chooseBackend(parser.value(QStringLiteral("device")), options->threads);
    if (!choice)
        return ctx.fail(choice.error());
    auto &backend = choice->backend;
    if (!ctx.json())
        QTextStream(stderr) << "quire: running on " << choice->reason << '\n';
    auto eval = backend->createContext(
        **model, { .nCtx = options->nCtx, .kvType = options->kv, .attention = options->attention });
    if (!eval)
        return ctx.fail(eval.error());
    if (parser.isSet(QStringLiteral("chat")))
        applyChatTemplate((*model)->gguf(), parser.value(QStringLiteral("system")), *options);
    Generator generator(**model, **tokenizer, **eval);
    const bool json = ctx.json();
    if (!json)
        generator.setProgress(&ctx.progress());
    cli::PrefixResult prefix;
    if (options->prefix.isSet()) {
        auto prepared = cli::preparePrefix(options->prefix, generator, **tokenizer, &cli::Context::cancel());
        if (!prepared)
            return ctx.fail(prepared.error());
        prefix = *prepared;
        if (!json)
            QTextStream(stderr) << prefix.note;
        if (options->prompt.isEmpty())
            return reportPrefix(ctx, prefix, **eval);
    }
    // The question follows the prefix: no second BOS.
    std::vector<std::int32_t> prompt = generator.history();
    const std::vector<std::int32_t> question = (*tokenizer)
                                                   ->encode(options->prompt.toStdString(),
                                                       options->settings.addSpecial && prompt.empty(),
                                                       options->settings.parseSpecial);
    prompt.insert(prompt.end(), question.begin(), question.end());
    std::string text;
    auto stats = generator.generateFromTokens(
        std::move(prompt),
        options->settings,
        [&](std::string_view piece) {
            if (json) {
                text += piece;
            } else {
                std::fwrite(piece.data(), 1, piece.size(), stdout);
                std::fflush(stdout);
            }
            return true;
        },
        &cli::Context::cancel());
    if (!stats)
        return ctx.fail(stats.error());
    if (json) {
        ctx.printJson(QJsonObject { { QStringLiteral("text"), QString::fromStdString(text) },
            { QStringLiteral("prompt_tokens"), stats->promptTokens },
            { QStringLiteral("reused_tokens"), stats->reusedTokens },
            { QStringLiteral("prefix_tokens"), prefix.tokens },
            { QStringLiteral("prefix_loaded"), prefix.loaded },
            { QStringLiteral("prefix_seconds"), prefix.seconds },
            { QStringLiteral("kv_bytes"), static_cast<double>((*eval)->kvBytes()) },
            { QStringLiteral("generated_tokens"), stats->generatedTokens },
            { QStringLiteral("prompt_tokens_per_second"), stats->promptTokensPerSecond() },
            { QStringLiteral("generated_tokens_per_second"), stats->generatedTokensPerSecond() },
            { QStringLiteral("stop_reason"), QString::fromLatin1(stopReasonName(stats->reason)) },
            { QStringLiteral("backend"), QString::fromStdString(backend->name()) },
            { QStringLiteral("device_reason"), choice->reason } });
        return cli::ExitOk;
    }
    std::fputc('\n', stdout);
    QTextStream err(stderr);
    err << "quire: " << stats->promptTokens << " prompt tokens at "
        << QString::number(stats->promptTokensPerSecond(), 'f', 1) << " tok/s, " << stats->generatedTokens
        << " generated at " << QString::number(stats->generatedTokensPerSecond(), 'f', 1) << " tok/s ("
        << stopReasonName(stats->reason) << "; " << QString::fromStdString(backend->name()) << "; KV cache "
        << mib((*eval)->kvBytes()) << ")\n";
    if (stats->reason == StopReason::ContextFull)
        err << "quire: the context is full (" << options->nCtx << " tokens): use --ctx to allow more\n";
    return cli::ExitOk;
}

const bool registered
    = cli::registerCommand({ QStringLiteral("generate"), QStringLiteral("Generate text with a GGUF model"), run });

} // namespace
