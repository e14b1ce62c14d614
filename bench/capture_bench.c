/* capture_bench.c - `vgt bench capture` and `vgt bench replay`.
 *
 * capture: the same sample, same frames, in the same process: (a) plain,
 * (b) with a frame tap that only receives the composed display (what any
 * frame consumer, e.g. --screenshot, makes the device do), (c) with capture
 * to a trace file.  The three run in turn, `--runs` times; the figure is
 * the ratio of the medians, (c)/(a), with a bootstrap interval; (c)/(b) is
 * the capture's own cost.
 *
 * replay: reads every record of a trace (decompression only: the reference),
 * then replays it on the null backend, state only (what --benchmark does) and
 * with compose + hash of every frame (what --verify does). */
#include "capture_bench.h"
#include "bench_args.h"

#include "vgt_capture.h"
#include "vgt_format.h"
#include "vgt_replay.h"
#include "vgt_samples.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Up to 2000 runs of each mode: 1000 runs of draw-calls (~4 minutes) put
 * the ratio's 95% interval within a few hundredths on a noisy host (100
 * runs leave it 0.15-0.3 wide on this project's 2-CPU VMs). */
#define BENCH_MAX_RUNS 2000u
/* The fewest runs a 95% interval is printed for: the bootstrap of n runs
 * cannot reach beyond their range, and the range of n runs holds the
 * median with probability 1 - 2/2^n (94% at 5, 75% at 3, none at 1). */
#define BENCH_MIN_INTERVAL_RUNS 5u

typedef struct bench_opts {
    const char *sample;
    uint32_t frames;
    uint32_t runs;
    const char *out;   /* trace file (capture) */
    const char *trace; /* replay: an existing trace */
    /* the first option given that shapes the run or the capture (--sample,
     * --frames, --count, --level, --chunk, --out): a replay of --trace has
     * neither, and took them silently */
    const char *capture_opt;
    uint32_t count;     /* draw-calls: draws per frame (0: the sample's default) */
    int level;          /* capture: zstd level (INT_MIN: the capture's default) */
    uint32_t chunk_kib; /* capture: chunk size (0: the capture's default) */
} bench_opts;

static bool parse_u32(const char *s, uint32_t max, uint32_t *out)
{
    unsigned long v;
    if (!bench_parse_ulong(s, 1, max, &v)) {
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

static int parse(int argc, char **argv, bench_opts *o, const char *name)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        static const char *const shaping[] = {"--sample", "--frames", "--count",
                                              "--level",  "--chunk",  "--out"};
        for (size_t k = 0; k < sizeof(shaping) / sizeof(shaping[0]) && !o->capture_opt; k++) {
            o->capture_opt = strcmp(a, shaping[k]) == 0 ? shaping[k] : NULL;
        }
        if (strcmp(a, "--sample") == 0 && has) {
            o->sample = argv[++i];
            /* a misspelt name is the command line's fault (exit 1, as vgt
             * run says it), not a failed run's */
            if (!vgt_sample_find(o->sample)) {
                fprintf(stderr, "vgt bench: %s: unknown sample '%s' (vgt samples lists them)\n",
                        name, o->sample);
                return 1;
            }
        } else if (strcmp(a, "--frames") == 0 && has &&
                   parse_u32(argv[i + 1], 10000000, &o->frames)) {
            i++;
        } else if (strcmp(a, "--runs") == 0 && has &&
                   parse_u32(argv[i + 1], BENCH_MAX_RUNS, &o->runs)) {
            i++;
        } else if (strcmp(a, "--count") == 0 && has && parse_u32(argv[i + 1], 100000, &o->count)) {
            i++;
        } else if (strcmp(a, "--level") == 0 && has) {
            if (!vgt_capture_parse_level(argv[++i], &o->level)) {
                fprintf(stderr, "vgt bench: %s: --level takes %d..%d\n", name,
                        VGT_CAPTURE_LEVEL_MIN, VGT_CAPTURE_LEVEL_MAX);
                return 1;
            }
        } else if (strcmp(a, "--chunk") == 0 && has &&
                   parse_u32(argv[i + 1], VGT_TRACE_MAX_CHUNK_SIZE / 1024u, &o->chunk_kib)) {
            i++;
        } else if (strcmp(a, "--out") == 0 && has) {
            o->out = argv[++i];
        } else if (strcmp(a, "--trace") == 0 && has) {
            o->trace = argv[++i];
        } else {
            fprintf(stderr, "vgt bench: %s: bad argument '%s' (see vgt bench --help)\n", name, a);
            return 1;
        }
    }
    return 0;
}

