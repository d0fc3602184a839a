/* gk_conv_forward: conv2d forward as an implicit GEMM, map = W X, where X (the im2col columns) is
   never stored: each panel of KC x NR columns is gathered straight from the NCHW image into a
   buffer that stays in L1/L2, and multiplied there by the weight, packed once per call. On the
   DCGAN-64 middle layers this skips both the column matrix (64 MB per batch on D.conv2) and
   OpenBLAS's own packing of it. Loop order (Goto's): a block of NC columns, then K in steps of
   KC (the panels packed once per step), then MR-row blocks of the weight against each NR panel;
   each output's chain is carried across the K steps through the C block, so its value is the
   same whatever the blocking. */
#include "dispatch.h"
#include <math.h>
#include <string.h>
#if GK_X86
#include <immintrin.h>
#endif

/* Only the explicit fma calls may fuse: an implicit contraction would change the rounding. */
#pragma STDC FP_CONTRACT OFF

/* Register tile MR x NR; KC x NR panel 32 KB; NC columns per block. KC 256 and 4 panels measured
   best of KC 128/256/512 x 2/4/8 panels on D.conv2 (2 threads; conv3/conv4 within 3%). */
enum { MR = 8, NR = 32, KC = 256, PANELS = 4, NC = NR * PANELS };

static long reduction(const gk_conv_shape *s) { return s->channels * s->kernel_height * s->kernel_width; }
static long padded_maps(const gk_conv_shape *s) { return (s->maps + MR - 1) / MR * MR; }

long gk_conv_packed_size(const gk_conv_shape *s) { return padded_maps(s) * reduction(s); }

long gk_conv_work_size(const gk_conv_shape *s) { return (long)KC * NC + padded_maps(s) * NC; }

/* packed[(block * K + kk) * MR + r] = W(block * MR + r, kk), 0 in the rows past `maps`. */
void gk_conv_pack_weight(const gk_conv_shape *s, const float *weight, float *packed) {
    const long k = reduction(s), blocks = padded_maps(s) / MR;
    for (long b = 0; b < blocks; b++)
        for (long kk = 0; kk < k; kk++)
            for (long r = 0; r < MR; r++) {
                const long o = b * MR + r;
                packed[(b * k + kk) * MR + r] = o < s->maps ? weight[o * k + kk] : 0;
            }
}

/* Where the NR columns of one panel read: column c (map position (oy, ox) of sample n) reads
   image[base[c] + channel * H*W + i*dh*W + j*dw] for tap (i, j) when bit c of rows[i] & cols[j]
   is set, else 0. Columns past the end of the call are never set. */
typedef struct {
    long base[NR];
    unsigned rows[GK_CONV_MAX_KERNEL], cols[GK_CONV_MAX_KERNEL];
} panel_sources;

static void locate_panel(const gk_conv_shape *s, long first, long end, panel_sources *ps) {
    const long area = s->map_height * s->map_width, plane = s->height * s->width;
    long top[NR], left[NR];
    for (long c = 0; c < NR; c++) {
        const long col = first + c < end ? first + c : first, n = col / area, pos = col % area;
        top[c] = (pos / s->map_width) * s->stride_h - s->pad_h;
        left[c] = (pos % s->map_width) * s->stride_w - s->pad_w;
        ps->base[c] = n * s->channels * plane + top[c] * s->width + left[c];
    }
    for (long i = 0; i < s->kernel_height; i++) {
        unsigned m = 0;
        for (long c = 0; c < NR && first + c < end; c++) {
            const long y = top[c] + i * s->dilation_h;
            if (y >= 0 && y < s->height) m |= 1u << c;
        }
        ps->rows[i] = m;
    }
    for (long j = 0; j < s->kernel_width; j++) {
        unsigned m = 0;
        for (long c = 0; c < NR && first + c < end; c++) {
            const long x = left[c] + j * s->dilation_w;
            if (x >= 0 && x < s->width) m |= 1u << c;
        }
        ps->cols[j] = m;
    }
}

