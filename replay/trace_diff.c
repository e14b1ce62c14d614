/* vgt diff: two SVGA traces compared frame by frame (vgt_diff,
 * docs/cli.md).  Both traces are read in step, one frame at a time: a
 * frame's commands are hashed (XXH3 of their words), the two lists aligned
 * by a Myers diff bounded in edits and work (past the bound: position by
 * position), and the frame's FRAME_HASH, guest memory reads, register
 * writes, fences and device errors compared.
 * The compared frames' records also feed the summary vgt info prints
 * (vgt_trace_summarizer), for the cost per command type; a damaged frame's
 * only their TIMING records (salvage: summary_flush).  With ignore_ids
 * each command is hashed with its id fields (vgt_cmd_ids, the decoder's
 * knowledge) renamed to their order of first appearance in its trace.
 * The command types of `ignore` are dropped from the command lists (and
 * counted) before any of that; the frame checks and the cost still see
 * them. */
#include "vgt_replayer.h"

#include "frame_ranges.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define WORK_BUDGET   (64u << 20) /* snake steps and diagonals per frame */
#define MAX_EDITS_CAP (1u << 14)  /* max_edits at most: (2^14)^2 x 8 bytes of rounds */

/* ---- ignore_ids: one trace's renaming of one id kind ----------------------------- */

/* value -> order of first appearance, open addressing (linear probing);
 * at most VGT_DIFF_MAX_IDS entries, the table at most twice that. */
typedef struct id_map {
    uint32_t *key, *ord; /* ord: order + 1, 0 an empty slot */
    uint32_t slots, n;
} id_map;

static uint32_t id_slot(uint32_t v, uint32_t slots)
{
    return (uint32_t)(((uint64_t)v * 0x9E3779B97F4A7C15ull) >> 32) & (slots - 1u);
}

/* The order of v (inserted when new).  False when v is new and the map
 * holds VGT_DIFF_MAX_IDS ids already (or out of memory): v stays as it is. */
static bool id_rename(id_map *m, uint32_t v, uint32_t *out)
{
    if (m->slots) {
        for (uint32_t i = id_slot(v, m->slots);; i = (i + 1u) & (m->slots - 1u)) {
            if (!m->ord[i]) {
                break;
            }
            if (m->key[i] == v) {
                *out = m->ord[i] - 1u;
                return true;
            }
        }
    }
    if (m->n >= VGT_DIFF_MAX_IDS) {
        return false;
    }
    if (2u * (m->n + 1u) > m->slots) { /* keep the load at most 1/2 */
        uint32_t slots = m->slots ? 2u * m->slots : 64u;
        uint32_t *key = calloc(slots, sizeof(*key)), *ord = calloc(slots, sizeof(*ord));
        if (!key || !ord) {
            free(key);
            free(ord);
            return false;
        }
        for (uint32_t j = 0; j < m->slots; j++) {
            if (m->ord[j]) {
                uint32_t i = id_slot(m->key[j], slots);
                while (ord[i]) {
                    i = (i + 1u) & (slots - 1u);
                }
                key[i] = m->key[j];
                ord[i] = m->ord[j];
            }
        }
        free(m->key);
        free(m->ord);
        m->key = key;
        m->ord = ord;
        m->slots = slots;
    }
    uint32_t i = id_slot(v, m->slots);
    while (m->ord[i]) {
        i = (i + 1u) & (m->slots - 1u);
    }
    m->key[i] = v;
    m->ord[i] = ++m->n;
    *out = m->n - 1u;
    return true;
}

/* One trace being read a frame at a time. */
typedef struct side {
    const char *label, *path;
    vgt_trace_reader *r;
    uint64_t start;  /* guest frame of trace frame 0 */
    uint64_t frames; /* complete frames */
    uint64_t frame;  /* the guest frame being read */
    vgt_trace_summarizer *sum;
    vgt_diff_trace *out;
    /* the frame being read */
    uint64_t *hash, *seq, *woff; /* per command; woff UINT64_MAX: words not kept */
    uint32_t *nw;
    size_t n, cap;
    uint32_t *words;
    size_t nwords, wcap;
    vgt_diff_side f;
    /* ignore_ids: the renaming, and the command being renamed (its words
     * decoded, and renamed in `renamed`, little-endian as recorded) */
    bool ignore_ids;
    id_map ids[VGT_ID_KINDS];
    uint32_t *cw;
    uint8_t *renamed;
    size_t ccap;
    uint64_t raw_mask; /* the renamed command's id fields left as they are */
    /* the command types left out of the comparison (vgt_diff_options) */
    const uint32_t *ignore;
    size_t nignore;
    /* salvage: where the reading stands (the record expected next, the
     * last one's trace frame and whether it ended it), the problems looked
     * at, the compared guest frames, and a record of a later frame read
     * while its frame's FRAME_END was lost (taken by the next read_frame:
     * nothing is read from this reader before it) */
    bool salvage;
    uint64_t next_seq, last_frame;
    bool last_end;
    size_t problems_open, problems_seen; /* recorded by the open; looked at */
    size_t damaged_cap;                  /* out->damaged's room, in ranges */
    uint64_t lo, hi;
    vgt_trace_record pending;
    bool has_pending;
    /* salvage: the frame's records held back from the cost summary until
     * both sides have read the frame (whether it is damaged is known
     * then), their payloads copied into `held_bytes` */
    vgt_trace_record *held;
    size_t nheld, held_cap;
    uint8_t *held_bytes;
    size_t held_used, held_bytes_cap;
} side;

static vgt_status side_error(side *s, vgt_error *err)
{
    vgt_error_prefix(err, "%s", s->label); /* the reader names the file */
    return err->code;
}

