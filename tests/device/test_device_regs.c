/* test_device_regs.c - the SVGA II register and FIFO-register rules a guest
 * driver written from VMware's kit (doc/svga_interface.txt,
 * lib/vmware/svga_reg.h, lib/refdriver/svga.c) relies on: what each
 * register reads at power-on and after each write, the ID negotiation, the
 * legacy cursor's CURSOR_ON values, the smallest FIFO the kit allows, and
 * which FIFO registers the device writes or reads for a given FIFO_MIN. */
#include "device_test_util.h"

static uint32_t rd(vgt_device *dev, uint32_t reg)
{
    vgt_device_io_write(dev, VGT_SVGA_PORT_INDEX, 4, reg);
    return vgt_device_io_read(dev, VGT_SVGA_PORT_VALUE, 4);
}

static void wr(vgt_device *dev, uint32_t reg, uint32_t v)
{
    vgt_device_io_write(dev, VGT_SVGA_PORT_INDEX, 4, reg);
    vgt_device_io_write(dev, VGT_SVGA_PORT_VALUE, 4, v);
}

static uint64_t register_errors(tvm *t)
{
    return tvm_stats(t).errors_by_kind[VGT_DEVERR_REGISTER];
}

static const uint32_t all_caps =
    VGT_SVGA_CAP_RECT_COPY | VGT_SVGA_CAP_CURSOR | VGT_SVGA_CAP_CURSOR_BYPASS |
    VGT_SVGA_CAP_CURSOR_BYPASS_2 | VGT_SVGA_CAP_8BIT_EMULATION | VGT_SVGA_CAP_ALPHA_CURSOR |
    VGT_SVGA_CAP_EXTENDED_FIFO | VGT_SVGA_CAP_PITCHLOCK | VGT_SVGA_CAP_IRQMASK | VGT_SVGA_CAP_GMR |
    VGT_SVGA_CAP_GMR2 | VGT_SVGA_CAP_TRACES | VGT_SVGA_CAP_SCREEN_OBJECT_2;

static const uint32_t all_fifo_caps =
    VGT_SVGA_FIFO_CAP_FENCE | VGT_SVGA_FIFO_CAP_ACCELFRONT | VGT_SVGA_FIFO_CAP_CURSOR_BYPASS_3 |
    VGT_SVGA_FIFO_CAP_ESCAPE | VGT_SVGA_FIFO_CAP_RESERVE | VGT_SVGA_FIFO_CAP_SCREEN_OBJECT |
    VGT_SVGA_FIFO_CAP_GMR2 | VGT_SVGA_FIFO_CAP_VIDEO | VGT_SVGA_FIFO_CAP_SCREEN_OBJECT_2;

/* What every register reads before the guest wrote anything (the harness's
 * 4 MiB VRAM and 64 KiB FIFO). */
