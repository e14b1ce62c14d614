/* Plain blending (no sRGB) on every colour-target format both backends
 * render to, and blending with OUTPUTGAMMA 2.2 on the 16-bit ones: gl
 * against the soft reference, and soft's pixels against values computed
 * here from Direct3D 9's rule (docs/soft.md "Blending", "sRGB"). */
#include "gl_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 96u
#define H 96u

/* Both through a ps_2_0 whose colour reaches 2 (and -1 in blue): the
 * source is saturated for fixed-point targets only. */
#define PS_WIDE                                                                                    \
    "ps_2_0\ndef c0, 2.0, 2.0, 3.0, 1.0\ndef c1, 0, 0, -1, 0\ndcl v0\nmad r0, v0, c0, c1\nmov "    \
    "oC0, r0\n"

static void sc_blend4_ps(scene *s)
{
    scene_with_ps(s, PS_WIDE, scene_blend4);
}

static void sc_factors_ps(scene *s)
{
    scene_with_ps(s, PS_WIDE, scene_blend_factors);
}

static const struct {
    scene_fn fn;
    const char *name;
    uint32_t min_colors; /* (the shader scenes saturate much of the read-back) */
} g_scenes[] = {
    {scene_blend4, "blend4", 8},
    {scene_blend_factors, "factors", 8},
    {sc_blend4_ps, "blend4-ps", 4},
    {sc_factors_ps, "factors-ps", 4},
};

/* ---- single pixels from the rule ------------------------------------------- */

/* A target format's storage: bytes a pixel, and for the packed fixed-point
 * ones each channel's (R, G, B, A) shift and bits (0: absent, reads 1). */
typedef struct fmt_desc {
    uint32_t fmt;
    const char *name;
    uint32_t bpp;
    bool flt;
    uint8_t shift[4], bits[4];
} fmt_desc;

static const fmt_desc g_descs[] = {
    {VGT_SVGA3D_A8R8G8B8, "A8R8G8B8", 4, false, {16, 8, 0, 24}, {8, 8, 8, 8}},
    {VGT_SVGA3D_X8R8G8B8, "X8R8G8B8", 4, false, {16, 8, 0, 0}, {8, 8, 8, 0}},
    {VGT_SVGA3D_R5G6B5, "R5G6B5", 2, false, {11, 5, 0, 0}, {5, 6, 5, 0}},
    {VGT_SVGA3D_X1R5G5B5, "X1R5G5B5", 2, false, {10, 5, 0, 0}, {5, 5, 5, 0}},
    {VGT_SVGA3D_A1R5G5B5, "A1R5G5B5", 2, false, {10, 5, 0, 15}, {5, 5, 5, 1}},
    {VGT_SVGA3D_A4R4G4B4, "A4R4G4B4", 2, false, {8, 4, 0, 12}, {4, 4, 4, 4}},
    {VGT_SVGA3D_ARGB_S10E5, "ARGB_S10E5", 8, true, {0}, {0}},
    {VGT_SVGA3D_ARGB_S23E8, "ARGB_S23E8", 16, true, {0}, {0}},
};

static float half_to_float(uint16_t h)
{
    float sign = (h & 0x8000u) ? -1.0f : 1.0f;
    uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
    if (e == 0) {
        return sign * ldexpf((float)m, -24);
    }
    return sign * ldexpf((float)(m | 0x400u), (int)e - 25);
}

/* Pixel p of a target as R, G, B, A: fixed-point channels as their
 * integer (k), float ones as stored. */
static void desc_decode(const fmt_desc *fd, const uint8_t *p, float out[4])
{
    if (fd->flt) {
        for (int c = 0; c < 4; c++) {
            if (fd->bpp == 8) {
                out[c] = half_to_float(vgt_load_le16(p + 2 * c));
            } else {
                memcpy(&out[c], p + 4 * c, 4);
            }
        }
        return;
    }
    uint32_t v = fd->bpp == 2 ? vgt_load_le16(p) : vgt_load_le32(p);
    for (int c = 0; c < 4; c++) {
        out[c] = fd->bits[c] ? (float)((v >> fd->shift[c]) & ((1u << fd->bits[c]) - 1u)) : 0.0f;
    }
}

static float clamp01(float v)
{
    return v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v);
}

/* The IEC 61966-2-1 curve (docs/soft.md "sRGB"), in double: stored ->
 * linear, and linear -> stored. */
static float srgb_decode(float v)
{
    double x = v;
    return (float)(x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4));
}

