/* A hostile guest: every bad input is reported with its kind, FIFO offset
 * and reason, counted, and the device keeps working afterwards without
 * touching memory outside its own (the ASan build proves the last part). */
#include "device_test_util.h"

static uint32_t next_cmd(tvm *t)
{
    return vgt_drv_fifo_get(&t->drv, VGT_SVGA_FIFO_NEXT_CMD);
}

static void assert_last_error(tvm *t, vgt_device_error_kind kind, uint32_t offset)
{
    assert_true(t->log->nerrors > 0);
    assert_int_equal(t->log->errors[t->log->nerrors - 1].kind, kind);
    assert_int_equal(t->log->errors[t->log->nerrors - 1].offset, offset);
    vgt_device_stats s = tvm_stats(t);
    assert_int_equal(s.last_error_kind, kind);
    assert_int_equal(s.last_error_offset, offset);
}

static void test_unknown_command(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 16, NULL);
    tvm_driver(&t);
    uint32_t at = next_cmd(&t);
    uint32_t w[] = {0xDEADu, 1, 2, VGT_SVGA_CMD_FENCE, 99};
    raw_push(&t, w, 5);
    raw_drain(&t);
    /* The boundary of the next command cannot be known: everything the
     * guest had committed is dropped (the fence too). */
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_BAD_LENGTH], 1);
    assert_last_error(&t, VGT_DEVERR_BAD_LENGTH, at);
    assert_true(strstr(t.log->errors[0].reason, "NEXT_CMD") != NULL);
    assert_int_not_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_FENCE), 99);
    tvm_assert_alive(&t);
    tvm_destroy(&t);
}

static void test_command_longer_than_ring(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 16, NULL);
    tvm_driver(&t);
    uint32_t at = next_cmd(&t);
    uint32_t w[] = {VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR, 0, 0, 0, 64, 64};
    raw_push(&t, w, 6);
    raw_drain(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_TOO_LONG], 1);
    assert_last_error(&t, VGT_DEVERR_TOO_LONG, at);
    tvm_assert_alive(&t);
    tvm_destroy(&t);
}

static void test_rejected_commands_are_skipped(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    uint32_t at = next_cmd(&t);
    /* An unknown 3D id with a legal size: skipped whole by its length. */
    uint32_t unk3d[] = {1500, 8, 1, 2};
    raw_push(&t, unk3d, 4);
    /* A known 3D command while 3D is absent. */
    uint32_t destroy[] = {VGT_SVGA3D_CMD_SURFACE_DESTROY, 4, 1};
    raw_push(&t, destroy, 3);
    /* Rectangles outside the 320x240 framebuffer, and 32-bit overflows. */
    vgt_drv_update(&t.drv, 300, 200, 100, 100);
    vgt_drv_update(&t.drv, 0xFFFFFFF0u, 0, 0x20, 1);
    vgt_drv_rect_copy(&t.drv, 0, 0, 310, 0, 20, 20);
    vgt_drv_rect_copy(&t.drv, 0, 0xFFFFFFFFu, 0, 0, 1, 2);
    vgt_svga_guest_ptr fb = {.gmr_id = VGT_SVGA_GMR_FRAMEBUFFER, .offset = 0xFFFFF000u};
    vgt_drv_define_gmrfb(&t.drv, fb, 0x80000000u, VGT_SVGA_GMRFB_FORMAT(32, 24));
    vgt_svga_signed_point src = {0x7FFFFFFF, 0x7FFFFFFF};
    vgt_svga_signed_rect dst = {0, 0, 16, 16};
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, dst, 0);
    vgt_svga_signed_rect inverted = {10, 10, 0, 0};
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, inverted, 0);
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, dst, 9); /* no screen 9 */
    vgt_drv_destroy_screen(&t.drv, 12);
    /* GMR2 limits. */
    vgt_drv_gmr2_define(&t.drv, 1, 0xFFFFFFFFu);
    vgt_drv_gmr2_define(&t.drv, 1000, 1);
    vgt_drv_gmr2_define(&t.drv, 2, 4);
    uint64_t ppn = 0x10000;
    vgt_drv_gmr2_remap(&t.drv, 2, VGT_SVGA_REMAP_GMR2_SINGLE_PPN, 0xFFFFFFFFu, 2, &ppn);
    tvm_assert_alive(&t);
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.errors_by_kind[VGT_DEVERR_DECODE], 1);
    assert_int_equal(s.errors_by_kind[VGT_DEVERR_EXECUTE], 9);
    assert_int_equal(s.errors_by_kind[VGT_DEVERR_GMR], 3);
    assert_int_equal(s.commands_failed, 13);
    assert_int_equal(t.log->errors[0].offset, at);
    assert_int_equal(t.log->errors[1].offset, at + 16);
    assert_true(strstr(t.log->errors[2].reason, "outside the 320x240 framebuffer") != NULL);
    tvm_destroy(&t);
}

