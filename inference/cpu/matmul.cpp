#include "inference/cpu/matmul.h"

#include "inference/cpu/ops.h"
#include "inference/cpu/threadpool.h"

#include <algorithm>

namespace quire::inference::cpu
{

void encodeRows(ThreadPool &pool,
    const KernelSet &ks,
    GgmlType weightType,
    const float *x,
    std::size_t xStride,
    int n,
    std::int64_t k,
    EncodedRows &out)
{
    out.format = activationFormat(weightType);
    out.stride = activationRowBytes(out.format, k);
    out.rows = n;
    if (out.bytes.size() < out.stride * static_cast<std::size_t>(n))
        out.bytes.resize(out.stride * static_cast<std::size_t>(n));
    const QuantizeFn quantize = ks.quantize[static_cast<int>(out.format)];
    std::uint8_t *base = out.bytes.data();
    const std::size_t stride = out.stride;
    auto body = [&](std::int64_t begin, std::int64_t end, int) {
        for (std::int64_t t = begin; t < end; ++t)
            quantize(x + static_cast<std::size_t>(t) * xStride, base + static_cast<std::size_t>(t) * stride, k);
    };
    if (n < 8)
        body(0, n, 0);
    else
        pool.parallelFor(n, 4, body);
}

namespace
{

// Weight rows per work item: with many activation rows, 16 rows stay in L1 while they meet every
// activation; for one, small chunks balance the threads without paying a hand-out per few rows.
std::int64_t chunkRows(const ThreadPool &pool, std::int64_t rows, int actRows)
{
    return actRows > 1 ? 16 : std::max<std::int64_t>(8, std::min<std::int64_t>(64, rows / (pool.size() * 16)));
}

void runChunk(const KernelSet &ks, const Product &p, std::int64_t r0, int nr)
{
    const Weight &w = *p.w;
    const EncodedRows &act = *p.act;
    const GemmFn gemm = ks.gemm[static_cast<int>(weightSlot(w.type))];
    gemm(w.cols, w.row(r0), w.rowBytes, nr, act.bytes.data(), act.stride, act.rows, p.y + r0, p.yStride);
    if (!p.residual)
        return;
    for (int t = 0; t < act.rows; ++t) {
        const std::size_t o = static_cast<std::size_t>(t) * p.yStride + static_cast<std::size_t>(r0);
        addInPlace(p.residual + o, p.y + o, nr);
    }
}

} // namespace

void matmul(
    ThreadPool &pool, const KernelSet &ks, const Weight &w, const EncodedRows &act, float *y, std::size_t yStride)
{
    const Product p { &w, &act, y, yStride, nullptr };
    matmul(pool, ks, std::span<const Product>(&p, 1));
}

void matmul(ThreadPool &pool, const KernelSet &ks, std::span<const Product> products)
{
    constexpr std::size_t kMaxProducts = 4;
    std::int64_t chunk[kMaxProducts], first[kMaxProducts + 1] = { 0 };
    const std::size_t count = std::min(products.size(), kMaxProducts);
    for (std::size_t i = 0; i < count; ++i) {
        chunk[i] = chunkRows(pool, products[i].w->rows, products[i].act->rows);
        first[i + 1] = first[i] + (products[i].w->rows + chunk[i] - 1) / chunk[i];
    }
    pool.parallelFor(first[count], 1, [&](std::int64_t begin, std::int64_t end, int) {
        std::size_t i = 0;
        for (std::int64_t c = begin; c < end; ++c) {
            while (c >= first[i + 1])
                ++i;
            const std::int64_t r0 = (c - first[i]) * chunk[i];
            runChunk(ks, products[i], r0, static_cast<int>(std::min(chunk[i], products[i].w->rows - r0)));
        }
    });
    if (products.size() > kMaxProducts)
        matmul(pool, ks, products.subspan(kMaxProducts));
}

void matmulSwiglu(ThreadPool &pool, const KernelSet &ks, const Product &gate, const Product &up)
{
    const std::int64_t rows = gate.w->rows;
    const std::int64_t chunk = chunkRows(pool, rows, gate.act->rows);
    pool.parallelFor((rows + chunk - 1) / chunk, 1, [&](std::int64_t begin, std::int64_t end, int) {
        for (std::int64_t c = begin; c < end; ++c) {
            const std::int64_t r0 = c * chunk;
            const int nr = static_cast<int>(std::min(chunk, rows - r0));
            runChunk(ks, gate, r0, nr);
            runChunk(ks, up, r0, nr);
            for (int t = 0; t < gate.act->rows; ++t) {
                float *g = gate.y + static_cast<std::size_t>(t) * gate.yStride + r0;
                ks.swiglu(g, up.y + static_cast<std::size_t>(t) * up.yStride + r0, g, nr);
            }
        }
    });
}

} // namespace quire::inference::cpu
