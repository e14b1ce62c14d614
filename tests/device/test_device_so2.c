/* Screen Object backing stores (SVGA_CAP_SCREEN_OBJECT_2): a guest defines
 * screens whose base layer lives in VRAM, as Linux's vmwgfx does, and every
 * kind of command must leave exact bytes in the store and exact pixels on
 * the display: DEFINE_SCREEN shows the store, BLIT_GMRFB_TO_SCREEN writes
 * it, BLIT_SCREEN_TO_GMRFB reads it, the guest's CPU writes show after an
 * UPDATE only, BLANKING hides without losing, RECT_COPY and UPDATE of the
 * legacy framebuffer leave store screens alone.  Every hostile store is
 * rejected with its reason and FIFO offset, the device running on. */
#include "device_test_util.h"

#define VRAM_SIZE (4u << 20) /* tvm_create's */
/* screen 0: 64x48 at the origin, rows padded to 320 bytes */
#define S0_OFF   0x100000u
#define S0_W     64u
#define S0_H     48u
#define S0_PITCH 320u
/* screen 1: 32x32 right of it */
#define S1_OFF   0x180000u
#define S1_W     32u
#define S1_H     32u
#define S1_PITCH 128u
#define S1_X     64
/* the GMRFB in VRAM: 64 pixels a row */
#define FB_OFF   0x300000u
#define FB_PITCH 256u

static uint32_t vram32(tvm *t, uint32_t off)
{
    return vgt_load_le32(t->drv.fb + off);
}

static void vram_put(tvm *t, uint32_t off, uint32_t v)
{
    vgt_store_le32(t->drv.fb + off, v);
}

/* Store pixel (x, y) of a store at off with pitch. */
static uint32_t store_px(tvm *t, uint32_t off, uint32_t pitch, uint32_t x, uint32_t y)
{
    return vram32(t, off + y * pitch + x * 4u);
}

static uint32_t shot_px(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + (size_t)x * 4u);
}

/* A pattern, alpha 0 (the display forces it to 0xFF). */
static uint32_t pat(uint32_t seed, uint32_t x, uint32_t y)
{
    return (seed << 16) | (y << 8) | x;
}

static void fill_store(tvm *t, uint32_t off, uint32_t pitch, uint32_t w, uint32_t h, uint32_t seed)
{
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            vram_put(t, off + y * pitch + x * 4u, pat(seed, x, y));
        }
    }
}

static vgt_svga_screen_object so(uint32_t id, uint32_t flags, int32_t x, uint32_t w, uint32_t h,
                                 uint32_t gmr, uint32_t off, uint32_t pitch)
{
    vgt_svga_screen_object o = {.struct_size = VGT_SVGA_SCREEN_OBJECT_V2_BYTES,
                                .id = id,
                                .flags = VGT_SVGA_SCREEN_MUST_BE_SET | flags,
                                .width = w,
                                .height = h,
                                .root_x = x,
                                .root_y = 0};
    o.backing_store.ptr.gmr_id = gmr;
    o.backing_store.ptr.offset = off;
    o.backing_store.pitch = pitch;
    return o;
}

static void define(tvm *t, vgt_svga_screen_object o)
{
    vgt_drv_define_screen(&t->drv, &o);
    tvm_sync(t);
}

/* The two screens with backing stores (seeds 1 and 2), shown. */
static void setup(tvm *t, void (*tweak)(vgt_vm_config *))
{
    tvm_create(t, 64, tweak);
    tvm_driver(t);
    fill_store(t, S0_OFF, S0_PITCH, S0_W, S0_H, 1);
    fill_store(t, S1_OFF, S1_PITCH, S1_W, S1_H, 2);
    define(t, so(0, VGT_SVGA_SCREEN_IS_PRIMARY, 0, S0_W, S0_H, VGT_SVGA_GMR_FRAMEBUFFER, S0_OFF,
                 S0_PITCH));
    define(t, so(1, 0, S1_X, S1_W, S1_H, VGT_SVGA_GMR_FRAMEBUFFER, S1_OFF, S1_PITCH));
    vgt_svga_guest_ptr fb = {.gmr_id = VGT_SVGA_GMR_FRAMEBUFFER, .offset = FB_OFF};
    vgt_drv_define_gmrfb(&t->drv, fb, FB_PITCH, VGT_SVGA_GMRFB_FORMAT(32, 24));
    tvm_sync(t);
}

