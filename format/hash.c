/* hash.c - the trace's hashes: vgt's own AVX2 build where the CPU has
 * AVX2 (hash_avx2.c), else the distribution's libxxhash. */
#include "hash_avx2.h"
#include "vgt_format.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>

#include "hash_impl.h"

/* Where the CPU has AVX2, unless VGT_NO_AVX2 is set to anything but empty
 * or "0" (the library's path, for its tests and for comparisons); decided
 * once a process. */
static int avx2_choice; /* 0: not decided yet, 1: the AVX2 build, 2: the library */

bool vgt_trace_hash_uses_avx2(void)
{
    int c = __atomic_load_n(&avx2_choice, __ATOMIC_RELAXED);
    if (c == 0) {
        const char *off = getenv("VGT_NO_AVX2");
        bool refused = off && *off && strcmp(off, "0") != 0;
#if VGT_HAVE_XXH3_AVX2
        c = !refused && __builtin_cpu_supports("avx2") ? 1 : 2;
#else
        (void)refused;
        c = 2;
#endif
        __atomic_store_n(&avx2_choice, c, __ATOMIC_RELAXED);
    }
    return c == 1;
}

#define AVX2 vgt_trace_hash_uses_avx2()
#if !VGT_HAVE_XXH3_AVX2 /* never reached: AVX2 is then always false */
#define vgt__hash64_avx2(d, n)                 0
#define vgt__hash128_avx2(i, c, l, h)          ((void)0)
#define vgt__hash_rows_avx2(p, r, s, n)        0
#define vgt__hash_each_row_avx2(p, r, s, n, o) ((void)0)
#define vgt__hash_of_row_hashes_avx2(h, n)     0
#define vgt__hash_row_tree_avx2(p, r, s, n)    0
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
