/* test_shader_comments.c - comment blocks (CTAB) and words after the end
 * token through the listing: what the parser keeps of them, the exact text
 * VGT_SHADER_DIS_KEEP_COMMENTS writes, the `comment` / `trailing` syntax
 * the assembler reads (continuation lines, limits), and the round trip
 * assemble(disassemble(x)) == x word for word. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shader_test_util.h"

/* ps_2_0: a comment after the version, an empty one between the two
 * instructions, one before the end token, two words after it. */
static const uint32_t stream[] = {
    0xffff0200,                                     /* ps_2_0 */
    0x0005fffe, 0x42415443, 0x0000001c, 0x325f7370, /* comment: CTAB ... "ps_2" */
    0x0000305f, 0x00000000,                         /* "_0" */
    0x0200001f, 0x80000000, 0x900f0000,             /* dcl v0 */
    0x0000fffe,                                     /* comment, no words */
    0x02000001, 0x800f0800, 0x90e40000,             /* mov oC0, v0 */
    0x0001fffe, 0x0a0d4241,                         /* comment "AB\r\n" */
    0x0000ffff,                                     /* end */
    0x00000000, 0xcafef00d,                         /* trailing */
};
#define STREAM_N (sizeof(stream) / sizeof(stream[0]))

static const char stream_listing[] =
    "ps_2_0\n"
    "comment 0x42415443 0x0000001c 0x325f7370 0x0000305f  // CTAB....ps_2_0..\n"
    "        0x00000000                                   // ....\n"
    "dcl v0\n"
    "comment\n"
    "mov oC0, v0\n"
    "comment 0x0a0d4241                                   // AB..\n"
    "trailing 0x00000000 0xcafef00d                        // ........\n";

static void test_parsed(void **state)
{
    (void)state;
    uint32_t *w = malloc(sizeof(stream));
    memcpy(w, stream, sizeof(stream));
    vgt_shader *sh;
    vgt_error err = {0};
    assert_int_equal(vgt_shader_parse(w, STREAM_N, &sh, NULL, &err), VGT_OK);
    /* The shader keeps copies: the words may go. */
    memset(w, 0x55, sizeof(stream));
    free(w);
    assert_int_equal(sh->insn_count, 2);
    assert_int_equal(sh->comment_count, 3);
    assert_int_equal(sh->comment_words, 6 + 1 + 2);
    assert_int_equal(sh->token_count, STREAM_N - 2);
    assert_int_equal(sh->comments[0].token_offset, 1);
    assert_int_equal(sh->comments[0].before_insn, 0);
    assert_int_equal(sh->comments[0].size, 5);
    assert_int_equal(sh->comments[0].words[0], 0x42415443);
    assert_int_equal(sh->comments[0].words[4], 0);
    assert_int_equal(sh->comments[1].token_offset, 10);
    assert_int_equal(sh->comments[1].before_insn, 1);
    assert_int_equal(sh->comments[1].size, 0);
    assert_int_equal(sh->comments[2].token_offset, 14);
    assert_int_equal(sh->comments[2].before_insn, 2);
    assert_int_equal(sh->comments[2].size, 1);
    assert_int_equal(sh->comments[2].words[0], 0x0a0d4241);
    assert_int_equal(sh->trailing_words, 2);
    assert_int_equal(sh->trailing[0], 0);
    assert_int_equal(sh->trailing[1], 0xcafef00d);
    vgt_shader_free(sh);

    /* None of either: nothing kept. */
    const uint32_t plain[] = {0xffff0200, 0x02000001, 0x800f0800, 0xa0e40000, 0x0000ffff};
    assert_int_equal(vgt_shader_parse(plain, 5, &sh, NULL, &err), VGT_OK);
    assert_null(sh->comments);
    assert_null(sh->trailing);
    vgt_shader_free(sh);
    /* Trailing words alone (no comment block). */
    const uint32_t tail[] = {0xffff0200, 0x0000ffff, 7};
    assert_int_equal(vgt_shader_parse(tail, 3, &sh, NULL, &err), VGT_OK);
    assert_null(sh->comments);
    assert_int_equal(sh->trailing_words, 1);
    assert_int_equal(sh->trailing[0], 7);
    vgt_shader_free(sh);
}