static float srgb_encode(float v)
{
    double x = v;
    return (float)(x <= 0.0031308 ? x * 12.92 : 1.055 * pow(x, 1.0 / 2.4) - 0.055);
}

/* The pixel shader's constant colour: beyond [0, 1] in R (1.5) and B
 * (-0.5), so the source clamp of fixed-point targets shows. */
static const float g_src[4] = {1.5f, 0.25f, -0.5f, 0.6f};
#define PS_CONST    "ps_2_0\ndef c0, 1.5, 0.25, -0.5, 0.6\nmov oC0, c0\n"
#define CLEAR_COLOR 0x8040c020u /* A 0x80, R 0x40, G 0xc0, B 0x20 */
#define BLEND_COLOR 0x80406080u

/* The blends of the pixel tests, each drawn over the cleared target. */
enum { CASE_ALPHA, CASE_ADD, CASE_REVSUB_FACTOR, CASE_MIN, CASE_COUNT };

static void set_case(vgt_backend_draw_state *st, int k)
{
    st->blend_enable = true;
    st->blend_color = BLEND_COLOR;
    st->separate_alpha_blend = false;
    st->blend_eq = VGT_SVGA3D_BLENDEQ_ADD;
    switch (k) {
    case CASE_ALPHA: /* separate alpha: ZERO, INVSRCALPHA, REVSUBTRACT */
        st->src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
        st->dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
        st->separate_alpha_blend = true;
        st->src_blend_alpha = VGT_SVGA3D_BLENDOP_ZERO;
        st->dst_blend_alpha = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
        st->blend_eq_alpha = VGT_SVGA3D_BLENDEQ_REVSUBTRACT;
        break;
    case CASE_ADD:
        st->src_blend = VGT_SVGA3D_BLENDOP_ONE;
        st->dst_blend = VGT_SVGA3D_BLENDOP_ONE;
        break;
    case CASE_REVSUB_FACTOR:
        st->src_blend = VGT_SVGA3D_BLENDOP_BLENDFACTOR;
        st->dst_blend = VGT_SVGA3D_BLENDOP_INVSRCCOLOR;
        st->blend_eq = VGT_SVGA3D_BLENDEQ_REVSUBTRACT;
        break;
    default:
        st->src_blend = VGT_SVGA3D_BLENDOP_ONE;
        st->dst_blend = VGT_SVGA3D_BLENDOP_ONE;
        st->blend_eq = VGT_SVGA3D_BLENDEQ_MINIMUM;
        break;
    }
}

/* Direct3D 9's blend of case k, written out per case: s the source (the
 * shader's colour, saturated for fixed-point targets), d the target as
 * stored (fixed point: k / (2^bits - 1), 1 for an absent channel). */
static void rule(int k, const float s[4], const float d[4], float o[4])
{
    const float bc[4] = {0x40 / 255.0f, 0x60 / 255.0f, 0x80 / 255.0f, 0x80 / 255.0f};
    for (int c = 0; c < 4; c++) {
        switch (k) {
        case CASE_ALPHA:
            o[c] = c < 3 ? s[c] * s[3] + d[c] * (1.0f - s[3]) : d[3] * (1.0f - s[3]) - s[3] * 0.0f;
            break;
        case CASE_ADD:
            o[c] = s[c] * 1.0f + d[c] * 1.0f;
            break;
        case CASE_REVSUB_FACTOR:
            o[c] = d[c] * (1.0f - s[c]) - s[c] * bc[c];
            break;
        default:
            o[c] = s[c] < d[c] ? s[c] : d[c];
            break;
        }
    }
}

static void draw_quad(scene *s)
{
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

/* Clears a 16 x 16 target of fd to CLEAR_COLOR on backend `kind`, draws
 * the shader's constant over it with case k's blend and returns the stored
 * pixel (5, 5) before (clr) and after (out). */
static void draw_case(const char *kind, const fmt_desc *fd, int k, bool srgb, uint8_t *clr,
                      uint8_t *out)
{
    scene *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    scene_init(s, kind, 16, 16, fd->fmt, 0);
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0xffffffffu);
    scene_tverts(s, v, 6);
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, CLEAR_COLOR, 1.0f, 0);
    uint8_t buf[16 * 16 * 16];
    vgt_svga3d_box box = {0, 0, 0, 16, 16, 1};
    vgt_error err = {0};
    assert_int_equal(s->be.ops->surface_download(s->be.self, s->rt, 0, 0, &box, buf, 16 * fd->bpp,
                                                 256 * fd->bpp, &err),
                     VGT_OK);
    memcpy(clr, buf + (5 * 16 + 5) * fd->bpp, fd->bpp);
    set_case(&s->st, k);
    s->st.output_gamma = srgb ? 2.2f : 1.0f;
    scene_with_ps(s, PS_CONST, draw_quad);
    assert_int_equal(s->be.ops->surface_download(s->be.self, s->rt, 0, 0, &box, buf, 16 * fd->bpp,
                                                 256 * fd->bpp, &err),
                     VGT_OK);
    memcpy(out, buf + (5 * 16 + 5) * fd->bpp, fd->bpp);
    scene_fini(s);
    free(s);
}

