/* samples_test_util.h - what the sample tests share: a frame against its
 * golden PNG. */
#ifndef VGT_SAMPLES_TEST_UTIL_H
#define VGT_SAMPLES_TEST_UTIL_H

#include "vgt_base.h"

/* Compares `img` with the golden PNG VGT_TEST_DATA_DIR/golden/`file`
 * exactly, failing the test with the pixel count and the largest channel
 * delta; with VGT_UPDATE_GOLDEN=1 it writes the PNG instead (look at it). */
void samples_check_golden(const vgt_image *img, const char *file);

#endif
