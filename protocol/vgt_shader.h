/* vgt_shader.h - Direct3D 9 shader bytecode (the SVGA3D shader format):
 * parser/validator, disassembler and assembler.  Part of the protocol
 * library's public interface (included by vgt_protocol.h).  No execution.
 *
 * A shader is a stream of 32-bit tokens: a version token (0xFFFE0000 | ver
 * for vertex shaders, 0xFFFF0000 | ver for pixel shaders), instructions,
 * comments, and the end token 0x0000FFFF.  vgt_shader_parse() checks every
 * bit of every token (a bit is either decoded into vgt_shader or must be
 * zero), so a parsed shader disassembles to text that assembles back to the
 * same instruction tokens (with VGT_SHADER_DIS_KEEP_COMMENTS: to the same
 * words, comment blocks and words after the end token included).
 *
 * Supported models: vs_1_1, vs_2_0, vs_2_x, vs_3_0, ps_1_1 .. ps_1_4,
 * ps_2_0, ps_2_x, ps_3_0 (2_x is version 2.1 in the token).  The soft
 * interpreter and the GLSL translator consume the parsed form; guest bytecode
 * reaches them only through vgt_shader_parse().  See docs/shaders.md.
 */
#ifndef VGT_SHADER_H
#define VGT_SHADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vgt_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvgt.so exports every function this header declares and nothing else:
 * its objects are built with -fvisibility=hidden (cmake/vgt_shared.cmake),
 * so a declaration here is the export (test_shared_symbols checks both ways). */
#pragma GCC visibility push(default)

/* ---- limits --------------------------------------------------------------- */

#define VGT_SHADER_MAX_TOKENS  65536u /* words, version to end token included */
#define VGT_SHADER_MAX_INSNS   16384u /* instructions (comments not counted) */
#define VGT_SHADER_MAX_NESTING 32u    /* if/loop/rep depth (SVGA3D_MAX_NESTING_LEVEL) */
#define VGT_SHADER_MAX_SRC     4u     /* source operands of one instruction */
#define VGT_SHADER_END_TOKEN   0x0000FFFFu

/* ---- enums (values are the token's own numbers) ---------------------------- */

/* The shader kind: the high 16 bits of the version token. */
typedef enum vgt_shader_type {
    VGT_SHADER_VS = 0xFFFE,
    VGT_SHADER_PS = 0xFFFF,
} vgt_shader_type;

/* Versions as major << 8 | minor (the low 16 bits of the version token). */
#define VGT_SHADER_V(major, minor) (((uint32_t)(major) << 8) | (uint32_t)(minor))
#define VGT_SHADER_V11             VGT_SHADER_V(1, 1)
#define VGT_SHADER_V12             VGT_SHADER_V(1, 2)
#define VGT_SHADER_V13             VGT_SHADER_V(1, 3)
#define VGT_SHADER_V14             VGT_SHADER_V(1, 4)
#define VGT_SHADER_V20             VGT_SHADER_V(2, 0)
#define VGT_SHADER_V2X             VGT_SHADER_V(2, 1) /* vs_2_x / ps_2_x */
#define VGT_SHADER_V30             VGT_SHADER_V(3, 0)

