/* analyze.c - vgt_analyze_trace: instrumented replays, the overhead model
 * per command, medians, the native re-issue, and the store.
 *
 * Replay 0 records (the backend op log, surfaces, shaders, the command list)
 * and warms the caches; it is not counted.  Replays 1..runs are timed.  For
 * every command the replay with the median total is kept (so its phases add
 * up), the native cost is the median over `runs` re-issues of the logged
 * backend ops on a fresh backend.  With --gpu one more replay, after the
 * timed ones, reads each command's GPU time: the backend's timer query
 * (gl: GL_TIME_ELAPSED, waited for after every command) slows every call
 * made under it, so neither the timed replays nor the native re-issues run
 * under it.  With --sync frame an asynchronous backend is not waited for
 * after each call; every frame is timed whole instead (frame_clock, and
 * an_frame_clock in the native re-issues), one finish at its end. */
#include "analyze_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define NONE_U32 UINT32_MAX

typedef struct cmd_info {
    uint64_t seq, frame, fetch_ns, dma_bytes, prims;
    uint32_t id, bytes, ops;
    int32_t status;
    bool executed;
    int64_t queue_ns, device_ns; /* -1: not recorded live */
} cmd_info;

/* One command's corrected phases in one replay (ns, saturated). */
typedef struct phases {
    uint32_t decode, dma, translate, backend;
} phases;

typedef struct actx {
    an_wrap *w;
    const vgt_analyze_options *o;
    uint32_t run; /* 0: the recording replay */
    cmd_info *ci;
    size_t nci, cap;
    phases **ph;      /* [run - 1][command] */
    uint32_t *gpu_ns; /* [command] from the GPU replay, NONE_U32: none */
    uint64_t n;       /* commands seen in this replay */
    bool mismatch, nomem;
    double timer;
    bool gpu;     /* --gpu, and the backend offers GPU time */
    bool gpu_run; /* this replay reads GPU times (and is not timed) */
    char phase[32];
    uint64_t total;
    /* --sync frame: each frame of a timed replay as one span (frame_clock) */
    bool frame_sync;
    uint32_t *frame_of; /* [command]: its frame's index (after the recording replay) */
    uint32_t nframes;
    uint64_t **vwall; /* [run - 1][frame index] */
    uint64_t fstart;  /* the open frame's start */
    uint64_t fsub;    /* what its span holds that is not replay: trace reading, ours */
    uint64_t spans;   /* frames timed */
    /* --frames: the replay reached the range (its first command began; set
     * at once without a range), and when */
    bool in_range;
    uint64_t range_t0;
} actx;

/* ---- timer calibration ------------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The cost of one clock read: the median gap between two back-to-back reads. */
static double calibrate_timer(void)
{
    enum { N = 20001 };
    static uint64_t d[N];
    for (int i = 0; i < 1000; i++) {
        (void)vgt_now_ns();
    }
    for (int i = 0; i < N; i++) {
        uint64_t a = vgt_now_ns();
        uint64_t b = vgt_now_ns();
        d[i] = b - a;
    }
    vgt_sort(d, N, sizeof(d[0]), cmp_u64);
    return (double)d[N / 2];
}

/* ---- instrumentation callbacks ---------------------------------------------------- */

static uint64_t sub_ns(uint64_t raw, double minus)
{
    double v = (double)raw - minus;
    return v > 0 ? (uint64_t)(v + 0.5) : 0;
}

static uint32_t sat32(uint64_t v)
{
    return v >= NONE_U32 ? NONE_U32 - 1 : (uint32_t)v;
}

static vgt_status cb_wrap(void *ctx, vgt_backend *be, vgt_error *err)
{
    actx *a = ctx;
    return an_wrap_install(a->w, be, err);
}

/* Before each command runs (on_command_start): at the range's first, the
 * state-only frames before it are over.  They ran untimed (the replayer
 * read no clock for them, the wrapper timed and waited for none of their
 * calls); their backend work is waited for here, untimed, so that the
 * range's first call does not pay for it, and the GPU replay's timer
 * starts here, so that the state's GPU work is no command's. */
static void cb_start(void *ctx, uint64_t seq, uint64_t frame)
{
    (void)seq;
    actx *a = ctx;
    if (a->in_range || (a->o->frames && frame < a->o->first_frame)) {
        return;
    }
    a->in_range = true;
    an_wrap_set_untimed(a->w, false);
    an_wrap_settle(a->w);
    if (a->gpu_run) {
        uint64_t unused;
        (void)an_wrap_gpu_time(a->w, &unused);
    }
    a->range_t0 = vgt_now_ns();
}

static void cb_begin(void *ctx, uint64_t seq, const vgt_cmd *cmd)
{
    (void)seq;
    actx *a = ctx;
    an_wrap_cmd_begin(a->w, a->n);
    if (cmd->id == VGT_SVGA3D_CMD_SHADER_DEFINE) {
        an_wrap_note_shader_ids(a->w, cmd->u.shader_define.cid, cmd->u.shader_define.shid);
    }
}

static void progress(actx *a)
{
    if (a->o->progress && (a->n & 8191u) == 0) {
        a->o->progress(a->o->progress_ctx, a->phase, a->n, a->total);
    }
}

/* --sync frame: the frame of command i is one span, from the end of the
 * previous frame (the first: the first command's decode) to one finish after
 * its last command, as the native re-issue times it.  Left out, as from the
 * per-command figures: the trace reading (it does not exist live), the
 * analyzer's cmd_end callback (entry: when it began) and one clock read;
 * cmd_begin's few stores stay in. */
static void frame_clock(actx *a, const vgt_replay_cmd_timing *t, size_t i, uint64_t entry)
{
    if (i == 0) {
        a->fstart = entry - t->decode_ns - (t->executed ? t->exec_ns : 0);
    }
    uint64_t now = vgt_now_ns();
    a->fsub += t->trace_ns + (now - entry);
    if (i + 1 < a->nci && a->frame_of[i + 1] == a->frame_of[i]) {
        return;
    }
    (void)an_wrap_finish(a->w); /* counted by the wrapper with any per-op ones */
    now = vgt_now_ns();
    a->vwall[a->run - 1][a->frame_of[i]] = sub_ns(now - a->fstart, a->timer + (double)a->fsub);
    a->spans++;
    a->fstart = now;
    a->fsub = 0;
}

static void cb_end(void *ctx, const vgt_replay_cmd_timing *t)
{
    actx *a = ctx;
    bool frame_timed = a->frame_sync && a->run > 0 && !a->gpu_run && a->n < a->nci;
    uint64_t entry = frame_timed ? vgt_now_ns() : 0;
    uint64_t be_raw = 0, prims = 0;
    uint32_t ops = 0;
    uint64_t gpu = 0;
    bool have_gpu = false;
    if (t->executed) {
        an_wrap_cmd_end(a->w, &be_raw, &ops, &prims);
        if (a->gpu_run) {
            have_gpu = an_wrap_gpu_time(a->w, &gpu);
        }
    }
    double c = a->timer;
    phases p = {0};
    p.decode = sat32(sub_ns(t->decode_ns, c));
    if (t->executed) {
        uint64_t exec =
            sub_ns(t->exec_ns, c * (1.0 + 2.0 * t->dma_reads + t->trace_reads + 2.0 * ops));
        uint64_t trace = sub_ns(t->trace_ns, c * t->trace_reads);
        uint64_t dma = sub_ns(t->dma_ns, (double)t->trace_ns + c * t->dma_reads);
        uint64_t be = sub_ns(be_raw, c * ops);
        trace = trace < exec ? trace : exec;
        uint64_t left = exec - trace;
        dma = dma < left ? dma : left;
        left -= dma;
        be = be < left ? be : left;
        left -= be;
        p.dma = sat32(dma);
        p.backend = sat32(be);
        p.translate = sat32(left);
    }
    if (a->run == 0) {
        if (a->nci == a->cap) {
            size_t cap = a->cap ? a->cap * 2 : 4096;
            cmd_info *ci = realloc(a->ci, cap * sizeof(*ci));
            if (!ci) {
                a->nomem = true;
                a->n++;
                return;
            }
            a->ci = ci;
            a->cap = cap;
        }
        a->ci[a->nci++] = (cmd_info){.seq = t->seq,
                                     .frame = t->frame,
                                     .fetch_ns = t->fetch_ns,
                                     .dma_bytes = t->dma_bytes,
                                     .prims = prims,
                                     .id = t->id,
                                     .bytes = t->bytes,
                                     .ops = ops,
                                     .status = t->status,
                                     .executed = t->executed,
                                     .queue_ns = -1,
                                     .device_ns = -1};
    } else if (a->n < a->nci && a->ci[a->n].seq == t->seq) {
        if (a->gpu_run) {
            a->gpu_ns[a->n] = have_gpu ? sat32(gpu) : NONE_U32;
        } else {
            a->ph[a->run - 1][a->n] = p;
        }
    } else {
        a->mismatch = true;
    }
    a->n++;
    progress(a);
    if (frame_timed) {
        frame_clock(a, t, a->n - 1, entry);
    }
}

/* ---- the live timings (TIMING records) --------------------------------------------- */

typedef struct trace_scan {
    uint64_t records, commands, frames, timed;
    bool has_3d;
    char backend[16];
} trace_scan;

void vgt_analyze_damaged_text(char *buf, size_t size, const uint64_t (*ranges)[2], size_t n,
                              bool more)
{
    bool one = n == 1 && ranges[0][0] == ranges[0][1] && !more; /* "guest frame 3" */
    size_t k = (size_t)snprintf(buf, size, "%s",
                                n ? (one ? "guest frame " : "guest frames ") : "no frame");
    for (size_t i = 0; i < n && k < size; i++) {
        k += ranges[i][0] == ranges[i][1]
                 ? (size_t)snprintf(buf + k, size - k, "%s%" PRIu64, i ? ", " : "", ranges[i][0])
                 : (size_t)snprintf(buf + k, size - k, "%s%" PRIu64 "..%" PRIu64, i ? ", " : "",
                                    ranges[i][0], ranges[i][1]);
    }
    if (k < size) {
        snprintf(buf + k, size - k, "%s lost records", more ? ", ..." : "");
    }
}

void vgt_analyze_salvage_text(char *buf, size_t size, const uint64_t (*ranges)[2], size_t n,
                              bool more, bool ranged, const uint64_t (*state)[2], size_t nstate)
{
    if (size == 0) {
        return;
    }
    if (ranged && n == 0 && !more) {
        snprintf(buf, size, "no frame of the range lost records");
    } else {
        vgt_analyze_damaged_text(buf, size, ranges, n, more);
    }
    size_t k = strlen(buf);
    if (nstate && k + 1 < size) {
        k += (size_t)snprintf(buf + k, size - k, "; before the range, replayed for their state: ");
        if (k < size) {
            vgt_analyze_damaged_text(buf + k, size - k, state, nstate, false);
        }
    }
}

/* --frames with --salvage: the damaged ranges res keeps are the range's
 * (clipped to it); those before it, in its state-only frames, go to
 * state_damaged; those after it, which the run's replays never read, go. */
static void range_damaged(vgt_analyze_result *res)
{
    size_t n = 0;
    res->nstate_damaged = 0;
    for (size_t i = 0; i < res->ndamaged; i++) {
        uint64_t lo = res->damaged[i][0], hi = res->damaged[i][1];
        if (lo < res->range_first) {
            res->state_damaged[res->nstate_damaged][0] = lo;
            res->state_damaged[res->nstate_damaged++][1] =
                hi < res->range_first ? hi : res->range_first - 1u;
        }
        lo = lo > res->range_first ? lo : res->range_first;
        hi = hi < res->range_last ? hi : res->range_last;
        if (lo <= hi) {
            res->damaged[n][0] = lo;
            res->damaged[n++][1] = hi;
        }
    }
    res->ndamaged = n;
}

