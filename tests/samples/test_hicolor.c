/* The hicolor sample (legacy modes of 16, 15, 24 and 32 bits in turn) end
 * to end: its frames are deterministic and equal the golden images in
 * tests/data/golden/ (regenerate them with VGT_UPDATE_GOLDEN=1 after an
 * intended change, and look at them); the same picture in each mode
 * differs only by the rounding of its channels. */
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
/* one frame in each of the 16-, 15- and 24-bit phases (4 frames each) */
static const uint32_t golden_frames[] = {1, 5, 9};

static int run_once(samples_shots *s, bool identity, vgt_device_stats *st)
{
    vgt_sample_args a = {.frames = FRAMES, .width = W, .height = H, .quiet = true};
    return samples_run(s, "hicolor", &a, identity, 0, st);
}

static uint32_t px(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + (size_t)x * 4u) & 0xFFFFFFu;
}

static void test_frames_match_golden(void **state)
{
    (void)state;
    samples_shots s;
    vgt_device_stats st;
    assert_int_equal(run_once(&s, false, &st), 0);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.frames, FRAMES);
    assert_int_equal(s.count, FRAMES);
    samples_check_golden_frames(&s, "hicolor", golden_frames,
                                sizeof(golden_frames) / sizeof(golden_frames[0]));
    samples_free_shots(&s);
}

static void test_deterministic_and_modes(void **state)
{
    (void)state;
    samples_shots a, b;
    vgt_device_stats st;
    assert_int_equal(run_once(&a, false, &st), 0);
    assert_int_equal(run_once(&b, true, &st), 0);
    for (uint32_t f = 0; f < FRAMES; f++) {
        assert_int_equal(a.img[f].width, W);
        assert_int_equal(a.img[f].height, H);
        assert_memory_equal(a.img[f].pixels, b.img[f].pixels, (size_t)a.img[f].stride * H);
    }
    /* Frames 0, 4 and 8 are the same picture in 16, 15 and 24 bits: the
     * ramps' full colours are exact in each (all channel bits set), the
     * steps between them those of 5, 6 and 8 bits.  The red ramp's row
     * (below the 16-row band) at its right end, and one step in. */
    const uint32_t y = 16u + 2u;
    for (uint32_t f = 0; f <= 8; f += 4) {
        assert_int_equal(px(&a.img[f], W - 1u, y), 0xFF0000);
        assert_int_equal(px(&a.img[f], 0, y), 0x000000);
    }
    /* x = 80: 80 * 255 / 159 = 128 -> 5 bits 16 -> 0x84; 8 bits 0x80 */
    assert_int_equal(px(&a.img[0], 80, y), 0x840000);
    assert_int_equal(px(&a.img[4], 80, y), 0x840000);
    assert_int_equal(px(&a.img[8], 80, y), 0x800000);
    /* the green ramp: 6 bits at 16, 5 at 15 (128 -> 32 -> 0x82; 16 -> 0x84) */
    const uint32_t yg = 16u + 24u;
    assert_int_equal(px(&a.img[0], 80, yg), 0x008200);
    assert_int_equal(px(&a.img[4], 80, yg), 0x008400);
    assert_int_equal(px(&a.img[8], 80, yg), 0x008000);
    /* the band scrolls by RECT_COPY: 4 pixels left a frame inside a phase */
    for (uint32_t f = 8; f < 11; f++) {
        for (uint32_t x = 0; x < W - 8u; x++) {
            assert_int_equal(px(&a.img[f + 1u], x, 5), px(&a.img[f], x + 4u, 5));
        }
    }
    assert_int_not_equal(px(&a.img[9], 0, 5), px(&a.img[9], 8, 5)); /* stripes 8 wide */
    /* the block moves */
    assert_memory_not_equal(a.img[1].pixels, a.img[2].pixels, (size_t)a.img[1].stride * H);
    samples_free_shots(&a);
    samples_free_shots(&b);
}

int main(void)
{
    assert_ptr_equal(vgt_sample_find("hicolor")->entry, vgt_sample_hicolor);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_match_golden),
        cmocka_unit_test(test_deterministic_and_modes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
