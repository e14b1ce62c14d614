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
 * moves the cursor shown by the CURSOR_ON before it).
 *
 * --calls A-B cuts by command (the device's seq, as vgt dump prints it):
 * the replay stops before command A (stop_at_command: every record before
 * A's, and the commands before A in its COMMAND_BATCH, applied), possibly
 * mid-frame, and the snapshot is the state there; then the records from
 * A's to B's are copied, the records holding commands on both sides of A
 * or B cut to the part inside (cut_commands, cut_timing), and the records
 * of commands outside dropped (their guest memory reads, errors, fences). */
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
    /* how far the two readers read (vgt_trace_reader_reach, the larger):
     * the chunks skipped are those lost below it */
    uint64_t reach;
    /* every problem of both readers, each once, grown as a reader grows
     * its own: the count of chunks skipped needs them all, though
     * vgt_trim_stats keeps the first VGT_TRIM_PROBLEMS_KEPT for the list
     * (the count from those said fewer chunks skipped than the other
     * verbs of a trace with more damaged chunks) */
    vgt_trace_problem_set all;
    size_t all_lost;      /* problems `all` had no memory to keep */
    size_t reader_lost;   /* the most problems a reader of IN could not record */
    uint64_t stop_record; /* calls: the record holding command A (the replay's stop) */
} trim_run;

/* Keeps the reader's problems not kept yet, for the caller to report
 * after the trim as every verb does (vgt_trim_stats.problems): those found
 * at the open (a damaged header, a torn last chunk, no footer) or while
 * reading.  The replay to A and the copy read IN with two readers, which
 * find the same problems at their open and can meet the same chunk (one
 * holding A-1's end and A's start): each is kept, and each chunk counted
 * (chunks_skipped), once. */
static void keep_problems(trim_run *t, vgt_trace_reader *rd, size_t *told)
{
    uint64_t reach = vgt_trace_reader_reach(rd);
    size_t n = vgt_trace_reader_problem_count(rd);
    /* both readers meet the same problems: the larger count, not the sum */
    size_t lost = vgt_trace_reader_problems_lost(rd);
    t->reader_lost = lost > t->reader_lost ? lost : t->reader_lost;
    t->st->problems_unrecorded = t->reader_lost + t->all_lost;
    if (reach <= t->reach && *told >= n) {
        return; /* nothing new (the common case: called for every record) */
    }
    t->reach = reach > t->reach ? reach : t->reach;
    for (; *told < n; (*told)++) {
        /* NULL for one the reader kept compact (past those it lists): `all`
         * keeps it compact too, its identity the reader's */
        const vgt_trace_problem *p = vgt_trace_reader_problem(rd, *told);
        bool added = false;
        if (vgt_trace_problem_set_add_from(&t->all, vgt_trace_reader_problem_set(rd), *told,
                                           &added) != VGT_OK) {
            /* not recorded for lack of memory, as the reader counts one */
            t->all_lost++;
            t->st->problems_unrecorded = t->reader_lost + t->all_lost;
        } else if (added && (!p || t->st->nproblems == VGT_TRIM_PROBLEMS_KEPT)) {
            t->st->problems_lost++; /* past the ones listed */
        } else if (added) {
            vgt_trace_problem_copy_set(&t->st->problems[t->st->nproblems++], p);
        }
    }
}

/* "N chunks skipped" of the trim so far (salvage): both readers' problems
 * below the farther reach, each chunk once (vgt_trace_chunks_skipped).
 * Counted where it is asked, not for each chunk a reader goes past. */
static uint64_t chunks_skipped(trim_run *t)
{
    if (t->o->salvage) {
        t->st->chunks_skipped = vgt_trace_problem_set_chunks_skipped(&t->all, t->reach);
    }
    return t->st->chunks_skipped;
}

static int replay_frame(void *ctx, const vgt_replay_frame *f)
{
    trim_run *t = ctx;
    t->st->frames_replayed++;
    if (!t->o->calls && f->frame + 1 == t->o->first_frame) {
        t->last_seq = f->last_seq;
        t->reached = true;
    }
    if (t->o->progress) {
        t->o->progress(t->o->ctx, false, f->frame);
    }
    return 0;
}

/* Replays `in` state-only to where the cut starts: the end of frame A-1,
 * or (calls) before command A.  *out is the replayer there (the caller
 * closes it, also after an error). */
static vgt_status replay_to_start(trim_run *t, vgt_replayer **out, vgt_error *err)
{
    const vgt_trim_options *o = t->o;
    vgt_replayer_options ro = {
        .backend = o->backend,
        .salvage = o->salvage,
        .first_frame = 0, /* from the trace's start: every frame reaches replay_frame */
        .last_frame = o->calls ? UINT64_MAX : o->first_frame - 1,
        .compose = false,
        .on_frame = replay_frame,
        .ctx = t,
        .stop_at_command = o->calls,
        .stop_seq = o->first_call,
    };
    *out = NULL;
    vgt_status st = vgt_replayer_open(t->in, &ro, out, err);
    if (st != VGT_OK) {
        return st;
    }
    vgt_replayer *r = *out;
    t->st->backend = vgt_replayer_backend(r);
    vgt_replay_stats rs;
    /* what its open found, the copy's reader's open kept */
    size_t told = vgt_trace_reader_problem_count(vgt_replayer_reader(r));
    st = vgt_replayer_run(r, &rs, err);
    keep_problems(t, vgt_replayer_reader(r), &told);
    /* the record the replay stopped at unconsumed (command A's, or A's
     * first readable one when A-1's end was skipped) is the first the
     * copy reads: counted there, once (the summary said 10001 records read
     * of a trace of 10000 readable ones) */
    bool held = rs.records > 0 && (rs.stopped_at_command || rs.ended_at_next_frame);
    t->st->records_in += rs.records - (held ? 1u : 0u);
    t->st->commands_replayed = rs.commands;
    if (st != VGT_OK) {
        if (o->calls) {
            vgt_error_prefix(err, "%s: replay to command %" PRIu64, t->in, o->first_call);
        } else {
            vgt_error_prefix(err, "%s: replay to frame %" PRIu64, t->in, o->first_frame);
        }
        return st;
    }
    if (o->calls && !rs.stopped_at_command) {
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "%s: no command %" PRIu64 " in the trace (its last command is %" PRIu64
                             ")",
                             t->in, o->first_call, rs.last_seq);
    }
    if (!o->calls && !t->reached && rs.ended_at_next_frame && chunks_skipped(t) > 0) {
        /* A-1 ends where A begins (docs/cli.md): the state there holds
         * every readable record before A, and the next command is the one
         * after the last that ran */
        t->last_seq = rs.last_seq;
        t->reached = true;
        if (o->log) {
            fprintf(o->log,
                    "vgt trim: %s: the state at frame %" PRIu64 " was taken after damaged frames "
                    "(frame %" PRIu64 "'s end was in a skipped chunk): at frame %" PRIu64
                    "'s first readable record\n",
                    t->in, o->first_frame, o->first_frame - 1u, o->first_frame);
        }
    }
    if (!o->calls && !t->reached) {
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "%s: the replay ended before frame %" PRIu64 "'s end (damaged or "
                             "missing frames before it): no state to start frame %" PRIu64 " from",
                             t->in, o->first_frame - 1, o->first_frame);
    }
    t->stop_record = rs.stop_record;
    return VGT_OK;
}

