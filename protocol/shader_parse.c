/* shader_parse.c - Direct3D 9 shader bytecode -> vgt_shader, validating every
 * token.  The words are hostile: every read is bounded by nwords, every bit
 * is either decoded or required to be zero, every register is checked against
 * the model's register files. */
#include "vgt_shader.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_MAX 2048u

enum { BLOCK_IF, BLOCK_ELSE, BLOCK_LOOP, BLOCK_REP };

typedef struct block {
    int kind;
    uint32_t insn; /* the opening instruction (if/ifc, loop, rep) */
    uint32_t else_insn;
} block;

typedef struct pctx {
    const uint32_t *w;
    size_t n; /* words we may read */
    vgt_shader *sh;
    vgt_shader_diag *diag;
    vgt_error *err;
    vgt_shader_type type;
    uint32_t ver;
    bool sm1;            /* version < 2.0: no length field, no address tokens */
    const char *model;   /* "vs_2_0" */
    uint32_t insn_tok;   /* token index of the instruction being parsed */
    const char *op_name; /* its mnemonic */
    uint32_t cap;        /* insns allocated */
    block stack[VGT_SHADER_MAX_NESTING];
    uint32_t depth;
    bool after_ret;   /* a ret at depth 0 ended a function: only a label may follow */
    uint32_t *labels; /* label number -> insn index, UINT32_MAX when undefined */
    uint32_t declared[VGT_SREG_COUNT]; /* bit n: register n declared (n < 32) */
    uint32_t io_at[16][4];             /* token index of each vgt_shader_io entry's dcl */
    vgt_shader_fault fault;            /* the last fault reported */
    vgt_shader_comment *comments;      /* sh->comments while parsing (words unset) */
    uint32_t comment_cap;
} pctx;

static vgt_status fail(pctx *c, vgt_shader_fault fault, vgt_status code, uint32_t tok,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static vgt_status fail(pctx *c, vgt_shader_fault fault, vgt_status code, uint32_t tok,
                       const char *fmt, ...)
{
    char what[VGT_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    c->fault = fault;
    if (c->diag) {
        c->diag->fault = fault;
        c->diag->token = tok;
        c->diag->line = 0;
        c->diag->column = 0;
    }
    if (tok < c->n) {
        return vgt_error_set(c->err, code, "shader token %u (0x%08x): %s", tok, c->w[tok], what);
    }
    return vgt_error_set(c->err, code, "shader token %u (past the last of %zu word%s): %s", tok,
                         c->n, vgt_plural(c->n), what);
}

/* Reads the next parameter token of the current instruction. */
static vgt_status take(pctx *c, uint32_t *pos, uint32_t end, uint32_t *tok)
{
    if (*pos >= c->n) {
        return fail(c, VGT_SHADER_FAULT_TRUNCATED, VGT_E_TRUNCATED, *pos,
                    "the words end inside '%s' (instruction token %u)", c->op_name, c->insn_tok);
    }
    if (*pos >= end) {
        return fail(c, VGT_SHADER_FAULT_LENGTH, VGT_E_INVALID, c->insn_tok,
                    "'%s': the length field (%u) is shorter than its operands", c->op_name,
                    (c->w[c->insn_tok] >> 24) & 0xFu);
    }
    *tok = c->w[(*pos)++];
    return VGT_OK;
}

static void reg_text(const pctx *c, uint32_t type, uint32_t index, char *buf, size_t size)
{
    const char *name = vgt_shader_reg_name(c->type, c->ver, type, index);
    if (!name) {
        snprintf(buf, size, "register file %u #%u", type, index);
    } else if (vgt_shader_reg_unnumbered(type)) {
        snprintf(buf, size, "%s", name);
    } else {
        snprintf(buf, size, "%s%u", name, index);
    }
}

/* Checks that register (type, index) exists for role in this model. */
static vgt_status check_reg(pctx *c, uint32_t tok_at, uint32_t type, uint32_t index,
                            vgt_shader_role role)
{
    static const char *const roles[] = {"read", "written", "declared", "defined"};
    uint32_t count = vgt_shader_reg_count(c->type, c->ver, type, role);
    char name[64];
    reg_text(c, type, index, name, sizeof(name));
    if (count == 0) {
        return fail(c, VGT_SHADER_FAULT_REGISTER, VGT_E_INVALID, tok_at,
                    "'%s': register %s cannot be %s in %s", c->op_name, name, roles[role],
                    c->model);
    }
    if (index >= count) {
        return fail(c, VGT_SHADER_FAULT_RANGE, VGT_E_RANGE, tok_at,
                    "'%s': register %s out of range (%s has %u)", c->op_name, name, c->model,
                    count);
    }
    return VGT_OK;
}

static bool is_replicate(uint8_t s)
{
    unsigned x = s & 3u;
    return s == (uint8_t)(x | x << 2 | x << 4 | x << 6);
}

/* Reads the address token (SM >= 2) or fills the implicit a0.x (vs_1_1) of a
 * relatively addressed operand of file `type`. */
static vgt_status read_rel(pctx *c, uint32_t *pos, uint32_t end, uint32_t param_at, uint32_t type,
                           bool dst, vgt_shader_rel *rel)
{
    bool vs = c->type == VGT_SHADER_VS;
    bool ok_file;
    if (dst) {
        ok_file = vs && c->ver >= VGT_SHADER_V30 && type == VGT_SREG_OUTPUT;
    } else if (vs) {
        ok_file = type == VGT_SREG_CONST || (c->ver >= VGT_SHADER_V30 && type == VGT_SREG_INPUT);
    } else {
        ok_file = c->ver >= VGT_SHADER_V30 && type == VGT_SREG_INPUT;
    }
    if (!ok_file) {
        char name[64];
        reg_text(c, type, 0, name, sizeof(name));
        return fail(c, VGT_SHADER_FAULT_RELATIVE, VGT_E_INVALID, param_at,
                    "'%s': relative addressing is not allowed on %s%s in %s", c->op_name,
                    vgt_shader_reg_name(c->type, c->ver, type, 0) ? "" : "this register: ", name,
                    c->model);
    }
    if (c->sm1) {
        rel->type = VGT_SREG_ADDR;
        rel->swizzle = 0; /* a0.x */
        rel->token = 0;
        return VGT_OK;
    }
    uint32_t at = *pos, t = 0;
    vgt_status st = take(c, pos, end, &t);
    if (st) {
        return st;
    }
    if (!(t & 0x80000000u) || (t & 0x0000E000u) || ((t >> 24) & 0xFu) || (t & 0x7FFu)) {
        return fail(c, VGT_SHADER_FAULT_RELATIVE, VGT_E_INVALID, at,
                    "'%s': malformed relative address token (want a0 or aL with a swizzle, "
                    "no modifier)",
                    c->op_name);
    }
    uint32_t rtype = ((t >> 28) & 7u) | ((t >> 8) & 0x18u);
    rel->type = (uint8_t)rtype;
    rel->swizzle = (uint8_t)(t >> 16);
    rel->token = t;
    if (rtype == VGT_SREG_ADDR && vs) {
        if (!is_replicate(rel->swizzle)) {
            return fail(c, VGT_SHADER_FAULT_RELATIVE, VGT_E_INVALID, at,
                        "'%s': the a0 index must select one component (a0.x .. a0.w)", c->op_name);
        }
        return VGT_OK;
    }
    if (rtype == VGT_SREG_LOOP && vgt_shader_reg_count(c->type, c->ver, rtype, VGT_SROLE_SRC)) {
        return VGT_OK;
    }
    return fail(c, VGT_SHADER_FAULT_RELATIVE, VGT_E_INVALID, at,
                "'%s': a relative address must be %s in %s", c->op_name,
                vs ? (c->ver >= VGT_SHADER_V20 ? "a0 or aL" : "a0") : "aL", c->model);
}

static vgt_status read_src(pctx *c, uint32_t *pos, uint32_t end, vgt_shader_src *s)
{
    uint32_t at = *pos, t = 0;
    vgt_status st = take(c, pos, end, &t);
    if (st) {
        return st;
    }
    if (!(t & 0x80000000u)) {
        return fail(c, VGT_SHADER_FAULT_RESERVED, VGT_E_INVALID, at,
                    "'%s': expected a source parameter token (bit 31 set)", c->op_name);
    }
    if (t & 0x0000C000u) {
        return fail(c, VGT_SHADER_FAULT_RESERVED, VGT_E_INVALID, at,
                    "'%s': reserved bits 14-15 of a source token are set", c->op_name);
    }
    s->token = t;
    s->type = (uint8_t)(((t >> 28) & 7u) | ((t >> 8) & 0x18u));
    s->index = (uint16_t)(t & 0x7FFu);
    s->swizzle = (uint8_t)(t >> 16);
    s->mod = (uint8_t)((t >> 24) & 0xFu);
    s->relative = (t & 0x2000u) != 0;
    if (s->mod > VGT_SMOD_NOT) {
        return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                    "'%s': unknown source modifier %u", c->op_name, s->mod);
    }
    if (s->relative) {
        return read_rel(c, pos, end, at, s->type, false, &s->rel);
    }
    return VGT_OK;
}

static vgt_status read_dst(pctx *c, uint32_t *pos, uint32_t end, vgt_shader_dst *d)
{
    uint32_t at = *pos, t = 0;
    vgt_status st = take(c, pos, end, &t);
    if (st) {
        return st;
    }
    if (!(t & 0x80000000u)) {
        return fail(c, VGT_SHADER_FAULT_RESERVED, VGT_E_INVALID, at,
                    "'%s': expected a destination parameter token (bit 31 set)", c->op_name);
    }
    if (t & 0x0000C000u) {
        return fail(c, VGT_SHADER_FAULT_RESERVED, VGT_E_INVALID, at,
                    "'%s': reserved bits 14-15 of a destination token are set", c->op_name);
    }
    d->token = t;
    d->type = (uint8_t)(((t >> 28) & 7u) | ((t >> 8) & 0x18u));
    d->index = (uint16_t)(t & 0x7FFu);
    d->write_mask = (uint8_t)((t >> 16) & 0xFu);
    d->mod = (uint8_t)((t >> 20) & 0xFu);
    uint32_t shift = (t >> 24) & 0xFu;
    d->relative = (t & 0x2000u) != 0;
    if (d->mod & 8u) {
        return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                    "'%s': reserved result modifier bit 23 is set", c->op_name);
    }
    if (shift <= 3) {
        d->shift = (int8_t)shift;
    } else if (shift >= 13) {
        d->shift = (int8_t)((int)shift - 16);
    } else {
        return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                    "'%s': result shift %u is not one of x2/x4/x8/d2/d4/d8", c->op_name, shift);
    }
    if (d->relative) {
        if (c->sm1) {
            return fail(c, VGT_SHADER_FAULT_RELATIVE, VGT_E_INVALID, at,
                        "'%s': relative addressing of a destination needs vs_3_0", c->op_name);
        }
        return read_rel(c, pos, end, at, d->type, true, &d->rel);
    }
    return VGT_OK;
}

