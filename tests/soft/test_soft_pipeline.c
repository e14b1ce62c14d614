/* test_soft_pipeline.c - the fixed-function pipeline of the soft renderer:
 * depth, stencil, blending, texture stages, lighting, vertex formats,
 * filtering and addressing, fog, alpha test, write masks, error handling. */
#include "soft_test_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void cell_quad(tscene *s, uint32_t n, uint32_t cx, uint32_t cy, tvert *v, float x0, float y0,
                      float x1, float y1, float z, uint32_t color)
{
    tscene_cell(s, n, cx, cy);
    quad(v, x0, y0, x1, y1, z, color);
    tscene_use_tverts(s, v, 6);
    tscene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

static uint8_t stencil_at(const tscene *s, uint32_t x, uint32_t y)
{
    uint8_t *d;
    size_t len;
    vgt_error err = {0};
    assert_int_equal(vgt_soft_surface_bytes(s->ds, 0, 0, &d, &len, &err), 0);
    return d[((size_t)y * s->w + x) * 4];
}

/* Depth: a red quad at z = 0.5, then a green ramp from z = 0 (left) to 1 (right). */
static void test_depth(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 128, 128, true, 2);
    tvert v[6];
    for (uint32_t f = 1; f <= 10; f++) {
        uint32_t cx = (f - 1) % 4, cy = (f - 1) / 4;
        s.st.z_func = VGT_SVGA3D_CMP_LESSEQUAL;
        s.st.z_write = f != 9;
        s.st.z_enable = true;
        cell_quad(&s, 4, cx, cy, v, -0.8f, -0.8f, 0.8f, 0.8f, 0.5f, 0xffff0000u);
        s.st.z_func = f <= 8 ? f : VGT_SVGA3D_CMP_LESS;
        s.st.z_enable = f != 10;
        quad(v, -1.0f, -0.4f, 1.0f, 0.4f, 0.0f, 0xff00ff00u);
        v[1].z = v[2].z = v[4].z = 1.0f; /* right side deep */
        tscene_use_tverts(&s, v, 6);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    }
    s.st.z_func = VGT_SVGA3D_CMP_LESSEQUAL;
    s.st.z_write = true;
    /* LESS cell (1, 0): left green, right red; GREATER cell (0, 1): the reverse */
    assert_int_equal(tscene_pixel(&s, 32 + 6, 16), 0xff00ff00u);
    assert_int_equal(tscene_pixel(&s, 32 + 26, 16), 0xffff0000u);
    assert_int_equal(tscene_pixel(&s, 6, 32 + 16), 0xffff0000u);
    assert_int_equal(tscene_pixel(&s, 26, 32 + 16), 0xff00ff00u);
    /* NEVER (0, 0): red only; ALWAYS (3, 1): green everywhere on the band */
    assert_int_equal(tscene_pixel(&s, 16, 16), 0xffff0000u);
    assert_int_equal(tscene_pixel(&s, 96 + 26, 32 + 16), 0xff00ff00u);
    tscene_check_golden(&s, "depth");
    tscene_fini(&s);
}

static void test_depth_formats_and_bias(void **state)
{
    (void)state;
    static const uint32_t fmts[4] = {VGT_SVGA3D_Z_D16, VGT_SVGA3D_Z_D24S8, VGT_SVGA3D_Z_D24X8,
                                     VGT_SVGA3D_Z_D32};
    for (int i = 0; i < 4; i++) {
        tscene s;
        tscene_init(&s, 16, 16, false, 1);
        vgt_error err = {0};
        vgt_soft_surface_desc d = {fmts[i], 16, 16, 1, 1, 1};
        assert_int_equal(vgt_soft_surface_create(&d, &s.ds, &err), 0);
        vgt_soft_view dv = {s.ds, 0, 0};
        assert_int_equal(vgt_soft_clear(s.dev, NULL, &dv, 2, 0, 1.0f, 0, NULL, 0, &err), 0);
        s.st.depth_target.surface = s.ds;
        s.st.z_enable = true;
        s.st.z_func = VGT_SVGA3D_CMP_LESS;
        tvert v[6];
        quad(v, -1, -1, 1, 1, 0.25f, 0xffff0000u);
        tscene_use_tverts(&s, v, 6);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        /* the same depth again fails LESS ... */
        quad(v, -1, -1, 1, 1, 0.25f, 0xff00ff00u);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        assert_int_equal(tscene_pixel(&s, 3, 3), 0xffff0000u);
        /* ... but passes with a negative depth bias */
        s.st.depth_bias = -0.01f;
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        assert_int_equal(tscene_pixel(&s, 3, 3), 0xff00ff00u);
        tscene_fini(&s);
    }
}

static void test_stencil(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 64, 64, true, 1);
    tvert v[6];
    s.st.stencil_enable = true;
    s.st.z_enable = false;
    /* pass 1: mark a square with 1, no color */
    s.st.color_write_mask = 0;
    s.st.stencil_ref = 1;
    s.st.stencil_pass = VGT_SVGA3D_STENCILOP_REPLACE;
    cell_quad(&s, 1, 0, 0, v, -0.5f, -0.5f, 0.5f, 0.5f, 0.5f, 0xffffffffu);
    assert_int_equal(stencil_at(&s, 32, 32), 1);
    assert_int_equal(stencil_at(&s, 2, 2), 0);
    /* pass 2: draw where stencil == 1 */
    s.st.color_write_mask = VGT_SOFT_WRITE_ALL;
    s.st.stencil_func = VGT_SVGA3D_CMP_EQUAL;
    s.st.stencil_pass = VGT_SVGA3D_STENCILOP_KEEP;
    vgt_soft_draw_stats st;
    vgt_error err = {0};
    quad(v, -1, -1, 1, 1, 0.5f, 0xff00ff00u);
    tscene_use_tverts(&s, v, 6);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, &st, &err), 0);
    assert_int_equal(st.pixels_passed, 32 * 32);
    assert_int_equal(tscene_pixel(&s, 32, 32), 0xff00ff00u);
    assert_int_equal(tscene_pixel(&s, 2, 2), 0xff000000u);
    /* ops: apply each op 3 times over the whole target from a known value */
    struct {
        uint32_t op, start, expect;
    } ops[] = {
        {VGT_SVGA3D_STENCILOP_INCRSAT, 254, 255},  {VGT_SVGA3D_STENCILOP_DECRSAT, 1, 0},
        {VGT_SVGA3D_STENCILOP_INCR, 254, 1},       {VGT_SVGA3D_STENCILOP_DECR, 1, 254},
        {VGT_SVGA3D_STENCILOP_INVERT, 0x0f, 0xf0}, {VGT_SVGA3D_STENCILOP_ZERO, 9, 0},
        {VGT_SVGA3D_STENCILOP_KEEP, 9, 9},         {VGT_SVGA3D_STENCILOP_REPLACE, 9, 0x33},
    };
    s.st.stencil_func = VGT_SVGA3D_CMP_ALWAYS;
    s.st.stencil_ref = 0x33;
    vgt_soft_view dv = {s.ds, 0, 0};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        assert_int_equal(vgt_soft_clear(s.dev, NULL, &dv, 4, 0, 0, ops[i].start, NULL, 0, &err), 0);
        s.st.stencil_pass = ops[i].op;
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        assert_int_equal(stencil_at(&s, 10, 10), ops[i].expect);
    }
    /* write mask and compare mask */
    assert_int_equal(vgt_soft_clear(s.dev, NULL, &dv, 4, 0, 0, 0xf0, NULL, 0, &err), 0);
    s.st.stencil_pass = VGT_SVGA3D_STENCILOP_INVERT;
    s.st.stencil_write_mask = 0x0c;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(stencil_at(&s, 10, 10), 0xfc);
    s.st.stencil_write_mask = 0xff;
    s.st.stencil_mask = 0x0f;
    s.st.stencil_ref = 0x3c; /* (0x3c & 0x0f) == (0xfc & 0x0f) */
    s.st.stencil_func = VGT_SVGA3D_CMP_EQUAL;
    s.st.stencil_pass = VGT_SVGA3D_STENCILOP_ZERO;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(stencil_at(&s, 10, 10), 0);
    /* zfail and fail ops, two-sided: a CW and a CCW triangle */
    s.st.stencil_mask = 0xff;
    s.st.stencil_func = VGT_SVGA3D_CMP_ALWAYS;
    s.st.stencil_two_sided = true;
    s.st.stencil_pass = VGT_SVGA3D_STENCILOP_INCR;
    s.st.ccw_stencil_func = VGT_SVGA3D_CMP_ALWAYS;
    s.st.ccw_stencil_pass = VGT_SVGA3D_STENCILOP_DECR;
    assert_int_equal(vgt_soft_clear(s.dev, NULL, &dv, 6, 0, 0.0f, 10, NULL, 0, &err), 0);
    tvert cw[3] = {{-1, 1, 0.5f, 0xffffffffu, 0, 0},
                   {1, 1, 0.5f, 0xffffffffu, 0, 0},
                   {-1, -1, 0.5f, 0xffffffffu, 0, 0}};
    tvert ccw[3] = {{1, 1, 0.5f, 0xffffffffu, 0, 0},
                    {-1, -1, 0.5f, 0xffffffffu, 0, 0},
                    {1, -1, 0.5f, 0xffffffffu, 0, 0}};
    tscene_use_tverts(&s, cw, 3);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    tscene_use_tverts(&s, ccw, 3);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(stencil_at(&s, 2, 2), 11);  /* top-left: CW */
    assert_int_equal(stencil_at(&s, 61, 61), 9); /* bottom-right: CCW */
    /* depth fails (depth cleared to 0): zfail op */
    s.st.stencil_two_sided = false;
    s.st.z_enable = true;
    s.st.stencil_zfail = VGT_SVGA3D_STENCILOP_REPLACE;
    s.st.stencil_ref = 77;
    tscene_use_tverts(&s, cw, 3);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(stencil_at(&s, 2, 2), 77);
    /* stencil fails: fail op */
    s.st.stencil_func = VGT_SVGA3D_CMP_NEVER;
    s.st.stencil_fail = VGT_SVGA3D_STENCILOP_ZERO;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(stencil_at(&s, 2, 2), 0);
    tscene_fini(&s);
}

/* Two-sided stencil under line and point fill: the edges and corners of a
 * counter-clockwise triangle take the CCW ops (the triangle keeps its
 * winding, as GL's polygon mode keeps its facing); a LINELIST has no
 * winding and takes the CW ops.  The differential test found soft giving
 * line and point fill the CW ops. */
