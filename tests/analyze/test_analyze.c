/* test_analyze.c - the analyzer on captures made here (samples on the VM
 * harness with capture): row counts equal the trace's per-type command
 * counts, durations non-negative with phases summing to the total, native
 * exactly 0 where the backend did nothing (ratio NULL, flagged), a second run
 * appended, reports from the database.  No timing assertions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vgt_analyze.h"
#include "../capture/capture_test_util.h"
#include "schema_v1.h"
#include "vgt_replayer.h"
#include "vgt_samples.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[1024];
static char cube_path[1200], demo_path[1200], draws_path[1200];
static bool have_draws;

/* Runs `sample` for `frames` frames with a capture into path. */
static bool capture(const char *sample, uint32_t frames, bool three_d, uint32_t count,
                    const char *path)
{
    vgt_backend_kind be = VGT_BACKEND_NULL;
    vgt_sample_args args = {.frames = frames, .count = count};
    return capture_test_sample(path, sample, &args, three_d ? &be : NULL, 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "%s/vgt-analyze-XXXXXX", P_tmpdir);
    if (!mkdtemp(tmpdir)) {
        return -1;
    }
    snprintf(cube_path, sizeof(cube_path), "%s/cube.vgt", tmpdir);
    snprintf(demo_path, sizeof(demo_path), "%s/2d.vgt", tmpdir);
    snprintf(draws_path, sizeof(draws_path), "%s/draws.vgt", tmpdir);
    capture("cube", 6, true, 0, cube_path);
    capture("2d-demo", 4, false, 0, demo_path);
    have_draws = capture("draw-calls", 3, true, 50, draws_path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- helpers ---------------------------------------------------------------------- */

static int64_t q1(sqlite3 *db, const char *sql, int64_t bind)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_bind_parameter_count(s) > 0) {
        sqlite3_bind_int64(s, 1, bind);
    }
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* path = tmpdir/name, no such file yet. */
static void fresh_db(char *path, size_t size, const char *name)
{
    snprintf(path, size, "%s/%s", tmpdir, name);
    unlink(path);
}

/* Analyzes trace into db_path with o; *res what the analyzer said. */
static int64_t analyze_with(const char *db_path, const char *trace, const vgt_analyze_options *o,
                            vgt_analyze_result *res)
{
    vgt_analyze_db *db = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_analyze_db_open(db_path, &db, &err), VGT_OK);
    vgt_status st = vgt_analyze_trace(db, trace, o, res, &err);
    if (st != VGT_OK) {
        fail_msg("analyze %s: %s", trace, err.message);
    }
    assert_true(res->rows > res->commands);
    assert_int_equal(res->native_failed, 0);
    vgt_analyze_db_close(db);
    return res->run_id;
}

static int64_t analyze(const char *db_path, const char *trace, vgt_replay_backend be, uint32_t runs)
{
    vgt_analyze_options o = {.backend = be, .runs = runs, .host = "test"};
    vgt_analyze_result res;
    return analyze_with(db_path, trace, &o, &res);
}

/* Per-type command counts of the trace (what `vgt info` shows) equal the
 * command rows of the run, and the per-type table agrees. */
static void check_counts(sqlite3 *db, int64_t run, const char *trace)
{
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    vgt_trace_reader *rd = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(trace, &ro, &rd, &err), VGT_OK);
    vgt_trace_svga_summary sum;
    assert_int_equal(vgt_trace_svga_summarize(rd, &sum, &err), VGT_OK);
    assert_true(sum.ncmds > 0);
    char sql[256];
    for (size_t i = 0; i < sum.ncmds; i++) {
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM commands WHERE run_id=? AND type_id=%u",
                 sum.cmds[i].id);
        assert_int_equal(q1(db, sql, run), (int64_t)sum.cmds[i].count);
        snprintf(sql, sizeof(sql), "SELECT count FROM type_stats WHERE run_id=? AND type_id=%u",
                 sum.cmds[i].id);
        assert_int_equal(q1(db, sql, run), (int64_t)sum.cmds[i].count);
        snprintf(sql, sizeof(sql),
                 "SELECT sum(dma_bytes) FROM commands WHERE run_id=? AND type_id=%u",
                 sum.cmds[i].id);
        assert_int_equal(q1(db, sql, run), (int64_t)sum.cmds[i].dma_bytes);
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM commands WHERE run_id=? AND type_id=%u AND queue_ns IS "
                 "NOT NULL",
                 sum.cmds[i].id);
        assert_int_equal(q1(db, sql, run), (int64_t)sum.cmds[i].timed);
    }
    assert_int_equal(q1(db, "SELECT count(*) FROM commands WHERE run_id=?", run),
                     (int64_t)sum.commands);
    assert_int_equal(q1(db, "SELECT commands FROM runs WHERE run_id=?", run),
                     (int64_t)sum.commands);
    assert_int_equal(q1(db, "SELECT sum(commands) FROM frames WHERE run_id=?", run),
                     (int64_t)sum.commands);
    assert_int_equal(q1(db, "SELECT sum(count) FROM type_stats WHERE run_id=?", run),
                     (int64_t)sum.commands);
    vgt_trace_svga_summary_free(&sum);
    vgt_trace_reader_close(rd);
}

static void check_durations(sqlite3 *db, int64_t run)
{
    /* every duration non-negative; the phases sum to the total exactly, which
     * is the measured time minus the clock reads and the trace reading */
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM commands WHERE run_id=? AND (decode_ns<0 OR "
                        "dma_ns<0 OR translate_ns<0 OR backend_ns<0 OR total_ns<0 OR "
                        "native_ns<0 OR overhead_ns<0 OR queue_ns<0 OR device_ns<0 OR "
                        "decode_ns+dma_ns+translate_ns+backend_ns > total_ns OR "
                        "overhead_ns > total_ns)",
                        run),
                     0);
    /* commands that made no backend call have no native cost at all */
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM commands WHERE run_id=? AND backend_calls=0 AND "
                        "(native_ns<>0 OR backend_ns<>0 OR overhead_ns<>total_ns)",
                        run),
                     0);
    /* frames and types are the sums of their commands */
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM frames f WHERE run_id=?1 AND total_ns <> (SELECT "
                        "sum(total_ns) FROM commands c WHERE c.run_id=?1 AND c.seq BETWEEN "
                        "f.first_seq AND f.last_seq)",
                        run),
                     0);
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM type_stats t WHERE run_id=?1 AND (total_ns <> "
                        "(SELECT sum(total_ns) FROM commands c WHERE c.run_id=?1 AND "
                        "c.type_id=t.type_id) OR p50_ns > p95_ns OR p95_ns > p99_ns OR p99_ns > "
                        "max_ns)",
                        run),
                     0);
    /* a ratio is given only when native is measurable, and flagged otherwise */
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM type_stats WHERE run_id=? AND ((ratio IS NULL) <> "
                        "(native_below_resolution=1 OR native_ns=0))",
                        run),
                     0);
}

/* The per-frame and per-type sums of the cube trace (6 frames on the null
 * harness), from what the sample draws: one DRAW_PRIMITIVES per frame of 12
 * triangles (a cube's 6 faces of 2), none in the 7th, incomplete frame that
 * tears down; no command fails; the capture timed every command live, so
 * every frame's and every type's queue and device times are given.  GPU
 * times only with --gpu (gpu true: a frame or type has one exactly when one
 * of its commands has). */
