/* test_tui.c - the profiler's view models without curses: a synthetic run
 * stored through the analyzer's store (100 frames of 20 commands), driven by
 * keys, checked against the database; the text renderer at 80x24 and
 * 200x60; and a small trace with a shader for the detail pane's decoded
 * fields, disassembly and the search by argument. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vgt_analyze.h"
#include "../analyze/schema_v1.h"
#include "vgt_protocol.h"
#include "vgt_replayer.h"
#include "vgt_tui.h"
#include "tui_internal.h" /* the key table the help box shows */
#include "vgt_test_tmp.h"

/* this run's scratch directory (the databases, a trace), removed at exit */
static const char *tmpdir;

#define COMMANDS  2000u
#define PER_FRAME 20u

typedef struct fx {
    char path[256];
    vgt_tui_source *src;
    vgt_tui_app app;
    sqlite3 *db; /* a second connection, for the expected values */
} fx;

static void make_db(const char *path, uint64_t commands, uint32_t per_frame)
{
    unlink(path);
    vgt_analyze_db *db = NULL;
    vgt_error err = {0};
    vgt_analyze_result res;
    assert_int_equal(vgt_analyze_db_open(path, &db, &err), VGT_OK);
    assert_int_equal(vgt_analyze_store_synthetic(db, commands, per_frame, 7, &res, &err), VGT_OK);
    assert_int_equal(res.commands, commands);
    vgt_analyze_db_close(db);
}