/* ---- summary ---------------------------------------------------------------- */

static void note_reg(pctx *c, uint32_t type, uint32_t index, bool relative)
{
    vgt_shader_summary *s = &c->sh->summary;
    uint32_t bit = index < 32 ? 1u << index : 0;
    bool vs = c->type == VGT_SHADER_VS;
    switch (type) {
    case VGT_SREG_TEMP:
        s->temps |= bit;
        break;
    case VGT_SREG_INPUT:
        s->inputs |= bit;
        break;
    case VGT_SREG_CONST:
        if (index + 1u > s->float_consts) {
            s->float_consts = index + 1u;
        }
        s->float_consts_relative |= relative;
        break;
    case VGT_SREG_ADDR:
        if (vs) {
            s->uses_address = true;
        } else {
            s->textures |= bit;
        }
        break;
    case VGT_SREG_RASTOUT:
        s->rastout |= bit;
        break;
    case VGT_SREG_ATTROUT:
    case VGT_SREG_COLOROUT:
        s->color_outputs |= bit;
        break;
    case VGT_SREG_OUTPUT:
        s->outputs |= bit;
        break;
    case VGT_SREG_CONSTINT:
        s->int_consts |= (uint16_t)bit;
        break;
    case VGT_SREG_CONSTBOOL:
        s->bool_consts |= (uint16_t)bit;
        break;
    case VGT_SREG_DEPTHOUT:
        s->depth_output = true;
        break;
    case VGT_SREG_SAMPLER:
        s->samplers |= bit;
        break;
    case VGT_SREG_LOOP:
        s->uses_loop_counter = true;
        break;
    case VGT_SREG_PREDICATE:
        s->uses_predicate = true;
        break;
    case VGT_SREG_MISCTYPE:
        if (index == 0) {
            s->uses_vpos = true;
        } else {
            s->uses_vface = true;
        }
        break;
    default:
        break;
    }
}

static void note_rel(pctx *c, const vgt_shader_rel *rel)
{
    note_reg(c, rel->type, 0, false);
}

/* ---- per-instruction rules ------------------------------------------------- */

/* Which special register file (if any) source `i` of `op` must be; 0xFF when
 * it is an ordinary value source.  *alt is a second allowed file or 0xFF. */
