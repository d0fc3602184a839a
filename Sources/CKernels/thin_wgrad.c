/* gk_thin_weight_gradient: conv2d's weight gradient from an image of 1-3 channels with stride 2,
   a 4x4 kernel and padding 1 (DCGAN's first critic layer, and its last generator layer seen from
   the output side), without im2col's column matrix. The long reduction (long_reduction.h) runs
   chunk by chunk as for the whole columns, but each chunk's column rows are copied from the
   current sample's stride phases (thin_phases.h) into a buffer of one chunk (53 KB for DCGAN-28's
   4 samples a chunk), made right before use instead of unfolding the whole group first (400 KB
   on DCGAN-28) and reading it back. The chunks walk the samples and positions in order, so the
   bits are those of the long reduction of the columns. */
#include "dispatch.h"
#include "long_reduction.h"
#include "thin_phases.h"
#include <string.h>
#if GK_X86
#include <immintrin.h>
#endif

/* Positions per chunk: 4 samples of DCGAN-28 (14x14 maps, 208 positions padded), one 32x32 map
   of DCGAN-64. Every chunk loads and stores all outputs' lanes once (64 x 48 x 16 floats, 196 KB,
   on DCGAN-64's D.conv1), so long chunks pay off even when their columns (16 or 48 rows of
   them) outgrow L1. One thread, 32 samples, best of 600 calls (C driver, 3 Dec):
   - DCGAN-28 D.conv1: 0.205 / 0.162 / 0.162 / 0.196 ms at 512 / 1024 / 2048 / 4096 positions.
   - DCGAN-64 D.conv1: 2.77-2.88 ms at 336 (cut into 336, 336, 336 and 16), 2.37-2.67 at 1024. */
#define THIN_WGRAD_CHUNK 1024

/* Floats after the columns that fill_avx512's last vector may write. */
#define FILL_SLACK 16

long gk_thin_weight_gradient_work_size(const gk_thin_shape *s) {
    const gk_reduction_chunking c = gk_reduction_chunks(s->map_height * s->map_width, THIN_WGRAD_CHUNK);
    const long taps = s->channels * 16;
    return phases_size(s) + taps * c.per_chunk * c.length + FILL_SLACK + s->maps * taps * GK_LANES;
}

/* Column rows of positions [q0, q1) of one sample from its phases: cols[kk * ldb + q - q0] =
   X(kk, q / map_width, q % map_width), a contiguous stretch of the tap's plane. */
static void fill_portable(const gk_thin_shape *s, const float *phases, long q0, long q1, float *cols, long ldb) {
    for (long kk = 0; kk < s->channels * 16; kk++)
        memcpy(cols + kk * ldb, phases + tap_offset(s, kk) + q0, sizeof(float) * (size_t)(q1 - q0));
}

#if GK_X86
/* fill_portable by whole 16-float vectors: a vector's overhang past the chunk falls into the
   next column row or sample (filled later) or into the buffer's slack, and is never read (the
   long reduction's loads are masked). Reads stay inside the phases with their slack. */
static GK_TARGET_AVX512 void fill_avx512(const gk_thin_shape *s, const float *phases, long q0, long q1, float *cols,
                                         long ldb) {
    for (long kk = 0; kk < s->channels * 16; kk++) {
        const float *src = phases + tap_offset(s, kk) + q0;
        float *dst = cols + kk * ldb;
        for (long t = 0; t < q1 - q0; t += 16) _mm512_storeu_ps(dst + t, _mm512_loadu_ps(src + t));
    }
}
#endif

int gk_thin_weight_gradient(const gk_thin_shape *s, long samples, const float *image, const float *map, float *sums,
                            int accumulate, float *work) {
    if (s->channels < 1 || s->channels > GK_THIN_MAX_CHANNELS) return -1;
    const gk_reduction_chunking c = gk_reduction_chunks(s->map_height * s->map_width, THIN_WGRAD_CHUNK);
    const long taps = s->channels * 16, area = s->map_height * s->map_width;
    const long image_size = s->channels * s->height * s->width, map_size = s->maps * area;
    float *phases = work, *cols = phases + phases_size(s), *lanes = cols + taps * c.per_chunk * c.length + FILL_SLACK;
    const gk_long_reduction p = {.m = s->maps, .n = taps, .segments = samples, .length = area, .lda = area,
                                 .c = sums, .ldc = taps, .accumulate = accumulate};
    memset(lanes, 0, sizeof(float) * (size_t)(s->maps * taps * GK_LANES));
#if GK_X86
    const int vector = gk_kernel_level() == GK_LEVEL_AVX512;
#endif
    for (long s0 = 0; s0 < samples; s0 += c.per_chunk) {
        const long s1 = s0 + c.per_chunk < samples ? s0 + c.per_chunk : samples;
        for (long q0 = 0; q0 < c.padded; q0 += c.length) {
            const long q1 = q0 + c.length < c.padded ? q0 + c.length : c.padded, end = q1 < area ? q1 : area;
            /* Several samples share a chunk only when each fits in one, so a sample's phases are
               split at its first chunk and serve all its chunks. */
            for (long n = s0; n < s1; n++) {
                if (q0 == 0) split_phases(s, image + n * image_size, phases);
                float *into = cols + (n - s0) * taps * c.length;
#if GK_X86
                if (vector) fill_avx512(s, phases, q0, end, into, c.length);
                else
#endif
                    fill_portable(s, phases, q0, end, into, c.length);
            }
            const gk_reduction_chunk k = {.a = map + s0 * map_size, .a_stride = map_size, .b = cols,
                                          .b_stride = taps * c.length, .ldb = c.length,
                                          .segments = s1 - s0, .q0 = q0, .q1 = q1};
            gk_long_reduction_add(&p, &k, lanes);
        }
    }
    gk_long_reduction_store(&p, lanes);
    return 0;
}
