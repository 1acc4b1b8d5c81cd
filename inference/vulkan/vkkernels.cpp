#include "vkkernels.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
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

// The chunked matrix-vector kernel needs subgroup arithmetic (QUIRE_VK_NO_MUL_MAT_VEC=1 turns it off, to
// compare with the word kernel).
bool chunkedKernels(const DeviceInfo &info)
{
    static const bool off = std::getenv("QUIRE_VK_NO_MUL_MAT_VEC") != nullptr;
    return !off && info.subgroupArithmetic && info.subgroupSize > 0 && info.subgroupSize <= MatVecWorkgroup;
}

bool splittable(GgmlType type)
{
    return type == GgmlType::Q8_0 || type == GgmlType::Q4_0;
}

std::string pipelineSuffix(GgmlType type, WeightLayout layout)
{
    return std::string(typeSuffix(type)) + (layout == WeightLayout::Split ? "s" : "");
}

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

WeightLayout Kernels::preferredLayout(const DeviceInfo &info, GgmlType type, std::uint32_t cols)
{
    return splittable(type) && cols % 32 == 0 && chunkedKernels(info) ? WeightLayout::Split : WeightLayout::Ggml;
}

std::size_t Kernels::weightRowBytes(GgmlType type, std::uint32_t cols, WeightLayout layout)
{
    if (layout == WeightLayout::Ggml)
        return rowBytes(type, cols);
    const std::size_t quants = type == GgmlType::Q8_0 ? cols : cols / 2;
    return (quants + cols / 32 * 2 + 15) / 16 * 16;
}

void Kernels::packRows(
    GgmlType type, std::uint32_t cols, std::size_t rows, const void *src, void *dst, WeightLayout layout)
{
    const std::size_t from = rowBytes(type, cols), to = weightRowBytes(type, cols, layout);
    const auto *in = static_cast<const std::uint8_t *>(src);
    auto *out = static_cast<std::uint8_t *>(dst);
    if (layout == WeightLayout::Ggml || !splittable(type)) {
        for (std::size_t r = 0; r < rows; ++r)
            std::memcpy(out + r * to, in + r * from, from);
        return;
    }
    // Both block types start with their f16 scale, then 32 (Q8_0) or 16 (Q4_0) bytes of quants.
    const std::size_t quants = type == GgmlType::Q8_0 ? 32 : 16, block = quants + 2, blocks = cols / 32;
    for (std::size_t r = 0; r < rows; ++r) {
        const std::uint8_t *row = in + r * from;
        std::uint8_t *packed = out + r * to;
        std::memset(packed, 0, to);
        for (std::size_t b = 0; b < blocks; ++b) {
            std::memcpy(packed + b * quants, row + b * block + 2, quants);
            std::memcpy(packed + blocks * quants + b * 2, row + b * block, 2);
        }
    }
}

std::size_t Kernels::rowsPerBinding(std::size_t bytesPerRow) const
{
    const std::size_t align = std::max<std::size_t>(1, m_context.info().minStorageBufferOffsetAlignment);
    const std::size_t rowStep = align / std::gcd(align, bytesPerRow);
    const std::size_t limit = m_context.maxBindingBytes();
    const std::size_t rows = std::max<std::size_t>(1, (limit > 16 ? limit - 16 : 0) / bytesPerRow);
    return std::max(rowStep, rows / rowStep * rowStep);
}

void Kernels::mulMat(Sequence &seq,
    GgmlType type,
    const Buffer &w,
    std::uint32_t rows,
    std::uint32_t cols,
    const Buffer &x,
    std::uint32_t ncols,
    Buffer &y,
    bool accumulate,
    WeightLayout layout)
{
    const char *suffix = typeSuffix(type);
    if (!suffix || !rowLengthSupported(type, cols))
        throw std::runtime_error("mul_mat: unsupported type or row length");
    RowGrid grid;
    Pipeline *chosen = chunkedPipeline("mul_mat_vec_", type, cols, layout, ncols, &grid);
    if (layout == WeightLayout::Split && !chosen)
        throw std::runtime_error("mul_mat: the split layout needs subgroup arithmetic");
    if (!chosen) {
        // The word kernel. Threads per row: a power of two no larger than the row's units of 32, so short
        // rows share a workgroup instead of leaving most of its threads idle.
        const std::uint32_t units = std::max<std::uint32_t>(1, (cols + 31) / 32);
        std::uint32_t threadsPerRow = 1;
        while (threadsPerRow * 2 <= std::min(units, MatVecWorkgroup))
            threadsPerRow *= 2;
        grid = { MatVecWorkgroup / threadsPerRow, ncols >= MatMatColumns ? MatMatColumns : 1u, rowBytes(type, cols) };
        chosen = &m_context.pipeline(
            std::string("mul_mat_") + suffix, { MatVecWorkgroup, grid.columnsPerGroup, grid.rowsPerGroup });
    }
    dispatchRows(seq, *chosen, grid, w, nullptr, rows, cols, x, ncols, y, accumulate);
}

