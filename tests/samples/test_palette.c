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

#define FRAMES SAMPLES_FRAMES
#define W      160u
#define H      120u
static const uint32_t golden_frames[] = {0, 11};

/* Runs palette at WxH; returns its exit code (the device's stats in *st). */
static int run_once(samples_shots *s, bool identity, uint32_t hide_caps, vgt_device_stats *st)
{
    vgt_sample_args a = {.frames = FRAMES, .width = W, .height = H, .quiet = true};
    return samples_run(s, "palette", &a, identity, hide_caps, st);
}

static void test_frames_match_golden(void **state)
{
    (void)state;
    samples_shots s;
    vgt_device_stats st;
    assert_int_equal(run_once(&s, false, 0, &st), 0);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.frames, FRAMES);
    assert_int_equal(s.count, FRAMES);
    samples_check_golden_frames(&s, "palette", golden_frames,
                                sizeof(golden_frames) / sizeof(golden_frames[0]));
    samples_free_shots(&s);
}

static void test_deterministic_and_identity_equal(void **state)
{
    (void)state;
    vgt_sample_args a = {.frames = FRAMES, .width = W, .height = H, .quiet = true};
    /* consecutive frames differ (the palette cycles, the block moves) */
    samples_check_identity_equal("palette", &a, 3, 4);
}

static void test_without_8bit(void **state)
{
    (void)state;
    samples_shots s;
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
