/* problem.c - integrity problems: comparing them, a set that keeps each
 * once (the reader's and vgt trim's), and the one "N chunks skipped" count
 * every verb says (docs/format.md, "Skipped chunks"). */
#include "format_internal.h"
#include "vgt_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* p's message, "" for none (a problem built without one). */
static const char *message_of(const vgt_trace_problem *p)
{
    return p->message ? p->message : "";
}

/* The bytes of p's message that are kept: at most
 * VGT_TRACE_PROBLEM_MESSAGE_MAX - 1 (what a set, a copy and the compare
 * see alike, so that a message cut where it is stored is the same problem
 * as the one it was cut from). */
static size_t kept_length(const vgt_trace_problem *p)
{
    return strnlen(message_of(p), VGT_TRACE_PROBLEM_MESSAGE_MAX - 1u);
}

bool vgt_trace_problem_same(const vgt_trace_problem *a, const vgt_trace_problem *b)
{
    size_t n = kept_length(a);
    return a->code == b->code && a->chunk == b->chunk && a->offset == b->offset &&
           n == kept_length(b) && memcmp(message_of(a), message_of(b), n) == 0;
}

uint64_t vgt_trace_problem_hash(const vgt_trace_problem *p)
{
    uint64_t h = vgt_trace_hash64(message_of(p), kept_length(p));
    h ^= (uint64_t)(uint32_t)p->code * 0x9E3779B97F4A7C15ull;
    h ^= p->chunk * 0xC2B2AE3D27D4EB4Full + (h >> 29);
    h ^= p->offset * 0x165667B19E3779F9ull + (h >> 31);
    return h ^ (h >> 32);
}

void vgt_trace_problem_copy_set(vgt_trace_problem_copy *c, const vgt_trace_problem *p)
{
    size_t n = kept_length(p);
    c->problem = *p;
    c->problem.message = NULL;
    memcpy(c->message, message_of(p), n);
    c->message[n] = '\0';
}

vgt_trace_problem vgt_trace_problem_copy_view(const vgt_trace_problem_copy *c)
{
    vgt_trace_problem p = c->problem;
    p.message = c->message;
    return p;
}

/* ---- message storage --------------------------------------------------- */

/* One block of messages; blocks are never moved or grown, so a message
 * stays where it was put (pointers the verbs hold stay valid). */
struct vgt_trace_problem_text_block {
    struct vgt_trace_problem_text_block *prev;
    size_t size, used; /* bytes of text[] */
    char text[];
};

/* Block sizes: the first 4 KiB (a trace with a problem or two costs
 * little), then doubling to 1 MiB (a block's end wastes at most one
 * message's room); a block asked for more room is as big as asked. */
#define TEXT_BLOCK_MIN (4u << 10)
#define TEXT_BLOCK_MAX (1u << 20)

vgt_status vgt_trace_problem_text_reserve(vgt_trace_problem_text *t, size_t n)
{
    if (t->last && t->last->size - t->last->used >= n) {
        return VGT_OK;
    }
    size_t size = t->last ? t->last->size : TEXT_BLOCK_MIN / 2u;
    size = size < TEXT_BLOCK_MAX / 2u ? size * 2u : TEXT_BLOCK_MAX;
    size = size < n ? n : size;
    struct vgt_trace_problem_text_block *b =
        size <= SIZE_MAX - sizeof(*b) ? malloc(sizeof(*b) + size) : NULL;
    if (!b) {
        return VGT_E_NOMEM;
    }
    b->prev = t->last;
    b->size = size;
    b->used = 0;
    t->last = b;
    t->bytes += sizeof(*b) + size;
    return VGT_OK;
}

const char *vgt_trace_problem_text_put(vgt_trace_problem_text *t, const vgt_trace_problem *p)
{
    size_t n = kept_length(p);
    if (vgt_trace_problem_text_reserve(t, n + 1u) != VGT_OK) {
        return NULL;
    }
    char *at = t->last->text + t->last->used;
    memcpy(at, message_of(p), n);
    at[n] = '\0';
    t->last->used += n + 1u;
    return at;
}

void vgt_trace_problem_text_free(vgt_trace_problem_text *t)
{
    while (t->last) {
        struct vgt_trace_problem_text_block *prev = t->last->prev;
        free(t->last);
        t->last = prev;
    }
    t->bytes = 0;
}

/* The index of a problem of all[] added to x that is the same as p, or
 * SIZE_MAX when there is none. */
static size_t index_find(const vgt_trace_problem_index *x, const vgt_trace_problem *all,
                         const vgt_trace_problem *p)
{
    if (x->cap == 0) {
        return SIZE_MAX;
    }
    size_t mask = x->cap - 1;
    for (size_t s = (size_t)vgt_trace_problem_hash(p) & mask; x->slots[s] != 0;
         s = (s + 1) & mask) {
        if (vgt_trace_problem_same(&all[x->slots[s] - 1], p)) {
            return x->slots[s] - 1;
        }
    }
    return SIZE_MAX;
}