static int64_t q1(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    snprintf(f->path, sizeof(f->path), "%s/db.sqlite", tmpdir);
    make_db(f->path, COMMANDS, PER_FRAME);
    vgt_error err = {0};
    assert_int_equal(vgt_tui_source_open(f->path, 0, &f->src, &err), VGT_OK);
    assert_int_equal(vgt_tui_app_init(&f->app, f->src, 60, 200, &err), VGT_OK);
    assert_int_equal(sqlite3_open_v2(f->path, &f->db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    vgt_tui_app_free(&f->app);
    vgt_tui_source_close(f->src);
    sqlite3_close(f->db);
    unlink(f->path);
    free(f);
    return 0;
}

static void keys(vgt_tui_app *a, const char *s)
{
    for (; *s; s++) {
        vgt_tui_app_key(a, (unsigned char)*s);
    }
}

static void key_n(vgt_tui_app *a, int key, int n)
{
    for (int i = 0; i < n; i++) {
        vgt_tui_app_key(a, key);
    }
}

static vgt_tui_cmd_row selected(vgt_tui_app *a)
{
    vgt_tui_cmd_row r;
    assert_true(vgt_tui_app_selected_cmd(a, &r));
    return r;
}

/* ---- lists and layout ------------------------------------------------------------- */

static void test_list_navigation(void **state)
{
    (void)state;
    vgt_tui_list l = {0};
    vgt_tui_list_reshape(&l, 100, 10);
    vgt_tui_list_move(&l, 1);
    assert_int_equal(l.sel, 1);
    assert_int_equal(l.top, 0);
    vgt_tui_list_move(&l, 15);
    assert_int_equal(l.sel, 16);
    assert_int_equal(l.top, 7); /* the selection is the last visible row */
    vgt_tui_list_move(&l, -100);
    assert_int_equal(l.sel, 0);
    assert_int_equal(l.top, 0);
    vgt_tui_list_select(&l, 1000);
    assert_int_equal(l.sel, 99);
    assert_int_equal(l.top, 90);
    /* growing the view keeps rows below the selection shown */
    vgt_tui_list_reshape(&l, 100, 40);
    assert_int_equal(l.sel, 99);
    assert_int_equal(l.top, 60);
    /* fewer rows than the view: no scroll */
    vgt_tui_list_reshape(&l, 5, 40);
    assert_int_equal(l.sel, 4);
    assert_int_equal(l.top, 0);
    vgt_tui_list_reshape(&l, 0, 40);
    assert_int_equal(l.sel, 0);
    vgt_tui_list_move(&l, 1);
    assert_int_equal(l.sel, 0);
}

static void assert_inside(const vgt_tui_rect *r, int rows, int cols)
{
    assert_true(r->y >= 0 && r->x >= 0 && r->h > 0 && r->w > 0);
    assert_true(r->y + r->h <= rows);
    assert_true(r->x + r->w <= cols);
}

static bool overlap(const vgt_tui_rect *a, const vgt_tui_rect *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static void test_layout_reflow(void **state)
{
    (void)state;
    static const int sizes[][2] = {{24, 80}, {60, 200}, {16, 40}, {17, 41}, {50, 159}, {50, 160}};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        vgt_tui_layout L;
        int rows = sizes[i][0], cols = sizes[i][1];
        vgt_tui_layout_compute(rows, cols, &L);
        assert_false(L.too_small);
        const vgt_tui_rect *r[] = {&L.header, &L.timeline, &L.hotspots, &L.commands, &L.status};
        for (size_t a = 0; a < 5; a++) {
            assert_inside(r[a], rows, cols);
            for (size_t b = a + 1; b < 5; b++) {
                assert_false(overlap(r[a], r[b]));
            }
        }
        assert_int_equal(L.header.y, 0);
        assert_int_equal(L.status.y, rows - 1);
        assert_int_equal(L.bars, cols - L.bars_x);
        assert_true(L.bar_h >= 2);
        assert_true(L.hotspots.h >= 4 && L.commands.h >= 4);
        assert_int_equal(L.side_by_side, cols >= 160);
        /* the pushed views take everything between header and status */
        assert_int_equal(L.body.y, 2);
        assert_int_equal(L.body.h, rows - 3);
    }
    vgt_tui_layout L;
    vgt_tui_layout_compute(15, 80, &L);
    assert_true(L.too_small);
    vgt_tui_layout_compute(40, 39, &L);
    assert_true(L.too_small);
}

/* ---- the models on the synthetic run ---------------------------------------------- */

static void test_header_and_hotspots(void **state)
{
    fx *f = *state;
    vgt_tui_app *a = &f->app;
    assert_int_equal(a->run.commands, COMMANDS);
    assert_int_equal(a->run.frames, COMMANDS / PER_FRAME);
    assert_int_equal(a->hot.n, q1(f->db, "SELECT count(*) FROM type_stats WHERE run_id = 1"));
    /* by total, largest first, and the first row is the DB's */
    assert_int_equal(a->hot.rows[0].total,
                     q1(f->db, "SELECT max(total_ns) FROM type_stats WHERE run_id = 1"));
    for (size_t i = 1; i < a->hot.n; i++) {
        assert_true(a->hot.rows[i - 1].total >= a->hot.rows[i].total);
    }
    /* counts match type_stats */
    for (size_t i = 0; i < a->hot.n; i++) {
        char sql[128];
        snprintf(sql, sizeof(sql), "SELECT count FROM type_stats WHERE run_id = 1 AND type_id = %u",
                 a->hot.rows[i].type_id);
        assert_int_equal(a->hot.rows[i].count, q1(f->db, sql));
    }
    /* s cycles the columns: count, mean, overhead, ratio, name, total */
    vgt_tui_app_key(a, VGT_TUI_KEY_TAB);
    assert_int_equal(a->focus, VGT_TUI_PANE_HOTSPOTS);
    vgt_tui_app_key(a, 's');
    assert_int_equal(a->hot.sort, VGT_TUI_COL_COUNT);
    for (size_t i = 1; i < a->hot.n; i++) {
        assert_true(a->hot.rows[i - 1].count >= a->hot.rows[i].count);
    }
    keys(a, "sss");
    assert_int_equal(a->hot.sort, VGT_TUI_COL_RATIO);
    vgt_tui_app_key(a, 's');
    assert_int_equal(a->hot.sort, VGT_TUI_COL_NAME);
    for (size_t i = 1; i < a->hot.n; i++) {
        assert_true(strcmp(a->hot.rows[i - 1].name, a->hot.rows[i].name) < 0);
    }
    vgt_tui_app_key(a, VGT_TUI_KEY_LEFT); /* h/l pick the column too */
    assert_int_equal(a->hot.sort, VGT_TUI_COL_RATIO);
    vgt_tui_app_key(a, VGT_TUI_KEY_RIGHT);
    vgt_tui_app_key(a, 'l');
    assert_int_equal(a->hot.sort, VGT_TUI_COL_TOTAL);
    /* the selection follows its row through a sort */
    vgt_tui_app_key(a, 'j');
    uint32_t id = a->hot.rows[a->hot.list.sel].type_id;
    vgt_tui_app_key(a, 's');
    assert_int_equal(a->hot.rows[a->hot.list.sel].type_id, id);
}

static void test_timeline_navigation(void **state)
{
    fx *f = *state;
    vgt_tui_app *a = &f->app;
    assert_int_equal(a->focus, VGT_TUI_PANE_TIMELINE);
    assert_int_equal(a->tl.sel.frame, 0);
    assert_int_equal(a->cmds.list.count, PER_FRAME);
    key_n(a, 'l', 3);
    assert_int_equal(a->tl.sel.frame, 3);
    assert_int_equal(a->tl.sel.first_seq, 3 * PER_FRAME);
    vgt_tui_app_key(a, 'h');
    assert_int_equal(a->tl.sel.frame, 2);
    vgt_tui_app_key(a, 'G');
    assert_int_equal(a->tl.sel.frame, COMMANDS / PER_FRAME - 1);
    assert_true(a->tl.list.sel >= a->tl.list.top &&
                a->tl.list.sel < a->tl.list.top + a->tl.list.height);
    vgt_tui_app_key(a, 'g');
    assert_int_equal(a->tl.sel.frame, 0);
    vgt_tui_app_key(a, VGT_TUI_KEY_PGDN); /* a screen of bars */
    assert_int_equal(a->tl.list.sel, a->tl.list.count - 1 < a->tl.list.height ? a->tl.list.count - 1
                                                                              : a->tl.list.height);
    /* the frame row is the DB's */
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT total_ns FROM frames WHERE run_id = 1 AND frame = %llu",
             (unsigned long long)a->tl.sel.frame);
    assert_int_equal(a->tl.sel.total, q1(f->db, sql));
    /* scrolling through many frames on a narrow screen pages the window */
    vgt_tui_app_resize(a, 24, 80);
    vgt_tui_app_key(a, 'g');
    key_n(a, 'l', 90);
    assert_int_equal(a->tl.sel.frame, 90);
    assert_true(a->tl.list.top > 0);
    assert_int_equal(a->tl.win_top, a->tl.list.top);
    assert_int_equal(a->tl.win[a->tl.list.sel - a->tl.win_top].frame, 90);
}

static void test_drill_down_and_back(void **state)
{
    fx *f = *state;
    vgt_tui_app *a = &f->app;
    key_n(a, 'l', 2);
    vgt_tui_app_key(a, VGT_TUI_KEY_ENTER);
    assert_int_equal(a->focus, VGT_TUI_PANE_COMMANDS);
    assert_int_equal(selected(a).seq, 2 * PER_FRAME);
    key_n(a, 'j', 5);
    vgt_tui_cmd_row r = selected(a);
    assert_int_equal(r.seq, 2 * PER_FRAME + 5);
    assert_int_equal(r.frame, 2);
    vgt_tui_app_key(a, VGT_TUI_KEY_ENTER);
    assert_int_equal(vgt_tui_app_view(a), VGT_TUI_VIEW_DETAIL);
    assert_int_equal(a->detail.cmd.seq, r.seq);
    assert_true(a->detail.n > 10);
    assert_non_null(strstr(a->detail.lines[0], r.name));
    bool timing = false, unavailable = false;
    for (size_t i = 0; i < a->detail.n; i++) {
        timing |= strstr(a->detail.lines[i], "Timing") != NULL;
        unavailable |= strstr(a->detail.lines[i], "not available") != NULL; /* no trace file */
    }
    assert_true(timing);
    assert_true(unavailable);
    /* l: the next command of the list, in place */
    vgt_tui_app_key(a, 'l');
    assert_int_equal(a->detail.cmd.seq, r.seq + 1);
    assert_int_equal(a->depth, 2);
    vgt_tui_app_key(a, VGT_TUI_KEY_ESC);
    assert_int_equal(vgt_tui_app_view(a), VGT_TUI_VIEW_MAIN);
    assert_int_equal(selected(a).seq, r.seq + 1);
    vgt_tui_app_key(a, VGT_TUI_KEY_BACKSPACE); /* back from the commands: the timeline */
    assert_int_equal(a->focus, VGT_TUI_PANE_TIMELINE);
    /* hotspot -> the type's commands, slowest first */
    vgt_tui_app_key(a, VGT_TUI_KEY_TAB);
    vgt_tui_app_key(a, VGT_TUI_KEY_ENTER);
    assert_int_equal(vgt_tui_app_view(a), VGT_TUI_VIEW_TYPE);
    assert_int_equal(a->tcmds.list.count, a->hot.rows[a->hot.list.sel].count);
    assert_int_equal(selected(a).total, a->hot.rows[a->hot.list.sel].max);
    vgt_tui_app_key(a, VGT_TUI_KEY_ENTER);
    assert_int_equal(vgt_tui_app_view(a), VGT_TUI_VIEW_DETAIL);
    vgt_tui_app_key(a, VGT_TUI_KEY_ESC);
    vgt_tui_app_key(a, VGT_TUI_KEY_ESC);
    assert_int_equal(vgt_tui_app_view(a), VGT_TUI_VIEW_MAIN);
    assert_int_equal(a->focus, VGT_TUI_PANE_HOTSPOTS);
}

/* Every row the pager shows is the row LIMIT/OFFSET gives at that position. */
static void check_rows_against_offset(fx *f, vgt_tui_cmds *c, const char *order, int64_t type)
{
    for (uint64_t i = c->list.top; i < c->list.top + c->list.height && i < c->list.count; i++) {
        const vgt_tui_cmd_row *r = vgt_tui_cmds_row(&f->app, c, i);
        assert_non_null(r);
        char sql[256];
        snprintf(sql, sizeof(sql),
                 "SELECT seq FROM commands WHERE run_id = 1 AND type_id = %lld ORDER BY %s "
                 "LIMIT 1 OFFSET %llu",
                 (long long)type, order, (unsigned long long)i);
        assert_int_equal(r->seq, q1(f->db, sql));
    }
}

static void test_paging_keyset(void **state)
{
    fx *f = *state;
    vgt_tui_app *a = &f->app;
    vgt_tui_app_resize(a, 24, 80);
    vgt_tui_app_key(a, VGT_TUI_KEY_TAB);
    /* the type with the most commands */
    vgt_tui_app_key(a, 's');
    assert_int_equal(a->hot.sort, VGT_TUI_COL_COUNT);
    vgt_tui_app_key(a, 'g');
    vgt_tui_app_key(a, VGT_TUI_KEY_ENTER);
    vgt_tui_cmds *c = &a->tcmds;
    int64_t type = c->q.type_id;
    assert_true(c->list.count > 3 * c->list.height);
    const char *desc = "total_ns DESC, seq DESC";
    for (int i = 0; i < 12; i++) {
        vgt_tui_app_key(a, VGT_TUI_KEY_PGDN);
        check_rows_against_offset(f, c, desc, type);
    }
    vgt_tui_app_key(a, 'G');
    assert_int_equal(c->list.sel, c->list.count - 1);
    check_rows_against_offset(f, c, desc, type);
    for (int i = 0; i < 5; i++) {
        vgt_tui_app_key(a, VGT_TUI_KEY_PGUP);
        check_rows_against_offset(f, c, desc, type);
    }
    key_n(a, 'k', 37);
    check_rows_against_offset(f, c, desc, type);
    vgt_tui_app_key(a, 's'); /* fastest first */
    assert_int_equal(c->q.sort, VGT_TUI_CMD_BY_TOTAL_ASC);
    key_n(a, VGT_TUI_KEY_PGDN, 4);
    check_rows_against_offset(f, c, "total_ns, seq", type);
    vgt_tui_app_key(a, 'G');
    check_rows_against_offset(f, c, "total_ns, seq", type);
    /* sorting the frame's commands */
    vgt_tui_app_key(a, VGT_TUI_KEY_ESC);
    vgt_tui_app_key(a, VGT_TUI_KEY_TAB);
    assert_int_equal(a->focus, VGT_TUI_PANE_COMMANDS);
    vgt_tui_app_key(a, 's');
    assert_int_equal(a->cmds.q.sort, VGT_TUI_CMD_BY_TOTAL);
    uint64_t prev = UINT64_MAX;
    for (uint64_t i = 0; i < a->cmds.list.count; i++) {
        const vgt_tui_cmd_row *r = vgt_tui_cmds_row(a, &a->cmds, i);
        assert_non_null(r);
        assert_true(r->total <= prev);
        prev = r->total;
    }
    vgt_tui_app_key(a, 's');
    assert_int_equal(a->cmds.q.sort, VGT_TUI_CMD_BY_OVERHEAD);
    vgt_tui_app_key(a, 's');
    assert_int_equal(a->cmds.q.sort, VGT_TUI_CMD_BY_SEQ);
}

static void search(vgt_tui_app *a, const char *text)
{
    vgt_tui_app_key(a, '/');
    assert_true(a->prompt);
    keys(a, text);
    vgt_tui_app_key(a, VGT_TUI_KEY_ENTER);
    assert_false(a->prompt);
}

static void test_search_next_prev(void **state)
{
    fx *f = *state;
    vgt_tui_app *a = &f->app;
    /* PRESENT is the command before the last of each frame */
    search(a, "present");
    assert_int_equal(a->focus, VGT_TUI_PANE_COMMANDS);
    assert_string_equal(selected(a).name, "PRESENT");
    assert_int_equal(selected(a).seq, PER_FRAME - 2);
    vgt_tui_app_key(a, 'n');
    assert_int_equal(selected(a).seq, 2 * PER_FRAME - 2);
    assert_int_equal(a->tl.sel.frame, 1);
    vgt_tui_app_key(a, 'n');
    assert_int_equal(selected(a).seq, 3 * PER_FRAME - 2);
    vgt_tui_app_key(a, 'N');
    vgt_tui_app_key(a, 'N');
    assert_int_equal(selected(a).seq, PER_FRAME - 2);
    vgt_tui_app_key(a, 'N'); /* wraps around to the last one */
    assert_int_equal(selected(a).seq, COMMANDS - 2);
    assert_int_equal(a->tl.sel.frame, COMMANDS / PER_FRAME - 1);
    vgt_tui_app_key(a, 'n'); /* and forward again to the first */
    assert_int_equal(selected(a).seq, PER_FRAME - 2);
    /* nothing matches: the selection stays, the status says so */
    search(a, "NO_SUCH_COMMAND");
    assert_true(a->status_error);
    assert_int_equal(selected(a).seq, PER_FRAME - 2);
    /* Esc cancels a prompt, Backspace edits it */
    vgt_tui_app_key(a, '/');
    keys(a, "xy");
    vgt_tui_app_key(a, VGT_TUI_KEY_BACKSPACE);
    assert_string_equal(a->input, "x");
    vgt_tui_app_key(a, VGT_TUI_KEY_ESC);
    assert_false(a->prompt);
    assert_string_equal(a->search, "NO_SUCH_COMMAND");
}

static void test_filter(void **state)
{
    fx *f = *state;
    vgt_tui_app *a = &f->app;
    vgt_tui_app_key(a, VGT_TUI_KEY_ENTER); /* frame 0's commands */
    while (strcmp(selected(a).name, "DRAW_PRIMITIVES") != 0) {
        vgt_tui_app_key(a, 'j');
    }
    vgt_tui_app_key(a, 'f');
    assert_int_equal(a->filter_type, VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    int64_t draws = q1(f->db, "SELECT draws FROM frames WHERE run_id = 1 AND frame = 0");
    assert_int_equal(a->cmds.list.count, draws);
    for (uint64_t i = 0; i < a->cmds.list.count; i++) {
        assert_int_equal(vgt_tui_cmds_row(a, &a->cmds, i)->type_id, VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    }
    /* the filter stays on while moving through frames */
    vgt_tui_app_key(a, 'l');
    assert_int_equal(a->tl.sel.frame, 1);
    assert_int_equal(a->cmds.list.count,
                     q1(f->db, "SELECT draws FROM frames WHERE run_id = 1 AND frame = 1"));
    vgt_tui_app_key(a, 'f');
    assert_int_equal(a->filter_type, -1);
    assert_int_equal(a->cmds.list.count, PER_FRAME);
    /* f on a hotspot row filters by that type */
    vgt_tui_app_key(a, VGT_TUI_KEY_BTAB);
    assert_int_equal(a->focus, VGT_TUI_PANE_HOTSPOTS);
    vgt_tui_app_key(a, 'f');
    assert_int_equal(a->filter_type, a->hot.rows[a->hot.list.sel].type_id);
    assert_int_equal(a->focus, VGT_TUI_PANE_COMMANDS);
    assert_string_equal(selected(a).name, a->hot.rows[a->hot.list.sel].name);
}

static void test_resize_keeps_selection(void **state)
{
    fx *f = *state;
    vgt_tui_app *a = &f->app;
    key_n(a, 'l', 150 > COMMANDS / PER_FRAME ? COMMANDS / PER_FRAME - 1 : 150);
    vgt_tui_app_key(a, VGT_TUI_KEY_ENTER);
    vgt_tui_app_key(a, 'G');
    uint64_t seq = selected(a).seq;
    uint64_t frame = a->tl.sel.frame;
    static const int sizes[][2] = {{24, 80}, {60, 200}, {16, 41}, {200, 300}, {24, 80}};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        vgt_tui_app_resize(a, sizes[i][0], sizes[i][1]);
        vgt_tui_list *lists[] = {&a->tl.list, &a->hot.list, &a->cmds.list};
        for (size_t k = 0; k < 3; k++) {
            assert_true(lists[k]->sel >= lists[k]->top);
            assert_true(lists[k]->sel < lists[k]->top + lists[k]->height);
        }
        assert_int_equal(a->tl.list.height, sizes[i][1] - a->layout.bars_x);
        assert_int_equal(a->cmds.list.height, a->layout.commands.h - 2);
        assert_int_equal(selected(a).seq, seq);
        assert_int_equal(a->tl.sel.frame, frame);
    }
    vgt_tui_app_resize(a, 5, 20); /* too small: nothing breaks */
    vgt_tui_textcanvas t;
    vgt_error err = {0};
    assert_int_equal(vgt_tui_textcanvas_init(&t, 5, 20, &err), VGT_OK);
    vgt_tui_render(a, &t.canvas);
    assert_true(vgt_tui_textcanvas_find(&t, "too small"));
    vgt_tui_textcanvas_free(&t);
}

static void render_at(fx *f, int rows, int cols)
{
    vgt_tui_app *a = &f->app;
    vgt_tui_app_resize(a, rows, cols);
    vgt_tui_textcanvas t;
    vgt_error err = {0};
    assert_int_equal(vgt_tui_textcanvas_init(&t, rows, cols, &err), VGT_OK);
    vgt_tui_render(a, &t.canvas);
    char line[512];
    vgt_tui_textcanvas_line(&t, 0, line, sizeof(line));
    assert_non_null(strstr(line, "vgt tui"));
    vgt_tui_textcanvas_line(&t, a->layout.timeline.y, line, sizeof(line));
    assert_non_null(strstr(line, "Frames 100"));
    vgt_tui_textcanvas_line(&t, a->layout.hotspots.y, line, sizeof(line));
    assert_non_null(strstr(line, "Hotspots"));
    vgt_tui_textcanvas_line(&t, a->layout.commands.y, line, sizeof(line));
    assert_non_null(strstr(line, "Commands of frame 0: 20"));
    /* the first hotspot row: its name and count */
    vgt_tui_textcanvas_line(&t, a->layout.hotspots.y + 2, line, sizeof(line));
    char count[32];
    snprintf(count, sizeof(count), " %llu ", (unsigned long long)a->hot.rows[0].count);
    assert_non_null(strstr(line, a->hot.rows[0].name));
    assert_non_null(strstr(line, count));
    /* bars: the selected frame is marked on the axis */
    assert_true(vgt_tui_textcanvas_find(&t, "^"));
    /* the axis: each number is the frame of the bar under its first digit,
     * whole (a label cut at the last bar read "7" for frame 70) */
    const vgt_tui_layout *L = &a->layout;
    /* and with 10-digit frame numbers (a long run's): every 20 bars, so
     * that two never touch and read as one number */
    for (int big = 0; big < 2; big++) {
        uint64_t saved_frames[512];
        assert_true(a->tl.nwin <= 512);
        for (uint32_t i = 0; big && i < a->tl.nwin; i++) {
            saved_frames[i] = a->tl.win[i].frame;
            a->tl.win[i].frame += 4000000000u;
        }
        vgt_tui_render(a, &t.canvas);
        vgt_tui_textcanvas_line(&t, L->timeline.y + L->bar_h + 1, line, sizeof(line));
        int labels = 0;
        for (int x = 0; line[x]; x++) {
            if (line[x] >= '0' && line[x] <= '9' && (x == 0 || line[x - 1] == ' ')) {
                int bar = x - L->bars_x;
                assert_true(bar >= 0 && bar < L->bars && (uint32_t)bar < a->tl.nwin);
                assert_int_equal(bar % (big ? 20 : 10), 0);
                assert_int_equal(strtoull(line + x, NULL, 10), a->tl.win[bar].frame);
                labels++;
            }
        }
        assert_true(labels >= 2);
        for (uint32_t i = 0; big && i < a->tl.nwin; i++) {
            a->tl.win[i].frame = saved_frames[i];
        }
    }
    vgt_tui_render(a, &t.canvas);
    vgt_tui_textcanvas_line(&t, rows - 1, line, sizeof(line));
    assert_non_null(strstr(line, "q quit"));
    /* the header: the trace's name, then its path when that says more */
    char saved[sizeof(a->run.trace_path)];
    memcpy(saved, a->run.trace_path, sizeof(saved));
    snprintf(a->run.trace_path, sizeof(a->run.trace_path), "c2.vgt");
    vgt_tui_render(a, &t.canvas);
    vgt_tui_textcanvas_line(&t, 0, line, sizeof(line));
    assert_non_null(strstr(line, " vgt tui | c2.vgt | run "));
    assert_null(strstr(strstr(line, "c2.vgt") + 1, "c2.vgt"));
    snprintf(a->run.trace_path, sizeof(a->run.trace_path), "/t/c2.vgt");
    vgt_tui_render(a, &t.canvas);
    vgt_tui_textcanvas_line(&t, 0, line, sizeof(line));
    assert_non_null(strstr(line, " vgt tui | c2.vgt | run "));
    if (cols >= 120) { /* the path fits at the line's end */
        assert_non_null(strstr(line, " | /t/c2.vgt"));
    }
    memcpy(a->run.trace_path, saved, sizeof(saved));
    /* help overlays and closes on any key */
    vgt_tui_app_key(a, '?');
    vgt_tui_render(a, &t.canvas);
    assert_true(vgt_tui_textcanvas_find(&t, "Help: keys"));
    if (cols >= 100) { /* the box's 96 columns hold every line (Enter's was cut) */
        assert_true(vgt_tui_textcanvas_find(&t, "its commands, command -> detail"));
    }
    vgt_tui_app_key(a, 'x');
    assert_false(a->help);
    vgt_tui_textcanvas_free(&t);
}

static void test_render_80x24_200x60(void **state)
{
    fx *f = *state;
    render_at(f, 24, 80);
    render_at(f, 60, 200);
    assert_true(f->app.layout.side_by_side);
}

/* The hotspots' mean column needs a pane of 100 columns: a terminal of 100
 * has it, 99 not; side by side (from 160) the pane is 9/20 of the width, so
 * 200 columns have none and 223 have it (docs/tui.md said "terminals
 * narrower than 100 columns"). */
static void test_hotspots_mean_column(void **state)
{
    fx *f = *state;
    static const struct {
        int cols;
        bool mean;
    } cases[] = {{99, false},  {100, true},  {159, true}, {160, false},
                 {200, false}, {222, false}, {223, true}};
    vgt_error err = {0};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vgt_tui_app_resize(&f->app, 60, cases[i].cols);
        vgt_tui_textcanvas t;
        assert_int_equal(vgt_tui_textcanvas_init(&t, 60, cases[i].cols, &err), VGT_OK);
        vgt_tui_render(&f->app, &t.canvas);
        char line[512];
        vgt_tui_textcanvas_line(&t, f->app.layout.hotspots.y + 1, line, sizeof(line));
        line[f->app.layout.hotspots.w] = 0; /* the pane's part of the line */
        assert_true(strstr(line, " count ") != NULL);
        assert_int_equal(strstr(line, " mean ") != NULL, cases[i].mean);
        vgt_tui_textcanvas_free(&t);
    }
}

static void test_mouse_click(void **state)
{
    fx *f = *state;
    vgt_tui_app *a = &f->app;
    const vgt_tui_layout *L = &a->layout;
    /* a bar: that frame */
    vgt_tui_app_click(a, L->timeline.y + 1, L->bars_x + 7);
    assert_int_equal(a->focus, VGT_TUI_PANE_TIMELINE);
    assert_int_equal(a->tl.sel.frame, 7);
    /* the third hotspot row */
    vgt_tui_app_click(a, L->hotspots.y + 2 + 2, L->hotspots.x + 3);
    assert_int_equal(a->focus, VGT_TUI_PANE_HOTSPOTS);
    assert_int_equal(a->hot.list.sel, 2);
    /* the fifth command row */
    vgt_tui_app_click(a, L->commands.y + 2 + 4, L->commands.x + 3);
    assert_int_equal(a->focus, VGT_TUI_PANE_COMMANDS);
    assert_int_equal(selected(a).seq, 7 * PER_FRAME + 4);
    /* below the last row: the selection stays */
    vgt_tui_app_click(a, L->commands.y + L->commands.h - 1, L->commands.x + 3);
    assert_int_equal(selected(a).seq, 7 * PER_FRAME + 4);
    /* q quits */
    assert_false(vgt_tui_app_key(a, 'q'));
    assert_true(a->quit);
}

static void test_bad_database(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof(path), "%s/bad.sqlite", tmpdir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("not a database at all, just text that is long enough to be read\n", fp);
    fclose(fp);
    vgt_tui_source *s = NULL;
    vgt_error err = {0};
    assert_int_not_equal(vgt_tui_source_open(path, 0, &s, &err), VGT_OK);
    assert_null(s);
    assert_true(err.message[0] != 0);
    unlink(path);
    /* an empty analysis database: no run */
    make_db(path, 100, 10);
    assert_int_equal(vgt_tui_source_open(path, 99, &s, &err), VGT_E_NOTFOUND);
    /* schema version 1 (before the frames' wall times) is read as it is: the
     * profiler opens read-only and cannot migrate; a newer one is refused */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(vgt_test_schema_to_v1(db), SQLITE_OK);
    assert_int_equal(vgt_tui_source_open(path, 0, &s, &err), VGT_OK);
    assert_int_equal(vgt_tui_source_run(s)->commands, 100);
    vgt_tui_source_close(s);
    s = NULL;
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(vgt_tui_source_open(path, 0, &s, &err), VGT_E_VERSION);
    sqlite3_close(db);
    unlink(path);
}

/* ---- --sync frame: the frames' wall times ------------------------------------------ */

/* Frames 0..9 of run 1, in microseconds: virtual sorted 1000 1500 2000 2500
 * [3000] ..., the lower median frame 0's 3.00 ms; native (frames timed on
 * the virtual side) sorted 0 400 800 1000 [1100] ..., 1.10 ms, from another
 * frame (4), so a swap or a median of the wrong column shows. */
static const int64_t WALL_V_US[10] = {3000, 1500, 2000, 4000, 2500, 5000, 1000, 3500, 6000, 4500};
static const int64_t WALL_N_US[10] = {1600, 800, 1000, 2000, 1100, 2500, 400, 1400, 3000, 0};

/* Stores the wall times above on run 1's frames 0..frames-1 of db (a frame
 * past the tenth gets the slowest of all, 90 ms against 80 ms native). */
static void set_walls(sqlite3 *db, int frames)
{
    for (int i = 0; i < frames; i++) {
        char sql[200];
        snprintf(sql, sizeof(sql),
                 "UPDATE frames SET virtual_wall_ns = %lld, native_wall_ns = %lld WHERE run_id = 1 "
                 "AND frame = %d",
                 (long long)(i < 10 ? WALL_V_US[i] : 90000) * 1000,
                 (long long)(i < 10 ? WALL_N_US[i] : 80000) * 1000, i);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    }
}

/* The header's second line and the timeline's figure line of frame `frame`,
 * rendered `cols` columns wide. */
static void wall_lines_at(vgt_tui_source *src, uint64_t frame, int cols, char *head, char *fline,
                          size_t size)
{
    vgt_tui_app a;
    vgt_error err = {0};
    assert_int_equal(vgt_tui_app_init(&a, src, 60, cols, &err), VGT_OK);
    for (uint64_t i = 0; i < frame; i++) {
        vgt_tui_app_key(&a, 'j');
    }
    assert_int_equal(a.tl.sel.frame, frame);
    vgt_tui_textcanvas t;
    assert_int_equal(vgt_tui_textcanvas_init(&t, 60, cols, &err), VGT_OK);
    vgt_tui_render(&a, &t.canvas);
    vgt_tui_textcanvas_line(&t, a.layout.header.y + 1, head, size);
    vgt_tui_textcanvas_line(&t, a.layout.timeline.y + a.layout.timeline.h - 1, fline, size);
    vgt_tui_textcanvas_free(&t);
    vgt_tui_app_free(&a);
}

/* The same at 200 columns, where every figure fits in its full wording. */
static void wall_lines(vgt_tui_source *src, uint64_t frame, char *head, char *fline, size_t size)
{
    wall_lines_at(src, frame, 200, head, fline, size);
    assert_non_null(strstr(fline, "commands,"));
}

static bool ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), e = strlen(end);
    return n >= e && memcmp(s + n - e, end, e) == 0;
}

