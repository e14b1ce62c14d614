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
 * That is the raster family (test_differential).  The vertex family
 * (test_differential_vertex, its own seed stream) draws the same on top
 * of random WORLD/VIEW/PROJECTION matrices, lighting, vertex fog, texture
 * coordinate generation and texture matrices, vertex blending and
 * tweening, point scaling and pretransformed (POSITIONT) vertices, on one
 * of eight target formats (gen_case_vertex).
 *
 * A case both backends refuse with the same status and message is skipped
 * and counted; a refusal on one backend only is a finding and fails.  On a
 * mismatch the test prints the case's seed and its whole state and writes
 * both images to build/gl-out/diff-SEED-{gl,soft}.png.
 *
 * VGT_DIFF_SEED (default 1) is the first case's seed, VGT_DIFF_CASES
 * (default DIFF_CI_CASES, DIFF_CI_VERTEX_CASES) how many cases run; case i
 * has seed SEED + i, so VGT_DIFF_SEED=S VGT_DIFF_CASES=1 replays case S
 * alone, and VGT_DIFF_FAMILY=raster or vertex runs one family.  By hand,
 * VGT_DIFF_SURVEY=1 reports every finding on one line and goes on (failing
 * at the end), VGT_DIFF_REDUCE=1 reduces each to the dimensions that
 * matter and VGT_DIFF_WRITE=1 writes the reduced pictures to gl-out (and
 * with 8 cases or fewer every case's, case-SEED-{gl,soft}.png);
 * VGT_DIFF_PRINT=1 prints every case. */
#include "gl_test_util.h"
#include "vgt_test_random.h"

#include <inttypes.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The cases CI runs (seeds 1..500): 1.5-15 s in Release as the machine is loaded, a few times that
 * under ASan. */
#define DIFF_CI_CASES 500u
/* The vertex family's (seeds 1..300 of its own stream): its draws compile
 * more distinct GL programs (lights, texgen, fog modes, blending, point
 * scaling, POSITIONT): ~8 s in Release on a loaded machine with Mesa's
 * shader cache warm, ~150 s cold (docs/gl.md). */
#define DIFF_CI_VERTEX_CASES 300u

#define DIFF_W     48u
#define DIFF_H     48u
#define DIFF_TEX   8u /* texture size; 4 mips: 8, 4, 2, 1 */
#define DIFF_MIPS  4u
#define DIFF_DRAWS 3u
#define DIFF_VERTS 12u
/* docs/gl.md "Tests and tolerance": lines, points and wireframe */
#define DIFF_LINE_FRACTION 0.01
/* The render target formats of the vertex family (both backends render
 * to each: soft_format.c's renderable ones, gl_format.c's), the first
 * scene_init's own target.  Soft renders LUMINANCE8, LUMINANCE8_ALPHA8
 * and ALPHA8 too; they are left out (not tried on gl). */
static const uint32_t diff_rt_formats[] = {
    VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_X8R8G8B8, VGT_SVGA3D_R5G6B5,     VGT_SVGA3D_X1R5G5B5,
    VGT_SVGA3D_A1R5G5B5, VGT_SVGA3D_A4R4G4B4, VGT_SVGA3D_ARGB_S10E5, VGT_SVGA3D_ARGB_S23E8,
};
#define DIFF_RTS (uint32_t)(sizeof(diff_rt_formats) / sizeof(diff_rt_formats[0]))
/* surfaces that live as long as the scene: rt, ds, texture, the other rts */
#define DIFF_FIXED (3u + DIFF_RTS - 1u)

static uint32_t rcolor(rng *r)
{
    return (uint32_t)rnext(r);
}

/* ---- one case ----------------------------------------------------------- */

/* A vertex of the vertex family: object-space position, normal, diffuse
 * and specular colours and up to four texture coordinate components. */
typedef struct fvert {
    float p[3], n[3];
    uint32_t c0, c1;
    float t[4];
    float bw[4];        /* BLENDWEIGHT (the first bw_comps components) */
    uint8_t bi[4];      /* BLENDINDICES: byte i is index i, as UBYTE4 or D3DCOLOR */
    float p1[3], n1[3]; /* POSITION 1 and NORMAL 1 (tweening) */
    float psize;        /* PSIZE */
    float pt[4];        /* POSITIONT: D3D screen x, y, z and rhw */
} fvert;

typedef struct diff_draw {
    uint32_t prim, count, nverts;
    tvert v[DIFF_VERTS];
    /* the vertex family: the vertices through the matrices, whether they
     * carry a specular colour, their texture coordinate's components and
     * whether the projection is a perspective one */
    fvert fv[DIFF_VERTS];
    bool has_spec, persp;
    uint32_t tc_components;
    /* the vertex family's declaration beyond position, normal, colours
     * and texture coordinates: BLENDWEIGHT's FLOATn (0: no element),
     * BLENDINDICES (its type when has_bi), PSIZE, POSITIONT in place of
     * POSITION (pre) */
    uint32_t bw_comps, bi_type;
    bool has_bi, has_psize, pre;
    vgt_backend_draw_state st; /* targets, elements and texture views filled per scene */
    bool textured[2];          /* stage s samples the texture */
} diff_draw;

typedef struct diff_case {
    uint64_t seed;
    /* 0: the raster family (screen-space vertices, identity matrices, no
     * lighting, A8R8G8B8); 1: the vertex family (gen_case_vertex) */
    uint32_t family;
    uint32_t rt; /* index into diff_rt_formats */
    bool depth;  /* a D24S8 target is bound */
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
    /* Vertices reach 4 pixels beyond the target, where both clip: lines
     * and triangles by their edges, points by their squares (Direct3D 9:
     * "If the point, taking into account the point size, is completely
     * outside the viewport in x and y, then the point is not rendered";
     * gl's guard band, docs/gl.md "Points"; until it, GL dropped a point
     * whose centre was outside and points kept their centres inside). */
    int32_t m = 4;
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

/* The texture stage operations both backends implement, D3D9's list
 * without DSDT and PREMODULATE (both refuse them), and without
 * BUMPENVMAPLUMINANCE, which needs a bump texture on its stage and a 2D
 * next stage: test_soft_bump and test_gl_bump draw it. */
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
        /* up to 8: a square reaching in from a centre beyond the edge
         * covers enough pixels to pass the 1% of points when it is lost
         * (with sizes 1-4, 3 of 3000 seeds showed gl's clip by the centre,
         * with 1-8, 91) */
        st->point_size = (float)(1 + rn(r, 8));
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

/* The depth bands in a random order (Fisher-Yates; both families draw it
 * from their stream right after the case's clear values). */
static void depth_order_shuffle(rng *r, depth_order *dep)
{
    dep->next = 0;
    for (uint32_t i = 0; i < DIFF_DEPTHS; i++) {
        dep->perm[i] = i;
    }
    for (uint32_t i = DIFF_DEPTHS - 1; i > 0; i--) {
        uint32_t k = rn(r, i + 1), t = dep->perm[i];
        dep->perm[i] = dep->perm[k];
        dep->perm[k] = t;
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
    depth_order dep;
    depth_order_shuffle(&r, &dep);
    for (uint32_t i = 0; i < c->ndraws; i++) {
        uint32_t f = rn(&r, 10);
        uint32_t fill = f < 7   ? VGT_SVGA3D_FILLMODE_FILL
                        : f < 9 ? VGT_SVGA3D_FILLMODE_LINE
                                : VGT_SVGA3D_FILLMODE_POINT;
        gen_geometry(&r, &c->d[i], fill, &dep);
        gen_state(&r, &c->d[i], base, c->depth, fill);
    }
}

/* ---- the vertex family: transforms, lighting, vertex fog, texgen -------- */

/* Row-vector 4x4 matrices in double (Direct3D's convention: p' = p M). */
typedef struct dmat {
    double m[4][4];
} dmat;

static dmat dmat_mul(const dmat *a, const dmat *b)
{
    dmat o;
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            o.m[i][j] = a->m[i][0] * b->m[0][j] + a->m[i][1] * b->m[1][j] +
                        a->m[i][2] * b->m[2][j] + a->m[i][3] * b->m[3][j];
        }
    }
    return o;
}

static void dmat_xform(const dmat *a, const double v[4], double out[4])
{
    for (int j = 0; j < 4; j++) {
        out[j] = v[0] * a->m[0][j] + v[1] * a->m[1][j] + v[2] * a->m[2][j] + v[3] * a->m[3][j];
    }
}

/* Gauss-Jordan with partial pivoting; the generator's matrices are well
 * conditioned (scales 0.5..2), so a pivot is never near zero. */
static dmat dmat_inverse(const dmat *a)
{
    double t[4][8];
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            t[i][j] = a->m[i][j];
            t[i][4 + j] = i == j;
        }
    }
    for (int c = 0; c < 4; c++) {
        int p = c;
        for (int i = c + 1; i < 4; i++) {
            if (fabs(t[i][c]) > fabs(t[p][c])) {
                p = i;
            }
        }
        for (int j = 0; j < 8; j++) {
            double x = t[c][j];
            t[c][j] = t[p][j];
            t[p][j] = x;
        }
        double inv = 1.0 / t[c][c];
        for (int j = 0; j < 8; j++) {
            t[c][j] *= inv;
        }
        for (int i = 0; i < 4; i++) {
            if (i != c) {
                double f = t[i][c];
                for (int j = 0; j < 8; j++) {
                    t[i][j] -= f * t[c][j];
                }
            }
        }
    }
    dmat o;
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            o.m[i][j] = t[i][4 + j];
        }
    }
    return o;
}

