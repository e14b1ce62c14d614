/* test_shader_ops.c - one case per instruction (and per model variant):
 * assemble canonical text, check the parsed opcode and (where given) the exact
 * tokens, disassemble back to the same text, reassemble to the same tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vgt_protocol.h"

#define NT 12

typedef struct op_case {
    const char *text; /* canonical: disassembly gives exactly this back */
    uint32_t insn;    /* the instruction under test (index in the parsed shader) */
    uint32_t opcode;  /* its expected opcode */
    uint32_t ntok;    /* expected tokens of that instruction (0: not checked) */
    uint32_t tok[NT];
} op_case;

static const op_case cases[] = {
    /* arithmetic, vs_1_1 */
    {"vs_1_1\nnop\n", 0, VGT_SOP_NOP, 1, {0x00000000}},
    {"vs_1_1\nmov r0, c5[a0.x]\n", 0, VGT_SOP_MOV, 3, {0x00000001, 0x800f0000, 0xa0e42005}},
    {"vs_1_1\nmov a0.x, c0.x\n", 0, VGT_SOP_MOV, 3, {0x00000001, 0xb0010000, 0xa0000000}},
    {"vs_1_1\nadd r0, v0, -c1.x\n",
     0,
     VGT_SOP_ADD,
     4,
     {0x00000002, 0x800f0000, 0x90e40000, 0xa1000001}},
    {"vs_1_1\nsub r0.xy, v0.yxzw, c1\n", 0, VGT_SOP_SUB, 0, {0}},
    {"vs_1_1\nmad r0, v0, c1, r1\n", 0, VGT_SOP_MAD, 0, {0}},
    {"vs_1_1\nmul r0, v0, c1\n", 0, VGT_SOP_MUL, 0, {0}},
    {"vs_1_1\nrcp r0.x, v0.w\n", 0, VGT_SOP_RCP, 0, {0}},
    {"vs_1_1\nrsq r0.x, v0.w\n", 0, VGT_SOP_RSQ, 0, {0}},
    {"vs_1_1\ndp3 r0.x, v0, c1\n", 0, VGT_SOP_DP3, 0, {0}},
    {"vs_1_1\ndp4 oPos.x, v0, c0\n",
     0,
     VGT_SOP_DP4,
     4,
     {0x00000009, 0xc0010000, 0x90e40000, 0xa0e40000}},
    {"vs_1_1\nmin r0, v0, c1\n", 0, VGT_SOP_MIN, 0, {0}},
    {"vs_1_1\nmax r0, v0, c1\n", 0, VGT_SOP_MAX, 0, {0}},
    {"vs_1_1\nslt r0, v0, c1\n", 0, VGT_SOP_SLT, 0, {0}},
    {"vs_1_1\nsge r0, v0, c1\n", 0, VGT_SOP_SGE, 0, {0}},
    {"vs_1_1\nexp r0, v0.x\n", 0, VGT_SOP_EXP, 0, {0}},
    {"vs_1_1\nlog r0, v0.x\n", 0, VGT_SOP_LOG, 0, {0}},
    {"vs_1_1\nlit r0, v0\n", 0, VGT_SOP_LIT, 0, {0}},
    {"vs_1_1\ndst r0, v0, v1\n", 0, VGT_SOP_DST, 0, {0}},
    {"vs_1_1\nfrc r0, v0\n", 0, VGT_SOP_FRC, 0, {0}},
    {"vs_1_1\nm4x4 oPos, v0, c0\n", 0, VGT_SOP_M4X4, 0, {0}},
    {"vs_1_1\nm4x3 r0.xyz, v0, c0\n", 0, VGT_SOP_M4X3, 0, {0}},
    {"vs_1_1\nm3x4 r0, v0, c0\n", 0, VGT_SOP_M3X4, 0, {0}},
    {"vs_1_1\nm3x3 r0.xyz, v0, c0\n", 0, VGT_SOP_M3X3, 0, {0}},
    {"vs_1_1\nm3x2 r0.xy, v0, c0\n", 0, VGT_SOP_M3X2, 0, {0}},
    {"vs_1_1\nexpp r0, v0.x\n", 0, VGT_SOP_EXPP, 0, {0}},
    {"vs_1_1\nlogp r0, v0.x\n", 0, VGT_SOP_LOGP, 0, {0}},
    {"vs_1_1\ndcl_blendweight v1\n", 0, VGT_SOP_DCL, 3, {0x0000001f, 0x80000001, 0x900f0001}},
    {"vs_1_1\ndef c0, 1, 0.5, -2, 0\n",
     0,
     VGT_SOP_DEF,
     6,
     {0x00000051, 0xa00f0000, 0x3f800000, 0x3f000000, 0xc0000000, 0x00000000}},
    /* vs_2_0 */
    {"vs_2_0\nmov r0, c5[a0.x]\n",
     0,
     VGT_SOP_MOV,
     4,
     {0x03000001, 0x800f0000, 0xa0e42005, 0xb0000000}},
    {"vs_2_0\nmova a0.x, c0.x\n", 0, VGT_SOP_MOVA, 3, {0x0200002e, 0xb0010000, 0xa0000000}},
    {"vs_2_0\nlrp r0, c0.x, v0, v1\n", 0, VGT_SOP_LRP, 0, {0}},
    {"vs_2_0\npow r0, v0.x, c0.y\n", 0, VGT_SOP_POW, 0, {0}},
    {"vs_2_0\ncrs r0.xyz, v0, v1\n", 0, VGT_SOP_CRS, 0, {0}},
    {"vs_2_0\nsgn r0, v0, r1, r2\n", 0, VGT_SOP_SGN, 0, {0}},
    {"vs_2_0\nabs r0, v0\n", 0, VGT_SOP_ABS, 0, {0}},
    {"vs_2_0\nnrm r0, v0\n", 0, VGT_SOP_NRM, 0, {0}},
    {"vs_2_0\nsincos r0.xy, r1.x, c2, c3\n",
     0,
     VGT_SOP_SINCOS,
     5,
     {0x04000025, 0x80030000, 0x80000001, 0xa0e40002, 0xa0e40003}},
    {"vs_2_0\ndefi i0, 1, 2, 3, -4\n",
     0,
     VGT_SOP_DEFI,
     6,
     {0x05000030, 0xf00f0000, 1, 2, 3, 0xfffffffc}},
    {"vs_2_0\ndefb b0, true\n", 0, VGT_SOP_DEFB, 3, {0x0200002f, 0xe00f0800, 1}},
    {"vs_2_0\nloop aL, i0\nendloop\n", 0, VGT_SOP_LOOP, 3, {0x0200001b, 0xf0e40800, 0xf0e40000}},
    {"vs_2_0\nloop aL, i0\nendloop\n", 1, VGT_SOP_ENDLOOP, 1, {0x0000001d}},
    {"vs_2_0\nrep i1\nendrep\n", 0, VGT_SOP_REP, 2, {0x01000026, 0xf0e40001}},
    {"vs_2_0\nrep i1\nendrep\n", 1, VGT_SOP_ENDREP, 1, {0x00000027}},
    {"vs_2_0\nif b3\nelse\nendif\n", 0, VGT_SOP_IF, 2, {0x01000028, 0xe0e40803}},
    {"vs_2_0\nif b3\nelse\nendif\n", 1, VGT_SOP_ELSE, 1, {0x0000002a}},
    {"vs_2_0\nif b3\nelse\nendif\n", 2, VGT_SOP_ENDIF, 1, {0x0000002b}},
    {"vs_2_0\ncall l1\nret\nlabel l1\nret\n", 0, VGT_SOP_CALL, 2, {0x01000019, 0xa0e41001}},
    {"vs_2_0\ncall l1\nret\nlabel l1\nret\n", 1, VGT_SOP_RET, 1, {0x0000001c}},
    {"vs_2_0\ncall l1\nret\nlabel l1\nret\n", 2, VGT_SOP_LABEL, 2, {0x0100001e, 0xa0e41001}},
    {"vs_2_0\ncallnz l2, b0\nret\nlabel l2\nret\n", 0, VGT_SOP_CALLNZ, 0, {0}},
    /* vs_2_x */
    {"vs_2_x\nif_gt r0.x, c0.x\nendif\n", 0, VGT_SOP_IFC, 3, {0x02010029, 0x80000000, 0xa0000000}},
    {"vs_2_x\nrep i0\nbreak\nendrep\n", 1, VGT_SOP_BREAK, 1, {0x0000002c}},
    {"vs_2_x\nrep i0\nbreak_le r0.x, c0.y\nendrep\n",
     1,
     VGT_SOP_BREAKC,
     3,
     {0x0206002d, 0x80000000, 0xa0550000}},
    {"vs_2_x\nrep i0\nbreakp !p0.x\nendrep\n", 1, VGT_SOP_BREAKP, 2, {0x01000060, 0xbd001000}},
    {"vs_2_x\nsetp_ge p0.x, r0, c0\n",
     0,
     VGT_SOP_SETP,
     4,
     {0x0303005e, 0xb0011000, 0x80e40000, 0xa0e40000}},
    {"vs_2_x\n(p0) add r0, r1, r2\n",
     0,
     VGT_SOP_ADD,
     5,
     {0x14000002, 0x800f0000, 0xb0e41000, 0x80e40001, 0x80e40002}},
    {"vs_2_x\nif !p0.z\nendif\n", 0, VGT_SOP_IF, 0, {0}},
    /* vs_3_0 */
    {"vs_3_0\ndcl_texcoord3 o5.xy\n", 0, VGT_SOP_DCL, 3, {0x0200001f, 0x80030005, 0xe0030005}},
    {"vs_3_0\ndcl_position o0\nloop aL, i0\nmov o0[aL], r0\nendloop\n",
     2,
     VGT_SOP_MOV,
     4,
     {0x03000001, 0xe00f2000, 0xf0e40800, 0x80e40000}},
    {"vs_3_0\ndcl_2d s0\ntexldl r0, v0, s0\n", 1, VGT_SOP_TEXLDL, 0, {0}},
    {"vs_3_0\nsincos r0.xy, r1.x\n", 0, VGT_SOP_SINCOS, 3, {0x02000025, 0x80030000, 0x80000001}},
    {"vs_3_0\nsgn r0, r1\n", 0, VGT_SOP_SGN, 0, {0}},
    {"vs_3_0\nmov_sat r0, -r1_abs.wzyx\n", 0, VGT_SOP_MOV, 3, {0x02000001, 0x801f0000, 0x8c1b0001}},
    /* ps_1_x */
    {"ps_1_1\ntex t0\n", 0, VGT_SOP_TEX, 2, {0x00000042, 0xb00f0000}},
    {"ps_1_1\ntexcoord t1\n", 0, VGT_SOP_TEXCOORD, 2, {0x00000040, 0xb00f0001}},
    {"ps_1_1\ntexkill t1\n", 0, VGT_SOP_TEXKILL, 0, {0}},
    {"ps_1_1\ntexbem t1, t0\n", 0, VGT_SOP_TEXBEM, 0, {0}},
    {"ps_1_1\ntexbeml t1, t0\n", 0, VGT_SOP_TEXBEML, 0, {0}},
    {"ps_1_1\ntexreg2ar t1, t0\n", 0, VGT_SOP_TEXREG2AR, 0, {0}},
    {"ps_1_1\ntexreg2gb t1, t0\n", 0, VGT_SOP_TEXREG2GB, 0, {0}},
    {"ps_1_1\ntexm3x2pad t1, t0\n", 0, VGT_SOP_TEXM3X2PAD, 0, {0}},
    {"ps_1_1\ntexm3x2tex t2, t0\n", 0, VGT_SOP_TEXM3X2TEX, 0, {0}},
    {"ps_1_1\ntexm3x3pad t1, t0\n", 0, VGT_SOP_TEXM3X3PAD, 0, {0}},
    {"ps_1_1\ntexm3x3tex t3, t0\n", 0, VGT_SOP_TEXM3X3TEX, 0, {0}},
    {"ps_1_1\ntexm3x3spec t3, t0, c0\n", 0, VGT_SOP_TEXM3X3SPEC, 0, {0}},
    {"ps_1_1\ntexm3x3vspec t3, t0\n", 0, VGT_SOP_TEXM3X3VSPEC, 0, {0}},
    {"ps_1_1\ncnd r0, r0.w, t0, v0\n", 0, VGT_SOP_CND, 0, {0}},
    {"ps_1_1\nmov r0, v0\n+mov r0.w, v1.w\n",
     1,
     VGT_SOP_MOV,
     3,
     {0x40000001, 0x80080000, 0x90ff0001}},
    {"ps_1_1\nmad_x2 r1, t1_bx2, c0, 1-v0\n",
     0,
     VGT_SOP_MAD,
     5,
     {0x00000004, 0x810f0001, 0xb4e40001, 0xa0e40000, 0x96e40000}},
    {"ps_1_1\nadd_d2_sat r0, r0_bias, -r1_bx2\n",
     0,
     VGT_SOP_ADD,
     4,
     {0x00000002, 0x8f1f0000, 0x82e40000, 0x85e40001}},
    {"ps_1_2\ntexreg2rgb t1, t0\n", 0, VGT_SOP_TEXREG2RGB, 0, {0}},
    {"ps_1_2\ntexdp3tex t1, t0\n", 0, VGT_SOP_TEXDP3TEX, 0, {0}},
    {"ps_1_2\ntexdp3 t1, t0\n", 0, VGT_SOP_TEXDP3, 0, {0}},
    {"ps_1_2\ntexm3x3 t3, t0\n", 0, VGT_SOP_TEXM3X3, 0, {0}},
    {"ps_1_2\ndp4 r0, t0, c0\n", 0, VGT_SOP_DP4, 0, {0}},
    {"ps_1_2\ncmp r0, t0, c0, v0\n", 0, VGT_SOP_CMP, 0, {0}},
    {"ps_1_3\ntexm3x2depth t3, t0\n", 0, VGT_SOP_TEXM3X2DEPTH, 0, {0}},
    {"ps_1_4\ntexld r0, t0\n", 0, VGT_SOP_TEX, 3, {0x00000042, 0x800f0000, 0xb0e40000}},
    {"ps_1_4\ntexcrd r0.xyz, t1_dz\n",
     0,
     VGT_SOP_TEXCOORD,
     3,
     {0x00000040, 0x80070000, 0xb9e40001}},
    {"ps_1_4\ntexdepth r5\n", 0, VGT_SOP_TEXDEPTH, 0, {0}},
    {"ps_1_4\nbem r0.xy, r1, r2\n", 0, VGT_SOP_BEM, 0, {0}},
    {"ps_1_4\nphase\n", 0, VGT_SOP_PHASE, 1, {0x0000fffd}},
    {"ps_1_4\nmul_x4 r0, r1_x2, c0\n", 0, VGT_SOP_MUL, 0, {0}},
    /* ps_2_0 */
    {"ps_2_0\ndcl_2d s0\n", 0, VGT_SOP_DCL, 3, {0x0200001f, 0x90000000, 0xa00f0800}},
    {"ps_2_0\ndcl_centroid t1.xy\n", 0, VGT_SOP_DCL, 3, {0x0200001f, 0x80000000, 0xb0430001}},
    {"ps_2_0\ntexld r0, t0, s0\n",
     0,
     VGT_SOP_TEX,
     4,
     {0x03000042, 0x800f0000, 0xb0e40000, 0xa0e40800}},
    {"ps_2_0\ntexldp r0, t0, s0\n",
     0,
     VGT_SOP_TEX,
     4,
     {0x03010042, 0x800f0000, 0xb0e40000, 0xa0e40800}},
    {"ps_2_0\ntexldb_pp r0, t0, s1\n", 0, VGT_SOP_TEX, 0, {0}},
    {"ps_2_0\ntexkill r0\n", 0, VGT_SOP_TEXKILL, 2, {0x01000041, 0x800f0000}},
    {"ps_2_0\ndp2add r0, r1, c0, c0.x\n", 0, VGT_SOP_DP2ADD, 0, {0}},
    {"ps_2_0\nsincos r0.xy, r1.x, c2, c3\n", 0, VGT_SOP_SINCOS, 0, {0}},
    {"ps_2_0\nmov oDepth, r0.x\n", 0, VGT_SOP_MOV, 0, {0}},
    {"ps_2_0\nmov_sat_pp oC3, r0\n", 0, VGT_SOP_MOV, 3, {0x02000001, 0x803f0803, 0x80e40000}},
    /* ps_2_x */
    {"ps_2_x\ndsx r0, t0\n", 0, VGT_SOP_DSX, 0, {0}},
    {"ps_2_x\ndsy r0, t0\n", 0, VGT_SOP_DSY, 0, {0}},
    {"ps_2_x\ntexldd r0, t0, s0, r1, r2\n",
     0,
     VGT_SOP_TEXLDD,
     6,
     {0x0500005d, 0x800f0000, 0xb0e40000, 0xa0e40800, 0x80e40001, 0x80e40002}},
    {"ps_2_x\nrep i0\nbreak_eq r0.x, c0.x\nendrep\n", 1, VGT_SOP_BREAKC, 0, {0}},
    {"ps_2_x\n(!p0.y) texld r0, t0, s0\n", 0, VGT_SOP_TEX, 0, {0}},
    /* ps_3_0 */
    {"ps_3_0\ndcl vFace\n", 0, VGT_SOP_DCL, 3, {0x0200001f, 0x80000000, 0x900f1001}},
    {"ps_3_0\ndcl_texcoord1_centroid v1.xy\n",
     0,
     VGT_SOP_DCL,
     3,
     {0x0200001f, 0x80010005, 0x90430001}},
    {"ps_3_0\nloop aL, i0\nadd r0, r0, v0[aL]\nendloop\n",
     1,
     VGT_SOP_ADD,
     5,
     {0x04000002, 0x800f0000, 0x80e40000, 0x90e42000, 0xf0e40800}},
    {"ps_3_0\ntexldl r0, v0, s15\n", 0, VGT_SOP_TEXLDL, 0, {0}},
    {"ps_3_0\ncmp r0, vFace, c0, -c0_abs\n", 0, VGT_SOP_CMP, 0, {0}},
};

