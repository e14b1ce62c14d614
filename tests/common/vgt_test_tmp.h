/* vgt_test_tmp.h - a per-run scratch directory for a test's files,
 * removed when the test process exits, whether its tests passed or failed.
 *
 * Why: files named after the PID straight in the build directory piled up
 * there from every failed or interrupted run.  An exit handler covers a
 * failed cmocka assertion too (cmocka returns from main); only a crash that
 * kills the process (an ASan abort) leaves the directory behind.
 *
 * Include in the one file that calls vgt_test_tmpdir(); VGT_BINARY_DIR is
 * the build directory (tests/CMakeLists.txt defines it). */
#ifndef VGT_TEST_TMP_H
#define VGT_TEST_TMP_H

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char vgt_test_tmp_dir[512];
static pid_t vgt_test_tmp_owner; /* a forked child's exit leaves the directory alone */

static int vgt_test_tmp_remove_one(const char *path, const struct stat *st, int flag,
                                   struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0) {
        fprintf(stderr, "could not remove %s\n", path);
    }
    return 0;
}

static void vgt_test_tmp_remove(void)
{
    if (getpid() != vgt_test_tmp_owner) {
        return;
    }
    /* depth first: the files before their directory; symlinks not followed */
    nftw(vgt_test_tmp_dir, vgt_test_tmp_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* VGT_BINARY_DIR/tests/SUB/tmp-PID, made on the first call; NULL (with a
 * message) when it cannot be made. */
static inline const char *vgt_test_tmpdir(const char *sub)
{
    if (vgt_test_tmp_dir[0] != '\0') {
        return vgt_test_tmp_dir;
    }
    char parent[400];
    snprintf(parent, sizeof(parent), "%s/tests", VGT_BINARY_DIR);
    mkdir(parent, 0777);
    snprintf(parent, sizeof(parent), "%s/tests/%s", VGT_BINARY_DIR, sub);
    mkdir(parent, 0777);
    snprintf(vgt_test_tmp_dir, sizeof(vgt_test_tmp_dir), "%s/tmp-%ld", parent, (long)getpid());
    if (mkdir(vgt_test_tmp_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "cannot create %s\n", vgt_test_tmp_dir);
        vgt_test_tmp_dir[0] = '\0';
        return NULL;
    }
    vgt_test_tmp_owner = getpid();
    atexit(vgt_test_tmp_remove);
    return vgt_test_tmp_dir;
}

#endif
