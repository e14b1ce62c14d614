/* replayer.c - drives the executor from a trace (vgt_replayer.h).
 *
 * Records are processed as a stream.  A COMMAND is decoded and executed at
 * once; while it executes, the executor's guest memory reads pull the
 * command's DMA_DATA records from the reader (a record's payload stays valid
 * until the next reader call, so the bytes are copied once, into the
 * executor's buffer).  Whether the command failed live is known from the
 * ERROR record that follows it; the comparison is made when the next record
 * of another kind arrives.
 *
 * Error buffers are cleared with vgt_error_clear, not "= {0}": that zeroes
 * the 512-byte message for every record read. */
#include "vgt_replay.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIVERGE_MAX 400

typedef struct cur_cmd {
    bool active;
    bool device_level; /* FENCE, DEFINE_GMR2, REMAP_GMR2: not executed */
    bool live_failed;  /* an ERROR record named this command */
    bool leftover;     /* recorded reads the replay did not make */
    bool cut_off;      /* its reads ran past the end of the readable trace */
    uint64_t seq;
    uint64_t frame; /* guest frame */
    uint32_t id;
    vgt_status st; /* replay status */
    char msg[VGT_ERROR_MESSAGE_MAX];
    char diverge[DIVERGE_MAX]; /* the first read mismatch, if any */
} cur_cmd;

struct vgt_replayer {
    vgt_replayer_options o;
    vgt_trace_reader *rd;
    const vgt_trace_header *hdr;
    vgt_trace_device_config cfg;
    vgt_executor *ex;
    /* The last frame hash and the display generation it was computed at: an
     * unchanged display is not hashed again (same image, same hash). */
    bool hash_valid, hash_rows;
    uint64_t hash_gen, hash;
    vgt_trace_row_cache rows; /* the row tree's rows, hashed when they change */

    /* the register file (as the device keeps it) */
    uint32_t enable, width, height, bpp, pitchlock;
    uint32_t cursor_x, cursor_y, cursor_on;

    /* the record stream */
    vgt_trace_record pending;
    bool have_pending;
    bool eof;
    vgt_status fatal; /* a reader error met inside a memory callback */
    vgt_error fatal_err;
    size_t problems_seen;
    bool tolerant; /* a chunk was skipped: divergences are counted, not fatal */

    /* the command executing and its current recorded read */
    cur_cmd cur;
    uint64_t last_seq;
    uint32_t last_id;
    uint32_t *words;
    size_t words_cap;
    uint8_t *batch; /* the COMMAND_BATCH executing */
    size_t batch_cap;
    vgt_trace_dma dma;
    bool dma_valid;
    uint32_t dma_used;
    uint64_t dma_at;       /* the guest offset the extent continues at */
    uint32_t dma_row_left; /* bytes left in the extent's current row */

    bool stop;
    /* last_frame's FRAME_HASH was run: the run stops once the record
     * after it, the frame's FRAME_END, is read (the end belongs to the
     * frame, docs/format.md: a skipped chunk holding it is the range's
     * damage, as trim and analyze, which read it, count it) */
    bool range_done;
    /* vgt_replayer_begin/_step: a run in progress, the frame a step stopped
     * at, and what vgt_replayer_run keeps on its stack otherwise */
    bool stepping;
    bool frame_ready;
    vgt_replay_frame frame;
    uint64_t run_t0;
    uint64_t first_opt; /* o.first_frame as given (run_begin resolves 0) */
    vgt_replay_stats st;
    vgt_replay_cmd_timing tm; /* the command executing, with o.instrument */
    bool timing;              /* the command executing is timed (instrument_command) */
    uint64_t fences;          /* FENCE commands run (on_command) */
    uint32_t last_fence;
    bool fence_seen; /* a FENCE replayed, or a snapshot's FENC section loaded */
};

const char *vgt_replay_backend_name(vgt_replay_backend b)
{
    switch (b) {
    case VGT_REPLAY_BACKEND_NULL:
        return "null";
    case VGT_REPLAY_BACKEND_SOFT:
        return "soft";
    case VGT_REPLAY_BACKEND_GL:
        return "gl";
    case VGT_REPLAY_BACKEND_AS_CAPTURED:
        return "as captured";
    }
    return "?";
}

/* ---- the record stream -------------------------------------------------------- */

static void note_problems(vgt_replayer *r)
{
    size_t n = vgt_trace_reader_problem_count(r->rd);
    if (n > r->problems_seen) {
        if (r->o.salvage) {
            r->tolerant = true;
        }
        r->problems_seen = n;
    }
}

/* The next record without consuming it; NULL at the end or on error (fatal set). */
static const vgt_trace_record *peek(vgt_replayer *r)
{
    if (r->have_pending) {
        return &r->pending;
    }
    if (r->eof || r->fatal != VGT_OK) {
        return NULL;
    }
    vgt_error e;
    vgt_error_clear(&e);
    vgt_status st = vgt_trace_reader_next(r->rd, &r->pending, &e);
    note_problems(r);
    if (st == VGT_E_END) {
        r->eof = true;
        return NULL;
    }
    if (st != VGT_OK) {
        r->fatal = st;
        r->fatal_err = e;
        return NULL;
    }
    r->st.records++;
    r->have_pending = true;
    return &r->pending;
}

static void consume(vgt_replayer *r)
{
    r->have_pending = false;
}

static uint64_t guest_frame(const vgt_replayer *r, const vgt_trace_record *rec)
{
    return r->hdr->start_frame + rec->frame;
}

/* ---- guest memory from the trace ------------------------------------------------- */

__attribute__((format(printf, 2, 3))) static void diverge(vgt_replayer *r, const char *fmt, ...)
{
    if (r->cur.diverge[0]) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->cur.diverge, sizeof(r->cur.diverge), fmt, ap);
    va_end(ap);
}

static const char *gmr_name(uint32_t gmr, char *buf, size_t size)
{
    if (gmr == VGT_SVGA_GMR_FRAMEBUFFER) {
        return "FB";
    }
    snprintf(buf, size, "%u", gmr);
    return buf;
}

/* Makes r->dma the next recorded read of the current command; false when
 * there is none (the record that follows stays pending). */
