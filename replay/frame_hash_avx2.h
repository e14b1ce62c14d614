/* frame_hash_avx2.h - private to replay/: the frame hash built for AVX2
 * (frame_hash_avx2.c); call it only where __builtin_cpu_supports("avx2"). */
#ifndef VGT_FRAME_HASH_AVX2_H
#define VGT_FRAME_HASH_AVX2_H

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define VGT_HAVE_XXH3_AVX2 1
/* XXH3_64 (seed 0) of `rows` rows of `row` bytes, `stride` bytes apart. */
uint64_t vgt__frame_hash_rows_avx2(const uint8_t *pixels, size_t row, size_t stride, uint32_t rows);
#else
#define VGT_HAVE_XXH3_AVX2 0
#endif

#endif
