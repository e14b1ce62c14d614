/* Flow control in the shader backends (soft interpreter, gl translation): if/else (uniform and per
 * pixel), if_comp, loop with aL, rep, break / break_comp / breakp, nested
 * blocks, call/callnz/ret, and pixels of one quad taking different paths. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sht_harness.h"

#define PS VGT_SVGA3D_SHADERTYPE_PS
#define VS VGT_SVGA3D_SHADERTYPE_VS

static void draw_ps(sht_fx *f, const char *text)
{
    vgt_error err = {0};
    if (sht_define_asm(f, PS, 1, text, &err) != VGT_OK) {
        fail_msg("define: %s", err.message);
    }
    sht_bind(f, PS, 1);
    if (sht_fullscreen(f, 0, 0, 0xFFFFFFFFu, &err) != VGT_OK) {
        fail_msg("draw: %s", err.message);
    }
    sht_read_float(f);
}

static void expect(sht_fx *f, uint32_t x, uint32_t y, const char *what, float a, float b, float c,
                   float d)
{
    float got[4], want[4] = {a, b, c, d};
    sht_pixel(f, x, y, got);
    char name[128];
    snprintf(name, sizeof(name), "%s at (%u, %u)", what, x, y);
    sht_assert4(name, got, want, 0);
}

static void test_if_else_uniform(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    const char *text = "ps_3_0\n"
                       "def c0, 1, 2, 3, 4\n"
                       "def c1, 5, 6, 7, 8\n"
                       "if b0\n"
                       "  mov r0, c0\n"
                       "else\n"
                       "  mov r0, c1\n"
                       "endif\n"
                       "mov oC0, r0\n";
    sht_constb(f, PS, 0, true);
    draw_ps(f, text);
    expect(f, 0, 0, "if b0 (true)", 1, 2, 3, 4);
    sht_constb(f, PS, 0, false);
    draw_ps(f, text);
    expect(f, 0, 0, "if b0 (false)", 5, 6, 7, 8);
}

/* vPos differs per pixel: lanes of one quad take both branches. */
static void test_divergent_if(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    draw_ps(f, "ps_3_0\n"
               "def c0, 2, 0, 1, 0\n"
               "dcl vPos.xy\n"
               "mov r0, vPos.xyxy\n"
               "if_lt vPos.x, c0.x\n"
               "  mov r0.z, c0.z\n"
               "  if_ge vPos.y, c0.x\n"
               "    add r0.w, r0.w, c0.x\n"
               "  endif\n"
               "else\n"
               "  mov r0.z, -c0.z\n"
               "endif\n"
               "mov oC0, r0\n");
    for (uint32_t y = 0; y < SHT_H; y++) {
        for (uint32_t x = 0; x < SHT_W; x++) {
            float z = x < 2 ? 1.0f : -1.0f;
            float w = (float)y + ((x < 2 && y >= 2) ? 2.0f : 0.0f);
            expect(f, x, y, "divergent if", (float)x, (float)y, z, w);
        }
    }
}

static void test_loops(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    /* loop 4 times (ps_3_0 indexes only v# by aL; c[aL] is in test_vs_loop) */
    const char *loop = "ps_3_0\n"
                       "defi i0, 4, 3, 2, 0\n"
                       "mov r0, c3\n"
                       "loop aL, i0\n"
                       "  add r0, r0, c1\n"
                       "endloop\n"
                       "mov oC0, r0\n";
    for (uint32_t i = 0; i < 12; i++) {
        sht_constf(f, PS, i, (float)i, (float)(i * 10), 1.0f, 0.0f);
    }
    draw_ps(f, loop);
    expect(f, 3, 3, "loop", 7.0f, 70.0f, 5.0f, 0.0f);
    /* rep i1 (from SET_SHADER_CONST), nested in a loop */
    sht_consti(f, PS, 1, 3, 0, 0, 0);
    draw_ps(f, "ps_3_0\n"
               "defi i0, 2, 0, 1, 0\n"
               "def c20, 1, 0, 0, 0\n"
               "def c21, 0, 0, 0, 0\n"
               "mov r0, c21\n"
               "loop aL, i0\n"
               "  rep i1\n"
               "    add r0.x, r0.x, c20.x\n"
               "  endrep\n"
               "  add r0.y, r0.y, c1.y\n"
               "endloop\n"
               "mov oC0, r0\n");
    expect(f, 0, 0, "rep in loop", 6.0f, 20.0f, 0.0f, 0.0f);
    /* rep with count 0 skips its body */
    sht_consti(f, PS, 1, 0, 0, 0, 0);
    draw_ps(f, "ps_3_0\n"
               "def c20, 1, 0, 0, 0\n"
               "mov r0, c20.y\n"
               "rep i1\n"
               "  add r0.x, r0.x, c20.x\n"
               "endrep\n"
               "mov oC0, r0\n");
    expect(f, 0, 0, "rep 0", 0, 0, 0, 0);
}

