/* Cube and volume textures in vgt_soft, exact values: every face and every
 * quadrant of it for directions worked out by hand from Direct3D 9's cube
 * face table, point and linear filtering on a face, mip selection from the
 * derivatives (and LOD bias, max level), a DXT cube; volume slices with
 * point, linear (between two slices) and ADDRESSW wrap/clamp/border, the
 * level chosen from dw alone, a FLOAT2 set reading w = 0; PROJECTED cube
 * and volume coordinates (COUNT3, COUNT4); ps_2_0 dcl_cube /
 * dcl_volume (texld, texldp, texldb, texldl, texldd) and ps_1_1 tex against
 * fixed function, fixed function behind a vertex shader; hostile
 * directions. */
#include "soft_test_util.h"

#include <stdlib.h>
#include <string.h>

#include "vgt_shader.h"

/* A vertex with a 3-component texture coordinate set 0. */
typedef struct cvert {
    float x, y, z;
    uint32_t color;
    float u, v, w;
} cvert;

static void use_cverts(tscene *s, const cvert *v, size_t n, uint32_t tc_type)
{
    const uint8_t *b = (const uint8_t *)v;
    size_t len = n * sizeof(cvert);
    uint32_t st = sizeof(cvert);
    s->st.element_count = 3;
    s->st.elements[0] = (vgt_soft_element){b,
                                           len,
                                           offsetof(cvert, x),
                                           st,
                                           VGT_SVGA3D_DECLTYPE_FLOAT3,
                                           VGT_SVGA3D_DECLUSAGE_POSITION,
                                           0,
                                           0,
                                           0};
    s->st.elements[1] = (vgt_soft_element){b,
                                           len,
                                           offsetof(cvert, color),
                                           st,
                                           VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                                           VGT_SVGA3D_DECLUSAGE_COLOR,
                                           0,
                                           0,
                                           0};
    s->st.elements[2] = (vgt_soft_element){
        b, len, offsetof(cvert, u), st, tc_type, VGT_SVGA3D_DECLUSAGE_TEXCOORD, 0, 0, 0};
}

/* A quad over the whole viewport; corner k (0: top left, 1: top right,
 * 2: bottom left, 3: bottom right) has texture coordinate tc[k]. */
static cvert g_quad[6];
static void full_quad(tscene *s, const float tc[4][3], uint32_t tc_type)
{
    static const float pos[4][2] = {{-1, 1}, {1, 1}, {-1, -1}, {1, -1}};
    static const int order[6] = {0, 1, 2, 2, 1, 3};
    for (int i = 0; i < 6; i++) {
        int k = order[i];
        g_quad[i] = (cvert){pos[k][0], pos[k][1], 0.5f, 0xffffffffu, tc[k][0], tc[k][1], tc[k][2]};
    }
    use_cverts(s, g_quad, 6, tc_type);
}

/* Every pixel samples direction / coordinate (x, y, z). */
static void const_quad(tscene *s, float x, float y, float z)
{
    const float tc[4][3] = {{x, y, z}, {x, y, z}, {x, y, z}, {x, y, z}};
    full_quad(s, tc, VGT_SVGA3D_DECLTYPE_FLOAT3);
}

/* Stage 0 outputs its texture. */
static void texture_stage(tscene *s, vgt_soft_surface *t, uint32_t filter)
{
    vgt_soft_stage *g = &s->st.stages[0];
    g->texture = t;
    g->color_op = g->alpha_op = VGT_SVGA3D_TC_SELECTARG1;
    g->color_arg1 = g->alpha_arg1 = VGT_SVGA3D_TA_TEXTURE;
    g->mag_filter = g->min_filter = filter;
    g->mip_filter = VGT_SVGA3D_TEX_FILTER_NONE;
}

static vgt_soft_surface *make_surface(uint32_t fmt, uint32_t w, uint32_t h, uint32_t d,
                                      uint32_t faces, uint32_t mips)
{
    vgt_error err = {0};
    vgt_soft_surface *t = NULL;
    vgt_soft_surface_desc desc = {fmt, w, h, d, faces, mips};
    assert_int_equal(vgt_soft_surface_create(&desc, &t, &err), VGT_OK);
    return t;
}

/* Fills (face, mip) of an A8R8G8B8 surface with px(x, y, z). */
static void fill(vgt_soft_surface *t, uint32_t face, uint32_t mip,
                 uint32_t (*px)(uint32_t x, uint32_t y, uint32_t z, uint32_t arg), uint32_t arg)
{
    vgt_error err = {0};
    uint32_t w, h, d;
    assert_int_equal(vgt_soft_surface_level_size(t, face, mip, &w, &h, &d, &err), VGT_OK);
    size_t n = (size_t)w * h * d;
    uint32_t *buf = malloc(n * 4);
    for (uint32_t z = 0; z < d; z++) {
        for (uint32_t y = 0; y < h; y++) {
            for (uint32_t x = 0; x < w; x++) {
                buf[((size_t)z * h + y) * w + x] = px(x, y, z, arg);
            }
        }
    }
    vgt_soft_box b = {0, 0, 0, w, h, d};
    assert_int_equal(vgt_soft_surface_upload(t, face, mip, &b, buf, n * 4, 0, 0, &err), VGT_OK);
    free(buf);
}

/* ---- cube maps ---------------------------------------------------------------- */

