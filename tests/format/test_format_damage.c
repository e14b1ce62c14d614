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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(walk_stop_reported_once),
        cmocka_unit_test(failed_seek_does_not_rewind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
