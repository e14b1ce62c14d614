/* test_shader_roundtrip.c - the corpus (the .asm files in tests/data/shaders/corpus, every
 * instruction of every model): assemble -> disassemble -> assemble gives the
 * same tokens, and disassembly is stable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shader_test_util.h"

static const char *const corpus[] = {
    "vs_1_1", "vs_2_0", "vs_2_x", "vs_3_0", "ps_1_1", "ps_1_1_tex",
    "ps_1_2", "ps_1_3", "ps_1_4", "ps_2_0", "ps_2_x", "ps_3_0",
};

static void test_corpus_round_trip(void **state)
{
    (void)state;
    /* opcode -> seen, per model kind */
    static bool seen[2][0x10000];
    memset(seen, 0, sizeof(seen));
    for (size_t k = 0; k < sizeof(corpus) / sizeof(corpus[0]); k++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/shaders/corpus/%s.asm", VGT_TEST_DATA_DIR, corpus[k]);
        size_t len = 0;
        char *text = test_read_file(path, &len);
        assert_non_null(text);
        uint32_t *a, *b;
        size_t na, nb;
        vgt_error err = {0};
        if (vgt_shader_assemble(text, len, &a, &na, NULL, &err) != VGT_OK) {
            fail_msg("%s:%s", path, err.message);
        }
        vgt_shader *sh;
        assert_int_equal(vgt_shader_parse(a, na, &sh, NULL, &err), VGT_OK);
        for (uint32_t i = 0; i < sh->insn_count; i++) {
            seen[sh->type == VGT_SHADER_PS][sh->insns[i].opcode] = true;
        }
        char *dis;
        size_t dlen;
        assert_int_equal(vgt_shader_disassemble(sh, 0, &dis, &dlen, &err), VGT_OK);
        if (vgt_shader_assemble(dis, dlen, &b, &nb, NULL, &err) != VGT_OK) {
            fail_msg("%s: reassembling the disassembly: %s\n%s", corpus[k], err.message, dis);
        }
        assert_int_equal(nb, na);
        for (size_t i = 0; i < na; i++) {
            if (a[i] != b[i]) {
                fail_msg("%s: token %zu: 0x%08x then 0x%08x", corpus[k], i, a[i], b[i]);
            }
        }
        /* Disassembling the reassembly gives the same text. */
        vgt_shader *sh2;
        char *dis2;
        assert_int_equal(vgt_shader_parse(b, nb, &sh2, NULL, &err), VGT_OK);
        assert_int_equal(vgt_shader_disassemble(sh2, 0, &dis2, NULL, &err), VGT_OK);
        assert_string_equal(dis2, dis);
        vgt_shader_free(sh2);
        free(dis2);
        free(dis);
        vgt_shader_free(sh);
        free(a);
        free(b);
        free(text);
    }
    /* Every instruction of every kind of shader is in the corpus. */
    static const uint32_t vers[] = {VGT_SHADER_V11, VGT_SHADER_V12, VGT_SHADER_V13, VGT_SHADER_V14,
                                    VGT_SHADER_V20, VGT_SHADER_V2X, VGT_SHADER_V30};
    for (int ps = 0; ps < 2; ps++) {
        for (uint32_t op = 0; op <= 0xFFFF; op++) {
            bool exists = false;
            for (size_t v = 0; v < sizeof(vers) / sizeof(vers[0]); v++) {
                exists |=
                    vgt_shader_opcode_info(ps ? VGT_SHADER_PS : VGT_SHADER_VS, vers[v], op) != NULL;
            }
            if (exists && !seen[ps][op]) {
                fail_msg("the %s corpus lacks '%s' (%u)", ps ? "ps" : "vs",
                         vgt_shader_opcode_name(op), op);
            }
        }
    }
}

