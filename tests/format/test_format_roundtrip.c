/* Round trips through the trace container: header, every record type, edge
 * payload sizes, dedup, frames and seeking, statistics, index rebuild. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include "fixture.h"

static vgt_trace_reader *open_ok(const char *path)
{
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    vgt_status st = vgt_trace_reader_open(path, NULL, &r, &err);
    if (st != VGT_OK) {
        fail_msg("open %s: %s", path, err.message);
    }
    return r;
}

static void header_round_trip(void **state)
{
    char path[512];
    fx_path(path, sizeof(path), "header");
    vgt_trace_writer_settings s;
    fx_settings(&s, 4096);
    s.compression_level = 7;
    s.start_frame = 1234;
    s.frame_limit = 50;
    s.dedup_min_size = 8192;
    vgt_trace_header h;
    fx_header(&h);
    vgt_trace_writer *w;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_OK);
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);

    vgt_trace_reader *r = open_ok(path);
    const vgt_trace_header *g = vgt_trace_reader_header(r);
    assert_int_equal(g->version_major, VGT_TRACE_VERSION_MAJOR);
    assert_int_equal(g->version_minor, VGT_TRACE_VERSION_MINOR);
    assert_int_equal(g->protocol_id, h.protocol_id);
    assert_string_equal(g->protocol_name, "svga2");
    assert_int_equal(g->device_config_size, h.device_config_size);
    assert_memory_equal(g->device_config, h.device_config, h.device_config_size);
    assert_string_equal(g->creator, "vgt format tests");
    assert_int_equal(g->start_time_ns, h.start_time_ns);
    assert_int_equal(g->compression_level, 7);
    assert_int_equal(g->chunk_size, 4096);
    assert_int_equal(g->start_frame, 1234);
    assert_int_equal(g->frame_limit, 50);
    assert_int_equal(g->dedup_min_size, 8192);
    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    assert_int_equal(info.records, 0);
    assert_int_equal(info.frames, 0);
    assert_int_equal(info.chunks, 0);
    assert_true(info.footer_present);
    assert_int_equal(info.problems, 0);
    vgt_trace_record rec;
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_E_END);
    vgt_trace_reader_close(r);
    unlink(path);
}

static void every_record_type(void **state)
{
    char path[512];
    fx_path(path, sizeof(path), "types");
    vgt_trace_writer_settings s;
    fx_settings(&s, 1024);
    vgt_trace_header h;
    fx_header(&h);
    vgt_trace_writer *w;
    vgt_error err = {0};
    fx_trace t = {0};
    assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_OK);
    const uint16_t types[] = {VGT_REC_MARKER,   VGT_REC_COMMAND,
                              VGT_REC_DMA_DATA, VGT_REC_REGISTER_WRITE,
                              VGT_REC_FENCE,    VGT_REC_FRAME_HASH,
                              VGT_REC_TIMING,   VGT_REC_ERROR,
                              VGT_REC_SNAPSHOT, 0x1234,
                              VGT_REC_USER_LAST};
    uint8_t buf[300];
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        fx_fill(buf, sizeof(buf), (uint32_t)i);
        fx_add(&t, w, types[i], (uint16_t)(0x8001 + i), buf, 10 + i * 25);
        fx_frame_end(&t, w);
    }
    /* FRAME_END through append with a payload, too */
    fx_add(&t, w, VGT_REC_FRAME_END, 7, "end", 3);
    fx_add(&t, w, VGT_REC_MARKER, 0, "trailing partial frame", 22);
    /* reserved container types are refused */
    assert_int_equal(vgt_trace_writer_append(w, VGT_REC_PAYLOAD_REF, 0, 1, buf, 32, &err),
                     VGT_E_INVALID);
    assert_int_equal(vgt_trace_writer_append(w, 0x0004, 0, 1, buf, 1, &err), VGT_E_INVALID);
    assert_int_equal(vgt_trace_writer_append(w, VGT_REC_INVALID, 0, 1, buf, 1, &err),
                     VGT_E_INVALID);
    assert_int_equal(vgt_trace_writer_frame(w), t.frame);
    assert_int_equal(vgt_trace_writer_next_record(w), t.n);
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);

    vgt_trace_reader *r = open_ok(path);
    vgt_status st;
    assert_int_equal(fx_check(r, &t, 0, &st), t.n);
    assert_int_equal(st, VGT_E_END);
    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    assert_int_equal(info.records, t.n);
    assert_int_equal(info.complete_frames, 12);
    assert_int_equal(info.frames, 13);
    assert_true(info.chunks > 1);
    /* per-type counts */
    size_t nt = vgt_trace_reader_type_stat_count(r);
    assert_int_equal(nt, 12);
    for (size_t i = 0; i < nt; i++) {
        vgt_trace_type_stat ts;
        assert_true(vgt_trace_reader_type_stat(r, i, &ts));
        uint64_t n = 0, bytes = 0;
        for (size_t k = 0; k < t.n; k++) {
            if (t.recs[k].type == ts.type) {
                n++;
                bytes += t.recs[k].size;
            }
        }
        assert_int_equal(ts.records, n);
        assert_int_equal(ts.payload_bytes, bytes);
        assert_int_equal(ts.stored_bytes, bytes);
    }
    vgt_trace_reader_close(r);
    fx_free(&t);
    unlink(path);
}

