/* test_hostile_db.c - analysis databases damaged or written by someone else:
 * a real database (a small cube capture analyzed on null) is copied and
 * mutated (NULLs where the schema says NOT NULL, negative, zero and
 * INT64_MAX counts, frame numbers and times, frames pointing past the
 * commands, unknown types, text and blobs in the wrong columns, dropped
 * tables and columns, a dishonest user_version, an empty, truncated,
 * bit-flipped or foreign file, many rows), and every consumer is run on
 * each copy: vgt tui's source and view models (opened, rendered, driven by
 * keys), vgt analyze --db adding a run, and every report (text, JSON, CSV,
 * HTML, Perfetto).  What is asserted: the return codes each consumer gives,
 * the messages naming the file and what is wrong, and (under make asan) no
 * crash, no undefined behaviour, no leak. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vgt_analyze.h"
#include "../capture/capture_test_util.h"
#include "schema_v1.h"
#include "vgt_samples.h"
#include "vgt_test_tmp.h"
#include "vgt_tui.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *tmpdir;
static char trace_path[600], base_path[600];

/* ---- files ------------------------------------------------------------------------ */

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
        assert_int_equal(fwrite(buf, 1, n, out), n);
    }
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

/* path: a copy of the base database with sql run on it (NULL: none). */
static void mutate_sql(const char *path, const char *sql)
{
    copy_file(base_path, path);
    if (!sql) {
        return;
    }
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        fail_msg("mutation %s: %s", sql, msg ? msg : "?");
    }
    sqlite3_close(db);
}

/* ---- the consumers ---------------------------------------------------------------- */

/* What every consumer said about one file. */
typedef struct outcome {
    vgt_status tui_open, tui_app; /* the tui's source, its view models */
    char tui_msg[1024];
    vgt_status db_open, last_run; /* vgt analyze --db's open (migration), its newest run */
    char db_msg[1024];
    vgt_status report[5]; /* text, json, csv, html, perfetto */
    char report_msg[5][1024];
    char *body[5];           /* what each report wrote (malloc'd) */
    bool tui_shows_max_mean; /* the 240x60 main view shows a mean of INT64_MAX ns */
    char tui_trace[1024];    /* the tui header's trace path */
    int tui_long_bars;       /* lines of the 240x60 view with a bar of 15 cells or more */
    vgt_status add_run;      /* a run of the trace added */
    char add_msg[1024];
    vgt_status report_new; /* the text report of the added run */
} outcome;

/* Drives the tui's view models through every view: header, timeline,
 * hotspots, the commands of a frame and of a type, the detail pane, sorts,
 * paging, search, rendering after every key at two sizes. */
static vgt_status drive_tui(vgt_tui_source *src, char *msg, size_t size, bool *max_mean,
                            int *long_bars)
{
    static const int script[] = {
        'j',
        'l',
        'G',
        'g',
        VGT_TUI_KEY_PGDN,
        VGT_TUI_KEY_END,
        VGT_TUI_KEY_ENTER, /* a frame's commands */
        'j',
        VGT_TUI_KEY_PGDN,
        's',
        's',
        'G',
        VGT_TUI_KEY_ENTER, /* the detail */
        VGT_TUI_KEY_ESC,
        VGT_TUI_KEY_BACKSPACE,
        VGT_TUI_KEY_TAB, /* hotspots */
        's',
        'j',
        'l',
        VGT_TUI_KEY_ENTER, /* a type's commands */
        'G',
        VGT_TUI_KEY_PGUP,
        '/',
        'D',
        'R',
        'A',
        'W',
        VGT_TUI_KEY_ENTER,
        'n',
        'N',
        VGT_TUI_KEY_ESC,
        VGT_TUI_KEY_ESC,
        VGT_TUI_KEY_BTAB,
        VGT_TUI_KEY_HOME,
    };
    vgt_error err = {0};
    vgt_tui_app app;
    vgt_status st = vgt_tui_app_init(&app, src, 24, 80, &err);
    if (st != VGT_OK) {
        snprintf(msg, size, "%s", err.message);
        return st;
    }
    vgt_tui_textcanvas tc[2];
    assert_int_equal(vgt_tui_textcanvas_init(&tc[0], 24, 80, &err), VGT_OK);
    assert_int_equal(vgt_tui_textcanvas_init(&tc[1], 60, 200, &err), VGT_OK);
    /* 240 columns: the hotspots pane wide enough for its mean column */
    vgt_tui_textcanvas wide;
    assert_int_equal(vgt_tui_textcanvas_init(&wide, 60, 240, &err), VGT_OK);
    vgt_tui_app_resize(&app, 60, 240);
    vgt_tui_render(&app, &wide.canvas);
    *max_mean = vgt_tui_textcanvas_find(&wide, "9223372036.85 s");
    /* the hotspots' share bars (15 cells or more: full ones) */
    *long_bars = 0;
    for (int y = 0; y < 60; y++) {
        char line[256];
        vgt_tui_textcanvas_line(&wide, y, line, sizeof(line));
        *long_bars += strstr(line, "###############") != NULL;
    }
    vgt_tui_textcanvas_free(&wide);
    for (size_t i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
        vgt_tui_app_resize(&app, i % 2 ? 60 : 24, i % 2 ? 200 : 80);
        vgt_tui_render(&app, &tc[i % 2].canvas);
        vgt_tui_app_key(&app, script[i]);
        vgt_tui_cmd_row row;
        vgt_tui_app_selected_cmd(&app, &row);
    }
    vgt_tui_app_resize(&app, 24, 80);
    vgt_tui_render(&app, &tc[0].canvas);
    vgt_tui_textcanvas_free(&tc[0]);
    vgt_tui_textcanvas_free(&tc[1]);
    vgt_tui_app_free(&app);
    return VGT_OK;
}