static bool next_extent(vgt_replayer *r, vgt_error *err)
{
    for (;;) {
        const vgt_trace_record *rec = peek(r);
        if (!rec || rec->type != VGT_REC_DMA_DATA || (rec->flags & VGT_TRACE_DMA_F_BYTES)) {
            return false;
        }
        /* Parsed in place: r->dma is only used while dma_valid, which the
         * caller clears when this returns false.  (A local copied into
         * r->dma stalled on store forwarding: a visible per-record cost.) */
        vgt_trace_dma *dp = &r->dma;
        r->dma_valid = false;
        if (vgt_trace_dma_parse(rec, dp, err) != VGT_OK || dp->seq != r->cur.seq) {
            return false;
        }
        consume(r);
        if (rec->flags & VGT_TRACE_DMA_F_DESC) {
            const vgt_trace_record *b = peek(r);
            if (!b && r->eof) {
                return false; /* cut off between the descriptor and its bytes */
            }
            if (!b || b->type != VGT_REC_DMA_DATA || !(b->flags & VGT_TRACE_DMA_F_BYTES) ||
                b->size != dp->length) {
                vgt_error_set(err, VGT_E_FORMAT,
                              "record %" PRIu64 ": DMA descriptor of %u bytes not followed by "
                              "its bytes",
                              rec->seq, dp->length);
                return false;
            }
            dp->bytes = b->payload;
            consume(r);
        }
        if (dp->length == 0) {
            continue;
        }
        r->dma_valid = true;
        r->dma_used = 0;
        r->dma_at = dp->offset;
        r->dma_row_left = dp->row_bytes;
        return true;
    }
}

/* Makes sure an extent with bytes left is at hand for a read of len bytes
 * at gmr/offset (the next recorded one when the last is used up); an error
 * says why there is none. */
static vgt_status need_extent(vgt_replayer *r, uint32_t gmr, uint32_t offset, uint32_t len,
                              uint64_t *t0, vgt_error *err)
{
    char g1[16];
    bool timed = r->timing;
    *t0 = timed ? vgt_now_ns() : 0; /* when the read began (instrumented) */
    if (!(r->dma_valid && r->dma_used < r->dma.length)) {
        vgt_error e;
        vgt_error_clear(&e);
        bool got = next_extent(r, &e);
        if (timed) {
            r->tm.trace_ns += vgt_now_ns() - *t0;
            r->tm.trace_reads++;
        }
        if (!got) {
            r->dma_valid = false;
            if (r->eof && e.code == VGT_OK) {
                /* A trace cut off mid-command (killed capture, full disk). */
                r->cur.cut_off = true;
                return vgt_error_set(err, VGT_E_TRUNCATED,
                                     "the trace ends inside this command's guest memory reads");
            }
            if (e.code != VGT_OK) {
                diverge(r, "%s", e.message);
            } else {
                diverge(r,
                        "the executor reads GMR %s offset %u (%u bytes) but the trace has no "
                        "further read recorded for this command",
                        gmr_name(gmr, g1, sizeof(g1)), offset, len);
            }
            return vgt_error_set(err, VGT_E_STATE,
                                 "replay: read of GMR %s offset %u (%u bytes) not in the trace",
                                 gmr_name(gmr, g1, sizeof(g1)), offset, len);
        }
    }
    return VGT_OK;
}

/* Bytes handed to the executor from the extent, counted (and timed). */
static void dma_moved(vgt_replayer *r, uint64_t t0, uint32_t len, uint32_t reads)
{
    r->st.dma_bytes += len;
    if (r->timing) {
        r->tm.dma_ns += vgt_now_ns() - t0; /* the trace read inside is subtracted later */
        r->tm.dma_reads += reads;
        r->tm.dma_bytes += len;
    }
}

static vgt_status mem_read(void *ctx, uint32_t gmr, uint32_t offset, void *dst, uint32_t len,
                           vgt_error *err)
{
    vgt_replayer *r = ctx;
    char g1[16], g2[16];
    if (len == 0) {
        return VGT_OK;
    }
    uint64_t t0;
    vgt_status st = need_extent(r, gmr, offset, len, &t0, err);
    if (st != VGT_OK) {
        return st;
    }
    const vgt_trace_dma *d = &r->dma;
    /* A read continues the extent where it stands, inside one row (a plain
     * extent is one row; the next row starts a pitch after the last). */
    uint64_t at = r->dma_at;
    uint32_t left = r->dma_row_left;
    if (gmr != d->gmr || (uint64_t)offset != at || len > left) {
        diverge(r,
                "the executor reads GMR %s offset %u (%u bytes) but the trace recorded GMR %s "
                "offset %llu (%u bytes left of that read)",
                gmr_name(gmr, g1, sizeof(g1)), offset, len, gmr_name(d->gmr, g2, sizeof(g2)),
                (unsigned long long)at, left);
        return vgt_error_set(err, VGT_E_STATE,
                             "replay: read of GMR %s offset %u (%u bytes) differs from the trace",
                             gmr_name(gmr, g1, sizeof(g1)), offset, len);
    }
    memcpy(dst, d->bytes + r->dma_used, len);
    r->dma_used += len;
    r->dma_at += len;
    r->dma_row_left -= len;
    if (r->dma_row_left == 0) {
        r->dma_at += (uint64_t)d->pitch - d->row_bytes;
        r->dma_row_left = d->row_bytes;
    }
    dma_moved(r, t0, len, 1);
    return VGT_OK;
}

/* A rectangle's rows: straight from a ROWS extent recorded for exactly
 * these rows (one check for them all); otherwise row by row, which reads
 * any recording of them and reports where it differs. */
static vgt_status mem_read_rows(void *ctx, uint32_t gmr, uint32_t offset, uint32_t pitch,
                                uint32_t row_bytes, uint32_t rows, void *dst, size_t dst_pitch,
                                vgt_error *err)
{
    vgt_replayer *r = ctx;
    if (rows == 0 || row_bytes == 0) {
        return VGT_OK;
    }
    uint64_t t0;
    vgt_status st = need_extent(r, gmr, offset, row_bytes, &t0, err);
    if (st != VGT_OK) {
        return st;
    }
    const vgt_trace_dma *d = &r->dma;
    uint8_t *out = dst;
    /* the recorded extent is exactly these rows: as ROWS, or as one run of
     * bytes when the rows touch (pitch = row bytes, a full-width rectangle) */
    bool as_rows = d->rows == rows && d->row_bytes == row_bytes && (rows == 1 || d->pitch == pitch);
    bool as_run = d->rows == 1 && pitch == row_bytes && d->length == (uint64_t)rows * row_bytes;
    if (r->dma_used == 0 && d->gmr == gmr && d->offset == offset && (as_rows || as_run)) {
        for (uint32_t i = 0; i < rows; i++) {
            memcpy(out + i * dst_pitch, d->bytes + (size_t)i * row_bytes, row_bytes);
        }
        r->dma_used = d->length;
        dma_moved(r, t0, d->length, rows);
        return VGT_OK;
    }
    for (uint32_t i = 0; i < rows; i++) {
        uint32_t at = (uint32_t)((uint64_t)offset + (uint64_t)i * pitch); /* < 4 GiB: checked */
        if ((st = mem_read(ctx, gmr, at, out + i * dst_pitch, row_bytes, err)) != VGT_OK) {
            return st;
        }
    }
    return VGT_OK;
}