/* The display equals both stores pixel for pixel (alpha forced), black
 * below screen 1; blanked screens black. */
static void expect_display_is_stores(tvm *t, bool blank0, bool blank1)
{
    vgt_image img = tvm_shot(t);
    assert_int_equal(img.width, S0_W + S1_W);
    assert_int_equal(img.height, S0_H);
    for (uint32_t y = 0; y < S0_H; y++) {
        for (uint32_t x = 0; x < S0_W + S1_W; x++) {
            uint32_t want;
            if (x < S0_W) {
                want = blank0 ? 0 : store_px(t, S0_OFF, S0_PITCH, x, y);
            } else if (y < S1_H) {
                want = blank1 ? 0 : store_px(t, S1_OFF, S1_PITCH, x - S0_W, y);
            } else {
                want = 0;
            }
            if (shot_px(&img, x, y) != (want | 0xFF000000u)) {
                fail_msg("display (%u,%u) = 0x%08x, store 0x%08x", x, y, shot_px(&img, x, y), want);
            }
        }
    }
    vgt_image_free(&img);
}

static void test_so2_caps_and_define(void **state)
{
    (void)state;
    tvm t;
    setup(&t, NULL);
    assert_true(t.drv.capabilities & VGT_SVGA_CAP_SCREEN_OBJECT_2);
    assert_true(vgt_drv_has_fifo_cap(&t.drv, VGT_SVGA_FIFO_CAP_SCREEN_OBJECT_2));
    assert_true(vgt_drv_has_fifo_cap(&t.drv, VGT_SVGA_FIFO_CAP_SCREEN_OBJECT));
    /* DEFINE_SCREEN showed what the stores held, read from VRAM. */
    expect_display_is_stores(&t, false, false);
    vgt_image img = tvm_shot(&t);
    assert_int_equal(shot_px(&img, 5, 7), 0xFF010705u);
    assert_int_equal(shot_px(&img, S1_X + 3, 2), 0xFF020203u);
    vgt_image_free(&img);
    tlog *l = t.log;
    pthread_mutex_lock(&l->mu);
    bool read0 = false;
    for (uint32_t i = 0; i < l->nmems; i++) {
        read0 |= !l->mems[i].write && l->mems[i].gmr == VGT_SVGA_GMR_FRAMEBUFFER &&
                 l->mems[i].offset == S0_OFF;
    }
    pthread_mutex_unlock(&l->mu);
    assert_true(read0);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* BLIT_GMRFB_TO_SCREEN writes the store's bytes (padding untouched), on
 * one screen and across both in virtual coordinates. */
static void test_so2_blit_writes_store(void **state)
{
    (void)state;
    tvm t;
    setup(&t, NULL);
    fill_store(&t, FB_OFF, FB_PITCH, 64, 16, 0x77);
    vram_put(&t, S0_OFF + 3 * S0_PITCH + S0_W * 4u, 0xDEADBEEFu); /* row 3's padding */
    /* 10x4 from GMRFB (2,1) to screen 0 at (20,3) */
    vgt_svga_signed_point src = {2, 1};
    vgt_svga_signed_rect dst = {20, 3, 30, 7};
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, dst, 0);
    tvm_sync(&t);
    for (uint32_t y = 0; y < S0_H; y++) {
        for (uint32_t x = 0; x < S0_W; x++) {
            bool in = x >= 20 && x < 30 && y >= 3 && y < 7;
            uint32_t want = in ? pat(0x77, x - 20 + 2, y - 3 + 1) : pat(1, x, y);
            assert_int_equal(store_px(&t, S0_OFF, S0_PITCH, x, y), want);
        }
    }
    assert_int_equal(vram32(&t, S0_OFF + 3 * S0_PITCH + S0_W * 4u), 0xDEADBEEFu);
    expect_display_is_stores(&t, false, false);
    /* Virtual coordinates across the seam: x 60..68 on both screens. */
    vgt_svga_signed_rect across = {60, 10, 68, 12};
    vgt_svga_signed_point o = {0, 0};
    vgt_drv_blit_gmrfb_to_screen(&t.drv, o, across, VGT_SVGA_ID_INVALID);
    tvm_sync(&t);
    for (uint32_t y = 10; y < 12; y++) {
        for (uint32_t x = 60; x < 68; x++) {
            uint32_t got = x < S0_W ? store_px(&t, S0_OFF, S0_PITCH, x, y)
                                    : store_px(&t, S1_OFF, S1_PITCH, x - S0_W, y);
            assert_int_equal(got, pat(0x77, x - 60, y - 10));
        }
    }
    assert_int_equal(store_px(&t, S1_OFF, S1_PITCH, 4, 10), pat(2, 4, 10));
    expect_display_is_stores(&t, false, false);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* The guest's CPU writes into a store: not shown until an UPDATE covers
 * them (only what it covers); BLIT_SCREEN_TO_GMRFB reads the store as it is. */
static void test_so2_cpu_writes_update_and_readback(void **state)
{
    (void)state;
    tvm t;
    setup(&t, NULL);
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            vram_put(&t, S1_OFF + y * S1_PITCH + x * 4u, 0x00ABCDEFu);
        }
    }
    vgt_image img = tvm_shot(&t);
    assert_int_equal(shot_px(&img, S1_X, 0), 0xFF000000u | pat(2, 0, 0)); /* not yet */
    vgt_image_free(&img);
    /* Readback of screen 1's (0,0)-(8,8) into the GMRFB at (4, 2). */
    memset(t.drv.fb + FB_OFF, 0, FB_PITCH * 16u);
    vgt_svga_signed_point at = {4, 2};
    vgt_svga_signed_rect from = {0, 0, 8, 8};
    vgt_drv_blit_screen_to_gmrfb(&t.drv, at, from, 1);
    tvm_sync(&t);
    for (uint32_t y = 0; y < 10; y++) {
        for (uint32_t x = 0; x < 16; x++) {
            bool in = x >= 4 && x < 12 && y >= 2 && y < 10;
            assert_int_equal(vram32(&t, FB_OFF + y * FB_PITCH + x * 4u), in ? 0x00ABCDEFu : 0u);
        }
    }
    /* An UPDATE of virtual (64,0) 4x8 shows the left half of the block. */
    vgt_drv_update(&t.drv, S1_X, 0, 4, 8);
    tvm_sync(&t);
    img = tvm_shot(&t);
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            uint32_t want = x < 4 ? 0x00ABCDEFu : pat(2, x, y);
            assert_int_equal(shot_px(&img, S1_X + x, y), 0xFF000000u | want);
        }
    }
    vgt_image_free(&img);
    /* An UPDATE over everything shows the rest. */
    vgt_drv_update(&t.drv, 0, 0, 200, 100);
    tvm_sync(&t);
    expect_display_is_stores(&t, false, false);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* BLANKING shows black and keeps the store (blits still land in it);
 * unblanking shows the store as it is.  DEACTIVATE hides the screen;
 * redefining shows the store again; DESTROY removes it. */