static void identity_matrix(vgt_backend_matrix *m)
{
    memset(m, 0, sizeof(*m));
    for (int i = 0; i < 4; i++) {
        m->m[i][i] = 1.0f;
    }
}

static dmat dmat_identity(void)
{
    dmat o = {{{0}}};
    for (int i = 0; i < 4; i++) {
        o.m[i][i] = 1.0;
    }
    return o;
}

/* A random rotation (three axis rotations, each by an angle in [amin,
 * amax]) with a translation of up to `move`, and per-axis scales in
 * [smin, smax] before them. */
static dmat rand_affine(rng *r, float smin, float smax, float amin, float amax, float move)
{
    dmat s = dmat_identity();
    for (int i = 0; i < 3; i++) {
        s.m[i][i] = rf(r, smin, smax);
    }
    for (int axis = 0; axis < 3; axis++) {
        double a = rf(r, amin, amax), c = cos(a), sn = sin(a);
        dmat rot = dmat_identity();
        int i = (axis + 1) % 3, j = (axis + 2) % 3;
        rot.m[i][i] = c;
        rot.m[i][j] = sn;
        rot.m[j][i] = -sn;
        rot.m[j][j] = c;
        s = dmat_mul(&s, &rot);
    }
    for (int i = 0; i < 3; i++) {
        s.m[3][i] = rf(r, -move, move);
    }
    return s;
}

static void to_matrix(const dmat *a, vgt_backend_matrix *m)
{
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            m->m[i][j] = (float)a->m[i][j];
        }
    }
}

static void from_matrix(const vgt_backend_matrix *m, dmat *a)
{
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            a->m[i][j] = m->m[i][j];
        }
    }
}

static vgt_backend_color rcolorf(rng *r, float hi)
{
    return (vgt_backend_color){rf(r, 0.0f, hi), rf(r, 0.0f, hi), rf(r, 0.0f, hi),
                               rf(r, 0.0f, 1.0f)};
}

static void rand_dir(rng *r, double d[3])
{
    double l;
    do {
        for (int i = 0; i < 3; i++) {
            d[i] = rf(r, -1.0f, 1.0f);
        }
        l = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    } while (l < 0.2 || l > 1.0);
    for (int i = 0; i < 3; i++) {
        d[i] /= l;
    }
}

/* ---- vertex blending, tweening, pretransformed vertices ----------------- */

/* WORLD (k = 0) or WORLD1..3 */
static const vgt_backend_matrix *world_k(const vgt_backend_draw_state *st, uint32_t k)
{
    return k ? &st->world_n[k - 1] : &st->world;
}

/* The weights and world matrices (0..3) vertex i of draw d blends, as
 * vgt_svga3d_vertex_blend_plan_make tells the backends to read them: the
 * first weights from BLENDWEIGHT (components it lacks: 0), the last 1
 * minus their sum; matrix k is WORLDk, or with INDEXEDVERTEXBLENDENABLE
 * and a BLENDINDICES element byte k of the indices, above 3 clamped to
 * WORLD3.  0: no weighted blending (WORLD alone, or tweening). */
static uint32_t vert_blend(const diff_draw *d, uint32_t i, double w[4], uint32_t mi[4])
{
    const vgt_backend_draw_state *st = &d->st;
    const fvert *f = &d->fv[i];
    uint32_t n;
    switch (st->vertex_blend) {
    case VGT_SVGA3D_VBLEND_1WEIGHT:
        n = 2;
        break;
    case VGT_SVGA3D_VBLEND_2WEIGHT:
        n = 3;
        break;
    case VGT_SVGA3D_VBLEND_3WEIGHT:
        n = 4;
        break;
    case VGT_SVGA3D_VBLEND_0WEIGHTS:
        n = 1;
        break;
    default:
        return 0;
    }
    double sum = 0.0;
    for (uint32_t k = 0; k + 1 < n; k++) {
        w[k] = k < d->bw_comps ? f->bw[k] : 0.0;
        sum += w[k];
    }
    w[n - 1] = 1.0 - sum;
    bool indexed = st->indexed_vertex_blend && d->has_bi;
    for (uint32_t k = 0; k < n; k++) {
        mi[k] = indexed ? (f->bi[k] > 3 ? 3u : f->bi[k]) : k;
    }
    return n;
}

/* The model-space position (and normal) of vertex i: tweened between
 * POSITION 0 and 1 by TWEENFACTOR, else POSITION. */
static void vert_model(const diff_draw *d, uint32_t i, double o[4], double n[3])
{
    const fvert *f = &d->fv[i];
    bool tw = d->st.vertex_blend == VGT_SVGA3D_VBLEND_TWEENING;
    double t = d->st.tween_factor;
    for (int j = 0; j < 3; j++) {
        o[j] = tw ? f->p[j] + t * ((double)f->p1[j] - f->p[j]) : f->p[j];
        n[j] = tw ? f->n[j] + t * ((double)f->n1[j] - f->n[j]) : f->n[j];
    }
    o[3] = 1.0;
}

/* The world matrix vertex i is transformed by: sum_k w_k * World_k (the
 * backends blend the transformed positions, the same up to rounding). */
static dmat vert_world(const diff_draw *d, uint32_t i)
{
    double w[4];
    uint32_t mi[4], n = vert_blend(d, i, w, mi);
    dmat m;
    if (n == 0) {
        from_matrix(&d->st.world, &m);
        return m;
    }
    memset(&m, 0, sizeof(m));
    for (uint32_t k = 0; k < n; k++) {
        dmat wk;
        from_matrix(world_k(&d->st, mi[k]), &wk);
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                m.m[a][b] += w[k] * wk.m[a][b];
            }
        }
    }
    return m;
}

/* Vertex i in world space (pw), view space (pe) and its view-space normal
 * before any normalization (ne: sum_k w_k * N * the inverse transpose of
 * World_k * VIEW, docs/soft.md "Vertex blending"), in double. */
static void vert_eye(const diff_draw *d, uint32_t i, double pw[4], double pe[4], double ne[3])
{
    const vgt_backend_draw_state *st = &d->st;
    double o[4], nm[3], w[4] = {1.0, 0, 0, 0};
    uint32_t mi[4] = {0, 0, 0, 0}, n = vert_blend(d, i, w, mi);
    vert_model(d, i, o, nm);
    if (n == 0) {
        n = 1;
        w[0] = 1.0;
        mi[0] = 0;
    }
    dmat v;
    from_matrix(&st->view, &v);
    memset(pw, 0, 4 * sizeof(double));
    memset(pe, 0, 4 * sizeof(double));
    memset(ne, 0, 3 * sizeof(double));
    for (uint32_t k = 0; k < n; k++) {
        dmat wk;
        from_matrix(world_k(st, mi[k]), &wk);
        dmat wv = dmat_mul(&wk, &v), inv = dmat_inverse(&wv);
        double a[4], b[4];
        dmat_xform(&wk, o, a);
        dmat_xform(&wv, o, b);
        for (int j = 0; j < 4; j++) {
            pw[j] += w[k] * a[j];
            pe[j] += w[k] * b[j];
        }
        for (int j = 0; j < 3; j++) {
            ne[j] += w[k] * (nm[0] * inv.m[j][0] + nm[1] * inv.m[j][1] + nm[2] * inv.m[j][2]);
        }
    }
}

