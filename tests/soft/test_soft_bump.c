/* test_soft_bump.c - the signed bump formats: what a sampler reads from each
 * (docs/soft.md "Bump formats"), and what stays refused. */
#include "soft_test_util.h"

#include <math.h>
#include <stdio.h>
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

/* The 4x2 scenes' quad with its texture coordinates moved by half a texel
 * of a 4x2 texture: Direct3D 9's pixel centres are integers, so pixel
 * (x, y) reads u = (x + 0.5) / 4, v = (y + 0.5) / 2, a texel's centre and
 * never an edge where point sampling could go either way. */
static void centred_quad(tvert *v, uint32_t color)
{
    quad(v, -1, -1, 1, 1, 0.5f, color);
    for (int i = 0; i < 6; i++) {
        v[i].u += 0.125f;
        v[i].v += 0.25f;
    }
}

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

/* Draws each case's 4x1 texture through `ps_text` (ps_2_0, sampler 0,
 * point sampled) and asserts both rows' pixels. */
static void check_texels(const bump_case *c, size_t n, const char *ps_text)
{
    tscene s;
    tscene_init(&s, 4, 2, false, 1);
    tvert v[6];
    centred_quad(v, 0xffffffffu);
    tscene_use_tverts(&s, v, 6);
    vgt_soft_shader *ps = test_shader(VGT_SVGA3D_SHADERTYPE_PS, ps_text);
    s.st.pixel_shader = 1;
    s.st.ps_program = ps;
    vgt_soft_stage *g = &s.st.stages[0];
    g->address_u = g->address_v = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    for (size_t i = 0; i < n; i++) {
        vgt_soft_surface *t = bump_texture(&c[i]);
        g->texture = t;
        tscene_clear(&s);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        for (uint32_t y = 0; y < 2; y++) {
            for (uint32_t x = 0; x < 4; x++) {
                if (tscene_pixel(&s, x, y) != c[i].expect[x]) {
                    fail_msg("format %u texel %u: 0x%08x, expected 0x%08x", c[i].format, x,
                             tscene_pixel(&s, x, y), c[i].expect[x]);
                }
            }
        }
        g->texture = NULL;
        vgt_soft_surface_destroy(t);
    }
    vgt_soft_shader_destroy(ps);
    tscene_fini(&s);
}

static void test_bump_texels(void **state)
{
    (void)state;
    check_texels(cases, sizeof(cases) / sizeof(cases[0]),
                 "ps_2_0\ndef c0, 0.5, 0.5, 0.5, 0.5\ndcl t0.xy\ndcl_2d s0\n"
                 "texld r0, t0, s0\nmad oC0, r0, c0, c0\n");
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
    check_texels(neg, sizeof(neg) / sizeof(neg[0]),
                 "ps_2_0\ndef c0, 4, 4, 4, 4\ndef c1, 4.2, 4.2, 4.2, 4.2\ndcl t0.xy\n"
                 "dcl_2d s0\ntexld r0, t0, s0\nmad oC0, r0, c0, c1\n");
}

/* Fixed function reads the same signed texels: V8U8 ADDed to a 0x80 grey
 * diffuse gives 128/255 + U (V, 1), clamped only at the end. */
static void test_bump_fixed_function(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 4, 2, false, 1);
    tvert v[6];
    centred_quad(v, 0xff808080u);
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
    centred_quad(v, 0xffffffffu);
    tscene_use_tverts(&s, v, 6);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "V8U8"));
    s.st.color_target.surface = s.rt;
    s.st.viewport = (vgt_soft_rect){0, 0, 4, 2};
    /* texm3x3spec is still refused, named (the pads before it run) */
    vgt_soft_shader *ps = test_shader(VGT_SVGA3D_SHADERTYPE_PS,
                                      "ps_1_1\ntex t0\ntexm3x3pad t1, t0\ntexm3x3pad t2, t0\n"
                                      "texm3x3spec t3, t0, c0\nmov r0, t3\n");
    s.st.pixel_shader = 1;
    s.st.ps_program = ps;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "texm3x3spec"));
    s.st.ps_program = NULL;
    s.st.pixel_shader = 0;
    vgt_soft_shader_destroy(ps);
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