static void check_cube_groups(sqlite3 *db, int64_t run, bool gpu)
{
    assert_int_equal(q1(db, "SELECT count(*) FROM frames WHERE run_id=?", run), 7);
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM frames WHERE run_id=? AND frame BETWEEN 0 AND 5 "
                        "AND draws=1 AND primitives=12",
                        run),
                     6);
    assert_int_equal(
        q1(db, "SELECT draws + primitives FROM frames WHERE run_id=? AND frame=6", run), 0);
    /* frame 6 is that teardown, after the guest's last frame end: partial, and
     * not in runs.frames, which counts the trace's 6 complete frames as the
     * traces row (and vgt info) does */
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM frames WHERE run_id=? AND frame BETWEEN 0 AND 5 AND "
                        "partial=0",
                        run),
                     6);
    assert_int_equal(q1(db, "SELECT partial FROM frames WHERE run_id=? AND frame=6", run), 1);
    assert_int_equal(q1(db, "SELECT frames FROM runs WHERE run_id=?", run), 6);
    assert_int_equal(
        q1(db, "SELECT t.frames FROM runs r JOIN traces t USING(trace_id) WHERE run_id=?", run), 6);
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM frames WHERE run_id=? AND queue_ns IS NOT NULL AND "
                        "device_ns IS NOT NULL AND live_ns IS NOT NULL",
                        run),
                     7);
    assert_int_equal(q1(db, "SELECT count(*) FROM type_stats WHERE run_id=?", run), 15);
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM type_stats WHERE run_id=? AND failed=0 AND "
                        "queue_ns IS NOT NULL AND device_ns IS NOT NULL",
                        run),
                     15);
    assert_int_equal(q1(db,
                        "SELECT primitives FROM type_stats JOIN command_types USING(type_id) "
                        "WHERE run_id=? AND name='DRAW_PRIMITIVES'",
                        run),
                     6 * 12);
    assert_int_equal(q1(db, "SELECT sum(primitives) FROM type_stats WHERE run_id=?", run), 72);
    if (!gpu) {
        assert_int_equal(q1(db,
                            "SELECT (SELECT count(*) FROM frames WHERE run_id=?1 AND gpu_ns IS "
                            "NOT NULL) + (SELECT count(*) FROM type_stats WHERE run_id=?1 AND "
                            "gpu_ns IS NOT NULL)",
                            run),
                         0);
        return;
    }
    /* the sums of the commands' GPU times, NULL where no command has one */
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM frames f WHERE run_id=?1 AND gpu_ns IS NOT (SELECT "
                        "sum(gpu_ns) FROM commands c WHERE c.run_id=?1 AND c.seq BETWEEN "
                        "f.first_seq AND f.last_seq)",
                        run),
                     0);
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM type_stats t WHERE run_id=?1 AND gpu_ns IS NOT "
                        "(SELECT sum(gpu_ns) FROM commands c WHERE c.run_id=?1 AND "
                        "c.type_id=t.type_id)",
                        run),
                     0);
    assert_int_equal(q1(db,
                        "SELECT gpu_ns IS NOT NULL FROM type_stats JOIN command_types "
                        "USING(type_id) WHERE run_id=? AND name='DRAW_PRIMITIVES'",
                        run),
                     1);
    assert_int_equal(
        q1(db, "SELECT count(*) FROM frames WHERE run_id=? AND gpu_ns IS NOT NULL", run), 7);
}

/* A --sync frame run: one frame row per replayed frame (runs of equal frame
 * numbers in the commands) with its frame number and command count, a
 * virtual wall time for every frame, a native one exactly where the frame
 * made a backend call; each side timed every frame of every timed replay and
 * re-issue once, with one finish per frame where the backend has one (async)
 * and none per call; the setting recorded.  With one run, a frame's span holds
 * its commands' timed regions: no smaller than their sums on either side. */
static void check_frame_walls(sqlite3 *db, int64_t run, const vgt_analyze_result *res,
                              uint32_t runs, bool async)
{
    assert_int_equal(
        q1(db, "SELECT json_extract(settings, '$.sync')='frame' FROM runs WHERE run_id=?", run), 1);
    assert_false(res->synced);
    int64_t frames = q1(db,
                        "SELECT count(*) FROM (SELECT frame, lag(frame) OVER (ORDER BY seq) AS "
                        "prev FROM commands WHERE run_id=?) WHERE prev IS NULL OR prev <> frame",
                        run);
    assert_true(frames > 1);
    assert_int_equal(q1(db, "SELECT count(DISTINCT frame) FROM commands WHERE run_id=?", run),
                     frames);
    assert_int_equal(q1(db, "SELECT count(*) FROM frames WHERE run_id=?", run), frames);
    /* the result counts complete frames (runs.frames) and the partial one apart */
    assert_int_equal((int64_t)(res->frames + res->partial_frames), frames);
    assert_int_equal(res->partial_frames, 1); /* every sample tears down after its last frame */
    assert_int_equal(q1(db, "SELECT count(*) FROM frames WHERE run_id=? AND partial=0", run),
                     (int64_t)res->frames);
    assert_int_equal(q1(db, "SELECT frames FROM runs WHERE run_id=?", run), (int64_t)res->frames);
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM frames f WHERE run_id=?1 AND virtual_wall_ns > 0 "
                        "AND native_wall_ns >= 0 AND commands = (SELECT count(*) FROM commands "
                        "c WHERE c.run_id=?1 AND c.frame=f.frame) AND first_seq = (SELECT "
                        "min(seq) FROM commands c WHERE c.run_id=?1 AND c.frame=f.frame) AND "
                        "last_seq = (SELECT max(seq) FROM commands c WHERE c.run_id=?1 AND "
                        "c.frame=f.frame)",
                        run),
                     frames);
    const char *calls = "EXISTS(SELECT 1 FROM commands c WHERE c.run_id=?1 AND c.frame=f.frame "
                        "AND c.backend_calls > 0)";
    char sql[512];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM frames f WHERE run_id=?1 AND %s", calls);
    int64_t with_calls = q1(db, sql, run);
    assert_true(with_calls > 0);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM frames f WHERE run_id=?1 AND (native_wall_ns > 0) <> %s", calls);
    assert_int_equal(q1(db, sql, run), 0);
    assert_int_equal(res->frames_timed_virtual, (uint64_t)runs * (uint64_t)frames);
    assert_int_equal(res->frames_timed_native, (uint64_t)runs * (uint64_t)with_calls);
    assert_int_equal(res->frame_finishes_virtual, async ? res->frames_timed_virtual : 0);
    assert_int_equal(res->frame_finishes_native, async ? res->frames_timed_native : 0);
    if (runs == 1) {
        assert_int_equal(q1(db,
                            "SELECT count(*) FROM frames f WHERE run_id=?1 AND (virtual_wall_ns "
                            "< total_ns OR native_wall_ns < native_ns)",
                            run),
                         0);
    }
}

/* The default (--sync finish) stores no frame wall times. */
static void check_no_frame_walls(sqlite3 *db, int64_t run)
{
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM frames WHERE run_id=? AND (virtual_wall_ns IS NOT "
                        "NULL OR native_wall_ns IS NOT NULL)",
                        run),
                     0);
    assert_true(q1(db, "SELECT count(*) FROM frames WHERE run_id=?", run) > 0);
}