static void type_names(void **state)
{
    assert_string_equal(vgt_trace_type_name(VGT_REC_FRAME_END), "frame_end");
    assert_string_equal(vgt_trace_type_name(VGT_REC_COMMAND), "command");
    assert_null(vgt_trace_type_name(0x4321));
    assert_int_equal(vgt_trace_register_type_name(0x4321, "widget"), VGT_OK);
    assert_string_equal(vgt_trace_type_name(0x4321), "widget");
    assert_int_equal(vgt_trace_register_type_name(VGT_REC_MARKER, "x"), VGT_E_INVALID);
    assert_int_equal(vgt_trace_register_type_name(0x4321, NULL), VGT_OK);
    assert_null(vgt_trace_type_name(0x4321));
}

static void edge_payload_sizes(void **state)
{
    char path[512];
    fx_path(path, sizeof(path), "sizes");
    const uint32_t chunk = 4096;
    vgt_trace_writer_settings s;
    fx_settings(&s, chunk);
    s.dedup_min_size = 0; /* sizes below are about chunking, not dedup */
    vgt_trace_header h;
    fx_header(&h);
    vgt_trace_writer *w;
    vgt_error err = {0};
    fx_trace t = {0};
    assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_OK);
    uint8_t *buf = malloc(3 * chunk);
    const size_t sizes[] = {0, 1, chunk + 1, 0, chunk - 16, chunk - 15, 2, 3 * chunk, 1, 0};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        fx_fill(buf, sizes[i], (uint32_t)(i + 100));
        fx_add(&t, w, VGT_REC_DMA_DATA, 0, buf, sizes[i]);
    }
    fx_frame_end(&t, w);
    /* a gathered payload equals the concatenation */
    vgt_trace_iov iov[3] = {{"abc", 3}, {NULL, 0}, {"defgh", 5}};
    t.ts += 5;
    assert_int_equal(vgt_trace_writer_appendv(w, 0x1100, 9, t.ts, iov, 3, &err), VGT_OK);
    fx_remember(&t, 0x1100, 9, t.ts, "abcdefgh", 8);
    /* payload limit: refused before reading the data */
    vgt_trace_iov big[2] = {{buf, VGT_TRACE_MAX_PAYLOAD}, {buf, 1}};
    assert_int_equal(vgt_trace_writer_appendv(w, 0x1100, 0, 0, big, 2, &err), VGT_E_RANGE);
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);

    vgt_trace_reader *r = open_ok(path);
    vgt_status st;
    assert_int_equal(fx_check(r, &t, 0, &st), t.n);
    assert_int_equal(st, VGT_E_END);
    /* the records larger than a chunk got chunks of their own */
    uint64_t own = 0;
    for (uint64_t i = 0; i < vgt_trace_reader_chunk_count(r); i++) {
        vgt_trace_chunk_info c;
        assert_true(vgt_trace_reader_chunk(r, i, &c));
        if (c.uncompressed_size > chunk) {
            assert_int_equal(c.record_count, 1);
            own++;
        }
    }
    assert_int_equal(own, 3); /* chunk+1, chunk-15 (+16 header), 3*chunk */
    vgt_trace_reader_close(r);
    free(buf);
    fx_free(&t);
    unlink(path);
}