/* s with its trailing blanks removed, in place. */
static char *rtrim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ') {
        s[--n] = 0;
    }
    return s;
}

/* Run run_id of path has no wall times: the header and frame 2's line as
 * before --sync frame, with no "pipelined" in them. */
static void assert_no_walls(const char *path, int64_t run_id)
{
    vgt_tui_source *src = NULL;
    vgt_error err = {0};
    char head[512], fline[512];
    assert_int_equal(vgt_tui_source_open(path, run_id, &src, &err), VGT_OK);
    assert_int_equal(vgt_tui_source_run(src)->wall_frames, 0);
    wall_lines(src, 2, head, fline, sizeof(head));
    assert_null(strstr(head, "pipelined"));
    assert_non_null(strstr(head, " 10 frames | total "));
    assert_null(strstr(fline, "pipelined"));
    assert_non_null(strstr(fline, " draws | total "));
    vgt_tui_source_close(src);
}

static void test_frame_walls(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof(path), "%s/walls.sqlite", tmpdir);
    /* run 1: 10 frames given wall times below; run 2: the same without
     * (a run of another --sync), the newest */
    make_db(path, 200, 20);
    vgt_analyze_db *adb = NULL;
    vgt_analyze_result res;
    vgt_error err = {0};
    assert_int_equal(vgt_analyze_db_open(path, &adb, &err), VGT_OK);
    assert_int_equal(vgt_analyze_store_synthetic(adb, 200, 20, 9, &res, &err), VGT_OK);
    vgt_analyze_db_close(adb);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(q1(db, "SELECT count(*) FROM frames WHERE run_id = 1"), 10);
    set_walls(db, 10);
    char head[512], fline[512];
    vgt_tui_source *src = NULL;
    assert_int_equal(vgt_tui_source_open(path, 1, &src, &err), VGT_OK);
    const vgt_tui_run_info *r = vgt_tui_source_run(src);
    assert_int_equal(r->wall_frames, 10);
    assert_int_equal(r->virtual_wall_median, 3000000);
    assert_int_equal(r->native_wall_median, 1100000);
    wall_lines(src, 2, head, fline, sizeof(head));
    assert_non_null(strstr(head, " 10 frames | frames (pipelined): median 3.00 ms virtualized vs "
                                 "1.10 ms native (virtual/native 2.73) | total "));
    assert_non_null(strstr(fline, " frame 2: 20 commands, "));
    assert_non_null(strstr(fline, " draws | pipelined 2.00 ms virtualized vs 1.00 ms native (2.00) "
                                  "| total "));
    wall_lines(src, 6, head, fline, sizeof(head));
    assert_non_null(strstr(fline, " frame 6: "));
    assert_non_null(strstr(fline, "| pipelined 1.00 ms virtualized vs 400.0 us native (2.50) |"));
    /* a frame with no backend call: native 0, no ratio */
    wall_lines(src, 9, head, fline, sizeof(head));
    assert_non_null(strstr(fline, "| pipelined 4.50 ms virtualized vs 0 ns native (-) |"));
    /* narrower terminals: the brief wording, figures left out whole and in
     * order of importance, never cut */
    wall_lines_at(src, 2, 120, head, fline, sizeof(head));
    assert_string_equal(rtrim(head), " 200 cmds (0 failed), 10 fr | pipelined 3.00 ms vs 1.10 ms "
                                     "(2.73) | total 2.11 ms nat 1.55 ms ovh 558.8 us v/n 1.36");
    assert_string_equal(rtrim(fline),
                        " frame 2: 20 commands, 6 draws | pipelined 2.00 ms vs 1.00 ms "
                        "(2.00) | total 246.0 us  native 184.8 us  overhead 61.2 us");
    wall_lines_at(src, 2, 80, head, fline, sizeof(head));
    assert_string_equal(
        rtrim(head), " 200 commands (0 failed), 10 frames | pipelined 3.00 ms vs 1.10 ms (2.73)");
    assert_string_equal(rtrim(fline),
                        " frame 2: 20 commands, 6 draws | pipelined 2.00 ms vs 1.00 ms (2.00)");
    for (int cols = 70; cols <= 200; cols += 7) {
        wall_lines_at(src, 6, cols, head, fline, sizeof(head));
        const char *h = rtrim(head), *f = rtrim(fline);
        assert_true(strlen(h) <= (size_t)cols);
        assert_non_null(strstr(h, "3.00 ms"));
        assert_non_null(strstr(f, "1.00 ms"));
        assert_non_null(strstr(f, "400.0 us"));
        /* every line ends with a whole piece */
        static const char *const head_ends[] = {"(2.73)",  " v/n 1.36", "virtual/native 1.36",
                                                " replay", " replays",  "clock read"};
        bool head_ok = false;
        for (size_t i = 0; i < sizeof(head_ends) / sizeof(head_ends[0]); i++) {
            head_ok |= ends_with(h, head_ends[i]);
        }
        bool frame_ok = ends_with(f, "(2.50)") || ends_with(f, " 59.3 us") ||
                        (strstr(f, " backend ") && (ends_with(f, " us") || ends_with(f, " ns")));
        if (!head_ok || !frame_ok) {
            print_message("at %d columns: [%s] [%s]\n", cols, h, f);
        }
        assert_true(head_ok && frame_ok);
    }
    vgt_tui_source_close(src);
    /* run 2 (NULL columns): neither line says pipelined */
    assert_no_walls(path, 2);
    /* schema 1 (no such columns): read as it is, run 1 as a run without them */
    assert_int_equal(vgt_test_schema_to_v1(db), SQLITE_OK);
    assert_int_equal(q1(db, "PRAGMA user_version"), 1);
    assert_no_walls(path, 1);
    sqlite3_close(db);
    unlink(path);
}