static vgt_status mem_write(void *ctx, uint32_t gmr, uint32_t offset, const void *src, uint32_t len,
                            vgt_error *err)
{
    /* Guest memory is not replayed: what the guest reads back is not needed,
     * and every later read the executor makes comes from the trace. */
    (void)ctx;
    (void)gmr;
    (void)offset;
    (void)src;
    (void)len;
    (void)err;
    return VGT_OK;
}

/* ---- registers ---------------------------------------------------------------- */

static void regs_power_on(vgt_replayer *r)
{
    r->enable = 0;
    r->width = r->cfg.max_width && r->cfg.max_width < 1024 ? r->cfg.max_width : 1024;
    r->height = r->cfg.max_height && r->cfg.max_height < 768 ? r->cfg.max_height : 768;
    r->bpp = 32;
    r->pitchlock = 0;
    r->cursor_x = r->cursor_y = r->cursor_on = 0;
}

/* As the device's apply_mode(): the legacy mode from the registers.  A mode
 * the executor refuses was refused live too (a device error, not a replay
 * error); running out of host memory is the replay's own failure. */
static vgt_status apply_mode(vgt_replayer *r, vgt_error *err)
{
    vgt_display_mode m = vgt_display_mode_from_regs(r->enable, r->width, r->height, r->bpp,
                                                    r->pitchlock, r->cfg.vram_size, NULL);
    vgt_error e;
    vgt_error_clear(&e);
    if (vgt_executor_set_mode(r->ex, &m, &e) == VGT_E_NOMEM) {
        return vgt_error_set(err, VGT_E_NOMEM, "mode %ux%u: %s", m.width, m.height, e.message);
    }
    return VGT_OK;
}

static void legacy_cursor(vgt_replayer *r)
{
    bool visible = VGT_SVGA_CURSOR_ON_VISIBLE(r->cursor_on);
    vgt_executor_set_cursor(r->ex, visible, (int32_t)r->cursor_x, (int32_t)r->cursor_y,
                            VGT_SVGA_ID_INVALID);
}

/* Stores a register value; returns true when the device would re-apply the mode. */
static bool reg_store(vgt_replayer *r, uint32_t reg, uint32_t v, bool *cursor)
{
    *cursor = false;
    switch (reg) {
    case VGT_SVGA_REG_ENABLE:
        r->enable = v;
        return true;
    case VGT_SVGA_REG_WIDTH:
        r->width = v;
        return true;
    case VGT_SVGA_REG_HEIGHT:
        r->height = v;
        return true;
    case VGT_SVGA_REG_BITS_PER_PIXEL:
        r->bpp = v;
        return true;
    case VGT_SVGA_REG_PITCHLOCK:
        r->pitchlock = v;
        return true;
    case VGT_SVGA_REG_CURSOR_X:
        r->cursor_x = v;
        *cursor = true;
        return false;
    case VGT_SVGA_REG_CURSOR_Y:
        r->cursor_y = v;
        *cursor = true;
        return false;
    case VGT_SVGA_REG_CURSOR_ON:
        r->cursor_on = v;
        *cursor = true;
        return false;
    default:
        /* A palette register: the next 8-bit UPDATE's colours, as live. */
        if (reg >= VGT_SVGA_PALETTE_BASE &&
            reg - VGT_SVGA_PALETTE_BASE < VGT_SVGA_NUM_PALETTE_REGS) {
            (void)vgt_executor_set_palette(r->ex, reg - VGT_SVGA_PALETTE_BASE, v, NULL);
        }
        return false; /* ID, CONFIG_DONE, IRQMASK, GMR setup: device-level */
    }
}

/* ---- records -------------------------------------------------------------------- */

static bool is_device_level(uint32_t id)
{
    /* ESCAPE is the executor's: its video overlay escapes read guest memory */
    return id == VGT_SVGA_CMD_FENCE || id == VGT_SVGA_CMD_DEFINE_GMR2 ||
           id == VGT_SVGA_CMD_REMAP_GMR2;
}

/* Compares the finished command's outcome with the live one. */
static vgt_status finish_command(vgt_replayer *r, vgt_error *err)
{
    cur_cmd *c = &r->cur;
    if (!c->active) {
        return VGT_OK;
    }
    c->active = false;
    r->dma_valid = false;
    bool failed = c->st != VGT_OK;
    if (c->cut_off) {
        r->st.commands_cut_off++;
        return VGT_OK;
    }
    if (failed && r->st.commands_failed++ == 0) {
        r->st.first_failed_seq = c->seq;
        r->st.first_failed_id = c->id;
        snprintf(r->st.first_failed_message, sizeof(r->st.first_failed_message), "%s", c->msg);
    }
    const char *what = NULL;
    const char *d1 = "", *d2 = "", *d3 = "";
    if (!failed && c->leftover && !c->live_failed) {
        what = "it read less guest memory than the device read live";
        d1 = c->diverge;
    } else if (failed && !c->live_failed) {
        what = "it failed in replay but succeeded live";
        d1 = c->diverge[0] ? c->diverge : c->msg;
        d2 = c->diverge[0] ? "; executor: " : "";
        d3 = c->diverge[0] ? c->msg : "";
    } else if (!failed && c->live_failed) {
        what = "the device rejected it live but it succeeded in replay";
    }
    if (!what) {
        return VGT_OK;
    }
    if (failed && !c->live_failed && c->st == VGT_E_NOMEM && !r->tolerant) {
        /* the host ran out of memory here: not a divergence of the trace */
        return vgt_error_set(err, VGT_E_NOMEM, "command seq %" PRIu64 " (%s): %s", c->seq,
                             vgt_cmd_name(c->id), c->msg);
    }
    if (r->tolerant) {
        r->st.divergences++;
        return VGT_OK;
    }
    return vgt_error_set(
        err, VGT_E_STATE,
        "replay diverged at command seq %" PRIu64 " (%s, guest frame %" PRIu64 "): %s%s%s%s%s",
        c->seq, vgt_cmd_name(c->id), c->frame, what, d1[0] ? ": " : "", d1, d2, d3);
}