static void test_listing(void **state)
{
    (void)state;
    vgt_shader *sh;
    vgt_error err = {0};
    assert_int_equal(vgt_shader_parse(stream, STREAM_N, &sh, NULL, &err), VGT_OK);
    char *text;
    size_t len;
    assert_int_equal(vgt_shader_disassemble(sh, VGT_SHADER_DIS_KEEP_COMMENTS, &text, &len, &err),
                     VGT_OK);
    assert_string_equal(text, stream_listing);
    assert_int_equal(len, strlen(stream_listing));
    free(text);
    /* KEEP_COMMENTS supersedes COMMENTS (nothing is left out to count). */
    assert_int_equal(vgt_shader_disassemble(sh,
                                            VGT_SHADER_DIS_KEEP_COMMENTS | VGT_SHADER_DIS_COMMENTS,
                                            &text, NULL, &err),
                     VGT_OK);
    assert_string_equal(text, stream_listing);
    free(text);
    /* The default listing is today's: no comment, no trailing words. */
    assert_int_equal(vgt_shader_disassemble(sh, 0, &text, NULL, &err), VGT_OK);
    assert_string_equal(text, "ps_2_0\ndcl v0\nmov oC0, v0\n");
    free(text);
    assert_int_equal(vgt_shader_disassemble(sh, VGT_SHADER_DIS_COMMENTS, &text, NULL, &err),
                     VGT_OK);
    assert_string_equal(text,
                        "ps_2_0\n// 3 comment blocks (9 words) not shown\ndcl v0\nmov oC0, v0\n");
    free(text);
    /* Offsets go on the instructions and on each comment block's first
     * line (its comment token's index, before the bytes as text); the
     * trailing words have no token of their own.  The assembler skips the
     * `//` text, so the listing still gives back the stream. */
    assert_int_equal(vgt_shader_disassemble(sh,
                                            VGT_SHADER_DIS_KEEP_COMMENTS | VGT_SHADER_DIS_OFFSETS,
                                            &text, NULL, &err),
                     VGT_OK);
    assert_string_equal(
        text, "ps_2_0\n"
              "comment 0x42415443 0x0000001c 0x325f7370 0x0000305f  // @1 CTAB....ps_2_0..\n"
              "        0x00000000                                   // ....\n"
              "dcl v0                                  // @7\n"
              "comment                                 // @10\n"
              "mov oC0, v0                             // @11\n"
              "comment 0x0a0d4241                                   // @14 AB..\n"
              "trailing 0x00000000 0xcafef00d                        // ........\n");
    uint32_t *back;
    size_t nback;
    assert_int_equal(vgt_shader_assemble(text, strlen(text), &back, &nback, NULL, &err), VGT_OK);
    assert_int_equal(nback, STREAM_N);
    assert_memory_equal(back, stream, sizeof(stream));
    free(back);
    free(text);
    /* And it assembles back into the stream, word for word. */
    assert_true(test_keep_round_trip(sh, stream, STREAM_N));
    vgt_shader_free(sh);
}

/* Assembles text; fails the test when it does not assemble. */
static uint32_t *assemble_ok(const char *text, size_t *n)
{
    uint32_t *w = NULL;
    vgt_error err = {0};
    if (vgt_shader_assemble(text, strlen(text), &w, n, NULL, &err) != VGT_OK) {
        fail_msg("'%s': %s", text, err.message);
    }
    return w;
}

/* Assembling text fails with a syntax error at line:column whose message
 * holds `message`, and writes no words. */
static void assemble_fails(const char *text, uint32_t line, uint32_t column, const char *message)
{
    uint32_t *none = (uint32_t *)1;
    size_t n;
    vgt_shader_diag diag;
    vgt_error err = {0};
    assert_int_equal(vgt_shader_assemble(text, strlen(text), &none, &n, &diag, &err),
                     VGT_E_INVALID);
    assert_null(none);
    assert_int_equal(diag.fault, VGT_SHADER_FAULT_SYNTAX);
    assert_int_equal(diag.line, line);
    assert_int_equal(diag.column, column);
    if (!strstr(err.message, message)) {
        fail_msg("'%s' does not hold '%s'", err.message, message);
    }
}