/* ---- virtual/native below the clock's resolution ------------------------------------ */

/* The rendered row of command seq: the line of the commands pane whose
 * first field is seq. */
static void cmd_line(const vgt_tui_textcanvas *t, const vgt_tui_rect *r, uint64_t seq, char *buf,
                     size_t size)
{
    for (int y = r->y + 2; y < r->y + r->h; y++) {
        unsigned long long got;
        char full[1024]; /* the pane may stand beside the hotspots: from its column */
        vgt_tui_textcanvas_line(t, y, full, sizeof(full));
        snprintf(buf, size, "%s", strlen(full) > (size_t)r->x ? full + r->x : "");
        if (sscanf(buf, "%llu", &got) == 1 && got == seq) {
            return;
        }
    }
    fail_msg("no row for seq %llu", (unsigned long long)seq);
}

/* The detail's overhead line of command seq (its virtual/native); the run
 * has 1 replay. */
static void detail_ratio(vgt_tui_source *src, uint64_t seq, char *buf, size_t size)
{
    vgt_tui_app a;
    vgt_error err = {0};
    assert_int_equal(vgt_tui_app_init(&a, src, 60, 200, &err), VGT_OK);
    vgt_tui_app_key(&a, VGT_TUI_KEY_ENTER); /* frame 0 -> its commands */
    for (uint64_t i = 0; i < seq; i++) {
        vgt_tui_app_key(&a, 'j');
    }
    assert_int_equal(selected(&a).seq, seq);
    vgt_tui_app_key(&a, VGT_TUI_KEY_ENTER);
    assert_int_equal(vgt_tui_app_view(&a), VGT_TUI_VIEW_DETAIL);
    buf[0] = 0;
    bool timing = false;
    for (size_t i = 0; i < a.detail.n; i++) {
        if (strncmp(a.detail.lines[i], "Timing ", 7) == 0) { /* the run of 1 replay */
            assert_true(ends_with(a.detail.lines[i], ", the median of 1 replay)"));
            timing = true;
        }
        if (strncmp(a.detail.lines[i], "  overhead ", 11) == 0) {
            snprintf(buf, size, "%s", strstr(a.detail.lines[i], "virtual/native"));
        }
    }
    assert_true(timing);
    vgt_tui_app_free(&a);
}

