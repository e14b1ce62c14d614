/* test_soft_probe.c - the fragment probe (vgt_soft_probe_set/_take): every
 * fragment a draw rasterizes at the probed pixel, with its primitive, its
 * colour before blending, its depth and the test that decided its fate, in
 * Direct3D 9's order (culling, scissor, texkill, alpha, stencil, depth,
 * write mask); pixel-shader draws (oCn, oDepth, texkill), a draw into
 * COLOR1, culled triangles, CLEARs, the depth/stencil target followed
 * (the depth each fragment tested and left, no colour), and what clipping
 * removed (whole, in part, behind the eye, in point and wireframe fill)
 * with the planes each of which alone removed it. */
#include "soft_test_util.h"

#include <stdlib.h>
#include <string.h>

#define PX 5
#define PY 7

/* Two full-target triangles (each covers every pixel of the 16x16 target):
 * t0 at depth z0 in colour c0, t1 at z1 in c1, t2 at z2 in c2. */
static void three_tris(tvert v[9], float z0, uint32_t c0, float z1, uint32_t c1, float z2,
                       uint32_t c2)
{
    const float zs[3] = {z0, z1, z2};
    const uint32_t cs[3] = {c0, c1, c2};
    for (int t = 0; t < 3; t++) {
        v[3 * t + 0] = (tvert){-1.0f, 1.0f, zs[t], cs[t], 0, 0};
        v[3 * t + 1] = (tvert){3.0f, 1.0f, zs[t], cs[t], 0, 0};
        v[3 * t + 2] = (tvert){-1.0f, -3.0f, zs[t], cs[t], 0, 0};
    }
}

static uint32_t take(tscene *s, vgt_soft_fragment *f, uint64_t *dropped)
{
    return vgt_soft_probe_take(s->dev, f, VGT_SOFT_PROBE_MAX, dropped);
}

/* c is exactly (r, g, b, a) (the values are exact: colours from bytes,
 * interpolated over a flat-coloured triangle). */
#define assert_color(c, r, g, b, a)                                                                \
    do {                                                                                           \
        const float *c_ = (c);                                                                     \
        if (!(c_[0] == (r) && c_[1] == (g) && c_[2] == (b) && c_[3] == (a))) {                     \
            fail_msg("colour %.9g %.9g %.9g %.9g, expected %.9g %.9g %.9g %.9g", c_[0], c_[1],     \
                     c_[2], c_[3], (double)(r), (double)(g), (double)(b), (double)(a));            \
        }                                                                                          \
    } while (0)

/* A decoded 8-bit channel as its byte. */
static int unorm(float c)
{
    return (int)(c * 255.0f + 0.5f);
}

/* Each fate once, every field of every fragment. */
static void test_probe_fates(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, true, 2);
    vgt_soft_fragment *f = calloc(VGT_SOFT_PROBE_MAX, sizeof(*f));
    assert_non_null(f);
    uint64_t dropped = 1;
    tvert v[9];
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, PX, PY);

    /* 1: depth LESS: t0 (z 0.25) written, t1 (z 0.5) behind it */
    three_tris(v, 0.25f, 0xffff0000u, 0.5f, 0xff00ff00u, 0, 0);
    tscene_use_tverts(&s, v, 6);
    s.st.z_func = VGT_SVGA3D_CMP_LESS;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(take(&s, f, &dropped), 2);
    assert_int_equal(dropped, 0);
    assert_int_equal(f[0].primitive, 0);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_WRITTEN);
    assert_true(f[0].shaded);
    assert_color(f[0].color, 1.0f, 0.0f, 0.0f, 1.0f);
    assert_true(f[0].z == 0.25f);
    assert_true(f[0].has_depth);
    assert_int_equal(f[0].z_quant, 0x400000);
    assert_int_equal(f[0].z_buffer, 0xffffff);
    assert_int_equal(f[0].stencil_path, VGT_SOFT_STENCIL_NONE);
    assert_true(f[0].has_after);
    assert_color(f[0].after, 1.0f, 0.0f, 0.0f, 1.0f);
    assert_int_equal(f[1].primitive, 1);
    assert_int_equal(f[1].fate, VGT_SOFT_FATE_DEPTH);
    assert_color(f[1].color, 0.0f, 1.0f, 0.0f, 1.0f);
    assert_true(f[1].z == 0.5f);
    assert_int_equal(f[1].z_quant, 0x800000);
    assert_int_equal(f[1].z_buffer, 0x400000); /* t0's, written just before */
    assert_false(f[1].has_after);
    assert_int_equal(tscene_pixel(&s, PX, PY), 0xffff0000u);

    /* 2: alpha test GREATEREQUAL 0x80 (depth test late, ALWAYS): t0
     * (alpha 0x40) rejected, t1 (alpha 0x80) blended over red */
    three_tris(v, 0.25f, 0x40ff0000u, 0.5f, 0x800000ffu, 0, 0);
    s.st.z_func = VGT_SVGA3D_CMP_ALWAYS;
    s.st.z_write = false;
    s.st.alpha_test = true;
    s.st.alpha_func = VGT_SVGA3D_CMP_GREATEREQUAL;
    s.st.alpha_ref = 0x80;
    s.st.blend_enable = true;
    s.st.src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
    s.st.dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(take(&s, f, &dropped), 2);
    assert_int_equal(f[0].primitive, 0);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_ALPHA);
    assert_color(f[0].color, 1.0f, 0.0f, 0.0f, 64.0f / 255.0f);
    assert_false(f[0].has_depth); /* rejected before the depth test */
    assert_false(f[0].has_after);
    assert_int_equal(f[1].primitive, 1);
    assert_int_equal(f[1].fate, VGT_SOFT_FATE_WRITTEN);
    assert_color(f[1].color, 0.0f, 0.0f, 1.0f, 128.0f / 255.0f);
    assert_true(f[1].has_depth);
    assert_int_equal(f[1].z_quant, 0x800000);
    assert_int_equal(f[1].z_buffer, 0x400000);
    /* 0.502 blue over red: bytes 7f 00 80, alpha 0.502^2 + 0.498 = 0.75 */
    assert_int_equal(unorm(f[1].after[0]), 127);
    assert_int_equal(unorm(f[1].after[1]), 0);
    assert_int_equal(unorm(f[1].after[2]), 128);
    assert_int_equal(unorm(f[1].after[3]), 191);
    assert_int_equal(tscene_pixel(&s, PX, PY), 0xbf7f0080u);

    /* 3: stencil LESSEQUAL ref 1 (fail REPLACE, zfail INCR, pass DECR),
     * depth LESS against 0x400000: t0 fails the stencil (0 -> 1), t1 passes
     * it and fails the depth test (1 -> 2), t2 passes both (2 -> 1) */
    three_tris(v, 0.25f, 0xffff0000u, 0.5f, 0xff00ff00u, 0.125f, 0xffffffffu);
    tscene_use_tverts(&s, v, 9);
    s.st.alpha_test = false;
    s.st.blend_enable = false;
    s.st.z_func = VGT_SVGA3D_CMP_LESS;
    s.st.stencil_enable = true;
    s.st.stencil_func = VGT_SVGA3D_CMP_LESSEQUAL;
    s.st.stencil_ref = 1;
    s.st.stencil_mask = 0xff;
    s.st.stencil_write_mask = 0xff;
    s.st.stencil_fail = VGT_SVGA3D_STENCILOP_REPLACE;
    s.st.stencil_zfail = VGT_SVGA3D_STENCILOP_INCR;
    s.st.stencil_pass = VGT_SVGA3D_STENCILOP_DECR;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    assert_int_equal(take(&s, f, &dropped), 3);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_STENCIL);
    assert_int_equal(f[0].stencil_path, VGT_SOFT_STENCIL_FAIL);
    assert_int_equal(f[0].stencil_op, VGT_SVGA3D_STENCILOP_REPLACE);
    assert_int_equal(f[0].stencil_before, 0);
    assert_int_equal(f[0].stencil_after, 1);
    assert_color(f[0].color, 1.0f, 0.0f, 0.0f, 1.0f); /* shaded all the same */
    assert_int_equal(f[1].primitive, 1);
    assert_int_equal(f[1].fate, VGT_SOFT_FATE_DEPTH);
    assert_int_equal(f[1].stencil_path, VGT_SOFT_STENCIL_ZFAIL);
    assert_int_equal(f[1].stencil_op, VGT_SVGA3D_STENCILOP_INCR);
    assert_int_equal(f[1].stencil_before, 1);
    assert_int_equal(f[1].stencil_after, 2);
    assert_int_equal(f[1].z_quant, 0x800000);
    assert_int_equal(f[1].z_buffer, 0x400000);
    assert_int_equal(f[2].primitive, 2);
    assert_int_equal(f[2].fate, VGT_SOFT_FATE_WRITTEN);
    assert_int_equal(f[2].stencil_path, VGT_SOFT_STENCIL_PASS);
    assert_int_equal(f[2].stencil_op, VGT_SVGA3D_STENCILOP_DECR);
    assert_int_equal(f[2].stencil_before, 2);
    assert_int_equal(f[2].stencil_after, 1);
    assert_int_equal(f[2].z_quant, 0x200000);
    assert_int_equal(f[2].z_buffer, 0x400000);
    assert_color(f[2].after, 1.0f, 1.0f, 1.0f, 1.0f);

    /* 4: the probed pixel outside the scissor: both seen, neither shaded */
    s.st.stencil_enable = false;
    s.st.z_func = VGT_SVGA3D_CMP_ALWAYS;
    s.st.scissor_enable = true;
    s.st.scissor = (vgt_soft_rect){0, 0, 4, 4};
    tscene_use_tverts(&s, v, 6);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(take(&s, f, &dropped), 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(f[i].primitive, (uint32_t)i);
        assert_int_equal(f[i].fate, VGT_SOFT_FATE_SCISSOR);
        assert_false(f[i].shaded);
        assert_false(f[i].has_depth);
        assert_false(f[i].has_after);
    }
    /* outside the scissor, triangles that do not cover the pixel are not
     * seen: (0,0) (12,0) (0,12) in three vertex orders, (5,7) beyond the
     * hypotenuse, inside the other two edges */
    tvert corner[9];
    const float cx[3] = {-1.0f, 0.5f, -1.0f}, cy[3] = {1.0f, 1.0f, -0.5f};
    for (int t = 0; t < 3; t++) {
        for (int k = 0; k < 3; k++) {
            corner[3 * t + k] = (tvert){cx[(t + k) % 3], cy[(t + k) % 3], 0.5f, 0xffffffffu, 0, 0};
        }
    }
    tscene_use_tverts(&s, corner, 9);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    assert_int_equal(take(&s, f, &dropped), 0);
    tscene_use_tverts(&s, v, 6);
    /* a scissor holding the pixel: no scissor fate */
    s.st.scissor = (vgt_soft_rect){4, 4, 4, 4};
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_WRITTEN);

    /* 5: COLORWRITEENABLE 0: passed, not written */
    s.st.scissor_enable = false;
    s.st.color_write_mask = 0;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_MASKED);
    assert_false(f[0].has_after);
    assert_int_equal(tscene_pixel(&s, PX, PY), 0xffff0000u); /* t0 of the draw before stays */
    free(f);
    tscene_fini(&s);
}

