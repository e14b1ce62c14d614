/* trim.c - vgt trim (vgt_replayer.h): a trace of guest frames A..B of
 * another, replayable on its own.
 *
 * When A is after the trace's first frame, the trace is replayed up to the
 * end of frame A-1 (state-only, through the replayer) and the replayer's
 * state is written as a SNAPSHOT record, by the function the capture's
 * mid-run start uses (vgt_snapshot_append): the result is what a capture
 * started at A would have written.  Then the records of frames A..B are
 * copied as they are.  The register section is the replayer's register
 * file (mode and legacy cursor registers): a replay of the cut needs the
 * values a later partial register write combines with (a CURSOR_X alone
 * moves the cursor shown by the CURSOR_ON before it). */
#include "vgt_replay.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct trim_run {
    const vgt_trim_options *o;
    const char *in, *out;
    vgt_trim_stats *st;
    uint64_t last_seq; /* of frame A-1's last command */
    bool reached;      /* frame A-1 replayed */
    size_t problems_told;
} trim_run;

/* Reports the reader's problems not reported yet: found at open (a torn
 * last chunk, no footer: a warning, as vgt replay gives) or while reading
 * (`reading`: chunks skipped, counted). */
static void tell_problems(trim_run *t, vgt_trace_reader *rd, size_t *told, bool reading)
{
    size_t n = vgt_trace_reader_problem_count(rd);
    for (; *told < n; (*told)++) {
        const vgt_trace_problem *p = vgt_trace_reader_problem(rd, *told);
        if (reading && t->o->salvage && p->chunk != UINT64_MAX) {
            t->st->chunks_skipped++;
        }
        if (!t->o->log) {
            continue;
        }
        const char *what = !reading ? "warning:" : t->o->salvage ? "skipped" : "damaged";
        if (p->chunk == UINT64_MAX) {
            fprintf(t->o->log, "vgt trim: %s: %sproblem at offset %" PRIu64 ": %s\n", t->in,
                    reading ? "" : "warning: ", p->offset, p->message);
        } else {
            fprintf(t->o->log, "vgt trim: %s: %s chunk %" PRIu64 " at offset %" PRIu64 ": %s\n",
                    t->in, what, p->chunk, p->offset, p->message);
        }
    }
}

static int replay_frame(void *ctx, const vgt_replay_frame *f)
{
    trim_run *t = ctx;
    t->st->frames_replayed++;
    if (f->frame + 1 == t->o->first_frame) {
        t->last_seq = f->last_seq;
        t->reached = true;
    }
    if (t->o->progress) {
        t->o->progress(t->o->ctx, false, f->frame);
    }
    return 0;
}

/* Replays `in` to the end of frame A-1 and appends the state there to w as
 * a SNAPSHOT record stamped ts. */
static vgt_status write_state_at(trim_run *t, vgt_trace_writer *w, uint64_t ts, vgt_error *err)
{
    const vgt_trim_options *o = t->o;
    vgt_replayer_options ro = {
        .backend = o->backend,
        .salvage = o->salvage,
        .first_frame = 0, /* from the trace's start: every frame reaches replay_frame */
        .last_frame = o->first_frame - 1,
        .compose = false,
        .on_frame = replay_frame,
        .ctx = t,
    };
    vgt_replayer *r = NULL;
    vgt_status st = vgt_replayer_open(t->in, &ro, &r, err);
    if (st != VGT_OK) {
        return st;
    }
    t->st->backend = vgt_replayer_backend(r);
    vgt_replay_stats rs;
    /* what its open found, the copy's reader reported */
    size_t told = vgt_trace_reader_problem_count(vgt_replayer_reader(r));
    st = vgt_replayer_run(r, &rs, err);
    tell_problems(t, vgt_replayer_reader(r), &told, true);
    t->st->records_in += rs.records;
    if (st != VGT_OK) {
        vgt_error_prefix(err, "%s: replay to frame %" PRIu64, t->in, o->first_frame);
        goto out;
    }
    if (!t->reached) {
        st = vgt_error_set(err, VGT_E_NOTFOUND,
                           "%s: the replay ended before frame %" PRIu64 "'s end (damaged or "
                           "missing frames before it): no state to start frame %" PRIu64 " from",
                           t->in, o->first_frame - 1, o->first_frame);
        goto out;
    }
    vgt_executor *ex = vgt_replayer_executor(r);
    vgt_snapshot_reg regs[VGT_REPLAYER_REGS];
    size_t nregs = vgt_replayer_registers(r, regs, VGT_REPLAYER_REGS);
    st = vgt_snapshot_append(w, ex, o->first_frame, t->last_seq + 1u, ts, regs, nregs,
                             "trim from an earlier or later frame, where the state is smaller",
                             &t->st->snapshot_3d, &t->st->snapshot_bytes, err);
    if (st != VGT_OK) {
        vgt_error_prefix(err, "%s: snapshot", t->out);
        goto out;
    }
    t->st->snapshot = true;
    vgt_snapshot_report(o->log, "vgt trim", t->out, o->first_frame, ex, &t->st->snapshot_3d);
out:
    vgt_replayer_close(r);
    return st;
}

