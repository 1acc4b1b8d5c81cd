// quire bench longctx: dense vs sparse attention on long inputs with the constructed recall model
// (inference/recallmodel.h): prefill speed, per-token decode time, the bytes each decoded token reads
// (weights, block summaries, selected KV rows) and needle recall, at each context length asked for.
#include "command.h"
#include "inference/backend.h"
#include "inference/cpu/cpucontext.h"
#include "inference/model.h"
#include "inference/recallmodel.h"
#include "inference/rulertasks.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>
#include <chrono>
#include <cmath>

namespace
{

using namespace quire;
using namespace quire::inference;

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Row {
    std::int32_t length = 0;
    double densePrefill = 0.0; // tokens/s; 0 = not run
    double sparsePrefill = 0.0;
    double denseDecodeMs = 0.0;
    double sparseDecodeMs = 0.0;
    double denseKvBytes = 0.0; // per decoded token
    double sparseKvBytes = 0.0;
    double summaryBytes = 0.0;
    int denseFound = 0;
    int sparseFound = 0;
    int needles = 0;
    float logitDistance = 0.0f;
    // Read once, ask many: the sparse prefix saved, loaded into a fresh context and asked again.
    double prefillSeconds = 0.0;
    double saveSeconds = 0.0;
    double loadSeconds = 0.0;
    double fileBytes = 0.0;
    int loadedFound = -1; // -1: not measured
    bool loadedIdentical = false; // the loaded context's logits equal the original's bit for bit
};

struct Bench {
    const Model &model;
    Backend &backend;
    SparseAttentionSettings settings;
    std::int32_t denseMax = 32768;
    double kvBytesPerPosition = 0.0; // one position, every layer and KV head, keys and values
    QString persistDir; // where the prefix is saved; empty: persistence not measured

    std::string prefixPath() const { return QDir(persistDir).filePath(QStringLiteral("prefix.kv")).toStdString(); }

    Expected<std::unique_ptr<EvalContext>> context(std::int32_t nCtx, AttentionMode mode) const
    {
        ContextConfig cfg;
        cfg.nCtx = nCtx;
        cfg.attention = settings;
        cfg.attention.mode = mode;
        return backend.createContext(model, cfg);
    }

    // Asks every needle in turn on a context holding the haystack; returns hits and seconds per token.
    Expected<std::pair<int, double>> ask(EvalContext &ctx,
        std::span<const std::int32_t> haystack,
        const std::vector<std::pair<std::int32_t, std::int32_t>> &needles,
        std::vector<float> &firstLogits) const
    {
        int found = 0;
        double seconds = 0.0;
        std::vector<float> logits;
        for (std::size_t i = 0; i < needles.size(); ++i) {
            ctx.truncate(static_cast<std::int32_t>(haystack.size()));
            const double t0 = now();
            if (auto ok
                = ctx.decode(std::span(&needles[i].first, 1), LogitsMode::Last, logits, &cli::Context::cancel());
                !ok)
                return std::unexpected(ok.error());
            seconds += now() - t0;
            found += std::max_element(logits.begin(), logits.end()) - logits.begin() == needles[i].second ? 1 : 0;
            if (i == 0)
                firstLogits = logits;
        }
        return std::pair { found, seconds / static_cast<double>(needles.size()) };
    }