/* The primitive index is the draw call's (strip order), only the
 * primitives covering the pixel are seen, and what is beyond the bound is
 * counted. */
static void test_probe_primitives_and_bound(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, true, 1);
    s.st.z_enable = false;
    vgt_soft_fragment *f = calloc(VGT_SOFT_PROBE_MAX, sizeof(*f));
    assert_non_null(f);
    uint64_t dropped;
    /* a strip of 4 triangles over columns 0..7 / 8..15: the pixel (5,7)
     * lies in the first quad's second triangle only */
    tvert strip[6] = {
        {-1.0f, 1.0f, 0.5f, 0xff0000ffu, 0, 0}, {-1.0f, -1.0f, 0.5f, 0xff0000ffu, 0, 0},
        {0.0f, 1.0f, 0.5f, 0xff0000ffu, 0, 0},  {0.0f, -1.0f, 0.5f, 0xff0000ffu, 0, 0},
        {1.0f, 1.0f, 0.5f, 0xff0000ffu, 0, 0},  {1.0f, -1.0f, 0.5f, 0xff0000ffu, 0, 0},
    };
    tscene_use_tverts(&s, strip, 6);
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, PX, PY);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 4);
    assert_int_equal(take(&s, f, &dropped), 1);
    /* triangle 0 (-1,1) (-1,-1) (0,1) covers x + y < 8 (pixel centres); (5,7) is past it */
    assert_int_equal(f[0].primitive, 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_WRITTEN);
    assert_false(f[0].has_depth);
    /* another pixel: triangle 0 */
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, 1, 1);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 4);
    assert_int_equal(take(&s, f, &dropped), 1);
    assert_int_equal(f[0].primitive, 0);
    /* 300 full-target triangles: 256 kept, 44 counted */
    tvert *many = malloc(300 * 3 * sizeof(*many));
    assert_non_null(many);
    for (int t = 0; t < 300; t++) {
        many[3 * t + 0] = (tvert){-1.0f, 1.0f, 0.5f, 0xff000000u | (uint32_t)t, 0, 0};
        many[3 * t + 1] = (tvert){3.0f, 1.0f, 0.5f, 0xff000000u | (uint32_t)t, 0, 0};
        many[3 * t + 2] = (tvert){-1.0f, -3.0f, 0.5f, 0xff000000u | (uint32_t)t, 0, 0};
    }
    tscene_use_tverts(&s, many, 900);
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, PX, PY);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 300);
    assert_int_equal(take(&s, f, &dropped), VGT_SOFT_PROBE_MAX);
    assert_int_equal(dropped, 300 - VGT_SOFT_PROBE_MAX);
    assert_int_equal(f[255].primitive, 255);
    assert_color(f[255].color, 0.0f, 0.0f, 1.0f, 1.0f); /* blue 0xff */
    assert_color(f[3].color, 0.0f, 0.0f, 3.0f / 255.0f, 1.0f);
    /* a take of 10: the rest counted */
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 20);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 10, &dropped), 10);
    assert_int_equal(dropped, 10);
    /* the take forgot them */
    assert_int_equal(take(&s, f, &dropped), 0);
    assert_int_equal(dropped, 0);
    free(many);
    free(f);
    tscene_fini(&s);
}

/* Off, another image: nothing recorded; the probe changes no pixel, of a
 * fixed-function draw or a pixel-shader one. */
static void test_probe_off_and_unchanged(void **state)
{
    (void)state;
    tscene a, b;
    tscene_init(&a, 40, 40, true, 2);
    tscene_init(&b, 40, 40, true, 2);
    vgt_soft_fragment f[4];
    uint64_t dropped;
    tvert v[9];
    three_tris(v, 0.25f, 0x80ff0000u, 0.5f, 0xff00ff00u, 0.125f, 0x40ffffffu);
    /* slant t1 so its depth varies along the row */
    v[4].z = 0.0f;
    tscene *sc[2] = {&a, &b};
    for (int i = 0; i < 2; i++) {
        tscene_use_tverts(sc[i], v, 9);
        sc[i]->st.blend_enable = true;
        sc[i]->st.src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
        sc[i]->st.dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
    }
    vgt_soft_probe_set(b.dev, b.rt, 0, 0, 17, 20);
    tscene_draw(&a, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    tscene_draw(&b, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    assert_int_equal(vgt_soft_probe_take(b.dev, f, 4, &dropped), 3);
    for (uint32_t y = 0; y < 40; y++) {
        for (uint32_t x = 0; x < 40; x++) {
            assert_int_equal(tscene_pixel(&a, x, y), tscene_pixel(&b, x, y));
        }
    }
    /* off */
    vgt_soft_probe_set(b.dev, NULL, 0, 0, 17, 20);
    tscene_draw(&b, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    assert_int_equal(vgt_soft_probe_take(b.dev, f, 4, &dropped), 0);
    /* another surface (a's target) */
    vgt_soft_probe_set(b.dev, a.rt, 0, 0, 17, 20);
    tscene_draw(&b, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    assert_int_equal(vgt_soft_probe_take(b.dev, f, 4, &dropped), 0);
    /* pixel-shader draws: off records nothing; on, every fragment, and
     * the probed quad's pixels are the unprobed path's */
    vgt_soft_shader *ps = test_shader(VGT_SVGA3D_SHADERTYPE_PS, "ps_2_0\ndcl v0\nmov oC0, v0\n");
    for (int i = 0; i < 2; i++) {
        sc[i]->st.ps_program = ps;
        sc[i]->st.pixel_shader = 3;
        tscene_clear(sc[i]);
    }
    vgt_soft_probe_set(b.dev, NULL, 0, 0, 17, 20);
    tscene_draw(&b, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    assert_int_equal(vgt_soft_probe_take(b.dev, f, 4, &dropped), 0);
    tscene_clear(&b);
    vgt_soft_probe_set(b.dev, b.rt, 0, 0, 17, 20);
    tscene_draw(&a, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    tscene_draw(&b, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    assert_int_equal(vgt_soft_probe_take(b.dev, f, 4, &dropped), 3);
    assert_true(f[2].shader);
    for (uint32_t y = 0; y < 40; y++) {
        for (uint32_t x = 0; x < 40; x++) {
            assert_int_equal(tscene_pixel(&a, x, y), tscene_pixel(&b, x, y));
        }
    }
    vgt_soft_shader_destroy(ps);
    tscene_fini(&a);
    tscene_fini(&b);
}

/* A ps_2_0 draw: texkill (red below 0.5) discards t0's fragment after the
 * shader ran, t1's oC0 is written; a shader writing oDepth is tested with
 * it (0.75 behind t1's 0.5, its triangle's own 0.125 ignored). */
static void test_probe_pixel_shader(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, true, 2);
    vgt_soft_fragment *f = calloc(VGT_SOFT_PROBE_MAX, sizeof(*f));
    assert_non_null(f);
    uint64_t dropped;
    tvert v[9];
    three_tris(v, 0.25f, 0xff400000u, 0.5f, 0xffff8000u, 0.125f, 0xff0000ffu);
    tscene_use_tverts(&s, v, 9);
    s.st.z_func = VGT_SVGA3D_CMP_LESS;
    vgt_soft_shader *kill = test_shader(VGT_SVGA3D_SHADERTYPE_PS, "ps_2_0\n"
                                                                  "def c0, 0.5, 0, 0, 0\n"
                                                                  "dcl v0\n"
                                                                  "sub r0, v0.xxxx, c0.xxxx\n"
                                                                  "texkill r0\n"
                                                                  "mov oC0, v0\n");
    s.st.ps_program = kill;
    s.st.pixel_shader = 1;
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, PX, PY);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(take(&s, f, &dropped), 2);
    assert_int_equal(dropped, 0);
    assert_int_equal(f[0].primitive, 0);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_TEXKILL);
    assert_true(f[0].shaded);
    assert_true(f[0].shader);
    assert_int_equal(f[0].target, 0);
    assert_color(f[0].color, 64.0f / 255.0f, 0.0f, 0.0f, 1.0f);
    assert_true(f[0].z == 0.25f);
    assert_false(f[0].z_written);
    assert_false(f[0].has_depth); /* discarded before the depth test */
    assert_false(f[0].has_after);
    assert_int_equal(f[1].primitive, 1);
    assert_int_equal(f[1].fate, VGT_SOFT_FATE_WRITTEN);
    assert_true(f[1].shader);
    assert_color(f[1].color, 1.0f, 128.0f / 255.0f, 0.0f, 1.0f);
    assert_true(f[1].has_depth);
    assert_int_equal(f[1].z_quant, 0x800000);
    assert_int_equal(f[1].z_buffer, 0xffffff); /* t0 wrote no depth */
    assert_int_equal(f[1].write_mask, 15);
    assert_false(f[1].blend);
    assert_true(f[1].has_after);
    assert_color(f[1].after, 1.0f, 128.0f / 255.0f, 0.0f, 1.0f);
    assert_int_equal(tscene_pixel(&s, PX, PY), 0xffff8000u);

    /* oDepth 0.75: behind t1 (LESS), though the triangle lies at 0.125 */
    vgt_soft_shader *depth = test_shader(VGT_SVGA3D_SHADERTYPE_PS, "ps_2_0\n"
                                                                   "def c0, 0.75, 0, 0, 0\n"
                                                                   "dcl v0\n"
                                                                   "mov oC0, v0\n"
                                                                   "mov oDepth, c0.x\n");
    s.st.ps_program = depth;
    s.st.pixel_shader = 2;
    tscene_use_tverts(&s, v + 6, 3);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped), 1);
    assert_int_equal(f[0].primitive, 0);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_DEPTH);
    assert_true(f[0].z_written);
    assert_true(f[0].z == 0.75f);
    assert_int_equal(f[0].z_quant, 0xbfffff);
    assert_int_equal(f[0].z_buffer, 0x800000);
    assert_color(f[0].color, 0.0f, 0.0f, 1.0f, 1.0f);
    assert_false(f[0].has_after);
    /* GREATER: it passes, and writes its oDepth */
    s.st.z_func = VGT_SVGA3D_CMP_GREATER;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_WRITTEN);
    assert_int_equal(f[0].z_buffer, 0x800000);
    assert_color(f[0].after, 0.0f, 0.0f, 1.0f, 1.0f);
    s.st.z_func = VGT_SVGA3D_CMP_LESS;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_DEPTH);
    assert_int_equal(f[0].z_buffer, 0xbfffff); /* the oDepth written above */
    /* the alpha test on oC0 (alpha 0x40 < 0x80): past texkill (red 1),
     * rejected before the depth test */
    tvert a[9];
    three_tris(a, 0.25f, 0x40ff0000u, 0, 0, 0, 0);
    tscene_use_tverts(&s, a, 3);
    s.st.ps_program = kill;
    s.st.pixel_shader = 1;
    s.st.alpha_test = true;
    s.st.alpha_func = VGT_SVGA3D_CMP_GREATEREQUAL;
    s.st.alpha_ref = 0x80;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_ALPHA);
    assert_color(f[0].color, 1.0f, 0.0f, 0.0f, 64.0f / 255.0f);
    assert_false(f[0].has_depth);
    vgt_soft_shader_destroy(kill);
    vgt_soft_shader_destroy(depth);
    free(f);
    tscene_fini(&s);
}

