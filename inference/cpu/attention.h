#pragma once

#include "inference/cpu/kernels.h"
#include "inference/kvcache.h"

#include <cstdint>
#include <span>

namespace quire::inference::cpu
{

struct AttentionShape {
    int headDimK = 0;
    int headDimV = 0;
    int blockTokens = 0;
    KvType kvType = KvType::F16;
    std::size_t keyRowBytes = 0;
    std::size_t valueRowBytes = 0;
    float scale = 1.0f; // 1 / sqrt(headDimK)
};

// Flash-style attention of one query head over a list of KV blocks: scores are computed a block at a
// time and folded into a running softmax (maximum, sum, weighted values), so no score matrix is ever
// materialised. Only positions <= maxPos take part (the causal mask). The block list is the seam for
// sparse attention: pass any subset of the cache's blocks, in position order.
// scratch holds at least blockTokens floats; out receives headDimV floats.
void attendHead(const KernelSet &ks,
    const AttentionShape &shape,
    const float *q,
    int kvHead,
    std::span<const KvBlockView> blocks,
    std::int32_t maxPos,
    float *out,
    float *scratch);

} // namespace quire::inference::cpu