static void dedup_stores_once(void **state)
{
    char path[512], path2[512];
    fx_path(path, sizeof(path), "dedup");
    fx_path(path2, sizeof(path2), "nodedup");
    const size_t n = 256 * 1024;
    uint8_t *blob = malloc(n);
    /* incompressible, so that storing it twice would show in the file size */
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        blob[i] = (uint8_t)x;
    }
    off_t sizes[2];
    for (int pass = 0; pass < 2; pass++) {
        const char *p = pass == 0 ? path : path2;
        vgt_trace_writer_settings s;
        fx_settings(&s, 64 * 1024);
        if (pass == 1) {
            s.dedup_min_size = 0;
        }
        vgt_trace_header h;
        fx_header(&h);
        vgt_trace_writer *w;
        vgt_error err = {0};
        fx_trace t = {0};
        assert_int_equal(vgt_trace_writer_open(p, &s, &h, &w, &err), VGT_OK);
        for (int i = 0; i < 8; i++) {
            fx_add(&t, w, VGT_REC_COMMAND, 0, "cmd", 3);
            fx_add(&t, w, VGT_REC_DMA_DATA, (uint16_t)i, blob, n);
            /* same bytes, different length: must not be a reference */
            fx_add(&t, w, VGT_REC_DMA_DATA, 0, blob, n - 1 - (size_t)i);
            fx_frame_end(&t, w);
        }
        vgt_trace_writer_stats ws;
        vgt_trace_writer_stats_get(w, &ws);
        if (pass == 0) {
            assert_int_equal(ws.dedup_refs, 7);
            assert_int_equal(ws.dedup_bytes_saved, 7 * n);
        } else {
            assert_int_equal(ws.dedup_refs, 0);
        }
        assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);

        vgt_trace_reader *r = open_ok(p);
        vgt_status st;
        assert_int_equal(fx_check(r, &t, 0, &st), t.n);
        assert_int_equal(st, VGT_E_END);
        vgt_trace_info info;
        vgt_trace_reader_info(r, &info);
        sizes[pass] = (off_t)info.file_size;
        if (pass == 0) {
            assert_int_equal(info.dedup_refs, 7);
            assert_int_equal(info.dedup_unique, 1);
            assert_int_equal(info.dedup_bytes_saved, 7 * n);
            assert_int_equal(vgt_trace_reader_dedup_count(r), 1);
            vgt_trace_dedup_info d;
            assert_true(vgt_trace_reader_dedup(r, 0, &d));
            assert_int_equal(d.record, 1);
            assert_int_equal(d.size, n);
            assert_int_equal(d.references, 7);
            XXH128_hash_t hh = XXH3_128bits(blob, n);
            assert_int_equal(d.hash_lo, hh.low64);
            assert_int_equal(d.hash_hi, hh.high64);
            /* seek straight to a reference: the target's chunk is fetched */
            vgt_trace_reader_close(r);
            r = open_ok(p);
            assert_int_equal(vgt_trace_reader_seek_frame(r, 6, &err), VGT_OK);
            vgt_trace_record rec;
            assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
            assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
            assert_true(rec.deduplicated);
            assert_int_equal(rec.ref_seq, 1);
            assert_int_equal(rec.flags, 6);
            assert_int_equal(rec.size, n);
            assert_memory_equal(rec.payload, blob, n);
            vgt_trace_type_stat ts;
            for (size_t i = 0; i < vgt_trace_reader_type_stat_count(r); i++) {
                assert_true(vgt_trace_reader_type_stat(r, i, &ts));
                if (ts.type == VGT_REC_DMA_DATA) {
                    assert_int_equal(ts.records, 16);
                    assert_int_equal(ts.stored_bytes, ts.payload_bytes - 7 * n + 7 * 32);
                }
            }
        }
        vgt_trace_reader_close(r);
        fx_free(&t);
    }
    /* stored once: 7 copies of an incompressible 256 KiB blob are missing */
    assert_true(sizes[1] - sizes[0] > (off_t)(7 * n - 4096));
    assert_true(sizes[0] < (off_t)(n * 9 + 64 * 1024)); /* 1 blob + 8 near-copies... */
    free(blob);
    unlink(path);
    unlink(path2);
}

