/* rect_union.c - a CLEAR's rect list as its union: the bands of rows and
 * their column runs (a sweep down the rows), or disjoint rectangles (the
 * bands' runs merged down the rows).  The soft backend fills the bands, the
 * gl backend clears or draws the rectangles; both write each pixel of the
 * union once, whatever the rects' overlaps (docs/security.md). */
#include <stdlib.h>
#include <string.h>

#include "vgt_protocol.h"

/* A run of the rectangle list being merged: columns x0..x1-1 from row y0
 * down to the end of the last band that had it. */
typedef struct open_run {
    uint32_t x0, x1, y0;
} open_run;

/* The scratch a rect: its box, its index in the two lists of covering
 * boxes, a band's span and two lists of open runs (bounded by the
 * command's rects, never by the image). */
#define RECT_SCRATCH                                                                               \
    (sizeof(vgt_pixel_box) + 2 * sizeof(uint32_t) + sizeof(vgt_pixel_span) + 2 * sizeof(open_run))

vgt_status vgt_rect_union_begin(vgt_rect_union *u, uint32_t n, uint32_t w, uint32_t h,
                                vgt_error *err)
{
    u->count = 0;
    u->w = w;
    u->h = h;
    if (n <= u->cap) {
        return VGT_OK;
    }
    size_t bytes;
    if (vgt_mul_overflow_size(n, RECT_SCRATCH, &bytes)) {
        return vgt_error_set(err, VGT_E_RANGE, "clear: %u rects overflow the scratch size", n);
    }
    void *p = realloc(u->scratch, bytes);
    if (!p) {
        return vgt_error_set(err, VGT_E_NOMEM, "clear: no memory for the scratch of %u rects", n);
    }
    u->scratch = p;
    u->cap = n;
    return VGT_OK;
}

void vgt_rect_union_add(vgt_rect_union *u, int64_t x, int64_t y, uint32_t w, uint32_t h)
{
    int64_t x1 = x + (int64_t)w, y1 = y + (int64_t)h;
    x = x < 0 ? 0 : x;
    y = y < 0 ? 0 : y;
    x1 = x1 > u->w ? u->w : x1;
    y1 = y1 > u->h ? u->h : y1;
    if (x >= x1 || y >= y1 || u->count >= u->cap) {
        return;
    }
    vgt_pixel_box *box = u->scratch;
    box[u->count++] = (vgt_pixel_box){(uint32_t)x, (uint32_t)y, (uint32_t)x1, (uint32_t)y1};
}

void vgt_rect_union_free(vgt_rect_union *u)
{
    free(u->scratch);
    memset(u, 0, sizeof(*u));
}

static int box_top_left_cmp(const void *a, const void *b)
{
    const vgt_pixel_box *p = a, *q = b;
    if (p->y0 != q->y0) {
        return p->y0 < q->y0 ? -1 : 1;
    }
    return p->x0 < q->x0 ? -1 : p->x0 > q->x0;
}

/* A sweep down the rows with the list of boxes covering the current row,
 * kept sorted by left edge. A band ends where a box ends or another
 * starts, so there are at most 2n bands (and at most h), each merging its
 * boxes in one pass: O(n log n + bands * boxes + what fn does). */