/* The probed image bound at COLOR1: a shader's oC1 (not oC0), COLOR1's
 * write mask and the blend state; a fixed-function draw or a shader
 * writing oC0 only leaves it alone (no fragment).  ps_1_1's r0 and
 * ps_3_0's oC0 into COLOR0. */
static void test_probe_color1(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    vgt_soft_surface *t1 = NULL;
    vgt_error err = {0};
    vgt_soft_surface_desc d = {VGT_SVGA3D_A8R8G8B8, 16, 16, 1, 1, 1};
    assert_int_equal(vgt_soft_surface_create(&d, &t1, &err), VGT_OK);
    s.st.more_color_targets[0].surface = t1;
    s.st.more_color_write_masks[0] = VGT_SVGA3D_COLORMASK_RED | VGT_SVGA3D_COLORMASK_ALPHA;
    vgt_soft_fragment f[4];
    uint64_t dropped;
    tvert v[9];
    three_tris(v, 0.5f, 0xff102030u, 0, 0, 0, 0);
    tscene_use_tverts(&s, v, 3);
    vgt_soft_probe_set(s.dev, t1, 0, 0, PX, PY);
    /* fixed function: COLOR1 keeps its pixels, nothing recorded */
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 4, &dropped), 0);
    /* oC0 only: the same */
    vgt_soft_shader *c0 =
        test_shader(VGT_SVGA3D_SHADERTYPE_PS, "ps_2_0\ndef c0, 1, 1, 1, 1\nmov oC0, c0\n");
    s.st.ps_program = c0;
    s.st.pixel_shader = 1;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 4, &dropped), 0);
    /* oC1 (0.25, 0.5, 0.75, 1), blended ONE/ZERO, masked to red and alpha */
    vgt_soft_shader *c1 = test_shader(VGT_SVGA3D_SHADERTYPE_PS, "ps_2_0\n"
                                                                "def c0, 1, 1, 1, 1\n"
                                                                "def c1, 0.25, 0.5, 0.75, 1\n"
                                                                "mov oC0, c0\n"
                                                                "mov oC1, c1\n");
    s.st.ps_program = c1;
    s.st.pixel_shader = 2;
    s.st.blend_enable = true;
    s.st.src_blend = VGT_SVGA3D_BLENDOP_ONE;
    s.st.dst_blend = VGT_SVGA3D_BLENDOP_ZERO;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 4, &dropped), 1);
    assert_int_equal(f[0].target, 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_WRITTEN);
    assert_true(f[0].shader);
    assert_color(f[0].color, 0.25f, 0.5f, 0.75f, 1.0f);
    assert_int_equal(f[0].write_mask, VGT_SVGA3D_COLORMASK_RED | VGT_SVGA3D_COLORMASK_ALPHA);
    assert_true(f[0].blend);
    assert_true(f[0].has_after);
    /* red and alpha written (0x40, 0xff), green and blue kept (0) */
    assert_int_equal(unorm(f[0].after[0]), 64);
    assert_int_equal(unorm(f[0].after[1]), 0);
    assert_int_equal(unorm(f[0].after[2]), 0);
    assert_int_equal(unorm(f[0].after[3]), 255);
    /* COLOR1's mask 0: passed, not written */
    s.st.more_color_write_masks[0] = 0;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 4, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_MASKED);
    assert_int_equal(f[0].write_mask, 0);
    /* ps_1_1 (r0) and ps_3_0 (oC0) into COLOR0: their output recorded */
    static const char *const vers[2] = {"ps_1_1\ndef c0, 0.5, 0.25, 0.125, 1\nmov r0, c0\n",
                                        "ps_3_0\ndef c0, 0.5, 0.25, 0.125, 1\nmov oC0, c0\n"};
    s.st.blend_enable = false;
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, PX, PY);
    for (int k = 0; k < 2; k++) {
        vgt_soft_shader *p = test_shader(VGT_SVGA3D_SHADERTYPE_PS, vers[k]);
        s.st.ps_program = p;
        s.st.pixel_shader = 3 + (uint32_t)k;
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
        assert_int_equal(vgt_soft_probe_take(s.dev, f, 4, &dropped), 1);
        assert_int_equal(f[0].target, 0);
        assert_true(f[0].shader);
        assert_int_equal(f[0].fate, VGT_SOFT_FATE_WRITTEN);
        assert_color(f[0].color, 0.5f, 0.25f, 0.125f, 1.0f);
        assert_int_equal(f[0].write_mask, 15);
        vgt_soft_shader_destroy(p);
    }
    vgt_soft_probe_set(s.dev, NULL, 0, 0, 0, 0);
    vgt_soft_shader_destroy(c0);
    vgt_soft_shader_destroy(c1);
    tscene_fini(&s); /* before t1: it is bound */
    vgt_soft_surface_destroy(t1);
}

/* A triangle culled (CULLMODE) covering the pixel: its face, nothing else
 * (never rasterized); one beside the pixel is not listed. */
