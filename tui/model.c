/* model.c - the view models: lists with selection and scroll, the layout,
 * the frame timeline, the hotspot table, the paged command lists, the detail
 * pane, search, filter and the view stack.  Keys arrive through one table.
 * No curses here. */
#include "tui_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- lists -------------------------------------------------------------------------- */

static void list_fix(vgt_tui_list *l)
{
    if (l->height == 0) {
        l->height = 1;
    }
    if (l->count == 0) {
        l->sel = l->top = 0;
        return;
    }
    if (l->sel >= l->count) {
        l->sel = l->count - 1;
    }
    if (l->sel < l->top) {
        l->top = l->sel;
    }
    if (l->sel >= l->top + l->height) {
        l->top = l->sel - l->height + 1;
    }
    /* no empty space below the last row when the list could fill the view */
    if (l->count > l->height && l->top > l->count - l->height) {
        l->top = l->count - l->height;
    }
    if (l->count <= l->height) {
        l->top = 0;
    }
}

void vgt_tui_list_move(vgt_tui_list *l, int64_t delta)
{
    if (delta < 0) {
        uint64_t d = (uint64_t)(-(delta + 1)) + 1;
        l->sel = l->sel > d ? l->sel - d : 0;
    } else {
        uint64_t d = (uint64_t)delta;
        l->sel = l->count && l->sel + d >= l->count ? l->count - 1 : l->sel + d;
    }
    list_fix(l);
}

void vgt_tui_list_select(vgt_tui_list *l, uint64_t i)
{
    l->sel = i;
    list_fix(l);
}

void vgt_tui_list_reshape(vgt_tui_list *l, uint64_t count, uint32_t height)
{
    l->count = count;
    l->height = height;
    list_fix(l);
}

/* ---- layout -------------------------------------------------------------------------- */

static vgt_tui_rect rect(int y, int x, int h, int w)
{
    return (vgt_tui_rect){.y = y, .x = x, .h = h < 0 ? 0 : h, .w = w < 0 ? 0 : w};
}

void vgt_tui_layout_compute(int rows, int cols, vgt_tui_layout *o)
{
    memset(o, 0, sizeof(*o));
    o->rows = rows;
    o->cols = cols;
    o->too_small = rows < 16 || cols < 40;
    if (o->too_small) {
        o->status = rect(rows > 0 ? rows - 1 : 0, 0, rows > 0, cols);
        return;
    }
    o->header = rect(0, 0, 2, cols);
    o->status = rect(rows - 1, 0, 1, cols);
    int body = rows - 3; /* >= 13 */
    o->body = rect(2, 0, body, cols);
    /* the timeline a third of the body, the tables at least 4 lines each */
    int th = body / 3;
    th = th < 5 ? 5 : th > 18 ? 18 : th;
    if (body - th < 8) {
        th = body - 8;
    }
    o->timeline = rect(2, 0, th, cols);
    o->bar_h = th - 3; /* title, axis, info */
    o->bars_x = 9;
    o->bars = cols - o->bars_x;
    int rest_y = 2 + th, rest = body - th;
    if (cols >= 160) {
        o->side_by_side = true;
        int hw = cols * 9 / 20;
        o->hotspots = rect(rest_y, 0, rest, hw);
        o->commands = rect(rest_y, hw + 1, rest, cols - hw - 1);
    } else {
        int hh = rest * 2 / 5;
        hh = hh < 4 ? 4 : hh > rest - 4 ? rest - 4 : hh;
        o->hotspots = rect(rest_y, 0, hh, cols);
        o->commands = rect(rest_y + hh, 0, rest - hh, cols);
    }
}

static uint32_t rows_of(const vgt_tui_rect *r, int chrome)
{
    return r->h > chrome ? (uint32_t)(r->h - chrome) : 1;
}

/* ---- status -------------------------------------------------------------------------- */

static void status(vgt_tui_app *a, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void status(vgt_tui_app *a, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->status, sizeof(a->status), fmt, ap);
    va_end(ap);
    a->status_error = error;
}

static void fail(vgt_tui_app *a, const vgt_error *e)
{
    status(a, true, "error: %s", e->message);
}

/* ---- command lists ---------------------------------------------------------------------- */

static void cmds_free(vgt_tui_cmds *c)
{
    free(c->win);
    c->win = NULL;
    c->nwin = c->cap = 0;
}