static void test_power_on_registers(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    vgt_device *d = t.dev;
    /* vgt's choice (docs/device.md): ID_2 at power-on, not the kit's ID_0 */
    assert_int_equal(rd(d, VGT_SVGA_REG_ID), VGT_SVGA_ID_2);
    assert_int_equal(rd(d, VGT_SVGA_REG_ENABLE), 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_WIDTH), 1024);
    assert_int_equal(rd(d, VGT_SVGA_REG_HEIGHT), 768);
    assert_int_equal(rd(d, VGT_SVGA_REG_MAX_WIDTH), 2560);
    assert_int_equal(rd(d, VGT_SVGA_REG_MAX_HEIGHT), 1600);
    assert_int_equal(rd(d, VGT_SVGA_REG_BITS_PER_PIXEL), 32);
    assert_int_equal(rd(d, VGT_SVGA_REG_HOST_BITS_PER_PIXEL), 32);
    assert_int_equal(rd(d, VGT_SVGA_REG_DEPTH), 24);
    assert_int_equal(rd(d, VGT_SVGA_REG_PSEUDOCOLOR), 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_RED_MASK), 0xFF0000);
    assert_int_equal(rd(d, VGT_SVGA_REG_GREEN_MASK), 0xFF00);
    assert_int_equal(rd(d, VGT_SVGA_REG_BLUE_MASK), 0xFF);
    assert_int_equal(rd(d, VGT_SVGA_REG_BYTES_PER_LINE), 4096);
    assert_int_equal(rd(d, VGT_SVGA_REG_FB_OFFSET), 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_VRAM_SIZE), 4u << 20);
    assert_int_equal(rd(d, VGT_SVGA_REG_FB_SIZE), 4u << 20);
    assert_int_equal(rd(d, VGT_SVGA_REG_MEMORY_SIZE), 4u << 20);
    assert_int_equal(rd(d, VGT_SVGA_REG_MEM_SIZE), 64u << 10);
    assert_int_equal(rd(d, VGT_SVGA_REG_FB_START), VGT_VM_VRAM_BASE);
    assert_int_equal(rd(d, VGT_SVGA_REG_MEM_START), VGT_VM_FIFO_BASE);
    assert_int_equal(rd(d, VGT_SVGA_REG_CAPABILITIES), all_caps);
    assert_int_equal(rd(d, VGT_SVGA_REG_CONFIG_DONE), 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_SYNC), 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_BUSY), 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_GUEST_ID), 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_CURSOR_ON), VGT_SVGA_CURSOR_ON_HIDE);
    assert_int_equal(rd(d, VGT_SVGA_REG_SCRATCH_SIZE), 64);
    assert_int_equal(rd(d, VGT_SVGA_REG_MEM_REGS), VGT_SVGA_FIFO_NUM_REGS);
    assert_int_equal(rd(d, VGT_SVGA_REG_NUM_DISPLAYS), 1);
    assert_int_equal(rd(d, VGT_SVGA_REG_PITCHLOCK), 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_IRQMASK), 0);
    assert_int_equal(vgt_device_io_read(d, VGT_SVGA_PORT_IRQSTATUS, 4), 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_GMR_ID), 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_GMR_MAX_IDS), 64);
    assert_int_equal(rd(d, VGT_SVGA_REG_GMR_MAX_DESCRIPTOR_LENGTH), 4096);
    assert_int_equal(rd(d, VGT_SVGA_REG_GMRS_MAX_PAGES), 65536);
    assert_int_equal(rd(d, VGT_SVGA_REG_TRACES), 1);
    assert_int_equal(rd(d, VGT_SVGA_SCRATCH_BASE + 63), 0);
    assert_int_equal(tvm_stats(&t).errors, 0);
    /* SVGA_REG_TOP and past it (below the palette): no register, counted */
    assert_int_equal(rd(d, VGT_SVGA_REG_TOP), 0);
    assert_int_equal(rd(d, VGT_SVGA_SCRATCH_BASE + 64), 0);
    assert_int_equal(register_errors(&t), 2);
    tvm_destroy(&t);
}

/* svga_interface.txt, "Initialization": write the highest ID the driver
 * knows, read it back, decrement until they agree; "This algorithm
 * converges".  ID_0 has only the registers before CAPABILITIES. */
static void test_id_negotiation(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    vgt_device *d = t.dev;
    /* a driver newer than the device: ID_5 down to ID_2 */
    uint32_t id = VGT_SVGA_MAKE_ID(5);
    uint32_t writes = 0;
    for (; id >= VGT_SVGA_ID_0; id--) {
        wr(d, VGT_SVGA_REG_ID, id);
        writes++;
        if (rd(d, VGT_SVGA_REG_ID) == id) {
            break;
        }
    }
    assert_int_equal(id, VGT_SVGA_ID_2);
    assert_int_equal(writes, 4);
    /* ID_0: FB_SIZE (16) is there, CAPABILITIES (17) on are not: they read
     * 0 (the refdriver's MEM_SIZE sanity check then fails, as it should)
     * and writes to them are refused and counted */
    wr(d, VGT_SVGA_REG_ID, VGT_SVGA_ID_0);
    assert_int_equal(rd(d, VGT_SVGA_REG_ID), VGT_SVGA_ID_0);
    assert_int_equal(rd(d, VGT_SVGA_REG_FB_SIZE), 4u << 20);
    assert_int_equal(rd(d, VGT_SVGA_REG_CAPABILITIES), 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_MEM_SIZE), 0);
    assert_int_equal(register_errors(&t), 0);
    wr(d, VGT_SVGA_REG_CONFIG_DONE, 1);
    wr(d, VGT_SVGA_REG_GUEST_ID, 0x5010);
    assert_int_equal(register_errors(&t), 2);
    assert_true(strstr(tvm_stats(&t).last_error, "before negotiating SVGA_ID_1") != NULL);
    /* ID_1: CAPABILITIES on, and the refused writes left nothing behind */
    wr(d, VGT_SVGA_REG_ID, VGT_SVGA_ID_1);
    assert_int_equal(rd(d, VGT_SVGA_REG_ID), VGT_SVGA_ID_1);
    assert_int_equal(rd(d, VGT_SVGA_REG_CAPABILITIES), all_caps);
    assert_int_equal(rd(d, VGT_SVGA_REG_MEM_SIZE), 64u << 10);
    assert_int_equal(rd(d, VGT_SVGA_REG_CONFIG_DONE), 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_GUEST_ID), 0);
    /* ids the device does not have change nothing: the read-back tells */
    const uint32_t unknown[] = {0, 1, 2, VGT_SVGA_MAKE_ID(3), VGT_SVGA_ID_0 - 1, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        wr(d, VGT_SVGA_REG_ID, unknown[i]);
        assert_int_equal(rd(d, VGT_SVGA_REG_ID), VGT_SVGA_ID_1);
    }
    tvm_destroy(&t);
}

