/* The legacy modes of 15, 16 and 24 bits per pixel: the mode registers at
 * each depth (DEPTH, masks, BYTES_PER_LINE, the pitch lock), every 15- and
 * 16-bit value and 24-bit bytes shown exactly on the 32-bit display (5- and
 * 6-bit channels widened by bit replication), UPDATE and RECT_COPY in the
 * guest's format, framebuffer traces, cursors over a converted screen and
 * with masks of the mode's depth, the GMRFB formats still refused, mode switches under a running
 * FIFO, and hostile values refused while the device keeps running. */
#include "device_test_util.h"

#define W 256u
#define H 256u

/* The colour shown at (x, y), without the composed image's alpha. */
static uint32_t px(const vgt_image *img, uint32_t x, uint32_t y)
{
    return img_px(img, x, y) & 0xFFFFFFu;
}

static const char *last_reason(tvm *t)
{
    assert_true(t->log->nerrors > 0);
    return t->log->errors[t->log->nerrors - 1].reason;
}

static void driver_mode(tvm *t, uint32_t w, uint32_t h, uint32_t bpp)
{
    vgt_error err = {0};
    if (vgt_drv_init(&t->drv, t->g, &err) != VGT_OK ||
        vgt_drv_set_mode(&t->drv, w, h, bpp, &err) != VGT_OK) {
        fail_msg("driver: %s", err.message);
    }
}

/* The host colour of a legacy pixel, written here apart from the device's
 * code: a 5-bit channel c widened by replication is floor(33c / 4), a 6-bit
 * one floor(65c / 16). */
static uint32_t want_rgb(uint32_t bpp, uint32_t v)
{
    if (bpp == 24) {
        return v & 0xFFFFFFu; /* the bytes B, G, R read as a little-endian word */
    }
    uint32_t r, g, b = (v & 31u) * 33u / 4u;
    if (bpp == 16) {
        r = (v >> 11 & 31u) * 33u / 4u;
        g = (v >> 5 & 63u) * 65u / 16u;
    } else {
        r = (v >> 10 & 31u) * 33u / 4u;
        g = (v >> 5 & 31u) * 33u / 4u;
    }
    return r << 16 | g << 8 | b;
}

static uint32_t bytes_of(uint32_t bpp)
{
    return (bpp + 7u) / 8u;
}

/* The legacy pixel the tests write at (x, y): at 15 and 16 bits every
 * 16-bit value once over 256x256; at 24 bits bytes that vary per channel. */
static uint32_t test_value(uint32_t bpp, uint32_t x, uint32_t y)
{
    if (bpp == 24) {
        return ((x * 7u + y) & 0xFFu) | ((y * 3u + 5u) & 0xFFu) << 8 | ((x ^ y) & 0xFFu) << 16;
    }
    return (y % 256u) << 8 | (x % 256u);
}

static void fill(tvm *t, uint32_t bpp, uint32_t w, uint32_t h)
{
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            vgt_drv_put_pixel(&t->drv, x, y, test_value(bpp, x, y));
        }
    }
}

