/* Cube and volume textures on the gl backend against the soft reference:
 * the same draws (fixed function with 3-component texture coordinates, and
 * ps_2_0 dcl_cube / dcl_volume texld) through vgt_backend_ops on both,
 * compared per pixel within docs/gl.md's tolerance.  Faces carry a
 * different pattern each (and every face an asymmetric one), so a face
 * picked wrongly or a face image flipped shows as thousands of pixels. */
#include "gl_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_shader.h"

#define W 96u
#define H 96u

/* A vertex: clip-space position and a 3-component texture coordinate. */
typedef struct cvert {
    float x, y, z;
    uint32_t color;
    float u, v, w;
} cvert;

static void cverts(scene *s, const cvert *v, uint32_t n)
{
    uint32_t bytes = n * (uint32_t)sizeof(cvert);
    s->vb =
        scene_define(s, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, bytes, 1, 1, 1, 1);
    scene_upload(s, s->vb, 0, 0, v);
    static const struct {
        uint32_t off, type, usage;
    } el[3] = {
        {offsetof(cvert, x), VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_POSITION},
        {offsetof(cvert, color), VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR},
        {offsetof(cvert, u), VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_TEXCOORD},
    };
    s->st.element_count = 3;
    for (int i = 0; i < 3; i++) {
        vgt_backend_element *e = &s->st.elements[i];
        memset(e, 0, sizeof(*e));
        e->buffer = s->vb;
        e->buffer_bytes = bytes;
        e->offset = el[i].off;
        e->stride = sizeof(cvert);
        e->type = el[i].type;
        e->usage = el[i].usage;
    }
}

/* Quads over the top and the bottom half of the viewport (one draw: a
 * viewport change between draws of one fixed-function program trips a gl
 * backend bug, see the report) whose corners (top left, top right, bottom
 * left, bottom right) carry top[k] and bottom[k]. */
static void two_quads(scene *s, const float top[4][3], const float bottom[4][3])
{
    static const float pos[4][2] = {{-1, 1}, {1, 1}, {-1, 0}, {1, 0}};
    static const int order[6] = {0, 1, 2, 2, 1, 3};
    cvert v[12];
    for (int q = 0; q < 2; q++) {
        const float(*tc)[3] = q ? bottom : top;
        for (int i = 0; i < 6; i++) {
            int k = order[i];
            v[6 * q + i] = (cvert){
                pos[k][0], pos[k][1] - (float)q, 0.5f, 0xffffffffu, tc[k][0], tc[k][1], tc[k][2]};
        }
    }
    cverts(s, v, 12);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4);
}

/* Texel (x, y) of face f of an n x n face: a gradient per face with a
 * marker in the first row and column (any flip or rotation shows). */
static uint32_t cube_texel(uint32_t f, uint32_t x, uint32_t y, uint32_t n)
{
    uint32_t r = 30u + f * 40u, g = 20u + x * 200u / n, b = 20u + y * 200u / n;
    if (x == 0 || y == 0) {
        r ^= 0x80u;
    }
    return 0xff000000u | (r << 16) | (g << 8) | b;
}

/* A cube of n x n faces and `mips` levels (level m: the pattern of n >> m). */
static vgt_backend_surface *make_cube(scene *s, uint32_t n, uint32_t mips)
{
    vgt_backend_surface *t =
        scene_define(s, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, n, n, 1, 6, mips);
    uint32_t *px = malloc((size_t)n * n * 4);
    for (uint32_t f = 0; f < 6; f++) {
        for (uint32_t m = 0; m < mips; m++) {
            uint32_t ln = n >> m;
            for (uint32_t y = 0; y < ln; y++) {
                for (uint32_t x = 0; x < ln; x++) {
                    vgt_store_le32(&px[y * ln + x], m ? 0xff000000u | (m * 0x30u) << 8 |
                                                            (f * 0x28u) << 16 | (x + y) * 8u
                                                      : cube_texel(f, x, y, ln));
                }
            }
            scene_upload(s, t, f, m, px);
        }
    }
    free(px);
    return t;
}

