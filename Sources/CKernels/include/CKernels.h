#ifndef GANKIT_CKERNELS_H
#define GANKIT_CKERNELS_H
/* Matrix products for the thin convolutions (1- to 3-channel edge layers), where one side of the
   product is small enough to stay in L1 and the other is long, and OpenBLAS spends its time
   packing the long operand; and conv2d forward of the wide layers as an implicit GEMM. Three versions (portable scalar, AVX2+FMA, AVX-512) are chosen at run
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

/* Implicit-GEMM conv2d forward for the wide layers (implicit_conv.c), for `samples` images:
     map[n, o, y, x] = sum_{kk < K} W(o, kk) * X_n(kk, y, x)  (+ bias[o])
   with K = channels * kernel_height * kernel_width, W(o, kk) = weight[o * K + kk] and, for
   kk = (c * kernel_height + i) * kernel_width + j, X_n(kk, y, x) = image[n, c, y * stride_h - pad_h
   + i * dilation_h, x * stride_w - pad_w + j * dilation_w], 0 outside the image (im2col's columns).
   Order: each output is one chain acc = fma(W(o, kk), X(kk, ...), acc) over kk = 0, 1, ... from
   acc = 0, then bias added (gk_small_a_gemm's order), on every level and whatever samples a call
   gets: a batch split over threads gives the same bits as one call. */
#define GK_CONV_MAX_KERNEL 16
typedef struct {
    long channels, height, width;
    long maps, map_height, map_width;
    long kernel_height, kernel_width;
    long stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w;
} gk_conv_shape;

/* Floats of the packed weight, and of one call's work space. */
long gk_conv_packed_size(const gk_conv_shape *s);
long gk_conv_work_size(const gk_conv_shape *s);
/* Packs `weight` [maps, K] for gk_conv_forward; one packed copy serves concurrent calls. */
void gk_conv_pack_weight(const gk_conv_shape *s, const float *weight, float *packed);
/* Returns 0, or -1 when a kernel side exceeds GK_CONV_MAX_KERNEL (nothing is written). */
int gk_conv_forward(const gk_conv_shape *s, long samples, const float *image, const float *packed,
                    const float *bias, float *map, float *work);

/* gk_conv_forward's product with the samples on the vector lanes, for small maps read with a
   stride (where gk_conv_forward gathers every panel row): the image is
   first laid out as [C][H][W][samples] in the work space (gk_conv_lanes_work_size(s, samples)
   floats), and the columns run position-major, sample-minor, so one position's samples are
   consecutive floats and a panel row is one or two masked loads instead of gathers. Each output's
   chain is gk_conv_forward's, so the result is the same bits. */
long gk_conv_lanes_work_size(const gk_conv_shape *s, long samples);
int gk_conv_forward_lanes(const gk_conv_shape *s, long samples, const float *image, const float *packed,
                          const float *bias, float *map, float *work);

/* conv2d's weight gradient as an implicit GEMM (implicit_wgrad.c), for column rows
   first_row .. first_row + rows - 1 of dW [maps, K] (the rest is left alone):
     dW(o, kk) = sum over n < samples, (y, x) of map[n, o, y, x] * X_n(kk, y, x)
   with X as for gk_conv_forward. Order: each output is one chain acc = fma(map, X, acc) over the
   positions p = n * map area + y * map_width + x ascending, from acc = 0: the same on every level
   and for any split of the rows among calls. Work space: gk_conv_weight_gradient_work_size(s, rows)
   floats. Returns 0, or -1 when a kernel side exceeds GK_CONV_MAX_KERNEL (nothing is written). */
long gk_conv_weight_gradient_work_size(const gk_conv_shape *s, long rows);
int gk_conv_weight_gradient(const gk_conv_shape *s, long samples, const float *image, const float *map, long first_row,
                            long rows, float *dw, float *work);

/* convTranspose2d forward onto a thin image by output phases (thin_transposed.c): stride 2, a 4x4
   kernel, padding 1, no dilation, 1 to GK_THIN_MAX_CHANNELS image channels, for `samples` samples:
     image[n, ci, Y, X] = sum_{c < maps} sum_{i, j < 4} W(c, ci, i, j) * map[n, c, y, x]  (+ bias[ci])
   over the taps with 2y - 1 + i = Y and 2x - 1 + j = X (2 x 2 of them per output), map
   positions outside the map reading 0; W(c, ci, i, j) = weight[((c * channels + ci) * 4 + i) * 4
   + j] (convTranspose2d's weight [maps, channels, 4, 4]); the map [samples, maps, map_height,
   map_width] may be smaller or larger than the image's half (output padding, cropped adjoints).
   Order: each output is one chain acc = fma(W, map, acc) from acc = 0 over c ascending, within c
   its taps by map row y ascending then map column x ascending (kernel rows i and columns j
   descending), the zero terms included; then bias added. The same on every level and for any
   split of the samples among calls. */
