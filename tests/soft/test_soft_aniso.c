/* Anisotropic filtering in vgt_soft (docs/soft.md "Anisotropic filtering"),
 * exact values: affine quads whose footprint is 16, 8, 32 or 4 texels along
 * one screen axis and 1, 2, 5 or 1/4 along the other, so that the probe count, the
 * level and the probe positions are known; each expected pixel is the
 * average of the probes computed here in double precision from the texel
 * data (bilinear between the texels around each probe, the rule as
 * documented, not the renderer's code).  Level 1 and 0 draw LINEAR's bytes,
 * above 16 clamps to 16, magnification stays isotropic; the y axis as the
 * major one; ps_2_0 texld and ps_3_0 texldd alike, texldl isotropic; a cube
 * face; hostile coordinates; a perspective floor sharper than trilinear and
 * identical with 1 and 2 threads. */
#include "soft_test_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vgt_shader.h"

#define TEX    64u
#define LEVELS 7u

/* Texel bytes: red and green vary with the texel's index along the varying
 * axis and with the level, blue says the level; alpha 255.  The other axis
 * does not change them, so only the probes along the major axis decide.
 * The low 4 bits are the same for every texel of a level and channel, so
 * the average of 2, 4, 8 or 16 texels is a whole byte: the expected bytes
 * are no rounding ties (which would test the float rounding, not the
 * filter); the high 4 bits are a hash of the index. */
static uint32_t chan(uint32_t i, uint32_t mip, uint32_t c)
{
    uint32_t x = i * 2654435761u + mip * 40503u + c * 7919u;
    x ^= x >> 15;
    x *= 0x2c1b3c6du;
    x ^= x >> 12;
    return (x & 0xf0u) | ((mip * 3u + c * 5u + 1u) & 15u);
}

static uint32_t texel_of(uint32_t i, uint32_t mip)
{
    return 0xff000000u | (chan(i, mip, 0) << 16) | (chan(i, mip, 1) << 8) | (mip * 36u + 3u);
}

static uint32_t px_by_x(uint32_t x, uint32_t y, uint32_t mip)
{
    (void)y;
    return texel_of(x, mip);
}

static uint32_t px_by_y(uint32_t x, uint32_t y, uint32_t mip)
{
    (void)x;
    return texel_of(y, mip);
}

/* Channel c (0 red, 1 green, 2 blue) of the bilinear sample at position p
 * (in texels of level mip; texel i covers [i, i + 1)) along the varying
 * axis, wrapped; the other axis reads equal texels. */
static double bilinear(double p, uint32_t mip, uint32_t c)
{
    uint32_t n = TEX >> mip;
    double f = p - 0.5, fl = floor(f), a = f - fl;
    int64_t i0 = (int64_t)fl;
    uint32_t t0 = (uint32_t)(((i0 % n) + n) % n), t1 = (t0 + 1) % n;
    double v0 = c == 2 ? mip * 36.0 + 3.0 : chan(t0, mip, c);
    double v1 = c == 2 ? mip * 36.0 + 3.0 : chan(t1, mip, c);
    return (v0 + (v1 - v0) * a) / 255.0;
}

/* Channel c (0..255, unrounded) of the average of `probes` bilinear probes
 * at level mip, centred at level-0 texel position `centre`, spread over
 * `major` level-0 texels (the centres of equal pieces). */
static double probes_avg(double centre, double major, uint32_t probes, uint32_t mip, uint32_t c)
{
    double sum = 0.0;
    for (uint32_t i = 0; i < probes; i++) {
        double t = ((double)(2 * i + 1) - probes) / (2.0 * probes);
        sum += bilinear((centre + major * t) / (double)(1u << mip), mip, c);
    }
    return sum / probes * 255.0;
}

/* The expected pixel for a sample centred at level-0 texel position `centre`
 * along the varying axis: `probes` bilinear probes at level `mip`, spread
 * over `major` level-0 texels (the centres of equal pieces), averaged. */
static uint32_t expect(double centre, double major, uint32_t probes, uint32_t mip)
{
    uint32_t out = 0xff000000u;
    for (uint32_t c = 0; c < 3; c++) {
        double v = probes_avg(centre, major, probes, mip, c);
        /* a fixture whose value is a rounding tie would test the float
         * rounding, not the filter */
        assert_true(fabs(v - floor(v) - 0.5) > 0.01);
        out |= (uint32_t)floor(v + 0.5) << (c == 0 ? 16 : c == 1 ? 8 : 0);
    }
    return out;
}

