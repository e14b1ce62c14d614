/* test_gl_differential.c - random fixed-function draws on gl and on soft.
 *
 * Hand-written scenes keep finding gl/soft disagreements in corners no
 * scene was written for.  This test draws seeded random cases: a 48 x 48
 * A8R8G8B8 target with or without D24S8, one to three draws of triangles,
 * lines or points, each with its own random draw state out of the
 * dimensions listed in docs/gl.md "Differential test" (cull, fill, shade,
 * z, alpha test, blending, colour write mask, stencil, fog, two texture
 * stages with their ops and arguments, filters and address modes on an
 * 8 x 8 mipmapped texture, point size and sprites), on gl and on soft, and
 * compares them at the documented tolerance (GL_TOL, GL_TOL_FRACTION).
 *
 * A case both backends refuse with the same status and message is skipped
 * and counted; a refusal on one backend only is a finding and fails.  On a
 * mismatch the test prints the case's seed and its whole state and writes
 * both images to build/gl-out/diff-SEED-{gl,soft}.png.
 *
 * VGT_DIFF_SEED (default 1) is the first case's seed, VGT_DIFF_CASES
 * (default DIFF_CI_CASES) how many cases run; case i has seed SEED + i, so
 * VGT_DIFF_SEED=S VGT_DIFF_CASES=1 replays case S alone.  By hand,
 * VGT_DIFF_SURVEY=1 reports every finding on one line and goes on (failing
 * at the end), VGT_DIFF_REDUCE=1 reduces each to the dimensions that
 * matter and VGT_DIFF_WRITE=1 writes the reduced pictures to gl-out. */
#include "gl_test_util.h"
#include "vgt_test_random.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The cases CI runs (seeds 1..500): 1.5-15 s in Release as the machine is loaded, a few times that
 * under ASan. */
#define DIFF_CI_CASES 500u

#define DIFF_W     48u
#define DIFF_H     48u
#define DIFF_TEX   8u /* texture size; 4 mips: 8, 4, 2, 1 */
#define DIFF_MIPS  4u
#define DIFF_DRAWS 3u
#define DIFF_VERTS 12u
/* docs/gl.md "Tests and tolerance": lines, points and wireframe */
#define DIFF_LINE_FRACTION 0.01
#define DIFF_FIXED         3u /* surfaces that live as long as the scene: rt, ds, texture */

static uint32_t rcolor(rng *r)
{
    return (uint32_t)rnext(r);
}

/* ---- one case ----------------------------------------------------------- */

typedef struct diff_draw {
    uint32_t prim, count, nverts;
    tvert v[DIFF_VERTS];
    vgt_backend_draw_state st; /* targets, elements and texture views filled per scene */
    bool textured[2];          /* stage s samples the texture */
} diff_draw;

typedef struct diff_case {
    uint64_t seed;
    bool depth; /* a D24S8 target is bound */
    uint32_t clear_color, clear_stencil;
    float clear_depth;
    uint32_t ndraws;
    diff_draw d[DIFF_DRAWS];
} diff_case;

/* The vertex grid (rx8, ry8) and edge_on_centre are vgt_test_random.h's. */
static int32_t dx8(rng *r, int32_t margin)
{
    return rx8(r, DIFF_W, margin);
}
static int32_t dy8(rng *r, int32_t margin)
{
    return ry8(r, DIFF_H, margin);
}
static bool diff_edge_on_centre(int32_t ax, int32_t ay, int32_t bx, int32_t by)
{
    return edge_on_centre(ax, ay, bx, by, DIFF_W, DIFF_H);
}

/* Whether a triangle drawn as lines has a corner sharper than 20 degrees:
 * its two edges from that corner then light the same pixels for a long
 * way (1 / sin(angle) pixels), and which of them is drawn last there is
 * the order in which a wireframe triangle's edges are drawn, which
 * Direct3D 9 leaves open: soft draws v0-v1, v1-v2, v2-v0, llvmpipe's draw
 * module v2-v0, v0-v1, v1-v2 (draw_pipe_unfilled.c); seeds 1010 and 2122
 * differed in 27 and 28 pixels by it under Gouraud shading. */
static bool sharp_corner(const int32_t *x, const int32_t *y)
{
    for (int i = 0; i < 3; i++) {
        int j = (i + 1) % 3, k = (i + 2) % 3;
        double ax = x[j] - x[i], ay = y[j] - y[i], bx = x[k] - x[i], by = y[k] - y[i];
        double cr = ax * by - ay * bx, dot = ax * bx + ay * by;
        double sin20 = 0.3420201433256687;
        if (dot > 0 && cr * cr < sin20 * sin20 * (ax * ax + ay * ay) * (bx * bx + by * by)) {
            return true;
        }
    }
    return false;
}

/* Whether a line a-b (eighths) runs more than a pixel (along its major
 * axis) in the half pixel left of the target's first column or above its
 * first row.  Direct3D 9's clip volume starts at the first pixel's centre
 * (x, y >= 0), so a line there is clipped away on a device that clips to
 * it (GL, and so gl) and lights the first column or row on one that
 * rasterizes within its guard band and keeps the pixels inside the
 * viewport (soft; GuardBandLeft/Top are a device's caps, both are
 * Direct3D 9): seed 3591 (a wireframe edge at x = -1/4, 29 pixels). */
static bool line_in_edge_band(int32_t ax, int32_t ay, int32_t bx, int32_t by)
{
    for (int axis = 0; axis < 2; axis++) {
        double a = axis ? ay : ax, b = axis ? by : bx; /* the coordinate across the band */
        double lo = 0.0, hi = 1.0;                     /* t with -4 < a + t (b - a) < 0 */
        if (a == b) {
            if (!(a > -4 && a < 0)) {
                continue;
            }
        } else {
            double t0 = (-4 - a) / (b - a), t1 = (0 - a) / (b - a);
            lo = fmax(lo, fmin(t0, t1));
            hi = fmin(hi, fmax(t0, t1));
        }
        double major = fmax(fabs((double)(bx - ax)), fabs((double)(by - ay))) / 8.0;
        if (hi > lo && (hi - lo) * major > 1.0) {
            return true;
        }
    }
    return false;
}