/* Texel (x, y) of a 2x2 face f: a color per face and quadrant. */
static uint32_t face_texel(uint32_t f, uint32_t x, uint32_t y)
{
    return 0xff000000u | ((f * 40u + 20u) << 16) | ((x * 200u + 20u) << 8) | (y * 200u + 20u);
}

static uint32_t px_face(uint32_t x, uint32_t y, uint32_t z, uint32_t f)
{
    (void)z;
    return face_texel(f, x, y);
}

static vgt_soft_surface *quadrant_cube(void)
{
    vgt_soft_surface *t = make_surface(VGT_SVGA3D_A8R8G8B8, 2, 2, 1, 6, 1);
    for (uint32_t f = 0; f < 6; f++) {
        fill(t, f, 0, px_face, f);
    }
    return t;
}

/* Directions and the texel they hit, worked out by hand from the table
 * (face: sc, tc, ma): +X: -z, -y, x; -X: +z, -y, -x; +Y: +x, +z, y;
 * -Y: +x, -z, -y; +Z: +x, -y, z; -Z: -x, -y, -z; s = (sc/|ma| + 1)/2 picks
 * column s < 0.5 ? 0 : 1, t row t < 0.5 ? 0 : 1 (row 0 is the face image's
 * first row).  Faces: 0 +X, 1 -X, 2 +Y, 3 -Y, 4 +Z, 5 -Z. */
static const struct {
    float d[3];
    uint32_t face, x, y;
} cube_cases[] = {
    {{1, 0.5f, 0.5f}, 0, 0, 0},
    {{1, 0.5f, -0.5f}, 0, 1, 0},
    {{1, -0.5f, 0.5f}, 0, 0, 1},
    {{1, -0.5f, -0.5f}, 0, 1, 1},
    {{-1, 0.5f, -0.5f}, 1, 0, 0},
    {{-1, 0.5f, 0.5f}, 1, 1, 0},
    {{-1, -0.5f, -0.5f}, 1, 0, 1},
    {{-1, -0.5f, 0.5f}, 1, 1, 1},
    {{-0.5f, 1, -0.5f}, 2, 0, 0},
    {{0.5f, 1, -0.5f}, 2, 1, 0},
    {{-0.5f, 1, 0.5f}, 2, 0, 1},
    {{0.5f, 1, 0.5f}, 2, 1, 1},
    {{-0.5f, -1, 0.5f}, 3, 0, 0},
    {{0.5f, -1, 0.5f}, 3, 1, 0},
    {{-0.5f, -1, -0.5f}, 3, 0, 1},
    {{0.5f, -1, -0.5f}, 3, 1, 1},
    {{-0.5f, 0.5f, 1}, 4, 0, 0},
    {{0.5f, 0.5f, 1}, 4, 1, 0},
    {{-0.5f, -0.5f, 1}, 4, 0, 1},
    {{0.5f, -0.5f, 1}, 4, 1, 1},
    {{0.5f, 0.5f, -1}, 5, 0, 0},
    {{-0.5f, 0.5f, -1}, 5, 1, 0},
    {{0.5f, -0.5f, -1}, 5, 0, 1},
    {{-0.5f, -0.5f, -1}, 5, 1, 1},
    /* a longer direction hits the same texel; |x| = |y| picks x */
    {{3, -1.5f, -1.5f}, 0, 1, 1},
    {{-2, 2, 0.5f}, 1, 1, 0},
};

static void test_cube_faces(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 4, 4, false, 1);
    vgt_soft_surface *t = quadrant_cube();
    texture_stage(&s, t, VGT_SVGA3D_TEX_FILTER_NEAREST);
    for (size_t i = 0; i < sizeof(cube_cases) / sizeof(cube_cases[0]); i++) {
        const float *d = cube_cases[i].d;
        const_quad(&s, d[0], d[1], d[2]);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        uint32_t want = face_texel(cube_cases[i].face, cube_cases[i].x, cube_cases[i].y);
        uint32_t got = tscene_pixel(&s, 1, 2);
        if (got != want) {
            fail_msg("direction (%g, %g, %g): 0x%08x, expected face %u texel (%u, %u) 0x%08x",
                     (double)d[0], (double)d[1], (double)d[2], got, cube_cases[i].face,
                     cube_cases[i].x, cube_cases[i].y, want);
        }
    }
    /* the stage's ADDRESSU/V do not apply to cube maps: linear filtering
     * at a corner of the face with BORDER set still reads only the face */
    s.st.stages[0].mag_filter = s.st.stages[0].min_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    s.st.stages[0].address_u = s.st.stages[0].address_v = VGT_SVGA3D_TEX_ADDRESS_BORDER;
    s.st.stages[0].border_color = 0xff123456u;
    const_quad(&s, 1, 1, 1);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 1, 1), face_texel(0, 0, 0));
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

/* channel c (0 r, 1 g, 2 b) of 0xAARRGGBB */
static uint32_t ch(uint32_t px, int c)
{
    return (px >> (16 - 8 * c)) & 0xffu;
}