/* The largest difference (in steps of the channel for fixed-point
 * targets; absolute, relative above 1, for float ones) of backend kind's
 * pixel from the rule's, over every case and channel of fd. */
static float pixel_error_as(const char *kind, const fmt_desc *fd, bool srgb)
{
    float worst = 0.0f;
    for (int k = 0; k < CASE_COUNT; k++) {
        uint8_t clr[16], out[16];
        draw_case(kind, fd, k, srgb, clr, out);
        float d[4], got[4], s[4], o[4];
        desc_decode(fd, clr, d);
        desc_decode(fd, out, got);
        for (int c = 0; c < 4; c++) {
            uint32_t max = fd->bits[c] ? (1u << fd->bits[c]) - 1u : 0;
            s[c] = fd->flt && !srgb ? g_src[c] : clamp01(g_src[c]);
            if (!fd->flt) {
                d[c] = max ? d[c] / (float)max : 1.0f;
            }
            if (srgb && c < 3) {
                d[c] = srgb_decode(d[c]);
            }
        }
        rule(k, s, d, o);
        for (int c = 0; srgb && c < 4; c++) {
            o[c] = c < 3 ? srgb_encode(clamp01(o[c])) : clamp01(o[c]);
        }
        for (int c = 0; c < 4; c++) {
            float e;
            if (fd->flt) {
                float mag = fabsf(o[c]) > 1.0f ? fabsf(o[c]) : 1.0f;
                e = fabsf(got[c] - o[c]) / mag;
            } else if (!fd->bits[c]) {
                continue;
            } else {
                uint32_t max = (1u << fd->bits[c]) - 1u;
                float want = (float)(uint32_t)(clamp01(o[c]) * (float)max + 0.5f);
                e = fabsf(got[c] - want);
                o[c] = want;
            }
            if (e > (fd->flt ? 1.0f / 2048.0f : 0.0f)) {
                print_message("%-5s %-10s case %d channel %d: %.6f, rule %.6f\n", kind, fd->name, k,
                              c, (double)got[c], (double)o[c]);
            }
            worst = e > worst ? e : worst;
        }
    }
    return worst;
}

static float pixel_error(const char *kind, const fmt_desc *fd)
{
    return pixel_error_as(kind, fd, false);
}

/* soft's stored pixels are the rule's: exact for fixed-point targets (the
 * source saturated, the result saturated and rounded to nearest), the
 * float the rule computes for float targets (unclamped source and result;
 * ARGB_S10E5 within its half precision). */
static void test_soft_pixels(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(g_descs) / sizeof(g_descs[0]); i++) {
        const fmt_desc *fd = &g_descs[i];
        float e = pixel_error("soft", fd);
        float bound = !fd->flt ? 0.0f : (fd->bpp == 8 ? 1.0f / 2048.0f : 1e-6f);
        if (e > bound) {
            fail_msg("soft %s: a pixel differs from the rule by %g (allowed %g)", fd->name,
                     (double)e, (double)bound);
        }
    }
}

/* gl's pixels against the rule: the largest error over the cases must
 * be at most `bound` (pixel_error's unit). */
static void gl_pixels_within(const char *fmt_name, float bound)
{
    for (size_t i = 0; i < sizeof(g_descs) / sizeof(g_descs[0]); i++) {
        if (strcmp(g_descs[i].name, fmt_name) == 0) {
            float e = pixel_error("gl", &g_descs[i]);
            if (e > bound) {
                fail_msg("gl %s: a pixel differs from the rule by %g (allowed %g)", fmt_name,
                         (double)e, (double)bound);
            }
            return;
        }
    }
    fail_msg("no format %s", fmt_name);
}

/* Every scene of g_scenes on target format fmt, gl against soft at
 * tolerance tol, max_over. */
