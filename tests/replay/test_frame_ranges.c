/* vgt diff's damaged frames (replay/frame_ranges.c): ranges that arrive out
 * of order or overlapping are merged into a sorted disjoint list, the ends
 * near 0 and UINT64_MAX without a wrap, and a look-up by binary search
 * answers as a scan of a plain bitmap does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "frame_ranges.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t (*r)[2];
    size_t n, cap;
} ranges;

static void add(ranges *x, uint64_t lo, uint64_t hi)
{
    assert_true(vgt_frame_ranges_add(&x->r, &x->n, &x->cap, lo, hi));
}

/* x holds exactly the k ranges of want (pairs). */
static void expect(const ranges *x, const uint64_t *want, size_t k)
{
    assert_int_equal(x->n, k);
    for (size_t i = 0; i < k; i++) {
        assert_int_equal(x->r[i][0], want[2 * i]);
        assert_int_equal(x->r[i][1], want[2 * i + 1]);
    }
}

static bool has(const ranges *x, uint64_t f)
{
    return vgt_frame_ranges_has((const uint64_t(*)[2])x->r, x->n, f);
}

static void test_out_of_order_merged(void **state)
{
    (void)state;
    ranges x = {0};
    assert_false(has(&x, 0));
    add(&x, 10, 20);
    add(&x, 30, 40);
    add(&x, 0, 2); /* before both */
    expect(&x, (const uint64_t[]){0, 2, 10, 20, 30, 40}, 3);
    add(&x, 25, 26); /* between */
    add(&x, 21, 24); /* touches [10, 20] and [25, 26]: the three are one */
    expect(&x, (const uint64_t[]){0, 2, 10, 26, 30, 40}, 3);
    add(&x, 35, 50); /* overlaps the last */
    add(&x, 3, 3);   /* touches the first */
    expect(&x, (const uint64_t[]){0, 3, 10, 26, 30, 50}, 3);
    /* inside, at the edges, between, past the end */
    assert_true(has(&x, 0));
    assert_true(has(&x, 3));
    assert_false(has(&x, 4));
    assert_false(has(&x, 9));
    assert_true(has(&x, 10));
    assert_true(has(&x, 17));
    assert_true(has(&x, 26));
    assert_false(has(&x, 27));
    assert_false(has(&x, 29));
    assert_true(has(&x, 30));
    assert_true(has(&x, 50));
    assert_false(has(&x, 51));
    assert_false(has(&x, UINT64_MAX));
    add(&x, 5, 100); /* swallows two, not adjacent to [0, 3] */
    expect(&x, (const uint64_t[]){0, 3, 5, 100}, 2);
    add(&x, 12, 13); /* inside: nothing changes */
    expect(&x, (const uint64_t[]){0, 3, 5, 100}, 2);
    add(&x, 4, 4); /* fills the hole */
    expect(&x, (const uint64_t[]){0, 100}, 1);
    free(x.r);
}

static void test_ends_without_wrap(void **state)
{
    (void)state;
    ranges x = {0};
    add(&x, UINT64_MAX - 1u, UINT64_MAX);
    add(&x, 7, 7);
    expect(&x, (const uint64_t[]){7, 7, UINT64_MAX - 1u, UINT64_MAX}, 2);
    assert_true(has(&x, UINT64_MAX));
    assert_true(has(&x, UINT64_MAX - 1u));
    assert_false(has(&x, UINT64_MAX - 2u));
    assert_false(has(&x, 8));
    add(&x, UINT64_MAX - 5u, UINT64_MAX - 2u); /* touches the last */
    expect(&x, (const uint64_t[]){7, 7, UINT64_MAX - 5u, UINT64_MAX}, 2);
    add(&x, 9, UINT64_MAX); /* after [7, 7], not touching it */
    expect(&x, (const uint64_t[]){7, 7, 9, UINT64_MAX}, 2);
    add(&x, 0, 0);
    expect(&x, (const uint64_t[]){0, 0, 7, 7, 9, UINT64_MAX}, 3);
    assert_true(has(&x, 0));
    assert_false(has(&x, 1));
    assert_false(has(&x, 8));
    add(&x, 1, 8);
    expect(&x, (const uint64_t[]){0, UINT64_MAX}, 1);
    assert_true(has(&x, 12345));
    free(x.r);
}

/* Many ranges, most in increasing order and some anywhere (as a hostile
 * trace can send them), against a bitmap of the frames. */
#define SPAN 40000u
static void test_many_against_brute_force(void **state)
{
    (void)state;
    static bool bit[SPAN + 3];
    memset(bit, 0, sizeof(bit));
    ranges x = {0};
    uint32_t seed = 12345u;
    uint64_t at = 0;
    for (int k = 0; k < 12000; k++) {
        seed = seed * 1103515245u + 12345u;
        uint64_t lo, len = (seed >> 16) % 4u;
        if ((seed >> 8) % 5u == 0) {
            lo = (seed >> 12) % (SPAN - 8u); /* anywhere */
        } else {
            at += 1u + (seed >> 20) % 4u; /* forward: gaps of 0..2 frames */
            lo = at % (SPAN - 8u);
        }
        add(&x, lo, lo + len);
        for (uint64_t f = lo; f <= lo + len; f++) {
            bit[f] = true;
        }
    }
    /* the list is exactly the bitmap's runs, and every look-up agrees */
    size_t i = 0;
    for (uint64_t f = 0; f <= SPAN + 1u; f++) {
        assert_int_equal(has(&x, f), bit[f]);
        if (bit[f] && (f == 0 || !bit[f - 1])) {
            assert_true(i < x.n);
            assert_int_equal(x.r[i][0], f);
        }
        if (bit[f] && !bit[f + 1]) {
            assert_int_equal(x.r[i++][1], f);
        }
    }
    assert_int_equal(i, x.n);
    assert_true(x.n > 100); /* many ranges, not one */
    assert_true(x.cap >= x.n);
    free(x.r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_out_of_order_merged),
        cmocka_unit_test(test_ends_without_wrap),
        cmocka_unit_test(test_many_against_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