static void test_so2_blanking_deactivate_destroy(void **state)
{
    (void)state;
    tvm t;
    setup(&t, NULL);
    fill_store(&t, FB_OFF, FB_PITCH, 64, 16, 0x55);
    define(&t, so(1, VGT_SVGA_SCREEN_BLANKING, S1_X, S1_W, S1_H, VGT_SVGA_GMR_FRAMEBUFFER, S1_OFF,
                  S1_PITCH));
    expect_display_is_stores(&t, false, true);
    vgt_svga_signed_point src = {0, 0};
    vgt_svga_signed_rect dst = {0, 0, 16, 16};
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, dst, 1);
    tvm_sync(&t);
    assert_int_equal(store_px(&t, S1_OFF, S1_PITCH, 15, 15), pat(0x55, 15, 15));
    expect_display_is_stores(&t, false, true);
    vram_put(&t, S1_OFF + 20 * S1_PITCH + 20 * 4u, 0x00123456u); /* a CPU write meanwhile */
    define(&t, so(1, 0, S1_X, S1_W, S1_H, VGT_SVGA_GMR_FRAMEBUFFER, S1_OFF, S1_PITCH));
    expect_display_is_stores(&t, false, false);
    vgt_image img = tvm_shot(&t);
    assert_int_equal(shot_px(&img, S1_X + 20, 20), 0xFF123456u);
    assert_int_equal(shot_px(&img, S1_X + 15, 15), 0xFF000000u | pat(0x55, 15, 15));
    vgt_image_free(&img);
    /* Deactivated: the display is screen 0 alone, and the store is ignored
     * (svga_reg.h), even one that would be refused. */
    uint32_t errors = tvm_stats(&t).errors;
    define(&t, so(1, VGT_SVGA_SCREEN_DEACTIVATE, S1_X, S1_W, S1_H, VGT_SVGA_GMR_NULL, 0, 0));
    img = tvm_shot(&t);
    assert_int_equal(img.width, S0_W);
    vgt_image_free(&img);
    define(&t, so(1, VGT_SVGA_SCREEN_DEACTIVATE, S1_X, S1_W, S1_H, 7, 3, 1));
    assert_int_equal(tvm_stats(&t).errors, errors);
    /* The SCREEN_OBJECT_1 form (28 bytes) has no store: screen 2 keeps its
     * base layer on the host; a blit to it leaves VRAM alone. */
    vgt_svga_screen_object v1 = so(2, 0, 200, 8, 8, VGT_SVGA_GMR_FRAMEBUFFER, S1_OFF, S1_PITCH);
    v1.struct_size = VGT_SVGA_SCREEN_OBJECT_V1_BYTES;
    define(&t, v1);
    img = tvm_shot(&t);
    assert_int_equal(img.width, 208);
    assert_int_equal(shot_px(&img, 201, 1), 0xFF000000u); /* not the store's pixel */
    vgt_image_free(&img);
    fill_store(&t, FB_OFF, FB_PITCH, 64, 16, 0x66);
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, (vgt_svga_signed_rect){0, 0, 2, 2}, 2);
    tvm_sync(&t);
    assert_int_equal(store_px(&t, S1_OFF, S1_PITCH, 1, 1), pat(0x55, 1, 1)); /* as it was */
    img = tvm_shot(&t);
    assert_int_equal(shot_px(&img, 201, 1), 0xFF000000u | pat(0x66, 1, 1));
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, errors);
    vgt_drv_destroy_screen(&t.drv, 2);
    define(&t, so(1, 0, S1_X, S1_W, S1_H, VGT_SVGA_GMR_FRAMEBUFFER, S1_OFF, S1_PITCH));
    expect_display_is_stores(&t, false, false);
    /* Destroyed: gone from the display; a blit to it is refused. */
    vgt_drv_destroy_screen(&t.drv, 1);
    tvm_sync(&t);
    img = tvm_shot(&t);
    assert_int_equal(img.width, S0_W);
    vgt_image_free(&img);
    uint32_t before = tvm_stats(&t).errors;
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, dst, 1);
    tvm_sync(&t);
    assert_int_equal(tvm_stats(&t).errors, before + 1);
    assert_int_equal(store_px(&t, S1_OFF, S1_PITCH, 20, 20), 0x00123456u); /* store untouched */
    tvm_destroy(&t);
}

