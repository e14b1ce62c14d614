/* frame_hash_avx2.c - XXH3_64 of a frame's rows compiled for AVX2, which
 * trace_records.c calls where the CPU has it: the capture hashes every
 * frame that changed and replay --verify every frame, 1.2 MB at 640x480
 * (62 us through the distribution's libxxhash, built for SSE2; 34 us
 * here). The same function of the same bytes, so the same hashes.  (The
 * library's run-time dispatch picks AVX-512 where there is one, and that
 * slowed the other code on its core: docs/performance.md, sixth round.) */
#include "frame_hash_avx2.h"

#if VGT_HAVE_XXH3_AVX2
#if defined(__clang__)
#include <immintrin.h> /* clang declares the AVX2 types only when included */
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2")
#endif
#define XXH_INLINE_ALL   /* this file's own copy, names of its own */
#define XXH_VECTOR     2 /* XXH_AVX2 */
#include <xxhash.h>

uint64_t vgt__frame_hash_rows_avx2(const uint8_t *pixels, size_t row, size_t stride, uint32_t rows)
{
    if (stride == row) {
        return XXH3_64bits(pixels, row * rows);
    }
    XXH3_state_t s;
    XXH3_64bits_reset(&s);
    for (uint32_t y = 0; y < rows; y++) {
        XXH3_64bits_update(&s, pixels + (size_t)y * stride, row);
    }
    return XXH3_64bits_digest(&s);
}

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif
