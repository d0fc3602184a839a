#include "dispatch.h"
#include <stdatomic.h>

/* -1: automatic. */
static _Atomic int forced_level = -1;

int gk_kernel_best_level(void) {
#if GK_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return GK_LEVEL_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return GK_LEVEL_AVX2;
#endif
    return GK_LEVEL_SCALAR;
}

int gk_kernel_level(void) {
    static _Atomic int best = -1;
    int forced = atomic_load_explicit(&forced_level, memory_order_relaxed);
    if (forced >= 0) return forced;
    int b = atomic_load_explicit(&best, memory_order_relaxed);
    if (b < 0) {
        b = gk_kernel_best_level();
        atomic_store_explicit(&best, b, memory_order_relaxed);
    }
    return b;
}

int gk_kernel_force_level(int level) {
    int best = gk_kernel_best_level();
    atomic_store(&forced_level, level < 0 ? -1 : (level > best ? best : level));
    return gk_kernel_level();
}
