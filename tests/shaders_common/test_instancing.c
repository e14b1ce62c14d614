/* test_instancing.c - instanced drawing (DRAW_PRIMITIVES' vertex divisors,
 * Direct3D 9's SetStreamSourceFreq) through the executor, built for both
 * backends (test_soft_instancing, test_gl_instancing with SHT_BACKEND_GL):
 * copies of a quad or a point, each placed and colored by its instance
 * data, read back pixel by pixel; a vertex shader (vs_2_0, vs_3_0 + ps_3_0)
 * and fixed function; indexed with an index bias and not indexed; a
 * divisor of 2 (pairs share a value); the hosts' definitions of the odd
 * divisors; the occlusion count of all instances; on gl, the same scenes
 * against the soft reference. */
#include "sht_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 32u /* A8R8G8B8 target: instance i's copy at x = 8i .. 8i + 3 */
#define H 8u

#define IDX(n)   (VGT_SVGA3D_DIVISOR_INDEXED_DATA | (n))
#define INST(k)  (VGT_SVGA3D_DIVISOR_INSTANCE_DATA | (k))
#define OFF_INST 1024u /* per-instance FLOAT4s in the vertex buffer */
#define OFF_COL  2048u /* per-instance D3DCOLORs */

static const uint32_t colors[4] = {0xFFFF0000u, 0xFF00FF00u, 0xFF0000FFu, 0xFFFFFF00u};

typedef sht_decl decl;

/* The vertex buffer: `geom` (bytes) at 0, the instance offsets (x, 0, 0, 0)
 * at OFF_INST and `ncol` colors at OFF_COL; the index buffer: idx. */
static void upload(sht_fx *f, const void *geom, uint32_t geom_bytes, const float *inst_x,
                   uint32_t ninst, const uint32_t *col, uint32_t ncol)
{
    static uint8_t vb[4096];
    memset(vb, 0, sizeof(vb));
    memcpy(vb, geom, geom_bytes);
    for (uint32_t i = 0; i < ninst; i++) {
        float v[4] = {inst_x[i], 0, 0, 0};
        memcpy(vb + OFF_INST + 16u * i, v, 16);
    }
    memcpy(vb + OFF_COL, col, 4u * ncol);
    sht_upload(f, SHT_SID_VB, 0, vb, sizeof(vb), sizeof(vb), 1);
    const uint16_t idx[6] = {0, 1, 2, 2, 1, 3};
    sht_upload(f, SHT_SID_IB, 0, idx, sizeof(idx), sizeof(idx), 1);
}

static uint32_t img[W * H];

static void read_rt(sht_fx *f)
{
    memcpy(img, sht_download(f, SHT_SID_RT8, 0, 4, W, H), sizeof(img));
}

static uint32_t px(uint32_t x, uint32_t y)
{
    return img[y * W + x];
}

/* Copies 0..n-1 are drawn at x = 8i (inside pixels 8i+1, 8i+2 on rows
 * y0..y1) in want[i]; every other copy's place and the gaps are clear. */
static void expect_copies(const char *what, const uint32_t *want, uint32_t n, uint32_t y0,
                          uint32_t y1)
{
    for (uint32_t i = 0; i < 4; i++) {
        for (uint32_t y = y0; y <= y1; y++) {
            for (uint32_t x = 8 * i + 1; x <= 8 * i + 2; x++) {
                uint32_t w = i < n ? want[i] : 0;
                if (px(x, y) != w) {
                    fail_msg("%s: pixel (%u, %u) is 0x%08x, want 0x%08x (copy %u)", what, x, y,
                             px(x, y), w, i);
                }
            }
        }
        for (uint32_t y = 0; y < H; y++) {
            if (px(8 * i + 6, y) != 0) {
                fail_msg("%s: the gap at (%u, %u) is 0x%08x", what, 8 * i + 6, y, px(8 * i + 6, y));
            }
        }
    }
}

/* ---- a vertex shader adds each instance's offset ------------------------------- */

static const char *const vs20_offset = "vs_2_0\n"
                                       "dcl_position v0\n"
                                       "dcl_texcoord1 v1\n"
                                       "dcl_color v2\n"
                                       "add oPos, v0, v1\n"
                                       "mov oD0, v2\n";

