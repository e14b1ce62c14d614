/* vgt_replayer.h - the replayer: drives the executor from a trace (part of
 * replay's public interface; vgt_replay.h includes it).
 *
 * The replayer reads a trace written by capture/ (see vgt_trace_records.h for the
 * record payloads), feeds every recorded command through the same
 * vgt_cmd_length()/vgt_cmd_decode() and the same vgt_executor the device used
 * live, and serves the executor's guest memory reads from the recorded
 * DMA_DATA bytes: each read must be the next recorded one (same GMR, offset
 * and length, in order), otherwise the replay has diverged and stops with an
 * error naming the command and the frame.  Device-level commands (FENCE,
 * DEFINE_GMR2, REMAP_GMR2) are decoded and counted, not executed (ESCAPE is
 * executed: the video overlay escapes are the executor's);
 * register writes are re-applied (mode, legacy cursor) and the sampled FIFO
 * cursor is set where the device set it.  At every recorded frame end the
 * replayer composes what the host shows and hashes it exactly as capture did
 * (the row tree, vgt_trace_frame_row_hash, or for older traces the whole
 * image, vgt_trace_frame_hash_image), so --verify is a hash comparison.
 *
 * Ownership: a replayer owns its reader and executor; frame images handed to
 * the callback belong to the executor and are valid during the call only.
 */
#ifndef VGT_REPLAYER_H
#define VGT_REPLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vgt_trace_records.h"
#include "vgt_backend.h"
#include "vgt_base.h"
#include "vgt_format.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvgt.so exports every function this header declares and nothing else:
 * its objects are built with -fvisibility=hidden (cmake/vgt_shared.cmake),
 * so a declaration here is the export (test_shared_symbols checks both ways). */
#pragma GCC visibility push(default)

typedef struct vgt_executor vgt_executor;

/* ---- executor state snapshots ---------------------------------------------- */

/* Serialises the executor's display state (mode, screens and their pixels,
 * GMRFB, annotations, cursor) into a new buffer *out (caller frees) of *size
 * bytes (the "EX2D" section).  The 3D state is saved separately
 * (vgt_executor_snapshot_save_3d). */
vgt_status vgt_executor_snapshot_save(const vgt_executor *ex, uint8_t **out, size_t *size,
                                      vgt_error *err);
/* Replaces the executor's whole state (3D included: it is reset) with a
 * saved display state (checked: a malformed snapshot fails with
 * VGT_E_FORMAT and leaves the executor reset). */
vgt_status vgt_executor_snapshot_load(vgt_executor *ex, const void *data, size_t size,
                                      vgt_error *err);

/* What a 3D state snapshot holds. */
typedef struct vgt_snapshot_3d_info {
    uint32_t surfaces, contexts, shaders;
    uint32_t commands;          /* synthetic SVGA3D commands in the section */
    uint64_t content_bytes;     /* surface bytes saved (SURFACE_DMA payloads) */
    bool contents_zero;         /* the backend keeps no surface contents (null without
                                 * keep_contents): every payload is zeros */
    uint32_t queries_restarted; /* occlusion queries in flight whose count so far the
                                 * backend could not read (an error ending its query):
                                 * begun again at load from 0; others carry their count */
    uint32_t queries_lost;      /* ended queries whose last result is not saved: 0 since
                                 * the section's query table (kept for the API) */
} vgt_snapshot_3d_info;

/* Serialises the SVGA3D state (surfaces with definitions and contents from
 * the backend's surface_download, contexts with all their state, shaders)
 * as synthetic SVGA3D commands (the "EX3D" section, docs/format.md) into a
 * new buffer *out (caller frees).  *out is NULL and *size 0 when the
 * executor has no 3D objects.  Reads surfaces through the backend, hence
 * not const.  info (may be NULL) says what was saved. */
vgt_status vgt_executor_snapshot_save_3d(vgt_executor *ex, uint8_t **out, size_t *size,
                                         vgt_snapshot_3d_info *info, vgt_error *err);
/* Rebuilds the 3D state from an EX3D section on top of the current state
 * (call vgt_executor_snapshot_load first, which resets it): the commands are
 * decoded and executed through vgt_executor_execute.  A malformed section
 * fails with VGT_E_FORMAT naming the byte offset (VGT_E_UNSUPPORTED when
 * this executor has no 3D or its backend cannot take a command, VGT_E_NOMEM)
 * and leaves the executor reset. */
vgt_status vgt_executor_snapshot_load_3d(vgt_executor *ex, const void *data, size_t size,
                                         vgt_error *err);

/* Serialises the video overlay units (each unit's registers as SET_REGS left
 * them and, for a shown unit, the frame its last FLUSH converted, with its
 * place and colour key: the "EXVO" section, docs/format.md) into a new
 * buffer *out (caller frees).  *out is NULL and *size 0 when every unit is
 * as at power-on. */
vgt_status vgt_executor_snapshot_save_video(const vgt_executor *ex, uint8_t **out, size_t *size,
                                            vgt_error *err);
/* Replaces the overlay units with a saved EXVO section (after
 * vgt_executor_snapshot_load, which resets them).  A malformed section fails
 * with VGT_E_FORMAT naming the byte offset and leaves the units reset. */
vgt_status vgt_executor_snapshot_load_video(vgt_executor *ex, const void *data, size_t size,
                                            vgt_error *err);

/* One register value of a snapshot's REGS section (applied without side
 * effects on load: the replayer's register file, docs/format.md). */
typedef struct vgt_snapshot_reg {
    uint32_t reg, value;
} vgt_snapshot_reg;
#define VGT_SNAPSHOT_MAX_REGS 32u

/* Appends one SNAPSHOT record (docs/format.md) to w, the state a replay
 * starts from at guest frame `frame` (the first one after it): the next
 * command's seq, the REGS section regs[0..nregs) (at most
 * VGT_SNAPSHOT_MAX_REGS), the executor's display, 3D and video state
 * (vgt_executor_snapshot_save, _save_3d, _save_video) and, when last_fence
 * is not NULL, the FENC section: the FIFO's FENCE register (the last fence
 * passed; NULL when none passed or it is not known).  A state over the
 * record limit fails with VGT_E_RANGE, its message ending with
 * too_large_hint (may be NULL).  *info (may be NULL) says what the 3D
 * section holds, *bytes (may be NULL) the payload's size.  The capture's
 * mid-run start and vgt trim both write their snapshot with it. */
vgt_status vgt_snapshot_append(vgt_trace_writer *w, vgt_executor *ex, uint64_t frame,
                               uint64_t next_seq, uint64_t timestamp_ns,
                               const vgt_snapshot_reg *regs, size_t nregs,
                               const uint32_t *last_fence, const char *too_large_hint,
                               vgt_snapshot_3d_info *info, uint64_t *bytes, vgt_error *err);
/* Prints to log (NULL: nothing), as "WHO: PATH: ...", what a snapshot at
 * `frame` did not keep: surfaces without contents (they replay as zeros),
 * occlusion queries restarted or dropped. */
void vgt_snapshot_report(FILE *log, const char *who, const char *path, uint64_t frame,
                         const vgt_executor *ex, const vgt_snapshot_3d_info *info);

/* ---- the replayer ------------------------------------------------------------ */

typedef struct vgt_replayer vgt_replayer;

typedef enum vgt_replay_backend {
    VGT_REPLAY_BACKEND_NULL = 0, /* the executor's own display model (+ null 3D) */
    VGT_REPLAY_BACKEND_SOFT,
    VGT_REPLAY_BACKEND_GL,
    VGT_REPLAY_BACKEND_AS_CAPTURED, /* the backend the device used live (device config) */
} vgt_replay_backend;

/* The name of a backend ("null", "soft", "gl"). */
const char *vgt_replay_backend_name(vgt_replay_backend b);

