#ifndef GANKIT_CKERNELS_DISPATCH_H
#define GANKIT_CKERNELS_DISPATCH_H
/* Run-time choice between the kernels' versions. The package builds for baseline x86-64, so the
   AVX2 and AVX-512 versions are compiled per function with these target attributes and only
   called when the CPU (and OS) support them. */
#include "CKernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define GK_X86 1
#define GK_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define GK_TARGET_AVX512 __attribute__((target("avx512f,avx2,fma")))
#else
#define GK_X86 0
#endif

#define GK_INLINE static inline __attribute__((always_inline))

/* For loops over a register block's constant sizes: unrolled, the accumulators stay in registers.
   Every loop that indexes them needs it: SwiftPM builds C at -O2, which leaves larger loops
   rolled, and one rolled loop keeps the whole block on the stack. */
#define GK_UNROLL _Pragma("clang loop unroll(full)")

#endif
