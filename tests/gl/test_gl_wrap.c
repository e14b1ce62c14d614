/* RS WRAP0..15 (Direct3D 9's D3DRS_WRAPn, cylindrical texture wrapping) on
 * the gl backend and the soft reference: a full-screen quad whose u runs
 * 0.9 -> 0.1 from left to right and whose v runs 0.1 -> 0.9 from top to
 * bottom, point sampled from an 8 x 8 texture of distinct texels, so the
 * texel drawn at a pixel tells which way the coordinate was interpolated.
 * Soft's pixels are checked exactly; gl (a geometry shader) against soft. */
#include "gl_test_util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 64u
#define H 64u

/* The quad's extent in NDC: the whole target for the exact tests; gl
 * against soft uses odd extents, so that no texel edge falls on a pixel
 * centre (a tie the two rasterizers may break either way). */
static float g_x0 = -1.0f, g_y0 = -1.0f, g_x1 = 1.0f, g_y1 = 1.0f;

/* The quad of the file's comment with the texture on stage 0 (coordinate
 * set 0), point sampled, address WRAP. */
static void seam_quad(scene *s)
{
    tvert v[6];
    quad(v, g_x0, g_y0, g_x1, g_y1, 0.5f, 0xffffffffu);
    for (int i = 0; i < 6; i++) {
        v[i].u = v[i].u > 0.5f ? 0.1f : 0.9f;
        v[i].v = v[i].v > 0.5f ? 0.9f : 0.1f;
    }
    scene_tverts(s, v, 6);
    vgt_backend_surface *t = scene_checker(s, 8, 8);
    s->st.z_enable = false;
    s->st.stages[0].texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {8, 8, 1}};
    s->st.stages[0].texture_faces = 1;
    s->st.stages[0].texture_mips = 1;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
}

/* What the scenes draw: RS WRAP<g_set> = g_bits, the left edge's z (a
 * value below 0 clips the quad's left part at the near plane), lines. */
static uint32_t g_set, g_bits;
static float g_left_z = 0.5f;
static bool g_lines;
/* a user clip plane x >= -0.3 (world space; clip space behind a vertex
 * shader: the same here), and the fill mode (0: solid) */
static bool g_clip_plane;
static uint32_t g_fill;
/* shaders around the draw (NULL: fixed function) */
static const char *g_vs, *g_ps;
/* the draw of draw_mixed instead of the quad */
static bool g_mixed;
/* stage 1 samples the texture from coordinate set 0 too (TEXCOORD1 of a
 * pixel shader reads set 0), RS WRAP1 = g_bits1 */
static bool g_stage1;
static uint32_t g_bits1;

/* The seam quad's u and v (0.9 -> 0.1, 0.1 -> 0.9) on quad()'s 0 / 1. */
static void seam_uv(tvert *v, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        v[i].u = v[i].u > 0.5f ? 0.1f : 0.9f;
        v[i].v = v[i].v > 0.5f ? 0.9f : 0.1f;
    }
}

/* One draw of four ranges of the three primitive classes, in this order: a
 * TRIANGLELIST quad over the top half, four horizontal LINELIST lines, four
 * POINTLIST points (size 6) and a second TRIANGLELIST quad over the bottom
 * left quarter, drawn over the two left points (the ranges' order shows);
 * u runs 0.9 -> 0.1 left to right in each (the points: 0.9, 0.7, 0.3, 0.1). */
