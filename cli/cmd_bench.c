/* vgt bench NAME [args]: microbenchmarks, each printing its figure beside a
 * reference measured in the same run.  A benchmark is one row of the table. */
#include "vgt_cli.h"
#include "bench_args.h"
#include "capture_bench.h"
#include "format_bench.h"
#include "soft_bench.h"
#include "video_bench.h"
#ifdef VGT_HAVE_BENCH_GL
#include "bench_gl.h"
#endif
#include "vgt_analyze.h"
#include "vgt_samples.h"
#include "vgt_tui.h"

#include <stdio.h>
#include <string.h>

typedef struct bench_entry {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the benchmark name */
    const char *summary;
} bench_entry;

static int bench_fifo(int argc, char **argv);
static int bench_paper(int argc, char **argv);
static int bench_analyze(int argc, char **argv);
static int bench_tui(int argc, char **argv);

static const bench_entry benches[] = {
    {"fifo", bench_fifo, "FENCE commands guest -> device FIFO vs a plain SPSC ring"},
    {"format", vgt_bench_format_main, "trace writer/reader throughput vs raw zstd, seek cost"},
    {"capture", vgt_bench_capture_main, "a sample with and without capture (target +10%)"},
    {"replay", vgt_bench_replay_main,
     "null-backend replay vs decompressing the trace (target 1.5x)"},
    {"soft", vgt_bench_soft_main,
     "soft backend fill rate and small-triangle rate through the executor vs vgt_soft direct"},
#ifdef VGT_HAVE_BENCH_GL
    {"gl", vgt_bench_gl_main,
     "gl backend per-draw CPU cost (executor + GL) vs native GL calls; soft vs llvmpipe fill"},
#endif
    {"video", vgt_bench_video_main,
     "video overlay FLUSH (YUY2, YV12; same size, 2x, half): bilinear vs nearest"},
    {"paper", bench_paper, "the WIOV'08 microbenchmarks swept, virtualized vs native OpenGL"},
    {"analyze", bench_analyze, "analysis-database command rows/s vs a bare sqlite3 insert loop"},
    {"tui", bench_tui, "profiler keypress latency on a 1M-command database vs a bare SQLite query"},
};

/* vgt bench analyze [ROWS]: the analyzer's store beside a bare sqlite3 loop. */
static int bench_analyze(int argc, char **argv)
{
    unsigned long long rows = 1000000;
    if (argc > 2 || (argc == 2 && (!vgt_cli_parse_u64(argv[1], 1ull << 32, &rows) || !rows))) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "bench", "analyze: usage: vgt bench analyze [ROWS]");
    }
    bench_print_banner();
    double ours = 0, bare = 0;
    vgt_error err = {0};
    if (vgt_analyze_bench_insert(rows, &ours, &bare, &err) != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_DATA, "bench", "analyze: %s", err.message);
    }
    printf("analyze store: %llu command rows, %.0f rows/s (schema, indexes, prepared statement, "
           "one transaction)\n",
           rows, ours);
    printf("bare sqlite3:  %llu rows, %.0f rows/s (one table, no index, same loop)\n", rows, bare);
    printf("ratio:         %.2fx of the bare loop\n", bare > 0 ? ours / bare : 0.0);
    return VGT_EXIT_OK;
}

/* vgt bench tui [COMMANDS [PER_FRAME]]: per-key latency and peak memory of
 * the profiler's models, headless. */
static int bench_tui(int argc, char **argv)
{
    unsigned long long n = 1000000, per = 200;
    if (argc > 3 || (argc >= 2 && (!vgt_cli_parse_u64(argv[1], 1ull << 32, &n) || n < 1000)) ||
        (argc == 3 && (!vgt_cli_parse_u64(argv[2], 1000000, &per) || per < 4))) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "bench",
                            "tui: usage: vgt bench tui [COMMANDS>=1000 [PER_FRAME>=4]]");
    }
    bench_print_banner();
    vgt_error err = {0};
    if (vgt_tui_bench(n, (uint32_t)per, stdout, &err) != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_DATA, "bench", "tui: %s", err.message);
    }
    return VGT_EXIT_OK;
}

