/* The VM harness: PCI configuration mechanism #1 (bus scan, 8/16/32-bit
 * reads, BAR sizing, decode enables), the page allocator, pointer <->
 * guest-physical translation, the identity map and the guest thread. */
#include "device_test_util.h"

static uint32_t cfg_read32(vgt_guest *g, uint32_t slot, uint32_t reg)
{
    vgt_guest_out32(g, VGT_VM_PCI_ADDRESS, 0x80000000u | (slot << 11) | reg);
    return vgt_guest_in32(g, VGT_VM_PCI_DATA);
}

static void cfg_write32(vgt_guest *g, uint32_t slot, uint32_t reg, uint32_t v)
{
    vgt_guest_out32(g, VGT_VM_PCI_ADDRESS, 0x80000000u | (slot << 11) | reg);
    vgt_guest_out32(g, VGT_VM_PCI_DATA, v);
}

static void test_pci_probe_and_bar_sizing(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 256, NULL);
    vgt_guest *g = t.g;
    uint32_t found = 0, slot = 0;
    for (uint32_t s = 0; s < 32; s++) {
        uint32_t id = cfg_read32(g, s, 0);
        if (id != 0xFFFFFFFFu) {
            found++;
            slot = s;
            assert_int_equal(id, 0x040515ADu);
        }
    }
    assert_int_equal(found, 1);
    assert_int_equal(slot, VGT_VM_PCI_SLOT);
    /* Narrow accesses. */
    vgt_guest_out32(g, VGT_VM_PCI_ADDRESS, 0x80000000u | (slot << 11));
    assert_int_equal(vgt_guest_in8(g, VGT_VM_PCI_DATA), 0xAD);
    assert_int_equal(vgt_guest_in8(g, VGT_VM_PCI_DATA + 1), 0x15);
    assert_int_equal(vgt_guest_in16(g, VGT_VM_PCI_DATA + 2), 0x0405);
    vgt_guest_out32(g, VGT_VM_PCI_ADDRESS, 0x80000000u | (slot << 11) | 0x08);
    assert_int_equal(vgt_guest_in8(g, VGT_VM_PCI_DATA + 3), 0x03); /* display class */
    vgt_guest_out32(g, VGT_VM_PCI_ADDRESS, 0x80000000u | (slot << 11) | 0x3C);
    assert_int_equal(vgt_guest_in8(g, VGT_VM_PCI_DATA), VGT_VM_IRQ_LINE);
    assert_int_equal(vgt_guest_in8(g, VGT_VM_PCI_DATA + 1), 1);
    /* A configuration address without the enable bit reads nothing. */
    vgt_guest_out32(g, VGT_VM_PCI_ADDRESS, (slot << 11));
    assert_int_equal(vgt_guest_in32(g, VGT_VM_PCI_DATA), 0xFFFFFFFFu);

    /* BAR sizing: all ones, read the mask, restore. */
    const uint32_t expect[3] = {0xFFFFFFF1u, ~((4u << 20) - 1u) | 0x8u, ~((256u << 10) - 1u)};
    const uint32_t addr[3] = {VGT_VM_IO_BASE | 1u, VGT_VM_VRAM_BASE | 8u, VGT_VM_FIFO_BASE};
    for (uint32_t b = 0; b < 3; b++) {
        uint32_t reg = 0x10 + 4 * b;
        uint32_t orig = cfg_read32(g, slot, reg);
        assert_int_equal(orig, addr[b]);
        cfg_write32(g, slot, reg, 0xFFFFFFFFu);
        assert_int_equal(cfg_read32(g, slot, reg), expect[b]);
        cfg_write32(g, slot, reg, orig);
        assert_int_equal(cfg_read32(g, slot, reg), addr[b]);
    }
    assert_int_equal(cfg_read32(g, slot, 0x1C), 0);

    /* Decode enables: nothing answers until the command register says so. */
    assert_int_equal(cfg_read32(g, slot, 0x04) & 0xFFFFu, 0);
    vgt_guest_out32(g, VGT_VM_IO_BASE + VGT_SVGA_PORT_INDEX, VGT_SVGA_REG_ID);
    assert_int_equal(vgt_guest_in32(g, VGT_VM_IO_BASE + VGT_SVGA_PORT_VALUE), 0xFFFFFFFFu);
    assert_null(vgt_guest_ptr(g, VGT_VM_VRAM_BASE, 4096));
    cfg_write32(g, slot, 0x04, 0x3);
    vgt_guest_out32(g, VGT_VM_IO_BASE + VGT_SVGA_PORT_INDEX, VGT_SVGA_REG_ID);
    assert_int_equal(vgt_guest_in32(g, VGT_VM_IO_BASE + VGT_SVGA_PORT_VALUE), VGT_SVGA_ID_2);
    assert_non_null(vgt_guest_ptr(g, VGT_VM_VRAM_BASE, 4096));
    assert_null(vgt_guest_ptr(g, VGT_VM_VRAM_BASE, (4u << 20) + 1));

    /* The driver finds the same things. */
    vgt_error err = {0};
    assert_int_equal(vgt_drv_init(&t.drv, g, &err), VGT_OK);
    assert_int_equal(t.drv.pci_slot, VGT_VM_PCI_SLOT);
    assert_int_equal(t.drv.io_base, VGT_VM_IO_BASE);
    assert_int_equal(t.drv.fb_phys, VGT_VM_VRAM_BASE);
    assert_int_equal(t.drv.fifo_phys, VGT_VM_FIFO_BASE);
    assert_int_equal(t.drv.fb_bar_size, 4u << 20);
    assert_int_equal(t.drv.fifo_bar_size, 256u << 10);
    assert_int_equal(t.drv.version_id, VGT_SVGA_ID_2);
    assert_int_equal(t.drv.irq_line, VGT_VM_IRQ_LINE);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_FB_START), VGT_VM_VRAM_BASE);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_MEM_START), VGT_VM_FIFO_BASE);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_MEM_REGS), VGT_SVGA_FIFO_NUM_REGS);
    tvm_destroy(&t);
}