/* The report of run in format fmt (text, JSON, CSV; -1: HTML), malloc'd. */
static char *report_of(vgt_analyze_db *adb, int64_t run, int fmt)
{
    char *buf = NULL;
    size_t size = 0;
    vgt_error err = {0};
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    vgt_status st = fmt < 0
                        ? vgt_analyze_html(adb, run, f, &err)
                        : vgt_analyze_report(adb, run, (vgt_analyze_report_format)fmt, 5, f, &err);
    fclose(f);
    if (st != VGT_OK) {
        fail_msg("report of run %lld: %s", (long long)run, err.message);
    }
    return buf;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void test_cube_null_two_runs(void **state)
{
    (void)state;
    char db_path[1300];
    fresh_db(db_path, sizeof(db_path), "cube.sqlite");
    int64_t run1 = analyze(db_path, cube_path, VGT_REPLAY_BACKEND_NULL, 2);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    check_counts(db, run1, cube_path);
    check_durations(db, run1);
    check_cube_groups(db, run1, false);
    int64_t cmds = q1(db, "SELECT count(*) FROM commands", 0);
    /* SETTRANSFORM makes no backend call on the null backend: native 0, the
     * ratio is NULL (infinite), reported as such */
    assert_int_equal(q1(db,
                        "SELECT native_below_resolution FROM type_stats t JOIN command_types "
                        "USING(type_id) WHERE run_id=? AND name='SETTRANSFORM'",
                        run1),
                     1);
    assert_int_equal(q1(db,
                        "SELECT ratio FROM type_stats JOIN command_types USING(type_id) WHERE "
                        "run_id=? AND name='SETTRANSFORM'",
                        run1),
                     -1);
    assert_int_equal(q1(db, "SELECT count(*) FROM surfaces", 0), 4);
    /* the null backend is synchronous: no finish */
    assert_int_equal(
        q1(db, "SELECT json_extract(settings, '$.sync')='none' FROM runs WHERE run_id=?", run1), 1);
    assert_int_equal(q1(db, "SELECT sum(draws) FROM batch_stats WHERE run_id=?", run1),
                     q1(db,
                        "SELECT count(*) FROM commands JOIN command_types USING(type_id) WHERE "
                        "run_id=? AND name='DRAW_PRIMITIVES'",
                        run1));
    sqlite3_close(db);

    /* a second run appended to the same database */
    int64_t run2 = analyze(db_path, cube_path, VGT_REPLAY_BACKEND_NULL, 1);
    assert_int_equal(run2, run1 + 1);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(q1(db, "SELECT count(*) FROM runs", 0), 2);
    assert_int_equal(q1(db, "SELECT count(*) FROM traces", 0), 1);
    assert_int_equal(q1(db, "SELECT count(*) FROM commands", 0), 2 * cmds);
    assert_int_equal(q1(db, "SELECT count(*) FROM surfaces", 0), 4); /* per trace, once */
    check_counts(db, run2, cube_path);
    check_durations(db, run2);
    check_cube_groups(db, run2, false);
    sqlite3_close(db);

    /* reports from the stored run */
    vgt_analyze_db *adb = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_analyze_db_open(db_path, &adb, &err), VGT_OK);
    int64_t last = 0;
    assert_int_equal(vgt_analyze_last_run(adb, &last, &err), VGT_OK);
    assert_int_equal(last, run2);
    for (int fmt = 0; fmt < 3; fmt++) {
        char *buf = report_of(adb, run1, fmt);
        assert_non_null(strstr(buf, fmt == VGT_ANALYZE_REPORT_TEXT ? "PRESENT" : "SETTRANSFORM"));
        if (fmt == VGT_ANALYZE_REPORT_JSON) {
            assert_non_null(strstr(buf, "\"commands\":"));
            assert_non_null(strstr(buf, "\"ratio\":null"));
        }
        free(buf);
    }
    char *buf = report_of(adb, run1, -1);
    size_t size = 0;
    int svgs = 0;
    for (const char *p = buf; (p = strstr(p, "<svg")); p++) {
        svgs++;
    }
    int sections = 0;
    for (const char *p = buf; (p = strstr(p, "<section")); p++) {
        sections++;
    }
    assert_int_equal(sections, 4);
    assert_int_equal(svgs, sections);
    free(buf);
    buf = NULL;
    FILE *f = open_memstream(&buf, &size);
    assert_int_equal(vgt_analyze_perfetto(adb, run1, f, &err), VGT_OK);
    fclose(f);
    int xcmd = 0;
    for (const char *p = buf; (p = strstr(p, "\"cat\":\"command\",\"ph\":\"X\"")); p++) {
        xcmd++;
    }
    assert_int_equal(xcmd, cmds);
    free(buf);
    assert_int_equal(vgt_analyze_report(adb, 999, VGT_ANALYZE_REPORT_TEXT, 5, stderr, &err),
                     VGT_E_NOTFOUND);
    vgt_analyze_db_close(adb);
}

/* --sync frame on null and soft: frame wall times on both sides (check_frame_walls);
 * a default run of the same trace beside it has none and says sync none. */
static void test_sync_frame(void **state)
{
    (void)state;
    char db_path[1300];
    fresh_db(db_path, sizeof(db_path), "frame.sqlite");
    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_NULL,
                             .runs = 1,
                             .host = "test",
                             .sync = VGT_ANALYZE_SYNC_FRAME};
    vgt_analyze_result res;
    int64_t run1 = analyze_with(db_path, cube_path, &o, &res);
    int64_t run2 = analyze(db_path, cube_path, VGT_REPLAY_BACKEND_NULL, 1);
    vgt_backend probe;
    vgt_error err = {0};
    bool soft = vgt_backend_create(VGT_BACKEND_SOFT, NULL, &probe, &err) == VGT_OK;
    vgt_backend_destroy(&probe);
    const char *trace = have_draws ? draws_path : cube_path;
    vgt_analyze_result res3;
    o.backend = soft ? VGT_REPLAY_BACKEND_SOFT : VGT_REPLAY_BACKEND_NULL;
    o.runs = 2;
    int64_t run3 = analyze_with(db_path, trace, &o, &res3);

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    check_counts(db, run1, cube_path);
    check_durations(db, run1);
    check_frame_walls(db, run1, &res, 1, false);
    assert_int_equal(q1(db,
                        "SELECT json_extract(settings, '$.sync')='none' AND "
                        "json_extract(settings, '$.backend_time') LIKE '%synchronous%' FROM runs "
                        "WHERE run_id=?",
                        run2),
                     1);
    check_no_frame_walls(db, run2);
    check_counts(db, run3, trace);
    check_durations(db, run3);
    check_frame_walls(db, run3, &res3, 2, false);
    sqlite3_close(db);

    /* every report form (HTML, text, JSON, CSV) has the frame-cost section for
     * the frame runs only */
    static const char *const marks[4] = {"<section id='walls'>", "frame cost, pipelined",
                                         "\"frame_walls\":{", "# frame_walls"};
    vgt_analyze_db *adb = NULL;
    assert_int_equal(vgt_analyze_db_open(db_path, &adb, &err), VGT_OK);
    for (int fmt = -1; fmt < 3; fmt++) {
        const char *mark = marks[fmt + 1];
        char *a = report_of(adb, run1, fmt), *b = report_of(adb, run2, fmt);
        assert_non_null(strstr(a, mark));
        assert_null(strstr(b, mark));
        free(a);
        free(b);
    }
    char *j = report_of(adb, run2, VGT_ANALYZE_REPORT_JSON);
    assert_non_null(strstr(j, "\"frame_walls\":null"));
    free(j);
    vgt_analyze_db_close(adb);
}

static void test_2d_demo(void **state)
{
    (void)state;
    char db_path[1300];
    fresh_db(db_path, sizeof(db_path), "2d.sqlite");
    int64_t run = analyze(db_path, demo_path, VGT_REPLAY_BACKEND_AS_CAPTURED, 1);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    check_counts(db, run, demo_path);
    check_durations(db, run);
    /* a 2D trace makes no backend call: every native cost is 0 */
    assert_int_equal(q1(db, "SELECT sum(native_ns) FROM commands WHERE run_id=?", run), 0);
    assert_true(q1(db, "SELECT sum(dma_bytes) FROM commands WHERE run_id=?", run) > 0);
    sqlite3_close(db);
}

/* The video sample's ESCAPEs are executed (the overlay units read their
 * frames): kind 2d with guest memory read, where FENCE stays the device's. */
static void test_video_escapes(void **state)
{
    (void)state;
    char trace[1300], db_path[1300];
    snprintf(trace, sizeof(trace), "%s/video.vgt", tmpdir);
    snprintf(db_path, sizeof(db_path), "%s/video.sqlite", tmpdir);
    assert_true(capture("video", 3, false, 0, trace));
    int64_t run = analyze(db_path, trace, VGT_REPLAY_BACKEND_AS_CAPTURED, 1);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    check_counts(db, run, trace);
    const char *kinds[][2] = {{"ESCAPE", "2d"}, {"UPDATE", "2d"}, {"FENCE", "device"}};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        sqlite3_stmt *st;
        assert_int_equal(
            sqlite3_prepare_v2(db, "SELECT kind FROM command_types WHERE name=?", -1, &st, NULL),
            SQLITE_OK);
        sqlite3_bind_text(st, 1, kinds[i][0], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), kinds[i][1]);
        sqlite3_finalize(st);
    }
    /* the FLUSHes read the units' frames: a 160x120 YUY2 frame and more */
    assert_true(q1(db,
                   "SELECT sum(c.dma_bytes) FROM commands c JOIN command_types t "
                   "ON c.type_id=t.type_id WHERE c.run_id=? AND t.name='ESCAPE'",
                   run) >= 160 * 120 * 2);
    sqlite3_close(db);
}

