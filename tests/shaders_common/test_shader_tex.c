/* Texture instructions of the shader backends (soft interpreter, gl
 * translation): texld, texldp, texldb, texldl, texldd, texkill, dsx/dsy and
 * ps_1_x tex/texcoord (point filtering, mip levels).  Per backend
 * (sht_caps): texture coordinates moved off texel edges (tex_uv_nudge: 1/64
 * on gl), interpolated values compared within interp_tol (1e-6 on gl, exact
 * on soft). */
#include <stdio.h>
#include <string.h>

#include "sht_harness.h"

#define PS VGT_SVGA3D_SHADERTYPE_PS
#define VS VGT_SVGA3D_SHADERTYPE_VS

#define L1_COLOR 0xFF00FF00u
#define L2_COLOR 0xFF0000FFu

static uint32_t texel(uint32_t x, uint32_t y)
{
    return 0xFF000000u | ((x * 64u) << 16) | ((y * 64u) << 8) | 0x10u;
}

/* A 4x4 texture with 3 levels: level 0 texel(x, y), level 1 green, level 2 blue. */
static void texture(sht_fx *f)
{
    sht_define_surface(f, SHT_SID_TEX, VGT_SVGA3D_A8R8G8B8, 4, 4, 3);
    uint32_t l0[16], l1[4], l2[1] = {L2_COLOR};
    for (uint32_t y = 0; y < 4; y++) {
        for (uint32_t x = 0; x < 4; x++) {
            l0[y * 4 + x] = texel(x, y);
        }
    }
    for (int i = 0; i < 4; i++) {
        l1[i] = L1_COLOR;
    }
    sht_upload(f, SHT_SID_TEX, 0, l0, 16, 4, 4);
    sht_upload(f, SHT_SID_TEX, 1, l1, 8, 2, 2);
    sht_upload(f, SHT_SID_TEX, 2, l2, 4, 1, 1);
    sht_ts(f, 0, VGT_SVGA3D_TS_BIND_TEXTURE, SHT_SID_TEX);
    sht_ts(f, 0, VGT_SVGA3D_TS_MAGFILTER, VGT_SVGA3D_TEX_FILTER_NEAREST);
    sht_ts(f, 0, VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_NEAREST);
    sht_ts(f, 0, VGT_SVGA3D_TS_MIPFILTER, VGT_SVGA3D_TEX_FILTER_NEAREST);
    sht_ts(f, 0, VGT_SVGA3D_TS_ADDRESSU, VGT_SVGA3D_TEX_ADDRESS_CLAMP);
    sht_ts(f, 0, VGT_SVGA3D_TS_ADDRESSV, VGT_SVGA3D_TEX_ADDRESS_CLAMP);
}

static void color_of(uint32_t c, float out[4])
{
    out[0] = (float)((c >> 16) & 0xff) / 255.0f;
    out[1] = (float)((c >> 8) & 0xff) / 255.0f;
    out[2] = (float)(c & 0xff) / 255.0f;
    out[3] = (float)(c >> 24) / 255.0f;
}

static void draw(sht_fx *f, const char *ps, float s, float t)
{
    vgt_error err = {0};
    if (sht_define_asm(f, PS, 1, ps, &err) != VGT_OK) {
        fail_msg("define: %s", err.message);
    }
    sht_bind(f, PS, 1);
    if (sht_fullscreen(f, s, t, 0xFFFFFFFFu, &err) != VGT_OK) {
        fail_msg("draw: %s", err.message);
    }
    sht_read_float(f);
}

static void expect_color(sht_fx *f, uint32_t x, uint32_t y, const char *what, uint32_t c)
{
    float got[4], want[4];
    sht_pixel(f, x, y, got);
    color_of(c, want);
    char name[128];
    snprintf(name, sizeof(name), "%s at (%u, %u)", what, x, y);
    sht_assert4(name, got, want, 1e-6f);
}