void vgt_analyze_frames_note(char *buf, size_t size, uint64_t partial, bool ranged, uint64_t first,
                             uint64_t last, const char *note)
{
    char count[32] = "", range[96] = "";
    if (size == 0) {
        return;
    }
    buf[0] = '\0';
    if (!partial && !ranged) {
        return;
    }
    if (partial) {
        snprintf(count, sizeof(count), "+ %" PRIu64 " partial", partial);
    }
    if (ranged) {
        snprintf(range, sizeof(range), "guest frames %" PRIu64 "..%" PRIu64 "%s", first, last,
                 note ? note : "");
    }
    snprintf(buf, size, " (%s%s%s)", count, partial && ranged ? "; " : "", range);
}

/* Keeps the reader's problems from `from` on in res (as many as fit; the
 * others counted in problems_untold, for the "more not listed" line). */
static void keep_problems(vgt_trace_reader *rd, size_t from, vgt_analyze_result *res)
{
    size_t n = vgt_trace_reader_problem_count(rd);
    size_t lost = vgt_trace_reader_problems_lost(rd);
    res->problems_unrecorded = lost > res->problems_unrecorded ? lost : res->problems_unrecorded;
    for (size_t i = from; i < n; i++) {
        /* NULL past the problems the reader kept whole (no message) */
        const vgt_trace_problem *p = vgt_trace_reader_problem(rd, i);
        if (res->nproblems == VGT_ANALYZE_PROBLEMS_MAX || !p) {
            res->problems_untold += n - i;
            break;
        }
        vgt_trace_problem_copy_set(&res->problems[res->nproblems++], p);
    }
}

/* (analyze_internal.h) The kept ranges are few (VGT_ANALYZE_DAMAGED_MAX),
 * so a scan finds where a range goes. */
void an_damaged_add(vgt_analyze_result *res, uint64_t lo, uint64_t hi)
{
    uint64_t(*d)[2] = res->damaged;
    size_t n = res->ndamaged;
    /* the first range that ends at or after lo - 1 (touching counts; lo - 1
     * rather than end + 1, which a range ending at UINT64_MAX would wrap) */
    size_t i = 0;
    while (i < n && lo > 0 && d[i][1] < lo - 1u) {
        i++;
    }
    /* ranges i..j-1 start at or before hi + 1: they merge with [lo, hi] */
    size_t j = i;
    while (j < n && (hi == UINT64_MAX || d[j][0] <= hi + 1u)) {
        j++;
    }
    if (j > i) {
        lo = d[i][0] < lo ? d[i][0] : lo;
        hi = d[j - 1][1] > hi ? d[j - 1][1] : hi;
    } else if (n == VGT_ANALYZE_DAMAGED_MAX) {
        res->more_damaged = true;
        return;
    }
    /* [lo, hi] takes slot i; the ranges from j on move to follow it */
    memmove(&d[i + 1], &d[j], (n - j) * sizeof(d[0]));
    d[i][0] = lo;
    d[i][1] = hi;
    res->ndamaged = n - (j - i) + 1;
}

/* Salvage: the reader skipped the chunks of problems [from, to); their
 * trace frames, from the chunk index, are damaged.  A chunk the index does
 * not list (a walked index leaves it out) took the records between the last
 * one read (frame last, ended by a FRAME_END when last_end) and the next
 * one's frame `next`. */
static void mark_skipped(vgt_trace_reader *rd, size_t from, size_t to, uint64_t start,
                         uint64_t last, bool last_end, uint64_t next, vgt_analyze_result *res)
{
    vgt_trace_problem p; /* every problem, those kept compact too */
    for (size_t i = from; i < to && vgt_trace_reader_problem_brief(rd, i, &p); i++) {
        vgt_trace_chunk_info c;
        bool listed = vgt_trace_reader_chunk_find(rd, p.chunk, &c);
        uint64_t lo = listed ? c.first_frame : last_end && last < UINT64_MAX ? last + 1u : last;
        uint64_t hi = listed ? c.last_frame : next;
        if (lo <= hi) {
            /* saturated: a hostile frame number cannot wrap past the start */
            an_damaged_add(res, lo > UINT64_MAX - start ? UINT64_MAX : start + lo,
                           hi > UINT64_MAX - start ? UINT64_MAX : start + hi);
        }
    }
}

/* Reads the trace once: TIMING entries are joined to the commands (both in
 * seq order); counts for the traces row.  With salvage the damaged chunks
 * are skipped (as the replays skipped them) and kept in res with the frames
 * they took records from. */
static vgt_status scan_trace(const char *path, bool salvage, cmd_info *ci, size_t nci,
                             trace_scan *out, vgt_analyze_result *res, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    ro.salvage = salvage;
    vgt_trace_reader *rd;
    vgt_status st = vgt_trace_reader_open(path, &ro, &rd, err);
    if (st != VGT_OK) {
        return st;
    }
    vgt_trace_info info;
    vgt_trace_reader_info(rd, &info);
    out->records = info.records;
    out->frames = info.complete_frames;
    uint64_t start = vgt_trace_reader_header(rd)->start_frame;
    /* the problems the read meets mark the frames they damaged; the
     * open's (a footerless trace's torn tail: the incomplete capture
     * vgt_cli_warn_incomplete says, not a skip) are no frame's */
    size_t seen = vgt_trace_reader_problem_count(rd);
    uint64_t last_frame = 0;
    bool last_end = true;
    size_t k = 0; /* ci is sorted by seq (replay order) */
    vgt_trace_record rec;
    for (;;) {
        st = vgt_trace_reader_next(rd, &rec, err);
        size_t now = vgt_trace_reader_problem_count(rd);
        if (salvage && now > seen) {
            uint64_t next = st == VGT_OK ? rec.frame : info.frames ? info.frames - 1u : 0;
            mark_skipped(rd, seen, now, start, last_frame, last_end, next, res);
            seen = now;
        }
        if (st != VGT_OK) {
            break;
        }
        last_frame = rec.frame;
        last_end = rec.type == VGT_REC_FRAME_END;
        if (vgt_trace_is_commands(rec.type)) {
            vgt_trace_commands b;
            if (vgt_trace_commands_parse(&rec, &b, NULL) == VGT_OK) {
                out->commands += b.count;
            }
        } else if (rec.type == VGT_REC_TIMING) {
            vgt_trace_timing t;
            if (vgt_trace_timing_parse(&rec, &t, NULL) != VGT_OK) {
                continue;
            }
            for (uint32_t i = 0; i < t.count; i++) {
                uint64_t seq = t.first_seq + i;
                while (k < nci && ci[k].seq < seq) {
                    k++;
                }
                size_t j = k; /* not found in order: a binary search */
                if (j >= nci || ci[j].seq != seq) {
                    size_t lo = 0, hi = nci;
                    while (lo < hi) {
                        size_t mid = lo + (hi - lo) / 2;
                        if (ci[mid].seq < seq) {
                            lo = mid + 1;
                        } else {
                            hi = mid;
                        }
                    }
                    j = lo;
                }
                if (j < nci && ci[j].seq == seq) {
                    uint32_t q, e;
                    vgt_trace_timing_get(&t, i, &q, &e);
                    ci[j].queue_ns = q;
                    ci[j].device_ns = e;
                    out->timed++;
                }
            }
        }
    }
    if (salvage) {
        /* every chunk lost below where the read went (vgt_trace_reader_reach: the
         * whole trace, the damage after a --frames range too), each once */
        res->chunks_skipped = vgt_trace_reader_chunks_skipped(rd);
        /* every problem, the open's too (a damaged chunk header the index
         * rebuild went past, a torn last chunk): the caller reports them
         * as every verb does */
        keep_problems(rd, 0, res);
    }
    vgt_trace_reader_close(rd);
    return st == VGT_E_END ? VGT_OK : st;
}

/* ---- helpers ------------------------------------------------------------------------- */

/* "device": the commands a replay decodes but does not execute (the
 * replayer's device-level set); ESCAPE is executed (video overlays). */
static const char *cmd_kind(uint32_t id)
{
    if (id == VGT_SVGA_CMD_FENCE || id == VGT_SVGA_CMD_DEFINE_GMR2 ||
        id == VGT_SVGA_CMD_REMAP_GMR2) {
        return "device";
    }
    return id >= VGT_SVGA3D_CMD_BASE ? "3d" : "2d";
}

static void iso_date(char *buf, size_t size)
{
    time_t now = (time_t)(vgt_wall_ns() / 1000000000ull);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void bind_opt(sqlite3_stmt *s, int i, bool present, int64_t v)
{
    if (present) {
        sqlite3_bind_int64(s, i, v);
    } else {
        sqlite3_bind_null(s, i);
    }
}

/* Final per-command figures. */
typedef struct final_row {
    uint64_t decode, dma, translate, backend, total, native, overhead, start;
    int64_t gpu; /* -1: none */
} final_row;

typedef struct sort_ctx {
    const cmd_info *ci;
    const final_row *fr;
} sort_ctx;

static sort_ctx g_sort; /* qsort has no context argument in C11 */

static int cmp_by_type_total(const void *a, const void *b)
{
    uint64_t i = *(const uint64_t *)a, j = *(const uint64_t *)b;
    uint32_t ti = g_sort.ci[i].id, tj = g_sort.ci[j].id;
    if (ti != tj) {
        return ti < tj ? -1 : 1;
    }
    uint64_t x = g_sort.fr[i].total, y = g_sort.fr[j].total;
    return x < y ? -1 : x > y;
}

static uint64_t pct(const uint64_t *sorted, uint64_t n, double p)
{
    if (n == 0) {
        return 0;
    }
    double r = p / 100.0 * (double)n;
    uint64_t k = (uint64_t)r;
    if ((double)k < r) {
        k++;
    }
    if (k == 0) {
        k = 1;
    }
    return sorted[k - 1];
}

/* ---- the store -------------------------------------------------------------------------- */

/* Sums of a group of commands (a frame, a command type): both tables add up
 * the same per-command figures, so one place says how. */
typedef struct group_sums {
    uint64_t count, draws, failed, bytes, prims, dma_bytes, total, decode, dma, translate, backend,
        gpu, native, overhead, queue, device;
    uint64_t timed; /* commands with live queue/device times; only those are summed */
    bool have_gpu;
} group_sums;

static void group_add(group_sums *g, const cmd_info *c, const final_row *f)
{
    g->count++;
    g->draws += c->id == VGT_SVGA3D_CMD_DRAW_PRIMITIVES;
    g->failed += c->status != VGT_OK;
    g->bytes += c->bytes;
    g->prims += c->prims;
    g->dma_bytes += c->dma_bytes;
    g->total += f->total;
    g->decode += f->decode;
    g->dma += f->dma;
    g->translate += f->translate;
    g->backend += f->backend;
    if (f->gpu >= 0) {
        g->have_gpu = true;
        g->gpu += (uint64_t)f->gpu;
    }
    g->native += f->native;
    g->overhead += f->overhead;
    if (c->queue_ns >= 0) {
        g->queue += (uint64_t)c->queue_ns;
        g->device += (uint64_t)c->device_ns;
        g->timed++;
    }
}

typedef struct store_in {
    const char *path;
    const vgt_analyze_options *o;
    const vgt_trace_header *hdr;
    const vgt_trace_device_config *cfg;
    const char *backend;
    /* the commands stored: with a frame range its commands (those of the
     * frames before it were replayed for their state, not stored) */
    const cmd_info *ci;
    size_t n;
    const final_row *fr;
    /* every command replayed, for the trace's row and its objects, whose
     * command indices (an_wrap's) count from the trace's first */
    const cmd_info *all_ci;
    size_t all_n;
    /* runs.frames: the complete frames stored (the trace's, or the range's) */
    uint64_t run_frames;
    /* a run of every frame: it stores the trace's surfaces and shaders */
    bool whole;
    bool native;
    bool gpu;
    bool sync; /* finish after every backend call (asynchronous backend) */
    /* --sync frame: each frame's wall time, median over the runs, by frame
     * index; NULL otherwise (the columns stay NULL) */
    const uint64_t *vwall, *nwall;
    bool async; /* the backend has finish */
    const trace_scan *scan;
    /* guest frames at or past it are partial: the trace's start frame plus
     * its complete frames (the frame numbers of the records after the last
     * FRAME_END, the only frame that can lack one) */
    uint64_t complete_end;
    an_wrap *w;
    double timer;
    uint64_t replay_ns, file_size;
    vgt_analyze_result *res;
} store_in;

static vgt_status step_done(vgt_analyze_db *db, sqlite3_stmt *s, const char *what, vgt_error *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return an_db_error(db, what, err);
    }
    return VGT_OK;
}

