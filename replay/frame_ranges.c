/* Sorted, merged guest frame ranges (frame_ranges.h). */
#include "frame_ranges.h"

#include <stdlib.h>
#include <string.h>

/* The first range whose hi >= v (n if none): a binary search, hi rising
 * with the index in a sorted disjoint list. */
static size_t first_hi_from(const uint64_t (*r)[2], size_t n, uint64_t v)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (r[m][1] < v) {
            a = m + 1;
        } else {
            b = m;
        }
    }
    return a;
}

bool vgt_frame_ranges_add(uint64_t (**r)[2], size_t *n, size_t *cap, uint64_t lo, uint64_t hi)
{
    uint64_t(*l)[2] = *r;
    /* ranges i..j-1 overlap or touch [lo, hi]: their hi >= lo - 1 and
     * their lo <= hi + 1 (both without a wrap at 0 or UINT64_MAX) */
    size_t i = first_hi_from(l, *n, lo ? lo - 1u : 0), j = i;
    while (j < *n && (l[j][0] <= hi || l[j][0] - hi == 1u)) {
        j++;
    }
    if (j > i) {
        /* merged into range i; those after it up to j-1 go */
        l[i][0] = lo < l[i][0] ? lo : l[i][0];
        l[i][1] = hi > l[j - 1][1] ? hi : l[j - 1][1];
        memmove(l + i + 1, l + j, (*n - j) * sizeof(*l));
        *n -= j - i - 1;
        return true;
    }
    if (*n == *cap) {
        /* doubled: an append per damaged chunk copies O(n) in all, not
         * O(n^2); n <= SIZE_MAX / 16 since each range is 16 bytes in memory */
        size_t c = *cap ? *cap * 2u : 16u;
        if (c > SIZE_MAX / sizeof(*l) || !(l = realloc(l, c * sizeof(*l)))) {
            return false;
        }
        *r = l;
        *cap = c;
    }
    /* in order (i == n) nothing moves; out of order the ranges after it do */
    memmove(l + i + 1, l + i, (*n - i) * sizeof(*l));
    l[i][0] = lo;
    l[i][1] = hi;
    (*n)++;
    return true;
}

bool vgt_frame_ranges_has(const uint64_t (*r)[2], size_t n, uint64_t frame)
{
    size_t i = first_hi_from(r, n, frame);
    return i < n && r[i][0] <= frame && frame <= r[i][1];
}
