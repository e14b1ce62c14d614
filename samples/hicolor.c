/* hicolor.c - sample "hicolor": the legacy modes of 16, 15, 24 and 32 bits
 * per pixel in turn, MODE_FRAMES frames each, the FIFO running throughout.
 * At each mode the guest reads the colour masks back and draws the same
 * picture in that mode's pixel format by direct VRAM writes: colour ramps
 * (red, green, blue and grey from 0 to full, where 5 and 6 bits show their
 * steps), a band at the top scrolled by RECT_COPY, and a bouncing block,
 * shown by UPDATEs of what changed.  A fence per frame, waited for.
 * Everything is a function of the frame number, so frame N always looks
 * the same. */
#include "demo_util.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <string.h>

#define MODE_FRAMES 4u  /* frames in each mode */
#define BAND_H      16u /* the scrolling band at the top */
#define SCROLL      4u  /* pixels per frame */
#define BLOCK       24u

static const uint32_t modes[] = {16, 15, 24, 32};
#define NUM_MODES (sizeof(modes) / sizeof(modes[0]))

typedef struct hc_demo {
    vgt_drv drv;
    uint32_t w, h;
} hc_demo;

/* The background below the band: four horizontal ramps from black to full
 * red, green, blue and white, then a diagonal mix of all three. */
static uint32_t background(const hc_demo *d, uint32_t x, uint32_t y)
{
    uint32_t rows = d->h - BAND_H, y0 = y - BAND_H;
    uint32_t v = x * 255u / (d->w - 1u);
    switch (y0 * 5u / rows) {
    case 0:
        return v << 16;
    case 1:
        return v << 8;
    case 2:
        return v;
    case 3:
        return v << 16 | v << 8 | v;
    default: {
        uint32_t u = y0 * 255u / (rows - 1u);
        return v << 16 | (255u - v) << 8 | u;
    }
    }
}

/* Band column k (of the whole scrolled strip), row y: stripes of two
 * colours with a channel at its maximum (0xFF in 8 bits is all ones in 5
 * and 6 bits too). */
static uint32_t band(uint32_t k, uint32_t y)
{
    return ((k / 8u + y / 4u) & 1u) ? 0xFFC000u : 0x0040FFu;
}

static void put(hc_demo *d, uint32_t x, uint32_t y, uint32_t rgb)
{
    vgt_drv_put_pixel(&d->drv, x, y, vgt_drv_pixel(&d->drv, rgb));
}

static void block_pos(const hc_demo *d, uint32_t f, uint32_t *x, uint32_t *y)
{
    *x = demo_tri(f * 5u + 3u, d->w - BLOCK);
    *y = BAND_H + demo_tri(f * 3u + 5u, d->h - BAND_H - BLOCK);
}

static void draw_block(hc_demo *d, uint32_t x0, uint32_t y0, bool erase)
{
    for (uint32_t y = y0; y < y0 + BLOCK; y++) {
        for (uint32_t x = x0; x < x0 + BLOCK; x++) {
            bool edge = x == x0 || y == y0 || x == x0 + BLOCK - 1u || y == y0 + BLOCK - 1u;
            put(d, x, y, erase ? background(d, x, y) : edge ? 0xFFFFFFu : 0xF80818u);
        }
    }
}

/* Mode bpp from frame f on (frame 0's was set with the FIFO): the whole
 * picture drawn in its format and shown. */
static void start_mode(hc_demo *d, uint32_t f, uint32_t bpp, vgt_error *err)
{
    if (f > 0 && vgt_drv_switch_mode(&d->drv, d->w, d->h, bpp, err) != VGT_OK) {
        d->drv.failed = true;
        d->drv.error = *err;
        return;
    }
    for (uint32_t y = 0; y < d->h; y++) {
        for (uint32_t x = 0; x < d->w; x++) {
            put(d, x, y, y < BAND_H ? band(f * SCROLL + SCROLL + x, y) : background(d, x, y));
        }
    }
    /* The block too, before the UPDATE that shows it all: VRAM is written
     * only while no queued command reads it (an UPDATE in flight would
     * read a half-drawn block, and the frame would depend on timing). */
    uint32_t bx, by;
    block_pos(d, f, &bx, &by);
    draw_block(d, bx, by, false);
    vgt_drv_update(&d->drv, 0, 0, d->w, d->h);
}

int vgt_sample_hicolor(vgt_guest *guest, const vgt_sample_args *args)
{
    hc_demo d;
    memset(&d, 0, sizeof(d));
    vgt_error err = {0};
    demo_args a;
    if (!demo_args_get("hicolor", args, 64u, 64u, 48u, false, &a)) {
        return 1;
    }
    d.w = a.w;
    d.h = a.h;
    if (vgt_drv_init(&d.drv, guest, &err) != VGT_OK ||
        vgt_drv_set_mode(&d.drv, d.w, d.h, modes[0], &err) != VGT_OK) {
        if (!a.quiet) {
            fprintf(stderr, "hicolor: %s\n", err.message);
        }
        vgt_drv_fini(&d.drv);
        return 2;
    }
    uint32_t bx, by;
    block_pos(&d, 0, &bx, &by);
    for (uint32_t f = 0; f < a.frames && !d.drv.failed; f++) {
        if (f % MODE_FRAMES == 0) {
            start_mode(&d, f, modes[(f / MODE_FRAMES) % NUM_MODES], &err);
            block_pos(&d, f, &bx, &by);
        } else {
            /* The band: the new strip drawn into the staging columns at
             * the right and shown, the band scrolled left by RECT_COPY in
             * the mode's format, the strip copied in after it.  Commands
             * run in order, so each copy reads what the one before left,
             * and VRAM is written only between frames (after the fence). */
            uint32_t stage_x = d.w - SCROLL;
            for (uint32_t y = 0; y < BAND_H; y++) {
                for (uint32_t x = 0; x < SCROLL; x++) {
                    put(&d, stage_x + x, y, band(f * SCROLL + d.w + x, y));
                }
            }
            /* The block: erased, moved, drawn (all CPU writes before the
             * frame's first command, none while one runs). */
            uint32_t ox = bx, oy = by;
            draw_block(&d, bx, by, true);
            block_pos(&d, f, &bx, &by);
            draw_block(&d, bx, by, false);
            vgt_drv_update(&d.drv, stage_x, 0, SCROLL, BAND_H);
            vgt_drv_rect_copy(&d.drv, SCROLL, 0, 0, 0, d.w - 2u * SCROLL, BAND_H);
            vgt_drv_rect_copy(&d.drv, stage_x, 0, stage_x - SCROLL, 0, SCROLL, BAND_H);
            /* both places of the block shown */
            vgt_drv_update(&d.drv, ox, oy, BLOCK, BLOCK);
            vgt_drv_update(&d.drv, bx, by, BLOCK, BLOCK);
        }
        uint32_t fence = vgt_drv_insert_fence(&d.drv);
        vgt_drv_sync_to_fence(&d.drv, fence);
    }
    int rc = 0;
    if (d.drv.failed) {
        if (!a.quiet) {
            fprintf(stderr, "hicolor: %s\n", d.drv.error.message);
        }
        rc = 2;
    }
    vgt_drv_fini(&d.drv);
    return rc;
}
