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

/* ---- skipped chunks ---------------------------------------------------- */

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

/* Problem i of a list of problems (an array, or a set's whole and compact
 * ones) into *out: the one walk the count below makes over either. */
typedef bool (*problem_at_fn)(const void *from, size_t i, vgt_trace_problem *out);

static bool array_at(const void *from, size_t i, vgt_trace_problem *out)
{
    *out = ((const vgt_trace_problem *)from)[i];
    return true;
}

static bool set_at(const void *from, size_t i, vgt_trace_problem *out)
{
    return vgt_trace_problem_set_brief(from, i, out);
}

/* lost_range of problem i of from. */
static bool lost_range_at(const void *from, problem_at_fn at, size_t i, uint64_t reach,
                          uint64_t *lo, uint64_t *hi)
{
    vgt_trace_problem p;
    return at(from, i, &p) && lost_range(&p, reach, lo, hi);
}

/* The union of the problems' lost ranges below reach, range by range: the
 * next id not counted yet, then as far as the ranges go on from it.  No
 * memory, O(n) per run of adjacent ids: for a few problems, or without
 * memory for sorting. */
static uint64_t chunks_skipped_sweep(const void *from, problem_at_fn at, size_t n, uint64_t reach)
{
    uint64_t total = 0, covered = 0, lo, hi;
    for (;;) {
        uint64_t start = UINT64_MAX;
        for (size_t i = 0; i < n; i++) {
            /* (a range that reaches past covered starts past it too: the
             * run before ended where no range went on) */
            if (lost_range_at(from, at, i, reach, &lo, &hi) && hi > covered) {
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
                if (lost_range_at(from, at, i, reach, &lo, &hi) && lo <= end && hi > end) {
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

/* vgt_trace_chunks_skipped of the n problems of from. */
static uint64_t chunks_skipped_of(const void *from, problem_at_fn at, size_t n, uint64_t reach)
{
    uint64_t(*ranges)[2] = n > CHUNKS_SWEEP_MAX && n <= SIZE_MAX / sizeof(*ranges)
                               ? malloc(n * sizeof(*ranges))
                               : NULL;
    if (!ranges) {
        return chunks_skipped_sweep(from, at, n, reach);
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        k += lost_range_at(from, at, i, reach, &ranges[k][0], &ranges[k][1]);
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

uint64_t vgt_trace_chunks_skipped(const vgt_trace_problem *problems, size_t n, uint64_t reach)
{
    return chunks_skipped_of(problems, array_at, n, reach);
}

/* ---- the set ----------------------------------------------------------- */

/* A problem past the set's limit, kept compact: no message, and of the
 * rest what tells it apart and what it lost.  tag: the problem's hash
 * (vgt_trace_problem_hash, over its message too) with its low 12 bits
 * replaced by `read` (TAG_READ) and -code (TAG_CODE).  32 bytes, where a
 * problem kept whole costs 40, its message (~65-80 bytes for a damaged
 * chunk) and the message's block. */
struct vgt_trace_problem_brief {
    uint64_t chunk, offset, chunks, tag;
};
#define TAG_BITS  12u
#define TAG_READ  0x800ull
#define TAG_CODE  0x7FFull
#define TAG_FLAGS 0xFFFull
/* compact problems a block holds (128 KiB): a block is never moved or
 * grown, so the set's memory past its limit grows by one block at a
 * time, not by doubling an array */
#define BRIEF_BLOCK 4096u
/* the most problems a set holds: its index slots hold 1 + an index in 32
 * bits (a trace with more damaged chunks is ~400 GB; those past it are
 * counted as not recorded) */
#define SET_MAX (UINT32_MAX - 1u)

/* The most problems s keeps whole. */
static size_t set_limit(const vgt_trace_problem_set *s)
{
    return s->listed ? s->listed : VGT_TRACE_PROBLEMS_LISTED;
}

/* p's compact form; h: vgt_trace_problem_hash(p). */
static struct vgt_trace_problem_brief brief_of(const vgt_trace_problem *p, uint64_t h)
{
    /* every problem's code is a VGT_E_* (small, negative); another one
     * (never met) is kept as VGT_E_FORMAT, a damaged trace all the same */
    uint64_t code = p->code <= 0 && p->code >= -(int)TAG_CODE ? (uint64_t)(-(int64_t)p->code)
                                                              : (uint64_t)(-VGT_E_FORMAT);
    struct vgt_trace_problem_brief b = {
        .chunk = p->chunk,
        .offset = p->offset,
        .chunks = p->chunks,
        .tag = (h & ~TAG_FLAGS) | (p->read ? TAG_READ : 0) | code,
    };
    return b;
}

/* Compact problem k (0: the first past the whole ones). */
static struct vgt_trace_problem_brief *brief_at(const vgt_trace_problem_set *s, size_t k)
{
    return &s->briefs[k / BRIEF_BLOCK][k % BRIEF_BLOCK];
}

/* True when a and b are one problem: code, chunk, offset and the hash of
 * the message (`read` and the chunks lost are not compared, as
 * vgt_trace_problem_same does not). */
static bool brief_same(const struct vgt_trace_problem_brief *a,
                       const struct vgt_trace_problem_brief *b)
{
    return a->chunk == b->chunk && a->offset == b->offset &&
           (a->tag & ~TAG_READ) == (b->tag & ~TAG_READ);
}

/* The hash that places problem i of s in the index: the bits a compact
 * one keeps of its problem's hash. */
static uint64_t entry_hash(const vgt_trace_problem_set *s, size_t i)
{
    return i < s->count ? vgt_trace_problem_hash(&s->items[i]) >> TAG_BITS
                        : brief_at(s, i - s->count)->tag >> TAG_BITS;
}

/* Whether problem i of s is the one looked for: key, and p when it is
 * known whole (two whole problems compare their messages; a compact one
 * compares the hash of its message). */
static bool entry_is(const vgt_trace_problem_set *s, size_t i,
                     const struct vgt_trace_problem_brief *key, const vgt_trace_problem *p)
{
    if (i >= s->count) {
        return brief_same(brief_at(s, i - s->count), key);
    }
    if (p) {
        return vgt_trace_problem_same(&s->items[i], p);
    }
    struct vgt_trace_problem_brief b = brief_of(&s->items[i], vgt_trace_problem_hash(&s->items[i]));
    return brief_same(&b, key);
}

/* The index of the problem of s that is the same as key (and p, when
 * whole), or SIZE_MAX when there is none. */
static size_t index_find(const vgt_trace_problem_set *s, const struct vgt_trace_problem_brief *key,
                         const vgt_trace_problem *p)
{
    const vgt_trace_problem_index *x = &s->index;
    if (x->cap == 0) {
        return SIZE_MAX;
    }
    size_t mask = x->cap - 1;
    for (size_t at = (size_t)(key->tag >> TAG_BITS) & mask; x->slots[at] != 0;
         at = (at + 1) & mask) {
        if (entry_is(s, x->slots[at] - 1u, key, p)) {
            return x->slots[at] - 1u;
        }
    }
    return SIZE_MAX;
}

/* Puts index i, of hash h (entry_hash), into the first free slot of its
 * probe sequence. */
static void index_put(uint32_t *slots, size_t cap, uint64_t h, size_t i)
{
    size_t at = (size_t)h & (cap - 1);
    while (slots[at] != 0) {
        at = (at + 1) & (cap - 1);
    }
    slots[at] = (uint32_t)(i + 1u);
}

/* Makes s's index hold at least `want` indices at most half full (a power
 * of two, 64 at least), placing its problems again; VGT_E_NOMEM (the
 * index unchanged) when it has no memory to grow. */
static vgt_status index_grow(vgt_trace_problem_set *s, size_t want)
{
    vgt_trace_problem_index *x = &s->index;
    size_t ncap = x->cap ? x->cap : 64u;
    while (ncap / 2u < want && ncap <= SIZE_MAX / 2u) {
        ncap *= 2u;
    }
    if (ncap == x->cap) {
        return VGT_OK;
    }
    uint32_t *n =
        ncap / 2u >= want && ncap <= SIZE_MAX / sizeof(*n) ? calloc(ncap, sizeof(*n)) : NULL;
    if (!n) {
        return VGT_E_NOMEM;
    }
    for (size_t at = 0; at < x->cap; at++) {
        if (x->slots[at] != 0) {
            index_put(n, ncap, entry_hash(s, x->slots[at] - 1u), x->slots[at] - 1u);
        }
    }
    free(x->slots);
    x->slots = n;
    x->cap = ncap;
    return VGT_OK;
}

/* Adds problem i (the next one, not counted yet), of index hash h, to s's
 * index; VGT_E_NOMEM (the index unchanged) when it has no memory to grow. */
static vgt_status index_add(vgt_trace_problem_set *s, size_t i, uint64_t h)
{
    /* slots hold i + 1; at most half full: probe sequences stay short */
    if (i >= SET_MAX || index_grow(s, s->index.count + 1u) != VGT_OK) {
        return VGT_E_NOMEM;
    }
    index_put(s->index.slots, s->index.cap, h, i);
    s->index.count++;
    return VGT_OK;
}

/* Places every problem of s in its index again (its size kept: no memory
 * needed), after one changed. */
static void index_rebuild(vgt_trace_problem_set *s)
{
    if (s->index.cap == 0) {
        return;
    }
    memset(s->index.slots, 0, s->index.cap * sizeof(*s->index.slots));
    for (size_t i = 0; i < s->count + s->nbrief; i++) {
        index_put(s->index.slots, s->index.cap, entry_hash(s, i), i);
    }
}

/* Grows s's array to hold at least n whole problems (doubling, up to its
 * limit). */
static vgt_status set_grow(vgt_trace_problem_set *s, size_t n)
{
    if (n > s->cap) {
        size_t ncap = s->cap ? s->cap : 8u;
        while (ncap < n && ncap <= SIZE_MAX / 2u) {
            ncap *= 2u;
        }
        ncap = ncap > set_limit(s) && n <= set_limit(s) ? set_limit(s) : ncap;
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

void vgt_trace_problem_set_limit(vgt_trace_problem_set *s, size_t n)
{
    s->listed = n > 0 ? n : 1u;
}

/* Makes room for compact problem k (a block for it). */
static vgt_status brief_room(vgt_trace_problem_set *s, size_t k)
{
    if (k / BRIEF_BLOCK == s->blocks) {
        if (s->blocks == s->blocks_cap) {
            size_t ncap = s->blocks_cap ? s->blocks_cap * 2u : 8u;
            struct vgt_trace_problem_brief **b =
                ncap <= SIZE_MAX / sizeof(*b) ? realloc(s->briefs, ncap * sizeof(*b)) : NULL;
            if (!b) {
                return VGT_E_NOMEM;
            }
            s->briefs = b;
            s->blocks_cap = ncap;
        }
        s->briefs[s->blocks] = malloc(BRIEF_BLOCK * sizeof(**s->briefs));
        if (!s->briefs[s->blocks]) {
            return VGT_E_NOMEM;
        }
        s->blocks++;
    }
    return VGT_OK;
}

/* Adds key as compact problem count + nbrief (not found in s). */
static vgt_status add_brief(vgt_trace_problem_set *s, const struct vgt_trace_problem_brief *key)
{
    size_t k = s->nbrief;
    if (brief_room(s, k) != VGT_OK) {
        return VGT_E_NOMEM;
    }
    *brief_at(s, k) = *key;
    if (index_add(s, s->count + k, key->tag >> TAG_BITS) != VGT_OK) {
        return VGT_E_NOMEM; /* (its block stays, for the next one) */
    }
    s->nbrief++;
    return VGT_OK;
}

vgt_status vgt_trace_problem_set_reserve(vgt_trace_problem_set *s, size_t n)
{
    size_t whole = n < set_limit(s) ? n : set_limit(s);
    vgt_status st = s->nbrief == 0 ? set_grow(s, whole) : VGT_OK;
    if (st == VGT_OK) {
        st = index_grow(s, n);
    }
    /* room for the messages of the whole problems up to n, each the
     * longest kept */
    size_t more = s->nbrief == 0 && whole > s->count ? whole - s->count : 0;
    if (st == VGT_OK && more > 0) {
        st = more <= SIZE_MAX / VGT_TRACE_PROBLEM_MESSAGE_MAX
                 ? vgt_trace_problem_text_reserve(&s->text, more * VGT_TRACE_PROBLEM_MESSAGE_MAX)
                 : VGT_E_NOMEM;
    }
    /* and, past the limit, for the compact ones up to n (a block holds
     * far more than a reserve asks for) */
    if (st == VGT_OK && n > s->count + s->nbrief && n > set_limit(s)) {
        st = brief_room(s, s->nbrief);
    }
    return st;
}

/* Adds p (key: its compact form) whole, not found in s. */
static vgt_status add_whole(vgt_trace_problem_set *s, const vgt_trace_problem *p,
                            const struct vgt_trace_problem_brief *key)
{
    if (set_grow(s, s->count + 1u) != VGT_OK) {
        return VGT_E_NOMEM;
    }
    const char *message = vgt_trace_problem_text_put(&s->text, p);
    if (!message) {
        return VGT_E_NOMEM;
    }
    s->items[s->count] = *p;
    s->items[s->count].message = message;
    if (index_add(s, s->count, key->tag >> TAG_BITS) != VGT_OK) {
        return VGT_E_NOMEM; /* as without room in the array: not added */
    }
    s->count++;
    return VGT_OK;
}

/* Adds the problem key (p: it whole, or NULL) unless s holds it. */
static vgt_status set_add(vgt_trace_problem_set *s, const struct vgt_trace_problem_brief *key,
                          const vgt_trace_problem *p, bool *added)
{
    if (added) {
        *added = false;
    }
    if (index_find(s, key, p) != SIZE_MAX) {
        return VGT_OK;
    }
    if (s->count + s->nbrief >= SET_MAX) {
        return VGT_E_NOMEM;
    }
    /* whole until the limit; once one is compact every later one is
     * (problems 0..count-1 whole, the rest compact, in the order added) */
    vgt_status st =
        p && s->nbrief == 0 && s->count < set_limit(s) ? add_whole(s, p, key) : add_brief(s, key);
    if (st == VGT_OK && added) {
        *added = true;
    }
    return st;
}

vgt_status vgt_trace_problem_set_add(vgt_trace_problem_set *s, const vgt_trace_problem *p,
                                     bool *added)
{
    struct vgt_trace_problem_brief key = brief_of(p, vgt_trace_problem_hash(p));
    return set_add(s, &key, p, added);
}

vgt_status vgt_trace_problem_set_add_from(vgt_trace_problem_set *s,
                                          const vgt_trace_problem_set *from, size_t i, bool *added)
{
    if (i < from->count) {
        return vgt_trace_problem_set_add(s, &from->items[i], added);
    }
    if (added) {
        *added = false;
    }
    return i - from->count < from->nbrief ? set_add(s, brief_at(from, i - from->count), NULL, added)
                                          : VGT_OK;
}

size_t vgt_trace_problem_set_count(const vgt_trace_problem_set *s)
{
    return s->count + s->nbrief;
}

size_t vgt_trace_problem_set_listed(const vgt_trace_problem_set *s)
{
    return s->count;
}

const vgt_trace_problem *vgt_trace_problem_set_get(const vgt_trace_problem_set *s, size_t i)
{
    return i < s->count ? &s->items[i] : NULL;
}

bool vgt_trace_problem_set_brief(const vgt_trace_problem_set *s, size_t i, vgt_trace_problem *out)
{
    if (i < s->count) {
        *out = s->items[i];
        return true;
    }
    if (i - s->count >= s->nbrief) {
        return false;
    }
    const struct vgt_trace_problem_brief *b = brief_at(s, i - s->count);
    vgt_trace_problem p = {
        .code = -(vgt_status)(b->tag & TAG_CODE),
        .read = (b->tag & TAG_READ) != 0,
        .chunk = b->chunk,
        .offset = b->offset,
        .chunks = b->chunks,
        .message = "",
    };
    *out = p;
    return true;
}

vgt_status vgt_trace_problem_set_replace(vgt_trace_problem_set *s, size_t i,
                                         const vgt_trace_problem *p)
{
    if (i >= s->count + s->nbrief) {
        return VGT_OK;
    }
    if (i >= s->count) {
        *brief_at(s, i - s->count) = brief_of(p, vgt_trace_problem_hash(p));
    } else {
        /* (the old message stays in its block, unused: a replace is rare) */
        const char *message = vgt_trace_problem_text_put(&s->text, p);
        if (!message) {
            return VGT_E_NOMEM;
        }
        s->items[i] = *p;
        s->items[i].message = message;
    }
    /* its slot was placed by the old problem's hash */
    index_rebuild(s);
    return VGT_OK;
}

size_t vgt_trace_problem_set_bytes(const vgt_trace_problem_set *s)
{
    return s->cap * sizeof(*s->items) + s->index.cap * sizeof(*s->index.slots) + s->text.bytes +
           s->blocks * BRIEF_BLOCK * sizeof(**s->briefs) + s->blocks_cap * sizeof(*s->briefs);
}

uint64_t vgt_trace_problem_set_chunks_skipped(const vgt_trace_problem_set *s, uint64_t reach)
{
    return chunks_skipped_of(s, set_at, vgt_trace_problem_set_count(s), reach);
}

void vgt_trace_problem_set_free(vgt_trace_problem_set *s)
{
    free(s->items);
    free(s->index.slots);
    vgt_trace_problem_text_free(&s->text);
    for (size_t b = 0; b < s->blocks; b++) {
        free(s->briefs[b]);
    }
    free(s->briefs);
    memset(s, 0, sizeof(*s));
}
