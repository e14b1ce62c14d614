/* vgt run SAMPLE: boots the VM harness with the SVGA II device and runs a
 * sample guest program on it. */
#include "vgt_capture.h"
#include "vgt_cli.h"
#include "vgt_samples.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct run_shots {
    const char *dir;
    uint64_t saved;
    uint64_t failed;
    char first_error[VGT_ERROR_MESSAGE_MAX];
} run_shots;

/* Frame tap (FIFO thread): saves what the host shows as DIR/frame-NNNNNN.png. */
static void save_frame(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    (void)seq;
    run_shots *s = ctx;
    char path[4096];
    vgt_error err = {0};
    if (!display) {
        vgt_error_set(&err, VGT_E_STATE, "frame %llu: no active screen", (unsigned long long)frame);
    } else if (!vgt_image_frame_path(path, sizeof(path), s->dir, frame, "")) {
        vgt_error_set(&err, VGT_E_INVALID, "screenshot path too long");
    } else if (vgt_image_write_png(display, path, false, &err) == VGT_OK) {
        s->saved++;
        return;
    }
    if (s->failed++ == 0) {
        snprintf(s->first_error, sizeof(s->first_error), "%s", err.message);
    }
}

/* The options that take a value, and what vgt_cmd_run accepts for each. */
static const vgt_cli_value_option run_value_options[] = {
    {"--frames", "a frame count 1..100000000"},
    {"--screenshot", "a directory"},
    {"--vram", "a power of two 1..256 (MiB)"},
    {"--fifo", "a power of two 16..16384 (KiB)"},
    {"--width", "a width 1..8192"},
    {"--height", "a height 1..8192"},
    {"--poll-hz", "a rate 1..100000"},
    {"--refresh-hz", "a rate 0..1000"},
    {"--batch", "a count 0..4294967295"},
    {"--count", "a count 0..4294967295"},
    {"--aniso", "a level 1..4294967295"},
    {"--backend", "null, soft or gl"},
    {"--capture", "a trace file"},
    {"--capture-start", "a guest frame 0..1099511627776"},
    {"--capture-frames", "a frame count 1..1099511627776"},
    {"--capture-level", "a zstd level -7..22"},
    {"--capture-chunk", "a size 1..262144 (KiB)"},
};
/* the texts above name these bounds: a change of them must change the texts */
_Static_assert(VGT_CAPTURE_LEVEL_MIN == -7 && VGT_CAPTURE_LEVEL_MAX == 22, "--capture-level text");
_Static_assert(VGT_TRACE_MAX_CHUNK_SIZE / 1024u == 262144u, "--capture-chunk text");
_Static_assert(VGT_CAPTURE_MAX_FRAME == 1099511627776ull, "--capture-start/-frames text");

