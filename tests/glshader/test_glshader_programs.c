/* Whole shader programs on the gl backend (GLSL translation, llvmpipe)
 * against the soft interpreter's golden images (tests/softshader) within
 * the gl tolerance of docs/gl.md (a channel may differ by 2; fewer than
 * 0.1% of the pixels beyond):
 * - the `shaders` sample end to end (vs_2_0 ripple + ps_2_0 checkerboard)
 *   at 160x120 through the VM and the device thread, frames 0 and 15
 *   (only with GLSH_SAMPLE: test_glshader_sample);
 * - the SVGA developer kit's simple-shaders bytecode (Microsoft's compiler
 *   output) over a grid;
 * - a lit and textured vs_3_0/ps_3_0 pair: a loop over lights with c[aL]
 *   in the vertex shader, texture * lighting + a per-pixel specular. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gsh_harness.h"
#include "vgt_gl.h"
#include "vgt_samples.h"

#include "../data/shaders/kit/kit_shaders.h"

#define PS VGT_SVGA3D_SHADERTYPE_PS
#define VS VGT_SVGA3D_SHADERTYPE_VS

static void golden(const vgt_image *img, const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/golden/%s", VGT_TEST_DATA_DIR, name);
    vgt_error err = {0};
    vgt_image g;
    if (vgt_image_read_png(&g, path, &err) != VGT_OK) {
        fail_msg("%s (regenerate with VGT_UPDATE_GOLDEN=1)", err.message);
    }
    vgt_image_diff diff;
    assert_int_equal(vgt_image_compare(img, &g, 2, false, &diff, &err), VGT_OK);
    uint64_t total = (uint64_t)img->width * img->height;
    print_message("%s: gl vs soft: max channel delta %u, %llu of %llu pixels beyond 2\n", name,
                  diff.max_channel_delta, (unsigned long long)diff.pixels_over,
                  (unsigned long long)total);
    /* 0.1% (docs/gl.md) for smooth scenes; the procedural checkerboards
     * (frc + cmp of interpolated coordinates) flip a texel wherever gl's
     * coordinate is an ulp away from soft's on a square's edge: 1% there */
    double allowed = strstr(name, "lit-") ? 0.001 : 0.01;
    if ((double)diff.pixels_over > allowed * (double)total) {
        char out[1024];
        snprintf(out, sizeof(out), "%s/glshader-%s", VGT_BINARY_DIR, strrchr(path, '/') + 1);
        (void)vgt_image_write_png(img, out, false, &err);
        fail_msg("%s: %llu pixels differ by more than 2 (max delta %u); gl image in %s", path,
                 (unsigned long long)diff.pixels_over, diff.max_channel_delta, out);
    }
    vgt_image_free(&g);
}

/* ---- the sample ------------------------------------------------------------ */

#define FRAMES 16u
#define SW     160u
#define SH     120u

typedef struct shots {
    vgt_image img[FRAMES];
    uint32_t count;
} shots;

#ifdef GLSH_SAMPLE
static void keep_frame(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    (void)seq;
    shots *s = ctx;
    if (frame >= FRAMES || !display) {
        return;
    }
    vgt_error err = {0};
    if (vgt_image_alloc(&s->img[frame], display->width, display->height, &err) != VGT_OK) {
        return;
    }
    for (uint32_t y = 0; y < display->height; y++) {
        memcpy(s->img[frame].pixels + (size_t)y * s->img[frame].stride,
               display->pixels + (size_t)y * display->stride, (size_t)display->width * 4u);
    }
    s->count++;
}

static int run_sample(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_sample_args a = {.frames = FRAMES, .width = SW, .height = SH, .quiet = true};
    return vgt_sample_shaders(g, &a);
}

static void run_vm(shots *s)
{
    memset(s, 0, sizeof(*s));
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    cfg.device.vram_size = 4u << 20;
    cfg.device.enable_3d = true;
    cfg.device.backend_3d = VGT_BACKEND_GL;
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
    assert_int_equal(s->count, FRAMES);
}

static void test_sample(void **state)
{
    (void)state;
    shots a;
    run_vm(&a);
    golden(&a.img[0], "shaders-soft-160x120-frame-000.png");
    golden(&a.img[15], "shaders-soft-160x120-frame-015.png");
    for (uint32_t f = 0; f < FRAMES; f++) {
        vgt_image_free(&a.img[f]);
    }
}
#endif

#ifndef GLSH_SAMPLE
/* ---- helpers for the harness scenes ------------------------------------------ */

#define TW 96u

