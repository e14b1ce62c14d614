/* render.c - the draw layer: the models onto a vgt_tui_canvas (the curses
 * screen in vgt_tui_main, a text grid in tests and the benchmark).  Columns
 * are chosen by the width they get, so a resize reflows every view. */
#include "tui_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- primitives ------------------------------------------------------------------------ */

/* Writes s (n bytes, clipped to the canvas and to width w >= 0) at (y, x). */
static void text(vgt_tui_canvas *c, int y, int x, int w, unsigned attr, const char *s)
{
    if (y < 0 || y >= c->rows || x >= c->cols || w <= 0) {
        return;
    }
    int n = (int)strlen(s);
    if (n > w) {
        n = w;
    }
    if (x + n > c->cols) {
        n = c->cols - x;
    }
    if (n > 0) {
        c->put(c->ctx, y, x, s, n, attr);
    }
}

static void textf(vgt_tui_canvas *c, int y, int x, int w, unsigned attr, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void textf(vgt_tui_canvas *c, int y, int x, int w, unsigned attr, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    text(c, y, x, w, attr, buf);
}

/* A line of w cells: s padded with blanks (for title bars and selections). */
static void bar_line(vgt_tui_canvas *c, int y, int x, int w, unsigned attr, const char *s)
{
    if (w <= 0) {
        return;
    }
    char buf[1024];
    int n = w < (int)sizeof(buf) - 1 ? w : (int)sizeof(buf) - 1;
    int len = (int)strlen(s);
    memset(buf, ' ', (size_t)n);
    memcpy(buf, s, (size_t)(len < n ? len : n));
    buf[n] = 0;
    text(c, y, x, n, attr, buf);
}

static const char *ns(int64_t v, char *buf)
{
    return tui_fmt_ns(v, buf, 32);
}

/* A mean (a REAL from the file) as whole nanoseconds for ns(): clamped
 * into int64_t first, a NaN or negative one as 0 (the cast of an
 * out-of-range double is undefined). */
static int64_t mean_ns(double v)
{
    return v >= 9.2e18 ? INT64_MAX : v > 0 ? (int64_t)v : 0;
}

/* One figure of a summary line, in its full wording and a brief one. */
typedef struct tui_piece {
    char full[256];
    char brief[192];
} tui_piece;

/* Joins the pieces into out so that the line fits `width` columns: each
 * piece brief, then, first piece first, in full while the line still fits.
 * The pieces come in order of importance: from the first that does not fit
 * even brief on, they are left out whole rather than cut mid-figure (the
 * first is always kept: bar_line cuts it if need be). */
static void fit_pieces(const tui_piece *p, int n, int width, char *out, size_t size)
{
    enum { MAX_PIECES = 8 };
    size_t w = (size_t)(width > 0 ? width : 0), len = 0;
    bool full[MAX_PIECES] = {false}, kept[MAX_PIECES] = {false};
    n = n < MAX_PIECES ? n : MAX_PIECES;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(p[i].brief);
        kept[i] = i == 0 || (kept[i - 1] && len + l <= w);
        len += kept[i] ? l : 0;
    }
    for (int i = 0; i < n; i++) {
        size_t grow = strlen(p[i].full) - strlen(p[i].brief);
        if (kept[i] && strlen(p[i].full) >= strlen(p[i].brief) && len + grow <= w) {
            full[i] = true;
            len += grow;
        }
    }
    len = 0;
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        const char *s = full[i] ? p[i].full : p[i].brief;
        size_t l = strlen(s);
        if (kept[i] && len + l < size) {
            memcpy(out + len, s, l + 1);
            len += l;
        }
    }
}

static const char *ratio_text(int64_t native, double ratio, char *buf)
{
    if (native < 0) {
        snprintf(buf, 32, "-");
    } else if (ratio < 0) {
        snprintf(buf, 32, "inf*");
    } else {
        snprintf(buf, 32, "%.2f", ratio);
    }
    return buf;
}

/* A --sync frame wall ratio, by vgt analyze's own rule ("-" without one). */
static const char *wall_ratio(int64_t virt, int64_t native, char *buf)
{
    double ratio;
    if (!vgt_analyze_wall_ratio(virt, native, &ratio)) {
        snprintf(buf, 32, "-");
    } else {
        snprintf(buf, 32, "%.2f", ratio);
    }
    return buf;
}

/* A --sync frame wall-time piece: `label` X virtualized vs Y native
 * (`ratio_label` R), briefly `pipelined X vs Y (R)`. */
static void walls_piece(tui_piece *p, const char *label, const char *ratio_label, int64_t virt,
                        int64_t native)
{
    char v[32], n[32], r[32];
    tui_fmt_ns(virt, v, sizeof(v));
    tui_fmt_ns(native, n, sizeof(n));
    wall_ratio(virt, native, r);
    snprintf(p->full, sizeof(p->full), " | %s%s virtualized vs %s native (%s%s)", label, v, n,
             ratio_label, r);
    snprintf(p->brief, sizeof(p->brief), " | pipelined %s vs %s (%s)", v, n, r);
}

