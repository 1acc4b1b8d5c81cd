#include "inference/rulertasks.h"

#include "inference/recallmodel.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace quire::inference
{

namespace
{

// Word ids split three ways so that filler never contains a key: keys | values | filler.
struct WordPools {
    std::vector<std::int32_t> keys, values, filler;
    explicit WordPools(std::int32_t vocab)
    {
        const std::int32_t words = vocab - RecallVocab::kFirstWord;
        for (std::int32_t i = 0; i < words; ++i) {
            const std::int32_t id = RecallVocab::kFirstWord + i;
            (i < words / 3 ? keys : i < 2 * words / 3 ? values : filler).push_back(id);
        }
    }
};

class Builder
{
public:
    Builder(const RulerOptions &o)
        : m_rng(o.seed)
        , m_pools(o.vocab)
        , m_length(std::max<std::int32_t>(o.length, 16))
    {
    }

    std::mt19937_64 &rng() { return m_rng; }
    const WordPools &pools() const { return m_pools; }

    template <typename T> T pick(const std::vector<T> &from) { return from[m_rng() % from.size()]; }
    std::vector<std::int32_t> distinct(const std::vector<std::int32_t> &from, int n)
    {
        std::vector<std::int32_t> copy = from;
        std::shuffle(copy.begin(), copy.end(), m_rng);
        copy.resize(static_cast<std::size_t>(std::min<int>(n, static_cast<int>(copy.size()))));
        return copy;
    }

    // BOS + filler; statements are inserted at `where` (0..1 fractions) in order; then the query.
    std::vector<std::int32_t> assemble(
        std::vector<std::pair<double, std::vector<std::int32_t>>> inserts, std::int32_t query)
    {
        std::int64_t stated = 0;
        for (const auto &[at, s] : inserts)
            stated += std::ssize(s);
        const std::int64_t fill = std::max<std::int64_t>(0, m_length - 2 - stated);
        std::stable_sort(
            inserts.begin(), inserts.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        std::vector<std::int32_t> out { RecallVocab::kBos };
        out.reserve(static_cast<std::size_t>(m_length));
        std::int64_t written = 0;
        for (const auto &[at, s] : inserts) {
            const auto upTo = static_cast<std::int64_t>(std::clamp(at, 0.0, 1.0) * static_cast<double>(fill));
            for (; written < upTo; ++written)
                out.push_back(pick(m_pools.filler));
            out.insert(out.end(), s.begin(), s.end());
        }
        for (; written < fill; ++written)
            out.push_back(pick(m_pools.filler));
        out.push_back(query);
        return out;
    }

    double depth(double asked)
    {
        return asked >= 0.0 ? asked : std::uniform_real_distribution<double>(0.0, 1.0)(m_rng);
    }

private:
    std::mt19937_64 m_rng;
    WordPools m_pools;
    std::int32_t m_length;
};

RulerSample needles(RulerTask task, const RulerOptions &o, Builder &b)
{
    RulerSample s;
    const int count = task == RulerTask::MultiKeyNeedle ? std::max(1, o.needles) : 1;
    const std::vector<std::int32_t> keys = b.distinct(b.pools().keys, count);
    std::vector<std::pair<double, std::vector<std::int32_t>>> inserts;
    const std::size_t asked = b.rng()() % keys.size();
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const double at = i == asked ? b.depth(o.depth) : b.depth(-1.0);
        if (task == RulerTask::MultiValue) {
            for (std::int32_t v : b.distinct(b.pools().values, std::max(1, o.values))) {
                inserts.push_back({ b.depth(i == asked ? o.depth : -1.0), { keys[i], v, RecallVocab::kDot } });
                s.answers.push_back(v);
            }
            continue;
        }
        const std::int32_t v = b.pick(b.pools().values);
        inserts.push_back({ at, { keys[i], v, RecallVocab::kDot } });
        if (i == asked)
            s.answers = { v };
    }
    s.prompt = b.assemble(std::move(inserts), keys[asked]);
    return s;
}

RulerSample variableTracking(const RulerOptions &o, Builder &b)
{
    RulerSample s;
    const int hops = std::max(1, o.hops);
    const std::vector<std::int32_t> vars = b.distinct(b.pools().keys, hops);
    const std::int32_t value = b.pick(b.pools().values);
    std::vector<std::pair<double, std::vector<std::int32_t>>> inserts;
    // Statements in chain order at increasing depths: X1 V . | X2 X1 . | ...
    for (int i = 0; i < static_cast<int>(vars.size()); ++i) {
        const std::int32_t rhs = i == 0 ? value : vars[static_cast<std::size_t>(i - 1)];
        inserts.push_back({ (i + 0.5) / static_cast<double>(vars.size()),
            { vars[static_cast<std::size_t>(i)], rhs, RecallVocab::kDot } });
    }
    for (int i = static_cast<int>(vars.size()) - 2; i >= 0; --i)
        s.answers.push_back(vars[static_cast<std::size_t>(i)]);
    s.answers.push_back(value);
    s.prompt = b.assemble(std::move(inserts), vars.back());
    return s;
}

RulerSample commonWords(const RulerOptions &o, Builder &b)
{
    RulerSample s;
    std::vector<std::int32_t> all = b.pools().keys;
    all.insert(all.end(), b.pools().values.begin(), b.pools().values.end());
    all.insert(all.end(), b.pools().filler.begin(), b.pools().filler.end());
    const std::vector<std::int32_t> two = b.distinct(all, 2);
    std::vector<std::int32_t> others;
    for (std::int32_t w : all) {
        if (w != two[0] && w != two[1])
            others.push_back(w);
    }
    s.prompt = b.assemble({}, RecallVocab::kCount);
    const auto n = static_cast<std::int64_t>(s.prompt.size());
    // Background from the other words only, so the two planted counts decide.
    for (std::int64_t i = 1; i + 1 < n; ++i)
        s.prompt[static_cast<std::size_t>(i)] = b.pick(others);
    const std::int64_t body = n - 2;
    const std::int64_t count = o.commonCount > 0
        ? o.commonCount
        : std::max<std::int64_t>(4, 2 * body / static_cast<std::int64_t>(others.size()));
    const auto runnerUp = static_cast<std::int64_t>(static_cast<double>(count) * o.runnerUpShare);
    for (std::int64_t i = 0; i < count; ++i)
        s.prompt[static_cast<std::size_t>(1 + (body * 3 / 4) * i / count)] = two[0];
    for (std::int64_t i = 0; i < runnerUp && 2 * i + 2 < body / 4; ++i)
        s.prompt[static_cast<std::size_t>(n - 2 - 2 * i)] = two[1];
    s.answers = { two[0] };
    return s;
}

} // namespace

const char *rulerTaskName(RulerTask task)
{
    switch (task) {
    case RulerTask::SingleNeedle:
        return "single-needle";
    case RulerTask::MultiKeyNeedle:
        return "multi-key";
    case RulerTask::MultiValue:
        return "multi-value";
    case RulerTask::VariableTracking:
        return "variable-tracking";
    case RulerTask::CommonWords:
        return "common-words";
    }
    return "?";
}

std::vector<RulerTask> allRulerTasks()
{
    return { RulerTask::SingleNeedle,
        RulerTask::MultiKeyNeedle,
        RulerTask::MultiValue,
        RulerTask::VariableTracking,
        RulerTask::CommonWords };
}

RulerSample makeRulerSample(RulerTask task, const RulerOptions &options)
{
    Builder b(options);
    RulerSample s;
    switch (task) {
    case RulerTask::SingleNeedle:
    case RulerTask::MultiKeyNeedle:
    case RulerTask::MultiValue:
        s = needles(task, options, b);
        break;
    case RulerTask::VariableTracking:
        s = variableTracking(options, b);
        break;
    case RulerTask::CommonWords:
        s = commonWords(options, b);
        break;
    }
    s.task = task;
    return s;
}

namespace
{

std::vector<std::int32_t> topTokens(const std::vector<float> &logits, std::size_t n)
{
    std::vector<std::int32_t> ids(logits.size());
    std::iota(ids.begin(), ids.end(), 0);
    n = std::min(n, ids.size());
    std::partial_sort(
        ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(n), ids.end(), [&](std::int32_t a, std::int32_t b) {
            return logits[static_cast<std::size_t>(a)] > logits[static_cast<std::size_t>(b)]
                || (logits[static_cast<std::size_t>(a)] == logits[static_cast<std::size_t>(b)] && a < b);
        });
    ids.resize(n);
    return ids;
}

} // namespace

Expected<RulerResult> runRulerSample(EvalContext &context, const RulerSample &sample, const CancelToken *cancel)
{
    RulerResult r;
    std::vector<float> logits;
    if (auto ok = context.decode(sample.prompt, LogitsMode::Last, logits, cancel); !ok)
        return std::unexpected(ok.error());
    if (sample.task == RulerTask::MultiValue) {
        r.predicted = topTokens(logits, sample.answers.size());
        std::vector<std::int32_t> want = sample.answers, got = r.predicted;
        std::sort(want.begin(), want.end());
        std::sort(got.begin(), got.end());
        r.correct = want == got;
        return r;
    }
    const std::size_t steps = sample.task == RulerTask::VariableTracking ? sample.answers.size() : 1;
    for (std::size_t i = 0; i < steps; ++i) {
        if (i > 0) {
            const std::int32_t last = r.predicted.back();
            if (auto ok = context.decode(std::span(&last, 1), LogitsMode::Last, logits, cancel); !ok)
                return std::unexpected(ok.error());
        }
        r.predicted.push_back(topTokens(logits, 1).front());
    }
    r.correct = r.predicted == sample.answers;
    return r;
}

} // namespace quire::inference
