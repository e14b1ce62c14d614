/* samples.c - the registry of sample guest programs (samples.def). */
#include "vgt_samples.h"

#include <string.h>

static const vgt_sample_info samples[] = {
#define VGT_SAMPLE(ident, name, summary) {name, summary, vgt_sample_##ident},
#include "samples.def"
#undef VGT_SAMPLE
};

const vgt_sample_info *vgt_samples(size_t *count)
{
    *count = sizeof(samples) / sizeof(samples[0]);
    return samples;
}

int vgt_sample_guest(vgt_guest *guest, void *arg)
{
    const vgt_sample_run *r = arg;
    return r->sample->entry(guest, &r->args);
}

const vgt_sample_info *vgt_sample_find(const char *name)
{
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        if (strcmp(samples[i].name, name) == 0) {
            return &samples[i];
        }
    }
    return NULL;
}
