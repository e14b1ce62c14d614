/* The gl backend against the soft reference renderer: the same scene, built
 * with the same vgt_backend_draw_state and the same ops calls, is drawn on
 * both backends and the color targets are compared per pixel within the
 * tolerance documented in docs/gl.md (channel delta 2, < 0.1% of the pixels
 * beyond; a few scenes whose rasterization rules legitimately differ, lines
 * and points, say their own bound). */
#include "gl_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_shader.h"

#define W 96u
#define H 96u

/* gl against soft at this file's size, any target formats. */
static void run_both_fmt(const char *name, uint32_t rtf, uint32_t dsf, scene_fn fn, uint32_t tol,
                         double frac, uint32_t min_colors)
{
    run_gl_and_soft(name, W, H, rtf, dsf, fn, tol, frac, min_colors);
}

static void run_both(const char *name, scene_fn fn, uint32_t min_colors)
{
    run_both_fmt(name, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8, fn, GL_TOL, GL_TOL_FRACTION,
                 min_colors);
}

/* ---- scenes ------------------------------------------------------------------ */

static void sc_clear(scene *s)
{
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0x80336699u, 1.0f, 0);
}

static void test_clear(void **state)
{
    (void)state;
    run_both("clear", sc_clear, 1);
}

/* Two Gouraud triangles, the second one partly translucent. */
static const tvert g_triangles[6] = {
    {-0.9f, -0.8f, 0.5f, 0, 0, -1, 0xffff0000u, 0, 0},
    {0.0f, 0.9f, 0.5f, 0, 0, -1, 0xff00ff00u, 0, 0},
    {0.8f, -0.9f, 0.5f, 0, 0, -1, 0xff0000ffu, 0, 0},
    {-0.3f, -0.2f, 0.4f, 0, 0, -1, 0x80ffffffu, 0, 0},
    {0.1f, 0.3f, 0.4f, 0, 0, -1, 0xff202020u, 0, 0},
    {0.33f, -0.45f, 0.4f, 0, 0, -1, 0xffff00ffu, 0, 0},
};

static void sc_triangles(scene *s)
{
    scene_tverts(s, g_triangles, 6);
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xff101010u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

static void test_triangles(void **state)
{
    (void)state;
    run_both("triangles", sc_triangles, 32);
}

static void sc_depth(scene *s)
{
    tvert v[18];
    quad(v, -0.8f, -0.8f, 0.4f, 0.4f, 0.5f, 0xffff0000u);
    quad(v + 6, -0.4f, -0.4f, 0.8f, 0.8f, 0.7f, 0xff00ff00u); /* behind: partly hidden */
    quad(v + 12, -0.2f, -0.9f, 0.2f, 0.9f, 0.3f, 0xff0000ffu);
    /* a slanted triangle crossing the red quad */
    v[12].z = 0.2f;
    v[17].z = 0.9f;
    scene_tverts(s, v, 18);
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xff000000u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 6);
    s->st.z_func = VGT_SVGA3D_CMP_GREATER;
    s->st.z_write = false;
    tvert w[6];
    quad(w, -0.95f, 0.6f, 0.95f, 0.95f, 0.6f, 0xffffff00u);
    scene_tverts(s, w, 6);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

static void test_depth(void **state)
{
    (void)state;
    run_both("depth", sc_depth, 4);
}

/* Surfaces defined with 4 samples (SURFACE_DEFINE_V2; the legacy caps
 * offer none) are drawn single sampled on gl as on soft, so such a trace
 * replays on both: the triangles and depth scenes, target and depth buffer
 * multisampled, equal to soft's (gl refused the surfaces before). */
static void test_multisample_single_sampled(void **state)
{
    (void)state;
    scene_multisample = 4;
    run_both("multisample-triangles", sc_triangles, 32);
    run_both("multisample-depth", sc_depth, 4);
    scene_multisample = 0;
}

/* An opaque background, then SRCALPHA / INVSRCALPHA with an alpha
 * gradient, ONE + ONE (additive), BLENDFACTOR / INVSRCCOLOR REVSUBTRACT and
 * MAXIMUM (gl_test_util.c scene_blend4). */
static void sc_blend(scene *s)
{
    scene_blend4(s);
}

static void test_blend(void **state)
{
    (void)state;
    run_both("blend", sc_blend, 8);
}

/* An 8 x 8 DXT1 texture: four 4-colour blocks (c0 > c1), every index used. */
static vgt_backend_surface *dxt1_checker(scene *s)
{
    static const uint16_t ends[4][2] = {
        {0xf800u, 0x001fu}, {0xffe0u, 0x0410u}, {0x87ffu, 0x0010u}, {0xfc1fu, 0x2104u}};
    uint8_t blocks[32];
    for (uint32_t i = 0; i < 4; i++) {
        vgt_store_le16(blocks + 8 * i, ends[i][0]);
        vgt_store_le16(blocks + 8 * i + 2, ends[i][1]);
        vgt_store_le32(blocks + 8 * i + 4, 0xe4e41b1bu ^ i * 0x39c5a3f1u);
    }
    vgt_backend_surface *t =
        scene_define(s, VGT_SVGA3D_DXT1, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 8, 8, 1, 1, 1);
    scene_upload(s, t, 0, 0, blocks);
    return t;
}

/* What textured() samples: the sRGB read tests set DXT1 and TS_GAMMA 2.2. */
static uint32_t g_tex_format = VGT_SVGA3D_A8R8G8B8;
static float g_tex_gamma;

static void textured(scene *s, uint32_t filter)
{
    vgt_backend_surface *t =
        g_tex_format == VGT_SVGA3D_DXT1 ? dxt1_checker(s) : scene_checker(s, 8, 8);
    tvert v[12];
    /* texel edges must not fall exactly on pixel centres (a tie that the
     * two backends may break either way) */
    quad(v, -0.913f, -0.907f, 0.507f, 0.511f, 0.5f, 0xffffffffu);
    quad(v + 6, 0.103f, 0.109f, 0.953f, 0.947f, 0.5f, 0xffc0a080u);
    for (int i = 6; i < 12; i++) {
        v[i].u = v[i].u * 2.5f - 0.7f; /* wrap */
        v[i].v = v[i].v * 1.5f + 0.3f;
    }
    scene_tverts(s, v, 12);
    s->st.z_enable = false;
    s->st.stages[0].texture = (vgt_backend_view){t, 0, 0, g_tex_format, {8, 8, 1}};
    s->st.stages[0].texture_faces = 1;
    s->st.stages[0].texture_mips = 1;
    s->st.stages[0].gamma = g_tex_gamma;
    s->st.stages[0].mag_filter = s->st.stages[0].min_filter = filter;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4);
}

static void sc_tex_point(scene *s)
{
    textured(s, VGT_SVGA3D_TEX_FILTER_NEAREST);
}

static void sc_tex_linear(scene *s)
{
    textured(s, VGT_SVGA3D_TEX_FILTER_LINEAR);
}

static void test_texture_point(void **state)
{
    (void)state;
    run_both("texture-point", sc_tex_point, 8);
}

static void test_texture_linear(void **state)
{
    (void)state;
    run_both("texture-linear", sc_tex_linear, 32);
}

/* A 16 x 16 grid of quads in the plane z = 0.5 facing the viewer (-z). */
static void grid(scene *s)
{
    enum { N = 16 };
    tvert *v = malloc(sizeof(tvert) * N * N * 6);
    for (int y = 0; y < N; y++) {
        for (int x = 0; x < N; x++) {
            float x0 = -1.0f + 2.0f * x / N, x1 = -1.0f + 2.0f * (x + 1) / N;
            float y0 = -1.0f + 2.0f * y / N, y1 = -1.0f + 2.0f * (y + 1) / N;
            quad(v + 6 * (y * N + x), x0, y0, x1, y1, 0.5f, 0xffffffffu);
        }
    }
    for (int i = 0; i < N * N * 6; i++) {
        /* a dome of normals, so that even a directional light shades */
        v[i].nx = 0.6f * v[i].x;
        v[i].ny = 0.6f * v[i].y;
        v[i].nz = -1.0f;
    }
    scene_tverts(s, v, N * N * 6);
    free(v);
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
}

static void lit(scene *s, uint32_t type)
{
    grid(s);
    vgt_backend_draw_state *st = &s->st;
    st->lighting = true;
    st->ambient = (vgt_backend_color){0.05f, 0.05f, 0.1f, 0};
    st->diffuse_source = VGT_SVGA3D_VERTEXMATERIAL_NONE;
    st->material.diffuse = (vgt_backend_color){0.9f, 0.8f, 0.6f, 1};
    st->material.ambient = (vgt_backend_color){1, 1, 1, 1};
    st->material.specular = (vgt_backend_color){1, 1, 1, 1};
    st->material.emissive = (vgt_backend_color){0.05f, 0, 0, 0};
    st->material.power = 12.0f;
    st->specular_enable = true;
    st->specular_source = VGT_SVGA3D_VERTEXMATERIAL_NONE;
    st->light_count = 1;
    vgt_backend_light *l = &st->lights[0];
    l->enabled = true;
    l->type = type;
    l->in_world_space = true;
    l->diffuse = (vgt_backend_color){1, 1, 1, 1};
    l->specular = (vgt_backend_color){0.6f, 0.6f, 0.6f, 1};
    l->ambient = (vgt_backend_color){0.1f, 0.1f, 0.1f, 1};
    l->position[0] = 0.3f;
    l->position[1] = 0.2f;
    l->position[2] = 0.1f;
    l->direction[0] = -0.3f;
    l->direction[1] = -0.2f;
    l->direction[2] = 1.0f;
    l->range = 10.0f;
    l->falloff = 1.5f;
    l->attenuation0 = 0.5f;
    l->attenuation1 = 0.8f;
    l->attenuation2 = 0.4f;
    l->theta = 0.5f;
    l->phi = 1.2f;
    st->local_viewer = type != VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL;
    st->normalize_normals = true;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 16 * 16 * 2);
}

static void sc_light_dir(scene *s)
{
    lit(s, VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL);
}
static void sc_light_point(scene *s)
{
    lit(s, VGT_SVGA3D_LIGHTTYPE_POINT);
}
static void sc_light_spot(scene *s)
{
    lit(s, VGT_SVGA3D_LIGHTTYPE_SPOT2);
}

static void test_light_directional(void **state)
{
    (void)state;
    run_both("light-directional", sc_light_dir, 16);
}

static void test_light_point(void **state)
{
    (void)state;
    run_both("light-point", sc_light_point, 16);
}

static void test_light_spot(void **state)
{
    (void)state;
    run_both("light-spot", sc_light_spot, 16);
}