/* Walks kk = k0 .. k0 + kc - 1 as (channel, i, j), calling GATHER(row, offset, mask) for each. */
#define FOR_EACH_TAP(s, k0, kc, GATHER)                                                                 \
    do {                                                                                                \
        const long taps = (s)->kernel_height * (s)->kernel_width, plane = (s)->height * (s)->width;     \
        long ch = (k0) / taps, t = (k0) % taps, i = t / (s)->kernel_width, j = t % (s)->kernel_width;   \
        for (long row = 0; row < (kc); row++) {                                                         \
            const long offset = ch * plane + i * (s)->dilation_h * (s)->width + j * (s)->dilation_w;    \
            GATHER(row, offset, ps->rows[i] & ps->cols[j]);                                             \
            if (++j == (s)->kernel_width) {                                                             \
                j = 0;                                                                                  \
                if (++i == (s)->kernel_height) { i = 0; ch++; }                                         \
            }                                                                                           \
        }                                                                                               \
    } while (0)

/* bp[row * NR + c] = X(k0 + row, column first + c). */
static void pack_panel_scalar(const gk_conv_shape *s, const float *image, const panel_sources *ps, long k0, long kc,
                              float *bp) {
#define GATHER_SCALAR(row, offset, mask)                                                                \
    for (long c = 0; c < NR; c++) bp[(row) * NR + c] = ((mask) >> c & 1u) ? image[ps->base[c] + (offset)] : 0.0f;
    FOR_EACH_TAP(s, k0, kc, GATHER_SCALAR);
#undef GATHER_SCALAR
}

/* The MR x NR tile, scalar: each output's chain over the panel's kc rows. */
static void tile_scalar(long kc, const float *ap, const float *bp, float *c, int first) {
    float acc[MR][NR];
    for (int r = 0; r < MR; r++)
        for (int j = 0; j < NR; j++) acc[r][j] = first ? 0.0f : c[r * NC + j];
    for (long kk = 0; kk < kc; kk++)
        for (int r = 0; r < MR; r++) {
            const float a = ap[kk * MR + r];
            for (int j = 0; j < NR; j++) acc[r][j] = fmaf(a, bp[kk * NR + j], acc[r][j]);
        }
    for (int r = 0; r < MR; r++)
        for (int j = 0; j < NR; j++) c[r * NC + j] = acc[r][j];
}

#if GK_X86
/* Offsets fit 32-bit gather indices (checked by the caller). */
static GK_TARGET_AVX512 void pack_panel_avx512(const gk_conv_shape *s, const float *image, const panel_sources *ps,
                                               long k0, long kc, float *bp) {
    int base[NR];
    for (int c = 0; c < NR; c++) base[c] = (int)ps->base[c];
    const __m512i lo = _mm512_loadu_si512(base), hi = _mm512_loadu_si512(base + 16);
#define GATHER_AVX512(row, offset, mask)                                                                   \
    {                                                                                                      \
        const __m512i o = _mm512_set1_epi32((int)(offset));                                                \
        _mm512_storeu_ps(bp + (row) * NR, _mm512_mask_i32gather_ps(_mm512_setzero_ps(), (__mmask16)(mask), \
                                                                   _mm512_add_epi32(lo, o), image, 4));    \
        _mm512_storeu_ps(bp + (row) * NR + 16,                                                             \
                         _mm512_mask_i32gather_ps(_mm512_setzero_ps(), (__mmask16)((mask) >> 16),          \
                                                  _mm512_add_epi32(hi, o), image, 4));                     \
    }
    FOR_EACH_TAP(s, k0, kc, GATHER_AVX512);
#undef GATHER_AVX512
}

