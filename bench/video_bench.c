/* video_bench.c - `vgt bench video`: SVGA_ESCAPE_VMWARE_VIDEO FLUSHes
 * executed by vgt_executor_execute, as a guest or a replay drives them: a
 * YUY2 and a YV12 frame (default 640x480) in GMR 1, shown at the same size,
 * scaled up 2x and down to half.  Each case runs on two executors in turn,
 * the default filter (interpolated chroma, bilinear) and the legacy one
 * (video_nearest: replicated chroma, nearest neighbour), so the bilinear
 * figure is printed beside the nearest one measured in the same run.  A
 * FLUSH reads the whole frame from guest memory and converts and scales it
 * once; the figure is destination pixels per second, best of the runs. */
#include "video_bench.h"

#include "bench_args.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_replay.h"

typedef struct vmem {
    uint8_t *p;
    uint32_t size;
} vmem;

static vgt_status vmem_read(void *ctx, uint32_t gmr, uint32_t off, void *dst, uint32_t len,
                            vgt_error *err)
{
    vmem *m = ctx;
    if (gmr != 1 || !vgt_range_inside(off, len, m->size)) {
        return vgt_error_set(err, VGT_E_RANGE, "bench: GMR %u offset %u length %u", gmr, off, len);
    }
    memcpy(dst, m->p + off, len);
    return VGT_OK;
}

static vgt_status vmem_write(void *ctx, uint32_t gmr, uint32_t off, const void *src, uint32_t len,
                             vgt_error *err)
{
    (void)ctx, (void)gmr, (void)off, (void)src, (void)len;
    return vgt_error_set(err, VGT_E_UNSUPPORTED, "bench: the overlay does not write");
}

/* Runs one ESCAPE of the VMware namespace with `n` payload words. */
static vgt_status escape(vgt_executor *ex, const uint32_t *payload, uint32_t n, vgt_error *err)
{
    uint32_t w[3 + 2 + 2 * VGT_SVGA_VIDEO_NUM_REGS];
    w[0] = VGT_SVGA_CMD_ESCAPE;
    w[1] = VGT_SVGA_ESCAPE_NSID_VMWARE;
    w[2] = n * 4u;
    memcpy(w + 3, payload, n * 4u);
    vgt_cmd cmd;
    vgt_exec_result res;
    vgt_status st = vgt_cmd_decode(w, 3u + n, &cmd, err);
    return st != VGT_OK ? st : vgt_executor_execute(ex, &cmd, &res, err);
}

/* SET_REGS of unit 0 (every register), then FLUSH `flushes` times; the
 * time of the flushes in *ns. */
static vgt_status run_case(vgt_executor *ex, const uint32_t *regs, uint32_t flushes, uint64_t *ns,
                           vgt_error *err)
{
    uint32_t p[2 + 2 * VGT_SVGA_VIDEO_NUM_REGS];
    p[0] = VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS;
    p[1] = 0;
    for (uint32_t r = 0; r < VGT_SVGA_VIDEO_NUM_REGS; r++) {
        p[2 + 2 * r] = r;
        p[3 + 2 * r] = regs[r];
    }
    vgt_status st = escape(ex, p, 2u + 2u * VGT_SVGA_VIDEO_NUM_REGS, err);
    const uint32_t flush[2] = {VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH, 0};
    uint64_t t0 = vgt_now_ns();
    for (uint32_t i = 0; i < flushes && st == VGT_OK; i++) {
        st = escape(ex, flush, 2, err);
    }
    *ns = vgt_now_ns() - t0;
    return st;
}

/* --size WxH: two whole numbers (the range is checked after, with its own
 * message); "64x48junk" is not a size (sscanf's %lux%lu took it) */
static bool parse_size(const char *s, unsigned long *w, unsigned long *h)
{
    const char *x = strchr(s, 'x');
    char width[32];
    if (!x || (size_t)(x - s) >= sizeof(width)) {
        return false;
    }
    memcpy(width, s, (size_t)(x - s));
    width[x - s] = '\0';
    return bench_parse_ulong(width, 0, ULONG_MAX, w) && bench_parse_ulong(x + 1, 0, ULONG_MAX, h);
}