bool Kernels::mulMatGlu(Sequence &seq,
    GgmlType type,
    const Buffer &gate,
    const Buffer &up,
    std::uint32_t rows,
    std::uint32_t cols,
    const Buffer &x,
    std::uint32_t ncols,
    Buffer &y,
    WeightLayout layout)
{
    if (!typeSuffix(type) || !rowLengthSupported(type, cols))
        return false;
    RowGrid grid;
    Pipeline *pipeline = chunkedPipeline("mul_mat_vec_glu_", type, cols, layout, ncols, &grid);
    if (!pipeline)
        return false;
    dispatchRows(seq, *pipeline, grid, gate, &up, rows, cols, x, ncols, y, false);
    return true;
}

Pipeline *Kernels::chunkedPipeline(
    const char *family, GgmlType type, std::uint32_t cols, WeightLayout layout, std::uint32_t ncols, RowGrid *grid)
{
    // Rows of whole 16-byte chunks (plain types, split Q8_0 / Q4_0) on a device with subgroup arithmetic.
    const DeviceInfo &info = m_context.info();
    const std::size_t bytesPerRow = weightRowBytes(type, cols, layout);
    if (!chunkedKernels(info)
        || !((isPlain(type) && bytesPerRow % 16 == 0 && cols % 4 == 0) || layout == WeightLayout::Split))
        return nullptr;
    // Vectors: 2 rows a pass (1 and 4 were slower on lavapipe). Batches: each chunk of W serves 8 columns
    // (split types 4: their chunks hold 16-32 values, whose x would not stay in registers for 8) and each
    // chunk of x serves 16 rows (split types 32). Measured on lavapipe for pp512 (CPU seconds): f16 8 x 4
    // 2.88, 8 x 16 2.06, 8 x 32 1.97; q4_0 8 x 4 7.35, 4 x 4 5.51, 4 x 16 4.03, 4 x 32 3.27.
    const bool split = layout == WeightLayout::Split;
    const bool batch = ncols >= MatMatColumns;
    const std::uint32_t columns = batch ? (split ? 4 : MatMatColumns) : 1;
    const std::uint32_t rowsPerPass = batch ? (split ? 32 : 16) : 2;
    const std::uint32_t groups = MatVecWorkgroup / info.subgroupSize;
    *grid = { groups * rowsPerPass, columns, bytesPerRow };
    return &m_context.pipeline(
        family + pipelineSuffix(type, layout), { MatVecWorkgroup, columns, rowsPerPass, groups });
}

void Kernels::dispatchRows(Sequence &seq,
    Pipeline &pipeline,
    const RowGrid &grid,
    const Buffer &w,
    const Buffer *w2,
    std::uint32_t rows,
    std::uint32_t cols,
    const Buffer &x,
    std::uint32_t ncols,
    Buffer &y,
    bool accumulate)
{
    const std::size_t bytesPerRow = grid.rowBytes;
    const std::size_t chunkRows = rowsPerBinding(bytesPerRow);
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
        std::vector<Binding> bindings { Binding(w, offset, range), Binding(x), Binding(y) };
        if (w2)
            bindings.emplace_back(*w2, offset, range);
        seq.dispatch(
            pipeline, bindings, push, groupsFor(n, grid.rowsPerGroup), 1, groupsFor(ncols, grid.columnsPerGroup));
    }
}

