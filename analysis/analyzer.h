#pragma once

#include "analysis/summarizer.h"
#include "store/library.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/progress.h"

#include <cstdint>
#include <optional>

namespace quire::analysis
{

struct AnalyzeOptions {
    std::optional<std::int64_t> documentId; // unset: every document
    bool force = false; // re-analyse documents whose sentences have not changed
    SummaryOptions summary; // stored summary length (per document, section and library)
};

struct AnalyzeResult {
    int analysed = 0;
    int unchanged = 0; // skipped: already analysed by this version with the same sentences
    std::int64_t mentions = 0;
    std::int64_t entities = 0;
    double seconds = 0;
};

// Runs the model-free analysis over a library: per document, entity mentions (EntityExtractor) and
// summaries (Summarizer) for the document and each of its sections, computed on two threads and
// committed one document at a time, so an interrupted run resumes where it stopped; then entities are
// rebuilt across the library (re-applying the user's edits) and the library summary is recomputed.
// Incremental: a document is skipped when its sentences' hash and the analysis version are unchanged.
// Safe to call from a worker thread with that thread's own Library.
class Analyzer
{
public:
    static constexpr int Version = 1;
    static Expected<AnalyzeResult> run(
        store::Library &library, const AnalyzeOptions &options, Progress &progress, const CancelToken &cancel);
};

} // namespace quire::analysis
