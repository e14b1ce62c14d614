/* Private to vgt_replay (and its tests): a sorted list of disjoint guest
 * frame ranges [lo, hi], as vgt diff keeps its damaged frames.  A hostile
 * trace can damage a million chunks, so adding is amortised O(1) when the
 * ranges come in increasing order (as the reading goes) and a look-up is a
 * binary search, not a scan per frame compared. */
#ifndef VGT_FRAME_RANGES_H
#define VGT_FRAME_RANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Adds [lo, hi] (lo <= hi) to the n ranges of *r (room for *cap), merging
 * it with those it overlaps or touches, wherever it falls: the list stays
 * sorted and disjoint, no two ranges adjacent.  Grows *r geometrically;
 * false (the list unchanged) when out of memory. */
bool vgt_frame_ranges_add(uint64_t (**r)[2], size_t *n, size_t *cap, uint64_t lo, uint64_t hi);

/* Whether `frame` lies in one of the n sorted, disjoint ranges r. */
bool vgt_frame_ranges_has(const uint64_t (*r)[2], size_t n, uint64_t frame);

#endif
