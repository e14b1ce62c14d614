/* test_shader_packing.c - semantic packing (Direct3D 9's dcl_semantics: a
 * vs_3_0 output or ps_3_0 input register declared again with a disjoint
 * write mask, one semantic each): what the parser accepts and records in
 * vgt_shader.io, what it refuses (with the message), the shared linking
 * rule (vgt_shader_io_link / _scalar / _semantic), and the disassembler and
 * assembler round trip of packed declarations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vgt_protocol.h"

/* Assembles and parses text; fails the test unless both succeed. */
static vgt_shader *parse_ok(const char *text, uint32_t **words_out, size_t *n_out)
{
    uint32_t *w = NULL;
    size_t n = 0;
    vgt_error err = {0};
    vgt_shader_diag diag = {0};
    if (vgt_shader_assemble(text, strlen(text), &w, &n, &diag, &err) != VGT_OK) {
        fail_msg("assemble: %s\n%s", err.message, text);
    }
    vgt_shader *sh = NULL;
    if (vgt_shader_parse(w, n, &sh, &diag, &err) != VGT_OK) {
        fail_msg("parse: %s", err.message);
    }
    if (words_out) {
        *words_out = w;
        *n_out = n;
    } else {
        free(w);
    }
    return sh;
}

/* The assembler validates with the parser: its error is the parser's. */
static void refused(const char *text, uint32_t token, const char *message)
{
    uint32_t *w = NULL;
    size_t n = 0;
    vgt_error err = {0};
    vgt_shader_diag diag = {0};
    vgt_status st = vgt_shader_assemble(text, strlen(text), &w, &n, &diag, &err);
    assert_int_equal(st, VGT_E_INVALID);
    assert_null(w);
    assert_int_equal(diag.fault, VGT_SHADER_FAULT_DECL);
    assert_int_equal(diag.token, token);
    if (!strstr(err.message, message)) {
        fail_msg("message\n  %s\nlacks\n  %s", err.message, message);
    }
}

static void expect_sem(const vgt_shader_io_reg *r, uint32_t e, uint8_t mask, uint8_t usage,
                       uint8_t index)
{
    assert_true(e < r->count);
    assert_int_equal(r->sem[e].mask, mask);
    assert_int_equal(r->sem[e].usage, usage);
    assert_int_equal(r->sem[e].usage_index, index);
}

static void test_vs_outputs_recorded(void **state)
{
    (void)state;
    vgt_shader *sh = parse_ok("vs_3_0\n"
                              "dcl_position v0\n"
                              "dcl_position o0\n"
                              "dcl_texcoord0 o3.xy\n"
                              "dcl_texcoord1 o3.zw\n"
                              "dcl_color1 o5.w\n"
                              "dcl_fog o5.x\n"
                              "dcl_normal o5.yz\n"
                              "mov o0, v0\n",
                              NULL, NULL);
    expect_sem(&sh->io.reg[0], 0, 0xF, VGT_SUSAGE_POSITION, 0);
    assert_int_equal(sh->io.reg[0].count, 1);
    assert_int_equal(sh->io.reg[3].count, 2);
    expect_sem(&sh->io.reg[3], 0, 0x3, VGT_SUSAGE_TEXCOORD, 0);
    expect_sem(&sh->io.reg[3], 1, 0xC, VGT_SUSAGE_TEXCOORD, 1);
    assert_int_equal(sh->io.reg[5].count, 3);
    expect_sem(&sh->io.reg[5], 0, 0x8, VGT_SUSAGE_COLOR, 1);
    expect_sem(&sh->io.reg[5], 1, 0x1, VGT_SUSAGE_FOG, 0);
    expect_sem(&sh->io.reg[5], 2, 0x6, VGT_SUSAGE_NORMAL, 0);
    assert_int_equal(sh->io.reg[1].count, 0);
    /* the vs inputs are not in io (they are named by the vertex declaration) */
    assert_int_equal(sh->summary.outputs, (1u << 0) | (1u << 3) | (1u << 5));

    /* the link rule: positions kept, only the declared mask */
    assert_int_equal(vgt_shader_io_link(&sh->io, VGT_SUSAGE_TEXCOORD, 1, 2), 3 * 4 + 2);
    assert_int_equal(vgt_shader_io_link(&sh->io, VGT_SUSAGE_TEXCOORD, 1, 3), 3 * 4 + 3);
    assert_int_equal(vgt_shader_io_link(&sh->io, VGT_SUSAGE_TEXCOORD, 1, 0), -1);
    assert_int_equal(vgt_shader_io_link(&sh->io, VGT_SUSAGE_TEXCOORD, 0, 1), 3 * 4 + 1);
    assert_int_equal(vgt_shader_io_link(&sh->io, VGT_SUSAGE_TEXCOORD, 0, 2), -1);
    assert_int_equal(vgt_shader_io_link(&sh->io, VGT_SUSAGE_COLOR, 1, 3), 5 * 4 + 3);
    assert_int_equal(vgt_shader_io_link(&sh->io, VGT_SUSAGE_POSITION, 0, 3), 3);
    assert_int_equal(vgt_shader_io_link(&sh->io, VGT_SUSAGE_TEXCOORD, 2, 0), -1);
    assert_int_equal(vgt_shader_io_link(&sh->io, VGT_SUSAGE_TEXCOORD, 0, 4), -1);
    /* a scalar is its first declared component */
    assert_int_equal(vgt_shader_io_scalar(&sh->io, VGT_SUSAGE_FOG, 0), 5 * 4 + 0);
    assert_int_equal(vgt_shader_io_scalar(&sh->io, VGT_SUSAGE_COLOR, 1), 5 * 4 + 3);
    assert_int_equal(vgt_shader_io_scalar(&sh->io, VGT_SUSAGE_NORMAL, 0), 5 * 4 + 1);
    assert_int_equal(vgt_shader_io_scalar(&sh->io, VGT_SUSAGE_PSIZE, 0), -1);
    vgt_shader_free(sh);
}

