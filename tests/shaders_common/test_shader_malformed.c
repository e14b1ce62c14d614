/* Hostile shaders on the shader backends (soft interpreter, gl
 * translation): malformed bytecode is refused at SHADER_DEFINE with the
 * parser's token index (the device keeps running; on gl with exactly
 * VGT_E_INVALID), valid bytecode the backend cannot run is refused at the
 * draw (ps_1_x texture-matrix instructions on soft; recursion and vertex
 * texture fetch on gl; an unbound cube sampler reads (0, 0, 0, 1) on
 * both), and a bounded loop of mutated shaders
 * through define + draw never crashes (VGT_SOFTSHADER_FUZZ_ITERATIONS,
 * VGT_SOFTSHADER_FUZZ_SEED; VGT_GLSHADER_... on gl). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sht_harness.h"

#define PS VGT_SVGA3D_SHADERTYPE_PS
#define VS VGT_SVGA3D_SHADERTYPE_VS

static void still_draws(sht_fx *f)
{
    vgt_error err = {0};
    sht_bind(f, VS, VGT_SVGA3D_INVALID_ID);
    assert_int_equal(sht_define_asm(f, PS, 9, "ps_2_0\ndef c0, 1, 2, 3, 4\nmov oC0, c0\n", &err),
                     VGT_OK);
    sht_bind(f, PS, 9);
    assert_int_equal(sht_fullscreen(f, 0, 0, 0, &err), VGT_OK);
    sht_read_float(f);
    float got[4], want[4] = {1, 2, 3, 4};
    sht_pixel(f, 0, 0, got);
    sht_assert4("after a refused shader", got, want, 0);
}

static void test_malformed_define(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    static const struct {
        const char *what;
        uint32_t words[8];
        uint32_t n;
        const char *token; /* expected in the message */
    } cases[] = {
        {"bad version", {0xFFFE0400u, 0x0000FFFFu}, 2, "token 0"},
        {"no end token", {0xFFFF0200u, 0x00000000u, 0x00000000u}, 3, "shader token"},
        {"unknown opcode", {0xFFFF0200u, 0x0000004Bu, 0x0000FFFFu}, 3, "token 1"},
        {"truncated instruction", {0xFFFF0200u, 0x03000002u, 0x800F0800u}, 3, "token 1"},
        /* mov r40, c0 in ps_2_0: register out of range */
        {"register range",
         {0xFFFF0200u, 0x02000001u, 0x800F0028u, 0xA0E40000u, 0x0000FFFFu},
         5,
         "token 2"},
        /* rep i0 never closed */
        {"unterminated rep", {0xFFFE0200u, 0x01000026u, 0xF0E40000u, 0x0000FFFFu}, 4, "token 1"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vgt_error err = {0};
        uint32_t type = (cases[i].words[0] >> 16) == 0xFFFE ? VS : PS;
        vgt_status st = sht_define_words(f, type, 4, cases[i].words, cases[i].n, &err);
        if (st == VGT_OK) {
            fail_msg("%s: accepted", cases[i].what);
        }
        if (SHT_CAPS->malformed_is_invalid && st != VGT_E_INVALID) {
            fail_msg("%s: status %d, want VGT_E_INVALID", cases[i].what, (int)st);
        }
        if (!strstr(err.message, cases[i].token)) {
            fail_msg("%s: '%s' does not name %s", cases[i].what, err.message, cases[i].token);
        }
    }
    /* a vertex shader defined as a pixel shader */
    vgt_error err = {0};
    uint32_t vs[2] = {0xFFFE0200u, 0x0000FFFFu};
    assert_int_equal(sht_define_words(f, PS, 4, vs, 2, &err), VGT_E_INVALID);
    assert_non_null(strstr(err.message, "token 0"));
    still_draws(f);
}

