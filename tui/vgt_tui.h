/* vgt_tui.h - the terminal profiler: the analysis database (docs/analysis-db.md)
 * as a stack of views, in the spirit of perf report, htop and tig.
 *
 * Three layers:
 *   - the data source (vgt_tui_source): read-only SQLite queries, each a key
 *     lookup, a key range or a small pre-aggregated table, paged with
 *     LIMIT/OFFSET inside a frame or a type; and the trace the run was made
 *     from, re-read for a command's words (decoded fields, shader bytecode).
 *   - the view models (vgt_tui_app and its parts): plain structs (rows,
 *     selection, scroll, sort, filter, search) changed only through
 *     vgt_tui_app_key / vgt_tui_app_click / vgt_tui_app_resize.  No curses.
 *   - the draw layer: vgt_tui_render draws the models onto a vgt_tui_canvas
 *     (a put-text callback).  vgt_tui_main is the only code that touches
 *     curses: it supplies a curses canvas, reads keys and mouse events, and
 *     restores the terminal on exit, on error and on SIGINT/SIGTERM/SIGHUP.
 *
 * Ownership: a source owns its SQLite connection and trace reader; an app
 * borrows its source (close the source after vgt_tui_app_free).
 */
#ifndef VGT_TUI_H
#define VGT_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vgt_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- keys (independent of curses; printable keys are their ASCII code) ---- */

enum {
    VGT_TUI_KEY_UP = 0x10000,
    VGT_TUI_KEY_DOWN,
    VGT_TUI_KEY_LEFT,
    VGT_TUI_KEY_RIGHT,
    VGT_TUI_KEY_PGUP,
    VGT_TUI_KEY_PGDN,
    VGT_TUI_KEY_HOME,
    VGT_TUI_KEY_END,
    VGT_TUI_KEY_ENTER,
    VGT_TUI_KEY_BACKSPACE,
    VGT_TUI_KEY_ESC,
    VGT_TUI_KEY_TAB,
    VGT_TUI_KEY_BTAB,
};

/* ---- the data source ---------------------------------------------------------- */

typedef struct vgt_tui_source vgt_tui_source;

/* The header: the run and its trace. */
typedef struct vgt_tui_run_info {
    int64_t run_id, trace_id;
    char trace_path[1024], backend[32], host[128], date[32], vgt_version[32];
    uint64_t commands, commands_failed, replays;
    /* complete frames (runs.frames of schema 3), as vgt info counts them */
    uint64_t frames;
    /* frames rows the timeline shows: the complete frames and the partial one
     * (the commands after the guest's last frame end), when there is one */
    uint64_t frame_rows, partial_frames;
    uint64_t first_frame, last_frame; /* guest frame numbers of the frames rows */
    uint64_t trace_start_frame;       /* guest frame of the trace's frame 0 */
    uint64_t total_ns, replay_ns;
    int64_t native_ns, overhead_ns; /* -1: not measured */
    double timer_ns;
    uint64_t runs_of_trace; /* runs stored for the same trace */
    /* a vgt analyze --frames A-B run: the guest frames it covers */
    bool ranged;
    uint64_t range_first, range_last;
    /* --sync frame (schema 2): frames timed whole, pipelined; wall_frames 0
     * for other runs and schema-1 databases.  The lower medians, as the
     * analyzer's report takes them: virtual over the frames timed, native
     * over those with a native figure too (-1: none, as with --no-native). */
    uint64_t wall_frames; /* complete frames timed (a partial frame is not a frame's cost) */
    int64_t virtual_wall_median, native_wall_median;
} vgt_tui_run_info;

typedef struct vgt_tui_frame_row {
    uint64_t frame, first_seq, last_seq, commands, draws, primitives;
    uint64_t total, decode, dma, translate, backend;
    int64_t native, overhead; /* -1: not measured */
    /* --sync frame: the frame timed whole, virtualized and native (-1: not
     * measured: another sync, --no-native, or a schema-1 database) */
    int64_t virtual_wall, native_wall;
    /* the frame after the guest's last frame end: no FRAME_END ended it
     * (frames.partial; for a schema 1 or 2 database from the traces row) */
    bool partial;
} vgt_tui_frame_row;