/* A w x h x d volume, slice z a pattern of its own. */
static vgt_backend_surface *make_volume(scene *s, uint32_t w, uint32_t h, uint32_t d, uint32_t mips)
{
    vgt_backend_surface *t =
        scene_define(s, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, w, h, d, 1, mips);
    uint32_t *px = malloc((size_t)w * h * d * 4);
    for (uint32_t m = 0; m < mips; m++) {
        uint32_t lw = w >> m ? w >> m : 1, lh = h >> m ? h >> m : 1, ld = d >> m ? d >> m : 1;
        for (uint32_t z = 0; z < ld; z++) {
            for (uint32_t y = 0; y < lh; y++) {
                for (uint32_t x = 0; x < lw; x++) {
                    uint32_t c = 0xff000000u | ((z * 60u + m * 30u + 10u) & 0xffu) << 16 |
                                 ((x * 255u / lw) << 8) | (y * 255u / lh);
                    vgt_store_le32(&px[((size_t)z * lh + y) * lw + x], c);
                }
            }
        }
        scene_upload(s, t, 0, m, px);
    }
    free(px);
    return t;
}

/* Stage 0's TEXTURETRANSFORMFLAGS and TEXTURE0 (row vectors) */
static uint32_t g_tflags;
static float g_tm[16];

static void bind(scene *s, vgt_backend_surface *t, uint32_t w, uint32_t h, uint32_t d,
                 uint32_t faces, uint32_t mips, uint32_t filter, uint32_t mip_filter,
                 uint32_t address)
{
    vgt_backend_stage *g = &s->st.stages[0];
    g->transform_flags = g_tflags;
    memcpy(g->texture_transform.m, g_tm, sizeof(g->texture_transform.m));
    g->texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {w, h, d}};
    g->texture_faces = faces;
    g->texture_mips = mips;
    g->color_op = g->alpha_op = VGT_SVGA3D_TC_SELECTARG1;
    g->color_arg1 = g->alpha_arg1 = VGT_SVGA3D_TA_TEXTURE;
    g->mag_filter = g->min_filter = filter;
    g->mip_filter = mip_filter;
    g->address_u = g->address_v = g->address_w = address;
    s->st.z_enable = false;
}

/* Directions across +X, +Y, +Z, -Z and -Y (and their seams), then -X,
 * -Y, -Z, +Y; odd values keep texel edges off the pixel centres (point
 * sampling exactly on an edge may go either way). */
static const float sweep[4][3] = {{1.013f, 1.217f, -0.809f},
                                  {-0.291f, 0.703f, 1.031f},
                                  {0.907f, -0.389f, 0.613f},
                                  {-1.019f, -1.493f, -0.911f}};
static const float sweep2[4][3] = {{-1.007f, 0.311f, 0.893f},
                                   {-0.617f, -1.029f, -0.193f},
                                   {-0.787f, 0.913f, -1.011f},
                                   {0.209f, 1.021f, -0.689f}};

static uint32_t g_filter, g_address;

static void sc_cube(scene *s)
{
    vgt_backend_surface *t = make_cube(s, 16, 1);
    bind(s, t, 16, 16, 1, 6, 1, g_filter, VGT_SVGA3D_TEX_FILTER_NONE, g_address);
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    two_quads(s, sweep, sweep2);
}

/* +Z only (ma = 1, so the footprint is the same over each half): top half
 * sc over +-g_a across 96 pixels: 256 g_a / 96 texels a pixel; bottom half
 * tc over +-g_b across 48 rows: 256 g_b / 48.  g_a = 0.8625: 2.3 texels
 * (lambda 1.2), g_b = 0.9: 4.8 (lambda 2.26); 0.75 and 0.75: exactly 2 and
 * 4 (lambda 1 and 2).  Levels differ in color; g_filter is the mip filter. */
static float g_a, g_b;
static void sc_cube_mips(scene *s)
{
    vgt_backend_surface *t = make_cube(s, 256, 9);
    bind(s, t, 256, 256, 1, 6, 9, VGT_SVGA3D_TEX_FILTER_LINEAR, g_filter,
         VGT_SVGA3D_TEX_ADDRESS_CLAMP);
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    const float top[4][3] = {{-g_a, 0.1f, 1}, {g_a, 0.1f, 1}, {-g_a, -0.1f, 1}, {g_a, -0.1f, 1}};
    const float bottom[4][3] = {{-0.1f, g_b, 1}, {0.1f, g_b, 1}, {-0.1f, -g_b, 1}, {0.1f, -g_b, 1}};
    two_quads(s, top, bottom);
}

