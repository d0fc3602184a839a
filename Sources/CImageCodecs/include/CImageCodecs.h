#ifndef GANKIT_CIMAGECODECS_H
#define GANKIT_CIMAGECODECS_H
/* C shims over libpng, libjpeg and zlib: every libpng/libjpeg error (reported by longjmp) is
   trapped here and returned as a status code plus a message, never a crash or exit. */
#include <stddef.h>
#include <stdint.h>

/* Linked-in library versions, for diagnostics. */
const char *gk_codec_versions(void);

#endif