/* Loads the list for query q (selection at row 0). */
static void cmds_load(vgt_tui_app *a, vgt_tui_cmds *c, const vgt_tui_cmd_query *q)
{
    vgt_error e = {0};
    uint64_t n = 0;
    c->q = *q;
    c->stale = true;
    c->nwin = 0;
    if (vgt_tui_source_cmd_count(a->src, q, &n, &e) != VGT_OK) {
        fail(a, &e);
        n = 0;
    }
    c->list.sel = c->list.top = 0;
    vgt_tui_list_reshape(&c->list, n, c->list.height);
}

/* Fetches rows [ws, ws + n) of the list into c's window.  Keyset paging:
 * from the cheapest of the list's start, its end, or a row of the current
 * window (its key continues the order), so the cost of a page does not grow
 * with its position (LIMIT/OFFSET only for orders without a key). */
static vgt_status cmds_fetch(vgt_tui_app *a, vgt_tui_cmds *c, uint64_t ws, uint32_t n, vgt_error *e)
{
    uint64_t count = c->list.count;
    uint64_t end = ws + n < count ? ws + n : count;
    uint32_t take = (uint32_t)(end - ws);
    bool keyset = vgt_tui_cmd_sort_keyset(c->q.sort);
    /* candidates: (anchor row index or -1, backward, skip) */
    int64_t best_anchor = -1;
    bool best_back = false;
    uint64_t best_skip = ws;
    if (keyset && count - end < best_skip) {
        best_back = true;
        best_skip = count - end;
    }
    bool have = !c->stale && c->nwin > 0;
    uint64_t wlast = c->win_top + c->nwin - 1;
    if (keyset && have && ws >= 1 && ws - 1 >= c->win_top) {
        uint64_t r = ws - 1 < wlast ? ws - 1 : wlast;
        if (ws - 1 - r < best_skip) {
            best_anchor = (int64_t)r;
            best_back = false;
            best_skip = ws - 1 - r;
        }
    }
    if (keyset && have && end <= wlast) {
        uint64_t r = end > c->win_top ? end : c->win_top;
        if (r - end < best_skip) {
            best_anchor = (int64_t)r;
            best_back = true;
            best_skip = r - end;
        }
    }
    vgt_tui_cmd_row anchor;
    if (best_anchor >= 0) {
        anchor = c->win[(uint64_t)best_anchor - c->win_top];
    }
    if (n > c->cap) {
        vgt_tui_cmd_row *w = realloc(c->win, n * sizeof(*w));
        if (!w) {
            return vgt_error_set(e, VGT_E_NOMEM, "tui: out of memory");
        }
        c->win = w;
        c->cap = n;
    }
    uint32_t got = 0;
    c->stale = true;
    vgt_status st = vgt_tui_source_cmd_seek(a->src, &c->q, best_anchor >= 0 ? &anchor : NULL,
                                            best_back, best_skip, take, c->win, &got, e);
    if (st != VGT_OK) {
        c->nwin = 0;
        return st;
    }
    c->win_top = ws;
    c->nwin = got;
    c->stale = false;
    return VGT_OK;
}

const vgt_tui_cmd_row *vgt_tui_cmds_row(vgt_tui_app *a, vgt_tui_cmds *c, uint64_t i)
{
    if (i >= c->list.count) {
        return NULL;
    }
    if (!c->stale && i >= c->win_top && i < c->win_top + c->nwin) {
        return &c->win[i - c->win_top];
    }
    /* a window of three screens around the visible rows (and i) */
    uint32_t h = c->list.height ? c->list.height : 1;
    uint32_t n = 3 * h < 48 ? 48 : 3 * h;
    uint64_t top = c->list.top;
    uint64_t ws = top >= h ? top - h : 0;
    if (i < ws || i >= ws + n) {
        ws = i >= h ? i - h : 0;
    }
    vgt_error e = {0};
    if (cmds_fetch(a, c, ws, n, &e) != VGT_OK) {
        fail(a, &e);
        return NULL;
    }
    return i - c->win_top < c->nwin ? &c->win[i - c->win_top] : NULL;
}

/* ---- the timeline ------------------------------------------------------------------------- */

static vgt_tui_cmd_query frame_query(const vgt_tui_app *a, const vgt_tui_frame_row *f,
                                     vgt_tui_cmd_sort sort)
{
    return (vgt_tui_cmd_query){.whole_run = false,
                               .lo_seq = f->first_seq,
                               .hi_seq = f->last_seq,
                               .type_id = a->filter_type,
                               .sort = sort};
}

/* Fetches the visible frames when the view moved, and follows the selection
 * with the command list. */
