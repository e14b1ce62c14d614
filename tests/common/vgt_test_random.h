/* vgt_test_random.h - what the seeded random (differential) tests share:
 * a small seeded generator, the environment knobs they are run with by
 * hand, and the rasterization-tie-free vertex grid.
 *
 * Why shared: test_gl_differential (fixed function) and
 * test_gl_shader_differential (shaders) draw the same kind of random
 * geometry on gl and on soft, and a case must mean the same thing in both
 * (the seed's stream, the grid that keeps edges off pixel centres). */
#ifndef VGT_TEST_RANDOM_H
#define VGT_TEST_RANDOM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* ---- a small seeded generator (splitmix64) ---------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static inline uint64_t rnext(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* 0 .. n-1 */
static inline uint32_t rn(rng *r, uint32_t n)
{
    return (uint32_t)(rnext(r) % n);
}

/* true with probability pct / 100 */
static inline bool rp(rng *r, uint32_t pct)
{
    return rn(r, 100) < pct;
}

/* lo .. hi in steps of 1/1000 plus 1/7919 (no value on a binary grid, so
 * interpolated texture coordinates do not land on texel edges) */
static inline float rf(rng *r, float lo, float hi)
{
    uint32_t steps = (uint32_t)((hi - lo) * 1000.0f);
    return lo + (float)rn(r, steps + 1) / 1000.0f + 1.0f / 7919.0f;
}

/* An environment variable as a number (by hand: seeds, case counts,
 * survey/reduce switches); dflt when unset or empty. */
static inline uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 0) : dflt;
}

/* ---- vertices without rasterization ties --------------------------------
 *
 * Screen coordinates in eighths of a pixel: x at k + 1/4 or k + 3/4, y at
 * m + 3/8 or m + 5/8.  Pixel centres (D3D9: integers) are on no vertex, a
 * point of any integer size has no edge on a centre, and no line endpoint
 * lies on the border of a centre's diamond (|dx| + |dy| is never 1/2), so
 * the two rasterizers have no tie to break differently.  `margin` pixels
 * beyond a w x h target on each side. */
static inline int32_t rx8(rng *r, uint32_t w, int32_t margin)
{
    return 8 * ((int32_t)rn(r, w + 2 * (uint32_t)margin) - margin) + (rp(r, 50) ? 2 : 6);
}
static inline int32_t ry8(rng *r, uint32_t h, int32_t margin)
{
    return 8 * ((int32_t)rn(r, h + 2 * (uint32_t)margin) - margin) + (rp(r, 50) ? 3 : 5);
}

/* Whether the edge a-b (eighths) passes exactly through a pixel centre or
 * a half-pixel point of a w x h target (and 4 pixels around it): a tie of
 * the fill rule (D3D9's top-left rule and GL's agree in principle, but an
 * interpolated edge on a centre is where the two implementations'
 * arithmetic decides). */
static inline bool edge_on_centre(int32_t ax, int32_t ay, int32_t bx, int32_t by, uint32_t w,
                                  uint32_t h)
{
    int64_t dx = bx - ax, dy = by - ay;
    for (int32_t py = -32; py <= 8 * (int32_t)h + 32; py += 4) {
        for (int32_t px = -32; px <= 8 * (int32_t)w + 32; px += 4) {
            if (dx * (py - ay) - dy * (px - ax) == 0) {
                return true;
            }
        }
    }
    return false;
}

#endif
