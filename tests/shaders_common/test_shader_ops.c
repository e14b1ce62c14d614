/* Per-instruction tests of the shader backends (built twice: the soft
 * interpreter and the gl backend's GLSL translation on llvmpipe): a minimal
 * shader drawn over an ARGB_S23E8 target through the executor, the float
 * result read back by SURFACE_DMA and compared with the value computed here
 * (the same expectations on both; on gl with a vs_2_0 passthrough in front
 * of the pixel shaders: sht_caps.ops_vs_passthrough). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sht_harness.h"

#define PS VGT_SVGA3D_SHADERTYPE_PS
#define VS VGT_SVGA3D_SHADERTYPE_VS

/* Runs a pixel shader `text` (whole, with version) with float constants
 * c0..c(n-1); returns pixel (1, 1). */
static void run_ps_text(sht_fx *f, const char *text, const float (*c)[4], int n, float out[4])
{
    vgt_error err = {0};
    if (sht_define_asm(f, PS, 1, text, &err) != VGT_OK) {
        fail_msg("define: %s", err.message);
    }
    sht_bind(f, PS, 1);
    if (SHT_CAPS->ops_vs_passthrough) {
        if (sht_define_asm(f, VS, 9, sht_vs20_pass, &err) != VGT_OK) {
            fail_msg("define vs: %s", err.message);
        }
        sht_bind(f, VS, 9);
    }
    for (int i = 0; i < n; i++) {
        sht_constf(f, PS, (uint32_t)i, c[i][0], c[i][1], c[i][2], c[i][3]);
    }
    if (sht_fullscreen(f, 0, 0, 0xFFFFFFFFu, &err) != VGT_OK) {
        fail_msg("draw: %s\n%s", err.message, text);
    }
    sht_read_float(f);
    sht_pixel(f, 1, 1, out);
}

/* ps_3_0 whose body leaves its result in r0. */
static void run_ps(sht_fx *f, const char *body, const float (*c)[4], int n, float out[4])
{
    char text[2048];
    snprintf(text, sizeof(text), "ps_3_0\n%s\nmov oC0, r0\n", body);
    run_ps_text(f, text, c, n, out);
}

/* vs_3_0 whose body leaves its result in r0 (passed to the pixel through
 * a texcoord, interpolated over a constant: exact). */
static void run_vs(sht_fx *f, const char *version, const char *body, const float (*c)[4], int n,
                   float out[4])
{
    char text[2048];
    bool v3 = strcmp(version, "vs_3_0") == 0;
    snprintf(text, sizeof(text), "%s\ndcl_position v0\n%s%s\n%s\n%s\n", version,
             v3 ? "dcl_position o0\n" : "", v3 ? "dcl_texcoord o1" : "", body,
             v3 ? "mov o0, v0\nmov o1, r0" : "mov oPos, v0\nmov oT0, r0");
    vgt_error err = {0};
    if (sht_define_asm(f, VS, 1, text, &err) != VGT_OK) {
        fail_msg("define: %s", err.message);
    }
    sht_bind(f, VS, 1);
    if (sht_define_asm(f, PS, 2, "ps_3_0\ndcl_texcoord v0\nmov oC0, v0\n", &err) != VGT_OK) {
        fail_msg("define ps: %s", err.message);
    }
    sht_bind(f, PS, 2);
    for (int i = 0; i < n; i++) {
        sht_constf(f, VS, (uint32_t)i, c[i][0], c[i][1], c[i][2], c[i][3]);
    }
    if (sht_fullscreen(f, 0, 0, 0xFFFFFFFFu, &err) != VGT_OK) {
        fail_msg("draw: %s\n%s", err.message, text);
    }
    sht_read_float(f);
    sht_pixel(f, 2, 3, out);
}

static void check(const char *what, const float got[4], float x, float y, float z, float w,
                  float tol)
{
    float want[4] = {x, y, z, w};
    sht_assert4(what, got, want, tol);
}