static void test_probe_culled(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, true, 1);
    vgt_soft_fragment f[4];
    uint64_t dropped;
    tvert v[9];
    three_tris(v, 0.25f, 0xffff0000u, 0.5f, 0xff00ff00u, 0, 0);
    /* t1 reversed: counter-clockwise on screen, a back face (front CW) */
    tvert t = v[4];
    v[4] = v[5];
    v[5] = t;
    /* t2: the corner (0,0) (4,0) (0,4), counter-clockwise, not at (5,7) */
    v[6] = (tvert){-1.0f, 1.0f, 0.5f, 0xffffffffu, 0, 0};
    v[7] = (tvert){-1.0f, 0.5f, 0.5f, 0xffffffffu, 0, 0};
    v[8] = (tvert){-0.5f, 1.0f, 0.5f, 0xffffffffu, 0, 0};
    tscene_use_tverts(&s, v, 9);
    s.st.cull_face = VGT_SVGA3D_FACE_BACK;
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, PX, PY);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 4, &dropped), 2);
    assert_int_equal(f[0].primitive, 0);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_WRITTEN);
    assert_int_equal(f[1].primitive, 1);
    assert_int_equal(f[1].fate, VGT_SOFT_FATE_CULLED_BACK);
    assert_false(f[1].shaded);
    assert_false(f[1].has_depth);
    assert_false(f[1].has_after);
    /* the probe at the corner: t2 culled there, t1 too */
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, 1, 1);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 4, &dropped), 3);
    assert_int_equal(f[2].primitive, 2);
    assert_int_equal(f[2].fate, VGT_SOFT_FATE_CULLED_BACK);
    /* front faces culled: t0 the culled one, as a front face */
    s.st.cull_face = VGT_SVGA3D_FACE_FRONT;
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, PX, PY);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 4, &dropped), 2);
    assert_int_equal(f[0].primitive, 0);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_CULLED_FRONT);
    assert_int_equal(f[1].primitive, 1);
    assert_int_equal(f[1].fate, VGT_SOFT_FATE_DEPTH); /* behind t0, drawn before */
    tscene_fini(&s);
}

/* A CLEAR covering the pixel is one fragment with what it wrote; one whose
 * rects miss it, or that clears another image, is none. */
static void test_probe_clear(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, true, 1);
    vgt_soft_fragment f[4];
    uint64_t dropped;
    vgt_error err = {0};
    vgt_soft_view cv = {s.rt, 0, 0}, dv = {s.ds, 0, 0};
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, PX, PY);
    /* rects beside the pixel: not touched */
    vgt_soft_rect miss[2] = {{0, 0, 5, 16}, {6, 0, 10, 7}};
    assert_int_equal(vgt_soft_clear(s.dev, &cv, NULL, VGT_SVGA3D_CLEAR_COLOR, 0xff336699u, 1.0f, 0,
                                    miss, 2, &err),
                     VGT_OK);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 4, &dropped), 0);
    /* one rect of two holds it */
    vgt_soft_rect hit[2] = {{0, 0, 2, 2}, {4, 6, 2, 2}};
    assert_int_equal(vgt_soft_clear(s.dev, &cv, NULL, VGT_SVGA3D_CLEAR_COLOR, 0x80336699u, 1.0f, 0,
                                    hit, 2, &err),
                     VGT_OK);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 4, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_CLEARED);
    assert_int_equal(f[0].clear_flags, VGT_SVGA3D_CLEAR_COLOR);
    assert_true(f[0].shaded);
    const int bytes[4] = {0x33, 0x66, 0x99, 0x80};
    assert_true(f[0].has_after);
    for (int c = 0; c < 4; c++) {
        assert_int_equal(unorm(f[0].color[c]), bytes[c]);
        assert_int_equal(unorm(f[0].after[c]), bytes[c]);
    }
    assert_int_equal(tscene_pixel(&s, PX, PY), 0x80336699u);
    /* depth only: the colour target is not cleared */
    assert_int_equal(
        vgt_soft_clear(s.dev, NULL, &dv, VGT_SVGA3D_CLEAR_DEPTH, 0, 0.5f, 0, NULL, 0, &err),
        VGT_OK);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 4, &dropped), 0);
    /* the depth buffer followed: depth and stencil */
    vgt_soft_probe_set(s.dev, s.ds, 0, 0, PX, PY);
    assert_int_equal(vgt_soft_clear(s.dev, NULL, &dv,
                                    VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL, 0, 0.25f,
                                    0x1a7, NULL, 0, &err),
                     VGT_OK);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 4, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_CLEARED);
    assert_int_equal(f[0].clear_flags, VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL);
    assert_false(f[0].shaded);
    assert_false(f[0].has_after);
    assert_true(f[0].z == 0.25f);
    assert_int_equal(f[0].z_quant, 0x400000);
    assert_int_equal(f[0].stencil_after, 0xa7);
    tscene_fini(&s);
}

/* The depth/stencil buffer followed: each fragment of a draw that tests
 * depth or stencil, with the depth it tested and left and the stencil
 * before and after, no colour; a draw that tests neither is none; fixed
 * function and a pixel shader's oDepth. */
static void test_probe_depth_target(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, true, 2);
    vgt_soft_fragment *f = calloc(VGT_SOFT_PROBE_MAX, sizeof(*f));
    assert_non_null(f);
    uint64_t dropped = 1;
    tvert v[9];
    vgt_soft_probe_set(s.dev, s.ds, 0, 0, PX, PY);

    /* depth LESS: t0 (z 0.25) passes and writes 0x400000, t1 (z 0.5) fails */
    three_tris(v, 0.25f, 0xffff0000u, 0.5f, 0xff00ff00u, 0.125f, 0xff0000ffu);
    tscene_use_tverts(&s, v, 6);
    s.st.z_func = VGT_SVGA3D_CMP_LESS;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(take(&s, f, &dropped), 2);
    assert_int_equal(dropped, 0);
    assert_int_equal(f[0].primitive, 0);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_PASSED);
    assert_true(f[0].depth_target);
    assert_true(f[0].z_write);
    assert_false(f[0].shaded); /* its colour went to COLOR0, not here */
    assert_false(f[0].has_after);
    assert_int_equal(f[0].target, 0);
    assert_int_equal(f[0].write_mask, 0);
    assert_false(f[0].blend);
    assert_true(f[0].z == 0.25f);
    assert_true(f[0].has_depth);
    assert_int_equal(f[0].z_quant, 0x400000);
    assert_int_equal(f[0].z_buffer, 0xffffff);
    assert_int_equal(f[0].z_after, 0x400000);
    assert_int_equal(f[0].stencil_path, VGT_SOFT_STENCIL_NONE);
    assert_int_equal(f[1].primitive, 1);
    assert_int_equal(f[1].fate, VGT_SOFT_FATE_DEPTH);
    assert_true(f[1].depth_target);
    assert_false(f[1].shaded);
    assert_int_equal(f[1].z_quant, 0x800000);
    assert_int_equal(f[1].z_buffer, 0x400000);
    assert_int_equal(f[1].z_after, 0x400000);
    assert_int_equal(tscene_pixel(&s, PX, PY), 0xffff0000u); /* COLOR0 as unprobed */

    /* ZWRITEENABLE 0: t2 (z 0.125) passes and leaves the buffer; a stencil
     * INCR on pass (0 -> 1) is what it changes */
    tscene_use_tverts(&s, v + 6, 3);
    s.st.z_write = false;
    s.st.stencil_enable = true;
    s.st.stencil_func = VGT_SVGA3D_CMP_ALWAYS;
    s.st.stencil_mask = 0xff;
    s.st.stencil_write_mask = 0xff;
    s.st.stencil_pass = VGT_SVGA3D_STENCILOP_INCR;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_PASSED);
    assert_true(f[0].depth_target);
    assert_false(f[0].z_write);
    assert_int_equal(f[0].z_quant, 0x200000);
    assert_int_equal(f[0].z_buffer, 0x400000);
    assert_int_equal(f[0].z_after, 0x400000);
    assert_int_equal(f[0].stencil_path, VGT_SOFT_STENCIL_PASS);
    assert_int_equal(f[0].stencil_op, VGT_SVGA3D_STENCILOP_INCR);
    assert_int_equal(f[0].stencil_before, 0);
    assert_int_equal(f[0].stencil_after, 1);
    assert_int_equal(tscene_pixel(&s, PX, PY), 0xff0000ffu);

    /* the stencil test failing (EQUAL 0 against 1), REPLACE ref 7 */
    s.st.stencil_func = VGT_SVGA3D_CMP_EQUAL;
    s.st.stencil_ref = 7;
    s.st.stencil_mask = 0x0e; /* 7 & 0xe = 6 against 1 & 0xe = 0: fails */
    s.st.stencil_fail = VGT_SVGA3D_STENCILOP_REPLACE;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_STENCIL);
    assert_int_equal(f[0].stencil_path, VGT_SOFT_STENCIL_FAIL);
    assert_int_equal(f[0].stencil_before, 1);
    assert_int_equal(f[0].stencil_after, 7);
    assert_int_equal(f[0].z_after, 0x400000);

    /* neither depth nor stencil tested: the draw leaves the buffer alone */
    s.st.stencil_enable = false;
    s.st.z_enable = false;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped), 0);
    assert_int_equal(dropped, 0);

    /* a pixel shader's oDepth 0.75 (GREATER than 0x400000): passes and writes it */
    vgt_soft_shader *depth = test_shader(VGT_SVGA3D_SHADERTYPE_PS, "ps_2_0\n"
                                                                   "def c0, 0.75, 0, 0, 0\n"
                                                                   "dcl v0\n"
                                                                   "mov oC0, v0\n"
                                                                   "mov oDepth, c0.x\n");
    s.st.ps_program = depth;
    s.st.pixel_shader = 1;
    s.st.z_enable = true;
    s.st.z_write = true;
    s.st.z_func = VGT_SVGA3D_CMP_GREATER;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_PASSED);
    assert_true(f[0].depth_target);
    assert_false(f[0].shaded);
    assert_true(f[0].z_written);
    assert_true(f[0].z == 0.75f);
    assert_int_equal(f[0].z_quant, 0xbfffff);
    assert_int_equal(f[0].z_buffer, 0x400000);
    assert_int_equal(f[0].z_after, 0xbfffff);
    /* again: now behind itself (GREATER 0xbfffff fails) */
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_DEPTH);
    assert_int_equal(f[0].z_buffer, 0xbfffff);
    assert_int_equal(f[0].z_after, 0xbfffff);
    /* a CLEAR of the buffer after them: a CLEAR, not a draw's fragment */
    vgt_error err = {0};
    vgt_soft_view dv = {s.ds, 0, 0};
    assert_int_equal(
        vgt_soft_clear(s.dev, NULL, &dv, VGT_SVGA3D_CLEAR_DEPTH, 0, 0.5f, 0, NULL, 0, &err),
        VGT_OK);
    assert_int_equal(take(&s, f, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_CLEARED);
    assert_false(f[0].depth_target);
    assert_false(f[0].z_write);
    assert_int_equal(f[0].z_quant, 0x800000);
    /* the colour target followed again: the same draw is a colour fragment */
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, PX, PY);
    s.st.z_func = VGT_SVGA3D_CMP_ALWAYS;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_WRITTEN);
    assert_false(f[0].depth_target);
    assert_true(f[0].shaded);
    assert_int_equal(f[0].write_mask, 15);
    vgt_soft_shader_destroy(depth);
    free(f);
    tscene_fini(&s);
}

