/* test_shader_fuzz.c - random mutations of valid shaders (the corpus, the
 * corpus with a CTAB, comment blocks and trailing words added, and the kit),
 * each parsed from an exact-size heap copy: the parser never reads past the
 * words (ASan), never crashes, and whatever it accepts disassembles to text
 * that assembles back to the same instruction tokens, and with
 * VGT_SHADER_DIS_KEEP_COMMENTS to the very same words.
 *
 * 300000 mutations (about 5 s, 27 s under ASan, on 2 shared cores);
 * VGT_SHADER_FUZZ_ITERATIONS and VGT_SHADER_FUZZ_SEED change the count and
 * the random sequence. */
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

static const char *const corpus[] = {
    "vs_1_1", "vs_2_0", "vs_2_x", "vs_3_0", "ps_1_1", "ps_1_1_tex",
    "ps_1_2", "ps_1_3", "ps_1_4", "ps_2_0", "ps_2_x", "ps_3_0",
};

#define MAX_SEEDS 32

typedef struct seed {
    uint32_t *w;
    size_t n;
} seed;

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return (uint32_t)(x >> 16);
}

static size_t load_seeds(seed *seeds)
{
    size_t count = 0;
    for (size_t k = 0; k < sizeof(corpus) / sizeof(corpus[0]); k++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/shaders/corpus/%s.asm", VGT_TEST_DATA_DIR, corpus[k]);
        size_t len = 0;
        char *text = test_read_file(path, &len);
        assert_non_null(text);
        vgt_error err = {0};
        assert_int_equal(
            vgt_shader_assemble(text, len, &seeds[count].w, &seeds[count].n, NULL, &err), VGT_OK);
        count++;
        free(text);
        /* The same with a CTAB, comment blocks and trailing words
         * (test_add_comments), for the mutations to move around. */
        vgt_shader *sh;
        assert_int_equal(vgt_shader_parse(seeds[count - 1].w, seeds[count - 1].n, &sh, NULL, &err),
                         VGT_OK);
        seeds[count].w = test_add_comments(sh, seeds[count - 1].w, &seeds[count].n);
        vgt_shader_free(sh);
        count++;
    }
    const uint32_t *kit[4] = {kit_simple_vs, kit_simple_ps, kit_cube_vs, kit_cube_ps};
    size_t kit_n[4] = {sizeof(kit_simple_vs) / 4, sizeof(kit_simple_ps) / 4,
                       sizeof(kit_cube_vs) / 4, sizeof(kit_cube_ps) / 4};
    for (int k = 0; k < 4; k++) {
        seeds[count].w = malloc(kit_n[k] * 4);
        memcpy(seeds[count].w, kit[k], kit_n[k] * 4);
        seeds[count].n = kit_n[k];
        count++;
    }
    return count;
}

/* A token that is likely to mean something. */
static uint32_t interesting(void)
{
    switch (rnd() % 8) {
    case 0:
        return rnd();
    case 1: /* an instruction token */
        return (rnd() % 100) | ((rnd() % 16) << 24) | (rnd() % 4 == 0 ? (rnd() & 0xFF) << 16 : 0);
    case 2: /* a parameter token */
        return 0x80000000u | (rnd() & 0x7FFFFFFFu);
    case 3:
        return VGT_SHADER_END_TOKEN;
    case 4: /* a comment */
        return ((rnd() % 8) << 16) | 0xFFFE;
    case 5:
        return 0;
    case 6:
        return 0xFFFFFFFFu;
    default: /* a register token with small fields */
        return 0x80000000u | ((rnd() % 8) << 28) | ((rnd() % 4) << 11) | (rnd() % 40) |
               (rnd() % 4 == 0 ? 0x2000u : 0) | ((rnd() & 0xFF) << 16) | ((rnd() % 16) << 24);
    }
}

static size_t mutate(const seed *s, uint32_t *out, size_t cap)
{
    size_t n = s->n;
    memcpy(out, s->w, n * 4);
    unsigned edits = 1 + rnd() % 4;
    for (unsigned e = 0; e < edits && n > 0; e++) {
        size_t at = rnd() % n;
        switch (rnd() % 7) {
        case 0: /* flip a bit */
            out[at] ^= 1u << (rnd() % 32);
            break;
        case 1: /* flip a bit in the fields that matter most */
            out[at] ^= 1u << (rnd() % 4 == 0 ? 28 + rnd() % 4 : 11 + rnd() % 17);
            break;
        case 2:
            out[at] = interesting();
            break;
        case 3: /* insert */
            if (n < cap) {
                memmove(out + at + 1, out + at, (n - at) * 4);
                out[at] = interesting();
                n++;
            }
            break;
        case 4: /* delete */
            memmove(out + at, out + at + 1, (n - at - 1) * 4);
            n--;
            break;
        case 5: /* truncate */
            n = at;
            break;
        default: /* change a length field */
            out[at] = (out[at] & ~0x0F000000u) | ((rnd() % 16) << 24);
            break;
        }
    }
    return n;
}