/* One replayed frame, as handed to on_frame. */
typedef struct vgt_replay_frame {
    uint64_t frame;         /* the guest's frame number */
    uint64_t last_seq;      /* the last command before the frame end */
    uint32_t last_cmd_id;   /* its id (0 when no command ran yet) */
    const vgt_image *image; /* what the host shows, or NULL (no screen, or compose off) */
    uint64_t hash;          /* of the image, of the kind the trace recorded; 0 without */
    uint64_t recorded_hash; /* as captured */
    uint32_t recorded_width, recorded_height;
    bool recorded_no_display;
    bool match; /* hash (and size, and display presence) equal to the capture's */
} vgt_replay_frame;

/* ---- instrumentation (the analyzer) ---------------------------------------------
 * Optional hooks, NULL by default: without them the replayer reads no clock.
 * With them it times, per command, the phases of the overhead model that the
 * replayer itself runs; the backend's share is timed by a wrapper that the
 * analyzer installs through wrap_backend. */

/* What the replayer measured for one command (nanoseconds, raw: each timed
 * region includes the cost of its clock reads; *_reads say how many regions). */
typedef struct vgt_replay_cmd_timing {
    uint64_t seq;         /* the device's command number */
    uint64_t frame;       /* guest frame */
    uint64_t fetch_ns;    /* the COMMAND record's timestamp (live fetch) */
    uint32_t id;          /* command id (the first word) */
    uint32_t bytes;       /* command words * 4 */
    bool decoded;         /* vgt_cmd_length + vgt_cmd_decode accepted it */
    bool executed;        /* handed to the executor (not device-level, decoded) */
    vgt_status status;    /* the replay's outcome */
    uint64_t decode_ns;   /* vgt_cmd_length + vgt_cmd_decode */
    uint64_t exec_ns;     /* vgt_executor_execute, everything inside included */
    uint64_t dma_ns;      /* inside exec: guest memory reads served (copy of recorded bytes) */
    uint64_t dma_bytes;   /* bytes those reads returned */
    uint32_t dma_reads;   /* timed reads */
    uint64_t trace_ns;    /* inside those reads: reading the trace (a replay artefact) */
    uint32_t trace_reads; /* timed trace reads */
} vgt_replay_cmd_timing;

typedef struct vgt_replay_instrument {
    void *ctx;
    /* Called once by vgt_replayer_open with the backend the executor just
     * created; may replace *be by a wrapper owning the original (NULL: no). */
    vgt_status (*wrap_backend)(void *ctx, vgt_backend *be, vgt_error *err);
    /* Called for each decoded command right before it executes (NULL: no). */
    void (*cmd_begin)(void *ctx, uint64_t seq, const vgt_cmd *cmd);
    /* Called for every command once the replayer is done with it. */
    void (*cmd_end)(void *ctx, const vgt_replay_cmd_timing *t);
    /* true: the commands of the frames before first_frame (replayed for
     * their state only) are run as without instrument: no clock read, no
     * cmd_begin or cmd_end (the backend wrapper, installed once, stays);
     * vgt analyze --frames times only its range */
    bool range_only;
} vgt_replay_instrument;

/* One replayed command, as handed to on_command. */
typedef struct vgt_replay_command {
    uint64_t seq;        /* the device's command number (the SEQ vgt dump prints) */
    uint64_t frame;      /* guest frame */
    uint32_t id;         /* command id (the first word) */
    bool executed;       /* decoded and handed to the executor (not device-level) */
    vgt_status status;   /* the replay's outcome (VGT_OK, or why it failed as live did) */
    uint64_t fences;     /* FENCE commands replayed in this run so far, this one included */
    uint32_t last_fence; /* the value of the last of them (the FIFO's FENCE register) */
} vgt_replay_command;

typedef struct vgt_replayer_options {
    vgt_replay_backend backend; /* 0 = null; AS_CAPTURED: the one used live */
    bool salvage;               /* skip unreadable chunks (reported) instead of stopping there */
    uint64_t first_frame;       /* guest frames before it are replayed state-only */
    /* inclusive; UINT64_MAX: to the end.  The run stops once the record
     * after last_frame's FRAME_HASH, the frame's FRAME_END, is read, not
     * run (the end belongs to the frame: a damaged chunk holding it is the
     * range's damage, skipped and counted, or the stop without salvage),
     * or, when a skipped chunk held the hash (salvage), before the
     * first record of a later frame: last_frame ends where the next frame
     * begins (stats.ended_at_next_frame), nothing of that frame run */
    uint64_t last_frame;
    bool compose; /* compose and hash the frames in range */
    bool verify;  /* stop with VGT_E_CHECKSUM at the first frame that differs */
    bool window;  /* gl: show each composed frame in an X11 window (DISPLAY) */
    /* Called for every frame in range (image NULL when compose is off); a
     * non-zero return stops the run with VGT_OK. */
    int (*on_frame)(void *ctx, const vgt_replay_frame *f);
    void *ctx;
    const vgt_replay_instrument *instrument; /* NULL: none (borrowed; outlives the replayer) */
    /* With stop_at_command, the run stops (VGT_OK) before the first command
     * whose seq is >= stop_seq: every record before that command's record
     * is applied, and the commands before it in its COMMAND_BATCH (vgt trim
     * --calls: the state at a command).  stats say where it stopped. */
    bool stop_at_command;
    uint64_t stop_seq;
    /* Called after every command the run replays (state-only frames
     * included), once the executor is done with it (NULL: not); a non-zero
     * return stops the run with VGT_OK (vgt replay --dump-at dumps the
     * state there). */
    int (*on_command)(void *ctx, const struct vgt_replay_command *c);
    /* Called once a SNAPSHOT record (a mid-run capture's start, a trim's)
     * is applied, with the guest frame it starts (NULL: not); a non-zero
     * return stops the run with VGT_OK. */
    int (*on_snapshot)(void *ctx, uint64_t frame);
    /* Called before each command runs, every record before it applied (a
     * snapshot, register writes, the frames before, with commands or
     * none), with its seq and guest frame (NULL: not): vgt pixel reads the
     * value a frame starts with before the frame's first command. */
    void (*on_command_start)(void *ctx, uint64_t seq, uint64_t frame);
} vgt_replayer_options;

/* The first frame of a run whose hash differed from the captured one
 * (verify: the one that stopped it), for a report that names it. */
typedef struct vgt_replay_mismatch {
    bool valid;            /* a frame differed */
    uint64_t frame;        /* guest frame */
    uint64_t last_seq;     /* the last command before its frame end */
    uint32_t last_cmd_id;  /* its id (0: none ran yet) */
    bool replayed_display; /* false: no screen was active in replay */
    bool captured_display; /* false: the capture recorded no display */
    uint64_t replayed_hash, captured_hash;
    uint32_t replayed_width, replayed_height;
    uint32_t captured_width, captured_height;
} vgt_replay_mismatch;

/* Counters of one run. */
typedef struct vgt_replay_stats {
    uint64_t records;         /* trace records read */
    uint64_t commands;        /* commands decoded (all, including state-only ones) */
    uint64_t commands_timed;  /* of those, run with the instrument's hooks and clock reads */
    uint64_t commands_failed; /* commands that failed (as they did live) */
    uint64_t device_commands; /* FENCE, DEFINE_GMR2, REMAP_GMR2 */
    uint64_t frames;          /* frames in range replayed */
    uint64_t frames_verified; /* frames whose hash matched */
    uint64_t frames_differ;   /* frames whose hash differed (salvage; verify stops at one) */
    uint64_t first_frame, last_frame; /* guest frames replayed in range (last valid when frames) */
    uint64_t dma_bytes;               /* guest memory bytes served from the trace */
    uint64_t divergences;             /* tolerated divergences (only after a skipped chunk) */
    uint64_t commands_cut_off;        /* the trace ended inside these commands (killed capture) */
    uint64_t chunks_skipped;          /* salvage: vgt_trace_reader_chunks_skipped after the run */
    uint64_t ns;                      /* wall time of the run */
    bool stopped_at_command;          /* stop_at_command: the command was reached */
    bool ended_at_next_frame;         /* stopped before a record of a frame after last_frame */
    uint64_t stop_record;             /* either: the record number holding it (or that one) */
    uint64_t last_seq;                /* the last command run (when commands > 0) */
    vgt_replay_mismatch mismatch;     /* the first frame whose hash differed */
    /* the first command that failed (as it did live: a device error), and
     * the executor's message for it (when commands_failed > 0) */
    uint64_t first_failed_seq;
    uint32_t first_failed_id;
    char first_failed_message[VGT_ERROR_MESSAGE_MAX];
} vgt_replay_stats;

