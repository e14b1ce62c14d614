/* samples_test_util.c - see samples_test_util.h. */
#include "samples_test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void keep_frame(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    (void)seq;
    samples_shots *s = ctx;
    vgt_error err = {0};
    if (frame < SAMPLES_FRAMES && display &&
        vgt_image_copy(&s->img[frame], display, &err) == VGT_OK) {
        s->count++;
    }
}

typedef struct run_arg {
    const vgt_sample_info *info;
    const vgt_sample_args *args;
} run_arg;

static int run_guest(vgt_guest *g, void *arg)
{
    const run_arg *r = arg;
    return r->info->entry(g, r->args);
}

int samples_run(samples_shots *s, const char *name, const vgt_sample_args *args, bool identity,
                uint32_t hide_caps, vgt_device_stats *st)
{
    memset(s, 0, sizeof(*s));
    run_arg r = {vgt_sample_find(name), args};
    assert_non_null(r.info);
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    cfg.identity_map = identity;
    cfg.device.vram_size = 4u << 20;
    cfg.device.hide_caps = hide_caps;
    cfg.device.taps.ctx = s;
    cfg.device.taps.frame_end = keep_frame;
    vgt_vm *vm = NULL;
    vgt_error err = {0};
    if (vgt_vm_create(&cfg, &vm, &err) != VGT_OK) {
        fail_msg("vm: %s", err.message);
    }
    int code = -1;
    assert_int_equal(vgt_vm_run(vm, run_guest, &r, &code, &err), VGT_OK);
    vgt_device_get_stats(vgt_vm_device(vm), st);
    vgt_vm_destroy(vm);
    return code;
}

void samples_free_shots(samples_shots *s)
{
    for (uint32_t i = 0; i < SAMPLES_FRAMES; i++) {
        vgt_image_free(&s->img[i]);
    }
}

void samples_check_golden_frames(const samples_shots *s, const char *name, const uint32_t *frames,
                                 size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t f = frames[i];
        assert_true(f < s->count);
        char file[128];
        snprintf(file, sizeof(file), "%s-%ux%u-frame-%03u.png", name, s->img[f].width,
                 s->img[f].height, f);
        samples_check_golden(&s->img[f], file);
    }
}

void samples_check_golden(const vgt_image *img, const char *file)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/golden/%s", VGT_TEST_DATA_DIR, file);
    vgt_error err = {0};
    const char *update = getenv("VGT_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        assert_int_equal(vgt_image_write_png(img, path, false, &err), VGT_OK);
        return;
    }
    vgt_image golden;
    if (vgt_image_read_png(&golden, path, &err) != VGT_OK) {
        fail_msg("%s (regenerate with VGT_UPDATE_GOLDEN=1)", err.message);
    }
    vgt_image_diff diff;
    assert_int_equal(vgt_image_compare(img, &golden, 0, false, &diff, &err), VGT_OK);
    vgt_image_free(&golden);
    if (diff.pixels_over != 0) {
        fail_msg("the frame differs from %s in %llu pixels (max delta %u)", path,
                 (unsigned long long)diff.pixels_over, diff.max_channel_delta);
    }
}

void samples_check_identity_equal(const char *name, const vgt_sample_args *args, uint32_t a,
                                  uint32_t b)
{
    samples_shots x, y;
    vgt_device_stats st;
    assert_int_equal(samples_run(&x, name, args, false, 0, &st), 0);
    assert_int_equal(samples_run(&y, name, args, true, 0, &st), 0);
    assert_int_equal(x.count, y.count);
    assert_true(a < x.count && b < x.count);
    for (uint32_t f = 0; f < x.count; f++) {
        assert_int_equal(x.img[f].width, args->width);
        assert_int_equal(x.img[f].height, args->height);
        assert_int_equal(y.img[f].width, args->width);
        assert_int_equal(y.img[f].height, args->height);
        assert_memory_equal(x.img[f].pixels, y.img[f].pixels,
                            (size_t)x.img[f].stride * x.img[f].height);
    }
    assert_memory_not_equal(x.img[a].pixels, x.img[b].pixels,
                            (size_t)x.img[a].stride * x.img[a].height);
    samples_free_shots(&x);
    samples_free_shots(&y);
}
