#pragma once

#include "inference/cpu/kernels.h"
#include "inference/model.h"

#include <cstdint>
#include <vector>

namespace quire::inference::cpu
{

class ThreadPool;

// Activation rows encoded for the products with one weight format (Q8_0 blocks, Q8_K blocks, F16 ...).
struct EncodedRows {
    ActFormat format = ActFormat::F32;
    std::size_t stride = 0;
    int rows = 0;
    std::vector<std::uint8_t> bytes;
};

// Encodes n rows of k floats (xStride floats apart) for products with weights of type weightType.
void encodeRows(ThreadPool &pool,
    const KernelSet &ks,
    GgmlType weightType,
    const float *x,
    std::size_t xStride,
    int n,
    std::int64_t k,
    EncodedRows &out);

// y[t * yStride + r] = W row r . activation row t, for every row of W and t < act.rows. The rows of W
// are shared out among the threads in chunks; each chunk meets every activation row while it is in cache.
void matmul(
    ThreadPool &pool, const KernelSet &ks, const Weight &w, const EncodedRows &act, float *y, std::size_t yStride);

} // namespace quire::inference::cpu