static uint8_t special_src(const pctx *c, uint32_t op, unsigned i, uint8_t *alt)
{
    *alt = 0xFF;
    switch (op) {
    case VGT_SOP_CALL:
    case VGT_SOP_LABEL:
        return VGT_SREG_LABEL;
    case VGT_SOP_CALLNZ:
        if (i == 0) {
            return VGT_SREG_LABEL;
        }
        *alt = VGT_SREG_PREDICATE;
        return VGT_SREG_CONSTBOOL;
    case VGT_SOP_IF:
        *alt = VGT_SREG_PREDICATE;
        return VGT_SREG_CONSTBOOL;
    case VGT_SOP_LOOP:
        return i == 0 ? VGT_SREG_LOOP : VGT_SREG_CONSTINT;
    case VGT_SOP_REP:
        return VGT_SREG_CONSTINT;
    case VGT_SOP_BREAKP:
        return VGT_SREG_PREDICATE;
    case VGT_SOP_TEX:
        return c->ver >= VGT_SHADER_V20 && i == 1 ? VGT_SREG_SAMPLER : 0xFF;
    case VGT_SOP_TEXLDL:
    case VGT_SOP_TEXLDD:
        return i == 1 ? VGT_SREG_SAMPLER : 0xFF;
    default:
        return 0xFF;
    }
}

static const char *special_name(uint32_t type)
{
    switch (type) {
    case VGT_SREG_LABEL:
        return "a label l#";
    case VGT_SREG_CONSTINT:
        return "an integer constant i#";
    case VGT_SREG_CONSTBOOL:
        return "a boolean constant b#";
    case VGT_SREG_LOOP:
        return "aL";
    case VGT_SREG_PREDICATE:
        return "p0";
    default:
        return "a sampler s#";
    }
}

static bool special_file(uint32_t type)
{
    return type == VGT_SREG_LABEL || type == VGT_SREG_CONSTINT || type == VGT_SREG_CONSTBOOL ||
           type == VGT_SREG_LOOP || type == VGT_SREG_PREDICATE || type == VGT_SREG_SAMPLER;
}

static vgt_status check_src(pctx *c, const vgt_shader_insn *in, unsigned i, const vgt_shader_src *s,
                            uint32_t at)
{
    bool ps = c->type == VGT_SHADER_PS;
    uint8_t alt;
    uint8_t want = special_src(c, in->opcode, i, &alt);
    char name[64];
    reg_text(c, s->type, s->index, name, sizeof(name));
    if (want != 0xFF) {
        if (s->type != want && s->type != alt) {
            return fail(c, VGT_SHADER_FAULT_REGISTER, VGT_E_INVALID, at,
                        "'%s': operand %u must be %s%s, not %s", c->op_name, i + 1,
                        special_name(want), alt != 0xFF ? " or p0" : "", name);
        }
        if (s->relative || (s->mod != VGT_SMOD_NONE &&
                            !(s->type == VGT_SREG_PREDICATE && s->mod == VGT_SMOD_NOT))) {
            return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                        "'%s': operand %u takes no modifier or relative address", c->op_name,
                        i + 1);
        }
    } else if (special_file(s->type)) {
        return fail(c, VGT_SHADER_FAULT_REGISTER, VGT_E_INVALID, at,
                    "'%s': %s cannot be operand %u of this instruction", c->op_name, name, i + 1);
    }
    vgt_status st = check_reg(c, at, s->type, s->index, VGT_SROLE_SRC);
    if (st) {
        return st;
    }
    switch (s->mod) {
    case VGT_SMOD_NONE:
    case VGT_SMOD_NEG:
        break;
    case VGT_SMOD_NOT:
        if (s->type != VGT_SREG_PREDICATE) {
            return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                        "'%s': '!' applies to the predicate register only", c->op_name);
        }
        break;
    case VGT_SMOD_ABS:
    case VGT_SMOD_ABSNEG:
        if (c->ver < VGT_SHADER_V30) {
            return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                        "'%s': the _abs source modifier needs shader model 3.0", c->op_name);
        }
        break;
    case VGT_SMOD_DZ:
    case VGT_SMOD_DW:
        if (!ps || c->ver != VGT_SHADER_V14) {
            return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                        "'%s': the _dz/_dw source modifiers exist in ps_1_4 only", c->op_name);
        }
        break;
    default: /* bias, bx2, 1-, x2 */
        if (!ps || c->ver >= VGT_SHADER_V20) {
            return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                        "'%s': source modifier %u exists in ps_1_x only", c->op_name, s->mod);
        }
        break;
    }
    return VGT_OK;
}

static vgt_status check_dst(pctx *c, const vgt_shader_insn *in, uint32_t at)
{
    const vgt_shader_dst *d = &in->dst;
    bool ps = c->type == VGT_SHADER_PS;
    char name[64];
    reg_text(c, d->type, d->index, name, sizeof(name));
    if (d->write_mask == 0) {
        return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at, "'%s': empty write mask",
                    c->op_name);
    }
    if (d->shift != 0 && (!ps || c->ver >= VGT_SHADER_V20)) {
        return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                    "'%s': result shift (_x2.._d8) exists in ps_1_x only", c->op_name);
    }
    if ((d->mod & VGT_SHADER_DSTMOD_SATURATE) && !ps && c->ver < VGT_SHADER_V30) {
        return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                    "'%s': _sat in a vertex shader needs vs_3_0", c->op_name);
    }
    if ((d->mod & (VGT_SHADER_DSTMOD_PP | VGT_SHADER_DSTMOD_CENTROID)) &&
        (!ps || c->ver < VGT_SHADER_V20)) {
        return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                    "'%s': _pp/_centroid need ps_2_0 or later", c->op_name);
    }
    if (d->type == VGT_SREG_ADDR && !ps && in->opcode != VGT_SOP_MOV &&
        in->opcode != VGT_SOP_MOVA) {
        return fail(c, VGT_SHADER_FAULT_REGISTER, VGT_E_INVALID, at, "'%s': only mov/mova write a0",
                    c->op_name);
    }
    if ((d->type == VGT_SREG_PREDICATE) != (in->opcode == VGT_SOP_SETP)) {
        return fail(c, VGT_SHADER_FAULT_REGISTER, VGT_E_INVALID, at, "'%s': %s", c->op_name,
                    in->opcode == VGT_SOP_SETP ? "setp writes p0 only"
                                               : "only setp writes the predicate register");
    }
    if (in->opcode == VGT_SOP_SINCOS && (d->write_mask & ~3u)) {
        return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                    "'%s': the write mask must be .x, .y or .xy", c->op_name);
    }
    if (in->opcode == VGT_SOP_TEXKILL) { /* texkill names the register it tests */
        if (special_file(d->type)) {
            return fail(c, VGT_SHADER_FAULT_REGISTER, VGT_E_INVALID, at,
                        "texkill: %s cannot be tested", name);
        }
        return check_reg(c, at, d->type, d->index, VGT_SROLE_SRC);
    }
    return check_reg(c, at, d->type, d->index, VGT_SROLE_DST);
}

