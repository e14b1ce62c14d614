/* test_gl_bump.c - the signed "bump" formats sampled on the gl backend.
 *
 * Each test draws an 8 x 2 quad sampling a 4 x 1 texture (point filter, two
 * pixels a texel) of texels chosen here, and asserts every pixel against
 * the Direct3D 9 rule worked out by hand (docs/gl.md "Bump formats"):
 * signed components max(c / cmax, -1) (cmax 127 for 8 bits, 15 for 5),
 * unsigned luminance l / lmax, the channels the format lacks 1, CxV8U8's
 * third component sqrt(max(0, 1 - u^2 - v^2)).  Signed values are made
 * visible with MULTIPLYADD: out = tf + tf * t with TFACTOR 0x80 (128/255),
 * so pixel = sat(128/255 * (1 + t)) * 255. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gl_test_util.h"

#define W 8
#define H 2

/* Tolerance of a channel against the hand-computed value (docs/gl.md
 * "Tests and tolerance": one step of 8 bits, plus the rounding of 16-bit
 * snorm storage). */
#define TOL 2

/* The expected 8-bit channel for sampled value t. */
static int expect8(double t)
{
    double v = 128.0 / 255.0 * (1.0 + t);
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    return (int)floor(v * 255.0 + 0.5);
}

static double sn(int c, int max)
{
    double v = (double)c / max;
    return v < -1 ? -1 : v;
}

/* The full-target quad with u moved half a pixel (1/16): Direct3D 9 puts
 * pixel x's centre at u = x / 8, on a texel edge of these textures (a tie
 * either way); moved, pixel x reads u = (x + 0.5) / 8, a texel's middle. */
static void centred_quad(tvert v[6])
{
    quad(v, -1, -1, 1, 1, 0.5f, 0xffffffffu);
    for (int i = 0; i < 6; i++) {
        v[i].u += 1.0f / 16.0f;
    }
}

/* Draws the quad sampling a 4 x 1 texture of `format` holding `texels`
 * (4 * bytes) and checks pixel column 2i+{0,1} against want[i] (R, G, B, A
 * sampled values). */
static void draw_and_check(uint32_t format, const void *texels, const double want[4][4])
{
    scene s;
    scene_init(&s, "gl", W, H, VGT_SVGA3D_A8R8G8B8, 0);
    vgt_backend_surface *t = scene_define(&s, format, 0, 4, 1, 1, 1, 1);
    scene_upload(&s, t, 0, 0, texels);
    s.st.stages[0].texture = (vgt_backend_view){t, 0, 0, format, {4, 1, 1}};
    s.st.stages[0].texture_faces = 1;
    s.st.stages[0].texture_mips = 1;
    s.st.stages[0].color_op = s.st.stages[0].alpha_op = VGT_SVGA3D_TC_MULTIPLYADD;
    s.st.stages[0].color_arg0 = s.st.stages[0].alpha_arg0 = VGT_SVGA3D_TA_CONSTANT;
    s.st.stages[0].color_arg1 = s.st.stages[0].alpha_arg1 = VGT_SVGA3D_TA_CONSTANT;
    s.st.stages[0].color_arg2 = s.st.stages[0].alpha_arg2 = VGT_SVGA3D_TA_TEXTURE;
    s.st.texture_factor = 0x80808080u;
    scene_clear(&s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    tvert v[6];
    centred_quad(v);
    scene_tverts(&s, v, 6);
    vgt_error err = {0};
    vgt_status rc = scene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 0, &err);
    if (rc != VGT_OK) {
        fail_msg("draw of %s refused: %s", vgt_svga3d_format_name(format), err.message);
    }
    vgt_image img;
    scene_read(&s, &img);
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            const uint8_t *p = img.pixels + (size_t)y * img.stride + (size_t)x * 4;
            const double *w = want[x / 2];
            int got[4] = {p[2], p[1], p[0], p[3]}; /* B, G, R, A in memory */
            for (int c = 0; c < 4; c++) {
                int e = expect8(w[c]);
                if (abs(got[c] - e) > TOL) {
                    fail_msg("%s pixel (%u, %u) channel %d: got %d, want %d (sample %.4f)",
                             vgt_svga3d_format_name(format), x, y, c, got[c], e, w[c]);
                }
            }
        }
    }
    vgt_image_free(&img);
    scene_fini(&s);
}