static void fogged(scene *s, uint32_t func, uint32_t type)
{
    /* a floor receding into the distance under a perspective projection */
    tvert v[6];
    quad(v, -2.0f, 0.2f, 2.0f, 6.0f, 0.0f, 0xffe0c080u);
    for (int i = 0; i < 6; i++) {
        v[i].z = v[i].y; /* the quad's "y" becomes depth */
        v[i].y = -0.8f;
    }
    scene_tverts(s, v, 6);
    perspective(&s->st.projection, 1.2f, 1.0f, 0.1f, 10.0f);
    s->st.cull_face = VGT_SVGA3D_FACE_NONE;
    s->st.fog_enable = true;
    s->st.fog_function = func;
    s->st.fog_type = type;
    s->st.fog_color = 0xff6080a0u;
    s->st.fog_start = 0.5f;
    s->st.fog_end = 5.0f;
    s->st.fog_density = 0.45f;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xff000000u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

static void sc_fog_linear_vertex(scene *s)
{
    fogged(s, VGT_SVGA3D_FOGFUNC_LINEAR, VGT_SVGA3D_FOGTYPE_VERTEX);
}
static void sc_fog_exp_pixel(scene *s)
{
    fogged(s, VGT_SVGA3D_FOGFUNC_EXP, VGT_SVGA3D_FOGTYPE_PIXEL);
}
static void sc_fog_exp2_pixel(scene *s)
{
    s->st.range_fog = true;
    fogged(s, VGT_SVGA3D_FOGFUNC_EXP2, VGT_SVGA3D_FOGTYPE_PIXEL);
}

static void test_fog(void **state)
{
    (void)state;
    run_both("fog-linear-vertex", sc_fog_linear_vertex, 16);
    run_both("fog-exp-pixel", sc_fog_exp_pixel, 16);
    run_both("fog-exp2-range-pixel", sc_fog_exp2_pixel, 16);
}

/* Pixel (table) fog's depth (vgt_svga3d_pixel_fog_uses_device_z): under an
 * affine projection the device z, else the eye depth, never the range. A
 * white quad at eye z 0.2 filling the target, black LINEAR fog from 0 to 1
 * (factor 1 - depth), drawn three times with one serial (the executor's
 * promise that only matrices changed) so that gl's program reuse meets a
 * projection that changes the rule:
 *  - affine, z' = 0.5 z + 0.25: device z 0.35, 255 * 0.65 = 165.75;
 *  - perspective (w = z): depth 0.2, 204, with RANGEFOG / FOGBASE RANGEBASED
 *    on, which pixel fog ignores (the corner's range is 0.33: 171 if not);
 *  - affine again: 165.75.
 * Before, both backends measured the eye depth (204) under an affine
 * projection and the range (171 at the corner) with range fog on. */
static uint32_t red_at(const vgt_image *im, uint32_t x, uint32_t y)
{
    return (vgt_load_le32(im->pixels + (size_t)y * im->stride + 4u * x) >> 16) & 0xffu;
}

static void test_pixel_fog_depth(void **state)
{
    (void)state;
    const char *kinds[2] = {"soft", "gl"};
    for (int k = 0; k < 2; k++) {
        scene *s = calloc(1, sizeof(*s));
        assert_non_null(s);
        scene_init(s, kinds[k], 32, 32, VGT_SVGA3D_A8R8G8B8, 0);
        tvert v[6];
        quad(v, -1.0f, -1.0f, 1.0f, 1.0f, 0.2f, 0xffffffffu);
        scene_tverts(s, v, 6);
        s->st.cull_face = VGT_SVGA3D_FACE_NONE;
        s->st.z_enable = false;
        s->st.lighting = false;
        s->st.fog_enable = true;
        s->st.fog_type = VGT_SVGA3D_FOGTYPE_PIXEL;
        s->st.fog_function = VGT_SVGA3D_FOGFUNC_LINEAR;
        s->st.fog_color = 0xff000000u;
        s->st.fog_start = 0.0f;
        s->st.fog_end = 1.0f;
        s->st.serial = 11;
        vgt_backend_matrix affine = {
            {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 0.5f, 0}, {0, 0, 0.25f, 1}}};
        /* w = z: x and y grow 5x at z 0.2, the quad still covers the target */
        vgt_backend_matrix persp = {{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 0.5f, 1}, {0, 0, 0, 0}}};
        for (int pass = 0; pass < 3; pass++) {
            bool ortho = pass != 1;
            s->st.projection = ortho ? affine : persp;
            s->st.range_fog = !ortho;
            s->st.fog_base = ortho ? VGT_SVGA3D_FOGBASE_DEPTHBASED : VGT_SVGA3D_FOGBASE_RANGEBASED;
            scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff808080u, 1.0f, 0);
            scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
            vgt_image im;
            scene_read(s, &im);
            const uint32_t want = ortho ? 166u : 204u;
            const uint32_t at[3][2] = {{16, 16}, {1, 1}, {30, 2}};
            for (int i = 0; i < 3; i++) {
                uint32_t r = red_at(&im, at[i][0], at[i][1]);
                if (r + 1u < want || r > want + 1u) {
                    fail_msg("%s, pass %d (%s): red %u at (%u, %u), want %u +- 1", kinds[k], pass,
                             ortho ? "affine" : "perspective, range fog", r, at[i][0], at[i][1],
                             want);
                }
            }
            vgt_image_free(&im);
        }
        scene_fini(s);
        free(s);
    }
}

/* ---- primitive types ---------------------------------------------------------- */

static tvert star[12];

static void make_star(void)
{
    for (int i = 0; i < 12; i++) {
        float a = (float)i * 0.5235988f + 0.1f, r = (i & 1) ? 0.85f : 0.45f;
        uint32_t c = 0xff000000u | ((uint32_t)(40 + 18 * i) << 16) |
                     ((uint32_t)(240 - 15 * i) << 8) | (uint32_t)(60 + 10 * i);
        star[i] = (tvert){r * cosf(a), r * sinf(a), 0.5f, 0, 0, -1, c, 0, 0};
    }
}

static uint32_t g_prim;

static void sc_prim(scene *s)
{
    make_star();
    tvert v[13];
    v[0] = (tvert){0, 0, 0.5f, 0, 0, -1, 0xffffffffu, 0, 0};
    memcpy(v + 1, star, sizeof(star));
    bool fan = g_prim == VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN;
    scene_tverts(s, fan ? v : star, fan ? 13 : 12);
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    uint32_t n = 0;
    switch (g_prim) {
    case VGT_SVGA3D_PRIMITIVE_POINTLIST:
        s->st.point_size = 3.0f;
        n = 12;
        break;
    case VGT_SVGA3D_PRIMITIVE_LINELIST:
        n = 6;
        break;
    case VGT_SVGA3D_PRIMITIVE_LINESTRIP:
        n = 11;
        break;
    case VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP:
        n = 10;
        break;
    case VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN:
        n = 11;
        break;
    default:
        n = 4;
        break;
    }
    scene_draw(s, g_prim, n);
}

static void test_primitives(void **state)
{
    (void)state;
    /* Lines and points: GL and Direct3D 9 (the soft rules) differ in which
     * end pixels a line covers and how a point's square is placed, so these
     * allow more pixels beyond the delta (documented in docs/gl.md). */
    static const struct {
        uint32_t prim;
        const char *name;
        double frac;
        uint32_t colors;
    } p[] = {
        {VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, "prim-trianglelist", GL_TOL_FRACTION, 8},
        {VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, "prim-trianglestrip", GL_TOL_FRACTION, 8},
        {VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN, "prim-trianglefan", GL_TOL_FRACTION, 8},
        {VGT_SVGA3D_PRIMITIVE_LINELIST, "prim-linelist", 0.01, 4},
        {VGT_SVGA3D_PRIMITIVE_LINESTRIP, "prim-linestrip", 0.01, 4},
        {VGT_SVGA3D_PRIMITIVE_POINTLIST, "prim-pointlist", 0.01, 4},
    };
    for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
        g_prim = p[i].prim;
        run_both_fmt(p[i].name, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8, sc_prim, GL_TOL, p[i].frac,
                     p[i].colors);
    }
}

static void sc_indexed(scene *s)
{
    make_star();
    tvert v[16];
    v[0] = v[1] = v[2] = v[3] = star[0]; /* padding before the bias */
    memcpy(v + 4, star, sizeof(star));
    scene_tverts(s, v, 16);
    uint16_t idx16[12] = {0, 1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8};
    uint32_t idx32[12] = {8, 9, 10, 10, 11, 0, 0, 2, 4, 4, 6, 8};
    uint8_t buf[24 + 48];
    memcpy(buf, idx16, 24);
    memcpy(buf + 24, idx32, 48);
    scene_indices(s, buf, sizeof(buf));
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    vgt_error err = {0};
    assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4, 2, 0, 4, &err), VGT_OK);
    assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4, 4, 24, 4, &err),
                     VGT_OK);
}

static void test_indexed(void **state)
{
    (void)state;
    run_both("indexed-16-32-bias", sc_indexed, 8);
}

/* ---- rasterizer and per-pixel state ------------------------------------------------ */

static void sc_cull_flat(scene *s)
{
    tvert v[12];
    quad(v, -0.9f, -0.9f, -0.05f, 0.9f, 0.5f, 0xffff0000u); /* clockwise */
    quad(v + 6, 0.05f, -0.9f, 0.9f, 0.9f, 0.5f, 0xff00ff00u);
    tvert t = v[7]; /* make the second quad counter-clockwise */
    v[7] = v[8];
    v[8] = t;
    t = v[10];
    v[10] = v[11];
    v[11] = t;
    v[0].color = 0xff0000ffu;
    v[3].color = 0xffffff00u;
    scene_tverts(s, v, 12);
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    s->st.shade_mode = VGT_SVGA3D_SHADEMODE_FLAT;
    s->st.cull_face = VGT_SVGA3D_FACE_BACK; /* D3DCULL_CCW */
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4);
    s->st.front_winding = VGT_SVGA3D_FRONTWINDING_CCW;
    s->st.shade_mode = VGT_SVGA3D_SHADEMODE_SMOOTH;
    s->st.fill_mode = VGT_SVGA3D_FILLMODE_LINE;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4);
}

static void test_cull_flat_fill(void **state)
{
    (void)state;
    run_both_fmt("cull-flat-wireframe", VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8, sc_cull_flat,
                 GL_TOL, 0.01, 3);
}

static void sc_stencil(scene *s)
{
    tvert v[18];
    quad(v, -0.7f, -0.7f, 0.3f, 0.3f, 0.5f, 0xff808080u);
    quad(v + 6, -0.3f, -0.3f, 0.7f, 0.7f, 0.5f, 0xff808080u);
    tvert t = v[7];
    v[7] = v[8];
    v[8] = t; /* first triangle of the second quad counter-clockwise */
    quad(v + 12, -1, -1, 1, 1, 0.5f, 0xff30c0ffu);
    scene_tverts(s, v, 18);
    vgt_backend_draw_state *st = &s->st;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL,
                0xff000000u, 1.0f, 1);
    st->z_enable = false;
    st->stencil_enable = true;
    st->stencil_two_sided = true;
    st->stencil_func = VGT_SVGA3D_CMP_ALWAYS;
    st->stencil_pass = VGT_SVGA3D_STENCILOP_INCR;
    st->ccw_stencil_func = VGT_SVGA3D_CMP_ALWAYS;
    st->ccw_stencil_pass = VGT_SVGA3D_STENCILOP_ZERO;
    st->color_write_mask[0] = VGT_SVGA3D_COLORMASK_RED;
    vgt_error err = {0};
    assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4, 0, 0, 0, &err), VGT_OK);
    st->color_write_mask[0] = 0xf;
    st->stencil_two_sided = false;
    st->stencil_func = VGT_SVGA3D_CMP_EQUAL;
    st->stencil_ref = 2;
    st->stencil_pass = VGT_SVGA3D_STENCILOP_KEEP;
    assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 12, &err),
                     VGT_OK);
    st->stencil_func = VGT_SVGA3D_CMP_LESS; /* ref 0 < stencil: ccw-zeroed parts stay dark */
    st->stencil_ref = 0;
    st->src_blend = VGT_SVGA3D_BLENDOP_ONE;
    st->dst_blend = VGT_SVGA3D_BLENDOP_ONE;
    st->blend_enable = true;
    assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 12, &err),
                     VGT_OK);
}

static void test_stencil(void **state)
{
    (void)state;
    run_both("stencil-two-sided", sc_stencil, 3);
}

/* Two-sided stencil with FRONTWINDING CCW: a LINELIST has no winding and
 * takes Direct3D 9's CW ops, a CCW triangle the CCW ops, in one draw of
 * two ranges.  gl put the CCW ops on GL_FRONT, where GL draws lines too,
 * and dropped the line (found by the differential test). */