    Expected<Row> measure(std::int32_t length) const;
    Expected<void> persist(EvalContext &ctx,
        std::span<const std::int32_t> haystack,
        const std::vector<std::pair<std::int32_t, std::int32_t>> &needles,
        const std::vector<float> &sparseLogits,
        Row &row) const;
};

// Saves the freshly prefilled context, loads the file into a new context and asks every needle there.
Expected<void> Bench::persist(EvalContext &ctx,
    std::span<const std::int32_t> haystack,
    const std::vector<std::pair<std::int32_t, std::int32_t>> &needles,
    const std::vector<float> &sparseLogits,
    Row &row) const
{
    (void)ctx; // saved right after its prefill (savePrefixFile), before the questions touched it
    const std::string path = prefixPath();
    double t0 = now();
    row.fileBytes = static_cast<double>(QFileInfo(QString::fromStdString(path)).size());
    auto loaded = context(static_cast<std::int32_t>(haystack.size()) + 16, AttentionMode::Sparse);
    if (!loaded)
        return std::unexpected(loaded.error());
    t0 = now();
    auto tokens = (*loaded)->loadPrefix(path);
    if (!tokens)
        return std::unexpected(tokens.error());
    row.loadSeconds = now() - t0;
    std::vector<float> loadedLogits;
    auto found = ask(**loaded, haystack, needles, loadedLogits);
    if (!found)
        return std::unexpected(found.error());
    row.loadedFound = found->first;
    row.loadedIdentical = loadedLogits == sparseLogits;
    loaded->reset();
    QFile::remove(QString::fromStdString(path));
    return {};
}

Expected<Row> Bench::measure(std::int32_t length) const
{
    RulerOptions o;
    o.length = length;
    o.needles = 8;
    o.seed = static_cast<std::uint64_t>(length);
    const RulerSample sample = makeRulerSample(RulerTask::MultiKeyNeedle, o);
    std::vector<std::pair<std::int32_t, std::int32_t>> needles;
    for (std::size_t i = 1; i + 2 < sample.prompt.size(); ++i) {
        if (sample.prompt[i + 2] == RecallVocab::kDot)
            needles.emplace_back(sample.prompt[i], sample.prompt[i + 1]);
    }
    const std::span<const std::int32_t> haystack(sample.prompt.data(), sample.prompt.size() - 1);
    Row row;
    row.length = length;
    row.needles = static_cast<int>(needles.size());
    std::vector<float> logits, sparseLogits, denseLogits;
    auto ctx = context(length + 16, AttentionMode::Sparse);
    if (!ctx)
        return std::unexpected(ctx.error());
    double t0 = now();
    if (auto ok = (*ctx)->decode(haystack, LogitsMode::None, logits, &cli::Context::cancel()); !ok)
        return std::unexpected(ok.error());
    row.prefillSeconds = now() - t0;
    row.sparsePrefill = static_cast<double>(haystack.size()) / row.prefillSeconds;
    if (!persistDir.isEmpty()) {
        t0 = now();
        if (auto ok = (*ctx)->savePrefix(prefixPath(), haystack); !ok)
            return std::unexpected(ok.error());
        row.saveSeconds = now() - t0;
    }
    // The CPU backend's context: its sparse state gives the read counters and the mode switch.
    cpu::SparseAttender *sparse = static_cast<cpu::CpuContext *>(ctx->get())->sparse();
    sparse->resetStats();
    auto s = ask(**ctx, haystack, needles, sparseLogits);
    if (!s)
        return std::unexpected(s.error());
    const cpu::SparseStats st = sparse->stats();
    const double perToken = static_cast<double>(model.hparams().nLayer) * model.hparams().nHeadKv;
    row.sparseFound = s->first;
    if (!persistDir.isEmpty()) {
        if (auto ok = persist(**ctx, haystack, needles, sparseLogits, row); !ok)
            return std::unexpected(ok.error());
    }
    row.sparseDecodeMs = s->second * 1e3;
    row.sparseKvBytes = static_cast<double>(st.positionsRead) / static_cast<double>(st.queries) * kvBytesPerPosition;
    row.summaryBytes = static_cast<double>(st.blocksScored) / static_cast<double>(st.queries) * perToken
        * static_cast<double>(sparse->summaries().bytesPerBlock()) / model.hparams().nHeadKv;
    // Dense decode over the same cache.
    sparse->setMode(AttentionMode::Dense);
    auto d = ask(**ctx, haystack, needles, denseLogits);
    if (!d)
        return std::unexpected(d.error());
    row.denseFound = d->first;
    row.denseDecodeMs = d->second * 1e3;
    row.denseKvBytes = static_cast<double>(length) * kvBytesPerPosition;
    for (std::size_t i = 0; i < denseLogits.size(); ++i)
        row.logitDistance = std::max(row.logitDistance, std::abs(denseLogits[i] - sparseLogits[i]));
    ctx->reset();
    if (length <= denseMax) {
        auto dense = context(length + 16, AttentionMode::Dense);
        if (!dense)
            return std::unexpected(dense.error());
        t0 = now();
        if (auto ok = (*dense)->decode(haystack, LogitsMode::None, logits, &cli::Context::cancel()); !ok)
            return std::unexpected(ok.error());
        row.densePrefill = static_cast<double>(haystack.size()) / (now() - t0);
    }
    return row;
}

QJsonObject toJson(const Row &r)
{
    return QJsonObject { { QStringLiteral("tokens"), r.length },
        { QStringLiteral("dense_prefill_tok_s"), r.densePrefill },
        { QStringLiteral("sparse_prefill_tok_s"), r.sparsePrefill },
        { QStringLiteral("dense_decode_ms"), r.denseDecodeMs },
        { QStringLiteral("sparse_decode_ms"), r.sparseDecodeMs },
        { QStringLiteral("dense_kv_bytes_per_token"), r.denseKvBytes },
        { QStringLiteral("sparse_kv_bytes_per_token"), r.sparseKvBytes },
        { QStringLiteral("summary_bytes_per_token"), r.summaryBytes },
        { QStringLiteral("needles"), r.needles },
        { QStringLiteral("dense_found"), r.denseFound },
        { QStringLiteral("sparse_found"), r.sparseFound },
        { QStringLiteral("max_logit_distance"), static_cast<double>(r.logitDistance) },
        { QStringLiteral("prefill_s"), r.prefillSeconds },
        { QStringLiteral("save_s"), r.saveSeconds },
        { QStringLiteral("load_s"), r.loadSeconds },
        { QStringLiteral("kv_file_bytes"), r.fileBytes },
        { QStringLiteral("loaded_found"), r.loadedFound },
        { QStringLiteral("loaded_logits_identical"), r.loadedIdentical } };
}

QString mib(double bytes)
{
    return QString::number(bytes / (1024.0 * 1024.0), 'f', 2);
}

void printRow(QTextStream &out, const Row &r)
{
    out << QStringLiteral("%1 | %2 | %3 | %4 | %5 | %6x | %7 | %8 | %9 | %10/%11 | %12/%11 | %13\n")
               .arg(r.length, 8)
               .arg(r.densePrefill > 0 ? QString::number(r.densePrefill, 'f', 0) : QStringLiteral("-"), 7)
               .arg(r.sparsePrefill, 7, 'f', 0)
               .arg(r.denseDecodeMs, 8, 'f', 2)
               .arg(r.sparseDecodeMs, 8, 'f', 2)
               .arg(r.denseDecodeMs / std::max(1e-9, r.sparseDecodeMs), 0, 'f', 1)
               .arg(mib(r.denseKvBytes), 8)
               .arg(mib(r.sparseKvBytes), 7)
               .arg(mib(r.summaryBytes), 7)
               .arg(r.denseFound)
               .arg(r.needles)
               .arg(r.sparseFound)
               .arg(static_cast<double>(r.logitDistance), 0, 'g', 3);
    if (r.loadedFound >= 0) {
        out << QStringLiteral("         saved prefix: %1 MiB file, save %2 s, load %3 s vs prefill %4 s (%5x), "
                              "loaded recall %6/%7, logits identical: %8\n")
                   .arg(mib(r.fileBytes))
                   .arg(r.saveSeconds, 0, 'f', 3)
                   .arg(r.loadSeconds, 0, 'f', 3)
                   .arg(r.prefillSeconds, 0, 'f', 1)
                   .arg(r.prefillSeconds / std::max(1e-9, r.loadSeconds), 0, 'f', 0)
                   .arg(r.loadedFound)
                   .arg(r.needles)
                   .arg(r.loadedIdentical ? QStringLiteral("yes") : QStringLiteral("no"));
    }
    out.flush();
}

Expected<SparseAttentionSettings> readSettings(const QCommandLineParser &p)
{
    SparseAttentionSettings s;
    s.mode = AttentionMode::Sparse;
    auto number = [&p](const char *name, std::int32_t &out) {
        if (p.isSet(QString::fromLatin1(name)))
            out = p.value(QString::fromLatin1(name)).toInt();
    };
    number("topk-tokens", s.topKTokens);
    number("block", s.blockTokens);
    number("window", s.windowTokens);
    number("sinks", s.sinkTokens);
    if (p.isSet(QStringLiteral("summary"))) {
        auto kind = parseBlockSummaryKind(p.value(QStringLiteral("summary")).toStdString());
        if (!kind)
            return fail(Error::Code::InvalidArgument, "--summary takes minmax, mean or mix");
        s.summary = *kind;
    }
    if (auto ok = s.validate(256); !ok)
        return std::unexpected(ok.error());
    return s;
}

void addOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(QStringLiteral(
        "Dense vs sparse attention on long inputs with the constructed recall model: prefill tok/s, decode "
        "ms/token, KV and block-summary bytes read per decoded token, needle recall."));
    auto opt = [&p](const char *name, const char *help, const char *value, const char *def) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value));
        if (def)
            o.setDefaultValue(QString::fromLatin1(def));
        p.addOption(o);
    };
    opt("lengths", "Context lengths in tokens, comma-separated.", "LIST", "4096,32768,131072");
    opt("dense-max", "Longest context whose dense prefill is measured (quadratic).", "N", "32768");
    opt("threads", "Worker threads (default: all cores).", "N", "0");
    opt("topk-tokens", "Middle tokens the block indexer keeps.", "N", nullptr);
    opt("block", "Tokens per selection block.", "N", nullptr);
    opt("window", "Recent tokens always attended.", "N", nullptr);
    opt("sinks", "First tokens always attended.", "N", nullptr);
    opt("summary", "Block summary: minmax (Quest), mean or mix.", "KIND", nullptr);
    opt("persist-dir",
        "Also save each sparse prefix to a KV file here, load it into a fresh context and ask again (default: a "
        "temporary folder; 'none' skips it).",
        "DIR",
        nullptr);
}

