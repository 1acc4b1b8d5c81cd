#include "inference/cpu/sparseattend.h"

#include "inference/cpu/threadpool.h"

#include <algorithm>

namespace quire::inference::cpu
{

void rangeViews(const KvCache &cache, int layer, std::span<const PositionRange> ranges, std::vector<KvBlockView> &views)
{
    views.clear();
    const std::int32_t bt = cache.config().blockTokens;
    for (const PositionRange &r : ranges) {
        std::int32_t pos = r.first;
        const std::int32_t end = r.first + r.count;
        while (pos < end) {
            const std::int32_t block = pos / bt;
            const std::int32_t offset = pos - block * bt;
            KvBlockView v = cache.block(layer, block);
            v.keys += static_cast<std::size_t>(offset) * cache.keyRowBytes();
            v.values += static_cast<std::size_t>(offset) * cache.valueRowBytes();
            v.firstPos = pos;
            v.count = std::min(end, (block + 1) * bt) - pos;
            views.push_back(v);
            pos += v.count;
        }
    }
}

SparseAttender::SparseAttender(const SparseAttentionSettings &settings, const HParams &hp, int threads)
    : m_settings(settings)
    , m_nHead(hp.nHead)
    , m_nHeadKv(hp.nHeadKv)
    , m_headDimK(hp.headDimK)
    , m_headDimV(hp.headDimV)
    , m_summaries(hp.nLayer, hp.nHeadKv, hp.headDimK, settings.blockTokens)
    , m_scratch(static_cast<std::size_t>(std::max(1, threads)))
{
}

void SparseAttender::appendKeys(int layer, std::int32_t pos0, int n, const float *keys, std::size_t stride)
{
    m_summaries.append(layer, pos0, n, keys, stride);
}

void SparseAttender::attend(ThreadPool &pool,
    const KernelSet &ks,
    const AttentionShape &shape,
    const KvCache &cache,
    int layer,
    const float *q,
    std::size_t qStride,
    int n,
    std::int32_t pos0,
    float *out,
    std::size_t outStride)
{
    // Prefill selects once per chunk of blockTokens queries (scored with the chunk's summed queries), so
    // the indexer costs a pass over the summaries per chunk, not per token. The batch's last position,
    // the one whose logits are read, always selects on its own.
    if (m_scratch.size() < static_cast<std::size_t>(pool.size()))
        m_scratch.resize(static_cast<std::size_t>(pool.size()));
    const int chunk = std::max(1, m_settings.blockTokens);
    const int lastAlone = n > 1 ? 1 : 0;
    const int chunks = (n - lastAlone + chunk - 1) / chunk + lastAlone;
    auto body = [&](std::int64_t begin, std::int64_t end, int thread) {
        Scratch &s = m_scratch[static_cast<std::size_t>(thread)];
        for (std::int64_t item = begin; item < end; ++item) {
            const int c = static_cast<int>(item / m_nHeadKv);
            const int g = static_cast<int>(item % m_nHeadKv);
            const int t0 = lastAlone && c == chunks - 1 ? n - 1 : c * chunk;
            const int t1 = lastAlone && c == chunks - 1 ? n : std::min(n - lastAlone, t0 + chunk);
            attendChunk(s, ks, shape, cache, layer, g, q, qStride, t0, t1, pos0, out, outStride);
        }
    };
    pool.parallelFor(static_cast<std::int64_t>(chunks) * m_nHeadKv, 1, body);
}

void SparseAttender::attendChunk(Scratch &s,
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
    std::size_t outStride)
{
    const int ratio = m_nHead / m_nHeadKv;
    const std::size_t groupWidth = static_cast<std::size_t>(ratio) * m_headDimK;
    const float *groupQ = q + static_cast<std::size_t>(t0) * qStride + static_cast<std::size_t>(g) * groupWidth;
    if (t1 - t0 > 1) {
        s.summed.assign(groupWidth, 0.0f);
        for (int t = t0; t < t1; ++t) {
            const float *row = q + static_cast<std::size_t>(t) * qStride + static_cast<std::size_t>(g) * groupWidth;
            for (std::size_t i = 0; i < groupWidth; ++i)
                s.summed[i] += row[i];
        }
        groupQ = s.summed.data();
    }
    s.selector.select(m_settings, m_summaries, layer, g, groupQ, ratio, pos0 + t0, s.ranges);
    s.stats.blocksScored += s.selector.lastScoredBlocks();
    s.scores.resize(static_cast<std::size_t>(shape.blockTokens));
    for (int t = t0; t < t1; ++t) {
        const std::int32_t pos = pos0 + t;
        // Later queries of the chunk also read the positions up to themselves.
        PositionRange &tail = s.ranges.back();
        tail.count = pos + 1 - tail.first;
        rangeViews(cache, layer, s.ranges, s.views);
        s.stats.queries += 1;
        s.stats.positionsRead += rangePositions(s.ranges);
        for (int h = g * ratio; h < (g + 1) * ratio; ++h) {
            const float *qh = q + static_cast<std::size_t>(t) * qStride + static_cast<std::size_t>(h) * m_headDimK;
            float *o = out + static_cast<std::size_t>(t) * outStride + static_cast<std::size_t>(h) * m_headDimV;
            attendHead(ks, shape, qh, g, s.views, pos, o, s.scores.data());
        }
    }
}

SparseStats SparseAttender::stats() const
{
    SparseStats total;
    for (const Scratch &s : m_scratch) {
        total.queries += s.stats.queries;
        total.positionsRead += s.stats.positionsRead;
        total.blocksScored += s.stats.blocksScored;
    }
    return total;
}

void SparseAttender::resetStats()
{
    for (Scratch &s : m_scratch)
        s.stats = {};
}

} // namespace quire::inference::cpu
