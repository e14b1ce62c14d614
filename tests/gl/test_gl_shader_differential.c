/* test_gl_shader_differential.c - random shader pairs on gl and on soft.
 *
 * Both backends run the guest's Direct3D 9 bytecode by different paths:
 * soft interprets it, gl translates it to GLSL (docs/soft.md and docs/gl.md
 * "Shaders").  This test builds, from a seed, a random but valid
 * vs_2_0/ps_2_0, vs_3_0/ps_3_0, vs_2_0/ps_1_x, vs_1_1/ps_2_0 or vs_1_1/ps_1_x
 * pair (ps_1_4 in one or two phases; oDepth under a z test, oC0..oC3 on
 * up to four targets, o[aL] in vs_3_0; out-of-range c[a0.x + n] and
 * c[aL + n], vertex fog from oFog, points of oPts, o[aL] over o1..o6)
 * out of the instructions both
 * implement (docs/gl.md "Shader differential test" lists them), with random
 * constants (def and SET_SHADER_CONST), random 2D/cube/volume textures
 * and sampler states, draws one to three triangles with it on both
 * backends through the executor (sht_harness) and compares the A8R8G8B8
 * pictures at the gl tolerance.
 *
 * Values are kept where float precision is not the question: the
 * generator knows an interval for every register and, before an
 * instruction whose result is sensitive to its input (rcp, rsq, log, pow,
 * exp, sincos, nrm, texldp's w, mova), maps the source into a safe range
 * with one `mad` (gen_condition explains each range); a register whose
 * interval grows past SD_BOUND is scaled back; the colour is a saturated
 * affine map of a register's interval.  Exact values stay off steps and
 * texel edges (off-grid maps), and what a LINEAR lookup fed ("noisy",
 * gen) reaches no step, coordinate or conditioning map.
 *
 * VGT_SHDIFF_SEED (default 1) is the first case's seed, VGT_SHDIFF_CASES
 * (default SD_CI_CASES) how many cases run (case i has seed SEED + i).  By
 * hand, VGT_SHDIFF_SURVEY=1 reports every finding on one line and goes on
 * (failing at the end), VGT_SHDIFF_REDUCE=1 then drops every instruction
 * (and triangle) the mismatch does not need and prints what is left, and
 * VGT_SHDIFF_WRITE=1 writes the (reduced) pictures to gl-out;
 * VGT_SHDIFF_PRINT=1 prints every case, VGT_SHDIFF_VS_FILE and
 * VGT_SHDIFF_PS_FILE replace a case's shader text (override_shader).
 *
 * test_shader_differential_lod is the LOD family (gen_lod_case): implicit
 * levels of detail with mips, whose coordinates are an affine map of the
 * screen the generator knows; VGT_SHDIFF_LOD_SEED and VGT_SHDIFF_LOD_CASES
 * (default SD_LOD_CI_CASES) choose its seeds, the other knobs act on it
 * too (VGT_SHDIFF_CASES=0 leaves the main family out). */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sht_harness.h"
#include "vgt_test_random.h"

#define PS VGT_SVGA3D_SHADERTYPE_PS
#define VS VGT_SVGA3D_SHADERTYPE_VS

/* The cases CI runs (seeds 1..SD_CI_CASES): under a second in Release with
 * Mesa's shader cache warm, ~25 s of CPU cold (two llvmpipe programs per
 * case). */
#define SD_CI_CASES 300u

#define SD_W        24u
#define SD_H        24u
#define SD_LINES    192u
#define SD_LINE     160u
#define SD_SETS     64u
#define SD_TRIS     3u
#define SD_TEMPS    12u /* ps_2_0 and vs_2_0 have 12 */
#define SD_BOUND    32.0f
#define SD_TEX      8u /* 2D texture size; 4 mips */
#define SD_TEXMIPS  4u
#define SD_CUBE     4u
#define SD_VOL      4u
#define SD_VS_ID    11u
#define SD_PS_ID    12u
#define SD_SID_CUBE 7u
#define SD_SID_VOL  8u
#define SD_SID_LOD  9u  /* the LOD family's texture */
#define SD_LODTEX   16u /* its size: 16 x 16, 5 levels */
#define SD_LODMIPS  5u
#define SD_SID_RT1  20u /* COLOR1..3: SD_SID_RT1 + 0..2 */
#define SD_RTS      4u
/* A channel may differ by the gl tolerance (docs/gl.md: 2); see
 * sd_allowed for how many pixels may differ by more. */
#define SD_TOL 2u

/* ---- a case ------------------------------------------------------------- */

typedef struct sd_line {
    char s[SD_LINE];
    bool fixed; /* version, def, dcl and the output writes: never dropped */
} sd_line;

typedef struct sd_set {
    uint32_t reg, kind; /* VGT_SVGA3D_CONST_TYPE_* */
    float f[4];
    int32_t i[4];
} sd_set;

typedef struct sd_shader {
    uint32_t nlines;
    sd_line line[SD_LINES];
    uint32_t nsets;
    sd_set set[SD_SETS]; /* SET_SHADER_CONST before the draw */
} sd_shader;

typedef struct sd_case {
    uint64_t seed;
    uint32_t sm;   /* 2 or 3 (the vertex shader's; ps_1_x pairs with vs_2_0) */
    uint32_t ps1;  /* 0, or the ps_1_x minor version 1..4 */
    bool flow;     /* flow-heavy shaders (gen's flow) */
    uint32_t pack; /* sm 3 semantic packing of TEXCOORD2/3 (SD_PACK_*) */
    /* The families added after the first surveys, chosen by a stream of
     * their own (gen_case): a case without them is the case its seed
     * named before. */
    bool oal;       /* vs_3_0: TEXCOORDn written through o[aL] in a loop */
    bool odepth;    /* ps_2_0/3_0 writes oDepth; the z test is on */
    uint32_t zfunc; /* VGT_SVGA3D_CMP_* (odepth) */
    float zclear;   /* the depth buffer's clear value (odepth) */
    uint32_t nrt;   /* colour targets: oC0 .. oC(nrt - 1), 1..4 */
    bool phase;     /* ps_1_4 in two phases with dependent reads */
    bool vs1;       /* vs_1_1 in front of the ps_2_0 or ps_1_x (sm 2) */
    /* The third round's families, chosen by (and generated from) a
     * stream of their own, f3 (gen_case): a case without them is the
     * case its seed named before them, and a case with them differs only
     * by the lines they add (and the constant numbers after those). */
    rng f3;
    bool oob;          /* vs: c[a0.x + n] or c[aL + n] below c0 or past c255 (clamped) */
    char oob_line[32]; /* the clamped read gen_oob wrote */
    bool fog;          /* sm 2: vertex fog on, the factor the vs's oFog */
    uint32_t fogcolor;
    bool pts;      /* sm 2: the vertices drawn as points of the vs's oPts */
    bool oal_wide; /* vs_3_0 o[aL] over o1 (COLOR0) .. o6 (TEXCOORD4) */
    int show;      /* the vs output (vary index) the ps maps to .zw, -1 */
    int zreg;      /* oDepth: the ps constant of the triangle's depth band, -1 */
    float zband[SD_TRIS];
    sd_shader vs, ps;
    uint32_t clear;
    uint32_t filter[3], mip, addr[3][3], border[3];
    uint32_t ntris;
    sht_vtx v[3 * SD_TRIS];
    /* The LOD family (gen_lod_case): s0 is the mipmapped SD_SID_LOD
     * texture, with a stage LOD bias and MAXMIPLEVEL of its own. */
    bool lod;
    uint32_t lod_op;   /* 0 texld, 1 texldp, 2 texldb, 3 texldl */
    int32_t lod_level; /* the footprint's level of detail, log2 texels per pixel */
    float lod_frac;    /* added to it (POINT mips only; 0 under LINEAR) */
    int32_t lod_texb;  /* texldb's bias (w) */
    float lod_bias;    /* MIPMAPLODBIAS (an integer) */
    float lod_w;       /* texldl's level (w): an integer, or with a fraction */
    uint32_t maxmip;   /* MAXMIPLEVEL */
    uint32_t lod_min;  /* s0's MINFILTER when it is not its MAGFILTER, else 0 */
} sd_case;

/* ---- intervals ---------------------------------------------------------- */

typedef struct ival {
    float lo, hi;
} ival;

static ival iv(float lo, float hi)
{
    return (ival){lo, hi};
}
static ival iv_union(ival a, ival b)
{
    return iv(fminf(a.lo, b.lo), fmaxf(a.hi, b.hi));
}
static ival iv_add(ival a, ival b)
{
    return iv(a.lo + b.lo, a.hi + b.hi);
}
static ival iv_neg(ival a)
{
    return iv(-a.hi, -a.lo);
}
static ival iv_abs(ival a)
{
    float m = fmaxf(fabsf(a.lo), fabsf(a.hi));
    return a.lo >= 0 ? a : a.hi <= 0 ? iv_neg(a) : iv(0, m);
}
static ival iv_mul(ival a, ival b)
{
    float p[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    return iv(fminf(fminf(p[0], p[1]), fminf(p[2], p[3])),
              fmaxf(fmaxf(p[0], p[1]), fmaxf(p[2], p[3])));
}
static float iv_mag(ival a)
{
    return fmaxf(fabsf(a.lo), fabsf(a.hi));
}

/* ---- the generator ------------------------------------------------------ */

/* An operand: its text and the interval of its components. */
typedef struct opnd {
    char s[40];
    ival v;
    int temp; /* the temporary it reads, -1 for none */
} opnd;

enum {
    S_REPL = 1,    /* a replicate swizzle (scalar instructions) */
    S_IDENT = 2,   /* no swizzle (crs, ps_2_0 texld) */
    S_NOMOD = 4,   /* no negate/abs (texture coordinates) */
    S_NOCONST = 8, /* a temporary or an input */
    S_CLEAN = 16,  /* no noisy temporary (gen's noisy) */
};

typedef struct sd_in {
    char name[16];
    ival v;
    bool xy;    /* vPos: only .x and .y are declared */
    bool noisy; /* may hold an exact 0 or 1 (+-1 ulp on gl): not S_CLEAN */
} sd_in;

typedef struct gen {
    rng *r;
    sd_shader *sh;
    bool ps;
    uint32_t sm;
    char code[SD_LINES][SD_LINE];
    bool code_fixed[SD_LINES];
    uint32_t ncode;
    char head[SD_LINES][SD_LINE]; /* def and dcl */
    uint32_t nhead;
    bool live[SD_TEMPS];
    ival t[SD_TEMPS];
    sd_in in[10];
    uint32_t nin;
    ival c[256];
    uint32_t nconst, cmax;
    uint32_t nint, nbool;
    int sincos_c; /* the sm 2 sincos constants, -1 before */
    bool a0_live; /* a0.x holds an index 0 .. a0_count - 1 into c[a0_base] */
    uint32_t a0_base, a0_count;
    bool loop_fresh; /* inside a loop body: write fresh temporaries only */
    bool in_loop;
    bool aL_live; /* vs: aL indexes c[aL_base + 0 .. aL_max] */
    uint32_t aL_base;
    ival aL_v;
    uint32_t depth, ntex;
    bool samplers[3];
    bool vface, vpos;
    bool mips;    /* the case's MIPFILTER is not NONE: texldl only */
    bool p0_live; /* setp wrote all of p0 (at depth 0, outside loops) */
    bool in_sub;  /* generating a subroutine's body */
    uint32_t nlabels;
    char sub[4][48][SD_LINE]; /* label l<k>'s body */
    uint32_t nsub[4];
    /* A temporary that a LINEAR texture read fed is noisy: llvmpipe's
     * filter is a unit of the texel's 8 bits off soft's (8-bit weights),
     * which a discontinuous instruction turns into a flip over a band of
     * pixels (seed 74: frc of a linear cube read's product, 1 pixel at
     * delta 68).  frc, slt, sge, cmp's selector, if_comp, break_comp,
     * setp, texkill, mova and texture coordinates (gen_tex says why)
     * read clean registers only (S_CLEAN).  Sticky: a noisy
     * temporary stays noisy (the flow merges need no bookkeeping). */
    bool noisy[SD_TEMPS], op_noisy;
    int last;       /* the temporary written last, -1 before */
    bool flow;      /* a flow-heavy shader: half its instructions are flow or predication */
    bool linear[3]; /* the case's samplers' filters */
    bool vaL_live;  /* ps_3_0: v0[aL] reads v[aL_lo .. aL_hi] */
    ival vaL_v;
    bool vs1;                         /* vs_1_1: r0..r9 (r10, r11 are vs1_ports' scratch) */
    uint32_t wseq[SD_TEMPS], nwrites; /* when each temporary was written last */
} gen;

/* vs_1_1 has one read port for constants and one for inputs: an
 * instruction reads at most one c# (c[a0.x + n] counts as one) and one v#
 * (Microsoft's vs_1_1 registers page).  A second one of either is moved
 * into r10 or r11 first; `line` is rewritten to read the scratch. */
static void vs1_ports(gen *g, char *line, bool fixed)
{
    if (!strncmp(line, "def", 3) || !strncmp(line, "dcl", 3)) {
        return;
    }
    const char *p = strchr(line, ',');
    if (!p) {
        return;
    }
    char out[SD_LINE], first[2][24] = {"", ""};
    size_t n = (size_t)(p - line);
    memcpy(out, line, n);
    out[n] = '\0';
    uint32_t scratch = 10;
    while (*p == ',') {
        p++;
        const char *q = p;
        while (*q == ' ' || *q == '-') {
            q++;
        }
        size_t pre = (size_t)(q - p), len = 0;
        /* the register: a letter, digits, and an index in brackets */
        if (*q == 'c' || *q == 'v') {
            len = 1;
            while (q[len] >= '0' && q[len] <= '9') {
                len++;
            }
            if (q[len] == '[') {
                while (q[len] && q[len] != ']') {
                    len++;
                }
                len += q[len] == ']';
            }
        }
        const char *e = strchr(q, ',');
        size_t rest = e ? (size_t)(e - q) : strlen(q);
        char reg[24] = "";
        if (len && len < sizeof(reg)) {
            memcpy(reg, q, len);
            reg[len] = '\0';
        }
        int f = *q == 'c' ? 0 : 1;
        bool move = false;
        if (reg[0]) {
            if (!first[f][0]) {
                snprintf(first[f], sizeof(first[f]), "%s", reg);
            } else if (strcmp(first[f], reg) != 0 && scratch <= 11) {
                move = true;
            }
        }
        size_t o = strlen(out);
        if (move) {
            if (g->ncode < SD_LINES) {
                snprintf(g->code[g->ncode], SD_LINE, "mov r%u, %s", scratch, reg);
                g->code_fixed[g->ncode++] = fixed;
            }
            snprintf(out + o, sizeof(out) - o, ",%.*sr%u%.*s", (int)pre, p, scratch,
                     (int)(rest - len), q + len);
            scratch++;
        } else {
            snprintf(out + o, sizeof(out) - o, ",%.*s%.*s", (int)pre, p, (int)rest, q);
        }
        p = q + rest;
    }
    snprintf(line, SD_LINE, "%s", out);
}

static void emit(gen *g, bool fixed, const char *fmt, ...)
{
    if (g->ncode + (g->vs1 ? 3u : 1u) > SD_LINES) {
        return;
    }
    char line[SD_LINE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, SD_LINE, fmt, ap);
    va_end(ap);
    if (g->vs1) {
        vs1_ports(g, line, fixed);
    }
    memcpy(g->code[g->ncode], line, SD_LINE);
    g->code_fixed[g->ncode++] = fixed;
}

static void head(gen *g, const char *fmt, ...)
{
    if (g->nhead >= SD_LINES) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->head[g->nhead++], SD_LINE, fmt, ap);
    va_end(ap);
}

/* A new float constant register holding v: a def (60%), or a
 * SET_SHADER_CONST (40%); a sixth of the defs also get a different value
 * SET, which the def must override while the shader is bound.  -1 when
 * the model's constants are used up. */
static int new_const(gen *g, const float v[4])
{
    if (g->nconst >= g->cmax || g->sh->nsets + 1 >= SD_SETS) {
        return -1;
    }
    uint32_t k = g->nconst++;
    g->c[k] = iv(fminf(fminf(v[0], v[1]), fminf(v[2], v[3])),
                 fmaxf(fmaxf(v[0], v[1]), fmaxf(v[2], v[3])));
    bool def = rp(g->r, 60);
    if (def) {
        head(g, "def c%u, %.9g, %.9g, %.9g, %.9g", k, (double)v[0], (double)v[1], (double)v[2],
             (double)v[3]);
    }
    if (!def || rp(g->r, 17)) {
        sd_set *s = &g->sh->set[g->sh->nsets++];
        s->reg = k;
        s->kind = VGT_SVGA3D_CONST_TYPE_FLOAT;
        for (int i = 0; i < 4; i++) {
            s->f[i] = def ? v[i] + 3.0f : v[i];
        }
    }
    return (int)k;
}

/* A new bool constant register, random, by defb or SET (half each). */
static uint32_t new_bool(gen *g)
{
    uint32_t k = g->nbool++;
    bool v = rp(g->r, 50);
    if (rp(g->r, 50) || g->sh->nsets + 1 >= SD_SETS) {
        head(g, "defb b%u, %s", k, v ? "true" : "false");
    } else {
        sd_set *s = &g->sh->set[g->sh->nsets++];
        s->reg = k;
        s->kind = VGT_SVGA3D_CONST_TYPE_BOOL;
        s->i[0] = v;
    }
    return k;
}

static int rand_const(gen *g)
{
    float v[4];
    for (int i = 0; i < 4; i++) {
        v[i] = rf(g->r, -2.0f, 2.0f);
    }
    return new_const(g, v);
}

/* Constant (scale, offset, 0, 0): for gen_condition and the output map. */
static int const2(gen *g, float a, float b)
{
    float v[4] = {a, b, 0.0f, 0.0f};
    return new_const(g, v);
}

static const char xyzw[] = "xyzw";

/* A swizzle suffix: ps_2_0 knows the identity, the replicates and
 * .yzxw/.zxyw/.wzyx (arbitrary swizzles are a ps_2_x cap); other models
 * any. */
static void swizzle(gen *g, char *out, unsigned flags, bool xy)
{
    uint32_t n = xy ? 2 : 4;
    if (flags & S_IDENT) {
        out[0] = '\0';
        if (xy) {
            strcpy(out, ".xyxy");
        }
        return;
    }
    if (flags & S_REPL) {
        snprintf(out, 4, ".%c", xyzw[rn(g->r, n)]);
        return;
    }
    if (g->ps && g->sm == 2 && !xy) {
        static const char *const ps20[] = {"",   "",   "",      ".x",    ".y",
                                           ".z", ".w", ".yzxw", ".zxyw", ".wzyx"};
        strcpy(out, ps20[rn(g->r, 10)]);
        return;
    }
    if (!xy && rp(g->r, 30)) {
        out[0] = '\0';
        return;
    }
    out[0] = '.';
    for (int i = 0; i < 4; i++) {
        out[1 + i] = xyzw[rn(g->r, n)];
    }
    out[5] = '\0';
}

/* A random source operand out of the live temporaries, the inputs and the
 * constants (new or reused; c[a0.x + n] or c[aL + n] in a vertex shader
 * when an index is live), never temporary `avoid`. */