static void tl_sync(vgt_tui_app *a)
{
    vgt_tui_timeline *t = &a->tl;
    uint32_t need = t->list.height;
    if (t->win_top != t->list.top || t->nwin < need) {
        if (need > t->cap) {
            vgt_tui_frame_row *w = realloc(t->win, need * sizeof(*w));
            if (!w) {
                status(a, true, "out of memory");
                return;
            }
            t->win = w;
            t->cap = need;
        }
        vgt_error e = {0};
        uint32_t got = 0;
        if (vgt_tui_source_frames(a->src, t->list.top, need, t->win, &got, &e) != VGT_OK) {
            fail(a, &e);
            got = 0;
        }
        t->win_top = t->list.top;
        t->nwin = got;
    }
    if (t->list.count == 0 || t->list.sel < t->win_top || t->list.sel - t->win_top >= t->nwin) {
        return;
    }
    const vgt_tui_frame_row *f = &t->win[t->list.sel - t->win_top];
    bool changed = f->frame != t->sel.frame || a->cmds.q.lo_seq != f->first_seq ||
                   a->cmds.q.hi_seq != f->last_seq || a->cmds.q.type_id != a->filter_type;
    t->sel = *f;
    if (changed) {
        vgt_tui_cmd_query q = frame_query(a, f, a->cmds.q.sort);
        cmds_load(a, &a->cmds, &q);
    }
}

/* ---- hotspots ----------------------------------------------------------------------------- */

static vgt_tui_type_col g_col; /* qsort has no context in C11 */
static bool g_asc;

static double type_key(const vgt_tui_type_row *r, vgt_tui_type_col col)
{
    switch (col) {
    case VGT_TUI_COL_COUNT:
        return (double)r->count;
    case VGT_TUI_COL_MEAN:
        return r->mean;
    case VGT_TUI_COL_OVERHEAD:
        return (double)r->overhead;
    case VGT_TUI_COL_RATIO: /* a ratio that is not a number (native ~0) sorts as the largest */
        return r->ratio < 0 ? (r->native < 0 ? -1.0 : 1e300) : r->ratio;
    default:
        return (double)r->total;
    }
}

static int cmp_type(const void *x, const void *y)
{
    const vgt_tui_type_row *a = x, *b = y;
    int c;
    if (g_col == VGT_TUI_COL_NAME) {
        c = strcmp(a->name, b->name);
    } else {
        double ka = type_key(a, g_col), kb = type_key(b, g_col);
        c = ka < kb ? -1 : ka > kb;
    }
    if (!g_asc) {
        c = -c;
    }
    if (c == 0) { /* stable order: by id */
        c = a->type_id < b->type_id ? -1 : a->type_id > b->type_id;
    }
    return c;
}

static void hot_sort(vgt_tui_app *a)
{
    vgt_tui_hotspots *h = &a->hot;
    uint32_t keep = h->n && h->list.sel < h->n ? h->rows[h->list.sel].type_id : UINT32_MAX;
    g_col = h->sort;
    g_asc = h->ascending;
    vgt_sort(h->rows, h->n, sizeof(*h->rows), cmp_type);
    for (size_t i = 0; i < h->n; i++) {
        if (h->rows[i].type_id == keep) {
            vgt_tui_list_select(&h->list, i);
        }
    }
}

static const char *const COL_NAMES[VGT_TUI_COLS] = {"total",         "count",          "mean",
                                                    "self overhead", "virtual/native", "name"};

static void hot_set_sort(vgt_tui_app *a, vgt_tui_type_col col)
{
    a->hot.sort = col;
    a->hot.ascending = col == VGT_TUI_COL_NAME;
    hot_sort(a);
    status(a, false, "hotspots sorted by %s", COL_NAMES[col]);
}

/* ---- view stack ------------------------------------------------------------------------------ */

vgt_tui_view vgt_tui_app_view(const vgt_tui_app *a)
{
    return a->stack[a->depth - 1];
}

static void push(vgt_tui_app *a, vgt_tui_view v)
{
    if (a->depth < (int)(sizeof(a->stack) / sizeof(a->stack[0]))) {
        a->stack[a->depth++] = v;
    } else {
        a->stack[a->depth - 1] = v;
    }
}

static void pop(vgt_tui_app *a)
{
    if (a->depth > 1) {
        a->depth--;
    }
}