static vgt_status report_to(vgt_analyze_db *db, int64_t run, int which, char **body, vgt_error *err)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    vgt_status st;
    if (which < 3) {
        st = vgt_analyze_report(db, run, (vgt_analyze_report_format)which, 5, f, err);
    } else if (which == 3) {
        st = vgt_analyze_html(db, run, f, err);
    } else {
        st = vgt_analyze_perfetto(db, run, f, err);
    }
    fclose(f);
    if (body) {
        *body = buf;
    } else {
        free(buf);
    }
    return st;
}

/* Runs every consumer on path: the tui on it as it is (read-only), the
 * analyzer on it (which migrates and adds a run). */
static void consume(const char *path, outcome *o)
{
    memset(o, 0, sizeof(*o));
    vgt_error err = {0};
    vgt_tui_source *src = NULL;
    o->tui_open = vgt_tui_source_open(path, 0, &src, &err);
    o->tui_app = -1000;
    if (o->tui_open == VGT_OK) {
        snprintf(o->tui_trace, sizeof(o->tui_trace), "%s", vgt_tui_source_run(src)->trace_path);
        o->tui_app = drive_tui(src, o->tui_msg, sizeof(o->tui_msg), &o->tui_shows_max_mean,
                               &o->tui_long_bars);
        vgt_tui_source_close(src);
    } else {
        snprintf(o->tui_msg, sizeof(o->tui_msg), "%s", err.message);
    }

    vgt_analyze_db *db = NULL;
    memset(&err, 0, sizeof(err));
    o->db_open = vgt_analyze_db_open(path, &db, &err);
    o->last_run = o->add_run = o->report_new = -1000;
    for (int i = 0; i < 5; i++) {
        o->report[i] = -1000;
    }
    if (o->db_open != VGT_OK) {
        snprintf(o->db_msg, sizeof(o->db_msg), "%s", err.message);
        return;
    }
    int64_t run = 0;
    o->last_run = vgt_analyze_last_run(db, &run, &err);
    if (o->last_run != VGT_OK) {
        snprintf(o->db_msg, sizeof(o->db_msg), "%s", err.message);
    } else {
        for (int i = 0; i < 5; i++) {
            memset(&err, 0, sizeof(err));
            o->report[i] = report_to(db, run, i, &o->body[i], &err);
            snprintf(o->report_msg[i], sizeof(o->report_msg[i]), "%s", err.message);
        }
    }
    vgt_analyze_options opt = {.backend = VGT_REPLAY_BACKEND_NULL, .runs = 1, .host = "test"};
    vgt_analyze_result res;
    memset(&err, 0, sizeof(err));
    o->add_run = vgt_analyze_trace(db, trace_path, &opt, &res, &err);
    snprintf(o->add_msg, sizeof(o->add_msg), "%s", err.message);
    if (o->add_run == VGT_OK) {
        o->report_new = report_to(db, res.run_id, 0, NULL, &err);
    }
    vgt_analyze_db_close(db);
}

static void print_outcome(const char *name, const outcome *o)
{
    printf("== %s\n  tui open %d app %d: %s\n  db open %d last %d: %s\n", name, o->tui_open,
           o->tui_app, o->tui_msg, o->db_open, o->last_run, o->db_msg);
    for (int i = 0; i < 5; i++) {
        if (o->report[i] != -1000) {
            printf("  report %d: %d %s\n", i, o->report[i], o->report_msg[i]);
        }
    }
    printf("  add %d: %s; report of it %d\n", o->add_run, o->add_msg, o->report_new);
}

/* ---- setup ------------------------------------------------------------------------ */

static int setup(void **state)
{
    (void)state;
    tmpdir = vgt_test_tmpdir("analyze");
    if (!tmpdir) {
        return -1;
    }
    snprintf(trace_path, sizeof(trace_path), "%s/cube.vgt", tmpdir);
    snprintf(base_path, sizeof(base_path), "%s/base.sqlite", tmpdir);
    vgt_backend_kind be = VGT_BACKEND_NULL;
    vgt_sample_args args = {.frames = 3};
    if (!capture_test_sample(trace_path, "cube", &args, &be, 0)) {
        return -1;
    }
    vgt_analyze_db *db = NULL;
    vgt_error err = {0};
    if (vgt_analyze_db_open(base_path, &db, &err) != VGT_OK) {
        return -1;
    }
    vgt_analyze_options opt = {.backend = VGT_REPLAY_BACKEND_NULL, .runs = 1, .host = "test"};
    vgt_analyze_result res;
    vgt_status st = vgt_analyze_trace(db, trace_path, &opt, &res, &err);
    vgt_analyze_db_close(db);
    return st == VGT_OK ? 0 : -1;
}

