/* The 8-bit pseudocolor mode (SVGA_CAP_8BIT_EMULATION): the mode registers,
 * UPDATE and RECT_COPY through the palette, a palette change shown only by
 * the next UPDATE, 8-bit cursor masks, the capability hidden, and hostile
 * register writes (depths 12 and 31, registers around the palette, mode
 * switches while the FIFO runs). */
#include "device_test_util.h"

#define W 320u
#define H 240u

/* The colour the tests give palette entry n (all 256 distinct). */
static uint32_t test_rgb(uint32_t n)
{
    return ((n * 37u + 11u) & 0xFFu) << 16 | ((255u - n) & 0xFFu) << 8 | ((n * 7u + 3u) & 0xFFu);
}

static void program_palette(tvm *t)
{
    uint8_t rgb[256 * 3];
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = test_rgb(n);
        rgb[3 * n] = (uint8_t)(c >> 16);
        rgb[3 * n + 1] = (uint8_t)(c >> 8);
        rgb[3 * n + 2] = (uint8_t)c;
    }
    vgt_drv_set_palette(&t->drv, 0, 256, rgb);
}

/* The index the tests write at (x, y). */
static uint8_t test_index(uint32_t x, uint32_t y)
{
    return (uint8_t)(x + 3u * y);
}

static void fill_indices(tvm *t)
{
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            t->drv.fb[(size_t)y * t->drv.pitch + x] = test_index(x, y);
        }
    }
}

static void driver_8bit(tvm *t)
{
    vgt_error err = {0};
    if (vgt_drv_init(&t->drv, t->g, &err) != VGT_OK ||
        vgt_drv_set_mode(&t->drv, W, H, 8, &err) != VGT_OK) {
        fail_msg("driver: %s", err.message);
    }
}

/* A VM in the 8-bit mode, the test palette programmed, the test indices in
 * the framebuffer and one whole-screen UPDATE sent (not yet synced). */
static void shown_8bit(tvm *t)
{
    tvm_create(t, 64, NULL);
    driver_8bit(t);
    program_palette(t);
    fill_indices(t);
    vgt_drv_update(&t->drv, 0, 0, W, H);
}

static void test_8bit_registers(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    driver_8bit(&t);
    vgt_drv *d = &t.drv;
    assert_true(d->capabilities & VGT_SVGA_CAP_8BIT_EMULATION);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL), 8);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_HOST_BITS_PER_PIXEL), 32);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_DEPTH), 8);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_PSEUDOCOLOR), 1);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BYTES_PER_LINE), W);
    assert_int_equal(d->pitch, W);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_RED_MASK), 0x07);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_GREEN_MASK), 0x38);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BLUE_MASK), 0xC0);
    assert_true(tlog_has_reg(t.log, VGT_SVGA_REG_BITS_PER_PIXEL, 8));
    assert_int_equal(tvm_stats(&t).errors, 0);

    /* PITCHLOCK: 4-aligned; in the 8-bit mode W + 4 holds a row. */
    vgt_drv_write_reg(d, VGT_SVGA_REG_PITCHLOCK, W + 2u); /* not 4-aligned */
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_REGISTER], 1);
    vgt_drv_write_reg(d, VGT_SVGA_REG_PITCHLOCK, W + 4u);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BYTES_PER_LINE), W + 4u);
    /* ... a locked pitch that holds no 32-bit row: the depth is taken as a
     * mode change in progress; an ENABLE that finds them disagreeing is the
     * error. */
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 32);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_REGISTER], 1);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL), 32);
    vgt_drv_write_reg(d, VGT_SVGA_REG_ENABLE, 1);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_REGISTER], 2);
    assert_non_null(strstr(t.log->errors[t.log->nerrors - 1].reason, "PITCHLOCK"));
    vgt_drv_write_reg(d, VGT_SVGA_REG_PITCHLOCK, 0);
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 8);

    /* Back to 32: the true-colour registers again. */
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 32);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL), 32);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_DEPTH), 24);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_PSEUDOCOLOR), 0);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BYTES_PER_LINE), W * 4u);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_RED_MASK), 0xFF0000);
    assert_true(tlog_has_reg(t.log, VGT_SVGA_REG_BITS_PER_PIXEL, 32));

    /* Palette registers: 8-bit components, tapped as stored. */
    vgt_drv_write_reg(d, VGT_SVGA_PALETTE_BASE + 5u, 0x1ABu);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_PALETTE_BASE + 5u), 0xAB);
    assert_true(tlog_has_reg(t.log, VGT_SVGA_PALETTE_BASE + 5u, 0xAB));
    assert_int_equal(tvm_stats(&t).errors, 2);
    tvm_assert_alive(&t);
    tvm_destroy(&t);
}

