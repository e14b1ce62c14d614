/* The 3D samples end to end (cube, lit, textured, shaders, envmap,
 * instanced, deferred, skinned and the paper's four microbenchmarks): each runs a few frames on
 * the null and soft backends with zero device errors and the expected
 * numbers of draws, presents and DMAs; frame N of cube, lit, textured,
 * envmap, instanced, deferred and skinned on soft
 * equals its golden PNG
 * (tests/data/golden/NAME-soft-160x120-frame-NNN.png; regenerate with
 * VGT_UPDATE_GOLDEN=1 after an intended change, and look at them); the
 * native (OpenGL) and virtualized paths draw the same picture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dlfcn.h>
#include <link.h>

#include "samples_test_util.h"
#include "vgt_samples.h"

#define W 160u
#define H 120u

typedef struct run_result {
    uint64_t draws, presents, dmas, frames, errors;
    uint32_t want_frame; /* frame whose picture is kept */
    vgt_image shot;
    int exit_code;
    vgt_paper_result paper;
} run_result;

typedef struct run_job {
    const vgt_sample_info *sample;
    int bench; /* >= 0: call vgt_paper_run_virtual for this benchmark */
    vgt_sample_args args;
    run_result *out;
} run_job;

static void on_fetch(void *ctx, uint64_t seq, uint32_t off, const uint32_t *words, uint32_t n,
                     uint64_t ns)
{
    (void)seq;
    (void)off;
    (void)ns;
    run_result *r = ctx;
    if (n == 0) {
        return;
    }
    r->draws += words[0] == VGT_SVGA3D_CMD_DRAW_PRIMITIVES;
    r->presents += words[0] == VGT_SVGA3D_CMD_PRESENT;
    r->dmas += words[0] == VGT_SVGA3D_CMD_SURFACE_DMA;
}

static void on_frame(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    (void)seq;
    run_result *r = ctx;
    if (frame != r->want_frame || !display || r->shot.pixels) {
        return;
    }
    vgt_error err = {0};
    if (vgt_image_alloc(&r->shot, display->width, display->height, &err) != VGT_OK) {
        return;
    }
    for (uint32_t y = 0; y < display->height; y++) {
        memcpy(r->shot.pixels + (size_t)y * r->shot.stride,
               display->pixels + (size_t)y * display->stride, (size_t)display->width * 4u);
    }
}

static int guest_main(vgt_guest *g, void *arg)
{
    run_job *j = arg;
    if (j->bench >= 0) {
        return vgt_paper_run_virtual(g, (vgt_paper_bench)j->bench, &j->args, &j->out->paper);
    }
    return j->sample->entry(g, &j->args);
}

/* Runs sample `name` (or benchmark `bench` >= 0) for `frames` frames at W x H. */
static void run_sample(const char *name, int bench, vgt_backend_kind kind, uint32_t frames,
                       uint32_t param, uint32_t want_frame, run_result *r)
{
    memset(r, 0, sizeof(*r));
    r->want_frame = want_frame;
    run_job job = {vgt_sample_find(name), bench, {0}, r};
    assert_non_null(job.sample);
    job.args.frames = frames;
    job.args.width = W;
    job.args.height = H;
    job.args.batch = param;
    job.args.count = param;
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
        print_error("%s on %s: %llu device errors; last: %s\n", name, vgt_backend_kind_name(kind),
                    (unsigned long long)st.errors, st.last_error);
    }
    vgt_vm_destroy(vm);
}

static bool backend_built(vgt_backend_kind kind)
{
    vgt_backend be;
    vgt_error err = {0};
    if (vgt_backend_create(kind, NULL, &be, &err) != VGT_OK) {
        return false;
    }
    vgt_backend_destroy(&be);
    return true;
}

/* ---- counts on null and soft ------------------------------------------------- */

#define F 3u

