/* Whole shader programs against the soft interpreter's golden images: on
 * soft exactly (VGT_UPDATE_GOLDEN=1 regenerates them; look at them), on gl
 * (GLSL translation, llvmpipe) within the gl tolerance of docs/gl.md (a
 * channel may differ by 2; fewer than 0.1% of the pixels beyond; sht_caps):
 * - the `shaders` sample end to end (vs_2_0 ripple + ps_2_0 checkerboard)
 *   at 160x120 through the VM and the device thread, frames 0 and 15, on
 *   soft the same pixels with 1 and N threads (gl: only in
 *   test_glshader_sample, built with SHT_SAMPLE_ONLY);
 * - the SVGA developer kit's simple-shaders bytecode (Microsoft's compiler
 *   output) over a grid;
 * - a lit and textured vs_3_0/ps_3_0 pair: a loop over lights with c[aL]
 *   in the vertex shader, texture * lighting + a per-pixel specular. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sht_harness.h"
#include "vgt_samples.h"
#if SHT_IS_GL
#include "vgt_gl.h"
#endif

#include "../data/shaders/kit/kit_shaders.h"

#define PS VGT_SVGA3D_SHADERTYPE_PS
#define VS VGT_SVGA3D_SHADERTYPE_VS

static void golden(const vgt_image *img, const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/golden/%s", VGT_TEST_DATA_DIR, name);
    vgt_error err = {0};
    const sht_caps *caps = SHT_CAPS;
    const char *update = getenv("VGT_UPDATE_GOLDEN");
    if (caps->golden_own && update && strcmp(update, "1") == 0) {
        assert_int_equal(vgt_image_write_png(img, path, false, &err), VGT_OK);
        return;
    }
    vgt_image g;
    if (vgt_image_read_png(&g, path, &err) != VGT_OK) {
        fail_msg("%s (regenerate with VGT_UPDATE_GOLDEN=1)", err.message);
    }
    vgt_image_diff diff;
    assert_int_equal(vgt_image_compare(img, &g, caps->golden_delta, false, &diff, &err), VGT_OK);
    uint64_t total = (uint64_t)img->width * img->height;
    if (!caps->golden_own) {
        print_message("%s: %s vs soft: max channel delta %u, %llu of %llu pixels beyond %u\n", name,
                      caps->name, diff.max_channel_delta, (unsigned long long)diff.pixels_over,
                      (unsigned long long)total, caps->golden_delta);
    }
    double allowed = strstr(name, "lit-") ? caps->golden_pixels : caps->golden_pixels_checker;
    if ((double)diff.pixels_over > allowed * (double)total) {
        char out[1024];
        snprintf(out, sizeof(out), "%s/%sshader-%s", VGT_BINARY_DIR, caps->name,
                 strrchr(path, '/') + 1);
        (void)vgt_image_write_png(img, out, false, &err);
        fail_msg("%s differs in %llu pixels by more than %u (max delta %u); %s image in %s", path,
                 (unsigned long long)diff.pixels_over, caps->golden_delta, diff.max_channel_delta,
                 caps->name, out);
    }
    vgt_image_free(&g);
}

/* ---- the sample ------------------------------------------------------------ */

#if !SHT_IS_GL || defined(SHT_SAMPLE_ONLY)

#define FRAMES 16u
#define SW     160u
#define SH     120u

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

static int run_sample(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_sample_args a = {.frames = FRAMES, .width = SW, .height = SH, .quiet = true};
    return vgt_sample_shaders(g, &a);
}

/* threads: VGT_SOFT_THREADS for the run (NULL: left alone). */
static void run_vm(shots *s, const char *threads)
{
    memset(s, 0, sizeof(*s));
    if (threads) {
        setenv("VGT_SOFT_THREADS", threads, 1);
    }
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    cfg.device.vram_size = 4u << 20;
    cfg.device.enable_3d = true;
    cfg.device.backend_3d = SHT_BACKEND;
    cfg.device.taps.ctx = s;
    cfg.device.taps.frame_end = keep_frame;
    vgt_vm *vm = NULL;
    vgt_error err = {0};
    if (vgt_vm_create(&cfg, &vm, &err) != VGT_OK) {
        fail_msg("vm: %s", err.message);
    }
    int code = -1;
    assert_int_equal(vgt_vm_run(vm, run_sample, NULL, &code, &err), VGT_OK);
    assert_int_equal(code, 0);
    vgt_device_stats st;
    vgt_device_get_stats(vgt_vm_device(vm), &st);
    assert_int_equal(st.errors, 0);
    vgt_vm_destroy(vm);
    if (threads) {
        unsetenv("VGT_SOFT_THREADS");
    }
    assert_int_equal(s->count, FRAMES);
}

