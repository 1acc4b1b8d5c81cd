#pragma once

#include "inference/backend.h"
#include "inference/cpu/attention.h"
#include "inference/cpu/matmul.h"
#include "inference/cpu/ops.h"
#include "inference/cpu/sparseattend.h"
#include "inference/kvsnapshot.h"

#include <array>
#include <functional>
#include <memory>
#include <vector>

namespace quire::inference::cpu
{

class ThreadPool;

// One sequence evaluated on the CPU: the forward pass of llama / qwen2 / qwen3 over micro-batches,
// with a paged KV cache.
class CpuContext final : public EvalContext
{
public:
    CpuContext(const Model &model,
        std::shared_ptr<ThreadPool> pool,
        const KernelSet &ks,
        std::unique_ptr<KvCache> cache,
        const ContextConfig &config);
    ~CpuContext() override;

    std::int32_t length() const override { return m_cache->length(); }
    std::int32_t capacity() const override { return m_cache->capacity(); }
    void truncate(std::int32_t n) override
    {
        m_cache->truncate(n);
        if (m_sparse)
            m_sparse->truncate(n);
    }
    Expected<void> decode(std::span<const std::int32_t> tokens,
        LogitsMode mode,
        std::vector<float> &logits,
        const CancelToken *cancel) override;
    Expected<void> savePrefix(const std::string &path, std::span<const std::int32_t> tokens) override;
    Expected<std::vector<std::int32_t>> loadPrefix(const std::string &path) override;
    std::size_t kvBytes() const override { return m_cache->bytesAllocated(); }

    const KvCache &cache() const { return *m_cache; }
    // The sparse-attention state (block summaries, counters); nullptr when created in dense mode.
    SparseAttender *sparse() { return m_sparse.get(); }

private:
    KvSnapshotBinding binding() const;
    void forward(std::span<const std::int32_t> tokens, std::int32_t pos0, int firstLogitRow, float *logits);
    void attentionLayer(int layer, int n, std::int32_t pos0);
    void prepareQkv(int layer, int n, std::int32_t pos0);
    void attend(int layer, int n, std::int32_t pos0);
    void feedForward(int layer, int n);
    void project(const Weight &w, const float *x, std::size_t xStride, int n, float *y, std::size_t yStride);
    // x (n rows, xStride apart) encoded for products with w; each format is encoded once per input, until
    // newInput() says x changed.
    const EncodedRows &encoded(const Weight &w, const float *x, std::size_t xStride, int n);
    void newInput() { m_encodedFresh.fill(false); }
    void forTokens(int n, const std::function<void(int t)> &fn);

    const Model &m_model;
    const HParams &m_hp;
    std::shared_ptr<ThreadPool> m_pool;
    const KernelSet &m_ks;
    std::unique_ptr<KvCache> m_cache;
    ContextConfig m_config;
    Rope m_rope;
    AttentionShape m_shape;

    std::vector<float> m_x; // residual stream [n][nEmbd]
    std::vector<float> m_xn; // normalised input of the current sub-layer
    std::vector<float> m_q; // [n][qWidth]
    std::vector<float> m_k; // [n][kvWidth]
    std::vector<float> m_v; // [n][vWidth]
    std::vector<float> m_attn; // [n][nHead * headDimV]
    std::vector<float> m_tmp; // [n][nEmbd]
    std::vector<float> m_gate; // [n][nFf]
    std::vector<float> m_up; // [n][nFf]
    std::vector<float> m_scratch; // per thread: scores of one block
    std::vector<float> m_angles; // [n][rope pairs * 2]: cos/sin of each position of the micro-batch
    std::array<EncodedRows, kActFormatCount> m_encoded;
    std::array<bool, kActFormatCount> m_encodedFresh {};
    std::vector<KvBlockView> m_blocks;
    std::unique_ptr<SparseAttender> m_sparse;
};

} // namespace quire::inference::cpu
