/* shader_tables.c - what each Direct3D 9 shader model allows: instructions
 * (operand counts by model), register files and their sizes, names. */
#include "vgt_shader.h"

#include <string.h>

#define V11 VGT_SHADER_V11
#define V12 VGT_SHADER_V12
#define V13 VGT_SHADER_V13
#define V14 VGT_SHADER_V14
#define V20 VGT_SHADER_V20
#define V2X VGT_SHADER_V2X
#define V30 VGT_SHADER_V30

#define FLOW VGT_SHADER_OPF_FLOW
#define TEX  VGT_SHADER_OPF_TEX
#define DECL VGT_SHADER_OPF_DECL

/* One instruction in a range of vertex and pixel shader versions (a zero
 * minimum: not in that kind of shader).  An opcode whose operands change with
 * the model has one row per range. */
typedef struct op_row {
    vgt_shader_opinfo info;
    uint16_t vs_min, vs_max, ps_min, ps_max;
} op_row;

/* ROW(op, name, dst, src, flags, vs_min, vs_max, ps_min, ps_max) */
#define ROW(op, name, dst, src, flags, ...)                                                        \
    {                                                                                              \
        {VGT_SOP_##op, name, dst, src, flags}, __VA_ARGS__                                         \
    }
#define ALL V11, V30

static const op_row op_rows[] = {
    ROW(NOP, "nop", 0, 0, 0, ALL, ALL),
    ROW(MOV, "mov", 1, 1, 0, ALL, ALL),
    ROW(ADD, "add", 1, 2, 0, ALL, ALL),
    ROW(SUB, "sub", 1, 2, 0, ALL, ALL),
    ROW(MAD, "mad", 1, 3, 0, ALL, ALL),
    ROW(MUL, "mul", 1, 2, 0, ALL, ALL),
    ROW(RCP, "rcp", 1, 1, 0, ALL, V20, V30),
    ROW(RSQ, "rsq", 1, 1, 0, ALL, V20, V30),
    ROW(DP3, "dp3", 1, 2, 0, ALL, ALL),
    ROW(DP4, "dp4", 1, 2, 0, ALL, V12, V30),
    ROW(MIN, "min", 1, 2, 0, ALL, V20, V30),
    ROW(MAX, "max", 1, 2, 0, ALL, V20, V30),
    ROW(SLT, "slt", 1, 2, 0, ALL, 0, 0),
    ROW(SGE, "sge", 1, 2, 0, ALL, 0, 0),
    ROW(EXP, "exp", 1, 1, 0, ALL, V20, V30),
    ROW(LOG, "log", 1, 1, 0, ALL, V20, V30),
    ROW(LIT, "lit", 1, 1, 0, ALL, 0, 0),
    ROW(DST, "dst", 1, 2, 0, ALL, 0, 0),
    ROW(LRP, "lrp", 1, 3, 0, V20, V30, ALL),
    ROW(FRC, "frc", 1, 1, 0, ALL, V20, V30),
    ROW(M4X4, "m4x4", 1, 2, 0, ALL, V20, V30),
    ROW(M4X3, "m4x3", 1, 2, 0, ALL, V20, V30),
    ROW(M3X4, "m3x4", 1, 2, 0, ALL, V20, V30),
    ROW(M3X3, "m3x3", 1, 2, 0, ALL, V20, V30),
    ROW(M3X2, "m3x2", 1, 2, 0, ALL, V20, V30),
    ROW(CALL, "call", 0, 1, FLOW, V20, V30, V2X, V30),
    ROW(CALLNZ, "callnz", 0, 2, FLOW, V20, V30, V2X, V30),
    ROW(LOOP, "loop", 0, 2, FLOW, V20, V30, V30, V30),
    ROW(RET, "ret", 0, 0, FLOW, V20, V30, V2X, V30),
    ROW(ENDLOOP, "endloop", 0, 0, FLOW, V20, V30, V30, V30),
    ROW(LABEL, "label", 0, 1, FLOW, V20, V30, V2X, V30),
    ROW(DCL, "dcl", 1, 0, DECL, ALL, V20, V30),
    ROW(POW, "pow", 1, 2, 0, V20, V30, V20, V30),
    ROW(CRS, "crs", 1, 2, 0, V20, V30, V20, V30),
    ROW(SGN, "sgn", 1, 3, 0, V20, V2X, 0, 0),
    ROW(SGN, "sgn", 1, 1, 0, V30, V30, 0, 0),
    ROW(ABS, "abs", 1, 1, 0, V20, V30, V20, V30),
    ROW(NRM, "nrm", 1, 1, 0, V20, V30, V20, V30),
    ROW(SINCOS, "sincos", 1, 3, 0, V20, V2X, V20, V2X),
    ROW(SINCOS, "sincos", 1, 1, 0, V30, V30, V30, V30),
    ROW(REP, "rep", 0, 1, FLOW, V20, V30, V2X, V30),
    ROW(ENDREP, "endrep", 0, 0, FLOW, V20, V30, V2X, V30),
    ROW(IF, "if", 0, 1, FLOW, V20, V30, V2X, V30),
    ROW(IFC, "if", 0, 2, FLOW, V2X, V30, V2X, V30),
    ROW(ELSE, "else", 0, 0, FLOW, V20, V30, V2X, V30),
    ROW(ENDIF, "endif", 0, 0, FLOW, V20, V30, V2X, V30),
    ROW(BREAK, "break", 0, 0, FLOW, V2X, V30, V2X, V30),
    ROW(BREAKC, "break", 0, 2, FLOW, V2X, V30, V2X, V30),
    ROW(MOVA, "mova", 1, 1, 0, V20, V30, 0, 0),
    ROW(DEFB, "defb", 1, 0, DECL, V20, V30, V2X, V30),
    ROW(DEFI, "defi", 1, 0, DECL, V20, V30, V2X, V30),
    ROW(TEXCOORD, "texcoord", 1, 0, 0, 0, 0, V11, V13),
    ROW(TEXCOORD, "texcrd", 1, 1, 0, 0, 0, V14, V14),
    ROW(TEXKILL, "texkill", 1, 0, 0, 0, 0, ALL),
    ROW(TEX, "tex", 1, 0, TEX, 0, 0, V11, V13),
    ROW(TEX, "texld", 1, 1, TEX, 0, 0, V14, V14),
    ROW(TEX, "texld", 1, 2, TEX, 0, 0, V20, V30),
    ROW(TEXBEM, "texbem", 1, 1, TEX, 0, 0, V11, V13),
    ROW(TEXBEML, "texbeml", 1, 1, TEX, 0, 0, V11, V13),
    ROW(TEXREG2AR, "texreg2ar", 1, 1, TEX, 0, 0, V11, V13),
    ROW(TEXREG2GB, "texreg2gb", 1, 1, TEX, 0, 0, V11, V13),
    ROW(TEXM3X2PAD, "texm3x2pad", 1, 1, 0, 0, 0, V11, V13),
    ROW(TEXM3X2TEX, "texm3x2tex", 1, 1, TEX, 0, 0, V11, V13),
    ROW(TEXM3X3PAD, "texm3x3pad", 1, 1, 0, 0, 0, V11, V13),
    ROW(TEXM3X3TEX, "texm3x3tex", 1, 1, TEX, 0, 0, V11, V13),
    ROW(TEXM3X3SPEC, "texm3x3spec", 1, 2, TEX, 0, 0, V11, V13),
    ROW(TEXM3X3VSPEC, "texm3x3vspec", 1, 1, TEX, 0, 0, V11, V13),
    ROW(EXPP, "expp", 1, 1, 0, ALL, 0, 0),
    ROW(LOGP, "logp", 1, 1, 0, ALL, 0, 0),
    ROW(CND, "cnd", 1, 3, 0, 0, 0, V11, V14),
    ROW(DEF, "def", 1, 0, DECL, ALL, ALL),
    ROW(TEXREG2RGB, "texreg2rgb", 1, 1, TEX, 0, 0, V12, V13),
    ROW(TEXDP3TEX, "texdp3tex", 1, 1, TEX, 0, 0, V12, V13),
    ROW(TEXM3X2DEPTH, "texm3x2depth", 1, 1, 0, 0, 0, V13, V13),
    ROW(TEXDP3, "texdp3", 1, 1, 0, 0, 0, V12, V13),
    ROW(TEXM3X3, "texm3x3", 1, 1, 0, 0, 0, V12, V13),
    ROW(TEXDEPTH, "texdepth", 1, 0, 0, 0, 0, V14, V14),
    ROW(CMP, "cmp", 1, 3, 0, 0, 0, V12, V30),
    ROW(BEM, "bem", 1, 2, 0, 0, 0, V14, V14),
    ROW(DP2ADD, "dp2add", 1, 3, 0, 0, 0, V20, V30),
    ROW(DSX, "dsx", 1, 1, 0, 0, 0, V2X, V30),
    ROW(DSY, "dsy", 1, 1, 0, 0, 0, V2X, V30),
    ROW(TEXLDD, "texldd", 1, 4, TEX, 0, 0, V2X, V30),
    ROW(SETP, "setp", 1, 2, 0, V2X, V30, V2X, V30),
    ROW(TEXLDL, "texldl", 1, 2, TEX, V30, V30, V30, V30),
    ROW(BREAKP, "breakp", 0, 1, FLOW, V2X, V30, V2X, V30),
    ROW(PHASE, "phase", 0, 0, 0, 0, 0, V14, V14),
};

const vgt_shader_opinfo *vgt_shader_opcode_info(vgt_shader_type type, uint32_t version,
                                                uint32_t opcode)
{
    for (size_t i = 0; i < sizeof(op_rows) / sizeof(op_rows[0]); i++) {
        const op_row *r = &op_rows[i];
        if (r->info.opcode != opcode) {
            continue;
        }
        uint32_t lo = type == VGT_SHADER_VS ? r->vs_min : r->ps_min;
        uint32_t hi = type == VGT_SHADER_VS ? r->vs_max : r->ps_max;
        if (lo != 0 && version >= lo && version <= hi) {
            return &r->info;
        }
    }
    return NULL;
}

const char *vgt_shader_opcode_name(uint32_t opcode)
{
    switch (opcode) {
    case VGT_SOP_TEX:
        return "texld";
    case VGT_SOP_IFC:
        return "ifc";
    case VGT_SOP_BREAKC:
        return "breakc";
    case VGT_SOP_COMMENT:
        return "comment";
    case VGT_SOP_END:
        return "end";
    default:
        break;
    }
    for (size_t i = 0; i < sizeof(op_rows) / sizeof(op_rows[0]); i++) {
        if (op_rows[i].info.opcode == opcode) {
            return op_rows[i].info.name;
        }
    }
    return NULL;
}

static const char *const usage_names[VGT_SUSAGE_COUNT] = {
    "position", "blendweight", "blendindices", "normal", "psize", "texcoord", "tangent",
    "binormal", "tessfactor",  "positiont",    "color",  "fog",   "depth",    "sample",
};

const char *vgt_shader_usage_name(uint32_t usage)
{
    return usage < VGT_SUSAGE_COUNT ? usage_names[usage] : NULL;
}

const char *vgt_shader_version_name(vgt_shader_type type, uint32_t version)
{
    if (type == VGT_SHADER_VS) {
        switch (version) {
        case V11:
            return "vs_1_1";
        case V20:
            return "vs_2_0";
        case V2X:
            return "vs_2_x";
        case V30:
            return "vs_3_0";
        default:
            return NULL;
        }
    }
    if (type == VGT_SHADER_PS) {
        switch (version) {
        case V11:
            return "ps_1_1";
        case V12:
            return "ps_1_2";
        case V13:
            return "ps_1_3";
        case V14:
            return "ps_1_4";
        case V20:
            return "ps_2_0";
        case V2X:
            return "ps_2_x";
        case V30:
            return "ps_3_0";
        default:
            return NULL;
        }
    }
    return NULL;
}

bool vgt_shader_reg_unnumbered(uint32_t regtype)
{
    return regtype == VGT_SREG_RASTOUT || regtype == VGT_SREG_DEPTHOUT ||
           regtype == VGT_SREG_MISCTYPE || regtype == VGT_SREG_LOOP;
}

const char *vgt_shader_reg_name(vgt_shader_type type, uint32_t version, uint32_t regtype,
                                uint32_t index)
{
    bool vs = type == VGT_SHADER_VS;
    switch (regtype) {
    case VGT_SREG_TEMP:
        return "r";
    case VGT_SREG_INPUT:
        return "v";
    case VGT_SREG_CONST:
        return "c";
    case VGT_SREG_ADDR: /* == VGT_SREG_TEXTURE */
        return vs ? "a" : "t";
    case VGT_SREG_RASTOUT:
        return index == 0 ? "oPos" : index == 1 ? "oFog" : index == 2 ? "oPts" : NULL;
    case VGT_SREG_ATTROUT:
        return "oD";
    case VGT_SREG_OUTPUT: /* == VGT_SREG_TEXCRDOUT */
        return vs && version >= V30 ? "o" : "oT";
    case VGT_SREG_CONSTINT:
        return "i";
    case VGT_SREG_COLOROUT:
        return "oC";
    case VGT_SREG_DEPTHOUT:
        return "oDepth";
    case VGT_SREG_SAMPLER:
        return "s";
    case VGT_SREG_CONSTBOOL:
        return "b";
    case VGT_SREG_LOOP:
        return "aL";
    case VGT_SREG_MISCTYPE:
        return index == 0 ? "vPos" : index == 1 ? "vFace" : NULL;
    case VGT_SREG_LABEL:
        return "l";
    case VGT_SREG_PREDICATE:
        return "p";
    default:
        return NULL;
    }
}

/* Register file sizes.  Where the hardware caps decide (vs constants, 2_x
 * temps) the SVGA3D limits are used (svga3d_shaderdefs.h: 256 constants, 32
 * temps, 16 inputs, 12 outputs, 16 pixel / 4 vertex samplers). */
static uint32_t vs_reg_count(uint32_t v, uint32_t regtype, vgt_shader_role role)
{
    bool src = role == VGT_SROLE_SRC, dst = role == VGT_SROLE_DST;
    bool dcl = role == VGT_SROLE_DCL, def = role == VGT_SROLE_DEF;
    switch (regtype) {
    case VGT_SREG_TEMP:
        return src || dst ? (v >= V2X ? 32 : 12) : 0;
    case VGT_SREG_INPUT:
        return src || dcl ? 16 : 0;
    case VGT_SREG_CONST:
        return src || def ? 256 : 0;
    case VGT_SREG_ADDR:
        return dst ? 1 : 0;
    case VGT_SREG_RASTOUT:
        return dst && v < V30 ? 3 : 0;
    case VGT_SREG_ATTROUT:
        return dst && v < V30 ? 2 : 0;
    case VGT_SREG_OUTPUT:
        if (v >= V30) {
            return dst || dcl ? 12 : 0;
        }
        return dst ? 8 : 0;
    case VGT_SREG_CONSTINT:
    case VGT_SREG_CONSTBOOL:
        return (src || def) && v >= V20 ? 16 : 0;
    case VGT_SREG_LOOP:
        return src && v >= V20 ? 1 : 0;
    case VGT_SREG_SAMPLER:
        return (src || dcl) && v >= V30 ? 4 : 0;
    case VGT_SREG_LABEL:
        return src && v >= V20 ? 2048 : 0;
    case VGT_SREG_PREDICATE:
        return (src || dst) && v >= V2X ? 1 : 0;
    default:
        return 0;
    }
}

static uint32_t ps_reg_count(uint32_t v, uint32_t regtype, vgt_shader_role role)
{
    bool src = role == VGT_SROLE_SRC, dst = role == VGT_SROLE_DST;
    bool dcl = role == VGT_SROLE_DCL, def = role == VGT_SROLE_DEF;
    switch (regtype) {
    case VGT_SREG_TEMP:
        if (!(src || dst)) {
            return 0;
        }
        return v <= V13 ? 2 : v == V14 ? 6 : v == V20 ? 12 : 32;
    case VGT_SREG_INPUT:
        if (src || (dcl && v >= V20)) {
            return v >= V30 ? 10 : 2;
        }
        return 0;
    case VGT_SREG_CONST:
        if (!(src || def)) {
            return 0;
        }
        return v < V20 ? 8 : v < V30 ? 32 : 224;
    case VGT_SREG_TEXTURE:
        if (src) {
            return v <= V13 ? 4 : v == V14 ? 6 : v < V30 ? 8 : 0;
        }
        if (dst) {
            return v <= V13 ? 4 : 0;
        }
        return dcl && v >= V20 && v < V30 ? 8 : 0;
    case VGT_SREG_CONSTINT:
    case VGT_SREG_CONSTBOOL:
        return (src || def) && v >= V2X ? 16 : 0;
    case VGT_SREG_LOOP:
        return src && v >= V30 ? 1 : 0;
    case VGT_SREG_SAMPLER:
        return (src || dcl) && v >= V20 ? 16 : 0;
    case VGT_SREG_LABEL:
        return src && v >= V2X ? 2048 : 0;
    case VGT_SREG_PREDICATE:
        return (src || dst) && v >= V2X ? 1 : 0;
    case VGT_SREG_COLOROUT:
        return dst && v >= V20 ? 4 : 0;
    case VGT_SREG_DEPTHOUT:
        return dst && v >= V20 ? 1 : 0;
    case VGT_SREG_MISCTYPE:
        return (src || dcl) && v >= V30 ? 2 : 0;
    default:
        return 0;
    }
}

uint32_t vgt_shader_reg_count(vgt_shader_type type, uint32_t version, uint32_t regtype,
                              vgt_shader_role role)
{
    if (!vgt_shader_version_name(type, version)) {
        return 0;
    }
    return type == VGT_SHADER_VS ? vs_reg_count(version, regtype, role)
                                 : ps_reg_count(version, regtype, role);
}

/* ---- linking by semantic ----------------------------------------------------- */

bool vgt_shader_io_semantic(const vgt_shader_io *io, uint32_t reg, uint32_t comp, uint32_t *usage,
                            uint32_t *index)
{
    if (reg >= 16 || comp >= 4) {
        return false;
    }
    const vgt_shader_io_reg *r = &io->reg[reg];
    for (uint32_t e = 0; e < r->count && e < 4; e++) {
        /* a lone declaration covers the register (as before packing) */
        if (r->count == 1 || (r->sem[e].mask & (1u << comp))) {
            *usage = r->sem[e].usage;
            *index = r->sem[e].usage_index;
            return true;
        }
    }
    return false;
}

/* The register and entry declaring semantic (usage, index), or false. */
static bool io_find(const vgt_shader_io *io, uint32_t usage, uint32_t index, uint32_t *reg,
                    uint8_t *mask)
{
    for (uint32_t q = 0; q < 16; q++) {
        const vgt_shader_io_reg *r = &io->reg[q];
        for (uint32_t e = 0; e < r->count && e < 4; e++) {
            if (r->sem[e].usage == usage && r->sem[e].usage_index == index) {
                *reg = q;
                *mask = r->sem[e].mask;
                return true;
            }
        }
    }
    return false;
}

int32_t vgt_shader_io_link(const vgt_shader_io *vs_out, uint32_t usage, uint32_t index,
                           uint32_t comp)
{
    uint32_t reg;
    uint8_t mask;
    if (comp >= 4 || !io_find(vs_out, usage, index, &reg, &mask) || !(mask & (1u << comp))) {
        return -1;
    }
    return (int32_t)(reg * 4u + comp);
}

int32_t vgt_shader_io_scalar(const vgt_shader_io *vs_out, uint32_t usage, uint32_t index)
{
    uint32_t reg;
    uint8_t mask;
    if (!io_find(vs_out, usage, index, &reg, &mask)) {
        return -1;
    }
    uint32_t comp = 0;
    while (comp < 3 && !(mask & (1u << comp))) {
        comp++;
    }
    return (int32_t)(reg * 4u + comp);
}