static vgt_status side_open(side *s, const char *label, const char *path, const vgt_diff_options *o,
                            vgt_diff_trace *out, vgt_error *err)
{
    memset(s, 0, sizeof(*s));
    s->ignore_ids = o->ignore_ids;
    s->ignore = o->ignore;
    s->nignore = o->nignore;
    s->label = label;
    s->path = path;
    s->out = out;
    s->salvage = o->salvage;
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    ro.salvage = o->salvage;
    vgt_status st = vgt_trace_reader_open(path, &ro, &s->r, err);
    if (st != VGT_OK) {
        return side_error(s, err);
    }
    const vgt_trace_header *h = vgt_trace_reader_header(s->r);
    if (strcmp(h->protocol_name, VGT_SVGA_TRACE_PROTOCOL_NAME) != 0) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "%s (%s): protocol '%s', not an SVGA trace (%s): vgt diff compares "
                             "SVGA traces only",
                             label, path, h->protocol_name, VGT_SVGA_TRACE_PROTOCOL_NAME);
    }
    vgt_trace_info info;
    vgt_trace_reader_info(s->r, &info);
    s->problems_open = s->problems_seen = vgt_trace_reader_problem_count(s->r);
    out->incomplete = !info.footer_present;
    out->chunks = info.chunks;
    s->start = h->start_frame;
    s->frames = info.complete_frames;
    if (s->frames > 0 && s->start <= UINT64_MAX - (s->frames - 1u)) {
        out->has_frames = true;
        out->first_frame = s->start;
        out->last_frame = s->start + (s->frames - 1u);
    }
    return vgt_trace_summarizer_begin(&out->cost, h, &s->sum, err);
}

/* Without salvage a reader's walk stops at the first damaged chunk (a
 * problem of the open's, not a torn last chunk: that is an incomplete
 * capture, read up to its last complete chunk) and the frames after it are
 * lost.  A comparison that asks for one of them (up to `want_last`, a
 * frame number of the trace) fails as a read into the damage does: the
 * user asked for frames the trace cannot give, and --salvage reads on. */
static vgt_status stopped_short(side *s, uint64_t want_last, vgt_error *err)
{
    if (s->salvage) {
        return VGT_OK;
    }
    uint64_t readable_last = s->frames ? s->start + (s->frames - 1u) : 0;
    vgt_trace_problem p;
    for (size_t i = 0; i < s->problems_open && vgt_trace_reader_problem_brief(s->r, i, &p); i++) {
        if (p.chunk == UINT64_MAX || p.code == VGT_E_TRUNCATED) {
            continue;
        }
        if (s->frames && want_last <= readable_last) {
            return VGT_OK; /* every frame asked for was before the damage */
        }
        if (!*p.message) {
            /* kept compact by the reader (past the problems it lists) */
            vgt_error_set(err, p.code, "%s: chunk %llu at offset %llu: damaged", s->path,
                          (unsigned long long)p.chunk, (unsigned long long)p.offset);
        } else {
            vgt_error_set(err, p.code, "%s: %s", s->path, p.message);
        }
        return side_error(s, err);
    }
    return VGT_OK;
}

static void side_close(side *s)
{
    /* the problems the reading met (a skipped chunk, or the damaged one
     * that stopped it) go to the caller, who reports them; with salvage
     * also the chunks a rebuilt index left out (their frames are the gaps
     * the reading found), not a torn last chunk (an incomplete capture,
     * read up to its last complete chunk) */
    size_t n = s->r ? vgt_trace_reader_problem_count(s->r) : 0;
    /* those the reader kept whole are copied; the ones past them (no
     * message) are counted */
    size_t listed = s->r ? vgt_trace_reader_problems_listed(s->r) : 0;
    if (s->r) {
        s->out->problems_lost = vgt_trace_reader_problems_lost(s->r);
        s->out->nall_unlisted = n - listed;
    }
    if (s->r && s->salvage) {
        s->out->chunks_skipped = vgt_trace_reader_chunks_skipped(s->r);
    }
    if (listed && (s->out->all_problems = calloc(listed, sizeof(*s->out->all_problems)))) {
        for (size_t i = 0; i < listed; i++) {
            vgt_trace_problem_copy_set(&s->out->all_problems[s->out->nall_problems++],
                                       vgt_trace_reader_problem(s->r, i));
        }
    }
    uint64_t reach = s->r ? vgt_trace_reader_reach(s->r) : 0;
    vgt_trace_problem q;
    for (size_t i = 0; i < n && vgt_trace_reader_problem_brief(s->r, i, &q); i++) {
        const vgt_trace_problem *p = &q;
        /* the open's problems count only as chunks the reading went past:
         * a damaged header the index rebuild met after where a --frames
         * read stopped is no loss to it, nor is an unusable footer index
         * (chunk UINT64_MAX), which the rebuild replaced (vgt replay and
         * trim exit 0 on both; diff called the trace damaged, "0 frames
         * not compared") */
        if (i < s->problems_open &&
            (!s->salvage || p->code == VGT_E_TRUNCATED || p->chunk >= reach)) {
            continue;
        }
        if (i >= listed) {
            s->out->nproblems_unlisted++;
            continue;
        }
        if (!s->out->problems && !(s->out->problems = calloc(listed, sizeof(*s->out->problems)))) {
            break;
        }
        vgt_trace_problem_copy_set(&s->out->problems[s->out->nproblems++], p);
    }
    for (int k = 0; k < VGT_ID_KINDS; k++) {
        free(s->ids[k].key);
        free(s->ids[k].ord);
    }
    free(s->cw);
    free(s->renamed);
    vgt_trace_summarizer_end(s->sum);
    vgt_trace_reader_close(s->r);
    free(s->hash);
    free(s->seq);
    free(s->woff);
    free(s->nw);
    free(s->words);
    free(s->held);
    free(s->held_bytes);
}

/* Makes *p hold n elements of elem bytes (n >= 1, below 2^30). */
static bool resize(void **p, size_t n, size_t elem)
{
    void *q = realloc(*p, n * elem);
    if (!q) {
        return false;
    }
    *p = q;
    return true;
}

