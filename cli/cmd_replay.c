/* vgt replay FILE: re-executes a captured trace through the same decoder and
 * executor the device used live (replay/vgt_replayer.h). */
#include "vgt_cli.h"
#include "vgt_replay.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int usage(void)
{
    printf("usage: vgt replay FILE [--backend null|soft|gl] [--frames A-B] [--loop N]\n"
           "                  [--benchmark] [--screenshot DIR] [--verify]\n"
           "                  [--reference DIR [--tolerance T] [--outliers PCT]] [--salvage]\n"
           "                  [--window] [--dump-at SEQ[,SEQ...] --dump-dir DIR] [--json] [-q]\n\n"
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
           "                    numbers, the same names as vgt run --screenshot; with --loop,\n"
           "                    the first loop's)\n"
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
           "  --json            the outcome as one JSON object on stdout, failures included\n"
           "                    (frames, commands, timings, verify, reference, screenshots,\n"
           "                    problems, device errors, exit, error); no progress line,\n"
           "                    no text summary; messages stay on stderr; a usage error\n"
           "                    (exit 1) prints no JSON\n"
           "  -q                no progress line, no summary (with --json: no messages on\n"
           "                    stderr but the error)\n\n"
           "Exit: 0 ok, 1 usage (or a backend this build lacks), 2 bad trace, divergence,\n"
           "verification failure, a state dump not written or a --dump-at SEQ not reached.\n");
    return VGT_EXIT_OK;
}