static void test_breaks(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    /* per-pixel break_comp: count iterations until r0.x > vPos.x */
    draw_ps(f, "ps_3_0\n"
               "defi i0, 100, 0, 1, 0\n"
               "def c0, 1, 0, 0, 0\n"
               "dcl vPos.xy\n"
               "mov r0, c0.y\n"
               "rep i0\n"
               "  break_gt r0.x, vPos.x\n"
               "  add r0.x, r0.x, c0.x\n"
               "endrep\n"
               "mov oC0, r0\n");
    for (uint32_t x = 0; x < SHT_W; x++) {
        expect(f, x, 1, "break_gt", (float)x + 1.0f, 0, 0, 0);
    }
    /* break inside if inside loop; the else path keeps running */
    draw_ps(f, "ps_3_0\n"
               "defi i0, 10, 0, 1, 0\n"
               "def c0, 1, 3, 0, 0\n"
               "dcl vPos.xy\n"
               "mov r0, c0.z\n"
               "loop aL, i0\n"
               "  if_ge r0.x, c0.y\n"
               "    break\n"
               "  else\n"
               "    add r0.y, r0.y, vPos.x\n"
               "  endif\n"
               "  add r0.x, r0.x, c0.x\n"
               "endloop\n"
               "mov oC0, r0\n");
    for (uint32_t x = 0; x < SHT_W; x++) {
        expect(f, x, 0, "break in if", 3.0f, 3.0f * (float)x, 0, 0);
    }
    /* breakp with a per-pixel predicate */
    draw_ps(f, "ps_3_0\n"
               "defi i0, 50, 0, 1, 0\n"
               "def c0, 1, 0, 0, 0\n"
               "dcl vPos.xy\n"
               "mov r0, c0.y\n"
               "rep i0\n"
               "  setp_ge p0.x, r0.x, vPos.y\n"
               "  breakp p0.x\n"
               "  add r0.x, r0.x, c0.x\n"
               "endrep\n"
               "mov oC0, r0\n");
    for (uint32_t y = 0; y < SHT_H; y++) {
        expect(f, 5, y, "breakp", (float)y, 0, 0, 0);
    }
}

static void test_calls(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    sht_constb(f, PS, 2, false);
    draw_ps(f, "ps_3_0\n"
               "def c0, 1, 10, 100, 1000\n"
               "defb b1, true\n"
               "dcl vPos.xy\n"
               "mov r0, c0.w\n"
               "mov r0, -r0\n"
               "mov r0, c0_abs.w\n"
               "mov r0, r0.x\n"
               "add r0, r0, -r0\n"
               "call l1\n"
               "callnz l2, b1\n"
               "callnz l3, b2\n"
               "setp_lt p0.x, vPos.x, c0.y\n"
               "callnz l4, p0.x\n"
               "mov oC0, r0\n"
               "ret\n"
               "label l1\n"
               "add r0.x, r0.x, c0.x\n"
               "call l2\n"
               "ret\n"
               "label l2\n"
               "add r0.y, r0.y, c0.y\n"
               "ret\n"
               "label l3\n"
               "add r0.z, r0.z, c0.z\n"
               "ret\n"
               "label l4\n"
               "if_lt vPos.x, c0.x\n"
               "  add r0.w, r0.w, c0.w\n"
               "endif\n"
               "ret\n");
    expect(f, 0, 0, "calls (x = 0)", 1, 20, 0, 1000);
    expect(f, 1, 0, "calls (x = 1)", 1, 20, 0, 0);
}

