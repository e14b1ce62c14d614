/* test_soft_mrt.c - multiple render targets in vgt_soft: a pixel shader's
 * oC0..oC3 each reach their own target (formats differ), COLORWRITEENABLE
 * per target, one blend state for all, alpha test on oC0, targets a shader
 * does not write (and fixed function) keep their pixels, a gap (COLOR1
 * unbound beside COLOR2), one occlusion count per pixel.  Values are exact:
 * each is what the target's format stores for the shader's constant. */
#include <stdlib.h>
#include <string.h>

#include "soft_test_util.h"
#include "vgt_shader.h"

#define W 8u
#define H 8u

typedef struct mrt {
    tscene s;               /* COLOR0: its A8R8G8B8 target */
    vgt_soft_surface *t[3]; /* COLOR1..3 */
    tvert v[6];
    vgt_soft_shader *ps;
} mrt;

static vgt_soft_shader *shader(const char *text)
{
    uint32_t *words = NULL;
    size_t n = 0;
    vgt_error err = {0};
    assert_int_equal(vgt_shader_assemble(text, strlen(text), &words, &n, NULL, &err), VGT_OK);
    vgt_soft_shader *sh = NULL;
    assert_int_equal(vgt_soft_shader_create(VGT_SVGA3D_SHADERTYPE_PS, words, n, &sh, &err), VGT_OK);
    free(words);
    return sh;
}

/* Fills target i (1..3) with raw bytes: `pixel` (bpp bytes) repeated. */
static void fill(mrt *m, uint32_t i, const void *pixel, uint32_t bpp)
{
    uint8_t *data = NULL;
    size_t len = 0;
    vgt_error err = {0};
    assert_int_equal(vgt_soft_surface_bytes(m->t[i - 1], 0, 0, &data, &len, &err), VGT_OK);
    assert_int_equal(len, (size_t)W * H * bpp);
    for (size_t o = 0; o < len; o += bpp) {
        memcpy(data + o, pixel, bpp);
    }
}

/* Raw bytes of pixel (x, y) of target i (1..3). */
static const uint8_t *at(mrt *m, uint32_t i, uint32_t x, uint32_t y, uint32_t bpp)
{
    uint8_t *data = NULL;
    size_t len = 0;
    vgt_error err = {0};
    assert_int_equal(vgt_soft_surface_bytes(m->t[i - 1], 0, 0, &data, &len, &err), VGT_OK);
    return data + ((size_t)y * W + x) * bpp;
}

static uint16_t at16(mrt *m, uint32_t i, uint32_t x, uint32_t y)
{
    uint16_t v;
    memcpy(&v, at(m, i, x, y, 2), 2);
    return v;
}

static uint32_t at32(mrt *m, uint32_t i, uint32_t x, uint32_t y)
{
    uint32_t v;
    memcpy(&v, at(m, i, x, y, 4), 4);
    return v;
}

/* COLOR0 A8R8G8B8 (the scene's), COLOR1..3 of formats f1..f3 (0: not
 * bound), a full-target quad and the pixel shader `ps`. */
static void mrt_init(mrt *m, uint32_t f1, uint32_t f2, uint32_t f3, const char *ps)
{
    memset(m, 0, sizeof(*m));
    tscene_init(&m->s, W, H, false, 1);
    const uint32_t f[3] = {f1, f2, f3};
    vgt_error err = {0};
    for (uint32_t i = 0; i < 3; i++) {
        if (f[i]) {
            vgt_soft_surface_desc d = {f[i], W, H, 1, 1, 1};
            assert_int_equal(vgt_soft_surface_create(&d, &m->t[i], &err), VGT_OK);
            m->s.st.more_color_targets[i].surface = m->t[i];
        }
    }
    quad(m->v, -1, -1, 1, 1, 0.5f, 0xff00ff00u);
    tscene_use_tverts(&m->s, m->v, 6);
    if (ps) {
        m->ps = shader(ps);
        m->s.st.pixel_shader = 5;
        m->s.st.ps_program = m->ps;
    }
}

static void mrt_fini(mrt *m)
{
    for (uint32_t i = 0; i < 3; i++) {
        vgt_soft_surface_destroy(m->t[i]);
    }
    vgt_soft_shader_destroy(m->ps);
    tscene_fini(&m->s);
}

static uint64_t draw(mrt *m)
{
    vgt_soft_draw_stats stats = {0};
    vgt_error err = {0};
    vgt_status st =
        tscene_draw_rc(&m->s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, &stats, &err);
    if (st != VGT_OK) {
        fail_msg("draw: %s", err.message);
    }
    return stats.pixels_passed;
}

