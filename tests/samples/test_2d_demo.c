/* 2d-demo end to end: the frames the device ends are deterministic and equal
 * the golden images in tests/data/golden/ (regenerate them with
 * VGT_UPDATE_GOLDEN=1 after an intended change, and look at them). */
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
static const uint32_t golden_frames[] = {0, 11};

typedef struct shots {
    vgt_image img[FRAMES];
    uint32_t count;
} shots;

static void keep_frame(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    (void)seq;
    shots *s = ctx;
    if (frame >= FRAMES || !display) {
        return;
    }
    vgt_error err = {0};
    if (vgt_image_copy(&s->img[frame], display, &err) != VGT_OK) {
        return;
    }
    s->count++;
}

static int run_demo(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_sample_args a = {.frames = FRAMES, .width = 320, .height = 240, .quiet = true};
    return vgt_sample_2d_demo(g, &a);
}

static void run_once(shots *s, bool identity)
{
    memset(s, 0, sizeof(*s));
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    cfg.identity_map = identity;
    cfg.device.vram_size = 4u << 20;
    cfg.device.taps.ctx = s;
    cfg.device.taps.frame_end = keep_frame;
    vgt_vm *vm = NULL;
    vgt_error err = {0};
    if (vgt_vm_create(&cfg, &vm, &err) != VGT_OK) {
        fail_msg("vm: %s", err.message);
    }
    int code = -1;
    assert_int_equal(vgt_vm_run(vm, run_demo, NULL, &code, &err), VGT_OK);
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

static void test_frames_match_golden(void **state)
{
    (void)state;
    shots s;
    run_once(&s, false);
    for (size_t i = 0; i < sizeof(golden_frames) / sizeof(golden_frames[0]); i++) {
        uint32_t f = golden_frames[i];
        char file[64];
        snprintf(file, sizeof(file), "2d-demo-320x240-frame-%03u.png", f);
        samples_check_golden(&s.img[f], file);
    }
    free_shots(&s);
}

static void test_deterministic_and_identity_equal(void **state)
{
    (void)state;
    shots a, b;
    run_once(&a, false);
    run_once(&b, true);
    for (uint32_t f = 0; f < FRAMES; f++) {
        assert_int_equal(a.img[f].width, 320);
        assert_int_equal(a.img[f].height, 240);
        assert_memory_equal(a.img[f].pixels, b.img[f].pixels, (size_t)a.img[f].stride * 240u);
    }
    /* Consecutive frames differ (things move). */
    assert_memory_not_equal(a.img[3].pixels, a.img[4].pixels, (size_t)a.img[3].stride * 240u);
    free_shots(&a);
    free_shots(&b);
}

static void test_registry(void **state)
{
    (void)state;
    size_t n = 0;
    const vgt_sample_info *all = vgt_samples(&n);
    assert_true(n >= 1);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(all[i].entry);
        assert_true(strlen(all[i].summary) > 0);
        for (size_t j = i + 1; j < n; j++) {
            assert_string_not_equal(all[i].name, all[j].name);
        }
    }
    const vgt_sample_info *d = vgt_sample_find("2d-demo");
    assert_non_null(d);
    assert_ptr_equal(d->entry, vgt_sample_2d_demo);
    assert_null(vgt_sample_find("no-such-sample"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_frames_match_golden),
        cmocka_unit_test(test_deterministic_and_identity_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
