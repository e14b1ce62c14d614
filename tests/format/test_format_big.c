/* A record larger than 64 MiB: its own chunk, round trip, dedup of a repeat. */
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

static void payload_over_64mib(void **state)
{
    char path[512];
    fx_path(path, sizeof(path), "big");
    const size_t n = (64u << 20) + 12345;
    uint8_t *big = malloc(n);
    assert_non_null(big);
    /* cheap to generate, not trivially compressible: a 64-bit LCG */
    uint64_t x = 1;
    for (size_t i = 0; i + 8 <= n; i += 8) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        memcpy(big + i, &x, 8);
    }
    memset(big + (n & ~(size_t)7), 0x5a, n & 7);
    vgt_trace_writer_settings s;
    fx_settings(&s, 1 << 20);
    vgt_trace_header h;
    fx_header(&h);
    vgt_trace_writer *w;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_OK);
    assert_int_equal(vgt_trace_writer_append(w, VGT_REC_COMMAND, 0, 1, "before", 6, &err), VGT_OK);
    assert_int_equal(vgt_trace_writer_append(w, VGT_REC_SNAPSHOT, 3, 2, big, n, &err), VGT_OK);
    assert_int_equal(vgt_trace_writer_append(w, VGT_REC_COMMAND, 0, 3, "after", 5, &err), VGT_OK);
    assert_int_equal(vgt_trace_writer_frame_end(w, 4, &err), VGT_OK);
    assert_int_equal(vgt_trace_writer_append(w, VGT_REC_SNAPSHOT, 4, 5, big, n, &err), VGT_OK);
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);

    vgt_trace_reader *r;
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    assert_int_equal(info.records, 5);
    assert_int_equal(info.frames, 2);
    assert_int_equal(info.dedup_refs, 1);
    assert_int_equal(info.dedup_bytes_saved, n);
    /* the repeat is not stored again: the file holds the payload once */
    assert_true(info.file_size < n + n / 2);
    assert_int_equal(info.payload_bytes, 2 * n + 6 + 5);
    vgt_trace_record rec;
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
    assert_int_equal(rec.size, 6);
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
    assert_int_equal(rec.seq, 1);
    assert_int_equal(rec.type, VGT_REC_SNAPSHOT);
    assert_int_equal(rec.flags, 3);
    assert_int_equal(rec.size, n);
    assert_memory_equal(rec.payload, big, n);
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
    assert_memory_equal(rec.payload, "after", 5);
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
    assert_int_equal(rec.type, VGT_REC_FRAME_END);
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
    assert_int_equal(rec.frame, 1);
    assert_true(rec.deduplicated);
    assert_int_equal(rec.ref_seq, 1);
    assert_int_equal(rec.flags, 4);
    assert_int_equal(rec.size, n);
    assert_memory_equal(rec.payload, big, n);
    assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_E_END);
    /* the big record sits alone in its chunk */
    vgt_trace_chunk_info c;
    assert_true(vgt_trace_reader_chunk(r, 1, &c));
    assert_int_equal(c.record_count, 1);
    assert_int_equal(c.uncompressed_size, n + 16);
    assert_int_equal(vgt_trace_reader_verify(r, &err), VGT_OK);
    vgt_trace_reader_close(r);
    free(big);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(payload_over_64mib),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