typedef enum vgt_shader_opcode {
    VGT_SOP_NOP = 0,
    VGT_SOP_MOV = 1,
    VGT_SOP_ADD = 2,
    VGT_SOP_SUB = 3,
    VGT_SOP_MAD = 4,
    VGT_SOP_MUL = 5,
    VGT_SOP_RCP = 6,
    VGT_SOP_RSQ = 7,
    VGT_SOP_DP3 = 8,
    VGT_SOP_DP4 = 9,
    VGT_SOP_MIN = 10,
    VGT_SOP_MAX = 11,
    VGT_SOP_SLT = 12,
    VGT_SOP_SGE = 13,
    VGT_SOP_EXP = 14,
    VGT_SOP_LOG = 15,
    VGT_SOP_LIT = 16,
    VGT_SOP_DST = 17,
    VGT_SOP_LRP = 18,
    VGT_SOP_FRC = 19,
    VGT_SOP_M4X4 = 20,
    VGT_SOP_M4X3 = 21,
    VGT_SOP_M3X4 = 22,
    VGT_SOP_M3X3 = 23,
    VGT_SOP_M3X2 = 24,
    VGT_SOP_CALL = 25,
    VGT_SOP_CALLNZ = 26,
    VGT_SOP_LOOP = 27,
    VGT_SOP_RET = 28,
    VGT_SOP_ENDLOOP = 29,
    VGT_SOP_LABEL = 30,
    VGT_SOP_DCL = 31,
    VGT_SOP_POW = 32,
    VGT_SOP_CRS = 33,
    VGT_SOP_SGN = 34,
    VGT_SOP_ABS = 35,
    VGT_SOP_NRM = 36,
    VGT_SOP_SINCOS = 37,
    VGT_SOP_REP = 38,
    VGT_SOP_ENDREP = 39,
    VGT_SOP_IF = 40,
    VGT_SOP_IFC = 41,
    VGT_SOP_ELSE = 42,
    VGT_SOP_ENDIF = 43,
    VGT_SOP_BREAK = 44,
    VGT_SOP_BREAKC = 45,
    VGT_SOP_MOVA = 46,
    VGT_SOP_DEFB = 47,
    VGT_SOP_DEFI = 48,
    VGT_SOP_TEXCOORD = 64, /* texcoord (ps_1_1..1_3), texcrd (ps_1_4) */
    VGT_SOP_TEXKILL = 65,
    VGT_SOP_TEX = 66, /* tex (ps_1_1..1_3), texld (ps_1_4+); texldp/texldb by control */
    VGT_SOP_TEXBEM = 67,
    VGT_SOP_TEXBEML = 68,
    VGT_SOP_TEXREG2AR = 69,
    VGT_SOP_TEXREG2GB = 70,
    VGT_SOP_TEXM3X2PAD = 71,
    VGT_SOP_TEXM3X2TEX = 72,
    VGT_SOP_TEXM3X3PAD = 73,
    VGT_SOP_TEXM3X3TEX = 74,
    /* 75 is reserved (texm3x3diff): always rejected */
    VGT_SOP_TEXM3X3SPEC = 76,
    VGT_SOP_TEXM3X3VSPEC = 77,
    VGT_SOP_EXPP = 78,
    VGT_SOP_LOGP = 79,
    VGT_SOP_CND = 80,
    VGT_SOP_DEF = 81,
    VGT_SOP_TEXREG2RGB = 82,
    VGT_SOP_TEXDP3TEX = 83,
    VGT_SOP_TEXM3X2DEPTH = 84,
    VGT_SOP_TEXDP3 = 85,
    VGT_SOP_TEXM3X3 = 86,
    VGT_SOP_TEXDEPTH = 87,
    VGT_SOP_CMP = 88,
    VGT_SOP_BEM = 89,
    VGT_SOP_DP2ADD = 90,
    VGT_SOP_DSX = 91,
    VGT_SOP_DSY = 92,
    VGT_SOP_TEXLDD = 93,
    VGT_SOP_SETP = 94,
    VGT_SOP_TEXLDL = 95,
    VGT_SOP_BREAKP = 96,
    VGT_SOP_PHASE = 0xFFFD,
    VGT_SOP_COMMENT = 0xFFFE, /* never in vgt_shader.insns */
    VGT_SOP_END = 0xFFFF,     /* never in vgt_shader.insns */
} vgt_shader_opcode;

