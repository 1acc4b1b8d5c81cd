#pragma once

#include "inference/ggmltype.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace quire::inference::cpu
{

// How activations are encoded before a product with a weight matrix, as llama.cpp's CPU backend does:
// integer dot products against 8-bit activations for quantised weights, F16/BF16 for half weights.
enum class ActFormat { F32, F16, BF16, Q8_0, Q8_1, Q8_K };
inline constexpr int kActFormatCount = 6;

// Q8_0 with the block sum (d * sum(qs)), for the weight types that carry a minimum (Q4_1, Q5_1).
struct BlockQ8_1 {
    ggml_half d;
    ggml_half s;
    std::int8_t qs[QK8_0];
};
static_assert(sizeof(BlockQ8_1) == 36);

// Weight types the CPU backend computes with, as a dense index.
enum class WeightSlot { F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K, Count };
inline constexpr int kWeightSlotCount = static_cast<int>(WeightSlot::Count);

bool isComputeType(GgmlType type);
WeightSlot weightSlot(GgmlType type); // only for isComputeType() types
ActFormat activationFormat(GgmlType weightType);
int activationBlockSize(ActFormat format);
std::size_t activationRowBytes(ActFormat format, std::int64_t n);
std::size_t weightRowBytes(GgmlType type, std::int64_t n);

// y[c * yStride + r] = dot(weight row r, activation row c) for r < nRows, c < nCols.
// k is the row length in elements; w and a point at the first row, rows are wStride / aStride bytes apart.
using GemmFn = void (*)(std::int64_t k,
    const std::uint8_t *w,
    std::size_t wStride,
    int nRows,
    const std::uint8_t *a,
    std::size_t aStride,
    int nCols,
    float *y,
    std::size_t yStride);
using QuantizeFn = void (*)(const float *x, void *out, std::int64_t n);
// Attention over KV rows stored as F32 / F16 / Q8_0 (index = KvType): scores[j] = q . row j, and
// acc += sum_j p[j] * row j. Rows are rowBytes apart, headDim elements each.
using KvScoreFn
    = void (*)(const float *q, const std::uint8_t *rows, std::size_t rowBytes, int count, int headDim, float *scores);
using KvAccumulateFn
    = void (*)(const float *p, const std::uint8_t *rows, std::size_t rowBytes, int count, int headDim, float *acc);
inline constexpr int kKvTypeCount = 3;
// The softmax steps of one attention block: scale the scores in place and return their maximum; then
// replace each by exp(score - max) and return the sum.
using ScaleMaxFn = float (*)(float *scores, int count, float scale);
using ExpSumFn = float (*)(float *scores, int count, float max);
// out[i] = silu(gate[i]) * up[i] (out may be gate).
using SwigluFn = void (*)(const float *gate, const float *up, float *out, int n);

// The kernels for one instruction set. Entries an ISA does not accelerate keep the scalar version.
struct KernelSet {
    std::string_view isa;
    GemmFn gemm[kWeightSlotCount] = {};
    QuantizeFn quantize[kActFormatCount] = {};
    KvScoreFn kvScore[kKvTypeCount] = {};
    KvAccumulateFn kvAccumulate[kKvTypeCount] = {};
    ScaleMaxFn scaleMax = nullptr;
    ExpSumFn expSum = nullptr;
    SwigluFn swiglu = nullptr;
    // The widest column tile gemm handles efficiently (callers may pass any nCols).
    int columnTile = 4;
};

// The best set for this CPU, chosen once at first use (QUIRE_CPU_ISA=scalar|avx2|avx512 overrides it).
const KernelSet &kernels();
const KernelSet &scalarKernels();
// The set for one ISA, or nullptr when this CPU cannot run it.
const KernelSet *kernelsFor(std::string_view isa);

// Whole rows to float (embedding lookup, tests). Scalar, any compute type.
void dequantizeRow(GgmlType type, const std::uint8_t *row, float *out, std::int64_t n);

// Filled by the ISA files; each leaves entries it does not implement untouched.
void fillScalarKernels(KernelSet &set);
void fillAvx2Kernels(KernelSet &set);
void fillAvx512Kernels(KernelSet &set);

} // namespace quire::inference::cpu