static void test_arith(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    const float c[4][4] = {
        {1.5f, -2.0f, 3.25f, 0.5f}, {4.0f, 0.25f, -1.0f, 2.0f}, {0.1f, 0.2f, 0.3f, 0.4f}, {0}};
    float r[4];
    run_ps(f, "add r0, c0, c1", c, 3, r);
    check("add", r, 5.5f, -1.75f, 2.25f, 2.5f, 0);
    run_ps(f, "sub r0, c0, c1", c, 3, r);
    check("sub", r, -2.5f, -2.25f, 4.25f, -1.5f, 0);
    run_ps(f, "mul r0, c0, c1", c, 3, r);
    check("mul", r, 6.0f, -0.5f, -3.25f, 1.0f, 0);
    run_ps(f, "mad r0, c0, c1, c2", c, 3, r);
    {
        float e[4];
        for (int i = 0; i < 4; i++) {
            volatile float p = c[0][i] * c[1][i];
            e[i] = p + c[2][i];
        }
        check("mad", r, e[0], e[1], e[2], e[3], 0);
    }
    run_ps(f, "mov r0, -c0.wzyx", c, 3, r);
    check("mov -swizzle", r, -0.5f, -3.25f, 2.0f, -1.5f, 0);
    run_ps(f, "mov r0, -c0_abs.yyzx", c, 3, r);
    check("-abs modifier", r, -2.0f, -2.0f, -3.25f, -1.5f, 0);
    run_ps(f, "mov r0, c1\nmov r0.yw, c0.x", c, 3, r);
    check("write mask", r, 4.0f, 1.5f, -1.0f, 1.5f, 0);
    run_ps(f, "mov_sat r0, c0", c, 3, r);
    check("_sat", r, 1.0f, 0.0f, 1.0f, 0.5f, 0);
    run_ps(f, "dp3 r0, c0, c1", c, 3, r);
    check("dp3", r, 2.25f, 2.25f, 2.25f, 2.25f, 0);
    run_ps(f, "dp4 r0, c0, c1", c, 3, r);
    check("dp4", r, 3.25f, 3.25f, 3.25f, 3.25f, 0);
    run_ps(f, "min r0, c0, c1", c, 3, r);
    check("min", r, 1.5f, -2.0f, -1.0f, 0.5f, 0);
    run_ps(f, "max r0, c0, c1", c, 3, r);
    check("max", r, 4.0f, 0.25f, 3.25f, 2.0f, 0);
    run_ps(f, "abs r0, c0", c, 3, r);
    check("abs", r, 1.5f, 2.0f, 3.25f, 0.5f, 0);
    run_ps(f, "cmp r0, c0, c1, c2", c, 3, r);
    check("cmp", r, 4.0f, 0.2f, -1.0f, 2.0f, 0);
    run_ps(f, "lrp r0, c2, c0, c1", c, 3, r);
    {
        float e[4];
        for (int i = 0; i < 4; i++) {
            volatile float d = c[0][i] - c[1][i];
            volatile float p = c[2][i] * d;
            e[i] = p + c[1][i];
        }
        check("lrp", r, e[0], e[1], e[2], e[3], 0);
    }
    run_ps(f, "crs r0.xyz, c0, c1\nmov r0.w, c2.x", c, 3, r);
    check("crs", r, -2.0f * -1.0f - 3.25f * 0.25f, 3.25f * 4.0f - 1.5f * -1.0f,
          1.5f * 0.25f - -2.0f * 4.0f, 0.1f, 0);
    run_ps(f, "frc r0, -c1", c, 3, r);
    check("frc", r, 0.0f, 0.75f, 0.0f, 0.0f, 0);
    const float f2[2][4] = {{1.0f, -2.25f, 0.0f, 0.0f}, {3.0f, 0.5f, 0.0f, 0.0f}};
    run_ps(f, "frc r0, c0\nfrc r1, c1.y\nadd r0.zw, r1, r1", f2, 2, r);
    check("frc 2", r, 0.0f, 0.75f, 1.0f, 1.0f, 0);
}

