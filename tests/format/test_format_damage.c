/* The reader's promises on damaged input (docs/format.md, "Recovery
 * rules"), each checked against an answer known independently: the
 * records the fixture wrote, and the same damage read through the footer
 * the writer wrote (an index rebuilt from a trace without it must agree
 * with what the footer says, docs/format.md "Reading"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#include "fixture.h"

/* An intact trace (records in t, bytes b/n), its chunk table, and the two
 * files a test damages: `with` keeps the footer, `without` ends after the
 * last chunk (a killed capture). */
typedef struct dmg {
    char path[512], with[512], without[512];
    fx_trace t;
    uint8_t *b;
    size_t n;
    uint64_t nchunks;
    vgt_trace_chunk_info *c;
    uint64_t body_end; /* end of the last chunk: where the index starts */
} dmg;

static void dmg_make(dmg *d, const char *name, uint32_t chunk_size, size_t count,
                     size_t frame_every, uint32_t seed)
{
    memset(d, 0, sizeof(*d));
    char n1[64], n2[64];
    snprintf(n1, sizeof(n1), "%s-with", name);
    snprintf(n2, sizeof(n2), "%s-without", name);
    fx_path(d->path, sizeof(d->path), name);
    fx_path(d->with, sizeof(d->with), n1);
    fx_path(d->without, sizeof(d->without), n2);
    fx_write_file(d->path, &d->t, chunk_size, count, frame_every, seed);
    d->b = fx_read_file(d->path, &d->n);
    vgt_trace_reader *r;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(d->path, NULL, &r, &err), VGT_OK);
    d->nchunks = vgt_trace_reader_chunk_count(r);
    d->c = calloc(d->nchunks, sizeof(*d->c));
    assert_non_null(d->c);
    for (uint64_t i = 0; i < d->nchunks; i++) {
        assert_true(vgt_trace_reader_chunk(r, i, &d->c[i]));
    }
    vgt_trace_reader_close(r);
    const vgt_trace_chunk_info *l = &d->c[d->nchunks - 1];
    d->body_end = l->offset + 80 + l->compressed_size;
}

/* Writes the damaged copy `m` as both files. */
static void dmg_write(const dmg *d, const uint8_t *m)
{
    fx_write_bytes(d->with, m, d->n);
    fx_write_bytes(d->without, m, (size_t)d->body_end);
}

static void dmg_free(dmg *d)
{
    unlink(d->path);
    unlink(d->with);
    unlink(d->without);
    free(d->c);
    free(d->b);
    fx_free(&d->t);
}

static vgt_trace_reader *open_ok(const char *path, bool salvage)
{
    vgt_trace_reader_options o;
    vgt_trace_reader_options_init(&o);
    o.salvage = salvage;
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    if (vgt_trace_reader_open(path, &o, &r, &err) != VGT_OK) {
        fail_msg("open %s: %s", path, err.message);
    }
    return r;
}

/* Whether the last record the fixture wrote is a FRAME_END. */
static bool ends_with_frame_end(const fx_trace *t)
{
    return t->n > 0 && t->recs[t->n - 1].type == VGT_REC_FRAME_END;
}

/* The first chunk (from `from` on) in which a frame starts after its first
 * record, so that a seek to that frame lands inside the chunk. */
static uint64_t chunk_with_inner_frame(const dmg *d, uint64_t from)
{
    for (uint64_t k = from; k < d->nchunks; k++) {
        if (d->c[k].last_frame > d->c[k].first_frame + 1) {
            return k;
        }
    }
    fail_msg("no chunk from %llu holds a frame start after its first record",
             (unsigned long long)from);
    return 0;
}

/* A chunk, not the last, whose last record is a FRAME_END: the next one
 * starts a frame after its last. */
static uint64_t chunk_ending_frame(const dmg *d)
{
    for (uint64_t k = 1; k + 1 < d->nchunks; k++) {
        if (d->c[k + 1].first_frame == d->c[k].last_frame + 1) {
            return k;
        }
    }
    fail_msg("no chunk ends with a FRAME_END");
    return 0;
}

/* A trace whose chunk k has a damaged body (the compressed checksum fails),
 * read through its footer and, without the footer, through an index
 * rebuilt from the chunks: both indexes count the same records, frames,
 * chunks and bytes (the rebuilt one takes a damaged chunk's from its
 * header, which its checksum vouches for), and a seek to every frame
 * answers the same, in normal and in salvage mode. */
static void rebuilt_index_agrees_with_footer(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "agree", 2048, 900, 5, 71);
    assert_true(d.nchunks >= 8);
    uint64_t mid = chunk_with_inner_frame(&d, d.nchunks / 2);
    /* chunk 0, a middle one, the last, one ending a frame, and the
     * middle one with only its uncompressed checksum wrong */
    uint64_t ks[5] = {0, mid, d.nchunks - 1, chunk_ending_frame(&d), mid};
    for (int v = 0; v < 5; v++) {
        uint64_t k = ks[v];
        uint8_t *m = malloc(d.n);
        assert_non_null(m);
        memcpy(m, d.b, d.n);
        if (v < 4) {
            m[d.c[k].offset + 80 + d.c[k].compressed_size / 2] ^= 0x08;
        } else {
            /* only the uncompressed checksum wrong (the header's own made
             * right): a read, which does not check it, uses the chunk, and
             * so does the rebuild, which says the mismatch
             * (wrong_uncompressed_checksum_is_read): a seek to a frame
             * starting inside it finds that frame */
            uint8_t *h = m + d.c[k].offset;
            h[64] ^= 0x01;
            vgt_store_le64(h + 72, vgt_trace_hash64(h, 72));
        }
        dmg_write(&d, m);
        free(m);
        for (int salvage = 0; salvage < 2; salvage++) {
            vgt_trace_reader *rf = open_ok(d.with, salvage);
            vgt_trace_reader *rw = open_ok(d.without, salvage);
            vgt_trace_info fi, wi;
            vgt_trace_reader_info(rf, &fi);
            vgt_trace_reader_info(rw, &wi);
            assert_true(fi.footer_present);
            assert_true(wi.index_rebuilt);
            /* the footer's counts are the writer's */
            assert_int_equal(fi.records, d.t.n);
            assert_int_equal(wi.records, fi.records);
            assert_int_equal(wi.chunks, fi.chunks);
            assert_int_equal(wi.frames, fi.frames);
            assert_int_equal(wi.bytes_compressed, fi.bytes_compressed);
            assert_int_equal(wi.bytes_uncompressed, fi.bytes_uncompressed);
            /* a damaged last chunk's final FRAME_END is not known without
             * reading it: the one count that may fall short, by exactly it */
            uint64_t unknown = k == d.nchunks - 1 && ends_with_frame_end(&d.t) ? 1 : 0;
            assert_int_equal(wi.complete_frames + unknown, fi.complete_frames);
            /* every frame: the same answer through both indexes */
            for (uint64_t f = 0; f < fi.frames; f++) {
                vgt_error ef = {0}, ew = {0};
                vgt_status sf = vgt_trace_reader_seek_frame(rf, f, &ef);
                vgt_status sw = vgt_trace_reader_seek_frame(rw, f, &ew);
                if (sf != sw) {
                    fail_msg("damaged chunk %llu, salvage %d, frame %llu: seek %d with the footer "
                             "(%s), %d without (%s)",
                             (unsigned long long)k, salvage, (unsigned long long)f, sf, ef.message,
                             sw, ew.message);
                }
                if (sf != VGT_OK) {
                    /* the damage, named by chunk and offset, both ways */
                    char want[96];
                    snprintf(want, sizeof(want), "chunk %llu at offset %llu", (unsigned long long)k,
                             (unsigned long long)d.c[k].offset);
                    assert_non_null(strstr(ef.message, want));
                    assert_non_null(strstr(ew.message, want));
                    assert_int_equal(salvage, 0);
                    continue;
                }
                vgt_trace_record a, b;
                sf = vgt_trace_reader_next(rf, &a, &ef);
                sw = vgt_trace_reader_next(rw, &b, &ew);
                assert_int_equal(sf, sw);
                if (sf == VGT_OK) {
                    assert_int_equal(a.seq, b.seq);
                    assert_int_equal(a.frame, b.frame);
                }
            }
            vgt_trace_reader_close(rf);
            vgt_trace_reader_close(rw);
        }
    }
    dmg_free(&d);
}

/* Each damage is one problem: a chunk header damaged in a trace without
 * its footer stops the walk (normal mode) with one problem naming the
 * chunk and its offset; verify (vgt info) finds nothing more to add, and
 * the error next() stops with names the same chunk. */
static void walk_stop_reported_once(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "walkonce", 2048, 400, 9, 73);
    uint64_t k = d.nchunks / 2;
    uint8_t *m = malloc(d.n);
    assert_non_null(m);
    memcpy(m, d.b, d.n);
    m[d.c[k].offset + 40] ^= 0x02; /* its record count: the header checksum fails */
    dmg_write(&d, m);
    free(m);
    vgt_trace_reader *r = open_ok(d.without, false);
    /* the missing footer and the damaged header */
    assert_int_equal(vgt_trace_reader_problem_count(r), 2);
    const vgt_trace_problem *p = vgt_trace_reader_problem(r, 1);
    assert_int_equal(p->code, VGT_E_CHECKSUM);
    assert_int_equal(p->chunk, k);
    assert_int_equal(p->offset, d.c[k].offset);
    vgt_error err = {0};
    /* nothing new: verify answers with the first problem, the footer */
    assert_int_equal(vgt_trace_reader_verify(r, &err), VGT_E_TRUNCATED);
    assert_int_equal(vgt_trace_reader_problem_count(r), 2);
    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    assert_int_equal(info.problems, 2);
    /* reading: the chunks before it, then its error */
    vgt_status st;
    assert_int_equal(fx_check(r, &d.t, 0, &st), d.c[k].first_record);
    assert_int_equal(st, VGT_E_CHECKSUM);
    vgt_trace_record rec;
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_E_CHECKSUM);
    char want[96];
    snprintf(want, sizeof(want), "chunk %llu at offset %llu", (unsigned long long)k,
             (unsigned long long)d.c[k].offset);
    assert_non_null(strstr(err.message, want));
    assert_int_equal(vgt_trace_reader_problem_count(r), 2);
    vgt_trace_reader_close(r);
    dmg_free(&d);
}

/* A seek that fails on a damaged chunk (normal mode) does not leave the
 * reader where it was before: next() answers with the same damage, it does
 * not go back to the start of the chunk read before and return its
 * records a second time. */
static void failed_seek_does_not_rewind(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "seekfail", 2048, 400, 9, 79);
    uint64_t k = d.nchunks - 2;
    uint8_t *m = malloc(d.n);
    assert_non_null(m);
    memcpy(m, d.b, d.n);
    m[d.c[k].offset + 80 + d.c[k].compressed_size / 2] ^= 0x01;
    dmg_write(&d, m);
    free(m);
    for (int footer = 0; footer < 2; footer++) {
        vgt_trace_reader *r = open_ok(footer ? d.with : d.without, false);
        vgt_error err = {0};
        vgt_trace_record rec;
        /* into chunk 1: its first records read */
        assert_int_equal(vgt_trace_reader_seek_record(r, d.c[1].first_record + 1, &err), VGT_OK);
        assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
        assert_int_equal(rec.seq, d.c[1].first_record + 1);
        vgt_status st = vgt_trace_reader_seek_record(r, d.c[k].first_record, &err);
        assert_int_equal(st, VGT_E_CHECKSUM);
        st = vgt_trace_reader_next(r, &rec, &err);
        if (st == VGT_OK) {
            fail_msg("footer %d: next() after the failed seek returned record %llu", footer,
                     (unsigned long long)rec.seq);
        }
        assert_int_equal(st, VGT_E_CHECKSUM);
        char want[96];
        snprintf(want, sizeof(want), "chunk %llu at offset %llu", (unsigned long long)k,
                 (unsigned long long)d.c[k].offset);
        assert_non_null(strstr(err.message, want));
        /* a later seek to a sound chunk reads again */
        assert_int_equal(vgt_trace_reader_seek_record(r, 0, &err), VGT_OK);
        assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
        assert_int_equal(rec.seq, 0);
        vgt_trace_reader_close(r);
    }
    dmg_free(&d);
}