static opnd src(gen *g, unsigned flags, int avoid)
{
    opnd o = {.temp = -1};
    char reg[24], sw[8];
    bool xy = false;
    uint32_t live = 0;
    bool clean = (flags & S_CLEAN) != 0;
    for (uint32_t i = 0; i < SD_TEMPS; i++) {
        live += g->live[i] && (int)i != avoid && !(clean && g->noisy[i]);
    }
    uint32_t pick = rn(g->r, 100);
    /* vs_1_1 has no flow to make results live: 45% of its sources read
     * the temporary written last, and a quarter of the others c[a0.x]
     * while a0 holds an index (a backend mutation of expp, lit, dst or
     * a0's flooring otherwise reaches no output in CI's cases) */
    bool chain = g->vs1 && rp(g->r, 45);
    if (chain) {
        pick = 0;
    } else if (g->vs1 && g->a0_live && !(flags & S_NOCONST) && rp(g->r, 25)) {
        pick = 80;
    }
    /* inside a loop, a third of the sources index by aL */
    if (g->vaL_live && rp(g->r, 33)) {
        pick = 55;
    } else if (!g->ps && g->aL_live && !(flags & S_NOCONST) && rp(g->r, 33)) {
        pick = 90;
    }
    if (live && pick < 50) {
        uint32_t k = rn(g->r, live);
        /* a third of the time the temporary written last: random programs
         * otherwise leave most results dead (a loop's accumulator, a
         * predicated write) */
        int lw = g->last;
        if (lw >= 0 && g->live[lw] && lw != avoid && !(clean && g->noisy[lw]) &&
            (chain || rp(g->r, 33))) {
            k = 0;
            for (int i = 0; i < lw; i++) {
                k += g->live[i] && i != avoid && !(clean && g->noisy[i]);
            }
        }
        for (uint32_t i = 0; i < SD_TEMPS; i++) {
            if (g->live[i] && (int)i != avoid && !(clean && g->noisy[i]) && k-- == 0) {
                snprintf(reg, sizeof(reg), "r%u", i);
                o.v = g->t[i];
                o.temp = (int)i;
                g->op_noisy |= g->noisy[i];
                break;
            }
        }
    } else if (g->vaL_live && pick < 58) {
        snprintf(reg, sizeof(reg), "v0[aL]");
        o.v = g->vaL_v;
    } else if ((flags & S_NOCONST) || pick < 78) {
        const sd_in *in = &g->in[rn(g->r, g->nin)];
        for (uint32_t i = 0; clean && in->noisy && i < g->nin; i++) {
            in = &g->in[i];
        }
        snprintf(reg, sizeof(reg), "%s", in->name);
        o.v = in->v;
        xy = in->xy;
    } else if (!g->ps && g->a0_live && pick < 86) {
        snprintf(reg, sizeof(reg), "c%u[a0.x]", g->a0_base);
        o.v = g->c[g->a0_base];
        for (uint32_t i = 1; i < g->a0_count; i++) {
            o.v = iv_union(o.v, g->c[g->a0_base + i]);
        }
    } else if (!g->ps && g->aL_live && pick < 92) {
        snprintf(reg, sizeof(reg), "c%u[aL]", g->aL_base);
        o.v = g->aL_v;
    } else {
        int k = g->nconst && rp(g->r, 30) ? (int)rn(g->r, g->nconst) : rand_const(g);
        if (k < 0) {
            k = (int)rn(g->r, g->nconst ? g->nconst : 1);
            if (!g->nconst) { /* no constant at all: an input */
                const sd_in *in = &g->in[0];
                snprintf(reg, sizeof(reg), "%s", in->name);
                o.v = in->v;
                xy = in->xy;
                goto named;
            }
        }
        snprintf(reg, sizeof(reg), "c%d", k);
        o.v = g->c[k];
    }
named:
    swizzle(g, sw, flags, xy);
    const char *neg = "", *abs = "";
    if (!(flags & S_NOMOD)) {
        if (g->sm == 3 && rp(g->r, 15)) {
            abs = "_abs";
            o.v = iv_abs(o.v);
        }
        if (rp(g->r, 25)) {
            neg = "-";
            o.v = iv_neg(o.v);
        }
    }
    snprintf(o.s, sizeof(o.s), "%s%s%s%s", neg, reg, abs, sw);
    return o;
}

/* A destination temporary not read by the instruction (a, b, c: the
 * temporaries its sources read): a fresh one with a full mask (60%, and
 * always inside a loop body), or a live one with a random mask.  -1 when
 * none is free.  *mask gets the mask suffix. */
static int dst(gen *g, int a, int b, int c, char *mask, bool *full)
{
    int fresh = -1, old[SD_TEMPS];
    uint32_t nold = 0;
    for (int i = 0; i < (int)(g->vs1 ? SD_TEMPS - 2 : SD_TEMPS); i++) {
        if (i == a || i == b || i == c) {
            continue;
        }
        if (!g->live[i]) {
            if (fresh < 0) {
                fresh = i;
            }
        } else {
            old[nold++] = i;
        }
    }
    if (fresh >= 0 && (g->loop_fresh || !nold || rp(g->r, 60))) {
        mask[0] = '\0';
        *full = true;
        return fresh;
    }
    if (g->loop_fresh || !nold) {
        return -1;
    }
    uint32_t m = 1 + rn(g->r, 15);
    *full = m == 15;
    char *p = mask;
    if (!*full) {
        *p++ = '.';
        for (int i = 0; i < 4; i++) {
            if (m & (1u << i)) {
                *p++ = xyzw[i];
            }
        }
    }
    *p = '\0';
    return old[rn(g->r, nold)];
}

/* dst with a full mask (a fresh temporary or a live one overwritten):
 * what a conditioning mad or a texture coordinate needs. */
static int dst_full(gen *g, int a, int b, int c)
{
    char mask[8];
    bool full = false;
    for (int i = 0; i < 8; i++) {
        int d = dst(g, a, b, c, mask, &full);
        if (d < 0 || full) {
            return d;
        }
    }
    return -1;
}

static void set_dst(gen *g, int d, bool full, ival v)
{
    g->last = d;
    g->wseq[d] = ++g->nwrites;
    g->noisy[d] |= g->op_noisy;
    g->t[d] = full || !g->live[d] ? v : iv_union(g->t[d], v);
    g->live[d] = true;
}

/* crs and sincos write some components: a fresh destination gets all
 * four first (reading a component never written is undefined in
 * Direct3D 9). */
static void init_partial(gen *g, int d)
{
    if (!g->live[d]) {
        emit(g, false, "mov r%d, %s", d, g->in[0].name);
        g->t[d] = g->in[0].v;
        g->live[d] = true;
    }
}

/* A register whose interval grew past SD_BOUND is scaled back to 4: a
 * product of products otherwise reaches the range where a float's ulp is
 * a visible fraction of the colour map. */
static void rescale(gen *g, int d)
{
    float m = iv_mag(g->t[d]);
    if (m <= SD_BOUND) {
        return;
    }
    if (m > 1e30f) {
        /* FLT_MAX (rcp(0), rsq(0), log(0)) is clamped to [-4, 4], not
         * scaled: 4 / FLT_MAX is a denormal, and so are the register's
         * ordinary values scaled by 1e-36 and then by 4 / 340 (seed
         * 1230: 1.2e-38 as 0 on llvmpipe, which flushes denormals, and
         * kept by soft; frc of -1e-38 is 1, of 0 is 0; 39 pixels at delta
         * 141).  Direct3D 9 does not say whether a shader keeps
         * denormals; Direct3D 10 lets it flush them. */
        int kc = const2(g, -4.0f, 4.0f);
        if (kc < 0) {
            return;
        }
        emit(g, false, "max r%d, r%d, c%d.x", d, d, kc);
        emit(g, false, "min r%d, r%d, c%d.y", d, d, kc);
        g->t[d] = iv(fmaxf(g->t[d].lo, -4.0f), fminf(g->t[d].hi, 4.0f));
        return;
    }
    int k = const2(g, 4.0f / m, 0.0f);
    if (k < 0) {
        return;
    }
    emit(g, false, "mul r%d, r%d, c%d.x", d, d, k);
    g->t[d] = iv(g->t[d].lo * 4.0f / m, g->t[d].hi * 4.0f / m);
}

/* Maps source s into [a, b] with one mad into a fresh temporary (the
 * interval is the source's, so every component lands inside) and returns
 * that temporary as an operand with the swizzle the caller asks for.  The
 * ranges the callers ask for, and why:
 * - rcp [0.25, 8] or [-8, -0.25]: no division by near-zero (rcp(0) is
 *   FLT_MAX on both, and 1/x near 0 turns an ulp into any colour);
 * - rsq, log [0.25, 16] (either sign: both take |x|): away from 0, where
 *   rsq and log have no bound;
 * - exp [-4, 4]: 2^x in [1/16, 16];
 * - pow base [0.25, 4] (either sign), exponent [-2, 2]: |x|^y in
 *   [1/16, 16], away from pow's special cases at 0;
 * - sincos [-3.1, 3.1]: Direct3D 9 defines sincos on [-pi, pi] only;
 * - nrm [0.5, 2] (either sign): a length of at least 0.87, so 1/length
 *   is bounded;
 * - texldp's coordinates [0.5, 2] (either sign): w away from 0;
 * - mova [-0.4, n - 0.6]: an index inside the constants defined for it
 *   (out of range is undefined in Direct3D 9), never on a .5 tie. */
static bool gen_condition(gen *g, opnd *s, float a, float b, unsigned flags)
{
    ival v = s->v;
    float w = v.hi - v.lo;
    /* ends off the grid, a little inside: a source at its interval's end
     * (a constant, an interpolated constant) would land on exactly a or b,
     * 2.0 say, and an frc of it is a tie (seed 1657: 156 pixels at delta
     * 255, gl's interpolation of a constant 1 ulp off) */
    float margin = (b - a) * rf(g->r, 0.01f, 0.04f);
    a += margin;
    b -= margin;
    float scale = w > 1e-6f ? (b - a) / w : 0.0f;
    float off = w > 1e-6f ? a - v.lo * scale : 0.5f * (a + b);
    int d = dst_full(g, s->temp, -1, -1);
    if (d < 0) {
        return false;
    }
    int k = const2(g, scale, off);
    if (k < 0) {
        return false;
    }
    emit(g, false, "mad r%d, %s, c%d.x, c%d.y", d, s->s, k, k);
    set_dst(g, d, true, iv(a, b));
    char sw[8];
    swizzle(g, sw, flags, false);
    snprintf(s->s, sizeof(s->s), "r%d%s", d, sw);
    s->v = iv(a, b);
    s->temp = d;
    return true;
}

/* One source mapped into [a, b] (or [-b, -a] when `sign` and a coin say). */
static bool cond_src(gen *g, opnd *o, float a, float b, bool sign, unsigned flags)
{
    /* clean: the map multiplies a noisy register's error by its scale,
     * and rcp, exp, pow, sincos are steep (seed 781: a LINEAR cube texel
     * mapped onto sincos's [-3.1, 3.1], 7 pixels at delta 4) */
    *o = src(g, S_CLEAN, -1);
    flags &= ~(unsigned)S_CLEAN;
    if (sign && rp(g->r, 35)) {
        return gen_condition(g, o, -b, -a, flags);
    }
    return gen_condition(g, o, a, b, flags);
}

static void gen_op(gen *g);

/* Texture instructions (pixel shaders): texld, texldp, texldb (ps_2_0 and
 * ps_3_0), texldl and texldd (ps_3_0) on s0 (2D), s1 (cube) or s2
 * (volume).  With mips on (ps_3_0 only) texldl alone, with an integer
 * level in w: an implicit level of detail is a derivative's log2, which
 * llvmpipe approximates (docs/gl.md "Differential test"); without mips the
 * level only chooses between MIN and MAG, which are the same filter. */
static void gen_tex(gen *g)
{
    if (g->ntex >= 3) { /* ps_2_0: 4 levels of dependent reads at most */
        return;
    }
    uint32_t s = rn(g->r, 3);
    g->op_noisy = false;
    /* clean coordinates for every lookup: NEAREST and the cube's face
     * choice are steps, and LINEAR between texels of this random texture
     * (neighbours up to 255 apart) multiplies a coordinate's error by
     * the texture's size times 255 (seed 1092: a linear texldb's sum as
     * a volume coordinate, 28 pixels at delta 8) */
    unsigned clean = S_CLEAN;
    static const char *const ops[] = {"texld", "texldp", "texldb", "texldl", "texldd"};
    uint32_t op = g->mips ? 3 : rn(g->r, g->sm == 3 ? 5 : 3);
    unsigned flags = S_NOMOD | S_NOCONST | (g->sm == 2 ? S_IDENT : 0);
    opnd co;
    if (op == 1) {
        if (!cond_src(g, &co, 0.5f, 2.0f, true, (flags & S_IDENT) | clean)) {
            return;
        }
    } else {
        co = src(g, flags | clean, -1);
        if (iv_mag(co.v) > 4.0f && !gen_condition(g, &co, -3.0f, 3.0f, flags & S_IDENT)) {
            /* wrapped coordinates far from 0 lose the bits that pick a texel */
            return;
        }
    }
    {
        /* Every coordinate goes through a mad with its own scale and offset
         * per component, off the binary grid (rf): a coordinate exactly on
         * a texel edge is a tie of NEAREST (seed 688: the position's z,
         * 0.5, as v, on an edge of the 8-texel texture; 1 pixel under
         * CLAMP, 71 under MIRROR), and a cube direction whose largest
         * components are equal is a tie of the face choice (Direct3D 9 and
         * GL leave it open; seed 34: r.yyyx.zxyy is (y, y, y)); swizzles
         * and exact results (slt, sge, vPos, constants) make both on whole
         * triangles, the mad leaves them on lines at most.  w keeps
         * texldp's conditioned divisor. */
        float sc[4], of[4] = {0, 0, 0, 0};
        for (int i = 0; i < 3; i++) {
            sc[i] = (rp(g->r, 50) ? 1.0f : -1.0f) * rf(g->r, 0.5f, 2.0f);
            of[i] = rf(g->r, -1.0f, 1.0f);
        }
        sc[3] = 1.0f;
        int d = dst_full(g, co.temp, -1, -1);
        int ks = new_const(g, sc), ko = new_const(g, of);
        if (d < 0 || ks < 0 || ko < 0) {
            return;
        }
        emit(g, false, "mad r%d, %s, c%d, c%d", d, co.s, ks, ko);
        set_dst(g, d, true, iv_add(iv_mul(co.v, iv(-2.01f, 2.01f)), iv(-1.01f, 1.01f)));
        snprintf(co.s, sizeof(co.s), "r%d", d);
        co.temp = d;
    }
    if (op == 3) {
        /* the level: an integer 0..3 in w (exact on both) */
        int d = dst_full(g, co.temp, -1, -1);
        float lv[4] = {0, 0, 0, (float)rn(g->r, 4)};
        int k = new_const(g, lv);
        if (d < 0 || k < 0) {
            return;
        }
        emit(g, false, "mov r%d, %s", d, co.s);
        emit(g, false, "mov r%d.w, c%d.w", d, k);
        set_dst(g, d, true, iv_union(co.v, iv(0, 3)));
        snprintf(co.s, sizeof(co.s), "r%d", d);
        co.temp = d;
    }
    char extra[96] = "";
    int gt[2] = {-1, -1};
    if (op == 4) {
        opnd a = src(g, 0, -1), b = src(g, 0, -1);
        snprintf(extra, sizeof(extra), ", %s, %s", a.s, b.s);
        gt[0] = a.temp;
        gt[1] = b.temp;
    }
    char mask[8];
    bool full;
    /* ps_2_0 texld writes all four components */
    int d = g->sm == 2 ? dst_full(g, co.temp, gt[0], gt[1])
                       : dst(g, co.temp, gt[0], gt[1], mask, &full);
    if (d < 0) {
        return;
    }
    if (g->sm == 2) {
        mask[0] = '\0';
        full = true;
    }
    emit(g, false, "%s r%d%s, %s, s%u%s", ops[op], d, mask, co.s, s, extra);
    g->op_noisy |= g->linear[s];
    g->samplers[s] = true;
    g->ntex++;
    set_dst(g, d, full, iv(0, 1));
}

/* Structured flow (sm 3 and vs_2_0's static flow): if/else/endif on a
 * comparison (sm 3) or a bool constant, rep and loop on an integer
 * constant (1..3 iterations), break_comp inside them (sm 3).  Intervals:
 * after an if, a temporary live before keeps the union of what each path
 * leaves in it; a temporary first written inside is dead after it.  A loop
 * body writes only fresh temporaries, which are dead after it, and adds
 * one of them to a temporary live before (the accumulator, whose interval
 * grows by count times the addend's). */
static void gen_flow(gen *g)
{
    bool cmp_ok = g->sm == 3;
    uint32_t kind = rn(g->r, 10); /* 0-1 if_comp, 2-3 if b, 4-5 rep, 6-9 loop */
    kind = kind < 2 ? 0 : kind < 4 ? 1 : kind < 6 ? 2 : 3;
    if (kind == 0 && !cmp_ok) {
        kind = 1;
    }
    if ((kind >= 2 && g->in_loop) || g->depth >= 2) {
        return;
    }
    if (kind <= 1) {
        if (kind == 0) {
            static const char *const cmp[] = {"gt", "lt", "ge", "le", "eq", "ne"};
            opnd a = src(g, S_REPL | S_CLEAN, -1), b = src(g, S_REPL | S_CLEAN, -1);
            emit(g, false, "if_%s %s, %s", cmp[rn(g->r, 6)], a.s, b.s);
        } else {
            if (g->nbool >= 16) {
                return;
            }
            emit(g, false, "if b%u", new_bool(g));
        }
        bool live0[SD_TEMPS], live1[SD_TEMPS];
        ival t0[SD_TEMPS], t1[SD_TEMPS];
        memcpy(live0, g->live, sizeof(live0));
        memcpy(t0, g->t, sizeof(t0));
        g->depth++;
        for (uint32_t n = 1 + rn(g->r, 3); n; n--) {
            gen_op(g);
        }
        memcpy(live1, g->live, sizeof(live1));
        memcpy(t1, g->t, sizeof(t1));
        memcpy(g->live, live0, sizeof(live0));
        memcpy(g->t, t0, sizeof(t0));
        if (rp(g->r, 50)) {
            emit(g, false, "else");
            for (uint32_t n = 1 + rn(g->r, 3); n; n--) {
                gen_op(g);
            }
        }
        g->depth--;
        emit(g, false, "endif");
        for (uint32_t i = 0; i < SD_TEMPS; i++) {
            if (live0[i]) {
                g->t[i] = iv_union(
                    t0[i], iv_union(live1[i] ? t1[i] : t0[i], g->live[i] ? g->t[i] : t0[i]));
            }
            g->live[i] = live0[i];
        }
        return;
    }
    /* the accumulator: a live temporary */
    int acc = -1;
    for (uint32_t i = 0, k = rn(g->r, SD_TEMPS); i < SD_TEMPS; i++) {
        if (g->live[(i + k) % SD_TEMPS]) {
            acc = (int)((i + k) % SD_TEMPS);
            break;
        }
    }
    if (acc < 0 || g->nint >= 16) {
        return;
    }
    uint32_t k = g->nint++;
    /* mostly 2 or 3 iterations with a step of 2: a loop whose aL does
     * not move cannot tell a wrong step or start */
    int32_t count = rp(g->r, 20) ? 1 : 2 + (int32_t)rn(g->r, 2), start = (int32_t)rn(g->r, 3),
            step = rp(g->r, 35) ? 1 : 2;
    if (rp(g->r, 50) || g->sh->nsets + 1 >= SD_SETS) {
        head(g, "defi i%u, %d, %d, %d, 0", k, count, start, step);
    } else {
        sd_set *s = &g->sh->set[g->sh->nsets++];
        s->reg = k;
        s->kind = VGT_SVGA3D_CONST_TYPE_INT;
        s->i[0] = count;
        s->i[1] = start;
        s->i[2] = step;
    }
    bool loop = kind == 3;
    bool aL_was = g->aL_live;
    if (loop) {
        emit(g, false, "loop aL, i%u", k);
        if (g->ps) {
            /* v0[aL] for aL = start .. start + (count - 1) step inside the
             * declared inputs v0 .. v4 */
            int32_t top = start + (count - 1) * step;
            if (top <= 4) {
                g->vaL_live = true;
                g->vaL_v = g->in[start].v;
                for (int32_t i = start; i <= top; i++) {
                    g->vaL_v = iv_union(g->vaL_v, g->in[i].v);
                }
            }
        } else {
            /* c[aL + base] for aL = start .. start + (count - 1) step: all defined */
            uint32_t top = (uint32_t)(start + (count - 1) * step);
            if (g->nconst + top + 1 <= g->cmax && g->sh->nsets + top + 2 < SD_SETS) {
                uint32_t base = g->nconst;
                ival all = iv(0, 0);
                for (uint32_t i = 0; i <= top; i++) {
                    int c = rand_const(g);
                    all = i ? iv_union(all, g->c[c]) : g->c[c];
                }
                g->aL_live = true;
                g->aL_base = base;
                g->aL_v = all;
            }
        }
    } else {
        emit(g, false, "rep i%u", k);
    }
    bool live0[SD_TEMPS];
    memcpy(live0, g->live, sizeof(live0));
    bool fresh_was = g->loop_fresh;
    g->loop_fresh = true;
    g->in_loop = true;
    g->depth++;
    for (uint32_t n = 1 + rn(g->r, 3); n; n--) {
        gen_op(g);
        if (g->sm == 3 && g->p0_live && rp(g->r, 35)) {
            emit(g, false, "breakp %sp0.%c", rp(g->r, 30) ? "!" : "", xyzw[rn(g->r, 4)]);
        } else if (g->sm == 3 && rp(g->r, 20)) {
            static const char *const cmp[] = {"gt", "lt", "ge", "le", "ne"};
            opnd a = src(g, S_REPL | S_CLEAN, -1), b = src(g, S_REPL | S_CLEAN, -1);
            emit(g, false, "break_%s %s, %s", cmp[rn(g->r, 5)], a.s, b.s);
        }
    }
    /* the addend: a temporary the body wrote */
    int add = -1;
    for (uint32_t i = 0; i < SD_TEMPS; i++) {
        if (g->live[i] && !live0[i]) {
            add = (int)i;
        }
    }
    if (g->last >= 0 && g->live[g->last] && !live0[g->last]) {
        add = g->last; /* the body's last result, which likely read aL */
    }
    if (add >= 0) {
        emit(g, false, "add r%d, r%d, r%d", acc, acc, add);
        g->last = acc;
        g->noisy[acc] |= g->noisy[add];
    }
    g->depth--;
    g->in_loop = false;
    g->loop_fresh = fresh_was;
    emit(g, false, loop ? "endloop" : "endrep");
    if (add >= 0) {
        ival a = g->t[add];
        g->t[acc] = iv(g->t[acc].lo + (float)count * fminf(a.lo, 0.0f),
                       g->t[acc].hi + (float)count * fmaxf(a.hi, 0.0f));
    }
    memcpy(g->live, live0, sizeof(live0));
    g->aL_live = aL_was;
    g->vaL_live = false;
    rescale(g, acc);
}