static void test_hicolor_registers(void **state)
{
    (void)state;
    static const struct {
        uint32_t bpp, depth, red, green, blue;
    } modes[] = {
        {15, 15, 0x7C00, 0x03E0, 0x001F},
        {16, 16, 0xF800, 0x07E0, 0x001F},
        {24, 24, 0xFF0000, 0x00FF00, 0x0000FF},
        {32, 24, 0xFF0000, 0x00FF00, 0x0000FF},
    };
    tvm t;
    tvm_create(&t, 64, NULL);
    driver_mode(&t, 321, 200, 32); /* an odd width: rows of 642 and 963 bytes */
    vgt_drv *d = &t.drv;
    for (uint32_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        vgt_error err = {0};
        assert_int_equal(vgt_drv_switch_mode(d, 321, 200, modes[i].bpp, &err), VGT_OK);
        assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL), modes[i].bpp);
        assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_HOST_BITS_PER_PIXEL), 32);
        assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_DEPTH), modes[i].depth);
        assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_PSEUDOCOLOR), 0);
        assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_RED_MASK), modes[i].red);
        assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_GREEN_MASK), modes[i].green);
        assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BLUE_MASK), modes[i].blue);
        assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BYTES_PER_LINE),
                         321u * bytes_of(modes[i].bpp));
        assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_FB_SIZE), 4u << 20);
        assert_int_equal(d->depth, modes[i].depth);
        assert_int_equal(d->red_mask, modes[i].red);
        assert_true(tlog_has_reg(t.log, VGT_SVGA_REG_BITS_PER_PIXEL, modes[i].bpp));
        /* the driver packs by the masks: full red is the red mask */
        assert_int_equal(vgt_drv_pixel(d, 0xFF0000u), modes[i].red);
        assert_int_equal(vgt_drv_pixel(d, 0xFFFFFFu),
                         modes[i].red | modes[i].green | modes[i].blue);
    }
    /* The pitch lock holds in every depth: BYTES_PER_LINE reads it. */
    vgt_error err = {0};
    vgt_drv_write_reg(d, VGT_SVGA_REG_PITCHLOCK, 1024);
    assert_int_equal(vgt_drv_switch_mode(d, 321, 200, 16, &err), VGT_OK);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BYTES_PER_LINE), 1024);
    assert_int_equal(d->pitch, 1024);
    assert_int_equal(vgt_drv_switch_mode(d, 321, 200, 24, &err), VGT_OK);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BYTES_PER_LINE), 1024);
    assert_int_equal(tvm_stats(&t).errors, 0);
    /* ... and the display reads rows 1024 bytes apart at 24 bits */
    vgt_drv_put_pixel(d, 320, 199, 0x00ABCDEFu);
    vgt_drv_update(d, 320, 199, 1, 1);
    tvm_sync(&t);
    vgt_image img = tvm_shot(&t);
    assert_int_equal(px(&img, 320, 199), 0xABCDEF);
    vgt_image_free(&img);
    const tlog_mem *m = &t.log->mems[t.log->nmems - 1];
    assert_int_equal(m->offset, 199u * 1024u + 320u * 3u);
    assert_int_equal(m->len, 3);
    /* a locked pitch shorter than a 24-bit row (963 bytes), committed */
    vgt_drv_write_reg(d, VGT_SVGA_REG_PITCHLOCK, 960);
    vgt_drv_write_reg(d, VGT_SVGA_REG_ENABLE, 1);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_REGISTER], 1);
    assert_non_null(strstr(last_reason(&t), "PITCHLOCK 960 holds no row of 963 bytes"));
    /* ... at 16 bits the same pitch holds a row of 642 */
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 16);
    vgt_drv_write_reg(d, VGT_SVGA_REG_ENABLE, 1);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_REGISTER], 1);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BYTES_PER_LINE), 960);
    tvm_assert_alive(&t);
    tvm_destroy(&t);
}

/* Every legacy pixel of a WxH mode at `bpp`, written by test_value and
 * shown by one UPDATE, is its exact host colour. */
static void check_all_values(uint32_t bpp)
{
    tvm t;
    tvm_create(&t, 64, NULL);
    driver_mode(&t, W, H, bpp);
    assert_int_equal(t.drv.pitch, W * bytes_of(bpp));
    fill(&t, bpp, W, H);
    vgt_drv_update(&t.drv, 0, 0, W, H);
    tvm_sync(&t);
    vgt_image img = tvm_shot(&t);
    assert_int_equal(img.width, W);
    assert_int_equal(img.height, H);
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            uint32_t v = test_value(bpp, x, y);
            if (px(&img, x, y) != want_rgb(bpp, v)) {
                fail_msg("%u bits: pixel (%u,%u) 0x%x shows 0x%06x, expected 0x%06x", bpp, x, y, v,
                         px(&img, x, y), want_rgb(bpp, v));
            }
        }
    }
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

static void test_hicolor_every_value(void **state)
{
    (void)state;
    /* the formulas above, at the channel extremes */
    assert_int_equal(want_rgb(16, 0xF800), 0xFF0000);
    assert_int_equal(want_rgb(16, 0x07E0), 0x00FF00);
    assert_int_equal(want_rgb(16, 0x001F), 0x0000FF);
    assert_int_equal(want_rgb(16, 0x0821), 0x080408);
    assert_int_equal(want_rgb(16, 0x8410), 0x848284);
    assert_int_equal(want_rgb(15, 0x7C00), 0xFF0000);
    assert_int_equal(want_rgb(15, 0x03E0), 0x00FF00);
    assert_int_equal(want_rgb(15, 0x0421), 0x080808);
    assert_int_equal(want_rgb(15, 0x8000), 0x000000);
    check_all_values(16);
    check_all_values(15);
    check_all_values(24);
}

