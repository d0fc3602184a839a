/* gk_conv_forward: conv2d forward as an implicit GEMM, map = W X, where X (the im2col columns) is
   never stored: each panel of KC x NR columns is gathered straight from the NCHW image into a
   buffer that stays in L1/L2, and multiplied there by the weight, packed once per call. On the
   DCGAN-64 middle layers this skips both the column matrix (64 MB per batch on D.conv2) and
   OpenBLAS's own packing of it. Loop order (Goto's): a block of NC columns, then K in steps of
   KC (the panels packed once per step), then MR-row blocks of the weight against each NR panel;
   each output's chain is carried across the K steps through the C block, so its value is the
   same whatever the blocking. On small maps read with a stride (rows under 8 wide, e.g.
   DCGAN-28's 7x7) no run of 8 columns lies in one map row and every panel row would be two
   gathers: gk_conv_forward_lanes first lays the image out with the samples innermost and runs
   the columns position-major, so a panel row is one position's samples, consecutive floats read
   by masked loads; the map comes back to NCHW by one transpose. The order of the columns does
   not touch any output's chain. */
/* Only the explicit fma calls may fuse: an implicit contraction would change the rounding. */
#pragma STDC FP_CONTRACT OFF

#include "implicit_tile.h"
#include <string.h>

/* NC columns (PANELS panels of NR) per block. KC 256 and 4 panels measured best of KC 128/256/512
   x 2/4/8 panels on DCGAN-64's D.conv2 (2 threads; within 3% of the best on D.conv3, 8% on
   D.conv4). */
