/* The trace's hashes are XXH3 however they are computed (vgt's own AVX2
 * build where the CPU has AVX2, else the library): checked against the
 * distribution's libxxhash for lengths around XXH3's size classes (16, 128,
 * 240 bytes), stripes (64) and blocks (1 KiB), payloads given in pieces
 * split anywhere, rows with and without a stride, and the row tree. */
#include "vgt_format.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <xxhash.h>

static uint8_t *random_bytes(size_t n, uint32_t seed)
{
    uint8_t *p = malloc(n ? n : 1);
    assert_non_null(p);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
    return p;
}

static const size_t lengths[] = {0,   1,    3,    4,    8,    15,   16,   17,    63,
                                 64,  65,   127,  128,  129,  239,  240,  241,   255,
                                 256, 1023, 1024, 1025, 4095, 4096, 4097, 65536, 222211};
#define NLENGTHS (sizeof(lengths) / sizeof(lengths[0]))

static void test_hash64_is_xxh3_64(void **state)
{
    (void)state;
    for (size_t i = 0; i < NLENGTHS; i++) {
        uint8_t *p = random_bytes(lengths[i], (uint32_t)i + 1u);
        /* also from an odd address: the AVX2 loads are unaligned */
        for (size_t skew = 0; skew <= 1 && skew <= lengths[i]; skew++) {
            size_t n = lengths[i] - skew;
            if (vgt_trace_hash64(p + skew, n) != XXH3_64bits(p + skew, n)) {
                fail_msg("%zu bytes at +%zu: vgt_trace_hash64 differs from XXH3_64bits", n, skew);
            }
        }
        free(p);
    }
}

static void test_hash128_is_xxh3_128_in_any_pieces(void **state)
{
    (void)state;
    for (size_t i = 0; i < NLENGTHS; i++) {
        size_t n = lengths[i];
        uint8_t *p = random_bytes(n, (uint32_t)i + 101u);
        XXH128_hash_t want = XXH3_128bits(p, n);
        uint64_t lo = 0, hi = 0;
        vgt_trace_iov one = {p, n};
        vgt_trace_hash128(&one, 1, &lo, &hi);
        if (lo != want.low64 || hi != want.high64) {
            fail_msg("%zu bytes in one piece: differs from XXH3_128bits", n);
        }
        /* two and three pieces, cut at a few places (empty pieces too) */
        size_t cuts[] = {0, 1, n / 3, n / 2, n > 0 ? n - 1 : 0, n};
        for (size_t a = 0; a < sizeof(cuts) / sizeof(cuts[0]); a++) {
            for (size_t b = a; b < sizeof(cuts) / sizeof(cuts[0]); b++) {
                size_t c1 = cuts[a] <= n ? cuts[a] : n, c2 = cuts[b] <= n ? cuts[b] : n;
                if (c2 < c1) {
                    continue;
                }
                vgt_trace_iov three[3] = {{p, c1}, {p + c1, c2 - c1}, {p + c2, n - c2}};
                vgt_trace_hash128(three, 3, &lo, &hi);
                if (lo != want.low64 || hi != want.high64) {
                    fail_msg("%zu bytes cut at %zu and %zu: differs from XXH3_128bits", n, c1, c2);
                }
                vgt_trace_hash128(three, 2, &lo, &hi);
                XXH128_hash_t first = XXH3_128bits(p, c2);
                if (lo != first.low64 || hi != first.high64) {
                    fail_msg("%zu bytes cut at %zu: differs from XXH3_128bits", c2, c1);
                }
            }
        }
        free(p);
    }
}