static void reshape_all(vgt_tui_app *a)
{
    const vgt_tui_layout *L = &a->layout;
    uint32_t bars = L->bars > 0 ? (uint32_t)L->bars : 1;
    vgt_tui_list_reshape(&a->tl.list, a->run.frame_rows, bars); /* the partial frame too */
    vgt_tui_list_reshape(&a->hot.list, a->hot.n, rows_of(&L->hotspots, 2));
    vgt_tui_list_reshape(&a->cmds.list, a->cmds.list.count, rows_of(&L->commands, 2));
    vgt_tui_list_reshape(&a->tcmds.list, a->tcmds.list.count, rows_of(&L->body, 2));
    vgt_tui_list_reshape(&a->detail.list, a->detail.n, rows_of(&L->body, 1));
    a->cmds.stale = a->tcmds.stale = true;
}

/* ---- init ---------------------------------------------------------------------------------- */

vgt_status vgt_tui_app_init(vgt_tui_app *a, vgt_tui_source *src, int rows, int cols, vgt_error *err)
{
    memset(a, 0, sizeof(*a));
    a->src = src;
    a->run = *vgt_tui_source_run(src);
    a->stack[0] = VGT_TUI_VIEW_MAIN;
    a->depth = 1;
    a->focus = VGT_TUI_PANE_TIMELINE;
    a->filter_type = -1;
    a->cmds.q.type_id = -1;
    a->tl.sel.frame = UINT64_MAX;
    vgt_status st = vgt_tui_source_types(src, &a->hot.rows, &a->hot.n, err);
    if (st != VGT_OK) {
        return st;
    }
    a->hot.sort = VGT_TUI_COL_TOTAL;
    hot_sort(a);
    vgt_tui_app_resize(a, rows, cols);
    a->hot.list.sel = a->hot.list.top = 0;
    a->status[0] = 0;
    return VGT_OK;
}

void vgt_tui_app_free(vgt_tui_app *a)
{
    free(a->tl.win);
    free(a->hot.rows);
    cmds_free(&a->cmds);
    cmds_free(&a->tcmds);
    vgt_tui_lines_free(a->detail.lines, a->detail.n);
    memset(a, 0, sizeof(*a));
}

void vgt_tui_app_resize(vgt_tui_app *a, int rows, int cols)
{
    vgt_tui_layout_compute(rows, cols, &a->layout);
    reshape_all(a);
    a->tl.nwin = 0; /* refetch the visible frames */
    tl_sync(a);
}

/* ---- selection helpers -------------------------------------------------------------------- */

static vgt_tui_cmds *current_cmds(vgt_tui_app *a)
{
    vgt_tui_view v = vgt_tui_app_view(a);
    if (v == VGT_TUI_VIEW_TYPE ||
        (v == VGT_TUI_VIEW_DETAIL && a->detail.from == VGT_TUI_VIEW_TYPE)) {
        return &a->tcmds;
    }
    return &a->cmds;
}

bool vgt_tui_app_selected_cmd(vgt_tui_app *a, vgt_tui_cmd_row *out)
{
    vgt_tui_cmds *c = current_cmds(a);
    const vgt_tui_cmd_row *r = vgt_tui_cmds_row(a, c, c->list.sel);
    if (!r) {
        return false;
    }
    *out = *r;
    return true;
}

static void open_detail(vgt_tui_app *a, bool push_view)
{
    vgt_tui_cmd_row c;
    if (!vgt_tui_app_selected_cmd(a, &c)) {
        status(a, true, "no command selected");
        return;
    }
    vgt_tui_view from =
        vgt_tui_app_view(a) == VGT_TUI_VIEW_DETAIL ? a->detail.from : vgt_tui_app_view(a);
    vgt_tui_lines_free(a->detail.lines, a->detail.n);
    a->detail.lines = NULL;
    a->detail.n = 0;
    vgt_error e = {0};
    if (vgt_tui_source_detail(a->src, &c, &a->detail.lines, &a->detail.n, &e) != VGT_OK) {
        fail(a, &e);
    }
    a->detail.cmd = c;
    a->detail.from = from;
    a->detail.list.sel = a->detail.list.top = 0;
    vgt_tui_list_reshape(&a->detail.list, a->detail.n, rows_of(&a->layout.body, 1));
    if (push_view) {
        push(a, VGT_TUI_VIEW_DETAIL);
    }
}

