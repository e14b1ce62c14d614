/* hash_avx2.h - private to format/: the trace's XXH3 hashes compiled for
 * AVX2 (hash_avx2.c); hash.c calls them only where the CPU has AVX2. */
#ifndef VGT_FORMAT_HASH_AVX2_H
#define VGT_FORMAT_HASH_AVX2_H

#include "vgt_format.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define VGT_HAVE_XXH3_AVX2 1
uint64_t vgt__hash64_avx2(const void *data, size_t size);
void vgt__hash128_avx2(const vgt_trace_iov *iov, size_t count, uint64_t *lo, uint64_t *hi);
uint64_t vgt__hash_rows_avx2(const uint8_t *pixels, size_t row, size_t stride, uint32_t rows);
void vgt__hash_each_row_avx2(const uint8_t *pixels, size_t row, size_t stride, uint32_t count,
                             uint64_t *out);
uint64_t vgt__hash_of_row_hashes_avx2(const uint64_t *hashes, uint32_t rows);
uint64_t vgt__hash_row_tree_avx2(const uint8_t *pixels, size_t row, size_t stride, uint32_t rows);
#else
#define VGT_HAVE_XXH3_AVX2 0
#endif

#endif