void vgt_rect_union_bands(vgt_rect_union *u, vgt_rect_band_fn fn, void *ctx)
{
    uint32_t n = u->cap, m = u->count;
    vgt_pixel_box *box = u->scratch;
    if (m == 0) {
        return;
    }
    uint32_t *active = (uint32_t *)(void *)(box + n), *merging = active + n;
    vgt_pixel_span *spans = (vgt_pixel_span *)(void *)(merging + n);
    vgt_sort(box, m, sizeof(*box), box_top_left_cmp);
    uint32_t next = 0, nact = 0, y = 0;
    while (next < m || nact > 0) {
        if (nact == 0) {
            y = box[next].y0; /* rows no box covers: skipped */
        }
        /* the boxes still covering row y merged with those starting there
         * (a run of `box`, sorted by x0), into a list sorted by x0 */
        uint32_t end = next, count = 0, a = 0;
        while (end < m && box[end].y0 == y) {
            end++;
        }
        for (uint32_t b = next; a < nact || b < end;) {
            if (a < nact && box[active[a]].y1 <= y) {
                a++; /* ended above row y */
            } else if (b == end || (a < nact && box[active[a]].x0 <= box[b].x0)) {
                merging[count++] = active[a++];
            } else {
                merging[count++] = b++;
            }
        }
        uint32_t *swap = active;
        active = merging;
        merging = swap;
        nact = count;
        next = end;
        if (nact == 0) {
            continue;
        }
        /* the band: down to where a box ends or the next one starts; its
         * spans: the boxes' columns, overlapping or touching ones merged */
        uint32_t y1 = next < m ? box[next].y0 : u->h, nspans = 0;
        for (uint32_t i = 0; i < nact; i++) {
            const vgt_pixel_box *b = &box[active[i]];
            y1 = b->y1 < y1 ? b->y1 : y1;
            if (nspans && b->x0 <= spans[nspans - 1].x1) {
                if (b->x1 > spans[nspans - 1].x1) {
                    spans[nspans - 1].x1 = b->x1;
                }
            } else {
                spans[nspans++] = (vgt_pixel_span){b->x0, b->x1};
            }
        }
        fn(ctx, y, y1, spans, nspans);
        y = y1;
    }
}

/* The runs of the bands merged down the rows: a band's span continues an
 * open run of the band right above with the same columns, else the run
 * is closed (given to fn) and the span opens one. */
typedef struct box_merge {
    open_run *open, *next; /* sorted by x0 */
    uint32_t nopen, y1;    /* the open runs end at row y1 - 1 */
    vgt_rect_box_fn fn;
    void *ctx;
    uint64_t boxes;
} box_merge;

static void close_run(box_merge *m, const open_run *r)
{
    vgt_pixel_box b = {r->x0, r->y0, r->x1, m->y1};
    m->fn(m->ctx, &b);
    m->boxes++;
}

static void merge_band(void *ctx, uint32_t y0, uint32_t y1, const vgt_pixel_span *spans,
                       uint32_t count)
{
    box_merge *m = ctx;
    uint32_t i = 0, j = 0, n = 0;
    if (y0 != m->y1) {
        for (; i < m->nopen; i++) {
            close_run(m, &m->open[i]); /* rows between: nothing continues */
        }
    }
    while (i < m->nopen || j < count) {
        if (j == count || (i < m->nopen && m->open[i].x0 < spans[j].x0)) {
            close_run(m, &m->open[i++]);
        } else if (i == m->nopen || spans[j].x0 < m->open[i].x0) {
            m->next[n++] = (open_run){spans[j].x0, spans[j].x1, y0};
            j++;
        } else if (m->open[i].x1 == spans[j].x1) {
            m->next[n++] = m->open[i++]; /* the same columns: it goes on */
            j++;
        } else {
            close_run(m, &m->open[i++]);
            m->next[n++] = (open_run){spans[j].x0, spans[j].x1, y0};
            j++;
        }
    }
    open_run *swap = m->open;
    m->open = m->next;
    m->next = swap;
    m->nopen = n;
    m->y1 = y1;
}

uint64_t vgt_rect_union_boxes(vgt_rect_union *u, vgt_rect_box_fn fn, void *ctx)
{
    if (u->count == 0) {
        return 0;
    }
    uint32_t n = u->cap;
    /* the open runs after the bands' scratch; a band has at most n spans */
    size_t at = (size_t)n * (sizeof(vgt_pixel_box) + 2 * sizeof(uint32_t) + sizeof(vgt_pixel_span));
    open_run *runs = (open_run *)(void *)((uint8_t *)u->scratch + at);
    box_merge m = {.open = runs, .next = runs + n, .fn = fn, .ctx = ctx};
    vgt_rect_union_bands(u, merge_band, &m);
    for (uint32_t i = 0; i < m.nopen; i++) {
        close_run(&m, &m.open[i]);
    }
    return m.boxes;
}
