/* gk_interleave_phases: lays the four output phases of a stride-2 transposed convolution
   (Kernels+PhaseConv.swift) into the output, row by row: output row 2a + py is phase (py, 0)'s
   row a on the even columns and phase (py, 1)'s on the odd ones. On AVX-512 one permute of two
   16-float phase vectors gives 16 outputs, where the scalar loop stores every other float one at
   a time. Data movement only: the same on every level. */
#include "dispatch.h"
#if GK_X86
#include <immintrin.h>
#endif

/* Phase (py, px) holds planes x heights[py] x widths[px] floats: rows of the even output rows
   (py 0) number (h + 1) / 2, of the odd ones h / 2; columns likewise. */
static void row_scalar(const float *even, const float *odd, long width, float *line) {
    for (long x = 0; x < width; x++) line[x] = (x & 1) ? odd[x >> 1] : even[x >> 1];
}

#if GK_X86
static GK_TARGET_AVX512 void row_avx512(const float *even, const float *odd, long width, float *line) {
    const __m512i low = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i high = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    const long even_count = (width + 1) / 2, odd_count = width / 2;
    for (long b0 = 0; b0 < even_count; b0 += 16) {
        const long e = even_count - b0, o = odd_count - b0;
        const __m512 ev = _mm512_maskz_loadu_ps(e >= 16 ? 0xFFFF : (__mmask16)((1u << e) - 1), even + b0);
        const __m512 ov = o <= 0 ? _mm512_setzero_ps()
                                 : _mm512_maskz_loadu_ps(o >= 16 ? 0xFFFF : (__mmask16)((1u << o) - 1), odd + b0);
        for (int half = 0; half < 2; half++) {
            const long left = width - 2 * b0 - 16 * half;
            if (left <= 0) break;
            const __mmask16 mask = left >= 16 ? 0xFFFF : (__mmask16)((1u << left) - 1);
            _mm512_mask_storeu_ps(line + 2 * b0 + 16 * half, mask, _mm512_permutex2var_ps(ev, half ? high : low, ov));
        }
    }
}
#endif

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
