/* soft_shader.c - Direct3D 9 shader bytecode compiled for the soft
 * renderer's interpreter.
 *
 * Guest bytecode reaches the interpreter only through vgt_shader_parse (it
 * checks every bit of every token).  The parsed form is then compiled into
 * a compact program: declarations and definitions are taken out of the
 * instruction stream (into semantic tables and def lists), every operand is
 * resolved to its place in the interpreter's per-lane register file (or to
 * a constant, integer, boolean, sampler, address or predicate register),
 * swizzles become index arrays, flow instructions know their partner. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soft_shader.h"

/* ---- sin / cos ---------------------------------------------------------- */

static float floor_f(float x)
{
    if (!(x > -8388608.0f && x < 8388608.0f)) {
        return x; /* integral already, or NaN */
    }
    float t = (float)(int32_t)x;
    return t > x ? t - 1.0f : t;
}

/* sin on [-pi/2, pi/2]: Taylor to x^17 (|error| < 1e-9 there). */
static float sin_core(float x)
{
    float x2 = x * x;
    return x * (1.0f - x2 * (1.0f / 6.0f -
                             x2 * (1.0f / 120.0f -
                                   x2 * (1.0f / 5040.0f -
                                         x2 * (1.0f / 362880.0f -
                                               x2 * (1.0f / 39916800.0f -
                                                     x2 * (1.0f / 6227020800.0f -
                                                           x2 * (1.0f / 1307674368000.0f))))))));
}

float ssh_sinf(float x)
{
    const float two_pi = 6.28318530718f, pi = 3.14159265359f;
    if (x != x) {
        return x;
    }
    if (x > 1e6f || x < -1e6f) {
        return 0.0f;
    }
    if (x > pi || x < -pi) {
        x = x - two_pi * floor_f(x / two_pi + 0.5f); /* about [-pi, pi] */
    }
    if (x > pi * 0.5f) {
        x = pi - x;
    } else if (x < -pi * 0.5f) {
        x = -pi - x;
    }
    return sin_core(x);
}

float ssh_cosf(float x)
{
    return soft_cosf(x);
}

/* ---- constants ------------------------------------------------------------ */

void ssh_consts_build(const vgt_soft_shader *sh, const vgt_soft_shader_consts *in, ssh_consts *k)
{
    uint32_t n = sh->float_regs < 256u ? sh->float_regs : 256u;
    uint32_t have = in->f ? (in->float_count < n ? in->float_count : n) : 0;
    if (have) {
        memcpy(k->c, in->f, (size_t)have * sizeof(k->c[0]));
    }
    if (have < n) {
        memset(k->c[have], 0, (size_t)(n - have) * sizeof(k->c[0]));
    }
    k->nc = n ? n : 1;
    if (!n) {
        memset(k->c[0], 0, sizeof(k->c[0]));
    }
    for (uint32_t d = 0; d < sh->nfdef; d++) {
        if (sh->fdef[d].reg < n) {
            memcpy(k->c[sh->fdef[d].reg], sh->fdef[d].v, sizeof(k->c[0]));
        }
    }
    for (uint32_t r = 0; r < 16; r++) {
        if (sh->idef_mask & (1u << r)) {
            memcpy(k->i[r], sh->idef[r], sizeof(k->i[0]));
        } else if (in->i) {
            memcpy(k->i[r], in->i[r], sizeof(k->i[0]));
        } else {
            memset(k->i[r], 0, sizeof(k->i[0]));
        }
        if (sh->bdef_mask & (1u << r)) {
            k->b[r] = sh->bdef[r];
        } else {
            k->b[r] = in->b ? in->b[r] != 0 : 0;
        }
    }
}

/* ---- compile ---------------------------------------------------------------- */

typedef struct cstate {
    const vgt_shader *ps;
    vgt_soft_shader *out;
    bool vs;
    bool v30; /* vs_3_0 (o# outputs) */
} cstate;

static void unsupported(vgt_soft_shader *o, const char *fmt, const char *what, uint32_t token)
{
    if (!o->unsupported[0]) {
        snprintf(o->unsupported, sizeof(o->unsupported), fmt, what, token);
    }
}

static void swz_of(uint8_t swizzle, uint8_t out[4])
{
    for (unsigned i = 0; i < 4; i++) {
        out[i] = (uint8_t)vgt_shader_swizzle_get(swizzle, i);
    }
}