/* ---- running a sample ------------------------------------------------------------- */

static void frame_sink(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    (void)seq;
    (void)display;
    *(uint64_t *)ctx = frame;
}

typedef enum run_mode { RUN_PLAIN, RUN_FRAME_TAP, RUN_CAPTURE } run_mode;

typedef struct run_out {
    double secs;
    uint64_t frames, commands, errors;
    /* CPU time of the guest thread, the FIFO thread and the compression
     * thread(s) (0 without capture) */
    double guest_cpu, fifo_cpu, compress_cpu;
    double busy_frame; /* the device's busy time a frame, s (vgt_device_stats.busy_ns) */
    double end_secs;   /* from the guest's end to the file's completion (teardown, close) */
    vgt_capture_stats cap;
} run_out;

static vgt_status run_sample(const bench_opts *o, run_mode mode, run_out *out, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 128u << 20;
    uint64_t last_frame = 0;
    if (mode == RUN_FRAME_TAP) {
        cfg.device.taps.ctx = &last_frame;
        cfg.device.taps.frame_end = frame_sink;
    }
    const vgt_sample_info *s = vgt_sample_find(o->sample);
    if (!s) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "no sample '%s'", o->sample);
    }
    /* 3D samples run on the null backend: the figure is the device's and the
     * capture's own cost, not rendering */
    cfg.device.enable_3d = true;
    cfg.device.backend_3d = VGT_BACKEND_NULL;
    vgt_capture *cap = NULL;
    vgt_status st;
    if (mode == RUN_CAPTURE) {
        vgt_capture_settings cs;
        vgt_capture_settings_init(&cs);
        cs.path = o->out;
        if (o->level != INT_MIN) {
            cs.compression_level = o->level;
        }
        if (o->chunk_kib) {
            cs.chunk_size = o->chunk_kib * 1024u;
        }
        if ((st = vgt_capture_create(&cs, &cap, err)) != VGT_OK) {
            return st;
        }
        vgt_capture_install(cap, &cfg.device);
    }
    vgt_vm *vm = NULL;
    if ((st = vgt_vm_create(&cfg, &vm, err)) != VGT_OK) {
        vgt_capture_close(cap, NULL, NULL);
        return st;
    }
    if (cap && (st = vgt_capture_attach(cap, vgt_vm_device(vm), err)) != VGT_OK) {
        vgt_vm_destroy(vm);
        vgt_capture_close(cap, NULL, NULL);
        return st;
    }
    vgt_sample_run ga = {
        s, {.frames = o->frames, .count = o->count, .quiet = true, .backend = "null"}};
    int code = 0;
    uint64_t t0 = vgt_now_ns();
    st = vgt_vm_run(vm, vgt_sample_guest, &ga, &code, err);
    uint64_t t_end = vgt_now_ns();
    vgt_device_stats ds;
    vgt_device_get_stats(vgt_vm_device(vm), &ds);
    uint64_t guest_cpu_ns = vgt_vm_guest_cpu_ns(vm);
    vgt_capture_detach(cap);
    vgt_vm_destroy(vm);
    vgt_status cst = cap ? vgt_capture_close(cap, &out->cap, err) : VGT_OK;
    /* the capture is finished when its file is complete: time it in */
    uint64_t t1 = vgt_now_ns();
    out->secs = (double)(t1 - t0) / 1e9;
    out->end_secs = (double)(t1 - t_end) / 1e9;
    out->frames = ds.frames;
    out->commands = ds.commands;
    out->errors = ds.errors;
    out->guest_cpu = (double)guest_cpu_ns / 1e9;
    out->fifo_cpu = (double)ds.fifo_cpu_ns / 1e9;
    out->busy_frame = ds.frames ? (double)ds.busy_ns / 1e9 / (double)ds.frames : 0;
    out->compress_cpu = (double)out->cap.compress_cpu_ns / 1e9;
    if (st == VGT_OK && code != 0) {
        st = vgt_error_set(err, VGT_E_STATE, "sample %s exited with %d", o->sample, code);
    }
    return st != VGT_OK ? st : cst;
}