typedef struct vgt_tui_type_row {
    uint32_t type_id;
    char name[40];
    uint64_t count, total, max;
    double mean, share;       /* share of the run's total, 0..1 */
    int64_t native, overhead; /* -1: not measured */
    double ratio;             /* total/native; < 0: not a number (native below resolution) */
} vgt_tui_type_row;

typedef struct vgt_tui_cmd_row {
    uint64_t seq, frame;
    uint32_t type_id, bytes, backend_calls;
    int32_t status;
    char name[40];
    uint64_t decode, dma_bytes, dma, translate, backend, total, primitives, start;
    int64_t gpu, native, overhead, queue, device; /* -1: not measured */
} vgt_tui_cmd_row;

/* Opens an analysis database read-only and selects run_id (0: the newest
 * run).  VGT_E_NOTFOUND when the run does not exist, VGT_E_FORMAT for a file
 * that is not an analysis database. */
vgt_status vgt_tui_source_open(const char *db_path, int64_t run_id, vgt_tui_source **out,
                               vgt_error *err);
/* Closes the database and the trace (NULL is a no-op). */
void vgt_tui_source_close(vgt_tui_source *src);
/* The run's header figures (owned by src). */
const vgt_tui_run_info *vgt_tui_source_run(const vgt_tui_source *src);
/* Number of SQL statements run so far (for tests and the benchmark). */
uint64_t vgt_tui_source_queries(const vgt_tui_source *src);

/* A list of commands: the commands of a seq range (one frame) or of the whole
 * run, optionally of one type, in one order. */
typedef enum vgt_tui_cmd_sort {
    VGT_TUI_CMD_BY_SEQ = 0,  /* device order */
    VGT_TUI_CMD_BY_TOTAL,    /* slowest first */
    VGT_TUI_CMD_BY_OVERHEAD, /* most overhead first (inside a frame only) */
    VGT_TUI_CMD_BY_TOTAL_ASC,
    VGT_TUI_CMD_SORTS
} vgt_tui_cmd_sort;

typedef struct vgt_tui_cmd_query {
    bool whole_run; /* false: seq in [lo_seq, hi_seq] */
    uint64_t lo_seq, hi_seq;
    int64_t type_id; /* -1: every type */
    vgt_tui_cmd_sort sort;
} vgt_tui_cmd_query;

/* Fills out with up to n frames rows starting at row index `offset` (in
 * frame order, the partial frame too); *got receives how many. */
vgt_status vgt_tui_source_frames(vgt_tui_source *src, uint64_t offset, uint32_t n,
                                 vgt_tui_frame_row *out, uint32_t *got, vgt_error *err);
/* Loads every command type of the run (*rows malloc'd, the caller frees; NULL on an error). */
vgt_status vgt_tui_source_types(vgt_tui_source *src, vgt_tui_type_row **rows, size_t *n,
                                vgt_error *err);
/* Number of commands the query lists. */
vgt_status vgt_tui_source_cmd_count(vgt_tui_source *src, const vgt_tui_cmd_query *q,
                                    uint64_t *count, vgt_error *err);
/* Fills out with up to n commands of the query from position offset. */
vgt_status vgt_tui_source_cmd_page(vgt_tui_source *src, const vgt_tui_cmd_query *q, uint64_t offset,
                                   uint32_t n, vgt_tui_cmd_row *out, uint32_t *got, vgt_error *err);
/* Fills out with up to n commands of the query that follow the anchor row
 * (NULL: the start) in the list's order, skipping `skip` first; backward: the
 * ones that precede it (NULL: the end), returned in the list's order.  A key
 * range on the list's index (keyset paging): the cost does not grow with the
 * position.  VGT_E_UNSUPPORTED with an anchor for an order without a key. */
vgt_status vgt_tui_source_cmd_seek(vgt_tui_source *src, const vgt_tui_cmd_query *q,
                                   const vgt_tui_cmd_row *anchor, bool backward, uint64_t skip,
                                   uint32_t n, vgt_tui_cmd_row *out, uint32_t *got, vgt_error *err);