/* Appends the state r reached to w as a SNAPSHOT record: the state at guest
 * frame `frame` before command next_seq, stamped ts. */
static vgt_status write_snapshot(trim_run *t, vgt_replayer *r, vgt_trace_writer *w, uint64_t frame,
                                 uint64_t next_seq, uint64_t ts, vgt_error *err)
{
    vgt_executor *ex = vgt_replayer_executor(r);
    vgt_snapshot_reg regs[VGT_REPLAYER_REGS];
    size_t nregs = vgt_replayer_registers(r, regs, VGT_REPLAYER_REGS);
    uint32_t fence;
    bool fence_seen = vgt_replayer_last_fence(r, &fence);
    vgt_status st = vgt_snapshot_append(
        w, ex, frame, next_seq, ts, regs, nregs, fence_seen ? &fence : NULL,
        t->o->calls ? "trim from an earlier or later command, where the state is smaller"
                    : "trim from an earlier or later frame, where the state is smaller",
        &t->st->snapshot_3d, &t->st->snapshot_bytes, err);
    if (st != VGT_OK) {
        vgt_error_prefix(err, "%s: snapshot", t->out);
        return st;
    }
    t->st->snapshot = true;
    vgt_snapshot_report(t->o->log, "vgt trim", t->out, frame, ex, &t->st->snapshot_3d);
    return VGT_OK;
}

/* Replays `in` to the end of frame A-1 and appends the state there to w as
 * a SNAPSHOT record stamped ts. */
static vgt_status write_state_at(trim_run *t, vgt_trace_writer *w, uint64_t ts, vgt_error *err)
{
    vgt_replayer *r = NULL;
    vgt_status st = replay_to_start(t, &r, err);
    if (st == VGT_OK) {
        st = write_snapshot(t, r, w, t->o->first_frame, t->last_seq + 1u, ts, err);
    }
    vgt_replayer_close(r);
    return st;
}

/* The writer's settings: the options' level and chunk size when set, else
 * the input header's (where they are valid: a capture's fast negative
 * levels and 20..22 included), and its dedup threshold. */
static void writer_settings(const vgt_trace_header *h, const vgt_trim_options *o, uint64_t first,
                            uint64_t frame_limit, vgt_trace_writer_settings *ws)
{
    vgt_trace_writer_settings_init(ws);
    if (o->set_compression_level) {
        ws->compression_level = o->compression_level;
    } else if (vgt_trace_compression_level_valid(h->compression_level)) {
        ws->compression_level = h->compression_level;
    }
    if (o->chunk_size) {
        ws->chunk_size = o->chunk_size;
    } else if (h->chunk_size >= VGT_TRACE_MIN_CHUNK_SIZE &&
               h->chunk_size <= VGT_TRACE_MAX_CHUNK_SIZE) {
        ws->chunk_size = h->chunk_size;
    }
    ws->dedup_min_size = h->dedup_min_size;
    ws->start_frame = first;
    ws->frame_limit = frame_limit;
}

/* The next record of rd (VGT_E_END after the last), its reader's problems
 * reported and the record counted. */
static vgt_status next_record(trim_run *t, vgt_trace_reader *rd, vgt_trace_record *rec,
                              vgt_error *err)
{
    vgt_status st = vgt_trace_reader_next(rd, rec, err);
    keep_problems(t, rd, &t->problems_told);
    if (st == VGT_OK) {
        t->st->records_in++;
    }
    return st;
}

/* Appends rec to w as it is. */
static vgt_status copy_record(vgt_trace_writer *w, const vgt_trace_record *rec, vgt_error *err)
{
    vgt_trace_iov iov = {rec->payload, rec->size};
    return vgt_trace_writer_appendv(w, rec->type, rec->flags, rec->timestamp_ns, &iov, 1, err);
}

/* Ends the frames whose FRAME_END a skipped chunk held (salvage), so that
 * a record of guest frame `guest` keeps its frame in w (which starts at
 * guest frame `start`). */
static vgt_status catch_up_frames(vgt_trace_writer *w, uint64_t start, uint64_t guest, uint64_t ts,
                                  vgt_error *err)
{
    while (start + vgt_trace_writer_frame(w) < guest) {
        vgt_status st = vgt_trace_writer_frame_end(w, ts, err);
        if (st != VGT_OK) {
            return st;
        }
    }
    return VGT_OK;
}

/* Salvage: whether rec, the first record read of its frame, is not the
 * frame's first (the frame index says which is): a skipped chunk held the
 * records before it.  A frame the index lost to a gap counts as lost.  A
 * frame of which only its FRAME_END is left does not count: the chunk took
 * its FRAME_HASH too (the hash comes right before the end), and no hash is
 * copied to fail. */
