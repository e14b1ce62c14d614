/* The screens sample (Screen Object backing stores) end to end: its frames
 * equal the golden images in tests/data/golden/ (regenerate them with
 * VGT_UPDATE_GOLDEN=1 after an intended change, and look at them): frame 0
 * (both screens shown from their stores, the band at the top), 9 (the
 * right screen blanked, the read-back thumbnail on the left) and 11 (the
 * right screen shown again, with what was written while it was blanked);
 * the guest's own read-back check passes (exit 0, not 3); deterministic,
 * identity-mapped or not; with either SCREEN_OBJECT_2 bit hidden it stops
 * cleanly before drawing. */
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

#define W 160u
#define H 120u

static const vgt_sample_args args = {
    .frames = SAMPLES_FRAMES, .width = W, .height = H, .quiet = true};

static uint32_t px(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + (size_t)x * 4u);
}

static void test_frames_match_golden(void **state)
{
    (void)state;
    samples_shots s;
    vgt_device_stats st;
    assert_int_equal(samples_run(&s, "screens", &args, false, 0, &st), 0);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.frames, SAMPLES_FRAMES);
    assert_int_equal(s.count, SAMPLES_FRAMES);
    /* the right screen (x >= 80) black exactly while blanked, frames 8..10 */
    for (uint32_t f = 0; f < SAMPLES_FRAMES; f++) {
        bool blank = f >= 8 && f <= 10;
        assert_int_equal(px(&s.img[f], 120, 100) == 0xFF000000u, blank);
        assert_true(px(&s.img[f], 40, 40) != 0xFF000000u);
    }
    static const uint32_t golden[] = {0, 9, 11};
    samples_check_golden_frames(&s, "screens", golden, sizeof(golden) / sizeof(golden[0]));
    samples_free_shots(&s);
}

static void test_deterministic_and_identity_equal(void **state)
{
    (void)state;
    /* consecutive frames differ (the sprite and the band move) */
    samples_check_identity_equal("screens", &args, 3, 4);
}

static void test_without_so2(void **state)
{
    (void)state;
    samples_shots s;
    vgt_device_stats st;
    assert_int_equal(samples_run(&s, "screens", &args, false, VGT_SVGA_CAP_SCREEN_OBJECT_2, &st),
                     2);
    assert_int_equal(st.frames, 0);
    assert_int_equal(s.count, 0);
    assert_int_equal(st.errors, 0);
}

int main(void)
{
    assert_ptr_equal(vgt_sample_find("screens")->entry, vgt_sample_screens);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_match_golden),
        cmocka_unit_test(test_deterministic_and_identity_equal),
        cmocka_unit_test(test_without_so2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