/* A world matrix near WORLD: WORLD after a rotation of up to ~0.5 radian
 * about each axis, scales 0.8..1.25 and a move of up to 0.5.  Blending
 * matrices this close keeps every blend of them (weights that may leave
 * 0..1) far from singular, so the positions derived through its inverse
 * stay exact (gen_transforms). */
static void near_world(rng *r, const vgt_backend_matrix *world, vgt_backend_matrix *out)
{
    dmat s = rand_affine(r, 0.8f, 1.25f, -0.5f, 0.5f, 0.5f);
    dmat w;
    from_matrix(world, &w);
    dmat m = dmat_mul(&s, &w);
    to_matrix(&m, out);
}

static double det3(const dmat *m)
{
    const double(*a)[4] = m->m;
    return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
           a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
           a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
}

/* Vertex blending of draw d (35% of the draws with transformed
 * vertices): VERTEXBLEND 1WEIGHTS, 2WEIGHTS, 3WEIGHTS, 0WEIGHTS or
 * TWEENING, INDEXEDVERTEXBLENDENABLE with a UBYTE4 or D3DCOLOR
 * BLENDINDICES element (indices 0..3, and 15% of them above 3, which read
 * WORLD3: SVGA3D has four world matrices), a BLENDWEIGHT element of 1 to 4
 * floats or none, WORLD1..3 near WORLD.  Before gen_transforms, which
 * derives the positions through each vertex's blend. */
static void gen_blend(rng *r, diff_draw *d)
{
    vgt_backend_draw_state *st = &d->st;
    st->vertex_blend = VGT_SVGA3D_VBLEND_DISABLE;
    st->indexed_vertex_blend = false;
    d->bw_comps = 0;
    d->has_bi = false;
    if (d->pre || !rp(r, 35)) {
        return;
    }
    static const uint32_t modes[] = {VGT_SVGA3D_VBLEND_1WEIGHT,  VGT_SVGA3D_VBLEND_2WEIGHT,
                                     VGT_SVGA3D_VBLEND_3WEIGHT,  VGT_SVGA3D_VBLEND_3WEIGHT,
                                     VGT_SVGA3D_VBLEND_0WEIGHTS, VGT_SVGA3D_VBLEND_TWEENING};
    st->vertex_blend = pick(r, modes, 6);
    if (st->vertex_blend == VGT_SVGA3D_VBLEND_TWEENING) {
        static const float ends[] = {0.0f, 1.0f};
        st->tween_factor = rp(r, 20) ? ends[rn(r, 2)] : rf(r, -0.25f, 1.25f);
        return;
    }
    for (int k = 0; k < 3; k++) {
        near_world(r, &st->world, &st->world_n[k]);
    }
    bool zero = st->vertex_blend == VGT_SVGA3D_VBLEND_0WEIGHTS;
    st->indexed_vertex_blend = rp(r, zero ? 80 : 50);
    /* an element INDEXEDVERTEXBLENDENABLE FALSE does not read (20%), or
     * none with it TRUE (15%: WORLD, WORLD1, ... in order, as Wine) */
    d->has_bi = st->indexed_vertex_blend ? rp(r, 85) : rp(r, 20);
    d->bi_type = rp(r, 50) ? VGT_SVGA3D_DECLTYPE_UBYTE4 : VGT_SVGA3D_DECLTYPE_D3DCOLOR;
    d->bw_comps = rp(r, 10) ? 0u : 1u + rn(r, 4);
    bool extra = rp(r, 20); /* weights outside 0..1 */
    dmat w0;
    from_matrix(&st->world, &w0);
    double dw = fabs(det3(&w0));
    for (uint32_t i = 0; i < d->nverts; i++) {
        fvert *f = &d->fv[i];
        for (int tries = 0;; tries++) {
            double u[4], sum = 0.0;
            for (int k = 0; k < 4; k++) {
                u[k] = rf(r, 0.05f, 1.0f);
                sum += u[k];
            }
            for (int k = 0; k < 4; k++) {
                f->bw[k] = extra ? rf(r, -0.3f, 0.8f) : (float)(u[k] / sum);
                f->bi[k] = (uint8_t)(rp(r, 15) ? 4 + rn(r, 252) : rn(r, 4));
            }
            if (tries == 50) {
                memset(f->bw, 0, sizeof(f->bw)); /* the last matrix alone */
            }
            dmat m = vert_world(d, i);
            if (tries == 50 || fabs(det3(&m)) > 0.25 * dw) {
                break;
            }
        }
    }
}

/* The matrices of draw d and its vertices in object space.  The screen
 * positions come first (gen_geometry: on the eighth-pixel grid, away from
 * every rasterization tie) and the object-space ones are derived through
 * the inverse of WORLD * VIEW * PROJECTION (in double), so the
 * transformed vertices land on the grid again, within float rounding
 * (~1e-5 pixel against a tie margin of 1 / (64 * edge length) >= 2.6e-4
 * pixel, and far inside llvmpipe's 1/256-pixel snapping).  A perspective
 * projection gives each vertex its own w: the view depth that its screen
 * depth (z, in its primitive's band) needs. */
static void gen_transforms(rng *r, diff_draw *d)
{
    vgt_backend_draw_state *st = &d->st;
    dmat w = rand_affine(r, 0.5f, 2.0f, 0.0f, 6.28f, 3.0f),
         v = rand_affine(r, 1.0f, 1.0f, 0.0f, 6.28f, 2.0f);
    dmat p = {{{0}}};
    d->persp = rp(r, 60);
    if (d->persp) {
        double zn = rf(r, 0.5f, 3.0f), zf = zn * rf(r, 4.0f, 40.0f);
        p.m[0][0] = rf(r, 0.6f, 2.0f);
        p.m[1][1] = rf(r, 0.6f, 2.0f);
        p.m[2][0] = rf(r, -0.3f, 0.3f); /* off centre */
        p.m[2][1] = rf(r, -0.3f, 0.3f);
        p.m[2][2] = zf / (zf - zn);
        p.m[2][3] = 1.0;
        p.m[3][2] = -zn * zf / (zf - zn);
    } else {
        double zn = rf(r, -2.0f, 2.0f), zf = zn + rf(r, 2.0f, 20.0f);
        p.m[0][0] = rf(r, 0.1f, 0.6f);
        p.m[1][1] = rf(r, 0.1f, 0.6f);
        p.m[2][2] = 1.0 / (zf - zn);
        p.m[3][0] = rf(r, -0.5f, 0.5f);
        p.m[3][1] = rf(r, -0.5f, 0.5f);
        p.m[3][2] = -zn / (zf - zn);
        p.m[3][3] = 1.0;
    }
    to_matrix(&w, &st->world);
    to_matrix(&v, &st->view);
    to_matrix(&p, &st->projection);
    gen_blend(r, d);
    if (d->pre) {
        /* POSITIONT: the screen position itself, rhw 1 or (a perspective
         * draw) 1 / w with w 0.5..2.5 per vertex */
        for (uint32_t i = 0; i < d->nverts; i++) {
            const tvert *t = &d->v[i];
            fvert *f = &d->fv[i];
            f->pt[0] = (float)(lround(((double)t->x + 1.0) * 4.0 * DIFF_W) / 8.0);
            f->pt[1] = (float)(lround((1.0 - (double)t->y) * 4.0 * DIFF_H) / 8.0);
            f->pt[2] = t->z;
            f->pt[3] = d->persp ? 1.0f / rf(r, 0.5f, 2.5f) : 1.0f;
        }
        return;
    }
    /* the inverse of what the backends compute: the float matrices, each
     * vertex through its own blend of the world matrices */
    dmat vf, pf;
    from_matrix(&st->view, &vf);
    from_matrix(&st->projection, &pf);
    bool tween = st->vertex_blend == VGT_SVGA3D_VBLEND_TWEENING;
    for (uint32_t i = 0; i < d->nverts; i++) {
        const tvert *t = &d->v[i];
        dmat wf = vert_world(d, i);
        dmat wv = dmat_mul(&wf, &vf), wvp = dmat_mul(&wv, &pf), inv = dmat_inverse(&wvp);
        double zn = t->z, cw = 1.0;
        if (d->persp) {
            /* z_ndc = P22 + P32 / w (w = the view depth) */
            cw = pf.m[3][2] / (zn - pf.m[2][2]);
        }
        double clip[4] = {t->x * cw, t->y * cw, zn * cw, cw}, o[4];
        dmat_xform(&inv, clip, o);
        fvert *f = &d->fv[i];
        for (int j = 0; j < 3; j++) {
            f->p[j] = (float)(o[j] / o[3]);
        }
        if (tween) {
            /* POSITION 0 and 1 around the position: o = p0 + t (p1 - p0) */
            double tf = st->tween_factor, off[3];
            rand_dir(r, off);
            double len = rf(r, 0.2f, 2.0f);
            for (int j = 0; j < 3; j++) {
                double p0 = o[j] / o[3] - tf * off[j] * len;
                f->p[j] = (float)p0;
                f->p1[j] = (float)(p0 + off[j] * len);
            }
        }
    }
}