static void test_soft_and_draw_calls(void **state)
{
    (void)state;
    char db_path[1300];
    fresh_db(db_path, sizeof(db_path), "soft.sqlite");
    vgt_backend probe;
    vgt_error err = {0};
    bool soft = vgt_backend_create(VGT_BACKEND_SOFT, NULL, &probe, &err) == VGT_OK;
    vgt_backend_destroy(&probe);
    const char *trace = have_draws ? draws_path : cube_path;
    int64_t run =
        analyze(db_path, trace, soft ? VGT_REPLAY_BACKEND_SOFT : VGT_REPLAY_BACKEND_NULL, 1);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    check_counts(db, run, trace);
    check_durations(db, run);
    /* the default on soft: no wait (soft finishes its work), no frame wall times */
    assert_int_equal(
        q1(db, "SELECT json_extract(settings, '$.sync')='none' FROM runs WHERE run_id=?", run), 1);
    check_no_frame_walls(db, run);
    sqlite3_close(db);
}

/* Analyzes the cube trace on gl into a fresh database `name` in tmpdir
 * (the test is skipped where no gl backend can be created), checks what
 * every gl analysis must give (no refused native op, no timed call under
 * the GPU timer, the counts and durations), and returns the database open
 * with sqlite; *run is the run's id, *res the analyzer's result. */
static sqlite3 *gl_analyze_cube(const char *name, const vgt_analyze_options *o,
                                vgt_analyze_result *res, int64_t *run)
{
    vgt_backend probe;
    vgt_error err = {0};
    if (vgt_backend_create(VGT_BACKEND_GL, NULL, &probe, &err) != VGT_OK) {
        print_message("no gl backend here (%s): skipped\n", err.message);
        skip();
    }
    vgt_backend_destroy(&probe);
    char db_path[1300];
    snprintf(db_path, sizeof(db_path), "%s/%s", tmpdir, name);
    unlink(db_path);
    vgt_analyze_db *adb = NULL;
    assert_int_equal(vgt_analyze_db_open(db_path, &adb, &err), VGT_OK);
    if (vgt_analyze_trace(adb, cube_path, o, res, &err) != VGT_OK) {
        fail_msg("analyze %s on gl%s: %s", cube_path, o->gpu ? " --gpu" : "", err.message);
    }
    vgt_analyze_db_close(adb);
    assert_int_equal(res->native_failed, 0);
    assert_int_equal(res->calls_under_gpu_timer, 0);
    *run = res->run_id;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    check_counts(db, *run, cube_path);
    check_durations(db, *run);
    return db;
}

/* The gl backend is asynchronous: the analyzer waits for each backend call's
 * work (finish) inside its timed region, in the replays and in the native
 * re-issue alike, and records that in the run's settings.  Structural facts
 * only (no timing comparison): draws have a measurable native cost and a
 * finite positive ratio. */
static void test_gl_synced(void **state)
{
    (void)state;
    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_GL, .runs = 1, .host = "test"};
    vgt_analyze_result res;
    int64_t run;
    sqlite3 *db = gl_analyze_cube("gl.sqlite", &o, &res, &run);
    assert_true(res.synced);
    assert_int_equal(q1(db,
                        "SELECT backend='gl' AND json_extract(settings, '$.sync')='finish' FROM "
                        "runs WHERE run_id=?",
                        run),
                     1);
    check_no_frame_walls(db, run);
    check_cube_groups(db, run, false);
    assert_int_equal(res.frames_timed_virtual + res.frames_timed_native +
                         res.frame_finishes_virtual + res.frame_finishes_native,
                     0);
    /* no --gpu: no GPU timer, no GPU times */
    assert_int_equal(
        q1(db, "SELECT json_extract(settings, '$.gpu_timer')='none' FROM runs WHERE run_id=?", run),
        1);
    assert_int_equal(
        q1(db, "SELECT count(*) FROM commands WHERE run_id=? AND gpu_ns IS NOT NULL", run), 0);
    const char *draws = "FROM type_stats JOIN command_types USING(type_id) WHERE run_id=? AND "
                        "name='DRAW_PRIMITIVES'";
    char sql[512];
    snprintf(sql, sizeof(sql), "SELECT count %s", draws);
    assert_true(q1(db, sql, run) > 0);
    snprintf(sql, sizeof(sql), "SELECT native_ns > 0 AND native_below_resolution = 0 %s", draws);
    assert_int_equal(q1(db, sql, run), 1);
    snprintf(sql, sizeof(sql), "SELECT ratio IS NOT NULL AND ratio > 0 AND ratio < 1e300 %s",
             draws);
    assert_int_equal(q1(db, sql, run), 1);
    /* every draw made a backend call and was re-issued */
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM commands JOIN command_types USING(type_id) WHERE "
                        "run_id=? AND name='DRAW_PRIMITIVES' AND (backend_calls=0 OR native_ns "
                        "IS NULL)",
                        run),
                     0);
    sqlite3_close(db);
}

/* --sync frame on gl: no finish per call, one per frame on each side
 * (check_frame_walls with async); the settings say the per-call backend
 * times are the CPU submission only. */
static void test_gl_sync_frame(void **state)
{
    (void)state;
    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_GL,
                             .runs = 1,
                             .host = "test",
                             .sync = VGT_ANALYZE_SYNC_FRAME};
    vgt_analyze_result res;
    int64_t run;
    sqlite3 *db = gl_analyze_cube("gl-frame.sqlite", &o, &res, &run);
    check_frame_walls(db, run, &res, 1, true);
    assert_int_equal(q1(db,
                        "SELECT json_extract(settings, '$.backend_time') LIKE '%submission%' "
                        "FROM runs WHERE run_id=?",
                        run),
                     1);
    sqlite3_close(db);
}

/* With --gpu the GPU times come from one more replay, under the backend's
 * timer query (GL_TIME_ELAPSED), after the timed replays: the query slows
 * every call made under it (on llvmpipe by tens of microseconds), so timed
 * replays under it and native re-issues without it (as it was) compared
 * unlike calls.  No timed call of a replay runs under it, and every command
 * that made a backend call still gets a GPU time. */
static void test_gl_gpu(void **state)
{
    (void)state;
    vgt_analyze_options o = {
        .backend = VGT_REPLAY_BACKEND_GL, .runs = 2, .gpu = true, .host = "test"};
    vgt_analyze_result res;
    int64_t run;
    sqlite3 *db = gl_analyze_cube("gl-gpu.sqlite", &o, &res, &run);
    assert_int_equal(q1(db,
                        "SELECT gpu AND native AND replays=2 AND json_extract(settings, "
                        "'$.gpu_timer')='own replay' FROM runs WHERE run_id=?",
                        run),
                     1);
    int64_t calls =
        q1(db, "SELECT count(*) FROM commands WHERE run_id=? AND backend_calls > 0", run);
    assert_true(calls > 0);
    /* a GPU time for every command that made a backend call; a GL without
     * timer queries has none */
    int64_t timed = q1(db,
                       "SELECT count(*) FROM commands WHERE run_id=? AND backend_calls > 0 AND "
                       "gpu_ns IS NOT NULL",
                       run);
    if (timed == 0) {
        sqlite3_close(db);
        print_message("no GL timer query here: skipped\n");
        skip();
    }
    assert_int_equal(timed, calls);
    check_cube_groups(db, run, true);
    sqlite3_close(db);
}

/* Frames 0..5 of the cube's --sync frame run, in microseconds, and frame 6
 * (the partial one, the teardown) the largest of all: the complete frames'
 * virtual walls sorted 1000 1500 [2600] 3000 4000 9000, lower median 2600,
 * sum 21100 (with frame 6: median 3000, sum 71100); native 500 800 [1000]
 * 1200 2000 3000, median 1000, sum 8500 (with frame 6: 1200 and 28500). */