/* UPDATE reads only its rectangle, w * bytes a row at the mode's pitch;
 * RECT_COPY copies the guest's bytes (overlapping too) and shows them. */
static void check_update_rect_copy(uint32_t bpp)
{
    tvm t;
    tvm_create(&t, 64, NULL);
    driver_mode(&t, W, H, bpp);
    vgt_drv *d = &t.drv;
    uint32_t b = bytes_of(bpp);
    fill(&t, bpp, W, H);
    vgt_drv_update(d, 10, 20, 30, 40);
    tvm_sync(&t);
    const tlog_mem *m = &t.log->mems[t.log->nmems - 1];
    assert_int_equal(m->gmr, VGT_SVGA_GMR_FRAMEBUFFER);
    assert_int_equal(m->len, 30u * b);
    assert_int_equal(m->offset, 59u * W * b + 10u * b);
    vgt_image img = tvm_shot(&t);
    assert_int_equal(px(&img, 10, 20), want_rgb(bpp, test_value(bpp, 10, 20)));
    assert_int_equal(px(&img, 39, 59), want_rgb(bpp, test_value(bpp, 39, 59)));
    assert_int_equal(px(&img, 40, 59), 0); /* outside: never shown */
    assert_int_equal(px(&img, 9, 20), 0);
    vgt_image_free(&img);

    vgt_drv_update(d, 0, 0, W, H);
    /* overlapping: 50x30 from (10,10) to (14,12); then apart, to (200,150) */
    const uint32_t cw = 50, ch = 30;
    vgt_drv_rect_copy(d, 10, 10, 14, 12, cw, ch);
    vgt_drv_rect_copy(d, 10, 10, 200, 150, cw, ch);
    tvm_sync(&t);
    img = tvm_shot(&t);
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            uint32_t sx = x, sy = y;
            if (x >= 200 && x < 200 + cw && y >= 150 && y < 150 + ch) {
                sx = x - 190; /* the second copy read the first copy's result */
                sy = y - 140;
            }
            if (sx >= 14 && sx < 14 + cw && sy >= 12 && sy < 12 + ch) {
                sx -= 4;
                sy -= 2;
            }
            uint32_t v = test_value(bpp, sx, sy), got = 0;
            memcpy(&got, d->fb + (size_t)y * d->pitch + (size_t)x * b, b); /* little-endian host */
            if (got != v || px(&img, x, y) != want_rgb(bpp, v)) {
                fail_msg("%u bits: (%u,%u) holds 0x%x shows 0x%06x, expected 0x%x 0x%06x", bpp, x,
                         y, got, px(&img, x, y), v, want_rgb(bpp, v));
            }
        }
    }
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

static void test_hicolor_update_rect_copy(void **state)
{
    (void)state;
    check_update_rect_copy(16);
    check_update_rect_copy(15);
    check_update_rect_copy(24);
}

/* A FIFO-less guest: the host's refreshes show its VRAM writes converted,
 * changed pixels only, at an odd width and a locked pitch too. */