/* Puts index i (of all) into the first free slot of its probe sequence. */
static void index_put(size_t *slots, size_t cap, const vgt_trace_problem *all, size_t i)
{
    size_t s = (size_t)vgt_trace_problem_hash(&all[i]) & (cap - 1);
    while (slots[s] != 0) {
        s = (s + 1) & (cap - 1);
    }
    slots[s] = i + 1;
}

/* Makes x's slots hold at least `want` indices at most half full (a power
 * of two, 64 at least), placing its indices (of all) again; VGT_E_NOMEM
 * (x unchanged) when it has no memory to grow. */
static vgt_status index_grow(vgt_trace_problem_index *x, const vgt_trace_problem *all, size_t want)
{
    size_t ncap = x->cap ? x->cap : 64u;
    while (ncap / 2u < want && ncap <= SIZE_MAX / 2u) {
        ncap *= 2u;
    }
    if (ncap == x->cap) {
        return VGT_OK;
    }
    size_t *n =
        ncap / 2u >= want && ncap <= SIZE_MAX / sizeof(*n) ? calloc(ncap, sizeof(*n)) : NULL;
    if (!n) {
        return VGT_E_NOMEM;
    }
    for (size_t s = 0; s < x->cap; s++) {
        if (x->slots[s] != 0) {
            index_put(n, ncap, all, x->slots[s] - 1);
        }
    }
    free(x->slots);
    x->slots = n;
    x->cap = ncap;
    return VGT_OK;
}

/* Adds all[i] to x; VGT_E_NOMEM (x unchanged) when it has no memory to grow. */
static vgt_status index_add(vgt_trace_problem_index *x, const vgt_trace_problem *all, size_t i)
{
    /* slots hold i + 1; at most half full: probe sequences stay short */
    if (i == SIZE_MAX || x->count == SIZE_MAX || index_grow(x, all, x->count + 1u) != VGT_OK) {
        return VGT_E_NOMEM;
    }
    index_put(x->slots, x->cap, all, i);
    x->count++;
    return VGT_OK;
}

const char *vgt_trace_problem_detail(const vgt_trace_problem *p)
{
    char prefix[64];
    int n = snprintf(prefix, sizeof(prefix),
                     "chunk %llu at offset %llu: ", (unsigned long long)p->chunk,
                     (unsigned long long)p->offset);
    if (n > 0 && (size_t)n < sizeof(prefix) && strncmp(p->message, prefix, (size_t)n) == 0) {
        return p->message + n;
    }
    return p->message;
}

/* Orders lost chunk-id ranges by their first id. */
static int range_cmp(const void *a, const void *b)
{
    uint64_t x = ((const uint64_t *)a)[0], y = ((const uint64_t *)b)[0];
    return x < y ? -1 : x > y;
}

/* [*lo, *hi): the chunk ids below reach problem p lost; false when none. */
static bool lost_range(const vgt_trace_problem *p, uint64_t reach, uint64_t *lo, uint64_t *hi)
{
    if (p->chunk == UINT64_MAX || p->chunks == 0 || p->chunk >= reach) {
        return false;
    }
    uint64_t end;
    if (vgt_add_overflow_u64(p->chunk, p->chunks, &end) || end > reach) {
        end = reach;
    }
    *lo = p->chunk;
    *hi = end;
    return true;
}

/* The union of the problems' lost ranges below reach, range by range: the
 * next id not counted yet, then as far as the ranges go on from it.  No
 * memory, O(n) per run of adjacent ids: for a few problems, or without
 * memory for sorting. */
static uint64_t chunks_skipped_sweep(const vgt_trace_problem *problems, size_t n, uint64_t reach)
{
    uint64_t total = 0, covered = 0, lo, hi;
    for (;;) {
        uint64_t start = UINT64_MAX;
        for (size_t i = 0; i < n; i++) {
            /* (a range that reaches past covered starts past it too: the
             * run before ended where no range went on) */
            if (lost_range(&problems[i], reach, &lo, &hi) && hi > covered) {
                start = lo < start ? lo : start;
            }
        }
        if (start == UINT64_MAX) {
            return total;
        }
        uint64_t end = start;
        for (bool grew = true; grew;) {
            grew = false;
            for (size_t i = 0; i < n; i++) {
                if (lost_range(&problems[i], reach, &lo, &hi) && lo <= end && hi > end) {
                    end = hi;
                    grew = true;
                }
            }
        }
        total += end - start;
        covered = end;
    }
}

/* Up to this many problems the sweep counts them (no allocation); more
 * are sorted (a hostile trace can hold a problem per chunk). */
#define CHUNKS_SWEEP_MAX 64u

