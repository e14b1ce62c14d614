/* fuzz_trace_edit.h - structural edits of a trace the real writer wrote, for
 * fuzz_trace_reader's structure-aware mode: the file is split into its parts
 * (file header, chunks as header + zstd body, footer index, trailer), edits
 * change the parts while every zstd frame stays a valid frame (a chunk whose
 * records are edited is decompressed, edited and compressed again with
 * zstd's own API), and the parts are put back together.  Checksums are
 * repaired afterwards where an edit asks for it, so that the container's
 * checks behind them are reached.  Test-only: it knows the layout of
 * docs/format.md (not format/'s code) and trusts nothing in its input. */
#ifndef FUZZ_TRACE_EDIT_H
#define FUZZ_TRACE_EDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>
#include <zstd.h>

#include "fuzz_trace_fix.h"

#define FE_MAX_CHUNKS 64u
#define FE_MAX_BODY   (1u << 20) /* uncompressed bytes an edit works on */

typedef struct fe_chunk {
    uint8_t hdr[80];
    uint8_t *body; /* compressed bytes (raw bytes for a gap) */
    size_t csize;
    bool stale; /* an edit asked not to repair its checksums */
    bool gap;   /* not a chunk: bytes between chunks */
} fe_chunk;

typedef struct fe_trace {
    uint8_t *head;
    size_t head_size;
    fe_chunk ch[FE_MAX_CHUNKS];
    size_t nch;
    uint8_t *index;
    size_t index_size;
    uint8_t trailer[40];
    bool has_trailer;
    bool index_stale, trailer_stale, trailer_pinned;
    size_t cut; /* truncate the result here (SIZE_MAX: no) */
    /* what the salvage oracle may rely on: no edit touched chunk 0's
     * bytes or its place, nor the index (whose entries name it) */
    bool chunk0_intact;
} fe_trace;

static inline void fe_free(fe_trace *t)
{
    free(t->head);
    for (size_t i = 0; i < t->nch; i++) {
        free(t->ch[i].body);
    }
    free(t->index);
    memset(t, 0, sizeof(*t));
}

static inline uint8_t *fe_dup(const uint8_t *p, size_t n)
{
    uint8_t *d = malloc(n ? n : 1);
    if (d && n) {
        memcpy(d, p, n);
    }
    return d;
}

/* Splits a file the real writer wrote (so it is well formed; still checked). */
static inline bool fe_split(fe_trace *t, const uint8_t *d, size_t n)
{
    memset(t, 0, sizeof(*t));
    t->cut = SIZE_MAX;
    t->chunk0_intact = true;
    if (n < 88 || memcmp(d, "VGTTRACE", 8) != 0) {
        return false;
    }
    size_t hs = fix_le32(d + 12);
    if (hs < 88 || hs > n) {
        return false;
    }
    t->head = fe_dup(d, hs);
    t->head_size = hs;
    size_t pos = hs;
    while (n - pos >= 80 && memcmp(d + pos, "VGTC", 4) == 0 && t->nch < FE_MAX_CHUNKS) {
        size_t cs = fix_le32(d + pos + 48);
        if (cs > n - pos - 80) {
            break;
        }
        fe_chunk *c = &t->ch[t->nch++];
        memcpy(c->hdr, d + pos, 80);
        c->body = fe_dup(d + pos + 80, cs);
        c->csize = cs;
        pos += 80 + cs;
    }
    if (n - pos >= 40 && memcmp(d + n - 40, "VGTTRAIL", 8) == 0) {
        t->has_trailer = true;
        memcpy(t->trailer, d + n - 40, 40);
        t->index = fe_dup(d + pos, n - 40 - pos);
        t->index_size = n - 40 - pos;
    }
    return t->head != NULL;
}

static inline void fe_put32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* A new value for a field: `how` picks add a small signed delta, set, a
 * value from the edge table, or flip one bit. */
static inline uint64_t fe_value(uint64_t old, uint8_t how, uint32_t v, unsigned bits)
{
    static const uint64_t edge[] = {0,          1,          2,          15,         16,
                                    31,         32,         80,         255,        256,
                                    4096,       0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x100000000ull,
                                    1ull << 62, UINT64_MAX};
    uint64_t r;
    switch (how & 3u) {
    case 0:
        r = old + (uint64_t)(int64_t)(int8_t)v;
        break;
    case 1:
        r = v;
        break;
    case 2:
        r = edge[v % (sizeof(edge) / sizeof(edge[0]))];
        break;
    default:
        r = old ^ (1ull << (v % bits));
        break;
    }
    return bits == 64 ? r : r & ((1ull << bits) - 1u);
}

/* Decompresses chunk c's body into a new buffer (the header's size, up to
 * FE_MAX_BODY); NULL when it does not decompress to that size. */