/* V8U8 and BUMPU8V8 (both D3DFMT_V8U8): (U, V, 1, 1); -128 and -127 both -1. */
static void test_v8u8(void **state)
{
    (void)state;
    static const int8_t tex[8] = {-128, 127, -127, -1, 64, 0, 1, -64};
    double want[4][4];
    for (int i = 0; i < 4; i++) {
        want[i][0] = sn(tex[2 * i], 127);
        want[i][1] = sn(tex[2 * i + 1], 127);
        want[i][2] = want[i][3] = 1.0;
    }
    assert_true(want[0][0] == -1.0 && want[1][0] == -1.0);
    draw_and_check(VGT_SVGA3D_V8U8, tex, want);
    draw_and_check(VGT_SVGA3D_BUMPU8V8, tex, want);
}

/* BUMPL6V5U5 (D3DFMT_L6V5U5): U bits 0-4, V 5-9 signed, L 10-15 unsigned:
 * (U, V, L, 1); -16 and -15 both -1. */
static void test_l6v5u5(void **state)
{
    (void)state;
    static const int u[4] = {-16, -15, 8, 1}, v[4] = {15, -1, 0, -8}, l[4] = {63, 0, 32, 20};
    uint8_t tex[8];
    double want[4][4];
    for (int i = 0; i < 4; i++) {
        uint16_t w = (uint16_t)((u[i] & 31) | ((v[i] & 31) << 5) | (l[i] << 10));
        tex[2 * i] = (uint8_t)w;
        tex[2 * i + 1] = (uint8_t)(w >> 8);
        want[i][0] = sn(u[i], 15);
        want[i][1] = sn(v[i], 15);
        want[i][2] = l[i] / 63.0;
        want[i][3] = 1.0;
    }
    draw_and_check(VGT_SVGA3D_BUMPL6V5U5, tex, want);
}

/* X8L8V8U8 and BUMPX8L8V8U8 (D3DFMT_X8L8V8U8): bytes U, V, L, X:
 * (U, V, L / 255, 1), X ignored. */
static void test_x8l8v8u8(void **state)
{
    (void)state;
    static const uint8_t tex[16] = {0x80, 0x7f, 255, 0x5a, 0x81, 0xff, 0,  0xff,
                                    0x40, 0x00, 128, 0x00, 0x01, 0xc0, 20, 0x33};
    double want[4][4];
    for (int i = 0; i < 4; i++) {
        want[i][0] = sn((int8_t)tex[4 * i], 127);
        want[i][1] = sn((int8_t)tex[4 * i + 1], 127);
        want[i][2] = tex[4 * i + 2] / 255.0;
        want[i][3] = 1.0;
    }
    draw_and_check(VGT_SVGA3D_X8L8V8U8, tex, want);
    draw_and_check(VGT_SVGA3D_BUMPX8L8V8U8, tex, want);
}

/* CXV8U8 (D3DFMT_CxV8U8): (U, V, sqrt(max(0, 1 - U^2 - V^2)), 1). */
static void test_cxv8u8(void **state)
{
    (void)state;
    static const int8_t tex[8] = {0, 0, -128, 0, 64, 64, 127, 127};
    double want[4][4];
    for (int i = 0; i < 4; i++) {
        double uu = sn(tex[2 * i], 127), vv = sn(tex[2 * i + 1], 127);
        double c = 1.0 - uu * uu - vv * vv;
        want[i][0] = uu;
        want[i][1] = vv;
        want[i][2] = c > 0 ? sqrt(c) : 0.0;
        want[i][3] = 1.0;
    }
    assert_true(fabs(want[2][2] - 0.7016) < 0.001 && want[3][2] == 0.0 && want[0][2] == 1.0);
    draw_and_check(VGT_SVGA3D_CXV8U8, tex, want);
}

/* BUMPL8V8U8 has no Direct3D 9 format: still stored raw, and a draw
 * sampling it is refused naming it. */