static void test_cube_linear(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 4, 4, false, 1);
    vgt_soft_surface *t = quadrant_cube();
    texture_stage(&s, t, VGT_SVGA3D_TEX_FILTER_LINEAR);
    /* +Z at its centre: s = t = 0.5, the four texels a quarter each */
    const_quad(&s, 0, 0, 1);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    uint32_t px = tscene_pixel(&s, 2, 1);
    assert_int_equal(ch(px, 0), 180u); /* face 4: 4 * 40 + 20 */
    assert_int_equal(ch(px, 1), 120u); /* (20 + 220) / 2 */
    assert_int_equal(ch(px, 2), 120u);
    /* s = (0.25 + 1)/2 = 0.625: u texel coordinate 1.25 - 0.5 = 0.75 of the
     * way to column 1 (20 + 0.75 * 200 = 170); t = 0.5 - 0.2/2 = 0.4 (tc =
     * -y): row 0.3 of the way (20 + 0.3 * 200 = 80) */
    const_quad(&s, 0.25f, 0.2f, 1);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    px = tscene_pixel(&s, 0, 3);
    assert_int_equal(ch(px, 1), 170u);
    assert_int_equal(ch(px, 2), 80u);
    /* point filtering at the same place: texel (1, 0) */
    s.st.stages[0].mag_filter = s.st.stages[0].min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 0, 3), face_texel(4, 1, 0));
    /* linear at the face's edge clamps to the face (no blending with -Y):
     * t = (0.998 + 1)/2 = 0.999 takes row 1 only, s = 0.5 both columns */
    s.st.stages[0].mag_filter = s.st.stages[0].min_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    const_quad(&s, 0, -0.998f, 1);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    px = tscene_pixel(&s, 3, 3);
    assert_int_equal(ch(px, 0), 180u);
    assert_int_equal(ch(px, 1), 120u);
    assert_int_equal(ch(px, 2), 220u);
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

static const uint32_t level_color[7] = {0xff800000u, 0xff008000u, 0xff000080u, 0xff808000u,
                                        0xff008080u, 0xff800080u, 0xff808080u};

static uint32_t px_level(uint32_t x, uint32_t y, uint32_t z, uint32_t m)
{
    (void)x;
    (void)y;
    (void)z;
    return level_color[m];
}

static void test_cube_mips(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    /* 64x64 faces, 7 levels, each level one color on every face */
    vgt_soft_surface *t = make_surface(VGT_SVGA3D_A8R8G8B8, 64, 64, 1, 6, 7);
    for (uint32_t f = 0; f < 6; f++) {
        for (uint32_t m = 0; m < 7; m++) {
            fill(t, f, m, px_level, m);
        }
    }
    texture_stage(&s, t, VGT_SVGA3D_TEX_FILTER_NEAREST);
    s.st.stages[0].mip_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    /* +Z, sc = x from -a to a across 16 pixels: ds/dx = a/16, 4a texels of
     * level 0 per pixel: a = 0.5 -> lambda 1, a = 1 -> lambda 2 */
    for (uint32_t lambda = 1; lambda <= 2; lambda++) {
        float a = lambda == 1 ? 0.5f : 1.0f;
        const float tc[4][3] = {{-a, 0.1f, 1}, {a, 0.1f, 1}, {-a, 0.1f, 1}, {a, 0.1f, 1}};
        full_quad(&s, tc, VGT_SVGA3D_DECLTYPE_FLOAT3);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        assert_int_equal(tscene_pixel(&s, 5, 7), level_color[lambda]);
    }
    /* the same footprint on -X (sc = +z, ma = -x) and along y (tc) */
    {
        const float tc[4][3] = {{-2, 0.5f, 0}, {-2, 0.5f, 0}, {-2, -0.5f, 0}, {-2, -0.5f, 0}};
        full_quad(&s, tc, VGT_SVGA3D_DECLTYPE_FLOAT3);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        /* dtc/dy = 1/16 with |ma| = 2: dt = 1/64 per pixel, 1 texel: lambda 0 */
        assert_int_equal(tscene_pixel(&s, 8, 8), level_color[0]);
        const float tc2[4][3] = {{-0.5f, 1, 0}, {-0.5f, 1, 0}, {-0.5f, -1, 0}, {-0.5f, -1, 0}};
        full_quad(&s, tc2, VGT_SVGA3D_DECLTYPE_FLOAT3);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        /* row 8 (y = 0, on -X since |x| >= |y|): dt = (2/16)/(2 * 0.5) = 1/8 per
         * pixel, 8 texels: lambda 3 */
        assert_int_equal(tscene_pixel(&s, 8, 8), level_color[3]);
    }
    /* only ma changes: +Z with sc = 0.9 and z from 1 to 5 across 16 pixels:
     * ds/dx = -sc * dz/dx / (2 z^2) = -0.1125 / z^2, times 64 texels: 7.2
     * (level 3) at pixel 0, 1.8 (level 1) at pixel 4 (z = 2), 0.45 (level 0)
     * at pixel 12 (z = 4) */
    {
        const float tc[4][3] = {{0.9f, 0, 1}, {0.9f, 0, 5}, {0.9f, 0, 1}, {0.9f, 0, 5}};
        full_quad(&s, tc, VGT_SVGA3D_DECLTYPE_FLOAT3);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        assert_int_equal(tscene_pixel(&s, 0, 3), level_color[3]);
        assert_int_equal(tscene_pixel(&s, 4, 3), level_color[1]);
        assert_int_equal(tscene_pixel(&s, 12, 3), level_color[0]);
    }
    /* LOD bias and max level */
    const float tc[4][3] = {{-0.5f, 0.1f, 1}, {0.5f, 0.1f, 1}, {-0.5f, 0.1f, 1}, {0.5f, 0.1f, 1}};
    full_quad(&s, tc, VGT_SVGA3D_DECLTYPE_FLOAT3);
    s.st.stages[0].lod_bias = 2.0f;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 5, 7), level_color[3]);
    s.st.stages[0].lod_bias = 0.0f;
    /* lambda 1 under MAXMIPLEVEL 4: level 4, the most detailed allowed
     * (Direct3D 9 clamps the level of detail to it; 4 + 1 was soft's
     * mistake before the shader differential test's LOD family) */
    s.st.stages[0].max_mip_level = 4;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 5, 7), level_color[4]);
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