/* ---- texbem, texbeml, bem ---------------------------------------------------- */

/* Texel (x, y) of the 4x2 colour texture stage 1 reads: its place in G, B. */
static uint32_t place(uint32_t x, uint32_t y)
{
    return 0xff000000u | (0x40u * (y + 1)) << 8 | 0x40u * (x + 1);
}

static vgt_soft_surface *place_texture(void)
{
    vgt_error err = {0};
    vgt_soft_surface_desc d = {VGT_SVGA3D_A8R8G8B8, 4, 2, 1, 1, 1};
    vgt_soft_surface *t = NULL;
    assert_int_equal(vgt_soft_surface_create(&d, &t, &err), VGT_OK);
    uint8_t bytes[32];
    for (uint32_t y = 0; y < 2; y++) {
        for (uint32_t x = 0; x < 4; x++) {
            uint32_t c = place(x, y);
            memcpy(bytes + (y * 4 + x) * 4, &c, 4); /* little-endian B, G, R, A */
        }
    }
    vgt_soft_box box = {0, 0, 0, 4, 2, 1};
    assert_int_equal(vgt_soft_surface_upload(t, 0, 0, &box, bytes, 32, 16, 32, &err), VGT_OK);
    return t;
}

/* A 1x1 bump texture of `format` holding `texel`. */
static vgt_soft_surface *one_texel(uint32_t format, const uint8_t *texel, uint32_t bpp)
{
    vgt_error err = {0};
    vgt_soft_surface_desc d = {format, 1, 1, 1, 1, 1};
    vgt_soft_surface *t = NULL;
    assert_int_equal(vgt_soft_surface_create(&d, &t, &err), VGT_OK);
    vgt_soft_box box = {0, 0, 0, 1, 1, 1};
    assert_int_equal(vgt_soft_surface_upload(t, 0, 0, &box, texel, bpp, bpp, bpp, &err), VGT_OK);
    return t;
}

/* A 4x2 scene: stage 0 samples the bump texture, stage 1 the place texture,
 * both from texture coordinate set 0 (pixel (x, y) at u = (x + 0.5) / 4,
 * v = (y + 0.5) / 2), point sampled, clamped. */
static void bump_scene(tscene *s, tvert *v, vgt_soft_surface *bump, vgt_soft_surface *colour)
{
    tscene_init(s, 4, 2, false, 1);
    centred_quad(v, 0xffffffffu);
    tscene_use_tverts(s, v, 6);
    for (int i = 0; i < 2; i++) {
        vgt_soft_stage *g = &s->st.stages[i];
        g->texture = i ? colour : bump;
        g->texcoord_index = 0;
        g->address_u = g->address_v = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
        g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    }
}

/* Every pixel (x, y) shows the place texel (x + du, y + dv), clamped. */
static void check_shift(const tscene *s, int du, int dv, const char *what)
{
    for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 4; x++) {
            int tx = x + du < 0 ? 0 : (x + du > 3 ? 3 : x + du);
            int ty = y + dv < 0 ? 0 : (y + dv > 1 ? 1 : y + dv);
            uint32_t want = place((uint32_t)tx, (uint32_t)ty);
            if (tscene_pixel(s, (uint32_t)x, (uint32_t)y) != want) {
                fail_msg("%s: pixel (%d, %d) 0x%08x, expected 0x%08x (texel %d, %d)", what, x, y,
                         tscene_pixel(s, (uint32_t)x, (uint32_t)y), want, tx, ty);
            }
        }
    }
}

/* One V8U8 texel (du, dv bytes), a matrix, and the texel shift it makes:
 * u' = u + MAT00 du + MAT10 dv, v' = v + MAT01 du + MAT11 dv (a texel is
 * 0.25 in u, 0.5 in v). */