static const int64_t PV_US[7] = {3000, 1000, 4000, 1500, 9000, 2600, 50000};
static const int64_t PN_US[7] = {1000, 500, 2000, 800, 3000, 1200, 20000};

static bool has(const char *buf, const char *s)
{
    if (!strstr(buf, s)) {
        print_message("not found: [%s]\n", s);
        return false;
    }
    return true;
}

/* The points of the first SVG polyline of page (its x,y pairs).  Not
 * inlined: inlined, GCC's -Wdangling-pointer takes the page, made by
 * report_of through open_memstream, for report_of's local. */
__attribute__((noinline)) static int polyline_points(const char *page)
{
    const char *pts = strstr(page, "<polyline");
    pts = pts ? strstr(pts, "points='") : NULL;
    if (!pts) {
        return -1;
    }
    size_t n = strcspn(pts + 8, "'");
    int commas = 0;
    for (size_t i = 0; i < n; i++) {
        commas += pts[8 + i] == ',';
    }
    return commas;
}

/* The partial frame (the commands after the guest's last frame end) is stored,
 * flagged, and left out of every per-frame figure of every report: the
 * frame count, the median and total frame wall time, the slowest frames;
 * where all frames are listed it is there, labelled partial.  The walls and
 * frame 6's total are set here so that taking it in would change each figure. */
static void test_partial_frame(void **state)
{
    (void)state;
    char db_path[1300];
    fresh_db(db_path, sizeof(db_path), "partial.sqlite");
    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_NULL,
                             .runs = 1,
                             .host = "test",
                             .sync = VGT_ANALYZE_SYNC_FRAME};
    vgt_analyze_result res;
    int64_t run = analyze_with(db_path, cube_path, &o, &res);
    assert_int_equal(res.frames, 6);
    assert_int_equal(res.partial_frames, 1);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    check_cube_groups(db, run, false);
    for (int i = 0; i < 7; i++) {
        char sql[200];
        snprintf(sql, sizeof(sql),
                 "UPDATE frames SET virtual_wall_ns=%lld, native_wall_ns=%lld WHERE run_id=%lld "
                 "AND frame=%d",
                 (long long)PV_US[i] * 1000, (long long)PN_US[i] * 1000, (long long)run, i);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    assert_int_equal(sqlite3_exec(db, "UPDATE frames SET total_ns=1000000000000 WHERE frame=6",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    int64_t slowest = q1(db,
                         "SELECT frame FROM frames WHERE run_id=? AND frame<6 ORDER BY total_ns "
                         "DESC, frame LIMIT 1",
                         run);
    sqlite3_close(db);

    vgt_analyze_db *adb = NULL;
    vgt_error err = {0};
    char want[200];
    assert_int_equal(vgt_analyze_db_open(db_path, &adb, &err), VGT_OK);
    char *j = report_of(adb, run, VGT_ANALYZE_REPORT_JSON);
    bool ok = has(j, "\"frames\":6,\"partial_frames\":1,") &&
              has(j, "\"frame_walls\":{\"frames\":6,\"virtual_median_ns\":2600000,"
                     "\"native_median_ns\":1000000,\"ratio_median\":2.6,\"virtual_total_ns\":"
                     "21100000,\"native_total_ns\":8500000,") &&
              has(j, "\"slowest\":[{\"frame\":4,\"commands\":") &&
              has(j, "\"virtual_wall_ns\":50000000,\"native_wall_ns\":20000000,\"partial\":true}");
    snprintf(want, sizeof(want), "\"slowest_frames\":[\n{\"frame\":%lld,", (long long)slowest);
    ok = ok && has(j, want);
    /* frame 6 in no ranking: the slowest by total nor by wall time */
    const char *sf = strstr(j, "\"slowest_frames\":"), *paper = strstr(j, "\"paper\":");
    assert_true(sf && paper && sf < paper);
    for (const char *p = strstr(j, "{\"frame\":6,"); p; p = strstr(p + 1, "{\"frame\":6,")) {
        assert_true(p > paper); /* only in the list of every frame, after the rankings */
    }
    free(j);
    char *t = report_of(adb, run, VGT_ANALYZE_REPORT_TEXT);
    ok = ok && has(t, " commands, 6 frames (+ 1 partial); 1 replay (") &&
         has(t, "\nframe 6 is partial: the commands after the guest's last frame end") &&
         has(t, "  frames cost 2.60 ms virtualized vs 1.00 ms native (median frame, "
                "virtual/native 2.60)\n") &&
         has(t, "  all 6 frames: 21.10 ms virtualized vs 8.50 ms native (virtual/native 2.48) "
                "(the partial frame left out)\n") &&
         has(t, "\n         4 ") && !strstr(t, "\n         6 ") && !strstr(t, "\n       6 ");
    free(t);
    char *c = report_of(adb, run, VGT_ANALYZE_REPORT_CSV);
    snprintf(want, sizeof(want), "\n%lld,6,", (long long)run);
    const char *frames_sec = strstr(c, "# frames\n");
    ok = ok && has(c, "native_wall_ns,ratio,partial\n") &&
         has(c, "overhead_ns,live_ns,partial\n") && frames_sec && has(frames_sec, want);
    if (frames_sec) { /* frame 6's row in # frames ends with partial 1, frame 5's with 0 */
        const char *row6 = strstr(frames_sec, want);
        assert_non_null(row6);
        const char *eol = strchr(row6 + 1, '\n');
        assert_true(eol && eol[-1] == '1' && eol[-2] == ',');
        snprintf(want, sizeof(want), "\n%lld,5,", (long long)run);
        const char *row5 = strstr(frames_sec, want);
        assert_non_null(row5);
        eol = strchr(row5 + 1, '\n');
        assert_true(eol && eol[-1] == '0' && eol[-2] == ',');
    }
    /* the # slowest_frames section has no row of frame 6 */
    const char *slow_sec = strstr(c, "# slowest_frames\n"), *batches = strstr(c, "# batches\n");
    snprintf(want, sizeof(want), "\n%lld,6,", (long long)run);
    const char *in_slow = slow_sec ? strstr(slow_sec, want) : NULL;
    assert_true(slow_sec && batches && (!in_slow || in_slow > batches));
    free(c);
    char *h = report_of(adb, run, -1);
    ok = ok && has(h, " commands, 6 frames (+ 1 partial); ") && has(h, "Frame 6 is partial: the ");
    /* the frame chart's axis: a label per bar (6 bars), frames 0..5, not 6 */
    ok = ok && has(h, "text-anchor='middle'>5</text>") &&
         !strstr(h, "text-anchor='middle'>6</text>");
    /* the wall chart: one point per complete frame on each line */
    assert_int_equal(polyline_points(h), 6);
    free(h);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_int_equal(vgt_analyze_perfetto(adb, run, f, &err), VGT_OK);
    fclose(f);
    ok = ok && has(buf, "\"frame 6 (partial)\"") && has(buf, "\"frame 5\"");
    free(buf);
    vgt_analyze_db_close(adb);
    assert_true(ok);
}

/* The heights of the <rect>s between title and last (a frame chart's bars,
 * drawn before its axis label and legend), into h[max]; returns how many.  Not inlined: see
 * polyline_points. */
__attribute__((noinline)) static size_t svg_rect_heights(const char *page, const char *title,
                                                         const char *last, double *h, size_t max)
{
    const char *p = strstr(page, title), *end = p ? strstr(p, last) : NULL;
    size_t n = 0;
    while (p && end && (p = strstr(p, "<rect ")) && p < end && n < max) {
        const char *hp = strstr(p, "height='");
        assert_non_null(hp);
        h[n++] = strtod(hp + 8, NULL);
        p = hp;
    }
    return n;
}

/* Whether every point of the first SVG polyline of page has the y of the
 * first.  Not inlined: see polyline_points. */
__attribute__((noinline)) static bool polyline_flat(const char *page)
{
    const char *pts = strstr(page, "<polyline");
    pts = pts ? strstr(pts, "points='") : NULL;
    if (!pts) {
        return false;
    }
    const char *end = strchr(pts + 8, '\''), *y0 = strchr(pts, ',');
    for (const char *p = y0; p && p < end; p = strchr(p + 1, ',')) {
        if (strtod(p + 1, NULL) != strtod(y0 + 1, NULL)) {
            print_message("wall point at %.20s: not at the height of the first\n", p);
            return false;
        }
    }
    return true;
}

/* The reports keep a slow frame's top commands apart from the frame rows,
 * and the HTML charts walk the frame rows skipping the partial ones (no copy
 * of the complete frames): the slowest frame still lists its top command,
 * as the commands table has it, in every report; and on 1202 frames, one
 * partial in the middle and far the costliest, the charts bucket the 1201
 * complete ones (3 per bar: 401 bars of one height, the last bar of one
 * frame; the axis labels the first complete frame of a bucket) as they
 * would without it. */
static void test_report_frames_apart(void **state)
{
    (void)state;
    char db_path[1300];
    fresh_db(db_path, sizeof(db_path), "apart.sqlite");
    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_NULL, .runs = 1, .host = "test"};
    vgt_analyze_result res;
    int64_t run = analyze_with(db_path, cube_path, &o, &res);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    /* the slowest complete frame's costliest command */
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT c.seq, t.name, c.total_ns FROM commands c JOIN "
                                        "command_types t USING(type_id), (SELECT first_seq, "
                                        "last_seq FROM frames WHERE run_id=?1 AND partial=0 "
                                        "ORDER BY total_ns DESC, frame LIMIT 1) f WHERE "
                                        "c.run_id=?1 AND c.seq BETWEEN f.first_seq AND "
                                        "f.last_seq ORDER BY c.total_ns DESC, c.seq LIMIT 1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(s, 1, run);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long seq = sqlite3_column_int64(s, 0), total = sqlite3_column_int64(s, 2);
    char name[64], want[200];
    snprintf(name, sizeof(name), "%s", (const char *)sqlite3_column_text(s, 1));
    sqlite3_finalize(s);

    vgt_analyze_db *adb = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_analyze_db_open(db_path, &adb, &err), VGT_OK);
    char *j = report_of(adb, run, VGT_ANALYZE_REPORT_JSON);
    const char *head = "\"slowest_frames\":[\n{", *sf = strstr(j, head);
    assert_non_null(sf);
    snprintf(want, sizeof(want),
             "\"top_commands\":[{\"seq\":%lld,\"name\":\"%s\",\"total_ns\":%lld,", seq, name,
             total);
    const char *top = strstr(sf, want), *next = strstr(sf + strlen(head), "\n{");
    bool ok = has(sf, want) && top && (!next || top < next); /* the first slow frame's */
    free(j);
    char *t = report_of(adb, run, VGT_ANALYZE_REPORT_TEXT);
    snprintf(want, sizeof(want), "   %s#%lld ", name, seq);
    ok = has(t, want) && ok;
    free(t);
    char *c = report_of(adb, run, VGT_ANALYZE_REPORT_CSV);
    snprintf(want, sizeof(want), ",%s,%lld,%lld\n", name, seq, total);
    ok = has(c, want) && ok;
    free(c);
    char *h = report_of(adb, run, -1);
    snprintf(want, sizeof(want), "<td>%s #%lld ", name, seq);
    ok = has(h, want) && ok;
    free(h);

    /* frames 0..1201, frame 600 partial and a million times the others */
    char sql[600];
    snprintf(sql, sizeof(sql),
             "DELETE FROM frames WHERE run_id=%lld; WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL "
             "SELECT i + 1 FROM n WHERE i < 1201) INSERT INTO frames SELECT %lld, i, 0, 0, 1, "
             "0, 0, 0, 1000, iif(i = 600, 1000000000, 1000), 0, 0, 0, NULL, NULL, NULL, NULL, "
             "NULL, NULL, 0, iif(i = 600, 1000000000, 1000), NULL, i = 600 FROM n;",
             (long long)run, (long long)run);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    h = report_of(adb, run, -1);
    double heights[500];
    size_t nbars = svg_rect_heights(h, "replay time per frame", " per bar)", heights, 500);
    assert_int_equal(nbars, 401);
    for (size_t i = 1; i < nbars; i++) {
        if (heights[i] != heights[0]) {
            fail_msg("bar %zu: %g high, bar 0 %g", i, heights[i], heights[0]);
        }
    }
    /* bucket 200 (every 40th is labelled) starts at complete frame 600: frame 601 */
    ok = has(h, "frame (3 per bar)") && has(h, "text-anchor='middle'>601</text>") &&
         has(h, "Frame 600 is partial") && has(h, "frame (3 per point)") && ok;
    /* the wall line: 401 points, all at one height */
    assert_int_equal(polyline_points(h), 401);
    ok = polyline_flat(h) && ok;
    free(h);
    vgt_analyze_db_close(adb);
    assert_true(ok);
}

