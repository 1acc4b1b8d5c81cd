#include "inference/cpu/matmul.h"

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

void matmul(
    ThreadPool &pool, const KernelSet &ks, const Weight &w, const EncodedRows &act, float *y, std::size_t yStride)
{
    const GemmFn gemm = ks.gemm[static_cast<int>(weightSlot(w.type))];
    const auto rows = w.rows;
    // Small chunks balance the threads; with many activation rows, chunks of 16 weight rows stay in L1.
    const std::int64_t chunk
        = act.rows > 1 ? 16 : std::max<std::int64_t>(8, std::min<std::int64_t>(64, rows / (pool.size() * 16)));
    const std::int64_t nChunks = (rows + chunk - 1) / chunk;
    pool.parallelFor(nChunks, 1, [&](std::int64_t begin, std::int64_t end, int) {
        for (std::int64_t c = begin; c < end; ++c) {
            const std::int64_t r0 = c * chunk;
            const int nr = static_cast<int>(std::min(chunk, rows - r0));
            gemm(w.cols, w.row(r0), w.rowBytes, nr, act.bytes.data(), act.stride, act.rows, y + r0, yStride);
        }
    });
}

} // namespace quire::inference::cpu