static void test_syntax(void **state)
{
    (void)state;
    size_t n;
    /* Continuation lines (after blank and comment lines too, in any case
     * of 0x and digits) belong to the block above; a second `comment` is a
     * second block; short words are zero-extended. */
    uint32_t *w = assemble_ok("vs_2_0\n"
                              "comment 0x1 0xAbCdEf01\n"
                              "\n"
                              "   ; a remark\n"
                              "  0X2 0x3\t0x00000004 // text\n"
                              "comment 0x5\n"
                              "mov r0, v0\n"
                              "comment\n"
                              "trailing 0x6\n"
                              "  0x7\n"
                              "\n"
                              "  0x8\n",
                              &n);
    const uint32_t want[] = {0xfffe0200, 0x0005fffe, 1, 0xabcdef01, 2,          3,
                             4,          0x0001fffe, 5, 0x02000001, 0x800f0000, 0x90e40000,
                             0x0000fffe, 0x0000ffff, 6, 7,          8};
    assert_int_equal(n, sizeof(want) / 4);
    assert_memory_equal(w, want, sizeof(want));
    free(w);

    /* One `trailing` statement, last: a second one is refused at its
     * keyword, naming the first (it used to append its words). */
    assemble_fails("ps_2_0\nmov oC0, v0\ntrailing 0x1\n  0x2\n  trailing 0x3\n", 5, 3,
                   "5:3: a second 'trailing' (the first is line 3): the words after the end "
                   "token are one statement; continue it on lines that start with 0x");

    /* A block of the largest size the token holds. */
    size_t cap = 64 + 0x7FFF * 11;
    char *big = malloc(cap);
    size_t k = (size_t)snprintf(big, cap, "ps_2_0\ncomment");
    for (uint32_t i = 0; i < 0x7FFF; i++) {
        k += (size_t)snprintf(big + k, cap - k, "%s0x%x", i % 8 == 7 ? "\n" : " ", i);
    }
    w = assemble_ok(big, &n);
    assert_int_equal(n, 2 + 0x7FFF + 1);
    assert_int_equal(w[1], 0x7FFFFFFE);
    assert_int_equal(w[2 + 0x7FFE], 0x7FFE);
    free(w);
    /* One word more is an error at that word. */
    snprintf(big + k, cap - k, " 0x1");
    assemble_fails(big, 2 + 0x7FFF / 8, (uint32_t)strlen(strrchr(big, '\n')) - 3,
                   "at most 32767 words");
    free(big);

    /* Trailing words are not held to the 65536-token cap: the parser reads
     * none of them. */
    size_t nt = VGT_SHADER_MAX_TOKENS + 10;
    cap = 32 + nt * 4;
    big = malloc(cap);
    k = (size_t)snprintf(big, cap, "vs_3_0\ntrailing");
    for (size_t i = 0; i < nt; i++) {
        k += (size_t)snprintf(big + k, cap - k, " 0x%x", (unsigned)(i & 0xF));
    }
    w = assemble_ok(big, &n);
    assert_int_equal(n, 2 + nt);
    assert_int_equal(w[1], VGT_SHADER_END_TOKEN);
    assert_int_equal(w[2 + nt - 1], (nt - 1) & 0xF);
    vgt_shader *sh;
    vgt_error err = {0};
    assert_int_equal(vgt_shader_parse(w, n, &sh, NULL, &err), VGT_OK);
    assert_int_equal(sh->trailing_words, nt);
    assert_true(test_keep_round_trip(sh, w, n));
    vgt_shader_free(sh);
    free(w);
    free(big);
}

/* The round trip on the corpus with a CTAB, comments and trailing words
 * added to every shader (test_add_comments), and on the kit's CTABs. */
static void test_corpus_round_trip(void **state)
{
    (void)state;
    static const char *const corpus[] = {
        "vs_1_1", "vs_2_0", "vs_2_x", "vs_3_0", "ps_1_1", "ps_1_1_tex",
        "ps_1_2", "ps_1_3", "ps_1_4", "ps_2_0", "ps_2_x", "ps_3_0",
    };
    for (size_t c = 0; c < sizeof(corpus) / sizeof(corpus[0]); c++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/shaders/corpus/%s.asm", VGT_TEST_DATA_DIR, corpus[c]);
        size_t len = 0;
        char *text = test_read_file(path, &len);
        assert_non_null(text);
        uint32_t *w;
        size_t n;
        vgt_error err = {0};
        assert_int_equal(vgt_shader_assemble(text, len, &w, &n, NULL, &err), VGT_OK);
        vgt_shader *sh;
        assert_int_equal(vgt_shader_parse(w, n, &sh, NULL, &err), VGT_OK);
        size_t nx;
        uint32_t *x = test_add_comments(sh, w, &nx);
        vgt_shader *shx;
        if (vgt_shader_parse(x, nx, &shx, NULL, &err) != VGT_OK) {
            fail_msg("%s with comments: %s", corpus[c], err.message);
        }
        assert_int_equal(shx->comment_count, 3);
        assert_int_equal(shx->trailing_words, 3);
        assert_int_equal(shx->insn_count, sh->insn_count);
        if (!test_keep_round_trip(shx, x, nx)) {
            fail_msg("%s with comments does not round trip", corpus[c]);
        }
        /* the listing with token offsets (on the comment lines too) as well */
        if (!test_keep_round_trip_flags(shx, x, nx, VGT_SHADER_DIS_OFFSETS)) {
            fail_msg("%s with comments and --offsets does not round trip", corpus[c]);
        }
        /* The CTAB's names show in the listing's text. */
        char *dis;
        assert_int_equal(
            vgt_shader_disassemble(shx, VGT_SHADER_DIS_KEEP_COMMENTS, &dis, NULL, &err), VGT_OK);
        assert_non_null(strstr(dis, "// CTAB"));
        assert_non_null(strstr(dis, "g_tint"));
        free(dis);
        vgt_shader_free(shx);
        free(x);
        vgt_shader_free(sh);
        free(w);
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parsed),
        cmocka_unit_test(test_listing),
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_corpus_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
