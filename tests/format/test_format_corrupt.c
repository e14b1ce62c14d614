/* Damaged traces: truncation at every byte of the last two chunks, bit flips,
 * salvage past a bad middle chunk, random mutations (never a crash), and a
 * footer whose frame table lies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

/* The start most tests here share: the fixture's trace written at the
 * path `name` names (its records in t), its bytes (b, n) to damage a copy
 * of, written at bad (`name`-bad), and a reader of the intact trace. */
typedef struct damage_fx {
    char path[512], bad[512];
    fx_trace t;
    uint8_t *b;
    size_t n;
    vgt_trace_reader *full;
} damage_fx;

static void damage_fx_make(damage_fx *f, const char *name, uint32_t chunk_size, size_t count,
                           size_t frame_every, uint32_t seed)
{
    memset(f, 0, sizeof(*f));
    char bad[64];
    snprintf(bad, sizeof(bad), "%s-bad", name);
    fx_path(f->path, sizeof(f->path), name);
    fx_path(f->bad, sizeof(f->bad), bad);
    fx_write_file(f->path, &f->t, chunk_size, count, frame_every, seed);
    f->b = fx_read_file(f->path, &f->n);
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(f->path, NULL, &f->full, &err), VGT_OK);
}

static void damage_fx_free(damage_fx *f)
{
    vgt_trace_reader_close(f->full);
    free(f->b);
    fx_free(&f->t);
    unlink(f->path);
    unlink(f->bad);
}

/* Records held by chunks [0, k): the intact prefix a reader may return. */
static uint64_t records_before_chunk(vgt_trace_reader *full, uint64_t k)
{
    if (k == 0) {
        return 0;
    }
    vgt_trace_chunk_info c;
    assert_true(vgt_trace_reader_chunk(full, k - 1, &c));
    return c.first_record + c.record_count;
}

static void truncate_every_byte(void **state)
{
    char path[512], cut[512];
    fx_path(path, sizeof(path), "trunc");
    fx_path(cut, sizeof(cut), "trunc-cut");
    fx_trace t = {0};
    fx_write_file(path, &t, 1024, 150, 13, 17);
    size_t n;
    uint8_t *b = fx_read_file(path, &n);
    vgt_trace_reader *full;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(path, NULL, &full, &err), VGT_OK);
    uint64_t nchunks = vgt_trace_reader_chunk_count(full);
    assert_true(nchunks >= 6);
    vgt_trace_chunk_info second_last;
    assert_true(vgt_trace_reader_chunk(full, nchunks - 2, &second_last));
    FILE *f = fopen(cut, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
    size_t checked = 0;
    /* every length from the end of the file down to the start of the
     * second-to-last chunk (inside the footer, the last two chunks, their
     * headers) */
    for (size_t len = n - 1; len >= second_last.offset; len--) {
        assert_int_equal(truncate(cut, (off_t)len), 0);
        vgt_trace_reader *r = NULL;
        vgt_status st = vgt_trace_reader_open(cut, NULL, &r, &err);
        assert_int_equal(st, VGT_OK);
        /* whole chunks that fit in len */
        uint64_t whole = 0;
        for (uint64_t k = 0; k < nchunks; k++) {
            vgt_trace_chunk_info c;
            assert_true(vgt_trace_reader_chunk(full, k, &c));
            if (c.offset + 80 + c.compressed_size <= len) {
                whole = k + 1;
            }
        }
        vgt_trace_info info;
        vgt_trace_reader_info(r, &info);
        assert_false(info.footer_present);
        assert_int_equal(info.chunks, whole);
        assert_int_equal(info.records, records_before_chunk(full, whole));
        vgt_status end;
        size_t got = fx_check(r, &t, 0, &end);
        assert_int_equal(got, records_before_chunk(full, whole));
        assert_int_equal(end, VGT_E_END);
        /* a torn chunk is reported (unless the cut is on a chunk boundary or
         * inside the footer) */
        bool torn = false;
        for (size_t i = 0; i < vgt_trace_reader_problem_count(r); i++) {
            const vgt_trace_problem *p = vgt_trace_reader_problem(r, i);
            if (p->code == VGT_E_TRUNCATED && p->chunk == whole) {
                torn = true;
                /* the detail, as the verbs print it after "skipped chunk N
                 * at offset O: ", says neither again, nor "skipped" (it
                 * read "chunk N at offset O is torn: ...: skipped") */
                vgt_trace_chunk_info tc;
                assert_true(
                    vgt_trace_reader_chunk(full, whole < nchunks ? whole : nchunks - 1, &tc));
                uint64_t at = whole < nchunks ? tc.offset : tc.offset + 80 + tc.compressed_size;
                char want[128];
                if (len - at < 80) {
                    snprintf(want, sizeof(want), "torn header (%llu bytes, a header has 80)",
                             (unsigned long long)(len - at));
                } else {
                    snprintf(want, sizeof(want), "torn: it needs %llu bytes, the file has %llu",
                             (unsigned long long)(80 + tc.compressed_size),
                             (unsigned long long)(len - at));
                }
                assert_int_equal(p->offset, at);
                assert_string_equal(vgt_trace_problem_detail(p), want);
            }
        }
        vgt_trace_chunk_info c;
        bool boundary;
        if (whole == nchunks) {
            /* after the last chunk: the index; a cut in its first 8 bytes
             * looks like a torn chunk header */
            assert_true(vgt_trace_reader_chunk(full, nchunks - 1, &c));
            uint64_t chunks_end = c.offset + 80 + c.compressed_size;
            boundary = len == chunks_end || len - chunks_end >= 8;
        } else {
            assert_true(vgt_trace_reader_chunk(full, whole, &c));
            boundary = c.offset == len;
        }
        if (torn == boundary) {
            fail_msg("cut at %zu: torn %d, boundary %d, %zu problems", len, torn, boundary,
                     vgt_trace_reader_problem_count(r));
        }
        vgt_trace_reader_close(r);
        checked++;
    }
    print_message("truncated at %zu offsets of %zu chunks\n", checked, (size_t)nchunks);
    assert_true(checked > 400);
    vgt_trace_reader_close(full);
    free(b);
    fx_free(&t);
    unlink(path);
    unlink(cut);
}

