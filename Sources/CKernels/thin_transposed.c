/* gk_thin_transposed_conv: convTranspose2d forward onto an image of 1-3 channels with stride 2,
   a 4x4 kernel and padding 1 (DCGAN's last generator layer, and conv2d's input gradient of its
   first critic layer), by output phases and without a column matrix. Image row Y = 2a + py takes
   kernel rows i = py + 1 - 2dy from map rows a + dy (dy in {py - 1, py}), and columns likewise:
   each of the 4 phases is a 2x2 correlation of the map. The positions (a, b) of the phase grid
   run on the vector lanes; a block keeps the accumulators of every phase and image channel for R
   grid rows x V vectors of columns, reads each map vector once per map channel for all the phases
   that use it, and writes each output once, the two column phases interleaved. See CKernels.h
   for the order of operations. */
#include "dispatch.h"
#include "lanes512.h"
#include <math.h>
#if GK_X86
#include <immintrin.h>
#endif

/* Only the explicit fma calls may fuse: an implicit contraction would change the rounding. */
#pragma STDC FP_CONTRACT OFF

/* Whether the phase of an output (py or px, 0/1) takes the map offset d (-1, 0, 1), and the
   kernel tap (row or column) that it then uses. */
GK_INLINE int takes(int phase, int d) { return d == phase - 1 || d == phase; }
GK_INLINE int tap(int phase, int d) { return phase + 1 - 2 * d; }

/* One output, scalar: its chain over the map channels, each channel's taps in the order of the
   map offsets (dy, then dx, ascending). */
static float output_scalar(const gk_thin_shape *s, const float *map, const float *w, long ci, long y, long x) {
    const int py = (int)(y & 1), px = (int)(x & 1);
    const long a = y >> 1, b = x >> 1, plane = s->map_height * s->map_width;
    float acc = 0;
    for (long c = 0; c < s->maps; c++)
        for (int dy = -1; dy <= 1; dy++) {
            if (!takes(py, dy)) continue;
            for (int dx = -1; dx <= 1; dx++) {
                if (!takes(px, dx)) continue;
                const long my = a + dy, mx = b + dx;
                const int inside = my >= 0 && my < s->map_height && mx >= 0 && mx < s->map_width;
                const float v = inside ? map[c * plane + my * s->map_width + mx] : 0.0f;
                acc = fmaf(w[(c * s->channels + ci) * 16 + tap(py, dy) * 4 + tap(px, dx)], v, acc);
            }
        }
    return acc;
}

static void thin_transposed_scalar(const gk_thin_shape *s, long samples, const float *map, const float *w,
                                   const float *bias, float *image) {
    const long ci_count = s->channels, h = s->height, wd = s->width;
    for (long n = 0; n < samples; n++)
        for (long ci = 0; ci < ci_count; ci++)
            for (long y = 0; y < h; y++)
                for (long x = 0; x < wd; x++) {
                    float v = output_scalar(s, map + n * s->maps * s->map_height * s->map_width, w, ci, y, x);
                    if (bias) v = v + bias[ci];
                    image[((n * ci_count + ci) * h + y) * wd + x] = v;
                }
}

#if GK_X86
/* Bit l set when column x0 + l (l < lanes) lies in [0, width). */
static unsigned inside_bits(long x0, long width, int lanes) {
    unsigned bits = 0;
    for (int l = 0; l < lanes; l++)
        if (x0 + l >= 0 && x0 + l < width) bits |= 1u << l;
    return bits;
}

/* The largest block: channels (GK_THIN_MAX_CHANNELS) and grid rows. */
#define BLOCK_CHANNELS 3
#define BLOCK_ROWS 4

/* The walk shared by the vector versions: per sample, blocks of R grid rows by one vector of
   LANES grid columns, each through BLOCK(s, map, w, bias, image, a0, b0, channels, R, pf,
   pf_lines); the grid rows left over (fewer than R, at most 3) as one lower block rather than a
   whole block's work. Each block also prefetches its share of the next sample's map (pf_lines
   cache lines from pf), spread over its map channels: a block reads 4-6 rows of every map
   channel, short streams a channel plane apart that the hardware prefetchers do not follow, so
   without it each sample's map (256 KB on DCGAN-64) came from memory at the latency of a miss. */