/* Register files (5 bits: token bits 28-30 low, bits 11-12 high). */
typedef enum vgt_shader_regtype {
    VGT_SREG_TEMP = 0,      /* r# */
    VGT_SREG_INPUT = 1,     /* v# */
    VGT_SREG_CONST = 2,     /* c# */
    VGT_SREG_ADDR = 3,      /* a0 (vertex shaders) */
    VGT_SREG_TEXTURE = 3,   /* t# (pixel shaders) */
    VGT_SREG_RASTOUT = 4,   /* oPos (0), oFog (1), oPts (2) */
    VGT_SREG_ATTROUT = 5,   /* oD# */
    VGT_SREG_TEXCRDOUT = 6, /* oT# (vs < 3.0) */
    VGT_SREG_OUTPUT = 6,    /* o# (vs_3_0) */
    VGT_SREG_CONSTINT = 7,  /* i# */
    VGT_SREG_COLOROUT = 8,  /* oC# */
    VGT_SREG_DEPTHOUT = 9,  /* oDepth */
    VGT_SREG_SAMPLER = 10,  /* s# */
    VGT_SREG_CONST2 = 11,   /* c2048.. (never valid here) */
    VGT_SREG_CONST3 = 12,
    VGT_SREG_CONST4 = 13,
    VGT_SREG_CONSTBOOL = 14, /* b# */
    VGT_SREG_LOOP = 15,      /* aL */
    VGT_SREG_TEMPFLOAT16 = 16,
    VGT_SREG_MISCTYPE = 17,  /* vPos (0), vFace (1) */
    VGT_SREG_LABEL = 18,     /* l# */
    VGT_SREG_PREDICATE = 19, /* p0 */
    VGT_SREG_COUNT = 20,
} vgt_shader_regtype;

/* Source modifiers (token bits 24-27). */
typedef enum vgt_shader_srcmod {
    VGT_SMOD_NONE = 0,
    VGT_SMOD_NEG = 1,     /* -r */
    VGT_SMOD_BIAS = 2,    /* r_bias: r - 0.5 */
    VGT_SMOD_BIASNEG = 3, /* -r_bias */
    VGT_SMOD_SIGN = 4,    /* r_bx2: 2r - 1 */
    VGT_SMOD_SIGNNEG = 5, /* -r_bx2 */
    VGT_SMOD_COMP = 6,    /* 1-r */
    VGT_SMOD_X2 = 7,      /* r_x2 */
    VGT_SMOD_X2NEG = 8,   /* -r_x2 */
    VGT_SMOD_DZ = 9,      /* r_dz: divide by z */
    VGT_SMOD_DW = 10,     /* r_dw: divide by w */
    VGT_SMOD_ABS = 11,    /* r_abs */
    VGT_SMOD_ABSNEG = 12, /* -r_abs */
    VGT_SMOD_NOT = 13,    /* !p0 */
} vgt_shader_srcmod;

/* Destination (result) modifier bits (token bits 20-23). */
#define VGT_SHADER_DSTMOD_SATURATE 1u
#define VGT_SHADER_DSTMOD_PP       2u /* partial precision */
#define VGT_SHADER_DSTMOD_CENTROID 4u

/* Comparison in the control field of ifc (if_xx), breakc (break_xx), setp. */
typedef enum vgt_shader_cmp {
    VGT_SCMP_GT = 1,
    VGT_SCMP_EQ = 2,
    VGT_SCMP_GE = 3,
    VGT_SCMP_LT = 4,
    VGT_SCMP_NE = 5,
    VGT_SCMP_LE = 6,
} vgt_shader_cmp;

/* Control field of texld (ps_2_0+). */
#define VGT_SHADER_TEX_PROJECT 1u /* texldp */
#define VGT_SHADER_TEX_BIAS    2u /* texldb */