/* Whether a command of guest frame `frame` runs with the instrument's hooks
 * and clock reads: with range_only, the state-only frames before the range
 * are replayed as without instrument, so that they cost what vgt replay
 * --frames makes them cost. */
static bool instrument_command(const vgt_replayer *r, uint64_t frame)
{
    const vgt_replay_instrument *ins = r->o.instrument;
    return ins && (!ins->range_only || frame >= r->o.first_frame);
}

/* Executes one recorded command (its words copied first: with `consume`,
 * the record holding them is consumed before it executes, so that its guest
 * memory reads can look at the records after it). */
static vgt_status run_command(vgt_replayer *r, const vgt_trace_command *tcp, uint64_t frame,
                              bool consume_record, vgt_error *err)
{
    vgt_trace_command tc = *tcp;
    vgt_status st;
    if (r->o.on_command_start) {
        r->o.on_command_start(r->o.ctx, tc.seq, frame);
    }
    if (tc.nwords > r->words_cap) {
        size_t cap = r->words_cap ? r->words_cap : 256;
        while (cap < tc.nwords) {
            cap *= 2;
        }
        uint32_t *w = realloc(r->words, cap * 4u);
        if (!w) {
            return vgt_error_set(err, VGT_E_NOMEM, "replay: out of memory for a %u-word command",
                                 tc.nwords);
        }
        r->words = w;
        r->words_cap = cap;
    }
    for (uint32_t i = 0; i < tc.nwords; i++) {
        r->words[i] = vgt_load_le32(tc.words + 4u * i);
    }
    cur_cmd *c = &r->cur;
    memset(c, 0, sizeof(*c));
    c->active = true;
    c->seq = tc.seq;
    c->frame = frame;
    c->id = r->words[0];
    r->last_seq = tc.seq;
    r->last_id = c->id;
    r->dma_valid = false;
    const vgt_replay_instrument *ins = instrument_command(r, frame) ? r->o.instrument : NULL;
    r->timing = ins != NULL;
    if (ins) {
        r->st.commands_timed++;
        memset(&r->tm, 0, sizeof(r->tm));
        r->tm.seq = tc.seq;
        r->tm.frame = c->frame;
        r->tm.fetch_ns = tc.fetch_ns;
        r->tm.id = c->id;
        r->tm.bytes = tc.nwords * 4u;
    }
    if (consume_record) {
        consume(r); /* tc.words is not used past this point */
    }
    r->st.commands++;

    vgt_error e;
    vgt_error_clear(&e);
    uint32_t total = 0;
    vgt_cmd cmd;
    bool executed = false;
    uint64_t t0 = ins ? vgt_now_ns() : 0;
    st = vgt_cmd_length(r->words, tc.nwords, &total, &e);
    if (st == VGT_OK && total != tc.nwords) {
        st = vgt_error_set(&e, VGT_E_FORMAT, "recorded %u words, the command is %u words long",
                           tc.nwords, total);
    }
    if (st == VGT_OK) {
        st = vgt_cmd_decode(r->words, tc.nwords, &cmd, &e);
    }
    if (ins) {
        r->tm.decode_ns = vgt_now_ns() - t0;
        r->tm.decoded = st == VGT_OK;
    }
    if (st == VGT_OK && is_device_level(cmd.id)) {
        c->device_level = true;
        r->st.device_commands++;
        if (cmd.id == VGT_SVGA_CMD_FENCE) {
            r->fences++;
            r->last_fence = cmd.u.fence.fence;
            r->fence_seen = true;
        }
    } else if (st == VGT_OK) {
        vgt_exec_result res;
        executed = true;
        if (ins) {
            if (ins->cmd_begin) {
                ins->cmd_begin(ins->ctx, tc.seq, &cmd);
            }
            r->tm.executed = true;
            t0 = vgt_now_ns();
        }
        st = vgt_executor_execute(r->ex, &cmd, &res, &e);
        if (ins) {
            r->tm.exec_ns = vgt_now_ns() - t0;
        }
        if (r->fatal != VGT_OK) {
            if (err) {
                *err = r->fatal_err;
            }
            return r->fatal;
        }
        if (r->dma_valid && r->dma_used < r->dma.length) {
            c->leftover = true;
        }
    }
    c->st = st;
    if (st != VGT_OK) {
        snprintf(c->msg, sizeof(c->msg), "%s", e.message);
    }
    if (ins && ins->cmd_end) {
        r->tm.status = st;
        ins->cmd_end(ins->ctx, &r->tm);
    }
    if (r->o.on_command) {
        vgt_replay_command rc = {
            .seq = c->seq,
            .frame = c->frame,
            .id = c->id,
            .executed = executed,
            .status = st,
            .fences = r->fences,
            .last_fence = r->last_fence,
        };
        if (r->o.on_command(r->o.ctx, &rc)) {
            r->stop = true;
        }
    }
    return VGT_OK;
}

/* True (the run stops) when the command of seq `seq`, in record rec_seq, is
 * where stop_at_command asks the run to stop: nothing of it runs. */
static bool stop_before(vgt_replayer *r, uint64_t seq, uint64_t rec_seq)
{
    if (!r->o.stop_at_command || seq < r->o.stop_seq) {
        return false;
    }
    r->stop = true;
    r->st.stopped_at_command = true;
    r->st.stop_record = rec_seq;
    return true;
}

static vgt_status do_command(vgt_replayer *r, const vgt_trace_record *rec, vgt_error *err)
{
    vgt_trace_command tc;
    vgt_status st = vgt_trace_command_parse(rec, &tc, err);
    if (st != VGT_OK) {
        return st;
    }
    if (stop_before(r, tc.seq, rec->seq)) {
        return VGT_OK; /* not consumed: the run ends here */
    }
    return run_command(r, &tc, guest_frame(r, rec), true, err);
}

