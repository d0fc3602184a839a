#include "CImageCodecs.h"
#include <stdio.h>
#include <png.h>
#include <jpeglib.h>
#include <zlib.h>
#include <stdio.h>

const char *gk_codec_versions(void) {
    static char buf[128];
    snprintf(buf, sizeof buf, "libpng %s, libjpeg %d, zlib %s", PNG_LIBPNG_VER_STRING, JPEG_LIB_VERSION, ZLIB_VERSION);
    return buf;
}
