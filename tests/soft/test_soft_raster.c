/* test_soft_raster.c - coverage, primitive types, clipping, culling, fill
 * and shade modes, determinism of the soft renderer. */
#include "soft_test_util.h"

#include <stdlib.h>
#include <string.h>

/* NDC coordinate of pixel-space X for a w-wide viewport at 0. */
static float ndc_x(float X, uint32_t w)
{
    return X / (float)w * 2.0f - 1.0f;
}
static float ndc_y(float Y, uint32_t h)
{
    return 1.0f - Y / (float)h * 2.0f;
}

/* Counts hits per pixel: additive blending of 1/255 per coverage. */
static void count_hits(const tscene *s, uint32_t hist[4])
{
    memset(hist, 0, 4 * sizeof(uint32_t));
    for (uint32_t y = 0; y < s->h; y++) {
        for (uint32_t x = 0; x < s->w; x++) {
            uint32_t g = (tscene_pixel(s, x, y) >> 8) & 0xff;
            hist[g > 3 ? 3 : g]++;
        }
    }
}

static void additive(tscene *s)
{
    s->st.blend_enable = true;
    s->st.src_blend = VGT_SVGA3D_BLENDOP_ONE;
    s->st.dst_blend = VGT_SVGA3D_BLENDOP_ONE;
}

static uint32_t lcg(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* A grid of (n+1)^2 points over pixel rect [X0,X1]x[Y0,Y1], interior points
 * jittered by up to `jitter` pixels (on a 1/16 grid when snap), triangulated
 * with alternating diagonals and alternating winding. */
static size_t tessellate(tvert *out, uint32_t n, float X0, float Y0, float X1, float Y1,
                         float jitter, uint32_t w, uint32_t h, uint32_t seed)
{
    float px[17][17], py[17][17];
    for (uint32_t j = 0; j <= n; j++) {
        for (uint32_t i = 0; i <= n; i++) {
            float x = X0 + (X1 - X0) * (float)i / (float)n;
            float y = Y0 + (Y1 - Y0) * (float)j / (float)n;
            if (i > 0 && i < n && j > 0 && j < n && jitter > 0) {
                x += ((float)(lcg(&seed) % 33) - 16.0f) / 16.0f * jitter;
                y += ((float)(lcg(&seed) % 33) - 16.0f) / 16.0f * jitter;
            }
            px[j][i] = x;
            py[j][i] = y;
        }
    }
    size_t k = 0;
    for (uint32_t j = 0; j < n; j++) {
        for (uint32_t i = 0; i < n; i++) {
            uint32_t idx[4][2] = {{i, j}, {i + 1, j}, {i + 1, j + 1}, {i, j + 1}};
            int tri[2][3];
            if ((i + j) & 1) {
                int a[2][3] = {{0, 1, 2}, {0, 2, 3}};
                memcpy(tri, a, sizeof(tri));
            } else {
                int a[2][3] = {{0, 1, 3}, {1, 2, 3}};
                memcpy(tri, a, sizeof(tri));
            }
            for (int t = 0; t < 2; t++) {
                /* the mesh must not fold over: each triangle keeps its orientation */
                uint32_t *a = idx[tri[t][0]], *b = idx[tri[t][1]], *c3 = idx[tri[t][2]];
                float area =
                    (px[b[1]][b[0]] - px[a[1]][a[0]]) * (py[c3[1]][c3[0]] - py[a[1]][a[0]]) -
                    (px[c3[1]][c3[0]] - px[a[1]][a[0]]) * (py[b[1]][b[0]] - py[a[1]][a[0]]);
                assert_true(area > 0.0f);
                for (int c = 0; c < 3; c++) {
                    /* every other triangle wound the other way round */
                    int cc = ((i + j + (uint32_t)t) & 1) ? 2 - c : c;
                    uint32_t *p = idx[tri[t][cc]];
                    tvert v = {ndc_x(px[p[1]][p[0]], w),
                               ndc_y(py[p[1]][p[0]], h),
                               0.5f,
                               0x01010101u,
                               0,
                               0};
                    out[k++] = v;
                }
            }
        }
    }
    return k;
}

static void check_exact_once(uint32_t n, float X0, float Y0, float X1, float Y1, float jitter,
                             uint32_t seed)
{
    tscene s;
    tscene_init(&s, 64, 64, false, 2);
    additive(&s);
    tvert *v = malloc(sizeof(tvert) * 6 * 16 * 16);
    size_t nv = tessellate(v, n, X0, Y0, X1, Y1, jitter, 64, 64, seed);
    tscene_use_tverts(&s, v, nv);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, (uint32_t)(nv / 3));
    uint32_t hist[4];
    count_hits(&s, hist);
    /* pixels whose center (x, y) lies in [X0, X1) x [Y0, Y1) */
    int64_t cx0 = (int64_t)X0 + ((float)(int64_t)X0 < X0),
            cx1 = (int64_t)X1 + ((float)(int64_t)X1 < X1);
    int64_t cy0 = (int64_t)Y0 + ((float)(int64_t)Y0 < Y0),
            cy1 = (int64_t)Y1 + ((float)(int64_t)Y1 < Y1);
    cx0 = cx0 < 0 ? 0 : cx0;
    cy0 = cy0 < 0 ? 0 : cy0;
    cx1 = cx1 > 64 ? 64 : cx1;
    cy1 = cy1 > 64 ? 64 : cy1;
    uint32_t expect = (uint32_t)((cx1 - cx0) * (cy1 - cy0));
    assert_int_equal(hist[2], 0); /* no pixel hit twice */
    assert_int_equal(hist[3], 0);
    assert_int_equal(hist[1], expect); /* no gap */
    free(v);
    tscene_fini(&s);
}

