#pragma once

#include "store/library.h"
#include "util/error.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace quire::analysis
{

// A dated point: the normalised date ("1851", "2019-05", "2019-05-01") and where it was written.
struct TimelineEvent {
    QString date;
    QString text; // as written
    std::int64_t documentId = 0;
    std::int64_t sentenceId = 0;
    int start = 0;
    int end = 0;
    QString sentence; // the sentence it came from
};

// The library's (or one document's) dates in chronological order, each linked to its sentence.
Expected<std::vector<TimelineEvent>> timeline(store::Library &library, std::optional<std::int64_t> documentId = {});

} // namespace quire::analysis