/* A COMMAND_BATCH: its commands in turn.  Only the last can have records
 * after the batch (its guest memory reads, its error: writing any of them
 * ended the batch live), so it stays the current command; one before it
 * that reads guest memory in replay finds none of its own and diverges. */
static vgt_status do_batch(vgt_replayer *r, const vgt_trace_record *rec, vgt_error *err)
{
    /* the record is consumed before its commands run: keep its payload */
    if (rec->size > r->batch_cap) {
        uint8_t *p = realloc(r->batch, rec->size);
        if (!p) {
            return vgt_error_set(err, VGT_E_NOMEM, "replay: out of memory for a %u-byte batch",
                                 rec->size);
        }
        r->batch = p;
        r->batch_cap = rec->size;
    }
    if (rec->size > 0) { /* an empty one: parsing refuses it below */
        memcpy(r->batch, rec->payload, rec->size);
    }
    vgt_trace_record copy = *rec;
    copy.payload = r->batch;
    vgt_trace_commands b;
    vgt_status st = vgt_trace_commands_parse(&copy, &b, err);
    if (st != VGT_OK) {
        return st;
    }
    uint64_t frame = guest_frame(r, rec);
    uint64_t rec_seq = rec->seq;
    consume(r);
    vgt_trace_command tc;
    bool first = true;
    while (vgt_trace_commands_next(&b, &tc)) {
        if (stop_before(r, tc.seq, rec_seq)) {
            return VGT_OK; /* the commands before it ran; the one before stays current */
        }
        if (!first && (st = finish_command(r, err)) != VGT_OK) {
            return st;
        }
        first = false;
        if ((st = run_command(r, &tc, frame, false, err)) != VGT_OK) {
            return st;
        }
    }
    return VGT_OK;
}

static vgt_status do_frame(vgt_replayer *r, const vgt_trace_record *rec, vgt_error *err)
{
    vgt_trace_frame_hash h;
    vgt_status st = vgt_trace_frame_hash_parse(rec, &h, err);
    if (st != VGT_OK) {
        return st;
    }
    if (h.frame < r->o.first_frame) {
        return VGT_OK; /* state-only */
    }
    vgt_replay_frame f = {
        .frame = h.frame,
        .last_seq = h.last_seq,
        .last_cmd_id = r->last_id,
        .recorded_hash = h.hash,
        .recorded_width = h.width,
        .recorded_height = h.height,
        .recorded_no_display = (h.flags & VGT_TRACE_FRAME_F_NO_DISPLAY) != 0,
    };
    if (r->st.frames == 0) {
        r->st.first_frame = h.frame;
    }
    r->st.frames++;
    r->st.last_frame = h.frame;
    if (r->o.compose || r->o.verify || r->o.window) {
        const vgt_image *img = NULL;
        vgt_error e;
        vgt_error_clear(&e);
        vgt_status cst = vgt_executor_compose(r->ex, &img, &e);
        if (cst == VGT_E_NOMEM) {
            /* the host is out of memory: a frame without display would be wrong */
            return vgt_error_set(err, cst, "frame %" PRIu64 ": compose: %s", h.frame, e.message);
        }
        if (cst != VGT_OK) {
            /* no screen, or screens too far apart: the frame has no display,
             * as live */
            img = NULL;
        }
        f.image = img;
        /* the kind of hash the trace recorded: the row tree (rows that
         * compose did not rewrite are not hashed again), or the whole image
         * (traces from before 2026-11-29) */
        bool rows = (h.flags & VGT_TRACE_FRAME_F_ROWS) != 0;
        uint64_t gen = vgt_executor_display_generation(r->ex);
        if (img && r->hash_valid && r->hash_gen == gen && r->hash_rows == rows) {
            f.hash = r->hash;
        } else {
            f.hash = rows ? vgt_trace_frame_row_hash(&r->rows, img,
                                                     vgt_executor_composed_row_stamps(r->ex, img))
                          : vgt_trace_frame_hash_image(img);
            r->hash_valid = img != NULL;
            r->hash_gen = gen;
            r->hash_rows = rows;
            r->hash = f.hash;
        }
        if (!img) {
            f.match = f.recorded_no_display;
        } else {
            f.match = !f.recorded_no_display && f.hash == h.hash && img->width == h.width &&
                      img->height == h.height;
        }
        if (f.match) {
            r->st.frames_verified++;
        } else if (r->st.frames_differ++ == 0) {
            vgt_replay_mismatch *m = &r->st.mismatch;
            m->valid = true;
            m->frame = h.frame;
            m->last_seq = h.last_seq;
            m->last_cmd_id = r->last_id;
            m->replayed_display = img != NULL;
            m->captured_display = !f.recorded_no_display;
            m->replayed_hash = f.hash;
            m->captured_hash = h.hash;
            m->replayed_width = img ? img->width : 0;
            m->replayed_height = img ? img->height : 0;
            m->captured_width = h.width;
            m->captured_height = h.height;
        }
        if (r->o.verify && !f.match && !r->tolerant) {
            char got[64], want[64];
            if (img) {
                snprintf(got, sizeof(got), "%016" PRIx64 " (%ux%u)", f.hash, img->width,
                         img->height);
            } else {
                snprintf(got, sizeof(got), "no display");
            }
            if (f.recorded_no_display) {
                snprintf(want, sizeof(want), "no display");
            } else {
                snprintf(want, sizeof(want), "%016" PRIx64 " (%ux%u)", h.hash, h.width, h.height);
            }
            return vgt_error_set(err, VGT_E_CHECKSUM,
                                 "frame %" PRIu64 " differs: replayed %s, captured %s; last "
                                 "command before it: seq %" PRIu64 " %s",
                                 h.frame, got, want, h.last_seq,
                                 r->last_id ? vgt_cmd_name(r->last_id) : "(none)");
        }
    }
    if (r->o.window && f.image) {
        /* the window shows what the host display shows (--screenshot saves
         * the same image) */
        const vgt_backend *be = vgt_executor_backend(r->ex);
        if (be && be->ops->show_image &&
            (st = be->ops->show_image(be->self, f.image, err)) != VGT_OK) {
            return st;
        }
    }
    if (r->o.on_frame && r->o.on_frame(r->o.ctx, &f) != 0) {
        r->stop = true;
    }
    r->frame = f; /* a step stops here; the image stays the executor's until it runs on */
    r->frame_ready = true;
    if (h.frame >= r->o.last_frame) {
        r->range_done = true;
    }
    return VGT_OK;
}