static tvert g_v[6];

/* A quad over the whole target: u from u0 (left) to u1 (right), v from v0
 * (top) to v1 (bottom); affine (w = 1). */
static void affine_quad(tscene *s, float u0, float u1, float v0, float v1)
{
    static const float pos[4][2] = {{-1, 1}, {1, 1}, {-1, -1}, {1, -1}};
    const float tc[4][2] = {{u0, v0}, {u1, v0}, {u0, v1}, {u1, v1}};
    static const int order[6] = {0, 1, 2, 2, 1, 3};
    for (int i = 0; i < 6; i++) {
        int k = order[i];
        g_v[i] = (tvert){pos[k][0], pos[k][1], 0.5f, 0xffffffffu, tc[k][0], tc[k][1]};
    }
    tscene_use_tverts(s, g_v, 6);
}

static void stage(tscene *s, vgt_soft_surface *t, uint32_t min, uint32_t aniso)
{
    vgt_soft_stage *g = &s->st.stages[0];
    g->texture = t;
    g->color_op = g->alpha_op = VGT_SVGA3D_TC_SELECTARG1;
    g->color_arg1 = g->alpha_arg1 = VGT_SVGA3D_TA_TEXTURE;
    g->address_u = g->address_v = VGT_SVGA3D_TEX_ADDRESS_WRAP;
    g->min_filter = min;
    g->mag_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    g->mip_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    g->max_anisotropy = aniso;
}

static uint32_t *snapshot(const tscene *s)
{
    uint32_t *p = malloc((size_t)s->w * s->h * 4);
    assert_non_null(p);
    for (uint32_t y = 0; y < s->h; y++) {
        for (uint32_t x = 0; x < s->w; x++) {
            p[y * s->w + x] = tscene_pixel(s, x, y);
        }
    }
    return p;
}

