/* The floor sample (samples/floor.c): trilinear on the left half,
 * anisotropic on the right, the same floor in two viewports of one size.
 * On soft: the right half keeps the far checks the left blurs to grey (row
 * contrasts measured and asserted), frame 30 equals its golden PNG, --aniso
 * 1 draws two equal halves, the guest clamps --aniso to the device's
 * MAX_TEXTURE_ANISOTROPY (the level it sends, counted at the fetch tap),
 * counts of draws, presents and DMAs on null and soft. */
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
/* the layout floor.c makes at 160 wide: two 79-pixel viewports, a
 * 2-column divider at 79..80 */
#define HALF    79u
#define RIGHT_X 81u
/* the far rows compared: under the horizon (row 48 of 120 at this size
 * and tilt), where trilinear has blurred the checks to grey (frame 0: a
 * contrast of 0 in rows 49..62) and anisotropy 16 has not (6..122) */
#define FAR_FIRST   52u
#define FAR_LAST    64u
#define DIVIDER_RGB 0xF0C020u

typedef struct floor_run {
    uint64_t draws, presents, dmas, frames, errors;
    uint32_t levels_sent; /* TEXTURE_ANISOTROPIC_LEVEL entries seen */
    uint32_t last_level;  /* the value of the last one */
    uint32_t want_frame;
    vgt_image shot;
    int exit_code;
} floor_run;

static void on_fetch(void *ctx, uint64_t seq, uint32_t off, const uint32_t *words, uint32_t n,
                     uint64_t ns)
{
    (void)seq;
    (void)off;
    (void)ns;
    floor_run *r = ctx;
    if (n == 0) {
        return;
    }
    r->draws += words[0] == VGT_SVGA3D_CMD_DRAW_PRIMITIVES;
    r->presents += words[0] == VGT_SVGA3D_CMD_PRESENT;
    r->dmas += words[0] == VGT_SVGA3D_CMD_SURFACE_DMA;
    /* id, size, cid, then (stage, name, value) entries */
    if (words[0] == VGT_SVGA3D_CMD_SETTEXTURESTATE) {
        for (uint32_t i = 3; i + 2u < n; i += 3u) {
            if (words[i + 1u] == VGT_SVGA3D_TS_TEXTURE_ANISOTROPIC_LEVEL) {
                r->levels_sent++;
                r->last_level = words[i + 2u];
            }
        }
    }
}

static void on_frame(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    (void)seq;
    floor_run *r = ctx;
    if (frame != r->want_frame || !display || r->shot.pixels) {
        return;
    }
    vgt_error err = {0};
    (void)vgt_image_copy(&r->shot, display, &err); /* a failed copy leaves no picture */
}

typedef struct floor_job {
    vgt_sample_args args;
} floor_job;

static int guest_main(vgt_guest *g, void *arg)
{
    floor_job *j = arg;
    return vgt_sample_find("floor")->entry(g, &j->args);
}

/* Runs floor for `frames` frames at W x H on `kind` with --aniso `aniso`
 * (0: the default), keeping frame `want`. */
static void run_floor(vgt_backend_kind kind, uint32_t frames, uint32_t aniso, uint32_t want,
                      floor_run *r)
{
    memset(r, 0, sizeof(*r));
    r->want_frame = want;
    assert_non_null(vgt_sample_find("floor"));
    floor_job job = {{0}};
    job.args.frames = frames;
    job.args.width = W;
    job.args.height = H;
    job.args.aniso = aniso;
    job.args.quiet = true;
    job.args.backend = vgt_backend_kind_name(kind);
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 64u << 20;
    cfg.device.vram_size = 4u << 20;
    cfg.device.enable_3d = true;
    cfg.device.backend_3d = kind;
    cfg.device.taps.ctx = r;
    cfg.device.taps.cmd_fetched = on_fetch;
    cfg.device.taps.frame_end = on_frame;
    vgt_vm *vm = NULL;
    vgt_error err = {0};
    if (vgt_vm_create(&cfg, &vm, &err) != VGT_OK) {
        fail_msg("vm: %s", err.message);
    }
    assert_int_equal(vgt_vm_run(vm, guest_main, &job, &r->exit_code, &err), VGT_OK);
    vgt_device_stats st;
    vgt_device_get_stats(vgt_vm_device(vm), &st);
    r->frames = st.frames;
    r->errors = st.errors;
    if (st.errors) {
        print_error("floor on %s: %llu device errors; last: %s\n", vgt_backend_kind_name(kind),
                    (unsigned long long)st.errors, st.last_error);
    }
    vgt_vm_destroy(vm);
    assert_int_equal(r->exit_code, 0);
    assert_int_equal(r->errors, 0);
}

static uint32_t pixel(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + (size_t)x * 4u) & 0xFFFFFFu;
}

/* Max - min of the red channel over row y of the half starting at x0. */
static uint32_t row_contrast(const vgt_image *img, uint32_t x0, uint32_t y)
{
    uint32_t lo = 255, hi = 0;
    for (uint32_t x = x0; x < x0 + HALF; x++) {
        uint32_t r = (pixel(img, x, y) >> 16) & 255u;
        lo = r < lo ? r : lo;
        hi = r > hi ? r : hi;
    }
    return hi - lo;
}

/* The far rows' summed contrasts of the left and the right half. */
static void far_contrast(const vgt_image *img, uint32_t *left, uint32_t *right, bool print)
{
    *left = *right = 0;
    for (uint32_t y = FAR_FIRST; y <= FAR_LAST; y++) {
        uint32_t l = row_contrast(img, 0, y), r = row_contrast(img, RIGHT_X, y);
        if (print) {
            print_message("row %u: contrast left %u, right %u\n", y, l, r);
        }
        *left += l;
        *right += r;
    }
}