static void test_unsupported_at_draw(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    vgt_error err = {0};
    /* texm3x2depth: soft and gl both run texm3x2pad but not it (docs/soft.md,
     * docs/gl.md "Texture-address instructions"): refused at the draw,
     * named */
    assert_int_equal(sht_define_asm(f, PS, 1,
                                    "ps_1_3\ntex t0\ntexm3x2pad t1, t0\ntexm3x2depth t2, t0\n"
                                    "mov r0, t0\n",
                                    &err),
                     VGT_OK);
    sht_bind(f, PS, 1);
    assert_int_equal(sht_fullscreen(f, 0, 0, 0, &err), VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "texm3x2depth"));
    /* a cube sampler with nothing bound reads (0, 0, 0, 1) */
    assert_int_equal(sht_define_asm(f, PS, 1,
                                    "ps_2_0\ndcl t0\ndcl_cube s0\ntexld r0, t0, s0\nmov oC0, r0\n",
                                    &err),
                     VGT_OK);
    assert_int_equal(sht_fullscreen(f, 0, 0, 0, &err), VGT_OK);
    sht_read_float(f);
    float got[4], want[4] = {0, 0, 0, 1};
    sht_pixel(f, 3, 3, got);
    sht_assert4("unbound cube sampler", got, want, 0);
    still_draws(f);
}

#if SHT_IS_GL
/* gl only: what valid bytecode cannot become in GLSL. */
static void test_gl_refusals(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    vgt_error err = {0};
    /* a subroutine calling itself: GLSL has no recursion (D3D forbids it
     * too); the draw fails with the compiler's words, again without
     * compiling, and the backend keeps drawing */
    assert_int_equal(sht_define_asm(f, PS, 1,
                                    "ps_3_0\ndef c0, 1, 1, 1, 1\ncall l0\nmov oC0, r0\nret\n"
                                    "label l0\nadd r0, r0, c0\ncall l0\nret\n",
                                    &err),
                     VGT_OK);
    sht_bind(f, PS, 1);
    assert_int_equal(sht_define_asm(f, VS, 1, sht_vs30_pass, &err), VGT_OK);
    sht_bind(f, VS, 1);
    for (int i = 0; i < 2; i++) {
        err = (vgt_error){0};
        assert_int_equal(sht_fullscreen(f, 0, 0, 0, &err), VGT_E_INVALID);
        assert_non_null(strstr(err.message, "does not compile"));
    }
    /* vertex texture fetch is not offered (caps) */
    assert_int_equal(sht_define_asm(f, VS, 2,
                                    "vs_3_0\ndcl_position v0\ndcl_position o0\ndcl_2d s0\n"
                                    "texldl r0, v0, s0\nadd o0, v0, r0\n",
                                    &err),
                     VGT_OK);
    sht_bind(f, VS, 2);
    assert_int_equal(sht_define_asm(f, PS, 2, "ps_3_0\ndef c0, 1, 1, 1, 1\nmov oC0, c0\n", &err),
                     VGT_OK);
    sht_bind(f, PS, 2);
    assert_int_equal(sht_fullscreen(f, 0, 0, 0, &err), VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "vertex texture"));
    still_draws(f);
}
#endif

/* ---- fuzz ------------------------------------------------------------------ */

static const char *const corpus[] = {
    "vs_3_0\ndefi i0, 3, 0, 1, 0\ndcl_position v0\ndcl_texcoord v1\ndcl_position o0\n"
    "dcl_texcoord o1\nmov r0, v1\nloop aL, i0\nadd r0, r0, c0[aL]\nbreak_gt r0.x, c1.x\n"
    "endloop\nmov o0, v0\nmov o1, r0\n",
    "vs_2_0\ndef c5, 8, 0.159154937, 0.5, 0\ndcl_position v0\nmul r0.xy, v0, v0\n"
    "add r0.x, r0.y, r0.x\nmad r0.y, r0.x, c5.x, c4.x\nsincos r1.xy, r0.y, c6, c7\n"
    "mova a0.x, r0.x\nmov r2, c0[a0.x]\nm4x4 oPos, v0, c0\nmov oT0, r1\nmov oD0, r2\n",
    "ps_3_0\ndefi i0, 4, 0, 1, 0\ndcl_texcoord v0\ndcl_2d s0\ndcl vPos.xy\nmov r0, v0\n"
    "rep i0\nsetp_gt p0, r0, c0\n(p0) add r0, r0, -c1\nbreakp p0.y\nendrep\n"
    "if_lt vPos.x, c2.x\ntexld r1, r0, s0\nelse\ndsx r1, r0\nendif\ncall l0\nmov oC0, r1\nret\n"
    "label l0\ntexkill r0\nlog r1.w, r1.x\nret\n",
    "ps_2_0\ndcl t0.xyz\ndcl_2d s0\nmul r0.xy, t0, c0.x\nfrc r0.xy, r0\ntexld r1, r0, s0\n"
    "cmp r0, r0.x, c1, c2\nlrp r2, r0.w, r1, c3\nrcp r3.x, r2.x\nrsq r3.y, r2.y\n"
    "pow r3.z, r2.z, r2.w\nnrm r4.xyz, r3\nmov oC0, r4\n",
    ("ps_1_4\ntexld r0, t0\ntexcrd r1.xyz, t1\nphase\ntexld r2, r0\nadd_x2 r0, r0, r2_bx2\n"
     "cnd r0, r1, r0, c0\n"),
};

