/* many_damaged OUT N body|header|alternate footer|nofooter: a hostile SVGA
 * trace of N tiny chunks (one FRAME_END record each, ~100 bytes of file),
 * damaged: `body` flips one of each chunk's compressed bytes (its
 * compressed checksum fails, the header holds: a problem per chunk, the
 * walk goes on chunk by chunk), `header` flips each header's record count
 * (its header checksum fails: the salvage walk scans on for the next
 * magic, and finds only damaged headers), `alternate` the header of every
 * even chunk (a damaged header and the gap it leaves: two problems per
 * two chunks, a salvage walk that resumes at every odd chunk).  `nofooter` cuts the footer
 * off, so the open walks every chunk.  A 100 MB file of these holds ~1 M
 * problems: the tests and docs/security.md ("Hostile inputs") measure
 * what the verbs spend on them.  Exit 0 done, 1 usage, 2 failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vgt_format.h"
#include "vgt_trace_records.h"

enum { CHUNK_HEADER = 80, RECORD_COUNT_AT = 40 };

static int fail(const char *what, const vgt_error *err)
{
    fprintf(stderr, "many_damaged: %s: %s\n", what, err ? err->message : "failed");
    return 2;
}

/* Flips one bit of the byte at `at` of f. */
static int flip(FILE *f, uint64_t at)
{
    if (fseeko(f, (off_t)at, SEEK_SET) != 0) {
        return -1;
    }
    int c = fgetc(f);
    if (c == EOF || fseeko(f, (off_t)at, SEEK_SET) != 0 || fputc(c ^ 0x20, f) == EOF) {
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    char *end = NULL;
    unsigned long long n = argc == 5 ? strtoull(argv[2], &end, 10) : 0;
    bool body = argc == 5 && strcmp(argv[3], "body") == 0;
    bool header = argc == 5 && strcmp(argv[3], "header") == 0;
    bool alternate = argc == 5 && strcmp(argv[3], "alternate") == 0;
    bool footer = argc == 5 && strcmp(argv[4], "footer") == 0;
    bool nofooter = argc == 5 && strcmp(argv[4], "nofooter") == 0;
    if (argc != 5 || !end || *end || end == argv[2] || n == 0 || n > 100000000ull ||
        !(body || header || alternate) || !(footer || nofooter)) {
        fprintf(stderr, "usage: many_damaged OUT N body|header|alternate footer|nofooter\n");
        return 1;
    }
    /* a 2D device: a replay gets as far as the chunks */
    vgt_trace_device_config cfg = {
        .vram_size = 16u << 20, .fifo_size = 256u << 10, .max_width = 1024, .max_height = 768};
    uint8_t device_config[VGT_TRACE_DEVCFG_FIXED];
    vgt_trace_header h = {0};
    h.protocol_id = VGT_SVGA_TRACE_PROTOCOL_ID;
    strcpy(h.protocol_name, VGT_SVGA_TRACE_PROTOCOL_NAME);
    h.device_config = device_config;
    h.device_config_size = vgt_trace_devcfg_encode(&cfg, device_config);
    h.creator = "many_damaged";
    vgt_trace_writer_settings s;
    vgt_trace_writer_settings_init(&s);
    s.compression_level = 1;
    vgt_trace_writer *w = NULL;
    vgt_error err = {0};
    if (vgt_trace_writer_open(argv[1], &s, &h, &w, &err) != VGT_OK) {
        return fail(argv[1], &err);
    }
    /* a chunk per FRAME_END: the flush ends the chunk */
    vgt_status st = VGT_OK;
    for (unsigned long long i = 0; i < n && st == VGT_OK; i++) {
        st = vgt_trace_writer_frame_end(w, 1000 + i, &err);
        if (st == VGT_OK) {
            st = vgt_trace_writer_flush(w, &err);
        }
    }
    vgt_status cst = vgt_trace_writer_close(w, st == VGT_OK ? &err : NULL);
    if (st != VGT_OK || cst != VGT_OK) {
        return fail(argv[1], &err);
    }
    vgt_trace_reader *r = NULL;
    if (vgt_trace_reader_open(argv[1], NULL, &r, &err) != VGT_OK) {
        return fail(argv[1], &err);
    }
    uint64_t nchunks = vgt_trace_reader_chunk_count(r);
    uint64_t *at = nchunks == n ? malloc(n * sizeof(*at)) : NULL;
    uint64_t body_end = 0;
    for (uint64_t i = 0; at && i < n; i++) {
        vgt_trace_chunk_info c;
        if (!vgt_trace_reader_chunk(r, i, &c)) {
            break;
        }
        at[i] = body                 ? c.offset + CHUNK_HEADER + c.compressed_size / 2
                : alternate && i % 2 ? 0 /* intact */
                                     : c.offset + RECORD_COUNT_AT;
        body_end = c.offset + CHUNK_HEADER + c.compressed_size;
    }
    vgt_trace_reader_close(r);
    if (!at) {
        fprintf(stderr, "many_damaged: %s: %llu chunks written, %llu found\n", argv[1], n,
                (unsigned long long)nchunks);
        return 2;
    }
    int rc = 0;
    if (nofooter && truncate(argv[1], (off_t)body_end) != 0) {
        rc = 2;
    }
    FILE *f = rc == 0 ? fopen(argv[1], "r+b") : NULL;
    for (uint64_t i = 0; f && i < n && rc == 0; i++) {
        rc = at[i] == 0 || flip(f, at[i]) == 0 ? 0 : 2;
    }
    if (!f || fclose(f) != 0) {
        rc = 2;
    }
    free(at);
    if (rc != 0) {
        fprintf(stderr, "many_damaged: %s: cannot damage the chunks\n", argv[1]);
    }
    return rc;
}