uint64_t vgt_trace_chunks_skipped(const vgt_trace_problem *problems, size_t n, uint64_t reach)
{
    uint64_t(*ranges)[2] = n > CHUNKS_SWEEP_MAX ? malloc(n * sizeof(*ranges)) : NULL;
    if (!ranges) {
        return chunks_skipped_sweep(problems, n, reach);
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        k += lost_range(&problems[i], reach, &ranges[k][0], &ranges[k][1]);
    }
    qsort(ranges, k, sizeof(*ranges), range_cmp);
    uint64_t total = 0, covered = 0; /* the ids below covered are counted */
    for (size_t i = 0; i < k; i++) {
        uint64_t lo = ranges[i][0] > covered ? ranges[i][0] : covered;
        if (ranges[i][1] > lo) {
            total += ranges[i][1] - lo;
            covered = ranges[i][1];
        }
    }
    free(ranges);
    return total;
}

/* ---- the set ----------------------------------------------------------- */

/* Grows s's array to hold at least n problems and its index to hold them
 * at most half full (doubling: a hostile trace holds one per chunk). */
static vgt_status set_grow(vgt_trace_problem_set *s, size_t n)
{
    if (n > s->cap) {
        size_t ncap = s->cap ? s->cap : 8u;
        while (ncap < n && ncap <= SIZE_MAX / 2u) {
            ncap *= 2u;
        }
        if (ncap < n || ncap > SIZE_MAX / sizeof(*s->items)) {
            return VGT_E_NOMEM;
        }
        vgt_trace_problem *items = realloc(s->items, ncap * sizeof(*items));
        if (!items) {
            return VGT_E_NOMEM;
        }
        s->items = items;
        s->cap = ncap;
    }
    return VGT_OK;
}

vgt_status vgt_trace_problem_set_reserve(vgt_trace_problem_set *s, size_t n)
{
    vgt_status st = set_grow(s, n);
    if (st == VGT_OK) {
        st = index_grow(&s->index, s->items, n);
    }
    /* room for the messages of the problems up to n, each the longest kept */
    size_t more = n > s->count ? n - s->count : 0;
    if (st == VGT_OK && more > 0) {
        st = more <= SIZE_MAX / VGT_TRACE_PROBLEM_MESSAGE_MAX
                 ? vgt_trace_problem_text_reserve(&s->text, more * VGT_TRACE_PROBLEM_MESSAGE_MAX)
                 : VGT_E_NOMEM;
    }
    return st;
}

vgt_status vgt_trace_problem_set_add(vgt_trace_problem_set *s, const vgt_trace_problem *p,
                                     bool *added)
{
    if (added) {
        *added = false;
    }
    if (index_find(&s->index, s->items, p) != SIZE_MAX) {
        return VGT_OK;
    }
    if (s->count == SIZE_MAX || set_grow(s, s->count + 1u) != VGT_OK) {
        return VGT_E_NOMEM;
    }
    const char *message = vgt_trace_problem_text_put(&s->text, p);
    if (!message) {
        return VGT_E_NOMEM;
    }
    s->items[s->count] = *p;
    s->items[s->count].message = message;
    if (index_add(&s->index, s->items, s->count) != VGT_OK) {
        return VGT_E_NOMEM; /* as without room in the array: not added */
    }
    s->count++;
    if (added) {
        *added = true;
    }
    return VGT_OK;
}

size_t vgt_trace_problem_set_count(const vgt_trace_problem_set *s)
{
    return s->count;
}

const vgt_trace_problem *vgt_trace_problem_set_get(const vgt_trace_problem_set *s, size_t i)
{
    return i < s->count ? &s->items[i] : NULL;
}

vgt_status vgt_trace_problem_set_replace(vgt_trace_problem_set *s, size_t i,
                                         const vgt_trace_problem *p)
{
    if (i >= s->count) {
        return VGT_OK;
    }
    /* (the old message stays in its block, unused: a replace is rare) */
    const char *message = vgt_trace_problem_text_put(&s->text, p);
    if (!message) {
        return VGT_E_NOMEM;
    }
    s->items[i] = *p;
    s->items[i].message = message;
    /* its slot was placed by the old problem's hash: place every one again
     * (the index keeps its size, so this needs no memory) */
    if (s->index.cap > 0) {
        memset(s->index.slots, 0, s->index.cap * sizeof(*s->index.slots));
        for (size_t k = 0; k < s->count; k++) {
            index_put(s->index.slots, s->index.cap, s->items, k);
        }
    }
    return VGT_OK;
}

size_t vgt_trace_problem_set_bytes(const vgt_trace_problem_set *s)
{
    return s->cap * sizeof(*s->items) + s->index.cap * sizeof(*s->index.slots) + s->text.bytes;
}

uint64_t vgt_trace_problem_set_chunks_skipped(const vgt_trace_problem_set *s, uint64_t reach)
{
    return vgt_trace_chunks_skipped(s->items, s->count, reach);
}

void vgt_trace_problem_set_free(vgt_trace_problem_set *s)
{
    free(s->items);
    free(s->index.slots);
    vgt_trace_problem_text_free(&s->text);
    memset(s, 0, sizeof(*s));
}