static tvert make_vert(rng *r, int32_t x8, int32_t y8, float z)
{
    tvert v = {0};
    v.x = (float)x8 / (8.0f * DIFF_W / 2.0f) - 1.0f;
    v.y = 1.0f - (float)y8 / (8.0f * DIFF_H / 2.0f);
    v.z = z;
    v.nz = -1.0f;
    v.color = rcolor(r);
    v.u = rf(r, -1.5f, 2.5f);
    v.v = rf(r, -1.5f, 2.5f);
    return v;
}

/* Gives the n vertices of one primitive texture coordinates that are an
 * affine map of the screen: a rotation by a random angle scaled so that a
 * pixel step is 2^L texels (L in -1, 1, 2, 3, 4), plus a random offset.
 * The level of detail is then L, an integer, on every pixel on both
 * backends: llvmpipe's LOD is a fast log2 approximation ~0.1 off between
 * powers of two (docs/gl.md test_gl_cubevol), which a trilinear blend, a
 * nearest-mip choice near x.5 or the min/mag switch near 0 would show as a
 * precision difference, not a rule broken; exactly at a power of two it is
 * exact.  L = 0 (the min/mag switch itself) is left out for that reason;
 * 4 is past the smallest level (max level clamps). */
static void affine_uv(rng *r, tvert *v, uint32_t n, const int32_t *x8, const int32_t *y8)
{
    static const int lod[] = {-1, 1, 2, 3, 4};
    float scale = ldexpf(1.0f, lod[rn(r, 5)]) / (float)DIFF_TEX;
    float th = rf(r, 0.0f, 6.28f), cu = rf(r, -2.0f, 2.0f), cv = rf(r, -2.0f, 2.0f);
    float c = cosf(th) * scale, sn = sinf(th) * scale;
    for (uint32_t i = 0; i < n; i++) {
        float x = (float)x8[i] / 8.0f, y = (float)y8[i] / 8.0f;
        v[i].u = cu + c * x + sn * y;
        v[i].v = cv - sn * x + c * y;
    }
}

/* A texture read along a line: llvmpipe interpolates a line's attributes
 * along its major axis (the value at the pixel's column, or row, on the
 * line: measured, a 1:0.62 line's colour steps exactly 8 per column
 * whatever the row), soft projects the pixel centre onto the line, as
 * GL's spec says (t = (p - a).(b - a) / |b - a|^2); Direct3D 9 documents
 * neither.  The two differ by up to half a pixel along a sloped line, and
 * the affine texture coordinates change 2 to 16 texels per pixel, so a
 * sloped line (a LINELIST, or a triangle's edge under line fill) takes one
 * texture coordinate per primitive (the first vertex's); a line along a
 * row or a column, where the two agree, keeps them all. */
static void flat_uv(tvert *v, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        v[i].u = v[0].u;
        v[i].v = v[0].v;
    }
}

/* The depths a primitive takes: each primitive is flat in z and no two
 * primitives of a case share a depth (nor a clear depth): two primitives
 * at one depth make EQUAL/NOTEQUAL/LESSEQUAL a tie of the interpolated z,
 * which llvmpipe and soft round differently (a line against a triangle
 * at the same z passed NOTEQUAL on one and not the other).  A case draws
 * at most 18 primitives; depth_next hands out 0.025 + 0.05 k in a random
 * order. */
#define DIFF_DEPTHS 20u
typedef struct depth_order {
    uint32_t perm[DIFF_DEPTHS], next;
} depth_order;

static float depth_next(depth_order *o)
{
    return 0.025f + 0.05f * (float)o->perm[o->next++ % DIFF_DEPTHS];
}

static const float clear_depths[] = {0.25f, 0.65f, 1.0f};

static void gen_geometry(rng *r, diff_draw *d, uint32_t fill, depth_order *dep)
{
    uint32_t kind = rn(r, 10);
    /* Finding (gl, not fixed): GL clips a point by its centre, Direct3D 9
     * draws the part of a point inside the viewport when its centre is
     * outside ("If the point, taking into account the point size, is
     * completely outside the viewport in x and y, then the point is not
     * rendered"), as soft does; so points (and point fill) keep their
     * centres inside the target.  Lines and triangles reach 4 pixels
     * beyond it, where both clip. */
    int32_t m = kind >= 8 || fill == VGT_SVGA3D_FILLMODE_POINT ? 0 : 4;
    if (kind < 6) {
        d->prim = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST;
        d->count = 1 + rn(r, 3);
        for (uint32_t t = 0; t < d->count; t++) {
            float z = depth_next(dep);
            int32_t x[3], y[3];
            for (;;) {
                for (int i = 0; i < 3; i++) {
                    x[i] = dx8(r, m);
                    y[i] = dy8(r, m);
                }
                int64_t area =
                    (int64_t)(x[1] - x[0]) * (y[2] - y[0]) - (int64_t)(x[2] - x[0]) * (y[1] - y[0]);
                /* at least ~4 pixels of area, and no edge on a centre */
                if ((area < 0 ? -area : area) < 8 * 64 ||
                    diff_edge_on_centre(x[0], y[0], x[1], y[1]) ||
                    diff_edge_on_centre(x[1], y[1], x[2], y[2]) ||
                    diff_edge_on_centre(x[2], y[2], x[0], y[0])) {
                    continue;
                }
                if (fill == VGT_SVGA3D_FILLMODE_LINE &&
                    (sharp_corner(x, y) || line_in_edge_band(x[0], y[0], x[1], y[1]) ||
                     line_in_edge_band(x[1], y[1], x[2], y[2]) ||
                     line_in_edge_band(x[2], y[2], x[0], y[0]))) {
                    continue;
                }
                break;
            }
            for (int i = 0; i < 3; i++) {
                d->v[3 * t + i] = make_vert(r, x[i], y[i], z);
            }
            affine_uv(r, &d->v[3 * t], 3, x, y);
            if (fill != VGT_SVGA3D_FILLMODE_FILL) {
                flat_uv(&d->v[3 * t], 3);
            }
        }
        d->nverts = 3 * d->count;
    } else if (kind < 8) {
        d->prim = VGT_SVGA3D_PRIMITIVE_LINELIST;
        d->count = 1 + rn(r, 4);
        for (uint32_t l = 0; l < d->count; l++) {
            float z = depth_next(dep);
            int32_t x0 = dx8(r, m), y0 = dy8(r, m), x1, y1;
            /* a third of the lines run along a row or a column: there
             * the two ways of interpolating along a line agree (flat_uv) */
            uint32_t axis = rn(r, 6);
            do {
                x1 = axis == 0 ? x0 : dx8(r, m);
                y1 = axis == 1 ? y0 : dy8(r, m);
                /* a line through a pixel centre or a point halfway between
                 * two is a tie of the line rule (which row or column an
                 * x- or y-major line lights there) */
            } while ((x1 == x0 && y1 == y0) || diff_edge_on_centre(x0, y0, x1, y1) ||
                     line_in_edge_band(x0, y0, x1, y1));
            d->v[2 * l] = make_vert(r, x0, y0, z);
            d->v[2 * l + 1] = make_vert(r, x1, y1, z);
            int32_t lx[2] = {x0, x1}, ly[2] = {y0, y1};
            affine_uv(r, &d->v[2 * l], 2, lx, ly);
            if (x1 != x0 && y1 != y0) {
                flat_uv(&d->v[2 * l], 2);
            }
        }
        d->nverts = 2 * d->count;
    } else {
        d->prim = VGT_SVGA3D_PRIMITIVE_POINTLIST;
        d->count = 1 + rn(r, 6);
        for (uint32_t p = 0; p < d->count; p++) {
            d->v[p] = make_vert(r, dx8(r, m), dy8(r, m), depth_next(dep));
        }
        d->nverts = d->count;
    }
}

