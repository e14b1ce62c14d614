/* soft_shader.h - private: Direct3D 9 shaders on the soft renderer.  The
 * compiled program (soft_shader.c), the interpreter that runs it on 4 lanes
 * at once (soft_shader_exec.c: 4 vertices, or the 2x2 pixel quad whose
 * differences give dsx/dsy and texture LODs), and the per-draw linkage of
 * vertex outputs to pixel inputs (soft_shader_pipe.c).  See docs/soft.md. */
#ifndef SOFT_SHADER_H
#define SOFT_SHADER_H

#include "soft_internal.h"

#define SSH_LANES 4u
#define SSH_ALL   0x0fu /* all four lanes */

/* The per-lane register file of one invocation: R[reg][component][lane]. */
enum {
    SSH_R_TEMP = 0,   /* r0..r31 */
    SSH_R_INPUT = 32, /* v0..v15 */
    SSH_R_TEX = 48,   /* t0..t7 (ps < 3.0) */
    SSH_R_OUT = 56,   /* outputs, see SSH_OUT_* */
    SSH_R_MISC = 72,  /* vPos, vFace (ps_3_0) */
    SSH_R_COUNT = 74,
};
/* Output registers (offsets from SSH_R_OUT).  vs < 3.0: */
#define SSH_OUT_POS 0u
#define SSH_OUT_FOG 1u
#define SSH_OUT_PTS 2u
#define SSH_OUT_D0  3u /* oD0, oD1 */
#define SSH_OUT_T0  5u /* oT0..oT7 */
/* vs_3_0: o0..o11 at 0..11.  ps: oC0..oC3 at 0..3, oDepth: */
#define SSH_OUT_DEPTH 4u

/* Operand kinds. */
enum {
    SSH_K_NONE = 0,
    SSH_K_REG,     /* per-lane register R[index] */
    SSH_K_CONST,   /* c# (uniform; per lane when indexed by a0) */
    SSH_K_INT,     /* i# */
    SSH_K_BOOL,    /* b# */
    SSH_K_ADDR,    /* a0 */
    SSH_K_PRED,    /* p0 */
    SSH_K_LOOP,    /* aL */
    SSH_K_SAMPLER, /* s# */
};

typedef struct ssh_src {
    uint8_t kind;
    uint8_t swz[4];
    uint8_t mod;      /* vgt_shader_srcmod */
    uint8_t rel;      /* 0: none, 1: a0.<rel_comp>, 2: aL */
    uint8_t rel_comp; /* a0 component */
    uint16_t index;   /* R index (REG) or register number */
    uint16_t lo, hi;  /* relative: the file's first and last register (R index or number) */
} ssh_src;

typedef struct ssh_dst {
    uint8_t kind; /* SSH_K_REG, SSH_K_ADDR, SSH_K_PRED, or NONE */
    uint8_t mask; /* write mask bits */
    uint8_t sat;
    int8_t shift;   /* ps_1_x result scale */
    uint8_t rel;    /* 2: o[aL] (vs_3_0) */
    uint16_t index; /* R index / register number */
    uint16_t lo, hi;
} ssh_dst;

typedef struct ssh_insn {
    uint16_t op;     /* vgt_shader_opcode */
    uint8_t control; /* comparison or texld flags */
    uint8_t nsrc;
    uint8_t predicated;
    uint8_t range; /* ps_1_x register range clamp: 0 none, else [-range, range] */
    uint8_t sampler;
    ssh_dst dst;
    ssh_src pred;
    ssh_src src[VGT_SHADER_MAX_SRC];
    uint32_t target; /* flow: the matching instruction (compiled index) */
} ssh_insn;

/* A semantic of a vs output / ps input. */
typedef struct ssh_sem {
    uint8_t declared;
    uint8_t usage, index; /* vgt_shader_usage */
    uint8_t mask;
} ssh_sem;

struct vgt_soft_shader {
    uint32_t type;    /* VGT_SVGA3D_SHADERTYPE_VS / _PS */
    uint32_t version; /* VGT_SHADER_V(major, minor) */
    ssh_insn *code;
    uint32_t ncode;
    /* def / defi / defb */
    struct {
        uint16_t reg;
        float v[4];
    } * fdef;
    uint32_t nfdef;
    int32_t idef[16][4];
    uint16_t idef_mask;
    uint32_t bdef[16];
    uint16_t bdef_mask;
    /* declarations */
    ssh_sem in[16];        /* vs: v# by usage */
    vgt_shader_io io;      /* vs_3_0: o# semantics; ps_3_0: v# semantics (packed or not) */
    uint32_t color_inputs; /* ps < 3.0: v# read */
    uint32_t tex_inputs;   /* ps < 3.0: t# read (texcoord or tex) */
    uint32_t samplers;     /* samplers sampled */
    uint8_t sampler_type[16];
    uint32_t float_regs; /* c# file size in the model */
    bool writes_depth, kills, uses_vpos, uses_vface;
    bool ps1x;              /* ps_1_x: r0 is the color output */
    bool writes_pts;        /* vs < 3.0: oPts written (else the size is POINTSIZE) */
    uint32_t color_outputs; /* ps: bit n, oC<n> written (ps_1_x: 1, r0) */
    char unsupported[192];  /* non-empty: what the interpreter cannot run */
};

