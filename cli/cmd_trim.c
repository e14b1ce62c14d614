/* vgt trim IN --frames A-B -o OUT (or --calls A-B): a trace of some frames,
 * or some commands, of another that replays on its own (vgt_trim,
 * replay/trim.c).  vgt repack (cmd_repack.c) is the same copy of every
 * record without a cut, so it shares this parser, its signal handling and
 * its summary (vgt_cli_trim). */
#include "vgt_capture.h"
#include "vgt_cli.h"
#include "vgt_replay.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int usage(void)
{
    printf("usage: vgt trim IN --frames A-B -o OUT [--backend null|soft|gl] [--level L]\n"
           "                [--chunk KiB] [--salvage] [-q]\n"
           "       vgt trim IN --calls A-B -o OUT [...]\n\n"
           "Writes OUT, a trace of guest frames A..B of the trace IN that replays on its own\n"
           "(as apitrace trim does).  When A is after IN's first frame, OUT starts with a\n"
           "state snapshot at frame A, as a capture started there (vgt run --capture-start A)\n"
           "writes: IN is replayed up to A (state-only) and the replay's state is saved.  Then\n"
           "IN's records of frames A..B are copied as they are (commands, guest memory,\n"
           "register writes, frame hashes, timings), so vgt replay OUT --verify checks the\n"
           "frames against the live run.\n\n"
           "  --frames A-B   guest frames A..B (A-: to the last complete frame; A: one frame)\n"
           "  --calls A-B    commands A..B instead: the SEQ numbers vgt dump prints (each\n"
           "                 command of a batch its own; A-: to the last command).  OUT\n"
           "                 starts with the state before A (mid-frame when A is), and ends\n"
           "                 after B: with B's frame end when B ends its frame, else inside\n"
           "                 the frame (a partial last frame, not verified)\n"
           "  -o OUT         the trace to write (not IN); written whole or not at all\n"
           "  --level L      OUT's zstd level, -7..22 (default: IN's)\n"
           "  --chunk KiB    OUT's uncompressed chunk size, 1..262144 (default: IN's)\n"
           "  --backend B    the replay to A: null, soft or gl (default: the one IN was\n"
           "                 captured with).  The snapshot's surface contents are read back\n"
           "                 from it: null keeps none, and they replay as zeros\n"
           "  --salvage      skip damaged chunks of IN (reported) instead of stopping\n"
           "  -q             no progress line, no summary\n\n"
           "Exit: 0 ok, 1 usage (or a backend this build lacks), 2 bad trace, a range outside\n"
           "it, a replay that diverged, I/O error.\n");
    return VGT_EXIT_OK;
}

/* The temporary trace a stopped trim leaves behind, removed by the signal
 * handler (unlink is async-signal-safe); empty when none. */
static char temp_path[4200];

