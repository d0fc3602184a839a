#ifndef GANKIT_CIMAGECODECS_H
#define GANKIT_CIMAGECODECS_H
/* C shims over libpng, libjpeg and zlib: every libpng/libjpeg error (reported by longjmp) is
   trapped here and returned as a status code plus a message, never a crash or exit.
   Conventions: functions return GK_OK (0) or an error status and, on error, write a
   NUL-terminated message into `err` (capacity `errcap`) and leave no allocation behind.
   Output buffers are malloc'ed; release them with gk_free. */
#include <stddef.h>
#include <stdint.h>

#define GK_OK 0
#define GK_ERR_CORRUPT 1     /* malformed or truncated input */
#define GK_ERR_UNSUPPORTED 2 /* well-formed but not handled (e.g. CMYK JPEG) */
#define GK_ERR_TOO_LARGE 3   /* dimensions or output size over the limits */
#define GK_ERR_MEMORY 4      /* allocation failed */
#define GK_ERR_ARGUMENT 5    /* bad arguments from the caller */

/* Largest image accepted, in pixels (2^28), checked before any pixel buffer is allocated. */
#define GK_MAX_PIXELS ((uint64_t)1 << 28)

/* Linked-in library versions, for diagnostics. */
const char *gk_codec_versions(void);

void gk_free(void *p);

/* PNG of any colour type, bit depth and interlacing, decoded to 8 bits per sample:
   palette expanded to RGB (RGBA with tRNS), gray/RGB tRNS to an alpha channel, 16 -> 8 bits.
   `*channels` is 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA); pixels are row-major interleaved. */
int gk_png_decode(const uint8_t *data, size_t size, uint8_t **pixels, int *width, int *height,
                  int *channels, char *err, size_t errcap);

/* 8-bit PNG from interleaved pixels with 1, 2, 3 or 4 channels. */
int gk_png_encode(const uint8_t *pixels, int width, int height, int channels, uint8_t **out,
                  size_t *outsize, char *err, size_t errcap);

/* Baseline or progressive JPEG to 8-bit gray (1 channel) or RGB (3); CMYK/YCCK is unsupported.
   Truncated or corrupt entropy-coded data is an error, not a grey-filled image. */
int gk_jpeg_decode(const uint8_t *data, size_t size, uint8_t **pixels, int *width, int *height,
                   int *channels, char *err, size_t errcap);

/* JPEG from 8-bit gray (1 channel), RGB (3) or CMYK (4, for tests of the decoder's refusal)
   pixels, quality 1...100. */
int gk_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                   uint8_t **out, size_t *outsize, char *err, size_t errcap);

/* Whole gzip file (one or more members) inflated into one buffer of at most `maxout` bytes. */
int gk_gzip_inflate(const uint8_t *data, size_t size, size_t maxout, uint8_t **out, size_t *outsize,
                    char *err, size_t errcap);

/* `data` compressed as one gzip member at zlib `level` (0...9). */
int gk_gzip_deflate(const uint8_t *data, size_t size, int level, uint8_t **out, size_t *outsize,
                    char *err, size_t errcap);

#endif