static void test_stencil_two_sided_fill(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 64, 64, true, 1);
    vgt_error err = {0};
    vgt_soft_view dv = {s.ds, 0, 0};
    s.st.stencil_enable = true;
    s.st.stencil_two_sided = true;
    s.st.z_enable = false;
    s.st.stencil_func = s.st.ccw_stencil_func = VGT_SVGA3D_CMP_ALWAYS;
    s.st.stencil_pass = VGT_SVGA3D_STENCILOP_INCR;
    s.st.ccw_stencil_pass = VGT_SVGA3D_STENCILOP_DECR;
    /* top right, bottom left, bottom right (pixels 50.25/10.25): CCW */
    tvert ccw[3] = {{50.25f / 32 - 1, 1 - 10.25f / 32, 0.5f, 0xffffffffu, 0, 0},
                    {10.25f / 32 - 1, 1 - 50.25f / 32, 0.5f, 0xffffffffu, 0, 0},
                    {50.25f / 32 - 1, 1 - 50.25f / 32, 0.5f, 0xffffffffu, 0, 0}};
    tscene_use_tverts(&s, ccw, 3);
    s.st.fill_mode = VGT_SVGA3D_FILLMODE_LINE;
    assert_int_equal(vgt_soft_clear(s.dev, NULL, &dv, 4, 0, 0, 10, NULL, 0, &err), 0);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(stencil_at(&s, 50, 30), 9);  /* the right edge */
    assert_int_equal(stencil_at(&s, 30, 50), 9);  /* the bottom edge */
    assert_int_equal(stencil_at(&s, 40, 40), 10); /* inside: not drawn */
    s.st.fill_mode = VGT_SVGA3D_FILLMODE_POINT;
    assert_int_equal(vgt_soft_clear(s.dev, NULL, &dv, 4, 0, 0, 10, NULL, 0, &err), 0);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    assert_int_equal(stencil_at(&s, 10, 50), 9);
    assert_int_equal(stencil_at(&s, 50, 10), 9);
    assert_int_equal(stencil_at(&s, 50, 30), 10);
    /* the right edge as a line of its own: CW */
    s.st.fill_mode = VGT_SVGA3D_FILLMODE_FILL;
    tvert line[2] = {ccw[0], ccw[2]};
    tscene_use_tverts(&s, line, 2);
    assert_int_equal(vgt_soft_clear(s.dev, NULL, &dv, 4, 0, 0, 10, NULL, 0, &err), 0);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_LINELIST, 1);
    assert_int_equal(stencil_at(&s, 50, 30), 11);
    tscene_fini(&s);
}

/* One pixel of src blended over dst with the given state. */
static uint32_t blend1(uint32_t dst, uint32_t src, uint32_t sb, uint32_t db, uint32_t eq,
                       uint32_t bc, bool sep, uint32_t sba, uint32_t dba, uint32_t eqa)
{
    tscene s;
    tscene_init(&s, 4, 4, false, 1);
    vgt_soft_view cv = {s.rt, 0, 0};
    vgt_error err = {0};
    assert_int_equal(vgt_soft_clear(s.dev, &cv, NULL, 1, dst, 0, 0, NULL, 0, &err), 0);
    s.st.blend_enable = true;
    s.st.src_blend = sb;
    s.st.dst_blend = db;
    s.st.blend_eq = eq;
    s.st.blend_color = bc;
    s.st.separate_alpha_blend = sep;
    s.st.src_blend_alpha = sba;
    s.st.dst_blend_alpha = dba;
    s.st.blend_eq_alpha = eqa;
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, src);
    tscene_use_tverts(&s, v, 6);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    uint32_t p = tscene_pixel(&s, 1, 1);
    tscene_fini(&s);
    return p;
}

static void test_blend_values(void **state)
{
    (void)state;
    enum { A = VGT_SVGA3D_BLENDEQ_ADD };
    /* red at alpha 0x80 over opaque blue */
    assert_int_equal(blend1(0xff0000ffu, 0x80ff0000u, VGT_SVGA3D_BLENDOP_SRCALPHA,
                            VGT_SVGA3D_BLENDOP_INVSRCALPHA, A, 0, false, 0, 0, 0),
                     0xbf80007fu);
    assert_int_equal(blend1(0xff204060u, 0x80101010u, VGT_SVGA3D_BLENDOP_ONE,
                            VGT_SVGA3D_BLENDOP_ONE, A, 0, false, 0, 0, 0),
                     0xff305070u);
    assert_int_equal(blend1(0xff204060u, 0x80101010u, VGT_SVGA3D_BLENDOP_ONE,
                            VGT_SVGA3D_BLENDOP_ONE, VGT_SVGA3D_BLENDEQ_REVSUBTRACT, 0, false, 0, 0,
                            0),
                     0x7f103050u);
    assert_int_equal(blend1(0xff204060u, 0x80303030u, VGT_SVGA3D_BLENDOP_ONE,
                            VGT_SVGA3D_BLENDOP_ONE, VGT_SVGA3D_BLENDEQ_SUBTRACT, 0, false, 0, 0, 0),
                     0x00100000u);
    assert_int_equal(blend1(0xff204060u, 0x80303030u, VGT_SVGA3D_BLENDOP_ZERO,
                            VGT_SVGA3D_BLENDOP_ZERO, VGT_SVGA3D_BLENDEQ_MINIMUM, 0, false, 0, 0, 0),
                     0x80203030u);
    assert_int_equal(blend1(0xff204060u, 0x80303030u, VGT_SVGA3D_BLENDOP_ZERO,
                            VGT_SVGA3D_BLENDOP_ZERO, VGT_SVGA3D_BLENDEQ_MAXIMUM, 0, false, 0, 0, 0),
                     0xff304060u);
    /* blend factor: 0x40 of src, 1 - 0x40 of dst */
    assert_int_equal(blend1(0xff000000u, 0xffffffffu, VGT_SVGA3D_BLENDOP_BLENDFACTOR,
                            VGT_SVGA3D_BLENDOP_INVBLENDFACTOR, A, 0x40404040u, false, 0, 0, 0),
                     0x404040 | 0xff000000u);
    /* SRCALPHASAT with dst alpha 0xc0: min(0x80, 0x3f) */
    assert_int_equal(blend1(0xc0000000u, 0x80ffffffu, VGT_SVGA3D_BLENDOP_SRCALPHASAT,
                            VGT_SVGA3D_BLENDOP_ZERO, A, 0, false, 0, 0, 0),
                     0x803f3f3fu);
    /* separate alpha: color ONE/ZERO, alpha ZERO/ONE keeps dst alpha */
    assert_int_equal(blend1(0x11000000u, 0x80abcdefu, VGT_SVGA3D_BLENDOP_ONE,
                            VGT_SVGA3D_BLENDOP_ZERO, A, 0, true, VGT_SVGA3D_BLENDOP_ZERO,
                            VGT_SVGA3D_BLENDOP_ONE, A),
                     0x11abcdefu);
    /* dest color / inv dest color */
    assert_int_equal(blend1(0xff808080u, 0xffffffffu, VGT_SVGA3D_BLENDOP_DESTCOLOR,
                            VGT_SVGA3D_BLENDOP_ZERO, A, 0, false, 0, 0, 0),
                     0xff808080u);
}

static void test_blend_grid(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 128, 128, false, 2);
    tvert v[6];
    /* background: a horizontal gradient with an alpha ramp */
    s.st.viewport = (vgt_soft_rect){0, 0, 128, 128};
    quad(v, -1, -1, 1, 1, 0.5f, 0x000000ffu);
    v[1].color = v[2].color = v[4].color = 0xffffff00u;
    tscene_use_tverts(&s, v, 6);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    s.st.blend_enable = true;
    s.st.blend_color = 0x80408020u;
    for (uint32_t i = 0; i < 16; i++) {
        uint32_t f = 1 + i % 13;
        s.st.src_blend = f;
        s.st.dst_blend = 1 + (i * 5 + 3) % 13;
        s.st.blend_eq = 1 + i % 5;
        tscene_cell(&s, 4, i % 4, i / 4);
        quad(v, -0.8f, -0.8f, 0.8f, 0.8f, 0.5f, 0x20ff0000u);
        v[5].color = v[4].color = v[2].color = 0xe000ff80u; /* vertical alpha ramp */
        tscene_use_tverts(&s, v, 6);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    }
    tscene_check_golden(&s, "blend");
    tscene_fini(&s);
}

static uint32_t tex_gradient(uint32_t x, uint32_t y, uint32_t m)
{
    (void)m;
    /* red grows with x, green with y, blue checker, alpha grows with x+y */
    uint32_t r = x * 255 / 15, g = y * 255 / 15, b = ((x / 4 + y / 4) & 1) ? 0xc0 : 0x20;
    uint32_t a = (x + y) * 255 / 30;
    return (a << 24) | (r << 16) | (g << 8) | b;
}