static void test_stencil_lines_ccw_front(void **state)
{
    (void)state;
    static const char *kinds[2] = {"gl", "soft"};
    for (int k = 0; k < 2; k++) {
        scene *s = calloc(1, sizeof(*s));
        assert_non_null(s);
        scene_init(s, kinds[k], 32, 32, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
        /* pixel coordinates: x / 16 - 1, 1 - y / 16 */
        static const float p[8][2] = {{2.25f, 5.375f},  {29.25f, 5.375f}, /* the line */
                                      {4.25f, 10.25f},  {4.25f, 28.25f},  /* CCW */
                                      {14.25f, 28.25f}, {18.25f, 10.25f}, /* CW */
                                      {28.25f, 10.25f}, {18.25f, 28.25f}};
        tvert v[8];
        for (int i = 0; i < 8; i++) {
            v[i] = (tvert){p[i][0] / 16 - 1, 1 - p[i][1] / 16, 0.5f, 0, 0, -1, 0xffffffffu, 0, 0};
        }
        scene_tverts(s, v, 8);
        scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL,
                    0xff000000u, 1.0f, 0);
        vgt_backend_draw_state *st = &s->st;
        st->z_enable = false;
        st->front_winding = VGT_SVGA3D_FRONTWINDING_CCW;
        st->stencil_enable = true;
        st->stencil_two_sided = true;
        st->stencil_func = VGT_SVGA3D_CMP_ALWAYS;
        st->ccw_stencil_func = VGT_SVGA3D_CMP_NEVER;
        vgt_backend_draw_range r[2] = {{.primitive_type = VGT_SVGA3D_PRIMITIVE_LINELIST,
                                        .primitive_count = 1,
                                        .vertex_count = 2,
                                        .index_bias = 0},
                                       {.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
                                        .primitive_count = 2,
                                        .vertex_count = 6,
                                        .index_bias = 2}};
        vgt_error err = {0};
        assert_int_equal(s->be.ops->draw(s->be.self, st, r, 2, NULL, &err), VGT_OK);
        vgt_image im;
        scene_read(s, &im);
        uint32_t lit = 0;
        for (uint32_t x = 0; x < 32; x++) {
            lit += vgt_load_le32(im.pixels + 5u * im.stride + 4u * x) == 0xffffffffu;
        }
        print_message("%s: %u line pixels\n", kinds[k], lit);
        assert_true(lit >= 26); /* 27 long: GL and D3D9 may differ in an end pixel */
        assert_int_equal(vgt_load_le32(im.pixels + 24u * im.stride + 4u * 6u), 0xff000000u);
        assert_int_equal(vgt_load_le32(im.pixels + 14u * im.stride + 4u * 20u), 0xffffffffu);
        vgt_image_free(&im);
        scene_fini(s);
        free(s);
    }
}

/* Draws quad q of the scene's vertices (6 each) with the scene's state. */
static void cache_quad(scene *s, uint32_t q)
{
    vgt_backend_draw_range r = {.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
                                .primitive_count = 2,
                                .vertex_count = 6,
                                .index_bias = (int32_t)(6 * q)};
    vgt_error err = {0};
    assert_int_equal(s->be.ops->draw(s->be.self, &s->st, &r, 1, NULL, &err), VGT_OK);
}

static uint32_t cache_centre(scene *s)
{
    vgt_image im;
    scene_read(s, &im);
    uint32_t p = vgt_load_le32(im.pixels + 8u * im.stride + 4u * 8u);
    vgt_image_free(&im);
    return p;
}

/* A state set only while it is enabled (the depth mask, the stencil write
 * mask, the blend colour) after a clear and a draw with that state off:
 * gl's state cache, zeroed by the clear, was marked valid by the draw
 * without the state being set, and a later draw asking for GL_FALSE, a
 * write mask 0 or a blend colour 0 matched the zeroed cache and kept GL's
 * value (the clear's GL_TRUE and 0xff, an earlier draw's colour).  Found
 * by the differential test (seed 1305: a ZWRITEENABLE FALSE draw wrote
 * depth and hid the next draw). */
static void test_state_cache_after_disabled(void **state)
{
    (void)state;
    static const char *kinds[2] = {"gl", "soft"};
    for (int k = 0; k < 2; k++) {
        scene *s = calloc(1, sizeof(*s));
        assert_non_null(s);
        scene_init(s, kinds[k], 16, 16, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
        /* full-target quads: 0 blue at 0.9, 1 red at 0.3, 2 green at 0.5, 3 grey at 0.5 */
        static const float qz[4] = {0.9f, 0.3f, 0.5f, 0.5f};
        static const uint32_t qc[4] = {0xff0000ffu, 0xffff0000u, 0xff00ff00u, 0xff808080u};
        tvert v[24];
        for (int q = 0; q < 4; q++) {
            quad(v + 6 * q, -1, -1, 1, 1, qz[q], qc[q]);
        }
        scene_tverts(s, v, 24);
        vgt_backend_draw_state *st = &s->st;
        st->stages[0].color_op = st->stages[0].alpha_op = VGT_SVGA3D_TC_SELECTARG1;
        st->stages[0].color_arg1 = st->stages[0].alpha_arg1 = VGT_SVGA3D_TA_DIFFUSE;
        const uint32_t clear =
            VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL;

        /* depth: a ZWRITEENABLE FALSE draw writes no depth */
        scene_clear(s, clear, 0xff000000u, 1.0f, 0);
        st->z_enable = false;
        cache_quad(s, 0);
        st->z_enable = true;
        st->z_func = VGT_SVGA3D_CMP_LESSEQUAL;
        st->z_write = false;
        cache_quad(s, 1);
        st->z_func = VGT_SVGA3D_CMP_LESS;
        st->z_write = true;
        cache_quad(s, 2);
        assert_int_equal(cache_centre(s), 0xff00ff00u);

        /* stencil: a write mask 0 writes no stencil */
        scene_clear(s, clear, 0xff000000u, 1.0f, 0);
        st->z_enable = false;
        st->stencil_enable = false;
        cache_quad(s, 0);
        st->stencil_enable = true;
        st->stencil_func = VGT_SVGA3D_CMP_ALWAYS;
        st->stencil_pass = VGT_SVGA3D_STENCILOP_REPLACE;
        st->stencil_ref = 1;
        st->stencil_mask = 0xff;
        st->stencil_write_mask = 0;
        cache_quad(s, 1);
        st->stencil_func = VGT_SVGA3D_CMP_EQUAL;
        st->stencil_pass = VGT_SVGA3D_STENCILOP_KEEP;
        st->stencil_ref = 0;
        st->stencil_write_mask = 0xff;
        cache_quad(s, 2);
        assert_int_equal(cache_centre(s), 0xff00ff00u);
        st->stencil_enable = false;

        /* blend colour: a colour 0 after a draw that set another */
        st->blend_enable = true;
        st->src_blend = VGT_SVGA3D_BLENDOP_BLENDFACTOR;
        st->dst_blend = VGT_SVGA3D_BLENDOP_ZERO;
        st->blend_eq = VGT_SVGA3D_BLENDEQ_ADD;
        st->blend_color = 0xffffffffu;
        cache_quad(s, 3);
        assert_int_equal(cache_centre(s), 0xff808080u);
        scene_clear(s, clear, 0xff000000u, 1.0f, 0);
        st->blend_enable = false;
        cache_quad(s, 2);
        st->blend_enable = true;
        st->blend_color = 0;
        cache_quad(s, 3);
        assert_int_equal(cache_centre(s), 0x00000000u);
        scene_fini(s);
        free(s);
    }
}

/* FILLMODE POINT is the triangles' fill mode: a LINELIST under it stays a
 * line, and POINTSPRITEENABLE gives it no sprite coordinates (soft's rule;
 * GL's polygon mode leaves lines alone too).  gl took the point fill for a
 * draw of points and read gl_PointCoord, undefined on lines (found by the
 * differential test). */
static void test_line_point_fill_sprite(void **state)
{
    (void)state;
    static const char *kinds[2] = {"gl", "soft"};
    for (int k = 0; k < 2; k++) {
        scene *s = calloc(1, sizeof(*s));
        assert_non_null(s);
        scene_init(s, kinds[k], 32, 32, VGT_SVGA3D_A8R8G8B8, 0);
        vgt_backend_surface *t = scene_checker(s, 8, 8);
        /* a horizontal line on row 5, texture coordinate (0.3, 0.6): texel (2, 4) */
        tvert v[2] = {{2.25f / 16 - 1, 1 - 5.375f / 16, 0.5f, 0, 0, -1, 0xffffffffu, 0.3f, 0.6f},
                      {29.25f / 16 - 1, 1 - 5.375f / 16, 0.5f, 0, 0, -1, 0xffffffffu, 0.3f, 0.6f}};
        scene_tverts(s, v, 2);
        scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
        vgt_backend_draw_state *st = &s->st;
        st->z_enable = false;
        st->fill_mode = VGT_SVGA3D_FILLMODE_POINT;
        st->point_sprite = true;
        st->stages[0].texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {8, 8, 1}};
        st->stages[0].texture_faces = 1;
        st->stages[0].texture_mips = 1;
        st->stages[0].color_op = VGT_SVGA3D_TC_SELECTARG1;
        scene_draw(s, VGT_SVGA3D_PRIMITIVE_LINELIST, 1);
        vgt_image im;
        scene_read(s, &im);
        uint32_t lit = 0;
        for (uint32_t x = 0; x < 32; x++) {
            lit += vgt_load_le32(im.pixels + 5u * im.stride + 4u * x) == scene_texel(2, 4);
        }
        print_message("%s: %u line pixels of texel (2, 4)\n", kinds[k], lit);
        assert_true(lit >= 26); /* 27 long: GL and D3D9 may differ in an end pixel */
        vgt_image_free(&im);
        scene_fini(s);
        free(s);
    }
}

static void sc_alpha_test(scene *s)
{
    tvert v[6];
    quad(v, -0.9f, -0.9f, 0.9f, 0.9f, 0.5f, 0xffffffffu);
    for (int i = 0; i < 6; i++) {
        v[i].color = (i == 2 || i == 3 || i == 5) ? 0x00ff8040u : 0xff40ff80u;
    }
    scene_tverts(s, v, 6);
    s->st.z_enable = false;
    s->st.alpha_test = true;
    s->st.alpha_func = VGT_SVGA3D_CMP_GREATER;
    s->st.alpha_ref = 0.4f;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

static void test_alpha_test(void **state)
{
    (void)state;
    run_both("alpha-test", sc_alpha_test, 16);
}

static void sc_pretransformed(scene *s)
{
    struct {
        float x, y, z, rhw;
        uint32_t c;
    } v[4] = {
        {10.0f, 5.0f, 0.5f, 1.0f, 0xffff0000u},
        {90.0f, 20.0f, 0.5f, 0.5f, 0xff00ff00u},
        {4.0f, 80.0f, 0.5f, 0.25f, 0xff0000ffu},
        {70.0f, 92.0f, 0.5f, 1.0f, 0xffffffffu},
    };
    s->vb = scene_define(s, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, sizeof(v), 1,
                         1, 1, 1);
    scene_upload(s, s->vb, 0, 0, v);
    vgt_backend_draw_state *st = &s->st;
    st->element_count = 2;
    st->elements[0] = (vgt_backend_element){
        s->vb, sizeof(v), 0, 20, VGT_SVGA3D_DECLTYPE_FLOAT4, 0, VGT_SVGA3D_DECLUSAGE_POSITIONT,
        0,     0};
    st->elements[1] = (vgt_backend_element){
        s->vb, sizeof(v), 16, 20, VGT_SVGA3D_DECLTYPE_D3DCOLOR, 0, VGT_SVGA3D_DECLUSAGE_COLOR,
        0,     0};
    st->z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 2);
}

static void test_pretransformed(void **state)
{
    (void)state;
    run_both("pretransformed", sc_pretransformed, 32);
}

