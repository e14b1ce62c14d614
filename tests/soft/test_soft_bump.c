/* test_soft_bump.c - the signed bump formats: what a sampler reads from each
 * (docs/soft.md "Bump formats"), and what stays refused. */
#include "soft_test_util.h"

#include <stdlib.h>
#include <string.h>

/* One format, four texels of its bytes, and the pixels a ps_2_0 that writes
 * texld * 0.5 + 0.5 gives for them (0xAARRGGBB): x -> round((x/2 + 1/2) * 255).
 * Signed 8-bit: c / 127, -128 and -127 both -1 (so -1 -> 0, 1/127 -> 129,
 * -1/127 -> 126, 100/127 -> 228, -100/127 -> 27, 0 -> 128). */
typedef struct bump_case {
    uint32_t format;
    uint32_t bpp;
    uint8_t texels[4][4];
    uint32_t expect[4];
} bump_case;

static const bump_case cases[] = {
    /* V8U8: (U, V, 1, 1) */
    {VGT_SVGA3D_V8U8,
     2,
     {{0x80, 0x81}, {0xff, 0x01}, {0x7f, 0x00}, {0x64, 0x9c}},
     {0xff0000ffu, 0xff7e81ffu, 0xffff80ffu, 0xffe41bffu}},
    {VGT_SVGA3D_BUMPU8V8,
     2,
     {{0x80, 0x81}, {0xff, 0x01}, {0x7f, 0x00}, {0x64, 0x9c}},
     {0xff0000ffu, 0xff7e81ffu, 0xffff80ffu, 0xffe41bffu}},
    /* L6V5U5, little-endian words: U bits 0-4, V 5-9 (c / 15, -16 and -15
     * both -1), L 10-15 (L / 63): (U, V, L, 1).
     * 0xfe30: U -16, V -15, L 63 -> (-1, -1, 1); 0x003f: U -1, V 1, L 0 ->
     * (-1/15 -> 119, 1/15 -> 136, 128); 0x800f: U 15, V 0, L 32 -> (255, 128,
     * 32/63 -> 192); 0x0611: U -15, V -16, L 1 -> (0, 0, 1/63 -> 130). */
    {VGT_SVGA3D_BUMPL6V5U5,
     2,
     {{0x30, 0xfe}, {0x3f, 0x00}, {0x0f, 0x80}, {0x11, 0x06}},
     {0xff0000ffu, 0xff778880u, 0xffff80c0u, 0xff000082u}},
    /* X8L8V8U8: bytes U, V, L, X: (U, V, L / 255, 1), X ignored.
     * L 0x33 -> 0.2 -> 153, 0x41 -> 160. */
    {VGT_SVGA3D_X8L8V8U8,
     4,
     {{0x80, 0x7f, 0xff, 0x12},
      {0x01, 0xff, 0x00, 0x00},
      {0x81, 0x00, 0x33, 0xff},
      {0x00, 0x00, 0x41, 0x00}},
     {0xff00ffffu, 0xff817e80u, 0xff008099u, 0xff8080a0u}},
    {VGT_SVGA3D_BUMPX8L8V8U8,
     4,
     {{0x80, 0x7f, 0xff, 0x12},
      {0x01, 0xff, 0x00, 0x00},
      {0x81, 0x00, 0x33, 0xff},
      {0x00, 0x00, 0x41, 0x00}},
     {0xff00ffffu, 0xff817e80u, 0xff008099u, 0xff8080a0u}},
    /* Q8W8V8U8: bytes U, V, W, Q, all signed: (U, V, W, Q) */
    {VGT_SVGA3D_Q8W8V8U8,
     4,
     {{0x80, 0x81, 0xff, 0x7f}, {0x01, 0x64, 0x9c, 0x80}, {0, 0, 0, 0}, {0x7f, 0x7f, 0x7f, 0x81}},
     {0xff00007eu, 0x0081e41bu, 0x80808080u, 0x00ffffffu}},
    /* CxV8U8: (U, V, sqrt(1 - U^2 - V^2), 1), 0 outside the unit circle.
     * (64/127, 64/127): C = sqrt(1 - 2 * 0.2539525) = 0.7014948 -> 217,
     * 64/127 -> 192. */
    {VGT_SVGA3D_CXV8U8,
     2,
     {{0x00, 0x00}, {0x80, 0x80}, {0x7f, 0x00}, {0x40, 0x40}},
     {0xff8080ffu, 0xff000080u, 0xffff8080u, 0xffc0c0d9u}},
};