static void check_demo(const char *name, uint64_t draws_per_frame, uint64_t min_dmas)
{
    for (int k = VGT_BACKEND_NULL; k <= VGT_BACKEND_SOFT; k++) {
        run_result r;
        run_sample(name, -1, (vgt_backend_kind)k, F, 0, UINT32_MAX, &r);
        assert_int_equal(r.exit_code, 0);
        assert_int_equal(r.errors, 0);
        assert_int_equal(r.frames, F);
        assert_int_equal(r.presents, F);
        assert_int_equal(r.draws, draws_per_frame * F);
        assert_true(r.dmas >= min_dmas);
    }
}

static void test_cube_counts(void **state)
{
    (void)state;
    check_demo("cube", 1, 2); /* VB + IB */
}

static void test_lit_counts(void **state)
{
    (void)state;
    check_demo("lit", 2, 2); /* two tori a frame; VB + IB */
}

static void test_textured_counts(void **state)
{
    (void)state;
    /* 9 quads a frame; uploads: the VB, 8 + 7 mip levels, a stream texture a frame */
    check_demo("textured", 9, 1 + 8 + 7 + F);
}

static void test_shaders_counts(void **state)
{
    (void)state;
    check_demo("shaders", 1, 2); /* one grid draw a frame; VB + IB */
}

static void test_envmap_counts(void **state)
{
    (void)state;
    /* background, sphere and box a frame; uploads: VB, IB, 6 faces x 7
     * levels of the cube map, the volume */
    check_demo("envmap", 3, 2 + 6 * 7 + 1);
}

static void test_instanced_counts(void **state)
{
    (void)state;
    /* one instanced draw a frame; uploads: VB, IB, the instance records */
    check_demo("instanced", 1, 3);
}

static void test_deferred_counts(void **state)
{
    (void)state;
    /* 12 cubes into the G-buffer, the lighting quad and two thumbnails a
     * frame; uploads: VB, IB, the quads */
    check_demo("deferred", 12 + 3, 3);
}

static void test_skinned_counts(void **state)
{
    (void)state;
    /* the floor and three tentacles a frame; uploads: VB, IB */
    check_demo("skinned", 4, 2);
}

/* A microbenchmark run through its sample entry: F timed frames + 1 warm-up. */
static void check_paper(const char *name, vgt_paper_bench b, uint32_t param,
                        uint64_t draws_per_frame, uint64_t dmas_per_frame, uint64_t tris_per_frame)
{
    for (int k = VGT_BACKEND_NULL; k <= VGT_BACKEND_SOFT; k++) {
        run_result r;
        run_sample(name, -1, (vgt_backend_kind)k, F, param, UINT32_MAX, &r);
        assert_int_equal(r.exit_code, 0);
        assert_int_equal(r.errors, 0);
        assert_int_equal(r.frames, F + 1u);
        assert_int_equal(r.presents, F + 1u);
        assert_int_equal(r.draws, draws_per_frame * (F + 1u));
        assert_true(r.dmas >= dmas_per_frame * (F + 1u));
        /* The library entry reports the timed frames only. */
        run_sample(name, (int)b, (vgt_backend_kind)k, F, param, UINT32_MAX, &r);
        assert_int_equal(r.exit_code, 0);
        assert_int_equal(r.errors, 0);
        assert_int_equal(r.paper.frames, F);
        assert_int_equal(r.paper.draws, draws_per_frame * F);
        assert_int_equal(r.paper.triangles, tris_per_frame * F);
        assert_true(r.paper.seconds > 0.0);
    }
}

static void test_static_vertex_counts(void **state)
{
    (void)state;
    check_paper("static-vertex", VGT_PAPER_STATIC_VERTEX, 50, 1, 0, 50);
}

static void test_dynamic_vertex_counts(void **state)
{
    (void)state;
    check_paper("dynamic-vertex", VGT_PAPER_DYNAMIC_VERTEX, 7, VGT_PAPER_DYNAMIC_DRAWS,
                VGT_PAPER_DYNAMIC_DRAWS, 7u * VGT_PAPER_DYNAMIC_DRAWS);
}

static void test_filled_triangles_counts(void **state)
{
    (void)state;
    check_paper("filled-triangles", VGT_PAPER_FILLED_TRIANGLES, 4, 1, 0, 4);
}