static void test_l8v8u8_refused(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, "gl", W, H, VGT_SVGA3D_A8R8G8B8, 0);
    static const uint8_t tex[12] = {0};
    vgt_backend_surface *t = scene_define(&s, VGT_SVGA3D_BUMPL8V8U8, 0, 4, 1, 1, 1, 1);
    scene_upload(&s, t, 0, 0, tex);
    s.st.stages[0].texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_BUMPL8V8U8, {4, 1, 1}};
    s.st.stages[0].texture_faces = 1;
    s.st.stages[0].texture_mips = 1;
    tvert v[6];
    centred_quad(v);
    scene_tverts(&s, v, 6);
    vgt_error err = {0};
    assert_int_equal(scene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 0, &err),
                     VGT_E_UNSUPPORTED);
    if (!strstr(err.message, "BUMPL8V8U8")) {
        fail_msg("refusal does not name the format: %s", err.message);
    }
    scene_fini(&s);
}

/* The per-format caps say what the backend does: texture, cube and volume
 * textures, never a render target; BUMPMAP (texbem, texbeml, bem read
 * their du, dv) on the bump-map formats, not on CxV8U8 (a normal-map
 * format: Wine gives it no bump-map flag either). */
static void test_caps(void **state)
{
    (void)state;
    const uint32_t tex = VGT_SVGA3D_FORMAT_OP_TEXTURE | VGT_SVGA3D_FORMAT_OP_CUBETEXTURE |
                         VGT_SVGA3D_FORMAT_OP_VOLUMETEXTURE;
    static const uint32_t caps[] = {
        VGT_SVGA3D_DEVCAP_SURFACEFMT_BUMPU8V8, VGT_SVGA3D_DEVCAP_SURFACEFMT_BUMPX8L8V8U8,
        VGT_SVGA3D_DEVCAP_SURFACEFMT_Q8W8V8U8, VGT_SVGA3D_DEVCAP_SURFACEFMT_CXV8U8};
    const uint32_t want[] = {tex | VGT_SVGA3D_FORMAT_OP_BUMPMAP, tex | VGT_SVGA3D_FORMAT_OP_BUMPMAP,
                             tex | VGT_SVGA3D_FORMAT_OP_BUMPMAP, tex};
    vgt_backend be;
    scene_backend_gl(&be);
    vgt_backend_caps c;
    memset(&c, 0, sizeof(c));
    be.ops->get_caps(be.self, &c);
    vgt_backend_destroy(&be);
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        assert_true(c.devcap_valid[caps[i]]);
        assert_int_equal(c.devcap[caps[i]], want[i]);
    }
    /* no other format says BUMPMAP */
    assert_false(c.devcap[VGT_SVGA3D_DEVCAP_SURFACEFMT_A8R8G8B8] & VGT_SVGA3D_FORMAT_OP_BUMPMAP);
    assert_false(c.devcap[VGT_SVGA3D_DEVCAP_SURFACEFMT_DXT1] & VGT_SVGA3D_FORMAT_OP_BUMPMAP);
    /* the BUMPENVMAPLUMINANCE combiner is done; DSDT (meaning not
     * established) and PREMODULATE are not */
    uint32_t ops = c.devcap[VGT_SVGA3D_DEVCAP_TEXTURE_OPS];
    assert_true(ops & VGT_SVGA3D_TC_CAP_BIT(VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE));
    assert_false(ops & VGT_SVGA3D_TC_CAP_BIT(VGT_SVGA3D_TC_DSDT));
    assert_false(ops & VGT_SVGA3D_TC_CAP_BIT(VGT_SVGA3D_TC_PREMODULATE));
}

/* ---- texbem / texbeml / bem ------------------------------------------------ */

/* Stage 1's texture: 8 x 1 A8R8G8B8, texel i = (R 32i, G 255 - 32i, B 0x40). */
static uint32_t ramp(uint32_t i)
{
    return 0xff000040u | ((i * 32u) << 16) | ((255u - i * 32u) << 8);
}

/* The bump scene: stage 0 a 4 x 1 (du, dv[, l]) texture of `format`,
 * stage 1 the ramp, both on texture coordinate set 0 (centred_quad: u =
 * (x + 0.5) / 8 at pixel x, the ramp's texel centres), point filtered and wrapped; stage 1's
 * BUMPENVMAT = [[0.25, 0.3], [-0.25, -0.7]] (u' = u + du / 4 - dv / 4: a
 * texel is 1/8, so du 0.5 moves one texel right and dv 0.5 one left; v'
 * moves along the one-row texture and does not show). */
