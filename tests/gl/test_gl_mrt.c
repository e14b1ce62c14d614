/* test_gl_mrt.c - multiple render targets on the gl backend against the
 * soft reference, through vgt_backend_ops: a pixel shader's oC0..oC3 each
 * reach their own target (formats differ, L8 routed), COLORWRITEENABLE1-3,
 * one blend state for every target (an X8R8G8B8 target beside A8R8G8B8
 * needs its own blend function on gl), CLEAR of every bound target, a
 * shader writing only oC0 and fixed function leave COLOR1 as it was.  Each
 * scene asserts exact pixels on both backends where the value is exact, and
 * compares gl with soft target by target (max channel delta printed). */
#include <stdlib.h>
#include <string.h>

#include "gl_test_util.h"

#define W 32u
#define H 32u

/* A scene on one backend with COLOR0 (the scene's target) and COLOR1..3 of
 * formats fmt[1..3] (0: unbound). */
typedef struct mrt {
    scene s;
    uint32_t fmt[4];
    vgt_backend_surface *t[4];
} mrt;

static void mrt_init(mrt *m, const char *kind, const uint32_t fmt[4])
{
    memset(m, 0, sizeof(*m));
    scene_init(&m->s, kind, W, H, fmt[0], 0);
    m->fmt[0] = fmt[0];
    m->t[0] = m->s.rt;
    for (uint32_t i = 1; i < 4; i++) {
        m->fmt[i] = fmt[i];
        if (fmt[i]) {
            m->t[i] =
                scene_define(&m->s, fmt[i], VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, W, H, 1, 1, 1);
        }
    }
    /* a quad whose corners differ in color and coordinates: gradients */
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0);
    const uint32_t corner[6] = {0xff2040c0u, 0x80c08020u, 0x4010e060u,
                                0x4010e060u, 0x80c08020u, 0xc0f0f0f0u};
    for (int i = 0; i < 6; i++) {
        v[i].color = corner[i];
    }
    scene_tverts(&m->s, v, 6);
}

/* Binds COLOR0..3 as mask says (bit i: target i bound). */
static void mrt_bind(mrt *m, uint32_t mask)
{
    vgt_backend_draw_state *st = &m->s.st;
    st->color_target_count = 0;
    for (uint32_t i = 0; i < 4; i++) {
        if ((mask & (1u << i)) && m->t[i]) {
            st->color_targets[i] = (vgt_backend_view){m->t[i], 0, 0, m->fmt[i], {W, H, 1}};
            st->color_target_count = i + 1u;
        } else {
            memset(&st->color_targets[i], 0, sizeof(st->color_targets[i]));
        }
    }
}

/* Clears target i alone to `color`. */
static void mrt_fill(mrt *m, uint32_t i, uint32_t color)
{
    mrt_bind(m, 1u << i);
    scene_clear(&m->s, VGT_SVGA3D_CLEAR_COLOR, color, 1.0f, 0);
}

/* Clears the four targets to bg, then runs draw with the pixel shader ps. */
static void fill_and_run(mrt *m, uint32_t bg, const char *ps, scene_fn draw)
{
    for (uint32_t i = 0; i < 4; i++) {
        mrt_fill(m, i, bg);
    }
    scene_with_ps(&m->s, ps, draw);
}

/* Target i as 0xAARRGGBB (read_pixels decodes every format). */
static void mrt_read(mrt *m, uint32_t i, vgt_image *out)
{
    vgt_error err = {0};
    assert_int_equal(vgt_image_alloc(out, W, H, &err), VGT_OK);
    vgt_backend_view v = {m->t[i], 0, 0, m->fmt[i], {W, H, 1}};
    vgt_svga3d_rect r = {0, 0, W, H};
    if (m->s.be.ops->read_pixels(m->s.be.self, &v, &r, out->pixels, out->stride, &err)) {
        fail_msg("%s: read_pixels: %s", m->s.name, err.message);
    }
}

static uint32_t px(const vgt_image *im, uint32_t x, uint32_t y)
{
    uint32_t v;
    memcpy(&v, im->pixels + (size_t)y * im->stride + (size_t)x * 4u, 4);
    return v; /* little-endian B G R A bytes: 0xAARRGGBB */
}

/* Asserts every pixel of target i is `expect` (alpha too unless X). */
static void expect_all(mrt *m, uint32_t i, uint32_t expect)
{
    vgt_image im;
    mrt_read(m, i, &im);
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            if (px(&im, x, y) != expect) {
                fail_msg("%s: target %u pixel (%u, %u) is 0x%08x, expected 0x%08x", m->s.name, i, x,
                         y, px(&im, x, y), expect);
            }
        }
    }
    vgt_image_free(&im);
}

