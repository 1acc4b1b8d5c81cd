#pragma once

#include "util/error.h"

#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <vector>

namespace quire::store
{

class Library;

struct MentionRow {
    std::int64_t id = 0;
    std::int64_t documentId = 0;
    std::int64_t sentenceId = 0;
    int section = 0;
    int paragraph = 0;
    int start = 0;
    int end = 0;
    QString surface;
    QString canonical;
    QString type;
    QString key;
    QString normalized;
    std::int64_t entityId = 0; // 0: none (deleted by the user)
};

struct EntityRow {
    std::int64_t id = 0;
    QString key;
    QString name;
    QString type;
    std::int64_t mentions = 0;
    std::int64_t documents = 0;
    std::int64_t spread = 0;
    QStringList aliases;
};

struct SummaryRow {
    std::int64_t sentenceId = 0;
    int rank = 0;
    double score = 0;
};

struct EntityEdit {
    std::int64_t id = 0;
    QString op; // merge, rename, retype, delete, split
    QString key;
    QString argument;
};

struct DocumentAnalysisState {
    int version = 0;
    QString contentHash;
    QString language;
};

struct EntityQuery {
    QString type; // empty: all
    int limit = 50;
    std::optional<std::int64_t> documentId;
};

// Typed queries over the analysis tables (migration 0010). Takes the caller's Library; one per thread.
class AnalysisStore
{
public:
    explicit AnalysisStore(Library &library);

    Expected<std::optional<DocumentAnalysisState>> state(std::int64_t documentId);
    // Replaces a document's mentions and summaries and records its state, in one transaction.
    Expected<void> replaceDocument(std::int64_t documentId,
        const DocumentAnalysisState &state,
        const std::vector<MentionRow> &mentions,
        const std::vector<std::pair<std::int64_t, std::vector<SummaryRow>>> &sectionSummaries,
        const std::vector<SummaryRow> &documentSummary);
    Expected<void> replaceLibrarySummary(const std::vector<SummaryRow> &rows);
    // Document summary (sectionId unset), a section's, or the library's (documentId unset).
    Expected<std::vector<SummaryRow>> summary(
        std::optional<std::int64_t> documentId, std::optional<std::int64_t> sectionId = {});

    // Rebuilds the entities from the mentions, re-applying the edit log; ids of surviving keys are kept.
    Expected<void> rebuildEntities();
    Expected<std::vector<EntityRow>> entities(const EntityQuery &query = {});
    Expected<std::optional<EntityRow>> entity(std::int64_t id);
    Expected<std::vector<MentionRow>> mentions(
        std::optional<std::int64_t> entityId, std::optional<std::int64_t> documentId = {}, const QString &type = {});
    Expected<std::int64_t> addEdit(const QString &op, const QString &key, const QString &argument = {});
    Expected<std::vector<EntityEdit>> edits();

private:
    Library &m_library;
};

} // namespace quire::store