static void seek_each_frame(void **state)
{
    char path[512];
    fx_path(path, sizeof(path), "seek");
    fx_trace t = {0};
    fx_write_file(path, &t, 2048, 1500, 37, 5);
    vgt_trace_reader *r = open_ok(path);
    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    assert_int_equal(info.frames, t.frame + (t.recs[t.n - 1].type != VGT_REC_FRAME_END));
    vgt_error err = {0};
    /* frames in a scattered order, each must return exactly its records */
    for (uint64_t k = 0; k < info.frames; k++) {
        uint64_t f = (k * 7919) % info.frames;
        assert_int_equal(vgt_trace_reader_seek_frame(r, f, &err), VGT_OK);
        size_t first = 0;
        while (t.recs[first].frame != f) {
            first++;
        }
        vgt_trace_record rec;
        size_t i = first;
        while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK && rec.frame == f) {
            const fx_rec *e = &t.recs[i++];
            assert_int_equal(rec.seq, e->seq);
            assert_int_equal(rec.type, e->type);
            assert_int_equal(rec.size, e->size);
            assert_memory_equal(rec.payload, e->payload, e->size);
        }
        size_t expect = 0;
        for (size_t j = 0; j < t.n; j++) {
            expect += t.recs[j].frame == f;
        }
        assert_int_equal(i - first, expect);
    }
    assert_int_equal(vgt_trace_reader_seek_frame(r, info.frames, &err), VGT_E_NOTFOUND);
    assert_int_equal(vgt_trace_reader_seek_record(r, t.n, &err), VGT_E_NOTFOUND);
    /* seek by record */
    assert_int_equal(vgt_trace_reader_seek_record(r, 777, &err), VGT_OK);
    vgt_status st;
    assert_int_equal(fx_check(r, &t, 777, &st), t.n - 777);
    assert_int_equal(st, VGT_E_END);
    vgt_trace_reader_close(r);
    fx_free(&t);
    unlink(path);
}

static void seek_reads_one_chunk(void **state)
{
    char path[512];
    fx_path(path, sizeof(path), "seekbytes");
    fx_trace t = {0};
    fx_write_file(path, &t, 4096, 3000, 20, 9);
    vgt_trace_reader *r = open_ok(path);
    vgt_error err = {0};
    vgt_trace_reader_stats before, after;
    vgt_trace_reader_stats_get(r, &before);
    uint64_t last = vgt_trace_reader_frame_count(r) - 1;
    assert_int_equal(vgt_trace_reader_seek_frame(r, last, &err), VGT_OK);
    vgt_trace_reader_stats_get(r, &after);
    vgt_trace_frame_info fi;
    vgt_trace_chunk_info ci;
    assert_true(vgt_trace_reader_frame(r, last, &fi));
    assert_true(vgt_trace_reader_chunk(r, fi.chunk, &ci));
    /* exactly one chunk (header + body) was read for the seek */
    assert_int_equal(after.bytes_read - before.bytes_read, 80 + ci.compressed_size);
    assert_int_equal(after.chunks_decompressed, 1);
    vgt_trace_reader_close(r);
    fx_free(&t);
    unlink(path);
}

static void compare_indexes(vgt_trace_reader *a, vgt_trace_reader *b)
{
    vgt_trace_info ia, ib;
    vgt_trace_reader_info(a, &ia);
    vgt_trace_reader_info(b, &ib);
    assert_int_equal(ia.records, ib.records);
    assert_int_equal(ia.frames, ib.frames);
    assert_int_equal(ia.complete_frames, ib.complete_frames);
    assert_int_equal(ia.chunks, ib.chunks);
    assert_int_equal(ia.bytes_compressed, ib.bytes_compressed);
    assert_int_equal(ia.bytes_uncompressed, ib.bytes_uncompressed);
    assert_int_equal(ia.payload_bytes, ib.payload_bytes);
    assert_int_equal(ia.dedup_refs, ib.dedup_refs);
    assert_int_equal(ia.dedup_unique, ib.dedup_unique);
    assert_int_equal(ia.dedup_bytes_saved, ib.dedup_bytes_saved);
    for (uint64_t i = 0; i < ia.chunks; i++) {
        vgt_trace_chunk_info ca, cb;
        assert_true(vgt_trace_reader_chunk(a, i, &ca));
        assert_true(vgt_trace_reader_chunk(b, i, &cb));
        assert_memory_equal(&ca, &cb, sizeof(ca));
    }
    for (uint64_t i = 0; i < ia.frames; i++) {
        vgt_trace_frame_info fa, fb;
        assert_true(vgt_trace_reader_frame(a, i, &fa));
        assert_true(vgt_trace_reader_frame(b, i, &fb));
        assert_int_equal(fa.chunk, fb.chunk);
        assert_int_equal(fa.first_record, fb.first_record);
    }
    assert_int_equal(vgt_trace_reader_type_stat_count(a), vgt_trace_reader_type_stat_count(b));
    for (size_t i = 0; i < vgt_trace_reader_type_stat_count(a); i++) {
        vgt_trace_type_stat ta, tb;
        assert_true(vgt_trace_reader_type_stat(a, i, &ta));
        assert_true(vgt_trace_reader_type_stat(b, i, &tb));
        assert_int_equal(ta.type, tb.type);
        assert_int_equal(ta.records, tb.records);
        assert_int_equal(ta.payload_bytes, tb.payload_bytes);
        assert_int_equal(ta.stored_bytes, tb.stored_bytes);
    }
    assert_int_equal(vgt_trace_reader_dedup_count(a), vgt_trace_reader_dedup_count(b));
    for (size_t i = 0; i < vgt_trace_reader_dedup_count(a); i++) {
        vgt_trace_dedup_info da, db;
        assert_true(vgt_trace_reader_dedup(a, i, &da));
        assert_true(vgt_trace_reader_dedup(b, i, &db));
        assert_memory_equal(&da, &db, sizeof(da));
    }
}

