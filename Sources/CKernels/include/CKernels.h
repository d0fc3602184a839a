#ifndef GANKIT_CKERNELS_H
#define GANKIT_CKERNELS_H
/* Matrix products for the thin convolutions (1- to 3-channel edge layers), where one side of the
   product is small enough to stay in L1 and the other is long, and OpenBLAS spends its time
   packing the long operand. Three versions (portable scalar, AVX2+FMA, AVX-512) are chosen at run
   time; every output is computed in one fixed order of fused multiply-adds in all three, so results
   are bit for bit the same whichever version runs, and the same run to run. */

/* What the kernels run on: the best the CPU supports, unless forced (tests). */
#define GK_LEVEL_SCALAR 0
#define GK_LEVEL_AVX2 1
#define GK_LEVEL_AVX512 2

/* The level in force now. */
int gk_kernel_level(void);
/* The best level this CPU supports. */
int gk_kernel_best_level(void);
/* Forces `level` (clamped to what the CPU supports), or restores the automatic choice with -1.
   Returns the level in force afterwards. */
int gk_kernel_force_level(int level);

/* "Small A, stream B", for each of `batch` samples s:
     C_s[i, j] = sum_{kk < k} A(i, kk) * B_s[kk, j]  (+ bias[i]),   i < m, j < n
   with A(i, kk) = a[i * lda + kk], or a[kk * lda + i] when trans_a; B_s[kk, j] = b[s * b_stride +
   kk * ldb + j]; C_s[i, j] = c[s * c_stride + i * ldc + j].
   Order: each output is one chain acc = fma(A(i, kk), B(kk, j), acc) over kk = 0, 1, ... from
   acc = 0, then bias added. A is packed once per call (m * k floats). */
typedef struct {
    long m, n, k;
    const float *a;
    long lda;
    int trans_a;
    long batch;
    const float *b;
    long ldb, b_stride;
    float *c;
    long ldc, c_stride;
    const float *bias; /* m entries, or NULL */
} gk_small_a_product;

/* Returns 0, or -1 when the packed copy of A could not be allocated. */
int gk_small_a_gemm(const gk_small_a_product *p);

/* "Long reduction": C[i, j] (+)= sum over segments s and positions p < length of
     a[s * a_stride + i * lda + p] * b[s * b_stride + j * ldb + p],   i < m, j < n.
   Order: each output keeps GK_LANES partial sums; lane l takes the positions p = l (mod GK_LANES)
   of every segment in turn (segment by segment, p ascending), each segment padded with zeros to
   a multiple of GK_LANES, as fma chains from 0. The lanes are then added pairwise as a tree
   (lane l += lane l + h for h = 8, 4, 2, 1) and lane 0 is the sum; with `accumulate` it is added
   to C[i, j], else stored. */
#define GK_LANES 16
typedef struct {
    long m, n;
    long segments, length;
    const float *a;
    long lda, a_stride;
    const float *b;
    long ldb, b_stride;
    float *c;
    long ldc;
    int accumulate;
    float *lanes; /* work space of m * n * GK_LANES floats, or NULL to allocate one */
} gk_long_reduction;

/* Returns 0, or -1 when no work space was given and none could be allocated. */
int gk_long_reduction_gemm(const gk_long_reduction *p);

#endif