/* Whether a list in this order pages by key (else by LIMIT/OFFSET). */
bool vgt_tui_cmd_sort_keyset(vgt_tui_cmd_sort sort);
/* Position of command seq in the query's list (sort BY_SEQ only). */
vgt_status vgt_tui_source_cmd_index(vgt_tui_source *src, const vgt_tui_cmd_query *q, uint64_t seq,
                                    uint64_t *index, vgt_error *err);
/* Index of guest frame `frame` among the run's frames. */
vgt_status vgt_tui_source_frame_index(vgt_tui_source *src, uint64_t frame, uint64_t *index,
                                      vgt_error *err);
/* The next (forward) or previous command after/before seq `from` (-1: before
 * the first) whose type
 * name contains `text` (case-insensitive), or whose decoded line ("NAME
 * key=value ...") contains it when the trace is readable; wraps around once.
 * VGT_E_NOTFOUND when nothing matches. */
vgt_status vgt_tui_source_search(vgt_tui_source *src, const char *text, int64_t from, bool forward,
                                 uint64_t *seq, uint64_t *frame, vgt_error *err);
/* The detail of one command as lines of text (timing breakdown, decoded
 * fields from the trace, surfaces and shaders it touches, shader
 * disassembly); *lines is an array of malloc'd strings (free with
 * vgt_tui_lines_free). */
vgt_status vgt_tui_source_detail(vgt_tui_source *src, const vgt_tui_cmd_row *cmd, char ***lines,
                                 size_t *n, vgt_error *err);
/* Frees what vgt_tui_source_detail returned. */
void vgt_tui_lines_free(char **lines, size_t n);
/* Whether the run's trace file could be opened (why not, in err, when not). */
bool vgt_tui_source_trace_ok(vgt_tui_source *src, vgt_error *err);

/* ---- view models -------------------------------------------------------------- */

/* Selection and scroll over `count` rows of which `height` are visible. */
typedef struct vgt_tui_list {
    uint64_t count, sel, top;
    uint32_t height;
} vgt_tui_list;

/* Moves the selection by delta rows (clamped) and scrolls it into view. */
void vgt_tui_list_move(vgt_tui_list *l, int64_t delta);
/* Selects row i (clamped) and scrolls it into view. */
void vgt_tui_list_select(vgt_tui_list *l, uint64_t i);
/* Sets the number of rows and the visible height; keeps the selection visible. */
void vgt_tui_list_reshape(vgt_tui_list *l, uint64_t count, uint32_t height);

typedef struct vgt_tui_rect {
    int y, x, h, w;
} vgt_tui_rect;

/* Where every view goes for a terminal of rows x cols. */
typedef struct vgt_tui_layout {
    int rows, cols;
    bool too_small;          /* below 40x16: only a message */
    bool side_by_side;       /* hotspots and commands side by side (wide terminals) */
    vgt_tui_rect header;     /* 2 lines */
    vgt_tui_rect timeline;   /* title, bars, info line */
    vgt_tui_rect hotspots;   /* title, column header, rows */
    vgt_tui_rect commands;   /* title, column header, rows */
    vgt_tui_rect body;       /* a pushed view (type commands, detail, help) */
    vgt_tui_rect status;     /* the last line */
    int bars_x, bars, bar_h; /* timeline: first bar column, bars visible, bar height */
} vgt_tui_layout;

/* Computes the layout of a rows x cols terminal. */
void vgt_tui_layout_compute(int rows, int cols, vgt_tui_layout *out);

typedef enum vgt_tui_pane {
    VGT_TUI_PANE_TIMELINE = 0,
    VGT_TUI_PANE_HOTSPOTS,
    VGT_TUI_PANE_COMMANDS,
    VGT_TUI_PANES
} vgt_tui_pane;

typedef enum vgt_tui_view {
    VGT_TUI_VIEW_MAIN = 0, /* header, timeline, hotspots, commands of the frame */
    VGT_TUI_VIEW_TYPE,     /* the commands of one type, slowest first */
    VGT_TUI_VIEW_DETAIL,   /* one command */
} vgt_tui_view;

