/* Video overlay units (SVGA_ESCAPE_VMWARE_VIDEO): a guest writes YUY2, UYVY
 * and YV12 frames of known values into a GMR or VRAM, programs a unit and
 * flushes; the display's pixels must be the BT.601 colours exactly,
 * unscaled, scaled, from a source sub-rectangle, with the colour key, under
 * later UPDATEs and after disabling.  Malformed escapes are each rejected
 * with their reason and FIFO offset while the device keeps running. */
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
    setup(&t, NULL);
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
    setup(&t, NULL);
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
    setup(&t, NULL);
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
    setup(&t, NULL);
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
    setup(&t, NULL);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