static void test_texld(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    texture(f);
    sht_uv_nudge = SHT_CAPS->tex_uv_nudge;
    /* pixel x has u = x / 8: texel x / 2 at level 0 (magnified) */
    draw(f, "ps_2_0\ndcl t0.xy\ndcl_2d s0\ntexld r0, t0, s0\nmov oC0, r0\n", 0, 0);
    for (uint32_t y = 0; y < SHT_H; y++) {
        for (uint32_t x = 0; x < SHT_W; x++) {
            expect_color(f, x, y, "texld", texel(x / 2, y / 2));
        }
    }
    /* the same through the vs_2_0 passthrough (oT0 -> t0) */
    vgt_error err = {0};
    assert_int_equal(sht_define_asm(f, VS, 1, sht_vs20_pass, &err), VGT_OK);
    sht_bind(f, VS, 1);
    draw(f, "ps_2_0\ndcl t0.xy\ndcl_2d s0\ntexld r0, t0, s0\nmov oC0, r0\n", 0, 0);
    expect_color(f, 5, 6, "texld behind vs_2_0", texel(2, 3));
    /* texldp: (u, v) / w, w = 2 from a def'd swizzle */
    draw(f,
         "ps_2_0\ndef c0, 2, 2, 2, 2\ndcl t0.xy\ndcl_2d s0\nmov r1.xy, t0\nmov r1.w, c0.w\n"
         "texldp r0, r1, s0\nmov oC0, r0\n",
         0, 0);
    expect_color(f, 7, 7, "texldp", texel(1, 1));
    /* texldb: bias 2 -> level 1; 3.9 -> level 2 (clamped to the last) */
    draw(f,
         "ps_2_0\ndef c0, 0, 0, 0, 2\ndcl t0.xy\ndcl_2d s0\nmov r1.xy, t0\nmov r1.w, c0.w\n"
         "texldb r0, r1, s0\nmov oC0, r0\n",
         0, 0);
    expect_color(f, 3, 3, "texldb 2", L1_COLOR);
    sht_bind(f, VS, VGT_SVGA3D_INVALID_ID);
    /* texldl: explicit level from w (s = level through the texcoord's z/w) */
    const char *texldl = "ps_3_0\ndcl_texcoord v0\ndcl_2d s0\ntexldl r0, v0, s0\nmov oC0, r0\n";
    draw(f, texldl, 0, 0);
    expect_color(f, 2, 2, "texldl 0", texel(1, 1));
    draw(f, texldl, 0, 1);
    expect_color(f, 2, 2, "texldl 1", L1_COLOR);
    draw(f, texldl, 0, 2);
    expect_color(f, 2, 2, "texldl 2", L2_COLOR);
    /* texldd: gradients of 1 texel (level 0) and 4 texels (level 2) */
    draw(f,
         "ps_3_0\ndef c0, 0.25, 0, 0, 0\ndef c1, 1, 0, 0, 0\ndcl_texcoord v0\ndcl_2d s0\n"
         "texldd r0, v0, s0, c0, c0.yxzw\ntexldd r1, v0, s0, c1, c1.yxzw\n"
         "mov r0.w, r1.g\nmov oC0, r0\n",
         0, 0);
    {
        float got[4], want[4];
        sht_pixel(f, 6, 2, got);
        color_of(texel(3, 1), want);
        want[3] = 0.0f; /* level 2 is blue: its green is 0 */
        sht_assert4("texldd", got, want, 1e-6f);
    }
}

/* MAXMIPLEVEL is the most detailed level used: the implicit level of
 * detail, measured on level 0, is clamped to it (Direct3D 9's reference
 * device, Microsoft's texldl and texldb pages), not added to it.  The quad
 * has lambda -1 (half a texel per pixel); texldb's w adds to it. */
