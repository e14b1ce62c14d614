/* tui_internal.h - private parts of the profiler (tui/): the source's state,
 * the trace access (trace.c) and helpers shared by the models and the
 * renderer. */
#ifndef VGT_TUI_INTERNAL_H
#define VGT_TUI_INTERNAL_H

#include <sqlite3.h>

#include "vgt_analyze.h"
#include "vgt_protocol.h"
#include "vgt_replayer.h"
#include "vgt_tui.h"

#define TUI_STMT_CACHE 32

typedef struct tui_stmt {
    char *sql;
    sqlite3_stmt *st;
} tui_stmt;

/* SQLite page cache sizes (PRAGMA cache_size, negative: KiB): the source's
 * open scans every frames row once under the small one; browsing keeps the
 * pages it reads under the large one */
#define TUI_OPEN_CACHE   "-2048"
#define TUI_BROWSE_CACHE "-65536"

typedef struct tui_type_name_entry {
    uint32_t id;
    char name[40];
} tui_type_name_entry;

struct vgt_tui_source {
    sqlite3 *db;
    char path[1024];
    vgt_tui_run_info run;
    int64_t version;   /* PRAGMA user_version: 1 has no frame wall times */
    bool frames_dense; /* frame numbers first_frame..last_frame without gaps */
    /* frames with gaps: the first row of the last page fetched (row index and
     * frame), where the next page's start is counted from */
    bool frame_anchor;
    uint64_t frame_anchor_row, frame_anchor_frame;
    /* schema 1 and 2 (no frames.partial): frames at or past it are partial,
     * the trace's start frame plus its complete frames (traces.frames) */
    uint64_t partial_from;
    tui_stmt stmt[TUI_STMT_CACHE];
    size_t nstmt;
    uint64_t queries;
    tui_type_name_entry *types;
    size_t ntypes, types_cap;
    /* the trace, opened on first use */
    vgt_trace_reader *trace;
    bool trace_tried;
    char trace_err[300];
    uint32_t *words; /* the last command read */
    size_t words_cap;
    /* the commands record being read (a batch yields several), and its frame;
     * its payload is the reader's, valid until the reader moves on */
    vgt_trace_commands cmds;
    bool cmds_valid;
    uint64_t cmds_frame;
};

/* The name of command type id (the database's, else the protocol's). */
const char *tui_type_name(const vgt_tui_source *s, uint32_t id);
/* One command's row by seq. */
vgt_status tui_source_cmd(vgt_tui_source *s, uint64_t seq, vgt_tui_cmd_row *out, vgt_error *err);
/* The guest frame of command seq. */
vgt_status tui_source_frame_of(vgt_tui_source *s, uint64_t seq, uint64_t *frame, vgt_error *err);
/* One line about surface sid as it was at command seq. */
vgt_status tui_source_surface(vgt_tui_source *s, uint32_t sid, uint64_t seq, char *buf, size_t size,
                              vgt_error *err);
/* One line about the shader (cid, shid, "vs"/"ps") bound at command seq;
 * *defined_seq: its SHADER_DEFINE (UINT64_MAX: unknown). */
vgt_status tui_source_shader(vgt_tui_source *s, uint32_t cid, uint32_t shid, const char *type,
                             uint64_t seq, uint64_t *defined_seq, char *buf, size_t size,
                             vgt_error *err);
/* Reads command seq of guest frame `frame` from the trace: *words (owned by
 * s, valid until the next read) and *n. */
vgt_status tui_trace_command(vgt_tui_source *s, uint64_t seq, uint64_t frame,
                             const uint32_t **words, uint32_t *n, vgt_error *err);
/* Searches the decoded lines of the trace's commands (see vgt_tui_source_search). */
vgt_status tui_trace_search(vgt_tui_source *s, const char *text, int64_t from, bool forward,
                            bool *found, uint64_t *seq, uint64_t *frame, vgt_error *err);

/* The guest frame of the last command at or before seq (the first frame when none). */
vgt_status tui_source_frame_at(vgt_tui_source *s, int64_t seq, uint64_t *frame, vgt_error *err);
/* The key table's help: entries [0, tui_help_count()), false for aliases. */
size_t tui_help_count(void);
bool tui_help_line(size_t i, const char **name, const char **help);

/* total/native as "1.23", "inf*" (native below one clock read per command,
 * vgt analyze's rule) or "-" (no native figure, no commands). */
const char *tui_fmt_ratio(uint64_t total, int64_t native, uint64_t count, double timer_ns,
                          char *buf, size_t size);
/* "12.3 us" etc. into buf (width-stable, at most 9 characters); "-" for < 0. */
const char *tui_fmt_ns(int64_t ns, char *buf, size_t size);
/* "1.2 MiB" etc. */
const char *tui_fmt_bytes(uint64_t b, char *buf, size_t size);
/* `one` when n is 1, else `many`: a count's noun ("1 frame", "2 frames"). */
const char *tui_noun(uint64_t n, const char *one, const char *many);

#endif /* VGT_TUI_INTERNAL_H */
