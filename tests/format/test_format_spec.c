/* test_format_spec.c - docs/format.md checked by a reader written from it
 * alone.
 *
 * Why: the doc is the trace format's specification for third parties (a
 * Python script, another tool).  The reader below ("spec reader", sp_*) was
 * written from docs/format.md without reading format/'s sources: it takes the
 * file's bytes with libc, libzstd and libxxhash only, parses the header,
 * every chunk (fields, the three checksums, the zstd frame), every record,
 * resolves dedup references the way the doc says (binary search of the chunk
 * table, then the target in its chunk), reads the footer index and the
 * trailer, and, for SVGA traces, the payloads of the SVGA record types as the
 * doc's tables define them.  Every value it finds is then compared with what
 * vgt's own reader (format/vgt_format.h) reports for the same file, and with
 * what the test wrote.  A doc that is silent or wrong makes this reader
 * disagree.  The byte loaders are written again here on purpose: the reader
 * uses nothing of vgt's to read the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#include "capture_test_util.h"
#include "fixture.h"
#include "vgt_protocol.h"
#include "vgt_replayer.h"

/* ---- the spec reader ------------------------------------------------------ */

static uint16_t ld16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t ld64(const uint8_t *p)
{
    return (uint64_t)ld32(p) | ((uint64_t)ld32(p + 4) << 32);
}

typedef struct sp_chunk {
    uint64_t offset; /* file offset of the chunk header */
    uint64_t index, first_record, first_frame, last_frame;
    uint32_t record_count, csize, usize;
    uint8_t *data; /* the decompressed records */
} sp_chunk;

typedef struct sp_rec {
    uint64_t number, frame, ts, chunk;
    uint16_t type, flags; /* logical: a reference's original type and flags */
    uint32_t size;        /* logical */
    const uint8_t *payload;
    bool ref;
    uint64_t target;
} sp_rec;

typedef struct sp_type {
    uint16_t type;
    uint64_t records, bytes, stored;
} sp_type;

typedef struct sp_dedup {
    uint64_t lo, hi, record, chunk;
    uint32_t size;
    uint64_t refs;
} sp_dedup;

typedef struct sp_trace {
    uint8_t *file;
    size_t size;
    /* header */
    uint16_t major, minor;
    uint32_t header_size, protocol_id, chunk_size, dedup_min, fixed_size;
    char protocol_name[16];
    uint64_t start_time, start_frame, frame_limit;
    int32_t level;
    const uint8_t *creator, *config;
    uint32_t creator_len, config_len;
    /* body, as walked from the end of the header */
    sp_chunk *chunks;
    size_t nchunks;
    sp_rec *recs;
    size_t nrecs;
    bool torn;         /* the walk ended at a torn last chunk */
    uint64_t walk_end; /* where it ended */
    /* trailer and footer index, when valid */
    bool footer;
    uint64_t index_offset, index_size;
    uint64_t f[12]; /* the index's twelve u64 of its fixed part, in doc order */
    const uint8_t *ichunks, *iframes, *itypes, *idedup;
} sp_trace;

enum {
    F_MAGIC,
    F_C,
    F_F,
    F_RECORDS,
    F_T,
    F_D,
    F_REFS,
    F_SAVED,
    F_USUM,
    F_CSUM,
    F_LOGICAL,
    F_COMPLETE
};

/* The header: the doc's table, size rule and checksum. */
static void sp_header(sp_trace *t)
{
    const uint8_t *h = t->file;
    assert_true(t->size >= 88);
    assert_memory_equal(h, "VGTTRACE", 8);
    t->major = ld16(h + 8);
    t->minor = ld16(h + 10);
    t->header_size = ld32(h + 12);
    assert_int_equal(ld32(h + 16), 0);
    t->protocol_id = ld32(h + 20);
    memcpy(t->protocol_name, h + 24, 16);
    assert_int_equal(t->protocol_name[15], 0); /* at most 15 characters */
    t->start_time = ld64(h + 40);
    t->level = (int32_t)ld32(h + 48);
    t->chunk_size = ld32(h + 52);
    t->start_frame = ld64(h + 56);
    t->frame_limit = ld64(h + 64);
    t->dedup_min = ld32(h + 72);
    t->creator_len = ld32(h + 76);
    t->config_len = ld32(h + 80);
    t->fixed_size = ld32(h + 84);
    assert_true(t->fixed_size >= 88 && t->fixed_size <= 4096);
    assert_true(t->creator_len <= 4096 && t->config_len <= (1u << 20));
    assert_int_equal((uint64_t)t->header_size,
                     (uint64_t)t->fixed_size + t->creator_len + t->config_len + 8);
    assert_true(t->header_size <= t->size);
    assert_int_equal(XXH3_64bits(h, t->header_size - 8), ld64(h + t->header_size - 8));
    assert_true(t->start_frame <= (1ull << 62));
    t->creator = h + t->fixed_size;
    t->config = t->creator + t->creator_len;
}

/* The record `number` as stored, found as the doc says: the chunk by binary
 * search on first record number, then the record by walking its chunk. */
static void sp_stored(const sp_trace *t, size_t nchunks, uint64_t number, uint16_t *type,
                      uint32_t *size, const uint8_t **payload, uint64_t *chunk)
{
    size_t lo = 0, hi = nchunks;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->chunks[mid].first_record <= number) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    const sp_chunk *c = &t->chunks[lo];
    assert_true(number >= c->first_record && number - c->first_record < c->record_count);
    const uint8_t *p = c->data;
    for (uint64_t k = 0;; k++) {
        uint32_t n = ld32(p + 12);
        if (k == number - c->first_record) {
            *type = ld16(p + 8);
            *size = n;
            *payload = p + 16;
            *chunk = lo;
            return;
        }
        p += 16 + (size_t)n;
    }
}

/* One chunk at file offset `off`, numbered after the previous one; false
 * when it is torn (fewer than 80 bytes left or a body past the end). */
static bool sp_chunk_at(sp_trace *t, uint64_t off)
{
    if (t->size - off < 80) {
        return false;
    }
    const uint8_t *h = t->file + off;
    assert_memory_equal(h, "VGTC", 4);
    assert_int_equal(XXH3_64bits(h, 72), ld64(h + 72));
    assert_int_equal(ld32(h + 4), 0);
    assert_int_equal(ld32(h + 44), 0);
    sp_chunk c = {.offset = off,
                  .index = ld64(h + 8),
                  .first_record = ld64(h + 16),
                  .first_frame = ld64(h + 24),
                  .last_frame = ld64(h + 32),
                  .record_count = ld32(h + 40),
                  .csize = ld32(h + 48),
                  .usize = ld32(h + 52)};
    if (c.csize > t->size - off - 80) {
        return false;
    }
    /* the doc's constraints */
    assert_true(c.record_count >= 1);
    assert_true(c.record_count <= c.usize / 16);
    assert_true(c.usize <= (1u << 30) + 16);
    assert_true(c.csize <= ZSTD_compressBound(c.usize));
    assert_true(c.first_frame <= c.last_frame && c.last_frame <= c.first_frame + c.record_count);
    if (t->nchunks == 0) {
        assert_int_equal(c.index, 0);
        assert_int_equal(c.first_record, 0);
        assert_int_equal(c.first_frame, 0);
    } else {
        const sp_chunk *p = &t->chunks[t->nchunks - 1];
        assert_int_equal(c.index, p->index + 1);
        assert_int_equal(c.first_record, p->first_record + p->record_count);
        assert_true(c.first_frame == p->last_frame || c.first_frame == p->last_frame + 1);
    }
    const uint8_t *body = h + 80;
    assert_int_equal(XXH3_64bits(body, c.csize), ld64(h + 56));
    /* exactly one zstd frame, with its content size */
    assert_int_equal(ZSTD_findFrameCompressedSize(body, c.csize), c.csize);
    assert_int_equal(ZSTD_getFrameContentSize(body, c.csize), c.usize);
    c.data = malloc(c.usize ? c.usize : 1);
    assert_non_null(c.data);
    assert_int_equal(ZSTD_decompress(c.data, c.usize, body, c.csize), c.usize);
    assert_int_equal(XXH3_64bits(c.data, c.usize), ld64(h + 64));

    t->chunks = realloc(t->chunks, (t->nchunks + 1) * sizeof(*t->chunks));
    assert_non_null(t->chunks);
    t->chunks[t->nchunks++] = c;
    t->recs = realloc(t->recs, (t->nrecs + c.record_count) * sizeof(*t->recs));
    assert_non_null(t->recs);

    /* the records, back to back, nothing after the last one */
    size_t pos = 0;
    uint64_t frame = c.first_frame;
    for (uint32_t k = 0; k < c.record_count; k++) {
        assert_true(c.usize - pos >= 16);
        const uint8_t *r = c.data + pos;
        uint32_t n = ld32(r + 12);
        assert_true(n <= c.usize - pos - 16);
        sp_rec rec = {.number = c.first_record + k,
                      .frame = frame,
                      .ts = ld64(r),
                      .chunk = t->nchunks - 1,
                      .type = ld16(r + 8),
                      .flags = ld16(r + 10),
                      .size = n,
                      .payload = r + 16};
        assert_int_not_equal(rec.type, 0);
        assert_int_equal(rec.number, t->nrecs);
        if (rec.type == 0x0002) {
            /* a dedup reference: flags 0, n = 32, then the doc's payload */
            assert_int_equal(rec.flags, 0);
            assert_int_equal(n, 32);
            const uint8_t *q = rec.payload;
            rec.ref = true;
            rec.target = ld64(q);
            rec.size = ld32(q + 8);
            rec.type = ld16(q + 12);
            rec.flags = ld16(q + 14);
            assert_true(rec.type == 0x0003 || rec.type >= 0x1000);
            assert_true(rec.target < rec.number);
            uint16_t ttype;
            uint32_t tsize;
            uint64_t tchunk;
            const uint8_t *tp;
            sp_stored(t, t->nchunks, rec.target, &ttype, &tsize, &tp, &tchunk);
            assert_int_not_equal(ttype, 0x0002); /* never a reference itself */
            assert_int_equal(tsize, rec.size);
            XXH128_hash_t hh = XXH3_128bits(tp, tsize);
            assert_int_equal(hh.low64, ld64(q + 16));
            assert_int_equal(hh.high64, ld64(q + 24));
            assert_true(rec.size >= t->dedup_min && t->dedup_min > 0);
            rec.payload = tp;
        }
        t->recs[t->nrecs++] = rec;
        if (rec.type == 0x0001) {
            frame++;
        }
        pos += 16 + (size_t)n;
    }
    assert_int_equal(pos, c.usize);
    /* last frame: the frame of the chunk's last record */
    assert_int_equal(t->recs[t->nrecs - 1].frame, c.last_frame);
    return true;
}