static void test_sample(void **state)
{
    (void)state;
    const bool threads = SHT_CAPS->soft_threads;
    shots a, b;
    run_vm(&a, threads ? "" : NULL);
    golden(&a.img[0], "shaders-soft-160x120-frame-000.png");
    golden(&a.img[15], "shaders-soft-160x120-frame-015.png");
    if (threads) {
        run_vm(&b, "1");
        for (uint32_t f = 0; f < FRAMES; f++) {
            vgt_image_diff diff;
            vgt_error err = {0};
            assert_int_equal(vgt_image_compare(&a.img[f], &b.img[f], 0, false, &diff, &err),
                             VGT_OK);
            assert_int_equal(diff.pixels_over, 0);
        }
    }
    /* the ripple moves: frames differ */
    vgt_image_diff diff;
    vgt_error err = {0};
    assert_int_equal(vgt_image_compare(&a.img[0], &a.img[15], 0, false, &diff, &err), VGT_OK);
    assert_true(diff.pixels_over > 100);
    for (uint32_t f = 0; f < FRAMES; f++) {
        vgt_image_free(&a.img[f]);
        if (threads) {
            vgt_image_free(&b.img[f]);
        }
    }
}
#endif

#ifndef SHT_SAMPLE_ONLY

/* ---- helpers for the harness scenes ------------------------------------------ */

#define TW 96u

static void read_image(sht_fx *f, vgt_image *img)
{
    vgt_error err = {0};
    assert_int_equal(vgt_image_alloc(img, TW, TW, &err), VGT_OK);
    const uint8_t *p = sht_download(f, SHT_SID_RT8, 0, 4, TW, TW);
    for (uint32_t y = 0; y < TW; y++) {
        memcpy(img->pixels + (size_t)y * img->stride, p + (size_t)y * TW * 4, TW * 4);
    }
}

/* sin on [-pi, pi] by Taylor series (no libm: the geometry is the same
 * bits everywhere). */
static float tsin(float x)
{
    float x2 = x * x, term = x, sum = x;
    for (int n = 1; n < 12; n++) {
        term = -term * x2 / (float)((2 * n) * (2 * n + 1));
        sum += term;
    }
    return sum;
}

static float tcos(float x)
{
    const float pi = 3.14159265f;
    float y = x + pi * 0.5f;
    return tsin(y > pi ? y - 2.0f * pi : y);
}

/* ---- the kit's simple shaders -------------------------------------------------- */

static void test_kit(void **state)
{
    sht_fx *f = *state;
    sht_scene_rgba8(f, TW, TW);
    vgt_error err = {0};
    assert_int_equal(sht_define_words(f, VS, 1, kit_simple_vs,
                                      sizeof(kit_simple_vs) / sizeof(kit_simple_vs[0]), &err),
                     VGT_OK);
    assert_int_equal(sht_define_words(f, PS, 1, kit_simple_ps,
                                      sizeof(kit_simple_ps) / sizeof(kit_simple_ps[0]), &err),
                     VGT_OK);
    sht_bind(f, VS, 1);
    sht_bind(f, PS, 1);
    /* c0-c3: an oblique orthographic view of the xy grid; c4.x: time */
    sht_constf(f, VS, 0, 0.8f, 0.0f, 0.0f, 0.0f);
    sht_constf(f, VS, 1, 0.0f, 0.5f, 0.6f, 0.0f);
    sht_constf(f, VS, 2, 0.0f, 0.0f, 0.2f, 0.5f);
    sht_constf(f, VS, 3, 0.0f, 0.0f, 0.0f, 1.0f);
    sht_constf(f, VS, 4, 1.5f, 0.0f, 0.0f, 0.0f);
    sht_clear(f, VGT_SVGA3D_CLEAR_COLOR, 0xFF202020u, 1.0f);
    enum { N = 24 };
    sht_vtx *v = calloc(N * N * 6, sizeof(*v));
    uint32_t n = 0;
    for (uint32_t j = 0; j < N; j++) {
        for (uint32_t i = 0; i < N; i++) {
            const uint32_t q[6][2] = {{0, 0}, {1, 0}, {0, 1}, {1, 0}, {1, 1}, {0, 1}};
            for (int k = 0; k < 6; k++) {
                sht_vtx *o = &v[n++];
                o->x = (float)(i + q[k][0]) * (2.0f / N) - 1.0f;
                o->y = (float)(j + q[k][1]) * (2.0f / N) - 1.0f;
                o->w = 1.0f;
            }
        }
    }
    assert_int_equal(sht_draw(f, v, n, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, n / 3,
                              VGT_SVGA3D_DECLUSAGE_POSITION, &err),
                     VGT_OK);
    free(v);
    vgt_image img;
    read_image(f, &img);
    golden(&img, "softshader/kit-simple-96.png");
    vgt_image_free(&img);
}