static void test_transcendental(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    const float c[2][4] = {{4.0f, 0.0f, -8.0f, 1.0f}, {3.0f, 0.5f, -2.0f, 0.0f}};
    float r[4];
    run_ps(f, "rcp r0.x, c0.x\nrcp r0.y, c0.y\nrcp r0.z, c0.z\nrcp r0.w, c0.w", c, 2, r);
    check("rcp (0 -> FLT_MAX)", r, 0.25f, FLT_MAX, -0.125f, 1.0f, 0);
    run_ps(f, "rsq r0.x, c0.x\nrsq r0.y, c0.y\nrsq r0.z, c0.z\nrsq r0.w, c0.w", c, 2, r);
    check("rsq (0 -> FLT_MAX, |x|)", r, 0.5f, FLT_MAX, 1.0f / sqrtf(8.0f), 1.0f, 1e-7f);
    run_ps(f, "exp r0.x, c1.x\nexp r0.y, c1.y\nexp r0.z, c1.z\nexp r0.w, c1.w", c, 2, r);
    check("exp", r, 8.0f, sqrtf(2.0f), 0.25f, 1.0f, 2e-6f);
    run_ps(f, "log r0.x, c0.x\nlog r0.y, c0.y\nlog r0.z, c0.z\nlog r0.w, c0.w", c, 2, r);
    check("log (0 -> -FLT_MAX, |x|)", r, 2.0f, -FLT_MAX, 3.0f, 0.0f, 2e-6f);
    run_ps(f,
           "pow r0.x, c1.z, c1.x\npow r0.y, c0.x, c1.y\npow r0.z, c0.y, c1.x\n"
           "pow r0.w, c0.x, c1.w",
           c, 2, r);
    check("pow (|base|)", r, 8.0f, 2.0f, 0.0f, 1.0f, 2e-6f);
    const float a[1][4] = {{0.5f, -2.5f, 3.0f, 10.0f}};
    run_ps(f, "sincos r0.xy, c0.x\nsincos r1.xy, c0.y\nmov r0.zw, r1.xxxy", a, 1, r);
    check("sincos", r, cosf(0.5f), sinf(0.5f), cosf(-2.5f), sinf(-2.5f), 2e-6f);
    run_ps(f, "sincos r0.xy, c0.z\nsincos r1.xy, c0.w\nmov r0.zw, r1.xxxy", a, 1, r);
    check("sincos outside [-pi, pi]", r, cosf(3.0f), sinf(3.0f), cosf(10.0f), sinf(10.0f), 2e-6f);
    const float n[1][4] = {{3.0f, 0.0f, 4.0f, 10.0f}};
    run_ps(f, "nrm r0, c0", n, 1, r);
    check("nrm (w scaled too)", r, 0.6f, 0.0f, 0.8f, 2.0f, 1e-7f);
    /* ps_2_0 sincos with its constant operands */
    run_ps_text(f,
                "ps_2_0\ndef c5, -1.55009923e-06, -2.17013894e-05, 0.00260416674, "
                "0.00026041668\ndef c6, -0.020833334, -0.125, 1, 0.5\n"
                "sincos r0.xy, c0.x, c5, c6\nmov r0.zw, c0.x\nmov oC0, r0\n",
                a, 1, r);
    check("ps_2_0 sincos", r, cosf(0.5f), sinf(0.5f), 0.5f, 0.5f, 2e-6f);
}

static void test_matrix(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    const float c[5][4] = {{1, 2, 3, 4}, {1, 0, 0, 1}, {0, 2, 0, 1}, {0, 0, 3, 1}, {1, 1, 1, 1}};
    float r[4];
    run_ps(f, "m4x4 r0, c0, c1", c, 5, r);
    check("m4x4", r, 5, 8, 13, 10, 0);
    run_ps(f, "mov r0, c4\nm4x3 r0.xyz, c0, c1", c, 5, r);
    check("m4x3", r, 5, 8, 13, 1, 0);
    run_ps(f, "m3x4 r0, c0, c1", c, 5, r);
    check("m3x4", r, 1, 4, 9, 6, 0);
    run_ps(f, "mov r0, c4\nm3x3 r0.xyz, c0, c1", c, 5, r);
    check("m3x3", r, 1, 4, 9, 1, 0);
    run_ps(f, "mov r0, c4\nm3x2 r0.xy, c0, c1", c, 5, r);
    check("m3x2", r, 1, 4, 1, 1, 0);
    run_ps(f, "dp2add r0, c0, c1.yzwx, c4.x", c, 5, r);
    check("dp2add", r, 1.0f, 1.0f, 1.0f, 1.0f, 0);
}

