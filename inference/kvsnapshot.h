#pragma once

#include "inference/kvcache.h"
#include "inference/sparseattention.h"
#include "util/error.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace quire::inference
{

class MappedFile;
class Model;

// What a saved prefix was computed with. Loading compares every field: another model, another KV layout
// or other attention settings would give other keys and values, so the file is refused and recomputed.
struct KvSnapshotBinding {
    std::uint64_t modelFingerprint = 0;
    std::string modelName; // general.name, for messages only
    KvCacheConfig cache; // capacity is not bound: any context that holds the prefix can load it
    SparseAttentionSettings attention;
    std::int32_t microBatch = 0;
    bool summaries = false; // whether the sparse indexer's block summaries are saved

    // "f16 KV in 256-token blocks, attention sparse (sinks 64, ...), micro-batch 512": what must match.
    std::string describeSettings() const;
};

// A fingerprint of a model's content: XXH64 over the GGUF header, metadata and tensor table, chained with
// three 4 KiB windows (start, middle, end) of every tensor's data. Reading only those keeps it cheap for
// multi-gigabyte models; a retrained, requantized or edited model changes the table or the data sampled.
std::uint64_t modelFingerprint(const Model &model);

// "Read once, ask many": the KV cache of a prefix (an archive's text), the sparse indexer's block
// summaries and the tokens, in one checksummed file. The cache blocks are stored in the cache's own
// layout at page-aligned offsets, so loading maps the file and the cache reads them in place (a block
// is copied only when written to). Layout: header | tokens | summaries | pad | blocks; see kvsnapshot.cpp.
class KvSnapshot
{
public:
    // Writes the first cache.length() positions with their tokens (tokens.size() == cache.length()).
    // The file is written beside `path` and renamed over it when complete, so a reader never sees half a
    // file and a mapped older version stays valid.
    static Expected<void> write(const std::string &path,
        const KvSnapshotBinding &binding,
        const KvCache &cache,
        const KeySummaries *summaries,
        std::span<const std::int32_t> tokens);
    // Maps the file and checks its structure and checksums (reading every byte once). Corrupt for a
    // damaged or truncated file, Unsupported for another format version.
    static Expected<std::shared_ptr<const KvSnapshot>> open(const std::string &path);
    ~KvSnapshot();

    const KvSnapshotBinding &binding() const { return m_binding; }
    // InvalidArgument with a message naming the difference when `wanted` differs from the file's binding.
    Expected<void> check(const KvSnapshotBinding &wanted) const;

    const std::string &path() const { return m_path; }
    std::int32_t length() const { return static_cast<std::int32_t>(m_tokens.size()); }
    std::span<const std::int32_t> tokens() const { return m_tokens; }
    std::uint64_t tokensHash() const { return m_tokensHash; }
    std::size_t fileBytes() const;
    // Cache blocks in order (KvCache::blockBytes() each), pointing into the mapping.
    const std::vector<const std::uint8_t *> &blocks() const { return m_blocks; }
    // Restores the saved block summaries into `summaries` (same model and settings: check() first).
    Expected<void> restoreSummaries(KeySummaries &summaries) const;

private:
    KvSnapshot() = default;

    std::string m_path;
    std::unique_ptr<MappedFile> m_file;
    KvSnapshotBinding m_binding;
    std::span<const std::int32_t> m_tokens;
    std::uint64_t m_tokensHash = 0;
    std::int32_t m_summaryBlocks = 0;
    const std::uint8_t *m_summaries = nullptr;
    std::vector<const std::uint8_t *> m_blocks;
};

} // namespace quire::inference