#if SHT_IS_GL
/* ---- the kit's cube shaders, gl against soft live ------------------------------- */

static void draw_kit_cube(sht_fx *f, vgt_image *img)
{
    sht_scene_rgba8(f, TW, TW);
    vgt_error err = {0};
    assert_int_equal(
        sht_define_words(f, VS, 1, kit_cube_vs, sizeof(kit_cube_vs) / sizeof(kit_cube_vs[0]), &err),
        VGT_OK);
    assert_int_equal(
        sht_define_words(f, PS, 1, kit_cube_ps, sizeof(kit_cube_ps) / sizeof(kit_cube_ps[0]), &err),
        VGT_OK);
    sht_bind(f, VS, 1);
    sht_bind(f, PS, 1);
    /* c0-c3: world (rows as dp4 reads them), a rotation about y then x;
     * c4-c7: an orthographic projection into z 0..1 */
    const float cy = 0.8f, sy = 0.6f, cx = 0.9165151f, sx = 0.4f;
    const float w[4][4] = {
        {cy, 0, sy, 0}, {sx * sy, cx, -sx * cy, 0}, {-cx * sy, sx, cx * cy, 0}, {0, 0, 0, 1}};
    for (uint32_t i = 0; i < 4; i++) {
        sht_constf(f, VS, i, w[i][0], w[i][1], w[i][2], w[i][3]);
    }
    sht_constf(f, VS, 4, 0.55f, 0, 0, 0);
    sht_constf(f, VS, 5, 0, 0.55f, 0, 0);
    sht_constf(f, VS, 6, 0, 0, 0.25f, 0.5f);
    sht_constf(f, VS, 7, 0, 0, 0, 1);
    sht_rs(f, VGT_SVGA3D_RS_ZENABLE, 1);
    sht_rs(f, VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS);
    sht_clear(f, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xFF101010u, 1.0f);
    /* 6 faces, 2 triangles each, a color per corner */
    static const float corner[8][3] = {{-1, -1, -1}, {1, -1, -1}, {1, 1, -1}, {-1, 1, -1},
                                       {-1, -1, 1},  {1, -1, 1},  {1, 1, 1},  {-1, 1, 1}};
    static const uint32_t color[8] = {0xFFFF0000u, 0xFF00FF00u, 0xFF0000FFu, 0xFFFFFF00u,
                                      0xFF00FFFFu, 0xFFFF00FFu, 0xFFFFFFFFu, 0xFF808080u};
    static const uint8_t face[6][4] = {{0, 3, 2, 1}, {4, 5, 6, 7}, {0, 4, 7, 3},
                                       {1, 2, 6, 5}, {3, 7, 6, 2}, {0, 1, 5, 4}};
    sht_vtx v[36];
    uint32_t n = 0;
    for (int fc = 0; fc < 6; fc++) {
        const uint8_t q[6] = {0, 1, 2, 0, 2, 3};
        for (int k = 0; k < 6; k++) {
            uint8_t c = face[fc][q[k]];
            sht_vtx *o = &v[n++];
            memset(o, 0, sizeof(*o));
            o->x = corner[c][0];
            o->y = corner[c][1];
            o->z = corner[c][2];
            o->w = 1.0f;
            o->color = color[c];
        }
    }
    assert_int_equal(sht_draw(f, v, n, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, n / 3,
                              VGT_SVGA3D_DECLUSAGE_POSITION, &err),
                     VGT_OK);
    read_image(f, img);
}

