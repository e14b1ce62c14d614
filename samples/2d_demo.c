/* 2d_demo.c - sample "2d-demo": moving rectangles drawn into the legacy
 * framebuffer and shown with UPDATE, a scrolling band moved with RECT_COPY,
 * an alpha cursor moved through the FIFO cursor registers, and a fence per
 * frame that the guest waits for.  Everything is a function of the frame
 * number, so frame N always looks the same. */
#include "demo_util.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <string.h>

#define BAND_H    24u /* the scrolling band at the top */
#define SCROLL    4u  /* pixels per frame */
#define NUM_RECTS 4u
#define CURSOR_SZ 32u

typedef struct demo {
    vgt_drv drv;
    uint32_t w, h;
    int32_t old_x[NUM_RECTS], old_y[NUM_RECTS];
} demo;

static uint32_t background(const demo *d, uint32_t x, uint32_t y)
{
    uint32_t r = 0x20u + (y * 0x60u) / d->h;
    uint32_t g = 0x20u + (x * 0x40u) / d->w;
    uint32_t b = 0x60u + ((x + y) & 0x1Fu);
    return 0xFF000000u | (r << 16) | (g << 8) | b;
}

static void put(demo *d, uint32_t x, uint32_t y, uint32_t c)
{
    memcpy(d->drv.fb + (size_t)y * d->drv.pitch + (size_t)x * 4u, &c, 4);
}

static const uint32_t rect_colors[NUM_RECTS] = {0xFFE04040u, 0xFF40E040u, 0xFF4040E0u, 0xFFE0E040u};

static void rect_size(const demo *d, uint32_t i, uint32_t *rw, uint32_t *rh)
{
    *rw = d->w / 8u + i * 6u;
    *rh = d->h / 10u + i * 4u;
}

static void rect_pos(const demo *d, uint32_t i, uint32_t frame, int32_t *x, int32_t *y)
{
    uint32_t rw, rh;
    rect_size(d, i, &rw, &rh);
    uint32_t area_h = d->h - BAND_H;
    *x = (int32_t)demo_tri(frame * (3u + 2u * i) + i * 37u, d->w - rw);
    *y = (int32_t)(BAND_H + demo_tri(frame * (2u + i) + i * 23u, area_h - rh));
}

static void fill_rect(demo *d, uint32_t x0, uint32_t y0, uint32_t rw, uint32_t rh, bool bg,
                      uint32_t color)
{
    for (uint32_t y = y0; y < y0 + rh; y++) {
        for (uint32_t x = x0; x < x0 + rw; x++) {
            uint32_t c = bg ? background(d, x, y) : color;
            if (!bg && (x == x0 || y == y0 || x == x0 + rw - 1 || y == y0 + rh - 1)) {
                c = 0xFF101010u; /* outline */
            }
            put(d, x, y, c);
        }
    }
}

/* A 32x32 arrow with a soft shadow, premultiplied BGRA. */
static void define_cursor(demo *d)
{
    uint32_t *px = vgt_drv_begin_define_alpha_cursor(&d->drv, 1, 1, CURSOR_SZ, CURSOR_SZ);
    if (!px) {
        return;
    }
    for (uint32_t y = 0; y < CURSOR_SZ; y++) {
        for (uint32_t x = 0; x < CURSOR_SZ; x++) {
            uint32_t v = 0;
            bool body = x <= y && x + y / 2u < 24u && y < 26u;
            bool edge = body && (x == 0 || x == y || x + y / 2u >= 22u || y >= 24u);
            bool shadow =
                !body && x >= 2 && y >= 2 && x - 2u <= y - 2u && x + y / 2u < 28u && y < 29u;
            if (edge) {
                v = 0xFF000000u;
            } else if (body) {
                v = 0xFFFFFFFFu;
            } else if (shadow) {
                v = 0x60000000u; /* black at 3/8 alpha, premultiplied */
            }
            px[y * CURSOR_SZ + x] = v;
        }
    }
    vgt_drv_fifo_commit_all(&d->drv);
}