static uint32_t pick(rng *r, const uint32_t *list, uint32_t n)
{
    return list[rn(r, n)];
}

/* The texture stage operations both backends implement: D3D9's list
 * without DSDT, PREMODULATE and BUMPENVMAPLUMINANCE (soft refuses them,
 * docs/soft.md). */
static const uint32_t color_ops[] = {
    VGT_SVGA3D_TC_SELECTARG1,
    VGT_SVGA3D_TC_SELECTARG2,
    VGT_SVGA3D_TC_MODULATE,
    VGT_SVGA3D_TC_ADD,
    VGT_SVGA3D_TC_ADDSIGNED,
    VGT_SVGA3D_TC_SUBTRACT,
    VGT_SVGA3D_TC_BLENDTEXTUREALPHA,
    VGT_SVGA3D_TC_BLENDDIFFUSEALPHA,
    VGT_SVGA3D_TC_BLENDCURRENTALPHA,
    VGT_SVGA3D_TC_BLENDFACTORALPHA,
    VGT_SVGA3D_TC_MODULATE2X,
    VGT_SVGA3D_TC_MODULATE4X,
    VGT_SVGA3D_TC_DOTPRODUCT3,
    VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM,
    VGT_SVGA3D_TC_ADDSIGNED2X,
    VGT_SVGA3D_TC_ADDSMOOTH,
    VGT_SVGA3D_TC_MODULATEALPHA_ADDCOLOR,
    VGT_SVGA3D_TC_MODULATECOLOR_ADDALPHA,
    VGT_SVGA3D_TC_MODULATEINVALPHA_ADDCOLOR,
    VGT_SVGA3D_TC_MODULATEINVCOLOR_ADDALPHA,
    VGT_SVGA3D_TC_MULTIPLYADD,
    VGT_SVGA3D_TC_LERP,
};
#define NCOLOR_OPS (uint32_t)(sizeof(color_ops) / sizeof(color_ops[0]))

static uint32_t gen_arg(rng *r)
{
    static const uint32_t src[] = {VGT_SVGA3D_TA_CONSTANT, VGT_SVGA3D_TA_PREVIOUS,
                                   VGT_SVGA3D_TA_DIFFUSE, VGT_SVGA3D_TA_TEXTURE,
                                   VGT_SVGA3D_TA_SPECULAR};
    static const uint32_t mod[] = {VGT_SVGA3D_TM_NONE, VGT_SVGA3D_TM_NONE, VGT_SVGA3D_TM_ALPHA,
                                   VGT_SVGA3D_TM_ONE_MINUS,
                                   VGT_SVGA3D_TM_ALPHA | VGT_SVGA3D_TM_ONE_MINUS};
    return pick(r, src, 5) | pick(r, mod, 5);
}

static void gen_stage(rng *r, vgt_backend_stage *g, bool *textured)
{
    g->color_op = pick(r, color_ops, NCOLOR_OPS);
    g->alpha_op = pick(r, color_ops, NCOLOR_OPS);
    g->color_arg0 = gen_arg(r);
    g->color_arg1 = gen_arg(r);
    g->color_arg2 = gen_arg(r);
    g->alpha_arg0 = gen_arg(r);
    g->alpha_arg1 = gen_arg(r);
    g->alpha_arg2 = gen_arg(r);
    g->texcoord_index = 0; /* the vertices carry one set */
    *textured = rp(r, 85);
    static const uint32_t filt[] = {VGT_SVGA3D_TEX_FILTER_NEAREST, VGT_SVGA3D_TEX_FILTER_LINEAR};
    static const uint32_t mip[] = {VGT_SVGA3D_TEX_FILTER_NONE, VGT_SVGA3D_TEX_FILTER_NEAREST,
                                   VGT_SVGA3D_TEX_FILTER_LINEAR};
    static const uint32_t addr[] = {VGT_SVGA3D_TEX_ADDRESS_WRAP, VGT_SVGA3D_TEX_ADDRESS_MIRROR,
                                    VGT_SVGA3D_TEX_ADDRESS_CLAMP, VGT_SVGA3D_TEX_ADDRESS_BORDER,
                                    VGT_SVGA3D_TEX_ADDRESS_MIRRORONCE};
    g->mag_filter = pick(r, filt, 2);
    g->min_filter = pick(r, filt, 2);
    g->mip_filter = pick(r, mip, 3);
    g->address_u = pick(r, addr, 5);
    g->address_v = pick(r, addr, 5);
    g->border_color = rcolor(r);
    /* Open finding (not fixed): MAXMIPLEVEL > 0.  gl sets GL's BASE_LEVEL,
     * and GL measures the level of detail on the base level (magnifying it
     * where lambda on level 0 is between 0 and the base), while soft
     * measures it on level 0 as Direct3D 9 does; they pick different
     * filters and levels (e.g. a NEAREST-min, LINEAR-mag triangle at
     * lambda 1 with MAXMIPLEVEL 2: gl blends, soft does not).  Which of
     * the two follows Direct3D 9 in every corner is not settled yet, so
     * the stages keep level 0. */
    g->max_mip_level = 0;
}