static void test_hicolor_traces(void **state)
{
    (void)state;
    static const uint32_t depths[] = {16, 15, 24};
    for (uint32_t i = 0; i < 3; i++) {
        uint32_t bpp = depths[i];
        tvm t;
        tvm_create(&t, 64, NULL);
        vgt_error err = {0};
        assert_int_equal(vgt_drv_init(&t.drv, t.g, &err), VGT_OK);
        if (bpp == 24) {
            vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_PITCHLOCK, 512);
        }
        assert_int_equal(vgt_drv_set_mode_fb(&t.drv, 101, 50, bpp, &err), VGT_OK);
        assert_int_equal(t.drv.pitch, bpp == 24 ? 512u : 202u);
        vgt_drv_put_pixel(&t.drv, 100, 49, vgt_drv_pixel(&t.drv, 0xFFFFFFu));
        vgt_drv_put_pixel(&t.drv, 0, 0, vgt_drv_pixel(&t.drv, 0x0000FFu));
        assert_true(vgt_device_refresh(t.dev));
        vgt_image img = tvm_shot(&t);
        assert_int_equal(img.width, 101);
        assert_int_equal(px(&img, 100, 49), 0xFFFFFF);
        assert_int_equal(px(&img, 0, 0), 0x0000FF);
        assert_int_equal(px(&img, 50, 25), 0);
        vgt_image_free(&img);
        assert_false(vgt_device_refresh(t.dev));
        /* one pixel changed: one UPDATE of that pixel, one frame */
        uint64_t frames = tvm_stats(&t).frames;
        vgt_drv_put_pixel(&t.drv, 60, 30, test_value(bpp, 7, 9));
        assert_true(vgt_device_refresh(t.dev));
        assert_int_equal(tvm_stats(&t).frames, frames + 1);
        const tlog_mem *m = &t.log->mems[t.log->nmems - 1];
        assert_int_equal(m->len, bytes_of(bpp));
        assert_int_equal(m->offset, 30u * t.drv.pitch + 60u * bytes_of(bpp));
        img = tvm_shot(&t);
        assert_int_equal(px(&img, 60, 30), want_rgb(bpp, test_value(bpp, 7, 9)));
        vgt_image_free(&img);
        assert_int_equal(tvm_stats(&t).errors, 0);
        tvm_destroy(&t);
    }
}

/* An alpha cursor over a converted screen blends with the host colour; an
 * AND/XOR cursor with masks of another legacy depth and a 16/24 GMRFB (no
 * svga_reg.h format) are refused, while 32-bit and 16/16 GMRFB blits onto
 * screen 0 show host pixels, live; rows overlapping in a 16/16 GMRFB's
 * bytesPerLine are refused and the device keeps running. */
static void test_hicolor_cursor_gmrfb(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    driver_mode(&t, W, H, 16);
    vgt_drv *d = &t.drv;
    vgt_drv_put_pixel(d, 100, 50, 0xF800); /* red */
    vgt_drv_put_pixel(d, 101, 50, 0x001F); /* blue */
    vgt_drv_update(d, 0, 0, W, H);
    uint32_t *c = vgt_drv_begin_define_alpha_cursor(d, 0, 0, 2, 1);
    assert_non_null(c);
    c[0] = 0x80008000u; /* half-transparent green, premultiplied */
    c[1] = 0x00000000u; /* transparent */
    vgt_drv_fifo_commit_all(d);
    vgt_drv_move_cursor(d, 1, 100, 50);
    tvm_sync(&t);
    vgt_image img = tvm_shot(&t);
    uint32_t r = px(&img, 100, 50), b = px(&img, 101, 50);
    assert_int_equal(r & 0xFF00FFu, ((0xFFu * 0x7Fu + 127u) / 255u) << 16);
    assert_int_equal((r >> 8) & 0xFFu, 0x80);
    assert_int_equal(b, 0x0000FF);
    vgt_image_free(&img);

    vgt_svga_cmd_define_cursor info = {
        .width = 2, .height = 1, .and_mask_depth = 1, .xor_mask_depth = 24};
    void *am, *xm;
    assert_true(vgt_drv_begin_define_cursor(d, &info, &am, &xm));
    memset(am, 0, 4);
    memset(xm, 0, 8);
    vgt_drv_fifo_commit_all(d);
    /* 16/24 is no SVGAGMRImageFormat (16/16 and 16/15 are) */
    vgt_drv_define_gmrfb(d, (vgt_svga_guest_ptr){VGT_SVGA_GMR_FRAMEBUFFER, 1u << 20}, 64,
                         VGT_SVGA_GMRFB_FORMAT(16, 24));
    tvm_sync(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], 2);
    assert_non_null(strstr(t.log->errors[0].reason,
                           "mask depths 1/24 (supported: 1, 32 or the framebuffer's 16)"));
    assert_non_null(strstr(t.log->errors[1].reason, "format bpp 16 depth 24"));

    vgt_store_le32(d->fb + (1u << 20), 0x00123456u);
    vgt_drv_define_gmrfb(d, (vgt_svga_guest_ptr){VGT_SVGA_GMR_FRAMEBUFFER, 1u << 20}, 64,
                         VGT_SVGA_GMRFB_FORMAT(32, 24));
    vgt_drv_blit_gmrfb_to_screen(d, (vgt_svga_signed_point){0, 0},
                                 (vgt_svga_signed_rect){5, 6, 6, 7}, 0);
    tvm_sync(&t);
    img = tvm_shot(&t);
    assert_int_equal(px(&img, 5, 6), 0x123456);
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 2);

    /* 16/16: 0xF81F (red 31, green 0, blue 31) and 0x07E0 (green 63) */
    vgt_store_le32(d->fb + (1u << 20), 0x07E0F81Fu);
    vgt_drv_define_gmrfb(d, (vgt_svga_guest_ptr){VGT_SVGA_GMR_FRAMEBUFFER, 1u << 20}, 2,
                         VGT_SVGA_GMRFB_FORMAT(16, 16));
    vgt_drv_blit_gmrfb_to_screen(d, (vgt_svga_signed_point){0, 0},
                                 (vgt_svga_signed_rect){7, 6, 9, 7}, 0);
    /* two rows of two pixels (4 bytes) in bytesPerLine 2: refused */
    vgt_drv_blit_gmrfb_to_screen(d, (vgt_svga_signed_point){0, 0},
                                 (vgt_svga_signed_rect){0, 0, 2, 2}, 0);
    tvm_sync(&t);
    img = tvm_shot(&t);
    assert_int_equal(px(&img, 7, 6), 0xFF00FF);
    assert_int_equal(px(&img, 8, 6), 0x00FF00);
    assert_int_equal(px(&img, 0, 0), 0x000000);
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 3);
    assert_non_null(strstr(t.log->errors[2].reason, "overlap in bytesPerLine 2"));
    tvm_destroy(&t);
}

