/* fuzz_common.h - shared by the fuzz targets: the libFuzzer entry points and
 * a little reader that turns the fuzz input into numbers.
 *
 * Every target defines LLVMFuzzerTestOneInput (and may define
 * LLVMFuzzerInitialize).  Built with clang -fsanitize=fuzzer it is a
 * libFuzzer binary; built with fuzz_replay_main.c (any compiler) it is the
 * plain driver that `make check` runs over the corpus and the regressions. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Consumes the input front to back; reads past the end give zeros. */
typedef struct fz {
    const uint8_t *p;
    size_t n;
} fz;

static inline size_t fz_left(const fz *f)
{
    return f->n;
}

static inline uint8_t fz_u8(fz *f)
{
    if (f->n == 0) {
        return 0;
    }
    f->n--;
    return *f->p++;
}

static inline uint16_t fz_u16(fz *f)
{
    uint16_t v = fz_u8(f);
    return (uint16_t)(v | (uint16_t)fz_u8(f) << 8);
}

static inline uint32_t fz_u32(fz *f)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < 4; i++) {
        v |= (uint32_t)fz_u8(f) << (8 * i);
    }
    return v;
}

/* Up to `want` bytes; *got says how many were there. */
static inline const uint8_t *fz_bytes(fz *f, size_t want, size_t *got)
{
    const uint8_t *p = f->p;
    *got = want < f->n ? want : f->n;
    f->p += *got;
    f->n -= *got;
    return p;
}

#endif