/* The top-left rule: a tessellated rectangle covers each pixel exactly once. */
static void test_top_left_full_screen_grid(void **state)
{
    (void)state;
    /* vertices and edges exactly on pixel centers: every tie is decided by the rule */
    check_exact_once(8, 0.0f, 0.0f, 64.0f, 64.0f, 0.0f, 1);
}

static void test_top_left_jittered(void **state)
{
    (void)state;
    /* jitter below a quarter of a cell, so that no triangle folds over */
    check_exact_once(8, 0.0f, 0.0f, 64.0f, 64.0f, 3.0f, 7);
    check_exact_once(16, 0.0f, 0.0f, 64.0f, 64.0f, 0.95f, 99);
    check_exact_once(5, 3.5f, 7.25f, 41.75f, 60.0f, 1.8f, 3);
    check_exact_once(3, 10.0f, 10.0f, 20.0f, 30.0f, 0.0f, 3);
}

/* A fan of thin triangles around a pixel center: the center is hit once. */
static void test_top_left_fan_around_center(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 64, 64, false, 1);
    additive(&s);
    tvert v[3 * 24];
    for (int i = 0; i < 24; i++) {
        /* corners on a square ring around (32, 32) so the fan is exact */
        static const float ring[24][2] = {
            {20, 20}, {26, 20}, {32, 20}, {38, 20}, {44, 20}, {44, 26}, {44, 32}, {44, 38},
            {44, 44}, {38, 44}, {32, 44}, {26, 44}, {20, 44}, {20, 38}, {20, 32}, {20, 26},
            {20, 20}, {20, 20}, {20, 20}, {20, 20}, {20, 20}, {20, 20}, {20, 20}, {20, 20}};
        int a = i % 16, b = (i + 1) % 16;
        if (i >= 16) {
            a = b = 0; /* degenerate: must draw nothing */
        }
        tvert c = {ndc_x(32, 64), ndc_y(32, 64), 0.5f, 0x01010101u, 0, 0};
        tvert p = {ndc_x(ring[a][0], 64), ndc_y(ring[a][1], 64), 0.5f, 0x01010101u, 0, 0};
        tvert q = {ndc_x(ring[b][0], 64), ndc_y(ring[b][1], 64), 0.5f, 0x01010101u, 0, 0};
        v[3 * i] = c;
        v[3 * i + 1] = p;
        v[3 * i + 2] = q;
    }
    tscene_use_tverts(&s, v, 72);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 24);
    uint32_t hist[4];
    count_hits(&s, hist);
    assert_int_equal(hist[2] + hist[3], 0);
    assert_int_equal(hist[1], 24 * 24);
    assert_int_equal((tscene_pixel(&s, 32, 32) >> 8) & 0xff, 1);
    tscene_fini(&s);
}

