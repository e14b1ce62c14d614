/* Anisotropic filtering through vgt_backend (docs/gl.md "Samplers",
 * docs/soft.md "Anisotropic filtering"): a striped, mipmapped floor seen at
 * a grazing angle.  On gl (Mesa llvmpipe's own anisotropic filter, asked by
 * GL_TEXTURE_MAX_ANISOTROPY) the far stripes keep more contrast with
 * ANISOTROPIC 16 than with trilinear LINEAR, and the image is near soft's
 * (not bit-exact: two implementations of the filter; the measured figures
 * are printed).  The soft backend's adapter carries the level (its image
 * differs from LINEAR, level 1 does not).  The caps: 16 on soft and null,
 * min(16, GL_MAX_TEXTURE_MAX_ANISOTROPY) on gl. */
#include "gl_test_util.h"

#include <epoxy/gl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEX    64u
#define LEVELS 7u
#define SIZE   64u

/* Stripes across u, 2 black texels and 2 white; each level the box average
 * of the level-0 texels it covers. */
static uint32_t stripes(uint32_t x, uint32_t mip)
{
    uint32_t k = 1u << mip, white = 0;
    for (uint32_t i = x * k; i < (x + 1) * k; i++) {
        white += (i / 2) % 2;
    }
    uint32_t g = (white * 255u + k / 2) / k;
    return 0xff000000u | g << 16 | g << 8 | g;
}

static uint32_t g_min = VGT_SVGA3D_TEX_FILTER_LINEAR, g_aniso = 1;
static bool g_volume; /* the floor's texture a TEX x TEX x VOL_DEPTH volume */

#define VOL_DEPTH 4u

/* The floor at y = -1 from z = 0.5 to 64, x from -64 to 64, u = x / 8,
 * v = z / 16, seen by a 90 degree perspective from the origin: the horizon
 * is row 32. */
static void sc_floor(scene *s)
{
    /* a volume's slices (and its levels' slices) all hold the level's
     * stripes, so the floor's w (0: the stripes between the first and last
     * slices) does not show */
    uint32_t depth = g_volume ? VOL_DEPTH : 1u;
    vgt_backend_surface *t = scene_define(s, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE,
                                          TEX, TEX, depth, 1, LEVELS);
    uint32_t *px = malloc(TEX * TEX * VOL_DEPTH * 4);
    assert_non_null(px);
    for (uint32_t m = 0; m < LEVELS; m++) {
        uint32_t n = TEX >> m, d = depth >> m ? depth >> m : 1u;
        for (uint32_t i = 0; i < n * n * d; i++) {
            px[i] = stripes(i % n, m);
        }
        scene_upload(s, t, 0, m, px);
    }
    free(px);
    static const float c[4][2] = {{-64, 64}, {64, 64}, {-64, 0.5f}, {64, 0.5f}};
    static const int order[6] = {0, 1, 2, 2, 1, 3};
    tvert v[6];
    for (int i = 0; i < 6; i++) {
        int k = order[i];
        v[i] = (tvert){c[k][0], -1.0f,       c[k][1],        0.0f,           1.0f,
                       0.0f,    0xffffffffu, c[k][0] / 8.0f, c[k][1] / 16.0f};
    }
    scene_tverts(s, v, 6);
    perspective(&s->st.projection, 1.57079633f, 1.0f, 0.25f, 100.0f);
    vgt_backend_stage *g = &s->st.stages[0];
    g->texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {TEX, TEX, depth}};
    g->texture_faces = 1;
    g->texture_mips = LEVELS;
    g->min_filter = g_min;
    g->mag_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    g->mip_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    g->max_anisotropy = g_aniso;
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

/* The floor on backend `kind`, fixed function, or with ps_text (NULL: none). */
static void draw_with(const char *kind, const char *ps_text, uint32_t min, uint32_t aniso,
                      vgt_image *out)
{
    scene *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    g_min = min;
    g_aniso = aniso;
    scene_init(s, kind, SIZE, SIZE, VGT_SVGA3D_X8R8G8B8, 0);
    if (ps_text) {
        scene_with_ps(s, ps_text, sc_floor);
    } else {
        sc_floor(s);
    }
    scene_read(s, out);
    scene_fini(s);
    free(s);
}

/* The red byte of pixel (x, y) (0xAARRGGBB stored little-endian). */
static uint32_t red(const vgt_image *im, uint32_t x, uint32_t y)
{
    return im->pixels[(size_t)y * im->stride + (size_t)x * 4 + 2];
}