static void open_type(vgt_tui_app *a)
{
    if (a->hot.n == 0) {
        return;
    }
    const vgt_tui_type_row *t = &a->hot.rows[a->hot.list.sel];
    vgt_tui_cmd_query q = {.whole_run = true, .type_id = t->type_id, .sort = VGT_TUI_CMD_BY_TOTAL};
    snprintf(a->tcmds_name, sizeof(a->tcmds_name), "%s", t->name);
    a->tcmds.list.height = rows_of(&a->layout.body, 2);
    cmds_load(a, &a->tcmds, &q);
    push(a, VGT_TUI_VIEW_TYPE);
}

/* Selects guest frame `frame` in the timeline and command seq in its list. */
static void goto_command(vgt_tui_app *a, uint64_t seq, uint64_t frame)
{
    vgt_error e = {0};
    uint64_t fi = 0, ci = 0;
    if (vgt_tui_source_frame_index(a->src, frame, &fi, &e) != VGT_OK) {
        fail(a, &e);
        return;
    }
    vgt_tui_list_select(&a->tl.list, fi);
    tl_sync(a);
    if (a->cmds.q.sort != VGT_TUI_CMD_BY_SEQ) {
        vgt_tui_cmd_query q = a->cmds.q;
        q.sort = VGT_TUI_CMD_BY_SEQ;
        cmds_load(a, &a->cmds, &q);
    }
    if (vgt_tui_source_cmd_index(a->src, &a->cmds.q, seq, &ci, &e) != VGT_OK) {
        fail(a, &e);
        return;
    }
    vgt_tui_list_select(&a->cmds.list, ci);
    a->focus = VGT_TUI_PANE_COMMANDS;
}

static void do_search(vgt_tui_app *a, bool forward)
{
    if (!a->search[0]) {
        status(a, true, "no search yet: / starts one");
        return;
    }
    a->depth = 1;
    if (a->filter_type >= 0) { /* a search looks at every command */
        a->filter_type = -1;
        a->filter_name[0] = 0;
        tl_sync(a);
    }
    vgt_tui_cmd_row cur;
    int64_t from;
    if (a->focus == VGT_TUI_PANE_COMMANDS && vgt_tui_app_selected_cmd(a, &cur)) {
        from = (int64_t)cur.seq;
    } else { /* from the start of the selected frame */
        from = forward ? (int64_t)a->tl.sel.first_seq - 1 : (int64_t)a->tl.sel.first_seq;
    }
    uint64_t seq = 0, frame = 0;
    vgt_error e = {0};
    if (vgt_tui_source_search(a->src, a->search, from, forward, &seq, &frame, &e) != VGT_OK) {
        status(a, true, "/%s: %s", a->search, e.message);
        return;
    }
    goto_command(a, seq, frame);
    vgt_tui_cmd_row c;
    if (vgt_tui_app_selected_cmd(a, &c)) {
        status(a, false, "/%s: #%" PRIu64 " %s in frame %" PRIu64 " (n next, N previous)",
               a->search, c.seq, c.name, c.frame);
    }
}

static void set_filter(vgt_tui_app *a, int64_t type, const char *name)
{
    a->filter_type = type;
    snprintf(a->filter_name, sizeof(a->filter_name), "%s", type >= 0 ? name : "");
    tl_sync(a);
    if (type >= 0) {
        status(a, false, "commands filtered to %s (f again: all)", name);
    } else {
        status(a, false, "filter off");
    }
}

static void toggle_filter(vgt_tui_app *a)
{
    if (a->filter_type >= 0) {
        set_filter(a, -1, "");
        return;
    }
    if (a->focus == VGT_TUI_PANE_HOTSPOTS && a->hot.n) {
        const vgt_tui_type_row *t = &a->hot.rows[a->hot.list.sel];
        set_filter(a, t->type_id, t->name);
        a->focus = VGT_TUI_PANE_COMMANDS;
        return;
    }
    vgt_tui_cmd_row c;
    if (vgt_tui_app_selected_cmd(a, &c)) {
        set_filter(a, c.type_id, c.name);
    } else {
        status(a, true, "f filters by the type of the selected command or hotspot row");
    }
}

/* ---- the key table -------------------------------------------------------------------------- */

typedef enum action {
    ACT_NONE = 0,
    ACT_UP,
    ACT_DOWN,
    ACT_LEFT,
    ACT_RIGHT,
    ACT_PGUP,
    ACT_PGDN,
    ACT_HOME,
    ACT_END,
    ACT_NEXT_PANE,
    ACT_PREV_PANE,
    ACT_ENTER,
    ACT_BACK,
    ACT_SORT,
    ACT_SEARCH,
    ACT_NEXT,
    ACT_PREV,
    ACT_FILTER,
    ACT_HELP,
    ACT_QUIT,
} action;