static bool frame_start_lost(vgt_trace_reader *rd, const vgt_trace_record *rec)
{
    vgt_trace_frame_info fi;
    if (rec->type == VGT_REC_FRAME_END) {
        return false;
    }
    return !vgt_trace_reader_frame(rd, rec->frame, &fi) || fi.first_record == UINT64_MAX ||
           rec->seq > fi.first_record;
}

/* Salvage: whether the frame the copy is in lost records to a skipped
 * chunk, followed record by record (hash_of_lost_frame). */
typedef struct frame_loss {
    bool started;   /* a record seen */
    uint64_t frame; /* the last record's frame (IN's numbering) and number */
    uint64_t seq;
    bool lost; /* its frame lost records before it */
} frame_loss;

/* Takes rec, the next record the copy read, and says whether it is the
 * FRAME_HASH of a frame that lost records to a skipped chunk: its first
 * ones (frame_start_lost) or some after them (the record number jumped).
 * Its hash is of a picture the records left do not draw: a trim that
 * copied it failed its own --verify there.  The first record seen is where
 * the copy begins on purpose (frame A's first, whose loss moves A, or
 * command A's, mid-frame): no loss. */
static bool hash_of_lost_frame(frame_loss *fl, vgt_trace_reader *rd, const vgt_trace_record *rec)
{
    if (!fl->started) {
        fl->started = true;
        fl->lost = false;
    } else if (rec->frame != fl->frame) {
        fl->lost = frame_start_lost(rd, rec);
    } else if (rec->seq != fl->seq + 1u) {
        fl->lost = true;
    }
    fl->frame = rec->frame;
    fl->seq = rec->seq;
    return fl->lost && rec->type == VGT_REC_FRAME_HASH;
}

/* Salvage, a cut by command from record `from` (command A's, mid-frame):
 * *loss is set to follow A's frame from there, lost when a skipped chunk
 * held any of the frame's records before A (the replay to A went past
 * them; the copy, which begins at A, would see no loss and keep the
 * frame's captured hash, which the records left do not draw).  rd reads
 * the frame's records from its first, as the frame index gives it, up to
 * A's (not counted as read: the replay counted them), and is left
 * anywhere: the caller seeks it to `from`. */
static vgt_status calls_frame_loss(trim_run *t, vgt_trace_reader *rd, uint64_t from,
                                   frame_loss *loss, vgt_error *err)
{
    vgt_trace_record rec;
    vgt_status st = vgt_trace_reader_seek_record(rd, from, err);
    if (st == VGT_OK) {
        st = vgt_trace_reader_next(rd, &rec, err);
    }
    if (st != VGT_OK) {
        return st;
    }
    *loss = (frame_loss){.started = true, .frame = rec.frame, .seq = from - 1u};
    vgt_trace_frame_info fi;
    if (!vgt_trace_reader_frame(rd, rec.frame, &fi) || fi.first_record == UINT64_MAX) {
        loss->lost = true; /* the frame's start was lost to a gap */
        return VGT_OK;
    }
    if (fi.first_record >= from) {
        return VGT_OK; /* A's record is the frame's first: nothing before it */
    }
    if ((st = vgt_trace_reader_seek_record(rd, fi.first_record, err)) != VGT_OK) {
        return st;
    }
    /* every record number from the frame's first to A's, or a skipped
     * chunk took some (the read jumps past it) */
    for (uint64_t want = fi.first_record; want < from; want++) {
        if ((st = vgt_trace_reader_next(rd, &rec, err)) != VGT_OK) {
            return st;
        }
        keep_problems(t, rd, &t->problems_told);
        if (rec.seq != want) {
            loss->lost = true;
            break;
        }
    }
    return VGT_OK;
}

/* Counts the FRAME_HASH of guest frame `guest` left out of OUT. */
static void drop_hash(trim_run *t, uint64_t guest)
{
    vgt_trim_stats *st = t->st;
    if (st->hashes_dropped++ == 0) {
        st->first_hash_dropped = guest;
    }
    st->last_hash_dropped = guest;
}

/* Says on the log which frames' captured hashes the trim left out. */
static void say_hashes_dropped(const trim_run *t)
{
    const vgt_trim_stats *st = t->st;
    if (!t->o->log || st->hashes_dropped == 0) {
        return;
    }
    if (st->hashes_dropped == 1) {
        fprintf(t->o->log,
                "vgt trim: %s: frame %" PRIu64 " lost records to a skipped chunk: its captured "
                "frame hash is left out of %s (it would not verify what is left of the frame)\n",
                t->in, st->first_hash_dropped, t->out);
        return;
    }
    fprintf(t->o->log,
            "vgt trim: %s: %" PRIu64 " frames of %" PRIu64 "..%" PRIu64 " lost records to skipped "
            "chunks: their captured frame hashes are left out of %s (they would not verify what "
            "is left of the frames)\n",
            t->in, st->hashes_dropped, st->first_hash_dropped, st->last_hash_dropped, t->out);
}

/* The first frame the copy reads, F (guest; A..B), lost its first records
 * to a skipped chunk: its captured FRAME_HASH is of a picture the records
 * left do not draw, and a trim holding it would fail its own --verify
 * there.  The trim starts at F+1 instead (*restart), from the state after
 * what was readable of F, and says so; with F = B no frame is left to trim. */