static void sc_scissor_viewport_clip(scene *s)
{
    tvert v[6];
    quad(v, -1.0f, -1.0f, 1.0f, 1.0f, 0.5f, 0xffffffffu);
    v[0].color = 0xffff0000u;
    v[5].color = 0xff0000ffu;
    scene_tverts(s, v, 6);
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff202020u, 1.0f, 0);
    s->st.viewport = (vgt_backend_rect){8, 12, 60, 70};
    s->st.scissor_enable = true;
    s->st.scissor = (vgt_backend_rect){20, 5, 70, 40};
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    s->st.scissor_enable = false;
    s->st.viewport = (vgt_backend_rect){40, 50, 50, 40};
    s->st.clip_plane_enable = 1;
    s->st.clip_planes[0][0] = 1.0f; /* x + 0.5y + 0.2 >= 0 */
    s->st.clip_planes[0][1] = 0.5f;
    s->st.clip_planes[0][3] = 0.2f;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

/* The same program twice, only the viewport changed: the second draw
 * uploads only the uniforms that differ, which the GLSL linker may have
 * trimmed from the program's ff[] (a textured draw reads no viewport
 * there); an upload past the active part is GL_INVALID_OPERATION. */
static void sc_viewport_only(scene *s)
{
    tvert v[6];
    quad(v, -1.0f, -1.0f, 1.0f, 1.0f, 0.5f, 0xffffffffu); /* u, v over [0, 1] */
    for (int i = 0; i < 6; i++) {
        /* off the texel edges, where point sampling may go either way
         * (Direct3D 9 samples at x / w, and GL interpolates to an ulp) */
        v[i].u += 1.0f / 128.0f;
        v[i].v += 1.0f / 128.0f;
    }
    scene_tverts(s, v, 6);
    vgt_backend_stage *g = &s->st.stages[0];
    g->texture = (vgt_backend_view){scene_checker(s, 8, 8), 0, 0, VGT_SVGA3D_A8R8G8B8, {8, 8, 1}};
    g->texture_faces = 1;
    g->texture_mips = 1;
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff202020u, 1.0f, 0);
    s->st.viewport = (vgt_backend_rect){0, 0, 48, 96};
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    s->st.viewport = (vgt_backend_rect){48, 16, 48, 64};
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

static void test_viewport_only(void **state)
{
    (void)state;
    run_both("viewport-only", sc_viewport_only, 3);
}

static void test_scissor_viewport_clip(void **state)
{
    (void)state;
    run_both("scissor-viewport-clipplane", sc_scissor_viewport_clip, 16);
}

static void sc_stage_ops(scene *s)
{
    vgt_backend_surface *t = scene_checker(s, 8, 8);
    tvert v[6];
    quad(v, -0.9f, -0.9f, 0.9f, 0.9f, 0.5f, 0x80c08040u);
    v[1].color = 0x20ffffffu;
    scene_tverts(s, v, 6);
    s->st.z_enable = false;
    vgt_backend_stage *g = s->st.stages;
    for (int i = 0; i < 3; i++) {
        g[i].texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {8, 8, 1}};
        g[i].texture_faces = 1;
        g[i].texture_mips = 1;
        g[i].texcoord_index = 0;
    }
    g[0].color_op = VGT_SVGA3D_TC_MODULATE2X;
    g[0].color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    g[0].color_arg2 = VGT_SVGA3D_TA_DIFFUSE;
    g[0].alpha_op = VGT_SVGA3D_TC_SELECTARG2;
    g[0].alpha_arg2 = VGT_SVGA3D_TA_DIFFUSE;
    g[1].color_op = VGT_SVGA3D_TC_BLENDDIFFUSEALPHA;
    g[1].color_arg1 = VGT_SVGA3D_TA_PREVIOUS;
    g[1].color_arg2 = VGT_SVGA3D_TA_CONSTANT | VGT_SVGA3D_TM_ONE_MINUS;
    g[1].alpha_op = VGT_SVGA3D_TC_ADDSIGNED;
    g[1].alpha_arg1 = VGT_SVGA3D_TA_PREVIOUS;
    g[1].alpha_arg2 = VGT_SVGA3D_TA_TEXTURE;
    g[2].color_op = VGT_SVGA3D_TC_LERP;
    g[2].color_arg0 = VGT_SVGA3D_TA_PREVIOUS | VGT_SVGA3D_TM_ALPHA;
    g[2].color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    g[2].color_arg2 = VGT_SVGA3D_TA_PREVIOUS;
    g[2].alpha_op = VGT_SVGA3D_TC_DISABLE;
    s->st.texture_factor = 0xff3060c0u;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

/* ---- texture coordinate generation and transforms ------------------------------ */

static void set_matrix(vgt_backend_matrix *m, const float v[16])
{
    memcpy(m->m, v, sizeof(m->m));
}

/* The dome grid with stage 0 sampling a linear-filtered checker at a
 * generated coordinate mapped by TEXTURE0 (gen 0: texcoord set 0). */
static void texgen(scene *s, uint32_t gen, uint32_t flags, const float m[16])
{
    grid(s);
    vgt_backend_surface *t = scene_checker(s, 8, 8);
    vgt_backend_stage *g = &s->st.stages[0];
    g->texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {8, 8, 1}};
    g->texture_faces = 1;
    g->texture_mips = 1;
    g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    g->texcoord_gen = gen;
    g->transform_flags = flags;
    set_matrix(&g->texture_transform, m);
    /* a camera 2 units back so that view-space positions are not the
     * clip ones, and NORMALIZENORMALS for the dome */
    perspective(&s->st.projection, 1.0f, 1.0f, 0.5f, 10.0f);
    s->st.view.m[3][2] = 1.5f;
    s->st.normalize_normals = true;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 16 * 16 * 2);
}

static const float tg_scale[16] = {2.5f, 0,    0, 0, 0,     -2.5f, 0, 0,
                                   1.5f, 0.7f, 1, 0, 0.31f, 0.27f, 0, 1};

static void sc_texgen_position(scene *s)
{
    texgen(s, VGT_SVGA3D_TEXCOORD_GEN_EYE_POSITION,
           VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T, tg_scale);
}
static void sc_texgen_normal(scene *s)
{
    texgen(s, VGT_SVGA3D_TEXCOORD_GEN_EYE_NORMAL,
           VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T, tg_scale);
}
static void sc_texgen_reflection(scene *s)
{
    texgen(s, VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR,
           VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_TRANSFORM_R,
           tg_scale);
}
static void sc_texgen_sphere(scene *s)
{
    texgen(s, VGT_SVGA3D_TEXCOORD_GEN_SPHERE,
           VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T, tg_scale);
}
/* The set itself: (u, v, 1, 0) times the matrix, q = 0.8 u + 0.5 v + 0.6
 * from column 2, u and v divided by it per pixel. */
static void sc_tex_projected(scene *s)
{
    static const float m[16] = {2, 0, 0.8f, 0, 0, 1.5f, 0.5f, 0, 0.1f, 0.2f, 0.6f, 0, 9, 9, 9, 1};
    texgen(s, VGT_SVGA3D_TEXCOORD_GEN_OFF, VGT_SVGA3D_TEX_TRANSFORM_R | VGT_SVGA3D_TEX_PROJECTED,
           m);
}

/* COUNT1: u' = 2.5 u + 1.5 alone, v' and w' read 0 (the v' of tg_scale,
 * -2.5 v + 0.7, would show rows across the stripes). */
static void sc_tex_count1(scene *s)
{
    texgen(s, VGT_SVGA3D_TEXCOORD_GEN_OFF, VGT_SVGA3D_TEX_TRANSFORM_S, tg_scale);
}
/* COUNT2 | PROJECTED: u' = 2 u + 0.1 divided per pixel by v' = 0.8 u +
 * 0.5 v + 0.6, v reads 0 (w' = 0.3 u + 1.2 is a wrong divisor to tell). */
static void sc_tex_count2_projected(scene *s)
{
    static const float m[16] = {2, 0.8f, 0.3f, 0, 0, 0.5f, 0, 0, 0.1f, 0.6f, 1.2f, 0, 9, 9, 9, 1};
    texgen(s, VGT_SVGA3D_TEXCOORD_GEN_OFF, VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_PROJECTED,
           m);
}

/* Behind a vertex shader writing oT0 = (u p, v p, p, 2 p) with p = u + 1
 * (and a white oD0):
 * exactly COUNT3 | PROJECTED divides by z, (u, v); any other PROJECTED by
 * w, (u/2, v/2) (vgt_svga3d_texcoord_plan_behind_vs). */
static uint32_t g_behind_flags;
static void behind_vs_draw(scene *s)
{
    texgen(s, VGT_SVGA3D_TEXCOORD_GEN_OFF, g_behind_flags, tg_scale);
}
static void sc_tex_projected_behind_vs(scene *s)
{
    scene_with_vs(s,
                  "vs_2_0\ndcl_position v0\ndcl_texcoord v1\nmov oPos, v0\n"
                  "add r0, v1.x, v1.w\nmul oT0.xy, v1, r0\nmov oT0.z, r0.x\n"
                  "add oT0.w, r0.x, r0.x\nmov oD0, v1.w\n",
                  behind_vs_draw);
}

/* A cube map of 8 x 8 faces for environment mapping: each face its own
 * hue, with a gradient across it (a flipped or rotated face shows). */
static vgt_backend_surface *env_cube(scene *s)
{
    vgt_backend_surface *t =
        scene_define(s, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 8, 8, 1, 6, 1);
    uint32_t px[64];
    for (uint32_t f = 0; f < 6; f++) {
        for (uint32_t y = 0; y < 8; y++) {
            for (uint32_t x = 0; x < 8; x++) {
                uint32_t r = 40u * f + 20u, g = 30u * x, b = 30u * y + (f & 1u) * 10u;
                vgt_store_le32(&px[y * 8 + x], 0xff000000u | r << 16 | g << 8 | b);
            }
        }
        scene_upload(s, t, f, 0, px);
    }
    return t;
}

/* Environment mapping: the dome's view-space reflection vectors look up a
 * cube map through TEXTURE0 (flags 0: no matrix). */
static void cube_reflection(scene *s, uint32_t flags, const float m[16])
{
    grid(s);
    vgt_backend_stage *g = &s->st.stages[0];
    g->texture = (vgt_backend_view){env_cube(s), 0, 0, VGT_SVGA3D_A8R8G8B8, {8, 8, 1}};
    g->texture_faces = 6;
    g->texture_mips = 1;
    g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    g->texcoord_gen = VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR;
    g->transform_flags = flags;
    set_matrix(&g->texture_transform, m);
    perspective(&s->st.projection, 1.0f, 1.0f, 0.5f, 10.0f);
    s->st.view.m[3][2] = 1.5f;
    s->st.normalize_normals = true;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 16 * 16 * 2);
}

static const float tg_identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
/* a quarter turn about y (x -> -z, z -> x), row vectors */
static const float tg_turn_y[16] = {0, 0, -1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1};

static void sc_cube_reflection(scene *s)
{
    cube_reflection(s, 0, tg_identity);
}
static void sc_cube_reflection_turned(scene *s)
{
    cube_reflection(
        s, VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_TRANSFORM_R,
        tg_turn_y);
}

/* PROJECTED reflection vectors: COUNT4 divides (x, y, z) by q' = y + 0.2,
 * which turns the direction round where it is negative.  (COUNT3 on a
 * cube is in test_gl_cubevol.c: the dome's (x/w', y/w', 0) crosses so many
 * face seams that it comes close to SEAM_FRACTION.) */
static void sc_cube_reflection_projected4(scene *s)
{
    static const float m[16] = {1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0.2f};
    cube_reflection(s,
                    VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T |
                        VGT_SVGA3D_TEX_TRANSFORM_R | VGT_SVGA3D_TEX_TRANSFORM_Q |
                        VGT_SVGA3D_TEX_PROJECTED,
                    m);
}

/* The faces differ in hue, so a pixel whose reflection vector lies on a
 * seam (two components of equal size, to within the two backends'
 * rounding) takes a face's color or its neighbor's: ~0.7% of the pixels,
 * along the seams' lines.  A wrong face, orientation or matrix changes
 * whole regions. */
