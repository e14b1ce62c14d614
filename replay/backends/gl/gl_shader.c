/* gl_shader.c - Direct3D 9 shader bytecode to GLSL 330.
 *
 * The guest's words go through vgt_shader_parse() only; the GLSL is built
 * from the parsed form: every identifier comes from this file and every
 * number is printed by it (register indices, def constants are uploaded as
 * uniforms, never pasted).  A shader's body (register declarations, label
 * functions, shader_main) depends on nothing but the bytecode and is built
 * at SHADER_DEFINE; the per-program wrapper (vertex inputs, varyings linked
 * by semantic, samplers of the bound textures' kinds, D3D->GL position,
 * alpha test, target routing) is built when a vs+ps pair is first drawn.
 *
 * D3D values (as the soft interpreter, docs/soft.md): rcp(0) = rsq(0) =
 * +FLT_MAX, rcp(1) = rsq(1) = 1, rsq/log/pow use |x|, log(0) = -FLT_MAX,
 * pow(0, y<0) = FLT_MAX, pow(x, 0) = 1; scalar ops read .w of the swizzled
 * source; relative addressing clamps to the register file; loop start
 * 0..255, step -128..127, at most 255 iterations. */
#include "gl_shader.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_protocol.h"

/* ---- objects ------------------------------------------------------------------ */

#define GLSH_MAX_PROGRAMS 512 /* linked programs kept (then the list starts again) */

typedef struct gl_def {
    uint8_t file; /* VGT_SREG_CONST / CONSTINT / CONSTBOOL */
    uint16_t index;
    uint32_t v[4];
} gl_def;

struct gl_shader {
    vgt_shader *sh;
    bool vs;
    char *body;
    uint32_t nconst; /* float constant array size */
    gl_def *defs;
    uint32_t ndefs;
    const char *unsupported; /* the first instruction not translated (refused at the draw) */
    bool kills;              /* a texkill: VGT_KILL in the body (gen_fs defines it) */
};

/* What a program's constant uniforms hold (uploads skip what is unchanged). */
typedef struct gl_cshadow {
    float c[VGT_BACKEND_VS_FLOAT_REGS][4];
    int32_t i[16][4];
    int32_t b[16];
    bool valid;
} gl_cshadow;

struct gl_sprog {
    gl_sh_key key;
    gl_cshadow *shadow[2]; /* vs, ps; NULL until the first upload */
    GLuint prog;           /* 0: the program did not compile (error kept, not retried) */
    char *error;
    GLint loc[2][3]; /* [vs/ps][float, int, bool] */
    GLint loc_halfpix, loc_aref, loc_ff, loc_ffp, loc_fogp, loc_fogc, loc_clip, loc_psize;
    GLint loc_blend;    /* the fixed-function vertex side's u_blend (vertex blending) */
    GLint loc_guard;    /* u_guard: points' guard band scale (gl_sh_key.guard, ff.points), or -1 */
    GLint loc_texl[16]; /* u_texl<i>: texldl's MAXMIPLEVEL terms of sampler i, or -1 */
    GLint loc_bumpm, loc_bumpl; /* u_bumpm[8] / u_bumpl[8]: stages' BUMPENV state, or -1 */
    gl_sprog *next;
};

/* ---- operands ------------------------------------------------------------------ */

static const char comp[4] = {'x', 'y', 'z', 'w'};

typedef struct tctx {
    const vgt_shader *sh;
    bool vs, ps1x;
    uint32_t nconst;
    const char *pre; /* "v" or "p": uniform prefix */
    gl_sb *s;
    int depth;                                     /* loop/rep nesting for unique names */
    uint8_t loop_kind[VGT_SHADER_MAX_NESTING + 2]; /* 1 loop, 2 rep, 0 if */
} tctx;

/* The index expression of a relatively addressed operand. */
static void rel_index(const tctx *t, const vgt_shader_rel *r, char *out, size_t n)
{
    if (r->type == VGT_SREG_LOOP) {
        snprintf(out, n, "aL");
    } else {
        snprintf(out, n, "a0.%c", comp[r->swizzle & 3u]);
    }
    (void)t;
}

/* The register's vec4 expression (no swizzle/modifier); offset adds to the
 * index (matrix rows). */
static void reg_expr(const tctx *t, uint8_t type, uint32_t index, bool relative,
                     const vgt_shader_rel *rel, uint32_t offset, char *out, size_t n)
{
    char ri[32] = "";
    if (relative) {
        rel_index(t, rel, ri, sizeof(ri));
    }
    uint32_t idx = index + offset;
    switch (type) {
    case VGT_SREG_TEMP:
        snprintf(out, n, "r[%u]", idx < 32 ? idx : 31);
        break;
    case VGT_SREG_INPUT:
        if (relative) {
            snprintf(out, n, "v[clamp(%s + %u, 0, 15)]", ri, idx);
        } else {
            snprintf(out, n, "v[%u]", idx & 15u);
        }
        break;
    case VGT_SREG_CONST:
        if (relative) {
            snprintf(out, n, "%sc[clamp(%s + %u, 0, %u)]", t->pre, ri, idx, t->nconst - 1);
        } else {
            snprintf(out, n, "%sc[%u]", t->pre, idx < t->nconst ? idx : t->nconst - 1);
        }
        break;
    case VGT_SREG_ADDR: /* == VGT_SREG_TEXTURE */
        if (t->vs) {
            snprintf(out, n, "vec4(a0)");
        } else {
            snprintf(out, n, "t[%u]", idx & 7u);
        }
        break;
    case VGT_SREG_CONSTINT:
        snprintf(out, n, "vec4(%si[%u])", t->pre, idx & 15u);
        break;
    case VGT_SREG_CONSTBOOL:
        snprintf(out, n, "vec4(float(%sb[%u] != 0))", t->pre, idx & 15u);
        break;
    case VGT_SREG_LOOP:
        snprintf(out, n, "vec4(float(aL))");
        break;
    case VGT_SREG_MISCTYPE:
        snprintf(out, n, "%s", idx == 0 ? "vPos" : "vFace");
        break;
    case VGT_SREG_PREDICATE:
        snprintf(out, n, "vec4(p0)");
        break;
    case VGT_SREG_RASTOUT:
        snprintf(out, n, "%s", idx == 0 ? "oPos" : (idx == 1 ? "oFog" : "oPts"));
        break;
    case VGT_SREG_ATTROUT:
        snprintf(out, n, "oD[%u]", idx & 1u);
        break;
    case VGT_SREG_OUTPUT: /* == TEXCRDOUT */
        if (t->sh->version >= VGT_SHADER_V30) {
            if (relative) {
                snprintf(out, n, "o[clamp(%s + %u, 0, 11)]", ri, idx);
            } else {
                snprintf(out, n, "o[%u]", idx < 12 ? idx : 11);
            }
        } else {
            snprintf(out, n, "oT[%u]", idx & 7u);
        }
        break;
    case VGT_SREG_COLOROUT:
        snprintf(out, n, "oC[%u]", idx & 3u);
        break;
    case VGT_SREG_DEPTHOUT:
        snprintf(out, n, "oDepth");
        break;
    default:
        snprintf(out, n, "vec4(0.0)");
        break;
    }
}

/* A source operand as a vec4 expression. */
static void src_expr(const tctx *t, const vgt_shader_src *s, uint32_t offset, char *out, size_t n)
{
    char r[96];
    reg_expr(t, s->type, s->index, s->relative, &s->rel, offset, r, sizeof(r));
    char sw[8];
    for (unsigned i = 0; i < 4; i++) {
        sw[i] = comp[vgt_shader_swizzle_get(s->swizzle, i)];
    }
    sw[4] = 0;
    char x[128];
    snprintf(x, sizeof(x), "%s.%s", r, sw);
    switch (s->mod) {
    case VGT_SMOD_NEG:
        snprintf(out, n, "(-%s)", x);
        break;
    case VGT_SMOD_BIAS:
        snprintf(out, n, "(%s - 0.5)", x);
        break;
    case VGT_SMOD_BIASNEG:
        snprintf(out, n, "(0.5 - %s)", x);
        break;
    case VGT_SMOD_SIGN:
        snprintf(out, n, "(2.0 * %s - 1.0)", x);
        break;
    case VGT_SMOD_SIGNNEG:
        snprintf(out, n, "(1.0 - 2.0 * %s)", x);
        break;
    case VGT_SMOD_COMP:
        snprintf(out, n, "(1.0 - %s)", x);
        break;
    case VGT_SMOD_X2:
        snprintf(out, n, "(2.0 * %s)", x);
        break;
    case VGT_SMOD_X2NEG:
        snprintf(out, n, "(-2.0 * %s)", x);
        break;
    case VGT_SMOD_DZ:
        snprintf(out, n, "(%s / %s.z)", x, x);
        break;
    case VGT_SMOD_DW:
        snprintf(out, n, "(%s / %s.w)", x, x);
        break;
    case VGT_SMOD_ABS:
        snprintf(out, n, "abs(%s)", x);
        break;
    case VGT_SMOD_ABSNEG:
        snprintf(out, n, "(-abs(%s))", x);
        break;
    default:
        snprintf(out, n, "%s", x);
        break;
    }
}

/* A boolean condition from a predicate source (p0.c or !p0.c). */
static void pred_cond(const vgt_shader_src *p, char *out, size_t n)
{
    snprintf(out, n, "%sp0.%c", p->mod == VGT_SMOD_NOT ? "!" : "",
             comp[vgt_shader_swizzle_get(p->swizzle, 0)]);
}

static const char *const cmp_scalar[7] = {"false", ">", "==", ">=", "<", "!=", "<="};
static const char *const cmp_vector[7] = {
    "", "greaterThan", "equal", "greaterThanEqual", "lessThan", "notEqual", "lessThanEqual"};

static void mask_str(uint8_t m, char *out)
{
    int k = 0;
    for (unsigned i = 0; i < 4; i++) {
        if (m & (1u << i)) {
            out[k++] = comp[i];
        }
    }
    out[k] = 0;
}

/* Writes `value` (a vec4 expression) to the destination with the mask,
 * shift, saturation and predicate. */