/* Salvage past a damaged chunk header, then a chunk whose header (its
 * checksum right) puts it 2^21 records and frames further: the rebuild
 * refuses the implausible frame table from it on, and the problem names
 * that chunk by the id its header states, as every problem about a chunk
 * does (it named the chunk by its place in the table, one less after the
 * chunk lost to the damage). */
static void implausible_frames_name_chunk_id(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "implaus", 2048, 400, 9, 83);
    uint64_t k = d.nchunks / 2;
    uint8_t *m = malloc(d.n);
    assert_non_null(m);
    memcpy(m, d.b, d.n);
    m[d.c[k].offset + 40] ^= 0x02; /* chunk k's header checksum fails */
    uint8_t *h = m + d.c[k + 1].offset;
    for (int field = 16; field <= 32; field += 8) { /* first record, first and last frame */
        vgt_store_le64(h + field, vgt_load_le64(h + field) + (1ull << 21));
    }
    vgt_store_le64(h + 72, vgt_trace_hash64(h, 72));
    dmg_write(&d, m);
    free(m);
    vgt_trace_reader *r = open_ok(d.without, true);
    const vgt_trace_problem *p = NULL;
    for (size_t i = 0; i < vgt_trace_reader_problem_count(r); i++) {
        const vgt_trace_problem *q = vgt_trace_reader_problem(r, i);
        if (strstr(q->message, "implausible frame number")) {
            assert_null(p);
            p = q;
        }
    }
    assert_non_null(p);
    assert_int_equal(p->chunk, k + 1);
    assert_int_equal(p->offset, d.c[k + 1].offset);
    char want[96];
    snprintf(want, sizeof(want), "chunk %llu at offset %llu: ", (unsigned long long)(k + 1),
             (unsigned long long)d.c[k + 1].offset);
    assert_int_equal(strncmp(p->message, want, strlen(want)), 0);
    /* the index ends before it: the chunks before the damage */
    assert_int_equal(vgt_trace_reader_chunk_count(r), k);
    vgt_status st;
    assert_int_equal(fx_check(r, &d.t, 0, &st), d.c[k].first_record);
    assert_int_equal(st, VGT_E_END);
    vgt_trace_reader_close(r);
    dmg_free(&d);
}

/* A damaged last chunk whose header (its checksum made right) claims 2^26
 * records and as many frames, in 80 bytes and a body that does not
 * decompress to them: the rebuilt index does not grow a frame table of a
 * gigabyte for it; the frames it states are past the limit, so the index
 * ends before it, reported naming it. */
static void damaged_chunk_frames_bounded(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "bounded", 2048, 300, 9, 89);
    uint64_t k = d.nchunks - 1;
    uint8_t *m = malloc(d.n);
    assert_non_null(m);
    memcpy(m, d.b, d.n);
    uint8_t *h = m + d.c[k].offset;
    vgt_store_le64(h + 32, d.c[k].first_frame + (1ull << 26)); /* last frame */
    vgt_store_le32(h + 40, 1u << 26);                          /* record count */
    vgt_store_le32(h + 52, 1u << 30);                          /* uncompressed size */
    vgt_store_le64(h + 72, vgt_trace_hash64(h, 72));
    dmg_write(&d, m);
    free(m);
    for (int salvage = 0; salvage < 2; salvage++) {
        vgt_trace_reader *r = open_ok(d.without, salvage);
        assert_int_equal(vgt_trace_reader_chunk_count(r), k);
        assert_int_equal(vgt_trace_reader_frame_count(r), d.c[k - 1].last_frame + 1);
        bool named = false;
        for (size_t i = 0; i < vgt_trace_reader_problem_count(r); i++) {
            const vgt_trace_problem *p = vgt_trace_reader_problem(r, i);
            if (strstr(p->message, "implausible frame number")) {
                assert_int_equal(p->chunk, k);
                assert_int_equal(p->offset, d.c[k].offset);
                named = true;
            }
        }
        assert_true(named);
        vgt_status st;
        assert_int_equal(fx_check(r, &d.t, 0, &st), d.c[k].first_record);
        assert_int_equal(st, VGT_E_END);
        vgt_trace_reader_close(r);
    }
    dmg_free(&d);
}

/* The FRAME_ENDs the fixture wrote before record `below`. */
static uint64_t ends_before(const dmg *d, uint64_t below)
{
    uint64_t n = 0;
    for (size_t i = 0; i < d->t.n && d->t.recs[i].seq < below; i++) {
        n += d->t.recs[i].type == VGT_REC_FRAME_END;
    }
    return n;
}

/* Salvage, no footer: chunk k's body damaged and chunk k+1's header, so
 * the walk loses k+1 (a gap) and the rebuild keeps k from its header. The
 * counts are the records of every chunk but k+1, and the FRAME_ENDs read
 * plus those k's header proves (its frames but the last: what follows it
 * is a gap) plus those of the gap, which the chunk after it tells from
 * its first frame (k's last one's end among them): every FRAME_END
 * written. */
static void damaged_chunk_before_gap(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "dmggap", 2048, 600, 5, 97);
    uint64_t k = chunk_ending_frame(&d); /* the count the next chunk would have told */
    assert_true(k + 2 < d.nchunks);
    uint8_t *m = malloc(d.n);
    assert_non_null(m);
    memcpy(m, d.b, d.n);
    m[d.c[k].offset + 80 + d.c[k].compressed_size / 2] ^= 0x10;
    m[d.c[k + 1].offset + 40] ^= 0x01;
    dmg_write(&d, m);
    free(m);
    vgt_trace_reader *r = open_ok(d.without, true);
    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    uint64_t records = 0, ends = 0;
    for (size_t i = 0; i < d.t.n; i++) {
        uint64_t seq = d.t.recs[i].seq;
        bool in_k = seq >= d.c[k].first_record && seq < d.c[k + 1].first_record;
        bool in_k1 = seq >= d.c[k + 1].first_record && seq < d.c[k + 2].first_record;
        records += !in_k1;
        ends += !in_k && !in_k1 && d.t.recs[i].type == VGT_REC_FRAME_END;
    }
    ends += d.c[k].last_frame - d.c[k].first_frame;
    ends += d.c[k + 2].first_frame - d.c[k].last_frame;
    assert_int_equal(ends, ends_before(&d, UINT64_MAX));
    assert_int_equal(info.chunks, d.nchunks - 1);
    assert_int_equal(info.records, records);
    assert_int_equal(info.complete_frames, ends);
    assert_int_equal(info.frames, d.c[d.nchunks - 1].last_frame + 1);
    vgt_trace_reader_close(r);
    dmg_free(&d);
}

/* The first chunk k >= from (k >= 1, k + 1 < nchunks) that holds a
 * FRAME_END (the next chunk starts in a later frame) and whose previous
 * chunk ends a frame (prev 1), does not (prev 0), or either (prev -1). */
static uint64_t chunk_holding_end(const dmg *d, uint64_t from, int prev)
{
    for (uint64_t k = from > 1 ? from : 1; k + 1 < d->nchunks; k++) {
        bool ends_before = d->c[k].first_frame == d->c[k - 1].last_frame + 1;
        if (d->c[k + 1].first_frame > d->c[k].first_frame &&
            (prev < 0 || ends_before == (prev == 1))) {
            return k;
        }
    }
    fail_msg("no chunk from %llu holds a FRAME_END after a chunk with prev %d",
             (unsigned long long)from, prev);
    return 0;
}

/* Salvage, no footer: chunks whose header is damaged are left out of the
 * walk (a gap in the chunk ids), and the FRAME_ENDs they held are counted
 * by the chunk after the gap, from its first frame: the rebuilt index
 * counts the complete frames the footer counts (it counted only those it
 * read: vgt info, trim, replay and analyze saw the trace end at the gap's
 * first frame).  Each edge: the first chunk lost, a gap after a chunk that
 * ends a frame and after one that does not, two chunks in a row, two gaps,
 * a gap after a chunk whose body is damaged, a chunk after a gap whose
 * header (its checksum right) numbers its frames backwards (the walk skips
 * it too), the last chunk lost (its frames not known: not counted), and a
 * chunk after a gap that jumps 2^21 frames (past the limit: the index ends
 * at the gap, nothing counted for it). */
static void gap_frames_counted(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "gapends", 2048, 901, 2, 103);
    assert_true(d.nchunks >= 10);
    /* its last frame open: the frames are one more than the complete ones,
     * so the cap on complete frames (repeated_frame_counted_once) cannot
     * hide a count one too high */
    assert_false(ends_with_frame_end(&d.t));
    /* each lost chunk holds a FRAME_END (checked below): a count that
     * leaves them out falls short */
    uint64_t n = d.nchunks, last = n - 1;
    uint64_t e = chunk_holding_end(&d, 1, 1);        /* the chunk before ends a frame */
    uint64_t c = chunk_holding_end(&d, 1, 0);        /* the chunk before does not */
    uint64_t row = chunk_holding_end(&d, n / 2, -1); /* with the one after it */
    uint64_t g1 = chunk_holding_end(&d, n / 4, -1), g2 = chunk_holding_end(&d, g1 + 2, -1);
    uint64_t bk = chunk_holding_end(&d, n / 3, -1);
    /* a damaged body before a gap: one of more than one frame (its own
     * count ends at its last frame, where the gap's starts) */
    uint64_t db = n / 3;
    while (db + 3 < n && !(d.c[db].last_frame > d.c[db].first_frame &&
                           d.c[db + 2].first_frame > d.c[db + 1].first_frame)) {
        db++;
    }
    assert_true(db + 3 < n);
    uint64_t total = ends_before(&d, UINT64_MAX);
    assert_true(d.c[1].first_frame > 0 && row + 2 < n && bk + 2 < n);
    enum { BACKWARDS = 1, JUMP = 2 };
    struct {
        const char *name;
        uint64_t headers[2]; /* the chunks whose header is damaged (UINT64_MAX: none) */
        uint64_t body;       /* the chunk whose body is damaged (UINT64_MAX: none) */
        int next;            /* what the chunk after the first gap's header says */
        uint64_t want;       /* the complete frames */
        uint64_t chunks;     /* the chunks in the rebuilt index */
    } cases[] = {
        {"first chunk", {0, UINT64_MAX}, UINT64_MAX, 0, total, n - 1},
        {"after a frame's end", {e, UINT64_MAX}, UINT64_MAX, 0, total, n - 1},
        {"inside a frame", {c, UINT64_MAX}, UINT64_MAX, 0, total, n - 1},
        {"two in a row", {row, row + 1}, UINT64_MAX, 0, total, n - 2},
        {"two gaps", {g1, g2}, UINT64_MAX, 0, total, n - 2},
        {"after a damaged body", {db + 1, UINT64_MAX}, db, 0, total, n - 1},
        {"backwards after it", {bk, UINT64_MAX}, UINT64_MAX, BACKWARDS, total, n - 2},
        {"last chunk",
         {last, UINT64_MAX},
         UINT64_MAX,
         0,
         ends_before(&d, d.c[last].first_record),
         n - 1},
        {"absurd jump after it",
         {bk, UINT64_MAX},
         UINT64_MAX,
         JUMP,
         ends_before(&d, d.c[bk].first_record),
         bk},
    };
    for (size_t v = 0; v < 7; v++) {
        /* the lost chunks hold FRAME_ENDs: counting only those read falls short */
        const uint64_t *hd = cases[v].headers;
        uint64_t k = hd[1] != UINT64_MAX ? hd[1] : hd[0];
        uint64_t read = ends_before(&d, d.c[hd[0]].first_record) + total -
                        ends_before(&d, d.c[k + 1].first_record);
        if (hd[1] != UINT64_MAX && hd[1] != hd[0] + 1) {
            read += ends_before(&d, d.c[hd[1]].first_record) -
                    ends_before(&d, d.c[hd[0] + 1].first_record);
        }
        assert_true(read < total);
    }
    int bad = 0; /* every case said before the test fails */
    for (size_t v = 0; v < sizeof(cases) / sizeof(cases[0]); v++) {
        uint8_t *m = malloc(d.n);
        assert_non_null(m);
        memcpy(m, d.b, d.n);
        for (int i = 0; i < 2; i++) {
            if (cases[v].headers[i] != UINT64_MAX) {
                m[d.c[cases[v].headers[i]].offset + 40] ^= 0x02; /* its header checksum fails */
            }
        }
        if (cases[v].body != UINT64_MAX) {
            const vgt_trace_chunk_info *b = &d.c[cases[v].body];
            m[b->offset + 80 + b->compressed_size / 2] ^= 0x10;
        }
        uint8_t *h = cases[v].next ? m + d.c[cases[v].headers[0] + 1].offset : NULL;
        if (cases[v].next == BACKWARDS) {
            /* its frames before the last one of the chunk before the gap */
            uint64_t back = d.c[cases[v].headers[0] + 1].first_frame -
                            d.c[cases[v].headers[0] - 1].last_frame + 1;
            vgt_store_le64(h + 24, vgt_load_le64(h + 24) - back);
            vgt_store_le64(h + 32, vgt_load_le64(h + 32) - back);
        } else if (cases[v].next == JUMP) {
            for (int field = 16; field <= 32; field += 8) { /* first record, first, last frame */
                vgt_store_le64(h + field, vgt_load_le64(h + field) + (1ull << 21));
            }
        }
        if (h) {
            vgt_store_le64(h + 72, vgt_trace_hash64(h, 72));
        }
        dmg_write(&d, m);
        free(m);
        vgt_trace_reader *r = open_ok(d.without, true);
        vgt_trace_info info;
        vgt_trace_reader_info(r, &info);
        if (info.complete_frames != cases[v].want || info.chunks != cases[v].chunks) {
            bad++;
            print_error("%s: %llu complete frames in %llu chunks, wanted %llu in %llu\n",
                        cases[v].name, (unsigned long long)info.complete_frames,
                        (unsigned long long)info.chunks, (unsigned long long)cases[v].want,
                        (unsigned long long)cases[v].chunks);
        }
        /* never more complete frames than frames */
        assert_true(info.complete_frames <= info.frames);
        vgt_trace_reader_close(r);
    }
    assert_int_equal(bad, 0);
    dmg_free(&d);
}