static const struct keymap {
    int key;
    action act;
    const char *name, *help; /* help: only on the first key of an action */
} KEYS[] = {
    {VGT_TUI_KEY_UP, ACT_UP, "Up/k", "move up (timeline: previous frame; detail: scroll)"},
    {'k', ACT_UP, NULL, NULL},
    {VGT_TUI_KEY_DOWN, ACT_DOWN, "Down/j", "move down (timeline: next frame; detail: scroll)"},
    {'j', ACT_DOWN, NULL, NULL},
    {VGT_TUI_KEY_LEFT, ACT_LEFT, "Left/h",
     "previous frame (hotspots: sort column; detail: command)"},
    {'h', ACT_LEFT, NULL, NULL},
    {VGT_TUI_KEY_RIGHT, ACT_RIGHT, "Right/l",
     "next frame (hotspots: sort column; detail: command)"},
    {'l', ACT_RIGHT, NULL, NULL},
    {VGT_TUI_KEY_PGUP, ACT_PGUP, "PgUp", "page up"},
    {VGT_TUI_KEY_PGDN, ACT_PGDN, "PgDn/Space", "page down"},
    {' ', ACT_PGDN, NULL, NULL},
    {VGT_TUI_KEY_HOME, ACT_HOME, "g/Home", "first row (timeline: first frame)"},
    {'g', ACT_HOME, NULL, NULL},
    {VGT_TUI_KEY_END, ACT_END, "G/End", "last row (timeline: last frame)"},
    {'G', ACT_END, NULL, NULL},
    {VGT_TUI_KEY_TAB, ACT_NEXT_PANE, "Tab", "next pane: timeline, hotspots, commands"},
    {VGT_TUI_KEY_BTAB, ACT_PREV_PANE, "Shift-Tab", "previous pane"},
    {VGT_TUI_KEY_ENTER, ACT_ENTER, "Enter",
     "drill down: frame/hotspot -> its commands, command -> detail"},
    {VGT_TUI_KEY_BACKSPACE, ACT_BACK, "Backspace/Esc", "go back"},
    {VGT_TUI_KEY_ESC, ACT_BACK, NULL, NULL},
    {'s', ACT_SORT, "s", "cycle the sort of the hotspot or command table"},
    {'/', ACT_SEARCH, "/", "search commands by name or argument (e.g. /PRESENT, /sid=3)"},
    {'n', ACT_NEXT, "n", "next match"},
    {'N', ACT_PREV, "N", "previous match"},
    {'f', ACT_FILTER, "f", "filter the commands by the selected type (again: off)"},
    {'?', ACT_HELP, "?", "this help"},
    {'q', ACT_QUIT, "q", "quit"},
};

size_t tui_help_count(void)
{
    return sizeof(KEYS) / sizeof(KEYS[0]);
}

bool tui_help_line(size_t i, const char **name, const char **help)
{
    if (i >= tui_help_count() || !KEYS[i].name) {
        return false;
    }
    *name = KEYS[i].name;
    *help = KEYS[i].help;
    return true;
}

static action lookup(int key)
{
    for (size_t i = 0; i < sizeof(KEYS) / sizeof(KEYS[0]); i++) {
        if (KEYS[i].key == key) {
            return KEYS[i].act;
        }
    }
    return ACT_NONE;
}

static void prompt_key(vgt_tui_app *a, int key)
{
    if (key == VGT_TUI_KEY_ENTER) {
        a->prompt = false;
        if (a->input_len) {
            snprintf(a->search, sizeof(a->search), "%s", a->input);
            do_search(a, true);
        }
    } else if (key == VGT_TUI_KEY_ESC) {
        a->prompt = false;
    } else if (key == VGT_TUI_KEY_BACKSPACE) {
        if (a->input_len) {
            a->input[--a->input_len] = 0;
        } else {
            a->prompt = false;
        }
    } else if (key >= 32 && key < 127 && a->input_len + 1 < sizeof(a->input)) {
        a->input[a->input_len++] = (char)key;
        a->input[a->input_len] = 0;
    }
}

