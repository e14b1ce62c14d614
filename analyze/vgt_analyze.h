/* vgt_analyze.h - the analyzer: what each command of a trace costs, and how
 * much of that cost is virtualization (the overhead model of DESIGN.md).
 *
 * vgt_analyze_trace() replays a trace with per-command instrumentation (the
 * replayer's vgt_replay_instrument hooks plus a recording wrapper around the
 * backend), --runs times, and stores one row per command instance in a
 * SQLite database (schema: docs/analysis-db.md), together with per-frame,
 * per-command-type and per-batch-size aggregates.  Phases per command:
 * decode+validate, DMA (guest memory copied), translate (the executor's state
 * tracking), backend CPU, GPU (when asked and offered), and native: the same
 * backend calls re-issued on a fresh backend without decoder and executor.
 * Queue latency and the device's execution time come from the TIMING records
 * the capture wrote live.  Every timed region has the calibrated cost of a
 * clock read subtracted; per command the replay whose total is the median is
 * kept (its phases stay consistent), native is the median of its re-issues.
 *
 * Reports (text, JSON, CSV, a self-contained HTML page with SVG charts) and
 * the Chrome trace-event export are computed from the database alone, so they
 * can be made again later for any stored run.
 *
 * Ownership: a vgt_analyze_db owns its SQLite connection; everything else is
 * borrowed for the duration of a call.
 */
#ifndef VGT_ANALYZE_H
#define VGT_ANALYZE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vgt_base.h"
#include "vgt_replay.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version stored in PRAGMA user_version. */
/* 2: frames.virtual_wall_ns and native_wall_ns (--sync frame); a version 1
 * database is migrated when opened (the columns added, NULL for its runs).
 * 3: frames.partial (the frame after the guest's last frame end) and
 * runs.frames counting complete frames only; versions 1 and 2 are migrated
 * when opened (the flag and the count recomputed from the traces row). */
#define VGT_ANALYZE_SCHEMA_VERSION 3
/* The oldest version a read-only reader (vgt tui, which cannot migrate) still
 * reads: every column it reads is in version 1. */
#define VGT_ANALYZE_SCHEMA_OLDEST 1

typedef struct vgt_analyze_db vgt_analyze_db;

/* Reader problems and damaged frame ranges a vgt_analyze_result keeps (a
 * salvaged run's rest is counted, not kept).  More problems than the CLI
 * lists (20), as vgt_trim_stats keeps: the list leaves out those said
 * otherwise (the missing footer the incomplete warning says), and 20 kept
 * listed 19 of a footerless trace where the other verbs listed 20. */
#define VGT_ANALYZE_PROBLEMS_MAX 32
#define VGT_ANALYZE_DAMAGED_MAX  64

/* Opens (creating when absent) an analysis database at path (":memory:" for a
 * temporary one) and creates the schema if it is empty.  VGT_E_VERSION for a
 * database written by a newer schema, VGT_E_FORMAT for a file that is not an
 * analysis database, a damaged one, or one whose tables are not those of its
 * version (vgt_analyze_schema_check; nothing migrated or written then),
 * VGT_E_IO when SQLite fails. */
vgt_status vgt_analyze_db_open(const char *path, vgt_analyze_db **out, vgt_error *err);
/* Closes the database (NULL is a no-op). */
void vgt_analyze_db_close(vgt_analyze_db *db);

struct sqlite3;
/* Checks that the open SQLite connection db (of the file at path, for the
 * message) holds every table of analysis schema `version`
 * (VGT_ANALYZE_SCHEMA_OLDEST..VGT_ANALYZE_SCHEMA_VERSION) with exactly its
 * columns, in order, and its keys: a file that says it is an analysis
 * database but lost a table, a column or a key (damaged, edited by hand, or
 * a dishonest user_version) is refused with VGT_E_FORMAT naming the file,
 * the table and the column, before anything reads or writes it.  VGT_E_IO
 * when SQLite fails (a damaged file: its reason). */
vgt_status vgt_analyze_schema_check(struct sqlite3 *db, const char *path, int64_t version,
                                    vgt_error *err);

/* Progress of a long analysis: `phase` ("checkpoint", "replay 2/3",
 * "native 1/3", "store"), done of total units (frames before the range's
 * first for "checkpoint", else commands or rows). */
typedef void (*vgt_analyze_progress_fn)(void *ctx, const char *phase, uint64_t done,
                                        uint64_t total);

/* Where an asynchronous backend (gl) is waited for in the timed replays and
 * the native re-issues (docs/analysis-db.md, "Asynchronous backends"). */