static void test_cube_dxt(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 4, 4, false, 1);
    /* 4x4 DXT1 faces, each one solid block of a 565 color */
    static const uint16_t c565[6] = {0xf800, 0x07e0, 0x001f, 0xffe0, 0x07ff, 0xf81f};
    static const uint32_t argb[6] = {0xffff0000u, 0xff00ff00u, 0xff0000ffu,
                                     0xffffff00u, 0xff00ffffu, 0xffff00ffu};
    vgt_soft_surface *t = make_surface(VGT_SVGA3D_DXT1, 4, 4, 1, 6, 1);
    vgt_error err = {0};
    for (uint32_t f = 0; f < 6; f++) {
        uint8_t blk[8] = {(uint8_t)c565[f], (uint8_t)(c565[f] >> 8), (uint8_t)c565[f],
                          (uint8_t)(c565[f] >> 8)};
        vgt_soft_box b = {0, 0, 0, 4, 4, 1};
        assert_int_equal(vgt_soft_surface_upload(t, f, 0, &b, blk, 8, 0, 0, &err), VGT_OK);
    }
    texture_stage(&s, t, VGT_SVGA3D_TEX_FILTER_LINEAR);
    static const float dirs[6][3] = {{1, 0.2f, 0.1f}, {-1, 0, 0.3f}, {0.1f, 1, 0},
                                     {0, -1, 0.2f},   {0.3f, 0, 1},  {0, 0.4f, -1}};
    for (uint32_t f = 0; f < 6; f++) {
        const_quad(&s, dirs[f][0], dirs[f][1], dirs[f][2]);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        assert_int_equal(tscene_pixel(&s, 2, 2), argb[f]);
    }
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

static void test_cube_hostile(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 4, 4, false, 1);
    vgt_soft_surface *t = quadrant_cube();
    texture_stage(&s, t, VGT_SVGA3D_TEX_FILTER_LINEAR);
    s.st.stages[0].mip_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    /* a zero direction reads the centre of +X; NaN and infinities draw
     * something deterministic without faulting */
    const_quad(&s, 0, 0, 0);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    uint32_t px = tscene_pixel(&s, 1, 1);
    assert_int_equal(ch(px, 0), 20u);
    assert_int_equal(ch(px, 1), 120u);
    const float nan = __builtin_nanf(""), inf = __builtin_inff();
    const float odd[][3] = {{nan, 0, 0}, {inf, 1, 0}, {-inf, -inf, inf}, {1e38f, -1e38f, 3e38f}};
    for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        const float tc[4][3] = {{odd[i][0], odd[i][1], odd[i][2]},
                                {0, 0, 1e-30f},
                                {1, 1, 1},
                                {odd[i][2], odd[i][0], odd[i][1]}};
        full_quad(&s, tc, VGT_SVGA3D_DECLTYPE_FLOAT3);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    }
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

#define TT_STR                                                                                     \
    (VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_TRANSFORM_R)
#define TT_STRQ_PROJ (TT_STR | VGT_SVGA3D_TEX_TRANSFORM_Q | VGT_SVGA3D_TEX_PROJECTED)

/* Stage 0's TEXTURETRANSFORMFLAGS and matrix (row vectors) */
static void stage_transform(tscene *s, uint32_t flags, const float m[16])
{
    s->st.stages[0].transform_flags = flags;
    memcpy(s->st.stages[0].texture_transform.m, m, sizeof(s->st.stages[0].texture_transform.m));
}

static const float identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};

/* PROJECTED cube coordinates (vgt_svga3d_texcoord_plan_make): a FLOAT3 set
 * is (u, v, w, 1).  COUNT3 gives (u/w, v/w, 0): (1, 0.2, -2) reads
 * direction (-0.5, -0.1, 0), face -X, where undivided it would be +X and
 * with w kept +Z.  COUNT4 divides (u, v, w) by q: with q' = -1 the
 * direction turns round, (1, 0.2, 0.3) reads -X texel (0, 1). */
static void test_cube_projected(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 4, 4, false, 1);
    vgt_soft_surface *t = quadrant_cube();
    texture_stage(&s, t, VGT_SVGA3D_TEX_FILTER_NEAREST);
    const_quad(&s, -0.5f, -0.1f, 0.0f);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    uint32_t want = tscene_pixel(&s, 1, 1);
    assert_int_equal(want >> 16 & 0xffu, 60u); /* face 1, -X */
    stage_transform(&s, TT_STR | VGT_SVGA3D_TEX_PROJECTED, identity);
    const_quad(&s, 1.0f, 0.2f, -2.0f);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 1, 1), want);
    assert_int_equal(tscene_pixel(&s, 2, 3), want);
    const float turn[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -1};
    stage_transform(&s, TT_STRQ_PROJ, turn);
    const_quad(&s, 1.0f, 0.2f, 0.3f);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 1, 1), face_texel(1, 0, 1));
    assert_int_equal(tscene_pixel(&s, 3, 0), face_texel(1, 0, 1));
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

/* ---- volumes ------------------------------------------------------------------ */

