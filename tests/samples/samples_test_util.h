/* samples_test_util.h - what the sample tests share: a sample run in a VM
 * with its first frames kept, and a frame against its golden PNG. */
#ifndef VGT_SAMPLES_TEST_UTIL_H
#define VGT_SAMPLES_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "vgt_base.h"
#include "vgt_samples.h"

/* Frames kept by samples_run: 0..SAMPLES_FRAMES-1. */
#define SAMPLES_FRAMES 12u

typedef struct samples_shots {
    vgt_image img[SAMPLES_FRAMES]; /* the display the device composed at each frame end */
    uint32_t count;                /* frames kept */
} samples_shots;

/* Runs sample `name` (args as given, quiet) in a new VM (16 MiB RAM, 4 MiB
 * VRAM, identity-mapped or not, `hide_caps` not offered) and keeps its
 * first SAMPLES_FRAMES frames; returns its exit code, the device's stats in
 * *st.  Free the frames with samples_free_shots. */
int samples_run(samples_shots *s, const char *name, const vgt_sample_args *args, bool identity,
                uint32_t hide_caps, vgt_device_stats *st);
void samples_free_shots(samples_shots *s);

/* Compares `img` with the golden PNG VGT_TEST_DATA_DIR/golden/`file`
 * exactly, failing the test with the pixel count and the largest channel
 * delta; with VGT_UPDATE_GOLDEN=1 it writes the PNG instead (look at it). */
void samples_check_golden(const vgt_image *img, const char *file);
/* samples_check_golden for frames[0..n-1] of s, against
 * NAME-WxH-frame-NNN.png (the sample's name, its frames' size). */
void samples_check_golden_frames(const samples_shots *s, const char *name, const uint32_t *frames,
                                 size_t n);

/* Runs sample `name` (args as given) twice, not identity-mapped and
 * identity-mapped: both exit 0 with every frame of `args`, each kept frame
 * the same size and pixels in both runs; frames `a` and `b` differ (the
 * sample animates). */
void samples_check_identity_equal(const char *name, const vgt_sample_args *args, uint32_t a,
                                  uint32_t b);

#endif