static unsigned title_attr(bool focused)
{
    return focused ? VGT_TUI_A_REVERSE | VGT_TUI_A_BOLD | VGT_TUI_C_TITLE
                   : VGT_TUI_A_UNDERLINE | VGT_TUI_A_BOLD;
}

static unsigned sel_attr(bool focused)
{
    return focused ? VGT_TUI_A_REVERSE | VGT_TUI_C_SELECTED : VGT_TUI_A_BOLD | VGT_TUI_A_UNDERLINE;
}

/* ---- header and status ------------------------------------------------------------------- */

static void render_header(vgt_tui_app *a, vgt_tui_canvas *c)
{
    const vgt_tui_run_info *r = &a->run;
    const vgt_tui_rect *h = &a->layout.header;
    char line[1024], t1[32], t2[32], t3[32];
    const char *base =
        strrchr(r->trace_path, '/') ? strrchr(r->trace_path, '/') + 1 : r->trace_path;
    /* the trace's path last, where it says more than its name (a trace
     * analyzed as "c2.vgt" was named twice) */
    bool dir = base != r->trace_path;
    snprintf(line, sizeof(line),
             " vgt tui | %.200s | run %" PRId64 " (%" PRIu64
             " of this trace) | backend %s | host %.60s | %s%s%.400s",
             base, r->run_id, r->runs_of_trace, r->backend, r->host, r->date, dir ? " | " : "",
             dir ? r->trace_path : "");
    bar_line(c, h->y, h->x, h->w, VGT_TUI_A_REVERSE | VGT_TUI_A_BOLD | VGT_TUI_C_TITLE, line);
    char ratio[32];
    tui_fmt_ratio(r->total_ns, r->native_ns, r->commands, r->timer_ns, ratio, sizeof(ratio));
    /* a --sync frame run: its pipelined frame cost first, beside the frame
     * count; the per-command sums after it are then the calls' CPU cost */
    tui_piece p[4] = {{{0}, {0}}};
    /* complete frames, as vgt info counts them; the commands after the
     * guest's last frame end apart, as vgt leaks and vgt analyze say them */
    /* a --frames run: its range too, in the words of vgt analyze's summary */
    char partial[112];
    vgt_analyze_frames_note(partial, sizeof(partial), r->partial_frames, r->ranged, r->range_first,
                            r->range_last, "");
    snprintf(p[0].full, sizeof(p[0].full), " %" PRIu64 " %s (%" PRIu64 " failed), %" PRIu64 " %s%s",
             r->commands, tui_noun(r->commands, "command", "commands"), r->commands_failed,
             r->frames, tui_noun(r->frames, "frame", "frames"), partial);
    snprintf(p[0].brief, sizeof(p[0].brief),
             " %" PRIu64 " %s (%" PRIu64 " failed), %" PRIu64 " fr%s", r->commands,
             tui_noun(r->commands, "cmd", "cmds"), r->commands_failed, r->frames, partial);
    if (r->wall_frames) {
        walls_piece(&p[1], "frames (pipelined): median ", "virtual/native ", r->virtual_wall_median,
                    r->native_wall_median);
    }
    ns((int64_t)r->total_ns, t1);
    ns(r->native_ns, t2);
    ns(r->overhead_ns, t3);
    snprintf(p[2].full, sizeof(p[2].full), " | total %s  native %s  overhead %s  virtual/native %s",
             t1, t2, t3, ratio);
    snprintf(p[2].brief, sizeof(p[2].brief), " | total %s nat %s ovh %s v/n %s", t1, t2, t3, ratio);
    const char *replays = tui_noun(r->replays, "replay", "replays"); /* as vgt analyze says it */
    snprintf(p[3].full, sizeof(p[3].full), " | %" PRIu64 " %s, %.0f ns/clock read", r->replays,
             replays, r->timer_ns);
    snprintf(p[3].brief, sizeof(p[3].brief), " | %" PRIu64 " %s", r->replays, replays);
    fit_pieces(p, 4, h->w, line, sizeof(line));
    bar_line(c, h->y + 1, h->x, h->w, VGT_TUI_A_NORMAL, line);
}

static void render_status(vgt_tui_app *a, vgt_tui_canvas *c)
{
    const vgt_tui_rect *s = &a->layout.status;
    char line[512];
    if (a->prompt) {
        snprintf(line, sizeof(line), "/%s_", a->input);
        bar_line(c, s->y, s->x, s->w, VGT_TUI_A_BOLD, line);
    } else if (a->status[0]) {
        bar_line(c, s->y, s->x, s->w,
                 a->status_error ? VGT_TUI_A_BOLD | VGT_TUI_C_ERROR : VGT_TUI_A_BOLD, a->status);
    } else {
        bar_line(c, s->y, s->x, s->w, VGT_TUI_A_REVERSE,
                 " q quit  ? help  Tab pane  Enter drill down  Esc back  / search  n/N next/prev"
                 "  s sort  f filter  g/G first/last");
    }
}

