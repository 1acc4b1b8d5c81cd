// quire bench generate: prompt processing (pp512, pp2048) and generation (tg64) speed with the CPU
// backend, beside llama.cpp's figures for the same models on the same machine class
// (../shared/reference/BENCHMARKS.md) and the memory-bandwidth bound for generation measured in this run.
#include "backendchoice.h"
#include "command.h"
#include "inference/backend.h"
#include "inference/model.h"
#include "inference/modelbuilder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTextStream>
#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <random>
#include <thread>
#include <vector>

namespace
{

using namespace quire;
using namespace quire::inference;

// llama-bench, 2 threads, KV F16 (BENCHMARKS.md): FA off / FA on, tokens per second.
struct LlamaFigure {
    const char *model;
    const char *test;
    double faOff;
    double faOn;
};
constexpr LlamaFigure kLlama[] = {
    { "small-f32", "pp512", 4745.2, 6276.6 },
    { "small-f32", "pp2048", 2049.5, 3396.1 },
    { "small-f32", "tg64", 330.5, 412.7 },
    { "small-f16", "pp512", 3930.2, 4996.6 },
    { "small-f16", "pp2048", 2442.1, 3356.6 },
    { "small-f16", "tg64", 296.3, 375.1 },
    { "small-q8_0", "pp512", 4819.2, 4365.5 },
    { "small-q8_0", "pp2048", 2653.6, 3759.4 },
    { "small-q8_0", "tg64", 712.7, 1124.3 },
    { "small-q4_0", "pp512", 5765.9, 7717.2 },
    { "small-q4_0", "pp2048", 3031.7, 3600.5 },
    { "small-q4_0", "tg64", 835.6, 1088.7 },
    { "large-f16", "pp512", 298.6, 351.1 },
    { "large-f16", "pp2048", 189.6, 248.8 },
    { "large-f16", "tg64", 36.3, 40.9 },
    { "large-q8_0", "pp512", 261.6, 284.6 },
    { "large-q8_0", "pp2048", 205.5, 234.9 },
    { "large-q8_0", "tg64", 61.1, 62.2 },
    { "large-q4_k_m", "pp512", 402.0, 424.3 },
    { "large-q4_k_m", "pp2048", 256.2, 292.7 },
    { "large-q4_k_m", "tg64", 64.1, 87.7 },
};

// llama.cpp's Vulkan backend on lavapipe (BENCHMARKS.md); 0 where it was not measured.
constexpr LlamaFigure kLlamaLavapipe[] = {
    { "small-f16", "pp512", 0.0, 48.4 },
    { "small-f16", "pp2048", 0.0, 40.5 },
    { "small-f16", "tg32", 0.0, 6.4 },
    { "small-q8_0", "pp512", 0.0, 52.0 },
    { "small-q8_0", "tg32", 0.0, 5.9 },
    { "small-q4_0", "pp512", 0.0, 56.1 },
    { "small-q4_0", "tg32", 0.0, 7.6 },
    { "large-q4_k_m", "pp512", 0.0, 7.3 },
    { "large-q4_k_m", "tg16", 0.0, 1.3 },
};

const LlamaFigure *llamaFigure(const QString &model, const QString &test, bool lavapipe)
{
    if (lavapipe) {
        for (const LlamaFigure &f : kLlamaLavapipe) {
            if (model == QLatin1String(f.model) && test == QLatin1String(f.test))
                return &f;
        }
        return nullptr;
    }
    for (const LlamaFigure &f : kLlama) {
        if (model == QLatin1String(f.model) && test == QLatin1String(f.test))
            return &f;
    }
    return nullptr;
}

double threadCpuSeconds()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct Bandwidth {
    double wall = 0.0; // GB/s by the clock
    double cpu = 0.0; // GB/s per CPU second of the reading threads x threads: what the same reads reach while
                      // they run, the bound that matches the cpu-time figures on a busy machine
};

// Sequential read bandwidth with `threads` threads over a buffer far larger than the caches, in GB/s.
Bandwidth measureBandwidth(int threads)
{
    const std::size_t bytes = std::size_t(1) << 30;
    const std::size_t n = bytes / sizeof(std::uint64_t);
    std::vector<std::uint64_t> buffer(n, 1);
    Bandwidth best;
    for (int rep = 0; rep < 3; ++rep) {
        std::vector<std::thread> pool;
        std::vector<std::uint64_t> sums(static_cast<std::size_t>(threads));
        std::vector<double> cpuSeconds(static_cast<std::size_t>(threads));
        const auto start = std::chrono::steady_clock::now();
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&, t] {
                const double cpuStart = threadCpuSeconds();
                const std::size_t begin = n / threads * t, end = t + 1 == threads ? n : n / threads * (t + 1);
                std::uint64_t a = 0, b = 0, c = 0, d = 0;
                for (std::size_t i = begin; i + 4 <= end; i += 4) {
                    a += buffer[i];
                    b += buffer[i + 1];
                    c += buffer[i + 2];
                    d += buffer[i + 3];
                }
                sums[static_cast<std::size_t>(t)] = a + b + c + d;
                cpuSeconds[static_cast<std::size_t>(t)] = threadCpuSeconds() - cpuStart;
            });
        }
        for (std::thread &t : pool)
            t.join();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best.wall = std::max(best.wall, bytes / s / 1e9);
        double cpu = 0.0;
        for (double c : cpuSeconds)
            cpu += c;
        if (cpu > 0)
            best.cpu = std::max(best.cpu, bytes / (cpu / threads) / 1e9);
    }
    return best;
}