/* Opens a trace for replay: checks the header (protocol svga2, the device
 * configuration blob) and creates the executor.  VGT_E_UNSUPPORTED for a
 * backend this build does not have.  options may be NULL (defaults: null
 * backend, every frame, compose on, no verify). */
vgt_status vgt_replayer_open(const char *path, const vgt_replayer_options *options,
                             vgt_replayer **out, vgt_error *err);
/* Replays the frame range once from the start of the trace (executor and
 * registers reset first, the trace's snapshot applied, frames before
 * first_frame replayed state-only).  Can be called again (--loop).  Fills
 * *stats (may be NULL).  Errors: VGT_E_CHECKSUM (verify mismatch),
 * VGT_E_STATE (divergence), the reader's errors (a bad chunk without
 * salvage), VGT_E_NOTFOUND (the range is outside the trace). */
vgt_status vgt_replayer_run(vgt_replayer *r, vgt_replay_stats *stats, vgt_error *err);
/* Step by step (vgt_diff_images runs two replayers in lockstep with them):
 * vgt_replayer_begin starts a run as vgt_replayer_run does (same reset,
 * same range errors); each vgt_replayer_step replays up to the next frame
 * in range and returns VGT_OK with *f filled (on_frame, if set, was called
 * too); f->image stays valid until the next call on r.  At the end of the
 * range it returns VGT_E_END and fills *stats (may be NULL); an error
 * (vgt_replayer_run's) ends the run too.  A step without a run begun:
 * VGT_E_STATE. */
vgt_status vgt_replayer_begin(vgt_replayer *r, vgt_error *err);
vgt_status vgt_replayer_step(vgt_replayer *r, vgt_replay_frame *f, vgt_replay_stats *stats,
                             vgt_error *err);
/* The trace's header, device configuration and reader (owned by r). */
const vgt_trace_header *vgt_replayer_header(const vgt_replayer *r);
const vgt_trace_device_config *vgt_replayer_device_config(const vgt_replayer *r);
vgt_trace_reader *vgt_replayer_reader(vgt_replayer *r);
/* The backend the replay renders 3D with (AS_CAPTURED resolved). */
vgt_replay_backend vgt_replayer_backend(const vgt_replayer *r);
/* Turns the hash verification (options.verify) on or off for the runs
 * after this call, e.g. once the backend is known (vgt replay --verify
 * --reference DIR on another backend than the capture's verifies by the
 * reference instead). */
void vgt_replayer_set_verify(vgt_replayer *r, bool verify);
/* The executor (owned by r), e.g. to compose after a run. */
vgt_executor *vgt_replayer_executor(vgt_replayer *r);
/* The register file the replay holds now (mode, legacy cursor: what
 * REGISTER_WRITE records and a snapshot's REGS set), as a snapshot's REGS
 * section restores it: up to max values into out, returns how many
 * (VGT_REPLAYER_REGS at most). */
#define VGT_REPLAYER_REGS 8u
size_t vgt_replayer_registers(const vgt_replayer *r, vgt_snapshot_reg *out, size_t max);
/* The FIFO's FENCE register as the replay left it (the last FENCE replayed,
 * or a snapshot's FENC section): true and *value, or false when no fence
 * has passed yet (what a snapshot of this state records). */
bool vgt_replayer_last_fence(const vgt_replayer *r, uint32_t *value);
/* Closes the trace and frees everything.  NULL is a no-op. */
void vgt_replayer_close(vgt_replayer *r);

/* ---- state dumps: the device's state at a command (vgt replay --dump-at) --------- */

/* What one dump wrote. */
typedef struct vgt_state_dump_info {
    char dir[4096];       /* the dump's directory, DIR/seq-NNNNNNNN */
    uint32_t surfaces;    /* surfaces described in state.json */
    uint32_t contexts;    /* 3D contexts described */
    uint32_t pngs;        /* surface pictures written (colour, volume slices, depth, stencil) */
    uint32_t files;       /* BUFFER surfaces' bytes written (surface-SID-buffer.bin) */
    bool display_png;     /* display.png written (some screen is active) */
    bool contents_absent; /* the backend keeps no surface contents (null): no pictures */
} vgt_state_dump_info;

/* Writes the state r's executor holds right after command c (called from
 * on_command, with the vgt_replay_command it was handed) into
 * dir/seq-NNNNNNNN/ (dir and it created when missing; files there
 * replaced): state.json (the display model, fences, every 3D context's
 * state that differs from Direct3D 9's defaults with names and the bound
 * shaders' disassembly, the surfaces), display.png (the composed display,
 * what --screenshot saves, when a screen is active) and
 * surface-SID-FORMAT[-faceF-mipM].png for every colour image the backend
 * can read as pixels (a volume's: ...-sliceZ.png, every slice when the
 * backend has read_slice), ...-depth.png and ...-stencil.png for depth
 * formats (slice 0), surface-SID-buffer.bin for a BUFFER (none on a
 * backend without contents).  Reads through the backend's read_pixels,
 * read_slice and surface_download (the reads of a PRESENT and of a
 * SURFACE_DMA to the guest) and the executor's compose only: the replay
 * goes on undisturbed.  Errors: VGT_E_IO (a directory or file not
 * writable, naming it), VGT_E_NOMEM.  *info (may be NULL) says what was
 * written. */
vgt_status vgt_replayer_dump_state(vgt_replayer *r, const vgt_replay_command *c, const char *dir,
                                   vgt_state_dump_info *info, vgt_error *err);

/* ---- trim: a trace of some frames of another ------------------------------------ */

typedef struct vgt_trim_options {
    uint64_t first_frame, last_frame; /* guest frames A..B, inclusive */
    /* calls: cut by command instead, first_call..last_call inclusive (the
     * device's command numbers, the SEQ vgt dump prints, a COMMAND_BATCH's
     * commands each counted; last_call UINT64_MAX: to the trace's last);
     * the frame range is then unused */
    bool calls;
    uint64_t first_call, last_call;
    vgt_replay_backend backend; /* the replay to A (0 = null; AS_CAPTURED: as live) */
    bool salvage;               /* skip damaged chunks (reported) instead of stopping */
    /* whole: every record of in as it is (vgt repack), no cut and no
     * snapshot written: the frame and command ranges are unused, and the records after
     * in's last FRAME_END (a capture's teardown, a killed capture's last
     * frame) are kept.  With salvage, a damaged trace's readable records
     * become a complete trace (frame numbers kept). */
    bool whole;
    /* keep_tail (--frames, B IN's last complete frame): the records after
     * B's FRAME_END (IN's partial last frame: a capture's teardown, a
     * killed capture's last frame) are copied too, as vgt replay --frames
     * A- replays them; OUT then ends inside that frame, as IN does (vgt
     * analyze --frames: its checkpoint holds every command of the range) */
    bool keep_tail;
    /* OUT's zstd level and uncompressed chunk size: IN's unless set (a
     * level the writer takes, vgt_trace_compression_level_valid; a chunk
     * size inside VGT_TRACE_MIN_CHUNK_SIZE..VGT_TRACE_MAX_CHUNK_SIZE) */
    bool set_compression_level;
    int compression_level;
    uint32_t chunk_size; /* 0: IN's */
    FILE *log;           /* notes (NULL: none); the problems are in vgt_trim_stats */
    /* Called now and then (NULL: not): `copying` false while the frames
     * before A replay state-only, true while A..B are copied; frame is the
     * guest frame reached. */
    void (*progress)(void *ctx, bool copying, uint64_t frame);
    void *ctx;
} vgt_trim_options;

