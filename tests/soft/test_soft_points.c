/* test_soft_points.c - point sprites (POINTSPRITEENABLE) and point scaling
 * (POINTSCALEENABLE) on the soft renderer: the sprite's texture
 * coordinates run (0, 0) at the square's top-left to (1, 1) at its
 * bottom-right, and a scaled point is viewport height * size *
 * sqrt(1 / (A + B*De + C*De^2)) pixels, clamped to [min, max]. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "soft_test_util.h"
#include "vgt_shader.h"

/* A 4x4 texture whose texels all differ: red = 40 + 60 x, green = 40 + 60 y. */
#define TEXEL(x, y) (0xff000000u | (40u + 60u * (x)) << 16 | (40u + 60u * (y)) << 8 | 0x80u)

static uint32_t texel4(uint32_t x, uint32_t y, uint32_t mip)
{
    (void)mip;
    return TEXEL(x, y);
}

/* A 32x32 scene drawing one point at screen (16.25, 16.25): NDC (1/64,
 * -1/64) with the identity transforms.  The quarter pixel keeps the
 * square's edges and the texel edges off the pixel centres. */
static void point_scene(tscene *s, tvert *v)
{
    tscene_init(s, 32, 32, false, 1);
    *v = (tvert){1.0f / 64.0f, -1.0f / 64.0f, 0.5f, 0xffffffffu, 0.6f, 0.1f};
    tscene_use_tverts(s, v, 1);
}

/* The lit pixels of row y and of column x: first and count (all lit
 * pixels must be adjacent). */
static void lit_run(const tscene *s, bool row, uint32_t at, uint32_t *first, uint32_t *count)
{
    *first = 0;
    *count = 0;
    for (uint32_t i = 0; i < 32; i++) {
        uint32_t p = row ? tscene_pixel(s, i, at) : tscene_pixel(s, at, i);
        if ((p & 0xffffffu) != 0) {
            if (*count == 0) {
                *first = i;
            } else {
                assert_int_equal(*first + *count, i);
            }
            (*count)++;
        }
    }
}

/* Asserts the drawn point is a size x size square centred on (16.25, 16.25). */
static void assert_square(const tscene *s, uint32_t size)
{
    uint32_t first, count;
    /* pixels with centre in [16.25 - size/2, 16.25 + size/2) */
    uint32_t want = (uint32_t)ceil(16.25 - size / 2.0);
    lit_run(s, true, 16, &first, &count);
    assert_int_equal(count, size);
    assert_int_equal(first, want);
    lit_run(s, false, 16, &first, &count);
    assert_int_equal(count, size);
    assert_int_equal(first, want);
}

/* Clears the target to black and draws the point. */
static void redraw(tscene *s)
{
    tscene_clear(s);
    tscene_draw(s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1);
}

/* An 8x8 sprite shows the 4x4 texture upright, two pixels a texel: the
 * top-left texel at the square's top-left.  Without POINTSPRITEENABLE the
 * square keeps the vertex's coordinates (0.6, 0.1): texel (2, 0). */
static void test_sprite_texels(void **state)
{
    (void)state;
    tscene s;
    tvert v;
    point_scene(&s, &v);
    vgt_soft_surface *tex = make_texture(4, 4, 1, texel4);
    vgt_soft_stage *g = &s.st.stages[0];
    g->texture = tex;
    g->color_op = VGT_SVGA3D_TC_SELECTARG1;
    g->color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    s.st.point_size = 8.0f;
    s.st.point_sprite = true;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1);
    /* the square is pixels 13..20; pixel 13 + i reads u = (i + 0.75) / 8 */
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            assert_int_equal(tscene_pixel(&s, 13 + x, 13 + y), TEXEL(x / 2, y / 2));
        }
    }
    assert_int_equal(tscene_pixel(&s, 12, 16) & 0xffffffu, 0);
    assert_int_equal(tscene_pixel(&s, 21, 16) & 0xffffffu, 0);
    assert_int_equal(tscene_pixel(&s, 16, 12) & 0xffffffu, 0);
    assert_int_equal(tscene_pixel(&s, 16, 21) & 0xffffffu, 0);

    s.st.point_sprite = false;
    redraw(&s);
    for (uint32_t y = 13; y <= 20; y++) {
        for (uint32_t x = 13; x <= 20; x++) {
            assert_int_equal(tscene_pixel(&s, x, y), TEXEL(2, 0));
        }
    }
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* A second stage sees the sprite's coordinates too; a projected stage reads
 * q = 1 (GL's replaced (s, t, 0, 1)). */
static void test_sprite_stages(void **state)
{
    (void)state;
    tscene s;
    tvert v;
    point_scene(&s, &v);
    vgt_soft_surface *tex = make_texture(4, 4, 1, texel4);
    s.st.stages[0].texture = tex;
    s.st.stages[0].color_op = VGT_SVGA3D_TC_SELECTARG1;
    s.st.stages[0].color_arg1 = VGT_SVGA3D_TA_DIFFUSE;
    s.st.stages[1].texture = tex;
    s.st.stages[1].color_op = VGT_SVGA3D_TC_SELECTARG1;
    s.st.stages[1].color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    s.st.stages[1].transform_flags = VGT_SVGA3D_TEX_PROJECTED | VGT_SVGA3D_TEX_TRANSFORM_S |
                                     VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_TRANSFORM_R;
    s.st.point_size = 8.0f;
    s.st.point_sprite = true;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1);
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            assert_int_equal(tscene_pixel(&s, 13 + x, 13 + y), TEXEL(x / 2, y / 2));
        }
    }
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* The scaled size: the point is at eye distance 4 (view moves it to z = 4;
 * the projection keeps x, y, puts z at 0.4 and adds the quarter pixel), so
 * with a 32 pixel viewport size_screen = 32 * size / sqrt(A + 4B + 16C). */