static vgt_status start_after_lost(trim_run *t, uint64_t f, uint64_t *restart, vgt_error *err)
{
    const vgt_trim_options *o = t->o;
    char frames[64];
    if (f == o->first_frame) {
        snprintf(frames, sizeof(frames), "frame %" PRIu64 " lost its", f);
    } else {
        snprintf(frames, sizeof(frames), "frames %" PRIu64 "..%" PRIu64 " lost their",
                 o->first_frame, f);
    }
    if (f >= o->last_frame) {
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "%s: no frame of %" PRIu64 "..%" PRIu64 " to trim: %s first records "
                             "to a skipped chunk, and frame %" PRIu64 "'s captured frame hash "
                             "would not verify what is left of it",
                             t->in, o->first_frame, o->last_frame, frames, f);
    }
    if (o->log) {
        fprintf(o->log,
                "vgt trim: %s: %s first records to a skipped chunk, and frame %" PRIu64 "'s "
                "captured frame hash would not verify what is left of it: the trim starts at "
                "frame %" PRIu64 "\n",
                t->in, frames, f, f + 1u);
    }
    *restart = f + 1u;
    return VGT_OK;
}

/* The refusal of a trim none of whose frames A..B left a readable record:
 * skipped chunks held them all (before any frame after B, or up to the
 * end of the trace), with the count every verb gives. */
static vgt_status nothing_readable(trim_run *t, vgt_error *err)
{
    uint64_t n = chunks_skipped(t);
    return vgt_error_set(err, VGT_E_NOTFOUND,
                         "%s: no record of frames %" PRIu64 "..%" PRIu64
                         " was readable: skipped chunks held them all (%" PRIu64
                         " damaged chunk%s skipped)",
                         t->in, t->o->first_frame, t->o->last_frame, n, vgt_plural(n));
}

/* Copies the records of frames A..B from rd (positioned at A's first) to w,
 * the snapshot (when A is after the trace's start) before the first.  When
 * the first frame read lost its first records (salvage), nothing is copied
 * and *restart is the frame to start from instead (0: copied). */
static vgt_status copy_frames(trim_run *t, vgt_trace_reader *rd, vgt_trace_writer *w, bool snapshot,
                              uint64_t *restart, vgt_error *err)
{
    const vgt_trim_options *o = t->o;
    uint64_t start = vgt_trace_reader_header(rd)->start_frame;
    bool first = true;
    frame_loss loss = {0};
    *restart = 0;
    t->st->hashes_dropped = 0; /* a cut made again after a restart counts anew */
    for (;;) {
        vgt_trace_record rec;
        vgt_status st = next_record(t, rd, &rec, err);
        if (st == VGT_E_END) {
            break;
        }
        if (st != VGT_OK) {
            return st;
        }
        uint64_t guest = start + rec.frame;
        /* keep_tail: the partial frame after B (B < UINT64_MAX here) */
        bool tail = o->keep_tail && !first && guest == o->last_frame + 1u;
        if (guest > o->last_frame && !first && !tail) {
            /* B's FRAME_END was in a skipped chunk: B ends where the next
             * frame begins, as the frames before B do (it said "the trace
             * ends inside frame B", though B+1's records were there) */
            return catch_up_frames(w, o->first_frame, o->last_frame + 1u, rec.timestamp_ns, err);
        }
        if (guest > o->last_frame && !tail) {
            if (chunks_skipped(t) > 0) {
                /* (it said "the trace ends inside frame A", of a trace
                 * whose frames after B were there) */
                return nothing_readable(t, err);
            }
            break; /* nothing of A..B was readable */
        }
        if (guest < o->first_frame) {
            continue; /* cannot happen after the seek; never copied */
        }
        if (first && o->salvage && frame_start_lost(rd, &rec)) {
            return start_after_lost(t, guest, restart, err);
        }
        if (first && snapshot) {
            /* the payload is the reader's until its next call, and the
             * snapshot's replay uses a reader of its own */
            if ((st = write_state_at(t, w, rec.timestamp_ns, err)) != VGT_OK) {
                return st;
            }
        }
        first = false;
        if ((st = catch_up_frames(w, o->first_frame, guest, rec.timestamp_ns, err)) != VGT_OK) {
            return st;
        }
        if (o->salvage && hash_of_lost_frame(&loss, rd, &rec)) {
            drop_hash(t, guest);
            continue;
        }
        if (rec.type == VGT_REC_FRAME_END) {
            if ((st = vgt_trace_writer_frame_end(w, rec.timestamp_ns, err)) != VGT_OK) {
                return st;
            }
            if (o->progress) {
                o->progress(o->ctx, true, guest);
            }
            if (guest == o->last_frame && !o->keep_tail) {
                return VGT_OK;
            }
            continue;
        }
        if ((st = copy_record(w, &rec, err)) != VGT_OK) {
            vgt_error_prefix(err, "%s: record %" PRIu64, t->out, rec.seq);
            return st;
        }
    }
    if (first && chunks_skipped(t) > 0) {
        /* the read ended before any record of A..B: every chunk from A's
         * on was skipped (it said "the trace ends inside frame A") */
        return nothing_readable(t, err);
    }
    if (o->first_frame + vgt_trace_writer_frame(w) <= o->last_frame) {
        return vgt_error_set(
            err, VGT_E_TRUNCATED,
            "%s: the trace ends inside frame %" PRIu64 " (frames %" PRIu64 "..%" PRIu64 " asked)",
            t->in, o->first_frame + vgt_trace_writer_frame(w), o->first_frame, o->last_frame);
    }
    return VGT_OK;
}

/* whole: copies every record of rd to w as it is, FRAME_ENDs as frame ends
 * (a frame whose FRAME_END a skipped chunk held is ended before the next
 * frame's records, so every record keeps its frame), and the records after
 * the last FRAME_END too. */
static vgt_status copy_all(trim_run *t, vgt_trace_reader *rd, vgt_trace_writer *w, vgt_error *err)
{
    for (;;) {
        vgt_trace_record rec;
        vgt_status st = next_record(t, rd, &rec, err);
        if (st == VGT_E_END) {
            return VGT_OK;
        }
        if (st != VGT_OK) {
            return st;
        }
        if ((st = catch_up_frames(w, 0, rec.frame, rec.timestamp_ns, err)) != VGT_OK) {
            return st;
        }
        if (rec.type == VGT_REC_FRAME_END) {
            st = vgt_trace_writer_frame_end(w, rec.timestamp_ns, err);
            if (st == VGT_OK && t->o->progress) {
                t->o->progress(t->o->ctx, true,
                               vgt_trace_reader_header(rd)->start_frame + rec.frame);
            }
        } else if ((st = copy_record(w, &rec, err)) != VGT_OK) {
            vgt_error_prefix(err, "%s: record %" PRIu64, t->out, rec.seq);
        }
        if (st != VGT_OK) {
            return st;
        }
    }
}

