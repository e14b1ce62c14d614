/* test_shader_malformed.c - malformed bytecode is rejected with the right
 * fault, status and token index; assembler errors name line:column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vgt_protocol.h"

typedef struct bad_case {
    const char *what;
    uint32_t w[16];
    uint32_t n;
    vgt_shader_fault fault;
    vgt_status status;
    uint32_t token;
} bad_case;

#define END 0x0000ffffu
/* mov r0, v0 / mov oC0, r0 in SM2 form */
#define VMOV 0x02000001u, 0x800f0000u, 0x90e40000u

static const bad_case cases[] = {
    {"no words", {0}, 0, VGT_SHADER_FAULT_TRUNCATED, VGT_E_TRUNCATED, 0},
    {"not a version token", {0x12340200, END}, 2, VGT_SHADER_FAULT_VERSION, VGT_E_INVALID, 0},
    {"vs_4_0", {0xfffe0400, END}, 2, VGT_SHADER_FAULT_VERSION, VGT_E_INVALID, 0},
    {"vs_1_0", {0xfffe0100, END}, 2, VGT_SHADER_FAULT_VERSION, VGT_E_INVALID, 0},
    {"ps_2_2", {0xffff0202, END}, 2, VGT_SHADER_FAULT_VERSION, VGT_E_INVALID, 0},
    {"missing end token", {0xfffe0200, VMOV}, 4, VGT_SHADER_FAULT_NO_END, VGT_E_TRUNCATED, 4},
    {"truncated instruction",
     {0xfffe0200, 0x02000001, 0x800f0000},
     3,
     VGT_SHADER_FAULT_TRUNCATED,
     VGT_E_TRUNCATED,
     3},
    {"truncated sm1 instruction",
     {0xfffe0101, 0x00000004, 0x800f0000, 0x90e40000},
     4,
     VGT_SHADER_FAULT_TRUNCATED,
     VGT_E_TRUNCATED,
     4},
    {"length too long",
     {0xfffe0200, 0x03000001, 0x800f0000, 0x90e40000, 0x90e40000, END},
     6,
     VGT_SHADER_FAULT_LENGTH,
     VGT_E_INVALID,
     1},
    {"length too short",
     {0xfffe0200, 0x01000001, 0x800f0000, 0x90e40000, END},
     5,
     VGT_SHADER_FAULT_LENGTH,
     VGT_E_INVALID,
     1},
    {"length field in sm1",
     {0xfffe0101, 0x02000001, 0x800f0000, 0x90e40000, END},
     5,
     VGT_SHADER_FAULT_RESERVED,
     VGT_E_INVALID,
     1},
    {"unknown opcode 49",
     {0xfffe0200, 0x00000031, END},
     3,
     VGT_SHADER_FAULT_OPCODE,
     VGT_E_INVALID,
     1},
    {"reserved texm3x3diff",
     {0xffff0101, 0x0000004b, 0xb00f0001, 0xb0e40000, END},
     5,
     VGT_SHADER_FAULT_OPCODE,
     VGT_E_INVALID,
     1},
    {"parameter token as instruction",
     {0xfffe0200, 0x800f0000, END},
     3,
     VGT_SHADER_FAULT_OPCODE,
     VGT_E_INVALID,
     1},
    {"if in vs_1_1",
     {0xfffe0101, 0x00000028, 0xe0e40800, 0x0000002b, END},
     5,
     VGT_SHADER_FAULT_NOT_IN_MODEL,
     VGT_E_INVALID,
     1},
    {"loop in ps_2_0",
     {0xffff0200, 0x0200001b, 0xf0e40800, 0xf0e40000, 0x0000001d, END},
     6,
     VGT_SHADER_FAULT_NOT_IN_MODEL,
     VGT_E_INVALID,
     1},
    {"c256 in vs_3_0",
     {0xfffe0300, 0x02000001, 0x800f0000, 0xa0e40100, END},
     5,
     VGT_SHADER_FAULT_RANGE,
     VGT_E_RANGE,
     3},
    {"r32 in vs_3_0",
     {0xfffe0300, 0x02000001, 0x800f0020, 0xa0e40000, END},
     5,
     VGT_SHADER_FAULT_RANGE,
     VGT_E_RANGE,
     2},
    {"r12 in ps_2_0",
     {0xffff0200, 0x02000001, 0x800f000c, 0xa0e40000, END},
     5,
     VGT_SHADER_FAULT_RANGE,
     VGT_E_RANGE,
     2},
    {"v16 in vs_2_0",
     {0xfffe0200, 0x02000001, 0x800f0000, 0x90e40010, END},
     5,
     VGT_SHADER_FAULT_RANGE,
     VGT_E_RANGE,
     3},
    {"s16 in ps_3_0",
     {0xffff0300, 0x0200001f, 0x90000000, 0xa00f0810, END},
     5,
     VGT_SHADER_FAULT_RANGE,
     VGT_E_RANGE,
     3},
    {"c2048 file",
     {0xfffe0300, 0x02000001, 0x800f0000, 0xb0e40800, END},
     5,
     VGT_SHADER_FAULT_REGISTER,
     VGT_E_INVALID,
     3},
    {"write to v0 in ps_2_0",
     {0xffff0200, 0x02000001, 0x900f0000, 0xa0e40000, END},
     5,
     VGT_SHADER_FAULT_REGISTER,
     VGT_E_INVALID,
     2},
    {"texld with a non-sampler",
     {0xffff0200, 0x03000042, 0x800f0000, 0xb0e40000, 0xa0e40000, END},
     6,
     VGT_SHADER_FAULT_REGISTER,
     VGT_E_INVALID,
     4},
    {"relative c in ps_2_0",
     {0xffff0200, 0x03000001, 0x800f0000, 0xa0e42000, 0xb0000000, END},
     6,
     VGT_SHADER_FAULT_RELATIVE,
     VGT_E_INVALID,
     3},
    {"relative token not a0/aL",
     {0xfffe0200, 0x03000001, 0x800f0000, 0xa0e42000, 0x80000000, END},
     6,
     VGT_SHADER_FAULT_RELATIVE,
     VGT_E_INVALID,
     4},
    {"a0 index with a full swizzle",
     {0xfffe0200, 0x03000001, 0x800f0000, 0xa0e42000, 0xb0e40000, END},
     6,
     VGT_SHADER_FAULT_RELATIVE,
     VGT_E_INVALID,
     4},
    {"reserved bit 14 of a source",
     {0xfffe0200, 0x02000001, 0x800f0000, 0x90e44000, END},
     5,
     VGT_SHADER_FAULT_RESERVED,
     VGT_E_INVALID,
     3},
    {"source without bit 31",
     {0xfffe0200, 0x02000001, 0x800f0000, 0x10e40000, END},
     5,
     VGT_SHADER_FAULT_RESERVED,
     VGT_E_INVALID,
     3},
    {"empty write mask",
     {0xfffe0200, 0x02000001, 0x80000000, 0x90e40000, END},
     5,
     VGT_SHADER_FAULT_MODIFIER,
     VGT_E_INVALID,
     2},
    {"shift in ps_2_0",
     {0xffff0200, 0x02000001, 0x810f0000, 0xa0e40000, END},
     5,
     VGT_SHADER_FAULT_MODIFIER,
     VGT_E_INVALID,
     2},
    {"_abs in vs_2_0",
     {0xfffe0200, 0x02000001, 0x800f0000, 0x9be40000, END},
     5,
     VGT_SHADER_FAULT_MODIFIER,
     VGT_E_INVALID,
     3},
    {"source modifier 14",
     {0xfffe0200, 0x02000001, 0x800f0000, 0x9ee40000, END},
     5,
     VGT_SHADER_FAULT_MODIFIER,
     VGT_E_INVALID,
     3},
    {"if_xx with comparison 0",
     {0xfffe0201, 0x02000029, 0x80000000, 0xa0000000, 0x0000002b, END},
     6,
     VGT_SHADER_FAULT_MODIFIER,
     VGT_E_INVALID,
     1},
    {"if_xx with comparison 7",
     {0xfffe0201, 0x02070029, 0x80000000, 0xa0000000, 0x0000002b, END},
     6,
     VGT_SHADER_FAULT_MODIFIER,
     VGT_E_INVALID,
     1},
    {"control on mov",
     {0xfffe0200, 0x02010001, 0x800f0000, 0x90e40000, END},
     5,
     VGT_SHADER_FAULT_MODIFIER,
     VGT_E_INVALID,
     1},
    {"co-issue in vs",
     {0xfffe0200, 0x42000001, 0x800f0000, 0x90e40000, END},
     5,
     VGT_SHADER_FAULT_MODIFIER,
     VGT_E_INVALID,
     1},
    {"predication in vs_2_0",
     {0xfffe0200, 0x13000001, 0x800f0000, 0xb0e41000, 0x90e40000, END},
     6,
     VGT_SHADER_FAULT_MODIFIER,
     VGT_E_INVALID,
     1},
    {"unterminated if",
     {0xfffe0200, 0x01000028, 0xe0e40800, VMOV, END},
     7,
     VGT_SHADER_FAULT_FLOW,
     VGT_E_INVALID,
     1},
    {"unterminated loop",
     {0xfffe0200, 0x0200001b, 0xf0e40800, 0xf0e40000, VMOV, END},
     8,
     VGT_SHADER_FAULT_FLOW,
     VGT_E_INVALID,
     1},
    {"unterminated rep",
     {0xfffe0200, 0x01000026, 0xf0e40000, END},
     4,
     VGT_SHADER_FAULT_FLOW,
     VGT_E_INVALID,
     1},
    {"else without if",
     {0xfffe0200, VMOV, 0x0000002a, END},
     6,
     VGT_SHADER_FAULT_FLOW,
     VGT_E_INVALID,
     4},
    {"two elses",
     {0xfffe0200, 0x01000028, 0xe0e40800, 0x0000002a, 0x0000002a, 0x0000002b, END},
     7,
     VGT_SHADER_FAULT_FLOW,
     VGT_E_INVALID,
     4},
    {"endif closing a rep",
     {0xfffe0200, 0x01000026, 0xf0e40000, 0x0000002b, END},
     5,
     VGT_SHADER_FAULT_FLOW,
     VGT_E_INVALID,
     3},
    {"endloop without loop",
     {0xfffe0200, 0x0000001d, END},
     3,
     VGT_SHADER_FAULT_FLOW,
     VGT_E_INVALID,
     1},
    {"break outside a loop",
     {0xfffe0201, 0x0000002c, END},
     3,
     VGT_SHADER_FAULT_FLOW,
     VGT_E_INVALID,
     1},
    {"call to an undefined label",
     {0xfffe0200, 0x01000019, 0xa0e41003, END},
     4,
     VGT_SHADER_FAULT_FLOW,
     VGT_E_INVALID,
     1},
    {"code after ret",
     {0xfffe0200, 0x0000001c, VMOV, END},
     6,
     VGT_SHADER_FAULT_FLOW,
     VGT_E_INVALID,
     2},
    {"label inside an if",
     {0xfffe0200, 0x01000028, 0xe0e40800, 0x0100001e, 0xa0e41000, 0x0000002b, END},
     7,
     VGT_SHADER_FAULT_FLOW,
     VGT_E_INVALID,
     3},
    {"comment longer than the words",
     {0xfffe0200, 0x0005fffe, 1, 2, END},
     5,
     VGT_SHADER_FAULT_TRUNCATED,
     VGT_E_TRUNCATED,
     5},
    {"end token with extra bits",
     {0xfffe0200, 0x0100ffff},
     2,
     VGT_SHADER_FAULT_RESERVED,
     VGT_E_INVALID,
     1},
    {"dcl usage 14",
     {0xfffe0200, 0x0200001f, 0x8000000e, 0x900f0000, END},
     5,
     VGT_SHADER_FAULT_DECL,
     VGT_E_INVALID,
     2},
    {"dcl sampler type 1",
     {0xffff0200, 0x0200001f, 0x88000000, 0xa00f0800, END},
     5,
     VGT_SHADER_FAULT_DECL,
     VGT_E_INVALID,
     2},
    {"dcl twice",
     {0xfffe0200, 0x0200001f, 0x80000000, 0x900f0000, 0x0200001f, 0x80000003, 0x900f0000, END},
     8,
     VGT_SHADER_FAULT_DECL,
     VGT_E_INVALID,
     6},
    {"def into r0",
     {0xfffe0200, 0x05000051, 0x800f0000, 0, 0, 0, 0, END},
     8,
     VGT_SHADER_FAULT_DECL,
     VGT_E_INVALID,
     2},
    {"def cut short",
     {0xfffe0200, 0x05000051, 0xa00f0000, 0, 0},
     5,
     VGT_SHADER_FAULT_TRUNCATED,
     VGT_E_TRUNCATED,
     5},
};