static void mask_text(uint8_t mask, char out[5])
{
    size_t n = 0;
    for (unsigned i = 0; i < 4; i++) {
        if (mask & (1u << i)) {
            out[n++] = "xyzw"[i];
        }
    }
    out[n] = '\0';
}

static void sem_text(uint32_t usage, uint32_t index, char *buf, size_t size)
{
    const char *u = vgt_shader_usage_name(usage);
    snprintf(buf, size, "dcl_%s%u", u ? u : "?", index);
}

/* Position and point size take their whole output register: Direct3D 9's
 * dcl_semantics page wants a full write mask for both (position has four
 * components to write, psize is a scalar), and they leave the vertex for
 * the rasterizer rather than a pixel shader input. */
static bool whole_register(bool vs, uint32_t usage, uint32_t index)
{
    return vs && index == 0 && (usage == VGT_SUSAGE_POSITION || usage == VGT_SUSAGE_PSIZE);
}

/* Records a vs_3_0 output / ps_3_0 input declaration in sh->io: refuses a
 * mask overlapping an earlier declaration of the register, a semantic
 * declared twice in the stage, and position/psize sharing a register. */
static vgt_status declare_io(pctx *c, const vgt_shader_insn *in, uint32_t dst_at)
{
    const vgt_shader_dst *d = &in->dst;
    bool vs = c->type == VGT_SHADER_VS;
    char reg[64], m1[5], m2[5], s1[48], s2[48];
    if (d->index >= 16) {
        return VGT_OK; /* check_reg keeps these models below 16 registers */
    }
    reg_text(c, d->type, d->index, reg, sizeof(reg));
    mask_text(d->write_mask, m1);
    sem_text(in->usage, in->usage_index, s1, sizeof(s1));
    for (uint32_t q = 0; q < 16; q++) {
        const vgt_shader_io_reg *r = &c->sh->io.reg[q];
        for (uint32_t e = 0; e < r->count; e++) {
            const vgt_shader_semantic *x = &r->sem[e];
            if (x->usage == in->usage && x->usage_index == in->usage_index) {
                char other[64];
                reg_text(c, d->type, q, other, sizeof(other));
                mask_text(x->mask, m2);
                return fail(c, VGT_SHADER_FAULT_DECL, VGT_E_INVALID, dst_at,
                            "dcl: %s %s.%s: the semantic is already declared (%s.%s at token "
                            "%u); a semantic names one set of components",
                            s1, reg, m1, other, m2, c->io_at[q][e]);
            }
        }
    }
    vgt_shader_io_reg *r = &c->sh->io.reg[d->index];
    for (uint32_t e = 0; e < r->count; e++) {
        const vgt_shader_semantic *x = &r->sem[e];
        mask_text(x->mask, m2);
        sem_text(x->usage, x->usage_index, s2, sizeof(s2));
        if (x->mask & d->write_mask) {
            return fail(c, VGT_SHADER_FAULT_DECL, VGT_E_INVALID, dst_at,
                        "dcl: %s %s.%s overlaps %s %s.%s (token %u); a register declared "
                        "again needs a write mask disjoint from its others",
                        s1, reg, m1, s2, reg, m2, c->io_at[d->index][e]);
        }
        if (whole_register(vs, x->usage, x->usage_index) ||
            whole_register(vs, in->usage, in->usage_index)) {
            return fail(c, VGT_SHADER_FAULT_DECL, VGT_E_INVALID, dst_at,
                        "dcl: %s %s.%s shares %s with %s %s.%s (token %u); position and psize "
                        "take a register of their own (full write mask)",
                        s1, reg, m1, reg, s2, reg, m2, c->io_at[d->index][e]);
        }
    }
    /* four disjoint non-empty masks fill the register, so count < 4 here */
    c->io_at[d->index][r->count] = dst_at;
    r->sem[r->count++] = (vgt_shader_semantic){d->write_mask, in->usage, in->usage_index};
    c->declared[d->type] |= 1u << d->index;
    return VGT_OK;
}

static vgt_status check_dcl(pctx *c, vgt_shader_insn *in, uint32_t dcl_at, uint32_t dst_at)
{
    uint32_t t = in->dcl_token;
    vgt_shader_dst *d = &in->dst;
    bool ps = c->type == VGT_SHADER_PS;
    if (!(t & 0x80000000u)) {
        return fail(c, VGT_SHADER_FAULT_DECL, VGT_E_INVALID, dcl_at,
                    "dcl: the declaration token must have bit 31 set");
    }
    if (d->relative || d->shift != 0 || (d->mod & VGT_SHADER_DSTMOD_SATURATE)) {
        return fail(c, VGT_SHADER_FAULT_DECL, VGT_E_INVALID, dst_at,
                    "dcl: the register takes no relative address, shift or _sat");
    }
    if ((d->mod & (VGT_SHADER_DSTMOD_PP | VGT_SHADER_DSTMOD_CENTROID)) &&
        (!ps || c->ver < VGT_SHADER_V20)) {
        return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, dst_at,
                    "dcl: _pp/_centroid need ps_2_0 or later");
    }
    if (d->write_mask == 0) {
        return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, dst_at, "dcl: empty write mask");
    }
    vgt_status st = check_reg(c, dst_at, d->type, d->index, VGT_SROLE_DCL);
    if (st) {
        return st;
    }
    if (d->type == VGT_SREG_SAMPLER) {
        in->sampler_type = (uint8_t)((t >> 27) & 0xFu);
        if (t & 0x07FFFFFFu) {
            return fail(c, VGT_SHADER_FAULT_DECL, VGT_E_INVALID, dcl_at,
                        "dcl: a sampler declaration has only a texture type (bits 27-30)");
        }
        if (in->sampler_type < VGT_SSAMPLER_2D || in->sampler_type > VGT_SSAMPLER_VOLUME) {
            return fail(c, VGT_SHADER_FAULT_DECL, VGT_E_INVALID, dcl_at,
                        "dcl: unknown texture type %u (want 2d, cube or volume)", in->sampler_type);
        }
        c->sh->summary.sampler_type[d->index & 15u] = in->sampler_type;
    } else {
        in->usage = (uint8_t)(t & 0x1Fu);
        in->usage_index = (uint8_t)((t >> 16) & 0xFu);
        if (t & 0x7FF0FFE0u) {
            return fail(c, VGT_SHADER_FAULT_DECL, VGT_E_INVALID, dcl_at,
                        "dcl: reserved bits of the declaration token are set (only usage "
                        "bits 0-4 and usage index bits 16-19 may be)");
        }
        if (in->usage >= VGT_SUSAGE_COUNT) {
            return fail(c, VGT_SHADER_FAULT_DECL, VGT_E_INVALID, dcl_at, "dcl: unknown usage %u",
                        in->usage);
        }
        if (d->type == VGT_SREG_MISCTYPE && (in->usage || in->usage_index)) {
            return fail(c, VGT_SHADER_FAULT_DECL, VGT_E_INVALID, dcl_at,
                        "dcl: vPos/vFace take no usage");
        }
    }
    bool packable = c->ver >= VGT_SHADER_V30 &&
                    ((!ps && d->type == VGT_SREG_OUTPUT) || (ps && d->type == VGT_SREG_INPUT));
    if (packable) {
        /* vs_3_0 outputs and ps_3_0 inputs are named by semantic and may be
         * declared again with a disjoint mask (semantic packing) */
        st = declare_io(c, in, dst_at);
        if (st) {
            return st;
        }
    } else if (d->index < 32) {
        if (c->declared[d->type] & (1u << d->index)) {
            char name[64];
            reg_text(c, d->type, d->index, name, sizeof(name));
            return fail(c, VGT_SHADER_FAULT_DECL, VGT_E_INVALID, dst_at,
                        "dcl: %s is declared twice", name);
        }
        c->declared[d->type] |= 1u << d->index;
    }
    note_reg(c, d->type, d->index, false);
    return VGT_OK;
}