static void write_dst(tctx *t, const vgt_shader_insn *in, const char *value)
{
    const vgt_shader_dst *d = &in->dst;
    char m[5];
    mask_str(d->write_mask, m);
    gl_sb *s = t->s;
    gl_sb_add(s, "    { vec4 t_ = %s;\n", value);
    if (d->shift > 0 && d->shift <= 3) {
        gl_sb_add(s, "      t_ *= %.1f;\n", (double)(1u << d->shift));
    } else if (d->shift < 0 && d->shift >= -3) {
        gl_sb_add(s, "      t_ *= %.4f;\n", 1.0 / (double)(1u << -d->shift));
    }
    if (t->ps1x && !(in->info && (in->info->flags & VGT_SHADER_OPF_TEX))) {
        float lim = t->sh->version >= VGT_SHADER_V14 ? 8.0f : 1.0f;
        gl_sb_add(s, "      t_ = clamp(t_, %.1f, %.1f);\n", (double)-lim, (double)lim);
    }
    if (d->mod & VGT_SHADER_DSTMOD_SATURATE) {
        gl_sb_add(s, "      t_ = clamp(t_, 0.0, 1.0);\n");
    }
    if (d->type == VGT_SREG_ADDR && t->vs) {
        bool floor_only = in->opcode == VGT_SOP_MOV; /* vs_1_1 mov a0 */
        gl_sb_add(s, "      a0.%s = ivec4(floor(t_%s)).%s; }\n", m, floor_only ? "" : " + 0.5", m);
        return;
    }
    char r[96];
    reg_expr(t, d->type, d->index, d->relative, &d->rel, 0, r, sizeof(r));
    if (in->predicated) {
        char sw[5];
        for (unsigned i = 0; i < 4; i++) {
            sw[i] = comp[vgt_shader_swizzle_get(in->pred.swizzle, i)];
        }
        sw[4] = 0;
        gl_sb_add(s, "      bvec4 pm_ = %sp0.%s%s;\n", in->pred.mod == VGT_SMOD_NOT ? "not(" : "",
                  sw, in->pred.mod == VGT_SMOD_NOT ? ")" : "");
        gl_sb_add(s, "      %s.%s = mix(%s.%s, t_.%s, pm_.%s); }\n", r, m, r, m, m, m);
    } else {
        gl_sb_add(s, "      %s.%s = t_.%s; }\n", r, m, m);
    }
}

/* ---- instructions --------------------------------------------------------------- */

static void tex_call(tctx *t, const vgt_shader_insn *in)
{
    char c[300], v[1400];
    uint32_t sampler;
    if (t->ps1x && t->sh->version < VGT_SHADER_V14) {
        /* tex t#: sample stage # at texcoord # */
        sampler = in->dst.index & 7u;
        snprintf(c, sizeof(c), "tin[%u]", sampler);
    } else if (t->ps1x) {
        sampler = in->dst.index & 7u; /* texld r#, t#/r# */
        src_expr(t, &in->src[0], 0, c, sizeof(c));
    } else {
        sampler = in->src[1].index & 15u;
        src_expr(t, &in->src[0], 0, c, sizeof(c));
    }
    if (in->opcode == VGT_SOP_TEXLDL) {
        snprintf(v, sizeof(v), "TEXL%u(%s)", sampler, c);
    } else if (in->opcode == VGT_SOP_TEXLDD) {
        char dx[300], dy[300];
        src_expr(t, &in->src[2], 0, dx, sizeof(dx));
        src_expr(t, &in->src[3], 0, dy, sizeof(dy));
        snprintf(v, sizeof(v), "TEXD%u(%s, %s, %s)", sampler, c, dx, dy);
    } else if (!t->ps1x && (in->control & VGT_SHADER_TEX_PROJECT)) {
        snprintf(v, sizeof(v), "TEXP%u(%s)", sampler, c);
    } else if (!t->ps1x && (in->control & VGT_SHADER_TEX_BIAS)) {
        snprintf(v, sizeof(v), "TEXB%u(%s)", sampler, c);
    } else {
        snprintf(v, sizeof(v), "TEX%u(%s)", sampler, c);
    }
    write_dst(t, in, v);
}

/* texbem t(m), t(n) / texbeml (ps_1_1-1_3) and bem r(m).rg, a, b (ps_1_4),
 * Microsoft's ps instruction reference: the perturbation (du, dv) = the
 * source's (r, g) through stage m's BUMPENVMAT (u_bumpm[m] = (M00, M01,
 * M10, M11), so mat2 of it is column-major [[M00, M01], [M10, M11]]):
 * u' = u + M00 du + M10 dv, v' = v + M01 du + M11 dv.  texbem(l) samples
 * stage m at (u', v') of texture coordinate set m (its other coordinates
 * kept); texbeml multiplies the sample (RGBA) by b * LSCALE + LOFFSET of
 * stage m (u_bumpl[m]; not clamped, as the reference writes it).  bem
 * writes (u', v') computed on its first source into r(m).rg. */
static void bump(tctx *t, const vgt_shader_insn *in)
{
    char a[300], b[300], v[1400];
    uint32_t m = in->dst.index & 7u;
    if (in->opcode == VGT_SOP_BEM) {
        src_expr(t, &in->src[0], 0, a, sizeof(a));
        src_expr(t, &in->src[1], 0, b, sizeof(b));
        snprintf(v, sizeof(v), "vec4((%s).xy + mat2(u_bumpm[%u]) * (%s).xy, 0.0, 0.0)", a, m, b);
    } else {
        /* the luminance factor of texbeml, "" for texbem */
        char l[400] = "";
        src_expr(t, &in->src[0], 0, b, sizeof(b));
        if (in->opcode == VGT_SOP_TEXBEML) {
            snprintf(l, sizeof(l), " * ((%s).z * u_bumpl[%u].x + u_bumpl[%u].y)", b, m, m);
        }
        snprintf(v, sizeof(v),
                 "TEX%u(vec4(tin[%u].xy + mat2(u_bumpm[%u]) * (%s).xy, tin[%u].zw))%s", m, m, m, b,
                 m, l);
    }
    write_dst(t, in, v);
}

/* The other ps_1_1-1_3 texture-address instructions (Microsoft's ps
 * reference), t(m) the destination, s = t(n) the source, (u, v, w) texture
 * coordinate set m: texreg2ar / texreg2gb / texreg2rgb sample stage m at
 * s.(a, r) / s.(g, b) / s.rgb; texdp3tex samples stage m at (dot(uvw,
 * s.rgb), 0); texdp3 writes that dot product to all four components;
 * texm3x2pad / texm3x3pad keep dot(uvw, s.rgb) in t(m) (unclamped: only
 * the next texm3x* reads it); texm3x2tex samples stage m at (the pad's
 * dot, its own), texm3x3tex at (the two pads' dots, its own); texm3x3
 * writes (the three dots, 1). */
static void texaddr(tctx *t, const vgt_shader_insn *in)
{
    char b[300], d[400], v[1400];
    uint32_t m = in->dst.index & 7u, m1 = (m + 7u) & 7u, m2 = (m + 6u) & 7u;
    src_expr(t, &in->src[0], 0, b, sizeof(b));
    snprintf(d, sizeof(d), "dot(tin[%u].xyz, (%s).xyz)", m, b);
    switch (in->opcode) {
    case VGT_SOP_TEXREG2AR:
        snprintf(v, sizeof(v), "TEX%u(vec4((%s).wx, 0.0, 0.0))", m, b);
        break;
    case VGT_SOP_TEXREG2GB:
        snprintf(v, sizeof(v), "TEX%u(vec4((%s).yz, 0.0, 0.0))", m, b);
        break;
    case VGT_SOP_TEXREG2RGB:
        snprintf(v, sizeof(v), "TEX%u(vec4((%s).xyz, 0.0))", m, b);
        break;
    case VGT_SOP_TEXDP3TEX:
        snprintf(v, sizeof(v), "TEX%u(vec4(%s, 0.0, 0.0, 0.0))", m, d);
        break;
    case VGT_SOP_TEXDP3:
        snprintf(v, sizeof(v), "vec4(%s)", d);
        break;
    case VGT_SOP_TEXM3X2PAD:
    case VGT_SOP_TEXM3X3PAD:
        gl_sb_add(t->s, "    t[%u] = vec4(%s);\n", m, d);
        return;
    case VGT_SOP_TEXM3X2TEX:
        snprintf(v, sizeof(v), "TEX%u(vec4(t[%u].x, %s, 0.0, 0.0))", m, m1, d);
        break;
    case VGT_SOP_TEXM3X3TEX:
        snprintf(v, sizeof(v), "TEX%u(vec4(t[%u].x, t[%u].x, %s, 0.0))", m, m2, m1, d);
        break;
    default: /* TEXM3X3 */
        snprintf(v, sizeof(v), "vec4(t[%u].x, t[%u].x, %s, 1.0)", m2, m1, d);
        break;
    }
    write_dst(t, in, v);
}

static void matrix(tctx *t, const vgt_shader_insn *in, unsigned n, unsigned rows)
{
    char a[300], row[300], v[1600];
    src_expr(t, &in->src[0], 0, a, sizeof(a));
    size_t k = (size_t)snprintf(v, sizeof(v), "vec4(");
    for (unsigned i = 0; i < 4; i++) {
        if (i < rows) {
            src_expr(t, &in->src[1], i, row, sizeof(row));
            k += (size_t)snprintf(v + k, sizeof(v) - k, "dot((%s).%s, (%s).%s)%s", a,
                                  n == 4 ? "xyzw" : "xyz", row, n == 4 ? "xyzw" : "xyz",
                                  i < 3 ? ", " : ")");
        } else {
            k += (size_t)snprintf(v + k, sizeof(v) - k, "0.0%s", i < 3 ? ", " : ")");
        }
        if (k >= sizeof(v)) {
            k = sizeof(v) - 1;
        }
    }
    write_dst(t, in, v);
}