/* The n-th line (0-based) of text, without the newline. */
static void nth_line(const char *text, uint32_t n, char *out, size_t size)
{
    const char *p = text;
    for (uint32_t i = 0; i < n && p; i++) {
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    assert_non_null(p);
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    assert_true(len < size);
    memcpy(out, p, len);
    out[len] = '\0';
}

static void test_each_case(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const op_case *c = &cases[k];
        uint32_t *w = NULL;
        size_t n = 0;
        vgt_error err = {0};
        vgt_shader_diag diag;
        if (vgt_shader_assemble(c->text, strlen(c->text), &w, &n, &diag, &err) != VGT_OK) {
            fail_msg("case %zu '%s': %s", k, c->text, err.message);
        }
        vgt_shader *sh = NULL;
        if (vgt_shader_parse(w, n, &sh, &diag, &err) != VGT_OK) {
            fail_msg("case %zu: parse: %s", k, err.message);
        }
        assert_true(c->insn < sh->insn_count);
        const vgt_shader_insn *in = &sh->insns[c->insn];
        if (in->opcode != c->opcode) {
            fail_msg("case %zu '%s': opcode %u, want %u", k, c->text, in->opcode, c->opcode);
        }
        if (c->ntok) {
            assert_int_equal(in->token_count, c->ntok);
            for (uint32_t i = 0; i < c->ntok; i++) {
                if (w[in->token_offset + i] != c->tok[i]) {
                    fail_msg("case %zu '%s': token %u is 0x%08x, want 0x%08x", k, c->text, i,
                             w[in->token_offset + i], c->tok[i]);
                }
            }
        }
        /* One line. */
        char line[256], want[256];
        size_t need = vgt_shader_format_insn(sh, in, line, sizeof(line));
        assert_int_equal(need, strlen(line));
        nth_line(c->text, c->insn + 1, want, sizeof(want));
        assert_string_equal(line, want);
        /* The whole listing is the text again, and assembles to the same tokens. */
        char *text;
        size_t len;
        assert_int_equal(vgt_shader_disassemble(sh, 0, &text, &len, &err), VGT_OK);
        assert_string_equal(text, c->text);
        uint32_t *w2;
        size_t n2;
        assert_int_equal(vgt_shader_assemble(text, len, &w2, &n2, NULL, &err), VGT_OK);
        assert_int_equal(n2, n);
        assert_memory_equal(w2, w, n * 4);
        free(w2);
        free(text);
        vgt_shader_free(sh);
        free(w);
    }
}