/* 2 draws, 1 present a frame; the VB and 8 mip levels uploaded once; the
 * level (16) sent with the right half's filter every frame. */
static void test_floor_counts(void **state)
{
    (void)state;
    for (int k = VGT_BACKEND_NULL; k <= VGT_BACKEND_SOFT; k++) {
        floor_run r;
        run_floor((vgt_backend_kind)k, 3, 0, UINT32_MAX, &r);
        assert_int_equal(r.frames, 3);
        assert_int_equal(r.presents, 3);
        assert_int_equal(r.draws, 6);
        assert_int_equal(r.dmas, 1 + 8);
        assert_int_equal(r.levels_sent, 3);
        assert_int_equal(r.last_level, 16);
    }
}

/* The guest clamps the level it sends to MAX_TEXTURE_ANISOTROPY (16 on
 * soft and null), as a Direct3D 9 driver; a level under it goes as asked. */
static void test_floor_level_clamped(void **state)
{
    (void)state;
    floor_run r;
    run_floor(VGT_BACKEND_NULL, 2, 64, UINT32_MAX, &r);
    assert_int_equal(r.levels_sent, 2);
    assert_int_equal(r.last_level, 16);
    run_floor(VGT_BACKEND_NULL, 2, 4, UINT32_MAX, &r);
    assert_int_equal(r.last_level, 4);
    run_floor(VGT_BACKEND_NULL, 2, 1, UINT32_MAX, &r);
    assert_int_equal(r.last_level, 1);
}

/* Frame 30 on soft equals its golden PNG, and a second run the same bytes. */
static void test_floor_golden(void **state)
{
    (void)state;
    floor_run r;
    run_floor(VGT_BACKEND_SOFT, 31, 0, 30, &r);
    assert_non_null(r.shot.pixels);
    /* the divider: columns 79 and 80 top to bottom */
    for (uint32_t y = 0; y < H; y++) {
        assert_int_equal(pixel(&r.shot, HALF, y), DIVIDER_RGB);
        assert_int_equal(pixel(&r.shot, HALF + 1u, y), DIVIDER_RGB);
    }
    /* the camera glides: frame 0 is another picture */
    floor_run f0;
    run_floor(VGT_BACKEND_SOFT, 1, 0, 0, &f0);
    assert_non_null(f0.shot.pixels);
    assert_memory_not_equal(f0.shot.pixels, r.shot.pixels, (size_t)r.shot.stride * H);
    vgt_image_free(&f0.shot);
    /* and every pixel as the golden's */
    samples_check_golden(&r.shot, "floor-soft-160x120-frame-030.png");
    floor_run again;
    run_floor(VGT_BACKEND_SOFT, 31, 0, 30, &again);
    assert_non_null(again.shot.pixels);
    assert_memory_equal(again.shot.pixels, r.shot.pixels, (size_t)r.shot.stride * H);
    vgt_image_free(&again.shot);
    vgt_image_free(&r.shot);
}

/* Anisotropy 16 keeps the far checks trilinear blurs to grey. */
static void test_floor_right_sharper(void **state)
{
    (void)state;
    floor_run r;
    run_floor(VGT_BACKEND_SOFT, 1, 0, 0, &r);
    assert_non_null(r.shot.pixels);
    uint32_t left, right;
    far_contrast(&r.shot, &left, &right, true);
    print_message("far rows %u..%u: summed contrast left %u, right %u\n", FAR_FIRST, FAR_LAST, left,
                  right);
    /* measured: left 26, right 625 (rows 52..64); row 61: 0 and 78 */
    for (uint32_t y = FAR_FIRST; y <= FAR_LAST; y++) {
        assert_true(row_contrast(&r.shot, RIGHT_X, y) >= row_contrast(&r.shot, 0, y));
    }
    assert_true(left <= 52u);
    assert_true(right >= 500u);
    assert_int_equal(row_contrast(&r.shot, 0, 61), 0);
    assert_true(row_contrast(&r.shot, RIGHT_X, 61) >= 60u);
    vgt_image_free(&r.shot);
}

/* --aniso 1: ANISOTROPIC at level 1 is LINEAR, so the two viewports draw
 * the same pixels; the default differs between the halves. */
static void test_floor_aniso1_halves_equal(void **state)
{
    (void)state;
    floor_run r;
    run_floor(VGT_BACKEND_SOFT, 6, 1, 5, &r);
    assert_non_null(r.shot.pixels);
    for (uint32_t y = 0; y < H; y++) {
        const uint8_t *row = r.shot.pixels + (size_t)y * r.shot.stride;
        assert_memory_equal(row, row + RIGHT_X * 4u, HALF * 4u);
    }
    floor_run d;
    run_floor(VGT_BACKEND_SOFT, 6, 0, 5, &d);
    assert_non_null(d.shot.pixels);
    /* the trilinear halves of both runs are the same */
    for (uint32_t y = 0; y < H; y++) {
        assert_memory_equal(r.shot.pixels + (size_t)y * r.shot.stride,
                            d.shot.pixels + (size_t)y * d.shot.stride, HALF * 4u);
    }
    uint32_t differ = 0;
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < HALF; x++) {
            differ += pixel(&d.shot, x, y) != pixel(&d.shot, RIGHT_X + x, y);
        }
    }
    print_message("default: %u of %u pixels differ between the halves\n", differ, HALF * H);
    assert_true(differ > 0);
    vgt_image_free(&r.shot);
    vgt_image_free(&d.shot);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_floor_counts),
        cmocka_unit_test(test_floor_level_clamped),
        cmocka_unit_test(test_floor_golden),
        cmocka_unit_test(test_floor_right_sharper),
        cmocka_unit_test(test_floor_aniso1_halves_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
