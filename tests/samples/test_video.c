/* The video sample (overlay units) end to end: its frames equal the golden
 * images in tests/data/golden/ (regenerate them with VGT_UPDATE_GOLDEN=1
 * after an intended change, and look at them): frame 0 and frame 11 at
 * 320x240, unit 0 (YUY2 160x120 scaled 1.5x, bilinear with interpolated
 * chroma) along the top and unit 1 (a YV12 sub-rectangle, colour-keyed) in
 * the magenta box; deterministic, identity-mapped or not. */
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

#define W 320u
#define H 240u

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
    assert_int_equal(samples_run(&s, "video", &args, false, 0, &st), 0);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.frames, SAMPLES_FRAMES);
    assert_int_equal(s.count, SAMPLES_FRAMES);
    /* unit 1 covers its key box (198..303 x 144..223), no magenta left;
     * the keyed unit's box border outside the key shows the background */
    for (uint32_t f = 0; f < SAMPLES_FRAMES; f++) {
        assert_true(px(&s.img[f], 251, 215) != 0xFFFF00FFu);
        assert_true(px(&s.img[f], 198, 144) != 0xFFFF00FFu);
        assert_true(px(&s.img[f], 303, 223) != 0xFFFF00FFu);
    }
    static const uint32_t golden[] = {0, 11};
    samples_check_golden_frames(&s, "video", golden, sizeof(golden) / sizeof(golden[0]));
    samples_free_shots(&s);
}

static void test_deterministic_and_identity_equal(void **state)
{
    (void)state;
    /* consecutive frames differ (the patterns and unit 0 move) */
    samples_check_identity_equal("video", &args, 3, 4);
}

int main(void)
{
    assert_ptr_equal(vgt_sample_find("video")->entry, vgt_sample_video);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_match_golden),
        cmocka_unit_test(test_deterministic_and_identity_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
