/* gk_long_reduction_gemm: C = A B^T where both operands are a few rows of long stretches (the
   convolution weight gradient of a thin layer: map rows against column rows, summed over every
   position of every sample). Each output keeps 16 lanes of partial sums and adds them as a fixed
   tree (see CKernels.h): a 16-float AVX-512 vector, two AVX2 vectors, or 16 scalars. */
#include "dispatch.h"
#include "lanes512.h"
#include "long_reduction.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#if GK_X86
#include <immintrin.h>
#endif

#pragma STDC FP_CONTRACT OFF

static void store(const gk_long_reduction *p, long i, long j, float sum) {
    float *c = p->c + i * p->ldc + j;
    *c = p->accumulate ? *c + sum : sum;
}

/* The walk shared by every version, for one chunk: blocks of ROWS x COLS outputs through
   TILE(p, k, lanes, i, j, rows, cols), the last rows and columns (fewer than a block, at most 5
   rows and 3 columns) as one smaller block each, so a chunk of the operands is read from L1/L2 by
   all blocks instead of each block streaming whole rows from memory. Each lane still takes its
   positions in the order of CKernels.h, whatever the blocks. */
#define LONG_REDUCTION_BLOCKS(TILE, ROWS, COLS)                                                      \
    long i = 0;                                                                                      \
    for (; i <= p->m - (ROWS); i += (ROWS)) LONG_REDUCTION_ROW(TILE, ROWS, COLS)                     \
    switch (p->m - i) {                                                                              \
    case 1: LONG_REDUCTION_ROW(TILE, 1, COLS) break;                                                 \
    case 2: LONG_REDUCTION_ROW(TILE, 2, COLS) break;                                                 \
    case 3: LONG_REDUCTION_ROW(TILE, 3, COLS) break;                                                 \
    case 4: LONG_REDUCTION_ROW(TILE, 4, COLS) break;                                                 \
    case 5: LONG_REDUCTION_ROW(TILE, 5, COLS) break;                                                 \
    default: break;                                                                                  \
    }

/* One row of blocks: R rows from i, across the n columns. */
#define LONG_REDUCTION_ROW(TILE, R, COLS)                                                            \
    {                                                                                                \
        long j = 0;                                                                                  \
        for (; j <= p->n - (COLS); j += (COLS)) TILE(p, k, lanes, i, j, R, COLS);                    \
        switch (p->n - j) {                                                                          \
        case 1: TILE(p, k, lanes, i, j, R, 1); break;                                                \
        case 2: TILE(p, k, lanes, i, j, R, 2); break;                                                \
        case 3: TILE(p, k, lanes, i, j, R, 3); break;                                                \
        default: break;                                                                              \
        }                                                                                            \
    }

/* One output's lanes over the chunk, one position at a time. */
static void tile_scalar(const gk_long_reduction *p, const gk_reduction_chunk *k, float *lanes, long i, long j,
                        int rows, int cols) {
    (void)rows, (void)cols;
    float *lane = lanes + (i * p->n + j) * GK_LANES;
    for (long s = 0; s < k->segments; s++) {
        const float *a = k->a + s * k->a_stride + i * p->lda, *b = k->b + s * k->b_stride + j * k->ldb - k->q0;
        for (long q = k->q0; q < k->q1; q += GK_LANES)
            for (int l = 0; l < GK_LANES; l++) {
                const int inside = q + l < p->length;  // zero padding, as the vector loads
                lane[l] = fmaf(inside ? a[q + l] : 0.0f, inside ? b[q + l] : 0.0f, lane[l]);
            }
    }
}

static void long_reduction_scalar(const gk_long_reduction *p, const gk_reduction_chunk *k, float *lanes) {
    LONG_REDUCTION_BLOCKS(tile_scalar, 1, 1)
}

/* The tree of CKernels.h: lanes l and l + h added for h = 8, 4, 2, 1. */
static float lanes_sum(const float *lanes) {
    float lane[GK_LANES];
    memcpy(lane, lanes, sizeof lane);
    for (int h = GK_LANES / 2; h >= 1; h /= 2)
        for (int l = 0; l < h; l++) lane[l] = lane[l] + lane[l + h];
    return lane[0];
}

#if GK_X86
/* The same tree on one vector of 16 lanes: halves, quarters, pairs, neighbours. */
GK_INLINE GK_TARGET_AVX2 float tree256(__m256 x) {
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_shuffle_ps(q, q, 1));
    return _mm_cvtss_f32(q);
}

/* One step of 16 positions (from q, `mask` of them inside the segment) of a rows x cols block.
   With `prefetch`, the first block of a row block (j == 0), which reads its rows of `a` from
   memory while later blocks find them in L1, also asks for the next row block's, so those arrive
   before they are needed. The map rows of a chunk are many short streams (4 rows x 4 samples of
   784 bytes on DCGAN-28), which the hardware prefetchers follow poorly. G.convT2's input and
   weight gradients run back to back (6.4 MB each, C driver, median of 400): 0.84-0.89 -> 0.78-0.82
   ms. */
