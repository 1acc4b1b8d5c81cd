// AVX2 + FMA + F16C kernels. Compiled with those flags (see inference/CMakeLists.txt) and only called
// after cpuFeatures() confirmed them. Only plain headers here: inline library code compiled with -mavx2
// must not leak into other files.
#include "inference/cpu/kernels.h"
#include "inference/cpu/kquants.h"

#include <bit>
#include <cstring>
#include <immintrin.h>

#define QUIRE_X86_VNNI 0
#define QUIRE_X86_NAME "avx2"
#define QUIRE_X86_FILL fillAvx2Kernels

namespace quire::inference::cpu
{
#include "inference/cpu/gemmx86.inc"
} // namespace quire::inference::cpu