/* Flips bit `bit` of byte `pos`, and checks the damage is detected and the
 * message names chunk `k` at its offset. */
static void flip_and_check(const char *bad, const uint8_t *b, size_t n, size_t pos, int bit,
                           uint64_t k, uint64_t koff, const fx_trace *t)
{
    uint8_t *c = malloc(n);
    memcpy(c, b, n);
    c[pos] ^= (uint8_t)(1u << bit);
    fx_write_bytes(bad, c, n);
    free(c);
    vgt_trace_reader *r;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(bad, NULL, &r, &err), VGT_OK);
    vgt_status st;
    size_t got = fx_check(r, t, 0, &st);
    char want[128];
    snprintf(want, sizeof(want), "chunk %llu at offset %llu", (unsigned long long)k,
             (unsigned long long)koff);
    if (st != VGT_E_CHECKSUM && st != VGT_E_FORMAT) {
        fail_msg("flip at %zu bit %d: status %d", pos, bit, st);
    }
    /* the error that stopped the iteration names the chunk and its offset */
    vgt_trace_record rec;
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), st);
    if (!strstr(err.message, want)) {
        fail_msg("flip at %zu bit %d: message '%s', wanted '%s'", pos, bit, err.message, want);
    }
    bool named = false;
    for (size_t i = 0; i < vgt_trace_reader_problem_count(r); i++) {
        if (strstr(vgt_trace_reader_problem(r, i)->message, want)) {
            named = true;
        }
    }
    if (!named) {
        fail_msg("flip at %zu bit %d: no problem names '%s'", pos, bit, want);
    }
    assert_true(got <= t->n);
    vgt_trace_reader_close(r);
}