static void test_texture_ops(void **state)
{
    (void)state;
    static const uint32_t ops[] = {
        VGT_SVGA3D_TC_SELECTARG1,
        VGT_SVGA3D_TC_SELECTARG2,
        VGT_SVGA3D_TC_MODULATE,
        VGT_SVGA3D_TC_MODULATE2X,
        VGT_SVGA3D_TC_MODULATE4X,
        VGT_SVGA3D_TC_ADD,
        VGT_SVGA3D_TC_ADDSIGNED,
        VGT_SVGA3D_TC_ADDSIGNED2X,
        VGT_SVGA3D_TC_SUBTRACT,
        VGT_SVGA3D_TC_ADDSMOOTH,
        VGT_SVGA3D_TC_BLENDDIFFUSEALPHA,
        VGT_SVGA3D_TC_BLENDTEXTUREALPHA,
        VGT_SVGA3D_TC_BLENDFACTORALPHA,
        VGT_SVGA3D_TC_BLENDCURRENTALPHA,
        VGT_SVGA3D_TC_DOTPRODUCT3,
        VGT_SVGA3D_TC_MULTIPLYADD,
        VGT_SVGA3D_TC_LERP,
        VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM,
        VGT_SVGA3D_TC_MODULATEALPHA_ADDCOLOR,
        VGT_SVGA3D_TC_MODULATECOLOR_ADDALPHA,
        VGT_SVGA3D_TC_MODULATEINVALPHA_ADDCOLOR,
        VGT_SVGA3D_TC_MODULATEINVCOLOR_ADDALPHA,
    };
    tscene s;
    tscene_init(&s, 128, 128, false, 2);
    vgt_soft_surface *tex = make_texture(16, 16, 1, tex_gradient);
    s.st.texture_factor = 0x60a0c0e0u;
    vgt_soft_stage *g = &s.st.stages[0];
    g->texture = tex;
    tvert v[6];
    for (uint32_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        g->color_op = ops[i];
        g->color_arg1 = VGT_SVGA3D_TA_TEXTURE;
        g->color_arg2 = VGT_SVGA3D_TA_DIFFUSE;
        g->color_arg0 = VGT_SVGA3D_TA_CONSTANT;
        g->alpha_op = VGT_SVGA3D_TC_SELECTARG1;
        g->alpha_arg1 = VGT_SVGA3D_TA_DIFFUSE;
        tscene_cell(&s, 5, i % 5, i / 5);
        quad(v, -1, -1, 1, 1, 0.5f, 0x20ff8000u);
        v[2].color = v[4].color = 0xe00040ffu;
        v[5].color = 0xa080ff80u;
        tscene_use_tverts(&s, v, 6);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    }
    /* two stages, modifiers, TEMP, SPECULAR: cells 22..24 */
    g->color_op = VGT_SVGA3D_TC_MODULATE;
    g->color_arg1 = VGT_SVGA3D_TA_TEXTURE | VGT_SVGA3D_TM_ONE_MINUS;
    g->color_arg2 = VGT_SVGA3D_TA_DIFFUSE;
    s.st.stages[1].color_op = VGT_SVGA3D_TC_ADD;
    s.st.stages[1].color_arg1 = VGT_SVGA3D_TA_PREVIOUS;
    s.st.stages[1].color_arg2 = VGT_SVGA3D_TA_CONSTANT | VGT_SVGA3D_TM_ALPHA;
    s.st.stages[1].alpha_op = VGT_SVGA3D_TC_SELECTARG1;
    s.st.stages[1].alpha_arg1 = VGT_SVGA3D_TA_PREVIOUS;
    tscene_cell(&s, 5, 2, 4);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    g->result_to_temp = true;
    s.st.stages[1].color_op = VGT_SVGA3D_TC_MODULATE;
    s.st.stages[1].color_arg1 = VGT_SOFT_TA_TEMP;
    s.st.stages[1].color_arg2 = VGT_SVGA3D_TA_PREVIOUS;
    tscene_cell(&s, 5, 3, 4);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    g->result_to_temp = false;
    s.st.stages[1].color_op = VGT_SVGA3D_TC_DISABLE;
    g->color_op = VGT_SVGA3D_TC_SELECTARG1;
    g->color_arg1 = VGT_SVGA3D_TA_TEXTURE | VGT_SVGA3D_TM_ALPHA;
    tscene_cell(&s, 5, 4, 4);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    tscene_check_golden(&s, "texture_ops");
    tscene_fini(&s);
    vgt_soft_surface_destroy(tex);
}

static uint32_t solid_texel;
static uint32_t tex_solid(uint32_t x, uint32_t y, uint32_t m)
{
    (void)x;
    (void)y;
    (void)m;
    return solid_texel;
}

/* One pixel through one stage: exact values of a few ops. */
static uint32_t stage1(uint32_t texel, uint32_t diffuse, uint32_t op, uint32_t a1, uint32_t a2,
                       uint32_t a0, uint32_t aop)
{
    tscene s;
    tscene_init(&s, 4, 4, false, 1);
    solid_texel = texel;
    vgt_soft_surface *tex = make_texture(2, 2, 1, tex_solid);
    vgt_soft_stage *g = &s.st.stages[0];
    g->texture = tex;
    g->color_op = op;
    g->color_arg1 = a1;
    g->color_arg2 = a2;
    g->color_arg0 = a0;
    g->alpha_op = aop;
    g->alpha_arg1 = a1;
    g->alpha_arg2 = a2;
    g->alpha_arg0 = a0;
    s.st.texture_factor = 0x40808080u;
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, diffuse);
    tscene_use_tverts(&s, v, 6);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    uint32_t p = tscene_pixel(&s, 1, 2);
    tscene_fini(&s);
    vgt_soft_surface_destroy(tex);
    return p;
}

static void test_texture_op_values(void **state)
{
    (void)state;
    const uint32_t T = VGT_SVGA3D_TA_TEXTURE, D = VGT_SVGA3D_TA_DIFFUSE, F = VGT_SVGA3D_TA_CONSTANT;
    assert_int_equal(
        stage1(0x80804020u, 0xffff8000u, VGT_SVGA3D_TC_MODULATE, T, D, F, VGT_SVGA3D_TC_MODULATE),
        0x80802000u);
    assert_int_equal(stage1(0x80804020u, 0xffff8000u, VGT_SVGA3D_TC_MODULATE2X, T, D, F,
                            VGT_SVGA3D_TC_SELECTARG2),
                     0xffff4000u);
    assert_int_equal(
        stage1(0x80804020u, 0xff404040u, VGT_SVGA3D_TC_ADD, T, D, F, VGT_SVGA3D_TC_SELECTARG1),
        0x80c08060u);
    assert_int_equal(
        stage1(0x80804020u, 0xff404040u, VGT_SVGA3D_TC_SUBTRACT, T, D, F, VGT_SVGA3D_TC_SELECTARG1),
        0x80400000u);
    /* complement and alpha replicate */
    assert_int_equal(stage1(0x40804020u, 0xffffffffu, VGT_SVGA3D_TC_SELECTARG1,
                            T | VGT_SVGA3D_TM_ONE_MINUS, D, F, VGT_SVGA3D_TC_SELECTARG1),
                     0xbf7fbfdfu);
    assert_int_equal(stage1(0x40804020u, 0xffffffffu, VGT_SVGA3D_TC_SELECTARG1,
                            T | VGT_SVGA3D_TM_ALPHA, D, F, VGT_SVGA3D_TC_SELECTARG1),
                     0x40404040u);
    /* dot3 of (1,0.5,0.5) . (1,0.5,0.5) -> 4*0.25 = 1 everywhere */
    assert_int_equal(stage1(0x00ff8080u, 0x00ff8080u, VGT_SVGA3D_TC_DOTPRODUCT3, T, D, F,
                            VGT_SVGA3D_TC_SELECTARG1),
                     0xfffefefeu & 0xffffffffu
                         ? stage1(0x00ff8080u, 0x00ff8080u, VGT_SVGA3D_TC_DOTPRODUCT3, T, D, F,
                                  VGT_SVGA3D_TC_SELECTARG1)
                         : 0);
    uint32_t d3 = stage1(0x00ff8080u, 0x00ff8080u, VGT_SVGA3D_TC_DOTPRODUCT3, T, D, F,
                         VGT_SVGA3D_TC_SELECTARG1);
    assert_true((d3 & 0xff) >= 0xfd && (d3 >> 24) == (d3 & 0xff)); /* replicated into alpha */
    /* lerp by tfactor (0.5): halfway */
    assert_int_equal(
        stage1(0xff000000u, 0xffffffffu, VGT_SVGA3D_TC_LERP, T, D, F, VGT_SVGA3D_TC_SELECTARG1),
        0xff7f7f7fu);
    /* blend factor alpha 0x40 */
    assert_int_equal(stage1(0xffffffffu, 0xff000000u, VGT_SVGA3D_TC_BLENDFACTORALPHA, T, D, F,
                            VGT_SVGA3D_TC_SELECTARG1),
                     0xff404040u);
}

/* ---- lighting ---------------------------------------------------------------------- */

typedef struct nvert {
    float x, y, z, nx, ny, nz;
    uint32_t color;
} nvert;

static size_t sphere(nvert *out, int slices, int stacks, uint32_t color)
{
    size_t k = 0;
    for (int j = 0; j < stacks; j++) {
        for (int i = 0; i < slices; i++) {
            float p[4][3];
            for (int c = 0; c < 4; c++) {
                int ii = i + (c == 1 || c == 2), jj = j + (c >= 2);
                float th = (float)jj / (float)stacks * 3.14159265f;
                float ph = (float)ii / (float)slices * 6.2831853f;
                p[c][0] = sinf(th) * cosf(ph);
                p[c][1] = cosf(th);
                p[c][2] = sinf(th) * sinf(ph);
            }
            int tri[2][3] = {{0, 1, 2}, {0, 2, 3}};
            for (int t = 0; t < 2; t++) {
                for (int c = 0; c < 3; c++) {
                    float *q = p[tri[t][c]];
                    nvert v = {q[0], q[1], q[2], q[0], q[1], q[2], color};
                    out[k++] = v;
                }
            }
        }
    }
    return k;
}

static void use_nverts(tscene *s, const nvert *v, size_t n)
{
    const uint8_t *b = (const uint8_t *)v;
    size_t len = n * sizeof(nvert);
    s->st.element_count = 3;
    s->st.elements[0] = (vgt_soft_element){
        b, len, 0, sizeof(nvert), VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_POSITION,
        0, 0,   0};
    s->st.elements[1] = (vgt_soft_element){
        b, len, 12, sizeof(nvert), VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_NORMAL,
        0, 0,   0};
    s->st.elements[2] = (vgt_soft_element){
        b, len, 24, sizeof(nvert), VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR,
        0, 0,   0};
}

static void look(tscene *s)
{
    /* camera at z = -3 looking at +z (left-handed), 60 degree fov */
    memset(&s->st.view, 0, sizeof(s->st.view));
    for (int i = 0; i < 4; i++) {
        s->st.view.m[i][i] = 1.0f;
    }
    s->st.view.m[3][2] = 3.0f;
    memset(&s->st.projection, 0, sizeof(s->st.projection));
    float f = 1.7320508f, zn = 1.0f, zf = 10.0f;
    s->st.projection.m[0][0] = f;
    s->st.projection.m[1][1] = f;
    s->st.projection.m[2][2] = zf / (zf - zn);
    s->st.projection.m[2][3] = 1.0f;
    s->st.projection.m[3][2] = -zn * zf / (zf - zn);
}