static void test_predicates(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    const float c[3][4] = {{1, 5, -3, 0}, {2, 2, 2, 2}, {10, 20, 30, 40}};
    float r[4];
    run_ps(f, "mov r0, c1\nsetp_lt p0, c0, c1\n(p0) mov r0, c2", c, 3, r);
    check("setp_lt + (p0)", r, 10, 2, 30, 40, 0);
    run_ps(f, "mov r0, c1\nsetp_ge p0, c0, c1\n(!p0) mov r0, c2", c, 3, r);
    check("setp_ge + (!p0)", r, 10, 2, 30, 40, 0);
    run_ps(f, "mov r0, c1\nsetp_eq p0, c0.w, c0.w\n(p0.x) add r0, r0, c2", c, 3, r);
    check("(p0.x) replicated", r, 12, 22, 32, 42, 0);
}

static void test_defs_override(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    const float c[2][4] = {{1, 1, 1, 1}, {2, 2, 2, 2}};
    float r[4];
    run_ps(f, "def c1, 7, 8, 9, 10\nadd r0, c0, c1", c, 2, r);
    check("def overrides SET_SHADER_CONST", r, 8, 9, 10, 11, 0);
    /* another shader without the def sees the constant again */
    run_ps(f, "add r0, c0, c1", c, 2, r);
    check("SET_SHADER_CONST", r, 3, 3, 3, 3, 0);
}

static void test_vs_ops(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    const float c[4][4] = {
        {1.5f, -2.0f, 3.0f, 0.5f}, {1.0f, -2.0f, 4.0f, 0.0f}, {0.5f, 0.25f, 0, 8.0f}, {0}};
    float r[4];
    run_vs(f, "vs_3_0", "slt r0, c0, c1", c, 3, r);
    check("slt", r, 0, 0, 1, 0, 0);
    run_vs(f, "vs_3_0", "sge r0, c0, c1", c, 3, r);
    check("sge", r, 1, 1, 0, 1, 0);
    run_vs(f, "vs_3_0", "sgn r0, c0.xyzw\nmov r0.w, c1.w\nsgn r0.w, r0.w", c, 3, r);
    check("sgn", r, 1, -1, 1, 0, 0);
    run_vs(f, "vs_2_0", "sgn r0, c0, r1, r2", c, 3, r);
    check("vs_2_0 sgn", r, 1, -1, 1, 1, 0);
    /* lit: (1, N.L, (N.H)^p, 1) */
    const float l[1][4] = {{0.5f, 0.25f, 0, 2.0f}};
    run_vs(f, "vs_2_0", "lit r0, c0", l, 1, r);
    check("lit", r, 1.0f, 0.5f, 0.0625f, 1.0f, 1e-6f);
    const float l2[1][4] = {{-0.5f, 0.25f, 0, 2.0f}};
    run_vs(f, "vs_2_0", "lit r0, c0", l2, 1, r);
    check("lit, N.L < 0", r, 1.0f, 0.0f, 0.0f, 1.0f, 0);
    const float d[2][4] = {{9, 2, 3, 9}, {9, 5, 9, 7}};
    run_vs(f, "vs_2_0", "dst r0, c0, c1", d, 2, r);
    check("dst", r, 1, 10, 3, 7, 0);
    const float e[1][4] = {{2.5f, 0, 0, 0}};
    /* expp is vs_1_1's four-component macro there and 2^x in every
     * component from vs_2_0 (Microsoft's expp page; both backends gave
     * vs_2_0 the vs_1_1 form before) */
    run_vs(f, "vs_1_1", "expp r0, c0.x", e, 1, r);
    check("vs_1_1 expp", r, 4.0f, 0.5f, 5.656854249f, 1.0f, 2e-6f);
    run_vs(f, "vs_2_0", "expp r0, c0.x", e, 1, r);
    check("vs_2_0 expp", r, 5.656854249f, 5.656854249f, 5.656854249f, 5.656854249f, 2e-6f);
    run_vs(f, "vs_3_0", "expp r0, c0.x", e, 1, r);
    check("vs_3_0 expp", r, 5.656854249f, 5.656854249f, 5.656854249f, 5.656854249f, 2e-6f);
    run_vs(f, "vs_2_0", "logp r0, c0.x", e, 1, r);
    check("logp", r, log2f(2.5f), log2f(2.5f), log2f(2.5f), log2f(2.5f), 2e-6f);
    run_vs(f, "vs_1_1", "mov r0, c2\nrcp r0.x, c0.w", c, 3, r);
    check("vs_1_1 rcp", r, 2.0f, 0.25f, 0.0f, 8.0f, 0);
}