/* A trace without its footer whose second chunk's header (its checksum
 * right) numbers again the frame the first one ended: each chunk reads,
 * and each holds a FRAME_END, but there is one frame.  The rebuilt index
 * counts no more complete frames than frames, as a footer must (one that
 * does not is refused as inconsistent): it counted 2 of 1. */
static void repeated_frame_counted_once(void **state)
{
    (void)state;
    char path[512], cut[512];
    fx_path(path, sizeof(path), "repeat");
    fx_path(cut, sizeof(cut), "repeat-cut");
    vgt_trace_writer_settings s;
    vgt_trace_header h;
    vgt_trace_writer *w;
    vgt_error err = {0};
    fx_trace t = {0};
    fx_settings(&s, 4096);
    fx_header(&h);
    assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_OK);
    for (int k = 0; k < 2; k++) {
        fx_add(&t, w, VGT_REC_MARKER, 0, "x", 1);
        fx_frame_end(&t, w);
        assert_int_equal(vgt_trace_writer_flush(w, &err), VGT_OK);
    }
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);
    vgt_trace_reader *r = open_ok(path, false);
    vgt_trace_chunk_info c[2];
    assert_int_equal(vgt_trace_reader_chunk_count(r), 2);
    assert_true(vgt_trace_reader_chunk(r, 0, &c[0]) && vgt_trace_reader_chunk(r, 1, &c[1]));
    vgt_trace_reader_close(r);
    assert_int_equal(c[1].first_frame, 1);
    size_t n;
    uint8_t *b = fx_read_file(path, &n);
    uint8_t *hd = b + c[1].offset;
    vgt_store_le64(hd + 24, 0); /* first frame */
    vgt_store_le64(hd + 32, 0); /* last frame */
    vgt_store_le64(hd + 72, vgt_trace_hash64(hd, 72));
    fx_write_bytes(cut, b, (size_t)(c[1].offset + 80 + c[1].compressed_size));
    for (int salvage = 0; salvage < 2; salvage++) {
        r = open_ok(cut, salvage);
        vgt_trace_info info;
        vgt_trace_reader_info(r, &info);
        assert_true(info.index_rebuilt);
        assert_int_equal(info.chunks, 2);
        assert_int_equal(info.records, 4);
        assert_int_equal(info.frames, 1);
        assert_int_equal(info.complete_frames, 1);
        vgt_trace_reader_close(r);
    }
    free(b);
    unlink(path);
    unlink(cut);
    fx_free(&t);
}

/* Every table and total of two readers' indexes is the same. */
static void same_index(vgt_trace_reader *a, vgt_trace_reader *b)
{
    vgt_trace_info x, y;
    vgt_trace_reader_info(a, &x);
    vgt_trace_reader_info(b, &y);
    assert_int_equal(x.records, y.records);
    assert_int_equal(x.frames, y.frames);
    assert_int_equal(x.complete_frames, y.complete_frames);
    assert_int_equal(x.chunks, y.chunks);
    assert_int_equal(x.bytes_compressed, y.bytes_compressed);
    assert_int_equal(x.bytes_uncompressed, y.bytes_uncompressed);
    assert_int_equal(x.payload_bytes, y.payload_bytes);
    assert_int_equal(x.dedup_refs, y.dedup_refs);
    assert_int_equal(x.dedup_unique, y.dedup_unique);
    assert_int_equal(x.dedup_bytes_saved, y.dedup_bytes_saved);
    for (uint64_t i = 0; i < x.chunks; i++) {
        vgt_trace_chunk_info p, q;
        assert_true(vgt_trace_reader_chunk(a, i, &p));
        assert_true(vgt_trace_reader_chunk(b, i, &q));
        assert_memory_equal(&p, &q, sizeof(p));
    }
    for (uint64_t i = 0; i < x.frames; i++) {
        vgt_trace_frame_info p, q;
        assert_true(vgt_trace_reader_frame(a, i, &p));
        assert_true(vgt_trace_reader_frame(b, i, &q));
        assert_int_equal(p.chunk, q.chunk);
        assert_int_equal(p.first_record, q.first_record);
    }
    assert_int_equal(vgt_trace_reader_type_stat_count(a), vgt_trace_reader_type_stat_count(b));
    for (size_t i = 0; i < vgt_trace_reader_type_stat_count(a); i++) {
        vgt_trace_type_stat p, q;
        assert_true(vgt_trace_reader_type_stat(a, i, &p));
        assert_true(vgt_trace_reader_type_stat(b, i, &q));
        assert_int_equal(p.type, q.type);
        assert_int_equal(p.records, q.records);
        assert_int_equal(p.payload_bytes, q.payload_bytes);
        assert_int_equal(p.stored_bytes, q.stored_bytes);
    }
    assert_int_equal(vgt_trace_reader_dedup_count(a), vgt_trace_reader_dedup_count(b));
    for (size_t i = 0; i < vgt_trace_reader_dedup_count(a); i++) {
        vgt_trace_dedup_info p, q;
        assert_true(vgt_trace_reader_dedup(a, i, &p));
        assert_true(vgt_trace_reader_dedup(b, i, &q));
        assert_int_equal(p.hash_lo, q.hash_lo);
        assert_int_equal(p.hash_hi, q.hash_hi);
        assert_int_equal(p.record, q.record);
        assert_int_equal(p.chunk, q.chunk);
        assert_int_equal(p.size, q.size);
        assert_int_equal(p.references, q.references);
    }
}

/* Damage to the footer alone (the trailer's checksum, a byte of the index,
 * a trailer pointing at another index, bytes appended after the trailer, a
 * cut inside the index): reported once, as the footer's, naming no chunk
 * and saying what happened to it (bytes appended after a closed trace were
 * "the trace was not closed");
 * the index rebuilt from the chunks is the one the writer wrote, table for
 * table; every record reads; verify finds nothing more. */
static void footer_damage_rebuilds_same_index(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "footdmg", 2048, 700, 11, 101);
    vgt_trace_reader *full = open_ok(d.path, false);
    assert_true(vgt_trace_reader_dedup_count(full) > 0);
    const char *names[6] = {"trailer checksum",         "index byte",
                            "trailer points elsewhere", "trailing bytes",
                            "cut inside the index",     "cut inside its fixed part"};
    for (int v = 0; v < 6; v++) {
        uint8_t *m = malloc(d.n + 64);
        assert_non_null(m);
        memcpy(m, d.b, d.n);
        size_t len = d.n;
        uint8_t *tr = m + d.n - 40;
        if (v == 0) {
            tr[20] ^= 0x01;
        } else if (v == 1) {
            m[d.body_end + 100] ^= 0x01;
        } else if (v == 2) {
            /* the index offset 48 bytes further, its size 48 less, the
             * trailer's checksums made right for what it points at now */
            uint64_t ioff = vgt_load_le64(tr + 8), isize = vgt_load_le64(tr + 16);
            vgt_store_le64(tr + 8, ioff + 48);
            vgt_store_le64(tr + 16, isize - 48);
            vgt_store_le64(tr + 24, vgt_trace_hash64(m + ioff + 48, (size_t)isize - 48));
            vgt_store_le64(tr + 32, vgt_trace_hash64(tr, 32));
        } else if (v == 3) {
            memset(m + d.n, 0x5a, 64);
            len = d.n + 64;
        } else {
            len = (size_t)d.body_end + (v == 4 ? 150 : 50);
        }
        fx_write_bytes(d.with, m, len);
        free(m);
        for (int salvage = 0; salvage < 2; salvage++) {
            vgt_trace_reader *r = open_ok(d.with, salvage);
            vgt_trace_info info;
            vgt_trace_reader_info(r, &info);
            assert_false(info.footer_present);
            assert_true(info.index_rebuilt);
            if (vgt_trace_reader_problem_count(r) != 1) {
                fail_msg("%s: %zu problems, the first '%s'", names[v],
                         vgt_trace_reader_problem_count(r),
                         vgt_trace_reader_problem(r, 0)->message);
            }
            const vgt_trace_problem *p = vgt_trace_reader_problem(r, 0);
            assert_int_equal(p->chunk, UINT64_MAX);
            /* what happened to the footer, where it can be told */
            char want[160] = "";
            if (v == 3) {
                snprintf(want, sizeof(want),
                         "no footer index at the end of the file: the footer at offset %llu ends "
                         "at offset %zu, and 64 bytes follow it",
                         (unsigned long long)d.body_end, d.n);
            } else if (v == 4) {
                snprintf(want, sizeof(want),
                         "no footer index: the file ends inside the footer at offset %llu (150 "
                         "of its %llu bytes; the trace was not closed)",
                         (unsigned long long)d.body_end, (unsigned long long)(d.n - d.body_end));
            } else if (v == 5) {
                snprintf(want, sizeof(want),
                         "no footer index: the file ends inside the footer at offset %llu (50 "
                         "bytes of it; the trace was not closed)",
                         (unsigned long long)d.body_end);
            } else {
                snprintf(want, sizeof(want), "footer index unusable (");
            }
            if (strncmp(p->message, want, strlen(want)) != 0) {
                fail_msg("%s: '%s', wanted '%s'", names[v], p->message, want);
            }
            same_index(full, r);
            vgt_status st;
            assert_int_equal(fx_check(r, &d.t, 0, &st), d.t.n);
            assert_int_equal(st, VGT_E_END);
            vgt_error err = {0};
            assert_int_not_equal(vgt_trace_reader_verify(r, &err), VGT_OK);
            assert_int_equal(vgt_trace_reader_problem_count(r), 1);
            vgt_trace_reader_close(r);
        }
    }
    vgt_trace_reader_close(full);
    dmg_free(&d);
}

/* A payload reference whose hash does not match its target, in a chunk
 * whose checksums are all right (the chunk written again around it, as a
 * hostile or buggy writer would): verify (vgt info) reports it naming that
 * chunk, and check_chunk (vgt dump --chunks, which checks each chunk "as
 * vgt info checks the whole trace") finds the same damage in the same
 * chunk, and only there: it said every chunk was sound. */