/* Every pixel of img shows the palette colour of its index, where the
 * palette is test_rgb except for entries 7 and 200 inside [0,rw)x[0,rh)
 * (the area an UPDATE showed after they changed). */
static void assert_shows_palette(const vgt_image *img, uint32_t rw, uint32_t rh)
{
    assert_int_equal(img->width, W);
    assert_int_equal(img->height, H);
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            uint8_t i = test_index(x, y);
            uint32_t want = test_rgb(i);
            if (x < rw && y < rh && i == 7) {
                want = 0x010203u;
            } else if (x < rw && y < rh && i == 200) {
                want = 0xFAFBFCu;
            }
            if (img_px(img, x, y) != (0xFF000000u | want)) {
                fail_msg("pixel (%u,%u) index %u: 0x%08x, expected 0x%08x", x, y, i,
                         img_px(img, x, y), 0xFF000000u | want);
            }
        }
    }
}

static void test_8bit_update_shows_palette(void **state)
{
    (void)state;
    tvm t;
    shown_8bit(&t);
    tvm_sync(&t);
    vgt_image img = tvm_shot(&t);
    assert_shows_palette(&img, 0, 0);
    vgt_image_free(&img);

    /* A palette write alone changes nothing shown, even after a fence... */
    const uint8_t c7[3] = {1, 2, 3}, c200[3] = {0xFA, 0xFB, 0xFC};
    vgt_drv_set_palette(&t.drv, 7, 1, c7);
    vgt_drv_set_palette(&t.drv, 200, 1, c200);
    tvm_sync(&t);
    img = tvm_shot(&t);
    assert_shows_palette(&img, 0, 0);
    vgt_image_free(&img);
    /* ... the next UPDATE shows it, where it updates. */
    vgt_drv_update(&t.drv, 0, 0, 64, 32);
    tvm_sync(&t);
    img = tvm_shot(&t);
    assert_shows_palette(&img, 64, 32);
    vgt_image_free(&img);
    /* the UPDATE read 64 bytes a row at the 8-bit pitch */
    const tlog_mem *m = &t.log->mems[t.log->nmems - 1];
    assert_int_equal(m->gmr, VGT_SVGA_GMR_FRAMEBUFFER);
    assert_int_equal(m->len, 64);
    assert_int_equal(m->offset, 31u * W);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

static void hide_8bit(vgt_vm_config *cfg)
{
    cfg->device.hide_caps = VGT_SVGA_CAP_8BIT_EMULATION;
}

static void test_8bit_hidden(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, hide_8bit);
    vgt_error err = {0};
    assert_int_equal(vgt_drv_init(&t.drv, t.g, &err), VGT_OK);
    assert_false(t.drv.capabilities & VGT_SVGA_CAP_8BIT_EMULATION);
    assert_int_not_equal(vgt_drv_set_mode(&t.drv, W, H, 8, &err), VGT_OK);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_REGISTER], 1);
    assert_non_null(strstr(t.log->errors[0].reason, "BITS_PER_PIXEL 8"));
    assert_non_null(strstr(t.log->errors[0].reason, "hidden"));
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_BITS_PER_PIXEL), 32);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_DEPTH), 24);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_PSEUDOCOLOR), 0);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_BYTES_PER_LINE), W * 4u);
    assert_false(tlog_has_reg(t.log, VGT_SVGA_REG_BITS_PER_PIXEL, 8));
    /* the 32-bit mode works as before */
    assert_int_equal(vgt_drv_set_mode(&t.drv, W, H, 32, &err), VGT_OK);
    uint32_t c = 0xFF123456u;
    memcpy(t.drv.fb + 10u * t.drv.pitch + 40u, &c, 4);
    vgt_drv_update(&t.drv, 10, 10, 1, 1);
    tvm_sync(&t);
    vgt_image img = tvm_shot(&t);
    assert_int_equal(img_px(&img, 10, 10), 0xFF123456u);
    vgt_image_free(&img);
    tvm_destroy(&t);
}