/* Up/down/page/home/end on a list: the same for every list. */
static bool list_nav(vgt_tui_list *l, action act)
{
    int64_t page = l->height > 1 ? (int64_t)l->height - 1 : 1;
    switch (act) {
    case ACT_UP:
        vgt_tui_list_move(l, -1);
        return true;
    case ACT_DOWN:
        vgt_tui_list_move(l, 1);
        return true;
    case ACT_PGUP:
        vgt_tui_list_move(l, -page);
        return true;
    case ACT_PGDN:
        vgt_tui_list_move(l, page);
        return true;
    case ACT_HOME:
        vgt_tui_list_select(l, 0);
        return true;
    case ACT_END:
        vgt_tui_list_select(l, l->count ? l->count - 1 : 0);
        return true;
    default:
        return false;
    }
}

/* Scrolling the detail text: the selection is the first visible line. */
static void detail_scroll(vgt_tui_detail *d, action act)
{
    vgt_tui_list *l = &d->list;
    uint64_t max = l->count > l->height ? l->count - l->height : 0;
    int64_t page = l->height > 1 ? (int64_t)l->height - 1 : 1;
    int64_t delta = act == ACT_UP ? -1 : act == ACT_DOWN ? 1 : act == ACT_PGUP ? -page : page;
    if (act == ACT_HOME) {
        l->top = 0;
    } else if (act == ACT_END) {
        l->top = max;
    } else if (delta < 0) {
        l->top = l->top > (uint64_t)-delta ? l->top - (uint64_t)-delta : 0;
    } else {
        l->top = l->top + (uint64_t)delta > max ? max : l->top + (uint64_t)delta;
    }
    l->sel = l->top;
}

static void key_main(vgt_tui_app *a, action act)
{
    switch (a->focus) {
    case VGT_TUI_PANE_TIMELINE:
        if (act == ACT_LEFT) {
            act = ACT_UP;
        } else if (act == ACT_RIGHT) {
            act = ACT_DOWN;
        } else if (act == ACT_PGUP || act == ACT_PGDN) {
            vgt_tui_list_move(&a->tl.list,
                              act == ACT_PGUP ? -(int64_t)a->tl.list.height : a->tl.list.height);
            return;
        }
        if (list_nav(&a->tl.list, act)) {
            return;
        }
        if (act == ACT_ENTER) {
            a->focus = VGT_TUI_PANE_COMMANDS;
        } else if (act == ACT_SORT) {
            status(a, false, "the timeline is in frame order; s sorts the hotspots and commands");
        }
        return;
    case VGT_TUI_PANE_HOTSPOTS:
        if (list_nav(&a->hot.list, act)) {
            return;
        }
        if (act == ACT_LEFT || act == ACT_RIGHT || act == ACT_SORT) {
            int c = (int)a->hot.sort + (act == ACT_LEFT ? VGT_TUI_COLS - 1 : 1);
            hot_set_sort(a, (vgt_tui_type_col)(c % VGT_TUI_COLS));
        } else if (act == ACT_ENTER) {
            open_type(a);
        }
        return;
    default:
        if (list_nav(&a->cmds.list, act)) {
            return;
        }
        if (act == ACT_LEFT || act == ACT_RIGHT) {
            vgt_tui_list_move(&a->tl.list, act == ACT_LEFT ? -1 : 1);
        } else if (act == ACT_ENTER) {
            open_detail(a, true);
        } else if (act == ACT_SORT) {
            static const vgt_tui_cmd_sort next[VGT_TUI_CMD_SORTS] = {
                VGT_TUI_CMD_BY_TOTAL, VGT_TUI_CMD_BY_OVERHEAD, VGT_TUI_CMD_BY_SEQ,
                VGT_TUI_CMD_BY_SEQ};
            static const char *const names[VGT_TUI_CMD_SORTS] = {"device order", "total",
                                                                 "overhead", "total"};
            vgt_tui_cmd_query q = a->cmds.q;
            q.sort = next[q.sort];
            cmds_load(a, &a->cmds, &q);
            status(a, false, "commands sorted by %s", names[q.sort]);
        }
        return;
    }
}