static vgt_status do_snapshot(vgt_replayer *r, const vgt_trace_record *rec, vgt_error *err)
{
    uint64_t frame, next_seq;
    size_t pos;
    vgt_status st = vgt_trace_snapshot_parse(rec, &frame, &next_seq, &pos, err);
    if (st != VGT_OK) {
        return st;
    }
    vgt_trace_snapshot_section sec;
    while ((st = vgt_trace_snapshot_next(rec, &pos, &sec, err)) == VGT_OK) {
        if (sec.tag == VGT_TRACE_SNAP_REGS) {
            if (sec.size % 8u != 0) {
                return vgt_error_set(err, VGT_E_FORMAT,
                                     "record %" PRIu64 ": snapshot REGS section of %" PRIu64
                                     " bytes (pairs of 8)",
                                     rec->seq, sec.size);
            }
            for (uint64_t i = 0; i < sec.size; i += 8) {
                bool cursor;
                (void)reg_store(r, vgt_load_le32(sec.data + i), vgt_load_le32(sec.data + i + 4),
                                &cursor);
            }
        } else if (sec.tag == VGT_TRACE_SNAP_EX2D || sec.tag == VGT_TRACE_SNAP_EX3D) {
            /* EX2D resets the executor (3D included); EX3D, written after
             * it, rebuilds the 3D state on top. */
            st = sec.tag == VGT_TRACE_SNAP_EX2D
                     ? vgt_executor_snapshot_load(r->ex, sec.data, (size_t)sec.size, err)
                     : vgt_executor_snapshot_load_3d(r->ex, sec.data, (size_t)sec.size, err);
            if (st != VGT_OK) {
                vgt_error_prefix(err, "record %" PRIu64 " (snapshot)", rec->seq);
                return st;
            }
        } else if (sec.tag == VGT_TRACE_SNAP_FENC) {
            if (sec.size != 8u || vgt_load_le32(sec.data) != VGT_TRACE_SNAP_FENC_VERSION) {
                return vgt_error_set(err, VGT_E_FORMAT,
                                     "record %" PRIu64 ": snapshot FENC section of %" PRIu64
                                     " bytes, version %" PRIu32 " (this build reads 8 bytes, "
                                     "version %u)",
                                     rec->seq, sec.size,
                                     sec.size >= 4u ? vgt_load_le32(sec.data) : 0u,
                                     VGT_TRACE_SNAP_FENC_VERSION);
            }
            /* the FIFO's FENCE register; the count of fences replayed stays
             * this run's own */
            r->last_fence = vgt_load_le32(sec.data + 4);
            r->fence_seen = true;
        } else if (sec.tag == VGT_TRACE_SNAP_EXVO) {
            st = vgt_executor_snapshot_load_video(r->ex, sec.data, (size_t)sec.size, err);
            if (st != VGT_OK) {
                vgt_error_prefix(err, "record %" PRIu64 " (snapshot)", rec->seq);
                return st;
            }
        }
    }
    return st == VGT_E_END ? VGT_OK : st;
}

static vgt_status do_record(vgt_replayer *r, const vgt_trace_record *rec, vgt_error *err)
{
    vgt_status st;
    /* Records that still belong to the command just executed. */
    if (r->cur.active && rec->type == VGT_REC_DMA_DATA) {
        vgt_trace_dma d;
        if ((rec->flags & VGT_TRACE_DMA_F_BYTES) ||
            (vgt_trace_dma_parse(rec, &d, NULL) == VGT_OK && d.seq == r->cur.seq)) {
            if (!r->cur.device_level && !(rec->flags & VGT_TRACE_DMA_F_BYTES)) {
                r->cur.leftover = true;
            }
            consume(r);
            return VGT_OK;
        }
    }
    if (r->cur.active && rec->type == VGT_REC_ERROR) {
        vgt_trace_error e;
        if (vgt_trace_error_parse(rec, &e, NULL) == VGT_OK && e.seq == r->cur.seq) {
            r->cur.live_failed = true;
            consume(r);
            return VGT_OK;
        }
    }
    if ((st = finish_command(r, err)) != VGT_OK) {
        return st;
    }
    if (guest_frame(r, rec) > r->o.last_frame) {
        /* last_frame's FRAME_HASH, which stops the run, was in a skipped
         * chunk: it ends where the next frame begins (a replay --frames
         * 3-3 ran on and composed frame 10; trim's state at A took frame
         * A's records); not consumed, nothing of the next frame runs */
        r->stop = true;
        r->st.ended_at_next_frame = true;
        r->st.stop_record = rec->seq;
        return VGT_OK;
    }
    switch (rec->type) {
    case VGT_REC_COMMAND:
        return do_command(r, rec, err); /* consumes */
    case VGT_REC_COMMAND_BATCH:
        return do_batch(r, rec, err); /* consumes */
    case VGT_REC_FRAME_HASH:
        st = do_frame(r, rec, err);
        break;
    case VGT_REC_REGISTER_WRITE: {
        vgt_trace_reg reg;
        if ((st = vgt_trace_reg_parse(rec, &reg, err)) != VGT_OK) {
            break;
        }
        if (reg.fifo_cursor) {
            vgt_executor_set_cursor(r->ex, reg.visible, reg.x, reg.y, reg.screen_id);
        } else {
            bool cursor;
            if (reg_store(r, reg.reg, reg.value, &cursor) && (st = apply_mode(r, err)) != VGT_OK) {
                break;
            }
            if (cursor) {
                legacy_cursor(r);
            }
        }
        break;
    }
    case VGT_REC_SNAPSHOT:
        st = do_snapshot(r, rec, err);
        if (st == VGT_OK && r->o.on_snapshot &&
            r->o.on_snapshot(r->o.ctx, r->hdr->start_frame + rec->frame)) {
            r->stop = true;
        }
        break;
    default:
        /* FENCE, TIMING, ERROR (not about a command), FRAME_END, MARKER,
         * stray DMA_DATA, unknown user types: nothing to execute. */
        st = VGT_OK;
        break;
    }
    consume(r);
    return st;
}
/* DEVCAP `index` of the caps block the guest was shown (the trace's device
 * configuration), or 0 when it is not there. */