/* ---- the mutations ---------------------------------------------------------------- */

/* A table made again without its constraints (NOT NULL, keys), its rows kept. */
#define LOOSE(t)                                                                                   \
    "CREATE TABLE loose_" t " AS SELECT * FROM " t "; DROP TABLE " t "; ALTER TABLE loose_" t      \
    " RENAME TO " t ";"

/* The table's NOT NULL constraints taken out of the schema (its columns and
 * keys kept, so the file passes the schema check), for NULLs where vgt
 * writes none. */
#define RELAX(t)                                                                                   \
    "PRAGMA writable_schema=ON; UPDATE sqlite_master SET sql=replace(sql, 'NOT NULL', '') "        \
    "WHERE name='" t "'; PRAGMA writable_schema=RESET; PRAGMA writable_schema=OFF;"

/* What the consumers must say about a mutation. */
enum {
    OPENS,      /* every consumer works: the tui, the reports, a run added */
    REFUSED,    /* the tui and analyze --db refuse it: VGT_E_FORMAT, want in both messages */
    NEWER,      /* both refuse: VGT_E_VERSION */
    NOT_OURS,   /* both refuse with their own words (VGT_E_FORMAT): tui_want, want */
    EMPTY_FILE, /* the tui refuses (no schema), analyze --db makes it a database */
};

typedef struct sql_mutation {
    const char *name, *sql;
    int expect;
    const char *want, *tui_want;
} sql_mutation;