static void draw_fresh(tscene *s)
{
    tscene_clear(s);
    tscene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

/* Every pixel of a 16x4 target against expect(16 x, major, probes, mip):
 * u covers `major` texels per pixel, v `minor`, rows on texel centres. */
static void check_rows(const tscene *s, double major, uint32_t probes, uint32_t mip)
{
    for (uint32_t y = 0; y < s->h; y++) {
        for (uint32_t x = 0; x < s->w; x++) {
            uint32_t want = expect(major * x, major, probes, mip);
            if (tscene_pixel(s, x, y) != want) {
                fail_msg("pixel (%u, %u): 0x%08x, expected 0x%08x (%u probes at level %u)", x, y,
                         tscene_pixel(s, x, y), want, probes, mip);
            }
        }
    }
}

/* u: 16 texels a pixel (u 0 -> 4 over 16 pixels), v: 1 texel a pixel. */
static void quad_16_1(tscene *s)
{
    affine_quad(s, 0.0f, 4.0f, 0.5f / TEX, 4.5f / TEX);
}

static void test_aniso_exact_fixed_function(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 4, false, 2);
    vgt_soft_surface *t = make_texture(TEX, TEX, LEVELS, px_by_x);

    /* N = 16, ratio 16: 16 probes, the LOD of 16 / 16 = 1 texel: level 0;
     * the probes at 16 x - 7.5 .. 16 x + 7.5: texel centres */
    quad_16_1(&s);
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    draw_fresh(&s);
    check_rows(&s, 16.0, 16, 0);
    uint32_t *a16 = snapshot(&s);

    /* above the caps: clamped to 16 (what D3D9 hardware does): with a
     * ratio of 32 (u: 32 texels a pixel) 16 probes at the LOD of 32 / 16:
     * level 1, and 1000 draws the same */
    affine_quad(&s, 0.0f, 8.0f, 0.5f / TEX, 4.5f / TEX);
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    draw_fresh(&s);
    check_rows(&s, 32.0, 16, 1);
    uint32_t *r16 = snapshot(&s);
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 1000);
    draw_fresh(&s);
    uint32_t *a1000 = snapshot(&s);
    assert_memory_equal(r16, a1000, 16 * 4 * 4);
    free(r16);
    quad_16_1(&s);

    /* MIN = MAG = ANISOTROPIC without mips (what Direct3D 9 programs often
     * set): the footprint is still taken, 16 probes at level 0 */
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    s.st.stages[0].mag_filter = VGT_SVGA3D_TEX_FILTER_ANISOTROPIC;
    s.st.stages[0].mip_filter = VGT_SVGA3D_TEX_FILTER_NONE;
    draw_fresh(&s);
    check_rows(&s, 16.0, 16, 0);

    /* N = 4: 4 probes at the LOD of 16 / 4 = 4 texels: level 2 */
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 4);
    draw_fresh(&s);
    check_rows(&s, 16.0, 4, 2);

    /* N = 3: 3 probes, the LOD of 16 / 3: between levels 2 and 3, so the
     * value is not one of a single level (it is checked against the
     * isotropic image below only: different) */
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 3);
    draw_fresh(&s);
    uint32_t *a3 = snapshot(&s);
    assert_memory_not_equal(a3, a16, 16 * 4 * 4);

    /* LINEAR (trilinear) is isotropic: log2(16) = level 4, one bilinear
     * sample; ANISOTROPIC with level 1 and 0 draws exactly that */
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_LINEAR, 16);
    draw_fresh(&s);
    check_rows(&s, 16.0, 1, 4);
    uint32_t *lin = snapshot(&s);
    for (uint32_t n = 0; n <= 1; n++) {
        stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, n);
        draw_fresh(&s);
        uint32_t *an = snapshot(&s);
        assert_memory_equal(an, lin, 16 * 4 * 4);
        free(an);
    }
    assert_memory_not_equal(a16, lin, 16 * 4 * 4);

    /* u: 8 texels a pixel, v: 2: ratio 4 < 16: 4 probes at the LOD of
     * 8 / 4 = 2 texels: level 1 */
    affine_quad(&s, 0.0f, 2.0f, 1.0f / TEX, 9.0f / TEX);
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    draw_fresh(&s);
    check_rows(&s, 8.0, 4, 1);

    /* u: 16 texels a pixel, v: 5: ratio 3.2: 4 probes at the LOD of
     * 16 / 3.2 = 5 texels, log2(5) = 2.32: trilinear between levels 2 and
     * 3 (not |major| / P = 4, level 2 alone, which would make the minor
     * axis sharper than its footprint).  Blue (the level's constant) pins
     * the LOD exactly; red and green, blended by a fraction soft takes from
     * its own log2, to one step. */
    affine_quad(&s, 0.0f, 4.0f, 2.5f / TEX, 22.5f / TEX);
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    draw_fresh(&s);
    double f = log2(5.0) - 2.0;
    for (uint32_t y = 0; y < 4; y++) {
        for (uint32_t x = 0; x < 16; x++) {
            uint32_t got = tscene_pixel(&s, x, y);
            assert_int_equal(got & 255u, (uint32_t)floor(75.0 + 36.0 * f + 0.5));
            for (uint32_t c = 0; c < 2; c++) {
                double l2 = probes_avg(16.0 * x, 16.0, 4, 2, c);
                double l3 = probes_avg(16.0 * x, 16.0, 4, 3, c);
                double want = l2 + (l3 - l2) * f;
                double g = (double)((got >> (c == 0 ? 16 : 8)) & 255u);
                if (fabs(g - want) > 1.0) {
                    fail_msg("pixel (%u, %u) channel %u: %g, expected %g", x, y, c, g, want);
                }
            }
        }
    }

    /* the probes are bilinear even where their LOD (16 / 16: 1 texel, level
     * 0) would call for the mag filter, here NEAREST: 1/16 texel off
     * the texel centres, each probe blends two texels */
    affine_quad(&s, 0.0625f / TEX, 4.0f + 0.0625f / TEX, 0.5f / TEX, 4.5f / TEX);
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    s.st.stages[0].mag_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    draw_fresh(&s);
    for (uint32_t x = 0; x < 16; x++) {
        assert_int_equal(tscene_pixel(&s, x, 2), expect(16.0 * x + 0.0625, 16.0, 16, 0));
    }

    /* u: 4 texels a pixel, v: a quarter: a ratio of 16, but probes closer
     * than a texel add nothing: 4 probes, at texel centres of level 0 */
    affine_quad(&s, 0.0f, 1.0f, 0.5f / TEX, 1.5f / TEX);
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    draw_fresh(&s);
    check_rows(&s, 4.0, 4, 0);

    /* LOD bias -5 makes the 16 x 1 footprint magnified (log2(16) - 5 < 0):
     * isotropic, LINEAR's bytes */
    quad_16_1(&s);
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_LINEAR, 16);
    s.st.stages[0].lod_bias = -5.0f;
    draw_fresh(&s);
    uint32_t *bias_lin = snapshot(&s);
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    draw_fresh(&s);
    uint32_t *bias_an = snapshot(&s);
    assert_memory_equal(bias_lin, bias_an, 16 * 4 * 4);
    s.st.stages[0].lod_bias = 0.0f;
    free(bias_lin);
    free(bias_an);

    /* magnified (half a texel a pixel): isotropic, LINEAR's bytes */
    affine_quad(&s, 0.0f, 0.125f, 0.5f / TEX, 2.5f / TEX);
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_LINEAR, 16);
    draw_fresh(&s);
    uint32_t *mag_lin = snapshot(&s);
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    draw_fresh(&s);
    uint32_t *mag_an = snapshot(&s);
    assert_memory_equal(mag_lin, mag_an, 16 * 4 * 4);

    free(a16);
    free(a1000);
    free(a3);
    free(lin);
    free(mag_lin);
    free(mag_an);
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

