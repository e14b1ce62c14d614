/* test_damaged.c - an_damaged_add, the damaged frame ranges a salvaged
 * analysis keeps: sorted, disjoint and none adjacent whatever order the
 * ranges come in (a chunk a walked index left out comes after later
 * frames' chunks), at the ends of the frame numbers, and when all
 * VGT_ANALYZE_DAMAGED_MAX are taken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analyze_internal.h"

#include <stdlib.h>
#include <string.h>

/* res's ranges are exactly want's n pairs, and more_damaged is `more`. */
static void expect(const vgt_analyze_result *res, const uint64_t (*want)[2], size_t n, bool more)
{
    assert_int_equal(res->ndamaged, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(res->damaged[i][0], want[i][0]);
        assert_int_equal(res->damaged[i][1], want[i][1]);
    }
    assert_int_equal(res->more_damaged, more);
}

static vgt_analyze_result *result_new(void)
{
    vgt_analyze_result *res = calloc(1, sizeof(*res));
    assert_non_null(res);
    return res;
}

/* In order: apart stays apart, touching and overlapping merge. */
static void test_in_order(void **state)
{
    (void)state;
    vgt_analyze_result *res = result_new();
    an_damaged_add(res, 1, 2);
    an_damaged_add(res, 5, 6);
    an_damaged_add(res, 7, 7);   /* touches [5, 6] */
    an_damaged_add(res, 6, 9);   /* overlaps [5, 7] */
    an_damaged_add(res, 11, 11); /* one frame apart from [5, 9]: its own */
    static const uint64_t want[][2] = {{1, 2}, {5, 9}, {11, 11}};
    expect(res, want, 3, false);
    free(res);
}

/* Out of order: a range lands in its place, and one that bridges several
 * merges them all into one. */
static void test_out_of_order(void **state)
{
    (void)state;
    vgt_analyze_result *res = result_new();
    an_damaged_add(res, 10, 12);
    an_damaged_add(res, 1, 2);
    an_damaged_add(res, 5, 6);
    an_damaged_add(res, 20, 20);
    static const uint64_t sorted[][2] = {{1, 2}, {5, 6}, {10, 12}, {20, 20}};
    expect(res, sorted, 4, false);
    an_damaged_add(res, 3, 9); /* touches [1, 2] and [10, 12], covers [5, 6] */
    static const uint64_t bridged[][2] = {{1, 12}, {20, 20}};
    expect(res, bridged, 2, false);
    an_damaged_add(res, 0, 0); /* before all, touching [1, 12] */
    an_damaged_add(res, 14, 14);
    an_damaged_add(res, 13, 13); /* fills the hole between [0, 12] and [14, 14] */
    static const uint64_t merged[][2] = {{0, 14}, {20, 20}};
    expect(res, merged, 2, false);
    an_damaged_add(res, 16, 18); /* inside the gap, touching neither */
    static const uint64_t gap[][2] = {{0, 14}, {16, 18}, {20, 20}};
    expect(res, gap, 3, false);
    free(res);
}

/* The ends of the frame numbers: no wrap at 0 or at UINT64_MAX. */
static void test_ends(void **state)
{
    (void)state;
    vgt_analyze_result *res = result_new();
    an_damaged_add(res, UINT64_MAX, UINT64_MAX);
    an_damaged_add(res, 0, 0);
    static const uint64_t apart[][2] = {{0, 0}, {UINT64_MAX, UINT64_MAX}};
    expect(res, apart, 2, false);
    an_damaged_add(res, UINT64_MAX - 1u, UINT64_MAX - 1u); /* touches the last */
    an_damaged_add(res, 1, 1);                             /* touches the first */
    static const uint64_t touched[][2] = {{0, 1}, {UINT64_MAX - 1u, UINT64_MAX}};
    expect(res, touched, 2, false);
    an_damaged_add(res, 5, UINT64_MAX); /* covers the last */
    static const uint64_t open[][2] = {{0, 1}, {5, UINT64_MAX}};
    expect(res, open, 2, false);
    an_damaged_add(res, 0, UINT64_MAX); /* everything */
    static const uint64_t all[][2] = {{0, UINT64_MAX}};
    expect(res, all, 1, false);
    free(res);
}

/* Full: a range that merges with none is only counted; one that merges
 * still merges; a bridge frees slots, and the next new range takes one. */
static void test_full(void **state)
{
    (void)state;
    vgt_analyze_result *res = result_new();
    uint64_t want[VGT_ANALYZE_DAMAGED_MAX][2];
    for (uint64_t i = VGT_ANALYZE_DAMAGED_MAX; i-- > 0;) { /* backwards: each goes first */
        an_damaged_add(res, 10 * i + 10, 10 * i + 11);
    }
    for (uint64_t i = 0; i < VGT_ANALYZE_DAMAGED_MAX; i++) {
        want[i][0] = 10 * i + 10;
        want[i][1] = 10 * i + 11;
    }
    expect(res, (const uint64_t(*)[2])want, VGT_ANALYZE_DAMAGED_MAX, false);
    an_damaged_add(res, 0, 5);   /* before all, apart: no room */
    an_damaged_add(res, 15, 16); /* between the first two, apart: no room */
    expect(res, (const uint64_t(*)[2])want, VGT_ANALYZE_DAMAGED_MAX, true);
    an_damaged_add(res, 12, 12); /* touches the first: merges though full */
    want[0][1] = 12;
    expect(res, (const uint64_t(*)[2])want, VGT_ANALYZE_DAMAGED_MAX, true);
    an_damaged_add(res, 13, 29); /* bridges the first three ranges into one */
    want[0][1] = 31;
    memmove(&want[1], &want[3], (VGT_ANALYZE_DAMAGED_MAX - 3) * sizeof(want[0]));
    expect(res, (const uint64_t(*)[2])want, VGT_ANALYZE_DAMAGED_MAX - 2, true);
    an_damaged_add(res, 0, 5); /* room now: in its place, first */
    memmove(&want[1], &want[0], (VGT_ANALYZE_DAMAGED_MAX - 2) * sizeof(want[0]));
    want[0][0] = 0;
    want[0][1] = 5;
    expect(res, (const uint64_t(*)[2])want, VGT_ANALYZE_DAMAGED_MAX - 1, true);
    free(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_ends),
        cmocka_unit_test(test_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
