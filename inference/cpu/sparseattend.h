#pragma once

#include "inference/cpu/attention.h"
#include "inference/hparams.h"
#include "inference/kvcache.h"
#include "inference/sparseattention.h"

#include <cstdint>
#include <span>
#include <vector>

namespace quire::inference::cpu
{

class ThreadPool;

// What sparse attention read since the last reset, summed over layers, KV heads and query positions.
struct SparseStats {
    std::int64_t queries = 0; // (position, layer, KV head) selections made
    std::int64_t positionsRead = 0; // key/value rows attended
    std::int64_t blocksScored = 0; // block summaries the indexer read
};

// Views of the cache's blocks covering `ranges` of one layer, split at KV block boundaries, in order.
void rangeViews(
    const KvCache &cache, int layer, std::span<const PositionRange> ranges, std::vector<KvBlockView> &views);

// The CPU side of sparse attention: keeps the block summaries of one sequence current and attends each
// GQA group over the positions its selector chose, with the same flash kernel as dense attention.
class SparseAttender
{
public:
    SparseAttender(const SparseAttentionSettings &settings, const HParams &hp, int threads);

    const SparseAttentionSettings &settings() const { return m_settings; }
    const KeySummaries &summaries() const { return m_summaries; }
    KeySummaries &summaries() { return m_summaries; } // restored from a snapshot
    bool isSparse(int layer, std::int32_t contextLength) const { return m_settings.isSparse(layer, contextLength); }
    // Switches between dense and sparse for the next decode() (the summaries stay current either way).
    void setMode(AttentionMode mode) { m_settings.mode = mode; }

    // Keys (after RoPE) of positions pos0 .. pos0 + n - 1: [n][nHeadKv * headDimK], rows `stride` apart.
    void appendKeys(int layer, std::int32_t pos0, int n, const float *keys, std::size_t stride);
    void truncate(std::int32_t length) { m_summaries.truncate(length); }

    // Attention of n query rows (q: [n][nHead * headDimK], qStride apart) at positions pos0.. of one
    // layer; out: [n][nHead * headDimV], outStride apart. Prefill chunks of blockTokens queries share
    // one selection; the last row selects alone.
    void attend(ThreadPool &pool,
        const KernelSet &ks,
        const AttentionShape &shape,
        const KvCache &cache,
        int layer,
        const float *q,
        std::size_t qStride,
        int n,
        std::int32_t pos0,
        float *out,
        std::size_t outStride);

    SparseStats stats() const;
    void resetStats();

private:
    struct Scratch {
        BlockSelector selector;
        std::vector<PositionRange> ranges;
        std::vector<KvBlockView> views;
        std::vector<float> scores;
        std::vector<float> summed;
        SparseStats stats;
    };

    void attendChunk(Scratch &s,
        const KernelSet &ks,
        const AttentionShape &shape,
        const KvCache &cache,
        int layer,
        int g,
        const float *q,
        std::size_t qStride,
        int t0,
        int t1,
        std::int32_t pos0,
        float *out,
        std::size_t outStride);

    SparseAttentionSettings m_settings;
    int m_nHead;
    int m_nHeadKv;
    int m_headDimK;
    int m_headDimV;
    KeySummaries m_summaries;
    std::vector<Scratch> m_scratch; // per thread
};

} // namespace quire::inference::cpu