typedef struct replay_cli {
    const char *shots;
    const char *reference;
    uint32_t tolerance;
    double outliers_pct; /* share of pixels allowed beyond the tolerance */
    bool quiet;          /* -q: no progress, no text on stdout, no problem lines on stderr */
    bool json;           /* --json: one object on stdout instead of the text */
    bool text;           /* the text lines on stdout: neither -q nor --json */
    bool progress;
    uint64_t frames_total;
    uint64_t last_progress_ns;
    uint64_t t0;
    uint64_t shots_saved;
    uint64_t reference_checked;
    /* --json's figures of the --reference comparison: the frames compared
     * (the failing one included), the largest channel delta seen and the
     * frame with the most pixels beyond the tolerance */
    uint64_t ref_compared, ref_frames_outliers;
    uint32_t ref_worst_delta;
    uint64_t ref_worst_delta_frame;
    uint64_t ref_most_over, ref_most_over_total, ref_most_over_frame;
    /* --json: the screenshots written, as a JSON array's items (the first
     * loop writes them all) */
    FILE *shot_list;
    char *shot_buf;
    size_t shot_len;
    unsigned long long loop;
    /* the --reference comparison that failed (for --json) */
    bool ref_fail;
    uint64_t ref_fail_frame, ref_fail_seq;
    uint32_t ref_fail_cmd;
    char ref_fail_message[VGT_ERROR_MESSAGE_MAX];
    char error[9216]; /* the message of the exit status, as stderr says it */
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
    vgt_sort(v, k, sizeof(*v), cmp_u64);
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
    if (c->text) {
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
    /* --loop replays the same frames into the same names: the first loop's
     * are the files, counted once (the later loops' rewrote them and counted
     * 6 screenshots for 3 files) */
    if (c->shots && c->loop == 0) {
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
        if (c->shot_list) {
            fputs(c->shots_saved > 1 ? ", " : "", c->shot_list);
            vgt_cli_json_string(c->shot_list, path);
        }
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
        if (st == VGT_OK) {
            c->ref_compared++;
            if (c->ref_compared == 1 || d.max_channel_delta > c->ref_worst_delta) {
                c->ref_worst_delta = d.max_channel_delta;
                c->ref_worst_delta_frame = f->frame;
            }
            if (d.pixels_over > 0) {
                c->ref_frames_outliers++;
            }
            if (d.pixels_over > c->ref_most_over) {
                c->ref_most_over = d.pixels_over;
                c->ref_most_over_total = d.pixels_total;
                c->ref_most_over_frame = f->frame;
            }
        }
        bool within = st == VGT_OK &&
                      (double)d.pixels_over * 100.0 <= c->outliers_pct * (double)d.pixels_total;
        if (!within) {
            if (st == VGT_OK) {
                /* %g's 6 digits: the allowance as typed, and the frame's
                 * share beside it (3 digits printed 1.0052 as 1.01, above
                 * the 1.00521% that failed it) */
                snprintf(err.message, sizeof(err.message),
                         "%" PRIu64 " of %" PRIu64
                         " pixel%s differ%s by more than %u (%g%%; max %u; %g%% allowed)",
                         d.pixels_over, d.pixels_total, vgt_plural(d.pixels_total),
                         vgt_verb_s(d.pixels_over, d.pixels_total), c->tolerance,
                         (double)d.pixels_over * 100.0 / (double)d.pixels_total,
                         d.max_channel_delta, c->outliers_pct);
            }
            c->ref_fail = true;
            c->ref_fail_frame = f->frame;
            c->ref_fail_seq = f->last_seq;
            c->ref_fail_cmd = f->last_cmd_id;
            snprintf(c->ref_fail_message, sizeof(c->ref_fail_message), "%s", err.message);
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

/* vgt_cli_fail that also keeps the message for --json's "error". */
static int fail(replay_cli *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(replay_cli *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->error, sizeof(c->error), fmt, ap);
    va_end(ap);
    return vgt_cli_fail(code, "replay", "%s", c->error);
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
        rc = fail(c, VGT_EXIT_DATA, "--dump-dir: cannot create '%s': %s", c->dump_dir,
                  strerror(errno));
    } else if (stat(c->dump_dir, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        rc = fail(c, VGT_EXIT_DATA, "--dump-dir: cannot write into '%s': not a directory",
                  c->dump_dir);
    } else if (access(c->dump_dir, W_OK | X_OK) != 0) {
        rc = fail(c, VGT_EXIT_DATA, "--dump-dir: cannot write into '%s': %s", c->dump_dir,
                  strerror(errno));
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

/* ---- --json ---------------------------------------------------------------------- */

/* The figures of one loop, for --json's "per_loop" (the first PER_LOOP_MAX). */
typedef struct loop_figures {
    uint64_t frames, commands, ns;
} loop_figures;
#define PER_LOOP_MAX 1000

/* The run as vgt_cmd_replay saw it: what the text summary and --json say
 * besides replay_cli's figures. */
typedef struct replay_run {
    const char *path;
    vgt_replayer_options *o;
    vgt_replayer *r; /* NULL: the trace did not open */
    unsigned long long loops;
    bool bench, window, hash_verify;
    vgt_replay_stats total, last; /* all loops added up; the last loop */
    vgt_replay_mismatch mismatch; /* the first frame that differed (.valid) */
    bool failed_any;              /* a command failed: failed_in says the first */
    vgt_replay_stats failed_in;   /* the loop that had the first device error */
    loop_figures *per_loop;       /* the first PER_LOOP_MAX loops */
    size_t nper_loop;
    uint64_t loop_ns_min, loop_ns_max; /* over all loops */
    uint64_t cpu_ns;                   /* the process's CPU time over the loops */
    int rc;
} replay_run;

/* A double as JSON: not finite is null (JSON has no NaN). */
static void json_double(double v)
{
    if (isfinite(v)) {
        printf("%.9g", v);
    } else {
        printf("null");
    }
}

static void json_hash(bool display, uint64_t hash, uint32_t w, uint32_t h)
{
    if (display) {
        printf("{\"hash\": \"%016" PRIx64 "\", \"width\": %u, \"height\": %u}", hash, w, h);
    } else {
        printf("null");
    }
}

static void json_command_at(uint64_t seq, uint32_t id)
{
    printf("\"last_seq\": %" PRIu64 ", \"last_command\": ", seq);
    if (id) {
        vgt_cli_json_string(stdout, vgt_cmd_name(id));
    } else {
        printf("null");
    }
}

/* The first frame --reference refused: {"frame", "last_seq",
 * "last_command", "message"}. */
static void json_reference_failure(const replay_cli *c)
{
    printf("{\"frame\": %" PRIu64 ", ", c->ref_fail_frame);
    json_command_at(c->ref_fail_seq, c->ref_fail_cmd);
    printf(", \"message\": ");
    vgt_cli_json_string(stdout, c->ref_fail_message);
    printf("}");
}

/* The replay's outcome as one object on stdout (docs/cli.md "vgt replay --json"). */
static void print_json(replay_cli *c, const replay_run *x)
{
    const vgt_replay_stats *t = &x->total, *s = &x->last;
    printf("{\n  \"file\": ");
    vgt_cli_json_string(stdout, x->path);
    printf(",\n  \"backend\": ");
    if (x->r) {
        vgt_cli_json_string(stdout, vgt_replay_backend_name(vgt_replayer_backend(x->r)));
    } else if (x->o->backend != VGT_REPLAY_BACKEND_AS_CAPTURED) {
        vgt_cli_json_string(stdout, vgt_replay_backend_name(x->o->backend));
    } else {
        printf("null");
    }
    printf(",\n  \"range\": {\"first\": %" PRIu64 ", \"last\": ", x->o->first_frame);
    if (x->o->last_frame == UINT64_MAX) {
        printf("null}");
    } else {
        printf("%" PRIu64 "}", x->o->last_frame);
    }
    printf(",\n  \"guest_frames\": ");
    if (s->frames) {
        printf("{\"first\": %" PRIu64 ", \"last\": %" PRIu64 "}", s->first_frame, s->last_frame);
    } else {
        printf("null");
    }
    printf(",\n  \"frames\": %" PRIu64 ", \"commands\": %" PRIu64 ", \"loops\": %llu", t->frames,
           t->commands, x->loops);
    printf(",\n  \"wall_s\": ");
    json_double((double)t->ns / 1e9);
    if (x->loops > 1) {
        printf(",\n  \"loop_wall_s\": {\"min\": ");
        json_double((double)(x->loop_ns_min == UINT64_MAX ? 0 : x->loop_ns_min) / 1e9);
        printf(", \"max\": ");
        json_double((double)x->loop_ns_max / 1e9);
        printf("},\n  \"per_loop\": [");
        for (size_t i = 0; i < x->nper_loop; i++) {
            printf("%s{\"frames\": %" PRIu64 ", \"commands\": %" PRIu64 ", \"wall_s\": ",
                   i ? ", " : "", x->per_loop[i].frames, x->per_loop[i].commands);
            json_double((double)x->per_loop[i].ns / 1e9);
            printf("}");
        }
        printf("]");
    }
    printf(",\n  \"benchmark\": ");
    if (x->bench && t->ns > 0) {
        double secs = (double)t->ns / 1e9;
        printf("{\"frames_per_s\": ");
        json_double((double)t->frames / secs);
        printf(", \"commands_per_s\": ");
        json_double((double)t->commands / secs);
        printf(", \"guest_mib_per_s\": ");
        json_double((double)t->dma_bytes / 1048576.0 / secs);
        printf(", \"wall_s\": ");
        json_double(secs);
        printf(", \"cpu_s\": ");
        json_double((double)x->cpu_ns / 1e9);
        printf("}");
    } else {
        printf("null");
    }
    printf(",\n  \"verify\": ");
    if (x->o->verify) {
        uint64_t verified = x->hash_verify ? t->frames_verified : c->reference_checked;
        uint64_t looked = x->hash_verify ? t->frames_verified + t->frames_differ : c->ref_compared;
        printf("{\"by\": \"%s\", \"frames_verified\": %" PRIu64 ", \"frames_skipped\": %" PRIu64
               ", \"first_mismatch\": ",
               x->hash_verify ? "hash" : "reference", verified,
               t->frames > looked ? t->frames - looked : 0);
        if (x->hash_verify && x->mismatch.valid) {
            const vgt_replay_mismatch *m = &x->mismatch;
            printf("{\"frame\": %" PRIu64 ", ", m->frame);
            json_command_at(m->last_seq, m->last_cmd_id);
            printf(", \"expected\": ");
            json_hash(m->captured_display, m->captured_hash, m->captured_width, m->captured_height);
            printf(", \"actual\": ");
            json_hash(m->replayed_display, m->replayed_hash, m->replayed_width, m->replayed_height);
            printf("}");
        } else if (!x->hash_verify && c->ref_fail) {
            json_reference_failure(c);
        } else {
            printf("null");
        }
        printf("}");
    } else {
        printf("null");
    }
    printf(",\n  \"reference\": ");
    if (c->reference) {
        printf("{\"dir\": ");
        vgt_cli_json_string(stdout, c->reference);
        printf(", \"tolerance\": %u, \"outliers_pct\": ", c->tolerance);
        json_double(c->outliers_pct);
        printf(", \"frames_compared\": %" PRIu64 ", \"frames_equal\": %" PRIu64
               ", \"frames_with_outliers\": %" PRIu64 ", \"worst_delta\": ",
               c->ref_compared, c->reference_checked, c->ref_frames_outliers);
        if (c->ref_compared) {
            printf("{\"frame\": %" PRIu64 ", \"max_channel_delta\": %u}", c->ref_worst_delta_frame,
                   c->ref_worst_delta);
        } else {
            printf("null");
        }
        printf(", \"most_outliers\": ");
        if (c->ref_most_over) {
            printf("{\"frame\": %" PRIu64 ", \"pixels\": %" PRIu64 ", \"pixels_total\": %" PRIu64
                   "}",
                   c->ref_most_over_frame, c->ref_most_over, c->ref_most_over_total);
        } else {
            printf("null");
        }
        printf(", \"first_failure\": ");
        if (c->ref_fail) {
            json_reference_failure(c);
        } else {
            printf("null");
        }
        printf("}");
    } else {
        printf("null");
    }
    printf(",\n  \"screenshots\": ");
    if (c->shots) {
        printf("{\"dir\": ");
        vgt_cli_json_string(stdout, c->shots);
        printf(", \"written\": %" PRIu64 ", \"files\": [", c->shots_saved);
        if (c->shot_list && fflush(c->shot_list) == 0 && c->shot_buf) {
            fwrite(c->shot_buf, 1, c->shot_len, stdout);
        }
        printf("]}");
    } else {
        printf("null");
    }
    printf(",\n  \"dumps\": ");
    if (c->dump_dir) {
        printf("{\"dir\": ");
        vgt_cli_json_string(stdout, c->dump_dir);
        printf(", \"written\": %zu}", c->dumps_done);
    } else {
        printf("null");
    }
    printf(",\n  \"chunks_skipped\": %" PRIu64 ", \"divergences\": %" PRIu64 ", \"problems\": [",
           t->chunks_skipped, t->divergences);
    vgt_trace_reader *rd = x->r ? vgt_replayer_reader(x->r) : NULL;
    size_t np = rd ? vgt_trace_reader_problems_listed(rd) : 0; /* those kept whole */
    for (size_t i = 0; i < np; i++) {
        const vgt_trace_problem *p = vgt_trace_reader_problem(rd, i);
        printf("%s\n    {\"chunk\": ", i ? "," : "");
        if (p->chunk == UINT64_MAX) {
            printf("null");
        } else {
            printf("%" PRIu64, p->chunk);
        }
        printf(", \"offset\": %" PRIu64 ", \"message\": ", p->offset);
        vgt_cli_json_string(stdout, p->message);
        printf("}");
    }
    printf("%s]", np ? "\n  " : "");
    if (rd && vgt_cli_reader_unlisted(rd) > 0) {
        /* past the problems the reader kept whole: counted, not listed */
        printf(",\n  \"problems_not_listed\": %zu", vgt_cli_reader_unlisted(rd));
    }
    size_t lost = rd ? vgt_trace_reader_problems_lost(rd) : 0;
    if (lost) {
        /* found with no memory to record them: "problems" lacks them */
        printf(",\n  \"problems_not_recorded\": %zu", lost);
    }
    printf(",\n  \"device_errors\": {\"count\": %" PRIu64 ", \"first\": ", t->commands_failed);
    if (x->failed_any) {
        const vgt_replay_stats *f = &x->failed_in;
        printf("{\"seq\": %" PRIu64 ", \"command\": ", f->first_failed_seq);
        vgt_cli_json_string(stdout, vgt_cmd_name(f->first_failed_id));
        printf(", \"message\": ");
        vgt_cli_json_string(stdout, f->first_failed_message);
        printf("}");
    } else {
        printf("null");
    }
    printf("},\n  \"exit\": %d, \"error\": ", x->rc);
    if (x->rc != VGT_EXIT_OK && c->error[0]) {
        vgt_cli_json_string(stdout, c->error);
    } else {
        printf("null");
    }
    printf("\n}\n");
}

/* The process's CPU time, all threads (0 when the clock is missing). */
static uint64_t cpu_now_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) {
        return 0;
    }
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Opens and replays the trace (x->loops times), prints the text summary
 * (unless -q or --json) and returns the exit status; x->r stays open for
 * --json's report (closed by the caller). */
static int replay_trace(replay_cli *c, replay_run *x)
{
    vgt_replayer_options *o = x->o;
    const char *path = x->path;
    o->compose = o->verify || c->shots || c->reference || !x->bench;
    o->on_frame = on_frame;
    o->ctx = c;
    if (c->dump) {
        o->on_command = on_command;
    }
    vgt_error err = {0};
    vgt_status st = vgt_replayer_open(path, o, &x->r, &err);
    if (st != VGT_OK) {
        x->r = NULL;
        return fail(c, st == VGT_E_UNSUPPORTED ? VGT_EXIT_USAGE : VGT_EXIT_DATA, "%s", err.message);
    }
    vgt_replayer *r = x->r;
    c->r = r;
    if (x->window && vgt_replayer_backend(r) != VGT_REPLAY_BACKEND_GL) {
        return fail(c, VGT_EXIT_USAGE,
                    "--window shows frames through the gl backend, and this trace was "
                    "captured with %s (add --backend gl, or drop --window)",
                    vgt_replay_backend_name(vgt_replayer_backend(r)));
    }
    vgt_trace_reader *rd = vgt_replayer_reader(r);
    /* the problems the open found are said with the read's, after it, in
     * the order of the file (vgt_cli_report_reader_problems) */
    bool warned = !c->quiet && vgt_cli_warn_incomplete("replay", rd, path, "replaying");
    /* A frame's hash is reproduced bit for bit only by the backend that
     * rendered it live (3D frames; soft and gl differ in edge pixels).  On
     * another backend --verify with --reference DIR verifies by the
     * reference, within its tolerance; without one, a mismatch says so. */
    const vgt_trace_device_config *dc = vgt_replayer_device_config(r);
    bool other_backend =
        (dc->flags & VGT_TRACE_DEVCFG_F_3D) && dc->backend_3d != (uint32_t)vgt_replayer_backend(r);
    const char *captured_name = vgt_backend_kind_name((vgt_backend_kind)dc->backend_3d);
    if (o->verify && other_backend && c->reference) {
        x->hash_verify = false;
        vgt_replayer_set_verify(r, false);
        if (c->text) {
            printf("verify: captured with the %s backend, replayed on %s: frames are verified "
                   "against %s (--reference), not the captured hashes\n",
                   captured_name, vgt_replay_backend_name(vgt_replayer_backend(r)), c->reference);
        }
    }
    c->frames_total = vgt_replayer_header(r)->start_frame + vgt_trace_reader_frame_count(rd);
    c->progress = c->text && isatty(STDERR_FILENO);
    vgt_replay_stats *total = &x->total, *s = &x->last;
    if (c->json && x->loops > 1) {
        x->per_loop =
            calloc(x->loops < PER_LOOP_MAX ? x->loops : PER_LOOP_MAX, sizeof(*x->per_loop));
        if (!x->per_loop) {
            return fail(c, VGT_EXIT_DATA, "out of memory for the figures of %llu loops", x->loops);
        }
    }
    c->t0 = vgt_now_ns();
    c->last_progress_ns = c->t0;
    uint64_t cpu0 = cpu_now_ns();
    for (unsigned long long l = 0; l < x->loops && st == VGT_OK; l++) {
        c->loop = l;
        st = vgt_replayer_run(r, s, &err);
        total->commands += s->commands;
        total->frames += s->frames;
        total->frames_verified += s->frames_verified;
        total->frames_differ += s->frames_differ;
        total->commands_failed += s->commands_failed;
        total->ns += s->ns;
        total->dma_bytes += s->dma_bytes;
        total->divergences += s->divergences;
        /* each run says the reader's whole count (vgt_trace_reader_chunks_skipped):
         * a chunk the loops skipped each time is one chunk skipped */
        total->chunks_skipped = s->chunks_skipped;
        if (s->mismatch.valid && !x->mismatch.valid) {
            x->mismatch = s->mismatch;
        }
        if (s->commands_failed && !x->failed_any) {
            x->failed_any = true;
            x->failed_in = *s;
        }
        if (x->per_loop && l < PER_LOOP_MAX) {
            x->per_loop[x->nper_loop++] = (loop_figures){s->frames, s->commands, s->ns};
        }
        x->loop_ns_min = s->ns < x->loop_ns_min ? s->ns : x->loop_ns_min;
        x->loop_ns_max = s->ns > x->loop_ns_max ? s->ns : x->loop_ns_max;
        if (c->failed) {
            break;
        }
    }
    uint64_t cpu1 = cpu_now_ns();
    x->cpu_ns = cpu1 > cpu0 ? cpu1 - cpu0 : 0;
    if (c->progress) {
        fprintf(stderr, "\r%60s\r", "");
    }
    int rc = VGT_EXIT_OK;
    char missing[512];
    if (!c->quiet) {
        vgt_cli_report_reader_problems("replay", "", rd, o->salvage, warned,
                                       st != VGT_OK ? err.message : NULL);
    }
    if (st != VGT_OK) {
        if (st == VGT_E_NOTFOUND && s->frames == 0) {
            rc = fail(c, VGT_EXIT_DATA, "%s", err.message);
        } else {
            char hint[320] = "";
            /* a damaged chunk the read met, or the one the open's walk
             * stopped at (the reader's message names it) */
            const char *salvage_hint = vgt_cli_salvage_hint(rd, o->salvage, err.message);
            if (*salvage_hint) {
                snprintf(hint, sizeof(hint), "%s", salvage_hint);
            } else if (st == VGT_E_CHECKSUM && o->verify && other_backend) {
                snprintf(hint, sizeof(hint),
                         " (the trace was captured with the %s backend, whose frames only it "
                         "reproduces bit for bit: verify on %s against screenshots with "
                         "--reference DIR, or replay with --backend %s)",
                         captured_name, vgt_replay_backend_name(vgt_replayer_backend(r)),
                         captured_name);
            }
            rc = fail(c, VGT_EXIT_DATA, "%s%s", err.message, hint);
        }
    } else if (c->failed) {
        rc = fail(c, VGT_EXIT_DATA, "%s", c->failure);
    } else if (dump_missing(c, o, missing, sizeof(missing))) {
        rc = fail(c, VGT_EXIT_DATA, "%s", missing);
    } else if (o->verify && total->frames_verified == 0 && c->reference_checked == 0) {
        /* A verification that compared nothing must not pass: --verify is
         * used as a gate, and a torn trace or a range without frame hashes
         * would otherwise exit 0. */
        if (total->frames == 0) {
            rc = fail(c, VGT_EXIT_DATA, "--verify: nothing was verified: no frame was replayed");
        } else {
            rc = fail(c, VGT_EXIT_DATA,
                      "--verify: nothing was verified: none of the %" PRIu64
                      " frames replayed has a captured frame hash",
                      total->frames);
        }
    }
    if (c->text && (rc == VGT_EXIT_OK || total->frames > 0)) {
        printf("replay: %s (%s backend): ", path, vgt_replay_backend_name(vgt_replayer_backend(r)));
        if (s->frames) {
            printf("guest frames %" PRIu64 "..%" PRIu64 ", ", s->first_frame, s->last_frame);
        }
        printf("%" PRIu64 " frame%s, %" PRIu64 " command%s", total->frames,
               vgt_plural(total->frames), total->commands, vgt_plural(total->commands));
        if (x->loops > 1) {
            printf(", %llu loops", x->loops);
        }
        if (x->hash_verify) {
            printf(", %" PRIu64 " frame%s verified", total->frames_verified,
                   vgt_plural(total->frames_verified));
        }
        if (c->reference) {
            printf(", %" PRIu64 " frame%s equal to %s", c->reference_checked,
                   vgt_plural(c->reference_checked), c->reference);
        }
        if (c->shots) {
            printf(", %" PRIu64 " screenshot%s in %s", c->shots_saved, vgt_plural(c->shots_saved),
                   c->shots);
        }
        if (c->dump) {
            printf(", %zu state dump%s in %s", c->dumps_done, vgt_plural(c->dumps_done),
                   c->dump_dir);
        }
        if (total->chunks_skipped) {
            printf(", %" PRIu64 " chunk%s skipped, %" PRIu64 " divergence%s after %s",
                   total->chunks_skipped, vgt_plural(total->chunks_skipped), total->divergences,
                   vgt_plural(total->divergences), total->chunks_skipped == 1 ? "it" : "them");
        }
        /* the digits the benchmark line gives the same seconds: %.3f said
         * 0.000 s of a short replay --benchmark gave 4 significant digits */
        printf(", %.*f s\n", vgt_cli_seconds_decimals(total->ns), (double)total->ns / 1e9);
    }
    if (!c->json && x->bench && total->ns > 0) {
        double secs = (double)total->ns / 1e9;
        printf("benchmark: %.1f frames/s, %.0f commands/s, %.1f MiB/s of guest memory data "
               "(%" PRIu64 " frame%s, %" PRIu64 " command%s, %.*f s)\n",
               (double)total->frames / secs, (double)total->commands / secs,
               (double)total->dma_bytes / 1048576.0 / secs, total->frames,
               vgt_plural(total->frames), total->commands, vgt_plural(total->commands),
               vgt_cli_seconds_decimals(total->ns), secs);
    }
    if (rc == VGT_EXIT_OK && o->salvage && total->chunks_skipped) {
        /* replayed what was readable, but the trace is damaged; stderr said
         * which chunks, --json's "error" says so in one line */
        snprintf(c->error, sizeof(c->error),
                 "%" PRIu64 " damaged chunk%s skipped (--salvage): the trace is damaged",
                 total->chunks_skipped, vgt_plural(total->chunks_skipped));
        rc = VGT_EXIT_DATA;
    }
    size_t lost = vgt_trace_reader_problems_lost(rd);
    if (rc == VGT_EXIT_OK && lost) {
        /* problems found with no memory to record them may be chunks the
         * read skipped: what was replayed is not known to be the whole
         * trace (stderr's integrity line said them) */
        char words[256];
        vgt_cli_integrity_words(words, sizeof(words), vgt_trace_reader_problem_count(rd), lost,
                                false);
        snprintf(c->error, sizeof(c->error), "integrity: %s: the trace is damaged", words);
        rc = VGT_EXIT_DATA;
    }
    return rc;
}

/* --outliers' percentage: plain decimal, digits with at most one point
 * between digits ("5", "0.5", "100.0"), 0..100 (strtod took "0x10" as
 * 16, "1e1" as 10 and " 5" as 5; "inf" and "nan" failed the range check
 * with a message that did not say why).
 * Returns NULL, or what is wrong with text. */
static const char *parse_percentage(const char *text, double *out)
{
    const char *s = text;
    size_t whole = 0, fraction = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        whole++;
    }
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++) {
            fraction++;
        }
        if (fraction == 0) {
            return "no digit after the point";
        }
    }
    if (whole == 0 || *s != '\0') {
        return "not a plain decimal number";
    }
    double v = strtod(text, NULL);
    if (v > 100.0) {
        return "over 100";
    }
    *out = v;
    return NULL;
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
            int rc = vgt_cli_range_option("replay", "--frames", argv[++i], &o.first_frame,
                                          &o.last_frame);
            if (rc != VGT_EXIT_OK) {
                return rc;
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
            double pct;
            const char *wrong = parse_percentage(argv[i + 1], &pct);
            if (wrong) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "replay",
                                    "--outliers '%s': %s: expected a percentage 0..100 in plain "
                                    "decimal (5, 0.5, 100)",
                                    argv[i + 1], wrong);
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
        } else if (strcmp(a, "--json") == 0) {
            c.json = true;
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
    /* From here on every outcome is a replay's (not the arguments'): --json
     * reports it, failures included; exit 1 (usage, a backend this build
     * lacks) stays a message on stderr only (docs/cli.md). */
    c.text = !c.quiet && !c.json;
    replay_run x = {.path = path,
                    .o = &o,
                    .loops = loops,
                    .bench = bench,
                    .window = window,
                    .hash_verify = o.verify,
                    .loop_ns_min = UINT64_MAX};
    int rc = VGT_EXIT_OK;
    if (c.json && c.shots) {
        c.shot_list = open_memstream(&c.shot_buf, &c.shot_len);
        if (!c.shot_list) {
            rc = fail(&c, VGT_EXIT_DATA, "out of memory for the list of screenshots");
        }
    }
    char why[128];
    if (rc == VGT_EXIT_OK && c.shots && !vgt_cli_make_dir(c.shots, why, sizeof(why))) {
        rc = fail(&c, VGT_EXIT_DATA, "--screenshot: cannot write into '%s': %s", c.shots, why);
    }
    if (rc == VGT_EXIT_OK) {
        rc = dump_options(&c, dump_at, loops, bench);
    }
    if (rc == VGT_EXIT_OK) {
        rc = replay_trace(&c, &x);
    }
    x.rc = rc;
    if (c.json && rc != VGT_EXIT_USAGE) {
        print_json(&c, &x);
    }
    if (x.r) {
        vgt_replayer_close(x.r);
    }
    if (c.shot_list) {
        fclose(c.shot_list);
    }
    free(c.shot_buf);
    free(x.per_loop);
    free(c.dump);
    return rc;
}
