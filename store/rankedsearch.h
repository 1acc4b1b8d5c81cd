#pragma once

#include "store/library.h"

namespace quire::store
{

struct RankedSearchOptions {
    int limit = 20;
    int offset = 0;
    std::optional<std::int64_t> documentId;
    QString type;
    bool includeDuplicates = false; // documents with status duplicate (their original is found anyway)
    // bm25 ranks at most this many matches, taken in index order; 0 ranks them all. A term found in
    // millions of sentences would otherwise be scored millions of times for twenty results.
    int candidateLimit = 20000;
};

struct RankedSearchResult {
    std::vector<SearchHit> hits;
    std::int64_t candidates = 0; // matches ranked
    bool truncated = false; // more matches exist than were ranked
};

// Full-text search in two phases: (1) the matching sentence ids with their bm25 score, at most
// candidateLimit of them, read straight from the index; (2) the best ones, filtered by document type and
// status, with their document, page and a snippet with the terms marked (SearchHit::highlights).
// FTS5 syntax (phrases, AND/OR/NOT, prefix*), CJK through util::ftsQuery. A malformed query fails with
// Error::Code::InvalidArgument.
Expected<RankedSearchResult> rankedSearch(Library &library, const QString &query, const RankedSearchOptions &options);

} // namespace quire::store
