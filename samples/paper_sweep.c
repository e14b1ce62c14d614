/* paper_sweep.c - `vgt bench paper`: the paper's four microbenchmarks
 * (Dowty & Sugerman, WIOV 2008, Figure 4) swept over their parameter
 * ranges, natively (OpenGL through a headless EGL context) and virtualized
 * (a VM with the SVGA device, 3D on the chosen backend), with
 * DIR/results.csv, one hand-written SVG plot per benchmark (time per frame
 * against the parameter, log-log, a line per mode), DIR/summary.md and the
 * virtualized/native ratio per point on the output stream.
 *
 * Each run is calibrated: a short run (2 timed frames) estimates the frame
 * time, then the measured run has enough frames to last about
 * seconds_per_point (at least 3, at most 1000 frames). */
#include "vgt_samples.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_POINTS 12

typedef struct sweep_point {
    uint32_t param;
    vgt_paper_result r[2]; /* [0] native, [1] virtual */
} sweep_point;

typedef struct sweep_bench {
    vgt_paper_bench id;
    uint32_t npoints;
    sweep_point pt[MAX_POINTS];
} sweep_bench;

static const uint32_t range_static[] = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536};
static const uint32_t range_dynamic[] = {1, 4, 16, 64, 256, 1024, 4096};
static const uint32_t range_filled[] = {1, 4, 16, 64, 256, 1024};
static const uint32_t range_draws[] = {1, 3, 10, 30, 100, 300, 1000};
static const uint32_t quick_static[] = {1, 64, 4096};
static const uint32_t quick_dynamic[] = {1, 64, 1024};
static const uint32_t quick_filled[] = {1, 16, 256};
static const uint32_t quick_draws[] = {1, 30, 1000};

static void range_of(vgt_paper_bench b, bool quick, const uint32_t **p, uint32_t *n)
{
    static const struct {
        const uint32_t *full, *quick;
        uint32_t nfull, nquick;
    } ranges[VGT_PAPER_BENCH_COUNT] = {
#define R(a, q) {a, q, sizeof(a) / sizeof(a[0]), sizeof(q) / sizeof(q[0])}
        R(range_static, quick_static),
        R(range_dynamic, quick_dynamic),
        R(range_filled, quick_filled),
        R(range_draws, quick_draws),
#undef R
    };
    *p = quick ? ranges[b].quick : ranges[b].full;
    *n = quick ? ranges[b].nquick : ranges[b].nfull;
}

/* ---- one run ----------------------------------------------------------------- */

typedef struct guest_job {
    vgt_paper_bench b;
    vgt_sample_args args;
    vgt_paper_result r;
} guest_job;

static int guest_main(vgt_guest *g, void *arg)
{
    guest_job *j = arg;
    return vgt_paper_run_virtual(g, j->b, &j->args, &j->r);
}

static vgt_status run_virtual(const vgt_paper_config *cfg, vgt_paper_bench b,
                              const vgt_sample_args *args, vgt_paper_result *out, vgt_error *err)
{
    vgt_vm_config vc;
    vgt_vm_config_default(&vc);
    vc.device.enable_3d = true;
    vc.device.backend_3d = cfg->backend;
    vgt_vm *vm = NULL;
    vgt_status st = vgt_vm_create(&vc, &vm, err);
    if (st != VGT_OK) {
        return st;
    }
    guest_job job = {b, *args, {0}};
    job.args.backend = vgt_backend_kind_name(cfg->backend);
    int code = -1;
    st = vgt_vm_run(vm, guest_main, &job, &code, err);
    vgt_device_stats ds;
    vgt_device_get_stats(vgt_vm_device(vm), &ds);
    vgt_vm_destroy(vm);
    if (st != VGT_OK) {
        return st;
    }
    if (code != 0 || ds.errors) {
        return vgt_error_set(
            err, VGT_E_STATE, "%s --%s %u on %s: the guest exited with %d, %llu device errors%s%s",
            vgt_paper_bench_name(b), vgt_paper_bench_param(b), vgt_paper_param(b, args),
            vgt_backend_kind_name(cfg->backend), code, (unsigned long long)ds.errors,
            ds.errors ? "; last: " : "", ds.errors ? ds.last_error : "");
    }
    *out = job.r;
    return VGT_OK;
}

static vgt_status run_mode(const vgt_paper_config *cfg, vgt_paper_bench b, uint32_t param,
                           bool virt, uint32_t frames, vgt_paper_result *out, vgt_error *err)
{
    vgt_sample_args a = {0};
    a.frames = frames;
    a.width = cfg->width ? cfg->width : 320u;
    a.height = cfg->height ? cfg->height : 240u;
    a.quiet = true;
    if (strcmp(vgt_paper_bench_param(b), "count") == 0) {
        a.count = param;
    } else {
        a.batch = param;
    }
    if (virt) {
        return run_virtual(cfg, b, &a, out, err);
    }
    a.native = true;
    return vgt_paper_run_native(b, &a, out, NULL, err);
}