static void test_ps_inputs_recorded(void **state)
{
    (void)state;
    /* Microsoft's dcl_semantics example, then a lone partial declaration */
    vgt_shader *sh = parse_ok("ps_3_0\n"
                              "dcl_normal v0.xyz\n"
                              "dcl_blendweight v0.w\n"
                              "dcl_texcoord1 v1.y\n"
                              "dcl_texcoord0 v1.zw\n"
                              "dcl_color v2.xy\n"
                              "mov r0, v0\n"
                              "add r0, r0, v1\n"
                              "mov oC0, r0\n",
                              NULL, NULL);
    assert_int_equal(sh->io.reg[0].count, 2);
    expect_sem(&sh->io.reg[0], 0, 0x7, VGT_SUSAGE_NORMAL, 0);
    expect_sem(&sh->io.reg[0], 1, 0x8, VGT_SUSAGE_BLENDWEIGHT, 0);
    expect_sem(&sh->io.reg[1], 0, 0x2, VGT_SUSAGE_TEXCOORD, 1);
    expect_sem(&sh->io.reg[1], 1, 0xC, VGT_SUSAGE_TEXCOORD, 0);
    uint32_t u = 99, x = 99;
    assert_true(vgt_shader_io_semantic(&sh->io, 0, 3, &u, &x));
    assert_int_equal(u, VGT_SUSAGE_BLENDWEIGHT);
    assert_true(vgt_shader_io_semantic(&sh->io, 0, 1, &u, &x));
    assert_int_equal(u, VGT_SUSAGE_NORMAL);
    assert_true(vgt_shader_io_semantic(&sh->io, 1, 3, &u, &x));
    assert_int_equal(u, VGT_SUSAGE_TEXCOORD);
    assert_int_equal(x, 0);
    assert_true(vgt_shader_io_semantic(&sh->io, 1, 1, &u, &x));
    assert_int_equal(x, 1);
    /* v1.x: no declaration of the packed register covers it */
    assert_false(vgt_shader_io_semantic(&sh->io, 1, 0, &u, &x));
    /* a lone declaration (v2.xy) gives its semantic to the whole register */
    assert_true(vgt_shader_io_semantic(&sh->io, 2, 3, &u, &x));
    assert_int_equal(u, VGT_SUSAGE_COLOR);
    assert_false(vgt_shader_io_semantic(&sh->io, 3, 0, &u, &x));
    assert_false(vgt_shader_io_semantic(&sh->io, 16, 0, &u, &x));
    vgt_shader_free(sh);
}