static const char PS4[] = "ps_2_0\n"
                          "def c0, 1, 0, 0, 1\n"
                          "def c1, 0, 1, 0, 0.5\n"
                          "def c2, 0.2, 0.4, 0.6, 1\n"
                          "def c3, -2, 3.5, 0.125, 0.75\n"
                          "mov oC0, c0\nmov oC1, c1\nmov oC2, c2\nmov oC3, c3\n";

/* Four targets, four formats, each its own oCn; the pixel counts once. */
static void test_four_targets(void **state)
{
    (void)state;
    mrt m;
    mrt_init(&m, VGT_SVGA3D_R5G6B5, VGT_SVGA3D_A4R4G4B4, VGT_SVGA3D_ARGB_S23E8, PS4);
    assert_int_equal(draw(&m), W * H);
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            assert_int_equal(tscene_pixel(&m.s, x, y), 0xffff0000u);
            assert_int_equal(at16(&m, 1, x, y), 0x07e0u); /* (0, 1, 0): green 63 */
            assert_int_equal(at16(&m, 2, x, y), 0xf369u); /* 0.2/0.4/0.6 x 15 = 3/6/9 */
            float c[4];
            memcpy(c, at(&m, 3, x, y, 16), 16); /* R G B A, unclamped (no blending) */
            assert_true(c[0] == -2.0f && c[1] == 3.5f && c[2] == 0.125f && c[3] == 0.75f);
        }
    }
    mrt_fini(&m);
}

/* COLORWRITEENABLE1..3: each target keeps the channels its mask leaves out. */
static void test_write_masks(void **state)
{
    (void)state;
    mrt m;
    mrt_init(&m, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_X8R8G8B8,
             "ps_2_0\ndef c0, 1, 1, 1, 1\nmov oC0, c0\nmov oC1, c0\nmov oC2, c0\n"
             "mov oC3, c0\n");
    const uint32_t bg = 0x40302010u;
    for (uint32_t i = 1; i <= 3; i++) {
        fill(&m, i, &bg, 4);
    }
    m.s.st.color_write_mask = VGT_SVGA3D_COLORMASK_BLUE;
    m.s.st.more_color_write_masks[0] = VGT_SVGA3D_COLORMASK_RED | VGT_SVGA3D_COLORMASK_ALPHA;
    m.s.st.more_color_write_masks[1] = 0;
    m.s.st.more_color_write_masks[2] = VGT_SVGA3D_COLORMASK_GREEN;
    draw(&m);
    assert_int_equal(tscene_pixel(&m.s, 3, 3), 0xff0000ffu); /* cleared black, blue written */
    assert_int_equal(at32(&m, 1, 3, 3), 0xffff2010u);
    assert_int_equal(at32(&m, 2, 3, 3), bg);
    assert_int_equal(at32(&m, 3, 3, 3) & 0x00ffffffu, 0x0030ff10u);
    mrt_fini(&m);
}

/* One blend state (SRCALPHA, INVSRCALPHA) for every target, each with its
 * own oCn alpha and its own destination. */
static void test_blend_each_target(void **state)
{
    (void)state;
    mrt m;
    mrt_init(&m, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_A8R8G8B8, 0,
             "ps_2_0\ndef c0, 1, 1, 1, 1\ndef c1, 1, 0, 0, 0\ndef c2, 1, 1, 1, 0.6\n"
             "mov oC0, c0\nmov oC1, c1\nmov oC2, c2\n");
    const uint32_t bg = 0x00000000u, bg1 = 0x80402010u;
    fill(&m, 1, &bg1, 4);
    fill(&m, 2, &bg, 4);
    m.s.st.blend_enable = true;
    m.s.st.src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
    m.s.st.dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
    draw(&m);
    assert_int_equal(tscene_pixel(&m.s, 5, 2), 0xffffffffu); /* alpha 1: the source */
    assert_int_equal(at32(&m, 1, 5, 2), bg1);                /* alpha 0: the destination */
    /* 0.6 * 1 + 0.4 * 0 = 0.6 -> 153; alpha 0.6 * 0.6 = 0.36 -> 92 */
    assert_int_equal(at32(&m, 2, 5, 2), 0x5c999999u);
    mrt_fini(&m);
}

/* A shader writing only oC0, fixed function and ps_1_x: COLOR1 keeps its
 * pixels (Direct3D 9 leaves them undefined; vgt and Wine leave them). */