static const sql_mutation SQL_MUTATIONS[] = {
    {"unchanged", NULL, OPENS, NULL, NULL},
    /* NULL where the schema says NOT NULL (keys cannot be NULL in a
     * WITHOUT ROWID table or an INTEGER PRIMARY KEY) */
    {"runs_nulls",
     RELAX("runs") "UPDATE runs SET backend=NULL, host=NULL, os=NULL, date=NULL, vgt_version=NULL, "
                   "settings=NULL, commands=NULL, frames=NULL, commands_failed=NULL, "
                   "replays=NULL, total_ns=NULL, native_ns=NULL, timer_ns=NULL, replay_ns=NULL;",
     OPENS, NULL, NULL},
    {"traces_nulls",
     RELAX("traces") "UPDATE traces SET path=NULL, protocol=NULL, creator=NULL, start_frame=NULL, "
                     "records=NULL, commands=NULL, frames=NULL, file_bytes=NULL, "
                     "start_time_ns=NULL;",
     OPENS, NULL, NULL},
    {"frames_nulls",
     RELAX("frames") "UPDATE frames SET first_seq=NULL, last_seq=NULL, commands=NULL, "
                     "total_ns=NULL, start_ns=NULL, partial=NULL, draws=NULL, decode_ns=NULL;",
     OPENS, NULL, NULL},
    {"commands_nulls",
     RELAX("commands") "UPDATE commands SET frame=NULL, type_id=NULL, bytes=NULL, status=NULL, "
                       "total_ns=NULL, start_ns=NULL, decode_ns=NULL, backend_calls=NULL;",
     OPENS, NULL, NULL},
    {"type_stats_nulls",
     RELAX("type_stats") "UPDATE type_stats SET count=NULL, total_ns=NULL, mean_ns=NULL, "
                         "share=NULL, p50_ns=NULL, max_ns=NULL, native_below_resolution=NULL;",
     OPENS, NULL, NULL},
    {"batch_stats_nulls",
     RELAX("batch_stats") "UPDATE batch_stats SET hi=NULL, draws=NULL, total_ns=NULL;", OPENS, NULL,
     NULL},
    {"command_types_nulls", RELAX("command_types") "UPDATE command_types SET name=NULL;", OPENS,
     NULL, NULL},
    /* a table made again without its key: refused (a run added to a runs
     * table without its INTEGER PRIMARY KEY got a NULL run_id no query finds) */
    {"runs_without_key", LOOSE("runs"), REFUSED,
     "table runs column run_id is not part of its key (analysis schema version 3; a damaged "
     "database, or not one vgt wrote)",
     NULL},
    {"frames_without_key", LOOSE("frames") "INSERT INTO frames SELECT * FROM frames;", REFUSED,
     "table frames column run_id is not part of its key", NULL},
    {"counts_negative",
     "UPDATE runs SET commands=-5, frames=-3, replays=-1, commands_failed=-2; UPDATE traces SET "
     "frames=-4, start_frame=-9, commands=-1; UPDATE type_stats SET count=-1, failed=-1, "
     "bytes=-1; UPDATE frames SET commands=-1, draws=-1, primitives=-7; UPDATE batch_stats SET "
     "draws=-1, primitives=-1, lo=-1, hi=-2;",
     OPENS, NULL, NULL},
    {"counts_max",
     "UPDATE runs SET commands=9223372036854775807, frames=9223372036854775807, "
     "replays=9223372036854775807, total_ns=9223372036854775807; UPDATE traces SET "
     "frames=9223372036854775807, start_frame=9223372036854775807; UPDATE type_stats SET "
     "count=9223372036854775807, total_ns=9223372036854775807, max_ns=9223372036854775807; "
     "UPDATE frames SET commands=9223372036854775807, total_ns=9223372036854775807, "
     "draws=9223372036854775807; UPDATE batch_stats SET draws=9223372036854775807, "
     "total_ns=9223372036854775807, hi=9223372036854775807;",
     OPENS, NULL, NULL},
    {"counts_zero",
     "UPDATE runs SET commands=0, frames=0, replays=0, total_ns=0, replay_ns=0, timer_ns=0; "
     "UPDATE traces SET frames=0, commands=0; UPDATE type_stats SET count=0, total_ns=0; UPDATE "
     "frames SET commands=0, total_ns=0; UPDATE batch_stats SET draws=0, total_ns=0; UPDATE "
     "commands SET total_ns=0;",
     OPENS, NULL, NULL},
    {"frame_numbers_extreme",
     "UPDATE frames SET frame=9223372036854775807 WHERE frame=(SELECT max(frame) FROM frames); "
     "UPDATE frames SET frame=-9223372036854775807-1 WHERE frame=(SELECT min(frame) FROM "
     "frames); UPDATE commands SET frame=9223372036854775807 WHERE seq % 2 = 0; UPDATE commands "
     "SET frame=-1 WHERE seq % 3 = 0;",
     OPENS, NULL, NULL},
    {"frame_seqs_inverted", "UPDATE frames SET first_seq=last_seq+100, last_seq=first_seq;", OPENS,
     NULL, NULL},
    {"frame_seqs_past_commands",
     "UPDATE frames SET first_seq=9223372036854775000, last_seq=9223372036854775807 WHERE "
     "frame=(SELECT min(frame) FROM frames); UPDATE frames SET first_seq=-5, last_seq=-1 WHERE "
     "frame=(SELECT max(frame) FROM frames);",
     OPENS, NULL, NULL},
    {"seq_extreme",
     "UPDATE commands SET seq=9223372036854775807 WHERE seq=(SELECT max(seq) FROM commands); "
     "UPDATE commands SET seq=-9223372036854775807-1 WHERE seq=0;",
     OPENS, NULL, NULL},
    /* the trace unreadable: the tui searches by type name in the database */
    {"seq_extreme_no_trace",
     "UPDATE commands SET seq=9223372036854775807 WHERE seq=(SELECT max(seq) FROM commands); "
     "UPDATE traces SET path='/nonexistent/trace.vgt';",
     OPENS, NULL, NULL},
    {"ns_negative",
     "UPDATE commands SET total_ns=-1000, decode_ns=-1, dma_ns=-1, translate_ns=-1, "
     "backend_ns=-1, native_ns=-5, overhead_ns=-5, start_ns=-9223372036854775807-1, "
     "queue_ns=-1, device_ns=-1, gpu_ns=-1; UPDATE frames SET total_ns=-1, native_ns=-1, "
     "start_ns=-1, virtual_wall_ns=-1, native_wall_ns=-2; UPDATE runs SET total_ns=-1, "
     "native_ns=-1, overhead_ns=-1, replay_ns=-1, timer_ns=-1e308; UPDATE type_stats SET "
     "total_ns=-1, mean_ns=-1e308, share=-5, p50_ns=-1, p95_ns=-1, p99_ns=-1, max_ns=-1, "
     "native_ns=0, ratio=-1;",
     OPENS, NULL, NULL},
    {"ns_max",
     "UPDATE commands SET total_ns=9223372036854775807, start_ns=9223372036854775807, "
     "native_ns=9223372036854775807, gpu_ns=9223372036854775807, decode_ns=1; UPDATE frames "
     "SET start_ns=9223372036854775807, virtual_wall_ns=9223372036854775807, native_wall_ns=1; "
     "UPDATE type_stats SET mean_ns=1e308, share=1e308, ratio=1e308, native_ns=1; UPDATE runs "
     "SET timer_ns=1e308, insert_rows_per_s=1e308;",
     OPENS, NULL, NULL},
    /* only the hotspots' mean and share huge: the tui's 240x60 view shows the
     * mean clamped to INT64_MAX ns (a cast of 1e308 to int64_t is undefined,
     * on x86 INT64_MIN, shown as "-") */
    {"mean_share_huge", "UPDATE type_stats SET mean_ns=1e308, share=1e308;", OPENS, NULL, NULL},
    /* a phase far above its command's total: the detail pane's bar (a cast
     * of 9e18 to int was undefined, INT_MIN on x86, then a memset of it) */
    {"phase_above_total", "UPDATE commands SET total_ns=1, backend_ns=9223372036854775807;", OPENS,
     NULL, NULL},
    {"ns_infinite",
     "UPDATE type_stats SET mean_ns=9e999, share=-9e999, ratio=9e999; UPDATE runs SET "
     "timer_ns=9e999;",
     OPENS, NULL, NULL},
    {"type_ids_unknown",
     "UPDATE commands SET type_id=999999 WHERE seq % 2 = 0; UPDATE commands SET type_id=-7 "
     "WHERE seq % 3 = 0; UPDATE type_stats SET type_id=1099511627776 WHERE type_id=(SELECT "
     "min(type_id) FROM type_stats); DELETE FROM command_types;",
     OPENS, NULL, NULL},
    {"text_in_integers",
     "UPDATE commands SET total_ns='abc', type_id='x', frame='zz', start_ns='later'; UPDATE "
     "frames SET total_ns='lots', first_seq='a', commands='b'; UPDATE runs SET commands='many', "
     "frames='few', timer_ns='slow'; UPDATE type_stats SET count='n', mean_ns='m', share='s';",
     OPENS, NULL, NULL},
    /* settings not JSON: the report reads the sync as unknown (it failed
     * with "malformed JSON" for the whole run) */
    {"blobs_in_text",
     "UPDATE runs SET backend=x'00ff00', host=zeroblob(5000), date=x'ff', settings=x'00'; "
     "UPDATE traces SET path=randomblob(3000), creator=x'00'; UPDATE command_types SET "
     "name=x'ff00fe';",
     OPENS, NULL, NULL},
    {"long_text",
     "UPDATE runs SET host=printf('%.*c', 100000, 'h'), backend=printf('%.*c', 5000, 'b'), "
     "settings=printf('{%.*c', 70000, '\"'); UPDATE traces SET path=printf('%.*c', 20000, 'p'); "
     "UPDATE command_types SET name=printf('%.*c', 3000, 'n');",
     OPENS, NULL, NULL},
    {"markup_in_text",
     "UPDATE runs SET host='<script>alert(1)</script>', backend='\"x\\'; UPDATE traces SET "
     "path='</pre><b>&amp;'; UPDATE command_types SET name='\"},{' WHERE type_id=(SELECT "
     "min(type_id) FROM command_types);",
     OPENS, NULL, NULL},
    /* a run whose traces row is gone: shown and reported, its rows all there */
    {"no_trace_row", "DELETE FROM traces;", OPENS, NULL, NULL},
    {"drop_frames", "DROP TABLE frames;", REFUSED,
     "says analysis schema version 3 but has no table frames (a damaged database, or not one vgt "
     "wrote)",
     NULL},
    {"drop_commands", "DROP TABLE commands;", REFUSED, "has no table commands", NULL},
    {"drop_runs", "DROP TABLE runs;", REFUSED, "has no table runs", NULL},
    {"drop_traces", "DROP TABLE traces;", REFUSED, "has no table traces", NULL},
    {"drop_type_stats", "DROP TABLE type_stats;", REFUSED, "has no table type_stats", NULL},
    {"drop_batch_stats", "DROP TABLE batch_stats;", REFUSED, "has no table batch_stats", NULL},
    {"drop_command_types", "DROP TABLE command_types;", REFUSED, "has no table command_types",
     NULL},
    {"drop_surfaces", "DROP TABLE surfaces;", REFUSED, "has no table surfaces", NULL},
    {"drop_column_partial", "ALTER TABLE frames DROP COLUMN partial;", REFUSED,
     "table frames has no column partial (analysis schema version 3", NULL},
    {"drop_column_runs", "ALTER TABLE runs DROP COLUMN settings;", REFUSED,
     "table runs has column replays where it should have settings (column 8)", NULL},
    {"drop_column_commands", "ALTER TABLE commands DROP COLUMN gpu_ns;", REFUSED,
     "table commands has column native_ns where it should have gpu_ns", NULL},
    {"added_column", "ALTER TABLE type_stats ADD COLUMN extra INTEGER;", REFUSED,
     "table type_stats has a column extra that it should not", NULL},
    {"version_0", "PRAGMA user_version=0;", NOT_OURS,
     "an SQLite database, but not a vgt analysis database (no schema version, 17 objects)",
     "not a vgt analysis database (vgt analyze TRACE --db FILE makes one)"},
    /* a dishonest version: migrating would have failed half-way with
     * SQLite's "duplicate column name" */
    {"version_1_tables_3", "PRAGMA user_version=1;", REFUSED,
     "table frames has a column virtual_wall_ns that it should not (analysis schema version 1",
     NULL},
    {"version_2_tables_3", "PRAGMA user_version=2;", REFUSED,
     "table frames has a column partial that it should not (analysis schema version 2", NULL},
    {"version_3_tables_1",
     "ALTER TABLE frames DROP COLUMN partial; ALTER TABLE frames DROP COLUMN virtual_wall_ns; "
     "ALTER TABLE frames DROP COLUMN native_wall_ns;",
     REFUSED, "table frames has no column virtual_wall_ns (analysis schema version 3", NULL},
    {"version_999", "PRAGMA user_version=999;", NEWER,
     "analysis schema version 999 is newer than this vgt's (3)", NULL},
    /* analyze --db took it for a current database */
    {"version_negative", "PRAGMA user_version=-1;", NOT_OURS,
     "not a vgt analysis database (schema version -1)",
     "not a vgt analysis database (vgt analyze TRACE --db FILE makes one)"},
    {"many_rows",
     "WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM n WHERE i < 200999) "
     "INSERT INTO frames SELECT run_id, i * 3, 0, 0, 1, 0, 0, 0, 5, 1, 1, 1, 1, NULL, NULL, "
     "NULL, NULL, NULL, NULL, 0, NULL, NULL, 0 FROM n, (SELECT DISTINCT run_id FROM runs);",
     OPENS, NULL, NULL},
};