/* dcl usages (vertex inputs, vs_3_0 outputs, ps_3_0 inputs). */
typedef enum vgt_shader_usage {
    VGT_SUSAGE_POSITION = 0,
    VGT_SUSAGE_BLENDWEIGHT = 1,
    VGT_SUSAGE_BLENDINDICES = 2,
    VGT_SUSAGE_NORMAL = 3,
    VGT_SUSAGE_PSIZE = 4,
    VGT_SUSAGE_TEXCOORD = 5,
    VGT_SUSAGE_TANGENT = 6,
    VGT_SUSAGE_BINORMAL = 7,
    VGT_SUSAGE_TESSFACTOR = 8,
    VGT_SUSAGE_POSITIONT = 9,
    VGT_SUSAGE_COLOR = 10,
    VGT_SUSAGE_FOG = 11,
    VGT_SUSAGE_DEPTH = 12,
    VGT_SUSAGE_SAMPLE = 13,
    VGT_SUSAGE_COUNT = 14,
} vgt_shader_usage;

/* Sampler types declared by dcl_2d / dcl_cube / dcl_volume. */
typedef enum vgt_shader_sampler_type {
    VGT_SSAMPLER_UNKNOWN = 0,
    VGT_SSAMPLER_2D = 2,
    VGT_SSAMPLER_CUBE = 3,
    VGT_SSAMPLER_VOLUME = 4,
} vgt_shader_sampler_type;

/* Swizzles: 2 bits per output component, x in bits 0-1.  Identity is 0xE4. */
#define VGT_SHADER_SWIZZLE_IDENTITY 0xE4u
/* The source component read for output component i (0..3) of swizzle s. */
static inline unsigned vgt_shader_swizzle_get(uint8_t s, unsigned i)
{
    return (s >> (2u * i)) & 3u;
}

/* ---- the parsed representation -------------------------------------------- */

/* The register that indexes a relatively addressed operand. */
typedef struct vgt_shader_rel {
    uint8_t type;    /* VGT_SREG_ADDR (a0) or VGT_SREG_LOOP (aL) */
    uint8_t swizzle; /* a0: a replicate swizzle; the component is swizzle & 3 */
    uint32_t token;  /* the raw address token; 0 for the implicit a0.x of vs_1_1 */
} vgt_shader_rel;

/* A source operand: modifier(reg[index + rel].swizzle). */
typedef struct vgt_shader_src {
    uint8_t type;    /* vgt_shader_regtype */
    uint8_t swizzle; /* VGT_SHADER_SWIZZLE_IDENTITY when none */
    uint8_t mod;     /* vgt_shader_srcmod */
    bool relative;   /* rel is valid */
    uint16_t index;  /* register number (0..2047) */
    vgt_shader_rel rel;
    uint32_t token; /* the raw parameter token */
} vgt_shader_src;

/* A destination operand: reg[index + rel].write_mask with result modifiers. */
typedef struct vgt_shader_dst {
    uint8_t type;       /* vgt_shader_regtype */
    uint8_t write_mask; /* bit 0 x .. bit 3 w; never 0 */
    uint8_t mod;        /* VGT_SHADER_DSTMOD_* bits */
    int8_t shift;       /* ps_1_x result scale: 1 x2, 2 x4, 3 x8, -1 d2, -2 d4, -3 d8 */
    bool relative;      /* rel is valid (vs_3_0 o#[aL]) */
    uint16_t index;
    vgt_shader_rel rel;
    uint32_t token;
} vgt_shader_dst;

/* What an instruction is allowed to be in one shader model. */
typedef struct vgt_shader_opinfo {
    uint16_t opcode;   /* vgt_shader_opcode */
    const char *name;  /* mnemonic in this model ("tex", "texld", "texcrd", "if") */
    uint8_t dst_count; /* 0 or 1 (dcl, def*: 1, the declared/defined register) */
    uint8_t src_count; /* sources, predicate not counted (def*: 0) */
    uint16_t flags;    /* VGT_SHADER_OPF_* */
} vgt_shader_opinfo;