static void on_stop_signal(int sig)
{
    if (temp_path[0]) {
        unlink(temp_path);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

typedef struct trim_cli {
    bool progress;
    bool calls;
    bool whole; /* repack: no last frame known */
    uint64_t first, last;
    uint64_t last_ns;
} trim_cli;

static void on_progress(void *ctx, bool copying, uint64_t frame)
{
    trim_cli *c = ctx;
    uint64_t now = vgt_now_ns();
    if (!c->progress || now - c->last_ns < 500000000ull) {
        return;
    }
    c->last_ns = now;
    if (copying && (c->calls || c->whole)) {
        fprintf(stderr, "\rvgt trim: copying frame %" PRIu64 "      ", frame);
    } else if (copying) {
        fprintf(stderr, "\rvgt trim: copying frame %" PRIu64 " of %" PRIu64 "      ", frame,
                c->last);
    } else {
        fprintf(stderr, "\rvgt trim: replaying frame %" PRIu64 " to the state at %s%" PRIu64 "   ",
                frame, c->calls ? "command " : "", c->first);
    }
}

/* The options that take a value (their branches check it), named when it is
 * missing. */
static const vgt_cli_value_option trim_value_options[] = {
    {"--frames", "A-B, A- or A"},       {"--calls", "A-B, A- or A"},
    {"-o", "the output trace"},         {"--backend", "null, soft or gl"},
    {"--level", "a zstd level -7..22"}, {"--chunk", "a size 1..262144 (KiB)"},
};
/* the texts name these bounds: a change of them must change the texts */
_Static_assert(VGT_CAPTURE_LEVEL_MIN == -7 && VGT_CAPTURE_LEVEL_MAX == 22, "--level text");
_Static_assert(VGT_TRACE_MAX_CHUNK_SIZE / 1024u == 262144u, "--chunk text");

int vgt_cmd_trim(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        return usage();
    }
    return vgt_cli_trim(argc, argv, false);
}

int vgt_cli_trim(int argc, char **argv, bool repack)
{
    const char *verb = repack ? "repack" : "trim";
    const char *in = NULL, *out = NULL;
    bool have_range = false, have_calls = false, quiet = false;
    vgt_trim_options o = {.backend = VGT_REPLAY_BACKEND_AS_CAPTURED};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        unsigned long long v;
        if (a[0] != '-') {
            if (in) {
                return vgt_cli_fail(VGT_EXIT_USAGE, verb, "more than one input ('%s', '%s')", in,
                                    a);
            }
            in = a;
        } else if (repack && (strcmp(a, "--frames") == 0 || strcmp(a, "--calls") == 0 ||
                              strcmp(a, "--backend") == 0)) {
            return vgt_cli_fail(VGT_EXIT_USAGE, verb,
                                "%s: repack copies every record (no replay, no cut); a cut is "
                                "vgt trim's",
                                a);
        } else if (strcmp(a, "--frames") == 0 && has) {
            int rc =
                vgt_cli_range_option(verb, "--frames", argv[++i], &o.first_frame, &o.last_frame);
            if (rc != VGT_EXIT_OK) {
                return rc;
            }
            have_range = true;
        } else if (strcmp(a, "--calls") == 0 && has) {
            int rc = vgt_cli_range_option(verb, "--calls", argv[++i], &o.first_call, &o.last_call);
            if (rc != VGT_EXIT_OK) {
                return rc;
            }
            have_calls = true;
        } else if (strcmp(a, "-o") == 0 && has) {
            out = argv[++i];
        } else if (strcmp(a, "--backend") == 0 && has) {
            vgt_backend_kind k;
            if (!vgt_backend_kind_parse(argv[++i], &k)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, verb,
                                    "--backend '%s': expected null, soft or gl", argv[i]);
            }
            o.backend = (vgt_replay_backend)k;
        } else if (strcmp(a, "--level") == 0 && has &&
                   vgt_capture_parse_level(argv[i + 1], &o.compression_level)) {
            o.set_compression_level = true;
            i++;
        } else if (strcmp(a, "--chunk") == 0 && has &&
                   vgt_cli_parse_u64(argv[i + 1], VGT_TRACE_MAX_CHUNK_SIZE / 1024u, &v) && v > 0) {
            o.chunk_size = (uint32_t)v * 1024u;
            i++;
        } else if (strcmp(a, "--salvage") == 0) {
            o.salvage = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = true;
        } else {
            return vgt_cli_bad_option(verb, argc, argv, i, trim_value_options,
                                      sizeof(trim_value_options) / sizeof(trim_value_options[0]));
        }
    }
    if (!in) {
        return vgt_cli_fail(VGT_EXIT_USAGE, verb, "which trace? (vgt %s)",
                            repack ? "repack IN -o OUT" : "trim IN --frames A-B -o OUT");
    }
    if (have_range && have_calls) {
        return vgt_cli_fail(VGT_EXIT_USAGE, verb, "--frames or --calls, not both");
    }
    o.whole = repack;
    if (!repack && !have_range && !have_calls) {
        return vgt_cli_fail(VGT_EXIT_USAGE, verb, "which frames? (--frames A-B, or --calls A-B)");
    }
    o.calls = have_calls;
    if (!out) {
        return vgt_cli_fail(VGT_EXIT_USAGE, verb, "no output trace (-o OUT)");
    }
    /* OUT is written as a temporary beside it, then renamed: without these
     * the messages named the temporary (OUT.trim-PID) or said "Device or
     * resource busy" for a directory, after the replay to the snapshot */
    struct stat sb;
    if (stat(out, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        return vgt_cli_fail(VGT_EXIT_USAGE, verb, "-o '%s' is a directory: name the trace to write",
                            out);
    }
    char dir[4096];
    if (!vgt_cli_dir_of(out, dir, sizeof(dir))) {
        return vgt_cli_fail(VGT_EXIT_DATA, verb, "-o '%s': %s", out, strerror(ENAMETOOLONG));
    }
    if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        return vgt_cli_fail(VGT_EXIT_DATA, verb, "-o '%s': '%s' is not a directory", out, dir);
    }
    if (access(dir, W_OK | X_OK) != 0) {
        return vgt_cli_fail(VGT_EXIT_DATA, verb, "-o '%s': cannot write into '%s': %s", out, dir,
                            strerror(errno));
    }
    trim_cli c = {.progress = !quiet && isatty(STDERR_FILENO),
                  .calls = o.calls,
                  .whole = repack,
                  .first = o.calls ? o.first_call : o.first_frame,
                  .last = o.last_frame,
                  .last_ns = vgt_now_ns()};
    o.log = quiet ? NULL : stderr;
    o.progress = on_progress;
    o.ctx = &c;
    vgt_trim_stats st;
    vgt_error err = {0};
    /* Ctrl-C or a kill: no half-written temporary trace left beside OUT */
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
    bool named = vgt_trim_temp_path(out, temp_path, sizeof(temp_path));
    for (size_t i = 0; named && i < sizeof(stops) / sizeof(stops[0]); i++) {
        signal(stops[i], on_stop_signal);
    }
    vgt_status s = vgt_trim(in, out, &o, &st, &err);
    for (size_t i = 0; named && i < sizeof(stops) / sizeof(stops[0]); i++) {
        signal(stops[i], SIG_DFL);
    }
    temp_path[0] = '\0';
    if (c.progress) {
        fprintf(stderr, "\r%70s\r", "");
    }
    /* IN's problems as every verb reports them, after the work: each once
     * (the replay to A and the copy read IN with two readers), in the order
     * of the file, the chunk that stopped the read left to the error line;
     * "IN: " before each, as the error line and the notes name IN (a trim
     * reads one trace and writes another) */
    char who[4200];
    snprintf(who, sizeof(who), "%s: ", in);
    const vgt_trace_problem **list = vgt_cli_problem_pointers(st.problems, st.nproblems);
    bool warned = vgt_cli_warn_incomplete_chunks(verb, st.trace_incomplete, st.trace_chunks, in,
                                                 repack ? "repacked" : "trimmed");
    /* those past the ones vgt_trim kept, in the one "more not listed" line */
    vgt_cli_report_problems(verb, who, list, list ? st.nproblems : 0,
                            (list ? 0u : st.nproblems) + st.problems_lost, o.salvage, warned,
                            s != VGT_OK ? err.message : NULL);
    /* and those no one had memory to record, which may be chunks skipped */
    vgt_cli_report_unrecorded(verb, who, st.nproblems + st.problems_lost, st.problems_unrecorded);
    const char *hint =
        list ? vgt_cli_salvage_hint_problems(list, st.nproblems, o.salvage, err.message) : "";
    free(list);
    if (s == VGT_E_INVALID || s == VGT_E_UNSUPPORTED) {
        return vgt_cli_fail(VGT_EXIT_USAGE, verb, "%s", err.message);
    }
    if (s != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_DATA, verb, "%s%s; %s not written", err.message, hint, out);
    }
    if (!quiet) {
        if (repack) {
            printf("repack: %s -> %s: guest frames %" PRIu64 "..%" PRIu64 " (%" PRIu64
                   " complete), zstd level %d, chunks of %u KiB, ",
                   in, out, st.first_frame, st.last_frame, st.frames, st.compression_level,
                   st.chunk_size / 1024u);
        } else if (o.calls) {
            printf("trim: %s -> %s: commands %" PRIu64 "..%" PRIu64 " (%" PRIu64
                   "), guest frames %" PRIu64 "..%" PRIu64 ", %" PRIu64 " complete frame%s%s, ",
                   in, out, st.first_call, st.last_call, st.calls, st.first_frame, st.last_frame,
                   st.frames, vgt_plural(st.frames),
                   st.partial_last ? " and a partial last one" : "");
        } else {
            printf("trim: %s -> %s: guest frames %" PRIu64 "..%" PRIu64 ", %" PRIu64 " frame%s, ",
                   in, out, st.first_frame, st.last_frame, st.frames, vgt_plural(st.frames));
        }
        if (st.snapshot) {
            char at[48];
            snprintf(at, sizeof(at), o.calls ? "command %" PRIu64 : "%" PRIu64,
                     o.calls ? st.first_call : st.first_frame);
            printf("snapshot at %s (%" PRIu64 " bytes, %" PRIu64 " frame%s replayed on %s), ", at,
                   st.snapshot_bytes, st.frames_replayed, vgt_plural(st.frames_replayed),
                   vgt_replay_backend_name(st.backend));
        }
        printf("%" PRIu64 " record%s (%" PRIu64 " read), %" PRIu64 " -> %" PRIu64 " bytes",
               st.records_out, vgt_plural(st.records_out), st.records_in, st.bytes_in,
               st.bytes_out);
        if (st.chunks_skipped) {
            printf(", %" PRIu64 " damaged chunk%s skipped", st.chunks_skipped,
                   vgt_plural(st.chunks_skipped));
        }
        /* the digits vgt replay and its --benchmark give the seconds: %.3f
         * said 0.000 s of a small trim */
        printf(", %.*f s\n", vgt_cli_seconds_decimals(st.ns), (double)st.ns / 1e9);
    }
    /* written from what was readable, but IN is damaged (as vgt replay
     * --salvage), or may be: problems were found that no one recorded */
    return st.chunks_skipped || st.problems_unrecorded ? VGT_EXIT_DATA : VGT_EXIT_OK;
}