#define THIN_TRANSPOSED_WALK(BLOCK, LANES, CI, R)                                                    \
    for (long n = 0; n < samples; n++) {                                                             \
        const long map_size = s->maps * s->map_height * s->map_width;                                \
        const float *m = map + n * map_size, *next = n + 1 < samples ? m + map_size : NULL;          \
        float *img = image + n * (CI) * s->height * s->width;                                        \
        const long grid_rows = (s->height + 1) / 2, whole = grid_rows - grid_rows % (R);             \
        const long col_blocks = ((s->width + 1) / 2 + (LANES) - 1) / (LANES);                        \
        const long blocks = ((grid_rows + (R) - 1) / (R)) * col_blocks, lines = (map_size + 15) / 16; \
        const long per_block = (lines + blocks - 1) / blocks;                                        \
        long block = 0;                                                                              \
        for (long a0 = 0; a0 < whole; a0 += (R)) THIN_TRANSPOSED_ROW(BLOCK, LANES, CI, R, a0)        \
        switch (grid_rows - whole) {                                                                 \
        case 1: THIN_TRANSPOSED_ROW(BLOCK, LANES, CI, 1, whole) break;                               \
        case 2: THIN_TRANSPOSED_ROW(BLOCK, LANES, CI, 2, whole) break;                               \
        case 3: THIN_TRANSPOSED_ROW(BLOCK, LANES, CI, 3, whole) break;                               \
        default: break;                                                                              \
        }                                                                                            \
    }

/* One row of blocks: R grid rows from a0, across the grid's columns. */
#define THIN_TRANSPOSED_ROW(BLOCK, LANES, CI, R, a0)                                                 \
    for (long b0 = 0; b0 < (s->width + 1) / 2; b0 += (LANES), block++) {                             \
        const long pf_first = block * per_block;                                                     \
        const long pf_lines = next && pf_first < lines ? (lines - pf_first < per_block ? lines - pf_first : per_block) : 0; \
        BLOCK(s, m, w, bias, img, a0, b0, CI, R, pf_lines ? next + 16 * pf_first : m, pf_lines);     \
    }

/* Prefetches lines [first, first + count) of `from` into L2, clipped to `lines`. */
GK_INLINE void prefetch_lines(const float *from, long first, long count, long lines) {
    for (long l = first; l < first + count && l < lines; l++) _mm_prefetch((const char *)(from + 16 * l), _MM_HINT_T1);
}

/* Map row q at column offset dx, as the vector MV of map channel WC's weights, added into every
   accumulator of ACC (R grid rows x 2 x 2 phases x CI image channels) whose phase takes it; FMA and
   BROADCAST (a weight's address to a vector) of one vector width. */
#define TAKE_MAP_VECTOR(ACC, MV, WC, Q, DX, CI, R, FMA, BROADCAST)                                   \
    GK_UNROLL for (int r = 0; r < (R); r++) {                                                        \
        const int dy = (Q) - 1 - r;                                                                  \
        GK_UNROLL for (int py = 0; py < 2; py++) {                                                   \
            if (!takes(py, dy)) continue;                                                            \
            GK_UNROLL for (int px = 0; px < 2; px++) {                                               \
                if (!takes(px, (DX))) continue;                                                      \
                GK_UNROLL for (int ci = 0; ci < (CI); ci++)                                          \
                    ACC[r][py][px][ci] = FMA(BROADCAST((WC) + ci * 16 + tap(py, dy) * 4 + tap(px, (DX))), (MV), \
                                             ACC[r][py][px][ci]);                                   \
            }                                                                                        \
        }                                                                                            \
    }

/* AVX-512 block pieces: the accumulators of R grid rows x 16 grid columns for every phase and
   image channel, zeroed; a map vector added (TAKE_MAP_VECTOR); the block's outputs stored. */
typedef __m512 acc512[BLOCK_ROWS][2][2][BLOCK_CHANNELS];

GK_INLINE GK_TARGET_AVX512 void zero512(acc512 acc, const int CI, const int R) {
    GK_UNROLL for (int r = 0; r < R; r++)
        GK_UNROLL for (int py = 0; py < 2; py++)
            GK_UNROLL for (int px = 0; px < 2; px++)
                GK_UNROLL for (int ci = 0; ci < CI; ci++) acc[r][py][px][ci] = _mm512_setzero_ps();
}

GK_INLINE GK_TARGET_AVX512 __m512 broadcast512(const float *x) { return _mm512_set1_ps(*x); }

GK_INLINE GK_TARGET_AVX512 void take512(acc512 acc, __m512 mv, const float *wc, const int q, const int dx, const int CI,
                                        const int R) {
    TAKE_MAP_VECTOR(acc, mv, wc, q, dx, CI, R, _mm512_fmadd_ps, broadcast512)
}