static void bit_flips_detected(void **state)
{
    damage_fx f;
    damage_fx_make(&f, "flip", 2048, 600, 17, 23);
    vgt_error err = {0};
    uint64_t k = 3;
    vgt_trace_chunk_info c;
    assert_true(vgt_trace_reader_chunk(f.full, k, &c));
    /* every bit of the chunk header and a spread of bits in its body */
    size_t flips = 0;
    for (size_t pos = c.offset; pos < c.offset + 80 + c.compressed_size;
         pos += pos < c.offset + 80 ? 1 : 7) {
        for (int bit = 0; bit < 8; bit += (pos < c.offset + 80 ? 1 : 3)) {
            flip_and_check(f.bad, f.b, f.n, pos, bit, k, c.offset, &f.t);
            flips++;
        }
    }
    assert_true(flips > 640);
    /* the checksum error stops iteration after exactly the earlier chunks */
    f.b[c.offset + 80 + 10] ^= 4;
    fx_write_bytes(f.bad, f.b, f.n);
    vgt_trace_reader *r;
    assert_int_equal(vgt_trace_reader_open(f.bad, NULL, &r, &err), VGT_OK);
    vgt_status st;
    assert_int_equal(fx_check(r, &f.t, 0, &st), c.first_record);
    assert_int_equal(st, VGT_E_CHECKSUM);
    vgt_trace_record rec;
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_E_CHECKSUM); /* sticky */
    char want[160];
    snprintf(want, sizeof(want), "chunk 3 at offset %llu: checksum mismatch",
             (unsigned long long)c.offset);
    assert_non_null(strstr(err.message, want));
    assert_int_equal(vgt_trace_reader_verify(r, &err), VGT_E_CHECKSUM);
    vgt_trace_reader_close(r);
    damage_fx_free(&f);
}

/* rec is byte-identical to the record of its seq the fixture wrote, found
 * from index i on; returns that index. */
static size_t expect_written(const fx_trace *t, size_t i, const vgt_trace_record *rec)
{
    while (i < t->n && t->recs[i].seq != rec->seq) {
        i++;
    }
    assert_true(i < t->n);
    assert_int_equal(rec->frame, t->recs[i].frame);
    assert_int_equal(rec->type, t->recs[i].type);
    assert_int_equal(rec->size, t->recs[i].size);
    assert_memory_equal(rec->payload, t->recs[i].payload, rec->size);
    return i;
}

static void salvage_past_bad_chunk(void **state)
{
    damage_fx f;
    damage_fx_make(&f, "salv", 2048, 800, 19, 29);
    vgt_error err = {0};
    uint64_t nchunks = vgt_trace_reader_chunk_count(f.full);
    uint64_t k = nchunks / 2;
    vgt_trace_chunk_info c, cl;
    assert_true(vgt_trace_reader_chunk(f.full, k, &c));
    assert_true(vgt_trace_reader_chunk(f.full, nchunks - 1, &cl));
    vgt_trace_reader_options o;
    vgt_trace_reader_options_init(&o);
    o.salvage = true;

    for (int variant = 0; variant < 3; variant++) {
        uint8_t *d = malloc(f.n);
        memcpy(d, f.b, f.n);
        size_t len = f.n;
        if (variant == 0) {
            d[c.offset + 80 + c.compressed_size / 2] ^= 0x80; /* body, footer kept */
        } else if (variant == 1) {
            d[c.offset + 80 + 3] ^= 0x01; /* body, no footer */
            len = cl.offset + 80 + cl.compressed_size;
        } else {
            d[c.offset + 20] ^= 0x01; /* chunk header, no footer: resync */
            len = cl.offset + 80 + cl.compressed_size;
        }
        fx_write_bytes(f.bad, d, len);
        free(d);
        vgt_trace_reader *r;
        assert_int_equal(vgt_trace_reader_open(f.bad, &o, &r, &err), VGT_OK);
        vgt_trace_record rec;
        size_t i = 0, got = 0;
        vgt_status st;
        while ((st = vgt_trace_reader_next(r, &rec, &err)) == VGT_OK) {
            /* every returned record is byte-identical to what was written */
            i = expect_written(&f.t, i, &rec);
            assert_false(rec.seq >= c.first_record && rec.seq < c.first_record + c.record_count);
            got++;
        }
        assert_int_equal(st, VGT_E_END);
        /* all records except the bad chunk's, minus references to it */
        size_t lost_refs = 0;
        assert_true(got + c.record_count + lost_refs <= f.t.n);
        if (got + c.record_count + 30 < f.t.n) {
            for (size_t p = 0; p < vgt_trace_reader_problem_count(r); p++) {
                print_message("problem: %s\n", vgt_trace_reader_problem(r, p)->message);
            }
            fail_msg("variant %d: got %zu + %u of %zu", variant, got, c.record_count, f.t.n);
        }
        bool named = false;
        char want[128];
        snprintf(want, sizeof(want), "chunk %llu at offset %llu", (unsigned long long)k,
                 (unsigned long long)c.offset);
        for (size_t p = 0; p < vgt_trace_reader_problem_count(r); p++) {
            named |= strstr(vgt_trace_reader_problem(r, p)->message, want) != NULL;
        }
        assert_true(named);
        vgt_trace_reader_close(r);
        /* without salvage: stops at the bad chunk with an error */
        assert_int_equal(vgt_trace_reader_open(f.bad, NULL, &r, &err), VGT_OK);
        assert_int_equal(fx_check(r, &f.t, 0, &st), c.first_record);
        assert_true(st == VGT_E_CHECKSUM || st == VGT_E_FORMAT);
        vgt_trace_reader_close(r);
    }
    damage_fx_free(&f);
}