int run(const QStringList &args)
{
    QCommandLineParser parser;
    addOptions(parser);
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, args, 0, &code))
        return code;
    auto settings = readSettings(parser);
    if (!settings)
        return ctx.fail(settings.error());
    std::vector<std::int32_t> lengths;
    std::int32_t longest = 0;
    for (const QString &s : parser.value(QStringLiteral("lengths")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        lengths.push_back(s.trimmed().toInt());
        longest = std::max(longest, lengths.back());
        if (lengths.back() < 64)
            return ctx.fail(Error::make(Error::Code::InvalidArgument, "--lengths needs lengths of at least 64 tokens"));
    }
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("recall.gguf")).toStdString();
    RecallModelOptions mo;
    mo.contextLength = std::max(longest + 64, 4096);
    if (auto ok = writeRecallModel(path, mo); !ok)
        return ctx.fail(ok.error());
    auto model = Model::load(path);
    if (!model)
        return ctx.fail(model.error());
    auto backend = createCpuBackend({ parser.value(QStringLiteral("threads")).toInt() });
    const HParams &hp = (*model)->hparams();
    Bench bench { **model, *backend, *settings, parser.value(QStringLiteral("dense-max")).toInt(), 0.0, {} };
    const QString persist = parser.value(QStringLiteral("persist-dir"));
    if (persist != QLatin1String("none"))
        bench.persistDir = persist.isEmpty() ? dir.path() : persist;
    bench.kvBytesPerPosition = static_cast<double>(hp.nLayer) * hp.nHeadKv
        * static_cast<double>(kvRowBytes(KvType::F16, hp.headDimK) + kvRowBytes(KvType::F16, hp.headDimV));
    QTextStream out(stdout);
    if (!ctx.json()) {
        out << "model: constructed recall model, " << hp.nLayer << " layers, " << hp.nHead << " heads / " << hp.nHeadKv
            << " KV heads x " << hp.headDimK << ", weights read per token "
            << mib(static_cast<double>((*model)->weightBytesPerToken())) << " MiB; "
            << QString::fromStdString(backend->name()) << "\nsparse: sinks " << settings->sinkTokens << ", window "
            << settings->windowTokens << ", block " << settings->blockTokens << ", top-k " << settings->topKTokens
            << " tokens, summary " << blockSummaryKindName(settings->summary)
            << "; KV f16\n  tokens | dense pp tok/s | sparse pp | dense ms/tok | sparse ms/tok | speed-up | dense KV "
               "MiB/tok "
               "| sparse KV | summaries | dense recall | sparse recall | max logit diff\n";
    }
    QJsonArray rows;
    for (std::int32_t length : lengths) {
        auto row = bench.measure(length);
        if (!row)
            return ctx.fail(row.error());
        rows.append(toJson(*row));
        if (!ctx.json())
            printRow(out, *row);
    }
    if (ctx.json())
        ctx.printJson(rows);
    return cli::ExitOk;
}

const bool registered = cli::registerCommand({ QStringLiteral("bench-longctx"),
    QStringLiteral("Dense vs sparse attention on long inputs (constructed recall model)"),
    run });

} // namespace