static void scenes_on(uint32_t fmt, const char *fmt_name, uint32_t tol, double max_over)
{
    for (size_t k = 0; k < sizeof(g_scenes) / sizeof(g_scenes[0]); k++) {
        char name[64];
        snprintf(name, sizeof(name), "blend-%s-%s", g_scenes[k].name, fmt_name);
        run_gl_and_soft(name, W, H, fmt, 0, g_scenes[k].fn, tol, max_over, g_scenes[k].min_colors);
    }
}

/* The stored floats of every scene on a float target fd, gl against
 * soft, as the read-back's tolerance in float: a difference (absolute,
 * relative above 1) above GL_TOL / 255 in at most GL_TOL_FRACTION of the
 * pixels (the read-back compares only [0, 1]). Returns how many soft
 * components lie outside [0, 1] (the scenes must reach there). */
static uint32_t floats_within(const fmt_desc *fd)
{
    uint32_t outside = 0;
    size_t bytes = (size_t)W * H * fd->bpp;
    uint8_t *px[2] = {malloc(bytes), malloc(bytes)};
    assert_non_null(px[0]);
    assert_non_null(px[1]);
    for (size_t k = 0; k < sizeof(g_scenes) / sizeof(g_scenes[0]); k++) {
        for (int b = 0; b < 2; b++) {
            scene *s = calloc(1, sizeof(*s));
            assert_non_null(s);
            scene_init(s, b == 0 ? "gl" : "soft", W, H, fd->fmt, 0);
            g_scenes[k].fn(s);
            vgt_svga3d_box box = {0, 0, 0, W, H, 1};
            vgt_error err = {0};
            assert_int_equal(s->be.ops->surface_download(s->be.self, s->rt, 0, 0, &box, px[b],
                                                         W * fd->bpp, (uint32_t)bytes, &err),
                             VGT_OK);
            scene_fini(s);
            free(s);
        }
        float worst = 0.0f;
        uint32_t over = 0;
        for (size_t i = 0; i < (size_t)W * H; i++) {
            bool off = false;
            float g[4], r[4];
            desc_decode(fd, px[0] + i * fd->bpp, g);
            desc_decode(fd, px[1] + i * fd->bpp, r);
            for (int c = 0; c < 4; c++) {
                float mag = fabsf(r[c]) > 1.0f ? fabsf(r[c]) : 1.0f;
                float e = fabsf(g[c] - r[c]) / mag;
                worst = e > worst ? e : worst;
                off |= e > (float)GL_TOL / 255.0f;
                outside += r[c] < 0.0f || r[c] > 1.0f;
            }
            over += off;
        }
        print_message("blend-%s %s stored floats: gl vs soft max difference %g, %u of %u "
                      "pixels over %g\n",
                      g_scenes[k].name, fd->name, (double)worst, over, W * H,
                      (double)GL_TOL / 255.0);
        if ((double)over > GL_TOL_FRACTION * W * H) {
            fail_msg("%s %s: %u pixels of gl's stored floats differ from soft's by more than %g",
                     g_scenes[k].name, fd->name, over, (double)GL_TOL / 255.0);
        }
    }
    free(px[0]);
    free(px[1]);
    return outside;
}

/* Float targets: blended unclamped (source and result) on both; gl's
 * stored floats are the rule's (measured: 0 on ARGB_S23E8, within half
 * precision on ARGB_S10E5), the scenes equal soft at the usual tolerance
 * (measured max delta 1, none beyond 2; before soft's fix 255, 52% of
 * the pixels of the shader scene). */
static void test_blend_float(void **state)
{
    (void)state;
    gl_pixels_within("ARGB_S10E5", 1.0f / 2048.0f);
    gl_pixels_within("ARGB_S23E8", 1e-6f);
    scenes_on(VGT_SVGA3D_ARGB_S10E5, "argb_s10e5", GL_TOL, GL_TOL_FRACTION);
    scenes_on(VGT_SVGA3D_ARGB_S23E8, "argb_s23e8", GL_TOL, GL_TOL_FRACTION);
    uint32_t outside = floats_within(&g_descs[6]);
    print_message("ARGB_S10E5: %u stored components outside [0, 1]\n", outside);
    assert_true(outside > 1000);
    outside = floats_within(&g_descs[7]);
    assert_true(outside > 1000);
}

/* 8-bit and 4-bit targets: gl's pixels exact, the scenes at the usual
 * tolerance (measured max delta 1 on 8-bit; A4R4G4B4 0, where GL's own
 * blending left 7 pixels of the factor scene one 4-bit step apart, 0.08%:
 * the shader blends and rounds it now, test_a4_blend_rounding). */