/* Whether guest frame `frame` is partial (no FRAME_END ended it). */
static bool frame_partial(const store_in *in, uint64_t frame)
{
    return frame >= in->complete_end;
}

/* The complete_end of a trace starting at guest frame start with `complete`
 * FRAME_ENDs (saturated: a hostile count cannot wrap it below a frame). */
static uint64_t complete_end_of(uint64_t start, uint64_t complete)
{
    return complete > UINT64_MAX - start ? UINT64_MAX : start + complete;
}

/* The guest memory bytes every command replayed read (traces.dma_bytes). */
static uint64_t trace_dma(const store_in *in)
{
    uint64_t dma = 0;
    for (size_t i = 0; i < in->all_n; i++) {
        dma += in->all_ci[i].dma_bytes;
    }
    return dma;
}

static vgt_status store_trace(vgt_analyze_db *db, const store_in *in, int64_t *trace_id,
                              bool *is_new, uint64_t *rows, vgt_error *err)
{
    sqlite3_stmt *s = NULL;
    vgt_status st = an_db_prepare(db,
                                  "SELECT trace_id FROM traces WHERE start_time_ns=? AND "
                                  "records=? AND commands=? AND file_bytes=?",
                                  &s, err);
    if (st != VGT_OK) {
        return st;
    }
    sqlite3_bind_int64(s, 1, (int64_t)in->hdr->start_time_ns);
    sqlite3_bind_int64(s, 2, (int64_t)in->scan->records);
    sqlite3_bind_int64(s, 3, (int64_t)in->scan->commands);
    sqlite3_bind_int64(s, 4, (int64_t)in->file_size);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *trace_id = sqlite3_column_int64(s, 0);
        *is_new = false;
        sqlite3_finalize(s);
        return VGT_OK;
    }
    sqlite3_finalize(s);
    *is_new = true;
    uint64_t dma = trace_dma(in);
    char date[32];
    iso_date(date, sizeof(date));
    st = an_db_prepare(db,
                       "INSERT INTO traces(path, file_bytes, protocol, creator, start_time_ns, "
                       "start_frame, records, commands, frames, dma_bytes, backend_captured, "
                       "has_3d, timed_commands, added) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       &s, err);
    if (st != VGT_OK) {
        return st;
    }
    sqlite3_bind_text(s, 1, in->path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, (int64_t)in->file_size);
    sqlite3_bind_text(s, 3, in->hdr->protocol_name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, in->hdr->creator ? in->hdr->creator : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 5, (int64_t)in->hdr->start_time_ns);
    sqlite3_bind_int64(s, 6, (int64_t)in->hdr->start_frame);
    sqlite3_bind_int64(s, 7, (int64_t)in->scan->records);
    sqlite3_bind_int64(s, 8, (int64_t)in->scan->commands);
    sqlite3_bind_int64(s, 9, (int64_t)in->scan->frames);
    sqlite3_bind_int64(s, 10, (int64_t)dma);
    sqlite3_bind_text(s, 11, vgt_backend_kind_name((vgt_backend_kind)in->cfg->backend_3d), -1,
                      SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 12, (in->cfg->flags & VGT_TRACE_DEVCFG_F_3D) != 0);
    sqlite3_bind_int64(s, 13, (int64_t)in->scan->timed);
    sqlite3_bind_text(s, 14, date, -1, SQLITE_TRANSIENT);
    st = step_done(db, s, "inserting the trace", err);
    sqlite3_finalize(s);
    *trace_id = sqlite3_last_insert_rowid(db->db);
    (*rows)++;
    return st;
}

/* The defined_seq of a listed surface or shader (docs/analysis-db.md): its
 * command's seq; a snapshot's object, which no command defines, is numbered
 * -n..-1 in the order the snapshot made the table's n (no command has a
 * negative seq, ORDER BY defined_seq keeps that order ahead of the
 * commands', and each is its own key: the shaders' key holds no cid, and
 * two contexts' snapshot shaders may share a shid). */
static int64_t defined_seq(const store_in *in, bool snapshot, uint64_t cmd, size_t index,
                           size_t nsnapshot)
{
    if (snapshot) {
        return (int64_t)index - (int64_t)nsnapshot;
    }
    return cmd < in->all_n ? (int64_t)in->all_ci[cmd].seq : -1;
}

/* The snapshot's shaders, matched in order to the SNAPSHOT's defines. */
typedef struct snapshot_ids {
    an_wrap *w;
    const an_shader_info *sh;
    size_t nsnap, next;
} snapshot_ids;

static vgt_status take_snapshot_ids(void *ctx, const vgt_shader_def *d, size_t index,
                                    const uint32_t *words, vgt_error *err)
{
    (void)index;
    (void)words;
    snapshot_ids *x = ctx;
    if (!d->snapshot || x->next == x->nsnap) {
        /* past the snapshot: a status that stops the walk */
        return vgt_error_set(err, VGT_E_STATE, "the snapshot's shaders are named");
    }
    const an_shader_info *s = &x->sh[x->next];
    if (!d->refused && d->type == s->type && d->tokens == s->words && d->hash == s->hash) {
        an_wrap_set_shader_ids(x->w, x->next, d->cid, d->shid);
        x->next++;
    }
    return VGT_OK;
}

/* The wrapper saw the snapshot's shaders made without their cid and shid:
 * the executor makes them from the SNAPSHOT's own SHADER_DEFINEs, which no
 * command hook sees.  vgt_shader_list reads those defines without a replay
 * (the walk stops at the first command's define), in the order the
 * executor made them; each is matched by type, size and hash.  Before the
 * store's transaction, which must not wait for a walk.  When the trace
 * cannot be read again the ids stay unknown (NULL in the rows). */
static void name_snapshot_shaders(const char *path, an_wrap *w)
{
    size_t ns, nsnap = 0;
    const an_shader_info *sh = an_wrap_shaders(w, &ns);
    while (nsnap < ns && sh[nsnap].snapshot) {
        nsnap++;
    }
    if (nsnap == 0) {
        return;
    }
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    vgt_trace_reader *rd = NULL;
    vgt_error e;
    vgt_error_clear(&e);
    if (vgt_trace_reader_open(path, &ro, &rd, &e) != VGT_OK) {
        return;
    }
    snapshot_ids x = {.w = w, .sh = sh, .nsnap = nsnap};
    vgt_shader_list_options lo = {.on_define = take_snapshot_ids, .ctx = &x};
    vgt_shader_list_result lr;
    (void)vgt_shader_list(rd, &lo, &lr, &e);
    vgt_shader_list_free(&lr);
    vgt_trace_reader_close(rd);
}