/* A capture started mid-run (--capture-start 2: a snapshot, then guest frames
 * 2..5 and the teardown in frame 6): the frames keep their guest numbers,
 * 4 complete, frame 6 partial. */
static void test_partial_mid_run(void **state)
{
    (void)state;
    char trace[1300], db_path[1300];
    snprintf(trace, sizeof(trace), "%s/mid.vgt", tmpdir);
    fresh_db(db_path, sizeof(db_path), "mid.sqlite");
    vgt_backend_kind be = VGT_BACKEND_NULL;
    vgt_sample_args args = {.frames = 6};
    assert_true(capture_test_sample(trace, "cube", &args, &be, 2));
    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_NULL, .runs = 1, .host = "test"};
    vgt_analyze_result res;
    int64_t run = analyze_with(db_path, trace, &o, &res);
    assert_int_equal(res.frames, 4);
    assert_int_equal(res.partial_frames, 1);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(q1(db, "SELECT min(frame) FROM frames WHERE run_id=?", run), 2);
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM frames WHERE run_id=? AND partial=0 AND frame "
                        "BETWEEN 2 AND 5",
                        run),
                     4);
    assert_int_equal(q1(db, "SELECT frame FROM frames WHERE run_id=? AND partial=1", run), 6);
    assert_int_equal(q1(db, "SELECT frames FROM runs WHERE run_id=?", run), 4);
    sqlite3_close(db);
}

/* The phases a progress callback saw, in order (repeats of a phase kept
 * once, with its last done and total). */
typedef struct seen_phases {
    char name[16][32];
    uint64_t done[16], total[16], first_done[16];
    int n;
    bool checkpoint_backwards; /* "checkpoint"'s done went down */
} seen_phases;

static void on_phase(void *ctx, const char *phase, uint64_t done, uint64_t total)
{
    seen_phases *s = ctx;
    if (s->n == 0 || strcmp(s->name[s->n - 1], phase) != 0) {
        if (s->n == 16) {
            return;
        }
        snprintf(s->name[s->n], sizeof(s->name[s->n]), "%s", phase);
        s->first_done[s->n] = done;
        s->n++;
    } else if (strcmp(phase, "checkpoint") == 0 && done < s->done[s->n - 1]) {
        s->checkpoint_backwards = true;
    }
    s->done[s->n - 1] = done;
    s->total[s->n - 1] = total;
}

/* A range's checkpoint is reported as the phase "checkpoint" before the
 * replays, counting the frames before A (3 for --frames 3-4 of a capture
 * from frame 0) up to all of them; a range from the first frame takes no
 * checkpoint and reports none. */
static void test_checkpoint_progress(void **state)
{
    (void)state;
    char db_path[1300];
    fresh_db(db_path, sizeof(db_path), "progress.sqlite");
    seen_phases seen = {0};
    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_NULL,
                             .runs = 1,
                             .host = "test",
                             .frames = true,
                             .first_frame = 3,
                             .last_frame = 4,
                             .progress = on_phase,
                             .progress_ctx = &seen};
    vgt_analyze_result res;
    analyze_with(db_path, cube_path, &o, &res);
    assert_true(res.checkpoint);
    assert_int_equal(res.checkpoint_frames, 3);
    assert_true(seen.n >= 3);
    assert_string_equal(seen.name[0], "checkpoint");
    assert_int_equal(seen.total[0], 3);
    assert_int_equal(seen.first_done[0], 1); /* frame 0 replayed */
    assert_int_equal(seen.done[0], 3);
    assert_false(seen.checkpoint_backwards);
    for (int i = 1; i < seen.n; i++) {
        assert_string_not_equal(seen.name[i], "checkpoint");
    }
    assert_string_equal(seen.name[seen.n - 1], "done");

    memset(&seen, 0, sizeof(seen));
    o.first_frame = 0;
    analyze_with(db_path, cube_path, &o, &res);
    assert_false(res.checkpoint);
    assert_true(seen.n >= 2);
    for (int i = 0; i < seen.n; i++) {
        assert_string_not_equal(seen.name[i], "checkpoint");
    }
}