/* A seek into a damaged chunk: in salvage mode the reader stands at that
 * chunk and next() returns the first record after it (a damaged chunk 0
 * left every verb that seeks to record 0 with nothing); without salvage the
 * seek fails naming the damage. */
static void salvage_seek_into_bad_chunk(void **state)
{
    (void)state;
    damage_fx f;
    damage_fx_make(&f, "salvseek", 2048, 800, 19, 29);
    vgt_error err = {0};
    /* chunk 0, and a later chunk k in which a frame f2 starts, not the last */
    uint64_t nchunks = vgt_trace_reader_chunk_count(f.full), f2 = 0;
    vgt_trace_frame_info fi = {0};
    while (vgt_trace_reader_frame(f.full, f2, &fi) && (fi.chunk < 2 || fi.chunk + 1 >= nchunks)) {
        f2++;
    }
    assert_true(fi.chunk >= 2 && fi.chunk + 1 < nchunks);
    vgt_trace_chunk_info c0, c1, c2, c3;
    assert_true(vgt_trace_reader_chunk(f.full, 0, &c0));
    assert_true(vgt_trace_reader_chunk(f.full, 1, &c1));
    assert_true(vgt_trace_reader_chunk(f.full, fi.chunk, &c2));
    assert_true(vgt_trace_reader_chunk(f.full, fi.chunk + 1, &c3));
    uint8_t *d = malloc(f.n);
    assert_non_null(d);
    memcpy(d, f.b, f.n);
    d[c0.offset + 80 + c0.compressed_size / 2] ^= 0x80; /* chunk 0's body */
    d[c2.offset + 80 + c2.compressed_size / 2] ^= 0x80; /* and chunk k's */
    fx_write_bytes(f.bad, d, f.n);
    free(d);
    vgt_trace_reader_options o;
    vgt_trace_reader_options_init(&o);
    o.salvage = true;
    vgt_trace_reader *r;
    assert_int_equal(vgt_trace_reader_open(f.bad, &o, &r, &err), VGT_OK);
    vgt_trace_record rec;
    /* record 0, the first record of frame f2 (not the frame the reader
     * last read), and a record inside chunk k */
    uint64_t targets[3][2] = {{0, c1.first_record},
                              {UINT64_MAX, c3.first_record},
                              {c2.first_record + c2.record_count / 2, c3.first_record}};
    for (int k = 0; k < 3; k++) {
        if (targets[k][0] == UINT64_MAX) {
            assert_int_equal(vgt_trace_reader_seek_frame(r, f2, &err), VGT_OK);
        } else {
            assert_int_equal(vgt_trace_reader_seek_record(r, targets[k][0], &err), VGT_OK);
        }
        assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
        assert_int_equal(rec.seq, targets[k][1]);
        expect_written(&f.t, 0, &rec);
    }
    /* each damaged chunk is one problem, named with its offset */
    assert_int_equal(vgt_trace_reader_problem_count(r), 2);
    assert_int_equal(vgt_trace_reader_problem(r, 0)->chunk, 0);
    assert_int_equal(vgt_trace_reader_problem(r, 0)->offset, c0.offset);
    assert_int_equal(vgt_trace_reader_problem(r, 1)->chunk, fi.chunk);
    assert_int_equal(vgt_trace_reader_problem(r, 1)->offset, c2.offset);
    vgt_trace_reader_close(r);
    /* without salvage the seek fails with the damage */
    assert_int_equal(vgt_trace_reader_open(f.bad, NULL, &r, &err), VGT_OK);
    vgt_status st = vgt_trace_reader_seek_record(r, 0, &err);
    assert_true(st == VGT_E_CHECKSUM || st == VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "chunk 0 at offset"));
    vgt_trace_reader_close(r);
    damage_fx_free(&f);
}

