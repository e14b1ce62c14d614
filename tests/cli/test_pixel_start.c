/* vgt pixel's frame start (vgt_pixel_history_run) on hand-made traces:
 * the start is read right before the frame's first command, so it is
 * known for every frame: a trace without a snapshot whose first command
 * runs (no FENCE first) starts with no surface, "(no image)"; its display
 * starts with what the register writes before the command set (a mode:
 * black); a frame after a frame without commands, or after a frame of
 * register writes only, starts with the value the frames before left. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trace_writer_util.h"
#include "vgt_format.h"
#include "vgt_replay.h"

#include <stdio.h>
#include <string.h>

static char tmpdir[1024];

/* Frame 0: a 64x48 mode set by register writes, then surface 1 (8x8
 * X8R8G8B8) defined by the trace's first command; frame 1 holds no
 * command; frame 2 defines surface 2; frame 3 holds only register writes
 * (a 32x24 mode); frame 4 defines surface 3. */
static void write_define_first(const char *path)
{
    tw t;
    tw_open_3d(&t, path);
    tw_reg(&t, VGT_SVGA_REG_WIDTH, 64);
    tw_reg(&t, VGT_SVGA_REG_HEIGHT, 48);
    tw_reg(&t, VGT_SVGA_REG_BITS_PER_PIXEL, 32);
    tw_reg(&t, VGT_SVGA_REG_ENABLE, 1);
    uint32_t sd[] = {
        VGT_SVGA3D_CMD_SURFACE_DEFINE, 0, 1, 0, VGT_SVGA3D_X8R8G8B8, 1, 0, 0, 0, 0, 0, 8, 8, 1};
    tw_cmd(&t, sd, 14);
    tw_end_frame(&t, 0, 1);
    tw_end_frame(&t, 1, 1);
    sd[2] = 2;
    tw_cmd(&t, sd, 14);
    tw_end_frame(&t, 2, 1);
    tw_reg(&t, VGT_SVGA_REG_WIDTH, 32);
    tw_reg(&t, VGT_SVGA_REG_HEIGHT, 24);
    tw_end_frame(&t, 3, 1);
    sd[2] = 3;
    tw_cmd(&t, sd, 14);
    tw_end_frame(&t, 4, 1);
    tw_close(&t);
}

/* The history of (x, y) in frame of the trace write_define_first makes
 * (once, in the group's directory): the display, or surface sid. */
static void run_history(uint64_t frame, uint32_t x, uint32_t y, bool display, uint32_t sid,
                        vgt_pixel_history *h)
{
    static char path[1200];
    if (!path[0]) {
        snprintf(path, sizeof(path), "%s/first.vgt", tmpdir);
        write_define_first(path);
    }
    vgt_pixel_history_options o = {.frame = frame,
                                   .x = x,
                                   .y = y,
                                   .display = display,
                                   .surface_given = !display,
                                   .sid = sid,
                                   .backend = VGT_REPLAY_BACKEND_SOFT};
    memset(h, 0, sizeof(*h));
    vgt_error err = {0};
    vgt_status st = vgt_pixel_history_run(path, &o, h, &err);
    if (st != VGT_OK) {
        fail_msg("frame %u: %s", (unsigned)frame, err.message);
    }
    assert_int_equal(h->commands, 1);
}

static void test_pixel_start_new_device(void **state)
{
    (void)state;
    vgt_pixel_history h;
    run_history(0, 1, 1, false, 1, &h);
    assert_int_equal(h.start.state, VGT_PIXEL_NO_IMAGE);
    assert_int_equal(h.count, 1);
    assert_int_equal(h.changes[0].before.state, VGT_PIXEL_NO_IMAGE);
    assert_int_equal(h.changes[0].after.state, VGT_PIXEL_VALUE);
    vgt_pixel_history_free(&h);
}

/* The display's first frame: the mode the register writes before the
 * first command set shows black (the host's image of a new mode), and the
 * SURFACE_DEFINE changes nothing there: no entry.  Before: "not known",
 * and the command listed as a change from it. */
static void test_pixel_start_display_mode(void **state)
{
    (void)state;
    vgt_pixel_history h;
    run_history(0, 40, 30, true, 0, &h);
    assert_int_equal(h.start.state, VGT_PIXEL_VALUE);
    assert_true(h.start.has_argb);
    assert_int_equal(h.start.argb, 0xff000000u);
    assert_int_equal(h.count, 0);
    assert_int_equal(h.end.argb, 0xff000000u);
    vgt_pixel_history_free(&h);
    /* frame 4, after frame 3's register writes alone made the mode 32x24:
     * (40,30) is outside from the frame's start (read at frame 2's last
     * command it would be black, and frame 4's command a change) */
    run_history(4, 40, 30, true, 0, &h);
    assert_int_equal(h.start.state, VGT_PIXEL_OUTSIDE);
    assert_int_equal(h.count, 0);
    vgt_pixel_history_free(&h);
}

/* Frame 2, after frame 1 without commands: surface 1 exists (frame 0
 * defined it, nothing wrote it: zero bytes) from the frame's start, and
 * frame 2's SURFACE_DEFINE of surface 2 leaves it alone: no entry.
 * Before: "not known", and the command listed as a change from it. */
static void test_pixel_start_after_empty_frame(void **state)
{
    (void)state;
    vgt_pixel_history h;
    run_history(2, 1, 1, false, 1, &h);
    assert_int_equal(h.start.state, VGT_PIXEL_VALUE);
    assert_int_equal(h.start.raw_size, 4);
    static const uint8_t zero[4] = {0};
    assert_memory_equal(h.start.raw, zero, 4);
    assert_int_equal(h.count, 0);
    assert_memory_equal(h.end.raw, zero, 4);
    vgt_pixel_history_free(&h);
}

static int setup(void **state)
{
    (void)state;
    return tw_tmpdir_make(tmpdir, sizeof(tmpdir), "pixel-start");
}

static int teardown(void **state)
{
    (void)state;
    return tw_tmpdir_remove(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pixel_start_new_device),
        cmocka_unit_test(test_pixel_start_display_mode),
        cmocka_unit_test(test_pixel_start_after_empty_frame),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
