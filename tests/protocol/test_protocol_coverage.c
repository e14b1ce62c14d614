/* test_protocol_coverage.c - docs/protocol-coverage.md must be exactly what
 * the command table generates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vgt_protocol.h"

#define DOC_PATH VGT_SOURCE_DIR "/docs/protocol-coverage.md"

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    *len = n;
    return buf;
}

static void test_committed_doc_matches_the_table(void **state)
{
    (void)state;
    char *gen = NULL;
    size_t gen_len = 0;
    FILE *m = open_memstream(&gen, &gen_len);
    assert_non_null(m);
    assert_int_equal(vgt_protocol_coverage_markdown(m), VGT_OK);
    fclose(m);

    FILE *f = fopen(DOC_PATH, "rb");
    if (!f) {
        fail_msg("cannot open %s: regenerate it with vgt_protocol_coverage", DOC_PATH);
    }
    size_t doc_len = 0;
    char *doc = read_all(f, &doc_len);
    fclose(f);
    if (doc_len != gen_len || memcmp(doc, gen, gen_len) != 0) {
        fail_msg("docs/protocol-coverage.md differs from the command table; regenerate it "
                 "with build/protocol/vgt_protocol_coverage > docs/protocol-coverage.md");
    }
    /* one row per command */
    size_t n = 0;
    const vgt_cmd_desc *t = vgt_cmd_table(&n);
    for (size_t i = 0; i < n; i++) {
        char row[128];
        snprintf(row, sizeof(row), "| %u | %s", t[i].id, t[i].name);
        assert_non_null(strstr(gen, row));
    }
    free(doc);
    free(gen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_committed_doc_matches_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