static void insn(tctx *t, const vgt_shader_insn *in)
{
    gl_sb *s = t->s;
    char a[300] = "", b[300] = "", c[300] = "", v[1400];
    unsigned ns = in->src_count;
    bool flow = in->info && (in->info->flags & VGT_SHADER_OPF_FLOW);
    if (!flow && in->opcode != VGT_SOP_TEX && in->opcode != VGT_SOP_TEXLDL &&
        in->opcode != VGT_SOP_TEXLDD) {
        if (ns > 0) {
            src_expr(t, &in->src[0], 0, a, sizeof(a));
        }
        if (ns > 1) {
            src_expr(t, &in->src[1], 0, b, sizeof(b));
        }
        if (ns > 2) {
            src_expr(t, &in->src[2], 0, c, sizeof(c));
        }
    }
    switch (in->opcode) {
    case VGT_SOP_NOP:
    case VGT_SOP_PHASE:
    case VGT_SOP_DCL:
    case VGT_SOP_DEF:
    case VGT_SOP_DEFI:
    case VGT_SOP_DEFB:
    case VGT_SOP_LABEL: /* handled by the caller */
        return;
    case VGT_SOP_MOV:
    case VGT_SOP_MOVA:
        write_dst(t, in, a);
        return;
    case VGT_SOP_ADD:
        snprintf(v, sizeof(v), "(%s + %s)", a, b);
        break;
    case VGT_SOP_SUB:
        snprintf(v, sizeof(v), "(%s - %s)", a, b);
        break;
    case VGT_SOP_MUL:
        snprintf(v, sizeof(v), "(%s * %s)", a, b);
        break;
    case VGT_SOP_MAD:
        snprintf(v, sizeof(v), "(%s * %s + %s)", a, b, c);
        break;
    case VGT_SOP_DP3:
        snprintf(v, sizeof(v), "vec4(dot((%s).xyz, (%s).xyz))", a, b);
        break;
    case VGT_SOP_DP4:
        snprintf(v, sizeof(v), "vec4(dot(%s, %s))", a, b);
        break;
    case VGT_SOP_DP2ADD:
        snprintf(v, sizeof(v), "vec4(dot((%s).xy, (%s).xy) + (%s).x)", a, b, c);
        break;
    case VGT_SOP_RCP:
        snprintf(v, sizeof(v), "vec4(d3d_rcp((%s).w))", a);
        break;
    case VGT_SOP_RSQ:
        snprintf(v, sizeof(v), "vec4(d3d_rsq((%s).w))", a);
        break;
    case VGT_SOP_EXP:
        snprintf(v, sizeof(v), "vec4(exp2((%s).w))", a);
        break;
    case VGT_SOP_LOG:
    case VGT_SOP_LOGP:
        snprintf(v, sizeof(v), "vec4(d3d_log((%s).w))", a);
        break;
    case VGT_SOP_EXPP:
        /* vs_1_1: (2^floor(x), x - floor(x), 2^x, 1); vs_2_0 and later:
         * 2^x in every component (Microsoft's expp page) */
        if (t->sh->version >= VGT_SHADER_V(2, 0)) {
            snprintf(v, sizeof(v), "vec4(exp2((%s).w))", a);
        } else {
            snprintf(v, sizeof(v), "d3d_expp((%s).w)", a);
        }
        break;
    case VGT_SOP_POW:
        snprintf(v, sizeof(v), "vec4(d3d_pow((%s).w, (%s).w))", a, b);
        break;
    case VGT_SOP_FRC:
        snprintf(v, sizeof(v), "fract(%s)", a);
        break;
    case VGT_SOP_MIN:
        snprintf(v, sizeof(v), "d3d_min(%s, %s)", a, b);
        break;
    case VGT_SOP_MAX:
        snprintf(v, sizeof(v), "d3d_max(%s, %s)", a, b);
        break;
    case VGT_SOP_SLT:
        snprintf(v, sizeof(v), "vec4(lessThan(%s, %s))", a, b);
        break;
    case VGT_SOP_SGE:
        snprintf(v, sizeof(v), "vec4(greaterThanEqual(%s, %s))", a, b);
        break;
    case VGT_SOP_SGN:
        snprintf(v, sizeof(v), "sign(%s)", a);
        break;
    case VGT_SOP_ABS:
        snprintf(v, sizeof(v), "abs(%s)", a);
        break;
    case VGT_SOP_NRM:
        snprintf(v, sizeof(v), "d3d_nrm(%s)", a);
        break;
    case VGT_SOP_CRS:
        snprintf(v, sizeof(v), "vec4(cross((%s).xyz, (%s).xyz), 0.0)", a, b);
        break;
    case VGT_SOP_LRP:
        snprintf(v, sizeof(v), "d3d_lrp(%s, %s, %s)", a, b, c);
        break;
    case VGT_SOP_SINCOS:
        snprintf(v, sizeof(v), "d3d_sincos((%s).%c)", a,
                 t->sh->version >= VGT_SHADER_V30 ? 'x' : 'w');
        break;
    case VGT_SOP_CMP:
        snprintf(v, sizeof(v), "mix(%s, %s, greaterThanEqual(%s, vec4(0.0)))", c, b, a);
        break;
    case VGT_SOP_CND:
        snprintf(v, sizeof(v), "mix(%s, %s, greaterThan(%s, vec4(0.5)))", c, b, a);
        break;
    case VGT_SOP_LIT:
        snprintf(v, sizeof(v), "d3d_lit(%s)", a);
        break;
    case VGT_SOP_DST:
        snprintf(v, sizeof(v), "vec4(1.0, (%s).y * (%s).y, (%s).z, (%s).w)", a, b, a, b);
        break;
    case VGT_SOP_DSX:
        snprintf(v, sizeof(v), "dFdx(%s)", a);
        break;
    case VGT_SOP_DSY:
        /* GL window y runs the way Direct3D's screen y does here (images
         * are stored top row first, the vs flips clip y): same sign */
        snprintf(v, sizeof(v), "dFdy(%s)", a);
        break;
    case VGT_SOP_SETP: {
        char m[5];
        mask_str(in->dst.write_mask, m);
        uint8_t cc = in->control < 7 ? in->control : 0;
        if (cc == 0) {
            gl_sb_add(s, "    p0.%s = bvec4(false).%s;\n", m, m);
        } else {
            gl_sb_add(s, "    p0.%s = %s(%s, %s).%s;\n", m, cmp_vector[cc], a, b, m);
        }
        return;
    }
    case VGT_SOP_M4X4:
        matrix(t, in, 4, 4);
        return;
    case VGT_SOP_M4X3:
        matrix(t, in, 4, 3);
        return;
    case VGT_SOP_M3X4:
        matrix(t, in, 3, 4);
        return;
    case VGT_SOP_M3X3:
        matrix(t, in, 3, 3);
        return;
    case VGT_SOP_M3X2:
        matrix(t, in, 3, 2);
        return;
    case VGT_SOP_TEX:
    case VGT_SOP_TEXLDL:
    case VGT_SOP_TEXLDD:
        tex_call(t, in);
        return;
    case VGT_SOP_TEXBEM:
    case VGT_SOP_TEXBEML:
    case VGT_SOP_BEM:
        bump(t, in);
        return;
    case VGT_SOP_TEXREG2AR:
    case VGT_SOP_TEXREG2GB:
    case VGT_SOP_TEXREG2RGB:
    case VGT_SOP_TEXDP3TEX:
    case VGT_SOP_TEXDP3:
    case VGT_SOP_TEXM3X2PAD:
    case VGT_SOP_TEXM3X3PAD:
    case VGT_SOP_TEXM3X2TEX:
    case VGT_SOP_TEXM3X3TEX:
    case VGT_SOP_TEXM3X3:
        texaddr(t, in);
        return;
    case VGT_SOP_TEXCOORD:
        if (t->sh->version < VGT_SHADER_V14) {
            snprintf(v, sizeof(v), "vec4(clamp(tin[%u].xyz, 0.0, 1.0), 1.0)", in->dst.index & 7u);
        } else {
            snprintf(v, sizeof(v), "%s", a);
        }
        break;
    case VGT_SOP_TEXKILL: {
        char r[96];
        reg_expr(t, in->dst.type, in->dst.index, false, NULL, 0, r, sizeof(r));
        uint8_t m = t->ps1x ? 7u : in->dst.write_mask;
        char ms[5];
        mask_str(m, ms);
        /* VGT_KILL: discard, or nothing in the fragment probe's variant
         * (gen_fs, gl_sh_key.no_kill) */
        gl_sb_add(s, "    if (any(lessThan(%s.%s, vec4(0.0).%s))) VGT_KILL;\n", r, ms, ms);
        return;
    }
    /* flow control */
    case VGT_SOP_IF:
        if (in->src[0].type == VGT_SREG_PREDICATE) {
            pred_cond(&in->src[0], v, sizeof(v));
            gl_sb_add(s, "    if (%s) {\n", v);
        } else {
            gl_sb_add(s, "    if (%sb[%u] != 0) {\n", t->pre, in->src[0].index & 15u);
        }
        return;
    case VGT_SOP_IFC:
    case VGT_SOP_BREAKC: {
        src_expr(t, &in->src[0], 0, a, sizeof(a));
        src_expr(t, &in->src[1], 0, b, sizeof(b));
        uint8_t cc = in->control < 7 ? in->control : 0;
        if (in->opcode == VGT_SOP_IFC) {
            gl_sb_add(s, "    if ((%s).x %s (%s).x) {\n", a, cc ? cmp_scalar[cc] : "<", b);
        } else {
            gl_sb_add(s, "    if ((%s).x %s (%s).x) break;\n", a, cc ? cmp_scalar[cc] : "<", b);
        }
        return;
    }
    case VGT_SOP_ELSE:
        gl_sb_add(s, "    } else {\n");
        return;
    case VGT_SOP_ENDIF:
        gl_sb_add(s, "    }\n");
        return;
    case VGT_SOP_BREAK:
        gl_sb_add(s, "    break;\n");
        return;
    case VGT_SOP_BREAKP:
        pred_cond(&in->src[0], v, sizeof(v));
        gl_sb_add(s, "    if (%s) break;\n", v);
        return;
    case VGT_SOP_LOOP:
    case VGT_SOP_REP: {
        int d = t->depth++;
        const vgt_shader_src *is = in->opcode == VGT_SOP_LOOP ? &in->src[1] : &in->src[0];
        if (d >= 0 && d < (int)sizeof(t->loop_kind)) {
            t->loop_kind[d] = in->opcode == VGT_SOP_LOOP ? 1 : 2;
        }
        gl_sb_add(s, "    { ivec4 L%d = %si[%u];\n", d, t->pre, is->index & 15u);
        if (in->opcode == VGT_SOP_LOOP) {
            gl_sb_add(s, "    int aLs%d = aL; aL = clamp(L%d.y, 0, 255);\n", d, d);
        }
        gl_sb_add(s,
                  "    for (int k%d = 0; k%d < clamp(L%d.x, 0, 255); k%d++) {\n"
                  "    if (--budget_ < 0) break;\n",
                  d, d, d, d);
        return;
    }
    case VGT_SOP_ENDLOOP:
    case VGT_SOP_ENDREP: {
        int d = --t->depth;
        if (in->opcode == VGT_SOP_ENDLOOP) {
            gl_sb_add(s, "    aL += clamp(L%d.z, -128, 127); }\n    aL = aLs%d; }\n", d, d);
        } else {
            gl_sb_add(s, "    } }\n");
        }
        return;
    }
    case VGT_SOP_CALL:
        gl_sb_add(s, "    l%u();\n", in->src[0].index);
        return;
    case VGT_SOP_CALLNZ:
        if (in->src[1].type == VGT_SREG_PREDICATE) {
            pred_cond(&in->src[1], v, sizeof(v));
            gl_sb_add(s, "    if (%s) l%u();\n", v, in->src[0].index);
        } else {
            gl_sb_add(s, "    if (%sb[%u] != 0) l%u();\n", t->pre, in->src[1].index & 15u,
                      in->src[0].index);
        }
        return;
    case VGT_SOP_RET:
        gl_sb_add(s, "    return;\n");
        return;
    default:
        /* ps_1_x texture-matrix/bump instructions and anything else: a
         * deterministic zero (the soft backend refuses them at the draw) */
        if (in->dst_count) {
            write_dst(t, in, "vec4(0.0)");
        }
        return;
    }
    write_dst(t, in, v);
}