#define VGT_SHADER_OPF_FLOW 1u /* flow control (if/else/loop/rep/call/label/ret/break*) */
#define VGT_SHADER_OPF_TEX  2u /* samples a texture */
#define VGT_SHADER_OPF_DECL 4u /* dcl, def, defi, defb: declares, runs nothing */

/* One decoded instruction. */
typedef struct vgt_shader_insn {
    uint16_t opcode;    /* vgt_shader_opcode */
    uint8_t control;    /* vgt_shader_cmp (ifc, breakc, setp) or VGT_SHADER_TEX_* (texld) */
    uint8_t dst_count;  /* 0 or 1 */
    uint8_t src_count;  /* 0..4 */
    bool predicated;    /* pred is valid: run only where the predicate is true */
    bool coissue;       /* ps_1_x '+' (issued with the previous instruction) */
    vgt_shader_dst dst; /* also the register a dcl declares and a def* defines */
    vgt_shader_src pred;
    vgt_shader_src src[VGT_SHADER_MAX_SRC];
    /* dcl */
    uint8_t usage;        /* vgt_shader_usage (inputs/outputs) */
    uint8_t usage_index;  /* 0..15 */
    uint8_t sampler_type; /* vgt_shader_sampler_type (samplers) */
    uint32_t dcl_token;   /* the raw declaration token */
    /* def (4 floats), defi (4 ints), defb (u[0]) */
    union {
        uint32_t u[4];
        int32_t i[4];
        float f[4];
    } imm;
    /* Flow control: if/ifc -> its else or endif; else -> endif; endif -> its
     * if; loop/rep -> its endloop/endrep and back; call/callnz -> the label
     * instruction.  UINT32_MAX otherwise. */
    uint32_t match;
    uint32_t token_offset;         /* index of the instruction token in the words */
    uint32_t token_count;          /* tokens, instruction token included */
    const vgt_shader_opinfo *info; /* static, owned by the library */
} vgt_shader_insn;

/* What a shader touches (computed while parsing; for backends that size
 * register files, build GLSL declarations or link vs outputs to ps inputs). */
typedef struct vgt_shader_summary {
    uint32_t temps;             /* bit n: r<n> used */
    uint32_t inputs;            /* bit n: v<n> read or declared */
    uint32_t textures;          /* bit n: t<n> used (ps < 3.0) */
    uint32_t outputs;           /* bit n: oT<n> (vs < 3.0) or o<n> (vs_3_0) written or declared */
    uint32_t color_outputs;     /* bit n: oD<n> (vs) or oC<n> (ps) written */
    uint32_t rastout;           /* bit 0 oPos, 1 oFog, 2 oPts written */
    bool depth_output;          /* oDepth written */
    uint32_t samplers;          /* bit n: s<n> declared or sampled (ps_1_x: t<n> sampled) */
    uint8_t sampler_type[16];   /* vgt_shader_sampler_type declared for s<n> */
    uint32_t float_consts;      /* one past the highest c<n> read or defined */
    bool float_consts_relative; /* some c is read relatively (size by the model's limit) */
    uint16_t int_consts;        /* bit n: i<n> used or defined */
    uint16_t bool_consts;       /* bit n: b<n> used or defined */
    bool uses_address;          /* a0 */
    bool uses_loop_counter;     /* aL */
    bool uses_predicate;        /* p0 */
    bool uses_vpos, uses_vface;
    bool has_flow;        /* any flow-control instruction */
    uint32_t max_nesting; /* deepest if/loop/rep nesting */
    uint32_t labels;      /* number of label instructions */
    uint32_t defs;        /* def/defi/defb count */
} vgt_shader_summary;

/* One declaration of a vs_3_0 output or ps_3_0 input register: the
 * components (write mask) that carry semantic (usage, usage_index). */
typedef struct vgt_shader_semantic {
    uint8_t mask;        /* bit 0 x .. bit 3 w; never 0 */
    uint8_t usage;       /* vgt_shader_usage */
    uint8_t usage_index; /* 0..15 */
} vgt_shader_semantic;