bool vgt_tui_app_key(vgt_tui_app *a, int key)
{
    if (a->prompt) {
        prompt_key(a, key);
        tl_sync(a);
        return !a->quit;
    }
    if (a->help) { /* any key closes the help */
        a->help = false;
        if (key != 'q') {
            return true;
        }
    }
    action act = lookup(key);
    a->status[0] = 0;
    a->status_error = false;
    vgt_tui_view view = vgt_tui_app_view(a);
    switch (act) {
    case ACT_NONE:
        break;
    case ACT_QUIT:
        a->quit = true;
        break;
    case ACT_HELP:
        a->help = true;
        break;
    case ACT_SEARCH:
        a->prompt = true;
        a->input_len = 0;
        a->input[0] = 0;
        break;
    case ACT_NEXT:
    case ACT_PREV:
        do_search(a, act == ACT_NEXT);
        break;
    case ACT_FILTER:
        if (view == VGT_TUI_VIEW_MAIN) {
            toggle_filter(a);
        }
        break;
    case ACT_NEXT_PANE:
    case ACT_PREV_PANE:
        if (view == VGT_TUI_VIEW_MAIN) {
            a->focus =
                (vgt_tui_pane)(((int)a->focus + (act == ACT_NEXT_PANE ? 1 : 2)) % VGT_TUI_PANES);
        }
        break;
    case ACT_BACK:
        if (a->depth > 1) {
            pop(a);
        } else if (a->focus != VGT_TUI_PANE_TIMELINE) {
            a->focus = VGT_TUI_PANE_TIMELINE;
        } else if (a->filter_type >= 0) {
            set_filter(a, -1, "");
        }
        break;
    default:
        if (view == VGT_TUI_VIEW_MAIN) {
            key_main(a, act);
        } else if (view == VGT_TUI_VIEW_TYPE) {
            if (!list_nav(&a->tcmds.list, act)) {
                if (act == ACT_ENTER) {
                    open_detail(a, true);
                } else if (act == ACT_SORT) {
                    vgt_tui_cmd_query q = a->tcmds.q;
                    q.sort = q.sort == VGT_TUI_CMD_BY_TOTAL ? VGT_TUI_CMD_BY_TOTAL_ASC
                                                            : VGT_TUI_CMD_BY_TOTAL;
                    cmds_load(a, &a->tcmds, &q);
                    status(a, false, "%s first",
                           q.sort == VGT_TUI_CMD_BY_TOTAL ? "slowest" : "fastest");
                }
            }
        } else { /* detail */
            if (act == ACT_LEFT || act == ACT_RIGHT) {
                vgt_tui_cmds *c = current_cmds(a);
                vgt_tui_list_move(&c->list, act == ACT_LEFT ? -1 : 1);
                open_detail(a, false);
            } else if (act != ACT_ENTER && act != ACT_SORT) {
                detail_scroll(&a->detail, act);
            }
        }
        break;
    }
    tl_sync(a);
    return !a->quit;
}

void vgt_tui_app_click(vgt_tui_app *a, int y, int x)
{
    const vgt_tui_layout *L = &a->layout;
    if (a->help) {
        a->help = false;
        return;
    }
    if (L->too_small) {
        return;
    }
    vgt_tui_view v = vgt_tui_app_view(a);
    if (v == VGT_TUI_VIEW_TYPE) {
        int row = y - (L->body.y + 2);
        if (row >= 0 && (uint64_t)row + a->tcmds.list.top < a->tcmds.list.count) {
            vgt_tui_list_select(&a->tcmds.list, a->tcmds.list.top + (uint64_t)row);
        }
        return;
    }
    if (v != VGT_TUI_VIEW_MAIN) {
        return;
    }
    const vgt_tui_rect *t = &L->timeline, *h = &L->hotspots, *c = &L->commands;
    if (y >= t->y && y < t->y + t->h) {
        a->focus = VGT_TUI_PANE_TIMELINE;
        if (x >= L->bars_x && y > t->y && y <= t->y + L->bar_h + 1) {
            uint64_t i = a->tl.list.top + (uint64_t)(x - L->bars_x);
            if (i < a->tl.list.count) {
                vgt_tui_list_select(&a->tl.list, i);
            }
        }
    } else if (y >= h->y && y < h->y + h->h && x >= h->x && x < h->x + h->w) {
        a->focus = VGT_TUI_PANE_HOTSPOTS;
        int row = y - (h->y + 2);
        if (row >= 0 && (uint64_t)row + a->hot.list.top < a->hot.list.count) {
            vgt_tui_list_select(&a->hot.list, a->hot.list.top + (uint64_t)row);
        }
    } else if (y >= c->y && y < c->y + c->h && x >= c->x && x < c->x + c->w) {
        a->focus = VGT_TUI_PANE_COMMANDS;
        int row = y - (c->y + 2);
        if (row >= 0 && (uint64_t)row + a->cmds.list.top < a->cmds.list.count) {
            vgt_tui_list_select(&a->cmds.list, a->cmds.list.top + (uint64_t)row);
        }
    }
    tl_sync(a);
}