/* A 95% interval for the ratio of the medians (capture / plain), by
 * bootstrap over this invocation's runs: the runs (each a plain and a
 * captured run made in turn) resampled with replacement 1000 times, the
 * 2.5th and 97.5th percentiles of the resampled ratios.  It says whether
 * the runs decide the target; it cannot see what changes between
 * invocations (the host's other load), which moved the ratio by ~0.05. */
static void ratio_interval(const double *plain, const double *cap, uint32_t runs, double *lo,
                           double *hi)
{
    enum { RESAMPLES = 1000 };
    double est[RESAMPLES];                       /* 8 KB */
    double a[BENCH_MAX_RUNS], b[BENCH_MAX_RUNS]; /* 16 KB each */
    uint64_t x = 0x9E3779B97F4A7C15ull;          /* fixed: the same runs give the same interval */
    for (uint32_t i = 0; i < RESAMPLES; i++) {
        for (uint32_t r = 0; r < runs; r++) {
            x ^= x << 13; /* xorshift64 */
            x ^= x >> 7;
            x ^= x << 17;
            uint32_t k = (uint32_t)(x % runs);
            a[r] = plain[k];
            b[r] = cap[k];
        }
        double pm = vgt_sort_median(a, runs);
        est[i] = pm > 0 ? vgt_sort_median(b, runs) / pm : 0;
    }
    vgt_sort_median(est, RESAMPLES);
    *lo = est[RESAMPLES / 40];
    *hi = est[RESAMPLES - 1 - RESAMPLES / 40];
}