/* vgt_trace_reader_check_chunk: each chunk on its own; a chunk damaged on
 * disk after the reader cached it is found (read again, not from the
 * cache); the damaged one is a problem naming it; the reader is rewound to
 * record 0 after it; no entry past the table. */
static void check_chunk_each(void **state)
{
    (void)state;
    char path[512];
    fx_path(path, sizeof(path), "checkchunk");
    fx_trace t = {0};
    fx_write_file(path, &t, 2048, 400, 23, 31);
    vgt_trace_reader *r;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    uint64_t nchunks = vgt_trace_reader_chunk_count(r);
    assert_true(nchunks >= 4);
    for (uint64_t i = 0; i < nchunks; i++) {
        vgt_trace_chunk_info c;
        assert_true(vgt_trace_reader_chunk(r, i, &c));
        assert_int_equal(c.id, i);
        assert_int_equal(vgt_trace_reader_check_chunk(r, i, &err), VGT_OK);
    }
    assert_int_equal(vgt_trace_reader_check_chunk(r, nchunks, &err), VGT_E_NOTFOUND);
    assert_int_equal(vgt_trace_reader_problem_count(r), 0);
    /* chunk 2 read (so cached), then damaged on disk */
    vgt_trace_chunk_info c2;
    assert_true(vgt_trace_reader_chunk(r, 2, &c2));
    vgt_trace_record rec;
    assert_int_equal(vgt_trace_reader_seek_record(r, c2.first_record, &err), VGT_OK);
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
    size_t n;
    uint8_t *b = fx_read_file(path, &n);
    b[c2.offset + 80 + c2.compressed_size / 2] ^= 0x10;
    fx_write_bytes(path, b, n);
    free(b);
    assert_int_equal(vgt_trace_reader_check_chunk(r, 1, &err), VGT_OK);
    assert_int_equal(vgt_trace_reader_check_chunk(r, 2, &err), VGT_E_CHECKSUM);
    assert_non_null(strstr(err.message, "chunk 2 at offset"));
    assert_int_equal(vgt_trace_reader_problem_count(r), 1);
    assert_int_equal(vgt_trace_reader_problem(r, 0)->chunk, 2);
    assert_int_equal(vgt_trace_reader_problem(r, 0)->offset, c2.offset);
    assert_int_equal(vgt_trace_reader_check_chunk(r, 3, &err), VGT_OK);
    /* rewound: next() returns record 0, as written */
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
    assert_int_equal(rec.seq, 0);
    expect_written(&t, 0, &rec);
    vgt_trace_reader_close(r);
    fx_free(&t);
    unlink(path);
}

/* A trace without its footer whose middle chunk is damaged: the open
 * rebuilds the index and keeps that chunk in it, and its problem is recorded
 * when a read meets it, as with a footer (recorded at the open, it was
 * never new to a reader counting what it skipped: vgt leaks, replay and
 * trim salvaged past it with exit 0 and without a word). */