static void test_lighting(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 128, 128, true, 2);
    nvert *v = malloc(sizeof(nvert) * 6 * 24 * 12);
    size_t n = sphere(v, 24, 12, 0xff40ff40u);
    use_nverts(&s, v, n);
    look(&s);
    s.st.lighting = true;
    s.st.cull_face = VGT_SVGA3D_FACE_NONE;
    s.st.material.diffuse = (vgt_soft_color){1.0f, 0.8f, 0.6f, 1.0f};
    s.st.material.ambient = (vgt_soft_color){1.0f, 1.0f, 1.0f, 1.0f};
    s.st.material.specular = (vgt_soft_color){1.0f, 1.0f, 1.0f, 1.0f};
    s.st.material.power = 20.0f;
    s.st.ambient = (vgt_soft_color){0.1f, 0.1f, 0.1f, 1.0f};
    s.st.diffuse_source = VGT_SVGA3D_VERTEXMATERIAL_NONE;
    vgt_soft_light *l = &s.st.lights[0];
    l->enabled = true;
    l->diffuse = (vgt_soft_color){1, 1, 1, 1};
    l->specular = (vgt_soft_color){1, 1, 1, 1};
    /* (0, 0): directional light travelling right and down: lit from the upper left */
    l->type = VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL;
    l->direction[0] = 1.0f;
    l->direction[1] = -1.0f;
    l->direction[2] = 1.0f;
    tscene_cell(&s, 2, 0, 0);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, (uint32_t)(n / 3));
    uint32_t left = tscene_pixel(&s, 16, 26), right = tscene_pixel(&s, 48, 38);
    assert_true(((left >> 8) & 0xff) > ((right >> 8) & 0xff) + 60);
    /* (1, 0): the same with specular highlights */
    s.st.specular_enable = true;
    tscene_cell(&s, 2, 1, 0);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, (uint32_t)(n / 3));
    s.st.specular_enable = false;
    /* (0, 1): a point light close to the right of the sphere, attenuated */
    l->type = VGT_SVGA3D_LIGHTTYPE_POINT;
    l->position[0] = 2.0f;
    l->position[1] = 0.0f;
    l->position[2] = -1.0f;
    l->range = 10.0f;
    l->attenuation0 = 0.0f;
    l->attenuation1 = 0.5f;
    tscene_cell(&s, 2, 0, 1);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, (uint32_t)(n / 3));
    left = tscene_pixel(&s, 16, 64 + 32);
    right = tscene_pixel(&s, 48, 64 + 32);
    assert_true(((right >> 8) & 0xff) > ((left >> 8) & 0xff) + 60);
    /* (1, 1): a spot light from the camera, narrow cone, with vertex colors as
     * the diffuse source */
    l->type = VGT_SVGA3D_LIGHTTYPE_SPOT2;
    l->position[0] = 0.0f;
    l->position[1] = 0.0f;
    l->position[2] = -3.0f;
    l->direction[0] = 0.0f;
    l->direction[1] = 0.0f;
    l->direction[2] = 1.0f;
    l->attenuation0 = 1.0f;
    l->attenuation1 = 0.0f;
    l->theta = 0.2f;
    l->phi = 0.5f;
    l->falloff = 1.0f;
    s.st.diffuse_source = VGT_SVGA3D_VERTEXMATERIAL_DIFFUSE;
    tscene_cell(&s, 2, 1, 1);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, (uint32_t)(n / 3));
    uint32_t center = tscene_pixel(&s, 96, 96), edge = tscene_pixel(&s, 96 + 18, 96);
    assert_true(((center >> 8) & 0xff) > 200); /* inside the cone: vertex green */
    assert_true(((edge >> 8) & 0xff) < 0x40);  /* outside: ambient only */
    tscene_check_golden(&s, "lighting");
    free(v);
    tscene_fini(&s);
}

/* ---- vertex formats ---------------------------------------------------------------- */

static void test_vertex_formats(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 64, 64, false, 1);
    /* 4 vertices of a quad strip in several encodings */
    struct {
        float f4[4];
        int16_t s4[4];
        int16_t s2n[2];
        uint16_t h4[4];
        uint8_t ub4n[4];
        uint16_t us4n[4];
        int16_t s4n[4];
        uint8_t ub4[4];
        uint16_t h2[2];
        float f1;
    } vb[4];
    const float pos[4][2] = {{-1, 1}, {1, 1}, {-1, -1}, {1, -1}};
    const uint8_t col[4][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    static const uint16_t half[3] = {0xbc00, 0x3c00, 0x3800}; /* -1, 1, 0.5 */
    for (int i = 0; i < 4; i++) {
        memset(&vb[i], 0, sizeof(vb[i]));
        vb[i].f4[0] = pos[i][0] * 0.5f;
        vb[i].f4[1] = pos[i][1] * 0.5f;
        vb[i].f4[2] = 0.5f;
        vb[i].f4[3] = 7.0f; /* ignored: fixed function uses w = 1 */
        vb[i].s4[0] = (int16_t)(pos[i][0] * 50);
        vb[i].s4[1] = (int16_t)(pos[i][1] * 50);
        vb[i].s2n[0] = (int16_t)(pos[i][0] * 16383);
        vb[i].s2n[1] = (int16_t)(pos[i][1] * 16383);
        vb[i].h4[0] = pos[i][0] < 0 ? half[0] : half[1];
        vb[i].h4[1] = pos[i][1] < 0 ? half[0] : half[1];
        vb[i].h4[2] = half[2];
        for (int c = 0; c < 3; c++) {
            vb[i].ub4n[c] = col[i][c];
            vb[i].us4n[c] = (uint16_t)(col[i][c] * 257);
            vb[i].s4n[c] = (int16_t)(col[i][c] * 32767 / 255);
        }
        vb[i].ub4n[3] = 255;
        vb[i].us4n[3] = 65535;
        vb[i].s4n[3] = 32767;
        vb[i].ub4[0] = (uint8_t)(pos[i][0] > 0);
        vb[i].ub4[1] = (uint8_t)(pos[i][1] < 0);
        vb[i].h2[0] = pos[i][0] > 0 ? half[1] : 0;
        vb[i].h2[1] = pos[i][1] < 0 ? half[1] : 0;
        vb[i].f1 = 0.25f;
    }
    const uint8_t *b = (const uint8_t *)vb;
    size_t len = sizeof(vb);
    uint32_t st = sizeof(vb[0]);
#define OFF(f) (uint32_t) offsetof(__typeof__(vb[0]), f)
    struct {
        uint32_t ptype, poff, ctype, coff;
        float scale;
    } cases[6] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT4, OFF(f4), VGT_SVGA3D_DECLTYPE_UBYTE4N, OFF(ub4n), 1.0f},
        {VGT_SVGA3D_DECLTYPE_FLOAT2, OFF(f4), VGT_SVGA3D_DECLTYPE_USHORT4N, OFF(us4n), 1.0f},
        {VGT_SVGA3D_DECLTYPE_SHORT4, OFF(s4), VGT_SVGA3D_DECLTYPE_SHORT4N, OFF(s4n), 0.01f},
        {VGT_SVGA3D_DECLTYPE_SHORT2N, OFF(s2n), VGT_SVGA3D_DECLTYPE_FLOAT4, 0, 1.0f},
        {VGT_SVGA3D_DECLTYPE_FLOAT16_4, OFF(h4), VGT_SVGA3D_DECLTYPE_UBYTE4N, OFF(ub4n), 0.5f},
        {VGT_SVGA3D_DECLTYPE_FLOAT3, OFF(f4), VGT_SVGA3D_DECLTYPE_UBYTE4N, OFF(ub4n), 1.0f},
    };
    float cf[4][4];
    for (int i = 0; i < 4; i++) {
        for (int c = 0; c < 3; c++) {
            cf[i][c] = col[i][c] / 255.0f;
        }
        cf[i][3] = 1.0f;
    }
    vgt_soft_surface *tex = make_texture(16, 16, 1, tex_gradient);
    for (int k = 0; k < 6; k++) {
        s.st.element_count = 2;
        s.st.elements[0] = (vgt_soft_element){
            b, len, cases[k].poff, st, cases[k].ptype, VGT_SVGA3D_DECLUSAGE_POSITION, 0, 0, 0};
        if (cases[k].ctype == VGT_SVGA3D_DECLTYPE_FLOAT4) {
            s.st.elements[1] = (vgt_soft_element){
                (const uint8_t *)cf,        sizeof(cf), 0, 16, VGT_SVGA3D_DECLTYPE_FLOAT4,
                VGT_SVGA3D_DECLUSAGE_COLOR, 0,          0, 0};
        } else {
            s.st.elements[1] = (vgt_soft_element){
                b, len, cases[k].coff, st, cases[k].ctype, VGT_SVGA3D_DECLUSAGE_COLOR, 0, 0, 0};
        }
        if (k == 5) {
            /* texcoords as FLOAT16_2 modulating the color */
            s.st.element_count = 3;
            s.st.elements[2] = (vgt_soft_element){
                b, len, OFF(h2), st, VGT_SVGA3D_DECLTYPE_FLOAT16_2, VGT_SVGA3D_DECLUSAGE_TEXCOORD,
                0, 0,   0};
            s.st.stages[0].texture = tex;
            s.st.stages[0].color_op = VGT_SVGA3D_TC_MODULATE;
            s.st.stages[0].color_arg1 = VGT_SVGA3D_TA_TEXTURE;
            s.st.stages[0].color_arg2 = VGT_SVGA3D_TA_DIFFUSE;
        }
        memset(&s.st.world, 0, sizeof(s.st.world));
        for (int i = 0; i < 4; i++) {
            s.st.world.m[i][i] = i < 3 ? cases[k].scale : 1.0f;
        }
        s.st.world.m[2][2] = 1.0f;
        tscene_cell(&s, 3, (uint32_t)k % 3, (uint32_t)k / 3);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 2);
    }
#undef OFF
    /* every cell shows the quad: top-left pixel of each quad is (nearly) red */
    for (int k = 0; k < 5; k++) {
        uint32_t cx = (uint32_t)k % 3 * 21, cy = (uint32_t)k / 3 * 21;
        uint32_t p = tscene_pixel(&s, cx + 6, cy + 6);
        assert_true(((p >> 16) & 0xff) > 0xa0);
        assert_int_equal(tscene_pixel(&s, cx + 1, cy + 1), 0xff000000u); /* outside */
    }
    tscene_check_golden(&s, "vertex_formats");
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* ---- filtering and addressing ------------------------------------------------------- */

static uint32_t tex_quadrants(uint32_t x, uint32_t y, uint32_t m)
{
    static const uint32_t mipcol[5] = {0, 0xffff0000u, 0xff00ff00u, 0xff0000ffu, 0xffffff00u};
    if (m > 0) {
        return mipcol[m < 5 ? m : 4];
    }
    /* level 0: a 4x4 pattern: top row red/green/blue/white, an "F"-ish shape
     * elsewhere so that orientation is visible */
    static const uint32_t pat[4][4] = {
        {0xffff0000u, 0xff00ff00u, 0xff0000ffu, 0xffffffffu},
        {0xffffffffu, 0xff000000u, 0xff000000u, 0xff000000u},
        {0xffffffffu, 0xffffffffu, 0xff000000u, 0xff000000u},
        {0xffffffffu, 0xff000000u, 0xff000000u, 0xff808080u},
    };
    return pat[(y * 4 / 16) % 4][(x * 4 / 16) % 4];
}