static int usage(void)
{
    printf(
        "usage: vgt run SAMPLE [--frames N] [--screenshot DIR] [--vram MiB] [--fifo KiB]\n"
        "               [--width W --height H] [--identity] [--poll-hz N] [--refresh-hz N]\n"
        "               [--batch N] [--count N] [--aniso N] [--native] [--backend soft|gl|null]\n"
        "               [--no-3d] [--window] [--capture FILE [--capture-start N]\n"
        "                [--capture-frames M] [--capture-level L] [--capture-chunk KiB]] [-q]\n\n"
        "Boots the VM harness (guest RAM, PCI, the SVGA II device) and runs a sample guest\n"
        "program on its own thread (`vgt samples` lists them).\n\n"
        "  --frames N        frames the sample runs (default: the sample's own)\n"
        "  --screenshot DIR  save every frame the device ends as DIR/frame-000000.png, ...\n"
        "                    (what the host display shows, hardware cursor included)\n"
        "  --vram MiB        VRAM / BAR1 size, a power of two (default 32)\n"
        "  --fifo KiB        FIFO memory / BAR2 size, a power of two (default 256)\n"
        "  --width/--height  the mode the sample sets (default: the sample's own)\n"
        "  --identity        map guest RAM and BARs so guest-physical == host address\n"
        "  --poll-hz N       FIFO poll rate while idle (default 100)\n"
        "  --refresh-hz N    the host's display refresh rate (framebuffer traces), 0..1000;\n"
        "                    0 (default): only when the guest waits for one (deterministic)\n"
        "  --batch N, --count N  passed to samples that use them (microbenchmarks)\n"
        "  --native          a microbenchmark's OpenGL equivalent, run on the host outside\n"
        "                    the VM (no capture, no screenshots)\n"
        "  --aniso N         floor: the anisotropy of its right half (default 16; the guest\n"
        "                    clamps it to the device's MAX_TEXTURE_ANISOTROPY)\n"
        "  --backend NAME    the 3D backend: soft (default; the CPU reference), gl\n"
        "                    (OpenGL), null (renders nothing; the cost of\n"
        "                    virtualization alone)\n"
        "  --no-3d           hide 3D from the guest (no SVGA_CAP_3D, no 3D caps)\n"
        "  --window          also show the display in an X11 window at every frame end\n"
        "                    (gl backend: --backend gl; needs DISPLAY)\n"
        "  --capture FILE    record a trace of the run into FILE (vgt replay FILE plays it;\n"
        "                    without it, VGT_CAPTURE=FILE in the environment does the same)\n"
        "  --capture-start N first guest frame recorded (default 0; > 0 writes a state\n"
        "                    snapshot first)\n"
        "  --capture-frames M  stop recording after M frames (default: until the end)\n"
        "  --capture-level L zstd level of the trace (default 1)\n"
        "  --capture-chunk KiB  uncompressed chunk size (default 64)\n"
        "  -q                no summary lines (failures are still reported)\n\n"
        "Prints one line: frames, commands, device errors, seconds.  Exits 2 when the\n"
        "sample fails or the device reported errors.\n");
    return VGT_EXIT_OK;
}

int vgt_cli_unknown_sample(const char *verb, const char *prefix, const char *name)
{
    vgt_cli_close c;
    vgt_cli_close_init(&c, name);
    size_t n;
    const vgt_sample_info *all = vgt_samples(&n);
    for (size_t i = 0; i < n; i++) {
        vgt_cli_close_offer(&c, all[i].name);
    }
    return vgt_cli_fail(VGT_EXIT_USAGE, verb,
                        "%sunknown sample '%s' (%s%s%svgt samples lists them)", prefix, name,
                        c.count ? "close: " : "", c.text, c.count ? "; " : "");
}

/* --native runs a microbenchmark's OpenGL twin on the host, outside the
 * VM: refused (exit 1, before the VM boots) for a sample without one (cube
 * ran its virtual frames, 2d-demo refused it itself as exit 2), and with
 * --capture (or VGT_CAPTURE) or --screenshot, which see only the VM's
 * device (an empty trace and no screenshot, exit 0).  VGT_EXIT_OK when it
 * may run. */
static int native_refused(const vgt_sample_info *sample, const vgt_capture_settings *cs,
                          const char *shots_dir)
{
    bool has_native = false;
    char names[128] = "";
    size_t used = 0;
    for (int b = 0; b < VGT_PAPER_BENCH_COUNT; b++) {
        const char *bench = vgt_paper_bench_name((vgt_paper_bench)b);
        has_native = has_native || strcmp(bench, sample->name) == 0;
        int n = snprintf(names + used, sizeof(names) - used, "%s%s", b ? ", " : "", bench);
        used += n > 0 && (size_t)n < sizeof(names) - used ? (size_t)n : 0;
    }
    if (!has_native) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "run",
                            "--native: %s has no native mode (the microbenchmarks have one: %s)",
                            sample->name, names);
    }
    const char *env = getenv("VGT_CAPTURE");
    const char *what = cs->path      ? "--capture records"
                       : env && *env ? "VGT_CAPTURE records"
                       : shots_dir   ? "--screenshot saves"
                                     : NULL;
    if (what) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "run",
                            "--native draws with OpenGL outside the VM, where %s nothing: drop one "
                            "of them",
                            what);
    }
    return VGT_EXIT_OK;
}