static void test_maxmiplevel_clamps(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    texture(f);
    sht_uv_nudge = SHT_CAPS->tex_uv_nudge;
    sht_ts(f, 0, VGT_SVGA3D_TS_TEXTURE_MIPMAP_LEVEL, 1);
    static const struct {
        const char *bias;
        uint32_t colour;
    } cases[] = {
        {"2", L1_COLOR},    /* lambda 1: level 1 (1 + 1 would be level 2) */
        {"3", L2_COLOR},    /* lambda 2: level 2 */
        {"1.25", L1_COLOR}, /* lambda 0.25, minified: clamped up to level 1 */
        {"0.5", L1_COLOR},  /* lambda -0.5, magnified: level 1 all the same */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char ps[256];
        snprintf(ps, sizeof(ps),
                 "ps_2_0\ndef c0, 0, 0, 0, %s\ndcl t0.xy\ndcl_2d s0\nmov r1.xy, t0\n"
                 "mov r1.w, c0.w\ntexldb r0, r1, s0\nmov oC0, r0\n",
                 cases[i].bias);
        draw(f, ps, 0, 0);
        char what[64];
        snprintf(what, sizeof(what), "texldb %s under MAXMIPLEVEL 1", cases[i].bias);
        expect_color(f, 3, 3, what, cases[i].colour);
        expect_color(f, 6, 1, what, cases[i].colour);
    }
    /* texldl: Direct3D 9 clamps the explicit level too, max(w, 1), where
     * GL's textureLod measured from BASE_LEVEL would take 1 + w */
    const char *texldl = "ps_3_0\ndcl_texcoord v0\ndcl_2d s0\ntexldl r0, v0, s0\nmov oC0, r0\n";
    static const struct {
        float w;
        uint32_t colour;
    } point[] = {
        {-1.0f, L1_COLOR}, {0.0f, L1_COLOR},  {0.25f, L1_COLOR}, {0.75f, L1_COLOR},
        {1.0f, L1_COLOR},  {1.25f, L1_COLOR}, {1.75f, L2_COLOR}, {2.0f, L2_COLOR},
    };
    for (size_t i = 0; i < sizeof(point) / sizeof(point[0]); i++) {
        draw(f, texldl, 0, point[i].w);
        char what[64];
        snprintf(what, sizeof(what), "texldl %g under MAXMIPLEVEL 1, POINT mips", point[i].w);
        expect_color(f, 3, 3, what, point[i].colour);
        expect_color(f, 6, 1, what, point[i].colour);
    }
    /* MIPFILTER LINEAR at lambda 1 (an integer: no blend): level 1 */
    sht_ts(f, 0, VGT_SVGA3D_TS_MIPFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR);
    draw(f,
         "ps_2_0\ndef c0, 0, 0, 0, 2\ndcl t0.xy\ndcl_2d s0\nmov r1.xy, t0\nmov r1.w, c0.w\n"
         "texldb r0, r1, s0\nmov oC0, r0\n",
         0, 0);
    expect_color(f, 3, 3, "linear mips at lambda 1 under MAXMIPLEVEL 1", L1_COLOR);
    /* texldl under LINEAR mips: w 0.5 clamped to level 1, 1.5 half level 1
     * half level 2 (GL from BASE_LEVEL: 1.5 and level 2) */
    static const struct {
        float w;
        float g, b;
    } linear[] = {{0.5f, 1.0f, 0.0f}, {1.0f, 1.0f, 0.0f}, {1.5f, 0.5f, 0.5f}, {2.0f, 0.0f, 1.0f}};
    for (size_t i = 0; i < sizeof(linear) / sizeof(linear[0]); i++) {
        draw(f, texldl, 0, linear[i].w);
        char what[64];
        snprintf(what, sizeof(what), "texldl %g under MAXMIPLEVEL 1, LINEAR mips", linear[i].w);
        float got[4], want[4] = {0.0f, linear[i].g, linear[i].b, 1.0f};
        sht_pixel(f, 3, 3, got);
        /* the blend's weight: 8 bits on llvmpipe */
        sht_assert4(what, got, want, 2.0f / 255.0f);
    }
    /* MINFILTER POINT, MAGFILTER LINEAR, POINT mips, level 1 black | red
     * (columns): Direct3D 9 chooses min/mag on w itself, before the clamp.
     * At pixel (3, 1) u = 3/8 + nudge: magnified, level 1's coordinate
     * 2u - 0.5 blends a quarter (plus twice the nudge) of red; minified, the
     * nearest texel of level 1 is black (level 2 would be blue). */
    uint32_t l1[4] = {0xFF000000u, 0xFFFF0000u, 0xFF000000u, 0xFFFF0000u};
    sht_upload(f, SHT_SID_TEX, 1, l1, 8, 2, 2);
    sht_ts(f, 0, VGT_SVGA3D_TS_MIPFILTER, VGT_SVGA3D_TEX_FILTER_NEAREST);
    sht_ts(f, 0, VGT_SVGA3D_TS_MAGFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR);
    float red = 0.25f + 2.0f * SHT_CAPS->tex_uv_nudge;
    /* with MIPMAPLODBIAS (Direct3D 9: L = w + bias): w 1.25 under bias -1
     * is L 0.25, minified; w -0.75 under bias 1 too */
    static const struct {
        float w, bias;
        bool mag;
    } minmag[] = {{-0.5f, 0.0f, true},  {0.0f, 0.0f, true},   {0.25f, 0.0f, false},
                  {0.75f, 0.0f, false}, {1.0f, 0.0f, false},  {1.25f, -1.0f, false},
                  {0.75f, -1.0f, true}, {-0.75f, 1.0f, false}};
    for (size_t i = 0; i < sizeof(minmag) / sizeof(minmag[0]); i++) {
        uint32_t bias;
        memcpy(&bias, &minmag[i].bias, sizeof(bias));
        sht_ts(f, 0, VGT_SVGA3D_TS_TEXTURE_LOD_BIAS, bias);
        draw(f, texldl, 0, minmag[i].w);
        char what[96];
        snprintf(what, sizeof(what), "texldl %g bias %g under MAXMIPLEVEL 1, MIN POINT MAG LINEAR",
                 minmag[i].w, minmag[i].bias);
        float got[4], want[4] = {minmag[i].mag ? red : 0.0f, 0.0f, 0.0f, 1.0f};
        sht_pixel(f, 3, 1, got);
        sht_assert4(what, got, want, 2.0f / 255.0f);
    }
    /* MIPFILTER NONE: one level (MAXMIPLEVEL's, on both backends), the
     * min/mag switch at 0 all the same: w 0.5 is minified */
    sht_ts(f, 0, VGT_SVGA3D_TS_TEXTURE_LOD_BIAS, 0);
    sht_ts(f, 0, VGT_SVGA3D_TS_MIPFILTER, VGT_SVGA3D_TEX_FILTER_NONE);
    static const struct {
        float w;
        bool mag;
    } nomips[] = {{-0.5f, true}, {0.5f, false}, {2.0f, false}};
    for (size_t i = 0; i < sizeof(nomips) / sizeof(nomips[0]); i++) {
        draw(f, texldl, 0, nomips[i].w);
        char what[96];
        snprintf(what, sizeof(what), "texldl %g under MAXMIPLEVEL 1, no mips", nomips[i].w);
        float got[4], want[4] = {nomips[i].mag ? red : 0.0f, 0.0f, 0.0f, 1.0f};
        sht_pixel(f, 3, 1, got);
        sht_assert4(what, got, want, 2.0f / 255.0f);
    }
}