static void check_chunk_checks_references(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "forgedref", 2048, 700, 11, 103);
    /* a reference whose target is in an earlier chunk */
    vgt_trace_reader *full = open_ok(d.path, false);
    vgt_trace_record rec;
    vgt_error err = {0};
    uint64_t j = UINT64_MAX, seq = 0, target = 0;
    while (vgt_trace_reader_next(full, &rec, &err) == VGT_OK && j == UINT64_MAX) {
        if (!rec.deduplicated) {
            continue;
        }
        for (uint64_t k = 0; k < d.nchunks; k++) {
            if (rec.seq >= d.c[k].first_record &&
                rec.seq < d.c[k].first_record + d.c[k].record_count &&
                rec.ref_seq < d.c[k].first_record) {
                j = k;
                seq = rec.seq;
                target = rec.ref_seq;
            }
        }
    }
    vgt_trace_reader_close(full);
    assert_true(j != UINT64_MAX);
    const vgt_trace_chunk_info *c = &d.c[j];
    uint8_t *u = malloc(c->uncompressed_size);
    assert_non_null(u);
    assert_int_equal(
        ZSTD_decompress(u, c->uncompressed_size, d.b + c->offset + 80, c->compressed_size),
        c->uncompressed_size);
    size_t pos = 0;
    for (uint64_t i = c->first_record; i < seq; i++) {
        pos += 16 + vgt_load_le32(u + pos + 12);
    }
    assert_int_equal(vgt_load_le16(u + pos + 8), VGT_REC_PAYLOAD_REF);
    u[pos + 16 + 16] ^= 0x01; /* the payload hash's low 64 bits */
    size_t bound = ZSTD_compressBound(c->uncompressed_size);
    uint8_t *m = malloc(d.body_end + bound);
    assert_non_null(m);
    memcpy(m, d.b, c->offset);
    uint8_t *h = m + c->offset;
    memcpy(h, d.b + c->offset, 80);
    size_t csize = ZSTD_compress(h + 80, bound, u, c->uncompressed_size, 3);
    assert_false(ZSTD_isError(csize));
    vgt_store_le32(h + 48, (uint32_t)csize);
    vgt_store_le64(h + 56, vgt_trace_hash64(h + 80, csize));
    vgt_store_le64(h + 64, vgt_trace_hash64(u, c->uncompressed_size));
    vgt_store_le64(h + 72, vgt_trace_hash64(h, 72));
    size_t after = c->offset + 80 + c->compressed_size;
    memcpy(h + 80 + csize, d.b + after, d.body_end - after);
    size_t len = c->offset + 80 + csize + (d.body_end - after);
    fx_write_bytes(d.without, m, len);
    free(m);
    free(u);
    uint64_t off = c->offset;
    /* verify: one problem besides the footer's, naming chunk j (the first
     * it found, so its answer) */
    vgt_trace_reader *r = open_ok(d.without, true);
    assert_int_equal(vgt_trace_reader_verify(r, &err), VGT_E_CHECKSUM);
    assert_int_equal(vgt_trace_reader_problem_count(r), 2);
    const vgt_trace_problem *p = vgt_trace_reader_problem(r, 1);
    assert_int_equal(p->code, VGT_E_CHECKSUM);
    assert_int_equal(p->chunk, j);
    assert_int_equal(p->offset, off);
    assert_non_null(strstr(p->message, "does not match the reference"));
    vgt_trace_reader_close(r);
    /* check_chunk: that chunk damaged, with the same problem; every other
     * one sound, the one holding the target too */
    r = open_ok(d.without, true);
    for (uint64_t k = 0; k < d.nchunks; k++) {
        vgt_status st = vgt_trace_reader_check_chunk(r, k, &err);
        if (k != j && st != VGT_OK) {
            fail_msg("check_chunk %llu: %s", (unsigned long long)k, err.message);
        }
        if (k == j && st != VGT_E_CHECKSUM) {
            fail_msg("check_chunk %llu (the forged reference's): status %d", (unsigned long long)k,
                     st);
        }
    }
    assert_int_equal(vgt_trace_reader_problem_count(r), 2);
    p = vgt_trace_reader_problem(r, 1);
    assert_int_equal(p->chunk, j);
    assert_int_equal(p->offset, off);
    assert_non_null(strstr(p->message, "does not match the reference"));
    vgt_trace_reader_close(r);
    /* the intact references, their target's chunk damaged: that chunk's
     * problem, not the referring chunk's */
    uint64_t t = 0;
    while (!(target >= d.c[t].first_record && target < d.c[t].first_record + d.c[t].record_count)) {
        t++;
    }
    m = malloc(d.n);
    assert_non_null(m);
    memcpy(m, d.b, d.n);
    m[d.c[t].offset + 80 + d.c[t].compressed_size / 2] ^= 0x20;
    dmg_write(&d, m);
    free(m);
    r = open_ok(d.without, true);
    err = (vgt_error){0};
    assert_int_equal(vgt_trace_reader_check_chunk(r, j, &err), VGT_OK);
    assert_string_equal(err.message, ""); /* the target's message is not this chunk's */
    assert_int_equal(vgt_trace_reader_problem_count(r), 2);
    assert_int_equal(vgt_trace_reader_problem(r, 1)->chunk, t);
    assert_int_equal(vgt_trace_reader_check_chunk(r, t, &err), VGT_E_CHECKSUM);
    assert_int_equal(vgt_trace_reader_problem_count(r), 2);
    vgt_trace_reader_close(r);
    dmg_free(&d);
}

/* Salvage delivers every intact record, exactly: damage to two adjacent
 * chunks (both bodies; a header and the next body), to chunk 0 and the
 * last, with and without the footer: next() returns each record outside
 * the damaged chunks, in order and as written, except a reference whose
 * target is in a damaged chunk, and nothing else; each damaged chunk is
 * reported naming it. */
static void salvage_delivers_every_intact_record(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "everyrec", 2048, 900, 7, 107);
    /* which record each reference names, from the intact trace */
    uint64_t *ref = calloc(d.t.n, sizeof(*ref));
    assert_non_null(ref);
    vgt_trace_reader *full = open_ok(d.path, false);
    vgt_trace_record rec;
    vgt_error err = {0};
    while (vgt_trace_reader_next(full, &rec, &err) == VGT_OK) {
        ref[rec.seq] = rec.deduplicated ? rec.ref_seq : UINT64_MAX;
    }
    vgt_trace_reader_close(full);
    uint64_t mid = d.nchunks / 2, last = d.nchunks - 1;
    struct {
        uint64_t a, b;    /* damaged chunks */
        bool header_of_a; /* a's header, not its body */
    } cases[] = {{mid, mid + 1, false}, {mid, mid + 1, true}, {0, last, false}};
    for (size_t v = 0; v < sizeof(cases) / sizeof(cases[0]); v++) {
        uint64_t a = cases[v].a, b = cases[v].b;
        uint8_t *m = malloc(d.n);
        assert_non_null(m);
        memcpy(m, d.b, d.n);
        if (cases[v].header_of_a) {
            m[d.c[a].offset + 30] ^= 0x04;
        } else {
            m[d.c[a].offset + 80 + d.c[a].compressed_size / 2] ^= 0x04;
        }
        m[d.c[b].offset + 80 + d.c[b].compressed_size / 3] ^= 0x04;
        dmg_write(&d, m);
        free(m);
        for (int footer = 0; footer < 2; footer++) {
            vgt_trace_reader *r = open_ok(footer ? d.with : d.without, true);
            size_t want = 0;
            vgt_status st;
            while ((st = vgt_trace_reader_next(r, &rec, &err)) == VGT_OK) {
                /* the next record expected: not in a, not in b, not a
                 * reference into them */
                for (;; want++) {
                    assert_true(want < d.t.n);
                    uint64_t s2 = d.t.recs[want].seq, t = ref[want];
                    bool in_a =
                        s2 >= d.c[a].first_record && s2 < d.c[a].first_record + d.c[a].record_count;
                    bool in_b =
                        s2 >= d.c[b].first_record && s2 < d.c[b].first_record + d.c[b].record_count;
                    bool lost_ref =
                        t != UINT64_MAX && ((t >= d.c[a].first_record &&
                                             t < d.c[a].first_record + d.c[a].record_count) ||
                                            (t >= d.c[b].first_record &&
                                             t < d.c[b].first_record + d.c[b].record_count));
                    if (!in_a && !in_b && !lost_ref) {
                        break;
                    }
                }
                if (rec.seq != d.t.recs[want].seq) {
                    fail_msg("case %zu footer %d: record %llu read where %llu was due", v, footer,
                             (unsigned long long)rec.seq, (unsigned long long)d.t.recs[want].seq);
                }
                assert_int_equal(rec.frame, d.t.recs[want].frame);
                assert_int_equal(rec.type, d.t.recs[want].type);
                assert_int_equal(rec.size, d.t.recs[want].size);
                assert_memory_equal(rec.payload, d.t.recs[want].payload, rec.size);
                want++;
            }
            assert_int_equal(st, VGT_E_END);
            /* nothing intact left unread */
            for (; want < d.t.n; want++) {
                uint64_t s2 = d.t.recs[want].seq;
                if (!(s2 >= d.c[b].first_record &&
                      s2 < d.c[b].first_record + d.c[b].record_count) &&
                    !(s2 >= d.c[a].first_record &&
                      s2 < d.c[a].first_record + d.c[a].record_count) &&
                    ref[want] == UINT64_MAX) {
                    fail_msg("case %zu footer %d: record %llu never read", v, footer,
                             (unsigned long long)s2);
                }
            }
            /* each damaged chunk named with its offset */
            for (int w = 0; w < 2; w++) {
                uint64_t k = w ? b : a;
                char name[96];
                snprintf(name, sizeof(name), "chunk %llu at offset %llu", (unsigned long long)k,
                         (unsigned long long)d.c[k].offset);
                bool named = false;
                for (size_t i = 0; i < vgt_trace_reader_problem_count(r); i++) {
                    named |= strstr(vgt_trace_reader_problem(r, i)->message, name) != NULL;
                }
                if (!named) {
                    fail_msg("case %zu footer %d: no problem names '%s'", v, footer, name);
                }
            }
            vgt_trace_reader_close(r);
        }
    }
    free(ref);
    dmg_free(&d);
}

/* How many of r's problems say chunks are missing; each must be `want`,
 * its chunk and offset those its message begins with (the verbs print
 * them, not the message's: "skipped chunk N at offset O: DETAIL"). */
static size_t count_missing(vgt_trace_reader *r, const char *want)
{
    size_t n = 0;
    for (size_t i = 0; i < vgt_trace_reader_problem_count(r); i++) {
        const vgt_trace_problem *p = vgt_trace_reader_problem(r, i);
        if (strstr(p->message, ": missing")) {
            if (strcmp(p->message, want) != 0) {
                fail_msg("'%s', wanted '%s'", p->message, want);
            }
            unsigned long long chunk = 0, offset = 0;
            assert_int_equal(sscanf(p->message, "chunk %llu at offset %llu:", &chunk, &offset), 2);
            assert_int_equal(p->chunk, chunk);
            assert_int_equal(p->offset, offset);
            n++;
        }
    }
    return n;
}

/* Salvage past two damaged chunk headers in a trace without its footer:
 * the walk loses both chunks, and the problem that says so names them and
 * their records, inclusive both (the records' range ended at the first
 * record of the chunk found after them, which is read). */