/* Every instruction any model has appears in the case table. */
static void test_cases_cover_every_opcode(void **state)
{
    (void)state;
    static const vgt_shader_type types[2] = {VGT_SHADER_VS, VGT_SHADER_PS};
    static const uint32_t vers[] = {VGT_SHADER_V11, VGT_SHADER_V12, VGT_SHADER_V13, VGT_SHADER_V14,
                                    VGT_SHADER_V20, VGT_SHADER_V2X, VGT_SHADER_V30};
    for (uint32_t op = 0; op <= 0xFFFF; op++) {
        bool exists = false;
        for (unsigned t = 0; t < 2; t++) {
            for (unsigned v = 0; v < sizeof(vers) / sizeof(vers[0]); v++) {
                exists |= vgt_shader_opcode_info(types[t], vers[v], op) != NULL;
            }
        }
        if (!exists) {
            continue;
        }
        bool found = false;
        for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]) && !found; k++) {
            found = cases[k].opcode == op;
        }
        if (!found) {
            fail_msg("opcode %u (%s) has no case", op, vgt_shader_opcode_name(op));
        }
    }
    assert_null(vgt_shader_opcode_info(VGT_SHADER_PS, VGT_SHADER_V13, 75)); /* reserved */
}

/* Operand counts that change with the model. */
static void test_model_variants(void **state)
{
    (void)state;
    const vgt_shader_opinfo *i;
    i = vgt_shader_opcode_info(VGT_SHADER_PS, VGT_SHADER_V13, VGT_SOP_TEX);
    assert_string_equal(i->name, "tex");
    assert_int_equal(i->src_count, 0);
    i = vgt_shader_opcode_info(VGT_SHADER_PS, VGT_SHADER_V14, VGT_SOP_TEX);
    assert_string_equal(i->name, "texld");
    assert_int_equal(i->src_count, 1);
    i = vgt_shader_opcode_info(VGT_SHADER_PS, VGT_SHADER_V20, VGT_SOP_TEX);
    assert_int_equal(i->src_count, 2);
    i = vgt_shader_opcode_info(VGT_SHADER_VS, VGT_SHADER_V20, VGT_SOP_SINCOS);
    assert_int_equal(i->src_count, 3);
    i = vgt_shader_opcode_info(VGT_SHADER_VS, VGT_SHADER_V30, VGT_SOP_SINCOS);
    assert_int_equal(i->src_count, 1);
    i = vgt_shader_opcode_info(VGT_SHADER_PS, VGT_SHADER_V14, VGT_SOP_TEXCOORD);
    assert_string_equal(i->name, "texcrd");
    assert_null(vgt_shader_opcode_info(VGT_SHADER_PS, VGT_SHADER_V20, VGT_SOP_TEXCOORD));
    assert_null(vgt_shader_opcode_info(VGT_SHADER_VS, VGT_SHADER_V11, VGT_SOP_LRP));
    assert_null(vgt_shader_opcode_info(VGT_SHADER_PS, VGT_SHADER_V20, VGT_SOP_LOOP));
    assert_non_null(vgt_shader_opcode_info(VGT_SHADER_PS, VGT_SHADER_V30, VGT_SOP_LOOP));
    /* Register files. */
    assert_int_equal(
        vgt_shader_reg_count(VGT_SHADER_VS, VGT_SHADER_V30, VGT_SREG_CONST, VGT_SROLE_SRC), 256);
    assert_int_equal(
        vgt_shader_reg_count(VGT_SHADER_PS, VGT_SHADER_V20, VGT_SREG_TEMP, VGT_SROLE_DST), 12);
    assert_int_equal(
        vgt_shader_reg_count(VGT_SHADER_PS, VGT_SHADER_V30, VGT_SREG_SAMPLER, VGT_SROLE_DCL), 16);
    assert_int_equal(
        vgt_shader_reg_count(VGT_SHADER_VS, VGT_SHADER_V30, VGT_SREG_SAMPLER, VGT_SROLE_DCL), 4);
    assert_int_equal(
        vgt_shader_reg_count(VGT_SHADER_PS, VGT_SHADER_V20, VGT_SREG_INPUT, VGT_SROLE_DST), 0);
}

