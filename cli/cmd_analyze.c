/* vgt analyze FILE [...]: per-command cost of virtualization, stored in
 * SQLite, with reports (text/JSON/CSV/HTML) and a Chrome trace-event export.
 * Argument parsing over the vgt_analyze library, nothing more. */
#include "vgt_analyze.h"
#include "vgt_cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
    printf("usage: vgt analyze FILE [--backend null|soft|gl] [--db OUT.sqlite] [--runs N]\n"
           "                   [--report text|json|csv] [--top N] [--html REPORT.html]\n"
           "                   [--perfetto OUT.json] [--gpu] [--no-native] [--sync finish|frame]\n"
           "                   [--host NAME] [--frames A-B] [--salvage] [-q]\n"
           "       vgt analyze --db DB.sqlite [--run ID] [--report ...] [--html ...] [--perfetto "
           "...]\n\n"
           "Replays a trace with per-command instrumentation and stores, for every command,\n"
           "the phases of the overhead model (decode+validate, DMA bytes and time, translate,\n"
           "backend CPU, GPU when asked, native: the same backend calls re-issued without the\n"
           "virtualization layer) and the live queue latency and device time from the capture.\n"
           "The cost of a clock read is calibrated and subtracted; per command the replay with\n"
           "the median total over --runs is kept.  Schema: docs/analysis-db.md.\n\n"
           "  --backend B     the backend to replay on (default: the one the trace was captured\n"
           "                  with)\n"
           "  --db FILE       store into FILE (created if absent; an existing analysis database\n"
           "                  gets one more run); default: a temporary in-memory database\n"
           "  --runs N        instrumented replays, median kept (default 3)\n"
           "  --report F      print the report as text, json or csv on stdout (default: text,\n"
           "                  unless only --html or --perfetto output is asked for)\n"
           "  --top N         rows per report table (default 10)\n"
           "  --html FILE     write a self-contained HTML page with SVG charts\n"
           "  --perfetto FILE write the run's timeline as Chrome trace-event JSON (Perfetto)\n"
           "  --gpu           ask the backend for GPU time per command (gl), in one more,\n"
           "                  untimed replay\n"
           "  --no-native     skip the native re-issue (no virtual/native figures)\n"
           "  --sync S        where an asynchronous backend (gl) is waited for: finish (default)\n"
           "                  after every backend call, in its timed region: per-call costs,\n"
           "                  CPU and GPU serialized; frame: once at each frame's end, and\n"
           "                  every frame timed whole, virtualized and native (a pipelined\n"
           "                  replay's frame cost; per-call backend times are then the CPU\n"
           "                  submission only).  null and soft do not wait either way\n"
           "  --host NAME     the host name stored with the run (default: this machine's)\n"
           "  --run ID        with --db and no FILE: report a stored run (default: the newest)\n"
           "  --frames A-B    time and store guest frames A..B only (A-: to the end; A: one\n"
           "                  frame); the frames before A are replayed for their state, as\n"
           "                  vgt replay --frames does, not timed or stored\n"
           "  --salvage       skip damaged chunks (reported; the run's settings name them\n"
           "                  and the frames that lost records) and analyze the rest\n"
           "  -q, --quiet     no progress or summary on stderr\n\n"
           "Exit status: 0 ok, 1 usage error, 2 unreadable trace, replay or database error\n"
           "(with --salvage: a chunk was skipped that held records of the run's frames or of\n"
           "the frames before them, after the run was stored and reported).\n");
}

typedef struct progress_state {
    char last_phase[32];
    uint64_t last_ns;
} progress_state;

static void on_progress(void *ctx, const char *phase, uint64_t done, uint64_t total)
{
    progress_state *p = ctx;
    uint64_t now = vgt_now_ns();
    bool new_phase = strcmp(phase, p->last_phase) != 0;
    if (!new_phase && now - p->last_ns < 200000000ull) {
        return;
    }
    p->last_ns = now;
    snprintf(p->last_phase, sizeof(p->last_phase), "%s", phase);
    /* the checkpoint's trim counts the frames before the range */
    const char *unit = strcmp(phase, "checkpoint") == 0 ? "frames" : "commands";
    if (total) {
        fprintf(stderr, "\ranalyze: %-12s %" PRIu64 "/%" PRIu64 " %s   ", phase, done, total, unit);
    } else {
        fprintf(stderr, "\ranalyze: %-12s %" PRIu64 " %s   ", phase, done, unit);
    }
    if (strcmp(phase, "done") == 0) {
        fputc('\n', stderr);
    }
}