static void scale_scene(tscene *s, tvert *v)
{
    point_scene(s, v);
    v->x = v->y = v->z = 0.0f;
    s->st.view.m[3][2] = 4.0f;
    s->st.projection.m[2][2] = 0.1f;
    s->st.projection.m[3][0] = 1.0f / 64.0f;
    s->st.projection.m[3][1] = -1.0f / 64.0f;
    s->st.point_scale = true;
    s->st.point_size_min = 1.0f;
    s->st.point_size_max = 64.0f;
    s->st.point_size = 1.0f;
}

static void draw_scaled(tscene *s, float a, float b, float c)
{
    s->st.point_scale_abc[0] = a;
    s->st.point_scale_abc[1] = b;
    s->st.point_scale_abc[2] = c;
    redraw(s);
}

static void test_scale_size(void **state)
{
    (void)state;
    tscene s;
    tvert v;
    scale_scene(&s, &v);
    draw_scaled(&s, 0, 0, 1); /* 32 / 4 */
    assert_square(&s, 8);
    draw_scaled(&s, 0, 1, 0); /* 32 / 2 */
    assert_square(&s, 16);
    draw_scaled(&s, 0, 2, 0.5f); /* 32 / sqrt(8 + 8) */
    assert_square(&s, 8);
    draw_scaled(&s, 64, 0, 0); /* 32 / 8 */
    assert_square(&s, 4);
    s.st.point_size = 1.5f; /* the size multiplies: 48 / 4 */
    draw_scaled(&s, 0, 0, 1);
    assert_square(&s, 12);
    /* the default A = 1, B = C = 0: 32 * size, so POINTSIZE 0.25 is 8 */
    s.st.point_size = 0.25f;
    draw_scaled(&s, 1, 0, 0);
    assert_square(&s, 8);
    /* without scaling the same state draws POINTSIZE pixels (at least 1) */
    s.st.point_scale = false;
    s.st.point_size = 3.0f;
    draw_scaled(&s, 0, 0, 1);
    assert_square(&s, 3);
    tscene_fini(&s);
}

/* The scaled size is clamped to [POINTSIZE_MIN, POINTSIZE_MAX]; a zero
 * denominator is an infinite size (the maximum), a NaN size the minimum. */
static void test_scale_clamp(void **state)
{
    (void)state;
    tscene s;
    tvert v;
    scale_scene(&s, &v);
    s.st.point_size_max = 6.0f;
    draw_scaled(&s, 0, 1, 0); /* 16 */
    assert_square(&s, 6);
    s.st.point_size_max = 64.0f;
    s.st.point_size_min = 5.0f;
    draw_scaled(&s, 1024, 0, 0); /* 1 */
    assert_square(&s, 5);
    s.st.point_size_min = 1.0f;
    s.st.point_size_max = 10.0f;
    draw_scaled(&s, 0, 0, 0);
    assert_square(&s, 10);
    draw_scaled(&s, -1.0f, 0, 0); /* negative: as zero */
    assert_square(&s, 10);
    draw_scaled(&s, NAN, 0, 0);
    assert_square(&s, 10);
    s.st.point_size_min = 3.0f;
    s.st.point_size = NAN;
    draw_scaled(&s, 0, 0, 1);
    assert_square(&s, 3);
    s.st.point_size = INFINITY;
    draw_scaled(&s, 0, 0, 1);
    assert_square(&s, 10);
    /* a maximum above what the rasterizer draws: 256 at most */
    s.st.point_size_max = 1e30f;
    draw_scaled(&s, 0, 0, 0);
    uint32_t first, count;
    lit_run(&s, true, 16, &first, &count);
    assert_int_equal(first, 0);
    assert_int_equal(count, 32);
    tscene_fini(&s);
}