typedef struct bem_case {
    uint8_t du, dv;
    float mat[2][2];
    int shift_u, shift_v;
} bem_case;

static const bem_case bem_cases[] = {
    {0x7f, 0x00, {{0.25f, 0}, {0, 0}}, 1, 0},          /* du 1, MAT00 0.25 */
    {0x80, 0x00, {{0.25f, 0}, {0, 0}}, -1, 0},         /* du -128 = -1 */
    {0x7f, 0x00, {{-0.5f, 0}, {0, 0}}, -2, 0},         /* a negative MAT00 */
    {0xff, 0x00, {{31.75f, 0}, {0, 0}}, -1, 0},        /* du -1/127 */
    {0x00, 0x7f, {{0, 0}, {0.25f, 0}}, 1, 0},          /* MAT10 moves u by dv */
    {0x7f, 0x00, {{0, 0.5f}, {0, 0}}, 0, 1},           /* MAT01 moves v by du */
    {0x00, 0x81, {{0, 0}, {0, 0.5f}}, 0, -1},          /* MAT11, dv -127 = -1 */
    {0x7f, 0x81, {{0.25f, -0.5f}, {-0.5f, 0}}, 3, -1}, /* all at once */
};

/* Stage 0 BUMPENVMAPLUMINANCE, stage 1 SELECTARG1 TEXTURE (colour and
 * alpha): stage 1 samples at (u, v) moved by stage 0's matrix. */
static void ffp_bump_stages(tscene *s)
{
    vgt_soft_stage *g0 = &s->st.stages[0], *g1 = &s->st.stages[1];
    g0->color_op = VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE;
    g0->color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    g0->alpha_op = VGT_SVGA3D_TC_SELECTARG1;
    g0->alpha_arg1 = VGT_SVGA3D_TA_TEXTURE;
    g1->color_op = g1->alpha_op = VGT_SVGA3D_TC_SELECTARG1;
    g1->color_arg1 = g1->alpha_arg1 = VGT_SVGA3D_TA_TEXTURE;
    s->st.stages[2].color_op = s->st.stages[2].alpha_op = VGT_SVGA3D_TC_DISABLE;
}

/* Draws every bem_case: the bump texel on stage 0, the place texture on
 * stage 1, the case's matrix on stage `mat_stage` (texbem and bem read
 * their destination's, BUMPENVMAPLUMINANCE its own stage's) and a matrix
 * that would move everything on the other stage; `ps` NULL draws the
 * fixed-function BUMPENVMAPLUMINANCE stages. */
static void run_bem_cases(const char *ps_text, uint32_t mat_stage, const char *what)
{
    vgt_soft_surface *colour = place_texture();
    vgt_soft_shader *ps = ps_text ? test_shader(VGT_SVGA3D_SHADERTYPE_PS, ps_text) : NULL;
    for (size_t i = 0; i < sizeof(bem_cases) / sizeof(bem_cases[0]); i++) {
        const bem_case *c = &bem_cases[i];
        uint8_t texel[2] = {c->du, c->dv};
        vgt_soft_surface *bump = one_texel(VGT_SVGA3D_V8U8, texel, 2);
        tscene s;
        tvert v[6];
        bump_scene(&s, v, bump, colour);
        if (ps) {
            s.st.pixel_shader = 1;
            s.st.ps_program = ps;
        } else {
            ffp_bump_stages(&s);
            s.st.stages[0].bump_env_lscale = 1.0f; /* V8U8 reads l = 1: 1 * 1 + 0 */
        }
        memcpy(s.st.stages[mat_stage].bump_env_mat, c->mat, sizeof(c->mat));
        s.st.stages[1 - mat_stage].bump_env_mat[0][0] = 9.0f;
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        char name[48];
        snprintf(name, sizeof(name), "%s case %zu", what, i);
        check_shift(&s, c->shift_u, c->shift_v, name);
        tscene_fini(&s);
        vgt_soft_surface_destroy(bump);
    }
    vgt_soft_shader_destroy(ps);
    vgt_soft_surface_destroy(colour);
}