static inline uint8_t *fe_unpack(const fe_chunk *c, size_t *usize)
{
    size_t us = fix_le32(c->hdr + 52);
    if (c->gap || us > FE_MAX_BODY) {
        return NULL;
    }
    uint8_t *u = malloc(us + 64 + 16); /* room for an edit that grows it */
    if (!u) {
        return NULL;
    }
    size_t got = ZSTD_decompress(u, us, c->body, c->csize);
    if (ZSTD_isError(got) || got != us) {
        free(u);
        return NULL;
    }
    *usize = us;
    return u;
}

/* Compresses u as chunk c's body with zstd: `style` 0 level 1, 1 level 5, 2
 * no content size in the frame header, 3 zstd's frame checksum, 4 two frames
 * back to back, 5 a skippable frame after the frame.  Sets the header's
 * sizes to the truth. */
static inline bool fe_pack(fe_chunk *c, const uint8_t *u, size_t us, unsigned style)
{
    size_t bound = ZSTD_compressBound(us) * 2 + 64;
    uint8_t *b = malloc(bound);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    if (!b || !cc) {
        free(b);
        ZSTD_freeCCtx(cc);
        return false;
    }
    ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, style == 1 ? 5 : 1);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, style == 2 ? 0 : 1);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, style == 3 ? 1 : 0);
    size_t n;
    if (style == 4) {
        size_t half = us / 2;
        n = ZSTD_compress2(cc, b, bound, u, half);
        if (!ZSTD_isError(n)) {
            size_t m = ZSTD_compress2(cc, b + n, bound - n, u + half, us - half);
            n = ZSTD_isError(m) ? m : n + m;
        }
    } else {
        n = ZSTD_compress2(cc, b, bound, u, us);
        if (!ZSTD_isError(n) && style == 5) {
            /* a skippable frame (magic 0x184D2A50, size, bytes), by hand:
             * zstd's writer of it is in its experimental API */
            if (bound - n >= 11) {
                fe_put32(b + n, 0x184D2A50u);
                fe_put32(b + n + 4, 3);
                memcpy(b + n + 8, "vgt", 3);
                n += 11;
            }
        }
    }
    ZSTD_freeCCtx(cc);
    if (ZSTD_isError(n)) {
        free(b);
        return false;
    }
    free(c->body);
    c->body = b;
    c->csize = n;
    fe_put32(c->hdr + 48, (uint32_t)n);
    fe_put32(c->hdr + 52, (uint32_t)us);
    return true;
}

/* Finds record k (mod the count) of a decompressed body: its offset, and the
 * count; `refs_only` counts PAYLOAD_REF records only. */
static inline bool fe_find_record(const uint8_t *u, size_t us, unsigned k, bool refs_only,
                                  size_t *at)
{
    size_t offs[256];
    size_t n = 0, pos = 0;
    while (us - pos >= 16 && n < 256) {
        uint32_t len = fix_le32(u + pos + 12);
        if (len > us - pos - 16) {
            break;
        }
        if (!refs_only || (u[pos + 8] == 2 && u[pos + 9] == 0 && len == 32)) {
            offs[n++] = pos;
        }
        pos += 16 + len;
    }
    if (!n) {
        return false;
    }
    *at = offs[k % n];
    return true;
}

static inline uint64_t fe_load(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}