/* Stores legacy pixel v of `bpp` at byte p (2 bytes at 15/16, 3 at 24). */
static void put_value(uint8_t *p, uint32_t bpp, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    if (bpp == 24) {
        p[2] = (uint8_t)(v >> 16);
    }
}

/* The mask bytes of a row of w pixels of `depth` (1, 16 or 24), padded to
 * 32 bits: 24 bits in 3 bytes (written here apart from the device's row
 * size). */
static uint32_t mask_pitch(uint32_t depth, uint32_t w)
{
    uint32_t bytes = depth == 1 ? (w + 7u) / 8u : w * bytes_of(depth);
    return (bytes + 3u) / 4u * 4u;
}

/* The cursor's XOR pixel (x, y) in the guest's format: channels that are
 * not 0 nor the maximum, different per pixel. */
static uint32_t cursor_value(uint32_t bpp, uint32_t x, uint32_t y)
{
    if (bpp == 24) {
        return 0x102030u + x * 0x010203u + y * 0x300000u;
    }
    return test_value(bpp, 37u + x * 11u, 91u + y * 29u);
}

/* The AND pixel (x, y): all ones on a checkerboard, else 0; `partial`:
 * values keeping some bits of each channel, except all ones at (1,0) and
 * 0 at (2,1). */
static uint32_t cursor_and(uint32_t bpp, uint32_t x, uint32_t y, bool partial)
{
    uint32_t ones = bpp == 24 ? 0xFFFFFFu : 0xFFFFu;
    if (partial) {
        if ((x == 1 && y == 0) || (x == 2 && y == 1)) {
            return x == 1 ? ones : 0;
        }
        return (0x5AF0C3u * (x + 1u) + 0x3C0F69u * y) & ones;
    }
    return (x + y) % 2u == 1u ? ones : 0;
}

/* A 5x3 AND/XOR cursor at hotspot (2, 1): AND of depth and_depth
 * (cursor_and, partial when and_bit is 2, or every bit `and_bit` at depth
 * 1), XOR of the mode's depth (cursor_value); row padding bytes 0xA5,
 * which must mean nothing. */
