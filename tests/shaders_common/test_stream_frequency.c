/* test_stream_frequency.c - Direct3D 9's vertex stream frequency (a
 * DRAW_PRIMITIVES divisor count k > 1 without INDEXED_DATA or
 * INSTANCE_DATA: the element is read every k vertices) through the
 * executor, built for both backends (test_soft_stream_frequency,
 * test_gl_stream_frequency with SHT_BACKEND_GL): a color stream divided by
 * 3 gives each triangle of a list one flat color; a first vertex of 5 reads
 * element 5 / 3 + i / 3 (the start vertex divided on its own); a position
 * stream divided by 2 places the triangles (the geometry checked pixel by
 * pixel); a vs_2_0 and an indexed draw ignore the divisor, as D3D9 does;
 * on gl, every scene against the soft reference.  docs/executor.md "Vertex
 * stream frequency". */
#include "sht_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 32u /* A8R8G8B8 target: cell i is x = 8i .. 8i + 7 */
#define H 8u

#define OFF_COL 2048u /* D3DCOLORs in the vertex buffer */
#define OFF_AUX 3072u /* a second FLOAT4 stream */

static const uint32_t colors[6] = {0xFFFF0000u, 0xFF00FF00u, 0xFF0000FFu,
                                   0xFFFFFF00u, 0xFF00FFFFu, 0xFFFF00FFu};

typedef sht_decl decl;

static uint32_t img[W * H];

static void read_rt(sht_fx *f)
{
    memcpy(img, sht_download(f, SHT_SID_RT8, 0, 4, W, H), sizeof(img));
}

static uint32_t px(uint32_t x, uint32_t y)
{
    return img[y * W + x];
}

/* Clip-space position of pixel corner (x, y). */
static void at(float *v, float x, float y)
{
    v[0] = x / (W / 2.0f) - 1.0f;
    v[1] = 1.0f - y / (H / 2.0f);
    v[2] = 0.5f;
    v[3] = 1.0f;
}

static void define_shaders(sht_fx *f, const char *vs, const char *ps)
{
    vgt_error err = {0};
    if (sht_define_asm(f, VGT_SVGA3D_SHADERTYPE_VS, 1, vs, &err) != VGT_OK ||
        sht_define_asm(f, VGT_SVGA3D_SHADERTYPE_PS, 2, ps, &err) != VGT_OK) {
        fail_msg("shader: %s", err.message);
    }
    sht_bind(f, VGT_SVGA3D_SHADERTYPE_VS, 1);
    sht_bind(f, VGT_SVGA3D_SHADERTYPE_PS, 2);
}

static const char *const vs30_color = "vs_3_0\n"
                                      "dcl_position v0\n"
                                      "dcl_color v1\n"
                                      "dcl_position o0\n"
                                      "dcl_color o1\n"
                                      "mov o0, v0\n"
                                      "mov o1, v1\n";

static const char *const ps30_color = "ps_3_0\n"
                                      "dcl_color v0\n"
                                      "mov oC0, v0\n";

static const char *const vs20_color = "vs_2_0\n"
                                      "dcl_position v0\n"
                                      "dcl_color v1\n"
                                      "mov oPos, v0\n"
                                      "mov oD0, v1\n";

static const char *const ps20_color = "ps_2_0\n"
                                      "dcl v0\n"
                                      "mov oC0, v0\n";

static const decl color_decls[2] = {
    {VGT_SVGA3D_DECLTYPE_FLOAT4, VGT_SVGA3D_DECLUSAGE_POSITION, 0, 0, 16},
    {VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR, 0, OFF_COL, 4},
};

/* `junk` vertices far away, then triangle i of n at cell i: its corners
 * (8i, 0), (8i + 8, 0), (8i, 8), the cell's upper left half; ncols colors
 * at OFF_COL; indices 0..11 after `junk`. */