static void rebuild_matches_footer(void **state)
{
    char path[512], cut[512];
    fx_path(path, sizeof(path), "full");
    fx_path(cut, sizeof(cut), "nofooter");
    fx_trace t = {0};
    fx_write_file(path, &t, 3000, 2500, 41, 13);
    vgt_trace_reader *a = open_ok(path);
    vgt_trace_info ia;
    vgt_trace_reader_info(a, &ia);
    assert_true(ia.footer_present);
    assert_true(ia.dedup_refs > 0);
    /* cut the file where the index begins */
    vgt_trace_chunk_info last;
    assert_true(vgt_trace_reader_chunk(a, ia.chunks - 1, &last));
    size_t n;
    uint8_t *b = fx_read_file(path, &n);
    fx_write_bytes(cut, b, last.offset + 80 + last.compressed_size);
    vgt_trace_reader *c = open_ok(cut);
    vgt_trace_info ic;
    vgt_trace_reader_info(c, &ic);
    assert_false(ic.footer_present);
    assert_true(ic.index_rebuilt);
    assert_int_equal(ic.problems, 1); /* "no footer" */
    compare_indexes(a, c);
    vgt_status st;
    assert_int_equal(fx_check(c, &t, 0, &st), t.n);
    assert_int_equal(st, VGT_E_END);
    vgt_trace_reader_close(c);

    /* a corrupt index (one bit) is detected and the index rebuilt, too */
    size_t ixpos = last.offset + 80 + last.compressed_size + 100;
    b[ixpos] ^= 0x10;
    fx_write_bytes(cut, b, n);
    c = open_ok(cut);
    vgt_trace_reader_info(c, &ic);
    assert_false(ic.footer_present);
    assert_int_equal(ic.problems, 1);
    assert_non_null(strstr(vgt_trace_reader_problem(c, 0)->message, "index checksum mismatch"));
    compare_indexes(a, c);
    assert_int_equal(fx_check(c, &t, 0, &st), t.n);
    vgt_trace_reader_close(c);
    vgt_trace_reader_close(a);
    free(b);
    fx_free(&t);
    unlink(path);
    unlink(cut);
}