/* The trailer and the footer index, when the trailer checks out. */
static bool sp_footer(sp_trace *t)
{
    if (t->size < (uint64_t)t->header_size + 40) {
        return false;
    }
    const uint8_t *tr = t->file + t->size - 40;
    if (memcmp(tr, "VGTTRAIL", 8) != 0 || XXH3_64bits(tr, 32) != ld64(tr + 32)) {
        return false;
    }
    t->index_offset = ld64(tr + 8);
    t->index_size = ld64(tr + 16);
    /* the trailer follows the index immediately */
    assert_int_equal(t->index_offset + t->index_size, t->size - 40);
    const uint8_t *ix = t->file + t->index_offset;
    assert_int_equal(XXH3_64bits(ix, t->index_size), ld64(tr + 24));
    assert_memory_equal(ix, "VGTINDEX", 8);
    for (int i = 0; i < 12; i++) {
        t->f[i] = ld64(ix + 8 * i);
    }
    assert_int_equal(t->index_size,
                     96 + 48 * t->f[F_C] + 16 * t->f[F_F] + 32 * t->f[F_T] + 48 * t->f[F_D]);
    t->ichunks = ix + 96;
    t->iframes = t->ichunks + 48 * t->f[F_C];
    t->itypes = t->iframes + 16 * t->f[F_F];
    t->idedup = t->itypes + 32 * t->f[F_T];
    t->footer = true;
    return true;
}

/* Reads the file at path the doc's way: header, trailer + index when
 * present, then every chunk from the end of the header. */
static void sp_open(sp_trace *t, const char *path)
{
    memset(t, 0, sizeof(*t));
    t->file = fx_read_file(path, &t->size);
    assert_non_null(t->file);
    sp_header(t);
    sp_footer(t);
    uint64_t off = t->header_size;
    uint64_t end = t->footer ? t->index_offset : t->size;
    while (off < end) {
        if (!t->footer && t->size - off >= 8 && memcmp(t->file + off, "VGTINDEX", 8) == 0) {
            break; /* an index without a usable trailer */
        }
        if (!sp_chunk_at(t, off)) {
            t->torn = true;
            break;
        }
        off += 80 + (uint64_t)t->chunks[t->nchunks - 1].csize;
    }
    t->walk_end = off;
    if (t->footer) {
        /* chunks contiguous from the end of the header to the index offset */
        assert_int_equal(off, t->index_offset);
    }
}

static void sp_close(sp_trace *t)
{
    for (size_t i = 0; i < t->nchunks; i++) {
        free(t->chunks[i].data);
    }
    free(t->chunks);
    free(t->recs);
    free(t->file);
}

static int cmp_type(const void *a, const void *b)
{
    const sp_type *x = a, *y = b;
    return (x->type > y->type) - (x->type < y->type);
}

static int cmp_dedup(const void *a, const void *b)
{
    const sp_dedup *x = a, *y = b;
    return (x->record > y->record) - (x->record < y->record);
}

/* What the walk found, summed the way the doc defines the index's tables. */
typedef struct sp_sums {
    uint64_t frames, complete, refs, saved, usum, csum, logical;
    uint64_t *frame_chunk, *frame_first; /* frame table */
    sp_type types[64];
    size_t ntypes;
    sp_dedup *dedup;
    size_t ndedup;
} sp_sums;

static void sp_sum(const sp_trace *t, sp_sums *s)
{
    memset(s, 0, sizeof(*s));
    for (size_t i = 0; i < t->nchunks; i++) {
        s->usum += t->chunks[i].usize;
        s->csum += t->chunks[i].csize;
    }
    s->frames = t->nchunks ? t->chunks[t->nchunks - 1].last_frame + 1 : 0;
    s->frame_chunk = calloc(s->frames + 1, sizeof(uint64_t));
    s->frame_first = calloc(s->frames + 1, sizeof(uint64_t));
    s->dedup = calloc(t->nrecs + 1, sizeof(sp_dedup));
    assert_true(s->frame_chunk && s->frame_first && s->dedup);
    uint64_t next_frame = 0;
    for (size_t i = 0; i < t->nrecs; i++) {
        const sp_rec *r = &t->recs[i];
        if (r->frame == next_frame) {
            s->frame_chunk[next_frame] = r->chunk;
            s->frame_first[next_frame] = r->number;
            next_frame++;
        }
        assert_true(r->frame < next_frame); /* every frame holds a record */
        s->complete += r->type == 0x0001;
        s->logical += r->size;
        size_t k = 0;
        while (k < s->ntypes && s->types[k].type != r->type) {
            k++;
        }
        if (k == s->ntypes) {
            assert_true(s->ntypes < 64);
            s->types[s->ntypes++].type = r->type;
        }
        s->types[k].records++;
        s->types[k].bytes += r->size;
        s->types[k].stored += r->ref ? 32 : r->size;
        if (r->ref) {
            s->refs++;
            s->saved += r->size;
            size_t d = 0;
            while (d < s->ndedup && s->dedup[d].record != r->target) {
                d++;
            }
            if (d == s->ndedup) {
                XXH128_hash_t hh = XXH3_128bits(r->payload, r->size);
                s->dedup[s->ndedup++] = (sp_dedup){
                    hh.low64, hh.high64, r->target, t->recs[r->target].chunk, r->size, 0};
            }
            s->dedup[d].refs++;
        }
    }
    assert_int_equal(next_frame, s->frames);
    qsort(s->types, s->ntypes, sizeof(sp_type), cmp_type);
    qsort(s->dedup, s->ndedup, sizeof(sp_dedup), cmp_dedup);
}

static void sp_sums_free(sp_sums *s)
{
    free(s->frame_chunk);
    free(s->frame_first);
    free(s->dedup);
}

/* The footer index agrees with the walk, table by table. */
static void sp_check_footer(const sp_trace *t, const sp_sums *s)
{
    assert_true(t->footer);
    assert_int_equal(t->f[F_C], t->nchunks);
    assert_int_equal(t->f[F_F], s->frames);
    assert_int_equal(t->f[F_RECORDS], t->nrecs);
    assert_int_equal(t->f[F_T], s->ntypes);
    assert_int_equal(t->f[F_D], s->ndedup);
    assert_int_equal(t->f[F_REFS], s->refs);
    assert_int_equal(t->f[F_SAVED], s->saved);
    assert_int_equal(t->f[F_USUM], s->usum);
    assert_int_equal(t->f[F_CSUM], s->csum);
    assert_int_equal(t->f[F_LOGICAL], s->logical);
    assert_int_equal(t->f[F_COMPLETE], s->complete);
    for (size_t i = 0; i < t->nchunks; i++) {
        const uint8_t *e = t->ichunks + 48 * i;
        const sp_chunk *c = &t->chunks[i];
        assert_int_equal(ld64(e), c->offset);
        assert_int_equal(ld64(e + 8), c->first_record);
        assert_int_equal(ld64(e + 16), c->first_frame);
        assert_int_equal(ld64(e + 24), c->last_frame);
        assert_int_equal(ld32(e + 32), c->record_count);
        assert_int_equal(ld32(e + 36), c->csize);
        assert_int_equal(ld32(e + 40), c->usize);
        assert_int_equal(ld32(e + 44), 0);
    }
    for (uint64_t f = 0; f < s->frames; f++) {
        assert_int_equal(ld64(t->iframes + 16 * f), s->frame_chunk[f]);
        assert_int_equal(ld64(t->iframes + 16 * f + 8), s->frame_first[f]);
    }
    for (size_t i = 0; i < s->ntypes; i++) {
        const uint8_t *e = t->itypes + 32 * i;
        assert_int_equal(ld16(e), s->types[i].type);
        assert_int_equal(ld16(e + 2), 0);
        assert_int_equal(ld32(e + 4), 0);
        assert_int_equal(ld64(e + 8), s->types[i].records);
        assert_int_equal(ld64(e + 16), s->types[i].bytes);
        assert_int_equal(ld64(e + 24), s->types[i].stored);
    }
    for (size_t i = 0; i < s->ndedup; i++) {
        const uint8_t *e = t->idedup + 48 * i;
        assert_int_equal(ld64(e), s->dedup[i].lo);
        assert_int_equal(ld64(e + 8), s->dedup[i].hi);
        assert_int_equal(ld64(e + 16), s->dedup[i].record);
        assert_int_equal(ld64(e + 24), s->dedup[i].chunk);
        assert_int_equal(ld32(e + 32), s->dedup[i].size);
        assert_int_equal(ld32(e + 36), 0);
        assert_int_equal(ld64(e + 40), s->dedup[i].refs);
    }
}

