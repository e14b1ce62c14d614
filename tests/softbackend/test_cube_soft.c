/* The cube sample end to end on the soft backend (guest driver -> FIFO ->
 * device -> executor -> vgt_soft -> PRESENT -> display): frames equal the
 * golden image tests/data/golden/cube-soft-160x120-frame-NNN.png
 * (regenerate with VGT_UPDATE_GOLDEN=1 after an intended change, and look
 * at it), and the pixels do not depend on the run or the thread count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "vgt_capture.h"
#include "vgt_samples.h"

#define FRAMES 16u
#define WIDTH  160u
#define HEIGHT 120u
static const uint32_t golden_frames[] = {0, 15};

typedef struct shots {
    vgt_image img[FRAMES];
    uint32_t count;
} shots;

static void keep_frame(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    (void)seq;
    shots *s = ctx;
    if (frame >= FRAMES || !display) {
        return;
    }
    vgt_error err = {0};
    if (vgt_image_copy(&s->img[frame], display, &err) != VGT_OK) {
        return;
    }
    s->count++;
}

static int run_cube(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_sample_args a = {.frames = FRAMES, .width = WIDTH, .height = HEIGHT, .quiet = true};
    return vgt_sample_cube(g, &a);
}

/* Runs the cube with VGT_SOFT_THREADS = threads ("" = the default) on
 * `kind`, capturing into `trace` when not NULL. */
static void run_on(shots *s, const char *threads, vgt_backend_kind kind, const char *trace)
{
    memset(s, 0, sizeof(*s));
    setenv("VGT_SOFT_THREADS", threads, 1);
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    cfg.device.vram_size = 4u << 20;
    cfg.device.enable_3d = true;
    cfg.device.backend_3d = kind;
    cfg.device.taps.ctx = s;
    cfg.device.taps.frame_end = keep_frame;
    vgt_vm *vm = NULL;
    vgt_error err = {0};
    vgt_capture *cap = NULL;
    if (trace) {
        vgt_capture_settings cs;
        vgt_capture_settings_init(&cs);
        cs.path = trace;
        cs.log = NULL;
        if (vgt_capture_create(&cs, &cap, &err) != VGT_OK) {
            fail_msg("capture: %s", err.message);
        }
        vgt_capture_install(cap, &cfg.device);
    }
    if (vgt_vm_create(&cfg, &vm, &err) != VGT_OK) {
        fail_msg("vm: %s", err.message);
    }
    if (cap && vgt_capture_attach(cap, vgt_vm_device(vm), &err) != VGT_OK) {
        fail_msg("capture attach: %s", err.message);
    }
    int code = -1;
    assert_int_equal(vgt_vm_run(vm, run_cube, NULL, &code, &err), VGT_OK);
    assert_int_equal(code, 0);
    vgt_device_stats st;
    vgt_device_get_stats(vgt_vm_device(vm), &st);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.frames, FRAMES);
    if (cap) {
        vgt_capture_detach(cap);
    }
    vgt_vm_destroy(vm);
    if (cap) {
        vgt_capture_stats cst;
        assert_int_equal(vgt_capture_close(cap, &cst, &err), VGT_OK);
        assert_int_equal(cst.frames, FRAMES);
    }
    unsetenv("VGT_SOFT_THREADS");
    assert_int_equal(s->count, FRAMES);
}

static void run_once(shots *s, const char *threads)
{
    run_on(s, threads, VGT_BACKEND_SOFT, NULL);
}

static void free_shots(shots *s)
{
    for (uint32_t i = 0; i < FRAMES; i++) {
        vgt_image_free(&s->img[i]);
    }
}

static uint32_t px(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + (size_t)x * 4u) & 0xFFFFFFu;
}