/* Pretransformed points are not scaled, only clamped. */
typedef struct tlvert {
    float x, y, z, rhw;
    uint32_t color;
} tlvert;

static void test_scale_pretransformed(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 32, 32, false, 1);
    tlvert v = {16.25f, 16.25f, 0.5f, 1.0f, 0xffffffffu};
    const uint8_t *d = (const uint8_t *)&v;
    s.st.element_count = 2;
    s.st.elements[0] = (vgt_soft_element){
        d, sizeof(v), 0, sizeof(v), VGT_SVGA3D_DECLTYPE_FLOAT4, VGT_SVGA3D_DECLUSAGE_POSITIONT,
        0, 0,         0};
    s.st.elements[1] = (vgt_soft_element){
        d, sizeof(v), 16, sizeof(v), VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR,
        0, 0,         0};
    s.st.point_scale = true;
    s.st.point_scale_abc[0] = 0.0f;
    s.st.point_scale_abc[2] = 1.0f;
    s.st.point_size = 5.0f;
    redraw(&s);
    assert_square(&s, 5);
    s.st.point_size_max = 4.0f;
    redraw(&s);
    assert_square(&s, 4);
    tscene_fini(&s);
}

/* An 8-pixel sprite at (13, 13) textured with stage 0's 4x4 texture: each
 * texel covers 2x2 pixels; without POINTSPRITEENABLE the point reads the
 * one texel (2, 0) its coordinates give. */
static void sprite_on_then_off(tscene *s)
{
    s->st.point_sprite = true;
    redraw(s);
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            assert_int_equal(tscene_pixel(s, 13 + x, 13 + y), TEXEL(x / 2, y / 2));
        }
    }
    assert_square(s, 8);
    s->st.point_sprite = false;
    redraw(s);
    assert_int_equal(tscene_pixel(s, 13, 13), TEXEL(2, 0));
    assert_int_equal(tscene_pixel(s, 20, 20), TEXEL(2, 0));
}
/* A pixel shader's texture coordinate inputs (ps_2_0 t0, ps_3_0
 * dcl_texcoord) read the sprite's coordinates, scaled or not; its color
 * input keeps the vertex's. */
static void test_sprite_pixel_shader(void **state)
{
    (void)state;
    static const char *const text[2] = {
        "ps_2_0\ndcl t0.xy\ndcl_2d s0\ntexld r0, t0, s0\nmov oC0, r0\n",
        "ps_3_0\ndcl_texcoord0 v0.xy\ndcl_color0 v1\ndcl_2d s0\ntexld r0, v0, s0\n"
        "mul oC0, r0, v1\n",
    };
    for (int i = 0; i < 2; i++) {
        tscene s;
        tvert v;
        point_scene(&s, &v);
        vgt_soft_surface *tex = make_texture(4, 4, 1, texel4);
        vgt_soft_shader *ps = test_shader(VGT_SVGA3D_SHADERTYPE_PS, text[i]);
        s.st.pixel_shader = 7;
        s.st.ps_program = ps;
        s.st.stages[0].texture = tex;
        s.st.point_size = 8.0f;
        sprite_on_then_off(&s);
        vgt_soft_shader_destroy(ps);
        vgt_soft_surface_destroy(tex);
        tscene_fini(&s);
    }
}

/* A vertex shader in front: its oT0 is replaced the same way; the size is
 * its oPts. */
static void test_sprite_both_shaders(void **state)
{
    (void)state;
    tscene s;
    tvert v;
    point_scene(&s, &v);
    vgt_soft_surface *tex = make_texture(4, 4, 1, texel4);
    vgt_soft_shader *vs = test_shader(VGT_SVGA3D_SHADERTYPE_VS,
                                      "vs_2_0\ndef c0, 8, 0, 0, 0\ndcl_position v0\nmov oPos, v0\n"
                                      "mov oT0, v0\nmov oPts, c0.x\n");
    vgt_soft_shader *ps = test_shader(
        VGT_SVGA3D_SHADERTYPE_PS, "ps_2_0\ndcl t0.xy\ndcl_2d s0\ntexld r0, t0, s0\nmov oC0, r0\n");
    s.st.vertex_shader = 5;
    s.st.vs_program = vs;
    s.st.pixel_shader = 7;
    s.st.ps_program = ps;
    s.st.stages[0].texture = tex;
    s.st.point_sprite = true;
    redraw(&s);
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            assert_int_equal(tscene_pixel(&s, 13 + x, 13 + y), TEXEL(x / 2, y / 2));
        }
    }
    assert_square(&s, 8);
    vgt_soft_shader_destroy(vs);
    vgt_soft_shader_destroy(ps);
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

