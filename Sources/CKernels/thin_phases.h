#ifndef GANKIT_CKERNELS_THIN_PHASES_H
#define GANKIT_CKERNELS_THIN_PHASES_H
/* A thin image's 4 stride phases (stride 2, 4x4 kernel, padding 1), shared by the kernels that
   read im2col's columns of such an image without building them whole (thin_conv.c, thin_wgrad.c):
   tap (i, j) of map row y reads phase (i % 2, j % 2) at row y + i / 2 and columns x + j / 2, a
   contiguous stretch for consecutive x. */
#include "dispatch.h"
#include <string.h>
#if GK_X86
#include <immintrin.h>
#endif

/* Floats per phase row: the map's columns rounded up to whole 16-lane vectors, plus one vector
   for the tap that reads one column further (zeros). */
GK_INLINE long pitch(const gk_thin_shape *s) { return (s->map_width + 15) / 16 * 16 + 16; }

/* Floats of one phase plane: map_height + 1 rows (taps reach one row further). */
GK_INLINE long phase_size(const gk_thin_shape *s) { return (s->map_height + 1) * pitch(s); }

/* Floats of all phases of one sample. */
GK_INLINE long phases_size(const gk_thin_shape *s) { return s->channels * 4 * phase_size(s); }

/* phase[ci][pr][pc][u][v] = image[ci][2u + pr - 1][2v + pc - 1], 0 outside the image. */
static inline void split_phases_portable(const gk_thin_shape *s, const float *image, float *work) {
    const long p = pitch(s), size = phase_size(s), h = s->height, wd = s->width;
    for (long ci = 0; ci < s->channels; ci++)
        for (int pr = 0; pr < 2; pr++)
            for (int pc = 0; pc < 2; pc++) {
                float *phase = work + ((ci * 2 + pr) * 2 + pc) * size;
                for (long u = 0; u <= s->map_height; u++) {
                    float *row = phase + u * p;
                    const long y = 2 * u + pr - 1;
                    if (y < 0 || y >= h) {
                        memset(row, 0, sizeof(float) * (size_t)p);
                        continue;
                    }
                    /* Columns 2v + pc - 1 inside the image: v in [lo, hi), zeros around. */
                    const float *src = image + (ci * h + y) * wd + pc - 1;
                    const long lo = pc == 0 ? 1 : 0, hi = (wd - pc) / 2 + 1 < p ? (wd - pc) / 2 + 1 : p;
                    long v = 0;
                    for (; v < lo; v++) row[v] = 0.0f;
                    for (; v < hi; v++) row[v] = src[2 * v];
                    for (; v < p; v++) row[v] = 0.0f;
                }
            }
}

#if GK_X86
/* split_phases_portable by vectors: two masked loads of an image row (zeros outside it) give 16
   columns of both column phases at once, even and odd lanes picked by one permute each. */
static GK_TARGET_AVX512 void split_phases_avx512(const gk_thin_shape *s, const float *image, float *work) {
    const long p = pitch(s), size = phase_size(s), h = s->height, wd = s->width;
    const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    for (long ci = 0; ci < s->channels; ci++)
        for (int pr = 0; pr < 2; pr++) {
            float *phase0 = work + ((ci * 2 + pr) * 2) * size, *phase1 = phase0 + size;
            for (long u = 0; u <= s->map_height; u++) {
                float *row0 = phase0 + u * p, *row1 = phase1 + u * p;
                const long y = 2 * u + pr - 1;
                if (y < 0 || y >= h) {
                    for (long v = 0; v < p; v += 16) {
                        _mm512_storeu_ps(row0 + v, _mm512_setzero_ps());
                        _mm512_storeu_ps(row1 + v, _mm512_setzero_ps());
                    }
                    continue;
                }
                const float *src = image + (ci * h + y) * wd;
                for (long v = 0; v < p; v += 16) {
                    /* Image columns 2v - 1 + l, l < 32: phase 0 takes the even l, phase 1 the odd. */
                    __m512 half[2];
                    for (int k = 0; k < 2; k++) {
                        const long first = 2 * v - 1 + 16 * k, skip = first < 0 ? -first : 0;
                        const long end = wd - first < 0 ? 0 : wd - first > 16 ? 16 : wd - first;
                        const __mmask16 mask = (__mmask16)(((1u << end) - 1) & ~((1u << skip) - 1));
                        half[k] = _mm512_maskz_loadu_ps(mask, src + first);
                    }
                    _mm512_storeu_ps(row0 + v, _mm512_permutex2var_ps(half[0], even, half[1]));
                    _mm512_storeu_ps(row1 + v, _mm512_permutex2var_ps(half[0], odd, half[1]));
                }
            }
        }
}
#endif

/* phase[ci][pr][pc][u][v] = image[ci][2u + pr - 1][2v + pc - 1], 0 outside the image. */
static inline void split_phases(const gk_thin_shape *s, const float *image, float *work) {
#if GK_X86
    if (gk_kernel_level() == GK_LEVEL_AVX512) {
        split_phases_avx512(s, image, work);
        return;
    }
#endif
    split_phases_portable(s, image, work);
}

/* Where tap kk (channel ci = kk / 16, kernel row i, column j) of position (y, x) reads. */
GK_INLINE long tap_offset(const gk_thin_shape *s, long kk, long y, long x) {
    const long ci = kk / 16, i = kk / 4 % 4, j = kk % 4;
    return ((ci * 2 + i % 2) * 2 + j % 2) * phase_size(s) + (y + i / 2) * pitch(s) + x + j / 2;
}

#endif