/* The major axis along screen y: v covers 16 texels a pixel, u 1. */
static void test_aniso_exact_y_major(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 4, 16, false, 2);
    vgt_soft_surface *t = make_texture(TEX, TEX, LEVELS, px_by_y);
    affine_quad(&s, 0.5f / TEX, 4.5f / TEX, 0.0f, 4.0f);
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    draw_fresh(&s);
    for (uint32_t y = 0; y < 16; y++) {
        for (uint32_t x = 0; x < 4; x++) {
            assert_int_equal(tscene_pixel(&s, x, y), expect(16.0 * y, 16.0, 16, 0));
        }
    }
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

/* A pixel shader's samplers filter the same way: ps_2_0 texld (the quad's
 * differences are the exact derivatives of an affine quad), ps_3_0 texldd
 * with the gradients given; texldl (an explicit LOD, no footprint) stays
 * isotropic. */
static void test_aniso_shaders(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 4, false, 2);
    vgt_soft_surface *t = make_texture(TEX, TEX, LEVELS, px_by_x);
    quad_16_1(&s);
    static const char *texld = "ps_2_0\ndcl t0.xy\ndcl_2d s0\ntexld r0, t0, s0\nmov oC0, r0\n";
    /* du/dx = 16 / 64, dv/dy = 1 / 64 */
    static const char *texldd = "ps_3_0\ndef c0, 0.25, 0, 0, 0\ndef c1, 0, 0.015625, 0, 0\n"
                                "dcl_texcoord v0.xy\ndcl_2d s0\n"
                                "texldd r0, v0, s0, c0, c1\nmov oC0, r0\n";
    /* LOD 0 (w = 0) at u + half a texel: texel 16 x itself */
    static const char *texldl =
        "ps_3_0\ndef c0, 0.0078125, 0, 0, 0\ndcl_texcoord v0.xy\n"
        "dcl_2d s0\nadd r1.xy, v0, c0\nmov r1.zw, c0.y\ntexldl r0, r1, s0\nmov oC0, r0\n";
    const char *progs[2] = {texld, texldd};
    for (int i = 0; i < 2; i++) {
        vgt_soft_shader *ps = test_shader(VGT_SVGA3D_SHADERTYPE_PS, progs[i]);
        s.st.ps_program = ps;
        s.st.pixel_shader = 1;
        stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
        draw_fresh(&s);
        check_rows(&s, 16.0, 16, 0);
        stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 4);
        draw_fresh(&s);
        check_rows(&s, 16.0, 4, 2);
        stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 1);
        draw_fresh(&s);
        check_rows(&s, 16.0, 1, 4);
        vgt_soft_shader_destroy(ps);
    }
    vgt_soft_shader *ps = test_shader(VGT_SVGA3D_SHADERTYPE_PS, texldl);
    s.st.ps_program = ps;
    s.st.pixel_shader = 1;
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    draw_fresh(&s);
    for (uint32_t x = 0; x < 16; x++) {
        assert_int_equal(tscene_pixel(&s, x, 1), texel_of(16 * x % TEX, 0));
    }
    vgt_soft_shader_destroy(ps);
    s.st.ps_program = NULL;
    s.st.pixel_shader = 0;
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