/* ---- the cut by command ----------------------------------------------------------- */

/* The writer of OUT (under tmp), its header IN's with start frame `start`. */
static vgt_status open_out(const trim_run *t, const vgt_trace_header *h, const char *tmp,
                           uint64_t start, uint64_t frame_limit, vgt_trace_writer **w,
                           vgt_error *err)
{
    vgt_trace_writer_settings ws;
    writer_settings(h, t->o, start, frame_limit, &ws);
    t->st->compression_level = ws.compression_level;
    t->st->chunk_size = ws.chunk_size;
    vgt_trace_header oh = {
        .protocol_id = h->protocol_id,
        .device_config = h->device_config,
        .device_config_size = h->device_config_size,
        .creator = t->o->whole ? "vgt " VGT_VERSION " repack" : "vgt " VGT_VERSION " trim",
        .start_time_ns = h->start_time_ns,
    };
    memcpy(oh.protocol_name, h->protocol_name, sizeof(oh.protocol_name));
    return vgt_trace_writer_open(tmp, &ws, &oh, w, err);
}

static bool same_words(const vgt_trace_command *x, const vgt_trace_command *y)
{
    return x->nwords == y->nwords &&
           (x->words == y->words || memcmp(x->words, y->words, (size_t)x->nwords * 4u) == 0);
}

/* Appends the commands lo..hi of rec (parsed as cmds; first_seq <= lo <=
 * hi <= its last) to w: rec as it is when they are all of it, else a
 * COMMAND_BATCH of those alone, each command's words, FIFO offset and
 * fetch time as in rec (the first one's words stored even when rec held it
 * as a repeat of a command before lo). */
static vgt_status cut_commands(vgt_trace_writer *w, const vgt_trace_record *rec,
                               const vgt_trace_commands *cmds, uint64_t lo, uint64_t hi,
                               vgt_error *err)
{
    uint64_t last = cmds->first_seq + (cmds->count - 1u); /* checked by the parse */
    if (lo == cmds->first_seq && hi == last) {
        return copy_record(w, rec, err);
    }
    /* a batch (one COMMAND is all or nothing): sizes first */
    uint32_t n = (uint32_t)(hi - lo + 1u); /* <= count */
    size_t words = 0;
    uint64_t ts = 0;
    bool ts_ok = true; /* every fetch - the first's fits a column entry */
    vgt_trace_commands it = *cmds;
    vgt_trace_command c, prev = {0};
    bool have_prev = false;
    while (vgt_trace_commands_next(&it, &c) && c.seq <= hi) {
        if (c.seq < lo) {
            continue;
        }
        if (!have_prev) {
            ts = c.fetch_ns;
        } else if (c.fetch_ns < ts || c.fetch_ns - ts > UINT32_MAX) {
            ts_ok = false;
        }
        if (!have_prev || !same_words(&prev, &c)) {
            words += (size_t)c.nwords * 4u; /* <= rec's words + one command's: < 2 GiB */
        }
        prev = c;
        have_prev = true;
    }
    if (!ts_ok) {
        ts = rec->timestamp_ns; /* a hostile order of fetch times: IN's columns as they are */
    }
    size_t size = VGT_TRACE_BATCH_PREFIX + (size_t)n * 12u + words;
    if (size > VGT_TRACE_MAX_PAYLOAD) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "record %" PRIu64 ": commands %" PRIu64 "..%" PRIu64
                             " of it take more than a record may hold",
                             rec->seq, lo, hi);
    }
    uint8_t *p = malloc(size);
    if (!p) {
        return vgt_error_set(err, VGT_E_NOMEM, "trim: out of memory for a %zu-byte batch", size);
    }
    vgt_store_le64(p, lo);
    vgt_store_le32(p + 8, n);
    vgt_store_le32(p + 12, 0);
    uint8_t *col = p + VGT_TRACE_BATCH_PREFIX, *wp = col + (size_t)n * 12u;
    uint32_t i = 0;
    it = *cmds;
    have_prev = false;
    while (vgt_trace_commands_next(&it, &c) && c.seq <= hi) {
        if (c.seq < lo) {
            continue;
        }
        bool repeat = have_prev && same_words(&prev, &c);
        vgt_store_le32(col + (size_t)i * 4u, c.nwords | (repeat ? VGT_TRACE_BATCH_REPEAT : 0u));
        vgt_store_le32(col + (size_t)(n + i) * 4u, c.fifo_offset);
        vgt_store_le32(col + (size_t)(2u * n + i) * 4u, (uint32_t)(c.fetch_ns - ts));
        if (!repeat) {
            memcpy(wp, c.words, (size_t)c.nwords * 4u);
            wp += (size_t)c.nwords * 4u;
        }
        prev = c;
        have_prev = true;
        i++;
    }
    vgt_trace_iov iov = {p, size};
    vgt_status st =
        vgt_trace_writer_appendv(w, VGT_REC_COMMAND_BATCH, rec->flags, ts, &iov, 1, err);
    free(p);
    return st;
}

/* Appends rec, a TIMING record, cut to its entries of commands a..b
 * (nothing when it has none). */
