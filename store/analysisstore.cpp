#include "analysisstore.h"

#include "database.h"
#include "library.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <algorithm>

namespace quire::store
{

namespace
{

#define QUIRE_TRY(expr)                                                                                                \
    if (auto &&quire_ok = (expr); !quire_ok)                                                                           \
        return std::unexpected(quire_ok.error());

MentionRow readMention(const Statement &st)
{
    MentionRow m;
    m.id = st.int64(0);
    m.documentId = st.int64(1);
    m.sentenceId = st.int64(2);
    m.section = int(st.int64(3));
    m.paragraph = int(st.int64(4));
    m.start = int(st.int64(5));
    m.end = int(st.int64(6));
    m.surface = st.text(7);
    m.canonical = st.text(8);
    m.type = st.text(9);
    m.key = st.text(10);
    m.normalized = st.text(11);
    m.entityId = st.isNull(12) ? 0 : st.int64(12);
    return m;
}

EntityRow readEntity(const Statement &st)
{
    EntityRow e;
    e.id = st.int64(0);
    e.key = st.text(1);
    e.name = st.text(2);
    e.type = st.text(3);
    e.mentions = st.int64(4);
    e.documents = st.int64(5);
    e.spread = st.int64(6);
    for (const auto &v : QJsonDocument::fromJson(st.text(7).toUtf8()).array())
        e.aliases << v.toString();
    return e;
}

Expected<void> insertSummary(Database &db,
    const char *scope,
    std::optional<std::int64_t> documentId,
    std::optional<std::int64_t> sectionId,
    const std::vector<SummaryRow> &rows)
{
    auto st = db.prepare("INSERT INTO summary_sentences(scope, document_id, section_id, rank, sentence_id, score) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    QUIRE_TRY(st);
    for (const SummaryRow &r : rows) {
        st->bind(1, QString::fromLatin1(scope)).bind(2, documentId).bind(3, sectionId);
        QUIRE_TRY(st->bind(4, r.rank).bind(5, r.sentenceId).bind(6, r.score).run());
    }
    return {};
}

Expected<void> insertMentions(Database &db, std::int64_t documentId, const std::vector<MentionRow> &mentions)
{
    auto st = db.prepare("INSERT INTO mentions(document_id, sentence_id, section, paragraph, start, end, surface, "
                         "canonical, type, key, normalized) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    QUIRE_TRY(st);
    for (const MentionRow &m : mentions) {
        st->bind(1, documentId).bind(2, m.sentenceId).bind(3, m.section).bind(4, m.paragraph).bind(5, m.start);
        st->bind(6, m.end).bind(7, m.surface).bind(8, m.canonical).bind(9, m.type).bind(10, m.key);
        QUIRE_TRY(st->bind(11, m.normalized.isEmpty() ? std::optional<QString>() : m.normalized).run());
    }
    return {};
}

} // namespace

AnalysisStore::AnalysisStore(Library &library)
    : m_library(library)
{
}

Expected<std::optional<DocumentAnalysisState>> AnalysisStore::state(std::int64_t documentId)
{
    auto st = m_library.database().prepare(
        "SELECT version, content_hash, language FROM analysis_documents WHERE document_id = ?1");
    QUIRE_TRY(st);
    auto row = st->bind(1, documentId).step();
    QUIRE_TRY(row);
    if (!*row)
        return std::optional<DocumentAnalysisState>();
    return std::optional<DocumentAnalysisState>(DocumentAnalysisState { int(st->int64(0)), st->text(1), st->text(2) });
}

Expected<void> AnalysisStore::replaceDocument(std::int64_t documentId,
    const DocumentAnalysisState &state,
    const std::vector<MentionRow> &mentions,
    const std::vector<std::pair<std::int64_t, std::vector<SummaryRow>>> &sectionSummaries,
    const std::vector<SummaryRow> &documentSummary)
{
    Database &db = m_library.database();
    Database::Transaction tx(db);
    if (!tx.isActive())
        return std::unexpected(tx.error());
    for (const char *sql : { "DELETE FROM mentions WHERE document_id = ?1",
             "DELETE FROM summary_sentences WHERE document_id = ?1",
             "DELETE FROM analysis_documents WHERE document_id = ?1" }) {
        auto st = db.prepare(sql);
        QUIRE_TRY(st);
        QUIRE_TRY(st->bind(1, documentId).run());
    }
    QUIRE_TRY(insertMentions(db, documentId, mentions));
    QUIRE_TRY(insertSummary(db, "document", documentId, std::nullopt, documentSummary));
    for (const auto &[sectionId, rows] : sectionSummaries)
        QUIRE_TRY(insertSummary(db, "section", documentId, sectionId, rows));
    auto st = db.prepare("INSERT INTO analysis_documents(document_id, version, content_hash, language) "
                         "VALUES (?1, ?2, ?3, ?4)");
    QUIRE_TRY(st);
    QUIRE_TRY(st->bind(1, documentId).bind(2, state.version).bind(3, state.contentHash).bind(4, state.language).run());
    return tx.commit();
}

Expected<void> AnalysisStore::replaceLibrarySummary(const std::vector<SummaryRow> &rows)
{
    Database &db = m_library.database();
    Database::Transaction tx(db);
    if (!tx.isActive())
        return std::unexpected(tx.error());
    QUIRE_TRY(db.exec("DELETE FROM summary_sentences WHERE scope = 'library'"));
    QUIRE_TRY(insertSummary(db, "library", std::nullopt, std::nullopt, rows));
    return tx.commit();
}

Expected<std::vector<SummaryRow>> AnalysisStore::summary(
    std::optional<std::int64_t> documentId, std::optional<std::int64_t> sectionId)
{
    const char *sql = !documentId ? "SELECT sentence_id, rank, score FROM summary_sentences WHERE scope = 'library' "
                                    "ORDER BY rank"
        : sectionId ? "SELECT sentence_id, rank, score FROM summary_sentences WHERE scope = 'section' AND "
                      "document_id = ?1 AND section_id = ?2 ORDER BY rank"
                    : "SELECT sentence_id, rank, score FROM summary_sentences WHERE scope = 'document' AND "
                      "document_id = ?1 ORDER BY rank";
    auto st = m_library.database().prepare(sql);
    QUIRE_TRY(st);
    if (documentId)
        st->bind(1, *documentId);
    if (sectionId)
        st->bind(2, *sectionId);
    std::vector<SummaryRow> rows;
    for (;;) {
        auto row = st->step();
        QUIRE_TRY(row);
        if (!*row)
            break;
        rows.push_back({ st->int64(0), int(st->int64(1)), st->real(2) });
    }
    return rows;
}

Expected<std::vector<EntityRow>> AnalysisStore::entities(const EntityQuery &query)
{
    const char *sql = query.documentId
        ? "SELECT e.id, e.key, e.name, e.type, COUNT(m.id), 1, e.spread, e.aliases FROM entities e JOIN mentions m ON "
          "m.entity_id = e.id WHERE m.document_id = ?3 AND (COALESCE(?1, '') = '' OR e.type = ?1) GROUP BY e.id "
          "ORDER BY COUNT(m.id) DESC, e.id LIMIT ?2"
        : "SELECT id, key, name, type, mentions, documents, spread, aliases FROM entities WHERE (COALESCE(?1, '') = '' "
          "OR type = ?1) "
          "ORDER BY mentions DESC, id LIMIT ?2";
    auto st = m_library.database().prepare(sql);
    QUIRE_TRY(st);
    st->bind(1, query.type).bind(2, query.limit > 0 ? query.limit : -1);
    if (query.documentId)
        st->bind(3, *query.documentId);
    std::vector<EntityRow> rows;
    for (;;) {
        auto row = st->step();
        QUIRE_TRY(row);
        if (!*row)
            break;
        rows.push_back(readEntity(*st));
    }
    return rows;
}

Expected<std::optional<EntityRow>> AnalysisStore::entity(std::int64_t id)
{
    auto st = m_library.database().prepare(
        "SELECT id, key, name, type, mentions, documents, spread, aliases FROM entities WHERE id = ?1");
    QUIRE_TRY(st);
    auto row = st->bind(1, id).step();
    QUIRE_TRY(row);
    return *row ? std::optional<EntityRow>(readEntity(*st)) : std::nullopt;
}

Expected<std::vector<MentionRow>> AnalysisStore::mentions(
    std::optional<std::int64_t> entityId, std::optional<std::int64_t> documentId, const QString &type)
{
    auto st = m_library.database().prepare(
        "SELECT id, document_id, sentence_id, section, paragraph, start, end, surface, canonical, type, key, "
        "normalized, entity_id FROM mentions WHERE (?1 IS NULL OR entity_id = ?1) AND (?2 IS NULL OR document_id = ?2) "
        "AND (COALESCE(?3, '') = '' OR type = ?3) ORDER BY document_id, start");
    QUIRE_TRY(st);
    st->bind(1, entityId).bind(2, documentId).bind(3, type);
    std::vector<MentionRow> rows;
    for (;;) {
        auto row = st->step();
        QUIRE_TRY(row);
        if (!*row)
            break;
        rows.push_back(readMention(*st));
    }
    return rows;
}

Expected<std::int64_t> AnalysisStore::addEdit(const QString &op, const QString &key, const QString &argument)
{
    auto st = m_library.database().prepare("INSERT INTO entity_edits(op, key, argument) VALUES (?1, ?2, ?3)");
    QUIRE_TRY(st);
    QUIRE_TRY(st->bind(1, op).bind(2, key).bind(3, argument.isNull() ? QStringLiteral("") : argument).run());
    return m_library.database().lastInsertRowId();
}

Expected<std::vector<EntityEdit>> AnalysisStore::edits()
{
    auto st = m_library.database().prepare("SELECT id, op, key, argument FROM entity_edits ORDER BY id");
    QUIRE_TRY(st);
    std::vector<EntityEdit> rows;
    for (;;) {
        auto row = st->step();
        QUIRE_TRY(row);
        if (!*row)
            break;
        rows.push_back({ st->int64(0), st->text(1), st->text(2), st->text(3) });
    }
    return rows;
}

} // namespace quire::store
