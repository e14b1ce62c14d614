/* Shader draws that depend on fixed state, gl against the soft interpreter
 * drawing the same commands (ARGB_S23E8 targets, compared per pixel):
 * fog on ps < 3.0 results (vertex factor from oFog, pixel fog from the FOG
 * distance, fixed function in front), fog of the fixed-function pixel side
 * behind a vertex shader, alpha test, and constants changing between draws
 * of one cached program. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sht_harness.h"

#define PS VGT_SVGA3D_SHADERTYPE_PS
#define VS VGT_SVGA3D_SHADERTYPE_VS

typedef struct pair {
    sht_fx *gl, *soft;
} pair;

static int setup(void **state)
{
    static pair p;
    void *a = NULL, *b = NULL;
    /* the reference on one thread: no worker threads exiting at teardown
     * while LSan stops the process (its tracer crashed on one, under ASan);
     * soft's pixels do not depend on the thread count */
    setenv("VGT_SOFT_THREADS", "1", 1);
    if (sht_setup(&a) || sht_setup_soft(&b)) {
        return -1;
    }
    p.gl = a;
    p.soft = b;
    *state = &p;
    return 0;
}

static int teardown(void **state)
{
    pair *p = *state;
    void *a = p->gl, *b = p->soft;
    sht_teardown(&a);
    sht_teardown(&b);
    return 0;
}

/* Runs `fn` on both backends and compares every pixel within tol. */
static void both(pair *p, const char *what, void (*fn)(sht_fx *f), float tol)
{
    static float a[SHT_W * SHT_H][4];
    fn(p->gl);
    sht_read_float(p->gl);
    for (uint32_t y = 0; y < SHT_H; y++) {
        for (uint32_t x = 0; x < SHT_W; x++) {
            sht_pixel(p->gl, x, y, a[y * SHT_W + x]);
        }
    }
    fn(p->soft);
    sht_read_float(p->soft);
    for (uint32_t y = 0; y < SHT_H; y++) {
        for (uint32_t x = 0; x < SHT_W; x++) {
            float s[4];
            sht_pixel(p->soft, x, y, s);
            char name[160];
            snprintf(name, sizeof(name), "%s at (%u, %u): gl vs soft", what, x, y);
            sht_assert4(name, a[y * SHT_W + x], s, tol);
        }
    }
}

static void define(sht_fx *f, uint32_t type, uint32_t id, const char *text)
{
    vgt_error err = {0};
    if (sht_define_asm(f, type, id, text, &err) != VGT_OK) {
        fail_msg("define: %s\n%s", err.message, text);
    }
    sht_bind(f, type, id);
}

static void draw(sht_fx *f)
{
    vgt_error err = {0};
    if (sht_fullscreen(f, 0.25f, 0.75f, 0xFF4080C0u, &err) != VGT_OK) {
        fail_msg("draw: %s", err.message);
    }
}

static void fog_states(sht_fx *f, uint32_t type, uint32_t func)
{
    sht_rs(f, VGT_SVGA3D_RS_FOGENABLE, 1);
    sht_rs(f, VGT_SVGA3D_RS_FOGCOLOR, 0xFF20C040u);
    sht_rs(f, VGT_SVGA3D_RS_FOGMODE, VGT_SVGA3D_FOGMODE(func, type, VGT_SVGA3D_FOGBASE_DEPTHBASED));
    float start = 0.1f, end = 0.9f, density = 1.5f;
    uint32_t u;
    memcpy(&u, &start, 4);
    sht_rs(f, VGT_SVGA3D_RS_FOGSTART, u);
    memcpy(&u, &end, 4);
    sht_rs(f, VGT_SVGA3D_RS_FOGEND, u);
    memcpy(&u, &density, 4);
    sht_rs(f, VGT_SVGA3D_RS_FOGDENSITY, u);
}

static const char fog_vs[] = "vs_2_0\ndcl_position v0\ndcl_texcoord v1\nmov oPos, v0\n"
                             "mov oT0, v1\nmov oFog, v1.x\n";
static const char fog_ps[] = "ps_2_0\ndef c0, 0.9, 0.5, 0.1, 1\nmov oC0, c0\n";

static void scene_vertex_fog(sht_fx *f)
{
    sht_scene_float(f);
    fog_states(f, VGT_SVGA3D_FOGTYPE_VERTEX, VGT_SVGA3D_FOGFUNC_LINEAR);
    define(f, VS, 1, fog_vs);
    define(f, PS, 1, fog_ps);
    draw(f);
}

static void scene_pixel_fog(sht_fx *f)
{
    sht_scene_float(f);
    fog_states(f, VGT_SVGA3D_FOGTYPE_PIXEL, VGT_SVGA3D_FOGFUNC_EXP2);
    define(f, VS, 1, fog_vs);
    define(f, PS, 1, fog_ps);
    draw(f);
}