/* vgt bench paper: the sweep lives in samples/ (vgt_paper_sweep). */
static int bench_paper(int argc, char **argv)
{
    vgt_paper_config cfg = {0};
    cfg.backend = VGT_BACKEND_GL;
    cfg.out_dir = "paper-results";
    for (int i = 1; i < argc; i++) {
        unsigned long long v;
        bool has = i + 1 < argc;
        if (strcmp(argv[i], "--backend") == 0 && has) {
            if (!vgt_backend_kind_parse(argv[i + 1], &cfg.backend)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "bench",
                                    "paper: --backend '%s': expected gl, soft or null",
                                    argv[i + 1]);
            }
            i++;
        } else if (strcmp(argv[i], "--out") == 0 && has) {
            cfg.out_dir = argv[++i];
        } else if (strcmp(argv[i], "--quick") == 0) {
            cfg.quick = true;
        } else if ((strcmp(argv[i], "--width") == 0 || strcmp(argv[i], "--height") == 0) && has &&
                   vgt_cli_parse_u64(argv[i + 1], 4096, &v) && v >= 16) {
            *(argv[i][2] == 'w' ? &cfg.width : &cfg.height) = (uint32_t)v;
            i++;
        } else if (strcmp(argv[i], "--seconds") == 0 && has &&
                   vgt_cli_parse_u64(argv[i + 1], 60000, &v) && v > 0) {
            cfg.seconds_per_point = (double)v / 1000.0;
            i++;
        } else {
            return vgt_cli_fail(VGT_EXIT_USAGE, "bench",
                                "paper: bad argument '%s' (see vgt bench --help)", argv[i]);
        }
    }
    vgt_backend probe;
    vgt_error err = {0};
    if (vgt_backend_create(cfg.backend, NULL, &probe, &err) != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "bench", "paper: --backend %s: %s",
                            vgt_backend_kind_name(cfg.backend), err.message);
    }
    vgt_backend_destroy(&probe);
    bench_print_banner();
    if (vgt_paper_sweep(&cfg, &err) != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_DATA, "bench", "paper: %s", err.message);
    }
    return VGT_EXIT_OK;
}

static int bench_fifo(int argc, char **argv)
{
    vgt_fifo_bench_config cfg = {0};
    for (int i = 1; i < argc; i++) {
        unsigned long long v;
        if (strcmp(argv[i], "--commands") == 0 && i + 1 < argc &&
            vgt_cli_parse_u64(argv[i + 1], 1ull << 40, &v) && v > 0) {
            cfg.commands = v;
            i++;
        } else if (strcmp(argv[i], "--roundtrips") == 0 && i + 1 < argc &&
                   vgt_cli_parse_u64(argv[i + 1], 1u << 24, &v) && v > 0) {
            cfg.roundtrips = (uint32_t)v;
            i++;
        } else if (strcmp(argv[i], "--fifo") == 0 && i + 1 < argc &&
                   vgt_cli_parse_u64(argv[i + 1], 16384, &v) && v >= 16) {
            cfg.fifo_size = (uint32_t)v * 1024u;
            i++;
        } else {
            return vgt_cli_fail(VGT_EXIT_USAGE, "bench",
                                "fifo: bad argument '%s' (see vgt bench --help)", argv[i]);
        }
    }
    bench_print_banner();
    vgt_fifo_bench_result r;
    vgt_error err = {0};
    if (vgt_fifo_bench_run(&cfg, &r, &err) != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_DATA, "bench", "fifo: %s", err.message);
    }
    printf("fifo: %u-byte ring, 2-word FENCE commands\n", r.ring_bytes);
    printf("  throughput  device %12.0f cmd/s   plain ring %12.0f cmd/s   (best of %d each)\n",
           r.device_cmds_per_s, r.ring_cmds_per_s, VGT_FIFO_BENCH_REPEAT);
    printf("  ratio       device/ring %5.1f%% median of %d pairs run in turn (lowest %5.1f%%, "
           "highest %5.1f%%)\n",
           100.0 * r.ratio_median, VGT_FIFO_BENCH_REPEAT, 100.0 * r.ratio_min, 100.0 * r.ratio_max);
    printf("  fence rtt   device %9.1f us median %9.1f us p99   plain ring %7.2f us median "
           "%7.2f us p99\n",
           r.device_rtt_ns_median / 1e3, r.device_rtt_ns_p99 / 1e3, r.ring_rtt_ns_median / 1e3,
           r.ring_rtt_ns_p99 / 1e3);
    /* how often the FIFO thread went to sleep and was woken (doorbell or
     * poll): each is a slow round trip the plain ring never makes */
    printf("  device      %llu wakeups, %llu doorbells (SYNC writes)\n",
           (unsigned long long)r.device_wakeups, (unsigned long long)r.device_doorbells);
    if (r.device_errors) {
        printf("  device errors: %llu\n", (unsigned long long)r.device_errors);
        return VGT_EXIT_DATA;
    }
    return VGT_EXIT_OK;
}