static void rel_of(const vgt_shader_rel *r, bool relative, uint8_t *rel, uint8_t *comp)
{
    *rel = 0;
    *comp = 0;
    if (relative) {
        if (r->type == VGT_SREG_LOOP) {
            *rel = 2;
        } else {
            *rel = 1;
            *comp = (uint8_t)(r->swizzle & 3u);
        }
    }
}

static void compile_src(const cstate *c, const vgt_shader_src *s, ssh_src *o)
{
    memset(o, 0, sizeof(*o));
    swz_of(s->swizzle, o->swz);
    o->mod = s->mod;
    rel_of(&s->rel, s->relative, &o->rel, &o->rel_comp);
    uint32_t n = s->index;
    switch (s->type) {
    case VGT_SREG_TEMP:
        o->kind = SSH_K_REG;
        o->index = (uint16_t)(SSH_R_TEMP + (n & 31u));
        o->lo = SSH_R_TEMP;
        o->hi = SSH_R_TEMP + 31;
        break;
    case VGT_SREG_INPUT:
        o->kind = SSH_K_REG;
        o->index = (uint16_t)(SSH_R_INPUT + (n & 15u));
        o->lo = SSH_R_INPUT;
        o->hi = SSH_R_INPUT + 15;
        break;
    case VGT_SREG_CONST:
        o->kind = SSH_K_CONST;
        o->index = (uint16_t)n;
        o->lo = 0;
        o->hi = (uint16_t)((c->out->float_regs ? c->out->float_regs : 1u) - 1u);
        break;
    case VGT_SREG_ADDR: /* = VGT_SREG_TEXTURE */
        if (c->vs) {
            o->kind = SSH_K_ADDR;
        } else {
            o->kind = SSH_K_REG;
            o->index = (uint16_t)(SSH_R_TEX + (n & 7u));
            o->lo = SSH_R_TEX;
            o->hi = SSH_R_TEX + 7;
        }
        break;
    case VGT_SREG_CONSTINT:
        o->kind = SSH_K_INT;
        o->index = (uint16_t)(n & 15u);
        break;
    case VGT_SREG_CONSTBOOL:
        o->kind = SSH_K_BOOL;
        o->index = (uint16_t)(n & 15u);
        break;
    case VGT_SREG_SAMPLER:
        o->kind = SSH_K_SAMPLER;
        o->index = (uint16_t)(n & 15u);
        break;
    case VGT_SREG_LOOP:
        o->kind = SSH_K_LOOP;
        break;
    case VGT_SREG_PREDICATE:
        o->kind = SSH_K_PRED;
        break;
    case VGT_SREG_MISCTYPE:
        o->kind = SSH_K_REG;
        o->index = (uint16_t)(SSH_R_MISC + (n & 1u));
        break;
    default: /* outputs, labels: not read as values */
        o->kind = SSH_K_NONE;
        break;
    }
}

static void compile_dst(const cstate *c, const vgt_shader_dst *d, ssh_dst *o)
{
    memset(o, 0, sizeof(*o));
    o->mask = d->write_mask;
    o->sat = (d->mod & VGT_SHADER_DSTMOD_SATURATE) != 0;
    o->shift = d->shift;
    uint8_t comp;
    rel_of(&d->rel, d->relative, &o->rel, &comp);
    o->kind = SSH_K_REG;
    uint32_t n = d->index;
    switch (d->type) {
    case VGT_SREG_TEMP:
        o->index = (uint16_t)(SSH_R_TEMP + (n & 31u));
        break;
    case VGT_SREG_INPUT:
        o->index = (uint16_t)(SSH_R_INPUT + (n & 15u));
        break;
    case VGT_SREG_ADDR: /* a0 (vs) / t# (ps_1_x) */
        if (c->vs) {
            o->kind = SSH_K_ADDR;
        } else {
            o->index = (uint16_t)(SSH_R_TEX + (n & 7u));
        }
        break;
    case VGT_SREG_RASTOUT:
        o->index = (uint16_t)(SSH_R_OUT + (n < 3 ? n : 0));
        break;
    case VGT_SREG_ATTROUT:
        o->index = (uint16_t)(SSH_R_OUT + SSH_OUT_D0 + (n & 1u));
        break;
    case VGT_SREG_OUTPUT: /* = TEXCRDOUT */
        if (c->v30) {
            o->index = (uint16_t)(SSH_R_OUT + (n < 12 ? n : 11));
            o->lo = SSH_R_OUT;
            o->hi = SSH_R_OUT + 11;
        } else {
            o->index = (uint16_t)(SSH_R_OUT + SSH_OUT_T0 + (n & 7u));
        }
        break;
    case VGT_SREG_COLOROUT:
        o->index = (uint16_t)(SSH_R_OUT + (n & 3u));
        break;
    case VGT_SREG_DEPTHOUT:
        o->index = (uint16_t)(SSH_R_OUT + SSH_OUT_DEPTH);
        break;
    case VGT_SREG_PREDICATE:
        o->kind = SSH_K_PRED;
        break;
    default:
        o->kind = SSH_K_NONE;
        break;
    }
}