static vgt_soft_surface *bump_texture(const bump_case *c)
{
    vgt_error err = {0};
    vgt_soft_surface_desc d = {c->format, 4, 1, 1, 1, 1};
    vgt_soft_surface *t = NULL;
    assert_int_equal(vgt_soft_surface_create(&d, &t, &err), VGT_OK);
    uint8_t bytes[16];
    for (uint32_t i = 0; i < 4; i++) {
        memcpy(bytes + i * c->bpp, c->texels[i], c->bpp);
    }
    vgt_soft_box box = {0, 0, 0, 4, 1, 1};
    assert_int_equal(
        vgt_soft_surface_upload(t, 0, 0, &box, bytes, 4 * c->bpp, 4 * c->bpp, 4 * c->bpp, &err),
        VGT_OK);
    return t;
}

static void test_bump_texels(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 4, 2, false, 1);
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0xffffffffu);
    tscene_use_tverts(&s, v, 6);
    vgt_soft_shader *ps =
        test_shader(VGT_SVGA3D_SHADERTYPE_PS, "ps_2_0\ndef c0, 0.5, 0.5, 0.5, 0.5\ndcl t0.xy\n"
                                              "dcl_2d s0\ntexld r0, t0, s0\nmad oC0, r0, c0, c0\n");
    s.st.pixel_shader = 1;
    s.st.ps_program = ps;
    vgt_soft_stage *g = &s.st.stages[0];
    g->address_u = g->address_v = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vgt_soft_surface *t = bump_texture(&cases[i]);
        g->texture = t;
        tscene_clear(&s);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        for (uint32_t x = 0; x < 4; x++) {
            if (tscene_pixel(&s, x, 1) != cases[i].expect[x]) {
                fail_msg("format %u texel %u: 0x%08x, expected 0x%08x", cases[i].format, x,
                         tscene_pixel(&s, x, 1), cases[i].expect[x]);
            }
        }
        g->texture = NULL;
        vgt_soft_surface_destroy(t);
    }
    vgt_soft_shader_destroy(ps);
    tscene_fini(&s);
}

/* The most negative codes read -1, not -128/127 or -16/15: a shader that
 * writes 4x + 4.2 tells -1 (51), -126/127 (59) and -1.008 (43) apart. */
static void test_bump_most_negative(void **state)
{
    (void)state;
    static const bump_case neg[] = {
        {VGT_SVGA3D_V8U8,
         2,
         {{0x80, 0x81}, {0x82, 0x80}, {0x00, 0x00}, {0x81, 0x82}},
         {0xff3333ffu, 0xff3b33ffu, 0xffffffffu, 0xff333bffu}},
        /* 0x0230: U -16, V -15; 0x0212: U -14 (-14/15 -> 119), V -16 */
        {VGT_SVGA3D_BUMPL6V5U5,
         2,
         {{0x30, 0x02}, {0x12, 0x02}, {0x00, 0x00}, {0x00, 0x00}},
         {0xff3333ffu, 0xff7733ffu, 0xffffffffu, 0xffffffffu}},
    };
    tscene s;
    tscene_init(&s, 4, 2, false, 1);
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0xffffffffu);
    tscene_use_tverts(&s, v, 6);
    vgt_soft_shader *ps = test_shader(VGT_SVGA3D_SHADERTYPE_PS,
                                      "ps_2_0\ndef c0, 4, 4, 4, 4\ndef c1, 4.2, 4.2, 4.2, 4.2\n"
                                      "dcl t0.xy\ndcl_2d s0\ntexld r0, t0, s0\n"
                                      "mad oC0, r0, c0, c1\n");
    s.st.pixel_shader = 1;
    s.st.ps_program = ps;
    vgt_soft_stage *g = &s.st.stages[0];
    g->address_u = g->address_v = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    for (size_t i = 0; i < sizeof(neg) / sizeof(neg[0]); i++) {
        vgt_soft_surface *t = bump_texture(&neg[i]);
        g->texture = t;
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        for (uint32_t x = 0; x < 4; x++) {
            if (tscene_pixel(&s, x, 0) != neg[i].expect[x]) {
                fail_msg("format %u texel %u: 0x%08x, expected 0x%08x", neg[i].format, x,
                         tscene_pixel(&s, x, 0), neg[i].expect[x]);
            }
        }
        g->texture = NULL;
        vgt_soft_surface_destroy(t);
    }
    vgt_soft_shader_destroy(ps);
    tscene_fini(&s);
}