static void test_blend_fixed(void **state)
{
    (void)state;
    gl_pixels_within("A8R8G8B8", 0.0f);
    gl_pixels_within("X8R8G8B8", 0.0f);
    gl_pixels_within("A4R4G4B4", 0.0f);
    scenes_on(VGT_SVGA3D_A8R8G8B8, "a8r8g8b8", GL_TOL, GL_TOL_FRACTION);
    scenes_on(VGT_SVGA3D_X8R8G8B8, "x8r8g8b8", GL_TOL, GL_TOL_FRACTION);
    scenes_on(VGT_SVGA3D_A4R4G4B4, "a4r4g4b4", GL_TOL, GL_TOL_FRACTION);
}

/* Unblended Gouraud triangles (every step of the 5-bit ramps), and the
 * same with OUTPUTGAMMA 2.2 (the shader's encode, then the rounding). */
static void sc_gouraud(scene *s)
{
    static const tvert v[6] = {
        {-1.0f, -1.0f, 0.5f, 0, 0, -1, 0xffff0000u, 0, 0},
        {-1.0f, 1.0f, 0.5f, 0, 0, -1, 0xff00ff00u, 0, 0},
        {1.0f, -1.0f, 0.5f, 0, 0, -1, 0xff0000ffu, 0, 0},
        {1.0f, -1.0f, 0.5f, 0, 0, -1, 0x00000000u, 0, 0},
        {-1.0f, 1.0f, 0.5f, 0, 0, -1, 0x80ffffffu, 0, 0},
        {1.0f, 1.0f, 0.5f, 0, 0, -1, 0xff808080u, 0, 0},
    };
    scene_tverts(s, v, 6);
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

static void sc_gouraud_srgb(scene *s)
{
    s->st.output_gamma = 2.2f;
    sc_gouraud(s);
}

/* 5-bit targets (R5G6B5, X1R5G5B5, A1R5G5B5): the fragment shader blends
 * through framebuffer fetch and rounds to the target's steps, since GL
 * (llvmpipe) truncates to 5 bits where Direct3D rounds; gl's pixels
 * exact, the scenes equal soft (measured max delta 0; before: 9 and 17,
 * 54% and 59% of the pixels over 2). */
static void test_blend_5bit(void **state)
{
    (void)state;
    gl_pixels_within("R5G6B5", 0.0f);
    gl_pixels_within("X1R5G5B5", 0.0f);
    gl_pixels_within("A1R5G5B5", 0.0f);
    scenes_on(VGT_SVGA3D_R5G6B5, "r5g6b5", GL_TOL, GL_TOL_FRACTION);
    scenes_on(VGT_SVGA3D_X1R5G5B5, "x1r5g5b5", GL_TOL, GL_TOL_FRACTION);
    scenes_on(VGT_SVGA3D_A1R5G5B5, "a1r5g5b5", GL_TOL, GL_TOL_FRACTION);
}

/* Unblended draws on 5-bit targets, rounded by the shader too. Measured
 * (before the rounding): R5G6B5 1.2% of the pixels a step apart (24%),
 * A1R5G5B5 0.3% (21%): where gl's interpolated colour and soft's straddle
 * a step's boundary, one 5-bit step (9 on the read-back) is more than the
 * usual tolerance of 2, so the bound here is 2% of the pixels; with
 * OUTPUTGAMMA 2.2 none (34%). */
static void test_unblended_5bit(void **state)
{
    (void)state;
    run_gl_and_soft("gouraud-r5g6b5", W, H, VGT_SVGA3D_R5G6B5, 0, sc_gouraud, GL_TOL, 0.02, 32);
    run_gl_and_soft("gouraud-a1r5g5b5", W, H, VGT_SVGA3D_A1R5G5B5, 0, sc_gouraud, GL_TOL, 0.02, 32);
    run_gl_and_soft("gouraud-srgb-r5g6b5", W, H, VGT_SVGA3D_R5G6B5, 0, sc_gouraud_srgb, GL_TOL,
                    GL_TOL_FRACTION, 32);
}

/* Without framebuffer fetch GL blends a 5-bit target itself, and llvmpipe
 * truncates the blended result to 5 bits: pinned as measured, so that a
 * change shows (docs/gl.md "Blending"). One pixel: blue 0.129 (4 / 31)
 * x 0.4 = 0.0516, 1.6 steps: soft and Direct3D store 2, GL 1. The scenes
 * (unblended draws rounded by the shader): max delta 9 to 17, 8% to 38%
 * of the pixels over 2. */
static void test_blend_5bit_no_fetch(void **state)
{
    (void)state;
    for (int i = 2; i < 5; i++) {
        float e = pixel_error("gl-no-fb-fetch", &g_descs[i]);
        if (e != 1.0f) {
            fail_msg("gl without framebuffer fetch, %s: %g steps from the rule (measured 1)",
                     g_descs[i].name, (double)e);
        }
    }
    for (size_t k = 0; k < sizeof(g_scenes) / sizeof(g_scenes[0]); k++) {
        scene *s[2];
        vgt_image im[2];
        for (int b = 0; b < 2; b++) {
            s[b] = calloc(1, sizeof(scene));
            assert_non_null(s[b]);
            scene_init(s[b], b == 0 ? "gl-no-fb-fetch" : "soft", W, H, VGT_SVGA3D_R5G6B5, 0);
            g_scenes[k].fn(s[b]);
            scene_read(s[b], &im[b]);
        }
        vgt_image_diff d;
        vgt_error err = {0};
        assert_int_equal(vgt_image_compare(&im[0], &im[1], GL_TOL, false, &d, &err), VGT_OK);
        print_message("blend-%s-r5g6b5 without framebuffer fetch: max channel delta %u, %llu of "
                      "%llu pixels over %u\n",
                      g_scenes[k].name, d.max_channel_delta, (unsigned long long)d.pixels_over,
                      (unsigned long long)d.pixels_total, GL_TOL);
        assert_true(d.max_channel_delta >= 9 && d.max_channel_delta <= 17);
        assert_true(d.pixels_over * 100 >= d.pixels_total * 5);
        assert_true(d.pixels_over * 100 <= d.pixels_total * 40);
        for (int b = 0; b < 2; b++) {
            vgt_image_free(&im[b]);
            scene_fini(s[b]);
            free(s[b]);
        }
    }
}

/* An X1R5G5B5 target whose X bits the guest left 0 (SURFACE_DMA): its
 * alpha still reads 1 (Direct3D's X), so DESTALPHA / INVDESTALPHA draws
 * the source; the shader blend must not take the fetched X bit for alpha.
 * Returns the stored pixel (5, 5) without the X bit. */
static uint32_t x_bit_blend(const char *kind)
{
    scene *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    scene_init(s, kind, 16, 16, VGT_SVGA3D_X1R5G5B5, 0);
    uint8_t px[16 * 16 * 2];
    for (size_t i = 0; i < sizeof(px); i += 2) {
        vgt_store_le16(px + i, 0x0210u); /* X 0, R 0, G 16, B 16 */
    }
    scene_upload(s, s->rt, 0, 0, px);
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0xff8040c0u);
    scene_tverts(s, v, 6);
    s->st.z_enable = false;
    s->st.blend_enable = true;
    s->st.src_blend = VGT_SVGA3D_BLENDOP_DESTALPHA;
    s->st.dst_blend = VGT_SVGA3D_BLENDOP_INVDESTALPHA;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    vgt_svga3d_box box = {0, 0, 0, 16, 16, 1};
    vgt_error err = {0};
    assert_int_equal(
        s->be.ops->surface_download(s->be.self, s->rt, 0, 0, &box, px, 32, sizeof(px), &err),
        VGT_OK);
    scene_fini(s);
    free(s);
    return vgt_load_le16(px + (5 * 16 + 5) * 2) & 0x7fffu;
}

