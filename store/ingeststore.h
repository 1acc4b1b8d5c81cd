#pragma once

// Queries the ingest pipeline and its dedupe passes need beyond Library's own.

#include "store/library.h"

#include <QByteArray>
#include <QSet>
#include <QStringList>

namespace quire::store
{

// Saves one ingested document atomically: the record, its content (text, pages, sections, sentences and
// their index entries), its MinHash signature (none when empty) and, with removeChildren, the removal of
// the documents that were inside an older version of it. Returns the document's id.
Expected<std::int64_t> saveIngested(Library &library,
    const DocumentRecord &record,
    const DocumentContent &content,
    const QByteArray &signature,
    bool removeChildren);

// Completes a container (archive, mailbox, mail with attachments) once all its children are saved: removes
// the children whose path is not in `childPaths` (left from an older version of the container), then sets
// the container's status. One transaction.
Expected<void> finishContainer(Library &library,
    std::int64_t id,
    const QSet<QString> &childPaths,
    DocumentStatus status,
    const QString &error = {});

// True when some document inside `path` (any depth: "path!/...") has `status`.
Expected<bool> hasDescendantWithStatus(Library &library, const QString &path, DocumentStatus status);

// Exact duplicates: among documents with status ok or duplicate, those sharing a content hash form a group
// whose original is the one with the smallest path (order-independent, so re-runs agree); the original is
// set to ok without duplicate_of, the others to status duplicate with duplicate_of = original (their
// content is kept). Documents with other statuses lose any duplicate mark. Returns the number of duplicates.
Expected<std::int64_t> updateExactDuplicates(Library &library);

struct SignatureRow {
    std::int64_t documentId = 0;
    QByteArray minhash;
    std::optional<std::int64_t> group;
};
// Signatures of documents with status ok or duplicate, with their current near-duplicate group.
Expected<std::vector<SignatureRow>> nearDuplicateSignatures(Library &library);
// Sets documents.near_duplicate_group for the listed documents and clears it for every other one.
Expected<void> setNearDuplicateGroups(
    Library &library, const std::vector<std::pair<std::int64_t, std::int64_t>> &groups);

struct MailRow {
    std::int64_t documentId = 0;
    QString messageId;
    QString inReplyTo;
    QStringList references;
    QString subject;
    QString threadId;
};
// Every document whose metadata has a message id (EML files, MBOX messages, attached messages).
Expected<std::vector<MailRow>> mailDocuments(Library &library);
// Sets documents.thread_id (an empty id clears it). One transaction.
Expected<void> setThreadIds(Library &library, const std::vector<std::pair<std::int64_t, QString>> &threads);

} // namespace quire::store