/* ---- comparison with vgt's reader --------------------------------------- */

/* Everything the spec reader found equals what vgt's reader reports. */
static void compare_with_vgt(const char *path, const sp_trace *t, const sp_sums *s)
{
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    if (vgt_trace_reader_open(path, NULL, &r, &err) != VGT_OK) {
        fail_msg("open %s: %s", path, err.message);
    }
    const vgt_trace_header *h = vgt_trace_reader_header(r);
    assert_int_equal(h->version_major, t->major);
    assert_int_equal(h->version_minor, t->minor);
    assert_int_equal(h->protocol_id, t->protocol_id);
    assert_string_equal(h->protocol_name, t->protocol_name);
    assert_int_equal(h->start_time_ns, t->start_time);
    assert_int_equal(h->compression_level, t->level);
    assert_int_equal(h->chunk_size, t->chunk_size);
    assert_int_equal(h->start_frame, t->start_frame);
    assert_int_equal(h->frame_limit, t->frame_limit);
    assert_int_equal(h->dedup_min_size, t->dedup_min);
    assert_int_equal(strlen(h->creator), t->creator_len);
    assert_memory_equal(h->creator, t->creator, t->creator_len);
    assert_int_equal(h->device_config_size, t->config_len);
    assert_memory_equal(h->device_config, t->config, t->config_len);

    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    assert_int_equal(info.file_size, t->size);
    assert_int_equal(info.records, t->nrecs);
    assert_int_equal(info.frames, s->frames);
    assert_int_equal(info.complete_frames, s->complete);
    assert_int_equal(info.chunks, t->nchunks);
    assert_int_equal(info.bytes_compressed, s->csum);
    assert_int_equal(info.bytes_uncompressed, s->usum);
    assert_int_equal(info.payload_bytes, s->logical);
    assert_int_equal(info.dedup_refs, s->refs);
    assert_int_equal(info.dedup_unique, s->ndedup);
    assert_int_equal(info.dedup_bytes_saved, s->saved);
    assert_int_equal(info.footer_present, t->footer);
    assert_int_equal(info.index_rebuilt, !t->footer);

    assert_int_equal(vgt_trace_reader_chunk_count(r), t->nchunks);
    for (size_t i = 0; i < t->nchunks; i++) {
        vgt_trace_chunk_info ci;
        assert_true(vgt_trace_reader_chunk(r, i, &ci));
        assert_int_equal(ci.offset, t->chunks[i].offset);
        assert_int_equal(ci.first_record, t->chunks[i].first_record);
        assert_int_equal(ci.first_frame, t->chunks[i].first_frame);
        assert_int_equal(ci.last_frame, t->chunks[i].last_frame);
        assert_int_equal(ci.record_count, t->chunks[i].record_count);
        assert_int_equal(ci.compressed_size, t->chunks[i].csize);
        assert_int_equal(ci.uncompressed_size, t->chunks[i].usize);
    }
    assert_int_equal(vgt_trace_reader_frame_count(r), s->frames);
    for (uint64_t f = 0; f < s->frames; f++) {
        vgt_trace_frame_info fi;
        assert_true(vgt_trace_reader_frame(r, f, &fi));
        assert_int_equal(fi.chunk, s->frame_chunk[f]);
        assert_int_equal(fi.first_record, s->frame_first[f]);
    }
    assert_int_equal(vgt_trace_reader_type_stat_count(r), s->ntypes);
    for (size_t i = 0; i < s->ntypes; i++) {
        vgt_trace_type_stat ts;
        assert_true(vgt_trace_reader_type_stat(r, i, &ts));
        assert_int_equal(ts.type, s->types[i].type);
        assert_int_equal(ts.records, s->types[i].records);
        assert_int_equal(ts.payload_bytes, s->types[i].bytes);
        assert_int_equal(ts.stored_bytes, s->types[i].stored);
    }
    assert_int_equal(vgt_trace_reader_dedup_count(r), s->ndedup);
    for (size_t i = 0; i < s->ndedup; i++) {
        vgt_trace_dedup_info di;
        assert_true(vgt_trace_reader_dedup(r, i, &di));
        assert_int_equal(di.hash_lo, s->dedup[i].lo);
        assert_int_equal(di.hash_hi, s->dedup[i].hi);
        assert_int_equal(di.record, s->dedup[i].record);
        assert_int_equal(di.chunk, s->dedup[i].chunk);
        assert_int_equal(di.size, s->dedup[i].size);
        assert_int_equal(di.references, s->dedup[i].refs);
    }

    /* every record, payload byte for byte */
    vgt_trace_record rec;
    size_t i = 0;
    vgt_status st;
    while ((st = vgt_trace_reader_next(r, &rec, &err)) == VGT_OK) {
        assert_true(i < t->nrecs);
        const sp_rec *sr = &t->recs[i];
        assert_int_equal(rec.seq, sr->number);
        assert_int_equal(rec.frame, sr->frame);
        assert_int_equal(rec.timestamp_ns, sr->ts);
        assert_int_equal(rec.type, sr->type);
        assert_int_equal(rec.flags, sr->flags);
        assert_int_equal(rec.size, sr->size);
        assert_memory_equal(rec.payload, sr->payload, sr->size);
        assert_int_equal(rec.deduplicated, sr->ref);
        if (sr->ref) {
            assert_int_equal(rec.ref_seq, sr->target);
        }
        i++;
    }
    assert_int_equal(st, VGT_E_END);
    assert_int_equal(i, t->nrecs);

    /* the doc's "Reading", step 2: opening reads the header, the trailer and
     * the index; seeking to frame f then reads only the chunk holding its
     * first record (a frame whose first record is no reference) */
    if (t->footer) {
        vgt_trace_reader *r2 = NULL;
        assert_int_equal(vgt_trace_reader_open(path, NULL, &r2, &err), VGT_OK);
        vgt_trace_reader_stats st0, st1;
        vgt_trace_reader_stats_get(r2, &st0);
        /* no chunk read yet, and no byte read twice (vgt bench format says
         * what share of the file a seek read; it said 100.02% of a one-chunk
         * trace when the header's fixed part was read twice) */
        assert_int_equal(st0.bytes_read, (uint64_t)t->header_size + 40 + t->index_size);
        uint64_t f = s->frames / 2;
        if (s->frames > 0 && !t->recs[s->frame_first[f]].ref) {
            assert_int_equal(vgt_trace_reader_seek_frame(r2, f, &err), VGT_OK);
            assert_int_equal(vgt_trace_reader_next(r2, &rec, &err), VGT_OK);
            vgt_trace_reader_stats_get(r2, &st1);
            assert_int_equal(st1.bytes_read - st0.bytes_read,
                             80 + (uint64_t)t->chunks[s->frame_chunk[f]].csize);
        }
        vgt_trace_reader_close(r2);
    }

    /* seeking to a frame lands on the frame table's first record */
    for (uint64_t f = 0; f < s->frames; f += 3) {
        assert_int_equal(vgt_trace_reader_seek_frame(r, f, &err), VGT_OK);
        assert_int_equal(vgt_trace_reader_next(r, &rec, &err), VGT_OK);
        assert_int_equal(rec.seq, s->frame_first[f]);
        assert_int_equal(rec.frame, f);
    }
    vgt_trace_reader_close(r);
}

/* ---- a trace written with the writer API ---------------------------------- */

static const uint8_t spec_config[] = {'c', 'o', 'n', 'f', 0, 1, 2, 3, 0xfe, 0xff, 0x80, 0x7f};

/* Frames of commands, markers, dedup'd 4 KiB payloads (two patterns, and one
 * of them again as a MARKER), a 4095-byte repeat below the threshold, a
 * record larger than the chunk size stored once and referenced from a later
 * chunk, FRAME_END with and without payload, an incomplete last frame.
 * Returns the writer open (the caller closes it or not). */