/* vgt analyze's rule (docs/analysis-db.md "Native below resolution"): a
 * native cost below one clock read per command has no ratio, `inf*`.  A
 * null-backend run stores a few hundred ns of native over its commands
 * (the cube: 258 ns over 49, 28 ns a clock read); the report says inf*, the
 * header said "v/n 1974.90".  Run 1 given a 28 ns clock: native 5599 ns
 * over 200 commands is below (200 x 28 = 5600), 5600 is not; command 3's
 * 27 ns is below one read, command 4's 28 ns is not. */
static void test_ratio_below_resolution(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof(path), "%s/res.sqlite", tmpdir);
    make_db(path, 200, 20);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(
            db,
            "UPDATE runs SET timer_ns = 28, total_ns = 112000, native_ns = 5599, "
            "replays = 1 WHERE run_id = 1;"
            "UPDATE commands SET total_ns = 56, native_ns = 27, overhead_ns = 29 WHERE run_id = 1 "
            "AND seq = 3;"
            "UPDATE commands SET total_ns = 56, native_ns = 28, overhead_ns = 28 WHERE run_id = 1 "
            "AND seq = 4;"
            "UPDATE commands SET total_ns = 56, native_ns = NULL, overhead_ns = NULL WHERE "
            "run_id = 1 AND seq = 5;",
            NULL, NULL, NULL),
        SQLITE_OK);
    char head[512], row[512];
    vgt_tui_source *src = NULL;
    vgt_error err = {0};
    vgt_tui_textcanvas t;
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(vgt_tui_source_open(path, 1, &src, &err), VGT_OK);
        vgt_tui_app a;
        assert_int_equal(vgt_tui_app_init(&a, src, 60, 200, &err), VGT_OK);
        assert_int_equal(vgt_tui_textcanvas_init(&t, 60, 200, &err), VGT_OK);
        vgt_tui_render(&a, &t.canvas);
        vgt_tui_textcanvas_line(&t, a.layout.header.y + 1, head, sizeof(head));
        if (pass == 0) {
            assert_non_null(strstr(head, "  virtual/native inf* | 1 replay, 28 ns/clock read"));
            cmd_line(&t, &a.layout.commands, 3, row, sizeof(row));
            assert_non_null(strstr(row, "56 ns      29 ns   inf* "));
            cmd_line(&t, &a.layout.commands, 4, row, sizeof(row));
            assert_non_null(strstr(row, "56 ns      28 ns   2.00 "));
            cmd_line(&t, &a.layout.commands, 5, row, sizeof(row));
            assert_non_null(strstr(row, "56 ns          -      - "));
        } else {
            /* at one clock read per command the ratio is a number again */
            assert_non_null(strstr(head, "  virtual/native 20.00 | 3 replays, "));
        }
        vgt_tui_textcanvas_free(&t);
        vgt_tui_app_free(&a);
        if (pass == 0) {
            detail_ratio(src, 3, row, sizeof(row));
            assert_string_equal(row, "virtual/native inf* (native below resolution)");
            detail_ratio(src, 4, row, sizeof(row));
            assert_string_equal(row, "virtual/native 2.00");
            detail_ratio(src, 5, row, sizeof(row));
            assert_string_equal(row, "virtual/native -");
        }
        vgt_tui_source_close(src);
        assert_int_equal(sqlite3_exec(db,
                                      "UPDATE runs SET native_ns = 5600, replays = 3 WHERE "
                                      "run_id = 1",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    }
    sqlite3_close(db);
}

/* An SVGA trace writer on path (a new file), as the capture opens one. */
static vgt_trace_writer *open_svga_trace(const char *path)
{
    vgt_trace_header h;
    memset(&h, 0, sizeof(h));
    h.protocol_id = VGT_SVGA_TRACE_PROTOCOL_ID;
    strcpy(h.protocol_name, VGT_SVGA_TRACE_PROTOCOL_NAME);
    h.creator = "test_tui";
    vgt_trace_writer *w = NULL;
    vgt_error err = {0};
    unlink(path);
    assert_int_equal(vgt_trace_writer_open(path, NULL, &h, &w, &err), VGT_OK);
    return w;
}

/* ---- a run of many frames ------------------------------------------------------------- */

/* A run of 150 010 frames.  The open counts every frames row (and takes the
 * wall medians) once: those pages are not kept in the browsing cache (a
 * million frames kept 43 MB), the browsing cache is set after the open, and
 * the counts are the same. */
