/* soft_shader_exec.c - the shader interpreter: one compiled program on 4
 * lanes at once (4 vertices, or the 2x2 quad of a pixel), with an execution
 * mask for divergent flow control.
 *
 * Direct3D 9 semantics, and the exact values used where D3D leaves a choice
 * (docs/soft.md lists them):
 * - rcp(0) = rsq(0) = +FLT_MAX (D3D's reference: max float, not infinity),
 *   rcp(1) = rsq(1) = 1 exactly; log(0) = -FLT_MAX; log and pow use |x|;
 *   exp/log/pow use the renderer's own exp2/log2 (no libm).
 * - scalar instructions (rcp rsq exp log expp logp pow) read the w component
 *   of the swizzled source (= the replicated component of a replicate
 *   swizzle, which SM 2+ requires).
 * - sincos computes the exact-range sine and cosine of any angle (D3D
 *   defines [-pi, pi]; the taylor constants of sm 2 are ignored).
 * - relative addressing clamps the index to the register file; mova rounds
 *   to nearest (floor(x + 0.5)), vs_1_1 mov a0 floors.
 * - loop/rep run at most 255 iterations (D3D's limit), loop's start is
 *   clamped to 0..255 and its step to -128..127; one invocation runs
 *   at most SSH_BUDGET instructions, then stops (outputs as they are); calls
 *   nest at most SSH_MAX_CALLS deep (deeper calls are skipped).
 * - dsx/dsy: differences inside the 2x2 quad, per row / per column (lanes
 *   0-1 and 2-3 share dsx, lanes 0-2 and 1-3 share dsy); 0 in vertex
 *   shaders.  Texture LODs use the same differences of the coordinates.
 * - ps_1_x: results are clamped to [-1, 1] (ps_1_1-1_3) or [-8, 8]
 *   (ps_1_4) after the shift; co-issued instructions run one after the
 *   other. */
#include <string.h>

#include "soft_shader.h"

#define SSH_BUDGET    65536u
#define SSH_MAX_CALLS 16u
#define SSH_MAX_LOOPS 40u
#define SSH_FLT_MAX   3.402823466e+38f

typedef float vec[4][SSH_LANES]; /* [component][lane] */

typedef struct ifr {
    uint8_t old, cond;
} ifr;

typedef struct lfr {
    uint32_t start, end; /* first body instruction, the endloop/endrep */
    int32_t left, aL, step;
    uint8_t entry, broken;
    uint32_t if_depth;
} lfr;

typedef struct cfr {
    uint32_t ret;
    uint8_t mask;
    uint32_t if_depth, loop_depth;
} cfr;

typedef struct run {
    const vgt_soft_shader *sh;
    ssh_ctx *x;
    uint8_t mask;
    ifr ifs[VGT_SHADER_MAX_NESTING + 8];
    uint32_t nif;
    lfr loops[SSH_MAX_LOOPS];
    uint32_t nloop;
    cfr calls[SSH_MAX_CALLS];
    uint32_t ncall;
} run;