static vgt_trace_writer *write_spec_trace(const char *path, fx_trace *ft, uint32_t frames)
{
    vgt_trace_writer_settings s;
    fx_settings(&s, 8192);
    s.start_frame = 41;
    s.frame_limit = 99;
    vgt_trace_header h;
    memset(&h, 0, sizeof(h));
    h.protocol_id = 0x43455053; /* "SPEC" */
    strcpy(h.protocol_name, "spec-test-15chr");
    h.device_config = spec_config;
    h.device_config_size = sizeof(spec_config);
    h.creator = "test_format_spec \xc3\xa9";
    h.start_time_ns = 1790000000987654321ull;
    vgt_trace_writer *w = NULL;
    vgt_error err = {0};
    if (vgt_trace_writer_open(path, &s, &h, &w, &err) != VGT_OK) {
        fail_msg("writer open: %s", err.message);
    }
    static uint8_t a[4096], b[4096], c[4095], big[20000], uniq[5000], cmd[300];
    fx_fill(a, sizeof(a), 1);
    fx_fill(b, sizeof(b), 2);
    fx_fill(c, sizeof(c), 3);
    fx_fill(big, sizeof(big), 4);
    for (uint32_t f = 0; f < frames; f++) {
        for (uint32_t k = 0; k < 5; k++) {
            size_t n = 16 + 4 * ((f * 7 + k * 13) % 60);
            fx_fill(cmd, n, f * 100 + k);
            fx_add(ft, w, VGT_REC_COMMAND, (uint16_t)k, cmd, n);
        }
        fx_add(ft, w, VGT_REC_DMA_DATA, 2, f % 2 ? a : b, 4096);
        fx_add(ft, w, VGT_REC_DMA_DATA, 0, c, sizeof(c));
        fx_fill(uniq, sizeof(uniq), 1000 + f);
        fx_add(ft, w, 0xBEEF, 0x8001, uniq, sizeof(uniq));
        if (f == 3 || f == 9) {
            fx_add(ft, w, VGT_REC_SNAPSHOT, 0, big, sizeof(big));
        }
        if (f == 6) {
            fx_add(ft, w, VGT_REC_MARKER, 7, a, sizeof(a));
        }
        char text[32];
        int tn = snprintf(text, sizeof(text), "frame %u", f);
        fx_add(ft, w, VGT_REC_MARKER, 0, text, (size_t)tn);
        if (f + 1 < frames) {
            if (f % 2) {
                fx_frame_end(ft, w);
            } else {
                uint32_t v = f;
                fx_add(ft, w, VGT_REC_FRAME_END, 3, &v, sizeof(v));
            }
        }
    }
    return w;
}

/* The spec reader found exactly the records the test wrote. */
static void check_written(const sp_trace *t, const fx_trace *ft)
{
    assert_int_equal(t->nrecs, ft->n);
    for (size_t i = 0; i < ft->n; i++) {
        assert_int_equal(t->recs[i].number, ft->recs[i].seq);
        assert_int_equal(t->recs[i].frame, ft->recs[i].frame);
        assert_int_equal(t->recs[i].ts, ft->recs[i].ts);
        assert_int_equal(t->recs[i].type, ft->recs[i].type);
        assert_int_equal(t->recs[i].flags, ft->recs[i].flags);
        assert_int_equal(t->recs[i].size, ft->recs[i].size);
        assert_memory_equal(t->recs[i].payload, ft->recs[i].payload, ft->recs[i].size);
    }
}

static void spec_writer_trace(void **state)
{
    (void)state;
    char path[512];
    fx_path(path, sizeof(path), "spec-writer");
    fx_trace ft = {0};
    vgt_trace_writer *w = write_spec_trace(path, &ft, 12);
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);

    sp_trace t;
    sp_open(&t, path);
    assert_int_equal(t.major, 1);
    assert_int_equal(t.minor, 0);
    assert_int_equal(t.fixed_size, 88);
    assert_int_equal(t.protocol_id, 0x43455053);
    assert_string_equal(t.protocol_name, "spec-test-15chr");
    assert_int_equal(t.start_time, 1790000000987654321ull);
    assert_int_equal(t.level, 1);
    assert_int_equal(t.chunk_size, 8192);
    assert_int_equal(t.start_frame, 41);
    assert_int_equal(t.frame_limit, 99);
    assert_int_equal(t.dedup_min, 4096);
    assert_int_equal(t.creator_len, strlen("test_format_spec \xc3\xa9"));
    assert_memory_equal(t.creator, "test_format_spec \xc3\xa9", t.creator_len);
    assert_int_equal(t.config_len, sizeof(spec_config));
    assert_memory_equal(t.config, spec_config, sizeof(spec_config));
    assert_true(t.footer);
    assert_false(t.torn);
    check_written(&t, &ft);

    /* the chunking rule: several records of at most the chunk size, or one
     * larger record alone */
    bool saw_big_alone = false;
    for (size_t i = 0; i < t.nchunks; i++) {
        if (t.chunks[i].usize > 8192) {
            assert_int_equal(t.chunks[i].record_count, 1);
            saw_big_alone = true;
        }
    }
    assert_true(saw_big_alone);
    /* a chunk not full ended because the next record did not fit */
    for (size_t i = 0; i + 1 < t.nchunks; i++) {
        const sp_chunk *c = &t.chunks[i];
        if (c->usize < 8192) {
            uint32_t next = ld32(t.chunks[i + 1].data + 12);
            assert_true((uint64_t)c->usize + 16 + next > 8192);
        }
    }
    assert_true(t.nchunks >= 12);

    sp_sums s;
    sp_sum(&t, &s);
    /* what the test wrote: 12 frames, 11 ends; references: the 4096-byte
     * payloads after the first of each pattern (10), the MARKER copy of a
     * (1), the second 20000-byte record (1); the 4095-byte repeats stay */
    assert_int_equal(s.frames, 12);
    assert_int_equal(s.complete, 11);
    assert_int_equal(s.refs, 12);
    assert_int_equal(s.saved, 11 * 4096 + 20000);
    assert_int_equal(s.ndedup, 3);
    assert_int_equal(s.dedup[0].refs, 5); /* b: frames 2,4,..,10 */
    assert_int_equal(s.dedup[1].refs, 6); /* a: frames 3,5,..,11 and the MARKER */
    assert_int_equal(s.dedup[2].refs, 1);
    assert_int_equal(s.dedup[2].size, 20000);
    /* the reference in the MARKER keeps its own type and flags */
    bool saw_marker_ref = false;
    for (size_t i = 0; i < t.nrecs; i++) {
        if (t.recs[i].ref && t.recs[i].type == VGT_REC_MARKER) {
            assert_int_equal(t.recs[i].flags, 7);
            assert_int_equal(t.recs[t.recs[i].target].type, VGT_REC_DMA_DATA);
            saw_marker_ref = true;
        }
    }
    assert_true(saw_marker_ref);
    /* the second big record points into an earlier chunk */
    assert_true(t.recs[s.dedup[2].record].chunk < t.nchunks - 1);
    sp_check_footer(&t, &s);
    compare_with_vgt(path, &t, &s);
    sp_sums_free(&s);

    /* a damaged trailer: the walk stops at the index magic, and vgt's
     * reader rebuilds the same index */
    uint64_t index_offset = t.index_offset;
    t.file[t.size - 1] ^= 0x40;
    char damaged[512];
    fx_path(damaged, sizeof(damaged), "spec-trailer");
    fx_write_bytes(damaged, t.file, t.size);
    sp_close(&t);
    sp_open(&t, damaged);
    assert_false(t.footer);
    assert_false(t.torn);
    assert_int_equal(t.walk_end, index_offset);
    check_written(&t, &ft);
    sp_sum(&t, &s);
    compare_with_vgt(damaged, &t, &s);
    sp_sums_free(&s);
    sp_close(&t);
    fx_free(&ft);
}

/* A capture killed after its last flush: a child process writes, flushes,
 * appends a few records that stay in memory, and is killed.  The file has
 * no index and no trailer; every flushed record is readable. */
static void spec_killed_writer(void **state)
{
    (void)state;
    char path[512];
    fx_path(path, sizeof(path), "spec-killed");
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        fx_trace ft = {0};
        vgt_trace_writer *w = write_spec_trace(path, &ft, 8);
        vgt_error err = {0};
        if (vgt_trace_writer_flush(w, &err) != VGT_OK) {
            _exit(3);
        }
        /* smaller than a chunk: never written */
        vgt_trace_writer_append(w, VGT_REC_MARKER, 0, 1, "lost", 4, &err);
        raise(SIGKILL);
        _exit(4);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    /* what the child wrote before the kill, written again in memory only */
    fx_trace ft = {0};
    char other[512];
    fx_path(other, sizeof(other), "spec-killed-same");
    vgt_trace_writer *w = write_spec_trace(other, &ft, 8);
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);

    sp_trace t;
    sp_open(&t, path);
    assert_false(t.footer);
    assert_false(t.torn);
    assert_int_equal(t.walk_end, t.size);
    check_written(&t, &ft);
    sp_sums s;
    sp_sum(&t, &s);
    assert_int_equal(s.frames, 8);
    assert_int_equal(s.complete, 7);
    compare_with_vgt(path, &t, &s);
    vgt_trace_reader *r = NULL;
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    assert_true(vgt_trace_reader_problem_count(r) >= 1); /* "no footer" */
    vgt_trace_reader_close(r);
    sp_sums_free(&s);

    /* the same file torn in its last chunk: the walk ends with the chunk
     * before, and vgt's reader reads the same records */
    uint64_t torn_at = t.chunks[t.nchunks - 1].offset + 80 + t.chunks[t.nchunks - 1].csize / 2;
    size_t whole = t.nchunks - 1;
    uint64_t whole_records = t.chunks[whole].first_record;
    char torn[512];
    fx_path(torn, sizeof(torn), "spec-torn");
    fx_write_bytes(torn, t.file, torn_at);
    sp_close(&t);
    sp_open(&t, torn);
    assert_true(t.torn);
    assert_int_equal(t.nchunks, whole);
    assert_int_equal(t.nrecs, whole_records);
    sp_sum(&t, &s);
    compare_with_vgt(torn, &t, &s);
    sp_sums_free(&s);
    sp_close(&t);
    fx_free(&ft);
}