/* Image columns 2b + px: the two column phases interleaved, 32 outputs per vector of b. */
GK_INLINE GK_TARGET_AVX512 void store512(acc512 acc, const gk_thin_shape *s, const float *bias, float *image, long a0,
                                         long b0, const int CI, const int R) {
    const long h = s->height, wd = s->width;
    GK_UNROLL for (int r = 0; r < R; r++)
        GK_UNROLL for (int py = 0; py < 2; py++) {
            const long y = 2 * (a0 + r) + py;
            if (y >= h) continue;
            GK_UNROLL for (int ci = 0; ci < CI; ci++) {
                float *line = image + (ci * h + y) * wd + 2 * b0;
                __m512 even = acc[r][py][0][ci], odd = acc[r][py][1][ci];
                if (bias) {
                    even = _mm512_add_ps(even, _mm512_set1_ps(bias[ci]));
                    odd = _mm512_add_ps(odd, _mm512_set1_ps(bias[ci]));
                }
                store_interleaved(line, even, odd, wd - 2 * b0);
            }
        }
}

/* AVX-512, any geometry: every map vector a masked load. */
GK_INLINE GK_TARGET_AVX512 void block512(const gk_thin_shape *s, const float *map, const float *w, const float *bias,
                                         float *image, long a0, long b0, const int CI, const int R, const float *pf,
                                         long pf_lines) {
    const long mh = s->map_height, mw = s->map_width, plane = mh * mw;
    acc512 acc;
    zero512(acc, CI, R);
    /* Lanes whose map column b + dx lies in the map; map rows a0 - 1 + q likewise. Masked lanes
       read nothing (and never fault), so a row outside the map points at row 0. */
    __mmask16 masks[BLOCK_ROWS + 2][3];
    long rows[BLOCK_ROWS + 2];
    for (int q = 0; q < R + 2; q++) {
        const long y = a0 - 1 + q;
        const int in = y >= 0 && y < mh;
        rows[q] = in ? y : 0;
        for (int dx = -1; dx <= 1; dx++) masks[q][dx + 1] = (__mmask16)(in ? inside_bits(b0 + dx, mw, 16) : 0);
    }
    const long pf_step = (pf_lines + s->maps - 1) / s->maps;
    for (long c = 0; c < s->maps; c++) {
        const float *mc = map + c * plane, *wc = w + c * CI * 16;
        prefetch_lines(pf, c * pf_step, pf_step, pf_lines);
        GK_UNROLL for (int q = 0; q < R + 2; q++)
            GK_UNROLL for (int dx = -1; dx <= 1; dx++)
                take512(acc, _mm512_maskz_loadu_ps(masks[q][dx + 1], mc + rows[q] * mw + b0 + dx), wc, q, dx, CI, R);
    }
    store512(acc, s, bias, image, a0, b0, CI, R);
}

/* AVX-512 when the phase grid is the map ((height + 1) / 2 = map_height, and columns alike, as
   for every DCGAN layer), a block whose first (TOP) or last (BOTTOM) map row q lies outside the
   map takes zeros there (no load). The inner vectors (dx = 0) are plain loads, whose lanes past
   the row's end only reach outputs past the image's (never stored); the edge columns (dx = -1,
   1) keep a mask, two in registers. A vector passes a row's end by at most 16 - map_width floats
   on maps narrower than 16, by fewer than 16 on wider ones: within the next row for maps 8 or
   more wide (narrower ones take block512). So only the map's last row (row R of a BOTTOM block,
   or row R + 1 of the block above a one-row block) masks its inner vector too, and no load
   passes the map's end.
   On Zen 5 the masked loads of block512 (18 per map channel of a 4-row block, their masks
   spilled and reloaded) held DCGAN-28's 1-channel layers to about 66% of the FMA rate: one
   thread, 32 samples, C driver at -O2, interleaved runs (3 Dec), the 128-map layer 0.160-0.164
   -> 0.126-0.127 ms and the 64-map one 0.085 -> 0.066 ms (0.140 and 0.068 with the last row's
   masks); all 18 loads plain (wrong at the edges, timed only) gave 0.130-0.144, all masked by
   one mask in a register 0.164-0.170. */
