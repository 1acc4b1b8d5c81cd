#pragma once

#include "ggmltype.h"

#include <cstddef>
#include <cstdint>

namespace quire::inference
{

// Row conversion between float and the GGUF tensor types. `n` is the number of elements and must be a
// multiple of the type's block size. Both functions return false (and write nothing) for a type they do
// not handle or a bad `n`.
//
// dequantizeRow is bit-exact with ggml's dequantize_row_* for F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1,
// Q8_0, Q4_K, Q5_K, Q6_K and Q8_K. quantizeRow follows ggml's reference quantisers (quantize_row_*_ref,
// what llama-quantize uses without an importance matrix), including the K-quant scale searches.
bool dequantizeRow(GgmlType type, const void *src, float *dst, std::int64_t n);
bool quantizeRow(GgmlType type, const float *src, void *dst, std::int64_t n);

bool canDequantize(GgmlType type);
bool canQuantize(GgmlType type);

// Bytes taken by `n` elements of `type`; 0 when n is not a multiple of the block size.
std::size_t rowBytes(GgmlType type, std::int64_t n);

// Activation quantisation for the CPU backend's dot products, matching what llama.cpp's x86 CPU backend
// does to the activations (so results agree with its dumps): Q8_0 with scale amax/127 and
// round-to-nearest-even of x*127/amax; Q8_K as ggml's quantize_row_q8_K (with bsums).
void quantizeRowQ8_0Activations(const float *src, BlockQ8_0 *dst, std::int64_t n);
void quantizeRowQ8_K(const float *src, BlockQ8_K *dst, std::int64_t n);

} // namespace quire::inference