/* ---- translation ------------------------------------------------------------------ */

static const char *const helpers =
    "const float FLT_MAX = 3.402823466e38;\n"
    "float d3d_rcp(float x) { return x == 1.0 ? 1.0 : (x == 0.0 ? FLT_MAX : 1.0 / x); }\n"
    "float d3d_rsq(float x) { x = abs(x); return x == 1.0 ? 1.0 : (x == 0.0 ? FLT_MAX : 1.0 / "
    "sqrt(x)); }\n"
    "float d3d_log(float x) { x = abs(x); return x == 0.0 ? -FLT_MAX : log2(x); }\n"
    "float d3d_pow(float a, float b) { a = abs(a); if (b == 0.0) return 1.0;\n"
    "  if (a == 0.0) return b > 0.0 ? 0.0 : FLT_MAX; if (a == 1.0) return 1.0;\n"
    "  return exp2(b * log2(a)); }\n"
    "vec4 d3d_expp(float v) { float f = floor(v); return vec4(exp2(f), v - f, exp2(v), 1.0); }\n"
    "vec4 d3d_min(vec4 a, vec4 b) { return mix(b, a, lessThan(a, b)); }\n"
    "vec4 d3d_max(vec4 a, vec4 b) { return mix(b, a, greaterThanEqual(a, b)); }\n"
    "vec4 d3d_lrp(vec4 a, vec4 b, vec4 c) { return a * (b - c) + c; }\n"
    "vec4 d3d_nrm(vec4 a) { return a * d3d_rsq(dot(a.xyz, a.xyz)); }\n"
    "vec4 d3d_sincos(float a) { return vec4(cos(a), sin(a), 0.0, 0.0); }\n"
    "vec4 d3d_lit(vec4 s) { float p = clamp(s.w, -127.9961, 127.9961);\n"
    "  vec4 d = vec4(1.0, 0.0, 0.0, 1.0);\n"
    "  if (s.x > 0.0) { d.y = s.x; if (s.y > 0.0) d.z = d3d_pow(s.y, p); }\n"
    "  return d; }\n";

static uint32_t const_count(const vgt_shader *sh, bool vs)
{
    uint32_t max = vs ? VGT_BACKEND_VS_FLOAT_REGS : VGT_BACKEND_PS_FLOAT_REGS;
    /* + 3: the rows m4x4 and friends read after the named register */
    uint32_t n = sh->summary.float_consts_relative ? max : sh->summary.float_consts + 3;
    return n == 0 ? 1 : (n > max ? max : n);
}

static vgt_status translate(const vgt_shader *sh, uint32_t nconst, char **body, vgt_error *err)
{
    gl_sb s = {0};
    bool vs = sh->type == VGT_SHADER_VS;
    tctx t = {.sh = sh,
              .vs = vs,
              .ps1x = !vs && sh->version < VGT_SHADER_V20,
              .nconst = nconst,
              .pre = vs ? "v" : "p",
              .s = &s};
    /* declarations */
    gl_sb_add(&s, "uniform vec4 %sc[%u];\nuniform ivec4 %si[16];\nuniform int %sb[16];\n", t.pre,
              nconst, t.pre, t.pre);
    gl_sb_add(&s, "vec4 r[32];\nint aL = 0;\nivec4 a0 = ivec4(0);\nbvec4 p0 = bvec4(false);\n"
                  "int budget_ = 65536;\n");
    /* label prototypes */
    for (uint32_t i = 0; i < sh->insn_count; i++) {
        if (sh->insns[i].opcode == VGT_SOP_LABEL) {
            gl_sb_add(&s, "void l%u();\n", sh->insns[i].src[0].index);
        }
    }
    gl_sb_add(&s, "void shader_main() {\n");
    bool in_label = false;
    for (uint32_t i = 0; i < sh->insn_count; i++) {
        const vgt_shader_insn *in = &sh->insns[i];
        if (in->opcode == VGT_SOP_LABEL) {
            gl_sb_add(&s, "}\nvoid l%u() {\n", in->src[0].index);
            in_label = true;
            t.depth = 0;
            continue;
        }
        insn(&t, in);
    }
    (void)in_label;
    gl_sb_add(&s, "}\n");
    if (s.oom) {
        free(s.p);
        return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory translating a shader");
    }
    *body = s.p;
    return VGT_OK;
}

vgt_status gl_shader_translate(const vgt_shader *sh, char **body, vgt_error *err)
{
    return translate(sh, const_count(sh, sh->type == VGT_SHADER_VS), body, err);
}

vgt_status gl_shader_new(uint32_t type, const uint32_t *words, uint32_t n, gl_shader **out,
                         uint64_t *translate_ns, vgt_error *err)
{
    *out = NULL;
    vgt_shader *sh = NULL;
    vgt_shader_diag diag = {0};
    vgt_status rc = vgt_shader_parse(words, n, &sh, &diag, err);
    if (rc) {
        /* malformed bytecode is INVALID whatever the fault (truncated,
         * out of range ...); err keeps the parser's token index and reason */
        if (rc != VGT_E_NOMEM && err) {
            err->code = VGT_E_INVALID;
        }
        return rc == VGT_E_NOMEM ? rc : VGT_E_INVALID;
    }
    bool vs = type == VGT_SVGA3D_SHADERTYPE_VS;
    if ((vs && sh->type != VGT_SHADER_VS) || (!vs && sh->type != VGT_SHADER_PS) ||
        (type != VGT_SVGA3D_SHADERTYPE_VS && type != VGT_SVGA3D_SHADERTYPE_PS)) {
        vgt_shader_free(sh);
        return vgt_error_set(err, VGT_E_INVALID,
                             "shader token 0 (0x%08x): a %s version token in a shader of type %u",
                             words[0], sh ? "shader" : "bad", type);
    }
    gl_shader *g = calloc(1, sizeof(*g));
    if (!g) {
        vgt_shader_free(sh);
        return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory");
    }
    g->sh = sh;
    g->vs = vs;
    g->nconst = const_count(sh, vs);
    for (uint32_t i = 0; i < sh->insn_count; i++) {
        g->kills |= sh->insns[i].opcode == VGT_SOP_TEXKILL;
    }
    for (uint32_t i = 0; i < sh->insn_count && !g->unsupported; i++) {
        uint16_t op = sh->insns[i].opcode;
        /* not translated: the reflection lookups and the depth writes */
        if (op == VGT_SOP_TEXM3X3SPEC || op == VGT_SOP_TEXM3X3VSPEC || op == VGT_SOP_TEXM3X2DEPTH ||
            op == VGT_SOP_TEXDEPTH) {
            g->unsupported = sh->insns[i].info ? sh->insns[i].info->name : "?";
        } else if (vs && (sh->insns[i].info && (sh->insns[i].info->flags & VGT_SHADER_OPF_TEX))) {
            g->unsupported = "texldl (vertex texture fetch)";
        }
    }
    uint64_t t0 = vgt_now_ns();
    if ((rc = translate(sh, g->nconst, &g->body, err))) {
        vgt_shader_free(sh);
        free(g);
        return rc;
    }
    *translate_ns = vgt_now_ns() - t0;
    if (sh->summary.defs) {
        g->defs = calloc(sh->summary.defs, sizeof(*g->defs));
        if (!g->defs) {
            gl_shader_free(g);
            return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory");
        }
        for (uint32_t i = 0; i < sh->insn_count && g->ndefs < sh->summary.defs; i++) {
            const vgt_shader_insn *in = &sh->insns[i];
            if (in->opcode == VGT_SOP_DEF || in->opcode == VGT_SOP_DEFI ||
                in->opcode == VGT_SOP_DEFB) {
                gl_def *d = &g->defs[g->ndefs++];
                d->file = in->dst.type;
                d->index = in->dst.index;
                memcpy(d->v, in->imm.u, sizeof(d->v));
            }
        }
    }
    *out = g;
    return VGT_OK;
}

void gl_shader_free(gl_shader *g)
{
    if (!g) {
        return;
    }
    vgt_shader_free(g->sh);
    free(g->body);
    free(g->defs);
    free(g);
}

vgt_status gl_shader_create(gl_backend *b, uint32_t type, const uint32_t *words, uint32_t n,
                            vgt_backend_shader **out, vgt_error *err)
{
    *out = NULL;
    gl_shader *g = NULL;
    uint64_t ns = 0;
    vgt_status rc = gl_shader_new(type, words, n, &g, &ns, err);
    if (rc) {
        return rc;
    }
    b->n.shader_translate_ns += ns;
    b->n.shaders_translated++;
    *out = (vgt_backend_shader *)g;
    return VGT_OK;
}

static void prog_free(gl_sprog *p)
{
    if (p->prog) {
        glDeleteProgram(p->prog);
    }
    free(p->shadow[0]);
    free(p->shadow[1]);
    free(p->error);
    free(p);
}

void gl_shader_release(gl_backend *b, vgt_backend_shader *hs)
{
    gl_shader *g = (gl_shader *)hs;
    if (!g) {
        return;
    }
    bool current = gl_make_current(b);
    gl_sprog **pp = (gl_sprog **)&b->sprogs;
    while (*pp) {
        gl_sprog *p = *pp;
        if (p->key.vs == g || p->key.ps == g) {
            *pp = p->next;
            if (current) {
                if (b->sc.program == p->prog) {
                    b->sc.program = 0;
                }
                prog_free(p);
            } else {
                free(p->shadow[0]);
                free(p->shadow[1]);
                free(p->error);
                free(p);
            }
        } else {
            pp = &p->next;
        }
    }
    gl_shader_free(g);
}

void gl_shader_cache_destroy(gl_backend *b)
{
    gl_sprog *p = b->sprogs;
    while (p) {
        gl_sprog *n = p->next;
        prog_free(p);
        p = n;
    }
    b->sprogs = NULL;
}