static void footerless_damage_met_when_read(void **state)
{
    (void)state;
    damage_fx f;
    damage_fx_make(&f, "nofootdmg", 2048, 400, 37, 41);
    vgt_error err = {0};
    uint64_t nchunks = vgt_trace_reader_chunk_count(f.full);
    assert_true(nchunks >= 4);
    vgt_trace_chunk_info mid, last;
    assert_true(vgt_trace_reader_chunk(f.full, nchunks / 2, &mid));
    assert_true(vgt_trace_reader_chunk(f.full, nchunks - 1, &last));
    f.b[mid.offset + 80 + mid.compressed_size / 2] ^= 0x40;
    fx_write_bytes(f.bad, f.b, (size_t)(last.offset + 80 + last.compressed_size)); /* no footer */
    vgt_trace_reader_options o;
    vgt_trace_reader_options_init(&o);
    o.salvage = true;
    vgt_trace_reader *r;
    assert_int_equal(vgt_trace_reader_open(f.bad, &o, &r, &err), VGT_OK);
    /* at the open: the missing footer only; the chunk is in the index */
    assert_int_equal(vgt_trace_reader_problem_count(r), 1);
    assert_int_equal(vgt_trace_reader_problem(r, 0)->chunk, UINT64_MAX);
    assert_int_equal(vgt_trace_reader_chunk_count(r), nchunks);
    /* reading meets it: recorded then, and the records after it come */
    vgt_trace_record rec;
    uint64_t got = 0, after = 0;
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
        if (rec.seq < mid.first_record) {
            assert_int_equal(vgt_trace_reader_problem_count(r), 1);
        }
        expect_written(&f.t, (size_t)rec.seq, &rec);
        after += rec.seq >= mid.first_record + mid.record_count;
        got++;
    }
    assert_int_equal(got + mid.record_count, last.first_record + last.record_count);
    assert_true(after > 0);
    assert_int_equal(vgt_trace_reader_problem_count(r), 2);
    const vgt_trace_problem *p = vgt_trace_reader_problem(r, 1);
    assert_int_equal(p->code, VGT_E_CHECKSUM);
    assert_int_equal(p->chunk, nchunks / 2);
    assert_int_equal(p->offset, mid.offset);
    char want[128];
    snprintf(want, sizeof(want), "checksum mismatch in its %u compressed bytes",
             mid.compressed_size);
    assert_string_equal(vgt_trace_problem_detail(p), want);
    snprintf(want, sizeof(want), "chunk %llu at offset %llu: ", (unsigned long long)p->chunk,
             (unsigned long long)p->offset);
    assert_int_equal(strncmp(p->message, want, strlen(want)), 0);
    vgt_trace_reader_close(r);
    /* without salvage the read stops at it with its error */
    assert_int_equal(vgt_trace_reader_open(f.bad, NULL, &r, &err), VGT_OK);
    vgt_status st;
    while ((st = vgt_trace_reader_next(r, &rec, &err)) == VGT_OK) {
        assert_true(rec.seq < mid.first_record);
    }
    assert_int_equal(st, VGT_E_CHECKSUM);
    assert_non_null(strstr(err.message, "chunk "));
    assert_int_equal(vgt_trace_reader_problem_count(r), 2);
    vgt_trace_reader_close(r);
    /* verify meets every chunk: the chunk's problem is the first it finds */
    assert_int_equal(vgt_trace_reader_open(f.bad, &o, &r, &err), VGT_OK);
    assert_int_equal(vgt_trace_reader_verify(r, &err), VGT_E_CHECKSUM);
    assert_int_equal(vgt_trace_reader_problem_count(r), 2);
    vgt_trace_reader_close(r);
    damage_fx_free(&f);
}

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Random damage anywhere: open/iterate/seek/verify must never crash and
 * every record returned must be one that was written. */
static void random_mutations(void **state)
{
    char path[512], bad[512];
    fx_path(path, sizeof(path), "fuzz");
    fx_path(bad, sizeof(bad), "fuzz-bad");
    fx_trace t = {0};
    fx_write_file(path, &t, 1024, 200, 11, 31);
    size_t n;
    uint8_t *b = fx_read_file(path, &n);
    uint8_t *d = malloc(n);
    uint32_t s = 12345;
    const char *slow = getenv("VGT_TEST_SLOW");
    int rounds = slow && strcmp(slow, "0") == 0 ? 300 : 1500;
    for (int round = 0; round < rounds; round++) {
        memcpy(d, b, n);
        size_t len = n;
        int kind = (int)(rnd(&s) % 4);
        int edits = 1 + (int)(rnd(&s) % 4);
        for (int e = 0; e < edits; e++) {
            size_t pos = rnd(&s) % n;
            if (kind == 0) {
                d[pos] ^= (uint8_t)(1u << (rnd(&s) % 8));
            } else if (kind == 1) {
                d[pos] = (uint8_t)rnd(&s);
            } else if (kind == 2 && pos + 8 <= n) {
                vgt_store_le64(d + pos, (uint64_t)rnd(&s) << (rnd(&s) % 40));
            } else {
                len = pos;
            }
        }
        fx_write_bytes(bad, d, len);
        for (int salvage = 0; salvage < 2; salvage++) {
            vgt_trace_reader_options o;
            vgt_trace_reader_options_init(&o);
            o.salvage = salvage;
            vgt_trace_reader *r = NULL;
            vgt_error err = {0};
            if (vgt_trace_reader_open(bad, &o, &r, &err) != VGT_OK) {
                assert_null(r);
                assert_true(err.message[0] != '\0');
                continue;
            }
            vgt_trace_record rec;
            int limit = 5000;
            while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK && limit-- > 0) {
                if (rec.seq < t.n) {
                    /* a record whose chunk passed both checksums is intact */
                    assert_int_equal(rec.size, t.recs[rec.seq].size);
                    assert_memory_equal(rec.payload, t.recs[rec.seq].payload, rec.size);
                }
            }
            uint64_t frames = vgt_trace_reader_frame_count(r);
            if (frames > 0) {
                vgt_trace_reader_seek_frame(r, rnd(&s) % frames, &err);
                vgt_trace_reader_next(r, &rec, &err);
            }
            vgt_trace_reader_verify(r, &err);
            vgt_trace_info info;
            vgt_trace_reader_info(r, &info);
            vgt_trace_reader_close(r);
        }
    }
    free(d);
    free(b);
    fx_free(&t);
    unlink(path);
    unlink(bad);
}

