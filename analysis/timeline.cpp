#include "timeline.h"

#include "store/analysisstore.h"

#include <algorithm>

namespace quire::analysis
{

Expected<std::vector<TimelineEvent>> timeline(store::Library &library, std::optional<std::int64_t> documentId)
{
    auto dates = store::AnalysisStore(library).mentions(std::nullopt, documentId, QStringLiteral("date"));
    if (!dates)
        return std::unexpected(dates.error());
    std::vector<TimelineEvent> events;
    for (const store::MentionRow &m : *dates) {
        if (m.normalized.isEmpty() || m.entityId == 0)
            continue;
        TimelineEvent e { m.normalized, m.surface, m.documentId, m.sentenceId, m.start, m.end, {} };
        auto sentence = library.sentence(m.sentenceId);
        if (!sentence)
            return std::unexpected(sentence.error());
        if (*sentence)
            e.sentence = (*sentence)->text;
        events.push_back(std::move(e));
    }
    std::stable_sort(events.begin(), events.end(), [](const auto &a, const auto &b) { return a.date < b.date; });
    return events;
}

} // namespace quire::analysis