/* The file's bytes (malloc'd), *n its size. */
static unsigned char *slurp(const char *path, size_t *n)
{
    long size = file_size(path);
    unsigned char *p = malloc(size > 0 ? (size_t)size : 1);
    assert_non_null(p);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(p, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    *n = (size_t)size;
    return p;
}

static void free_outcome(outcome *o)
{
    for (int i = 0; i < 5; i++) {
        free(o->body[i]);
        o->body[i] = NULL;
    }
}

/* Whether s is well-formed UTF-8 (no stray, overlong or truncated sequence). */
static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80                  ? 1
                   : *p >= 0xc2 && *p <= 0xdf ? 2
                   : (*p & 0xf0) == 0xe0      ? 3
                   : *p >= 0xf0 && *p <= 0xf4 ? 4
                                              : 0;
        if (n == 0) {
            return false;
        }
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xc0) != 0x80) {
                return false;
            }
        }
        p += n;
    }
    return true;
}

/* msg names the file and says want. */
static void assert_says(const char *name, const char *msg, const char *path, const char *want)
{
    if (strncmp(msg, path, strlen(path)) != 0 || !strstr(msg, want)) {
        fail_msg("%s: expected '%s: ...%s...', got '%s'", name, path, want, msg);
    }
}

/* Runs the consumers on one mutated file and checks what they said. */
static void check_mutation(const sql_mutation *m, const char *path, outcome *o)
{
    size_t n0, n1;
    unsigned char *before = slurp(path, &n0);
    consume(path, o);
    print_outcome(m->name, o);
    switch (m->expect) {
    case OPENS:
        assert_int_equal(o->tui_open, VGT_OK);
        assert_int_equal(o->tui_app, VGT_OK);
        assert_int_equal(o->db_open, VGT_OK);
        assert_int_equal(o->last_run, VGT_OK);
        for (int i = 0; i < 5; i++) {
            if (o->report[i] != VGT_OK) {
                fail_msg("%s: report %d: %s", m->name, i, o->report_msg[i]);
            }
        }
        if (o->add_run != VGT_OK) {
            fail_msg("%s: adding a run: %s", m->name, o->add_msg);
        }
        assert_int_equal(o->report_new, VGT_OK);
        break;
    case REFUSED:
    case NEWER:
    case NOT_OURS: {
        vgt_status want = m->expect == NEWER ? VGT_E_VERSION : VGT_E_FORMAT;
        assert_int_equal(o->tui_open, want);
        assert_int_equal(o->db_open, want);
        assert_says(m->name, o->tui_msg, path, m->tui_want ? m->tui_want : m->want);
        assert_says(m->name, o->db_msg, path, m->want);
        /* nothing lost: not migrated, no run added, not a byte changed */
        unsigned char *after = slurp(path, &n1);
        assert_int_equal(n0, n1);
        assert_memory_equal(before, after, n0);
        free(after);
        break;
    }
    default:
        fail_msg("%s: no expectation", m->name);
    }
    free(before);
}