/* The declarations of one register, in stream order.  Direct3D 9 lets a
 * vs_3_0 output or ps_3_0 input register be declared several times with
 * disjoint write masks ("semantic packing"), so up to 4. */
typedef struct vgt_shader_io_reg {
    uint8_t count; /* 0: not declared */
    vgt_shader_semantic sem[4];
} vgt_shader_io_reg;

/* The semantics of a vs_3_0's outputs o0..o11 or a ps_3_0's inputs
 * v0..v9 (the other models leave it empty: their registers are named). */
typedef struct vgt_shader_io {
    vgt_shader_io_reg reg[16];
} vgt_shader_io;

/* A comment block (token `size << 16 | 0xFFFE`, then `size` words: the
 * compiler's CTAB constant table, or any other comment) where it sat in the
 * stream, so that VGT_SHADER_DIS_KEEP_COMMENTS can write it back. */
typedef struct vgt_shader_comment {
    uint32_t token_offset; /* index of its comment token in the words */
    uint32_t before_insn;  /* the instruction it precedes; insn_count: the end token */
    uint32_t size;         /* words after the comment token (0..32767) */
    const uint32_t *words; /* those words: a copy owned by the shader */
} vgt_shader_comment;

/* A parsed shader.  Owned by the caller of vgt_shader_parse(); free with
 * vgt_shader_free().  Holds no pointer into the words it was parsed from
 * (comment blocks and trailing words are copied). */
typedef struct vgt_shader {
    vgt_shader_type type;
    uint32_t version;       /* VGT_SHADER_V(major, minor) */
    uint32_t version_token; /* words[0] */
    vgt_shader_insn *insns; /* in stream order; comments and the end token are not here */
    uint32_t insn_count;
    uint32_t token_count;               /* words up to and including the end token */
    uint32_t trailing_words;            /* words after the end token (ignored) */
    uint32_t comment_count;             /* comment blocks (e.g. the compiler's CTAB) */
    uint32_t comment_words;             /* their words, comment tokens included */
    const vgt_shader_comment *comments; /* comment_count blocks in stream order (NULL if none) */
    const uint32_t *trailing;           /* the trailing_words words (NULL if none), a copy */
    vgt_shader_summary summary;
    vgt_shader_io io; /* vs_3_0 outputs / ps_3_0 inputs by semantic */
} vgt_shader;

/* Why a stream was rejected (for tests and tools; err has the sentence). */
typedef enum vgt_shader_fault {
    VGT_SHADER_FAULT_NONE = 0,
    VGT_SHADER_FAULT_TRUNCATED,    /* the words end inside the version or an instruction */
    VGT_SHADER_FAULT_NO_END,       /* no end token before the words end */
    VGT_SHADER_FAULT_VERSION,      /* bad or unsupported version token */
    VGT_SHADER_FAULT_TOO_BIG,      /* over VGT_SHADER_MAX_TOKENS / _MAX_INSNS */
    VGT_SHADER_FAULT_OPCODE,       /* unknown opcode, or a parameter token where an
                                    * instruction token was expected */
    VGT_SHADER_FAULT_NOT_IN_MODEL, /* a known instruction the shader model lacks */
    VGT_SHADER_FAULT_LENGTH,       /* the length field disagrees with the operands */
    VGT_SHADER_FAULT_RESERVED,     /* reserved bits set, or not a parameter token */
    VGT_SHADER_FAULT_REGISTER,     /* register file not allowed for this operand */
    VGT_SHADER_FAULT_RANGE,        /* register number out of range for the model */
    VGT_SHADER_FAULT_MODIFIER,     /* modifier, shift, mask or control not allowed */
    VGT_SHADER_FAULT_RELATIVE,     /* bad relative addressing */
    VGT_SHADER_FAULT_FLOW,         /* unbalanced/misplaced flow control, bad label */
    VGT_SHADER_FAULT_DECL,         /* bad dcl/def */
    VGT_SHADER_FAULT_SYNTAX,       /* assembler: the text does not parse */
} vgt_shader_fault;