static void test_texbem(void **state)
{
    (void)state;
    run_bem_cases("ps_1_1\ntex t0\ntexbem t1, t0\nmov r0, t1\n", 1, "texbem");
}

static void test_bem(void **state)
{
    (void)state;
    /* phase 1: the bump texel and stage 1's coordinates, bem r1 (stage 1's
     * matrix); phase 2: stage 1 sampled at r1 */
    run_bem_cases("ps_1_4\ntexld r0, t0\ntexcrd r2.rgb, t0\nbem r1.rg, r2, r0\nphase\n"
                  "texld r1, r1\nmov r0, r1\n",
                  1, "bem");
}

/* texbeml: the texel times t(n).b * LSCALE + LOFFSET of stage m, not
 * saturated; the ps_1_x register range clamps the result to [-1, 1]. */
static void test_texbeml(void **state)
{
    (void)state;
    vgt_soft_surface *colour = place_texture();
    vgt_soft_shader *ps =
        test_shader(VGT_SVGA3D_SHADERTYPE_PS, "ps_1_1\ntex t0\ntexbeml t1, t0\nmov r0, t1\n");
    /* X8L8V8U8: du 1 (a shift of one texel with MAT00 0.25), L 0x66 = 0.4 */
    uint8_t texel[4] = {0x7f, 0x00, 0x66, 0x00};
    vgt_soft_surface *bump = one_texel(VGT_SVGA3D_X8L8V8U8, texel, 4);
    tscene s;
    tvert v[6];
    bump_scene(&s, v, bump, colour);
    s.st.pixel_shader = 1;
    s.st.ps_program = ps;
    s.st.stages[1].bump_env_mat[0][0] = 0.25f;
    static const struct {
        float scale, offset;
        uint32_t expect; /* pixel (0, 0): texel (1, 0) = 0xff004080 scaled */
    } k[] = {
        /* 0.4 + 0.25 = 0.65: 0x40 -> 41.6 -> 42, 0x80 -> 83.2 -> 83, A 166 */
        {1.0f, 0.25f, 0xa6002a53u},
        /* 0.4 * 0 + 2 = 2, not saturated: 0x40 -> 0x80, 0x80 -> 1.004 -> 255,
         * A 2 -> clamped 1 */
        {0.0f, 2.0f, 0xff0080ffu},
        /* -1: every component negative, clamped to 0 */
        {0.0f, -1.0f, 0x00000000u},
        /* 0.4 * -2 + 1 = 0.2: 0x40 -> 12.8 -> 13, 0x80 -> 25.6 -> 26, A 51 */
        {-2.0f, 1.0f, 0x33000d1au},
    };
    for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
        s.st.stages[1].bump_env_lscale = k[i].scale;
        s.st.stages[1].bump_env_loffset = k[i].offset;
        s.st.stages[0].bump_env_lscale = 7.0f; /* not texbeml t1's stage */
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        if (tscene_pixel(&s, 0, 0) != k[i].expect) {
            fail_msg("texbeml case %zu: 0x%08x, expected 0x%08x", i, tscene_pixel(&s, 0, 0),
                     k[i].expect);
        }
    }
    tscene_fini(&s);
    vgt_soft_surface_destroy(bump);
    vgt_soft_shader_destroy(ps);
    vgt_soft_surface_destroy(colour);
}

/* ---- fixed function: BUMPENVMAPLUMINANCE -------------------------------------- */

static void test_ffp_bump_offset(void **state)
{
    (void)state;
    run_bem_cases(NULL, 0, "BUMPENVMAPLUMINANCE");
}

/* The next stage's texel times sat(l * LSCALE + LOFFSET), all four
 * components; the bump stage itself writes nothing. */