static void test_derivatives_and_kill(void **state)
{
    sht_fx *f = *state;
    sht_uv_nudge = 0.0f;
    sht_scene_float(f);
    draw(f, "ps_3_0\ndcl_texcoord v0\ndsx r0, v0\ndsy r1, v0\nmov r0.zw, r1.xxxy\nmov oC0, r0\n", 0,
         0);
    for (uint32_t y = 0; y < SHT_H; y++) {
        for (uint32_t x = 0; x < SHT_W; x++) {
            float got[4], want[4] = {0.125f, 0.0f, 0.0f, 0.125f};
            sht_pixel(f, x, y, got);
            sht_assert4("dsx/dsy of (x/8, y/8)", got, want, SHT_CAPS->interp_tol);
        }
    }
    /* dsx of a product: per row of the quad */
    draw(f,
         "ps_3_0\ndcl vPos.xy\nmul r1, vPos.x, vPos.y\ndsx r0, r1\ndsy r2, r1\nmov r0.y, r2.x\n"
         "mov oC0, r0\n",
         0, 0);
    for (uint32_t y = 0; y < SHT_H; y++) {
        for (uint32_t x = 0; x < SHT_W; x++) {
            float got[4];
            sht_pixel(f, x, y, got);
            assert_true(got[0] == (float)y);
            assert_true(got[1] == (float)x);
        }
    }
    /* texkill: u - 0.5 < 0 kills the left half (the target keeps its clear) */
    sht_clear(f, VGT_SVGA3D_CLEAR_COLOR, 0xFF0000FFu, 1.0f);
    draw(f,
         "ps_2_0\ndef c0, -0.5, 1, 1, 1\ndcl t0.xy\nadd r0, t0.x, c0.x\ntexkill r0\n"
         "mov oC0, c0.y\n",
         0, 0);
    for (uint32_t x = 0; x < SHT_W; x++) {
        float got[4];
        sht_pixel(f, x, 3, got);
        assert_true(got[0] == (x < 4 ? 0.0f : 1.0f));
        assert_true(got[2] == 1.0f);
    }
}