static void test_bad_streams(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const bad_case *c = &cases[k];
        /* An exact-size heap copy, so ASan sees any read past the end. */
        uint32_t *w = c->n ? malloc(c->n * 4) : NULL;
        if (c->n) {
            memcpy(w, c->w, c->n * 4);
        }
        vgt_shader *sh = (vgt_shader *)1;
        vgt_shader_diag diag;
        vgt_error err = {0};
        vgt_status st = vgt_shader_parse(w, c->n, &sh, &diag, &err);
        if (st != c->status || diag.fault != c->fault || diag.token != c->token) {
            fail_msg("%s: status %d fault %d token %u (%s); want %d %d %u", c->what, st, diag.fault,
                     diag.token, err.message, c->status, c->fault, c->token);
        }
        assert_null(sh);
        char want[32];
        snprintf(want, sizeof(want), "shader token %u ", c->token);
        assert_non_null(strstr(err.message, want));
        free(w);
    }
}

/* The caps: tokens (no end token within VGT_SHADER_MAX_TOKENS words) and
 * instructions (VGT_SHADER_MAX_INSNS). */
static void test_too_big(void **state)
{
    (void)state;
    size_t n = VGT_SHADER_MAX_TOKENS + 8;
    uint32_t *w = calloc(n, 4);
    vgt_shader_diag diag;
    vgt_error err = {0};
    /* Comment blocks of 0x7FFF words fill the stream past the cap. */
    w[0] = 0xfffe0200;
    for (size_t i = 1; i < n; i += 0x8000) {
        w[i] = 0x7fff0000u | 0xfffe;
    }
    assert_int_equal(vgt_shader_parse(w, n, NULL, &diag, &err), VGT_E_RANGE);
    assert_int_equal(diag.fault, VGT_SHADER_FAULT_TOO_BIG);
    assert_int_equal(diag.token, VGT_SHADER_MAX_TOKENS);
    /* The same words cut at the cap are just missing their end token. */
    assert_int_equal(vgt_shader_parse(w, VGT_SHADER_MAX_TOKENS, NULL, &diag, &err),
                     VGT_E_TRUNCATED);
    /* nops up to an end token at the last allowed word: too many instructions. */
    memset(w, 0, n * 4);
    w[0] = 0xfffe0200;
    w[VGT_SHADER_MAX_TOKENS - 1] = END;
    assert_int_equal(vgt_shader_parse(w, n, NULL, &diag, &err), VGT_E_RANGE);
    assert_int_equal(diag.fault, VGT_SHADER_FAULT_TOO_BIG);
    assert_int_equal(diag.token, 1 + VGT_SHADER_MAX_INSNS);
    /* Exactly VGT_SHADER_MAX_INSNS instructions are fine. */
    w[1 + VGT_SHADER_MAX_INSNS] = END;
    vgt_shader *sh;
    assert_int_equal(vgt_shader_parse(w, n, &sh, &diag, &err), VGT_OK);
    assert_int_equal(sh->insn_count, VGT_SHADER_MAX_INSNS);
    vgt_shader_free(sh);
    free(w);
}