/* vgt_cmd_ids' visitor: renames one id field of s->renamed. */
static void rename_field(void *ctx, uint32_t word, vgt_id_kind kind)
{
    side *s = ctx;
    uint32_t v = s->cw[word], to = v;
    if (kind == VGT_ID_FENCE) {
        /* a fence number is a counter, new at every FENCE: renamed by
         * order, one extra fence would shift every later one, so only the
         * FENCE's place among the commands is compared */
        to = 0;
        s->out->ids[kind]++;
    } else if (vgt_id_is_reserved(kind, v)) {
        return; /* INVALID_ID & co: the protocol's, not the guest's choice */
    } else if (!id_rename(&s->ids[kind], v, &to)) {
        s->out->ids_overflow = true;
        s->raw_mask |= 1ull << (word % 64u); /* raw 5 must not equal order 5 */
        return;
    } else {
        s->out->ids[kind] = s->ids[kind].n;
    }
    vgt_store_le32(s->renamed + 4u * (size_t)word, to);
}

/* The hash of a command with its ids renamed (ignore_ids): a command that
 * holds no id, or that does not decode (its words are compared as they
 * are), hashes as without ignore_ids. */
static uint64_t hash_renamed(side *s, const vgt_trace_command *c, bool *nomem)
{
    size_t bytes = (size_t)c->nwords * 4u;
    if (c->nwords == 0 || !vgt_cmd_has_ids(vgt_load_le32(c->words))) {
        return vgt_trace_hash64(c->words, bytes);
    }
    if (c->nwords > s->ccap) {
        if (!resize((void **)&s->cw, c->nwords, sizeof(uint32_t)) ||
            !resize((void **)&s->renamed, c->nwords, 4u)) {
            *nomem = true;
            return 0;
        }
        s->ccap = c->nwords;
    }
    for (uint32_t i = 0; i < c->nwords; i++) {
        s->cw[i] = vgt_load_le32(c->words + 4u * i);
    }
    vgt_cmd cmd;
    if (vgt_cmd_decode(s->cw, c->nwords, &cmd, NULL) != VGT_OK) {
        return vgt_trace_hash64(c->words, bytes);
    }
    memcpy(s->renamed, c->words, bytes);
    s->raw_mask = 0;
    vgt_cmd_ids(&cmd, rename_field, s);
    uint64_t h = vgt_trace_hash64(s->renamed, bytes);
    return s->raw_mask ? h ^ (s->raw_mask * 0xff51afd7ed558ccdull) : h;
}

/* Whether c is of a type left out of the comparison; counts it then.  A
 * command of no words has no type: compared. */
static bool ignored(side *s, const vgt_trace_command *c)
{
    if (s->nignore == 0 || c->nwords == 0) {
        return false;
    }
    uint32_t id = vgt_load_le32(c->words);
    for (size_t i = 0; i < s->nignore; i++) {
        if (s->ignore[i] == id) {
            s->f.ignored++;
            s->out->ignored++;
            s->out->ignored_by[i]++;
            return true;
        }
    }
    return false;
}

/* Appends one command of the frame: its hash, and its words while the
 * frame's kept words stay under VGT_DIFF_MAX_KEPT_WORDS; a command of an
 * ignored type is only counted. */
static vgt_status add_command(side *s, const vgt_trace_command *c, vgt_error *err)
{
    if (ignored(s, c)) {
        return VGT_OK;
    }
    if (s->n >= VGT_DIFF_MAX_COMMANDS) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "%s (%s): guest frame %" PRIu64 " holds more than %u commands: too "
                             "large to compare",
                             s->label, s->path, s->frame, VGT_DIFF_MAX_COMMANDS);
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2u : 256u;
        if (!resize((void **)&s->hash, cap, sizeof(uint64_t)) ||
            !resize((void **)&s->seq, cap, sizeof(uint64_t)) ||
            !resize((void **)&s->woff, cap, sizeof(uint64_t)) ||
            !resize((void **)&s->nw, cap, sizeof(uint32_t))) {
            return vgt_error_set(err, VGT_E_NOMEM, "%s (%s): out of memory", s->label, s->path);
        }
        s->cap = cap;
    }
    bool nomem = false;
    s->hash[s->n] = s->ignore_ids ? hash_renamed(s, c, &nomem)
                                  : vgt_trace_hash64(c->words, (size_t)c->nwords * 4u);
    if (nomem) {
        return vgt_error_set(err, VGT_E_NOMEM, "%s (%s): out of memory", s->label, s->path);
    }
    s->seq[s->n] = c->seq;
    s->nw[s->n] = c->nwords;
    s->woff[s->n] = UINT64_MAX;
    bool room = c->nwords <= VGT_DIFF_MAX_KEPT_WORDS - s->nwords;
    if (room && s->nwords + c->nwords > s->wcap) {
        size_t cap = s->wcap ? s->wcap : 4096u;
        while (cap < s->nwords + c->nwords) {
            cap *= 2u;
        }
        room = resize((void **)&s->words, cap, sizeof(uint32_t));
        s->wcap = room ? cap : s->wcap;
    }
    if (room) {
        for (uint32_t i = 0; i < c->nwords; i++) {
            s->words[s->nwords + i] = vgt_load_le32(c->words + 4u * i);
        }
        s->woff[s->n] = s->nwords;
        s->nwords += c->nwords;
    }
    s->n++;
    return VGT_OK;
}

static uint64_t mix(uint64_t acc, uint64_t h)
{
    acc ^= h + 0x9E3779B97F4A7C15ull + (acc << 6) + (acc >> 2);
    return acc * 0xff51afd7ed558ccdull;
}

/* A register write's id (ignore_ids): *v renamed as the commands' ids of
 * its kind; returns 2 when it stays as it is past the bound, so that it
 * never equals a renamed one (0 otherwise, reserved values included). */