static void test_8bit_rect_copy(void **state)
{
    (void)state;
    tvm t;
    shown_8bit(&t);
    tvm_sync(&t);
    /* Overlapping: 50x30 from (10,10) to (14,12); then apart: to (200,150). */
    const uint32_t cw = 50, ch = 30;
    uint8_t src[50 * 30];
    for (uint32_t y = 0; y < ch; y++) {
        memcpy(src + y * cw, t.drv.fb + (size_t)(10u + y) * W + 10u, cw);
    }
    vgt_drv_rect_copy(&t.drv, 10, 10, 14, 12, cw, ch);
    vgt_drv_rect_copy(&t.drv, 10, 10, 200, 150, cw, ch);
    tvm_sync(&t);
    vgt_image img = tvm_shot(&t);
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            uint8_t want = test_index(x, y);
            bool in1 = x >= 14 && x < 14 + cw && y >= 12 && y < 12 + ch;
            bool in2 = x >= 200 && x < 200 + cw && y >= 150 && y < 150 + ch;
            if (in1) {
                want = src[(y - 12) * cw + (x - 14)];
            } else if (in2) {
                /* the second copy read the first copy's result */
                uint32_t sx = x - 200 + 10, sy = y - 150 + 10;
                bool from1 = sx >= 14 && sy >= 12;
                want = from1 ? src[(sy - 12) * cw + (sx - 14)] : test_index(sx, sy);
            }
            /* the bytes in VRAM, and the colours on the screen */
            assert_int_equal(t.drv.fb[(size_t)y * W + x], want);
            if (img_px(&img, x, y) != (0xFF000000u | test_rgb(want))) {
                fail_msg("pixel (%u,%u): 0x%08x, expected index %u 0x%08x", x, y,
                         img_px(&img, x, y), want, 0xFF000000u | test_rgb(want));
            }
        }
    }
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* An 8x4 AND/XOR cursor of the given mask depths: AND all `and_value`
 * (1-bit: every bit; 8-bit: every byte), XOR index 10 + x. */
static void define_cursor(tvm *t, uint32_t and_depth, uint32_t xor_depth, uint8_t and_value)
{
    vgt_svga_cmd_define_cursor info = {
        .width = 8, .height = 4, .and_mask_depth = and_depth, .xor_mask_depth = xor_depth};
    void *am, *xm;
    assert_true(vgt_drv_begin_define_cursor(&t->drv, &info, &am, &xm));
    uint32_t and_pitch = (and_depth * 8u + 31u) / 32u * 4u;
    uint32_t xor_pitch = (xor_depth * 8u + 31u) / 32u * 4u;
    memset(am, and_value, and_pitch * 4u);
    memset(xm, 0, xor_pitch * 4u);
    for (uint32_t y = 0; y < 4; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            if (xor_depth == 8) {
                ((uint8_t *)xm)[y * xor_pitch + x] = (uint8_t)(10u + x);
            }
        }
    }
    vgt_drv_fifo_commit_all(&t->drv);
}