static void read_image(gsh_fx *f, vgt_image *img)
{
    vgt_error err = {0};
    assert_int_equal(vgt_image_alloc(img, TW, TW, &err), VGT_OK);
    const uint8_t *p = gsh_download(f, GSH_SID_RT8, 0, 4, TW, TW);
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
    gsh_fx *f = *state;
    gsh_scene_rgba8(f, TW, TW);
    vgt_error err = {0};
    assert_int_equal(gsh_define_words(f, VS, 1, kit_simple_vs,
                                      sizeof(kit_simple_vs) / sizeof(kit_simple_vs[0]), &err),
                     VGT_OK);
    assert_int_equal(gsh_define_words(f, PS, 1, kit_simple_ps,
                                      sizeof(kit_simple_ps) / sizeof(kit_simple_ps[0]), &err),
                     VGT_OK);
    gsh_bind(f, VS, 1);
    gsh_bind(f, PS, 1);
    /* c0-c3: an oblique orthographic view of the xy grid; c4.x: time */
    gsh_constf(f, VS, 0, 0.8f, 0.0f, 0.0f, 0.0f);
    gsh_constf(f, VS, 1, 0.0f, 0.5f, 0.6f, 0.0f);
    gsh_constf(f, VS, 2, 0.0f, 0.0f, 0.2f, 0.5f);
    gsh_constf(f, VS, 3, 0.0f, 0.0f, 0.0f, 1.0f);
    gsh_constf(f, VS, 4, 1.5f, 0.0f, 0.0f, 0.0f);
    gsh_clear(f, VGT_SVGA3D_CLEAR_COLOR, 0xFF202020u, 1.0f);
    enum { N = 24 };
    gsh_vtx *v = calloc(N * N * 6, sizeof(*v));
    uint32_t n = 0;
    for (uint32_t j = 0; j < N; j++) {
        for (uint32_t i = 0; i < N; i++) {
            const uint32_t q[6][2] = {{0, 0}, {1, 0}, {0, 1}, {1, 0}, {1, 1}, {0, 1}};
            for (int k = 0; k < 6; k++) {
                gsh_vtx *o = &v[n++];
                o->x = (float)(i + q[k][0]) * (2.0f / N) - 1.0f;
                o->y = (float)(j + q[k][1]) * (2.0f / N) - 1.0f;
                o->w = 1.0f;
            }
        }
    }
    assert_int_equal(gsh_draw(f, v, n, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, n / 3,
                              VGT_SVGA3D_DECLUSAGE_POSITION, &err),
                     VGT_OK);
    free(v);
    vgt_image img;
    read_image(f, &img);
    golden(&img, "softshader/kit-simple-96.png");
    vgt_image_free(&img);
}

/* ---- the kit's cube shaders, gl against soft live ------------------------------- */

static void draw_kit_cube(gsh_fx *f, vgt_image *img)
{
    gsh_scene_rgba8(f, TW, TW);
    vgt_error err = {0};
    assert_int_equal(
        gsh_define_words(f, VS, 1, kit_cube_vs, sizeof(kit_cube_vs) / sizeof(kit_cube_vs[0]), &err),
        VGT_OK);
    assert_int_equal(
        gsh_define_words(f, PS, 1, kit_cube_ps, sizeof(kit_cube_ps) / sizeof(kit_cube_ps[0]), &err),
        VGT_OK);
    gsh_bind(f, VS, 1);
    gsh_bind(f, PS, 1);
    /* c0-c3: world (rows as dp4 reads them), a rotation about y then x;
     * c4-c7: an orthographic projection into z 0..1 */
    const float cy = 0.8f, sy = 0.6f, cx = 0.9165151f, sx = 0.4f;
    const float w[4][4] = {
        {cy, 0, sy, 0}, {sx * sy, cx, -sx * cy, 0}, {-cx * sy, sx, cx * cy, 0}, {0, 0, 0, 1}};
    for (uint32_t i = 0; i < 4; i++) {
        gsh_constf(f, VS, i, w[i][0], w[i][1], w[i][2], w[i][3]);
    }
    gsh_constf(f, VS, 4, 0.55f, 0, 0, 0);
    gsh_constf(f, VS, 5, 0, 0.55f, 0, 0);
    gsh_constf(f, VS, 6, 0, 0, 0.25f, 0.5f);
    gsh_constf(f, VS, 7, 0, 0, 0, 1);
    gsh_rs(f, VGT_SVGA3D_RS_ZENABLE, 1);
    gsh_rs(f, VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS);
    gsh_clear(f, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xFF101010u, 1.0f);
    /* 6 faces, 2 triangles each, a color per corner */
    static const float corner[8][3] = {{-1, -1, -1}, {1, -1, -1}, {1, 1, -1}, {-1, 1, -1},
                                       {-1, -1, 1},  {1, -1, 1},  {1, 1, 1},  {-1, 1, 1}};
    static const uint32_t color[8] = {0xFFFF0000u, 0xFF00FF00u, 0xFF0000FFu, 0xFFFFFF00u,
                                      0xFF00FFFFu, 0xFFFF00FFu, 0xFFFFFFFFu, 0xFF808080u};
    static const uint8_t face[6][4] = {{0, 3, 2, 1}, {4, 5, 6, 7}, {0, 4, 7, 3},
                                       {1, 2, 6, 5}, {3, 7, 6, 2}, {0, 1, 5, 4}};
    gsh_vtx v[36];
    uint32_t n = 0;
    for (int fc = 0; fc < 6; fc++) {
        const uint8_t q[6] = {0, 1, 2, 0, 2, 3};
        for (int k = 0; k < 6; k++) {
            uint8_t c = face[fc][q[k]];
            gsh_vtx *o = &v[n++];
            memset(o, 0, sizeof(*o));
            o->x = corner[c][0];
            o->y = corner[c][1];
            o->z = corner[c][2];
            o->w = 1.0f;
            o->color = color[c];
        }
    }
    assert_int_equal(gsh_draw(f, v, n, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, n / 3,
                              VGT_SVGA3D_DECLUSAGE_POSITION, &err),
                     VGT_OK);
    read_image(f, img);
}

