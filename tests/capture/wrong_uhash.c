/* wrong_uhash TRACE OFFSET: makes the chunk whose header is at file offset
 * OFFSET (vgt dump --chunks' OFFSET) wrong in its uncompressed checksum
 * alone: one bit of the header's XXH3 of the uncompressed bytes flipped
 * and the header's own checksum written again to match (docs/format.md,
 * "Chunks"), so the header and the compressed bytes pass their checksums
 * and only a check of the decompressed records finds it.  Damage of the
 * body or of the header fails a checksum every read checks; this is the
 * one damage only verify, check_chunk and the index rebuild can see.
 * Exit 0 done, 1 usage, 2 failure. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_format.h"

enum { CHUNK_HEADER = 80, UHASH_AT = 64, HEADER_HASH_AT = 72 };

int main(int argc, char **argv)
{
    char *end = NULL;
    unsigned long long at = argc == 3 ? strtoull(argv[2], &end, 10) : 0;
    if (argc != 3 || !end || *end || end == argv[2] || at > (unsigned long long)INT64_MAX) {
        fprintf(stderr, "usage: wrong_uhash TRACE OFFSET\n");
        return 1;
    }
    FILE *f = fopen(argv[1], "r+b");
    if (!f) {
        fprintf(stderr, "wrong_uhash: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    uint8_t h[CHUNK_HEADER];
    int rc = 2;
    if (fseeko(f, (off_t)at, SEEK_SET) != 0 || fread(h, 1, sizeof(h), f) != sizeof(h)) {
        fprintf(stderr, "wrong_uhash: %s: no chunk header of %d bytes at offset %llu\n", argv[1],
                CHUNK_HEADER, at);
    } else if (memcmp(h, "VGTC", 4) != 0 ||
               vgt_load_le64(h + HEADER_HASH_AT) != vgt_trace_hash64(h, HEADER_HASH_AT)) {
        fprintf(stderr, "wrong_uhash: %s: offset %llu: not a sound chunk header\n", argv[1], at);
    } else {
        h[UHASH_AT] ^= 0x01;
        vgt_store_le64(h + HEADER_HASH_AT, vgt_trace_hash64(h, HEADER_HASH_AT));
        if (fseeko(f, (off_t)at, SEEK_SET) == 0 && fwrite(h, 1, sizeof(h), f) == sizeof(h)) {
            rc = 0;
        } else {
            fprintf(stderr, "wrong_uhash: %s: cannot write at offset %llu\n", argv[1], at);
        }
    }
    if (fclose(f) != 0 && rc == 0) {
        fprintf(stderr, "wrong_uhash: %s: %s\n", argv[1], strerror(errno));
        rc = 2;
    }
    return rc;
}