static const int8_t bump_duv[4][2] = {{-128, 0}, {-127, -1}, {64, 0}, {0, 64}};
/* The ramp texel each pair of pixels reads: x + round(2 (du - dv)) mod 8
 * for pixel x (du, dv = c / 127 clamped at -1): -2, -2, +1, -1. */
static const int bump_shift[4] = {-2, -2, 1, -1};

/* Stage 0 a 4 x 1 texture of `format` holding `texels`, stages 1..nramp
 * the ramp, all on texture coordinate set 0 (centred_quad), point
 * filtered, wrapped; the target cleared to black. */
static void ramp_fill(scene *s, uint32_t format, const void *texels, uint32_t nramp)
{
    vgt_backend_surface *t0 = scene_define(s, format, 0, 4, 1, 1, 1, 1);
    scene_upload(s, t0, 0, 0, texels);
    uint32_t r[8];
    for (uint32_t i = 0; i < 8; i++) {
        r[i] = ramp(i);
    }
    vgt_backend_surface *t1 = scene_define(s, VGT_SVGA3D_A8R8G8B8, 0, 8, 1, 1, 1, 1);
    scene_upload(s, t1, 0, 0, r);
    s->st.stages[0].texture = (vgt_backend_view){t0, 0, 0, format, {4, 1, 1}};
    for (uint32_t i = 0; i <= nramp; i++) {
        if (i) {
            s->st.stages[i].texture = (vgt_backend_view){t1, 0, 0, VGT_SVGA3D_A8R8G8B8, {8, 1, 1}};
        }
        s->st.stages[i].texture_faces = 1;
        s->st.stages[i].texture_mips = 1;
        s->st.stages[i].texcoord_index = 0;
    }
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    tvert v[6];
    centred_quad(v);
    scene_tverts(s, v, 6);
}

/* ramp_fill on a new gl scene. */
static void ramp_setup(scene *s, uint32_t format, const void *texels, uint32_t nramp)
{
    scene_init(s, "gl", W, H, VGT_SVGA3D_A8R8G8B8, 0);
    ramp_fill(s, format, texels, nramp);
}

/* Stage 1's bump matrix (stage 0's must not be used). */
static void bump_matrix(scene *s)
{
    s->st.stages[1].bump_env_mat[0][0] = 0.25f;
    s->st.stages[1].bump_env_mat[0][1] = 0.3f;
    s->st.stages[1].bump_env_mat[1][0] = -0.25f;
    s->st.stages[1].bump_env_mat[1][1] = -0.7f;
    /* stage 0's matrix must not be the one used */
    s->st.stages[0].bump_env_mat[0][0] = 9.0f;
    s->st.stages[0].bump_env_mat[1][1] = 9.0f;
}

static void bump_setup(scene *s, uint32_t format, const uint8_t *texels)
{
    ramp_setup(s, format, texels, 1);
    bump_matrix(s);
}

static void bump_draw(scene *s)
{
    vgt_error err = {0};
    vgt_status rc = scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 0, &err);
    if (rc != VGT_OK) {
        fail_msg("bump draw refused: %s", err.message);
    }
}

/* Checks pixel x against the ramp texel x + shift times `color` (0xAARRGGBB
 * as 0..1 per channel), its channels times lum[x / 2], saturated. */
static void bump_check_ff(scene *s, const char *what, const double lum[4], uint32_t color)
{
    vgt_image img;
    scene_read(s, &img);
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            const uint8_t *p = img.pixels + (size_t)y * img.stride + (size_t)x * 4;
            uint32_t c = ramp((uint32_t)((int)x + bump_shift[x / 2] + 8) % 8u);
            for (int k = 0; k < 4; k++) {
                double f = (double)((c >> (8 * k)) & 0xffu) *
                           ((double)((color >> (8 * k)) & 0xffu) / 255.0) * lum[x / 2];
                int e = f > 255.0 ? 255 : (int)floor(f + 0.5);
                if (abs((int)p[k] - e) > TOL) {
                    fail_msg("%s pixel (%u, %u) byte %d: got %d, want %d", what, x, y, k, p[k], e);
                }
            }
        }
    }
    vgt_image_free(&img);
}

/* Checks pixel x against the ramp texel x + shift, its channels times
 * lum[x / 2] (saturated). */
static void bump_check(scene *s, const char *what, const double lum[4])
{
    bump_check_ff(s, what, lum, 0xffffffffu);
}