static vgt_status cut_timing(vgt_trace_writer *w, const vgt_trace_record *rec, uint64_t a,
                             uint64_t b, vgt_error *err)
{
    vgt_trace_timing tm;
    vgt_status st = vgt_trace_timing_parse(rec, &tm, err);
    if (st != VGT_OK) {
        return st;
    }
    if (tm.count == 0 || tm.first_seq > UINT64_MAX - (tm.count - 1u)) {
        return VGT_OK; /* no entry, or seqs past any command's */
    }
    uint64_t last = tm.first_seq + (tm.count - 1u);
    uint64_t lo = tm.first_seq > a ? tm.first_seq : a, hi = last < b ? last : b;
    if (lo > hi) {
        return VGT_OK;
    }
    if (lo == tm.first_seq && hi == last) {
        return copy_record(w, rec, err);
    }
    uint8_t pre[VGT_TRACE_TIMING_PREFIX];
    vgt_store_le64(pre, lo);
    vgt_store_le32(pre + 8, (uint32_t)(hi - lo + 1u));
    vgt_store_le32(pre + 12, 0);
    vgt_trace_iov iov[2] = {
        {pre, sizeof(pre)},
        {tm.entries + (size_t)(lo - tm.first_seq) * 8u, (size_t)(hi - lo + 1u) * 8u}};
    return vgt_trace_writer_appendv(w, rec->type, rec->flags, rec->timestamp_ns, iov, 2, err);
}

/* Whether rec (not a command, not TIMING) is about a command outside a..b:
 * a guest memory read's descriptor, an error, a fence.  A malformed one is
 * an error: which command it is about decides whether it is copied. */
static vgt_status outside(const vgt_trace_record *rec, uint64_t a, uint64_t b, bool *out,
                          vgt_error *err)
{
    uint64_t seq;
    vgt_status st = VGT_OK;
    *out = false;
    if (rec->type == VGT_REC_DMA_DATA && !(rec->flags & VGT_TRACE_DMA_F_BYTES)) {
        vgt_trace_dma d;
        st = vgt_trace_dma_parse(rec, &d, err);
        seq = d.seq;
    } else if (rec->type == VGT_REC_ERROR) {
        vgt_trace_error e;
        st = vgt_trace_error_parse(rec, &e, err);
        seq = e.seq;
        if (st == VGT_OK && seq == UINT64_MAX) {
            return VGT_OK; /* not about a command */
        }
    } else if (rec->type == VGT_REC_FENCE) {
        vgt_trace_fence f;
        st = vgt_trace_fence_parse(rec, &f, err);
        seq = f.seq;
    } else {
        return VGT_OK;
    }
    if (st == VGT_OK) {
        *out = seq < a || seq > b;
    }
    return st;
}

/* Where the copy of commands A..B stands. */
typedef struct call_cut {
    uint64_t start;       /* OUT's first guest frame */
    bool b_done;          /* B written, the last of its record: its frame may end next */
    bool past_b;          /* past B (a command after it, or its frame's end): only the
                           * TIMING entries of commands up to B still wanted, ... */
    uint64_t drain_frame; /* ... which the device writes by the end of the frame after
                           * this one at the latest (the command running at a frame end
                           * is timed in the next frame's flush) */
    bool end_pending;     /* B ended its frame: FRAME_END written after those timings */
    uint64_t end_ns;
    bool drop_bytes; /* the DMA bytes that may follow belong to a dropped descriptor */
    bool open_frame; /* records written after OUT's last FRAME_END */
} call_cut;

/* Copies the records of commands A..B from rd (at the record of command A,
 * or at IN's first record when A is IN's first command) to *w, opened at
 * the first record; *r (when not NULL: the replay stopped before A) gives
 * the snapshot written before the first command, and is closed then.
 * loss: A's frame so far (calls_frame_loss; zero: the copy's first record
 * begins it). */