/* Where and why (vgt_shader_parse and vgt_shader_assemble fill it on error). */
typedef struct vgt_shader_diag {
    vgt_shader_fault fault;
    uint32_t token;  /* index of the offending token in the word stream */
    uint32_t line;   /* assembler: 1-based line of the error (0 from the parser) */
    uint32_t column; /* assembler: 1-based column */
} vgt_shader_diag;

/* ---- parse / validate ------------------------------------------------------ */

/* Parses and validates `nwords` tokens (host-order words, version token
 * first) into a new vgt_shader (*out, the caller frees it with
 * vgt_shader_free).  Reads only words[0 .. nwords-1].  On error returns
 * VGT_E_TRUNCATED (the words end early), VGT_E_RANGE (register number or
 * size limits) or VGT_E_INVALID, *out = NULL, diag (if not NULL) says the
 * fault and token index, err names the token index, its value and the reason. */
vgt_status vgt_shader_parse(const uint32_t *words, size_t nwords, vgt_shader **out,
                            vgt_shader_diag *diag, vgt_error *err);
/* Frees a shader made by vgt_shader_parse (NULL is fine). */
void vgt_shader_free(vgt_shader *sh);
/* Validates without keeping the parsed form (same rules as vgt_shader_parse). */
vgt_status vgt_shader_validate(const uint32_t *words, size_t nwords, vgt_shader_diag *diag,
                               vgt_error *err);

/* ---- linking by semantic (vs_3_0 outputs to their consumers) --------------- */

/* The semantic of component comp (0..3) of the register `reg` of io (a
 * ps_3_0's inputs): false when no declaration covers it.  A register
 * declared once gives its semantic to all four components (a lone partial
 * mask reads the whole vector, as before packing); a packed register gives
 * each component the semantic of the declaration whose mask holds it. */
bool vgt_shader_io_semantic(const vgt_shader_io *io, uint32_t reg, uint32_t comp, uint32_t *usage,
                            uint32_t *index);
/* The vs_3_0 output component (register * 4 + component) that feeds
 * component comp (0..3) of semantic (usage, index), or -1 when none does
 * (the consumer reads 0).  Direct3D 9 keeps component positions: a
 * semantic declared as o3.zw is read as .zw (its dcl_semantics page: the
 * pixel shader's mask is "any subset of mask from vshader semantic"), so
 * only the components of the declared mask carry it; the register number
 * may differ between the stages. */
int32_t vgt_shader_io_link(const vgt_shader_io *vs_out, uint32_t usage, uint32_t index,
                           uint32_t comp);
/* A scalar semantic (FOG or PSIZE read by fixed function or the
 * rasterizer): the first component of its declared mask (register * 4 +
 * component), or -1 when not declared. */
int32_t vgt_shader_io_scalar(const vgt_shader_io *vs_out, uint32_t usage, uint32_t index);

/* ---- tables ------------------------------------------------------------------ */

/* The instruction as the model (type, version) knows it, or NULL when the
 * model has no such instruction.  Rows are static. */
const vgt_shader_opinfo *vgt_shader_opcode_info(vgt_shader_type type, uint32_t version,
                                                uint32_t opcode);
/* A generic mnemonic for an opcode ("mad", "texld"), or NULL when unknown. */
const char *vgt_shader_opcode_name(uint32_t opcode);
/* The usage name as in dcl_<name> ("texcoord"), or NULL when unknown. */
const char *vgt_shader_usage_name(uint32_t usage);
/* "vs_2_0", "ps_2_x" ...; NULL for a version this library does not support. */
const char *vgt_shader_version_name(vgt_shader_type type, uint32_t version);
/* The register's name without its number, as the disassembler writes it:
 * "r", "c", "a" (vs) / "t" (ps), "oPos", "oT" (vs < 3.0) / "o" (vs_3_0),
 * "vPos" ...; for files whose name depends on the number (rastout, misc) pass
 * the number.  NULL for a file the model does not have. */