static uint32_t captured_devcap(const vgt_trace_device_config *cfg, uint32_t index)
{
    uint32_t v = 0;
    return vgt_svga3d_caps_devcap(cfg->caps_3d, cfg->caps_3d_count, index, &v) ? v : 0;
}

/* ---- public ------------------------------------------------------------------------ */

vgt_status vgt_replayer_open(const char *path, const vgt_replayer_options *options,
                             vgt_replayer **out, vgt_error *err)
{
    *out = NULL;
    vgt_replayer_options o = {
        .backend = VGT_REPLAY_BACKEND_NULL,
        .first_frame = 0,
        .last_frame = UINT64_MAX,
        .compose = true,
    };
    if (options) {
        o = *options;
    }
    if (o.first_frame > o.last_frame) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "replay: frame range %" PRIu64 "-%" PRIu64 " is empty", o.first_frame,
                             o.last_frame);
    }
    vgt_replayer *r = calloc(1, sizeof(*r));
    if (!r) {
        return vgt_error_set(err, VGT_E_NOMEM, "replay: out of memory");
    }
    r->o = o;
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    ro.salvage = o.salvage;
    vgt_status st = vgt_trace_reader_open(path, &ro, &r->rd, err);
    if (st != VGT_OK) {
        free(r);
        return st;
    }
    r->hdr = vgt_trace_reader_header(r->rd);
    if (strcmp(r->hdr->protocol_name, VGT_SVGA_TRACE_PROTOCOL_NAME) != 0) {
        st =
            vgt_error_set(err, VGT_E_FORMAT, "%s: protocol '%s', not an SVGA trace (expected '%s')",
                          path, r->hdr->protocol_name, VGT_SVGA_TRACE_PROTOCOL_NAME);
        goto fail;
    }
    if ((st = vgt_trace_devcfg_parse(r->hdr->device_config, r->hdr->device_config_size, &r->cfg,
                                     err)) != VGT_OK) {
        vgt_error_prefix(err, "%s", path);
        goto fail;
    }
    vgt_backend_kind kind = o.backend == VGT_REPLAY_BACKEND_AS_CAPTURED
                                ? (vgt_backend_kind)r->cfg.backend_3d
                                : (vgt_backend_kind)o.backend;
    vgt_backend probe;
    vgt_error berr = {0};
    vgt_status bst = vgt_backend_create(kind, NULL, &probe, &berr);
    if (bst != VGT_OK) {
        st = vgt_error_set(err, bst == VGT_E_NOMEM ? VGT_E_NOMEM : VGT_E_UNSUPPORTED,
                           "backend %s: %s", vgt_backend_kind_name(kind), berr.message);
        goto fail;
    }
    vgt_backend_destroy(&probe);
    r->o.backend = (vgt_replay_backend)kind;
    vgt_executor_config ecfg = {
        .mem = {.ctx = r, .read = mem_read, .write = mem_write, .read_rows = mem_read_rows},
        .enable_3d = (r->cfg.flags & VGT_TRACE_DEVCFG_F_3D) != 0,
        .backend = kind,
        .backend_options = {.window = o.window},
        .no_video = (r->cfg.hide_fifo_caps & VGT_SVGA_FIFO_CAP_VIDEO) != 0,
        /* the overlay filter the device drew with live (a trace from
         * before the flag drew nearest) */
        .video_nearest = (r->cfg.flags & VGT_TRACE_DEVCFG_F_VIDEO_BILINEAR) == 0,
        .vram_size = r->cfg.vram_size,
        .no_screen_object_2 = (r->cfg.hide_caps & VGT_SVGA_CAP_SCREEN_OBJECT_2) ||
                              (r->cfg.hide_fifo_caps & VGT_SVGA_FIFO_CAP_SCREEN_OBJECT_2),
        /* as the guest was told: a trace captured with caps 1 draws
         * ANISOTROPIC as LINEAR, as it did live */
        .max_anisotropy = captured_devcap(&r->cfg, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY),
        .wrap_backend = o.instrument ? o.instrument->wrap_backend : NULL,
        .wrap_ctx = o.instrument ? o.instrument->ctx : NULL,
    };
    if ((st = vgt_executor_create(&ecfg, &r->ex, err)) != VGT_OK) {
        goto fail;
    }
    r->problems_seen = vgt_trace_reader_problem_count(r->rd);
    *out = r;
    return VGT_OK;
fail:
    vgt_trace_reader_close(r->rd);
    free(r);
    return st;
}

static uint64_t complete_frames(const vgt_replayer *r)
{
    vgt_trace_info info;
    vgt_trace_reader_info(r->rd, &info);
    return info.complete_frames;
}

/* The start of a run: state and registers reset, the range checked, the
 * reader at the first record. */
static vgt_status run_begin(vgt_replayer *r, vgt_error *err)
{
    r->run_t0 = vgt_now_ns();
    memset(&r->st, 0, sizeof(r->st));
    memset(&r->cur, 0, sizeof(r->cur));
    r->have_pending = false;
    r->eof = false;
    r->stop = false;
    r->range_done = false;
    r->frame_ready = false;
    r->fatal = VGT_OK;
    r->tolerant = false;
    r->dma_valid = false;
    r->last_seq = 0;
    r->last_id = 0;
    r->fences = 0;
    r->last_fence = 0;
    r->fence_seen = false;
    r->problems_seen = vgt_trace_reader_problem_count(r->rd);
    vgt_executor_reset(r->ex);
    regs_power_on(r);
    vgt_status st;
    r->first_opt = r->o.first_frame;
    if (r->o.first_frame == 0) {
        r->o.first_frame = r->hdr->start_frame; /* the default: from the trace's start */
    }
    if (r->o.first_frame < r->hdr->start_frame || r->o.first_frame > r->o.last_frame) {
        if (r->first_opt == 0 || r->o.first_frame > r->o.last_frame) {
            return vgt_error_set(err, VGT_E_NOTFOUND,
                                 "no frame %" PRIu64 "..%" PRIu64
                                 " in the trace (guest frames %" PRIu64 "..%" PRIu64 ")",
                                 r->first_opt, r->o.last_frame, r->hdr->start_frame,
                                 r->hdr->start_frame + complete_frames(r) -
                                     (complete_frames(r) ? 1u : 0u));
        }
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "frame %" PRIu64 " is before the trace, which starts at guest "
                             "frame %" PRIu64,
                             r->o.first_frame, r->hdr->start_frame);
    }
    if ((st = vgt_trace_reader_seek_record(r->rd, 0, err)) != VGT_OK && st != VGT_E_NOTFOUND) {
        return st;
    }
    return VGT_OK;
}