/* What registers read after the guest writes them. */
static void test_register_read_back(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    vgt_device *d = t.dev;
    /* BYTES_PER_LINE follows WIDTH and BITS_PER_PIXEL, unless locked */
    wr(d, VGT_SVGA_REG_WIDTH, 321);
    wr(d, VGT_SVGA_REG_HEIGHT, 200);
    assert_int_equal(rd(d, VGT_SVGA_REG_BYTES_PER_LINE), 1284);
    wr(d, VGT_SVGA_REG_BITS_PER_PIXEL, 16);
    assert_int_equal(rd(d, VGT_SVGA_REG_BYTES_PER_LINE), 642);
    wr(d, VGT_SVGA_REG_PITCHLOCK, 2048);
    assert_int_equal(rd(d, VGT_SVGA_REG_PITCHLOCK), 2048);
    assert_int_equal(rd(d, VGT_SVGA_REG_BYTES_PER_LINE), 2048);
    wr(d, VGT_SVGA_REG_PITCHLOCK, 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_BYTES_PER_LINE), 642);
    assert_int_equal(rd(d, VGT_SVGA_REG_FB_OFFSET), 0);
    /* ENABLE keeps its two bits, CONFIG_DONE and TRACES are booleans,
     * IRQMASK keeps the three sources */
    wr(d, VGT_SVGA_REG_ENABLE, 0xFFFFFFFFu);
    assert_int_equal(rd(d, VGT_SVGA_REG_ENABLE), VGT_SVGA_ENABLE_ENABLE | VGT_SVGA_ENABLE_HIDE);
    wr(d, VGT_SVGA_REG_ENABLE, 0);
    wr(d, VGT_SVGA_REG_CONFIG_DONE, 7);
    assert_int_equal(rd(d, VGT_SVGA_REG_CONFIG_DONE), 1);
    wr(d, VGT_SVGA_REG_CONFIG_DONE, 0);
    wr(d, VGT_SVGA_REG_TRACES, 5);
    assert_int_equal(rd(d, VGT_SVGA_REG_TRACES), 1);
    wr(d, VGT_SVGA_REG_IRQMASK, 0xFFFFFFFFu);
    assert_int_equal(rd(d, VGT_SVGA_REG_IRQMASK),
                     VGT_SVGA_IRQ_ANY_FENCE | VGT_SVGA_IRQ_FIFO_PROGRESS | VGT_SVGA_IRQ_FENCE_GOAL);
    wr(d, VGT_SVGA_REG_IRQMASK, 0);
    /* stored as written */
    wr(d, VGT_SVGA_REG_GUEST_ID, 0x5010);
    assert_int_equal(rd(d, VGT_SVGA_REG_GUEST_ID), 0x5010);
    wr(d, VGT_SVGA_SCRATCH_BASE + 63, 0xCAFEF00Du);
    assert_int_equal(rd(d, VGT_SVGA_SCRATCH_BASE + 63), 0xCAFEF00Du);
    wr(d, VGT_SVGA_REG_CURSOR_X, 17);
    wr(d, VGT_SVGA_REG_CURSOR_Y, 19);
    assert_int_equal(rd(d, VGT_SVGA_REG_CURSOR_X), 17);
    assert_int_equal(rd(d, VGT_SVGA_REG_CURSOR_Y), 19);
    /* GMR_ID: read/write, no side effect; GMR_DESCRIPTOR: write-only */
    wr(d, VGT_SVGA_REG_GMR_ID, 63);
    assert_int_equal(rd(d, VGT_SVGA_REG_GMR_ID), 63);
    assert_int_equal(rd(d, VGT_SVGA_REG_GMR_DESCRIPTOR), 0);
    /* SYNC is a doorbell (reads 0); BUSY is 0 without a running FIFO */
    uint64_t doorbells = tvm_stats(&t).doorbells;
    wr(d, VGT_SVGA_REG_SYNC, 1);
    assert_int_equal(tvm_stats(&t).doorbells, doorbells + 1);
    assert_int_equal(rd(d, VGT_SVGA_REG_SYNC), 0);
    assert_int_equal(rd(d, VGT_SVGA_REG_BUSY), 0);
    assert_int_equal(tvm_stats(&t).errors, 0);
    /* read-only registers: a write is refused, counted, and changes nothing */
    const uint32_t ro[][2] = {
        {VGT_SVGA_REG_MAX_WIDTH, 2560},        {VGT_SVGA_REG_DEPTH, 16},
        {VGT_SVGA_REG_BYTES_PER_LINE, 642},    {VGT_SVGA_REG_FB_SIZE, 4u << 20},
        {VGT_SVGA_REG_VRAM_SIZE, 4u << 20},    {VGT_SVGA_REG_MEM_SIZE, 64u << 10},
        {VGT_SVGA_REG_CAPABILITIES, all_caps}, {VGT_SVGA_REG_MEM_REGS, VGT_SVGA_FIFO_NUM_REGS},
        {VGT_SVGA_REG_GMR_MAX_IDS, 64},        {VGT_SVGA_REG_HOST_BITS_PER_PIXEL, 32},
    };
    for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
        wr(d, ro[i][0], 1);
        assert_int_equal(register_errors(&t), i + 1);
        assert_int_equal(rd(d, ro[i][0]), ro[i][1]);
    }
    tvm_destroy(&t);
}