/* Hostile coordinates (huge, infinite, NaN, a zero-area footprint) and a
 * huge LOD bias with anisotropy 16 on a 2D texture: drawn, no crash
 * (ASan/UBSan watch the float to integer conversions), and the same pixels
 * with 1 and 2 threads. */
static void test_aniso_hostile(void **state)
{
    (void)state;
    const float inf = __builtin_inff(), nan = __builtin_nanf("");
    static const float bad[][4] = {
        {0.0f, 1e30f, 0.0f, 1.0f}, {-1e30f, 1e30f, 0.0f, 0.0f}, {0.0f, 0.0f, 0.0f, 1e-30f},
        {0.0f, 4.0f, 0.0f, 0.0f}, /* v constant: a line of texels, zero area */
        {0.0f, 0.0f, 0.0f, 0.0f},  {0.0f, 1.0f, 0.0f, 1.0f},
    };
    vgt_soft_surface *t = make_texture(TEX, TEX, LEVELS, px_by_x);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]) + 3; i++) {
        uint32_t *img[2];
        for (uint32_t threads = 1; threads <= 2; threads++) {
            tscene s;
            tscene_init(&s, 16, 16, false, threads);
            if (i < sizeof(bad) / sizeof(bad[0])) {
                affine_quad(&s, bad[i][0], bad[i][1], bad[i][2], bad[i][3]);
            } else {
                const float x = i == sizeof(bad) / sizeof(bad[0]) ? inf : nan;
                affine_quad(&s, 0.0f, x, x, 1.0f);
            }
            stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
            s.st.stages[0].lod_bias = i == 2 ? 1e30f : 0.0f;
            draw_fresh(&s);
            img[threads - 1] = snapshot(&s);
            tscene_fini(&s);
        }
        assert_memory_equal(img[0], img[1], 16 * 16 * 4);
        free(img[0]);
        free(img[1]);
    }
    vgt_soft_surface_destroy(t);
}

/* ---- a cube face ------------------------------------------------------------- */

typedef struct cvert {
    float x, y, z;
    uint32_t color;
    float u, v, w;
} cvert;

static uint32_t px_face(uint32_t x, uint32_t face, uint32_t mip)
{
    /* face +Z (4) carries the fixture, the others something else */
    return face == 4 ? texel_of(x, mip) : 0xff000000u | (face * 50u);
}

/* Face +Z: direction (u, v, 1): s = (u + 1) / 2, t = (1 - v) / 2 on a
 * 64-texel face.  u from -1 to 1 over 8 pixels: 8 texels a pixel; v so
 * that t covers 1 texel a pixel, rows on texel centres.  8 probes (ratio 8),
 * level 0, at 8 x - 3.5 .. 8 x + 3.5. */