/* Asserts every pixel of the size x size square centred on (16.25, 16.25)
 * is `inside` and the rest of the target black. */
static void assert_square_color(const tscene *s, uint32_t size, uint32_t inside)
{
    uint32_t first = (uint32_t)ceil(16.25 - size / 2.0);
    for (uint32_t y = 0; y < 32; y++) {
        for (uint32_t x = 0; x < 32; x++) {
            bool in = x >= first && x < first + size && y >= first && y < first + size;
            assert_int_equal(tscene_pixel(s, x, y) & 0xffffffu, in ? inside & 0xffffffu : 0u);
        }
    }
}

/* With a vertex shader POINTSCALEENABLE does not scale
 * (vgt_svga3d_point_scale_applies): the size is the shader's oPts, else
 * POINTSIZE, clamped to [POINTSIZE_MIN, POINTSIZE_MAX] as with scaling off.
 * A = 0, C = 1 would scale a size s to 32 * s / De pixels. */
static void test_vs_point_scale(void **state)
{
    (void)state;
    static const char *const text[2] = {
        /* writes oPts = 6 */
        "vs_1_1\ndef c0, 6, 0, 0, 0\ndef c1, 0.2, 0.4, 0.6, 1\ndcl_position v0\n"
        "mov oPos, v0\nmov oD0, c1\nmov oPts, c0.x\n",
        /* does not write oPts */
        "vs_2_0\ndef c1, 0.2, 0.4, 0.6, 1\ndcl_position v0\nmov oPos, v0\nmov oD0, c1\n",
    };
    for (int i = 0; i < 2; i++) {
        tscene s;
        tvert v;
        point_scene(&s, &v);
        vgt_soft_shader *vs = test_shader(VGT_SVGA3D_SHADERTYPE_VS, text[i]);
        s.st.vertex_shader = 5;
        s.st.vs_program = vs;
        s.st.point_scale = true;
        s.st.point_scale_abc[0] = 0.0f;
        s.st.point_scale_abc[1] = 0.0f;
        s.st.point_scale_abc[2] = 1.0f;
        s.st.point_size_min = 1.0f;
        s.st.point_size_max = 64.0f;
        s.st.point_size = 3.0f;
        redraw(&s);
        assert_square_color(&s, i == 0 ? 6 : 3, 0xff336699u);
        /* POINTSIZE above POINTSIZE_MAX: the maximum; oPts is the shader's */
        s.st.point_size = 40.0f;
        s.st.point_size_max = 10.0f;
        redraw(&s);
        assert_square_color(&s, i == 0 ? 6 : 10, 0xff336699u);
        /* below POINTSIZE_MIN: the minimum */
        s.st.point_size = 1.0f;
        s.st.point_size_min = 5.0f;
        redraw(&s);
        assert_square_color(&s, i == 0 ? 6 : 5, 0xff336699u);
        /* a NaN POINTSIZE: the minimum, as scaling makes it */
        s.st.point_size = NAN;
        redraw(&s);
        assert_square_color(&s, i == 0 ? 6 : 5, 0xff336699u);
        /* oPts is clamped to [MIN, MAX] too (the driver clamps every
         * computed size, as the gl backend does) */
        s.st.point_size = 3.0f;
        s.st.point_size_min = 1.0f;
        s.st.point_size_max = 4.0f;
        redraw(&s);
        assert_square_color(&s, i == 0 ? 4 : 3, 0xff336699u);
        s.st.point_size_min = 8.0f;
        s.st.point_size_max = 64.0f;
        redraw(&s);
        assert_square_color(&s, 8, 0xff336699u);
        vgt_soft_shader_destroy(vs);
        tscene_fini(&s);
    }
}

/* Sprites with a vertex shader in front of the fixed-function stages: every
 * sampled stage reads the sprite's coordinates in place of the shader's oT#
 * (here (0.6, 0.1): texel (2, 0)), projected or not; without
 * POINTSPRITEENABLE the oT# are read. */
