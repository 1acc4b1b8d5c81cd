#pragma once

#include "util/error.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace quire::inference
{

// Dense: every query reads every earlier position. Sparse: sinks + recent window + top-k blocks.
// Auto: dense while the context is shorter than denseThreshold, sparse beyond.
enum class AttentionMode { Dense, Sparse, Auto };
// How a block of keys is summarised for the block indexer: Quest's elementwise min/max bound on q.k,
// the mean key, or the average of both scores.
enum class BlockSummaryKind { MinMax, Mean, Mix };

const char *attentionModeName(AttentionMode mode);
std::optional<AttentionMode> parseAttentionMode(std::string_view name);
const char *blockSummaryKindName(BlockSummaryKind kind);
std::optional<BlockSummaryKind> parseBlockSummaryKind(std::string_view name);

// Training-free block-sparse attention for pretrained (GQA) models, as in Quest and InfLLM: per layer
// and KV head, a query reads the first sinkTokens positions, the last windowTokens positions and the
// topKTokens / blockTokens middle blocks whose key summaries score highest against the query heads
// of its group. Attention over the chosen positions is exact (online softmax).
struct SparseAttentionSettings {
    AttentionMode mode = AttentionMode::Auto;
    std::int32_t denseThreshold = 32768; // Auto: dense below this many context tokens
    std::int32_t sinkTokens = 64;
    std::int32_t windowTokens = 2048;
    std::int32_t blockTokens = 64; // selection granularity; must divide the KV cache's block size
    std::int32_t topKTokens = 2048; // middle tokens chosen by the indexer, in whole blocks
    BlockSummaryKind summary = BlockSummaryKind::MinMax;
    std::int32_t denseFirstLayers = 0; // layers < this always attend densely

    // Whether `layer` attends sparsely when the context holds `contextLength` tokens.
    bool isSparse(int layer, std::int32_t contextLength) const;
    std::int32_t topKBlocks() const { return blockTokens > 0 ? (topKTokens + blockTokens - 1) / blockTokens : 0; }
    // Checks the values against each other and against the KV cache's block size.
    Expected<void> validate(std::int32_t kvBlockTokens) const;
};

// A run of consecutive positions [first, first + count).
struct PositionRange {
    std::int32_t first = 0;
    std::int32_t count = 0;
};

// Per-block summaries of the (rotated) keys of one sequence, per layer and KV head: the elementwise
// minimum, maximum and sum of the keys of each block of blockTokens positions. Kept up to date as keys
// are appended, so the indexer reads 3 * headDim floats per block instead of blockTokens key rows.
class KeySummaries
{
public:
    KeySummaries(int nLayer, int nHeadKv, int headDim, std::int32_t blockTokens);

    int headDim() const { return m_headDim; }
    std::int32_t blockTokens() const { return m_blockTokens; }
    std::int32_t blockCount(int layer) const;
    // Appends the keys of positions pos0 .. pos0 + n - 1 of one layer ([n][nHeadKv][headDim], rows
    // `stride` floats apart). Positions must follow the layer's last one (or restart a block).
    void append(int layer, std::int32_t pos0, int n, const float *keys, std::size_t stride);
    // Forgets positions >= length. A block cut in the middle keeps its old extremes (still a valid,
    // looser bound) until it is refilled from its first position, unless length is the marked one.
    void truncate(std::int32_t length);
    // Remembers the summaries of the block holding position length - 1, so that truncate(length) restores
    // them exactly (a saved or loaded prefix: every question after it starts from the same state).
    void mark(std::int32_t length);

    const float *minKey(int layer, int head, std::int32_t block) const { return entry(layer, head, block); }
    const float *maxKey(int layer, int head, std::int32_t block) const { return entry(layer, head, block) + m_headDim; }
    const float *sumKey(int layer, int head, std::int32_t block) const
    {
        return entry(layer, head, block) + 2 * m_headDim;
    }
    std::int32_t count(int layer, std::int32_t block) const;
    std::size_t bytes() const; // memory held
    std::size_t bytesPerBlock() const { return static_cast<std::size_t>(m_nHeadKv) * 3 * m_headDim * sizeof(float); }
    int layerCount() const { return m_nLayer; }

    // One layer's state, for snapshots: per block [head][min | max | sum][headDim] floats, and the
    // positions each block summarises.
    std::span<const float> layerData(int layer) const { return m_data[static_cast<std::size_t>(layer)]; }
    std::span<const std::int32_t> layerCounts(int layer) const { return m_counts[static_cast<std::size_t>(layer)]; }
    // Replaces one layer's state; data holds bytesPerBlock() / sizeof(float) floats per count.
    Expected<void> restoreLayer(int layer, std::span<const float> data, std::span<const std::int32_t> counts);

private:
    const float *entry(int layer, int head, std::int32_t block) const;
    float *entry(int layer, int head, std::int32_t block);

    int m_nLayer;
    int m_nHeadKv;
    int m_headDim;
    std::int32_t m_blockTokens;
    std::vector<std::vector<float>> m_data; // per layer: [block][head][min | max | sum][headDim]
    std::vector<std::vector<std::int32_t>> m_counts; // per layer: positions summarised per block
    std::int32_t m_markLength = -1;
    std::vector<float> m_markData; // per layer: the marked partial block's entry
    std::vector<std::int32_t> m_markCounts; // per layer
};

// The score a block's summary gives a group of query heads (higher = more likely to matter).
// MinMax is Quest's bound: sum over heads and dimensions of max(q * min, q * max) >= q . k for every
// key of the block.
float blockScore(BlockSummaryKind kind,
    const KeySummaries &summaries,
    int layer,
    int kvHead,
    std::int32_t block,
    const float *queries,
    int groupSize);

// Chooses the positions one KV head reads for one query position. Keeps its scratch between calls;
// one selector per thread.
class BlockSelector
{
public:
    // queries: groupSize query heads, headDim floats each, contiguous. maxPos: the query's position.
    // out receives disjoint ranges in position order covering positions <= maxPos.
    void select(const SparseAttentionSettings &settings,
        const KeySummaries &summaries,
        int layer,
        int kvHead,
        const float *queries,
        int groupSize,
        std::int32_t maxPos,
        std::vector<PositionRange> &out);
    // Middle blocks scored by the last select() (what the indexer read).
    std::int32_t lastScoredBlocks() const { return m_scored; }

private:
    std::vector<std::pair<float, std::int32_t>> m_candidates;
    std::vector<std::int32_t> m_chosen;
    std::int32_t m_scored = 0;
};

// Total positions covered by ranges.
std::int64_t rangePositions(std::span<const PositionRange> ranges);

} // namespace quire::inference