static const char *const vs30_offset = "vs_3_0\n"
                                       "dcl_position v0\n"
                                       "dcl_texcoord1 v1\n"
                                       "dcl_color v2\n"
                                       "dcl_position o0\n"
                                       "dcl_color o1\n"
                                       "add o0, v0, v1\n"
                                       "mov o1, v2\n";

static const char *const ps30_color = "ps_3_0\n"
                                      "dcl_color v0\n"
                                      "mov oC0, v0\n";

/* The shader scenes' declarations: the quad's position (geometry), an
 * offset (TEXCOORD1) and a color per instance (the divisors say so). */
static const decl offset_decls[3] = {
    {VGT_SVGA3D_DECLTYPE_FLOAT4, VGT_SVGA3D_DECLUSAGE_POSITION, 0, 0, 16},
    {VGT_SVGA3D_DECLTYPE_FLOAT4, VGT_SVGA3D_DECLUSAGE_TEXCOORD, 1, OFF_INST, 16},
    {VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR, 0, OFF_COL, 4},
};

/* The quad's corners at clip x -1 .. -0.75 (pixels 0..3), full height. */
static const float quad[4][4] = {
    {-1.0f, 1.0f, 0.5f, 1.0f},
    {-0.75f, 1.0f, 0.5f, 1.0f},
    {-1.0f, -1.0f, 0.5f, 1.0f},
    {-0.75f, -1.0f, 0.5f, 1.0f},
};

/* 0.5 in clip x is 8 pixels */
static const float inst_x[4] = {0.0f, 0.5f, 1.0f, 1.5f};

static void define_shader(sht_fx *f, uint32_t type, const char *text)
{
    vgt_error err = {0};
    if (sht_define_asm(f, type, 1, text, &err) != VGT_OK) {
        fail_msg("shader: %s", err.message);
    }
    sht_bind(f, type, 1);
}

/* The vs_2_0 scene: 4 instances of an indexed quad whose vertices start at
 * vertex 2 (index bias 2, two junk vertices before), offsets per instance,
 * colors per pair of instances (divisor 2). */
static void scene_vs20(sht_fx *f)
{
    sht_scene_rgba8(f, W, H);
    float geom[6][4] = {{99, 99, 0, 1}, {-99, -99, 0, 1}};
    memcpy(geom[2], quad, sizeof(quad));
    const uint32_t pair[2] = {colors[0], colors[2]};
    upload(f, geom, sizeof(geom), inst_x, 4, pair, 2);
    define_shader(f, VGT_SVGA3D_SHADERTYPE_VS, vs20_offset);
    const decl *d = offset_decls;
    const uint32_t div[3] = {IDX(4), INST(1), INST(2)};
    sht_draw_decls_ok(f, d, 3, div, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, true, 2);
}

static void test_vs20_indexed_bias_pairs(void **state)
{
    sht_fx *f = *state;
    scene_vs20(f);
    read_rt(f);
    const uint32_t want[4] = {colors[0], colors[0], colors[2], colors[2]};
    expect_copies("vs_2_0", want, 4, 0, H - 1);
}

/* The vs_3_0 + ps_3_0 scene: 3 instances of a non-indexed strip, one
 * offset and one color each. */
static void scene_vs30(sht_fx *f)
{
    sht_scene_rgba8(f, W, H);
    upload(f, quad, sizeof(quad), inst_x, 4, colors, 4);
    define_shader(f, VGT_SVGA3D_SHADERTYPE_VS, vs30_offset);
    define_shader(f, VGT_SVGA3D_SHADERTYPE_PS, ps30_color);
    const decl *d = offset_decls;
    const uint32_t div[3] = {IDX(3), INST(1), INST(1)};
    sht_draw_decls_ok(f, d, 3, div, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 2, false, 0);
}

static void test_vs30_ps30_not_indexed(void **state)
{
    sht_fx *f = *state;
    scene_vs30(f);
    read_rt(f);
    expect_copies("vs_3_0", colors, 3, 0, H - 1);
}

/* The hosts' definitions (exec3d.c resolve_instancing): INDEXED_DATA | 0
 * draws once, INSTANCE_DATA | 0 steps every instance; a draw without
 * divisors after an instanced one draws once again, reading the same
 * elements per vertex. */