/* ---- the timeline ---------------------------------------------------------------------------- */

/* The phase a bar cell shows: 0 decode, 1 DMA, 2 translate, 3 backend. */
static int phase_at(const vgt_tui_frame_row *f, double v)
{
    double cum = (double)f->decode;
    if (v < cum) {
        return 0;
    }
    cum += (double)f->dma;
    if (v < cum) {
        return 1;
    }
    cum += (double)f->translate;
    if (v < cum) {
        return 2;
    }
    return 3;
}

static const unsigned PHASE_COLOR[4] = {VGT_TUI_C_DECODE, VGT_TUI_C_DMA, VGT_TUI_C_TRANSLATE,
                                        VGT_TUI_C_BACKEND};
static const char PHASE_GLYPH[4] = {':', '%', '=', '#'};

/* The timeline's axis on row ay: frame numbers every 10 bars (20, 30...
 * when the numbers are that long, so that a space parts them) and the
 * selected bar marked `^` followed by its frame number ("^0", "^57"; before
 * the caret, "57^", where it does not fit after).  A label the caret and its
 * number would touch is left out, as is one that does not fit whole before
 * the last bar: a caret on a label's digit read "frame ^" at frame 0 and
 * "1^" (frame 10's label cut) at frame 11. */
static void render_axis(vgt_tui_app *a, vgt_tui_canvas *c, int ay)
{
    const vgt_tui_layout *L = &a->layout;
    const vgt_tui_timeline *t = &a->tl;
    if (!t->nwin) {
        return; /* no frames: no axis to name */
    }
    int bars = (int)t->nwin < L->bars ? (int)t->nwin : L->bars;
    /* the caret and its number: columns [m0, m1) counted in bars */
    char mark[32];
    int m0 = -1, m1 = -1;
    if (t->list.count && t->list.sel >= t->win_top && t->list.sel - t->win_top < (uint64_t)bars) {
        int at = (int)(t->list.sel - t->win_top);
        int n = snprintf(mark, sizeof(mark), "^%" PRIu64, t->sel.frame);
        if (at + n <= L->bars || at + 1 < n) {
            m0 = at;
        } else { /* the number before the caret: "57^" */
            snprintf(mark, sizeof(mark), "%" PRIu64 "^", t->sel.frame);
            m0 = at - n + 1;
        }
        m1 = m0 + n;
    }
    uint32_t step = 10;
    char widest[24];
    int wn = snprintf(widest, sizeof(widest), "%" PRIu64, t->win[t->nwin - 1].frame);
    while ((int)step <= wn) {
        step += 10;
    }
    for (int i = 0; i < bars; i += (int)step) {
        char num[24];
        int n = snprintf(num, sizeof(num), "%" PRIu64, t->win[i].frame);
        if (n > L->bars - i) {
            break;
        }
        if (m0 >= 0 && i <= m1 && i + n >= m0) { /* touching the mark: a blank between them */
            continue;
        }
        text(c, ay, L->bars_x + i, n, VGT_TUI_A_DIM, num);
    }
    if (m0 >= 0) {
        text(c, ay, L->bars_x + m0, m1 - m0, VGT_TUI_A_BOLD | VGT_TUI_C_SELECTED, mark);
    }
    textf(c, ay, L->timeline.x, L->bars_x - 1, VGT_TUI_A_DIM, "%8s", "frame");
}