typedef void (*mrt_fn)(mrt *m);

/* Runs fn on gl and on soft, each time asserting that every pixel of
 * target i is expect[i] for each bit i of check. */
static void expect_on_both(const uint32_t fmt[4], mrt_fn fn, uint32_t check,
                           const uint32_t expect[4])
{
    const char *kinds[2] = {"gl", "soft"};
    for (int k = 0; k < 2; k++) {
        mrt m;
        mrt_init(&m, kinds[k], fmt);
        fn(&m);
        for (uint32_t i = 0; i < 4; i++) {
            if (check & (1u << i)) {
                expect_all(&m, i, expect[i]);
            }
        }
        scene_fini(&m.s);
    }
}

/* Runs fn on gl and on soft and compares every target that `compare` has
 * (bit i), channel delta tol (GL_TOL: llvmpipe interpolates the varyings
 * in its own order, one step of 8 bits at most; 16-bit and 4-bit formats
 * quantize the same values, so their delta stays within one of their own
 * steps, 8 and 17 in 8-bit terms), at most fraction beyond. */
static void gl_vs_soft(const char *name, const uint32_t fmt[4], mrt_fn fn, uint32_t compare,
                       const uint32_t tol[4])
{
    mrt g, s;
    mrt_init(&g, "gl", fmt);
    mrt_init(&s, "soft", fmt);
    fn(&g);
    fn(&s);
    for (uint32_t i = 0; i < 4; i++) {
        if (!(compare & (1u << i))) {
            continue;
        }
        vgt_image a, b;
        mrt_read(&g, i, &a);
        mrt_read(&s, i, &b);
        char label[64];
        snprintf(label, sizeof(label), "%s-color%u", name, i);
        compare_images(label, &a, &b, tol[i], GL_TOL_FRACTION);
        vgt_image_free(&a);
        vgt_image_free(&b);
    }
    scene_fini(&g.s);
    scene_fini(&s.s);
}

/* ---- four targets, each its own oCn ------------------------------------------ */

static const char PS4[] = "ps_2_0\n"
                          "dcl v0\n"
                          "dcl t0.xy\n"
                          "def c0, 0.2, 0.4, 0.6, 1\n"
                          "def c1, 0.5, 0.25, 1, 0.5\n"
                          "mov oC0, v0\n"
                          "mov r0, t0\n"
                          "mov r0.zw, c0.xxxw\n"
                          "mov oC1, r0\n"
                          "mul oC2, v0, c1\n"
                          "mov oC3, c0\n";

