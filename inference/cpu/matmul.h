#pragma once

#include "inference/cpu/kernels.h"
#include "inference/model.h"

#include <cstdint>
#include <span>
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

// One weight matrix times encoded activations, as part of a fused job.
struct Product {
    const Weight *w = nullptr;
    const EncodedRows *act = nullptr;
    float *y = nullptr;
    std::size_t yStride = 0;
    // When set, each finished chunk of y is added into residual (same layout): the residual connection
    // without a separate pass.
    float *residual = nullptr;
};

// Several independent products (Q, K and V of a layer) in one parallel job: one synchronisation of the
// threads instead of one per product, which is what a single generated token mostly pays for.
void matmul(ThreadPool &pool, const KernelSet &ks, std::span<const Product> products);

// gate.y = silu(gate) * up, computed chunk by chunk in one job (gate and up have the same rows).
void matmulSwiglu(ThreadPool &pool, const KernelSet &ks, const Product &gate, const Product &up);

} // namespace quire::inference::cpu