static void test_ffp_bump_luminance(void **state)
{
    (void)state;
    vgt_soft_surface *colour = place_texture();
    uint8_t texel[4] = {0x00, 0x00, 0x66, 0x00}; /* (0, 0, 0.4) */
    vgt_soft_surface *bump = one_texel(VGT_SVGA3D_X8L8V8U8, texel, 4);
    tscene s;
    tvert v[6];
    bump_scene(&s, v, bump, colour);
    ffp_bump_stages(&s);
    static const struct {
        float scale, offset;
        uint32_t expect; /* pixel (0, 0): texel (0, 0) = 0xff004040 scaled */
    } k[] = {
        {1.0f, 0.25f, 0xa6002a2au}, /* 0.65: 41.6 -> 42, A 166 */
        {0.0f, 2.0f, 0xff004040u},  /* 2, saturated to 1 */
        {0.0f, -1.0f, 0x00000000u}, /* -1, saturated to 0 */
        {-2.0f, 1.0f, 0x33000d0du}, /* 0.2: 12.8 -> 13, A 51 */
    };
    for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
        s.st.stages[0].bump_env_lscale = k[i].scale;
        s.st.stages[0].bump_env_loffset = k[i].offset;
        s.st.stages[1].bump_env_lscale = 5.0f; /* not the bump stage's */
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        if (tscene_pixel(&s, 0, 0) != k[i].expect) {
            fail_msg("luminance case %zu: 0x%08x, expected 0x%08x", i, tscene_pixel(&s, 0, 0),
                     k[i].expect);
        }
    }
    tscene_fini(&s);
    vgt_soft_surface_destroy(bump);

    /* the bump stage leaves CURRENT as it was: stage 1 ADDs its texel to
     * the diffuse 0x80100000 and takes CURRENT's alpha (0x80, not the bump
     * texel's 1); V8U8 du 1 with MAT00 0.25 reads texel (1, 0) = 0xff004080 */
    uint8_t vu[2] = {0x7f, 0x00};
    bump = one_texel(VGT_SVGA3D_V8U8, vu, 2);
    bump_scene(&s, v, bump, colour);
    centred_quad(v, 0x80100000u);
    ffp_bump_stages(&s);
    s.st.stages[0].bump_env_mat[0][0] = 0.25f;
    s.st.stages[0].bump_env_lscale = 1.0f;
    s.st.stages[1].color_op = VGT_SVGA3D_TC_ADD;
    s.st.stages[1].color_arg2 = VGT_SVGA3D_TA_PREVIOUS;
    s.st.stages[1].alpha_arg1 = VGT_SVGA3D_TA_PREVIOUS;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 0, 0), 0x80104080u);
    tscene_fini(&s);
    vgt_soft_surface_destroy(bump);
    vgt_soft_surface_destroy(colour);
}

static void test_ffp_bump_refused(void **state)
{
    (void)state;
    vgt_error err = {0};
    uint8_t vu[2] = {0x7f, 0x00};
    vgt_soft_surface *bump = one_texel(VGT_SVGA3D_V8U8, vu, 2);
    vgt_soft_surface *colour = place_texture();
    tscene s;
    tvert v[6];
    bump_scene(&s, v, bump, colour);
    ffp_bump_stages(&s);
    /* an alpha operation it is not */
    s.st.stages[0].alpha_op = VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    s.st.stages[0].alpha_op = VGT_SVGA3D_TC_SELECTARG1;
    /* a cube texture in the next stage */
    vgt_soft_surface_desc d = {VGT_SVGA3D_A8R8G8B8, 4, 4, 1, 6, 1};
    vgt_soft_surface *cube = NULL;
    assert_int_equal(vgt_soft_surface_create(&d, &cube, &err), VGT_OK);
    s.st.stages[1].texture = cube;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "BUMPENVMAPLUMINANCE"));
    /* DSDT and PREMODULATE stay absent */
    s.st.stages[1].texture = colour;
    s.st.stages[0].color_op = VGT_SVGA3D_TC_DSDT;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    s.st.stages[0].color_op = VGT_SVGA3D_TC_PREMODULATE;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    tscene_fini(&s);
    vgt_soft_surface_destroy(cube);
    vgt_soft_surface_destroy(bump);
    vgt_soft_surface_destroy(colour);
}

