/* GMRs: defined through the registers (descriptor page chains) and through
 * DEFINE_GMR2/REMAP_GMR2 (PPN32, PPN64, SINGLE_PPN, VIA_GMR, offsets), and
 * DMA through them (GMRFB blits both ways). */
#include "device_test_util.h"

static uint32_t pattern(uint32_t tag, uint32_t x)
{
    return 0xFF000000u | ((tag * 0x010203u + x * 0x11u) & 0xFFFFFFu);
}

static void fill_page(tvm *t, uint64_t phys, uint32_t tag)
{
    uint32_t *p = vgt_guest_ptr(t->g, phys, 4096);
    assert_non_null(p);
    for (uint32_t x = 0; x < 1024; x++) {
        p[x] = pattern(tag, x);
    }
}

static uint32_t display_px(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + (size_t)x * 4u);
}

/* Blits `rows` rows of `w` pixels from GMR `gmr` (one page per row) to the
 * top-left of screen 0, then checks row r shows the page tagged tags[r]. */
static void blit_and_check(tvm *t, uint32_t gmr, uint32_t rows, uint32_t w, const uint32_t *tags)
{
    vgt_svga_guest_ptr ptr = {.gmr_id = gmr, .offset = 0};
    vgt_drv_define_gmrfb(&t->drv, ptr, 4096, VGT_SVGA_GMRFB_FORMAT(32, 24));
    vgt_svga_signed_point src = {0, 0};
    vgt_svga_signed_rect dst = {0, 0, (int32_t)w, (int32_t)rows};
    vgt_drv_blit_gmrfb_to_screen(&t->drv, src, dst, 0);
    tvm_sync(t);
    vgt_image img;
    vgt_error err = {0};
    assert_int_equal(vgt_device_snapshot(t->dev, &img, &err), VGT_OK);
    for (uint32_t r = 0; r < rows; r++) {
        for (uint32_t x = 0; x < w; x += 7) {
            assert_int_equal(display_px(&img, x, r), pattern(tags[r], x));
        }
    }
    vgt_image_free(&img);
}

static void test_gmr_registers_descriptor_chain(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    /* 600 single-page descriptors on every other page: more than one
     * descriptor page, so the chain needs a continuation. */
    const uint32_t n = 600;
    uint64_t base = vgt_guest_alloc_pages(t.g, 2 * n);
    assert_true(base != 0);
    vgt_svga_gmr_descriptor *d = calloc(n, sizeof(*d));
    uint32_t *tags = calloc(n, sizeof(*tags));
    for (uint32_t i = 0; i < n; i++) {
        uint64_t phys = base + (uint64_t)(2 * i) * 4096u;
        d[i].ppn = (uint32_t)(phys / 4096u);
        d[i].num_pages = 1;
        tags[i] = i + 1;
        fill_page(&t, phys, tags[i]);
    }
    assert_int_equal(vgt_drv_gmr_define(&t.drv, 3, d, n), VGT_OK);
    assert_int_equal(tvm_stats(&t).errors, 0);
    uint32_t reads0 = t.log->nmems;
    blit_and_check(&t, 3, 240, 320, tags);
    /* One read per row, through GMR 3, one page apart. */
    uint32_t rows = 0;
    for (uint32_t i = reads0; i < t.log->nmems; i++) {
        const tlog_mem *m = &t.log->mems[i];
        if (!m->write && m->gmr == 3) {
            assert_int_equal(m->offset, rows * 4096u);
            assert_int_equal(m->len, 320u * 4u);
            assert_int_equal(m->first, pattern(tags[rows], 0));
            rows++;
        }
    }
    assert_int_equal(rows, 240);
    /* Undefine: a blit from it now fails (and is counted). */
    assert_int_equal(vgt_drv_gmr_define(&t.drv, 3, NULL, 0), VGT_OK);
    vgt_svga_signed_point src = {0, 0};
    vgt_svga_signed_rect dst = {0, 0, 8, 8};
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, dst, 0);
    tvm_sync(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], 1);
    free(d);
    free(tags);
    tvm_destroy(&t);
}

static void test_gmr_screen_to_gmrfb(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    uint64_t phys = 0;
    assert_int_equal(vgt_drv_gmr_define_contiguous(&t.drv, 4, 100, &phys), VGT_OK);
    /* Put a known picture on the screen through the GFB. */
    for (uint32_t y = 0; y < 240; y++) {
        for (uint32_t x = 0; x < 320; x++) {
            uint32_t c = pattern(y, x);
            memcpy(t.drv.fb + (size_t)y * t.drv.pitch + x * 4u, &c, 4);
        }
    }
    vgt_drv_update(&t.drv, 0, 0, 320, 240);
    vgt_svga_guest_ptr ptr = {.gmr_id = 4, .offset = 64};
    vgt_drv_define_gmrfb(&t.drv, ptr, 1280, VGT_SVGA_GMRFB_FORMAT(32, 24));
    vgt_svga_signed_point dst = {2, 3};
    vgt_svga_signed_rect src = {10, 20, 110, 120};
    vgt_drv_blit_screen_to_gmrfb(&t.drv, dst, src, 0);
    tvm_sync(&t);
    assert_int_equal(tvm_stats(&t).errors, 0);
    const uint8_t *ram = vgt_guest_ptr(t.g, phys, 100 * 4096);
    for (uint32_t y = 0; y < 100; y++) {
        for (uint32_t x = 0; x < 100; x++) {
            uint32_t v = vgt_load_le32(ram + 64 + (size_t)(3 + y) * 1280 + (2 + x) * 4u);
            assert_int_equal(v, pattern(20 + y, 10 + x));
        }
    }
    tvm_destroy(&t);
}