#define SEAM_FRACTION 0.015

static void test_texgen_cube_reflection(void **state)
{
    (void)state;
    run_both_fmt("texgen-cube-reflection", VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8,
                 sc_cube_reflection, GL_TOL, SEAM_FRACTION, 16);
    run_both_fmt("texgen-cube-reflection-turned", VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8,
                 sc_cube_reflection_turned, GL_TOL, SEAM_FRACTION, 16);
    run_both_fmt("texgen-cube-reflection-projected4", VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8,
                 sc_cube_reflection_projected4, GL_TOL, SEAM_FRACTION, 16);
}

static void test_texgen_position(void **state)
{
    (void)state;
    run_both("texgen-position", sc_texgen_position, 16);
}
static void test_texgen_normal(void **state)
{
    (void)state;
    run_both("texgen-normal", sc_texgen_normal, 16);
}
static void test_texgen_reflection(void **state)
{
    (void)state;
    run_both("texgen-reflection", sc_texgen_reflection, 16);
}
static void test_texgen_sphere(void **state)
{
    (void)state;
    run_both("texgen-sphere", sc_texgen_sphere, 16);
}
static void test_tex_projected(void **state)
{
    (void)state;
    run_both("tex-projected", sc_tex_projected, 16);
    run_both("tex-count1", sc_tex_count1, 16);
    run_both("tex-count2-projected", sc_tex_count2_projected, 16);
    g_behind_flags = VGT_SVGA3D_TEX_TRANSFORM_R | VGT_SVGA3D_TEX_PROJECTED;
    run_both("tex-projected3-behind-vs", sc_tex_projected_behind_vs, 16);
    g_behind_flags = VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_PROJECTED;
    run_both("tex-projected-behind-vs", sc_tex_projected_behind_vs, 16);
}

static void test_stage_ops(void **state)
{
    (void)state;
    run_both("texture-stage-ops", sc_stage_ops, 16);
}

static void test_r5g6b5_d16(void **state)
{
    (void)state;
    run_both_fmt("r5g6b5-d16-depth", VGT_SVGA3D_R5G6B5, VGT_SVGA3D_Z_D16, sc_depth, GL_TOL,
                 GL_TOL_FRACTION, 4);
    run_both_fmt("x8r8g8b8-blend", VGT_SVGA3D_X8R8G8B8, VGT_SVGA3D_Z_D24X8, sc_blend, GL_TOL,
                 GL_TOL_FRACTION, 8);
}

/* ---- point sprites and point scaling ---------------------------------------------- */

/* Points whose centres sit a quarter pixel off the pixel grid, so that
 * neither the squares' edges nor the 4x4 texture's texel edges fall on a
 * pixel centre (a tie the two backends may break either way). */
static void sprite_stage(scene *s)
{
    vgt_backend_surface *t = scene_checker(s, 4, 4);
    s->st.stages[0].texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {4, 4, 1}};
    s->st.stages[0].texture_faces = 1;
    s->st.stages[0].texture_mips = 1;
    s->st.stages[0].color_op = VGT_SVGA3D_TC_MODULATE;
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
}

/* Sizes 8 and 12 with POINTSPRITEENABLE (texcoords across the square), and
 * a size 8 point without (its vertex's texel over the whole square). */
static void sc_sprites(scene *s)
{
    sprite_stage(s);
    /* NDC of screen x.25 on 64 pixels: (x.25 / 32) - 1 */
    tvert v[3] = {
        {12.25f / 32 - 1, 1 - 12.25f / 32, 0.5f, 0, 0, -1, 0xffffffffu, 0.6f, 0.1f},
        {40.25f / 32 - 1, 1 - 16.25f / 32, 0.5f, 0, 0, -1, 0xffc0ff80u, 0.6f, 0.1f},
        {20.25f / 32 - 1, 1 - 44.25f / 32, 0.5f, 0, 0, -1, 0xffffffffu, 0.6f, 0.1f},
    };
    scene_tverts(s, v, 3);
    s->st.point_sprite = true;
    s->st.point_size = 8.0f;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1);
    s->st.point_size = 12.0f;
    s->st.point_size_max = 12.0f;
    vgt_error err = {0};
    assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, 0, 0, 1, &err), VGT_OK);
    s->st.point_sprite = false;
    s->st.point_size = 8.0f;
    assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, 0, 0, 2, &err), VGT_OK);
}

/* POINTSCALEENABLE: points at eye distances 4, 5 and 10 (view = world =
 * identity; the projection keeps x and y at 1/8, z at 0.1, and adds the
 * quarter pixel) with 64 * 0.5 / sqrt(A + B De + C De^2) pixels, one
 * clamped to POINTSIZE_MAX, one from B alone, one with A = B = C = 0 (the
 * maximum); sprites on. */
static void sc_scaled(scene *s)
{
    sprite_stage(s);
    float(*p)[4] = s->st.projection.m;
    p[0][0] = p[1][1] = 0.125f;
    p[2][2] = 0.1f;
    p[3][0] = 1.0f / 128.0f;
    p[3][1] = -1.0f / 128.0f;
    tvert v[5] = {
        {0, 0, 4, 0, 0, -1, 0xffffffffu, 0, 0},  {3, 0, 4, 0, 0, -1, 0xffffffffu, 0, 0},
        {-6, 0, 8, 0, 0, -1, 0xffffffffu, 0, 0}, {0, 3, 4, 0, 0, -1, 0xffffffffu, 0, 0},
        {0, -6, 8, 0, 0, -1, 0xff80ffffu, 0, 0},
    };
    scene_tverts(s, v, 5);
    s->st.point_sprite = true;
    s->st.point_scale = true;
    s->st.point_size = 0.5f;
    s->st.point_scale_a = 0.0f;
    s->st.point_scale_b = 0.0f;
    s->st.point_scale_c = 1.0f;
    s->st.point_size_max = 6.8f;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 4); /* 8 clamped to 6.8, 6.4, 3.2, 6.4 */
    s->st.point_scale_a = 0.0f;                       /* De 10: 32 / sqrt(6.4 * 10) = 4 */
    s->st.point_scale_b = 6.4f;
    s->st.point_scale_c = 0.0f;
    vgt_error err = {0};
    assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, 0, 0, 4, &err), VGT_OK);
    s->st.point_scale_a = s->st.point_scale_b = s->st.point_scale_c = 0.0f; /* the maximum */
    v[0].x = -5.0f;
    v[0].y = -5.0f;
    scene_tverts(s, v, 1);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1);
}

/* The scenes above through a pixel shader (fixed-function vertex side):
 * its texture coordinate input reads the sprite's coordinates. */
static const char *g_sprite_ps;

static void sc_sprites_ps(scene *s)
{
    scene_with_ps(s, g_sprite_ps, sc_sprites);
}

static void sc_scaled_ps(scene *s)
{
    scene_with_ps(s, g_sprite_ps, sc_scaled);
}

/* The sprite scene through a vertex shader in front of the fixed-function
 * stages: it passes color and TEXCOORD0 and writes no oPts, so the size is
 * POINTSIZE, and the sprite's coordinates replace its oT0. */
static void sc_sprites_vs(scene *s)
{
    scene_with_vs(s,
                  "vs_1_1\ndcl_position v0\ndcl_color v1\ndcl_texcoord v2\nmov oPos, v0\n"
                  "mov oD0, v1\nmov oT0, v2\n",
                  sc_sprites);
}

/* POINTSCALEENABLE behind a vertex shader does not scale
 * (vgt_svga3d_point_scale_applies; A = B = 0, C = 1 would): a vs_2_0's
 * oPts (the vertex's u: 6 and 8; even sizes keep texel edges off pixel
 * centres) is the size, and a shader without oPts
 * draws POINTSIZE 40 clamped to POINTSIZE_MAX 10; sprites on. */
static void scaled_vs_first(scene *s)
{
    sprite_stage(s);
    static const tvert v[3] = {
        {12.25f / 32 - 1, 1 - 12.25f / 32, 0.5f, 0, 0, -1, 0xffffffffu, 6.0f, 0.0f},
        {40.25f / 32 - 1, 1 - 16.25f / 32, 0.5f, 0, 0, -1, 0xffc0ff80u, 8.0f, 0.0f},
        {20.25f / 32 - 1, 1 - 44.25f / 32, 0.5f, 0, 0, -1, 0xff80ffffu, 0.0f, 0.0f},
    };
    scene_tverts(s, v, 3);
    s->st.point_sprite = true;
    s->st.point_scale = true;
    s->st.point_scale_a = 0.0f;
    s->st.point_scale_b = 0.0f;
    s->st.point_scale_c = 1.0f;
    s->st.point_size = 40.0f;
    s->st.point_size_max = 10.0f;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 2);
}

static void scaled_vs_third(scene *s)
{
    vgt_error err = {0};
    assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, 0, 0, 2, &err), VGT_OK);
}

static void sc_scaled_vs(scene *s)
{
    scene_with_vs(s,
                  "vs_2_0\ndcl_position v0\ndcl_color v1\ndcl_texcoord v2\nmov oPos, v0\n"
                  "mov oD0, v1\nmov oT0, v2\nmov oPts, v2.x\n",
                  scaled_vs_first);
    scene_with_vs(s,
                  "vs_2_0\ndcl_position v0\ndcl_color v1\ndcl_texcoord v2\nmov oPos, v0\n"
                  "mov oD0, v1\nmov oT0, v2\n",
                  scaled_vs_third);
}

/* One draw of a TRIANGLELIST quad and a POINTLIST range with
 * POINTSPRITEENABLE: only the points' texture coordinates are the
 * sprite's, the quad keeps its own (u 0..1 across it, the checker's four
 * texels); gl drew the quad with gl_PointCoord, undefined off points. */
static void sc_sprites_mixed(scene *s)
{
    sprite_stage(s);
    tvert v[8];
    /* screen 3.25..35.25 both ways: no texel edge on a pixel centre */
    quad(v, 3.25f / 32 - 1, 1 - 35.25f / 32, 35.25f / 32 - 1, 1 - 3.25f / 32, 0.5f, 0xffffffffu);
    tvert p0 = {40.25f / 32 - 1, 1 - 16.25f / 32, 0.5f, 0, 0, -1, 0xffc0ff80u, 0.6f, 0.1f};
    tvert p1 = {20.25f / 32 - 1, 1 - 52.25f / 32, 0.5f, 0, 0, -1, 0xffffffffu, 0.6f, 0.1f};
    v[6] = p0;
    v[7] = p1;
    scene_tverts(s, v, 8);
    s->st.point_sprite = true;
    s->st.point_size = 8.0f;
    vgt_backend_draw_range r[2] = {{.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
                                    .primitive_count = 2,
                                    .vertex_count = 6},
                                   {.primitive_type = VGT_SVGA3D_PRIMITIVE_POINTLIST,
                                    .primitive_count = 2,
                                    .vertex_count = 2,
                                    .index_bias = 6}};
    vgt_backend_draw_stats stats = {0};
    vgt_error err = {0};
    if (s->be.ops->draw(s->be.self, &s->st, r, 2, &stats, &err) != VGT_OK) {
        fail_msg("%s: mixed draw: %s", s->name, err.message);
    }
    assert_int_equal(stats.primitives, 4);
    s->st.point_sprite = false;
}

static void sc_sprites_mixed_ps(scene *s)
{
    scene_with_ps(s, g_sprite_ps, sc_sprites_mixed);
}