static void test_8bit_cursor(void **state)
{
    (void)state;
    tvm t;
    shown_8bit(&t);
    define_cursor(&t, 1, 8, 0x00); /* opaque: the XOR indices' colours */
    vgt_drv_move_cursor(&t.drv, 1, 100, 50);
    tvm_sync(&t);
    vgt_image img = tvm_shot(&t);
    for (uint32_t y = 0; y < 4; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            assert_int_equal(img_px(&img, 100 + x, 50 + y), 0xFF000000u | test_rgb(10u + x));
        }
    }
    assert_int_equal(img_px(&img, 108, 50), 0xFF000000u | test_rgb(test_index(108, 50)));
    vgt_image_free(&img);
    /* An 8-bit cursor works on indices: AND 0xFF keeps the screen's index,
     * XORed with the XOR index, shown in that index's colour */
    define_cursor(&t, 8, 8, 0xFF);
    tvm_sync(&t);
    img = tvm_shot(&t);
    for (uint32_t x = 0; x < 8; x++) {
        uint8_t under = test_index(100 + x, 51);
        assert_int_equal(img_px(&img, 100 + x, 51),
                         0xFF000000u | test_rgb((uint8_t)(under ^ (10u + x))));
    }
    vgt_image_free(&img);
    /* every AND value: 0x55 keeps those bits of the index */
    uint64_t e0 = tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE];
    define_cursor(&t, 8, 8, 0x55);
    tvm_sync(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], e0);
    img = tvm_shot(&t);
    assert_int_equal(img_px(&img, 103, 52),
                     0xFF000000u | test_rgb((uint8_t)((test_index(103, 52) & 0x55u) ^ 13u)));
    vgt_image_free(&img);
    /* With a 32-bit XOR mask (host colours) a partial 8-bit AND value has
     * no meaning: refused, the cursor stays. */
    define_cursor(&t, 8, 32, 0x55);
    tvm_sync(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], e0 + 1);
    assert_non_null(strstr(t.log->errors[t.log->nerrors - 1].reason, "AND mask value 0x55"));
    img = tvm_shot(&t);
    assert_int_equal(img_px(&img, 103, 52),
                     0xFF000000u | test_rgb((uint8_t)((test_index(103, 52) & 0x55u) ^ 13u)));
    vgt_image_free(&img);
    /* 8-bit masks outside the 8-bit mode: refused */
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_BITS_PER_PIXEL, 32);
    define_cursor(&t, 1, 8, 0x00);
    tvm_sync(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], e0 + 2);
    assert_non_null(strstr(t.log->errors[t.log->nerrors - 1].reason, "mask depths 1/8"));
    tvm_destroy(&t);
}

static void test_8bit_hostile(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    driver_8bit(&t);
    vgt_drv *d = &t.drv;
    /* depths the device does not take: refused, counted, nothing changes */
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 12);
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 31);
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 0xFFFFFFFFu);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_REGISTER], 3);
    assert_non_null(strstr(t.log->errors[1].reason, "BITS_PER_PIXEL 31"));
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL), 8);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_DEPTH), 8);
    assert_false(tlog_has_reg(t.log, VGT_SVGA_REG_BITS_PER_PIXEL, 12));
    /* around the palette: below it is no register; past its 768 come the
     * scratch registers, and past those nothing */
    vgt_drv_write_reg(d, VGT_SVGA_PALETTE_BASE - 1u, 7);
    vgt_drv_write_reg(d, VGT_SVGA_SCRATCH_BASE + 64u, 7);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_PALETTE_BASE - 1u), 0);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_REGISTER], 6);
    vgt_drv_write_reg(d, VGT_SVGA_PALETTE_BASE + 767u, 0xFFFFFFFFu);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_PALETTE_BASE + 767u), 0xFF);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_REGISTER], 6);
    tvm_assert_alive(&t);

    /* Mode switches 8 <-> 32 and palette writes while the FIFO executes
     * full-screen UPDATEs: each one runs in whichever mode is set when the
     * device reaches it; none fails and the device keeps running. */
    program_palette(&t);
    fill_indices(&t);
    for (uint32_t i = 0; i < 40; i++) {
        for (uint32_t k = 0; k < 4; k++) {
            vgt_drv_update(d, 0, 0, W, H);
        }
        vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, (i & 1u) ? 8u : 32u);
        vgt_drv_write_reg(d, VGT_SVGA_PALETTE_BASE + i, i);
    }
    tvm_assert_alive(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], 0);
    /* settled in 8 bits: the picture is the palette's again */
    program_palette(&t);
    vgt_drv_update(d, 0, 0, W, H);
    tvm_sync(&t);
    vgt_image img = tvm_shot(&t);
    assert_shows_palette(&img, 0, 0);
    vgt_image_free(&img);
    tvm_destroy(&t);
}