static void salvage_gap_names_missing_records(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "gapnames", 2048, 500, 3, 109);
    uint64_t k = chunk_with_inner_frame(&d, d.nchunks / 2); /* a frame starts and ends in it */
    assert_true(k + 2 < d.nchunks);
    uint8_t *m = malloc(d.n);
    assert_non_null(m);
    memcpy(m, d.b, d.n);
    m[d.c[k].offset + 20] ^= 0x08;
    m[d.c[k + 1].offset + 20] ^= 0x08;
    dmg_write(&d, m);
    free(m);
    vgt_trace_reader *r = open_ok(d.without, true);
    char want[200];
    /* named by the first chunk lost, at its offset, where its damaged
     * header is (it said the offset of the chunk found after the gap); the
     * detail says no chunk or offset again */
    snprintf(want, sizeof(want),
             "chunk %llu at offset %llu: missing, with the 1 chunk after it (records %llu..%llu)",
             (unsigned long long)k, (unsigned long long)d.c[k].offset,
             (unsigned long long)d.c[k].first_record,
             (unsigned long long)(d.c[k + 2].first_record - 1));
    /* the gap is a problem once a read meets it, not at the open (a
     * reader counts the chunks it skipped by the problems that appear
     * while it reads: vgt replay and leaks --salvage said nothing skipped) */
    assert_int_equal(count_missing(r, want), 0);
    /* the records read: all but the two chunks' */
    vgt_trace_record rec;
    vgt_error err = {0};
    uint64_t got = 0;
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
        bool after_gap = rec.seq >= d.c[k + 2].first_record;
        assert_false(rec.seq >= d.c[k].first_record && !after_gap);
        /* said when the read crosses the gap, once */
        assert_int_equal(count_missing(r, want), after_gap ? 1 : 0);
        got++;
    }
    assert_int_equal(got + d.c[k + 2].first_record - d.c[k].first_record, d.t.n);
    assert_int_equal(count_missing(r, want), 1);
    /* a frame whose records were all in the lost chunks: said lost, not
     * "no frame N" in a trace of more frames */
    uint64_t lost = UINT64_MAX;
    for (uint64_t f = 0; f < vgt_trace_reader_frame_count(r) && lost == UINT64_MAX; f++) {
        vgt_trace_frame_info fi;
        assert_true(vgt_trace_reader_frame(r, f, &fi));
        if (fi.chunk == UINT64_MAX) {
            lost = f;
        }
    }
    assert_true(lost != UINT64_MAX);
    assert_true(lost > d.c[k].first_frame && lost < d.c[k + 2].first_frame);
    assert_int_equal(vgt_trace_reader_seek_frame(r, lost, &err), VGT_E_NOTFOUND);
    snprintf(want, sizeof(want), "frame %llu of the trace's %llu is lost", (unsigned long long)lost,
             (unsigned long long)vgt_trace_reader_frame_count(r));
    if (!strstr(err.message, want)) {
        fail_msg("'%s', wanted '%s'", err.message, want);
    }
    vgt_trace_reader_close(r);
    dmg_free(&d);
}

/* A footerless trace whose last whole chunk has a damaged header: nothing
 * after it is accepted (its tail torn, or no tail), so no chunk "after the
 * gap" is ever read.  The loss is still a problem once a read reaches the
 * end (vgt replay --salvage exited 0, counting no chunk skipped). */
static void salvage_trailing_damage_counted(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "trailing", 2048, 500, 3, 113);
    assert_true(d.nchunks >= 4);
    for (int torn = 0; torn < 2; torn++) {
        /* torn: chunk K damaged, the last chunk cut short after it;
         * else the last chunk itself damaged */
        uint64_t k = torn ? d.nchunks - 2 : d.nchunks - 1;
        uint8_t *m = malloc(d.n);
        assert_non_null(m);
        memcpy(m, d.b, d.n);
        m[d.c[k].offset + 20] ^= 0x08;
        size_t n = torn ? (size_t)d.c[d.nchunks - 1].offset + 100 : (size_t)d.body_end;
        fx_write_bytes(d.without, m, n);
        free(m);
        vgt_trace_reader *r = open_ok(d.without, true);
        char want[200];
        snprintf(want, sizeof(want), "chunk %llu at offset %llu: missing (records %llu and after)",
                 (unsigned long long)k, (unsigned long long)d.c[k].offset,
                 (unsigned long long)d.c[k].first_record);
        assert_int_equal(count_missing(r, want), 0); /* not at the open */
        vgt_trace_record rec;
        vgt_error err = {0};
        uint64_t got = 0;
        vgt_status st;
        while ((st = vgt_trace_reader_next(r, &rec, &err)) == VGT_OK) {
            assert_true(rec.seq < d.c[k].first_record);
            assert_int_equal(count_missing(r, want), 0);
            got++;
        }
        assert_int_equal(st, VGT_E_END);
        assert_int_equal(got, d.c[k].first_record);
        /* said when the read reaches the end, once however often */
        assert_int_equal(count_missing(r, want), 1);
        assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_E_END);
        assert_int_equal(count_missing(r, want), 1);
        vgt_trace_reader_close(r);
        /* an intact footerless trace (a killed capture's) loses nothing at
         * its end: no such problem */
        if (!torn) {
            fx_write_bytes(d.without, d.b, (size_t)d.body_end);
            r = open_ok(d.without, true);
            got = 0;
            while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
                got++;
            }
            assert_int_equal(got, d.t.n);
            assert_int_equal(vgt_trace_reader_problem_count(r), 1); /* the footer's */
            vgt_trace_reader_close(r);
        }
    }
    dmg_free(&d);
}

/* A problem about chunks [chunk, chunk + chunks), for the count's tests. */
static vgt_trace_problem lost(uint64_t chunk, uint64_t chunks)
{
    vgt_trace_problem p = {.code = VGT_E_FORMAT, .chunk = chunk, .chunks = chunks};
    return p;
}

/* "N chunks skipped" of a list of problems (docs/format.md, "Skipped
 * chunks"): each chunk id once, however many problems name it, below
 * reach; a problem of no chunk, or of none lost, counts none.  Both ways
 * of counting: the sweep (a few problems) and the sort (many). */
/* The problem set (the reader's and vgt trim's, whose de-duplication once
 * scanned every problem kept for each new one: quadratic in a hostile
 * trace's damaged chunks) keeps a problem exactly when none the same
 * (vgt_trace_problem_same: code, chunk, offset, message) is in it, across
 * its growth, in the order added; it tells apart problems that share all
 * but one of those; a replaced problem is found by its new self only. */
static void problem_set_keeps_each_problem_once(void **state)
{
    (void)state;
    enum { N = 3000 };
    vgt_trace_problem *all = calloc(N, sizeof(*all));
    char(*text)[32] = calloc(N, sizeof(*text));
    assert_non_null(all);
    assert_non_null(text);
    for (size_t i = 0; i < N; i++) {
        /* thirds: chunk i, its offset; chunk i / 3 at one offset, their
         * messages differing; chunk i / 3, the offset differing */
        all[i].code = i % 2 ? VGT_E_CHECKSUM : VGT_E_FORMAT;
        all[i].chunk = i % 3 == 0 ? i : i / 3;
        all[i].offset = i % 3 == 2 ? 1000u + i : 1000u;
        all[i].chunks = 1;
        snprintf(text[i], sizeof(text[i]), "chunk %zu: problem %zu", i / 3, i);
        all[i].message = text[i];
    }
    vgt_trace_problem_set s = {0};
    bool added = true;
    assert_int_equal(vgt_trace_problem_set_count(&s), 0);
    assert_null(vgt_trace_problem_set_get(&s, 0));
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(vgt_trace_problem_set_add(&s, &all[i], &added), VGT_OK);
        assert_true(added);
        assert_int_equal(vgt_trace_problem_set_add(&s, &all[i], &added), VGT_OK);
        assert_false(added);
        assert_int_equal(vgt_trace_problem_set_count(&s), i + 1);
    }
    assert_true(s.index.cap >= 2 * N); /* grown, at most half full */
    for (size_t i = 0; i < N; i++) {
        assert_true(vgt_trace_problem_same(vgt_trace_problem_set_get(&s, i), &all[i]));
        vgt_trace_problem q = all[i]; /* a copy: found by value */
        q.chunks = 7;                 /* not part of the identity, as vgt_trace_problem_same */
        assert_int_equal(vgt_trace_problem_set_add(&s, &q, &added), VGT_OK);
        assert_false(added);
    }
    assert_int_equal(vgt_trace_problem_set_count(&s), N);
    /* one field different: a new problem each (the flipped bit changes the
     * last digit's parity, so no message becomes another's with its code) */
    for (size_t i = 0; i < N; i++) {
        vgt_trace_problem q = all[i];
        q.code = VGT_E_TRUNCATED;
        assert_int_equal(vgt_trace_problem_set_add(&s, &q, &added), VGT_OK);
        assert_true(added);
        q = all[i];
        q.chunk += N;
        assert_int_equal(vgt_trace_problem_set_add(&s, &q, &added), VGT_OK);
        assert_true(added);
        q = all[i];
        q.offset += 1u << 20;
        assert_int_equal(vgt_trace_problem_set_add(&s, &q, &added), VGT_OK);
        assert_true(added);
        q = all[i];
        char flipped[32];
        snprintf(flipped, sizeof(flipped), "%s", all[i].message);
        flipped[strlen(flipped) - 1] ^= 0x01;
        q.message = flipped;
        assert_int_equal(vgt_trace_problem_set_add(&s, &q, &added), VGT_OK);
        assert_true(added);
    }
    assert_int_equal(vgt_trace_problem_set_count(&s), 5 * N);
    /* replaced: the old problem is new again, the new one is held */
    vgt_trace_problem r = all[5];
    r.message = "chunk 1: rewritten";
    assert_int_equal(vgt_trace_problem_set_replace(&s, 5, &r), VGT_OK);
    assert_true(vgt_trace_problem_same(vgt_trace_problem_set_get(&s, 5), &r));
    assert_int_equal(vgt_trace_problem_set_add(&s, &r, &added), VGT_OK);
    assert_false(added);
    assert_int_equal(vgt_trace_problem_set_add(&s, &all[5], &added), VGT_OK);
    assert_true(added);
    assert_int_equal(vgt_trace_problem_set_count(&s), 5 * N + 1);
    vgt_trace_problem_set_free(&s);
    assert_null(s.items);
    assert_null(s.index.slots);
    assert_int_equal(vgt_trace_problem_set_count(&s), 0);
    free(all);
    free(text);
}

/* The set's memory per problem (docs/security.md, "Hostile inputs"): each
 * problem once held a fixed 256-byte message (~300 bytes with the array
 * and the index), so 10^6 damaged chunks of ~170 bytes in the file took
 * 756 MB in vgt info.  K problems with short messages now take the
 * problem, its index slots and the message at its own length: under 96
 * bytes each.  Every message is built in one buffer the caller reuses
 * (the set keeps its own copy), and the pointers to messages taken as
 * they were added stay valid, byte for byte, after the set grew many
 * times (under ASan: a message moved by the growth is read after free);
 * a message that is a prefix of another is another problem. */