static vgt_status copy_calls(trim_run *t, vgt_trace_reader *rd, const char *tmp, vgt_replayer **r,
                             frame_loss loss, vgt_trace_writer **wp, vgt_error *err)
{
    const vgt_trim_options *o = t->o;
    const vgt_trace_header *h = vgt_trace_reader_header(rd);
    uint64_t a = o->first_call, b = o->last_call;
    call_cut c = {0};
    vgt_status st;
    for (;;) {
        vgt_trace_record rec;
        if ((st = next_record(t, rd, &rec, err)) == VGT_E_END) {
            break;
        }
        if (st != VGT_OK) {
            return st;
        }
        uint64_t guest = h->start_frame + rec.frame;
        bool drop_bytes = c.drop_bytes;
        c.drop_bytes = false;
        bool lost_hash = o->salvage && hash_of_lost_frame(&loss, rd, &rec);
        if (c.past_b) {
            if (guest > c.drain_frame &&
                (guest - c.drain_frame > 1u || rec.type == VGT_REC_FRAME_END)) {
                break;
            }
            if (rec.type == VGT_REC_TIMING && (st = cut_timing(*wp, &rec, a, b, err)) != VGT_OK) {
                return st;
            }
            continue;
        }
        if (!*wp) {
            c.start = guest;
            if ((st = open_out(t, h, tmp, guest, 0, wp, err)) != VGT_OK) {
                return st;
            }
        }
        vgt_trace_writer *w = *wp;
        if ((st = catch_up_frames(w, c.start, guest, rec.timestamp_ns, err)) != VGT_OK) {
            return st;
        }
        if (*r && !vgt_trace_is_commands(rec.type)) {
            return vgt_error_set(err, VGT_E_STATE,
                                 "%s: record %" PRIu64 ", where the replay stopped before command "
                                 "%" PRIu64 ", holds no command",
                                 t->in, rec.seq, a);
        }
        if (vgt_trace_is_commands(rec.type)) {
            vgt_trace_commands cmds;
            if ((st = vgt_trace_commands_parse(&rec, &cmds, err)) != VGT_OK) {
                vgt_error_prefix(err, "%s", t->in);
                return st;
            }
            uint64_t first = cmds.first_seq, last = first + (cmds.count - 1u);
            if (first > b) {
                c.past_b = true; /* B's frame goes on without it */
                c.drain_frame = guest;
                continue;
            }
            if (last < a) {
                continue;
            }
            uint64_t lo = first > a ? first : a, hi = last < b ? last : b;
            if (*r) {
                /* the state before lo, mid-frame: what the rest of the frame starts from */
                st = write_snapshot(t, *r, w, guest, lo, rec.timestamp_ns, err);
                vgt_replayer_close(*r);
                *r = NULL;
                if (st != VGT_OK) {
                    return st;
                }
            }
            if ((st = cut_commands(w, &rec, &cmds, lo, hi, err)) != VGT_OK) {
                vgt_error_prefix(err, "%s", t->out);
                return st;
            }
            if (t->st->calls == 0) {
                t->st->first_call = lo;
            }
            t->st->last_call = hi;
            t->st->calls += hi - lo + 1u;
            c.open_frame = true;
            c.past_b = last > b;
            c.drain_frame = guest;
            c.b_done = last == b;
            continue;
        }
        if (rec.type == VGT_REC_FRAME_END && c.b_done) {
            c.end_pending = true; /* B was its frame's last command */
            c.end_ns = rec.timestamp_ns;
            c.past_b = true;
            c.drain_frame = guest;
            continue;
        }
        if (rec.type == VGT_REC_FRAME_END) {
            if ((st = vgt_trace_writer_frame_end(w, rec.timestamp_ns, err)) != VGT_OK) {
                return st;
            }
            c.open_frame = false;
            if (o->progress) {
                o->progress(o->ctx, true, guest);
            }
            continue;
        }
        if (rec.type == VGT_REC_TIMING) {
            if ((st = cut_timing(w, &rec, a, b, err)) != VGT_OK) {
                return st;
            }
            continue;
        }
        if (lost_hash) {
            drop_hash(t, guest);
            continue;
        }
        bool out;
        if ((st = outside(&rec, a, b, &out, err)) != VGT_OK) {
            vgt_error_prefix(err, "%s", t->in);
            return st;
        }
        if (out ||
            (drop_bytes && rec.type == VGT_REC_DMA_DATA && (rec.flags & VGT_TRACE_DMA_F_BYTES))) {
            c.drop_bytes = out && (rec.flags & VGT_TRACE_DMA_F_DESC) &&
                           rec.type == VGT_REC_DMA_DATA; /* its bytes follow */
            continue;
        }
        if ((st = copy_record(w, &rec, err)) != VGT_OK) {
            vgt_error_prefix(err, "%s: record %" PRIu64, t->out, rec.seq);
            return st;
        }
        c.open_frame = true;
    }
    if (t->st->calls == 0) {
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "%s: no command %" PRIu64 "..%" PRIu64 " in the trace", t->in, a, b);
    }
    if (!c.past_b && !c.b_done && b != UINT64_MAX) {
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "%s: no command %" PRIu64 " in the trace (its last command is %" PRIu64
                             "; commands %" PRIu64 "..%" PRIu64 " asked)",
                             t->in, b, t->st->last_call, a, b);
    }
    if (c.end_pending) {
        if ((st = vgt_trace_writer_frame_end(*wp, c.end_ns, err)) != VGT_OK) {
            return st;
        }
        c.open_frame = false;
    }
    uint64_t frames = vgt_trace_writer_frame(*wp);
    t->st->first_frame = c.start;
    t->st->last_frame = c.start + frames - (c.open_frame || frames == 0 ? 0u : 1u);
    t->st->partial_last = c.open_frame;
    return VGT_OK;
}

/* The seq of IN's first command (rd read from its start, left anywhere). */
static vgt_status first_command(trim_run *t, vgt_trace_reader *rd, uint64_t *seq, vgt_error *err)
{
    for (;;) {
        vgt_trace_record rec;
        vgt_status st = next_record(t, rd, &rec, err);
        if (st == VGT_E_END) {
            return vgt_error_set(err, VGT_E_NOTFOUND, "%s: the trace holds no command", t->in);
        }
        if (st != VGT_OK) {
            return st;
        }
        if (vgt_trace_is_commands(rec.type)) {
            vgt_trace_commands cmds;
            if ((st = vgt_trace_commands_parse(&rec, &cmds, err)) != VGT_OK) {
                vgt_error_prefix(err, "%s", t->in);
                return st;
            }
            *seq = cmds.first_seq;
            return VGT_OK;
        }
    }
}

/* The cut of commands A..B into *w (opened at its first record, under tmp). */
static vgt_status cut_calls(trim_run *t, vgt_trace_reader *rd, const char *tmp,
                            vgt_trace_writer **w, vgt_error *err)
{
    uint64_t first = 0;
    uint64_t counted = t->st->records_in;
    vgt_status st = first_command(t, rd, &first, err);
    if (st != VGT_OK) {
        return st;
    }
    /* the records it read are read again, by the replay to A or (A the
     * first command) by the copy from record 0: counted there */
    t->st->records_in = counted;
    if (t->o->first_call < first) {
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "%s: command %" PRIu64 " is before the trace, which starts at "
                             "command %" PRIu64,
                             t->in, t->o->first_call, first);
    }
    vgt_replayer *r = NULL;
    uint64_t from = 0; /* A is IN's first command: IN from its start, its own snapshot included */
    frame_loss loss = {0};
    if (t->o->first_call > first) {
        if ((st = replay_to_start(t, &r, err)) != VGT_OK) {
            vgt_replayer_close(r);
            return st;
        }
        from = t->stop_record;
        if (t->o->salvage && (st = calls_frame_loss(t, rd, from, &loss, err)) != VGT_OK) {
            vgt_replayer_close(r);
            return st;
        }
    }
    if ((st = vgt_trace_reader_seek_record(rd, from, err)) == VGT_OK) {
        st = copy_calls(t, rd, tmp, &r, loss, w, err);
    }
    vgt_replayer_close(r);
    return st;
}

/* The cut of frames A..B into *w (opened under tmp).  A first frame that
 * lost its first records moves A past it (copy_frames' restart): the
 * writer begun for the old A is discarded and the cut made again, so OUT's
 * header starts at the new A. */