const char *vgt_shader_reg_name(vgt_shader_type type, uint32_t version, uint32_t regtype,
                                uint32_t index);
/* True when the register's name carries no number (oPos, oFog, oPts, oDepth,
 * vPos, vFace, aL). */
bool vgt_shader_reg_unnumbered(uint32_t regtype);

/* How an operand uses a register (for vgt_shader_reg_count). */
typedef enum vgt_shader_role {
    VGT_SROLE_SRC = 0, /* read by an instruction */
    VGT_SROLE_DST,     /* written by an instruction */
    VGT_SROLE_DCL,     /* declared by dcl */
    VGT_SROLE_DEF,     /* defined by def/defi/defb */
} vgt_shader_role;
/* How many registers of file `regtype` the model offers in that role (0: the
 * file is not allowed there).  E.g. temps in ps_2_0: 12; c in vs_3_0: 256. */
uint32_t vgt_shader_reg_count(vgt_shader_type type, uint32_t version, uint32_t regtype,
                              vgt_shader_role role);

/* ---- disassembler --------------------------------------------------------------- */

/* End each instruction's line with "// @token_offset"; with
 * VGT_SHADER_DIS_KEEP_COMMENTS, a comment block's first line names its
 * comment token's index the same way (docs/shaders.md). */
#define VGT_SHADER_DIS_OFFSETS 1u
/* "// N comment blocks (M words) not shown" after the version. */
#define VGT_SHADER_DIS_COMMENTS 2u
/* Write the comment blocks (`comment 0x...` lines, where they sat) and the
 * words after the end token (`trailing 0x...`), so that the listing
 * assembles back into the very words parsed (docs/shaders.md).  Supersedes
 * VGT_SHADER_DIS_COMMENTS (nothing is left unshown to count). */
#define VGT_SHADER_DIS_KEEP_COMMENTS 4u

/* Formats one instruction ("mad r0.xy, v0, c1, -r1_abs.wzyx") into buf
 * (NUL-terminated, no newline); returns the length it needed, like snprintf. */
size_t vgt_shader_format_insn(const vgt_shader *sh, const vgt_shader_insn *insn, char *buf,
                              size_t size);
/* Disassembles the whole shader: the version line, then one instruction per
 * line (and, with VGT_SHADER_DIS_KEEP_COMMENTS, the comment blocks and
 * trailing words), each ending in '\n'.  *text is malloc'd (the caller frees it); *len
 * (if not NULL) gets its length.  VGT_E_NOMEM on allocation failure. */
vgt_status vgt_shader_disassemble(const vgt_shader *sh, unsigned flags, char **text, size_t *len,
                                  vgt_error *err);
/* Disassembles to out (the caller owns it); VGT_E_IO when writing fails. */
vgt_status vgt_shader_print(FILE *out, const vgt_shader *sh, unsigned flags, vgt_error *err);

/* ---- assembler ----------------------------------------------------------------- */

/* Assembles `len` bytes of text (the syntax of the disassembler, see
 * docs/shaders.md) into a new token array (*words, malloc'd, the caller frees
 * it; *nwords its length: through the end token, then the words of a
 * `trailing` statement if any).  `comment` statements become comment blocks
 * where they stand.  The result is validated with
 * vgt_shader_parse.  On error: VGT_E_INVALID (or the parser's code), *words =
 * NULL, err says "line:column: reason", diag has fault, line and column. */
vgt_status vgt_shader_assemble(const char *text, size_t len, uint32_t **words, size_t *nwords,
                               vgt_shader_diag *diag, vgt_error *err);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* VGT_SHADER_H */