static void versions_and_bad_files(void **state)
{
    char path[512], bad[512];
    fx_path(path, sizeof(path), "ver");
    fx_path(bad, sizeof(bad), "verbad");
    fx_trace t = {0};
    fx_write_file(path, &t, 4096, 100, 10, 3);
    size_t n;
    uint8_t *b = fx_read_file(path, &n);
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};

    /* newer major: refused with a clear message */
    b[8] = 2;
    fx_write_bytes(bad, b, n);
    assert_int_equal(vgt_trace_reader_open(bad, NULL, &r, &err), VGT_E_VERSION);
    assert_null(r);
    assert_non_null(strstr(err.message, "version 2.0 is newer"));
    b[8] = 1;

    /* newer minor (with a valid header checksum): accepted */
    uint32_t hsize = vgt_load_le32(b + 12);
    b[10] = 3;
    vgt_store_le64(b + hsize - 8, XXH3_64bits(b, hsize - 8));
    fx_write_bytes(bad, b, n);
    assert_int_equal(vgt_trace_reader_open(bad, NULL, &r, &err), VGT_OK);
    assert_int_equal(vgt_trace_reader_header(r)->version_minor, 3);
    vgt_status st;
    assert_int_equal(fx_check(r, &t, 0, &st), t.n);
    vgt_trace_reader_close(r);
    r = NULL;

    /* a start frame beyond 2^62 (guest frame numbers would wrap), with a
     * valid checksum: refused; the writer refuses to write one */
    b[10] = 0;
    vgt_store_le64(b + 56, VGT_TRACE_MAX_START_FRAME + 1u);
    vgt_store_le64(b + hsize - 8, XXH3_64bits(b, hsize - 8));
    fx_write_bytes(bad, b, n);
    assert_int_equal(vgt_trace_reader_open(bad, NULL, &r, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "start frame 4611686018427387905 beyond 2^62"));
    assert_null(r);
    vgt_store_le64(b + 56, VGT_TRACE_MAX_START_FRAME);
    vgt_store_le64(b + hsize - 8, XXH3_64bits(b, hsize - 8));
    fx_write_bytes(bad, b, n);
    assert_int_equal(vgt_trace_reader_open(bad, NULL, &r, &err), VGT_OK);
    vgt_trace_reader_close(r);
    r = NULL;
    {
        vgt_trace_writer_settings ws;
        vgt_trace_writer_settings_init(&ws);
        ws.start_frame = VGT_TRACE_MAX_START_FRAME + 1u;
        vgt_trace_header h = {.protocol_name = "test"};
        vgt_trace_writer *w = NULL;
        assert_int_equal(vgt_trace_writer_open(bad, &ws, &h, &w, &err), VGT_E_INVALID);
        assert_null(w);
    }

    /* header checksum */
    b[30] ^= 1;
    fx_write_bytes(bad, b, n);
    assert_int_equal(vgt_trace_reader_open(bad, NULL, &r, &err), VGT_E_CHECKSUM);
    /* bad magic, short files, empty file, missing file, a directory */
    b[0] = 'X';
    fx_write_bytes(bad, b, n);
    assert_int_equal(vgt_trace_reader_open(bad, NULL, &r, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "not a vgt trace"));
    fx_write_bytes(bad, b, 0);
    assert_int_equal(vgt_trace_reader_open(bad, NULL, &r, &err), VGT_E_FORMAT);
    b[0] = 'V';
    fx_write_bytes(bad, b, 50);
    assert_int_equal(vgt_trace_reader_open(bad, NULL, &r, &err), VGT_E_FORMAT);
    fx_write_bytes(bad, b, 100);
    assert_int_equal(vgt_trace_reader_open(bad, NULL, &r, &err), VGT_E_TRUNCATED);
    assert_int_equal(vgt_trace_reader_open("/nonexistent/x.vgt", NULL, &r, &err), VGT_E_IO);
    assert_int_equal(vgt_trace_reader_open(VGT_BINARY_DIR, NULL, &r, &err), VGT_E_IO);
    assert_non_null(strstr(err.message, "not a regular file"));
    assert_null(r);
    free(b);
    fx_free(&t);
    unlink(path);
    unlink(bad);
}

static void writer_settings_checked(void **state)
{
    char path[512];
    fx_path(path, sizeof(path), "settings");
    vgt_trace_writer_settings s;
    vgt_trace_header h;
    vgt_trace_writer *w = NULL;
    vgt_error err = {0};
    fx_header(&h);
    fx_settings(&s, 100);
    assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_E_INVALID);
    fx_settings(&s, 4096);
    s.compression_level = 1000;
    assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_E_INVALID);
    fx_settings(&s, 4096);
    s.queue_depth = 0;
    assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_E_INVALID);
    fx_settings(&s, 4096);
    strcpy(h.protocol_name, "");
    memset(h.protocol_name, 'x', sizeof(h.protocol_name)); /* no NUL */
    assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_E_INVALID);
    assert_null(w);
    assert_int_equal(vgt_trace_writer_open("/nonexistent/dir/x.vgt", &s, &h, &w, &err), VGT_E_IO);
    unlink(path);
}

static void flush_and_threads(void **state)
{
    char path[512];
    fx_path(path, sizeof(path), "flush");
    vgt_trace_writer_settings s;
    fx_settings(&s, 1024);
    s.queue_depth = 1;
    s.compress_threads = 3;
    s.fsync_on_flush = true;
    vgt_trace_header h;
    fx_header(&h);
    vgt_trace_writer *w;
    vgt_error err = {0};
    fx_trace t = {0};
    assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_OK);
    fx_generate(&t, w, 21, 1500, 50);
    assert_int_equal(vgt_trace_writer_flush(w, &err), VGT_OK);
    vgt_trace_writer_stats ws;
    vgt_trace_writer_stats_get(w, &ws);
    assert_int_equal(ws.chunks_written, ws.chunks_submitted);
    assert_int_equal(ws.records, t.n);
    /* after flush, the file is readable as it is (no footer yet) */
    vgt_trace_reader *r = open_ok(path);
    vgt_status st;
    assert_int_equal(fx_check(r, &t, 0, &st), t.n);
    assert_int_equal(st, VGT_E_END);
    vgt_trace_reader_close(r);
    fx_generate(&t, w, 22, 500, 50);
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);
    r = open_ok(path);
    assert_int_equal(fx_check(r, &t, 0, &st), t.n);
    assert_int_equal(st, VGT_E_END);
    assert_int_equal(vgt_trace_reader_verify(r, &err), VGT_OK);
    vgt_trace_reader_close(r);
    fx_free(&t);
    unlink(path);
}