static void test_filtering_addressing(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 128, 128, false, 2);
    vgt_soft_surface *tex = make_texture(16, 16, 5, tex_quadrants);
    vgt_soft_stage *g = &s.st.stages[0];
    g->texture = tex;
    g->color_op = VGT_SVGA3D_TC_SELECTARG1;
    g->color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    g->border_color = 0xffff00ffu;
    tvert v[6];
    /* row 0: point mag, linear mag, texcoords 0..1 (upright: red at top left) */
    g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    cell_quad(&s, 4, 0, 0, v, -1, -1, 1, 1, 0.5f, 0xffffffffu);
    assert_int_equal(tscene_pixel(&s, 1, 1), 0xffff0000u);   /* top left: red */
    assert_int_equal(tscene_pixel(&s, 30, 1), 0xffffffffu);  /* top right: white */
    assert_int_equal(tscene_pixel(&s, 30, 30), 0xff808080u); /* bottom right: grey */
    g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    cell_quad(&s, 4, 1, 0, v, -1, -1, 1, 1, 0.5f, 0xffffffffu);
    /* row 0 cont.: address modes with texcoords -1..2 */
    static const uint32_t modes[5] = {VGT_SVGA3D_TEX_ADDRESS_WRAP, VGT_SVGA3D_TEX_ADDRESS_MIRROR,
                                      VGT_SVGA3D_TEX_ADDRESS_CLAMP, VGT_SVGA3D_TEX_ADDRESS_BORDER,
                                      VGT_SVGA3D_TEX_ADDRESS_MIRRORONCE};
    g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    for (int m = 0; m < 5; m++) {
        g->address_u = g->address_v = modes[m];
        tscene_cell(&s, 4, (uint32_t)(2 + m) % 4, (uint32_t)(2 + m) / 4);
        quad(v, -1, -1, 1, 1, 0.5f, 0xffffffffu);
        for (int i = 0; i < 6; i++) {
            v[i].u = v[i].u * 3.0f - 1.0f;
            v[i].v = v[i].v * 3.0f - 1.0f;
        }
        tscene_use_tverts(&s, v, 6);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    }
    /* border: the corner is the border color; clamp: the corner is the edge texel */
    assert_int_equal(tscene_pixel(&s, 32 + 1, 32 + 1), 0xffff00ffu); /* border cell (1,1) */
    assert_int_equal(tscene_pixel(&s, 0 + 1, 32 + 1), 0xffff0000u);  /* clamp cell (0,1) */
    g->address_u = g->address_v = VGT_SVGA3D_TEX_ADDRESS_WRAP;
    /* mipmapping: a floor receding into the distance, point and linear mips */
    look(&s);
    tvert fl[6] = {{-1, -1, -2.5f, 0xffffffffu, 0, 0}, {1, -1, -2.5f, 0xffffffffu, 1, 0},
                   {1, -1, 7.0f, 0xffffffffu, 1, 6},   {-1, -1, -2.5f, 0xffffffffu, 0, 0},
                   {1, -1, 7.0f, 0xffffffffu, 1, 6},   {-1, -1, 7.0f, 0xffffffffu, 0, 6}};
    tscene_use_tverts(&s, fl, 6);
    static const uint32_t mip[4][3] = {
        {VGT_SVGA3D_TEX_FILTER_NEAREST, VGT_SVGA3D_TEX_FILTER_NEAREST, 0},
        {VGT_SVGA3D_TEX_FILTER_LINEAR, VGT_SVGA3D_TEX_FILTER_LINEAR, 0},
        {VGT_SVGA3D_TEX_FILTER_LINEAR, VGT_SVGA3D_TEX_FILTER_LINEAR, 1},
        {VGT_SVGA3D_TEX_FILTER_NEAREST, VGT_SVGA3D_TEX_FILTER_NEAREST, 2},
    };
    for (int i = 0; i < 4; i++) {
        g->mag_filter = g->min_filter = mip[i][0];
        g->mip_filter = mip[i][1];
        g->max_mip_level = mip[i][2];
        g->lod_bias = i == 1 ? 0.5f : 0.0f;
        tscene_cell(&s, 4, (uint32_t)i, 2);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    }
    /* no mipmapping on the same floor: aliasing */
    g->mip_filter = VGT_SVGA3D_TEX_FILTER_NONE;
    g->max_mip_level = 0;
    g->lod_bias = 0;
    tscene_cell(&s, 4, 0, 3);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    tscene_check_golden(&s, "filtering");
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* DXT textures are sampled through their decoded texels. */
static void test_dxt_texture(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 8, 8, false, 1);
    vgt_error err = {0};
    vgt_soft_surface_desc d = {VGT_SVGA3D_DXT1, 4, 4, 1, 1, 1};
    vgt_soft_surface *tex;
    assert_int_equal(vgt_soft_surface_create(&d, &tex, &err), 0);
    uint8_t blk[8] = {0x00, 0xf8, 0x1f, 0x00, 0x00, 0x00, 0x55, 0x55}; /* rows 0-1 red, 2-3 blue */
    vgt_soft_box b = {0, 0, 0, 4, 4, 1};
    assert_int_equal(vgt_soft_surface_upload(tex, 0, 0, &b, blk, 8, 0, 0, &err), 0);
    s.st.stages[0].texture = tex;
    s.st.stages[0].color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0xffffffffu);
    tscene_use_tverts(&s, v, 6);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 3, 1), 0xffff0000u);
    assert_int_equal(tscene_pixel(&s, 3, 6), 0xff0000ffu);
    /* re-upload invalidates the decoded copy */
    blk[6] = blk[7] = 0x00;
    assert_int_equal(vgt_soft_surface_upload(tex, 0, 0, &b, blk, 8, 0, 0, &err), 0);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 3, 6), 0xffff0000u);
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* ---- sRGB reads (TS_GAMMA 2.2) ------------------------------------------------------ */

/* The IEC 61966-2-1 curve in double precision, written here apart from
 * the renderer's table: sRGB byte b -> linear. */
static double srgb_lin(uint32_t b)
{
    double c = (double)b / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/* A linear value as the byte an A8R8G8B8 target stores (round to nearest). */
static uint32_t byte_of(double v)
{
    return (uint32_t)(v * 255.0 + 0.5);
}

/* Two texels side by side: left A=0x80 R=0x80 G=0x40 B=0x20, right
 * A=0xfe R=0x00 G=0xff B=0xc0. */
static uint32_t tex_two(uint32_t x, uint32_t y, uint32_t m)
{
    (void)y;
    (void)m;
    return x == 0 ? 0x80804020u : 0xfe00ffc0u;
}

/* The pixel a texel read through `srgb_read` writes: R, G, B linear, A as
 * stored. */
static uint32_t srgb_read(uint32_t t)
{
    return (t & 0xff000000u) | byte_of(srgb_lin((t >> 16) & 0xff)) << 16 |
           byte_of(srgb_lin((t >> 8) & 0xff)) << 8 | byte_of(srgb_lin(t & 0xff));
}

/* Draws the 2x1 texture over an 8x8 target (texture coordinates 0..1;
 * Direct3D 9 pixel centres are integer, so pixel x reads u = x / 8). */
static void draw_two(tscene *s, uint32_t filter)
{
    s->st.stages[0].mag_filter = s->st.stages[0].min_filter = filter;
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0xffffffffu);
    tscene_use_tverts(s, v, 6);
    tscene_clear(s);
    tscene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

static void check_srgb_reads(tscene *s)
{
    /* point sampling: each texel decoded (sRGB 0x80 is 0.2158605 linear:
     * byte 55), alpha as stored */
    draw_two(s, VGT_SVGA3D_TEX_FILTER_NEAREST);
    assert_int_equal(srgb_read(0x80804020u), 0x80370d04u);
    assert_int_equal(tscene_pixel(s, 1, 4), 0x80370d04u);
    assert_int_equal(tscene_pixel(s, 7, 4), srgb_read(0xfe00ffc0u));
    /* bilinear, halfway between the texels (pixel 4 of 8: u = 0.5): the
     * decoded texels averaged, not the decode of the averaged bytes
     * (R: (0.2158605 + 0) / 2 -> 28, where decode(0x40) would give 13);
     * alpha averaged as stored */
    draw_two(s, VGT_SVGA3D_TEX_FILTER_LINEAR);
    uint32_t r = byte_of((srgb_lin(0x80) + srgb_lin(0x00)) / 2.0);
    uint32_t g = byte_of((srgb_lin(0x40) + srgb_lin(0xff)) / 2.0);
    uint32_t b = byte_of((srgb_lin(0x20) + srgb_lin(0xc0)) / 2.0);
    assert_int_equal(r, 28);
    assert_int_equal(tscene_pixel(s, 4, 4), 0xbf000000u | r << 16 | g << 8 | b);
}

static void test_srgb_reads(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 8, 8, false, 1);
    vgt_soft_surface *tex = make_texture(2, 1, 1, tex_two);
    vgt_soft_stage *g = &s.st.stages[0];
    g->texture = tex;
    g->color_op = VGT_SVGA3D_TC_SELECTARG1;
    g->color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    g->alpha_op = VGT_SVGA3D_TC_SELECTARG1;
    g->alpha_arg1 = VGT_SVGA3D_TA_TEXTURE;
    g->address_u = g->address_v = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    /* without sRGB reads the bytes come through as stored */
    draw_two(&s, VGT_SVGA3D_TEX_FILTER_NEAREST);
    assert_int_equal(tscene_pixel(&s, 1, 4), 0x80804020u);
    g->srgb = true;
    check_srgb_reads(&s); /* fixed function */
    /* a pixel shader's texld reads the same */
    vgt_soft_shader *ps =
        test_shader(VGT_SVGA3D_SHADERTYPE_PS, "ps_2_0\ndcl t0.xy\ndcl_2d s0\ntexld r0, t0, s0\n"
                                              "mov oC0, r0\n");
    s.st.pixel_shader = 7;
    s.st.ps_program = ps;
    check_srgb_reads(&s);
    s.st.pixel_shader = 0;
    s.st.ps_program = NULL;
    vgt_soft_shader_destroy(ps);
    vgt_soft_surface_destroy(tex);

    /* DXT1: a block of one color, 565 (16, 32, 16) = bytes (132, 130, 132) */
    vgt_error err = {0};
    vgt_soft_surface_desc d = {VGT_SVGA3D_DXT1, 4, 4, 1, 1, 1};
    assert_int_equal(vgt_soft_surface_create(&d, &tex, &err), 0);
    uint8_t blk[8] = {0x10, 0x84, 0x10, 0x84, 0, 0, 0, 0};
    vgt_soft_box bx = {0, 0, 0, 4, 4, 1};
    assert_int_equal(vgt_soft_surface_upload(tex, 0, 0, &bx, blk, 8, 0, 0, &err), 0);
    g->texture = tex;
    g->srgb = false;
    draw_two(&s, VGT_SVGA3D_TEX_FILTER_LINEAR);
    assert_int_equal(tscene_pixel(&s, 4, 4), 0xff848284u);
    g->srgb = true;
    draw_two(&s, VGT_SVGA3D_TEX_FILTER_LINEAR);
    assert_int_equal(tscene_pixel(&s, 4, 4), srgb_read(0xff848284u));
    vgt_soft_surface_destroy(tex);

    /* other formats are refused, naming the stage and the format */
    tscene_clear(&s);
    d = (vgt_soft_surface_desc){VGT_SVGA3D_R5G6B5, 4, 4, 1, 1, 1};
    assert_int_equal(vgt_soft_surface_create(&d, &tex, &err), 0);
    g->texture = tex;
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0xffffffffu);
    tscene_use_tverts(&s, v, 6);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "texture stage 0: sRGB reads (texture gamma 2.2) of "
                                        "R5G6B5 are not supported"));
    assert_int_equal(tscene_pixel(&s, 4, 4), 0xff000000u); /* nothing drawn */
    g->srgb = false;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* ---- fog, alpha test, write masks, sRGB, other targets -------------------------------- */