/* Predication (sm 3): setp_comp p0 at depth 0 outside loops, then
 * instructions under (p0.c) or (!p0.c) into a live temporary (the
 * components the predicate leaves keep their values: the interval is the
 * union). */
static void gen_pred(gen *g)
{
    g->op_noisy = false;
    static const char *const cmp[] = {"gt", "lt", "ge", "le", "eq", "ne"};
    if (!g->p0_live || (rp(g->r, 15) && g->depth == 0 && !g->in_loop && !g->in_sub)) {
        if (g->depth || g->in_loop || g->in_sub) {
            return;
        }
        opnd a = src(g, S_CLEAN, -1), b = src(g, S_CLEAN, -1);
        emit(g, false, "setp_%s p0, %s, %s", cmp[rn(g->r, 6)], a.s, b.s);
        g->p0_live = true;
        return;
    }
    if (g->in_loop) {
        return; /* a loop body writes fresh temporaries only */
    }
    static const char *const ops[] = {"add", "mul", "mov", "max"};
    uint32_t op = rn(g->r, 4);
    opnd a = src(g, 0, -1), b = src(g, 0, -1);
    int d = -1;
    for (uint32_t i = 0, k = rn(g->r, SD_TEMPS); i < SD_TEMPS; i++) {
        int j = (int)((i + k) % SD_TEMPS);
        if (g->live[j] && j != a.temp && j != b.temp) {
            d = j;
            break;
        }
    }
    if (d < 0) {
        return;
    }
    char pred[12];
    snprintf(pred, sizeof(pred), "(%sp0%s)", rp(g->r, 40) ? "!" : "",
             rp(g->r, 50) ? "" : (const char *[]){".x", ".y", ".z", ".w"}[rn(g->r, 4)]);
    ival r = op == 0   ? iv_add(a.v, b.v)
             : op == 1 ? iv_mul(a.v, b.v)
             : op == 2 ? a.v
                       : iv_union(a.v, b.v);
    if (op == 2) {
        emit(g, false, "%s mov r%d, %s", pred, d, a.s);
    } else {
        emit(g, false, "%s %s r%d, %s, %s", pred, ops[op], d, a.s, b.s);
    }
    g->t[d] = iv_union(g->t[d], r);
    g->noisy[d] |= g->op_noisy;
    g->last = d;
    rescale(g, d);
}

/* A subroutine (vs_2_0, vs_3_0, ps_3_0): its body is generated where the
 * call stands (the intervals are the call site's) and moved to a label
 * after the main program's ret; callnz on a bool constant merges like an
 * if without else.  No call inside a loop (aL) or another subroutine. */
static void gen_call(gen *g)
{
    if (g->in_sub || g->in_loop || g->depth || g->nlabels >= 4 || g->nbool >= 16) {
        return;
    }
    uint32_t k = g->nlabels++;
    bool nz = rp(g->r, 50);
    bool live0[SD_TEMPS];
    ival t0[SD_TEMPS];
    memcpy(live0, g->live, sizeof(live0));
    memcpy(t0, g->t, sizeof(t0));
    uint32_t start = g->ncode;
    g->in_sub = true;
    g->depth++;
    for (uint32_t n = 1 + rn(g->r, 3); n; n--) {
        gen_op(g);
    }
    g->depth--;
    g->in_sub = false;
    g->nsub[k] = 0;
    if (g->ncode - start > 48) {
        /* a body too long for its buffer: no call (and no body) at all */
        g->ncode = start;
        g->nlabels--;
        memcpy(g->live, live0, sizeof(live0));
        memcpy(g->t, t0, sizeof(t0));
        return;
    }
    for (uint32_t i = start; i < g->ncode; i++) {
        memcpy(g->sub[k][g->nsub[k]++], g->code[i], SD_LINE);
    }
    g->ncode = start;
    if (nz) {
        emit(g, false, "callnz l%u, b%u", k, new_bool(g));
        for (uint32_t i = 0; i < SD_TEMPS; i++) {
            if (live0[i] && g->live[i]) {
                g->t[i] = iv_union(g->t[i], t0[i]);
            }
            g->live[i] = live0[i];
        }
    } else {
        emit(g, false, "call l%u", k);
    }
}

/* One instruction (or a short sequence: a conditioning mad and its user). */
static void gen_op(gen *g)
{
    if (g->ncode + 40 >= SD_LINES) {
        return; /* room for the blocks still open and the outputs */
    }
    g->op_noisy = false;
    uint32_t pick = rn(g->r, 100);
    if (g->flow && rp(g->r, 50)) {
        /* a loop whose aL moves, a breakp or a predicate that changes a
         * result is rare among random instructions: these shaders make
         * them common (each such backend mutation fails the CI seeds) */
        pick = rp(g->r, 50) ? rn(g->r, 8) : 20 + rn(g->r, 7);
    }
    char mask[8];
    bool full;
    int d;
    opnd a, b, c;
    if (pick < 8 && !g->in_loop && (g->sm == 3 || !g->ps) && !g->vs1) {
        gen_flow(g);
        return;
    }
    if (pick < 20 && g->ps) {
        gen_tex(g);
        return;
    }
    if (pick >= 20 && pick < 27 && g->sm == 3) {
        gen_pred(g);
        return;
    }
    if (pick >= 27 && pick < 30 && !(g->ps && g->sm == 2) && !g->vs1) {
        gen_call(g);
        return;
    }
    if (pick >= 30 && pick < 34 && g->ps) {
        if (rp(g->r, 40)) {
            /* texkill: the pixel goes when a component of xyzw is < 0 */
            opnd k = src(g, S_IDENT | S_NOMOD | S_NOCONST | S_CLEAN, -1);
            if (k.temp >= 0 || g->sm == 2) {
                emit(g, false, "texkill %s", k.temp >= 0 ? k.s : "t0");
            }
            return;
        }
        if (g->sm == 3) {
            /* dsx/dsy of an input: the plane's gradient (an input is
             * linear across the triangle, so both backends' quad
             * differences are the same up to rounding) */
            const sd_in *in = &g->in[rn(g->r, g->nin)];
            d = dst(g, -1, -1, -1, mask, &full);
            if (d < 0) {
                return;
            }
            float w = 4.0f * (in->v.hi - in->v.lo);
            char sw[8];
            swizzle(g, sw, 0, in->xy);
            emit(g, false, "%s r%d%s, %s%s", rp(g->r, 50) ? "dsx" : "dsy", d, mask, in->name, sw);
            set_dst(g, d, full, iv(-w, w));
            rescale(g, d);
        }
        return;
    }
    if (pick < 20 && !g->ps && !g->in_loop && g->depth == 0) {
        /* mova: c[a0.x + base] over 2..4 constants defined for it */
        uint32_t n = 2 + rn(g->r, 3);
        if (g->nconst + n > g->cmax || g->sh->nsets + n + 1 >= SD_SETS) {
            return;
        }
        uint32_t base = g->nconst;
        for (uint32_t i = 0; i < n; i++) {
            rand_const(g);
        }
        opnd s = src(g, S_REPL | S_CLEAN, -1);
        /* vs_1_1 has no mova: its mov to a0 floors (docs/soft.md) */
        if (!gen_condition(g, &s, g->vs1 ? 0.02f : -0.4f, (float)n - (g->vs1 ? 0.02f : 0.6f),
                           S_REPL)) {
            return;
        }
        emit(g, false, "%s a0.x, %s", g->vs1 ? "mov" : "mova", s.s);
        g->a0_live = true;
        g->a0_base = base;
        g->a0_count = n;
        return;
    }
    static const char *const two[] = {"add", "sub", "mul", "min", "max",
                                      "dp3", "dp4", "slt", "sge"};
    static const char *const one[] = {"mov", "frc", "abs"};
    static const char *const sca[] = {"rcp", "rsq", "exp", "log"};
    uint32_t kind = rn(g->r, 12);
    if (g->vs1 && (kind == 10 || rp(g->r, 55))) {
        /* vs_1_1's own (expp/logp, lit, the macros twice as often as
         * dst): 60% of its instructions, or a backend's mutation of one
         * of them reaches no output in CI's cases */
        static const uint32_t own[] = {6, 6, 7, 7, 8, 9, 9};
        kind = own[rn(g->r, 7)];
    }
    ival r;
    switch (kind) {
    case 0:
    case 1:
    case 2: { /* two sources */
        uint32_t op = rn(g->r, g->ps ? 7 : 9);
        unsigned cl = op >= 7 ? S_CLEAN : 0; /* slt, sge: steps */
        a = src(g, cl, -1);
        b = src(g, cl, -1);
        d = dst(g, a.temp, b.temp, -1, mask, &full);
        if (d < 0) {
            return;
        }
        ival p = iv_mul(a.v, b.v);
        r = op == 0              ? iv_add(a.v, b.v)
            : op == 1            ? iv_add(a.v, iv_neg(b.v))
            : op == 2            ? p
            : op == 3 || op == 4 ? iv_union(a.v, b.v)
            : op == 5            ? iv_add(p, iv_add(p, p))
            : op == 6            ? iv_add(iv_add(p, p), iv_add(p, p))
                                 : iv(0, 1);
        emit(g, false, "%s%s r%d%s, %s, %s", two[op], g->ps && rp(g->r, 25) ? "_sat" : "", d, mask,
             a.s, b.s);
        break;
    }
    case 3: /* one source */
    {
        uint32_t op = rn(g->r, 3);
        if (g->vs1 && op == 2) {
            op = 0; /* vs_1_1 has no abs */
        }
        a = src(g, op == 1 ? S_CLEAN : 0, -1); /* frc: a saw */
        d = dst(g, a.temp, -1, -1, mask, &full);
        if (d < 0) {
            return;
        }
        if (g->vs1 && op == 1) {
            /* vs_1_1's frc is a macro writing .y or .xy (Microsoft's frc
             * page) */
            snprintf(mask, 8, "%s", rp(g->r, 50) ? ".y" : ".xy");
            init_partial(g, d);
            full = false;
        }
        r = op == 0 ? a.v : op == 1 ? iv(0, 1) : iv_abs(a.v);
        emit(g, false, "%s r%d%s, %s", one[op], d, mask, a.s);
        break;
    }
    case 4:  /* mad, lrp */
    default: /* (mad again: the most common instruction of real shaders) */
    {
        bool lrp = kind == 4 && rp(g->r, 40) && !g->vs1; /* vs_1_1 has no lrp */
        a = src(g, 0, -1);
        b = src(g, 0, -1);
        c = src(g, 0, -1);
        d = dst(g, a.temp, b.temp, c.temp, mask, &full);
        if (d < 0) {
            return;
        }
        r = lrp ? iv_add(iv_mul(a.v, iv_add(b.v, iv_neg(c.v))), c.v)
                : iv_add(iv_mul(a.v, b.v), c.v);
        emit(g, false, "%s r%d%s, %s, %s, %s", lrp ? "lrp" : "mad", d, mask, a.s, b.s, c.s);
        break;
    }
    case 5: /* rcp rsq exp log */
    {
        uint32_t op = rn(g->r, 4);
        if (rp(g->r, 10)) {
            /* Direct3D 9's special values, which both backends document
             * alike: rcp(0) = rsq(0) = FLT_MAX, log(0) = -FLT_MAX, exp(0)
             * = 1, rcp(1) = rsq(1) = 1, log(1) = 0 (rescale brings FLT_MAX
             * back) */
            float z[4] = {0.0f, 1.0f, 0.0f, 1.0f};
            int k = new_const(g, z);
            d = dst(g, -1, -1, -1, mask, &full);
            if (k < 0 || d < 0) {
                return;
            }
            emit(g, false, "%s r%d%s, c%d.%c", sca[op], d, mask, k, xyzw[rn(g->r, 4)]);
            r = op == 2 ? iv(1.0f, 2.0f) : op == 3 ? iv(-FLT_MAX, 0.0f) : iv(1.0f, FLT_MAX);
            break;
        }
        bool ok = op == 0   ? cond_src(g, &a, 0.25f, 8.0f, true, S_REPL)
                  : op == 2 ? cond_src(g, &a, -4.0f, 4.0f, false, S_REPL)
                            : cond_src(g, &a, 0.25f, 16.0f, true, S_REPL);
        if (!ok) {
            return;
        }
        d = dst(g, a.temp, -1, -1, mask, &full);
        if (d < 0) {
            return;
        }
        r = op == 0   ? iv(-4.0f, 4.0f)
            : op == 1 ? iv(0.25f, 2.0f)
            : op == 2 ? iv(0.0625f, 16.0f)
                      : iv(-2.0f, 4.0f);
        emit(g, false, "%s r%d%s, %s", sca[op], d, mask, a.s);
        break;
    }
    case 6: /* pow; vs_1_1: expp, logp */
        if (g->vs1) {
            bool e = rp(g->r, 80);
            /* expp: (2^floor(x), x - floor(x), 2^x, 1) on [-1.5, 2.5]
             * (a narrower interval than exp's keeps a wrong component
             * visible through the output maps); logp is log (Microsoft's
             * expp and logp pages) */
            if (!(e ? cond_src(g, &a, -1.5f, 2.5f, false, S_REPL)
                    : cond_src(g, &a, 0.25f, 16.0f, true, S_REPL))) {
                return;
            }
            d = dst(g, a.temp, -1, -1, mask, &full);
            if (d < 0) {
                return;
            }
            r = e ? iv(0.0f, 5.66f) : iv(-2.0f, 4.0f);
            emit(g, false, "%s r%d%s, %s", e ? "expp" : "logp", d, mask, a.s);
            break;
        }
        if (!cond_src(g, &a, 0.25f, 4.0f, true, S_REPL) ||
            !cond_src(g, &b, -2.0f, 2.0f, false, S_REPL)) {
            return;
        }
        d = dst(g, a.temp, b.temp, -1, mask, &full);
        if (d < 0) {
            return;
        }
        r = iv(0.0625f, 16.0f);
        emit(g, false, "pow r%d%s, %s, %s", d, mask, a.s, b.s);
        break;
    case 7: /* sincos: .x cos, .y sin; vs_1_1: lit */
    {
        if (g->vs1) {
            /* lit: x, y and the power w in [0.25, 2] (y^w in [1/16, 4],
             * away from lit's steps at 0), or all negated (then (1, 0, 0,
             * 1)) */
            if (!cond_src(g, &a, 0.25f, 2.0f, false, S_IDENT)) {
                return;
            }
            d = dst(g, a.temp, -1, -1, mask, &full);
            if (d < 0) {
                return;
            }
            r = iv(0.0f, 4.0f);
            emit(g, false, "lit r%d%s, %s%s", d, mask, rp(g->r, 25) ? "-" : "", a.s);
            break;
        }
        if (!cond_src(g, &a, -3.1f, 3.1f, false, S_REPL)) {
            return;
        }
        d = dst(g, a.temp, -1, -1, mask, &full);
        if (d < 0) {
            return;
        }
        static const char *const m[] = {".x", ".y", ".xy"};
        const char *wm = m[rn(g->r, 3)];
        init_partial(g, d);
        if (g->sm == 2) {
            if (g->sincos_c < 0) {
                /* D3DSINCOSCONST1 and 2, which sm 2 sincos names (both
                 * backends ignore them) */
                float k1[4] = {-1.5500992e-006f, -2.1701389e-005f, 0.0026041667f, 0.00026041668f};
                float k2[4] = {-0.020833334f, -0.125f, 1.0f, 0.5f};
                if (g->nconst + 2 > g->cmax) {
                    return;
                }
                g->sincos_c = (int)g->nconst;
                g->nconst += 2;
                head(g, "def c%d, %.9g, %.9g, %.9g, %.9g", g->sincos_c, (double)k1[0],
                     (double)k1[1], (double)k1[2], (double)k1[3]);
                head(g, "def c%d, %.9g, %.9g, %.9g, %.9g", g->sincos_c + 1, (double)k2[0],
                     (double)k2[1], (double)k2[2], (double)k2[3]);
                g->c[g->sincos_c] = iv(-1, 1);
                g->c[g->sincos_c + 1] = iv(-1, 1);
            }
            emit(g, false, "sincos r%d%s, %s, c%d, c%d", d, wm, a.s, g->sincos_c, g->sincos_c + 1);
        } else {
            emit(g, false, "sincos r%d%s, %s", d, wm, a.s);
        }
        full = false;
        r = iv(-1, 1);
        break;
    }
    case 8: /* nrm; vs_1_1: dst */
        if (g->vs1) {
            a = src(g, 0, -1);
            b = src(g, 0, -1);
            d = dst(g, a.temp, b.temp, -1, mask, &full);
            if (d < 0) {
                return;
            }
            /* (1, a.y b.y, a.z, b.w) */
            r = iv_union(iv(1.0f, 1.0f), iv_union(iv_mul(a.v, b.v), iv_union(a.v, b.v)));
            emit(g, false, "dst r%d%s, %s, %s", d, mask, a.s, b.s);
            break;
        }
        if (!cond_src(g, &a, 0.5f, 2.0f, true, 0)) {
            return;
        }
        d = dst(g, a.temp, -1, -1, mask, &full);
        if (d < 0) {
            return;
        }
        r = iv(-2.31f, 2.31f);
        emit(g, false, "nrm r%d%s, %s", d, mask, a.s);
        break;
    case 9: /* crs: .xyz subsets, sources without swizzle; vs_1_1: m4x4 .. */
    {
        if (g->vs1) {
            /* the matrix macros: dp4 (m4x*) or dp3 (m3x*) of a register
             * with 4, 3 or 2 consecutive constant rows; the mask is the
             * macro's (Microsoft's m4x4 .. m3x2 pages) */
            static const char *const mm[] = {"m4x4", "m4x3", "m3x4", "m3x3", "m3x2"};
            static const char *const mk[] = {"", ".xyz", "", ".xyz", ".xy"};
            static const uint32_t rows[] = {4, 3, 4, 3, 2};
            uint32_t op = rn(g->r, 5);
            if (g->nconst + rows[op] > g->cmax || g->sh->nsets + rows[op] + 1 >= SD_SETS) {
                return;
            }
            if (!cond_src(g, &a, -2.0f, 2.0f, false, S_IDENT | S_NOMOD)) {
                return;
            }
            d = dst(g, a.temp, -1, -1, mask, &full);
            if (d < 0) {
                return;
            }
            int k0 = rand_const(g);
            ival row = g->c[k0];
            for (uint32_t i = 1; i < rows[op]; i++) {
                row = iv_union(row, g->c[rand_const(g)]);
            }
            ival p = iv_mul(a.v, row);
            r = iv_add(iv_add(p, p), op < 2 ? iv_add(p, p) : p);
            if (op == 1 || op >= 3) {
                init_partial(g, d);
            }
            full = op == 0 || op == 2;
            emit(g, false, "%s r%d%s, %s, c%d", mm[op], d, mk[op], a.s, k0);
            break;
        }
        a = src(g, S_IDENT, -1);
        b = src(g, S_IDENT, -1);
        d = dst(g, a.temp, b.temp, -1, mask, &full);
        if (d < 0) {
            return;
        }
        static const char *const m[] = {".x", ".y", ".z", ".xy", ".xz", ".yz", ".xyz"};
        ival p = iv_mul(a.v, b.v);
        init_partial(g, d);
        r = iv_add(p, iv_neg(p));
        emit(g, false, "crs r%d%s, %s, %s", d, m[rn(g->r, 7)], a.s, b.s);
        full = false;
        break;
    }
    case 10: /* ps: cmp, dp2add, cmp on vFace (ps_3_0) */
    {
        if (!g->ps) {
            return;
        }
        uint32_t op = rn(g->r, g->sm == 3 ? 3 : 2);
        a = src(g, op == 0 ? S_CLEAN : 0, -1); /* cmp's selector: a step */
        b = src(g, 0, -1);
        c = src(g, op == 1 ? S_REPL : 0, -1);
        d = dst(g, a.temp, b.temp, c.temp, mask, &full);
        if (d < 0) {
            return;
        }
        if (op == 1) {
            ival p = iv_mul(a.v, b.v);
            r = iv_add(iv_add(p, p), c.v);
            emit(g, false, "dp2add r%d%s, %s, %s, %s", d, mask, a.s, b.s, c.s);
        } else {
            r = iv_union(b.v, c.v);
            if (op == 2) {
                g->vface = true;
            }
            emit(g, false, "cmp r%d%s, %s, %s, %s", d, mask, op == 2 ? "vFace" : a.s, b.s, c.s);
        }
        break;
    }
    }
    set_dst(g, d, full, r);
    if (!g->in_loop || g->live[d]) {
        rescale(g, d);
    }
}

