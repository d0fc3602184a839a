#ifndef GANKIT_CKERNELS_THIN_PHASES_H
#define GANKIT_CKERNELS_THIN_PHASES_H
/* A thin image's stride phases (stride 2, 4x4 kernel, padding 1) as flat planes, shared by the
   kernels that read im2col's columns of such an image without building them whole (thin_conv.c,
   thin_wgrad.c). Tap (i, j) of map position (y, x) reads image row 2y - 1 + i, column 2x - 1 + j:
   phase (i % 2, j % 2) at phase row y + i / 2, phase column x + j / 2. Each phase is kept twice,
   as is and shifted left by one column (b = j / 2), each copy laid out with the map's own row
   length, so a tap reads its plane at p + (i / 2) * map_width for the flat map position
   p = y * map_width + x: consecutive positions are contiguous across map rows, and a vector of
   16 positions carries no padding lanes inside the map. */
#include "dispatch.h"
#include "lanes512.h"
#if GK_X86
#include <immintrin.h>
#endif

/* Floats of one plane: map_height + 1 rows (taps reach one row further) of map_width. */
GK_INLINE long plane_size(const gk_thin_shape *s) { return (s->map_height + 1) * s->map_width; }

/* Floats of all 8 planes per image channel, and a vector of slack for whole-vector loads past
   the last position (their lanes are never stored or are masked off). */
GK_INLINE long phases_size(const gk_thin_shape *s) { return s->channels * 8 * plane_size(s) + 16; }

/* Where tap kk (channel ci = kk / 16, kernel row i, column j) reads flat map position 0. */
GK_INLINE long tap_offset(const gk_thin_shape *s, long kk) {
    const long ci = kk / 16, i = kk / 4 % 4, j = kk % 4;
    return (((ci * 2 + i % 2) * 2 + j / 2) * 2 + j % 2) * plane_size(s) + i / 2 * s->map_width;
}

/* plane[ci][pr][b][pc][u * map_width + v] = image[ci][2u + pr - 1][2(v + b) + pc - 1], 0 outside
   the image. */
static inline void split_phases_portable(const gk_thin_shape *s, const float *image, float *work) {
    const long mw = s->map_width, size = plane_size(s), h = s->height, wd = s->width;
    for (long ci = 0; ci < s->channels; ci++)
        for (int pr = 0; pr < 2; pr++)
            for (int b = 0; b < 2; b++)
                for (int pc = 0; pc < 2; pc++) {
                    float *plane = work + (((ci * 2 + pr) * 2 + b) * 2 + pc) * size;
                    for (long u = 0; u <= s->map_height; u++) {
                        const long y = 2 * u + pr - 1;
                        for (long v = 0; v < mw; v++) {
                            const long x = 2 * (v + b) + pc - 1;
                            plane[u * mw + v] = y >= 0 && y < h && x >= 0 && x < wd ? image[(ci * h + y) * wd + x] : 0.0f;
                        }
                    }
                }
}

#if GK_X86
/* split_phases_portable by vectors: two masked loads of an image row (zeros outside it) give 16
   columns of both column phases at once, the even and odd lanes picked by one permute each. */
static GK_TARGET_AVX512 void split_phases_avx512(const gk_thin_shape *s, const float *image, float *work) {
    const long mw = s->map_width, size = plane_size(s), h = s->height, wd = s->width;
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    for (long ci = 0; ci < s->channels; ci++)
        for (int pr = 0; pr < 2; pr++)
            for (int b = 0; b < 2; b++) {
                float *plane0 = work + ((ci * 2 + pr) * 2 + b) * 2 * size, *plane1 = plane0 + size;
                for (long u = 0; u <= s->map_height; u++) {
                    const long y = 2 * u + pr - 1;
                    const float *src = image + (ci * h + y) * wd;
                    for (long v = 0; v < mw; v += 16) {
                        const __mmask16 out = first_lanes(mw - v);
                        __m512 half[2] = {_mm512_setzero_ps(), _mm512_setzero_ps()};
                        if (y >= 0 && y < h)
                            for (int k = 0; k < 2; k++) {
                                /* Image columns first + l, l < 16: phase 0 takes the even ones. */
                                const long first = 2 * (v + b) - 1 + 16 * k, skip = first < 0 ? -first : 0;
                                const long end = wd - first < 0 ? 0 : wd - first > 16 ? 16 : wd - first;
                                const __mmask16 in = (__mmask16)(((1u << end) - 1) & ~((1u << skip) - 1));
                                half[k] = _mm512_maskz_loadu_ps(in, src + first);
                            }
                        _mm512_mask_storeu_ps(plane0 + u * mw + v, out, _mm512_permutex2var_ps(half[0], even, half[1]));
                        _mm512_mask_storeu_ps(plane1 + u * mw + v, out, _mm512_permutex2var_ps(half[0], odd, half[1]));
                    }
                }
            }
}
#endif

static inline void split_phases(const gk_thin_shape *s, const float *image, float *work) {
#if GK_X86
    if (gk_kernel_level() == GK_LEVEL_AVX512) {
        split_phases_avx512(s, image, work);
        return;
    }
#endif
    split_phases_portable(s, image, work);
}

#endif