typedef enum vgt_analyze_sync {
    /* after every backend call, inside its timed region: per-call costs with
     * the CPU and the GPU serialized ("sync":"finish"; "none" on a backend
     * without finish: null, soft) */
    VGT_ANALYZE_SYNC_FINISH = 0,
    /* once per guest frame, at its end: no wait per call, and every frame
     * timed as a whole on both sides (frames.virtual_wall_ns and
     * native_wall_ns): a pipelined replay's frame cost ("sync":"frame");
     * the per-call backend times are then only the CPU submission */
    VGT_ANALYZE_SYNC_FRAME,
} vgt_analyze_sync;

typedef struct vgt_analyze_options {
    vgt_replay_backend backend; /* NULL/SOFT/GL, or AS_CAPTURED */
    uint32_t runs;              /* instrumented replays (median kept); 0 means 3 */
    bool gpu;                   /* GPU time per command (gl), from one more replay */
    bool no_native;             /* skip the native re-issue (native_ns NULL) */
    const char *host;           /* stored in runs.host; NULL: gethostname() */
    const char *note;           /* free text stored in runs.settings; may be NULL */
    vgt_analyze_sync sync;      /* 0: finish (per call) */
    /* skip damaged chunks (the replays' and the analyzer's own reading of
     * the trace), each one in the result's problems and the run's settings,
     * instead of failing at the first */
    bool salvage;
    /* vgt analyze --frames A-B: only guest frames first_frame..last_frame
     * (inclusive; 0: from the trace's start, UINT64_MAX: to its end) are
     * timed and stored; the frames before are replayed for their state
     * only, as vgt replay --frames replays them; frames false: every
     * frame.  The run's command, frame and per-type figures are the
     * range's; the trace's surfaces and shaders are stored by a run of
     * every frame only (a range's replay stops at its last frame). */
    bool frames;
    uint64_t first_frame, last_frame;
    vgt_analyze_progress_fn progress; /* may be NULL */
    void *progress_ctx;
} vgt_analyze_options;