/* Lights of draw d around its vertices (in world space: the centroid of
 * the draw), so that a point light's distance, a spot's cone and a
 * range's end cross the primitives. */
static void gen_lighting(rng *r, diff_draw *d)
{
    vgt_backend_draw_state *st = &d->st;
    st->lighting = rp(r, 75);
    st->ambient = rcolorf(r, 0.5f);
    st->normalize_normals = rp(r, 50);
    st->local_viewer = rp(r, 50);
    st->color_vertex = rp(r, 60);
    static const uint32_t src[] = {VGT_SVGA3D_VERTEXMATERIAL_NONE,
                                   VGT_SVGA3D_VERTEXMATERIAL_DIFFUSE,
                                   VGT_SVGA3D_VERTEXMATERIAL_SPECULAR};
    st->diffuse_source = pick(r, src, 3);
    st->ambient_source = pick(r, src, 3);
    st->specular_source = pick(r, src, 3);
    st->emissive_source = pick(r, src, 3);
    st->material.diffuse = rcolorf(r, 1.0f);
    st->material.ambient = rcolorf(r, 1.0f);
    st->material.specular = rcolorf(r, 1.0f);
    st->material.emissive = rcolorf(r, 0.4f);
    st->material.power = rp(r, 20) ? 0.0f : rf(r, 0.5f, 40.0f);
    dmat w, v;
    from_matrix(&st->world, &w);
    from_matrix(&st->view, &v);
    (void)w;
    double cen[3] = {0, 0, 0};
    for (uint32_t i = 0; i < d->nverts; i++) {
        double wp[4], pe[4], ne[3];
        vert_eye(d, i, wp, pe, ne);
        for (int j = 0; j < 3; j++) {
            cen[j] += wp[j] / d->nverts;
        }
    }
    st->light_count = 1 + rn(r, VGT_BACKEND_MAX_LIGHTS);
    static const uint32_t types[] = {VGT_SVGA3D_LIGHTTYPE_POINT, VGT_SVGA3D_LIGHTTYPE_SPOT1,
                                     VGT_SVGA3D_LIGHTTYPE_SPOT2, VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL};
    for (uint32_t i = 0; i < st->light_count; i++) {
        vgt_backend_light *l = &st->lights[i];
        memset(l, 0, sizeof(*l));
        l->enabled = true;
        l->index = i;
        l->type = pick(r, types, 4);
        l->in_world_space = rp(r, 75);
        l->diffuse = rcolorf(r, 1.0f);
        l->specular = rcolorf(r, 1.0f);
        l->ambient = rcolorf(r, 0.5f);
        double off[3], dist = rf(r, 0.5f, 4.0f), pos[4], dir[4], toward[3];
        rand_dir(r, off);
        for (int j = 0; j < 3; j++) {
            pos[j] = cen[j] + off[j] * dist;
            toward[j] = -off[j];
        }
        pos[3] = 1.0;
        if (l->type == VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL) {
            rand_dir(r, toward);
        } else {
            double jit[3];
            rand_dir(r, jit);
            for (int j = 0; j < 3; j++) {
                toward[j] += 0.4 * jit[j];
            }
        }
        for (int j = 0; j < 3; j++) {
            dir[j] = toward[j];
        }
        dir[3] = 0.0;
        if (!l->in_world_space) { /* the same light given in view space */
            double pv[4], dv[4];
            dmat_xform(&v, pos, pv);
            dmat_xform(&v, dir, dv);
            memcpy(pos, pv, sizeof(pos));
            memcpy(dir, dv, sizeof(dir));
        }
        for (int j = 0; j < 3; j++) {
            l->position[j] = (float)pos[j];
            l->direction[j] = (float)dir[j];
        }
        l->range = rp(r, 40) ? 1000.0f : (float)dist * rf(r, 0.7f, 2.5f);
        l->falloff = rp(r, 30) ? 1.0f : rf(r, 0.2f, 3.0f);
        l->attenuation0 = rf(r, 0.1f, 1.0f);
        l->attenuation1 = rp(r, 50) ? 0.0f : rf(r, 0.0f, 0.5f);
        l->attenuation2 = rp(r, 50) ? 0.0f : rf(r, 0.0f, 0.3f);
        float phi = rf(r, 0.3f, 2.8f), theta = phi * rf(r, 0.0f, 0.9f);
        bool deg = l->type == VGT_SVGA3D_LIGHTTYPE_SPOT1;
        l->phi = deg ? phi * 57.2957795f : phi;
        l->theta = deg ? theta * 57.2957795f : theta;
    }
}

/* Normals, colours and texture coordinates of the vertex family's
 * vertices (positions: gen_transforms). */
static void gen_fverts(rng *r, diff_draw *d)
{
    d->has_spec = rp(r, 60);
    static const uint32_t comps[] = {1, 2, 2, 3, 4};
    d->tc_components = pick(r, comps, 5);
    for (uint32_t i = 0; i < d->nverts; i++) {
        fvert *f = &d->fv[i];
        double n[3];
        rand_dir(r, n);
        float len = rp(r, 50) ? 1.0f : rf(r, 0.5f, 1.5f);
        for (int j = 0; j < 3; j++) {
            f->n[j] = (float)n[j] * len;
        }
        /* NORMAL 1 near NORMAL 0, so that a tweened normal (TWEENFACTOR
         * -0.25..1.25) stays well away from 0 */
        double jit[3];
        rand_dir(r, jit);
        float k1 = rf(r, 0.8f, 1.25f);
        for (int j = 0; j < 3; j++) {
            f->n1[j] = f->n[j] * k1 + 0.15f * (float)jit[j];
        }
        f->c0 = d->v[i].color;
        f->c1 = rcolor(r);
        f->t[0] = d->v[i].u;
        f->t[1] = d->v[i].v;
        f->t[2] = rf(r, -1.0f, 1.0f);
        f->t[3] = rf(r, 0.5f, 1.5f); /* a divisor (COUNT4 | PROJECTED of the set itself) */
    }
}

/* The largest component (at least 1) of the coordinates that generation
 * mode `gen` gives draw d's vertices in front of the texture matrix
 * (computed here in double as soft_vertex.c's stage_texcoord does), and in
 * *one the component that is 1 on every vertex: a one- or two-component
 * set is (u, 1, 0, 0) or (u, v, 1, 0); anything else has w = 1 (a
 * four-component set's own w is 0.5..1.5, gen_fverts, so there the bound
 * covers it and the divisor's own coefficient keeps clear of 0). */