static void upload_triangles(sht_fx *f, uint32_t junk, uint32_t n, const uint32_t *cols,
                             uint32_t ncols)
{
    static uint8_t vb[4096];
    memset(vb, 0, sizeof(vb));
    float v[4];
    for (uint32_t j = 0; j < junk; j++) {
        at(v, 1000.0f, 1000.0f);
        memcpy(vb + 16u * j, v, 16);
    }
    for (uint32_t i = 0; i < n; i++) {
        const float c[3][2] = {{8.0f * i, 0}, {8.0f * i + 8, 0}, {8.0f * i, 8}};
        for (uint32_t k = 0; k < 3; k++) {
            at(v, c[k][0], c[k][1]);
            memcpy(vb + 16u * (junk + 3 * i + k), v, 16);
        }
    }
    memcpy(vb + OFF_COL, cols, 4u * ncols);
    sht_upload(f, SHT_SID_VB, 0, vb, sizeof(vb), sizeof(vb), 1);
    uint16_t idx[12];
    for (uint16_t i = 0; i < 12; i++) {
        idx[i] = (uint16_t)(junk + i);
    }
    sht_upload(f, SHT_SID_IB, 0, idx, sizeof(idx), sizeof(idx), 1);
}

/* Triangle i (its cell's upper left half) is want[i]: pixels (8i + 1, 1),
 * (8i + 5, 1), (8i + 1, 5) and (8i + 3, 3); the lower right corner
 * (8i + 6, 6) clear. */
static void expect_flat(const char *what, const uint32_t *want, uint32_t n)
{
    static const uint32_t in[4][2] = {{1, 1}, {5, 1}, {1, 5}, {3, 3}};
    for (uint32_t i = 0; i < W / 8u; i++) {
        for (uint32_t k = 0; k < 4; k++) {
            uint32_t x = 8 * i + in[k][0], y = in[k][1];
            uint32_t w = i < n ? want[i] : 0;
            if (px(x, y) != w) {
                fail_msg("%s: pixel (%u, %u) is 0x%08x, want 0x%08x (triangle %u)", what, x, y,
                         px(x, y), w, i);
            }
        }
        if (px(8 * i + 6, 6) != 0) {
            fail_msg("%s: (%u, 6) is 0x%08x outside the triangles", what, 8 * i + 6,
                     px(8 * i + 6, 6));
        }
    }
}

/* ---- a color stream divided by 3 ------------------------------------------ */

/* 4 triangles from vertex 0, the colors divided by 3: element i/3 */
static void scene_flat(sht_fx *f)
{
    sht_scene_rgba8(f, W, H);
    upload_triangles(f, 0, 4, colors, 6);
    define_shaders(f, vs30_color, ps30_color);
    const uint32_t div[2] = {0, 3};
    sht_draw_decls_ok(f, color_decls, 2, div, 2, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4, false, 0);
}

static void test_color_divided_by_3(void **state)
{
    sht_fx *f = *state;
    scene_flat(f);
    read_rt(f);
    expect_flat("divisor 3", colors, 4);
}

/* 3 triangles from vertex 5 (5 junk vertices before): vertex i of the range
 * reads color 5 / 3 + i / 3 = 1 + i / 3, so triangle i is flat in color
 * i + 1 ((5 + i) / 3 would give triangle 0 colors 1, 2, 2). */
static void scene_first_vertex(sht_fx *f)
{
    sht_scene_rgba8(f, W, H);
    upload_triangles(f, 5, 3, colors, 6);
    define_shaders(f, vs30_color, ps30_color);
    const uint32_t div[2] = {0, 3};
    sht_draw_decls_ok(f, color_decls, 2, div, 2, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3, false, 5);
}

static void test_first_vertex(void **state)
{
    sht_fx *f = *state;
    scene_first_vertex(f);
    read_rt(f);
    expect_flat("first vertex 5", colors + 1, 3);
}

/* Counts 0 and 1 without either bit read every vertex: triangle 0's
 * corners red, red, red, triangle 1's blue, green, green (divided by 3 both
 * would be flat red). */