int vgt_bench_video_main(int argc, char **argv)
{
    unsigned long w = 640, h = 480, runs = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--size") == 0 && i + 1 < argc && parse_size(argv[i + 1], &w, &h)) {
            i++;
        } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc &&
                   bench_parse_ulong(argv[i + 1], 0, ULONG_MAX, &runs)) {
            i++;
        } else {
            fprintf(stderr,
                    "vgt bench: video: bad argument '%s' (vgt bench video [--size WxH] "
                    "[--runs N])\n",
                    argv[i]);
            return 1;
        }
    }
    /* 2x up must stay within the overlay's 8192 and 16 Mi pixels */
    if (w < 2 || h < 2 || w > 2048 || h > 2048 || runs < 1 || runs > 100) {
        fprintf(stderr, "vgt bench: video: --size %lux%lu (2..2048 each), --runs %lu (1..100)\n", w,
                h, runs);
        return 1;
    }
    bench_print_banner();
    /* YUY2 at 0, YV12 after it: Y, then V, then U */
    const uint32_t yuy2_bytes = (uint32_t)(w * h * 2u);
    const uint32_t cw = (uint32_t)(w + 1u) / 2u, ch = (uint32_t)(h + 1u) / 2u;
    vmem m = {NULL, yuy2_bytes + (uint32_t)(w * h) + 2u * cw * ch};
    m.p = malloc(m.size);
    if (!m.p) {
        fprintf(stderr, "vgt bench: video: out of memory\n");
        return 2;
    }
    for (uint32_t i = 0; i < m.size; i++) {
        m.p[i] = (uint8_t)(16u + (i * 2654435761u >> 24) % 220u); /* not constant, in range */
    }
    vgt_executor *ex[2] = {NULL, NULL}; /* bilinear, nearest */
    vgt_error err = {0};
    int rc = 0;
    for (int k = 0; k < 2 && !rc; k++) {
        vgt_executor_config cfg = {.mem = {.ctx = &m, .read = vmem_read, .write = vmem_write},
                                   .video_nearest = k == 1};
        if (vgt_executor_create(&cfg, &ex[k], &err) != VGT_OK) {
            fprintf(stderr, "vgt bench: video: %s\n", err.message);
            rc = 2;
        }
    }
    static const struct {
        uint32_t fmt;
        const char *name;
    } fmts[2] = {{VGT_SVGA_FOURCC_YUY2, "YUY2"}, {VGT_SVGA_FOURCC_YV12, "YV12"}};
    static const struct {
        uint32_t num, den;
        const char *name;
    } scales[3] = {{1, 1, "same size"}, {2, 1, "2x up"}, {1, 2, "half"}};
    if (!rc) {
        printf("video overlay: %lux%lu frames from guest memory, one FLUSH = read + convert + "
               "scale; best of %lu run%s, destination Mpixel/s\n",
               w, h, runs, vgt_plural(runs));
    }
    for (int f = 0; f < 2 && !rc; f++) {
        for (int s = 0; s < 3 && !rc; s++) {
            uint32_t regs[VGT_SVGA_VIDEO_NUM_REGS] = {0};
            const uint32_t dw = (uint32_t)w * scales[s].num / scales[s].den;
            const uint32_t dh = (uint32_t)h * scales[s].num / scales[s].den;
            regs[VGT_SVGA_VIDEO_ENABLED] = 1;
            regs[VGT_SVGA_VIDEO_FORMAT] = fmts[f].fmt;
            regs[VGT_SVGA_VIDEO_WIDTH] = regs[VGT_SVGA_VIDEO_SRC_WIDTH] = (uint32_t)w;
            regs[VGT_SVGA_VIDEO_HEIGHT] = regs[VGT_SVGA_VIDEO_SRC_HEIGHT] = (uint32_t)h;
            regs[VGT_SVGA_VIDEO_DST_WIDTH] = dw;
            regs[VGT_SVGA_VIDEO_DST_HEIGHT] = dh;
            regs[VGT_SVGA_VIDEO_DATA_GMRID] = 1;
            regs[VGT_SVGA_VIDEO_DST_SCREEN_ID] = VGT_SVGA_ID_INVALID;
            if (fmts[f].fmt == VGT_SVGA_FOURCC_YV12) {
                regs[VGT_SVGA_VIDEO_DATA_OFFSET] = yuy2_bytes;
                regs[VGT_SVGA_VIDEO_PITCH_1] = (uint32_t)w;
                regs[VGT_SVGA_VIDEO_PITCH_2] = regs[VGT_SVGA_VIDEO_PITCH_3] = cw;
            } else {
                regs[VGT_SVGA_VIDEO_PITCH_1] = cw * 4u;
            }
            /* about 20 Mpixel of destination a run */
            const uint32_t flushes = 1u + (uint32_t)(20000000ull / ((uint64_t)dw * dh));
            double best[2] = {0, 0};
            for (unsigned long r = 0; r < runs && !rc; r++) {
                for (int k = 0; k < 2 && !rc; k++) { /* in turn, same conditions */
                    uint64_t ns = 0;
                    if (run_case(ex[k], regs, flushes, &ns, &err) != VGT_OK) {
                        fprintf(stderr, "vgt bench: video: %s\n", err.message);
                        rc = 2;
                        break;
                    }
                    double mps = (double)dw * dh * flushes / ((double)(ns ? ns : 1) / 1e9) / 1e6;
                    best[k] = mps > best[k] ? mps : best[k];
                }
            }
            if (!rc) {
                printf("  %s %-9s -> %4ux%-4u  bilinear %8.1f Mpixel/s   nearest %8.1f Mpixel/s "
                       "(nearest %.2fx)\n",
                       fmts[f].name, scales[s].name, dw, dh, best[0], best[1],
                       best[0] > 0 ? best[1] / best[0] : 0.0);
            }
        }
    }
    vgt_executor_destroy(ex[0]);
    vgt_executor_destroy(ex[1]);
    free(m.p);
    return rc;
}
