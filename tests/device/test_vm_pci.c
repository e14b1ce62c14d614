/* The VM harness: PCI configuration mechanism #1 (bus scan, 8/16/32-bit
 * reads, BAR sizing, decode enables), guest BAR relocation (masking, the
 * decode rule's conflicts, FB_START/MEM_START, refused with the identity
 * map, the driver through moved BARs), the page allocator, pointer <->
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

#define SLOT      VGT_VM_PCI_SLOT
#define VRAM_SZ   (4u << 20)
#define FIFO_SZ   (256u << 10)
#define RAM18_END (VGT_VM_RAM_BASE + (18u << 20))
#define ALL_ONES  0xFFFFFFFFu

/* The device's register `reg` through the I/O BAR at `io`. */
static uint32_t reg_at(vgt_guest *g, uint32_t io, uint32_t reg)
{
    vgt_guest_out32(g, (uint16_t)(io + VGT_SVGA_PORT_INDEX), reg);
    return vgt_guest_in32(g, (uint16_t)(io + VGT_SVGA_PORT_VALUE));
}

static uint8_t *vram_host(tvm *t)
{
    uint32_t size = 0;
    return vgt_device_vram(t->dev, &size);
}

/* VRAM's host memory answers at guest-physical `phys` (its last byte too). */
static bool vram_at(tvm *t, uint64_t phys)
{
    uint8_t *p = vgt_guest_ptr(t->g, phys, VRAM_SZ);
    return p != NULL && p == vram_host(t);
}