typedef struct asm_case {
    const char *text;
    vgt_shader_fault fault;
    uint32_t line, column;
    const char *reason; /* a substring of the message */
} asm_case;

static const asm_case asm_cases[] = {
    {"", VGT_SHADER_FAULT_SYNTAX, 1, 1, "no shader version"},
    {"mov r0, v0\n", VGT_SHADER_FAULT_SYNTAX, 1, 1, "expected the shader version"},
    {"vs_2_0\nmov r0, x5\n", VGT_SHADER_FAULT_SYNTAX, 2, 9, "unknown register 'x' in a vertex"},
    {"vs_2_0\n  foo r0\n", VGT_SHADER_FAULT_SYNTAX, 2, 3, "unknown instruction 'foo'"},
    {"vs_2_0\nmad r0, v0, c0\n", VGT_SHADER_FAULT_SYNTAX, 2, 15, "missing operand"},
    {"vs_2_0\nmov r0, v0, v1\n", VGT_SHADER_FAULT_SYNTAX, 2, 11, "too many operands"},
    {"vs_2_0\nmov r0.yx, v0\n", VGT_SHADER_FAULT_SYNTAX, 2, 9, "bad write mask"},
    {"vs_2_0\nmov r0, v0.xyzwx\n", VGT_SHADER_FAULT_SYNTAX, 2, 16, "bad swizzle"},
    {"vs_2_0\nmov_foo r0, v0\n", VGT_SHADER_FAULT_SYNTAX, 2, 4, "unknown suffix '_foo'"},
    {"vs_2_0\nmov r0, v0_neg\n", VGT_SHADER_FAULT_SYNTAX, 2, 11, "unknown source modifier"},
    {"vs_2_0\ndef c0, 1, 2, x, 4\n", VGT_SHADER_FAULT_SYNTAX, 2, 15, "bad number 'x'"},
    {"ps_2_0\nloop aL, i0\n", VGT_SHADER_FAULT_SYNTAX, 2, 1, "not an instruction of ps_2_0"},
    {"vs_1_1\nmov r0, c[a0.y + 2]\n", VGT_SHADER_FAULT_SYNTAX, 2, 9, "a0.x only"},
    {"vs_2_0\nmov r0, r5000\n", VGT_SHADER_FAULT_SYNTAX, 2, 10, "number too large"},
    /* comment blocks and trailing words (docs/shaders.md) */
    {"ps_2_0\ncomment 0x1 12\n", VGT_SHADER_FAULT_SYNTAX, 2, 13, "expected a hex word"},
    {"ps_2_0\ncomment 0x\n", VGT_SHADER_FAULT_SYNTAX, 2, 9, "expected a hex word"},
    {"ps_2_0\ncomment 0x123456789\n", VGT_SHADER_FAULT_SYNTAX, 2, 9, "at most 8 hex digits"},
    {"ps_2_0\ncomment 0x12g4\n", VGT_SHADER_FAULT_SYNTAX, 2, 13, "unexpected 'g' in a hex word"},
    {"ps_2_0\ncomment 0x1,0x2\n", VGT_SHADER_FAULT_SYNTAX, 2, 12, "unexpected ','"},
    {"ps_2_0\nmov oC0, v0\n  0x1\n", VGT_SHADER_FAULT_SYNTAX, 3, 3,
     "continues a 'comment' or 'trailing' line"},
    {"ps_2_0\n0x1\n", VGT_SHADER_FAULT_SYNTAX, 2, 1, "continues a 'comment' or 'trailing'"},
    {"ps_2_0\ntrailing 0x1\nmov oC0, v0\n", VGT_SHADER_FAULT_SYNTAX, 3, 1,
     "an instruction after 'trailing' (line 2)"},
    {"ps_2_0\ntrailing 0x1\n comment 0x2\n", VGT_SHADER_FAULT_SYNTAX, 3, 2,
     "a comment block after 'trailing' (line 2)"},
    {"ps_2_0\ntrailing x\n", VGT_SHADER_FAULT_SYNTAX, 2, 10, "expected a hex word"},
    {"vs_2_0\ncommentary 0x1\n", VGT_SHADER_FAULT_SYNTAX, 2, 1, "unknown instruction"},
    {"comment 0x1\nvs_2_0\n", VGT_SHADER_FAULT_SYNTAX, 1, 1, "expected the shader version"},
    /* Validation errors point at the statement. */
    {"vs_3_0\nmov r0, v0\n  mov r1, c300\n", VGT_SHADER_FAULT_RANGE, 3, 3, "out of range"},
    {"vs_2_0\nmov r0, v0\nif b0\nmov r1, v0\n", VGT_SHADER_FAULT_FLOW, 3, 1, "not closed"},
    {"vs_2_0\nelse\n", VGT_SHADER_FAULT_FLOW, 2, 1, "else without if"},
    {"ps_2_0\nmov_sat r0, v0_abs\n", VGT_SHADER_FAULT_MODIFIER, 2, 1, "shader model 3.0"},
};

static void test_assembler_errors(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(asm_cases) / sizeof(asm_cases[0]); k++) {
        const asm_case *c = &asm_cases[k];
        uint32_t *w = (uint32_t *)1;
        size_t n = 99;
        vgt_shader_diag diag;
        vgt_error err = {0};
        vgt_status st = vgt_shader_assemble(c->text, strlen(c->text), &w, &n, &diag, &err);
        char pos[32];
        snprintf(pos, sizeof(pos), "%u:%u: ", c->line, c->column);
        if (st == VGT_OK || diag.fault != c->fault || diag.line != c->line ||
            diag.column != c->column || strncmp(err.message, pos, strlen(pos)) != 0 ||
            !strstr(err.message, c->reason)) {
            fail_msg("case %zu '%s': status %d fault %d at %u:%u '%s'", k, c->text, st, diag.fault,
                     diag.line, diag.column, err.message);
        }
        assert_null(w);
        assert_int_equal(n, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_streams),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_assembler_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
