/* svga_walk.c - the walk over an SVGA trace's commands without a replay
 * (svga_walk.h): what vgt leaks, vgt shader list and vgt surfaces share. */
#include "svga_walk.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

bool svga_walk_get32(const uint8_t *p, uint64_t size, uint64_t *pos, uint32_t *v)
{
    if (*pos > size || size - *pos < 4u) {
        return false;
    }
    *v = vgt_load_le32(p + *pos);
    *pos += 4u;
    return true;
}

static int seq_order(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static bool was_rejected(const svga_walk *w, uint64_t seq)
{
    return w->nrejected && bsearch(&seq, w->rejected_seqs, w->nrejected, sizeof(seq), seq_order);
}

/* The first pass: the seqs of the commands ERROR records name (an error
 * not about a command, UINT64_MAX, is left out).  A record the reader
 * cannot parse is left for the second pass to report. */
static vgt_status read_rejected(svga_walk *w, vgt_trace_reader *rd, vgt_error *err)
{
    size_t cap = 0;
    vgt_trace_record rec;
    vgt_status st = vgt_trace_reader_seek_record(rd, 0, err);
    while (st == VGT_OK && (st = vgt_trace_reader_next(rd, &rec, err)) == VGT_OK) {
        vgt_trace_error e;
        vgt_error ignored;
        if (rec.type != VGT_REC_ERROR || vgt_trace_error_parse(&rec, &e, &ignored) != VGT_OK ||
            e.seq == UINT64_MAX) {
            continue;
        }
        if (w->nrejected == VGT_LEAKS_MAX_ERRORS) {
            w->sum.rejected_overflow = true;
            continue;
        }
        if (w->nrejected == cap) {
            size_t ncap = cap ? 2u * cap : 64u;
            uint64_t *v = realloc(w->rejected_seqs, ncap * sizeof(*v));
            if (!v) {
                return vgt_error_set(err, VGT_E_NOMEM, "%s: out of memory", w->verb);
            }
            w->rejected_seqs = v;
            cap = ncap;
        }
        w->rejected_seqs[w->nrejected++] = e.seq;
    }
    if (st != VGT_E_END) {
        return VGT_OK; /* a damaged chunk: the second pass stops there or salvages */
    }
    if (w->nrejected) {
        vgt_sort(w->rejected_seqs, w->nrejected, sizeof(*w->rejected_seqs), seq_order);
    }
    return VGT_OK;
}

/* The commands of one batch (or COMMAND) record. */
static vgt_status take_commands(svga_walk *w, const vgt_trace_record *rec, const svga_walk_ops *ops,
                                void *ctx, vgt_error *err)
{
    vgt_trace_commands b;
    vgt_trace_command c;
    vgt_status st = vgt_trace_commands_parse(rec, &b, err);
    if (st != VGT_OK) {
        return st;
    }
    while (vgt_trace_commands_next(&b, &c)) {
        if (!w->sum.commands++) {
            w->sum.first_frame = w->frame;
        }
        w->sum.last_frame = w->frame;
        if (c.nwords > w->cap) {
            uint32_t *v = realloc(w->words, (size_t)c.nwords * sizeof(*v));
            if (!v) {
                return vgt_error_set(err, VGT_E_NOMEM, "%s: out of memory", w->verb);
            }
            w->words = v;
            w->cap = c.nwords;
        }
        for (uint32_t i = 0; i < c.nwords; i++) {
            w->words[i] = vgt_load_le32(c.words + 4u * i);
        }
        vgt_cmd cmd;
        bool decoded = c.nwords > 0 && vgt_cmd_decode(w->words, c.nwords, &cmd, NULL) == VGT_OK;
        if (was_rejected(w, c.seq)) {
            w->sum.rejected++; /* the device did nothing with it (but a video FLUSH: leaks.c) */
            if (ops->refused) {
                ops->refused(ctx, c.seq, decoded ? &cmd : NULL);
            }
            continue;
        }
        if (!decoded) {
            w->sum.undecodable++; /* the device refused it too: nothing changed */
            if (ops->refused) {
                ops->refused(ctx, c.seq, NULL);
            }
            continue;
        }
        if (ops->command) {
            ops->command(ctx, c.seq, &cmd);
        }
    }
    return VGT_OK;
}

static vgt_status take_record(svga_walk *w, const vgt_trace_record *rec, const svga_walk_ops *ops,
                              void *ctx, vgt_error *err)
{
    w->frame = w->start_frame + rec->frame;
    if (vgt_trace_is_commands(rec->type)) {
        return take_commands(w, rec, ops, ctx, err);
    }
    if (rec->type == VGT_REC_REGISTER_WRITE) {
        vgt_trace_reg g;
        vgt_status st = vgt_trace_reg_parse(rec, &g, err);
        if (st == VGT_OK && ops->reg) {
            ops->reg(ctx, &g);
        }
        return st;
    }
    if (rec->type == VGT_REC_SNAPSHOT) {
        return ops->snapshot ? ops->snapshot(ctx, rec, err) : VGT_OK;
    }
    if (rec->type == VGT_REC_FRAME_END) {
        w->frame_ended = true;
        w->last_ended = w->frame;
    }
    return VGT_OK;
}

vgt_status svga_walk_run(svga_walk *w, const char *verb, vgt_trace_reader *rd,
                         const svga_walk_ops *ops, void *ctx, vgt_error *err)
{
    memset(w, 0, sizeof(*w));
    w->verb = verb;
    const vgt_trace_header *h = vgt_trace_reader_header(rd);
    if (strcmp(h->protocol_name, VGT_SVGA_TRACE_PROTOCOL_NAME) != 0) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "protocol '%s', not an SVGA trace (%s): %s reads SVGA traces only",
                             h->protocol_name, VGT_SVGA_TRACE_PROTOCOL_NAME, verb);
    }
    w->start_frame = h->start_frame;
    vgt_status st = read_rejected(w, rd, err);
    if (st == VGT_OK) {
        st = vgt_trace_reader_seek_record(rd, 0, err);
    }
    vgt_trace_record rec;
    while (st == VGT_OK && (st = vgt_trace_reader_next(rd, &rec, err)) == VGT_OK) {
        st = take_record(w, &rec, ops, ctx, err);
        if (st == VGT_OK && w->nomem) {
            st = vgt_error_set(err, VGT_E_NOMEM, "%s: out of memory", verb);
        } else if (st != VGT_OK && st != VGT_E_NOMEM) {
            vgt_error_prefix(err, "record %" PRIu64 " (guest frame %" PRIu64 ")", rec.seq,
                             w->frame);
        }
    }
    free(w->words);
    free(w->rejected_seqs);
    w->words = NULL;
    w->rejected_seqs = NULL;
    w->sum.last_frame_partial =
        w->sum.commands && (!w->frame_ended || w->last_ended < w->sum.last_frame);
    /* chunks whose records were lost, as every verb counts them (a torn
     * tail or a missing footer loses none) */
    w->sum.skipped = vgt_trace_reader_chunks_skipped(rd) > 0;
    w->sum.problems_lost = vgt_trace_reader_problems_lost(rd);
    return st == VGT_E_END ? VGT_OK : st;
}