static void draw_mixed(scene *s)
{
    tvert v[24];
    quad(v, g_x0, 0.013f, g_x1, g_y1, 0.5f, 0xffffffffu);
    seam_uv(v, 6);
    for (uint32_t k = 0; k < 4; k++) {
        float y = -0.07f - 0.1f * (float)k, vv = 0.3f + 0.1f * (float)k;
        tvert a = {-1.0f, y, 0.5f, 0, 0, -1, 0xffffffffu, 0.9f, vv};
        tvert b = {1.0f, y, 0.5f, 0, 0, -1, 0xffffffffu, 0.1f, vv};
        v[6 + 2 * k] = a;
        v[7 + 2 * k] = b;
    }
    static const float px[4] = {-0.6f, -0.2f, 0.2f, 0.6f}, pu[4] = {0.9f, 0.7f, 0.3f, 0.1f};
    for (uint32_t k = 0; k < 4; k++) {
        tvert p = {px[k], -0.55f, 0.5f, 0, 0, -1, 0xffffffffu, pu[k], 0.5f};
        v[14 + k] = p;
    }
    quad(v + 18, g_x0, g_y0, 0.0f, -0.5f, 0.5f, 0xffffffffu);
    seam_uv(v + 18, 6);
    scene_tverts(s, v, 24);
    s->st.point_size = 6.0f;
    vgt_backend_draw_range r[4] = {
        {.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
         .primitive_count = 2,
         .vertex_count = 6},
        {.primitive_type = VGT_SVGA3D_PRIMITIVE_LINELIST,
         .primitive_count = 4,
         .vertex_count = 8,
         .index_bias = 6},
        {.primitive_type = VGT_SVGA3D_PRIMITIVE_POINTLIST,
         .primitive_count = 4,
         .vertex_count = 4,
         .index_bias = 14},
        {.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
         .primitive_count = 2,
         .vertex_count = 6,
         .index_bias = 18},
    };
    /* twice, with a serial (the executor's promise that the state is the
     * same): the fixed-function program of one run must not serve the next
     * run's class, and the second draw's first run may reuse the first
     * draw's last (the same picture again) */
    s->st.serial = 1;
    for (int k = 0; k < 2; k++) {
        vgt_backend_draw_stats stats = {0};
        vgt_error err = {0};
        if (s->be.ops->draw(s->be.self, &s->st, r, 4, &stats, &err) != VGT_OK) {
            fail_msg("%s: mixed draw: %s", s->name, err.message);
        }
        assert_int_equal(stats.primitives, 12);
    }
    s->st.serial = 0;
}