static uint32_t rename_event_id(side *s, vgt_id_kind kind, uint32_t *v)
{
    if (vgt_id_is_reserved(kind, *v)) {
        return 0;
    }
    if (!id_rename(&s->ids[kind], *v, v)) {
        s->out->ids_overflow = true;
        return 2u;
    }
    s->out->ids[kind] = s->ids[kind].n; /* as the commands' ids */
    return 0;
}

/* One record of the frame being read. */
static vgt_status take_record(side *s, const vgt_trace_record *rec, vgt_error *err)
{
    vgt_error e = {0};
    switch (rec->type) {
    case VGT_REC_COMMAND:
    case VGT_REC_COMMAND_BATCH: {
        vgt_trace_commands b;
        vgt_trace_command c;
        if (vgt_trace_commands_parse(rec, &b, &e) != VGT_OK) {
            break;
        }
        while (vgt_trace_commands_next(&b, &c)) {
            vgt_status st = add_command(s, &c, err);
            if (st != VGT_OK) {
                return st;
            }
        }
        return VGT_OK;
    }
    case VGT_REC_DMA_DATA: {
        vgt_trace_dma d;
        if (vgt_trace_dma_parse(rec, &d, &e) != VGT_OK) {
            break;
        }
        if (!(rec->flags & VGT_TRACE_DMA_F_BYTES)) {
            s->f.dma_reads++;
            s->f.dma_bytes += d.length;
        }
        if (d.bytes) {
            s->f.dma_hash = mix(s->f.dma_hash, vgt_trace_hash64(d.bytes, d.length));
        }
        return VGT_OK;
    }
    case VGT_REC_REGISTER_WRITE: {
        vgt_trace_reg g;
        if (vgt_trace_reg_parse(rec, &g, &e) != VGT_OK) {
            break;
        }
        if (!g.fifo_cursor && g.reg == VGT_SVGA_REG_IRQMASK) {
            /* the guest's way of waiting for a fence: unmasked and masked
             * again as often as the device was slow, so two runs of one
             * guest differ there (the fences are compared) */
            return VGT_OK;
        }
        /* ignore_ids: GMR_ID's value and a cursor sample's screen are
         * names the guest chose, renamed as the commands' (DISPLAY_ID's is a
         * display's index, compared as it is) */
        uint32_t value = g.value, screen = g.screen_id, raw = 0;
        if (s->ignore_ids && !g.fifo_cursor && g.reg == VGT_SVGA_REG_GMR_ID) {
            raw = rename_event_id(s, VGT_ID_GMR, &value);
        } else if (s->ignore_ids && g.fifo_cursor) {
            raw = rename_event_id(s, VGT_ID_SCREEN, &screen);
        }
        /* not a cursor sample's seq: the command count, compared already */
        const uint32_t v[7] = {g.fifo_cursor | raw, g.reg,         value, g.visible,
                               (uint32_t)g.x,       (uint32_t)g.y, screen};
        s->f.reg_writes++;
        s->f.reg_hash = mix(s->f.reg_hash, vgt_trace_hash64(v, sizeof(v)));
        return VGT_OK;
    }
    case VGT_REC_FENCE: {
        vgt_trace_fence g;
        if (vgt_trace_fence_parse(rec, &g, &e) != VGT_OK) {
            break;
        }
        s->f.fences++;
        if (!s->ignore_ids) { /* as a FENCE command's value: the place counts */
            s->f.fence_hash = mix(s->f.fence_hash, g.fence);
        }
        return VGT_OK;
    }
    case VGT_REC_ERROR: {
        vgt_trace_error g;
        if (vgt_trace_error_parse(rec, &g, &e) != VGT_OK) {
            break;
        }
        s->f.errors++;
        s->f.error_hash = mix(s->f.error_hash, g.kind);
        s->f.error_hash = mix(s->f.error_hash, vgt_trace_hash64(g.message, g.message_len));
        return VGT_OK;
    }
    case VGT_REC_FRAME_HASH:
        if (vgt_trace_frame_hash_parse(rec, &s->f.hash, &e) != VGT_OK) {
            break;
        }
        s->f.has_hash = true;
        return VGT_OK;
    default:
        return VGT_OK;
    }
    return vgt_error_set(err, VGT_E_FORMAT,
                         "%s (%s): record %" PRIu64 " (guest frame %" PRIu64 "): %s", s->label,
                         s->path, rec->seq, s->frame, e.message);
}

/* ---- salvage: the frames a skipped chunk took records from ----------------------- */

/* Marks guest frames [lo, hi] damaged, within the compared ones (kept
 * sorted and merged: the reading goes forward, so a range mostly joins the
 * last or follows it, but one from a hostile index may fall anywhere). */
static vgt_status mark_damaged(side *s, uint64_t lo, uint64_t hi, vgt_error *err)
{
    lo = lo > s->lo ? lo : s->lo;
    hi = hi < s->hi ? hi : s->hi;
    if (lo > hi) {
        return VGT_OK;
    }
    vgt_diff_trace *t = s->out;
    if (!vgt_frame_ranges_add(&t->damaged, &t->ndamaged, &s->damaged_cap, lo, hi)) {
        return vgt_error_set(err, VGT_E_NOMEM, "%s (%s): out of memory", s->label, s->path);
    }
    return VGT_OK;
}

/* A binary search: called per frame compared, on up to a range per
 * damaged chunk. */
bool vgt_diff_frame_damaged(const vgt_diff_trace *t, uint64_t frame)
{
    return vgt_frame_ranges_has((const uint64_t(*)[2])t->damaged, t->ndamaged, frame);
}

/* The trace frames of the chunk a problem names, from the chunk index
 * (false when the index does not list it: a walk left it out). */
static bool chunk_frames(const side *s, uint64_t id, uint64_t *first, uint64_t *last)
{
    vgt_trace_chunk_info c;
    if (!vgt_trace_reader_chunk_find(s->r, id, &c)) {
        return false;
    }
    *first = c.first_frame;
    *last = c.last_frame;
    return true;
}