static void test_kit_cube(void **state)
{
    gsh_fx *f = *state;
    void *s = NULL;
    setenv("VGT_SOFT_THREADS", "1", 1); /* see test_glshader_state.c */
    assert_int_equal(gsh_setup_soft(&s), 0);
    unsetenv("VGT_SOFT_THREADS");
    vgt_image a, b;
    draw_kit_cube(f, &a);
    draw_kit_cube(s, &b);
    gsh_teardown(&s);
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
    gsh_fx *f = *state;
    gsh_scene_rgba8(f, TW, TW);
    /* an 8x8 two-color checker texture, bilinear, wrapping */
    gsh_define_surface(f, GSH_SID_TEX, VGT_SVGA3D_A8R8G8B8, 8, 8, 1);
    uint32_t tex[64];
    for (uint32_t i = 0; i < 64; i++) {
        tex[i] = ((i & 1) ^ ((i >> 3) & 1)) ? 0xFFE0E0E0u : 0xFFC03020u;
    }
    gsh_upload(f, GSH_SID_TEX, 0, tex, 32, 8, 8);
    gsh_ts(f, 0, VGT_SVGA3D_TS_BIND_TEXTURE, GSH_SID_TEX);
    gsh_ts(f, 0, VGT_SVGA3D_TS_MAGFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR);
    gsh_ts(f, 0, VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR);
    vgt_error err = {0};
    assert_int_equal(gsh_define_asm(f, VS, 1, lit_vs, &err), VGT_OK);
    assert_int_equal(gsh_define_asm(f, PS, 1, lit_ps, &err), VGT_OK);
    gsh_bind(f, VS, 1);
    gsh_bind(f, PS, 1);
    gsh_constf(f, VS, 0, 0.9f, 0, 0, 0);
    gsh_constf(f, VS, 1, 0, 0.9f, 0, 0);
    gsh_constf(f, VS, 2, 0, 0, 0.4f, 0.5f);
    gsh_constf(f, VS, 3, 0, 0, 0, 1);
    gsh_constf(f, VS, 8, 0.08f, 0.08f, 0.1f, 1.0f); /* ambient */
    /* three lights: direction towards the light (c10 + 2k), color (c11 + 2k) */
    const float lights[3][2][4] = {
        {{-0.48666426f, 0.58399711f, -0.64888568f, 0}, {0.85f, 0.8f, 0.7f, 0}},
        {{0.8f, -0.2f, -0.56568542f, 0}, {0.1f, 0.25f, 0.6f, 0}},
        {{0.0f, -0.9f, -0.43588989f, 0}, {0.3f, 0.15f, 0.05f, 0}},
    };
    for (uint32_t k = 0; k < 3; k++) {
        for (uint32_t m = 0; m < 2; m++) {
            const float *q = lights[k][m];
            gsh_constf(f, VS, 10 + 2 * k + m, q[0], q[1], q[2], q[3]);
        }
    }
    gsh_consti(f, VS, 0, 3, 0, 2, 0); /* 3 lights, aL = 0, 2, 4 */
    gsh_rs(f, VGT_SVGA3D_RS_ZENABLE, 1);
    gsh_rs(f, VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS);
    gsh_clear(f, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xFF102030u, 1.0f);
    /* the half sphere facing the viewer (-z), uv wrapping 4 x 2 times */
    enum { NT = 24, NP = 24 };
    const float pi = 3.14159265f;
    gsh_vtx *v = calloc(NT * NP * 6, sizeof(*v));
    uint32_t n = 0;
    for (uint32_t a = 0; a < NT; a++) {
        for (uint32_t b = 0; b < NP; b++) {
            const uint32_t q[6][2] = {{0, 0}, {1, 0}, {0, 1}, {1, 0}, {1, 1}, {0, 1}};
            for (int k = 0; k < 6; k++) {
                float th = (float)(a + q[k][0]) * (pi / NT);      /* 0..pi from +y */
                float ph = (float)(b + q[k][1]) * (pi / NP) - pi; /* -pi..0 */
                float s = tsin(th);
                gsh_vtx *o = &v[n++];
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
    assert_int_equal(gsh_draw(f, v, n, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, n / 3,
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
#ifdef GLSH_SAMPLE
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample),
    };
#else
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kit, gsh_setup, gsh_teardown),
        cmocka_unit_test_setup_teardown(test_kit_cube, gsh_setup, gsh_teardown),
        cmocka_unit_test_setup_teardown(test_lit_textured, gsh_setup, gsh_teardown),
    };
#endif
    return cmocka_run_group_tests(tests, NULL, NULL);
}