GK_INLINE void prefetch_next_rows(const float *a, long lda, long q, const int rows) {
    GK_UNROLL for (int r = 0; r < rows; r++) _mm_prefetch((const char *)(a + (rows + r) * lda + q), _MM_HINT_T0);
}

GK_INLINE GK_TARGET_AVX512 void step512(__m512 acc[6][4], const float *a, long lda, const float *b, long ldb, long q,
                                        __mmask16 mask, const int rows, const int cols, const int prefetch) {
    __m512 av[6];
    GK_UNROLL for (int r = 0; r < rows; r++) av[r] = _mm512_maskz_loadu_ps(mask, a + r * lda + q);
    if (prefetch) prefetch_next_rows(a, lda, q, rows);
    GK_UNROLL for (int t = 0; t < cols; t++) {
        const __m512 bv = _mm512_maskz_loadu_ps(mask, b + t * ldb + q);
        GK_UNROLL for (int r = 0; r < rows; r++) acc[r][t] = _mm512_fmadd_ps(av[r], bv, acc[r][t]);
    }
}

/* A rows x cols block of outputs starting at (i, j) over the chunk. The steps with and without
   the prefetch are separate loops: a test inside the loop cost DCGAN-28's D.conv1 weight gradient
   10% at SwiftPM's -O2 (which, unlike -O3, does not split the loop itself). */
GK_INLINE GK_TARGET_AVX512 void tile512(const gk_long_reduction *p, const gk_reduction_chunk *k, float *lanes,
                                        long i, long j, const int rows, const int cols) {
    const long lda = p->lda, ldb = k->ldb, length = p->length, n = p->n;
    const int prefetch = j == 0 && i + 2 * rows <= p->m;
    __m512 acc[6][4];
    GK_UNROLL for (int r = 0; r < rows; r++)
        GK_UNROLL for (int t = 0; t < cols; t++) acc[r][t] = _mm512_loadu_ps(lanes + ((i + r) * n + j + t) * GK_LANES);
    for (long s = 0; s < k->segments; s++) {
        const float *a = k->a + s * k->a_stride + i * lda, *b = k->b + s * k->b_stride + j * ldb - k->q0;
        if (prefetch)
            for (long q = k->q0; q < k->q1; q += 16) step512(acc, a, lda, b, ldb, q, first_lanes(length - q), rows, cols, 1);
        else
            for (long q = k->q0; q < k->q1; q += 16) step512(acc, a, lda, b, ldb, q, first_lanes(length - q), rows, cols, 0);
    }
    GK_UNROLL for (int r = 0; r < rows; r++)
        GK_UNROLL for (int t = 0; t < cols; t++) _mm512_storeu_ps(lanes + ((i + r) * n + j + t) * GK_LANES, acc[r][t]);
}

/* 6 x 4 blocks: 24 accumulators, 10 loads for 24 fmas. On Zen 5 (two full-width FMA pipes) 4 x 4
   blocks (8 loads for 16 fmas) with the prefetch test inside the loop left the pipes waiting. The
   thin weight gradient, one thread, 32 samples, medians of 4 C-driver runs built at -O2 (3 Dec):
   DCGAN-28's D.conv1 0.096-0.098 -> 0.081-0.083 ms, DCGAN-64's 1.54-1.58 -> 1.30-1.33 ms. */
static GK_TARGET_AVX512 void long_reduction_avx512(const gk_long_reduction *p, const gk_reduction_chunk *k,
                                                   float *lanes) {
    LONG_REDUCTION_BLOCKS(tile512, 6, 4)
}

GK_INLINE GK_TARGET_AVX2 __m256 load_masked(const float *x, long count) {
    if (count >= 8) return _mm256_loadu_ps(x);
    if (count <= 0) return _mm256_setzero_ps();
    return _mm256_maskload_ps(x, _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)));
}