static void test_x_bit_alpha(void **state)
{
    (void)state;
    /* 0x80, 0x40, 0xc0 as 5 bits: 15.56, 7.78, 23.34 round to 16, 8, 23 */
    const uint32_t want = (16u << 10) | (8u << 5) | 23u;
    assert_int_equal(x_bit_blend("soft"), want);
    assert_int_equal(x_bit_blend("gl"), want);
    /* GL's blending (DESTALPHA as ONE there) and GL's conversion: blue
     * 0xc0 shifted to 5 bits, 24 */
    assert_int_equal(x_bit_blend("gl-no-fb-fetch"), (want & ~0x1fu) | 24u);
}

/* Two colour targets, COLOR0 A8R8G8B8 and COLOR1 R5G6B5, both written
 * with a gradient: the shader's rounding is one per program, so it stays
 * off and COLOR0 keeps its 8 bits (read back, equal to soft). */
static void sc_two_targets(scene *s)
{
    vgt_backend_surface *t1 =
        scene_define(s, VGT_SVGA3D_R5G6B5, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, W, H, 1, 1, 1);
    s->st.color_targets[1] = (vgt_backend_view){t1, 0, 0, VGT_SVGA3D_R5G6B5, {W, H, 1}};
    s->st.color_target_count = 2;
    scene_with_ps(s, "ps_2_0\ndcl v0\nmov oC0, v0\nmov oC1, v0\n", sc_gouraud);
}

