/* svga_walk.h - the walk over an SVGA trace's recorded commands without a
 * replay, shared by the static analyses (vgt leaks: leaks.c; vgt shader
 * list: shader_list.c; vgt surfaces: surface_list.c).  Private to the
 * replay library.
 *
 * It reads the trace twice: a first pass collects the seqs the ERROR
 * records name (the capture may write an ERROR before the batch holding
 * its command), the second hands every command to the caller, decoded,
 * and says whether the device refused it live.  A damaged chunk stops it
 * with the reader's error, or (a salvaging reader) is skipped. */
#ifndef VGT_SVGA_WALK_H
#define VGT_SVGA_WALK_H

#include "vgt_replayer.h"

#include "vgt_protocol.h"

typedef struct svga_walk svga_walk;

/* What the caller does with each record.  Every member may be NULL. */
typedef struct svga_walk_ops {
    /* A decoded command the device ran, at seq. */
    void (*command)(void *ctx, uint64_t seq, const vgt_cmd *cmd);
    /* A command the device refused live (an ERROR record names it: cmd is
     * it decoded, or NULL) or that does not decode (cmd NULL): it changed
     * nothing. */
    void (*refused)(void *ctx, uint64_t seq, const vgt_cmd *cmd);
    /* A register write. */
    void (*reg)(void *ctx, const vgt_trace_reg *g);
    /* A SNAPSHOT record (svga_walk_snapshot reads it). */
    vgt_status (*snapshot)(void *ctx, const vgt_trace_record *rec, vgt_error *err);
} svga_walk_ops;

/* The walk's state and what it counted; the callbacks read it (frame) and
 * may set nomem, which stops the walk with VGT_E_NOMEM. */
struct svga_walk {
    const char *verb;     /* "vgt leaks": its messages' prefix */
    uint64_t start_frame; /* the trace header's */
    uint64_t frame;       /* the guest frame of the record being read */
    /* What it counted, counted here once and handed whole to each result
     * (their member walk): a field added here reaches all three. */
    vgt_svga_walk_summary sum;
    bool nomem;
    /* private */
    bool frame_ended;
    uint64_t last_ended;
    uint64_t *rejected_seqs;
    size_t nrejected;
    uint32_t *words;
    size_t cap;
};

/* Walks r from its start (an SVGA trace, else VGT_E_UNSUPPORTED naming
 * verb), handing each record to ops with ctx.  *w is the caller's (zeroed
 * here, verb set; w->sum what it counted, also after an error); VGT_OK at
 * the trace's end. */
vgt_status svga_walk_run(svga_walk *w, const char *verb, vgt_trace_reader *r,
                         const svga_walk_ops *ops, void *ctx, vgt_error *err);

/* The little-endian word at *pos of p (size bytes), *pos moved past it;
 * false when it is not all there. */
bool svga_walk_get32(const uint8_t *p, uint64_t size, uint64_t *pos, uint32_t *v);

/* One section of a SNAPSHOT: NULL, or why it is malformed (*at: the byte of
 * the section). */
typedef const char *(*svga_walk_section_fn)(void *ctx, const vgt_trace_snapshot_section *s,
                                            uint64_t *at);
/* Reads a SNAPSHOT record: its header's guest frame and next seq to
 * begin (w->sum.has_snapshot set before), then each section through fn.
 * A malformed section is VGT_E_FORMAT (or VGT_E_NOMEM when w->nomem)
 * naming it. */
vgt_status svga_walk_snapshot(svga_walk *w, const vgt_trace_record *rec,
                              void (*begin)(void *ctx, uint64_t frame, uint64_t next_seq),
                              svga_walk_section_fn fn, void *ctx, vgt_error *err);
/* The synthetic commands of an "EX3D" section (replay/snapshot3d.c), each
 * decoded and handed to fn; NULL, or why it is malformed (*at: the byte). */
const char *svga_walk_snapshot_3d(svga_walk *w, const vgt_trace_snapshot_section *s,
                                  void (*fn)(void *ctx, const vgt_cmd *cmd), void *ctx,
                                  uint64_t *at);

/* A walk that hands every command to one function: those the device ran,
 * those an ERROR record names (rejected; a command that does not decode is
 * left out) and a SNAPSHOT's synthetic 3D commands (in_snapshot set while
 * they come, seq the snapshot's next seq).  vgt shader list and vgt
 * surfaces walk so. */
typedef struct svga_walk_cmds {
    void (*take)(void *ctx, uint64_t seq, const vgt_cmd *cmd, bool rejected);
    void *ctx;
    bool in_snapshot; /* take is being handed a SNAPSHOT's command */
    uint64_t seq;     /* private */
} svga_walk_cmds;

/* svga_walk_run with c's take for every command (ctx: c->ctx). */
vgt_status svga_walk_commands(svga_walk *w, const char *verb, vgt_trace_reader *r,
                              svga_walk_cmds *c, vgt_error *err);

#endif