void gl_shader_cache_free_host(gl_backend *b)
{
    gl_sprog *p = b->sprogs;
    while (p) {
        gl_sprog *n = p->next;
        free(p->shadow[0]);
        free(p->shadow[1]);
        free(p->error);
        free(p);
        p = n;
    }
    b->sprogs = NULL;
}

bool gl_shader_vs_input(const gl_shader *vs, uint32_t reg, uint32_t *usage, uint32_t *index)
{
    const vgt_shader *sh = vs->sh;
    for (uint32_t i = 0; i < sh->insn_count; i++) {
        const vgt_shader_insn *in = &sh->insns[i];
        if (in->opcode == VGT_SOP_DCL && in->dst.type == VGT_SREG_INPUT && in->dst.index == reg) {
            *usage = in->usage;
            *index = in->usage_index;
            return true;
        }
    }
    return false;
}

const char *gl_shader_unsupported(const gl_shader *sh)
{
    return sh->unsupported;
}

uint32_t gl_shader_version(const gl_shader *sh)
{
    return sh->sh->version;
}

uint32_t gl_shader_color_outputs(const gl_shader *ps)
{
    return ps->sh->version < VGT_SHADER_V20 ? 1u : ps->sh->summary.color_outputs & 15u;
}

bool gl_shader_kills(const gl_shader *ps)
{
    return ps->kills;
}

bool gl_shader_writes_depth(const gl_shader *ps)
{
    return ps->sh->summary.depth_output;
}

uint32_t gl_shader_samplers(const gl_shader *ps)
{
    return ps->sh->summary.samplers & 0xFFFFu;
}

const char *gl_shader_body(const gl_shader *sh)
{
    return sh->body;
}

/* ---- linking ----------------------------------------------------------------------- */

/* A semantic a pixel shader reads. */
typedef struct sem {
    uint8_t usage, index;
} sem;

/* The vs expression (a vec4) for semantic (usage, index), or false when it
 * writes none.  vs_3_0: the shared rule of vgt_shader_io_link (the
 * semantic's declared components at their positions, the others 0; the
 * soft backend links by the same function). */
static bool vs_output(const vgt_shader *vs, sem m, char *out, size_t n)
{
    if (vs->version >= VGT_SHADER_V30) {
        int32_t src[4];
        int32_t reg = -1;
        uint32_t mask = 0;
        for (uint32_t c = 0; c < 4; c++) {
            src[c] = vgt_shader_io_link(&vs->io, m.usage, m.index, c);
            if (src[c] >= 0) {
                reg = src[c] / 4;
                mask |= 1u << c;
            }
        }
        if (reg < 0) {
            return false;
        }
        if (reg > 11) {
            reg = 11;
        }
        if (mask == 0xF) {
            snprintf(out, n, "o[%d]", reg);
        } else {
            snprintf(out, n, "o[%d] * vec4(%s, %s, %s, %s)", reg, (mask & 1) ? "1.0" : "0.0",
                     (mask & 2) ? "1.0" : "0.0", (mask & 4) ? "1.0" : "0.0",
                     (mask & 8) ? "1.0" : "0.0");
        }
        return true;
    }
    const vgt_shader_summary *su = &vs->summary;
    switch (m.usage) {
    case VGT_SUSAGE_COLOR:
        if (m.index < 2 && (su->color_outputs & (1u << m.index))) {
            snprintf(out, n, "clamp(oD[%u], 0.0, 1.0)", m.index);
            return true;
        }
        return false;
    case VGT_SUSAGE_TEXCOORD:
        if (m.index < 8 && (su->outputs & (1u << m.index))) {
            snprintf(out, n, "oT[%u]", m.index);
            return true;
        }
        return false;
    case VGT_SUSAGE_FOG:
        if (m.index == 0 && (su->rastout & 2u)) {
            snprintf(out, n, "vec4(clamp(oFog.x, 0.0, 1.0))");
            return true;
        }
        return false;
    default:
        return false;
    }
}

/* The vs expression (a float) for a scalar semantic (FOG, PSIZE), or false:
 * vs_3_0's first declared component (vgt_shader_io_scalar), else .x. */
static bool vs_scalar(const vgt_shader *vs, sem m, char *out, size_t n)
{
    if (vs->version >= VGT_SHADER_V30) {
        int32_t o = vgt_shader_io_scalar(&vs->io, m.usage, m.index);
        if (o < 0) {
            return false;
        }
        snprintf(out, n, "o[%d].%c", o / 4 > 11 ? 11 : o / 4, comp[o & 3]);
        return true;
    }
    char e[64]; /* vs < 3.0 expressions are short: "vec4(clamp(oFog.x, 0.0, 1.0))" */
    if (!vs_output(vs, m, e, sizeof(e))) {
        return false;
    }
    snprintf(out, n, "(%.64s).x", e);
    return true;
}

/* The fixed-function vertex side's varying for semantic m. */
static bool ff_output(const gl_sh_key *k, sem m, char *out, size_t n)
{
    switch (m.usage) {
    case VGT_SUSAGE_COLOR:
        if (m.index < 2) {
            snprintf(out, n, "%s", m.index ? "v_specular" : "v_diffuse");
            return true;
        }
        return false;
    case VGT_SUSAGE_TEXCOORD:
        if (m.index < 8 && k->wrap.pt_set[m.index]) {
            /* RS WRAPn: the geometry shader's own wrapped copy (gl_wrap.c) */
            snprintf(out, n, "v_pt%u", m.index);
            return true;
        }
        if (m.index < 8 && (k->ff.tc_mask & (1u << (k->ff_tcset[m.index] & 7u)))) {
            snprintf(out, n, "v_tc%u", k->ff_tcset[m.index] & 7u);
            return true;
        }
        return false;
    case VGT_SUSAGE_FOG:
        if (m.index == 0) {
            snprintf(out, n, "vec4(v_fog)");
            return true;
        }
        return false;
    default:
        return false;
    }
}

/* Which vs_3_0 output holds the position. */
static bool vs_position(const vgt_shader *vs, char *out, size_t n)
{
    if (vs->version < VGT_SHADER_V30) {
        snprintf(out, n, "oPos");
        return true;
    }
    sem m = {VGT_SUSAGE_POSITION, 0};
    return vs_output(vs, m, out, n);
}

/* Up to 4 semantics packed in each ps_3_0 input register v0..v9. */
#define GLSH_MAX_PS_INPUTS 48

/* The pixel shader's inputs: semantic m[i] fills the components mask[i] of
 * register reg[i] (16 + n: t<n>).  ps_3_0: one per declaration, a packed
 * register's semantics their masks' components, a lone declaration all four
 * (vgt_shader_io_semantic's rule). */
static uint32_t ps_inputs(const vgt_shader *ps, sem *m, uint8_t *reg, uint8_t *mask)
{
    uint32_t n = 0;
    if (ps->version >= VGT_SHADER_V30) {
        for (uint32_t v = 0; v < 16; v++) {
            const vgt_shader_io_reg *r = &ps->io.reg[v];
            for (uint32_t e = 0; e < r->count && e < 4 && n < GLSH_MAX_PS_INPUTS; e++) {
                m[n].usage = r->sem[e].usage;
                m[n].index = r->sem[e].usage_index;
                reg[n] = (uint8_t)v;
                mask[n] = r->count == 1 ? 0xFu : (uint8_t)(r->sem[e].mask & 0xFu);
                n++;
            }
        }
        return n;
    }
    for (uint8_t i = 0; i < 2; i++) {
        if (ps->summary.inputs & (1u << i)) {
            m[n] = (sem){VGT_SUSAGE_COLOR, i};
            mask[n] = 0xF;
            reg[n++] = i;
        }
    }
    for (uint8_t i = 0; i < 8; i++) {
        if ((ps->summary.textures | ps->summary.samplers) & (1u << i)) {
            m[n] = (sem){VGT_SUSAGE_TEXCOORD, i};
            mask[n] = 0xF;
            reg[n++] = (uint8_t)(16 + i);
        }
    }
    return n;
}

/* ".xz" for mask 0x5, "" for all four. */
static void mask_suffix(uint8_t mask, char out[6])
{
    if (mask == 0xF) {
        out[0] = '\0';
        return;
    }
    out[0] = '.';
    mask_str(mask, out + 1);
}

static const char *const sampler_glsl[4] = {"", "sampler2D", "samplerCube", "sampler3D"};