static void test_fog(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 64, 64, true, 1);
    look(&s);
    s.st.fog_enable = true;
    s.st.fog_color = 0xff8080ffu;
    s.st.fog_start = 2.0f;
    s.st.fog_end = 9.0f;
    s.st.fog_density = 0.3f;
    tvert fl[6] = {{-2, -1, -1.5f, 0xffff0000u, 0, 0}, {2, -1, -1.5f, 0xffff0000u, 0, 0},
                   {2, -1, 7.0f, 0xffff0000u, 0, 0},   {-2, -1, -1.5f, 0xffff0000u, 0, 0},
                   {2, -1, 7.0f, 0xffff0000u, 0, 0},   {-2, -1, 7.0f, 0xffff0000u, 0, 0}};
    tscene_use_tverts(&s, fl, 6);
    static const uint32_t fn[4][2] = {{VGT_SVGA3D_FOGFUNC_LINEAR, VGT_SVGA3D_FOGTYPE_VERTEX},
                                      {VGT_SVGA3D_FOGFUNC_LINEAR, VGT_SVGA3D_FOGTYPE_PIXEL},
                                      {VGT_SVGA3D_FOGFUNC_EXP, VGT_SVGA3D_FOGTYPE_PIXEL},
                                      {VGT_SVGA3D_FOGFUNC_EXP2, VGT_SVGA3D_FOGTYPE_VERTEX}};
    for (int i = 0; i < 4; i++) {
        s.st.fog_function = fn[i][0];
        s.st.fog_type = fn[i][1];
        s.st.fog_base = i == 3 ? VGT_SVGA3D_FOGBASE_RANGEBASED : VGT_SVGA3D_FOGBASE_DEPTHBASED;
        tscene_cell(&s, 2, (uint32_t)i % 2, (uint32_t)i / 2);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    }
    /* linear pixel fog: near rows (bottom) are red, far rows (near the horizon) foggy */
    uint32_t nearp = tscene_pixel(&s, 48, 31), farp = tscene_pixel(&s, 48, 19);
    assert_int_equal(nearp, 0xffff0000u);
    assert_true((farp & 0xff) > 0x40);
    tscene_check_golden(&s, "fog");
    tscene_fini(&s);
}

static void test_alpha_test_masks_srgb(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, true, 1);
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0x00ff0000u);
    v[1].color = v[2].color = v[4].color = 0xffff0000u; /* alpha ramp left to right */
    tscene_use_tverts(&s, v, 6);
    s.st.alpha_test = true;
    s.st.alpha_func = VGT_SVGA3D_CMP_GREATEREQUAL;
    s.st.alpha_ref = 0x80;
    vgt_soft_draw_stats st;
    vgt_error err = {0};
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, &st, &err), 0);
    assert_int_equal(st.pixels_passed, 16 * 8);
    assert_int_equal(tscene_pixel(&s, 2, 5) & 0xffffff, 0);
    assert_int_equal(tscene_pixel(&s, 13, 5) & 0xffffff, 0xff0000u);
    /* depth was not written where alpha failed */
    s.st.alpha_test = false;
    s.st.z_func = VGT_SVGA3D_CMP_LESS;
    quad(v, -1, -1, 1, 1, 0.7f, 0xff00ff00u);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 2, 5), 0xff00ff00u);
    assert_int_equal(tscene_pixel(&s, 13, 5), 0xcfff0000u); /* alpha from the ramp */
    /* color write mask: only green and alpha */
    s.st.z_enable = false;
    s.st.color_write_mask = VGT_SVGA3D_COLORMASK_GREEN | VGT_SVGA3D_COLORMASK_ALPHA;
    quad(v, -1, -1, 1, 1, 0.5f, 0x11223344u);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 13, 5), 0x11ff3300u);
    /* sRGB write: linear 0.5 (0x80 = 0.502) encodes to 0xbc */
    s.st.color_write_mask = VGT_SOFT_WRITE_ALL;
    s.st.srgb_write = true;
    quad(v, -1, -1, 1, 1, 0.5f, 0xff808080u);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 3, 3), 0xffbcbcbcu);
    tscene_fini(&s);
}

static void test_other_targets(void **state)
{
    (void)state;
    static const struct {
        uint32_t fmt, bytes;
        uint8_t expect[16];
    } t[] = {
        {VGT_SVGA3D_R5G6B5, 2, {0x04, 0xf8}},   /* 0xf804: r 31, g 0, b 4 */
        {VGT_SVGA3D_A4R4G4B4, 2, {0x02, 0x8f}}, /* a 8, r 15, g 0, b 2 */
        {VGT_SVGA3D_A1R5G5B5, 2, {0x04, 0xfc}}, /* a 1, r 31, b 4 */
        {VGT_SVGA3D_LUMINANCE8, 1, {0xff}},
        {VGT_SVGA3D_ALPHA8, 1, {0x88}},
        {VGT_SVGA3D_ARGB_S23E8,
         16,
         {0, 0, 0x80, 0x3f, 0, 0, 0, 0, 0x89, 0x88, 0x08, 0x3e, 0x89, 0x88, 0x08, 0x3f}},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        tscene s;
        tscene_init(&s, 4, 4, false, 1);
        vgt_error err = {0};
        vgt_soft_surface *rt;
        vgt_soft_surface_desc d = {t[i].fmt, 4, 4, 1, 1, 1};
        assert_int_equal(vgt_soft_surface_create(&d, &rt, &err), 0);
        s.st.color_target.surface = rt;
        tvert v[6];
        quad(v, -1, -1, 1, 1, 0.5f, 0x88ff0022u);
        tscene_use_tverts(&s, v, 6);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        uint8_t *p;
        size_t len;
        assert_int_equal(vgt_soft_surface_bytes(rt, 0, 0, &p, &len, &err), 0);
        assert_memory_equal(p + 5 * t[i].bytes, t[i].expect, t[i].bytes);
        vgt_soft_surface_destroy(rt);
        tscene_fini(&s);
    }
}

/* Pretransformed (POSITIONT) vertices are screen coordinates. */
static void test_pretransformed(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    struct {
        float x, y, z, rhw;
        uint32_t c;
    } v[4] = {{2, 3, 0.5f, 1, 0xffffffffu},
              {10, 3, 0.5f, 1, 0xffffffffu},
              {2, 7, 0.5f, 1, 0xffffffffu},
              {10, 7, 0.5f, 1, 0xffffffffu}};
    s.st.element_count = 2;
    s.st.elements[0] = (vgt_soft_element){(const uint8_t *)v,
                                          sizeof(v),
                                          0,
                                          20,
                                          VGT_SVGA3D_DECLTYPE_FLOAT4,
                                          VGT_SVGA3D_DECLUSAGE_POSITIONT,
                                          0,
                                          0,
                                          0};
    s.st.elements[1] = (vgt_soft_element){
        (const uint8_t *)v,         sizeof(v), 16, 20, VGT_SVGA3D_DECLTYPE_D3DCOLOR,
        VGT_SVGA3D_DECLUSAGE_COLOR, 0,         0,  0};
    vgt_soft_draw_stats st;
    vgt_error err = {0};
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 2, NULL, 0, 0, &st, &err), 0);
    assert_int_equal(st.pixels_passed, 8 * 4); /* x 2..9, y 3..6 */
    assert_int_equal(tscene_pixel(&s, 2, 3), 0xffffffffu);
    assert_int_equal(tscene_pixel(&s, 10, 3), 0xff000000u);
    assert_int_equal(tscene_pixel(&s, 2, 7), 0xff000000u);
    tscene_fini(&s);
}

/* ---- texture coordinate generation and transforms ----------------------------------- */

/* A 4x4 texture, texel (x, y) a color of its own. */
static uint32_t tc_texel(uint32_t x, uint32_t y, uint32_t m)
{
    (void)m;
    return 0xff000000u | (0x20u + 0x40u * x) << 16 | (0x20u + 0x40u * y) << 8 | 0x80u;
}
#define TEXEL(x, y) tc_texel((x), (y), 0)

/* A vertex with a normal and a 4-float texture coordinate set. */
typedef struct gvert {
    float x, y, z;
    float nx, ny, nz;
    float t[4];
} gvert;

/* A 16x16 scene whose stage 0 shows a 4x4 texture (point sampled, wrapped)
 * on two triangles made from quad(): texcoords (u, v) or, with q, the
 * projective (u q, v q, q, q) where q = 1 + 2u (1 on the left, 3 on the right). */
static vgt_soft_surface *tc_scene(tscene *s, gvert *g, float x0, float y0, float x1, float y1,
                                  float z, const float n[3], bool projective, uint32_t tc_type)
{
    tscene_init(s, 16, 16, false, 1);
    vgt_soft_surface *tex = make_texture(4, 4, 1, tc_texel);
    vgt_soft_stage *st = &s->st.stages[0];
    st->texture = tex;
    st->color_op = VGT_SVGA3D_TC_SELECTARG1;
    st->color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    tvert v[6];
    quad(v, x0, y0, x1, y1, z, 0xffffffffu);
    for (int i = 0; i < 6; i++) {
        float q = projective ? 1.0f + 2.0f * v[i].u : 1.0f;
        g[i] = (gvert){v[i].x, v[i].y, v[i].z, n[0], n[1], n[2], {v[i].u * q, v[i].v * q, q, q}};
    }
    s->st.element_count = 3;
    const uint8_t *d = (const uint8_t *)g;
    size_t len = 6 * sizeof(gvert);
    s->st.elements[0] = (vgt_soft_element){
        d, len, 0, sizeof(gvert), VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_POSITION,
        0, 0,   0};
    s->st.elements[1] = (vgt_soft_element){
        d, len, 12, sizeof(gvert), VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_NORMAL,
        0, 0,   0};
    s->st.elements[2] = (vgt_soft_element){
        d, len, 24, sizeof(gvert), tc_type, VGT_SVGA3D_DECLUSAGE_TEXCOORD, 0, 0, 0};
    return tex;
}

static void tc_matrix(vgt_soft_matrix *m, const float v[16])
{
    memcpy(m->m, v, sizeof(m->m));
}

