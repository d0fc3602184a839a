#ifndef GANKIT_CKERNELS_IMPLICIT_TILE_H
#define GANKIT_CKERNELS_IMPLICIT_TILE_H
/* The register tile shared by the implicit-GEMM convolutions (implicit_conv.c, implicit_wgrad.c):
   C[r, j] (+)= sum over kk < kc of A[kk, r] * B[kk, j] for an MR x NR tile, A packed as kc rows of
   MR and B as kc rows of NR. Each output is one fma chain over kk ascending, started from 0
   (`first`) or from C, so a chain carried through C across steps of kc is the same chain. */
#include "dispatch.h"
#include <math.h>

/* Only the explicit fma calls may fuse: an implicit contraction would change the rounding. */
#pragma STDC FP_CONTRACT OFF
#if GK_X86
#include <immintrin.h>
#endif

/* MR x NR tile; KC rows per step (a KC x NR panel is 32 KB, one L1). */
enum { MR = 8, NR = 32, KC = 256 };

/* The MR x NR tile, scalar: each output's chain over the panel's kc rows. */
static void tile_scalar(long kc, const float *ap, const float *bp, float *c, long ldc, int first) {
    float acc[MR][NR];
    for (int r = 0; r < MR; r++)
        for (int j = 0; j < NR; j++) acc[r][j] = first ? 0.0f : c[r * ldc + j];
    for (long kk = 0; kk < kc; kk++)
        for (int r = 0; r < MR; r++) {
            const float a = ap[kk * MR + r];
            for (int j = 0; j < NR; j++) acc[r][j] = fmaf(a, bp[kk * NR + j], acc[r][j]);
        }
    for (int r = 0; r < MR; r++)
        for (int j = 0; j < NR; j++) c[r * ldc + j] = acc[r][j];
}

#if GK_X86
/* The MR x NR tile in 16 accumulators. */
static GK_TARGET_AVX512 void tile_avx512(long kc, const float *ap, const float *bp, float *c, long ldc, int first) {
    __m512 acc[MR][2];
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < 2; v++) acc[r][v] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(c + r * ldc + 16 * v);
    for (long kk = 0; kk < kc; kk++) {
        const __m512 b0 = _mm512_loadu_ps(bp + kk * NR), b1 = _mm512_loadu_ps(bp + kk * NR + 16);
        for (int r = 0; r < MR; r++) {
            const __m512 a = _mm512_set1_ps(ap[kk * MR + r]);
            acc[r][0] = _mm512_fmadd_ps(a, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(a, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < 2; v++) _mm512_storeu_ps(c + r * ldc + 16 * v, acc[r][v]);
}

/* The tile as four 4 x 16 quarters (8 accumulators of the 16 registers each). */
static GK_TARGET_AVX2 void tile_avx2(long kc, const float *ap, const float *bp, float *c, long ldc, int first) {
    for (int r0 = 0; r0 < MR; r0 += 4)
        for (int j0 = 0; j0 < NR; j0 += 16) {
            __m256 acc[4][2];
            for (int r = 0; r < 4; r++)
                for (int v = 0; v < 2; v++)
                    acc[r][v] = first ? _mm256_setzero_ps() : _mm256_loadu_ps(c + (r0 + r) * ldc + j0 + 8 * v);
            for (long kk = 0; kk < kc; kk++) {
                const __m256 b0 = _mm256_loadu_ps(bp + kk * NR + j0), b1 = _mm256_loadu_ps(bp + kk * NR + j0 + 8);
                for (int r = 0; r < 4; r++) {
                    const __m256 a = _mm256_broadcast_ss(ap + kk * MR + r0 + r);
                    acc[r][0] = _mm256_fmadd_ps(a, b0, acc[r][0]);
                    acc[r][1] = _mm256_fmadd_ps(a, b1, acc[r][1]);
                }
            }
            for (int r = 0; r < 4; r++)
                for (int v = 0; v < 2; v++) _mm256_storeu_ps(c + (r0 + r) * ldc + j0 + 8 * v, acc[r][v]);
        }
}
#endif

/* The reduction length K = channels * kernel_height * kernel_width of a convolution's columns. */
static inline long reduction(const gk_conv_shape *s) { return s->channels * s->kernel_height * s->kernel_width; }

/* The maps rounded up to whole MR-row blocks (the packed operand's rows past `maps` are 0). */
static inline long padded_maps(const gk_conv_shape *s) { return (s->maps + MR - 1) / MR * MR; }

/* Whether the AVX-512 gathers run on `level`: their 32-bit indices must reach every offset within
   the call's `samples` images, plus the padding's reach. */
static inline int gathers_fit(int level, const gk_conv_shape *s, long samples) {
#if GK_X86
    return level == GK_LEVEL_AVX512 && (samples + 1) * s->channels * s->height * s->width < (1L << 30);
#else
    (void)level; (void)s; (void)samples;
    return 0;
#endif
}

/* Up to SEGMENTS runs of lanes that read consecutive floats, covering one 16-lane half of a
   panel row whose lane l reads at[index[l]]: a half inside one run (samples on the lanes, or
   channels on the lanes of a channels-last image) is one masked load instead of a gather. */
enum { SEGMENTS = 4 };
typedef struct {
    int count; /* 0: more than SEGMENTS runs (the half is gathered) */
    int first[SEGMENTS];
    unsigned lanes[SEGMENTS];
} half_segments;

static void find_segments(const int *index, half_segments *h) {
    h->count = 0;
    for (int l = 0; l < 16; l++) {
        if (l == 0 || index[l] != index[l - 1] + 1) {
            if (h->count == SEGMENTS) { h->count = 0; return; }
            h->first[h->count] = l;
            h->lanes[h->count++] = 0;
        }
        h->lanes[h->count - 1] |= 1u << l;
    }
}

#if GK_X86
/* Lane l = at[index[l]] where bit l of mask is set, else 0: one masked load per run (the lanes
   left out are not read, so the padding is never touched), or a gather. */
GK_INLINE GK_TARGET_AVX512 __m512 load_half(const float *at, const int *index, const half_segments *h, unsigned mask) {
    if (h->count == 0)
        return _mm512_mask_i32gather_ps(_mm512_setzero_ps(), (__mmask16)mask, _mm512_loadu_si512(index), at, 4);
    __m512 v = _mm512_setzero_ps();
    for (int k = 0; k < h->count; k++)
        v = _mm512_mask_loadu_ps(v, (__mmask16)(mask & h->lanes[k]), at + index[h->first[k]] - h->first[k]);
    return v;
}
#endif

/* The tile on `level`. */
static void tile(int level, long kc, const float *ap, const float *bp, float *c, long ldc, int first) {
    switch (level) {
#if GK_X86
    case GK_LEVEL_AVX512: tile_avx512(kc, ap, bp, c, ldc, first); break;
    case GK_LEVEL_AVX2: tile_avx2(kc, ap, bp, c, ldc, first); break;
#endif
    default: tile_scalar(kc, ap, bp, c, ldc, first); break;
    }
}

#endif
