/* vgt pixel's frame start (vgt_pixel_history_run) on hand-made traces:
 * a trace without a snapshot whose first command runs (no FENCE first)
 * starts with no surface, "(no image)", where it read "not known"; its
 * display stays not known (register writes may have set a mode), and so
 * does a frame after a frame without commands (a surface may exist). */
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

/* Frame 0: surface 1 (8x8 X8R8G8B8) defined by the trace's first command;
 * frame 1 holds no command; frame 2 defines surface 2. */
static void write_define_first(const char *path)
{
    tw t;
    tw_open_3d(&t, path);
    uint32_t sd[] = {
        VGT_SVGA3D_CMD_SURFACE_DEFINE, 0, 1, 0, VGT_SVGA3D_X8R8G8B8, 1, 0, 0, 0, 0, 0, 8, 8, 1};
    tw_cmd(&t, sd, 14);
    tw_end_frame(&t, 0, 1);
    tw_end_frame(&t, 1, 1);
    sd[2] = 2;
    tw_cmd(&t, sd, 14);
    tw_end_frame(&t, 2, 1);
    tw_close(&t);
}

static void test_pixel_start_new_device(void **state)
{
    (void)state;
    char path[1200];
    snprintf(path, sizeof(path), "%s/first.vgt", tmpdir);
    write_define_first(path);
    vgt_pixel_history_options o = {.frame = 0,
                                   .x = 1,
                                   .y = 1,
                                   .surface_given = true,
                                   .sid = 1,
                                   .backend = VGT_REPLAY_BACKEND_SOFT};
    vgt_pixel_history h;
    memset(&h, 0, sizeof(h));
    vgt_error err = {0};
    vgt_status st = vgt_pixel_history_run(path, &o, &h, &err);
    if (st != VGT_OK) {
        fail_msg("%s", err.message);
    }
    assert_int_equal(h.commands, 1);
    assert_true(h.start_known);
    assert_int_equal(h.start.state, VGT_PIXEL_NO_IMAGE);
    assert_int_equal(h.count, 1);
    assert_true(h.changes[0].before_known);
    assert_int_equal(h.changes[0].before.state, VGT_PIXEL_NO_IMAGE);
    assert_int_equal(h.changes[0].after.state, VGT_PIXEL_VALUE);
    vgt_pixel_history_free(&h);
    /* the display: not known */
    o.surface_given = false;
    o.display = true;
    memset(&h, 0, sizeof(h));
    assert_int_equal(vgt_pixel_history_run(path, &o, &h, &err), VGT_OK);
    assert_int_equal(h.commands, 1);
    assert_false(h.start_known);
    vgt_pixel_history_free(&h);
    /* frame 2, after a frame without commands: surface 1 exists (frame 0
     * defined it), its value before the frame was not read: not known,
     * never "(no image)" */
    o.display = false;
    o.surface_given = true;
    o.frame = 2;
    memset(&h, 0, sizeof(h));
    assert_int_equal(vgt_pixel_history_run(path, &o, &h, &err), VGT_OK);
    assert_int_equal(h.commands, 1);
    assert_false(h.start_known);
    assert_int_equal(h.count, 1); /* listed: a change from "not known" */
    assert_false(h.changes[0].before_known);
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
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