static void test_odd_divisors_and_after(void **state)
{
    sht_fx *f = *state;
    sht_scene_rgba8(f, W, H);
    upload(f, quad, sizeof(quad), inst_x, 4, colors, 4);
    define_shader(f, VGT_SVGA3D_SHADERTYPE_VS, vs20_offset);
    const decl *d = offset_decls;
    const uint32_t once[3] = {IDX(0), INST(1), INST(1)};
    sht_draw_decls_ok(f, d, 3, once, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, true, 0);
    read_rt(f);
    expect_copies("INDEXED_DATA | 0", colors, 1, 0, H - 1);

    sht_clear(f, VGT_SVGA3D_CLEAR_COLOR, 0, 1.0f);
    const uint32_t zero_step[3] = {IDX(4), INST(0), INST(0)};
    sht_draw_decls_ok(f, d, 3, zero_step, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, true, 0);
    read_rt(f);
    expect_copies("INSTANCE_DATA | 0", colors, 4, 0, H - 1);

    /* The same declarations without divisors: one quad whose corners read
     * the offsets 0, 0.5, 1, 1.5 per vertex (screen x 0, 12 at the top, 16,
     * 28 at the bottom): row 4 is covered from x 8 to 22, across a gap of
     * the instanced copies, and copy 0's place is clear. */
    sht_clear(f, VGT_SVGA3D_CLEAR_COLOR, 0, 1.0f);
    sht_draw_decls_ok(f, d, 3, NULL, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, true, 0);
    read_rt(f);
    assert_int_not_equal(px(13, 4), 0);
    assert_int_equal(px(1, 4), 0);
    assert_int_equal(px(25, 4), 0);
}

/* Stride 0 is one value for every vertex (and instance) in Direct3D; GL's
 * stride 0 means tightly packed, so the gl backend must not pass it on. */
static void test_stride_zero(void **state)
{
    sht_fx *f = *state;
    sht_scene_rgba8(f, W, H);
    upload(f, quad, sizeof(quad), inst_x, 4, colors, 4);
    define_shader(f, VGT_SVGA3D_SHADERTYPE_VS, vs20_offset);
    const decl d[3] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT4, VGT_SVGA3D_DECLUSAGE_POSITION, 0, 0, 16},
        {VGT_SVGA3D_DECLTYPE_FLOAT4, VGT_SVGA3D_DECLUSAGE_TEXCOORD, 1, OFF_INST + 16, 0},
        {VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR, 0, OFF_COL + 8, 0},
    };
    /* not instanced: one quad at offset 0.5 (copy 1's place) in color 2 */
    sht_draw_decls_ok(f, d, 3, NULL, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, true, 0);
    read_rt(f);
    const uint32_t one[4] = {0, colors[2], 0, 0};
    expect_copies("stride 0", one, 4, 0, H - 1);
    /* instanced with stride-0 instance data: every instance in one place */
    sht_clear(f, VGT_SVGA3D_CLEAR_COLOR, 0, 1.0f);
    const uint32_t div[3] = {IDX(3), INST(1), INST(1)};
    sht_draw_decls_ok(f, d, 3, div, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, true, 0);
    read_rt(f);
    expect_copies("stride 0, instanced", one, 4, 0, H - 1);
}

/* ---- fixed function: points placed by per-instance POSITIONT ------------------- */

/* 4 instances of one point (indexed: index 0) of size 4: the geometry is a
 * per-vertex specular color nobody reads; POSITIONT (8i + 2, 4) per
 * instance; COLOR0 per `color_step` instances. */
static void draw_points(sht_fx *f, uint32_t color_step)
{
    const decl d[3] = {
        {VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR, 1, 0, 4},
        {VGT_SVGA3D_DECLTYPE_FLOAT4, VGT_SVGA3D_DECLUSAGE_POSITIONT, 0, OFF_INST, 16},
        {VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR, 0, OFF_COL, 4},
    };
    const uint32_t div[3] = {IDX(4), INST(1), INST(color_step)};
    sht_draw_decls_ok(f, d, 3, div, 3, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, true, 0);
}

