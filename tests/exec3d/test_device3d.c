/* test_device3d.c - 3D through the device: the caps block and 3D hardware
 * version in FIFO memory (and SVGA_CAP_3D) exactly when 3D is enabled, and
 * the `cube` sample on the null backend: N frames, N clears, N draws,
 * N presents, no device error, and the same command bytes every run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vgt_samples.h"

static vgt_vm *make_vm(bool enable_3d, const vgt_device_taps *taps)
{
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 32u << 20;
    cfg.device.vram_size = 4u << 20;
    cfg.device.enable_3d = enable_3d;
    cfg.device.backend_3d = VGT_BACKEND_NULL;
    if (taps) {
        cfg.device.taps = *taps;
    }
    vgt_vm *vm = NULL;
    vgt_error err = {0};
    if (vgt_vm_create(&cfg, &vm, &err) != VGT_OK) {
        fail_msg("vm: %s", err.message);
    }
    return vm;
}

static uint32_t reg_read(vgt_device *dev, uint32_t reg)
{
    vgt_device_io_write(dev, VGT_SVGA_PORT_INDEX, 4, reg);
    return vgt_device_io_read(dev, VGT_SVGA_PORT_VALUE, 4);
}

/* What a guest driver sees: 3D init and two caps through the FIFO. */
static int guest_caps(vgt_guest *g, void *arg)
{
    uint32_t *out = arg;
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    vgt_error err = {0};
    if (vgt_drv_init(&drv, g, &err) != VGT_OK ||
        vgt_drv_set_mode(&drv, 64, 64, 32, &err) != VGT_OK) {
        return 10;
    }
    out[0] = vgt_drv3d_init(&drv, &err) == VGT_OK;
    out[1] = vgt_drv3d_hw_version(&drv);
    out[2] = vgt_drv3d_devcap(&drv, VGT_SVGA3D_DEVCAP_3D, &out[3]);
    out[4] = vgt_drv3d_devcap(&drv, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_WIDTH, &out[5]);
    vgt_drv_fini(&drv);
    return 0;
}

static void test_caps_in_fifo(void **state)
{
    (void)state;
    for (int on = 0; on <= 1; on++) {
        vgt_vm *vm = make_vm(on, NULL);
        vgt_device *dev = vgt_vm_device(vm);
        uint32_t size = 0;
        const uint32_t *fifo = vgt_device_fifo(dev, &size);
        uint32_t caps = reg_read(dev, VGT_SVGA_REG_CAPABILITIES);
        if (on) {
            assert_true(caps & VGT_SVGA_CAP_3D);
            assert_int_equal(fifo[VGT_SVGA_FIFO_3D_HWVERSION], VGT_SVGA3D_HWVERSION_CURRENT);
            assert_int_equal(fifo[VGT_SVGA_FIFO_3D_HWVERSION_REVISED],
                             VGT_SVGA3D_HWVERSION_CURRENT);
            uint32_t len = fifo[VGT_SVGA_FIFO_3D_CAPS];
            assert_true(len > 2 && len < VGT_SVGA3D_CAPS_BLOCK_WORDS);
            assert_int_equal(fifo[VGT_SVGA_FIFO_3D_CAPS + 1], VGT_SVGA3D_CAPS_RECORD_DEVCAPS);
            assert_int_equal(fifo[VGT_SVGA_FIFO_3D_CAPS + len], 0); /* end of the list */
            assert_int_equal(fifo[VGT_SVGA_FIFO_3D_CAPS + 2], VGT_SVGA3D_DEVCAP_3D);
            assert_int_equal(fifo[VGT_SVGA_FIFO_3D_CAPS + 3], 1);
        } else {
            assert_false(caps & VGT_SVGA_CAP_3D);
            assert_int_equal(fifo[VGT_SVGA_FIFO_3D_HWVERSION], 0);
            for (uint32_t i = 0; i < VGT_SVGA3D_CAPS_BLOCK_WORDS; i++) {
                assert_int_equal(fifo[VGT_SVGA_FIFO_3D_CAPS + i], 0);
            }
        }
        uint32_t seen[6] = {0};
        int code = -1;
        vgt_error err = {0};
        assert_int_equal(vgt_vm_run(vm, guest_caps, seen, &code, &err), VGT_OK);
        assert_int_equal(code, 0);
        assert_int_equal(seen[0], (uint32_t)on);
        assert_int_equal(seen[2], (uint32_t)on);
        if (on) {
            assert_int_equal(seen[1], VGT_SVGA3D_HWVERSION_CURRENT);
            assert_int_equal(seen[3], 1);
            assert_int_equal(seen[4], 1);
            assert_int_equal(seen[5], 8192);
        }
        vgt_vm_destroy(vm);
    }
}