/* Draws one triangle (npts 3), line (2) or point (1) given in screen
 * coordinates of the 16x16 target, at clip-space depth z (w 1). */
static void draw_screen_prim_z(tscene *s, const float *xy, uint32_t npts, float z)
{
    tvert v[3] = {{0}};
    for (uint32_t i = 0; i < npts; i++) {
        v[i] = (tvert){xy[2 * i] / 8.0f - 1.0f, 1.0f - xy[2 * i + 1] / 8.0f, z, 0xffffffffu, 0, 0};
    }
    tscene_use_tverts(s, v, npts);
    tscene_draw(s,
                npts == 3   ? VGT_SVGA3D_PRIMITIVE_TRIANGLELIST
                : npts == 2 ? VGT_SVGA3D_PRIMITIVE_LINELIST
                            : VGT_SVGA3D_PRIMITIVE_POINTLIST,
                1);
}

static void draw_screen_prim(tscene *s, const float *xy, uint32_t npts)
{
    draw_screen_prim_z(s, xy, npts, 0.5f);
}

/* Lines and points across the scissor's edge (x 8): at every pixel of the
 * target, the probe records one fragment exactly where the unscissored
 * draw writes, "scissor" beyond the edge and written inside it (the
 * rasterizer's own rule: x- and y-major lines each way, LASTPIXEL on and
 * off, points of sizes 1, 2.5 and 3). */
static void test_probe_scissored_lines_points(void **state)
{
    (void)state;
    static const float cases[][4] = {
        {0.3f, 1.2f, 15.6f, 9.7f},
        {14.2f, 13.9f, 1.1f, 3.4f},
        {3.5f, 0.2f, 7.9f, 15.3f},
        {12.7f, 15.1f, 2.2f, 0.6f},
        {0.5f, 8.5f, 15.5f, 8.5f},
        {2.0f, 2.0f, 14.0f, 14.0f},
        {9.25f, 4.75f, 6.5f, 11.5f},
        {15.7f, 2.3f, 9.4f, 5.6f},
        {10.3f, 1.6f, 12.8f, 13.4f},
        /* LASTPIXEL's pixel (10, 9) lies beyond the line's box: not drawn */
        {1.0f, 0.0f, 8.9f, 8.1f},
    };
    static const float points[][3] = {
        {7.3f, 4.6f, 1.0f}, {8.5f, 8.5f, 3.0f}, {10.2f, 12.7f, 2.5f}, {6.0f, 2.0f, 2.5f}};
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    vgt_soft_fragment f[4];
    uint64_t dropped;
    uint32_t nscissor = 0, nwritten = 0;
    uint32_t ncases = (uint32_t)(sizeof(cases) / sizeof(cases[0]));
    uint32_t npoints = (uint32_t)(sizeof(points) / sizeof(points[0]));
    /* each line forwards and backwards (its last pixel on either side of
     * the edge), LASTPIXEL off and on */
    for (uint32_t c = 0; c < 4 * ncases + npoints; c++) {
        bool line = c < 4 * ncases;
        float xy[4];
        if (line) {
            const float *l = cases[c % ncases];
            bool back = (c / ncases) & 1;
            for (int i = 0; i < 4; i++) {
                xy[i] = back ? l[(i + 2) % 4] : l[i];
            }
        } else {
            xy[0] = points[c - 4 * ncases][0];
            xy[1] = points[c - 4 * ncases][1];
        }
        s.st.last_pixel = line && c >= 2 * ncases;
        s.st.point_size = line ? 1.0f : points[c - 4 * ncases][2];
        /* the pixels the draw covers, without a scissor */
        bool covered[16][16];
        uint32_t ncovered = 0;
        s.st.scissor_enable = false;
        vgt_soft_probe_set(s.dev, NULL, 0, 0, 0, 0);
        tscene_clear(&s);
        draw_screen_prim(&s, xy, line ? 2 : 1);
        for (uint32_t y = 0; y < 16; y++) {
            for (uint32_t x = 0; x < 16; x++) {
                covered[y][x] = tscene_pixel(&s, x, y) != 0xff000000u;
                ncovered += covered[y][x];
            }
        }
        assert_true(ncovered > 0);
        s.st.scissor_enable = true;
        s.st.scissor = (vgt_soft_rect){0, 0, 8, 16};
        for (uint32_t y = 0; y < 16; y++) {
            for (uint32_t x = 0; x < 16; x++) {
                vgt_soft_probe_set(s.dev, s.rt, 0, 0, x, y);
                draw_screen_prim(&s, xy, line ? 2 : 1);
                uint32_t n = vgt_soft_probe_take(s.dev, f, 4, &dropped);
                if (n != (covered[y][x] ? 1u : 0u)) {
                    fail_msg("case %u pixel (%u,%u): %u fragments, covered %d", c, x, y, n,
                             covered[y][x]);
                }
                if (n) {
                    assert_int_equal(f[0].primitive, 0);
                    assert_int_equal(f[0].fate,
                                     x < 8 ? VGT_SOFT_FATE_WRITTEN : VGT_SOFT_FATE_SCISSOR);
                    nscissor += x >= 8;
                    nwritten += x < 8;
                }
            }
        }
    }
    /* every case reached both sides of the edge between them */
    assert_true(nscissor > 100);
    assert_true(nwritten > 100);
    tscene_fini(&s);
}

/* A triangle, a line and a point wholly beyond the far plane (z 1.5) or
 * before the near one (z -0.25): at every pixel of the target, one
 * fragment, fate clipped, exactly where the same primitive at z 0.5
 * writes; nothing drawn. */
static void test_probe_clipped(void **state)
{
    (void)state;
    static const float tri[6] = {2.3f, 1.6f, 13.8f, 6.2f, 5.1f, 14.7f};
    static const float line[4] = {0.7f, 3.2f, 15.1f, 11.9f};
    static const float point[2] = {9.5f, 4.5f};
    const float *prims[3] = {point, line, tri};
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    s.st.point_size = 3.0f;
    vgt_soft_fragment f[4];
    uint64_t dropped;
    uint32_t nclipped = 0;
    for (uint32_t k = 0; k < 3; k++) {
        uint32_t npts = k + 1;
        bool covered[16][16];
        uint32_t ncovered = 0;
        vgt_soft_probe_set(s.dev, NULL, 0, 0, 0, 0);
        tscene_clear(&s);
        draw_screen_prim(&s, prims[k], npts);
        for (uint32_t y = 0; y < 16; y++) {
            for (uint32_t x = 0; x < 16; x++) {
                covered[y][x] = tscene_pixel(&s, x, y) != 0xff000000u;
                ncovered += covered[y][x];
            }
        }
        assert_true(ncovered > 0 && ncovered < 256);
        tscene_clear(&s);
        for (int plane = 0; plane < 2; plane++) {
            for (uint32_t y = 0; y < 16; y++) {
                for (uint32_t x = 0; x < 16; x++) {
                    vgt_soft_probe_set(s.dev, s.rt, 0, 0, x, y);
                    draw_screen_prim_z(&s, prims[k], npts, plane ? -0.25f : 1.5f);
                    uint32_t n = vgt_soft_probe_take(s.dev, f, 4, &dropped);
                    if (n != (covered[y][x] ? 1u : 0u)) {
                        fail_msg("prim %u plane %d pixel (%u,%u): %u fragments, covered %d", k,
                                 plane, x, y, n, covered[y][x]);
                    }
                    if (n) {
                        assert_int_equal(f[0].primitive, 0);
                        assert_int_equal(f[0].fate, VGT_SOFT_FATE_CLIPPED);
                        assert_int_equal(f[0].clip_planes,
                                         plane ? VGT_SOFT_CLIP_NEAR : VGT_SOFT_CLIP_FAR);
                        assert_false(f[0].shaded);
                        assert_false(f[0].has_depth);
                        nclipped++;
                    }
                    assert_int_equal(tscene_pixel(&s, x, y), 0xff000000u);
                }
            }
        }
    }
    assert_true(nclipped > 60);
    tscene_fini(&s);
}

/* ---- what clipping removed of a primitive, at every pixel ---------------- */

typedef struct pdraw {
    const tvert *v;
    uint32_t n; /* 1 point, 2 line, 3 triangle */
} pdraw;