static const sql_mutation *mutation(const char *name)
{
    for (size_t i = 0; i < sizeof(SQL_MUTATIONS) / sizeof(SQL_MUTATIONS[0]); i++) {
        if (strcmp(SQL_MUTATIONS[i].name, name) == 0) {
            return &SQL_MUTATIONS[i];
        }
    }
    fail_msg("no mutation %s", name);
    return NULL;
}

static void test_sql_mutations(void **state)
{
    (void)state;
    char path[700];
    for (size_t i = 0; i < sizeof(SQL_MUTATIONS) / sizeof(SQL_MUTATIONS[0]); i++) {
        const sql_mutation *m = &SQL_MUTATIONS[i];
        snprintf(path, sizeof(path), "%s/%s.sqlite", tmpdir, m->name);
        mutate_sql(path, m->sql);
        outcome o;
        check_mutation(m, path, &o);
        if (m->expect == OPENS) { /* JSON has no inf or nan: the reports stay parseable */
            for (int k = 1; k < 5; k += 3) {
                static const char *const bad[] = {":inf", ":-inf", ":nan", ":-nan"};
                for (int b = 0; b < 4; b++) {
                    if (strstr(o.body[k], bad[b])) {
                        fail_msg("%s: report %d has %s", m->name, k, bad[b]);
                    }
                }
            }
        }
        if (strcmp(m->name, "mean_share_huge") == 0) {
            assert_true(o.tui_shows_max_mean);
            /* every hotspot's share bar full (a cast of 1e308 to int was
             * undefined: INT_MIN on x86, no bar) */
            printf("mean_share_huge: %d lines with full bars\n", o.tui_long_bars);
            assert_true(o.tui_long_bars >= 3);
        }
        if (strcmp(m->name, "runs_nulls") == 0) { /* a NULL backend named '?', not "%s" of NULL */
            assert_non_null(strstr(o.body[4], ", ? backend)"));
        }
        if (strcmp(m->name, "no_trace_row") == 0) {
            assert_string_equal(o.tui_trace, "");
            assert_non_null(strstr(o.body[1], "\"trace\":\"\""));
        }
        if (strcmp(m->name, "blobs_in_text") == 0) { /* the sync unknown, the rest reported */
            assert_non_null(strstr(o.body[0], "commands"));
            /* JSON text is UTF-8: the blob's 0xff bytes are U+FFFD */
            assert_true(valid_utf8(o.body[1]));
            assert_true(valid_utf8(o.body[4]));
            assert_non_null(strstr(o.body[1], "\"date\":\"\\ufffd\""));
        }
        if (strcmp(m->name, "markup_in_text") == 0) {
            /* escaped in the HTML page, the JSON report and the Perfetto file */
            assert_null(strstr(o.body[3], "<script>alert"));
            assert_non_null(strstr(o.body[3], "&lt;script&gt;alert(1)&lt;/script&gt;"));
            assert_non_null(strstr(o.body[3], "&lt;/pre&gt;&lt;b&gt;&amp;amp;"));
            assert_non_null(strstr(o.body[1], "\"\\\"x\\\\\""));
            assert_non_null(strstr(o.body[4], "\"\\\"},{\""));
            /* the CSV quotes it: no column or row added */
            assert_non_null(strstr(o.body[2], ",\"\"\"},{\","));
        }
        free_outcome(&o);
    }
}