static void scene_ff_vertex_fog(sht_fx *f)
{
    sht_scene_float(f);
    fog_states(f, VGT_SVGA3D_FOGTYPE_PIXEL, VGT_SVGA3D_FOGFUNC_LINEAR);
    sht_bind(f, VS, VGT_SVGA3D_INVALID_ID);
    define(f, PS, 1, "ps_2_0\ndcl v0\nmov oC0, v0\n");
    draw(f);
}

static void scene_ff_pixel_fog(sht_fx *f)
{
    sht_scene_float(f);
    fog_states(f, VGT_SVGA3D_FOGTYPE_VERTEX, VGT_SVGA3D_FOGFUNC_LINEAR);
    define(f, VS, 1,
           "vs_2_0\ndcl_position v0\ndcl_texcoord v1\ndcl_color v2\nmov oPos, v0\n"
           "mov oD0, v2\nmov oFog, v1.y\n");
    sht_bind(f, PS, VGT_SVGA3D_INVALID_ID);
    draw(f);
}

static void scene_alpha_test(sht_fx *f)
{
    sht_scene_float(f);
    sht_rs(f, VGT_SVGA3D_RS_ALPHATESTENABLE, 1);
    sht_rs(f, VGT_SVGA3D_RS_ALPHAFUNC, VGT_SVGA3D_CMP_GREATER);
    sht_rs(f, VGT_SVGA3D_RS_ALPHAREF, 0x80);
    define(f, VS, 1, sht_vs30_pass);
    define(f, PS, 1, "ps_3_0\ndcl_texcoord v0\nmov r0, v0\nmov r0.w, v0.x\nmov oC0, r0\n");
    draw(f);
}

static void scene_constants(sht_fx *f)
{
    sht_scene_float(f);
    define(f, VS, 1, sht_vs30_pass);
    define(f, PS, 1, "ps_3_0\ndcl_texcoord v0\nmad oC0, v0, c0, c1\n");
    sht_constf(f, PS, 0, 1, 2, 3, 4);
    sht_constf(f, PS, 1, 0.5f, 0.25f, 0, 0);
    draw(f);
    /* the same program, new constants, a second draw over the first */
    sht_constf(f, PS, 0, -1, 0.5f, 0, 2);
    draw(f);
}

/* Two triangles with a different color at each vertex. */
static void draw_colored(sht_fx *f)
{
    sht_vtx v[6] = {
        {-1, 1, 0.5f, 1, 0xFFFF0000u, 0, 0, 0, 0, 0, 0, 1},
        {1, 1, 0.5f, 1, 0xFF00FF00u, 1, 0, 0, 0, 0, 0, 1},
        {-1, -1, 0.5f, 1, 0xFF0000FFu, 0, 1, 0, 0, 0, 0, 1},
        {1, 1, 0.5f, 1, 0xFF808080u, 1, 0, 0, 0, 0, 0, 1},
        {1, -1, 0.5f, 1, 0xFF00FFFFu, 1, 1, 0, 0, 0, 0, 1},
        {-1, -1, 0.5f, 1, 0xFFFFFF00u, 0, 1, 0, 0, 0, 0, 1},
    };
    vgt_error err = {0};
    if (sht_draw(f, v, 6, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, VGT_SVGA3D_DECLUSAGE_POSITION,
                 &err) != VGT_OK) {
        fail_msg("draw: %s", err.message);
    }
}

static void scene_flat(sht_fx *f)
{
    sht_scene_float(f);
    sht_rs(f, VGT_SVGA3D_RS_SHADEMODE, VGT_SVGA3D_SHADEMODE_FLAT);
    define(f, VS, 1, sht_vs20_pass);
    define(f, PS, 1, "ps_2_0\ndcl v0\nmov oC0, v0\n");
    draw_colored(f);
}

static void scene_clip(sht_fx *f)
{
    sht_scene_float(f);
    /* clip space: keep x + 0.5 y >= 0.25 */
    uint32_t b[6] = {SHT_CID, 0};
    const float plane[4] = {1.0f, 0.5f, 0.0f, -0.25f};
    memcpy(&b[2], plane, sizeof(plane));
    sht_ok(f, VGT_SVGA3D_CMD_SETCLIPPLANE, b, 6);
    sht_rs(f, VGT_SVGA3D_RS_CLIPPLANEENABLE, 1);
    define(f, VS, 1, sht_vs20_pass);
    define(f, PS, 1, "ps_2_0\ndcl v0\nmov oC0, v0\n");
    draw_colored(f);
}

