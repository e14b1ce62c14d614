/* test_rect_union.c - vgt_rect_union: a CLEAR's rect list as bands of
 * column runs and as disjoint rectangles, against a bitmap of the rects. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vgt_protocol.h"
#include "vgt_test_random.h"

/* What the callbacks saw: every pixel's count, and the rectangles. */
typedef struct seen {
    uint32_t w, h;
    uint8_t *hits;
    vgt_pixel_box boxes[4096];
    uint32_t nboxes, bands, band_spans;
} seen;

static void on_box(void *ctx, const vgt_pixel_box *b)
{
    seen *s = ctx;
    assert_true(b->x0 < b->x1 && b->x1 <= s->w && b->y0 < b->y1 && b->y1 <= s->h);
    for (uint32_t y = b->y0; y < b->y1; y++) {
        for (uint32_t x = b->x0; x < b->x1; x++) {
            s->hits[(size_t)y * s->w + x]++;
        }
    }
    if (s->nboxes < 4096) {
        s->boxes[s->nboxes] = *b;
    }
    s->nboxes++;
}

static void on_band(void *ctx, uint32_t y0, uint32_t y1, const vgt_pixel_span *spans,
                    uint32_t count)
{
    seen *s = ctx;
    assert_true(y0 < y1 && y1 <= s->h && count > 0);
    for (uint32_t k = 0; k < count; k++) {
        assert_true(spans[k].x0 < spans[k].x1 && spans[k].x1 <= s->w);
        if (k) {
            assert_true(spans[k].x0 > spans[k - 1].x1); /* sorted, not touching */
        }
        for (uint32_t y = y0; y < y1; y++) {
            for (uint32_t x = spans[k].x0; x < spans[k].x1; x++) {
                s->hits[(size_t)y * s->w + x]++;
            }
        }
    }
    s->bands++;
    s->band_spans += count;
}

typedef struct rect {
    int64_t x, y;
    uint32_t w, h;
} rect;

static void add_all(vgt_rect_union *u, const rect *r, uint32_t n, uint32_t w, uint32_t h)
{
    vgt_error err = {0};
    assert_int_equal(vgt_rect_union_begin(u, n, w, h, &err), VGT_OK);
    for (uint32_t i = 0; i < n; i++) {
        vgt_rect_union_add(u, r[i].x, r[i].y, r[i].w, r[i].h);
    }
}

static bool inside(const rect *r, uint32_t n, int64_t x, int64_t y)
{
    for (uint32_t i = 0; i < n; i++) {
        if (x >= r[i].x && x < r[i].x + (int64_t)r[i].w && y >= r[i].y &&
            y < r[i].y + (int64_t)r[i].h) {
            return true;
        }
    }
    return false;
}

/* Every pixel of the image hit once where a rect covers it, never elsewhere. */
static void check_hits(const seen *s, const rect *r, uint32_t n)
{
    for (uint32_t y = 0; y < s->h; y++) {
        for (uint32_t x = 0; x < s->w; x++) {
            uint32_t want = inside(r, n, x, y) ? 1 : 0, got = s->hits[(size_t)y * s->w + x];
            if (got != want) {
                fail_msg("pixel (%u,%u) written %u times, expected %u", x, y, got, want);
            }
        }
    }
}

static seen *seen_new(uint32_t w, uint32_t h)
{
    seen *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    s->w = w;
    s->h = h;
    s->hits = calloc((size_t)w * h, 1);
    assert_non_null(s->hits);
    return s;
}

static void seen_free(seen *s)
{
    free(s->hits);
    free(s);
}

/* Nested, duplicated and stacked rects with the same columns: one
 * rectangle; touching side by side: one run. */
static void test_one_rectangle(void **state)
{
    (void)state;
    static const rect r[] = {{4, 4, 20, 10}, {6, 6, 3, 3},    {4, 4, 20, 10},
                             {4, 14, 8, 7},  {12, 14, 12, 7}, {10, 21, 14, 0}};
    vgt_rect_union u = {0};
    seen *s = seen_new(40, 30);
    add_all(&u, r, 6, 40, 30);
    assert_int_equal(u.count, 5); /* the empty one left out */
    assert_int_equal(vgt_rect_union_boxes(&u, on_box, s), 1);
    assert_int_equal(s->nboxes, 1);
    assert_int_equal(s->boxes[0].x0, 4);
    assert_int_equal(s->boxes[0].y0, 4);
    assert_int_equal(s->boxes[0].x1, 24);
    assert_int_equal(s->boxes[0].y1, 21);
    check_hits(s, r, 6);
    /* the bands: split where a rect starts or ends (rows 4, 6, 9, 14..21) */
    memset(s->hits, 0, 40 * 30);
    vgt_rect_union_bands(&u, on_band, s);
    assert_int_equal(s->bands, 4);
    assert_int_equal(s->band_spans, 4);
    check_hits(s, r, 6);
    seen_free(s);
    vgt_rect_union_free(&u);
}

/* The same columns above and below rows no rect covers: two rectangles,
 * the rows between left alone. */