static void pdraw_draw(tscene *s, const pdraw *d)
{
    tscene_use_tverts(s, d->v, d->n);
    tscene_draw(s,
                d->n == 3   ? VGT_SVGA3D_PRIMITIVE_TRIANGLELIST
                : d->n == 2 ? VGT_SVGA3D_PRIMITIVE_LINELIST
                            : VGT_SVGA3D_PRIMITIVE_POINTLIST,
                1);
}

/* The pixels of the 16x16 target the draw writes (white on black), with
 * the probe off; *count how many. */
static void pdraw_cover(tscene *s, const pdraw *d, bool out[16][16], uint32_t *count)
{
    vgt_soft_probe_set(s->dev, NULL, 0, 0, 0, 0);
    tscene_clear(s);
    pdraw_draw(s, d);
    *count = 0;
    for (uint32_t y = 0; y < 16; y++) {
        for (uint32_t x = 0; x < 16; x++) {
            out[y][x] = tscene_pixel(s, x, y) != 0xff000000u;
            *count += out[y][x];
        }
    }
}

/* Probes the draw at every pixel of the target: one fragment of fate
 * `fate` exactly where expect is set (and then no other fragment: no
 * piece covers it), its clip_planes planes[y][x] (planes NULL: 0), none
 * of that fate elsewhere; the image left by every probed draw is the
 * unprobed one.  Returns how many pixels had it. */
static uint32_t pdraw_check_planes(tscene *s, const pdraw *d, bool expect[16][16], uint32_t fate,
                                   uint32_t planes[16][16], const char *what)
{
    uint32_t img[16][16];
    bool drawn[16][16];
    uint32_t ndrawn;
    pdraw_cover(s, d, drawn, &ndrawn);
    for (uint32_t y = 0; y < 16; y++) {
        for (uint32_t x = 0; x < 16; x++) {
            img[y][x] = tscene_pixel(s, x, y);
        }
    }
    vgt_soft_fragment f[8];
    uint64_t dropped;
    uint32_t hits = 0;
    for (uint32_t y = 0; y < 16; y++) {
        for (uint32_t x = 0; x < 16; x++) {
            tscene_clear(s);
            vgt_soft_probe_set(s->dev, s->rt, 0, 0, x, y);
            pdraw_draw(s, d);
            uint32_t n = vgt_soft_probe_take(s->dev, f, 8, &dropped);
            uint32_t nfate = 0;
            for (uint32_t i = 0; i < n; i++) {
                nfate += f[i].fate == fate;
                if (f[i].fate == fate) {
                    assert_int_equal(f[i].primitive, 0);
                    assert_false(f[i].shaded);
                    uint32_t want = planes ? planes[y][x] : 0u;
                    if (f[i].clip_planes != want) {
                        fail_msg("%s pixel (%u,%u): clip planes 0x%x, expected 0x%x", what, x, y,
                                 f[i].clip_planes, want);
                    }
                }
            }
            if (nfate != (expect[y][x] ? 1u : 0u) || (expect[y][x] && n != 1)) {
                fail_msg("%s pixel (%u,%u): %u fragments, %u of fate %u, expected %d", what, x, y,
                         n, nfate, fate, expect[y][x]);
            }
            hits += nfate;
            for (uint32_t yy = 0; yy < 16; yy++) {
                for (uint32_t xx = 0; xx < 16; xx++) {
                    if (tscene_pixel(s, xx, yy) != img[yy][xx]) {
                        fail_msg("%s probed at (%u,%u): pixel (%u,%u) differs", what, x, y, xx, yy);
                    }
                }
            }
        }
    }
    return hits;
}

/* The planes of every pixel one plane (or the same planes) removed. */
static uint32_t planes_all[16][16];

static uint32_t (*planes_fill(uint32_t v))[16]
{
    for (uint32_t y = 0; y < 16; y++) {
        for (uint32_t x = 0; x < 16; x++) {
            planes_all[y][x] = v;
        }
    }
    return planes_all;
}

/* pdraw_check with every clipped fragment's clip_planes `planes`. */
static uint32_t pdraw_check(tscene *s, const pdraw *d, bool expect[16][16], uint32_t fate,
                            uint32_t planes, const char *what)
{
    return pdraw_check_planes(s, d, expect, fate, planes_fill(planes), what);
}

/* Adds `bit` to planes[y][x] where the primitive draws without any plane
 * (whole) and not with that plane alone (alone): the pixels it removes
 * by itself. */
static void planes_add(bool whole[16][16], bool alone[16][16], uint32_t bit,
                       uint32_t planes[16][16])
{
    for (uint32_t y = 0; y < 16; y++) {
        for (uint32_t x = 0; x < 16; x++) {
            planes[y][x] |= whole[y][x] && !alone[y][x] ? bit : 0u;
        }
    }
}

/* Of the pixels in expect: how many have no plane (that must be none:
 * each plane alone covering a pixel all together do not), one, two. */
static void planes_count(bool expect[16][16], uint32_t planes[16][16], uint32_t count[3])
{
    count[0] = count[1] = count[2] = 0;
    for (uint32_t y = 0; y < 16; y++) {
        for (uint32_t x = 0; x < 16; x++) {
            if (expect[y][x]) {
                uint32_t k = (uint32_t)__builtin_popcount(planes[y][x]);
                count[k > 2 ? 2 : k]++;
            }
        }
    }
}

/* expect = a & !b; returns its count */
static uint32_t and_not(bool a[16][16], bool b[16][16], bool expect[16][16])
{
    uint32_t n = 0;
    for (uint32_t y = 0; y < 16; y++) {
        for (uint32_t x = 0; x < 16; x++) {
            expect[y][x] = a[y][x] && !b[y][x];
            n += expect[y][x];
        }
    }
    return n;
}

/* Screen coordinates of the 16x16 target to NDC at depth z (w 1). */
static tvert screen_vert(float x, float y, float z)
{
    return (tvert){x / 8.0f - 1.0f, 1.0f - y / 8.0f, z, 0xffffffffu, 0, 0};
}

/* A triangle and a line crossing the far plane (one end at z 1.6), in
 * solid, wireframe and point fill: one fragment, fate clipped, exactly at
 * the pixels the same primitive writes at z 0.5 and the partly clipped
 * one does not (its pieces' pixels have their own fragments). */
static void test_probe_partly_clipped(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    s.st.point_size = 3.0f;
    const float xy[3][2] = {{2.3f, 1.6f}, {13.8f, 6.2f}, {5.1f, 14.7f}};
    const float zs[3] = {0.2f, 1.6f, 0.7f};
    const uint32_t fills[3] = {VGT_SVGA3D_FILLMODE_FILL, VGT_SVGA3D_FILLMODE_LINE,
                               VGT_SVGA3D_FILLMODE_POINT};
    uint32_t total = 0;
    for (uint32_t k = 0; k < 4; k++) {
        uint32_t n = k < 3 ? 3 : 2;
        s.st.fill_mode = k < 3 ? fills[k] : VGT_SVGA3D_FILLMODE_FILL;
        tvert flat[3], cut[3];
        for (uint32_t i = 0; i < n; i++) {
            flat[i] = screen_vert(xy[i][0], xy[i][1], 0.5f);
            cut[i] = screen_vert(xy[i][0], xy[i][1], zs[i]);
        }
        if (n == 2) {
            cut[1].z = 1.6f; /* the line (0 -> 1) from z 0.2 to 1.6 */
        }
        pdraw dflat = {flat, n}, dcut = {cut, n};
        bool whole[16][16], pieces[16][16], expect[16][16];
        uint32_t nwhole, npieces;
        pdraw_cover(&s, &dflat, whole, &nwhole);
        pdraw_cover(&s, &dcut, pieces, &npieces);
        uint32_t nexp = and_not(whole, pieces, expect);
        assert_true(npieces > 0 && nexp > 0);
        assert_int_equal(pdraw_check(&s, &dcut, expect, VGT_SOFT_FATE_CLIPPED, VGT_SOFT_CLIP_FAR,
                                     "partly clipped"),
                         nexp);
        total += nexp;
    }
    assert_true(total > 40);
    tscene_fini(&s);
}

/* A triangle that two user clip planes (x >= 0.2, y >= 0.2) cut to
 * nothing, no plane having every vertex outside it: fate clipped exactly
 * where it draws with the planes off, naming plane 0 where it draws with
 * plane 3 alone, plane 3 where it draws with plane 0 alone, both where
 * it draws with neither alone (x and y < 0.2), none nowhere. */