/* Records were lost between the last one read and the next (trace frame
 * `upto`, UINT64_MAX at the end): the frames between are damaged, narrowed
 * to the frames of the chunks the new problems name where the index lists
 * them (a chunk that ends with a frame's end leaves the next frame whole). */
static vgt_status mark_gap(side *s, uint64_t upto, vgt_error *err)
{
    uint64_t lo = s->last_end ? s->last_frame + 1u : s->last_frame, hi = upto;
    size_t n = vgt_trace_reader_problem_count(s->r);
    bool placed = false;
    vgt_trace_problem p; /* every new problem, those kept compact too */
    for (size_t i = s->problems_seen; i < n && vgt_trace_reader_problem_brief(s->r, i, &p); i++) {
        uint64_t cf, cl;
        if (!chunk_frames(s, p.chunk, &cf, &cl)) {
            continue;
        }
        cf = cf > lo ? cf : lo;
        cl = cl < hi ? cl : hi;
        if (cf <= cl) {
            vgt_status st = mark_damaged(s, s->start + cf, s->start + cl, err);
            if (st != VGT_OK) {
                return st;
            }
            placed = true;
        }
    }
    s->problems_seen = n;
    if (placed) {
        return VGT_OK;
    }
    return mark_damaged(s, s->start + lo, hi == UINT64_MAX ? UINT64_MAX : s->start + hi, err);
}

/* The next record (salvage: a gap in the record numbers before it marks
 * the frames it took records from). */
static vgt_status next_record(side *s, vgt_trace_record *rec, vgt_error *err)
{
    if (s->has_pending) {
        *rec = s->pending;
        s->has_pending = false;
        return VGT_OK;
    }
    vgt_status st = vgt_trace_reader_next(s->r, rec, err);
    if (!s->salvage) {
        return st;
    }
    if (st == VGT_E_END) {
        vgt_trace_info info;
        vgt_trace_reader_info(s->r, &info);
        if (s->next_seq < info.records || vgt_trace_reader_problem_count(s->r) > s->problems_seen) {
            vgt_status m = mark_gap(s, UINT64_MAX, err);
            s->next_seq = info.records;
            return m != VGT_OK ? m : st;
        }
        return st;
    }
    if (st != VGT_OK) {
        return st;
    }
    if (rec->seq != s->next_seq && (st = mark_gap(s, rec->frame, err)) != VGT_OK) {
        return st;
    }
    s->next_seq = rec->seq + 1u;
    s->last_frame = rec->frame;
    s->last_end = rec->type == VGT_REC_FRAME_END;
    return VGT_OK;
}

/* Keeps a copy of rec for the cost summary (salvage: summary_flush). */
static vgt_status hold_record(side *s, const vgt_trace_record *rec, vgt_error *err)
{
    size_t used;
    if (s->nheld == s->held_cap) {
        size_t cap = s->held_cap ? s->held_cap * 2u : 256u;
        if (cap > SIZE_MAX / sizeof(*s->held) ||
            !resize((void **)&s->held, cap, sizeof(*s->held))) {
            return vgt_error_set(err, VGT_E_NOMEM, "%s (%s): out of memory", s->label, s->path);
        }
        s->held_cap = cap;
    }
    if (vgt_add_overflow_size(s->held_used, rec->size, &used)) {
        return vgt_error_set(err, VGT_E_NOMEM, "%s (%s): out of memory", s->label, s->path);
    }
    if (used > s->held_bytes_cap) {
        size_t cap = s->held_bytes_cap ? s->held_bytes_cap : 64u << 10;
        while (cap < used && cap <= SIZE_MAX / 2u) {
            cap *= 2u;
        }
        if (cap < used || !resize((void **)&s->held_bytes, cap, 1u)) {
            return vgt_error_set(err, VGT_E_NOMEM, "%s (%s): out of memory", s->label, s->path);
        }
        s->held_bytes_cap = cap;
    }
    if (rec->size) {
        memcpy(s->held_bytes + s->held_used, rec->payload, rec->size);
    }
    vgt_trace_record *h = &s->held[s->nheld++];
    *h = *rec;
    h->payload = NULL; /* pointed into held_bytes at the flush: it may move until then */
    s->held_used = used;
    return VGT_OK;
}

/* Gives the records held for the frame just read to the cost summary:
 * every one of a frame compared, only the TIMING records of a damaged one
 * (a skipped chunk took some of its records: its readable ones would be
 * counted against the other trace's whole frame, which the diff does not
 * compare either; its TIMINGs may time commands of the frames before). */
static vgt_status summary_flush(side *s, bool damaged, vgt_error *err)
{
    size_t at = 0;
    vgt_status st = VGT_OK;
    for (size_t i = 0; i < s->nheld && st == VGT_OK; i++) {
        vgt_trace_record rec = s->held[i];
        rec.payload = s->held_bytes + at;
        at += rec.size;
        if (!damaged || rec.type == VGT_REC_TIMING) {
            st = vgt_trace_summarizer_add(s->sum, &rec, err);
        }
    }
    s->nheld = 0;
    s->held_used = 0;
    return st != VGT_OK ? side_error(s, err) : VGT_OK;
}

/* Reads the records of trace frame `want`, up to its FRAME_END; with `all`
 * false, only the TIMING records go to the summary (the timings of the last
 * compared frame that follow it), up to the next FRAME_END or the end.
 * Salvage: a record of a later frame ends it too (its FRAME_END was in a
 * skipped chunk; the record is kept for the next frame), and so does the
 * end of the trace after a skipped chunk. */