void Kernels::getRows(Sequence &seq,
    GgmlType type,
    const Buffer &w,
    std::uint32_t cols,
    const Buffer &ids,
    std::uint32_t n,
    Buffer &out,
    WeightLayout layout)
{
    const char *suffix = typeSuffix(type);
    if (!suffix || !rowLengthSupported(type, cols))
        throw std::runtime_error("get_rows: unsupported type or row length");
    // The embedding matrix is read in windows of rows that each fit one binding; every window's dispatch
    // writes the ids that fall inside it.
    const std::size_t bytesPerRow = weightRowBytes(type, cols, layout);
    const std::size_t windowRows = rowsPerBinding(bytesPerRow);
    const std::size_t rows = w.size() / bytesPerRow;
    Pipeline &pipeline = m_context.pipeline("get_rows_" + pipelineSuffix(type, layout), { 64 });
    for (std::size_t first = 0; first < rows; first += windowRows) {
        const std::size_t count = std::min(windowRows, rows - first);
        struct {
            std::uint32_t n, cols, rowBytes, rowBegin, rowCount;
        } push { n,
            cols,
            static_cast<std::uint32_t>(bytesPerRow),
            static_cast<std::uint32_t>(first),
            static_cast<std::uint32_t>(count) };
        const std::size_t offset = first * bytesPerRow;
        const std::size_t range = std::min(w.size() - offset, (count * bytesPerRow + 3) / 4 * 4);
        seq.dispatch(pipeline, { Binding(w, offset, range), ids, out }, push, n);
    }
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

void Kernels::rope(
    Sequence &seq, Buffer &x, const Buffer &positions, const RopeParams &r, Buffer *keys, std::uint32_t kvHeads)
{
    if (!keys)
        kvHeads = 0;
    struct {
        std::uint32_t tokens, heads, headDim, nRot, neox;
        float freqBase, freqScale, extFactor, attnFactor, corrLow, corrHigh;
        std::uint32_t kvHeads;
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
        r.corrHigh,
        kvHeads };
    const std::uint32_t threads = r.tokens * (r.heads + kvHeads) * (r.nRot / 2);
    seq.dispatch(m_context.pipeline("rope"), { x, positions, keys ? *keys : x }, push, groupsFor(threads, 64));
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

std::size_t Kernels::kvRowBytes(KvFormat format, std::uint32_t width)
{
    switch (format) {
    case KvFormat::F32:
        return std::size_t(width) * 4;
    case KvFormat::F16:
        return std::size_t(width) * 2;
    case KvFormat::Q8_0:
        return (width + (width / 32 + 1) / 2 * 4 + 15) / 16 * 16;
    }
    return 0;
}

void Kernels::kvStore(Sequence &seq,
    const Buffer &src,
    Buffer &cache,
    std::uint32_t n,
    std::uint32_t rowSize,
    std::uint32_t dstRow,
    KvFormat format,
    const Buffer *src2,
    Buffer *cache2)
{
    if (format == KvFormat::Q8_0 && rowSize % 32 != 0)
        throw std::runtime_error("kv_store: Q8_0 rows need a multiple of 32 elements");
    const char *name = format == KvFormat::F32 ? "kv_store_f32"
        : format == KvFormat::F16              ? "kv_store_f16"
                                               : "kv_store_q8_0";
    // Bind the rows written (from an aligned row before them): the cache may be larger than one binding.
    const std::size_t bytesPerRow = kvRowBytes(format, rowSize);
    const std::size_t align = std::max<std::size_t>(1, m_context.info().minStorageBufferOffsetAlignment);
    const std::size_t rowStep = align / std::gcd(align, bytesPerRow);
    // Chunks (only when the rows written exceed one binding) start the source at an aligned offset too.
    const std::size_t srcStep = align / std::gcd(align, std::size_t(rowSize) * 4);
    const std::size_t fit = rowsPerBinding(bytesPerRow) > rowStep ? rowsPerBinding(bytesPerRow) - rowStep : 1;
    const std::size_t chunk = std::max(srcStep, fit / srcStep * srcStep);
    for (std::uint32_t done = 0; done < n;) {
        const auto rows = static_cast<std::uint32_t>(std::min<std::size_t>(chunk, n - done));
        const std::size_t first = (dstRow + done) / rowStep * rowStep;
        const std::size_t offset = first * bytesPerRow;
        const std::size_t range = std::min(cache.size() - offset, (dstRow + done + rows - first) * bytesPerRow);
        struct {
            std::uint32_t n, rowSize, dstRow, pair;
        } push { rows, rowSize, static_cast<std::uint32_t>(dstRow + done - first), src2 && cache2 ? 1u : 0u };
        const std::uint32_t threads = format == KvFormat::F32 ? rows * rowSize
            : format == KvFormat::F16                         ? rows * rowSize / 2
                                                              : rows * ((rowSize / 32 + 1) / 2);
        const Binding from(src, std::size_t(done) * rowSize * 4, std::size_t(rows) * rowSize * 4);
        const Binding to(cache, offset, range);
        const Binding from2 = push.pair ? Binding(*src2, from.offset, from.range) : from;
        const Binding to2 = push.pair ? Binding(*cache2, offset, std::min(cache2->size() - offset, range)) : to;
        seq.dispatch(
            m_context.pipeline(name), { from, to, from2, to2 }, push, groupsFor(threads * (1 + push.pair), 256));
        done += rows;
    }
}

Kernels::AttentionPlan Kernels::planAttention(const AttentionParams &p) const
{
    const std::uint32_t visible = std::max<std::uint32_t>(1, std::min(p.kvLen, p.qPos0 + p.tokens));
    AttentionPlan plan;
    // Decode reads the whole cache with one query: split it so every compute unit gets work.
    plan.splitLen = p.splitLen ? p.splitLen : (p.tokens * p.nHead >= 64 || visible <= 512) ? visible : 512;
    const auto window = static_cast<std::uint32_t>(std::min<std::size_t>(
        rowsPerBinding(kvRowBytes(p.kv, p.nKvHead * p.headDim)), std::numeric_limits<std::uint32_t>::max()));
    if (visible > window) {
        // Windows of whole splits: every window's splits are merged like the splits of one binding.
        const std::size_t align = std::max<std::size_t>(1, m_context.info().minStorageBufferOffsetAlignment);
        const std::size_t rowBytes = kvRowBytes(p.kv, p.nKvHead * p.headDim);
        const auto rowStep = static_cast<std::uint32_t>(align / std::gcd(align, rowBytes));
        plan.splitLen = std::min(plan.splitLen, window);
        plan.splitLen = std::max(rowStep, plan.splitLen / rowStep * rowStep);
        plan.windowRows = std::max(plan.splitLen, window / plan.splitLen * plan.splitLen);
    } else {
        plan.windowRows = visible;
    }
    plan.nSplit = (visible + plan.splitLen - 1) / plan.splitLen;
    return plan;
}

std::size_t Kernels::attentionScratchBytes(const AttentionParams &p) const
{
    const AttentionPlan plan = planAttention(p);
    return plan.nSplit > 1 ? std::size_t(plan.nSplit) * p.tokens * p.nHead * (p.headDim + 2) * sizeof(float) : 4;
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
    if (p.kv == KvFormat::Q8_0 && p.headDim % 32 != 0)
        throw std::runtime_error("flash attention: a Q8_0 cache needs heads of a multiple of 32");
    const AttentionPlan plan = planAttention(p);
    const std::uint32_t visible = std::max<std::uint32_t>(1, std::min(p.kvLen, p.qPos0 + p.tokens));
    const char *format = p.kv == KvFormat::F32 ? "f32" : p.kv == KvFormat::F16 ? "f16" : "q8_0";
    // Many query rows (prefill): one row per thread (flash_attn_rows). Few (decode): one row per
    // workgroup, its threads over the keys (flash_attn).
    const std::uint32_t perChunk = p.kv == KvFormat::F32 ? 4 : p.kv == KvFormat::F16 ? 8 : 16;
    const bool rowsKernel = p.tokens * p.nHead >= 64 && p.headDim % perChunk == 0 && p.headDim <= 256;
    constexpr std::uint32_t wg = 64;
    Pipeline &pipeline
        = m_context.pipeline(std::string(rowsKernel ? "flash_attn_rows_" : "flash_attn_") + format, { wg, p.headDim });
    const std::size_t rowBytes = kvRowBytes(p.kv, p.nKvHead * p.headDim);
    for (std::uint32_t base = 0; base < visible; base += plan.windowRows) {
        const std::uint32_t rows = std::min(plan.windowRows, visible - base);
        struct {
            std::uint32_t tokens, nHead, nKvHead, kvLen, qPos0, splitLen, nSplit;
            float scale;
            std::uint32_t kvBase, splitBase;
        } push { p.tokens,
            p.nHead,
            p.nKvHead,
            p.kvLen,
            p.qPos0,
            plan.splitLen,
            plan.nSplit,
            p.scale,
            base,
            base / plan.splitLen };
        const std::size_t offset = std::size_t(base) * rowBytes;
        const std::size_t range = std::min(k.size() - offset, (std::size_t(rows) * rowBytes + 3) / 4 * 4);
        const std::uint32_t splits = (rows + plan.splitLen - 1) / plan.splitLen;
        const std::vector<Binding> bindings { q, Binding(k, offset, range), Binding(v, offset, range), out, scratch };
        if (rowsKernel)
            seq.dispatch(pipeline, bindings, push, groupsFor(p.tokens * p.nHead, wg), 1, splits);
        else
            seq.dispatch(pipeline, bindings, push, p.tokens, p.nHead, splits);
    }
    if (plan.nSplit > 1) {
        struct {
            std::uint32_t tokens, nHead, nSplit;
        } merge { p.tokens, p.nHead, plan.nSplit };
        seq.dispatch(
            m_context.pipeline("flash_attn_merge", { wg, p.headDim }), { scratch, out }, merge, p.tokens, p.nHead);
    }
}

} // namespace quire::inference::vk