int vgt_cmd_bench(int argc, char **argv)
{
    size_t n = sizeof(benches) / sizeof(benches[0]);
    if (argc < 2 || vgt_cli_wants_help(argc, argv)) {
        printf("usage: vgt bench NAME [options]\n\n"
               "Runs a microbenchmark; each prints its figure beside a reference measured in\n"
               "the same run.\n\nbenchmarks:\n");
        for (size_t i = 0; i < n; i++) {
            printf("  %-10s %s\n", benches[i].name, benches[i].summary);
        }
        printf(
            "\nfifo options: --commands N (default 1000000, 5 runs each side)  --roundtrips N "
            "(default 2000)\n"
            "              --fifo KiB (FIFO BAR size, default 256)\n"
            "format options: --size MiB (stream, default 256)  --large (1 GiB)  --level N (3)\n"
            "              --chunk KiB (2048)  --threads N (1)  --runs N (2)  --file PATH  --keep\n"
            "capture options: --sample S (default: draw-calls, 2d-demo, cube; null backend)\n"
            "              --frames N (default 2000)  --runs N (of each mode, in turn; default 51\n"
            "              for draw-calls, 5 for the others; at most 2000)\n"
            "              --level L  --chunk KiB  --out FILE\n"
            "              --count N (draw-calls: draws a frame, default 100)\n"
            "replay options: --trace FILE (default: capture --sample/--frames first, 2d-demo,\n"
            "              2000; to --out FILE, removed after)  --runs N (default 3)\n"
            "soft options: --size N (target, default 1024)  --frames N (default 10)\n"
            "              --tris N (default 100000)  --threads N (0: one per CPU, at most 8)\n"
            "gl options: --draws N (20000)  --frames N (30)  --tris N (100000)  --size N (1024)\n"
            "              --no-fill (per-draw figures only)\n"
            "paper options: --backend gl|soft|null (default gl)  --out DIR (paper-results)\n"
            "              --quick  --width/--height (320x240)  --seconds MS per run (500)\n"
            "analyze options: [ROWS] synthetic command rows (default 1000000)\n"
            "tui options: [COMMANDS [PER_FRAME]] rows of the synthetic run (default 1000000, at "
            "least 1000) and commands a frame (default 200, at least 4)\n"
            "video options: --size WxH (frame, default 640x480, at most 2048 each)  --runs N "
            "(5)\n");
        return argc < 2 ? VGT_EXIT_USAGE : VGT_EXIT_OK;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(argv[1], benches[i].name) == 0) {
            /* the benchmarks that run a sample: a misspelt one gets the
             * close names, as vgt run's does, before the version line */
            bool takes_sample =
                benches[i].run == vgt_bench_capture_main || benches[i].run == vgt_bench_replay_main;
            for (int a = 2; takes_sample && a + 1 < argc; a++) {
                if (strcmp(argv[a], "--sample") == 0 && !vgt_sample_find(argv[a + 1])) {
                    char prefix[64];
                    snprintf(prefix, sizeof(prefix), "%s: ", benches[i].name);
                    return vgt_cli_unknown_sample("bench", prefix, argv[a + 1]);
                }
            }
            /* figures compare only between builds alike: the benchmark
             * says which once its options are accepted (a usage error
             * writes nothing to stdout) */
            static char banner[256];
            snprintf(banner, sizeof(banner), "vgt %s, built with %s\n", VGT_VERSION,
                     VGT_BUILD_FLAGS);
            bench_set_banner(banner);
            return benches[i].run(argc - 1, argv + 1);
        }
    }
    vgt_cli_close c;
    vgt_cli_close_init(&c, argv[1]);
    for (size_t i = 0; i < n; i++) {
        vgt_cli_close_offer(&c, benches[i].name);
    }
    return vgt_cli_fail(VGT_EXIT_USAGE, "bench",
                        "unknown benchmark '%s' (%s%s%svgt bench --help lists them)", argv[1],
                        c.count ? "close: " : "", c.text, c.count ? "; " : "");
}