static void gen_vs(gl_sb *s, const gl_sh_key *k)
{
    const gl_shader *vs = k->vs;
    const vgt_shader *ps = k->ps ? k->ps->sh : NULL;
    gl_sb_add(s, "#version 330 core\n%s", helpers);
    if (k->clip) {
        gl_sb_add(s, "uniform vec4 u_clip[6];\nout float gl_ClipDistance[6];\n");
    }
    gl_sb_add(s, "uniform vec4 u_psize;\n"); /* render-state size, min, max */
    if (k->guard) {
        gl_sb_add(s, "uniform vec2 u_guard;\n"); /* points: gl_draw.c's guard band */
    }
    gl_sb_add(s, "uniform vec4 u_halfpix;\nvec4 v[16];\n"
                 "vec4 oPos = vec4(0.0), oFog = vec4(0.0), oPts = vec4(0.0);\n"
                 "vec4 oD[2] = vec4[2](vec4(0.0), vec4(0.0));\nvec4 oT[8];\nvec4 o[12];\n");
    for (uint32_t i = 0; i < 16; i++) {
        uint32_t u, x;
        if (gl_shader_vs_input(vs, i, &u, &x)) {
            gl_sb_add(s, "layout(location = %u) in vec4 a_v%u;\n", i, i);
        }
    }
    sem m[GLSH_MAX_PS_INPUTS];
    uint8_t reg[GLSH_MAX_PS_INPUTS], mask[GLSH_MAX_PS_INPUTS];
    uint32_t n = ps ? ps_inputs(ps, m, reg, mask) : 0;
    char e[200];
    for (uint32_t i = 0; i < n; i++) {
        if (vs_output(vs->sh, m[i], e, sizeof(e))) {
            /* the semantic's vec4, components at their positions (gl_wrap.c
             * wraps them by position too) */
            gl_sb_add(s, "%sout vec4 vy_%u_%u;\n",
                      k->flat && m[i].usage == VGT_SUSAGE_COLOR ? "flat " : "", m[i].usage,
                      m[i].index);
        }
    }
    if (ps && k->fog) {
        gl_sb_add(s, "out float vy_fog;\n");
    }
    if (!ps) {
        /* the fixed-function pixel side's varyings (gl_ffp.c's names) */
        const char *q = k->ff.flat ? "flat " : "";
        gl_sb_add(s, "%sout vec4 v_diffuse;\n%sout vec4 v_specular;\nout float v_fog;\n", q, q);
        for (uint32_t i = 0; i < 8; i++) {
            if (k->ff.tc_mask & (1u << i)) {
                gl_sb_add(s, "out vec4 v_tc%u;\n", i);
            }
        }
    }
    gl_sb_add(s, "%s", vs->body);
    gl_sb_add(s, "void main() {\n    for (int i = 0; i < 8; i++) oT[i] = vec4(0.0);\n"
                 "    for (int i = 0; i < 12; i++) o[i] = vec4(0.0);\n"
                 "    for (int i = 0; i < 32; i++) r[i] = vec4(0.0);\n"
                 "    for (int i = 0; i < 16; i++) v[i] = vec4(0.0, 0.0, 0.0, 1.0);\n");
    for (uint32_t i = 0; i < 16; i++) {
        uint32_t u, x;
        if (gl_shader_vs_input(vs, i, &u, &x)) {
            gl_sb_add(s, "    v[%u] = a_v%u;\n", i, i);
        }
    }
    gl_sb_add(s, "    shader_main();\n");
    for (uint32_t i = 0; i < n; i++) {
        if (vs_output(vs->sh, m[i], e, sizeof(e))) {
            gl_sb_add(s, "    vy_%u_%u = %s;\n", m[i].usage, m[i].index, e);
        }
    }
    if (ps && k->fog) {
        sem fm = {VGT_SUSAGE_FOG, 0};
        if (vs_scalar(vs->sh, fm, e, sizeof(e))) {
            gl_sb_add(s, "    vy_fog = %s;\n", e);
        } else {
            gl_sb_add(s, "    vy_fog = 1.0;\n");
        }
    }
    if (!ps) {
        static const sem ffsem[3] = {
            {VGT_SUSAGE_COLOR, 0}, {VGT_SUSAGE_COLOR, 1}, {VGT_SUSAGE_FOG, 0}};
        static const char *const ffname[3] = {"v_diffuse", "v_specular", "v_fog"};
        for (int i = 0; i < 3; i++) {
            if (i == 2 ? vs_scalar(vs->sh, ffsem[i], e, sizeof(e))
                       : vs_output(vs->sh, ffsem[i], e, sizeof(e))) {
                gl_sb_add(s, "    %s = %s;\n", ffname[i], e);
            } else {
                gl_sb_add(s, "    %s = %s;\n", ffname[i], i == 2 ? "1.0" : "vec4(0.0)");
            }
        }
        for (uint8_t i = 0; i < 8; i++) {
            if (k->ff.tc_mask & (1u << i)) {
                sem t = {VGT_SUSAGE_TEXCOORD, i};
                if (vs_output(vs->sh, t, e, sizeof(e))) {
                    gl_sb_add(s, "    v_tc%u = %s;\n", i, e);
                } else {
                    gl_sb_add(s, "    v_tc%u = vec4(0.0);\n", i);
                }
            }
        }
    }
    if (!vs_position(vs->sh, e, sizeof(e))) {
        snprintf(e, sizeof(e), "vec4(0.0)");
    }
    gl_sb_add(s, "    vec4 clip = %s;\n", e);
    {
        /* the point size: oPts / a PSIZE output, else the render state's */
        sem pm = {VGT_SUSAGE_PSIZE, 0};
        char pe[256] = "u_psize.x";
        if (vs->sh->version >= VGT_SHADER_V30) {
            char o[200];
            if (vs_scalar(vs->sh, pm, o, sizeof(o))) {
                snprintf(pe, sizeof(pe), "%s", o);
            }
        } else if (vs->sh->summary.rastout & 4u) {
            snprintf(pe, sizeof(pe), "oPts.x");
        }
        gl_sb_add(s, "    gl_PointSize = clamp(%s, u_psize.y, u_psize.z);\n", pe);
    }
    if (k->clip) {
        /* Direct3D 9: with a vertex shader, user clip planes are in clip space */
        gl_sb_add(s,
                  "    for (int i = 0; i < 6; i++) gl_ClipDistance[i] = dot(u_clip[i], clip);\n");
    }
    gl_sb_add(s, "    clip.y = -clip.y;\n"
                 "    clip.xy += u_halfpix.xy * clip.w;\n");
    if (k->zremap) {
        gl_sb_add(s, "    clip.z = 2.0 * clip.z - clip.w;\n");
    }
    if (k->guard) {
        gl_sb_add(s, "    clip.xy *= u_guard;\n");
    }
    gl_sb_add(s, "    gl_Position = clip;\n}\n");
}

static void gen_fs(gl_sb *s, const gl_sh_key *k)
{
    const vgt_shader *vs = k->vs ? k->vs->sh : NULL;
    const gl_shader *ps = k->ps;
    const vgt_shader *p = ps->sh;
    gl_emit_fs_version(s, &k->blend);
    /* texkill (the body's VGT_KILL) discards, except in the fragment
     * probe's variant that must count a killed fragment (gl_probe.c) */
    if (ps->kills) {
        gl_sb_add(s, "#define VGT_KILL %s\n", k->no_kill ? "{}" : "discard");
    }
    gl_sb_add(s, "%s", helpers);
    if (k->fog && vs) {
        gl_sb_add(s, "in float vy_fog;\n");
    }
    gl_sb_add(s, "uniform vec4 u_fogp, u_fogc;\n");
    for (uint32_t i = 0; i < 3; i++) {
        if (k->mrt_out[i]) {
            gl_sb_add(s, "layout(location = %u) %s vec4 o_color%u;\n", i + 1,
                      gl_output_qualifier(&k->blend), i + 1);
        }
    }
    gl_sb_add(s,
              "uniform float u_aref;\nlayout(location = 0) %s vec4 o_color;\n"
              "vec4 v[16];\nvec4 t[8];\nvec4 tin[8];\nvec4 oC[4];\nvec4 oDepth;\n"
              "vec4 vPos, vFace;\n"
              "uniform vec4 u_bumpm[8];\nuniform vec2 u_bumpl[8];\n",
              gl_output_qualifier(&k->blend));
    for (uint32_t i = 0; i < 16; i++) {
        if (!(p->summary.samplers & (1u << i))) {
            continue;
        }
        uint8_t kind = k->tex_kind[i] & 3u;
        if (!kind) {
            gl_sb_add(s,
                      "vec4 TEX%u(vec4 c) { return vec4(0.0, 0.0, 0.0, 1.0); }\n"
                      "vec4 TEXP%u(vec4 c) { return vec4(0.0, 0.0, 0.0, 1.0); }\n"
                      "vec4 TEXB%u(vec4 c) { return vec4(0.0, 0.0, 0.0, 1.0); }\n"
                      "vec4 TEXL%u(vec4 c) { return vec4(0.0, 0.0, 0.0, 1.0); }\n"
                      "vec4 TEXD%u(vec4 c, vec4 x, vec4 y) { return vec4(0.0, 0.0, 0.0, 1.0); }\n",
                      i, i, i, i, i);
            continue;
        }
        const char *cs = kind == 1 ? "xy" : "xyz";
        gl_sb_add(s, "uniform %s s%u;\n", sampler_glsl[kind], i);
        if (i < 8 && k->proj[i]) {
            /* ps_1_1-1_3 tex with a PROJECTED stage: divided by the last coordinate */
            gl_sb_add(s, "vec4 TEX%u(vec4 c) { return texture(s%u, c.%s / c.%c); }\n", i, i, cs,
                      comp[k->proj[i] & 3u]);
        } else {
            gl_sb_add(s, "vec4 TEX%u(vec4 c) { return texture(s%u, c.%s); }\n", i, i, cs);
        }
        gl_sb_add(s,
                  "vec4 TEXP%u(vec4 c) { return texture(s%u, c.%s / c.w); }\n"
                  "vec4 TEXB%u(vec4 c) { return texture(s%u, c.%s, c.w); }\n"
                  "vec4 TEXD%u(vec4 c, vec4 x, vec4 y) { return textureGrad(s%u, c.%s, x.%s, "
                  "y.%s); }\n",
                  i, i, cs, i, i, cs, i, i, cs, cs, cs);
        /* texldl: GL measures textureLod's level from BASE_LEVEL = MAXMIPLEVEL
         * B (gl_draw.c bind_stage) and adds the sampler's LOD bias; Direct3D 9
         * takes L = w + bias, magnifies when L <= 0 and samples level max(L, B)
         * otherwise.  u_texl (gl_sprog_texl) = (B, bias, p): L > B gives GL
         * w - B (level L); 0 < L <= B gives GL the level p, minified at level B
         * when p > 0 (POINT mips: p = 0.25 rounds to B), magnified at p = 0
         * (LINEAR mips: a blend would show); L <= 0 keeps w.  B = 0 (also
         * where mips do not matter) is exactly textureLod(w). */
        gl_sb_add(s,
                  "uniform vec3 u_texl%u;\n"
                  "vec4 TEXL%u(vec4 c) { float l = c.w + u_texl%u.y; return textureLod(s%u, "
                  "c.%s, l > u_texl%u.x ? c.w - u_texl%u.x : (l > 0.0 ? u_texl%u.z - "
                  "u_texl%u.y : c.w)); }\n",
                  i, i, i, i, cs, i, i, i, i);
    }
    sem m[GLSH_MAX_PS_INPUTS];
    uint8_t reg[GLSH_MAX_PS_INPUTS], mask[GLSH_MAX_PS_INPUTS];
    uint32_t n = ps_inputs(p, m, reg, mask);
    char e[200];
    bool have[GLSH_MAX_PS_INPUTS];
    char ffe[GLSH_MAX_PS_INPUTS][32];
    if (!vs) {
        const char *q = k->ff.flat ? "flat " : "";
        gl_sb_add(s, "%sin vec4 v_diffuse;\n%sin vec4 v_specular;\nin float v_fog;\n", q, q);
        for (uint32_t i = 0; i < 8; i++) {
            if (k->ff.tc_mask & (1u << i)) {
                gl_sb_add(s, "in vec4 v_tc%u;\n", i);
            }
            if (k->wrap.pt_set[i]) {
                gl_sb_add(s, "in vec4 v_pt%u;\n", i);
            }
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!vs) {
            have[i] = ff_output(k, m[i], ffe[i], sizeof(ffe[i]));
            continue;
        }
        have[i] = vs_output(vs, m[i], e, sizeof(e));
        if (have[i]) {
            gl_sb_add(s, "%sin vec4 vy_%u_%u;\n",
                      k->flat && m[i].usage == VGT_SUSAGE_COLOR ? "flat " : "", m[i].usage,
                      m[i].index);
        }
    }
    gl_sb_add(s, "%s", ps->body);
    gl_sb_add(s, "void main() {\n"
                 "    for (int i = 0; i < 32; i++) r[i] = vec4(0.0);\n"
                 "    for (int i = 0; i < 16; i++) v[i] = vec4(0.0);\n"
                 "    for (int i = 0; i < 8; i++) tin[i] = vec4(0.0);\n"
                 "    for (int i = 0; i < 4; i++) oC[i] = vec4(0.0);\n"
                 "    vPos = vec4(gl_FragCoord.xy - 0.5, 0.0, 0.0);\n"
                 "    vFace = vec4(gl_FrontFacing ? 1.0 : -1.0);\n"
                 "    oDepth = vec4(gl_FragCoord.z);\n");
    if (k->sprite) {
        /* Direct3D 9: texture coordinate inputs read the sprite's (u, v, 0,
         * 1), (0, 0) at the top-left (gl_ffp.c's flip of gl_PointCoord) */
        gl_sb_add(s, "    vec4 spc = vec4(gl_PointCoord.x, 1.0 - gl_PointCoord.y, 0.0, 1.0);\n");
    }
    for (uint32_t i = 0; i < n; i++) {
        /* a packed register takes its semantics' components at their
         * positions: v[r].zw = vy_5_1.zw */
        char sw[6];
        mask_suffix(mask[i], sw);
        const char *src = e;
        if (k->sprite && m[i].usage == VGT_SUSAGE_TEXCOORD) {
            snprintf(e, sizeof(e), "spc%s", sw);
        } else if (have[i] && !vs) {
            snprintf(e, sizeof(e), "(%s)%s", ffe[i], sw);
        } else if (have[i]) {
            snprintf(e, sizeof(e), "vy_%u_%u%s", m[i].usage, m[i].index, sw);
        } else {
            snprintf(e, sizeof(e), "vec4(0.0)%s", sw);
        }
        if (reg[i] >= 16) {
            gl_sb_add(s, "    tin[%u] = %s;\n", reg[i] - 16u, src);
        } else if (p->version < VGT_SHADER_V30) {
            gl_sb_add(s, "    v[%u] = clamp(%s, 0.0, 1.0);\n", reg[i], src);
        } else {
            gl_sb_add(s, "    v[%u]%s = %s;\n", reg[i], sw, src);
        }
    }
    gl_sb_add(s, "    for (int i = 0; i < 8; i++) t[i] = tin[i];\n"
                 "    shader_main();\n");
    gl_sb_add(s, "    vec4 o = %s;\n", p->version < VGT_SHADER_V20 ? "r[0]" : "oC[0]");
    if (k->fog) {
        /* D3D9 fog on ps < 3.0 results, as the soft backend (gl_ffp's equations) */
        gl_sb_add(s, "    float d = %s, f = 1.0;\n", vs ? "vy_fog" : "v_fog");
        if (k->fog == 1) {
            gl_sb_add(s, "    f = clamp(d, 0.0, 1.0);\n");
        } else if (k->fog_func == VGT_SVGA3D_FOGFUNC_LINEAR) {
            gl_sb_add(s, "    f = u_fogp.y != u_fogp.x ? (u_fogp.y - d) / (u_fogp.y - u_fogp.x)"
                         " : (d < u_fogp.y ? 1.0 : 0.0);\n");
        } else if (k->fog_func == VGT_SVGA3D_FOGFUNC_EXP) {
            gl_sb_add(s, "    f = exp2(-d * u_fogp.z * 1.44269504089);\n");
        } else if (k->fog_func == VGT_SVGA3D_FOGFUNC_EXP2) {
            gl_sb_add(s, "    float tt = d * u_fogp.z;\n    f = exp2(-tt * tt * 1.44269504089);\n");
        }
        gl_sb_add(s, "    f = clamp(f, 0.0, 1.0);\n"
                     "    o.rgb = f * clamp(o.rgb, 0.0, 1.0) + (1.0 - f) * u_fogc.rgb;\n");
    }
    gl_emit_alpha_test(s, k->alpha_func, "u_aref");
    gl_emit_output(s, "o_color", "o", k->out_mode, k->srgb_out, &k->blend);
    /* oC1..3 as the shader left them: no fog (Direct3D 9 fogs target 0);
     * the alpha test above discards the pixel for every target */
    for (uint32_t i = 0; i < 3; i++) {
        if (k->mrt_out[i]) {
            char dst[16], src[16];
            snprintf(dst, sizeof(dst), "o_color%u", i + 1);
            snprintf(src, sizeof(src), "oC[%u]", i + 1);
            gl_emit_output(s, dst, src, (uint8_t)(k->mrt_out[i] - 1u), k->srgb_out, &k->blend);
        }
    }
    if (p->summary.depth_output) {
        gl_sb_add(s, "    gl_FragDepth = clamp(oDepth.x, 0.0, 1.0);\n");
    }
    gl_sb_add(s, "}\n");
}

