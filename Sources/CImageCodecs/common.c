#include "common.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void gk_free(void *p) { free(p); }

int gk_fail(char *err, size_t errcap, int status, const char *fmt, ...) {
    if (err && errcap > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errcap, fmt, ap);
        va_end(ap);
    }
    return status;
}

int gk_dimensions_ok(uint64_t width, uint64_t height) {
    return width > 0 && height > 0 && width <= GK_MAX_PIXELS && height <= GK_MAX_PIXELS
        && width * height <= GK_MAX_PIXELS;
}
