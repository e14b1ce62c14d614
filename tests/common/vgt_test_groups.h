/* vgt_test_groups.h - one cmocka executable registered as several ctest
 * entries (vgt_add_test(... PARTS n) in tests/CMakeLists.txt).
 *
 * Why: a long suite under ASan came close to its ctest timeout on a loaded
 * machine; run as a few entries, each has its own timeout and ctest -j can
 * run them side by side.  Each test carries the number of the one entry
 * that runs it, so a test cannot be in two entries; check_test_groups.sh
 * (the NAME_groups ctest entry) fails when a test function of the source
 * is not in the table, or a group number has no entry.
 *
 * Include after <cmocka.h>. */
#ifndef VGT_TEST_GROUPS_H
#define VGT_TEST_GROUPS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct vgt_test_grouped {
    struct CMUnitTest test;
    unsigned group; /* 1..PARTS: the ctest entry NAME_partGROUP */
} vgt_test_grouped;

#define VGT_TEST_IN(group, fn)                                                                     \
    {                                                                                              \
        cmocka_unit_test(fn), (group)                                                              \
    }

/* The tests of GROUP (0: every test) into SEL, in the table's order;
 * returns how many. */
static inline size_t vgt_test_select(const vgt_test_grouped *tests, size_t n, unsigned group,
                                     struct CMUnitTest *sel)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (group == 0 || tests[i].group == group) {
            sel[k++] = tests[i].test;
        }
    }
    return k;
}

/* argv[1]: absent = every test (a run by hand); "N" = group N's tests;
 * "--list" = one "N name" line per entry of the table, "--list N" = the
 * names "N" would run: check_test_groups.sh compares the two.  The
 * selection is a static array, not malloc: test_hostile_alloc wraps malloc. */
static inline int vgt_test_run_groups(const char *name, const vgt_test_grouped *tests, size_t n,
                                      int argc, char **argv, CMFixtureFunction setup,
                                      CMFixtureFunction teardown)
{
    static struct CMUnitTest sel[128];
    if (n > sizeof(sel) / sizeof(sel[0])) {
        fprintf(stderr, "%s: %zu tests, at most %zu\n", name, n, sizeof(sel) / sizeof(sel[0]));
        return 1;
    }
    bool list = argc > 1 && strcmp(argv[1], "--list") == 0;
    const char *arg = list ? (argc > 2 ? argv[2] : NULL) : (argc > 1 ? argv[1] : NULL);
    if (list && arg == NULL) {
        for (size_t i = 0; i < n; i++) {
            printf("%u %s\n", tests[i].group, tests[i].test.name);
        }
        return 0;
    }
    unsigned group = 0;
    if (arg != NULL) {
        char *end;
        unsigned long g = strtoul(arg, &end, 10);
        if (*arg == '\0' || *end != '\0' || g == 0 || g > 1000) {
            fprintf(stderr, "usage: %s [GROUP | --list [GROUP]]\n", argv[0]);
            return 1;
        }
        group = (unsigned)g;
    }
    size_t k = vgt_test_select(tests, n, group, sel);
    if (list) {
        for (size_t i = 0; i < k; i++) {
            printf("%s\n", sel[i].name);
        }
        return 0;
    }
    if (k == 0) {
        fprintf(stderr, "%s: no test in group %u\n", name, group);
        return 1;
    }
    return _cmocka_run_group_tests(name, sel, k, setup, teardown);
}

#endif