/* Calibrates, then measures. */
static vgt_status measure(const vgt_paper_config *cfg, vgt_paper_bench b, uint32_t param, bool virt,
                          vgt_paper_result *out, vgt_error *err)
{
    double target = cfg->seconds_per_point > 0 ? cfg->seconds_per_point : cfg->quick ? 0.1 : 0.5;
    vgt_paper_result probe;
    vgt_status st = run_mode(cfg, b, param, virt, 2, &probe, err);
    if (st != VGT_OK) {
        return st;
    }
    double per_frame = probe.seconds / 2.0;
    double want = per_frame > 0 ? target / per_frame : 1000.0;
    uint32_t frames = want < 3.0 ? 3u : want > 1000.0 ? 1000u : (uint32_t)want;
    return run_mode(cfg, b, param, virt, frames, out, err);
}

/* ---- output ---------------------------------------------------------------------- */

static double per_frame_ms(const vgt_paper_result *r)
{
    return r->frames ? r->seconds * 1e3 / (double)r->frames : 0.0;
}

/* Microseconds per item: per triangle, or per draw call for draw-calls. */
static double per_item_us(vgt_paper_bench b, const vgt_paper_result *r)
{
    uint64_t items = b == VGT_PAPER_DRAW_CALLS ? r->draws : r->triangles;
    return items ? r->seconds * 1e6 / (double)items : 0.0;
}

static const char *item_name(vgt_paper_bench b)
{
    return b == VGT_PAPER_DRAW_CALLS ? "draw" : "triangle";
}

static FILE *open_in(const char *dir, const char *name, char *path, size_t cap, vgt_error *err)
{
    if ((size_t)snprintf(path, cap, "%s/%s", dir, name) >= cap) {
        vgt_error_set(err, VGT_E_INVALID, "output path too long: %s/%s", dir, name);
        return NULL;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        vgt_error_set(err, VGT_E_IO, "cannot write %s: %s", path, strerror(errno));
    }
    return f;
}

static vgt_status close_checked(FILE *f, const char *path, vgt_error *err)
{
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad) {
        return vgt_error_set(err, VGT_E_IO, "cannot write %s: %s", path, strerror(errno));
    }
    return VGT_OK;
}

static vgt_status write_csv(const vgt_paper_config *cfg, const sweep_bench *sb, uint32_t nb,
                            vgt_error *err)
{
    char path[4096];
    FILE *f = open_in(cfg->out_dir, "results.csv", path, sizeof(path), err);
    if (!f) {
        return err->code;
    }
    fprintf(f, "benchmark,param,mode,backend,frames,seconds,per_frame_ms,per_item_us\n");
    for (uint32_t i = 0; i < nb; i++) {
        for (uint32_t p = 0; p < sb[i].npoints; p++) {
            for (int m = 0; m < 2; m++) {
                const vgt_paper_result *r = &sb[i].pt[p].r[m];
                fprintf(f, "%s,%u,%s,%s,%u,%.6f,%.6f,%.6f\n", vgt_paper_bench_name(sb[i].id),
                        sb[i].pt[p].param, m ? "virtual" : "native",
                        m ? vgt_backend_kind_name(cfg->backend) : "gl", r->frames, r->seconds,
                        per_frame_ms(r), per_item_us(sb[i].id, r));
            }
        }
    }
    return close_checked(f, path, err);
}

/* The plot: log-log, time per frame (ms) against the parameter. */
enum { SVG_W = 660, SVG_H = 420, ML = 78, MR = 40, MT = 44, MB = 58 };

static double lx(double v, double lo, double hi)
{
    return ML + (log10(v) - lo) / (hi - lo) * (SVG_W - ML - MR);
}

static double ly(double v, double lo, double hi)
{
    return SVG_H - MB - (log10(v) - lo) / (hi - lo) * (SVG_H - MT - MB);
}

static void fmt_pow10(char *buf, size_t cap, int e)
{
    if (e >= 0 && e <= 5) {
        snprintf(buf, cap, "%.0f", pow(10.0, e));
    } else if (e < 0 && e >= -3) {
        snprintf(buf, cap, "%.*f", -e, pow(10.0, e));
    } else {
        snprintf(buf, cap, "1e%d", e);
    }
}