/* A guest's matrix and luminance states are any float: NaN and infinities
 * move coordinates to where the sampler's address mode puts them and scale
 * texels to what saturation makes of them, never a crash or an undefined
 * cast (this test runs under UBSan's float-cast-overflow too). */
static void test_bump_hostile_floats(void **state)
{
    (void)state;
    vgt_soft_surface *colour = place_texture();
    uint8_t texel[4] = {0x7f, 0x81, 0x66, 0x00};
    vgt_soft_surface *bump = one_texel(VGT_SVGA3D_X8L8V8U8, texel, 4);
    vgt_soft_shader *ps[2] = {
        test_shader(VGT_SVGA3D_SHADERTYPE_PS, "ps_1_1\ntex t0\ntexbeml t1, t0\nmov r0, t1\n"),
        test_shader(VGT_SVGA3D_SHADERTYPE_PS, "ps_1_4\ntexld r0, t0\ntexcrd r2.rgb, t0\n"
                                              "bem r1.rg, r2, r0\nphase\ntexld r1, r1\n"
                                              "mov r0, r1\n"),
    };
    const float bad[] = {NAN, INFINITY, -INFINITY, 3.4e38f, -3.4e38f};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        for (int mode = 0; mode < 3; mode++) {
            tscene s;
            tvert v[6];
            bump_scene(&s, v, bump, colour);
            if (mode < 2) {
                s.st.pixel_shader = 1;
                s.st.ps_program = ps[mode];
            } else {
                ffp_bump_stages(&s);
            }
            for (int g = 0; g < 2; g++) {
                vgt_soft_stage *st = &s.st.stages[g];
                st->bump_env_mat[0][0] = st->bump_env_mat[1][1] = bad[i];
                st->bump_env_mat[0][1] = st->bump_env_mat[1][0] = -bad[i];
                st->bump_env_lscale = bad[i];
                st->bump_env_loffset = -bad[i];
            }
            tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
            tscene_fini(&s);
        }
    }
    vgt_soft_shader_destroy(ps[0]);
    vgt_soft_shader_destroy(ps[1]);
    vgt_soft_surface_destroy(bump);
    vgt_soft_surface_destroy(colour);
}

/* ---- texreg2ar/gb/rgb, texdp3(tex), texm3x2pad/tex --------------------------- */

/* A 1x1 A8R8G8B8 texture holding `argb`. */
static vgt_soft_surface *one_colour(uint32_t argb)
{
    uint8_t b[4];
    memcpy(b, &argb, 4); /* little-endian: B, G, R, A */
    return one_texel(VGT_SVGA3D_A8R8G8B8, b, 4);
}

/* Stage 0 holds `t0` (1x1), stage `m` the place texture, the others
 * nothing; every stage reads set 0 (u, v) but stage `pos_stage` (when not
 * 0), which reads set 1: the clip-space position (x, y); draws `ps`. */
static void draw_dependent(tscene *s, tvert *v, uint32_t t0, uint32_t m, uint32_t pos_stage,
                           const char *ps_text, vgt_soft_surface **keep)
{
    keep[0] = one_colour(t0);
    keep[1] = place_texture();
    bump_scene(s, v, keep[0], NULL);
    for (uint32_t i = 1; i <= m; i++) {
        vgt_soft_stage *g = &s->st.stages[i];
        g->texture = i == m ? keep[1] : NULL;
        g->texcoord_index = 0;
        g->address_u = g->address_v = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
        g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    }
    if (pos_stage) {
        s->st.elements[3] = s->st.elements[0];
        s->st.elements[3].type = VGT_SVGA3D_DECLTYPE_FLOAT2;
        s->st.elements[3].usage = VGT_SVGA3D_DECLUSAGE_TEXCOORD;
        s->st.elements[3].usage_index = 1;
        s->st.element_count = 4;
        s->st.stages[pos_stage].texcoord_index = 1;
    }
    vgt_soft_shader *ps = test_shader(VGT_SVGA3D_SHADERTYPE_PS, ps_text);
    s->st.pixel_shader = 1;
    s->st.ps_program = ps;
    tscene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    vgt_soft_shader_destroy(ps);
    s->st.ps_program = NULL;
}