/* Assembler spellings that are not the canonical form give the same tokens. */
static void test_spellings(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"vs_1_1\nadd r0, v0, c[a0.x + 6]\n", "vs_1_1\nadd r0, v0, c6[a0.x]\n"},
        {"vs_2_0\nmov r0, c[2 + a0.y]\n", "vs_2_0\nmov r0, c2[a0.y]\n"},
        {"VS_2_0\nMOV R0.RGB, V0.ABGR ; comment\n", "vs_2_0\nmov r0.xyz, v0.wzyx // x\n"},
        {"ps_1_4\ntexcoord r0, t0\n", "ps_1_4\ntexcrd r0, t0\n"},
        {"ps_1_1\ntexld t0\n", "ps_1_1\ntex t0\n"},
        {"vs_2_0\ndcl v0\n", "vs_2_0\ndcl_position v0\n"},
        {"vs_2_0\ndcl_texcoord0 v0\n", "vs_2_0\ndcl_texcoord v0\n"},
        {"ps_2_0\nmov_pp_sat r0, - c0\n", "ps_2_0\nmov_sat_pp r0, -c0\n"},
        {"ps_1_4\nmov r0, 1 - c0\n", "ps_1_4\nmov r0, 1-c0\n"},
        {"vs_2_0\nmov r0, v0.xyz\n", "vs_2_0\nmov r0, v0.xyzz\n"},
        {"vs_2_0\ndef c0, 1.0, 0.5e0, 0x3f800000, -0.0\n", "vs_2_0\ndef c0, 1, 0.5, 1, -0\n"},
        {"vs_2_0\ndefb b0, 1\n", "vs_2_0\ndefb b0, true\n"},
        {"ps_1_4\ntexld r0, t0_db\n", "ps_1_4\ntexld r0, t0_dz\n"},
        {"\n  // leading comment\n\tvs_2_0   \r\n mov r0 ,v0\r\n", "vs_2_0\nmov r0, v0\n"},
    };
    for (size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
        uint32_t *a = NULL, *b = NULL;
        size_t na = 0, nb = 0;
        vgt_error err = {0};
        if (vgt_shader_assemble(pairs[k][0], strlen(pairs[k][0]), &a, &na, NULL, &err) ||
            vgt_shader_assemble(pairs[k][1], strlen(pairs[k][1]), &b, &nb, NULL, &err)) {
            fail_msg("pair %zu: %s", k, err.message);
        }
        assert_int_equal(na, nb);
        assert_memory_equal(a, b, na * 4);
        free(a);
        free(b);
    }
}

/* def values keep their exact bits through text: inf, nan payloads, -0, denormals. */
static void test_def_bits(void **state)
{
    (void)state;
    static const uint32_t bits[] = {0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000,
                                    0x7f800001, 0xffffffff, 0x00000001, 0x007fffff, 0x3eaaaaab,
                                    0x4b000001, 0x7f7fffff, 0x33d6bf95, 0xbf800000};
    for (size_t k = 0; k < sizeof(bits) / sizeof(bits[0]); k++) {
        uint32_t w[] = {0xfffe0200, 0x05000051, 0xa00f0000, bits[k],
                        bits[k],    0,          bits[k],    VGT_SHADER_END_TOKEN};
        vgt_shader *sh;
        vgt_error err = {0};
        assert_int_equal(vgt_shader_parse(w, 8, &sh, NULL, &err), VGT_OK);
        char *dis;
        size_t len = 0;
        assert_int_equal(vgt_shader_disassemble(sh, 0, &dis, &len, &err), VGT_OK);
        uint32_t *b;
        size_t nb;
        if (vgt_shader_assemble(dis, len, &b, &nb, NULL, &err)) {
            fail_msg("0x%08x: %s (%s)", bits[k], err.message, dis);
        }
        assert_int_equal(nb, 8);
        assert_memory_equal(b, w, sizeof(w));
        free(b);
        free(dis);
        vgt_shader_free(sh);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_round_trip),
        cmocka_unit_test(test_spellings),
        cmocka_unit_test(test_def_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
