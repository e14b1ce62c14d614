/* test_format_problems_lost.c - problems the reader finds with no memory
 * left to record them.
 *
 * The binary is linked with -Wl,--wrap=realloc (tests/format/CMakeLists.txt):
 * once armed, a realloc to room for more than `room` problems fails, so the
 * reader's problem set (which grows by realloc from the PROBLEMS_FIRST it
 * reserves at its open) stops growing there and every problem after is
 * counted in problems_lost.  On a trace of 12 chunks, each body damaged,
 * read with room for 8: 8 recorded, 4 lost, and a trace that is not sound
 * (vgt_trace_info.problems 12, verify VGT_E_NOMEM saying both numbers).  A
 * problem met again (verify after verify, a read after verify) is not
 * counted again: the reader counted the same lost problems once per pass,
 * and vgt leaks, whose walk reads twice, said "16 problem(s), 8 of them not
 * recorded" of this trace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"
#include "vgt_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_realloc(void *p, size_t size);
void *__wrap_realloc(void *p, size_t size);
void *__real_malloc(size_t size);
void *__wrap_malloc(size_t size);

static size_t room = SIZE_MAX; /* problems a realloc may make room for */
static bool no_malloc;         /* every malloc of the format library fails */

void *__wrap_malloc(size_t size)
{
    return no_malloc ? NULL : __real_malloc(size);
}

void *__wrap_realloc(void *p, size_t size)
{
    if (room != SIZE_MAX && size % sizeof(vgt_trace_problem) == 0 &&
        size / sizeof(vgt_trace_problem) > room) {
        return NULL;
    }
    return __real_realloc(p, size);
}

enum { CHUNKS = 12, CHUNK_HEADER = 80 };

/* A trace of CHUNKS chunks, one FRAME_END each, every compressed body with
 * one byte flipped (its checksum fails: a problem per chunk). */
static void write_damaged(const char *path)
{
    vgt_trace_header h;
    fx_header(&h);
    vgt_trace_writer_settings s;
    fx_settings(&s, 4096);
    vgt_trace_writer *w = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_OK);
    for (int i = 0; i < CHUNKS; i++) {
        assert_int_equal(vgt_trace_writer_frame_end(w, 1000u + (uint64_t)i, &err), VGT_OK);
        assert_int_equal(vgt_trace_writer_flush(w, &err), VGT_OK);
    }
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);
    vgt_trace_reader *r = NULL;
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    assert_int_equal(vgt_trace_reader_chunk_count(r), CHUNKS);
    uint64_t at[CHUNKS];
    for (uint64_t i = 0; i < CHUNKS; i++) {
        vgt_trace_chunk_info c;
        assert_true(vgt_trace_reader_chunk(r, i, &c));
        at[i] = c.offset + CHUNK_HEADER + c.compressed_size / 2;
    }
    vgt_trace_reader_close(r);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    for (int i = 0; i < CHUNKS; i++) {
        assert_int_equal(fseek(f, (long)at[i], SEEK_SET), 0);
        int b = fgetc(f);
        assert_int_not_equal(b, EOF);
        assert_int_equal(fseek(f, (long)at[i], SEEK_SET), 0);
        assert_int_not_equal(fputc(b ^ 0x20, f), EOF);
    }
    assert_int_equal(fclose(f), 0);
}

/* The counts after each pass: recorded, lost, and info's total. */
static void assert_counts(const vgt_trace_reader *r, size_t recorded, size_t lost)
{
    assert_int_equal(vgt_trace_reader_problem_count(r), recorded);
    assert_int_equal(vgt_trace_reader_problems_lost(r), lost);
    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    assert_int_equal(info.problems, recorded + lost);
}

static void test_lost_problems_counted_once(void **state)
{
    (void)state;
    char path[1200];
    fx_path(path, sizeof(path), "lost.vgt");
    write_damaged(path);
    vgt_trace_reader_options o;
    vgt_trace_reader_options_init(&o);
    o.salvage = true;
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    room = 8; /* what the open reserves: recorded whatever is left */
    assert_int_equal(vgt_trace_reader_open(path, &o, &r, &err), VGT_OK);
    assert_counts(r, 0, 0); /* the footer holds: no chunk read yet */

    vgt_status st = vgt_trace_reader_verify(r, &err);
    assert_int_equal(st, VGT_E_NOMEM);
    char want[1400];
    snprintf(want, sizeof(want),
             "%s: 12 integrity problem(s) found, 4 of them not recorded (out of memory)", path);
    assert_string_equal(err.message, want);
    assert_counts(r, 8, 4);

    /* the same chunks again: the same problems, none new */
    memset(&err, 0, sizeof(err));
    assert_int_equal(vgt_trace_reader_verify(r, &err), VGT_E_NOMEM);
    assert_string_equal(err.message, want);
    assert_counts(r, 8, 4);

    /* a salvage read over them: every chunk skipped, nothing counted twice */
    vgt_trace_record rec;
    size_t records = 0;
    while ((st = vgt_trace_reader_next(r, &rec, &err)) == VGT_OK) {
        records++;
    }
    assert_int_equal(st, VGT_E_END);
    assert_int_equal(records, 0);
    assert_counts(r, 8, 4);
    vgt_trace_reader_close(r);

    /* with room for all: the same 12, every one recorded, none lost */
    room = SIZE_MAX;
    assert_int_equal(vgt_trace_reader_open(path, &o, &r, &err), VGT_OK);
    assert_int_equal(vgt_trace_reader_verify(r, &err), VGT_E_CHECKSUM);
    assert_counts(r, CHUNKS, 0);
    vgt_trace_reader_close(r);
    remove(path);
}

/* A set's reserve makes room for the first n problems, their messages
 * too (each message is stored at its own length in blocks the set
 * allocates): with no memory left after it, n problems with the longest
 * messages a problem keeps are recorded (the reader's open reserves 8, so
 * that a killed capture's missing footer and torn chunk are said whatever
 * is left), and the one after is VGT_E_NOMEM, the set unchanged. */
static void test_reserved_problems_need_no_memory(void **state)
{
    (void)state;
    enum { N = 8 };
    vgt_trace_problem_set s = {0};
    assert_int_equal(vgt_trace_problem_set_reserve(&s, N), VGT_OK);
    char msg[VGT_TRACE_PROBLEM_MESSAGE_MAX + 8];
    room = N;
    no_malloc = true;
    for (size_t i = 0; i <= N; i++) {
        memset(msg, 'a' + (int)i, sizeof(msg) - 1);
        msg[sizeof(msg) - 1] = '\0';
        vgt_trace_problem p = {.code = VGT_E_CHECKSUM, .chunk = i, .chunks = 1, .message = msg};
        bool added = true;
        vgt_status st = vgt_trace_problem_set_add(&s, &p, &added);
        if (i < N && st != VGT_OK) {
            no_malloc = false;
            fail_msg("problem %zu of the %d reserved: %s", i, N, vgt_status_name(st));
        }
        if (i == N) {
            assert_int_equal(st, VGT_E_NOMEM);
            assert_false(added);
        }
    }
    no_malloc = false;
    room = SIZE_MAX;
    assert_int_equal(vgt_trace_problem_set_count(&s), N);
    for (size_t i = 0; i < N; i++) {
        const char *m = vgt_trace_problem_set_get(&s, i)->message;
        assert_int_equal(strlen(m), VGT_TRACE_PROBLEM_MESSAGE_MAX - 1u);
        assert_int_equal(m[0], 'a' + (int)i);
    }
    vgt_trace_problem_set_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lost_problems_counted_once),
        cmocka_unit_test(test_reserved_problems_need_no_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