/* GMR_MAX_IDS is "the maximum supported ID plus 1". */
static void test_gmr_max_ids_bound(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    uint64_t page = vgt_guest_alloc_pages(t.g, 1);
    vgt_svga_gmr_descriptor desc = {.ppn = (uint32_t)(page / 4096u), .num_pages = 1};
    vgt_drv_gmr_define(&t.drv, 63, &desc, 1);
    assert_int_equal(tvm_stats(&t).errors, 0);
    vgt_drv_gmr_define(&t.drv, 64, &desc, 1);
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.errors_by_kind[VGT_DEVERR_GMR], 1);
    assert_true(strstr(s.last_error, "64") != NULL);
    tvm_assert_alive(&t);
    tvm_destroy(&t);
}

/* A 4x4 opaque red alpha cursor at (100, 50), positioned and shown through
 * the legacy cursor bypass 2 registers. */
static bool cursor_shown(tvm *t)
{
    tvm_sync(t);
    vgt_image img = tvm_shot(t);
    uint32_t px = img_px(&img, 101, 51);
    vgt_image_free(&img);
    if (px != 0xFFFF0000u && px != 0xFF000000u) {
        fail_msg("pixel 0x%08x is neither the cursor nor the black screen", px);
    }
    return px == 0xFFFF0000u;
}

/* svga_interface.txt, SVGA_CAP_CURSOR_BYPASS_2: a driver writes
 * REMOVE_FROM_FB and RESTORE_TO_FB to CURSOR_ON around drawing under the
 * cursor; "In almost all cases these are NOPs and the cursor will remain
 * visible without appearing in the guest framebuffer" (vgt never puts it
 * there). */
