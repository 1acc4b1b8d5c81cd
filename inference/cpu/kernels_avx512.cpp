// AVX-512 (F, BW, VL, VNNI) kernels: the x86 kernels with VNNI integer dot products. Compiled with those
// flags (see inference/CMakeLists.txt) and only called after cpuFeatures() confirmed them.
#include "inference/cpu/kernels.h"
#include "inference/cpu/kquants.h"

#include <immintrin.h>

#define QUIRE_X86_VNNI 1
#define QUIRE_X86_NAME "avx512"
#define QUIRE_X86_FILL fillAvx512Kernels

namespace quire::inference::cpu
{
#include "inference/cpu/gemmx86.inc"
} // namespace quire::inference::cpu
