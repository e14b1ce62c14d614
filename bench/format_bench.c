/* format_bench.c - trace container throughput beside raw zstd.
 *
 * A synthetic stream of small command records (16-64 bytes) and large
 * payloads (64 KiB-1 MiB, a quarter of them repeats) is built in memory
 * first, so that generating it is not measured.  Then, in the same run:
 *   writer      vgt_trace_writer over the stream (open .. close, wall time)
 *   zstd        ZSTD_compressCCtx over the same record bytes cut into the same
 *               chunks at the same level (no dedup), one thread
 *   reader      vgt_trace_reader_next over the whole file (payloads touched)
 *   unzstd      ZSTD_decompressDCtx of those chunks
 *   seek        open + seek to the last frame: bytes read through the reader
 * Throughput is MB/s (1e6 bytes) of uncompressed record bytes (16-byte
 * record header + payload, references expanded), the same count for both. */
#include "format_bench.h"
#include "bench_args.h"
#include "vgt_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

typedef struct brec {
    uint16_t type;
    uint32_t size;
    uint64_t off; /* into the arena */
} brec;

typedef struct stream {
    uint8_t *arena;
    uint64_t arena_len;
    brec *recs;
    size_t n, cap;
    uint64_t bytes; /* sum of 16 + size */
    uint64_t frames;
} stream;

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int push(stream *s, uint16_t type, uint32_t size, uint64_t off)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 1 << 16;
        brec *n = realloc(s->recs, ncap * sizeof(*n));
        if (!n) {
            return -1;
        }
        s->recs = n;
        s->cap = ncap;
    }
    s->recs[s->n++] = (brec){type, size, off};
    s->bytes += 16 + (uint64_t)size;
    return 0;
}

/* Texture-like bytes: a gradient with a noisy low bit per channel. */
static void fill_texture(uint8_t *p, size_t n, uint64_t *seed)
{
    uint64_t r = rng(seed);
    uint32_t w = 256 + (uint32_t)(r % 768);
    for (size_t i = 0; i + 4 <= n; i += 4) {
        if ((i & 31) == 0) {
            r = rng(seed);
        }
        uint32_t x = (uint32_t)(i / 4) % w, y = (uint32_t)(i / 4) / w;
        uint32_t px =
            ((x * 3 + y) & 0xff) | (((y * 2) & 0xff) << 8) | (((x ^ y) & 0xf0) << 16) | 0xff000000u;
        px ^= (uint32_t)(r >> ((i & 28) * 2)) & 0x00010101u;
        memcpy(p + i, &px, 4);
    }
}

static int build_stream(stream *s, uint64_t target, uint64_t seed0)
{
    uint64_t seed = seed0 | 1;
    /* arena: large payloads as generated, plus a pool of command words */
    uint64_t cap = target + (64u << 20);
    s->arena = malloc(cap);
    if (!s->arena) {
        return -1;
    }
    const uint64_t cmd_pool = 1u << 20;
    for (uint64_t i = 0; i < cmd_pool; i += 4) {
        uint32_t v =
            (i & 12) == 0 ? 0x40 + (uint32_t)(rng(&seed) % 40) : (uint32_t)(rng(&seed) % 4096);
        memcpy(s->arena + i, &v, 4);
    }
    s->arena_len = cmd_pool;
    uint64_t *large = NULL; /* arena offsets of emitted large payloads */
    uint32_t *large_size = NULL;
    size_t nlarge = 0, large_cap = 0;
    int rc = -1;
    while (s->bytes < target) {
        for (int i = 0; i < 400; i++) {
            uint32_t size = 16 + (uint32_t)(rng(&seed) % 49);
            uint64_t off = (rng(&seed) % (cmd_pool - 64)) & ~3ull;
            if (push(s, 0x1000, size, off)) {
                goto fail;
            }
        }
        for (int i = 0; i < 3; i++) {
            if (nlarge > 4 && rng(&seed) % 4 == 0) {
                size_t k = rng(&seed) % nlarge;
                if (push(s, 0x1001, large_size[k], large[k])) {
                    goto fail;
                }
                continue;
            }
            uint32_t size = (64u << 10) + (uint32_t)(rng(&seed) % (960u << 10));
            if (s->arena_len + size > cap) {
                break;
            }
            fill_texture(s->arena + s->arena_len, size, &seed);
            if (nlarge == large_cap) {
                large_cap = large_cap ? large_cap * 2 : 256;
                uint64_t *grown = realloc(large, large_cap * sizeof(*large));
                large = grown ? grown : large;
                uint32_t *grown_size = realloc(large_size, large_cap * sizeof(*large_size));
                large_size = grown_size ? grown_size : large_size;
                if (!grown || !grown_size) {
                    goto fail;
                }
            }
            large[nlarge] = s->arena_len;
            large_size[nlarge++] = size;
            if (push(s, 0x1001, size, s->arena_len)) {
                goto fail;
            }
            s->arena_len += size;
        }
        if (push(s, VGT_REC_FRAME_END, 0, 0)) {
            goto fail;
        }
        s->frames++;
    }
    rc = 0;
fail:
    free(large);
    free(large_size);
    return rc;
}