#define GK_THIN_MAX_CHANNELS 3
typedef struct {
    long channels, height, width;
    long maps, map_height, map_width;
} gk_thin_shape;

/* Returns 0, or -1 when `channels` is outside 1 ... GK_THIN_MAX_CHANNELS (nothing is written). */
int gk_thin_transposed_conv(const gk_thin_shape *s, long samples, const float *map, const float *weight,
                            const float *bias, float *image);

/* conv2d forward from a thin image (thin_conv.c), the same geometry and weight layout as
   gk_thin_transposed_conv's (stride 2, 4x4 kernel, padding 1, 1 to GK_THIN_MAX_CHANNELS image
   channels; the weight [maps, channels, 4, 4] read as W(c, kk) = weight[c * K + kk], K = channels
   * 16), for `samples` samples:
     map[n, c, y, x] = sum_{kk < K} W(c, kk) * X_n(kk, y, x)  (+ bias[c])
   with X_n(kk, y, x) = image[n, ci, 2y - 1 + i, 2x - 1 + j] for kk = (ci * 4 + i) * 4 + j, 0
   outside the image (im2col's columns). Order: gk_small_a_gemm's and gk_conv_forward's, one chain
   over kk ascending from 0, then bias added: the same bits as the small-A product of the columns,
   on every level and for any split of the samples among calls. Work space:
   gk_thin_conv_work_size(s) floats (the current sample split into its 4 stride phases). Returns
   0, or -1 when `channels` is outside 1 ... GK_THIN_MAX_CHANNELS (nothing is written). */
long gk_thin_conv_work_size(const gk_thin_shape *s);
int gk_thin_conv(const gk_thin_shape *s, long samples, const float *image, const float *weight, const float *bias,
                 float *map, float *work);

/* conv2d's weight gradient from a thin image (thin_wgrad.c), gk_thin_conv's geometry and weight
   layout, for `samples` samples:
     sums[c * K + kk] (+)= sum over n < samples, (y, x) of map[n, c, y, x] * X_n(kk, y, x)
   with X_n as for gk_thin_conv and K = channels * 16; with `accumulate` added to sums, else
   stored. Order: gk_long_reduction_gemm's, the segments being the samples and the positions the
   map's (map rows against im2col's column rows): the same bits as that product of the columns,
   on every level. Work space: gk_thin_weight_gradient_work_size(s) floats. Returns 0, or -1 when
   `channels` is outside 1 ... GK_THIN_MAX_CHANNELS (nothing is written). */
long gk_thin_weight_gradient_work_size(const gk_thin_shape *s);
int gk_thin_weight_gradient(const gk_thin_shape *s, long samples, const float *image, const float *map, float *sums,
                            int accumulate, float *work);

/* The output phases of a stride-2 transposed convolution laid into the output (phase_interleave.c):
   out[plane, 2a + py, 2b + px] = phases[2 * py + px][(plane * H_py + a) * W_px + b] for planes
   first_plane ..< first_plane + planes of an output of height x width, H_0 = (height + 1) / 2,
   H_1 = height / 2, W_0 = (width + 1) / 2, W_1 = width / 2. Data movement only. */
void gk_interleave_phases(long first_plane, long planes, long height, long width, const float *const phases[4],
                          float *out);

/* Thread pool (thread_pool.c): runs task(context, i) for i in [0, iterations) on the calling thread
   and up to `helpers` (at most GK_POOL_MAX_HELPERS) pool threads, started on first use, which spin
   briefly between jobs and then park. Returns 0 once every iteration has run; returns 1 without
   running any when the pool is busy with another job (another thread's, or a nested call from a
   task), and the caller must run them some other way. */
#define GK_POOL_MAX_HELPERS 63
typedef void (*gk_pool_task)(void *context, long index);
int gk_pool_run(long iterations, int helpers, gk_pool_task task, void *context);

#endif
