/* PNG through libpng with a memory source/sink. libpng reports errors by calling our error
   function, which records the message and longjmps back to the setjmp in the caller. Everything
   allocated after setjmp lives in volatile locals so the error path can free it. */
#include "common.h"
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *data;
    size_t size, pos;
    char message[200];
} gk_png_reader;

typedef struct {
    uint8_t *buf;
    size_t size, cap;
    int failed;
    char message[200];
} gk_png_writer;

static void gk_png_error_read(png_structp png, png_const_charp msg) {
    gk_png_reader *r = (gk_png_reader *)png_get_error_ptr(png);
    snprintf(r->message, sizeof r->message, "%s", msg ? msg : "libpng error");
    png_longjmp(png, 1);
}

static void gk_png_error_write(png_structp png, png_const_charp msg) {
    gk_png_writer *w = (gk_png_writer *)png_get_error_ptr(png);
    snprintf(w->message, sizeof w->message, "%s", msg ? msg : "libpng error");
    png_longjmp(png, 1);
}

static void gk_png_warning(png_structp png, png_const_charp msg) { (void)png; (void)msg; }

static void gk_png_read_mem(png_structp png, png_bytep out, png_size_t n) {
    gk_png_reader *r = (gk_png_reader *)png_get_io_ptr(png);
    if (n > r->size - r->pos) png_error(png, "unexpected end of file");
    memcpy(out, r->data + r->pos, n);
    r->pos += n;
}

static void gk_png_write_mem(png_structp png, png_bytep in, png_size_t n) {
    gk_png_writer *w = (gk_png_writer *)png_get_io_ptr(png);
    if (n > w->cap - w->size) {
        size_t cap = w->cap ? w->cap : 4096;
        while (n > cap - w->size) cap *= 2;
        uint8_t *grown = (uint8_t *)realloc(w->buf, cap);
        if (!grown) png_error(png, "out of memory");
        w->buf = grown;
        w->cap = cap;
    }
    memcpy(w->buf + w->size, in, n);
    w->size += n;
}

static void gk_png_flush(png_structp png) { (void)png; }

int gk_png_decode(const uint8_t *data, size_t size, uint8_t **pixels, int *width, int *height,
                  int *channels, char *err, size_t errcap) {
    if (!data || !pixels || !width || !height || !channels)
        return gk_fail(err, errcap, GK_ERR_ARGUMENT, "null argument");
    *pixels = NULL;
    if (size < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0)
        return gk_fail(err, errcap, GK_ERR_CORRUPT, "not a PNG file (bad signature)");

    gk_png_reader reader = {data, size, 0, {0}};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, gk_png_error_read, gk_png_warning);
    if (!png) return gk_fail(err, errcap, GK_ERR_MEMORY, "cannot create PNG reader");
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return gk_fail(err, errcap, GK_ERR_MEMORY, "cannot create PNG info");
    }
    uint8_t *volatile buffer = NULL;
    png_bytep *volatile rows = NULL;
    volatile int status = GK_ERR_CORRUPT;

    if (setjmp(png_jmpbuf(png))) {
        free(buffer);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return gk_fail(err, errcap, status, "%s", reader.message);
    }
    png_set_read_fn(png, &reader, gk_png_read_mem);
    png_read_info(png, info);

    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    if (!gk_dimensions_ok(w, h)) {
        status = GK_ERR_TOO_LARGE;
        png_error(png, "image dimensions too large");
    }
    png_set_expand(png);                 /* palette -> RGB, low-bit gray -> 8, tRNS -> alpha */
    png_set_strip_16(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    int c = png_get_channels(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if (c < 1 || c > 4 || png_get_bit_depth(png, info) != 8 || rowbytes != (size_t)w * (size_t)c)
        png_error(png, "unexpected PNG layout after transforms");
    buffer = (uint8_t *)malloc(rowbytes * h);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * h);
    if (!buffer || !rows) {
        status = GK_ERR_MEMORY;
        png_error(png, "out of memory");
    }
    for (png_uint_32 y = 0; y < h; y++) rows[y] = buffer + (size_t)y * rowbytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);             /* checks the trailing chunks up to IEND */

    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    *pixels = buffer;
    *width = (int)w;
    *height = (int)h;
    *channels = c;
    return GK_OK;
}

int gk_png_encode(const uint8_t *pixels, int width, int height, int channels, uint8_t **out,
                  size_t *outsize, char *err, size_t errcap) {
    if (!pixels || !out || !outsize) return gk_fail(err, errcap, GK_ERR_ARGUMENT, "null argument");
    *out = NULL;
    *outsize = 0;
    if (width <= 0 || height <= 0 || !gk_dimensions_ok((uint64_t)width, (uint64_t)height))
        return gk_fail(err, errcap, GK_ERR_TOO_LARGE, "bad image size %dx%d", width, height);
    static const int types[5] = {-1, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                                 PNG_COLOR_TYPE_RGB_ALPHA};
    if (channels < 1 || channels > 4)
        return gk_fail(err, errcap, GK_ERR_ARGUMENT, "PNG needs 1 to 4 channels, got %d", channels);

    gk_png_writer writer = {NULL, 0, 0, 0, {0}};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer, gk_png_error_write, gk_png_warning);
    if (!png) return gk_fail(err, errcap, GK_ERR_MEMORY, "cannot create PNG writer");
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return gk_fail(err, errcap, GK_ERR_MEMORY, "cannot create PNG info");
    }
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(writer.buf);
        png_destroy_write_struct(&png, &info);
        return gk_fail(err, errcap, GK_ERR_MEMORY, "%s", writer.message);
    }
    png_set_write_fn(png, &writer, gk_png_write_mem, gk_png_flush);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, types[channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * (size_t)height);
    if (!rows) png_error(png, "out of memory");
    size_t rowbytes = (size_t)width * (size_t)channels;
    for (int y = 0; y < height; y++) rows[y] = (png_bytep)(pixels + (size_t)y * rowbytes);
    png_set_rows(png, info, rows);
    png_write_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);

    free(rows);
    png_destroy_write_struct(&png, &info);
    *out = writer.buf;
    *outsize = writer.size;
    return GK_OK;
}
