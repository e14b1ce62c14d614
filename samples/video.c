/* video.c - sample "video": two video overlay units over a 2D background,
 * as a guest video player drives them (SVGA_ESCAPE_VMWARE_VIDEO):
 *
 *   - unit 0 plays a generated, moving YUY2 pattern (160x120) from a GMR,
 *     double-buffered, scaled to 240x180 and sliding left and right;
 *   - unit 1 plays a YV12 pattern (128x96) from VRAM past the framebuffer,
 *     a source sub-rectangle scaled into a box of the background drawn in
 *     the colour key, so it shows only there; it is switched off (ENABLED 0
 *     + FLUSH) for frames 20..24 and on again at 25;
 *   - a small rectangle bounces through the framebuffer under unit 0
 *     (UPDATE), so the overlay's place in the composition shows.
 *
 * The frame is read by the device at the FLUSH; the guest writes a buffer
 * only after the fence of the frame that showed it passed (it waits for
 * every frame's fence), so every frame is a function of its number. */
#include "demo_util.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <string.h>

#define V0_W   160u
#define V0_H   120u
#define V1_W   128u
#define V1_H   96u
#define V0_GMR 1u
#define KEY    0x00FF00FFu /* magenta: unit 1's colour key */
#define BOX_SZ 24u         /* the bouncing rectangle */

typedef struct player {
    vgt_drv drv;
    uint32_t w, h;
    uint8_t *v0;        /* unit 0's two YUY2 buffers (the GMR) */
    uint32_t v0_bytes;  /* one buffer */
    uint32_t v1_offset; /* unit 1's YV12 frame in VRAM */
    uint32_t key_x, key_y, key_w, key_h;
} player;

static uint32_t tri(uint32_t t, uint32_t range)
{
    if (range == 0) {
        return 0;
    }
    uint32_t p = t % (2u * range);
    return p <= range ? p : 2u * range - p;
}

static uint32_t background(const player *p, uint32_t x, uint32_t y)
{
    if (x >= p->key_x && x < p->key_x + p->key_w && y >= p->key_y && y < p->key_y + p->key_h) {
        return 0xFF000000u | KEY;
    }
    uint32_t r = 0x30u + (y * 0x50u) / p->h;
    uint32_t g = 0x28u + ((x / 32u + y / 32u) & 1u) * 0x18u;
    uint32_t b = 0x50u + (x * 0x60u) / p->w;
    return 0xFF000000u | (r << 16) | (g << 8) | b;
}

static void fill(player *p, uint32_t x0, uint32_t y0, uint32_t w, uint32_t h, bool bg)
{
    for (uint32_t y = y0; y < y0 + h; y++) {
        uint32_t *row = (uint32_t *)(void *)(p->drv.fb + (size_t)y * p->drv.pitch);
        for (uint32_t x = x0; x < x0 + w; x++) {
            row[x] = bg ? background(p, x, y) : 0xFFF0F0F0u;
        }
    }
}

/* Frame f of unit 0, YUY2 (Y0 U Y1 V per pixel pair): diagonal luma bands
 * moving with f, chroma sweeping across and down. */
static void gen_yuy2(uint8_t *dst, uint32_t f)
{
    for (uint32_t y = 0; y < V0_H; y++) {
        for (uint32_t x = 0; x < V0_W; x += 2) {
            uint8_t *q = dst + (size_t)y * V0_W * 2u + (size_t)x * 2u;
            q[0] = (uint8_t)(16u + ((x + y + 3u * f) * 4u) % 220u);
            q[1] = (uint8_t)(16u + (x + 2u * f) % 224u);
            q[2] = (uint8_t)(16u + ((x + 1u + y + 3u * f) * 4u) % 220u);
            q[3] = (uint8_t)(16u + (y * 2u + f) % 224u);
        }
    }
}

/* Frame f of unit 1, YV12: Y plane, then V, then U (half size each). */
static void gen_yv12(uint8_t *dst, uint32_t f)
{
    for (uint32_t y = 0; y < V1_H; y++) {
        for (uint32_t x = 0; x < V1_W; x++) {
            dst[(size_t)y * V1_W + x] = (uint8_t)(16u + (((x ^ y) & 0x3Fu) * 3u + 2u * f) % 220u);
        }
    }
    uint8_t *v = dst + V1_W * V1_H, *u = v + (V1_W / 2u) * (V1_H / 2u);
    for (uint32_t y = 0; y < V1_H / 2u; y++) {
        for (uint32_t x = 0; x < V1_W / 2u; x++) {
            v[y * (V1_W / 2u) + x] = (uint8_t)(16u + (y * 4u + 2u * f) % 224u);
            u[y * (V1_W / 2u) + x] = (uint8_t)(16u + (x * 4u + f) % 224u);
        }
    }
}

