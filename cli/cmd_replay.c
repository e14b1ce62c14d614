/* vgt replay FILE: re-executes a captured trace through the same decoder and
 * executor the device used live (replay/vgt_replayer.h). */
#include "vgt_cli.h"
#include "vgt_replay.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int usage(void)
{
    printf("usage: vgt replay FILE [--backend null|soft|gl] [--frames A-B] [--loop N]\n"
           "                  [--benchmark] [--screenshot DIR] [--verify]\n"
           "                  [--reference DIR [--tolerance T] [--outliers PCT]] [--salvage]\n"
           "                  [--window] [--dump-at SEQ[,SEQ...] --dump-dir DIR] [-q]\n\n"
           "Replays a trace written by `vgt run --capture` (or VGT_CAPTURE=FILE): every\n"
           "recorded command goes through the same decoder and executor the device used;\n"
           "guest memory reads are served from the recorded bytes, and must be the same\n"
           "reads in the same order (else the replay stops: diverged, naming the command).\n\n"
           "  --backend B       the 3D backend: null, soft or gl (default: the one the trace\n"
           "                    was captured with; --verify is bit-exact on the same backend)\n"
           "  --frames A-B      replay guest frames A..B (A-: to the end; A: one frame); the\n"
           "                    frames before A are replayed state-only (no compose)\n"
           "  --loop N          replay the range N times (state reset between loops)\n"
           "  --benchmark       print frames/s and commands/s (no screenshots)\n"
           "  --screenshot DIR  save every frame in range as DIR/frame-NNNNNN.png (guest frame\n"
           "                    numbers, the same names as vgt run --screenshot)\n"
           "  --verify          compare every frame's hash with the captured one; exit 2 at the\n"
           "                    first difference, naming the frame and the last command;\n"
           "                    on another backend than the capture's, with --reference\n"
           "                    DIR: verify against DIR instead (hashes are bit-exact on\n"
           "                    the capture's backend only)\n"
           "  --reference DIR   compare every frame with DIR/frame-NNNNNN.png (e.g. the live\n"
           "                    screenshots) within --tolerance T per channel (default 0);\n"
           "                    --outliers PCT lets up to PCT%% of a frame's pixels exceed it\n"
           "                    (default 0; another backend's edge pixels: e.g. gl vs soft,\n"
           "                    --tolerance 2 --outliers 0.1)\n"
           "  --salvage         skip unreadable chunks (reported) and replay the rest\n"
           "  --window          also show the frames in an X11 window (gl backend; DISPLAY\n"
           "                    must be set): each presented image is drawn into it\n"
           "  --dump-at SEQ,... after each command SEQ (the numbers vgt dump prints) write\n"
           "                    the device's state to DIR/seq-NNNNNNNN/ (--dump-dir DIR):\n"
           "                    state.json, display.png, a PNG per readable 3D surface\n"
           "  -q                no progress line, no summary\n\n"
           "Exit: 0 ok, 1 usage (or a backend this build lacks), 2 bad trace, divergence,\n"
           "verification failure, a state dump not written or a --dump-at SEQ not reached.\n");
    return VGT_EXIT_OK;
}

typedef struct replay_cli {
    const char *shots;
    const char *reference;
    uint32_t tolerance;
    double outliers_pct; /* share of pixels allowed beyond the tolerance */
    bool quiet;
    bool progress;
    uint64_t frames_total;
    uint64_t last_progress_ns;
    uint64_t t0;
    uint64_t shots_saved;
    uint64_t reference_checked;
    bool failed;
    char failure[8192]; /* room for a path and a message */
    /* --dump-at: the SEQs sorted without duplicates, the next one to reach,
     * and those the replay passed without running them (not commands) */
    const char *dump_dir;
    uint64_t *dump;
    size_t ndump, dump_next, dumps_done, dump_missed;
    uint64_t dump_missed_seq;
    bool seen_command;
    uint64_t first_seq, last_seq;
    vgt_replayer *r;
} replay_cli;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* "SEQ[,SEQ...]" into a sorted list without duplicates; false when malformed. */
static bool parse_seqs(const char *text, uint64_t **out, size_t *n)
{
    size_t cap = 1;
    for (const char *p = text; *p; p++) {
        cap += *p == ',';
    }
    uint64_t *v = calloc(cap, sizeof(*v));
    if (!v) {
        return false;
    }
    size_t k = 0;
    const char *p = text;
    while (k < cap) {
        char num[32];
        size_t len = strcspn(p, ",");
        unsigned long long x;
        if (len == 0 || len >= sizeof(num)) {
            free(v);
            return false;
        }
        memcpy(num, p, len);
        num[len] = '\0';
        if (!vgt_cli_parse_u64(num, UINT64_MAX, &x)) {
            free(v);
            return false;
        }
        v[k++] = x;
        p += len;
        if (*p == ',') {
            p++;
        }
    }
    qsort(v, k, sizeof(*v), cmp_u64);
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (m == 0 || v[m - 1] != v[i]) {
            v[m++] = v[i];
        }
    }
    *out = v;
    *n = m;
    return true;
}