static void render_timeline(vgt_tui_app *a, vgt_tui_canvas *c)
{
    const vgt_tui_layout *L = &a->layout;
    const vgt_tui_rect *r = &L->timeline;
    const vgt_tui_timeline *t = &a->tl;
    bool focused = a->focus == VGT_TUI_PANE_TIMELINE && vgt_tui_app_view(a) == VGT_TUI_VIEW_MAIN;
    uint64_t tallest = 0;
    for (uint32_t i = 0; i < t->nwin; i++) {
        tallest = t->win[i].total > tallest ? t->win[i].total : tallest;
    }
    uint64_t scale = tallest ? tallest : 1; /* the divisor; tallest is what the scale says */
    char line[512], s1[32];
    char partial[40] = "";
    if (a->run.partial_frames) {
        snprintf(partial, sizeof(partial), " (+ %" PRIu64 " partial)", a->run.partial_frames);
    }
    snprintf(line, sizeof(line), " Frames %" PRIu64 "%s  [%" PRIu64 "/%" PRIu64 "]  %s",
             a->run.frames, partial, t->list.count ? t->list.sel + 1 : 0, t->list.count,
             "bars: ':' decode  '%' DMA  '=' translate  '#' backend");
    bar_line(c, r->y, r->x, r->w, title_attr(focused), line);
    if (c->color) { /* the legend's glyphs in the phase colors */
        static const char *const quoted[4] = {"':'", "'%'", "'='", "'#'"};
        for (int p = 0; p < 4; p++) {
            const char *at = strstr(line, quoted[p]);
            if (at) {
                int x = r->x + (int)(at - line) + 1;
                char g[2] = {PHASE_GLYPH[p], 0};
                text(c, r->y, x, r->x + r->w - x, VGT_TUI_A_REVERSE | PHASE_COLOR[p], g);
            }
        }
    }
    int bh = L->bar_h;
    if (t->nwin) { /* a run without frames has no scale ("1 ns" was the divisor's floor) */
        textf(c, r->y + 1, r->x, L->bars_x - 1, VGT_TUI_A_DIM, "%8s", ns((int64_t)tallest, s1));
        textf(c, r->y + bh, r->x, L->bars_x - 1, VGT_TUI_A_DIM, "%8s", "0");
    }
    for (int y = 0; y < bh; y++) {
        text(c, r->y + 1 + y, L->bars_x - 1, 1, VGT_TUI_A_DIM, "|");
    }
    for (uint32_t i = 0; i < t->nwin && (int)i < L->bars; i++) {
        const vgt_tui_frame_row *f = &t->win[i];
        bool sel = t->win_top + i == t->list.sel;
        double cells = (double)f->total / (double)scale * bh;
        int hgt = (int)(cells + 0.999);
        hgt = hgt > bh ? bh : hgt;
        int x = L->bars_x + (int)i;
        for (int j = 0; j < bh; j++) {
            int y = r->y + bh - j; /* bottom up */
            if (j >= hgt) {
                if (sel) { /* the selected frame is a full-height column */
                    text(c, y, x, 1, VGT_TUI_A_REVERSE | VGT_TUI_C_SELECTED, "|");
                }
                continue;
            }
            double v = ((double)j + 0.5) / bh * (double)scale;
            int p = phase_at(f, v);
            char g[2] = {PHASE_GLYPH[p], 0};
            /* a glyph per phase always (readable without color); with color
             * also the phase's color as the cell's background */
            unsigned at = sel        ? VGT_TUI_A_REVERSE | VGT_TUI_A_BOLD | VGT_TUI_C_SELECTED
                          : c->color ? VGT_TUI_A_REVERSE | PHASE_COLOR[p]
                                     : VGT_TUI_A_NORMAL;
            text(c, y, x, 1, at, g);
        }
    }
    render_axis(a, c, r->y + bh + 1);
    const vgt_tui_frame_row *f = &t->sel;
    char s2[32], s3[32], s4[32], s5[32], s6[32], s7[32];
    if (t->list.count) {
        /* --sync frame: the frame timed whole, before the per-command sums */
        tui_piece p[4] = {{{0}, {0}}};
        const char *label = f->partial ? " (partial)" : ""; /* after the last frame end */
        const char *draws = tui_noun(f->draws, "draw", "draws");
        snprintf(p[0].full, sizeof(p[0].full),
                 " frame %" PRIu64 "%s: %" PRIu64 " %s, %" PRIu64 " %s", f->frame, label,
                 f->commands, tui_noun(f->commands, "command", "commands"), f->draws, draws);
        snprintf(p[0].brief, sizeof(p[0].brief),
                 " frame %" PRIu64 "%s: %" PRIu64 " %s, %" PRIu64 " %s", f->frame, label,
                 f->commands, tui_noun(f->commands, "cmd", "cmds"), f->draws, draws);
        if (f->virtual_wall >= 0) {
            walls_piece(&p[1], "pipelined ", "", f->virtual_wall, f->native_wall);
        }
        ns((int64_t)f->total, s1);
        ns(f->native, s6);
        ns(f->overhead, s7);
        snprintf(p[2].full, sizeof(p[2].full), " | total %s  native %s  overhead %s", s1, s6, s7);
        snprintf(p[2].brief, sizeof(p[2].brief), " | total %s nat %s ovh %s", s1, s6, s7);
        ns((int64_t)f->decode, s2);
        ns((int64_t)f->dma, s3);
        ns((int64_t)f->translate, s4);
        ns((int64_t)f->backend, s5);
        snprintf(p[3].full, sizeof(p[3].full), " | decode %s  DMA %s  translate %s  backend %s", s2,
                 s3, s4, s5);
        snprintf(p[3].brief, sizeof(p[3].brief), " | dec %s DMA %s xlate %s backend %s", s2, s3, s4,
                 s5);
        fit_pieces(p, 4, r->w, line, sizeof(line));
    } else {
        snprintf(line, sizeof(line), " no frames in this run");
    }
    bar_line(c, r->y + r->h - 1, r->x, r->w, VGT_TUI_A_BOLD, line);
}

/* ---- the hotspot table --------------------------------------------------------------------------
 */