/* The luminances of the X8L8V8U8 bump textures. */
static const uint8_t bump_l[4] = {255, 0, 128, 51};

/* An X8L8V8U8 texture of bump_duv, bump_l and X byte x. */
static void bump_lum_texels(uint8_t tex[16], uint8_t x)
{
    for (int i = 0; i < 4; i++) {
        tex[4 * i] = (uint8_t)bump_duv[i][0];
        tex[4 * i + 1] = (uint8_t)bump_duv[i][1];
        tex[4 * i + 2] = bump_l[i];
        tex[4 * i + 3] = x;
    }
}

static void test_texbem(void **state)
{
    (void)state;
    scene s;
    bump_setup(&s, VGT_SVGA3D_V8U8, (const uint8_t *)bump_duv);
    scene_with_ps(&s, "ps_1_1\ntex t0\ntexbem t1, t0\nmov r0, t1\n", bump_draw);
    static const double one[4] = {1, 1, 1, 1};
    bump_check(&s, "texbem", one);
    scene_fini(&s);
}

/* texbeml: the sample times l * LSCALE + LOFFSET of stage 1 (X8L8V8U8's L:
 * 255, 0, 128, 51 with LSCALE 0.5, LOFFSET 0.25: 0.75, 0.25, 0.501, 0.35);
 * then LSCALE 2, LOFFSET 0: 2, 0, 1.004, 0.4, saturated at the output. */
static void test_texbeml(void **state)
{
    (void)state;
    uint8_t tex[16];
    bump_lum_texels(tex, 0xa5);
    static const float scale[2] = {0.5f, 2.0f}, offset[2] = {0.25f, 0.0f};
    for (int k = 0; k < 2; k++) {
        scene s;
        bump_setup(&s, VGT_SVGA3D_X8L8V8U8, tex);
        s.st.stages[1].bump_env_lscale = scale[k];
        s.st.stages[1].bump_env_loffset = offset[k];
        s.st.stages[0].bump_env_lscale = 5.0f; /* not the stage used */
        scene_with_ps(&s, "ps_1_1\ntex t0\ntexbeml t1, t0\nmov r0, t1\n", bump_draw);
        double lum[4];
        for (int i = 0; i < 4; i++) {
            lum[i] = bump_l[i] / 255.0 * scale[k] + offset[k];
        }
        bump_check(&s, k ? "texbeml x2" : "texbeml", lum);
        scene_fini(&s);
    }
}

/* bem (ps_1_4): r1.rg = t0's coordinates perturbed by stage 1's matrix,
 * sampled by texld r1 in phase 2: the same texels as texbem. */
static void test_bem(void **state)
{
    (void)state;
    scene s;
    bump_setup(&s, VGT_SVGA3D_V8U8, (const uint8_t *)bump_duv);
    scene_with_ps(&s,
                  "ps_1_4\ntexld r0, t0\ntexcrd r2.rgb, t0\nbem r1.rg, r2, r0\nphase\n"
                  "texld r1, r1\nmov r0, r1\n",
                  bump_draw);
    static const double one[4] = {1, 1, 1, 1};
    bump_check(&s, "bem", one);
    scene_fini(&s);
}

/* Stage 0 BUMPENVMAPLUMINANCE with stage 1's matrix (stage 1's own
 * matrix and LSCALE must not be used), LSCALE 2, LOFFSET -0.25; stage 1
 * the ramp times the diffuse colour, its texture's alpha. */
static void ff_bump_stages(scene *s)
{
    vgt_backend_stage *g0 = &s->st.stages[0], *g1 = &s->st.stages[1];
    /* the matrix and luminance terms are the bump stage's (stage 0) */
    memcpy(g0->bump_env_mat, g1->bump_env_mat, sizeof(g0->bump_env_mat));
    g1->bump_env_mat[0][0] = g1->bump_env_mat[1][1] = 9.0f;
    g0->bump_env_lscale = 2.0f;
    g0->bump_env_loffset = -0.25f;
    g1->bump_env_lscale = 5.0f;
    g0->color_op = VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE;
    g0->alpha_op = VGT_SVGA3D_TC_SELECTARG1;
    g0->alpha_arg1 = VGT_SVGA3D_TA_DIFFUSE;
    g1->color_op = VGT_SVGA3D_TC_MODULATE;
    g1->color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    g1->color_arg2 = VGT_SVGA3D_TA_PREVIOUS;
    g1->alpha_op = VGT_SVGA3D_TC_SELECTARG1;
    g1->alpha_arg1 = VGT_SVGA3D_TA_TEXTURE;
}