static const uint32_t cmp_funcs[] = {VGT_SVGA3D_CMP_NEVER,        VGT_SVGA3D_CMP_LESS,
                                     VGT_SVGA3D_CMP_EQUAL,        VGT_SVGA3D_CMP_LESSEQUAL,
                                     VGT_SVGA3D_CMP_GREATER,      VGT_SVGA3D_CMP_NOTEQUAL,
                                     VGT_SVGA3D_CMP_GREATEREQUAL, VGT_SVGA3D_CMP_ALWAYS};

static uint32_t gen_stencil_op(rng *r)
{
    return VGT_SVGA3D_STENCILOP_KEEP + rn(r, 8);
}

/* The state of one draw: D3D9's defaults (scene_init's, in `base`) with
 * random dimensions on top. */
static void gen_state(rng *r, diff_draw *d, const vgt_backend_draw_state *base, bool depth,
                      uint32_t fill)
{
    vgt_backend_draw_state *st = &d->st;
    *st = *base;
    static const uint32_t cull[] = {VGT_SVGA3D_FACE_NONE, VGT_SVGA3D_FACE_FRONT,
                                    VGT_SVGA3D_FACE_BACK};
    st->cull_face = rp(r, 60) ? VGT_SVGA3D_FACE_NONE : pick(r, cull, 3);
    st->front_winding = rp(r, 50) ? VGT_SVGA3D_FRONTWINDING_CW : VGT_SVGA3D_FRONTWINDING_CCW;
    st->fill_mode = fill;
    st->shade_mode = rp(r, 30) ? VGT_SVGA3D_SHADEMODE_FLAT : VGT_SVGA3D_SHADEMODE_SMOOTH;

    st->z_enable = depth && rp(r, 70);
    st->z_write = rp(r, 70);
    st->z_func = pick(r, cmp_funcs, 8);

    st->alpha_test = rp(r, 25);
    st->alpha_func = pick(r, cmp_funcs, 8);
    st->alpha_ref = (float)rn(r, 256) / 255.0f;

    st->blend_enable = rp(r, 50);
    st->src_blend = VGT_SVGA3D_BLENDOP_ZERO + rn(r, 13);
    st->dst_blend = VGT_SVGA3D_BLENDOP_ZERO + rn(r, 13);
    st->blend_eq = VGT_SVGA3D_BLENDEQ_ADD + rn(r, 5);
    st->separate_alpha_blend = rp(r, 40);
    if (st->separate_alpha_blend) {
        st->src_blend_alpha = VGT_SVGA3D_BLENDOP_ZERO + rn(r, 13);
        st->dst_blend_alpha = VGT_SVGA3D_BLENDOP_ZERO + rn(r, 13);
        st->blend_eq_alpha = VGT_SVGA3D_BLENDEQ_ADD + rn(r, 5);
    }
    st->blend_color = rcolor(r);
    st->color_write_mask[0] = rp(r, 80) ? 0xfu : rn(r, 16);

    st->stencil_enable = depth && rp(r, 30);
    /* Open finding (llvmpipe, not fixed): under line or point fill, two-sided
     * stencil on gl takes GL_FRONT's ops for every triangle (llvmpipe's
     * draw module turns the unfilled triangle into lines or points first,
     * which are front-facing), where GL and Direct3D 9 keep the triangle's
     * facing (soft does); so two-sided stencil comes with solid fill only. */
    st->stencil_two_sided = fill == VGT_SVGA3D_FILLMODE_FILL && rp(r, 30);
    st->stencil_ref = rn(r, 256);
    st->stencil_mask = rp(r, 60) ? 0xffu : rn(r, 256);
    st->stencil_write_mask = rp(r, 60) ? 0xffu : rn(r, 256);
    st->stencil_func = pick(r, cmp_funcs, 8);
    st->stencil_fail = gen_stencil_op(r);
    st->stencil_zfail = gen_stencil_op(r);
    st->stencil_pass = gen_stencil_op(r);
    st->ccw_stencil_func = pick(r, cmp_funcs, 8);
    st->ccw_stencil_fail = gen_stencil_op(r);
    st->ccw_stencil_zfail = gen_stencil_op(r);
    st->ccw_stencil_pass = gen_stencil_op(r);

    if (d->prim == VGT_SVGA3D_PRIMITIVE_LINELIST || fill == VGT_SVGA3D_FILLMODE_LINE) {
        /* A line's end pixels differ between GL and Direct3D 9 (docs/gl.md
         * allows lines 1% of the pixels for it), and two edges of a
         * wireframe meet or overlap there: a stencil op that is not
         * idempotent (INCR, DECR, INVERT) counts the hits, and the test of
         * every later pixel of the draw follows the count.  Lines keep
         * KEEP, ZERO and REPLACE. */
        uint32_t *ops[6] = {&st->stencil_fail,     &st->stencil_zfail,     &st->stencil_pass,
                            &st->ccw_stencil_fail, &st->ccw_stencil_zfail, &st->ccw_stencil_pass};
        for (int i = 0; i < 6; i++) {
            if (*ops[i] > VGT_SVGA3D_STENCILOP_REPLACE) {
                *ops[i] = VGT_SVGA3D_STENCILOP_REPLACE;
            }
        }
    }
    st->fog_enable = rp(r, 30);
    st->fog_type = rp(r, 50) ? VGT_SVGA3D_FOGTYPE_VERTEX : VGT_SVGA3D_FOGTYPE_PIXEL;
    st->fog_function = VGT_SVGA3D_FOGFUNC_EXP + rn(r, 4);
    st->fog_base = rp(r, 70) ? VGT_SVGA3D_FOGBASE_DEPTHBASED : VGT_SVGA3D_FOGBASE_RANGEBASED;
    st->fog_color = rcolor(r);
    st->fog_start = rf(r, -0.5f, 0.5f);
    st->fog_end = st->fog_start + rf(r, 0.2f, 1.5f);
    st->fog_density = rf(r, 0.1f, 3.0f);
    st->specular_enable = rp(r, 30);

    st->texture_factor = rcolor(r);
    gen_stage(r, &st->stages[0], &d->textured[0]);
    if (rp(r, 50)) {
        gen_stage(r, &st->stages[1], &d->textured[1]);
    } else {
        d->textured[1] = false; /* stage 1 stays DISABLE */
    }

    if (d->prim == VGT_SVGA3D_PRIMITIVE_POINTLIST || st->fill_mode == VGT_SVGA3D_FILLMODE_POINT) {
        st->point_size = (float)(1 + rn(r, 4));
        st->point_sprite = rp(r, 30);
        if (st->point_sprite) {
            /* A sprite's texture coordinates run 0..1 over its size from an
             * edge on the 1/8 grid, so with a nearest filter texel edges
             * fall on pixel centres (a tie): sprites sample linear. */
            for (int s = 0; s < 2; s++) {
                st->stages[s].mag_filter = st->stages[s].min_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
                /* and without mips: a sprite's level of detail is
                 * log2(8 / size), between two levels, where llvmpipe's
                 * approximate LOD shows (see affine_uv) */
                st->stages[s].mip_filter = VGT_SVGA3D_TEX_FILTER_NONE;
            }
        }
    }
}

