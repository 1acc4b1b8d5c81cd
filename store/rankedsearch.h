#pragma once

#include "store/library.h"

#include <QDate>

namespace quire::store
{

// Which documents a search looks in; an empty field does not filter.
struct SearchFilter {
    std::optional<std::int64_t> documentId;
    QString type; // documents.type: pdf, text, html, eml, epub ...
    // The document's date (created, else modified, else the file's time), inclusive. Documents without
    // any date are left out when a bound is set.
    QDate from;
    QDate to;

    bool hasDateRange() const { return from.isValid() || to.isValid(); }
    // A bound as people type it: "2021", "2021-03" or "2021-03-15" is the first day of that year, month or
    // the day itself, or with `last` its last day. Invalid for anything else.
    static QDate parseBound(const QString &text, bool last);
};

struct RankedSearchOptions {
    int limit = 20;
    int offset = 0;
    SearchFilter filter;
    bool includeDuplicates = false; // documents with status duplicate (their original is found anyway)
    // Queries with more matches than this are not ranked by bm25 (whose cost grows with the number of
    // matches, seconds for a term in millions of sentences) but the first candidateLimit matches, in index
    // order, by sentence length. 0: always bm25 over every match.
    int candidateLimit = 1000;
};

struct RankedSearchResult {
    std::vector<SearchHit> hits;
    std::int64_t candidates = 0; // matches ranked
    bool truncated = false; // more matches exist than were ranked (and ranking was by sentence length)
};

// Full-text search in two phases: (1) the matching sentence ids, ranked by bm25 or, for very common
// terms, by length (see candidateLimit); (2) the best ones, filtered by document type and
// status, with their document, page and a snippet with the terms marked (SearchHit::highlights).
// FTS5 syntax (phrases, AND/OR/NOT, prefix*), CJK through util::ftsQuery. A malformed query fails with
// Error::Code::InvalidArgument.
Expected<RankedSearchResult> rankedSearch(Library &library, const QString &query, const RankedSearchOptions &options);

} // namespace quire::store
