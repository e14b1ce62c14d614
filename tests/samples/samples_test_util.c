/* samples_test_util.c - see samples_test_util.h. */
#include "samples_test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

void samples_check_golden(const vgt_image *img, const char *file)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/golden/%s", VGT_TEST_DATA_DIR, file);
    vgt_error err = {0};
    const char *update = getenv("VGT_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        assert_int_equal(vgt_image_write_png(img, path, false, &err), VGT_OK);
        return;
    }
    vgt_image golden;
    if (vgt_image_read_png(&golden, path, &err) != VGT_OK) {
        fail_msg("%s (regenerate with VGT_UPDATE_GOLDEN=1)", err.message);
    }
    vgt_image_diff diff;
    assert_int_equal(vgt_image_compare(img, &golden, 0, false, &diff, &err), VGT_OK);
    vgt_image_free(&golden);
    if (diff.pixels_over != 0) {
        fail_msg("the frame differs from %s in %llu pixels (max delta %u)", path,
                 (unsigned long long)diff.pixels_over, diff.max_channel_delta);
    }
}
