#ifndef GANKIT_CKERNELS_LONG_REDUCTION_H
#define GANKIT_CKERNELS_LONG_REDUCTION_H
/* The long reduction (long_reduction.c) in pieces, for kernels that produce an operand chunk by
   chunk instead of passing it whole (thin_wgrad.c). Every output keeps GK_LANES partial sums in
   `lanes` (m * n * GK_LANES floats, zeroed first); chunks add to them, and gk_long_reduction_store
   sums each output's lanes and stores it. Given chunks that cover the segments in order (and
   within a segment its positions in order), the result is gk_long_reduction_gemm's, bit for bit. */
#include "CKernels.h"

/* Positions [q0, q1) of `segments` segments, q1 - q0 a multiple of GK_LANES; positions from
   p->length on read as zeros. Operands: a[s * a_stride + i * p->lda + q] and
   b[s * b_stride + j * ldb + q - q0] for segment s < segments of the chunk, output (i, j). */
typedef struct {
    const float *a;
    long a_stride;
    const float *b;
    long b_stride, ldb;
    long segments, q0, q1;
} gk_reduction_chunk;

/* Positions per chunk of gk_long_reduction_gemm (a multiple of GK_LANES). */
#define GK_REDUCTION_CHUNK 512

/* How segments of `length` positions are cut into chunks of at most `most` positions (a multiple
   of GK_LANES): short segments go several to a chunk, long ones are cut into chunks that long. */
typedef struct {
    long padded;     /* a segment's length rounded up to whole vectors */
    long length;     /* positions per chunk */
    long per_chunk;  /* segments per chunk */
} gk_reduction_chunking;

static inline gk_reduction_chunking gk_reduction_chunks(long length, long most) {
    const long padded = (length + GK_LANES - 1) / GK_LANES * GK_LANES;
    if (padded >= most) return (gk_reduction_chunking){padded, most, 1};
    return (gk_reduction_chunking){padded, padded, padded == 0 ? 1 : most / padded};
}

/* Adds a chunk to the lanes of p's m x n outputs (p's m, n, lda and length; its operands unused). */
void gk_long_reduction_add(const gk_long_reduction *p, const gk_reduction_chunk *k, float *lanes);

/* C[i, j] (+)= the tree sum of output (i, j)'s lanes (p's c, ldc and accumulate). */
void gk_long_reduction_store(const gk_long_reduction *p, const float *lanes);

#endif