/* Vertex shader loop over constants (4 vertices run together). */
static void test_vs_loop(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    vgt_error err = {0};
    assert_int_equal(sht_define_asm(f, VS, 1,
                                    "vs_3_0\n"
                                    "defi i0, 3, 1, 1, 0\n"
                                    "dcl_position v0\n"
                                    "dcl_position o0\n"
                                    "dcl_texcoord o1\n"
                                    "mov r0, c0\n"
                                    "loop aL, i0\n"
                                    "  add r0, r0, c0[aL]\n"
                                    "endloop\n"
                                    "mov o0, v0\n"
                                    "mov o1, r0\n",
                                    &err),
                     VGT_OK);
    sht_bind(f, VS, 1);
    assert_int_equal(sht_define_asm(f, PS, 2, "ps_3_0\ndcl_texcoord v0\nmov oC0, v0\n", &err),
                     VGT_OK);
    sht_bind(f, PS, 2);
    for (uint32_t i = 0; i < 4; i++) {
        sht_constf(f, VS, i, 1.0f + (float)i, 0, 0, 1);
    }
    assert_int_equal(sht_fullscreen(f, 0, 0, 0, &err), VGT_OK);
    sht_read_float(f);
    expect(f, 4, 4, "vs loop c[aL]", 10.0f, 0, 0, 4.0f);
    /* aL = 3, 5, 7 (start 3, step 2) */
    assert_int_equal(sht_define_asm(f, VS, 1,
                                    "vs_3_0\n"
                                    "defi i0, 3, 3, 2, 0\n"
                                    "dcl_position v0\n"
                                    "dcl_position o0\n"
                                    "dcl_texcoord o1\n"
                                    "mov r0, c0\n"
                                    "loop aL, i0\n"
                                    "  add r0, r0, c0[aL]\n"
                                    "endloop\n"
                                    "mov o0, v0\n"
                                    "mov o1, r0\n",
                                    &err),
                     VGT_OK);
    for (uint32_t i = 4; i < 8; i++) {
        sht_constf(f, VS, i, 1.0f + (float)i, 0, 0, 1);
    }
    assert_int_equal(sht_fullscreen(f, 0, 0, 0, &err), VGT_OK);
    sht_read_float(f);
    expect(f, 4, 4, "vs loop start 3 step 2", 1.0f + 4.0f + 6.0f + 8.0f, 0, 0, 4.0f);
    /* a rep inside the loop indexes by the loop's aL (1, 2, 3), each twice */
    assert_int_equal(sht_define_asm(f, VS, 1,
                                    "vs_3_0\n"
                                    "defi i0, 3, 1, 1, 0\n"
                                    "defi i1, 2, 0, 0, 0\n"
                                    "dcl_position v0\n"
                                    "dcl_position o0\n"
                                    "dcl_texcoord o1\n"
                                    "mov r0, c0\n"
                                    "loop aL, i0\n"
                                    "  rep i1\n"
                                    "    add r0, r0, c0[aL]\n"
                                    "  endrep\n"
                                    "endloop\n"
                                    "mov o0, v0\n"
                                    "mov o1, r0\n",
                                    &err),
                     VGT_OK);
    assert_int_equal(sht_fullscreen(f, 0, 0, 0, &err), VGT_OK);
    sht_read_float(f);
    expect(f, 4, 4, "vs rep in loop c[aL]", 1.0f + 2.0f * (2.0f + 3.0f + 4.0f), 0, 0, 7.0f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_if_else_uniform, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_divergent_if, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_loops, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_breaks, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_calls, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_vs_loop, sht_setup, sht_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
