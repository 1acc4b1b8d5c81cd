#pragma once

#include "store/library.h"

#include <cstdint>
#include <vector>

namespace quire::analysis
{

struct SummaryOptions {
    int sentences = 0; // wanted length; when 0, `ratio` of the input decides
    double ratio = 0.05;
    int maxSentences = 40; // cap for ratio-based lengths
    double redundancy = 0.3; // MMR: weight of the penalty for similarity to sentences already chosen
    int blockSize = 300; // larger inputs are ranked block by block, then the blocks' best together
};

// One chosen sentence. Extractive: the summary sentence is the source sentence `sentenceId`.
struct SummarySentence {
    std::int64_t sentenceId = 0;
    int index = 0; // position in the input
    int rank = 0; // 0 = chosen first
    double score = 0;
};

// Extractive summaries: sentences are TF-IDF vectors over ICU words (stop words of the language removed,
// accents and case folded; Chinese through ICU's dictionary words), ranked by PageRank over their cosine
// similarity graph (TextRank/LexRank), weighted by position and length priors, then chosen greedily with
// maximal marginal relevance so that near-duplicates are not picked twice. Returned in document order.
// Thread-safe (no shared state).
class Summarizer
{
public:
    static std::vector<SummarySentence> summarize(const std::vector<store::SentenceRecord> &sentences,
        const QString &language,
        const SummaryOptions &options = {});
    // How many sentences `options` asks for out of `total`.
    static int targetLength(int total, const SummaryOptions &options);
};

} // namespace quire::analysis
