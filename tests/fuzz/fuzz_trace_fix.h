/* fuzz_trace_fix.h - makes a mutated trace's checksums right again, so that
 * the fuzzer gets past the checksums into the structure behind them: the
 * header checksum, each chunk's compressed, uncompressed (when the body
 * decompresses to its stated size, up to 4 MiB) and header checksums, and the
 * trailer's index and trailer checksums.  Works on a private copy; trusts
 * nothing in it (it is part of the fuzz target). */
#ifndef FUZZ_TRACE_FIX_H
#define FUZZ_TRACE_FIX_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>
#include <zstd.h>

#include "vgt_format.h" /* vgt_zstd_dctx_create */

static inline uint32_t fix_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t fix_le64(const uint8_t *p)
{
    return (uint64_t)fix_le32(p) | (uint64_t)fix_le32(p + 4) << 32;
}

static inline void fix_put64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static inline void fuzz_trace_fix(uint8_t *d, size_t n)
{
    if (n < 88 || memcmp(d, "VGTTRACE", 8) != 0) {
        return;
    }
    uint32_t hs = fix_le32(d + 12);
    if (hs < 88 || hs > n) {
        return;
    }
    fix_put64(d + hs - 8, XXH3_64bits(d, hs - 8));
    size_t pos = hs;
    void *tmp = NULL;
    ZSTD_DCtx *dctx = NULL; /* vgt's allocator, as the reader's (one per input) */
    while (pos <= n && n - pos >= 80 && memcmp(d + pos, "VGTC", 4) == 0) {
        uint8_t *h = d + pos;
        uint32_t csize = fix_le32(h + 48), usize = fix_le32(h + 52);
        if (csize > n - pos - 80) {
            break;
        }
        const uint8_t *body = h + 80;
        fix_put64(h + 56, XXH3_64bits(body, csize));
        if (usize <= (4u << 20)) {
            if (!tmp) {
                tmp = malloc(4u << 20);
            }
            if (!dctx) {
                dctx = vgt_zstd_dctx_create();
            }
            if (tmp && dctx) {
                size_t got = ZSTD_decompressDCtx(dctx, tmp, usize, body, csize);
                if (!ZSTD_isError(got) && got == usize) {
                    fix_put64(h + 64, XXH3_64bits(tmp, usize));
                }
            }
        }
        fix_put64(h + 72, XXH3_64bits(h, 72));
        pos += 80u + csize;
    }
    free(tmp);
    ZSTD_freeDCtx(dctx);
    if (n >= 40 + 88 && memcmp(d + n - 40, "VGTTRAIL", 8) == 0) {
        uint8_t *t = d + n - 40;
        uint64_t off = fix_le64(t + 8), size = fix_le64(t + 16);
        if (off <= n - 40 && size <= n - 40 - off) {
            fix_put64(t + 24, XXH3_64bits(d + off, (size_t)size));
        }
        fix_put64(t + 32, XXH3_64bits(t, 32));
    }
}

#endif