static vgt_status check_def(pctx *c, vgt_shader_insn *in, uint32_t dst_at)
{
    const vgt_shader_dst *d = &in->dst;
    uint32_t want = in->opcode == VGT_SOP_DEF    ? VGT_SREG_CONST
                    : in->opcode == VGT_SOP_DEFI ? VGT_SREG_CONSTINT
                                                 : VGT_SREG_CONSTBOOL;
    if (d->type != want) {
        return fail(c, VGT_SHADER_FAULT_DECL, VGT_E_INVALID, dst_at, "'%s' defines a %s register",
                    c->op_name,
                    want == VGT_SREG_CONST      ? "c"
                    : want == VGT_SREG_CONSTINT ? "i"
                                                : "b");
    }
    if (d->relative || d->shift != 0 || d->mod != 0 || d->write_mask != 0xF) {
        return fail(c, VGT_SHADER_FAULT_DECL, VGT_E_INVALID, dst_at,
                    "'%s': the register takes no write mask, modifier or relative address",
                    c->op_name);
    }
    vgt_status st = check_reg(c, dst_at, d->type, d->index, VGT_SROLE_DEF);
    if (st) {
        return st;
    }
    note_reg(c, d->type, d->index, false);
    c->sh->summary.defs++;
    return VGT_OK;
}

/* ---- flow control ------------------------------------------------------------ */

static const char *block_name(int kind)
{
    return kind == BLOCK_LOOP ? "loop" : kind == BLOCK_REP ? "rep" : "if";
}

static vgt_status flow(pctx *c, uint32_t idx)
{
    vgt_shader_insn *in = &c->sh->insns[idx];
    vgt_shader_insn *all = c->sh->insns;
    uint32_t at = in->token_offset;
    if (c->after_ret && in->opcode != VGT_SOP_LABEL) {
        return fail(c, VGT_SHADER_FAULT_FLOW, VGT_E_INVALID, at,
                    "'%s' after a ret: a subroutine must start with a label", c->op_name);
    }
    switch (in->opcode) {
    case VGT_SOP_IF:
    case VGT_SOP_IFC:
    case VGT_SOP_LOOP:
    case VGT_SOP_REP:
        if (c->depth >= VGT_SHADER_MAX_NESTING) {
            return fail(c, VGT_SHADER_FAULT_FLOW, VGT_E_INVALID, at,
                        "'%s': blocks nested deeper than %u", c->op_name, VGT_SHADER_MAX_NESTING);
        }
        c->stack[c->depth].kind = in->opcode == VGT_SOP_LOOP  ? BLOCK_LOOP
                                  : in->opcode == VGT_SOP_REP ? BLOCK_REP
                                                              : BLOCK_IF;
        c->stack[c->depth].insn = idx;
        c->stack[c->depth].else_insn = UINT32_MAX;
        c->depth++;
        if (c->depth > c->sh->summary.max_nesting) {
            c->sh->summary.max_nesting = c->depth;
        }
        break;
    case VGT_SOP_ELSE: {
        block *b = c->depth ? &c->stack[c->depth - 1] : NULL;
        if (!b || b->kind != BLOCK_IF) {
            return fail(c, VGT_SHADER_FAULT_FLOW, VGT_E_INVALID, at, "else without if%s",
                        b && b->kind == BLOCK_ELSE ? " (a second else)" : "");
        }
        b->kind = BLOCK_ELSE;
        b->else_insn = idx;
        all[b->insn].match = idx;
        break;
    }
    case VGT_SOP_ENDIF:
    case VGT_SOP_ENDLOOP:
    case VGT_SOP_ENDREP: {
        block *b = c->depth ? &c->stack[c->depth - 1] : NULL;
        int want = in->opcode == VGT_SOP_ENDLOOP  ? BLOCK_LOOP
                   : in->opcode == VGT_SOP_ENDREP ? BLOCK_REP
                                                  : BLOCK_IF;
        int have = b ? (b->kind == BLOCK_ELSE ? BLOCK_IF : b->kind) : -1;
        if (have != want) {
            if (!b) {
                return fail(c, VGT_SHADER_FAULT_FLOW, VGT_E_INVALID, at, "%s without %s",
                            c->op_name, block_name(want));
            }
            return fail(c, VGT_SHADER_FAULT_FLOW, VGT_E_INVALID, at,
                        "%s closes the %s opened at token %u", c->op_name, block_name(have),
                        all[b->insn].token_offset);
        }
        if (b->else_insn != UINT32_MAX) {
            all[b->else_insn].match = idx;
        } else {
            all[b->insn].match = idx;
        }
        in->match = b->insn;
        c->depth--;
        break;
    }
    case VGT_SOP_BREAK:
    case VGT_SOP_BREAKC:
    case VGT_SOP_BREAKP: {
        bool in_loop = false;
        for (uint32_t i = 0; i < c->depth; i++) {
            in_loop |= c->stack[i].kind == BLOCK_LOOP || c->stack[i].kind == BLOCK_REP;
        }
        if (!in_loop) {
            return fail(c, VGT_SHADER_FAULT_FLOW, VGT_E_INVALID, at, "'%s' outside a loop or rep",
                        c->op_name);
        }
        break;
    }
    case VGT_SOP_LABEL: {
        uint32_t l = in->src[0].index;
        if (c->depth) {
            return fail(c, VGT_SHADER_FAULT_FLOW, VGT_E_INVALID, at,
                        "label l%u inside the %s opened at token %u", l,
                        block_name(c->stack[c->depth - 1].kind),
                        all[c->stack[c->depth - 1].insn].token_offset);
        }
        if (c->labels[l] != UINT32_MAX) {
            return fail(c, VGT_SHADER_FAULT_FLOW, VGT_E_INVALID, at,
                        "label l%u defined twice (first at token %u)", l,
                        all[c->labels[l]].token_offset);
        }
        c->labels[l] = idx;
        c->after_ret = false;
        c->sh->summary.labels++;
        break;
    }
    case VGT_SOP_RET:
        if (c->depth) {
            return fail(c, VGT_SHADER_FAULT_FLOW, VGT_E_INVALID, at,
                        "ret inside the %s opened at token %u",
                        block_name(c->stack[c->depth - 1].kind),
                        all[c->stack[c->depth - 1].insn].token_offset);
        }
        c->after_ret = true;
        break;
    default:
        break;
    }
    return VGT_OK;
}