/* What vgt_analyze_trace did. */
typedef struct vgt_analyze_result {
    int64_t trace_id, run_id;
    uint64_t commands; /* command rows of this run */
    /* with a frame range: the guest frames it covers (runs.settings
     * "frames"), as asked, the open end resolved to the trace's last
     * frame; ranged false for a run of every frame */
    bool ranged;
    uint64_t range_first, range_last;
    /* complete frames (runs.frames): the trace's FRAME_ENDs, as vgt info
     * counts them; a complete frame without commands (a salvaged trace's
     * frame whose chunk was lost) counts, and has no frame row */
    uint64_t frames;
    /* partial frame rows (0 or 1): the commands after the guest's last frame
     * end (its teardown, or a capture cut short), stored with
     * frames.partial = 1: in the run's totals and per-type figures, never in
     * its per-frame ones */
    uint64_t partial_frames;
    uint64_t rows;      /* all rows inserted (commands, frames, aggregates, ...) */
    uint64_t insert_ns; /* time spent inserting them (one transaction) */
    double insert_rows_per_s;
    double timer_ns; /* calibrated cost of one clock read, subtracted per region */
    /* median wall time of one instrumented replay; with a frame range, of
     * its part from the range's first command to its end (runs.replay_ns),
     * the state-only frames' part before it in state_ns */
    uint64_t replay_ns;
    uint64_t state_ns;
    /* per timed replay: the commands run with the replayer's hooks and clock
     * reads, and the backend calls timed; with a frame range, the commands
     * and calls of the state-only frames before it, run untimed (and the
     * native re-issue's calls of no command: those, a snapshot's, untimed) */
    uint64_t commands_timed, calls_timed;
    uint64_t state_commands, state_calls, native_state_calls;
    /* --frames A-B with A after the trace's first frame: checkpoint, the
     * state at A was taken once (vgt_trim's trace of A..B, a snapshot at A,
     * in a scratch directory removed after) and every replay and native
     * re-issue started from it, so the state_* above are the snapshot's
     * apply; checkpoint_commands and checkpoint_frames, what the one replay
     * to A decoded; checkpoint_bytes, the snapshot record's size;
     * checkpoint_ns, the trim's wall time.  Not taken: checkpoint_why says
     * why (the frames before A were replayed in every run, as before) */
    bool checkpoint;
    uint64_t checkpoint_commands, checkpoint_frames, checkpoint_bytes, checkpoint_ns;
    char checkpoint_why[200];
    uint64_t native_ops;      /* backend calls re-issued per native run */
    uint64_t native_failed;   /* of those, refused by the fresh backend */
    bool native_complete;     /* uploaded bytes all kept for the re-issue (else zeros) */
    uint64_t commands_failed; /* commands that failed in replay (as they may have live) */
    bool synced; /* asynchronous backend (gl): every backend call, replayed and re-issued,
                  * was followed by the backend's finish inside its timed region, so
                  * times include GPU completion; runs.settings "sync":"finish" */
    /* Backend calls of the timed replays made while the backend's GPU timer
     * query ran: 0.  With gpu the GPU times come from one more replay after
     * the timed ones (runs.settings "gpu_timer":"own replay"), since the
     * query slows every call made under it; the native re-issues never
     * start it. */
    uint64_t calls_under_gpu_timer;
    /* VGT_ANALYZE_SYNC_FRAME: frame spans timed in the timed replays and in
     * the timed native re-issues (each: runs x frame rows, the partial frame
     * too; native: the frames that
     * made a backend call), and every finish call made in them (on gl one per
     * frame span, none per call; 0 on a backend without finish); all 0
     * otherwise. */
    uint64_t frames_timed_virtual, frames_timed_native;
    uint64_t frame_finishes_virtual, frame_finishes_native;
    /* The trace had no footer index (a killed capture): it was analyzed up
     * to its last complete chunk, `trace_chunks` of them (the reader's
     * vgt_trace_info, so a caller need not open the trace again to say so). */
    bool trace_incomplete;
    uint64_t trace_chunks;
    /* The reader's problems: with salvage the damaged chunks skipped (the
     * first VGT_ANALYZE_PROBLEMS_MAX of chunks_skipped); without, the
     * damaged chunk that stopped the analysis (filled on that error too);
     * problems_untold: how many more the reader recorded */
    vgt_trace_problem_copy problems[VGT_ANALYZE_PROBLEMS_MAX];
    size_t nproblems, problems_untold;
    /* problems the reader found with no memory to record them
     * (vgt_trace_reader_problems_lost): in neither count above, and they
     * may be chunks skipped, so the run is not of a sound trace */
    size_t problems_unrecorded;
    uint64_t chunks_skipped;
    /* salvage: the guest frames that lost records to those chunks, as ranges
     * [first, last], sorted, disjoint and none adjacent (ranges merge as they
     * come; one that merges with none when VGT_ANALYZE_DAMAGED_MAX are kept
     * sets more_damaged instead); runs.settings "salvage" stores the same */
    uint64_t damaged[VGT_ANALYZE_DAMAGED_MAX][2];
    size_t ndamaged;
    bool more_damaged;
    /* with a frame range: damaged holds the ranges inside it only; those
     * before it (its state-only frames) are here; those after it, which no
     * replay of the run reads, are in neither (runs.settings "salvage"
     * "damaged_state_frames") */
    uint64_t state_damaged[VGT_ANALYZE_DAMAGED_MAX][2];
    size_t nstate_damaged;
} vgt_analyze_result;

/* Writes "guest frames 3..4, 9 lost records" (", ..." before "lost" when
 * more; "no frame lost records" for none) of n damaged frame ranges into
 * buf (cut to size), as vgt analyze --salvage and the reports say them. */
void vgt_analyze_damaged_text(char *buf, size_t size, const uint64_t (*ranges)[2], size_t n,
                              bool more);

/* Writes vgt_analyze_damaged_text's words of the n damaged ranges ("no
 * frame of the range lost records" for none of a --frames run: ranged),
 * then, when nstate > 0, "; before the range, replayed for their state:
 * guest frames 0..1 lost records" of its state-only frames: the salvage
 * sentence of vgt analyze --salvage and of the text report. */
void vgt_analyze_salvage_text(char *buf, size_t size, const uint64_t (*ranges)[2], size_t n,
                              bool more, bool ranged, const uint64_t (*state)[2], size_t nstate);

/* Writes what follows a run's frame count into buf (cut to size): "" for a
 * run of every frame without a partial one, else " (+ 1 partial)", " (guest
 * frames 3..5NOTE)" or " (+ 1 partial; guest frames 6..8NOTE)": the words
 * of vgt analyze's summary, its HTML page and vgt tui's header. */
void vgt_analyze_frames_note(char *buf, size_t size, uint64_t partial, bool ranged, uint64_t first,
                             uint64_t last, const char *note);

/* Replays the trace at path with instrumentation and stores a new run in db
 * (the trace row is added once and reused by later runs of the same trace).
 * o may be NULL (null backend as captured, 3 runs).  Errors: the replayer's
 * (divergence, bad chunk, unsupported backend), VGT_E_IO from SQLite. */
