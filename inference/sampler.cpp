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
    float weight; // exp(logit - max): probability at temperature 1, unnormalised
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
    void collectAll();
    void remember(std::int32_t token);
    void collectTopK(std::size_t k);
    std::size_t nucleus(float maxLogit);
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

// Keeps the smallest set of best candidates whose probability (at temperature 1, over the candidates left
// by top-k) reaches topP, then drops those under minP times the best one. The nucleus is found by
// quickselect on probability mass, O(n) expected, so a 150K vocabulary with top-k off is never sorted.
// Returns how many candidates, at the front, survive.
std::size_t Sampler::Impl::nucleus(float maxLogit)
{
    double total = 0;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        candidates[i].weight = std::exp(candidates[i].logit - maxLogit);
        total += candidates[i].weight;
    }
    std::size_t count = candidates.size();
    if (settings.topP < 1.0f) {
        const double target = double(settings.topP) * total;
        auto mass = [this](std::size_t from, std::size_t to) {
            double m = 0;
            for (std::size_t i = from; i < to; ++i)
                m += candidates[i].weight;
            return m;
        };
        // Invariant: [0, lo) are the best lo candidates, their mass `above` is short of the target, and the
        // answer lies in (lo, hi].
        std::size_t lo = 0;
        std::size_t hi = candidates.size();
        double above = 0;
        while (hi - lo > 64) {
            const std::size_t mid = lo + (hi - lo) / 2;
            std::nth_element(candidates.begin() + lo, candidates.begin() + mid, candidates.begin() + hi, higher);
            const double m = mass(lo, mid);
            if (above + m >= target) {
                hi = mid;
            } else {
                above += m;
                lo = mid;
            }
        }
        std::sort(candidates.begin() + lo, candidates.begin() + hi, higher);
        count = hi;
        for (std::size_t i = lo; i < hi; ++i) {
            above += candidates[i].weight;
            if (above >= target) {
                count = i + 1;
                break;
            }
        }
    }
    // min-p keeps logits within log(minP) of the best: a prefix in sorted order, so it commutes with top-p.
    if (settings.minP > 0.0f && settings.minP <= 1.0f) {
        const float threshold = maxLogit + std::log(settings.minP);
        auto end = std::partition(candidates.begin(), candidates.begin() + count, [threshold](const Candidate &c) {
            return c.logit >= threshold;
        });
        count = std::size_t(end - candidates.begin());
    }
    return std::max<std::size_t>(count, 1);
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

static bool isCandidate(float logit)
{
    return !std::isnan(logit) && logit != -std::numeric_limits<float>::infinity();
}

void Sampler::Impl::collectAll()
{
    candidates.clear();
    candidates.reserve(work.size());
    for (std::size_t i = 0; i < work.size(); ++i) {
        if (isCandidate(work[i]))
            candidates.push_back({ std::int32_t(i), work[i], 0.0f });
    }
}

// The k best in one pass with a heap whose front is the worst kept candidate: most logits of a large
// vocabulary cost one comparison, and no candidate array of the vocabulary's size is built.
void Sampler::Impl::collectTopK(std::size_t k)
{
    candidates.clear();
    for (std::size_t i = 0; i < work.size(); ++i) {
        const float logit = work[i];
        if (!isCandidate(logit))
            continue;
        const Candidate c { std::int32_t(i), logit, 0.0f };
        if (candidates.size() < k) {
            candidates.push_back(c);
            std::push_heap(candidates.begin(), candidates.end(), higher);
        } else if (higher(c, candidates.front())) {
            std::pop_heap(candidates.begin(), candidates.end(), higher);
            candidates.back() = c;
            std::push_heap(candidates.begin(), candidates.end(), higher);
        }
    }
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
    const std::size_t k = std::size_t(std::max(s.settings.topK, 0));
    if (k > 0 && k <= 4096 && k * 8 < s.work.size())
        s.collectTopK(k);
    else
        s.collectAll();
    if (s.candidates.empty())
        return -1;
    float maxLogit = -std::numeric_limits<float>::infinity();
    for (const Candidate &c : s.candidates)
        maxLogit = std::max(maxLogit, c.logit);
    if (std::isinf(maxLogit)) // +inf: that token wins outright
        return s.greedy();
    s.keepTopK();
    return s.draw(s.nucleus(maxLogit), maxLogit);
}

void Sampler::accept(std::int32_t token)
{
    if (d->grammar)
        d->grammar->accept(token);
    d->remember(token);
}

void Sampler::acceptPrompt(std::span<const std::int32_t> tokens)
{
    for (std::int32_t token : tokens)
        d->remember(token);
}

void Sampler::Impl::remember(std::int32_t token)
{
    Impl &s = *this;
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
