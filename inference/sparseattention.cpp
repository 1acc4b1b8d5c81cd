#include "inference/sparseattention.h"

#include <algorithm>
#include <limits>
#include <string>

namespace quire::inference
{

const char *attentionModeName(AttentionMode mode)
{
    switch (mode) {
    case AttentionMode::Dense:
        return "dense";
    case AttentionMode::Sparse:
        return "sparse";
    case AttentionMode::Auto:
        return "auto";
    }
    return "?";
}

std::optional<AttentionMode> parseAttentionMode(std::string_view name)
{
    for (AttentionMode m : { AttentionMode::Dense, AttentionMode::Sparse, AttentionMode::Auto }) {
        if (name == attentionModeName(m))
            return m;
    }
    return std::nullopt;
}

const char *blockSummaryKindName(BlockSummaryKind kind)
{
    switch (kind) {
    case BlockSummaryKind::MinMax:
        return "minmax";
    case BlockSummaryKind::Mean:
        return "mean";
    case BlockSummaryKind::Mix:
        return "mix";
    }
    return "?";
}

std::optional<BlockSummaryKind> parseBlockSummaryKind(std::string_view name)
{
    for (BlockSummaryKind k : { BlockSummaryKind::MinMax, BlockSummaryKind::Mean, BlockSummaryKind::Mix }) {
        if (name == blockSummaryKindName(k))
            return k;
    }
    return std::nullopt;
}

bool SparseAttentionSettings::isSparse(int layer, std::int32_t contextLength) const
{
    if (mode == AttentionMode::Dense || layer < denseFirstLayers)
        return false;
    return mode == AttentionMode::Sparse || contextLength >= denseThreshold;
}

Expected<void> SparseAttentionSettings::validate(std::int32_t kvBlockTokens) const
{
    if (blockTokens <= 0 || sinkTokens < 0 || windowTokens < 1 || topKTokens < 0 || denseThreshold < 0
        || denseFirstLayers < 0)
        return fail(Error::Code::InvalidArgument,
            "sparse attention needs a positive block size and window and no negative counts");
    if (kvBlockTokens % blockTokens != 0) {
        return fail(Error::Code::InvalidArgument,
            "the sparse-attention block (" + std::to_string(blockTokens) + " tokens) must divide the KV cache block ("
                + std::to_string(kvBlockTokens) + " tokens): use --block 32, 64, 128 or 256");
    }
    return {};
}

KeySummaries::KeySummaries(int nLayer, int nHeadKv, int headDim, std::int32_t blockTokens)
    : m_nLayer(nLayer)
    , m_nHeadKv(nHeadKv)
    , m_headDim(headDim)
    , m_blockTokens(blockTokens)
    , m_data(static_cast<std::size_t>(nLayer))
    , m_counts(static_cast<std::size_t>(nLayer))
{
}

std::int32_t KeySummaries::blockCount(int layer) const
{
    return static_cast<std::int32_t>(m_counts[static_cast<std::size_t>(layer)].size());
}

std::int32_t KeySummaries::count(int layer, std::int32_t block) const
{
    return m_counts[static_cast<std::size_t>(layer)][static_cast<std::size_t>(block)];
}

const float *KeySummaries::entry(int layer, int head, std::int32_t block) const
{
    const std::size_t perBlock = static_cast<std::size_t>(m_nHeadKv) * 3 * m_headDim;
    return m_data[static_cast<std::size_t>(layer)].data() + static_cast<std::size_t>(block) * perBlock
        + static_cast<std::size_t>(head) * 3 * m_headDim;
}

float *KeySummaries::entry(int layer, int head, std::int32_t block)
{
    return const_cast<float *>(std::as_const(*this).entry(layer, head, block));
}

void KeySummaries::append(int layer, std::int32_t pos0, int n, const float *keys, std::size_t stride)
{
    auto &data = m_data[static_cast<std::size_t>(layer)];
    auto &counts = m_counts[static_cast<std::size_t>(layer)];
    const std::size_t perBlock = static_cast<std::size_t>(m_nHeadKv) * 3 * m_headDim;
    const int hd = m_headDim;
    for (int t = 0; t < n; ++t) {
        const std::int32_t pos = pos0 + t;
        const std::int32_t block = pos / m_blockTokens;
        const bool fresh = pos % m_blockTokens == 0;
        if (static_cast<std::size_t>(block) >= counts.size()) {
            counts.resize(static_cast<std::size_t>(block) + 1, 0);
            data.resize(counts.size() * perBlock);
        }
        if (fresh)
            counts[static_cast<std::size_t>(block)] = 0;
        const bool first = counts[static_cast<std::size_t>(block)] == 0;
        const float *row = keys + static_cast<std::size_t>(t) * stride;
        for (int h = 0; h < m_nHeadKv; ++h) {
            float *e = entry(layer, h, block);
            const float *k = row + static_cast<std::size_t>(h) * hd;
            for (int d = 0; d < hd; ++d) {
                e[d] = first ? k[d] : std::min(e[d], k[d]);
                e[hd + d] = first ? k[d] : std::max(e[hd + d], k[d]);
                e[2 * hd + d] = first ? k[d] : e[2 * hd + d] + k[d];
            }
        }
        counts[static_cast<std::size_t>(block)] = std::min(m_blockTokens, pos % m_blockTokens + 1);
    }
}

void KeySummaries::truncate(std::int32_t length)
{
    const std::size_t blocks = static_cast<std::size_t>((length + m_blockTokens - 1) / m_blockTokens);
    const std::size_t perBlock = static_cast<std::size_t>(m_nHeadKv) * 3 * m_headDim;
    for (int l = 0; l < m_nLayer; ++l) {
        auto &counts = m_counts[static_cast<std::size_t>(l)];
        if (counts.size() <= blocks)
            continue;
        counts.resize(blocks);
        m_data[static_cast<std::size_t>(l)].resize(blocks * perBlock);
    }
    if (length < m_markLength) {
        m_markLength = -1;
    } else if (length == m_markLength && length % m_blockTokens != 0) {
        const auto block = static_cast<std::size_t>(length / m_blockTokens);
        for (int l = 0; l < m_nLayer; ++l) {
            auto &counts = m_counts[static_cast<std::size_t>(l)];
            if (counts.size() <= block)
                continue;
            std::copy_n(m_markData.begin() + static_cast<std::ptrdiff_t>(l * perBlock),
                perBlock,
                m_data[static_cast<std::size_t>(l)].begin() + static_cast<std::ptrdiff_t>(block * perBlock));
            counts[block] = m_markCounts[static_cast<std::size_t>(l)];
        }
    }
}

void KeySummaries::mark(std::int32_t length)
{
    m_markLength = length;
    m_markData.clear();
    m_markCounts.clear();
    if (length % m_blockTokens == 0)
        return; // a block boundary: the next append starts a fresh block anyway
    const auto block = static_cast<std::size_t>(length / m_blockTokens);
    const std::size_t perBlock = static_cast<std::size_t>(m_nHeadKv) * 3 * m_headDim;
    for (int l = 0; l < m_nLayer; ++l) {
        const auto &counts = m_counts[static_cast<std::size_t>(l)];
        if (counts.size() <= block) {
            m_markLength = -1;
            return;
        }
        const auto &data = m_data[static_cast<std::size_t>(l)];
        m_markData.insert(m_markData.end(),
            data.begin() + static_cast<std::ptrdiff_t>(block * perBlock),
            data.begin() + static_cast<std::ptrdiff_t>((block + 1) * perBlock));
        m_markCounts.push_back(counts[block]);
    }
}

Expected<void> KeySummaries::restoreLayer(int layer, std::span<const float> data, std::span<const std::int32_t> counts)
{
    const std::size_t perBlock = static_cast<std::size_t>(m_nHeadKv) * 3 * m_headDim;
    if (layer < 0 || layer >= m_nLayer || data.size() != counts.size() * perBlock)
        return fail(Error::Code::Corrupt, "block summaries of the wrong size");
    for (std::int32_t c : counts) {
        if (c < 0 || c > m_blockTokens)
            return fail(Error::Code::Corrupt, "a block summary counts more positions than a block holds");
    }
    m_data[static_cast<std::size_t>(layer)].assign(data.begin(), data.end());
    m_counts[static_cast<std::size_t>(layer)].assign(counts.begin(), counts.end());
    return {};
}

std::size_t KeySummaries::bytes() const
{
    std::size_t total = 0;
    for (const auto &d : m_data)
        total += d.capacity() * sizeof(float);
    return total;
}

float blockScore(BlockSummaryKind kind,
    const KeySummaries &summaries,
    int layer,
    int kvHead,
    std::int32_t block,
    const float *queries,
    int groupSize)
{
    const int hd = summaries.headDim();
    const float *lo = summaries.minKey(layer, kvHead, block);
    const float *hi = summaries.maxKey(layer, kvHead, block);
    const float *sum = summaries.sumKey(layer, kvHead, block);
    const std::int32_t count = summaries.count(layer, block);
    const float invCount = count > 0 ? 1.0f / static_cast<float>(count) : 0.0f;
    float bound = 0.0f;
    float mean = 0.0f;
    for (int g = 0; g < groupSize; ++g) {
        const float *q = queries + static_cast<std::size_t>(g) * hd;
        if (kind != BlockSummaryKind::Mean) {
            for (int d = 0; d < hd; ++d)
                bound += std::max(q[d] * lo[d], q[d] * hi[d]);
        }
        if (kind != BlockSummaryKind::MinMax) {
            for (int d = 0; d < hd; ++d)
                mean += q[d] * sum[d];
        }
    }
    mean *= invCount;
    switch (kind) {
    case BlockSummaryKind::MinMax:
        return bound;
    case BlockSummaryKind::Mean:
        return mean;
    case BlockSummaryKind::Mix:
        return 0.5f * (bound + mean);
    }
    return bound;
}

void BlockSelector::select(const SparseAttentionSettings &s,
    const KeySummaries &summaries,
    int layer,
    int kvHead,
    const float *queries,
    int groupSize,
    std::int32_t maxPos,
    std::vector<PositionRange> &out)
{
    out.clear();
    m_scored = 0;
    const std::int32_t bt = summaries.blockTokens();
    const std::int32_t last = maxPos / bt;
    const std::int32_t sinkEnd = std::min(last + 1, (s.sinkTokens + bt - 1) / bt);
    const std::int32_t windowFirst = std::max(sinkEnd, std::max(0, maxPos - s.windowTokens + 1) / bt);
    // Middle blocks are complete (they precede the window); a block the summaries lack is read.
    const std::int32_t summarised = std::max(sinkEnd, std::min(windowFirst, summaries.blockCount(layer)));
    const auto k = static_cast<std::size_t>(s.topKBlocks());
    m_chosen.clear();
    for (std::int32_t b = 0; b < sinkEnd; ++b)
        m_chosen.push_back(b);
    if (static_cast<std::size_t>(summarised - sinkEnd) <= k) {
        for (std::int32_t b = sinkEnd; b < summarised; ++b)
            m_chosen.push_back(b);
    } else {
        m_candidates.clear();
        for (std::int32_t b = sinkEnd; b < summarised; ++b)
            m_candidates.emplace_back(blockScore(s.summary, summaries, layer, kvHead, b, queries, groupSize), b);
        m_scored = summarised - sinkEnd;
        // Higher score first; ties go to the later block, so the choice never depends on sort internals.
        auto better = [](const auto &a, const auto &b) {
            return a.first > b.first || (a.first == b.first && a.second > b.second);
        };
        std::nth_element(
            m_candidates.begin(), m_candidates.begin() + static_cast<std::ptrdiff_t>(k), m_candidates.end(), better);
        for (std::size_t i = 0; i < k; ++i)
            m_chosen.push_back(m_candidates[i].second);
        std::sort(m_chosen.begin() + sinkEnd, m_chosen.end());
    }
    for (std::int32_t b = summarised; b <= last; ++b)
        m_chosen.push_back(b);
    for (std::int32_t b : m_chosen) {
        const std::int32_t first = b * bt;
        const std::int32_t count = std::min(bt, maxPos + 1 - first);
        if (!out.empty() && out.back().first + out.back().count == first)
            out.back().count += count;
        else
            out.push_back({ first, count });
    }
}

std::int64_t rangePositions(std::span<const PositionRange> ranges)
{
    std::int64_t n = 0;
    for (const PositionRange &r : ranges)
        n += r.count;
    return n;
}

} // namespace quire::inference