vgt_status vgt_analyze_trace(vgt_analyze_db *db, const char *path, const vgt_analyze_options *o,
                             vgt_analyze_result *res, vgt_error *err);

/* The id of the newest run (the highest run_id), or VGT_E_NOTFOUND. */
vgt_status vgt_analyze_last_run(vgt_analyze_db *db, int64_t *run_id, vgt_error *err);

typedef enum vgt_analyze_report_format {
    VGT_ANALYZE_REPORT_TEXT = 0, /* aligned tables */
    VGT_ANALYZE_REPORT_JSON,     /* one object (docs/analysis-db.md, "Reports") */
    VGT_ANALYZE_REPORT_CSV,      /* sections of CSV, a "# section" line before each */
} vgt_analyze_report_format;

/* Parses "text"/"json"/"csv"; false otherwise. */
bool vgt_analyze_report_format_parse(const char *s, vgt_analyze_report_format *out);

/* The virtual/native ratio of `count` commands' summed total and native
 * costs, by the rule every report and the tui follow (docs/analysis-db.md,
 * "Native below resolution"): VGT_ANALYZE_RATIO_NONE when there is no
 * native figure (native < 0) or no command; VGT_ANALYZE_RATIO_BELOW ("inf*")
 * when the native cost is below one clock read (timer_ns) per command, the
 * timer's noise rather than a cost; VGT_ANALYZE_RATIO_OK with *ratio
 * (may be NULL) = total / native otherwise. */
typedef enum vgt_analyze_ratio_kind {
    VGT_ANALYZE_RATIO_NONE = 0,
    VGT_ANALYZE_RATIO_BELOW,
    VGT_ANALYZE_RATIO_OK,
} vgt_analyze_ratio_kind;
vgt_analyze_ratio_kind vgt_analyze_ratio(uint64_t total, int64_t native, uint64_t count,
                                         double timer_ns, double *ratio);

/* The virtual/native ratio of a --sync frame run's wall times (a frame's,
 * or the run's medians); false, said "-" by every report and the tui, when
 * native is absent (< 0) or 0 ns (a frame without backend calls). */
bool vgt_analyze_wall_ratio(int64_t virt, int64_t native, double *ratio);

/* Writes the report of one run to out: top command types by total time and
 * by virtualization overhead, slowest frames with their top commands, the
 * paper's view (overhead per draw call, per uploaded byte, versus batch
 * size).  `top` limits the rows of each table (0: 10). */
vgt_status vgt_analyze_report(vgt_analyze_db *db, int64_t run_id, vgt_analyze_report_format fmt,
                              uint32_t top, FILE *out, vgt_error *err);
/* Writes one self-contained HTML page for the run: a frame-time chart,
 * hotspot bars, the overhead breakdown stacked per command type and the
 * batch-size chart (inline SVG, one per section), with their tables. */
vgt_status vgt_analyze_html(vgt_analyze_db *db, int64_t run_id, FILE *out, vgt_error *err);
/* Writes the run's timeline as Chrome trace-event JSON: one complete event
 * ("ph":"X", cat "command") per command laid out back to back with its
 * phases as nested events (cat "phase"), frames on a second track (cat
 * "frame"), and the live device timeline from the capture on a third. */
vgt_status vgt_analyze_perfetto(vgt_analyze_db *db, int64_t run_id, FILE *out, vgt_error *err);

/* The insert benchmark: inserts `rows` synthetic command rows through the
 * analyzer's store (schema, indexes, prepared statement, one transaction)
 * into a temporary database, and the same number through a bare sqlite3 loop
 * (one table without indexes); fills both rates in rows per second. */
vgt_status vgt_analyze_bench_insert(uint64_t rows, double *ours_rows_s, double *bare_rows_s,
                                    vgt_error *err);

/* Stores a synthetic run of `commands` command rows (frames of
 * commands_per_frame: CLEAR, a mix of state, SURFACE_DMA and DRAW_PRIMITIVES,
 * PRESENT, FENCE; deterministic for a seed) through the same store as
 * vgt_analyze_trace, with its frames and aggregates, as a new trace and run
 * whose path names no file.  A last frame cut short (commands not a
 * multiple of commands_per_frame) is stored partial, as a capture's
 * teardown.  For the profiler's tests and benchmark (vgt bench tui).  VGT_E_INVALID for 0 commands
 * or fewer than 4 per frame. */
vgt_status vgt_analyze_store_synthetic(vgt_analyze_db *db, uint64_t commands,
                                       uint32_t commands_per_frame, uint64_t seed,
                                       vgt_analyze_result *res, vgt_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VGT_ANALYZE_H */