static inline void fe_store(uint8_t *p, unsigned bytes, uint64_t v)
{
    for (unsigned i = 0; i < bytes; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static inline void fe_edit_field(uint8_t *p, unsigned bytes, uint8_t how, uint32_t v)
{
    fe_store(p, bytes, fe_value(fe_load(p, bytes), how, v, bytes * 8));
}

/* The edit operations (op & 15; bit 7: repair the checksums it breaks). */
enum {
    FE_RECORD,  /* a record header field (type, flags, size, timestamp): recompress */
    FE_REF,     /* a dedup reference's target, length, type, hash: recompress */
    FE_CHUNK,   /* a chunk header field (index, record count, first record, frames, sizes, ...) */
    FE_BODY,    /* records cut, bytes appended, a record repeated or removed: recompress */
    FE_ZSTD,    /* the same records compressed differently (frames, flags, levels) */
    FE_INDEX,   /* a field of the footer index (totals, chunk/frame/type/dedup entries) */
    FE_TRAILER, /* the trailer's index offset or size */
    FE_CUT,     /* truncate at a chunk boundary, inside a chunk or inside the footer */
    FE_DUP,     /* a chunk copied to another place */
    FE_MOVE,    /* a chunk moved or two swapped */
    FE_DROP,    /* a chunk removed */
    FE_GAP,     /* bytes (or a chunk magic) between two chunks */
    FE_OPS
};

/* Applies one edit {op, a, b, how, v}. */
static inline void fe_apply(fe_trace *t, uint8_t op, uint8_t a, uint8_t b, uint8_t how, uint32_t v)
{
    bool repair = (op & 0x80u) != 0;
    unsigned kind = (op & 15u) % FE_OPS;
    size_t ci = t->nch ? a % t->nch : 0;
    fe_chunk *c = t->nch ? &t->ch[ci] : NULL;
    if (kind <= FE_ZSTD || kind == FE_DUP || kind == FE_MOVE || kind == FE_DROP || kind == FE_GAP) {
        if (!c) {
            return;
        }
    }
    switch (kind) {
    case FE_RECORD:
    case FE_REF:
    case FE_BODY:
    case FE_ZSTD: {
        size_t us = 0;
        uint8_t *u = fe_unpack(c, &us);
        if (!u) {
            return;
        }
        size_t at = 0;
        unsigned style = 0;
        if (kind == FE_RECORD && fe_find_record(u, us, b, false, &at)) {
            /* timestamp, type, flags, size */
            static const unsigned off[4] = {0, 8, 10, 12}, len[4] = {8, 2, 2, 4};
            unsigned f = (how >> 2) & 3u;
            if (f == 1 && (how & 3u) == 2) { /* a type from the spec's table */
                static const uint16_t types[] = {0, 1, 2, 3, 4, 0x0FFF, 0x1000, 0x1008, 0xFFFF};
                fe_store(u + at + 8, 2, types[v % (sizeof(types) / sizeof(types[0]))]);
            } else {
                fe_edit_field(u + at + off[f], len[f], how, v);
            }
        } else if (kind == FE_REF && fe_find_record(u, us, b, true, &at)) {
            /* target, length, type, flags, hash low, hash high */
            static const unsigned off[6] = {0, 8, 12, 14, 16, 24}, len[6] = {8, 4, 2, 2, 8, 8};
            unsigned f = ((how >> 2) & 7u) % 6u;
            fe_edit_field(u + at + 16 + off[f], len[f], how, v);
        } else if (kind == FE_BODY) {
            switch (b & 3u) {
            case 0:
                us -= (v % 64u + 1u) < us ? v % 64u + 1u : us;
                break;
            case 1: {
                size_t k = v % 64u + 1u;
                memset(u + us, how, k);
                us += k;
                break;
            }
            case 2:
            case 3:
                if (fe_find_record(u, us, v, false, &at)) {
                    size_t rl = 16 + fix_le32(u + at + 12);
                    if ((b & 3u) == 3u) {
                        memmove(u + at, u + at + rl, us - at - rl);
                        us -= rl;
                    } else if (rl <= 64 + 16) { /* a small record repeated */
                        memmove(u + at + rl, u + at, us - at);
                        us += rl;
                    }
                }
                break;
            }
        } else if (kind == FE_ZSTD) {
            style = 1u + b % 5u;
        } else {
            free(u);
            return;
        }
        if (fe_pack(c, u, us, style) && ci == 0) {
            t->chunk0_intact = false;
        }
        free(u);
        c->stale |= !repair;
        return;
    }
    case FE_CHUNK: {
        /* flags, index, first record, first frame, last frame, record count,
         * reserved, compressed size, uncompressed size, magic */
        static const unsigned off[10] = {4, 8, 16, 24, 32, 40, 44, 48, 52, 0},
                              len[10] = {4, 8, 8, 8, 8, 4, 4, 4, 4, 4};
        unsigned f = b % 10u;
        if (c->gap) {
            return;
        }
        /* (an edited stored size leaves the body its real length) */
        fe_edit_field(c->hdr + off[f], len[f], how, v);
        c->stale |= !repair;
        if (ci == 0) {
            t->chunk0_intact = false;
        }
        return;
    }
    case FE_INDEX:
        if (t->index_size >= 8) {
            size_t words = t->index_size / 8;
            size_t w = ((size_t)a << 8 | b) % words;
            if (how & 16u) { /* a 4-byte field (the chunk table's counts and sizes) */
                fe_edit_field(t->index + w * 8 + ((how & 32u) ? 4 : 0), 4, how, v);
            } else {
                fe_edit_field(t->index + w * 8, 8, how, v);
            }
            t->index_stale |= !repair;
            t->chunk0_intact = false;
        }
        return;
    case FE_TRAILER:
        if (t->has_trailer) {
            fe_edit_field(t->trailer + ((b & 1u) ? 16 : 8), 8, how, v);
            t->trailer_pinned = true;
            t->trailer_stale |= !repair;
        }
        return;
    case FE_CUT: {
        size_t pos = t->head_size, idx = 0;
        for (size_t i = 0; i < t->nch; i++) {
            if (i == ci) {
                idx = pos;
            }
            pos += t->ch[i].gap ? t->ch[i].csize : 80 + t->ch[i].csize;
        }
        switch (b % 3u) {
        case 0:
            t->cut = t->nch ? idx : pos;
            break; /* chunk boundary */
        case 1:
            t->cut = pos + v % (t->index_size + 40 + 1);
            break; /* in the footer */
        default:
            if (c) {
                t->cut = idx + 1 + v % (c->gap ? c->csize + 1 : 80 + c->csize);
            }
            break;
        }
        if (t->cut < pos && (t->nch == 0 || t->cut <= t->head_size + 80 + t->ch[0].csize)) {
            t->chunk0_intact = false;
        }
        return;
    }
    case FE_DUP:
    case FE_GAP: {
        if (t->nch >= FE_MAX_CHUNKS) {
            return;
        }
        size_t to = b % (t->nch + 1);
        fe_chunk n = *c;
        if (kind == FE_GAP) {
            /* garbage, or a chunk magic with garbage behind it (a false
             * start for the salvage scan) */
            memset(&n, 0, sizeof(n));
            n.gap = true;
            n.csize = v % 120u + 1u;
            n.body = malloc(n.csize);
            if (n.body) {
                memset(n.body, how, n.csize);
                if (how & 1u) {
                    memcpy(n.body, "VGTC", n.csize < 4 ? n.csize : 4);
                }
            }
        } else {
            n.body = fe_dup(c->body, c->csize);
        }
        if (!n.body) {
            return;
        }
        if (to == 0) {
            t->chunk0_intact = false;
        }
        memmove(&t->ch[to + 1], &t->ch[to], (t->nch - to) * sizeof(t->ch[0]));
        t->ch[to] = n;
        t->nch++;
        return;
    }
    case FE_MOVE: {
        size_t to = b % t->nch;
        if (how & 1u) {
            fe_chunk s = t->ch[to];
            t->ch[to] = t->ch[ci];
            t->ch[ci] = s;
        } else {
            fe_chunk s = t->ch[ci];
            memmove(&t->ch[ci], &t->ch[ci + 1], (t->nch - ci - 1) * sizeof(t->ch[0]));
            memmove(&t->ch[to + 1], &t->ch[to], (t->nch - 1 - to) * sizeof(t->ch[0]));
            t->ch[to] = s;
        }
        if ((ci == 0 || to == 0) && ci != to) {
            t->chunk0_intact = false;
        }
        return;
    }
    case FE_DROP:
        free(c->body);
        memmove(&t->ch[ci], &t->ch[ci + 1], (t->nch - ci - 1) * sizeof(t->ch[0]));
        t->nch--;
        if (ci == 0) {
            t->chunk0_intact = false;
        }
        return;
    default:
        return;
    }
}

/* Puts the parts back together (a new buffer, *n its size): the checksums
 * of every part no edit left stale are computed again, and the trailer
 * names where the index now is unless an edit pinned it. */
static inline uint8_t *fe_join(fe_trace *t, size_t *n)
{
    size_t total = t->head_size;
    for (size_t i = 0; i < t->nch; i++) {
        total += (t->ch[i].gap ? 0 : 80) + t->ch[i].csize;
    }
    size_t index_off = total;
    if (t->has_trailer) {
        total += t->index_size + 40;
    }
    uint8_t *d = malloc(total ? total : 1);
    if (!d) {
        return NULL;
    }
    memcpy(d, t->head, t->head_size);
    size_t pos = t->head_size;
    for (size_t i = 0; i < t->nch; i++) {
        fe_chunk *c = &t->ch[i];
        if (!c->gap) {
            if (!c->stale) {
                fix_put64(c->hdr + 56, XXH3_64bits(c->body, c->csize));
                size_t us = 0;
                uint8_t *u = fe_unpack(c, &us);
                if (u) {
                    fix_put64(c->hdr + 64, XXH3_64bits(u, us));
                    free(u);
                }
                fix_put64(c->hdr + 72, XXH3_64bits(c->hdr, 72));
            }
            memcpy(d + pos, c->hdr, 80);
            pos += 80;
        }
        memcpy(d + pos, c->body, c->csize);
        pos += c->csize;
    }
    if (t->has_trailer) {
        memcpy(d + pos, t->index, t->index_size);
        pos += t->index_size;
        uint8_t *tr = d + pos;
        memcpy(tr, t->trailer, 40);
        if (!t->trailer_pinned) {
            fix_put64(tr + 8, index_off);
            fix_put64(tr + 16, t->index_size);
        }
        if (!t->index_stale) {
            fix_put64(tr + 24, XXH3_64bits(d + index_off, t->index_size));
        }
        if (!t->trailer_stale) {
            fix_put64(tr + 32, XXH3_64bits(tr, 32));
        }
    }
    *n = t->cut < total ? t->cut : total;
    return d;
}

#endif