static void define_legacy_cursor(tvm *t, uint32_t bpp, uint32_t and_depth, uint8_t and_bit)
{
    vgt_svga_cmd_define_cursor info = {.hotspot_x = 2,
                                       .hotspot_y = 1,
                                       .width = 5,
                                       .height = 3,
                                       .and_mask_depth = and_depth,
                                       .xor_mask_depth = bpp};
    void *am, *xm;
    assert_true(vgt_drv_begin_define_cursor(&t->drv, &info, &am, &xm));
    uint32_t ap = mask_pitch(and_depth, 5), xp = mask_pitch(bpp, 5);
    memset(am, 0xA5, ap * 3u);
    memset(xm, 0xA5, xp * 3u);
    for (uint32_t y = 0; y < 3; y++) {
        if (and_depth == 1) {
            ((uint8_t *)am)[y * ap] = and_bit ? 0xF8u : 0u; /* 5 bits MSB first */
        }
        for (uint32_t x = 0; x < 5; x++) {
            if (and_depth != 1) {
                put_value((uint8_t *)am + y * ap + x * bytes_of(bpp), bpp,
                          cursor_and(bpp, x, y, and_bit == 2));
            }
            put_value((uint8_t *)xm + y * xp + x * bytes_of(bpp), bpp, cursor_value(bpp, x, y));
        }
    }
    vgt_drv_fifo_commit_all(&t->drv);
}

/* The cursor's 5x3 pixels at (98, 49) as composed: (screen AND mask) XOR
 * the XOR value in the guest's format, shown in host colours (want_rgb). */
static void check_legacy_cursor(tvm *t, uint32_t bpp, uint32_t and_depth, uint8_t and_bit)
{
    vgt_image img = tvm_shot(t);
    for (uint32_t y = 0; y < 3; y++) {
        for (uint32_t x = 0; x < 5; x++) {
            uint32_t screen = test_value(bpp, 98 + x, 49 + y);
            uint32_t and_v =
                and_depth == 1 ? (and_bit ? 0xFFFFFFu : 0) : cursor_and(bpp, x, y, and_bit == 2);
            uint32_t want = want_rgb(bpp, (screen & and_v) ^ cursor_value(bpp, x, y));
            if (px(&img, 98 + x, 49 + y) != want) {
                fail_msg("%u bits, AND %u: cursor (%u,%u) shows 0x%06x, expected 0x%06x", bpp,
                         and_depth, x, y, px(&img, 98 + x, 49 + y), want);
            }
        }
    }
    /* beside the cursor: the screen */
    assert_int_equal(px(&img, 103, 49), want_rgb(bpp, test_value(bpp, 103, 49)));
    assert_int_equal(px(&img, 97, 49), want_rgb(bpp, test_value(bpp, 97, 49)));
    assert_int_equal(px(&img, 98, 52), want_rgb(bpp, test_value(bpp, 98, 52)));
    vgt_image_free(&img);
}

/* AND/XOR cursors with masks of the mode's depth (16, 24) at an odd
 * width: the XOR pixels shown in the colours UPDATE gives them, AND values
 * of all ones keeping the screen and 0 clearing it; a 1-bit AND with them;
 * any other AND value applied to the guest's pixel, (pixel AND value) XOR
 * the XOR value widened, live; another legacy depth refused, the cursor
 * kept, the device running. */
