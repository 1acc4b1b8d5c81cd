#include "entityextractor.h"

#include "analysis/aliasresolver.h"
#include "analysis/cjknames.h"
#include "analysis/datefinder.h"
#include "analysis/latinnames.h"
#include "analysis/legalfinder.h"

#include <algorithm>
#include <climits>

namespace quire::analysis
{

namespace
{

bool overlapsAny(const Mention &m, const std::vector<std::pair<int, int>> &sorted)
{
    auto it = std::upper_bound(sorted.begin(), sorted.end(), std::pair<int, int>(m.start, INT_MAX));
    if (it != sorted.begin() && std::prev(it)->second > m.start)
        return true;
    return it != sorted.end() && it->first < m.end;
}

} // namespace

std::vector<Mention> EntityExtractor::extract(
    const std::vector<store::SentenceRecord> &sentences, const QString &language, QDate documentDate)
{
    std::vector<Mention> patterns = LegalFinder().find(sentences);
    std::vector<Mention> dates = DateFinder(documentDate).find(sentences);
    for (Mention &d : dates)
        d.key = AliasResolver::makeKey(d.type, d.canonical);
    patterns.insert(patterns.end(), std::make_move_iterator(dates.begin()), std::make_move_iterator(dates.end()));
    std::vector<std::pair<int, int>> taken;
    for (const Mention &m : patterns)
        taken.push_back({ m.start, m.end });
    std::sort(taken.begin(), taken.end());

    std::vector<Mention> names = language == QLatin1String("zh") || language == QLatin1String("ja")
        ? CjkNameFinder().find(sentences)
        : LatinNameFinder(language).find(sentences);
    std::erase_if(names, [&](const Mention &m) { return overlapsAny(m, taken); });
    AliasResolver::resolve(names);

    std::vector<Mention> all = std::move(patterns);
    all.insert(all.end(), std::make_move_iterator(names.begin()), std::make_move_iterator(names.end()));
    std::sort(all.begin(), all.end(), [](const Mention &a, const Mention &b) {
        return a.start != b.start ? a.start < b.start : a.end > b.end;
    });
    return all;
}

} // namespace quire::analysis