static void test_gmr2_define_and_remap(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    uint64_t pg[9];
    for (uint32_t i = 0; i < 9; i++) {
        pg[i] = vgt_guest_alloc_pages(t.g, 2); /* 2 so pages are never adjacent */
        assert_true(pg[i] != 0);
        fill_page(&t, pg[i], 100 + i);
    }
    vgt_drv_gmr2_define(&t.drv, 7, 8);
    uint64_t ppn32[4] = {pg[0] / 4096, pg[1] / 4096, pg[2] / 4096, pg[3] / 4096};
    vgt_drv_gmr2_remap(&t.drv, 7, VGT_SVGA_REMAP_GMR2_PPN32, 0, 4, ppn32);
    uint64_t ppn64[2] = {pg[4] / 4096, pg[5] / 4096};
    vgt_drv_gmr2_remap(&t.drv, 7, VGT_SVGA_REMAP_GMR2_PPN64, 4, 2, ppn64);
    uint64_t single = pg[6] / 4096;
    vgt_drv_gmr2_remap(&t.drv, 7, VGT_SVGA_REMAP_GMR2_SINGLE_PPN, 6, 2, &single);
    /* VIA_GMR: the page list (PPN32) lives in GMR 4 at offset 8. */
    uint64_t lphys = 0;
    assert_int_equal(vgt_drv_gmr_define_contiguous(&t.drv, 4, 1, &lphys), VGT_OK);
    uint32_t *list = vgt_guest_ptr(t.g, lphys, 4096);
    list[2] = (uint32_t)(pg[8] / 4096);
    list[3] = (uint32_t)(pg[7] / 4096);
    vgt_svga_guest_ptr lp = {.gmr_id = 4, .offset = 8};
    vgt_drv_gmr2_remap_via(&t.drv, 7, VGT_SVGA_REMAP_GMR2_PPN32, 0, 2, lp);
    /* VIA_GMR, PPN64: three entries at offset 24 (low word, high word),
     * for pages 5..7; the device widens each list in its own buffer. */
    uint64_t via64[3] = {pg[2] / 4096, pg[1] / 4096, pg[0] / 4096};
    for (uint32_t i = 0; i < 3; i++) {
        list[6 + 2 * i] = (uint32_t)via64[i];
        list[7 + 2 * i] = (uint32_t)(via64[i] >> 32);
    }
    vgt_svga_guest_ptr lp64 = {.gmr_id = 4, .offset = 24};
    vgt_drv_gmr2_remap_via(&t.drv, 7, VGT_SVGA_REMAP_GMR2_PPN64, 5, 3, lp64);
    tvm_sync(&t);
    assert_int_equal(tvm_stats(&t).errors, 0);
    const uint32_t tags[8] = {108, 107, 102, 103, 104, 102, 101, 100};
    blit_and_check(&t, 7, 8, 64, tags);
    /* Remapping outside the GMR, or to a page outside RAM, fails and changes nothing. */
    vgt_drv_gmr2_remap(&t.drv, 7, VGT_SVGA_REMAP_GMR2_SINGLE_PPN, 7, 2, &single);
    uint64_t bad = 5; /* below guest RAM */
    vgt_drv_gmr2_remap(&t.drv, 7, VGT_SVGA_REMAP_GMR2_SINGLE_PPN, 0, 1, &bad);
    /* a PPN64 entry whose high word puts it past guest RAM */
    list[12] = (uint32_t)(pg[3] / 4096);
    list[13] = 1;
    vgt_svga_guest_ptr lp_high = {.gmr_id = 4, .offset = 48};
    vgt_drv_gmr2_remap_via(&t.drv, 7, VGT_SVGA_REMAP_GMR2_PPN64, 0, 1, lp_high);
    tvm_sync(&t);
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.errors_by_kind[VGT_DEVERR_GMR], 3);
    assert_non_null(strstr(s.last_error, "outside guest RAM"));
    blit_and_check(&t, 7, 8, 64, tags);
    /* DEFINE_GMR2 with 0 pages frees it. */
    vgt_drv_gmr2_define(&t.drv, 7, 0);
    tvm_sync(&t);
    vgt_svga_signed_point src = {0, 0};
    vgt_svga_signed_rect dst = {0, 0, 8, 8};
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, dst, 0);
    tvm_sync(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], 1);
    tvm_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gmr_registers_descriptor_chain),
        cmocka_unit_test(test_gmr_screen_to_gmrfb),
        cmocka_unit_test(test_gmr2_define_and_remap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