static void test_aniso_cube_face(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 8, 4, false, 2);
    vgt_error err = {0};
    vgt_soft_surface *t = NULL;
    vgt_soft_surface_desc d = {VGT_SVGA3D_A8R8G8B8, TEX, TEX, 1, 6, LEVELS};
    assert_int_equal(vgt_soft_surface_create(&d, &t, &err), VGT_OK);
    for (uint32_t f = 0; f < 6; f++) {
        for (uint32_t m = 0; m < LEVELS; m++) {
            uint32_t n = TEX >> m;
            uint32_t *buf = malloc((size_t)n * n * 4);
            for (uint32_t i = 0; i < n * n; i++) {
                buf[i] = px_face(i % n, f, m);
            }
            vgt_soft_box b = {0, 0, 0, n, n, 1};
            assert_int_equal(
                vgt_soft_surface_upload(t, f, m, &b, buf, (size_t)n * n * 4, 0, 0, &err), VGT_OK);
            free(buf);
        }
    }
    static cvert v[6];
    static const float pos[4][2] = {{-1, 1}, {1, 1}, {-1, -1}, {1, -1}};
    const float tc[4][2] = {{-1.0f, 1.0f - 1.0f / TEX},
                            {1.0f, 1.0f - 1.0f / TEX},
                            {-1.0f, 1.0f - 9.0f / TEX},
                            {1.0f, 1.0f - 9.0f / TEX}};
    static const int order[6] = {0, 1, 2, 2, 1, 3};
    for (int i = 0; i < 6; i++) {
        int k = order[i];
        v[i] = (cvert){pos[k][0], pos[k][1], 0.5f, 0xffffffffu, tc[k][0], tc[k][1], 1.0f};
    }
    const uint8_t *b = (const uint8_t *)v;
    uint32_t st = sizeof(cvert);
    s.st.element_count = 3;
    s.st.elements[0] = (vgt_soft_element){b,
                                          sizeof(v),
                                          offsetof(cvert, x),
                                          st,
                                          VGT_SVGA3D_DECLTYPE_FLOAT3,
                                          VGT_SVGA3D_DECLUSAGE_POSITION,
                                          0,
                                          0,
                                          0};
    s.st.elements[1] = (vgt_soft_element){b,
                                          sizeof(v),
                                          offsetof(cvert, color),
                                          st,
                                          VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                                          VGT_SVGA3D_DECLUSAGE_COLOR,
                                          0,
                                          0,
                                          0};
    s.st.elements[2] = (vgt_soft_element){b,
                                          sizeof(v),
                                          offsetof(cvert, u),
                                          st,
                                          VGT_SVGA3D_DECLTYPE_FLOAT3,
                                          VGT_SVGA3D_DECLUSAGE_TEXCOORD,
                                          0,
                                          0,
                                          0};
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    draw_fresh(&s);
    /* pixel 0 sits on the edge with face -X (u = -1): left out */
    for (uint32_t y = 0; y < 4; y++) {
        for (uint32_t x = 1; x < 8; x++) {
            assert_int_equal(tscene_pixel(&s, x, y), expect(8.0 * x, 8.0, 8, 0));
        }
    }
    /* isotropic: log2(8) = level 3 */
    stage(&s, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 1);
    draw_fresh(&s);
    for (uint32_t x = 1; x < 8; x++) {
        assert_int_equal(tscene_pixel(&s, x, 2), expect(8.0 * x, 8.0, 1, 3));
    }
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

/* ---- a perspective floor -------------------------------------------------------- */

/* Stripes across u: 8 black texels, 8 white; each level the box average of
 * the level-0 texels it covers (a full mip chain as GENERATE_MIPMAPS makes
 * for even sizes). */
static uint32_t px_stripes(uint32_t x, uint32_t y, uint32_t mip)
{
    (void)y;
    uint32_t k = 1u << mip, white = 0;
    for (uint32_t i = x * k; i < (x + 1) * k; i++) {
        white += (i / 2) % 2;
    }
    uint32_t g = (white * 255u + k / 2) / k;
    return 0xff000000u | g << 16 | g << 8 | g;
}

static tvert g_floor[6];

/* A floor at y = -1 from z = 0.5 to 64, x from -8 to 8, seen by a 90 degree
 * perspective from the origin: u = x / 16, v = z / 16; the horizon is row
 * 32 of a 64x64 target, a row r below it at z = 32 / (r - 32) or so. */
static void floor_scene(tscene *s)
{
    const float zn = 0.25f, zf = 100.0f;
    memset(&s->st.projection, 0, sizeof(s->st.projection));
    s->st.projection.m[0][0] = 1.0f;
    s->st.projection.m[1][1] = 1.0f;
    s->st.projection.m[2][2] = zf / (zf - zn);
    s->st.projection.m[2][3] = 1.0f;
    s->st.projection.m[3][2] = -zn * zf / (zf - zn);
    static const float c[4][2] = {{-64, 64}, {64, 64}, {-64, 0.5f}, {64, 0.5f}};
    static const int order[6] = {0, 1, 2, 2, 1, 3};
    for (int i = 0; i < 6; i++) {
        int k = order[i];
        g_floor[i] = (tvert){c[k][0], -1.0f, c[k][1], 0xffffffffu, c[k][0] / 8.0f, c[k][1] / 16.0f};
    }
    tscene_use_tverts(s, g_floor, 6);
}