/* Lanes 0-7 in one register, 8-15 in a second: rows x cols outputs, two accumulators each. */
GK_INLINE GK_TARGET_AVX2 void tile256(const gk_long_reduction *p, const gk_reduction_chunk *k, float *lanes,
                                      long i, long j, const int rows, const int cols) {
    const long lda = p->lda, ldb = k->ldb, length = p->length, n = p->n;
    __m256 lo[2][2], hi[2][2];
    for (int r = 0; r < rows; r++)
        for (int t = 0; t < cols; t++) {
            lo[r][t] = _mm256_loadu_ps(lanes + ((i + r) * n + j + t) * GK_LANES);
            hi[r][t] = _mm256_loadu_ps(lanes + ((i + r) * n + j + t) * GK_LANES + 8);
        }
    for (long s = 0; s < k->segments; s++) {
        const float *a = k->a + s * k->a_stride + i * lda, *b = k->b + s * k->b_stride + j * ldb - k->q0;
        for (long q = k->q0; q < k->q1; q += 16) {
            const long left = length - q;
            __m256 av[2], bv[2];
            for (int r = 0; r < rows; r++) av[r] = load_masked(a + r * lda + q, left);
            for (int t = 0; t < cols; t++) bv[t] = load_masked(b + t * ldb + q, left);
            if (j == 0 && i + 2 * rows <= p->m) prefetch_next_rows(a, lda, q, rows);
            for (int r = 0; r < rows; r++)
                for (int t = 0; t < cols; t++) lo[r][t] = _mm256_fmadd_ps(av[r], bv[t], lo[r][t]);
            for (int r = 0; r < rows; r++) av[r] = load_masked(a + r * lda + q + 8, left - 8);
            for (int t = 0; t < cols; t++) bv[t] = load_masked(b + t * ldb + q + 8, left - 8);
            for (int r = 0; r < rows; r++)
                for (int t = 0; t < cols; t++) hi[r][t] = _mm256_fmadd_ps(av[r], bv[t], hi[r][t]);
        }
    }
    for (int r = 0; r < rows; r++)
        for (int t = 0; t < cols; t++) {
            _mm256_storeu_ps(lanes + ((i + r) * n + j + t) * GK_LANES, lo[r][t]);
            _mm256_storeu_ps(lanes + ((i + r) * n + j + t) * GK_LANES + 8, hi[r][t]);
        }
}

/* 2 x 2 blocks: 8 accumulators, 4 loads for 4 fmas per half. */
static GK_TARGET_AVX2 void long_reduction_avx2(const gk_long_reduction *p, const gk_reduction_chunk *k,
                                               float *lanes) {
    LONG_REDUCTION_BLOCKS(tile256, 2, 2)
}

/* The tree on two AVX2 vectors: lanes 0-7 plus 8-15, then tree256. */
static GK_TARGET_AVX2 void store_vector(const gk_long_reduction *p, const float *lanes) {
    for (long i = 0; i < p->m; i++)
        for (long j = 0; j < p->n; j++) {
            const float *l = lanes + (i * p->n + j) * GK_LANES;
            store(p, i, j, tree256(_mm256_add_ps(_mm256_loadu_ps(l), _mm256_loadu_ps(l + 8))));
        }
}
#endif

void gk_long_reduction_add(const gk_long_reduction *p, const gk_reduction_chunk *k, float *lanes) {
    switch (gk_kernel_level()) {
#if GK_X86
    case GK_LEVEL_AVX512: long_reduction_avx512(p, k, lanes); break;
    case GK_LEVEL_AVX2: long_reduction_avx2(p, k, lanes); break;
#endif
    default: long_reduction_scalar(p, k, lanes); break;
    }
}

void gk_long_reduction_store(const gk_long_reduction *p, const float *lanes) {
#if GK_X86
    if (gk_kernel_level() != GK_LEVEL_SCALAR) {
        store_vector(p, lanes);
        return;
    }
#endif
    for (long i = 0; i < p->m; i++)
        for (long j = 0; j < p->n; j++) store(p, i, j, lanes_sum(lanes + (i * p->n + j) * GK_LANES));
}

int gk_long_reduction_gemm(const gk_long_reduction *p) {
    if (p->m <= 0 || p->n <= 0) return 0;
    const size_t count = (size_t)(p->m * p->n * GK_LANES);
    float *lanes = p->lanes ? p->lanes : malloc(count * sizeof(float));
    if (!lanes) return -1;
    memset(lanes, 0, count * sizeof(float));
    const gk_reduction_chunking c = gk_reduction_chunks(p->length, GK_REDUCTION_CHUNK);
    for (long s0 = 0; s0 < p->segments; s0 += c.per_chunk)
        for (long q0 = 0; q0 < c.padded; q0 += c.length) {
            const long s1 = s0 + c.per_chunk < p->segments ? s0 + c.per_chunk : p->segments;
            const gk_reduction_chunk k = {
                .a = p->a + s0 * p->a_stride, .a_stride = p->a_stride,
                .b = p->b + s0 * p->b_stride + q0, .b_stride = p->b_stride, .ldb = p->ldb,
                .segments = s1 - s0, .q0 = q0, .q1 = q0 + c.length < c.padded ? q0 + c.length : c.padded};
            gk_long_reduction_add(p, &k, lanes);
        }
    gk_long_reduction_store(p, lanes);
    if (!p->lanes) free(lanes);
    return 0;
}
