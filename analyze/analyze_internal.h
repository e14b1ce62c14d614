/* analyze_internal.h - private parts of the analyzer (analyze/): the
 * recording backend (wrap.c), the SQLite store (db.c), the reports
 * (report.c, html.c, perfetto.c). */
#ifndef VGT_ANALYZE_INTERNAL_H
#define VGT_ANALYZE_INTERNAL_H

#include <sqlite3.h>
#include <stdio.h>

#include "vgt_analyze.h"
#include "vgt_replay.h"

/* ---- growable byte arena ---------------------------------------------------- */

typedef struct an_buf {
    uint8_t *p;
    size_t len, cap;
} an_buf;

/* Appends n bytes (src NULL: zeros); returns the offset, or SIZE_MAX when out of memory. */
size_t an_buf_put(an_buf *b, const void *src, size_t n);
void an_buf_free(an_buf *b);

/* ---- damaged frame ranges (analyze.c) ------------------------------------------ */

/* Adds guest frames [lo, hi] (lo <= hi) to res's damaged ranges, which stay
 * sorted and disjoint, no two adjacent: it merges with every kept range it
 * overlaps or touches, in whatever order the ranges come.  A range that
 * merges with none when all VGT_ANALYZE_DAMAGED_MAX are taken only sets
 * more_damaged. */
void an_damaged_add(vgt_analyze_result *res, uint64_t lo, uint64_t hi);

/* ---- the recording backend (wrap.c) ------------------------------------------
 * Wraps any vgt_backend: times every op (CPU ns, summed per command), and,
 * while recording, logs each op with its arguments (deep-copied, handles as
 * small ids) so that the backend work of every command can be re-issued on a
 * fresh backend without the decoder and the executor (the "native" cost). */

typedef struct an_surface_info {
    uint32_t sid, format, flags, faces, mips;
    vgt_svga3d_size size;
    uint64_t bytes;
    uint64_t defined_cmd, destroyed_cmd; /* command indexes; UINT64_MAX: never */
    bool snapshot; /* made before the first command (a snapshot's): no defined_cmd */
    uint64_t uploads, upload_bytes, downloads, download_bytes;
} an_surface_info;

typedef struct an_shader_info {
    uint32_t type, words;
    uint64_t hash;
    uint64_t defined_cmd, destroyed_cmd;
    bool snapshot;      /* made before the first command (a snapshot's): no defined_cmd */
    uint32_t cid, shid; /* from the SHADER_DEFINE (UINT32_MAX: unknown) */
} an_shader_info;

typedef struct an_wrap an_wrap;

/* Creates a wrapper (not yet around a backend). */
an_wrap *an_wrap_new(void);
/* Frees the wrapper and its log (the wrapped backend must be destroyed already). */
void an_wrap_free(an_wrap *w);
/* The wrap_backend hook of vgt_replay_instrument (ctx: the an_wrap). */
vgt_status an_wrap_install(an_wrap *w, vgt_backend *be, vgt_error *err);
/* Turns recording of the op log on or off. */
void an_wrap_set_recording(an_wrap *w, bool on);
/* A command starts (index in replay order) / ends; per-command sums. */
void an_wrap_cmd_begin(an_wrap *w, uint64_t index);
void an_wrap_cmd_end(an_wrap *w, uint64_t *backend_ns, uint32_t *ops, uint64_t *primitives);
/* GPU ns of the work since the previous call, when the backend offers it.
 * The first call starts the backend's timer, which then runs until the
 * backend is destroyed. */
bool an_wrap_gpu_time(an_wrap *w, uint64_t *ns);
/* Timed ops made while that timer ran (its query perturbs what is timed). */
uint64_t an_wrap_timed_under_gpu_timer(const an_wrap *w);
/* Whether the wrapped backend is asynchronous (has finish): then every op
 * is followed by finish inside its timed region, here and in the native run. */
bool an_wrap_synced(const an_wrap *w);
/* --sync frame (before an_wrap_install): no finish after each op; the
 * analyzer calls an_wrap_finish once at each frame's end instead. */
void an_wrap_set_frame_sync(an_wrap *w, bool on);
/* Whether the wrapped backend is asynchronous (has finish), whatever the mode. */
bool an_wrap_has_finish(const an_wrap *w);
/* Calls the wrapped backend's finish, untimed; false when it has none. */
bool an_wrap_finish(an_wrap *w);
/* Ops made from now on are not timed and not waited for (on): the
 * state-only frames before a --frames range, replayed as vgt replay
 * replays them; off again at the range's first command. */