static void test_cursor_on_values(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    uint32_t *px = vgt_drv_begin_define_alpha_cursor(&t.drv, 0, 0, 4, 4);
    assert_non_null(px);
    for (uint32_t i = 0; i < 16; i++) {
        px[i] = 0xFFFF0000u;
    }
    vgt_drv_fifo_commit_all(&t.drv);
    vgt_drv_update(&t.drv, 0, 0, 320, 240);
    assert_false(cursor_shown(&t));
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CURSOR_ID, 0);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CURSOR_X, 100);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CURSOR_Y, 50);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CURSOR_ON, VGT_SVGA_CURSOR_ON_SHOW);
    assert_true(cursor_shown(&t));
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CURSOR_ON, VGT_SVGA_CURSOR_ON_REMOVE_FROM_FB);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_CURSOR_ON),
                     VGT_SVGA_CURSOR_ON_REMOVE_FROM_FB);
    assert_true(cursor_shown(&t));
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CURSOR_ON, VGT_SVGA_CURSOR_ON_RESTORE_TO_FB);
    assert_true(cursor_shown(&t));
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CURSOR_ON, VGT_SVGA_CURSOR_ON_HIDE);
    assert_false(cursor_shown(&t));
    /* a value svga_reg.h does not list: stored, the cursor hidden */
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CURSOR_ON, 7);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_CURSOR_ON), 7);
    assert_false(cursor_shown(&t));
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* The kit's smallest FIFO: MIN 16 (the 4 basic registers), MAX 16 + 10 KiB
 * ("The distance from MIN to MAX must be at least 10K"). */
static void test_smallest_fifo(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 16, NULL);
    tvm_driver(&t);
    tvm_restart_fifo(&t, 16, 16 + 10240, 16);
    vgt_device_stats s = tvm_stats(&t);
    assert_true(s.fifo_running);
    assert_int_equal(s.errors, 0);
    const uint32_t fence[] = {VGT_SVGA_CMD_FENCE, 4242};
    raw_push(&t, fence, 2);
    raw_drain(&t);
    assert_int_equal(t.log->fences[t.log->nfences - 1], 4242);
    /* one word less is refused */
    tvm_restart_fifo(&t, 16, 16 + 10236, 16);
    s = tvm_stats(&t);
    assert_false(s.fifo_running);
    assert_int_equal(s.errors_by_kind[VGT_DEVERR_FIFO_REGS], 1);
    assert_true(strstr(s.last_error, "smaller than 10 KiB") != NULL);
    tvm_destroy(&t);
}

static void fill_register_block(tvm *t, uint32_t value)
{
    for (uint32_t r = VGT_SVGA_FIFO_CAPABILITIES; r < VGT_SVGA_FIFO_3D_CAPS; r++) {
        vgt_drv_fifo_set(&t->drv, r, value);
    }
}

/* svga_reg.h: the extended registers exist only when FIFO_MIN leaves room
 * for all of them (up to the 3D caps block); the ones after it (block 3b:
 * GUEST_3D_HWVERSION, FENCE_GOAL, BUSY) "exist if and only if the guest
 * SVGA driver sets SVGA_FIFO_MIN high enough".  Below its register, a word
 * is ring space: the device neither writes it nor takes it for a register. */