static bool runs(uint32_t op)
{
    switch (op) {
    case VGT_SOP_TEXM3X3SPEC:
    case VGT_SOP_TEXM3X3VSPEC:
    case VGT_SOP_TEXM3X2DEPTH:
    case VGT_SOP_TEXDEPTH:
        return false;
    default:
        return true;
    }
}

/* False when out of memory (a DEF constant could not be kept). */
static bool declare(cstate *c, const vgt_shader_insn *in)
{
    vgt_soft_shader *o = c->out;
    const vgt_shader_dst *d = &in->dst;
    ssh_sem sem = {1, in->usage, in->usage_index, d->write_mask};
    switch (in->opcode) {
    case VGT_SOP_DCL:
        /* vs_3_0 outputs and ps_3_0 inputs: the parser's io table (copied
         * in vgt_soft_shader_create) */
        if (d->type == VGT_SREG_INPUT && d->index < 16 && c->vs) {
            o->in[d->index] = sem;
        } else if (d->type == VGT_SREG_SAMPLER && d->index < 16) {
            o->sampler_type[d->index] = in->sampler_type;
        }
        break;
    case VGT_SOP_DEF: {
        void *p = realloc(o->fdef, ((size_t)o->nfdef + 1) * sizeof(*o->fdef));
        if (!p) {
            return false;
        }
        o->fdef = p;
        o->fdef[o->nfdef].reg = d->index;
        memcpy(o->fdef[o->nfdef].v, in->imm.f, sizeof(o->fdef[0].v));
        o->nfdef++;
        break;
    }
    case VGT_SOP_DEFI:
        if (d->index < 16) {
            memcpy(o->idef[d->index], in->imm.i, sizeof(o->idef[0]));
            o->idef_mask |= (uint16_t)(1u << d->index);
        }
        break;
    case VGT_SOP_DEFB:
        if (d->index < 16) {
            o->bdef[d->index] = in->imm.u[0] != 0;
            o->bdef_mask |= (uint16_t)(1u << d->index);
        }
        break;
    default:
        break;
    }
    return true;
}

