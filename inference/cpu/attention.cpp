#include "inference/cpu/attention.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace quire::inference::cpu
{

void attendHead(const KernelSet &ks,
    const AttentionShape &shape,
    const float *q,
    int kvHead,
    std::span<const KvBlockView> blocks,
    std::int32_t maxPos,
    float *out,
    float *scratch)
{
    const int type = static_cast<int>(shape.kvType);
    const KvScoreFn score = ks.kvScore[type];
    const KvAccumulateFn accumulate = ks.kvAccumulate[type];
    const std::size_t headK
        = static_cast<std::size_t>(kvHead) * static_cast<std::size_t>(shape.blockTokens) * shape.keyRowBytes;
    const std::size_t headV
        = static_cast<std::size_t>(kvHead) * static_cast<std::size_t>(shape.blockTokens) * shape.valueRowBytes;
    std::fill(out, out + shape.headDimV, 0.0f);
    float runningMax = -std::numeric_limits<float>::infinity();
    float runningSum = 0.0f;
    for (const KvBlockView &b : blocks) {
        if (b.firstPos > maxPos)
            break;
        const int count = std::min(b.count, maxPos - b.firstPos + 1);
        if (count <= 0)
            continue;
        score(q, b.keys + headK, shape.keyRowBytes, count, shape.headDimK, scratch);
        const float blockMax = ks.scaleMax(scratch, count, shape.scale);
        const float newMax = std::max(runningMax, blockMax);
        // Rescale what was accumulated under the old maximum.
        const float correction = std::exp(runningMax - newMax);
        if (correction != 1.0f) {
            for (int i = 0; i < shape.headDimV; ++i)
                out[i] *= correction;
            runningSum *= correction;
        }
        runningSum += ks.expSum(scratch, count, newMax);
        runningMax = newMax;
        accumulate(scratch, b.values + headV, shape.valueRowBytes, count, shape.headDimV, out);
    }
    const float inv = runningSum > 0.0f ? 1.0f / runningSum : 0.0f;
    for (int i = 0; i < shape.headDimV; ++i)
        out[i] *= inv;
}

} // namespace quire::inference::cpu