static vgt_status write_svg(const vgt_paper_config *cfg, const sweep_bench *sb, vgt_error *err)
{
    char name[64], path[4096];
    snprintf(name, sizeof(name), "%s.svg", vgt_paper_bench_name(sb->id));
    FILE *f = open_in(cfg->out_dir, name, path, sizeof(path), err);
    if (!f) {
        return err->code;
    }
    double xmin = 1e300, xmax = 0, ymin = 1e300, ymax = 0;
    for (uint32_t p = 0; p < sb->npoints; p++) {
        double x = sb->pt[p].param;
        if (x > 0) { /* a log scale: a parameter of 0 is not plotted */
            xmin = x < xmin ? x : xmin;
            xmax = x > xmax ? x : xmax;
        }
        for (int m = 0; m < 2; m++) {
            double y = per_frame_ms(&sb->pt[p].r[m]);
            if (y > 0) {
                ymin = y < ymin ? y : ymin;
                ymax = y > ymax ? y : ymax;
            }
        }
    }
    if (ymax <= 0) {
        ymin = 0.01;
        ymax = 1;
    }
    if (xmax <= 0) { /* no positive parameter */
        xmin = 1;
        xmax = 10;
    }
    double x0 = floor(log10(xmin)), x1 = ceil(log10(xmax));
    double y0 = floor(log10(ymin)), y1 = ceil(log10(ymax));
    if (x1 <= x0) {
        x1 = x0 + 1;
    }
    if (y1 <= y0) {
        y1 = y0 + 1;
    }
    const char *mode_color[2] = {"#1f77b4", "#d62728"};
    char mode_label[2][64];
    snprintf(mode_label[0], sizeof(mode_label[0]), "native (OpenGL)");
    snprintf(mode_label[1], sizeof(mode_label[1]), "virtualized (%s backend)",
             vgt_backend_kind_name(cfg->backend));
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            SVG_W, SVG_H, SVG_W, SVG_H);
    fprintf(f,
            "<text x=\"%d\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" "
            "font-weight=\"bold\">%s: time per frame</text>\n",
            SVG_W / 2, vgt_paper_bench_name(sb->id));
    /* grid and ticks */
    for (int e = (int)x0; e <= (int)x1; e++) {
        double x = lx(pow(10.0, e), x0, x1);
        char t[32];
        fmt_pow10(t, sizeof(t), e);
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n"
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                x, MT, x, SVG_H - MB, x, SVG_H - MB + 16, t);
    }
    for (int e = (int)y0; e <= (int)y1; e++) {
        double y = ly(pow(10.0, e), y0, y1);
        char t[32];
        fmt_pow10(t, sizeof(t), e);
        fprintf(f,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n"
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                ML, y, SVG_W - MR, y, ML - 6, y + 4, t);
    }
    fprintf(f,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
            ML, MT, SVG_W - ML - MR, SVG_H - MT - MB);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s (%s, log scale)</text>\n",
            ML + (SVG_W - ML - MR) / 2, SVG_H - 14,
            sb->id == VGT_PAPER_DRAW_CALLS ? "draw calls per frame"
            : sb->id == VGT_PAPER_DYNAMIC_VERTEX
                ? "triangles per upload (100 uploads + draws per frame)"
                : "triangles per draw (batch size)",
            vgt_paper_bench_param(sb->id));
    fprintf(f,
            "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">"
            "time per frame, ms (log scale)</text>\n",
            MT + (SVG_H - MT - MB) / 2, MT + (SVG_H - MT - MB) / 2);
    for (int m = 0; m < 2; m++) {
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
                mode_color[m]);
        for (uint32_t p = 0; p < sb->npoints; p++) {
            double y = per_frame_ms(&sb->pt[p].r[m]);
            if (y > 0 && sb->pt[p].param > 0) {
                fprintf(f, "%.1f,%.1f ", lx(sb->pt[p].param, x0, x1), ly(y, y0, y1));
            }
        }
        fprintf(f, "\"/>\n");
        for (uint32_t p = 0; p < sb->npoints; p++) {
            double y = per_frame_ms(&sb->pt[p].r[m]);
            if (y > 0 && sb->pt[p].param > 0) {
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n",
                        lx(sb->pt[p].param, x0, x1), ly(y, y0, y1), mode_color[m]);
            }
        }
    }
    /* legend (top left inside the plot) */
    fprintf(f,
            "<rect x=\"%d\" y=\"%d\" width=\"230\" height=\"46\" fill=\"white\" "
            "stroke=\"#999\"/>\n",
            ML + 10, MT + 10);
    for (int m = 0; m < 2; m++) {
        int y = MT + 26 + m * 18;
        fprintf(f,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>\n"
                "<circle cx=\"%d\" cy=\"%d\" r=\"3.5\" fill=\"%s\"/>\n"
                "<text x=\"%d\" y=\"%d\">%s</text>\n",
                ML + 18, y, ML + 46, y, mode_color[m], ML + 32, y, mode_color[m], ML + 54, y + 4,
                mode_label[m]);
    }
    fprintf(f, "</svg>\n");
    return close_checked(f, path, err);
}