static void draw(const char *kind, uint32_t min, uint32_t aniso, vgt_image *out)
{
    draw_with(kind, NULL, min, aniso, out);
}

/* Max - min of the red bytes of row y, columns 16..47. */
static uint32_t row_contrast(const vgt_image *im, uint32_t y)
{
    uint32_t lo = 255, hi = 0;
    for (uint32_t x = 16; x < 48; x++) {
        uint32_t r = red(im, x, y);
        lo = r < lo ? r : lo;
        hi = r > hi ? r : hi;
    }
    return hi - lo;
}

/* The far rows' contrasts summed: rows 33..39, where trilinear has blurred
 * the stripes (nearly) to grey. */
static uint32_t far_contrast(const vgt_image *im)
{
    uint32_t sum = 0;
    for (uint32_t y = 33; y < 40; y++) {
        sum += row_contrast(im, y);
    }
    return sum;
}

/* The mean |red difference| of a and b over rows 33..63; *over: the
 * pixels more than 64 apart. */
static double red_difference(const vgt_image *a, const vgt_image *b, uint32_t *over)
{
    uint64_t sum = 0;
    *over = 0;
    for (uint32_t y = 33; y < SIZE; y++) {
        for (uint32_t x = 0; x < SIZE; x++) {
            uint32_t ra = red(a, x, y), rb = red(b, x, y);
            uint32_t d = ra > rb ? ra - rb : rb - ra;
            sum += d;
            *over += d > 64;
        }
    }
    return (double)sum / (double)((SIZE - 33) * SIZE);
}

static bool gl_has_aniso(void)
{
    vgt_backend be;
    scene_backend_gl(&be);
    vgt_gl_info info;
    assert_int_equal(vgt_backend_gl_info(&be, &info), VGT_OK);
    /* what the driver offers, asked here on the backend's context */
    vgt_backend_gl_make_current(&be);
    float driver = 1.0f;
    if (epoxy_gl_version() >= 46 || epoxy_has_gl_extension("GL_ARB_texture_filter_anisotropic") ||
        epoxy_has_gl_extension("GL_EXT_texture_filter_anisotropic")) {
        glGetFloatv(GL_MAX_TEXTURE_MAX_ANISOTROPY, &driver);
    }
    assert_true(info.max_anisotropy == (driver > 1.0f ? driver : 1.0f));
    vgt_backend_caps caps;
    memset(&caps, 0, sizeof(caps));
    be.ops->get_caps(be.self, &caps);
    uint32_t want = info.max_anisotropy >= 16.0f  ? 16u
                    : info.max_anisotropy >= 1.0f ? (uint32_t)info.max_anisotropy
                                                  : 1u;
    assert_true(caps.devcap_valid[VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY]);
    assert_int_equal(caps.devcap[VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY], want);
    print_message("gl: %s, GL_MAX_TEXTURE_MAX_ANISOTROPY %g, caps %u\n", info.renderer,
                  (double)info.max_anisotropy, want);
    vgt_backend_destroy(&be);
    return want > 1;
}

static void test_aniso_caps(void **state)
{
    (void)state;
    vgt_error err = {0};
    vgt_backend_kind kinds[2] = {VGT_BACKEND_SOFT, VGT_BACKEND_NULL};
    for (int i = 0; i < 2; i++) {
        vgt_backend be;
        assert_int_equal(vgt_backend_create(kinds[i], NULL, &be, &err), VGT_OK);
        vgt_backend_caps caps;
        memset(&caps, 0, sizeof(caps));
        be.ops->get_caps(be.self, &caps);
        assert_int_equal(caps.devcap[VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY], 16);
        vgt_backend_destroy(&be);
    }
    gl_has_aniso();
}

/* The soft backend's adapter passes the level on, to fixed-function stages
 * and to a ps_2_0's sampler: ANISOTROPIC 16 is not LINEAR's image,
 * ANISOTROPIC 1 is, byte for byte; far rows sharper. */