static void test_two_targets(void **state)
{
    (void)state;
    run_gl_and_soft("gouraud-two-targets", W, H, VGT_SVGA3D_A8R8G8B8, 0, sc_two_targets, GL_TOL,
                    GL_TOL_FRACTION, 32);
}

/* ---- OUTPUTGAMMA 2.2 with blending on 16-bit targets ----------------------- */

static size_t g_srgb_scene;

/* g_scenes[g_srgb_scene] with OUTPUTGAMMA 2.2 (set before its clear and
 * its unblended background, which are written encoded too). */
static void sc_srgb_scene(scene *s)
{
    s->st.output_gamma = 2.2f;
    g_scenes[g_srgb_scene].fn(s);
}

static void srgb_scenes_on(uint32_t fmt, const char *fmt_name, uint32_t tol, double max_over)
{
    for (size_t k = 0; k < sizeof(g_scenes) / sizeof(g_scenes[0]); k++) {
        char name[64];
        snprintf(name, sizeof(name), "srgb-blend-%s-%s", g_scenes[k].name, fmt_name);
        g_srgb_scene = k;
        run_gl_and_soft(name, W, H, fmt, 0, sc_srgb_scene, tol, max_over, g_scenes[k].min_colors);
    }
}

/* OUTPUTGAMMA 2.2 with blending on R5G6B5, X1R5G5B5, A1R5G5B5 and
 * A4R4G4B4 (soft's rule: the stored k / max decoded, blended in linear
 * light with the source saturated, the result saturated, encoded and
 * rounded to the target's steps): the gl fragment shader does that
 * through framebuffer fetch. soft's and gl's single pixels are the rule's
 * exactly, the scenes equal soft (measured max delta 0 on all four; with
 * GL's rounding instead of the shader's, before the shader rounded, 56%
 * of the pixels were over 2). */
static void test_srgb_blend_16bit(void **state)
{
    (void)state;
    for (int i = 2; i < 6; i++) {
        float e = pixel_error_as("soft", &g_descs[i], true);
        if (e != 0.0f) {
            fail_msg("soft %s sRGB blend: a pixel differs from the rule by %g steps",
                     g_descs[i].name, (double)e);
        }
        e = pixel_error_as("gl", &g_descs[i], true);
        if (e != 0.0f) {
            fail_msg("gl %s sRGB blend: a pixel differs from the rule by %g steps", g_descs[i].name,
                     (double)e);
        }
    }
    srgb_scenes_on(VGT_SVGA3D_R5G6B5, "r5g6b5", GL_TOL, GL_TOL_FRACTION);
    srgb_scenes_on(VGT_SVGA3D_X1R5G5B5, "x1r5g5b5", GL_TOL, GL_TOL_FRACTION);
    srgb_scenes_on(VGT_SVGA3D_A1R5G5B5, "a1r5g5b5", GL_TOL, GL_TOL_FRACTION);
    srgb_scenes_on(VGT_SVGA3D_A4R4G4B4, "a4r4g4b4", GL_TOL, GL_TOL_FRACTION);
}

/* Draws the constant colour over a 16 x 16 target of fd cleared to
 * `clear`, OUTPUTGAMMA 2.2 and SRCALPHA / INVSRCALPHA, on kind; returns
 * the draw's status (err: its message) and the stored pixel (5, 5). */
static vgt_status srgb_blend_draw(const char *kind, const fmt_desc *fd, uint32_t clear,
                                  uint32_t *px, vgt_error *err)
{
    scene *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    scene_init(s, kind, 16, 16, fd->fmt, 0);
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0x80808080u);
    scene_tverts(s, v, 6);
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, clear, 1.0f, 0);
    s->st.output_gamma = 2.2f;
    s->st.blend_enable = true;
    s->st.src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
    s->st.dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
    vgt_status rc = scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 0, err);
    uint8_t buf[16 * 16 * 2];
    vgt_svga3d_box box = {0, 0, 0, 16, 16, 1};
    vgt_error derr = {0};
    assert_int_equal(
        s->be.ops->surface_download(s->be.self, s->rt, 0, 0, &box, buf, 32, sizeof(buf), &derr),
        VGT_OK);
    *px = vgt_load_le16(buf + (5 * 16 + 5) * 2);
    scene_fini(s);
    free(s);
    return rc;
}