/* Hotspot table columns (the sort keys). */
typedef enum vgt_tui_type_col {
    VGT_TUI_COL_TOTAL = 0,
    VGT_TUI_COL_COUNT,
    VGT_TUI_COL_MEAN,
    VGT_TUI_COL_OVERHEAD,
    VGT_TUI_COL_RATIO,
    VGT_TUI_COL_NAME,
    VGT_TUI_COLS
} vgt_tui_type_col;

/* The frame timeline: one bar per frame, a window of rows around the view. */
typedef struct vgt_tui_timeline {
    vgt_tui_list list; /* over frames; height = bars visible */
    vgt_tui_frame_row *win;
    uint32_t nwin, cap;
    uint64_t win_top;      /* frame index of win[0] */
    vgt_tui_frame_row sel; /* the selected frame */
} vgt_tui_timeline;

typedef struct vgt_tui_hotspots {
    vgt_tui_type_row *rows;
    size_t n;
    vgt_tui_list list;
    vgt_tui_type_col sort;
    bool ascending;
} vgt_tui_hotspots;

/* A paged list of commands (the frame's, or a type's). */
typedef struct vgt_tui_cmds {
    vgt_tui_cmd_query q;
    vgt_tui_list list;
    vgt_tui_cmd_row *win; /* rows [win_top, win_top + nwin) */
    uint32_t nwin, cap;
    uint64_t win_top;
    bool stale; /* the window must be fetched again */
} vgt_tui_cmds;

typedef struct vgt_tui_detail {
    vgt_tui_cmd_row cmd;
    char **lines;
    size_t n;
    vgt_tui_list list; /* scroll */
    vgt_tui_view from; /* the list it was opened from */
} vgt_tui_detail;

typedef struct vgt_tui_app {
    vgt_tui_source *src;
    vgt_tui_run_info run;
    vgt_tui_layout layout;
    vgt_tui_view stack[4];
    int depth; /* stack[depth - 1] is shown */
    vgt_tui_pane focus;
    vgt_tui_timeline tl;
    vgt_tui_hotspots hot;
    vgt_tui_cmds cmds;  /* commands of the selected frame */
    vgt_tui_cmds tcmds; /* commands of one type (VIEW_TYPE) */
    char tcmds_name[40];
    vgt_tui_detail detail;
    int64_t filter_type; /* -1: none */
    char filter_name[40];
    char search[128]; /* the last search */
    bool prompt;      /* typing a search */
    char input[128];
    size_t input_len;
    bool help;
    bool quit;
    char status[256]; /* message on the status line */
    bool status_error;
} vgt_tui_app;

/* Loads the models for a rows x cols screen (frame 0 selected, hotspots by
 * total).  The app borrows src. */
vgt_status vgt_tui_app_init(vgt_tui_app *app, vgt_tui_source *src, int rows, int cols,
                            vgt_error *err);
/* Frees the models (not the source). */
void vgt_tui_app_free(vgt_tui_app *app);
/* Reflows every view for a new terminal size. */
void vgt_tui_app_resize(vgt_tui_app *app, int rows, int cols);
/* Handles one key (VGT_TUI_KEY_* or a character) through the key table;
 * false once the app wants to quit. */
bool vgt_tui_app_key(vgt_tui_app *app, int key);
/* A mouse click at screen cell (y, x): focuses and selects what is there. */
void vgt_tui_app_click(vgt_tui_app *app, int y, int x);
/* The view on top of the stack. */
vgt_tui_view vgt_tui_app_view(const vgt_tui_app *app);
/* The selected command of the focused list (false when there is none). */
bool vgt_tui_app_selected_cmd(vgt_tui_app *app, vgt_tui_cmd_row *out);
/* The row at index i of a command list (fetching its page when needed);
 * NULL when out of range or the query failed. */
const vgt_tui_cmd_row *vgt_tui_cmds_row(vgt_tui_app *app, vgt_tui_cmds *c, uint64_t i);

/* ---- the draw layer --------------------------------------------------------------- */

