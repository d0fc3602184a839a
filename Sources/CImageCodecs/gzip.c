#include "CImageCodecs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

void gk_free(void *p) { free(p); }

int gk_gunzip(const uint8_t *data, size_t size, uint8_t **out, size_t *out_size, char *message) {
    *out = NULL;
    z_stream s;
    memset(&s, 0, sizeof s);
    /* 32 + MAX_WBITS: detect gzip or zlib headers automatically. */
    if (inflateInit2(&s, 32 + MAX_WBITS) != Z_OK) {
        snprintf(message, GK_MESSAGE_SIZE, "zlib initialisation failed");
        return 1;
    }
    size_t capacity = size * 4 + 1024, used = 0;
    uint8_t *buffer = malloc(capacity);
    if (!buffer) { inflateEnd(&s); snprintf(message, GK_MESSAGE_SIZE, "out of memory"); return 1; }
    s.next_in = (Bytef *)data;
    s.avail_in = (uInt)size;
    int status;
    do {
        if (used == capacity) {
            capacity *= 2;
            uint8_t *grown = realloc(buffer, capacity);
            if (!grown) { free(buffer); inflateEnd(&s); snprintf(message, GK_MESSAGE_SIZE, "out of memory"); return 1; }
            buffer = grown;
        }
        s.next_out = buffer + used;
        s.avail_out = (uInt)(capacity - used);
        status = inflate(&s, Z_NO_FLUSH);
        used = capacity - s.avail_out;
        if (status == Z_BUF_ERROR && s.avail_in == 0 && s.avail_out > 0) break;  /* input ran out early */
        if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) break;
    } while (status != Z_STREAM_END);
    inflateEnd(&s);
    if (status != Z_STREAM_END) {
        free(buffer);
        snprintf(message, GK_MESSAGE_SIZE, "%s", status == Z_DATA_ERROR ? "corrupt compressed data" :
                 "compressed stream ends early (truncated file)");
        return 1;
    }
    *out = buffer;
    *out_size = used;
    return 0;
}