/* Maps register operand o (interval v) into [-0.2, 1.2], saturated.  No
 * steeper slope: a texel's 8 bits and llvmpipe's 8-bit filter weights are
 * 1/255 of the texture's range, and a slope of 8 made that a delta of 3
 * (seed 125, a linear texld straight to the colour). */
static void out_map(gen *g, int rd, const char *mask, opnd o)
{
    float w = o.v.hi - o.v.lo;
    float scale = w > 1e-6f ? 1.4f / w : 0.0f;
    float mid = 0.5f * (o.v.lo + o.v.hi);
    int k = const2(g, scale, 0.5f - mid * scale);
    if (k < 0) {
        k = const2(g, 0.0f, 0.5f);
        if (k < 0) {
            emit(g, true, "mov r%d%s, %s", rd, mask, o.s);
            return;
        }
    }
    emit(g, true, "mad%s r%d%s, %s, c%d.x, c%d.y", g->ps ? "_sat" : "", rd, mask, o.s, k, k);
}

static void finish(gen *g, sd_shader *sh, const char *version)
{
    sh->nlines = 0;
    snprintf(sh->line[sh->nlines].s, SD_LINE, "%s", version);
    sh->line[sh->nlines++].fixed = true;
    for (uint32_t i = 0; i < g->nhead && sh->nlines < SD_LINES; i++) {
        snprintf(sh->line[sh->nlines].s, SD_LINE, "%s", g->head[i]);
        sh->line[sh->nlines++].fixed = true;
    }
    for (uint32_t i = 0; i < g->ncode && sh->nlines < SD_LINES; i++) {
        snprintf(sh->line[sh->nlines].s, SD_LINE, "%s", g->code[i]);
        sh->line[sh->nlines++].fixed = g->code_fixed[i];
    }
    for (uint32_t k = 0; k < g->nlabels && sh->nlines + 3 + g->nsub[k] < SD_LINES; k++) {
        if (k == 0) {
            snprintf(sh->line[sh->nlines].s, SD_LINE, "ret");
            sh->line[sh->nlines++].fixed = true;
        }
        snprintf(sh->line[sh->nlines].s, SD_LINE, "label l%u", k);
        sh->line[sh->nlines++].fixed = true;
        for (uint32_t i = 0; i < g->nsub[k]; i++) {
            snprintf(sh->line[sh->nlines].s, SD_LINE, "%s", g->sub[k][i]);
            sh->line[sh->nlines++].fixed = false;
        }
        snprintf(sh->line[sh->nlines].s, SD_LINE, "ret");
        sh->line[sh->nlines++].fixed = true;
    }
}

static void gen_init(gen *g, rng *r, sd_shader *sh, bool ps, uint32_t sm)
{
    memset(g, 0, sizeof(*g));
    memset(sh, 0, sizeof(*sh));
    g->r = r;
    g->sh = sh;
    g->ps = ps;
    g->sm = sm;
    g->cmax = ps ? (sm == 2 ? 32 : 224) : 256;
    g->sincos_c = -1;
    g->last = -1;
}

/* The outputs a vertex shader hands on: COLOR0 and TEXCOORD0..3, whose
 * intervals become the pixel shader's inputs. */
#define SD_VARY 6u /* the sixth, COLOR1, from a vs_1_1 only */

/* Semantic packing (docs/shaders.md), sm 3 cases by seed % 4 (no draw of
 * the random stream, so the other cases are as before): the ps declares
 * TEXCOORD2 as v3.xy and TEXCOORD3 as v3.zw (v4 unused), the vs declares
 * them as o4.xy and o4.zw (o5 written, undeclared: the ps's TEXCOORD3
 * is o4.zw and its .xy reads 0), or both. */
#define SD_PACK_PS 1u
#define SD_PACK_VS 2u

static uint32_t nvary(const sd_case *c)
{
    /* the sixth: COLOR1 behind a vs_1_1, TEXCOORD4 (o6) in a wide o[aL] case */
    return c->vs1 || c->oal_wide ? SD_VARY : SD_VARY - 1;
}

/* Out-of-range relative addressing, as vgt defines it (docs/soft.md,
 * docs/gl.md: the index is clamped to the constant file, c0..c255 in a
 * vertex shader; Direct3D 9 leaves it undefined): a0.x is set from an
 * integer constant (mova, or vs_1_1's flooring mov: exact either way),
 * then `mov rD, c<n>[a0.x]` with a0.x + n in -21..-1 (reads c0) or in
 * 256..295 (reads c255, given here by def or SET); or, a third of the
 * time from vs_2_0 (vs_1_1 has no loop), `mov rD, c<n>[aL]` in a loop
 * whose last aL + n is past 255 (start 256 - n .. 285 - n, step 1) or
 * below 0 (n 0, start 0 or 1, step -1 or -2, three iterations).  a0 is
 * no longer the generator's index afterwards.  The temporary, -1 when no
 * constant or temporary was left. */
static int gen_oob(gen *g, char *line, size_t cap)
{
    if ((g->nconst == 0 && rand_const(g) < 0) || g->nconst > 250 || g->sh->nsets + 2 >= SD_SETS) {
        return -1;
    }
    bool past = rp(g->r, 50), loop = !g->vs1 && g->nint < 16 && rp(g->r, 33);
    int32_t n, a;
    if (loop) {
        n = past ? 200 + (int32_t)rn(g->r, 56) : 0;
        a = past ? 256 - n + (int32_t)rn(g->r, 30) : (int32_t)rn(g->r, 2);
    } else if (past) {
        n = 200 + (int32_t)rn(g->r, 56);
        a = 256 - n + (int32_t)rn(g->r, 40);
    } else {
        n = (int32_t)rn(g->r, 8);
        a = -(n + 1 + (int32_t)rn(g->r, 21));
    }
    ival v = g->c[0];
    if (past) {
        float c255[4];
        for (int i = 0; i < 4; i++) {
            c255[i] = rf(g->r, -2.0f, 2.0f);
        }
        v = iv(fminf(fminf(c255[0], c255[1]), fminf(c255[2], c255[3])),
               fmaxf(fmaxf(c255[0], c255[1]), fmaxf(c255[2], c255[3])));
        if (rp(g->r, 50)) {
            head(g, "def c255, %.9g, %.9g, %.9g, %.9g", (double)c255[0], (double)c255[1],
                 (double)c255[2], (double)c255[3]);
        } else {
            sd_set *s = &g->sh->set[g->sh->nsets++];
            s->reg = 255;
            s->kind = VGT_SVGA3D_CONST_TYPE_FLOAT;
            memcpy(s->f, c255, sizeof(s->f));
        }
    }
    if (loop) {
        int d = dst_full(g, -1, -1, -1);
        if (d < 0) {
            return -1;
        }
        uint32_t ki = g->nint++;
        if (past) {
            head(g, "defi i%u, %u, %d, 1, 0", ki, 1 + rn(g->r, 2), a);
        } else {
            head(g, "defi i%u, 3, %d, %d, 0", ki, a, -1 - (int32_t)rn(g->r, 2));
        }
        emit(g, true, "loop aL, i%u", ki);
        snprintf(line, cap, "mov r%d, c%d[aL]", d, n);
        emit(g, true, "%s", line);
        emit(g, true, "endloop");
        g->op_noisy = false;
        set_dst(g, d, true, v);
        g->noisy[d] = false;
        return d;
    }
    float av[4] = {(float)a, (float)a, (float)a, (float)a};
    int ka = new_const(g, av);
    int d = ka < 0 ? -1 : dst_full(g, -1, -1, -1);
    if (d < 0) {
        return -1;
    }
    emit(g, false, "%s a0.x, c%d.x", g->vs1 ? "mov" : "mova", ka);
    snprintf(line, cap, "mov r%d, c%d[a0.x]", d, n);
    emit(g, false, "%s", line);
    g->a0_live = false;
    g->op_noisy = false;
    set_dst(g, d, true, v);
    g->noisy[d] = false;
    return d;
}

static void gen_vs(rng *r, sd_case *c, ival *vary, bool *vnoisy)
{
    gen *g = calloc(1, sizeof(*g));
    assert_non_null(g);
    gen_init(g, r, &c->vs, false, c->sm);
    g->flow = c->flow;
    g->vs1 = c->vs1;
    static const char *const in_names[] = {"v0", "v1", "v2", "v3"};
    static const char *const dcls[] = {"dcl_position v0", "dcl_texcoord v1", "dcl_color v2",
                                       "dcl_normal v3"};
    /* vertex positions in [-2.4, 2.4] (gen_case: [-1.2, 1.2] times w in
     * [0.6, 1.9]), texture coordinates [-2, 2], colours [0, 1], normals
     * [-1, 1] (w 1) */
    const ival in_v[] = {iv(-2.4f, 2.4f), iv(-2.0f, 2.0f), iv(0, 1), iv(-1.0f, 1.0f)};
    /* The position is no source: its clip x and y are exactly 0 on the
     * centres of column and row SD_W / 2, where the interpolated value is
     * +-1 ulp, and a cmp on it picks either side (seed 771: a column of
     * 10 pixels at delta 123). */
    for (uint32_t i = 0; i < 4; i++) {
        head(g, "%s", dcls[i]);
        if (i) {
            snprintf(g->in[g->nin].name, sizeof(g->in[g->nin].name), "%s", in_names[i]);
            g->in[g->nin++].v = in_v[i];
        }
    }
    if (c->sm == 3) {
        head(g, "dcl_position o0");
        head(g, "dcl_color o1");
        for (uint32_t i = 0; i < 4; i++) {
            if ((c->pack & SD_PACK_VS) && i >= 2) {
                head(g, "dcl_texcoord%u o4.%s", i, i == 2 ? "xy" : "zw");
            } else {
                head(g, "dcl_texcoord%u o%u", i, i + 2);
            }
        }
        if (c->oal_wide) {
            head(g, "dcl_texcoord4 o6");
        }
        emit(g, true, "mov o0, v0");
    } else {
        emit(g, true, "mov oPos, v0");
    }
    for (uint32_t n = (c->vs1 ? 6 : 3) + rn(r, c->vs1 ? 8 : 10); n; n--) {
        gen_op(g);
    }
    int oob = -1;
    if (c->oob) {
        rng *keep = g->r;
        g->r = &c->f3;
        oob = gen_oob(g, c->oob_line, sizeof(c->oob_line));
        g->r = keep;
        c->oob = oob >= 0;
    }
    /* o[aL] (vs_3_0): a loop writes some of TEXCOORD0..3 (o2..o5) through
     * o[aL + 2], each with its own map c[aL + n]; aL runs start, start +
     * step, ... inside o2..o5 (out of range is undefined in Direct3D 9) */
    bool by_loop[SD_VARY] = {false};
    int32_t l_start = 0, l_step = 1, l_count = 0;
    /* the loop's o<base>[aL] writes o(base + aL), vary index base - 1 + aL */
    int32_t base = c->oal_wide ? 1 : 2;
    if (c->oal && !c->oal_wide && g->nint < 16) {
        l_step = rp(r, 60) ? 1 : 2;
        l_count = l_step == 1 ? 2 + (int32_t)rn(r, 3) : 2;
        l_start = (int32_t)rn(r, (uint32_t)(4 - (l_count - 1) * l_step));
    } else if (c->oal && g->nint < 16) {
        /* wide (its own stream): o1 (COLOR0) .. o6 (TEXCOORD4, declared
         * for it), the range holding o1 or o6; under packing o4 holds
         * TEXCOORD2 and 3, o5 is written and not declared */
        l_step = rp(&c->f3, 60) ? 1 : 2;
        l_count = l_step == 1 ? 2 + (int32_t)rn(&c->f3, 5) : 2 + (int32_t)rn(&c->f3, 2);
        l_start = rp(&c->f3, 50) ? 0 : 5 - (l_count - 1) * l_step;
        c->show = l_start == 0 ? 0 : 5;
    }
    for (int32_t k = 0; k < l_count; k++) {
        by_loop[base - 1 + l_start + k * l_step] = true;
    }
    /* the out-of-range read goes to TEXCOORD0 or 1 (unless a wide loop
     * took the shown output), which the pixel shader shows */
    int oob_out = -1;
    if (oob >= 0) {
        oob_out = 1 + (int)rn(&c->f3, 2);
        oob_out = by_loop[oob_out] ? (by_loop[3 - oob_out] ? -1 : 3 - oob_out) : oob_out;
        c->show = c->show < 0 ? oob_out : c->show;
    }
    /* the outputs: each a register, through a map half of the time */
    bool taken[SD_TEMPS] = {false};
    for (uint32_t i = 0; i < nvary(c); i++) {
        if (by_loop[i]) {
            continue;
        }
        opnd o = src(g, 0, -1);
        /* vs_1_1: the outputs read the temporaries written last, one
         * each (a random program leaves most results dead, and vs_1_1 has
         * no loop to gather them) */
        int late = -1;
        for (int k = 0; g->vs1 && k < (int)SD_TEMPS; k++) {
            if (g->live[k] && !taken[k] && (late < 0 || g->wseq[k] > g->wseq[late])) {
                late = k;
            }
        }
        if (late >= 0) {
            char sw[8];
            swizzle(g, sw, 0, false);
            taken[late] = true;
            snprintf(o.s, sizeof(o.s), "r%d%s", late, sw);
            o.v = g->t[late];
            o.temp = late;
        }
        if ((int)i == oob_out) {
            snprintf(o.s, sizeof(o.s), "r%d", oob);
            o.v = g->t[oob];
            o.temp = oob;
        }
        char name[16]; /* "oT" and any unsigned */
        if (c->sm == 3) {
            snprintf(name, sizeof(name), "o%u", i + 1);
        } else {
            snprintf(name, sizeof(name), i == 0 ? "oD0" : i == 5 ? "oD1" : "oT%u", i - 1);
        }
        /* Each output through an off-grid affine map: an exact value
         * (slt, sge, an integer) interpolated over a triangle is itself
         * +-1 ulp on gl, and a step of it (frc, cmp) is a tie (seed
         * 1657).  The colour goes into [0.03, 0.97] (off the grid) 70% of
         * the time; otherwise straight, clamped by vs < 3.0 to exactly 0
         * or 1 where it is outside, and the pixel shader's input is noisy
         * (no step reads it).  ps_1_x samples TEXCOORDn as it comes: the
         * map is what keeps its coordinates off texel edges (gen_tex). */
        bool straight = i == 0 && !c->ps1 && rp(r, 30);
        float sc[4], of[4];
        if (i == 0 || (i == 5 && c->sm == 2)) {
            float lo = rf(r, 0.03f, 0.1f), hi = rf(r, 0.9f, 0.97f);
            float w = o.v.hi - o.v.lo;
            for (int k = 0; k < 4; k++) {
                sc[k] = w > 1e-6f ? (hi - lo) / w : 0.0f;
                of[k] = w > 1e-6f ? lo - o.v.lo * sc[k] : 0.5f;
            }
            vary[i] = iv(lo, hi);
        } else {
            float m = fmaxf(1.0f, iv_mag(o.v));
            for (int k = 0; k < 4; k++) {
                sc[k] = (rp(r, 50) ? 1.0f : -1.0f) * rf(r, 0.5f, 2.0f) / m;
                of[k] = rf(r, -1.0f, 1.0f);
            }
            vary[i] = iv_add(iv_mul(o.v, iv(-2.01f / m, 2.01f / m)), iv(-1.01f, 1.01f));
        }
        int ks = straight ? -1 : new_const(g, sc), ko = straight ? -1 : new_const(g, of);
        if (ks >= 0 && ko >= 0) {
            emit(g, true, "mad %s, %s, c%d, c%d", name, o.s, ks, ko);
            continue;
        }
        emit(g, true, "mov %s, %s", name, o.s);
        vary[i] = o.v;
        vnoisy[i] = true;
        if (i == 0 && c->sm == 2) {
            /* vs < 3.0 clamps oD0 to [0, 1] (docs/soft.md, docs/gl.md) */
            vary[i] = iv(fmaxf(0.0f, fminf(o.v.lo, 1.0f)), fmaxf(0.0f, fminf(o.v.hi, 1.0f)));
        }
    }
    if (l_count) {
        /* one source, and a scale and an offset per output as above:
         * c[sc + aL] and c[of + aL] for aL = 0 .. top (all defined) */
        opnd o = src(g, 0, -1);
        int32_t top = l_start + (l_count - 1) * l_step;
        float m = fmaxf(1.0f, iv_mag(o.v));
        int sc = -1, of = -1;
        /* a wide loop's COLOR0 (aL 0) gets the colour map of the plain
         * outputs, its lo and hi drawn from f3 */
        rng *lr = c->oal_wide ? &c->f3 : r;
        float clo = rf(lr, 0.03f, 0.1f), chi = rf(lr, 0.9f, 0.97f), cw = o.v.hi - o.v.lo;
        for (int pass = 0; pass < 2; pass++) {
            for (int32_t k = 0; k <= top; k++) {
                float v[4];
                for (int j = 0; j < 4; j++) {
                    v[j] = pass ? rf(lr, -1.0f, 1.0f)
                                : (rp(lr, 50) ? 1.0f : -1.0f) * rf(lr, 0.5f, 2.0f) / m;
                    if (c->oal_wide && k == 0) {
                        float csc = cw > 1e-6f ? (chi - clo) / cw : 0.0f;
                        v[j] = pass ? (cw > 1e-6f ? clo - o.v.lo * csc : 0.5f) : csc;
                    }
                }
                int kc = new_const(g, v);
                if (k == 0) {
                    *(pass ? &of : &sc) = kc;
                }
                if (kc < 0) {
                    sc = -1;
                }
            }
        }
        uint32_t ki = g->nint++;
        head(g, "defi i%u, %d, %d, %d, 0", ki, l_count, l_start, l_step);
        if (sc >= 0 && of >= 0) {
            emit(g, true, "loop aL, i%u", ki);
            emit(g, true, "mad o%d[aL], %s, c%d[aL], c%d[aL]", base, o.s, sc, of);
            emit(g, true, "endloop");
            for (int32_t k = 0; k < l_count; k++) {
                int32_t vi = base - 1 + l_start + k * l_step;
                vary[vi] = vi == 0
                               ? iv(clo, chi)
                               : iv_add(iv_mul(o.v, iv(-2.01f / m, 2.01f / m)), iv(-1.01f, 1.01f));
            }
        } else {
            /* the constants ran out: the outputs written plainly */
            for (uint32_t i = 0; i < SD_VARY; i++) {
                if (by_loop[i]) {
                    emit(g, true, "mov o%u, %s", i + 1, o.s);
                    vary[i] = o.v;
                    vnoisy[i] = true;
                }
            }
        }
    }
    if (c->fog) {
        /* oFog: a register through a map onto [-0.3..-0.05, 1.05..1.3]
         * (both ends clamped away by the fog, docs/gl.md); drawn from f3 */
        rng *keep = g->r;
        g->r = &c->f3;
        opnd o = src(g, S_REPL, -1);
        float lo = rf(g->r, -0.3f, -0.05f), hi = rf(g->r, 1.05f, 1.3f), w = o.v.hi - o.v.lo;
        float sc = w > 1e-6f ? (hi - lo) / w : 0.0f;
        int k = const2(g, sc, w > 1e-6f ? lo - o.v.lo * sc : rf(g->r, 0.1f, 0.9f));
        if (k >= 0) {
            emit(g, true, "mad oFog, %s, c%d.x, c%d.y", o.s, k, k);
        } else {
            emit(g, true, "mov oFog, %s", o.s);
        }
        g->r = keep;
    }
    if (c->pts) {
        /* oPts (POINTSCALEENABLE off: the size as written, inside the
         * default POINTSIZEMIN/MAX): lo or lo + d pixels by a slt of a
         * register at an off-grid threshold inside its interval; drawn
         * from f3.  Not a continuous map: Direct3D 9's pixel centres are
         * at integers and the points' centres on the vertex grid's
         * quarters and eighths (x .25/.75, y .375/.625), so a size near
         * k + 0.5 or 2k +- 0.75 puts a square's edge on a centre, and
         * llvmpipe snaps edges to 1/256 pixel (seed 1741: a log-derived
         * size 4.7503 put an edge 0.00015 pixel past a row of centres,
         * soft drew the row, gl did not).  lo in [2.05, 2.15] and d in
         * 1..3 keep every edge 0.05 pixel or more off a centre. */
        rng *keep = g->r;
        g->r = &c->f3;
        opnd o = src(g, S_REPL, -1);
        float w = o.v.hi - o.v.lo;
        float thr = w > 1e-3f ? o.v.lo + w * rf(g->r, 0.3f, 0.7f) : o.v.lo - 1.0f;
        float kv[4] = {thr, (float)(1 + rn(g->r, 3)), rf(g->r, 2.05f, 2.15f), 0.0f};
        int k = new_const(g, kv);
        int t = k < 0 ? -1 : dst_full(g, o.temp, -1, -1);
        if (t >= 0) {
            emit(g, true, "slt r%d, %s, c%d.x", t, o.s, k);
            emit(g, true, "mad oPts, r%d.x, c%d.y, c%d.z", t, k, k);
        } else {
            c->pts = false;
        }
        g->r = keep;
    }
    finish(g, &c->vs, c->sm == 3 ? "vs_3_0" : c->vs1 ? "vs_1_1" : "vs_2_0");
    free(g);
}