static void done_dependent(tscene *s, vgt_soft_surface **keep)
{
    tscene_fini(s);
    vgt_soft_surface_destroy(keep[0]);
    vgt_soft_surface_destroy(keep[1]);
}

/* Every pixel shows place texel (x, y). */
static void check_all(const tscene *s, uint32_t x, uint32_t y, const char *what)
{
    for (uint32_t py = 0; py < 2; py++) {
        for (uint32_t px = 0; px < 4; px++) {
            if (tscene_pixel(s, px, py) != place(x, y)) {
                fail_msg("%s: pixel (%u, %u) 0x%08x, expected texel (%u, %u) 0x%08x", what, px, py,
                         tscene_pixel(s, px, py), x, y, place(x, y));
            }
        }
    }
}

static void test_texreg2(void **state)
{
    (void)state;
    tscene s;
    tvert v[6];
    vgt_soft_surface *keep[2];
    /* texreg2ar: (A, R) = (0x60 -> 0.376: texel 1, 0xe0 -> 0.878: row 1) */
    draw_dependent(&s, v, 0x60e01020u, 1, 0, "ps_1_1\ntex t0\ntexreg2ar t1, t0\nmov r0, t1\n",
                   keep);
    check_all(&s, 1, 1, "texreg2ar");
    done_dependent(&s, keep);
    /* texreg2gb: (G, B) = (0xa0 -> 0.627: texel 2, 0x20 -> 0.125: row 0) */
    draw_dependent(&s, v, 0xffe0a020u, 1, 0, "ps_1_2\ntex t0\ntexreg2gb t1, t0\nmov r0, t1\n",
                   keep);
    check_all(&s, 2, 0, "texreg2gb");
    done_dependent(&s, keep);
    /* texreg2rgb on a 2D texture: (R, G) = (0xf0: texel 3, 0x90: row 1) */
    draw_dependent(&s, v, 0xfff09020u, 1, 0, "ps_1_2\ntex t0\ntexreg2rgb t1, t0\nmov r0, t1\n",
                   keep);
    check_all(&s, 3, 1, "texreg2rgb");
    done_dependent(&s, keep);
}

static void test_texdp3(void **state)
{
    (void)state;
    tscene s;
    tvert v[6];
    vgt_soft_surface *keep[2];
    /* t0 = (128/255, 0, 0): t1.xyz . t0.rgb = u * 128/255 at u = (x + 0.5) / 4:
     * 16, 48, 80, 112 in every channel */
    draw_dependent(&s, v, 0xff800000u, 1, 0, "ps_1_2\ntex t0\ntexdp3 t1, t0\nmov r0, t1\n", keep);
    static const uint32_t grey[4] = {0x10101010u, 0x30303030u, 0x50505050u, 0x70707070u};
    for (uint32_t y = 0; y < 2; y++) {
        for (uint32_t x = 0; x < 4; x++) {
            assert_int_equal(tscene_pixel(&s, x, y), grey[x]);
        }
    }
    done_dependent(&s, keep);
    /* texdp3tex, t0 = (1, 0, 0): sampled at (u, 0): texel x of row 0 */
    draw_dependent(&s, v, 0xffff0000u, 1, 0, "ps_1_2\ntex t0\ntexdp3tex t1, t0\nmov r0, t1\n",
                   keep);
    for (uint32_t y = 0; y < 2; y++) {
        for (uint32_t x = 0; x < 4; x++) {
            assert_int_equal(tscene_pixel(&s, x, y), place(x, 0));
        }
    }
    done_dependent(&s, keep);
}