/* The writer's settings from the input's header (its compression, chunk
 * size and dedup threshold where they are valid). */
static void writer_settings(const vgt_trace_header *h, uint64_t first, uint64_t last,
                            vgt_trace_writer_settings *ws)
{
    vgt_trace_writer_settings_init(ws);
    if (h->compression_level >= 1 && h->compression_level <= 19) {
        ws->compression_level = h->compression_level;
    }
    if (h->chunk_size >= VGT_TRACE_MIN_CHUNK_SIZE && h->chunk_size <= VGT_TRACE_MAX_CHUNK_SIZE) {
        ws->chunk_size = h->chunk_size;
    }
    ws->dedup_min_size = h->dedup_min_size;
    ws->start_frame = first;
    ws->frame_limit = last - first + 1u;
}

/* Copies the records of frames A..B from rd (positioned at A's first) to w,
 * the snapshot (when A is after the trace's start) before the first. */
static vgt_status copy_frames(trim_run *t, vgt_trace_reader *rd, vgt_trace_writer *w, bool snapshot,
                              vgt_error *err)
{
    const vgt_trim_options *o = t->o;
    uint64_t start = vgt_trace_reader_header(rd)->start_frame;
    bool first = true;
    for (;;) {
        vgt_trace_record rec;
        vgt_status st = vgt_trace_reader_next(rd, &rec, err);
        tell_problems(t, rd, &t->problems_told, true);
        if (st == VGT_E_END) {
            break;
        }
        if (st != VGT_OK) {
            return st;
        }
        t->st->records_in++;
        uint64_t guest = start + rec.frame;
        if (guest > o->last_frame) {
            break; /* B ended without its FRAME_END: a skipped chunk held it */
        }
        if (guest < o->first_frame) {
            continue; /* cannot happen after the seek; never copied */
        }
        if (first && snapshot) {
            /* the payload is the reader's until its next call, and the
             * snapshot's replay uses a reader of its own */
            if ((st = write_state_at(t, w, rec.timestamp_ns, err)) != VGT_OK) {
                return st;
            }
        }
        first = false;
        /* frames whose FRAME_END a skipped chunk held end here, so that
         * every record keeps its frame */
        while (o->first_frame + vgt_trace_writer_frame(w) < guest) {
            if ((st = vgt_trace_writer_frame_end(w, rec.timestamp_ns, err)) != VGT_OK) {
                return st;
            }
        }
        if (rec.type == VGT_REC_FRAME_END) {
            if ((st = vgt_trace_writer_frame_end(w, rec.timestamp_ns, err)) != VGT_OK) {
                return st;
            }
            if (o->progress) {
                o->progress(o->ctx, true, guest);
            }
            if (guest == o->last_frame) {
                return VGT_OK;
            }
            continue;
        }
        vgt_trace_iov iov = {rec.payload, rec.size};
        if ((st = vgt_trace_writer_appendv(w, rec.type, rec.flags, rec.timestamp_ns, &iov, 1,
                                           err)) != VGT_OK) {
            vgt_error_prefix(err, "%s: record %" PRIu64, t->out, rec.seq);
            return st;
        }
    }
    if (o->first_frame + vgt_trace_writer_frame(w) <= o->last_frame) {
        return vgt_error_set(
            err, VGT_E_TRUNCATED,
            "%s: the trace ends inside frame %" PRIu64 " (frames %" PRIu64 "..%" PRIu64 " asked)",
            t->in, o->first_frame + vgt_trace_writer_frame(w), o->first_frame, o->last_frame);
    }
    return VGT_OK;
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Checks the range against the trace: A..B inside its complete frames (B
 * UINT64_MAX: the last complete one). */
static vgt_status check_range(const trim_run *t, vgt_trace_reader *rd, vgt_trim_options *o,
                              vgt_error *err)
{
    const vgt_trace_header *h = vgt_trace_reader_header(rd);
    vgt_trace_info info;
    vgt_trace_reader_info(rd, &info);
    if (o->last_frame == UINT64_MAX && info.complete_frames > 0) {
        o->last_frame = h->start_frame + info.complete_frames - 1u;
    }
    uint64_t a = o->first_frame, b = o->last_frame;
    if (a < h->start_frame) {
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "%s: frame %" PRIu64 " is before the trace, which starts at guest "
                             "frame %" PRIu64,
                             t->in, a, h->start_frame);
    }
    if (info.complete_frames == 0 || b - h->start_frame >= info.complete_frames) {
        if (info.complete_frames == 0) {
            return vgt_error_set(err, VGT_E_NOTFOUND,
                                 "%s: no frame %" PRIu64 "..%" PRIu64 " in the trace (it holds "
                                 "no complete frame)",
                                 t->in, a, b);
        }
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "%s: no frame %" PRIu64 "..%" PRIu64 " in the trace (complete guest "
                             "frames %" PRIu64 "..%" PRIu64 ")",
                             t->in, a, b, h->start_frame,
                             h->start_frame + info.complete_frames - 1u);
    }
    return VGT_OK;
}