static void gen_ps(rng *r, sd_case *c, const ival *vary, const bool *vnoisy)
{
    gen *g = calloc(1, sizeof(*g));
    assert_non_null(g);
    gen_init(g, r, &c->ps, true, c->sm);
    g->flow = c->flow;
    g->mips = c->mip != VGT_SVGA3D_TEX_FILTER_NONE;
    for (uint32_t k = 0; k < 3; k++) {
        g->linear[k] = c->filter[k] == VGT_SVGA3D_TEX_FILTER_LINEAR;
    }
    for (uint32_t i = 0; i < nvary(c); i++) {
        if (c->sm == 3 && c->pack && i >= 3 && i < 5) {
            /* TEXCOORD2/3 (vs registers o4, o5 unless packed there) */
            ival v =
                (c->pack & SD_PACK_VS) ? iv_union(vary[3], iv(0, 0)) : iv_union(vary[3], vary[4]);
            bool noisy = (c->pack & SD_PACK_VS) ? vnoisy[3] : vnoisy[3] || vnoisy[4];
            if (c->pack & SD_PACK_PS) {
                if (i == 3) {
                    sd_in *in = &g->in[g->nin++];
                    snprintf(in->name, sizeof(in->name), "v3");
                    in->v = (c->pack & SD_PACK_VS) ? vary[3] : v;
                    in->noisy = noisy;
                    head(g, "dcl_texcoord2 v3.xy");
                    head(g, "dcl_texcoord3 v3.zw");
                }
                continue;
            }
            sd_in *in = &g->in[g->nin++];
            snprintf(in->name, sizeof(in->name), "v%u", i);
            in->v = v;
            in->noisy = noisy;
            head(g, "dcl_texcoord%u v%u", i - 1, i);
            continue;
        }
        sd_in *in = &g->in[g->nin++];
        in->v = vary[i];
        in->noisy = vnoisy[i];
        if (c->sm == 3) {
            snprintf(in->name, sizeof(in->name), "v%u", i);
            head(g, i == 0 ? "dcl_color v0" : "dcl_texcoord%u v%u", i - 1, i);
        } else {
            snprintf(in->name, sizeof(in->name), i == 0 ? "v0" : i == 5 ? "v1" : "t%u", i - 1);
            head(g, i == 0 ? "dcl v0" : i == 5 ? "dcl v1" : "dcl t%u", i - 1);
        }
    }
    if (c->sm == 3 && rp(r, 50)) {
        /* vPos: integer pixel coordinates */
        sd_in *in = &g->in[g->nin++];
        snprintf(in->name, sizeof(in->name), "vPos");
        in->v = iv(0.0f, (float)SD_W);
        in->xy = true;
        g->vpos = true;
    }
    for (uint32_t n = 3 + rn(r, 12); n; n--) {
        gen_op(g);
    }
    /* the colour: one register through a saturated map, and half of the
     * time a second one into two channels */
    opnd o = src(g, 0, -1);
    if (c->vs1 && rp(r, 60)) {
        /* behind a vs_1_1, mostly one of its outputs as it comes: a
         * random pixel shader reads few of them, and a vs_1_1 mutation
         * (expp, lit, dst, the macros, a0's flooring) would not reach
         * the picture */
        const sd_in *in = &g->in[rn(r, nvary(c))];
        char sw[8];
        swizzle(g, sw, 0, false);
        snprintf(o.s, sizeof(o.s), "%s%s", in->name, sw);
        o.v = in->v;
        o.temp = -1;
    }
    char mask[8];
    bool full;
    int d = dst(g, o.temp, -1, -1, mask, &full);
    if (d < 0 || !full) {
        d = o.temp == 0 ? 1 : 0;
    }
    out_map(g, d, "", o);
    /* the vs output a third-round family wrote (c->show, gen_vs) always
     * reaches the picture, in .zw (a random pixel shader reads few of
     * its inputs); the stream r draws what it drew */
    const sd_in *shown = NULL;
    if (c->show >= 0) {
        char nm[8];
        snprintf(nm, sizeof(nm),
                 c->sm == 3     ? "v%d"
                 : c->show == 0 ? "v0"
                                : "t%d",
                 c->sm == 3 ? c->show : c->show - 1);
        for (uint32_t i = 0; i < g->nin; i++) {
            shown = strcmp(g->in[i].name, nm) ? shown : &g->in[i];
        }
    }
    bool second = rp(r, 50);
    if (second || shown) {
        opnd o2 = second ? src(g, 0, d) : (opnd){.temp = -1};
        if (second && c->vs1) {
            /* behind a vs_1_1: another of its outputs (above) */
            const sd_in *in = &g->in[rn(r, nvary(c))];
            char sw[8];
            swizzle(g, sw, 0, false);
            snprintf(o2.s, sizeof(o2.s), "%s%s", in->name, sw);
            o2.v = in->v;
            o2.temp = -1;
        }
        const char *m2 = second && rp(r, 50) ? ".zw" : ".xy";
        if (shown) {
            snprintf(o2.s, sizeof(o2.s), "%s", shown->name);
            o2.v = shown->v;
            o2.temp = -1;
            m2 = ".zw";
        }
        out_map(g, d, m2, o2);
    }
    emit(g, true, "mov oC0, r%d", d);
    /* several targets: oC1 .. oC(nrt - 1), each a register through the
     * colour map (r<d> again: oC0 has its value already) */
    for (uint32_t k = 1; k < c->nrt; k++) {
        opnd ok = src(g, 0, d);
        out_map(g, d, "", ok);
        emit(g, true, "mov oC%u, r%d", k, d);
    }
    if (c->odepth) {
        /* oDepth: a clean register (the z test is a step, gen's noisy)
         * mapped onto [0.05, 0.95] with ends off the grid; the depth
         * buffer is cleared to zclear in [0.3, 0.7], so the written depth
         * decides which pixels the z test keeps */
        opnd oz = src(g, S_CLEAN, d);
        float lo = rf(r, 0.05f, 0.1f), hi = rf(r, 0.9f, 0.95f);
        /* ... and then moved into the triangle's depth band: c<zreg>.x,
         * set before each triangle's draw (sd_draw), 0.03, 0.36 or 0.69
         * (+-0.02, gen_case), the mapped value in [0.011, 0.209].  The
         * bands keep the triangles' depths apart, so no z test compares
         * two equal depths: seed 1361's oDepth was |r8.x| of a nrm of a
         * vector whose .x and .y are equal, +-0.5 on every triangle up to
         * the rounding of the normalization, a tie between overlapping
         * triangles that the clean-register rule does not see. */
        int kb = g->nconst < g->cmax ? (int)g->nconst++ : -1;
        if (kb >= 0) {
            g->c[kb] = iv(0.01f, 0.71f);
            lo *= 0.22f;
            hi *= 0.22f;
            c->zreg = kb;
        }
        float w = oz.v.hi - oz.v.lo;
        float scale = w > 1e-6f ? (hi - lo) / w : 0.0f;
        int k = const2(g, scale, w > 1e-6f ? lo - oz.v.lo * scale : rf(r, lo, hi));
        if (k >= 0) {
            emit(g, true, "mad r%d, %s, c%d.x, c%d.y", d, oz.s, k, k);
            if (kb >= 0) {
                emit(g, true, "add r%d.x, r%d.x, c%d.x", d, d, kb);
            }
            emit(g, true, "mov oDepth, r%d.x", d);
        } else {
            emit(g, true, "mov oDepth, c0.x"); /* no constant left: c0 is defined */
        }
    }
    char dcl[3][32] = {"dcl_2d s0", "dcl_cube s1", "dcl_volume s2"};
    for (uint32_t s = 0; s < 3; s++) {
        if (g->samplers[s]) {
            head(g, "%s", dcl[s]);
        }
    }
    if (g->vpos) {
        head(g, "dcl vPos.xy");
    }
    if (g->vface) {
        head(g, "dcl vFace");
    }
    finish(g, &c->ps, c->sm == 3 ? "ps_3_0" : "ps_2_0");
    free(g);
}

/* A ps_1_1 .. ps_1_4 behind the vs_2_0 (its TEXCOORDn are off-grid
 * affine maps, gen_vs).  Everything is clamped to [-1, 1] (1_1-1_3) or
 * [-8, 8] (1_4) after every instruction (docs/soft.md, docs/gl.md), so no
 * interval is kept; constants stay in [-1, 1] (PixelShader1xMaxValue is
 * a device's cap, at least 1).  ps_1_1-1_3: tex t0-t2 (stages 0-2: 2D,
 * cube, volume) or texcoord t0-t3 first, then arithmetic on r0, r1 with
 * write masks .rgb / .a / all, co-issued .rgb + .a pairs, sources with
 * negate, 1-, _bias, _bx2 and the .a (1_1) or .a/.b (1_2+) replicate,
 * results with _x2, _x4, _d2 and _sat, cnd on r0.a; ps_1_4: texld r0-r2
 * (stage = register) or texcrd r3-r5 from t0-t3, then r0-r5 with any
 * mask, .r/.g/.b/.a replicates, _x2 sources, _x8 and _d8 too, cnd and cmp
 * on any source.  r0 is the colour. */
static void gen_ps1x(rng *r, sd_case *c)
{
    gen *g = calloc(1, sizeof(*g));
    assert_non_null(g);
    gen_init(g, r, &c->ps, true, 1);
    bool p14 = c->ps1 == 4;
    uint32_t ntemps = p14 ? 6 : 2;
    bool written[6] = {false}, twritten[4] = {false};
    /* constants c0..c7 */
    for (uint32_t k = 0; k < 8; k++) {
        float v[4];
        for (int i = 0; i < 4; i++) {
            v[i] = rf(r, -1.0f, 0.999f);
        }
        new_const(g, v);
    }
    /* texture reads and coordinates */
    for (uint32_t t = 0; t < 4; t++) {
        uint32_t what = rn(r, 3); /* 0 none, 1 sample, 2 coordinate */
        if (p14) {
            if (what == 1 && t < 3) {
                emit(g, false, "texld r%u, t%u", t, rn(r, 4));
                written[t] = true;
            } else if (what == 2) {
                emit(g, false, "texcrd r%u.rgb, t%u", 3 + t % 3, t);
                written[3 + t % 3] = true; /* .a: after the texture instructions */
            }
        } else if (what == 1 && t < 3) {
            emit(g, false, "tex t%u", t);
            twritten[t] = true;
        } else if (what == 2) {
            emit(g, false, "texcoord t%u", t);
            twritten[t] = true;
        }
    }
    /* texcrd wrote .rgb: give those registers an alpha before any read */
    for (uint32_t k = 3; p14 && k < 6; k++) {
        if (written[k]) {
            emit(g, false, "mov r%u.a, c%u", k, rn(r, 8));
        }
    }
    static const char *const rep13[] = {"", "", "", ".a", ".b"};
    static const char *const rep14[] = {"", "", "", ".r", ".g", ".b", ".a"};
    uint32_t nops = 2 + rn(r, 8);
    for (uint32_t ph = 0; ph < 1u + c->phase; ph++) {
        if (c->phase && ph == 0) {
            nops = 1 + nops / 3; /* phase 1's arithmetic: 1..3 instructions */
        }
        if (ph == 1) {
            /* Phase 2's dependent read (Direct3D 9's ps_1_4 phase): phase 1
             * ends computing a coordinate in rM, an affine map of a written
             * register or v0 by two constants (their components differ and
             * lie off the grid: no texel edge and no cube face tie on a whole
             * triangle), and phase 2 starts sampling stage N (0..2) at
             * rM.xyz, then perhaps stage N2 at t#. */
            uint32_t m = rn(r, 6), sr = rn(r, 6), n1 = rn(r, 3), n2 = rn(r, 4);
            char s0[8];
            if (written[sr] && sr != m) {
                snprintf(s0, sizeof(s0), "r%u", sr);
            } else {
                snprintf(s0, sizeof(s0), "v0");
            }
            emit(g, false, "mad r%u%s, %s, c%u, c%u", m, written[m] ? ".rgb" : "", s0, rn(r, 8),
                 rn(r, 8));
            written[m] = true;
            emit(g, true, "phase");
            if (n1 == m) {
                n1 = (n1 + 1) % 3;
            }
            emit(g, true, "texld r%u, r%u", n1, m);
            bool again[6] = {false};
            again[n1] = true;
            if (n2 < 3 && n2 != n1 && n2 != m && rp(r, 50)) {
                emit(g, false, "texld r%u, t%u", n2, rn(r, 4));
                again[n2] = true;
            } else if (n2 < 3 && rp(r, 30)) {
                /* a second dependent read of the same coordinate */
                uint32_t n3 = (n1 + 1 + rn(r, 2)) % 3;
                if (n3 != m) {
                    emit(g, false, "texld r%u, r%u", n3, m);
                    again[n3] = true;
                }
            }
            /* the alpha of a temporary does not persist across the phase
             * (Microsoft's phase page): every one phase 2 reads gets an alpha
             * again, after phase 2's texture instructions */
            for (uint32_t k = 0; k < 6; k++) {
                if (written[k] && !again[k]) {
                    emit(g, false, "mov r%u.a, c%u", k, rn(r, 8));
                }
                written[k] |= again[k];
            }
            nops = 2 + rn(r, 6);
        }
        for (uint32_t n = 0; n < nops; n++) {
            /* a source: a written temporary, a written t# (1_1-1_3), v0, c# */
            char srcs[3][24];
            int reads[3] = {-1, -1, -1};
            for (int k = 0; k < 3; k++) {
                char reg[8];
                uint32_t pick = rn(r, 10);
                int tr = (int)rn(r, ntemps), tt = (int)rn(r, 4);
                if (pick < 4 && written[tr]) {
                    snprintf(reg, sizeof(reg), "r%d", tr);
                    reads[k] = tr;
                } else if (pick < 6 && !p14 && twritten[tt]) {
                    snprintf(reg, sizeof(reg), "t%d", tt);
                } else if (pick < 8) {
                    snprintf(reg, sizeof(reg), "v0");
                } else {
                    snprintf(reg, sizeof(reg), "c%u", rn(r, 8));
                }
                uint32_t m = rn(r, 10);
                const char *pre = m == 0 ? "-" : m == 1 ? "1-" : "";
                const char *suf = m == 2 ? "_bias" : m == 3 ? "_bx2" : m == 4 && p14 ? "_x2" : "";
                if (m == 5 || m == 6) {
                    pre = "-";
                    suf = m == 5 ? "_bx2" : "_bias";
                }
                const char *sw = p14 ? rep14[rn(r, 7)] : rep13[rn(r, c->ps1 == 1 ? 4 : 5)];
                snprintf(srcs[k], sizeof(srcs[k]), "%s%s%s%s", pre, reg, suf, sw);
            }
            static const char *const shifts13[] = {"", "", "", "_x2", "_x4", "_d2"};
            static const char *const shifts14[] = {"", "", "", "_x2", "_x4", "_x8", "_d2", "_d8"};
            const char *shift = p14 ? shifts14[rn(r, 8)] : shifts13[rn(r, 6)];
            const char *sat = rp(r, 25) ? "_sat" : "";
            uint32_t d = rn(r, ntemps);
            if (reads[0] == (int)d || reads[1] == (int)d || reads[2] == (int)d) {
                d = (d + 1) % ntemps;
                if (reads[0] == (int)d || reads[1] == (int)d || reads[2] == (int)d) {
                    continue;
                }
            }
            /* masks: a temporary is written whole first (its other
             * components would read 0 on one backend and whatever on a
             * device) */
            static const char *const m13[] = {"", ".rgb", ".a"};
            static const char *const m14[] = {"", ".r", ".g", ".rg", ".rgb", ".a", ".rb", ".ga"};
            const char *mask = !written[d] ? "" : p14 ? m14[rn(r, 8)] : m13[rn(r, 3)];
            uint32_t op = rn(r, 10);
            static const char *const two[] = {"add", "sub", "mul", "dp3", "dp4"};
            char line[SD_LINE];
            if (op < 4) {
                uint32_t o = rn(r, c->ps1 >= 2 ? 5 : 4);
                if (o >= 3 && !p14 && !strcmp(mask, ".a")) {
                    o = 0; /* dp3/dp4 into .a alone is a co-issue matter in 1_1-1_3 */
                }
                snprintf(line, sizeof(line), "%s%s%s r%u%s, %s, %s", two[o], shift, sat, d, mask,
                         srcs[0], srcs[1]);
            } else if (op < 6) {
                snprintf(line, sizeof(line), "%s%s%s r%u%s, %s, %s, %s", op == 4 ? "mad" : "lrp",
                         shift, sat, d, mask, srcs[0], srcs[1], srcs[2]);
            } else if (op < 8) {
                bool cnd = op == 6 || c->ps1 == 1;
                if (cnd && !p14) {
                    /* 1_1-1_3 cnd reads r0.a */
                    if (!written[0] || d == 0) {
                        continue;
                    }
                    snprintf(line, sizeof(line), "cnd%s%s r%u%s, r0.a, %s, %s", shift, sat, d, mask,
                             srcs[1], srcs[2]);
                } else {
                    snprintf(line, sizeof(line), "%s%s%s r%u%s, %s, %s, %s", cnd ? "cnd" : "cmp",
                             shift, sat, d, mask, srcs[0], srcs[1], srcs[2]);
                }
            } else {
                snprintf(line, sizeof(line), "mov%s%s r%u%s, %s", shift, sat, d, mask, srcs[0]);
            }
            emit(g, false, "%s", line);
            written[d] = true;
            if (!strcmp(mask, ".rgb") && !p14 && rp(r, 30)) {
                /* a co-issued alpha instruction that reads none of the pair's
                 * results (Direct3D 9 runs the two at once) */
                emit(g, false, "+mul r%u.a, v0, c%u", d, rn(r, 8));
            }
        }
    }
    if (!written[0]) {
        emit(g, true, "mov r0, v0");
    } else {
        /* r0 whole at the end (a masked last write leaves the rest) */
        emit(g, true, "mov r0, r0");
    }
    static const char *const v[] = {"", "ps_1_1", "ps_1_2", "ps_1_3", "ps_1_4"};
    finish(g, &c->ps, v[c->ps1]);
    free(g);
}

