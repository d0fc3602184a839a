#include "CImageCodecs.h"
#include <stdio.h>
#include <jpeglib.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#define GK_MAX_PIXELS (1u << 28)

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char *message;
} gk_jpeg_error;

static void on_error_exit(j_common_ptr cinfo) {
    gk_jpeg_error *e = (gk_jpeg_error *)cinfo->err;
    char buffer[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, buffer);
    snprintf(e->message, GK_MESSAGE_SIZE, "%s", buffer);
    longjmp(e->jump, 1);
}

static void on_output_message(j_common_ptr cinfo) { (void)cinfo; }

/* Corrupt-data warnings would otherwise let libjpeg return garbage silently: treat them as errors. */
static void on_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0) on_error_exit(cinfo);
}

int gk_jpeg_decode(const uint8_t *data, size_t size, uint8_t **out, int *width, int *height,
                   int *channels, char *message) {
    *out = NULL;
    struct jpeg_decompress_struct cinfo;
    gk_jpeg_error err;
    uint8_t *volatile pixels = NULL;
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = on_error_exit;
    err.base.output_message = on_output_message;
    err.base.emit_message = on_emit_message;
    err.message = message;
    if (setjmp(err.jump)) {
        free(pixels);
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, (unsigned char *)data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        snprintf(message, GK_MESSAGE_SIZE, "CMYK JPEG images are not supported");
        longjmp(err.jump, 1);
    }
    cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    unsigned w = cinfo.output_width, h = cinfo.output_height;
    int c = cinfo.output_components;
    if (w == 0 || h == 0 || (uint64_t)w * h > GK_MAX_PIXELS) {
        snprintf(message, GK_MESSAGE_SIZE, "image dimensions out of range");
        longjmp(err.jump, 1);
    }
    pixels = malloc((size_t)w * h * c);
    if (!pixels) {
        snprintf(message, GK_MESSAGE_SIZE, "out of memory");
        longjmp(err.jump, 1);
    }
    while (cinfo.output_scanline < h) {
        JSAMPROW row = pixels + (size_t)cinfo.output_scanline * w * c;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    *out = pixels;
    *width = (int)w;
    *height = (int)h;
    *channels = c;
    return 0;
}

int gk_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                   uint8_t **out, size_t *out_size, char *message) {
    *out = NULL;
    if ((channels != 1 && channels != 3) || width <= 0 || height <= 0) {
        snprintf(message, GK_MESSAGE_SIZE, "cannot encode %dx%d with %d channels as JPEG", width, height, channels);
        return 1;
    }
    struct jpeg_compress_struct cinfo;
    gk_jpeg_error err;
    unsigned char *buffer = NULL;
    unsigned long size = 0;
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = on_error_exit;
    err.base.output_message = on_output_message;
    err.message = message;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(buffer);
        return 1;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &buffer, &size);
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality < 1 ? 1 : (quality > 100 ? 100 : quality), TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < (unsigned)height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * width * channels);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out = buffer;
    *out_size = size;
    return 0;
}