static void render_hotspots(vgt_tui_app *a, vgt_tui_canvas *c)
{
    const vgt_tui_rect *r = &a->layout.hotspots;
    vgt_tui_hotspots *h = &a->hot;
    bool focused = a->focus == VGT_TUI_PANE_HOTSPOTS;
    static const char *const sort_names[VGT_TUI_COLS] = {"total",         "count",          "mean",
                                                         "self overhead", "virtual/native", "name"};
    char line[1024];
    snprintf(line, sizeof(line),
             " Hotspots: %zu %s by %s (s/h/l: sort, Enter: commands, f: filter)", h->n,
             tui_noun(h->n, "command type", "command types"), sort_names[h->sort]);
    bar_line(c, r->y, r->x, r->w, title_attr(focused), line);
    /* name, count, total, [mean,] self overhead, virtual/native, share, a bar */
    enum { H_COUNT, H_TOTAL, H_MEAN, H_OVH, H_RATIO, H_SHARE };
    static const char *const heads[] = {"count", "total", "mean", "self ovh", "virt/nat", "share"};
    static const int colof[] = {VGT_TUI_COL_COUNT,    VGT_TUI_COL_TOTAL, VGT_TUI_COL_MEAN,
                                VGT_TUI_COL_OVERHEAD, VGT_TUI_COL_RATIO, -1};
    static const int widths[] = {8, 10, 10, 10, 10, 7};
    bool wide = r->w >= 100;
    int nw = wide ? 24 : 18;
    int cols[6], ncols = 0;
    for (int k = 0; k < 6; k++) {
        if (k != H_MEAN || wide) {
            cols[ncols++] = k;
        }
    }
    char hd[1024];
    int len = snprintf(hd, sizeof(hd), " %-*s", nw - 1,
                       h->sort == VGT_TUI_COL_NAME ? (h->ascending ? "command ^" : "command v")
                                                   : "command");
    for (int k = 0; k < ncols; k++) {
        char name[24];
        snprintf(name, sizeof(name), "%s%s", heads[cols[k]],
                 colof[cols[k]] == (int)h->sort ? (h->ascending ? " ^" : " v") : "");
        len += snprintf(hd + len, sizeof(hd) - (size_t)len, " %*s", widths[cols[k]], name);
    }
    bar_line(c, r->y + 1, r->x, r->w, VGT_TUI_A_BOLD | VGT_TUI_A_UNDERLINE, hd);
    int barw = r->w - len - 2;
    for (uint32_t i = 0; i < h->list.height && h->list.top + i < h->n; i++) {
        const vgt_tui_type_row *t = &h->rows[h->list.top + i];
        char cell[64], bar[256] = "";
        if (barw > 0) {
            /* share is a REAL from the file: clamped before the cast (a
             * share of 1e308 would make the int conversion undefined) */
            double sw = t->share * barw + 0.5;
            int w = sw >= barw ? barw : sw >= 0 ? (int)sw : 0;
            w = w > 255 ? 255 : w;
            memset(bar, '#', (size_t)w);
            bar[w] = 0;
        }
        int n = snprintf(line, sizeof(line), " %-*.*s", nw - 1, nw - 1, t->name);
        for (int k = 0; k < ncols; k++) {
            switch (cols[k]) {
            case H_COUNT:
                snprintf(cell, sizeof(cell), "%" PRIu64, t->count);
                break;
            case H_TOTAL:
                ns((int64_t)t->total, cell);
                break;
            case H_MEAN:
                ns(mean_ns(t->mean), cell);
                break;
            case H_OVH:
                ns(t->overhead, cell);
                break;
            case H_RATIO:
                ratio_text(t->native, t->ratio, cell);
                break;
            default:
                snprintf(cell, sizeof(cell), "%.1f%%", t->share * 100.0);
                break;
            }
            n += snprintf(line + n, sizeof(line) - (size_t)n, " %*s", widths[cols[k]], cell);
        }
        snprintf(line + n, sizeof(line) - (size_t)n, " %s", bar);
        bool sel = h->list.top + i == h->list.sel;
        bar_line(c, r->y + 2 + (int)i, r->x, r->w, sel ? sel_attr(focused) : VGT_TUI_A_NORMAL,
                 line);
    }
}

/* ---- command tables -----------------------------------------------------------------------------
 */

enum {
    C_SEQ,
    C_FRAME,
    C_NAME,
    C_TOTAL,
    C_OVH,
    C_RATIO,
    C_BACKEND,
    C_TRANSLATE,
    C_DMA,
    C_DECODE,
    C_NATIVE,
    C_PRIMS,
    C_NCOLS
};
static const struct {
    const char *head;
    int width;
} CCOL[C_NCOLS] = {{"seq", 9},       {"frame", 7},   {"command", 22}, {"total", 10},
                   {"overhead", 10}, {"v/n", 6},     {"backend", 10}, {"translate", 10},
                   {"DMA", 10},      {"decode", 10}, {"native", 10},  {"prims", 8}};