/* ---- one instruction ---------------------------------------------------------- */

static vgt_status grow(pctx *c)
{
    if (c->sh->insn_count < c->cap) {
        return VGT_OK;
    }
    uint32_t cap = c->cap ? c->cap * 2 : 64;
    vgt_shader_insn *p = realloc(c->sh->insns, (size_t)cap * sizeof(*p));
    if (!p) {
        return vgt_error_set(c->err, VGT_E_NOMEM, "out of memory parsing a shader");
    }
    c->sh->insns = p;
    c->cap = cap;
    return VGT_OK;
}

static vgt_status parse_insn(pctx *c, uint32_t *pos)
{
    uint32_t at = *pos;
    uint32_t t = c->w[at];
    uint32_t op = t & 0xFFFFu;
    c->insn_tok = at;
    c->op_name = vgt_shader_opcode_name(op);
    if (!c->op_name) {
        c->op_name = "?";
    }
    if (t & 0x80000000u) {
        return fail(c, VGT_SHADER_FAULT_OPCODE, VGT_E_INVALID, at,
                    "expected an instruction token, found a parameter token (bit 31 set)");
    }
    const vgt_shader_opinfo *info = vgt_shader_opcode_info(c->type, c->ver, op);
    if (!info) {
        if (vgt_shader_opcode_name(op)) {
            return fail(c, VGT_SHADER_FAULT_NOT_IN_MODEL, VGT_E_INVALID, at,
                        "'%s' is not an instruction of %s", c->op_name, c->model);
        }
        return fail(c, VGT_SHADER_FAULT_OPCODE, VGT_E_INVALID, at, "unknown opcode %u", op);
    }
    c->op_name = info->name;
    if (c->sh->insn_count >= VGT_SHADER_MAX_INSNS) {
        return fail(c, VGT_SHADER_FAULT_TOO_BIG, VGT_E_RANGE, at, "more than %u instructions",
                    VGT_SHADER_MAX_INSNS);
    }
    vgt_status st = grow(c);
    if (st) {
        return st;
    }
    uint32_t idx = c->sh->insn_count;
    vgt_shader_insn *in = &c->sh->insns[idx];
    memset(in, 0, sizeof(*in));
    in->opcode = (uint16_t)op;
    in->info = info;
    in->control = (uint8_t)((t >> 16) & 0xFFu);
    in->predicated = (t & 0x10000000u) != 0;
    in->coissue = (t & 0x40000000u) != 0;
    in->match = UINT32_MAX;
    in->token_offset = at;
    in->dst_count = info->dst_count;
    in->src_count = info->src_count;
    for (unsigned i = 0; i < VGT_SHADER_MAX_SRC; i++) {
        in->src[i].swizzle = VGT_SHADER_SWIZZLE_IDENTITY;
    }
    in->pred.swizzle = VGT_SHADER_SWIZZLE_IDENTITY;
    in->dst.write_mask = 0xF;

    uint32_t length = (t >> 24) & 0xFu;
    uint32_t end = UINT32_MAX;
    if (t & 0x20000000u) {
        return fail(c, VGT_SHADER_FAULT_RESERVED, VGT_E_INVALID, at,
                    "'%s': reserved bit 29 of the instruction token is set", c->op_name);
    }
    if (c->sm1) {
        if (length) {
            return fail(c, VGT_SHADER_FAULT_RESERVED, VGT_E_INVALID, at,
                        "'%s': the length field (bits 24-27) must be 0 before shader model 2",
                        c->op_name);
        }
    } else {
        end = at + 1 + length;
        if (end > c->n) {
            return fail(c, VGT_SHADER_FAULT_TRUNCATED, VGT_E_TRUNCATED, (uint32_t)c->n,
                        "'%s' at token %u has %u parameter token%s but the words end after %u",
                        c->op_name, at, length, vgt_plural(length), (uint32_t)(c->n - at - 1));
        }
    }
    /* Instruction-token fields. */
    bool cmp_op = op == VGT_SOP_IFC || op == VGT_SOP_BREAKC || op == VGT_SOP_SETP;
    if (cmp_op) {
        if (in->control < VGT_SCMP_GT || in->control > VGT_SCMP_LE) {
            return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                        "'%s': comparison %u is not one of gt/eq/ge/lt/ne/le", c->op_name,
                        in->control);
        }
    } else if (op == VGT_SOP_TEX && c->type == VGT_SHADER_PS && c->ver >= VGT_SHADER_V20) {
        if (in->control > VGT_SHADER_TEX_BIAS) {
            return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                        "texld: control %u is not texld/texldp/texldb", in->control);
        }
    } else if (in->control) {
        return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                    "'%s': the control field (bits 16-23) must be 0, not %u", c->op_name,
                    in->control);
    }
    if (in->coissue && (c->type != VGT_SHADER_PS || c->ver >= VGT_SHADER_V20)) {
        return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                    "'%s': co-issue (bit 30) exists in ps_1_x only", c->op_name);
    }
    if (in->predicated &&
        (c->ver < VGT_SHADER_V2X || (info->flags & (VGT_SHADER_OPF_FLOW | VGT_SHADER_OPF_DECL)))) {
        return fail(c, VGT_SHADER_FAULT_MODIFIER, VGT_E_INVALID, at,
                    "'%s' cannot be predicated (bit 28)%s", c->op_name,
                    c->ver < VGT_SHADER_V2X ? ": predication needs shader model 2_x" : "");
    }

    uint32_t p = at + 1;
    if (op == VGT_SOP_DCL) {
        uint32_t dcl_at = p, dst_at = p + 1;
        st = take(c, &p, end, &in->dcl_token);
        if (!st) {
            st = read_dst(c, &p, end, &in->dst);
        }
        if (!st) {
            st = check_dcl(c, in, dcl_at, dst_at);
        }
    } else if (op == VGT_SOP_DEF || op == VGT_SOP_DEFI || op == VGT_SOP_DEFB) {
        uint32_t dst_at = p;
        st = read_dst(c, &p, end, &in->dst);
        unsigned nimm = op == VGT_SOP_DEFB ? 1 : 4;
        for (unsigned i = 0; !st && i < nimm; i++) {
            st = take(c, &p, end, &in->imm.u[i]);
        }
        if (!st) {
            st = check_def(c, in, dst_at);
        }
    } else {
        uint32_t dst_at = p;
        if (info->dst_count) {
            st = read_dst(c, &p, end, &in->dst);
            if (!st) {
                st = check_dst(c, in, dst_at);
            }
            if (!st) {
                note_reg(c, in->dst.type, in->dst.index, in->dst.relative);
                if (in->dst.relative) {
                    note_rel(c, &in->dst.rel);
                }
            }
        }
        if (!st && in->predicated) {
            uint32_t pat = p;
            st = read_src(c, &p, end, &in->pred);
            if (!st &&
                (in->pred.type != VGT_SREG_PREDICATE || in->pred.index != 0 || in->pred.relative ||
                 (in->pred.mod != VGT_SMOD_NONE && in->pred.mod != VGT_SMOD_NOT))) {
                st = fail(c, VGT_SHADER_FAULT_REGISTER, VGT_E_INVALID, pat,
                          "'%s': the predicate must be p0 or !p0", c->op_name);
            }
            if (!st) {
                note_reg(c, VGT_SREG_PREDICATE, 0, false);
            }
        }
        for (unsigned i = 0; !st && i < info->src_count; i++) {
            uint32_t sat = p;
            st = read_src(c, &p, end, &in->src[i]);
            if (!st) {
                st = check_src(c, in, i, &in->src[i], sat);
            }
            if (!st) {
                note_reg(c, in->src[i].type, in->src[i].index, in->src[i].relative);
                if (in->src[i].relative) {
                    note_rel(c, &in->src[i].rel);
                }
            }
        }
        /* ps_1_x texture instructions sample the stage of their destination. */
        if (!st && (info->flags & VGT_SHADER_OPF_TEX) && c->ver < VGT_SHADER_V20 &&
            in->dst.index < 32) {
            c->sh->summary.samplers |= 1u << in->dst.index;
        }
    }
    if (st) {
        return st;
    }
    if (!c->sm1 && p != end) {
        return fail(c, VGT_SHADER_FAULT_LENGTH, VGT_E_INVALID, at,
                    "'%s': the length field says %u parameter token%s, the operands take %u",
                    c->op_name, length, vgt_plural(length), p - at - 1);
    }
    in->token_count = p - at;
    c->sh->insn_count++;
    if (info->flags & VGT_SHADER_OPF_FLOW) {
        c->sh->summary.has_flow = true;
    }
    st = flow(c, idx);
    if (st) {
        return st;
    }
    *pos = p;
    return VGT_OK;
}