static void gen_case(uint64_t seed, diff_case *c, const vgt_backend_draw_state *base)
{
    rng r = {seed * 0x2545f4914f6cdd1dull + 1};
    memset(c, 0, sizeof(*c));
    c->seed = seed;
    c->depth = rp(&r, 60);
    c->clear_color = rcolor(&r);
    c->clear_depth = clear_depths[rn(&r, 3)];
    c->clear_stencil = rn(&r, 256);
    c->ndraws = 1 + rn(&r, DIFF_DRAWS);
    depth_order dep = {.next = 0};
    for (uint32_t i = 0; i < DIFF_DEPTHS; i++) {
        dep.perm[i] = i;
    }
    for (uint32_t i = DIFF_DEPTHS - 1; i > 0; i--) {
        uint32_t k = rn(&r, i + 1), t = dep.perm[i];
        dep.perm[i] = dep.perm[k];
        dep.perm[k] = t;
    }
    for (uint32_t i = 0; i < c->ndraws; i++) {
        uint32_t f = rn(&r, 10);
        uint32_t fill = f < 7   ? VGT_SVGA3D_FILLMODE_FILL
                        : f < 9 ? VGT_SVGA3D_FILLMODE_LINE
                                : VGT_SVGA3D_FILLMODE_POINT;
        gen_geometry(&r, &c->d[i], fill, &dep);
        gen_state(&r, &c->d[i], base, c->depth, fill);
    }
}

/* Whether case c rasterizes lines or points (a LINELIST or POINTLIST, or
 * triangles with line or point fill): docs/gl.md's tolerance for them is
 * 1% of the pixels beyond (GL and Direct3D 9 differ in which end pixels a
 * line covers), the triangles' 0.1%. */
static double case_fraction(const diff_case *c)
{
    for (uint32_t i = 0; i < c->ndraws; i++) {
        const diff_draw *d = &c->d[i];
        if (d->prim != VGT_SVGA3D_PRIMITIVE_TRIANGLELIST ||
            d->st.fill_mode != VGT_SVGA3D_FILLMODE_FILL) {
            return DIFF_LINE_FRACTION;
        }
    }
    return GL_TOL_FRACTION;
}

/* ---- printing a case (for a reproducer) -------------------------------- */

static void print_stage(uint32_t i, const vgt_backend_stage *g, bool textured)
{
    print_message("    stage %u: color op %u args %#x %#x %#x, alpha op %u args %#x %#x %#x, "
                  "texture %s, filters mag %u min %u mip %u, address %u %u, border %08x, "
                  "max mip %u\n",
                  i, g->color_op, g->color_arg0, g->color_arg1, g->color_arg2, g->alpha_op,
                  g->alpha_arg0, g->alpha_arg1, g->alpha_arg2, textured ? "yes" : "no",
                  g->mag_filter, g->min_filter, g->mip_filter, g->address_u, g->address_v,
                  g->border_color, g->max_mip_level);
}