static void test_bar_relocation(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 256, NULL);
    vgt_guest *g = t.g;
    cfg_write32(g, SLOT, 0x04, 0x3);
    uint8_t *vram = vram_host(&t);
    uint8_t *fifo = vgt_guest_ptr(g, VGT_VM_FIFO_BASE, FIFO_SZ);
    assert_non_null(vram);
    assert_non_null(fifo);

    /* BAR0: the registers answer at the new ports, not at the old. */
    cfg_write32(g, SLOT, 0x10, 0xD000u);
    assert_int_equal(cfg_read32(g, SLOT, 0x10), 0xD001u);
    assert_int_equal(reg_at(g, 0xD000u, VGT_SVGA_REG_ID), VGT_SVGA_ID_2);
    assert_int_equal(reg_at(g, VGT_VM_IO_BASE, VGT_SVGA_REG_ID), ALL_ONES);
    assert_int_equal(vgt_guest_in8(g, VGT_VM_IO_BASE + VGT_SVGA_PORT_IRQSTATUS), 0xFFu);
    /* the BAR's last port is its, the next is not */
    assert_int_equal(vgt_guest_in8(g, 0xD00Fu), 0);
    assert_int_equal(vgt_guest_in8(g, 0xD010u), 0xFFu);
    /* misaligned: the bits below 16 ports are hardwired (bit 0 reads 1) */
    cfg_write32(g, SLOT, 0x10, 0xD0C6u);
    assert_int_equal(cfg_read32(g, SLOT, 0x10), 0xD0C1u);
    assert_int_equal(reg_at(g, 0xD0C0u, VGT_SVGA_REG_ID), VGT_SVGA_ID_2);
    assert_int_equal(reg_at(g, 0xD000u, VGT_SVGA_REG_ID), ALL_ONES);

    /* BAR1: VRAM, FB_START and the translation follow. */
    cfg_write32(g, SLOT, 0x14, 0x60000000u);
    assert_int_equal(cfg_read32(g, SLOT, 0x14), 0x60000008u);
    assert_int_equal(reg_at(g, 0xD0C0u, VGT_SVGA_REG_FB_START), 0x60000000u);
    assert_true(vram_at(&t, 0x60000000u));
    assert_ptr_equal(vgt_guest_ptr(g, 0x60000000u + VRAM_SZ - 1, 1), vram + VRAM_SZ - 1);
    assert_null(vgt_guest_ptr(g, 0x60000000u + VRAM_SZ - 1, 2));
    assert_null(vgt_guest_ptr(g, VGT_VM_VRAM_BASE, 1));
    assert_int_equal(vgt_guest_phys(g, vram + 0x1234), 0x60001234u);
    /* misaligned: the bits below the 4 MiB size are dropped, type 8 stays */
    cfg_write32(g, SLOT, 0x14, 0x623FFFF7u);
    assert_int_equal(cfg_read32(g, SLOT, 0x14), 0x62000008u);
    assert_int_equal(reg_at(g, 0xD0C0u, VGT_SVGA_REG_FB_START), 0x62000000u);
    assert_true(vram_at(&t, 0x62000000u));
    assert_null(vgt_guest_ptr(g, 0x60000000u, 1));

    /* BAR2: the FIFO and MEM_START. */
    cfg_write32(g, SLOT, 0x18, 0x68040000u);
    assert_int_equal(cfg_read32(g, SLOT, 0x18), 0x68040000u);
    assert_int_equal(reg_at(g, 0xD0C0u, VGT_SVGA_REG_MEM_START), 0x68040000u);
    assert_ptr_equal(vgt_guest_ptr(g, 0x68040000u, FIFO_SZ), fifo);
    assert_null(vgt_guest_ptr(g, VGT_VM_FIFO_BASE, 4));
    assert_int_equal(vgt_guest_phys(g, fifo + 8), 0x68040008u);
    cfg_write32(g, SLOT, 0x18, 0x6807FFFFu); /* 256 KiB aligned */
    assert_int_equal(cfg_read32(g, SLOT, 0x18), 0x68040000u);

    /* The enable bits: off, nothing answers at the new bases either. */
    cfg_write32(g, SLOT, 0x04, 0x0);
    assert_int_equal(reg_at(g, 0xD0C0u, VGT_SVGA_REG_ID), ALL_ONES);
    assert_null(vgt_guest_ptr(g, 0x62000000u, 1));
    assert_null(vgt_guest_ptr(g, 0x68040000u, 1));
    cfg_write32(g, SLOT, 0x04, 0x1); /* I/O only */
    assert_int_equal(reg_at(g, 0xD0C0u, VGT_SVGA_REG_ID), VGT_SVGA_ID_2);
    assert_null(vgt_guest_ptr(g, 0x62000000u, 1));
    cfg_write32(g, SLOT, 0x04, 0x2); /* memory only */
    assert_int_equal(reg_at(g, 0xD0C0u, VGT_SVGA_REG_ID), ALL_ONES);
    assert_true(vram_at(&t, 0x62000000u));

    /* Sizing still works at the new bases and restores them; while a BAR
     * holds its size mask it does not decode. */
    cfg_write32(g, SLOT, 0x04, 0x3);
    const uint32_t base[3] = {0xD0C1u, 0x62000008u, 0x68040000u};
    const uint32_t mask[3] = {0xFFFFFFF1u, ~(VRAM_SZ - 1u) | 8u, ~(FIFO_SZ - 1u)};
    for (uint32_t b = 0; b < 3; b++) {
        cfg_write32(g, SLOT, 0x10 + 4 * b, ALL_ONES);
        assert_int_equal(cfg_read32(g, SLOT, 0x10 + 4 * b), mask[b]);
        if (b == 0) {
            assert_int_equal(reg_at(g, 0xD0C0u, VGT_SVGA_REG_ID), ALL_ONES);
        } else {
            assert_null(vgt_guest_ptr(g, base[b] & ~0xFu, 1));
        }
        cfg_write32(g, SLOT, 0x10 + 4 * b, base[b]);
        assert_int_equal(cfg_read32(g, SLOT, 0x10 + 4 * b), base[b]);
    }
    assert_int_equal(reg_at(g, 0xD0C0u, VGT_SVGA_REG_FB_START), 0x62000000u);
    assert_true(vram_at(&t, 0x62000000u));
    assert_ptr_equal(vgt_guest_ptr(g, 0x68040000u, FIFO_SZ), fifo);

    /* 16-bit writes move a BAR too (the high half, then the low). */
    vgt_guest_out32(g, VGT_VM_PCI_ADDRESS, 0x80000000u | (SLOT << 11) | 0x14);
    vgt_guest_out16(g, VGT_VM_PCI_DATA + 2, 0x6440);
    assert_int_equal(cfg_read32(g, SLOT, 0x14), 0x64400008u);
    assert_int_equal(reg_at(g, 0xD0C0u, VGT_SVGA_REG_FB_START), 0x64400000u);
    assert_true(vram_at(&t, 0x64400000u));
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

