/* mkseed.c - turns a captured trace into seed inputs for the fuzz targets.
 *
 *   fuzz_mkseed trim     IN.vgt OUT.vgt N   the first N records, 1 KiB chunks
 *   fuzz_mkseed records  IN.vgt OUT N       fuzz_replayer's record-list form
 *   fuzz_mkseed fifo     IN.vgt OUT N       fuzz_fifo ops: the first N commands
 *   fuzz_mkseed exec3d   IN.vgt OUT N       fuzz_exec3d: DMA bytes as guest
 *                                           memory, then the first N commands
 *   fuzz_mkseed trace    SEED OUT.vgt       the trace fuzz_replayer replays
 *                                           for SEED (a record list written,
 *                                           a raw one's checksums repaired)
 * A tool for whoever refreshes tests/fuzz/corpus (see docs/security.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_trace_input.h"
#include "vgt_format.h"
#include "vgt_replay.h"

#define MEM_MAX 262140u /* fuzz_exec3d: u16 words */

static uint8_t *out;
static size_t out_n, out_cap;

static void put(const void *p, size_t n)
{
    if (out_n + n > out_cap) {
        out_cap = (out_n + n) * 2;
        out = realloc(out, out_cap);
        if (!out) {
            exit(2);
        }
    }
    memcpy(out + out_n, p, n);
    out_n += n;
}

static void put8(uint8_t v)
{
    put(&v, 1);
}

static void put16(uint16_t v)
{
    put8((uint8_t)v);
    put8((uint8_t)(v >> 8));
}

static int usage(void)
{
    fprintf(stderr, "usage: fuzz_mkseed trim|records|fifo|exec3d IN.vgt OUT N\n"
                    "       fuzz_mkseed trace SEED OUT.vgt\n");
    return 1;
}

/* One command into the fifo ops or the exec3d command stream. */
static void put_command(const char *kind, const vgt_trace_command *c, uint8_t **cmds,
                        size_t *cmds_n)
{
    if (strcmp(kind, "fifo") == 0) {
        for (uint32_t i = 0; i < c->nwords; i += 64) {
            uint32_t k = c->nwords - i < 64 ? c->nwords - i : 64;
            put8(3); /* push, commit */
            put8((uint8_t)k);
            put(c->words + (size_t)i * 4u, (size_t)k * 4u);
        }
    } else {
        *cmds = realloc(*cmds, *cmds_n + (size_t)c->nwords * 4u);
        if (!*cmds) {
            exit(2);
        }
        memcpy(*cmds + *cmds_n, c->words, (size_t)c->nwords * 4u);
        *cmds_n += (size_t)c->nwords * 4u;
    }
}

/* fuzz_replayer's trace for a seed, into a file (vgt trim and vgt dump
 * read it; a trim of it is a raw seed with a SNAPSHOT). */