/* A trimmed trace (a snapshot, as a capture started mid-run) on soft: the
 * snapshot's surfaces are made by the executor before the first command, and
 * the first draw renders into them and reads them.  The native re-issue makes
 * them too (their define and upload calls, timed into no command): it passed
 * the fresh backend's draws NULL surfaces, and soft crashed on them.  No
 * command destroys them: the native re-issue does at its end (ASan: no
 * leak). */
static void test_snapshot_soft_native(void **state)
{
    (void)state;
    vgt_backend probe;
    vgt_error err = {0};
    if (vgt_backend_create(VGT_BACKEND_SOFT, NULL, &probe, &err) != VGT_OK) {
        print_message("no soft backend here (%s): skipped\n", err.message);
        skip();
    }
    vgt_backend_destroy(&probe);
    char trace[1300], db_path[1300];
    snprintf(trace, sizeof(trace), "%s/snap.vgt", tmpdir);
    fresh_db(db_path, sizeof(db_path), "snap.sqlite");
    /* vgt trim --frames 2-4: a snapshot at frame 2, and no teardown after
     * frame 4 (the snapshot's surfaces are destroyed by no command) */
    vgt_trim_options to = {.first_frame = 2, .last_frame = 4, .backend = VGT_REPLAY_BACKEND_NULL};
    if (vgt_trim(cube_path, trace, &to, NULL, &err) != VGT_OK) {
        fail_msg("trim: %s", err.message);
    }
    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_SOFT, .runs = 1, .host = "test"};
    vgt_analyze_result res;
    int64_t run = analyze_with(db_path, trace, &o, &res); /* native_failed 0 */
    assert_true(res.native_complete);
    assert_int_equal(res.frames, 3);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    check_counts(db, run, trace);
    check_durations(db, run);
    /* every draw was re-issued into the snapshot's render target: soft
     * rasterizes it, so each has a native cost */
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM commands WHERE run_id=? AND type_id=(SELECT "
                        "type_id FROM command_types WHERE name='DRAW_PRIMITIVES')",
                        run),
                     3);
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM commands WHERE run_id=? AND type_id=(SELECT "
                        "type_id FROM command_types WHERE name='DRAW_PRIMITIVES') AND "
                        "native_ns > 0",
                        run),
                     3);
    sqlite3_close(db);
}

/* A database of schema version 1 (before the frames' wall times, made here
 * by dropping the columns of versions 2 and 3, runs.frames counting every
 * frame row as it did) opened by this vgt is migrated: version 3, the wall
 * time columns added and NULL for its runs, the partial frame flagged and
 * runs.frames recounted from the traces row, its reports made as before, and
 * a --sync frame run appended to it. */
static void test_old_database(void **state)
{
    (void)state;
    char db_path[1300];
    fresh_db(db_path, sizeof(db_path), "v1.sqlite");
    int64_t old_run = analyze(db_path, cube_path, VGT_REPLAY_BACKEND_NULL, 1);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(vgt_test_schema_to_v1(db), SQLITE_OK);
    assert_int_equal(q1(db, "SELECT count(*) FROM pragma_table_info('frames')", 0), 20);
    assert_int_equal(q1(db, "SELECT frames FROM runs WHERE run_id=?", old_run), 7);
    sqlite3_close(db);

    vgt_analyze_db *adb = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_analyze_db_open(db_path, &adb, &err), VGT_OK);
    for (int fmt = 0; fmt < 3; fmt++) {
        char *buf = report_of(adb, old_run, fmt);
        assert_non_null(strstr(buf, fmt == VGT_ANALYZE_REPORT_TEXT ? "PRESENT" : "SETTRANSFORM"));
        if (fmt == VGT_ANALYZE_REPORT_TEXT) {
            assert_non_null(strstr(buf, " commands, 6 frames (+ 1 partial); "));
        }
        free(buf);
    }
    vgt_analyze_db_close(adb);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(q1(db, "PRAGMA user_version", 0), VGT_ANALYZE_SCHEMA_VERSION);
    assert_int_equal(VGT_ANALYZE_SCHEMA_VERSION, 3);
    assert_int_equal(q1(db,
                        "SELECT count(*) FROM pragma_table_info('frames') WHERE name IN "
                        "('virtual_wall_ns', 'native_wall_ns', 'partial')",
                        0),
                     3);
    check_no_frame_walls(db, old_run);
    check_cube_groups(db, old_run, false); /* frame 6 partial, runs.frames 6 */
    sqlite3_close(db);

    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_NULL,
                             .runs = 1,
                             .host = "test",
                             .sync = VGT_ANALYZE_SYNC_FRAME};
    vgt_analyze_result res;
    int64_t run = analyze_with(db_path, cube_path, &o, &res);
    assert_int_equal(run, old_run + 1);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    check_frame_walls(db, run, &res, 1, false);
    check_no_frame_walls(db, old_run);
    /* opened again: already version 3, nothing to do */
    sqlite3_close(db);
    assert_int_equal(vgt_analyze_db_open(db_path, &adb, &err), VGT_OK);
    vgt_analyze_db_close(adb);
}

/* Schema 2 (before frames.partial: a --sync frame run, runs.frames counting
 * the partial frame) is migrated to 3: the flag and the count follow from
 * the traces row, the wall times are kept. */
static void test_v2_database(void **state)
{
    (void)state;
    char db_path[1300];
    fresh_db(db_path, sizeof(db_path), "v2.sqlite");
    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_NULL,
                             .runs = 1,
                             .host = "test",
                             .sync = VGT_ANALYZE_SYNC_FRAME};
    vgt_analyze_result res;
    int64_t run = analyze_with(db_path, cube_path, &o, &res);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    int64_t walls =
        q1(db, "SELECT sum(virtual_wall_ns) FROM frames WHERE run_id=? AND frame<6", run);
    assert_int_equal(vgt_test_schema_to_v2(db), SQLITE_OK);
    assert_int_equal(q1(db, "SELECT frames FROM runs WHERE run_id=?", run), 7);
    assert_int_equal(
        q1(db, "SELECT count(*) FROM pragma_table_info('frames') WHERE name='partial'", 0), 0);
    sqlite3_close(db);
    vgt_analyze_db *adb = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_analyze_db_open(db_path, &adb, &err), VGT_OK);
    vgt_analyze_db_close(adb);
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(q1(db, "PRAGMA user_version", 0), 3);
    check_cube_groups(db, run, false);
    check_frame_walls(db, run, &res, 1, false);
    assert_int_equal(
        q1(db, "SELECT sum(virtual_wall_ns) FROM frames WHERE run_id=? AND partial=0", run), walls);
    sqlite3_close(db);
}