/* Linux's vmwgfx sets a mode as PITCHLOCK, WIDTH, HEIGHT, BITS_PER_PIXEL:
 * shrinking, the new pitch arrives while the old width is still set.  It
 * is taken without an error and the smaller mode applied once WIDTH
 * agrees; an ENABLE that finds the registers disagreeing is an error and
 * the display keeps its mode. */
static void test_pitchlock_before_width(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t); /* 320x240x32 */
    vgt_drv *d = &t.drv;
    const uint32_t big_pitch = 2304, small_pitch = 1344;
    vgt_drv_write_reg(d, VGT_SVGA_REG_PITCHLOCK, big_pitch);
    vgt_drv_write_reg(d, VGT_SVGA_REG_WIDTH, 512);
    vgt_drv_write_reg(d, VGT_SVGA_REG_HEIGHT, 240);
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 32);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BYTES_PER_LINE), big_pitch);
    /* shrinking: 1344 < 512 * 4 until WIDTH follows */
    vgt_drv_write_reg(d, VGT_SVGA_REG_PITCHLOCK, small_pitch);
    vgt_drv_write_reg(d, VGT_SVGA_REG_WIDTH, 320);
    vgt_drv_write_reg(d, VGT_SVGA_REG_HEIGHT, 200);
    vgt_drv_write_reg(d, VGT_SVGA_REG_BITS_PER_PIXEL, 32);
    assert_int_equal(tvm_stats(&t).errors, 0);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_BYTES_PER_LINE), small_pitch);
    /* the display reads rows small_pitch apart */
    vgt_store_le32(d->fb + 7u * small_pitch + 5u * 4u, 0x00123456u);
    vgt_drv_update(d, 0, 0, 320, 200);
    tvm_sync(&t);
    vgt_image img = tvm_shot(&t);
    assert_int_equal(img.width, 320);
    assert_int_equal(img.height, 200);
    assert_int_equal(img_px(&img, 5, 7), 0xFF123456u);
    vgt_image_free(&img);
    /* committed while disagreeing: an error naming PITCHLOCK, mode kept */
    vgt_drv_write_reg(d, VGT_SVGA_REG_PITCHLOCK, 1024);
    vgt_drv_write_reg(d, VGT_SVGA_REG_ENABLE, 1);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_REGISTER], 1);
    assert_non_null(strstr(t.log->errors[t.log->nerrors - 1].reason, "PITCHLOCK"));
    img = tvm_shot(&t);
    assert_int_equal(img.width, 320);
    assert_int_equal(img_px(&img, 5, 7), 0xFF123456u);
    vgt_image_free(&img);
    tvm_assert_alive(&t);
    tvm_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_8bit_registers),
        cmocka_unit_test(test_8bit_update_shows_palette),
        cmocka_unit_test(test_8bit_hidden),
        cmocka_unit_test(test_8bit_rect_copy),
        cmocka_unit_test(test_8bit_cursor),
        cmocka_unit_test(test_8bit_hostile),
        cmocka_unit_test(test_pitchlock_before_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