/* ---- the stream ----------------------------------------------------------------- */

static vgt_status parse_all(pctx *c)
{
    vgt_shader *sh = c->sh;
    if (c->n == 0) {
        return fail(c, VGT_SHADER_FAULT_TRUNCATED, VGT_E_TRUNCATED, 0,
                    "no words (a shader starts with its version token)");
    }
    uint32_t vt = c->w[0];
    c->type = (vgt_shader_type)(vt >> 16);
    c->ver = vt & 0xFFFFu;
    if ((vt >> 16) != VGT_SHADER_VS && (vt >> 16) != VGT_SHADER_PS) {
        return fail(c, VGT_SHADER_FAULT_VERSION, VGT_E_INVALID, 0,
                    "not a shader version token (want 0xFFFE.... for vs, 0xFFFF.... for ps)");
    }
    c->model = vgt_shader_version_name(c->type, c->ver);
    if (!c->model) {
        return fail(c, VGT_SHADER_FAULT_VERSION, VGT_E_INVALID, 0,
                    "unsupported %s version %u.%u (supported: %s)",
                    c->type == VGT_SHADER_VS ? "vertex shader" : "pixel shader", c->ver >> 8,
                    c->ver & 0xFFu,
                    c->type == VGT_SHADER_VS ? "vs_1_1, vs_2_0, vs_2_x, vs_3_0"
                                             : "ps_1_1..ps_1_4, ps_2_0, ps_2_x, ps_3_0");
    }
    c->sm1 = c->ver < VGT_SHADER_V20;
    sh->type = c->type;
    sh->version = c->ver;
    sh->version_token = vt;

    uint32_t pos = 1;
    for (;;) {
        if (pos >= c->n) {
            return fail(c, VGT_SHADER_FAULT_NO_END, VGT_E_TRUNCATED, pos,
                        "missing end token (0x0000FFFF): the words end after %u token%s", pos,
                        vgt_plural(pos));
        }
        uint32_t t = c->w[pos];
        uint32_t op = t & 0xFFFFu;
        if (t == VGT_SHADER_END_TOKEN) {
            pos++;
            break;
        }
        if (op == VGT_SOP_END) {
            return fail(c, VGT_SHADER_FAULT_RESERVED, VGT_E_INVALID, pos,
                        "an end token must be exactly 0x0000FFFF");
        }
        if (op == VGT_SOP_COMMENT) {
            if (t & 0x80000000u) {
                return fail(c, VGT_SHADER_FAULT_RESERVED, VGT_E_INVALID, pos,
                            "comment token with bit 31 set");
            }
            uint32_t size = (t >> 16) & 0x7FFFu;
            if ((uint64_t)pos + 1 + size > c->n) {
                return fail(c, VGT_SHADER_FAULT_TRUNCATED, VGT_E_TRUNCATED, (uint32_t)c->n,
                            "the comment at token %u announces %u word%s, only %u follow%s", pos,
                            size, vgt_plural(size), (uint32_t)(c->n - pos - 1),
                            c->n - pos - 1 == 1 ? "s" : "");
            }
            if (sh->comment_count == c->comment_cap) {
                /* At most one block per word of the 65536 read: no overflow. */
                uint32_t cap = c->comment_cap ? c->comment_cap * 2 : 4;
                vgt_shader_comment *p = realloc(c->comments, (size_t)cap * sizeof(*p));
                if (!p) {
                    return vgt_error_set(c->err, VGT_E_NOMEM, "out of memory parsing a shader");
                }
                c->comments = p;
                c->comment_cap = cap;
            }
            c->comments[sh->comment_count] = (vgt_shader_comment){pos, sh->insn_count, size, NULL};
            sh->comment_count++;
            sh->comment_words += 1 + size;
            pos += 1 + size;
            continue;
        }
        vgt_status st = parse_insn(c, &pos);
        if (st) {
            return st;
        }
    }
    sh->token_count = pos;
    if (c->depth) {
        const block *b = &c->stack[c->depth - 1];
        const vgt_shader_insn *open = &sh->insns[b->insn];
        return fail(c, VGT_SHADER_FAULT_FLOW, VGT_E_INVALID, open->token_offset,
                    "the %s at token %u is not closed before the end token (missing %s)",
                    open->info->name, open->token_offset,
                    b->kind == BLOCK_LOOP  ? "endloop"
                    : b->kind == BLOCK_REP ? "endrep"
                                           : "endif");
    }
    for (uint32_t i = 0; i < sh->insn_count; i++) {
        vgt_shader_insn *in = &sh->insns[i];
        if (in->opcode == VGT_SOP_CALL || in->opcode == VGT_SOP_CALLNZ) {
            uint32_t l = in->src[0].index;
            if (c->labels[l] == UINT32_MAX) {
                c->op_name = in->info->name;
                return fail(c, VGT_SHADER_FAULT_FLOW, VGT_E_INVALID, in->token_offset,
                            "%s to l%u, which no label defines", in->info->name, l);
            }
            in->match = c->labels[l];
        }
    }
    return VGT_OK;
}

