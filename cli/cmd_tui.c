/* vgt tui DB|TRACE [...]: the terminal profiler over an analysis database, or
 * over a trace analyzed in the background first.  Argument parsing over the
 * vgt_tui library, nothing more. */
#include "vgt_analyze.h"
#include "vgt_cli.h"
#include "vgt_replayer.h"
#include "vgt_tui.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static void usage(void)
{
    printf("usage: vgt tui DB.sqlite [--run ID]\n"
           "       vgt tui TRACE.vgt [--backend null|soft|gl] [--db OUT.sqlite] [--frames A-B]\n"
           "                         [--salvage]\n\n"
           "The terminal profiler: the run's summary, a frame timeline (one bar per frame,\n"
           "stacked by phase), the hotspot table by command type, the commands of the\n"
           "selected frame and, for one command, its timing breakdown, decoded fields,\n"
           "the surfaces and shaders it touches and shader disassembly.  Given a trace, it\n"
           "is analyzed first (as vgt analyze would, 3 replays) with a progress bar.\n\n"
           "  --run ID        the run to show (default: the newest)\n"
           "  --backend B     TRACE: the backend to replay on (default: as captured)\n"
           "  --db FILE       TRACE: keep the analysis in FILE (default: a temporary file)\n"
           "  --frames A-B    TRACE: analyze guest frames A..B only (A-: to the end; A: one\n"
           "                  frame), the frames before replayed for their state, as\n"
           "                  vgt analyze --frames\n"
           "  --salvage       TRACE: skip damaged chunks (said after the profiler closes,\n"
           "                  exit 2) and analyze the rest, as vgt analyze --salvage\n\n"
           "Keys: arrows/hjkl move, Tab switches panes, Enter drills down, Backspace/Esc goes\n"
           "back, s sorts, / searches commands by name or argument, n/N next/previous match,\n"
           "f filters by command type, g/G first/last, ? help, q quits.  See docs/tui.md.\n\n"
           "Exit status: 0 ok, 1 usage error, 2 unreadable database or trace, 128+N after\n"
           "signal N (the terminal is restored first).\n");
}

/* A database starts with "SQLite format 3"; anything else is taken as a trace. */
static bool is_sqlite(const char *path)
{
    FILE *f = fopen(path, "rb");
    char magic[16] = {0};
    if (!f) {
        return false;
    }
    size_t n = fread(magic, 1, sizeof(magic), f);
    fclose(f);
    return n == sizeof(magic) && memcmp(magic, "SQLite format 3", 16) == 0;
}

/* The options that take a value: an option last on the line is one of them
 * without its value, or an unknown one (not "needs a value"). */
static const vgt_cli_value_option tui_value_options[] = {
    {"--run", "a run id"},
    {"--backend", "null, soft or gl"},
    {"--db", "a database file"},
    {"--frames", "A-B, A- or A"},
};

int vgt_cmd_tui(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        usage();
        return VGT_EXIT_OK;
    }
    vgt_tui_options o = {.backend = VGT_REPLAY_BACKEND_AS_CAPTURED};
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--salvage") == 0) {
            o.salvage = true;
        } else if (a[0] == '-' && !v) {
            return vgt_cli_bad_option("tui", argc, argv, i, tui_value_options,
                                      sizeof(tui_value_options) / sizeof(tui_value_options[0]));
        } else if (strcmp(a, "--run") == 0) {
            unsigned long long id;
            if (!vgt_cli_parse_u64(v, INT64_MAX, &id) || id == 0) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "tui", "--run '%s': expected a run id", v);
            }
            o.run_id = (int64_t)id;
            i++;
        } else if (strcmp(a, "--backend") == 0) {
            vgt_backend_kind k;
            if (!vgt_backend_kind_parse(v, &k)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "tui",
                                    "--backend '%s': expected null, soft or gl", v);
            }
            o.backend = (int)k;
            i++;
        } else if (strcmp(a, "--frames") == 0) {
            int rc = vgt_cli_range_option("tui", "--frames", v, &o.first_frame, &o.last_frame);
            if (rc != VGT_EXIT_OK) {
                return rc;
            }
            o.frames = true;
            i++;
        } else if (strcmp(a, "--db") == 0) {
            o.keep_db = v;
            i++;
        } else if (a[0] == '-') {
            return vgt_cli_fail(VGT_EXIT_USAGE, "tui", "unknown option %s (see vgt tui --help)", a);
        } else if (!path) {
            path = a;
        } else {
            return vgt_cli_fail(VGT_EXIT_USAGE, "tui", "one DB or TRACE, not '%s' too", a);
        }
    }
    if (!path) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "tui", "which database or trace? (see vgt tui --help)");
    }
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        return vgt_cli_fail(VGT_EXIT_DATA, "tui", "%s: cannot open: %s", path, strerror(errno));
    }
    fclose(probe);
    if (is_sqlite(path)) {
        if (o.keep_db || o.backend != VGT_REPLAY_BACKEND_AS_CAPTURED || o.salvage || o.frames) {
            return vgt_cli_fail(VGT_EXIT_USAGE, "tui",
                                "--db, --backend, --frames and --salvage are for a trace");
        }
        o.db_path = path;
    } else {
        if (o.run_id) {
            return vgt_cli_fail(VGT_EXIT_USAGE, "tui", "--run is for a database");
        }
        o.trace_path = path;
    }
    int signo = 0;
    vgt_error err = {0};
    vgt_analyze_result res = {0};
    o.analysis = &res;
    vgt_status st = vgt_tui_main(&o, &signo, &err);
    if (signo) {
        return 128 + signo;
    }
    /* the damaged chunks, said once the terminal is restored, as vgt
     * analyze says them */
    if (st != VGT_OK) {
        return vgt_cli_analysis_failed("tui",
                                       st == VGT_E_UNSUPPORTED ? VGT_EXIT_USAGE : VGT_EXIT_DATA,
                                       o.salvage, &res, err.message);
    }
    vgt_cli_analysis_skipped("tui", &res, false);
    return vgt_cli_analysis_salvaged("tui", &res);
}