static int32_t tri_area2(const int32_t *x, const int32_t *y)
{
    return (x[1] - x[0]) * (y[2] - y[0]) - (x[2] - x[0]) * (y[1] - y[0]);
}

/* A triangle of at least ~24 pixels on the eighth-pixel grid, no edge on
 * a pixel centre (drawn again until so). */
static void random_triangle(rng *r, int32_t x[3], int32_t y[3])
{
    for (;;) {
        for (int i = 0; i < 3; i++) {
            x[i] = rx8(r, SD_W, 2);
            y[i] = ry8(r, SD_H, 2);
        }
        int32_t a = tri_area2(x, y);
        if ((a < 0 ? -a : a) >= 48 * 64 && !edge_on_centre(x[0], y[0], x[1], y[1], SD_W, SD_H) &&
            !edge_on_centre(x[1], y[1], x[2], y[2], SD_W, SD_H) &&
            !edge_on_centre(x[2], y[2], x[0], y[0], SD_W, SD_H)) {
            return;
        }
    }
}

static void gen_case(uint64_t seed, sd_case *c)
{
    /* not seed * the generator's own increment: seed s + 1 would replay
     * seed s's stream one draw later */
    rng r = {seed * 0x2545f4914f6cdd1dull + 0x5851f42d4c957f2dull};
    memset(c, 0, sizeof(*c));
    c->seed = seed;
    c->sm = rp(&r, 50) ? 3 : 2;
    /* a fifth of the sm 2 cases pair the vs_2_0 with a ps_1_x */
    c->ps1 = c->sm == 2 && rp(&r, 20) ? 1 + rn(&r, 4) : 0;
    c->flow = rp(&r, 30);
    c->clear = (uint32_t)rnext(&r);
    /* mips (ps_3_0 only, texldl only): see gen_tex */
    static const uint32_t mips[] = {VGT_SVGA3D_TEX_FILTER_NEAREST, VGT_SVGA3D_TEX_FILTER_LINEAR};
    c->mip = c->sm == 3 && rp(&r, 25) ? mips[rn(&r, 2)] : VGT_SVGA3D_TEX_FILTER_NONE;
    for (uint32_t s = 0; s < 3; s++) {
        c->filter[s] = rp(&r, 50) ? VGT_SVGA3D_TEX_FILTER_NEAREST : VGT_SVGA3D_TEX_FILTER_LINEAR;
        for (uint32_t a = 0; a < 3; a++) {
            c->addr[s][a] = VGT_SVGA3D_TEX_ADDRESS_WRAP + rn(&r, 5);
        }
        c->border[s] = (uint32_t)rnext(&r);
    }
    /* The later families draw from a stream of their own, so a case
     * without them is the case its seed named before they were added
     * (the earlier surveys still describe it); what they generate draws
     * from the case's stream, after everything else a shader draws. */
    rng fam = {seed * 0xd1b54a32d192ed03ull + 0x632be59bd9b4e019ull}; /* not the increment */
    c->oal = c->sm == 3 && rp(&fam, 25);
    c->odepth = !c->ps1 && rp(&fam, 20);
    static const uint32_t zf[] = {VGT_SVGA3D_CMP_LESS, VGT_SVGA3D_CMP_LESSEQUAL,
                                  VGT_SVGA3D_CMP_GREATER, VGT_SVGA3D_CMP_GREATEREQUAL};
    c->zfunc = zf[rn(&fam, 4)];
    c->zclear = rf(&fam, 0.3f, 0.7f);
    c->nrt = !c->ps1 && rp(&fam, 25) ? 2 + rn(&fam, SD_RTS - 1) : 1;
    /* ps_1_4 in two phases: most ps_1_4 cases, and a fifth of the other
     * sm 2 ones become such (a twentieth of all would be 7 cases in CI) */
    if (c->sm == 2 && !c->ps1 && rp(&fam, 20)) {
        c->ps1 = 4;
        c->odepth = false;
        c->nrt = 1;
    }
    c->phase = c->ps1 == 4 && rp(&fam, 75);
    c->vs1 = c->sm == 2 && rp(&fam, 60);
    /* The third round's families (a stream of their own again; what
     * they generate draws from it too, so a case's other lines are the
     * ones it had): out-of-range c[a0.x + n] (vs), vertex fog from oFog
     * (sm 2: ps_3_0 does its own fog), o[aL] beyond o2..o5 (half of the
     * o[aL] cases). */
    c->f3 = (rng){seed * 0x9fb21c651e98df25ull + 0x2127599bf4325c37ull};
    c->show = -1;
    c->zreg = -1;
    c->oob = !c->ps1 && rp(&c->f3, 25);
    c->fog = c->sm == 2 && rp(&c->f3, 25);
    c->fogcolor = (uint32_t)rnext(&c->f3);
    c->oal_wide = c->oal && rp(&c->f3, 50);
    c->pts = c->sm == 2 && !c->odepth && rp(&c->f3, 20);
    /* oDepth's depth band per triangle (gen_ps): a random order of three
     * bands 0.33 apart */
    uint32_t perm[SD_TRIS] = {0, 1, 2};
    for (uint32_t t = SD_TRIS - 1; t > 0; t--) {
        uint32_t j = rn(&c->f3, t + 1), x = perm[t];
        perm[t] = perm[j];
        perm[j] = x;
    }
    for (uint32_t t = 0; t < SD_TRIS; t++) {
        c->zband[t] = 0.03f + 0.33f * (float)perm[t] + rf(&c->f3, -0.02f, 0.02f);
    }
    c->ntris = 1 + rn(&r, SD_TRIS);
    for (uint32_t t = 0; t < c->ntris; t++) {
        int32_t x[3], y[3];
        random_triangle(&r, x, y);
        for (int i = 0; i < 3; i++) {
            sht_vtx *v = &c->v[3 * t + (uint32_t)i];
            v->x = (float)x[i] / (8.0f * SD_W / 2.0f) - 1.0f;
            v->y = 1.0f - (float)y[i] / (8.0f * SD_H / 2.0f);
            v->z = rf(&r, 0.1f, 0.9f);
            v->w = 1.0f;
            v->color = (uint32_t)rnext(&r);
            v->u = rf(&r, -2.0f, 2.0f);
            v->v = rf(&r, -2.0f, 2.0f);
            v->s = rf(&r, -2.0f, 2.0f);
            v->t = rf(&r, -2.0f, 2.0f);
            v->nx = rf(&r, -1.0f, 1.0f);
            v->ny = rf(&r, -1.0f, 1.0f);
            v->nz = rf(&r, -1.0f, 0.999f);
        }
    }
    /* every vertex's position times one w off the binary grid (the
     * projection changes nothing, w being the same): z 0.5 and w 1 as a
     * texture coordinate sat on texel edges (gen_tex) */
    float w = rf(&r, 0.6f, 1.9f);
    for (uint32_t i = 0; i < 3 * c->ntris; i++) {
        c->v[i].x *= w;
        c->v[i].y *= w;
        c->v[i].z *= w;
        c->v[i].w = w;
    }
    if (c->ps1) {
        /* ps_1_x samples NEAREST: _bias then _x2 then _bx2 multiply a
         * LINEAR texel by 4 and more, and llvmpipe's filter (8-bit
         * weights, the cube's face coordinates) is 1 off soft's in a
         * channel: seeds 1235 and 1244, delta 4 on 8 and 6 pixels of a
         * linear cube lookup through those modifiers */
        for (uint32_t k = 0; k < 3; k++) {
            c->filter[k] = VGT_SVGA3D_TEX_FILTER_NEAREST;
        }
    }
    c->pack = c->sm == 3 ? (uint32_t)(seed % 4u) : 0u;
    ival vary[SD_VARY];
    bool vnoisy[SD_VARY] = {false};
    gen_vs(&r, c, vary, vnoisy);
    if (c->ps1) {
        gen_ps1x(&r, c);
    } else {
        gen_ps(&r, c, vary, vnoisy);
    }
}

/* ---- the LOD family ------------------------------------------------------ */

/* Appends a line to a shader (fixed: never dropped by the reducer). */
static void sd_put(sd_shader *sh, bool fixed, const char *fmt, ...)
{
    if (sh->nlines >= SD_LINES) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sh->line[sh->nlines].s, SD_LINE, fmt, ap);
    va_end(ap);
    sh->line[sh->nlines++].fixed = fixed;
}

/* A float constant by def or SET_SHADER_CONST (half each). */
static void sd_const(rng *r, sd_shader *sh, uint32_t reg, const float v[4])
{
    if (rp(r, 50)) {
        sd_put(sh, true, "def c%u, %.9g, %.9g, %.9g, %.9g", reg, (double)v[0], (double)v[1],
               (double)v[2], (double)v[3]);
        return;
    }
    sd_set *s = &sh->set[sh->nsets++];
    s->reg = reg;
    s->kind = VGT_SVGA3D_CONST_TYPE_FLOAT;
    memcpy(s->f, v, sizeof(s->f));
}

/* An implicit level of detail with mips (a seed stream of its own; the
 * other cases' seeds name what they named).  The main generator cannot
 * do it: its coordinates are random maps of interpolated inputs whose
 * screen-space derivatives it does not know, and llvmpipe's LOD is a fast
 * log2 approximation (~0.1 off between powers of two, exact at powers of
 * two; docs/gl.md, the fixed-function test's raster family).  Here the
 * generator builds the coordinate as a known affine map of the screen:
 * w = 1 (interpolation is affine), the vertex shader passes the position
 * and TEXCOORD0 through, and the pixel shader's one `mad` (scale k,
 * offset o, constants it chose) feeds texld, texldp or texldb on s0, a
 * 16 x 16 texture of 5 levels with a colour per level.  The vertices'
 * coordinates are the map's values divided back through the mad (and
 * times q, constant per triangle, for texldp), so the coordinate the
 * sampler sees has du/dx, du/dy, dv/dx, dv/dy the generator chose: axis
 * aligned (u along x or y; llvmpipe's rho takes the largest component,
 * soft the length: the same on an axis), the major footprint 2^(L + f)
 * level-0 texels per pixel, the minor one 2^(0..2) times smaller.  L is
 * -1..4; f is 0 under MIPFILTER LINEAR (an integer LOD: the blend weight
 * is 0 on both) and 0 or within 0.3 of it under POINT (away from the .5
 * rounding); the stage's MIPMAPLODBIAS (-1..1), texldb's w (-2..2) and
 * MAXMIPLEVEL (0..2) add integers.  MIN = MAG, so the min/mag switch at
 * 0 changes nothing.  The offset puts every pixel centre at an odd
 * multiple of 1/64 level-0 texel when f = 0: no NEAREST texel-edge tie on
 * any level. */
static float lod_lambda(const sd_case *c)
{
    if (c->lod_op == 3) {
        return c->lod_w + c->lod_bias;
    }
    return (float)c->lod_level + c->lod_frac + c->lod_bias + (float)c->lod_texb;
}

static void gen_lod_case(uint64_t seed, sd_case *c)
{
    rng r = {seed * 0xbf58476d1ce4e5b9ull + 0x94d049bb133111ebull};
    memset(c, 0, sizeof(*c));
    c->seed = seed;
    c->lod = true;
    c->show = -1;
    c->zreg = -1;
    c->nrt = 1;
    c->sm = rp(&r, 50) ? 3 : 2;
    c->clear = (uint32_t)rnext(&r);
    c->lod_op = rn(&r, 4);
    c->sm = c->lod_op == 3 ? 3 : c->sm; /* texldl is ps_3_0's */
    c->mip = rp(&r, 50) ? VGT_SVGA3D_TEX_FILTER_NEAREST : VGT_SVGA3D_TEX_FILTER_LINEAR;
    for (uint32_t s = 0; s < 3; s++) {
        c->filter[s] = rp(&r, 50) ? VGT_SVGA3D_TEX_FILTER_NEAREST : VGT_SVGA3D_TEX_FILTER_LINEAR;
        for (uint32_t a = 0; a < 2; a++) {
            c->addr[s][a] = VGT_SVGA3D_TEX_ADDRESS_WRAP + rn(&r, 5);
        }
        /* w is no 2D coordinate; one mode keeps llvmpipe's compiled
         * variants (one per sampler state) fewer: CI's time */
        c->addr[s][2] = VGT_SVGA3D_TEX_ADDRESS_WRAP;
        c->border[s] = (uint32_t)rnext(&r);
    }
    c->lod_level = (int32_t)rn(&r, 6) - 1;
    c->lod_frac = c->mip == VGT_SVGA3D_TEX_FILTER_NEAREST && rp(&r, 50) ? rf(&r, -0.3f, 0.3f) : 0;
    c->lod_bias = rp(&r, 40) ? (float)((int32_t)rn(&r, 3) - 1) : 0.0f;
    c->lod_texb = c->lod_op == 2 ? (int32_t)rn(&r, 5) - 2 : 0;
    /* texldl: most of its cases under MAXMIPLEVEL, the explicit level clamped */
    c->maxmip = rp(&r, c->lod_op == 3 ? 70 : 30) ? 1 + rn(&r, 2) : 0;
    if (c->lod_op == 3) {
        /* w from -2 to 4 plus, half the time, a fraction: under POINT mips
         * within 0.3 of the integer (away from the .5 rounding), under
         * LINEAR only where the level is clamped to MAXMIPLEVEL (w + bias
         * <= MAXMIPLEVEL: no blend on either backend); the footprint's own
         * fraction is 0 (the texel-edge offset holds on every level) */
        int32_t n = (int32_t)rn(&r, 7) - 2;
        float f = 0.0f;
        if (rp(&r, 50)) {
            if (c->mip == VGT_SVGA3D_TEX_FILTER_NEAREST) {
                f = rf(&r, -0.3f, 0.3f);
            } else if ((float)n + 1.0f + c->lod_bias <= (float)c->maxmip) {
                f = rf(&r, 0.1f, 0.9f);
            }
        }
        c->lod_w = (float)n + f;
        c->lod_frac = 0.0f;
    }
    /* the map, in level-0 texels per pixel: ju (du/dx, du/dy), jv */
    float major = exp2f((float)c->lod_level + c->lod_frac);
    float minor = major / (float)(1u << rn(&r, 3));
    bool umajor = rp(&r, 50), swap = rp(&r, 50);
    float mu = (umajor ? major : minor) * (rp(&r, 50) ? 1.0f : -1.0f);
    float mv = (umajor ? minor : major) * (rp(&r, 50) ? 1.0f : -1.0f);
    float ju[2] = {swap ? 0.0f : mu, swap ? mu : 0.0f};
    float jv[2] = {swap ? mv : 0.0f, swap ? 0.0f : mv};
    float eu = (float)((int32_t)rn(&r, 64) - 32) + (float)(2 * rn(&r, 32) + 1) / 64.0f;
    float ev = (float)((int32_t)rn(&r, 64) - 32) + (float)(2 * rn(&r, 32) + 1) / 64.0f;
    /* the pixel shader's mad (texld and texldp read the input itself 30%
     * of the time); texldb's w is the bias, texldp's the q of the vertex */
    bool direct = c->lod_op < 2 && rp(&r, 30);
    float k[4] = {1.0f, 1.0f, 1.0f, 1.0f}, o[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    if (!direct) {
        for (int i = 0; i < 3; i++) {
            k[i] = (rp(&r, 50) ? 1.0f : -1.0f) * rf(&r, 0.5f, 2.0f);
            o[i] = rf(&r, -1.0f, 1.0f);
        }
        if (c->lod_op == 0) {
            k[3] = rf(&r, -2.0f, 2.0f);
            o[3] = rf(&r, -1.0f, 1.0f);
        } else if (c->lod_op >= 2) {
            k[3] = 0.0f;
            o[3] = c->lod_op == 2 ? (float)c->lod_texb : c->lod_w;
        }
    }
    c->ntris = 1 + rn(&r, SD_TRIS);
    for (uint32_t t = 0; t < c->ntris; t++) {
        int32_t x[3], y[3];
        random_triangle(&r, x, y);
        float z = rf(&r, 0.1f, 0.9f);
        float q = c->lod_op == 1 ? rf(&r, 0.5f, 2.0f) : 1.0f;
        for (int i = 0; i < 3; i++) {
            sht_vtx *v = &c->v[3 * t + (uint32_t)i];
            float px = (float)x[i] / 8.0f, py = (float)y[i] / 8.0f;
            /* the sampler's coordinate, normalized */
            float u = (ju[0] * px + ju[1] * py + eu) / (float)SD_LODTEX;
            float w = (jv[0] * px + jv[1] * py + ev) / (float)SD_LODTEX;
            v->x = (float)x[i] / (8.0f * SD_W / 2.0f) - 1.0f;
            v->y = 1.0f - (float)y[i] / (8.0f * SD_H / 2.0f);
            v->z = z;
            v->w = 1.0f;
            v->color = (uint32_t)rnext(&r);
            /* texldp divides k * q * a + o by q: a = (u - o / q) / k */
            v->u = q * (u - o[0] / q) / k[0];
            v->v = q * (w - o[1] / q) / k[1];
            v->s = rf(&r, -2.0f, 2.0f);
            v->t = c->lod_op == 1 ? q : rf(&r, -2.0f, 2.0f);
        }
    }
    /* MINFILTER other than MAGFILTER where the min/mag switch is not near:
     * lambda at least 0.5 from 0, and no MAXMIPLEVEL (gl's BASE_LEVEL
     * moves GL's switch to lambda = MAXMIPLEVEL, Direct3D 9 keeps it at 0:
     * open, docs/gl.md) but for texldl, whose switch gl keeps at 0 except
     * under LINEAR mips between 0 and MAXMIPLEVEL (open, docs/gl.md); its
     * w is exact on both (no approximate log2), so lambda may be near 0 */
    float lambda = lod_lambda(c);
    bool texl_minmag = c->lod_op == 3 && (c->mip == VGT_SVGA3D_TEX_FILTER_NEAREST ||
                                          lambda <= 0.0f || lambda >= (float)c->maxmip + 0.5f);
    if ((texl_minmag || (c->lod_op != 3 && c->maxmip == 0 && fabsf(lambda) >= 0.5f)) &&
        rp(&r, c->lod_op == 3 ? 60 : 40)) {
        c->lod_min = c->filter[0] == VGT_SVGA3D_TEX_FILTER_LINEAR ? VGT_SVGA3D_TEX_FILTER_NEAREST
                                                                  : VGT_SVGA3D_TEX_FILTER_LINEAR;
    }
    sd_shader *vs = &c->vs, *ps = &c->ps;
    memset(vs, 0, sizeof(*vs));
    memset(ps, 0, sizeof(*ps));
    if (c->sm == 3) {
        sd_put(vs, true, "vs_3_0");
        sd_put(vs, true, "dcl_position v0");
        sd_put(vs, true, "dcl_texcoord0 v1");
        sd_put(vs, true, "dcl_position o0");
        sd_put(vs, true, "dcl_texcoord0 o1");
        sd_put(vs, true, "mov o0, v0");
        sd_put(vs, true, "mov o1, v1");
    } else {
        sd_put(vs, true, "vs_2_0");
        sd_put(vs, true, "dcl_position v0");
        sd_put(vs, true, "dcl_texcoord0 v1");
        sd_put(vs, true, "mov oPos, v0");
        sd_put(vs, true, "mov oT0, v1");
    }
    static const char *const ops[] = {"texld", "texldp", "texldb", "texldl"};
    const char *in = c->sm == 3 ? "v0" : "t0";
    sd_put(ps, true, c->sm == 3 ? "ps_3_0" : "ps_2_0");
    if (!direct) {
        sd_const(&r, ps, 0, k);
        sd_const(&r, ps, 1, o);
    }
    sd_put(ps, true, c->sm == 3 ? "dcl_texcoord0 v0" : "dcl t0");
    sd_put(ps, true, "dcl_2d s0");
    if (!direct) {
        sd_put(ps, false, "mad r0, %s, c0, c1", in);
    }
    sd_put(ps, false, "%s r1, %s, s0", ops[c->lod_op], direct ? in : "r0");
    sd_put(ps, true, "mov oC0, r1");
}

/* ---- drawing a case ----------------------------------------------------- */

static uint32_t texel(uint32_t face, uint32_t mip, uint32_t x, uint32_t y, uint32_t z)
{
    uint32_t h =
        (face * 131u + mip * 977u + x * 2654435761u + y * 40503u + z * 8191u) * 2246822519u;
    return h ^ (h >> 13);
}

/* The fixture a backend draws on: the harness's 8-bit scene and the three
 * textures, made once (a case redefines only its shaders). */
static void sd_scene(sht_fx *f)
{
    sht_scene_rgba8(f, SD_W, SD_H);
    for (uint32_t k = 1; k < SD_RTS; k++) {
        sht_define_surface(f, SD_SID_RT1 + k - 1, VGT_SVGA3D_A8R8G8B8, SD_W, SD_H, 1);
    }
    uint32_t px[SD_TEX * SD_TEX * SD_VOL];
    sht_define_surface(f, SHT_SID_TEX, VGT_SVGA3D_A8R8G8B8, SD_TEX, SD_TEX, SD_TEXMIPS);
    for (uint32_t m = 0; m < SD_TEXMIPS; m++) {
        uint32_t n = SD_TEX >> m;
        for (uint32_t i = 0; i < n * n; i++) {
            px[i] = texel(0, m, i % n, i / n, 0);
        }
        sht_upload(f, SHT_SID_TEX, m, px, n * 4, n, n);
    }
    sht_define_surface3(f, SD_SID_CUBE, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_CUBEMAP, SD_CUBE,
                        SD_CUBE, 1, 1);
    for (uint32_t face = 0; face < 6; face++) {
        for (uint32_t i = 0; i < SD_CUBE * SD_CUBE; i++) {
            px[i] = texel(face + 1, 0, i % SD_CUBE, i / SD_CUBE, 0);
        }
        sht_upload3(f, SD_SID_CUBE, face, 0, px, SD_CUBE * 4, SD_CUBE, SD_CUBE, 1);
    }
    sht_define_surface3(f, SD_SID_VOL, VGT_SVGA3D_A8R8G8B8, 0, SD_VOL, SD_VOL, SD_VOL, 1);
    for (uint32_t i = 0; i < SD_VOL * SD_VOL * SD_VOL; i++) {
        px[i] = texel(9, 0, i % SD_VOL, (i / SD_VOL) % SD_VOL, i / (SD_VOL * SD_VOL));
    }
    sht_upload3(f, SD_SID_VOL, 0, 0, px, SD_VOL * 4, SD_VOL, SD_VOL, SD_VOL);
    /* the LOD family's texture: a colour per level, far apart, each texel
     * 0..15 off it per channel (flat enough that LINEAR's weights do not
     * matter, uneven enough that a texel read at the wrong place shows) */
    static const uint32_t level_colour[SD_LODMIPS] = {0xe02040c0u, 0x40c03020u, 0xa020c040u,
                                                      0x20e0c020u, 0x808020e0u};
    uint32_t lpx[SD_LODTEX * SD_LODTEX];
    sht_define_surface(f, SD_SID_LOD, VGT_SVGA3D_A8R8G8B8, SD_LODTEX, SD_LODTEX, SD_LODMIPS);
    for (uint32_t m = 0; m < SD_LODMIPS; m++) {
        uint32_t n = SD_LODTEX >> m;
        for (uint32_t i = 0; i < n * n; i++) {
            lpx[i] = level_colour[m] + (texel(11, m, i % n, i / n, 0) & 0x0f0f0f0fu);
        }
        sht_upload(f, SD_SID_LOD, m, lpx, n * 4, n, n);
    }
}

static size_t shader_text(const sd_shader *sh, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < sh->nlines && n < cap; i++) {
        int k = snprintf(out + n, cap - n, "%s\n", sh->line[i].s);
        n += k > 0 ? (size_t)k : 0;
    }
    return n < cap ? n : cap - 1;
}

