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

#define FRAMES SAMPLES_FRAMES
static const uint32_t golden_frames[] = {0, 11};

/* Runs 2d-demo at 320x240: exit 0, no device error, every frame kept. */
static void run_once(samples_shots *s, bool identity)
{
    vgt_sample_args a = {.frames = FRAMES, .width = 320, .height = 240, .quiet = true};
    vgt_device_stats st;
    assert_int_equal(samples_run(s, "2d-demo", &a, identity, 0, &st), 0);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.frames, FRAMES);
    assert_int_equal(s->count, FRAMES);
}

static void test_frames_match_golden(void **state)
{
    (void)state;
    samples_shots s;
    run_once(&s, false);
    samples_check_golden_frames(&s, "2d-demo", golden_frames,
                                sizeof(golden_frames) / sizeof(golden_frames[0]));
    samples_free_shots(&s);
}

static void test_deterministic_and_identity_equal(void **state)
{
    (void)state;
    samples_shots a, b;
    run_once(&a, false);
    run_once(&b, true);
    for (uint32_t f = 0; f < FRAMES; f++) {
        assert_int_equal(a.img[f].width, 320);
        assert_int_equal(a.img[f].height, 240);
        assert_memory_equal(a.img[f].pixels, b.img[f].pixels, (size_t)a.img[f].stride * 240u);
    }
    /* Consecutive frames differ (things move). */
    assert_memory_not_equal(a.img[3].pixels, a.img[4].pixels, (size_t)a.img[3].stride * 240u);
    samples_free_shots(&a);
    samples_free_shots(&b);
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
