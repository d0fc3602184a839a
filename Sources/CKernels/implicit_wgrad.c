/* gk_conv_weight_gradient: conv2d's weight gradient as an implicit GEMM, dW = map X^T, reducing
   over every map position of every sample. With the tile of implicit_tile.h, C = dW [maps, K]:
   A = the map (gy), packed per step of KC positions as rows of MR maps; B = X^T, each panel of
   KC positions x NR column rows (taps) gathered straight from the NCHW image. A caller splits
   the columns of dW (not the batch) among threads, so each output's chain runs over the whole
   batch in one order whatever the thread count. */
#pragma STDC FP_CONTRACT OFF

#include "implicit_tile.h"
#include <string.h>


long gk_conv_weight_gradient_work_size(const gk_conv_shape *s, long rows) {
    const long panels = (rows + NR - 1) / NR;
    return padded_maps(s) * KC + (long)KC * NR + padded_maps(s) * panels * NR;
}

#if GK_X86
/* 8 maps' next 8 positions (rows[r], consecutive floats; NULL for a padded map, read as 0) as 8
   rows of MR = 8 at `to`, by an 8 x 8 transpose in registers. */
GK_INLINE GK_TARGET_AVX2 void transpose8(const float *const rows[8], long t, float *to) {
    __m256 r[8], u[8];
    for (int i = 0; i < 8; i++) r[i] = rows[i] ? _mm256_loadu_ps(rows[i] + t) : _mm256_setzero_ps();
    for (int i = 0; i < 8; i += 2) {
        u[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        u[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        r[i] = _mm256_shuffle_ps(u[i], u[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        r[i + 1] = _mm256_shuffle_ps(u[i], u[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        r[i + 2] = _mm256_shuffle_ps(u[i + 1], u[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        r[i + 3] = _mm256_shuffle_ps(u[i + 1], u[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int i = 0; i < 4; i++) {
        _mm256_storeu_ps(to + 8 * i, _mm256_permute2f128_ps(r[i], r[i + 4], 0x20));
        _mm256_storeu_ps(to + 8 * (i + 4), _mm256_permute2f128_ps(r[i], r[i + 4], 0x31));
    }
}

/* The first positions of a run, 8 at a time; returns how many. */
static GK_TARGET_AVX2 long pack_run_avx2(const float *const rows[MR], long run, float *to) {
    long t = 0;
    for (; t + 8 <= run; t += 8) transpose8(rows, t, to + t * MR);
    return t;
}
#endif

/* ap[(b * kc + q) * MR + r] = gy[n, b * MR + r, pos] for position p0 + q = n * area + pos, 0 for
   the padded maps. Positions are taken in runs within one sample (a division per element was
   three quarters of the function's profile samples, 3 Dec); with `vector` (MR = 8) a run goes
   by 8 x 8 transposes, its tail one float at a time. The strided scalar copy of every float was
   about a tenth of the weight gradient of DCGAN-64's D.conv2 (one thread, half its columns:
   10.5-10.7 ms with the map packed only once, wrong, against 11.8-12.2). */
static void pack_map(const gk_conv_shape *s, const float *map, long p0, long kc, float *ap, int vector) {
    const long area = s->map_height * s->map_width, blocks = padded_maps(s) / MR;
    for (long b = 0; b < blocks; b++) {
        float *to = ap + b * kc * MR;
        long n = p0 / area, pos = p0 % area;
        for (long q = 0; q < kc;) {
            const long run = kc - q < area - pos ? kc - q : area - pos;
            const float *rows[MR];
            for (long r = 0; r < MR; r++)
                rows[r] = b * MR + r < s->maps ? map + (n * s->maps + b * MR + r) * area + pos : NULL;
            long t = 0;
#if GK_X86
            if (vector) t = pack_run_avx2(rows, run, to + q * MR);
#endif
            for (; t < run; t++)
                for (long r = 0; r < MR; r++) to[(q + t) * MR + r] = rows[r] ? rows[r][t] : 0.0f;
            q += run;
            pos += run;
            if (pos == area) {
                pos = 0;
                n++;
            }
        }
    }
}

/* The taps of one panel: column c (row kk0 + c of X) reads image[source + offset[c]] when its
   kernel row and column fall inside the image; columns past `count` read 0. For each map position
   the kernel rows inside the image are a range ilo..<ihi (likewise the columns), and the columns
   with a kernel row in it are rows_below[ihi] ^ rows_below[ilo] (a tap's bit is set in
   rows_below[i] when its kernel row is below i). Taps along a kernel row read consecutive floats:
   a half made of a few such runs (`halves`, e.g. four rows of a 4x4 kernel) is read by masked
   loads instead of a gather. */
typedef struct {
    int offset[NR];
    unsigned rows_below[GK_CONV_MAX_KERNEL + 1], cols_below[GK_CONV_MAX_KERNEL + 1];
    half_segments halves[NR / 16];
} panel_taps;

static void locate_taps(const gk_conv_shape *s, long kk0, long count, panel_taps *pt) {
    const long taps = s->kernel_height * s->kernel_width, plane = s->height * s->width;
    memset(pt->rows_below, 0, sizeof pt->rows_below);
    memset(pt->cols_below, 0, sizeof pt->cols_below);
    for (long c = 0; c < NR; c++) {
        const long kk = kk0 + (c < count ? c : 0), ch = kk / taps, i = kk % taps / s->kernel_width,
                   j = kk % s->kernel_width;
        pt->offset[c] = (int)(ch * plane + i * s->dilation_h * s->width + j * s->dilation_w);
        if (c >= count) continue;
        for (long b = i + 1; b <= s->kernel_height; b++) pt->rows_below[b] |= 1u << c;
        for (long b = j + 1; b <= s->kernel_width; b++) pt->cols_below[b] |= 1u << c;
    }
    for (int h = 0; h < NR / 16; h++) find_segments(pt->offset + 16 * h, &pt->halves[h]);
}

/* A map position: the image offset of its receptive field's corner, and the kernel rows and
   columns inside the image. */
typedef struct {
    long source;
    unsigned char ilo, ihi, jlo, jhi;
} position;

/* first index t < count with lo <= start + t * step, and one past the last with it < size */
static void inside(long start, long step, long count, long size, unsigned char *lo, unsigned char *hi) {
    long a = 0, b = count;
    while (a < count && start + a * step < 0) a++;
    while (b > a && start + (b - 1) * step >= size) b--;
    *lo = (unsigned char)a;
    *hi = (unsigned char)b;
}

static void locate_positions(const gk_conv_shape *s, long p0, long kc, position *at) {
    const long area = s->map_height * s->map_width;
    for (long q = 0; q < kc; q++) {
        const long p = p0 + q, n = p / area, pos = p % area;
        const long top = (pos / s->map_width) * s->stride_h - s->pad_h, left = (pos % s->map_width) * s->stride_w - s->pad_w;
        at[q].source = n * s->channels * s->height * s->width + top * s->width + left;
        inside(top, s->dilation_h, s->kernel_height, s->height, &at[q].ilo, &at[q].ihi);
        inside(left, s->dilation_w, s->kernel_width, s->width, &at[q].jlo, &at[q].jhi);
    }
}

GK_INLINE unsigned taps_inside(const panel_taps *pt, const position *at) {
    return (pt->rows_below[at->ihi] ^ pt->rows_below[at->ilo]) & (pt->cols_below[at->jhi] ^ pt->cols_below[at->jlo]);
}

/* bp[q * NR + c] = X(kk0 + c, position p0 + q). */
static void pack_taps_scalar(const float *image, const panel_taps *pt, const position *at, long kc, float *bp) {
    for (long q = 0; q < kc; q++) {
        const unsigned mask = taps_inside(pt, &at[q]);
        for (long c = 0; c < NR; c++) bp[q * NR + c] = (mask >> c & 1u) ? image[at[q].source + pt->offset[c]] : 0.0f;
    }
}

#if GK_X86
/* Offsets fit 32-bit gather indices (checked by the caller). */
static GK_TARGET_AVX512 void pack_taps_avx512(const float *image, const panel_taps *pt, const position *at, long kc,
                                              float *bp) {
    for (long q = 0; q < kc; q++) {
        const unsigned mask = taps_inside(pt, &at[q]);
        const float *from = image + at[q].source;
        _mm512_storeu_ps(bp + q * NR, load_half(from, pt->offset, &pt->halves[0], mask & 0xFFFFu));
        _mm512_storeu_ps(bp + q * NR + 16, load_half(from, pt->offset + 16, &pt->halves[1], mask >> 16));
    }
}
#endif

int gk_conv_weight_gradient(const gk_conv_shape *s, long samples, const float *image, const float *map, long first_row,
                            long rows, float *dw, float *work) {
    if (s->kernel_height > GK_CONV_MAX_KERNEL || s->kernel_width > GK_CONV_MAX_KERNEL) return -1;
    const long k = reduction(s), positions = samples * s->map_height * s->map_width, blocks = padded_maps(s) / MR;
    const long panels = (rows + NR - 1) / NR, ldc = panels * NR;
    const int level = gk_kernel_level();
#if GK_X86
    const int gathers = gathers_fit(level, s, samples);
#endif
    float *ap = work, *bp = ap + padded_maps(s) * KC, *cw = bp + (long)KC * NR;
    position at[KC];
    if (positions == 0) memset(cw, 0, sizeof(float) * (size_t)(blocks * MR * ldc));
    for (long p0 = 0; p0 < positions; p0 += KC) {
        const long kc = positions - p0 < KC ? positions - p0 : KC;
        pack_map(s, map, p0, kc, ap, level >= GK_LEVEL_AVX2 && MR == 8);
        locate_positions(s, p0, kc, at);
        for (long p = 0; p < panels; p++) {
            panel_taps pt;
            locate_taps(s, first_row + p * NR, rows - p * NR < NR ? rows - p * NR : NR, &pt);
#if GK_X86
            if (gathers) pack_taps_avx512(image, &pt, at, kc, bp);
            else
#endif
                pack_taps_scalar(image, &pt, at, kc, bp);
            for (long b = 0; b < blocks; b++) tile(level, kc, ap + b * kc * MR, bp, cw + b * MR * ldc + p * NR, ldc, p0 == 0);
        }
    }
    for (long o = 0; o < s->maps; o++) memcpy(dw + o * k + first_row, cw + o * ldc, sizeof(float) * (size_t)rows);
    return 0;
}