/* Without framebuffer fetch gl cannot blend such a target in linear
 * light: refused, naming what it needs, and nothing drawn (the cleared
 * pixel stays); with it the same draw is soft's. */
static void test_srgb_blend_16bit_no_fetch(void **state)
{
    (void)state;
    for (int i = 2; i < 6; i++) {
        const fmt_desc *fd = &g_descs[i];
        uint32_t clr, px, ref;
        vgt_error err = {0};
        /* with framebuffer fetch gl stores soft's pixel */
        assert_int_equal(srgb_blend_draw("soft", fd, 0xff404040u, &ref, &err), VGT_OK);
        assert_int_equal(srgb_blend_draw("gl", fd, 0xff404040u, &px, &err), VGT_OK);
        assert_int_equal(px, ref);
        assert_int_equal(srgb_blend_draw("gl-no-fb-fetch", fd, 0xff404040u, &px, &err),
                         VGT_E_UNSUPPORTED);
        assert_non_null(strstr(err.message, "OUTPUTGAMMA 2.2 (sRGB write) with blending is not "
                                            "supported on these color targets"));
        assert_non_null(strstr(err.message, "GL_EXT_shader_framebuffer_fetch"));
        scene *s = calloc(1, sizeof(*s));
        assert_non_null(s);
        scene_init(s, "gl-no-fb-fetch", 16, 16, fd->fmt, 0);
        scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff404040u, 1.0f, 0);
        uint8_t buf[16 * 16 * 2];
        vgt_svga3d_box box = {0, 0, 0, 16, 16, 1};
        assert_int_equal(
            s->be.ops->surface_download(s->be.self, s->rt, 0, 0, &box, buf, 32, sizeof(buf), &err),
            VGT_OK);
        clr = vgt_load_le16(buf + (5 * 16 + 5) * 2);
        scene_fini(s);
        free(s);
        assert_int_equal(px, clr);
        assert_int_not_equal(ref, clr);
    }
}

/* A4R4G4B4 blended by GL: llvmpipe rounds to 4 bits, but its blended
 * result is a few hundredths of a step off, so a result 0.51 steps above
 * 0 (0.034 x 15; the source 0.0567 at alpha 0.6 over 0) stores 0 where
 * Direct3D's float blend and soft store 1; the shader blend (framebuffer
 * fetch) stores 1, without fetch GL's 0 stays (pinned). Returns the
 * stored blue channel. */
static uint32_t a4_near_step(const char *kind)
{
    scene *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    scene_init(s, kind, 16, 16, VGT_SVGA3D_A4R4G4B4, 0);
    tvert v[6];
    quad(v, -1, -1, 1, 1, 0.5f, 0xffffffffu);
    scene_tverts(s, v, 6);
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0x00000000u, 1.0f, 0);
    s->st.blend_enable = true;
    s->st.src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
    s->st.dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
    /* 0.51 / 15 / 0.6 */
    scene_with_ps(s, "ps_2_0\ndef c0, 0, 0, 0.0566667, 0.6\nmov oC0, c0\n", draw_quad);
    uint8_t buf[16 * 16 * 2];
    vgt_svga3d_box box = {0, 0, 0, 16, 16, 1};
    vgt_error err = {0};
    assert_int_equal(
        s->be.ops->surface_download(s->be.self, s->rt, 0, 0, &box, buf, 32, sizeof(buf), &err),
        VGT_OK);
    uint32_t px = vgt_load_le16(buf + (5 * 16 + 5) * 2);
    scene_fini(s);
    free(s);
    return px & 0xfu;
}

static void test_a4_blend_rounding(void **state)
{
    (void)state;
    assert_int_equal(a4_near_step("soft"), 1);
    assert_int_equal(a4_near_step("gl"), 1);
    assert_int_equal(a4_near_step("gl-no-fb-fetch"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_soft_pixels),
        cmocka_unit_test(test_blend_float),
        cmocka_unit_test(test_blend_fixed),
        cmocka_unit_test(test_blend_5bit),
        cmocka_unit_test(test_blend_5bit_no_fetch),
        cmocka_unit_test(test_unblended_5bit),
        cmocka_unit_test(test_x_bit_alpha),
        cmocka_unit_test(test_two_targets),
        cmocka_unit_test(test_srgb_blend_16bit),
        cmocka_unit_test(test_srgb_blend_16bit_no_fetch),
        cmocka_unit_test(test_a4_blend_rounding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