static void test_hash_rows_is_xxh3_64_of_the_rows(void **state)
{
    (void)state;
    static const size_t rows_bytes[] = {4, 12, 64, 68, 1000, 2560, 4124};
    static const uint32_t heights[] = {1, 2, 7, 480};
    for (size_t i = 0; i < sizeof(rows_bytes) / sizeof(rows_bytes[0]); i++) {
        for (size_t j = 0; j < sizeof(heights) / sizeof(heights[0]); j++) {
            size_t row = rows_bytes[i];
            uint32_t h = heights[j];
            for (size_t pad = 0; pad <= 12; pad += 12) {
                size_t stride = row + pad;
                uint8_t *px = random_bytes(stride * h, (uint32_t)(i * 31u + j * 7u + pad));
                uint8_t *packed = malloc(row * h);
                assert_non_null(packed);
                for (uint32_t y = 0; y < h; y++) {
                    memcpy(packed + y * row, px + y * stride, row);
                }
                if (vgt_trace_hash_rows(px, row, stride, h) != XXH3_64bits(packed, row * h)) {
                    fail_msg("%u rows of %zu bytes, stride %zu: differs from XXH3_64bits", h, row,
                             stride);
                }
                free(px);
                free(packed);
            }
        }
    }
}

/* The row tree (FRAME_HASH's ROWS kind): XXH3_64 of the rows' XXH3_64
 * hashes as 8 little-endian bytes each, whole, and from rows hashed apart
 * and combined; heights across its 64-row passes. */
static void test_row_tree_is_xxh3_of_the_rows_hashes(void **state)
{
    (void)state;
    static const uint32_t heights[] = {1, 2, 63, 64, 65, 129, 480};
    for (size_t j = 0; j < sizeof(heights) / sizeof(heights[0]); j++) {
        uint32_t h = heights[j];
        size_t row = 2560, stride = row + 64;
        uint8_t *px = random_bytes(stride * h, h);
        uint8_t *le = malloc((size_t)h * 8u);
        uint64_t *each = malloc((size_t)h * 8u);
        assert_non_null(le);
        assert_non_null(each);
        for (uint32_t y = 0; y < h; y++) {
            uint64_t rh = XXH3_64bits(px + (size_t)y * stride, row);
            for (int b = 0; b < 8; b++) {
                le[(size_t)y * 8u + (size_t)b] = (uint8_t)(rh >> (8 * b));
            }
        }
        uint64_t want = XXH3_64bits(le, (size_t)h * 8u);
        if (vgt_trace_hash_row_tree(px, row, stride, h) != want) {
            fail_msg("%u rows: the row tree differs from XXH3_64 of the rows' hashes", h);
        }
        /* rows hashed in two runs, as a cache of changed rows does */
        uint32_t split = h / 3;
        vgt_trace_hash_each_row(px, row, stride, split, each);
        vgt_trace_hash_each_row(px + (size_t)split * stride, row, stride, h - split, each + split);
        for (uint32_t y = 0; y < h; y++) {
            if (each[y] != XXH3_64bits(px + (size_t)y * stride, row)) {
                fail_msg("row %u of %u: its hash differs from XXH3_64", y, h);
            }
        }
        assert_true(vgt_trace_hash_of_row_hashes(each, h) == want);
        free(px);
        free(le);
        free(each);
    }
}

/* The build in use is the one the environment asks for (ctest runs this
 * program twice: as it is, and with VGT_NO_AVX2=1, so both builds meet
 * the library's values above). */
static void test_the_build_the_environment_asks_for(void **state)
{
    (void)state;
    const char *off = getenv("VGT_NO_AVX2");
    bool refused = off && *off && strcmp(off, "0") != 0;
#if defined(__x86_64__)
    assert_int_equal(vgt_trace_hash_uses_avx2(), !refused && __builtin_cpu_supports("avx2"));
#else
    assert_false(vgt_trace_hash_uses_avx2());
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_build_the_environment_asks_for),
        cmocka_unit_test(test_hash64_is_xxh3_64),
        cmocka_unit_test(test_hash128_is_xxh3_128_in_any_pieces),
        cmocka_unit_test(test_hash_rows_is_xxh3_64_of_the_rows),
        cmocka_unit_test(test_row_tree_is_xxh3_of_the_rows_hashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