static void test_kit_cube(void **state)
{
    sht_fx *f = *state;
    void *s = NULL;
    setenv("VGT_SOFT_THREADS", "1", 1); /* see test_glshader_state.c */
    assert_int_equal(sht_setup_soft(&s), 0);
    unsetenv("VGT_SOFT_THREADS");
    vgt_image a, b;
    draw_kit_cube(f, &a);
    draw_kit_cube(s, &b);
    sht_teardown(&s);
    vgt_image_diff diff;
    vgt_error err = {0};
    assert_int_equal(vgt_image_compare(&a, &b, 2, false, &diff, &err), VGT_OK);
    print_message("kit cube: gl vs soft: max channel delta %u, %llu of %u pixels beyond 2\n",
                  diff.max_channel_delta, (unsigned long long)diff.pixels_over, TW * TW);
    assert_true((double)diff.pixels_over <= 0.001 * TW * TW);
    /* the cube covers the middle, the clear color is left at a corner */
    assert_int_equal(vgt_load_le32(a.pixels), 0xFF101010u);
    assert_true(vgt_load_le32(a.pixels + (size_t)(TW / 2) * a.stride + (TW / 2) * 4) !=
                0xFF101010u);
    vgt_image_free(&a);
    vgt_image_free(&b);
    /* informational: the driver's compile + link time of a program */
    vgt_gl_counters n;
    assert_int_equal(vgt_backend_gl_counters(vgt_executor_backend(f->ex), &n), VGT_OK);
    assert_int_equal(n.shaders_translated, 2);
    assert_int_equal(n.shader_programs_linked, 1);
    print_message("kit cube: translation %.1f us/shader, GLSL compile + link %.1f us/program\n",
                  (double)n.shader_translate_ns / 1e3 / (double)n.shaders_translated,
                  (double)n.shader_link_ns / 1e3 / (double)n.shader_programs_linked);
}
#endif

/* ---- lit and textured, shader model 3 ------------------------------------------ */

static const char lit_vs[] = "vs_3_0\n"
                             "def c9, 0, 0, 0, 0\n"
                             "dcl_position v0\n"
                             "dcl_normal v1\n"
                             "dcl_texcoord v2\n"
                             "dcl_position o0\n"
                             "dcl_texcoord0 o1\n"
                             "dcl_color0 o2\n"
                             "dcl_texcoord1 o3\n"
                             "m4x4 o0, v0, c0\n"
                             "mov o1, v2\n"
                             "mov r0, c8\n"
                             "loop aL, i0\n"
                             "  dp3 r1.x, v1, c10[aL]\n"
                             "  max r1.x, r1.x, c9.x\n"
                             "  mad r0, r1.x, c11[aL], r0\n"
                             "endloop\n"
                             "mov o2, r0\n"
                             "mov o3, v1\n";

static const char lit_ps[] = "ps_3_0\n"
                             "def c0, 0, 0, -1, 24\n"
                             "def c1, -0.48666426, 0.58399711, -0.64888568, 0\n"
                             "def c2, 0.9, 0.9, 0.8, 0\n"
                             "dcl_texcoord0 v0\n"
                             "dcl_color0 v1\n"
                             "dcl_texcoord1 v2\n"
                             "dcl_2d s0\n"
                             "texld r0, v0, s0\n"
                             "mul r0, r0, v1\n"
                             "nrm r1.xyz, v2\n"
                             "add r2.xyz, c1, -c0\n"
                             "nrm r2.xyz, r2\n"
                             "dp3 r3.x, r1, r2\n"
                             "max r3.x, r3.x, c0.x\n"
                             "pow r3.x, r3.x, c0.w\n"
                             "mad r0.xyz, r3.x, c2, r0\n"
                             "mov oC0, r0\n";