static int write_file(const char *path, int64_t run, vgt_analyze_db *db, int which)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        /* why: a missing folder and a read-only one are fixed differently */
        return vgt_cli_fail(VGT_EXIT_DATA, "analyze", "%s: cannot create: %s", path,
                            strerror(errno));
    }
    vgt_error err = {0};
    vgt_status st =
        which == 0 ? vgt_analyze_html(db, run, f, &err) : vgt_analyze_perfetto(db, run, f, &err);
    if (fclose(f) != 0 && st == VGT_OK) {
        st = vgt_error_set(&err, VGT_E_IO, "%s: write failed", path);
    }
    if (st != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_DATA, "analyze", "%s", err.message);
    }
    return VGT_EXIT_OK;
}

/* The options that take a value: an option last on the line is one of them
 * without its value, or an unknown one (not "needs a value"). */
static const vgt_cli_value_option analyze_value_options[] = {
    {"--backend", "null, soft or gl"},
    {"--db", "a database file"},
    {"--sync", "finish or frame"},
    {"--runs", "1..1000"},
    {"--report", "text, json or csv"},
    {"--top", "1..100000"},
    {"--run", "a run id"},
    {"--html", "a file"},
    {"--perfetto", "a file"},
    {"--host", "a host name"},
    {"--frames", "A-B, A- or A"},
};