static double mbps(uint64_t bytes, uint64_t ns)
{
    return ns ? (double)bytes / 1e6 / ((double)ns / 1e9) : 0.0;
}

static int run_writer(const stream *s, const char *path, int level, uint32_t chunk, bool dedup,
                      uint32_t threads, uint64_t *ns, vgt_trace_writer_stats *ws)
{
    vgt_trace_writer_settings set;
    vgt_trace_writer_settings_init(&set);
    set.compression_level = level;
    set.chunk_size = chunk;
    set.compress_threads = threads;
    if (!dedup) {
        set.dedup_min_size = 0;
    }
    vgt_trace_header h = {0};
    strcpy(h.protocol_name, "bench");
    h.creator = "vgt bench format";
    vgt_trace_writer *w;
    vgt_error err = {0};
    uint64_t t0 = vgt_now_ns();
    if (vgt_trace_writer_open(path, &set, &h, &w, &err) != VGT_OK) {
        fprintf(stderr, "vgt bench format: %s\n", err.message);
        return -1;
    }
    uint64_t ts = 0;
    for (size_t i = 0; i < s->n; i++) {
        const brec *r = &s->recs[i];
        if (vgt_trace_writer_append(w, r->type, 0, ts++, s->arena + r->off, r->size, &err) !=
            VGT_OK) {
            fprintf(stderr, "vgt bench format: %s\n", err.message);
            vgt_trace_writer_close(w, NULL);
            return -1;
        }
    }
    if (vgt_trace_writer_flush(w, &err) != VGT_OK) {
        fprintf(stderr, "vgt bench format: %s\n", err.message);
        vgt_trace_writer_close(w, NULL);
        return -1;
    }
    vgt_trace_writer_stats_get(w, ws); /* all chunks written: complete counters */
    if (vgt_trace_writer_close(w, &err) != VGT_OK) {
        fprintf(stderr, "vgt bench format: %s\n", err.message);
        return -1;
    }
    *ns = vgt_now_ns() - t0;
    return 0;
}

/* Serializes the records (no dedup) into chunks cut like the writer's. */
static uint8_t *serialize(const stream *s, uint32_t chunk, size_t **cuts, size_t *ncuts,
                          uint64_t *total)
{
    uint8_t *buf = malloc(s->bytes);
    size_t cap = s->bytes / chunk + s->n / 8 + 16;
    *cuts = malloc(cap * sizeof(**cuts));
    if (!buf || !*cuts) {
        free(buf);
        return NULL;
    }
    size_t pos = 0, start = 0, k = 0;
    for (size_t i = 0; i < s->n; i++) {
        const brec *r = &s->recs[i];
        size_t rec = 16 + (size_t)r->size;
        if (pos > start && rec > chunk - (pos - start)) {
            (*cuts)[k++] = pos;
            start = pos;
        }
        vgt_store_le64(buf + pos, i);
        vgt_store_le16(buf + pos + 8, r->type);
        vgt_store_le16(buf + pos + 10, 0);
        vgt_store_le32(buf + pos + 12, r->size);
        memcpy(buf + pos + 16, s->arena + r->off, r->size);
        pos += rec;
        if (pos - start >= chunk) {
            (*cuts)[k++] = pos;
            start = pos;
        }
        if (k + 2 >= cap) {
            cap *= 2;
            size_t *n = realloc(*cuts, cap * sizeof(*n));
            if (!n) {
                free(buf);
                return NULL;
            }
            *cuts = n;
        }
    }
    if (pos > start) {
        (*cuts)[k++] = pos;
    }
    *ncuts = k;
    *total = pos;
    return buf;
}