/* Fixed-function BUMPENVMAPLUMINANCE on stage 0 (Direct3D 9; Wine's GLSL
 * pipeline): the next stage samples at its coordinates perturbed by stage
 * 0's BUMPENVMAT (the same texels as texbem), its texel, alpha too,
 * times clamp(l * LSCALE + LOFFSET, 0, 1) of stage 0; the bump stage
 * itself passes CURRENT (here the diffuse colour) on, its alpha operation
 * not run (as soft).  LSCALE 2, LOFFSET
 * -0.25 on L 255, 0, 128, 51: 1.75 -> 1, -0.25 -> 0, 0.754, 0.15. */
static void test_ff_bumpenvmapluminance(void **state)
{
    (void)state;
    uint8_t tex[16];
    bump_lum_texels(tex, 0);
    scene s;
    bump_setup(&s, VGT_SVGA3D_X8L8V8U8, tex);
    const uint32_t diffuse = 0xff80c0ffu;
    tvert v[6];
    centred_quad(v);
    for (int i = 0; i < 6; i++) {
        v[i].color = diffuse;
    }
    scene_tverts(&s, v, 6);
    ff_bump_stages(&s);
    bump_draw(&s);
    double lum[4];
    for (int i = 0; i < 4; i++) {
        double f = bump_l[i] / 255.0 * 2.0 - 0.25;
        lum[i] = f < 0 ? 0 : f > 1 ? 1 : f;
    }
    bump_check_ff(&s, "BUMPENVMAPLUMINANCE", lum, diffuse | 0xff000000u);
    scene_fini(&s);
}

/* ---- texreg2*, texdp3*, texm3x* ----------------------------------------- */

/* Stage 0 a 4 x 1 A8R8G8B8 texture of `texels`, stages 1-3 the ramp, all
 * on texture coordinate set 0 (centred_quad), point filtered, wrapped. */
static void addr_setup(scene *s, const uint32_t texels[4])
{
    ramp_setup(s, VGT_SVGA3D_A8R8G8B8, texels, 3);
}

/* Pixel x must be ramp(want[x]) (or, with ramp_pixels false, want[x]). */
static void addr_check(scene *s, const char *what, const uint32_t want[W], bool ramp_pixels)
{
    vgt_image img;
    scene_read(s, &img);
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            const uint8_t *p = img.pixels + (size_t)y * img.stride + (size_t)x * 4;
            uint32_t c = ramp_pixels ? ramp(want[x]) : want[x];
            for (int k = 0; k < 4; k++) {
                int e = (int)((c >> (8 * k)) & 0xffu);
                if (abs((int)p[k] - e) > TOL) {
                    fail_msg("%s pixel (%u, %u) byte %d: got %d, want %d", what, x, y, k, p[k], e);
                }
            }
        }
    }
    vgt_image_free(&img);
}

/* texreg2ar / texreg2gb / texreg2rgb: stage 1 sampled at u = t0's a / g / r.
 * Each of those bytes is round(255 (2j + 1) / 16), the middle of ramp
 * texel j, with a different j in each channel (v, the other component,
 * does not show). */
static void test_texreg2(void **state)
{
    (void)state;
    static const uint32_t j[3][4] = {{3, 6, 0, 5}, {1, 4, 7, 2}, {5, 0, 2, 6}}; /* a, g, r */
    static const int shift[3] = {24, 8, 16};
    uint32_t tex[4] = {0x33u, 0x33u, 0x33u, 0x33u}, want[3][W];
    for (int c = 0; c < 3; c++) {
        for (int i = 0; i < 4; i++) {
            uint32_t b = (uint32_t)floor(255.0 * (2 * j[c][i] + 1) / 16.0 + 0.5);
            tex[i] |= b << shift[c];
            want[c][2 * i] = want[c][2 * i + 1] = j[c][i];
        }
    }
    static const char *const ps[3] = {"ps_1_1\ntex t0\ntexreg2ar t1, t0\nmov r0, t1\n",
                                      "ps_1_1\ntex t0\ntexreg2gb t1, t0\nmov r0, t1\n",
                                      "ps_1_2\ntex t0\ntexreg2rgb t1, t0\nmov r0, t1\n"};
    for (int k = 0; k < 3; k++) {
        scene s;
        addr_setup(&s, tex);
        scene_with_ps(&s, ps[k], bump_draw);
        addr_check(&s, ps[k], want[k], true);
        scene_fini(&s);
    }
}

