/* test_shader_kit.c - the real-world check: vs_2_0/ps_2_0 bytecode that
 * Microsoft's compiler produced for the VMware SVGA developer kit examples
 * (tests/data/shaders/kit, MIT licensed, see NOTICE there).  The parser
 * accepts it, the disassembly is the compiler's own listing line for line,
 * and assembling either the listing or our disassembly gives the same
 * instruction tokens (the CTAB comment is dropped); our disassembly with
 * VGT_SHADER_DIS_KEEP_COMMENTS assembles back into every word, CTAB
 * included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kit_shaders.h"
#include "shader_test_util.h"

typedef struct kit {
    const char *name;
    const uint32_t *w;
    size_t n;
    uint32_t insns;
    uint32_t comment_words;
} kit;

static const kit kits[] = {
    {"simple_vs", kit_simple_vs, sizeof(kit_simple_vs) / 4, 22, 46},
    {"simple_ps", kit_simple_ps, sizeof(kit_simple_ps) / 4, 41, 20},
    {"cube_vs", kit_cube_vs, sizeof(kit_cube_vs) / 4, 11, 38},
    {"cube_ps", kit_cube_ps, sizeof(kit_cube_ps) / 4, 2, 20},
};

/* Text without comments, blank lines and indentation. */
static char *normalize(const char *text)
{
    size_t len = strlen(text);
    char *out = malloc(len + 1);
    size_t k = 0;
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        if (!e) {
            e = p + strlen(p);
        }
        const char *s = p;
        while (s < e && (*s == ' ' || *s == '\t')) {
            s++;
        }
        const char *c = s;
        while (c < e && !(c[0] == '/' && c + 1 < e && c[1] == '/')) {
            c++;
        }
        while (c > s && (c[-1] == ' ' || c[-1] == '\r')) {
            c--;
        }
        if (c > s) {
            memcpy(out + k, s, (size_t)(c - s));
            k += (size_t)(c - s);
            out[k++] = '\n';
        }
        p = *e ? e + 1 : e;
    }
    out[k] = '\0';
    return out;
}

static void test_kit(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(kits) / sizeof(kits[0]); k++) {
        const kit *t = &kits[k];
        /* Exact-size heap copy. */
        uint32_t *w = malloc(t->n * 4);
        memcpy(w, t->w, t->n * 4);
        vgt_shader *sh;
        vgt_error err = {0};
        if (vgt_shader_parse(w, t->n, &sh, NULL, &err) != VGT_OK) {
            fail_msg("%s: %s", t->name, err.message);
        }
        assert_int_equal(sh->version, VGT_SHADER_V20);
        assert_int_equal(sh->insn_count, t->insns);
        assert_int_equal(sh->comment_count, 1);
        assert_int_equal(sh->comment_words, t->comment_words);
        assert_int_equal(sh->token_count, t->n);
        size_t ni;
        uint32_t *insn_tokens = test_insn_tokens(sh, w, &ni);
        assert_int_equal(ni, t->n - t->comment_words);

        /* Our disassembly is the compiler's listing. */
        char path[512];
        snprintf(path, sizeof(path), "%s/shaders/kit/%s.asm", VGT_TEST_DATA_DIR, t->name);
        size_t len = 0;
        char *listing = test_read_file(path, &len);
        assert_non_null(listing);
        char *dis;
        size_t dlen;
        assert_int_equal(vgt_shader_disassemble(sh, 0, &dis, &dlen, &err), VGT_OK);
        char *a = normalize(listing), *b = normalize(dis);
        assert_string_equal(b, a);
        free(a);
        free(b);

        /* Assembling the compiler's listing, or our disassembly, gives the
         * compiler's instruction tokens. */
        const char *texts[2] = {listing, dis};
        size_t lens[2] = {len, dlen};
        for (int i = 0; i < 2; i++) {
            uint32_t *out;
            size_t nout;
            if (vgt_shader_assemble(texts[i], lens[i], &out, &nout, NULL, &err) != VGT_OK) {
                fail_msg("%s: %s", t->name, err.message);
            }
            assert_int_equal(nout, ni);
            assert_memory_equal(out, insn_tokens, ni * 4);
            free(out);
        }
        free(dis);
        free(listing);
        free(insn_tokens);

        /* With the comment blocks kept, the listing is the CTAB right after
         * the version (its text shown in the lines' trailing comments) and
         * assembles back into the compiler's words, CTAB included; with
         * words after the end token too. */
        assert_int_equal(vgt_shader_disassemble(sh, VGT_SHADER_DIS_KEEP_COMMENTS, &dis, NULL, &err),
                         VGT_OK);
        assert_true(strncmp(dis, "vs_2_0\ncomment 0x42415443 ", 26) == 0 ||
                    strncmp(dis, "ps_2_0\ncomment 0x42415443 ", 26) == 0);
        assert_non_null(strstr(dis, "(R) D3D"));
        free(dis);
        assert_true(test_keep_round_trip(sh, w, t->n));
        uint32_t *tw = malloc((t->n + 2) * 4);
        memcpy(tw, w, t->n * 4);
        tw[t->n] = 0x42415443;
        tw[t->n + 1] = 0xFFFFFFFF;
        vgt_shader *tsh;
        assert_int_equal(vgt_shader_parse(tw, t->n + 2, &tsh, NULL, &err), VGT_OK);
        assert_true(test_keep_round_trip(tsh, tw, t->n + 2));
        assert_true(test_keep_round_trip_flags(tsh, tw, t->n + 2, VGT_SHADER_DIS_OFFSETS));
        vgt_shader_free(tsh);
        free(tw);
        vgt_shader_free(sh);
        free(w);
    }
}

/* What a backend learns from the ripple vertex shader and the checkerboard. */
static void test_kit_summary(void **state)
{
    (void)state;
    vgt_shader *vs, *ps;
    vgt_error err = {0};
    assert_int_equal(vgt_shader_parse(kit_simple_vs, sizeof(kit_simple_vs) / 4, &vs, NULL, &err),
                     VGT_OK);
    assert_int_equal(vgt_shader_parse(kit_simple_ps, sizeof(kit_simple_ps) / 4, &ps, NULL, &err),
                     VGT_OK);
    assert_int_equal(vs->summary.inputs, 0x1);
    assert_int_equal(vs->summary.rastout, 0x1);    /* oPos */
    assert_int_equal(vs->summary.outputs, 0x1);    /* oT0 */
    assert_int_equal(vs->summary.float_consts, 9); /* c0..c8 */
    assert_int_equal(vs->summary.defs, 4);
    assert_int_equal(vs->summary.temps, 0x3);
    assert_int_equal(ps->summary.textures, 0x1); /* t0 */
    assert_int_equal(ps->summary.color_outputs, 0x1);
    assert_int_equal(ps->summary.temps, 0xf);
    assert_false(ps->summary.has_flow);
    /* The sincos of the ripple: SM2 form with its two constant operands. */
    const vgt_shader_insn *sc = &vs->insns[13];
    assert_int_equal(sc->opcode, VGT_SOP_SINCOS);
    assert_int_equal(sc->src_count, 3);
    assert_int_equal(sc->dst.write_mask, 0x2);
    assert_int_equal(sc->src[1].type, VGT_SREG_CONST);
    assert_int_equal(sc->src[1].index, 7);
    /* def c6 holds 2*pi and -pi. */
    assert_true(vs->insns[1].imm.f[0] > 6.2831f && vs->insns[1].imm.f[0] < 6.2832f);
    vgt_shader_free(vs);
    vgt_shader_free(ps);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kit),
        cmocka_unit_test(test_kit_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