static void test_many_frames_cache(void **state)
{
    (void)state;
    char db[256];
    snprintf(db, sizeof(db), "%s/manyframes.sqlite", tmpdir);
    make_db(db, 200, 20);
    sqlite3 *s;
    assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
    /* test_hostile_db's many_rows recipe: 150 000 frames rows after the 10 */
    assert_int_equal(
        sqlite3_exec(s,
                     "WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM n WHERE i < "
                     "150999) INSERT INTO frames SELECT run_id, i * 3, 0, 0, 1, 0, 0, 0, 5, 1, 1, "
                     "1, 1, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0 FROM n, (SELECT "
                     "DISTINCT run_id FROM runs);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    int64_t frames_bytes = q1(s, "SELECT sum(pgsize) FROM dbstat WHERE name = 'frames'");
    sqlite3_close(s);
    vgt_error err = {0};
    vgt_tui_source *src = NULL;
    assert_int_equal(vgt_tui_source_open(db, 0, &src, &err), VGT_OK);
    const vgt_tui_run_info *r = vgt_tui_source_run(src);
    assert_int_equal(r->frame_rows, 150010);
    assert_int_equal(r->first_frame, 0);
    assert_int_equal(r->last_frame, 150999 * 3);
    int cur = 0, hi = 0;
    assert_int_equal(sqlite3_db_status(src->db, SQLITE_DBSTATUS_CACHE_USED, &cur, &hi, 0),
                     SQLITE_OK);
    printf("frames table %" PRId64 " B, page cache after the open %d B\n", frames_bytes, cur);
    assert_true(frames_bytes > 3 * 1024 * 1024); /* more than the open's cache holds */
    assert_true(cur < 3 * 1024 * 1024);
    assert_int_equal(q1(src->db, "PRAGMA cache_size"), -65536);

    /* its frame numbers have gaps (0..9, then 3000, 3003, ...): the
     * timeline's pages are found from the start, the end or the last page,
     * each bar the frame of its row index, and the last page reads a few
     * rows, not the table */
    vgt_tui_app app;
    assert_int_equal(vgt_tui_app_init(&app, src, 60, 200, &err), VGT_OK);
    sqlite3 *ref;
    assert_int_equal(sqlite3_open_v2(db, &ref, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    static const int keys[] = {'G',
                               VGT_TUI_KEY_PGUP,
                               VGT_TUI_KEY_PGUP,
                               'h',
                               'g',
                               VGT_TUI_KEY_PGDN,
                               VGT_TUI_KEY_PGDN,
                               'l',
                               VGT_TUI_KEY_PGUP,
                               'G'};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        vgt_tui_app_key(&app, keys[k]);
        assert_false(app.status_error);
        assert_true(app.tl.nwin > 0);
        uint64_t rows[] = {app.tl.win_top, app.tl.win_top + app.tl.nwin - 1, app.tl.list.sel};
        uint64_t got[] = {app.tl.win[0].frame, app.tl.win[app.tl.nwin - 1].frame, app.tl.sel.frame};
        for (int i = 0; i < 3; i++) {
            char sql[160];
            snprintf(sql, sizeof(sql),
                     "SELECT frame FROM frames WHERE run_id = 1 ORDER BY frame LIMIT 1 OFFSET "
                     "%" PRIu64,
                     rows[i]);
            assert_int_equal(got[i], q1(ref, sql));
        }
        if (k == 0) {
            assert_int_equal(app.tl.sel.frame, 150999 * 3);
            assert_true(sqlite3_db_status(src->db, SQLITE_DBSTATUS_CACHE_USED, &cur, &hi, 0) ==
                            SQLITE_OK &&
                        cur < 3 * 1024 * 1024);
        }
    }
    assert_int_equal(app.tl.sel.frame, 150999 * 3);
    sqlite3_close(ref);
    vgt_tui_app_free(&app);
    vgt_tui_source_close(src);
    unlink(db);
}

/* ---- a run without commands ----------------------------------------------------------- */

/* A capture started past the guest's last frame (`vgt run cube --frames 2
 * --capture-start 5`) is a trace of no commands starting at guest frame 5;
 * its run has no frames.  The commands pane's title said "frame
 * 18446744073709551615" (no frame selected) and a search said "frame 0 is
 * before the trace's first" (it sought a frame the run does not have). */
static void test_empty_run(void **state)
{
    (void)state;
    char db[256], tr[256];
    snprintf(db, sizeof(db), "%s/empty.sqlite", tmpdir);
    snprintf(tr, sizeof(tr), "%s/empty.vgt", tmpdir);
    make_db(db, 200, 20);
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_close(open_svga_trace(tr), &err), VGT_OK);
    sqlite3 *s;
    assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "UPDATE traces SET path = '%s', start_frame = 5;"
             "UPDATE runs SET commands = 0, frames = 0, total_ns = 0, native_ns = 0, "
             "overhead_ns = 0;"
             "DELETE FROM commands; DELETE FROM frames; DELETE FROM type_stats;",
             tr);
    assert_int_equal(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(s);
    vgt_tui_source *src = NULL;
    assert_int_equal(vgt_tui_source_open(db, 1, &src, &err), VGT_OK);
    assert_true(vgt_tui_source_trace_ok(src, &err));
    vgt_tui_app a;
    assert_int_equal(vgt_tui_app_init(&a, src, 40, 120, &err), VGT_OK);
    vgt_tui_textcanvas t;
    assert_int_equal(vgt_tui_textcanvas_init(&t, 40, 120, &err), VGT_OK);
    vgt_tui_render(&a, &t.canvas);
    char head[512], title[512];
    vgt_tui_textcanvas_line(&t, a.layout.header.y + 1, head, sizeof(head));
    vgt_tui_textcanvas_line(&t, a.layout.commands.y, title, sizeof(title));
    /* vgt analyze: no commands is no ratio ("-"), not one below resolution */
    assert_non_null(strstr(head, " 0 commands (0 failed), 0 frames | total 0 ns  native 0 ns  "
                                 "overhead 0 ns  virtual/native - | "));
    assert_non_null(strstr(title, " Commands of frame -: 0, device order  [0/0]  "));
    /* no frames, no scale: the timeline's rows left of the bars are blank
     * (the scale read "1 ns", the divisor's floor, above "0" and "frame") */
    for (int y = a.layout.timeline.y + 1; y <= a.layout.timeline.y + a.layout.bar_h + 1; y++) {
        char row[512];
        vgt_tui_textcanvas_line(&t, y, row, sizeof(row));
        row[strlen(row) < (size_t)a.layout.bars_x - 1 ? strlen(row) : (size_t)a.layout.bars_x - 1] =
            0;
        assert_string_equal(rtrim(row), "");
    }
    search(&a, "fence");
    assert_string_equal(a.status, "/fence: no command matches 'fence' (the run has none)");
    vgt_tui_textcanvas_free(&t);
    vgt_tui_app_free(&a);
    vgt_tui_source_close(src);
}

/* ---- the partial frame: the commands after the guest's last frame end ---------------- */

/* Run 1 of path: 210 synthetic commands of 20 a frame, so frames 0..9 are
 * complete and frame 10 (10 commands, cut short of its PRESENT and FENCE) is
 * partial.  The header counts the 10 complete frames and says the partial
 * one apart; the timeline shows all 11 and labels frame 10; the --sync frame
 * medians are over the complete frames: frame 10 given the largest wall
 * times, taking it in would make the lower median of 11 values the 6th
 * (3.50 ms, 1.40 ms) instead of the 5th of 10 (3.00 ms, 1.10 ms). */
static void check_partial_run(const char *path, bool walls)
{
    vgt_tui_source *src = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_tui_source_open(path, 1, &src, &err), VGT_OK);
    const vgt_tui_run_info *r = vgt_tui_source_run(src);
    assert_int_equal(r->commands, 210);
    assert_int_equal(r->frames, 10);
    assert_int_equal(r->frame_rows, 11);
    assert_int_equal(r->partial_frames, 1);
    if (walls) {
        assert_int_equal(r->wall_frames, 10);
        assert_int_equal(r->virtual_wall_median, 3000000);
        assert_int_equal(r->native_wall_median, 1100000);
    } else {
        assert_int_equal(r->wall_frames, 0);
    }
    vgt_tui_frame_row rows[12];
    uint32_t got = 0;
    assert_int_equal(vgt_tui_source_frames(src, 0, 12, rows, &got, &err), VGT_OK);
    assert_int_equal(got, 11);
    for (uint32_t i = 0; i < got; i++) {
        assert_int_equal(rows[i].frame, i);
        assert_int_equal(rows[i].partial, i == 10);
    }
    assert_int_equal(rows[10].commands, 10);
    char head[512], title[512], fline[512];
    vgt_tui_app a;
    assert_int_equal(vgt_tui_app_init(&a, src, 60, 200, &err), VGT_OK);
    vgt_tui_textcanvas t;
    assert_int_equal(vgt_tui_textcanvas_init(&t, 60, 200, &err), VGT_OK);
    vgt_tui_render(&a, &t.canvas);
    vgt_tui_textcanvas_line(&t, a.layout.header.y + 1, head, sizeof(head));
    vgt_tui_textcanvas_line(&t, a.layout.timeline.y, title, sizeof(title));
    assert_non_null(strstr(head, " 210 commands (0 failed), 10 frames (+ 1 partial) | "));
    assert_non_null(strstr(title, " Frames 10 (+ 1 partial)  [1/11]  bars: "));
    vgt_tui_textcanvas_line(&t, a.layout.timeline.y + a.layout.timeline.h - 1, fline,
                            sizeof(fline));
    assert_non_null(strstr(fline, " frame 0: 20 commands, "));
    vgt_tui_app_key(&a, 'G'); /* the last frame: the partial one */
    assert_int_equal(a.tl.sel.frame, 10);
    vgt_tui_render(&a, &t.canvas);
    vgt_tui_textcanvas_line(&t, a.layout.timeline.y, title, sizeof(title));
    vgt_tui_textcanvas_line(&t, a.layout.timeline.y + a.layout.timeline.h - 1, fline,
                            sizeof(fline));
    assert_non_null(strstr(title, " Frames 10 (+ 1 partial)  [11/11]  "));
    assert_non_null(strstr(fline, " frame 10 (partial): 10 commands, "));
    assert_true(vgt_tui_textcanvas_find(&t, " Commands of frame 10 (partial): 10, "));
    vgt_tui_textcanvas_free(&t);
    vgt_tui_app_free(&a);
    vgt_tui_source_close(src);
}

static void test_partial_frame(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof(path), "%s/partial.sqlite", tmpdir);
    make_db(path, 210, 20);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(q1(db, "SELECT frames FROM runs WHERE run_id = 1"), 10);
    assert_int_equal(q1(db, "SELECT count(*) FROM frames WHERE run_id = 1 AND partial = 1"), 1);
    set_walls(db, 11); /* frames 0..9 as in test_frame_walls; frame 10 the slowest of all */
    check_partial_run(path, true);
    /* schema 2 (no frames.partial, runs.frames 11 as it counted then): read as
     * it is, the partial frame and the count from the traces row, the same */
    assert_int_equal(vgt_test_schema_to_v2(db), SQLITE_OK);
    assert_int_equal(q1(db, "SELECT frames FROM runs WHERE run_id = 1"), 11);
    check_partial_run(path, true);
    /* schema 1: the same without wall times */
    assert_int_equal(vgt_test_schema_v2_to_v1(db), SQLITE_OK);
    check_partial_run(path, false);
    sqlite3_close(db);
    unlink(path);
}