/* The columns that fit in w, in display order. */
static int pick_cols(int w, bool with_frame, int *cols)
{
    static const int prio[] = {C_SEQ,     C_NAME,      C_TOTAL,  C_OVH, C_RATIO,  C_FRAME,
                               C_BACKEND, C_TRANSLATE, C_DECODE, C_DMA, C_NATIVE, C_PRIMS};
    bool on[C_NCOLS] = {0};
    int used = 1;
    for (size_t k = 0; k < sizeof(prio) / sizeof(prio[0]); k++) {
        int col = prio[k];
        if (col == C_FRAME && !with_frame) {
            continue;
        }
        if (used + CCOL[col].width + 1 <= w || col == C_SEQ || col == C_NAME) {
            on[col] = true;
            used += CCOL[col].width + 1;
        }
    }
    int n = 0;
    for (int col = 0; col < C_NCOLS; col++) {
        if (on[col]) {
            cols[n++] = col;
        }
    }
    return n;
}

static void cmd_cell(const vgt_tui_cmd_row *r, int col, double timer_ns, char *buf, size_t size)
{
    char t[32];
    switch (col) {
    case C_SEQ:
        snprintf(buf, size, "%" PRIu64, r->seq);
        break;
    case C_FRAME:
        snprintf(buf, size, "%" PRIu64, r->frame);
        break;
    case C_NAME:
        snprintf(buf, size, "%s%s", r->name, r->status ? " !" : "");
        break;
    case C_TOTAL:
        snprintf(buf, size, "%s", ns((int64_t)r->total, t));
        break;
    case C_OVH:
        snprintf(buf, size, "%s", ns(r->overhead, t));
        break;
    case C_RATIO:
        tui_fmt_ratio(r->total, r->native, 1, timer_ns, buf, size);
        break;
    case C_BACKEND:
        snprintf(buf, size, "%s", ns((int64_t)r->backend, t));
        break;
    case C_TRANSLATE:
        snprintf(buf, size, "%s", ns((int64_t)r->translate, t));
        break;
    case C_DMA:
        snprintf(buf, size, "%s", ns((int64_t)r->dma, t));
        break;
    case C_DECODE:
        snprintf(buf, size, "%s", ns((int64_t)r->decode, t));
        break;
    case C_NATIVE:
        snprintf(buf, size, "%s", ns(r->native, t));
        break;
    default:
        snprintf(buf, size, "%" PRIu64, r->primitives);
        break;
    }
}

static void row_text(const int *cols, int n, const vgt_tui_cmd_row *r, double timer_ns, char *line,
                     size_t size)
{
    size_t len = 0;
    for (int k = 0; k < n && len < size; k++) {
        char cell[64];
        int col = cols[k];
        if (r) {
            cmd_cell(r, col, timer_ns, cell, sizeof(cell));
        } else {
            snprintf(cell, sizeof(cell), "%s", CCOL[col].head);
        }
        int w = CCOL[col].width;
        int k2 = col == C_NAME ? snprintf(line + len, size - len, " %-*.*s", w, w, cell)
                               : snprintf(line + len, size - len, " %*.*s", w, w, cell);
        if (k2 < 0) {
            break;
        }
        len += (size_t)k2;
    }
}

static void render_cmds(vgt_tui_app *a, vgt_tui_canvas *c, vgt_tui_cmds *cm, const vgt_tui_rect *r,
                        const char *title, bool focused, bool with_frame)
{
    bar_line(c, r->y, r->x, r->w, title_attr(focused), title);
    int cols[C_NCOLS];
    int n = pick_cols(r->w, with_frame, cols);
    char line[1024];
    row_text(cols, n, NULL, a->run.timer_ns, line, sizeof(line));
    bar_line(c, r->y + 1, r->x, r->w, VGT_TUI_A_BOLD | VGT_TUI_A_UNDERLINE, line);
    for (uint32_t i = 0; i < cm->list.height && cm->list.top + i < cm->list.count; i++) {
        const vgt_tui_cmd_row *row = vgt_tui_cmds_row(a, cm, cm->list.top + i);
        if (!row) {
            break;
        }
        row_text(cols, n, row, a->run.timer_ns, line, sizeof(line));
        bool sel = cm->list.top + i == cm->list.sel;
        bar_line(c, r->y + 2 + (int)i, r->x, r->w,
                 sel           ? sel_attr(focused)
                 : row->status ? VGT_TUI_C_ERROR
                               : VGT_TUI_A_NORMAL,
                 line);
    }
    if (cm->list.count == 0) {
        text(c, r->y + 2, r->x + 1, r->w - 1, VGT_TUI_A_DIM, "(no commands)");
    }
}

static const char *sort_name(vgt_tui_cmd_sort s)
{
    switch (s) {
    case VGT_TUI_CMD_BY_TOTAL:
        return "slowest first";
    case VGT_TUI_CMD_BY_TOTAL_ASC:
        return "fastest first";
    case VGT_TUI_CMD_BY_OVERHEAD:
        return "most overhead first";
    default:
        return "device order";
    }
}