static uint64_t file_size(const char *path)
{
    struct stat s;
    return stat(path, &s) == 0 ? (uint64_t)s.st_size : 0;
}

bool vgt_trim_temp_path(const char *out, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s.trim-%ld", out, (long)getpid());
    return n >= 0 && (size_t)n < size;
}

vgt_status vgt_trim(const char *in, const char *out, const vgt_trim_options *o,
                    vgt_trim_stats *stats, vgt_error *err)
{
    uint64_t t0 = vgt_now_ns();
    vgt_trim_stats local;
    if (!stats) {
        stats = &local;
    }
    memset(stats, 0, sizeof(*stats));
    if (o->last_frame < o->first_frame) {
        return vgt_error_set(err, VGT_E_INVALID, "frames %" PRIu64 "-%" PRIu64 ": B before A",
                             o->first_frame, o->last_frame);
    }
    if (strcmp(in, out) == 0 || same_file(in, out)) {
        return vgt_error_set(err, VGT_E_INVALID, "%s: the output is the input", out);
    }
    vgt_trim_options oo = *o; /* B resolved */
    trim_run t = {.o = &oo, .in = in, .out = out, .st = stats};
    vgt_trace_reader_options ropt;
    vgt_trace_reader_options_init(&ropt);
    ropt.salvage = o->salvage;
    vgt_trace_reader *rd = NULL;
    vgt_status st = vgt_trace_reader_open(in, &ropt, &rd, err);
    if (st != VGT_OK) {
        return st;
    }
    tell_problems(&t, rd, &t.problems_told, false);
    const vgt_trace_header *h = vgt_trace_reader_header(rd);
    if (strcmp(h->protocol_name, VGT_SVGA_TRACE_PROTOCOL_NAME) != 0) {
        st = vgt_error_set(err, VGT_E_FORMAT, "%s: protocol '%s', not an SVGA trace", in,
                           h->protocol_name);
        vgt_trace_reader_close(rd);
        return st;
    }
    if ((st = check_range(&t, rd, &oo, err)) != VGT_OK) {
        vgt_trace_reader_close(rd);
        return st;
    }
    /* a temporary name beside out: out appears only when complete */
    size_t tlen = strlen(out) + 32u;
    char *tmp = malloc(tlen);
    if (!tmp) {
        vgt_trace_reader_close(rd);
        return vgt_error_set(err, VGT_E_NOMEM, "trim: out of memory");
    }
    (void)vgt_trim_temp_path(out, tmp, tlen); /* fits: 32 bytes for ".trim-" and a pid */
    vgt_trace_writer_settings ws;
    writer_settings(h, oo.first_frame, oo.last_frame, &ws);
    vgt_trace_header oh = {
        .protocol_id = h->protocol_id,
        .device_config = h->device_config,
        .device_config_size = h->device_config_size,
        .creator = "vgt " VGT_VERSION " trim",
        .start_time_ns = h->start_time_ns,
    };
    memcpy(oh.protocol_name, h->protocol_name, sizeof(oh.protocol_name));
    vgt_trace_writer *w = NULL;
    bool snapshot = oo.first_frame > h->start_frame;
    if ((st = vgt_trace_writer_open(tmp, &ws, &oh, &w, err)) == VGT_OK &&
        (st = vgt_trace_reader_seek_frame(rd, oo.first_frame - h->start_frame, err)) == VGT_OK) {
        st = copy_frames(&t, rd, w, snapshot, err);
        if (st == VGT_OK && (st = vgt_trace_writer_flush(w, err)) == VGT_OK) {
            vgt_trace_writer_stats wst;
            vgt_trace_writer_stats_get(w, &wst);
            stats->records_out = wst.records;
            stats->frames = wst.frames_ended;
        }
    }
    if (w) {
        vgt_status cst = vgt_trace_writer_close(w, st == VGT_OK ? err : NULL);
        if (st == VGT_OK) {
            st = cst;
        }
    }
    if (st == VGT_OK && rename(tmp, out) != 0) {
        st = vgt_error_set(err, VGT_E_IO, "cannot rename %s to %s: %s", tmp, out, strerror(errno));
    }
    if (st != VGT_OK) {
        unlink(tmp);
        if (st != VGT_E_UNSUPPORTED) {
            unlink(out); /* not a trace of the frames asked: none at all (a
                          * backend this build lacks is a usage error) */
        }
    } else {
        stats->first_frame = oo.first_frame;
        stats->last_frame = oo.last_frame;
        vgt_trace_info ii;
        vgt_trace_reader_info(rd, &ii); /* IN's size, as its reader found it */
        stats->bytes_in = ii.file_size;
        stats->bytes_out = file_size(out);
    }
    free(tmp);
    vgt_trace_reader_close(rd);
    stats->ns = vgt_now_ns() - t0;
    return st;
}