/* A trace written by vgt_trace_writer_open_fd after 100 bytes of something
 * else: its offsets count from its own first byte (the doc's rule), so
 * the same bytes cut out of the file read as a trace of their own. */
static void spec_offsets_from_trace_start(void **state)
{
    (void)state;
    char path[512], cut[512];
    fx_path(path, sizeof(path), "spec-embedded");
    fx_path(cut, sizeof(cut), "spec-embedded-cut");
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    uint8_t junk[100];
    memset(junk, 0x5a, sizeof(junk));
    assert_int_equal(fwrite(junk, 1, sizeof(junk), out), sizeof(junk));
    assert_int_equal(fflush(out), 0);
    vgt_trace_writer_settings ws;
    fx_settings(&ws, 4096);
    vgt_trace_header h;
    fx_header(&h);
    vgt_trace_writer *w = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_open_fd(fileno(out), &ws, &h, &w, &err), VGT_OK);
    fx_trace ft = {0};
    fx_generate(&ft, w, 5, 200, 10);
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);
    fclose(out);
    size_t n = 0;
    uint8_t *b = fx_read_file(path, &n);
    assert_true(n > 100);
    fx_write_bytes(cut, b + 100, n - 100);
    free(b);
    sp_trace t;
    sp_open(&t, cut);
    assert_true(t.footer);
    assert_int_equal(t.chunks[0].offset, t.header_size);
    check_written(&t, &ft);
    sp_sums s;
    sp_sum(&t, &s);
    sp_check_footer(&t, &s);
    compare_with_vgt(cut, &t, &s);
    sp_sums_free(&s);
    sp_close(&t);
    fx_free(&ft);
}

/* ---- a trace written from the doc alone ----------------------------------- */

typedef struct sp_buf {
    uint8_t *p;
    size_t n, cap;
} sp_buf;

static void put(sp_buf *b, const void *d, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    if (n) { /* d may be NULL for an empty payload */
        memcpy(b->p + b->n, d, n);
    }
    b->n += n;
}

static void put16(sp_buf *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(b, x, 2);
}

static void put32(sp_buf *b, uint32_t v)
{
    put16(b, (uint16_t)v);
    put16(b, (uint16_t)(v >> 16));
}

static void put64(sp_buf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}

static void set64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* One record's header and payload into b. */
static void put_record(sp_buf *b, uint64_t ts, uint16_t type, uint16_t flags, const void *p,
                       uint32_t n)
{
    put64(b, ts);
    put16(b, type);
    put16(b, flags);
    put32(b, n);
    put(b, p, n);
}

/* A chunk of `records` (their bytes in r) into file f. */
static void put_chunk(sp_buf *f, const sp_buf *r, uint64_t index, uint64_t first_record,
                      uint64_t first_frame, uint64_t last_frame, uint32_t count)
{
    size_t bound = ZSTD_compressBound(r->n);
    uint8_t *z = malloc(bound);
    assert_non_null(z);
    size_t zn = ZSTD_compress(z, bound, r->p, r->n, 3);
    assert_false(ZSTD_isError(zn));
    sp_buf h = {0};
    put(&h, "VGTC", 4);
    put32(&h, 0);
    put64(&h, index);
    put64(&h, first_record);
    put64(&h, first_frame);
    put64(&h, last_frame);
    put32(&h, count);
    put32(&h, 0);
    put32(&h, (uint32_t)zn);
    put32(&h, (uint32_t)r->n);
    put64(&h, XXH3_64bits(z, zn));
    put64(&h, XXH3_64bits(r->p, r->n));
    put64(&h, XXH3_64bits(h.p, 72));
    put(f, h.p, h.n);
    put(f, z, zn);
    free(h.p);
    free(z);
}

/* A file built from docs/format.md by hand, not by vgt's writer: a header
 * of a newer minor version with a field vgt does not know (fixed_size 96),
 * two chunks (a reserved container type, a dedup reference into the first
 * chunk, FRAME_END with a payload), the footer index and the trailer.
 * vgt's reader must take it as complete, without a problem, and return
 * what was written. */
static void spec_hand_written(void **state)
{
    (void)state;
    static uint8_t big[5000];
    fx_fill(big, sizeof(big), 77);
    XXH128_hash_t bh = XXH3_128bits(big, sizeof(big));
    const char *creator = "hand";
    const uint8_t config[3] = {1, 2, 3};
    sp_buf f = {0};
    put(&f, "VGTTRACE", 8);
    put16(&f, 1);
    put16(&f, 9); /* a newer minor */
    put32(&f, 96 + 4 + 3 + 8);
    put32(&f, 0);
    put32(&f, 0x444e4148);
    uint8_t name[16] = "hand";
    put(&f, name, 16);
    put64(&f, 123456789);
    put32(&f, (uint32_t)-5);
    put32(&f, 65536);
    put64(&f, 1000);
    put64(&f, 0);
    put32(&f, 4096);
    put32(&f, 4);
    put32(&f, 3);
    put32(&f, 96);
    put64(&f, 0xdeadbeefcafef00dull); /* the newer minor's field, skipped */
    put(&f, creator, 4);
    put(&f, config, 3);
    put64(&f, XXH3_64bits(f.p, f.n));
    uint64_t header_size = f.n;
    assert_int_equal(header_size, 96 + 4 + 3 + 8);

    /* chunk 0: records 0..3, frame 0 (ended by record 2) and frame 1 */
    sp_buf r = {0};
    uint32_t cmd[3] = {0x1234, 0, 0xffffffffu};
    put_record(&r, 10, 0x1000, 0, cmd, sizeof(cmd));
    put_record(&r, 11, 0x1001, 2, big, sizeof(big));
    put_record(&r, 12, 0x0001, 0, "end0", 4);
    put_record(&r, 13, 0x0004, 9, "reserved", 8); /* a container type of a newer minor */
    uint64_t off0 = f.n;
    put_chunk(&f, &r, 0, 0, 0, 1, 4);
    uint32_t us0 = (uint32_t)r.n, cs0 = (uint32_t)(f.n - off0 - 80);
    r.n = 0;
    /* chunk 1: records 4..5: a reference to record 1, FRAME_END */
    sp_buf ref = {0};
    put64(&ref, 1);
    put32(&ref, sizeof(big));
    put16(&ref, 0x1001);
    put16(&ref, 2);
    put64(&ref, bh.low64);
    put64(&ref, bh.high64);
    put_record(&r, 14, 0x0002, 0, ref.p, 32);
    put_record(&r, 15, 0x0001, 0, NULL, 0);
    uint64_t off1 = f.n;
    put_chunk(&f, &r, 1, 4, 1, 1, 2);
    uint32_t us1 = (uint32_t)r.n, cs1 = (uint32_t)(f.n - off1 - 80);
    free(r.p);
    free(ref.p);

    /* the footer index: 2 chunks, 2 frames, 6 records, 4 types, 1 dedup */
    uint64_t index_offset = f.n;
    put(&f, "VGTINDEX", 8);
    put64(&f, 2);
    put64(&f, 2);
    put64(&f, 6);
    put64(&f, 4);
    put64(&f, 1);
    put64(&f, 1);
    put64(&f, sizeof(big));
    put64(&f, (uint64_t)us0 + us1);
    put64(&f, (uint64_t)cs0 + cs1);
    put64(&f, 12 + 5000 + 4 + 8 + 5000 + 0);
    put64(&f, 2);
    const uint64_t chunks[2][7] = {{off0, 0, 0, 1, 4, cs0, us0}, {off1, 4, 1, 1, 2, cs1, us1}};
    for (int i = 0; i < 2; i++) {
        for (int k = 0; k < 4; k++) {
            put64(&f, chunks[i][k]);
        }
        put32(&f, (uint32_t)chunks[i][4]);
        put32(&f, (uint32_t)chunks[i][5]);
        put32(&f, (uint32_t)chunks[i][6]);
        put32(&f, 0);
    }
    put64(&f, 0); /* frame 0: chunk 0, record 0 */
    put64(&f, 0);
    put64(&f, 0); /* frame 1: chunk 0, record 3 */
    put64(&f, 3);
    const uint64_t types[4][4] = {
        {0x0001, 2, 4, 4}, {0x0004, 1, 8, 8}, {0x1000, 1, 12, 12}, {0x1001, 2, 10000, 5032}};
    for (int i = 0; i < 4; i++) {
        put16(&f, (uint16_t)types[i][0]);
        put16(&f, 0);
        put32(&f, 0);
        put64(&f, types[i][1]);
        put64(&f, types[i][2]);
        put64(&f, types[i][3]);
    }
    put64(&f, bh.low64);
    put64(&f, bh.high64);
    put64(&f, 1); /* record */
    put64(&f, 0); /* chunk */
    put32(&f, sizeof(big));
    put32(&f, 0);
    put64(&f, 1); /* references */
    uint64_t index_size = f.n - index_offset;
    put(&f, "VGTTRAIL", 8);
    put64(&f, index_offset);
    put64(&f, index_size);
    put64(&f, XXH3_64bits(f.p + index_offset, index_size));
    put64(&f, XXH3_64bits(f.p + f.n - 32, 32));
    char path[512];
    fx_path(path, sizeof(path), "spec-hand");
    fx_write_bytes(path, f.p, f.n);

    /* the spec reader agrees with the hand-made index */
    sp_trace t;
    sp_open(&t, path);
    assert_true(t.footer);
    assert_int_equal(t.fixed_size, 96);
    sp_sums s;
    sp_sum(&t, &s);
    sp_check_footer(&t, &s);
    sp_sums_free(&s);
    sp_close(&t);

    vgt_trace_reader *rd = NULL;
    vgt_error err = {0};
    if (vgt_trace_reader_open(path, NULL, &rd, &err) != VGT_OK) {
        fail_msg("hand-written trace: %s", err.message);
    }
    vgt_trace_info info;
    vgt_trace_reader_info(rd, &info);
    for (size_t i = 0; i < vgt_trace_reader_problem_count(rd); i++) {
        fprintf(stderr, "problem: %s\n", vgt_trace_reader_problem(rd, i)->message);
    }
    assert_int_equal(vgt_trace_reader_problem_count(rd), 0);
    assert_true(info.footer_present);
    assert_int_equal(info.version_minor, 9);
    assert_int_equal(info.records, 6);
    assert_int_equal(info.frames, 2);
    const vgt_trace_header *h = vgt_trace_reader_header(rd);
    assert_int_equal(h->compression_level, -5);
    assert_int_equal(h->start_frame, 1000);
    assert_string_equal(h->creator, "hand");
    assert_int_equal(h->device_config_size, 3);
    const struct {
        uint16_t type, flags;
        uint32_t size;
        uint64_t frame, ts;
    } want[6] = {{0x1000, 0, 12, 0, 10}, {0x1001, 2, 5000, 0, 11}, {0x0001, 0, 4, 0, 12},
                 {0x0004, 9, 8, 1, 13},  {0x1001, 2, 5000, 1, 14}, {0x0001, 0, 0, 1, 15}};
    vgt_trace_record rec;
    for (int i = 0; i < 6; i++) {
        assert_int_equal(vgt_trace_reader_next(rd, &rec, &err), VGT_OK);
        assert_int_equal(rec.seq, i);
        assert_int_equal(rec.type, want[i].type);
        assert_int_equal(rec.flags, want[i].flags);
        assert_int_equal(rec.size, want[i].size);
        assert_int_equal(rec.frame, want[i].frame);
        assert_int_equal(rec.timestamp_ns, want[i].ts);
        assert_int_equal(rec.deduplicated, i == 4);
    }
    assert_memory_equal(rec.payload, "", 0);
    assert_int_equal(vgt_trace_reader_next(rd, &rec, &err), VGT_E_END);
    assert_int_equal(vgt_trace_reader_seek_record(rd, 4, &err), VGT_OK);
    assert_int_equal(vgt_trace_reader_next(rd, &rec, &err), VGT_OK);
    assert_memory_equal(rec.payload, big, sizeof(big));
    assert_int_equal(vgt_trace_reader_verify(rd, &err), VGT_OK);
    vgt_trace_reader_close(rd);

    /* the header's version rules: major 0 and 2 refused, each by its error */
    for (int major = 0; major <= 2; major += 2) {
        f.p[8] = (uint8_t)major;
        set64(f.p + header_size - 8, XXH3_64bits(f.p, header_size - 8));
        fx_write_bytes(path, f.p, f.n);
        rd = NULL;
        assert_int_equal(vgt_trace_reader_open(path, NULL, &rd, &err),
                         major == 0 ? VGT_E_FORMAT : VGT_E_VERSION);
        assert_null(rd);
    }
    free(f.p);
}