static void render_frame_cmds(vgt_tui_app *a, vgt_tui_canvas *c)
{
    char title[512], filt[80] = "";
    if (a->filter_type >= 0) {
        snprintf(filt, sizeof(filt), ", only %s", a->filter_name);
    }
    vgt_tui_cmds *cm = &a->cmds;
    char frame[40] = "-"; /* a run without frames has none selected (UINT64_MAX) */
    if (a->tl.list.count) {
        snprintf(frame, sizeof(frame), "%" PRIu64 "%s", a->tl.sel.frame,
                 a->tl.sel.partial ? " (partial)" : "");
    }
    snprintf(title, sizeof(title),
             " Commands of frame %s: %" PRIu64 "%s, %s  [%" PRIu64 "/%" PRIu64 "]"
             "  (Enter: detail, h/l: frame)",
             frame, cm->list.count, filt, sort_name(cm->q.sort),
             cm->list.count ? cm->list.sel + 1 : 0, cm->list.count);
    render_cmds(a, c, cm, &a->layout.commands, title, a->focus == VGT_TUI_PANE_COMMANDS, false);
}

static void render_type_view(vgt_tui_app *a, vgt_tui_canvas *c)
{
    char title[512];
    vgt_tui_cmds *cm = &a->tcmds;
    snprintf(title, sizeof(title),
             " %s: %" PRIu64 " %s in the run, %s  [%" PRIu64 "/%" PRIu64
             "]  (Enter: detail, s: sort, Esc: back)",
             a->tcmds_name, cm->list.count, tui_noun(cm->list.count, "command", "commands"),
             sort_name(cm->q.sort), cm->list.count ? cm->list.sel + 1 : 0, cm->list.count);
    render_cmds(a, c, cm, &a->layout.body, title, true, true);
}

static void render_detail(vgt_tui_app *a, vgt_tui_canvas *c)
{
    const vgt_tui_rect *r = &a->layout.body;
    vgt_tui_detail *d = &a->detail;
    char title[512];
    snprintf(title, sizeof(title),
             " Command #%" PRIu64 " %s (frame %" PRIu64 ")  [line %" PRIu64 "/%zu]"
             "  (j/k: scroll, h/l: previous/next command, Esc: back)",
             d->cmd.seq, d->cmd.name, d->cmd.frame, d->n ? d->list.top + 1 : 0, d->n);
    bar_line(c, r->y, r->x, r->w, title_attr(true), title);
    for (uint32_t i = 0; i < d->list.height && d->list.top + i < d->n; i++) {
        const char *s = d->lines[d->list.top + i];
        bool heading = s[0] && s[0] != ' ';
        text(c, r->y + 1 + (int)i, r->x, r->w, heading ? VGT_TUI_A_BOLD : VGT_TUI_A_NORMAL, s);
    }
}

/* The help's entries: the key table's, then the mouse. */
static size_t help_entries(void)
{
    return tui_help_count() + 1;
}

static bool help_entry(size_t i, const char **key, const char **help)
{
    if (i == tui_help_count()) {
        *key = "mouse";
        *help = "click a bar, a hotspot or a command to select it";
        return true;
    }
    return tui_help_line(i, key, help);
}

/* How much of s goes on a row of `width` columns: up to the last blank that
 * lets it fit (a word is never cut), the whole of a word longer than the row
 * cut only because nothing else can be done. */
static int help_wrap(const char *s, int width)
{
    int n = (int)strlen(s);
    if (n <= width) {
        return n;
    }
    int cut = width;
    while (cut > 0 && s[cut] != ' ') {
        cut--;
    }
    return cut > 0 ? cut : width;
}

/* The help box: each key in a column as wide as the longest key name, its
 * text beside it wrapped at blanks onto rows under the text's first column
 * (at 80 columns every text fits one row, so 80x24 shows every key); where
 * the terminal is too short, the last row says how many are left out. */
static void render_help(vgt_tui_app *a, vgt_tui_canvas *c)
{
    const vgt_tui_layout *L = &a->layout;
    int w = L->cols - 2 < 96 ? L->cols - 2 : 96;
    int keyw = 0, rows = 0;
    const char *k, *h;
    for (size_t i = 0; i < help_entries(); i++) {
        if (help_entry(i, &k, &h) && (int)strlen(k) > keyw) {
            keyw = (int)strlen(k);
        }
    }
    int textw = w - (2 + keyw + 1) - 1; /* a blank column on the right */
    textw = textw > 8 ? textw : 8;
    for (size_t i = 0; i < help_entries(); i++) {
        for (const char *s = help_entry(i, &k, &h) ? h : ""; *s; rows++) {
            s += help_wrap(s, textw);
            s += strspn(s, " ");
        }
    }
    int body = rows < L->rows - 4 ? rows : L->rows - 4; /* title and bottom bar around it */
    int y0 = (L->rows - (body + 2)) / 2, x0 = (L->cols - w) / 2;
    bar_line(c, y0, x0, w, VGT_TUI_A_REVERSE | VGT_TUI_A_BOLD | VGT_TUI_C_TITLE,
             " Help: keys (any key closes)");
    int y = y0 + 1, shown = 0;
    char line[256];
    for (size_t i = 0; i < help_entries(); i++) {
        if (!help_entry(i, &k, &h)) {
            continue;
        }
        for (const char *s = h, *key = k; *s; key = "") {
            int n = help_wrap(s, textw);
            if (shown < body - (rows > body)) {
                snprintf(line, sizeof(line), "  %-*s %.*s", keyw, key, n, s);
                bar_line(c, y++, x0, w, VGT_TUI_A_NORMAL, line);
            }
            shown++;
            s += n;
            s += strspn(s, " ");
        }
    }
    if (rows > body) {
        snprintf(line, sizeof(line), "  (%d more %s: taller terminal)", rows - body + 1,
                 tui_noun((uint64_t)(rows - body + 1), "row", "rows"));
        bar_line(c, y++, x0, w, VGT_TUI_A_DIM, line);
    }
    bar_line(c, y, x0, w, VGT_TUI_A_REVERSE, "");
}

