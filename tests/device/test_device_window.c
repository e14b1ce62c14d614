/* The device's window (vgt_device_config.backend_options.window): refused,
 * with a message, when the backend has no window (3D off, null, soft) or when
 * gl cannot have one (no DISPLAY); without it nothing is shown; with it (gl,
 * under an X server: the test_device_window_x11 run under xvfb-run) every
 * frame with a display is shown. */
#include "device_test_util.h"

#include <stdio.h>

static vgt_status create_vm(bool enable_3d, vgt_backend_kind kind, bool window, vgt_vm **vm,
                            vgt_error *err)
{
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    cfg.device.vram_size = 4u << 20;
    cfg.device.enable_3d = enable_3d;
    cfg.device.backend_3d = kind;
    cfg.device.backend_options.window = window;
    *vm = NULL;
    return vgt_vm_create(&cfg, vm, err);
}

static void expect_refused(bool enable_3d, vgt_backend_kind kind, const char *why)
{
    vgt_vm *vm = NULL;
    vgt_error err = {0};
    vgt_status st = create_vm(enable_3d, kind, true, &vm, &err);
    assert_int_equal(st, VGT_E_UNSUPPORTED);
    assert_null(vm);
    if (!strstr(err.message, why)) {
        fail_msg("message '%s' lacks '%s'", err.message, why);
    }
}

static void test_window_needs_a_backend_with_one(void **state)
{
    (void)state;
    expect_refused(false, VGT_BACKEND_NULL, "a window needs a 3D backend that has one (gl)");
    expect_refused(true, VGT_BACKEND_NULL, "the null backend has no window");
#ifdef VGT_TEST_HAVE_SOFT
    expect_refused(true, VGT_BACKEND_SOFT, "the soft backend has no window");
#endif
}

static void test_gl_window_needs_display(void **state)
{
    (void)state;
#ifdef VGT_TEST_HAVE_GL
    const char *d = getenv("DISPLAY");
    char saved[256] = "";
    bool had = d != NULL;
    if (had) {
        snprintf(saved, sizeof(saved), "%s", d);
    }
    unsetenv("DISPLAY");
    expect_refused(true, VGT_BACKEND_GL, "DISPLAY is not set");
    if (had) {
        setenv("DISPLAY", saved, 1);
    }
#else
    skip();
#endif
}

/* UPDATE of the whole 320x240 screen and a fence: one 2D frame. */
static void one_frame(tvm *t)
{
    vgt_drv_update(&t->drv, 0, 0, 320, 240);
    tvm_sync(t);
}

static void null_3d(vgt_vm_config *cfg)
{
    cfg->device.enable_3d = true;
    cfg->device.backend_3d = VGT_BACKEND_NULL;
}

static void test_no_window_shows_nothing(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, null_3d);
    tvm_driver(&t);
    for (int i = 0; i < 3; i++) {
        one_frame(&t);
    }
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.frames, 3);
    assert_int_equal(s.frames_shown, 0);
    assert_string_equal(s.window_error, "");
    tvm_destroy(&t);
}

#ifdef VGT_TEST_HAVE_GL
static void gl_window(vgt_vm_config *cfg)
{
    cfg->device.enable_3d = true;
    cfg->device.backend_3d = VGT_BACKEND_GL;
    cfg->device.backend_options.window = true;
}
#endif

static void test_gl_window_shows_every_frame(void **state)
{
    (void)state;
#ifdef VGT_TEST_HAVE_GL
    const char *d = getenv("DISPLAY");
    if (!d || !*d) {
        skip(); /* test_device_window_x11 runs this under xvfb-run */
    }
    tvm t;
    tvm_create(&t, 64, gl_window);
    tvm_driver(&t);
    for (int i = 0; i < 4; i++) {
        one_frame(&t);
    }
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.frames, 4);
    assert_int_equal(s.frames_shown, 4);
    assert_string_equal(s.window_error, "");
    assert_int_equal(s.errors, 0);
    tvm_destroy(&t);
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_needs_a_backend_with_one),
        cmocka_unit_test(test_gl_window_needs_display),
        cmocka_unit_test(test_no_window_shows_nothing),
        cmocka_unit_test(test_gl_window_shows_every_frame),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