static vgt_status read_frame(side *s, bool all, uint64_t want, vgt_error *err)
{
    s->n = 0;
    s->nwords = 0;
    memset(&s->f, 0, sizeof(s->f));
    vgt_trace_record rec;
    vgt_status st;
    while ((st = next_record(s, &rec, err)) == VGT_OK) {
        if (s->salvage && rec.frame > want) {
            s->pending = rec;
            s->has_pending = true;
            s->f.commands = s->n;
            return VGT_OK;
        }
        s->frame = s->start + rec.frame;
        if (all && s->salvage) {
            /* whether the frame is damaged is known once both sides read it */
            if ((st = hold_record(s, &rec, err)) != VGT_OK) {
                return st;
            }
        } else if (all || rec.type == VGT_REC_TIMING) {
            st = vgt_trace_summarizer_add(s->sum, &rec, err);
            if (st != VGT_OK) {
                return side_error(s, err);
            }
        }
        if (rec.type == VGT_REC_FRAME_END) {
            s->f.commands = s->n;
            return VGT_OK;
        }
        if (all && (st = take_record(s, &rec, err)) != VGT_OK) {
            return st;
        }
    }
    if (st == VGT_E_END &&
        (!all || (s->salvage && vgt_diff_frame_damaged(s->out, s->start + want)))) {
        s->f.commands = s->n;
        return VGT_OK;
    }
    if (st == VGT_E_END) {
        return vgt_error_set(err, VGT_E_TRUNCATED,
                             "%s (%s): the trace ends inside a frame its index counts as complete",
                             s->label, s->path);
    }
    return side_error(s, err);
}

/* ---- alignment ------------------------------------------------------------------ */

typedef struct edit {
    bool insert;   /* B's command at by (else A's at ax, deleted) */
    size_t ax, by; /* the edit's start in the edit graph */
} edit;

typedef struct align {
    uint64_t changed, only_a, only_b;
    size_t first_a, first_b; /* the first difference */
    bool differ, positional;
} align;

/* Myers' greedy O((n+m)D) diff of a[0..n) and b[0..m) (n + m >= 1, no
 * common head or tail), keeping each round's furthest points to walk the
 * path back.  Fills the edits (at most max_edits) in order; false past
 * max_edits or WORK_BUDGET, or out of memory. */
static bool myers(const uint64_t *a, size_t n, const uint64_t *b, size_t m, size_t max_edits,
                  edit **edits_out, size_t *nedits)
{
    size_t maxd = n + m < max_edits ? n + m : max_edits;
    size_t levels = maxd + 1u, cells, bytes;
    if (maxd > MAX_EDITS_CAP || vgt_mul_overflow_size(levels, levels, &cells) ||
        vgt_mul_overflow_size(cells, sizeof(int64_t), &bytes)) {
        return false;
    }
    int64_t *v = calloc(2u * maxd + 3u, sizeof(*v));
    int64_t *trace = malloc(bytes);
    edit *edits = malloc((maxd ? maxd : 1u) * sizeof(*edits));
    bool ok = false;
    if (!v || !trace || !edits) {
        goto out;
    }
    int64_t off = (int64_t)maxd + 1, N = (int64_t)n, M = (int64_t)m;
    uint64_t work = 0;
    int64_t found = -1;
    for (int64_t d = 0; d <= (int64_t)maxd && found < 0; d++) {
        for (int64_t k = -d; k <= d; k += 2) {
            int64_t x;
            if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) {
                x = v[off + k + 1];
            } else {
                x = v[off + k - 1] + 1;
            }
            int64_t y = x - k;
            while (x < N && y < M && a[x] == b[y]) {
                x++;
                y++;
                work++;
            }
            v[off + k] = x;
            work++;
            if (x >= N && y >= M) {
                found = d;
            }
        }
        memcpy(trace + d * d, v + off - d, (size_t)(2 * d + 1) * sizeof(*v));
        if (work > WORK_BUDGET) {
            break;
        }
    }
    if (found < 0) {
        goto out;
    }
    /* back from (n, m): each round's move was from the round before */
    int64_t x = N, y = M;
    for (int64_t d = found; d > 0; d--) {
        const int64_t *prev = trace + (d - 1) * (d - 1); /* k = -(d-1) .. d-1 */
        int64_t k = x - y;
        bool down = k == -d || (k != d && prev[k - 1 + (d - 1)] < prev[k + 1 + (d - 1)]);
        int64_t pk = down ? k + 1 : k - 1;
        int64_t px = prev[pk + (d - 1)], py = px - pk;
        edits[d - 1] = (edit){.insert = down, .ax = (size_t)px, .by = (size_t)py};
        x = px;
        y = py;
    }
    *nedits = (size_t)found;
    *edits_out = edits;
    edits = NULL;
    ok = true;
out:
    free(v);
    free(trace);
    free(edits);
    return ok;
}

/* Counts the hunks' commands: a run of edits with no common command between
 * them pairs min(deleted, inserted) as changed. */
static void count_hunks(const edit *e, size_t n, align *r)
{
    size_t i = 0;
    while (i < n) {
        uint64_t del = 0, ins = 0;
        size_t x = e[i].ax, y = e[i].by;
        while (i < n && e[i].ax == x && e[i].by == y) {
            if (e[i].insert) {
                ins++;
                y++;
            } else {
                del++;
                x++;
            }
            i++;
        }
        uint64_t pair = del < ins ? del : ins;
        r->changed += pair;
        r->only_a += del - pair;
        r->only_b += ins - pair;
    }
}

static void positional(const uint64_t *a, size_t n, const uint64_t *b, size_t m, align *r)
{
    size_t both = n < m ? n : m;
    bool first = true;
    for (size_t i = 0; i < both; i++) {
        if (a[i] != b[i]) {
            r->changed++;
            if (first) {
                r->first_a = r->first_b = i;
                first = false;
            }
        }
    }
    if (first) {
        r->first_a = r->first_b = both;
    }
    r->only_a = n - both;
    r->only_b = m - both;
}

/* Aligns A's frame with B's: the common head and tail, then Myers on what is
 * between (or positions, past the bounds). */
