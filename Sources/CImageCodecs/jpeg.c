/* JPEG through libjpeg(-turbo) with memory source/destination. The default error handler calls
   exit(); ours formats the message and longjmps back to the setjmp in the caller instead.
   Warnings are silent, except those meaning the entropy-coded data is truncated or corrupt,
   which are errors: a half-grey image is worse than a clear failure for training data. */
#include "common.h"
#include <stdio.h>
#include <jpeglib.h>
#include <jerror.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* Progressive files with absurd scan counts take quadratic time; real ones have about ten. */
#define GK_JPEG_MAX_SCANS 1000

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} gk_jpeg_error;

static void gk_jpeg_error_exit(j_common_ptr cinfo) {
    gk_jpeg_error *e = (gk_jpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, e->message);
    longjmp(e->jump, 1);
}

static void gk_jpeg_emit(j_common_ptr cinfo, int level) {
    if (level >= 0) return; /* trace messages */
    int code = cinfo->err->msg_code;
    if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER || code == JWRN_MUST_RESYNC ||
        code == JWRN_HUFF_BAD_CODE || code == JWRN_ARITH_BAD_CODE || code == JWRN_BOGUS_PROGRESSION)
        gk_jpeg_error_exit(cinfo);
}

static void gk_jpeg_output(j_common_ptr cinfo) { (void)cinfo; }

static void gk_jpeg_progress(j_common_ptr cinfo) {
    if (cinfo->is_decompressor && ((j_decompress_ptr)cinfo)->input_scan_number > GK_JPEG_MAX_SCANS) {
        gk_jpeg_error *e = (gk_jpeg_error *)cinfo->err;
        snprintf(e->message, sizeof e->message, "more than %d scans", GK_JPEG_MAX_SCANS);
        longjmp(e->jump, 1);
    }
}

static void gk_jpeg_install(gk_jpeg_error *e) {
    jpeg_std_error(&e->pub);
    e->pub.error_exit = gk_jpeg_error_exit;
    e->pub.emit_message = gk_jpeg_emit;
    e->pub.output_message = gk_jpeg_output;
    e->message[0] = 0;
}

int gk_jpeg_decode(const uint8_t *data, size_t size, uint8_t **pixels, int *width, int *height,
                   int *channels, char *err, size_t errcap) {
    if (!data || !pixels || !width || !height || !channels)
        return gk_fail(err, errcap, GK_ERR_ARGUMENT, "null argument");
    *pixels = NULL;
    if (size < 3 || data[0] != 0xFF || data[1] != 0xD8)
        return gk_fail(err, errcap, GK_ERR_CORRUPT, "not a JPEG file (bad signature)");

    struct jpeg_decompress_struct cinfo;
    struct jpeg_progress_mgr progress;
    gk_jpeg_error jerr;
    gk_jpeg_install(&jerr);
    cinfo.err = &jerr.pub;
    uint8_t *volatile buffer = NULL;
    volatile int status = GK_ERR_CORRUPT;
    if (setjmp(jerr.jump)) {
        free(buffer);
        jpeg_destroy_decompress(&cinfo);
        return gk_fail(err, errcap, status, "%s", jerr.message);
    }
    jpeg_create_decompress(&cinfo);
    progress.progress_monitor = gk_jpeg_progress;
    cinfo.progress = &progress;
    jpeg_mem_src(&cinfo, (const unsigned char *)data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);

    if (!gk_dimensions_ok(cinfo.image_width, cinfo.image_height)) {
        status = GK_ERR_TOO_LARGE;
        snprintf(jerr.message, sizeof jerr.message, "image dimensions too large (%ux%u)",
                 cinfo.image_width, cinfo.image_height);
        longjmp(jerr.jump, 1);
    }
    switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE: cinfo.out_color_space = JCS_GRAYSCALE; break;
    case JCS_YCbCr: case JCS_RGB: cinfo.out_color_space = JCS_RGB; break;
    default:
        status = GK_ERR_UNSUPPORTED;
        snprintf(jerr.message, sizeof jerr.message, "unsupported JPEG colour space (CMYK/YCCK or unknown)");
        longjmp(jerr.jump, 1);
    }
    jpeg_start_decompress(&cinfo);
    int c = cinfo.output_components;
    size_t rowbytes = (size_t)cinfo.output_width * (size_t)c;
    buffer = (uint8_t *)malloc(rowbytes * cinfo.output_height);
    if (!buffer) {
        status = GK_ERR_MEMORY;
        snprintf(jerr.message, sizeof jerr.message, "out of memory");
        longjmp(jerr.jump, 1);
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = buffer + (size_t)cinfo.output_scanline * rowbytes;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    *width = (int)cinfo.output_width;
    *height = (int)cinfo.output_height;
    *channels = c;
    jpeg_destroy_decompress(&cinfo);
    *pixels = buffer;
    return GK_OK;
}

int gk_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                   uint8_t **out, size_t *outsize, char *err, size_t errcap) {
    if (!pixels || !out || !outsize) return gk_fail(err, errcap, GK_ERR_ARGUMENT, "null argument");
    *out = NULL;
    *outsize = 0;
    if (channels != 1 && channels != 3 && channels != 4)
        return gk_fail(err, errcap, GK_ERR_ARGUMENT, "JPEG needs 1, 3 or 4 (CMYK) channels, got %d", channels);
    if (width <= 0 || height <= 0 || width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION)
        return gk_fail(err, errcap, GK_ERR_TOO_LARGE, "bad JPEG size %dx%d", width, height);
    if (quality < 1 || quality > 100)
        return gk_fail(err, errcap, GK_ERR_ARGUMENT, "JPEG quality must be 1...100, got %d", quality);

    struct jpeg_compress_struct cinfo;
    gk_jpeg_error jerr;
    gk_jpeg_install(&jerr);
    cinfo.err = &jerr.pub;
    unsigned char *volatile buf = NULL;
    unsigned long bufsize = 0;
    if (setjmp(jerr.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(buf);
        return gk_fail(err, errcap, GK_ERR_MEMORY, "%s", jerr.message);
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, (unsigned char **)&buf, &bufsize);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : channels == 3 ? JCS_RGB : JCS_CMYK;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    size_t rowbytes = (size_t)width * (size_t)channels;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * rowbytes);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out = buf;
    *outsize = (size_t)bufsize;
    return GK_OK;
}