static void test_point_sprites_mixed(void **state)
{
    (void)state;
    run_gl_and_soft("point-sprites-mixed", 64, 64, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8,
                    sc_sprites_mixed, GL_TOL, GL_TOL_FRACTION, 4);
    g_sprite_ps = "ps_2_0\ndcl t0.xy\ndcl v0\ndcl_2d s0\ntexld r0, t0, s0\nmul oC0, r0, v0\n";
    run_gl_and_soft("point-sprites-mixed-ps20", 64, 64, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8,
                    sc_sprites_mixed_ps, GL_TOL, GL_TOL_FRACTION, 4);
    g_sprite_ps = "ps_3_0\ndcl_texcoord0 v0.xy\ndcl_color0 v1\ndcl_2d s0\ntexld r0, v0, s0\n"
                  "mul oC0, r0, v1\n";
    run_gl_and_soft("point-sprites-mixed-ps30", 64, 64, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8,
                    sc_sprites_mixed_ps, GL_TOL, GL_TOL_FRACTION, 4);
}

static void test_point_sprites(void **state)
{
    (void)state;
    run_gl_and_soft("point-sprites", 64, 64, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8, sc_sprites,
                    GL_TOL, GL_TOL_FRACTION, 12);
    run_gl_and_soft("point-scale", 64, 64, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8, sc_scaled,
                    GL_TOL, GL_TOL_FRACTION, 10);
    g_sprite_ps = "ps_2_0\ndcl t0.xy\ndcl v0\ndcl_2d s0\ntexld r0, t0, s0\nmul oC0, r0, v0\n";
    run_gl_and_soft("point-sprites-ps20", 64, 64, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8,
                    sc_sprites_ps, GL_TOL, GL_TOL_FRACTION, 12);
    g_sprite_ps = "ps_3_0\ndcl_texcoord0 v0.xy\ndcl_color0 v1\ndcl_2d s0\ntexld r0, v0, s0\n"
                  "mul oC0, r0, v1\n";
    run_gl_and_soft("point-scale-ps30", 64, 64, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8,
                    sc_scaled_ps, GL_TOL, GL_TOL_FRACTION, 10);
    run_gl_and_soft("point-sprites-vs11", 64, 64, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8,
                    sc_sprites_vs, GL_TOL, GL_TOL_FRACTION, 12);
    run_gl_and_soft("point-scale-vs20", 64, 64, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8,
                    sc_scaled_vs, GL_TOL, GL_TOL_FRACTION, 8);
}

/* ---- errors -------------------------------------------------------------------------- */

/* ---- OUTPUTGAMMA 2.2 (sRGB writes) --------------------------------------- */

/* Gouraud gradients and a texture with OUTPUTGAMMA 2.2:
 * every written colour sRGB-encoded (soft's rule), alpha left linear; the
 * gradients reach every part of the curve, its linear toe included. */
static uint32_t g_srgb_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;

static void sc_srgb_write(scene *s)
{
    s->st.output_gamma = 2.2f;
    textured(s, g_srgb_filter);
    /* the Gouraud triangles and a dark one on the curve's linear toe */
    tvert v[9] = {
        [6] = {-0.95f, -0.95f, 0.5f, 0, 0, -1, 0xff000000u, 0, 0},
        [7] = {-0.95f, 0.2f, 0.5f, 0, 0, -1, 0xff0a0a0au, 0, 0},
        [8] = {0.2f, -0.95f, 0.5f, 0, 0, -1, 0xff000008u, 0, 0},
    };
    memcpy(v, g_triangles, sizeof(g_triangles));
    scene_tverts(s, v, 9);
    s->st.stages[0].texture = (vgt_backend_view){0};
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3);
}

static const char *g_srgb_ps = "ps_2_0\ndcl t0.xy\ndcl v0\ndcl_2d s0\ntexld r0, t0, s0\n"
                               "mul oC0, r0, v0\n";

static void sc_srgb_write_ps(scene *s)
{
    scene_with_ps(s, g_srgb_ps, sc_srgb_write);
}

static void test_srgb_write(void **state)
{
    (void)state;
    g_srgb_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    run_both("srgb-write", sc_srgb_write, 32);
    run_both("srgb-write-ps20", sc_srgb_write_ps, 32);
    /* Linear filtering: llvmpipe weighs texels in 1/256 steps, soft in
     * float, so the filtered linear colours differ by up to about half a
     * step of 1/255; the curve's toe (slope 12.92) makes that up to 7
     * steps of the encoded byte near black (docs/gl.md). */
    g_srgb_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    run_both_fmt("srgb-write-linear", VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8, sc_srgb_write, 8,
                 GL_TOL_FRACTION, 32);
    g_srgb_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
}

/* sc_blend's four blends (alpha, additive, reverse subtract with the blend
 * factor, maximum) with OUTPUTGAMMA 2.2: soft decodes the target, blends
 * in linear light and encodes; gl renders through the target's sRGB view
 * with GL_FRAMEBUFFER_SRGB, which does the same. */
static void sc_srgb_blend(scene *s)
{
    s->st.output_gamma = 2.2f;
    sc_blend(s);
}

static void sc_srgb_blend_ps(scene *s)
{
    scene_with_ps(s, "ps_2_0\ndcl v0\nmov oC0, v0\n", sc_srgb_blend);
}

static void test_srgb_write_blend(void **state)
{
    (void)state;
    run_both("srgb-blend", sc_srgb_blend, 8);
    run_both("srgb-blend-ps20", sc_srgb_blend_ps, 8);
    run_both_fmt("srgb-blend-x8r8g8b8", VGT_SVGA3D_X8R8G8B8, VGT_SVGA3D_Z_D24S8, sc_srgb_blend,
                 GL_TOL, GL_TOL_FRACTION, 8);
}

/* With OUTPUTGAMMA 2.2, the factors and equations sc_blend leaves out
 * (gl_test_util.c scene_blend_factors). */
static void sc_srgb_blend_factors(scene *s)
{
    s->st.output_gamma = 2.2f;
    scene_blend_factors(s);
}

/* The same through a pixel shader whose colour reaches 2: blending takes
 * the source saturated (soft: a float target keeps a shader's unclamped
 * result only without blending). */
static void sc_srgb_blend_factors_ps(scene *s)
{
    scene_with_ps(s, "ps_2_0\ndef c0, 2.0, 2.0, 2.0, 1.0\ndcl v0\nmul r0, v0, c0\nmov oC0, r0\n",
                  sc_srgb_blend_factors);
}

/* The same on float targets (ARGB_S10E5, ARGB_S23E8), which have no sRGB
 * view: gl's fragment shader reads the target (framebuffer fetch), decodes,
 * blends and encodes as soft does; measured max delta 1 (S10E5) and 0. */
static void test_srgb_write_blend_float(void **state)
{
    (void)state;
    run_both_fmt("srgb-blend-s10e5", VGT_SVGA3D_ARGB_S10E5, VGT_SVGA3D_Z_D24S8, sc_srgb_blend,
                 GL_TOL, GL_TOL_FRACTION, 8);
    run_both_fmt("srgb-blend-ps20-s10e5", VGT_SVGA3D_ARGB_S10E5, VGT_SVGA3D_Z_D24S8,
                 sc_srgb_blend_ps, GL_TOL, GL_TOL_FRACTION, 8);
    run_both_fmt("srgb-blend-s23e8", VGT_SVGA3D_ARGB_S23E8, VGT_SVGA3D_Z_D24S8, sc_srgb_blend,
                 GL_TOL, GL_TOL_FRACTION, 8);
    run_both_fmt("srgb-blend-ps20-s23e8", VGT_SVGA3D_ARGB_S23E8, VGT_SVGA3D_Z_D24S8,
                 sc_srgb_blend_ps, GL_TOL, GL_TOL_FRACTION, 8);
    run_both_fmt("srgb-blend-factors-s10e5", VGT_SVGA3D_ARGB_S10E5, VGT_SVGA3D_Z_D24S8,
                 sc_srgb_blend_factors, GL_TOL, GL_TOL_FRACTION, 12);
    run_both_fmt("srgb-blend-factors-s23e8", VGT_SVGA3D_ARGB_S23E8, VGT_SVGA3D_Z_D24S8,
                 sc_srgb_blend_factors, GL_TOL, GL_TOL_FRACTION, 12);
    run_both_fmt("srgb-blend-factors-ps20-s10e5", VGT_SVGA3D_ARGB_S10E5, VGT_SVGA3D_Z_D24S8,
                 sc_srgb_blend_factors_ps, GL_TOL, GL_TOL_FRACTION, 12);
    /* (GL's own blending through the sRGB view, for comparison) */
    run_both_fmt("srgb-blend-factors", VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8,
                 sc_srgb_blend_factors, GL_TOL, GL_TOL_FRACTION, 12);
}

/* The same scenes on the 16-bit targets (R5G6B5, X1R5G5B5, A1R5G5B5,
 * A4R4G4B4), which have no sRGB view either: the fragment shader reads the
 * target, decodes, blends, encodes and rounds to the target's steps (soft's
 * rule); measured max delta 0 on all four. */
static void test_srgb_write_blend_16bit(void **state)
{
    (void)state;
    static const struct {
        uint32_t fmt;
        const char *name;
    } fmts[] = {
        {VGT_SVGA3D_R5G6B5, "r5g6b5"},
        {VGT_SVGA3D_X1R5G5B5, "x1r5g5b5"},
        {VGT_SVGA3D_A1R5G5B5, "a1r5g5b5"},
        {VGT_SVGA3D_A4R4G4B4, "a4r4g4b4"},
    };
    static const struct {
        scene_fn fn;
        const char *name;
        uint32_t min_colors;
    } scenes[] = {
        {sc_srgb_blend, "srgb-blend", 8},
        {sc_srgb_blend_ps, "srgb-blend-ps20", 8},
        {sc_srgb_blend_factors, "srgb-blend-factors", 12},
        {sc_srgb_blend_factors_ps, "srgb-blend-factors-ps20", 12},
    };
    for (size_t f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++) {
        for (size_t k = 0; k < sizeof(scenes) / sizeof(scenes[0]); k++) {
            char name[64];
            snprintf(name, sizeof(name), "%s-%s", scenes[k].name, fmts[f].name);
            run_both_fmt(name, fmts[f].fmt, VGT_SVGA3D_Z_D24S8, scenes[k].fn, GL_TOL,
                         GL_TOL_FRACTION, scenes[k].min_colors);
        }
    }
}

/* A 16 x 16 target of `kind`, cleared to opaque black, with one triangle
 * of `color` covering it (texture coordinates 0..1 over the target). */
static void srgb_scene_fmt(scene *s, const char *kind, uint32_t rtf, uint32_t color)
{
    scene_init(s, kind, 16, 16, rtf, 0);
    tvert v[3] = {
        {-1, -1, 0.5f, 0, 0, -1, color, 0, 0},
        {-1, 3, 0.5f, 0, 0, -1, color, 0, 2},
        {3, -1, 0.5f, 0, 0, -1, color, 2, 0},
    };
    scene_tverts(s, v, 3);
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
}

/* Draws s's triangle and returns the pixel (7, 5). */
static uint32_t draw_pixel(scene *s)
{
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    vgt_image im = {0};
    scene_read(s, &im);
    uint32_t p = vgt_load_le32(im.pixels + (5 * 16 + 7) * 4);
    vgt_image_free(&im);
    return p;
}

static void srgb_scene(scene *s, const char *kind, uint32_t color)
{
    srgb_scene_fmt(s, kind, VGT_SVGA3D_A8R8G8B8, color);
}

/* The 16 x 16 target's stored bytes (SURFACE_DMA to the guest). */
static void download_rt(scene *s, uint8_t *out, uint32_t bpp)
{
    vgt_svga3d_box box = {0, 0, 0, 16, 16, 1};
    vgt_error err = {0};
    assert_int_equal(
        s->be.ops->surface_download(s->be.self, s->rt, 0, 0, &box, out, 16 * bpp, 256 * bpp, &err),
        VGT_OK);
}

/* sRGB 0x80 drawn with blending (SRCALPHA, INVSRCALPHA, alpha 0x80) over
 * 0x40, on kind ("gl", "soft"): linear 0.50196 * 0.50196 + decoded 0x40
 * (0.0512695) * 0.49804 = 0.27751, encoded 0x90; alpha 0.75: 0xbf. Writes
 * the target's bytes to out (bpp bytes a pixel). */
