/* gk_interleave_phases: lays the four output phases of a stride-2 transposed convolution
   (Kernels+PhaseConv.swift) into the output, row by row: output row 2a + py is phase (py, 0)'s
   row a on the even columns and phase (py, 1)'s on the odd ones. On AVX-512 one permute of two
   16-float phase vectors gives 16 outputs, where the scalar loop stores every other float one at
   a time. Data movement only: the same on every level. */
#include "dispatch.h"
#include "lanes512.h"

static void row_scalar(const float *even, const float *odd, long width, float *line) {
    for (long x = 0; x < width; x++) line[x] = (x & 1) ? odd[x >> 1] : even[x >> 1];
}

#if GK_X86
static GK_TARGET_AVX512 void row_avx512(const float *even, const float *odd, long width, float *line) {
    const long even_count = (width + 1) / 2, odd_count = width / 2;
    for (long b0 = 0; b0 < even_count; b0 += 16)
        store_interleaved(line + 2 * b0, _mm512_maskz_loadu_ps(first_lanes(even_count - b0), even + b0),
                          _mm512_maskz_loadu_ps(first_lanes(odd_count - b0), odd + b0), width - 2 * b0);
}
#endif

/* Phase (py, px) holds planes x heights[py] x widths[px] floats: rows of the even output rows
   (py 0) number (height + 1) / 2, of the odd ones height / 2; columns likewise. */
void gk_interleave_phases(long first_plane, long planes, long height, long width, const float *const phases[4],
                          float *out) {
    const long heights[2] = {(height + 1) / 2, height / 2}, widths[2] = {(width + 1) / 2, width / 2};
#if GK_X86
    const int vector = gk_kernel_level() == GK_LEVEL_AVX512;
#endif
    for (long plane = first_plane; plane < first_plane + planes; plane++)
        for (long row = 0; row < height; row++) {
            const long py = row & 1, a = row >> 1;
            const float *even = phases[2 * py] + (plane * heights[py] + a) * widths[0];
            const float *odd = phases[2 * py + 1] + (plane * heights[py] + a) * widths[1];
            float *line = out + (plane * height + row) * width;
#if GK_X86
            if (vector) { row_avx512(even, odd, width, line); continue; }
#endif
            row_scalar(even, odd, width, line);
        }
}