/* Assembles a shader; false (err filled) when the text is not a valid
 * shader (the reducer's dropped lines can unbalance flow control). */
static bool assemble(const sd_shader *sh, uint32_t **words, size_t *n, vgt_error *err)
{
    char text[SD_LINES * SD_LINE];
    size_t len = shader_text(sh, text, sizeof(text));
    vgt_shader_diag diag;
    return vgt_shader_assemble(text, len, words, n, &diag, err) == VGT_OK;
}

/* Draws case c on f into out (SD_W x SD_H x 4 bytes); the status of the
 * first command that failed (err), VGT_OK when it drew. */
static vgt_status sd_draw(sht_fx *f, const sd_case *c, const uint32_t *vsw, size_t nvs,
                          const uint32_t *psw, size_t nps, uint8_t *out, vgt_error *err)
{
    uint32_t b[3] = {SHT_CID, SD_VS_ID, VS};
    vgt_error ignore = {0};
    (void)sht_cmd(f, VGT_SVGA3D_CMD_SHADER_DESTROY, b, 3, &ignore);
    b[1] = SD_PS_ID;
    b[2] = PS;
    (void)sht_cmd(f, VGT_SVGA3D_CMD_SHADER_DESTROY, b, 3, &ignore);
    vgt_status st = sht_define_words(f, VS, SD_VS_ID, vsw, (uint32_t)nvs, err);
    if (st == VGT_OK) {
        st = sht_define_words(f, PS, SD_PS_ID, psw, (uint32_t)nps, err);
    }
    if (st != VGT_OK) {
        return st;
    }
    sht_bind(f, VS, SD_VS_ID);
    sht_bind(f, PS, SD_PS_ID);
    const sd_shader *sh[2] = {&c->vs, &c->ps};
    for (int k = 0; k < 2; k++) {
        uint32_t type = k ? PS : VS;
        for (uint32_t i = 0; i < sh[k]->nsets; i++) {
            const sd_set *s = &sh[k]->set[i];
            if (s->kind == VGT_SVGA3D_CONST_TYPE_FLOAT) {
                sht_constf(f, type, s->reg, s->f[0], s->f[1], s->f[2], s->f[3]);
            } else if (s->kind == VGT_SVGA3D_CONST_TYPE_INT) {
                sht_consti(f, type, s->reg, s->i[0], s->i[1], s->i[2], s->i[3]);
            } else {
                sht_constb(f, type, s->reg, s->i[0] != 0);
            }
        }
    }
    static const uint32_t sids[3] = {SHT_SID_TEX, SD_SID_CUBE, SD_SID_VOL};
    for (uint32_t s = 0; s < 3; s++) {
        /* the LOD family: s0 its mipmapped texture, its LOD bias and
         * MAXMIPLEVEL (0 for every other stage and case) */
        bool lod = c->lod && s == 0;
        float bias = lod ? c->lod_bias : 0.0f;
        uint32_t bias_bits;
        memcpy(&bias_bits, &bias, 4);
        sht_ts(f, s, VGT_SVGA3D_TS_BIND_TEXTURE, lod ? SD_SID_LOD : sids[s]);
        sht_ts(f, s, VGT_SVGA3D_TS_TEXTURE_LOD_BIAS, bias_bits);
        sht_ts(f, s, VGT_SVGA3D_TS_TEXTURE_MIPMAP_LEVEL, lod ? c->maxmip : 0);
        sht_ts(f, s, VGT_SVGA3D_TS_MAGFILTER, c->filter[s]);
        sht_ts(f, s, VGT_SVGA3D_TS_MINFILTER, lod && c->lod_min ? c->lod_min : c->filter[s]);
        sht_ts(f, s, VGT_SVGA3D_TS_MIPFILTER, c->mip);
        sht_ts(f, s, VGT_SVGA3D_TS_ADDRESSU, c->addr[s][0]);
        sht_ts(f, s, VGT_SVGA3D_TS_ADDRESSV, c->addr[s][1]);
        sht_ts(f, s, VGT_SVGA3D_TS_ADDRESSW, c->addr[s][2]);
        sht_ts(f, s, VGT_SVGA3D_TS_BORDERCOLOR, c->border[s]);
    }
    /* COLOR1 .. COLOR(nrt - 1) bound, the others not (a target the
     * shader does not write is left undefined by Direct3D 9) */
    for (uint32_t k = 1; k < SD_RTS; k++) {
        sht_set_rt(f, VGT_SVGA3D_RT_COLOR0 + k,
                   k < c->nrt ? SD_SID_RT1 + k - 1 : VGT_SVGA3D_INVALID_ID);
    }
    /* vertex fog (Direct3D 9 with a vertex shader: the factor is oFog
     * clamped to [0, 1], colour = f * colour + (1 - f) * FOGCOLOR) */
    sht_rs(f, VGT_SVGA3D_RS_FOGENABLE, c->fog);
    sht_rs(f, VGT_SVGA3D_RS_FOGCOLOR, c->fogcolor);
    sht_rs(f, VGT_SVGA3D_RS_FOGMODE,
           VGT_SVGA3D_FOGMODE(VGT_SVGA3D_FOGFUNC_LINEAR, VGT_SVGA3D_FOGTYPE_VERTEX,
                              VGT_SVGA3D_FOGBASE_DEPTHBASED));
    sht_rs(f, VGT_SVGA3D_RS_ZENABLE, c->odepth);
    sht_rs(f, VGT_SVGA3D_RS_ZWRITEENABLE, 1);
    sht_rs(f, VGT_SVGA3D_RS_ZFUNC, c->odepth ? c->zfunc : VGT_SVGA3D_CMP_ALWAYS);
    sht_clear(f, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, c->clear,
              c->odepth ? c->zclear : 1.0f);
    if (c->odepth && c->zreg >= 0) {
        /* one draw per triangle, each with its depth band (gen_ps) */
        for (uint32_t t = 0; t < c->ntris; t++) {
            sht_constf(f, PS, (uint32_t)c->zreg, c->zband[t], 0.0f, 0.0f, 0.0f);
            st = sht_draw(f, c->v + 3 * t, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1,
                          VGT_SVGA3D_DECLUSAGE_POSITION, err);
            if (st != VGT_OK) {
                return st;
            }
        }
    } else if (c->pts) {
        st = sht_draw(f, c->v, 3 * c->ntris, VGT_SVGA3D_PRIMITIVE_POINTLIST, 3 * c->ntris,
                      VGT_SVGA3D_DECLUSAGE_POSITION, err);
        if (st != VGT_OK) {
            return st;
        }
    } else {
        st = sht_draw(f, c->v, 3 * c->ntris, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, c->ntris,
                      VGT_SVGA3D_DECLUSAGE_POSITION, err);
        if (st != VGT_OK) {
            return st;
        }
    }
    for (uint32_t k = 0; k < c->nrt; k++) {
        memcpy(out + (size_t)k * SD_W * SD_H * 4,
               sht_download(f, k ? SD_SID_RT1 + k - 1 : SHT_SID_RT8, 0, 4, SD_W, SD_H),
               (size_t)SD_W * SD_H * 4);
    }
    return VGT_OK;
}

typedef struct sd_fixtures {
    sht_fx *gl, *soft;
    void *gl_state, *soft_state;
} sd_fixtures;

/* Both backends set up with the test's scene. */
static void sd_fixtures_open(sd_fixtures *fx)
{
    memset(fx, 0, sizeof(*fx));
    assert_int_equal(sht_setup_backend(&fx->gl_state, VGT_BACKEND_GL), 0);
    assert_int_equal(sht_setup_backend(&fx->soft_state, VGT_BACKEND_SOFT), 0);
    fx->gl = fx->gl_state;
    fx->soft = fx->soft_state;
    sd_scene(fx->gl);
    sd_scene(fx->soft);
}

static void sd_fixtures_close(sd_fixtures *fx)
{
    sht_teardown(&fx->gl_state);
    sht_teardown(&fx->soft_state);
}

typedef struct sd_result {
    bool refused; /* a backend refused (both_refused: the same way) */
    bool both_refused;
    char message[1200];
    uint32_t over, max_delta; /* pixels beyond SD_TOL, the largest channel delta */
    uint32_t first;           /* the first pixel beyond (target * SD_W * SD_H + y * SD_W + x) */
    uint8_t gl[SD_RTS * SD_W * SD_H * 4], soft[SD_RTS * SD_W * SD_H * 4]; /* target by target */
} sd_result;

/* Runs case c on both backends; false when a shader does not assemble
 * (only a reducer's candidate can be such). */
static bool sd_compare(sd_fixtures *fx, const sd_case *c, sd_result *res)
{
    uint32_t *vsw = NULL, *psw = NULL;
    size_t nvs = 0, nps = 0;
    vgt_error err = {0};
    memset(res, 0, offsetof(sd_result, gl));
    if (!assemble(&c->vs, &vsw, &nvs, &err) || !assemble(&c->ps, &psw, &nps, &err)) {
        free(vsw);
        free(psw);
        snprintf(res->message, sizeof(res->message), "%s", err.message);
        return false;
    }
    vgt_error eg = {0}, es = {0};
    vgt_status sg = sd_draw(fx->gl, c, vsw, nvs, psw, nps, res->gl, &eg);
    vgt_status ss = sd_draw(fx->soft, c, vsw, nvs, psw, nps, res->soft, &es);
    free(vsw);
    free(psw);
    if (sg != VGT_OK || ss != VGT_OK) {
        res->refused = true;
        res->both_refused = sg == ss && strcmp(eg.message, es.message) == 0;
        snprintf(res->message, sizeof(res->message), "gl %d \"%s\", soft %d \"%s\"", sg, eg.message,
                 ss, es.message);
        return true;
    }
    for (uint32_t i = 0; i < c->nrt * SD_W * SD_H; i++) {
        uint32_t m = 0;
        for (int k = 0; k < 4; k++) {
            int dlt = (int)res->gl[4 * i + k] - (int)res->soft[4 * i + k];
            uint32_t a = (uint32_t)(dlt < 0 ? -dlt : dlt);
            m = a > m ? a : m;
        }
        res->max_delta = m > res->max_delta ? m : res->max_delta;
        res->first = m > SD_TOL && !res->over ? i : res->first;
        res->over += m > SD_TOL;
    }
    return true;
}

/* How many pixels may differ by more than SD_TOL: none. */
static uint32_t sd_allowed(const sd_case *c)
{
    (void)c;
    return 0;
}

static bool sd_bad(const sd_case *c, const sd_result *res)
{
    return res->refused ? !res->both_refused : res->over > sd_allowed(c);
}

static void print_shader(const char *what, const sd_shader *sh)
{
    print_message("  %s:\n", what);
    for (uint32_t i = 0; i < sh->nlines; i++) {
        print_message("    %s\n", sh->line[i].s);
    }
    for (uint32_t i = 0; i < sh->nsets; i++) {
        const sd_set *s = &sh->set[i];
        if (s->kind == VGT_SVGA3D_CONST_TYPE_FLOAT) {
            print_message("    SET c%u = %.9g, %.9g, %.9g, %.9g\n", s->reg, (double)s->f[0],
                          (double)s->f[1], (double)s->f[2], (double)s->f[3]);
        } else {
            print_message("    SET %c%u = %d, %d, %d\n",
                          s->kind == VGT_SVGA3D_CONST_TYPE_INT ? 'i' : 'b', s->reg, s->i[0],
                          s->i[1], s->i[2]);
        }
    }
}

static void print_case(const sd_case *c)
{
    print_message(
        "case %" PRIu64 ": sm %u (ps_1_%u), %u triangles, clear %08x, mip %u, targets %u, "
        "o[aL] %d (wide %d), oDepth %d (z func %u, clear %.9g, band c%d %.9g %.9g "
        "%.9g), phase %d, vs_1_1 %d, out-of-range c[a0.x] %d, fog %d (colour %08x), "
        "shown output %d, points %d\n",
        c->seed, c->sm, c->ps1, c->ntris, c->clear, c->mip, c->nrt, c->oal, c->oal_wide, c->odepth,
        c->zfunc, (double)c->zclear, c->zreg, (double)c->zband[0], (double)c->zband[1],
        (double)c->zband[2], c->phase, c->vs1, c->oob, c->fog, c->fogcolor, c->show, c->pts);
    for (uint32_t s = 0; s < 3; s++) {
        print_message("  sampler %u: filter %u, address %u %u %u, border %08x\n", s, c->filter[s],
                      c->addr[s][0], c->addr[s][1], c->addr[s][2], c->border[s]);
    }
    for (uint32_t i = 0; i < 3 * c->ntris; i++) {
        const sht_vtx *v = &c->v[i];
        print_message("  vertex %u: position %.9g %.9g %.9g %.9g, colour %08x, texcoord %.9g %.9g "
                      "%.9g %.9g, normal %.9g %.9g %.9g\n",
                      i, (double)v->x, (double)v->y, (double)v->z, (double)v->w, v->color,
                      (double)v->u, (double)v->v, (double)v->s, (double)v->t, (double)v->nx,
                      (double)v->ny, (double)v->nz);
    }
    if (c->lod) {
        static const char *const ops[] = {"texld", "texldp", "texldb", "texldl"};
        print_message("  LOD family: %s, footprint level %d + %.9g, texldb bias %d, texldl w "
                      "%.9g, stage bias %.9g, MAXMIPLEVEL %u, MINFILTER %u\n",
                      ops[c->lod_op], c->lod_level, (double)c->lod_frac, c->lod_texb,
                      (double)c->lod_w, (double)c->lod_bias, c->maxmip,
                      c->lod_min ? c->lod_min : c->filter[0]);
    }
    print_shader("vs", &c->vs);
    print_shader("ps", &c->ps);
}

/* Writes gl-out/NAME-{gl,soft}.png (COLOR0) and NAME-{gl,soft}-rtN.png
 * (COLOR1..). */
static void write_pictures(const sd_case *c, const sd_result *res, const char *name)
{
    for (uint32_t i = 0; i < 2 * c->nrt; i++) {
        vgt_image img = {0};
        uint32_t t = i / 2, k = i % 2;
        const uint8_t *px = (k ? res->soft : res->gl) + (size_t)t * SD_W * SD_H * 4;
        vgt_error err = {0};
        char path[1200], rt[16] = "";
        if (t) {
            snprintf(rt, sizeof(rt), "-rt%u", t);
        }
        snprintf(path, sizeof(path), "%s/gl-out/%s-%s%s.png", VGT_BINARY_DIR, name,
                 k ? "soft" : "gl", rt);
        /* vgt_image's byte order is the A8R8G8B8 target's */
        uint8_t copy[SD_W * SD_H * 4];
        memcpy(copy, px, sizeof(copy));
        img.width = SD_W;
        img.height = SD_H;
        img.stride = SD_W * 4;
        img.pixels = copy;
        (void)vgt_image_write_png(&img, path, false, &err);
    }
}

/* Whether a shader's code reads a temporary no earlier line writes: a
 * reducer's candidate that drops a write reads 0 there, and a constant 0
 * coordinate sits on texel edges (a tie, not the finding); or c[a0.x]
 * before a0 is written (undefined in Direct3D 9). */