static void test_probe_clipped_by_two_planes(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    const tvert v[3] = {{-0.9f, -0.9f, 0.5f, 0xffffffffu, 0, 0},
                        {0.9f, -0.9f, 0.5f, 0xffffffffu, 0, 0},
                        {-0.9f, 0.9f, 0.5f, 0xffffffffu, 0, 0}};
    const tvert l[2] = {{0.9f, -0.9f, 0.5f, 0xffffffffu, 0, 0},
                        {-0.9f, 0.9f, 0.5f, 0xffffffffu, 0, 0}};
    const float planes[2][4] = {{1, 0, 0, -0.2f}, {0, 1, 0, -0.2f}};
    memcpy(s.st.clip_planes[0], planes[0], sizeof(planes[0]));
    memcpy(s.st.clip_planes[3], planes[1], sizeof(planes[1]));
    for (uint32_t k = 0; k < 2; k++) {
        pdraw d = k ? (pdraw){l, 2} : (pdraw){v, 3};
        bool whole[16][16], pieces[16][16], expect[16][16];
        uint32_t nwhole, npieces;
        s.st.clip_plane_enable = 0;
        pdraw_cover(&s, &d, whole, &nwhole);
        static uint32_t named[16][16];
        memset(named, 0, sizeof(named));
        for (uint32_t pl = 0; pl < 4; pl += 3) {
            bool alone[16][16];
            uint32_t nalone;
            s.st.clip_plane_enable = 1u << pl;
            pdraw_cover(&s, &d, alone, &nalone);
            assert_true(nalone > 0 && nalone < nwhole);
            planes_add(whole, alone, VGT_SOFT_CLIP_PLANE(pl), named);
        }
        s.st.clip_plane_enable = 1u | 8u;
        pdraw_cover(&s, &d, pieces, &npieces);
        assert_int_equal(npieces, 0);
        uint32_t nexp = and_not(whole, pieces, expect);
        assert_true(nexp > (k ? 10u : 100u));
        uint32_t count[3];
        planes_count(expect, named, count);
        assert_int_equal(count[0], 0);
        /* the triangle has both planes alone and together; the line (x + y
         * = 0) meets x < 0.2 and y < 0.2 together only near its middle */
        assert_true(count[1] > (k ? 8u : 20u));
        assert_true(count[2] > (k ? 0u : 50u));
        assert_int_equal(
            pdraw_check_planes(&s, &d, expect, VGT_SOFT_FATE_CLIPPED, named, "two planes"), nexp);
    }
    tscene_fini(&s);
}

/* A triangle crossing the far plane (one vertex at z 1.6) and user plane
 * 2 (y >= -0.1: the target's top 8.8 rows), in solid, wireframe and
 * point fill, the line of its second edge (cut to nothing) and a point
 * beyond both: fate clipped exactly where the primitive draws with
 * neither and not with both, naming the far plane where it does not draw
 * beyond the far plane alone (the plane off), plane 2 where it does not
 * draw with the plane alone (at z 0.5), both where each alone removes
 * it; no pixel names none. */
static void test_probe_clipped_far_and_plane(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    s.st.point_size = 3.0f;
    const float plane[4] = {0.0f, 1.0f, 0.0f, 0.1f};
    memcpy(s.st.clip_planes[2], plane, sizeof(plane));
    const float xy[3][2] = {{2.3f, 1.6f}, {13.8f, 6.2f}, {5.1f, 14.7f}};
    const float zs[3] = {0.2f, 1.6f, 0.7f};
    const uint32_t fills[3] = {VGT_SVGA3D_FILLMODE_FILL, VGT_SVGA3D_FILLMODE_LINE,
                               VGT_SVGA3D_FILLMODE_POINT};
    uint32_t total[3] = {0, 0, 0};
    for (uint32_t k = 0; k < 5; k++) {
        uint32_t n = k < 3 ? 3 : k == 3 ? 2 : 1;
        s.st.fill_mode = k < 3 ? fills[k] : VGT_SVGA3D_FILLMODE_FILL;
        tvert flat[3], cut[3];
        for (uint32_t i = 0; i < n; i++) {
            flat[i] = screen_vert(xy[i][0], xy[i][1], 0.5f);
            cut[i] = screen_vert(xy[i][0], xy[i][1], zs[i]);
        }
        if (k == 3) {
            /* the line of the second edge, which the planes cut to nothing */
            flat[0] = screen_vert(xy[2][0], xy[2][1], 0.5f);
            cut[0] = screen_vert(xy[2][0], xy[2][1], zs[2]);
        }
        if (k == 4) {
            /* the point, beyond both */
            flat[0] = screen_vert(12.5f, 12.5f, 0.5f);
            cut[0] = screen_vert(12.5f, 12.5f, 1.6f);
        }
        pdraw dflat = {flat, n}, dcut = {cut, n};
        bool whole[16][16], far_alone[16][16], plane_alone[16][16], both[16][16];
        bool expect[16][16];
        uint32_t nwhole, nfar, nplane, nboth;
        static uint32_t planes[16][16];
        s.st.clip_plane_enable = 0;
        pdraw_cover(&s, &dflat, whole, &nwhole);
        pdraw_cover(&s, &dcut, far_alone, &nfar);
        s.st.clip_plane_enable = 4u;
        pdraw_cover(&s, &dflat, plane_alone, &nplane);
        pdraw_cover(&s, &dcut, both, &nboth);
        assert_true(nwhole > 0);
        memset(planes, 0, sizeof(planes));
        planes_add(whole, far_alone, VGT_SOFT_CLIP_FAR, planes);
        planes_add(whole, plane_alone, VGT_SOFT_CLIP_PLANE(2), planes);
        uint32_t nexp = and_not(whole, both, expect);
        assert_true(nexp > 0);
        uint32_t count[3];
        planes_count(expect, planes, count);
        if (count[0] != 0) {
            fail_msg("far and plane, case %u: %u clipped pixels no plane alone removes", k,
                     count[0]);
        }
        assert_int_equal(
            pdraw_check_planes(&s, &dcut, expect, VGT_SOFT_FATE_CLIPPED, planes, "far and plane"),
            nexp);
        for (uint32_t i = 0; i < 3; i++) {
            total[i] += count[i];
        }
        if (k == 0) {
            /* the solid triangle: each plane alone and both */
            uint32_t nf = 0, np = 0;
            for (uint32_t y = 0; y < 16; y++) {
                for (uint32_t x = 0; x < 16; x++) {
                    nf += expect[y][x] && planes[y][x] == VGT_SOFT_CLIP_FAR;
                    np += expect[y][x] && planes[y][x] == VGT_SOFT_CLIP_PLANE(2);
                }
            }
            assert_true(nf > 10 && np > 15 && count[2] > 2);
        }
    }
    assert_true(total[1] > 40 && total[2] > 15);
    tscene_fini(&s);
}

/* A pixel no plane alone removes and two together do, by rounding (a
 * random search found it): the triangle drawn with user plane 0 alone
 * writes pixel (6,9), with plane 1 alone too, with both not (the cut
 * edges, snapped to the subpixel grid, meet differently there than each
 * alone).  The probe records it clipped and names both planes (every
 * plane that cut the triangle), not none. */
static void test_probe_clip_planes_rounding(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    const tvert v[3] = {{-0.345856071f, -0.454701185f, 0.519195616f, 0xffffffffu, 0, 0},
                        {-1.23438692f, -0.100791931f, 0.423511595f, 0xffffffffu, 0, 0},
                        {0.402056932f, 0.212967873f, 0.557893157f, 0xffffffffu, 0, 0}};
    const float planes[2][4] = {{0.87178576f, 0.489887327f, 0.0f, 0.646829665f},
                                {-0.520769477f, 0.85369736f, 0.0f, -0.0235423744f}};
    memcpy(s.st.clip_planes[0], planes[0], sizeof(planes[0]));
    memcpy(s.st.clip_planes[1], planes[1], sizeof(planes[1]));
    pdraw d = {v, 3};
    bool cover[4][16][16];
    for (uint32_t e = 0; e < 4; e++) {
        uint32_t n;
        s.st.clip_plane_enable = e;
        pdraw_cover(&s, &d, cover[e], &n);
    }
    assert_true(cover[0][9][6] && cover[1][9][6] && cover[2][9][6] && !cover[3][9][6]);
    vgt_soft_fragment f[4];
    uint64_t dropped;
    tscene_clear(&s);
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, 6, 9);
    pdraw_draw(&s, &d);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 4, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_CLIPPED);
    assert_int_equal(f[0].clip_planes, VGT_SOFT_CLIP_PLANE(0) | VGT_SOFT_CLIP_PLANE(1));
    tscene_fini(&s);
}

/* The projection of the behind-the-eye tests: w = z, the near plane at
 * w = near (clip z = z - near), the far plane never reached (w - z =
 * near). */
static void eye_projection(tscene *s, float near)
{
    memset(&s->st.projection, 0, sizeof(s->st.projection));
    s->st.projection.m[0][0] = 1.0f;
    s->st.projection.m[1][1] = 1.0f;
    s->st.projection.m[2][2] = 1.0f;
    s->st.projection.m[2][3] = 1.0f;
    s->st.projection.m[3][2] = -near;
}

/* A triangle beyond the far plane whose vertices lie beyond the
 * rasterizer's snapping range (80000 pixels out), and a line across the
 * target beyond it too: its footprint, bounded by the guard band, covers
 * the pixels the same primitive writes at z 0.5 (every pixel for the
 * triangle). */
static void test_probe_clipped_huge(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    for (uint32_t k = 0; k < 2; k++) {
        tvert v[3] = {{-10000.0f, 10000.0f, 0.5f, 0xffffffffu, 0, 0},
                      {10000.0f, 10000.0f, 0.5f, 0xffffffffu, 0, 0},
                      {0.0f, -10000.0f, 0.5f, 0xffffffffu, 0, 0}};
        if (k) {
            v[0] = (tvert){-10000.0f, -2500.0f, 0.5f, 0xffffffffu, 0, 0};
            v[1] = (tvert){10000.0f, 2500.0f, 0.5f, 0xffffffffu, 0, 0};
        }
        uint32_t n = k ? 2 : 3;
        pdraw d = {v, n};
        bool whole[16][16], none[16][16] = {{false}}, expect[16][16];
        uint32_t nwhole;
        pdraw_cover(&s, &d, whole, &nwhole);
        if (!(k ? nwhole >= 16 : nwhole == 256)) {
            fail_msg("huge %u: %u pixels drawn", k, nwhole);
        }
        for (uint32_t i = 0; i < n; i++) {
            v[i].z = 1.5f;
        }
        uint32_t nexp = and_not(whole, none, expect);
        assert_int_equal(
            pdraw_check(&s, &d, expect, VGT_SOFT_FATE_CLIPPED, VGT_SOFT_CLIP_FAR, "huge"), nexp);
    }
    tscene_fini(&s);
}

