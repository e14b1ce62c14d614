/* Video overlay units (SVGA_ESCAPE_VMWARE_VIDEO): a guest writes YUY2, UYVY
 * and YV12 frames of known values into a GMR or VRAM, programs a unit and
 * flushes; the display's pixels must be the BT.601 colours exactly,
 * unscaled, scaled, from a source sub-rectangle, with the colour key, under
 * later UPDATEs and after disabling.  Malformed escapes are each rejected
 * with their reason and FIFO offset while the device keeps running.
 *
 * Two filters: the legacy one (device video_nearest: replicated chroma,
 * nearest neighbour; what traces from before the default replay with) is
 * what the first tests' hard-coded colours assume; the default one
 * (interpolated chroma, bilinear) is checked against values the tests
 * compute from docs/device.md's rules (test_video_bilinear_*). */
#include "device_test_util.h"

#define BG  0xFF203040u /* the framebuffer's background */
#define KEY 0x0000FF00u /* a colour key */

/* The test frame, 4x2, as (Y, U, V) per pixel: YUY2/UYVY pairs share U, V.
 * Expected colours by the formula in replay/overlay.c, computed apart. */
static const uint8_t packed_yuv[2][4][3] = {
    {{81, 90, 240}, {81, 90, 240}, {235, 128, 128}, {16, 128, 128}},
    {{100, 60, 200}, {126, 60, 200}, {50, 200, 60}, {200, 200, 60}},
};
static const uint32_t packed_rgb[2][4] = {
    {0xFFFF0000u, 0xFFFF0000u, 0xFFFFFFFFu, 0xFF000000u},
    {0xFFD54200u, 0xFFF36000u, 0xFF0043B9u, 0xFF6AF1FFu},
};
/* YV12: Y per pixel, (U, V) per 2x2 block: block 0 (90, 240), block 1 (128, 128). */
static const uint8_t yv12_y[2][4] = {{81, 100, 235, 16}, {100, 81, 126, 235}};
static const uint32_t yv12_rgb[2][4] = {
    {0xFFFF0000u, 0xFFFF1615u, 0xFFFFFFFFu, 0xFF000000u},
    {0xFFFF1615u, 0xFFFF0000u, 0xFF808080u, 0xFFFFFFFFu},
};

/* Writes the packed frame at p, rows `pitch` bytes apart. */
static void write_packed(uint8_t *p, uint32_t pitch, bool uyvy)
{
    for (uint32_t y = 0; y < 2; y++) {
        for (uint32_t pair = 0; pair < 2; pair++) {
            uint8_t *q = p + y * pitch + pair * 4u;
            const uint8_t *a = packed_yuv[y][2 * pair], *b = packed_yuv[y][2 * pair + 1];
            if (uyvy) {
                q[0] = a[1], q[1] = a[0], q[2] = a[2], q[3] = b[0];
            } else {
                q[0] = a[0], q[1] = a[1], q[2] = b[0], q[3] = a[2];
            }
        }
    }
}

/* Writes the YV12 frame at p: Y (pitch 8), then V, then U (pitch 4 each). */
static void write_yv12(uint8_t *p)
{
    memset(p, 0xEE, 8 * 2 + 4 + 4);
    for (uint32_t y = 0; y < 2; y++) {
        memcpy(p + y * 8u, yv12_y[y], 4);
    }
    uint8_t *v = p + 16, *u = v + 4;
    v[0] = 240, v[1] = 128;
    u[0] = 90, u[1] = 128;
}

static uint32_t px(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + (size_t)x * 4u);
}

static vgt_image shot(tvm *t)
{
    vgt_image img;
    vgt_error err = {0};
    assert_int_equal(vgt_device_snapshot(t->dev, &img, &err), VGT_OK);
    return img;
}

/* The legacy overlay filter: nearest neighbour, replicated chroma. */
static void legacy(vgt_vm_config *cfg)
{
    cfg->device.video_nearest = true;
}

/* The driver, a 320x240 mode, the background BG with a KEY box at
 * (100..139, 100..119), shown. */
static void setup(tvm *t, void (*tweak)(vgt_vm_config *))
{
    tvm_create(t, 64, tweak);
    tvm_driver(t);
    for (uint32_t y = 0; y < 240; y++) {
        uint32_t *row = (uint32_t *)(void *)(t->drv.fb + (size_t)y * t->drv.pitch);
        for (uint32_t x = 0; x < 320; x++) {
            row[x] = (x >= 100 && x < 140 && y >= 100 && y < 120) ? KEY : BG;
        }
    }
    vgt_drv_update(&t->drv, 0, 0, 320, 240);
    tvm_sync(t);
}

/* A unit's registers: every one the reference driver's SetAllRegs sends
 * (through DST_SCREEN_ID), defaults for GMR and screen. */
typedef struct unit {
    uint32_t r[VGT_SVGA_VIDEO_NUM_REGS];
} unit;

static unit unit_4x2(uint32_t format, uint32_t gmr, uint32_t offset, int32_t x, int32_t y,
                     uint32_t dw, uint32_t dh)
{
    unit u = {{0}};
    u.r[VGT_SVGA_VIDEO_ENABLED] = 1;
    u.r[VGT_SVGA_VIDEO_FORMAT] = format;
    u.r[VGT_SVGA_VIDEO_WIDTH] = 4;
    u.r[VGT_SVGA_VIDEO_HEIGHT] = 2;
    u.r[VGT_SVGA_VIDEO_SRC_WIDTH] = 4;
    u.r[VGT_SVGA_VIDEO_SRC_HEIGHT] = 2;
    u.r[VGT_SVGA_VIDEO_DST_X] = (uint32_t)x;
    u.r[VGT_SVGA_VIDEO_DST_Y] = (uint32_t)y;
    u.r[VGT_SVGA_VIDEO_DST_WIDTH] = dw;
    u.r[VGT_SVGA_VIDEO_DST_HEIGHT] = dh;
    if (format == VGT_SVGA_FOURCC_YV12) {
        u.r[VGT_SVGA_VIDEO_PITCH_1] = 8;
        u.r[VGT_SVGA_VIDEO_PITCH_2] = 4;
        u.r[VGT_SVGA_VIDEO_PITCH_3] = 4;
    } else {
        u.r[VGT_SVGA_VIDEO_PITCH_1] = 16; /* wider than a row's 8 bytes */
    }
    u.r[VGT_SVGA_VIDEO_DATA_OFFSET] = offset;
    u.r[VGT_SVGA_VIDEO_DATA_GMRID] = gmr;
    u.r[VGT_SVGA_VIDEO_DST_SCREEN_ID] = VGT_SVGA_ID_INVALID;
    return u;
}

static void show(tvm *t, uint32_t stream, const unit *u)
{
    vgt_drv_video_set_all_regs(&t->drv, stream, u->r, VGT_SVGA_VIDEO_DST_SCREEN_ID);
    vgt_drv_video_flush(&t->drv, stream);
    tvm_sync(t);
}

