/* palette.c - sample "palette": the 8-bit pseudocolor mode
 * (SVGA_CAP_8BIT_EMULATION).  A background of palette indices is drawn once
 * and animated by cycling 240 palette entries every frame (shown by the
 * frame's UPDATE: a palette write alone changes nothing on the screen), a
 * band at the top scrolls by RECT_COPY of index bytes, a block bounces, and
 * an AND/XOR cursor with an 8-bit XOR mask (palette indices) follows a
 * path.  A fence per frame, waited for.  Everything is a function of the
 * frame number, so frame N always looks the same. */
#include "demo_util.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <string.h>

#define BAND_H     24u  /* the scrolling band at the top */
#define SCROLL     4u   /* pixels per frame */
#define CYCLE_0    16u  /* first cycled entry */
#define CYCLE_N    240u /* cycled entries: CYCLE_0..255 */
#define CYCLE_STEP 3u   /* entries the cycle moves per frame */
#define BLOCK      40u
#define CURSOR_SZ  16u

/* Fixed entries 0..15. */
enum { IX_BLACK, IX_WHITE, IX_BAND_ON, IX_BAND_OFF, IX_BLOCK, IX_OUTLINE, IX_FIXED_N = 16 };

static const uint8_t fixed_rgb[IX_FIXED_N][3] = {
    {0x00, 0x00, 0x00}, {0xFF, 0xFF, 0xFF}, {0xF0, 0xC0, 0x20},
    {0x20, 0x28, 0x30}, {0xE0, 0x40, 0x40}, {0x10, 0x10, 0x10},
};

typedef struct pal_demo {
    vgt_drv drv;
    uint32_t w, h;
} pal_demo;

/* Cycled colour k of CYCLE_N: a smooth loop through red, green and blue
 * (each component a triangle wave a third of the loop apart). */
static void ramp(uint32_t k, uint8_t rgb[3])
{
    for (uint32_t c = 0; c < 3u; c++) {
        uint32_t p = (k + c * (CYCLE_N / 3u)) % CYCLE_N;
        uint32_t t = p < CYCLE_N / 2u ? p : CYCLE_N - p; /* 0..120 */
        rgb[c] = (uint8_t)(0x18u + t * 0xE0u / (CYCLE_N / 2u));
    }
}

/* Frame f's palette: the fixed entries, then the ramp turned by f. */
static void program_palette(pal_demo *d, uint32_t f, bool fixed_too)
{
    if (fixed_too) {
        vgt_drv_set_palette(&d->drv, 0, IX_FIXED_N, &fixed_rgb[0][0]);
    }
    uint8_t rgb[CYCLE_N * 3u];
    for (uint32_t i = 0; i < CYCLE_N; i++) {
        ramp((i + f * CYCLE_STEP) % CYCLE_N, &rgb[3u * i]);
    }
    vgt_drv_set_palette(&d->drv, CYCLE_0, CYCLE_N, rgb);
}

static uint8_t background(const pal_demo *d, uint32_t x, uint32_t y)
{
    (void)d;
    uint32_t v = (x + 2u * y) / 4u + ((x * y) >> 10);
    return (uint8_t)(CYCLE_0 + v % CYCLE_N);
}

static void put(pal_demo *d, uint32_t x, uint32_t y, uint8_t index)
{
    d->drv.fb[(size_t)y * d->drv.pitch + x] = index;
}

static void block_pos(const pal_demo *d, uint32_t f, uint32_t *x, uint32_t *y)
{
    *x = demo_tri(f * 5u + 11u, d->w - BLOCK);
    *y = BAND_H + demo_tri(f * 3u + 7u, d->h - BAND_H - BLOCK);
}

static void draw_block(pal_demo *d, uint32_t x0, uint32_t y0, bool erase)
{
    for (uint32_t y = y0; y < y0 + BLOCK; y++) {
        for (uint32_t x = x0; x < x0 + BLOCK; x++) {
            bool edge = x == x0 || y == y0 || x == x0 + BLOCK - 1u || y == y0 + BLOCK - 1u;
            put(d, x, y, erase ? background(d, x, y) : edge ? IX_OUTLINE : IX_BLOCK);
        }
    }
}

/* A 16x16 arrow: AND mask 1 bit (1 keeps the screen), XOR mask 8 bits
 * (palette indices: white body, black edge). */