/* The most problems vgt_trim_stats keeps (a verb shows 20). */
#define VGT_TRIM_PROBLEMS_KEPT 32u

typedef struct vgt_trim_stats {
    uint64_t first_frame, last_frame; /* guest frames written */
    uint64_t frames;                  /* frames written (complete) */
    uint64_t frames_replayed;         /* frames replayed state-only to reach A */
    uint64_t commands_replayed;       /* commands that replay decoded (device ones too) */
    bool snapshot;                    /* OUT starts with a snapshot trim wrote */
    uint64_t snapshot_bytes;
    vgt_snapshot_3d_info snapshot_3d;
    vgt_replay_backend backend;   /* the replay's (when snapshot) */
    uint64_t records_in;          /* records of IN read (by the replay and the copy, each
                                   * record once though both readers read it) */
    uint64_t records_out;         /* records written to OUT (FRAME_END and SNAPSHOT included) */
    uint64_t bytes_in, bytes_out; /* file sizes */
    uint64_t
        chunks_skipped; /* salvage: vgt_trace_chunks_skipped of both readers, each chunk once */
    uint64_t ns;        /* wall time */
    /* every problem IN's readers recorded (the open's too), each once,
     * for the caller to report after the trim as every verb does (the
     * first VGT_TRIM_PROBLEMS_KEPT; problems_lost counts the others),
     * filled on an error too; trace_incomplete: IN has no footer (a
     * killed capture), its index rebuilt from trace_chunks chunks */
    vgt_trace_problem_copy problems[VGT_TRIM_PROBLEMS_KEPT];
    size_t nproblems, problems_lost;
    /* problems found with no memory left to record them (IN's readers'
     * vgt_trace_reader_problems_lost, the larger of the two, and those
     * this trim's own set had no room for): counted, never listed; IN is
     * not sound with any (they may be chunks skipped) */
    size_t problems_unrecorded;
    bool trace_incomplete;
    uint64_t trace_chunks;
    /* calls: the commands written (first, last, how many) and whether the
     * last frame is partial (B not its last command: no FRAME_END) */
    uint64_t first_call, last_call, calls;
    bool partial_last;
    int compression_level; /* OUT's */
    uint32_t chunk_size;   /* OUT's */
    /* salvage: the captured FRAME_HASHes left out of OUT, of frames that
     * lost records to skipped chunks (a hash of a picture the records left
     * do not draw, which OUT's --verify would fail at), and the first and
     * last such guest frame */
    uint64_t hashes_dropped, first_hash_dropped, last_hash_dropped;
} vgt_trim_stats;

/* Writes `out`, a trace of guest frames A..B of the trace `in` that replays
 * on its own (docs/cli.md, vgt trim): when A is after in's first frame, a
 * SNAPSHOT of the state at A (in replayed to A through the replayer on
 * o->backend, then vgt_snapshot_append), then in's records of frames A..B
 * as they are (types, flags, timestamps, payloads; frame numbers kept).
 * When A is in's first frame, the records only (in's own snapshot
 * included).  With o->calls, commands A..B instead: the SNAPSHOT is the
 * state before command A (A after in's first command), possibly mid-frame,
 * then the records from A's to B's (a COMMAND_BATCH straddling A or B cut
 * to its commands inside, a TIMING record to its entries inside; guest
 * memory reads, errors and fences of commands outside dropped), up to B's
 * frame end when B ends its frame.  With o->salvage, when the first frame
 * of A..B read lost its first records to a skipped chunk, A moves past it
 * (said on o->log; stats->first_frame is the new A).  out is written under
 * a temporary name and renamed when complete; on failure neither is left.
 * Errors: VGT_E_INVALID (B < A, out is in), VGT_E_NOTFOUND (A..B not in the
 * trace, or with salvage no record or no whole frame of it readable),
 * the reader's (a damaged chunk without salvage: its index and offset), the
 * replay's, VGT_E_FORMAT (calls: a malformed record to cut), I/O.  *stats
 * may be NULL. */
vgt_status vgt_trim(const char *in, const char *out, const vgt_trim_options *o,
                    vgt_trim_stats *stats, vgt_error *err);
/* The temporary name vgt_trim writes out under in this process (out +
 * ".trim-" + the process id), for a program that removes it when a signal
 * stops it.  False when it does not fit in `size` bytes. */
bool vgt_trim_temp_path(const char *out, char *buf, size_t size);

/* ---- pixel history: the commands of a frame that changed one pixel (vgt pixel) ---- */

typedef struct vgt_pixel_history_options {
    uint64_t frame; /* guest frame */
    uint32_t x, y;  /* the pixel, in the image followed */
    /* The image followed: the composed display (what the host shows: 2D,
     * 3D output, overlays, cursor), or surface sid's image (face, mip), or
     * when neither is set the surface image the frame's last PRESENT or
     * BLIT_SURFACE_TO_SCREEN shows. */
    bool display;
    bool surface_given;
    uint32_t sid, face, mip;
    vgt_replay_backend backend; /* 0 = null (refused for a surface); AS_CAPTURED */
    bool salvage;               /* skip damaged chunks (reported by the reader) */
} vgt_pixel_history_options;

typedef enum vgt_pixel_state {
    VGT_PIXEL_NO_IMAGE = 0, /* the surface (or image) does not exist; no display */
    VGT_PIXEL_OUTSIDE,      /* the image is smaller than (x, y) */
    VGT_PIXEL_VALUE,        /* read: has_argb / raw_size say what */
} vgt_pixel_state;

typedef struct vgt_pixel_value {
    vgt_pixel_state state;
    bool has_argb;     /* the colour as read_pixels (or the display) gives it */
    uint32_t argb;     /* 0xAARRGGBB */
    uint32_t raw_size; /* the texel's bytes (0: not read: a display, a DXT format) */
    uint8_t raw[16];   /* as a SURFACE_DMA to the guest reads them */
    /* a depth format's texel decoded (Z_D16, Z_D32, Z_D24S8, Z_D24X8):
     * depth in 0..1 (the stored integer over its maximum), stencil (D24S8) */
    bool has_depth, has_stencil;
    double depth;
    uint32_t stencil;
} vgt_pixel_value;

typedef struct vgt_pixel_change {
    uint64_t seq;      /* the command (vgt dump's SEQ) */
    uint32_t id;       /* its id */
    vgt_status status; /* its replay status (a failed command may still draw) */
    vgt_pixel_value before, after;
    /* false: the pixel is the same after it, but the backend's fragment
     * probe saw the command's fragments there (a test rejected them, or
     * the same value was written) */
    bool changed;
    /* the fragments the command rasterized at the pixel, in draw order
     * (fragment_probe; none when the backend has no probe) */
    vgt_backend_fragment *fragments;
    uint32_t fragment_count;
    uint64_t fragments_dropped; /* beyond VGT_BACKEND_FRAGMENTS_MAX */
} vgt_pixel_change;

typedef struct vgt_pixel_history {
    uint64_t frame;
    uint32_t x, y;
    bool display;
    uint32_t sid, face, mip;        /* the surface image followed (not display) */
    bool surface_found;             /* it was the one the frame shows (not given) */
    uint32_t format, width, height; /* the image's, once it existed */
    vgt_replay_backend backend;
    vgt_pixel_value start, end; /* before the frame's first command, after its last */
    uint64_t commands;          /* the frame's commands */
    /* the commands after which the pixel differs, or (changed false) whose
     * fragments touched it, in order */
    vgt_pixel_change *changes;
    size_t count, cap;
    size_t changed;          /* the entries that changed it */
    bool fragments_recorded; /* the backend has a fragment probe (soft), a surface followed */
    /* every problem the last reader recorded (the open's too), for the
     * caller to report as every verb does, filled on an error too (owned;
     * vgt_pixel_history_free); trace_incomplete: the trace has no footer
     * (a killed capture), its index rebuilt from trace_chunks chunks;
     * problems_lost: those the reader had no memory to record
     * (vgt_trace_reader_problems_lost), which may be chunks skipped */
    vgt_trace_problem_copy *problems;
    size_t nproblems, problems_lost;
    /* those past the problems the reader kept whole (no message): counted,
     * not in problems, in the "more not listed" line */
    size_t problems_unlisted;
    bool trace_incomplete;
    uint64_t trace_chunks;
    /* chunks the replay to the frame skipped (salvage,
     * vgt_trace_reader_chunks_skipped): the frame or the state it starts
     * from lost records (vgt pixel exits 2, as vgt replay --frames does) */
    uint64_t chunks_skipped;
} vgt_pixel_history;