static void test_texm3x2(void **state)
{
    (void)state;
    tscene s;
    tvert v[6];
    vgt_soft_surface *keep[2];
    /* t0 = (0, 160/255, 0) (G); t1 (texm3x2pad's) reads the position, t2
     * (u, v): u' = t1 . t0 = 0.627 y_clip, v' = t2 . t0 = 0.627 v. Pixel
     * centres are integers in Direct3D 9, so row 0 has y_clip 1 (its top
     * edge) and row 1 y_clip 0: row 0 reads (0.627, 0.157) = texel (2, 0),
     * row 1 (0, 0.470) = texel (0, 0) */
    draw_dependent(&s, v, 0xff00a000u, 2, 1,
                   "ps_1_1\ntex t0\ntexm3x2pad t1, t0\ntexm3x2tex t2, t0\nmov r0, t2\n", keep);
    for (uint32_t y = 0; y < 2; y++) {
        for (uint32_t x = 0; x < 4; x++) {
            assert_int_equal(tscene_pixel(&s, x, y), place(y ? 0 : 2, 0));
        }
    }
    done_dependent(&s, keep);
}

/* texm3x3pad t1, t0; texm3x3pad t2, t0; then texm3x3tex t3, t0 or
 * texm3x3 t3, t0, with t1 reading set 1 (the clip position) and t2, t3
 * set 0 (u, v), so the first dot product is told apart from the other
 * two: t0 = (0, 160/255, 0) gives (0.627 y_clip, 0.627 v, 0.627 v), as in
 * test_texm3x2: row 0 (0.627, 0.157), row 1 (0, 0.470). */
static void test_texm3x3(void **state)
{
    (void)state;
    tscene s;
    tvert v[6];
    vgt_soft_surface *keep[2];
    draw_dependent(&s, v, 0xff00a000u, 3, 1,
                   "ps_1_1\ntex t0\ntexm3x3pad t1, t0\ntexm3x3pad t2, t0\ntexm3x3tex t3, t0\n"
                   "mov r0, t3\n",
                   keep);
    for (uint32_t y = 0; y < 2; y++) {
        for (uint32_t x = 0; x < 4; x++) {
            assert_int_equal(tscene_pixel(&s, x, y), place(y ? 0 : 2, 0));
        }
    }
    done_dependent(&s, keep);
    /* texm3x3 writes (the three dots, 1): 160 y_clip, 160 v, 160 v */
    draw_dependent(&s, v, 0xff00a000u, 3, 1,
                   "ps_1_2\ntex t0\ntexm3x3pad t1, t0\ntexm3x3pad t2, t0\ntexm3x3 t3, t0\n"
                   "mov r0, t3\n",
                   keep);
    static const uint32_t want[2] = {0xffa02828u, 0xff007878u};
    for (uint32_t y = 0; y < 2; y++) {
        for (uint32_t x = 0; x < 4; x++) {
            assert_int_equal(tscene_pixel(&s, x, y), want[y]);
        }
    }
    done_dependent(&s, keep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bump_texels),
        cmocka_unit_test(test_bump_most_negative),
        cmocka_unit_test(test_bump_fixed_function),
        cmocka_unit_test(test_bump_refused),
        cmocka_unit_test(test_texbem),
        cmocka_unit_test(test_texbeml),
        cmocka_unit_test(test_bem),
        cmocka_unit_test(test_ffp_bump_offset),
        cmocka_unit_test(test_ffp_bump_luminance),
        cmocka_unit_test(test_ffp_bump_refused),
        cmocka_unit_test(test_bump_hostile_floats),
        cmocka_unit_test(test_texreg2),
        cmocka_unit_test(test_texdp3),
        cmocka_unit_test(test_texm3x2),
        cmocka_unit_test(test_texm3x3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