/* The tui's search by type name (the trace unreadable) from the ends of the
 * seq range: the key range next to the start saturates (from + 4096 past
 * INT64_MAX was a signed overflow), and the search wraps to the first match. */
static void test_search_extreme_seq(void **state)
{
    (void)state;
    char path[700];
    snprintf(path, sizeof(path), "%s/search.sqlite", tmpdir);
    mutate_sql(path, mutation("seq_extreme_no_trace")->sql);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT min(seq), max(seq) FROM commands JOIN "
                                        "command_types USING(type_id) WHERE name LIKE '%DRAW%'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t first = sqlite3_column_int64(st, 0), last = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_true(first > 0 && last > first);

    vgt_tui_source *src = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_tui_source_open(path, 0, &src, &err), VGT_OK);
    assert_false(vgt_tui_source_trace_ok(src, NULL));
    uint64_t seq = 0, frame = 0;
    assert_int_equal(vgt_tui_source_search(src, "DRAW", INT64_MAX - 10, true, &seq, &frame, &err),
                     VGT_OK);
    assert_int_equal(seq, (uint64_t)first); /* wrapped to the start */
    assert_int_equal(vgt_tui_source_search(src, "DRAW", INT64_MIN + 10, false, &seq, &frame, &err),
                     VGT_OK);
    assert_int_equal(seq, (uint64_t)last); /* wrapped to the end */
    vgt_tui_source_close(src);
}

