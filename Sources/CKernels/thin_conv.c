/* gk_thin_conv: conv2d forward from an image of 1-3 channels with stride 2, a 4x4 kernel and
   padding 1 (DCGAN's first critic layer, and the input gradient of its last generator layer),
   without a column matrix. Each sample's image is split once into its stride phases as flat
   planes (thin_phases.h), where every tap reads consecutive map positions as one contiguous
   vector, across map rows too (DCGAN-28's 14x14 maps take 13 vectors instead of 14 rows of 14
   lanes). A block of R map channels x 2 vectors of positions runs the K = channels * 16 taps as the small-A product would
   (CKernels.h: the same chain, so the same bits), reading the phases from L1 instead of an
   unfolded column matrix from L2. */
#include "dispatch.h"
#include "lanes512.h"
#include "thin_phases.h"
#include <math.h>
#if GK_X86
#include <immintrin.h>
#endif

/* Only the explicit fma calls may fuse: an implicit contraction would change the rounding. */
#pragma STDC FP_CONTRACT OFF

long gk_thin_conv_work_size(const gk_thin_shape *s) { return phases_size(s); }

/* One output, scalar: its chain over the taps kk ascending. */
static void thin_conv_scalar(const gk_thin_shape *s, const float *work, const float *w, const float *bias,
                             float *map) {
    const long k = s->channels * 16;
    for (long c = 0; c < s->maps; c++)
        for (long y = 0; y < s->map_height; y++)
            for (long x = 0; x < s->map_width; x++) {
                float acc = 0;
                for (long kk = 0; kk < k; kk++)
                    acc = fmaf(w[c * k + kk], work[tap_offset(s, kk) + y * s->map_width + x], acc);
                if (bias) acc = acc + bias[c];
                map[(c * s->map_height + y) * s->map_width + x] = acc;
            }
}

#if GK_X86
/* The walk shared by the vector versions, for one sample: map channels by blocks of R (then one
   by one), and the map's flat positions in vectors of LANES, two at a time, each pair through
   TILE(s, work, taps, w, bias, map, c, rows, first, vecs) (`first` the pair's first position);
   `taps` holds each tap's offset in the phases (tap_offset). */
#define THIN_CONV_WALK(TILE, LANES, R)                                                               \
    {                                                                                                \
        const long area = s->map_height * s->map_width;                                              \
        long taps[GK_THIN_MAX_CHANNELS * 16];                                                        \
        for (long kk = 0; kk < s->channels * 16; kk++) taps[kk] = tap_offset(s, kk);                 \
        long c = 0;                                                                                  \
        for (; c + (R) <= s->maps; c += (R)) THIN_CONV_POSITIONS(TILE, LANES, R)                     \
        for (; c < s->maps; c++) THIN_CONV_POSITIONS(TILE, LANES, 1)                                 \
    }
#define THIN_CONV_POSITIONS(TILE, LANES, ROWS)                                                       \
    for (long p = 0; p < area; p += 2 * (LANES)) {                                                   \
        if (p + (LANES) < area) TILE(s, work, taps, w, bias, map, c, ROWS, p, 2);                    \
        else TILE(s, work, taps, w, bias, map, c, ROWS, p, 1);                                       \
    }

/* AVX-512: `rows` map channels from c x `vecs` vectors of 16 positions. */
GK_INLINE GK_TARGET_AVX512 void tile512(const gk_thin_shape *s, const float *work, const long *taps, const float *w,
                                        const float *bias,
                                        float *map, long c, const int rows, long first, const int vecs) {
    const long k = s->channels * 16, area = s->map_height * s->map_width;
    const long base[2] = {first, first + 16};
    __m512 acc[8][2];
    GK_UNROLL for (int r = 0; r < rows; r++)
        GK_UNROLL for (int v = 0; v < vecs; v++) acc[r][v] = _mm512_setzero_ps();
    /* Not unrolled: unrolled twice, clang hoisted both taps' 16 broadcasts and spilled accumulators
       to the stack, and the store-reload in their chains made the loop latency-bound (3 Dec:
       DCGAN-28 D.conv1 forward 0.40 -> 0.36 ms on one thread). */
    _Pragma("clang loop unroll(disable)") for (long kk = 0; kk < k; kk++) {
        const long at = taps[kk];
        __m512 b[2];
        GK_UNROLL for (int v = 0; v < vecs; v++) b[v] = _mm512_loadu_ps(work + at + base[v]);
        GK_UNROLL for (int r = 0; r < rows; r++) {
            const __m512 a = _mm512_set1_ps(w[(c + r) * k + kk]);
            GK_UNROLL for (int v = 0; v < vecs; v++) acc[r][v] = _mm512_fmadd_ps(a, b[v], acc[r][v]);
        }
    }
    GK_UNROLL for (int v = 0; v < vecs; v++) {
        const long left = area - base[v];
        const __mmask16 mask = first_lanes(left);
        GK_UNROLL for (int r = 0; r < rows; r++) {
            __m512 x = acc[r][v];
            if (bias) x = _mm512_add_ps(x, _mm512_set1_ps(bias[c + r]));
            _mm512_mask_storeu_ps(map + (c + r) * area + base[v], mask, x);
        }
    }
}

