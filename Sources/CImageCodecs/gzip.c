/* Whole-buffer gzip inflation with zlib (windowBits 16+MAX_WBITS selects the gzip wrapper).
   Concatenated members are joined, as gunzip does; anything else after the last member, or a
   stream that ends early, is an error. */
#include "common.h"
#include <zlib.h>
#include <stdlib.h>
#include <string.h>

int gk_gzip_inflate(const uint8_t *data, size_t size, size_t maxout, uint8_t **out, size_t *outsize,
                    char *err, size_t errcap) {
    if (!data || !out || !outsize) return gk_fail(err, errcap, GK_ERR_ARGUMENT, "null argument");
    *out = NULL;
    *outsize = 0;
    if (size < 18 || data[0] != 0x1f || data[1] != 0x8b)
        return gk_fail(err, errcap, GK_ERR_CORRUPT, "not a gzip file (bad signature or too short)");

    /* The trailer's ISIZE (size mod 2^32 of the last member) is a good first guess. */
    size_t hint = (size_t)data[size - 4] | (size_t)data[size - 3] << 8 | (size_t)data[size - 2] << 16 |
                  (size_t)data[size - 1] << 24;
    size_t cap = hint > 0 && hint <= maxout ? hint : (size * 4 < maxout ? size * 4 : maxout);
    if (cap < 64) cap = 64;
    uint8_t *buf = (uint8_t *)malloc(cap);
    if (!buf) return gk_fail(err, errcap, GK_ERR_MEMORY, "out of memory");

    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        free(buf);
        return gk_fail(err, errcap, GK_ERR_MEMORY, "inflateInit2 failed");
    }
    size_t used = 0, consumed = 0;
    int status = GK_OK;
    const char *reason = NULL;
    for (;;) {
        if (used == cap) {
            if (cap >= maxout) { status = GK_ERR_TOO_LARGE; reason = "inflated size over the limit"; break; }
            size_t grown = cap > maxout / 2 ? maxout : cap * 2;
            uint8_t *p = (uint8_t *)realloc(buf, grown);
            if (!p) { status = GK_ERR_MEMORY; reason = "out of memory"; break; }
            buf = p;
            cap = grown;
        }
        /* Feed at most UINT_MAX bytes at a time (z_stream counts are 32-bit). */
        size_t inleft = size - consumed, outleft = cap - used;
        zs.next_in = (Bytef *)(data + consumed);
        zs.avail_in = (uInt)(inleft > UINT32_MAX ? UINT32_MAX : inleft);
        zs.next_out = buf + used;
        zs.avail_out = (uInt)(outleft > UINT32_MAX ? UINT32_MAX : outleft);
        uInt in0 = zs.avail_in, out0 = zs.avail_out;
        int ret = inflate(&zs, Z_NO_FLUSH);
        consumed += in0 - zs.avail_in;
        used += out0 - zs.avail_out;
        if (ret == Z_STREAM_END) {
            if (consumed == size) break;
            if (size - consumed >= 2 && data[consumed] == 0x1f && data[consumed + 1] == 0x8b) {
                inflateReset(&zs);
                continue;
            }
            status = GK_ERR_CORRUPT;
            reason = "trailing data after the gzip stream";
            break;
        }
        if (ret == Z_OK) continue;
        if (ret == Z_BUF_ERROR && consumed == size) {
            status = GK_ERR_CORRUPT;
            reason = "truncated gzip stream";
            break;
        }
        if (ret == Z_BUF_ERROR) continue; /* output full: grow */
        status = ret == Z_MEM_ERROR ? GK_ERR_MEMORY : GK_ERR_CORRUPT;
        reason = zs.msg ? zs.msg : "invalid gzip data";
        break;
    }
    if (status != GK_OK) {
        /* zs.msg points into zlib's state: copy it before inflateEnd. */
        gk_fail(err, errcap, status, "%s", reason);
        inflateEnd(&zs);
        free(buf);
        return status;
    }
    inflateEnd(&zs);
    *out = buf;
    *outsize = used;
    return GK_OK;
}

int gk_gzip_deflate(const uint8_t *data, size_t size, int level, uint8_t **out, size_t *outsize,
                    char *err, size_t errcap) {
    if ((!data && size > 0) || !out || !outsize) return gk_fail(err, errcap, GK_ERR_ARGUMENT, "null argument");
    *out = NULL;
    *outsize = 0;
    if (level < 0 || level > 9) return gk_fail(err, errcap, GK_ERR_ARGUMENT, "gzip level must be 0...9");
    if (size > UINT32_MAX) return gk_fail(err, errcap, GK_ERR_TOO_LARGE, "input over 4 GiB");
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return gk_fail(err, errcap, GK_ERR_MEMORY, "deflateInit2 failed");
    /* deflateBound does not count the gzip wrapper's 18 bytes. */
    size_t cap = deflateBound(&zs, (uLong)size) + 32;
    uint8_t *buf = (uint8_t *)malloc(cap);
    if (!buf) {
        deflateEnd(&zs);
        return gk_fail(err, errcap, GK_ERR_MEMORY, "out of memory");
    }
    zs.next_in = (Bytef *)data;
    zs.avail_in = (uInt)size;
    zs.next_out = buf;
    zs.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
    int ret = deflate(&zs, Z_FINISH);
    size_t produced = cap - zs.avail_out;
    deflateEnd(&zs);
    if (ret != Z_STREAM_END) {
        free(buf);
        return gk_fail(err, errcap, GK_ERR_MEMORY, "deflate failed (%d)", ret);
    }
    *out = buf;
    *outsize = produced;
    return GK_OK;
}