static void test_aniso_soft_backend(void **state)
{
    (void)state;
    vgt_image lin, a1, a16;
    draw("soft", VGT_SVGA3D_TEX_FILTER_LINEAR, 16, &lin);
    draw("soft", VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 1, &a1);
    draw("soft", VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16, &a16);
    assert_memory_equal(lin.pixels, a1.pixels, SIZE * SIZE * 4);
    assert_memory_not_equal(lin.pixels, a16.pixels, SIZE * SIZE * 4);
    uint32_t cl = far_contrast(&lin), ca = far_contrast(&a16);
    print_message("soft far contrast: trilinear %u, anisotropic 16 %u\n", cl, ca);
    assert_true(ca > cl + 500); /* 786 against 162 */
    vgt_image_free(&lin);
    vgt_image_free(&a1);
    vgt_image_free(&a16);
    /* a pixel shader's sampler too */
    static const char *ps = "ps_2_0\ndcl t0.xy\ndcl_2d s0\ntexld r0, t0, s0\nmov oC0, r0\n";
    draw_with("soft", ps, VGT_SVGA3D_TEX_FILTER_LINEAR, 16, &lin);
    draw_with("soft", ps, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 1, &a1);
    draw_with("soft", ps, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16, &a16);
    assert_memory_equal(lin.pixels, a1.pixels, SIZE * SIZE * 4);
    assert_true(far_contrast(&a16) > far_contrast(&lin) + 500);
    vgt_image_free(&lin);
    vgt_image_free(&a1);
    vgt_image_free(&a16);
}

/* gl: sharper with anisotropy (the expected direction), and near soft;
 * skipped (saying so) where the driver has no anisotropic filtering. */
static void test_aniso_gl(void **state)
{
    (void)state;
    if (!gl_has_aniso()) {
        print_message("gl: no anisotropic filtering in this driver; the caps say 1\n");
        skip();
    }
    vgt_image lin, a16, soft16;
    draw("gl", VGT_SVGA3D_TEX_FILTER_LINEAR, 16, &lin);
    draw("gl", VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16, &a16);
    draw("soft", VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16, &soft16);
    uint32_t cl = far_contrast(&lin), ca = far_contrast(&a16), cs = far_contrast(&soft16);
    print_message("gl far contrast: trilinear %u, anisotropic 16 %u (soft: %u)\n", cl, ca, cs);
    /* llvmpipe is less sharp than soft's footprint assembly here (Mesa
     * 22.3: 388 against 162; soft 786) */
    assert_true(ca > cl + 150);
    /* against soft: the mean red difference over the floor (rows 33..63)
     * and the pixels more than 64 apart.  Not bit-exact, and not as near
     * as the two trilinear images are: Mesa 22.3's llvmpipe filters an
     * anisotropic footprint with softpipe's elliptical weighted average (a
     * Gaussian over the ellipse, also where soft's footprint assembly is
     * plain bilinear near the camera), soft averages P bilinear probes.
     * Measured: mean 11.85, 19 of 1984 pixels above 64 (max 93); gl
     * trilinear against soft trilinear: mean 1.55, none above 64.  The
     * bounds: mean under 16, under 3% of the pixels above 64. */
    uint32_t over = 0, over_lin = 0;
    double mean = red_difference(&a16, &soft16, &over);
    vgt_image soft_lin;
    draw("soft", VGT_SVGA3D_TEX_FILTER_LINEAR, 16, &soft_lin);
    double mean_lin = red_difference(&lin, &soft_lin, &over_lin);
    print_message("gl vs soft, rows 33..63: anisotropic 16: mean |red difference| %.2f, %u of %u "
                  "pixels above 64; trilinear: %.2f, %u\n",
                  mean, over, (SIZE - 33) * SIZE, mean_lin, over_lin);
    compare_images_as("aniso-floor", "gl", &a16, "soft", &soft16, 255, 0.0);
    assert_true(mean < 16.0);
    assert_true(over * 33 < (SIZE - 33) * SIZE); /* under 3% */
    vgt_image_free(&soft_lin);
    vgt_image_free(&lin);
    vgt_image_free(&a16);
    vgt_image_free(&soft16);
}

/* Anisotropic filtering of volume textures is absent (docs/soft.md): an
 * ANISOTROPIC volume is drawn trilinear, on soft and on gl alike (gl used
 * to ask the driver for anisotropy on volumes too, which llvmpipe gives). */