/* The parsed form carries what a backend needs: matches, summary, immediates. */
static void test_parsed_form(void **state)
{
    (void)state;
    static const char text[] = "vs_3_0\n"
                               "dcl_position v0\n"
                               "dcl_texcoord2 o3.xy\n"
                               "dcl_2d s1\n"
                               "defi i0, 3, 0, 1, 0\n"
                               "def c7, 1, -0.5, 0, 2\n"
                               "loop aL, i0\n"
                               "if_lt r1.x, c7.y\n"
                               "break\n"
                               "else\n"
                               "add r1, r1, c10[aL]\n"
                               "endif\n"
                               "endloop\n"
                               "texldl r2, v0, s1\n"
                               "mov o3.xy, r2\n"
                               "call l4\n"
                               "ret\n"
                               "label l4\n"
                               "ret\n";
    uint32_t *w;
    size_t n;
    vgt_error err = {0};
    assert_int_equal(vgt_shader_assemble(text, strlen(text), &w, &n, NULL, &err), VGT_OK);
    vgt_shader *sh;
    assert_int_equal(vgt_shader_parse(w, n, &sh, NULL, &err), VGT_OK);
    assert_int_equal(sh->type, VGT_SHADER_VS);
    assert_int_equal(sh->version, VGT_SHADER_V30);
    assert_int_equal(sh->insn_count, 18);
    assert_int_equal(sh->token_count, n);
    assert_int_equal(sh->trailing_words, 0);
    const vgt_shader_insn *in = sh->insns;
    assert_int_equal(in[1].usage, VGT_SUSAGE_TEXCOORD);
    assert_int_equal(in[1].usage_index, 2);
    assert_int_equal(in[1].dst.type, VGT_SREG_OUTPUT);
    assert_int_equal(in[1].dst.index, 3);
    assert_int_equal(in[1].dst.write_mask, 3);
    assert_int_equal(in[2].sampler_type, VGT_SSAMPLER_2D);
    assert_int_equal(in[3].imm.i[0], 3);
    assert_true(in[4].imm.f[1] == -0.5f);
    /* loop(5) .. endloop(11); if(6) -> else(8) -> endif(10) -> if(6) */
    assert_int_equal(in[5].match, 11);
    assert_int_equal(in[11].match, 5);
    assert_int_equal(in[6].match, 8);
    assert_int_equal(in[8].match, 10);
    assert_int_equal(in[10].match, 6);
    assert_int_equal(in[6].control, VGT_SCMP_LT);
    assert_true(in[9].src[1].relative);
    assert_int_equal(in[9].src[1].rel.type, VGT_SREG_LOOP);
    assert_int_equal(in[9].src[1].index, 10);
    assert_int_equal(in[14].match, 16); /* call l4 -> label l4 */
    const vgt_shader_summary *s = &sh->summary;
    assert_int_equal(s->temps, 0x6);
    assert_int_equal(s->inputs, 0x1);
    assert_int_equal(s->outputs, 0x8);
    assert_int_equal(s->samplers, 0x2);
    assert_int_equal(s->sampler_type[1], VGT_SSAMPLER_2D);
    assert_int_equal(s->float_consts, 11);
    assert_true(s->float_consts_relative);
    assert_int_equal(s->int_consts, 1);
    assert_true(s->uses_loop_counter);
    assert_true(s->has_flow);
    assert_int_equal(s->max_nesting, 2);
    assert_int_equal(s->labels, 1);
    assert_int_equal(s->defs, 2);
    vgt_shader_free(sh);
    free(w);
}