void an_wrap_set_untimed(an_wrap *w, bool on);
/* Waits for the wrapped backend's work so far (finish, when it has one),
 * untimed and not counted in an_wrap_finishes: the state-only frames' work,
 * which the range's first timed op must not pay for. */
void an_wrap_settle(an_wrap *w);
/* The ops made so far through the wrapper: timed, and made untimed. */
void an_wrap_op_counts(const an_wrap *w, uint64_t *timed, uint64_t *untimed);
/* The ops of no command (state-only frames, a snapshot's) that the last
 * an_wrap_native_run re-issued untimed. */
uint64_t an_wrap_native_untimed(const an_wrap *w);
/* The finish calls made so far: after timed ops and by an_wrap_finish. */
uint64_t an_wrap_finishes(const an_wrap *w);
/* Whether the wrapped backend has a gpu_time hook. */
bool an_wrap_has_gpu_time(const an_wrap *w);
/* Notes the SHADER_DEFINE ids of the shader the current command defines. */
void an_wrap_note_shader_ids(an_wrap *w, uint32_t cid, uint32_t shid);
/* Recorded ops, and whether uploaded bytes were kept (false: over budget). */
uint64_t an_wrap_logged_ops(const an_wrap *w);
bool an_wrap_log_complete(const an_wrap *w);
/* Frame spans of a native re-issue (--sync frame): no finish after each op,
 * one at the end of every frame; each frame's span, from the end of the
 * previous one (the first: from its first op) to that finish, less one clock
 * read, is added to frame_ns[frame_of[cmd index]].  Frames without an op get
 * nothing.  spans and finishes (every finish of the re-issue) count what was
 * done (added to). */
typedef struct an_frame_clock {
    const uint32_t *frame_of; /* [ncmds]: the frame index of each command */
    uint64_t *frame_ns;       /* [frames] */
    uint64_t spans, finishes;
    uint32_t frame; /* private: the open frame, UINT32_MAX: none */
} an_frame_clock;

/* Re-issues the logged ops on be (a backend of the recorded kind, created
 * for the native runs; objects a run leaves alive stay until be is
 * destroyed), timing each call; adds (ns - timer_ns per call, at least 0) to
 * native_ns[cmd index] (ncmds entries).  fc NULL: finish after every op (when
 * the backend has it), else frame spans into fc.  *failed counts refused ops. */
vgt_status an_wrap_native_run(an_wrap *w, vgt_backend *be, uint64_t timer_ns, uint64_t *native_ns,
                              uint64_t ncmds, an_frame_clock *fc, uint64_t *failed, vgt_error *err);
/* Surfaces and shaders seen while recording: those the commands define and,
 * first, those a snapshot makes before the first command. */
const an_surface_info *an_wrap_surfaces(const an_wrap *w, size_t *n);
const an_shader_info *an_wrap_shaders(const an_wrap *w, size_t *n);
/* Names shader i of an_wrap_shaders (a snapshot's: made without them). */
void an_wrap_set_shader_ids(an_wrap *w, size_t i, uint32_t cid, uint32_t shid);

/* ---- the store (db.c) ----------------------------------------------------------- */

struct vgt_analyze_db {
    sqlite3 *db;
    char path[1024];
};

/* Runs one or more SQL statements; VGT_E_IO naming the statement on failure. */
vgt_status an_db_exec(vgt_analyze_db *db, const char *sql, vgt_error *err);
/* Prepares a statement; VGT_E_IO with SQLite's message on failure. */
/* SQLite's quick_check of the whole file (every page read once): VGT_OK
 * when intact, VGT_E_FORMAT naming the file and the first damage otherwise. */
vgt_status an_db_check_intact(vgt_analyze_db *db, vgt_error *err);
vgt_status an_db_prepare(vgt_analyze_db *db, const char *sql, sqlite3_stmt **out, vgt_error *err);
/* Sets err from SQLite's last error. */
vgt_status an_db_error(vgt_analyze_db *db, const char *what, vgt_error *err);

/* ---- the report model (report.c), loaded from the database ---------------------- */

typedef struct an_type_row {
    uint32_t id;
    char name[48];
    uint64_t count, failed, bytes, prims;
    uint64_t total, p50, p95, p99, max;
    double mean, share;
    uint64_t decode, dma, dma_bytes, translate, backend;
    int64_t gpu, native, overhead;  /* -1: not measured */
    int64_t ov_p50, ov_p95, ov_p99; /* -1: not measured */
    bool has_ratio, below;          /* below: native under the timer resolution */
    double ratio;
} an_type_row;

