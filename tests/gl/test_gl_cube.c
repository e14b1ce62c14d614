/* The cube sample end to end on the gl backend (guest driver -> FIFO ->
 * device -> executor -> OpenGL -> PRESENT -> display), the executor calling
 * the backend from the device's thread: frames 0 and 15 match the soft
 * backend's committed golden images (tests/data/golden/cube-soft-160x120-
 * frame-NNN.png) within the gl tolerance of docs/gl.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gl_test_util.h"
#include "vgt_gl.h"
#include "vgt_samples.h"
#define FRAMES 16u
#define WIDTH  160u
#define HEIGHT 120u
static const uint32_t golden_frames[] = {0, 15};

typedef struct shots {
    vgt_image img[FRAMES];
    uint32_t count;
} shots;

static void keep_frame(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    (void)seq;
    shots *s = ctx;
    if (frame == 0) {
        pin_mesa_driver(); /* what the device thread's context loaded */
    }
    if (frame >= FRAMES || !display) {
        return;
    }
    vgt_error err = {0};
    if (vgt_image_copy(&s->img[frame], display, &err) != VGT_OK) {
        return;
    }
    s->count++;
}

static int run_cube(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_sample_args a = {.frames = FRAMES, .width = WIDTH, .height = HEIGHT, .quiet = true};
    return vgt_sample_cube(g, &a);
}

static void run_once(shots *s)
{
    memset(s, 0, sizeof(*s));
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    cfg.device.vram_size = 4u << 20;
    cfg.device.enable_3d = true;
    cfg.device.backend_3d = VGT_BACKEND_GL;
    cfg.device.taps.ctx = s;
    cfg.device.taps.frame_end = keep_frame;
    vgt_vm *vm = NULL;
    vgt_error err = {0};
    if (vgt_vm_create(&cfg, &vm, &err) != VGT_OK) {
        fail_msg("vm: %s", err.message);
    }
    int code = -1;
    assert_int_equal(vgt_vm_run(vm, run_cube, NULL, &code, &err), VGT_OK);
    assert_int_equal(code, 0);
    vgt_device_stats st;
    vgt_device_get_stats(vgt_vm_device(vm), &st);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.frames, FRAMES);
    vgt_vm_destroy(vm);
    assert_int_equal(s->count, FRAMES);
}

static void free_shots(shots *s)
{
    for (uint32_t i = 0; i < FRAMES; i++) {
        vgt_image_free(&s->img[i]);
    }
}

static uint32_t px(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + (size_t)x * 4u) & 0xFFFFFFu;
}

static void test_frames_match_soft_golden(void **state)
{
    (void)state;
    gl_device_test_start();
    shots s;
    run_once(&s);
    for (size_t i = 0; i < sizeof(golden_frames) / sizeof(golden_frames[0]); i++) {
        uint32_t f = golden_frames[i];
        char path[1024];
        snprintf(path, sizeof(path), "%s/golden/cube-soft-%ux%u-frame-%03u.png", VGT_TEST_DATA_DIR,
                 WIDTH, HEIGHT, f);
        vgt_error err = {0};
        vgt_image golden;
        if (vgt_image_read_png(&golden, path, &err) != VGT_OK) {
            fail_msg("%s", err.message);
        }
        vgt_image_diff diff;
        assert_int_equal(vgt_image_compare(&s.img[f], &golden, 2, false, &diff, &err), VGT_OK);
        print_message("cube frame %u: gl vs soft golden: max channel delta %u, %llu of %llu "
                      "pixels over 2\n",
                      f, diff.max_channel_delta, (unsigned long long)diff.pixels_over,
                      (unsigned long long)diff.pixels_total);
        if (diff.pixels_over * 1000u > diff.pixels_total) {
            fail_msg("frame %u differs from %s in %llu pixels (max delta %u)", f, path,
                     (unsigned long long)diff.pixels_over, diff.max_channel_delta);
        }
        vgt_image_free(&golden);
    }
    const vgt_image *last = &s.img[FRAMES - 1];
    uint32_t bg = px(last, 0, 0);
    assert_int_not_equal(px(last, WIDTH / 2, HEIGHT / 2), bg);
    free_shots(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_match_soft_golden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