static void test_sprite_vs_fixed_function(void **state)
{
    (void)state;
    static const char *const text[2] = {
        "vs_1_1\ndef c0, 8, 0, 0, 0\ndef c1, 0.6, 0.1, 0, 1\ndcl_position v0\nmov oPos, v0\n"
        "mov oT0, c1\nmov oPts, c0.x\n",
        /* oT0 = (1.2, 0.2, 2, 4): projected by z (COUNT3), (0.6, 0.1) */
        "vs_2_0\ndef c0, 8, 0, 0, 0\ndef c1, 1.2, 0.2, 2, 4\ndcl_position v0\nmov oPos, v0\n"
        "mov oT0, c1\nmov oPts, c0.x\n",
    };
    for (int i = 0; i < 2; i++) {
        tscene s;
        tvert v;
        point_scene(&s, &v);
        vgt_soft_surface *tex = make_texture(4, 4, 1, texel4);
        vgt_soft_shader *vs = test_shader(VGT_SVGA3D_SHADERTYPE_VS, text[i]);
        s.st.vertex_shader = 5;
        s.st.vs_program = vs;
        s.st.stages[0].texture = tex;
        s.st.stages[0].color_arg1 = VGT_SVGA3D_TA_TEXTURE;
        s.st.stages[0].alpha_arg1 = VGT_SVGA3D_TA_TEXTURE;
        if (i == 1) {
            s.st.stages[0].transform_flags = VGT_SVGA3D_TEX_PROJECTED | VGT_SVGA3D_TEX_TRANSFORM_S |
                                             VGT_SVGA3D_TEX_TRANSFORM_T |
                                             VGT_SVGA3D_TEX_TRANSFORM_R;
        }
        sprite_on_then_off(&s);
        vgt_soft_shader_destroy(vs);
        vgt_soft_surface_destroy(tex);
        tscene_fini(&s);
    }
}

/* A volume texture behind a vertex shader, projected by z (COUNT3): the
 * sprite's divisor is 1 there too, not its w = 0. */
static void test_sprite_vs_volume_projected(void **state)
{
    (void)state;
    tscene s;
    tvert v;
    point_scene(&s, &v);
    vgt_error err = {0};
    vgt_soft_surface *tex = NULL;
    vgt_soft_surface_desc d = {VGT_SVGA3D_A8R8G8B8, 4, 4, 2, 1, 1};
    assert_int_equal(vgt_soft_surface_create(&d, &tex, &err), VGT_OK);
    uint32_t px[2 * 4 * 4];
    for (uint32_t i = 0; i < 2 * 4 * 4; i++) {
        px[i] = TEXEL(i % 4, (i / 4) % 4); /* both slices alike */
    }
    vgt_soft_box b = {0, 0, 0, 4, 4, 2};
    assert_int_equal(vgt_soft_surface_upload(tex, 0, 0, &b, px, sizeof(px), 16, 64, &err), VGT_OK);
    vgt_soft_shader *vs =
        test_shader(VGT_SVGA3D_SHADERTYPE_VS,
                    "vs_2_0\ndef c0, 8, 0, 0, 0\ndef c1, 1.2, 0.2, 2, 4\ndcl_position v0\n"
                    "mov oPos, v0\nmov oT0, c1\nmov oPts, c0.x\n");
    s.st.vertex_shader = 5;
    s.st.vs_program = vs;
    s.st.stages[0].texture = tex;
    s.st.stages[0].color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    s.st.stages[0].alpha_arg1 = VGT_SVGA3D_TA_TEXTURE;
    s.st.stages[0].transform_flags = VGT_SVGA3D_TEX_PROJECTED | VGT_SVGA3D_TEX_TRANSFORM_S |
                                     VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_TRANSFORM_R;
    s.st.point_sprite = true;
    redraw(&s);
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            assert_int_equal(tscene_pixel(&s, 13 + x, 13 + y), TEXEL(x / 2, y / 2));
        }
    }
    vgt_soft_shader_destroy(vs);
    vgt_soft_surface_destroy(tex);
    tscene_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sprite_texels),
        cmocka_unit_test(test_sprite_stages),
        cmocka_unit_test(test_scale_size),
        cmocka_unit_test(test_scale_clamp),
        cmocka_unit_test(test_scale_pretransformed),
        cmocka_unit_test(test_sprite_pixel_shader),
        cmocka_unit_test(test_sprite_both_shaders),
        cmocka_unit_test(test_vs_point_scale),
        cmocka_unit_test(test_sprite_vs_fixed_function),
        cmocka_unit_test(test_sprite_vs_volume_projected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