void vgt_tui_render(vgt_tui_app *a, vgt_tui_canvas *c)
{
    if (c->clear) {
        c->clear(c->ctx);
    }
    const vgt_tui_layout *L = &a->layout;
    if (L->too_small) {
        text(c, 0, 0, c->cols, VGT_TUI_A_BOLD, "terminal too small");
        text(c, 1, 0, c->cols, VGT_TUI_A_NORMAL, "(40x16 at least, q quits)");
        return;
    }
    render_header(a, c);
    switch (vgt_tui_app_view(a)) {
    case VGT_TUI_VIEW_TYPE:
        render_type_view(a, c);
        break;
    case VGT_TUI_VIEW_DETAIL:
        render_detail(a, c);
        break;
    default:
        render_timeline(a, c);
        render_hotspots(a, c);
        render_frame_cmds(a, c);
        if (L->side_by_side) {
            for (int y = L->hotspots.y; y < L->hotspots.y + L->hotspots.h; y++) {
                text(c, y, L->hotspots.x + L->hotspots.w, 1, VGT_TUI_A_DIM, "|");
            }
        }
        break;
    }
    render_status(a, c);
    if (a->help) {
        render_help(a, c);
    }
}

/* ---- the text canvas ----------------------------------------------------------------------------
 */

static void tc_put(void *ctx, int y, int x, const char *s, int n, unsigned attr)
{
    (void)attr;
    vgt_tui_textcanvas *t = ctx;
    if (y < 0 || y >= t->canvas.rows || x < 0) {
        return;
    }
    for (int i = 0; i < n && x + i < t->canvas.cols; i++) {
        unsigned char ch = (unsigned char)s[i];
        t->cells[(size_t)y * (size_t)t->canvas.cols + (size_t)(x + i)] =
            ch >= 32 && ch < 127 ? (char)ch : '?';
    }
}

static void tc_clear(void *ctx)
{
    vgt_tui_textcanvas *t = ctx;
    memset(t->cells, ' ', (size_t)t->canvas.rows * (size_t)t->canvas.cols);
}

vgt_status vgt_tui_textcanvas_init(vgt_tui_textcanvas *t, int rows, int cols, vgt_error *err)
{
    memset(t, 0, sizeof(*t));
    if (rows <= 0 || cols <= 0) {
        return vgt_error_set(err, VGT_E_INVALID, "text canvas of %dx%d", cols, rows);
    }
    t->cells = malloc((size_t)rows * (size_t)cols);
    if (!t->cells) {
        return vgt_error_set(err, VGT_E_NOMEM, "tui: out of memory");
    }
    t->canvas = (vgt_tui_canvas){
        .rows = rows, .cols = cols, .color = false, .put = tc_put, .clear = tc_clear, .ctx = t};
    tc_clear(t);
    return VGT_OK;
}

void vgt_tui_textcanvas_free(vgt_tui_textcanvas *t)
{
    free(t->cells);
    t->cells = NULL;
}

void vgt_tui_textcanvas_line(const vgt_tui_textcanvas *t, int y, char *buf, size_t size)
{
    if (size == 0) {
        return;
    }
    buf[0] = 0;
    if (y < 0 || y >= t->canvas.rows) {
        return;
    }
    size_t n = (size_t)t->canvas.cols < size - 1 ? (size_t)t->canvas.cols : size - 1;
    memcpy(buf, t->cells + (size_t)y * (size_t)t->canvas.cols, n);
    while (n > 0 && buf[n - 1] == ' ') {
        n--;
    }
    buf[n] = 0;
}

bool vgt_tui_textcanvas_find(const vgt_tui_textcanvas *t, const char *s)
{
    char line[4096];
    for (int y = 0; y < t->canvas.rows; y++) {
        vgt_tui_textcanvas_line(t, y, line, sizeof(line));
        if (strstr(line, s)) {
            return true;
        }
    }
    return false;
}