/* Copies the comment blocks' words and the words after the end token into
 * one block the shader owns, so that a listing can write them back
 * (VGT_SHADER_DIS_KEEP_COMMENTS) after the caller's words are gone. */
static vgt_status keep_words(pctx *c, size_t nwords)
{
    vgt_shader *sh = c->sh;
    size_t trailing = nwords - sh->token_count;
    if (trailing > UINT32_MAX) {
        return fail(c, VGT_SHADER_FAULT_TOO_BIG, VGT_E_RANGE, sh->token_count,
                    "%zu words after the end token (at most %u)", trailing, UINT32_MAX);
    }
    sh->trailing_words = (uint32_t)trailing;
    /* comment_words counts the comment tokens too; the payloads are fewer. */
    size_t total = (size_t)(sh->comment_words - sh->comment_count) + trailing;
    if (total == 0) {
        return VGT_OK;
    }
    uint32_t *data;
    if (trailing > SIZE_MAX / sizeof(*data) - (total - trailing) ||
        !(data = malloc(total * sizeof(*data)))) {
        return vgt_error_set(c->err, VGT_E_NOMEM, "out of memory keeping a shader's comments");
    }
    size_t k = 0;
    for (uint32_t i = 0; i < sh->comment_count; i++) {
        vgt_shader_comment *cm = &c->comments[i];
        memcpy(data + k, c->w + cm->token_offset + 1, (size_t)cm->size * sizeof(*data));
        cm->words = data + k;
        k += cm->size;
    }
    if (trailing) {
        /* Past the first 65536 words too: the parser stops reading there, but
         * the words are the caller's, nwords long. */
        memcpy(data + k, c->w + sh->token_count, trailing * sizeof(*data));
        sh->trailing = data + k;
    }
    return VGT_OK;
}

vgt_status vgt_shader_parse(const uint32_t *words, size_t nwords, vgt_shader **out,
                            vgt_shader_diag *diag, vgt_error *err)
{
    pctx c;
    memset(&c, 0, sizeof(c));
    if (out) {
        *out = NULL;
    }
    if (diag) {
        memset(diag, 0, sizeof(*diag));
    }
    if (!words && nwords) {
        return vgt_error_set(err, VGT_E_INVALID, "vgt_shader_parse: NULL words");
    }
    c.w = words;
    /* Never look further than the cap: a stream longer than that must still
     * end (with its end token) inside it. */
    c.n = nwords > VGT_SHADER_MAX_TOKENS ? VGT_SHADER_MAX_TOKENS : nwords;
    c.diag = diag;
    c.err = err;
    c.op_name = "?";
    c.sh = calloc(1, sizeof(*c.sh));
    c.labels = malloc(LABEL_MAX * sizeof(*c.labels));
    if (!c.sh || !c.labels) {
        free(c.sh);
        free(c.labels);
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory parsing a shader");
    }
    memset(c.labels, 0xFF, LABEL_MAX * sizeof(*c.labels));
    vgt_status st = parse_all(&c);
    c.sh->comments = c.comments; /* freed with the shader from here on */
    if (st == VGT_OK) {
        st = keep_words(&c, nwords);
    } else if (st == VGT_E_TRUNCATED && c.n < nwords && c.fault == VGT_SHADER_FAULT_NO_END) {
        /* The words go on, but past the cap. */
        st = fail(&c, VGT_SHADER_FAULT_TOO_BIG, VGT_E_RANGE, (uint32_t)c.n,
                  "no end token within the first %u words (the largest shader accepted)",
                  VGT_SHADER_MAX_TOKENS);
    } else if (st == VGT_E_TRUNCATED && c.n < nwords) {
        st = fail(&c, VGT_SHADER_FAULT_TOO_BIG, VGT_E_RANGE, (uint32_t)c.n,
                  "an instruction crosses word %u (the largest shader accepted)",
                  VGT_SHADER_MAX_TOKENS);
    }
    free(c.labels);
    if (st) {
        vgt_shader_free(c.sh);
        return st;
    }
    if (out) {
        *out = c.sh;
    } else {
        vgt_shader_free(c.sh);
    }
    return VGT_OK;
}

void vgt_shader_free(vgt_shader *sh)
{
    if (sh) {
        free(sh->insns);
        /* keep_words' one block starts at the first comment's words, or at
         * the trailing words when there is no comment (NULL: none kept). */
        free((void *)(sh->comment_count && sh->comments ? sh->comments[0].words : sh->trailing));
        free((void *)sh->comments);
        free(sh);
    }
}

vgt_status vgt_shader_validate(const uint32_t *words, size_t nwords, vgt_shader_diag *diag,
                               vgt_error *err)
{
    return vgt_shader_parse(words, nwords, NULL, diag, err);
}