int vgt_bench_capture_main(int argc, char **argv)
{
    char tmp[256];
    snprintf(tmp, sizeof(tmp), "/tmp/vgt-bench-capture-%d.vgt", (int)getpid());
    /* The figure is draw-calls (many small commands: the capture's
     * per-command cost); 2d-demo and cube follow as extra lines.  A run is
     * short (~0.1 s) and its wall time varies by tens of percent on a
     * shared 2-CPU machine, so the figure is the ratio of the medians of
     * many runs of each mode, in turn (a best-of ratio flattered capture;
     * 21 runs moved by +-0.1 between invocations, 100 by +-0.03). */
    bench_opts o = {
        .sample = "draw-calls", .frames = 2000, .runs = 51, .out = tmp, .level = INT_MIN};
    if (parse(argc, argv, &o, "capture") != 0) {
        return 1;
    }
    if (o.trace) {
        fprintf(stderr, "vgt bench: capture: --trace is vgt bench replay's (capture runs a "
                        "sample: --sample)\n");
        return 1;
    }
    bench_print_banner();
    const char *samples[3] = {o.sample, NULL, NULL};
    bool explicit_sample = false, explicit_runs = false;
    for (int i = 1; i < argc; i++) {
        explicit_sample |= strcmp(argv[i], "--sample") == 0;
        explicit_runs |= strcmp(argv[i], "--runs") == 0;
    }
    if (!explicit_sample) {
        samples[1] = "2d-demo";
        samples[2] = "cube";
    }
    int rc = 0;
    for (int k = 0; k < 3 && samples[k]; k++) {
        o.sample = samples[k];
        uint32_t runs = k > 0 && !explicit_runs ? 5u : o.runs; /* the extra lines: fewer */
        /* per mode and run; capture/plain per run; per mode: guest, FIFO,
         * compression CPU per run (250 KB: static, one invocation at a time) */
        static double secs[3][BENCH_MAX_RUNS], ratio[BENCH_MAX_RUNS];
        static double cpu[3][3][BENCH_MAX_RUNS], busy[3][BENCH_MAX_RUNS], end[3][BENCH_MAX_RUNS];
        run_out last[3];
        vgt_error err = {0};
        for (uint32_t r = 0; r < runs; r++) {
            for (int m = 0; m < 3; m++) {
                if (run_sample(&o, (run_mode)m, &last[m], &err) != VGT_OK) {
                    fprintf(stderr, "vgt bench: capture: %s: %s\n", o.sample, err.message);
                    unlink(o.out);
                    return 2;
                }
                secs[m][r] = last[m].secs;
                cpu[m][0][r] = last[m].guest_cpu;
                cpu[m][1][r] = last[m].fifo_cpu;
                busy[m][r] = last[m].busy_frame;
                end[m][r] = last[m].end_secs;
                cpu[m][2][r] = last[m].compress_cpu;
            }
            ratio[r] = secs[0][r] > 0 ? secs[2][r] / secs[0][r] : 0;
        }
        double ratio_lo, ratio_hi;
        ratio_interval(secs[0], secs[2], runs, &ratio_lo, &ratio_hi); /* before the sorts */
        double ratio_median = vgt_sort_median(ratio, runs);
        double med[3];
        for (int m = 0; m < 3; m++) {
            med[m] = vgt_sort_median(secs[m], runs); /* sorted: secs[m][0] is the best */
        }
        const vgt_capture_stats *c = &last[2].cap;
        printf("capture: %s, %" PRIu64 " frame%s, %" PRIu64 " command%s, null backend (%u run%s of "
               "each mode, in turn)\n",
               o.sample, last[0].frames, vgt_plural(last[0].frames), last[0].commands,
               vgt_plural(last[0].commands), runs, vgt_plural(runs));
        static const char *const mode_name[3] = {"plain run", "with a frame tap", "with capture"};
        for (int m = 0; m < 3; m++) {
            printf("  %-22s median %7.4f s  best %7.4f s  %8.0f frames/s%s\n", mode_name[m], med[m],
                   secs[m][0], (double)last[m].frames / med[m],
                   m == 1 ? "   (the device composes every frame: any frame consumer pays this)"
                          : "");
        }
        printf("  capture / plain        %6.3f   (medians; target <= 1.10)  best-of %.3f, per "
               "run: median %.3f, %.3f-%.3f\n",
               med[2] / med[0], secs[2][0] / secs[0][0], ratio_median, ratio[0], ratio[runs - 1]);
        if (runs < BENCH_MIN_INTERVAL_RUNS) {
            /* one run's "interval" was a point that called the target met
             * or not met; three runs' covered the median 75% of the time */
            printf(
                "  95%% interval           none: %u run%s, it needs %u or more: target undecided "
                "(more runs)\n",
                runs, vgt_plural(runs), BENCH_MIN_INTERVAL_RUNS);
        } else {
            printf("  95%% interval           %.3f-%.3f (bootstrap over these runs): target %s\n",
                   ratio_lo, ratio_hi,
                   ratio_hi <= 1.10  ? "met"
                   : ratio_lo > 1.10 ? "not met"
                                     : "undecided (more runs)");
        }
        printf("  capture / frame tap    %6.3f   (the capture's own cost)\n", med[2] / med[1]);
        /* Where the time goes: the FIFO thread watches for the next
         * command rather than sleep (its CPU is ~its wall time), and the
         * compressor shares the other CPU with the guest. */
        printf("  CPU a run (medians)    plain: guest %.1f ms, FIFO thread %.1f ms;  with capture: "
               "guest %.1f ms, FIFO thread %.1f ms, compression %.1f ms\n",
               vgt_sort_median(cpu[0][0], runs) * 1e3, vgt_sort_median(cpu[0][1], runs) * 1e3,
               vgt_sort_median(cpu[2][0], runs) * 1e3, vgt_sort_median(cpu[2][1], runs) * 1e3,
               vgt_sort_median(cpu[2][2], runs) * 1e3);
        /* The device's own time in a frame, apart from its waits for the
         * guest: where the capture's own cost shows with less of the host's
         * noise.  The rest of a frame is mostly the guest's wakeup through
         * the hypervisor (~60% of a draw-calls frame); a busy second vCPU
         * (the compressor's) shortens it and lengthens the device's time
         * (docs/performance.md, twelfth round), so both are printed. */
        double busy_us[3], rest_us[3];
        for (int m = 0; m < 3; m++) {
            double frames = last[m].frames ? (double)last[m].frames : 1.0;
            busy_us[m] = vgt_sort_median(busy[m], runs) * 1e6;
            rest_us[m] = med[m] / frames * 1e6 - busy_us[m];
        }
        printf("  device busy a frame    plain %.2f us, frame tap %.2f us, capture %.2f us "
               "(medians; the FIFO thread executing commands and the taps they run)\n",
               busy_us[0], busy_us[1], busy_us[2]);
        printf("  rest of a frame        plain %.2f us, frame tap %.2f us, capture %.2f us "
               "(median wall time a frame - device busy: the guest's wakeup, mostly)\n",
               rest_us[0], rest_us[1], rest_us[2]);
        /* Fixed costs a run pays once, which a short run shows most: the
         * capture's close (its last chunk compressed, the file completed)
         * counts in the captured run's wall time. */
        printf("  end of a run           plain %.2f ms, frame tap %.2f ms, capture %.2f ms "
               "(medians; after the guest's last frame: the device's teardown and the "
               "capture's close)\n",
               vgt_sort_median(end[0], runs) * 1e3, vgt_sort_median(end[1], runs) * 1e3,
               vgt_sort_median(end[2], runs) * 1e3);
        printf("  trace: %.1f MiB on disk, %.1f MiB uncompressed, %" PRIu64
               " records, writer waits %" PRIu64 " (%.1f ms)%s\n"
               "  compression thread: %.1f ms in zstd (%.0f MiB/s), %.1f ms in write(2)\n"
               "  hashes (dedup, chunks, frames): XXH3 through %s\n",
               (double)c->file_bytes / 1048576.0, (double)c->bytes_uncompressed / 1048576.0,
               c->records, c->writer_waits, (double)c->writer_wait_ns / 1e6,
               c->failed ? ", FAILED" : "", (double)c->compress_ns / 1e6,
               c->compress_ns
                   ? (double)c->bytes_uncompressed / 1048576.0 / ((double)c->compress_ns / 1e9)
                   : 0.0,
               (double)c->write_ns / 1e6,
               vgt_trace_hash_uses_avx2()
                   ? "vgt's AVX2 build"
                   : "the distribution's libxxhash (VGT_NO_AVX2, or no AVX2)");
        if (last[0].errors || last[2].errors || c->failed) {
            rc = 2;
        }
    }
    unlink(o.out);
    return rc;
}