static float texcoord_bound(const diff_draw *d, uint32_t gen, uint32_t *one)
{
    const vgt_backend_draw_state *st = &d->st;
    *one = gen == VGT_SVGA3D_TEXCOORD_GEN_OFF && d->tc_components < 3 ? d->tc_components : 3u;
    double big = 1.0;
    for (uint32_t i = 0; i < d->nverts; i++) {
        const fvert *f = &d->fv[i];
        double pw[4], pe[4], n[3], len2 = 0.0, m = 0.0;
        vert_eye(d, i, pw, pe, n); /* blended or tweened */
        for (int j = 0; j < 3; j++) {
            len2 += n[j] * n[j];
        }
        if (st->normalize_normals) {
            len2 = 1.0;
        }
        switch (gen) {
        case VGT_SVGA3D_TEXCOORD_GEN_EYE_POSITION:
            m = sqrt(pe[0] * pe[0] + pe[1] * pe[1] + pe[2] * pe[2]);
            break;
        case VGT_SVGA3D_TEXCOORD_GEN_EYE_NORMAL:
            m = sqrt(len2);
            break;
        case VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR:
            m = 1.0 + 2.0 * len2;
            break;
        case VGT_SVGA3D_TEXCOORD_GEN_SPHERE:
            m = 1.0;
            break;
        default:
            for (uint32_t j = 0; j < 4; j++) {
                m = fmax(m, fabs(f->t[j]));
            }
            break;
        }
        big = fmax(big, m);
    }
    return (float)big;
}

/* Texture coordinate generation and the texture matrix of a stage.  Keeps
 * the raster family's integer level of detail only where the coordinates
 * still are its affine map of the screen (an orthographic projection, the
 * vertices' own two or more components, no matrix); anywhere else the
 * level of detail varies over the primitive and llvmpipe's approximate
 * LOD (affine_uv) would decide between filters or levels, so such a
 * stage samples one level with one filter for minification and
 * magnification alike. */
static void gen_texgen(rng *r, diff_draw *d, uint32_t s)
{
    vgt_backend_stage *g = &d->st.stages[s];
    static const uint32_t gens[] = {VGT_SVGA3D_TEXCOORD_GEN_OFF,
                                    VGT_SVGA3D_TEXCOORD_GEN_OFF,
                                    VGT_SVGA3D_TEXCOORD_GEN_EYE_NORMAL,
                                    VGT_SVGA3D_TEXCOORD_GEN_EYE_POSITION,
                                    VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR,
                                    VGT_SVGA3D_TEXCOORD_GEN_SPHERE};
    /* Direct3D 9's D3DTSS_TCI_* in TEXCOORDINDEX bits 16..31, in the
     * order vgt_backend_texcoord_source reads them */
    static const uint32_t tci[] = {0, 2, 1, 3, 4};
    /* Lines (a LINELIST, or triangles under line fill) keep their
     * vertices' coordinates, one per line (flat_uv): llvmpipe interpolates
     * along a line's major axis, soft projects onto the line, so generated
     * coordinates, which differ per vertex, would pick other texels on a
     * sloped line (seeds 557, 619, 690, ... of the first survey: delta 19
     * on 25 pixels, eye normals read through a linear filter on a triangle
     * under line fill).  Sprites replace the coordinates. */
    bool lines =
        d->prim == VGT_SVGA3D_PRIMITIVE_LINELIST || d->st.fill_mode == VGT_SVGA3D_FILLMODE_LINE;
    /* pretransformed vertices generate nothing (both backends refuse it,
     * docs/soft.md "Not done yet") */
    uint32_t gen =
        d->st.point_sprite || lines || d->pre ? VGT_SVGA3D_TEXCOORD_GEN_OFF : pick(r, gens, 6);
    if (rp(r, 50)) {
        g->texcoord_gen = gen;
        g->texcoord_index = 0;
    } else {
        g->texcoord_gen = VGT_SVGA3D_TEXCOORD_GEN_OFF;
        g->texcoord_index = tci[gen] << 16;
    }
    g->transform_flags = VGT_SVGA3D_TEX_TRANSFORM_OFF;
    identity_matrix(&g->texture_transform);
    if (d->pre) {
        /* pretransformed coordinates skip the matrix but are divided: a
         * four-component set by its own q (0.5..1.5, gen_fverts); not on
         * lines, where the quotient would vary along a sloped line that
         * llvmpipe and soft interpolate differently (flat_uv; seed 760
         * of the survey: a pretransformed triangle under line fill, u/q
         * -113/0.5 .. -113/1.4, 45 pixels at delta 194) */
        if (!d->st.point_sprite && d->tc_components == 4 && rp(r, 30) && !lines) {
            g->transform_flags = VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T |
                                 VGT_SVGA3D_TEX_TRANSFORM_R | VGT_SVGA3D_TEX_TRANSFORM_Q |
                                 VGT_SVGA3D_TEX_PROJECTED;
        }
    } else if (!d->st.point_sprite && rp(r, 50)) {
        static const uint32_t counts[] = {
            VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T,
            VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_TRANSFORM_R,
            VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_TRANSFORM_R |
                VGT_SVGA3D_TEX_TRANSFORM_Q};
        uint32_t k = rn(r, 3), count = k + 2;
        bool proj = rp(r, 40);
        g->transform_flags = counts[k] | (proj ? VGT_SVGA3D_TEX_PROJECTED : 0u);
        /* The matrix scales the coordinates (at most `big` long over the
         * draw: texcoord_bound) to a few units, and a projected divisor
         * (column count - 1) takes the component that is 1 on every vertex
         * times 1..2 plus the others times at most 0.1 / big each: within
         * 0.6 .. 2.4 on every vertex, so never near 0 inside a primitive.
         * (Seed 1932 of the second survey, before: the divisor's 1..2 sat
         * on w, which is 0 for a two-component coordinate ((u, v) is
         * (u, v, 1, 0)), and the divisor crossed 0 inside a triangle: 3
         * pixels of texels picked far apart.) */
        uint32_t one;
        float big = texcoord_bound(d, gen, &one);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                g->texture_transform.m[i][j] = rf(r, -2.0f, 2.0f) / big;
            }
        }
        if (proj) {
            int q = (int)count - 1;
            for (uint32_t i = 0, k2 = 0; k2 < 3; i++) {
                if (i != one) {
                    g->texture_transform.m[i][q] = rf(r, -0.1f, 0.1f) / big;
                    k2++;
                }
            }
            g->texture_transform.m[one][q] = rf(r, 1.0f, 2.0f);
        }
    }
    bool plain = !d->persp && gen == VGT_SVGA3D_TEXCOORD_GEN_OFF &&
                 g->transform_flags == VGT_SVGA3D_TEX_TRANSFORM_OFF && d->tc_components >= 2;
    if (!plain) {
        g->mip_filter = VGT_SVGA3D_TEX_FILTER_NONE;
        g->min_filter = g->mag_filter;
    }
}

/* Whether a point of size s centred at (cx, cy) on the Direct3D screen
 * has its square's edges (cx +- s/2, cy +- s/2) 1/32 pixel or more from a
 * pixel centre (the integers): a scaled size is any real, and an edge on a
 * centre is a tie of the point rule (the pixels whose centre lies in
 * [x - s/2, x + s/2)), which the backends' float sizes and llvmpipe's
 * 1/256-pixel snapping decide either way. */
static bool point_tie_free(double cx, double cy, double s)
{
    double e[4] = {cx - s / 2.0, cx + s / 2.0, cy - s / 2.0, cy + s / 2.0};
    for (int i = 0; i < 4; i++) {
        double f = e[i] - floor(e[i]);
        if (f < 1.0 / 32.0 || f > 1.0 - 1.0 / 32.0) {
            return false;
        }
    }
    return true;
}

/* The size of point i of draw d before the [MIN, MAX] clamp, as
 * docs/soft.md's rule gives it for a point size `size`: with
 * POINTSCALEENABLE and transformed vertices viewport height * size *
 * sqrt(1 / (A + B De + C De^2)), De the view-space distance. */
static double point_scale_factor(const diff_draw *d, uint32_t i)
{
    const vgt_backend_draw_state *st = &d->st;
    if (!st->point_scale || d->pre) {
        return 1.0;
    }
    double pw[4], pe[4], ne[3];
    vert_eye(d, i, pw, pe, ne);
    double de = sqrt(pe[0] * pe[0] + pe[1] * pe[1] + pe[2] * pe[2]);
    double q = st->point_scale_a + st->point_scale_b * de + st->point_scale_c * de * de;
    return (double)DIFF_H * sqrt(1.0 / q);
}