/* A triangle and a line with a vertex behind the eye (w -1) and the near
 * plane at w 1, crossing it and wholly before it, in solid and wireframe
 * fill: fate clipped exactly where the pixel's view ray meets the part
 * clipping removed in front of the eye: where the primitive draws with
 * the near plane at w 0 and not with it at w 1. */
static void test_probe_clipped_behind_eye(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    const tvert tris[2][3] = {
        /* crossing the near plane: B and C at w 2 */
        {{0.0f, -2.0f, -1.0f, 0xffffffffu, 0, 0},
         {-1.5f, 0.5f, 2.0f, 0xffffffffu, 0, 0},
         {1.5f, 0.5f, 2.0f, 0xffffffffu, 0, 0}},
        /* wholly before it: B and C at w 0.5 */
        {{0.0f, -2.0f, -1.0f, 0xffffffffu, 0, 0},
         {-0.6f, 0.3f, 0.5f, 0xffffffffu, 0, 0},
         {0.6f, 0.2f, 0.5f, 0xffffffffu, 0, 0}},
    };
    const tvert lines[2][2] = {
        {{0.0f, -2.0f, -1.0f, 0xffffffffu, 0, 0}, {0.2f, 0.5f, 2.0f, 0xffffffffu, 0, 0}},
        {{0.0f, -2.0f, -1.0f, 0xffffffffu, 0, 0}, {0.1f, 0.1f, 0.5f, 0xffffffffu, 0, 0}},
    };
    uint32_t total = 0;
    for (uint32_t k = 0; k < 6; k++) {
        uint32_t t = k & 1u;
        uint32_t n = k < 4 ? 3 : 2;
        s.st.fill_mode = k < 2 || k >= 4 ? VGT_SVGA3D_FILLMODE_FILL : VGT_SVGA3D_FILLMODE_LINE;
        pdraw d = {n == 3 ? tris[t] : lines[t], n};
        bool whole[16][16], pieces[16][16], expect[16][16];
        uint32_t nwhole, npieces;
        eye_projection(&s, 0.0f);
        pdraw_cover(&s, &d, whole, &nwhole);
        eye_projection(&s, 1.0f);
        pdraw_cover(&s, &d, pieces, &npieces);
        assert_true(t ? npieces == 0 : npieces > 0);
        uint32_t nexp = and_not(whole, pieces, expect);
        if (nexp == 0) {
            fail_msg("behind the eye, case %u: nothing clipped on screen", k);
        }
        assert_int_equal(pdraw_check(&s, &d, expect, VGT_SOFT_FATE_CLIPPED, VGT_SOFT_CLIP_NEAR,
                                     "behind the eye"),
                         nexp);
        total += nexp;
    }
    assert_true(total > 60);
    /* the crossing triangle with user plane 0 (x >= 0.2) too, solid and
     * wireframe: its part the plane alone keeps has a vertex behind the
     * eye (on the edge to it, w -0.6), which the guard band's planes bound
     * as they bound the footprint; each pixel names the near plane where
     * it does not draw with the near plane at w 1 alone, plane 0 where it
     * does not draw with the plane alone (near plane at w 0) */
    const float plane0[4] = {1.0f, 0.0f, 0.0f, -0.2f};
    memcpy(s.st.clip_planes[0], plane0, sizeof(plane0));
    for (uint32_t k = 0; k < 2; k++) {
        s.st.fill_mode = k ? VGT_SVGA3D_FILLMODE_LINE : VGT_SVGA3D_FILLMODE_FILL;
        pdraw d = {tris[0], 3};
        bool whole[16][16], near_alone[16][16], plane_alone[16][16], both[16][16];
        bool expect[16][16];
        uint32_t nwhole, nnear, nplane, nboth;
        static uint32_t named[16][16];
        s.st.clip_plane_enable = 0;
        eye_projection(&s, 0.0f);
        pdraw_cover(&s, &d, whole, &nwhole);
        eye_projection(&s, 1.0f);
        pdraw_cover(&s, &d, near_alone, &nnear);
        s.st.clip_plane_enable = 1u;
        pdraw_cover(&s, &d, both, &nboth);
        eye_projection(&s, 0.0f);
        pdraw_cover(&s, &d, plane_alone, &nplane);
        eye_projection(&s, 1.0f);
        memset(named, 0, sizeof(named));
        planes_add(whole, near_alone, VGT_SOFT_CLIP_NEAR, named);
        planes_add(whole, plane_alone, VGT_SOFT_CLIP_PLANE(0), named);
        uint32_t nexp = and_not(whole, both, expect);
        uint32_t count[3];
        planes_count(expect, named, count);
        if (count[0] != 0 || count[1] < (k ? 10u : 40u) || count[2] < (k ? 1u : 20u)) {
            fail_msg("behind the eye with plane 0, fill %u: %u %u %u pixels with 0, 1, 2 planes", k,
                     count[0], count[1], count[2]);
        }
        assert_int_equal(pdraw_check_planes(&s, &d, expect, VGT_SOFT_FATE_CLIPPED, named,
                                            "behind the eye, plane 0"),
                         nexp);
    }
    s.st.clip_plane_enable = 0;
    s.st.fill_mode = VGT_SVGA3D_FILLMODE_FILL;
    /* wholly behind the eye: no view ray meets it */
    const tvert behind[3] = {{0.0f, -2.0f, -1.0f, 0xffffffffu, 0, 0},
                             {-1.5f, 0.5f, -0.5f, 0xffffffffu, 0, 0},
                             {1.5f, 0.5f, -2.0f, 0xffffffffu, 0, 0}};
    pdraw d = {behind, 3};
    bool none[16][16] = {{false}};
    s.st.fill_mode = VGT_SVGA3D_FILLMODE_FILL;
    assert_int_equal(pdraw_check(&s, &d, none, VGT_SOFT_FATE_CLIPPED, 0, "behind"), 0);
    tscene_fini(&s);
}

/* A triangle wholly beyond the far plane in wireframe and point fill,
 * and a culled one in both: one fragment, fate clipped or culled,
 * exactly at the pixels its edges (lines) or vertices (points) write at
 * z 0.5 with culling off. */
static void test_probe_point_wire_fill(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    s.st.point_size = 3.0f;
    const float xy[3][2] = {{2.3f, 1.6f}, {13.8f, 6.2f}, {5.1f, 14.7f}};
    uint32_t total = 0;
    for (uint32_t k = 0; k < 4; k++) {
        s.st.fill_mode = k & 1u ? VGT_SVGA3D_FILLMODE_POINT : VGT_SVGA3D_FILLMODE_LINE;
        bool cull = k >= 2;
        tvert flat[3], far[3];
        for (uint32_t i = 0; i < 3; i++) {
            flat[i] = screen_vert(xy[i][0], xy[i][1], 0.5f);
            far[i] = screen_vert(xy[i][0], xy[i][1], 1.5f);
        }
        pdraw dflat = {flat, 3}, dfar = {far, 3};
        const pdraw *dd = cull ? &dflat : &dfar;
        bool whole[16][16], pieces[16][16], expect[16][16];
        uint32_t nwhole, npieces;
        s.st.cull_face = VGT_SVGA3D_FACE_NONE;
        pdraw_cover(&s, &dflat, whole, &nwhole);
        if (cull) {
            /* the triangle is clockwise on screen: front under the default winding */
            s.st.cull_face = VGT_SVGA3D_FACE_FRONT;
        }
        pdraw_cover(&s, dd, pieces, &npieces);
        assert_int_equal(npieces, 0);
        uint32_t nexp = and_not(whole, pieces, expect);
        assert_true(nexp > 8);
        assert_int_equal(pdraw_check(&s, dd, expect,
                                     cull ? VGT_SOFT_FATE_CULLED_FRONT : VGT_SOFT_FATE_CLIPPED,
                                     cull ? 0u : VGT_SOFT_CLIP_FAR, cull ? "culled" : "clipped"),
                         nexp);
        total += nexp;
    }
    assert_true(total > 60);
    tscene_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe_fates),
        cmocka_unit_test(test_probe_primitives_and_bound),
        cmocka_unit_test(test_probe_off_and_unchanged),
        cmocka_unit_test(test_probe_pixel_shader),
        cmocka_unit_test(test_probe_color1),
        cmocka_unit_test(test_probe_culled),
        cmocka_unit_test(test_probe_clear),
        cmocka_unit_test(test_probe_depth_target),
        cmocka_unit_test(test_probe_scissored_lines_points),
        cmocka_unit_test(test_probe_clipped),
        cmocka_unit_test(test_probe_partly_clipped),
        cmocka_unit_test(test_probe_clipped_by_two_planes),
        cmocka_unit_test(test_probe_clipped_far_and_plane),
        cmocka_unit_test(test_probe_clip_planes_rounding),
        cmocka_unit_test(test_probe_clipped_huge),
        cmocka_unit_test(test_probe_clipped_behind_eye),
        cmocka_unit_test(test_probe_point_wire_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
