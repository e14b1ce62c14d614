/* fbtrace.c - sample "fbtrace": a plain framebuffer guest.  It enables SVGA
 * mode and never configures the FIFO (no CONFIG_DONE, no commands, no
 * interrupts): it draws by writing VRAM, and the host shows what changed at
 * its display refresh, by framebuffer traces (docs/device.md).  A gradient
 * background is drawn once, then every frame a block bounces (erased and
 * redrawn) and a bar along the bottom grows by one step.  After drawing a
 * frame the guest waits for the host's next refresh (vgt_guest_wait_refresh,
 * its vertical retrace wait), which shows it: with the harness's default
 * refresh on demand, one frame per refresh, and frame N always looks the
 * same. */
#include "demo_util.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <string.h>

#define BLOCK 48u
#define BAR_H 8u

typedef struct fb_demo {
    vgt_drv drv;
    uint32_t w, h;
} fb_demo;

static void put(fb_demo *d, uint32_t x, uint32_t y, uint32_t rgb)
{
    vgt_store_le32(d->drv.fb + (size_t)y * d->drv.pitch + (size_t)x * 4u, rgb);
}

static uint32_t background(const fb_demo *d, uint32_t x, uint32_t y)
{
    uint32_t r = x * 255u / d->w, g = y * 255u / d->h, b = ((x ^ y) >> 3) & 0x3Fu;
    return r << 16 | g << 8 | (0x40u + b);
}

static void block_pos(const fb_demo *d, uint32_t f, uint32_t *x, uint32_t *y)
{
    *x = demo_tri(f * 7u + 13u, d->w - BLOCK);
    *y = demo_tri(f * 5u + 3u, d->h - BAR_H - BLOCK);
}

static void draw_block(fb_demo *d, uint32_t x0, uint32_t y0, uint32_t f, bool erase)
{
    for (uint32_t y = y0; y < y0 + BLOCK; y++) {
        for (uint32_t x = x0; x < x0 + BLOCK; x++) {
            bool edge = x == x0 || y == y0 || x == x0 + BLOCK - 1u || y == y0 + BLOCK - 1u;
            uint32_t c = edge ? 0x101010u : 0xE0E0E0u - ((f * 8u) & 0x7Fu) * 0x010000u;
            put(d, x, y, erase ? background(d, x, y) : c);
        }
    }
}

/* Frame f's bar: f + 1 steps of the width, wrapping. */
static void draw_bar(fb_demo *d, uint32_t f)
{
    uint32_t step = d->w / 64u ? d->w / 64u : 1u;
    uint32_t len = ((f % 64u) + 1u) * step;
    for (uint32_t y = d->h - BAR_H; y < d->h; y++) {
        for (uint32_t x = 0; x < d->w; x++) {
            put(d, x, y, x < len ? 0x30C060u : 0x202020u);
        }
    }
}

int vgt_sample_fbtrace(vgt_guest *guest, const vgt_sample_args *args)
{
    fb_demo d;
    memset(&d, 0, sizeof(d));
    vgt_error err = {0};
    demo_args a;
    if (!demo_args_get("fbtrace", args, 60u, 128u, 96u, false, &a)) {
        return 1;
    }
    d.w = a.w;
    d.h = a.h;
    if (vgt_drv_init(&d.drv, guest, &err) != VGT_OK ||
        vgt_drv_set_mode_fb(&d.drv, d.w, d.h, 32, &err) != VGT_OK) {
        if (!a.quiet) {
            fprintf(stderr, "fbtrace: %s\n", err.message);
        }
        vgt_drv_fini(&d.drv);
        return 2;
    }
    for (uint32_t y = 0; y < d.h; y++) {
        for (uint32_t x = 0; x < d.w; x++) {
            put(&d, x, y, background(&d, x, y));
        }
    }
    uint32_t bx, by;
    block_pos(&d, 0, &bx, &by);
    for (uint32_t f = 0; f < a.frames; f++) {
        draw_block(&d, bx, by, f, true);
        block_pos(&d, f, &bx, &by);
        draw_block(&d, bx, by, f, false);
        draw_bar(&d, f);
        vgt_guest_wait_refresh(guest);
    }
    vgt_drv_fini(&d.drv);
    return 0;
}