/* The MR x NR tile in 16 accumulators. */
static GK_TARGET_AVX512 void tile_avx512(long kc, const float *ap, const float *bp, float *c, int first) {
    __m512 acc[MR][2];
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < 2; v++) acc[r][v] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(c + r * NC + 16 * v);
    for (long kk = 0; kk < kc; kk++) {
        const __m512 b0 = _mm512_loadu_ps(bp + kk * NR), b1 = _mm512_loadu_ps(bp + kk * NR + 16);
        for (int r = 0; r < MR; r++) {
            const __m512 a = _mm512_set1_ps(ap[kk * MR + r]);
            acc[r][0] = _mm512_fmadd_ps(a, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(a, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < 2; v++) _mm512_storeu_ps(c + r * NC + 16 * v, acc[r][v]);
}

/* The tile as four 4 x 16 quarters (8 accumulators of the 16 registers each). */
static GK_TARGET_AVX2 void tile_avx2(long kc, const float *ap, const float *bp, float *c, int first) {
    for (int r0 = 0; r0 < MR; r0 += 4)
        for (int j0 = 0; j0 < NR; j0 += 16) {
            __m256 acc[4][2];
            for (int r = 0; r < 4; r++)
                for (int v = 0; v < 2; v++)
                    acc[r][v] = first ? _mm256_setzero_ps() : _mm256_loadu_ps(c + (r0 + r) * NC + j0 + 8 * v);
            for (long kk = 0; kk < kc; kk++) {
                const __m256 b0 = _mm256_loadu_ps(bp + kk * NR + j0), b1 = _mm256_loadu_ps(bp + kk * NR + j0 + 8);
                for (int r = 0; r < 4; r++) {
                    const __m256 a = _mm256_broadcast_ss(ap + kk * MR + r0 + r);
                    acc[r][0] = _mm256_fmadd_ps(a, b0, acc[r][0]);
                    acc[r][1] = _mm256_fmadd_ps(a, b1, acc[r][1]);
                }
            }
            for (int r = 0; r < 4; r++)
                for (int v = 0; v < 2; v++) _mm256_storeu_ps(c + (r0 + r) * NC + j0 + 8 * v, acc[r][v]);
        }
}
#endif

/* C block [maps, NC] -> map [samples, maps, area] for columns first .. first + count - 1, bias
   added after the chain. */
static void store_block(const gk_conv_shape *s, const float *cw, long first, long count, const float *bias, float *map) {
    const long area = s->map_height * s->map_width;
    for (long done = 0; done < count;) {
        const long col = first + done, n = col / area, pos = col % area;
        const long run = area - pos < count - done ? area - pos : count - done;
        for (long o = 0; o < s->maps; o++) {
            float *to = map + (n * s->maps + o) * area + pos;
            const float *from = cw + o * NC + done;
            if (bias) {
                const float b = bias[o];
                for (long x = 0; x < run; x++) to[x] = from[x] + b;
            } else {
                memcpy(to, from, sizeof(float) * (size_t)run);
            }
        }
        done += run;
    }
}

int gk_conv_forward(const gk_conv_shape *s, long samples, const float *image, const float *packed,
                    const float *bias, float *map, float *work) {
    if (s->kernel_height > GK_CONV_MAX_KERNEL || s->kernel_width > GK_CONV_MAX_KERNEL) return -1;
    const long k = reduction(s), columns = samples * s->map_height * s->map_width, blocks = padded_maps(s) / MR;
    const int level = gk_kernel_level();
#if GK_X86
    /* 32-bit gather indices: every offset within the call's images, plus the padding's reach. */
    const int gathers = level == GK_LEVEL_AVX512 && (samples + 1) * s->channels * s->height * s->width < (1L << 30);
#endif
    float *bp = work, *cw = work + (long)KC * NC;
    panel_sources ps[PANELS];
    for (long jc = 0; jc < columns; jc += NC) {
        const long count = columns - jc < NC ? columns - jc : NC, panels = (count + NR - 1) / NR;
        for (long p = 0; p < panels; p++) locate_panel(s, jc + p * NR, jc + count, &ps[p]);
        if (k == 0) memset(cw, 0, sizeof(float) * (size_t)(blocks * MR * NC));
        for (long k0 = 0; k0 < k; k0 += KC) {
            const long kc = k - k0 < KC ? k - k0 : KC;
            for (long p = 0; p < panels; p++) {
#if GK_X86
                if (gathers) { pack_panel_avx512(s, image, &ps[p], k0, kc, bp + p * kc * NR); continue; }
#endif
                pack_panel_scalar(s, image, &ps[p], k0, kc, bp + p * kc * NR);
            }
            for (long b = 0; b < blocks; b++)
                for (long p = 0; p < panels; p++) {
                    const float *ap = packed + (b * k + k0) * MR, *panel = bp + p * kc * NR;
                    float *c = cw + b * MR * NC + p * NR;
                    switch (level) {
#if GK_X86
                    case GK_LEVEL_AVX512: tile_avx512(kc, ap, panel, c, k0 == 0); break;
                    case GK_LEVEL_AVX2: tile_avx2(kc, ap, panel, c, k0 == 0); break;
#endif
                    default: tile_scalar(kc, ap, panel, c, k0 == 0); break;
                    }
                }
        }
        store_block(s, cw, jc, count, bias, map);
    }
    return 0;
}