static void ram18(vgt_vm_config *cfg)
{
    cfg->ram_size = 18u << 20;
}

static void test_bar_conflicts(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 256, ram18);
    vgt_guest *g = t.g;
    cfg_write32(g, SLOT, 0x04, 0x3);
    uint8_t *fifo = vgt_guest_ptr(g, VGT_VM_FIFO_BASE, FIFO_SZ);
    uint8_t *ram = vgt_guest_ptr(g, VGT_VM_RAM_BASE, 1);
    assert_non_null(fifo);

    /* Over guest RAM (18 MiB: [0x10000000, 0x11200000)): VRAM at
     * 0x11000000 straddles its end; stored and reported, RAM stays RAM and
     * VRAM answers nowhere, not past RAM's end either. */
    cfg_write32(g, SLOT, 0x14, 0x11000000u);
    assert_int_equal(cfg_read32(g, SLOT, 0x14), 0x11000008u);
    assert_int_equal(reg_at(g, VGT_VM_IO_BASE, VGT_SVGA_REG_FB_START), 0x11000000u);
    assert_ptr_equal(vgt_guest_ptr(g, 0x11000000u, 1), ram + (16u << 20));
    assert_null(vgt_guest_ptr(g, RAM18_END, 1));
    assert_null(vgt_guest_ptr(g, 0x11000000u, VRAM_SZ));
    /* ending where RAM starts: clear */
    cfg_write32(g, SLOT, 0x14, VGT_VM_RAM_BASE - VRAM_SZ);
    assert_true(vram_at(&t, VGT_VM_RAM_BASE - VRAM_SZ));
    /* the FIFO starting where RAM ends: clear; VRAM next to it */
    cfg_write32(g, SLOT, 0x18, RAM18_END);
    assert_ptr_equal(vgt_guest_ptr(g, RAM18_END, FIFO_SZ), fifo);
    cfg_write32(g, SLOT, 0x14, 0x11400000u);
    assert_true(vram_at(&t, 0x11400000u));
    assert_ptr_equal(vgt_guest_ptr(g, RAM18_END, FIFO_SZ), fifo);
    /* the FIFO on VRAM's second 256 KiB: neither decodes */
    cfg_write32(g, SLOT, 0x18, 0x11440000u);
    assert_int_equal(cfg_read32(g, SLOT, 0x18), 0x11440000u);
    assert_null(vgt_guest_ptr(g, 0x11400000u, 1));
    assert_null(vgt_guest_ptr(g, 0x11440000u, 1));
    assert_int_equal(reg_at(g, VGT_VM_IO_BASE, VGT_SVGA_REG_MEM_START), 0x11440000u);
    /* right after VRAM: both */
    cfg_write32(g, SLOT, 0x18, 0x11800000u);
    assert_true(vram_at(&t, 0x11400000u));
    assert_ptr_equal(vgt_guest_ptr(g, 0x11800000u, FIFO_SZ), fifo);

    /* The 2 GiB window: the last 4 MiB below it decode, crossing it or
     * past it does not (the stored value reads back). */
    cfg_write32(g, SLOT, 0x14, VGT_VM_BAR_LIMIT - VRAM_SZ);
    assert_true(vram_at(&t, VGT_VM_BAR_LIMIT - VRAM_SZ));
    cfg_write32(g, SLOT, 0x14, VGT_VM_BAR_LIMIT);
    assert_int_equal(cfg_read32(g, SLOT, 0x14), VGT_VM_BAR_LIMIT | 8u);
    assert_null(vgt_guest_ptr(g, VGT_VM_BAR_LIMIT, 1));
    cfg_write32(g, SLOT, 0x14, 0xFFC00000u); /* the last 4 MiB of 4 GiB */
    assert_int_equal(cfg_read32(g, SLOT, 0x14), 0xFFC00008u);
    assert_null(vgt_guest_ptr(g, 0xFFC00000u, 1));
    assert_int_equal(reg_at(g, VGT_VM_IO_BASE, VGT_SVGA_REG_FB_START), 0xFFC00000u);
    /* base 0 is unassigned */
    cfg_write32(g, SLOT, 0x14, 0);
    assert_int_equal(cfg_read32(g, SLOT, 0x14), 8u);
    assert_null(vgt_guest_ptr(g, 0, 1));

    /* BAR0: on the configuration ports it does not decode, and they stay
     * the configuration ports; next to them it does. */
    cfg_write32(g, SLOT, 0x10, 0xCF0u);
    assert_int_equal(cfg_read32(g, SLOT, 0x10), 0xCF1u);
    assert_int_equal(reg_at(g, 0xCF0u, VGT_SVGA_REG_ID), ALL_ONES);
    assert_int_equal(cfg_read32(g, SLOT, 0), 0x040515ADu);
    cfg_write32(g, SLOT, 0x10, 0xCE0u);
    assert_int_equal(reg_at(g, 0xCE0u, VGT_SVGA_REG_ID), VGT_SVGA_ID_2);
    cfg_write32(g, SLOT, 0x10, 0xD00u);
    assert_int_equal(reg_at(g, 0xD00u, VGT_SVGA_REG_ID), VGT_SVGA_ID_2);
    /* the top 16 ports decode; 0x10000 and up do not (stored as written) */
    cfg_write32(g, SLOT, 0x10, 0xFFF0u);
    assert_int_equal(reg_at(g, 0xFFF0u, VGT_SVGA_REG_ID), VGT_SVGA_ID_2);
    cfg_write32(g, SLOT, 0x10, 0x10000u);
    assert_int_equal(cfg_read32(g, SLOT, 0x10), 0x10001u);
    assert_int_equal(reg_at(g, 0x0000u, VGT_SVGA_REG_ID), ALL_ONES);
    assert_int_equal(reg_at(g, 0xFFF0u, VGT_SVGA_REG_ID), ALL_ONES);
    cfg_write32(g, SLOT, 0x10, 0x0u); /* unassigned */
    assert_int_equal(cfg_read32(g, SLOT, 0x10), 0x1u);
    assert_int_equal(reg_at(g, 0x0u, VGT_SVGA_REG_ID), ALL_ONES);
    /* back in the clear, everything answers */
    cfg_write32(g, SLOT, 0x10, VGT_VM_IO_BASE);
    cfg_write32(g, SLOT, 0x14, VGT_VM_VRAM_BASE);
    assert_int_equal(reg_at(g, VGT_VM_IO_BASE, VGT_SVGA_REG_FB_START), VGT_VM_VRAM_BASE);
    assert_true(vram_at(&t, VGT_VM_VRAM_BASE));
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