vgt_status vgt_soft_shader_create(uint32_t type, const uint32_t *words, size_t nwords,
                                  vgt_soft_shader **out, vgt_error *err)
{
    *out = NULL;
    vgt_shader *ps = NULL;
    vgt_status st = vgt_shader_parse(words, nwords, &ps, NULL, err);
    if (st != VGT_OK) {
        return st;
    }
    bool is_vs = ps->type == VGT_SHADER_VS;
    if ((type == VGT_SVGA3D_SHADERTYPE_VS) != is_vs ||
        (type != VGT_SVGA3D_SHADERTYPE_VS && type != VGT_SVGA3D_SHADERTYPE_PS)) {
        vgt_shader_free(ps);
        return vgt_error_set(err, VGT_E_INVALID,
                             "shader token 0 (0x%08x): a %s shader where type %u (%s) was given",
                             words[0], is_vs ? "vertex" : "pixel", type,
                             type == VGT_SVGA3D_SHADERTYPE_VS   ? "VS"
                             : type == VGT_SVGA3D_SHADERTYPE_PS ? "PS"
                                                                : "?");
    }
    vgt_soft_shader *o = calloc(1, sizeof(*o));
    uint32_t *map = malloc(((size_t)ps->insn_count + 1) * sizeof(uint32_t));
    if (!o || !map) {
        free(o);
        free(map);
        vgt_shader_free(ps);
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory for a shader");
    }
    o->type = type;
    o->version = ps->version;
    o->float_regs = vgt_shader_reg_count(ps->type, ps->version, VGT_SREG_CONST, VGT_SROLE_SRC);
    if (o->float_regs > 256) {
        o->float_regs = 256;
    }
    o->ps1x = !is_vs && ps->version < VGT_SHADER_V20;
    cstate c = {ps, o, is_vs, is_vs && ps->version >= VGT_SHADER_V30};
    /* compiled index of every parsed instruction (declarations removed) */
    uint32_t n = 0;
    for (uint32_t i = 0; i < ps->insn_count; i++) {
        map[i] = n;
        if (!(ps->insns[i].info->flags & VGT_SHADER_OPF_DECL)) {
            n++;
        }
    }
    map[ps->insn_count] = n;
    o->code = calloc(n ? n : 1, sizeof(ssh_insn));
    if (!o->code) {
        free(map);
        free(o);
        vgt_shader_free(ps);
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory for a shader");
    }
    uint8_t range = 0;
    if (o->ps1x) {
        range = ps->version == VGT_SHADER_V14 ? 8 : 1;
    }
    for (uint32_t i = 0; i < ps->insn_count; i++) {
        const vgt_shader_insn *in = &ps->insns[i];
        if (in->info->flags & VGT_SHADER_OPF_DECL) {
            if (!declare(&c, in)) {
                free(map);
                vgt_shader_free(ps);
                vgt_soft_shader_destroy(o);
                return vgt_error_set(err, VGT_E_NOMEM, "out of memory for a shader");
            }
            continue;
        }
        ssh_insn *q = &o->code[map[i]];
        q->op = in->opcode;
        q->control = in->control;
        q->nsrc = in->src_count;
        q->predicated = in->predicated;
        q->range = range;
        if (in->dst_count) {
            compile_dst(&c, &in->dst, &q->dst);
        }
        if (in->predicated) {
            compile_src(&c, &in->pred, &q->pred);
        }
        for (uint32_t s = 0; s < in->src_count && s < VGT_SHADER_MAX_SRC; s++) {
            compile_src(&c, &in->src[s], &q->src[s]);
        }
        q->target = in->match != UINT32_MAX && in->match < ps->insn_count ? map[in->match] : n;
        if (!runs(in->opcode)) {
            unsupported(o, "%s (shader token %u) is not run by the soft interpreter",
                        in->info->name, in->token_offset);
        }
        switch (in->opcode) {
        case VGT_SOP_TEX:
            /* ps_1_1..1_3 tex t#: sampler #, coordinates t#; ps_1_4 texld
             * r#, src: sampler #; ps_2_0+: the s# operand */
            if (ps->version < VGT_SHADER_V14) {
                q->sampler = (uint8_t)(in->dst.index & 7u);
                q->src[0] = (ssh_src){SSH_K_REG, {0, 1, 2, 3}, 0, 0, 0, q->dst.index, 0, 0};
            } else if (ps->version == VGT_SHADER_V14) {
                q->sampler = (uint8_t)(in->dst.index & 7u);
            } else {
                q->sampler = (uint8_t)(in->src[1].index & 15u);
            }
            o->samplers |= 1u << q->sampler;
            break;
        case VGT_SOP_TEXBEM:
        case VGT_SOP_TEXBEML:
            /* texbem(l) t(m), t(n): sampler m at t(m)'s coordinates moved by
             * stage m's matrix times t(n).rg; src[1] reads t(m) as tex does */
            q->sampler = (uint8_t)(in->dst.index & 7u);
            q->src[1] = (ssh_src){SSH_K_REG, {0, 1, 2, 3}, 0, 0, 0, q->dst.index, 0, 0};
            q->nsrc = 2;
            o->samplers |= 1u << q->sampler;
            break;
        case VGT_SOP_TEXREG2AR:
        case VGT_SOP_TEXREG2GB:
        case VGT_SOP_TEXREG2RGB:
        case VGT_SOP_TEXDP3TEX:
        case VGT_SOP_TEXM3X2TEX:
        case VGT_SOP_TEXDP3:
            /* t(m), t(n): src[1] reads t(m)'s coordinates, src[2] (m3x2tex)
             * t(m-1), which holds texm3x2pad's dot product; all but texdp3
             * sample m */
            q->sampler = (uint8_t)(in->dst.index & 7u);
            q->src[1] = (ssh_src){SSH_K_REG, {0, 1, 2, 3}, 0, 0, 0, q->dst.index, 0, 0};
            q->src[2] = q->src[1];
            if (in->opcode == VGT_SOP_TEXM3X2TEX && q->dst.index > SSH_R_TEX) {
                q->src[2].index = (uint16_t)(q->dst.index - 1u);
            }
            q->nsrc = 3;
            if (in->opcode != VGT_SOP_TEXDP3) {
                o->samplers |= 1u << q->sampler;
            }
            break;
        case VGT_SOP_TEXM3X2PAD:
        case VGT_SOP_TEXM3X3PAD:
            /* t(m), t(n): src[1] reads t(m)'s coordinates; the pad writes
             * their dot product with t(n) into t(m), where the texm3x* that
             * follows reads it (as gl: each pad with its own source) */
            q->src[1] = (ssh_src){SSH_K_REG, {0, 1, 2, 3}, 0, 0, 0, q->dst.index, 0, 0};
            q->nsrc = 2;
            break;
        case VGT_SOP_TEXM3X3TEX:
        case VGT_SOP_TEXM3X3:
            /* t(m), t(n) after texm3x3pad t(m-2) and t(m-1): src[1] reads
             * t(m)'s coordinates, src[2] and src[3] t(m-1) and t(m-2), which
             * hold their pads' dot products; texm3x3tex samples m, texm3x3
             * does not */
            q->sampler = (uint8_t)(in->dst.index & 7u);
            for (unsigned k = 1; k <= 3; k++) {
                uint32_t back = k - 1u; /* t(m), t(m-1), t(m-2) */
                uint32_t idx =
                    q->dst.index >= SSH_R_TEX + back ? q->dst.index - back : q->dst.index;
                q->src[k] = (ssh_src){SSH_K_REG, {0, 1, 2, 3}, 0, 0, 0, (uint16_t)idx, 0, 0};
            }
            q->nsrc = 4;
            if (in->opcode == VGT_SOP_TEXM3X3TEX) {
                o->samplers |= 1u << q->sampler;
            }
            break;
        case VGT_SOP_BEM:
            /* bem r(m).rg, src0, src1: stage m's matrix, nothing sampled */
            q->sampler = (uint8_t)(in->dst.index & 7u);
            break;
        case VGT_SOP_TEXLDL:
        case VGT_SOP_TEXLDD:
            q->sampler = (uint8_t)(in->src[1].index & 15u);
            o->samplers |= 1u << q->sampler;
            if (is_vs) {
                unsupported(o, "%s (shader token %u): vertex texture fetch is not supported",
                            in->info->name, in->token_offset);
            }
            break;
        case VGT_SOP_TEXCOORD:
            if (ps->version < VGT_SHADER_V14) {
                q->src[0] = (ssh_src){SSH_K_REG, {0, 1, 2, 3}, 0, 0, 0, q->dst.index, 0, 0};
                q->nsrc = 1;
            }
            break;
        case VGT_SOP_TEXKILL:
            o->kills = true;
            break;
        default:
            break;
        }
        if (in->dst_count && in->dst.type == VGT_SREG_DEPTHOUT) {
            o->writes_depth = true;
        }
    }
    o->ncode = n;
    o->io = ps->io;
    o->writes_pts = is_vs && (ps->summary.rastout & 4u);
    if (!is_vs) {
        o->color_outputs = o->ps1x ? 1u : ps->summary.color_outputs & 15u;
        if (ps->version < VGT_SHADER_V30) {
            o->color_inputs = ps->summary.inputs & 3u;
            o->tex_inputs = ps->summary.textures & 0xffu;
        }
        o->uses_vpos = ps->summary.uses_vpos;
        o->uses_vface = ps->summary.uses_vface;
    }
    free(map);
    vgt_shader_free(ps);
    *out = o;
    return VGT_OK;
}

void vgt_soft_shader_destroy(vgt_soft_shader *sh)
{
    if (!sh) {
        return;
    }
    free(sh->code);
    free(sh->fdef);
    free(sh);
}

uint32_t vgt_soft_shader_version(const vgt_soft_shader *sh, uint32_t *type)
{
    if (type) {
        *type = sh->type;
    }
    return sh->version;
}

uint32_t vgt_soft_shader_samplers(const vgt_soft_shader *sh)
{
    return sh->samplers;
}
