#ifndef GANKIT_CKERNELS_LANES512_H
#define GANKIT_CKERNELS_LANES512_H
/* AVX-512 pieces shared by the kernels: the mask of a vector's first lanes, and two column phases
   stored interleaved into one output row (thin_transposed.c, phase_interleave.c). */
#include "dispatch.h"
#if GK_X86
#include <immintrin.h>

/* Lanes 0 ..< count: none for count <= 0, all 16 from 16 on. */
GK_INLINE __mmask16 first_lanes(long count) {
    return count >= 16 ? (__mmask16)0xFFFF : count <= 0 ? (__mmask16)0 : (__mmask16)((1u << count) - 1);
}

/* out[2l] = even[l] and out[2l + 1] = odd[l], the first `count` of these 32 floats written (none
   for count <= 0; masked lanes are never touched). */
GK_INLINE GK_TARGET_AVX512 void store_interleaved(float *out, __m512 even, __m512 odd, long count) {
    const __m512i low = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i high = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    _mm512_mask_storeu_ps(out, first_lanes(count), _mm512_permutex2var_ps(even, low, odd));
    if (count > 16) _mm512_mask_storeu_ps(out + 16, first_lanes(count - 16), _mm512_permutex2var_ps(even, high, odd));
}
#endif

#endif