static void scene_points(sht_fx *f)
{
    sht_scene_rgba8(f, W, H);
    static uint8_t vb[4096];
    memset(vb, 0, sizeof(vb));
    for (uint32_t i = 0; i < 4; i++) {
        float p[4] = {8.0f * (float)i + 2.0f, 4.0f, 0.5f, 1.0f};
        memcpy(vb + OFF_INST + 16u * i, p, 16);
    }
    memcpy(vb + OFF_COL, colors, sizeof(colors));
    sht_upload(f, SHT_SID_VB, 0, vb, sizeof(vb), sizeof(vb), 1);
    const uint16_t idx[1] = {0};
    sht_upload(f, SHT_SID_IB, 0, idx, 2, 2, 1);
    float size = 4.0f;
    uint32_t u;
    memcpy(&u, &size, 4);
    sht_rs(f, VGT_SVGA3D_RS_POINTSIZE, u);
}

static void test_fixed_function_points(void **state)
{
    sht_fx *f = *state;
    scene_points(f);
    draw_points(f, 1);
    read_rt(f);
    /* a size-4 point at (c, 4) covers pixel centres c-2 .. c+1, rows 2..5 */
    expect_copies("fixed function", colors, 4, 2, 5);
    for (uint32_t x = 0; x < W; x++) {
        assert_int_equal(px(x, 1), 0);
        assert_int_equal(px(x, 6), 0);
    }
    /* Another divisor over the same elements: pairs share a color (on gl
     * the attribute's divisor must change although nothing else did). */
    sht_clear(f, VGT_SVGA3D_CLEAR_COLOR, 0, 1.0f);
    draw_points(f, 2);
    read_rt(f);
    const uint32_t pairs[4] = {colors[0], colors[0], colors[1], colors[1]};
    expect_copies("fixed function, divisor 2", pairs, 4, 2, 5);
    sht_clear(f, VGT_SVGA3D_CLEAR_COLOR, 0, 1.0f);
    draw_points(f, 1);
    read_rt(f);
    expect_copies("fixed function, divisor 1 again", colors, 4, 2, 5);
}

/* An occlusion query counts the pixels of every instance: 4 points of
 * 4 x 4 pixels. */
static void test_occlusion_counts_all_instances(void **state)
{
    sht_fx *f = *state;
    scene_points(f);
    const uint32_t begin[2] = {SHT_CID, VGT_SVGA3D_QUERYTYPE_OCCLUSION};
    sht_ok(f, VGT_SVGA3D_CMD_BEGIN_QUERY, begin, 2);
    draw_points(f, 1);
    const uint32_t off = 3u << 20;
    const uint32_t end[4] = {SHT_CID, VGT_SVGA3D_QUERYTYPE_OCCLUSION, 1, off};
    sht_ok(f, VGT_SVGA3D_CMD_END_QUERY, end, 4);
    uint32_t st, count;
    memcpy(&st, f->gmr + off + 4, 4);
    memcpy(&count, f->gmr + off + 8, 4);
    assert_int_equal(st, VGT_SVGA3D_QUERYSTATE_SUCCEEDED);
    assert_int_equal(count, 4u * 16u);
}

#if SHT_IS_GL
/* ---- gl against the soft reference ------------------------------------------ */

typedef void (*scene_fn)(sht_fx *f);

static void scene_points_drawn(sht_fx *f)
{
    scene_points(f);
    draw_points(f, 2);
}

static void against_soft(sht_fx *gl, scene_fn fn, const char *name)
{
    sht_against_soft(gl, fn, name, W, H, 3u * 4u * 4u);
}

static void test_gl_against_soft(void **state)
{
    against_soft(*state, scene_vs20, "vs_2_0 indexed");
    sht_teardown(state);
    assert_int_equal(sht_setup(state), 0);
    against_soft(*state, scene_vs30, "vs_3_0 not indexed");
    sht_teardown(state);
    assert_int_equal(sht_setup(state), 0);
    against_soft(*state, scene_points_drawn, "fixed-function points");
}
#endif

int main(void)
{
    setenv("VGT_SOFT_THREADS", "1", 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vs20_indexed_bias_pairs, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_vs30_ps30_not_indexed, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_odd_divisors_and_after, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_stride_zero, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_fixed_function_points, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_occlusion_counts_all_instances, sht_setup,
                                        sht_teardown),
#if SHT_IS_GL
        cmocka_unit_test_setup_teardown(test_gl_against_soft, sht_setup, sht_teardown),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