static void draw_seam(scene *s)
{
    seam_quad(s);
    s->st.wrap[g_set] = g_bits;
    if (g_stage1) {
        s->st.stages[1].texture = s->st.stages[0].texture;
        s->st.stages[1].texture_faces = 1;
        s->st.stages[1].texture_mips = 1;
        s->st.stages[1].texcoord_index = 0;
        s->st.wrap[1] = g_bits1;
    }
    if (g_mixed) {
        draw_mixed(s);
        return;
    }
    if (g_clip_plane) {
        s->st.clip_plane_enable = 1;
        const float plane[4] = {1.0f, 0.0f, 0.0f, 0.3f};
        memcpy(s->st.clip_planes[0], plane, sizeof(plane));
    }
    if (g_fill) {
        s->st.fill_mode = g_fill;
        s->st.point_size = 5.0f;
    }
    if (g_lines) {
        /* one horizontal line through the middle, u 0.9 -> 0.1, v 0.5 */
        tvert v[2] = {{-1.0f, -0.0101f, 0.5f, 0, 0, -1, 0xffffffffu, 0.9f, 0.5f},
                      {1.0f, -0.0101f, 0.5f, 0, 0, -1, 0xffffffffu, 0.1f, 0.5f}};
        scene_tverts(s, v, 2);
        scene_draw(s, VGT_SVGA3D_PRIMITIVE_LINELIST, 1);
        return;
    }
    if (g_left_z != 0.5f) {
        tvert v[6];
        quad(v, g_x0, g_y0, g_x1, g_y1, 0.5f, 0xffffffffu);
        for (int i = 0; i < 6; i++) {
            v[i].z = v[i].x < 0.0f ? g_left_z : 0.5f;
            v[i].u = v[i].u > 0.5f ? 0.1f : 0.9f;
            v[i].v = v[i].v > 0.5f ? 0.9f : 0.1f;
        }
        scene_tverts(s, v, 6);
    }
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

static void draw_seam_ps(scene *s)
{
    scene_with_ps(s, g_ps, draw_seam);
}

/* The scene with the globals' shaders. */
static void sc_seam(scene *s)
{
    if (g_vs) {
        scene_with_vs(s, g_vs, g_ps ? draw_seam_ps : draw_seam);
    } else if (g_ps) {
        draw_seam_ps(s);
    } else {
        draw_seam(s);
    }
}

/* Pixels x, y = 4, 20, 44, 60 sample u = 0.9 - 0.8 x / 64 (0.9 + 0.2 x /
 * 64 wrapped) and v = 0.1 + 0.8 y / 64 (1.1 - 0.2 y / 64 wrapped): the
 * texels below, each at least 0.2 texel from an edge. */
static const uint32_t g_at[4] = {4, 20, 44, 60};
static const uint32_t g_plain_u[4] = {6, 5, 2, 1}, g_wrapped_u[4] = {7, 7, 0, 0};
static const uint32_t g_plain_v[4] = {1, 2, 5, 6}, g_wrapped_v[4] = {0, 0, 7, 7};

/* Draws the scene on soft and checks the 16 pixels against the texels of
 * u (wrapped or not) and v; columns below first_x must be black (clipped). */
static void expect_soft(const char *what, bool wrap_u, bool wrap_v, uint32_t first_x)
{
    scene s;
    scene_init(&s, "soft", W, H, VGT_SVGA3D_A8R8G8B8, 0);
    sc_seam(&s);
    vgt_image im;
    scene_read(&s, &im);
    for (uint32_t j = 0; j < 4; j++) {
        for (uint32_t i = 0; i < 4; i++) {
            uint32_t x = g_at[i], y = g_at[j];
            uint32_t tu = wrap_u ? g_wrapped_u[i] : g_plain_u[i];
            uint32_t tv = wrap_v ? g_wrapped_v[j] : g_plain_v[j];
            uint32_t want = x < first_x ? 0xff000000u : scene_texel(tu, tv);
            uint32_t got = vgt_load_le32(im.pixels + (y * W + x) * 4);
            if (got != want) {
                fail_msg("%s: pixel (%u, %u) = 0x%08x, expected 0x%08x (texel %u, %u)", what, x, y,
                         got, want, tu, tv);
            }
        }
    }
    vgt_image_free(&im);
    scene_fini(&s);
}

/* Every test starts from the defaults (a failed one may leave others). */
static void reset(void)
{
    g_set = g_bits = g_fill = 0;
    g_left_z = 0.5f;
    g_lines = g_clip_plane = g_mixed = g_stage1 = false;
    g_bits1 = 0;
    g_vs = g_ps = NULL;
}

static void set_wrap(uint32_t set, uint32_t bits)
{
    g_set = set;
    g_bits = bits;
}

/* The bits of WRAP0 on fixed-function coordinates: none, u, v, both; and
 * WRAP1 leaves set 0 alone. */
static void test_wrap_soft_fixed_function(void **state)
{
    (void)state;
    reset();
    g_vs = g_ps = NULL;
    set_wrap(0, 0);
    expect_soft("no wrap", false, false, 0);
    set_wrap(0, 1);
    expect_soft("WRAP0 u", true, false, 0);
    set_wrap(0, 2);
    expect_soft("WRAP0 v", false, true, 0);
    set_wrap(0, 3);
    expect_soft("WRAP0 uv", true, true, 0);
    set_wrap(1, 3);
    expect_soft("WRAP1 uv, set 0 read", false, false, 0);
    set_wrap(0, 0);
}

/* The shaders of the scenes. */
static const char *const ps20 = "ps_2_0\ndcl t0.xy\ndcl_2d s0\ntexld r0, t0, s0\nmov oC0, r0\n";
static const char *const vs11 = "vs_1_1\ndcl_position v0\ndcl_color v1\ndcl_texcoord v2\n"
                                "mov oPos, v0\nmov oD0, v1\nmov oT0, v2\n";
static const char *const vs30 = "vs_3_0\ndcl_position v0\ndcl_texcoord v2\ndcl_position o0\n"
                                "dcl_texcoord0 o3.xy\nmov o0, v0\nmov o3.xy, v2\n";
static const char *const ps30 = "ps_3_0\ndcl_texcoord0 v4.xy\ndcl_2d s0\ntexld r0, v4, s0\n"
                                "mov oC0, r0\n";
static const char *const vs11_t1 = "vs_1_1\ndcl_position v0\ndcl_texcoord v2\nmov oPos, v0\n"
                                   "mov oT1, v2\n";
static const char *const ps20_t1 = "ps_2_0\ndcl t1.xy\ndcl_2d s0\ntexld r0, t1, s0\nmov oC0, r0\n";
/* half t0's texel, half t1's (stages 0 and 1 both read set 0 in front of it) */
static const char *const ps20_t0t1 = "ps_2_0\ndef c0, 0.5, 0.5, 0.5, 0.5\ndcl t0.xy\ndcl t1.xy\n"
                                     "dcl_2d s0\ndcl_2d s1\ntexld r0, t0, s0\ntexld r1, t1, s1\n"
                                     "lrp r2, c0, r0, r1\nmov oC0, r2\n";

/* The same through shaders: a pixel shader's t0, a vertex shader's oT0 in
 * front of fixed-function pixels, vs_3_0 / ps_3_0 by dcl; and a pixel
 * shader reading TEXCOORD1 (the vertex shader's oT1) is wrapped by WRAP1,
 * not WRAP0. */
static void test_wrap_soft_shaders(void **state)
{
    (void)state;
    reset();
    set_wrap(0, 1);
    g_vs = NULL;
    g_ps = ps20;
    expect_soft("ps_2_0 WRAP0 u", true, false, 0);
    g_vs = vs11;
    g_ps = NULL;
    expect_soft("vs_1_1 WRAP0 u", true, false, 0);
    g_vs = vs30;
    g_ps = ps30;
    set_wrap(0, 3);
    expect_soft("vs_3_0 ps_3_0 WRAP0 uv", true, true, 0);
    g_vs = vs11_t1;
    g_ps = ps20_t1;
    set_wrap(0, 3);
    expect_soft("t1 with WRAP0", false, false, 0);
    set_wrap(1, 2);
    expect_soft("t1 with WRAP1 v", false, true, 0);
    g_vs = g_ps = NULL;
    set_wrap(0, 0);
}

/* Clipped at the near plane (z < 0 left of x = 0): the wrapped quad's
 * pixels right of the cut are those of the whole quad (wrapped before
 * clipping), the left ones are not drawn. */
static void test_wrap_soft_clipped(void **state)
{
    (void)state;
    reset();
    g_left_z = -0.5f;
    set_wrap(0, 1);
    expect_soft("clipped WRAP0 u", true, false, 32);
    set_wrap(0, 0);
    expect_soft("clipped no wrap", false, false, 32);
    g_left_z = 0.5f;
}

/* A line wraps on its one edge: u 0.9 -> 1.1. */
static void test_wrap_soft_line(void **state)
{
    (void)state;
    reset();
    g_lines = true;
    for (uint32_t bits = 0; bits <= 1; bits++) {
        set_wrap(0, bits);
        scene s;
        scene_init(&s, "soft", W, H, VGT_SVGA3D_A8R8G8B8, 0);
        sc_seam(&s);
        vgt_image im;
        scene_read(&s, &im);
        for (uint32_t i = 0; i < 4; i++) {
            uint32_t x = g_at[i], lit = 0, row = 0;
            for (uint32_t y = 0; y < H; y++) {
                if (vgt_load_le32(im.pixels + (y * W + x) * 4) != 0xff000000u) {
                    lit++;
                    row = y;
                }
            }
            assert_int_equal(lit, 1);
            assert_int_equal(row, 32);
            uint32_t want = scene_texel(bits ? g_wrapped_u[i] : g_plain_u[i], 4);
            assert_int_equal(vgt_load_le32(im.pixels + (row * W + x) * 4), want);
        }
        vgt_image_free(&im);
        scene_fini(&s);
    }
    g_lines = false;
    set_wrap(0, 0);
}

/* gl against soft (docs/gl.md's tolerance; all are equal) with the same states, each
 * showing at least min_colors colours (the texels it should; black): a
 * geometry shader does the wrapping on gl. */
static void both(const char *name, uint32_t min_colors)
{
    g_x0 = -0.987f;
    g_y0 = -0.993f;
    g_x1 = 0.991f;
    g_y1 = 0.983f;
    /* lines and points (the mixed draw has both): GL and Direct3D 9 place
     * their end pixels and squares differently (test_gl_render
     * test_primitives' bound, docs/gl.md); without viewport arrays a line's
     * texel edges may move by a pixel (16 pixels in wrap-t0-u-t1-v-mixed) */
    double frac = g_lines || g_fill || g_mixed ? 0.01 : GL_TOL_FRACTION;
    run_gl_and_soft(name, W, H, VGT_SVGA3D_A8R8G8B8, 0, sc_seam, GL_TOL, frac, min_colors);
    g_x0 = g_y0 = -1.0f;
    g_x1 = g_y1 = 1.0f;
}

static void test_wrap_gl_fixed_function(void **state)
{
    (void)state;
    reset();
    g_vs = g_ps = NULL;
    set_wrap(0, 0);
    both("wrap-none", 40);
    set_wrap(0, 1);
    both("wrap-u", 12);
    set_wrap(0, 2);
    both("wrap-v", 12);
    set_wrap(0, 3);
    both("wrap-uv", 5);
    set_wrap(1, 3);
    both("wrap1-set0", 40);
    g_left_z = -0.5f;
    set_wrap(0, 1);
    both("wrap-u-clipped", 8);
    g_left_z = 0.5f;
    g_lines = true;
    both("wrap-u-line", 3);
    g_lines = false;
    /* the geometry shader passes gl_ClipDistance and gl_PointSize on */
    g_clip_plane = true;
    both("wrap-u-clip-plane", 8);
    g_clip_plane = false;
    g_fill = VGT_SVGA3D_FILLMODE_POINT;
    both("wrap-u-point-fill", 3);
    g_fill = VGT_SVGA3D_FILLMODE_LINE;
    both("wrap-u-line-fill", 3);
    g_fill = 0;
    set_wrap(0, 0);
}

static void test_wrap_gl_shaders(void **state)
{
    (void)state;
    reset();
    set_wrap(0, 1);
    g_vs = NULL;
    g_ps = ps20;
    both("wrap-u-ps20", 12);
    g_vs = vs11;
    g_ps = NULL;
    both("wrap-u-vs11", 12);
    g_vs = vs30;
    g_ps = ps30;
    set_wrap(0, 3);
    both("wrap-uv-vs30-ps30", 5);
    g_clip_plane = true;
    both("wrap-uv-vs30-ps30-clip-plane", 4);
    g_clip_plane = false;
    g_vs = vs11_t1;
    g_ps = ps20_t1;
    both("wrap0-t1", 40);
    set_wrap(1, 2);
    both("wrap1-v-t1", 12);
    g_vs = g_ps = NULL;
    set_wrap(0, 0);
}

/* A draw mixing TRIANGLELIST, LINELIST and POINTLIST ranges under WRAP0:
 * gl draws each run of one class with its own program variant (the
 * triangles' and the lines' geometry shaders, none for the points), equal
 * to soft; fixed function, a pixel shader in front of fixed-function
 * vertices, a vertex shader in front of fixed-function pixels, and
 * vs_3_0 / ps_3_0. */
static void test_wrap_gl_mixed_draw(void **state)
{
    (void)state;
    reset();
    g_mixed = true;
    set_wrap(0, 1);
    both("wrap-u-mixed", 12);
    set_wrap(0, 3);
    both("wrap-uv-mixed", 8);
    set_wrap(0, 1);
    g_ps = ps20;
    both("wrap-u-mixed-ps20", 12);
    g_ps = NULL;
    g_vs = vs11;
    both("wrap-u-mixed-vs11", 12);
    g_vs = vs30;
    g_ps = ps30;
    set_wrap(0, 3);
    both("wrap-uv-mixed-vs30-ps30", 8);
    reset();
}

/* The mixed draw on soft, exactly (the reference gl is held to): the quads'
 * u wrapped, the points' not (a point has no edge), the bottom quad drawn
 * over the left points (the ranges in their order). */
static void test_wrap_soft_mixed_draw(void **state)
{
    (void)state;
    reset();
    g_mixed = true;
    set_wrap(0, 1);
    scene s;
    scene_init(&s, "soft", W, H, VGT_SVGA3D_A8R8G8B8, 0);
    sc_seam(&s);
    vgt_image im;
    scene_read(&s, &im);
    /* the top quad (rows 0 .. 31.6: v 0.1 -> 0.9): rows 4 and 12 sample v
     * 0.21 and 0.42, texels 1 and 3 */
    static const uint32_t rows[2] = {4, 12}, tv[2] = {1, 3};
    for (uint32_t j = 0; j < 2; j++) {
        for (uint32_t i = 0; i < 4; i++) {
            uint32_t x = g_at[i], y = rows[j];
            uint32_t want = scene_texel(g_wrapped_u[i], tv[j]);
            uint32_t got = vgt_load_le32(im.pixels + (y * W + x) * 4);
            if (got != want) {
                fail_msg("pixel (%u, %u) = 0x%08x, expected 0x%08x", x, y, got, want);
            }
        }
    }
    /* the bottom quad (columns 0 .. 32, rows 48 .. 64, u 0.9 -> 1.1, v 0.1
     * -> 0.9) over the left points: (4, 60) u 0.93 v 0.7, (20, 60) u 1.03,
     * (12, 49) u 0.98 v 0.18; the right points as their vertices say: (38,
     * 49) u 0.3, (51, 49) u 0.1, v 0.5 */
    static const uint32_t at[5][4] = {
        {4, 60, 7, 5}, {20, 60, 0, 5}, {12, 49, 7, 1}, {38, 49, 2, 4}, {51, 49, 0, 4}};
    for (uint32_t k = 0; k < 5; k++) {
        uint32_t want = scene_texel(at[k][2], at[k][3]);
        uint32_t got = vgt_load_le32(im.pixels + (at[k][1] * W + at[k][0]) * 4);
        if (got != want) {
            fail_msg("pixel (%u, %u) = 0x%08x, expected 0x%08x", at[k][0], at[k][1], got, want);
        }
    }
    vgt_image_free(&im);
    scene_fini(&s);
    reset();
}

/* In front of a pixel shader, TEXCOORD0 and TEXCOORD1 read coordinate set
 * 0 (stages 0 and 1 both TEXCOORDINDEX 0), WRAP0 wraps u and WRAP1 v: each
 * input is wrapped by its own bits (soft's per-input rule); gl gives each
 * its own wrapped copy.  On soft, each pixel is the mean of the two texels
 * (to 1 of rounding); gl equals soft. */
static void test_wrap_two_texcoords_one_set(void **state)
{
    (void)state;
    reset();
    g_ps = ps20_t0t1;
    g_stage1 = true;
    set_wrap(0, 1);
    g_bits1 = 2;
    scene s;
    scene_init(&s, "soft", W, H, VGT_SVGA3D_A8R8G8B8, 0);
    sc_seam(&s);
    vgt_image im;
    scene_read(&s, &im);
    for (uint32_t j = 0; j < 4; j++) {
        for (uint32_t i = 0; i < 4; i++) {
            uint32_t x = g_at[i], y = g_at[j];
            uint32_t a = scene_texel(g_wrapped_u[i], g_plain_v[j]);
            uint32_t b = scene_texel(g_plain_u[i], g_wrapped_v[j]);
            uint32_t got = vgt_load_le32(im.pixels + (y * W + x) * 4);
            for (int c = 0; c < 24; c += 8) {
                int want = (int)(((a >> c) & 0xffu) + ((b >> c) & 0xffu)) / 2;
                int d = (int)((got >> c) & 0xffu) - want;
                if (d < -1 || d > 1) {
                    fail_msg("pixel (%u, %u) = 0x%08x: channel %d, expected the mean of 0x%08x "
                             "and 0x%08x",
                             x, y, got, c / 8, a, b);
                }
            }
        }
    }
    vgt_image_free(&im);
    scene_fini(&s);
    both("wrap-t0-u-t1-v-one-set", 12);
    /* the same bits on both, and WRAP1 alone */
    g_bits1 = 1;
    both("wrap-t0-u-t1-u-one-set", 12);
    set_wrap(0, 0);
    g_bits1 = 3;
    both("wrap-t1-uv-one-set", 12);
    /* and in a mixed draw (each class its program) */
    set_wrap(0, 1);
    g_bits1 = 2;
    g_mixed = true;
    both("wrap-t0-u-t1-v-mixed", 12);
    reset();
}

/* Bits beyond u, v, w, q are refused (both backends), nothing drawn. */
static void refused(const char *kind, uint32_t set, uint32_t bits, const char *msg)
{
    scene s;
    scene_init(&s, kind, W, H, VGT_SVGA3D_A8R8G8B8, 0);
    seam_quad(&s);
    s.st.wrap[set] = bits;
    vgt_error err = {0};
    assert_int_equal(scene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 0, &err),
                     VGT_E_UNSUPPORTED);
    if (!strstr(err.message, msg)) {
        fail_msg("%s: \"%s\" does not say \"%s\"", kind, err.message, msg);
    }
    vgt_image im;
    scene_read(&s, &im);
    assert_int_equal(vgt_load_le32(im.pixels + (20 * W + 20) * 4), 0xff000000u);
    vgt_image_free(&im);
    scene_fini(&s);
}