/* D3D9 pixel centers: a quad from X=0 to X=2 covers pixels 0 and 1 only;
 * a quad from 0.5 to 1.5 covers pixel 1 only (center 1.0 inside, 0.0 not). */
static void test_pixel_centers(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 8, 8, false, 1);
    tvert v[6];
    quad(v, ndc_x(0, 8), ndc_y(2, 8), ndc_x(2, 8), ndc_y(0, 8), 0.5f, 0xffffffffu);
    tscene_use_tverts(&s, v, 6);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            uint32_t expect = (x < 2 && y < 2) ? 0xffffffffu : 0xff000000u;
            assert_int_equal(tscene_pixel(&s, x, y), expect);
        }
    }
    tscene_fini(&s);
    tscene_init(&s, 8, 8, false, 1);
    quad(v, ndc_x(0.5f, 8), ndc_y(1.5f, 8), ndc_x(1.5f, 8), ndc_y(0.5f, 8), 0.5f, 0xffffffffu);
    tscene_use_tverts(&s, v, 6);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            uint32_t expect = (x == 1 && y == 1) ? 0xffffffffu : 0xff000000u;
            assert_int_equal(tscene_pixel(&s, x, y), expect);
        }
    }
    tscene_fini(&s);
}

static const uint32_t palette[6] = {0xffff4040u, 0xff40ff40u, 0xff4040ffu,
                                    0xffffff40u, 0xff40ffffu, 0xffff40ffu};

/* Vertices on a circle in a cell: used for every primitive type. */
static void ring_verts(tvert *v, int n, float r)
{
    for (int i = 0; i < n; i++) {
        float a = (float)i / (float)n * 6.2831853f;
        /* cos/sin by a small table-free approximation is not needed: use libm
         * here; only the renderer has to be deterministic */
        float c = __builtin_cosf(a), sn = __builtin_sinf(a);
        tvert t = {r * c, r * sn, 0.5f, palette[i % 6], 0, 0};
        v[i] = t;
    }
}