static void test_bad_fifo_registers(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 16, NULL);
    tvm_driver(&t);
    const uint32_t min = VGT_SVGA_FIFO_NUM_REGS * 4u, max = 16u << 10;
    const uint32_t bad[][4] = {
        {min + 2, max, min + 2, min + 2}, /* misaligned */
        {min, max + 4096, min, min},      /* MAX past FIFO memory */
        {8, max, 8, 8},                   /* MIN inside the basic registers */
        {min, min + 1024, min, min},      /* ring below 10 KiB */
        {min, max, max, max},             /* NEXT_CMD/STOP == MAX */
    };
    for (uint32_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CONFIG_DONE, 0);
        vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_MIN, bad[i][0]);
        vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_MAX, bad[i][1]);
        vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_NEXT_CMD, bad[i][2]);
        vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_STOP, bad[i][3]);
        vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CONFIG_DONE, 1);
        vgt_device_stats s = tvm_stats(&t);
        assert_int_equal(s.errors_by_kind[VGT_DEVERR_FIFO_REGS], i + 1);
        assert_true(s.fifo_stopped);
        assert_false(s.fifo_running);
        assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_BUSY), 0);
    }
    /* Recovery: a correct layout and CONFIG_DONE 0 -> 1. */
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CONFIG_DONE, 0);
    vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_MIN, min);
    vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_MAX, max);
    vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_NEXT_CMD, min);
    vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_STOP, min);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CONFIG_DONE, 1);
    tvm_assert_alive(&t);
    /* NEXT_CMD moved out of range while running: the FIFO stops. */
    uint32_t stop = vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_STOP);
    vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_NEXT_CMD, max + 64);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_SYNC, 1);
    vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_BUSY);
    for (int i = 0; i < 10000 && !tvm_stats(&t).fifo_stopped; i++) {
        vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_SYNC, 1);
        vgt_guest_irq_wait(t.g, 1000000ull);
    }
    vgt_device_stats s = tvm_stats(&t);
    assert_true(s.fifo_stopped);
    assert_int_equal(s.last_error_kind, VGT_DEVERR_FIFO_REGS);
    assert_int_equal(s.last_error_offset, stop);
    /* MIN changed under a running FIFO: stops too. */
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CONFIG_DONE, 0);
    vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_NEXT_CMD, stop);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CONFIG_DONE, 1);
    tvm_assert_alive(&t);
    vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_MIN, min + 4);
    for (int i = 0; i < 10000 && !tvm_stats(&t).fifo_stopped; i++) {
        vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_SYNC, 1);
        vgt_guest_irq_wait(t.g, 1000000ull);
    }
    assert_true(tvm_stats(&t).fifo_stopped);
    vgt_device_reset(t.dev); /* reset also recovers */
    s = tvm_stats(&t);
    assert_false(s.fifo_stopped);
    assert_int_equal(s.errors, 0);
    tvm_destroy(&t);
}

static void test_bad_gmr_descriptors(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    /* A descriptor naming pages outside guest RAM. */
    vgt_svga_gmr_descriptor outside = {.ppn = 5, .num_pages = 2};
    vgt_drv_gmr_define(&t.drv, 1, &outside, 1);
    uint64_t ram_end_ppn = (VGT_VM_RAM_BASE + vgt_guest_ram_size(t.g)) / 4096u;
    vgt_svga_gmr_descriptor past_end = {.ppn = (uint32_t)ram_end_ppn - 1, .num_pages = 2};
    vgt_drv_gmr_define(&t.drv, 1, &past_end, 1);
    /* The descriptor page itself outside RAM. */
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_GMR_ID, 1);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_GMR_DESCRIPTOR, 7);
    /* A continuation loop: the page points to itself. */
    uint64_t page = vgt_guest_alloc_pages(t.g, 1);
    uint32_t *d = vgt_guest_ptr(t.g, page, 4096);
    d[0] = (uint32_t)(page / 4096u);
    d[1] = 0;
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_GMR_DESCRIPTOR, (uint32_t)(page / 4096u));
    /* A full page of descriptors without terminator. */
    for (uint32_t i = 0; i < 512; i++) {
        d[2 * i] = (uint32_t)(page / 4096u);
        d[2 * i + 1] = 1;
    }
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_GMR_DESCRIPTOR, (uint32_t)(page / 4096u));
    /* A GMR id past the limit. */
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_GMR_ID, 5000);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_GMR_DESCRIPTOR, (uint32_t)(page / 4096u));
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.errors_by_kind[VGT_DEVERR_GMR], 6);
    assert_true(strstr(t.log->errors[3].reason, "GMR_MAX_DESCRIPTOR_LENGTH") != NULL);
    assert_true(strstr(t.log->errors[4].reason, "without a terminator") != NULL);
    /* GMR 1 is undefined after the failures: using it is an error. */
    vgt_svga_guest_ptr p = {.gmr_id = 1, .offset = 0};
    vgt_drv_define_gmrfb(&t.drv, p, 1280, VGT_SVGA_GMRFB_FORMAT(32, 24));
    vgt_svga_signed_point src = {0, 0};
    vgt_svga_signed_rect dst = {0, 0, 4, 4};
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, dst, 0);
    tvm_assert_alive(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], 1);
    tvm_destroy(&t);
}

static void test_bad_registers(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    assert_int_equal(vgt_drv_read_reg(&t.drv, 200), 0);
    vgt_drv_write_reg(&t.drv, 300, 1);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_WIDTH, 0);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_HEIGHT, 100000);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_BITS_PER_PIXEL, 12);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_PITCHLOCK, 3);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_DISPLAY_ID, 99);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_DISPLAY_WIDTH, 640);
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.errors_by_kind[VGT_DEVERR_REGISTER], 7);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_WIDTH), 320);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_BITS_PER_PIXEL), 32);
    /* The version cannot go past ID_2. */
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_ID, VGT_SVGA_MAKE_ID(3));
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_ID), VGT_SVGA_ID_2);
    tvm_assert_alive(&t);
    tvm_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_command),
        cmocka_unit_test(test_command_longer_than_ring),
        cmocka_unit_test(test_rejected_commands_are_skipped),
        cmocka_unit_test(test_bad_fifo_registers),
        cmocka_unit_test(test_bad_gmr_descriptors),
        cmocka_unit_test(test_bad_registers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