static vgt_status store_surfaces(vgt_analyze_db *db, const store_in *in, int64_t trace_id,
                                 uint64_t *rows, vgt_error *err)
{
    sqlite3_stmt *s = NULL;
    vgt_status st = an_db_prepare(
        db, "INSERT OR IGNORE INTO surfaces VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &s, err);
    if (st != VGT_OK) {
        return st;
    }
    size_t ns, nsnap = 0;
    const an_surface_info *sf = an_wrap_surfaces(in->w, &ns);
    while (nsnap < ns && sf[nsnap].snapshot) {
        nsnap++; /* the snapshot's come first: made before any command */
    }
    for (size_t i = 0; i < ns && st == VGT_OK; i++) {
        const an_surface_info *x = &sf[i];
        const vgt_surface_format_info *fi = vgt_surface_format(x->format);
        sqlite3_bind_int64(s, 1, trace_id);
        sqlite3_bind_int64(s, 2, x->sid);
        sqlite3_bind_int64(s, 3, defined_seq(in, x->snapshot, x->defined_cmd, i, nsnap));
        bind_opt(s, 4, x->destroyed_cmd < in->all_n,
                 x->destroyed_cmd < in->all_n ? (int64_t)in->all_ci[x->destroyed_cmd].seq : 0);
        sqlite3_bind_int64(s, 5, x->format);
        sqlite3_bind_text(s, 6, fi ? fi->name : "?", -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 7, x->flags);
        sqlite3_bind_int64(s, 8, x->size.width);
        sqlite3_bind_int64(s, 9, x->size.height);
        sqlite3_bind_int64(s, 10, x->size.depth);
        sqlite3_bind_int64(s, 11, x->faces);
        sqlite3_bind_int64(s, 12, x->mips);
        sqlite3_bind_int64(s, 13, (int64_t)x->bytes);
        sqlite3_bind_int64(s, 14, (int64_t)x->uploads);
        sqlite3_bind_int64(s, 15, (int64_t)x->upload_bytes);
        sqlite3_bind_int64(s, 16, (int64_t)x->downloads);
        sqlite3_bind_int64(s, 17, (int64_t)x->download_bytes);
        st = step_done(db, s, "inserting a surface", err);
        (*rows)++;
    }
    sqlite3_finalize(s);
    if (st != VGT_OK) {
        return st;
    }
    st = an_db_prepare(db, "INSERT OR IGNORE INTO shaders VALUES(?,?,?,?,?,?,?,?)", &s, err);
    if (st != VGT_OK) {
        return st;
    }
    const an_shader_info *sh = an_wrap_shaders(in->w, &ns);
    for (nsnap = 0; nsnap < ns && sh[nsnap].snapshot;) {
        nsnap++;
    }
    for (size_t i = 0; i < ns && st == VGT_OK; i++) {
        const an_shader_info *x = &sh[i];
        char hash[24];
        snprintf(hash, sizeof(hash), "%016" PRIx64, x->hash);
        sqlite3_bind_int64(s, 1, trace_id);
        bind_opt(s, 2, x->cid != UINT32_MAX, x->cid);
        bind_opt(s, 3, x->shid != UINT32_MAX, x->shid);
        sqlite3_bind_int64(s, 4, defined_seq(in, x->snapshot, x->defined_cmd, i, nsnap));
        bind_opt(s, 5, x->destroyed_cmd < in->all_n,
                 x->destroyed_cmd < in->all_n ? (int64_t)in->all_ci[x->destroyed_cmd].seq : 0);
        sqlite3_bind_text(s, 6, x->type == VGT_SVGA3D_SHADERTYPE_VS ? "vs" : "ps", -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(s, 7, x->words);
        sqlite3_bind_text(s, 8, hash, -1, SQLITE_TRANSIENT);
        st = step_done(db, s, "inserting a shader", err);
        (*rows)++;
    }
    sqlite3_finalize(s);
    return st;
}

/* src (NULL: "") as a quoted JSON string into dst, cut to fit between two
 * whole characters (vgt_json_string_buf): the user's note and a
 * checkpoint's why (a trim's message, a TMPDIR) may hold any bytes, and
 * settings must stay JSON (docs/analysis-db.md). */
static void json_text(char *dst, size_t size, const char *src)
{
    src = src ? src : "";
    vgt_json_string_buf(dst, size, src, strlen(src));
}

/* Replaces the closing brace of the settings JSON in buf by a --frames
 * run's members: "frames", the guest frames it covers, [first, last];
 * "state_only", what one replay ran untimed before the range (commands,
 * backend calls, those the native re-issue made, the wall time); "timed",
 * what one replay timed (commands, backend calls); "checkpoint", how the
 * state at A was reached (taken: what the one replay to A cost; or why
 * not): docs/analysis-db.md. */
static void frames_json(char *buf, size_t size, const vgt_analyze_result *res)
{
    size_t k = strlen(buf);
    if (k == 0 || buf[k - 1] != '}' || k >= size) {
        return;
    }
    snprintf(buf + k - 1, size - (k - 1),
             ",\"frames\":[%" PRIu64 ",%" PRIu64 "],\"state_only\":{\"commands\":%" PRIu64
             ",\"backend_calls\":%" PRIu64 ",\"native_calls\":%" PRIu64 ",\"replay_ns\":%" PRIu64
             "},\"timed\":{\"commands\":%" PRIu64 ",\"backend_calls\":%" PRIu64 "}}",
             res->range_first, res->range_last, res->state_commands, res->state_calls,
             res->native_state_calls, res->state_ns, res->commands_timed, res->calls_timed);
    /* "checkpoint": how the state at A was reached */
    k = strlen(buf);
    if (k == 0 || buf[k - 1] != '}' || k >= size) {
        return;
    }
    if (res->checkpoint) {
        snprintf(buf + k - 1, size - (k - 1),
                 ",\"checkpoint\":{\"taken\":true,\"commands\":%" PRIu64 ",\"frames\":%" PRIu64
                 ",\"snapshot_bytes\":%" PRIu64 ",\"ns\":%" PRIu64 "}}",
                 res->checkpoint_commands, res->checkpoint_frames, res->checkpoint_bytes,
                 res->checkpoint_ns);
    } else {
        /* a byte is at most 6 bytes of JSON ("\ufffd"): the why whole */
        char why[6 * sizeof(res->checkpoint_why) + 3];
        json_text(why, sizeof(why), res->checkpoint_why);
        snprintf(buf + k - 1, size - (k - 1), ",\"checkpoint\":{\"taken\":false,\"why\":%s}}", why);
    }
}

/* Replaces the closing brace of the settings JSON in buf by a --salvage
 * run's "salvage" member: the damaged chunks skipped and the guest frames
 * that lost records to them (docs/analysis-db.md). */
/* Writes n frame ranges as JSON, "[[A,B],...]", at buf + k (k < size);
 * returns the new k (size or more when cut). */
static size_t ranges_json(char *buf, size_t size, size_t k, const uint64_t (*ranges)[2], size_t n)
{
    k += (size_t)snprintf(buf + k, size - k, "[");
    for (size_t i = 0; i < n && k < size; i++) {
        k += (size_t)snprintf(buf + k, size - k, "%s[%" PRIu64 ",%" PRIu64 "]", i ? "," : "",
                              ranges[i][0], ranges[i][1]);
    }
    return k < size ? k + (size_t)snprintf(buf + k, size - k, "]") : k;
}

static void salvage_json(char *buf, size_t size, const vgt_analyze_result *res)
{
    size_t k = strlen(buf);
    if (k == 0 || buf[k - 1] != '}') {
        return;
    }
    k--;
    k += (size_t)snprintf(
        buf + k, size - k,
        ",\"salvage\":{\"chunks_skipped\":%" PRIu64 ",\"damaged_frames\":", res->chunks_skipped);
    if (k < size) {
        k = ranges_json(buf, size, k, (const uint64_t(*)[2])res->damaged, res->ndamaged);
    }
    if (k < size) {
        k += (size_t)snprintf(buf + k, size - k, ",\"damaged_frames_all\":%s",
                              res->more_damaged ? "false" : "true");
    }
    if (res->ranged && k < size) { /* the state-only frames' apart */
        k += (size_t)snprintf(buf + k, size - k, ",\"damaged_state_frames\":");
        if (k < size) {
            k = ranges_json(buf, size, k, (const uint64_t(*)[2])res->state_damaged,
                            res->nstate_damaged);
        }
    }
    if (k < size) {
        snprintf(buf + k, size - k, "}}");
    }
}

static vgt_status store_run(vgt_analyze_db *db, const store_in *in, int64_t trace_id,
                            int64_t *run_id, uint64_t *rows, vgt_error *err)
{
    char host[256] = "?", os[400] = "?", date[32],
         settings[2048 + 2 * 48 * VGT_ANALYZE_DAMAGED_MAX];
    if (in->o->host) {
        snprintf(host, sizeof(host), "%s", in->o->host);
    } else if (gethostname(host, sizeof(host) - 1) != 0) {
        snprintf(host, sizeof(host), "?");
    }
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(os, sizeof(os), "%s %s %s", u.sysname, u.release, u.machine);
    }
    iso_date(date, sizeof(date));
    uint64_t total = 0, native = 0, overhead = 0, failed = 0;
    for (size_t i = 0; i < in->n; i++) {
        total += in->fr[i].total;
        native += in->fr[i].native;
        overhead += in->fr[i].overhead;
        failed += in->ci[i].status != VGT_OK;
    }
    in->res->commands_failed = failed;
    /* settings as JSON (the note quoted by json_text: no FILE here) */
    char note[512];
    json_text(note, sizeof(note), in->o->note);
    /* what a command's backend_ns holds depends on where the backend was waited for */
    const char *sync_name = in->vwall ? "frame" : in->sync ? "finish" : "none";
    const char *be_time = !in->async  ? "the calls (a synchronous backend)"
                          : in->vwall ? "the calls' CPU submission only (no wait per call)"
                                      : "the calls and the completion of their work";
    snprintf(settings, sizeof(settings),
             "{\"runs\":%u,\"gpu\":%s,\"native\":%s,\"backend\":\"%s\",\"sync\":\"%s\","
             "\"backend_time\":\"%s\",\"gpu_timer\":\"%s\",\"clock\":\"CLOCK_MONOTONIC\","
             "\"median\":\"per command: the replay with the median total%s\",\"note\":%s}",
             in->o->runs, in->gpu ? "true" : "false", in->native ? "true" : "false", in->backend,
             sync_name, be_time, in->gpu ? "own replay" : "none",
             in->vwall ? "; per frame: the median wall time of each side" : "", note);
    if (in->res->ranged) {
        frames_json(settings, sizeof(settings), in->res);
    }
    if (in->o->salvage) {
        salvage_json(settings, sizeof(settings), in->res);
    }
    sqlite3_stmt *s = NULL;
    vgt_status st = an_db_prepare(
        db,
        "INSERT INTO runs(trace_id, backend, host, os, date, vgt_version, settings, replays, "
        "gpu, native, native_complete, native_ops, native_failed, timer_ns, commands, frames, "
        "commands_failed, total_ns, native_ns, overhead_ns, replay_ns) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        &s, err);
    if (st != VGT_OK) {
        return st;
    }
    /* complete frames, as vgt info counts them: the trace's frame ends (of
     * the range's frames with --frames).  Not the frame rows: a complete
     * frame without commands (a salvaged trace's frame whose chunk was
     * lost) has none, and was not counted */
    uint64_t frames = in->run_frames;
    in->res->frames = frames;
    sqlite3_bind_int64(s, 1, trace_id);
    sqlite3_bind_text(s, 2, in->backend, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, host, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, os, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 6, VGT_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, settings, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 8, in->o->runs);
    sqlite3_bind_int(s, 9, in->gpu);
    sqlite3_bind_int(s, 10, in->native);
    sqlite3_bind_int(s, 11, in->native && in->res->native_complete);
    sqlite3_bind_int64(s, 12, (int64_t)in->res->native_ops);
    sqlite3_bind_int64(s, 13, (int64_t)in->res->native_failed);
    sqlite3_bind_double(s, 14, in->timer);
    sqlite3_bind_int64(s, 15, (int64_t)in->n);
    sqlite3_bind_int64(s, 16, (int64_t)frames);
    sqlite3_bind_int64(s, 17, (int64_t)failed);
    sqlite3_bind_int64(s, 18, (int64_t)total);
    bind_opt(s, 19, in->native, (int64_t)native);
    bind_opt(s, 20, in->native, (int64_t)overhead); /* sum of the commands' overheads */
    sqlite3_bind_int64(s, 21, (int64_t)in->replay_ns);
    st = step_done(db, s, "inserting the run", err);
    sqlite3_finalize(s);
    *run_id = sqlite3_last_insert_rowid(db->db);
    (*rows)++;
    return st;
}

static vgt_status store_commands(vgt_analyze_db *db, const store_in *in, int64_t run_id,
                                 uint64_t *rows, vgt_error *err)
{
    sqlite3_stmt *s = NULL;
    vgt_status st = an_db_prepare(
        db, "INSERT INTO commands VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &s, err);
    if (st != VGT_OK) {
        return st;
    }
    uint64_t first_fetch = in->n ? in->ci[0].fetch_ns : 0;
    for (size_t i = 0; i < in->n && st == VGT_OK; i++) {
        const cmd_info *c = &in->ci[i];
        const final_row *f = &in->fr[i];
        sqlite3_bind_int64(s, 1, run_id);
        sqlite3_bind_int64(s, 2, (int64_t)c->seq);
        sqlite3_bind_int64(s, 3, (int64_t)c->frame);
        sqlite3_bind_int64(s, 4, c->id);
        sqlite3_bind_int64(s, 5, c->bytes);
        sqlite3_bind_int64(s, 6, c->status);
        sqlite3_bind_int64(s, 7, (int64_t)f->decode);
        sqlite3_bind_int64(s, 8, (int64_t)c->dma_bytes);
        sqlite3_bind_int64(s, 9, (int64_t)f->dma);
        sqlite3_bind_int64(s, 10, (int64_t)f->translate);
        sqlite3_bind_int64(s, 11, (int64_t)f->backend);
        sqlite3_bind_int64(s, 12, c->ops);
        bind_opt(s, 13, f->gpu >= 0, f->gpu);
        bind_opt(s, 14, in->native, (int64_t)f->native);
        sqlite3_bind_int64(s, 15, (int64_t)f->total);
        bind_opt(s, 16, in->native, (int64_t)f->overhead);
        bind_opt(s, 17, c->queue_ns >= 0, c->queue_ns);
        bind_opt(s, 18, c->device_ns >= 0, c->device_ns);
        sqlite3_bind_int64(s, 19, (int64_t)(c->fetch_ns - first_fetch));
        sqlite3_bind_int64(s, 20, (int64_t)c->prims);
        sqlite3_bind_int64(s, 21, (int64_t)f->start);
        st = step_done(db, s, "inserting a command", err);
        (*rows)++;
        if (in->o->progress && (i & 65535u) == 0) {
            in->o->progress(in->o->progress_ctx, "store", i, in->n);
        }
    }
    sqlite3_finalize(s);
    return st;
}

static vgt_status store_frames(vgt_analyze_db *db, const store_in *in, int64_t run_id,
                               uint64_t *rows, vgt_error *err)
{
    sqlite3_stmt *s = NULL;
    vgt_status st = an_db_prepare(
        db, "INSERT INTO frames VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &s, err);
    if (st != VGT_OK) {
        return st;
    }
    size_t i = 0;
    uint32_t fi = 0; /* the frame's index: vwall, nwall */
    while (i < in->n && st == VGT_OK) {
        size_t j = i;
        group_sums g = {0};
        while (j < in->n && in->ci[j].frame == in->ci[i].frame) {
            group_add(&g, &in->ci[j], &in->fr[j]);
            j++;
        }
        bool live = g.timed == g.count; /* every command of the frame timed live */
        const cmd_info *a = &in->ci[i], *b = &in->ci[j - 1];
        int64_t live_span = live ? (int64_t)(b->fetch_ns + (uint64_t)b->queue_ns +
                                             (uint64_t)b->device_ns - a->fetch_ns)
                                 : 0;
        sqlite3_bind_int64(s, 1, run_id);
        sqlite3_bind_int64(s, 2, (int64_t)a->frame);
        sqlite3_bind_int64(s, 3, (int64_t)a->seq);
        sqlite3_bind_int64(s, 4, (int64_t)b->seq);
        sqlite3_bind_int64(s, 5, (int64_t)(j - i));
        sqlite3_bind_int64(s, 6, (int64_t)g.draws);
        sqlite3_bind_int64(s, 7, (int64_t)g.prims);
        sqlite3_bind_int64(s, 8, (int64_t)g.dma_bytes);
        sqlite3_bind_int64(s, 9, (int64_t)g.total);
        sqlite3_bind_int64(s, 10, (int64_t)g.decode);
        sqlite3_bind_int64(s, 11, (int64_t)g.dma);
        sqlite3_bind_int64(s, 12, (int64_t)g.translate);
        sqlite3_bind_int64(s, 13, (int64_t)g.backend);
        bind_opt(s, 14, g.have_gpu, (int64_t)g.gpu);
        bind_opt(s, 15, in->native, (int64_t)g.native);
        bind_opt(s, 16, in->native, (int64_t)g.overhead);
        bind_opt(s, 17, live, (int64_t)g.queue);
        bind_opt(s, 18, live, (int64_t)g.device);
        bind_opt(s, 19, live && live_span >= 0, live_span);
        sqlite3_bind_int64(s, 20, (int64_t)in->fr[i].start);
        bind_opt(s, 21, in->vwall != NULL, in->vwall ? (int64_t)in->vwall[fi] : 0);
        bind_opt(s, 22, in->vwall && in->native, in->nwall ? (int64_t)in->nwall[fi] : 0);
        bool partial = frame_partial(in, a->frame);
        sqlite3_bind_int(s, 23, partial);
        st = step_done(db, s, "inserting a frame", err);
        (*rows)++;
        in->res->partial_frames += partial;
        i = j;
        fi++;
    }
    sqlite3_finalize(s);
    return st;
}

static vgt_status store_types(vgt_analyze_db *db, const store_in *in, int64_t run_id,
                              uint64_t *rows, vgt_error *err)
{
    uint64_t *idx = malloc((in->n ? in->n : 1) * sizeof(*idx));
    uint64_t *tmp = malloc((in->n ? in->n : 1) * sizeof(*tmp));
    uint64_t *ovs = malloc((in->n ? in->n : 1) * sizeof(*ovs));
    if (!idx || !tmp || !ovs) {
        free(idx);
        free(tmp);
        free(ovs);
        return vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory for per-type figures");
    }
    uint64_t run_total = 0;
    for (size_t i = 0; i < in->n; i++) {
        idx[i] = i;
        run_total += in->fr[i].total;
    }
    g_sort.ci = in->ci;
    g_sort.fr = in->fr;
    vgt_sort(idx, in->n, sizeof(*idx), cmp_by_type_total);
    sqlite3_stmt *s = NULL, *t = NULL;
    vgt_status st = an_db_prepare(db,
                                  "INSERT INTO type_stats VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                                  "?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                  &s, err);
    if (st == VGT_OK) {
        st = an_db_prepare(db, "INSERT OR IGNORE INTO command_types VALUES(?,?,?)", &t, err);
    }
    size_t i = 0;
    while (st == VGT_OK && i < in->n) {
        uint32_t id = in->ci[idx[i]].id;
        size_t j = i;
        group_sums g = {0};
        while (j < in->n && in->ci[idx[j]].id == id) {
            const final_row *f = &in->fr[idx[j]];
            tmp[j - i] = f->total;
            ovs[j - i] = f->overhead;
            group_add(&g, &in->ci[idx[j]], f);
            j++;
        }
        uint64_t cnt = g.count, tot = g.total, nat = g.native;
        vgt_sort(ovs, cnt, sizeof(*ovs), cmp_u64);
        double ratio = 0;
        vgt_analyze_ratio_kind rk =
            in->native ? vgt_analyze_ratio(tot, (int64_t)nat, cnt, in->timer, &ratio)
                       : VGT_ANALYZE_RATIO_NONE;
        sqlite3_bind_int64(s, 1, run_id);
        sqlite3_bind_int64(s, 2, id);
        sqlite3_bind_int64(s, 3, (int64_t)cnt);
        sqlite3_bind_int64(s, 4, (int64_t)g.failed);
        sqlite3_bind_int64(s, 5, (int64_t)g.bytes);
        sqlite3_bind_int64(s, 6, (int64_t)tot);
        sqlite3_bind_double(s, 7, (double)tot / (double)cnt);
        sqlite3_bind_int64(s, 8, (int64_t)pct(tmp, cnt, 50));
        sqlite3_bind_int64(s, 9, (int64_t)pct(tmp, cnt, 95));
        sqlite3_bind_int64(s, 10, (int64_t)pct(tmp, cnt, 99));
        sqlite3_bind_int64(s, 11, (int64_t)tmp[cnt - 1]);
        sqlite3_bind_int64(s, 12, (int64_t)g.decode);
        sqlite3_bind_int64(s, 13, (int64_t)g.dma_bytes);
        sqlite3_bind_int64(s, 14, (int64_t)g.dma);
        sqlite3_bind_int64(s, 15, (int64_t)g.translate);
        sqlite3_bind_int64(s, 16, (int64_t)g.backend);
        bind_opt(s, 17, g.have_gpu, (int64_t)g.gpu);
        bind_opt(s, 18, in->native, (int64_t)nat);
        bind_opt(s, 19, in->native, (int64_t)g.overhead);
        bind_opt(s, 20, in->native, (int64_t)pct(ovs, cnt, 50));
        bind_opt(s, 21, in->native, (int64_t)pct(ovs, cnt, 95));
        bind_opt(s, 22, in->native, (int64_t)pct(ovs, cnt, 99));
        sqlite3_bind_double(s, 23, run_total ? (double)tot / (double)run_total : 0.0);
        if (rk == VGT_ANALYZE_RATIO_OK) {
            sqlite3_bind_double(s, 24, ratio);
        } else {
            sqlite3_bind_null(s, 24);
        }
        sqlite3_bind_int(s, 25, rk == VGT_ANALYZE_RATIO_BELOW);
        bind_opt(s, 26, g.timed == cnt, (int64_t)g.queue);
        bind_opt(s, 27, g.timed == cnt, (int64_t)g.device);
        sqlite3_bind_int64(s, 28, (int64_t)g.prims);
        st = step_done(db, s, "inserting per-type figures", err);
        (*rows)++;
        if (st == VGT_OK) {
            sqlite3_bind_int64(t, 1, id);
            sqlite3_bind_text(t, 2, vgt_cmd_name(id), -1, SQLITE_STATIC);
            sqlite3_bind_text(t, 3, cmd_kind(id), -1, SQLITE_STATIC);
            st = step_done(db, t, "inserting a command type", err);
            (*rows)++;
        }
        i = j;
    }
    sqlite3_finalize(s);
    sqlite3_finalize(t);
    free(idx);
    free(tmp);
    free(ovs);
    return st;
}

/* Draws grouped by primitive count: [0], [1], [2,3], [4,7], ... */
static vgt_status store_batches(vgt_analyze_db *db, const store_in *in, int64_t run_id,
                                uint64_t *rows, vgt_error *err)
{
    enum { NB = 34 };
    uint64_t draws[NB] = {0}, prims[NB] = {0}, tot[NB] = {0}, nat[NB] = {0}, ov[NB] = {0};
    for (size_t i = 0; i < in->n; i++) {
        if (in->ci[i].id != VGT_SVGA3D_CMD_DRAW_PRIMITIVES) {
            continue;
        }
        uint64_t p = in->ci[i].prims;
        int b = 0;
        while (b < NB - 1 && p >= (1ull << b)) {
            b++;
        }
        draws[b]++;
        prims[b] += p;
        tot[b] += in->fr[i].total;
        nat[b] += in->fr[i].native;
        ov[b] += in->fr[i].overhead;
    }
    sqlite3_stmt *s = NULL;
    vgt_status st =
        an_db_prepare(db, "INSERT INTO batch_stats VALUES(?,?,?,?,?,?,?,?,?,?)", &s, err);
    for (int b = 0; b < NB && st == VGT_OK; b++) {
        if (!draws[b]) {
            continue;
        }
        int64_t lo = b == 0 ? 0 : (int64_t)(1ull << (b - 1));
        int64_t hi = b == 0 ? 0 : (int64_t)((1ull << b) - 1);
        double ratio = 0;
        vgt_analyze_ratio_kind rk =
            in->native ? vgt_analyze_ratio(tot[b], (int64_t)nat[b], draws[b], in->timer, &ratio)
                       : VGT_ANALYZE_RATIO_NONE;
        sqlite3_bind_int64(s, 1, run_id);
        sqlite3_bind_int64(s, 2, lo);
        sqlite3_bind_int64(s, 3, hi);
        sqlite3_bind_int64(s, 4, (int64_t)draws[b]);
        sqlite3_bind_int64(s, 5, (int64_t)prims[b]);
        sqlite3_bind_int64(s, 6, (int64_t)tot[b]);
        bind_opt(s, 7, in->native, (int64_t)nat[b]);
        bind_opt(s, 8, in->native, (int64_t)ov[b]);
        if (rk == VGT_ANALYZE_RATIO_OK) {
            sqlite3_bind_double(s, 9, ratio);
        } else {
            sqlite3_bind_null(s, 9);
        }
        sqlite3_bind_int(s, 10, rk == VGT_ANALYZE_RATIO_BELOW);
        st = step_done(db, s, "inserting batch figures", err);
        (*rows)++;
    }
    sqlite3_finalize(s);
    return st;
}

/* Whether trace_id's surfaces and shaders are still to be stored: only
 * --frames runs of it were stored (a range's replay stops at its last
 * frame, so it stores none), and a run of every frame stores them. */
static vgt_status objects_missing(vgt_analyze_db *db, int64_t trace_id, bool *missing,
                                  vgt_error *err)
{
    sqlite3_stmt *s = NULL;
    vgt_status st =
        an_db_prepare(db,
                      "SELECT 1 FROM runs WHERE trace_id=? AND NOT (json_valid(settings) "
                      "AND json_type(settings, '$.frames') IS NOT NULL) LIMIT 1",
                      &s, err);
    if (st != VGT_OK) {
        return st;
    }
    sqlite3_bind_int64(s, 1, trace_id);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return an_db_error(db, "reading the trace's runs", err);
    }
    *missing = rc == SQLITE_DONE;
    return VGT_OK;
}

/* traces.dma_bytes of trace_id from a run of every frame (in). */
static vgt_status update_trace_dma(vgt_analyze_db *db, const store_in *in, int64_t trace_id,
                                   vgt_error *err)
{
    uint64_t dma = trace_dma(in);
    sqlite3_stmt *s = NULL;
    vgt_status st = an_db_prepare(db, "UPDATE traces SET dma_bytes=? WHERE trace_id=?", &s, err);
    if (st != VGT_OK) {
        return st;
    }
    sqlite3_bind_int64(s, 1, (int64_t)dma);
    sqlite3_bind_int64(s, 2, trace_id);
    st = step_done(db, s, "updating the trace", err);
    sqlite3_finalize(s);
    return st;
}

static vgt_status store_all(vgt_analyze_db *db, const store_in *in, vgt_error *err)
{
    vgt_analyze_result *res = in->res;
    uint64_t rows = 0;
    vgt_status st = an_db_exec(db, "BEGIN IMMEDIATE", err);
    if (st != VGT_OK) {
        return st;
    }
    /* A run is added only to an intact file: writing into damaged pages can
     * spread the damage over the runs still readable. */
    if ((st = an_db_check_intact(db, err)) != VGT_OK) {
        an_db_exec(db, "ROLLBACK", NULL);
        return st;
    }
    uint64_t t0 = vgt_now_ns();
    bool is_new = false;
    st = store_trace(db, in, &res->trace_id, &is_new, &rows, err);
    bool objects = false;
    if (st == VGT_OK && in->whole) {
        objects = is_new;
        if (!is_new) {
            st = objects_missing(db, res->trace_id, &objects, err);
        }
    }
    if (st == VGT_OK && objects) {
        st = store_surfaces(db, in, res->trace_id, &rows, err);
    }
    if (st == VGT_OK && objects && !is_new) {
        /* the trace's row came from a --frames run, whose replay stopped
         * at its last frame: the guest memory read by every command is this
         * run's to say */
        st = update_trace_dma(db, in, res->trace_id, err);
    }
    if (st == VGT_OK) {
        st = store_run(db, in, res->trace_id, &res->run_id, &rows, err);
    }
    if (st == VGT_OK) {
        st = store_commands(db, in, res->run_id, &rows, err);
    }
    if (st == VGT_OK) {
        st = store_frames(db, in, res->run_id, &rows, err);
    }
    if (st == VGT_OK) {
        st = store_types(db, in, res->run_id, &rows, err);
    }
    if (st == VGT_OK) {
        st = store_batches(db, in, res->run_id, &rows, err);
    }
    if (st != VGT_OK) {
        an_db_exec(db, "ROLLBACK", NULL);
        return st;
    }
    if ((st = an_db_exec(db, "COMMIT", err)) != VGT_OK) {
        return st;
    }
    res->rows = rows;
    res->insert_ns = vgt_now_ns() - t0;
    res->insert_rows_per_s = res->insert_ns ? (double)rows * 1e9 / (double)res->insert_ns : 0;
    res->commands = in->n;
    /* The rate is part of the run's record. */
    sqlite3_stmt *s = NULL;
    st = an_db_prepare(db,
                       "UPDATE runs SET insert_rows=?, insert_ns=?, insert_rows_per_s=? WHERE "
                       "run_id=?",
                       &s, err);
    if (st == VGT_OK) {
        sqlite3_bind_int64(s, 1, (int64_t)rows);
        sqlite3_bind_int64(s, 2, (int64_t)res->insert_ns);
        sqlite3_bind_double(s, 3, res->insert_rows_per_s);
        sqlite3_bind_int64(s, 4, res->run_id);
        st = step_done(db, s, "updating the run", err);
        sqlite3_finalize(s);
    }
    return st;
}

/* ---- the analysis ------------------------------------------------------------------------ */

/* After the recording replay (--sync frame): each command's frame index (frames are
 * runs of equal frame numbers, as the frames table groups them) and the timed
 * replays' per-frame spans. */
static vgt_status frame_index(actx *a, vgt_error *err)
{
    a->frame_of = malloc((a->nci ? a->nci : 1) * sizeof(*a->frame_of));
    a->vwall = calloc(a->o->runs, sizeof(*a->vwall));
    if (!a->frame_of || !a->vwall) {
        return vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory for the frames");
    }
    uint64_t n = 0;
    for (size_t i = 0; i < a->nci; i++) {
        n += i == 0 || a->ci[i].frame != a->ci[i - 1].frame;
        if (n > UINT32_MAX - 1) { /* UINT32_MAX: no frame (an_frame_clock) */
            return vgt_error_set(err, VGT_E_RANGE, "analyze: more than 2^32-2 frames");
        }
        a->frame_of[i] = (uint32_t)(n - 1);
    }
    a->nframes = (uint32_t)n;
    for (uint32_t k = 0; k < a->o->runs; k++) {
        a->vwall[k] = calloc(n ? n : 1, sizeof(uint64_t));
        if (!a->vwall[k]) {
            return vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory for the frames");
        }
    }
    return VGT_OK;
}

/* --frames: the guest frames the run covers into res (ranged, range_first,
 * range_last): first as asked (0: the trace's start frame), the last the
 * range's, or the trace's last frame (the last complete one, or the partial
 * frame of the last command replayed, last_cmd_frame when any) when the
 * range runs past it. */
static void range_of(const vgt_analyze_options *o, uint64_t start, uint64_t complete_end,
                     uint64_t last_cmd_frame, bool any_cmd, vgt_analyze_result *res)
{
    uint64_t trace_last = complete_end > start ? complete_end - 1u : start;
    if (any_cmd && last_cmd_frame > trace_last) {
        trace_last = last_cmd_frame;
    }
    res->ranged = true;
    res->range_first = o->first_frame > start ? o->first_frame : start;
    res->range_last = o->last_frame < trace_last ? o->last_frame : trace_last;
}

/* The complete frames (those a FRAME_END ended: below complete_end) of
 * res's range. */
static uint64_t range_complete_frames(const vgt_analyze_result *res, uint64_t complete_end)
{
    uint64_t end = res->range_last < complete_end ? res->range_last + 1u : complete_end;
    return end > res->range_first ? end - res->range_first : 0;
}

/* The median of column i of rows[0..runs-1] (tmp: runs entries). */
static uint64_t median_of(uint64_t *const *rows, uint32_t runs, size_t i, uint64_t *tmp)
{
    for (uint32_t k = 0; k < runs; k++) {
        tmp[k] = rows[k][i];
    }
    vgt_sort(tmp, runs, sizeof(*tmp), cmp_u64);
    return tmp[(runs - 1) / 2];
}

static int cmp_u32_total(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* --frames A-B: the state at A as a checkpoint (docs/analysis-db.md, "A
 * range's checkpoint").  The frames before A used to be replayed for their
 * state in the recording replay, each timed replay and the GPU one, and
 * their calls re-issued in each native run: some 8 whole replays for a
 * range near a long trace's end.  vgt trim's trace of A..B (the state at A
 * as a SNAPSHOT, what a capture started at A holds, then A..B's records as
 * they are) costs one replay to A; every replay and re-issue then starts
 * from the snapshot, as they do for a capture started mid-run.  Written
 * under $TMPDIR and removed after the replays. */
typedef struct an_checkpoint {
    char dir[4096], path[4096 + 16];
} an_checkpoint;

static void checkpoint_drop(an_checkpoint *c)
{
    if (c->path[0]) {
        unlink(c->path);
        c->path[0] = 0;
    }
    if (c->dir[0]) {
        rmdir(c->dir);
        c->dir[0] = 0;
    }
}

/* The checkpoint's trim reported as the analysis's phase "checkpoint", in
 * frames: the frames before A replayed of all of them; the copy of A..B
 * that follows reads as all done. */
typedef struct checkpoint_progress {
    const vgt_analyze_options *o;
    uint64_t start, total;
} checkpoint_progress;

static void on_trim_progress(void *ctx, bool copying, uint64_t frame)
{
    (void)copying;
    const checkpoint_progress *p = ctx;
    uint64_t done = frame < p->start ? 0 : frame - p->start + 1u; /* A..B: past total */
    p->o->progress(p->o->progress_ctx, "checkpoint", done < p->total ? done : p->total, p->total);
}

/* Takes the checkpoint of o's range of `in` into c (res->checkpoint and its
 * counts), or says in res->checkpoint_why why not: the run then replays
 * the frames before A as it did, and reports any error of the range as
 * vgt replay --frames does (the trim's own refusals are not errors). */
static void checkpoint_take(const char *in, const vgt_analyze_options *o, an_checkpoint *c,
                            vgt_analyze_result *res)
{
    memset(c, 0, sizeof(*c));
    if (o->salvage) {
        /* a damaged frame before A moves trim's start or its state (docs/cli.md) */
        snprintf(res->checkpoint_why, sizeof(res->checkpoint_why),
                 "--salvage: the frames before A are replayed whatever their damage");
        return;
    }
    vgt_trace_reader_options tro;
    vgt_trace_reader_options_init(&tro);
    vgt_trace_reader *rd = NULL;
    vgt_error e = {0};
    if (vgt_trace_reader_open(in, &tro, &rd, &e) != VGT_OK) {
        snprintf(res->checkpoint_why, sizeof(res->checkpoint_why), "%.190s", e.message);
        return;
    }
    uint64_t start = vgt_trace_reader_header(rd)->start_frame;
    vgt_trace_info info;
    vgt_trace_reader_info(rd, &info);
    vgt_trace_reader_close(rd);
    if (o->first_frame <= start) {
        snprintf(res->checkpoint_why, sizeof(res->checkpoint_why),
                 "the range starts at the trace's first frame: no state before it");
        return;
    }
    if (info.complete_frames == 0 || o->first_frame - start >= info.complete_frames) {
        snprintf(res->checkpoint_why, sizeof(res->checkpoint_why),
                 "frame %" PRIu64 " is not a complete frame of the trace", o->first_frame);
        return;
    }
    /* (saturated: a hostile start frame cannot wrap it below A) */
    uint64_t last_complete = info.complete_frames - 1u > UINT64_MAX - start
                                 ? UINT64_MAX
                                 : start + info.complete_frames - 1u;
    const char *tmp = getenv("TMPDIR");
    snprintf(c->dir, sizeof(c->dir), "%s/vgt-analyze-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(c->dir)) {
        snprintf(res->checkpoint_why, sizeof(res->checkpoint_why),
                 "no scratch directory under %s: %s", tmp && *tmp ? tmp : "/tmp", strerror(errno));
        c->dir[0] = 0;
        return;
    }
    snprintf(c->path, sizeof(c->path), "%s/range.vgt", c->dir);
    /* B past the last complete frame (A-, or the partial frame asked):
     * the partial frame after it too, as the replayer's range holds it */
    vgt_trim_options to = {.first_frame = o->first_frame,
                           .last_frame =
                               o->last_frame < last_complete ? o->last_frame : last_complete,
                           .keep_tail = o->last_frame > last_complete,
                           .backend = o->backend,
                           /* a scratch file read once a replay: fast over small */
                           .set_compression_level = true,
                           .compression_level = 1};
    checkpoint_progress cp = {.o = o, .start = start, .total = o->first_frame - start};
    if (o->progress) {
        to.progress = on_trim_progress;
        to.ctx = &cp;
    }
    vgt_trim_stats ts;
    vgt_status st = vgt_trim(in, c->path, &to, &ts, &e);
    if (st != VGT_OK || !ts.snapshot || ts.first_frame != o->first_frame) {
        snprintf(res->checkpoint_why, sizeof(res->checkpoint_why), "vgt trim: %.180s",
                 st != VGT_OK ? e.message : "no snapshot at frame A");
        checkpoint_drop(c);
        return;
    }
    res->checkpoint = true;
    res->checkpoint_commands = ts.commands_replayed;
    res->checkpoint_frames = ts.frames_replayed;
    res->checkpoint_bytes = ts.snapshot_bytes;
    res->checkpoint_ns = ts.ns;
}

vgt_status vgt_analyze_trace(vgt_analyze_db *db, const char *path, const vgt_analyze_options *opt,
                             vgt_analyze_result *res, vgt_error *err)
{
    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_AS_CAPTURED, .runs = 3};
    if (opt) {
        o = *opt;
    }
    if (o.runs == 0) {
        o.runs = 3;
    }
    if (o.runs > 1000) {
        return vgt_error_set(err, VGT_E_INVALID, "analyze: %u runs (at most 1000)", o.runs);
    }
    if (o.sync != VGT_ANALYZE_SYNC_FINISH && o.sync != VGT_ANALYZE_SYNC_FRAME) {
        return vgt_error_set(err, VGT_E_INVALID, "analyze: unknown sync mode %d", (int)o.sync);
    }
    vgt_analyze_result local;
    if (!res) {
        res = &local;
    }
    memset(res, 0, sizeof(*res));

    actx a = {.o = &o, .timer = calibrate_timer()};
    res->timer_ns = a.timer;
    a.w = an_wrap_new();
    a.ph = calloc(o.runs, sizeof(*a.ph));
    uint64_t **native = calloc(o.runs, sizeof(*native));
    uint64_t **nwall = calloc(o.runs, sizeof(*nwall)); /* --sync frame: [run][frame index] */
    uint64_t *vmed = NULL, *nmed = NULL;               /* their medians per frame */
    final_row *fr = NULL;
    uint64_t *replay_ns = calloc(o.runs, sizeof(*replay_ns));
    uint64_t *state_ns = calloc(o.runs, sizeof(*state_ns)); /* --frames: before the range */
    vgt_replayer *r = NULL;
    an_checkpoint cp = {0}; /* --frames: the state at A, when taken */
    vgt_status st = VGT_OK;
    if (!a.w || !a.ph || !native || !nwall || !replay_ns || !state_ns) {
        st = vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory");
        goto out;
    }
    a.frame_sync = o.sync == VGT_ANALYZE_SYNC_FRAME;
    an_wrap_set_frame_sync(a.w, a.frame_sync); /* before the replayer installs it */
    vgt_replay_instrument ins = {.ctx = &a,
                                 .wrap_backend = cb_wrap,
                                 .cmd_begin = cb_begin,
                                 .cmd_end = cb_end,
                                 .range_only = o.frames};
    /* --frames: the replayer replays the frames before the range for their
     * state and stops after its last, as vgt replay --frames does; those
     * frames run without the per-command hooks and clock reads (range_only)
     * and their backend calls untimed (an_wrap_set_untimed until cb_start):
     * the recording replay logs their calls for no command, which the native
     * re-issue makes untimed to build the same state, as a snapshot's */
    vgt_replayer_options ro = {.backend = o.backend,
                               .salvage = o.salvage,
                               .first_frame = o.frames ? o.first_frame : 0,
                               .last_frame = o.frames ? o.last_frame : UINT64_MAX,
                               .compose = false,
                               .instrument = &ins,
                               .on_command_start = cb_start,
                               .ctx = &a};
    if (o.frames) {
        checkpoint_take(path, &o, &cp, res);
    }
    if ((st = vgt_replayer_open(res->checkpoint ? cp.path : path, &ro, &r, err)) != VGT_OK) {
        goto out;
    }
    vgt_backend_kind kind = (vgt_backend_kind)vgt_replayer_backend(r);
    a.gpu = o.gpu && an_wrap_has_gpu_time(a.w);
    res->synced = an_wrap_synced(a.w);

    uint32_t last_run = o.runs + (a.gpu ? 1 : 0); /* the GPU replay after the timed ones */
    uint64_t untimed_under_gpu = 0; /* the recording replay's calls under the GPU timer */
    for (uint32_t run = 0; run <= last_run; run++) {
        a.run = run;
        a.n = 0;
        an_wrap_set_recording(a.w, run == 0);
        if (run > o.runs) {
            a.gpu_run = true;
            a.gpu_ns = malloc((a.nci ? a.nci : 1) * sizeof(*a.gpu_ns));
            if (!a.gpu_ns) {
                st = vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory for %zu commands",
                                   a.nci);
                goto out;
            }
            memset(a.gpu_ns, 0xff, (a.nci ? a.nci : 1) * sizeof(*a.gpu_ns)); /* NONE_U32 */
            snprintf(a.phase, sizeof(a.phase), "gpu");
            /* cb_start starts the timer, so that the first command is timed as the others */
        } else if (run > 0) {
            a.ph[run - 1] = calloc(a.nci ? a.nci : 1, sizeof(phases));
            if (!a.ph[run - 1]) {
                st = vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory for %zu commands",
                                   a.nci);
                goto out;
            }
            snprintf(a.phase, sizeof(a.phase), "replay %u/%u", run, o.runs);
        } else {
            snprintf(a.phase, sizeof(a.phase), "record");
        }
        uint64_t finishes = an_wrap_finishes(a.w);
        uint64_t ops_timed0, ops_untimed0;
        an_wrap_op_counts(a.w, &ops_timed0, &ops_untimed0);
        a.in_range = false;
        an_wrap_set_untimed(a.w, o.frames); /* until the range's first command */
        vgt_replay_stats rs;
        st = vgt_replayer_run(r, &rs, err);
        uint64_t range_ns = a.in_range ? vgt_now_ns() - a.range_t0 : 0;
        an_wrap_set_untimed(a.w, false);
        if (st != VGT_OK) {
            /* a damaged chunk stopped it: kept for the caller to name */
            if (!o.salvage) {
                keep_problems(vgt_replayer_reader(r), 0, res);
            }
            goto out;
        }
        if (a.frame_sync && run > 0 && run <= o.runs) {
            res->frame_finishes_virtual += an_wrap_finishes(a.w) - finishes;
        }
        if (a.nomem) {
            st = vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory recording commands");
            goto out;
        }
        if (run == 0) {
            a.total = a.nci;
            untimed_under_gpu = an_wrap_timed_under_gpu_timer(a.w);
            if (a.frame_sync && (st = frame_index(&a, err)) != VGT_OK) {
                goto out;
            }
        } else {
            if (run <= o.runs) {
                /* --frames: the range's replay, from its first command to
                 * the end; the state-only frames' part apart */
                range_ns = range_ns < rs.ns ? range_ns : rs.ns;
                replay_ns[run - 1] = o.frames ? range_ns : rs.ns;
                state_ns[run - 1] = o.frames ? rs.ns - range_ns : 0;
                uint64_t ops_timed, ops_untimed;
                an_wrap_op_counts(a.w, &ops_timed, &ops_untimed);
                res->commands_timed = rs.commands_timed;
                res->state_commands = rs.commands - rs.commands_timed;
                res->calls_timed = ops_timed - ops_timed0;
                res->state_calls = ops_untimed - ops_untimed0;
                res->calls_under_gpu_timer = an_wrap_timed_under_gpu_timer(a.w) - untimed_under_gpu;
            }
            if (a.mismatch || a.n != a.nci) {
                st = vgt_error_set(err, VGT_E_STATE,
                                   "analyze: replay %u executed %" PRIu64
                                   " commands, the first %zu (not deterministic?)",
                                   run, a.n, a.nci);
                goto out;
            }
        }
    }
    vgt_replayer_close(r); /* its backend first: a native backend may need the device (gl) */
    r = NULL;
    checkpoint_drop(&cp); /* the native re-issues replay the calls logged */

    /* native re-issues */
    bool do_native = !o.no_native; /* an incomplete log still gives a (flagged) figure */
    res->native_complete = an_wrap_log_complete(a.w);
    res->native_ops = an_wrap_logged_ops(a.w);
    vgt_backend nbe = {0};
    if (do_native) {
        if ((st = vgt_backend_create(kind, NULL, &nbe, err)) != VGT_OK) {
            vgt_error_prefix(err, "analyze: native backend");
            goto out;
        }
        /* a warm-up re-issue first (lazy allocations, threads, caches), not counted;
         * with --sync frame it syncs per frame too, as the timed ones */
        uint64_t *warm = calloc(a.nci ? a.nci : 1, sizeof(uint64_t));
        uint64_t *warm_frames = calloc(a.nframes ? a.nframes : 1, sizeof(uint64_t));
        an_frame_clock fc = {.frame_of = a.frame_of, .frame_ns = warm_frames};
        uint64_t failed = 0;
        if (!warm || !warm_frames) {
            free(warm);
            free(warm_frames);
            vgt_backend_destroy(&nbe);
            st = vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory (native)");
            goto out;
        }
        st = an_wrap_native_run(a.w, &nbe, 0, warm, a.nci, a.frame_sync ? &fc : NULL, &failed, err);
        free(warm);
        free(warm_frames);
        fc = (an_frame_clock){.frame_of = a.frame_of};
        for (uint32_t k = 0; k < o.runs && st == VGT_OK; k++) {
            native[k] = calloc(a.nci ? a.nci : 1, sizeof(uint64_t));
            nwall[k] = calloc(a.nframes ? a.nframes : 1, sizeof(uint64_t));
            if (!native[k] || !nwall[k]) {
                st = vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory (native)");
                break;
            }
            if (o.progress) {
                char ph[32];
                snprintf(ph, sizeof(ph), "native %u/%u", k + 1, o.runs);
                o.progress(o.progress_ctx, ph, 0, a.nci);
            }
            fc.frame_ns = nwall[k];
            st = an_wrap_native_run(a.w, &nbe, (uint64_t)(a.timer + 0.5), native[k], a.nci,
                                    a.frame_sync ? &fc : NULL, &failed, err);
            res->native_failed = failed;
            res->native_state_calls = an_wrap_native_untimed(a.w);
        }
        res->frames_timed_native = fc.spans;
        res->frame_finishes_native = fc.finishes;
        vgt_backend_destroy(&nbe);
        if (st != VGT_OK) {
            goto out;
        }
    }

    /* per command: the replay with the median total; native: the median */
    fr = calloc(a.nci ? a.nci : 1, sizeof(*fr));
    if (!fr) {
        st = vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory");
        goto out;
    }
    uint64_t(*pick)[2] = malloc(o.runs * sizeof(*pick));
    uint64_t *nv = malloc(o.runs * sizeof(*nv));
    if (!pick || !nv) {
        free(pick);
        free(nv);
        st = vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory");
        goto out;
    }
    /* the first command stored: the range's (ci is in replay order, its
     * frames ascending); before it the state-only frames' */
    size_t lo = 0;
    while (o.frames && lo < a.nci && a.ci[lo].frame < o.first_frame) {
        lo++;
    }
    uint64_t clock = 0;
    for (size_t i = 0; i < a.nci; i++) {
        for (uint32_t k = 0; k < o.runs; k++) {
            const phases *p = &a.ph[k][i];
            pick[k][0] = (uint64_t)p->decode + p->dma + p->translate + p->backend;
            pick[k][1] = k;
        }
        vgt_sort(pick, o.runs, sizeof(*pick), cmp_u32_total);
        const phases *p = &a.ph[pick[(o.runs - 1) / 2][1]][i];
        final_row *f = &fr[i];
        f->decode = p->decode;
        f->dma = p->dma;
        f->translate = p->translate;
        f->backend = p->backend;
        f->total = f->decode + f->dma + f->translate + f->backend;
        f->gpu = !a.gpu_ns || a.gpu_ns[i] == NONE_U32 ? -1 : (int64_t)a.gpu_ns[i];
        if (do_native) {
            f->native = median_of(native, o.runs, i, nv);
        }
        f->overhead = f->total > f->native ? f->total - f->native : 0;
        f->start = clock; /* the run's timeline starts at its first stored command */
        clock += i >= lo ? f->total : 0;
    }
    if (a.frame_sync) { /* per frame: each side's median wall time */
        vmed = calloc(a.nframes ? a.nframes : 1, sizeof(*vmed));
        nmed = calloc(a.nframes ? a.nframes : 1, sizeof(*nmed));
        if (!vmed || !nmed) {
            free(pick);
            free(nv);
            st = vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory");
            goto out;
        }
        for (uint32_t f = 0; f < a.nframes; f++) {
            vmed[f] = median_of(a.vwall, o.runs, f, nv);
            nmed[f] = do_native ? median_of(nwall, o.runs, f, nv) : 0;
        }
        res->frames_timed_virtual = a.spans;
    }
    free(pick);
    free(nv);
    vgt_sort(replay_ns, o.runs, sizeof(*replay_ns), cmp_u64);
    res->replay_ns = replay_ns[(o.runs - 1) / 2];
    vgt_sort(state_ns, o.runs, sizeof(*state_ns), cmp_u64);
    res->state_ns = state_ns[(o.runs - 1) / 2];

    trace_scan scan;
    if ((st = scan_trace(path, o.salvage, a.ci, a.nci, &scan, res, err)) != VGT_OK) {
        goto out;
    }
    /* the trace header again, for the traces row */
    vgt_trace_reader_options tro;
    vgt_trace_reader_options_init(&tro);
    vgt_trace_reader *rd = NULL;
    if ((st = vgt_trace_reader_open(path, &tro, &rd, err)) != VGT_OK) {
        goto out;
    }
    vgt_trace_info info;
    vgt_trace_reader_info(rd, &info);
    res->trace_incomplete = !info.footer_present;
    res->trace_chunks = info.chunks;
    vgt_trace_device_config cfg;
    const vgt_trace_header *hdr = vgt_trace_reader_header(rd);
    if ((st = vgt_trace_devcfg_parse(hdr->device_config, hdr->device_config_size, &cfg, err)) !=
        VGT_OK) {
        vgt_trace_reader_close(rd);
        goto out;
    }
    if (o.progress) {
        o.progress(o.progress_ctx, "store", 0, a.nci);
    }
    if (!o.frames) { /* a range run stores no shader (and its state frames' look a snapshot's) */
        name_snapshot_shaders(path, a.w);
    }
    uint64_t complete_end = complete_end_of(hdr->start_frame, scan.frames);
    uint64_t run_frames = scan.frames;
    if (o.frames) {
        range_of(&o, hdr->start_frame, complete_end, a.nci ? a.ci[a.nci - 1].frame : 0, a.nci > 0,
                 res);
        run_frames = range_complete_frames(res, complete_end);
        range_damaged(res);
    }
    uint32_t frame_lo = a.frame_sync && lo < a.nci ? a.frame_of[lo] : 0;
    store_in in = {.path = path,
                   .o = &o,
                   .hdr = hdr,
                   .cfg = &cfg,
                   .backend = vgt_backend_kind_name(kind),
                   .ci = a.ci + lo,
                   .n = a.nci - lo,
                   .fr = fr + lo,
                   .all_ci = a.ci,
                   .all_n = a.nci,
                   .run_frames = run_frames,
                   .whole = !o.frames,
                   .native = do_native,
                   .gpu = a.gpu,
                   .sync = res->synced,
                   .vwall = vmed ? vmed + frame_lo : NULL,
                   .nwall = do_native && nmed ? nmed + frame_lo : NULL,
                   .async = an_wrap_has_finish(a.w),
                   .scan = &scan,
                   .complete_end = complete_end,
                   .w = a.w,
                   .timer = a.timer,
                   .replay_ns = res->replay_ns,
                   .file_size = info.file_size,
                   .res = res};
    st = store_all(db, &in, err);
    vgt_trace_reader_close(rd);
    if (st == VGT_OK && o.progress) {
        o.progress(o.progress_ctx, "done", a.nci, a.nci);
    }
out:
    vgt_replayer_close(r);
    an_wrap_free(a.w);
    if (a.ph) {
        for (uint32_t k = 0; k < o.runs; k++) {
            free(a.ph[k]);
        }
    }
    if (native) {
        for (uint32_t k = 0; k < o.runs; k++) {
            free(native[k]);
        }
    }
    if (nwall) {
        for (uint32_t k = 0; k < o.runs; k++) {
            free(nwall[k]);
        }
    }
    if (a.vwall) {
        for (uint32_t k = 0; k < o.runs; k++) {
            free(a.vwall[k]);
        }
    }
    free(nwall);
    free(a.vwall);
    free(a.frame_of);
    free(vmed);
    free(nmed);
    free(a.ph);
    free(a.gpu_ns);
    free(native);
    free(fr);
    free(replay_ns);
    free(state_ns);
    free(a.ci);
    checkpoint_drop(&cp);
    return st;
}

/* ---- a synthetic run through the store (for the profiler's tests and benchmark) ----------
 * Separate from the analysis: builds command rows of a plausible frame mix (state,
 * uploads, draws, CLEAR, PRESENT, FENCE) from a deterministic generator and stores them
 * with store_all, so the rows, frames and aggregates are exactly what a real run stores. */

static uint64_t synth_next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

vgt_status vgt_analyze_store_synthetic(vgt_analyze_db *db, uint64_t commands,
                                       uint32_t commands_per_frame, uint64_t seed,
                                       vgt_analyze_result *res, vgt_error *err)
{
    if (commands == 0 || commands_per_frame < 4 || commands > (1ull << 32)) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "synthetic run: need 1..2^32 commands and >= 4 per frame");
    }
    memset(res, 0, sizeof(*res));
    cmd_info *ci = calloc(commands, sizeof(*ci));
    final_row *fr = calloc(commands, sizeof(*fr));
    an_wrap *w = an_wrap_new();
    if (!ci || !fr || !w) {
        free(ci);
        free(fr);
        an_wrap_free(w);
        return vgt_error_set(err, VGT_E_NOMEM, "synthetic run: out of memory");
    }
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 88172645463325252ull;
    uint64_t clock = 0;
    for (uint64_t i = 0; i < commands; i++) {
        uint64_t f = i / commands_per_frame, k = i % commands_per_frame;
        uint64_t r = synth_next(&x);
        uint32_t id;
        uint64_t be = 0, nat = 0, prims = 0, dmab = 0;
        if (k == 0) {
            id = VGT_SVGA3D_CMD_CLEAR;
            be = 20000 + r % 40000;
        } else if (k == commands_per_frame - 2) {
            id = VGT_SVGA3D_CMD_PRESENT;
            be = 30000 + r % 20000;
        } else if (k == commands_per_frame - 1) {
            id = VGT_SVGA_CMD_FENCE;
        } else {
            static const uint32_t mix[8] = {
                VGT_SVGA3D_CMD_DRAW_PRIMITIVES, VGT_SVGA3D_CMD_SETRENDERSTATE,
                VGT_SVGA3D_CMD_DRAW_PRIMITIVES, VGT_SVGA3D_CMD_SETTRANSFORM,
                VGT_SVGA3D_CMD_SURFACE_DMA,     VGT_SVGA3D_CMD_SETTEXTURESTATE,
                VGT_SVGA3D_CMD_DRAW_PRIMITIVES, VGT_SVGA3D_CMD_SETTRANSFORM};
            id = mix[k % 8];
            if (id == VGT_SVGA3D_CMD_DRAW_PRIMITIVES) {
                prims = 1u << (r % 12);
                be = 2000 + prims * 40 + r % 3000;
            } else if (id == VGT_SVGA3D_CMD_SURFACE_DMA) {
                dmab = 4096u << (r % 6);
                be = 500 + dmab / 8;
            }
        }
        nat = be ? be - be / (4 + r % 8) : 0;
        ci[i] = (cmd_info){.seq = i,
                           .frame = f,
                           .fetch_ns = i * 1500,
                           .dma_bytes = dmab,
                           .prims = prims,
                           .id = id,
                           .bytes = 8 + (uint32_t)(r % 64) * 4,
                           .ops = be ? 1 : 0,
                           .status = VGT_OK,
                           .executed = id != VGT_SVGA_CMD_FENCE,
                           .queue_ns = (int64_t)(r % 9000),
                           .device_ns = (int64_t)(be + 300)};
        final_row *o = &fr[i];
        o->decode = 80 + (r >> 20) % 400;
        o->dma = dmab ? dmab / 16 : 0;
        o->translate = id == VGT_SVGA_CMD_FENCE ? 0 : 200 + (r >> 30) % 1500;
        o->backend = be;
        o->total = o->decode + o->dma + o->translate + o->backend;
        o->native = nat;
        o->overhead = o->total > nat ? o->total - nat : 0;
        o->gpu = -1;
        o->start = clock;
        clock += o->total;
    }
    char proto[] = "svga2";
    vgt_trace_header hdr = {.protocol_id = VGT_SVGA_TRACE_PROTOCOL_ID,
                            .creator = "vgt synthetic",
                            .start_time_ns = seed + 1};
    memcpy(hdr.protocol_name, proto, sizeof(proto));
    vgt_trace_device_config cfg = {.flags = VGT_TRACE_DEVCFG_F_3D, .backend_3d = VGT_BACKEND_NULL};
    /* a last frame cut short of its PRESENT and FENCE (commands not a multiple
     * of commands_per_frame) is partial, as a capture's teardown is */
    uint64_t complete = commands / commands_per_frame;
    trace_scan scan = {.records = commands, .commands = commands, .frames = complete};
    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_NULL, .runs = 1, .note = "synthetic"};
    char path[64];
    snprintf(path, sizeof(path), "synthetic-%" PRIu64 "-%" PRIu64, commands, seed);
    store_in in = {.path = path,
                   .o = &o,
                   .hdr = &hdr,
                   .cfg = &cfg,
                   .backend = "null",
                   .ci = ci,
                   .n = commands,
                   .fr = fr,
                   .all_ci = ci,
                   .all_n = commands,
                   .run_frames = complete,
                   .whole = true,
                   .native = true,
                   .scan = &scan,
                   .complete_end = complete,
                   .w = w,
                   .timer = 20.0,
                   .replay_ns = clock,
                   .file_size = commands * 64,
                   .res = res};
    vgt_status st = store_all(db, &in, err);
    free(ci);
    free(fr);
    an_wrap_free(w);
    return st;
}