static void test_page_allocator(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    vgt_guest *g = t.g;
    uint64_t a = vgt_guest_alloc_pages(g, 3);
    uint64_t b = vgt_guest_alloc_pages(g, 1);
    assert_true(a >= VGT_VM_RAM_BASE);
    assert_int_equal(a % 4096, 0);
    assert_true(b >= a + 3 * 4096);
    assert_true(a / 4096 != 0);
    uint8_t *p = vgt_guest_ptr(g, a, 3 * 4096);
    assert_non_null(p);
    assert_int_equal(vgt_guest_phys(g, p + 5000), a + 5000);
    p[0] = 1;
    vgt_guest_free_pages(g, a, 3);
    uint64_t c = vgt_guest_alloc_pages(g, 2);
    assert_int_equal(c, a); /* first fit reuses the freed run, zeroed */
    assert_int_equal(((uint8_t *)vgt_guest_ptr(g, c, 1))[0], 0);
    /* Exhaustion returns 0. */
    assert_int_equal(vgt_guest_alloc_pages(g, (uint32_t)(vgt_guest_ram_size(g) / 4096)), 0);
    assert_null(vgt_guest_ptr(g, VGT_VM_RAM_BASE - 4096, 16));
    assert_null(vgt_guest_ptr(g, VGT_VM_RAM_BASE + vgt_guest_ram_size(g) - 8, 16));
    assert_int_equal(vgt_guest_phys(g, &c), 0);
    tvm_destroy(&t);
}

static void identity(vgt_vm_config *cfg)
{
    cfg->identity_map = true;
}

static int guest_main(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_sample_args a = {.frames = 3, .width = 160, .height = 120, .quiet = true};
    uint64_t phys = vgt_guest_alloc_pages(g, 1);
    if (vgt_guest_ptr(g, phys, 4096) != (void *)(uintptr_t)phys) {
        return 10;
    }
    return vgt_sample_2d_demo(g, &a) + 42;
}

static void test_identity_map_and_guest_thread(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 256, identity);
    assert_ptr_equal(vgt_guest_ptr(t.g, VGT_VM_RAM_BASE, 1), (void *)(uintptr_t)VGT_VM_RAM_BASE);
    /* A second identity VM cannot map the same addresses: a clear error. */
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.identity_map = true;
    vgt_vm *vm2 = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_vm_create(&cfg, &vm2, &err), VGT_E_NOMEM);
    assert_true(strstr(err.message, "identity map") != NULL);
    int code = -1;
    assert_int_equal(vgt_vm_run(t.vm, guest_main, NULL, &code, &err), VGT_OK);
    assert_int_equal(code, 42);
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.frames, 3);
    assert_int_equal(s.errors, 0);
    tvm_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pci_probe_and_bar_sizing),
        cmocka_unit_test(test_page_allocator),
        cmocka_unit_test(test_identity_map_and_guest_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