/* Replays `path` to guest frame o->frame (the frames before state-only) and
 * reads the pixel after every command of the frame, and after every
 * command of the frame before (the last gives the frame's start).  On a
 * backend with a fragment probe (soft), following a surface, every draw's
 * fragments at the pixel are recorded too, and a draw that touched the
 * pixel without changing it is an entry (changed false); elsewhere only
 * changes are seen.  Errors: VGT_E_NOTFOUND (no such frame,
 * a frame without commands, or one that shows no 3D surface when none was
 * named), VGT_E_UNSUPPORTED (a surface on the null backend, a backend this
 * build lacks), the replay's.  Free *h with vgt_pixel_history_free. */
vgt_status vgt_pixel_history_run(const char *path, const vgt_pixel_history_options *o,
                                 vgt_pixel_history *h, vgt_error *err);
void vgt_pixel_history_free(vgt_pixel_history *h);

/* ---- diff: two SVGA traces compared (vgt diff) ------------------------------------ */

#define VGT_DIFF_MAX_ALIGN      (1u << 20) /* commands aligned per frame (default) */
#define VGT_DIFF_MAX_EDITS      1024u      /* edit distance the alignment looks for (default) */
#define VGT_DIFF_MAX_COMMANDS   (1u << 24) /* commands per frame diff reads at most */
#define VGT_DIFF_MAX_KEPT_WORDS (1u << 24) /* command words per frame kept for printing */
#define VGT_DIFF_MAX_IDS        (1u << 16) /* --ignore-ids: distinct ids per kind per trace */
#define VGT_DIFF_MAX_IGNORE     64u        /* --ignore: command types left out at most */

typedef struct vgt_diff_options {
    uint64_t first_frame, last_frame; /* guest frames to compare, inclusive (0, UINT64_MAX: all) */
    uint32_t limit;                   /* differing frames kept in detail per list (0: none) */
    /* A frame whose commands, past their common head and tail, number more
     * than max_align, or whose edit distance exceeds max_edits (at most
     * 16384: the alignment keeps max_edits^2 positions), or whose alignment
     * takes more than 64 Mi steps, is compared position by position (0: the
     * defaults above). */
    uint32_t max_align, max_edits;
    /* Ids the guest chose (vgt_cmd_ids: surfaces, contexts, shaders, GMRs,
     * screens) renamed, per trace and per kind, to their order of first
     * appearance over the compared frames (the first sid seen 0, the next 1,
     * ...), and fence values compared as 0, before hashing: two traces that
     * differ by a consistent renaming compare equal.  A kind past
     * VGT_DIFF_MAX_IDS distinct ids in a trace (or out of memory for its
     * map) keeps its further new ids as they are, never equal to a renamed
     * one (vgt_diff_trace.ids_overflow).  The kept (printed) words
     * stay the original ones. */
    bool ignore_ids;
    /* Command types (ids, the first word) left out of the command
     * comparison: dropped from both traces' per-frame command lists before
     * the hashing, the renaming (ignore_ids) and the alignment, and counted
     * (vgt_diff_trace.ignored).  The frame checks (FRAME_HASH, guest memory
     * reads, register writes, FENCE records, errors) and the cost summary
     * still see every record.  At most VGT_DIFF_MAX_IGNORE (more:
     * VGT_E_RANGE); the caller's array, read during vgt_diff only. */
    const uint32_t *ignore;
    size_t nignore;
    /* Skip damaged chunks (the reader's salvage mode, each one a problem of
     * its reader) instead of failing: a compared frame that lost records to
     * a skipped chunk (the frames the chunk index gives the chunk, or, for a
     * chunk a rebuilt index left out, those between the records read around
     * it) is damaged on that side and not compared (vgt_diff_trace.damaged). */
    bool salvage;
} vgt_diff_options;

/* One command at the first difference of a frame. */
typedef struct vgt_diff_command {
    bool present;   /* false: past the end of the frame */
    uint64_t index; /* position in the frame, from 0 */
    uint64_t seq;   /* the device's command number */
    uint32_t nwords;
    uint32_t *words; /* owned (vgt_diff_result_free); NULL when not kept */
} vgt_diff_command;

/* What one trace holds for one frame. */
typedef struct vgt_diff_side {
    uint64_t commands; /* compared (the ignored types left out) */
    uint64_t ignored;  /* of the types in vgt_diff_options.ignore */
    bool has_hash;     /* a FRAME_HASH record */
    vgt_trace_frame_hash hash;
    uint64_t dma_reads, dma_bytes; /* guest memory read for the frame's commands */
    uint64_t dma_hash;             /* of every read's bytes, in order */
    /* the frame's events, each a count and a hash of them in order:
     * REGISTER_WRITE (register and value; a FIFO cursor sample's
     * visibility, position and screen, not its seq; IRQMASK writes left
     * out: a guest waiting for a fence toggles it as often as the device
     * was slow; with ignore_ids GMR_ID's value renamed as the commands'
     * GMRs), FENCE (the value;
     * with ignore_ids not hashed: counted only), ERROR (kind and message,
     * not the FIFO offset) */
    uint64_t reg_writes, reg_hash;
    uint64_t fences, fence_hash;
    uint64_t errors, error_hash;
} vgt_diff_side;

/* One compared frame that differs. */
typedef struct vgt_diff_frame {
    uint64_t frame; /* guest frame */
    vgt_diff_side a, b;
    bool commands_differ;
    bool picture_differs;              /* both have a comparable FRAME_HASH, and it differs */
    bool memory_differs;               /* guest memory reads differ in count, bytes or contents */
    bool regs_differ, fences_differ;   /* register writes, fences differ in count or contents */
    bool errors_differ;                /* device errors differ in count, kind or message */
    uint64_t changed, only_a, only_b;  /* differing commands: paired, A's alone, B's alone */
    bool positional;                   /* too large to align: compared position by position */
    bool length_only;                  /* one frame's commands are the head of the other's */
    vgt_diff_command first_a, first_b; /* the commands at the first difference */
} vgt_diff_frame;

/* One trace's part. */
typedef struct vgt_diff_trace {
    bool has_frames;                          /* at least one complete frame */
    uint64_t first_frame, last_frame;         /* its complete guest frames */
    uint64_t commands;                        /* in the compared frames, the ignored left out */
    uint64_t ignored;                         /* left out (vgt_diff_options.ignore), in them */
    uint64_t ignored_by[VGT_DIFF_MAX_IGNORE]; /* per vgt_diff_options.ignore[i] */
    vgt_trace_svga_summary cost; /* of the compared frames (vgt_trace_svga_summarize's) */
    /* ignore_ids: distinct ids renamed per vgt_id_kind (fences: FENCE
     * commands seen), and whether a kind passed VGT_DIFF_MAX_IDS */
    uint64_t ids[VGT_ID_KINDS];
    bool ids_overflow;
    /* the reader's problems the reading met (salvage: the chunks it
     * skipped; else the damaged chunk that stopped it), and (salvage) the
     * compared guest frames that lost records to them, as ranges [first,
     * last] in order (both owned; vgt_diff_result_free) */
    vgt_trace_problem_copy *problems;
    size_t nproblems;
    /* those of them past the problems the reader kept whole (no message):
     * counted, not in the list */
    size_t nproblems_unlisted;
    uint64_t (*damaged)[2];
    size_t ndamaged;
    /* every problem the reader recorded and kept whole, the open's too (the missing
     * footer, a torn last chunk, a damaged header the index rebuild went
     * past), in the order recorded: what vgt diff reports, as every verb
     * reports a trace's problems (owned; vgt_diff_result_free) */
    vgt_trace_problem_copy *all_problems;
    size_t nall_problems;
    /* the ones past those the reader kept whole (no message): counted,
     * not in all_problems, in the "more not listed" line */
    size_t nall_unlisted;
    /* problems the reader found with no memory to record them
     * (vgt_trace_reader_problems_lost): not in the lists above, and they
     * may be chunks skipped, so vgt diff calls the trace damaged */
    size_t problems_lost;
    uint64_t chunks_skipped; /* salvage: vgt_trace_reader_chunks_skipped after the reading */
    /* the trace has no footer (a killed capture), its index rebuilt from
     * `chunks` chunks: vgt diff says so in the warning every verb gives
     * (vgt_cli_warn_incomplete_chunks), not as one of its problems */
    bool incomplete;
    uint64_t chunks;
} vgt_diff_trace;