/* Reads every record of path (best of runs); checks the count and bytes. */
static int measure_reader(const char *path, const stream *s, int runs, uint64_t *best,
                          vgt_trace_info *info, vgt_trace_reader_stats *rs)
{
    *best = UINT64_MAX;
    for (int run = 0; run < runs; run++) {
        vgt_trace_reader *r;
        vgt_error err = {0};
        uint64_t t0 = vgt_now_ns();
        if (vgt_trace_reader_open(path, NULL, &r, &err) != VGT_OK) {
            fprintf(stderr, "vgt bench format: %s\n", err.message);
            return -1;
        }
        vgt_trace_record rec;
        uint64_t nrec = 0, rbytes = 0, touch = 0;
        vgt_status st;
        while ((st = vgt_trace_reader_next(r, &rec, &err)) == VGT_OK) {
            nrec++;
            rbytes += 16 + (uint64_t)rec.size;
            if (rec.size) {
                touch += rec.payload[0] + rec.payload[rec.size - 1];
            }
        }
        uint64_t ns = vgt_now_ns() - t0;
        *best = ns < *best ? ns : *best;
        vgt_trace_reader_info(r, info);
        vgt_trace_reader_stats_get(r, rs);
        vgt_trace_reader_close(r);
        if (st != VGT_E_END || nrec != s->n || rbytes != s->bytes || touch == 1) {
            fprintf(stderr, "vgt bench format: reader returned %llu of %zu records (%s)\n",
                    (unsigned long long)nrec, s->n, err.message);
            return -1;
        }
    }
    return 0;
}

/* prog: "vgt bench format" or "vgt_bench_format" (the standalone program;
 * vgt bench answers --help itself, so this text is the program's) */
static void usage(const char *prog)
{
    printf("usage: %s [--size MiB] [--large] [--level N] [--chunk KiB]\n"
           "           [--threads N] [--runs N] [--file PATH] [--keep]\n\n"
           "Writes and reads a synthetic trace (small command records and large, partly\n"
           "repeated payloads) and prints writer and reader throughput beside raw zstd\n"
           "at the same level on the same bytes and chunks, the ratio, and the bytes read\n"
           "to seek to the last frame.\n\n"
           "  --size MiB    uncompressed stream size (default 256)\n"
           "  --large       1 GiB stream (same as --size 1024)\n"
           "  --level N     zstd level (default 3)\n"
           "  --chunk KiB   chunk size (default 2048)\n"
           "  --threads N   writer compression threads (default 1; zstd reference is 1)\n"
           "  --runs N      best of N runs for every figure (default 2)\n"
           "  --file PATH   trace file (default /tmp/vgt-bench-format-PID.vgt)\n"
           "  --keep        keep the trace file\n",
           prog);
}

/* --level N: a zstd level, its fast negative ones included */
static bool parse_level(const char *v, int *level)
{
    unsigned long n;
    bool negative = v && v[0] == '-';
    if (!bench_parse_ulong(negative ? v + 1 : v, 0, 1ul << 20, &n)) {
        return false;
    }
    long l = negative ? -(long)n : (long)n;
    if (l < ZSTD_minCLevel() || l > ZSTD_maxCLevel()) {
        return false;
    }
    *level = (int)l;
    return true;
}