/* The merged constants of one draw for one shader (SET_SHADER_CONST values
 * with the shader's def/defi/defb applied). */
typedef struct ssh_consts {
    float c[256][4];
    uint32_t nc;
    int32_t i[16][4];
    uint32_t b[16];
    /* ps_1_x bump environment of each stage: MAT00, MAT01, MAT10, MAT11,
     * LSCALE, LOFFSET (texbem, texbeml, bem) */
    float bump[VGT_SOFT_MAX_STAGES][6];
} ssh_consts;

/* One invocation on 4 lanes. */
typedef struct ssh_ctx {
    float R[SSH_R_COUNT][4][SSH_LANES];
    int32_t a0[4][SSH_LANES];
    uint8_t p0[4];  /* bit l: lane l's p0 component */
    uint8_t killed; /* lanes killed by texkill */
    const ssh_consts *k;
    const soft_sampler *samplers; /* 16 entries (pixel shaders), NULL for vertex shaders */
    bool quad;                    /* lanes are the pixel quad (0,0) (1,0) (0,1) (1,1) */
} ssh_ctx;

/* Fills k from the draw's constants and the shader's defs. */
void ssh_consts_build(const vgt_soft_shader *sh, const vgt_soft_shader_consts *in, ssh_consts *k);
/* Runs the program on the lanes in `lanes` (the others are left as they are). */
void ssh_run(const vgt_soft_shader *sh, ssh_ctx *x, uint32_t lanes);

/* sin / cos from +, -, *, / only (the soft renderer's rule). */
float ssh_sinf(float x);
float ssh_cosf(float x);

/* ---- the draw (soft_shader_pipe.c) ------------------------------------------ */

/* ps_3_0: up to 4 semantics packed in each of v0..v9; fixed function: 2
 * colours, fog and 8 stages */
#define SSH_MAX_LINKS 40u

/* A ps input (or fixed-function pixel input) fed from varying slots: the
 * semantic's components comp[0..ncomp-1] of the consumer, one slot each. */
typedef struct ssh_link {
    uint8_t usage, index; /* the semantic */
    uint8_t reg;          /* ps: the R register it fills */
    uint8_t ncomp;
    uint8_t comp[4]; /* the consumer's components (positions in the semantic) */
    uint8_t sat;     /* vs < 3.0 oD#/oFog: clamped to [0, 1] */
    uint16_t slot;   /* first varying float */
    int16_t src[4];  /* vs: R register * 4 + component feeding comp[c], -1: none (0) */
} ssh_link;

/* Shader state of one draw (lives on vgt_soft_draw's stack). */
typedef struct soft_shader_draw {
    const vgt_soft_shader *vs, *ps;
    ssh_consts vk, pk;
    ssh_link link[SSH_MAX_LINKS];
    uint32_t nlink;
    int32_t fog_slot;           /* ps < 3.0 with fog: the fog varying, else -1 */
    int16_t fog_src, psize_src; /* vs output R register * 4 + component, -1: not written */
    int16_t pos_src[4];         /* the position's components, alike */
    uint32_t ff_tex;            /* fixed-function vertex + ps: stages whose coordinates are read */
    uint32_t nflat;             /* leading varyings held constant by flat shading */
    bool early_depth;           /* no oDepth, texkill or alpha test: test depth before shading */
    uint32_t samplers;          /* ps samplers set up in ctx->samplers */
} soft_shader_draw;

/* Validates the shaders of a draw and prepares sh (consts, samplers, the
 * varying layout: ctx->nvary).  Called by vgt_soft_draw when a shader is bound. */
vgt_status soft_shader_draw_setup(const vgt_soft_draw_state *st, soft_draw_ctx *ctx,
                                  soft_shader_draw *sh, vgt_error *err);
/* Runs the vertex shader on `count` vertices idx[i] into out. */
vgt_status soft_shader_vertices(const vgt_soft_draw_state *st, const soft_draw_ctx *ctx,
                                const uint32_t *idx, size_t count, soft_vtx *out, vgt_error *err);
/* Fills the ps input slots of a fixed-function vertex (no vertex shader):
 * dif/spe/fog as computed by the fixed-function pipeline, tex[n] the
 * TEXCOORD of stage n (4 floats). */
void soft_shader_ff_outputs(const soft_draw_ctx *ctx, const float dif[4], const float spe[4],
                            float fog, const float (*tex)[4], soft_vtx *o);
/* Rasterizes triangle pr's rows [ya, yb] in 2x2 quads through the pixel shader. */
void soft_shader_raster_tri(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t ya, int32_t yb,
                            uint64_t *count);
/* Shades one pixel (lines, points) through the pixel shader (its quad's
 * other lanes are helpers); rec: NULL, or the probe's record of it. */
void soft_shader_pixel(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t px, int32_t py,
                       uint64_t *count, vgt_soft_fragment *rec);

#endif /* SOFT_SHADER_H */