/* ---- a trace with shaders: decoded fields, disassembly, search by argument ---------- */

static const char VS[] = "vs_2_0\ndcl_position v0\ndp4 oPos.x, v0, c0\nmov oPos.yzw, v0\n";

static void put_cmd(vgt_trace_writer *w, uint64_t seq, const uint32_t *words, uint32_t n)
{
    uint8_t buf[4096];
    assert_true(16 + 4 * n <= sizeof(buf));
    memset(buf, 0, 16);
    vgt_store_le64(buf, seq);
    for (uint32_t i = 0; i < n; i++) {
        vgt_store_le32(buf + 16 + 4 * i, words[i]);
    }
    vgt_error err = {0};
    assert_int_equal(
        vgt_trace_writer_append(w, VGT_REC_COMMAND, 0, seq * 100, buf, 16 + 4 * n, &err), VGT_OK);
}

static void test_detail_from_trace(void **state)
{
    (void)state;
    char db[256], tr[256];
    snprintf(db, sizeof(db), "%s/sh.sqlite", tmpdir);
    snprintf(tr, sizeof(tr), "%s/sh.vgt", tmpdir);
    make_db(db, 8, 4); /* frames 0 (seq 0..3) and 1 (seq 4..7) */
    /* the trace: SHADER_DEFINE (seq 0), SET_SHADER (seq 5, frame 1), FENCEs */
    uint32_t *bc = NULL;
    size_t nbc = 0;
    vgt_error err = {0};
    assert_int_equal(vgt_shader_assemble(VS, strlen(VS), &bc, &nbc, NULL, &err), VGT_OK);
    uint32_t def[600];
    assert_true(nbc + 5 <= 600);
    def[0] = VGT_SVGA3D_CMD_SHADER_DEFINE;
    def[1] = (uint32_t)(12 + 4 * nbc);
    def[2] = 1; /* cid */
    def[3] = 7; /* shid */
    def[4] = VGT_SVGA3D_SHADERTYPE_VS;
    memcpy(def + 5, bc, 4 * nbc);
    uint32_t set[5] = {VGT_SVGA3D_CMD_SET_SHADER, 12, 1, VGT_SVGA3D_SHADERTYPE_VS, 7};
    vgt_trace_writer *w = open_svga_trace(tr);
    for (uint64_t seq = 0; seq < 8; seq++) {
        uint32_t fence[2] = {VGT_SVGA_CMD_FENCE, (uint32_t)seq};
        if (seq == 0) {
            put_cmd(w, seq, def, (uint32_t)(5 + nbc));
        } else if (seq == 5) {
            put_cmd(w, seq, set, 5);
        } else {
            put_cmd(w, seq, fence, 2);
        }
        if (seq == 3) {
            assert_int_equal(vgt_trace_writer_frame_end(w, 350, &err), VGT_OK);
        }
    }
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);
    /* point the run at it, with the types and the shader row the analyzer would store */
    sqlite3 *s;
    assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "UPDATE traces SET path = '%s';"
             "INSERT OR IGNORE INTO command_types VALUES(1059, 'SHADER_DEFINE', '3d');"
             "INSERT OR IGNORE INTO command_types VALUES(1061, 'SET_SHADER', '3d');"
             "UPDATE commands SET type_id = 1059 WHERE seq = 0;"
             "UPDATE commands SET type_id = 1061 WHERE seq = 5;"
             "INSERT INTO shaders VALUES(1, 1, 7, 0, NULL, 'vs', %zu, '0123456789abcdef');",
             tr, nbc);
    assert_int_equal(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(s);

    vgt_tui_source *src = NULL;
    assert_int_equal(vgt_tui_source_open(db, 0, &src, &err), VGT_OK);
    assert_true(vgt_tui_source_trace_ok(src, &err));
    vgt_tui_app a;
    assert_int_equal(vgt_tui_app_init(&a, src, 40, 120, &err), VGT_OK);
    vgt_tui_app_key(&a, VGT_TUI_KEY_ENTER);
    vgt_tui_app_key(&a, VGT_TUI_KEY_ENTER); /* seq 0: SHADER_DEFINE */
    assert_int_equal(vgt_tui_app_view(&a), VGT_TUI_VIEW_DETAIL);
    bool cid = false, shid = false, dis = false, mov = false, row = false;
    for (size_t i = 0; i < a.detail.n; i++) {
        const char *l = a.detail.lines[i];
        cid |= strcmp(l, "  cid=1") == 0;
        shid |= strcmp(l, "  shid=7") == 0;
        dis |= strstr(l, "Shader disassembly (vs shid 7)") != NULL;
        mov |= strstr(l, "mov oPos.yzw, v0") != NULL;
        row |= strstr(l, "0123456789abcdef") != NULL;
    }
    assert_true(cid && shid && dis && mov && row);
    /* SET_SHADER in the next frame: the bound shader's disassembly */
    vgt_tui_app_key(&a, VGT_TUI_KEY_ESC);
    vgt_tui_app_key(&a, 'l');
    vgt_tui_app_key(&a, 'j');
    assert_int_equal(selected(&a).seq, 5);
    vgt_tui_app_key(&a, VGT_TUI_KEY_ENTER);
    dis = mov = false;
    for (size_t i = 0; i < a.detail.n; i++) {
        dis |= strstr(a.detail.lines[i], "defined by #0") != NULL;
        mov |= strstr(a.detail.lines[i], "dp4 oPos.x, v0, c0") != NULL;
    }
    assert_true(dis && mov);
    vgt_tui_app_key(&a, VGT_TUI_KEY_ESC);
    /* search by argument: the fence with value 6 */
    search(&a, "FENCE fence=6");
    assert_false(a.status_error);
    assert_int_equal(selected(&a).seq, 6);
    search(&a, "shid=7");
    assert_int_equal(selected(&a).seq, 0); /* wrapped around */
    vgt_tui_app_key(&a, 'n');
    assert_int_equal(selected(&a).seq, 5);
    vgt_tui_app_key(&a, 'N');
    assert_int_equal(selected(&a).seq, 0);
    vgt_tui_app_free(&a);
    vgt_tui_source_close(src);
    free(bc);
    unlink(db);
    unlink(tr);
}

/* ---- counts, the axis and the help box -------------------------------------------------- */

/* The canvas row y of a (rendered at rows x cols), without trailing blanks. */
static void rendered_row(vgt_tui_app *a, int rows, int cols, int y, char *buf, size_t size)
{
    vgt_tui_textcanvas t;
    vgt_error err = {0};
    assert_int_equal(vgt_tui_textcanvas_init(&t, rows, cols, &err), VGT_OK);
    vgt_tui_render(a, &t.canvas);
    vgt_tui_textcanvas_line(&t, y, buf, size);
    vgt_tui_textcanvas_free(&t);
}

/* A run of one command in one frame of one type says each count in the
 * singular ("1 commands", "1 frames", "1 command types" before), and its
 * axis names the frame under the caret ("frame ^" before). */