/* The 4x2 frame (rgb) shown 1:1 at (x, y), the background around it. */
static void check_unscaled(const vgt_image *img, const uint32_t rgb[2][4], uint32_t x, uint32_t y)
{
    for (uint32_t r = 0; r < 2; r++) {
        for (uint32_t c = 0; c < 4; c++) {
            assert_int_equal(px(img, x + c, y + r), rgb[r][c]);
        }
        assert_int_equal(px(img, x - 1, y + r), BG);
        assert_int_equal(px(img, x + 4, y + r), BG);
    }
    assert_int_equal(px(img, x, y - 1), BG);
    assert_int_equal(px(img, x, y + 2), BG);
}

/* Frame in a GMR (YUY2) and in VRAM, the default GMR (UYVY, YV12): exact
 * colours, 1:1. */
static void test_video_formats_unscaled(void **state)
{
    (void)state;
    tvm t;
    setup(&t, legacy);
    assert_true(vgt_drv_has_fifo_cap(&t.drv, VGT_SVGA_FIFO_CAP_VIDEO));
    uint64_t phys = 0;
    assert_int_equal(vgt_drv_gmr_define_contiguous(&t.drv, 3, 1, &phys), VGT_OK);
    uint8_t *gmr = vgt_guest_ptr(t.g, phys, 4096);
    assert_non_null(gmr);
    write_packed(gmr + 100, 16, false);
    const uint32_t vram_off = 1u << 20; /* past the 320x240 framebuffer */
    write_packed(t.drv.fb + vram_off, 16, true);
    write_yv12(t.drv.fb + vram_off + 4096);

    uint32_t frames0 = t.log->nframes;
    unit u = unit_4x2(VGT_SVGA_FOURCC_YUY2, 3, 100, 10, 20, 4, 2);
    show(&t, 0, &u);
    /* the flush alone changed the display: that fence ended a frame */
    assert_int_equal(t.log->nframes, frames0 + 1);
    unit v = unit_4x2(VGT_SVGA_FOURCC_UYVY, VGT_SVGA_GMR_FRAMEBUFFER, vram_off, 30, 20, 4, 2);
    show(&t, 1, &v);
    unit w =
        unit_4x2(VGT_SVGA_FOURCC_YV12, VGT_SVGA_GMR_FRAMEBUFFER, vram_off + 4096, 50, 20, 4, 2);
    show(&t, 31, &w);
    vgt_image img = shot(&t);
    check_unscaled(&img, packed_rgb, 10, 20);
    check_unscaled(&img, packed_rgb, 30, 20);
    check_unscaled(&img, yv12_rgb, 50, 20);
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* Scaled up 2x (each pixel a 2x2 block), down to 3x1 (nearest at pixel
 * centres: source columns 0, 2, 3 of row 1), and a source sub-rectangle. */
static void test_video_scaled_and_subrect(void **state)
{
    (void)state;
    tvm t;
    setup(&t, legacy);
    write_packed(t.drv.fb + (1u << 20), 8, false);
    unit u = unit_4x2(VGT_SVGA_FOURCC_YUY2, VGT_SVGA_GMR_FRAMEBUFFER, 1u << 20, 10, 30, 8, 4);
    u.r[VGT_SVGA_VIDEO_PITCH_1] = 8;
    show(&t, 0, &u);
    u.r[VGT_SVGA_VIDEO_DST_X] = 30;
    u.r[VGT_SVGA_VIDEO_DST_WIDTH] = 3;
    u.r[VGT_SVGA_VIDEO_DST_HEIGHT] = 1;
    show(&t, 1, &u);
    /* src (1,1) 2x1, shown 1:1 */
    u.r[VGT_SVGA_VIDEO_SRC_X] = 1;
    u.r[VGT_SVGA_VIDEO_SRC_Y] = 1;
    u.r[VGT_SVGA_VIDEO_SRC_WIDTH] = 2;
    u.r[VGT_SVGA_VIDEO_SRC_HEIGHT] = 1;
    u.r[VGT_SVGA_VIDEO_DST_X] = 50;
    u.r[VGT_SVGA_VIDEO_DST_WIDTH] = 2;
    show(&t, 2, &u);
    /* the same sub-rectangle stretched to 5x3 */
    u.r[VGT_SVGA_VIDEO_DST_X] = 60;
    u.r[VGT_SVGA_VIDEO_DST_WIDTH] = 5;
    u.r[VGT_SVGA_VIDEO_DST_HEIGHT] = 3;
    show(&t, 3, &u);
    vgt_image img = shot(&t);
    for (uint32_t y = 0; y < 4; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            assert_int_equal(px(&img, 10 + x, 30 + y), packed_rgb[y / 2][x / 2]);
        }
    }
    assert_int_equal(px(&img, 18, 30), BG);
    assert_int_equal(px(&img, 10, 34), BG);
    assert_int_equal(px(&img, 30, 30), packed_rgb[1][0]);
    assert_int_equal(px(&img, 31, 30), packed_rgb[1][2]);
    assert_int_equal(px(&img, 32, 30), packed_rgb[1][3]);
    assert_int_equal(px(&img, 33, 30), BG);
    assert_int_equal(px(&img, 30, 31), BG);
    assert_int_equal(px(&img, 50, 30), packed_rgb[1][1]);
    assert_int_equal(px(&img, 51, 30), packed_rgb[1][2]);
    assert_int_equal(px(&img, 52, 30), BG);
    /* 2 -> 5 columns: 1 + (2d+1)*2/10 = 1,1,2,2,2 */
    static const uint32_t cols[5] = {1, 1, 2, 2, 2};
    for (uint32_t y = 0; y < 3; y++) {
        for (uint32_t x = 0; x < 5; x++) {
            assert_int_equal(px(&img, 60 + x, 30 + y), packed_rgb[1][cols[x]]);
        }
    }
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* The colour key: the unit shows only where the framebuffer is KEY; a
 * later UPDATE changes the base layer under a unit, which stays on top (and
 * the key is compared with the new base); disabling removes the unit. */
static void test_video_colorkey_update_disable(void **state)
{
    (void)state;
    tvm t;
    setup(&t, legacy);
    write_packed(t.drv.fb + (1u << 20), 8, false);
    /* 4x2 frame stretched over (96..143, 96..123): the KEY box and around */
    unit u = unit_4x2(VGT_SVGA_FOURCC_YUY2, VGT_SVGA_GMR_FRAMEBUFFER, 1u << 20, 96, 96, 48, 28);
    u.r[VGT_SVGA_VIDEO_PITCH_1] = 8;
    u.r[VGT_SVGA_VIDEO_FLAGS] = VGT_SVGA_VIDEO_FLAG_COLORKEY;
    u.r[VGT_SVGA_VIDEO_COLORKEY] = 0xAB000000u | KEY; /* bits 24-31 are not compared */
    show(&t, 5, &u);
    /* a plain unit at (200, 200) */
    unit p = unit_4x2(VGT_SVGA_FOURCC_YUY2, VGT_SVGA_GMR_FRAMEBUFFER, 1u << 20, 200, 200, 4, 2);
    p.r[VGT_SVGA_VIDEO_PITCH_1] = 8;
    show(&t, 6, &p);
    /* a plain unit below the keyed one, inside the KEY box: the key is
     * compared with the base layer, so unit 5 covers unit 4 there */
    unit q = p;
    q.r[VGT_SVGA_VIDEO_DST_X] = 102;
    q.r[VGT_SVGA_VIDEO_DST_Y] = 101;
    show(&t, 4, &q);
    vgt_image img = shot(&t);
    /* dest pixel (dx, dy) of 48x28 takes source ((2dx+1)*4/96, (2dy+1)*2/56) */
    for (uint32_t y = 96; y < 124; y++) {
        for (uint32_t x = 96; x < 144; x++) {
            bool key = x >= 100 && x < 140 && y >= 100 && y < 120;
            uint32_t sx = (2u * (x - 96) + 1u) * 4u / 96u, sy = (2u * (y - 96) + 1u) * 2u / 56u;
            assert_int_equal(px(&img, x, y), key ? packed_rgb[sy][sx] : BG);
        }
    }
    check_unscaled(&img, packed_rgb, 200, 200);
    vgt_image_free(&img);

    /* UPDATE under both units: the keyed unit now shows nowhere in the
     * changed rows (no KEY there), the plain one stays on top */
    for (uint32_t y = 100; y < 110; y++) {
        uint32_t *row = (uint32_t *)(void *)(t.drv.fb + (size_t)y * t.drv.pitch);
        for (uint32_t x = 0; x < 320; x++) {
            row[x] = 0xFF112233u;
        }
    }
    for (uint32_t y = 199; y < 203; y++) {
        uint32_t *row = (uint32_t *)(void *)(t.drv.fb + (size_t)y * t.drv.pitch);
        for (uint32_t x = 190; x < 210; x++) {
            row[x] = 0xFF445566u;
        }
    }
    vgt_drv_update(&t.drv, 0, 100, 320, 10);
    vgt_drv_update(&t.drv, 190, 199, 20, 4);
    tvm_sync(&t);
    img = shot(&t);
    assert_int_equal(px(&img, 110, 105), 0xFF112233u);
    assert_int_equal(px(&img, 110, 115), packed_rgb[1][1]);
    assert_int_equal(px(&img, 200, 200), packed_rgb[0][0]);
    assert_int_equal(px(&img, 203, 201), packed_rgb[1][3]);
    assert_int_equal(px(&img, 199, 200), 0xFF445566u);
    assert_int_equal(px(&img, 204, 200), 0xFF445566u);
    vgt_image_free(&img);

    /* ENABLED 0 + FLUSH removes unit 6; unit 5 stays */
    uint32_t frames0 = t.log->nframes;
    const uint32_t off[2] = {VGT_SVGA_VIDEO_ENABLED, 0};
    vgt_drv_video_set_regs(&t.drv, 6, off, 1);
    tvm_sync(&t);
    img = shot(&t);
    assert_int_equal(px(&img, 200, 200), packed_rgb[0][0]); /* not until the flush */
    vgt_image_free(&img);
    vgt_drv_video_flush(&t.drv, 6);
    tvm_sync(&t);
    assert_int_equal(t.log->nframes, frames0 + 1);
    img = shot(&t);
    assert_int_equal(px(&img, 200, 200), 0xFF445566u);
    assert_int_equal(px(&img, 203, 201), 0xFF445566u);
    assert_int_equal(px(&img, 110, 115), packed_rgb[1][1]);
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* DST_SCREEN_ID places a unit relative to a screen object's origin; a unit
 * may span screens; the cursor is drawn above the units. */
static void test_video_screens_and_cursor(void **state)
{
    (void)state;
    tvm t;
    setup(&t, legacy);
    write_packed(t.drv.fb + (1u << 20), 8, false);
    vgt_svga_screen_object so = {.struct_size = VGT_SVGA_SCREEN_OBJECT_V1_BYTES,
                                 .id = 1,
                                 .flags = VGT_SVGA_SCREEN_MUST_BE_SET,
                                 .width = 64,
                                 .height = 64,
                                 .root_x = 320,
                                 .root_y = 0};
    vgt_drv_define_screen(&t.drv, &so);
    unit u = unit_4x2(VGT_SVGA_FOURCC_YUY2, VGT_SVGA_GMR_FRAMEBUFFER, 1u << 20, 5, 6, 4, 2);
    u.r[VGT_SVGA_VIDEO_PITCH_1] = 8;
    u.r[VGT_SVGA_VIDEO_DST_SCREEN_ID] = 1;
    show(&t, 0, &u);
    unit v = u; /* at virtual (318, 30): two pixels on each screen */
    v.r[VGT_SVGA_VIDEO_DST_SCREEN_ID] = VGT_SVGA_ID_INVALID;
    v.r[VGT_SVGA_VIDEO_DST_X] = 318;
    v.r[VGT_SVGA_VIDEO_DST_Y] = 30;
    show(&t, 1, &v);
    unit w = v;
    w.r[VGT_SVGA_VIDEO_DST_X] = 10;
    w.r[VGT_SVGA_VIDEO_DST_Y] = 20;
    show(&t, 2, &w);
    uint32_t *cur = vgt_drv_begin_define_alpha_cursor(&t.drv, 0, 0, 2, 2);
    assert_non_null(cur);
    for (uint32_t i = 0; i < 4; i++) {
        cur[i] = 0xFF00FF00u; /* opaque green */
    }
    vgt_drv_fifo_commit_all(&t.drv);
    vgt_drv_move_cursor(&t.drv, 1, 11, 20);
    tvm_sync(&t);
    vgt_image img = shot(&t);
    assert_int_equal(img.width, 384);
    for (uint32_t r = 0; r < 2; r++) {
        for (uint32_t c = 0; c < 4; c++) {
            assert_int_equal(px(&img, 325 + c, 6 + r), packed_rgb[r][c]);
            assert_int_equal(px(&img, 318 + c, 30 + r), packed_rgb[r][c]);
        }
    }
    assert_int_equal(px(&img, 324, 6), 0xFF000000u); /* screen 1 is black */
    assert_int_equal(px(&img, 5, 6), BG);
    assert_int_equal(px(&img, 10, 20), packed_rgb[0][0]);
    assert_int_equal(px(&img, 11, 20), 0xFF00FF00u);
    assert_int_equal(px(&img, 12, 21), 0xFF00FF00u);
    assert_int_equal(px(&img, 13, 20), packed_rgb[0][3]);
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* ---- the default filter: interpolated chroma, bilinear ------------------------------ */

/* A frame by its samples: luma per pixel; chroma per pair (packed: a row
 * each) or per 2x2 block (YV12: ch rows). */
typedef struct yuv_frame {
    uint32_t w, h, cw, ch;
    uint8_t y[8][8], u[8][4], v[8][4];
} yuv_frame;

/* 4x2, every sample different. */
static const yuv_frame pk4x2 = {
    4,
    2,
    2,
    2,
    {{50, 90, 130, 170}, {200, 160, 120, 80}},
    {{60, 180}, {100, 140}},
    {{200, 40}, {90, 220}},
};
/* 4x4 YV12: 2x2 chroma. */
static const yuv_frame yv4x4 = {
    4,
    4,
    2,
    2,
    {{50, 90, 130, 170}, {200, 160, 120, 80}, {30, 230, 60, 210}, {100, 110, 140, 16}},
    {{60, 180}, {100, 140}},
    {{200, 40}, {90, 220}},
};

/* Writes f in format fmt at p: packed rows `pitch` apart (the unused Y1 of
 * an odd width's last pair 0x77); YV12 Y rows 8 apart, then V, then U, rows
 * 4 apart (the registers of frame_unit). */
static void write_frame(uint8_t *p, const yuv_frame *f, uint32_t fmt, uint32_t pitch)
{
    if (fmt == VGT_SVGA_FOURCC_YV12) {
        uint8_t *v = p + 8u * f->h, *u = v + 4u * f->ch;
        for (uint32_t r = 0; r < f->h; r++) {
            memcpy(p + 8u * r, f->y[r], f->w);
        }
        for (uint32_t r = 0; r < f->ch; r++) {
            memcpy(v + 4u * r, f->v[r], f->cw);
            memcpy(u + 4u * r, f->u[r], f->cw);
        }
        return;
    }
    for (uint32_t r = 0; r < f->h; r++) {
        for (uint32_t k = 0; k < f->cw; k++) {
            uint8_t *q = p + r * pitch + 4u * k;
            uint8_t y0 = f->y[r][2 * k], y1 = 2 * k + 1 < f->w ? f->y[r][2 * k + 1] : 0x77;
            if (fmt == VGT_SVGA_FOURCC_UYVY) {
                q[0] = f->u[r][k], q[1] = y0, q[2] = f->v[r][k], q[3] = y1;
            } else {
                q[0] = y0, q[1] = f->u[r][k], q[2] = y1, q[3] = f->v[r][k];
            }
        }
    }
}

static unit frame_unit(uint32_t fmt, const yuv_frame *f, uint32_t offset, int32_t x, int32_t y,
                       uint32_t dw, uint32_t dh)
{
    unit u = unit_4x2(fmt, VGT_SVGA_GMR_FRAMEBUFFER, offset, x, y, dw, dh);
    u.r[VGT_SVGA_VIDEO_WIDTH] = u.r[VGT_SVGA_VIDEO_SRC_WIDTH] = f->w;
    u.r[VGT_SVGA_VIDEO_HEIGHT] = u.r[VGT_SVGA_VIDEO_SRC_HEIGHT] = f->h;
    return u;
}

/* docs/device.md's BT.601: clamp((...) >> 8) to 0..255. */
static uint32_t ref_clamp(int32_t v)
{
    return v < 0 ? 0u : (uint32_t)(v / 256 > 255 ? 255 : v / 256);
}

static uint32_t ref_rgb(int32_t y, int32_t u, int32_t v)
{
    int32_t c = y - 16, d = u - 128, e = v - 128;
    return 0xFF000000u | ref_clamp(298 * c + 409 * e + 128) << 16 |
           ref_clamp(298 * c - 100 * d - 208 * e + 128) << 8 | ref_clamp(298 * c + 516 * d + 128);
}

/* Pixel (x, y) of f in 4:4:4 by docs/device.md's chroma rule: chroma
 * sample k co-sited with column 2k (odd columns: the rounded mean of k and
 * k+1, edge-clamped); YV12 chroma row j midway between rows 2j and 2j+1
 * (weights 3 and 1, the other row edge-clamped), one rounding. */
static void ref_444(const yuv_frame *f, bool yv12, uint32_t x, uint32_t y, int32_t out[3])
{
    uint32_t k = x / 2, k1 = k + 1 < f->cw ? k + 1 : k;
    out[0] = f->y[y][x];
    for (int c = 0; c < 2; c++) {
        const uint8_t(*p)[4] = c == 0 ? f->u : f->v;
        if (!yv12) {
            out[1 + c] = x % 2 == 0 ? p[y][k] : (p[y][k] + p[y][k1] + 1) / 2;
        } else {
            uint32_t j = y / 2, jn = y % 2 ? (j + 1 < f->ch ? j + 1 : j) : (j ? j - 1 : 0);
            int32_t a = 3 * p[j][k] + p[jn][k], b = 3 * p[j][k1] + p[jn][k1];
            out[1 + c] = x % 2 == 0 ? (a + 2) / 4 : (a + b + 4) / 8;
        }
    }
}

/* The doc's tap: p = floor((2d+1) m 256 / 2n) - 128, at least 0; i0 = p / 256
 * and weight p % 256 of i0 + 1, both clamped to the span's last pixel. */
static void ref_tap(uint32_t m, uint32_t n, uint32_t d, uint32_t *i0, uint32_t *i1, uint32_t *w)
{
    int64_t p = (int64_t)((2 * d + 1) * m * 256 / (2 * n)) - 128;
    if (p < 0) {
        p = 0;
    }
    *i0 = (uint32_t)(p / 256);
    *w = (uint32_t)(p % 256);
    *i1 = *i0 + 1 < m ? *i0 + 1 : *i0;
    if (*i0 >= m - 1) {
        *i0 = *i1 = m - 1;
        *w = 0;
    }
}

/* Destination pixel (dx, dy) of the source rectangle (sx, sy) sw x sh
 * shown dw x dh: Y, U, V each blended from the four taps (weights in
 * 1/65536, + 32768, >> 16), then BT.601. */
static uint32_t ref_scaled(const yuv_frame *f, bool yv12, uint32_t sx, uint32_t sy, uint32_t sw,
                           uint32_t sh, uint32_t dw, uint32_t dh, uint32_t dx, uint32_t dy)
{
    uint32_t x0, x1, wx, y0, y1, wy;
    ref_tap(sw, dw, dx, &x0, &x1, &wx);
    ref_tap(sh, dh, dy, &y0, &y1, &wy);
    int32_t a[3], b[3], c[3], d[3], o[3];
    ref_444(f, yv12, sx + x0, sy + y0, a);
    ref_444(f, yv12, sx + x1, sy + y0, b);
    ref_444(f, yv12, sx + x0, sy + y1, c);
    ref_444(f, yv12, sx + x1, sy + y1, d);
    for (int i = 0; i < 3; i++) {
        int64_t sum = (int64_t)a[i] * (256 - wx) * (256 - wy) + (int64_t)b[i] * wx * (256 - wy) +
                      (int64_t)c[i] * (256 - wx) * wy + (int64_t)d[i] * wx * wy;
        o[i] = (int32_t)((sum + 32768) / 65536);
    }
    return ref_rgb(o[0], o[1], o[2]);
}

static const uint32_t fmts[3] = {VGT_SVGA_FOURCC_YUY2, VGT_SVGA_FOURCC_UYVY, VGT_SVGA_FOURCC_YV12};

/* Equal size is an exact copy of the frame in 4:4:4: even columns take
 * their pair's chroma, odd ones the mean with the next pair (the last
 * column of an even width: its own); YV12 rows blend two chroma rows. */
static void test_video_bilinear_same_size(void **state)
{
    (void)state;
    tvm t;
    setup(&t, NULL);
    for (uint32_t i = 0; i < 3; i++) {
        const bool yv12 = fmts[i] == VGT_SVGA_FOURCC_YV12;
        const yuv_frame *f = yv12 ? &yv4x4 : &pk4x2;
        write_frame(t.drv.fb + (1u << 20) + i * 4096u, f, fmts[i], 8);
        unit u =
            frame_unit(fmts[i], f, (1u << 20) + i * 4096u, 10 + 10 * (int32_t)i, 20, f->w, f->h);
        u.r[VGT_SVGA_VIDEO_PITCH_1] = 8;
        show(&t, i, &u);
    }
    vgt_image img = shot(&t);
    for (uint32_t i = 0; i < 3; i++) {
        const bool yv12 = fmts[i] == VGT_SVGA_FOURCC_YV12;
        const yuv_frame *f = yv12 ? &yv4x4 : &pk4x2;
        for (uint32_t y = 0; y < f->h; y++) {
            for (uint32_t x = 0; x < f->w; x++) {
                int32_t c[3];
                ref_444(f, yv12, x, y, c);
                assert_int_equal(px(&img, 10 + 10 * i + x, 20 + y), ref_rgb(c[0], c[1], c[2]));
            }
        }
        assert_int_equal(px(&img, 10 + 10 * i + f->w, 20), BG);
        assert_int_equal(px(&img, 10 + 10 * i, 20 + f->h), BG);
    }
    /* by hand: YUY2 (1, 0) is Y 90, U (60 + 180 + 1) >> 1 = 120, V
     * (200 + 40 + 1) >> 1 = 120: C 74, D -8, E -8: R (22052 - 3272 + 128)
     * >> 8 = 73, G (22052 + 800 + 1664 + 128) >> 8 = 96, B (22052 - 4128 +
     * 128) >> 8 = 70; (3, 0), the last column, keeps pair 1's (180, 40) */
    assert_int_equal(px(&img, 11, 20), 0xFF496046u);
    assert_int_equal(px(&img, 13, 20), ref_rgb(170, 180, 40));
    /* YV12 (0, 1): U (3 * 60 + 100 + 2) >> 2 = 70, V (3 * 200 + 90 + 2) >> 2 = 173 */
    assert_int_equal(px(&img, 30, 21), ref_rgb(200, 70, 173));
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* Scaled up 2x: with pixel centres aligned, destination 2i+1 is 3/4 of
 * source i and 1/4 of i+1, destination 2i (i >= 1) 1/4 of i-1 and 3/4 of
 * i, the first and last columns (rows) the edge pixel itself; in two
 * dimensions the weights multiply (sixteenths, + 8, >> 4). Worked out by
 * hand from the doc's pixel-centre rule, not from the tap formula. */
static void quarter(uint32_t m, uint32_t d, uint32_t *i0, uint32_t *i1, uint32_t *q0)
{
    if (d == 0 || d == 2 * m - 1) {
        *i0 = *i1 = d == 0 ? 0 : m - 1;
        *q0 = 4;
    } else if (d % 2 == 1) {
        *i0 = d / 2, *i1 = d / 2 + 1, *q0 = 3;
    } else {
        *i0 = d / 2 - 1, *i1 = d / 2, *q0 = 1;
    }
}

static void test_video_bilinear_2x(void **state)
{
    (void)state;
    tvm t;
    setup(&t, NULL);
    for (uint32_t i = 0; i < 3; i++) {
        const bool yv12 = fmts[i] == VGT_SVGA_FOURCC_YV12;
        const yuv_frame *f = yv12 ? &yv4x4 : &pk4x2;
        write_frame(t.drv.fb + (1u << 20) + i * 4096u, f, fmts[i], 8);
        unit u = frame_unit(fmts[i], f, (1u << 20) + i * 4096u, 10 + 20 * (int32_t)i, 30, 2 * f->w,
                            2 * f->h);
        u.r[VGT_SVGA_VIDEO_PITCH_1] = 8;
        show(&t, i, &u);
    }
    vgt_image img = shot(&t);
    for (uint32_t i = 0; i < 3; i++) {
        const bool yv12 = fmts[i] == VGT_SVGA_FOURCC_YV12;
        const yuv_frame *f = yv12 ? &yv4x4 : &pk4x2;
        for (uint32_t dy = 0; dy < 2 * f->h; dy++) {
            for (uint32_t dx = 0; dx < 2 * f->w; dx++) {
                uint32_t x0, x1, qx, y0, y1, qy;
                quarter(f->w, dx, &x0, &x1, &qx);
                quarter(f->h, dy, &y0, &y1, &qy);
                int32_t a[3], b[3], c[3], d[3], o[3];
                ref_444(f, yv12, x0, y0, a);
                ref_444(f, yv12, x1, y0, b);
                ref_444(f, yv12, x0, y1, c);
                ref_444(f, yv12, x1, y1, d);
                for (int k = 0; k < 3; k++) {
                    o[k] = (int32_t)(qx * qy * a[k] + (4 - qx) * qy * b[k] + qx * (4 - qy) * c[k] +
                                     (4 - qx) * (4 - qy) * d[k] + 8) /
                           16;
                }
                assert_int_equal(px(&img, 10 + 20 * i + dx, 30 + dy), ref_rgb(o[0], o[1], o[2]));
            }
        }
        assert_int_equal(px(&img, 10 + 20 * i + 2 * f->w, 30), BG);
        assert_int_equal(px(&img, 10 + 20 * i, 30 + 2 * f->h), BG);
    }
    /* by hand, YUY2 destination (1, 1): 9/16 of source (0, 0) in 4:4:4
     * (50, 60, 200), 3/16 of (1, 0) (90, 120, 120), 3/16 of (0, 1) (200,
     * 100, 90), 1/16 of (1, 1) (160, 120, 155): Y (450 + 270 + 600 + 160 +
     * 8) >> 4 = 93, U (540 + 360 + 300 + 120 + 8) >> 4 = 83, V (1800 + 360
     * + 270 + 155 + 8) >> 4 = 162 */
    assert_int_equal(px(&img, 11, 31), ref_rgb(93, 83, 162));
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* Scaled down (YV12 4x4 to 3x3, UYVY 4x2 to 3x1), a source sub-rectangle
 * 1:1 whose odd column takes chroma from the pair right of the rectangle
 * (chroma is the frame's), and a sub-rectangle stretched whose taps clamp
 * at the rectangle's edge, not the frame's. */
static void test_video_bilinear_down_and_subrect(void **state)
{
    (void)state;
    tvm t;
    setup(&t, NULL);
    uint8_t *vram = t.drv.fb + (1u << 20);
    write_frame(vram, &yv4x4, VGT_SVGA_FOURCC_YV12, 8);
    write_frame(vram + 4096, &pk4x2, VGT_SVGA_FOURCC_UYVY, 8);
    unit a = frame_unit(VGT_SVGA_FOURCC_YV12, &yv4x4, 1u << 20, 10, 40, 3, 3);
    show(&t, 0, &a);
    unit b = frame_unit(VGT_SVGA_FOURCC_UYVY, &pk4x2, (1u << 20) + 4096u, 20, 40, 3, 1);
    b.r[VGT_SVGA_VIDEO_PITCH_1] = 8;
    show(&t, 1, &b);
    unit c = b; /* column 1 of row 1 alone */
    c.r[VGT_SVGA_VIDEO_SRC_X] = 1;
    c.r[VGT_SVGA_VIDEO_SRC_Y] = 1;
    c.r[VGT_SVGA_VIDEO_SRC_WIDTH] = 1;
    c.r[VGT_SVGA_VIDEO_SRC_HEIGHT] = 1;
    c.r[VGT_SVGA_VIDEO_DST_X] = 30;
    c.r[VGT_SVGA_VIDEO_DST_WIDTH] = 1;
    show(&t, 2, &c);
    unit d = frame_unit(VGT_SVGA_FOURCC_YV12, &yv4x4, 1u << 20, 40, 40, 5, 3);
    d.r[VGT_SVGA_VIDEO_SRC_X] = 1; /* (1, 1) 2x2 */
    d.r[VGT_SVGA_VIDEO_SRC_Y] = 1;
    d.r[VGT_SVGA_VIDEO_SRC_WIDTH] = 2;
    d.r[VGT_SVGA_VIDEO_SRC_HEIGHT] = 2;
    show(&t, 3, &d);
    vgt_image img = shot(&t);
    for (uint32_t y = 0; y < 3; y++) {
        for (uint32_t x = 0; x < 3; x++) {
            assert_int_equal(px(&img, 10 + x, 40 + y),
                             ref_scaled(&yv4x4, true, 0, 0, 4, 4, 3, 3, x, y));
        }
    }
    for (uint32_t x = 0; x < 3; x++) {
        assert_int_equal(px(&img, 20 + x, 40), ref_scaled(&pk4x2, false, 0, 0, 4, 2, 3, 1, x, 0));
    }
    assert_int_equal(px(&img, 20, 41), BG);
    /* the taps by hand: 4 -> 3 columns, p = (2d+1) * 1024 / 6 - 128 = 42,
     * 384, 725: (0, 42/256 of 1), (1, 128/256 of 2), (2, 213/256 of 3);
     * 2 -> 1 rows: p = 128, half of each row */
    int32_t s0[3], s1[3], s2[3], s3[3];
    ref_444(&pk4x2, false, 1, 0, s0);
    ref_444(&pk4x2, false, 2, 0, s1);
    ref_444(&pk4x2, false, 1, 1, s2);
    ref_444(&pk4x2, false, 2, 1, s3);
    int32_t o[3];
    for (int k = 0; k < 3; k++) {
        o[k] = (s0[k] * 128 * 128 + s1[k] * 128 * 128 + s2[k] * 128 * 128 + s3[k] * 128 * 128 +
                32768) /
               65536;
    }
    assert_int_equal(px(&img, 21, 40), ref_rgb(o[0], o[1], o[2]));
    /* column 1 of row 1: U (100 + 140 + 1) >> 1 = 120, V (90 + 220 + 1) >> 1 = 155 */
    assert_int_equal(px(&img, 30, 40), ref_rgb(160, 120, 155));
    for (uint32_t y = 0; y < 3; y++) {
        for (uint32_t x = 0; x < 5; x++) {
            assert_int_equal(px(&img, 40 + x, 40 + y),
                             ref_scaled(&yv4x4, true, 1, 1, 2, 2, 5, 3, x, y));
        }
    }
    /* the corners are the rectangle's corners exactly: nothing of row 0 or
     * column 0 blends in */
    int32_t q[3];
    ref_444(&yv4x4, true, 1, 1, q);
    assert_int_equal(px(&img, 40, 40), ref_rgb(q[0], q[1], q[2]));
    ref_444(&yv4x4, true, 2, 2, q);
    assert_int_equal(px(&img, 44, 42), ref_rgb(q[0], q[1], q[2]));
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* Odd widths and chroma at the edges, 1:1: a 5-wide YUY2 frame's last
 * column is co-sited with the third pair (its unused Y1 is never read), a
 * 5x3 YV12 frame's chroma rows clamp at the top and the bottom. */
static void test_video_bilinear_odd_edges(void **state)
{
    (void)state;
    tvm t;
    setup(&t, NULL);
    static const yuv_frame pk5 = {
        5, 1, 3, 1, {{40, 80, 120, 160, 200}}, {{50, 151, 250}}, {{240, 141, 40}}};
    static const yuv_frame yv5 = {
        5,
        3,
        3,
        2,
        {{40, 80, 120, 160, 200}, {60, 90, 110, 170, 210}, {20, 70, 130, 180, 235}},
        {{50, 150, 250}, {90, 32, 210}},
        {{240, 140, 40}, {16, 128, 200}},
    };
    uint8_t *vram = t.drv.fb + (1u << 20);
    write_frame(vram, &pk5, VGT_SVGA_FOURCC_YUY2, 12);
    write_frame(vram + 4096, &yv5, VGT_SVGA_FOURCC_YV12, 8);
    unit a = frame_unit(VGT_SVGA_FOURCC_YUY2, &pk5, 1u << 20, 10, 50, 5, 1);
    a.r[VGT_SVGA_VIDEO_PITCH_1] = 12;
    show(&t, 0, &a);
    unit b = frame_unit(VGT_SVGA_FOURCC_YV12, &yv5, (1u << 20) + 4096u, 20, 50, 5, 3);
    show(&t, 1, &b);
    vgt_image img = shot(&t);
    /* by hand: columns 3 (U (151 + 250 + 1) >> 1 = 201, V (141 + 40 + 1) >> 1
     * = 91: odd sums, so the rounding shows) and 4 (pair 2's own 250, 40) */
    assert_int_equal(px(&img, 13, 50), ref_rgb(160, 201, 91));
    assert_int_equal(px(&img, 14, 50), ref_rgb(200, 250, 40));
    assert_int_equal(px(&img, 15, 50), BG);
    for (uint32_t x = 0; x < 5; x++) {
        int32_t c[3];
        ref_444(&pk5, false, x, 0, c);
        assert_int_equal(px(&img, 10 + x, 50), ref_rgb(c[0], c[1], c[2]));
    }
    /* YV12 row 0 clamps above (chroma row 0 alone), row 2 (3 * row 1 +
     * row 0) and column 4 (pair 2, co-sited) by hand:
     * (0, 0) U 50 V 240; (4, 2) U (3 * 210 + 250 + 2) >> 2 = 220,
     * V (3 * 200 + 40 + 2) >> 2 = 160; (3, 2): U ((3 * 32 + 150) +
     * (3 * 210 + 250) + 4) >> 3 = 1130 >> 3 = 141, V ((384 + 140) + (600 +
     * 40) + 4) >> 3 = 146 (both sums 4 or more past a multiple of 8: the
     * rounding shows) */
    assert_int_equal(px(&img, 20, 50), ref_rgb(40, 50, 240));
    assert_int_equal(px(&img, 24, 52), ref_rgb(235, 220, 160));
    assert_int_equal(px(&img, 23, 52), ref_rgb(180, 141, 146));
    for (uint32_t y = 0; y < 3; y++) {
        for (uint32_t x = 0; x < 5; x++) {
            int32_t c[3];
            ref_444(&yv5, true, x, y, c);
            assert_int_equal(px(&img, 20 + x, 50 + y), ref_rgb(c[0], c[1], c[2]));
        }
    }
    assert_int_equal(px(&img, 20, 53), BG);
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* The colour key with a scaled unit: the key is compared with the base
 * layer's pixel under each destination pixel (the screen, as a host's
 * destination key), so a bilinear unit shows its scaled pixels exactly
 * where the screen is KEY and nowhere else, edges included. */
static void test_video_bilinear_colorkey(void **state)
{
    (void)state;
    tvm t;
    setup(&t, NULL);
    write_frame(t.drv.fb + (1u << 20), &pk4x2, VGT_SVGA_FOURCC_YUY2, 8);
    /* 4x2 stretched to 11x7 over the KEY box's corner (100, 100) */
    unit u = frame_unit(VGT_SVGA_FOURCC_YUY2, &pk4x2, 1u << 20, 95, 96, 11, 7);
    u.r[VGT_SVGA_VIDEO_PITCH_1] = 8;
    u.r[VGT_SVGA_VIDEO_FLAGS] = VGT_SVGA_VIDEO_FLAG_COLORKEY;
    u.r[VGT_SVGA_VIDEO_COLORKEY] = KEY;
    show(&t, 0, &u);
    vgt_image img = shot(&t);
    uint32_t shown = 0;
    for (uint32_t y = 96; y < 103; y++) {
        for (uint32_t x = 95; x < 106; x++) {
            bool key = x >= 100 && y >= 100;
            uint32_t want = key ? ref_scaled(&pk4x2, false, 0, 0, 4, 2, 11, 7, x - 95, y - 96) : BG;
            assert_int_equal(px(&img, x, y), want);
            shown += key;
        }
    }
    assert_int_equal(shown, 6 * 3);
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

static void hide_video(vgt_vm_config *cfg)
{
    cfg->device.hide_fifo_caps = VGT_SVGA_FIFO_CAP_VIDEO;
}

static void test_video_cap_hidden(void **state)
{
    (void)state;
    tvm t;
    setup(&t, hide_video);
    assert_false(vgt_drv_has_fifo_cap(&t.drv, VGT_SVGA_FIFO_CAP_VIDEO));
    assert_true(vgt_drv_has_fifo_cap(&t.drv, VGT_SVGA_FIFO_CAP_ESCAPE));
    /* A guest that sends video escapes anyway: ignored as an unknown
     * escape (counted, no error), nothing shown. */
    const uint32_t vram_off = 1u << 20;
    write_packed(t.drv.fb + vram_off, 16, false);
    unit u = unit_4x2(VGT_SVGA_FOURCC_YUY2, VGT_SVGA_GMR_FRAMEBUFFER, vram_off, 10, 20, 4, 2);
    show(&t, 0, &u);
    vgt_image img = shot(&t);
    for (uint32_t y = 20; y < 22; y++) {
        for (uint32_t x = 10; x < 14; x++) {
            assert_int_equal(px(&img, x, y), 0xFF000000u | BG);
        }
    }
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    assert_int_equal(tvm_stats(&t).escapes, 2);
    tvm_destroy(&t);
}

/* Sends raw words as one command and waits until the device took them. */
static void send(tvm *t, const uint32_t *w, uint32_t n)
{
    uint32_t *c = vgt_drv_fifo_reserve(&t->drv, 4u * n);
    assert_non_null(c);
    memcpy(c, w, 4u * n);
    vgt_drv_fifo_commit_all(&t->drv);
    tvm_sync(t);
}

/* The last error is EXECUTE, names `reason`, and its seq and FIFO offset
 * are those of the last command before the sync's fence. */
static void expect_error(tvm *t, uint32_t errors_before, const char *reason)
{
    tvm_expect_exec_error(t, errors_before, reason, VGT_SVGA_CMD_ESCAPE);
}

/* Malformed escapes and bad frames: each rejected with its reason, the unit
 * not shown, and the device keeps running (a good flush afterwards works). */
static void test_video_bad_guest(void **state)
{
    (void)state;
    tvm t;
    setup(&t, legacy);
    uint64_t phys = 0;
    assert_int_equal(vgt_drv_gmr_define_contiguous(&t.drv, 2, 1, &phys), VGT_OK);
    write_packed(vgt_guest_ptr(t.g, phys, 4096), 16, false);
    const uint32_t E = VGT_SVGA_CMD_ESCAPE, NS = VGT_SVGA_ESCAPE_NSID_VMWARE;
    const uint32_t SET = VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS;
    const uint32_t FLUSH = VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH;
    uint32_t n = t.log->nerrors;

    /* escapes of other namespaces and majors: ignored, not errors */
    const uint32_t other[] = {E, 7, 8, SET, 0};
    send(&t, other, 5);
    const uint32_t hint[] = {E, NS, 8, VGT_SVGA_ESCAPE_VMWARE_HINT | 1u, 1};
    send(&t, hint, 5);
    assert_int_equal(t.log->nerrors, n);

    const uint32_t bad_stream[] = {E, NS, 16, SET, 32, VGT_SVGA_VIDEO_ENABLED, 1};
    send(&t, bad_stream, 7);
    expect_error(&t, n++, "stream 32 (units 0..31)");
    const uint32_t bad_stream_flush[] = {E, NS, 8, FLUSH, 0xFFFFFFFFu};
    send(&t, bad_stream_flush, 5);
    expect_error(&t, n++, "stream 4294967295");
    /* register 21 after a good one: neither is set */
    const uint32_t bad_reg[] = {E, NS, 24, SET, 0, VGT_SVGA_VIDEO_WIDTH, 99, 21, 1};
    send(&t, bad_reg, 9);
    expect_error(&t, n++, "item 1: register 21 (0..20)");
    const uint32_t short_set[] = {E, NS, 12, SET, 0, VGT_SVGA_VIDEO_ENABLED};
    send(&t, short_set, 6);
    expect_error(&t, n++, "12 payload bytes are not 8 plus 8 a register");
    const uint32_t short_flush[] = {E, NS, 4, FLUSH};
    send(&t, short_flush, 4);
    expect_error(&t, n++, "4 payload bytes, its type and stream id need 8");
    const uint32_t long_flush[] = {E, NS, 12, FLUSH, 0, 0};
    send(&t, long_flush, 6);
    expect_error(&t, n++, "12 payload bytes (exactly 8)");
    const uint32_t odd_size[] = {E, NS, 15, SET, 0, 1, 2}; /* 15 bytes: 4 words */
    send(&t, odd_size, 7);
    expect_error(&t, n++, "15 payload bytes are not 8 plus 8");
    const uint32_t unknown[] = {E, NS, 8, 0x00020007u, 0};
    send(&t, unknown, 5);
    expect_error(&t, n++, "unknown type 0x00020007");

    /* a good unit: shown */
    unit u = unit_4x2(VGT_SVGA_FOURCC_YUY2, 2, 0, 10, 20, 4, 2);
    show(&t, 0, &u);
    vgt_image img = shot(&t);
    check_unscaled(&img, packed_rgb, 10, 20);
    assert_int_equal(px(&img, 10, 20), packed_rgb[0][0]);
    vgt_image_free(&img);

    /* bad frames, each flushed on unit 0: rejected, the unit is not shown */
    const uint32_t NONE = VGT_SVGA_VIDEO_NUM_REGS;
    struct {
        uint32_t reg, value, reg2, value2;
        const char *reason;
    } bad[] = {
        /* the frame's last row (offset 4080 + 16, 8 bytes) ends past the one-page GMR */
        {VGT_SVGA_VIDEO_DATA_OFFSET, 4096u - 16u, NONE, 0,
         "video stream 0: packed plane in GMR 0x2: frame row 1: 8 bytes at offset 4096 run past "
         "GMR 2"},
        {VGT_SVGA_VIDEO_DATA_GMRID, 9, NONE, 0,
         "packed plane in GMR 0x9: frame row 0: GMR 9 is not defined"},
        /* pitch * height is 2^32 (0 in 32 bits): the second row is at 2 GiB */
        {VGT_SVGA_VIDEO_PITCH_1, 0x80000000u, NONE, 0,
         "frame row 1: 8 bytes at offset 2147483648 run past GMR 2"},
        {VGT_SVGA_VIDEO_PITCH_1, 0x80000000u, VGT_SVGA_VIDEO_DATA_OFFSET, 0x80000000u,
         "packed plane (offset 2147483648, PITCH_1 2147483648, 2 rows) ends beyond 4 GiB"},
        {VGT_SVGA_VIDEO_PITCH_1, 0xFFFFFFFFu, NONE, 0, "ends beyond 4 GiB"},
        {VGT_SVGA_VIDEO_PITCH_1, 7, NONE, 0,
         "packed plane: PITCH_1 7 is less than a row's 8 bytes"},
        {VGT_SVGA_VIDEO_FORMAT, 0x34324752u, NONE, 0,
         "FORMAT 0x34324752 is not YV12, YUY2 or UYVY"},
        {VGT_SVGA_VIDEO_SRC_X, 1, NONE, 0, "source (1,0) 4x2 is not inside the 4x2 frame"},
        {VGT_SVGA_VIDEO_SRC_HEIGHT, 0xFFFFFFFFu, NONE, 0, "source (0,0) 4x4294967295"},
        {VGT_SVGA_VIDEO_WIDTH, 0, NONE, 0, "frame 0x2"},
        {VGT_SVGA_VIDEO_DST_SCREEN_ID, 5, NONE, 0, "DST_SCREEN_ID 5 is not a defined screen"},
        {VGT_SVGA_VIDEO_DST_WIDTH, 9000, NONE, 0, "destination 9000x2"},
        /* 8192x4096 is 2x the host memory all units together may take */
        {VGT_SVGA_VIDEO_DST_WIDTH, 8192, VGT_SVGA_VIDEO_DST_HEIGHT, 4096,
         "destination 8192x4096: the shown units would hold 33554432 pixels (at most 16777216)"},
    };
    for (uint32_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        unit b = u;
        b.r[bad[i].reg] = bad[i].value;
        if (bad[i].reg2 != NONE) {
            b.r[bad[i].reg2] = bad[i].value2;
        }
        show(&t, 0, &b);
        expect_error(&t, n++, bad[i].reason);
        img = shot(&t);
        assert_int_equal(px(&img, 10, 20), BG);
        assert_int_equal(px(&img, 13, 21), BG);
        vgt_image_free(&img);
        show(&t, 0, &u); /* and the device still shows a good one */
        img = shot(&t);
        check_unscaled(&img, packed_rgb, 10, 20);
        vgt_image_free(&img);
        assert_int_equal(t.log->nerrors, n);
    }
    /* YV12: the V plane starts at PITCH_1 * height = 2^32 (0 in 32 bits) */
    unit y = unit_4x2(VGT_SVGA_FOURCC_YV12, 2, 0, 10, 20, 4, 2);
    y.r[VGT_SVGA_VIDEO_PITCH_1] = 0x80000000u;
    show(&t, 0, &y);
    expect_error(&t, n++, "V plane (offset 4294967296, PITCH_2 4, 1 rows) ends beyond 4 GiB");
    /* and the U plane after a V plane of pitch 2^32 - 1 */
    y.r[VGT_SVGA_VIDEO_PITCH_1] = 8;
    y.r[VGT_SVGA_VIDEO_PITCH_2] = 0xFFFFFFFFu;
    show(&t, 0, &y);
    expect_error(&t, n++, "U plane (offset 4294967311, PITCH_3 4, 1 rows) ends beyond 4 GiB");
    y.r[VGT_SVGA_VIDEO_PITCH_2] = 1;
    show(&t, 0, &y);
    expect_error(&t, n++, "V plane: PITCH_2 1 is less than a row's 2 bytes");
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.errors, n);
    assert_int_equal(s.errors_by_kind[VGT_DEVERR_EXECUTE], n);
    tvm_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_video_formats_unscaled),
        cmocka_unit_test(test_video_scaled_and_subrect),
        cmocka_unit_test(test_video_colorkey_update_disable),
        cmocka_unit_test(test_video_screens_and_cursor),
        cmocka_unit_test(test_video_cap_hidden),
        cmocka_unit_test(test_video_bad_guest),
        cmocka_unit_test(test_video_bilinear_same_size),
        cmocka_unit_test(test_video_bilinear_2x),
        cmocka_unit_test(test_video_bilinear_down_and_subrect),
        cmocka_unit_test(test_video_bilinear_odd_edges),
        cmocka_unit_test(test_video_bilinear_colorkey),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