static void test_primitive_types(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 128, 128, false, 2);
    tvert v[16];
    /* triangle list: two triangles */
    tscene_cell(&s, 4, 0, 0);
    ring_verts(v, 6, 0.9f);
    tscene_use_tverts(&s, v, 6);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    /* triangle strip: a band */
    tscene_cell(&s, 4, 1, 0);
    for (int i = 0; i < 8; i++) {
        tvert t = {
            -0.9f + 0.25f * (float)(i / 2), (i & 1) ? -0.6f : 0.6f, 0.5f, palette[i % 6], 0, 0};
        v[i] = t;
    }
    tscene_use_tverts(&s, v, 8);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 6);
    /* triangle fan: hub + ring */
    tscene_cell(&s, 4, 2, 0);
    tvert hub = {0, 0, 0.5f, 0xffffffffu, 0, 0};
    v[0] = hub;
    ring_verts(v + 1, 8, 0.9f);
    v[9] = v[1];
    tscene_use_tverts(&s, v, 10);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN, 8);
    /* line list */
    tscene_cell(&s, 4, 3, 0);
    ring_verts(v, 12, 0.9f);
    tscene_use_tverts(&s, v, 12);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_LINELIST, 6);
    /* line strip */
    tscene_cell(&s, 4, 0, 1);
    ring_verts(v, 7, 0.9f);
    tscene_use_tverts(&s, v, 7);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_LINESTRIP, 6);
    /* point list, sizes 1 and 3 */
    tscene_cell(&s, 4, 1, 1);
    ring_verts(v, 12, 0.8f);
    tscene_use_tverts(&s, v, 12);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 12);
    tscene_cell(&s, 4, 2, 1);
    s.st.point_size = 3.0f;
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 12);
    s.st.point_size = 1.0f;
    /* flat shading of a list, a strip and a fan */
    s.st.shade_mode = VGT_SVGA3D_SHADEMODE_FLAT;
    tscene_cell(&s, 4, 3, 1);
    v[0] = hub;
    ring_verts(v + 1, 8, 0.9f);
    v[9] = v[1];
    tscene_use_tverts(&s, v, 10);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN, 8);
    /* wireframe and point fill */
    s.st.shade_mode = VGT_SVGA3D_SHADEMODE_SMOOTH;
    s.st.fill_mode = VGT_SVGA3D_FILLMODE_LINE;
    tscene_cell(&s, 4, 0, 2);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN, 8);
    s.st.fill_mode = VGT_SVGA3D_FILLMODE_POINT;
    tscene_cell(&s, 4, 1, 2);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN, 8);
    s.st.fill_mode = VGT_SVGA3D_FILLMODE_FILL;
    /* indexed: 16-bit and 32-bit indices, with base vertex */
    tscene_cell(&s, 4, 2, 2);
    ring_verts(v, 8, 0.9f);
    tscene_use_tverts(&s, v, 8);
    uint16_t i16[6] = {0, 2, 4, 4, 6, 0};
    vgt_error err = {0};
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, i16, sizeof(i16), 2, NULL, &err),
        VGT_OK);
    tscene_cell(&s, 4, 3, 2);
    uint32_t i32[6] = {0, 1, 2, 3, 4, 5};
    vgt_soft_draw_call c = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, (const uint8_t *)i32, sizeof(i32), 0, 4, 2};
    assert_int_equal(vgt_soft_draw(s.dev, &s.st, &c, NULL, &err), VGT_OK);
    tscene_check_golden(&s, "primitives");
    tscene_fini(&s);
}

/* Point fill under flat shading: the three points of a triangle take its
 * first vertex's colour, as its lines do under line fill (Direct3D 9's
 * flat shading; GL's polygon mode point agrees, and the gl backend drew
 * it so: the differential test found soft giving each point its own). */
static void test_point_fill_flat(void **state)
{
    (void)state;
    static const uint32_t col[3] = {0xffff0000u, 0xff00ff00u, 0xff0000ffu};
    static const float px[3] = {2.25f, 12.25f, 4.25f}, py[3] = {2.25f, 3.25f, 12.25f};
    for (int flat = 0; flat < 2; flat++) {
        tscene s;
        tscene_init(&s, 16, 16, false, 1);
        tvert v[3];
        for (int i = 0; i < 3; i++) {
            tvert t = {ndc_x(px[i], 16), ndc_y(py[i], 16), 0.5f, col[i], 0, 0};
            v[i] = t;
        }
        tscene_use_tverts(&s, v, 3);
        s.st.cull_face = VGT_SVGA3D_FACE_NONE;
        s.st.fill_mode = VGT_SVGA3D_FILLMODE_POINT;
        s.st.shade_mode = flat ? VGT_SVGA3D_SHADEMODE_FLAT : VGT_SVGA3D_SHADEMODE_SMOOTH;
        tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1);
        uint32_t lit = 0;
        for (uint32_t y = 0; y < 16; y++) {
            for (uint32_t x = 0; x < 16; x++) {
                lit += tscene_pixel(&s, x, y) != 0xff000000u;
            }
        }
        assert_int_equal(lit, 3);
        for (int i = 0; i < 3; i++) {
            assert_int_equal(tscene_pixel(&s, (uint32_t)px[i], (uint32_t)py[i]),
                             flat ? col[0] : col[i]);
        }
        tscene_fini(&s);
    }
}