static void test_gap_between_bands(void **state)
{
    (void)state;
    static const rect r[] = {{3, 1, 5, 2}, {3, 6, 5, 3}};
    vgt_rect_union u = {0};
    seen *s = seen_new(10, 10);
    add_all(&u, r, 2, 10, 10);
    assert_int_equal(vgt_rect_union_boxes(&u, on_box, s), 2);
    assert_int_equal(s->boxes[0].y1, 3);
    assert_int_equal(s->boxes[1].y0, 6);
    check_hits(s, r, 2);
    seen_free(s);
    vgt_rect_union_free(&u);
}

/* Rects clipped to the image, negative, past the edges or empty; no rect
 * (or none inside): no callback; more rects than begun for: ignored. */
static void test_clip_and_empty(void **state)
{
    (void)state;
    static const rect r[] = {{-5, -5, 8, 8},     {INT32_MIN, 10, UINT32_MAX, 1},
                             {15, 15, 100, 100}, {30, 0, 5, 5},
                             {0, 40, 5, 5},      {3, 3, 0, 5}};
    vgt_rect_union u = {0};
    seen *s = seen_new(20, 20);
    add_all(&u, r, 6, 20, 20);
    assert_int_equal(u.count, 3);
    uint64_t n = vgt_rect_union_boxes(&u, on_box, s);
    assert_int_equal(n, 3); /* (0,0)-(3,3), row 10, (15,15)-(20,20) */
    check_hits(s, r, 6);

    vgt_error err = {0};
    assert_int_equal(vgt_rect_union_begin(&u, 2, 20, 20, &err), VGT_OK);
    assert_int_equal(u.cap, 6); /* the scratch kept */
    vgt_rect_union_add(&u, 30, 30, 5, 5);
    vgt_rect_union_add(&u, 0, 0, 0, 0);
    s->nboxes = 0;
    assert_int_equal(vgt_rect_union_boxes(&u, on_box, s), 0);
    vgt_rect_union_bands(&u, on_band, s);
    assert_int_equal(s->nboxes, 0);
    assert_int_equal(s->bands, 0);
    vgt_rect_union_free(&u);

    /* begun for 2: a third rect is not stored past the scratch */
    assert_int_equal(vgt_rect_union_begin(&u, 2, 20, 20, &err), VGT_OK);
    for (int i = 0; i < 3; i++) {
        vgt_rect_union_add(&u, i * 5, 0, 2, 2);
    }
    assert_int_equal(u.count, 2);
    vgt_rect_union_free(&u);
    assert_null(u.scratch);
    seen_free(s);
}

/* The union's worst shape, a grid of 1-pixel bars: the odd rows are
 * bands of one-pixel runs, none merged down (whole rows between). */
static void test_grid(void **state)
{
    (void)state;
    rect r[64];
    for (uint32_t i = 0; i < 32; i++) {
        r[2 * i] = (rect){2 * i, 0, 1, 64};
        r[2 * i + 1] = (rect){0, 2 * i, 64, 1};
    }
    vgt_rect_union u = {0};
    seen *s = seen_new(64, 64);
    add_all(&u, r, 64, 64, 64);
    assert_int_equal(vgt_rect_union_boxes(&u, on_box, s), 32 * 32 + 32);
    check_hits(s, r, 64);
    seen_free(s);
    vgt_rect_union_free(&u);
}

/* Pseudo-random rects: each pixel of the union once, as rectangles and as
 * bands; no two rectangles that one would be (same columns, one right
 * below the other); at most one rectangle per band run. */
static void test_random(void **state)
{
    (void)state;
    enum { N = 400, W = 97, H = 83 };
    rect r[N];
    rng g = {99};
    vgt_rect_union u = {0};
    for (int round = 0; round < 4; round++) {
        uint32_t n = round == 0 ? 1 : round == 1 ? 17 : N;
        uint32_t size = round == 3 ? 40 : 14;
        for (uint32_t i = 0; i < n; i++) {
            int64_t x = (int64_t)rn(&g, W + 20) - 10, y = (int64_t)rn(&g, H + 20) - 10;
            uint32_t w = rn(&g, size);
            r[i] = (rect){x, y, w, rn(&g, size)};
        }
        seen *s = seen_new(W, H);
        add_all(&u, r, n, W, H);
        uint64_t boxes = vgt_rect_union_boxes(&u, on_box, s);
        assert_int_equal(boxes, s->nboxes);
        check_hits(s, r, n);
        for (uint32_t i = 0; i < s->nboxes && i < 4096; i++) {
            for (uint32_t j = 0; j < s->nboxes && j < 4096; j++) {
                const vgt_pixel_box *a = &s->boxes[i], *b = &s->boxes[j];
                if (a->x0 == b->x0 && a->x1 == b->x1 && a->y1 == b->y0) {
                    fail_msg("round %d: rectangles %u and %u stacked, not merged", round, i, j);
                }
            }
        }
        memset(s->hits, 0, (size_t)W * H);
        vgt_rect_union_bands(&u, on_band, s);
        check_hits(s, r, n);
        assert_true(s->bands <= 2 * n);
        assert_true(boxes <= s->band_spans);
        seen_free(s);
    }
    vgt_rect_union_free(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_rectangle),  cmocka_unit_test(test_gap_between_bands),
        cmocka_unit_test(test_clip_and_empty), cmocka_unit_test(test_grid),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