static void srgb_blend_over(const char *kind, uint32_t rtf, uint32_t bpp, uint8_t *out)
{
    scene s;
    srgb_scene_fmt(&s, kind, rtf, 0x80808080u);
    scene_clear(&s, VGT_SVGA3D_CLEAR_COLOR, 0xff404040u, 1.0f, 0);
    s.st.output_gamma = 2.2f;
    s.st.blend_enable = true;
    s.st.src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
    s.st.dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
    scene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    download_rt(&s, out, bpp);
    scene_fini(&s);
}

/* gl against soft on the stored bytes: sRGB writes blended in linear
 * light through the target's sRGB view (read back as stored: SURFACE_DMA
 * and read_pixels), OUTPUTGAMMA switched off and on between draws, and
 * through the fragment shader's blend on ARGB_S23E8 and R5G6B5. What gl
 * cannot draw as soft does is refused, never drawn linear: a power curve
 * other than 1 or 2.2, and blending with sRGB writes without framebuffer
 * fetch or on two R5G6B5 targets. */
static void test_srgb_write_gl(void **state)
{
    (void)state;
    static uint8_t g[16 * 16 * 4], r[16 * 16 * 4];
    srgb_blend_over("gl", VGT_SVGA3D_A8R8G8B8, 4, g);
    srgb_blend_over("soft", VGT_SVGA3D_A8R8G8B8, 4, r);
    assert_int_equal(vgt_load_le32(r + (5 * 16 + 7) * 4), 0xbf909090u);
    assert_memory_equal(g, r, sizeof(g));
    srgb_blend_over("gl", VGT_SVGA3D_X8R8G8B8, 4, g);
    srgb_blend_over("soft", VGT_SVGA3D_X8R8G8B8, 4, r);
    assert_int_equal(vgt_load_le32(g + (5 * 16 + 7) * 4) & 0xffffffu, 0x909090u);
    assert_int_equal(vgt_load_le32(r + (5 * 16 + 7) * 4) & 0xffffffu, 0x909090u);

    scene s;
    srgb_scene(&s, "gl", 0xff808080u);
    vgt_error err = {0};
    s.st.output_gamma = 1.8f;
    assert_int_equal(scene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, 0, 0, 0, &err),
                     VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "OUTPUTGAMMA 1.8 is not supported"));
    /* 0x80 (0.50196) is written as sRGB 0xbc; off and on again */
    s.st.output_gamma = 2.2f;
    assert_int_equal(draw_pixel(&s), 0xffbcbcbcu);
    s.st.output_gamma = 1.0f;
    assert_int_equal(draw_pixel(&s), 0xff808080u);
    s.st.output_gamma = 2.2f;
    assert_int_equal(draw_pixel(&s), 0xffbcbcbcu);
    scene_fini(&s);

    /* ARGB_S23E8 (float, no sRGB view): blended by the fragment shader
     * (framebuffer fetch), the stored floats soft's: R, G, B the encoded
     * 0.27751 (0x80 over 0x40 as above), alpha 0.75 */
    static uint8_t gf[16 * 16 * 16], rf[16 * 16 * 16];
    srgb_blend_over("gl", VGT_SVGA3D_ARGB_S23E8, 16, gf);
    srgb_blend_over("soft", VGT_SVGA3D_ARGB_S23E8, 16, rf);
    double src = 128.0 / 255.0, dst = pow((64.0 / 255.0 + 0.055) / 1.055, 2.4);
    double lin = src * src + dst * (1.0 - src);
    double want = 1.055 * pow(lin, 1.0 / 2.4) - 0.055;
    for (uint32_t c = 0; c < 4; c++) {
        float gv, rv;
        memcpy(&gv, gf + (5 * 16 + 7) * 16 + c * 4, 4);
        memcpy(&rv, rf + (5 * 16 + 7) * 16 + c * 4, 4);
        double w = c == 3 ? src * src + (1.0 - src) : want;
        if (fabs(gv - w) > 1e-4 || fabs(rv - w) > 1e-4) {
            fail_msg("ARGB_S23E8 channel %u: gl %.6f, soft %.6f, expected %.6f", c, (double)gv,
                     (double)rv, w);
        }
    }
    /* without framebuffer fetch: refused, nothing drawn */
    srgb_scene_fmt(&s, "gl-no-fb-fetch", VGT_SVGA3D_ARGB_S23E8, 0xff808080u);
    s.st.output_gamma = 2.2f;
    s.st.blend_enable = true;
    assert_int_equal(scene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, 0, 0, 0, &err),
                     VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "with GL_EXT_shader_framebuffer_fetch"));
    download_rt(&s, gf, 16);
    static const float black[4] = {0.0f, 0.0f, 0.0f, 1.0f};
    assert_memory_equal(gf + (5 * 16 + 7) * 16, black, sizeof(black));
    scene_fini(&s);

    /* R5G6B5 (no sRGB view): blended by the fragment shader too, the
     * stored 0x40 (8 / 31, 16 / 63) decoded, blended, encoded and rounded
     * to the target's steps: R and B 17.507 steps (18), G 35.530 (36) */
    uint8_t g565[16 * 16 * 2], r565[16 * 16 * 2];
    srgb_blend_over("gl", VGT_SVGA3D_R5G6B5, 2, g565);
    srgb_blend_over("soft", VGT_SVGA3D_R5G6B5, 2, r565);
    uint32_t want565 = 0;
    for (uint32_t c = 0; c < 3; c++) {
        double m = c == 1 ? 63.0 : 31.0;
        double d = floor(64.0 / 255.0 * m + 0.5) / m;
        d = pow((d + 0.055) / 1.055, 2.4);
        double o = 1.055 * pow(src * src + d * (1.0 - src), 1.0 / 2.4) - 0.055;
        want565 |= (uint32_t)floor(o * m + 0.5) << (c == 0 ? 11 : c == 1 ? 5 : 0);
    }
    assert_int_equal(want565, (18u << 11) | (36u << 5) | 18u);
    assert_int_equal(vgt_load_le16(g565 + (5 * 16 + 7) * 2), want565);
    assert_memory_equal(g565, r565, sizeof(g565));

    /* two targets (R5G6B5 at COLOR0 and COLOR1): the shader's rounding is
     * one per program, so blending stays refused there, nothing drawn */
    srgb_scene_fmt(&s, "gl", VGT_SVGA3D_R5G6B5, 0xff808080u);
    vgt_backend_surface *t1 =
        scene_define(&s, VGT_SVGA3D_R5G6B5, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, 16, 16, 1, 1, 1);
    s.st.color_targets[1] = (vgt_backend_view){t1, 0, 0, VGT_SVGA3D_R5G6B5, {16, 16, 1}};
    s.st.color_target_count = 2;
    s.st.output_gamma = 2.2f;
    s.st.blend_enable = true;
    assert_int_equal(scene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, 0, 0, 0, &err),
                     VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "OUTPUTGAMMA 2.2 (sRGB write) with blending is not "
                                        "supported on these color targets"));
    download_rt(&s, g565, 2);
    assert_int_equal(vgt_load_le16(g565 + (5 * 16 + 7) * 2), 0); /* cleared black */
    scene_fini(&s);
}

/* ---- TS_GAMMA 2.2 (sRGB reads) ------------------------------------------- */

static vgt_status g_read_rc;
static vgt_error g_read_err;

static void sc_srgb_read(scene *s)
{
    g_read_rc = scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, 0, 0, 0, &g_read_err);
}

static uint32_t g_read_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;

static void sc_srgb_textured(scene *s)
{
    textured(s, g_read_filter);
}

static void sc_srgb_textured_ps(scene *s)
{
    scene_with_ps(s, g_srgb_ps, sc_srgb_textured);
}

/* The checker (A8R8G8B8) and a DXT1 texture read as sRGB through gl's
 * sRGB views against soft's exact decode table, point and linear
 * filtering, fixed function and ps_2_0; DXT1 also decoded on the CPU into
 * RGBA8 (no S3TC), read through the RGBA8 view. */
static void test_srgb_read(void **state)
{
    (void)state;
    static const struct {
        uint32_t format, filter;
        const char *kind, *name, *name_ps;
    } runs[] = {
        {VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_TEX_FILTER_NEAREST, "gl", "srgb-read-point",
         "srgb-read-point-ps20"},
        {VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_TEX_FILTER_LINEAR, "gl", "srgb-read-linear",
         "srgb-read-linear-ps20"},
        {VGT_SVGA3D_DXT1, VGT_SVGA3D_TEX_FILTER_NEAREST, "gl", "srgb-read-dxt1-point",
         "srgb-read-dxt1-point-ps20"},
        {VGT_SVGA3D_DXT1, VGT_SVGA3D_TEX_FILTER_LINEAR, "gl", "srgb-read-dxt1-linear",
         "srgb-read-dxt1-linear-ps20"},
        {VGT_SVGA3D_DXT1, VGT_SVGA3D_TEX_FILTER_LINEAR, "gl-no-s3tc", "srgb-read-dxt1-cpu",
         "srgb-read-dxt1-cpu-ps20"},
    };
    g_tex_gamma = 2.2f;
    for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
        g_tex_format = runs[i].format;
        g_read_filter = runs[i].filter;
        run_kind_and_soft(runs[i].kind, runs[i].name, W, H, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8,
                          sc_srgb_textured, GL_TOL, GL_TOL_FRACTION, 16);
        run_kind_and_soft(runs[i].kind, runs[i].name_ps, W, H, VGT_SVGA3D_A8R8G8B8,
                          VGT_SVGA3D_Z_D24S8, sc_srgb_textured_ps, GL_TOL, GL_TOL_FRACTION, 16);
    }
    g_tex_gamma = 0;
    g_tex_format = VGT_SVGA3D_A8R8G8B8;
    g_read_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
}

/* A 1 x 1 A8R8G8B8 texture of `argb` on stage 0 of s. */
static vgt_backend_surface *one_texel(scene *s, uint32_t argb)
{
    vgt_backend_surface *t =
        scene_define(s, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 1, 1, 1, 1, 1);
    uint8_t px[4];
    vgt_store_le32(px, argb);
    scene_upload(s, t, 0, 0, px);
    s->st.stages[0].texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {1, 1, 1}};
    s->st.stages[0].texture_faces = 1;
    s->st.stages[0].texture_mips = 1;
    return t;
}

/* gl's sRGB reads exactly (sRGB 0x80 -> linear 0.2158605: byte 0x37;
 * alpha as stored), switched on and off between draws, and after the
 * texture is destroyed and another defined (whose GL names may be the old
 * ones): the view is the new texture's. What gl cannot read as soft does is
 * refused, naming the stage or sampler, and nothing is drawn: a power curve
 * other than 1 and 2.2, and sRGB reads of a format soft does not decode. */