/* D3D9 culling: default D3DCULL_CCW culls triangles that are counter-clockwise on screen. */
static void test_cull(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 16, 16, false, 1);
    tvert cw[3] = {{-1, 1, 0.5f, 0xffffffffu, 0, 0},
                   {1, 1, 0.5f, 0xffffffffu, 0, 0},
                   {-1, -1, 0.5f, 0xffffffffu, 0, 0}}; /* TL, TR, BL: clockwise on screen */
    tvert ccw[3] = {cw[0], cw[2], cw[1]};
    vgt_soft_draw_stats st;
    vgt_error err = {0};
    s.st.cull_face = VGT_SVGA3D_FACE_BACK; /* = D3DCULL_CCW */
    tscene_use_tverts(&s, ccw, 3);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NULL, 0, 0, &st, &err), VGT_OK);
    assert_int_equal(st.primitives_culled, 1);
    assert_int_equal(st.pixels_passed, 0);
    tscene_use_tverts(&s, cw, 3);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NULL, 0, 0, &st, &err), VGT_OK);
    assert_int_equal(st.primitives_culled, 0);
    /* TL (0,0), TR (16,0), BL (0,16): centers with x + y < 16 (the
     * hypotenuse is a right edge and excludes its ties) */
    assert_int_equal(st.pixels_passed, 16 * 17 / 2);
    assert_int_equal(tscene_pixel(&s, 0, 0), 0xffffffffu);
    /* D3DCULL_CW: cull_face FRONT with front = CW */
    s.st.cull_face = VGT_SVGA3D_FACE_FRONT;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NULL, 0, 0, &st, &err), VGT_OK);
    assert_int_equal(st.primitives_culled, 1);
    /* front winding CCW flips it */
    s.st.front_winding = VGT_SVGA3D_FRONTWINDING_CCW;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NULL, 0, 0, &st, &err), VGT_OK);
    assert_int_equal(st.primitives_culled, 0);
    tscene_fini(&s);
}

static void perspective(vgt_soft_matrix *m, float zn, float zf)
{
    /* D3DXMatrixPerspectiveFovLH with fov 90 degrees, aspect 1 */
    memset(m, 0, sizeof(*m));
    m->m[0][0] = 1.0f;
    m->m[1][1] = 1.0f;
    m->m[2][2] = zf / (zf - zn);
    m->m[2][3] = 1.0f;
    m->m[3][2] = -zn * zf / (zf - zn);
}

/* A triangle that crosses the near plane, one that crosses the far plane,
 * one far beyond the guard band, and a user clip plane. */