static void test_ps1x_tex(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    texture(f);
    const float nudge = SHT_CAPS->tex_uv_nudge;
    sht_uv_nudge = nudge;
    draw(f, "ps_1_1\ntex t0\nmov r0, t0\n", 0, 0);
    expect_color(f, 4, 2, "ps_1_1 tex", texel(2, 1));
    draw(f, "ps_1_4\ntexld r0, t0\n", 0, 0);
    expect_color(f, 6, 1, "ps_1_4 texld", texel(3, 0));
    /* TEXTURETRANSFORMFLAGS PROJECTED with S T R Q: (u, v) / q with
     * t0 = (u, v, 0, 2); with S T R (COUNT3): (u, v) / w with t0 = (u, v,
     * 2, 0); ps_1_4 texld is not projected by it (its _dw modifier asks) */
    sht_ts(f, 0, VGT_SVGA3D_TS_TEXTURETRANSFORMFLAGS,
           VGT_SVGA3D_TEX_PROJECTED | VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T |
               VGT_SVGA3D_TEX_TRANSFORM_R | VGT_SVGA3D_TEX_TRANSFORM_Q);
    draw(f, "ps_1_1\ntex t0\nmov r0, t0\n", 0, 2);
    expect_color(f, 6, 2, "ps_1_1 tex projected by q", texel(1, 0));
    expect_color(f, 2, 7, "ps_1_1 tex projected by q", texel(0, 1));
    draw(f, "ps_1_4\ntexld r0, t0\n", 0, 2);
    expect_color(f, 6, 1, "ps_1_4 texld, PROJECTED stage", texel(3, 0));
    sht_ts(f, 0, VGT_SVGA3D_TS_TEXTURETRANSFORMFLAGS,
           VGT_SVGA3D_TEX_PROJECTED | VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T |
               VGT_SVGA3D_TEX_TRANSFORM_R);
    draw(f, "ps_1_2\ntex t0\nmov r0, t0\n", 2, 0);
    expect_color(f, 6, 2, "ps_1_2 tex projected by w", texel(1, 0));
    expect_color(f, 2, 7, "ps_1_2 tex projected by w", texel(0, 1));
    sht_ts(f, 0, VGT_SVGA3D_TS_TEXTURETRANSFORMFLAGS, 0);
    draw(f, "ps_1_1\ntexcoord t0\nmov r0, t0\n", 0, 0);
    {
        float got[4], want[4] = {0.5f + nudge, 0.25f + nudge, 0.0f, 1.0f};
        sht_pixel(f, 4, 2, got);
        sht_assert4("ps_1_1 texcoord", got, want, SHT_CAPS->interp_tol);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_texld, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_maxmiplevel_clamps, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_derivatives_and_kill, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_ps1x_tex, sht_setup, sht_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
