#include "inference/sampler.h"

#include "inference/grammar.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <random>
#include <unordered_map>
#include <vector>

namespace quire::inference
{

namespace
{

struct Candidate {
    std::int32_t id;
    float logit;
};

bool higher(const Candidate &a, const Candidate &b)
{
    return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
}

std::uint64_t resolveSeed(std::uint64_t seed)
{
    if (seed != SamplerSettings::kRandomSeed)
        return seed;
    std::random_device device;
    return (std::uint64_t(device()) << 32) ^ device();
}

} // namespace

struct Sampler::Impl {
    SamplerSettings settings;
    std::unique_ptr<Grammar> grammar;
    std::mt19937_64 rng;
    std::deque<std::int32_t> history;
    std::unordered_map<std::int32_t, int> counts;
    std::vector<float> work;
    std::vector<Candidate> candidates;
    std::vector<double> weights;

    void applyPenalties();
    std::int32_t greedy() const;
    void keepTopK();
    std::size_t sortedPrefixForTopP(float maxLogit);
    std::int32_t draw(std::size_t count, float maxLogit);
    double uniform() { return double(rng() >> 11) * 0x1.0p-53; }
};

void Sampler::Impl::applyPenalties()
{
    const bool active
        = settings.repeatPenalty != 1.0f || settings.presencePenalty != 0.0f || settings.frequencyPenalty != 0.0f;
    if (!active || counts.empty())
        return;
    for (const auto &[token, count] : counts) {
        if (token < 0 || std::size_t(token) >= work.size())
            continue;
        float &logit = work[token];
        if (std::isinf(logit))
            continue;
        logit = logit > 0 ? logit / settings.repeatPenalty : logit * settings.repeatPenalty;
        logit -= float(count) * settings.frequencyPenalty + settings.presencePenalty;
    }
}

std::int32_t Sampler::Impl::greedy() const
{
    std::int32_t best = -1;
    float bestLogit = -std::numeric_limits<float>::infinity();
    for (std::size_t i = 0; i < work.size(); ++i) {
        if (work[i] > bestLogit) {
            bestLogit = work[i];
            best = std::int32_t(i);
        }
    }
    return best;
}

void Sampler::Impl::keepTopK()
{
    const int k = settings.topK;
    if (k <= 0 || std::size_t(k) >= candidates.size())
        return;
    std::nth_element(candidates.begin(), candidates.begin() + (k - 1), candidates.end(), higher);
    candidates.resize(std::size_t(k));
}

// Sorts only as long a prefix of the candidates as top-p and min-p can keep, growing it geometrically,
// so that a 150K vocabulary with top-k off is not fully sorted. Returns how many candidates survive.
std::size_t Sampler::Impl::sortedPrefixForTopP(float maxLogit)
{
    double total = 0;
    for (const Candidate &c : candidates)
        total += std::exp(double(c.logit - maxLogit));
    // min-p keeps logits within log(minP) of the best; it keeps a prefix of the sorted order, so filtering
    // first changes nothing but the work (the top-p normaliser above still covers all candidates).
    if (settings.minP > 0.0f && settings.minP <= 1.0f) {
        const float threshold = maxLogit + std::log(settings.minP);
        auto end = std::partition(
            candidates.begin(), candidates.end(), [threshold](const Candidate &c) { return c.logit >= threshold; });
        candidates.erase(end, candidates.end());
    }
    const bool topPActive = settings.topP < 1.0f;
    if (!topPActive)
        return candidates.size();
    std::size_t sorted = 0;
    double cumulative = 0;
    std::size_t window = std::min<std::size_t>(candidates.size(), 256);
    while (true) {
        std::partial_sort(candidates.begin() + sorted, candidates.begin() + window, candidates.end(), higher);
        for (; sorted < window; ++sorted) {
            cumulative += std::exp(double(candidates[sorted].logit - maxLogit)) / total;
            if (cumulative >= settings.topP)
                return sorted + 1;
        }
        if (window == candidates.size())
            return candidates.size();
        window = std::min(candidates.size(), window * 4);
    }
}

std::int32_t Sampler::Impl::draw(std::size_t count, float maxLogit)
{
    weights.resize(count);
    double total = 0;
    const double invTemperature = 1.0 / double(settings.temperature);
    for (std::size_t i = 0; i < count; ++i) {
        weights[i] = std::exp(double(candidates[i].logit - maxLogit) * invTemperature);
        total += weights[i];
    }
    double target = uniform() * total;
    for (std::size_t i = 0; i < count; ++i) {
        target -= weights[i];
        if (target < 0)
            return candidates[i].id;
    }
    return candidates[count - 1].id;
}

Sampler::Sampler(SamplerSettings settings)
    : d(std::make_unique<Impl>())
{
    d->settings = settings;
    d->rng.seed(resolveSeed(settings.seed));
}

Sampler::~Sampler() = default;
Sampler::Sampler(Sampler &&) noexcept = default;
Sampler &Sampler::operator=(Sampler &&) noexcept = default;

std::int32_t Sampler::sample(std::span<const float> logits)
{
    Impl &s = *d;
    s.work.assign(logits.begin(), logits.end());
    if (s.grammar)
        s.grammar->apply(s.work);
    s.applyPenalties();
    if (s.settings.temperature <= 0.0f)
        return s.greedy();

    s.candidates.clear();
    s.candidates.reserve(s.work.size());
    float maxLogit = -std::numeric_limits<float>::infinity();
    for (std::size_t i = 0; i < s.work.size(); ++i) {
        const float logit = s.work[i];
        if (std::isnan(logit) || logit == -std::numeric_limits<float>::infinity())
            continue;
        s.candidates.push_back({ std::int32_t(i), logit });
        maxLogit = std::max(maxLogit, logit);
    }
    if (s.candidates.empty())
        return -1;
    if (std::isinf(maxLogit)) // +inf: that token wins outright
        return s.greedy();
    s.keepTopK();
    const std::size_t count = s.sortedPrefixForTopP(maxLogit);
    return s.draw(std::max<std::size_t>(count, 1), maxLogit);
}

void Sampler::accept(std::int32_t token)
{
    Impl &s = *d;
    if (s.grammar)
        s.grammar->accept(token);
    const int lastN = s.settings.penaltyLastN;
    if (lastN == 0)
        return;
    s.history.push_back(token);
    ++s.counts[token];
    if (lastN > 0 && s.history.size() > std::size_t(lastN)) {
        const std::int32_t old = s.history.front();
        s.history.pop_front();
        if (--s.counts[old] == 0)
            s.counts.erase(old);
    }
}

void Sampler::setGrammar(std::unique_ptr<Grammar> grammar)
{
    d->grammar = std::move(grammar);
}

Grammar *Sampler::grammar() const
{
    return d->grammar.get();
}

void Sampler::reset()
{
    d->history.clear();
    d->counts.clear();
    if (d->grammar)
        d->grammar->reset();
    d->rng.seed(resolveSeed(d->settings.seed));
}

const SamplerSettings &Sampler::settings() const
{
    return d->settings;
}

} // namespace quire::inference