vgt_status svga_walk_snapshot(svga_walk *w, const vgt_trace_record *rec,
                              void (*begin)(void *ctx, uint64_t frame, uint64_t next_seq),
                              svga_walk_section_fn fn, void *ctx, vgt_error *err)
{
    size_t pos;
    uint64_t frame, next_seq;
    vgt_status st = vgt_trace_snapshot_parse(rec, &frame, &next_seq, &pos, err);
    if (st != VGT_OK) {
        return st;
    }
    w->sum.has_snapshot = true;
    begin(ctx, frame, next_seq);
    vgt_trace_snapshot_section sec;
    while ((st = vgt_trace_snapshot_next(rec, &pos, &sec, err)) == VGT_OK) {
        uint64_t at = 0;
        const char *why = fn(ctx, &sec, &at);
        if (why) {
            return vgt_error_set(err, w->nomem ? VGT_E_NOMEM : VGT_E_FORMAT,
                                 "SNAPSHOT: %s (byte %" PRIu64 " of the section)", why, at);
        }
    }
    return st == VGT_E_END ? VGT_OK : st;
}

const char *svga_walk_snapshot_3d(svga_walk *w, const vgt_trace_snapshot_section *s,
                                  void (*fn)(void *ctx, const vgt_cmd *cmd), void *ctx,
                                  uint64_t *at)
{
    uint64_t pos = 0;
    uint32_t version, flags, n;
    if (!svga_walk_get32(s->data, s->size, &pos, &version) ||
        !svga_walk_get32(s->data, s->size, &pos, &flags) ||
        !svga_walk_get32(s->data, s->size, &pos, &n)) {
        return "header cut short";
    }
    for (uint32_t k = 0; k < n; k++) {
        uint32_t nw, pb;
        *at = pos;
        if (!svga_walk_get32(s->data, s->size, &pos, &nw) ||
            !svga_walk_get32(s->data, s->size, &pos, &pb)) {
            return "entry header cut short";
        }
        if (nw < 2 || nw > VGT_CMD_MAX_WORDS || (s->size - pos) / 4u < nw) {
            return "command length out of range or cut short";
        }
        if (w->cap < nw) {
            uint32_t *v = realloc(w->words, (size_t)nw * 4u);
            if (!v) {
                w->nomem = true;
                return "out of memory";
            }
            w->words = v;
            w->cap = nw;
        }
        for (uint32_t i = 0; i < nw; i++) {
            w->words[i] = vgt_load_le32(s->data + pos + 4u * i);
        }
        pos += 4u * (uint64_t)nw;
        uint64_t skip = ((uint64_t)pb + 3u) & ~3ull;
        if (s->size - pos < skip) {
            return "payload cut short";
        }
        pos += skip;
        vgt_cmd cmd;
        uint32_t total = 0;
        if (vgt_cmd_length(w->words, nw, &total, NULL) != VGT_OK || total != nw ||
            vgt_cmd_decode(w->words, nw, &cmd, NULL) != VGT_OK) {
            return "command does not decode";
        }
        fn(ctx, &cmd);
    }
    return NULL;
}