int vgt_sample_2d_demo(vgt_guest *guest, const vgt_sample_args *args)
{
    demo d;
    memset(&d, 0, sizeof(d));
    vgt_error err = {0};
    demo_args a;
    if (!demo_args_get("2d-demo", args, 60u, 128u, 96u, false, &a)) {
        return 1;
    }
    uint32_t frames = a.frames;
    bool quiet = a.quiet;
    d.w = a.w;
    d.h = a.h;
    if (vgt_drv_init(&d.drv, guest, &err) != VGT_OK ||
        vgt_drv_set_mode(&d.drv, d.w, d.h, 32, &err) != VGT_OK) {
        if (!quiet) {
            fprintf(stderr, "2d-demo: %s\n", err.message);
        }
        vgt_drv_fini(&d.drv);
        return 2;
    }

    /* Frame 0 starts from a full background (shown with frame 0's commands). */
    fill_rect(&d, 0, 0, d.w, d.h, true, 0);
    for (uint32_t i = 0; i < NUM_RECTS; i++) {
        rect_pos(&d, i, 0, &d.old_x[i], &d.old_y[i]);
    }

    for (uint32_t f = 0; f < frames && !d.drv.failed; f++) {
        /* All of the frame's pixel writes come first, then its commands: the
         * device reads VRAM for this frame's UPDATEs and writes it for its
         * RECT_COPYs while the guest no longer touches it (the previous
         * frame's fence was waited for). */
        uint32_t stage_x = d.w - SCROLL;
        for (uint32_t y = 0; y < BAND_H; y++) {
            for (uint32_t x = 0; x < SCROLL; x++) {
                uint32_t k = (f * SCROLL + x) / 16u;
                bool on = ((k + y / 6u) & 1u) != 0;
                put(&d, stage_x + x, y, on ? 0xFFF0C020u : 0xFF202830u);
            }
        }
        int32_t old_x[NUM_RECTS], old_y[NUM_RECTS], new_x[NUM_RECTS], new_y[NUM_RECTS];
        for (uint32_t i = 0; i < NUM_RECTS; i++) {
            uint32_t rw, rh;
            rect_size(&d, i, &rw, &rh);
            old_x[i] = d.old_x[i];
            old_y[i] = d.old_y[i];
            fill_rect(&d, (uint32_t)old_x[i], (uint32_t)old_y[i], rw, rh, true, 0);
        }
        for (uint32_t i = 0; i < NUM_RECTS; i++) {
            uint32_t rw, rh;
            rect_size(&d, i, &rw, &rh);
            rect_pos(&d, i, f, &new_x[i], &new_y[i]);
            fill_rect(&d, (uint32_t)new_x[i], (uint32_t)new_y[i], rw, rh, false, rect_colors[i]);
            d.old_x[i] = new_x[i];
            d.old_y[i] = new_y[i];
        }

        if (f == 0) {
            vgt_drv_update(&d.drv, 0, 0, d.w, d.h);
            define_cursor(&d);
        }
        /* The band: show the staging strip at the right edge, scroll the
         * band left, then copy the strip in. */
        vgt_drv_update(&d.drv, stage_x, 0, SCROLL, BAND_H);
        vgt_drv_rect_copy(&d.drv, SCROLL, 0, 0, 0, d.w - 2u * SCROLL, BAND_H);
        vgt_drv_rect_copy(&d.drv, stage_x, 0, stage_x - SCROLL, 0, SCROLL, BAND_H);
        /* The rectangles: where they were, then where they are. */
        for (uint32_t i = 0; i < NUM_RECTS; i++) {
            uint32_t rw, rh;
            rect_size(&d, i, &rw, &rh);
            vgt_drv_update(&d.drv, (uint32_t)old_x[i], (uint32_t)old_y[i], rw, rh);
        }
        for (uint32_t i = 0; i < NUM_RECTS; i++) {
            uint32_t rw, rh;
            rect_size(&d, i, &rw, &rh);
            vgt_drv_update(&d.drv, (uint32_t)new_x[i], (uint32_t)new_y[i], rw, rh);
        }

        /* The cursor, then the frame's fence; wait so that the next frame's
         * pixels and cursor position never race this frame's. */
        vgt_drv_move_cursor(&d.drv, 1, demo_tri(f * 7u, d.w - 1u),
                            BAND_H + demo_tri(f * 5u, d.h - BAND_H - 1u));
        uint32_t fence = vgt_drv_insert_fence(&d.drv);
        vgt_drv_sync_to_fence(&d.drv, fence);
    }
    int rc = 0;
    if (d.drv.failed) {
        if (!quiet) {
            fprintf(stderr, "2d-demo: %s\n", d.drv.error.message);
        }
        rc = 2;
    }
    vgt_drv_fini(&d.drv);
    return rc;
}
