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

// How a weight matrix is laid out on the device. Split: each Q8_0 / Q4_0 row holds its quants (whole
// 16-byte chunks), then its f16 block scales, then padding to 16 bytes, so that the chunked
// matrix-vector kernel reads it with 16-byte loads. Ggml: as in the file.
enum class WeightLayout { Ggml, Split };

// How the KV cache stores its rows on the device. Q8_0 rows hold the quants of ggml's Q8_0 blocks (one
// signed byte per element, four per word) followed by their f16 scales (two per word), padded to 16 bytes:
// the same values as the CPU backend's Q8_0 cache, in 16-byte chunks.
enum class KvFormat { F32, F16, Q8_0 };

struct AttentionParams {
    std::uint32_t tokens = 0; // queries
    std::uint32_t nHead = 0;
    std::uint32_t nKvHead = 0;
    std::uint32_t headDim = 0;
    std::uint32_t kvLen = 0; // valid rows in the cache
    std::uint32_t qPos0 = 0; // position of the first query (causal mask)
    float scale = 1.f;
    KvFormat kv = KvFormat::F16;
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

    // The layout the kernels read fastest on this device.
    static WeightLayout preferredLayout(const DeviceInfo &info, GgmlType type, std::uint32_t cols);
    static std::size_t weightRowBytes(GgmlType type, std::uint32_t cols, WeightLayout layout);
    // Rewrites `rows` rows of the file's layout into `layout` (dst holds rows * weightRowBytes()).
    static void packRows(
        GgmlType type, std::uint32_t cols, std::size_t rows, const void *src, void *dst, WeightLayout layout);

    // y[c][yOffset + r] (+)= sum_k W[r][k] x[c][k], for r < rows, c < ncols. W in `type` and `layout`, rows
    // of `cols`. W is read in windows of rows within Context::maxBindingBytes().
    void mulMat(Sequence &seq,
        GgmlType type,
        const Buffer &w,
        std::uint32_t rows,
        std::uint32_t cols,
        const Buffer &x,
        std::uint32_t ncols,
        Buffer &y,
        bool accumulate = false,
        WeightLayout layout = WeightLayout::Ggml);
    // y[c][r] = silu(G[r] x[c]) * (U[r] x[c]): gate, up and SwiGLU in one dispatch. False (nothing recorded)
    // where the chunked kernel cannot run (no subgroup arithmetic, rows not of 16-byte chunks).
    bool mulMatGlu(Sequence &seq,
        GgmlType type,
        const Buffer &gate,
        const Buffer &up,
        std::uint32_t rows,
        std::uint32_t cols,
        const Buffer &x,
        std::uint32_t ncols,
        Buffer &y,
        WeightLayout layout = WeightLayout::Ggml);
    // out[i][:] = dequant(W[ids[i]][:]).
    void getRows(Sequence &seq,
        GgmlType type,
        const Buffer &w,
        std::uint32_t cols,
        const Buffer &ids,
        std::uint32_t n,
        Buffer &out,
        WeightLayout layout = WeightLayout::Ggml);
    // weight may be null; it repeats every weightCols elements (0: cols).
    void rmsNorm(Sequence &seq,
        const Buffer &x,
        const Buffer *weight,
        Buffer &out,
        std::uint32_t rows,
        std::uint32_t cols,
        float eps,
        std::uint32_t weightCols = 0);
    // Rotates x ([tokens][params.heads][headDim]) and, in the same dispatch, keys ([tokens][kvHeads][headDim]).
    void rope(Sequence &seq,
        Buffer &x,
        const Buffer &positions,
        const RopeParams &params,
        Buffer *keys = nullptr,
        std::uint32_t kvHeads = 0);
    void add(Sequence &seq, const Buffer &a, const Buffer &b, Buffer &out, std::uint32_t n, std::uint32_t bSize);
    void mul(Sequence &seq, const Buffer &a, const Buffer &b, Buffer &out, std::uint32_t n, std::uint32_t bSize);
    void swiglu(Sequence &seq, const Buffer &gate, const Buffer &up, Buffer &out, std::uint32_t n);
    void scale(Sequence &seq, const Buffer &a, Buffer &out, std::uint32_t n, float factor);
    void softmax(Sequence &seq, Buffer &x, std::uint32_t rows, std::uint32_t cols, float scale = 1.f);
    void argmax(Sequence &seq, const Buffer &x, std::uint32_t rows, std::uint32_t cols, Buffer &out);
    // Bytes of one cache row of `width` elements (Q8_0: width a multiple of 32).
    static std::size_t kvRowBytes(KvFormat format, std::uint32_t width);
    // Writes n rows of rowSize floats into the cache at dstRow; with src2 and cache2, also those (V beside
    // K, same shape) in the same dispatch.
    void kvStore(Sequence &seq,
        const Buffer &src,
        Buffer &cache,
        std::uint32_t n,
        std::uint32_t rowSize,
        std::uint32_t dstRow,
        KvFormat format,
        const Buffer *src2 = nullptr,
        Buffer *cache2 = nullptr);
    // Q [tokens][nHead][D] f32 → out [tokens][nHead][D]; `scratch` holds split partials
    // (attentionScratchBytes()). Caches larger than one binding are read in windows, merged as splits.
    void flashAttention(Sequence &seq,
        const Buffer &q,
        const Buffer &k,
        const Buffer &v,
        Buffer &out,
        Buffer &scratch,
        const AttentionParams &params);
    std::size_t attentionScratchBytes(const AttentionParams &params) const;

    // Rows of rowBytes that one binding may hold: within Context::maxBindingBytes() (less 16 bytes, as
    // shaders read whole words past a row's end), a multiple of the offset alignment.
    std::size_t rowsPerBinding(std::size_t rowBytes) const;

private:
    struct RowGrid {
        std::uint32_t rowsPerGroup = 1;
        std::uint32_t columnsPerGroup = 1;
        std::size_t rowBytes = 0;
    };
    // The chunked matrix-vector pipeline of `family` for these rows and its grid, or null where it cannot run.
    Pipeline *chunkedPipeline(
        const char *family, GgmlType type, std::uint32_t cols, WeightLayout layout, std::uint32_t ncols, RowGrid *grid);
    // Records a matrix product over windows of W's rows (w2: GLU's second matrix, the same windows).
    void dispatchRows(Sequence &seq,
        Pipeline &pipeline,
        const RowGrid &grid,
        const Buffer &w,
        const Buffer *w2,
        std::uint32_t rows,
        std::uint32_t cols,
        const Buffer &x,
        std::uint32_t ncols,
        Buffer &y,
        bool accumulate);

    struct AttentionPlan {
        std::uint32_t splitLen = 0; // keys per split
        std::uint32_t windowRows = 0; // keys per binding window (a multiple of splitLen)
        std::uint32_t nSplit = 0; // in all windows
    };
    AttentionPlan planAttention(const AttentionParams &params) const;

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