static const uint32_t slice_color[4] = {0xff102030u, 0xff40c080u, 0xffa06010u, 0xffe0e0e0u};

static uint32_t px_slice(uint32_t x, uint32_t y, uint32_t z, uint32_t arg)
{
    (void)x;
    (void)y;
    (void)arg;
    return slice_color[z];
}

static vgt_soft_surface *slice_volume(void)
{
    vgt_soft_surface *t = make_surface(VGT_SVGA3D_A8R8G8B8, 4, 4, 4, 1, 1);
    fill(t, 0, 0, px_slice, 0);
    return t;
}

/* a + (b - a) * f of channel c, rounded as the renderer's 8-bit output */
static uint32_t mix(uint32_t a, uint32_t b, int c, float f)
{
    return (uint32_t)((float)ch(a, c) + ((float)ch(b, c) - (float)ch(a, c)) * f + 0.5f);
}

static uint32_t draw_at(tscene *s, float u, float v, float w)
{
    const_quad(s, u, v, w);
    tscene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    return tscene_pixel(s, 2, 1);
}

static void test_volume_slices(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 4, 4, false, 1);
    vgt_soft_surface *t = slice_volume();
    texture_stage(&s, t, VGT_SVGA3D_TEX_FILTER_NEAREST);
    for (uint32_t z = 0; z < 4; z++) {
        assert_int_equal(draw_at(&s, 0.3f, 0.6f, ((float)z + 0.4f) / 4.0f), slice_color[z]);
    }
    /* linear: w = 0.5 lies half way between slices 1 and 2 */
    s.st.stages[0].mag_filter = s.st.stages[0].min_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    uint32_t px = draw_at(&s, 0.3f, 0.6f, 0.5f);
    for (int c = 0; c < 3; c++) {
        assert_int_equal(ch(px, c), mix(slice_color[1], slice_color[2], c, 0.5f));
    }
    /* w = 0.3: 1.2 - 0.5 = 0.7 of the way from slice 0 to 1 */
    px = draw_at(&s, 0.3f, 0.6f, 0.3f);
    for (int c = 0; c < 3; c++) {
        assert_int_equal(ch(px, c), mix(slice_color[0], slice_color[1], c, 0.7f));
    }
    /* ADDRESSW: w = 1/16 blends slice -1 and 0 (a quarter of slice -1) */
    s.st.stages[0].address_w = VGT_SVGA3D_TEX_ADDRESS_WRAP;
    px = draw_at(&s, 0.3f, 0.6f, 0.0625f);
    for (int c = 0; c < 3; c++) {
        assert_int_equal(ch(px, c), mix(slice_color[3], slice_color[0], c, 0.75f));
    }
    s.st.stages[0].address_w = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    assert_int_equal(draw_at(&s, 0.3f, 0.6f, 0.0625f), slice_color[0]);
    /* point sampling past the end: wrap -> slice 0, clamp -> slice 3,
     * mirror -> slice 3 then 2, border -> the border color */
    s.st.stages[0].mag_filter = s.st.stages[0].min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    s.st.stages[0].address_w = VGT_SVGA3D_TEX_ADDRESS_WRAP;
    assert_int_equal(draw_at(&s, 0.3f, 0.6f, 1.1f), slice_color[0]);
    s.st.stages[0].address_w = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    assert_int_equal(draw_at(&s, 0.3f, 0.6f, 1.1f), slice_color[3]);
    s.st.stages[0].address_w = VGT_SVGA3D_TEX_ADDRESS_MIRROR;
    assert_int_equal(draw_at(&s, 0.3f, 0.6f, 1.4f), slice_color[2]);
    s.st.stages[0].address_w = VGT_SVGA3D_TEX_ADDRESS_BORDER;
    s.st.stages[0].border_color = 0xff654321u;
    assert_int_equal(draw_at(&s, 0.3f, 0.6f, 1.1f), 0xff654321u);
    /* ADDRESSU still applies to u of a volume */
    s.st.stages[0].address_w = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    s.st.stages[0].address_u = VGT_SVGA3D_TEX_ADDRESS_BORDER;
    assert_int_equal(draw_at(&s, -0.2f, 0.6f, 0.6f), 0xff654321u);
    s.st.stages[0].address_u = VGT_SVGA3D_TEX_ADDRESS_WRAP;
    /* a set declared FLOAT2 reads w = 0: slice 0 */
    const float tc[4][3] = {
        {0.5f, 0.5f, 0.9f}, {0.5f, 0.5f, 0.9f}, {0.5f, 0.5f, 0.9f}, {0.5f, 0.5f, 0.9f}};
    full_quad(&s, tc, VGT_SVGA3D_DECLTYPE_FLOAT2);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 3, 3), slice_color[0]);
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

static uint32_t px_vol_mips(uint32_t x, uint32_t y, uint32_t z, uint32_t m)
{
    (void)x;
    (void)y;
    return m == 1 ? slice_color[z] : level_color[m];
}

/* PROJECTED volume coordinates, divided per pixel after the
 * perspective-correct interpolation.  COUNT4: the set runs from (0, 0.5, 0)
 * on the left to (1, 0.5, 2.6) on the right and the matrix makes q' = 1 +
 * 2u, so pixel x (t = x / 4 across: Direct3D 9's pixel centres) reads w =
 * 2.6t / (1 + 2t): 0, 0.43, 0.65, 0.78, slices 0, 1, 2, 3 (divided at the
 * vertices 0, 0, 1, 2; not at all 0, 2, 1, 3 wrapped).  COUNT3 gives (u/w, v/w, 0): slice 0,
 * where w/w = 1 would clamp to slice 3. */