#define MAX_SEQ 4096u

typedef struct cmd_count {
    uint32_t id[MAX_SEQ];
    uint64_t ok_by_id[VGT_SVGA3D_CMD_LEGACY_MAX - VGT_SVGA3D_CMD_BASE];
    uint64_t failed;
    uint64_t hash; /* FNV-1a of every fetched word */
    uint64_t frames;
} cmd_count;

static void on_fetched(void *ctx, uint64_t seq, uint32_t off, const uint32_t *w, uint32_t n,
                       uint64_t t)
{
    (void)off;
    (void)t;
    cmd_count *c = ctx;
    if (seq < MAX_SEQ) {
        c->id[seq] = w[0];
    }
    for (uint32_t i = 0; i < n; i++) {
        c->hash = (c->hash ^ w[i]) * 0x100000001B3ull;
    }
}

static void on_done(void *ctx, uint64_t seq, vgt_status st, const char *msg, uint64_t f, uint64_t a,
                    uint64_t b)
{
    (void)f;
    (void)a;
    (void)b;
    cmd_count *c = ctx;
    if (st != VGT_OK) {
        c->failed++;
        print_error("command %llu failed: %s\n", (unsigned long long)seq, msg ? msg : "");
        return;
    }
    uint32_t id = seq < MAX_SEQ ? c->id[seq] : 0;
    if (id >= VGT_SVGA3D_CMD_BASE && id < VGT_SVGA3D_CMD_LEGACY_MAX) {
        c->ok_by_id[id - VGT_SVGA3D_CMD_BASE]++;
    }
}

static void on_frame(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    (void)frame;
    (void)seq;
    (void)display;
    ((cmd_count *)ctx)->frames++;
}

#define CUBE_FRAMES 24u

static int run_cube(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_sample_args a = {.frames = CUBE_FRAMES, .width = 160, .height = 120, .quiet = true};
    return vgt_sample_cube(g, &a);
}

static void cube_once(cmd_count *c)
{
    memset(c, 0, sizeof(*c));
    c->hash = 0xCBF29CE484222325ull;
    vgt_device_taps taps = {
        .ctx = c, .cmd_fetched = on_fetched, .cmd_done = on_done, .frame_end = on_frame};
    vgt_vm *vm = make_vm(true, &taps);
    int code = -1;
    vgt_error err = {0};
    assert_int_equal(vgt_vm_run(vm, run_cube, NULL, &code, &err), VGT_OK);
    vgt_device_stats st;
    vgt_device_get_stats(vgt_vm_device(vm), &st);
    vgt_vm_destroy(vm);
    assert_int_equal(code, 0);
    if (st.errors) {
        fail_msg("device errors: %llu, last: %s", (unsigned long long)st.errors, st.last_error);
    }
    assert_int_equal(st.frames, CUBE_FRAMES);
    assert_int_equal(c->failed, 0);
}

#define OK(c, id) ((c)->ok_by_id[(id)-VGT_SVGA3D_CMD_BASE])

static void test_cube_on_null(void **state)
{
    (void)state;
    cmd_count a, b;
    cube_once(&a);
    assert_int_equal(a.frames, CUBE_FRAMES);
    assert_int_equal(OK(&a, VGT_SVGA3D_CMD_PRESENT), CUBE_FRAMES);
    assert_int_equal(OK(&a, VGT_SVGA3D_CMD_CLEAR), CUBE_FRAMES);
    assert_int_equal(OK(&a, VGT_SVGA3D_CMD_DRAW_PRIMITIVES), CUBE_FRAMES);
    assert_int_equal(OK(&a, VGT_SVGA3D_CMD_SETTRANSFORM), CUBE_FRAMES + 2u);
    assert_int_equal(OK(&a, VGT_SVGA3D_CMD_SURFACE_DEFINE), 4);
    assert_int_equal(OK(&a, VGT_SVGA3D_CMD_SURFACE_DMA), 2);
    assert_int_equal(OK(&a, VGT_SVGA3D_CMD_SURFACE_DESTROY), 4);
    assert_int_equal(OK(&a, VGT_SVGA3D_CMD_CONTEXT_DEFINE), 1);
    assert_int_equal(OK(&a, VGT_SVGA3D_CMD_CONTEXT_DESTROY), 1);
    /* Deterministic: the second run issues the same words. */
    cube_once(&b);
    assert_int_equal(a.hash, b.hash);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caps_in_fifo),
        cmocka_unit_test(test_cube_on_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