static vgt_status write_summary(const vgt_paper_config *cfg, const sweep_bench *sb, uint32_t nb,
                                vgt_error *err)
{
    char path[4096];
    FILE *f = open_in(cfg->out_dir, "summary.md", path, sizeof(path), err);
    if (!f) {
        return err->code;
    }
    fprintf(f,
            "| benchmark | param | native ms/frame | virtual (%s) ms/frame | virtual/native | "
            "native us/item | virtual us/item |\n"
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
            vgt_backend_kind_name(cfg->backend));
    for (uint32_t i = 0; i < nb; i++) {
        for (uint32_t p = 0; p < sb[i].npoints; p++) {
            const vgt_paper_result *n = &sb[i].pt[p].r[0], *v = &sb[i].pt[p].r[1];
            double a = per_frame_ms(n), b = per_frame_ms(v);
            fprintf(f, "| %s | %s %u | %.3f | %.3f | %.2f | %.3f (per %s) | %.3f |\n",
                    vgt_paper_bench_name(sb[i].id), vgt_paper_bench_param(sb[i].id),
                    sb[i].pt[p].param, a, b, a > 0 ? b / a : 0.0, per_item_us(sb[i].id, n),
                    item_name(sb[i].id), per_item_us(sb[i].id, v));
        }
    }
    return close_checked(f, path, err);
}

vgt_status vgt_paper_sweep(const vgt_paper_config *cfg, vgt_error *err)
{
    FILE *out = cfg->out ? cfg->out : stdout;
    if (!cfg->out_dir) {
        return vgt_error_set(err, VGT_E_INVALID, "paper sweep: no output directory");
    }
    if (mkdir(cfg->out_dir, 0777) != 0 && errno != EEXIST) {
        return vgt_error_set(err, VGT_E_IO, "cannot create %s: %s", cfg->out_dir, strerror(errno));
    }
    /* The native side needs a GL context: say so before the long sweep. */
    vgt_native_gl *probe = NULL;
    vgt_status st = vgt_native_gl_create(16, 16, &probe, err);
    if (st != VGT_OK) {
        return st;
    }
    fprintf(out, "paper: native = OpenGL on %s; virtualized = the SVGA device, %s backend; %ux%u\n",
            vgt_native_gl_renderer(probe), vgt_backend_kind_name(cfg->backend),
            cfg->width ? cfg->width : 320u, cfg->height ? cfg->height : 240u);
    vgt_native_gl_destroy(probe);
    fprintf(out, "%-17s %8s %9s %14s %14s %9s\n", "benchmark", "param", "frames", "native ms/fr",
            "virtual ms/fr", "ratio");
    fflush(out);

    sweep_bench *sb = calloc(VGT_PAPER_BENCH_COUNT, sizeof(*sb));
    if (!sb) {
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory");
    }
    for (uint32_t i = 0; i < VGT_PAPER_BENCH_COUNT && st == VGT_OK; i++) {
        sb[i].id = (vgt_paper_bench)i;
        const uint32_t *params;
        uint32_t n;
        range_of(sb[i].id, cfg->quick, &params, &n);
        for (uint32_t p = 0; p < n && p < MAX_POINTS && st == VGT_OK; p++) {
            sweep_point *pt = &sb[i].pt[p];
            pt->param = params[p];
            for (int m = 0; m < 2 && st == VGT_OK; m++) {
                st = measure(cfg, sb[i].id, pt->param, m == 1, &pt->r[m], err);
            }
            if (st == VGT_OK) {
                sb[i].npoints = p + 1u;
                double a = per_frame_ms(&pt->r[0]), b = per_frame_ms(&pt->r[1]);
                fprintf(out, "%-17s %8u %4u/%-4u %14.3f %14.3f %8.2fx\n",
                        vgt_paper_bench_name(sb[i].id), pt->param, pt->r[0].frames, pt->r[1].frames,
                        a, b, a > 0 ? b / a : 0.0);
                fflush(out);
            }
        }
    }
    if (st == VGT_OK) {
        st = write_csv(cfg, sb, VGT_PAPER_BENCH_COUNT, err);
    }
    for (uint32_t i = 0; i < VGT_PAPER_BENCH_COUNT && st == VGT_OK; i++) {
        st = write_svg(cfg, &sb[i], err);
    }
    if (st == VGT_OK) {
        st = write_summary(cfg, sb, VGT_PAPER_BENCH_COUNT, err);
    }
    if (st == VGT_OK) {
        fprintf(out, "wrote %s/results.csv, %s/summary.md and one SVG per benchmark\n",
                cfg->out_dir, cfg->out_dir);
    }
    free(sb);
    return st;
}