static void test_volume_projected(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 4, 4, false, 1);
    vgt_soft_surface *t = slice_volume();
    texture_stage(&s, t, VGT_SVGA3D_TEX_FILTER_NEAREST);
    s.st.stages[0].address_w = VGT_SVGA3D_TEX_ADDRESS_WRAP;
    const float q[16] = {1, 0, 0, 2, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    stage_transform(&s, TT_STRQ_PROJ, q);
    const float tc[4][3] = {{0, 0.5f, 0}, {1, 0.5f, 2.6f}, {0, 0.5f, 0}, {1, 0.5f, 2.6f}};
    full_quad(&s, tc, VGT_SVGA3D_DECLTYPE_FLOAT3);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    static const uint32_t slice[4] = {0, 1, 2, 3};
    for (uint32_t x = 0; x < 4; x++) {
        assert_int_equal(tscene_pixel(&s, x, 1), slice_color[slice[x]]);
        assert_int_equal(tscene_pixel(&s, x, 3), slice_color[slice[x]]);
    }
    s.st.stages[0].address_w = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    stage_transform(&s, TT_STR | VGT_SVGA3D_TEX_PROJECTED, identity);
    assert_int_equal(draw_at(&s, 0.3f, 0.6f, 0.7f), slice_color[0]);
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

static void test_volume_mips(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 4, false, 1);
    /* 8x8x8, 4 levels; level 1 (4x4x4: the depth halves too) has the four
     * slice colors, the others one color each */
    vgt_soft_surface *t = make_surface(VGT_SVGA3D_A8R8G8B8, 8, 8, 8, 1, 4);
    for (uint32_t m = 0; m < 4; m++) {
        fill(t, 0, m, px_vol_mips, m);
    }
    texture_stage(&s, t, VGT_SVGA3D_TEX_FILTER_NEAREST);
    s.st.stages[0].mip_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    /* only w changes: 1/4 per pixel = 2 texels of level 0 -> level 1;
     * pixel i at w = 1/16 + i/4: slice i mod 4 of level 1 */
    const float tc[4][3] = {
        {0.5f, 0.5f, 0.0625f}, {0.5f, 0.5f, 4.0625f}, {0.5f, 0.5f, 0.0625f}, {0.5f, 0.5f, 4.0625f}};
    full_quad(&s, tc, VGT_SVGA3D_DECLTYPE_FLOAT3);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    for (uint32_t x = 0; x < 16; x++) {
        assert_int_equal(tscene_pixel(&s, x, 2), slice_color[x % 4]);
    }
    /* twice the rate: 4 texels -> level 2 */
    const float tc2[4][3] = {{0.5f, 0.5f, 0}, {0.5f, 0.5f, 8}, {0.5f, 0.5f, 0}, {0.5f, 0.5f, 8}};
    full_quad(&s, tc2, VGT_SVGA3D_DECLTYPE_FLOAT3);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(tscene_pixel(&s, 9, 1), level_color[2]);
    vgt_soft_surface_destroy(t);
    tscene_fini(&s);
}

/* ---- shaders ------------------------------------------------------------------ */

static vgt_soft_shader *shader(uint32_t type, const char *text)
{
    uint32_t *words = NULL;
    size_t n = 0;
    vgt_error err = {0};
    if (vgt_shader_assemble(text, strlen(text), &words, &n, NULL, &err) != VGT_OK) {
        fail_msg("assemble: %s", err.message);
    }
    vgt_soft_shader *sh = NULL;
    assert_int_equal(vgt_soft_shader_create(type, words, n, &sh, &err), VGT_OK);
    free(words);
    return sh;
}

/* Reads the whole target. */
static void read_all(const tscene *s, uint32_t *out)
{
    for (uint32_t y = 0; y < s->h; y++) {
        for (uint32_t x = 0; x < s->w; x++) {
            out[y * s->w + x] = tscene_pixel(s, x, y);
        }
    }
}

/* Directions sweeping over +X, +Y, +Z, -Z and -Y across a 16x16 target. */
static void sweep(tscene *s)
{
    const float tc[4][3] = {
        {1, 1.2f, -0.8f}, {-0.3f, 0.7f, 1}, {0.9f, -0.4f, 0.6f}, {-1, -1.5f, -0.9f}};
    full_quad(s, tc, VGT_SVGA3D_DECLTYPE_FLOAT3);
}