static void draw_four(scene *sc)
{
    mrt *m = (mrt *)(void *)sc; /* the scene is its first member */
    mrt_bind(m, 15);
    scene_draw(&m->s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

static void four(mrt *m)
{
    fill_and_run(m, 0xff000000u, PS4, draw_four);
}

/* COLOR0 A8R8G8B8 (the colors), COLOR1 R5G6B5 (the coordinates), COLOR2
 * L8 (routed: R <- oC2.r), COLOR3 A4R4G4B4 (a constant, exact). */
static void test_four_targets(void **state)
{
    (void)state;
    const uint32_t fmt[4] = {VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_R5G6B5, VGT_SVGA3D_LUMINANCE8,
                             VGT_SVGA3D_A4R4G4B4};
    /* COLOR3: (0.2, 0.4, 0.6, 1) x 15 = 3, 6, 9, 15, read back as x * 17 */
    const uint32_t expect[4] = {0, 0, 0, 0xff336699u};
    expect_on_both(fmt, four, 8, expect);
    const uint32_t tol[4] = {GL_TOL, 8, GL_TOL, 0};
    gl_vs_soft("mrt-four", fmt, four, 15, tol);
}

/* ---- COLORWRITEENABLE1..3 ---------------------------------------------------- */

static void draw_masks(scene *sc)
{
    mrt *m = (mrt *)(void *)sc; /* the scene is its first member */
    mrt_bind(m, 15);
    m->s.st.color_write_mask[0] = VGT_SVGA3D_COLORMASK_BLUE;
    m->s.st.color_write_mask[1] = VGT_SVGA3D_COLORMASK_RED | VGT_SVGA3D_COLORMASK_ALPHA;
    m->s.st.color_write_mask[2] = 0;
    m->s.st.color_write_mask[3] = VGT_SVGA3D_COLORMASK_GREEN;
    scene_draw(&m->s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

static void masks(mrt *m)
{
    fill_and_run(m, 0x40302010u,
                 "ps_2_0\ndef c0, 1, 1, 1, 1\nmov oC0, c0\nmov oC1, c0\nmov oC2, c0\n"
                 "mov oC3, c0\n",
                 draw_masks);
}

static void test_write_masks(void **state)
{
    (void)state;
    const uint32_t fmt[4] = {VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_A8R8G8B8,
                             VGT_SVGA3D_X8R8G8B8};
    /* X8R8G8B8 reads alpha 0xff */
    const uint32_t expect[4] = {0x403020ffu, 0xffff2010u, 0x40302010u, 0xff30ff10u};
    expect_on_both(fmt, masks, 15, expect);
}

/* ---- one blend state, every target ---------------------------------------- */

static void draw_blend(scene *sc)
{
    mrt *m = (mrt *)(void *)sc; /* the scene is its first member */
    mrt_bind(m, 15);
    vgt_backend_draw_state *st = &m->s.st;
    st->blend_enable = true;
    st->src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
    st->dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
    scene_draw(&m->s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    /* DESTALPHA: 1 on the X8R8G8B8 target, the stored alpha on the others */
    st->src_blend = VGT_SVGA3D_BLENDOP_DESTALPHA;
    st->dst_blend = VGT_SVGA3D_BLENDOP_ZERO;
    st->src_blend_alpha = VGT_SVGA3D_BLENDOP_ONE;
    st->dst_blend_alpha = VGT_SVGA3D_BLENDOP_ZERO;
    st->separate_alpha_blend = true;
    scene_draw(&m->s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    st->blend_enable = false;
    st->separate_alpha_blend = false;
}

static void blend(mrt *m)
{
    fill_and_run(m, 0x00000000u,
                 "ps_2_0\ndef c0, 1, 1, 1, 1\ndef c1, 1, 0, 0, 0\n"
                 "def c2, 1, 1, 1, 0.6\ndcl v0\nmov oC0, c0\nmov oC1, c1\nmov oC2, c2\n"
                 "mov oC3, c2\n",
                 draw_blend);
}

/* One blend state on four targets, COLOR0 and COLOR3 without alpha.  Pass
 * 1 (SRCALPHA, INVSRCALPHA) over black: COLOR2's oC2 alpha 0.6 gives 0.6
 * (153) and alpha 0.36 (92); COLOR1's oC1 alpha 0 keeps black.  Pass 2
 * (DESTALPHA, ZERO; alpha ONE, ZERO) scales white by the stored alpha:
 * 92 on COLOR2, 1 (255) on the X8R8G8B8 targets.  On gl COLOR0's format
 * sets the blend function (DESTALPHA as ONE), so COLOR2 needs its own. */
static void test_blend_per_target(void **state)
{
    (void)state;
    const uint32_t fmt[4] = {VGT_SVGA3D_X8R8G8B8, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_A8R8G8B8,
                             VGT_SVGA3D_X8R8G8B8};
    const uint32_t expect[4] = {0xffffffffu, 0x00000000u, 0x995c5c5cu, 0xffffffffu};
    expect_on_both(fmt, blend, 15, expect);
    const uint32_t tol[4] = {0, 0, 0, 0};
    gl_vs_soft("mrt-blend", fmt, blend, 15, tol);
}

/* ---- CLEAR clears every bound target --------------------------------------- */

static void clear_all(mrt *m)
{
    mrt_bind(m, 15);
    scene_clear(&m->s, VGT_SVGA3D_CLEAR_COLOR, 0x80ff4020u, 1.0f, 0);
}

static void test_clear_all(void **state)
{
    (void)state;
    const uint32_t fmt[4] = {VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_X8R8G8B8, VGT_SVGA3D_A8R8G8B8,
                             VGT_SVGA3D_ARGB_S10E5};
    const char *kinds[2] = {"gl", "soft"};
    for (int k = 0; k < 2; k++) {
        mrt m;
        mrt_init(&m, kinds[k], fmt);
        clear_all(&m);
        expect_all(&m, 0, 0x80ff4020u);
        expect_all(&m, 1, 0xffff4020u);
        expect_all(&m, 2, 0x80ff4020u);
        expect_all(&m, 3, 0x80ff4020u);
        /* a gap: COLOR0 and COLOR2 bound, COLOR1 keeps its pixels */
        mrt_bind(&m, 5);
        scene_clear(&m.s, VGT_SVGA3D_CLEAR_COLOR, 0xff00ff00u, 1.0f, 0);
        expect_all(&m, 0, 0xff00ff00u);
        expect_all(&m, 1, 0xffff4020u);
        expect_all(&m, 2, 0xff00ff00u);
        scene_fini(&m.s);
    }
}

/* ---- targets the program does not write ------------------------------------ */

static void draw_two(scene *sc)
{
    mrt *m = (mrt *)(void *)sc; /* the scene is its first member */
    mrt_bind(m, 3);
    scene_draw(&m->s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

/* ps_2_0 writing only oC0, then fixed function (COLOR0 the vertex colors),
 * with COLOR0 and COLOR1 bound: COLOR1 keeps its clear color (Direct3D 9
 * leaves it undefined; vgt, like Wine, leaves it; GL would write an
 * undefined value without the mask). */
static void only_oc0(mrt *m)
{
    mrt_fill(m, 0, 0xff000000u);
    mrt_fill(m, 1, 0x11223344u);
    scene_with_ps(&m->s, "ps_2_0\ndef c0, 0, 0, 1, 1\nmov oC0, c0\n", draw_two);
}

static void ff_two(mrt *m)
{
    mrt_fill(m, 0, 0xff000000u);
    mrt_fill(m, 1, 0x11223344u);
    draw_two(&m->s);
}

static void test_only_oc0(void **state)
{
    (void)state;
    const uint32_t fmt[4] = {VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_A8R8G8B8, 0, 0};
    const char *kinds[2] = {"gl", "soft"};
    for (int k = 0; k < 2; k++) {
        mrt m;
        mrt_init(&m, kinds[k], fmt);
        only_oc0(&m);
        expect_all(&m, 0, 0xff0000ffu);
        expect_all(&m, 1, 0x11223344u);
        ff_two(&m);
        expect_all(&m, 1, 0x11223344u);
        scene_fini(&m.s);
    }
    const uint32_t tol[4] = {GL_TOL, 0, 0, 0};
    gl_vs_soft("mrt-ff", fmt, ff_two, 3, tol);
}

/* ---- fog and alpha test: oC0 alone -------------------------------------------- */

static void draw_fog_alpha(scene *sc)
{
    mrt *m = (mrt *)(void *)sc; /* the scene is its first member */
    mrt_bind(m, 3);
    vgt_backend_draw_state *st = &m->s.st;
    /* vertex fog, linear 0..1 at z 0.5: factor 0.5 toward black */
    st->fog_enable = true;
    st->fog_color = 0xff000000u;
    scene_draw(&m->s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    st->fog_enable = false;
}

/* ps_2_0 writing white to oC0 and oC1 under fog: COLOR0 is fogged (0.5:
 * 128), COLOR1 is not (Direct3D 9 fogs target 0).  Then an alpha test
 * that oC0's alpha (0.25) fails while oC1's (1) would pass: neither
 * target changes. */
static void fog_alpha(mrt *m)
{
    mrt_fill(m, 0, 0xff000000u);
    mrt_fill(m, 1, 0xff000000u);
    scene_with_ps(&m->s, "ps_2_0\ndef c0, 1, 1, 1, 1\nmov oC0, c0\nmov oC1, c0\n", draw_fog_alpha);
    m->s.st.alpha_test = true;
    m->s.st.alpha_func = VGT_SVGA3D_CMP_GREATEREQUAL;
    m->s.st.alpha_ref = 128;
    scene_with_ps(&m->s,
                  "ps_2_0\ndef c0, 0, 0, 1, 0.25\ndef c1, 0, 0, 1, 1\nmov oC0, c0\n"
                  "mov oC1, c1\n",
                  draw_two);
    m->s.st.alpha_test = false;
}

static void test_fog_and_alpha_test(void **state)
{
    (void)state;
    const uint32_t fmt[4] = {VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_A8R8G8B8, 0, 0};
    const uint32_t expect[4] = {0xff808080u, 0xffffffffu, 0, 0};
    expect_on_both(fmt, fog_alpha, 3, expect);
}

int main(void)
{
    pin_mesa_driver();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_targets),     cmocka_unit_test(test_write_masks),
        cmocka_unit_test(test_blend_per_target), cmocka_unit_test(test_clear_all),
        cmocka_unit_test(test_only_oc0),         cmocka_unit_test(test_fog_and_alpha_test),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