static int write_trace(const char *seed, const char *out_path)
{
    FILE *f = fopen(seed, "rb");
    uint8_t *buf = malloc(1u << 20);
    size_t n = f && buf ? fread(buf, 1, 1u << 20, f) : 0;
    if (f) {
        fclose(f);
    }
    fz in = {buf, n};
    uint8_t mode = fz_u8(&in);
    char path[64];
    int fd = n ? fuzz_trace_memfd(mode, &in, path, sizeof(path)) : -1;
    free(buf);
    if (fd < 0) {
        fprintf(stderr, "fuzz_mkseed: no trace from %s\n", seed);
        return 2;
    }
    FILE *src = fopen(path, "rb"), *dst = fopen(out_path, "wb");
    int rc = src && dst ? 0 : 2;
    char chunk[65536];
    size_t got;
    while (rc == 0 && (got = fread(chunk, 1, sizeof(chunk), src)) > 0) {
        rc = fwrite(chunk, 1, got, dst) == got ? 0 : 2;
    }
    if (src) {
        fclose(src);
    }
    if (dst && fclose(dst) != 0) {
        rc = 2;
    }
    close(fd);
    if (rc) {
        fprintf(stderr, "fuzz_mkseed: cannot write %s\n", out_path);
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "trace") == 0) {
        return write_trace(argv[2], argv[3]);
    }
    if (argc != 5) {
        return usage();
    }
    const char *kind = argv[1];
    uint64_t limit = strtoull(argv[4], NULL, 0);
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    if (vgt_trace_reader_open(argv[2], NULL, &r, &err) != VGT_OK) {
        fprintf(stderr, "fuzz_mkseed: %s\n", err.message);
        return 2;
    }
    const vgt_trace_header *h = vgt_trace_reader_header(r);
    vgt_trace_device_config dc;
    memset(&dc, 0, sizeof(dc));
    vgt_trace_devcfg_parse(h->device_config, h->device_config_size, &dc, &err);
    vgt_trace_record rec;
    uint64_t n = 0;
    if (strcmp(kind, "trim") == 0) {
        vgt_trace_writer_settings s;
        vgt_trace_writer_settings_init(&s);
        s.chunk_size = 1024;
        s.start_frame = h->start_frame;
        vgt_trace_writer *w = NULL;
        if (vgt_trace_writer_open(argv[3], &s, h, &w, &err) != VGT_OK) {
            fprintf(stderr, "fuzz_mkseed: %s\n", err.message);
            return 2;
        }
        while (n++ < limit && vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
            if (rec.type == VGT_REC_FRAME_END) {
                vgt_trace_writer_frame_end(w, rec.timestamp_ns, &err);
            } else {
                vgt_trace_writer_append(w, rec.type, rec.flags, rec.timestamp_ns, rec.payload,
                                        rec.size, &err);
            }
        }
        vgt_status st = vgt_trace_writer_close(w, &err);
        vgt_trace_reader_close(r);
        return st == VGT_OK ? 0 : 2;
    }
    uint8_t *mem = calloc(1, MEM_MAX);
    uint32_t mem_end = 0;
    uint8_t *cmds = NULL;
    size_t cmds_n = 0;
    if (strcmp(kind, "records") == 0) {
        put8(0x00);
        put8((uint8_t)h->start_frame);
        put16((uint16_t)h->device_config_size);
        put(h->device_config, h->device_config_size);
    } else if (strcmp(kind, "fifo") == 0) {
        put8((dc.flags & VGT_TRACE_DEVCFG_F_3D) ? (dc.backend_3d == 1 ? 2 : 1) : 0);
    } else if (strcmp(kind, "exec3d") != 0) {
        return usage();
    }
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
        if (strcmp(kind, "records") == 0) {
            if (n++ >= limit) {
                break;
            }
            if (rec.size > 0xFFFFu) {
                continue;
            }
            uint8_t k = rec.type == VGT_REC_FRAME_END ? 0
                        : rec.type == VGT_REC_MARKER  ? 1
                                                     : (uint8_t)(2u + (rec.type - VGT_REC_COMMAND));
            put8(k);
            put8((uint8_t)rec.flags);
            put16((uint16_t)rec.size);
            put(rec.payload, rec.size);
            continue;
        }
        if (rec.type == VGT_REC_DMA_DATA && strcmp(kind, "exec3d") == 0) {
            vgt_trace_dma d;
            if (vgt_trace_dma_parse(&rec, &d, &err) == VGT_OK && d.bytes &&
                (uint64_t)d.offset + d.length <= MEM_MAX) {
                memcpy(mem + d.offset, d.bytes, d.length);
                mem_end = d.offset + d.length > mem_end ? d.offset + d.length : mem_end;
            }
            continue;
        }
        vgt_trace_commands b;
        vgt_trace_command c;
        if (!vgt_trace_is_commands(rec.type) ||
            vgt_trace_commands_parse(&rec, &b, &err) != VGT_OK) {
            continue;
        }
        while (vgt_trace_commands_next(&b, &c) && n++ < limit) {
            put_command(kind, &c, &cmds, &cmds_n);
        }
    }
    if (strcmp(kind, "exec3d") == 0) {
        mem_end = (mem_end + 3u) & ~3u;
        put8(dc.backend_3d == 1 ? 1 : 0);
        put16((uint16_t)(mem_end / 4u));
        put(mem, mem_end);
        put(cmds, cmds_n);
    }
    vgt_trace_reader_close(r);
    FILE *f = fopen(argv[3], "wb");
    if (!f || fwrite(out, 1, out_n, f) != out_n || fclose(f) != 0) {
        fprintf(stderr, "fuzz_mkseed: cannot write %s\n", argv[3]);
        return 2;
    }
    free(mem);
    free(cmds);
    free(out);
    return 0;
}