static void check_legacy_cursor_depth(uint32_t bpp)
{
    tvm t;
    tvm_create(&t, 64, NULL);
    driver_mode(&t, W, H, bpp);
    fill(&t, bpp, W, H);
    vgt_drv_update(&t.drv, 0, 0, W, H);
    define_legacy_cursor(&t, bpp, bpp, 0);
    vgt_drv_move_cursor(&t.drv, 1, 100, 50);
    tvm_sync(&t);
    assert_int_equal(tvm_stats(&t).errors, 0);
    check_legacy_cursor(&t, bpp, bpp, 0);
    define_legacy_cursor(&t, bpp, 1, 1);
    tvm_sync(&t);
    check_legacy_cursor(&t, bpp, 1, 1);
    define_legacy_cursor(&t, bpp, 1, 0);
    tvm_sync(&t);
    check_legacy_cursor(&t, bpp, 1, 0);
    define_legacy_cursor(&t, bpp, bpp, 2);
    tvm_sync(&t);
    check_legacy_cursor(&t, bpp, bpp, 2);
    assert_int_equal(tvm_stats(&t).errors, 0);

    /* another legacy depth's masks: refused, the last cursor stays */
    vgt_svga_cmd_define_cursor info = {
        .width = 5, .height = 3, .and_mask_depth = 1, .xor_mask_depth = bpp == 24 ? 16 : 24};
    void *am, *xm;
    assert_true(vgt_drv_begin_define_cursor(&t.drv, &info, &am, &xm));
    memset(am, 0, mask_pitch(1, 5) * 3u);
    memset(xm, 0, mask_pitch(info.xor_mask_depth, 5) * 3u);
    vgt_drv_fifo_commit_all(&t.drv);
    tvm_sync(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], 1);
    char want[96];
    snprintf(want, sizeof(want), "mask depths 1/%u (supported: 1, 32 or the framebuffer's %u)",
             info.xor_mask_depth, bpp);
    assert_non_null(strstr(last_reason(&t), want));
    check_legacy_cursor(&t, bpp, bpp, 2);
    tvm_assert_alive(&t);
    tvm_destroy(&t);
}

static void test_hicolor_cursor_masks(void **state)
{
    (void)state;
    check_legacy_cursor_depth(16);
    check_legacy_cursor_depth(24);
}

/* The 15-bit mode: a 1-bit AND with a 32-bit XOR mask works; masks of 15
 * bits, sized by svga.c's rule (17 pixels: 8 words a row, packed), are
 * refused with their reason, the FIFO staying in step (the commands after
 * them execute) and the cursor kept. */
static void test_hicolor_cursor_15(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    driver_mode(&t, W, H, 15);
    fill(&t, 15, W, H);
    vgt_drv_update(&t.drv, 0, 0, W, H);
    vgt_svga_cmd_define_cursor info = {
        .width = 2, .height = 1, .and_mask_depth = 1, .xor_mask_depth = 32};
    void *am, *xm;
    assert_true(vgt_drv_begin_define_cursor(&t.drv, &info, &am, &xm));
    memset(am, 0, 4);                                            /* clear the screen under it */
    memcpy(xm, (const uint32_t[]){0x00123456u, 0x00ABCDEFu}, 8); /* host colours */
    vgt_drv_fifo_commit_all(&t.drv);
    vgt_drv_move_cursor(&t.drv, 1, 100, 50);
    tvm_sync(&t);
    assert_int_equal(tvm_stats(&t).errors, 0);
    vgt_image img = tvm_shot(&t);
    assert_int_equal(px(&img, 100, 50), 0x123456u);
    assert_int_equal(px(&img, 101, 50), 0xABCDEFu);
    vgt_image_free(&img);

    info = (vgt_svga_cmd_define_cursor){
        .width = 17, .height = 2, .and_mask_depth = 1, .xor_mask_depth = 15};
    assert_true(vgt_drv_begin_define_cursor(&t.drv, &info, &am, &xm));
    memset(am, 0, 2u * 4u * 1u);
    /* 8 words a row (17 x 15 bits): a device sizing them otherwise would
     * run out of step, decoding 0x5A5A5A5A as commands (more errors) or
     * eating the UPDATE and the sync's FENCE (the sync would fail) */
    memset(xm, 0x5A, 2u * 4u * 8u);
    vgt_drv_fifo_commit_all(&t.drv);
    vgt_drv_update(&t.drv, 0, 0, W, H);
    tvm_sync(&t);
    tvm_assert_alive(&t);
    assert_int_equal(tvm_stats(&t).errors, 1);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], 1);
    assert_non_null(strstr(last_reason(&t), "mask depths 1/15: rows of packed 15-bit pixels"));
    img = tvm_shot(&t);
    assert_int_equal(px(&img, 100, 50), 0x123456u);
    assert_int_equal(px(&img, 102, 50), want_rgb(15, test_value(15, 102, 50)));
    vgt_image_free(&img);
    tvm_destroy(&t);
}

/* Mode switches 32 -> 16 -> 8 -> 24 (and around) while the FIFO executes
 * full-screen UPDATEs: each runs in whichever mode is set when the device
 * reaches it; none fails; settled, the picture is exact. */