static void test_aniso_volume_trilinear(void **state)
{
    (void)state;
    g_volume = true;
    vgt_image gl_lin, gl_a16, soft_lin, soft_a16;
    draw("gl", VGT_SVGA3D_TEX_FILTER_LINEAR, 16, &gl_lin);
    draw("gl", VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16, &gl_a16);
    draw("soft", VGT_SVGA3D_TEX_FILTER_LINEAR, 16, &soft_lin);
    draw("soft", VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, 16, &soft_a16);
    g_volume = false;
    print_message("volume far contrast: gl trilinear %u, anisotropic 16 %u; soft %u, %u\n",
                  far_contrast(&gl_lin), far_contrast(&gl_a16), far_contrast(&soft_lin),
                  far_contrast(&soft_a16));
    compare_images_as("aniso-volume", "gl-anisotropic", &gl_a16, "gl-trilinear", &gl_lin, 0, 0.0);
    compare_images_as("aniso-volume", "soft-anisotropic", &soft_a16, "soft-trilinear", &soft_lin, 0,
                      0.0);
    /* and the volume floor is the 2D floor's trilinear picture on soft */
    vgt_image soft_2d;
    draw("soft", VGT_SVGA3D_TEX_FILTER_LINEAR, 16, &soft_2d);
    compare_images_as("aniso-volume", "soft-volume", &soft_lin, "soft-2d", &soft_2d, 0, 0.0);
    vgt_image_free(&soft_2d);
    vgt_image_free(&gl_lin);
    vgt_image_free(&gl_a16);
    vgt_image_free(&soft_lin);
    vgt_image_free(&soft_a16);
}

/* GL_TEXTURE_MAX_ANISOTROPY of the sampler on unit 0 after the floor was
 * drawn on gl with MINFILTER min and TEXTURE_ANISOTROPIC_LEVEL level. */
static float gl_sampler_anisotropy(uint32_t min, uint32_t level)
{
    scene *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    g_min = min;
    g_aniso = level;
    scene_init(s, "gl", SIZE, SIZE, VGT_SVGA3D_X8R8G8B8, 0);
    sc_floor(s);
    vgt_backend_gl_make_current(&s->be);
    GLint unit = 0, sampler = 0;
    glGetIntegerv(GL_ACTIVE_TEXTURE, &unit);
    glActiveTexture(GL_TEXTURE0);
    glGetIntegerv(GL_SAMPLER_BINDING, &sampler);
    glActiveTexture((GLenum)unit); /* as the backend left it */
    assert_true(sampler != 0);
    GLfloat v = 0.0f;
    glGetSamplerParameterfv((GLuint)sampler, GL_TEXTURE_MAX_ANISOTROPY, &v);
    scene_fini(s);
    free(s);
    return v;
}

/* The level reaches GL as Direct3D 9 hardware takes it: 0 and 1 as 1, 2..16
 * as they are, above the caps clamped, and 1 for a stage whose MINFILTER is
 * not ANISOTROPIC.  Read back from the sampler: llvmpipe (Mesa 22.3) draws
 * every level from 2 to 16 alike (the far contrast of this floor is 388 at
 * each; soft 555, 715, 786, 786 at 2, 4, 8, 16), so no picture on it
 * shows whether the level arrives. */
static void test_aniso_level_reaches_gl(void **state)
{
    (void)state;
    if (!gl_has_aniso()) {
        print_message("gl: no anisotropic filtering in this driver; the caps say 1\n");
        skip();
    }
    vgt_backend be;
    scene_backend_gl(&be);
    vgt_gl_info info;
    assert_int_equal(vgt_backend_gl_info(&be, &info), VGT_OK);
    vgt_backend_destroy(&be);
    float cap = info.max_anisotropy < 16.0f ? info.max_anisotropy : 16.0f;
    static const uint32_t levels[] = {0, 1, 2, 4, 16, 32};
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        float want = levels[i] < 1u ? 1.0f : (float)levels[i];
        want = want < cap ? want : cap;
        float got = gl_sampler_anisotropy(VGT_SVGA3D_TEX_FILTER_ANISOTROPIC, levels[i]);
        print_message("ANISOTROPIC level %u: GL_TEXTURE_MAX_ANISOTROPY %g\n", levels[i],
                      (double)got);
        assert_true(got == want);
    }
    assert_true(gl_sampler_anisotropy(VGT_SVGA3D_TEX_FILTER_LINEAR, 16) == 1.0f);
}

int main(void)
{
    pin_mesa_driver();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aniso_caps),
        cmocka_unit_test(test_aniso_soft_backend),
        cmocka_unit_test(test_aniso_gl),
        cmocka_unit_test(test_aniso_level_reaches_gl),
        cmocka_unit_test(test_aniso_volume_trilinear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