static void sc_volume(scene *s)
{
    vgt_backend_surface *t = make_volume(s, 8, 8, 4, 1);
    bind(s, t, 8, 8, 4, 1, 1, g_filter, VGT_SVGA3D_TEX_FILTER_NONE, g_address);
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    /* texel edges off the pixel centres: odd offsets */
    const float tc[4][3] = {{-0.213f, 0.031f, -0.407f},
                            {1.117f, 0.073f, 0.389f},
                            {0.049f, 1.213f, 0.611f},
                            {1.309f, 1.143f, 1.517f}};
    const float tc2[4][3] = {{0.913f, -0.307f, 2.113f},
                             {0.211f, 0.519f, -0.703f},
                             {1.407f, 0.817f, 0.229f},
                             {-0.109f, 1.713f, 0.931f}};
    two_quads(s, tc, tc2);
}

/* Only w changes, 0.6 a pixel: 4.8 texels of the 8 deep level 0 (lambda
 * 2.26: level 2, whose slices differ in red). */
static void sc_volume_mips(scene *s)
{
    vgt_backend_surface *t = make_volume(s, 8, 8, 8, 4);
    bind(s, t, 8, 8, 8, 1, 4, VGT_SVGA3D_TEX_FILTER_NEAREST, VGT_SVGA3D_TEX_FILTER_NEAREST,
         VGT_SVGA3D_TEX_ADDRESS_WRAP);
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    const float tc[4][3] = {
        {0.3f, 0.3f, 0.01f}, {0.3f, 0.3f, 57.61f}, {0.3f, 0.3f, 0.01f}, {0.3f, 0.3f, 57.61f}};
    two_quads(s, tc, tc);
}

/* ---- shaders --------------------------------------------------------------------- */

static void sc_cube_ps(scene *s)
{
    scene_with_ps(s, "ps_2_0\ndcl t0.xyz\ndcl_cube s0\ntexld r0, t0, s0\nmov oC0, r0\n", sc_cube);
}

static void sc_volume_ps(scene *s)
{
    scene_with_ps(s, "ps_2_0\ndcl t0.xyz\ndcl_volume s0\ntexld r0, t0, s0\nmov oC0, r0\n",
                  sc_volume);
}

/* ---- the comparisons --------------------------------------------------------------- */

static void run_both(const char *name, scene_fn fn, uint32_t min_colors)
{
    run_gl_and_soft(name, W, H, VGT_SVGA3D_A8R8G8B8, 0, fn, GL_TOL, GL_TOL_FRACTION, min_colors);
}

static void test_cube_point(void **state)
{
    (void)state;
    g_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    g_address = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    run_both("cube-point", sc_cube, 200);
}

static void test_cube_linear(void **state)
{
    (void)state;
    g_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    /* Direct3D 9 cube maps clamp whatever ADDRESSU/V say */
    g_address = VGT_SVGA3D_TEX_ADDRESS_WRAP;
    run_both("cube-linear-wrap", sc_cube, 200);
    g_address = VGT_SVGA3D_TEX_ADDRESS_BORDER;
    run_both("cube-linear-border", sc_cube, 200);
}

static void test_cube_mips(void **state)
{
    (void)state;
    g_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    g_a = 0.8625f;
    g_b = 0.9f;
    run_both("cube-mips-nearest", sc_cube_mips, 8);
    /* llvmpipe's level of detail is a fast approximation of log2 (off by
     * up to ~0.1 between powers of two), which shows in a trilinear blend:
     * compared where lambda is an integer */
    g_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    g_a = g_b = 0.75f;
    run_both("cube-mips-linear", sc_cube_mips, 8);
}

static void test_volume(void **state)
{
    (void)state;
    g_address = VGT_SVGA3D_TEX_ADDRESS_WRAP;
    g_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    run_both("volume-point-wrap", sc_volume, 32);
    g_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    run_both("volume-linear-wrap", sc_volume, 200);
    g_address = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    run_both("volume-linear-clamp", sc_volume, 200);
    run_both("volume-mips", sc_volume_mips, 2); /* level 2: 2 slices */
}

