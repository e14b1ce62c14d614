/* test_soft_probe.c - the fragment probe (vgt_soft_probe_set/_take): every
 * fragment a draw rasterizes at the probed pixel, with its primitive, its
 * colour before blending, its depth and the test that decided its fate, in
 * Direct3D 9's order (scissor, alpha, stencil, depth, write mask). */
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

static uint32_t take(tscene *s, vgt_soft_fragment *f, uint64_t *dropped, uint64_t *unrec)
{
    return vgt_soft_probe_take(s->dev, f, VGT_SOFT_PROBE_MAX, dropped, unrec);
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
    uint64_t dropped = 1, unrec = 1;
    tvert v[9];
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, PX, PY);

    /* 1: depth LESS: t0 (z 0.25) written, t1 (z 0.5) behind it */
    three_tris(v, 0.25f, 0xffff0000u, 0.5f, 0xff00ff00u, 0, 0);
    tscene_use_tverts(&s, v, 6);
    s.st.z_func = VGT_SVGA3D_CMP_LESS;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(take(&s, f, &dropped, &unrec), 2);
    assert_int_equal(dropped, 0);
    assert_int_equal(unrec, 0);
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
    assert_int_equal(take(&s, f, &dropped, &unrec), 2);
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
    assert_int_equal(take(&s, f, &dropped, &unrec), 3);
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
    assert_int_equal(take(&s, f, &dropped, &unrec), 2);
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
    assert_int_equal(take(&s, f, &dropped, &unrec), 0);
    tscene_use_tverts(&s, v, 6);
    /* a scissor holding the pixel: no scissor fate */
    s.st.scissor = (vgt_soft_rect){4, 4, 4, 4};
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped, &unrec), 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_WRITTEN);

    /* 5: COLORWRITEENABLE 0: passed, not written */
    s.st.scissor_enable = false;
    s.st.color_write_mask = 0;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(take(&s, f, &dropped, &unrec), 1);
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
    uint64_t dropped, unrec;
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
    assert_int_equal(take(&s, f, &dropped, &unrec), 1);
    /* triangle 0 (-1,1) (-1,-1) (0,1) covers x + y < 8 (pixel centres); (5,7) is past it */
    assert_int_equal(f[0].primitive, 1);
    assert_int_equal(f[0].fate, VGT_SOFT_FATE_WRITTEN);
    assert_false(f[0].has_depth);
    /* another pixel: triangle 0 */
    vgt_soft_probe_set(s.dev, s.rt, 0, 0, 1, 1);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 4);
    assert_int_equal(take(&s, f, &dropped, &unrec), 1);
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
    assert_int_equal(take(&s, f, &dropped, &unrec), VGT_SOFT_PROBE_MAX);
    assert_int_equal(dropped, 300 - VGT_SOFT_PROBE_MAX);
    assert_int_equal(f[255].primitive, 255);
    assert_color(f[255].color, 0.0f, 0.0f, 1.0f, 1.0f); /* blue 0xff */
    assert_color(f[3].color, 0.0f, 0.0f, 3.0f / 255.0f, 1.0f);
    /* a take of 10: the rest counted */
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 20);
    assert_int_equal(vgt_soft_probe_take(s.dev, f, 10, &dropped, &unrec), 10);
    assert_int_equal(dropped, 10);
    /* the take forgot them */
    assert_int_equal(take(&s, f, &dropped, &unrec), 0);
    assert_int_equal(dropped, 0);
    free(many);
    free(f);
    tscene_fini(&s);
}

/* Off, another image, a pixel-shader draw: nothing recorded (the last
 * counted); the probe changes no pixel. */
static void test_probe_off_and_unchanged(void **state)
{
    (void)state;
    tscene a, b;
    tscene_init(&a, 40, 40, true, 2);
    tscene_init(&b, 40, 40, true, 2);
    vgt_soft_fragment f[4];
    uint64_t dropped, unrec;
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
    assert_int_equal(vgt_soft_probe_take(b.dev, f, 4, &dropped, &unrec), 3);
    for (uint32_t y = 0; y < 40; y++) {
        for (uint32_t x = 0; x < 40; x++) {
            assert_int_equal(tscene_pixel(&a, x, y), tscene_pixel(&b, x, y));
        }
    }
    /* off */
    vgt_soft_probe_set(b.dev, NULL, 0, 0, 17, 20);
    tscene_draw(&b, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    assert_int_equal(vgt_soft_probe_take(b.dev, f, 4, &dropped, &unrec), 0);
    /* another surface (a's target) */
    vgt_soft_probe_set(b.dev, a.rt, 0, 0, 17, 20);
    tscene_draw(&b, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    assert_int_equal(vgt_soft_probe_take(b.dev, f, 4, &dropped, &unrec), 0);
    /* a pixel-shader draw into the probed image: counted, not recorded */
    vgt_soft_shader *ps = test_shader(VGT_SVGA3D_SHADERTYPE_PS, "ps_2_0\nmov oC0, v0\n");
    b.st.ps_program = ps;
    b.st.pixel_shader = 3;
    vgt_soft_probe_set(b.dev, b.rt, 0, 0, 17, 20);
    tscene_draw(&b, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
    assert_int_equal(vgt_soft_probe_take(b.dev, f, 4, &dropped, &unrec), 0);
    assert_int_equal(unrec, 1);
    vgt_soft_shader_destroy(ps);
    tscene_fini(&a);
    tscene_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe_fates),
        cmocka_unit_test(test_probe_primitives_and_bound),
        cmocka_unit_test(test_probe_off_and_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