/* The whole content of an fd from its start, NUL-terminated (small files). */
static void read_all_fd(int fd, char *buf, size_t cap)
{
    ssize_t n = pread(fd, buf, cap - 1, 0);
    assert_true(n >= 0);
    buf[n] = '\0';
}

/* The writer over an existing trace makes a new file (vgt_file_create,
 * tested in test_base): a reader of the old one keeps its bytes. */
static void create_replaces_file(void **state)
{
    (void)state;
    char path[512], buf[256];
    fx_path(path, sizeof(path), "create");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "second", 6), 6);
    close(fd);
    int old = open(path, O_RDONLY);
    assert_true(old >= 0);
    vgt_trace_header h;
    fx_header(&h);
    vgt_trace_writer *w;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_open(path, NULL, &h, &w, &err), VGT_OK);
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);
    read_all_fd(old, buf, sizeof(buf));
    assert_string_equal(buf, "second");
    close(old);
    vgt_trace_reader_close(open_ok(path));
    unlink(path);
}

/* compress_nice: the compression threads run at that nice value (or at
 * the process's own when it is already nicer), the default leaves them at
 * the process's; compress_idle: they run as SCHED_IDLE (which any thread
 * may ask for itself on Linux); the records are the same either way. */
static void compress_priority(void **state)
{
    (void)state;
    errno = 0;
    int own = getpriority(PRIO_PROCESS, 0);
    assert_int_equal(errno, 0);
    for (int mode = 0; mode < 3; mode++) {
        int nice = mode == 1 ? 10 : 0;
        bool idle = mode == 2;
        char path[512];
        fx_path(path, sizeof(path), "nice");
        vgt_trace_writer_settings s;
        fx_settings(&s, 4096);
        s.compress_nice = nice;
        s.compress_idle = idle;
        vgt_trace_header h;
        fx_header(&h);
        vgt_trace_writer *w;
        vgt_error err = {0};
        fx_trace t = {0};
        assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_OK);
        fx_generate(&t, w, 7, 300, 40);
        assert_int_equal(vgt_trace_writer_flush(w, &err), VGT_OK);
        vgt_trace_writer_stats ws;
        vgt_trace_writer_stats_get(w, &ws);
        assert_int_equal(ws.compress_nice, nice > own ? nice : own);
        assert_int_equal(ws.compress_idle, idle);
        assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);
        vgt_trace_reader *r = open_ok(path);
        vgt_status st;
        assert_int_equal(fx_check(r, &t, 0, &st), t.n);
        assert_int_equal(st, VGT_E_END);
        vgt_trace_reader_close(r);
        fx_free(&t);
        unlink(path);
    }
}

/* A process already nicer than compress_nice (nice 15 asked for 10) keeps
 * its compressor at its own nice: the writer never raises a thread above
 * the process (root's setpriority would). In a child, whose nice the rest
 * of the tests do not see. */
static void compress_priority_never_raised(void **state)
{
    (void)state;
    char path[512];
    fx_path(path, sizeof(path), "nicer");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        errno = 0;
        if (setpriority(PRIO_PROCESS, 0, 15) != 0 || getpriority(PRIO_PROCESS, 0) != 15) {
            _exit(3);
        }
        vgt_trace_writer_settings s;
        fx_settings(&s, 4096);
        s.compress_nice = 10;
        vgt_trace_header h;
        fx_header(&h);
        vgt_trace_writer *w;
        vgt_error err = {0};
        fx_trace t = {0};
        if (vgt_trace_writer_open(path, &s, &h, &w, &err) != VGT_OK) {
            _exit(4);
        }
        fx_generate(&t, w, 7, 50, 40);
        if (vgt_trace_writer_flush(w, &err) != VGT_OK) {
            _exit(5);
        }
        vgt_trace_writer_stats ws;
        vgt_trace_writer_stats_get(w, &ws);
        int code = ws.compress_nice == 15 ? 0 : 10 + (ws.compress_nice & 63);
        vgt_trace_writer_close(w, &err);
        fx_free(&t);
        unlink(path);
        _exit(code);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* Writes one record through the fast path when it takes it, else through
 * append; returns whether the fast path took it. */
static bool reserve_or_append(vgt_trace_writer *w, uint16_t type, uint16_t flags, uint64_t ts,
                              const uint8_t *p, size_t n)
{
    uint8_t *dst = vgt_trace_writer_reserve(w, type, flags, ts, n);
    if (dst) {
        memcpy(dst, p, n);
        return true;
    }
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_append(w, type, flags, ts, p, n, &err), VGT_OK);
    return false;
}