/* t0 = (R, G, B) = (1, 0, 1) on pixels 0-3 and (128/255, 0, 1) on 4-7;
 * the set's (u, v, w) = ((x + 0.5) / 8, v, 0): the dot product is u R. */
static const uint32_t dot_tex[4] = {0xffff00ffu, 0xffff00ffu, 0xff8000ffu, 0xff8000ffu};

static double dot_of(uint32_t x)
{
    return (x + 0.5) / 8.0 * (x < 4 ? 1.0 : 128.0 / 255.0);
}

/* texdp3tex, texm3x2pad + texm3x2tex, texm3x3pad x2 + texm3x3tex: stage
 * 1 / 2 / 3 sampled at u = the dot product (texels 0-3, then 2, 2, 3, 3). */
static void test_texdp3tex_texm3x2(void **state)
{
    (void)state;
    uint32_t want[W];
    for (uint32_t x = 0; x < W; x++) {
        want[x] = (uint32_t)floor(dot_of(x) * 8.0);
    }
    assert_true(want[4] == 2 && want[7] == 3);
    static const char *const ps[3] = {
        "ps_1_2\ntex t0\ntexdp3tex t1, t0\nmov r0, t1\n",
        "ps_1_1\ntex t0\ntexm3x2pad t1, t0\ntexm3x2tex t2, t0\nmov r0, t2\n",
        /* a 2D texture reads the first two of the three dots */
        "ps_1_1\ntex t0\ntexm3x3pad t1, t0\ntexm3x3pad t2, t0\ntexm3x3tex t3, t0\n"
        "mov r0, t3\n"};
    for (int k = 0; k < 3; k++) {
        scene s;
        addr_setup(&s, dot_tex);
        scene_with_ps(&s, ps[k], bump_draw);
        addr_check(&s, ps[k], want, true);
        scene_fini(&s);
    }
}

/* texdp3 (the dot product in all four) and texm3x3 (three dot products, 1). */
static void test_texdp3_texm3x3(void **state)
{
    (void)state;
    uint32_t d[W], m[W];
    for (uint32_t x = 0; x < W; x++) {
        uint32_t b = (uint32_t)floor(dot_of(x) * 255.0 + 0.5);
        d[x] = b * 0x01010101u;
        m[x] = 0xff000000u | b * 0x010101u;
    }
    scene s;
    addr_setup(&s, dot_tex);
    scene_with_ps(&s, "ps_1_2\ntex t0\ntexdp3 t1, t0\nmov r0, t1\n", bump_draw);
    addr_check(&s, "texdp3", d, false);
    scene_fini(&s);
    addr_setup(&s, dot_tex);
    scene_with_ps(&s,
                  "ps_1_2\ntex t0\ntexm3x3pad t1, t0\ntexm3x3pad t2, t0\ntexm3x3 t3, t0\n"
                  "mov r0, t3\n",
                  bump_draw);
    addr_check(&s, "texm3x3", m, false);
    scene_fini(&s);
}

/* ---- gl against soft ------------------------------------------------------ */

/* The scenes above drawn on both backends, compared pixel by pixel (the
 * documented tolerance, no pixel beyond): the two follow one set of rules
 * (docs/gl.md and docs/soft.md, "Bump formats" and "Bump environment
 * mapping"), and each is also checked against hand-computed values. */
static void cross_texbem(scene *s)
{
    ramp_fill(s, VGT_SVGA3D_BUMPU8V8, bump_duv, 1);
    bump_matrix(s);
    scene_with_ps(s, "ps_1_1\ntex t0\ntexbem t1, t0\nmov r0, t1\n", bump_draw);
}

static void cross_texbeml(scene *s)
{
    uint8_t tex[16];
    bump_lum_texels(tex, 0xa5);
    ramp_fill(s, VGT_SVGA3D_BUMPX8L8V8U8, tex, 1);
    bump_matrix(s);
    s->st.stages[1].bump_env_lscale = 0.5f;
    s->st.stages[1].bump_env_loffset = 0.25f;
    scene_with_ps(s, "ps_1_1\ntex t0\ntexbeml t1, t0\nmov r0, t1\n", bump_draw);
}