typedef struct vgt_diff_result {
    vgt_diff_trace a, b;
    bool have_common;             /* some frames compared */
    uint64_t first, last, frames; /* the compared guest frames */
    uint64_t frames_commands_differ, changed, only_a, only_b;
    uint64_t frames_positional, frames_length_only;
    uint64_t frames_picture_equal, frames_picture_differ;
    uint64_t frames_no_hash; /* a hash missing on one side, or of different kinds */
    uint64_t frames_memory_differ;
    uint64_t frames_regs_differ, frames_fences_differ, frames_errors_differ;
    vgt_diff_frame *cmd_frames; /* the first `limit` frames whose commands differ */
    size_t ncmd_frames;
    vgt_diff_frame *pic_frames; /* the first `limit` whose picture, guest memory or events
                                 * (register writes, fences, errors) differ */
    size_t npic_frames;
    uint64_t frames_damaged; /* salvage: compared frames damaged on A, B or both (not compared) */
    bool equal; /* some frames compared; their commands and frame hashes are equal (damaged
                 * frames left out) */
} vgt_diff_result;

/* Compares the SVGA traces a and b frame by frame over the guest frames both
 * hold (within o's range; o may be NULL): each frame's commands (words as
 * recorded) aligned by a Myers diff of their hashes, its FRAME_HASH, the
 * guest memory its commands read, and per command type the counts and
 * execution times (docs/cli.md, vgt diff).  Errors: VGT_E_UNSUPPORTED (not
 * an svga2 trace), the reader's for a damaged trace (chunk and offset),
 * VGT_E_FORMAT for a malformed record, VGT_E_RANGE for a frame of more than
 * VGT_DIFF_MAX_COMMANDS commands, VGT_E_NOMEM; each names the file.  With
 * o->salvage a damaged chunk is skipped instead (out->a/b.problems), and
 * the compared frames it took records from are damaged, not compared
 * (out->a/b.damaged, out->frames_damaged).  *out is the caller's;
 * vgt_diff_result_free releases it (also after an error). */
vgt_status vgt_diff(const char *a, const char *b, const vgt_diff_options *o, vgt_diff_result *out,
                    vgt_error *err);
void vgt_diff_result_free(vgt_diff_result *r);
/* Whether guest frame `frame` is one of t's damaged ones (salvage). */
bool vgt_diff_frame_damaged(const vgt_diff_trace *t, uint64_t frame);

/* ---- leaks: objects the guest created and never destroyed (vgt leaks) -------------- */

#define VGT_LEAKS_MAX_IDS    (1u << 16) /* objects tracked per kind (as VGT_DIFF_MAX_IDS) */
#define VGT_LEAKS_MAX_ERRORS (1u << 20) /* rejected commands remembered */

/* What the walk over an SVGA trace's recorded commands (no replay) counted,
 * the same for the three static analyses that share it (replay/svga_walk.c):
 * vgt_leaks_result, vgt_shader_list_result and vgt_surface_list_result each
 * hold one as their member walk.  Filled also when the walk stopped on an
 * error (what it had read by then). */
typedef struct vgt_svga_walk_summary {
    uint64_t commands;      /* commands read (all: the rejected and the undecodable too) */
    uint64_t rejected;      /* commands the device refused live (an ERROR record names them):
                             * they changed nothing, not judged */
    uint64_t undecodable;   /* commands that did not decode (skipped; the device refused them
                             * too) */
    bool rejected_overflow; /* past VGT_LEAKS_MAX_ERRORS ERROR records: the later rejected
                             * commands are taken as if they ran */
    bool has_snapshot;      /* the trace holds a SNAPSHOT (a trace cut mid-run) */
    uint64_t first_frame, last_frame; /* guest frames of the first and last command (valid
                                       * when commands) */
    bool last_frame_partial;          /* last_frame did not end (no FRAME_END after it: the
                                       * commands after the guest's last frame end, which
                                       * vgt info and vgt replay do not count as a frame) */
    bool skipped; /* a salvaging reader skipped damaged chunks (vgt_trace_reader_chunks_skipped;
                     its problems say which) */
    size_t problems_lost; /* problems the reader found with no memory to record them
                           * (vgt_trace_reader_problems_lost): they may be chunks
                           * skipped, so the result is not called whole */
} vgt_svga_walk_summary;

/* The objects vgt leaks follows.  Shaders are keyed by context, type and id
 * (SVGA3D scopes them so) and die with their context; so do queries (keyed
 * by context and query type, id = the type: alive from BEGIN_QUERY to
 * END_QUERY, the open ones reported as QUERY_OPEN, not listed as alive).
 * Overlay units (id = the stream) are alive while a FLUSH shows them.
 * Fences are values, not objects: their kind names FENCE_REUSED's issues. */
typedef enum vgt_leak_kind {
    VGT_LEAK_SURFACE = 0,
    VGT_LEAK_CONTEXT,
    VGT_LEAK_SHADER,
    VGT_LEAK_GMR,
    VGT_LEAK_SCREEN,
    VGT_LEAK_QUERY,
    VGT_LEAK_OVERLAY,
    VGT_LEAK_FENCE,
    VGT_LEAK_KINDS
} vgt_leak_kind;

typedef enum vgt_leak_problem {
    VGT_LEAK_DESTROY_UNDEFINED = 0, /* a destroy of an id never defined */
    VGT_LEAK_DESTROY_TWICE,         /* a destroy of an id destroyed already */
    VGT_LEAK_REDEFINE,              /* a define over a live surface/context/shader */
    VGT_LEAK_DANGLING,              /* a use of an id not alive */
    VGT_LEAK_UNUSED,                /* defined, then destroyed or left, never used */
    VGT_LEAK_QUERY_OPEN,            /* begun, never ended (at the end, or its context died) */
    VGT_LEAK_QUERY_NOT_BEGUN,       /* END_QUERY of a query not open, WAIT_FOR_QUERY of one
                                     * never begun in its context */
    VGT_LEAK_QUERY_REBEGUN,         /* BEGIN_QUERY of an open query (restarts it) */
    VGT_LEAK_FENCE_REUSED,          /* a FENCE value not after the one before (mod 2^32; the
                                     * first after a SNAPSHOT: after its FENC register) */
    VGT_LEAK_PROBLEMS
} vgt_leak_problem;

/* One object (alive at the end). */
typedef struct vgt_leak_object {
    vgt_leak_kind kind;
    uint32_t id;
    uint32_t cid, type;            /* shaders: their context and vgt_svga3d_shader_type;
                                    * queries: their context and vgt_svga3d_query_type */
    bool snapshot;                 /* defined by the trace's SNAPSHOT (or before the capture) */
    uint64_t define_seq;           /* the snapshot's: the first seq after it */
    uint64_t define_frame;         /* guest frame */
    uint32_t define_cmd;           /* the defining command's id (0: a register write) */
    bool used;                     /* named by a command after its define */
    uint64_t last_use_seq;         /* when used */
    uint32_t format;               /* surfaces: vgt_svga3d_surface_format */
    uint32_t width, height, depth; /* surfaces (level 0), screens and overlay units (their
                                    * destination; depth 0) */
    uint32_t pages;                /* GMRs: DEFINE_GMR2's page count (0 unknown) */
} vgt_leak_object;