/* Fixed function reads the same signed texels: V8U8 ADDed to a 0x80 grey
 * diffuse gives 128/255 + U (V, 1), clamped only at the end. */
static void test_bump_fixed_function(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 4, 2, false, 1);
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0xff808080u);
    tscene_use_tverts(&s, v, 6);
    vgt_soft_surface *t = bump_texture(&cases[0]);
    vgt_soft_stage *g = &s.st.stages[0];
    g->texture = t;
    g->address_u = g->address_v = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    g->color_op = VGT_SVGA3D_TC_ADD;
    g->color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    g->color_arg2 = VGT_SVGA3D_TA_DIFFUSE;
    g->alpha_op = VGT_SVGA3D_TC_SELECTARG1;
    g->alpha_arg1 = VGT_SVGA3D_TA_DIFFUSE;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    /* texel 0 (-1, -1): 0, 0, 255; texel 1 (-1/127, 1/127): 128/255 - 1/127
     * -> 126, 128/255 + 1/127 -> 130; texel 3 (100/127, -100/127) -> 255, 0 */
    assert_int_equal(tscene_pixel(&s, 0, 1), 0xff0000ffu);
    assert_int_equal(tscene_pixel(&s, 1, 1), 0xff7e82ffu);
    assert_int_equal(tscene_pixel(&s, 3, 1), 0xffff00ffu);
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

static void test_bump_refused(void **state)
{
    (void)state;
    vgt_error err = {0};
    vgt_soft_format_info info;
    /* BUMPL8V8U8 has no Direct3D 9 format to take a rule from */
    assert_int_equal(vgt_soft_format_query(VGT_SVGA3D_BUMPL8V8U8, &info, &err), VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "23"));
    vgt_soft_surface_desc d = {VGT_SVGA3D_BUMPL8V8U8, 4, 4, 1, 1, 1};
    vgt_soft_surface *t = NULL;
    assert_int_equal(vgt_soft_surface_create(&d, &t, &err), VGT_E_UNSUPPORTED);
    /* the others: sampled, never render targets */
    assert_int_equal(vgt_soft_format_query(VGT_SVGA3D_V8U8, &info, &err), VGT_OK);
    assert_true(info.samplable && !info.renderable && !info.depth && !info.compressed);
    assert_string_equal(info.name, "V8U8");
    assert_int_equal(info.block_bytes, 2);
    assert_int_equal(vgt_soft_format_query(VGT_SVGA3D_BUMPL6V5U5, &info, &err), VGT_OK);
    assert_int_equal(info.block_bytes, 2);
    assert_int_equal(vgt_soft_format_query(VGT_SVGA3D_Q8W8V8U8, &info, &err), VGT_OK);
    assert_int_equal(info.block_bytes, 4);

    /* a stretch from a bump texture into a colour target is refused, named */
    t = bump_texture(&cases[0]);
    tscene s;
    tscene_init(&s, 4, 2, false, 1);
    vgt_soft_view src = {t, 0, 0}, dst = {s.rt, 0, 0};
    vgt_soft_box box = {0, 0, 0, 4, 1, 1};
    assert_int_equal(vgt_soft_surface_stretch(&dst, &box, &src, &box, false, &err),
                     VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "V8U8"));
    /* and drawing into one */
    s.st.color_target.surface = t;
    s.st.viewport = (vgt_soft_rect){0, 0, 4, 1};
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0xffffffffu);
    tscene_use_tverts(&s, v, 6);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "V8U8"));
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bump_texels),
        cmocka_unit_test(test_bump_most_negative),
        cmocka_unit_test(test_bump_fixed_function),
        cmocka_unit_test(test_bump_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