GK_INLINE GK_TARGET_AVX512 void block512_edges(const gk_thin_shape *s, const float *map, const float *w,
                                               const float *bias, float *image, long a0, long b0, const int CI,
                                               const int R, const int TOP, const int BOTTOM, const float *pf,
                                               long pf_lines) {
    const long mh = s->map_height, mw = s->map_width, plane = mh * mw;
    acc512 acc;
    zero512(acc, CI, R);
    const __mmask16 left = (__mmask16)inside_bits(b0 - 1, mw, 16), right = (__mmask16)inside_bits(b0 + 1, mw, 16),
                    middle = (__mmask16)inside_bits(b0, mw, 16);
    /* Row R + 1 is the map's last when the block below has one row: its inner vector is masked
       then (a mask of every lane otherwise). */
    const __mmask16 below = a0 + R + 1 == mh ? middle : (__mmask16)0xFFFF;
    const long pf_step = (pf_lines + s->maps - 1) / s->maps;
    for (long c = 0; c < s->maps; c++) {
        const float *mc = map + c * plane, *wc = w + c * CI * 16;
        prefetch_lines(pf, c * pf_step, pf_step, pf_lines);
        GK_UNROLL for (int q = 0; q < R + 2; q++) {
            const float *row = mc + (a0 - 1 + q) * mw + b0;
            const int outside = (TOP && q == 0) || (BOTTOM && q == R + 1);
            const __m512 zero = _mm512_setzero_ps();
            take512(acc, outside ? zero : _mm512_maskz_loadu_ps(left, row - 1), wc, q, -1, CI, R);
            take512(acc, outside                ? zero
                         : BOTTOM && q == R ? _mm512_maskz_loadu_ps(middle, row)
                         : q == R + 1       ? _mm512_maskz_loadu_ps(below, row)
                                            : _mm512_loadu_ps(row),
                    wc, q, 0, CI, R);
            take512(acc, outside ? zero : _mm512_maskz_loadu_ps(right, row + 1), wc, q, 1, CI, R);
        }
    }
    store512(acc, s, bias, image, a0, b0, CI, R);
}

/* block512_edges with TOP and BOTTOM constants, so that each of the four versions is unrolled
   without tests. */
GK_INLINE GK_TARGET_AVX512 void block512_regular(const gk_thin_shape *s, const float *map, const float *w,
                                                 const float *bias, float *image, long a0, long b0, const int CI,
                                                 const int R, const float *pf, long pf_lines) {
    const int top = a0 == 0, bottom = a0 + R == s->map_height;
    if (top && bottom) block512_edges(s, map, w, bias, image, a0, b0, CI, R, 1, 1, pf, pf_lines);
    else if (top) block512_edges(s, map, w, bias, image, a0, b0, CI, R, 1, 0, pf, pf_lines);
    else if (bottom) block512_edges(s, map, w, bias, image, a0, b0, CI, R, 0, 1, pf, pf_lines);
    else block512_edges(s, map, w, bias, image, a0, b0, CI, R, 0, 0, pf, pf_lines);
}

/* AVX-512 blocks: 1 channel 4 rows (16 accumulators), 2 or 3 channels 2 rows (16 or 24). On
   Zen 5's two full-width FMA pipes 8 or 12 accumulators left the chains waiting. One thread, 32
   samples, C driver built at -O2, best of 4 runs (3 Dec): DCGAN-28's 64-map layer 2 -> 4 rows
   0.103 -> 0.085 ms, DCGAN-64's 3 channels 1 -> 2 rows 1.30-1.32 -> 1.13-1.22 ms. 3 channels
   3 rows spilled. */
static GK_TARGET_AVX512 void thin_transposed_avx512(const gk_thin_shape *s, long samples, const float *map,
                                                    const float *w, const float *bias, float *image) {
    if ((s->height + 1) / 2 == s->map_height && (s->width + 1) / 2 == s->map_width && s->map_width >= 8) {
        switch (s->channels) {
        case 1: THIN_TRANSPOSED_WALK(block512_regular, 16, 1, 4) break;
        case 2: THIN_TRANSPOSED_WALK(block512_regular, 16, 2, 2) break;
        default: THIN_TRANSPOSED_WALK(block512_regular, 16, 3, 2) break;
        }
        return;
    }
    switch (s->channels) {
    case 1: THIN_TRANSPOSED_WALK(block512, 16, 1, 4) break;
    case 2: THIN_TRANSPOSED_WALK(block512, 16, 2, 2) break;
    default: THIN_TRANSPOSED_WALK(block512, 16, 3, 2) break;
    }
}

/* AVX2 masks for the lanes l of 8 whose bit is set. */
GK_INLINE GK_TARGET_AVX2 __m256i lanes256(unsigned bits) {
    const __m256i bit = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    return _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32((int)bits), bit), bit);
}