static void print_case(const diff_case *c)
{
    print_message("case seed %" PRIu64 " (replay: VGT_DIFF_SEED=%" PRIu64
                  " VGT_DIFF_CASES=1): depth %s, clear color %08x depth %g stencil %u, %u "
                  "draws\n",
                  c->seed, c->seed, c->depth ? "D24S8" : "none", c->clear_color,
                  (double)c->clear_depth, c->clear_stencil, c->ndraws);
    for (uint32_t i = 0; i < c->ndraws; i++) {
        const diff_draw *d = &c->d[i];
        const vgt_backend_draw_state *st = &d->st;
        print_message("  draw %u: prim %u x %u\n", i, d->prim, d->count);
        for (uint32_t k = 0; k < d->nverts; k++) {
            const tvert *v = &d->v[k];
            print_message("    v%u: x %.6f y %.6f z %.2f color %08x uv %.6f %.6f\n", k,
                          (double)v->x, (double)v->y, (double)v->z, v->color, (double)v->u,
                          (double)v->v);
        }
        print_message("    cull %u winding %u fill %u shade %u; z enable %d func %u write %d; "
                      "alpha test %d func %u ref %.4f\n",
                      st->cull_face, st->front_winding, st->fill_mode, st->shade_mode, st->z_enable,
                      st->z_func, st->z_write, st->alpha_test, st->alpha_func,
                      (double)st->alpha_ref);
        print_message("    blend %d: %u %u eq %u, separate alpha %d: %u %u eq %u, blend color "
                      "%08x, write mask %#x\n",
                      st->blend_enable, st->src_blend, st->dst_blend, st->blend_eq,
                      st->separate_alpha_blend, st->src_blend_alpha, st->dst_blend_alpha,
                      st->blend_eq_alpha, st->blend_color, st->color_write_mask[0]);
        print_message("    stencil %d two-sided %d ref %u mask %#x write %#x: func %u ops %u %u "
                      "%u, ccw func %u ops %u %u %u\n",
                      st->stencil_enable, st->stencil_two_sided, st->stencil_ref, st->stencil_mask,
                      st->stencil_write_mask, st->stencil_func, st->stencil_fail, st->stencil_zfail,
                      st->stencil_pass, st->ccw_stencil_func, st->ccw_stencil_fail,
                      st->ccw_stencil_zfail, st->ccw_stencil_pass);
        print_message("    fog %d type %u func %u base %u color %08x start %.4f end %.4f "
                      "density %.4f; specular %d; texture factor %08x; point size %g sprite "
                      "%d\n",
                      st->fog_enable, st->fog_type, st->fog_function, st->fog_base, st->fog_color,
                      (double)st->fog_start, (double)st->fog_end, (double)st->fog_density,
                      st->specular_enable, st->texture_factor, (double)st->point_size,
                      st->point_sprite);
        print_stage(0, &st->stages[0], d->textured[0]);
        print_stage(1, &st->stages[1], d->textured[1]);
    }
}

/* ---- drawing a case on one backend ------------------------------------- */

/* Texel (x, y) of mip m: scene_texel's colours with an alpha that varies
 * too (alpha test, blending and the ALPHA modifier read it), and a
 * different palette rotation per mip so a wrong level shows. */
static uint32_t diff_texel(uint32_t m, uint32_t x, uint32_t y)
{
    uint32_t c = scene_texel(x + 3 * m, y + m);
    uint32_t a = (x * 71 + y * 29 + m * 53) & 0xffu;
    return (c & 0xffffffu) | a << 24;
}

typedef struct diff_scene {
    scene s;
    vgt_backend_surface *tex;
    vgt_backend_draw_state base; /* scene_init's defaults */
} diff_scene;

