/* hash_avx2.c - XXH3_64 and XXH3_128 (seed 0) compiled for AVX2, which
 * hash.c calls where the CPU has it: the distribution's libxxhash is built
 * for SSE2 and hashes ~6.6 GB/s here, this copy 40-57 GB/s (a 217 KiB
 * payload, 64 KiB chunks), and the capture hashes every deduplicable
 * payload, every chunk and every changed frame.  The same functions of the
 * same bytes, so the same hashes.  (The library's run-time dispatch picks
 * AVX-512 where there is one, and that slowed the other code on its core:
 * docs/performance.md, sixth round.) */
#include "hash_avx2.h"

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

#include "hash_impl.h"

uint64_t vgt__hash64_avx2(const void *data, size_t size)
{
    return hash64_impl(data, size);
}

void vgt__hash128_avx2(const vgt_trace_iov *iov, size_t count, uint64_t *lo, uint64_t *hi)
{
    hash128_impl(iov, count, lo, hi);
}

uint64_t vgt__hash_rows_avx2(const uint8_t *pixels, size_t row, size_t stride, uint32_t rows)
{
    return hash_rows_impl(pixels, row, stride, rows);
}

void vgt__hash_each_row_avx2(const uint8_t *pixels, size_t row, size_t stride, uint32_t count,
                             uint64_t *out)
{
    each_row_impl(pixels, row, stride, count, out);
}

uint64_t vgt__hash_of_row_hashes_avx2(const uint64_t *hashes, uint32_t rows)
{
    return of_row_hashes_impl(hashes, rows);
}

uint64_t vgt__hash_row_tree_avx2(const uint8_t *pixels, size_t row, size_t stride, uint32_t rows)
{
    return row_tree_impl(pixels, row, stride, rows);
}

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif
