/* capture_test_util.h - what the tests that capture a sample share
 * (test_diff, test_analyze): a sample run in a VM under a capture. */
#ifndef VGT_CAPTURE_TEST_UTIL_H
#define VGT_CAPTURE_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "vgt_samples.h"

/* Runs sample `name` (args as given, quiet) in a new VM of 64 MiB, its
 * device with 3D on *be (without 3D when be is NULL), under a capture into
 * path from guest frame `start`; fails the test unless the sample exits 0
 * and the capture closes cleanly.  False when there is no such sample. */
bool capture_test_sample(const char *path, const char *name, const vgt_sample_args *args,
                         const vgt_backend_kind *be, uint64_t start);
/* The same for a guest program of the test's own: main(guest, arg) runs in
 * the VM (3D on *be, or none when be is NULL) under a capture into path
 * from its first frame; fails the test unless it returns 0. */
void capture_test_guest(const char *path, vgt_guest_main main, void *arg,
                        const vgt_backend_kind *be);

#endif