typedef struct moved_run {
    vgt_sample_run sample;
    vgt_drv drv;
    vgt_status moved;
    char why[VGT_ERROR_MESSAGE_MAX];
} moved_run;

/* A guest that assigns the BARs itself, then runs the 2d-demo through them. */
static int moved_guest(vgt_guest *g, void *arg)
{
    moved_run *m = arg;
    vgt_error err = {0};
    m->moved = vgt_drv_relocate_bars(g, 0xE000u, 0x70000000u, 0x08000000u, &err);
    snprintf(m->why, sizeof(m->why), "%s", err.message);
    if (m->moved != VGT_OK || vgt_drv_init(&m->drv, g, &err) != VGT_OK) {
        return 10;
    }
    uint32_t fb = vgt_drv_read_reg(&m->drv, VGT_SVGA_REG_FB_START);
    uint32_t mem = vgt_drv_read_reg(&m->drv, VGT_SVGA_REG_MEM_START);
    vgt_drv_fini(&m->drv);
    if (fb != 0x70000000u || mem != 0x08000000u) {
        return 11;
    }
    return vgt_sample_guest(g, &m->sample);
}

static void test_bar_relocation_driver(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 256, NULL);
    moved_run m = {.sample = {vgt_sample_find("2d-demo"),
                              {.frames = 4, .width = 160, .height = 120, .quiet = true}}};
    assert_non_null(m.sample.sample);
    vgt_error err = {0};
    int code = -1;
    assert_int_equal(vgt_vm_run(t.vm, moved_guest, &m, &code, &err), VGT_OK);
    assert_int_equal(code, 0);
    assert_int_equal(m.drv.io_base, 0xE000u);
    assert_int_equal(m.drv.fb_phys, 0x70000000u);
    assert_int_equal(m.drv.fifo_phys, 0x08000000u);
    assert_ptr_equal(m.drv.fb, vram_host(&t));
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.frames, 4);
    assert_int_equal(s.errors, 0);
    assert_string_equal(vgt_vm_bar_note(t.vm), "");
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

