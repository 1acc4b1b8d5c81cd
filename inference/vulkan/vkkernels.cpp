#include "vkkernels.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

namespace quire::inference::vk
{

namespace
{

const char *typeSuffix(GgmlType type)
{
    switch (type) {
    case GgmlType::F32:
        return "f32";
    case GgmlType::F16:
        return "f16";
    case GgmlType::BF16:
        return "bf16";
    case GgmlType::Q4_0:
        return "q4_0";
    case GgmlType::Q4_1:
        return "q4_1";
    case GgmlType::Q5_0:
        return "q5_0";
    case GgmlType::Q5_1:
        return "q5_1";
    case GgmlType::Q8_0:
        return "q8_0";
    case GgmlType::Q4_K:
        return "q4_k";
    case GgmlType::Q5_K:
        return "q5_k";
    case GgmlType::Q6_K:
        return "q6_k";
    default:
        return nullptr;
    }
}

std::size_t rowBytes(GgmlType type, std::uint32_t cols)
{
    const GgmlTypeTraits t = ggmlTypeTraits(type);
    return static_cast<std::size_t>(cols) / t.blockSize * t.blockBytes;
}

bool isPlain(GgmlType type)
{
    return type == GgmlType::F32 || type == GgmlType::F16 || type == GgmlType::BF16;
}

// Block types need whole blocks of 32 or 256; plain types take any row length (even for 16-bit ones,
// whose rows start 2-byte aligned at any length, and F32 rows 4-byte aligned).
bool rowLengthSupported(GgmlType type, std::uint32_t cols)
{
    return isPlain(type) ? cols > 0 : cols % static_cast<std::uint32_t>(ggmlTypeTraits(type).blockSize) == 0;
}

std::uint32_t groupsFor(std::uint32_t n, std::uint32_t perGroup)
{
    return (n + perGroup - 1) / perGroup;
}

constexpr std::uint32_t MatVecWorkgroup = 64;
constexpr std::uint32_t MatMatColumns = 8;

} // namespace

Kernels::Kernels(Context &context)
    : m_context(context)
{
}

bool Kernels::supportsType(GgmlType type)
{
    return typeSuffix(type) != nullptr;
}

bool Kernels::supportsMatrix(GgmlType type, std::uint32_t cols)
{
    return supportsType(type) && rowLengthSupported(type, cols);
}

void Kernels::mulMat(Sequence &seq,
    GgmlType type,
    const Buffer &w,
    std::uint32_t rows,
    std::uint32_t cols,
    const Buffer &x,
    std::uint32_t ncols,
    Buffer &y,
    bool accumulate)
{
    const char *suffix = typeSuffix(type);
    if (!suffix || !rowLengthSupported(type, cols))
        throw std::runtime_error("mul_mat: unsupported type or row length");
    const std::uint32_t columnsPerGroup = ncols >= MatMatColumns ? MatMatColumns : 1;
    // Threads per row: a power of two no larger than the row's units of 32, so short rows share a
    // workgroup instead of leaving most of its threads idle.
    const std::uint32_t units = std::max<std::uint32_t>(1, (cols + 31) / 32);
    std::uint32_t threadsPerRow = 1;
    while (threadsPerRow * 2 <= std::min(units, MatVecWorkgroup))
        threadsPerRow *= 2;
    const std::uint32_t rowsPerGroup = MatVecWorkgroup / threadsPerRow;
    Pipeline &pipeline
        = m_context.pipeline(std::string("mul_mat_") + suffix, { MatVecWorkgroup, columnsPerGroup, rowsPerGroup });
    const std::size_t bytesPerRow = rowBytes(type, cols);
    // Rows per binding: within maxStorageBufferRange and a multiple of the offset alignment.
    const std::size_t align = std::max<std::size_t>(1, m_context.info().minStorageBufferOffsetAlignment);
    const std::size_t rowStep = align / std::gcd(align, bytesPerRow);
    std::size_t chunkRows = std::max<std::size_t>(1, (m_context.info().maxStorageBufferRange - 16) / bytesPerRow);
    chunkRows = std::max(rowStep, chunkRows / rowStep * rowStep);
    struct {
        std::uint32_t rows, cols, ncols, xStride, yStride, yOffset, accumulate, rowBytes;
    } push {};
    for (std::size_t first = 0; first < rows; first += chunkRows) {
        const std::uint32_t n = static_cast<std::uint32_t>(std::min<std::size_t>(chunkRows, rows - first));
        push = { n,
            cols,
            ncols,
            cols,
            rows,
            static_cast<std::uint32_t>(first),
            accumulate ? 1u : 0u,
            static_cast<std::uint32_t>(bytesPerRow) };
        // Shaders read whole 32-bit words: round the range up (a row of blocks need not end on a word;
        // Buffer sizes are rounded up to 16 bytes, so the extra word exists).
        const std::size_t offset = first * bytesPerRow;
        const std::size_t range = std::min(w.size() - offset, (n * bytesPerRow + 3) / 4 * 4);
        seq.dispatch(pipeline,
            { Binding(w, offset, range), Binding(x), Binding(y) },
            push,
            groupsFor(n, rowsPerGroup),
            1,
            groupsFor(ncols, columnsPerGroup));
    }
}

void Kernels::getRows(
    Sequence &seq, GgmlType type, const Buffer &w, std::uint32_t cols, const Buffer &ids, std::uint32_t n, Buffer &out)
{
    const char *suffix = typeSuffix(type);
    if (!suffix || !rowLengthSupported(type, cols))
        throw std::runtime_error("get_rows: unsupported type or row length");
    struct {
        std::uint32_t n, cols, rowBytes;
    } push { n, cols, static_cast<std::uint32_t>(rowBytes(type, cols)) };
    seq.dispatch(m_context.pipeline(std::string("get_rows_") + suffix, { 64 }), { w, ids, out }, push, n);
}

void Kernels::rmsNorm(Sequence &seq,
    const Buffer &x,
    const Buffer *weight,
    Buffer &out,
    std::uint32_t rows,
    std::uint32_t cols,
    float eps,
    std::uint32_t weightCols)
{
    struct {
        std::uint32_t rows, cols;
        float eps;
        std::uint32_t hasWeight, weightCols;
    } push { rows, cols, eps, weight ? 1u : 0u, weightCols ? weightCols : cols };
    seq.dispatch(m_context.pipeline("rms_norm", { 256 }), { x, weight ? *weight : x, out }, push, rows);
}

void Kernels::rope(Sequence &seq, Buffer &x, const Buffer &positions, const RopeParams &r)
{
    struct {
        std::uint32_t tokens, heads, headDim, nRot, neox;
        float freqBase, freqScale, extFactor, attnFactor, corrLow, corrHigh;
    } push { r.tokens,
        r.heads,
        r.headDim,
        r.nRot,
        r.neox ? 1u : 0u,
        r.freqBase,
        r.freqScale,
        r.extFactor,
        r.attnFactor,
        r.corrLow,
        r.corrHigh };
    const std::uint32_t threads = r.tokens * r.heads * (r.nRot / 2);
    seq.dispatch(m_context.pipeline("rope"), { x, positions }, push, groupsFor(threads, 64));
}

void Kernels::elementwise(Sequence &seq,
    const char *op,
    const Buffer &a,
    const Buffer &b,
    Buffer &out,
    std::uint32_t n,
    std::uint32_t bSize,
    float factor)
{
    struct {
        std::uint32_t n, bSize;
        float scale;
    } push { n, bSize ? bSize : n, factor };
    seq.dispatch(m_context.pipeline(op), { a, b, out }, push, groupsFor(n, 256));
}

void Kernels::add(Sequence &seq, const Buffer &a, const Buffer &b, Buffer &out, std::uint32_t n, std::uint32_t bSize)
{
    elementwise(seq, "add", a, b, out, n, bSize, 1.f);
}

void Kernels::mul(Sequence &seq, const Buffer &a, const Buffer &b, Buffer &out, std::uint32_t n, std::uint32_t bSize)
{
    elementwise(seq, "mul", a, b, out, n, bSize, 1.f);
}

void Kernels::swiglu(Sequence &seq, const Buffer &gate, const Buffer &up, Buffer &out, std::uint32_t n)
{
    elementwise(seq, "swiglu", gate, up, out, n, n, 1.f);
}

void Kernels::scale(Sequence &seq, const Buffer &a, Buffer &out, std::uint32_t n, float factor)
{
    elementwise(seq, "scale", a, a, out, n, n, factor);
}

void Kernels::softmax(Sequence &seq, Buffer &x, std::uint32_t rows, std::uint32_t cols, float factor)
{
    struct {
        std::uint32_t rows, cols;
        float scale;
    } push { rows, cols, factor };
    seq.dispatch(m_context.pipeline("softmax", { 256 }), { x }, push, rows);
}

void Kernels::argmax(Sequence &seq, const Buffer &x, std::uint32_t rows, std::uint32_t cols, Buffer &out)
{
    struct {
        std::uint32_t rows, cols;
    } push { rows, cols };
    seq.dispatch(m_context.pipeline("argmax", { 256 }), { x, out }, push, rows);
}

void Kernels::kvStore(Sequence &seq,
    const Buffer &src,
    Buffer &cache,
    std::uint32_t n,
    std::uint32_t rowSize,
    std::uint32_t dstRow,
    bool f16)
{
    struct {
        std::uint32_t n, rowSize, dstRow;
    } push { n, rowSize, dstRow };
    const std::uint32_t threads = f16 ? n * rowSize / 2 : n * rowSize;
    seq.dispatch(
        m_context.pipeline(f16 ? "kv_store_f16" : "kv_store_f32"), { src, cache }, push, groupsFor(threads, 256));
}

namespace
{

std::uint32_t chooseSplit(const AttentionParams &p)
{
    if (p.splitLen)
        return p.splitLen;
    // Decode reads the whole cache with one query: split it so every compute unit gets work.
    const std::uint32_t visible = std::min(p.kvLen, p.qPos0 + p.tokens);
    if (p.tokens * p.nHead >= 64 || visible <= 512)
        return std::max<std::uint32_t>(visible, 1);
    return 512;
}

} // namespace

std::size_t Kernels::attentionScratchBytes(const AttentionParams &p)
{
    const std::uint32_t split = chooseSplit(p);
    const std::uint32_t visible = std::max<std::uint32_t>(1, std::min(p.kvLen, p.qPos0 + p.tokens));
    const std::size_t nSplit = (visible + split - 1) / split;
    return nSplit > 1 ? nSplit * p.tokens * p.nHead * (p.headDim + 2) * sizeof(float) : 4;
}

void Kernels::flashAttention(Sequence &seq,
    const Buffer &q,
    const Buffer &k,
    const Buffer &v,
    Buffer &out,
    Buffer &scratch,
    const AttentionParams &p)
{
    if (p.nKvHead == 0 || p.nHead % p.nKvHead != 0 || p.headDim % 2 != 0)
        throw std::runtime_error("flash attention: bad head configuration");
    const std::uint32_t split = chooseSplit(p);
    const std::uint32_t visible = std::max<std::uint32_t>(1, std::min(p.kvLen, p.qPos0 + p.tokens));
    const std::uint32_t nSplit = (visible + split - 1) / split;
    struct {
        std::uint32_t tokens, nHead, nKvHead, kvLen, qPos0, splitLen, nSplit;
        float scale;
    } push { p.tokens, p.nHead, p.nKvHead, p.kvLen, p.qPos0, split, nSplit, p.scale };
    constexpr std::uint32_t wg = 64;
    seq.dispatch(m_context.pipeline(p.kvF16 ? "flash_attn_f16" : "flash_attn_f32", { wg, p.headDim }),
        { q, k, v, out, scratch },
        push,
        p.tokens,
        p.nHead,
        nSplit);
    if (nSplit > 1) {
        struct {
            std::uint32_t tokens, nHead, nSplit;
        } merge { p.tokens, p.nHead, nSplit };
        seq.dispatch(
            m_context.pipeline("flash_attn_merge", { wg, p.headDim }), { scratch, out }, merge, p.tokens, p.nHead);
    }
}

} // namespace quire::inference::vk