static void diff_scene_init(diff_scene *ds, const char *kind)
{
    scene_init(&ds->s, kind, DIFF_W, DIFF_H, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
    ds->tex = scene_define(&ds->s, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, DIFF_TEX,
                           DIFF_TEX, 1, 1, DIFF_MIPS);
    uint32_t px[DIFF_TEX * DIFF_TEX];
    for (uint32_t m = 0; m < DIFF_MIPS; m++) {
        uint32_t n = DIFF_TEX >> m;
        for (uint32_t y = 0; y < n; y++) {
            for (uint32_t x = 0; x < n; x++) {
                vgt_store_le32(&px[y * n + x], diff_texel(m, x, y));
            }
        }
        scene_upload(&ds->s, ds->tex, 0, m, px);
    }
    assert_int_equal(ds->s.nsurf, DIFF_FIXED);
    ds->base = ds->s.st;
}

/* Destroys the vertex buffers of the last case (the surfaces after the
 * fixed ones). */
static void diff_scene_reset(diff_scene *ds)
{
    scene *s = &ds->s;
    for (uint32_t i = DIFF_FIXED; i < s->nsurf; i++) {
        s->be.ops->surface_destroy(s->be.self, s->surf[i].host);
    }
    s->nsurf = DIFF_FIXED;
}

/* What drawing a case gave on one backend: the first refusal (status and
 * message) or the picture. */
typedef struct diff_result {
    vgt_status rc;
    char message[sizeof(((vgt_error *)0)->message)];
    uint32_t draw; /* the draw that was refused */
} diff_result;

static void diff_run(diff_scene *ds, const diff_case *c, vgt_image *out, diff_result *res)
{
    scene *s = &ds->s;
    diff_scene_reset(ds);
    memset(res, 0, sizeof(*res));
    s->st = ds->base;
    if (!c->depth) {
        s->st.depth_target = s->st.stencil_target = (vgt_backend_view){0};
        s->st.z_enable = false;
    }
    scene_clear(s,
                VGT_SVGA3D_CLEAR_COLOR |
                    (c->depth ? VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL : 0),
                c->clear_color, c->clear_depth, c->clear_stencil);
    for (uint32_t i = 0; i < c->ndraws && res->rc == VGT_OK; i++) {
        const diff_draw *d = &c->d[i];
        s->st = d->st;
        s->st.color_targets[0] = ds->base.color_targets[0];
        s->st.depth_target = c->depth ? ds->base.depth_target : (vgt_backend_view){0};
        s->st.stencil_target = s->st.depth_target;
        s->st.render_states = s->render_states;
        s->st.texture_states = s->texture_states;
        scene_tverts(s, d->v, d->nverts);
        for (int g = 0; g < 2; g++) {
            vgt_backend_stage *st = &s->st.stages[g];
            if (d->textured[g]) {
                st->texture =
                    (vgt_backend_view){ds->tex, 0, 0, VGT_SVGA3D_A8R8G8B8, {DIFF_TEX, DIFF_TEX, 1}};
                st->texture_faces = 1;
                st->texture_mips = DIFF_MIPS;
            } else {
                st->texture = (vgt_backend_view){0};
                st->texture_faces = st->texture_mips = 0;
            }
        }
        vgt_error err = {0};
        res->rc = scene_draw_rc(s, d->prim, d->count, 0, 0, 0, &err);
        if (res->rc != VGT_OK) {
            snprintf(res->message, sizeof(res->message), "%s", err.message);
            res->draw = i;
        }
    }
    scene_read(s, out);
}

/* Whether gl and soft disagree on case c: a refusal on one only, or more
 * pixels than the tolerance allows over it (*df). */
static bool diff_mismatch(diff_scene *g, diff_scene *r, const diff_case *c, vgt_image_diff *df,
                          bool *refused_both)
{
    vgt_image a, b;
    diff_result ra, rb;
    diff_run(g, c, &a, &ra);
    diff_run(r, c, &b, &rb);
    bool bad;
    memset(df, 0, sizeof(*df));
    *refused_both = false;
    if (ra.rc != VGT_OK || rb.rc != VGT_OK) {
        *refused_both = ra.rc == rb.rc && ra.draw == rb.draw && strcmp(ra.message, rb.message) == 0;
        bad = !*refused_both;
    } else {
        vgt_error err = {0};
        assert_int_equal(vgt_image_compare(&a, &b, GL_TOL, false, df, &err), VGT_OK);
        bad = (double)df->pixels_over / (double)df->pixels_total > case_fraction(c);
    }
    if (bad && getenv("VGT_DIFF_WRITE")) {
        /* by hand: the reduced case's pictures (reduce runs it last) */
        char path[1200];
        vgt_error err = {0};
        snprintf(path, sizeof(path), "%s/gl-out/reduced-%" PRIu64 "-gl.png", VGT_BINARY_DIR,
                 c->seed);
        vgt_image_write_png(&a, path, false, &err);
        snprintf(path, sizeof(path), "%s/gl-out/reduced-%" PRIu64 "-soft.png", VGT_BINARY_DIR,
                 c->seed);
        vgt_image_write_png(&b, path, false, &err);
    }
    vgt_image_free(&a);
    vgt_image_free(&b);
    return bad;
}

/* One way to make a case simpler: sets a dimension of draw d back to
 * D3D9's default (from base); false when it already is. */
static bool simplify(diff_case *c, uint32_t d, uint32_t what, const vgt_backend_draw_state *base)
{
    diff_draw *dr = &c->d[d];
    vgt_backend_draw_state *st = &dr->st;
    diff_draw before = *dr;
    switch (what) {
    case 0: /* drop the draw */
        if (c->ndraws == 1) {
            return false;
        }
        memmove(&c->d[d], &c->d[d + 1], (c->ndraws - d - 1) * sizeof(c->d[0]));
        c->ndraws--;
        return true;
    case 1:
        st->blend_enable = false;
        break;
    case 2:
        st->fog_enable = false;
        break;
    case 3:
        st->alpha_test = false;
        break;
    case 4:
        st->stencil_enable = false;
        break;
    case 5:
        st->z_enable = false;
        break;
    case 6:
        st->stages[1] = base->stages[1];
        dr->textured[1] = false;
        break;
    case 7:
        st->stages[0].color_op = VGT_SVGA3D_TC_SELECTARG1;
        st->stages[0].color_arg1 = VGT_SVGA3D_TA_TEXTURE;
        break;
    case 8:
        st->stages[0].alpha_op = VGT_SVGA3D_TC_SELECTARG1;
        st->stages[0].alpha_arg1 = VGT_SVGA3D_TA_TEXTURE;
        break;
    case 9:
        st->fill_mode = VGT_SVGA3D_FILLMODE_FILL;
        break;
    case 10:
        st->shade_mode = VGT_SVGA3D_SHADEMODE_SMOOTH;
        break;
    case 11:
        st->cull_face = VGT_SVGA3D_FACE_NONE;
        break;
    case 12:
        st->color_write_mask[0] = 0xf;
        break;
    case 13:
        st->stages[0].mip_filter = st->stages[1].mip_filter = VGT_SVGA3D_TEX_FILTER_NONE;
        break;
    case 14:
        if (st->point_sprite) {
            return false; /* sprites sample linear (gen_state) */
        }
        st->stages[0].min_filter = st->stages[1].min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
        break;
    case 15:
        if (st->point_sprite) {
            return false;
        }
        st->stages[0].mag_filter = st->stages[1].mag_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
        break;
    case 16:
        st->stages[0].address_u = st->stages[0].address_v = VGT_SVGA3D_TEX_ADDRESS_WRAP;
        st->stages[1].address_u = st->stages[1].address_v = VGT_SVGA3D_TEX_ADDRESS_WRAP;
        break;
    case 17:
        st->specular_enable = false;
        break;
    case 18:
        st->separate_alpha_blend = false;
        break;
    case 19:
        st->point_sprite = false;
        break;
    case 20:
        st->point_size = 1.0f;
        break;
    case 21:
        st->stages[0].max_mip_level = st->stages[1].max_mip_level = 0;
        break;
    case 22:
        dr->textured[0] = false;
        break;
    case 23:
        st->z_write = true;
        break;
    case 24: /* one primitive fewer */
        if (dr->count == 1) {
            return false;
        }
        dr->count--;
        dr->nverts = dr->prim == VGT_SVGA3D_PRIMITIVE_TRIANGLELIST ? 3 * dr->count
                     : dr->prim == VGT_SVGA3D_PRIMITIVE_LINELIST   ? 2 * dr->count
                                                                   : dr->count;
        break;
    default:
        return false;
    }
    return memcmp(&before, dr, sizeof(before)) != 0;
}
#define DIFF_SIMPLIFICATIONS 25u

/* Reduces a failing case to the dimensions that matter (by hand:
 * VGT_DIFF_SURVEY=1 VGT_DIFF_REDUCE=1): every simplification that keeps
 * the mismatch is kept, until none does. */
static void reduce(diff_scene *g, diff_scene *r, diff_case *c)
{
    bool changed = true;
    vgt_image_diff df;
    bool both;
    while (changed) {
        changed = false;
        for (uint32_t d = 0; d < c->ndraws; d++) {
            for (uint32_t w = 0; w < DIFF_SIMPLIFICATIONS; w++) {
                diff_case t = *c;
                if (simplify(&t, d, w, &g->base) && diff_mismatch(g, r, &t, &df, &both)) {
                    *c = t;
                    changed = true;
                }
                if (d >= c->ndraws) {
                    break;
                }
            }
        }
    }
    diff_mismatch(g, r, c, &df, &both);
    print_message("REDUCED seed %" PRIu64 ": delta %u, %" PRIu64 " pixels over\n", c->seed,
                  df.max_channel_delta, df.pixels_over);
    print_case(c);
    /* one line naming what is left, to sort many reductions into classes */
    for (uint32_t d = 0; d < c->ndraws; d++) {
        const diff_draw *dr = &c->d[d];
        const vgt_backend_draw_state *st = &dr->st;
        const vgt_backend_stage *g0 = &st->stages[0];
        print_message("SIG draw%u prim%u fill%u%s%s%s%s%s%s%s%s%s%s tex%d mag%u min%u mip%u "
                      "addr%u,%u st1:%d\n",
                      d, dr->prim, st->fill_mode, st->blend_enable ? " blend" : "",
                      st->fog_enable ? " fog" : "", st->alpha_test ? " atest" : "",
                      st->stencil_enable ? " stencil" : "", st->z_enable ? " z" : "",
                      st->shade_mode == VGT_SVGA3D_SHADEMODE_FLAT ? " flat" : "",
                      st->cull_face != VGT_SVGA3D_FACE_NONE ? " cull" : "",
                      st->point_sprite ? " sprite" : "", st->point_size != 1.0f ? " psize" : "",
                      st->specular_enable ? " spec" : "", dr->textured[0], g0->mag_filter,
                      g0->min_filter, g0->mip_filter, g0->address_u, g0->address_v,
                      st->stages[1].color_op != VGT_SVGA3D_TC_DISABLE);
    }
}

static void test_differential(void **state)
{
    (void)state;
    uint64_t seed0 = env_u64("VGT_DIFF_SEED", 1);
    uint64_t cases = env_u64("VGT_DIFF_CASES", DIFF_CI_CASES);
    /* VGT_DIFF_SURVEY=1 (by hand): report every finding on one line and go
     * on, failing at the end, to sort many seeds' findings into classes */
    bool survey = env_u64("VGT_DIFF_SURVEY", 0) != 0;
    uint64_t findings = 0;
    bool reduce_findings = env_u64("VGT_DIFF_REDUCE", 0) != 0;
    diff_scene *g = calloc(1, sizeof(*g)), *r = calloc(1, sizeof(*r));
    diff_case *c = calloc(1, sizeof(*c));
    assert_non_null(g);
    assert_non_null(r);
    assert_non_null(c);
    diff_scene_init(g, "gl");
    diff_scene_init(r, "soft");
    uint64_t skipped = 0, compared = 0, worst_over = 0;
    uint32_t worst_delta = 0;
    for (uint64_t i = 0; i < cases; i++) {
        gen_case(seed0 + i, c, &g->base);
        vgt_image a, b;
        diff_result ra, rb;
        diff_run(g, c, &a, &ra);
        diff_run(r, c, &b, &rb);
        if (ra.rc != VGT_OK || rb.rc != VGT_OK) {
            if (ra.rc == rb.rc && ra.draw == rb.draw && strcmp(ra.message, rb.message) == 0) {
                skipped++; /* refused by design on both: the same status and message */
            } else if (survey) {
                findings++;
                print_message("FINDING seed %" PRIu64 ": refusal gl %d \"%s\" soft %d \"%s\"\n",
                              c->seed, ra.rc, ra.message, rb.rc, rb.message);
            } else {
                print_case(c);
                fail_msg("case %" PRIu64 ": gl and soft disagree on refusing it: gl %d (draw "
                         "%u) \"%s\", soft %d (draw %u) \"%s\"",
                         c->seed, ra.rc, ra.draw, ra.message, rb.rc, rb.draw, rb.message);
            }
        } else {
            vgt_image_diff df;
            vgt_error err = {0};
            assert_int_equal(vgt_image_compare(&a, &b, GL_TOL, false, &df, &err), VGT_OK);
            double frac = (double)df.pixels_over / (double)df.pixels_total;
            if (frac > case_fraction(c) && survey) {
                findings++;
                print_message("FINDING seed %" PRIu64 ": delta %u, %" PRIu64 " pixels over\n",
                              c->seed, df.max_channel_delta, df.pixels_over);
                if (reduce_findings) {
                    reduce(g, r, c);
                }
            } else if (frac > case_fraction(c)) {
                print_case(c);
                char name[64];
                snprintf(name, sizeof(name), "diff-%" PRIu64, c->seed);
                /* writes both images and fails with the figures */
                compare_images(name, &a, &b, GL_TOL, case_fraction(c));
            }
            compared++;
            worst_delta = df.max_channel_delta > worst_delta ? df.max_channel_delta : worst_delta;
            worst_over = df.pixels_over > worst_over ? df.pixels_over : worst_over;
        }
        vgt_image_free(&a);
        vgt_image_free(&b);
    }
    print_message("differential: seeds %" PRIu64 "..%" PRIu64 ": %" PRIu64 " compared, %" PRIu64
                  " refused by both (skipped); worst max channel delta %u, most pixels over "
                  "tolerance %" PRIu64 "\n",
                  seed0, seed0 + cases - 1, compared, skipped, worst_delta, worst_over);
    assert_int_equal(findings, 0);
    /* a generator that only made refused cases would test nothing */
    assert_true(compared >= cases / 2);
    diff_scene_reset(g);
    diff_scene_reset(r);
    scene_fini(&g->s);
    scene_fini(&r->s);
    free(g);
    free(r);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_differential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
