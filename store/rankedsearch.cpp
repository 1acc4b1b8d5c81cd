#include "rankedsearch.h"

#include "database.h"
#include "searchsnippet.h"
#include "util/textutil.h"

#include <QStringList>
#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>

namespace quire::store
{

namespace
{

struct Candidate {
    std::int64_t id;
    double rank; // bm25(): lower is better
};

Error queryError(const QString &query, const Error &e)
{
    if (e.code == Error::Code::Internal)
        return Error { Error::Code::InvalidArgument, "cannot search for '" + query.toStdString() + "': " + e.message };
    return e;
}

Expected<std::pair<std::int64_t, std::int64_t>> sentenceRange(Database &db, std::int64_t documentId)
{
    auto st = db.prepare("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM sentences WHERE document_id = ?1");
    if (!st)
        return std::unexpected(st.error());
    if (auto row = st->bind(1, documentId).step(); !row)
        return std::unexpected(row.error());
    return std::pair(st->int64(0), st->int64(1));
}

Expected<std::vector<Candidate>> runCandidates(Statement &st, bool scored)
{
    std::vector<Candidate> list;
    for (;;) {
        auto row = st.step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        list.push_back({ st.int64(0), scored ? st.real(1) : 0.0 });
    }
    return list;
}

Expected<void> rankByLength(Database &db, std::vector<Candidate> &list)
{
    auto length = db.prepare("SELECT end - start FROM sentences WHERE id = ?1");
    if (!length)
        return std::unexpected(length.error());
    for (Candidate &c : list) {
        length->bind(1, c.id);
        if (auto row = length->step(); !row)
            return std::unexpected(row.error());
        c.rank = static_cast<double>(length->int64(0));
        length->reset();
    }
    return {};
}

// The document's date as YYYY-MM-DD (see SearchFilter), NULL when it has none.
constexpr const char *DocumentDate = "substr(coalesce(nullif(d.created, ''), nullif(d.modified, ''), "
                                     "CASE WHEN d.mtime > 0 THEN date(d.mtime, 'unixepoch') END), 1, 10)";

// A candidate query: the matching sentence ids of the sentence id range ?2 .. ?3 (one document or all),
// with their bm25 when `scored`. Type and date filters (?5, ?6, ?7) join the documents, so that the
// candidateLimit matches counted are matches of the filtered documents.
std::string candidateSql(const SearchFilter &filter, bool scored, bool limited)
{
    const bool join = !filter.type.isEmpty() || filter.hasDateRange();
    std::string sql = scored ? "SELECT sentences_fts.rowid, bm25(sentences_fts) FROM sentences_fts"
                             : "SELECT sentences_fts.rowid FROM sentences_fts";
    if (join)
        sql += " JOIN sentences s ON s.id = sentences_fts.rowid JOIN documents d ON d.id = s.document_id";
    sql += " WHERE sentences_fts MATCH ?1 AND sentences_fts.rowid BETWEEN ?2 AND ?3";
    if (join)
        sql += std::string(" AND (coalesce(?5, '') = '' OR d.type = ?5) AND (?6 IS NULL OR ") + DocumentDate
            + " >= ?6) AND (?7 IS NULL OR " + DocumentDate + " <= ?7)";
    if (limited)
        sql += " LIMIT ?4";
    return sql;
}

Expected<Statement> prepareCandidates(Database &db,
    const QString &fts,
    const SearchFilter &filter,
    std::pair<std::int64_t, std::int64_t> range,
    int limit)
{
    auto st = db.prepare(candidateSql(filter, limit == 0, limit > 0).c_str());
    if (!st)
        return st;
    st->bind(1, fts).bind(2, range.first).bind(3, range.second);
    if (limit > 0)
        st->bind(4, limit);
    if (!filter.type.isEmpty() || filter.hasDateRange()) {
        auto day = [](const QDate &d) { return d.isValid() ? std::optional(d.toString(Qt::ISODate)) : std::nullopt; };
        st->bind(5, filter.type).bind(6, day(filter.from)).bind(7, day(filter.to));
    }
    return st;
}

// Phase one. bm25() computes each term's document frequency by walking the term's whole doclist, so for a
// term in millions of sentences it costs seconds however few rows are asked for. Matches are therefore
// first counted up to candidateLimit straight from the index (cheap); under the limit they are ranked by
// bm25, over it the first candidateLimit matches are ranked by sentence length (bm25's length
// normalisation with equal term weights: short sentences that contain the terms first).
Expected<std::vector<Candidate>> candidates(
    Database &db, const QString &fts, const RankedSearchOptions &options, bool *truncated)
{
    std::pair<std::int64_t, std::int64_t> range { 0, std::numeric_limits<std::int64_t>::max() };
    if (options.filter.documentId) {
        auto found = sentenceRange(db, *options.filter.documentId);
        if (!found)
            return std::unexpected(found.error());
        range = *found;
    }
    const int limit = options.candidateLimit;
    *truncated = false;
    if (limit > 0) {
        auto ids = prepareCandidates(db, fts, options.filter, range, limit + 1);
        if (!ids)
            return std::unexpected(ids.error());
        auto list = runCandidates(*ids, false);
        if (!list)
            return list;
        if (static_cast<int>(list->size()) > limit) {
            *truncated = true;
            list->resize(static_cast<std::size_t>(limit));
            if (auto ok = rankByLength(db, *list); !ok)
                return std::unexpected(ok.error());
            return list;
        }
    }
    auto st = prepareCandidates(db, fts, options.filter, range, 0);
    if (!st)
        return std::unexpected(st.error());
    return runCandidates(*st, true);
}

// Fills the hit for sentence `id` when it passes the filters; false when it does not.
Expected<bool> fillHit(
    Database &db, Statement &row, const RankedSearchOptions &options, std::int64_t id, SearchHit &hit)
{
    row.bind(1, id);
    auto found = row.step();
    if (!found)
        return std::unexpected(found.error());
    const SearchFilter &filter = options.filter;
    const bool keep = *found && (!filter.documentId || row.int64(1) == *filter.documentId)
        && (filter.type.isEmpty() || row.text(7) == filter.type)
        && (options.includeDuplicates || row.text(8) != QLatin1String("duplicate"));
    if (keep) {
        hit.sentenceId = row.int64(0);
        hit.documentId = row.int64(1);
        hit.page = static_cast<int>(row.int64(2));
        hit.start = static_cast<int>(row.int64(3));
        hit.end = static_cast<int>(row.int64(4));
        hit.path = row.text(5);
        hit.title = row.text(6);
    }
    row.reset();
    (void)db;
    return keep;
}

// The snippets of all hits in one query. Each MATCH re-reads the terms' doclists, and a prefix that the
// prefix index does not cover (whal*) merges the doclists of every term it expands to: once per hit would
// cost twenty such merges. The hits' id range goes to FTS5 (a bounded scan of the matches in it); the ids
// themselves are a filter (+rowid: not offered to FTS5, which would run the query once per id).
Expected<void> addSnippets(Database &db, const QString &fts, std::vector<SearchHit> &hits)
{
    if (hits.empty())
        return {};
    QStringList ids;
    std::int64_t low = hits.front().sentenceId;
    std::int64_t high = low;
    for (const SearchHit &h : hits) {
        ids << QString::number(h.sentenceId);
        low = std::min(low, h.sentenceId);
        high = std::max(high, h.sentenceId);
    }
    auto st = db.prepare((std::string("SELECT rowid, ") + SnippetSql
        + " FROM sentences_fts WHERE sentences_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3 "
          "AND +rowid IN (SELECT value FROM json_each(?4))")
                             .c_str());
    if (!st)
        return std::unexpected(st.error());
    st->bind(1, fts).bind(2, low).bind(3, high).bind(
        4, QLatin1Char('[') + ids.join(QLatin1Char(',')) + QLatin1Char(']'));
    std::unordered_map<std::int64_t, QString> marked;
    if (auto ok = forEachRow(*st, [&](Statement &) { marked.emplace(st->int64(0), st->text(1)); }); !ok)
        return ok;
    for (SearchHit &h : hits) {
        if (auto it = marked.find(h.sentenceId); it != marked.end())
            setSnippet(it->second, h);
    }
    return {};
}

} // namespace

QDate SearchFilter::parseBound(const QString &text, bool last)
{
    const QStringList parts = text.trimmed().split(QLatin1Char('-'));
    if (parts.size() > 3 || parts.at(0).size() != 4)
        return {};
    int numbers[3] = { 0, 1, 1 };
    for (qsizetype i = 0; i < parts.size(); ++i) {
        bool ok = false;
        numbers[i] = parts.at(i).toInt(&ok);
        if (!ok || parts.at(i).isEmpty() || !parts.at(i).at(0).isDigit())
            return {};
    }
    const QDate date(numbers[0], numbers[1], numbers[2]);
    if (!date.isValid() || !last || parts.size() == 3)
        return date;
    return parts.size() == 1 ? QDate(numbers[0], 12, 31) : QDate(numbers[0], numbers[1], date.daysInMonth());
}

Expected<RankedSearchResult> rankedSearch(Library &library, const QString &query, const RankedSearchOptions &options)
{
    RankedSearchResult result;
    const QString fts = util::ftsQuery(query.trimmed());
    if (fts.isEmpty())
        return result;
    Database &db = library.database();
    bool truncated = false;
    auto list = candidates(db, fts, options, &truncated);
    if (!list)
        return std::unexpected(queryError(query, list.error()));
    result.candidates = static_cast<std::int64_t>(list->size());
    result.truncated = truncated;
    std::sort(list->begin(), list->end(), [](const Candidate &a, const Candidate &b) {
        return a.rank < b.rank || (a.rank == b.rank && a.id < b.id);
    });
    auto row = db.prepare("SELECT s.id, s.document_id, s.page, s.start, s.end, d.path, coalesce(d.title, ''), d.type, "
                          "d.status FROM sentences s JOIN documents d ON d.id = s.document_id WHERE s.id = ?1");
    if (!row)
        return std::unexpected(row.error());
    int skipped = 0;
    for (const Candidate &c : *list) {
        if (static_cast<int>(result.hits.size()) >= options.limit)
            break;
        SearchHit hit;
        auto keep = fillHit(db, *row, options, c.id, hit);
        if (!keep)
            return std::unexpected(keep.error());
        if (!*keep || skipped++ < options.offset)
            continue;
        hit.score = -c.rank;
        result.hits.push_back(std::move(hit));
    }
    if (auto ok = addSnippets(db, fts, result.hits); !ok)
        return std::unexpected(queryError(query, ok.error()));
    return result;
}

} // namespace quire::store