static void test_count_0_and_1(void **state)
{
    sht_fx *f = *state;
    static const uint32_t every[2] = {0, 1};
    const uint32_t per_vertex[6] = {colors[0], colors[0], colors[0],
                                    colors[2], colors[1], colors[1]};
    for (uint32_t c = 0; c < 2; c++) {
        sht_scene_rgba8(f, W, H);
        upload_triangles(f, 0, 2, per_vertex, 6);
        define_shaders(f, vs30_color, ps30_color);
        const uint32_t div[2] = {0, every[c]};
        sht_draw_decls_ok(f, color_decls, 2, div, 2, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, false,
                          0);
        read_rt(f);
        assert_int_equal(px(1, 1), colors[0]);
        assert_int_equal(px(3, 3), colors[0]);
        assert_int_not_equal(px(9, 1), px(9, 5)); /* near blue, near green */
    }
}

/* ---- D3D9 ignores it for vs_2_0 and indexed draws -------------------------- */

/* scene_flat's draw with a vs_2_0, then indexed with the vs_3_0: read per
 * vertex, triangle 1's corners are colors 3, 4, 5 (near (8, 0) yellow, near
 * (8, 8) magenta), not flat green. */
static void scene_vs20(sht_fx *f)
{
    sht_scene_rgba8(f, W, H);
    upload_triangles(f, 0, 2, colors, 6);
    define_shaders(f, vs20_color, ps20_color);
    const uint32_t div[2] = {0, 3};
    sht_draw_decls_ok(f, color_decls, 2, div, 2, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, false, 0);
}

static void scene_indexed(sht_fx *f)
{
    sht_scene_rgba8(f, W, H);
    upload_triangles(f, 0, 2, colors, 6);
    define_shaders(f, vs30_color, ps30_color);
    const uint32_t div[2] = {0, 3};
    sht_draw_decls_ok(f, color_decls, 2, div, 2, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, true, 0);
}

static void expect_per_vertex(const char *what)
{
    /* triangle 0: colors 0, 1, 2 at its corners; triangle 1: 3, 4, 5 */
    if (px(1, 1) == colors[0] && px(1, 5) == colors[0]) {
        fail_msg("%s: triangle 0 is flat: the divisor was applied", what);
    }
    uint32_t a = px(9, 1), b = px(9, 6);
    /* near corner (8, 0) mostly yellow (R + G), near (8, 8) mostly
     * magenta (R + B) */
    if (((a >> 8) & 0xFF) < 0x80 || ((b & 0xFF) < 0x80)) {
        fail_msg("%s: triangle 1 at (9, 1) 0x%08x, (9, 6) 0x%08x: not its corners' colors", what, a,
                 b);
    }
}

static void test_vs20_ignores(void **state)
{
    sht_fx *f = *state;
    scene_vs20(f);
    read_rt(f);
    expect_per_vertex("vs_2_0");
}

static void test_indexed_ignores(void **state)
{
    sht_fx *f = *state;
    scene_indexed(f);
    read_rt(f);
    expect_per_vertex("indexed");
}

/* ---- a position stream divided by 2 ---------------------------------------- */

static const char *const vs30_offset = "vs_3_0\n"
                                       "dcl_position v0\n"
                                       "dcl_texcoord v1\n"
                                       "dcl_position o0\n"
                                       "add o0, v0, v1\n";

static const char *const ps30_white = "ps_3_0\n"
                                      "def c0, 1, 1, 1, 1\n"
                                      "mov oC0, c0\n";

/* 6 vertices of a triangle list: POSITION divided by 2 (bases B0 B0 B1 B1
 * B2 B2), a per-vertex TEXCOORD offset added by the shader.  B0 = (0, 0),
 * B1 = (0, 8), B2 = (16, 0); the offsets make triangle 0 (0, 0) (8, 0)
 * (0, 8) and triangle 1 (16, 0) (24, 0) (16, 8): the upper left halves of
 * cells 0 and 2.  Read per vertex, the bases would be B0..B5. */
