#include "summarizer.h"

#include "analysis/lexicon.h"
#include "analysis/wordbreaker.h"

#include <QHash>
#include <algorithm>
#include <cmath>

namespace quire::analysis
{

namespace
{

using Vector = std::vector<std::pair<int, float>>; // (term id, weight), sorted by term id

float dot(const Vector &a, const Vector &b)
{
    float sum = 0;
    auto i = a.begin(), j = b.begin();
    while (i != a.end() && j != b.end()) {
        if (i->first < j->first)
            ++i;
        else if (j->first < i->first)
            ++j;
        else
            sum += (i++)->second * (j++)->second;
    }
    return sum;
}

struct Prepared {
    std::vector<Vector> vectors; // unit length
    std::vector<int> lengths; // words per sentence
};

Prepared prepare(const std::vector<store::SentenceRecord> &sentences, const QString &language)
{
    const Lexicon &lexicon = Lexicon::instance();
    WordBreaker breaker;
    QHash<QString, int> ids;
    std::vector<std::vector<int>> terms(sentences.size());
    std::vector<int> documentFrequency;
    Prepared p;
    p.lengths.resize(sentences.size());
    for (std::size_t i = 0; i < sentences.size(); ++i) {
        const QString &text = sentences[i].text;
        for (const WordToken &w : breaker.words(text)) {
            ++p.lengths[i];
            const QString folded = foldKey(QStringView(text).mid(w.start, w.length()));
            if (folded.isEmpty() || !folded.at(0).isLetter() || lexicon.isStopword(language, folded)
                || (!w.cjk && folded.size() < 2))
                continue;
            auto it = ids.constFind(folded);
            const int id = it != ids.constEnd() ? *it : int(ids.size());
            if (it == ids.constEnd()) {
                ids.insert(folded, id);
                documentFrequency.push_back(0);
            }
            terms[i].push_back(id);
        }
        std::sort(terms[i].begin(), terms[i].end());
        for (std::size_t k = 0; k < terms[i].size(); ++k) {
            if (k == 0 || terms[i][k] != terms[i][k - 1])
                ++documentFrequency[terms[i][k]];
        }
    }
    const double n = double(sentences.size());
    p.vectors.resize(sentences.size());
    for (std::size_t i = 0; i < sentences.size(); ++i) {
        Vector &v = p.vectors[i];
        for (int id : terms[i]) {
            if (!v.empty() && v.back().first == id)
                v.back().second += 1;
            else
                v.push_back({ id, 1.f });
        }
        double norm = 0;
        for (auto &[id, w] : v) {
            w = float((1 + std::log(w)) * std::log(1 + n / documentFrequency[id]));
            norm += double(w) * w;
        }
        for (auto &entry : v)
            entry.second = float(entry.second / std::sqrt(std::max(norm, 1e-12)));
    }
    return p;
}

// PageRank over the similarity graph of `members`, times position and length priors.
std::vector<double> rankBlock(const Prepared &p, const std::vector<int> &members, int total)
{
    const std::size_t n = members.size();
    std::vector<std::vector<float>> sim(n, std::vector<float>(n, 0.f));
    std::vector<double> degree(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            const float s = dot(p.vectors[members[i]], p.vectors[members[j]]);
            if (s < 0.05f || s > 0.95f) // unrelated, or a repeated line (headers) that would dominate
                continue;
            sim[i][j] = sim[j][i] = s;
            degree[i] += s;
            degree[j] += s;
        }
    }
    std::vector<double> rank(n, 1.0 / std::max<std::size_t>(n, 1)), next(n);
    for (int iteration = 0; iteration < 30; ++iteration) {
        for (std::size_t i = 0; i < n; ++i) {
            double sum = 0;
            for (std::size_t j = 0; j < n; ++j) {
                if (sim[j][i] > 0)
                    sum += rank[j] * sim[j][i] / degree[j];
            }
            next[i] = 0.15 / n + 0.85 * sum;
        }
        rank.swap(next);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const int length = p.lengths[members[i]];
        const double lengthPrior = length < 6 ? 0.1 : (length < 10 ? 0.6 : (length > 60 ? 60.0 / length : 1.0));
        const double position = double(members[i]) / std::max(total, 1);
        rank[i] *= lengthPrior * (1.0 + 0.3 * std::exp(-position * 10));
    }
    return rank;
}

std::vector<SummarySentence> choose(
    const Prepared &p, const std::vector<std::pair<int, double>> &scored, int wanted, double redundancy)
{
    double top = 1e-12;
    for (const auto &s : scored)
        top = std::max(top, s.second);
    std::vector<SummarySentence> chosen;
    std::vector<bool> used(scored.size(), false);
    while (int(chosen.size()) < wanted) {
        int best = -1;
        double bestValue = -1e9;
        for (std::size_t i = 0; i < scored.size(); ++i) {
            if (used[i])
                continue;
            double similar = 0;
            for (const SummarySentence &c : chosen)
                similar = std::max(similar, double(dot(p.vectors[scored[i].first], p.vectors[c.index])));
            const double value = (1 - redundancy) * scored[i].second / top - redundancy * similar;
            if (value > bestValue) {
                bestValue = value;
                best = int(i);
            }
        }
        if (best < 0)
            break;
        used[best] = true;
        chosen.push_back({ 0, scored[best].first, int(chosen.size()), scored[best].second });
    }
    return chosen;
}

} // namespace

int Summarizer::targetLength(int total, const SummaryOptions &options)
{
    if (options.sentences > 0)
        return std::min(total, options.sentences);
    const int byRatio = int(std::lround(total * options.ratio));
    return std::clamp(byRatio, std::min(total, 1), std::max(1, std::min(total, options.maxSentences)));
}

std::vector<SummarySentence> Summarizer::summarize(
    const std::vector<store::SentenceRecord> &sentences, const QString &language, const SummaryOptions &options)
{
    if (sentences.empty())
        return {};
    const int wanted = targetLength(int(sentences.size()), options);
    const Prepared p = prepare(sentences, language);
    const int total = int(sentences.size());
    const int block = std::max(options.blockSize, 20);
    std::vector<int> candidates;
    std::vector<double> candidateScores;
    for (int from = 0; from < total; from += block) {
        std::vector<int> members;
        for (int i = from; i < std::min(total, from + block); ++i)
            members.push_back(i);
        const std::vector<double> rank = rankBlock(p, members, total);
        std::vector<int> order(members.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = int(i);
        std::sort(order.begin(), order.end(), [&](int a, int b) { return rank[a] > rank[b]; });
        const int keep = total <= block ? int(order.size()) : std::max(3, 2 * wanted * block / total + 1);
        for (int k = 0; k < std::min<int>(keep, int(order.size())); ++k) {
            candidates.push_back(members[order[k]]);
            candidateScores.push_back(rank[order[k]]);
        }
    }
    std::vector<std::pair<int, double>> scored;
    if (total > block) {
        std::sort(candidates.begin(), candidates.end());
        const std::vector<double> rank = rankBlock(p, candidates, total);
        for (std::size_t i = 0; i < candidates.size(); ++i)
            scored.push_back({ candidates[i], rank[i] });
    } else {
        for (std::size_t i = 0; i < candidates.size(); ++i)
            scored.push_back({ candidates[i], candidateScores[i] });
    }
    std::vector<SummarySentence> chosen = choose(p, scored, wanted, options.redundancy);
    for (SummarySentence &s : chosen)
        s.sentenceId = sentences[s.index].id;
    std::sort(chosen.begin(), chosen.end(), [](const auto &a, const auto &b) { return a.index < b.index; });
    return chosen;
}

} // namespace quire::analysis