static void cross_ff(scene *s)
{
    uint8_t tex[16];
    bump_lum_texels(tex, 0);
    ramp_fill(s, VGT_SVGA3D_X8L8V8U8, tex, 1);
    bump_matrix(s);
    tvert v[6];
    centred_quad(v);
    for (int i = 0; i < 6; i++) {
        v[i].color = 0xff80c0ffu;
    }
    scene_tverts(s, v, 6);
    ff_bump_stages(s);
    bump_draw(s);
}

static void cross_texm3x2(scene *s)
{
    ramp_fill(s, VGT_SVGA3D_A8R8G8B8, dot_tex, 3);
    scene_with_ps(s, "ps_1_1\ntex t0\ntexm3x2pad t1, t0\ntexm3x2tex t2, t0\nmov r0, t2\n",
                  bump_draw);
}

static void cross_texm3x3tex(scene *s)
{
    ramp_fill(s, VGT_SVGA3D_A8R8G8B8, dot_tex, 3);
    scene_with_ps(s,
                  "ps_1_1\ntex t0\ntexm3x3pad t1, t0\ntexm3x3pad t2, t0\ntexm3x3tex t3, t0\n"
                  "mul r0, t3, v0\n",
                  bump_draw);
}

static void cross_texm3x3(scene *s)
{
    ramp_fill(s, VGT_SVGA3D_A8R8G8B8, dot_tex, 3);
    scene_with_ps(s,
                  "ps_1_2\ntex t0\ntexm3x3pad t1, t0\ntexm3x3pad t2, t0\ntexm3x3 t3, t0\n"
                  "mov r0, t3\n",
                  bump_draw);
}

/* a pad whose source differs from its texm3x2tex's: each dot product is
 * taken with its own instruction's source (t0 the dot texture, t1 the
 * ramp) */
static void cross_pad_sources(scene *s)
{
    ramp_fill(s, VGT_SVGA3D_A8R8G8B8, dot_tex, 3);
    scene_with_ps(s,
                  "ps_1_1\ntex t0\ntex t1\ntexm3x2pad t2, t0\ntexm3x2tex t3, t1\n"
                  "mov r0, t3\n",
                  bump_draw);
}

static void test_vs_soft(void **state)
{
    (void)state;
    run_gl_and_soft("bump-texbem", W, H, VGT_SVGA3D_A8R8G8B8, 0, cross_texbem, TOL, 0.0, 3);
    run_gl_and_soft("bump-texbeml", W, H, VGT_SVGA3D_A8R8G8B8, 0, cross_texbeml, TOL, 0.0, 3);
    run_gl_and_soft("bump-ff", W, H, VGT_SVGA3D_A8R8G8B8, 0, cross_ff, TOL, 0.0, 3);
    run_gl_and_soft("bump-texm3x2", W, H, VGT_SVGA3D_A8R8G8B8, 0, cross_texm3x2, TOL, 0.0, 3);
    run_gl_and_soft("bump-texm3x3tex", W, H, VGT_SVGA3D_A8R8G8B8, 0, cross_texm3x3tex, TOL, 0.0, 3);
    run_gl_and_soft("bump-texm3x3", W, H, VGT_SVGA3D_A8R8G8B8, 0, cross_texm3x3, TOL, 0.0, 3);
    run_gl_and_soft("bump-pad-sources", W, H, VGT_SVGA3D_A8R8G8B8, 0, cross_pad_sources, TOL, 0.0,
                    2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v8u8),
        cmocka_unit_test(test_l6v5u5),
        cmocka_unit_test(test_x8l8v8u8),
        cmocka_unit_test(test_cxv8u8),
        cmocka_unit_test(test_l8v8u8_refused),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_texbem),
        cmocka_unit_test(test_texbeml),
        cmocka_unit_test(test_bem),
        cmocka_unit_test(test_ff_bumpenvmapluminance),
        cmocka_unit_test(test_texreg2),
        cmocka_unit_test(test_texdp3tex_texm3x2),
        cmocka_unit_test(test_texdp3_texm3x3),
        cmocka_unit_test(test_vs_soft),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
