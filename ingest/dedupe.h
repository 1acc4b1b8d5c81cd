#pragma once

#include "ingest/minhash.h"
#include "store/ingeststore.h"
#include "util/error.h"

#include <QString>
#include <map>
#include <vector>

namespace quire::store
{
class Library;
}

namespace quire::ingest
{

struct DedupeReport {
    std::int64_t exactDuplicates = 0; // documents with status duplicate
    std::int64_t nearDuplicateGroups = 0;
    std::int64_t nearDuplicateDocuments = 0; // documents in some near-duplicate group
    std::int64_t mailThreads = 0; // threads of two or more messages
};

// Marks over the whole library, recomputed from scratch so that the result does not depend on the order in
// which documents were ingested (or on interruptions):
// - exact duplicates: same content hash; the document with the smallest path stays "ok", the others get
//   status "duplicate" and duplicate_of = that original. Their text stays stored and searchable, so the
//   GUI can show either; `quire search` leaves duplicates out unless asked.
// - near duplicates: MinHash similarity >= NearDuplicateThreshold (LSH candidates, then verified), grouped
//   transitively; near_duplicate_group = the smallest document id of the group, NULL when alone.
// - mail threads: message-id / in-reply-to / references link messages; replies without references
//   ("Re: subject") join the thread of the same subject. thread_id = the smallest message id of the thread.
Expected<DedupeReport> updateDuplicatesAndThreads(store::Library &library);

inline constexpr double NearDuplicateThreshold = 0.8;

// The groups (two or more documents, ids ascending, groups ordered by first id) of near duplicates.
std::vector<std::vector<std::int64_t>> nearDuplicateGroups(
    const std::vector<std::pair<std::int64_t, MinHash::Signature>> &signatures,
    double threshold = NearDuplicateThreshold);

// document id -> thread id, for every mail row.
std::map<std::int64_t, QString> mailThreads(const std::vector<store::MailRow> &mails);

} // namespace quire::ingest