static void scene_position(sht_fx *f)
{
    sht_scene_rgba8(f, W, H);
    static uint8_t vb[4096];
    memset(vb, 0, sizeof(vb));
    const float base[3][2] = {{0, 0}, {0, 8}, {16, 0}};
    for (uint32_t j = 0; j < 3; j++) {
        float v[4];
        at(v, base[j][0], base[j][1]);
        memcpy(vb + 16u * j, v, 16);
    }
    /* bases past the three: far away, for a reader that does not divide */
    for (uint32_t j = 3; j < 6; j++) {
        float v[4];
        at(v, 1000.0f, 1000.0f);
        memcpy(vb + 16u * j, v, 16);
    }
    /* pixel offsets of the vertices from their bases */
    const float off[6][2] = {{0, 0}, {8, 0}, {0, 0}, {16, -8}, {8, 0}, {0, 8}};
    for (uint32_t i = 0; i < 6; i++) {
        float v[4] = {off[i][0] / (W / 2.0f), -off[i][1] / (H / 2.0f), 0, 0};
        memcpy(vb + OFF_AUX + 16u * i, v, 16);
    }
    sht_upload(f, SHT_SID_VB, 0, vb, sizeof(vb), sizeof(vb), 1);
    define_shaders(f, vs30_offset, ps30_white);
    const decl d[2] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT4, VGT_SVGA3D_DECLUSAGE_POSITION, 0, 0, 16},
        {VGT_SVGA3D_DECLTYPE_FLOAT4, VGT_SVGA3D_DECLUSAGE_TEXCOORD, 0, OFF_AUX, 16},
    };
    const uint32_t div[2] = {2, 0};
    sht_draw_decls_ok(f, d, 2, div, 2, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, false, 0);
}

static void test_position_divided_by_2(void **state)
{
    sht_fx *f = *state;
    scene_position(f);
    read_rt(f);
    const uint32_t white[4] = {0xFFFFFFFFu, 0, 0xFFFFFFFFu, 0};
    expect_flat("position divisor 2", white, 4);
    /* every pixel: inside an upper left half of cell 0 or 2 (x + y < 7
     * relative to the cell, pixel centres), or clear */
    uint32_t drawn = 0;
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            uint32_t cx = x % 8u, cell = x / 8u;
            bool in = (cell == 0 || cell == 2) && cx + y < 7u;
            bool out = cell == 1 || cell == 3 || cx + y > 7u;
            if (in && px(x, y) != 0xFFFFFFFFu) {
                fail_msg("position: (%u, %u) is 0x%08x, inside a triangle", x, y, px(x, y));
            }
            if (out && px(x, y) != 0) {
                fail_msg("position: (%u, %u) is 0x%08x, outside the triangles", x, y, px(x, y));
            }
            drawn += px(x, y) != 0;
        }
    }
    /* the diagonal's pixels (x + y = 7) follow the fill rule: 28 or 36 */
    assert_true(drawn == 2u * 28u || drawn == 2u * 36u);
}

#if SHT_IS_GL
/* ---- gl against the soft reference ------------------------------------------ */

typedef void (*scene_fn)(sht_fx *f);

static void against_soft(sht_fx *gl, scene_fn fn, const char *name)
{
    sht_against_soft(gl, fn, name, W, H, 2u * 28u);
}

static void test_gl_against_soft(void **state)
{
    static const struct {
        scene_fn fn;
        const char *name;
    } scenes[] = {
        {scene_flat, "color divided by 3"},        {scene_first_vertex, "first vertex 5"},
        {scene_position, "position divided by 2"}, {scene_vs20, "vs_2_0 ignores it"},
        {scene_indexed, "indexed ignores it"},
    };
    for (size_t i = 0; i < sizeof(scenes) / sizeof(scenes[0]); i++) {
        if (i) {
            sht_teardown(state);
            assert_int_equal(sht_setup(state), 0);
        }
        against_soft(*state, scenes[i].fn, scenes[i].name);
    }
}
#endif

int main(void)
{
    setenv("VGT_SOFT_THREADS", "1", 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_color_divided_by_3, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_first_vertex, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_count_0_and_1, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_vs20_ignores, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_indexed_ignores, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_position_divided_by_2, sht_setup, sht_teardown),
#if SHT_IS_GL
        cmocka_unit_test_setup_teardown(test_gl_against_soft, sht_setup, sht_teardown),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