/* With the identity map the BARs cannot move: a move reads back the old
 * base, FB_START keeps it, the note says why; sizing still works. */
static void test_identity_refuses_relocation(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 256, identity);
    vgt_guest *g = t.g;
    cfg_write32(g, SLOT, 0x04, 0x3);
    assert_string_equal(vgt_vm_bar_note(t.vm), "");
    cfg_write32(g, SLOT, 0x14, 0x60000000u);
    assert_int_equal(cfg_read32(g, SLOT, 0x14), VGT_VM_VRAM_BASE | 8u);
    assert_string_equal(vgt_vm_bar_note(t.vm), "vm: BAR1 relocation to 0x60000000 refused: the "
                                               "identity map keeps it at 0x40000000");
    assert_int_equal(reg_at(g, VGT_VM_IO_BASE, VGT_SVGA_REG_FB_START), VGT_VM_VRAM_BASE);
    assert_ptr_equal(vgt_guest_ptr(g, VGT_VM_VRAM_BASE, 1), (void *)(uintptr_t)VGT_VM_VRAM_BASE);
    assert_null(vgt_guest_ptr(g, 0x60000000u, 1));
    cfg_write32(g, SLOT, 0x10, 0xD000u);
    assert_int_equal(cfg_read32(g, SLOT, 0x10), VGT_VM_IO_BASE | 1u);
    assert_int_equal(reg_at(g, VGT_VM_IO_BASE, VGT_SVGA_REG_ID), VGT_SVGA_ID_2);
    assert_int_equal(reg_at(g, 0xD000u, VGT_SVGA_REG_ID), ALL_ONES);
    assert_string_equal(vgt_vm_bar_note(t.vm), "vm: BAR0 relocation to 0xd000 refused: the "
                                               "identity map keeps it at 0xc000");
    /* sizing and writing the same base back are not moves */
    cfg_write32(g, SLOT, 0x18, ALL_ONES);
    assert_int_equal(cfg_read32(g, SLOT, 0x18), ~(FIFO_SZ - 1u));
    cfg_write32(g, SLOT, 0x18, VGT_VM_FIFO_BASE);
    assert_int_equal(cfg_read32(g, SLOT, 0x18), VGT_VM_FIFO_BASE);
    assert_ptr_equal(vgt_guest_ptr(g, VGT_VM_FIFO_BASE, 1), (void *)(uintptr_t)VGT_VM_FIFO_BASE);
    assert_true(strstr(vgt_vm_bar_note(t.vm), "BAR0") != NULL);
    /* the driver's helper reports the refusal */
    vgt_error err = {0};
    assert_int_equal(vgt_drv_relocate_bars(g, VGT_VM_IO_BASE, 0x60000000u, VGT_VM_FIFO_BASE, &err),
                     VGT_E_STATE);
    assert_string_equal(err.message, "driver: BAR1 reads 0x40000000 after writing 0x60000000");
    assert_int_equal(cfg_read32(g, SLOT, 0x04) & 0xFFFFu, 0x3u); /* restored */
    tvm_destroy(&t);
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
        cmocka_unit_test(test_bar_relocation),
        cmocka_unit_test(test_bar_conflicts),
        cmocka_unit_test(test_bar_relocation_driver),
        cmocka_unit_test(test_identity_refuses_relocation),
        cmocka_unit_test(test_page_allocator),
        cmocka_unit_test(test_identity_map_and_guest_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