/* A footer whose frame table lies (checksums right, every consistency check
 * of the index passed: the entry stays inside the chunk it names): seeking
 * to the frame fails, and the error names the chunk and its offset as every
 * other damage does (found by fuzz_trace_reader's structure-aware mode: the
 * message said only "frame index says frame 2 starts at record 11"). */
static void frame_index_lie_names_chunk(void **state)
{
    (void)state;
    char path[512], bad[512];
    fx_path(path, sizeof(path), "fidx");
    fx_path(bad, sizeof(bad), "fidx-bad");
    fx_trace t = {0};
    fx_write_file(path, &t, 2048, 400, 7, 41);
    size_t n;
    uint8_t *b = fx_read_file(path, &n);
    vgt_trace_reader *r;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    /* a frame that does not start its chunk: its first record - 1 is in the
     * same chunk, in the frame before */
    uint64_t f = 0, nframes = vgt_trace_reader_frame_count(r);
    vgt_trace_frame_info fi;
    vgt_trace_chunk_info c;
    for (f = 1; f < nframes; f++) {
        assert_true(vgt_trace_reader_frame(r, f, &fi));
        assert_true(vgt_trace_reader_chunk(r, fi.chunk, &c));
        if (fi.first_record > c.first_record) {
            break;
        }
    }
    assert_true(f < nframes);
    uint64_t nchunks = vgt_trace_reader_chunk_count(r);
    vgt_trace_reader_close(r);
    /* the trailer: index offset at 8, size at 16, index hash at 24, its own at 32 */
    uint8_t *tr = b + n - 40;
    uint64_t ioff = vgt_load_le64(tr + 8), isize = vgt_load_le64(tr + 16);
    uint8_t *entry = b + ioff + 96 + 48 * nchunks + 16 * f;
    assert_int_equal(vgt_load_le64(entry + 8), fi.first_record);
    vgt_store_le64(entry + 8, fi.first_record - 1);
    vgt_store_le64(tr + 24, vgt_trace_hash64(b + ioff, isize));
    vgt_store_le64(tr + 32, vgt_trace_hash64(tr, 32));
    fx_write_bytes(bad, b, n);

    assert_int_equal(vgt_trace_reader_open(bad, NULL, &r, &err), VGT_OK);
    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    assert_true(info.footer_present); /* the lie passed the index's checks */
    assert_int_equal(vgt_trace_reader_seek_frame(r, f, &err), VGT_E_FORMAT);
    char want[128];
    snprintf(want, sizeof(want), "chunk %llu at offset %llu: ", (unsigned long long)fi.chunk,
             (unsigned long long)c.offset);
    assert_non_null(strstr(err.message, want));
    assert_non_null(strstr(err.message, "frame index says frame"));
    assert_int_equal(vgt_trace_reader_problem_count(r), 1);
    const vgt_trace_problem *p = vgt_trace_reader_problem(r, 0);
    assert_int_equal(p->code, VGT_E_FORMAT);
    assert_int_equal(p->chunk, fi.chunk);
    assert_int_equal(p->offset, c.offset);
    assert_non_null(strstr(p->message, want));
    /* the failed seek leaves no position: next() answers with the lie, not
     * with the record of another frame the index pointed at */
    vgt_trace_record rec;
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "frame index says frame"));
    vgt_trace_reader_close(r);
    free(b);
    fx_free(&t);
    unlink(path);
    unlink(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(truncate_every_byte),
        cmocka_unit_test(bit_flips_detected),
        cmocka_unit_test(salvage_past_bad_chunk),
        cmocka_unit_test(random_mutations),
        cmocka_unit_test(frame_index_lie_names_chunk),
        cmocka_unit_test(salvage_seek_into_bad_chunk),
        cmocka_unit_test(check_chunk_each),
        cmocka_unit_test(footerless_damage_met_when_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
