/* The palette sample (8-bit pseudocolor) end to end: its frames are
 * deterministic and equal the golden images in tests/data/golden/
 * (regenerate them with VGT_UPDATE_GOLDEN=1 after an intended change, and
 * look at them); with SVGA_CAP_8BIT_EMULATION hidden it stops cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "samples_test_util.h"
#include "vgt_samples.h"

#define FRAMES 12u
#define W      160u
#define H      120u
static const uint32_t golden_frames[] = {0, 11};

typedef struct shots {
    vgt_image img[FRAMES];
    uint32_t count;
} shots;

static void keep_frame(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    (void)seq;
    shots *s = ctx;
    vgt_error err = {0};
    if (frame < FRAMES && display && vgt_image_copy(&s->img[frame], display, &err) == VGT_OK) {
        s->count++;
    }
}

static int run_sample(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_sample_args a = {.frames = FRAMES, .width = W, .height = H, .quiet = true};
    return vgt_sample_palette(g, &a);
}

/* Runs the sample; returns its exit code (the device's stats in *st). */
static int run_once(shots *s, bool identity, uint32_t hide_caps, vgt_device_stats *st)
{
    memset(s, 0, sizeof(*s));
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    cfg.identity_map = identity;
    cfg.device.vram_size = 4u << 20;
    cfg.device.hide_caps = hide_caps;
    cfg.device.taps.ctx = s;
    cfg.device.taps.frame_end = keep_frame;
    vgt_vm *vm = NULL;
    vgt_error err = {0};
    if (vgt_vm_create(&cfg, &vm, &err) != VGT_OK) {
        fail_msg("vm: %s", err.message);
    }
    int code = -1;
    assert_int_equal(vgt_vm_run(vm, run_sample, NULL, &code, &err), VGT_OK);
    vgt_device_get_stats(vgt_vm_device(vm), st);
    vgt_vm_destroy(vm);
    return code;
}

static void free_shots(shots *s)
{
    for (uint32_t i = 0; i < FRAMES; i++) {
        vgt_image_free(&s->img[i]);
    }
}

static void test_frames_match_golden(void **state)
{
    (void)state;
    shots s;
    vgt_device_stats st;
    assert_int_equal(run_once(&s, false, 0, &st), 0);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.frames, FRAMES);
    assert_int_equal(s.count, FRAMES);
    for (size_t i = 0; i < sizeof(golden_frames) / sizeof(golden_frames[0]); i++) {
        uint32_t f = golden_frames[i];
        char file[64];
        snprintf(file, sizeof(file), "palette-%ux%u-frame-%03u.png", W, H, f);
        samples_check_golden(&s.img[f], file);
    }
    free_shots(&s);
}

static void test_deterministic_and_identity_equal(void **state)
{
    (void)state;
    shots a, b;
    vgt_device_stats st;
    assert_int_equal(run_once(&a, false, 0, &st), 0);
    assert_int_equal(run_once(&b, true, 0, &st), 0);
    for (uint32_t f = 0; f < FRAMES; f++) {
        assert_int_equal(a.img[f].width, W);
        assert_int_equal(a.img[f].height, H);
        assert_memory_equal(a.img[f].pixels, b.img[f].pixels, (size_t)a.img[f].stride * H);
    }
    /* Consecutive frames differ (the palette cycles, the block moves). */
    assert_memory_not_equal(a.img[3].pixels, a.img[4].pixels, (size_t)a.img[3].stride * H);
    free_shots(&a);
    free_shots(&b);
}

static void test_without_8bit(void **state)
{
    (void)state;
    shots s;
    vgt_device_stats st;
    assert_int_equal(run_once(&s, false, VGT_SVGA_CAP_8BIT_EMULATION, &st), 2);
    assert_int_equal(st.frames, 0);
    assert_int_equal(s.count, 0);
}

int main(void)
{
    assert_ptr_equal(vgt_sample_find("palette")->entry, vgt_sample_palette);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_match_golden),
        cmocka_unit_test(test_deterministic_and_identity_equal),
        cmocka_unit_test(test_without_8bit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
