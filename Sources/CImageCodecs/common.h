#ifndef GANKIT_CIMAGECODECS_COMMON_H
#define GANKIT_CIMAGECODECS_COMMON_H
#include "CImageCodecs.h"

/* Copies a formatted message into the caller's buffer (always NUL-terminated) and returns status. */
int gk_fail(char *err, size_t errcap, int status, const char *fmt, ...);

/* 1 when width*height*channels is allowed (positive, within GK_MAX_PIXELS pixels). */
int gk_dimensions_ok(uint64_t width, uint64_t height);

#endif