enum { PANELS = 4, NC = NR * PANELS };


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
   image[base[c] + offset(channel, i, j)] for tap (i, j) when bit c of rows[i] & cols[j] is set,
   else 0. Columns past the end of the call are never set. Bit h of `runs` marks a half (16
   columns) made of two runs of 8 whose sources step by stride_w (1 or 2): each run lies in one map
   row (or rows that join up), so the half is read as two vectors instead of a gather (map rows of
   8 and more, e.g. DCGAN-64's 16x16 and 8x8 maps). The other halves are read run by run of
   consecutive floats (`halves`, samples on the lanes) or gathered. */
typedef struct {
    long base[NR];
    int index[NR];
    unsigned rows[GK_CONV_MAX_KERNEL], cols[GK_CONV_MAX_KERNEL];
    unsigned runs;
    half_segments halves[NR / 16];
} panel_sources;

/* Bit c set for the first `count` (at most NR) columns whose start[c] + shift lies in 0 ..< size. */
static unsigned inside(const long *start, long shift, long size, long count) {
    unsigned m = 0;
    for (long c = 0; c < NR && c < count; c++)
        if (start[c] + shift >= 0 && start[c] + shift < size) m |= 1u << c;
    return m;
}

/* `lanes` 0: the NCHW image, columns sample-major (n * area + position). Otherwise the image
   laid out as [C][H][W][lanes] (`lanes` samples) and the columns position-major (position *
   lanes + n), so one position's samples are consecutive floats. */
static void locate_panel(const gk_conv_shape *s, long lanes, long first, long end, panel_sources *ps) {
    const long area = s->map_height * s->map_width, plane = s->height * s->width;
    long top[NR], left[NR];
    for (long c = 0; c < NR; c++) {
        const long col = first + c < end ? first + c : first;
        const long n = lanes ? col % lanes : col / area, pos = lanes ? col / lanes : col % area;
        top[c] = (pos / s->map_width) * s->stride_h - s->pad_h;
        left[c] = (pos % s->map_width) * s->stride_w - s->pad_w;
        ps->base[c] = lanes ? (top[c] * s->width + left[c]) * lanes + n : n * s->channels * plane + top[c] * s->width + left[c];
        ps->index[c] = (int)ps->base[c];
    }
    ps->runs = 0;
    for (int h = 0; h < NR / 16 && s->stride_w <= 2 && !lanes; h++) {
        int run = first + 16 * h + 15 < end;
        for (int l = 1; l < 16 && run; l++)
            if (l != 8) run = ps->base[16 * h + l] == ps->base[16 * h + l - 1] + s->stride_w;
        if (run) ps->runs |= 1u << h;
    }
    for (int h = 0; h < NR / 16; h++) find_segments(ps->index + 16 * h, &ps->halves[h]);
    for (long i = 0; i < s->kernel_height; i++) ps->rows[i] = inside(top, i * s->dilation_h, s->height, end - first);
    for (long j = 0; j < s->kernel_width; j++) ps->cols[j] = inside(left, j * s->dilation_w, s->width, end - first);
}

/* Walks kk = k0 .. k0 + kc - 1 as (channel, i, j), calling GATHER(row, offset, mask) for each;
   offsets in floats of the image, times `scale` (the samples on the lanes, or 1). */
#define FOR_EACH_TAP(s, scale, k0, kc, GATHER)                                                          \
    do {                                                                                                \
        const long taps = (s)->kernel_height * (s)->kernel_width, plane = (s)->height * (s)->width;     \
        long ch = (k0) / taps, t = (k0) % taps, i = t / (s)->kernel_width, j = t % (s)->kernel_width;   \
        for (long row = 0; row < (kc); row++) {                                                         \
            const long offset = (ch * plane + i * (s)->dilation_h * (s)->width + j * (s)->dilation_w) * (scale); \
            GATHER(row, offset, ps->rows[i] & ps->cols[j]);                                             \
            if (++j == (s)->kernel_width) {                                                             \
                j = 0;                                                                                  \
                if (++i == (s)->kernel_height) { i = 0; ch++; }                                         \
            }                                                                                           \
        }                                                                                               \
    } while (0)

/* bp[row * NR + c] = X(k0 + row, column first + c). */
static void pack_panel_scalar(const gk_conv_shape *s, long scale, const float *image, const panel_sources *ps, long k0,
                              long kc, float *bp) {
#define GATHER_SCALAR(row, offset, mask)                                                                \
    for (long c = 0; c < NR; c++) bp[(row) * NR + c] = ((mask) >> c & 1u) ? image[ps->base[c] + (offset)] : 0.0f;
    FOR_EACH_TAP(s, scale, k0, kc, GATHER_SCALAR);
#undef GATHER_SCALAR
}

#if GK_X86
/* Bit l of m moved to bit 2l. */
static inline unsigned spread_bits(unsigned m) {
    m = (m | m << 8) & 0x00FF00FFu;
    m = (m | m << 4) & 0x0F0F0F0Fu;
    m = (m | m << 2) & 0x33333333u;
    return (m | m << 1) & 0x55555555u;
}

/* Two runs of 8 columns: lane l = lo[stride * l] (l < 8) or hi[stride * (l - 8)] where bit l of
   mask is set, else 0. Masked loads do not touch (or fault on) the lanes left out, so the padding
   is never read. */
GK_INLINE GK_TARGET_AVX512 __m512 load_runs(const float *lo, const float *hi, unsigned mask, long stride) {
    if (stride == 1) {
        const __m512i halves = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
        return _mm512_permutex2var_ps(_mm512_maskz_loadu_ps((__mmask16)(mask & 0xFFu), lo), halves,
                                      _mm512_maskz_loadu_ps((__mmask16)(mask >> 8), hi));
    }
    const unsigned wide = spread_bits(mask);
    const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    return _mm512_permutex2var_ps(_mm512_maskz_loadu_ps((__mmask16)wide, lo), evens,
                                  _mm512_maskz_loadu_ps((__mmask16)(wide >> 16), hi));
}

static GK_TARGET_AVX512 void pack_panel_avx512(const gk_conv_shape *s, long scale, const float *image,
                                               const panel_sources *ps, long k0, long kc, float *bp) {
    const long stride = s->stride_w;
    const int *base = ps->index;
#define GATHER_AVX512(row, offset, mask)                                                                    \
    {                                                                                                       \
        const unsigned m = (mask);                                                                          \
        const float *at = image + (offset);                                                                 \
        _mm512_storeu_ps(bp + (row) * NR, ps->runs & 1u ? load_runs(at + base[0], at + base[8], m & 0xFFFFu, stride) \
                                                        : load_half(at, base, &ps->halves[0], m & 0xFFFFu));           \
        _mm512_storeu_ps(bp + (row) * NR + 16,                                                              \
                         ps->runs & 2u ? load_runs(at + base[16], at + base[24], m >> 16, stride)           \
                                       : load_half(at, base + 16, &ps->halves[1], m >> 16));               \
    }
    FOR_EACH_TAP(s, scale, k0, kc, GATHER_AVX512);
#undef GATHER_AVX512
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

/* The same for position-major columns (position * lanes + n) into a map laid out as
   [area][maps][lanes]: one position's samples are consecutive there, so each map's share of the
   block is copied run by run (gk_conv_forward_lanes then transposes the map once). */
static void store_block_lanes(const gk_conv_shape *s, const float *cw, long first, long count, long lanes,
                              float *map) {
    for (long done = 0; done < count;) {
        const long col = first + done, pos = col / lanes, n = col % lanes;
        const long run = lanes - n < count - done ? lanes - n : count - done;
        for (long o = 0; o < s->maps; o++)
            memcpy(map + (pos * s->maps + o) * lanes + n, cw + o * NC + done, sizeof(float) * (size_t)run);
        done += run;
    }
}

/* The product over `columns` columns laid out as `lanes` says (locate_panel). */
static void forward_columns(const gk_conv_shape *s, long lanes, long samples, const float *image, const float *packed,
                            const float *bias, float *map, float *work) {
    const long k = reduction(s), columns = samples * s->map_height * s->map_width, blocks = padded_maps(s) / MR;
    const long scale = lanes ? lanes : 1;
    const int level = gk_kernel_level();
#if GK_X86
    const int gathers = gathers_fit(level, s, samples);
#endif
    float *bp = work, *cw = work + (long)KC * NC;
    panel_sources ps[PANELS];
    for (long jc = 0; jc < columns; jc += NC) {
        const long count = columns - jc < NC ? columns - jc : NC, panels = (count + NR - 1) / NR;
        for (long p = 0; p < panels; p++) locate_panel(s, lanes, jc + p * NR, jc + count, &ps[p]);
        if (k == 0) memset(cw, 0, sizeof(float) * (size_t)(blocks * MR * NC));
        for (long k0 = 0; k0 < k; k0 += KC) {
            const long kc = k - k0 < KC ? k - k0 : KC;
            for (long p = 0; p < panels; p++) {
#if GK_X86
                if (gathers) { pack_panel_avx512(s, scale, image, &ps[p], k0, kc, bp + p * kc * NR); continue; }
#endif
                pack_panel_scalar(s, scale, image, &ps[p], k0, kc, bp + p * kc * NR);
            }
            for (long b = 0; b < blocks; b++)
                for (long p = 0; p < panels; p++) {
                    const float *ap = packed + (b * k + k0) * MR, *panel = bp + p * kc * NR;
                    float *c = cw + b * MR * NC + p * NR;
                    tile(level, kc, ap, panel, c, NC, k0 == 0);
                }
        }
        if (lanes) store_block_lanes(s, cw, jc, count, lanes, map);
        else store_block(s, cw, jc, count, bias, map);
    }
}

int gk_conv_forward(const gk_conv_shape *s, long samples, const float *image, const float *packed,
                    const float *bias, float *map, float *work) {
    if (s->kernel_height > GK_CONV_MAX_KERNEL || s->kernel_width > GK_CONV_MAX_KERNEL) return -1;
    forward_columns(s, 0, samples, image, packed, bias, map, work);
    return 0;
}

long gk_conv_lanes_work_size(const gk_conv_shape *s, long samples) {
    return gk_conv_work_size(s) + samples * (s->channels * s->height * s->width + s->maps * s->map_height * s->map_width);
}

#if GK_X86
/* One full 16 x 16 block of `transpose` in registers: rows as vectors, interleaved by pairs, then
   quads, then 128-bit lanes twice. */
static GK_TARGET_AVX512 void transpose_block_avx512(const float *from, long from_stride, float *to, long to_stride) {
    __m512 r[16], t[16];
    for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(from + i * from_stride);
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {
        r[i] = _mm512_shuffle_ps(t[i], t[i + 2], 0x44);
        r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], 0xEE);
        r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0x44);
        r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
    }
    for (int i = 0; i < 4; i++) {
        t[i] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0x88);
        t[i + 4] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0xDD);
        t[i + 8] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0x88);
        t[i + 12] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0xDD);
    }
    for (int i = 0; i < 8; i++) {
        r[i] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
        r[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xDD);
    }
    for (int i = 0; i < 16; i++) _mm512_storeu_ps(to + i * to_stride, r[i]);
}
#endif