static void test_hicolor_switches(void **state)
{
    (void)state;
    static const uint32_t seq[] = {32, 16, 8, 24, 15, 32, 24, 16};
    tvm t;
    tvm_create(&t, 64, NULL);
    driver_mode(&t, W, H, 32);
    vgt_drv *d = &t.drv;
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W * 4u; x++) {
            d->fb[(size_t)y * W * 4u + x] = (uint8_t)(x * 5u + y);
        }
    }
    for (uint32_t i = 0; i < 48; i++) {
        for (uint32_t k = 0; k < 3; k++) {
            vgt_drv_update(d, 0, 0, W, H);
            vgt_drv_rect_copy(d, 0, 0, 1, 1, W - 1u, H - 1u);
        }
        vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, seq[i % 8u]);
    }
    tvm_assert_alive(&t);
    assert_int_equal(tvm_stats(&t).errors, 0);
    /* settled at 16 bits (seq[47 % 8]): the picture is the VRAM's, exactly */
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL), 16);
    vgt_drv_update(d, 0, 0, W, H);
    tvm_sync(&t);
    vgt_image img = tvm_shot(&t);
    for (uint32_t y = 0; y < H; y += 7) {
        for (uint32_t x = 0; x < W; x += 3) {
            uint32_t v = (uint32_t)d->fb[(size_t)y * W * 2u + 2u * x] |
                         (uint32_t)d->fb[(size_t)y * W * 2u + 2u * x + 1u] << 8;
            assert_int_equal(px(&img, x, y), want_rgb(16, v));
        }
    }
    vgt_image_free(&img);
    tvm_destroy(&t);
}

static void test_hicolor_hostile(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    driver_mode(&t, W, H, 16);
    vgt_drv *d = &t.drv;
    /* depths no mode has: refused, counted, the mode kept */
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 12);
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 0);
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 0xFFFFFFF0u);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_REGISTER], 3);
    assert_non_null(strstr(t.log->errors[0].reason, "BITS_PER_PIXEL 12 (8, 15, 16, 24 or 32)"));
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL), 16);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_DEPTH), 16);
    assert_false(tlog_has_reg(t.log, VGT_SVGA_REG_BITS_PER_PIXEL, 12));
    /* an unaligned pitch lock */
    vgt_drv_write_reg(d, VGT_SVGA_REG_PITCHLOCK, 514);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_REGISTER], 4);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BYTES_PER_LINE), W * 2u);

    /* 2048x1024 fits the 4 MiB of VRAM at 16 bits, not at 24 */
    vgt_drv_write_reg(d, VGT_SVGA_REG_WIDTH, 2048);
    vgt_drv_write_reg(d, VGT_SVGA_REG_HEIGHT, 1024);
    assert_int_equal(tvm_stats(&t).errors, 4);
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 24);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_REGISTER], 5);
    assert_non_null(strstr(last_reason(&t), "mode 2048x1024x24 (pitch 6144) does not fit"));
    /* the display is off: an UPDATE fails as an execute error, the FIFO runs */
    vgt_drv_update(d, 0, 0, 1, 1);
    tvm_assert_alive(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], 1);
    /* a rectangle outside the legacy mode, and past 32 bits */
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 15);
    vgt_drv_update(d, 2000, 1000, 49, 25);
    vgt_drv_rect_copy(d, 0, 0, 0xFFFFFFF0u, 0, 32, 1);
    tvm_assert_alive(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], 3);
    assert_non_null(strstr(last_reason(&t), "outside the 2048x1024 framebuffer"));
    vgt_drv_update(d, 2047, 1023, 1, 1);
    tvm_assert_alive(&t);
    assert_int_equal(tvm_stats(&t).errors, 8);
    tvm_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hicolor_registers),
        cmocka_unit_test(test_hicolor_every_value),
        cmocka_unit_test(test_hicolor_update_rect_copy),
        cmocka_unit_test(test_hicolor_traces),
        cmocka_unit_test(test_hicolor_cursor_gmrfb),
        cmocka_unit_test(test_hicolor_switches),
        cmocka_unit_test(test_hicolor_hostile),
        cmocka_unit_test(test_hicolor_cursor_masks),
        cmocka_unit_test(test_hicolor_cursor_15),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