static vgt_status cut_frames(trim_run *t, vgt_trace_reader *rd, vgt_trim_options *oo,
                             const char *tmp, vgt_trace_writer **w, vgt_error *err)
{
    const vgt_trace_header *h = vgt_trace_reader_header(rd);
    for (;;) {
        uint64_t restart = 0;
        uint64_t counted = t->st->records_in;
        vgt_status st =
            open_out(t, h, tmp, oo->first_frame, oo->last_frame - oo->first_frame + 1u, w, err);
        if (st == VGT_OK) {
            st = vgt_trace_reader_seek_frame(rd, oo->first_frame - h->start_frame, err);
        }
        if (st == VGT_OK) {
            st = copy_frames(t, rd, *w, oo->first_frame > h->start_frame, &restart, err);
        }
        if (st != VGT_OK || restart == 0) {
            return st;
        }
        /* nothing copied: the cut of the old A, whose file the next
         * open_out replaces */
        (void)vgt_trace_writer_close(*w, NULL);
        *w = NULL;
        oo->first_frame = restart; /* > A, <= B: the loop ends */
        /* the record it read (F's first readable one) the replay to the
         * new A reads again: counted there */
        t->st->records_in = counted;
    }
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
    /* A- with A past the last complete frame: B resolved to before A (it
     * wrote an empty trace, "guest frames 30..29, 0 frames", and exit 0) */
    if (a > b) {
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "%s: no frame %" PRIu64 " in the trace (complete guest frames %" PRIu64
                             "..%" PRIu64 ")",
                             t->in, a, h->start_frame, h->start_frame + info.complete_frames - 1u);
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

/* A trim that fails before writing: IN's reader closed and an OUT from
 * before removed, as after a failed copy (no trace of other frames left
 * under the name asked for; a range outside IN left it, --calls did not). */
static vgt_status refuse(trim_run *t, vgt_trace_reader *rd, vgt_status st)
{
    vgt_trace_reader_close(rd);
    vgt_trace_problem_set_free(&t->all);
    unlink(t->out);
    return st;
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
    if (!o->whole && o->calls && o->last_call < o->first_call) {
        return vgt_error_set(err, VGT_E_INVALID, "commands %" PRIu64 "-%" PRIu64 ": B before A",
                             o->first_call, o->last_call);
    }
    if (!o->whole && !o->calls && o->last_frame < o->first_frame) {
        return vgt_error_set(err, VGT_E_INVALID, "frames %" PRIu64 "-%" PRIu64 ": B before A",
                             o->first_frame, o->last_frame);
    }
    if (o->set_compression_level && !vgt_trace_compression_level_valid(o->compression_level)) {
        return vgt_error_set(err, VGT_E_INVALID, "compression level %d: not a zstd level",
                             o->compression_level);
    }
    if (o->chunk_size &&
        (o->chunk_size < VGT_TRACE_MIN_CHUNK_SIZE || o->chunk_size > VGT_TRACE_MAX_CHUNK_SIZE)) {
        return vgt_error_set(err, VGT_E_INVALID, "chunk size %u outside %u..%u bytes",
                             o->chunk_size, VGT_TRACE_MIN_CHUNK_SIZE, VGT_TRACE_MAX_CHUNK_SIZE);
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
        return refuse(&t, rd, st);
    }
    keep_problems(&t, rd, &t.problems_told);
    vgt_trace_info opened;
    vgt_trace_reader_info(rd, &opened);
    stats->trace_incomplete = !opened.footer_present;
    stats->trace_chunks = opened.chunks;
    const vgt_trace_header *h = vgt_trace_reader_header(rd);
    if (strcmp(h->protocol_name, VGT_SVGA_TRACE_PROTOCOL_NAME) != 0) {
        return refuse(&t, rd,
                      vgt_error_set(err, VGT_E_FORMAT, "%s: protocol '%s', not an SVGA trace", in,
                                    h->protocol_name));
    }
    if (!oo.whole && !oo.calls && (st = check_range(&t, rd, &oo, err)) != VGT_OK) {
        return refuse(&t, rd, st);
    }
    /* a temporary name beside out: out appears only when complete */
    size_t tlen = strlen(out) + 32u;
    char *tmp = malloc(tlen);
    if (!tmp) {
        vgt_trace_reader_close(rd);
        vgt_trace_problem_set_free(&t.all);
        return vgt_error_set(err, VGT_E_NOMEM, "trim: out of memory");
    }
    (void)vgt_trim_temp_path(out, tmp, tlen); /* fits: 32 bytes for ".trim-" and a pid */
    vgt_trace_writer *w = NULL;
    if (oo.whole) {
        if ((st = open_out(&t, h, tmp, h->start_frame, h->frame_limit, &w, err)) == VGT_OK) {
            st = copy_all(&t, rd, w, err);
        }
    } else if (oo.calls) {
        st = cut_calls(&t, rd, tmp, &w, err);
    } else {
        st = cut_frames(&t, rd, &oo, tmp, &w, err);
    }
    if (w && st == VGT_OK) {
        if ((st = vgt_trace_writer_flush(w, err)) == VGT_OK) {
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
        if (oo.whole) {
            stats->first_frame = h->start_frame;
            stats->last_frame = h->start_frame + stats->frames - (stats->frames ? 1u : 0u);
        } else if (!oo.calls) {
            stats->first_frame = oo.first_frame;
            stats->last_frame = oo.last_frame;
        }
        say_hashes_dropped(&t);
        vgt_trace_info ii;
        vgt_trace_reader_info(rd, &ii); /* IN's size, as its reader found it */
        stats->bytes_in = ii.file_size;
        stats->bytes_out = file_size(out);
    }
    free(tmp);
    /* what a seek met (a damaged chunk that stopped it): kept for the
     * caller's report, which gives its error line the --salvage hint */
    keep_problems(&t, rd, &t.problems_told);
    vgt_trace_reader_close(rd);
    (void)chunks_skipped(&t);
    vgt_trace_problem_set_free(&t.all);
    stats->ns = vgt_now_ns() - t0;
    return st;
}