/* vgt_trace_writer_reserve writes the same file as append, byte for byte:
 * records of every size around the chunk end and the dedup threshold, new
 * types, container types, frame ends; and it declines what it must. */
static void reserve_matches_append(void **state)
{
    char path_a[512], path_b[512];
    fx_path(path_a, sizeof(path_a), "reserve-a");
    fx_path(path_b, sizeof(path_b), "reserve-b");
    vgt_trace_writer_settings s;
    fx_settings(&s, 1024);
    s.dedup_min_size = 200;
    vgt_trace_header h;
    fx_header(&h);
    vgt_trace_writer *wa, *wb;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_open(path_a, &s, &h, &wa, &err), VGT_OK);
    assert_int_equal(vgt_trace_writer_open(path_b, &s, &h, &wb, &err), VGT_OK);
    uint8_t buf[1200];
    size_t fast = 0, slow = 0;
    for (uint32_t i = 0; i < 3000; i++) {
        /* sizes: mostly small, some at the dedup threshold and around the
         * chunk size; a repeated payload every so often (dedup) */
        size_t n = (i * 37u) % 97u;
        if (i % 50 == 7) {
            n = 199 + i % 3;
        } else if (i % 211 == 3) {
            n = 1000 + i % 30;
        }
        fx_fill(buf, n, i % 13 == 0 ? 5u : i);
        uint16_t type = (uint16_t)(VGT_REC_USER_FIRST + i % 5 + (i > 1500 ? 7 : 0));
        if (i % 97 == 0) {
            type = VGT_REC_MARKER;
        }
        uint64_t ts = 1000u + i;
        assert_true(i == 0 || !vgt_trace_writer_reserve(wa, VGT_REC_MARKER, 0, ts, 4));
        assert_int_equal(vgt_trace_writer_append(wa, type, (uint16_t)(i & 3), ts, buf, n, &err),
                         VGT_OK);
        if (reserve_or_append(wb, type, (uint16_t)(i & 3), ts, buf, n)) {
            fast++;
            assert_true(n < 200);
        } else {
            slow++;
        }
        if (i % 40 == 39) {
            assert_int_equal(vgt_trace_writer_frame_end(wa, ts, &err), VGT_OK);
            assert_int_equal(vgt_trace_writer_frame_end(wb, ts, &err), VGT_OK);
        }
    }
    /* both paths were taken */
    assert_true(fast > 2000);
    assert_true(slow > 100);
    vgt_trace_writer_stats sa, sb;
    vgt_trace_writer_stats_get(wa, &sa);
    vgt_trace_writer_stats_get(wb, &sb);
    assert_int_equal(sa.records, sb.records);
    assert_int_equal(sa.payload_bytes, sb.payload_bytes);
    assert_int_equal(sa.bytes_uncompressed, sb.bytes_uncompressed);
    assert_int_equal(vgt_trace_writer_close(wa, &err), VGT_OK);
    assert_int_equal(vgt_trace_writer_close(wb, &err), VGT_OK);
    size_t na, nb;
    uint8_t *a = fx_read_file(path_a, &na);
    uint8_t *b = fx_read_file(path_b, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
    unlink(path_a);
    unlink(path_b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_round_trip),
        cmocka_unit_test(every_record_type),
        cmocka_unit_test(type_names),
        cmocka_unit_test(edge_payload_sizes),
        cmocka_unit_test(dedup_stores_once),
        cmocka_unit_test(seek_each_frame),
        cmocka_unit_test(seek_reads_one_chunk),
        cmocka_unit_test(rebuild_matches_footer),
        cmocka_unit_test(versions_and_bad_files),
        cmocka_unit_test(writer_settings_checked),
        cmocka_unit_test(flush_and_threads),
        cmocka_unit_test(compress_priority),
        cmocka_unit_test(compress_priority_never_raised),
        cmocka_unit_test(reserve_matches_append),
        cmocka_unit_test(create_replaces_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