static void test_frames_match_golden(void **state)
{
    (void)state;
    shots s;
    run_once(&s, "");
    const char *update = getenv("VGT_UPDATE_GOLDEN");
    for (size_t i = 0; i < sizeof(golden_frames) / sizeof(golden_frames[0]); i++) {
        uint32_t f = golden_frames[i];
        char path[1024];
        snprintf(path, sizeof(path), "%s/golden/cube-soft-%ux%u-frame-%03u.png", VGT_TEST_DATA_DIR,
                 WIDTH, HEIGHT, f);
        vgt_error err = {0};
        if (update && strcmp(update, "1") == 0) {
            assert_int_equal(vgt_image_write_png(&s.img[f], path, false, &err), VGT_OK);
            continue;
        }
        vgt_image golden;
        if (vgt_image_read_png(&golden, path, &err) != VGT_OK) {
            fail_msg("%s (regenerate with VGT_UPDATE_GOLDEN=1)", err.message);
        }
        vgt_image_diff diff;
        assert_int_equal(vgt_image_compare(&s.img[f], &golden, 0, false, &diff, &err), VGT_OK);
        if (diff.pixels_over != 0) {
            fail_msg("frame %u differs from %s in %llu pixels (max delta %u)", f, path,
                     (unsigned long long)diff.pixels_over, diff.max_channel_delta);
        }
        vgt_image_free(&golden);
    }
    /* Real pixels, not a cleared screen: the corners show the clear color,
     * the centre is covered by the cube, and the cube has many colors. */
    const vgt_image *last = &s.img[FRAMES - 1];
    uint32_t bg = px(last, 0, 0);
    assert_int_equal(px(last, WIDTH - 1, HEIGHT - 1), bg);
    assert_int_not_equal(px(last, WIDTH / 2, HEIGHT / 2), bg);
    uint32_t covered = 0, distinct = 0, seen[64] = {0};
    for (uint32_t y = 0; y < HEIGHT; y++) {
        for (uint32_t x = 0; x < WIDTH; x++) {
            uint32_t c = px(last, x, y);
            if (c == bg) {
                continue;
            }
            covered++;
            uint32_t k = ((c >> 22) & 3u) << 4 | ((c >> 14) & 3u) << 2 | ((c >> 6) & 3u);
            distinct += !seen[k];
            seen[k] = 1;
        }
    }
    assert_true(covered > WIDTH * HEIGHT / 10);
    assert_true(distinct >= 8); /* Gouraud-shaded vertex colors */
    free_shots(&s);
}

static void test_deterministic_across_runs_and_threads(void **state)
{
    (void)state;
    shots a, b;
    run_once(&a, "");
    run_once(&b, "1");
    for (uint32_t f = 0; f < FRAMES; f++) {
        assert_int_equal(a.img[f].width, WIDTH);
        assert_int_equal(a.img[f].height, HEIGHT);
        assert_memory_equal(a.img[f].pixels, b.img[f].pixels, (size_t)a.img[f].stride * HEIGHT);
    }
    /* Consecutive frames differ (the cube spins). */
    assert_memory_not_equal(a.img[3].pixels, a.img[4].pixels, (size_t)a.img[3].stride * HEIGHT);
    free_shots(&a);
    free_shots(&b);
}

static int replayed_frame(void *ctx, const vgt_replay_frame *f)
{
    shots *s = ctx;
    if (f->frame < FRAMES && f->image) {
        keep_frame(s, f->frame, f->last_seq, f->image);
    }
    return 0;
}

/* A trace captured on the null backend (no pixels rendered live) replays on
 * the soft backend to exactly the pixels of a live soft run. */
static void test_null_trace_replays_on_soft(void **state)
{
    (void)state;
    char trace[1024];
    snprintf(trace, sizeof(trace), "%s/test_cube_soft-%d.vgt", VGT_BINARY_DIR, (int)getpid());
    shots live_null, live_soft, replayed;
    run_on(&live_null, "", VGT_BACKEND_NULL, trace);
    run_once(&live_soft, "");
    memset(&replayed, 0, sizeof(replayed));
    vgt_replayer_options o = {.backend = VGT_REPLAY_BACKEND_SOFT,
                              .last_frame = UINT64_MAX,
                              .compose = true,
                              .on_frame = replayed_frame,
                              .ctx = &replayed};
    vgt_replayer *r = NULL;
    vgt_error err = {0};
    if (vgt_replayer_open(trace, &o, &r, &err) != VGT_OK) {
        fail_msg("replayer: %s", err.message);
    }
    vgt_replay_stats rs;
    if (vgt_replayer_run(r, &rs, &err) != VGT_OK) {
        fail_msg("replay: %s", err.message);
    }
    assert_int_equal(vgt_replayer_backend(r), VGT_REPLAY_BACKEND_SOFT);
    vgt_replayer_close(r);
    remove(trace);
    assert_int_equal(replayed.count, FRAMES);
    for (uint32_t f = 0; f < FRAMES; f++) {
        assert_memory_equal(replayed.img[f].pixels, live_soft.img[f].pixels,
                            (size_t)live_soft.img[f].stride * HEIGHT);
    }
    /* ...and the null backend's live frames had no cube in them. */
    assert_memory_not_equal(live_null.img[FRAMES - 1].pixels, live_soft.img[FRAMES - 1].pixels,
                            (size_t)live_soft.img[FRAMES - 1].stride * HEIGHT);
    free_shots(&live_null);
    free_shots(&live_soft);
    free_shots(&replayed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_match_golden),
        cmocka_unit_test(test_deterministic_across_runs_and_threads),
        cmocka_unit_test(test_null_trace_replays_on_soft),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
