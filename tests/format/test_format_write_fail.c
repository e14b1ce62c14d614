/* A failing disk (fault injection): errors are reported with a message, and
 * the file stays valid up to its last whole chunk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"

static void fail_at(uint64_t limit, uint64_t *full_size)
{
    char path[512];
    fx_path(path, sizeof(path), "wfail");
    vgt_trace_writer_settings s;
    fx_settings(&s, 2048);
    s.fail_after_bytes = limit;
    vgt_trace_header h;
    fx_header(&h);
    vgt_trace_writer *w = NULL;
    vgt_error err = {0};
    fx_trace t = {0};
    vgt_status st = vgt_trace_writer_open(path, &s, &h, &w, &err);
    if (st != VGT_OK) {
        /* the header itself did not fit */
        assert_int_equal(st, VGT_E_IO);
        assert_non_null(strstr(err.message, "No space left on device"));
        assert_null(w);
        unlink(path);
        return;
    }
    uint32_t seed = 77;
    size_t failed_at = 0;
    for (size_t i = 0; i < 3000; i++) {
        uint8_t buf[200];
        fx_fill(buf, sizeof(buf), seed + (uint32_t)i);
        st = fx_try_add(&t, w, VGT_REC_COMMAND, 0, buf, 20 + i % 180);
        if (st == VGT_OK && i % 25 == 24) {
            st = fx_try_add(&t, w, VGT_REC_FRAME_END, 0, NULL, 0);
        }
        if (st != VGT_OK) {
            failed_at = i + 1;
            break;
        }
    }
    vgt_trace_writer_stats ws;
    vgt_trace_writer_stats_get(w, &ws);
    st = vgt_trace_writer_close(w, &err);
    if (limit == 0) {
        assert_int_equal(st, VGT_OK);
        struct stat sb;
        assert_int_equal(stat(path, &sb), 0);
        *full_size = (uint64_t)sb.st_size;
    } else {
        assert_int_equal(st, VGT_E_IO);
        assert_non_null(strstr(err.message, "No space left on device"));
        (void)failed_at;
    }
    /* whatever happened, the file reads back as an intact prefix */
    vgt_trace_reader *r;
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    vgt_status end;
    size_t got = fx_check(r, &t, 0, &end);
    assert_int_equal(end, VGT_E_END);
    assert_int_equal(got, info.records);
    if (limit == 0) {
        assert_int_equal(got, t.n);
        assert_true(info.footer_present);
    } else {
        assert_false(info.footer_present);
        assert_true(got <= t.n);
        /* the failed writer cut the torn bytes off: only "no footer" remains */
        assert_int_equal(info.problems, 1);
        struct stat sb;
        assert_int_equal(stat(path, &sb), 0);
        assert_true((uint64_t)sb.st_size <= limit);
    }
    vgt_trace_reader_close(r);
    fx_free(&t);
    unlink(path);
}

static void write_failures_leave_valid_prefix(void **state)
{
    uint64_t full = 0;
    fail_at(0, &full);
    assert_true(full > 10000);
    /* in the header, in the first chunk, mid-trace, in the footer, in the trailer */
    const uint64_t limits[] = {1,        50,       150,        400,       2000,
                               full / 3, full / 2, full - 200, full - 30, full - 1};
    for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
        fail_at(limits[i], &full);
    }
}

static void append_after_failure_fails(void **state)
{
    char path[512];
    fx_path(path, sizeof(path), "wfail2");
    vgt_trace_writer_settings s;
    fx_settings(&s, 1024);
    s.fail_after_bytes = 3000;
    vgt_trace_header h;
    fx_header(&h);
    vgt_trace_writer *w;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_OK);
    uint8_t buf[500];
    fx_fill(buf, sizeof(buf), 5);
    vgt_status st = VGT_OK;
    for (int i = 0; i < 10000 && st == VGT_OK; i++) {
        buf[0] = (uint8_t)i;
        st = vgt_trace_writer_append(w, VGT_REC_COMMAND, 0, (uint64_t)i, buf, sizeof(buf), &err);
        if (st == VGT_OK && i % 50 == 49) {
            st = vgt_trace_writer_flush(w, &err);
        }
    }
    assert_int_equal(st, VGT_E_IO);
    assert_non_null(strstr(err.message, "injected"));
    assert_int_equal(vgt_trace_writer_append(w, VGT_REC_COMMAND, 0, 1, buf, 1, &err), VGT_E_IO);
    assert_int_equal(vgt_trace_writer_flush(w, &err), VGT_E_IO);
    vgt_trace_writer_stats ws;
    vgt_trace_writer_stats_get(w, &ws);
    assert_true(ws.chunks_written < ws.chunks_submitted);
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_E_IO);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(write_failures_leave_valid_prefix),
        cmocka_unit_test(append_after_failure_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
