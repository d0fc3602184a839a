#include "CImageCodecs.h"
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Refuse images larger than this many pixels before allocating (corrupt headers claim huge sizes). */
#define GK_MAX_PIXELS (1u << 28)

typedef struct {
    const uint8_t *data;
    size_t size, offset;
    char *message;
} png_reader;

static void on_error(png_structp png, png_const_charp msg) {
    png_reader *r = (png_reader *)png_get_error_ptr(png);
    if (r && r->message) snprintf(r->message, GK_MESSAGE_SIZE, "%s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg) { (void)png; (void)msg; }

static void read_bytes(png_structp png, png_bytep out, png_size_t n) {
    png_reader *r = (png_reader *)png_get_io_ptr(png);
    if (r->offset + n > r->size) png_error(png, "unexpected end of data (truncated file)");
    memcpy(out, r->data + r->offset, n);
    r->offset += n;
}

int gk_png_decode(const uint8_t *data, size_t size, uint8_t **out, int *width, int *height,
                  int *channels, char *message) {
    *out = NULL;
    if (size < 8 || png_sig_cmp(data, 0, 8)) {
        snprintf(message, GK_MESSAGE_SIZE, "not a PNG file (bad signature)");
        return 1;
    }
    png_reader reader = {data, size, 0, message};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, on_error, on_warning);
    if (!png) { snprintf(message, GK_MESSAGE_SIZE, "out of memory"); return 1; }
    png_infop info = png_create_info_struct(png);
    uint8_t *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        free(pixels);
        free(rows);
        png_destroy_read_struct(&png, info ? &info : NULL, NULL);
        if (!info) snprintf(message, GK_MESSAGE_SIZE, "out of memory");
        return 1;
    }
    png_set_read_fn(png, &reader, read_bytes);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    if (w == 0 || h == 0 || (uint64_t)w * h > GK_MAX_PIXELS) png_error(png, "image dimensions out of range");
    int color = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    if (depth == 16) png_set_strip_16(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int c = png_get_channels(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if (rowbytes != (size_t)w * c) png_error(png, "unexpected row layout");
    pixels = malloc((size_t)h * rowbytes);
    rows = malloc(sizeof(png_bytep) * h);
    if (!pixels || !rows) png_error(png, "out of memory");
    for (png_uint_32 y = 0; y < h; y++) rows[y] = pixels + y * rowbytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    *out = pixels;
    *width = (int)w;
    *height = (int)h;
    *channels = c;
    return 0;
}

typedef struct {
    uint8_t *data;
    size_t size, capacity;
} png_writer;

static void write_bytes(png_structp png, png_bytep in, png_size_t n) {
    png_writer *w = (png_writer *)png_get_io_ptr(png);
    if (w->size + n > w->capacity) {
        size_t cap = w->capacity ? w->capacity : 4096;
        while (cap < w->size + n) cap *= 2;
        uint8_t *grown = realloc(w->data, cap);
        if (!grown) png_error(png, "out of memory");
        w->data = grown;
        w->capacity = cap;
    }
    memcpy(w->data + w->size, in, n);
    w->size += n;
}

static void flush_bytes(png_structp png) { (void)png; }

int gk_png_encode(const uint8_t *pixels, int width, int height, int channels, uint8_t **out,
                  size_t *out_size, char *message) {
    static const int types[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGBA};
    *out = NULL;
    if (channels < 1 || channels > 4 || width <= 0 || height <= 0) {
        snprintf(message, GK_MESSAGE_SIZE, "cannot encode %dx%d with %d channels", width, height, channels);
        return 1;
    }
    png_reader err = {NULL, 0, 0, message};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, on_error, on_warning);
    if (!png) { snprintf(message, GK_MESSAGE_SIZE, "out of memory"); return 1; }
    png_infop info = png_create_info_struct(png);
    png_writer writer = {NULL, 0, 0};
    png_bytep *volatile rows = NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        free(writer.data);
        free(rows);
        png_destroy_write_struct(&png, info ? &info : NULL);
        return 1;
    }
    png_set_write_fn(png, &writer, write_bytes, flush_bytes);
    png_set_IHDR(png, info, width, height, 8, types[channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    rows = malloc(sizeof(png_bytep) * height);
    if (!rows) png_error(png, "out of memory");
    for (int y = 0; y < height; y++) rows[y] = (png_bytep)(pixels + (size_t)y * width * channels);
    png_write_image(png, rows);
    png_write_end(png, NULL);
    free(rows);
    png_destroy_write_struct(&png, &info);
    *out = writer.data;
    *out_size = writer.size;
    return 0;
}