/* Max - min of the red bytes of row y, columns 16..47. */
static uint32_t row_contrast(const uint32_t *img, uint32_t y)
{
    uint32_t lo = 255, hi = 0;
    for (uint32_t x = 16; x < 48; x++) {
        uint32_t r = (img[y * 64 + x] >> 16) & 255u;
        lo = r < lo ? r : lo;
        hi = r > hi ? r : hi;
    }
    return hi - lo;
}

static uint32_t *draw_floor(uint32_t threads, vgt_soft_surface *t, uint32_t min, uint32_t aniso)
{
    tscene s;
    tscene_init(&s, 64, 64, false, threads);
    floor_scene(&s);
    stage(&s, t, min, aniso);
    draw_fresh(&s);
    uint32_t *img = snapshot(&s);
    tscene_fini(&s);
    return img;
}

/* soft-out/aniso-floor.png, to be looked at: trilinear on the left,
 * anisotropic 16 on the right, each 64x64 drawn 4x larger. */
static void write_floor_picture(const uint32_t *left, const uint32_t *right)
{
    enum { SCALE = 4 };
    vgt_image img;
    vgt_error err = {0};
    assert_int_equal(vgt_image_alloc(&img, 2 * 64 * SCALE, 64 * SCALE, &err), VGT_OK);
    for (uint32_t y = 0; y < img.height; y++) {
        for (uint32_t x = 0; x < img.width; x++) {
            const uint32_t *src = x < 64 * SCALE ? left : right;
            uint32_t v = src[(y / SCALE) * 64 + (x % (64 * SCALE)) / SCALE] | 0xff000000u;
            vgt_store_le32(img.pixels + (size_t)y * img.stride + (size_t)x * 4, v);
        }
    }
    char path[1024];
    mkdir(VGT_BINARY_DIR "/soft-out", 0777);
    snprintf(path, sizeof(path), "%s/soft-out/aniso-floor.png", VGT_BINARY_DIR);
    assert_int_equal(vgt_image_write_png(&img, path, false, &err), VGT_OK);
    vgt_image_free(&img);
}

/* Trilinear blurs the far stripes to grey (the LOD of the long axis);
 * anisotropic 16 keeps them (the LOD of the long axis / 16): more contrast
 * in every far row, at least as much as 4 gives.  Level 1 draws LINEAR's
 * bytes; 1 and 2 threads draw the same anisotropic image. */
static void test_aniso_floor(void **state)
{
    (void)state;
    vgt_soft_surface *t = make_texture(TEX, TEX, LEVELS, px_stripes);
    uint32_t *lin = draw_floor(2, t, VGT_SVGA3D_TEX_FILTER_LINEAR, 16);
    uint32_t *a1 = draw_floor(2, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 1);
    uint32_t *a4 = draw_floor(2, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 4);
    uint32_t *a16 = draw_floor(2, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    uint32_t *a16_1 = draw_floor(1, t, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16);
    assert_memory_equal(lin, a1, 64 * 64 * 4);
    assert_memory_equal(a16, a16_1, 64 * 64 * 4);
    /* the far rows 33..47: no row loses contrast, the sums of the rows'
     * contrasts grow with N, and rows 37 and 38, where trilinear has gone
     * grey, keep their stripes */
    uint32_t sl = 0, s4 = 0, s16 = 0;
    for (uint32_t y = 33; y < 48; y++) {
        uint32_t cl = row_contrast(lin, y), c4 = row_contrast(a4, y), c16 = row_contrast(a16, y);
        print_message("floor row %u: contrast trilinear %u, anisotropic 4 %u, 16 %u\n", y, cl, c4,
                      c16);
        assert_true(c16 >= cl && c4 >= cl);
        sl += cl;
        s4 += c4;
        s16 += c16;
        if (y == 37 || y == 38) {
            assert_true(cl < 30 && c4 > 200 && c16 > 200);
        }
    }
    assert_true(s16 > s4 && s4 > sl + 500);
    write_floor_picture(lin, a16);
    free(lin);
    free(a1);
    free(a4);
    free(a16);
    free(a16_1);
    vgt_soft_surface_destroy(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aniso_exact_fixed_function),
        cmocka_unit_test(test_aniso_exact_y_major),
        cmocka_unit_test(test_aniso_shaders),
        cmocka_unit_test(test_aniso_hostile),
        cmocka_unit_test(test_aniso_cube_face),
        cmocka_unit_test(test_aniso_floor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
