/* gk_small_a_gemm: C = A B (+ bias) with A small (it stays in L1, packed as A^T so the values one
   step of k needs for a block of rows are adjacent) and B long. Every version computes each output
   as the same fma chain over k (see CKernels.h); they differ only in how many outputs run at once. */
#include "dispatch.h"
#include "lanes512.h"
#include <math.h>
#include <stdlib.h>
#if GK_X86
#include <immintrin.h>
#endif

/* Only the explicit fma calls may fuse: an implicit contraction would change the rounding. */
#pragma STDC FP_CONTRACT OFF

/* ap[kk * m + i] = A(i, kk). */
static void pack_transposed(const gk_small_a_product *p, float *ap) {
    for (long kk = 0; kk < p->k; kk++)
        for (long i = 0; i < p->m; i++)
            ap[kk * p->m + i] = p->trans_a ? p->a[kk * p->lda + i] : p->a[i * p->lda + kk];
}

/* One row of C at a time, the chains advanced together along the row. */
static void small_a_scalar(const gk_small_a_product *p, const float *ap) {
    const long m = p->m, n = p->n, k = p->k;
    for (long s = 0; s < p->batch; s++) {
        const float *b = p->b + s * p->b_stride;
        for (long i = 0; i < m; i++) {
            float *c = p->c + s * p->c_stride + i * p->ldc;
            for (long j = 0; j < n; j++) c[j] = 0;
            for (long kk = 0; kk < k; kk++) {
                const float a = ap[kk * m + i], *row = b + kk * p->ldb;
                for (long j = 0; j < n; j++) c[j] = fmaf(a, row[j], c[j]);
            }
            if (p->bias)
                for (long j = 0; j < n; j++) c[j] = c[j] + p->bias[i];
        }
    }
}

#if GK_X86
/* The walk over C shared by the vector versions, for each sample: column blocks of 2 vectors
   (the last block 1 vector, masked), and in each the rows by blocks of ROWS, then one by one.
   TILE(ap, m, k, b, ldb, c, ldc, bias, rows, vecs, columns) computes one block. */
#define SMALL_A_WALK(TILE, ROWS, WIDTH)                                                              \
    for (long s = 0; s < p->batch; s++) {                                                            \
        const float *b = p->b + s * p->b_stride;                                                     \
        float *c = p->c + s * p->c_stride;                                                           \
        for (long j = 0; j < p->n;) {                                                                \
            const long left = p->n - j;                                                              \
            const int wide = left >= 2 * (WIDTH);                                                    \
            const long columns = wide ? 2 * (WIDTH) : (left < (WIDTH) ? left : (WIDTH));             \
            long i = 0;                                                                              \
            for (; i <= p->m - (ROWS); i += (ROWS)) {                                                \
                const float *bias = p->bias ? p->bias + i : NULL;                                    \
                float *ci = c + i * p->ldc + j;                                                      \
                if (wide) TILE(ap + i, p->m, p->k, b + j, p->ldb, ci, p->ldc, bias, ROWS, 2, columns); \
                else TILE(ap + i, p->m, p->k, b + j, p->ldb, ci, p->ldc, bias, ROWS, 1, columns);      \
            }                                                                                        \
            for (; i < p->m; i++) {                                                                  \
                const float *bias = p->bias ? p->bias + i : NULL;                                    \
                float *ci = c + i * p->ldc + j;                                                      \
                if (wide) TILE(ap + i, p->m, p->k, b + j, p->ldb, ci, p->ldc, bias, 1, 2, columns);  \
                else TILE(ap + i, p->m, p->k, b + j, p->ldb, ci, p->ldc, bias, 1, 1, columns);       \
            }                                                                                        \
            j += columns;                                                                            \
        }                                                                                            \
    }

/* A rows x `columns` block of C (16 * vecs columns, fewer in the last vector). With rows and vecs
   constant after inlining, the accumulators live in registers. */
GK_INLINE GK_TARGET_AVX512 void tile512(const float *ap, long m, long k, const float *b, long ldb, float *c, long ldc,
                                        const float *bias, const int rows, const int vecs, long columns) {
    const long tail = columns - 16 * (vecs - 1);
    const __mmask16 last = first_lanes(tail);
    __m512 acc[8][2];
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vecs; v++) acc[r][v] = _mm512_setzero_ps();
    for (long kk = 0; kk < k; kk++) {
        __m512 bv[2];
        for (int v = 0; v < vecs; v++) bv[v] = _mm512_maskz_loadu_ps(v == vecs - 1 ? last : 0xFFFF, b + kk * ldb + 16 * v);
        for (int r = 0; r < rows; r++) {
            const __m512 av = _mm512_set1_ps(ap[kk * m + r]);
            for (int v = 0; v < vecs; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
        }
    }
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vecs; v++) {
            __m512 x = acc[r][v];
            if (bias) x = _mm512_add_ps(x, _mm512_set1_ps(bias[r]));
            _mm512_mask_storeu_ps(c + r * ldc + 16 * v, v == vecs - 1 ? last : 0xFFFF, x);
        }
}

/* 8 rows x 32 columns per block (16 accumulators). */
static GK_TARGET_AVX512 void small_a_avx512(const gk_small_a_product *p, const float *ap) { SMALL_A_WALK(tile512, 8, 16) }

/* AVX2 masks for the first `count` (0..8) of 8 lanes. */
GK_INLINE GK_TARGET_AVX2 __m256i mask256(long count) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* A rows x `columns` block (8 * vecs columns, fewer in the last vector). */
GK_INLINE GK_TARGET_AVX2 void tile256(const float *ap, long m, long k, const float *b, long ldb, float *c, long ldc,
                                      const float *bias, const int rows, const int vecs, long columns) {
    const __m256i all = _mm256_set1_epi32(-1), last = mask256(columns - 8 * (vecs - 1));
    __m256 acc[4][2];
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vecs; v++) acc[r][v] = _mm256_setzero_ps();
    for (long kk = 0; kk < k; kk++) {
        __m256 bv[2];
        for (int v = 0; v < vecs; v++) bv[v] = _mm256_maskload_ps(b + kk * ldb + 8 * v, v == vecs - 1 ? last : all);
        for (int r = 0; r < rows; r++) {
            const __m256 av = _mm256_broadcast_ss(ap + kk * m + r);
            for (int v = 0; v < vecs; v++) acc[r][v] = _mm256_fmadd_ps(av, bv[v], acc[r][v]);
        }
    }
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vecs; v++) {
            __m256 x = acc[r][v];
            if (bias) x = _mm256_add_ps(x, _mm256_set1_ps(bias[r]));
            _mm256_maskstore_ps(c + r * ldc + 8 * v, v == vecs - 1 ? last : all, x);
        }
}

/* 4 rows x 16 columns per block (8 accumulators of the 16 registers). */
static GK_TARGET_AVX2 void small_a_avx2(const gk_small_a_product *p, const float *ap) { SMALL_A_WALK(tile256, 4, 8) }
#endif

int gk_small_a_gemm(const gk_small_a_product *p) {
    if (p->m <= 0 || p->n <= 0 || p->batch <= 0) return 0;
    float *ap = malloc(sizeof(float) * (size_t)(p->k > 0 ? p->k * p->m : 1));
    if (!ap) return -1;
    pack_transposed(p, ap);
    switch (gk_kernel_level()) {
#if GK_X86
    case GK_LEVEL_AVX512: small_a_avx512(p, ap); break;
    case GK_LEVEL_AVX2: small_a_avx2(p, ap); break;
#endif
    default: small_a_scalar(p, ap); break;
    }
    free(ap);
    return 0;
}