static void test_clipping(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 64, 64, true, 2);
    perspective(&s.st.projection, 1.0f, 10.0f);
    vgt_soft_draw_stats st;
    vgt_error err = {0};
    tscene_cell(&s, 2, 0, 0);
    /* a floor: from z = 0.2 (behind near) to z = 8 */
    tvert floor_[6] = {{-2, -1, 0.2f, 0xffff0000u, 0, 0}, {2, -1, 0.2f, 0xff00ff00u, 0, 0},
                       {2, -1, 8.0f, 0xff0000ffu, 0, 0},  {-2, -1, 0.2f, 0xffff0000u, 0, 0},
                       {2, -1, 8.0f, 0xff0000ffu, 0, 0},  {-2, -1, 8.0f, 0xffffffffu, 0, 0}};
    /* note: these are wound counter-clockwise for a floor seen from above;
     * culling is off */
    tscene_use_tverts(&s, floor_, 6);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, &st, &err), VGT_OK);
    assert_int_equal(st.primitives_clipped, 0);
    assert_true(st.pixels_passed > 0);
    /* far plane crossing: a wall going from z = 5 to z = 20 */
    tscene_cell(&s, 2, 1, 0);
    tvert wall[6] = {{-1, -1, 5.0f, 0xffffff00u, 0, 0}, {1, 1, 20.0f, 0xff00ffffu, 0, 0},
                     {1, -1, 20.0f, 0xffff00ffu, 0, 0}, {-1, -1, 5.0f, 0xffffff00u, 0, 0},
                     {-1, 1, 5.0f, 0xffffff00u, 0, 0},  {1, 1, 20.0f, 0xff00ffffu, 0, 0}};
    tscene_use_tverts(&s, wall, 6);
    tscene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    /* beyond the guard band: a huge triangle in NDC with w = 1 */
    vgt_soft_matrix id;
    memset(&id, 0, sizeof(id));
    for (int i = 0; i < 4; i++) {
        id.m[i][i] = 1.0f;
    }
    s.st.projection = id;
    tscene_cell(&s, 2, 0, 1);
    tvert huge[3] = {{-3000, -3000, 0.5f, 0xffff0000u, 0, 0},
                     {3000, -3000, 0.5f, 0xff00ff00u, 0, 0},
                     {0, 3000, 0.5f, 0xff0000ffu, 0, 0}};
    tscene_use_tverts(&s, huge, 3);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NULL, 0, 0, &st, &err), VGT_OK);
    assert_int_equal(st.pixels_passed, 32 * 32); /* covers the whole cell */
    /* user clip plane x >= 0 (world space): only the right half */
    tscene_cell(&s, 2, 1, 1);
    s.st.clip_plane_enable = 1;
    s.st.clip_planes[0][0] = 1.0f;
    tvert q[6];
    quad(q, -0.9f, -0.9f, 0.9f, 0.9f, 0.5f, 0xffffffffu);
    tscene_use_tverts(&s, q, 6);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, &st, &err), VGT_OK);
    assert_int_equal(tscene_pixel(&s, 32 + 8, 32 + 16), 0xff000000u);
    assert_int_equal(tscene_pixel(&s, 32 + 24, 32 + 16), 0xffffffffu);
    s.st.clip_plane_enable = 0;
    tscene_check_golden(&s, "clipping");
    tscene_fini(&s);
}

/* A line crossing the near plane is clipped, not dropped. */
static void test_line_clip(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 32, 32, false, 1);
    tvert l[2] = {{-0.5f, 0.0f, -1.0f, 0xffffffffu, 0, 0}, {0.5f, 0.0f, 0.5f, 0xffffffffu, 0, 0}};
    tscene_use_tverts(&s, l, 2);
    vgt_soft_draw_stats st;
    vgt_error err = {0};
    assert_int_equal(tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_LINELIST, 1, NULL, 0, 0, &st, &err),
                     VGT_OK);
    /* z goes from -1 to 0.5: the part with z >= 0 is x in [1/6, 0.5] -> X in [18.67, 24) */
    assert_int_equal(st.pixels_passed, 24 - 19);
    tscene_fini(&s);
}

static uint32_t checker(uint32_t x, uint32_t y, uint32_t m)
{
    (void)m;
    return ((x / 4 + y / 4) & 1) ? 0xffe0c020u : 0xff2040a0u;
}