/* One misuse, at the command that shows it. */
typedef struct vgt_leak_issue {
    vgt_leak_problem problem;
    vgt_leak_kind kind;
    uint32_t id, cid, type;
    uint64_t seq, frame; /* the command (UNUSED: the define) */
    uint32_t cmd;        /* its command id (vgt_cmd_name); 0 for a register write */
    uint64_t ref_seq;    /* REDEFINE/UNUSED/DESTROY_TWICE/DANGLING: the earlier define or
                          * destroy it refers to; UINT64_MAX none (never defined, left alive).
                          * QUERY_OPEN (seq: the BEGIN_QUERY): its context's destroy, UINT64_MAX
                          * open at the end; QUERY_NOT_BEGUN: the END_QUERY that ended it
                          * already; QUERY_REBEGUN: the BEGIN_QUERY that opened it;
                          * FENCE_REUSED: the FENCE before it (UINT64_MAX: the
                          * FENCE register of the trace's SNAPSHOT, its FENC) */
    uint32_t ref_value;  /* FENCE_REUSED: that FENCE's value */
} vgt_leak_issue;

typedef struct vgt_leaks_options {
    uint32_t limit; /* objects kept per kind and issues kept per problem (0: counts only) */
} vgt_leaks_options;

/* Queries: defined = begun, destroyed = ended (or died with their context),
 * alive = open at the end.  Overlay units: shown, hidden, shown at the end.
 * Fences: defined = FENCE commands (each passed when the device ran it). */
typedef struct vgt_leak_kind_stats {
    uint64_t defined, destroyed, alive;
    uint64_t snapshot;  /* of the defined: from the snapshot (or before the capture) */
    uint64_t untracked; /* defines, destroys and uses not judged: past VGT_LEAKS_MAX_IDS */
    bool overflow;
} vgt_leak_kind_stats;

typedef struct vgt_leaks_result {
    vgt_svga_walk_summary walk; /* commands, rejected (they changed no object), frames, ... */
    uint64_t snapshot_frame, snapshot_seq; /* walk.has_snapshot: its guest frame, next seq */
    vgt_leak_kind_stats kinds[VGT_LEAK_KINDS];
    vgt_leak_object *alive; /* up to limit per kind, by kind then (cid, type,) id; owned */
    size_t nalive;
    uint64_t problems[VGT_LEAK_PROBLEMS];
    vgt_leak_issue *issues; /* up to limit per problem, by problem then seq; owned */
    size_t nissues;
} vgt_leaks_result;

/* Reads r from the start (SVGA traces) and fills *out: the objects alive at
 * the end and the misuse found in the recorded commands, by static analysis
 * (no executor).  Commands the device rejected live (ERROR records, which
 * the capture may write before the batch holding their command: a first
 * pass reads them all) change no object.  Memory: at most VGT_LEAKS_MAX_IDS
 * objects per kind and VGT_LEAKS_MAX_ERRORS rejected commands.  A
 * damaged chunk stops it with the reader's error, unless r was opened with
 * salvage (then out->walk.skipped). */
vgt_status vgt_leaks(vgt_trace_reader *r, const vgt_leaks_options *o, vgt_leaks_result *out,
                     vgt_error *err);
/* Frees out's lists (also after an error). */
void vgt_leaks_result_free(vgt_leaks_result *out);
/* "surface", "context", "shader", "gmr", "screen", "query", "overlay", "fence". */
const char *vgt_leak_kind_name(vgt_leak_kind kind);
/* "destroy-undefined", "destroy-twice", "redefine", "dangling", "unused",
 * "query-open", "query-not-begun", "query-rebegun", "fence-reused". */
const char *vgt_leak_problem_name(vgt_leak_problem p);

/* ---- shader list: the shaders an SVGA trace defines (vgt shader list) -------------- */

#define VGT_SHADER_LIST_MAX_DEFINES (1u << 16) /* defines kept; past them counted only */

/* How a define's life ended. */
typedef enum vgt_shader_def_end {
    VGT_SHADER_END_NONE = 0, /* alive at the trace's end (or never defined: refused) */
    VGT_SHADER_END_DESTROY,  /* SHADER_DESTROY */
    VGT_SHADER_END_REDEFINE, /* a SHADER_DEFINE of its id that the device took */
    VGT_SHADER_END_CONTEXT,  /* its context destroyed or defined again */
} vgt_shader_def_end;

/* One SHADER_DEFINE of the trace (or of its SNAPSHOT). */
typedef struct vgt_shader_def {
    uint64_t seq;           /* the command's (vgt dump's SEQ); a snapshot's: its next seq */
    bool snapshot;          /* defined by the trace's SNAPSHOT (a trace cut mid-run) */
    uint64_t frame;         /* guest frame */
    uint32_t cid, shid;     /* as the command names them */
    uint32_t type;          /* vgt_svga3d_shader_type: 1 vs, 2 ps */
    uint32_t tokens;        /* words of bytecode sent */
    uint32_t version_token; /* the first word (0 when none was sent) */
    uint64_t hash;          /* XXH3_64 (seed 0) of the bytecode's bytes as sent */
    bool valid;             /* vgt_shader_parse took it */
    uint32_t insns;         /* valid: its instructions (comments and end not counted) */
    vgt_shader_fault fault; /* not valid: the validator's fault ... */
    uint32_t fault_token;   /* ... at this token index */
    char reason[200];       /* not valid: the validator's message; refused: why */
    bool refused;           /* the device did not define it (invalid, an ERROR record
                             * names it, its context undefined, an id or size out of
                             * the executor's range): reason says why */
    uint64_t draws;         /* DRAW_PRIMITIVES the device ran with it bound */
    vgt_shader_def_end end; /* how its life ended */
    uint64_t end_seq;       /* the seq of that command (UINT64_MAX: none) */
    size_t same_as;         /* the index of the first listed define of the same hash */
} vgt_shader_def;

typedef struct vgt_shader_list_options {
    bool frames; /* list only the defines of guest frames first_frame..last_frame */
    uint64_t first_frame, last_frame;
    /* Called for each listed define as it is read (draws and end not known
     * yet), with its bytecode (host-order words, d->tokens of them) and
     * ctx; d->same_as is known.  A non-OK status stops the walk with it. */
    vgt_status (*on_define)(void *ctx, const vgt_shader_def *d, size_t index, const uint32_t *words,
                            vgt_error *err);
    void *ctx;
} vgt_shader_list_options;

typedef struct vgt_shader_list_result {
    vgt_shader_def *defs; /* the listed defines in trace order; owned */
    size_t ndefs;
    uint64_t unlisted;          /* defines past VGT_SHADER_LIST_MAX_DEFINES, not listed */
    uint64_t distinct;          /* distinct hashes of the listed */
    uint64_t draws;             /* DRAW_PRIMITIVES the device ran (all frames) */
    vgt_svga_walk_summary walk; /* commands, rejected, frames, snapshot, skipped chunks */
} vgt_shader_list_result;

/* Reads the SVGA trace r from its start, no replay, and lists its
 * SHADER_DEFINEs (docs/cli.md, "vgt shader list"): each validated and
 * hashed, and the draws the device ran with it bound, following the
 * executor's bindings (SET_SHADER binds an id per context and type; a
 * redefinition the device takes replaces the shader under a binding; a
 * SHADER_DESTROY of the bound shader unbinds it; a context's destroy takes
 * its shaders; a draw with no colour nor depth target runs nothing).
 * Commands an ERROR record names change nothing.  Errors as
 * vgt_leaks's (VGT_E_UNSUPPORTED not SVGA, the reader's for a damaged
 * chunk unless r salvages, VGT_E_NOMEM) or on_define's.  *out is the
 * caller's; vgt_shader_list_free releases it (also after an error). */