static void test_refused(void **state)
{
    (void)state;
    /* the dcl's register operand is token 3 + 3 * (dcls before it) here */
    refused("vs_3_0\ndcl_texcoord0 o3.xy\ndcl_texcoord1 o3.yzw\n", 6,
            "dcl: dcl_texcoord1 o3.yzw overlaps dcl_texcoord0 o3.xy (token 3); a register "
            "declared again needs a write mask disjoint from its others");
    refused("ps_3_0\ndcl_color0 v1.x\ndcl_texcoord0 v1.zw\ndcl_normal v1.yz\n", 9,
            "dcl: dcl_normal0 v1.yz overlaps dcl_texcoord0 v1.zw (token 6)");
    /* the same semantic twice in a stage, packed or not */
    refused("vs_3_0\ndcl_texcoord2 o1.xy\ndcl_texcoord2 o1.zw\n", 6,
            "dcl: dcl_texcoord2 o1.zw: the semantic is already declared (o1.xy at token 3); a "
            "semantic names one set of components");
    refused("ps_3_0\ndcl_texcoord0 v0\ndcl_color0 v1\ndcl_texcoord0 v4.x\n", 9,
            "dcl: dcl_texcoord0 v4.x: the semantic is already declared (v0.xyzw at token 3)");
    /* position and psize take their register whole, whichever comes first */
    refused("vs_3_0\ndcl_position o0.xyz\ndcl_texcoord0 o0.w\n", 6,
            "dcl: dcl_texcoord0 o0.w shares o0 with dcl_position0 o0.xyz (token 3); position "
            "and psize take a register of their own (full write mask)");
    refused("vs_3_0\ndcl_fog o4.x\ndcl_psize o4.y\n", 6,
            "dcl: dcl_psize0 o4.y shares o4 with dcl_fog0 o4.x (token 3)");
    /* the rules that were there stay: vs inputs (no write mask in
     * Direct3D 9's dcl_usage input), sm2 registers, samplers */
    refused("vs_3_0\ndcl_texcoord0 v0.xy\ndcl_texcoord1 v0.zw\n", 6, "dcl: v0 is declared twice");
    refused("ps_2_0\ndcl v0.xy\ndcl v0.zw\n", 6, "dcl: v0 is declared twice");
    refused("ps_3_0\ndcl_2d s0\ndcl_2d s0\n", 6, "dcl: s0 is declared twice");
    refused("ps_3_0\ndcl vFace\ndcl vFace\n", 6, "dcl: vFace is declared twice");
}

static void test_position1_packs(void **state)
{
    (void)state;
    /* only position0 / psize0 are the rasterizer's: position1 is an
     * interpolant like any other */
    vgt_shader *sh =
        parse_ok("vs_3_0\ndcl_position o0\ndcl_position1 o1.xyz\ndcl_fog o1.w\n", NULL, NULL);
    assert_int_equal(sh->io.reg[1].count, 2);
    vgt_shader_free(sh);
}

static void test_roundtrip(void **state)
{
    (void)state;
    static const char *const text[2] = {
        "vs_3_0\n"
        "dcl_position v0\n"
        "dcl_position o0\n"
        "dcl_texcoord1 o3.zw\n"
        "dcl_color o3.x\n"
        "dcl_texcoord o3.y\n"
        "mov o0, v0\n"
        "mov o3, v0\n",
        "ps_3_0\n"
        "dcl_texcoord1_centroid v2.zw\n"
        "dcl_color v2.x\n"
        "dcl_texcoord v2.y\n"
        "mov oC0, v2\n",
    };
    for (int i = 0; i < 2; i++) {
        uint32_t *w = NULL, *w2 = NULL;
        size_t n = 0, n2 = 0;
        vgt_shader *sh = parse_ok(text[i], &w, &n);
        char *dis = NULL;
        vgt_error err = {0};
        assert_int_equal(vgt_shader_disassemble(sh, 0, &dis, NULL, &err), VGT_OK);
        /* the disassembly is the text (the same spelling) */
        assert_string_equal(dis, text[i]);
        vgt_shader_diag diag = {0};
        assert_int_equal(vgt_shader_assemble(dis, strlen(dis), &w2, &n2, &diag, &err), VGT_OK);
        assert_int_equal(n2, n);
        assert_memory_equal(w2, w, n * sizeof(uint32_t));
        free(dis);
        free(w);
        free(w2);
        vgt_shader_free(sh);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vs_outputs_recorded),
        cmocka_unit_test(test_ps_inputs_recorded),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_position1_packs),
        cmocka_unit_test(test_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