static void test_relative(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    const float c[6][4] = {{2.4f, -7.0f, 300.0f, 0}, {10, 10, 10, 10}, {20, 20, 20, 20},
                           {30, 30, 30, 30},         {40, 40, 40, 40}, {50, 50, 50, 50}};
    float r[4];
    /* mova rounds 2.4 -> 2: c[a0.x + 1] = c3 */
    run_vs(f, "vs_2_0", "mova a0.x, c0.x\nmov r0, c1[a0.x]", c, 6, r);
    check("c[a0.x + 1]", r, 30, 30, 30, 30, 0);
    /* clamped: c[-7 + 1] = c0; c[300 + 2] = c255 (zero) */
    run_vs(f, "vs_2_0", "mova a0.xy, c0.xyzw\nmov r0, c1[a0.y]", c, 6, r);
    check("clamped low", r, 2.4f, -7.0f, 300.0f, 0, 0);
    run_vs(f, "vs_2_0", "mova a0.z, c0.z\nmov r0, c2[a0.z]", c, 6, r);
    check("clamped high", r, 0, 0, 0, 0, 0);
    /* vs_1_1 mov a0.x floors */
    run_vs(f, "vs_1_1", "mov a0.x, c0.x\nmov r0, c1[a0.x]", c, 6, r);
    check("vs_1_1 a0", r, 30, 30, 30, 30, 0);
}

static void test_ps1x(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    const float c[3][4] = {
        {0.75f, 0.5f, -0.5f, 1.0f}, {0.5f, 0.75f, -0.75f, 0.25f}, {0.6f, 0.4f, 0.6f, 0.4f}};
    float r[4];
    /* ps_1_1: r0 is the output; results clamp to [-1, 1] */
    run_ps_text(f, "ps_1_1\nadd r0, c0, c1\n", c, 3, r);
    check("ps_1_1 add clamps", r, 1.0f, 1.0f, -1.0f, 1.0f, 0);
    run_ps_text(f, "ps_1_1\nmul_x2 r0, c0, c1\n", c, 3, r);
    check("ps_1_1 mul_x2", r, 0.75f, 0.75f, 0.75f, 0.5f, 0);
    run_ps_text(f, "ps_1_1\nmov r1, c2\ncnd r0, r1.a, c0, c1\n", c, 3, r);
    check("ps_1_1 cnd (r0.a <= 0.5)", r, 0.5f, 0.75f, -0.75f, 0.25f, 0);
    run_ps_text(f, "ps_1_4\nadd_x4 r0, c0_bx2, c1_bias\n", c, 3, r);
    /* (2c0 - 1 + c1 - 0.5) * 4, z clamped to -8 */
    check("ps_1_4 _bx2 _bias _x4 (range 8)", r, 2.0f, 1.0f, -8.0f, 3.0f, 0);
    run_ps_text(f, "ps_1_4\ncmp r0, c2_bias, c0, 1-c1\n", c, 3, r);
    check("ps_1_4 cmp, 1-", r, 0.75f, 0.25f, -0.5f, 0.75f, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_arith, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_transcendental, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_matrix, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_predicates, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_defs_override, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_vs_ops, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_relative, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_ps1x, sht_setup, sht_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