static void test_one_of_each(void **state)
{
    (void)state;
    char path[256], line[512];
    snprintf(path, sizeof(path), "%s/one.sqlite", tmpdir);
    make_db(path, 4, 4); /* frame 0: CLEAR (seq 0), ..., PRESENT, FENCE */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(q1(db, "SELECT type_id FROM commands WHERE seq = 0"), VGT_SVGA3D_CMD_CLEAR);
    assert_int_equal(sqlite3_exec(db,
                                  "DELETE FROM commands WHERE seq > 0;"
                                  "UPDATE runs SET commands = 1, replays = 1;"
                                  "UPDATE frames SET commands = 1, draws = 1, last_seq = 0;"
                                  "DELETE FROM type_stats WHERE type_id != 1057;"
                                  "UPDATE type_stats SET count = 1;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    vgt_tui_source *src = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_tui_source_open(path, 1, &src, &err), VGT_OK);
    vgt_tui_app a;
    static const int widths[] = {80, 120, 200};
    for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
        int cols = widths[i];
        assert_int_equal(vgt_tui_app_init(&a, src, 40, cols, &err), VGT_OK);
        rendered_row(&a, 40, cols, a.layout.header.y + 1, line, sizeof(line));
        assert_non_null(strstr(line, " 1 command (0 failed), 1 frame | total "));
        rendered_row(&a, 40, cols, a.layout.timeline.y + a.layout.timeline.h - 1, line,
                     sizeof(line));
        assert_non_null(strstr(line, " frame 0: 1 command, 1 draw | total "));
        rendered_row(&a, 40, cols, a.layout.timeline.y + a.layout.bar_h + 1, line, sizeof(line));
        assert_string_equal(line, "   frame ^0");
        rendered_row(&a, 40, cols, a.layout.hotspots.y, line, sizeof(line));
        assert_non_null(strstr(line, " Hotspots: 1 command type by total "));
        vgt_tui_app_key(&a, VGT_TUI_KEY_TAB); /* the hotspots: CLEAR's commands */
        vgt_tui_app_key(&a, VGT_TUI_KEY_ENTER);
        assert_int_equal(vgt_tui_app_view(&a), VGT_TUI_VIEW_TYPE);
        rendered_row(&a, 40, cols, a.layout.body.y, line, sizeof(line));
        assert_non_null(strstr(line, " CLEAR: 1 command in the run, slowest first  [1/1]"));
        vgt_tui_app_free(&a);
    }
    vgt_tui_source_close(src);
    unlink(path);
}

/* The axis with the caret on frame `frame` of the 100-frame run (at 200
 * columns, 191 bars: the whole run in one window). */
static void axis_at(fx *f, uint64_t frame, char *line, size_t size)
{
    vgt_tui_app *a = &f->app;
    vgt_tui_app_key(a, 'g');
    for (uint64_t i = 0; i < frame; i++) {
        vgt_tui_app_key(a, 'j');
    }
    assert_int_equal(a->tl.sel.frame, frame);
    rendered_row(a, 60, 200, a->layout.timeline.y + a->layout.bar_h + 1, line, size);
}

/* The selected frame's number stands beside the caret, and a label it would
 * cover or touch is left out rather than cut (frame 0's "frame ^", frame
 * 11's "1^": frame 10's label with its 0 under the caret). */
static void test_axis_caret(void **state)
{
    fx *f = *state;
    char line[512];
    static const struct {
        uint64_t frame;
        const char *axis;
    } cases[] = {
        {0, "   frame ^0        10        20        30        40        50        60        70     "
            "   80        90"},
        {5, "   frame 0    ^5   10        20        30        40        50        60        70     "
            "   80        90"},
        {11, "   frame 0          ^11      20        30        40        50        60        70    "
             "    80        90"},
        {8, "   frame 0       ^8          20        30        40        50        60        70     "
            "   80        90"},
        {12, "   frame 0           ^12     20        30        40        50        60        70    "
             "    80        90"},
        {18, "   frame 0         10      ^18         30        40        50        60        70    "
             "    80        90"},
        {19, "   frame 0         10       ^19        30        40        50        60        70    "
             "    80        90"},
        {99, "   frame 0         10        20        30        40        50        60        70    "
             "    80        90       ^99"},
    };
    assert_int_equal(f->app.layout.bars_x, 9);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        axis_at(f, cases[i].frame, line, sizeof(line));
        assert_string_equal(line, cases[i].axis);
    }
    /* the last bar of a window: the number before the caret */
    vgt_tui_app_resize(&f->app, 60, 80); /* 71 bars */
    vgt_tui_app_key(&f->app, 'g');
    key_n(&f->app, 'j', 70);
    assert_int_equal(f->app.tl.win_top, 0);
    rendered_row(&f->app, 60, 80, f->app.layout.timeline.y + f->app.layout.bar_h + 1, line,
                 sizeof(line));
    assert_string_equal(line,
                        "   frame 0         10        20        30        40        50        "
                        "60      70^");
    /* ... and where "^68" just fits, after it */
    key_n(&f->app, 'k', 2);
    rendered_row(&f->app, 60, 80, f->app.layout.timeline.y + f->app.layout.bar_h + 1, line,
                 sizeof(line));
    assert_string_equal(line,
                        "   frame 0         10        20        30        40        50        "
                        "60      ^68");
}

/* The help box at rows x cols: each key's text, its rows joined, is the
 * key table's text whole (no word cut at the box's edge), every text starts
 * in one column, and the key names stand in the column before it.  Returns
 * the rows the entries take. */
static int check_help(fx *f, int rows, int cols)
{
    vgt_tui_app *a = &f->app;
    vgt_tui_app_resize(a, rows, cols);
    vgt_tui_app_key(a, '?');
    vgt_tui_textcanvas t;
    vgt_error err = {0};
    assert_int_equal(vgt_tui_textcanvas_init(&t, rows, cols, &err), VGT_OK);
    vgt_tui_render(a, &t.canvas);
    char line[512];
    int y0 = -1, x0 = -1;
    for (int y = 0; y < rows && y0 < 0; y++) {
        vgt_tui_textcanvas_line(&t, y, line, sizeof(line));
        const char *at = strstr(line, " Help: keys (any key closes)");
        if (at) {
            y0 = y;
            x0 = (int)(at - line);
        }
    }
    assert_true(y0 >= 0);
    int end = cols - x0 - 1; /* the box is centred: its columns [x0, end) at least */
    /* every entry: the key table's, then the mouse */
    size_t n = 0;
    const char *keys[64], *texts[64];
    for (size_t i = 0; i < tui_help_count(); i++) {
        if (tui_help_line(i, &keys[n], &texts[n])) {
            n++;
        }
    }
    keys[n] = "mouse";
    texts[n++] = "click a bar, a hotspot or a command to select it";
    int text_col = -1, y = y0 + 1;
    for (size_t i = 0; i < n; i++, y++) {
        char joined[512] = "", key[64];
        vgt_tui_textcanvas_line(&t, y, line, sizeof(line));
        line[strlen(line) > (size_t)end ? (size_t)end : strlen(line)] = 0;
        int kx = -1, tx = -1;
        assert_int_equal(sscanf(line + x0, " %63s%n", key, &tx), 1);
        kx = (int)(strstr(line + x0, key) - line);
        assert_int_equal(kx, x0 + 2);
        assert_string_equal(key, keys[i]);
        tx += x0;
        tx += (int)strspn(line + tx, " ");
        if (text_col < 0) {
            text_col = tx;
        }
        if (tx != text_col) {
            print_message("%dx%d: %s's text at column %d, not %d\n", cols, rows, key, tx, text_col);
        }
        assert_int_equal(tx, text_col);
        snprintf(joined, sizeof(joined), "%s", rtrim(line + tx));
        /* continuation rows: blank up to the text's column */
        for (;;) {
            char next[512];
            vgt_tui_textcanvas_line(&t, y + 1, next, sizeof(next));
            next[strlen(next) > (size_t)end ? (size_t)end : strlen(next)] = 0;
            if ((int)strlen(rtrim(next)) <= text_col ||
                strspn(next + x0, " ") < (size_t)(text_col - x0)) {
                break;
            }
            size_t len = strlen(joined);
            snprintf(joined + len, sizeof(joined) - len, " %s", rtrim(next + text_col));
            y++;
        }
        if (strcmp(joined, texts[i]) != 0) {
            print_message("%dx%d: [%s] shows [%s]\n", cols, rows, keys[i], joined);
        }
        assert_string_equal(joined, texts[i]);
    }
    vgt_tui_textcanvas_free(&t);
    vgt_tui_app_key(a, 'x');
    return y - (y0 + 1);
}

static void test_help_box(void **state)
{
    fx *f = *state;
    /* from 80 columns every text fits one row: all of them on 24 rows */
    int entries = 1; /* the mouse's */
    for (size_t i = 0; i < tui_help_count(); i++) {
        const char *k, *h;
        entries += tui_help_line(i, &k, &h);
    }
    for (int cols = 80; cols <= 260; cols++) {
        assert_int_equal(check_help(f, 24, cols), entries);
    }
    check_help(f, 60, 200);
    /* narrower, the texts wrap at blanks (a terminal tall enough for all) */
    int rows40 = 0;
    for (int cols = 40; cols < 80; cols++) {
        int n = check_help(f, 60, cols);
        rows40 = cols == 40 ? n : rows40;
    }
    assert_true(rows40 > 20);
    /* too short for every row: the last says what is left out */
    vgt_tui_app_resize(&f->app, 16, 40);
    vgt_tui_app_key(&f->app, '?');
    vgt_tui_textcanvas t;
    vgt_error err = {0};
    assert_int_equal(vgt_tui_textcanvas_init(&t, 16, 40, &err), VGT_OK);
    vgt_tui_render(&f->app, &t.canvas);
    /* the rows shown and the rows said left out are all of them, the box
     * inside the screen above the status line */
    int title = -1, shown = 0, more = -1;
    for (int y = 0; y < 16; y++) {
        char line[512];
        vgt_tui_textcanvas_line(&t, y, line, sizeof(line));
        const char *m = strstr(line, " more rows: taller terminal)");
        if (strstr(line, " Help: keys")) {
            title = y;
        } else if (m) {
            while (m > line && m[-1] >= '0' && m[-1] <= '9') {
                m--;
            }
            more = atoi(m);
            assert_true(y < 15);
            break;
        } else if (title >= 0) {
            shown++;
        }
    }
    assert_true(title >= 0 && more > 0);
    assert_int_equal(shown + more, rows40);
    vgt_tui_textcanvas_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_navigation),
        cmocka_unit_test(test_layout_reflow),
        cmocka_unit_test_setup_teardown(test_header_and_hotspots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeline_navigation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drill_down_and_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging_keyset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_next_prev, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resize_keeps_selection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_80x24_200x60, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hotspots_mean_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mouse_click, setup, teardown),
        cmocka_unit_test(test_bad_database),
        cmocka_unit_test(test_frame_walls),
        cmocka_unit_test(test_partial_frame),
        cmocka_unit_test(test_ratio_below_resolution),
        cmocka_unit_test(test_empty_run),
        cmocka_unit_test(test_many_frames_cache),
        cmocka_unit_test(test_detail_from_trace),
        cmocka_unit_test(test_one_of_each),
        cmocka_unit_test_setup_teardown(test_axis_caret, setup, teardown),
        cmocka_unit_test_setup_teardown(test_help_box, setup, teardown),
    };
    tmpdir = vgt_test_tmpdir("tui");
    if (tmpdir == NULL) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