/* The legacy framebuffer's commands (UPDATE of the GFB, RECT_COPY) leave a
 * store screen's pixels alone; a store that is the GFB's own memory shows
 * a RECT_COPY's bytes after an UPDATE, as any write into it. */
static void test_so2_legacy_commands(void **state)
{
    (void)state;
    tvm t;
    setup(&t, NULL);
    /* GFB (320x240, pitch 1280 at VRAM 0) full of one colour, updated. */
    for (uint32_t y = 0; y < 240; y++) {
        for (uint32_t x = 0; x < 320; x++) {
            vram_put(&t, y * 1280u + x * 4u, 0x00404040u);
        }
    }
    vgt_drv_update(&t.drv, 0, 0, 40, 40);
    tvm_sync(&t);
    expect_display_is_stores(&t, false, false);
    /* Screen 1 backed by the GFB itself at (0,0), pitch 1280. */
    define(&t, so(1, 0, S1_X, S1_W, S1_H, VGT_SVGA_GMR_FRAMEBUFFER, 0, 1280));
    vgt_image img = tvm_shot(&t);
    assert_int_equal(shot_px(&img, S1_X + 1, 1), 0xFF404040u);
    vgt_image_free(&img);
    vram_put(&t, 100 * 1280u + 100 * 4u, 0x00FF0000u);
    vgt_drv_rect_copy(&t.drv, 100, 100, 2, 2, 1, 1); /* into the store, not shown */
    tvm_sync(&t);
    assert_int_equal(vram32(&t, 2 * 1280u + 2 * 4u), 0x00FF0000u);
    img = tvm_shot(&t);
    assert_int_equal(shot_px(&img, S1_X + 2, 2), 0xFF404040u);
    vgt_image_free(&img);
    vgt_drv_update(&t.drv, S1_X, 0, 8, 8);
    tvm_sync(&t);
    img = tvm_shot(&t);
    assert_int_equal(shot_px(&img, S1_X + 2, 2), 0xFFFF0000u);
    assert_int_equal(shot_px(&img, 2, 2), 0xFF000000u | pat(1, 2, 2)); /* screen 0: its store */
    vgt_image_free(&img);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

static void test_so2_hostile_stores(void **state)
{
    (void)state;
    tvm t;
    setup(&t, NULL);
    const uint32_t FB = VGT_SVGA_GMR_FRAMEBUFFER;
    struct {
        vgt_svga_screen_object o;
        const char *reason;
    } bad[] = {
        {so(1, 0, S1_X, S1_W, S1_H, 0, S1_OFF, S1_PITCH), "in GMR 0"},
        {so(1, 0, S1_X, S1_W, S1_H, 7, 0, S1_PITCH), "in GMR 7"},
        {so(1, 0, S1_X, S1_W, S1_H, FB, S1_OFF + 2, S1_PITCH), "not 4-aligned"},
        {so(1, 0, S1_X, S1_W, S1_H, FB, S1_OFF, S1_PITCH + 2), "not 4-aligned"},
        {so(1, 0, S1_X, S1_W, S1_H, FB, S1_OFF, S1_W * 4u - 4u), "pitch 124 < width 32"},
        {so(1, 0, S1_X, S1_W, S1_H, FB, S1_OFF, 0), "pitch 0 < width"},
        /* the last row one pixel past the end of VRAM */
        {so(1, 0, S1_X, S1_W, S1_H, FB, VRAM_SIZE - 31u * S1_PITCH - 124u, S1_PITCH),
         "beyond the 4194304 bytes"},
        /* at the end of VRAM: the FIFO (BAR2) is no store either */
        {so(1, 0, S1_X, S1_W, S1_H, FB, VRAM_SIZE, S1_PITCH), "beyond"},
        /* offset + pitch * (h - 1) overflows 32 bits */
        {so(1, 0, S1_X, S1_W, 8192, FB, 0xFFFFFFF0u, 0xFFFFFFF0u), "beyond"},
        {so(1, 0, S1_X, 8192, 2, FB, 0, 0x80000000u), "beyond"},
        /* ... and wraps back inside VRAM in 32 bits (0x1000 + 2 * 2^31 + 128) */
        {so(1, 0, S1_X, S1_W, 3, FB, 0x1000u, 0x80000000u), "beyond"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint32_t before = t.log->nerrors;
        define(&t, bad[i].o);
        tvm_expect_exec_error(&t, before, bad[i].reason, VGT_SVGA_CMD_DEFINE_SCREEN);
        /* the old screen 1 is as it was */
        expect_display_is_stores(&t, false, false);
    }
    /* Still running: a blit writes the old store. */
    fill_store(&t, FB_OFF, FB_PITCH, 64, 16, 0x33);
    vgt_svga_signed_point src = {0, 0};
    vgt_svga_signed_rect dst = {0, 0, 4, 4};
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, dst, 1);
    tvm_sync(&t);
    assert_int_equal(store_px(&t, S1_OFF, S1_PITCH, 3, 3), pat(0x33, 3, 3));
    /* The store moved mid-run (a good one): the new one is shown, blits
     * land there, the old one is left as it was. */
    const uint32_t moved = 0x200000u;
    fill_store(&t, moved, S1_PITCH, S1_W, S1_H, 9);
    define(&t, so(1, 0, S1_X, S1_W, S1_H, FB, moved, S1_PITCH));
    vgt_image img = tvm_shot(&t);
    assert_int_equal(shot_px(&img, S1_X + 3, 3), 0xFF000000u | pat(9, 3, 3));
    vgt_image_free(&img);
    vgt_svga_signed_rect dst2 = {10, 10, 12, 12};
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, dst2, 1);
    tvm_sync(&t);
    assert_int_equal(store_px(&t, moved, S1_PITCH, 10, 10), pat(0x33, 0, 0));
    assert_int_equal(store_px(&t, S1_OFF, S1_PITCH, 10, 10), pat(2, 10, 10));
    vgt_device_stats st = tvm_stats(&t);
    assert_int_equal(st.errors, sizeof(bad) / sizeof(bad[0]));
    assert_int_equal(st.errors_by_kind[VGT_DEVERR_EXECUTE], sizeof(bad) / sizeof(bad[0]));
    tvm_destroy(&t);
}

