#pragma once

#include "inference/ggmltype.h"
#include "vksequence.h"

#include <cstdint>

namespace quire::inference::vk
{

struct RopeParams {
    std::uint32_t tokens = 0;
    std::uint32_t heads = 0;
    std::uint32_t headDim = 0;
    std::uint32_t nRot = 0;
    bool neox = false;
    float freqBase = 10000.f;
    float freqScale = 1.f;
    float extFactor = 0.f;
    float attnFactor = 1.f;
    float corrLow = 0.f;
    float corrHigh = 0.f;
};

struct AttentionParams {
    std::uint32_t tokens = 0; // queries
    std::uint32_t nHead = 0;
    std::uint32_t nKvHead = 0;
    std::uint32_t headDim = 0;
    std::uint32_t kvLen = 0; // valid rows in the cache
    std::uint32_t qPos0 = 0; // position of the first query (causal mask)
    float scale = 1.f;
    bool kvF16 = true;
    std::uint32_t splitLen = 0; // keys per split; 0 chooses (decode over long caches splits)
};

// The kernel library: records typed operations into a Sequence. All tensors are f32 unless a
// ggml type says otherwise; layouts are row-major with ggml's row = ne[0] contiguous.
class Kernels
{
public:
    explicit Kernels(Context &context);

    static bool supportsType(GgmlType type);
    // Block types need rows of whole blocks; F32/F16/BF16 rows of any length.
    static bool supportsMatrix(GgmlType type, std::uint32_t cols);

    // y[c][yOffset + r] (+)= sum_k W[r][k] x[c][k], for r < rows, c < ncols. W in `type`, rows of `cols`.
    // W is split into bindings within the device's maxStorageBufferRange.
    void mulMat(Sequence &seq,
        GgmlType type,
        const Buffer &w,
        std::uint32_t rows,
        std::uint32_t cols,
        const Buffer &x,
        std::uint32_t ncols,
        Buffer &y,
        bool accumulate = false);
    // out[i][:] = dequant(W[ids[i]][:]).
    void getRows(Sequence &seq,
        GgmlType type,
        const Buffer &w,
        std::uint32_t cols,
        const Buffer &ids,
        std::uint32_t n,
        Buffer &out);
    // weight may be null; it repeats every weightCols elements (0: cols).
    void rmsNorm(Sequence &seq,
        const Buffer &x,
        const Buffer *weight,
        Buffer &out,
        std::uint32_t rows,
        std::uint32_t cols,
        float eps,
        std::uint32_t weightCols = 0);
    void rope(Sequence &seq, Buffer &x, const Buffer &positions, const RopeParams &params);
    void add(Sequence &seq, const Buffer &a, const Buffer &b, Buffer &out, std::uint32_t n, std::uint32_t bSize);
    void mul(Sequence &seq, const Buffer &a, const Buffer &b, Buffer &out, std::uint32_t n, std::uint32_t bSize);
    void swiglu(Sequence &seq, const Buffer &gate, const Buffer &up, Buffer &out, std::uint32_t n);
    void scale(Sequence &seq, const Buffer &a, Buffer &out, std::uint32_t n, float factor);
    void softmax(Sequence &seq, Buffer &x, std::uint32_t rows, std::uint32_t cols, float scale = 1.f);
    void argmax(Sequence &seq, const Buffer &x, std::uint32_t rows, std::uint32_t cols, Buffer &out);
    // Writes n rows of rowSize floats into the cache at dstRow (f16 or f32 cache).
    void kvStore(Sequence &seq,
        const Buffer &src,
        Buffer &cache,
        std::uint32_t n,
        std::uint32_t rowSize,
        std::uint32_t dstRow,
        bool f16);
    // Q [tokens][nHead][D] f32 → out [tokens][nHead][D]; `scratch` holds split partials
    // (attentionScratchBytes()).
    void flashAttention(Sequence &seq,
        const Buffer &q,
        const Buffer &k,
        const Buffer &v,
        Buffer &out,
        Buffer &scratch,
        const AttentionParams &params);
    static std::size_t attentionScratchBytes(const AttentionParams &params);

private:
    void elementwise(Sequence &seq,
        const char *op,
        const Buffer &a,
        const Buffer &b,
        Buffer &out,
        std::uint32_t n,
        std::uint32_t bSize,
        float factor);

    Context &m_context;
};

} // namespace quire::inference::vk