static vgt_status align_frames(const side *sa, const side *sb, size_t max_align, size_t max_edits,
                               align *r)
{
    memset(r, 0, sizeof(*r));
    const uint64_t *a = sa->hash, *b = sb->hash;
    size_t na = sa->n, nb = sb->n, head = 0, tail = 0;
    while (head < na && head < nb && a[head] == b[head]) {
        head++;
    }
    while (tail < na - head && tail < nb - head && a[na - 1 - tail] == b[nb - 1 - tail]) {
        tail++;
    }
    size_t n = na - head - tail, m = nb - head - tail;
    if (n == 0 && m == 0) {
        return VGT_OK;
    }
    r->differ = true;
    r->first_a = r->first_b = head;
    if (n == 0 || m == 0) {
        r->only_a = n;
        r->only_b = m;
        return VGT_OK;
    }
    edit *e = NULL;
    size_t ne = 0;
    if (n + m <= max_align && myers(a + head, n, b + head, m, max_edits, &e, &ne)) {
        r->first_a = head + e[0].ax;
        r->first_b = head + e[0].by;
        count_hunks(e, ne, r);
        free(e);
        return VGT_OK;
    }
    r->positional = true;
    positional(a + head, n, b + head, m, r);
    r->first_a += head;
    r->first_b += head;
    return VGT_OK;
}

/* ---- results -------------------------------------------------------------------- */

static vgt_status keep_command(const side *s, size_t i, vgt_diff_command *out)
{
    memset(out, 0, sizeof(*out));
    if (i >= s->n) {
        out->index = i;
        return VGT_OK;
    }
    out->present = true;
    out->index = i;
    out->seq = s->seq[i];
    out->nwords = s->nw[i];
    if (s->woff[i] != UINT64_MAX) {
        out->words = malloc((size_t)s->nw[i] * sizeof(uint32_t));
        if (!out->words) {
            return VGT_E_NOMEM;
        }
        memcpy(out->words, s->words + s->woff[i], (size_t)s->nw[i] * sizeof(uint32_t));
    }
    return VGT_OK;
}

static vgt_status keep_frame(vgt_diff_frame **list, size_t *n, const vgt_diff_frame *f,
                             const side *sa, const side *sb, bool commands, vgt_error *err)
{
    vgt_diff_frame *l = realloc(*list, (*n + 1) * sizeof(*l));
    if (!l) {
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory");
    }
    *list = l;
    vgt_diff_frame *k = &l[*n];
    *k = *f;
    (*n)++;
    if (commands) {
        if (keep_command(sa, (size_t)f->first_a.index, &k->first_a) != VGT_OK ||
            keep_command(sb, (size_t)f->first_b.index, &k->first_b) != VGT_OK) {
            return vgt_error_set(err, VGT_E_NOMEM, "out of memory");
        }
    }
    return VGT_OK;
}

static bool same_kind(const vgt_trace_frame_hash *a, const vgt_trace_frame_hash *b)
{
    return (a->flags & VGT_TRACE_FRAME_F_ROWS) == (b->flags & VGT_TRACE_FRAME_F_ROWS);
}

/* Compares the frame both sides just read. */
static vgt_status compare_frame(side *sa, side *sb, uint64_t frame, const vgt_diff_options *o,
                                vgt_diff_result *out, vgt_error *err)
{
    align al;
    vgt_status st = align_frames(sa, sb, o->max_align ? o->max_align : VGT_DIFF_MAX_ALIGN,
                                 o->max_edits ? o->max_edits : VGT_DIFF_MAX_EDITS, &al);
    if (st != VGT_OK) {
        return st;
    }
    vgt_diff_frame f = {.frame = frame, .a = sa->f, .b = sb->f};
    f.commands_differ = al.differ;
    f.changed = al.changed;
    f.only_a = al.only_a;
    f.only_b = al.only_b;
    f.positional = al.positional;
    f.length_only =
        al.differ && al.first_a == al.first_b && al.first_a == (sa->n < sb->n ? sa->n : sb->n);
    f.first_a.index = al.first_a;
    f.first_b.index = al.first_b;
    const vgt_diff_side *a = &sa->f, *b = &sb->f;
    if (a->has_hash && b->has_hash && same_kind(&a->hash, &b->hash)) {
        f.picture_differs = a->hash.hash != b->hash.hash || a->hash.width != b->hash.width ||
                            a->hash.height != b->hash.height ||
                            (a->hash.flags & VGT_TRACE_FRAME_F_NO_DISPLAY) !=
                                (b->hash.flags & VGT_TRACE_FRAME_F_NO_DISPLAY);
        out->frames_picture_equal += !f.picture_differs;
        out->frames_picture_differ += f.picture_differs;
    } else {
        out->frames_no_hash++;
    }
    f.memory_differs =
        a->dma_reads != b->dma_reads || a->dma_bytes != b->dma_bytes || a->dma_hash != b->dma_hash;
    out->frames++;
    out->a.commands += sa->n;
    out->b.commands += sb->n;
    f.regs_differ = a->reg_writes != b->reg_writes || a->reg_hash != b->reg_hash;
    f.fences_differ = a->fences != b->fences || a->fence_hash != b->fence_hash;
    f.errors_differ = a->errors != b->errors || a->error_hash != b->error_hash;
    out->frames_memory_differ += f.memory_differs;
    out->frames_regs_differ += f.regs_differ;
    out->frames_fences_differ += f.fences_differ;
    out->frames_errors_differ += f.errors_differ;
    if (f.commands_differ) {
        out->frames_commands_differ++;
        out->changed += f.changed;
        out->only_a += f.only_a;
        out->only_b += f.only_b;
        out->frames_positional += f.positional;
        out->frames_length_only += f.length_only;
        if (out->ncmd_frames < o->limit && (st = keep_frame(&out->cmd_frames, &out->ncmd_frames, &f,
                                                            sa, sb, true, err)) != VGT_OK) {
            return st;
        }
    }
    bool events = f.regs_differ || f.fences_differ || f.errors_differ;
    if ((f.picture_differs || f.memory_differs || events) && out->npic_frames < o->limit) {
        st = keep_frame(&out->pic_frames, &out->npic_frames, &f, sa, sb, false, err);
    }
    return st;
}