static void test_fifo_register_reach(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    const uint32_t max = 64u << 10;
    /* one register short of the mandatory block: no extended FIFO, the
     * device leaves the guest's words alone; FENCE (MIN > 24) still works */
    uint32_t min = 4u * (VGT_SVGA_FIFO_3D_CAPS_LAST + 1u) - 4u;
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CONFIG_DONE, 0);
    fill_register_block(&t, 0xDEADBEEFu);
    tvm_restart_fifo(&t, min, max, min);
    assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_CAPABILITIES), 0xDEADBEEFu);
    assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_3D_HWVERSION), 0xDEADBEEFu);
    assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_CURSOR_SCREEN_ID), 0xDEADBEEFu);
    const uint32_t fence[] = {VGT_SVGA_CMD_FENCE, 77};
    raw_push(&t, fence, 2);
    raw_drain(&t);
    assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_FENCE), 77);
    /* the whole mandatory block: the device fills it */
    min = 4u * (VGT_SVGA_FIFO_3D_CAPS_LAST + 1u);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CONFIG_DONE, 0);
    fill_register_block(&t, 0xDEADBEEFu);
    tvm_restart_fifo(&t, min, max, min);
    assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_CAPABILITIES), all_fifo_caps);
    assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_FLAGS), 0);
    assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_3D_HWVERSION), 0); /* no 3D */
    assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_CURSOR_COUNT), 0);
    assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_CURSOR_SCREEN_ID), VGT_SVGA_ID_INVALID);
    /* MIN ends before FENCE_GOAL: the ring's first word is no goal.  A
     * FENCE 30 there (30 is SVGA_CMD_FENCE, the word at FENCE_GOAL's
     * index) raises no FENCE_GOAL interrupt. */
    uint16_t port = (uint16_t)(t.drv.io_base + VGT_SVGA_PORT_IRQSTATUS);
    vgt_guest_irq_enable(t.g, false);
    min = 4u * VGT_SVGA_FIFO_FENCE_GOAL;
    tvm_restart_fifo(&t, min, max, min);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_IRQMASK, VGT_SVGA_IRQ_FENCE_GOAL);
    const uint32_t fence30[] = {VGT_SVGA_CMD_FENCE, VGT_SVGA_CMD_FENCE};
    raw_push(&t, fence30, 2);
    raw_drain(&t);
    assert_int_equal(t.log->fences[t.log->nfences - 1], VGT_SVGA_CMD_FENCE);
    assert_int_equal(vgt_guest_in32(t.g, port), 0);
    /* MIN past FENCE_GOAL, before BUSY: the goal counts; the ring's first
     * word (BUSY's index) keeps the guest's command */
    min = 4u * VGT_SVGA_FIFO_BUSY;
    tvm_restart_fifo(&t, min, max, min);
    vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_FENCE_GOAL, 9);
    const uint32_t fence9[] = {VGT_SVGA_CMD_FENCE, 9};
    raw_push(&t, fence9, 2);
    raw_drain(&t);
    assert_int_equal(vgt_guest_in32(t.g, port), VGT_SVGA_IRQ_FENCE_GOAL);
    vgt_guest_out32(t.g, port, 0xFF);
    assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_BUSY), VGT_SVGA_CMD_FENCE);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_IRQMASK, 0);
    vgt_guest_irq_enable(t.g, true);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* svga_reg.h, SVGA_CMD_DEFINE_SCREEN: "when the GFB mode registers (WIDTH,
 * HEIGHT, PITCHLOCK, BITS_PER_PIXEL) are modified, the SVGA device deletes
 * all screens other than screen #0, and redefines screen #0 according to
 * the specified mode". */
static void test_mode_write_deletes_other_screens(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    const uint32_t regs[] = {VGT_SVGA_REG_WIDTH, VGT_SVGA_REG_HEIGHT, VGT_SVGA_REG_PITCHLOCK,
                             VGT_SVGA_REG_BITS_PER_PIXEL};
    const uint32_t values[] = {320, 240, 0, 32}; /* the mode as it is */
    for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
        vgt_svga_screen_object o = {.struct_size = VGT_SVGA_SCREEN_OBJECT_V1_BYTES,
                                    .id = 1,
                                    .flags = VGT_SVGA_SCREEN_MUST_BE_SET,
                                    .width = 100,
                                    .height = 50,
                                    .root_x = 320,
                                    .root_y = 0};
        vgt_drv_define_screen(&t.drv, &o);
        tvm_sync(&t);
        vgt_image img = tvm_shot(&t);
        assert_int_equal(img.width, 420); /* screens 0 and 1 side by side */
        assert_int_equal(img.height, 240);
        vgt_image_free(&img);
        vgt_drv_write_reg(&t.drv, regs[i], values[i]);
        img = tvm_shot(&t);
        assert_int_equal(img.width, 320); /* screen 0 alone */
        assert_int_equal(img.height, 240);
        vgt_image_free(&img);
    }
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on_registers),
        cmocka_unit_test(test_id_negotiation),
        cmocka_unit_test(test_register_read_back),
        cmocka_unit_test(test_gmr_max_ids_bound),
        cmocka_unit_test(test_cursor_on_values),
        cmocka_unit_test(test_smallest_fifo),
        cmocka_unit_test(test_fifo_register_reach),
        cmocka_unit_test(test_mode_write_deletes_other_screens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