static void test_shader_vs_fixed_function(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    uint32_t ff[256], got[256];
    vgt_soft_surface *cube = quadrant_cube(), *vol = slice_volume();
    struct {
        const char *what, *ps;
        vgt_soft_surface *tex;
    } cases[] = {
        {"ps_2_0 dcl_cube texld",
         "ps_2_0\ndcl t0.xyz\ndcl_cube s0\ntexld r0, t0, s0\nmov oC0, r0\n", cube},
        {"ps_3_0 dcl_cube texld",
         "ps_3_0\ndcl_texcoord v0.xyz\ndcl_cube s0\ntexld r0, v0, s0\nmov oC0, r0\n", cube},
        {"ps_1_1 tex on a cube", "ps_1_1\ntex t0\nmov r0, t0\n", cube},
        {"ps_2_0 dcl_volume texld",
         "ps_2_0\ndcl t0.xyz\ndcl_volume s0\ntexld r0, t0, s0\nmov oC0, r0\n", vol},
        {"ps_1_4 texld on a volume", "ps_1_4\ntexld r0, t0\n", vol},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (uint32_t filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
             filter <= VGT_SVGA3D_TEX_FILTER_LINEAR; filter++) {
            texture_stage(&s, cases[i].tex, filter);
            s.st.stages[0].address_w = VGT_SVGA3D_TEX_ADDRESS_WRAP;
            if (cases[i].tex == vol) {
                const float tc[4][3] = {{-0.2f, 0.1f, -0.3f},
                                        {1.1f, 0.4f, 0.4f},
                                        {0.3f, 0.9f, 0.8f},
                                        {0.7f, 1.3f, 1.6f}};
                full_quad(&s, tc, VGT_SVGA3D_DECLTYPE_FLOAT3);
            } else {
                sweep(&s);
            }
            s.st.ps_program = NULL;
            s.st.pixel_shader = 0;
            tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
            read_all(&s, ff);
            vgt_soft_shader *ps = shader(VGT_SVGA3D_SHADERTYPE_PS, cases[i].ps);
            s.st.ps_program = ps;
            s.st.pixel_shader = 1;
            vgt_soft_view cv = {s.rt, 0, 0};
            vgt_error err = {0};
            assert_int_equal(
                vgt_soft_clear(s.dev, &cv, NULL, VGT_SVGA3D_CLEAR_COLOR, 0, 1.0f, 0, NULL, 0, &err),
                VGT_OK);
            tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
            read_all(&s, got);
            s.st.ps_program = NULL;
            s.st.pixel_shader = 0;
            vgt_soft_shader_destroy(ps);
            uint32_t colors = 0;
            for (uint32_t p = 0; p < 256; p++) {
                if (got[p] != ff[p]) {
                    fail_msg("%s (filter %u): pixel (%u, %u) 0x%08x, fixed function 0x%08x",
                             cases[i].what, filter, p % 16, p / 16, got[p], ff[p]);
                }
                colors += p == 0 || ff[p] != ff[p - 1];
            }
            assert_true(colors >= 8); /* a real picture */
        }
    }
    /* fixed function behind a vertex shader: oT0's three components reach
     * the cube stage */
    texture_stage(&s, cube, VGT_SVGA3D_TEX_FILTER_LINEAR);
    sweep(&s);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    read_all(&s, ff);
    vgt_soft_shader *vs =
        shader(VGT_SVGA3D_SHADERTYPE_VS, "vs_2_0\ndcl_position v0\ndcl_texcoord v1\n"
                                         "mov oPos, v0\nmov oT0, v1\n");
    s.st.vs_program = vs;
    s.st.vertex_shader = 1;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    read_all(&s, got);
    s.st.vs_program = NULL;
    s.st.vertex_shader = 0;
    vgt_soft_shader_destroy(vs);
    assert_memory_equal(got, ff, sizeof(ff));
    vgt_soft_surface_destroy(cube);
    vgt_soft_surface_destroy(vol);
    tscene_fini(&s);
}

/* PROJECTED behind a vertex shader (vgt_svga3d_texcoord_plan_behind_vs):
 * the fixed-function stage divides the shader's oT0 as it is.  A shader
 * writing (x, y, z, -1) under COUNT4 | PROJECTED draws what fixed function
 * draws for (x, y, z, 1) times a matrix with q' = -1 (the directions turned
 * round); one writing (x, y, z, 1) under COUNT3 | PROJECTED what fixed
 * function draws for COUNT3 | PROJECTED with the identity: (x/z, y/z, 0). */