/* ---- SVGA payloads, from the doc's "SVGA records" tables ----------------- */

typedef struct svga_counts {
    uint64_t commands; /* commands in COMMAND and COMMAND_BATCH */
    uint64_t batches, repeats, dma_desc, dma_rows, dma_bytes_dedup, timings, hashes, snapshots;
    uint64_t ex2d, ex3d_entries, ex3d_queries, exvo_units, regs, fifo_cursors, fences;
    uint32_t ex2d_version;
    uint32_t first_words[2]; /* the first command's first two words */
    uint64_t snap_frame, snap_next_seq, first_seq_after_snap;
} svga_counts;

/* The EX2D section of a snapshot, field by field as the doc lists them;
 * returns its version. */
static uint32_t svga_ex2d(const uint8_t *p, uint64_t n)
{
    uint64_t o = 0;
#define NEED(k) assert_true(n - o >= (uint64_t)(k))
    NEED(8);
    uint32_t version = ld32(p);
    assert_true(version >= 2 && version <= 5);
    assert_int_equal(ld32(p + 4), 0);
    o = 8;
    NEED(24);
    uint32_t bpp = ld32(p + o + 12);
    bool enabled = ld32(p + o) != 0;
    o += 24; /* mode */
    NEED(768);
    o += 768; /* palette */
    NEED(4);
    uint32_t screens = ld32(p + o);
    o += 4;
    for (uint32_t i = 0; i < screens; i++) {
        uint32_t words = version >= 3 ? 11 : 7;
        NEED(4 * words);
        uint64_t w = ld32(p + o + 20), h = ld32(p + o + 24);
        o += 4 * words;
        NEED(4 * w * h);
        o += 4 * w * h;
    }
    NEED(20);
    o += 20; /* GMRFB */
    NEED(12);
    o += 12; /* annotation */
    NEED(40);
    bool cursor = ld32(p + o) != 0, alpha = ld32(p + o + 4) != 0;
    uint64_t cw = ld32(p + o + 16), ch = ld32(p + o + 20);
    o += 40;
    /* pixels of a defined cursor only */
    uint64_t planes = !cursor ? 0 : alpha ? 1 : 2;
    NEED(4 * cw * ch * planes);
    o += 4 * cw * ch * planes;
    if (version >= 4) {
        NEED(8);
        bool shadow = ld32(p + o + 4) != 0;
        o += 8;
        assert_int_equal(shadow, enabled && bpp == 8);
        if (shadow) {
            NEED(8);
            uint64_t sw = ld32(p + o), sh = ld32(p + o + 4);
            o += 8;
            NEED(sw * sh + sh * ((sw + 7) / 8));
            o += sw * sh + sh * ((sw + 7) / 8);
        }
    }
    if (version >= 5) {
        NEED(4);
        o += 4;
    }
#undef NEED
    assert_int_equal(o, n); /* the section holds nothing more */
    return version;
}

/* The EXVO section: the doc's two tables; returns the units. */
static uint32_t svga_exvo(const uint8_t *s, uint64_t size)
{
    assert_true(size >= 12);
    assert_int_equal(ld32(s), 1);
    assert_int_equal(ld32(s + 4), 0);
    uint32_t n = ld32(s + 8);
    assert_true(n >= 1 && n <= 32);
    uint64_t o = 12, pixels = 0;
    uint32_t seen = 0;
    for (uint32_t i = 0; i < n; i++) {
        assert_true(size - o >= 92);
        uint32_t id = ld32(s + o);
        assert_true(id <= 31 && !(seen & (1u << id)));
        seen |= 1u << id;
        bool shown = ld32(s + o + 88) != 0;
        assert_true(ld32(s + o + 88) <= 1);
        o += 92;
        if (!shown) {
            continue;
        }
        assert_true(size - o >= 124 - 92);
        assert_true(ld32(s + o) <= 1);
        assert_int_equal(ld32(s + o + 4) & ~0xFFFFFFu, 0);
        int64_t x = (int64_t)ld64(s + o + 8), y = (int64_t)ld64(s + o + 16);
        assert_true(x >= -(1ll << 33) && x <= (1ll << 33) && y >= -(1ll << 33) && y <= (1ll << 33));
        uint64_t w = ld32(s + o + 24), h = ld32(s + o + 28);
        assert_true(w >= 1 && w <= 8192 && h >= 1 && h <= 8192);
        o += 32;
        assert_true(size - o >= 4 * w * h);
        for (uint64_t k = 0; k < w * h; k++) {
            assert_int_equal(s[o + 4 * k + 3], 0xFF); /* u32 0xFFRRGGBB */
        }
        o += 4 * w * h;
        pixels += w * h;
    }
    assert_true(pixels <= (16u << 20));
    assert_int_equal(o, size);
    return n;
}

/* A command's length as the protocol decodes it, in words (header
 * included); the words are copied out first (a payload is not 4-aligned). */
static uint32_t svga_cmd_words(const uint8_t *p, uint32_t avail)
{
    uint32_t *w = malloc(4 * (size_t)(avail ? avail : 1));
    assert_non_null(w);
    memcpy(w, p, 4 * (size_t)avail);
    uint32_t total = 0;
    vgt_error err = {0};
    vgt_status st = vgt_cmd_length(w, avail, &total, &err);
    free(w);
    if (st != VGT_OK) {
        fail_msg("command 0x%08x: %s", ld32(p), err.message);
    }
    return total;
}