/* The sweep behind a vertex shader writing oT0 = (x, y, z, -1): COUNT4 |
 * PROJECTED divides by w (the directions turned round), COUNT3 | PROJECTED
 * by z, w then 0 (vgt_svga3d_texcoord_plan_behind_vs). */
static void sc_cube_behind_vs(scene *s)
{
    scene_with_vs(s,
                  "vs_2_0\ndcl_position v0\ndcl_texcoord v1\nmov oPos, v0\nmov oT0.xyz, v1\n"
                  "mov oT0.w, -v1.w\n",
                  sc_cube);
}

/* PROJECTED cube and volume coordinates (a FLOAT3 set is (u, v, w, 1)):
 * COUNT4 divides (u, v, w) by q', COUNT3 gives (u/w', v/w', 0). */
#define TT_STR                                                                                     \
    (VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_TRANSFORM_R)
static const float identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};

static void test_projected(void **state)
{
    (void)state;
    g_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    g_address = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    /* q' = 0.8 u + 0.3: negative over part of the sweep, which turns the
     * direction round */
    const float cube4[16] = {1, 0, 0, 0.8f, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0.3f};
    g_tflags = TT_STR | VGT_SVGA3D_TEX_TRANSFORM_Q | VGT_SVGA3D_TEX_PROJECTED;
    memcpy(g_tm, cube4, sizeof(g_tm));
    run_both("cube-projected4", sc_cube, 200);
    /* w' = 0.5 w + 0.4 v + 0.2 */
    const float cube3[16] = {1, 0, 0, 0, 0, 1, 0.4f, 0, 0, 0, 0.5f, 0, 0, 0, 0.2f, 1};
    g_tflags = TT_STR | VGT_SVGA3D_TEX_PROJECTED;
    memcpy(g_tm, cube3, sizeof(g_tm));
    run_both("cube-projected3", sc_cube, 200);
    g_address = VGT_SVGA3D_TEX_ADDRESS_WRAP;
    /* q' = 1 + 0.5 u + 0.3 w (0.69 and more over the quads) */
    const float vol4[16] = {1, 0, 0, 0.5f, 0, 1, 0, 0, 0, 0, 1, 0.3f, 0, 0, 0, 1};
    g_tflags = TT_STR | VGT_SVGA3D_TEX_TRANSFORM_Q | VGT_SVGA3D_TEX_PROJECTED;
    memcpy(g_tm, vol4, sizeof(g_tm));
    run_both("volume-projected4", sc_volume, 200);
    /* w' = 1 + 0.2 u + 0.4 v; clamped, so that a w of w'/w' = 1 (slice 3)
     * is not the wrapped 0 */
    g_address = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    const float vol3[16] = {1, 0, 0.2f, 0, 0, 1, 0.4f, 0, 0, 0, 0, 0, 0, 0, 1, 1};
    g_tflags = TT_STR | VGT_SVGA3D_TEX_PROJECTED;
    memcpy(g_tm, vol3, sizeof(g_tm));
    run_both("volume-projected3", sc_volume, 100);
    g_address = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    memcpy(g_tm, identity, sizeof(g_tm));
    g_tflags = TT_STR | VGT_SVGA3D_TEX_TRANSFORM_Q | VGT_SVGA3D_TEX_PROJECTED;
    run_both("cube-behind-vs-projected4", sc_cube_behind_vs, 200);
    g_tflags = TT_STR | VGT_SVGA3D_TEX_PROJECTED;
    run_both("cube-behind-vs-projected3", sc_cube_behind_vs, 200);
    g_tflags = 0;
}

static void test_shaders(void **state)
{
    (void)state;
    g_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    g_address = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    run_both("cube-ps20", sc_cube_ps, 200);
    g_address = VGT_SVGA3D_TEX_ADDRESS_WRAP;
    run_both("volume-ps20", sc_volume_ps, 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cube_point), cmocka_unit_test(test_cube_linear),
        cmocka_unit_test(test_cube_mips),  cmocka_unit_test(test_volume),
        cmocka_unit_test(test_shaders),    cmocka_unit_test(test_projected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