typedef struct an_top_cmd {
    uint64_t seq;
    char name[48];
    uint64_t total;
    int64_t overhead;
} an_top_cmd;

typedef struct an_frame_row {
    uint64_t frame, first_seq, last_seq, commands, draws;
    uint64_t total, decode, dma, translate, backend;
    int64_t native, overhead, live; /* -1: none */
    int64_t vwall, nwall;           /* --sync frame wall times, -1: none */
    bool partial;                   /* no FRAME_END ended it (frames.partial) */
    uint64_t start;
} an_frame_row;

/* A slow frame's top commands, apart from its row: only the few slow frames
 * have them, and every frame of a run has a row (~1/3 of the size). */
typedef struct an_frame_top {
    an_top_cmd cmd[5];
    int n;
} an_frame_top;

typedef struct an_batch_row {
    uint64_t lo, hi, draws, prims, total;
    int64_t native, overhead;
    bool has_ratio, below;
    double ratio;
} an_batch_row;

/* The damaged frame ranges a report lists (as many as a run stores). */
#define AN_REPORT_DAMAGED_MAX VGT_ANALYZE_DAMAGED_MAX

typedef struct an_report {
    int64_t run_id, trace_id;
    char trace_path[1024], backend[32], host[256], date[32], os[400];
    uint32_t replays;
    bool native, native_complete, gpu;
    double timer_ns, insert_rows_per_s;
    uint64_t commands, total, replay_ns, insert_rows;
    uint64_t frames;        /* complete frames (runs.frames) */
    uint64_t npartial;      /* partial frame rows (0 or 1), in frames_all only */
    uint64_t partial_frame; /* the first partial frame's number, when npartial */
    int64_t native_ns, overhead_ns;
    bool has_ratio, below;
    double ratio;
    an_type_row *types; /* by total, descending */
    size_t ntypes;
    an_frame_row *frames_all; /* by frame number, partial ones too (flagged) */
    size_t nframes;
    an_frame_row *slow;     /* slowest complete frames first */
    an_frame_top *slow_top; /* [nslow]: their top commands */
    size_t nslow;
    an_batch_row *batches;
    size_t nbatches;
    /* --sync frame: each frame timed whole on both sides (frames.*_wall_ns) */
    char sync[16]; /* the settings' sync ("" for runs stored without it) */
    /* vgt analyze --salvage: the settings' salvage member (salvaged false for
     * a run of a whole trace): the chunks skipped, the guest frames that
     * lost records (the first AN_REPORT_DAMAGED_MAX ranges; more_damaged) */
    bool salvaged, more_damaged;
    /* vgt analyze --frames: the settings' frames member, the guest frames
     * the run covers (ranged false for a run of every frame) */
    bool ranged;
    uint64_t range_first, range_last;
    uint64_t chunks_skipped;
    uint64_t damaged[AN_REPORT_DAMAGED_MAX][2];
    size_t ndamaged;
    /* a --frames run's: its state-only frames that lost records */
    uint64_t state_damaged[AN_REPORT_DAMAGED_MAX][2];
    size_t nstate_damaged;
    bool walls;        /* the run has them */
    bool walls_native; /* with native ones */
    /* over the complete frames only (a partial frame is not a frame's cost) */
    uint64_t wall_frames; /* complete frames with a virtual wall time */
    uint64_t wall_v_p50, wall_n_p50, wall_v_sum, wall_n_sum;
    an_frame_row *worst; /* complete frames by virtual wall time, slowest first (top) */
    size_t nworst;
    /* the paper's view */
    uint64_t draws, draw_total;
    int64_t draw_native, draw_overhead;
    uint64_t upload_bytes, upload_total; /* SURFACE_DMA */
    int64_t upload_overhead;
    uint64_t dma_bytes_all, dma_total_all; /* every command that read guest memory */
    int64_t dma_overhead_all;
} an_report;

/* Loads run_id's figures (top: rows per table). */
vgt_status an_report_load(vgt_analyze_db *db, int64_t run_id, uint32_t top, an_report *out,
                          vgt_error *err);
void an_report_free(an_report *r);

/* ---- small helpers ------------------------------------------------------------------ */

/* Writes s (NULL: "") as a JSON string literal, quotes included, through
 * vgt_json_string: escaped, valid UTF-8 whatever the bytes. */
void an_json_str(FILE *f, const char *s);
/* Formats ns for humans ("12.3 us") into buf. */
const char *an_fmt_ns(double ns, char *buf, size_t size);

#endif /* VGT_ANALYZE_INTERNAL_H */
