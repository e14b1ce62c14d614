/* hash.c - the trace's hashes: vgt's own AVX2 build where the CPU has
 * AVX2 (hash_avx2.c), else the distribution's libxxhash. */
#include "hash_avx2.h"
#include "vgt_format.h"

#include <stdbool.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>

#include "hash_impl.h"

#if VGT_HAVE_XXH3_AVX2
#define AVX2 __builtin_cpu_supports("avx2")
#else /* never called where AVX2 is 0 */
#define AVX2                            0
#define vgt__hash64_avx2(d, n)          0
#define vgt__hash128_avx2(i, c, l, h)   ((void)0)
#define vgt__hash_rows_avx2(p, r, s, n) 0
#endif

uint64_t vgt_trace_hash64(const void *data, size_t size)
{
    return AVX2 ? vgt__hash64_avx2(data, size) : hash64_impl(data, size);
}

void vgt_trace_hash128(const vgt_trace_iov *iov, size_t count, uint64_t *lo, uint64_t *hi)
{
    if (AVX2) {
        vgt__hash128_avx2(iov, count, lo, hi);
    } else {
        hash128_impl(iov, count, lo, hi);
    }
}

uint64_t vgt_trace_hash_rows(const uint8_t *pixels, size_t row_bytes, size_t stride, uint32_t rows)
{
    return AVX2 ? vgt__hash_rows_avx2(pixels, row_bytes, stride, rows)
                : hash_rows_impl(pixels, row_bytes, stride, rows);
}

void vgt_trace_hash_each_row(const uint8_t *pixels, size_t row_bytes, size_t stride, uint32_t count,
                             uint64_t *out)
{
    if (AVX2) {
        vgt__hash_each_row_avx2(pixels, row_bytes, stride, count, out);
    } else {
        each_row_impl(pixels, row_bytes, stride, count, out);
    }
}

uint64_t vgt_trace_hash_of_row_hashes(const uint64_t *hashes, uint32_t rows)
{
    return AVX2 ? vgt__hash_of_row_hashes_avx2(hashes, rows) : of_row_hashes_impl(hashes, rows);
}

uint64_t vgt_trace_hash_row_tree(const uint8_t *pixels, size_t row_bytes, size_t stride,
                                 uint32_t rows)
{
    return AVX2 ? vgt__hash_row_tree_avx2(pixels, row_bytes, stride, rows)
                : row_tree_impl(pixels, row_bytes, stride, rows);
}