int vgt_bench_format_main(int argc, char **argv)
{
    uint64_t size_mib = 256;
    int level = 3;
    uint32_t chunk_kib = 2048, threads = 1;
    int runs = 2;
    bool keep = false;
    char path[512];
    snprintf(path, sizeof(path), "/tmp/vgt-bench-format-%ld.vgt", (long)getpid());
    /* vgt bench passes its argv from the benchmark's name on */
    bool in_vgt = argc > 0 && strcmp(argv[0], "format") == 0;
    const char *prog = in_vgt ? "vgt bench format" : "vgt_bench_format";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n; /* a value, whole ("8x" was 8: atoi) */
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(prog);
            return 0;
        } else if (strcmp(a, "--large") == 0) {
            size_mib = 1024;
        } else if (strcmp(a, "--keep") == 0) {
            keep = true;
        } else if (strcmp(a, "--size") == 0 && bench_parse_ulong(v, 1, 65536, &n)) {
            size_mib = n;
            i++;
        } else if (strcmp(a, "--level") == 0 && parse_level(v, &level)) {
            i++;
        } else if (strcmp(a, "--chunk") == 0 && bench_parse_ulong(v, 1, 262144, &n)) {
            chunk_kib = (uint32_t)n;
            i++;
        } else if (strcmp(a, "--runs") == 0 && bench_parse_ulong(v, 1, 100, &n)) {
            runs = (int)n;
            i++;
        } else if (strcmp(a, "--threads") == 0 && bench_parse_ulong(v, 1, 64, &n)) {
            threads = (uint32_t)n;
            i++;
        } else if (strcmp(a, "--file") == 0 && v) {
            snprintf(path, sizeof(path), "%s", v);
            i++;
        } else {
            fprintf(stderr, "%s: bad argument '%s' (see %s --help)\n", prog, a,
                    in_vgt ? "vgt bench" : prog);
            return 1;
        }
    }
    bench_print_banner();
    uint32_t chunk = chunk_kib * 1024u;
    char path_nodedup[600];
    snprintf(path_nodedup, sizeof(path_nodedup), "%s.nodedup", path);
    /* every resource, released at `done` whatever stops the run */
    int rc = 2;
    stream s = {0};
    size_t *cuts = NULL, ncuts = 0;
    uint8_t *ser = NULL, *out = NULL;
    uint8_t **comp = NULL;
    size_t *csize = NULL;
    ZSTD_CCtx *cctx = NULL;
    ZSTD_DCtx *dctx = NULL;
    printf("format: building a %llu MiB stream...\n", (unsigned long long)size_mib);
    fflush(stdout);
    if (build_stream(&s, size_mib << 20, 0x5eed) != 0) {
        fprintf(stderr, "vgt bench format: out of memory building the stream\n");
        goto done;
    }
    size_t nsmall = 0, nlarge = 0;
    for (size_t i = 0; i < s.n; i++) {
        nsmall += s.recs[i].type == 0x1000;
        nlarge += s.recs[i].type == 0x1001;
    }
    printf("format: %zu records (%zu commands 16-64 B, %zu payloads 64 KiB-1 MiB), %llu frame%s, "
           "%.1f MB, zstd level %d, chunks of %u KiB\n",
           s.n, nsmall, nlarge, (unsigned long long)s.frames, vgt_plural(s.frames),
           (double)s.bytes / 1e6, level, chunk_kib);

    /* writer, dedup off (like for like with zstd) and on (the default) */
    uint64_t w_ns_nodedup, w_ns;
    vgt_trace_writer_stats ws_nodedup = {0}, ws = {0};
    /* every measurement is the best of `runs` runs (this is often a noisy VM) */
    w_ns_nodedup = w_ns = UINT64_MAX;
    for (int run = 0; run < runs; run++) {
        uint64_t ns;
        vgt_trace_writer_stats st1 = {0};
        if (run_writer(&s, path_nodedup, level, chunk, false, threads, &ns, &st1) != 0) {
            goto done;
        }
        if (ns < w_ns_nodedup) {
            w_ns_nodedup = ns;
            ws_nodedup = st1;
        }
        if (run_writer(&s, path, level, chunk, true, threads, &ns, &st1) != 0) {
            goto done;
        }
        if (ns < w_ns) {
            w_ns = ns;
            ws = st1;
        }
    }

    /* raw zstd on the same record bytes and chunks */
    uint64_t total;
    ser = serialize(&s, chunk, &cuts, &ncuts, &total);
    if (!ser) {
        fprintf(stderr, "vgt bench format: out of memory\n");
        goto done;
    }
    /* the writer's and reader's allocator: the reference differs from them
     * only by what is measured */
    cctx = vgt_zstd_cctx_create();
    dctx = vgt_zstd_dctx_create();
    if (!cctx || !dctx) {
        fprintf(stderr, "vgt bench format: cannot create zstd contexts: out of memory\n");
        goto done;
    }
    /* every chunk's output buffer, made once (outside the timed calls) */
    comp = calloc(ncuts, sizeof(*comp));
    csize = calloc(ncuts, sizeof(*csize));
    if (!comp || !csize) {
        fprintf(stderr, "vgt bench format: out of memory\n");
        goto done;
    }
    size_t prev = 0;
    for (size_t k = 0; k < ncuts; k++) {
        comp[k] = malloc(ZSTD_compressBound(cuts[k] - prev));
        if (!comp[k]) {
            fprintf(stderr, "vgt bench format: out of memory\n");
            goto done;
        }
        prev = cuts[k];
    }
    uint64_t zc_ns = UINT64_MAX, zbytes = 0;
    for (int run = 0; run < runs; run++) {
        uint64_t ns = 0;
        zbytes = 0;
        prev = 0;
        for (size_t k = 0; k < ncuts; k++) {
            size_t len = cuts[k] - prev;
            uint64_t t0 = vgt_now_ns();
            csize[k] =
                ZSTD_compressCCtx(cctx, comp[k], ZSTD_compressBound(len), ser + prev, len, level);
            ns += vgt_now_ns() - t0;
            if (ZSTD_isError(csize[k])) {
                fprintf(stderr, "vgt bench format: zstd: %s\n", ZSTD_getErrorName(csize[k]));
                goto done;
            }
            zbytes += csize[k];
            prev = cuts[k];
        }
        if (ns < zc_ns) {
            zc_ns = ns;
        }
    }
    /* raw zstd decompression */
    size_t out_cap = cuts[0] > (4u << 20) ? cuts[0] : (4u << 20);
    out = malloc(out_cap);
    if (!out) {
        fprintf(stderr, "vgt bench format: out of memory\n");
        goto done;
    }
    uint64_t zd_ns = UINT64_MAX;
    for (int run = 0; run < runs; run++) {
        uint64_t ns = 0;
        prev = 0;
        for (size_t k = 0; k < ncuts; k++) {
            size_t len = cuts[k] - prev;
            if (len > out_cap) {
                free(out);
                out = malloc(len);
                out_cap = len;
                if (!out) {
                    fprintf(stderr, "vgt bench format: out of memory\n");
                    goto done;
                }
            }
            uint64_t t0 = vgt_now_ns();
            size_t got = ZSTD_decompressDCtx(dctx, out, out_cap, comp[k], csize[k]);
            ns += vgt_now_ns() - t0;
            if (got != len || memcmp(out, ser + prev, 64 < len ? 64 : len) != 0) {
                fprintf(stderr, "vgt bench format: zstd round trip failed\n");
                goto done;
            }
            prev = cuts[k];
        }
        if (ns < zd_ns) {
            zd_ns = ns;
        }
    }

    /* reader over the whole file, without and with dedup */
    vgt_trace_reader *r;
    vgt_error err = {0};
    vgt_trace_info info, info_nodedup;
    vgt_trace_reader_stats rs, rs_nodedup;
    vgt_status st;
    uint64_t r_ns, r_ns_nodedup, t0;
    if (measure_reader(path_nodedup, &s, runs, &r_ns_nodedup, &info_nodedup, &rs_nodedup) != 0 ||
        measure_reader(path, &s, runs, &r_ns, &info, &rs) != 0) {
        goto done;
    }

    /* seek to the last frame of a fresh reader */
    if (vgt_trace_reader_open(path, NULL, &r, &err) != VGT_OK) {
        fprintf(stderr, "vgt bench format: %s\n", err.message);
        goto done;
    }
    vgt_trace_reader_stats s_open, s_seek;
    vgt_trace_reader_stats_get(r, &s_open);
    uint64_t last = vgt_trace_reader_frame_count(r) - 1;
    t0 = vgt_now_ns();
    st = vgt_trace_reader_seek_frame(r, last, &err);
    uint64_t seek_ns = vgt_now_ns() - t0;
    vgt_trace_reader_stats_get(r, &s_seek);
    vgt_trace_frame_info fi;
    vgt_trace_chunk_info ci;
    vgt_trace_reader_frame(r, last, &fi);
    vgt_trace_reader_chunk(r, fi.chunk, &ci);
    vgt_trace_reader_close(r);
    if (st != VGT_OK) {
        fprintf(stderr, "vgt bench format: seek: %s\n", err.message);
        goto done;
    }

    double zc = mbps(s.bytes, zc_ns), zd = mbps(s.bytes, zd_ns);
    printf("\n%-30s %10s %10s %8s\n", "", "MB/s", "vs zstd", "ratio");
    printf("%-30s %10.0f %9.0f%% %8.2f\n", "raw zstd compress (1 thread)", zc, 100.0,
           (double)s.bytes / (double)zbytes);
    printf("%-30s %10.0f %9.0f%% %8.2f\n", "writer, dedup off", mbps(s.bytes, w_ns_nodedup),
           100.0 * mbps(s.bytes, w_ns_nodedup) / zc,
           (double)s.bytes / (double)info_nodedup.bytes_compressed);
    printf("%-30s %10.0f %9.0f%% %8.2f\n", "writer, dedup on", mbps(s.bytes, w_ns),
           100.0 * mbps(s.bytes, w_ns) / zc, (double)s.bytes / (double)info.bytes_compressed);
    printf("%-30s %10.0f %9.0f%%\n", "raw zstd decompress", zd, 100.0);
    printf("%-30s %10.0f %9.0f%%\n", "reader, dedup off", mbps(s.bytes, r_ns_nodedup),
           100.0 * mbps(s.bytes, r_ns_nodedup) / zd);
    printf("%-30s %10.0f %9.0f%%\n", "reader, dedup on", mbps(s.bytes, r_ns),
           100.0 * mbps(s.bytes, r_ns) / zd);
    printf("\nwriter (dedup off): queue waits %llu (%.1f ms), compress %.1f ms, write %.1f ms\n",
           (unsigned long long)ws_nodedup.queue_waits, (double)ws_nodedup.queue_wait_ns / 1e6,
           (double)ws_nodedup.compress_ns / 1e6, (double)ws_nodedup.write_ns / 1e6);
    printf("writer (dedup on): %llu chunk%s, %llu reference%s saved %.1f MB, queue waits %llu "
           "(%.1f ms), compress %.1f ms, write %.1f ms\n",
           (unsigned long long)ws.chunks_submitted, vgt_plural(ws.chunks_submitted),
           (unsigned long long)ws.dedup_refs, vgt_plural(ws.dedup_refs),
           (double)ws.dedup_bytes_saved / 1e6, (unsigned long long)ws.queue_waits,
           (double)ws.queue_wait_ns / 1e6, (double)ws.compress_ns / 1e6, (double)ws.write_ns / 1e6);
    printf("file: %llu bytes, %llu chunk%s, %llu frame%s; reader decompressed %llu chunk%s, "
           "payload cache hits %llu\n",
           (unsigned long long)info.file_size, (unsigned long long)info.chunks,
           vgt_plural(info.chunks), (unsigned long long)info.frames, vgt_plural(info.frames),
           (unsigned long long)rs.chunks_decompressed, vgt_plural(rs.chunks_decompressed),
           (unsigned long long)rs.payload_cache_hits);
    printf("seek to last frame %llu: open read %llu bytes (header + index), seek read %llu "
           "bytes (chunk %llu: 80 + %u), %.2f ms; %.4f%% of the file\n",
           (unsigned long long)last, (unsigned long long)s_open.bytes_read,
           (unsigned long long)(s_seek.bytes_read - s_open.bytes_read),
           (unsigned long long)fi.chunk, ci.compressed_size, (double)seek_ns / 1e6,
           100.0 * (double)s_seek.bytes_read / (double)info.file_size);
    rc = 0;
done:
    for (size_t k = 0; comp && k < ncuts; k++) {
        free(comp[k]);
    }
    free(comp);
    free(csize);
    free(out);
    free(ser);
    free(cuts);
    ZSTD_freeCCtx(cctx);
    ZSTD_freeDCtx(dctx);
    free(s.arena);
    free(s.recs);
    if (!keep || rc != 0) {
        unlink(path);
    }
    unlink(path_nodedup);
    return rc;
}