static void scene_points(sht_fx *f)
{
    sht_scene_float(f);
    define(f, VS, 1,
           "vs_2_0\ndef c0, 3, 0, 0, 0\ndcl_position v0\ndcl_color v1\nmov oPos, v0\n"
           "mov oD0, v1\nmov oPts, c0.x\n");
    define(f, PS, 1, "ps_2_0\ndcl v0\nmov oC0, v0\n");
    /* pixel centres (2, 2) and (5, 4) of the 8x8 target */
    sht_vtx v[2] = {
        {-1 + 2.0f * 2 / 8, 1 - 2.0f * 2 / 8, 0.5f, 1, 0xFFFF0000u, 0, 0, 0, 0, 0, 0, 1},
        {-1 + 2.0f * 5 / 8, 1 - 2.0f * 4 / 8, 0.5f, 1, 0xFF00FF00u, 0, 0, 0, 0, 0, 0, 1},
    };
    vgt_error err = {0};
    if (sht_draw(f, v, 2, VGT_SVGA3D_PRIMITIVE_POINTLIST, 2, VGT_SVGA3D_DECLUSAGE_POSITION, &err) !=
        VGT_OK) {
        fail_msg("draw: %s", err.message);
    }
}

static void test_fog(void **state)
{
    pair *p = *state;
    both(p, "vs_2_0 oFog, linear vertex fog", scene_vertex_fog, 1e-5f);
    {
        /* pixel (6, 2): FOG = u = 6/8, color = f * c0 + (1 - f) * fog color */
        float got[4], f = 0.75f;
        float want[4] = {f * 0.9f + (1 - f) * (32.0f / 255), f * 0.5f + (1 - f) * (192.0f / 255),
                         f * 0.1f + (1 - f) * (64.0f / 255), 1.0f};
        sht_pixel(p->gl, 6, 2, got);
        sht_assert4("vertex fog value (both backends agree)", got, want, 1e-5f);
    }
    both(p, "vs_2_0 oFog, exp2 pixel fog", scene_pixel_fog, 1e-5f);
    both(p, "FF vertex side, linear pixel fog", scene_ff_vertex_fog, 1e-5f);
    both(p, "FF pixel side behind vs_2_0, vertex fog", scene_ff_pixel_fog, 1e-5f);
}

static void test_alpha_and_constants(void **state)
{
    pair *p = *state;
    both(p, "alpha test", scene_alpha_test, 1e-6f);
    both(p, "constants between draws", scene_constants, 1e-6f);
    /* pixel (3, 5): u = 3/8, v = 5/8 (from the vertex texcoords, exact on
     * both); the second draw's constants: v0 * (-1, 0.5, 0, 2) + c1 */
    float got[4], want[4] = {-3.0f / 8 + 0.5f, 0.5f * 5.0f / 8 + 0.25f, 0.0f, 0.0f};
    sht_pixel(p->gl, 3, 5, got);
    want[3] = got[3]; /* texcoord w: whatever the harness passes, times 2 */
    sht_assert4("second draw's constants", got, want, 1e-6f);
    both(p, "flat shading behind vs_2_0", scene_flat, 0);
    both(p, "points of oPts 3", scene_points, 0);
    {
        /* 3x3 squares around (2, 2) and (5, 4) */
        float pt[4];
        sht_pixel(p->gl, 1, 3, pt);
        assert_true(pt[0] == 1.0f && pt[1] == 0.0f);
        sht_pixel(p->gl, 6, 5, pt);
        assert_true(pt[0] == 0.0f && pt[1] == 1.0f);
        sht_pixel(p->gl, 0, 0, pt);
        assert_true(pt[0] == 0.0f && pt[1] == 0.0f);
    }
    /* clipped triangles: soft interpolates from its own new vertices */
    both(p, "clip plane in clip space", scene_clip, 2e-4f);
}

/* The caps the device publishes for gl: shader model 3.0 both ways. */
static void test_caps(void **state)
{
    pair *p = *state;
    const vgt_backend *be = vgt_executor_backend(p->gl->ex);
    vgt_backend_caps c;
    memset(&c, 0, sizeof(c));
    be->ops->get_caps(be->self, &c);
    assert_true(c.shaders);
    assert_true(c.devcap_valid[VGT_SVGA3D_DEVCAP_VERTEX_SHADER_VERSION]);
    assert_int_equal(c.devcap[VGT_SVGA3D_DEVCAP_VERTEX_SHADER_VERSION], 3);   /* VS 3.0 */
    assert_int_equal(c.devcap[VGT_SVGA3D_DEVCAP_FRAGMENT_SHADER_VERSION], 6); /* PS 3.0 */
    assert_int_equal(c.devcap[VGT_SVGA3D_DEVCAP_VERTEX_SHADER], 1);
    assert_int_equal(c.devcap[VGT_SVGA3D_DEVCAP_FRAGMENT_SHADER], 1);
    assert_int_equal(c.devcap[VGT_SVGA3D_DEVCAP_MAX_VERTEX_SHADER_TEXTURES], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fog, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alpha_and_constants, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