/* One SNAPSHOT payload: header, sections back to back. */
static void svga_snapshot(const uint8_t *p, uint32_t n, svga_counts *c)
{
    assert_true(n >= 24);
    assert_memory_equal(p, "VGSN", 4);
    assert_int_equal(ld32(p + 4), 1);
    c->snap_frame = ld64(p + 8);
    c->snap_next_seq = ld64(p + 16);
    uint64_t o = 24;
    bool saw_regs = false;
    while (o < n) {
        assert_true(n - o >= 16);
        const uint8_t *tag = p + o;
        assert_int_equal(ld32(p + o + 4), 0);
        uint64_t size = ld64(p + o + 8);
        o += 16;
        assert_true(size <= n - o);
        const uint8_t *s = p + o;
        if (memcmp(tag, "REGS", 4) == 0) {
            assert_int_equal(size % 8, 0);
            c->regs += size / 8;
            saw_regs = true;
        } else if (memcmp(tag, "EX2D", 4) == 0) {
            c->ex2d_version = svga_ex2d(s, size);
            c->ex2d++;
        } else if (memcmp(tag, "EXVO", 4) == 0) {
            c->exvo_units += svga_exvo(s, size);
        } else if (memcmp(tag, "EX3D", 4) == 0) {
            assert_true(size >= 12);
            assert_int_equal(ld32(s), 1);
            const uint32_t flags = ld32(s + 4);
            assert_int_equal(flags & ~3u, 0);
            uint32_t count = ld32(s + 8);
            uint64_t e = 12;
            for (uint32_t i = 0; i < count; i++) {
                assert_true(size - e >= 8 && e % 4 == 0);
                uint64_t w = ld32(s + e), pl = ld32(s + e + 4);
                assert_true(w >= 2 && w <= (1u << 22));
                assert_true(size - e - 8 >= 4 * w);
                /* u32 id, u32 body size in bytes: w words in all */
                assert_int_equal(ld32(s + e + 12), 4 * (w - 2));
                assert_int_equal(svga_cmd_words(s + e + 8, (uint32_t)w), w);
                uint64_t len = 8 + 4 * w + pl;
                len = (len + 3) & ~3ull;
                assert_true(size - e >= len);
                e += len;
            }
            if (flags & 2u) {
                /* the query table: m rows of {cid, type 0, state 1 or 2, value lo, hi} */
                assert_true(size - e >= 4);
                uint64_t m = ld32(s + e);
                e += 4;
                assert_true(m >= 1 && (size - e) / 20 >= m);
                for (uint64_t r = 0; r < m; r++, e += 20) {
                    assert_int_equal(ld32(s + e + 4), 0);
                    uint32_t state = ld32(s + e + 8);
                    assert_true(state == 1 || state == 2);
                    assert_true(state == 1 ? (ld32(s + e + 12) | ld32(s + e + 16)) != 0
                                           : ld32(s + e + 16) == 0);
                }
                c->ex3d_queries += (uint32_t)m;
            }
            assert_int_equal(e, size);
            c->ex3d_entries += count;
        }
        o += size;
    }
    assert_int_equal(o, n);
    assert_true(saw_regs);
    c->snapshots++;
}

/* Every record of an SVGA trace against the doc's payload table; commands'
 * seqs must run consecutively over COMMAND and COMMAND_BATCH records. */
static void svga_check(const sp_trace *t, bool three_d, svga_counts *c)
{
    memset(c, 0, sizeof(*c));
    assert_int_equal(t->protocol_id, 0x32414753);
    assert_string_equal(t->protocol_name, "svga2");
    /* device_config: 60 bytes + 4 per caps word */
    assert_true(t->config_len >= 60);
    assert_int_equal(ld32(t->config), 0x43444756);
    assert_memory_equal(t->config, "VGDC", 4);
    assert_int_equal(ld32(t->config + 4), 1);
    uint32_t caps = ld32(t->config + 56);
    assert_true(caps <= 256);
    assert_int_equal(t->config_len, 60 + 4 * caps);
    /* 3D offered, on the null backend, with a hardware version and caps */
    assert_int_equal(ld32(t->config + 16) & 1, three_d);
    /* bit 1: the video overlay filter, bilinear in every capture since
     * 2026-11-30; no other flag */
    assert_int_equal((ld32(t->config + 16) >> 1) & 1, 1);
    assert_int_equal(ld32(t->config + 16) >> 2, 0);
    assert_int_equal(ld32(t->config + 48), 0);
    assert_int_equal(ld32(t->config + 52) != 0, three_d);
    assert_int_equal(caps != 0, three_d);

    uint64_t next_seq = UINT64_MAX; /* unknown until the first command */
    for (size_t i = 0; i < t->nrecs; i++) {
        const sp_rec *r = &t->recs[i];
        const uint8_t *p = r->payload;
        /* timestamps: 0 in DMA_DATA and TIMING (their times are their
         * commands'), a FRAME_END's its FRAME_HASH's, else a clock's */
        if (r->type == 0x1001 || r->type == 0x1005) {
            assert_int_equal(r->ts, 0);
        } else if (r->type == 0x0001 && i > 0 && t->recs[i - 1].type == 0x1004) {
            assert_int_equal(r->ts, t->recs[i - 1].ts);
        } else {
            assert_int_not_equal(r->ts, 0);
        }
        switch (r->type) {
        case 0x1000: /* COMMAND */
            assert_int_equal(r->flags, 0);
            assert_true(r->size >= 20 && r->size % 4 == 0);
            assert_int_equal(ld32(p + 12), 0);
            if (next_seq != UINT64_MAX) {
                assert_int_equal(ld64(p), next_seq);
            }
            assert_int_equal(svga_cmd_words(p + 16, (r->size - 16) / 4), (r->size - 16) / 4);
            if (c->commands == 0) {
                memcpy(c->first_words, p + 16, 8);
                c->first_seq_after_snap = ld64(p);
            }
            next_seq = ld64(p) + 1;
            c->commands++;
            break;
        case 0x1008: { /* COMMAND_BATCH */
            assert_int_equal(r->flags, 0);
            assert_true(r->size >= 16);
            uint64_t n = ld32(p + 8);
            assert_true(n >= 1);
            assert_int_equal(ld32(p + 12), 0);
            assert_true(r->size >= 16 + 12 * n);
            uint64_t words = 0;
            for (uint64_t k = 0; k < n; k++) {
                uint32_t wc = ld32(p + 16 + 4 * k);
                assert_true((wc & 0x7fffffffu) >= 1);
                if (wc & 0x80000000u) {
                    assert_true(k >= 1); /* same as the command before it */
                    c->repeats++;
                } else {
                    /* a count is the command's words, its id included */
                    assert_true(r->size >= 16 + 12 * n + 4 * (words + wc));
                    assert_int_equal(svga_cmd_words(p + 16 + 12 * n + 4 * words, wc), wc);
                    words += wc;
                }
                uint32_t off = ld32(p + 16 + 4 * n + 4 * k);
                assert_true(off == 0xFFFFFFFFu || (off % 4 == 0 && off < (16u << 20)));
            }
            assert_int_equal(r->size, 16 + 12 * n + 4 * words);
            /* the record's timestamp is the first command's fetch */
            assert_int_equal(ld32(p + 16 + 8 * n), 0);
            if (next_seq != UINT64_MAX) {
                assert_int_equal(ld64(p), next_seq);
            }
            if (c->commands == 0) {
                c->first_seq_after_snap = ld64(p);
                uint32_t wc0 = ld32(p + 16);
                assert_true(wc0 >= 2 && !(wc0 & 0x80000000u));
                memcpy(c->first_words, p + 16 + 12 * n, 8);
            }
            next_seq = ld64(p) + n;
            c->commands += n;
            /* vgt's capture keeps a batch below 4 KiB */
            assert_true(r->size < 4096);
            c->batches++;
            break;
        }
        case 0x1001: /* DMA_DATA */
            assert_true(r->size >= 16);
            assert_true(ld64(p) < next_seq);
            if (r->flags == 0) {
                break;
            }
            assert_true(r->flags == 1 || r->flags == 5);
            assert_true(i + 1 < t->nrecs);
            assert_int_equal(t->recs[i + 1].type, 0x1001);
            assert_int_equal(t->recs[i + 1].flags, 2);
            assert_int_equal(t->recs[i + 1].size, ld32(p + 16));
            if (r->flags == 1) {
                assert_int_equal(r->size, 24);
                assert_int_equal(ld32(p + 20), 0);
                c->dma_desc++;
            } else {
                assert_int_equal(r->size, 32);
                uint64_t row = ld32(p + 20), pitch = ld32(p + 24), rows = ld32(p + 28);
                assert_true(row >= 1 && rows >= 1 && pitch >= row);
                assert_int_equal(ld32(p + 16), rows * row);
                assert_true(ld32(p + 12) + (rows - 1) * pitch + row <= (1ull << 32));
                c->dma_rows++;
            }
            c->dma_bytes_dedup += t->recs[i + 1].ref;
            i++; /* the BYTES record, checked with its descriptor */
            break;
        case 0x1002: /* REGISTER_WRITE */
            assert_true(r->flags <= 1);
            assert_int_equal(r->size, r->flags ? 24 : 8);
            c->fifo_cursors += r->flags;
            break;
        case 0x1003: /* FENCE */
            assert_int_equal(r->size, 16);
            assert_int_equal(ld32(p + 12), 0);
            c->fences++;
            break;
        case 0x1004: /* FRAME_HASH, then the container's FRAME_END */
            assert_int_equal(r->size, 40);
            /* its guest frame: the header's start frame + the trace frame */
            assert_int_equal(ld64(p), t->start_frame + r->frame);
            assert_true(ld64(p + 8) < next_seq);
            assert_int_equal(ld32(p + 36), 0);
            assert_int_equal(ld32(p + 32) & ~3u, 0);
            /* a capture since 2026-11-29 hashes a row tree of a display */
            assert_int_equal(ld32(p + 32), 2);
            assert_true(ld32(p + 24) > 0 && ld32(p + 28) > 0);
            assert_true(i + 1 < t->nrecs);
            assert_int_equal(t->recs[i + 1].type, 0x0001);
            c->hashes++;
            break;
        case 0x1005: /* TIMING */
            assert_true(r->size >= 16);
            assert_int_equal(ld32(p + 12), 0);
            assert_int_equal(r->size, 16 + 8 * (uint64_t)ld32(p + 8));
            assert_true(ld64(p) + ld32(p + 8) <= next_seq);
            assert_true(ld32(p + 8) >= 1 && ld32(p + 8) <= 256);
            c->timings++;
            break;
        case 0x1006: /* ERROR */
            assert_true(r->size >= 16);
            assert_true(ld32(p + 12) <= 7);
            break;
        case 0x1007: /* SNAPSHOT */
            svga_snapshot(p, r->size, c);
            break;
        case 0x0001: /* FRAME_END */
        case 0x0003: /* MARKER */
            break;
        default:
            fail_msg("record %zu: type 0x%04x is not in docs/format.md", i, r->type);
        }
    }
    if (c->snapshots) {
        /* the first guest frame after it, the seq of the next command */
        assert_int_equal(t->recs[0].type, 0x1007);
        assert_int_equal(c->snap_frame, t->start_frame);
        assert_int_equal(c->snap_next_seq, c->first_seq_after_snap);
    }
}