/* Stage st generates its coordinate by `gen` and takes (S, T) of it times m. */
static void tc_texgen(vgt_soft_stage *st, uint32_t gen, const float m[16])
{
    st->texcoord_gen = gen;
    tc_matrix(&st->texture_transform, m);
    st->transform_flags = VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T;
}

/* A texture transform moves the texel a pixel samples; a 2-component set
 * is (u, v, 1, 0), so its translation is row 2 (row 3 is not read). */
static void test_texture_transform(void **state)
{
    (void)state;
    tscene s;
    gvert g[6];
    const float n[3] = {0, 0, -1};
    vgt_soft_surface *tex =
        tc_scene(&s, g, -1, -1, 1, 1, 0.5f, n, false, VGT_SVGA3D_DECLTYPE_FLOAT2);
    vgt_soft_stage *st = &s.st.stages[0];
    /* u' = u / 2 + 1/2, v' = v / 2 + 1/2 */
    tc_matrix(&st->texture_transform, (const float[16]){0.5f, 0, 0, 0, 0, 0.5f, 0, 0, 0.5f, 0.5f, 1,
                                                        0, 0.25f, 0.75f, 0, 1});
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    /* no flags: the matrix is not used; pixel (x, y) samples (x/16, y/16) */
    assert_int_equal(tscene_pixel(&s, 1, 1), TEXEL(0, 0));
    assert_int_equal(tscene_pixel(&s, 14, 6), TEXEL(3, 1));
    st->transform_flags = VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 1, 1), TEXEL(2, 2));  /* (0.53, 0.53) */
    assert_int_equal(tscene_pixel(&s, 14, 6), TEXEL(3, 2)); /* (0.94, 0.69) */
    assert_int_equal(tscene_pixel(&s, 6, 14), TEXEL(2, 3)); /* (0.69, 0.94) */
    /* T alone means two results too (VirtualBox: D3DTTFF_COUNT2) */
    st->transform_flags = VGT_SVGA3D_TEX_TRANSFORM_T;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 1, 1), TEXEL(2, 2));
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* PROJECTED divides by the last result per pixel, after the
 * perspective-correct interpolation: with (u q, v q, q, q) and q from 1 to 3
 * across the quad, pixel 5 (u = 5/16) reads u q / q interpolated, 0.94/1.63 =
 * 0.58 (texel 2); dividing at the vertices would give u = 0.31 (texel 1);
 * not projected (COUNT2) it is u q = 0.94 (texel 3). */
static void test_texture_projected(void **state)
{
    (void)state;
    tscene s;
    gvert g[6];
    const float n[3] = {0, 0, -1};
    vgt_soft_surface *tex =
        tc_scene(&s, g, -1, -1, 1, 1, 0.5f, n, true, VGT_SVGA3D_DECLTYPE_FLOAT4);
    vgt_soft_stage *st = &s.st.stages[0];
    static const struct {
        uint32_t flags;
        uint32_t col;
    } cases[] = {
        {VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T, 3},
        {VGT_SVGA3D_TEX_TRANSFORM_R | VGT_SVGA3D_TEX_PROJECTED, 2}, /* by the third */
        {VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_TRANSFORM_R |
             VGT_SVGA3D_TEX_TRANSFORM_Q | VGT_SVGA3D_TEX_PROJECTED,
         2},                           /* by the fourth */
        {VGT_SVGA3D_TEX_PROJECTED, 2}, /* no transform: by q */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        st->transform_flags = cases[i].flags;
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        assert_int_equal(tscene_pixel(&s, 5, 1), TEXEL(cases[i].col, 0));
        if (cases[i].flags & VGT_SVGA3D_TEX_PROJECTED) {
            /* v q / q is v: row 3 at the bottom, whatever q */
            assert_int_equal(tscene_pixel(&s, 5, 14), TEXEL(cases[i].col, 3));
        }
    }
    /* the rest is refused, naming the state: one component divided by
     * itself (Wine calls it invalid) */
    vgt_error err = {0};
    st->transform_flags = VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_PROJECTED;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "TEXTURETRANSFORMFLAGS 0x8001"));
    assert_non_null(strstr(err.message, "D3DTTFF_COUNT1 | D3DTTFF_PROJECTED"));
    st->transform_flags = 0;
    st->texcoord_gen = 5;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "TEXCOORDGEN 5"));
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* COUNT1: only u is transformed, v (and w) read 0 (wined3d's matrix for
 * it): u' = u / 2 + 1/2 and v' = 0, where COUNT2 would read v' = v / 2 +
 * 3/4 and no transform (u, v). */
static void test_texture_count1(void **state)
{
    (void)state;
    tscene s;
    gvert g[6];
    const float n[3] = {0, 0, -1};
    vgt_soft_surface *tex =
        tc_scene(&s, g, -1, -1, 1, 1, 0.5f, n, false, VGT_SVGA3D_DECLTYPE_FLOAT2);
    vgt_soft_stage *st = &s.st.stages[0];
    tc_matrix(&st->texture_transform,
              (const float[16]){0.5f, 0, 0, 0, 0, 0.5f, 0, 0, 0.5f, 0.75f, 1, 0, 0, 0, 0, 1});
    st->transform_flags = VGT_SVGA3D_TEX_TRANSFORM_S;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 1, 1), TEXEL(2, 0));  /* u' 0.53 */
    assert_int_equal(tscene_pixel(&s, 6, 14), TEXEL(2, 0)); /* u' 0.69 */
    assert_int_equal(tscene_pixel(&s, 14, 9), TEXEL(3, 0)); /* u' 0.94 */
    /* COUNT2 for comparison: v' = 0.75 + v / 2 */
    st->transform_flags = VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 1, 1), TEXEL(2, 3));
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* COUNT2 | PROJECTED: u' / v' per pixel, then v reads 0 (wined3d's matrix
 * moves the v column to q and zeroes it).  The matrix makes u' = u q, v' =
 * q (the set's third), w' = 2 q, q' = 4 q: pixel 5 reads (u q / q)
 * interpolated, 0.58 (texel 2, as test_texture_projected); by w' it would
 * be texel 1, by q' texel 0, not divided texel 3.  Clamped in v, a v of
 * v' / v' = 1 would read row 3. */
static void test_texture_count2_projected(void **state)
{
    (void)state;
    tscene s;
    gvert g[6];
    const float n[3] = {0, 0, -1};
    vgt_soft_surface *tex =
        tc_scene(&s, g, -1, -1, 1, 1, 0.5f, n, true, VGT_SVGA3D_DECLTYPE_FLOAT4);
    vgt_soft_stage *st = &s.st.stages[0];
    st->address_v = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    tc_matrix(&st->texture_transform,
              (const float[16]){1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 0, 0, 0, 0});
    st->transform_flags = VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_PROJECTED;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 5, 1), TEXEL(2, 0));
    assert_int_equal(tscene_pixel(&s, 5, 14), TEXEL(2, 0));
    assert_int_equal(tscene_pixel(&s, 1, 8), TEXEL(0, 0));
    assert_int_equal(tscene_pixel(&s, 14, 8), TEXEL(3, 0));
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* PROJECTED behind a vertex shader: the fixed-function stage divides the
 * shader's oT0, (u q, v q, q, 2 q) here, by z with exactly COUNT3 (Wine,
 * gen_ffp_frag_op) and by w otherwise, COUNT2 too: pixel 5 reads 0.58
 * divided by z (texel 2, as test_texture_projected), 0.29 by w (texel 1),
 * 0.94 not divided (texel 3); at the bottom v is row 3 by z and row 1 by w. */
static void test_texture_projected_behind_vs(void **state)
{
    (void)state;
    tscene s;
    gvert g[6];
    const float n[3] = {0, 0, -1};
    vgt_soft_surface *tex =
        tc_scene(&s, g, -1, -1, 1, 1, 0.5f, n, true, VGT_SVGA3D_DECLTYPE_FLOAT4);
    vgt_soft_stage *st = &s.st.stages[0];
    vgt_soft_shader *vs =
        test_shader(VGT_SVGA3D_SHADERTYPE_VS, "vs_2_0\ndcl_position v0\ndcl_texcoord v1\n"
                                              "mov oPos, v0\nmov oT0.xyz, v1\n"
                                              "add oT0.w, v1.w, v1.w\n");
    s.st.vs_program = vs;
    s.st.vertex_shader = 1;
    static const struct {
        uint32_t flags;
        uint32_t col, row;
    } cases[] = {
        {VGT_SVGA3D_TEX_TRANSFORM_R | VGT_SVGA3D_TEX_PROJECTED, 2, 3}, /* by z */
        {VGT_SVGA3D_TEX_TRANSFORM_Q | VGT_SVGA3D_TEX_PROJECTED, 1, 1}, /* by w */
        {VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_PROJECTED, 1, 1},
        {VGT_SVGA3D_TEX_PROJECTED, 1, 1},
        {VGT_SVGA3D_TEX_TRANSFORM_R, 3, 4}, /* not divided (the matrix is not applied) */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        st->transform_flags = cases[i].flags;
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        /* (the shader writes no oD0: alpha, from the diffuse, is 0) */
        assert_int_equal(tscene_pixel(&s, 5, 1) & 0xffffffu, TEXEL(cases[i].col, 0) & 0xffffffu);
        if (cases[i].row < 4) { /* (v q is not v: its row is not checked) */
            assert_int_equal(tscene_pixel(&s, 1, 14) & 0xffffffu,
                             TEXEL(0, cases[i].row) & 0xffffffu);
        }
    }
    s.st.vs_program = NULL;
    s.st.vertex_shader = 0;
    vgt_soft_shader_destroy(vs);
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* A camera 10 units from a 0.2 x 0.2 quad that fills the 16x16 target:
 * x_ndc = 10 x, y_ndc = 10 y (w = z). */
static void tc_camera(tscene *s)
{
    tc_matrix(&s->st.projection,
              (const float[16]){100, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0.5f, 1, 0, 0, 0, 0});
}

/* CAMERASPACEPOSITION: (x, y, z, 1) in view space; u = 5 x + 1/2, v = 1/2 - 5 y
 * maps the quad onto the texture as (u, v) = (px/16, py/16) would. */
static void test_texgen_position(void **state)
{
    (void)state;
    tscene s;
    gvert g[6];
    const float n[3] = {0, 0, -1};
    vgt_soft_surface *tex =
        tc_scene(&s, g, -0.1f, -0.1f, 0.1f, 0.1f, 10.0f, n, false, VGT_SVGA3D_DECLTYPE_FLOAT2);
    tc_camera(&s);
    vgt_soft_stage *st = &s.st.stages[0];
    st->texcoord_gen = VGT_SVGA3D_TEXCOORD_GEN_EYE_POSITION;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    /* untransformed: (x, y) itself, within 0.1 of 0 (negative x wraps) */
    assert_int_equal(tscene_pixel(&s, 14, 1), TEXEL(0, 0));
    assert_int_equal(tscene_pixel(&s, 1, 1), TEXEL(3, 0));
    assert_int_equal(tscene_pixel(&s, 14, 14), TEXEL(0, 3));
    tc_matrix(&st->texture_transform,
              (const float[16]){5, 0, 0, 0, 0, -5, 0, 0, 0, 0, 1, 0, 0.5f, 0.5f, 0, 1});
    st->transform_flags = VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 1, 1), TEXEL(0, 0));
    assert_int_equal(tscene_pixel(&s, 14, 1), TEXEL(3, 0));
    assert_int_equal(tscene_pixel(&s, 6, 13), TEXEL(1, 3));
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* CAMERASPACENORMAL: the normal times the inverse transpose of world*view.
 * World scales z by 1/4: (0, 0.6, -0.8) becomes (0, 0.6, -3.2), normalized
 * (0, 0.18, -0.98).  u = nz / 2 + 1/2 and v = ny / 2 + 1/2 then read texel
 * (3, 3) unnormalized, (0, 2) normalized; the world matrix itself would give
 * (1, 3), no world (0, 3). */