int vgt_cmd_run(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        return usage();
    }
    const char *name = NULL;
    run_shots shots = {0};
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    vgt_sample_run rc = {0};
    /* 3D is on by default, rendered by the reference (soft) backend, so every
     * sample runs without options; --backend picks another, --no-3d hides it. */
    cfg.device.enable_3d = true;
    cfg.device.backend_3d = VGT_BACKEND_SOFT;
    rc.args.backend = vgt_backend_kind_name(VGT_BACKEND_SOFT);
    vgt_capture_settings cs;
    vgt_capture_settings_init(&cs);
    bool capture_opts = false;
    bool window = false;
    bool no_3d = false, backend_given = false;
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long long v;
        bool has = i + 1 < argc;
        if (a[0] != '-') {
            if (name) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "run", "more than one sample ('%s', '%s')",
                                    name, a);
            }
            name = a;
        } else if (strcmp(a, "--frames") == 0 && has &&
                   vgt_cli_parse_u64(argv[i + 1], 100000000, &v) && v > 0) {
            rc.args.frames = (uint32_t)v;
            i++;
        } else if (strcmp(a, "--screenshot") == 0 && has && argv[i + 1][0]) {
            shots.dir = argv[++i];
        } else if (strcmp(a, "--vram") == 0 && has && vgt_cli_parse_u64(argv[i + 1], 256, &v) &&
                   v > 0 && !(v & (v - 1))) {
            cfg.device.vram_size = (uint32_t)v << 20;
            i++;
        } else if (strcmp(a, "--fifo") == 0 && has && vgt_cli_parse_u64(argv[i + 1], 16384, &v) &&
                   v >= 16 && !(v & (v - 1))) {
            cfg.device.fifo_size = (uint32_t)v << 10;
            i++;
        } else if ((strcmp(a, "--width") == 0 || strcmp(a, "--height") == 0) && has &&
                   vgt_cli_parse_u64(argv[i + 1], 8192, &v) && v > 0) {
            if (a[2] == 'w') {
                rc.args.width = (uint32_t)v;
            } else {
                rc.args.height = (uint32_t)v;
            }
            i++;
        } else if (strcmp(a, "--poll-hz") == 0 && has &&
                   vgt_cli_parse_u64(argv[i + 1], 100000, &v) && v > 0) {
            cfg.device.poll_hz = (uint32_t)v;
            i++;
        } else if (strcmp(a, "--refresh-hz") == 0 && has &&
                   vgt_cli_parse_u64(argv[i + 1], 1000, &v)) {
            cfg.refresh_hz = (uint32_t)v;
            i++;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = true;
        } else if (strcmp(a, "--no-3d") == 0) {
            cfg.device.enable_3d = false;
            rc.args.backend = NULL;
            no_3d = true;
        } else if (strcmp(a, "--identity") == 0) {
            cfg.identity_map = true;
        } else if ((strcmp(a, "--batch") == 0 || strcmp(a, "--count") == 0) && has &&
                   vgt_cli_parse_u64(argv[i + 1], UINT32_MAX, &v)) {
            if (a[2] == 'b') {
                rc.args.batch = (uint32_t)v;
            } else {
                rc.args.count = (uint32_t)v;
            }
            i++;
        } else if (strcmp(a, "--aniso") == 0 && has &&
                   vgt_cli_parse_u64(argv[i + 1], UINT32_MAX, &v) && v > 0) {
            rc.args.aniso = (uint32_t)v;
            i++;
        } else if (strcmp(a, "--backend") == 0 && has) {
            vgt_backend_kind kind;
            if (!vgt_backend_kind_parse(argv[i + 1], &kind)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "run",
                                    "--backend '%s': expected null, soft or gl", argv[i + 1]);
            }
            vgt_backend probe;
            vgt_error berr = {0};
            if (vgt_backend_create(kind, NULL, &probe, &berr) != VGT_OK) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "run", "--backend %s: %s", argv[i + 1],
                                    berr.message);
            }
            vgt_backend_destroy(&probe);
            cfg.device.enable_3d = true;
            cfg.device.backend_3d = kind;
            rc.args.backend = vgt_backend_kind_name(kind);
            backend_given = true;
            i++;
        } else if (strcmp(a, "--window") == 0) {
            window = true;
        } else if (strcmp(a, "--native") == 0) {
            rc.args.native = true;
        } else if (strcmp(a, "--capture") == 0 && has && argv[i + 1][0]) {
            cs.path = argv[++i];
        } else if (strcmp(a, "--capture-start") == 0 && has &&
                   vgt_cli_parse_u64(argv[i + 1], VGT_CAPTURE_MAX_FRAME, &v)) {
            cs.start_frame = v;
            capture_opts = true;
            i++;
        } else if (strcmp(a, "--capture-frames") == 0 && has &&
                   vgt_cli_parse_u64(argv[i + 1], VGT_CAPTURE_MAX_FRAME, &v) && v > 0) {
            cs.frame_count = v;
            capture_opts = true;
            i++;
        } else if (strcmp(a, "--capture-level") == 0 && has &&
                   vgt_capture_parse_level(argv[i + 1], &cs.compression_level)) {
            capture_opts = true;
            i++;
        } else if (strcmp(a, "--capture-chunk") == 0 && has &&
                   vgt_cli_parse_u64(argv[i + 1], VGT_TRACE_MAX_CHUNK_SIZE / 1024u, &v) && v > 0) {
            cs.chunk_size = (uint32_t)v * 1024u;
            capture_opts = true;
            i++;
        } else {
            return vgt_cli_bad_option("run", argc, argv, i, run_value_options,
                                      sizeof(run_value_options) / sizeof(run_value_options[0]));
        }
    }
    if (!name) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "run", "which sample? (vgt samples lists them)");
    }
    rc.sample = vgt_sample_find(name);
    if (!rc.sample) {
        return vgt_cli_unknown_sample("run", "", name);
    }
    if (rc.args.native) {
        int why = native_refused(rc.sample, &cs, shots.dir);
        if (why != VGT_EXIT_OK) {
            return why;
        }
    }
    if (window) {
        /* as vgt replay --window: checked before anything is made */
        const char *display = getenv("DISPLAY");
        if (!display || !*display) {
            return vgt_cli_fail(VGT_EXIT_USAGE, "run",
                                "--window needs an X display (DISPLAY is not set); run headless "
                                "without it");
        }
        if (!cfg.device.enable_3d) {
            return vgt_cli_fail(VGT_EXIT_USAGE, "run",
                                "--window shows frames through the gl backend, and --no-3d "
                                "leaves the device without a backend (drop --no-3d or --window)");
        }
        if (cfg.device.backend_3d != VGT_BACKEND_GL) {
            return vgt_cli_fail(VGT_EXIT_USAGE, "run",
                                "--window shows frames through the gl backend, not %s "
                                "(use --backend gl, or drop --window)",
                                vgt_backend_kind_name(cfg.device.backend_3d));
        }
        cfg.device.backend_options.window = true;
    }
    /* the later of the two won silently: --no-3d --backend null ran with 3D */
    if (no_3d && backend_given) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "run",
                            "--no-3d hides 3D from the guest and --backend picks what renders "
                            "it: give one of them");
    }
    char why[128];
    if (shots.dir && !vgt_cli_make_dir(shots.dir, why, sizeof(why))) {
        return vgt_cli_fail(VGT_EXIT_DATA, "run", "--screenshot: cannot write into '%s': %s",
                            shots.dir, why);
    }
    cfg.device.log = stderr;
    if (shots.dir) {
        cfg.device.taps.ctx = &shots;
        cfg.device.taps.frame_end = save_frame;
    }
    vgt_error err = {0};
    if (capture_opts && !cs.path) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "run", "--capture-* options need --capture FILE");
    }
    bool env_capture = false;
    if (!cs.path && vgt_capture_settings_from_env(&cs, &env_capture, &err) != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "run", "%s", err.message);
    }
    vgt_capture *cap = NULL;
    if (cs.path) {
        if (vgt_capture_create(&cs, &cap, &err) != VGT_OK) {
            return vgt_cli_fail(VGT_EXIT_DATA, "run", "%s", err.message);
        }
        vgt_capture_install(cap, &cfg.device);
    }
    vgt_vm *vm = NULL;
    vgt_status vst = vgt_vm_create(&cfg, &vm, &err);
    if (vst != VGT_OK) {
        vgt_capture_close(cap, NULL, NULL);
        /* a window that cannot be had (no X server, no X11 in this build) is
         * exit 1, as for vgt replay --window */
        return vgt_cli_fail(window && vst == VGT_E_UNSUPPORTED ? VGT_EXIT_USAGE : VGT_EXIT_DATA,
                            "run", "%s", err.message);
    }
    if (cap && vgt_capture_attach(cap, vgt_vm_device(vm), &err) != VGT_OK) {
        vgt_vm_destroy(vm);
        vgt_capture_close(cap, NULL, NULL);
        return vgt_cli_fail(VGT_EXIT_DATA, "run", "%s", err.message);
    }
    int exit_code = 0;
    uint64_t t0 = vgt_now_ns();
    vgt_status st = vgt_vm_run(vm, vgt_sample_guest, &rc, &exit_code, &err);
    uint64_t run_ns = vgt_now_ns() - t0;
    vgt_device_stats stats;
    vgt_device_get_stats(vgt_vm_device(vm), &stats);
    vgt_capture_detach(cap);
    vgt_vm_destroy(vm);
    vgt_capture_stats cstats = {0};
    vgt_error cerr = {0};
    vgt_status cst = cap ? vgt_capture_close(cap, &cstats, &cerr) : VGT_OK;
    if (st != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_DATA, "run", "%s", err.message);
    }
    /* -q drops the summary lines only: every failure below is still said */
    if (!quiet) {
        printf("%s: %llu frame%s, %llu command%s, %llu error%s", name,
               (unsigned long long)stats.frames, vgt_plural(stats.frames),
               (unsigned long long)stats.commands, vgt_plural(stats.commands),
               (unsigned long long)stats.errors, vgt_plural(stats.errors));
        /* the digits vgt replay gives its seconds (%.3f said 0.000 s) */
        printf(", %.*f s", vgt_cli_seconds_decimals(run_ns), (double)run_ns / 1e9);
        if (shots.dir) {
            printf(", %llu screenshot%s in %s", (unsigned long long)shots.saved,
                   vgt_plural(shots.saved), shots.dir);
        }
        if (window) {
            printf(", %llu frame%s shown in the window", (unsigned long long)stats.frames_shown,
                   vgt_plural(stats.frames_shown));
        }
        printf("\n");
    }
    if (cap && !quiet) {
        /* no frame recorded (a start frame the run never reached, or its
         * end): "none", where the range of one frame said "9..9 (0 frames)" */
        char frames[64] = "none";
        if (cstats.frames) {
            snprintf(frames, sizeof(frames), "%llu..%llu", (unsigned long long)cstats.start_frame,
                     (unsigned long long)(cstats.start_frame + cstats.frames - 1u));
        }
        printf("capture: %s%s: guest frames %s (%llu frame%s), %llu command%s, %.1f MiB "
               "(%.1f MiB uncompressed), writer waits %llu (%.1f ms)%s\n",
               cs.path, env_capture ? " (VGT_CAPTURE)" : "", frames,
               (unsigned long long)cstats.frames, vgt_plural(cstats.frames),
               (unsigned long long)cstats.commands, vgt_plural(cstats.commands),
               (double)cstats.file_bytes / 1048576.0, (double)cstats.bytes_uncompressed / 1048576.0,
               (unsigned long long)cstats.writer_waits, (double)cstats.writer_wait_ns / 1e6,
               cstats.failed ? ", FAILED (see above)" : "");
    }
    if (shots.failed) {
        return vgt_cli_fail(VGT_EXIT_DATA, "run", "%llu screenshots failed; first: %s",
                            (unsigned long long)shots.failed, shots.first_error);
    }
    if (stats.window_error[0]) {
        return vgt_cli_fail(VGT_EXIT_DATA, "run", "the window failed: %s", stats.window_error);
    }
    if (exit_code != 0) {
        return vgt_cli_fail(VGT_EXIT_DATA, "run", "sample %s exited with %d", name, exit_code);
    }
    if (stats.errors) {
        return vgt_cli_fail(VGT_EXIT_DATA, "run", "the device reported %llu errors; last: %s",
                            (unsigned long long)stats.errors, stats.last_error);
    }
    if (cst != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_DATA, "run", "%s", cerr.message);
    }
    if (cstats.failed) {
        return vgt_cli_fail(VGT_EXIT_DATA, "run", "the capture failed: %s", cstats.failure);
    }
    return VGT_EXIT_OK;
}