static bool reads_unwritten(const sd_shader *sh)
{
    bool written[SD_TEMPS] = {false}, a0 = false;
    for (uint32_t i = 1; i < sh->nlines; i++) {
        const char *l = sh->line[i].s;
        if (!strncmp(l, "def", 3) || !strncmp(l, "dcl", 3)) {
            continue;
        }
        /* c[a0.x] before any mova or vs_1_1 mov a0.x: an undefined a0 */
        if (!strncmp(l, "mova a0", 7) || !strncmp(l, "mov a0", 6)) {
            a0 = true;
        } else if (!a0 && strstr(l, "[a0.x]")) {
            return true;
        }
        const char *p = strchr(l, ' ');
        bool dst = strncmp(l, "if", 2) && strncmp(l, "break", 5) && strncmp(l, "rep", 3) &&
                   strncmp(l, "loop", 4);
        int wr = -1;
        while (p && *p) {
            while (*p == ' ' || *p == ',' || *p == '-') {
                p++;
            }
            if (*p == 'r' && p[1] >= '0' && p[1] <= '9') {
                int n = atoi(p + 1);
                if (dst) {
                    wr = n;
                } else if (n < (int)SD_TEMPS && !written[n]) {
                    return true;
                }
            }
            dst = false;
            p = strchr(p, ',');
        }
        if (wr >= 0 && wr < (int)SD_TEMPS) {
            written[wr] = true;
        }
    }
    return false;
}

/* Reduces a failing case (by hand): drops every code line, vertex shader
 * and pixel shader, and every triangle whose removal keeps the mismatch,
 * until none can go. */
static void reduce(sd_fixtures *fx, sd_case *c)
{
    sd_case *t = malloc(sizeof(*t));
    sd_result *res = malloc(sizeof(*res));
    assert_non_null(t);
    assert_non_null(res);
    bool changed = true;
    while (changed) {
        changed = false;
        for (int k = 0; k < 2; k++) {
            for (uint32_t i = 0;; i++) {
                sd_shader *sh = k ? &c->ps : &c->vs;
                if (i >= sh->nlines) {
                    break;
                }
                if (sh->line[i].fixed) {
                    continue;
                }
                *t = *c;
                sd_shader *ts = k ? &t->ps : &t->vs;
                memmove(&ts->line[i], &ts->line[i + 1], (ts->nlines - i - 1) * sizeof(ts->line[0]));
                ts->nlines--;
                if (!reads_unwritten(ts) && sd_compare(fx, t, res) && sd_bad(t, res)) {
                    *c = *t;
                    changed = true;
                    i--;
                }
            }
        }
        for (uint32_t i = 0; c->ntris > 1 && i < c->ntris; i++) {
            *t = *c;
            memmove(&t->v[3 * i], &t->v[3 * i + 3], (t->ntris - i - 1) * 3 * sizeof(t->v[0]));
            memmove(&t->zband[i], &t->zband[i + 1], (t->ntris - i - 1) * sizeof(t->zband[0]));
            t->ntris--;
            if (sd_compare(fx, t, res) && sd_bad(t, res)) {
                *c = *t;
                changed = true;
                i--;
            }
        }
    }
    sd_compare(fx, c, res);
    print_message("REDUCED seed %" PRIu64 ": delta %u, %u pixels over\n", c->seed, res->max_delta,
                  res->over);
    print_case(c);
    if (env_u64("VGT_SHDIFF_WRITE", 0)) {
        char name[64];
        snprintf(name, sizeof(name), "shdiff-reduced-%" PRIu64, c->seed);
        write_pictures(c, res, name);
    }
    free(t);
    free(res);
}

/* By hand: VGT_SHDIFF_VS_FILE / VGT_SHDIFF_PS_FILE replace a case's
 * shader text with a file's (its SET constants stay), to try a variant of
 * a reduced finding. */
static void override_shader(sd_shader *sh, const char *env)
{
    const char *path = getenv(env);
    FILE *fp = path && *path ? fopen(path, "r") : NULL;
    if (!fp) {
        return;
    }
    char buf[SD_LINE];
    sh->nlines = 0;
    while (sh->nlines < SD_LINES && fgets(buf, sizeof(buf), fp)) {
        buf[strcspn(buf, "\n")] = '\0';
        snprintf(sh->line[sh->nlines].s, SD_LINE, "%s", buf);
        sh->line[sh->nlines++].fixed = false;
    }
    fclose(fp);
}

/* Which later families case c's shaders hold (what the generator wrote,
 * not what it meant to): vs_1_1, ps_1_4's phase, o[aL], oDepth, oC1. */
enum { F_VS11, F_PHASE, F_OAL, F_ODEPTH, F_MRT, F_OOB, F_OOBL, F_FOG, F_OALW, F_PTS, F_COUNT };

static void families(const sd_case *c, uint64_t *n)
{
    bool has[F_COUNT] = {false};
    for (int k = 0; k < 2; k++) {
        const sd_shader *sh = k ? &c->ps : &c->vs;
        for (uint32_t i = 0; i < sh->nlines; i++) {
            const char *l = sh->line[i].s;
            has[F_VS11] |= !strcmp(l, "vs_1_1");
            has[F_PHASE] |= !strcmp(l, "phase");
            has[F_OAL] |= strstr(l, "o2[aL]") != NULL;
            has[F_OALW] |= strstr(l, "o1[aL]") != NULL;
            has[F_PTS] |= c->pts && strstr(l, "oPts") != NULL;
            has[F_FOG] |= c->fog && strstr(l, "oFog") != NULL;
            /* the clamped read (gen_oob) is the only c<n>[a0.x] after a
             * constant move to a0 */
            if (c->oob && !k && !strcmp(l, c->oob_line)) {
                has[strstr(l, "[aL]") ? F_OOBL : F_OOB] = true;
            }
            has[F_ODEPTH] |= strstr(l, "oDepth") != NULL;
            has[F_MRT] |= strstr(l, "oC1") != NULL;
        }
    }
    for (int f = 0; f < F_COUNT; f++) {
        n[f] += has[f];
    }
}

static void test_shader_differential(void **state)
{
    (void)state;
    uint64_t seed0 = env_u64("VGT_SHDIFF_SEED", 1);
    uint64_t cases = env_u64("VGT_SHDIFF_CASES", SD_CI_CASES);
    bool survey = env_u64("VGT_SHDIFF_SURVEY", 0) != 0;
    bool reduce_findings = env_u64("VGT_SHDIFF_REDUCE", 0) != 0;
    bool print_all = env_u64("VGT_SHDIFF_PRINT", 0) != 0; /* every case's shaders */
    sd_fixtures fx;
    sd_fixtures_open(&fx);
    sd_case *c = malloc(sizeof(*c));
    sd_result *res = malloc(sizeof(*res));
    assert_non_null(c);
    assert_non_null(res);
    uint64_t findings = 0, compared = 0, skipped = 0, drawn = 0, worst_over = 0;
    uint32_t worst_delta = 0;
    uint64_t fam[F_COUNT] = {0};
    for (uint64_t i = 0; i < cases; i++) {
        gen_case(seed0 + i, c);
        override_shader(&c->vs, "VGT_SHDIFF_VS_FILE");
        override_shader(&c->ps, "VGT_SHDIFF_PS_FILE");
        if (print_all) {
            print_case(c);
        }
        if (!sd_compare(&fx, c, res)) {
            print_case(c);
            fail_msg("case %" PRIu64 ": the generator made a shader that does not assemble: %s",
                     c->seed, res->message);
        }
        if (res->refused && res->both_refused) {
            skipped++;
            continue;
        }
        if (!res->refused) {
            compared++;
            families(c, fam);
            worst_delta = res->max_delta > worst_delta ? res->max_delta : worst_delta;
            worst_over = res->over > worst_over ? res->over : worst_over;
            /* the triangles drew on soft: some pixel is not the clear colour */
            for (uint32_t p = 0; p < SD_W * SD_H; p++) {
                uint32_t px;
                memcpy(&px, res->soft + 4 * p, 4);
                if (px != c->clear) {
                    drawn++;
                    break;
                }
            }
        }
        if (!sd_bad(c, res)) {
            continue;
        }
        findings++;
        if (survey) {
            if (res->refused) {
                print_message("FINDING seed %" PRIu64 ": refusal %s\n", c->seed, res->message);
            } else {
                uint32_t px = res->first % (SD_W * SD_H);
                print_message("FINDING seed %" PRIu64
                              ": sm %u, delta %u, %u pixels over (the first: target %u, x %u, "
                              "y %u, gl %08x, soft %08x)\n",
                              c->seed, c->sm, res->max_delta, res->over, res->first / (SD_W * SD_H),
                              px % SD_W, px / SD_W, vgt_load_le32(res->gl + 4 * res->first),
                              vgt_load_le32(res->soft + 4 * res->first));
            }
            if (reduce_findings && !res->refused) {
                reduce(&fx, c);
            }
            continue;
        }
        print_case(c);
        char name[64];
        snprintf(name, sizeof(name), "shdiff-%" PRIu64, c->seed);
        write_pictures(c, res, name);
        if (res->refused) {
            fail_msg("case %" PRIu64 ": gl and soft disagree on refusing it: %s", c->seed,
                     res->message);
        }
        fail_msg("case %" PRIu64 ": %u pixels differ by more than %u (max delta %u); pictures "
                 "in gl-out/%s-{gl,soft}.png",
                 c->seed, res->over, SD_TOL, res->max_delta, name);
    }
    print_message(
        "shader differential: seeds %" PRIu64 "..%" PRIu64 ": %" PRIu64 " compared (%" PRIu64
        " drew), %" PRIu64 " refused by both; worst max channel delta %u, most pixels over %" PRIu64
        ", findings %" PRIu64 "\n",
        seed0, seed0 + cases - 1, compared, drawn, skipped, worst_delta, worst_over, findings);
    print_message("  compared with vs_1_1 %" PRIu64 ", ps_1_4 phase %" PRIu64 ", o[aL] %" PRIu64
                  ", oDepth %" PRIu64 ", several targets %" PRIu64 ", out-of-range c[a0.x] %" PRIu64
                  ", c[aL] %" PRIu64 ", oFog %" PRIu64 ", wide o[aL] %" PRIu64 ", oPts %" PRIu64
                  "\n",
                  fam[F_VS11], fam[F_PHASE], fam[F_OAL], fam[F_ODEPTH], fam[F_MRT], fam[F_OOB],
                  fam[F_OOBL], fam[F_FOG], fam[F_OALW], fam[F_PTS]);
    assert_int_equal(findings, 0);
    /* every family in CI's run (a generator that stopped writing one would
     * test nothing of it): each in at least one case of 30 */
    for (int f = 0; cases >= SD_CI_CASES && f < F_COUNT; f++) {
        assert_true(fam[f] >= cases / 30);
    }
    /* a generator whose cases were refused or drew nothing would test nothing */
    assert_true(compared >= cases * 9 / 10);
    assert_true(drawn >= compared * 3 / 4); /* texkill can take every pixel */
    free(c);
    free(res);
    sd_fixtures_close(&fx);
}

/* The level Direct3D 9 samples in a LOD case: lambda = the footprint's
 * level + the stage's MIPMAPLODBIAS + texldb's w (texldl: its w + the
 * stage's bias); POINT mips round it (to
 * nearest), LINEAR takes floor and blends toward the next by the fraction
 * (0 here: lambda is an integer); lambda <= 0 is level 0; MAXMIPLEVEL is
 * the most detailed level used; the least detailed is the last. */
static uint32_t lod_expected_level(const sd_case *c)
{
    float lambda = lod_lambda(c);
    int32_t l = 0;
    if (lambda > 0.0f) {
        l = c->mip == VGT_SVGA3D_TEX_FILTER_NEAREST ? (int32_t)floorf(lambda + 0.5f)
                                                    : (int32_t)floorf(lambda);
    }
    l = l < (int32_t)c->maxmip ? (int32_t)c->maxmip : l;
    return l > (int32_t)SD_LODMIPS - 1 ? SD_LODMIPS - 1 : (uint32_t)l;
}

/* Pixels of soft's picture that are neither the clear colour nor a texel
 * of level m (its colour plus 0..15 per channel): the level Direct3D 9's
 * rule names, checked apart from the two backends agreeing. */
static uint32_t lod_off_level(const sd_case *c, const uint8_t *px, uint32_t m)
{
    static const uint32_t level_colour[SD_LODMIPS] = {0xe02040c0u, 0x40c03020u, 0xa020c040u,
                                                      0x20e0c020u, 0x808020e0u};
    uint32_t off = 0;
    for (uint32_t p = 0; p < SD_W * SD_H; p++) {
        uint32_t v = vgt_load_le32(px + 4 * p);
        bool in = v != c->clear;
        for (int k = 0; in && k < 4; k++) {
            uint32_t a = (v >> (8 * k)) & 0xffu, b = (level_colour[m] >> (8 * k)) & 0xffu;
            in = a >= b && a <= b + 15u;
        }
        off += v != c->clear && !in;
    }
    return off;
}

/* The LOD family's CI cases (seeds 1..SD_LOD_CI_CASES of its own stream):
 * 100 cost ~4.4 s of CPU with Mesa's cache cold (a llvmpipe variant per
 * sampler state), about the 15% of the main family's time CI allows; the
 * surveys run seeds 1..3000 by hand. */
#define SD_LOD_CI_CASES 100u

/* The LOD family (gen_lod_case): VGT_SHDIFF_LOD_SEED and
 * VGT_SHDIFF_LOD_CASES choose its seeds; SURVEY, REDUCE, WRITE and PRINT
 * as for the main family. */
static void test_shader_differential_lod(void **state)
{
    (void)state;
    uint64_t seed0 = env_u64("VGT_SHDIFF_LOD_SEED", 1);
    uint64_t cases = env_u64("VGT_SHDIFF_LOD_CASES", SD_LOD_CI_CASES);
    bool survey = env_u64("VGT_SHDIFF_SURVEY", 0) != 0;
    bool reduce_findings = env_u64("VGT_SHDIFF_REDUCE", 0) != 0;
    bool print_all = env_u64("VGT_SHDIFF_PRINT", 0) != 0;
    sd_fixtures fx;
    sd_fixtures_open(&fx);
    sd_case *c = malloc(sizeof(*c));
    sd_result *res = malloc(sizeof(*res));
    assert_non_null(c);
    assert_non_null(res);
    uint64_t findings = 0, compared = 0, drawn = 0, worst_over = 0;
    uint32_t worst_delta = 0;
    /* what CI's run compared: each op, each mip filter, a fraction, each
     * bias, MAXMIPLEVEL, sm 2 and 3, every level sampled, and texldl under
     * MAXMIPLEVEL clamped, with a fraction and with MIN != MAG */
    uint64_t op[4] = {0}, mipf[2] = {0}, frac = 0, stage_bias = 0, texb = 0, maxmip = 0, sm3 = 0,
             minmag = 0, level[SD_LODMIPS] = {0}, texl_clamp = 0, texl_frac = 0, texl_minmag = 0;
    for (uint64_t i = 0; i < cases; i++) {
        gen_lod_case(seed0 + i, c);
        override_shader(&c->vs, "VGT_SHDIFF_VS_FILE");
        override_shader(&c->ps, "VGT_SHDIFF_PS_FILE");
        if (print_all) {
            print_case(c);
        }
        if (!sd_compare(&fx, c, res)) {
            print_case(c);
            fail_msg("LOD case %" PRIu64 ": the generator made a shader that does not assemble: %s",
                     c->seed, res->message);
        }
        uint32_t m = lod_expected_level(c), off = 0;
        if (!res->refused) {
            compared++;
            worst_delta = res->max_delta > worst_delta ? res->max_delta : worst_delta;
            worst_over = res->over > worst_over ? res->over : worst_over;
            bool drew = false;
            for (uint32_t p = 0; p < SD_W * SD_H && !drew; p++) {
                drew = vgt_load_le32(res->soft + 4 * p) != c->clear;
            }
            drawn += drew;
            op[c->lod_op]++;
            mipf[c->mip == VGT_SVGA3D_TEX_FILTER_LINEAR]++;
            frac += c->lod_frac != 0.0f;
            stage_bias += c->lod_bias != 0.0f;
            texb += c->lod_texb != 0;
            maxmip += c->maxmip != 0;
            sm3 += c->sm == 3;
            minmag += c->lod_min != 0;
            level[m]++;
            /* texldl under MAXMIPLEVEL: clamped (w + bias < MAXMIPLEVEL, the
             * level gl took as MAXMIPLEVEL + w), with a fraction, MIN != MAG */
            if (c->lod_op == 3 && c->maxmip != 0) {
                texl_clamp += lod_lambda(c) < (float)c->maxmip;
                texl_frac += c->lod_w != floorf(c->lod_w);
                texl_minmag += c->lod_min != 0;
            }
            /* BORDER blends the border colour in at the texture's edge */
            if (c->addr[0][0] != VGT_SVGA3D_TEX_ADDRESS_BORDER &&
                c->addr[0][1] != VGT_SVGA3D_TEX_ADDRESS_BORDER) {
                off = lod_off_level(c, res->soft, m);
            }
        }
        if (!res->refused && !res->over && !off) {
            continue;
        }
        findings++;
        if (survey) {
            if (res->refused) {
                print_message("FINDING LOD seed %" PRIu64 ": refusal %s\n", c->seed, res->message);
            } else {
                uint32_t px = res->first % (SD_W * SD_H);
                print_message("FINDING LOD seed %" PRIu64 ": sm %u, delta %u, %u pixels over "
                              "(the first: x %u, y %u, gl %08x, soft %08x), %u pixels of soft "
                              "not level %u\n",
                              c->seed, c->sm, res->max_delta, res->over, px % SD_W, px / SD_W,
                              vgt_load_le32(res->gl + 4 * res->first),
                              vgt_load_le32(res->soft + 4 * res->first), off, m);
            }
            if (reduce_findings && !res->refused && res->over) {
                reduce(&fx, c);
            }
            continue;
        }
        print_case(c);
        char name[64];
        snprintf(name, sizeof(name), "shdiff-lod-%" PRIu64, c->seed);
        write_pictures(c, res, name);
        if (res->refused) {
            fail_msg("LOD case %" PRIu64 ": refused: %s", c->seed, res->message);
        }
        fail_msg("LOD case %" PRIu64 ": %u pixels differ by more than %u (max delta %u), %u "
                 "pixels of soft are not level %u's texels; pictures in gl-out/%s-{gl,soft}.png",
                 c->seed, res->over, SD_TOL, res->max_delta, off, m, name);
    }
    print_message("shader differential, LOD family: seeds %" PRIu64 "..%" PRIu64 ": %" PRIu64
                  " compared (%" PRIu64 " drew); worst max channel delta %u, most pixels over "
                  "%" PRIu64 ", findings %" PRIu64 "\n",
                  seed0, seed0 + cases - 1, compared, drawn, worst_delta, worst_over, findings);
    print_message("  texldl %" PRIu64 " (under MAXMIPLEVEL: clamped %" PRIu64
                  ", a fraction %" PRIu64 ", MIN != MAG %" PRIu64 ")\n",
                  op[3], texl_clamp, texl_frac, texl_minmag);
    print_message("  texld %" PRIu64 ", texldp %" PRIu64 ", texldb %" PRIu64 " (bias %" PRIu64
                  "), POINT %" PRIu64 " (a fraction %" PRIu64 "), LINEAR %" PRIu64
                  ", stage bias %" PRIu64 ", MAXMIPLEVEL %" PRIu64 ", MIN != MAG %" PRIu64
                  ", sm 3 %" PRIu64 "; levels %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
                  " %" PRIu64 "\n",
                  op[0], op[1], op[2], texb, mipf[0], frac, mipf[1], stage_bias, maxmip, minmag,
                  sm3, level[0], level[1], level[2], level[3], level[4]);
    assert_int_equal(findings, 0);
    if (cases >= SD_LOD_CI_CASES) {
        uint64_t each[] = {op[0],      op[1],      op[2],      texb,     mipf[0],  frac,
                           mipf[1],    stage_bias, maxmip,     minmag,   sm3,      cases - sm3,
                           level[0],   level[1],   level[2],   level[3], level[4], op[3],
                           texl_clamp, texl_frac,  texl_minmag};
        for (size_t f = 0; f < sizeof(each) / sizeof(each[0]); f++) {
            assert_true(each[f] >= cases / 30);
        }
    }
    assert_int_equal(compared, cases);
    assert_true(drawn >= compared * 9 / 10);
    free(c);
    free(res);
    sd_fixtures_close(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shader_differential),
        cmocka_unit_test(test_shader_differential_lod),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