static void problem_set_stores_messages_at_their_length(void **state)
{
    (void)state;
    enum { K = 16384 };
    const char **kept = calloc(K, sizeof(*kept));
    assert_non_null(kept);
    vgt_trace_problem_set s = {0};
    /* every one whole (past its limit a set keeps a problem compact) */
    vgt_trace_problem_set_limit(&s, K + 8);
    char buf[VGT_TRACE_PROBLEM_MESSAGE_MAX];
    for (size_t i = 0; i < K; i++) {
        snprintf(buf, sizeof(buf), "chunk %zu: x", i);
        vgt_trace_problem p = {
            .code = VGT_E_CHECKSUM, .chunk = i, .offset = 100u * i, .chunks = 1, .message = buf};
        bool added = false;
        assert_int_equal(vgt_trace_problem_set_add(&s, &p, &added), VGT_OK);
        assert_true(added);
        kept[i] = vgt_trace_problem_set_get(&s, i)->message;
        assert_ptr_not_equal(kept[i], buf);
        memset(buf, 'z', sizeof(buf) - 1); /* the caller's buffer, reused */
    }
    assert_int_equal(vgt_trace_problem_set_count(&s), K);
    size_t bytes = vgt_trace_problem_set_bytes(&s);
    if (bytes > (size_t)K * 96u) {
        fail_msg("%zu problems hold %zu bytes (%zu a problem), more than 96 a problem", (size_t)K,
                 bytes, bytes / K);
    }
    /* at least what it holds: the problems, their slots, the messages */
    assert_true(bytes >=
                (size_t)K * (sizeof(vgt_trace_problem) + 2u * sizeof(*s.index.slots) + 12u));
    for (size_t i = 0; i < K; i++) {
        snprintf(buf, sizeof(buf), "chunk %zu: x", i);
        assert_string_equal(kept[i], buf);
        assert_ptr_equal(vgt_trace_problem_set_get(&s, i)->message, kept[i]);
    }
    /* a prefix of a held message, and the message with one more byte:
     * other problems */
    vgt_trace_problem q = {
        .code = VGT_E_CHECKSUM, .chunk = 7, .offset = 700, .chunks = 1, .message = "chunk 7: "};
    bool added = false;
    assert_int_equal(vgt_trace_problem_set_add(&s, &q, &added), VGT_OK);
    assert_true(added);
    q.message = "chunk 7: xy";
    assert_int_equal(vgt_trace_problem_set_add(&s, &q, &added), VGT_OK);
    assert_true(added);
    q.message = "chunk 7: x";
    assert_int_equal(vgt_trace_problem_set_add(&s, &q, &added), VGT_OK);
    assert_false(added);
    /* (the compare itself, not only the hash that finds its slot) */
    vgt_trace_problem prefix = q;
    prefix.message = "chunk 7: ";
    assert_true(vgt_trace_problem_same(&q, vgt_trace_problem_set_get(&s, 7)));
    assert_false(vgt_trace_problem_same(&prefix, vgt_trace_problem_set_get(&s, 7)));
    assert_false(vgt_trace_problem_same(vgt_trace_problem_set_get(&s, 7), &prefix));
    /* a replace copies the new message too */
    snprintf(buf, sizeof(buf), "chunk 3: rewritten");
    vgt_trace_problem r = *vgt_trace_problem_set_get(&s, 3);
    r.message = buf;
    assert_int_equal(vgt_trace_problem_set_replace(&s, 3, &r), VGT_OK);
    memset(buf, 'z', sizeof(buf) - 1);
    assert_string_equal(vgt_trace_problem_set_get(&s, 3)->message, "chunk 3: rewritten");
    assert_string_equal(kept[2], "chunk 2: x");
    vgt_trace_problem_set_free(&s);
    assert_int_equal(vgt_trace_problem_set_bytes(&s), 0);
    free(kept);
}

/* Writes a footerless trace of n one-record chunks at path, every even
 * chunk's header damaged (its record count: the header checksum fails);
 * returns the file's size. */
static uint64_t write_every_other_header_damaged(const char *path, uint64_t n)
{
    vgt_trace_header h;
    fx_header(&h);
    vgt_trace_writer_settings ws;
    fx_settings(&ws, 4096);
    vgt_trace_writer *w = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_open(path, &ws, &h, &w, &err), VGT_OK);
    for (uint64_t i = 0; i < n; i++) {
        assert_int_equal(vgt_trace_writer_frame_end(w, 1000 + i, &err), VGT_OK);
        assert_int_equal(vgt_trace_writer_flush(w, &err), VGT_OK);
    }
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);
    vgt_trace_reader *r = NULL;
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    assert_int_equal(vgt_trace_reader_chunk_count(r), n);
    uint64_t *at = calloc(n, sizeof(*at));
    assert_non_null(at);
    vgt_trace_chunk_info c = {0};
    for (uint64_t i = 0; i < n; i++) {
        assert_true(vgt_trace_reader_chunk(r, i, &c));
        at[i] = c.offset;
    }
    vgt_trace_reader_close(r);
    uint64_t size = c.offset + 80u + c.compressed_size; /* the footer cut off */
    assert_int_equal(truncate(path, (off_t)size), 0);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    for (uint64_t i = 0; i < n; i += 2) {
        uint8_t b;
        assert_int_equal(fseeko(f, (off_t)(at[i] + 40u), SEEK_SET), 0);
        assert_int_equal(fread(&b, 1, 1, f), 1);
        b ^= 0x20;
        assert_int_equal(fseeko(f, (off_t)(at[i] + 40u), SEEK_SET), 0);
        assert_int_equal(fwrite(&b, 1, 1, f), 1);
    }
    assert_int_equal(fclose(f), 0);
    free(at);
    return size;
}

/* A hostile trace's problems past the first VGT_TRACE_PROBLEMS_LISTED
 * (docs/security.md, "Hostile inputs"): the set kept every one with its
 * message, ~135 bytes a problem where a damaged chunk is 105-169 bytes of
 * file, so the reader's memory followed the damage.  Past the first ones
 * a problem is now kept compact: at most 48 bytes each (32, and its
 * index slots at most half full), every count exact: the problems, the
 * chunks they skipped, each once when added again (whole or compact), and
 * the first ones listed whole with their messages. */
static void problem_set_keeps_the_rest_compact(void **state)
{
    (void)state;
    enum { N = VGT_TRACE_PROBLEMS_LISTED, K = 100000 };
    vgt_trace_problem_set s = {0};
    char buf[VGT_TRACE_PROBLEM_MESSAGE_MAX];
    size_t at_n = 0;
    for (size_t i = 0; i < N + K; i++) {
        if (i == N) {
            at_n = vgt_trace_problem_set_bytes(&s);
        }
        /* a damaged body's message, ~70 bytes; every third chunk twice
         * (a damaged header and its gap: two problems, one chunk id) */
        snprintf(buf, sizeof(buf),
                 "chunk %zu at offset %zu: compressed checksum mismatch (stored %zx)", i / 3 * 2,
                 100u * i, i * 7919u);
        vgt_trace_problem p = {.code = i % 3 ? VGT_E_CHECKSUM : VGT_E_FORMAT,
                               .read = i % 5 == 0,
                               .chunk = i % 3 == 2 ? i / 3 * 2 : i,
                               .offset = 100u * i,
                               .chunks = i % 3 ? 1u : 2u,
                               .message = buf};
        bool added = false;
        assert_int_equal(vgt_trace_problem_set_add(&s, &p, &added), VGT_OK);
        assert_true(added);
        assert_int_equal(vgt_trace_problem_set_add(&s, &p, &added), VGT_OK);
        assert_false(added);
    }
    assert_int_equal(vgt_trace_problem_set_count(&s), N + K);
    size_t bytes = vgt_trace_problem_set_bytes(&s);
    if (bytes - at_n > (size_t)K * 48u) {
        fail_msg("%d problems past the first %d hold %zu bytes more (%zu a problem), more than 48 "
                 "a problem",
                 K, N, bytes - at_n, (bytes - at_n) / K);
    }
    /* the chunk ids lost: [i, i + 2) of every i % 3 == 0, [i, i + 1) of
     * every i % 3 == 1, and [i / 3 * 2, +1) of every i % 3 == 2 (ids a
     * range of the first kind holds or not): counted from the problems
     * themselves, by the array's count */
    vgt_trace_problem *all = calloc(N + K, sizeof(*all));
    assert_non_null(all);
    for (size_t i = 0; i < N + K; i++) {
        all[i].chunk = i % 3 == 2 ? i / 3 * 2 : i;
        all[i].chunks = i % 3 ? 1u : 2u;
    }
    uint64_t skipped = vgt_trace_chunks_skipped(all, N + K, UINT64_MAX);
    assert_true(skipped > N + K / 2);
    assert_int_equal(vgt_trace_problem_set_chunks_skipped(&s, UINT64_MAX), skipped);
    assert_int_equal(vgt_trace_problem_set_chunks_skipped(&s, 3 * N),
                     vgt_trace_chunks_skipped(all, N + K, 3 * N));
    free(all);

    /* the first N whole, with their messages; the rest compact: every
     * field but the message */
    assert_int_equal(vgt_trace_problem_set_listed(&s), N);
    snprintf(buf, sizeof(buf), "chunk %zu at offset %zu: compressed checksum mismatch (stored %zx)",
             (size_t)(N - 1) / 3 * 2, 100u * (size_t)(N - 1), (size_t)(N - 1) * 7919u);
    assert_non_null(vgt_trace_problem_set_get(&s, N - 1));
    assert_string_equal(vgt_trace_problem_set_get(&s, N - 1)->message, buf);
    assert_null(vgt_trace_problem_set_get(&s, N));
    for (size_t i = N - 2; i < N + K; i += 997) {
        vgt_trace_problem p;
        assert_true(vgt_trace_problem_set_brief(&s, i, &p));
        assert_int_equal(p.code, i % 3 ? VGT_E_CHECKSUM : VGT_E_FORMAT);
        assert_int_equal(p.read, i % 5 == 0);
        assert_int_equal(p.chunk, i % 3 == 2 ? i / 3 * 2 : i);
        assert_int_equal(p.offset, 100u * i);
        assert_int_equal(p.chunks, i % 3 ? 1u : 2u);
        assert_int_equal(strlen(p.message) > 0, i < N);
    }
    vgt_trace_problem none;
    assert_false(vgt_trace_problem_set_brief(&s, N + K, &none));

    /* a compact problem is told apart by its message too (its hash): the
     * same code, chunk and offset with another message is another one */
    vgt_trace_problem other;
    assert_true(vgt_trace_problem_set_brief(&s, N + 1, &other));
    snprintf(buf, sizeof(buf), "chunk %llu at offset %llu: another message",
             (unsigned long long)other.chunk, (unsigned long long)other.offset);
    other.message = buf;
    bool added = false;
    assert_int_equal(vgt_trace_problem_set_add(&s, &other, &added), VGT_OK);
    assert_true(added);
    assert_int_equal(vgt_trace_problem_set_count(&s), N + K + 1);

    /* a union (vgt trim's two readers): the same problems from another
     * set, whole and compact, are not added again; a set with a smaller
     * limit keeps them compact from there on, the count exact */
    vgt_trace_problem_set u = {0};
    vgt_trace_problem_set_limit(&u, 10);
    for (size_t i = 0; i < N + K + 1; i++) {
        assert_int_equal(vgt_trace_problem_set_add_from(&u, &s, i, &added), VGT_OK);
        assert_true(added);
    }
    for (size_t i = 0; i < N + K + 1; i++) {
        assert_int_equal(vgt_trace_problem_set_add_from(&u, &s, i, &added), VGT_OK);
        assert_false(added);
        assert_int_equal(vgt_trace_problem_set_add_from(&s, &u, i, &added), VGT_OK);
        assert_false(added);
    }
    assert_int_equal(vgt_trace_problem_set_count(&u), N + K + 1);
    assert_int_equal(vgt_trace_problem_set_listed(&u), 10);
    assert_int_equal(vgt_trace_problem_set_count(&s), N + K + 1);
    assert_int_equal(vgt_trace_problem_set_chunks_skipped(&u, UINT64_MAX),
                     vgt_trace_problem_set_chunks_skipped(&s, UINT64_MAX));
    /* a whole problem added to u after its compact ones is found again,
     * whole in s, compact in u */
    vgt_trace_problem p0 = *vgt_trace_problem_set_get(&s, 20);
    assert_int_equal(vgt_trace_problem_set_add(&u, &p0, &added), VGT_OK);
    assert_false(added);
    vgt_trace_problem_set_free(&u);
    vgt_trace_problem_set_free(&s);
    assert_int_equal(vgt_trace_problem_set_bytes(&s), 0);
}

/* The reader's problems past its limit (the option problems_listed: 100
 * here) on a footerless trace of 2000 chunks, every even header damaged:
 * 1000 damaged headers, their 1000 gaps and the missing footer, 2001
 * problems, 100 of them whole; 1000 chunks skipped, each once, read
 * after read (verify reads the trace again: no problem counted twice);
 * a compact gap still says the chunks it lost. */