static void test_srgb_read_gl(void **state)
{
    (void)state;
    scene s;
    srgb_scene(&s, "gl", 0xffffffffu);
    vgt_backend_surface *t = one_texel(&s, 0x80804020u);
    s.st.stages[0].gamma = 2.2f;
    assert_int_equal(draw_pixel(&s), 0x80370d04u);
    s.st.stages[0].gamma = 1.0f;
    assert_int_equal(draw_pixel(&s), 0x80804020u);
    s.st.stages[0].gamma = 2.2f;
    assert_int_equal(draw_pixel(&s), 0x80370d04u);
    scene_clear(&s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    g_read_rc = VGT_E_INVALID;
    scene_with_ps(&s, g_srgb_ps, sc_srgb_read);
    assert_int_equal(g_read_rc, VGT_OK);
    vgt_image im = {0};
    scene_read(&s, &im);
    assert_int_equal(vgt_load_le32(im.pixels + (5 * 16 + 7) * 4), 0x80370d04u);
    vgt_image_free(&im);
    vgt_gl_counters n;
    assert_int_equal(vgt_backend_gl_counters(&s.be, &n), VGT_OK);
    assert_int_equal(n.srgb_views_made, 1); /* one view served the four draws */
    assert_int_equal(n.srgb_views_deleted, 0);
    /* destroyed and another defined: sRGB 0xc0 -> 0.5271151: byte 0x86 */
    for (uint32_t i = 0; i < s.nsurf; i++) {
        if (s.surf[i].host == t) {
            s.be.ops->surface_destroy(s.be.self, t);
            s.surf[i].host = NULL;
        }
    }
    assert_int_equal(vgt_backend_gl_counters(&s.be, &n), VGT_OK);
    assert_int_equal(n.srgb_views_deleted, 1);
    one_texel(&s, 0xff20c0ffu);
    assert_int_equal(draw_pixel(&s), 0xff0486ffu);
    assert_int_equal(vgt_backend_gl_counters(&s.be, &n), VGT_OK);
    assert_int_equal(n.srgb_views_made, 2); /* the new texture's own view */
    s.st.stages[0].gamma = 0.0f;
    assert_int_equal(draw_pixel(&s), 0xff20c0ffu);

    /* refused: 1.8, and R5G6B5 (soft decodes 8-bit colour formats only) */
    scene_clear(&s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    vgt_error err = {0};
    s.st.stages[0].gamma = 1.8f;
    assert_int_equal(scene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, 0, 0, 0, &err),
                     VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "texture stage 0: texture gamma 1.8 is not supported"));
    g_read_rc = VGT_OK;
    scene_with_ps(&s, g_srgb_ps, sc_srgb_read);
    assert_int_equal(g_read_rc, VGT_E_UNSUPPORTED);
    assert_non_null(strstr(g_read_err.message, "sampler 0: texture gamma 1.8 is not supported"));
    vgt_backend_surface *t565 =
        scene_define(&s, VGT_SVGA3D_R5G6B5, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 1, 1, 1, 1, 1);
    uint8_t px[2] = {0xff, 0xff};
    scene_upload(&s, t565, 0, 0, px);
    s.st.stages[0].texture = (vgt_backend_view){t565, 0, 0, VGT_SVGA3D_R5G6B5, {1, 1, 1}};
    s.st.stages[0].gamma = 2.2f;
    assert_int_equal(scene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, 0, 0, 0, &err),
                     VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "texture stage 0: sRGB reads (texture gamma 2.2) of "
                                        "R5G6B5 are not supported"));
    g_read_rc = VGT_OK;
    scene_with_ps(&s, g_srgb_ps, sc_srgb_read);
    assert_int_equal(g_read_rc, VGT_E_UNSUPPORTED);
    assert_non_null(strstr(g_read_err.message, "sampler 0: sRGB reads (texture gamma 2.2) of "
                                               "R5G6B5 are not supported"));
    scene_read(&s, &im);
    assert_int_equal(vgt_load_le32(im.pixels + (5 * 16 + 7) * 4), 0xff000000u);
    vgt_image_free(&im);
    /* stage 0 selecting the diffuse colour reads no texture: drawn */
    s.st.stages[0].color_arg1 = VGT_SVGA3D_TA_DIFFUSE;
    s.st.stages[0].color_op = VGT_SVGA3D_TC_SELECTARG1;
    s.st.stages[0].alpha_arg1 = VGT_SVGA3D_TA_DIFFUSE;
    s.st.stages[0].alpha_op = VGT_SVGA3D_TC_SELECTARG1;
    assert_int_equal(draw_pixel(&s), 0xffffffffu);
    scene_fini(&s);
}

/* The soft backend behind vgt_backend reads TS_GAMMA 2.2 as sRGB reads,
 * fixed function and pixel shader alike (sRGB 0x80 -> linear 0.2158605:
 * byte 0x37; alpha as stored), and refuses other power curves. */
static void test_srgb_read_soft_backend(void **state)
{
    (void)state;
    scene s;
    srgb_scene(&s, "soft", 0xffffffffu);
    vgt_backend_surface *t =
        scene_define(&s, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 1, 1, 1, 1, 1);
    uint8_t px[4];
    vgt_store_le32(px, 0x80804020u);
    scene_upload(&s, t, 0, 0, px);
    s.st.stages[0].texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {1, 1, 1}};
    s.st.stages[0].texture_faces = 1;
    s.st.stages[0].texture_mips = 1;
    s.st.stages[0].gamma = 2.2f;
    vgt_image im = {0};
    scene_clear(&s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    scene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    scene_read(&s, &im);
    assert_int_equal(vgt_load_le32(im.pixels + (5 * 16 + 7) * 4), 0x80370d04u);
    vgt_image_free(&im);
    scene_clear(&s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    g_read_rc = VGT_E_INVALID;
    scene_with_ps(&s, g_srgb_ps, sc_srgb_read);
    assert_int_equal(g_read_rc, VGT_OK);
    scene_read(&s, &im);
    assert_int_equal(vgt_load_le32(im.pixels + (5 * 16 + 7) * 4), 0x80370d04u);
    vgt_image_free(&im);
    s.st.stages[0].gamma = 1.8f;
    vgt_error err = {0};
    assert_int_equal(scene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, 0, 0, 0, &err),
                     VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "texture stage 0: texture gamma 1.8 is not supported"));
    scene_with_ps(&s, g_srgb_ps, sc_srgb_read);
    assert_int_equal(g_read_rc, VGT_E_UNSUPPORTED);
    assert_non_null(strstr(g_read_err.message, "sampler 0: texture gamma 1.8 is not supported"));
    scene_fini(&s);
}

static void test_shader_rejected(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, "gl", 16, 16, VGT_SVGA3D_A8R8G8B8, 0);
    tvert v[3] = {{0, 0, 0.5f, 0, 0, -1, 0xffffffffu, 0, 0}};
    scene_tverts(&s, v, 3);
    s.st.vertex_shader_id = 3;
    vgt_error err = {0};
    assert_int_equal(scene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, 0, 0, 0, &err),
                     VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "shader"));
    /* with the point states on, the missing translation is still what is
     * refused (points with a vertex shader are drawn: test_point_sprites) */
    s.st.point_sprite = true;
    s.st.point_scale = true;
    assert_int_equal(scene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, 0, 0, 0, &err),
                     VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "without translated shaders"));
    s.st.point_sprite = false;
    s.st.point_scale = false;
    /* the backend keeps working after a rejection */
    s.st.vertex_shader_id = VGT_SVGA3D_INVALID_ID;
    scene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
    scene_fini(&s);
}

static void test_gl_error_reported(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, "gl", 16, 16, VGT_SVGA3D_A8R8G8B8, 0);
    /* a box the executor would have refused: GL rejects it, the backend
     * reports GL's error naming the operation instead of crashing */
    uint8_t px[64 * 4] = {0};
    vgt_svga3d_box box = {12, 0, 0, 8, 1, 1};
    vgt_error err = {0};
    vgt_status rc = s.be.ops->surface_upload(s.be.self, s.rt, 0, 0, &box, px, 32, 32, 0, &err);
    assert_int_equal(rc, VGT_E_INVALID);
    print_message("reported: %s\n", err.message);
    assert_non_null(strstr(err.message, "SURFACE_DMA upload"));
    assert_non_null(strstr(err.message, "GL_INVALID_VALUE"));
    vgt_gl_counters c;
    assert_int_equal(vgt_backend_gl_counters(&s.be, &c), VGT_OK);
    assert_int_equal(c.gl_errors, 1);
    /* and the next operation is clean */
    scene_clear(&s, VGT_SVGA3D_CLEAR_COLOR, 0xff00ff00u, 1.0f, 0);
    vgt_image img;
    scene_read(&s, &img);
    assert_int_equal(vgt_load_le32(img.pixels), 0xff00ff00u);
    vgt_image_free(&img);
    scene_fini(&s);
}

/* ---- queries and timing ------------------------------------------------------------ */

static void test_occlusion_query_and_gpu_time(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, "gl", 64, 64, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
    tvert v[12];
    /* exactly 32 x 16 pixels: NDC x [-0.5, 0.5], y [0, 0.5] */
    quad(v, -0.5f, 0.0f, 0.5f, 0.5f, 0.5f, 0xffffffffu);
    quad(v + 6, -1.0f, -1.0f, 1.0f, 1.0f, 0.9f, 0xffff0000u); /* behind: 0 new pixels where */
    scene_tverts(&s, v, 12);
    scene_clear(&s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0, 1.0f, 0);
    vgt_backend_query *q = NULL;
    vgt_error err = {0};
    uint64_t ns = 0;
    assert_non_null(s.be.ops->gpu_time);
    s.be.ops->gpu_time(s.be.self, &ns); /* starts timing */
    assert_int_equal(s.be.ops->query_create(s.be.self, VGT_SVGA3D_QUERYTYPE_OCCLUSION, &q, &err),
                     VGT_OK);
    assert_int_equal(s.be.ops->query_begin(s.be.self, q, &err), VGT_OK);
    scene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    uint64_t result = 0;
    assert_int_equal(s.be.ops->query_end(s.be.self, q, &result, &err), VGT_OK);
    assert_int_equal(result, 32u * 16u);
    assert_int_equal(s.be.ops->query_begin(s.be.self, q, &err), VGT_OK);
    vgt_backend_draw_range r = {VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 6, NULL, 0, 0, 0, 6, false};
    assert_int_equal(s.be.ops->draw(s.be.self, &s.st, &r, 1, NULL, &err), VGT_OK);
    assert_int_equal(s.be.ops->query_end(s.be.self, q, &result, &err), VGT_OK);
    assert_int_equal(result, 64u * 64u - 32u * 16u);
    assert_true(s.be.ops->gpu_time(s.be.self, &ns));
    s.be.ops->query_destroy(s.be.self, q);
    scene_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_triangles),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_multisample_single_sampled),
        cmocka_unit_test(test_blend),
        cmocka_unit_test(test_texture_point),
        cmocka_unit_test(test_texture_linear),
        cmocka_unit_test(test_light_directional),
        cmocka_unit_test(test_light_point),
        cmocka_unit_test(test_light_spot),
        cmocka_unit_test(test_fog),
        cmocka_unit_test(test_pixel_fog_depth),
        cmocka_unit_test(test_primitives),
        cmocka_unit_test(test_point_sprites),
        cmocka_unit_test(test_point_sprites_mixed),
        cmocka_unit_test(test_indexed),
        cmocka_unit_test(test_cull_flat_fill),
        cmocka_unit_test(test_stencil),
        cmocka_unit_test(test_stencil_lines_ccw_front),
        cmocka_unit_test(test_line_point_fill_sprite),
        cmocka_unit_test(test_state_cache_after_disabled),
        cmocka_unit_test(test_alpha_test),
        cmocka_unit_test(test_pretransformed),
        cmocka_unit_test(test_scissor_viewport_clip),
        cmocka_unit_test(test_viewport_only),
        cmocka_unit_test(test_stage_ops),
        cmocka_unit_test(test_texgen_position),
        cmocka_unit_test(test_texgen_normal),
        cmocka_unit_test(test_texgen_reflection),
        cmocka_unit_test(test_texgen_sphere),
        cmocka_unit_test(test_texgen_cube_reflection),
        cmocka_unit_test(test_tex_projected),
        cmocka_unit_test(test_r5g6b5_d16),
        cmocka_unit_test(test_srgb_write),
        cmocka_unit_test(test_srgb_write_blend),
        cmocka_unit_test(test_srgb_write_blend_float),
        cmocka_unit_test(test_srgb_write_blend_16bit),
        cmocka_unit_test(test_srgb_write_gl),
        cmocka_unit_test(test_srgb_read),
        cmocka_unit_test(test_srgb_read_gl),
        cmocka_unit_test(test_srgb_read_soft_backend),
        cmocka_unit_test(test_shader_rejected),
        cmocka_unit_test(test_gl_error_reported),
        cmocka_unit_test(test_occlusion_query_and_gpu_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