/* After every replayed command: the state dump when it is a SEQ asked for. */
static int on_command(void *ctx, const vgt_replay_command *cmd)
{
    replay_cli *c = ctx;
    if (!c->seen_command) {
        c->seen_command = true;
        c->first_seq = cmd->seq;
    }
    c->last_seq = cmd->seq;
    /* SEQs the replay went past without a command of theirs */
    while (c->dump_next < c->ndump && c->dump[c->dump_next] < cmd->seq) {
        if (c->dump_missed++ == 0) {
            c->dump_missed_seq = c->dump[c->dump_next];
        }
        c->dump_next++;
    }
    if (c->dump_next >= c->ndump || c->dump[c->dump_next] != cmd->seq) {
        return 0;
    }
    c->dump_next++;
    vgt_state_dump_info info;
    vgt_error err = {0};
    if (vgt_replayer_dump_state(c->r, cmd, c->dump_dir, &info, &err) != VGT_OK) {
        snprintf(c->failure, sizeof(c->failure), "state dump at seq %" PRIu64 ": %s", cmd->seq,
                 err.message);
        c->failed = true;
        return 1;
    }
    c->dumps_done++;
    if (!c->quiet) {
        printf("dump: seq %" PRIu64 " %s (guest frame %" PRIu64 "): %s: state.json%s, %u surface "
               "PNGs, %u buffer files%s\n",
               cmd->seq, vgt_cmd_name(cmd->id), cmd->frame, info.dir,
               info.display_png ? ", display.png" : "", info.pngs, info.files,
               info.contents_absent ? " (the backend keeps no surface contents)" : "");
    }
    return 0;
}

static int on_frame(void *ctx, const vgt_replay_frame *f)
{
    replay_cli *c = ctx;
    char path[4096];
    vgt_error err = {0};
    if (c->shots) {
        if (!f->image) {
            snprintf(c->failure, sizeof(c->failure), "frame %" PRIu64 ": no active screen",
                     f->frame);
            c->failed = true;
            return 1;
        }
        if (!vgt_image_frame_path(path, sizeof(path), c->shots, f->frame, "") ||
            vgt_image_write_png(f->image, path, false, &err) != VGT_OK) {
            snprintf(c->failure, sizeof(c->failure), "screenshot of frame %" PRIu64 ": %s",
                     f->frame, err.message[0] ? err.message : "path too long");
            c->failed = true;
            return 1;
        }
        c->shots_saved++;
    }
    if (c->reference) {
        vgt_image ref = {0};
        vgt_image_diff d;
        if (!vgt_image_frame_path(path, sizeof(path), c->reference, f->frame, "") ||
            vgt_image_read_png(&ref, path, &err) != VGT_OK) {
            snprintf(c->failure, sizeof(c->failure), "reference of frame %" PRIu64 ": %s", f->frame,
                     err.message[0] ? err.message : "path too long");
            c->failed = true;
            return 1;
        }
        vgt_status st = f->image ? vgt_image_compare(f->image, &ref, c->tolerance, false, &d, &err)
                                 : vgt_error_set(&err, VGT_E_STATE, "no active screen");
        vgt_image_free(&ref);
        bool within = st == VGT_OK &&
                      (double)d.pixels_over * 100.0 <= c->outliers_pct * (double)d.pixels_total;
        if (!within) {
            if (st == VGT_OK) {
                snprintf(err.message, sizeof(err.message),
                         "%" PRIu64 " of %" PRIu64
                         " pixels differ by more than %u (max %u; %.3g%% allowed)",
                         d.pixels_over, d.pixels_total, c->tolerance, d.max_channel_delta,
                         c->outliers_pct);
            }
            snprintf(c->failure, sizeof(c->failure),
                     "frame %" PRIu64 " differs from %s: %s; last command before it: seq %" PRIu64
                     " %s",
                     f->frame, path, err.message, f->last_seq,
                     f->last_cmd_id ? vgt_cmd_name(f->last_cmd_id) : "(none)");
            c->failed = true;
            return 1;
        }
        c->reference_checked++;
    }
    if (c->progress) {
        uint64_t now = vgt_now_ns();
        if (now - c->last_progress_ns > 500000000ull) {
            c->last_progress_ns = now;
            fprintf(stderr, "\rvgt replay: frame %" PRIu64 " of %" PRIu64 ", %.0f frames/s   ",
                    f->frame, c->frames_total,
                    (double)(f->frame + 1) * 1e9 / (double)(now - c->t0 + 1));
        }
    }
    return 0;
}