/* Replays records until the run stops or the trace ends, or with one_frame
 * until a frame in range has been composed (r->frame_ready). */
static vgt_status run_records(vgt_replayer *r, bool one_frame, vgt_error *err)
{
    r->frame_ready = false;
    while (!r->stop && !(one_frame && r->frame_ready)) {
        const vgt_trace_record *rec = peek(r);
        if (!rec) {
            r->stop = true;
            break;
        }
        if (r->range_done) {
            /* rec follows last_frame's FRAME_HASH: its FRAME_END, read (and
             * a skipped chunk that held it counted, by peek), not run */
            r->stop = true;
            break;
        }
        vgt_status st = do_record(r, rec, err);
        if (st != VGT_OK) {
            return st;
        }
    }
    return VGT_OK;
}

/* The end of a run (st: how the records went): the reader's error met
 * inside a memory callback, the last command finished, an empty range
 * named; the range option restored and *stats (may be NULL) filled. */
static vgt_status run_end(vgt_replayer *r, vgt_status st, vgt_replay_stats *stats, vgt_error *err)
{
    if (st == VGT_OK && r->fatal != VGT_OK) {
        st = r->fatal;
        if (err) {
            *err = r->fatal_err;
        }
    }
    if (st == VGT_OK) {
        st = finish_command(r, err);
    }
    /* (a range whose frame ends were all lost, in skipped chunks, is in
     * the trace: the run replayed what was readable of it, no frame ended;
     * a later run of the reader, --loop's, skips the chunks uncounted) */
    if (st == VGT_OK && r->st.frames == 0 && r->o.first_frame > r->hdr->start_frame &&
        !r->st.ended_at_next_frame) {
        st = vgt_error_set(err, VGT_E_NOTFOUND,
                           "no frame %" PRIu64 "..%" PRIu64 " in the trace (guest frames "
                           "%" PRIu64 "..%" PRIu64 ")",
                           r->o.first_frame, r->o.last_frame, r->hdr->start_frame,
                           r->hdr->start_frame + complete_frames(r) -
                               (complete_frames(r) ? 1u : 0u));
    }
    r->o.first_frame = r->first_opt;
    r->stepping = false;
    r->st.last_seq = r->last_seq;
    /* the chunks lost below where the reads went, each once: the reader's
     * whole count, as every verb says it (a later run of the reader,
     * --loop's, counts the same chunks again, not more) */
    r->st.chunks_skipped = r->o.salvage ? vgt_trace_reader_chunks_skipped(r->rd) : 0;
    r->st.ns = vgt_now_ns() - r->run_t0;
    if (stats) {
        *stats = r->st;
    }
    return st;
}

vgt_status vgt_replayer_run(vgt_replayer *r, vgt_replay_stats *stats, vgt_error *err)
{
    vgt_status st = run_begin(r, err);
    if (st == VGT_OK) {
        st = run_records(r, false, err);
    }
    return run_end(r, st, stats, err);
}

vgt_status vgt_replayer_begin(vgt_replayer *r, vgt_error *err)
{
    vgt_status st = run_begin(r, err);
    if (st != VGT_OK) {
        return run_end(r, st, NULL, err);
    }
    r->stepping = true;
    return VGT_OK;
}

vgt_status vgt_replayer_step(vgt_replayer *r, vgt_replay_frame *f, vgt_replay_stats *stats,
                             vgt_error *err)
{
    memset(f, 0, sizeof(*f));
    if (!r->stepping) {
        return vgt_error_set(err, VGT_E_STATE, "replay: step without vgt_replayer_begin");
    }
    vgt_status st = run_records(r, true, err);
    if (st == VGT_OK && r->frame_ready) {
        *f = r->frame;
        return VGT_OK;
    }
    st = run_end(r, st, stats, err);
    return st == VGT_OK ? VGT_E_END : st;
}

const vgt_trace_header *vgt_replayer_header(const vgt_replayer *r)
{
    return r->hdr;
}

const vgt_trace_device_config *vgt_replayer_device_config(const vgt_replayer *r)
{
    return &r->cfg;
}

vgt_trace_reader *vgt_replayer_reader(vgt_replayer *r)
{
    return r->rd;
}

vgt_replay_backend vgt_replayer_backend(const vgt_replayer *r)
{
    return r->o.backend;
}

void vgt_replayer_set_verify(vgt_replayer *r, bool verify)
{
    r->o.verify = verify;
}

vgt_executor *vgt_replayer_executor(vgt_replayer *r)
{
    return r->ex;
}

size_t vgt_replayer_registers(const vgt_replayer *r, vgt_snapshot_reg *out, size_t max)
{
    /* every register reg_store keeps: a replay from a snapshot holding them
     * composes the mode and the legacy cursor as this one would */
    const vgt_snapshot_reg regs[] = {
        {VGT_SVGA_REG_ENABLE, r->enable},       {VGT_SVGA_REG_WIDTH, r->width},
        {VGT_SVGA_REG_HEIGHT, r->height},       {VGT_SVGA_REG_BITS_PER_PIXEL, r->bpp},
        {VGT_SVGA_REG_PITCHLOCK, r->pitchlock}, {VGT_SVGA_REG_CURSOR_X, r->cursor_x},
        {VGT_SVGA_REG_CURSOR_Y, r->cursor_y},   {VGT_SVGA_REG_CURSOR_ON, r->cursor_on},
    };
    size_t n = sizeof(regs) / sizeof(regs[0]);
    if (n > max) {
        n = max;
    }
    memcpy(out, regs, n * sizeof(regs[0]));
    return n;
}

bool vgt_replayer_last_fence(const vgt_replayer *r, uint32_t *value)
{
    *value = r->last_fence;
    return r->fence_seen;
}

void vgt_replayer_close(vgt_replayer *r)
{
    if (!r) {
        return;
    }
    vgt_executor_destroy(r->ex);
    vgt_trace_reader_close(r->rd);
    vgt_trace_row_cache_free(&r->rows);
    free(r->words);
    free(r->batch);
    free(r);
}