static void test_lit_textured(void **state)
{
    sht_fx *f = *state;
    sht_scene_rgba8(f, TW, TW);
    /* an 8x8 two-color checker texture, bilinear, wrapping */
    sht_define_surface(f, SHT_SID_TEX, VGT_SVGA3D_A8R8G8B8, 8, 8, 1);
    uint32_t tex[64];
    for (uint32_t i = 0; i < 64; i++) {
        tex[i] = ((i & 1) ^ ((i >> 3) & 1)) ? 0xFFE0E0E0u : 0xFFC03020u;
    }
    sht_upload(f, SHT_SID_TEX, 0, tex, 32, 8, 8);
    sht_ts(f, 0, VGT_SVGA3D_TS_BIND_TEXTURE, SHT_SID_TEX);
    sht_ts(f, 0, VGT_SVGA3D_TS_MAGFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR);
    sht_ts(f, 0, VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR);
    vgt_error err = {0};
    assert_int_equal(sht_define_asm(f, VS, 1, lit_vs, &err), VGT_OK);
    assert_int_equal(sht_define_asm(f, PS, 1, lit_ps, &err), VGT_OK);
    sht_bind(f, VS, 1);
    sht_bind(f, PS, 1);
    sht_constf(f, VS, 0, 0.9f, 0, 0, 0);
    sht_constf(f, VS, 1, 0, 0.9f, 0, 0);
    sht_constf(f, VS, 2, 0, 0, 0.4f, 0.5f);
    sht_constf(f, VS, 3, 0, 0, 0, 1);
    sht_constf(f, VS, 8, 0.08f, 0.08f, 0.1f, 1.0f); /* ambient */
    /* three lights: direction towards the light (c10 + 2k), color (c11 + 2k) */
    const float lights[3][2][4] = {
        {{-0.48666426f, 0.58399711f, -0.64888568f, 0}, {0.85f, 0.8f, 0.7f, 0}},
        {{0.8f, -0.2f, -0.56568542f, 0}, {0.1f, 0.25f, 0.6f, 0}},
        {{0.0f, -0.9f, -0.43588989f, 0}, {0.3f, 0.15f, 0.05f, 0}},
    };
    for (uint32_t k = 0; k < 3; k++) {
        for (uint32_t m = 0; m < 2; m++) {
            const float *q = lights[k][m];
            sht_constf(f, VS, 10 + 2 * k + m, q[0], q[1], q[2], q[3]);
        }
    }
    sht_consti(f, VS, 0, 3, 0, 2, 0); /* 3 lights, aL = 0, 2, 4 */
    sht_rs(f, VGT_SVGA3D_RS_ZENABLE, 1);
    sht_rs(f, VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS);
    sht_clear(f, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xFF102030u, 1.0f);
    /* the half sphere facing the viewer (-z), uv wrapping 4 x 2 times */
    enum { NT = 24, NP = 24 };
    const float pi = 3.14159265f;
    sht_vtx *v = calloc(NT * NP * 6, sizeof(*v));
    uint32_t n = 0;
    for (uint32_t a = 0; a < NT; a++) {
        for (uint32_t b = 0; b < NP; b++) {
            const uint32_t q[6][2] = {{0, 0}, {1, 0}, {0, 1}, {1, 0}, {1, 1}, {0, 1}};
            for (int k = 0; k < 6; k++) {
                float th = (float)(a + q[k][0]) * (pi / NT);      /* 0..pi from +y */
                float ph = (float)(b + q[k][1]) * (pi / NP) - pi; /* -pi..0 */
                float s = tsin(th);
                sht_vtx *o = &v[n++];
                o->x = s * tcos(ph);
                o->y = tcos(th);
                o->z = s * tsin(ph);
                o->w = 1.0f;
                o->nx = o->x;
                o->ny = o->y;
                o->nz = o->z;
                o->u = (float)(b + q[k][1]) * (4.0f / NP);
                o->v = (float)(a + q[k][0]) * (2.0f / NT);
            }
        }
    }
    assert_int_equal(sht_draw(f, v, n, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, n / 3,
                              VGT_SVGA3D_DECLUSAGE_POSITION, &err),
                     VGT_OK);
    free(v);
    vgt_image img;
    read_image(f, &img);
    golden(&img, "softshader/lit-textured-96.png");
    vgt_image_free(&img);
}

#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#if !SHT_IS_GL || defined(SHT_SAMPLE_ONLY)
        cmocka_unit_test(test_sample),
#endif
#ifndef SHT_SAMPLE_ONLY
        cmocka_unit_test_setup_teardown(test_kit, sht_setup, sht_teardown),
#if SHT_IS_GL
        cmocka_unit_test_setup_teardown(test_kit_cube, sht_setup, sht_teardown),
#endif
        cmocka_unit_test_setup_teardown(test_lit_textured, sht_setup, sht_teardown),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