static void test_only_oc0_keeps_others(void **state)
{
    (void)state;
    static const char *const ps[3] = {"ps_2_0\ndef c0, 0, 0, 1, 1\nmov oC0, c0\n",
                                      NULL, /* fixed function: the quad's green */
                                      "ps_1_1\ndef c0, 0, 0, 1, 1\nmov r0, c0\n"};
    const uint32_t expect0[3] = {0xff0000ffu, 0xff00ff00u, 0xff0000ffu};
    for (int k = 0; k < 3; k++) {
        mrt m;
        mrt_init(&m, VGT_SVGA3D_A8R8G8B8, 0, 0, ps[k]);
        const uint32_t bg = 0x11223344u;
        fill(&m, 1, &bg, 4);
        assert_int_equal(draw(&m), W * H);
        assert_int_equal(tscene_pixel(&m.s, 1, 6), expect0[k]);
        assert_int_equal(at32(&m, 1, 1, 6), bg);
        mrt_fini(&m);
    }
}

/* The alpha test compares oC0's alpha and discards the pixel for every
 * target; nothing passes, nothing counts. */
static void test_alpha_test_on_oc0(void **state)
{
    (void)state;
    for (int pass = 0; pass < 2; pass++) {
        mrt m;
        /* pass 0: oC0.a 0.25 fails GREATEREQUAL 128 although oC1.a is 1;
         * pass 1: oC0.a 1 passes although oC1.a is 0 */
        mrt_init(&m, VGT_SVGA3D_A8R8G8B8, 0, 0,
                 pass ? "ps_2_0\ndef c0, 1, 0, 0, 1\ndef c1, 0, 1, 0, 0\nmov oC0, c0\nmov oC1, c1\n"
                      : "ps_2_0\ndef c0, 1, 0, 0, 0.25\ndef c1, 0, 1, 0, 1\nmov oC0, c0\n"
                        "mov oC1, c1\n");
        const uint32_t bg = 0x11223344u;
        fill(&m, 1, &bg, 4);
        m.s.st.alpha_test = true;
        m.s.st.alpha_func = VGT_SVGA3D_CMP_GREATEREQUAL;
        m.s.st.alpha_ref = 128;
        assert_int_equal(draw(&m), pass ? W * H : 0);
        assert_int_equal(tscene_pixel(&m.s, 4, 4), pass ? 0xffff0000u : 0xff000000u);
        assert_int_equal(at32(&m, 1, 4, 4), pass ? 0x0000ff00u : bg);
        mrt_fini(&m);
    }
}

/* A gap: COLOR0 and COLOR2 bound, COLOR1 not; oC2 reaches COLOR2 and oC1
 * goes nowhere. */
static void test_gap(void **state)
{
    (void)state;
    mrt m;
    mrt_init(&m, 0, VGT_SVGA3D_A8R8G8B8, 0, PS4);
    assert_int_equal(draw(&m), W * H);
    assert_int_equal(tscene_pixel(&m.s, 7, 7), 0xffff0000u);
    assert_int_equal(at32(&m, 2, 7, 7), 0xff336699u); /* 0.2/0.4/0.6 x 255 = 51/102/153 */
    mrt_fini(&m);
}

/* Fog (ps_2_0, vertex fog from the fixed-function vertex side) blends oC0
 * alone with the fog color; oC1 reaches COLOR1 unfogged (Direct3D 9 fogs
 * target 0). */
static void test_fog_on_oc0_only(void **state)
{
    (void)state;
    mrt m;
    mrt_init(&m, VGT_SVGA3D_A8R8G8B8, 0, 0,
             "ps_2_0\ndef c0, 1, 1, 1, 1\nmov oC0, c0\nmov oC1, c0\n");
    m.s.st.fog_enable = true;
    m.s.st.fog_type = VGT_SVGA3D_FOGTYPE_VERTEX;
    m.s.st.fog_function = VGT_SVGA3D_FOGFUNC_LINEAR;
    m.s.st.fog_base = VGT_SVGA3D_FOGBASE_DEPTHBASED;
    m.s.st.fog_start = 0.0f;
    m.s.st.fog_end = 1.0f; /* z 0.5: factor 0.5 */
    m.s.st.fog_color = 0xff000000u;
    draw(&m);
    assert_int_equal(tscene_pixel(&m.s, 2, 2), 0xff808080u); /* 0.5 * 1 + 0.5 * 0 */
    assert_int_equal(at32(&m, 1, 2, 2), 0xffffffffu);
    mrt_fini(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_targets),      cmocka_unit_test(test_write_masks),
        cmocka_unit_test(test_blend_each_target), cmocka_unit_test(test_only_oc0_keeps_others),
        cmocka_unit_test(test_alpha_test_on_oc0), cmocka_unit_test(test_gap),
        cmocka_unit_test(test_fog_on_oc0_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