typedef struct walk_cmds {
    svga_walk *w;
    svga_walk_cmds *c;
} walk_cmds;

static void cmds_command(void *ctx, uint64_t seq, const vgt_cmd *cmd)
{
    svga_walk_cmds *c = ((walk_cmds *)ctx)->c;
    c->take(c->ctx, seq, cmd, false);
}

static void cmds_refused(void *ctx, uint64_t seq, const vgt_cmd *cmd)
{
    svga_walk_cmds *c = ((walk_cmds *)ctx)->c;
    if (cmd) {
        c->take(c->ctx, seq, cmd, true);
    }
}

static void cmds_snapshot_command(void *ctx, const vgt_cmd *cmd)
{
    svga_walk_cmds *c = ((walk_cmds *)ctx)->c;
    c->take(c->ctx, c->seq, cmd, false); /* the snapshot's state is taken */
}

static void cmds_snapshot_begin(void *ctx, uint64_t frame, uint64_t next_seq)
{
    svga_walk_cmds *c = ((walk_cmds *)ctx)->c;
    (void)frame; /* the record's guest frame is the walk's */
    c->seq = next_seq;
    c->in_snapshot = true;
}

static const char *cmds_snapshot_section(void *ctx, const vgt_trace_snapshot_section *sec,
                                         uint64_t *at)
{
    walk_cmds *x = ctx;
    return sec->tag == VGT_TRACE_SNAP_EX3D
               ? svga_walk_snapshot_3d(x->w, sec, cmds_snapshot_command, x, at)
               : NULL;
}

static vgt_status cmds_snapshot(void *ctx, const vgt_trace_record *rec, vgt_error *err)
{
    walk_cmds *x = ctx;
    vgt_status st =
        svga_walk_snapshot(x->w, rec, cmds_snapshot_begin, cmds_snapshot_section, x, err);
    x->c->in_snapshot = false;
    return st;
}

vgt_status svga_walk_commands(svga_walk *w, const char *verb, vgt_trace_reader *r,
                              svga_walk_cmds *c, vgt_error *err)
{
    static const svga_walk_ops ops = {
        .command = cmds_command, .refused = cmds_refused, .snapshot = cmds_snapshot};
    walk_cmds x = {w, c};
    c->in_snapshot = false;
    return svga_walk_run(w, verb, r, &ops, &x, err);
}