/* ---- replay ----------------------------------------------------------------------------- */

static vgt_status read_all(const char *path, double *secs, uint64_t *records, vgt_error *err)
{
    vgt_trace_reader *r = NULL;
    vgt_status st = vgt_trace_reader_open(path, NULL, &r, err);
    if (st != VGT_OK) {
        return st;
    }
    uint64_t t0 = vgt_now_ns(), n = 0, sum = 0;
    vgt_trace_record rec;
    while ((st = vgt_trace_reader_next(r, &rec, err)) == VGT_OK) {
        n++;
        sum += rec.size ? rec.payload[0] : 0; /* touch the payload */
    }
    *secs = (double)(vgt_now_ns() - t0) / 1e9;
    *records = n + (sum & 0);
    /* A damaged chunk (torn or corrupt, found by the open's walk or by the
     * read) ends the read early: the figures would time part of the trace,
     * and a torn one read 0 records beside a ratio; name the damage.  A
     * missing footer alone (a trace not closed) is no chunk's: it reads. */
    const vgt_trace_problem *damage = NULL;
    /* (a read without salvage stops at the first damage: far fewer
     * problems than the reader keeps whole) */
    for (size_t i = 0; st == VGT_E_END && !damage && i < vgt_trace_reader_problems_listed(r); i++) {
        const vgt_trace_problem *p = vgt_trace_reader_problem(r, i);
        damage = p->chunk != UINT64_MAX ? p : NULL;
    }
    if (damage) {
        st = vgt_error_set(err, damage->code < 0 ? damage->code : VGT_E_FORMAT,
                           "%s: damaged: %s (vgt info %s lists its problems)", path,
                           damage->message, path);
    }
    vgt_trace_reader_close(r);
    return st == VGT_E_END ? VGT_OK : st;
}

/* Replays the trace on the null backend; compose: every frame composed and,
 * when *captured_3d is NULL after the call, hashed against the trace's.  A
 * trace whose 3D frames another backend rendered (vgt run's default, soft)
 * is composed without the check: only that backend reproduces its hashes,
 * and the check failed every such trace; *captured_3d then names it. */
static vgt_status replay_all(const char *path, bool compose, double *secs, vgt_replay_stats *out,
                             const char **captured_3d, vgt_error *err)
{
    vgt_replayer_options ro = {.last_frame = UINT64_MAX, .compose = compose, .verify = compose};
    vgt_replayer *r = NULL;
    vgt_status st = vgt_replayer_open(path, &ro, &r, err);
    if (st != VGT_OK) {
        return st;
    }
    const vgt_trace_device_config *dc = vgt_replayer_device_config(r);
    *captured_3d = NULL;
    if ((dc->flags & VGT_TRACE_DEVCFG_F_3D) &&
        dc->backend_3d != (uint32_t)vgt_replayer_backend(r)) {
        *captured_3d = vgt_backend_kind_name((vgt_backend_kind)dc->backend_3d);
        vgt_replayer_set_verify(r, false);
    }
    uint64_t t0 = vgt_now_ns();
    st = vgt_replayer_run(r, out, err);
    *secs = (double)(vgt_now_ns() - t0) / 1e9;
    vgt_replayer_close(r);
    return st;
}