static void test_fuzz(void **state)
{
    (void)state;
    long iterations = 300000;
    const char *seed_env = getenv("VGT_SHADER_FUZZ_SEED");
    if (seed_env && strtoull(seed_env, NULL, 10) != 0) {
        rng_state = strtoull(seed_env, NULL, 10);
    }
    const char *env = getenv("VGT_SHADER_FUZZ_ITERATIONS");
    if (env) {
        iterations = strtol(env, NULL, 10);
    }
    seed seeds[MAX_SEEDS];
    size_t nseeds = load_seeds(seeds);
    size_t cap = 0;
    for (size_t i = 0; i < nseeds; i++) {
        cap = seeds[i].n > cap ? seeds[i].n : cap;
    }
    cap += 8;
    uint32_t *buf = malloc(cap * 4);
    long accepted = 0, by_fault[VGT_SHADER_FAULT_SYNTAX + 1] = {0};
    long kept_comments = 0, kept_trailing = 0; /* accepted with comment blocks / trailing words */
    for (long it = 0; it < iterations; it++) {
        const seed *s = &seeds[rnd() % nseeds];
        size_t n = mutate(s, buf, cap);
        uint32_t *exact = malloc(n ? n * 4 : 1);
        memcpy(exact, buf, n * 4);
        vgt_shader *sh = NULL;
        vgt_shader_diag diag;
        vgt_error err = {0};
        vgt_status st = vgt_shader_parse(exact, n, &sh, &diag, &err);
        if (st != VGT_OK) {
            assert_null(sh);
            assert_true(diag.fault > VGT_SHADER_FAULT_NONE && diag.fault < VGT_SHADER_FAULT_SYNTAX);
            assert_true(diag.token <= n);
            assert_true(err.message[0] != '\0');
            by_fault[diag.fault]++;
            free(exact);
            continue;
        }
        accepted++;
        /* Lossless: disassemble, assemble, compare instruction tokens. */
        char *dis;
        size_t dlen;
        assert_int_equal(vgt_shader_disassemble(sh, 0, &dis, &dlen, &err), VGT_OK);
        uint32_t *back;
        size_t nback;
        if (vgt_shader_assemble(dis, dlen, &back, &nback, NULL, &err) != VGT_OK) {
            fail_msg("iteration %ld: accepted bytecode does not reassemble: %s\n%s", it,
                     err.message, dis);
        }
        size_t ni;
        uint32_t *want = test_insn_tokens(sh, exact, &ni);
        if (nback != ni || memcmp(back, want, ni * 4) != 0) {
            for (size_t i = 0; i < ni && i < nback; i++) {
                if (back[i] != want[i]) {
                    fail_msg("iteration %ld: token %zu 0x%08x reassembled as 0x%08x\n%s", it, i,
                             want[i], back[i], dis);
                }
            }
            fail_msg("iteration %ld: %zu tokens reassembled as %zu", it, ni, nback);
        }
        free(want);
        free(back);
        free(dis);
        /* With the comment blocks and trailing words kept: every word. */
        if (!test_keep_round_trip(sh, exact, n)) {
            fail_msg("iteration %ld: the --keep-comments listing does not assemble back into "
                     "the %zu words",
                     it, n);
        }
        kept_comments += sh->comment_count != 0;
        kept_trailing += sh->trailing_words != 0;
        vgt_shader_free(sh);
        free(exact);
    }
    print_message("%ld mutations, %ld accepted (%ld with comment blocks, %ld with trailing "
                  "words); rejected by fault:",
                  iterations, accepted, kept_comments, kept_trailing);
    for (int f = 1; f < VGT_SHADER_FAULT_SYNTAX; f++) {
        print_message(" %d:%ld", f, by_fault[f]);
    }
    print_message("\n");
    /* The mutations reach both outcomes. */
    assert_true(accepted > iterations / 50);
    assert_true(accepted < iterations);
    /* ... and the accepted ones carry comments and trailing words. */
    assert_true(kept_comments > accepted / 10);
    assert_true(kept_trailing > accepted / 10);
    free(buf);
    for (size_t i = 0; i < nseeds; i++) {
        free(seeds[i].w);
    }
}

/* Random words after a valid version token (no structure at all). */
static void test_random_words(void **state)
{
    (void)state;
    for (int it = 0; it < 20000; it++) {
        size_t n = 1 + rnd() % 24;
        uint32_t *w = malloc(n * 4);
        w[0] = rnd() % 2 ? 0xfffe0000u | (rnd() % 2 ? 0x0200 : 0x0300)
                         : 0xffff0000u | (rnd() % 2 ? 0x0104 : 0x0300);
        for (size_t i = 1; i < n; i++) {
            w[i] = interesting();
        }
        vgt_shader *sh = NULL;
        vgt_error err = {0};
        if (vgt_shader_parse(w, n, &sh, NULL, &err) == VGT_OK) {
            char *dis;
            assert_int_equal(vgt_shader_disassemble(sh, 0, &dis, NULL, &err), VGT_OK);
            free(dis);
            assert_true(test_keep_round_trip(sh, w, n));
            vgt_shader_free(sh);
        }
        free(w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fuzz),
        cmocka_unit_test(test_random_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