/* to[c * to_stride + r] = from[r * from_stride + c] for r < rows, c < cols, in 16 x 16 blocks so
   each block's 16 source and 16 destination lines stay in L1 (a whole row or column at a time
   would walk lines a power-of-two stride apart, which share a few cache sets). Data movement
   only: the same on every level. */
static void transpose(long rows, long cols, const float *from, long from_stride, float *to, long to_stride) {
#if GK_X86
    const int vectors = gk_kernel_level() == GK_LEVEL_AVX512;
#endif
    for (long r0 = 0; r0 < rows; r0 += 16)
        for (long c0 = 0; c0 < cols; c0 += 16) {
            const long r1 = rows - r0 < 16 ? rows : r0 + 16, c1 = cols - c0 < 16 ? cols : c0 + 16;
#if GK_X86
            if (vectors && r1 - r0 == 16 && c1 - c0 == 16) {
                transpose_block_avx512(from + r0 * from_stride + c0, from_stride, to + c0 * to_stride + r0, to_stride);
                continue;
            }
#endif
            for (long c = c0; c < c1; c++)
                for (long r = r0; r < r1; r++) to[c * to_stride + r] = from[r * from_stride + c];
        }
}

int gk_conv_forward_lanes(const gk_conv_shape *s, long samples, const float *image, const float *packed,
                          const float *bias, float *map, float *work) {
    if (s->kernel_height > GK_CONV_MAX_KERNEL || s->kernel_width > GK_CONV_MAX_KERNEL) return -1;
    const long area = s->map_height * s->map_width;
    float *lanes = work + gk_conv_work_size(s), *map_lanes = lanes + samples * s->channels * s->height * s->width;
    const long size = s->channels * s->height * s->width;
    transpose(samples, size, image, size, lanes, samples);
    forward_columns(s, samples, samples, lanes, packed, NULL, map_lanes, work);
    /* map[n, o, pos] = map_lanes[pos, o, n], then the bias added (after the chain, as ever). */
    for (long o = 0; o < s->maps; o++)
        transpose(area, samples, map_lanes + o * samples, s->maps * samples, map + o * area, s->maps * area);
    if (bias)
        for (long n = 0; n < samples; n++)
            for (long o = 0; o < s->maps; o++)
                for (long pos = 0; pos < area; pos++) map[(n * s->maps + o) * area + pos] += bias[o];
    return 0;
}