/* Stands the reader at guest frame `frame`.  Salvage: the reading starts
 * from the frame's first record (a gap from there marks it), and a frame
 * every record of which a rebuilt index lost is damaged: the next one is
 * sought. */
static vgt_status seek(side *s, uint64_t frame, uint64_t lo, uint64_t hi, vgt_error *err)
{
    s->lo = lo;
    s->hi = hi;
    uint64_t t = frame - s->start;
    vgt_status st = vgt_trace_reader_seek_frame(s->r, t, err);
    while (s->salvage && st == VGT_E_NOTFOUND && t < s->frames && frame < hi) {
        if ((st = mark_damaged(s, frame, frame, err)) != VGT_OK) {
            return st;
        }
        t++;
        frame++;
        st = vgt_trace_reader_seek_frame(s->r, t, err);
    }
    if (st != VGT_OK) {
        return side_error(s, err);
    }
    vgt_trace_frame_info fi;
    if (s->salvage && vgt_trace_reader_frame(s->r, t, &fi)) {
        s->next_seq = fi.first_record;
        s->last_frame = t - 1u; /* with last_end: the gap starts at t */
        s->last_end = true;
    }
    return VGT_OK;
}

vgt_status vgt_diff(const char *a, const char *b, const vgt_diff_options *o, vgt_diff_result *out,
                    vgt_error *err)
{
    static const vgt_diff_options defaults = {.last_frame = UINT64_MAX, .limit = 10};
    if (!o) {
        o = &defaults;
    }
    vgt_error local = {0};
    if (!err) {
        err = &local;
    }
    memset(out, 0, sizeof(*out));
    side sa, sb;
    memset(&sa, 0, sizeof(sa));
    memset(&sb, 0, sizeof(sb));
    vgt_status st = VGT_OK;
    if (o->nignore > VGT_DIFF_MAX_IGNORE || (o->nignore && !o->ignore)) {
        st = vgt_error_set(err, VGT_E_RANGE, "%zu command types to ignore: at most %u, in an array",
                           o->nignore, VGT_DIFF_MAX_IGNORE);
        goto done;
    }
    st = side_open(&sa, "A", a, o, &out->a, err);
    if (st == VGT_OK) {
        st = side_open(&sb, "B", b, o, &out->b, err);
    }
    if (st != VGT_OK) {
        goto done;
    }
    /* the frames asked for: up to --frames' last, or every frame */
    if ((st = stopped_short(&sa, o->last_frame, err)) != VGT_OK ||
        (st = stopped_short(&sb, o->last_frame, err)) != VGT_OK) {
        goto done;
    }
    if (out->a.has_frames && out->b.has_frames) {
        uint64_t first =
            out->a.first_frame > out->b.first_frame ? out->a.first_frame : out->b.first_frame;
        uint64_t last =
            out->a.last_frame < out->b.last_frame ? out->a.last_frame : out->b.last_frame;
        first = first > o->first_frame ? first : o->first_frame;
        last = last < o->last_frame ? last : o->last_frame;
        if (first <= last) {
            out->have_common = true;
            out->first = first;
            out->last = last;
        }
    }
    if (!out->have_common) {
        goto done;
    }
    if ((st = seek(&sa, out->first, out->first, out->last, err)) != VGT_OK ||
        (st = seek(&sb, out->first, out->first, out->last, err)) != VGT_OK) {
        goto done;
    }
    for (uint64_t f = out->first;; f++) {
        if ((st = read_frame(&sa, true, f - sa.start, err)) != VGT_OK ||
            (st = read_frame(&sb, true, f - sb.start, err)) != VGT_OK) {
            goto done;
        }
        bool damaged = vgt_diff_frame_damaged(&out->a, f) || vgt_diff_frame_damaged(&out->b, f);
        if ((st = summary_flush(&sa, damaged, err)) != VGT_OK ||
            (st = summary_flush(&sb, damaged, err)) != VGT_OK) {
            goto done;
        }
        if (damaged) {
            /* a skipped chunk took some of its records: neither equal nor
             * different, named as damaged */
            out->frames++;
            out->frames_damaged++;
        } else if ((st = compare_frame(&sa, &sb, f, o, out, err)) != VGT_OK) {
            goto done;
        }
        if (f == out->last) {
            break;
        }
    }
    /* the TIMING records of the last frame's commands may follow its end
     * (in the next frame, or after the last FRAME_END): best effort, a
     * damaged chunk past the compared frames is not theirs */
    vgt_error ignored = {0};
    (void)read_frame(&sa, false, out->last + 1u - sa.start, &ignored);
    (void)read_frame(&sb, false, out->last + 1u - sb.start, &ignored);
    out->equal = out->frames_commands_differ == 0 && out->frames_picture_differ == 0;
done:
    side_close(&sa);
    side_close(&sb);
    return st;
}

static void free_frames(vgt_diff_frame *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(l[i].first_a.words);
        free(l[i].first_b.words);
    }
    free(l);
}

void vgt_diff_result_free(vgt_diff_result *r)
{
    free_frames(r->cmd_frames, r->ncmd_frames);
    free_frames(r->pic_frames, r->npic_frames);
    for (int t = 0; t < 2; t++) {
        vgt_diff_trace *x = t ? &r->b : &r->a;
        free(x->problems);
        free(x->all_problems);
        free(x->damaged);
    }
    vgt_trace_svga_summary_free(&r->a.cost);
    vgt_trace_svga_summary_free(&r->b.cost);
    memset(r, 0, sizeof(*r));
}