/* 8 map channels x 2 vectors per block (16 accumulators). */
static GK_TARGET_AVX512 void thin_conv_avx512(const gk_thin_shape *s, const float *work, const float *w,
                                              const float *bias, float *map) THIN_CONV_WALK(tile512, 16, 8)

/* AVX2 masks for the first `count` (0.., at most 8) of 8 lanes. */
GK_INLINE GK_TARGET_AVX2 __m256i first256(long count) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(count > 8 ? 8 : count)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* AVX2: `rows` map channels from c x `vecs` vectors of 8 positions. */
GK_INLINE GK_TARGET_AVX2 void tile256(const gk_thin_shape *s, const float *work, const long *taps, const float *w,
                                      const float *bias,
                                      float *map, long c, const int rows, long first, const int vecs) {
    const long k = s->channels * 16, area = s->map_height * s->map_width;
    const long base[2] = {first, first + 8};
    __m256 acc[4][2];
    GK_UNROLL for (int r = 0; r < rows; r++)
        GK_UNROLL for (int v = 0; v < vecs; v++) acc[r][v] = _mm256_setzero_ps();
    /* Not unrolled, as in tile512 (unrolled, the hoisted broadcasts spill accumulators). */
    _Pragma("clang loop unroll(disable)") for (long kk = 0; kk < k; kk++) {
        const long at = taps[kk];
        __m256 b[2];
        GK_UNROLL for (int v = 0; v < vecs; v++) b[v] = _mm256_loadu_ps(work + at + base[v]);
        GK_UNROLL for (int r = 0; r < rows; r++) {
            const __m256 a = _mm256_broadcast_ss(w + (c + r) * k + kk);
            GK_UNROLL for (int v = 0; v < vecs; v++) acc[r][v] = _mm256_fmadd_ps(a, b[v], acc[r][v]);
        }
    }
    GK_UNROLL for (int v = 0; v < vecs; v++) {
        const __m256i mask = first256(area - base[v]);
        GK_UNROLL for (int r = 0; r < rows; r++) {
            __m256 x = acc[r][v];
            if (bias) x = _mm256_add_ps(x, _mm256_set1_ps(bias[c + r]));
            _mm256_maskstore_ps(map + (c + r) * area + base[v], mask, x);
        }
    }
}

/* 4 map channels x 2 vectors per block (8 accumulators of the 16 registers). */
static GK_TARGET_AVX2 void thin_conv_avx2(const gk_thin_shape *s, const float *work, const float *w,
                                          const float *bias, float *map) THIN_CONV_WALK(tile256, 8, 4)
#endif

int gk_thin_conv(const gk_thin_shape *s, long samples, const float *image, const float *weight, const float *bias,
                 float *map, float *work) {
    if (s->channels < 1 || s->channels > GK_THIN_MAX_CHANNELS) return -1;
    const long image_size = s->channels * s->height * s->width, map_size = s->maps * s->map_height * s->map_width;
    const int level = gk_kernel_level();
    for (long n = 0; n < samples; n++) {
        split_phases(s, image + n * image_size, work);
        float *m = map + n * map_size;
        switch (level) {
#if GK_X86
        case GK_LEVEL_AVX512: thin_conv_avx512(s, work, weight, bias, m); break;
        case GK_LEVEL_AVX2: thin_conv_avx2(s, work, weight, bias, m); break;
#endif
        default: thin_conv_scalar(s, work, weight, bias, m); break;
        }
    }
    return 0;
}