static inline int32_t clamp_i(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

static inline int32_t aL_of(const run *r)
{
    return r->nloop ? r->loops[r->nloop - 1].aL : 0;
}

static inline float sat(float v)
{
    return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f; /* NaN -> 0 */
}

/* ---- operands ------------------------------------------------------------ */

static void apply_mod(uint8_t mod, vec v)
{
    switch (mod) {
    case VGT_SMOD_NONE:
        return;
    case VGT_SMOD_DZ:
    case VGT_SMOD_DW: {
        unsigned d = mod == VGT_SMOD_DZ ? 2 : 3;
        for (unsigned l = 0; l < SSH_LANES; l++) {
            float w = v[d][l];
            v[0][l] = v[0][l] / w;
            v[1][l] = v[1][l] / w;
        }
        return;
    }
    default:
        break;
    }
    for (unsigned c = 0; c < 4; c++) {
        for (unsigned l = 0; l < SSH_LANES; l++) {
            float a = v[c][l];
            switch (mod) {
            case VGT_SMOD_NEG:
                a = -a;
                break;
            case VGT_SMOD_BIAS:
                a = a - 0.5f;
                break;
            case VGT_SMOD_BIASNEG:
                a = -(a - 0.5f);
                break;
            case VGT_SMOD_SIGN:
                a = 2.0f * a - 1.0f;
                break;
            case VGT_SMOD_SIGNNEG:
                a = -(2.0f * a - 1.0f);
                break;
            case VGT_SMOD_COMP:
                a = 1.0f - a;
                break;
            case VGT_SMOD_X2:
                a = 2.0f * a;
                break;
            case VGT_SMOD_X2NEG:
                a = -2.0f * a;
                break;
            case VGT_SMOD_ABS:
                a = a < 0.0f ? -a : a;
                break;
            case VGT_SMOD_ABSNEG:
                a = a < 0.0f ? a : -a;
                break;
            case VGT_SMOD_NOT:
                a = a != 0.0f ? 0.0f : 1.0f;
                break;
            default:
                break;
            }
            v[c][l] = a;
        }
    }
}

/* Reads source s (with register offset `off`, for the matrix instructions). */
static void read_src(const run *r, const ssh_src *s, uint32_t off, vec out)
{
    const ssh_ctx *x = r->x;
    switch (s->kind) {
    case SSH_K_REG:
        if (!s->rel) {
            uint32_t i = s->index + off;
            i = i < SSH_R_COUNT ? i : SSH_R_COUNT - 1;
            for (unsigned c = 0; c < 4; c++) {
                memcpy(out[c], x->R[i][s->swz[c]], sizeof(out[c]));
            }
        } else if (s->rel == 2) {
            int32_t i = clamp_i((int32_t)(s->index + off) + aL_of(r), s->lo, s->hi);
            for (unsigned c = 0; c < 4; c++) {
                memcpy(out[c], x->R[i][s->swz[c]], sizeof(out[c]));
            }
        } else {
            for (unsigned l = 0; l < SSH_LANES; l++) {
                int32_t i =
                    clamp_i((int32_t)(s->index + off) + x->a0[s->rel_comp][l], s->lo, s->hi);
                for (unsigned c = 0; c < 4; c++) {
                    out[c][l] = x->R[i][s->swz[c]][l];
                }
            }
        }
        break;
    case SSH_K_CONST: {
        int32_t hi = (int32_t)x->k->nc - 1;
        hi = hi < s->hi ? hi : s->hi;
        if (s->rel == 1) {
            for (unsigned l = 0; l < SSH_LANES; l++) {
                int32_t i = clamp_i((int32_t)(s->index + off) + x->a0[s->rel_comp][l], 0, hi);
                for (unsigned c = 0; c < 4; c++) {
                    out[c][l] = x->k->c[i][s->swz[c]];
                }
            }
        } else {
            int32_t i = (int32_t)(s->index + off) + (s->rel == 2 ? aL_of(r) : 0);
            i = clamp_i(i, 0, hi);
            for (unsigned c = 0; c < 4; c++) {
                float v = x->k->c[i][s->swz[c]];
                for (unsigned l = 0; l < SSH_LANES; l++) {
                    out[c][l] = v;
                }
            }
        }
        break;
    }
    case SSH_K_INT:
        for (unsigned c = 0; c < 4; c++) {
            float v = (float)x->k->i[s->index & 15][s->swz[c]];
            for (unsigned l = 0; l < SSH_LANES; l++) {
                out[c][l] = v;
            }
        }
        break;
    case SSH_K_BOOL:
        for (unsigned c = 0; c < 4; c++) {
            float v = x->k->b[s->index & 15] ? 1.0f : 0.0f;
            for (unsigned l = 0; l < SSH_LANES; l++) {
                out[c][l] = v;
            }
        }
        break;
    case SSH_K_ADDR:
        for (unsigned c = 0; c < 4; c++) {
            for (unsigned l = 0; l < SSH_LANES; l++) {
                out[c][l] = (float)x->a0[s->swz[c]][l];
            }
        }
        break;
    case SSH_K_PRED:
        for (unsigned c = 0; c < 4; c++) {
            for (unsigned l = 0; l < SSH_LANES; l++) {
                out[c][l] = (x->p0[s->swz[c]] >> l) & 1u ? 1.0f : 0.0f;
            }
        }
        break;
    case SSH_K_LOOP:
        for (unsigned c = 0; c < 4; c++) {
            for (unsigned l = 0; l < SSH_LANES; l++) {
                out[c][l] = (float)aL_of(r);
            }
        }
        break;
    default:
        memset(out, 0, sizeof(vec));
        break;
    }
    apply_mod(s->mod, out);
}

/* The lanes whose (swizzled, modified) predicate component c is true. */
static uint8_t pred_lanes(const run *r, const ssh_src *p, unsigned c)
{
    uint8_t m = r->x->p0[p->swz[c]];
    return p->mod == VGT_SMOD_NOT ? (uint8_t)(~m & SSH_ALL) : m;
}

static int32_t to_int(float v, bool round)
{
    if (round) {
        v = v + 0.5f;
    }
    if (!(v > -1048576.0f)) {
        return v != v ? 0 : -1048576;
    }
    if (v > 1048576.0f) {
        return 1048576;
    }
    int32_t i = (int32_t)v;
    return (float)i > v ? i - 1 : i;
}

static void write_dst(run *r, const ssh_insn *in, vec v)
{
    ssh_ctx *x = r->x;
    const ssh_dst *d = &in->dst;
    if (d->kind == SSH_K_REG && !d->rel && !d->shift && !in->range && !in->predicated) {
        /* the common case: a plain register */
        float(*reg)[SSH_LANES] = x->R[d->index];
        for (unsigned c = 0; c < 4; c++) {
            if (!(d->mask & (1u << c))) {
                continue;
            }
            if (d->sat) {
                for (unsigned l = 0; l < SSH_LANES; l++) {
                    v[c][l] = sat(v[c][l]);
                }
            }
            if (r->mask == SSH_ALL) {
                memcpy(reg[c], v[c], sizeof(reg[c]));
            } else {
                for (unsigned l = 0; l < SSH_LANES; l++) {
                    if (r->mask & (1u << l)) {
                        reg[c][l] = v[c][l];
                    }
                }
            }
        }
        return;
    }
    float scale = 1.0f;
    if (d->shift > 0) {
        scale = (float)(1 << d->shift);
    } else if (d->shift < 0) {
        scale = 1.0f / (float)(1 << -d->shift);
    }
    for (unsigned c = 0; c < 4; c++) {
        if (!(d->mask & (1u << c))) {
            continue;
        }
        uint8_t lanes = r->mask;
        if (in->predicated) {
            lanes &= pred_lanes(r, &in->pred, c);
        }
        if (!lanes) {
            continue;
        }
        for (unsigned l = 0; l < SSH_LANES; l++) {
            if (!(lanes & (1u << l))) {
                continue;
            }
            float a = v[c][l];
            if (d->shift) {
                a = a * scale;
            }
            if (d->sat) {
                a = sat(a);
            }
            if (in->range) {
                float m = (float)in->range;
                a = a > -m ? (a < m ? a : m) : (a != a ? 0.0f : -m);
            }
            switch (d->kind) {
            case SSH_K_REG: {
                uint32_t i = d->index;
                if (d->rel == 2) {
                    i = (uint32_t)clamp_i((int32_t)d->index + aL_of(r), d->lo, d->hi);
                }
                x->R[i][c][l] = a;
                break;
            }
            case SSH_K_ADDR:
                x->a0[c][l] = to_int(a, in->op == VGT_SOP_MOVA);
                break;
            case SSH_K_PRED:
                if (a != 0.0f) {
                    x->p0[c] |= (uint8_t)(1u << l);
                } else {
                    x->p0[c] &= (uint8_t) ~(1u << l);
                }
                break;
            default:
                break;
            }
        }
    }
}

/* ---- arithmetic helpers ---------------------------------------------------- */

static float rcp_d3d(float f)
{
    if (f == 1.0f) {
        return 1.0f;
    }
    return f == 0.0f ? SSH_FLT_MAX : 1.0f / f;
}

static float rsq_d3d(float f)
{
    f = f < 0.0f ? -f : f;
    if (f == 1.0f) {
        return 1.0f;
    }
    return f == 0.0f ? SSH_FLT_MAX : 1.0f / __builtin_sqrtf(f);
}

static float log_d3d(float f)
{
    f = f < 0.0f ? -f : f;
    return f == 0.0f ? -SSH_FLT_MAX : soft_log2f(f);
}

static float pow_d3d(float a, float b)
{
    a = a < 0.0f ? -a : a;
    if (b == 0.0f) {
        return 1.0f;
    }
    if (a == 0.0f) {
        return b > 0.0f ? 0.0f : SSH_FLT_MAX;
    }
    if (a == 1.0f) {
        return 1.0f;
    }
    return soft_exp2f(b * soft_log2f(a));
}

static float floor_s(float x)
{
    if (!(x > -8388608.0f && x < 8388608.0f)) {
        return x;
    }
    float t = (float)(int32_t)x;
    return t > x ? t - 1.0f : t;
}

static bool compare(uint8_t op, float a, float b)
{
    switch (op) {
    case VGT_SCMP_GT:
        return a > b;
    case VGT_SCMP_EQ:
        return a == b;
    case VGT_SCMP_GE:
        return a >= b;
    case VGT_SCMP_LT:
        return a < b;
    case VGT_SCMP_NE:
        return a != b;
    case VGT_SCMP_LE:
        return a <= b;
    default:
        return false;
    }
}

/* Lanes where comparison `op` of component 0 of a and b holds. */
static uint8_t cmp_lanes(uint8_t op, vec a, vec b)
{
    uint8_t m = 0;
    for (unsigned l = 0; l < SSH_LANES; l++) {
        if (compare(op, a[0][l], b[0][l])) {
            m |= (uint8_t)(1u << l);
        }
    }
    return m;
}

/* ---- textures ------------------------------------------------------------------ */

/* Per-lane derivatives inside the quad: dx of lanes 0,1 = v1 - v0, of lanes
 * 2,3 = v3 - v2; dy of lanes 0,2 = v2 - v0, of lanes 1,3 = v3 - v1. */
static void quad_dx(const float *v, float *out)
{
    out[0] = out[1] = v[1] - v[0];
    out[2] = out[3] = v[3] - v[2];
}

static void quad_dy(const float *v, float *out)
{
    out[0] = out[2] = v[2] - v[0];
    out[1] = out[3] = v[3] - v[1];
}

static void sample(const run *r, const ssh_insn *in, vec coord, vec ddx_in, vec ddy_in, vec out)
{
    const ssh_ctx *x = r->x;
    const soft_sampler *sm =
        x->samplers && in->sampler < VGT_SOFT_MAX_STAGES ? &x->samplers[in->sampler] : NULL;
    if (!sm || !sm->bound) {
        for (unsigned l = 0; l < SSH_LANES; l++) {
            out[0][l] = out[1][l] = out[2][l] = 0.0f;
            out[3][l] = 1.0f;
        }
        return;
    }
    /* the bound texture decides the coordinates (as ps_1_x, which declares
     * no sampler types): (u, v), or (u, v, w) / a direction for cube and
     * volume textures */
    unsigned nc = sm->ncoord;
    float c[3][SSH_LANES] = {{0}};
    /* texldp divides by w; a ps_1_1..1_3 tex by what its stage's
     * TEXTURETRANSFORMFLAGS say (sm->ps1x_proj, set only for those) */
    unsigned div = 0;
    if (in->op == VGT_SOP_TEX) {
        div = (in->control & VGT_SHADER_TEX_PROJECT) ? 3u : sm->ps1x_proj;
    }
    for (unsigned l = 0; l < SSH_LANES; l++) {
        for (unsigned k = 0; k < nc; k++) {
            c[k][l] = div ? coord[k][l] / coord[div][l] : coord[k][l];
        }
    }
    if (in->op == VGT_SOP_TEXLDL) {
        /* explicit LOD from w (the stage's LOD bias added) */
        for (unsigned l = 0; l < SSH_LANES; l++) {
            float t[4], p[3] = {c[0][l], c[1][l], c[2][l]};
            soft_sample3_lod(sm, p, coord[3][l], t);
            for (unsigned k = 0; k < 4; k++) {
                out[k][l] = t[k];
            }
        }
        return;
    }
    float dx[3][SSH_LANES] = {{0}}, dy[3][SSH_LANES] = {{0}};
    if (in->op == VGT_SOP_TEXLDD) {
        for (unsigned k = 0; k < nc; k++) {
            for (unsigned l = 0; l < SSH_LANES; l++) {
                dx[k][l] = ddx_in[k][l];
                dy[k][l] = ddy_in[k][l];
            }
        }
    } else if (x->quad) {
        for (unsigned k = 0; k < nc; k++) {
            quad_dx(c[k], dx[k]);
            quad_dy(c[k], dy[k]);
        }
        if (in->op == VGT_SOP_TEX && (in->control & VGT_SHADER_TEX_BIAS)) {
            /* a footprint 2^bias times as large: lambda + bias */
            for (unsigned l = 0; l < SSH_LANES; l++) {
                float b = soft_exp2f(coord[3][l]);
                for (unsigned k = 0; k < nc; k++) {
                    dx[k][l] *= b;
                    dy[k][l] *= b;
                }
            }
        }
    }
    for (unsigned l = 0; l < SSH_LANES; l++) {
        float t[4];
        if (nc == 2) {
            soft_sample(sm, c[0][l], c[1][l], dx[0][l], dx[1][l], dy[0][l], dy[1][l], t);
        } else {
            float p[3] = {c[0][l], c[1][l], c[2][l]};
            float px[3] = {dx[0][l], dx[1][l], dx[2][l]}, py[3] = {dy[0][l], dy[1][l], dy[2][l]};
            soft_sample3(sm, p, px, py, t);
        }
        for (unsigned k = 0; k < 4; k++) {
            out[k][l] = t[k];
        }
    }
}

/* ---- the loop --------------------------------------------------------------------- */

static uint8_t loop_broken(const run *r)
{
    return r->nloop ? r->loops[r->nloop - 1].broken : 0;
}

/* Enters a loop/rep at pc (count iterations); returns the next pc. */
static uint32_t enter_loop(run *r, const ssh_insn *in, uint32_t pc, int32_t count, int32_t start,
                           int32_t step)
{
    count = clamp_i(count, 0, 255);
    if (count == 0 || r->mask == 0 || r->nloop >= SSH_MAX_LOOPS || in->target <= pc) {
        return in->target + 1; /* past the endloop */
    }
    /* a rep keeps the enclosing loop's aL (0 outside any loop): read it
     * before the new frame is pushed, whose own aL is not set yet */
    int32_t outer_aL = aL_of(r);
    lfr *f = &r->loops[r->nloop++];
    f->start = pc + 1;
    f->end = in->target;
    f->left = count;
    /* D3D's ranges: start 0..255, step -128..127 (so aL stays small) */
    f->aL = in->op == VGT_SOP_LOOP ? clamp_i(start, 0, 255) : outer_aL;
    f->step = in->op == VGT_SOP_LOOP ? clamp_i(step, -128, 127) : 0;
    f->entry = r->mask;
    f->broken = 0;
    f->if_depth = r->nif;
    return pc + 1;
}

static uint32_t do_break(run *r, uint8_t lanes, uint32_t pc)
{
    if (!r->nloop) {
        return pc + 1;
    }
    lfr *f = &r->loops[r->nloop - 1];
    lanes &= r->mask;
    f->broken |= lanes;
    r->mask &= (uint8_t)~lanes;
    if ((f->entry & ~f->broken) == 0) {
        /* every lane left the loop: straight to its end */
        r->nif = f->if_depth;
        return f->end;
    }
    return pc + 1;
}

static void arith(run *r, const ssh_insn *in, uint32_t pc);

void ssh_run(const vgt_soft_shader *sh, ssh_ctx *x, uint32_t lanes)
{
    run r;
    r.sh = sh;
    r.x = x;
    r.mask = (uint8_t)(lanes & SSH_ALL);
    r.nif = r.nloop = r.ncall = 0;
    uint32_t budget = SSH_BUDGET;
    uint32_t pc = 0;
    while (pc < sh->ncode && budget--) {
        const ssh_insn *in = &sh->code[pc];
        switch (in->op) {
        case VGT_SOP_IF:
        case VGT_SOP_IFC: {
            uint8_t cond;
            if (in->op == VGT_SOP_IFC) {
                vec a, b;
                read_src(&r, &in->src[0], 0, a);
                read_src(&r, &in->src[1], 0, b);
                cond = cmp_lanes(in->control, a, b);
            } else if (in->src[0].kind == SSH_K_PRED) {
                cond = pred_lanes(&r, &in->src[0], 0);
            } else {
                cond = x->k->b[in->src[0].index & 15] ? SSH_ALL : 0;
            }
            if (r.nif >= sizeof(r.ifs) / sizeof(r.ifs[0])) {
                return; /* cannot happen: the parser bounds nesting */
            }
            r.ifs[r.nif++] = (ifr){r.mask, cond};
            r.mask &= cond;
            pc = r.mask ? pc + 1 : in->target;
            continue;
        }
        case VGT_SOP_ELSE: {
            if (!r.nif) {
                pc++;
                continue;
            }
            const ifr *f = &r.ifs[r.nif - 1];
            r.mask = (uint8_t)(f->old & ~f->cond & ~loop_broken(&r));
            pc = r.mask ? pc + 1 : in->target;
            continue;
        }
        case VGT_SOP_ENDIF:
            if (r.nif) {
                r.nif--;
                r.mask = (uint8_t)(r.ifs[r.nif].old & ~loop_broken(&r));
            }
            pc++;
            continue;
        case VGT_SOP_REP: {
            const int32_t *i = x->k->i[in->src[0].index & 15];
            pc = enter_loop(&r, in, pc, i[0], 0, 0);
            continue;
        }
        case VGT_SOP_LOOP: {
            const int32_t *i = x->k->i[in->src[1].index & 15];
            pc = enter_loop(&r, in, pc, i[0], i[1], i[2]);
            continue;
        }
        case VGT_SOP_ENDLOOP:
        case VGT_SOP_ENDREP: {
            if (!r.nloop) {
                pc++;
                continue;
            }
            lfr *f = &r.loops[r.nloop - 1];
            f->left--;
            uint8_t alive = (uint8_t)(f->entry & ~f->broken);
            if (f->left > 0 && alive) {
                f->aL += f->step;
                r.mask = alive;
                r.nif = f->if_depth;
                pc = f->start;
            } else {
                r.mask = f->entry;
                r.nif = f->if_depth;
                r.nloop--;
                pc++;
            }
            continue;
        }
        case VGT_SOP_BREAK:
            pc = do_break(&r, SSH_ALL, pc);
            continue;
        case VGT_SOP_BREAKC: {
            vec a, b;
            read_src(&r, &in->src[0], 0, a);
            read_src(&r, &in->src[1], 0, b);
            pc = do_break(&r, cmp_lanes(in->control, a, b), pc);
            continue;
        }
        case VGT_SOP_BREAKP:
            pc = do_break(&r, pred_lanes(&r, &in->src[0], 0), pc);
            continue;
        case VGT_SOP_CALL:
        case VGT_SOP_CALLNZ: {
            uint8_t lanes_in = r.mask;
            if (in->op == VGT_SOP_CALLNZ) {
                if (in->src[1].kind == SSH_K_PRED) {
                    lanes_in &= pred_lanes(&r, &in->src[1], 0);
                } else if (!x->k->b[in->src[1].index & 15]) {
                    lanes_in = 0;
                }
            }
            if (!lanes_in || r.ncall >= SSH_MAX_CALLS || in->target >= sh->ncode) {
                pc++;
                continue;
            }
            r.calls[r.ncall++] = (cfr){pc + 1, r.mask, r.nif, r.nloop};
            r.mask = lanes_in;
            pc = in->target + 1; /* the label's next instruction */
            continue;
        }
        case VGT_SOP_RET:
        case VGT_SOP_LABEL:
            /* the end of a subroutine, or of the main program */
            if (!r.ncall) {
                return;
            }
            r.ncall--;
            pc = r.calls[r.ncall].ret;
            r.mask = r.calls[r.ncall].mask;
            r.nif = r.calls[r.ncall].if_depth;
            r.nloop = r.calls[r.ncall].loop_depth;
            continue;
        case VGT_SOP_NOP:
        case VGT_SOP_PHASE:
            pc++;
            continue;
        default:
            if (r.mask) {
                arith(&r, in, pc);
            }
            pc++;
            continue;
        }
    }
}

static float dot(vec a, vec b, unsigned n, unsigned l)
{
    float s = a[0][l] * b[0][l];
    for (unsigned c = 1; c < n; c++) {
        s = s + a[c][l] * b[c][l];
    }
    return s;
}

static void arith(run *r, const ssh_insn *in, uint32_t pc)
{
    (void)pc;
    vec s0, s1, s2, d;
    unsigned ns = in->nsrc;
    switch (in->op) {
    case VGT_SOP_TEX:
    case VGT_SOP_TEXLDL:
        read_src(r, &in->src[0], 0, s0);
        sample(r, in, s0, NULL, NULL, d);
        write_dst(r, in, d);
        return;
    case VGT_SOP_TEXLDD: {
        vec s3;
        read_src(r, &in->src[0], 0, s0);
        read_src(r, &in->src[2], 0, s2);
        read_src(r, &in->src[3], 0, s3);
        sample(r, in, s0, s2, s3, d);
        write_dst(r, in, d);
        return;
    }
    case VGT_SOP_TEXBEM:
    case VGT_SOP_TEXBEML: {
        /* Microsoft's texbem: u' = u + MAT00 du + MAT10 dv, v' = v + MAT01 du
         * + MAT11 dv, stage m's matrix; a projected stage divides its own
         * coordinates only, before the offset (Wine's shader_glsl_texbem) */
        read_src(r, &in->src[0], 0, s0); /* t(n): du, dv, l */
        read_src(r, &in->src[1], 0, s1); /* t(m): the coordinates */
        const float *m = r->x->k->bump[in->sampler & 7u];
        const soft_sampler *sm = r->x->samplers ? &r->x->samplers[in->sampler & 7u] : NULL;
        unsigned div = sm && sm->bound ? sm->ps1x_proj : 0u;
        for (unsigned l = 0; l < SSH_LANES; l++) {
            float q = div ? s1[div][l] : 1.0f;
            for (unsigned c = 0; c < 3; c++) {
                s2[c][l] = div ? s1[c][l] / q : s1[c][l];
            }
            s2[0][l] = s2[0][l] + m[0] * s0[0][l] + m[2] * s0[1][l];
            s2[1][l] = s2[1][l] + m[1] * s0[0][l] + m[3] * s0[1][l];
            s2[3][l] = 1.0f;
        }
        sample(r, in, s2, NULL, NULL, d);
        if (in->op == VGT_SOP_TEXBEML) {
            /* texbeml: times t(n).b * LSCALE + LOFFSET, unclamped (Microsoft's
             * texbeml page; Wine's texbem does not saturate it either) */
            for (unsigned l = 0; l < SSH_LANES; l++) {
                float f = s0[2][l] * m[4] + m[5];
                for (unsigned c = 0; c < 4; c++) {
                    d[c][l] = d[c][l] * f;
                }
            }
        }
        write_dst(r, in, d);
        return;
    }
    case VGT_SOP_TEXREG2AR:
    case VGT_SOP_TEXREG2GB:
    case VGT_SOP_TEXREG2RGB:
    case VGT_SOP_TEXDP3TEX:
    case VGT_SOP_TEXM3X2TEX:
    case VGT_SOP_TEXDP3: {
        /* Microsoft's ps_1_x pages (and Wine's shader_glsl_texreg2ar ...):
         * texreg2ar samples at (t(n).a, t(n).r), texreg2gb (t(n).g, t(n).b),
         * texreg2rgb (t(n).r, t(n).g, t(n).b); texdp3tex at (t(m).xyz .
         * t(n).rgb, 0, 0); texm3x2tex at (t(m-1).xyz . t(n).rgb, t(m).xyz .
         * t(n).rgb); texdp3 writes t(m).xyz . t(n).rgb to all four */
        read_src(r, &in->src[0], 0, s0); /* t(n) */
        read_src(r, &in->src[1], 0, s1); /* t(m) */
        read_src(r, &in->src[2], 0, s2); /* t(m-1) for texm3x2tex */
        vec c;
        for (unsigned l = 0; l < SSH_LANES; l++) {
            float a = s2[0][l], b = dot(s1, s0, 3, l); /* a: texm3x2pad's dot */
            c[2][l] = 0.0f;
            c[3][l] = 1.0f;
            switch (in->op) {
            case VGT_SOP_TEXREG2AR:
                c[0][l] = s0[3][l];
                c[1][l] = s0[0][l];
                break;
            case VGT_SOP_TEXREG2GB:
                c[0][l] = s0[1][l];
                c[1][l] = s0[2][l];
                break;
            case VGT_SOP_TEXREG2RGB:
                c[0][l] = s0[0][l];
                c[1][l] = s0[1][l];
                c[2][l] = s0[2][l];
                break;
            case VGT_SOP_TEXM3X2TEX:
                c[0][l] = a;
                c[1][l] = b;
                break;
            default: /* texdp3tex, texdp3 */
                c[0][l] = c[1][l] = c[2][l] = c[3][l] = b;
                if (in->op == VGT_SOP_TEXDP3TEX) {
                    c[1][l] = c[2][l] = 0.0f;
                }
                break;
            }
        }
        if (in->op == VGT_SOP_TEXDP3) {
            write_dst(r, in, c);
            return;
        }
        sample(r, in, c, NULL, NULL, d);
        write_dst(r, in, d);
        return;
    }
    case VGT_SOP_TEXM3X2PAD:
    case VGT_SOP_TEXM3X3PAD:
        /* t(m) = t(m)'s coordinates . t(n).rgb in all four (unclamped): the
         * texm3x2tex / texm3x3tex / texm3x3 that follows reads it */
        read_src(r, &in->src[0], 0, s0);
        read_src(r, &in->src[1], 0, s1);
        for (unsigned l = 0; l < SSH_LANES; l++) {
            d[0][l] = d[1][l] = d[2][l] = d[3][l] = dot(s1, s0, 3, l);
        }
        write_dst(r, in, d);
        return;
    case VGT_SOP_TEXM3X3TEX:
    case VGT_SOP_TEXM3X3: {
        /* Microsoft's texm3x3tex: sample stage m at (t(m-2).xyz . t(n).rgb,
         * t(m-1).xyz . t(n).rgb, t(m).xyz . t(n).rgb) (a cube direction, a
         * volume's uvw, or a 2D texture's first two); texm3x3 writes those
         * three and 1 */
        vec t0, c;
        read_src(r, &in->src[0], 0, s0);
        read_src(r, &in->src[1], 0, s1);
        read_src(r, &in->src[2], 0, s2);
        read_src(r, &in->src[3], 0, t0);
        for (unsigned l = 0; l < SSH_LANES; l++) {
            c[0][l] = t0[0][l]; /* the pads' dot products */
            c[1][l] = s2[0][l];
            c[2][l] = dot(s1, s0, 3, l);
            c[3][l] = 1.0f;
        }
        if (in->op == VGT_SOP_TEXM3X3) {
            write_dst(r, in, c);
            return;
        }
        sample(r, in, c, NULL, NULL, d);
        write_dst(r, in, d);
        return;
    }
    case VGT_SOP_BEM: {
        /* bem r(m).rg, src0, src1 (ps_1_4): src0.rg + stage m's matrix times
         * src1.rg, the rule of texbem's offset */
        read_src(r, &in->src[0], 0, s0);
        read_src(r, &in->src[1], 0, s1);
        const float *m = r->x->k->bump[in->sampler & 7u];
        for (unsigned l = 0; l < SSH_LANES; l++) {
            d[0][l] = s0[0][l] + m[0] * s1[0][l] + m[2] * s1[1][l];
            d[1][l] = s0[1][l] + m[1] * s1[0][l] + m[3] * s1[1][l];
            d[2][l] = d[3][l] = 0.0f;
        }
        write_dst(r, in, d);
        return;
    }
    case VGT_SOP_TEXKILL: {
        /* the operand is encoded as a destination: read its register */
        ssh_src s = {SSH_K_REG, {0, 1, 2, 3}, 0, 0, 0, in->dst.index, 0, 0};
        read_src(r, &s, 0, s0);
        unsigned comps = r->sh->ps1x ? 7u : in->dst.mask;
        for (unsigned l = 0; l < SSH_LANES; l++) {
            if (!(r->mask & (1u << l))) {
                continue;
            }
            for (unsigned c = 0; c < 4; c++) {
                if ((comps & (1u << c)) && s0[c][l] < 0.0f) {
                    r->x->killed |= (uint8_t)(1u << l);
                }
            }
        }
        return;
    }
    case VGT_SOP_TEXCOORD:
        read_src(r, &in->src[0], 0, s0);
        for (unsigned l = 0; l < SSH_LANES; l++) {
            if (r->sh->version < VGT_SHADER_V14) {
                for (unsigned c = 0; c < 3; c++) {
                    s0[c][l] = sat(s0[c][l]);
                }
                s0[3][l] = 1.0f;
            }
        }
        write_dst(r, in, s0);
        return;
    case VGT_SOP_M4X4:
    case VGT_SOP_M4X3:
    case VGT_SOP_M3X4:
    case VGT_SOP_M3X3:
    case VGT_SOP_M3X2: {
        unsigned n = (in->op == VGT_SOP_M4X4 || in->op == VGT_SOP_M4X3) ? 4 : 3;
        unsigned rows = in->op == VGT_SOP_M4X4 || in->op == VGT_SOP_M3X4 ? 4
                        : in->op == VGT_SOP_M3X2                         ? 2
                                                                         : 3;
        read_src(r, &in->src[0], 0, s0);
        memset(d, 0, sizeof(d));
        for (unsigned k = 0; k < rows; k++) {
            read_src(r, &in->src[1], k, s1);
            for (unsigned l = 0; l < SSH_LANES; l++) {
                d[k][l] = dot(s0, s1, n, l);
            }
        }
        write_dst(r, in, d);
        return;
    }
    default:
        break;
    }
    if (ns > 0) {
        read_src(r, &in->src[0], 0, s0);
    }
    if (ns > 1) {
        read_src(r, &in->src[1], 0, s1);
    }
    if (ns > 2) {
        read_src(r, &in->src[2], 0, s2);
    }
    for (unsigned l = 0; l < SSH_LANES; l++) {
        switch (in->op) {
        case VGT_SOP_MOV:
        case VGT_SOP_MOVA:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l];
            }
            break;
        case VGT_SOP_ADD:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l] + s1[c][l];
            }
            break;
        case VGT_SOP_SUB:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l] - s1[c][l];
            }
            break;
        case VGT_SOP_MUL:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l] * s1[c][l];
            }
            break;
        case VGT_SOP_MAD:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l] * s1[c][l] + s2[c][l];
            }
            break;
        case VGT_SOP_DP3:
            d[0][l] = d[1][l] = d[2][l] = d[3][l] = dot(s0, s1, 3, l);
            break;
        case VGT_SOP_DP4:
            d[0][l] = d[1][l] = d[2][l] = d[3][l] = dot(s0, s1, 4, l);
            break;
        case VGT_SOP_DP2ADD:
            d[0][l] = d[1][l] = d[2][l] = d[3][l] =
                s0[0][l] * s1[0][l] + s0[1][l] * s1[1][l] + s2[0][l];
            break;
        case VGT_SOP_RCP:
            d[0][l] = d[1][l] = d[2][l] = d[3][l] = rcp_d3d(s0[3][l]);
            break;
        case VGT_SOP_RSQ:
            d[0][l] = d[1][l] = d[2][l] = d[3][l] = rsq_d3d(s0[3][l]);
            break;
        case VGT_SOP_EXP:
            d[0][l] = d[1][l] = d[2][l] = d[3][l] = soft_exp2f(s0[3][l]);
            break;
        case VGT_SOP_LOG:
        case VGT_SOP_LOGP:
            d[0][l] = d[1][l] = d[2][l] = d[3][l] = log_d3d(s0[3][l]);
            break;
        case VGT_SOP_EXPP: {
            float v = s0[3][l], f = floor_s(v);
            if (r->sh->version >= VGT_SHADER_V(2, 0)) {
                /* vs_2_0 and later: 2^x in every component; (2^floor(x),
                 * x - floor(x), 2^x, 1) is vs_1_1's (Microsoft's expp page) */
                d[0][l] = d[1][l] = d[2][l] = d[3][l] = soft_exp2f(v);
                break;
            }
            d[0][l] = soft_exp2f(f);
            d[1][l] = v - f;
            d[2][l] = soft_exp2f(v);
            d[3][l] = 1.0f;
            break;
        }
        case VGT_SOP_POW:
            d[0][l] = d[1][l] = d[2][l] = d[3][l] = pow_d3d(s0[3][l], s1[3][l]);
            break;
        case VGT_SOP_FRC:
            for (unsigned c = 0; c < 4; c++) {
                float v = s0[c][l];
                d[c][l] = v - floor_s(v);
            }
            break;
        case VGT_SOP_MIN:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l] < s1[c][l] ? s0[c][l] : s1[c][l];
            }
            break;
        case VGT_SOP_MAX:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l] >= s1[c][l] ? s0[c][l] : s1[c][l];
            }
            break;
        case VGT_SOP_SLT:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l] < s1[c][l] ? 1.0f : 0.0f;
            }
            break;
        case VGT_SOP_SGE:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l] >= s1[c][l] ? 1.0f : 0.0f;
            }
            break;
        case VGT_SOP_SGN:
            for (unsigned c = 0; c < 4; c++) {
                float v = s0[c][l];
                d[c][l] = v > 0.0f ? 1.0f : (v < 0.0f ? -1.0f : 0.0f);
            }
            break;
        case VGT_SOP_ABS:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l] < 0.0f ? -s0[c][l] : s0[c][l];
            }
            break;
        case VGT_SOP_NRM: {
            float f = rsq_d3d(dot(s0, s0, 3, l));
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l] * f;
            }
            break;
        }
        case VGT_SOP_CRS:
            d[0][l] = s0[1][l] * s1[2][l] - s0[2][l] * s1[1][l];
            d[1][l] = s0[2][l] * s1[0][l] - s0[0][l] * s1[2][l];
            d[2][l] = s0[0][l] * s1[1][l] - s0[1][l] * s1[0][l];
            d[3][l] = 0.0f;
            break;
        case VGT_SOP_LRP:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l] * (s1[c][l] - s2[c][l]) + s2[c][l];
            }
            break;
        case VGT_SOP_SINCOS: {
            /* the angle: the replicated component (.x in sm 3, w before) */
            float a = r->sh->version >= VGT_SHADER_V30 ? s0[0][l] : s0[3][l];
            d[0][l] = ssh_cosf(a);
            d[1][l] = ssh_sinf(a);
            d[2][l] = d[3][l] = 0.0f;
            break;
        }
        case VGT_SOP_CMP:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l] >= 0.0f ? s1[c][l] : s2[c][l];
            }
            break;
        case VGT_SOP_CND:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = s0[c][l] > 0.5f ? s1[c][l] : s2[c][l];
            }
            break;
        case VGT_SOP_LIT: {
            float p = s0[3][l];
            p = p < -127.9961f ? -127.9961f : (p > 127.9961f ? 127.9961f : p);
            d[0][l] = 1.0f;
            d[1][l] = 0.0f;
            d[2][l] = 0.0f;
            d[3][l] = 1.0f;
            if (s0[0][l] > 0.0f) {
                d[1][l] = s0[0][l];
                if (s0[1][l] > 0.0f) {
                    d[2][l] = pow_d3d(s0[1][l], p);
                }
            }
            break;
        }
        case VGT_SOP_DST:
            d[0][l] = 1.0f;
            d[1][l] = s0[1][l] * s1[1][l];
            d[2][l] = s0[2][l];
            d[3][l] = s1[3][l];
            break;
        case VGT_SOP_SETP:
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = compare(in->control, s0[c][l], s1[c][l]) ? 1.0f : 0.0f;
            }
            break;
        case VGT_SOP_DSX:
        case VGT_SOP_DSY:
            if (l == 0) {
                for (unsigned c = 0; c < 4; c++) {
                    if (!r->x->quad) {
                        memset(d[c], 0, sizeof(d[c]));
                    } else if (in->op == VGT_SOP_DSX) {
                        quad_dx(s0[c], d[c]);
                    } else {
                        quad_dy(s0[c], d[c]);
                    }
                }
            }
            break;
        default: /* not run (the draw was refused) */
            for (unsigned c = 0; c < 4; c++) {
                d[c][l] = 0.0f;
            }
            break;
        }
    }
    write_dst(r, in, d);
}