/* Point scaling of a POINTLIST draw: POINTSCALEENABLE (60%) with
 * POINTSCALE_A/B/C scaled to the draw's view distances (each term 0 in
 * 30%), POINTSIZE_MIN/MAX clamping (40%: MIN 2..8, MAX 0.5..4 above), a per-vertex PSIZE (50%, with
 * or without scaling; without it integer sizes 1..8 as POINTSIZE's).  The
 * sizes (1..12 pixels) keep every square's edge off the pixel centres
 * (point_tie_free); the per-vertex PSIZE is chosen for its vertex, a
 * POINTSIZE for all: 64 tries, else scaling is left off. */
static void gen_point_scale(rng *r, diff_draw *d)
{
    vgt_backend_draw_state *st = &d->st;
    d->has_psize = false;
    if (d->prim != VGT_SVGA3D_PRIMITIVE_POINTLIST) {
        return;
    }
    d->has_psize = rp(r, 50);
    double cx[DIFF_VERTS], cy[DIFF_VERTS], dmax = 1e-3;
    for (uint32_t i = 0; i < d->nverts; i++) {
        cx[i] = lround(((double)d->v[i].x + 1.0) * 4.0 * DIFF_W) / 8.0;
        cy[i] = lround((1.0 - (double)d->v[i].y) * 4.0 * DIFF_H) / 8.0;
        double pw[4], pe[4], ne[3];
        vert_eye(d, i, pw, pe, ne);
        dmax = fmax(dmax, sqrt(pe[0] * pe[0] + pe[1] * pe[1] + pe[2] * pe[2]));
    }
    if (!rp(r, 60)) {
        for (uint32_t i = 0; i < d->nverts; i++) {
            d->fv[i].psize = (float)(1 + rn(r, 8));
        }
        return;
    }
    for (int tries = 0; tries < 64; tries++) {
        float h2 = (float)(DIFF_H * DIFF_H);
        float a = rp(r, 30) ? 0.0f : rf(r, 0.2f, 1.0f), b = rp(r, 30) ? 0.0f : rf(r, 0.0f, 1.0f);
        float c = rp(r, 30) ? 0.0f : rf(r, 0.0f, 1.0f);
        if (a == 0.0f && b == 0.0f && c == 0.0f) {
            a = 1.0f;
        }
        st->point_scale = true;
        st->point_scale_a = a * h2;
        st->point_scale_b = b * h2 / (float)dmax;
        st->point_scale_c = c * h2 / (float)(dmax * dmax);
        st->point_size_min = 1.0f;
        st->point_size_max = 64.0f;
        if (rp(r, 40)) {
            /* a MIN and MAX close together, among the sizes: most points
             * of such a draw are clamped, and by pixels (a point's square
             * of a pixel or two more or less is inside the 1% allowed to
             * points: with MIN 1..4 dropping the MIN clamp failed no seed
             * of 1..300) */
            st->point_size_min = rf(r, 2.0f, 8.0f);
            st->point_size_max = st->point_size_min + rf(r, 0.5f, 4.0f);
        }
        st->point_size = rf(r, 1.0f, 8.0f);
        bool ok = true;
        for (uint32_t i = 0; i < d->nverts && ok; i++) {
            double f = point_scale_factor(d, i);
            for (int k = 0; k < 64; k++) {
                if (d->has_psize) {
                    d->fv[i].psize = (float)(rf(r, 1.0f, 12.0f) / f);
                }
                double sz = f * (d->has_psize ? d->fv[i].psize : st->point_size);
                double cl = fmin(fmax(sz, st->point_size_min), st->point_size_max);
                ok = sz < 256.0 && point_tie_free(cx[i], cy[i], cl) &&
                     fabs(sz - st->point_size_min) > 1e-3 && fabs(sz - st->point_size_max) > 1e-3;
                if (ok || !d->has_psize) {
                    break;
                }
            }
        }
        if (ok) {
            return;
        }
    }
    st->point_scale = false;
    st->point_size_min = 1.0f;
    st->point_size_max = 64.0f;
    st->point_size = (float)(1 + rn(r, 8));
    for (uint32_t i = 0; i < d->nverts; i++) {
        d->fv[i].psize = (float)(1 + rn(r, 8));
    }
}

/* Vertex fog beside the table fog: start, end and density scaled to the
 * draw's view depths (the raster family's -0.5 .. 2 are its clip z). */
static void gen_vertex_fog(rng *r, diff_draw *d)
{
    vgt_backend_draw_state *st = &d->st;
    if (d->pre) {
        return; /* table fog reads the screen z: gen_state's start, end, density */
    }
    double lo = 1e30, hi = 0;
    for (uint32_t i = 0; i < d->nverts; i++) {
        double pw[4], e[4], ne[3];
        vert_eye(d, i, pw, e, ne);
        double dz = fabs(e[2]), dr = sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
        lo = fmin(lo, fmin(dz, dr));
        hi = fmax(hi, fmax(dz, dr));
    }
    st->range_fog = rp(r, 30);
    double span = hi - lo + 0.1;
    st->fog_start = (float)(lo - span * rf(r, 0.0f, 0.8f));
    st->fog_end = st->fog_start + (float)(span * rf(r, 0.3f, 2.0f));
    st->fog_density = (float)(rf(r, 0.2f, 2.5f) / hi);
}

/* The vertex family is about what the vertices carry: with the raster
 * family's pixel state on top (blending, alpha and stencil tests, write
 * masks, random stage arguments) most draws show little of it (a flat
 * colour, or nothing).  70% of its draws keep the pixel stages plain:
 * no blending, tests or masks; stage 0 shows the lit diffuse colour
 * (alone, or modulated by or added to the texture), and specular is on
 * half the time. */
static void gen_plain_pixels(rng *r, diff_draw *d)
{
    if (!rp(r, 70)) {
        return;
    }
    vgt_backend_draw_state *st = &d->st;
    st->blend_enable = st->alpha_test = st->stencil_enable = false;
    st->color_write_mask[0] = 0xfu;
    st->cull_face = VGT_SVGA3D_FACE_NONE;
    vgt_backend_stage *g = &st->stages[0];
    static const uint32_t ops[] = {VGT_SVGA3D_TC_SELECTARG1, VGT_SVGA3D_TC_MODULATE,
                                   VGT_SVGA3D_TC_ADD, VGT_SVGA3D_TC_BLENDTEXTUREALPHA};
    g->color_op = g->alpha_op = pick(r, ops, 4);
    g->color_arg1 = g->alpha_arg1 = VGT_SVGA3D_TA_DIFFUSE;
    g->color_arg2 = g->alpha_arg2 = VGT_SVGA3D_TA_TEXTURE;
    if (rp(r, 50)) {
        st->stages[1].color_op = st->stages[1].alpha_op = VGT_SVGA3D_TC_DISABLE;
        d->textured[1] = false;
    }
    st->specular_enable = rp(r, 50);
}

