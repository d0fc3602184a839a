#ifndef GANKIT_CIMAGECODECS_H
#define GANKIT_CIMAGECODECS_H
/* C shims over libpng, libjpeg and zlib: every libpng/libjpeg error (reported by longjmp) is
   trapped here and returned as a non-zero status plus a message, never a crash or exit.
   Buffers returned through `out` are malloc'd; free them with gk_free. */
#include <stddef.h>
#include <stdint.h>

#define GK_MESSAGE_SIZE 256

/* Linked-in library versions, for diagnostics. */
const char *gk_codec_versions(void);

void gk_free(void *p);

/* Decodes a PNG to 8-bit pixels with 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA) channels:
   palette and tRNS expanded, 16-bit stripped, interlacing handled. Returns 0 on success. */
int gk_png_decode(const uint8_t *data, size_t size, uint8_t **out, int *width, int *height,
                  int *channels, char *message);

/* Encodes 8-bit pixels (1, 2, 3 or 4 channels) as PNG. */
int gk_png_encode(const uint8_t *pixels, int width, int height, int channels, uint8_t **out,
                  size_t *out_size, char *message);

/* Decodes a JPEG to 8-bit gray (1) or RGB (3). */
int gk_jpeg_decode(const uint8_t *data, size_t size, uint8_t **out, int *width, int *height,
                   int *channels, char *message);

/* Encodes 8-bit gray or RGB as JPEG at quality 1...100. */
int gk_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                   uint8_t **out, size_t *out_size, char *message);

/* Inflates a whole gzip (or zlib) stream; a truncated or corrupt stream is an error. */
int gk_gunzip(const uint8_t *data, size_t size, uint8_t **out, size_t *out_size, char *message);

#endif