struct BenchModel {
    QString name;
    QString path;
};

QString cacheDir()
{
    const QString dir
        = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/quire/bench");
    QDir().mkpath(dir);
    return dir;
}

Expected<QString> ensureModel(const QString &name, const LlamaShape &shape, QuantMix mix, const GgufFile *vocab)
{
    const QString path = cacheDir() + QLatin1Char('/') + name + QStringLiteral(".gguf");
    if (QFileInfo::exists(path))
        return path;
    QTextStream(stderr) << "quire: writing " << path << " (random weights, once)\n";
    if (auto ok = writeRandomLlamaModel(QString(path + QStringLiteral(".part")).toStdString(), shape, mix, 1234, vocab);
        !ok)
        return std::unexpected(ok.error());
    QFile::rename(path + QStringLiteral(".part"), path);
    return path;
}

double processCpuSeconds()
{
    timespec t {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct Speed {
    double wall = 0.0; // tokens per wall-clock second (the figure llama-bench reports)
    double cpu = 0.0; // tokens per CPU second x threads: what the run would reach with its cores to itself
};

// Tokens per second for one test (best of the repetitions); the prompt is random ids, as in llama-bench.
Expected<Speed> runTest(Backend &backend, const Model &model, const QString &test, int repetitions, int threads)
{
    const bool pp = test.startsWith(QLatin1String("pp"));
    const int n = test.mid(2).toInt();
    std::mt19937 rng(42);
    std::vector<std::int32_t> tokens(static_cast<std::size_t>(n));
    for (std::int32_t &t : tokens)
        t = static_cast<std::int32_t>(rng() % static_cast<unsigned>(model.hparams().nVocab));
    Speed best;
    for (int rep = 0; rep < repetitions; ++rep) {
        auto ctx = backend.createContext(model, { .nCtx = std::max(n, 512) + 16, .kvType = KvType::F16 });
        if (!ctx)
            return std::unexpected(ctx.error());
        std::vector<float> logits;
        const std::int32_t bos = 1;
        if (!pp) // llama-bench's tg starts from one token of context
            (void)(*ctx)->decode({ &bos, 1 }, LogitsMode::Last, logits);
        const auto start = std::chrono::steady_clock::now();
        const double cpuStart = processCpuSeconds();
        if (pp) {
            if (auto ok = (*ctx)->decode(tokens, LogitsMode::Last, logits); !ok)
                return std::unexpected(ok.error());
        } else {
            for (int i = 0; i < n; ++i) {
                if (auto ok = (*ctx)->decode({ &tokens[static_cast<std::size_t>(i)], 1 }, LogitsMode::Last, logits);
                    !ok)
                    return std::unexpected(ok.error());
            }
        }
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double cpu = processCpuSeconds() - cpuStart;
        best.wall = std::max(best.wall, n / s);
        best.cpu = std::max(best.cpu, cpu > 0 ? n / cpu * threads : 0.0);
        if (cli::Context::cancel().isCancelled())
            return fail(Error::Code::Cancelled, "benchmark cancelled");
    }
    return best;
}

// The reference pack's llama-spm-small folder: $QUIRE_SHARED_DIR, or a shared/ folder next to a parent of the
// working directory or of the executable (the development layout).
QString packDir()
{
    const QString sub = QStringLiteral("/reference/llama-spm-small/");
    if (const QByteArray env = qgetenv("QUIRE_SHARED_DIR"); !env.isEmpty())
        return QString::fromLocal8Bit(env) + sub;
    for (QString start : { QDir::currentPath(), QCoreApplication::applicationDirPath() }) {
        for (QDir dir(start); !dir.isRoot(); dir.cdUp()) {
            if (QFileInfo::exists(dir.filePath(QStringLiteral("shared")) + sub))
                return dir.filePath(QStringLiteral("shared")) + sub;
        }
    }
    return QString();
}

Expected<std::vector<BenchModel>> benchModels(const QStringList &wanted)
{
    const QString shared = packDir();
    std::vector<BenchModel> models;
    std::unique_ptr<GgufFile> vocab;
    if (auto f = GgufFile::open(QString(shared + QStringLiteral("small-f16.gguf")).toStdString()))
        vocab = std::move(*f);
    struct Spec {
        const char *name;
        bool large;
        QuantMix mix;
    };
    for (const Spec &s : { Spec { "small-f32", false, QuantMix::F32 },
             Spec { "small-f16", false, QuantMix::F16 },
             Spec { "small-q8_0", false, QuantMix::Q8_0 },
             Spec { "small-q4_0", false, QuantMix::Q4_0 },
             Spec { "large-f16", true, QuantMix::F16 },
             Spec { "large-q8_0", true, QuantMix::Q8_0 },
             Spec { "large-q4_k_m", true, QuantMix::Q4_K_M } }) {
        const QString name = QString::fromLatin1(s.name);
        if (!wanted.isEmpty() && !wanted.contains(name))
            continue;
        const QString packed = shared + name + QStringLiteral(".gguf");
        if (!shared.isEmpty() && QFileInfo::exists(packed)) {
            models.push_back({ name, packed });
            continue;
        }
        auto path = ensureModel(name, s.large ? LlamaShape::large() : LlamaShape::small(), s.mix, vocab.get());
        if (!path)
            return std::unexpected(path.error());
        models.push_back({ name, *path });
    }
    return models;
}

QString figure(double v)
{
    return v > 0 ? QString::number(v, 'f', 1) : QStringLiteral("-");
}

int run(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Prompt and generation speed beside llama.cpp's (BENCHMARKS.md)."));
    parser.addOption(
        { QStringLiteral("threads"), QStringLiteral("Worker threads."), QStringLiteral("N"), QStringLiteral("2") });
    parser.addOption({ QStringLiteral("models"),
        QStringLiteral("Comma-separated subset (small-f32, small-f16, small-q8_0, small-q4_0, large-f16, large-q8_0, "
                       "large-q4_k_m)."),
        QStringLiteral("LIST") });
    parser.addOption({ QStringLiteral("tests"),
        QStringLiteral("Comma-separated tests."),
        QStringLiteral("LIST"),
        QStringLiteral("pp512,pp2048,tg64") });
    parser.addOption({ QStringLiteral("device"),
        QStringLiteral("cpu, vulkan or auto. On Vulkan the reference is llama.cpp's Vulkan backend on lavapipe "
                       "(use --tests pp512,tg32 there: lavapipe is slow)."),
        QStringLiteral("DEVICE"),
        QStringLiteral("cpu") });
    parser.addOption({ QStringLiteral("repetitions"),
        QStringLiteral("Runs per test (the best is kept)."),
        QStringLiteral("N"),
        QStringLiteral("3") });
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, args, 0, &code))
        return code;
    const int threads = std::max(1, parser.value(QStringLiteral("threads")).toInt());
    const int reps = std::max(1, parser.value(QStringLiteral("repetitions")).toInt());
    const QStringList tests = parser.value(QStringLiteral("tests")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    auto models = benchModels(parser.value(QStringLiteral("models")).split(QLatin1Char(','), Qt::SkipEmptyParts));
    if (!models)
        return ctx.fail(models.error());
    auto choice = cli::chooseBackend(parser.value(QStringLiteral("device")), threads);
    if (!choice)
        return ctx.fail(choice.error());
    auto &backend = choice->backend;
    const bool lavapipe = QString::fromStdString(backend->name()).contains(QLatin1String("llvmpipe"));
    const Bandwidth bandwidth = measureBandwidth(threads);
    QTextStream out(stdout);
    if (!ctx.json()) {
        out << "backend " << QString::fromStdString(backend->name()) << ", memory read bandwidth "
            << QString::number(bandwidth.wall, 'f', 1) << " GB/s, " << QString::number(bandwidth.cpu, 'f', 1)
            << " GB/s per CPU second (" << threads << " threads, measured now)\n";
        out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9\n")
                   .arg(QStringLiteral("model"), -14)
                   .arg(QStringLiteral("test"), -7)
                   .arg(QStringLiteral("quire t/s"), 10)
                   .arg(QStringLiteral("llama FA0"), 10)
                   .arg(QStringLiteral("llama FA1"), 10)
                   .arg(QStringLiteral("ratio"), 6)
                   .arg(QStringLiteral("tg bound"), 16)
                   .arg(QStringLiteral("cpu-time t/s"), 12)
                   .arg(QStringLiteral("cpu ratio, bound"), 24);
        out.flush();
    }
    QJsonArray rows;
    for (const BenchModel &bm : *models) {
        auto model = Model::load(bm.path.toStdString());
        if (!model)
            return ctx.fail(model.error());
        const double bytesPerToken = static_cast<double>((*model)->weightBytesPerToken());
        for (const QString &test : tests) {
            auto speed = runTest(*backend, **model, test, reps, threads);
            if (!speed)
                return ctx.fail(speed.error());
            const double *tps = &speed->wall;
            const LlamaFigure *ref = llamaFigure(bm.name, test, lavapipe);
            const double best = ref ? std::max(ref->faOff, ref->faOn) : 0.0;
            const double bound = bandwidth.wall * 1e9 / bytesPerToken;
            const double cpuBound = bandwidth.cpu * 1e9 / bytesPerToken;
            const bool tg = test.startsWith(QLatin1String("tg"));
            QJsonObject row { { QStringLiteral("model"), bm.name },
                { QStringLiteral("test"), test },
                { QStringLiteral("tokens_per_second"), *tps },
                { QStringLiteral("llama_fa_off"), ref ? ref->faOff : 0.0 },
                { QStringLiteral("llama_fa_on"), ref ? ref->faOn : 0.0 },
                { QStringLiteral("ratio_to_best_llama"), best > 0 ? *tps / best : 0.0 },
                { QStringLiteral("cpu_time_tokens_per_second"), speed->cpu },
                { QStringLiteral("cpu_time_ratio_to_best_llama"), best > 0 ? speed->cpu / best : 0.0 } };
            if (tg) {
                row.insert(QStringLiteral("bandwidth_bound"), bound);
                row.insert(QStringLiteral("share_of_bound"), *tps / bound);
                row.insert(QStringLiteral("cpu_time_bandwidth_bound"), cpuBound);
                row.insert(QStringLiteral("cpu_time_share_of_bound"), speed->cpu / cpuBound);
            }
            rows.append(row);
            if (!ctx.json()) {
                const QString cpuRatio = best > 0 ? QString::number(speed->cpu / best, 'f', 2) : QStringLiteral("-");
                out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9\n")
                           .arg(bm.name, -14)
                           .arg(test, -7)
                           .arg(figure(*tps), 10)
                           .arg(figure(ref ? ref->faOff : 0), 10)
                           .arg(figure(ref ? ref->faOn : 0), 10)
                           .arg(best > 0 ? QString::number(*tps / best, 'f', 2) : QStringLiteral("-"), 6)
                           .arg(tg ? QStringLiteral("%1 (%2%)").arg(figure(bound)).arg(qRound(100 * *tps / bound))
                                   : QString(),
                               16)
                           .arg(figure(speed->cpu), 12)
                           .arg(tg ? QStringLiteral("%1, %2 (%3%)")
                                         .arg(cpuRatio, figure(cpuBound))
                                         .arg(qRound(100 * speed->cpu / cpuBound))
                                   : cpuRatio,
                               24);
                out.flush();
            }
        }
    }
    if (ctx.json())
        ctx.printJson(QJsonObject { { QStringLiteral("backend"), QString::fromStdString(backend->name()) },
            { QStringLiteral("bandwidth_gbs"), bandwidth.wall },
            { QStringLiteral("cpu_time_bandwidth_gbs"), bandwidth.cpu },
            { QStringLiteral("results"), rows } });
    else
        out << "ratio = quire / the better llama.cpp figure (FA on or off); tg bound = bandwidth / weight bytes per "
               "token\n"
               "cpu-time t/s = tokens / CPU seconds x threads: close to 'quire t/s' on an idle machine; when they "
               "differ\n"
               "a lot, other processes took the cores and every wall-clock figure (bandwidth too) is unreliable;\n"
               "then 'cpu ratio, bound' gives the cpu-time figure's ratio to llama.cpp and its bound from the "
               "bandwidth per CPU second\n";
    return cli::ExitOk;
}

const bool registered = cli::registerCommand(
    { QStringLiteral("bench-generate"), QStringLiteral("Text generation speed against llama.cpp"), run });

} // namespace
