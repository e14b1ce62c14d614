/* The fbtrace sample (a FIFO-less framebuffer guest shown by framebuffer
 * traces) end to end: one refresh UPDATE and one frame per guest frame, no
 * FIFO bytes, frames equal to the golden images in tests/data/golden/
 * (regenerate them with VGT_UPDATE_GOLDEN=1 after an intended change, and
 * look at them), deterministic, identity-mapped or not, and the same with
 * SVGA_CAP_TRACES hidden (the capability is about traces while the FIFO
 * runs; a FIFO-less display is traced regardless). */
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

static int run_once(samples_shots *s, bool identity, uint32_t hide_caps, vgt_device_stats *st)
{
    vgt_sample_args a = {.frames = FRAMES, .width = W, .height = H, .quiet = true};
    return samples_run(s, "fbtrace", &a, identity, hide_caps, st);
}

static void test_frames_match_golden(void **state)
{
    (void)state;
    samples_shots s;
    vgt_device_stats st;
    assert_int_equal(run_once(&s, false, 0, &st), 0);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.frames, FRAMES);
    /* the whole screen at frame 0, then the block's rectangle and the
     * bar's, one when the block comes within 8 rows of the bar (frame 11) */
    assert_int_equal(st.commands, 2u * FRAMES - 2u);
    assert_int_equal(st.trace_updates, FRAMES);
    assert_int_equal(st.refreshes, FRAMES);
    assert_int_equal(st.fifo_bytes, 0);
    assert_false(st.fifo_running);
    assert_int_equal(s.count, FRAMES);
    samples_check_golden_frames(&s, "fbtrace", golden_frames,
                                sizeof(golden_frames) / sizeof(golden_frames[0]));
    samples_free_shots(&s);
}

static void test_deterministic(void **state)
{
    (void)state;
    samples_shots a, b, c;
    vgt_device_stats st;
    assert_int_equal(run_once(&a, false, 0, &st), 0);
    assert_int_equal(run_once(&b, true, 0, &st), 0);
    assert_int_equal(run_once(&c, false, VGT_SVGA_CAP_TRACES, &st), 0);
    assert_int_equal(st.frames, FRAMES);
    for (uint32_t f = 0; f < FRAMES; f++) {
        assert_int_equal(a.img[f].width, W);
        assert_int_equal(a.img[f].height, H);
        assert_memory_equal(a.img[f].pixels, b.img[f].pixels, (size_t)a.img[f].stride * H);
        assert_memory_equal(a.img[f].pixels, c.img[f].pixels, (size_t)a.img[f].stride * H);
    }
    /* consecutive frames differ (the block moves, the bar grows) */
    assert_memory_not_equal(a.img[3].pixels, a.img[4].pixels, (size_t)a.img[3].stride * H);
    samples_free_shots(&a);
    samples_free_shots(&b);
    samples_free_shots(&c);
}

int main(void)
{
    assert_ptr_equal(vgt_sample_find("fbtrace")->entry, vgt_sample_fbtrace);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_match_golden),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