int vgt_cmd_analyze(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        usage();
        return VGT_EXIT_OK;
    }
    const char *path = NULL, *db_path = NULL, *html = NULL, *perfetto = NULL;
    vgt_analyze_options o = {.backend = VGT_REPLAY_BACKEND_AS_CAPTURED, .runs = 3};
    vgt_analyze_report_format fmt = VGT_ANALYZE_REPORT_TEXT;
    bool quiet = false, report_given = false;
    unsigned long long top = 10, run_id = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = true;
        } else if (strcmp(a, "--gpu") == 0) {
            o.gpu = true;
        } else if (strcmp(a, "--no-native") == 0) {
            o.no_native = true;
        } else if (strcmp(a, "--salvage") == 0) {
            o.salvage = true;
        } else if (a[0] == '-' && !v) {
            return vgt_cli_bad_option("analyze", argc, argv, i, analyze_value_options,
                                      sizeof(analyze_value_options) /
                                          sizeof(analyze_value_options[0]));
        } else if (strcmp(a, "--backend") == 0) {
            vgt_backend_kind k;
            if (!vgt_backend_kind_parse(v, &k)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "analyze",
                                    "--backend '%s': expected null, soft or gl", v);
            }
            o.backend = (vgt_replay_backend)k;
            i++;
        } else if (strcmp(a, "--db") == 0) {
            db_path = v;
            i++;
        } else if (strcmp(a, "--sync") == 0) {
            if (strcmp(v, "finish") == 0) {
                o.sync = VGT_ANALYZE_SYNC_FINISH;
            } else if (strcmp(v, "frame") == 0) {
                o.sync = VGT_ANALYZE_SYNC_FRAME;
            } else {
                return vgt_cli_fail(VGT_EXIT_USAGE, "analyze",
                                    "--sync '%s': expected finish or frame", v);
            }
            i++;
        } else if (strcmp(a, "--runs") == 0) {
            unsigned long long n;
            if (!vgt_cli_parse_u64(v, 1000, &n) || n == 0) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "analyze", "--runs '%s': expected 1..1000", v);
            }
            o.runs = (uint32_t)n;
            i++;
        } else if (strcmp(a, "--report") == 0) {
            if (!vgt_analyze_report_format_parse(v, &fmt)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "analyze",
                                    "--report '%s': expected text, json or csv", v);
            }
            report_given = true;
            i++;
        } else if (strcmp(a, "--top") == 0) {
            if (!vgt_cli_parse_u64(v, 100000, &top) || top == 0) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "analyze", "--top '%s': expected 1..100000", v);
            }
            i++;
        } else if (strcmp(a, "--run") == 0) {
            if (!vgt_cli_parse_u64(v, INT64_MAX, &run_id) || run_id == 0) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "analyze", "--run '%s': expected a run id", v);
            }
            i++;
        } else if (strcmp(a, "--html") == 0) {
            html = v;
            i++;
        } else if (strcmp(a, "--perfetto") == 0) {
            perfetto = v;
            i++;
        } else if (strcmp(a, "--frames") == 0) {
            /* vgt replay's parser and words: the same range, the same numbering */
            int rc = vgt_cli_range_option("analyze", "--frames", v, &o.first_frame, &o.last_frame);
            if (rc != VGT_EXIT_OK) {
                return rc;
            }
            o.frames = true;
            i++;
        } else if (strcmp(a, "--host") == 0) {
            o.host = v;
            i++;
        } else if (a[0] == '-') {
            return vgt_cli_bad_option("analyze", argc, argv, i, NULL, 0);
        } else if (!path) {
            path = a;
        } else {
            return vgt_cli_fail(VGT_EXIT_USAGE, "analyze", "one trace at a time ('%s')", a);
        }
    }
    if (!path && !db_path) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "analyze", "no trace file (see vgt analyze --help)");
    }
    if (path && run_id) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "analyze", "--run reports a stored run: no FILE");
    }
    if (!path && o.salvage) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "analyze", "--salvage is for a trace: no FILE given");
    }
    if (!path && o.frames) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "analyze", "--frames is for a trace: no FILE given");
    }
    /* the report files are written after the analysis: a path that cannot
     * take them is said before it runs, not after */
    const char *outputs[2] = {html, perfetto};
    for (int k = 0; k < 2; k++) {
        char why[256];
        if (outputs[k] && !vgt_cli_can_write_file(outputs[k], why, sizeof(why))) {
            return vgt_cli_fail(VGT_EXIT_DATA, "analyze", "%s: cannot create: %s", outputs[k], why);
        }
    }
    progress_state ps = {{0}, 0};
    if (!quiet && isatty(2)) {
        o.progress = on_progress;
        o.progress_ctx = &ps;
    }
    /* reporting a stored run reads the database: opening a mistyped name
     * would create an empty one and blame it for holding no run */
    if (!path && access(db_path, F_OK) != 0) {
        return vgt_cli_fail(VGT_EXIT_DATA, "analyze", "%s: cannot open: %s", db_path,
                            strerror(errno));
    }
    vgt_error err = {0};
    vgt_analyze_db *db = NULL;
    if (vgt_analyze_db_open(db_path ? db_path : ":memory:", &db, &err) != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_DATA, "analyze", "%s", err.message);
    }
    int rc = VGT_EXIT_OK;
    int64_t run = (int64_t)run_id;
    vgt_analyze_result res = {0};
    if (path) {
        if (vgt_analyze_trace(db, path, &o, &res, &err) != VGT_OK) {
            rc = vgt_cli_analysis_failed("analyze", VGT_EXIT_DATA, o.salvage, &res, err.message);
            goto out;
        }
        run = res.run_id;
        /* as vgt replay and vgt leaks warn: a killed capture is analyzed up to
         * its cut, its last frame (cut short) stored partial; from the
         * analyzer's own reader (opening a footerless trace rebuilds its index
         * by decompressing every chunk) */
        bool warned = vgt_cli_warn_incomplete_chunks("analyze", res.trace_incomplete,
                                                     res.trace_chunks, path, "analyzed");
        vgt_cli_analysis_skipped("analyze", &res, warned);
        if (!quiet) {
            /* complete frames, as vgt info counts them; the commands after the
             * guest's last frame end are a partial frame, as vgt leaks says */
            char partial[112];
            vgt_analyze_frames_note(partial, sizeof(partial), res.partial_frames, res.ranged,
                                    res.range_first, res.range_last, "");
            fprintf(stderr,
                    "analyze: %s: run %" PRId64 ", %" PRIu64 " command%s, %" PRIu64
                    " frame%s%s, %u replay%s (median %.*f s), %.1f ns per clock read subtracted\n",
                    path, res.run_id, res.commands, vgt_plural(res.commands), res.frames,
                    vgt_plural(res.frames), partial, o.runs, vgt_plural(o.runs),
                    vgt_cli_seconds_decimals(res.replay_ns), (double)res.replay_ns / 1e9,
                    res.timer_ns);
            fprintf(stderr,
                    "analyze: stored %" PRIu64 " rows in %.1f ms: %.0f rows/s (one transaction, "
                    "prepared statements)%s%s\n",
                    res.rows, (double)res.insert_ns / 1e6, res.insert_rows_per_s,
                    db_path ? " into " : "", db_path ? db_path : "");
            if (res.native_failed) {
                fprintf(stderr,
                        "analyze: native: %" PRIu64 " of %" PRIu64
                        " backend call%s refused by the fresh backend\n",
                        res.native_failed, res.native_ops, vgt_plural(res.native_ops));
            }
        }
    } else if (!run && vgt_analyze_last_run(db, &run, &err) != VGT_OK) {
        rc = vgt_cli_fail(VGT_EXIT_DATA, "analyze", "%s", err.message);
        goto out;
    }
    /* the report on stdout unless only files were asked for, for a stored
     * run as for a new one */
    if (report_given || (!html && !perfetto)) {
        if (vgt_analyze_report(db, run, fmt, (uint32_t)top, stdout, &err) != VGT_OK) {
            rc = vgt_cli_fail(VGT_EXIT_DATA, "analyze", "%s", err.message);
            goto out;
        }
    }
    if (html && (rc = write_file(html, run, db, 0)) != VGT_EXIT_OK) {
        goto out;
    }
    if (perfetto && (rc = write_file(perfetto, run, db, 1)) != VGT_EXIT_OK) {
        goto out;
    }
    rc = vgt_cli_analysis_salvaged("analyze", &res);
out:
    vgt_analyze_db_close(db);
    return rc;
}