static void test_db_errors(void **state)
{
    (void)state;
    char path[1300];
    snprintf(path, sizeof(path), "%s/not-a-db.sqlite", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("hello, this is not SQLite\n", f);
    fclose(f);
    vgt_analyze_db *db = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_analyze_db_open(path, &db, &err), VGT_E_FORMAT);
    assert_null(db);
    char want[1500];
    snprintf(want, sizeof(want), "%s is not a vgt analysis database (not an SQLite file)", path);
    assert_string_equal(err.message, want);
    /* an SQLite file of someone else */
    snprintf(path, sizeof(path), "%s/other.sqlite", tmpdir);
    sqlite3 *o = NULL;
    assert_int_equal(sqlite3_open(path, &o), SQLITE_OK);
    assert_int_equal(sqlite3_exec(o, "CREATE TABLE x(a)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(o);
    assert_int_equal(vgt_analyze_db_open(path, &db, &err), VGT_E_FORMAT);
    /* a missing trace */
    assert_int_equal(vgt_analyze_db_open(":memory:", &db, &err), VGT_OK);
    snprintf(path, sizeof(path), "%s/missing.vgt", tmpdir);
    assert_int_not_equal(vgt_analyze_trace(db, path, NULL, NULL, &err), VGT_OK);
    int64_t run;
    assert_int_equal(vgt_analyze_last_run(db, &run, &err), VGT_E_NOTFOUND);
    vgt_analyze_db_close(db);
}

static void test_bench_insert(void **state)
{
    (void)state;
    double ours = 0, bare = 0;
    vgt_error err = {0};
    assert_int_equal(vgt_analyze_bench_insert(2000, &ours, &bare, &err), VGT_OK);
    assert_true(ours > 0 && bare > 0);
}

/* The words after a run's frame count, as the summary, the HTML page and
 * the tui's header say them; cut to the buffer, never past it. */
static void test_frames_note(void **state)
{
    (void)state;
    char b[112];
    vgt_analyze_frames_note(b, sizeof(b), 0, false, 7, 9, " only");
    assert_string_equal(b, "");
    vgt_analyze_frames_note(b, sizeof(b), 1, false, 0, 0, NULL);
    assert_string_equal(b, " (+ 1 partial)");
    vgt_analyze_frames_note(b, sizeof(b), 0, true, 3, 5, "");
    assert_string_equal(b, " (guest frames 3..5)");
    vgt_analyze_frames_note(b, sizeof(b), 2, true, 6, 8, " only, --frames");
    assert_string_equal(b, " (+ 2 partial; guest frames 6..8 only, --frames)");
    vgt_analyze_frames_note(b, sizeof(b), 0, true, UINT64_MAX - 1, UINT64_MAX, NULL);
    assert_string_equal(b, " (guest frames 18446744073709551614..18446744073709551615)");
    char small[12];
    memset(small, 'x', sizeof(small));
    vgt_analyze_frames_note(small, 8, 1, true, 3, 5, "");
    assert_string_equal(small, " (+ 1 p");
    assert_int_equal(small[8], 'x');
}

/* Row `run`'s settings: whether SQLite takes them as JSON, and the text at
 * `path` in them (a malloc'd copy; NULL when absent). */
static char *settings_text(sqlite3 *db, int64_t run, const char *path, int *valid)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT json_valid(settings), json_extract(settings, ?) "
                                        "FROM runs WHERE run_id=?",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, run);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    *valid = sqlite3_column_int(s, 0);
    const char *t = (const char *)sqlite3_column_text(s, 1);
    char *copy = t ? strdup(t) : NULL;
    sqlite3_finalize(s);
    return copy;
}

/* The run's settings are JSON whatever the text put in them (the note, a
 * checkpoint's why with a path): bytes that are not UTF-8 read back as
 * U+FFFD, quotes, backslashes and control characters exact (the settings
 * were invalid JSON with them: raw bytes, control characters as spaces),
 * and a note longer than the settings keep cut between two characters. */
static void test_settings_text(void **state)
{
    (void)state;
    char db_path[1200];
    fresh_db(db_path, sizeof(db_path), "settings.db");
    /* 0xff 0xfe, a lone continuation byte, a cut 3-byte sequence (its
     * two bytes one U+FFFD each, as vgt_json_string writes them) */
    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_NULL,
                             .runs = 1,
                             .host = "test",
                             .note =
                                 "a\xff\xfe b\x80 c\xe2\x82 \"q\" \\ \x01\n\t\x7f z\xe2\x82\xac"};
    vgt_analyze_result res;
    int64_t run1 = analyze_with(db_path, cube_path, &o, &res);
    /* a note of 1000 characters of 1 to 4 bytes and escapes of 2 and 6 */
    static const char piece[] = "\xc3\xa9\"\xe2\x82\xac\\\x01\xf0\x9f\x98\x80x";
    char long_note[(sizeof(piece) - 1) * 100 + 1] = "";
    for (int i = 0; i < 100; i++) {
        strcat(long_note, piece);
    }
    o.note = long_note;
    int64_t run2 = analyze_with(db_path, cube_path, &o, &res);
    /* --frames 2-3 with a TMPDIR that is not UTF-8 and not there: the
     * checkpoint refused, its why naming the TMPDIR */
    const char *old_tmp = getenv("TMPDIR");
    char *saved = old_tmp ? strdup(old_tmp) : NULL;
    /* 120 bytes 0xff, 0xfe, a cut 3-byte sequence: the why (196 bytes)
     * is 811 bytes of JSON, stored whole */
    char bad_tmp[160] = "/nonexistent-vgt-";
    memset(bad_tmp + strlen(bad_tmp), 0xff, 120);
    strcat(bad_tmp, "\xfe\xe2\x82/x");
    setenv("TMPDIR", bad_tmp, 1);
    o = (vgt_analyze_options){.backend = VGT_REPLAY_BACKEND_NULL,
                              .runs = 1,
                              .host = "test",
                              .frames = true,
                              .first_frame = 2,
                              .last_frame = 3};
    vgt_analyze_db *adb = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_analyze_db_open(db_path, &adb, &err), VGT_OK);
    vgt_status st = vgt_analyze_trace(adb, cube_path, &o, &res, &err);
    vgt_analyze_db_close(adb);
    saved ? setenv("TMPDIR", saved, 1) : unsetenv("TMPDIR");
    free(saved);
    if (st != VGT_OK) {
        fail_msg("analyze --frames 2-3: %s", err.message);
    }
    assert_false(res.checkpoint);
    int64_t run3 = res.run_id;

    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    int valid = 0;
    char *note = settings_text(db, run1, "$.note", &valid);
    assert_int_equal(valid, 1);
    assert_non_null(note);
    assert_string_equal(note, "a\xef\xbf\xbd\xef\xbf\xbd b\xef\xbf\xbd c\xef\xbf\xbd\xef\xbf\xbd"
                              " \"q\" \\ \x01\n\t\x7f z\xe2\x82\xac");
    free(note);

    note = settings_text(db, run2, "$.note", &valid);
    assert_int_equal(valid, 1);
    assert_non_null(note);
    size_t n = strlen(note);
    /* cut (about 500 bytes of JSON kept), at a character's start */
    printf("long note: %zu of %zu bytes kept\n", n, strlen(long_note));
    assert_true(n > 200 && n < strlen(long_note));
    assert_memory_equal(note, long_note, n);
    assert_true(((unsigned char)long_note[n] & 0xC0u) != 0x80u);
    free(note);

    char *why = settings_text(db, run3, "$.checkpoint.why", &valid);
    assert_int_equal(valid, 1);
    assert_non_null(why);
    char want[600] = "no scratch directory under /nonexistent-vgt-";
    for (int i = 0; i < 123; i++) {
        strcat(want, "\xef\xbf\xbd");
    }
    strcat(want, "/x: No such file or directory");
    assert_string_equal(why, want);
    free(why);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_note),
        cmocka_unit_test(test_cube_null_two_runs),
        cmocka_unit_test(test_sync_frame),
        cmocka_unit_test(test_2d_demo),
        cmocka_unit_test(test_video_escapes),
        cmocka_unit_test(test_soft_and_draw_calls),
        cmocka_unit_test(test_gl_synced),
        cmocka_unit_test(test_gl_gpu),
        cmocka_unit_test(test_gl_sync_frame),
        cmocka_unit_test(test_partial_frame),
        cmocka_unit_test(test_report_frames_apart),
        cmocka_unit_test(test_partial_mid_run),
        cmocka_unit_test(test_snapshot_soft_native),
        cmocka_unit_test(test_checkpoint_progress),
        cmocka_unit_test(test_old_database),
        cmocka_unit_test(test_v2_database),
        cmocka_unit_test(test_db_errors),
        cmocka_unit_test(test_bench_insert),
        cmocka_unit_test(test_settings_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
