/* Fences and interrupts: every fence passes, in order; ANY_FENCE,
 * FENCE_GOAL and FIFO_PROGRESS reach the guest; the status port is
 * write-1-to-clear; without the IRQMASK capability the driver polls BUSY. */
#include "device_test_util.h"

static void test_fences_in_order_with_irqs(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    assert_true(t.drv.use_irq);
    uint32_t nf0 = t.log->nfences;
    uint64_t irqs0 = t.drv.irq.count;
    uint32_t last = 0;
    for (uint32_t i = 0; i < 300; i++) {
        if (i % 3 == 0) {
            vgt_drv_update(&t.drv, 0, 0, 4, 4);
        }
        uint32_t f = vgt_drv_insert_fence(&t.drv);
        assert_true(f > last);
        last = f;
        assert_int_equal(vgt_drv_sync_to_fence(&t.drv, f), VGT_OK);
        assert_true(vgt_drv_has_fence_passed(&t.drv, f));
    }
    tvm_stats(&t);
    assert_int_equal(t.log->nfences - nf0, 300);
    for (uint32_t i = nf0 + 1; i < t.log->nfences; i++) {
        assert_int_equal(t.log->fences[i], t.log->fences[i - 1] + 1);
    }
    /* Some waits needed the FENCE_GOAL interrupt (the others saw the fence
     * pass before sleeping); every interrupt was acknowledged. */
    assert_true(t.drv.irq.count >= irqs0);
    assert_int_equal(vgt_guest_in32(t.g, (uint16_t)(t.drv.io_base + VGT_SVGA_PORT_IRQSTATUS)), 0);
    tvm_destroy(&t);
}

static void test_any_fence_and_progress_irqs(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_IRQMASK, VGT_SVGA_IRQ_ANY_FENCE);
    vgt_drv_clear_irq(&t.drv);
    uint32_t f = vgt_drv_insert_fence(&t.drv);
    vgt_drv_ring_doorbell(&t.drv);
    uint32_t flags = vgt_drv_wait_for_irq(&t.drv);
    assert_true(flags & VGT_SVGA_IRQ_ANY_FENCE);
    assert_true(vgt_drv_has_fence_passed(&t.drv, f));

    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_IRQMASK, VGT_SVGA_IRQ_FIFO_PROGRESS);
    vgt_drv_clear_irq(&t.drv);
    vgt_drv_update(&t.drv, 0, 0, 8, 8);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_SYNC, 1);
    flags = vgt_drv_wait_for_irq(&t.drv);
    assert_int_equal(flags, VGT_SVGA_IRQ_FIFO_PROGRESS);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_IRQMASK, 0);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* With delivery disabled the guest sees the raw status port. */
static void test_status_port_write_one_to_clear(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    uint16_t port = (uint16_t)(t.drv.io_base + VGT_SVGA_PORT_IRQSTATUS);
    vgt_guest_irq_enable(t.g, false);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_IRQMASK,
                      VGT_SVGA_IRQ_ANY_FENCE | VGT_SVGA_IRQ_FENCE_GOAL);
    uint32_t f = vgt_drv_insert_fence(&t.drv);
    vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_FENCE_GOAL, f + 1);
    uint32_t g = vgt_drv_insert_fence(&t.drv);
    assert_int_equal(g, f + 1);
    assert_int_equal(vgt_drv_sync_all(&t.drv), VGT_OK);
    assert_true(vgt_guest_irq_wait(t.g, 1000000000ull)); /* line is up */
    assert_int_equal(vgt_guest_in32(t.g, port), VGT_SVGA_IRQ_ANY_FENCE | VGT_SVGA_IRQ_FENCE_GOAL);
    vgt_guest_out32(t.g, port, VGT_SVGA_IRQ_ANY_FENCE);
    assert_int_equal(vgt_guest_in32(t.g, port), VGT_SVGA_IRQ_FENCE_GOAL);
    vgt_guest_out32(t.g, port, 0xFF);
    assert_int_equal(vgt_guest_in32(t.g, port), 0);
    /* Masked sources do not latch. */
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_IRQMASK, 0);
    vgt_drv_insert_fence(&t.drv);
    assert_int_equal(vgt_drv_sync_all(&t.drv), VGT_OK);
    assert_int_equal(vgt_guest_in32(t.g, port), 0);
    assert_false(vgt_guest_irq_wait(t.g, 1000000ull));
    vgt_guest_irq_enable(t.g, true);
    tvm_destroy(&t);
}

static void hide_irqmask(vgt_vm_config *cfg)
{
    cfg->device.hide_caps = VGT_SVGA_CAP_IRQMASK;
}

static void test_fences_without_irq_capability(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, hide_irqmask);
    tvm_driver(&t);
    assert_false(t.drv.use_irq);
    uint32_t nf0 = t.log->nfences;
    for (uint32_t i = 0; i < 100; i++) {
        vgt_drv_update(&t.drv, i, 0, 1, 1);
        uint32_t f = vgt_drv_insert_fence(&t.drv);
        assert_int_equal(vgt_drv_sync_to_fence(&t.drv, f), VGT_OK);
    }
    tvm_stats(&t);
    assert_int_equal(t.log->nfences - nf0, 100);
    for (uint32_t i = nf0 + 1; i < t.log->nfences; i++) {
        assert_int_equal(t.log->fences[i], t.log->fences[i - 1] + 1);
    }
    assert_int_equal(t.drv.irq.count, 0);
    assert_int_equal(tvm_stats(&t).irqs, 0);
    tvm_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fences_in_order_with_irqs),
        cmocka_unit_test(test_any_fence_and_progress_irqs),
        cmocka_unit_test(test_status_port_write_one_to_clear),
        cmocka_unit_test(test_fences_without_irq_capability),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