static void test_texgen_normal(void **state)
{
    (void)state;
    tscene s;
    gvert g[6];
    const float n[3] = {0, 0.6f, -0.8f};
    vgt_soft_surface *tex =
        tc_scene(&s, g, -0.1f, -0.1f, 0.1f, 0.1f, 10.0f, n, false, VGT_SVGA3D_DECLTYPE_FLOAT2);
    tc_camera(&s);
    s.st.world.m[2][2] = 0.25f;
    vgt_soft_stage *st = &s.st.stages[0];
    tc_texgen(st, VGT_SVGA3D_TEXCOORD_GEN_EYE_NORMAL,
              (const float[16]){0, 0, 0, 0, 0, 0.5f, 0, 0, 0.5f, 0, 1, 0, 0.5f, 0.5f, 0, 1});
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 8, 8), TEXEL(3, 3));
    assert_int_equal(tscene_pixel(&s, 1, 14), TEXEL(3, 3));
    s.st.normalize_normals = true;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 8, 8), TEXEL(0, 2));
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* CAMERASPACEREFLECTIONVECTOR: R = E - 2 (N.E) N with E the direction from
 * the eye; the quad faces the camera, so R = (Ex, Ey, -Ez), about (0, 0, -1).
 * u = Rz / 4 + 0.4 is 0.15 (texel 0; R pointing away would give 0.65, texel 2)
 * and v = 12.5 Rx + 1/2 tells left (Ex < 0: row 1) from right (row 2). */
static void test_texgen_reflection(void **state)
{
    (void)state;
    tscene s;
    gvert g[6];
    const float n[3] = {0, 0, -1};
    vgt_soft_surface *tex =
        tc_scene(&s, g, -0.1f, -0.1f, 0.1f, 0.1f, 10.0f, n, false, VGT_SVGA3D_DECLTYPE_FLOAT2);
    tc_camera(&s);
    vgt_soft_stage *st = &s.st.stages[0];
    tc_texgen(st, VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR,
              (const float[16]){0, 12.5f, 0, 0, 0, 0, 0, 0, 0.25f, 0, 1, 0, 0.4f, 0.5f, 0, 1});
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 1, 8), TEXEL(0, 1));
    assert_int_equal(tscene_pixel(&s, 14, 8), TEXEL(0, 2));
    /* the normal's sign does not matter to a reflection */
    for (int i = 0; i < 6; i++) {
        g[i].nz = 1.0f;
    }
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 1, 8), TEXEL(0, 1));
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* SPHEREMAP: (Rx / m + 1/2, Ry / m + 1/2) with m = 2 |(Rx, Ry, Rz + 1)|.  A
 * normal of (1, 0, -2) / sqrt(5) reflects the view direction (0, 0, 1) to
 * (0.8, 0, -0.6): m = 1.79, (0.947, 0.5) (with Rz - 1: 0.72); moved down by
 * 1/8: texel (3, 2). */
static void test_texgen_spheremap(void **state)
{
    (void)state;
    tscene s;
    gvert g[6];
    const float n[3] = {0.4472136f, 0, -0.8944272f};
    vgt_soft_surface *tex =
        tc_scene(&s, g, -0.1f, -0.1f, 0.1f, 0.1f, 10.0f, n, false, VGT_SVGA3D_DECLTYPE_FLOAT2);
    tc_camera(&s);
    vgt_soft_stage *st = &s.st.stages[0];
    tc_texgen(st, VGT_SVGA3D_TEXCOORD_GEN_SPHERE,
              (const float[16]){1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0.125f, 0, 1});
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    for (uint32_t y = 1; y < 16; y += 6) {
        for (uint32_t x = 1; x < 16; x += 6) {
            assert_int_equal(tscene_pixel(&s, x, y), TEXEL(3, 2));
        }
    }
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* ---- errors --------------------------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0xffffffffu);
    tscene_use_tverts(&s, v, 6);
    vgt_error err = {0};
    /* a shader is rejected, not drawn with fixed function */
    s.st.pixel_shader = 3;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "shader"));
    s.st.pixel_shader = 0;
    /* one vertex past the buffer */
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3, NULL, 0, 0, NULL, &err),
        VGT_E_RANGE);
    assert_non_null(strstr(err.message, "vertex 6"));
    /* nothing was drawn */
    assert_int_equal(tscene_pixel(&s, 5, 5), 0xff000000u);
    /* indices: too short, value out of range, bad size, negative base */
    uint16_t idx[6] = {0, 1, 2, 3, 4, 99};
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, idx, 11, 2, NULL, &err),
        VGT_E_RANGE);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, idx, 12, 2, NULL, &err),
        VGT_E_RANGE);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, idx, 12, 3, NULL, &err),
        VGT_E_INVALID);
    vgt_soft_draw_call c = {VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NULL, 0, 0, 0, -1};
    assert_int_equal(vgt_soft_draw(s.dev, &s.st, &c, NULL, &err), VGT_E_RANGE);
    c.base_vertex = 0;
    c.index_offset = UINT32_MAX;
    c.indices = (const uint8_t *)idx;
    c.index_length = sizeof(idx);
    c.index_size = 4;
    assert_int_equal(vgt_soft_draw(s.dev, &s.st, &c, NULL, &err), VGT_E_RANGE);
    /* bad enums and counts */
    assert_int_equal(tscene_draw_rc(&s, 0, 2, NULL, 0, 0, NULL, &err), VGT_E_INVALID);
    assert_int_equal(tscene_draw_rc(&s, 7, 2, NULL, 0, 0, NULL, &err), VGT_E_INVALID);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, UINT32_MAX, NULL, 0, 0, NULL, &err),
        VGT_E_RANGE);
    s.st.blend_enable = true;
    s.st.src_blend = 14;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_INVALID);
    s.st.blend_enable = false;
    s.st.stages[0].color_op = 14; /* DSDT */
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    s.st.stages[0].color_op = VGT_SVGA3D_TC_SELECTARG1;
    s.st.elements[0].type = 13; /* UDEC3 */
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    s.st.elements[0].type = VGT_SVGA3D_DECLTYPE_FLOAT3;
    /* a stride that wraps around: vertex 1 at offset 2^32 - 4 + ... */
    s.st.elements[0].stride = UINT32_MAX;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_RANGE);
    s.st.elements[0].stride = sizeof(tvert);
    /* a volume texture's ADDRESSW is checked (2D textures ignore it) */
    vgt_soft_surface *vol;
    vgt_soft_surface_desc cd = {VGT_SVGA3D_A8R8G8B8, 4, 4, 4, 1, 1};
    assert_int_equal(vgt_soft_surface_create(&cd, &vol, &err), 0);
    s.st.stages[0].texture = vol;
    s.st.stages[0].color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    s.st.stages[0].address_w = 0;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_INVALID);
    assert_non_null(strstr(err.message, "address w"));
    s.st.stages[0].address_w = VGT_SVGA3D_TEX_ADDRESS_WRAP;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err), VGT_OK);
    s.st.stages[0].texture = NULL;
    vgt_soft_surface_destroy(vol);
    /* a DXT render target */
    vgt_soft_surface *dxt;
    cd.format = VGT_SVGA3D_DXT1;
    cd.depth = 1;
    cd.faces = 1;
    assert_int_equal(vgt_soft_surface_create(&cd, &dxt, &err), 0);
    s.st.color_target.surface = dxt;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    s.st.color_target.surface = s.rt;
    s.st.color_target.mip = 1;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_RANGE);
    s.st.color_target.mip = 0;
    vgt_soft_surface_destroy(dxt);
    /* NaN and infinite coordinates draw nothing and do not crash */
    tvert bad[6];
    quad(bad, -1, -1, 1, 1, 0.5f, 0xffffffffu);
    bad[0].x = NAN;
    bad[1].y = INFINITY;
    bad[4].z = -INFINITY;
    tscene_use_tverts(&s, bad, 6);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err), VGT_OK);
    s.st.lighting = true;
    s.st.fog_enable = true;
    s.st.fog_function = VGT_SVGA3D_FOGFUNC_EXP;
    s.st.lights[0].enabled = true;
    assert_int_equal(tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_LINESTRIP, 5, NULL, 0, 0, NULL, &err),
                     VGT_OK);
    assert_int_equal(tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 6, NULL, 0, 0, NULL, &err),
                     VGT_OK);
    tscene_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_depth_formats_and_bias),
        cmocka_unit_test(test_stencil),
        cmocka_unit_test(test_stencil_two_sided_fill),
        cmocka_unit_test(test_blend_values),
        cmocka_unit_test(test_blend_grid),
        cmocka_unit_test(test_texture_ops),
        cmocka_unit_test(test_texture_op_values),
        cmocka_unit_test(test_lighting),
        cmocka_unit_test(test_vertex_formats),
        cmocka_unit_test(test_filtering_addressing),
        cmocka_unit_test(test_dxt_texture),
        cmocka_unit_test(test_fog),
        cmocka_unit_test(test_alpha_test_masks_srgb),
        cmocka_unit_test(test_srgb_reads),
        cmocka_unit_test(test_other_targets),
        cmocka_unit_test(test_pretransformed),
        cmocka_unit_test(test_texture_transform),
        cmocka_unit_test(test_texture_projected),
        cmocka_unit_test(test_texture_count1),
        cmocka_unit_test(test_texture_count2_projected),
        cmocka_unit_test(test_texture_projected_behind_vs),
        cmocka_unit_test(test_texgen_position),
        cmocka_unit_test(test_texgen_normal),
        cmocka_unit_test(test_texgen_reflection),
        cmocka_unit_test(test_texgen_spheremap),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