/* AVX2: a block of R rows x 8 columns of the phase grid (16 registers: fewer accumulators). */
GK_INLINE GK_TARGET_AVX2 void block256(const gk_thin_shape *s, const float *map, const float *w, const float *bias,
                                       float *image, long a0, long b0, const int CI, const int R, const float *pf,
                                       long pf_lines) {
    const long mh = s->map_height, mw = s->map_width, plane = mh * mw, h = s->height, wd = s->width;
    __m256 acc[BLOCK_ROWS][2][2][BLOCK_CHANNELS];
    for (int r = 0; r < R; r++)
        for (int py = 0; py < 2; py++)
            for (int px = 0; px < 2; px++)
                for (int ci = 0; ci < CI; ci++)
                    acc[r][py][px][ci] = _mm256_setzero_ps();
    long rows[BLOCK_ROWS + 2];
    __m256i masks[BLOCK_ROWS + 2][3];
    for (int q = 0; q < R + 2; q++) {
        const long y = a0 - 1 + q;
        const int in = y >= 0 && y < mh;
        rows[q] = in ? y : 0;
        for (int dx = -1; dx <= 1; dx++) masks[q][dx + 1] = lanes256(in ? inside_bits(b0 + dx, mw, 8) : 0);
    }
    const long pf_step = (pf_lines + s->maps - 1) / s->maps;
    for (long c = 0; c < s->maps; c++) {
        prefetch_lines(pf, c * pf_step, pf_step, pf_lines);
        const float *mc = map + c * plane, *wc = w + c * CI * 16;
        GK_UNROLL for (int q = 0; q < R + 2; q++)
            GK_UNROLL for (int dx = -1; dx <= 1; dx++) {
                const __m256 mv = _mm256_maskload_ps(mc + rows[q] * mw + b0 + dx, masks[q][dx + 1]);
                TAKE_MAP_VECTOR(acc, mv, wc, q, dx, CI, R, _mm256_fmadd_ps, _mm256_broadcast_ss)
            }
    }
    for (int r = 0; r < R; r++)
        for (int py = 0; py < 2; py++) {
            const long y = 2 * (a0 + r) + py;
            if (y >= h) continue;
            for (int ci = 0; ci < CI; ci++) {
                float *line = image + (ci * h + y) * wd;
                __m256 even = acc[r][py][0][ci], odd = acc[r][py][1][ci];
                if (bias) {
                    even = _mm256_add_ps(even, _mm256_set1_ps(bias[ci]));
                    odd = _mm256_add_ps(odd, _mm256_set1_ps(bias[ci]));
                }
                const __m256 lo = _mm256_unpacklo_ps(even, odd), hi = _mm256_unpackhi_ps(even, odd);
                const __m256 halves[2] = {_mm256_permute2f128_ps(lo, hi, 0x20), _mm256_permute2f128_ps(lo, hi, 0x31)};
                const long x0 = 2 * b0;
                for (int half = 0; half < 2; half++) {
                    const long left = wd - x0 - 8 * half;
                    if (left <= 0) break;
                    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(left > 8 ? 8 : left)),
                                                            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
                    _mm256_maskstore_ps(line + x0 + 8 * half, mask, halves[half]);
                }
            }
        }
}

/* AVX2 blocks: 1 channel 2 rows (8 accumulators), 2 channels 1 row (8), 3 channels 1 row (12). */
static GK_TARGET_AVX2 void thin_transposed_avx2(const gk_thin_shape *s, long samples, const float *map,
                                                const float *w, const float *bias, float *image) {
    switch (s->channels) {
    case 1: THIN_TRANSPOSED_WALK(block256, 8, 1, 2) break;
    case 2: THIN_TRANSPOSED_WALK(block256, 8, 2, 1) break;
    default: THIN_TRANSPOSED_WALK(block256, 8, 3, 1) break;
    }
}
#endif

int gk_thin_transposed_conv(const gk_thin_shape *s, long samples, const float *map, const float *weight,
                            const float *bias, float *image) {
    if (s->channels < 1 || s->channels > GK_THIN_MAX_CHANNELS) return -1;
    if (samples <= 0 || s->height <= 0 || s->width <= 0) return 0;
    switch (gk_kernel_level()) {
#if GK_X86
    case GK_LEVEL_AVX512: thin_transposed_avx512(s, samples, map, weight, bias, image); break;
    case GK_LEVEL_AVX2: thin_transposed_avx2(s, samples, map, weight, bias, image); break;
#endif
    default: thin_transposed_scalar(s, samples, map, weight, bias, image); break;
    }
    return 0;
}