int vgt_sample_video(vgt_guest *guest, const vgt_sample_args *args)
{
    player p;
    memset(&p, 0, sizeof(p));
    vgt_error err = {0};
    demo_args a;
    if (!demo_args_get("video", args, 60u, 160u, 120u, false, &a)) {
        return 1;
    }
    uint32_t frames = a.frames;
    bool quiet = a.quiet;
    p.w = a.w;
    p.h = a.h;
    if (vgt_drv_init(&p.drv, guest, &err) != VGT_OK ||
        vgt_drv_set_mode(&p.drv, p.w, p.h, 32, &err) != VGT_OK) {
        if (!quiet) {
            fprintf(stderr, "video: %s\n", err.message);
        }
        vgt_drv_fini(&p.drv);
        return 2;
    }
    if (!vgt_drv_has_fifo_cap(&p.drv, VGT_SVGA_FIFO_CAP_VIDEO)) {
        if (!quiet) {
            fprintf(stderr, "video: the device offers no video overlay (FIFO_CAP_VIDEO)\n");
        }
        vgt_drv_fini(&p.drv);
        return 2;
    }
    p.v0_bytes = V0_W * V0_H * 2u;
    uint32_t pages = (2u * p.v0_bytes + 4095u) / 4096u;
    uint64_t phys = 0;
    if (vgt_drv_gmr_define_contiguous(&p.drv, V0_GMR, pages, &phys) != VGT_OK ||
        !(p.v0 = vgt_guest_ptr(guest, phys, (uint64_t)pages * 4096u))) {
        if (!quiet) {
            fprintf(stderr, "video: cannot set up the frame GMR\n");
        }
        vgt_drv_fini(&p.drv);
        return 2;
    }
    p.v1_offset = (p.drv.pitch * p.h + 4095u) & ~4095u;
    p.key_w = p.w / 3u;
    p.key_h = p.h / 3u;
    p.key_x = p.w - p.key_w - 16u;
    p.key_y = p.h - p.key_h - 16u;

    uint32_t u0[VGT_SVGA_VIDEO_NUM_REGS] = {0}, u1[VGT_SVGA_VIDEO_NUM_REGS] = {0};
    u0[VGT_SVGA_VIDEO_ENABLED] = 1;
    u0[VGT_SVGA_VIDEO_FORMAT] = VGT_SVGA_FOURCC_YUY2;
    u0[VGT_SVGA_VIDEO_WIDTH] = V0_W;
    u0[VGT_SVGA_VIDEO_HEIGHT] = V0_H;
    u0[VGT_SVGA_VIDEO_SRC_WIDTH] = V0_W;
    u0[VGT_SVGA_VIDEO_SRC_HEIGHT] = V0_H;
    u0[VGT_SVGA_VIDEO_DST_Y] = 24;
    u0[VGT_SVGA_VIDEO_DST_WIDTH] = V0_W * 3u / 2u;
    u0[VGT_SVGA_VIDEO_DST_HEIGHT] = V0_H * 3u / 2u;
    u0[VGT_SVGA_VIDEO_PITCH_1] = V0_W * 2u;
    u0[VGT_SVGA_VIDEO_DATA_GMRID] = V0_GMR;
    u0[VGT_SVGA_VIDEO_DST_SCREEN_ID] = VGT_SVGA_ID_INVALID;
    u1[VGT_SVGA_VIDEO_ENABLED] = 1;
    u1[VGT_SVGA_VIDEO_FLAGS] = VGT_SVGA_VIDEO_FLAG_COLORKEY;
    u1[VGT_SVGA_VIDEO_COLORKEY] = KEY;
    u1[VGT_SVGA_VIDEO_FORMAT] = VGT_SVGA_FOURCC_YV12;
    u1[VGT_SVGA_VIDEO_DATA_OFFSET] = p.v1_offset;
    u1[VGT_SVGA_VIDEO_WIDTH] = V1_W;
    u1[VGT_SVGA_VIDEO_HEIGHT] = V1_H;
    u1[VGT_SVGA_VIDEO_SRC_X] = 8;
    u1[VGT_SVGA_VIDEO_SRC_Y] = 6;
    u1[VGT_SVGA_VIDEO_SRC_WIDTH] = V1_W - 16u;
    u1[VGT_SVGA_VIDEO_SRC_HEIGHT] = V1_H - 12u;
    /* a little larger than the key box: the key trims it */
    u1[VGT_SVGA_VIDEO_DST_X] = p.key_x - 8u;
    u1[VGT_SVGA_VIDEO_DST_Y] = p.key_y - 8u;
    u1[VGT_SVGA_VIDEO_DST_WIDTH] = p.key_w + 16u;
    u1[VGT_SVGA_VIDEO_DST_HEIGHT] = p.key_h + 16u;
    u1[VGT_SVGA_VIDEO_PITCH_1] = V1_W;
    u1[VGT_SVGA_VIDEO_PITCH_2] = V1_W / 2u;
    u1[VGT_SVGA_VIDEO_PITCH_3] = V1_W / 2u;
    u1[VGT_SVGA_VIDEO_DATA_GMRID] = VGT_SVGA_GMR_FRAMEBUFFER;
    u1[VGT_SVGA_VIDEO_DST_SCREEN_ID] = VGT_SVGA_ID_INVALID;

    fill(&p, 0, 0, p.w, p.h, true);
    uint32_t box_x = 0, box_y = 0;
    /* how far unit 0 slides and the square bounces (the unit may be wider
     * than a small mode: it is clipped to the display) */
    const uint32_t slide = p.w > V0_W * 3u / 2u ? p.w - V0_W * 3u / 2u : 0u;
    const uint32_t bounce = p.h - BOX_SZ - 40u < 160u ? p.h - BOX_SZ - 40u : 160u;
    for (uint32_t f = 0; f < frames && !p.drv.failed; f++) {
        /* the frame's memory writes first (the previous fence was waited for) */
        uint32_t buf = f % 2u;
        gen_yuy2(p.v0 + (size_t)buf * p.v0_bytes, f);
        gen_yv12(p.drv.fb + p.v1_offset, f);
        uint32_t old_x = box_x, old_y = box_y;
        box_x = tri(f * 9u, p.w - BOX_SZ);
        box_y = 40u + tri(f * 4u, bounce);
        if (f > 0) {
            fill(&p, old_x, old_y, BOX_SZ, BOX_SZ, true);
        }
        fill(&p, box_x, box_y, BOX_SZ, BOX_SZ, false);

        if (f == 0) {
            vgt_drv_update(&p.drv, 0, 0, p.w, p.h);
            vgt_drv_video_set_all_regs(&p.drv, 0, u0, VGT_SVGA_VIDEO_DST_SCREEN_ID);
            vgt_drv_video_set_all_regs(&p.drv, 1, u1, VGT_SVGA_VIDEO_DST_SCREEN_ID);
        } else {
            vgt_drv_update(&p.drv, old_x, old_y, BOX_SZ, BOX_SZ);
        }
        vgt_drv_update(&p.drv, box_x, box_y, BOX_SZ, BOX_SZ);
        /* unit 0: this frame's buffer, its place */
        const uint32_t r0[4] = {VGT_SVGA_VIDEO_DATA_OFFSET, buf * p.v0_bytes, VGT_SVGA_VIDEO_DST_X,
                                tri(f * 6u, slide)};
        vgt_drv_video_set_regs(&p.drv, 0, r0, 2);
        vgt_drv_video_flush(&p.drv, 0);
        /* unit 1: off for frames 20..24 */
        if (f == 20 || f == 25) {
            const uint32_t r1[2] = {VGT_SVGA_VIDEO_ENABLED, f == 25 ? 1u : 0u};
            vgt_drv_video_set_regs(&p.drv, 1, r1, 1);
        }
        if (f < 20 || f >= 25 || f == 20) {
            vgt_drv_video_flush(&p.drv, 1);
        }
        uint32_t fence = vgt_drv_insert_fence(&p.drv);
        vgt_drv_sync_to_fence(&p.drv, fence);
    }
    int rc = 0;
    if (p.drv.failed) {
        if (!quiet) {
            fprintf(stderr, "video: %s\n", p.drv.error.message);
        }
        rc = 2;
    }
    vgt_drv_fini(&p.drv);
    return rc;
}