static void write_bytes(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Every failure o reports names the file (its message starts with path). */
static void assert_failures_name(const char *name, const outcome *o, const char *path)
{
    const struct {
        vgt_status st;
        const char *msg;
    } said[] = {{o->tui_open, o->tui_msg},        {o->tui_app, o->tui_msg},
                {o->db_open, o->db_msg},          {o->last_run, o->db_msg},
                {o->report[0], o->report_msg[0]}, {o->report[1], o->report_msg[1]},
                {o->report[2], o->report_msg[2]}, {o->report[3], o->report_msg[3]},
                {o->report[4], o->report_msg[4]}, {o->add_run, o->add_msg}};
    for (size_t i = 0; i < sizeof(said) / sizeof(said[0]); i++) {
        if (said[i].st != VGT_OK && said[i].st != -1000 &&
            strncmp(said[i].msg, path, strlen(path)) != 0) {
            fail_msg("%s: consumer %zu: %d '%s' does not name the file", name, i, said[i].st,
                     said[i].msg);
        }
    }
}

static void test_byte_mutations(void **state)
{
    (void)state;
    char path[700];
    outcome o;
    size_t n;
    unsigned char *bytes = slurp(base_path, &n);
    assert_true(n > 8192);

    /* empty: the tui has nothing to show; analyze --db makes it a database */
    snprintf(path, sizeof(path), "%s/empty.sqlite", tmpdir);
    write_bytes(path, "", 0);
    consume(path, &o);
    print_outcome("empty", &o);
    assert_int_equal(o.tui_open, VGT_E_FORMAT);
    assert_says("empty", o.tui_msg, path, ": not a vgt analysis database (vgt analyze TRACE --db");
    assert_int_equal(o.db_open, VGT_OK);
    assert_int_equal(o.last_run, VGT_E_NOTFOUND);
    assert_says("empty", o.db_msg, path, ": no run stored yet");
    assert_int_equal(o.add_run, VGT_OK);
    assert_int_equal(o.report_new, VGT_OK);
    free_outcome(&o);

    /* cut short (half, the header alone): damaged, left as it is */
    const size_t cuts[] = {n / 2, 100};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/truncated-%zu.sqlite", tmpdir, cuts[i]);
        write_bytes(path, bytes, cuts[i]);
        sql_mutation m = {"truncated", NULL, REFUSED,
                          ": a damaged analysis database (database disk image is malformed)", NULL};
        check_mutation(&m, path, &o);
        free_outcome(&o);
    }

    sql_mutation text = {"text", NULL, NOT_OURS,
                         " is not a vgt analysis database (not an SQLite file)", NULL};
    snprintf(path, sizeof(path), "%s/text.sqlite", tmpdir);
    write_bytes(path, "hello, this is not SQLite\n", 26);
    check_mutation(&text, path, &o);
    free_outcome(&o);

    /* a page of the rows overwritten (the schema intact): what can be read
     * is read, and no run is written into the damaged file */
    {
        unsigned char *copy = malloc(n);
        assert_non_null(copy);
        memcpy(copy, bytes, n);
        size_t page = (n / 4096) / 2 * 4096;
        memset(copy + page, 0x55, 4096);
        snprintf(path, sizeof(path), "%s/page-overwritten.sqlite", tmpdir);
        write_bytes(path, copy, n);
        consume(path, &o);
        print_outcome("page-overwritten", &o);
        assert_failures_name("page-overwritten", &o, path);
        assert_int_equal(o.db_open, VGT_OK);
        assert_int_equal(o.add_run, VGT_E_FORMAT);
        assert_says("page-overwritten", o.add_msg, path, ": a damaged analysis database (");
        size_t n1;
        unsigned char *after = slurp(path, &n1);
        assert_int_equal(n1, n);
        assert_memory_equal(after, copy, n);
        free(after);
        free(copy);
        free_outcome(&o);
    }

    /* bytes flipped past the first page: rounds 0-3 64 anywhere (mostly the
     * schema's pages, refused as damaged), rounds 4-15 four in the last half
     * (the rows: read as they are, or damaged where SQLite notices); every
     * failure names the file, nothing crashes (make asan) */
    uint64_t x = 88172645463325252ull;
    int refused = 0, opened = 0, damaged_pages = 0;
    for (int round = 0; round < 16; round++) {
        unsigned char *copy = malloc(n);
        assert_non_null(copy);
        memcpy(copy, bytes, n);
        size_t from = round < 4 ? 4096 : n / 2;
        for (int k = 0; k < (round < 4 ? 64 : 4); k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            size_t at = from + (size_t)(x % (uint64_t)(n - from));
            copy[at] ^= (unsigned char)(1u << (x >> 61));
        }
        snprintf(path, sizeof(path), "%s/flipped-%d.sqlite", tmpdir, round);
        write_bytes(path, copy, n);
        consume(path, &o);
        char name[32];
        snprintf(name, sizeof(name), "flipped-%d", round);
        print_outcome(name, &o);
        assert_failures_name(name, &o, path);
        /* a page SQLite found damaged: no run is written into the file */
        bool malformed = false;
        for (int i = 0; i < 5; i++) {
            malformed |= o.report[i] != VGT_OK && strstr(o.report_msg[i], "malformed") != NULL;
        }
        if (malformed) {
            assert_int_equal(o.add_run, VGT_E_FORMAT);
            assert_says(name, o.add_msg, path, ": a damaged analysis database (");
            assert_non_null(strstr(o.add_msg, "; no run was added to it"));
            damaged_pages++;
        }
        if (o.add_run != VGT_OK) {
            size_t n1;
            unsigned char *after = slurp(path, &n1);
            assert_int_equal(n1, n);
            assert_memory_equal(after, copy, n);
            free(after);
        }
        free(copy);
        if (o.tui_open == VGT_OK) {
            opened++;
        } else {
            refused++;
        }
        free_outcome(&o);
    }
    printf("flipped: %d opened by the tui, %d refused; %d with a damaged page found by the "
           "reports\n",
           opened, refused, damaged_pages);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sql_mutations),
        cmocka_unit_test(test_search_extreme_seq),
        cmocka_unit_test(test_byte_mutations),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