static void print_problems(vgt_trace_reader *rd, const char *path)
{
    vgt_cli_warn_incomplete("replay", rd, path, "replaying");
    size_t n = vgt_trace_reader_problem_count(rd);
    for (size_t i = 0; i < n && i < 20; i++) {
        const vgt_trace_problem *p = vgt_trace_reader_problem(rd, i);
        if (p->chunk == UINT64_MAX) {
            fprintf(stderr, "vgt replay: problem at offset %" PRIu64 ": %s\n", p->offset,
                    p->message);
        } else {
            fprintf(stderr, "vgt replay: problem in chunk %" PRIu64 " at offset %" PRIu64 ": %s\n",
                    p->chunk, p->offset, p->message);
        }
    }
}

/* --dump-at's checks before the replay: the usage, and DIR writable. */
static int dump_options(replay_cli *c, const char *dump_at, unsigned long long loops, bool bench)
{
    if (!dump_at && !c->dump_dir) {
        return VGT_EXIT_OK;
    }
    if (!dump_at || !c->dump_dir) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "replay",
                            "--dump-at SEQ and --dump-dir DIR go together");
    }
    if (loops > 1 || bench) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "replay",
                            "--dump-at dumps during one plain replay; drop %s",
                            bench ? "--benchmark" : "--loop");
    }
    if (!parse_seqs(dump_at, &c->dump, &c->ndump)) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "replay",
                            "--dump-at '%s': expected SEQ[,SEQ...] (command numbers, as vgt dump "
                            "prints them)",
                            dump_at);
    }
    /* checked now, not at the first dump after a long replay */
    int rc = VGT_EXIT_OK;
    struct stat sb;
    if (mkdir(c->dump_dir, 0777) != 0 && errno != EEXIST) {
        rc = vgt_cli_fail(VGT_EXIT_DATA, "replay", "--dump-dir: cannot create '%s': %s",
                          c->dump_dir, strerror(errno));
    } else if (stat(c->dump_dir, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        rc = vgt_cli_fail(VGT_EXIT_DATA, "replay",
                          "--dump-dir: cannot write into '%s': not a directory", c->dump_dir);
    } else if (access(c->dump_dir, W_OK | X_OK) != 0) {
        rc = vgt_cli_fail(VGT_EXIT_DATA, "replay", "--dump-dir: cannot write into '%s': %s",
                          c->dump_dir, strerror(errno));
    }
    if (rc != VGT_EXIT_OK) {
        free(c->dump);
        c->dump = NULL;
    }
    return rc;
}

/* The SEQs asked for that the run did not dump, as one message (false: none). */
static bool dump_missing(const replay_cli *c, const vgt_replayer_options *o, char *msg, size_t size)
{
    size_t left = c->ndump - c->dump_next;
    if (!c->dump || (c->dump_missed == 0 && left == 0)) {
        return false;
    }
    if (c->dump_missed) {
        snprintf(msg, size,
                 "--dump-at %" PRIu64 ": not a command of this trace (the replay ran commands "
                 "seq %" PRIu64 "..%" PRIu64 "); %zu SEQ(s) not dumped",
                 c->dump_missed_seq, c->first_seq, c->last_seq, c->dump_missed + left);
    } else if (o->last_frame != UINT64_MAX) {
        snprintf(msg, size,
                 "--dump-at %" PRIu64 ": after the replayed frames (their last command is seq "
                 "%" PRIu64 "); %zu SEQ(s) not dumped",
                 c->dump[c->dump_next], c->last_seq, left);
    } else {
        snprintf(msg, size,
                 "--dump-at %" PRIu64 ": past the trace's last command (seq %" PRIu64
                 "); %zu SEQ(s) not dumped",
                 c->dump[c->dump_next], c->last_seq, left);
    }
    return true;
}