/* Words after the end token are ignored and counted. */
static void test_trailing_words(void **state)
{
    (void)state;
    const uint32_t w[] = {0xffff0200, 0x02000001, 0x800f0800, 0xa0e40000, 0x0000ffff, 0, 0};
    vgt_shader *sh;
    vgt_error err = {0};
    assert_int_equal(vgt_shader_parse(w, 7, &sh, NULL, &err), VGT_OK);
    assert_int_equal(sh->token_count, 5);
    assert_int_equal(sh->trailing_words, 2);
    vgt_shader_free(sh);
}

/* Disassembly options. */
static void test_disasm_flags(void **state)
{
    (void)state;
    const uint32_t w[] = {0xffff0200, 0x0002fffe, 0x11111111, 0x22222222,
                          0x02000001, 0x800f0800, 0xa0e40000, 0x0000ffff};
    vgt_shader *sh;
    vgt_error err = {0};
    assert_int_equal(vgt_shader_parse(w, 8, &sh, NULL, &err), VGT_OK);
    assert_int_equal(sh->comment_count, 1);
    assert_int_equal(sh->comment_words, 3);
    char *text;
    assert_int_equal(vgt_shader_disassemble(sh, VGT_SHADER_DIS_OFFSETS | VGT_SHADER_DIS_COMMENTS,
                                            &text, NULL, &err),
                     VGT_OK);
    assert_string_equal(text, "ps_2_0\n"
                              "// 1 comment block (3 words) not shown\n"
                              "mov oC0, c0                             // @4\n");
    /* Still assembles: the annotations are comments. */
    uint32_t *w2;
    size_t n2;
    assert_int_equal(vgt_shader_assemble(text, strlen(text), &w2, &n2, NULL, &err), VGT_OK);
    assert_int_equal(n2, 5);
    assert_int_equal(w2[1], 0x02000001);
    free(w2);
    free(text);
    /* format_insn truncates like snprintf. */
    char small[6];
    size_t need = vgt_shader_format_insn(sh, &sh->insns[0], small, sizeof(small));
    assert_int_equal(need, strlen("mov oC0, c0"));
    assert_string_equal(small, "mov o");
    vgt_shader_free(sh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_case),      cmocka_unit_test(test_cases_cover_every_opcode),
        cmocka_unit_test(test_model_variants), cmocka_unit_test(test_parsed_form),
        cmocka_unit_test(test_trailing_words), cmocka_unit_test(test_disasm_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