static void hide_so2(vgt_vm_config *cfg)
{
    cfg->device.hide_caps = VGT_SVGA_CAP_SCREEN_OBJECT_2;
}

static void hide_fifo_so2(vgt_vm_config *cfg)
{
    cfg->device.hide_fifo_caps = VGT_SVGA_FIFO_CAP_SCREEN_OBJECT_2;
}

/* Hidden (either bit): the store is ignored, the screens keep their base
 * layer on the host as with FIFO_CAP_SCREEN_OBJECT alone. */
static void test_so2_hidden(void **state)
{
    (void)state;
    void (*tweaks[])(vgt_vm_config *) = {hide_so2, hide_fifo_so2};
    for (int i = 0; i < 2; i++) {
        tvm t;
        setup(&t, tweaks[i]);
        assert_int_equal((t.drv.capabilities & VGT_SVGA_CAP_SCREEN_OBJECT_2) != 0, i == 1);
        assert_int_equal(vgt_drv_has_fifo_cap(&t.drv, VGT_SVGA_FIFO_CAP_SCREEN_OBJECT_2), i == 0);
        vgt_image img = tvm_shot(&t);
        assert_int_equal(shot_px(&img, 5, 7), 0xFF000000u); /* the store was not read */
        vgt_image_free(&img);
        fill_store(&t, FB_OFF, FB_PITCH, 64, 16, 0x44);
        vgt_svga_signed_point src = {0, 0};
        vgt_svga_signed_rect dst = {0, 0, 4, 4};
        vgt_drv_blit_gmrfb_to_screen(&t.drv, src, dst, 1);
        tvm_sync(&t);
        assert_int_equal(store_px(&t, S1_OFF, S1_PITCH, 1, 1), pat(2, 1, 1)); /* not written */
        img = tvm_shot(&t);
        assert_int_equal(shot_px(&img, S1_X + 1, 1), 0xFF000000u | pat(0x44, 1, 1));
        vgt_image_free(&img);
        /* a store in a bad place is not even looked at */
        define(&t, so(1, 0, S1_X, S1_W, S1_H, 7, 0xFFFFFFF0u, 0));
        assert_int_equal(tvm_stats(&t).errors, 0);
        tvm_destroy(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_so2_caps_and_define),
        cmocka_unit_test(test_so2_blit_writes_store),
        cmocka_unit_test(test_so2_cpu_writes_update_and_readback),
        cmocka_unit_test(test_so2_blanking_deactivate_destroy),
        cmocka_unit_test(test_so2_legacy_commands),
        cmocka_unit_test(test_so2_hostile_stores),
        cmocka_unit_test(test_so2_hidden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