static uint32_t rng_next(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 33);
}

static void test_fuzz(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    const char *it = getenv(SHT_CAPS->fuzz_iterations_env);
    const char *sd = getenv(SHT_CAPS->fuzz_seed_env);
    uint32_t iterations = it ? (uint32_t)strtoul(it, NULL, 10) : 20000u;
    uint64_t seed = sd ? strtoull(sd, NULL, 10) : 12345u;
    uint32_t *base[5];
    size_t nbase[5];
    for (int i = 0; i < 5; i++) {
        vgt_shader_diag diag;
        vgt_error err = {0};
        if (vgt_shader_assemble(corpus[i], strlen(corpus[i]), &base[i], &nbase[i], &diag, &err) !=
            VGT_OK) {
            fail_msg("corpus %d: %s", i, err.message);
        }
    }
    /* a texture for the samplers, and a vertex shader partner */
    sht_define_surface(f, SHT_SID_TEX, VGT_SVGA3D_A8R8G8B8, 4, 4, 1);
    sht_ts(f, 0, VGT_SVGA3D_TS_BIND_TEXTURE, SHT_SID_TEX);
    vgt_error err = {0};
    assert_int_equal(sht_define_asm(f, VS, 100, sht_vs30_pass, &err), VGT_OK);
    assert_int_equal(sht_define_asm(f, PS, 100, "ps_3_0\ndcl_texcoord v0\nmov oC0, v0\n", &err),
                     VGT_OK);
    for (uint32_t i = 0; i < 8; i++) {
        sht_constf(f, VS, i, (float)i - 2.0f, 0.5f, 3.0f, -1.0f);
        sht_constf(f, PS, i, 0.25f * (float)i, -1.0f, 2.0f, 0.5f);
    }
    sht_consti(f, PS, 0, 255, 0, 1, 0);
    uint32_t accepted = 0, drawn = 0;
    uint32_t buf[512];
    for (uint32_t n = 0; n < iterations; n++) {
        uint32_t k = rng_next(&seed) % 5;
        size_t len = nbase[k];
        memcpy(buf, base[k], len * 4);
        uint32_t muts = 1 + rng_next(&seed) % 4;
        for (uint32_t m = 0; m < muts; m++) {
            uint32_t pos = 1 + rng_next(&seed) % (uint32_t)(len - 1);
            switch (rng_next(&seed) % 4) {
            case 0:
                buf[pos] ^= 1u << (rng_next(&seed) % 32);
                break;
            case 1:
                buf[pos] = rng_next(&seed);
                break;
            case 2:
                buf[pos] = (buf[pos] & 0xFFFF0000u) | (rng_next(&seed) % 100);
                break;
            default:
                len = pos + 1 + rng_next(&seed) % (uint32_t)(len - pos);
                break;
            }
        }
        bool vs = (buf[0] >> 16) == 0xFFFE;
        uint32_t type = vs ? VS : PS;
        if (sht_define_words(f, type, 1, buf, (uint32_t)len, &err) != VGT_OK) {
            continue;
        }
        accepted++;
        sht_bind(f, type, 1);
        sht_bind(f, vs ? PS : VS, 100);
        vgt_status st = sht_fullscreen(f, 0.5f, 0.25f, 0xFF808080u, &err);
        assert_true(st == VGT_OK || st == VGT_E_UNSUPPORTED);
        drawn += st == VGT_OK;
    }
    for (int i = 0; i < 5; i++) {
        free(base[i]);
    }
    printf("fuzz: %u mutated shaders, %u accepted, %u drawn\n", iterations, accepted, drawn);
    assert_true(drawn > 0);
    still_draws(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_malformed_define, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_unsupported_at_draw, sht_setup, sht_teardown),
#if SHT_IS_GL
        cmocka_unit_test_setup_teardown(test_gl_refusals, sht_setup, sht_teardown),
#endif
        cmocka_unit_test_setup_teardown(test_fuzz, sht_setup, sht_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