static void test_shader_vs_projected(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    uint32_t ff[256], got[256];
    vgt_soft_surface *cube = quadrant_cube();
    texture_stage(&s, cube, VGT_SVGA3D_TEX_FILTER_LINEAR);
    sweep(&s);
    static const struct {
        uint32_t flags;
        float q; /* q' of the fixed-function matrix */
        const char *vs;
    } cases[] = {
        {TT_STRQ_PROJ, -1.0f,
         "vs_2_0\ndcl_position v0\ndcl_texcoord v1\nmov oPos, v0\nmov oT0.xyz, v1\n"
         "mov oT0.w, -v1.w\n"},
        {TT_STR | VGT_SVGA3D_TEX_PROJECTED, 1.0f,
         "vs_2_0\ndcl_position v0\ndcl_texcoord v1\nmov oPos, v0\nmov oT0, v1\n"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        float m[16];
        memcpy(m, identity, sizeof(m));
        m[15] = cases[i].q;
        stage_transform(&s, cases[i].flags, m);
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        read_all(&s, ff);
        vgt_soft_shader *vs = shader(VGT_SVGA3D_SHADERTYPE_VS, cases[i].vs);
        s.st.vs_program = vs;
        s.st.vertex_shader = 1;
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        read_all(&s, got);
        s.st.vs_program = NULL;
        s.st.vertex_shader = 0;
        vgt_soft_shader_destroy(vs);
        assert_memory_equal(got, ff, sizeof(ff));
        uint32_t colors = 0;
        for (uint32_t p = 1; p < 256; p++) {
            colors += ff[p] != ff[p - 1];
        }
        assert_true(colors >= 8); /* a real picture */
    }
    stage_transform(&s, 0, identity);
    vgt_soft_surface_destroy(cube);
    tscene_fini(&s);
}

static void test_shader_lod_instructions(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    /* a 64x64 cube and an 8x8x8 volume, a color per level */
    vgt_soft_surface *cube = make_surface(VGT_SVGA3D_A8R8G8B8, 64, 64, 1, 6, 7);
    for (uint32_t f = 0; f < 6; f++) {
        for (uint32_t m = 0; m < 7; m++) {
            fill(cube, f, m, px_level, m);
        }
    }
    vgt_soft_surface *vol = make_surface(VGT_SVGA3D_A8R8G8B8, 8, 8, 8, 1, 4);
    for (uint32_t m = 0; m < 4; m++) {
        fill(vol, 0, m, px_level, m);
    }
    struct {
        const char *ps;
        bool volume;
        uint32_t level;
    } cases[] = {
        /* texld: +Z with x from -0.5 to 0.5: 2 texels a pixel -> level 1 */
        {"ps_2_0\ndcl t0.xyz\ndcl_cube s0\ntexld r0, t0, s0\nmov oC0, r0\n", false, 1},
        /* texldb: bias 2 -> level 3 */
        {"ps_2_0\ndef c0, 0, 0, 0, 2\ndcl t0.xyz\ndcl_cube s0\nmov r1.xyz, t0\nmov r1.w, c0.w\n"
         "texldb r0, r1, s0\nmov oC0, r0\n",
         false, 3},
        /* texldp: (2 * direction) / 2: level 1 */
        {"ps_2_0\ndef c0, 0, 0, 0, 2\ndcl t0.xyz\ndcl_cube s0\nmul r1.xyz, t0, c0.w\n"
         "mov r1.w, c0.w\ntexldp r0, r1, s0\nmov oC0, r0\n",
         false, 1},
        /* texldl: level from w */
        {"ps_3_0\ndef c0, 0, 0, 0, 5\ndcl_texcoord v0.xyz\ndcl_cube s0\nmov r1.xyz, v0\n"
         "mov r1.w, c0.w\ntexldl r0, r1, s0\nmov oC0, r0\n",
         false, 5},
        /* texldd: dsc/dx = 0.25 on a 64 face with ma = 1: 8 texels -> level 3 */
        {"ps_3_0\ndef c0, 0.25, 0, 0, 0\ndef c1, 0, 0, 0, 0\ndcl_texcoord v0.xyz\n"
         "dcl_cube s0\ntexldd r0, v0, s0, c0, c1\nmov oC0, r0\n",
         false, 3},
        /* volume texld: u changes 1/16 per pixel, 0.5 texel -> level 0 */
        {"ps_2_0\ndcl t0.xyz\ndcl_volume s0\ntexld r0, t0, s0\nmov oC0, r0\n", true, 0},
        {"ps_3_0\ndef c0, 0, 0, 0, 2\ndcl_texcoord v0.xyz\ndcl_volume s0\nmov r1.xyz, v0\n"
         "mov r1.w, c0.w\ntexldl r0, r1, s0\nmov oC0, r0\n",
         true, 2},
        /* texldd with dw/dx = 0.5: 4 texels of depth -> level 2 */
        {"ps_3_0\ndef c0, 0, 0, 0.5, 0\ndef c1, 0, 0, 0, 0\ndcl_texcoord v0.xyz\n"
         "dcl_volume s0\ntexldd r0, v0, s0, c0, c1\nmov oC0, r0\n",
         true, 2},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        texture_stage(&s, cases[i].volume ? vol : cube, VGT_SVGA3D_TEX_FILTER_NEAREST);
        s.st.stages[0].mip_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
        if (cases[i].volume) {
            const float tc[4][3] = {
                {0, 0.5f, 0.5f}, {1, 0.5f, 0.5f}, {0, 0.5f, 0.5f}, {1, 0.5f, 0.5f}};
            full_quad(&s, tc, VGT_SVGA3D_DECLTYPE_FLOAT3);
        } else {
            const float tc[4][3] = {
                {-0.5f, 0.1f, 1}, {0.5f, 0.1f, 1}, {-0.5f, 0.1f, 1}, {0.5f, 0.1f, 1}};
            full_quad(&s, tc, VGT_SVGA3D_DECLTYPE_FLOAT3);
        }
        vgt_soft_shader *ps = shader(VGT_SVGA3D_SHADERTYPE_PS, cases[i].ps);
        s.st.ps_program = ps;
        s.st.pixel_shader = 1;
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        s.st.ps_program = NULL;
        s.st.pixel_shader = 0;
        vgt_soft_shader_destroy(ps);
        uint32_t got = tscene_pixel(&s, 6, 9);
        if (got != level_color[cases[i].level]) {
            fail_msg("case %zu: 0x%08x, expected level %u (0x%08x)\n%s", i, got, cases[i].level,
                     level_color[cases[i].level], cases[i].ps);
        }
    }
    vgt_soft_surface_destroy(cube);
    vgt_soft_surface_destroy(vol);
    tscene_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cube_faces),          cmocka_unit_test(test_cube_linear),
        cmocka_unit_test(test_cube_mips),           cmocka_unit_test(test_cube_dxt),
        cmocka_unit_test(test_cube_hostile),        cmocka_unit_test(test_cube_projected),
        cmocka_unit_test(test_volume_slices),       cmocka_unit_test(test_volume_projected),
        cmocka_unit_test(test_volume_mips),         cmocka_unit_test(test_shader_vs_fixed_function),
        cmocka_unit_test(test_shader_vs_projected), cmocka_unit_test(test_shader_lod_instructions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