vgt_status gl_shader_source(const gl_sh_key *k, char **vs_src, char **fs_src, vgt_error *err)
{
    *vs_src = *fs_src = NULL;
    gl_sb a = {0}, c = {0};
    char *ffvs = NULL, *fffs = NULL;
    if (!k->vs || !k->ps) {
        vgt_status rc = gl_ff_source(&k->ff, &ffvs, &fffs, err);
        if (rc) {
            return rc;
        }
    }
    if (k->vs) {
        gen_vs(&a, k);
    } else {
        a.p = ffvs;
        ffvs = NULL;
    }
    if (k->ps) {
        gen_fs(&c, k);
    } else {
        c.p = fffs;
        fffs = NULL;
    }
    free(ffvs);
    free(fffs);
    if (a.oom || c.oom || !a.p || !c.p) {
        free(a.p);
        free(c.p);
        return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory generating GLSL");
    }
    *vs_src = a.p;
    *fs_src = c.p;
    return VGT_OK;
}

static GLuint link(const gl_sh_key *k, vgt_error *err)
{
    gl_sb a = {0}, c = {0};
    char *gs = NULL;
    if (gl_shader_source(k, &a.p, &c.p, err)) {
        return 0;
    }
    if (gl_wrap_sources(&k->wrap, &a.p, &gs, err)) {
        free(a.p);
        free(c.p);
        return 0;
    }
    char log[1024] = "";
    GLuint prog = gl_link_program(a.p, gs, c.p, log, sizeof(log));
    free(a.p);
    free(gs);
    free(c.p);
    if (!prog) {
        vgt_error_set(
            err, VGT_E_INVALID,
            "gl backend: the translated program (vertex shader %s, pixel shader %s) "
            "does not compile: %s",
            k->vs ? vgt_shader_version_name(k->vs->sh->type, k->vs->sh->version) : "fixed function",
            k->ps ? vgt_shader_version_name(k->ps->sh->type, k->ps->sh->version) : "fixed function",
            log);
    }
    return prog;
}

gl_sprog *gl_shader_program(gl_backend *b, const gl_sh_key *key, vgt_error *err)
{
    for (gl_sprog *p = b->sprogs; p; p = p->next) {
        if (memcmp(&p->key, key, sizeof(*key)) == 0) {
            if (!p->prog) {
                vgt_error_set(err, VGT_E_INVALID, "%s", p->error ? p->error : "?");
                return NULL;
            }
            b->n.program_cache_hits++;
            return p;
        }
    }
    uint32_t n = 0;
    for (gl_sprog *q = b->sprogs; q; q = q->next) {
        n++;
    }
    if (n >= GLSH_MAX_PROGRAMS) {
        /* a guest cycling through states: start again (bounded memory) */
        gl_shader_cache_destroy(b);
        b->sc.program = 0;
    }
    gl_sprog *p = calloc(1, sizeof(*p));
    if (!p) {
        vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory");
        return NULL;
    }
    p->key = *key;
    uint64_t t0 = vgt_now_ns();
    p->prog = link(key, err);
    b->n.shader_link_ns += vgt_now_ns() - t0;
    b->n.shader_programs_linked++;
    if (!p->prog) {
        /* kept: a hostile shader that does not compile (e.g. recursive
         * calls) is refused by every later draw without compiling again */
        p->error = strdup(err && err->message[0] ? err->message : "the program does not compile");
        p->next = b->sprogs;
        b->sprogs = p;
        return NULL;
    }
    glUseProgram(p->prog);
    b->sc.program = p->prog;
    static const char *const names[2][3] = {{"vc", "vi", "vb"}, {"pc", "pi", "pb"}};
    for (int s = 0; s < 2; s++) {
        for (int f = 0; f < 3; f++) {
            p->loc[s][f] = glGetUniformLocation(p->prog, names[s][f]);
        }
    }
    p->loc_halfpix = glGetUniformLocation(p->prog, "u_halfpix");
    p->loc_aref = glGetUniformLocation(p->prog, "u_aref");
    p->loc_ff = glGetUniformLocation(p->prog, "ff");
    p->loc_ffp = glGetUniformLocation(p->prog, "ffp");
    p->loc_fogp = glGetUniformLocation(p->prog, "u_fogp");
    p->loc_fogc = glGetUniformLocation(p->prog, "u_fogc");
    p->loc_clip = glGetUniformLocation(p->prog, "u_clip");
    p->loc_psize = glGetUniformLocation(p->prog, "u_psize");
    p->loc_blend = glGetUniformLocation(p->prog, "u_blend");
    p->loc_guard = glGetUniformLocation(p->prog, "u_guard");
    p->loc_bumpm = glGetUniformLocation(p->prog, "u_bumpm");
    p->loc_bumpl = glGetUniformLocation(p->prog, "u_bumpl");
    for (int i = 0; i < 16; i++) {
        char name[24]; /* "u_texl" and any int */
        snprintf(name, sizeof(name), "s%d", i);
        GLint loc = glGetUniformLocation(p->prog, name);
        if (loc >= 0) {
            glUniform1i(loc, i);
        }
        snprintf(name, sizeof(name), "u_texl%d", i);
        p->loc_texl[i] = glGetUniformLocation(p->prog, name);
        snprintf(name, sizeof(name), "u_tex%d", i);
        loc = glGetUniformLocation(p->prog, name);
        if (loc >= 0) {
            glUniform1i(loc, i); /* the fixed-function pixel side's stage i */
        }
    }
    p->next = b->sprogs;
    b->sprogs = p;
    b->n.programs_compiled++;
    return p;
}

void gl_sprog_texl(const gl_sprog *p, uint32_t sampler, const float texl[3])
{
    if (sampler < 16 && p->loc_texl[sampler] >= 0) {
        glUniform3f(p->loc_texl[sampler], texl[0], texl[1], texl[2]);
    }
}