int vgt_bench_replay_main(int argc, char **argv)
{
    char tmp[256];
    snprintf(tmp, sizeof(tmp), "/tmp/vgt-bench-replay-%d.vgt", (int)getpid());
    bench_opts o = {.sample = "2d-demo", .frames = 2000, .runs = 3, .out = tmp, .level = INT_MIN};
    if (parse(argc, argv, &o, "replay") != 0) {
        return 1;
    }
    if (o.trace && o.capture_opt) {
        fprintf(stderr,
                "vgt bench: replay: %s shapes the capture that replaces --trace: give one or "
                "the other\n",
                o.capture_opt);
        return 1;
    }
    bench_print_banner();
    vgt_error err = {0};
    const char *path = o.trace;
    if (!path) {
        run_out out;
        if (run_sample(&o, RUN_CAPTURE, &out, &err) != VGT_OK) {
            fprintf(stderr, "vgt bench: replay: capturing %s: %s\n", o.sample, err.message);
            unlink(o.out);
            return 2;
        }
        path = o.out; /* --out FILE: the capture went there */
    }
    const char *captured_3d = NULL; /* another backend's 3D: composed, not verified */
    double best_read = 1e30, best_state = 1e30, best_verify = 1e30;
    uint64_t records = 0;
    vgt_replay_stats rs = {0};
    int rc = 0;
    for (uint32_t i = 0; i < o.runs; i++) {
        double s;
        if (read_all(path, &s, &records, &err) != VGT_OK) {
            fprintf(stderr, "vgt bench: replay: %s\n", err.message);
            rc = 2;
            break;
        }
        best_read = s < best_read ? s : best_read;
        if (replay_all(path, false, &s, &rs, &captured_3d, &err) != VGT_OK) {
            fprintf(stderr, "vgt bench: replay: %s\n", err.message);
            rc = 2;
            break;
        }
        best_state = s < best_state ? s : best_state;
        if (replay_all(path, true, &s, &rs, &captured_3d, &err) != VGT_OK) {
            fprintf(stderr, "vgt bench: replay --verify: %s\n", err.message);
            rc = 2;
            break;
        }
        best_verify = s < best_verify ? s : best_verify;
    }
    if (rc == 0) {
        printf("replay: %s, %" PRIu64 " record%s, %" PRIu64 " frame%s, %" PRIu64
               " command%s, %.1f MiB of guest memory data (best of %u run%s)\n",
               o.trace ? o.trace : o.sample, records, vgt_plural(records), rs.frames,
               vgt_plural(rs.frames), rs.commands, vgt_plural(rs.commands),
               (double)rs.dma_bytes / 1048576.0, o.runs, vgt_plural(o.runs));
        /* microseconds: the ratios below are of these figures, and a short
         * trace read in 0.4 ms printed "0.000 s" beside "replay / read 27.394" */
        printf("  read all records (decompress only)  %10.6f s\n", best_read);
        printf("  replay, null backend                %10.6f s   %8.0f frames/s  %9.0f "
               "commands/s\n",
               best_state, (double)rs.frames / best_state, (double)rs.commands / best_state);
        printf("  %-35s %10.6f s   %8.0f frames/s\n",
               captured_3d ? "replay + compose (no verify)" : "replay + compose + verify",
               best_verify, (double)rs.frames / best_verify);
        printf("  replay / read                       %10.3f     (target <= 1.5)\n",
               best_state / best_read);
        printf("  %-35s %10.3f\n", captured_3d ? "replay+compose / read" : "replay+verify / read",
               best_verify / best_read);
        if (captured_3d) {
            printf("  (not verified: the trace's 3D frames were rendered by the %s backend, "
                   "whose frames only it reproduces bit for bit)\n",
                   captured_3d);
        }
    }
    if (!o.trace) {
        unlink(o.out);
    }
    return rc;
}