static void gen_case_vertex(uint64_t seed, diff_case *c, const vgt_backend_draw_state *base)
{
    /* a stream of its own: the raster family's seeds draw what they drew */
    /* (a multiplier other than splitmix64's increment, or seed s + 1's
     * stream would be seed s's shifted by one draw) */
    rng r = {seed * 0xd1342543de82ef95ull + 0x5bd1e995ull};
    memset(c, 0, sizeof(*c));
    c->seed = seed;
    c->family = 1;
    c->rt = rp(&r, 30) ? 0 : rn(&r, DIFF_RTS);
    c->depth = rp(&r, 60);
    c->clear_color = rcolor(&r);
    c->clear_depth = clear_depths[rn(&r, 3)];
    c->clear_stencil = rn(&r, 256);
    c->ndraws = 1 + rn(&r, DIFF_DRAWS);
    depth_order dep;
    depth_order_shuffle(&r, &dep);
    for (uint32_t i = 0; i < c->ndraws; i++) {
        diff_draw *d = &c->d[i];
        uint32_t f = rn(&r, 10);
        uint32_t fill = f < 7   ? VGT_SVGA3D_FILLMODE_FILL
                        : f < 9 ? VGT_SVGA3D_FILLMODE_LINE
                                : VGT_SVGA3D_FILLMODE_POINT;
        gen_geometry(&r, d, fill, &dep);
        /* Filled triangles and lines slope in depth within their
         * primitive's band (depth_next: +-0.018 of 0.05 apart, so two
         * primitives still never meet in depth); triangles under line or
         * point fill stay flat, since two edges of one triangle meet at a
         * corner pixel and with a slope their depths there would tie. */
        if (fill == VGT_SVGA3D_FILLMODE_FILL && d->prim != VGT_SVGA3D_PRIMITIVE_POINTLIST) {
            for (uint32_t k = 0; k < d->nverts; k++) {
                d->v[k].z += rf(&r, -0.018f, 0.018f);
            }
        }
        gen_state(&r, d, base, c->depth, fill);
        gen_plain_pixels(&r, d);
        /* pretransformed (POSITIONT) vertices in 15% of the draws: no
         * transform, lighting, blending or generated coordinates; colours,
         * specular and fog from the vertex */
        d->pre = rp(&r, 15);
        gen_transforms(&r, d);
        gen_fverts(&r, d);
        gen_lighting(&r, d);
        gen_vertex_fog(&r, d);
        gen_point_scale(&r, d);
        gen_texgen(&r, d, 0);
        gen_texgen(&r, d, 1);
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

/* The channel tolerance of case c: docs/gl.md's 2 on an 8-bit (or float)
 * target; on a target of fewer bits one step of its coarsest channel (5
 * bits: 255 / 31 ~ 8.2, so 9; 4 bits: 17), since both backends round a
 * colour to the nearest step and two colours 2/255 apart straddle a step
 * boundary as often as not. */
static uint32_t case_tol(const diff_case *c)
{
    switch (diff_rt_formats[c->rt]) {
    case VGT_SVGA3D_R5G6B5:
    case VGT_SVGA3D_X1R5G5B5:
    case VGT_SVGA3D_A1R5G5B5:
        return 9u;
    case VGT_SVGA3D_A4R4G4B4:
        return 17u;
    default:
        return GL_TOL;
    }
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

static void print_matrix(const char *name, const vgt_backend_matrix *m)
{
    print_message("    %s: [%g %g %g %g] [%g %g %g %g] [%g %g %g %g] [%g %g %g %g]\n", name,
                  (double)m->m[0][0], (double)m->m[0][1], (double)m->m[0][2], (double)m->m[0][3],
                  (double)m->m[1][0], (double)m->m[1][1], (double)m->m[1][2], (double)m->m[1][3],
                  (double)m->m[2][0], (double)m->m[2][1], (double)m->m[2][2], (double)m->m[2][3],
                  (double)m->m[3][0], (double)m->m[3][1], (double)m->m[3][2], (double)m->m[3][3]);
}

static void print_color(const char *name, vgt_backend_color c)
{
    print_message(" %s (%.4f %.4f %.4f %.4f)", name, (double)c.r, (double)c.g, (double)c.b,
                  (double)c.a);
}

/* What the vertex family adds to a draw. */
static void print_vertex_family(const diff_draw *d)
{
    const vgt_backend_draw_state *st = &d->st;
    for (uint32_t k = 0; k < d->nverts; k++) {
        const fvert *f = &d->fv[k];
        print_message("    f%u: p %.7g %.7g %.7g n %.5f %.5f %.5f c0 %08x c1 %08x t %.5f %.5f "
                      "%.5f %.5f\n",
                      k, (double)f->p[0], (double)f->p[1], (double)f->p[2], (double)f->n[0],
                      (double)f->n[1], (double)f->n[2], f->c0, f->c1, (double)f->t[0],
                      (double)f->t[1], (double)f->t[2], (double)f->t[3]);
    }
    for (uint32_t k = 0; k < d->nverts; k++) {
        const fvert *f = &d->fv[k];
        print_message("    f%u: weights %.7g %.7g %.7g %.7g indices %u %u %u %u p1 %.7g %.7g %.7g "
                      "n1 %.5f %.5f %.5f psize %.7g positiont %.7g %.7g %.7g %.7g\n",
                      k, (double)f->bw[0], (double)f->bw[1], (double)f->bw[2], (double)f->bw[3],
                      f->bi[0], f->bi[1], f->bi[2], f->bi[3], (double)f->p1[0], (double)f->p1[1],
                      (double)f->p1[2], (double)f->n1[0], (double)f->n1[1], (double)f->n1[2],
                      (double)f->psize, (double)f->pt[0], (double)f->pt[1], (double)f->pt[2],
                      (double)f->pt[3]);
    }
    print_message("    %s projection, specular colour %d, texcoord components %u, range fog %d\n",
                  d->persp ? "perspective" : "orthographic", d->has_spec, d->tc_components,
                  st->range_fog);
    print_message("    pretransformed %d; vertex blend %u indexed %d tween %g, blendweight floats "
                  "%u, blendindices %s; point scale %d a %g b %g c %g min %g max %g psize %d\n",
                  d->pre, st->vertex_blend, st->indexed_vertex_blend, (double)st->tween_factor,
                  d->bw_comps,
                  !d->has_bi                                 ? "none"
                  : d->bi_type == VGT_SVGA3D_DECLTYPE_UBYTE4 ? "UBYTE4"
                                                             : "D3DCOLOR",
                  st->point_scale, (double)st->point_scale_a, (double)st->point_scale_b,
                  (double)st->point_scale_c, (double)st->point_size_min, (double)st->point_size_max,
                  d->has_psize);
    print_matrix("world", &st->world);
    for (int k = 0; k < 3; k++) {
        if (st->vertex_blend && st->vertex_blend != VGT_SVGA3D_VBLEND_TWEENING) {
            print_matrix(k == 0 ? "world1" : k == 1 ? "world2" : "world3", &st->world_n[k]);
        }
    }
    print_matrix("view", &st->view);
    print_matrix("projection", &st->projection);
    print_message(
        "    lighting %d normalize %d local viewer %d color vertex %d sources d%u a%u s%u "
        "e%u power %g",
        st->lighting, st->normalize_normals, st->local_viewer, st->color_vertex, st->diffuse_source,
        st->ambient_source, st->specular_source, st->emissive_source, (double)st->material.power);
    print_color("ambient", st->ambient);
    print_color("mat d", st->material.diffuse);
    print_color("a", st->material.ambient);
    print_color("s", st->material.specular);
    print_color("e", st->material.emissive);
    print_message("\n");
    for (uint32_t i = 0; i < st->light_count; i++) {
        const vgt_backend_light *l = &st->lights[i];
        print_message(
            "    light %u: type %u world %d pos %g %g %g dir %g %g %g range %g falloff %g "
            "att %g %g %g theta %g phi %g",
            i, l->type, l->in_world_space, (double)l->position[0], (double)l->position[1],
            (double)l->position[2], (double)l->direction[0], (double)l->direction[1],
            (double)l->direction[2], (double)l->range, (double)l->falloff, (double)l->attenuation0,
            (double)l->attenuation1, (double)l->attenuation2, (double)l->theta, (double)l->phi);
        print_color("d", l->diffuse);
        print_color("s", l->specular);
        print_color("a", l->ambient);
        print_message("\n");
    }
    for (int g = 0; g < 2; g++) {
        const vgt_backend_stage *sg = &st->stages[g];
        print_message("    stage %d: texcoord index %#x gen %u transform flags %#x\n", g,
                      sg->texcoord_index, sg->texcoord_gen, sg->transform_flags);
        if (sg->transform_flags) {
            print_matrix("texture matrix", &sg->texture_transform);
        }
    }
}

static void print_case(const diff_case *c)
{
    if (c->family == 1) {
        print_message("vertex family (VGT_DIFF_FAMILY=vertex), target format %u\n",
                      diff_rt_formats[c->rt]);
    }
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
        if (c->family == 1) {
            print_vertex_family(d);
        }
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
    vgt_backend_surface *rts[DIFF_RTS]; /* one target of each diff_rt_formats */
    vgt_backend_draw_state base;        /* scene_init's defaults */
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
    ds->rts[0] = ds->s.rt;
    for (uint32_t i = 1; i < DIFF_RTS; i++) {
        ds->rts[i] = scene_define(&ds->s, diff_rt_formats[i], VGT_SVGA3D_SURFACE_HINT_RENDERTARGET,
                                  DIFF_W, DIFF_H, 1, 1, 1);
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

/* The vertex family's buffer and elements: position, normal, COLOR0,
 * COLOR1 when the draw has one and TEXCOORD0 of tc_components floats. */
static void diff_fverts(scene *s, const diff_draw *d)
{
    uint32_t bytes = d->nverts * (uint32_t)sizeof(fvert), stride = sizeof(fvert);
    s->vb =
        scene_define(s, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, bytes, 1, 1, 1, 1);
    scene_upload(s, s->vb, 0, 0, d->fv);
    vgt_backend_draw_state *st = &s->st;
    st->element_count = 0;
    if (d->pre) {
        scene_element(st, s->vb, bytes, offsetof(fvert, pt), stride, VGT_SVGA3D_DECLTYPE_FLOAT4,
                      VGT_SVGA3D_DECLUSAGE_POSITIONT);
    } else {
        scene_element(st, s->vb, bytes, offsetof(fvert, p), stride, VGT_SVGA3D_DECLTYPE_FLOAT3,
                      VGT_SVGA3D_DECLUSAGE_POSITION);
    }
    scene_element(st, s->vb, bytes, offsetof(fvert, n), stride, VGT_SVGA3D_DECLTYPE_FLOAT3,
                  VGT_SVGA3D_DECLUSAGE_NORMAL);
    if (d->st.vertex_blend == VGT_SVGA3D_VBLEND_TWEENING) {
        scene_element(st, s->vb, bytes, offsetof(fvert, p1), stride, VGT_SVGA3D_DECLTYPE_FLOAT3,
                      VGT_SVGA3D_DECLUSAGE_POSITION);
        st->elements[st->element_count - 1].usage_index = 1;
        scene_element(st, s->vb, bytes, offsetof(fvert, n1), stride, VGT_SVGA3D_DECLTYPE_FLOAT3,
                      VGT_SVGA3D_DECLUSAGE_NORMAL);
        st->elements[st->element_count - 1].usage_index = 1;
    }
    if (d->bw_comps) {
        scene_element(st, s->vb, bytes, offsetof(fvert, bw), stride,
                      VGT_SVGA3D_DECLTYPE_FLOAT1 + d->bw_comps - 1,
                      VGT_SVGA3D_DECLUSAGE_BLENDWEIGHT);
    }
    if (d->has_bi) {
        scene_element(st, s->vb, bytes, offsetof(fvert, bi), stride, d->bi_type,
                      VGT_SVGA3D_DECLUSAGE_BLENDINDICES);
    }
    if (d->has_psize) {
        scene_element(st, s->vb, bytes, offsetof(fvert, psize), stride, VGT_SVGA3D_DECLTYPE_FLOAT1,
                      VGT_SVGA3D_DECLUSAGE_PSIZE);
    }
    scene_element(st, s->vb, bytes, offsetof(fvert, c0), stride, VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                  VGT_SVGA3D_DECLUSAGE_COLOR);
    if (d->has_spec) {
        scene_element(st, s->vb, bytes, offsetof(fvert, c1), stride, VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                      VGT_SVGA3D_DECLUSAGE_COLOR);
        st->elements[st->element_count - 1].usage_index = 1;
    }
    scene_element(st, s->vb, bytes, offsetof(fvert, t), stride,
                  VGT_SVGA3D_DECLTYPE_FLOAT1 + d->tc_components - 1, VGT_SVGA3D_DECLUSAGE_TEXCOORD);
}

static void diff_run(diff_scene *ds, const diff_case *c, vgt_image *out, diff_result *res)
{
    scene *s = &ds->s;
    diff_scene_reset(ds);
    memset(res, 0, sizeof(*res));
    s->st = ds->base;
    /* the case's target (scene_read reads s->rt) */
    vgt_backend_view rt = {ds->rts[c->rt], 0, 0, diff_rt_formats[c->rt], {DIFF_W, DIFF_H, 1}};
    s->rt = rt.surface;
    s->rt_format = rt.format;
    s->st.color_targets[0] = rt;
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
        s->st.color_targets[0] = rt;
        s->st.depth_target = c->depth ? ds->base.depth_target : (vgt_backend_view){0};
        s->st.stencil_target = s->st.depth_target;
        s->st.render_states = s->render_states;
        s->st.texture_states = s->texture_states;
        if (c->family == 1) {
            diff_fverts(s, d);
        } else {
            scene_tverts(s, d->v, d->nverts);
        }
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
        assert_int_equal(vgt_image_compare(&a, &b, case_tol(c), false, df, &err), VGT_OK);
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
        if (c->family == 1) { /* keeps gen_texgen's one filter for both */
            st->stages[0].mag_filter = st->stages[1].mag_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
        }
        break;
    case 15:
        if (st->point_sprite || c->family == 1) {
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
    case 25: /* the vertex family's: lighting off */
        st->lighting = false;
        break;
    case 26:
        if (st->light_count > 1) {
            st->light_count = 1;
        }
        break;
    case 27:
        for (int g = 0; g < 2; g++) {
            st->stages[g].texcoord_gen = VGT_SVGA3D_TEXCOORD_GEN_OFF;
            st->stages[g].texcoord_index &= 0xffffu;
        }
        break;
    case 28:
        st->stages[0].transform_flags = st->stages[1].transform_flags = 0;
        break;
    case 29: /* the target: A8R8G8B8 */
        if (c->rt == 0) {
            return false;
        }
        c->rt = 0;
        return true;
    case 30:
        st->range_fog = false;
        break;
    case 31: /* point scaling off (the size is POINTSIZE or PSIZE again) */
        st->point_scale = false;
        break;
    default:
        return false;
    }
    return memcmp(&before, dr, sizeof(before)) != 0;
}
#define DIFF_SIMPLIFICATIONS 32u

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

/* Runs the cases of one family (0 raster, 1 vertex); VGT_DIFF_FAMILY=raster
 * or vertex (by hand) runs that family alone. */
static void run_family(uint32_t family)
{
    const char *only = getenv("VGT_DIFF_FAMILY");
    if (only && *only && strcmp(only, family ? "vertex" : "raster") != 0) {
        return;
    }
    uint64_t seed0 = env_u64("VGT_DIFF_SEED", 1);
    uint64_t cases = env_u64("VGT_DIFF_CASES", family ? DIFF_CI_VERTEX_CASES : DIFF_CI_CASES);
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
        if (family == 1) {
            gen_case_vertex(seed0 + i, c, &g->base);
        } else {
            gen_case(seed0 + i, c, &g->base);
        }
        if (getenv("VGT_DIFF_PRINT")) {
            print_case(c); /* by hand: what a case draws */
        }
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
            assert_int_equal(vgt_image_compare(&a, &b, case_tol(c), false, &df, &err), VGT_OK);
            double frac = (double)df.pixels_over / (double)df.pixels_total;
            if (getenv("VGT_DIFF_WRITE") && cases <= 8) {
                /* by hand, a few cases: their pictures, to look at what
                 * the generator draws */
                char path[1200];
                const char *side[2] = {"gl", "soft"};
                const vgt_image *im[2] = {&a, &b};
                for (int k = 0; k < 2; k++) {
                    snprintf(path, sizeof(path), "%s/gl-out/case-%" PRIu64 "-%s.png",
                             VGT_BINARY_DIR, c->seed, side[k]);
                    vgt_image_write_png(im[k], path, false, &err);
                }
            }
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
                compare_images(name, &a, &b, case_tol(c), case_fraction(c));
            }
            compared++;
            worst_delta = df.max_channel_delta > worst_delta ? df.max_channel_delta : worst_delta;
            worst_over = df.pixels_over > worst_over ? df.pixels_over : worst_over;
        }
        vgt_image_free(&a);
        vgt_image_free(&b);
    }
    print_message("differential (%s family): seeds %" PRIu64 "..%" PRIu64 ": %" PRIu64
                  " compared, %" PRIu64
                  " refused by both (skipped); worst max channel delta %u, most pixels over "
                  "tolerance %" PRIu64 "\n",
                  family ? "vertex" : "raster", seed0, seed0 + cases - 1, compared, skipped,
                  worst_delta, worst_over);
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

static void test_differential(void **state)
{
    (void)state;
    run_family(0);
}

/* The vertex family (gen_case_vertex): transforms, lighting, vertex fog,
 * texture coordinate generation and matrices, eight target formats. */
static void test_differential_vertex(void **state)
{
    (void)state;
    run_family(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_differential),
        cmocka_unit_test(test_differential_vertex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
