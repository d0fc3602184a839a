/* gk_long_reduction_gemm: C = A B^T where both operands are a few rows of long stretches (the
   convolution weight gradient of a thin layer: map rows against column rows, summed over every
   position of every sample). Each output keeps 16 lanes of partial sums and adds them as a fixed
   tree (see CKernels.h): a 16-float AVX-512 vector, two AVX2 vectors, or 16 scalars. */
#include "dispatch.h"
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

/* The walk shared by every version, for one chunk: every block of outputs (BLOCK x BLOCK, then
   the remainders one row or one column wide) through TILE(p, k, lanes, i, j, rows, cols), so a
   chunk of the operands is read from L1/L2 by all blocks instead of each block streaming whole
   rows from memory. Each lane still takes its positions in the order of CKernels.h. */
#define LONG_REDUCTION_BLOCKS(TILE, BLOCK)                                                           \
    long i = 0;                                                                                      \
    for (; i <= p->m - (BLOCK); i += (BLOCK)) {                                                      \
        long j = 0;                                                                                  \
        for (; j <= p->n - (BLOCK); j += (BLOCK)) TILE(p, k, lanes, i, j, BLOCK, BLOCK);             \
        for (; j < p->n; j++) TILE(p, k, lanes, i, j, BLOCK, 1);                                     \
    }                                                                                                \
    for (; i < p->m; i++) {                                                                          \
        long j = 0;                                                                                  \
        for (; j <= p->n - (BLOCK); j += (BLOCK)) TILE(p, k, lanes, i, j, 1, BLOCK);                 \
        for (; j < p->n; j++) TILE(p, k, lanes, i, j, 1, 1);                                         \
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
    LONG_REDUCTION_BLOCKS(tile_scalar, 1)
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

/* The first block of a row block (j == 0) reads its rows of `a` from memory while later blocks
   find them in L1; it also asks for the next row block's, so those arrive before they are
   needed. The map rows of a chunk are many short streams (4 rows x 4 samples of 784 bytes on
   DCGAN-28), which the hardware prefetchers follow poorly. G.convT2's input and weight gradients
   run back to back (6.4 MB each, C driver, median of 400): 0.84-0.89 -> 0.78-0.82 ms. */
#define PREFETCH_NEXT_ROWS(a, q)                                                                     \
    if (j == 0 && i + 2 * rows <= p->m)                                                              \
        for (int r = 0; r < rows; r++) _mm_prefetch((const char *)((a) + (rows + r) * lda + (q)), _MM_HINT_T0)

/* A rows x cols block of outputs starting at (i, j) over the chunk. */
GK_INLINE GK_TARGET_AVX512 void tile512(const gk_long_reduction *p, const gk_reduction_chunk *k, float *lanes,
                                        long i, long j, const int rows, const int cols) {
    const long lda = p->lda, ldb = k->ldb, length = p->length, n = p->n;
    __m512 acc[4][4];
    for (int r = 0; r < rows; r++)
        for (int t = 0; t < cols; t++) acc[r][t] = _mm512_loadu_ps(lanes + ((i + r) * n + j + t) * GK_LANES);
    for (long s = 0; s < k->segments; s++) {
        const float *a = k->a + s * k->a_stride + i * lda, *b = k->b + s * k->b_stride + j * ldb - k->q0;
        for (long q = k->q0; q < k->q1; q += 16) {
            const __mmask16 mask = q + 16 <= length ? 0xFFFF : (__mmask16)((1u << (length - q)) - 1);
            __m512 av[4], bv[4];
            for (int r = 0; r < rows; r++) av[r] = _mm512_maskz_loadu_ps(mask, a + r * lda + q);
            for (int t = 0; t < cols; t++) bv[t] = _mm512_maskz_loadu_ps(mask, b + t * ldb + q);
            PREFETCH_NEXT_ROWS(a, q);
            for (int r = 0; r < rows; r++)
                for (int t = 0; t < cols; t++) acc[r][t] = _mm512_fmadd_ps(av[r], bv[t], acc[r][t]);
        }
    }
    for (int r = 0; r < rows; r++)
        for (int t = 0; t < cols; t++) _mm512_storeu_ps(lanes + ((i + r) * n + j + t) * GK_LANES, acc[r][t]);
}

/* 4 x 4 blocks: 16 accumulators, 8 loads for 16 fmas. */
static GK_TARGET_AVX512 void long_reduction_avx512(const gk_long_reduction *p, const gk_reduction_chunk *k,
                                                   float *lanes) {
    LONG_REDUCTION_BLOCKS(tile512, 4)
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
            PREFETCH_NEXT_ROWS(a, q);
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
    LONG_REDUCTION_BLOCKS(tile256, 2)
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