static void reader_keeps_problems_past_its_limit(void **state)
{
    (void)state;
    enum { N = 2000 };
    char path[512];
    fx_path(path, sizeof(path), "limit");
    write_every_other_header_damaged(path, N);
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};

    vgt_trace_reader_options o;
    vgt_trace_reader_options_init(&o);
    o.salvage = true;
    o.problems_listed = 100;
    assert_int_equal(vgt_trace_reader_open(path, &o, &r, &err), VGT_OK);
    vgt_trace_record rec;
    uint64_t records = 0;
    vgt_status rs;
    while ((rs = vgt_trace_reader_next(r, &rec, &err)) == VGT_OK) {
        records++;
    }
    assert_int_equal(rs, VGT_E_END);
    assert_int_equal(records, N / 2);
    assert_int_equal(vgt_trace_reader_problem_count(r), 1 + N);
    assert_int_equal(vgt_trace_reader_problems_listed(r), 100);
    assert_int_equal(vgt_trace_reader_problems_lost(r), 0);
    assert_int_equal(vgt_trace_reader_chunks_skipped(r), N / 2);
    assert_non_null(vgt_trace_reader_problem(r, 99));
    assert_null(vgt_trace_reader_problem(r, 100));
    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    assert_int_equal(info.problems, 1 + N);
    /* the last problem, a gap met by the last read: chunk N - 2, 1 lost */
    vgt_trace_problem p;
    assert_true(vgt_trace_reader_problem_brief(r, N, &p));
    assert_int_equal(p.code, VGT_E_FORMAT);
    assert_int_equal(p.chunk, N - 2);
    assert_int_equal(p.chunks, 1);
    assert_string_equal(p.message, "");
    assert_false(vgt_trace_reader_problem_brief(r, N + 1, &p));
    /* verify reads it all again: the same problems, none added */
    assert_int_equal(vgt_trace_reader_verify(r, &err), VGT_E_TRUNCATED);
    assert_int_equal(vgt_trace_reader_problem_count(r), 1 + N);
    assert_int_equal(vgt_trace_reader_chunks_skipped(r), N / 2);
    vgt_trace_reader_close(r);

    /* the default limit lists them all */
    o.problems_listed = 0;
    assert_int_equal(vgt_trace_reader_open(path, &o, &r, &err), VGT_OK);
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
    }
    assert_int_equal(vgt_trace_reader_problem_count(r), 1 + N);
    assert_int_equal(vgt_trace_reader_problems_listed(r), 1 + N);
    assert_int_equal(vgt_trace_reader_chunks_skipped(r), N / 2);
    vgt_trace_reader_close(r);
    unlink(path);
}

/* A message longer than a problem keeps is cut to
 * VGT_TRACE_PROBLEM_MESSAGE_MAX - 1 bytes, by the set and by a copy alike,
 * and the cut one is the same problem as the whole (the reader adds the
 * whole one again on every read that meets it); a copy's view holds the
 * problem and points at the copy's own message. */
static void long_message_is_cut_alike(void **state)
{
    (void)state;
    char whole[VGT_TRACE_PROBLEM_MESSAGE_MAX + 100];
    memset(whole, 'm', sizeof(whole) - 1);
    whole[sizeof(whole) - 1] = '\0';
    vgt_trace_problem p = {
        .code = VGT_E_FORMAT, .read = true, .chunk = 4, .offset = 5, .chunks = 6, .message = whole};
    vgt_trace_problem_set s = {0};
    bool added = false;
    assert_int_equal(vgt_trace_problem_set_add(&s, &p, &added), VGT_OK);
    assert_true(added);
    const vgt_trace_problem *held = vgt_trace_problem_set_get(&s, 0);
    assert_int_equal(strlen(held->message), VGT_TRACE_PROBLEM_MESSAGE_MAX - 1u);
    assert_memory_equal(held->message, whole, VGT_TRACE_PROBLEM_MESSAGE_MAX - 1u);
    assert_true(vgt_trace_problem_same(held, &p));
    assert_int_equal(vgt_trace_problem_set_add(&s, &p, &added), VGT_OK);
    assert_false(added);
    vgt_trace_problem_copy c;
    memset(&c, 0xAA, sizeof(c));
    vgt_trace_problem_copy_set(&c, &p);
    memset(whole, 'q', 10); /* the copy holds its own message */
    vgt_trace_problem v = vgt_trace_problem_copy_view(&c);
    assert_ptr_equal(v.message, c.message);
    assert_int_equal(strlen(v.message), VGT_TRACE_PROBLEM_MESSAGE_MAX - 1u);
    assert_true(vgt_trace_problem_same(&v, held));
    assert_int_equal(v.code, VGT_E_FORMAT);
    assert_true(v.read);
    assert_int_equal(v.chunk, 4);
    assert_int_equal(v.offset, 5);
    assert_int_equal(v.chunks, 6);
    assert_null(c.problem.message);
    vgt_trace_problem_set_free(&s);
}

/* The salvage walk's resync after a damaged header reads blocks growing
 * from a small one: it read 1 MiB from each damaged header, so a footerless
 * trace of 2000 one-record chunks, every other header damaged (105 bytes
 * apart), was read some 500 times over at its open.  Asserted on the
 * reader's byte count, not on a time: the open reads the file about once
 * (every chunk header, the resyncs' blocks, the kept chunks' bodies for
 * the rebuild), and finds every damaged header and its gap. */
static void resync_reads_near_headers_once(void **state)
{
    (void)state;
    enum { N = 2000 };
    char path[512];
    fx_path(path, sizeof(path), "resync");
    uint64_t size = write_every_other_header_damaged(path, N);
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};

    vgt_trace_reader_options o;
    vgt_trace_reader_options_init(&o);
    o.salvage = true;
    assert_int_equal(vgt_trace_reader_open(path, &o, &r, &err), VGT_OK);
    vgt_trace_reader_stats st;
    vgt_trace_reader_stats_get(r, &st);
    if (st.bytes_read > 4u * size) {
        fail_msg("the open read %llu bytes of a %llu-byte file", (unsigned long long)st.bytes_read,
                 (unsigned long long)size);
    }
    assert_int_equal(vgt_trace_reader_chunk_count(r), N / 2);
    /* the missing footer, and each damaged header (its gap is said when a
     * read meets the chunk after it) */
    assert_int_equal(vgt_trace_reader_problem_count(r), 1 + N / 2);
    vgt_trace_record rec;
    uint64_t records = 0;
    vgt_status rs;
    while ((rs = vgt_trace_reader_next(r, &rec, &err)) == VGT_OK) {
        assert_int_equal(rec.seq % 2, 1); /* the odd chunks' */
        records++;
    }
    assert_int_equal(rs, VGT_E_END);
    assert_int_equal(records, N / 2);
    assert_int_equal(vgt_trace_reader_problem_count(r), 1 + N);
    assert_int_equal(vgt_trace_reader_chunks_skipped(r), N / 2);
    vgt_trace_reader_close(r);
    unlink(path);
}

static void chunks_skipped_counts_each_id_once(void **state)
{
    (void)state;
    assert_int_equal(vgt_trace_chunks_skipped(NULL, 0, UINT64_MAX), 0);
    /* a damaged header (3), the gap it left (3..4), a body (7), the
     * footer, a torn tail (9, none lost) */
    vgt_trace_problem a[] = {lost(3, 1), lost(3, 2), lost(7, 1), lost(UINT64_MAX, 0), lost(9, 0)};
    assert_int_equal(vgt_trace_chunks_skipped(a, 5, UINT64_MAX), 3);
    assert_int_equal(vgt_trace_chunks_skipped(a, 5, 8), 3);
    assert_int_equal(vgt_trace_chunks_skipped(a, 5, 7), 2); /* the body past the reach */
    assert_int_equal(vgt_trace_chunks_skipped(a, 5, 4), 1); /* the gap cut at the reach */
    assert_int_equal(vgt_trace_chunks_skipped(a, 5, 3), 0);
    /* out of order, nested, adjacent, repeated: ids 0..9 and 20 */
    vgt_trace_problem b[] = {lost(5, 5),  lost(0, 2), lost(6, 1), lost(2, 3),
                             lost(20, 1), lost(0, 2), lost(9, 1)};
    assert_int_equal(vgt_trace_chunks_skipped(b, 7, UINT64_MAX), 11);
    /* a range at the top of the ids: no wrap, the count ends at the reach */
    vgt_trace_problem c[] = {lost(UINT64_MAX - 2, 10), lost(0, 1)};
    assert_int_equal(vgt_trace_chunks_skipped(c, 2, UINT64_MAX), 3);
    /* many problems (sorted, not swept): chunk i's header and gap, for
     * every even i, in reverse, and a gap over 1000..1099 */
    enum { MANY = 401 };
    vgt_trace_problem *m = calloc(MANY, sizeof(*m));
    assert_non_null(m);
    for (size_t i = 0; i < 200; i++) {
        m[2 * i] = lost(2 * (199 - i), 1);
        m[2 * i + 1] = lost(2 * (199 - i), 1);
    }
    m[400] = lost(1000, 100);
    assert_int_equal(vgt_trace_chunks_skipped(m, MANY, UINT64_MAX), 300);
    assert_int_equal(vgt_trace_chunks_skipped(m, MANY, 1050), 250);
    assert_int_equal(vgt_trace_chunks_skipped(m, MANY, 11), 6); /* 0, 2, .., 10 */
    m[400] = lost(0, 400);                                      /* over every other one */
    assert_int_equal(vgt_trace_chunks_skipped(m, MANY, UINT64_MAX), 400);
    free(m);
}

/* r recorded one gap, from chunk id `chunk`, of `chunks` ids. */
static void expect_gap(vgt_trace_reader *r, uint64_t chunk, uint64_t chunks)
{
    const vgt_trace_problem *gap = NULL;
    for (size_t i = 0; i < vgt_trace_reader_problem_count(r); i++) {
        if (strstr(vgt_trace_reader_problem(r, i)->message, ": missing")) {
            assert_null(gap);
            gap = vgt_trace_reader_problem(r, i);
        }
    }
    assert_non_null(gap);
    assert_int_equal(gap->chunk, chunk);
    assert_int_equal(gap->chunks, chunks);
}

/* The reader's count as it reads: two damaged headers in a row of a
 * footerless trace (one gap of two ids: 2, where the problems the read
 * met were 1), nothing before the read reaches them, and a torn tail none;
 * a damaged body through the footer once the read passes it. */
static void reader_chunks_skipped(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "skipcount", 2048, 500, 3, 127);
    uint64_t k = d.nchunks / 2;
    assert_true(k >= 2 && k + 3 < d.nchunks);
    uint8_t *m = malloc(d.n);
    assert_non_null(m);
    memcpy(m, d.b, d.n);
    m[d.c[k].offset + 20] ^= 0x08;
    m[d.c[k + 1].offset + 20] ^= 0x08;
    /* the file cut 100 bytes into its last chunk: torn */
    fx_write_bytes(d.without, m, (size_t)d.c[d.nchunks - 1].offset + 100);
    vgt_trace_reader *r = open_ok(d.without, true);
    assert_int_equal(vgt_trace_reader_reach(r), 0);
    assert_int_equal(vgt_trace_reader_chunks_skipped(r), 0);
    size_t torn = 0;
    for (size_t i = 0; i < vgt_trace_reader_problem_count(r); i++) {
        const vgt_trace_problem *p = vgt_trace_reader_problem(r, i);
        if (strstr(p->message, ": torn:")) {
            torn++;
            assert_int_equal(p->chunk, d.nchunks - 1);
            assert_int_equal(p->chunks, 0);
        } else if (p->chunk == UINT64_MAX) {
            assert_int_equal(p->chunks, 0); /* the footer's */
        } else {
            assert_int_equal(p->chunks, 1); /* a damaged header */
        }
    }
    assert_int_equal(torn, 1);
    vgt_trace_record rec;
    vgt_error err = {0};
    /* the records before the damage: none skipped yet */
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK && rec.seq + 1 < d.c[k].first_record) {
    }
    assert_int_equal(vgt_trace_reader_reach(r), k);
    assert_int_equal(vgt_trace_reader_chunks_skipped(r), 0);
    /* past the gap: its problem states both ids */
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
    assert_int_equal(rec.seq, d.c[k + 2].first_record);
    assert_int_equal(vgt_trace_reader_reach(r), k + 3);
    assert_int_equal(vgt_trace_reader_chunks_skipped(r), 2);
    expect_gap(r, k, 2);
    /* to the end: the torn tail is no chunk skipped; read again, the same */
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
    }
    assert_int_equal(vgt_trace_reader_reach(r), UINT64_MAX);
    assert_int_equal(vgt_trace_reader_chunks_skipped(r), 2);
    assert_int_equal(vgt_trace_reader_seek_record(r, 0, &err), VGT_OK);
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
    }
    assert_int_equal(vgt_trace_reader_chunks_skipped(r), 2);
    vgt_trace_reader_close(r);

    /* the same two headers, the file cut inside the chunk after them: the
     * loss before the torn chunk is both ids (the torn one none) */
    fx_write_bytes(d.without, m, (size_t)d.c[k + 2].offset + 100);
    r = open_ok(d.without, true);
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
    }
    expect_gap(r, k, 2);
    assert_int_equal(vgt_trace_reader_chunks_skipped(r), 2);
    vgt_trace_reader_close(r);
    /* a torn chunk whose header (its checksum made right) states an id
     * no loss of so few records reaches: the loss is the first id alone,
     * not 2^40 chunks */
    uint8_t *h = m + d.c[k + 2].offset;
    vgt_store_le64(h + 8, k + 2 + (1ull << 40));
    vgt_store_le64(h + 72, vgt_trace_hash64(h, 72));
    fx_write_bytes(d.without, m, (size_t)d.c[k + 2].offset + 100);
    r = open_ok(d.without, true);
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
    }
    assert_int_equal(vgt_trace_reader_chunks_skipped(r), 1);
    vgt_trace_reader_close(r);

    /* a damaged body, the footer whole: counted once a read passes it */
    memcpy(m, d.b, d.n);
    m[d.c[k].offset + 80 + d.c[k].compressed_size / 2] ^= 0x5a;
    fx_write_bytes(d.with, m, d.n);
    free(m);
    r = open_ok(d.with, true);
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK && rec.seq + 1 < d.c[k].first_record) {
    }
    assert_int_equal(vgt_trace_reader_chunks_skipped(r), 0);
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
    assert_int_equal(rec.seq, d.c[k + 1].first_record);
    assert_int_equal(vgt_trace_reader_chunks_skipped(r), 1);
    vgt_trace_reader_close(r);
    dmg_free(&d);
}