static void test_wrap_refused(void **state)
{
    (void)state;
    reset();
    refused("soft", 3, 0x15u,
            "context 1: RS WRAP3 = 0x15: only bits 0..3 (u, v, w, q) are defined");
    refused("gl", 3, 0x15u, "context 1: RS WRAP3 = 0x15: only bits 0..3 (u, v, w, q) are defined");
    /* gl divides a wrapped draw mixing classes into runs: an index past
     * the vertices in its second range is refused before the first is
     * drawn, as in an undivided draw (the backend checks indices without
     * robust access) */
    scene s;
    scene_init(&s, "gl-no-debug", W, H, VGT_SVGA3D_A8R8G8B8, 0);
    seam_quad(&s);
    s.st.wrap[0] = 1;
    const uint16_t idx[2] = {0, 1000};
    scene_indices(&s, idx, sizeof(idx));
    vgt_backend_draw_range r[2] = {{.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
                                    .primitive_count = 2,
                                    .vertex_count = 6},
                                   {.primitive_type = VGT_SVGA3D_PRIMITIVE_LINELIST,
                                    .primitive_count = 1,
                                    .vertex_count = 2,
                                    .index_buffer = s.ib,
                                    .index_buffer_bytes = sizeof(idx),
                                    .index_width = 2}};
    vgt_error err = {0};
    assert_int_equal(s.be.ops->draw(s.be.self, &s.st, r, 2, NULL, &err), VGT_E_RANGE);
    assert_non_null(strstr(err.message, "index 1 of the draw (value 1000 with bias 0)"));
    vgt_image im;
    scene_read(&s, &im);
    assert_int_equal(vgt_load_le32(im.pixels + (20 * W + 20) * 4), 0xff000000u);
    vgt_image_free(&im);
    /* and once it is in range, both are drawn */
    const uint16_t ok[2] = {0, 1};
    scene_indices(&s, ok, sizeof(ok));
    r[1].index_buffer = s.ib;
    assert_int_equal(s.be.ops->draw(s.be.self, &s.st, r, 2, NULL, &err), VGT_OK);
    scene_read(&s, &im);
    assert_int_not_equal(vgt_load_le32(im.pixels + (20 * W + 20) * 4), 0xff000000u);
    vgt_image_free(&im);
    scene_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrap_soft_fixed_function),
        cmocka_unit_test(test_wrap_soft_shaders),
        cmocka_unit_test(test_wrap_soft_clipped),
        cmocka_unit_test(test_wrap_soft_line),
        cmocka_unit_test(test_wrap_gl_fixed_function),
        cmocka_unit_test(test_wrap_gl_shaders),
        cmocka_unit_test(test_wrap_gl_mixed_draw),
        cmocka_unit_test(test_wrap_soft_mixed_draw),
        cmocka_unit_test(test_wrap_two_texcoords_one_set),
        cmocka_unit_test(test_wrap_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