vgt_status vgt_shader_list(vgt_trace_reader *r, const vgt_shader_list_options *o,
                           vgt_shader_list_result *out, vgt_error *err);
void vgt_shader_list_free(vgt_shader_list_result *out);

/* ---- surface list: the surfaces an SVGA trace defines (vgt surfaces) -------------- */

#define VGT_SURFACE_LIST_MAX_DEFINES (1u << 16) /* defines kept; past them counted only */

/* How a define's life ended. */
typedef enum vgt_surface_def_end {
    VGT_SURFACE_END_NONE = 0, /* alive at the trace's end (or refused: never defined) */
    VGT_SURFACE_END_DESTROY,  /* SURFACE_DESTROY */
    VGT_SURFACE_END_REDEFINE, /* a SURFACE_DEFINE(_V2) of its sid that the device took */
} vgt_surface_def_end;

/* One SURFACE_DEFINE / SURFACE_DEFINE_V2 of the trace (or of its SNAPSHOT)
 * and what the commands did with it while it lived.  A use counts for the
 * define alive under its sid when the command ran. */
typedef struct vgt_surface_def {
    uint64_t seq;                   /* the command's (vgt dump's SEQ); a snapshot's: its next seq */
    bool snapshot;                  /* defined by the trace's SNAPSHOT (a trace cut mid-run) */
    bool v2;                        /* SURFACE_DEFINE_V2 (multisample is its) */
    uint64_t frame;                 /* guest frame */
    uint32_t sid, format, flags;    /* as the command names them (format: vgt_svga3d_format_name) */
    uint32_t width, height, depth;  /* mip 0 (0 when the command sends no size) */
    uint32_t faces, mips;           /* 6 for a cube map, else 1; mip levels of face 0 */
    uint32_t multisample;           /* V2's multisample count */
    uint64_t storage;               /* bytes of all faces and mips, the executor's size rule
                                     * (e3d_surface_layout); 0 when refused */
    uint64_t uploads, upload_bytes; /* SURFACE_DMA guest -> surface: commands, box bytes */
    uint64_t downloads, download_bytes; /* SURFACE_DMA surface -> guest */
    uint64_t copies_in, copies_out;     /* SURFACE_COPY and SURFACE_STRETCHBLT as destination,
                                         * as source */
    uint64_t mip_generations;           /* GENERATE_MIPMAPS the executor takes */
    uint64_t rt_draws, rt_clears;       /* DRAW_PRIMITIVES and CLEARs of a context while it was a
                                         * render target there (colour, depth or stencil) */
    uint64_t tex_draws;                 /* DRAW_PRIMITIVES while bound to a texture stage */
    uint64_t vertex_draws, index_draws; /* DRAW_PRIMITIVES naming it as a vertex array, as an
                                         * index buffer */
    uint64_t presents;                  /* PRESENT and BLIT_SURFACE_TO_SCREEN from it */
    bool refused;                       /* the device did not define it: reason says why */
    char reason[200];
    vgt_surface_def_end end;
    uint64_t end_seq; /* the seq of that command (UINT64_MAX: none) */
} vgt_surface_def;

typedef struct vgt_surface_list_options {
    bool frames; /* list only the defines of guest frames first_frame..last_frame */
    uint64_t first_frame, last_frame;
} vgt_surface_list_options;

typedef struct vgt_surface_list_result {
    vgt_surface_def *defs; /* the listed defines in trace order; owned */
    size_t ndefs;
    uint64_t unlisted;          /* defines past VGT_SURFACE_LIST_MAX_DEFINES, not listed */
    uint64_t draws, clears;     /* DRAW_PRIMITIVES and CLEARs of a defined context (all frames) */
    vgt_svga_walk_summary walk; /* commands, rejected, frames, snapshot, skipped chunks */
} vgt_surface_list_result;

/* Reads the SVGA trace r from its start, no replay, and lists its
 * SURFACE_DEFINE(_V2)s (docs/cli.md, "vgt surfaces"): each checked with the
 * executor's own rules (backend limits aside), sized with its size rule,
 * and what the commands did with it, following the executor's bindings
 * (SETRENDERTARGET and SETTEXTURESTATE per context; a destroy or a
 * redefinition unbinds the surface from every context, so a later draw
 * counts for no define).  Commands an ERROR record names change nothing.
 * Errors as vgt_shader_list's.  *out is the caller's;
 * vgt_surface_list_free releases it (also after an error). */
vgt_status vgt_surface_list(vgt_trace_reader *r, const vgt_surface_list_options *o,
                            vgt_surface_list_result *out, vgt_error *err);
void vgt_surface_list_free(vgt_surface_list_result *out);

/* ---- diff --images: the replayed pictures compared -------------------------------- */

typedef struct vgt_diff_images_options {
    uint64_t first_frame, last_frame; /* guest frames, inclusive (vgt diff passes its compared
                                       * range) */
    vgt_replay_backend backend;       /* soft or gl; any other (null: it renders no 3D)
                                       * is refused */
    uint32_t tolerance;               /* per channel: a larger delta makes a pixel differ */
    const char *dir;                  /* where the pictures go (created if missing) */
    uint32_t limit;                   /* differing frames kept in detail (0: none) */
    bool salvage;                     /* the replays skip damaged chunks (reported) */
    /* salvage: a frame for which it returns true (vgt diff's damaged ones)
     * is replayed but its pictures are not compared (NULL: none) */
    bool (*damaged)(const void *ctx, uint64_t frame);
    const void *damaged_ctx;
} vgt_diff_images_options;

/* One frame whose pictures differ. */
typedef struct vgt_diff_image_frame {
    uint64_t frame;             /* guest frame */
    bool a_display, b_display;  /* a picture was shown (an active screen) */
    uint32_t a_width, a_height; /* its size (0 without) */
    uint32_t b_width, b_height;
    bool size_differs;   /* sizes (or display presence) differ: not compared */
    vgt_image_diff diff; /* same size: vgt_image_compare's (count, max, box) */
    bool written;        /* DIR/frame-NNNNNN-{a,b,diff}.png written */
} vgt_diff_image_frame;

typedef struct vgt_diff_images_result {
    vgt_replay_backend backend_a, backend_b; /* the replays' backends */
    uint64_t frames;                         /* frames both replays composed, compared */
    uint64_t frames_equal;                   /* within the tolerance (or both without display) */
    uint64_t frames_differ;                  /* same size, pixels beyond the tolerance */
    uint64_t frames_size_differ;             /* sizes or display presence differ */
    uint64_t frames_written;                 /* frames whose three pictures were written */
    uint64_t frames_damaged;                 /* o->damaged's frames, not compared */
    vgt_diff_image_frame *list;              /* the first `limit` frames that differ */
    size_t nlist;
    bool equal; /* no frame differs (frames may be 0) */
} vgt_diff_images_result;

/* Replays a and b through the replayer (vgt_replayer_begin/_step) in
 * lockstep over guest frames o->first_frame..o->last_frame, and compares
 * each frame both composed pixel by pixel (vgt_image_compare, alpha
 * ignored).  For a frame of the same size that differs beyond the
 * tolerance it writes o->dir/frame-NNNNNN-a.png, -b.png and -diff.png
 * (vgt_image_diff_picture); a frame whose sizes differ is counted, without
 * pictures.  Two frames' images are held at a time, whatever the trace's
 * length.  Errors: VGT_E_INVALID (the null backend, no dir),
 * VGT_E_UNSUPPORTED (a backend this build lacks), VGT_E_IO (dir not
 * creatable or a picture not writable), the replays' (a damaged trace, a
 * divergence), each naming the trace ("A: ", "B: ").  *out is the caller's;
 * vgt_diff_images_result_free releases it (also after an error). */
vgt_status vgt_diff_images(const char *a, const char *b, const vgt_diff_images_options *o,
                           vgt_diff_images_result *out, vgt_error *err);
void vgt_diff_images_result_free(vgt_diff_images_result *r);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* VGT_REPLAYER_H */