/* A chunk wrong in its uncompressed checksum alone (the header's own
 * checksum made right; the compressed bytes intact): every read delivers
 * its records, since a read checks the compressed checksum, which holds,
 * and not this one (docs/format.md, "Checksums").  verify (vgt info) and
 * check_chunk say the mismatch as a problem that skips no chunk (chunks 0,
 * `read`) and deliver the records too: verify skipped the chunk and
 * counted it, "1 skipped", where every other verb read it.  Without the
 * footer, the rebuild indexes the chunk whole (its per-type totals were
 * missing) and records nothing, as a read would not. */
static void wrong_uncompressed_checksum_is_read(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "uhash", 2048, 600, 5, 29);
    uint64_t k = d.nchunks / 2;
    assert_true(k >= 1 && k + 1 < d.nchunks);
    uint8_t *m = malloc(d.n);
    assert_non_null(m);
    memcpy(m, d.b, d.n);
    uint8_t *h = m + d.c[k].offset;
    h[64] ^= 0x01;
    vgt_store_le64(h + 72, vgt_trace_hash64(h, 72));
    dmg_write(&d, m);
    free(m);
    const char *paths[2] = {d.with, d.without};
    vgt_trace_reader *intact = open_ok(d.path, false);
    for (int v = 0; v < 2; v++) {
        vgt_trace_reader *r = open_ok(paths[v], false);
        /* nothing recorded at the open but the missing footer */
        size_t opened = vgt_trace_reader_problem_count(r);
        assert_int_equal(opened, v == 0 ? 0 : 1);
        vgt_error err = {0};
        assert_int_equal(vgt_trace_reader_verify(r, &err), VGT_E_CHECKSUM);
        assert_int_equal(vgt_trace_reader_problem_count(r), opened + 1);
        const vgt_trace_problem *p = vgt_trace_reader_problem(r, opened);
        assert_int_equal(p->code, VGT_E_CHECKSUM);
        assert_int_equal(p->chunk, k);
        assert_int_equal(p->offset, d.c[k].offset);
        assert_int_equal(p->chunks, 0);
        assert_true(p->read);
        char want[200];
        snprintf(want, sizeof(want),
                 "chunk %llu at offset %llu: checksum mismatch in its %u uncompressed bytes (its "
                 "records are read: its compressed bytes match their checksum)",
                 (unsigned long long)k, (unsigned long long)d.c[k].offset,
                 d.c[k].uncompressed_size);
        assert_string_equal(p->message, want);
        /* verify read every chunk: nothing lost */
        assert_int_equal(vgt_trace_reader_reach(r), UINT64_MAX);
        assert_int_equal(vgt_trace_reader_chunks_skipped(r), 0);
        /* every record, as written */
        vgt_status end;
        assert_int_equal(fx_check(r, &d.t, 0, &end), d.t.n);
        assert_int_equal(end, VGT_E_END);
        /* the index, rebuilt or the footer's, is the intact trace's (the
         * rebuilt one's per-type totals and dedup table left the chunk out) */
        same_index(r, intact);
        /* check_chunk: not sound, said with the same problem (recorded
         * once), the chunks around it sound */
        assert_int_equal(vgt_trace_reader_check_chunk(r, k, &err), VGT_E_CHECKSUM);
        assert_non_null(strstr(err.message, "checksum mismatch in its"));
        assert_int_equal(vgt_trace_reader_problem_count(r), opened + 1);
        assert_int_equal(vgt_trace_reader_check_chunk(r, k - 1, &err), VGT_OK);
        assert_int_equal(vgt_trace_reader_check_chunk(r, k + 1, &err), VGT_OK);
        vgt_trace_reader_close(r);
    }
    vgt_trace_reader_close(intact);
    dmg_free(&d);
}

/* The reference vgt_trace_reader_chunk_find is checked against: the
 * first table entry with the id, by a scan (what vgt analyze and vgt diff
 * --salvage did for each damaged chunk). */
static bool scan_for_chunk(vgt_trace_reader *r, uint64_t id, vgt_trace_chunk_info *out)
{
    for (uint64_t i = 0; i < vgt_trace_reader_chunk_count(r); i++) {
        if (vgt_trace_reader_chunk(r, i, out) && out->id == id) {
            return true;
        }
    }
    return false;
}

/* Asserts that r's table ids ascend and that vgt_trace_reader_chunk_find
 * finds each id 0..ids-1 (and UINT64_MAX) as the scan does; returns how
 * many it found. */
static uint64_t check_chunk_find(vgt_trace_reader *r, uint64_t ids)
{
    vgt_trace_chunk_info a, b, prev = {0};
    for (uint64_t i = 0; i < vgt_trace_reader_chunk_count(r); i++) {
        assert_true(vgt_trace_reader_chunk(r, i, &a));
        if (i > 0 && a.id <= prev.id) {
            fail_msg("table entry %llu: id %llu after %llu", (unsigned long long)i,
                     (unsigned long long)a.id, (unsigned long long)prev.id);
        }
        prev = a;
    }
    uint64_t found = 0;
    for (uint64_t id = 0; id < ids; id++) {
        memset(&a, 0xa5, sizeof(a));
        memset(&b, 0xa5, sizeof(b));
        bool want = scan_for_chunk(r, id, &a);
        assert_int_equal(vgt_trace_reader_chunk_find(r, id, &b), want);
        if (want) {
            assert_memory_equal(&a, &b, sizeof(a));
            found++;
        }
    }
    assert_false(vgt_trace_reader_chunk_find(r, UINT64_MAX, &b));
    return found;
}

/* vgt_trace_reader_chunk_find, the chunk of a problem's id (vgt analyze
 * and vgt diff --salvage scanned the table for each damaged chunk: 10^6
 * of them never ended), finds what the scan finds: in a footer's table
 * (id = place) and in a walked one with a gap before every entry (the
 * odd ids of 2000 chunks, every even header damaged), whose last entry
 * and the ids past it too. */
static void chunk_found_by_id(void **state)
{
    (void)state;
    enum { N = 2000 };
    dmg d;
    dmg_make(&d, "findid", 2048, 400, 9, 17);
    vgt_trace_reader *r = open_ok(d.path, false);
    assert_int_equal(check_chunk_find(r, d.nchunks + 2), d.nchunks);
    vgt_trace_reader_close(r);
    dmg_free(&d);

    char path[512];
    fx_path(path, sizeof(path), "findid-walk");
    write_every_other_header_damaged(path, N);
    r = open_ok(path, true);
    assert_int_equal(vgt_trace_reader_chunk_count(r), N / 2);
    assert_int_equal(check_chunk_find(r, N + 2), N / 2);
    vgt_trace_chunk_info c;
    assert_true(vgt_trace_reader_chunk_find(r, N - 1, &c));
    assert_int_equal(c.id, N - 1);
    assert_int_equal(c.first_record, N - 1);
    assert_false(vgt_trace_reader_chunk_find(r, N - 2, &c));
    vgt_trace_reader_close(r);
    unlink(path);
}

/* A salvage walk took a chunk whose header (its checksum made right)
 * states index 2^64 - 1 after a damaged one, as a gap: the next id it
 * expected wrapped to 0, and it took a chunk stating 0 after it, so the
 * table's ids went 0, 2^64 - 1, 0 (vgt_trace_reader_chunk_find, a binary
 * search, needs them to ascend; the scan found the first chunk for 0).
 * No chunk can follow 2^64 - 1: that header is damaged, named so. */
static void chunk_id_never_wraps(void **state)
{
    (void)state;
    dmg d;
    dmg_make(&d, "idwrap", 2048, 400, 9, 29);
    assert_true(d.nchunks > 5);
    uint8_t *m = malloc(d.n);
    assert_non_null(m);
    memcpy(m, d.b, d.n);
    m[d.c[1].offset + 40] ^= 0x02; /* chunk 1's header checksum fails */
    uint8_t *h = m + d.c[2].offset;
    vgt_store_le64(h + 8, UINT64_MAX); /* its index */
    vgt_store_le64(h + 72, vgt_trace_hash64(h, 72));
    h = m + d.c[3].offset;
    vgt_store_le64(h + 8, 0);
    vgt_store_le64(h + 72, vgt_trace_hash64(h, 72));
    dmg_write(&d, m);
    free(m);
    vgt_trace_reader *r = open_ok(d.without, true);
    check_chunk_find(r, d.nchunks + 2);
    char want[128];
    snprintf(want, sizeof(want), "chunk 1 at offset %llu: chunk index out of range",
             (unsigned long long)d.c[2].offset);
    bool named = false;
    for (size_t i = 0; i < vgt_trace_reader_problem_count(r); i++) {
        named = named || strcmp(vgt_trace_reader_problem(r, i)->message, want) == 0;
    }
    assert_true(named);
    vgt_trace_reader_close(r);
    dmg_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rebuilt_index_agrees_with_footer),
        cmocka_unit_test(walk_stop_reported_once),
        cmocka_unit_test(failed_seek_does_not_rewind),
        cmocka_unit_test(implausible_frames_name_chunk_id),
        cmocka_unit_test(damaged_chunk_frames_bounded),
        cmocka_unit_test(damaged_chunk_before_gap),
        cmocka_unit_test(gap_frames_counted),
        cmocka_unit_test(repeated_frame_counted_once),
        cmocka_unit_test(footer_damage_rebuilds_same_index),
        cmocka_unit_test(check_chunk_checks_references),
        cmocka_unit_test(salvage_delivers_every_intact_record),
        cmocka_unit_test(salvage_gap_names_missing_records),
        cmocka_unit_test(salvage_trailing_damage_counted),
        cmocka_unit_test(problem_set_keeps_each_problem_once),
        cmocka_unit_test(problem_set_stores_messages_at_their_length),
        cmocka_unit_test(problem_set_keeps_the_rest_compact),
        cmocka_unit_test(reader_keeps_problems_past_its_limit),
        cmocka_unit_test(long_message_is_cut_alike),
        cmocka_unit_test(resync_reads_near_headers_once),
        cmocka_unit_test(chunks_skipped_counts_each_id_once),
        cmocka_unit_test(reader_chunks_skipped),
        cmocka_unit_test(wrong_uncompressed_checksum_is_read),
        cmocka_unit_test(chunk_found_by_id),
        cmocka_unit_test(chunk_id_never_wraps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