/* The options that take a value, and what vgt_cmd_replay accepts for each
 * (those whose branch checks the value itself are named for a missing one). */
static const vgt_cli_value_option replay_value_options[] = {
    {"--backend", "null, soft or gl"},
    {"--frames", "A-B, A- or A"},
    {"--loop", "a count 1..1073741824"},
    {"--screenshot", "a directory"},
    {"--reference", "a directory of frame-NNNNNN.png"},
    {"--tolerance", "0..255 per channel"},
    {"--outliers", "a percentage 0..100"},
    {"--dump-at", "SEQ[,SEQ...]"},
    {"--dump-dir", "a directory"},
};

int vgt_cmd_replay(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        return usage();
    }
    const char *path = NULL;
    vgt_replayer_options o = {.backend = VGT_REPLAY_BACKEND_AS_CAPTURED, .last_frame = UINT64_MAX};
    replay_cli c = {0};
    unsigned long long loops = 1;
    bool bench = false, window = false;
    bool compare_opts = false; /* --tolerance or --outliers given */
    const char *dump_at = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        unsigned long long v;
        if (a[0] != '-') {
            if (path) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "replay", "more than one trace ('%s', '%s')",
                                    path, a);
            }
            path = a;
        } else if (strcmp(a, "--backend") == 0 && has) {
            const char *b = argv[++i];
            if (strcmp(b, "null") == 0) {
                o.backend = VGT_REPLAY_BACKEND_NULL;
            } else if (strcmp(b, "soft") == 0) {
                o.backend = VGT_REPLAY_BACKEND_SOFT;
            } else if (strcmp(b, "gl") == 0) {
                o.backend = VGT_REPLAY_BACKEND_GL;
            } else {
                return vgt_cli_fail(VGT_EXIT_USAGE, "replay",
                                    "--backend '%s': expected null, soft or gl", b);
            }
        } else if (strcmp(a, "--frames") == 0 && has) {
            if (!vgt_cli_parse_range(argv[++i], &o.first_frame, &o.last_frame)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "replay",
                                    "--frames '%s': expected A-B with A <= B, A- or A", argv[i]);
            }
        } else if (strcmp(a, "--loop") == 0 && has &&
                   vgt_cli_parse_u64(argv[i + 1], 1u << 30, &v) && v > 0) {
            loops = v;
            i++;
        } else if (strcmp(a, "--benchmark") == 0) {
            bench = true;
        } else if (strcmp(a, "--screenshot") == 0 && has) {
            c.shots = argv[++i];
        } else if (strcmp(a, "--verify") == 0) {
            o.verify = true;
        } else if (strcmp(a, "--reference") == 0 && has) {
            c.reference = argv[++i];
        } else if (strcmp(a, "--tolerance") == 0 && has &&
                   vgt_cli_parse_u64(argv[i + 1], 255, &v)) {
            c.tolerance = (uint32_t)v;
            compare_opts = true;
            i++;
        } else if (strcmp(a, "--outliers") == 0 && has) {
            char *end = NULL;
            double pct = strtod(argv[i + 1], &end);
            if (!end || *end || !(pct >= 0.0 && pct <= 100.0)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "replay",
                                    "--outliers '%s': expected a percentage 0..100", argv[i + 1]);
            }
            c.outliers_pct = pct;
            compare_opts = true;
            i++;
        } else if (strcmp(a, "--salvage") == 0) {
            o.salvage = true;
        } else if (strcmp(a, "--window") == 0) {
            window = true;
        } else if (strcmp(a, "--dump-at") == 0 && has) {
            dump_at = argv[++i];
        } else if (strcmp(a, "--dump-dir") == 0 && has) {
            c.dump_dir = argv[++i];
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            c.quiet = true;
        } else {
            return vgt_cli_bad_option("replay", argc, argv, i, replay_value_options,
                                      sizeof(replay_value_options) /
                                          sizeof(replay_value_options[0]));
        }
    }
    if (!path) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "replay", "which trace? (vgt replay FILE)");
    }
    /* without a reference they compare nothing: a user who typed them
     * believes the frames were checked (vgt diff refuses --tolerance
     * without --images the same way) */
    if (compare_opts && !c.reference) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "replay",
                            "--tolerance and --outliers are for the comparison with "
                            "--reference DIR: add it, or drop them");
    }
    if (window) {
        const char *display = getenv("DISPLAY");
        if (!display || !*display) {
            return vgt_cli_fail(VGT_EXIT_USAGE, "replay",
                                "--window needs an X display (DISPLAY is not set); replay "
                                "headless without it");
        }
        if (o.backend != VGT_REPLAY_BACKEND_GL && o.backend != VGT_REPLAY_BACKEND_AS_CAPTURED) {
            return vgt_cli_fail(VGT_EXIT_USAGE, "replay",
                                "--window shows frames through the gl backend, not %s "
                                "(use --backend gl, or drop --window)",
                                vgt_replay_backend_name(o.backend));
        }
        o.window = true;
    }
    if (bench && c.shots) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "replay",
                            "--benchmark measures without screenshots; drop --screenshot");
    }
    if (c.shots && mkdir(c.shots, 0777) != 0 && errno != EEXIST) {
        return vgt_cli_fail(VGT_EXIT_DATA, "replay", "cannot create '%s': %s", c.shots,
                            strerror(errno));
    }
    int rc = dump_options(&c, dump_at, loops, bench);
    if (rc != VGT_EXIT_OK) {
        return rc;
    }
    o.compose = o.verify || c.shots || c.reference || !bench;
    o.on_frame = on_frame;
    o.ctx = &c;
    if (c.dump) {
        o.on_command = on_command;
    }
    vgt_error err = {0};
    vgt_replayer *r = NULL;
    vgt_status st = vgt_replayer_open(path, &o, &r, &err);
    if (st != VGT_OK) {
        free(c.dump);
        return vgt_cli_fail(st == VGT_E_UNSUPPORTED ? VGT_EXIT_USAGE : VGT_EXIT_DATA, "replay",
                            "%s", err.message);
    }
    c.r = r;
    if (window && vgt_replayer_backend(r) != VGT_REPLAY_BACKEND_GL) {
        const char *name = vgt_replay_backend_name(vgt_replayer_backend(r));
        vgt_replayer_close(r);
        free(c.dump);
        return vgt_cli_fail(VGT_EXIT_USAGE, "replay",
                            "--window shows frames through the gl backend, and this trace was "
                            "captured with %s (add --backend gl, or drop --window)",
                            name);
    }
    vgt_trace_reader *rd = vgt_replayer_reader(r);
    if (!c.quiet) {
        print_problems(rd, path);
    }
    /* A frame's hash is reproduced bit for bit only by the backend that
     * rendered it live (3D frames; soft and gl differ in edge pixels).  On
     * another backend --verify with --reference DIR verifies by the
     * reference, within its tolerance; without one, a mismatch says so. */
    const vgt_trace_device_config *dc = vgt_replayer_device_config(r);
    bool other_backend =
        (dc->flags & VGT_TRACE_DEVCFG_F_3D) && dc->backend_3d != (uint32_t)vgt_replayer_backend(r);
    const char *captured_name = vgt_backend_kind_name((vgt_backend_kind)dc->backend_3d);
    bool hash_verify = o.verify;
    if (o.verify && other_backend && c.reference) {
        hash_verify = false;
        vgt_replayer_set_verify(r, false);
        if (!c.quiet) {
            printf("verify: captured with the %s backend, replayed on %s: frames are verified "
                   "against %s (--reference), not the captured hashes\n",
                   captured_name, vgt_replay_backend_name(vgt_replayer_backend(r)), c.reference);
        }
    }
    size_t problems_before = vgt_trace_reader_problem_count(rd);
    c.frames_total = vgt_replayer_header(r)->start_frame + vgt_trace_reader_frame_count(rd);
    c.progress = !c.quiet && isatty(STDERR_FILENO);
    vgt_replay_stats total = {0}, s = {0};
    c.t0 = vgt_now_ns();
    c.last_progress_ns = c.t0;
    for (unsigned long long l = 0; l < loops && st == VGT_OK; l++) {
        st = vgt_replayer_run(r, &s, &err);
        total.commands += s.commands;
        total.frames += s.frames;
        total.frames_verified += s.frames_verified;
        total.ns += s.ns;
        total.dma_bytes += s.dma_bytes;
        total.divergences += s.divergences;
        total.chunks_skipped += s.chunks_skipped;
        if (c.failed) {
            break;
        }
    }
    if (c.progress) {
        fprintf(stderr, "\r%60s\r", "");
    }
    rc = VGT_EXIT_OK;
    char missing[512];
    if (st != VGT_OK) {
        if (st == VGT_E_NOTFOUND && s.frames == 0) {
            rc = vgt_cli_fail(VGT_EXIT_DATA, "replay", "%s", err.message);
        } else {
            char hint[320] = "";
            if (!o.salvage &&
                (st == VGT_E_CHECKSUM || st == VGT_E_FORMAT || st == VGT_E_TRUNCATED) &&
                vgt_trace_reader_problem_count(rd) > problems_before) {
                snprintf(hint, sizeof(hint), " (--salvage skips unreadable chunks)");
            } else if (st == VGT_E_CHECKSUM && other_backend) {
                snprintf(hint, sizeof(hint),
                         " (the trace was captured with the %s backend, whose frames only it "
                         "reproduces bit for bit: verify on %s against screenshots with "
                         "--reference DIR, or replay with --backend %s)",
                         captured_name, vgt_replay_backend_name(vgt_replayer_backend(r)),
                         captured_name);
            }
            rc = vgt_cli_fail(VGT_EXIT_DATA, "replay", "%s%s", err.message, hint);
        }
    } else if (c.failed) {
        rc = vgt_cli_fail(VGT_EXIT_DATA, "replay", "%s", c.failure);
    } else if (dump_missing(&c, &o, missing, sizeof(missing))) {
        rc = vgt_cli_fail(VGT_EXIT_DATA, "replay", "%s", missing);
    } else if (o.verify && total.frames_verified == 0 && c.reference_checked == 0) {
        /* A verification that compared nothing must not pass: --verify is
         * used as a gate, and a torn trace or a range without frame hashes
         * would otherwise exit 0. */
        if (total.frames == 0) {
            rc = vgt_cli_fail(VGT_EXIT_DATA, "replay",
                              "--verify: nothing was verified: no frame was replayed");
        } else {
            rc = vgt_cli_fail(VGT_EXIT_DATA, "replay",
                              "--verify: nothing was verified: none of the %" PRIu64
                              " frames replayed has a captured frame hash",
                              total.frames);
        }
    }
    if (!c.quiet && vgt_trace_reader_problem_count(rd) > problems_before) {
        size_t n = vgt_trace_reader_problem_count(rd);
        for (size_t i = problems_before; i < n && i < problems_before + 20; i++) {
            const vgt_trace_problem *p = vgt_trace_reader_problem(rd, i);
            fprintf(stderr, "vgt replay: %s chunk %" PRIu64 " at offset %" PRIu64 ": %s\n",
                    o.salvage ? "skipped" : "stopped at", p->chunk, p->offset, p->message);
        }
    }
    if (!c.quiet && (rc == VGT_EXIT_OK || total.frames > 0)) {
        printf("replay: %s (%s backend): ", path, vgt_replay_backend_name(vgt_replayer_backend(r)));
        if (s.frames) {
            printf("guest frames %" PRIu64 "..%" PRIu64 ", ", s.first_frame, s.last_frame);
        }
        printf("%" PRIu64 " frames, %" PRIu64 " commands", total.frames, total.commands);
        if (loops > 1) {
            printf(", %llu loops", loops);
        }
        if (hash_verify) {
            printf(", %" PRIu64 " frames verified", total.frames_verified);
        }
        if (c.reference) {
            printf(", %" PRIu64 " frames equal to %s", c.reference_checked, c.reference);
        }
        if (c.shots) {
            printf(", %" PRIu64 " screenshots in %s", c.shots_saved, c.shots);
        }
        if (c.dump) {
            printf(", %zu state dumps in %s", c.dumps_done, c.dump_dir);
        }
        if (total.chunks_skipped) {
            printf(", %" PRIu64 " chunks skipped, %" PRIu64 " divergences after them",
                   total.chunks_skipped, total.divergences);
        }
        printf(", %.3f s\n", (double)total.ns / 1e9);
    }
    if (bench && total.ns > 0) {
        double secs = (double)total.ns / 1e9;
        printf("benchmark: %.1f frames/s, %.0f commands/s, %.1f MiB/s of guest memory data "
               "(%" PRIu64 " frames, %" PRIu64 " commands, %.3f s)\n",
               (double)total.frames / secs, (double)total.commands / secs,
               (double)total.dma_bytes / 1048576.0 / secs, total.frames, total.commands, secs);
    }
    if (rc == VGT_EXIT_OK && o.salvage && total.chunks_skipped) {
        rc = VGT_EXIT_DATA; /* replayed what was readable, but the trace is damaged */
    }
    vgt_replayer_close(r);
    free(c.dump);
    return rc;
}