static void test_draw_calls_counts(void **state)
{
    (void)state;
    check_paper("draw-calls", VGT_PAPER_DRAW_CALLS, 25, 25, 0, 25);
}

static void test_bad_params(void **state)
{
    (void)state;
    run_result r;
    /* Over the benchmark's limit: a usage error, no device errors. */
    run_sample("filled-triangles", -1, VGT_BACKEND_NULL, 1, 1000000, UINT32_MAX, &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(r.errors, 0);
    run_sample("draw-calls", (int)VGT_PAPER_DRAW_CALLS, VGT_BACKEND_NULL, 1, 100001, UINT32_MAX,
               &r);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(r.errors, 0);
}

/* --native asked of a sample without a native path (all but the four
 * microbenchmarks) is its usage error, exit 1, before it touches the guest
 * (NULL here): cube took it and ran its virtual frames, shaders ignored it.
 * vgt run refuses it before the VM boots; an embedder calling the entry
 * gets the same answer. */
static void test_native_refused(void **state)
{
    (void)state;
    size_t n;
    const vgt_sample_info *all = vgt_samples(&n);
    size_t refused = 0;
    for (size_t i = 0; i < n; i++) {
        bool paper = false;
        for (int b = 0; b < VGT_PAPER_BENCH_COUNT; b++) {
            paper = paper || strcmp(all[i].name, vgt_paper_bench_name((vgt_paper_bench)b)) == 0;
        }
        if (paper) {
            continue;
        }
        const vgt_sample_args args = {.frames = 1, .native = true, .quiet = true};
        if (all[i].entry(NULL, &args) != 1) {
            fail_msg("%s --native: not refused with 1", all[i].name);
        }
        refused++;
    }
    assert_int_equal(refused, n - VGT_PAPER_BENCH_COUNT);
}

/* ---- golden frames on soft ------------------------------------------------------ */

static void check_golden(const char *name, uint32_t frames, uint32_t frame)
{
    run_result r;
    run_sample(name, -1, VGT_BACKEND_SOFT, frames, 0, frame, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.errors, 0);
    assert_non_null(r.shot.pixels);
    assert_int_equal(r.shot.width, W);
    assert_int_equal(r.shot.height, H);
    char file[128];
    snprintf(file, sizeof(file), "%s-soft-%ux%u-frame-%03u.png", name, W, H, frame);
    samples_check_golden(&r.shot, file);
    const char *update = getenv("VGT_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) { /* written, not compared */
        vgt_image_free(&r.shot);
        return;
    }
    /* Deterministic: a second run gives the same bytes. */
    run_result again;
    run_sample(name, -1, VGT_BACKEND_SOFT, frames, 0, frame, &again);
    assert_non_null(again.shot.pixels);
    assert_memory_equal(again.shot.pixels, r.shot.pixels, (size_t)r.shot.stride * H);
    vgt_image_free(&again.shot);
    vgt_image_free(&r.shot);
}

static void test_golden_cube(void **state)
{
    (void)state;
    check_golden("cube", 8, 7);
}

static void test_golden_lit(void **state)
{
    (void)state;
    check_golden("lit", 21, 20);
}

static void test_golden_textured(void **state)
{
    (void)state;
    check_golden("textured", 11, 10);
}

/* Frame 60: the environment turned a quarter, the red tower (+X) and the
 * road ahead, the sphere reflecting the green block (-X, behind the
 * camera) at its centre, the mountain (+Z) at its left and the magenta
 * towers (-Z) at its right; the box with the volume's shells. */
static void test_golden_envmap(void **state)
{
    (void)state;
    check_golden("envmap", 61, 60);
}

/* Frame 60: the third colouring (uploaded at frame 60 itself), the wave
 * of bobbing cubes running diagonally, lit from above-right. */
static void test_golden_instanced(void **state)
{
    (void)state;
    check_golden("instanced", 61, 60);
}

/* Frame 60: the ring a quarter turned, lit from the back right; the
 * thumbnails show the albedo and the packed normals. */
static void test_golden_deferred(void **state)
{
    (void)state;
    check_golden("deferred", 61, 60);
}

/* Frame 60: the first tentacle upright, the other two leaning towards
 * each other (the third through blend indices). */
static void test_golden_skinned(void **state)
{
    (void)state;
    check_golden("skinned", 61, 60);
}

/* ---- native vs virtualized ----------------------------------------------------- */

/* Pixels of a and b whose channels differ by more than `tol`. */
static uint64_t pixels_over(const vgt_image *a, const vgt_image *b, uint32_t tol,
                            uint32_t *max_delta)
{
    vgt_image_diff d;
    vgt_error err = {0};
    assert_int_equal(vgt_image_compare(a, b, tol, false, &d, &err), VGT_OK);
    *max_delta = d.max_channel_delta;
    return d.pixels_over;
}

/* filled-triangles with 2 triangles (the two halves of the viewport, each
 * its own color): native OpenGL and the soft backend agree except along
 * the diagonal, where the two APIs' pixel-centre conventions differ. */
static void test_native_matches_virtual_filled(void **state)
{
    (void)state;
    vgt_sample_args a = {
        .frames = 2, .width = W, .height = H, .batch = 2, .native = true, .quiet = true};
    vgt_paper_result nr;
    vgt_image native;
    vgt_error err = {0};
    if (vgt_paper_run_native(VGT_PAPER_FILLED_TRIANGLES, &a, &nr, &native, &err) != VGT_OK) {
        fail_msg("native: %s", err.message);
    }
    assert_int_equal(nr.frames, 2);
    assert_int_equal(nr.draws, 2);
    assert_int_equal(nr.triangles, 4);
    run_result r;
    run_sample("filled-triangles", -1, VGT_BACKEND_SOFT, 2, 2, 2, &r);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(r.shot.pixels);
    uint32_t maxd;
    uint64_t over = pixels_over(&native, &r.shot, 2, &maxd);
    if (over > (uint64_t)W * 2u) {
        fail_msg("native and soft differ in %llu pixels (max delta %u)", (unsigned long long)over,
                 maxd);
    }
    /* Not a blank picture: the two halves have different colors. */
    assert_memory_not_equal(
        native.pixels + 4u * 4u,
        native.pixels + (size_t)(H - 4u) * native.stride + (size_t)(W - 4u) * 4u, 4);
    vgt_image_free(&native);
    vgt_image_free(&r.shot);
}

static void test_native_microbenchmarks_run(void **state)
{
    (void)state;
    for (int b = 0; b < VGT_PAPER_BENCH_COUNT; b++) {
        vgt_sample_args a = {.frames = 2,
                             .width = W,
                             .height = H,
                             .batch = 3,
                             .count = 5,
                             .native = true,
                             .quiet = true};
        vgt_paper_result nr;
        vgt_error err = {0};
        if (vgt_paper_run_native((vgt_paper_bench)b, &a, &nr, NULL, &err) != VGT_OK) {
            fail_msg("%s native: %s", vgt_paper_bench_name((vgt_paper_bench)b), err.message);
        }
        uint64_t draws = b == VGT_PAPER_DRAW_CALLS       ? 5u
                         : b == VGT_PAPER_DYNAMIC_VERTEX ? VGT_PAPER_DYNAMIC_DRAWS
                                                         : 1u;
        assert_int_equal(nr.frames, 2);
        assert_int_equal(nr.draws, draws * 2u);
        if (b == VGT_PAPER_DYNAMIC_VERTEX) {
            assert_int_equal(nr.upload_bytes, 2u * VGT_PAPER_DYNAMIC_DRAWS * 3u * 3u * 16u);
        }
    }
}

/* The cube on the gl backend and natively through OpenGL (with D3D9's
 * half-pixel convention, as the gl backend): the same picture within a
 * delta of 2 on at most 0.5% of the pixels (identical on llvmpipe today). */
static void test_native_cube_matches_gl(void **state)
{
    (void)state;
    if (!backend_built(VGT_BACKEND_GL)) {
        vgt_backend be;
        vgt_error err = {0};
        vgt_status st = vgt_backend_create(VGT_BACKEND_GL, NULL, &be, &err);
        if (st == VGT_E_UNSUPPORTED && strstr(err.message, "not built")) {
            print_message("skipped: %s\n", err.message);
            skip();
        }
        fail_msg("the gl backend is built but cannot start: %s", err.message);
    }
    const uint32_t frame = 9;
    run_result r;
    run_sample("cube", -1, VGT_BACKEND_GL, frame + 1u, 0, frame, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.errors, 0);
    assert_non_null(r.shot.pixels);
    vgt_image native;
    vgt_error err = {0};
    if (vgt_native_cube_render(W, H, frame, &native, &err) != VGT_OK) {
        fail_msg("native cube: %s", err.message);
    }
    uint32_t maxd;
    uint64_t over = pixels_over(&native, &r.shot, 2, &maxd);
    print_message("native vs gl cube: %llu of %u pixels differ by more than 2 (max %u)\n",
                  (unsigned long long)over, W * H, maxd);
    if (over > (uint64_t)W * H / 200u) {
        fail_msg("native and gl cube differ in %llu pixels (max delta %u)",
                 (unsigned long long)over, maxd);
    }
    /* And the cube is there: the centre is not the clear color. */
    uint32_t centre;
    memcpy(&centre, native.pixels + (size_t)(H / 2u) * native.stride + (W / 2u) * 4u, 4);
    assert_true((centre & 0xFFFFFFu) != 0x203040u);
    vgt_image_free(&native);
    vgt_image_free(&r.shot);
}

/* Pins the Mesa modules EGL loaded (dri driver, gallium, LLVM) with
 * RTLD_NODELETE.  The gl backend ends with eglTerminate, which unloads the
 * driver; LSan then cannot name the module of what Mesa keeps until exit,
 * so tests/gl/lsan.supp (Mesa/EGL/LLVM libraries only) cannot match it. */
static int pin_module(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    (void)arg;
    const char *n = info->dlpi_name;
    if (n && (strstr(n, "_dri.so") || strstr(n, "libgallium") || strstr(n, "libLLVM") ||
              strstr(n, "libEGL_mesa"))) {
        dlopen(n, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE); /* a reference kept on purpose */
    }
    return 0;
}

static int pin_mesa(void **state)
{
    (void)state;
    vgt_native_gl *gl = NULL;
    vgt_error err = {0};
    if (vgt_native_gl_create(16, 16, &gl, &err) == VGT_OK) {
        dl_iterate_phdr(pin_module, NULL);
        vgt_native_gl_destroy(gl);
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cube_counts),
        cmocka_unit_test(test_lit_counts),
        cmocka_unit_test(test_textured_counts),
        cmocka_unit_test(test_shaders_counts),
        cmocka_unit_test(test_envmap_counts),
        cmocka_unit_test(test_instanced_counts),
        cmocka_unit_test(test_deferred_counts),
        cmocka_unit_test(test_skinned_counts),
        cmocka_unit_test(test_static_vertex_counts),
        cmocka_unit_test(test_dynamic_vertex_counts),
        cmocka_unit_test(test_filled_triangles_counts),
        cmocka_unit_test(test_draw_calls_counts),
        cmocka_unit_test(test_bad_params),
        cmocka_unit_test(test_native_refused),
        cmocka_unit_test(test_golden_cube),
        cmocka_unit_test(test_golden_lit),
        cmocka_unit_test(test_golden_textured),
        cmocka_unit_test(test_golden_envmap),
        cmocka_unit_test(test_golden_instanced),
        cmocka_unit_test(test_golden_deferred),
        cmocka_unit_test(test_golden_skinned),
        cmocka_unit_test(test_native_cube_matches_gl),
        cmocka_unit_test(test_native_microbenchmarks_run),
        cmocka_unit_test(test_native_matches_virtual_filled),
    };
    return cmocka_run_group_tests(tests, pin_mesa, NULL);
}