static void draw_busy_scene(tscene *s, vgt_soft_surface *tex)
{
    vgt_soft_view cv = {s->rt, 0, 0}, dv = {s->ds, 0, 0};
    vgt_error err = {0};
    assert_int_equal(vgt_soft_clear(s->dev, &cv, &dv, 7, 0xff102030u, 1.0f, 0, NULL, 0, &err),
                     VGT_OK);
    uint32_t seed = 5;
    tvert *v = malloc(sizeof(tvert) * 3 * 400);
    for (int i = 0; i < 400 * 3; i++) {
        tvert t = {(float)(lcg(&seed) % 2001) / 1000.0f - 1.0f,
                   (float)(lcg(&seed) % 2001) / 1000.0f - 1.0f,
                   (float)(lcg(&seed) % 1000) / 1000.0f,
                   lcg(&seed) | 0x40000000u,
                   (float)(lcg(&seed) % 400) / 100.0f,
                   (float)(lcg(&seed) % 400) / 100.0f};
        v[i] = t;
    }
    s->st.stages[0].texture = tex;
    s->st.stages[0].color_op = VGT_SVGA3D_TC_MODULATE;
    s->st.stages[0].color_arg1 = VGT_SVGA3D_TA_TEXTURE;
    s->st.stages[0].color_arg2 = VGT_SVGA3D_TA_DIFFUSE;
    s->st.stages[0].mag_filter = s->st.stages[0].min_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    s->st.blend_enable = true;
    s->st.src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
    s->st.dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
    tscene_use_tverts(s, v, 1200);
    tscene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 400);
    free(v);
}

/* The same scene rendered twice, and with 1 and 2 threads, gives identical bytes. */
static void test_deterministic(void **state)
{
    (void)state;
    vgt_soft_surface *tex = make_texture(32, 32, 1, checker);
    uint8_t *img[3];
    for (int run = 0; run < 3; run++) {
        tscene s;
        tscene_init(&s, 128, 128, true, run == 2 ? 1 : 2);
        draw_busy_scene(&s, tex);
        img[run] = malloc(128 * 128 * 4);
        vgt_soft_box b = {0, 0, 0, 128, 128, 1};
        vgt_error err = {0};
        assert_int_equal(
            vgt_soft_surface_download(s.rt, 0, 0, &b, img[run], 128 * 128 * 4, 0, 0, &err), VGT_OK);
        if (run == 0) {
            tscene_check_golden(&s, "busy_scene");
        }
        tscene_fini(&s);
    }
    assert_memory_equal(img[0], img[1], 128 * 128 * 4);
    assert_memory_equal(img[0], img[2], 128 * 128 * 4);
    for (int i = 0; i < 3; i++) {
        free(img[i]);
    }
    vgt_soft_surface_destroy(tex);
}

/* Scissor and viewport bound the pixels. */
static void test_scissor_viewport(void **state)
{
    (void)state;
    tscene s;
    tscene_init(&s, 32, 32, false, 1);
    tvert q[6];
    quad(q, -2, -2, 2, 2, 0.5f, 0xffffffffu); /* larger than the viewport */
    tscene_use_tverts(&s, q, 6);
    s.st.viewport = (vgt_soft_rect){4, 4, 16, 16};
    s.st.scissor_enable = true;
    s.st.scissor = (vgt_soft_rect){10, 0, 100, 12};
    vgt_soft_draw_stats st;
    vgt_error err = {0};
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, &st, &err), VGT_OK);
    /* x in [10, 20), y in [4, 12) */
    assert_int_equal(st.pixels_passed, 10 * 8);
    assert_int_equal(tscene_pixel(&s, 10, 4), 0xffffffffu);
    assert_int_equal(tscene_pixel(&s, 9, 4), 0xff000000u);
    assert_int_equal(tscene_pixel(&s, 19, 11), 0xffffffffu);
    assert_int_equal(tscene_pixel(&s, 20, 11), 0xff000000u);
    assert_int_equal(tscene_pixel(&s, 19, 12), 0xff000000u);
    tscene_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top_left_full_screen_grid),
        cmocka_unit_test(test_top_left_jittered),
        cmocka_unit_test(test_top_left_fan_around_center),
        cmocka_unit_test(test_pixel_centers),
        cmocka_unit_test(test_primitive_types),
        cmocka_unit_test(test_point_fill_flat),
        cmocka_unit_test(test_cull),
        cmocka_unit_test(test_clipping),
        cmocka_unit_test(test_line_clip),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_scissor_viewport),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