/* The FRAME_HASH records of a trace, by trace frame. */
typedef struct frame_hashes {
    const sp_trace *t;
    uint64_t checked;
} frame_hashes;

/* The doc's row tree of an image: each row as B, G, R, 0xFF bytes hashed
 * with XXH3_64, the row hashes as little-endian u64 hashed again. */
static uint64_t row_tree(const vgt_image *img)
{
    uint8_t *row = malloc((size_t)img->width * 4 + 1);
    uint8_t *hashes = malloc((size_t)img->height * 8 + 1);
    assert_true(row && hashes);
    for (uint32_t y = 0; y < img->height; y++) {
        memcpy(row, img->pixels + (size_t)y * img->stride, (size_t)img->width * 4);
        for (uint32_t x = 0; x < img->width; x++) {
            row[4 * x + 3] = 0xFF;
        }
        set64(hashes + 8 * (size_t)y, XXH3_64bits(row, (size_t)img->width * 4));
    }
    uint64_t h = XXH3_64bits(hashes, (size_t)img->height * 8);
    free(row);
    free(hashes);
    return h;
}

/* Each replayed frame's row tree equals the FRAME_HASH the spec reader found
 * for that guest frame. */
static int check_frame_hash(void *ctx, const vgt_replay_frame *f)
{
    frame_hashes *fh = ctx;
    const sp_trace *t = fh->t;
    for (size_t i = 0; i < t->nrecs; i++) {
        const sp_rec *r = &t->recs[i];
        if (r->type != 0x1004 || ld64(r->payload) != f->frame) {
            continue;
        }
        assert_non_null(f->image);
        assert_int_equal(ld32(r->payload + 24), f->image->width);
        assert_int_equal(ld32(r->payload + 28), f->image->height);
        assert_int_equal(ld64(r->payload + 16), row_tree(f->image));
        fh->checked++;
    }
    return 0;
}

/* Captures of samples on the VM harness, read by the spec reader. */
static void spec_capture(const char *name, const char *sample, uint32_t frames, bool three_d,
                         uint64_t start, svga_counts *c)
{
    char path[512];
    fx_path(path, sizeof(path), name);
    vgt_backend_kind be = VGT_BACKEND_NULL;
    vgt_sample_args args = {.frames = frames};
    assert_true(capture_test_sample(path, sample, &args, three_d ? &be : NULL, start));
    sp_trace t;
    sp_open(&t, path);
    assert_true(t.footer);
    assert_int_equal(t.start_frame, start);
    assert_true(t.creator_len > 0);
    svga_check(&t, three_d, c);
    sp_sums s;
    sp_sum(&t, &s);
    sp_check_footer(&t, &s);
    compare_with_vgt(path, &t, &s);

    /* FRAME_HASH as the doc defines it, from the frames a replay composes */
    frame_hashes fh = {&t, 0};
    vgt_replayer_options ro = {.backend = VGT_REPLAY_BACKEND_AS_CAPTURED,
                               .last_frame = UINT64_MAX,
                               .compose = true,
                               .on_frame = check_frame_hash,
                               .ctx = &fh};
    vgt_replayer *rp = NULL;
    vgt_error rerr = {0};
    if (vgt_replayer_open(path, &ro, &rp, &rerr) != VGT_OK ||
        vgt_replayer_run(rp, NULL, &rerr) != VGT_OK) {
        fail_msg("replay %s: %s", path, rerr.message);
    }
    vgt_replayer_close(rp);
    assert_int_equal(fh.checked, c->hashes);

    /* a few command bytes through vgt's reader: the first command's words */
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    vgt_trace_record rec;
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
        if (rec.type == VGT_REC_COMMAND) {
            assert_memory_equal(rec.payload + 16, c->first_words, 8);
            break;
        }
        if (rec.type == VGT_REC_COMMAND_BATCH) {
            uint32_t n = ld32(rec.payload + 8);
            assert_memory_equal(rec.payload + 16 + 12 * (size_t)n, c->first_words, 8);
            break;
        }
    }
    vgt_trace_reader_close(r);
    sp_sums_free(&s);
    sp_close(&t);
}

static void spec_capture_2d(void **state)
{
    (void)state;
    svga_counts c;
    spec_capture("spec-2d", "2d-demo", 5, false, 2, &c);
    /* frames 2..4 of the guest: a snapshot, commands, a hash per frame */
    assert_int_equal(c.snapshots, 1);
    assert_int_equal(c.ex2d, 1);
    assert_true(c.regs > 0);
    assert_true(c.commands > 0);
    assert_true(c.batches > 0);
    assert_int_equal(c.hashes, 3);
    assert_true(c.timings >= 1);
    assert_true(c.dma_rows > 0);
}

static void spec_capture_cube(void **state)
{
    (void)state;
    svga_counts c;
    spec_capture("spec-cube", "cube", 5, true, 2, &c);
    assert_int_equal(c.snapshots, 1);
    assert_int_equal(c.ex2d, 1);
    assert_true(c.ex3d_entries > 0);
    assert_true(c.commands > 0);
    assert_int_equal(c.hashes, 3);
}

/* From power-on: no snapshot; the cube's buffers go up by SURFACE_DMA. */
static void spec_capture_cube_start(void **state)
{
    (void)state;
    svga_counts c;
    spec_capture("spec-cube0", "cube", 3, true, 0, &c);
    assert_int_equal(c.snapshots, 0);
    assert_true(c.commands > 0);
    assert_int_equal(c.hashes, 3);
}

/* Screen Objects with backing stores: EX2D version 3. */
static void spec_capture_screens(void **state)
{
    (void)state;
    svga_counts c;
    spec_capture("spec-screens", "screens", 5, false, 2, &c);
    assert_int_equal(c.snapshots, 1);
    assert_int_equal(c.ex2d_version, 3);
}

/* The 8-bit mode: EX2D version 4 with the index shadow. */
static void spec_capture_palette(void **state)
{
    (void)state;
    svga_counts c;
    spec_capture("spec-palette", "palette", 5, false, 2, &c);
    assert_int_equal(c.snapshots, 1);
    assert_int_equal(c.ex2d_version, 4);
}

/* Video overlay units in the snapshot: EXVO. */
static void spec_capture_video(void **state)
{
    (void)state;
    svga_counts c;
    spec_capture("spec-video", "video", 5, false, 3, &c);
    assert_int_equal(c.snapshots, 1);
    assert_true(c.exvo_units >= 1);
}

/* A trace without a record: no chunk, an index of four empty tables. */
static void spec_empty_trace(void **state)
{
    (void)state;
    char path[512];
    fx_path(path, sizeof(path), "spec-empty");
    vgt_trace_writer_settings ws;
    fx_settings(&ws, 4096);
    vgt_trace_header h;
    fx_header(&h);
    vgt_trace_writer *w = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_open(path, &ws, &h, &w, &err), VGT_OK);
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);
    sp_trace t;
    sp_open(&t, path);
    assert_true(t.footer);
    assert_int_equal(t.nchunks, 0);
    assert_int_equal(t.index_offset, t.header_size);
    assert_int_equal(t.index_size, 96);
    for (int i = 1; i < 12; i++) {
        assert_int_equal(t.f[i], 0);
    }
    sp_sums s;
    sp_sum(&t, &s);
    sp_check_footer(&t, &s);
    compare_with_vgt(path, &t, &s);
    sp_sums_free(&s);
    sp_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spec_writer_trace),
        cmocka_unit_test(spec_killed_writer),
        cmocka_unit_test(spec_capture_2d),
        cmocka_unit_test(spec_capture_cube),
        cmocka_unit_test(spec_capture_cube_start),
        cmocka_unit_test(spec_capture_screens),
        cmocka_unit_test(spec_capture_palette),
        cmocka_unit_test(spec_capture_video),
        cmocka_unit_test(spec_empty_trace),
        cmocka_unit_test(spec_hand_written),
        cmocka_unit_test(spec_offsets_from_trace_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