GLuint gl_sprog_name(const gl_sprog *p)
{
    return p->prog;
}

void gl_sprog_guard(const gl_sprog *p, const float scale[2])
{
    if (p->loc_guard >= 0) {
        glUniform2f(p->loc_guard, scale[0], scale[1]);
    }
}

static void upload_stage(gl_sprog *p, int stage, const gl_shader *g, const float (*fl)[4],
                         const int32_t (*in)[4], const uint32_t *bo)
{
    static float cf[VGT_BACKEND_VS_FLOAT_REGS][4];
    int32_t ci[16][4];
    int32_t cb[16];
    uint32_t n = g->nconst;
    if (fl) {
        memcpy(cf, fl, (size_t)n * sizeof(cf[0]));
    } else {
        memset(cf, 0, (size_t)n * sizeof(cf[0]));
    }
    if (in) {
        memcpy(ci, in, sizeof(ci));
    } else {
        memset(ci, 0, sizeof(ci));
    }
    for (int i = 0; i < 16; i++) {
        cb[i] = bo ? (bo[i] != 0) : 0;
    }
    for (uint32_t i = 0; i < g->ndefs; i++) {
        const gl_def *d = &g->defs[i];
        if (d->file == VGT_SREG_CONST && d->index < n) {
            memcpy(cf[d->index], d->v, sizeof(cf[0]));
        } else if (d->file == VGT_SREG_CONSTINT && d->index < 16) {
            memcpy(ci[d->index], d->v, sizeof(ci[0]));
        } else if (d->file == VGT_SREG_CONSTBOOL && d->index < 16) {
            cb[d->index] = d->v[0] != 0;
        }
    }
    gl_cshadow *sh = p->shadow[stage];
    if (!sh) {
        sh = p->shadow[stage] = calloc(1, sizeof(*sh)); /* NULL: upload everything */
    }
    bool valid = sh && sh->valid;
    if (p->loc[stage][0] >= 0) {
        /* only the changed range of registers */
        uint32_t lo = 0, hi = n;
        if (valid) {
            while (lo < n && memcmp(cf[lo], sh->c[lo], sizeof(cf[0])) == 0) {
                lo++;
            }
            while (hi > lo && memcmp(cf[hi - 1], sh->c[hi - 1], sizeof(cf[0])) == 0) {
                hi--;
            }
        }
        if (hi > lo) {
            glUniform4fv(p->loc[stage][0] + (GLint)lo, (GLsizei)(hi - lo), &cf[lo][0]);
        }
    }
    if (p->loc[stage][1] >= 0 && !(valid && memcmp(ci, sh->i, sizeof(ci)) == 0)) {
        glUniform4iv(p->loc[stage][1], 16, &ci[0][0]);
    }
    if (p->loc[stage][2] >= 0 && !(valid && memcmp(cb, sh->b, sizeof(cb)) == 0)) {
        glUniform1iv(p->loc[stage][2], 16, cb);
    }
    if (sh) {
        memcpy(sh->c, cf, (size_t)n * sizeof(cf[0]));
        memcpy(sh->i, ci, sizeof(ci));
        memcpy(sh->b, cb, sizeof(cb));
        sh->valid = true;
    }
}

void gl_upload_bump(GLint loc_m, GLint loc_l, const vgt_backend_draw_state *st)
{
    float m[8][4], l[8][2];
    for (uint32_t i = 0; i < 8; i++) {
        const vgt_backend_stage *g = &st->stages[i];
        m[i][0] = g->bump_env_mat[0][0];
        m[i][1] = g->bump_env_mat[0][1];
        m[i][2] = g->bump_env_mat[1][0];
        m[i][3] = g->bump_env_mat[1][1];
        l[i][0] = g->bump_env_lscale;
        l[i][1] = g->bump_env_loffset;
    }
    if (loc_m >= 0) {
        glUniform4fv(loc_m, 8, &m[0][0]);
    }
    if (loc_l >= 0) {
        glUniform2fv(loc_l, 8, &l[0][0]);
    }
}

void gl_shader_upload(gl_sprog *p, const vgt_backend_draw_state *st, const void *ff,
                      bool viewport_offset)
{
    if (p->key.vs) {
        upload_stage(p, 0, p->key.vs, st->vs_float, st->vs_int, st->vs_bool);
    }
    if (p->key.ps) {
        upload_stage(p, 1, p->key.ps, st->ps_float, st->ps_int, st->ps_bool);
    }
    if (p->loc_psize >= 0) {
        float mn = st->point_size_min < 1.0f ? 1.0f : st->point_size_min;
        float mx = st->point_size_max > 256.0f ? 256.0f : st->point_size_max;
        mx = mx < mn ? mn : mx;
        float ps = st->point_size < mn ? mn : (st->point_size > mx ? mx : st->point_size);
        glUniform4f(p->loc_psize, ps, mn, mx, 0.0f);
    }
    if (p->loc_clip >= 0) {
        glUniform4fv(p->loc_clip, 6, &st->clip_planes[0][0]);
    }
    if (p->loc_bumpm >= 0 || p->loc_bumpl >= 0) {
        gl_upload_bump(p->loc_bumpm, p->loc_bumpl, st); /* texbem(l), bem */
    }
    if (p->loc_fogp >= 0) {
        glUniform4f(p->loc_fogp, st->fog_start, st->fog_end, st->fog_density, 0.0f);
    }
    if (p->loc_fogc >= 0) {
        uint32_t c = st->fog_color;
        glUniform4f(p->loc_fogc, (float)((c >> 16) & 0xff) / 255.0f,
                    (float)((c >> 8) & 0xff) / 255.0f, (float)(c & 0xff) / 255.0f, 1.0f);
    }
    /* the fixed-function side's ff[] (vertex) and ffp[] (fragment) */
    if (ff && p->loc_ff >= 0) {
        glUniform4fv(p->loc_ff, (GLsizei)gl_ff_vs_vec4s(&p->key.ff), (const float *)ff);
    }
    if (ff && p->loc_blend >= 0) {
        float m[GL_BLEND_MATRICES][16];
        gl_ff_blend_matrices(st, m);
        glUniformMatrix4fv(p->loc_blend, GL_BLEND_MATRICES, GL_FALSE, &m[0][0]);
    }
    if (ff && p->loc_ffp >= 0) {
        glUniform4fv(p->loc_ffp, (GLsizei)(GL_FF_VEC4S - GL_FF_FS_FIRST),
                     (const float *)ff + 4u * GL_FF_FS_FIRST);
    }
    float w = st->viewport.w ? (float)st->viewport.w : 1.0f;
    float h = st->viewport.h ? (float)st->viewport.h : 1.0f;
    if (p->loc_halfpix >= 0) {
        /* zero when the viewport itself is half a pixel off (gl_draw.c) */
        glUniform4f(p->loc_halfpix, viewport_offset ? 0.0f : 1.0f / w,
                    viewport_offset ? 0.0f : 1.0f / h, 0.0f, 0.0f);
    }
    if (p->loc_aref >= 0) {
        float ref = st->alpha_ref;
        ref = ref < 0.0f ? 0.0f : (ref > 1.0f ? 1.0f : ref);
        glUniform1f(p->loc_aref, (float)(int)(ref * 255.0f + 0.5f));
    }
}

/* ---- bench ------------------------------------------------------------------------- */

vgt_status vgt_gl_translate_bench(const uint32_t *const *shaders, const size_t *words, size_t count,
                                  uint32_t rounds, double *translate_us, double *parse_us,
                                  double *ff_us, vgt_error *err)
{
    uint64_t tp = 0, tt = 0, n = 0;
    rounds = rounds ? rounds : 1;
    for (uint32_t r = 0; r < rounds; r++) {
        for (size_t i = 0; i < count; i++) {
            vgt_shader *sh = NULL;
            uint64_t t0 = vgt_now_ns();
            vgt_status rc = vgt_shader_parse(shaders[i], words[i], &sh, NULL, err);
            uint64_t t1 = vgt_now_ns();
            if (rc) {
                return rc;
            }
            char *body = NULL;
            rc = gl_shader_translate(sh, &body, err);
            uint64_t t2 = vgt_now_ns();
            free(body);
            vgt_shader_free(sh);
            if (rc) {
                return rc;
            }
            tp += t1 - t0;
            tt += t2 - t1;
            n++;
        }
    }
    /* fixed function: an unlit vertex-colored key, a lit textured one with
     * fog, and a three-stage one */
    gl_ff_key keys[3];
    memset(keys, 0, sizeof(keys));
    keys[0].has_color0 = 1;
    keys[0].nstages = 1;
    keys[0].stages[0].color_op = VGT_SVGA3D_TC_SELECTARG1;
    keys[0].stages[0].color_arg[1] = VGT_SVGA3D_TA_DIFFUSE;
    keys[0].stages[0].alpha_op = VGT_SVGA3D_TC_SELECTARG1;
    keys[0].stages[0].alpha_arg[1] = VGT_SVGA3D_TA_DIFFUSE;
    keys[1] = keys[0];
    keys[1].has_normal = 1;
    keys[1].lighting = 1;
    keys[1].specular = 1;
    keys[1].light_type[0] = VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL;
    keys[1].light_type[1] = VGT_SVGA3D_LIGHTTYPE_POINT;
    keys[1].fog = 1;
    keys[1].fog_func = VGT_SVGA3D_FOGFUNC_LINEAR;
    keys[1].stages[0].color_op = VGT_SVGA3D_TC_MODULATE;
    keys[1].stages[0].color_arg[0] = VGT_SVGA3D_TA_TEXTURE;
    keys[1].stages[0].tex_kind = 1;
    keys[1].tc_mask = keys[1].tc_have = 1;
    keys[2] = keys[1];
    keys[2].nstages = 3;
    keys[2].stages[1] = keys[1].stages[0];
    keys[2].stages[2] = keys[1].stages[0];
    uint64_t tf = 0, nf = 0;
    for (uint32_t r = 0; r < rounds; r++) {
        for (int k = 0; k < 3; k++) {
            char *vs = NULL, *fs = NULL;
            uint64_t t0 = vgt_now_ns();
            vgt_status rc = gl_ff_source(&keys[k], &vs, &fs, err);
            tf += vgt_now_ns() - t0;
            free(vs);
            free(fs);
            if (rc) {
                return rc;
            }
            nf++;
        }
    }
    *translate_us = n ? (double)tt / 1000.0 / (double)n : 0;
    *parse_us = n ? (double)tp / 1000.0 / (double)n : 0;
    *ff_us = nf ? (double)tf / 1000.0 / (double)nf : 0;
    return VGT_OK;
}