/* Text attributes the renderer asks for; the canvas maps them. */
enum {
    VGT_TUI_A_NORMAL = 0,
    VGT_TUI_A_BOLD = 1u << 0,
    VGT_TUI_A_REVERSE = 1u << 1,
    VGT_TUI_A_DIM = 1u << 2,
    VGT_TUI_A_UNDERLINE = 1u << 3,
    /* color role in bits 8..15 (0: default) */
    VGT_TUI_C_TITLE = 1u << 8,
    VGT_TUI_C_DECODE = 2u << 8,
    VGT_TUI_C_DMA = 3u << 8,
    VGT_TUI_C_TRANSLATE = 4u << 8,
    VGT_TUI_C_BACKEND = 5u << 8,
    VGT_TUI_C_SELECTED = 6u << 8,
    VGT_TUI_C_ERROR = 7u << 8,
    VGT_TUI_C_BAR = 8u << 8,
    VGT_TUI_C_MASK = 0xFFu << 8,
};

/* Where the renderer draws: put n bytes of s at (y, x) with attributes. */
typedef struct vgt_tui_canvas {
    int rows, cols;
    bool color; /* colored blocks for bars; otherwise one glyph per phase */
    void (*put)(void *ctx, int y, int x, const char *s, int n, unsigned attr);
    void (*clear)(void *ctx);
    void *ctx;
} vgt_tui_canvas;

/* Draws the whole screen for the app's current state. */
void vgt_tui_render(vgt_tui_app *app, vgt_tui_canvas *c);

/* A plain-text canvas (rows x cols characters), for tests and the benchmark. */
typedef struct vgt_tui_textcanvas {
    vgt_tui_canvas canvas;
    char *cells; /* rows * cols bytes */
} vgt_tui_textcanvas;
/* Allocates a text canvas; VGT_E_NOMEM on failure. */
vgt_status vgt_tui_textcanvas_init(vgt_tui_textcanvas *t, int rows, int cols, vgt_error *err);
/* Frees the cells. */
void vgt_tui_textcanvas_free(vgt_tui_textcanvas *t);
/* Copies line y (trailing blanks removed) into buf. */
void vgt_tui_textcanvas_line(const vgt_tui_textcanvas *t, int y, char *buf, size_t size);
/* Whether any line contains s. */
bool vgt_tui_textcanvas_find(const vgt_tui_textcanvas *t, const char *s);

/* ---- the program ---------------------------------------------------------------- */

struct vgt_analyze_result; /* vgt_analyze.h */

typedef struct vgt_tui_options {
    const char *db_path;    /* an analysis database, or NULL with trace_path */
    const char *trace_path; /* analyze this trace first (in the background) */
    int64_t run_id;         /* 0: the newest (or the run just made) */
    int backend;            /* vgt_replay_backend for trace_path */
    const char *keep_db;    /* trace_path: store the analysis here (NULL: a temporary file) */
    bool salvage;           /* trace_path: skip damaged chunks (vgt analyze --salvage) */
    /* trace_path: analyze guest frames first_frame..last_frame only (vgt
     * analyze --frames); false: every frame */
    bool frames;
    uint64_t first_frame, last_frame;
    /* trace_path: when not NULL, filled with the analysis's result (its
     * problems and chunks skipped, for the caller to report), on an
     * analysis error too */
    struct vgt_analyze_result *analysis;
} vgt_tui_options;

/* Runs the profiler on the terminal until q (VGT_OK), a signal
 * (VGT_E_STATE, *signo set) or an error; the terminal is restored in every
 * case before returning. */
vgt_status vgt_tui_main(const vgt_tui_options *o, int *signo, vgt_error *err);

/* The benchmark: builds a synthetic run of `commands` rows with the
 * analyzer's store, drives the view models and the text renderer through a
 * script of keypresses at 200x60 and prints the latency per key (median,
 * p99, max) beside a bare SQLite point query, and the peak memory per frame
 * and per command beside a bare SQLite scan of the same rows, in the same
 * run.  per_frame: commands a frame (200 in vgt bench tui's default). */
vgt_status vgt_tui_bench(uint64_t commands, uint32_t per_frame, FILE *out, vgt_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VGT_TUI_H */