static void define_cursor(pal_demo *d)
{
    vgt_svga_cmd_define_cursor info = {.id = 0,
                                       .hotspot_x = 1,
                                       .hotspot_y = 1,
                                       .width = CURSOR_SZ,
                                       .height = CURSOR_SZ,
                                       .and_mask_depth = 1,
                                       .xor_mask_depth = 8};
    void *and_mask, *xor_mask;
    if (!vgt_drv_begin_define_cursor(&d->drv, &info, &and_mask, &xor_mask)) {
        return;
    }
    uint8_t *am = and_mask, *xm = xor_mask; /* rows of 4 and 16 bytes */
    memset(am, 0xFF, 4u * CURSOR_SZ);
    memset(xm, 0, (size_t)CURSOR_SZ * CURSOR_SZ);
    for (uint32_t y = 0; y < CURSOR_SZ; y++) {
        for (uint32_t x = 0; x < CURSOR_SZ; x++) {
            bool body = x <= y && x + y / 2u < 12u && y < 13u;
            if (!body) {
                continue;
            }
            bool edge = x == 0 || x == y || x + y / 2u >= 11u || y >= 12u;
            am[4u * y + x / 8u] &= (uint8_t) ~(0x80u >> (x % 8u));
            xm[CURSOR_SZ * y + x] = edge ? IX_BLACK : IX_WHITE;
        }
    }
    vgt_drv_fifo_commit_all(&d->drv);
}

int vgt_sample_palette(vgt_guest *guest, const vgt_sample_args *args)
{
    pal_demo d;
    memset(&d, 0, sizeof(d));
    vgt_error err = {0};
    demo_args a;
    if (!demo_args_get("palette", args, 60u, 128u, 96u, false, &a)) {
        return 1;
    }
    uint32_t frames = a.frames;
    bool quiet = a.quiet;
    d.w = a.w;
    d.h = a.h;
    if (vgt_drv_init(&d.drv, guest, &err) != VGT_OK) {
        if (!quiet) {
            fprintf(stderr, "palette: %s\n", err.message);
        }
        return 2;
    }
    if (!(d.drv.capabilities & VGT_SVGA_CAP_8BIT_EMULATION) ||
        vgt_drv_set_mode(&d.drv, d.w, d.h, 8, &err) != VGT_OK) {
        if (!quiet) {
            fprintf(stderr, "palette: %s\n",
                    err.message[0] ? err.message : "the device offers no 8-bit mode");
        }
        vgt_drv_fini(&d.drv);
        return 2;
    }

    /* Frame 0 starts from the whole background and palette. */
    program_palette(&d, 0, true);
    for (uint32_t y = 0; y < d.h; y++) {
        for (uint32_t x = 0; x < d.w; x++) {
            put(&d, x, y, y < BAND_H ? IX_BAND_OFF : background(&d, x, y));
        }
    }
    uint32_t bx, by;
    block_pos(&d, 0, &bx, &by);

    for (uint32_t f = 0; f < frames && !d.drv.failed; f++) {
        /* The previous frame's fence passed: its UPDATEs used its palette,
         * so this frame's may change it. */
        if (f > 0) {
            program_palette(&d, f, false);
        }
        uint32_t stage_x = d.w - SCROLL;
        for (uint32_t y = 0; y < BAND_H; y++) {
            for (uint32_t x = 0; x < SCROLL; x++) {
                uint32_t k = (f * SCROLL + x) / 16u;
                put(&d, stage_x + x, y, ((k + y / 6u) & 1u) ? IX_BAND_ON : IX_BAND_OFF);
            }
        }
        draw_block(&d, bx, by, true);
        block_pos(&d, f, &bx, &by);
        draw_block(&d, bx, by, false);

        if (f == 0) {
            vgt_drv_update(&d.drv, 0, 0, d.w, BAND_H);
            define_cursor(&d);
        }
        /* The band: its fixed entries do not cycle, so it is shown only
         * where it changes: the staging strip, then scrolled left by
         * RECT_COPY of index bytes, then the strip copied in. */
        vgt_drv_update(&d.drv, stage_x, 0, SCROLL, BAND_H);
        vgt_drv_rect_copy(&d.drv, SCROLL, 0, 0, 0, d.w - 2u * SCROLL, BAND_H);
        vgt_drv_rect_copy(&d.drv, stage_x, 0, stage_x - SCROLL, 0, SCROLL, BAND_H);
        /* Everything below it uses the cycled entries: one UPDATE shows the
         * new palette and the block. */
        vgt_drv_update(&d.drv, 0, BAND_H, d.w, d.h - BAND_H);
        vgt_drv_move_cursor(&d.drv, 1, demo_tri(f * 7u, d.w - 1u),
                            BAND_H + demo_tri(f * 5u, d.h - BAND_H - 1u));
        uint32_t fence = vgt_drv_insert_fence(&d.drv);
        vgt_drv_sync_to_fence(&d.drv, fence);
    }
    int rc = 0;
    if (d.drv.failed) {
        if (!quiet) {
            fprintf(stderr, "palette: %s\n", d.drv.error.message);
        }
        rc = 2;
    }
    vgt_drv_fini(&d.drv);
    return rc;
}
