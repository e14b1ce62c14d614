/* shader_asm.c - D3D shader assembly text -> bytecode tokens.  Accepts what
 * shader_disasm.c writes (plus a few common spellings: rgba masks, c[a0.x + n],
 * texcrd/texcoord, tex/texld), then validates the result with the parser. */
#include "vgt_shader.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct line_map {
    uint32_t token; /* first token of the statement */
    uint32_t line;
    uint32_t column;
} line_map;

typedef struct actx {
    vgt_shader_diag *diag;
    vgt_error *err;
    uint32_t line;
    const char *line_start;
    uint32_t *out;
    size_t n, cap;
    line_map *map;
    size_t nmap, mapcap;
    bool have_version;
    vgt_shader_type type;
    uint32_t ver;
    bool sm1;
    /* `comment` and `trailing` statements (docs/shaders.md): what a line
     * that starts with a hex word continues. */
    enum { CONT_NONE, CONT_COMMENT, CONT_TRAILING } cont;
    size_t comment_at; /* the open comment block's token in out */
    uint32_t *trail;   /* the words after the end token */
    size_t ntrail, trailcap;
    uint32_t trailing_line; /* the `trailing` statement's line; 0: none */
} actx;

static vgt_status aerr(actx *a, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static vgt_status aerr(actx *a, const char *at, const char *fmt, ...)
{
    char what[VGT_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    uint32_t col =
        at && a->line_start && at >= a->line_start ? (uint32_t)(at - a->line_start) + 1u : 1u;
    if (a->diag) {
        a->diag->fault = VGT_SHADER_FAULT_SYNTAX;
        a->diag->token = (uint32_t)a->n;
        a->diag->line = a->line;
        a->diag->column = col;
    }
    return vgt_error_set(a->err, VGT_E_INVALID, "%u:%u: %s", a->line, col, what);
}

static vgt_status emit(actx *a, uint32_t tok)
{
    if (a->n >= VGT_SHADER_MAX_TOKENS) {
        return aerr(a, NULL, "the shader is longer than %u tokens", VGT_SHADER_MAX_TOKENS);
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        uint32_t *p = realloc(a->out, cap * sizeof(*p));
        if (!p) {
            return vgt_error_set(a->err, VGT_E_NOMEM, "out of memory assembling a shader");
        }
        a->out = p;
        a->cap = cap;
    }
    a->out[a->n++] = tok;
    return VGT_OK;
}

static vgt_status map_line(actx *a, uint32_t col)
{
    if (a->nmap == a->mapcap) {
        size_t cap = a->mapcap ? a->mapcap * 2 : 64;
        line_map *p = realloc(a->map, cap * sizeof(*p));
        if (!p) {
            return vgt_error_set(a->err, VGT_E_NOMEM, "out of memory assembling a shader");
        }
        a->map = p;
        a->mapcap = cap;
    }
    a->map[a->nmap++] = (line_map){(uint32_t)a->n, a->line, col};
    return VGT_OK;
}

/* ---- lexing helpers ----------------------------------------------------------- */

typedef struct cur {
    const char *p;
    const char *e;
} cur;

static void skip_ws(cur *c)
{
    while (c->p < c->e && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r')) {
        c->p++;
    }
}

static bool eat(cur *c, char ch)
{
    skip_ws(c);
    if (c->p < c->e && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

static bool word_eq(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (n != m) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (tolower((unsigned char)s[i]) != tolower((unsigned char)lit[i])) {
            return false;
        }
    }
    return true;
}

/* Reads a run of [A-Za-z]; returns its length. */
static size_t alpha_run(const cur *c)
{
    size_t n = 0;
    while (c->p + n < c->e && isalpha((unsigned char)c->p[n])) {
        n++;
    }
    return n;
}

/* Reads decimal digits into *v (<= max); false when there are none. */
static bool read_uint(actx *a, cur *c, uint32_t max, uint32_t *v, vgt_status *st)
{
    const char *s = c->p;
    uint64_t x = 0;
    while (c->p < c->e && isdigit((unsigned char)*c->p)) {
        x = x * 10 + (uint64_t)(*c->p - '0');
        if (x > max) {
            *st = aerr(a, s, "number too large (at most %u)", max);
            return false;
        }
        c->p++;
    }
    *v = (uint32_t)x;
    *st = VGT_OK;
    return c->p > s;
}

/* ---- registers ---------------------------------------------------------------- */

typedef struct reg_name {
    const char *name;
    uint8_t type;
    int8_t fixed;  /* >= 0: unnumbered, this index */
    uint8_t kinds; /* 1: vs, 2: ps */
} reg_name;

static const reg_name reg_names[] = {
    {"r", VGT_SREG_TEMP, -1, 3},        {"v", VGT_SREG_INPUT, -1, 3},
    {"c", VGT_SREG_CONST, -1, 3},       {"a", VGT_SREG_ADDR, -1, 1},
    {"t", VGT_SREG_TEXTURE, -1, 2},     {"oPos", VGT_SREG_RASTOUT, 0, 1},
    {"oFog", VGT_SREG_RASTOUT, 1, 1},   {"oPts", VGT_SREG_RASTOUT, 2, 1},
    {"oD", VGT_SREG_ATTROUT, -1, 1},    {"oT", VGT_SREG_TEXCRDOUT, -1, 1},
    {"o", VGT_SREG_OUTPUT, -1, 1},      {"i", VGT_SREG_CONSTINT, -1, 3},
    {"oC", VGT_SREG_COLOROUT, -1, 2},   {"oDepth", VGT_SREG_DEPTHOUT, 0, 2},
    {"s", VGT_SREG_SAMPLER, -1, 3},     {"b", VGT_SREG_CONSTBOOL, -1, 3},
    {"aL", VGT_SREG_LOOP, 0, 3},        {"vPos", VGT_SREG_MISCTYPE, 0, 2},
    {"vFace", VGT_SREG_MISCTYPE, 1, 2}, {"l", VGT_SREG_LABEL, -1, 3},
    {"p", VGT_SREG_PREDICATE, -1, 3},
};

typedef struct areg {
    uint32_t type;
    uint32_t index;
    bool relative;
    uint32_t rel_type;
    uint8_t rel_swizzle;
} areg;

static vgt_status parse_swizzle(actx *a, cur *c, uint8_t *swz);

/* Parses "[a0.x]", "[aL]", "[a0.x + 5]", "[5 + a0.x]" after a register. */
static vgt_status parse_rel(actx *a, cur *c, areg *r, bool index_given)
{
    const char *open = c->p - 1;
    bool have_reg = false;
    for (;;) {
        skip_ws(c);
        const char *s = c->p;
        if (c->p < c->e && isdigit((unsigned char)*c->p)) {
            uint32_t v = 0;
            vgt_status st;
            read_uint(a, c, 2047, &v, &st);
            if (st) {
                return st;
            }
            r->index += v;
            index_given = true;
        } else {
            size_t n = alpha_run(c);
            if (have_reg) {
                return aerr(a, s, "a relative address has one register");
            }
            if (word_eq(c->p, n, "aL")) {
                c->p += n;
                r->rel_type = VGT_SREG_LOOP;
                r->rel_swizzle = VGT_SHADER_SWIZZLE_IDENTITY;
                if (c->p < c->e && *c->p == '.') {
                    vgt_status st = parse_swizzle(a, c, &r->rel_swizzle);
                    if (st) {
                        return st;
                    }
                }
            } else if (word_eq(c->p, n, "a") && c->p + 1 < c->e && c->p[1] == '0') {
                c->p += 2;
                r->rel_type = VGT_SREG_ADDR;
                r->rel_swizzle = 0; /* a0.x */
                if (c->p < c->e && *c->p == '.') {
                    const char *d = c->p;
                    uint8_t swz;
                    vgt_status st = parse_swizzle(a, c, &swz);
                    if (st) {
                        return st;
                    }
                    unsigned x = swz & 3u;
                    if (swz != (uint8_t)(x | x << 2 | x << 4 | x << 6)) {
                        return aerr(a, d, "a0 in an index selects one component (a0.x)");
                    }
                    r->rel_swizzle = swz;
                }
            } else {
                return aerr(a, s, "expected a0.<component>, aL or a number in [...]");
            }
            have_reg = true;
        }
        skip_ws(c);
        if (c->p < c->e && *c->p == '+') {
            c->p++;
            continue;
        }
        if (c->p < c->e && *c->p == ']') {
            c->p++;
            break;
        }
        return aerr(a, c->p, "expected '+' or ']' in a relative address");
    }
    if (!have_reg) {
        return aerr(a, open, "a relative address needs a0 or aL");
    }
    if (!index_given) {
        return aerr(a, open, "a relatively addressed register needs a base number");
    }
    if (r->index > 2047) {
        return aerr(a, open, "register number %u too large", r->index);
    }
    r->relative = true;
    return VGT_OK;
}

static vgt_status parse_reg(actx *a, cur *c, areg *r)
{
    memset(r, 0, sizeof(*r));
    skip_ws(c);
    const char *s = c->p;
    size_t n = alpha_run(c);
    const reg_name *rn = NULL;
    unsigned kind = a->type == VGT_SHADER_VS ? 1u : 2u;
    for (size_t i = 0; i < sizeof(reg_names) / sizeof(reg_names[0]); i++) {
        if ((reg_names[i].kinds & kind) && word_eq(s, n, reg_names[i].name)) {
            rn = &reg_names[i];
            break;
        }
    }
    if (!rn) {
        if (n == 0) {
            return aerr(a, s, "expected a register");
        }
        return aerr(a, s, "unknown register '%.*s' in a %s shader", (int)n, s,
                    a->type == VGT_SHADER_VS ? "vertex" : "pixel");
    }
    c->p += n;
    r->type = rn->type;
    bool index_given = false;
    if (rn->fixed >= 0) {
        r->index = (uint32_t)rn->fixed;
        index_given = true;
        if (c->p < c->e && isdigit((unsigned char)*c->p)) {
            return aerr(a, c->p, "%s takes no number", rn->name);
        }
    } else {
        vgt_status st;
        index_given = read_uint(a, c, 2047, &r->index, &st);
        if (st) {
            return st;
        }
    }
    if (c->p < c->e && *c->p == '[') {
        c->p++;
        return parse_rel(a, c, r, index_given);
    }
    if (!index_given) {
        return aerr(a, c->p, "register %s needs a number", rn->name);
    }
    return VGT_OK;
}

static int comp_index(char ch)
{
    switch (tolower((unsigned char)ch)) {
    case 'x':
    case 'r':
        return 0;
    case 'y':
    case 'g':
        return 1;
    case 'z':
    case 'b':
        return 2;
    case 'w':
    case 'a':
        return 3;
    default:
        return -1;
    }
}

/* ".xy" -> xyyy (the last letter repeats).  c->p is at the '.'. */
static vgt_status parse_swizzle(actx *a, cur *c, uint8_t *swz)
{
    const char *dot = c->p++;
    int comps[4];
    unsigned n = 0;
    while (c->p < c->e && isalpha((unsigned char)*c->p)) {
        int k = comp_index(*c->p);
        if (k < 0 || n == 4) {
            return aerr(a, c->p, "bad swizzle (up to four of x, y, z, w or r, g, b, a)");
        }
        comps[n++] = k;
        c->p++;
    }
    if (n == 0) {
        return aerr(a, dot, "empty swizzle");
    }
    uint8_t s = 0;
    for (unsigned i = 0; i < 4; i++) {
        s |= (uint8_t)(comps[i < n ? i : n - 1] << (2 * i));
    }
    *swz = s;
    return VGT_OK;
}

static uint32_t reg_bits(uint32_t type, uint32_t index)
{
    return 0x80000000u | (index & 0x7FFu) | ((type & 7u) << 28) | ((type & 0x18u) << 8);
}

static vgt_status emit_rel(actx *a, const areg *r, const char *at)
{
    if (a->sm1) {
        if (r->rel_type != VGT_SREG_ADDR || r->rel_swizzle != 0) {
            return aerr(a, at, "shader model 1 indexes with a0.x only");
        }
        return VGT_OK;
    }
    return emit(a, reg_bits(r->rel_type, 0) | ((uint32_t)r->rel_swizzle << 16));
}

/* A destination: reg[rel].mask */
static vgt_status parse_dst(actx *a, cur *c, uint32_t mod, uint32_t shift)
{
    areg r;
    skip_ws(c);
    const char *s = c->p;
    vgt_status st = parse_reg(a, c, &r);
    if (st) {
        return st;
    }
    uint32_t mask = 0xF;
    if (c->p < c->e && *c->p == '.') {
        const char *dot = c->p++;
        mask = 0;
        int last = -1;
        while (c->p < c->e && isalpha((unsigned char)*c->p)) {
            int k = comp_index(*c->p);
            if (k <= last) {
                return aerr(a, c->p, "bad write mask (x, y, z, w in order, each once)");
            }
            mask |= 1u << k;
            last = k;
            c->p++;
        }
        if (!mask) {
            return aerr(a, dot, "empty write mask");
        }
    }
    st = emit(a, reg_bits(r.type, r.index) | (r.relative ? 0x2000u : 0) | (mask << 16) |
                     (mod << 20) | ((shift & 0xFu) << 24));
    if (!st && r.relative) {
        st = emit_rel(a, &r, s);
    }
    return st;
}

/* A source: [-|1-|!]reg[rel][_mod][.swizzle] */
static vgt_status parse_src(actx *a, cur *c)
{
    skip_ws(c);
    const char *s = c->p;
    bool neg = false, comp = false, not = false;
    if (c->p < c->e && *c->p == '-') {
        neg = true;
        c->p++;
    } else if (c->p < c->e && *c->p == '!') {
        not = true;
        c->p++;
    } else if (c->p + 1 < c->e && c->p[0] == '1') {
        cur t = {c->p + 1, c->e};
        skip_ws(&t);
        if (t.p < t.e && *t.p == '-') {
            comp = true;
            c->p = t.p + 1;
        }
    }
    areg r;
    vgt_status st = parse_reg(a, c, &r);
    if (st) {
        return st;
    }
    uint32_t mod = neg ? VGT_SMOD_NEG : comp ? VGT_SMOD_COMP : not ? VGT_SMOD_NOT : VGT_SMOD_NONE;
    uint8_t swz = VGT_SHADER_SWIZZLE_IDENTITY;
    bool have_suffix = false, have_swz = false;
    for (;;) {
        if (c->p < c->e && *c->p == '_' && !have_suffix) {
            const char *u = c->p++;
            size_t n = 0;
            while (c->p + n < c->e && isalnum((unsigned char)c->p[n])) {
                n++;
            }
            uint32_t base;
            if (word_eq(c->p, n, "bias")) {
                base = VGT_SMOD_BIAS;
            } else if (word_eq(c->p, n, "bx2")) {
                base = VGT_SMOD_SIGN;
            } else if (word_eq(c->p, n, "x2")) {
                base = VGT_SMOD_X2;
            } else if (word_eq(c->p, n, "dz") || word_eq(c->p, n, "db")) {
                base = VGT_SMOD_DZ;
            } else if (word_eq(c->p, n, "dw") || word_eq(c->p, n, "da")) {
                base = VGT_SMOD_DW;
            } else if (word_eq(c->p, n, "abs")) {
                base = VGT_SMOD_ABS;
            } else {
                return aerr(a, u, "unknown source modifier '_%.*s'", (int)n, c->p);
            }
            c->p += n;
            if (comp || not || (neg && (base == VGT_SMOD_DZ || base == VGT_SMOD_DW))) {
                return aerr(a, s, "this combination of source modifiers does not exist");
            }
            mod = base + (neg ? 1u : 0u);
            have_suffix = true;
        } else if (c->p < c->e && *c->p == '.' && !have_swz) {
            st = parse_swizzle(a, c, &swz);
            if (st) {
                return st;
            }
            have_swz = true;
        } else {
            break;
        }
    }
    st = emit(a, reg_bits(r.type, r.index) | (r.relative ? 0x2000u : 0) | ((uint32_t)swz << 16) |
                     (mod << 24));
    if (!st && r.relative) {
        st = emit_rel(a, &r, s);
    }
    return st;
}

/* ---- mnemonics ---------------------------------------------------------------- */

typedef struct mnem {
    const char *name;
    uint16_t opcode;
    uint8_t control;
} mnem;

static const mnem mnems[] = {
    {"nop", VGT_SOP_NOP, 0},
    {"mov", VGT_SOP_MOV, 0},
    {"add", VGT_SOP_ADD, 0},
    {"sub", VGT_SOP_SUB, 0},
    {"mad", VGT_SOP_MAD, 0},
    {"mul", VGT_SOP_MUL, 0},
    {"rcp", VGT_SOP_RCP, 0},
    {"rsq", VGT_SOP_RSQ, 0},
    {"dp3", VGT_SOP_DP3, 0},
    {"dp4", VGT_SOP_DP4, 0},
    {"min", VGT_SOP_MIN, 0},
    {"max", VGT_SOP_MAX, 0},
    {"slt", VGT_SOP_SLT, 0},
    {"sge", VGT_SOP_SGE, 0},
    {"exp", VGT_SOP_EXP, 0},
    {"log", VGT_SOP_LOG, 0},
    {"lit", VGT_SOP_LIT, 0},
    {"dst", VGT_SOP_DST, 0},
    {"lrp", VGT_SOP_LRP, 0},
    {"frc", VGT_SOP_FRC, 0},
    {"m4x4", VGT_SOP_M4X4, 0},
    {"m4x3", VGT_SOP_M4X3, 0},
    {"m3x4", VGT_SOP_M3X4, 0},
    {"m3x3", VGT_SOP_M3X3, 0},
    {"m3x2", VGT_SOP_M3X2, 0},
    {"call", VGT_SOP_CALL, 0},
    {"callnz", VGT_SOP_CALLNZ, 0},
    {"loop", VGT_SOP_LOOP, 0},
    {"ret", VGT_SOP_RET, 0},
    {"endloop", VGT_SOP_ENDLOOP, 0},
    {"label", VGT_SOP_LABEL, 0},
    {"dcl", VGT_SOP_DCL, 0},
    {"pow", VGT_SOP_POW, 0},
    {"crs", VGT_SOP_CRS, 0},
    {"sgn", VGT_SOP_SGN, 0},
    {"abs", VGT_SOP_ABS, 0},
    {"nrm", VGT_SOP_NRM, 0},
    {"sincos", VGT_SOP_SINCOS, 0},
    {"rep", VGT_SOP_REP, 0},
    {"endrep", VGT_SOP_ENDREP, 0},
    {"if", VGT_SOP_IF, 0},
    {"else", VGT_SOP_ELSE, 0},
    {"endif", VGT_SOP_ENDIF, 0},
    {"break", VGT_SOP_BREAK, 0},
    {"mova", VGT_SOP_MOVA, 0},
    {"defb", VGT_SOP_DEFB, 0},
    {"defi", VGT_SOP_DEFI, 0},
    {"texcoord", VGT_SOP_TEXCOORD, 0},
    {"texcrd", VGT_SOP_TEXCOORD, 0},
    {"texkill", VGT_SOP_TEXKILL, 0},
    {"tex", VGT_SOP_TEX, 0},
    {"texld", VGT_SOP_TEX, 0},
    {"texldp", VGT_SOP_TEX, VGT_SHADER_TEX_PROJECT},
    {"texldb", VGT_SOP_TEX, VGT_SHADER_TEX_BIAS},
    {"texbem", VGT_SOP_TEXBEM, 0},
    {"texbeml", VGT_SOP_TEXBEML, 0},
    {"texreg2ar", VGT_SOP_TEXREG2AR, 0},
    {"texreg2gb", VGT_SOP_TEXREG2GB, 0},
    {"texm3x2pad", VGT_SOP_TEXM3X2PAD, 0},
    {"texm3x2tex", VGT_SOP_TEXM3X2TEX, 0},
    {"texm3x3pad", VGT_SOP_TEXM3X3PAD, 0},
    {"texm3x3tex", VGT_SOP_TEXM3X3TEX, 0},
    {"texm3x3spec", VGT_SOP_TEXM3X3SPEC, 0},
    {"texm3x3vspec", VGT_SOP_TEXM3X3VSPEC, 0},
    {"expp", VGT_SOP_EXPP, 0},
    {"logp", VGT_SOP_LOGP, 0},
    {"cnd", VGT_SOP_CND, 0},
    {"def", VGT_SOP_DEF, 0},
    {"texreg2rgb", VGT_SOP_TEXREG2RGB, 0},
    {"texdp3tex", VGT_SOP_TEXDP3TEX, 0},
    {"texm3x2depth", VGT_SOP_TEXM3X2DEPTH, 0},
    {"texdp3", VGT_SOP_TEXDP3, 0},
    {"texm3x3", VGT_SOP_TEXM3X3, 0},
    {"texdepth", VGT_SOP_TEXDEPTH, 0},
    {"cmp", VGT_SOP_CMP, 0},
    {"bem", VGT_SOP_BEM, 0},
    {"dp2add", VGT_SOP_DP2ADD, 0},
    {"dsx", VGT_SOP_DSX, 0},
    {"dsy", VGT_SOP_DSY, 0},
    {"texldd", VGT_SOP_TEXLDD, 0},
    {"setp", VGT_SOP_SETP, 0},
    {"texldl", VGT_SOP_TEXLDL, 0},
    {"breakp", VGT_SOP_BREAKP, 0},
    {"phase", VGT_SOP_PHASE, 0},
};

static const char *const cmp_words[] = {NULL, "gt", "eq", "ge", "lt", "ne", "le"};

typedef struct opts {
    uint32_t opcode;
    uint32_t control;
    uint32_t dst_mod;
    uint32_t shift; /* 4-bit field value */
    bool have_shift;
    uint32_t usage, usage_index, sampler_type;
    bool have_usage;
} opts;

/* Parses the '_' suffixes of a mnemonic (s, n: the text after the base). */
static vgt_status parse_suffixes(actx *a, const char *s, size_t n, opts *o)
{
    size_t i = 0;
    bool first = true;
    while (i < n) {
        /* s[i] == '_' */
        const char *part = s + i + 1;
        size_t m = 0;
        while (i + 1 + m < n && part[m] != '_') {
            m++;
        }
        i += 1 + m;
        if (m == 0) {
            return aerr(a, part - 1, "empty suffix");
        }
        bool done = false;
        if ((o->opcode == VGT_SOP_IF || o->opcode == VGT_SOP_BREAK || o->opcode == VGT_SOP_SETP) &&
            o->control == 0) {
            for (uint32_t k = 1; k <= 6; k++) {
                if (word_eq(part, m, cmp_words[k])) {
                    o->control = k;
                    o->opcode = o->opcode == VGT_SOP_IF      ? VGT_SOP_IFC
                                : o->opcode == VGT_SOP_BREAK ? VGT_SOP_BREAKC
                                                             : VGT_SOP_SETP;
                    done = true;
                }
            }
        }
        if (!done && o->opcode == VGT_SOP_DCL && first) {
            if (word_eq(part, m, "2d") || word_eq(part, m, "cube") || word_eq(part, m, "volume")) {
                o->sampler_type = word_eq(part, m, "2d")     ? VGT_SSAMPLER_2D
                                  : word_eq(part, m, "cube") ? VGT_SSAMPLER_CUBE
                                                             : VGT_SSAMPLER_VOLUME;
                o->have_usage = true;
                done = true;
            } else {
                size_t k = 0;
                while (k < m && isalpha((unsigned char)part[k])) {
                    k++;
                }
                for (uint32_t u = 0; u < VGT_SUSAGE_COUNT && !done; u++) {
                    if (word_eq(part, k, vgt_shader_usage_name(u))) {
                        uint32_t idx = 0;
                        for (size_t d = k; d < m; d++) {
                            if (!isdigit((unsigned char)part[d]) || idx > 15) {
                                return aerr(a, part, "bad usage index in '_%.*s' (0..15)", (int)m,
                                            part);
                            }
                            idx = idx * 10 + (uint32_t)(part[d] - '0');
                        }
                        if (idx > 15) {
                            return aerr(a, part, "usage index %u too large (0..15)", idx);
                        }
                        o->usage = u;
                        o->usage_index = idx;
                        o->have_usage = true;
                        done = true;
                    }
                }
            }
        }
        first = false;
        if (done) {
            continue;
        }
        if (word_eq(part, m, "sat")) {
            o->dst_mod |= VGT_SHADER_DSTMOD_SATURATE;
        } else if (word_eq(part, m, "pp")) {
            o->dst_mod |= VGT_SHADER_DSTMOD_PP;
        } else if (word_eq(part, m, "centroid")) {
            o->dst_mod |= VGT_SHADER_DSTMOD_CENTROID;
        } else if (!o->have_shift &&
                   (word_eq(part, m, "x2") || word_eq(part, m, "x4") || word_eq(part, m, "x8") ||
                    word_eq(part, m, "d2") || word_eq(part, m, "d4") || word_eq(part, m, "d8"))) {
            int k = part[1] == '2' ? 1 : part[1] == '4' ? 2 : 3;
            o->shift = tolower((unsigned char)part[0]) == 'x' ? (uint32_t)k : (uint32_t)(16 - k);
            o->have_shift = true;
        } else {
            return aerr(a, part - 1, "unknown suffix '_%.*s'", (int)m, part);
        }
    }
    if (o->opcode == VGT_SOP_SETP && o->control == 0) {
        return aerr(a, s, "setp needs a comparison (setp_gt, _eq, _ge, _lt, _ne, _le)");
    }
    return VGT_OK;
}

/* ---- immediates ---------------------------------------------------------------- */

/* Reads one comma-free field [p, e) (trimmed). */
static void field(cur *c, const char **fs, size_t *fn)
{
    skip_ws(c);
    const char *s = c->p;
    while (c->p < c->e && *c->p != ',') {
        c->p++;
    }
    const char *e = c->p;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) {
        e--;
    }
    *fs = s;
    *fn = (size_t)(e - s);
}

static vgt_status parse_imm(actx *a, cur *c, uint32_t opcode, uint32_t *out)
{
    const char *s;
    size_t n;
    field(c, &s, &n);
    char buf[64];
    if (n == 0 || n >= sizeof(buf)) {
        return aerr(a, s, "expected a number");
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    if (n > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
        unsigned long long v = strtoull(buf + 2, &end, 16);
        if (*end || errno || v > 0xFFFFFFFFull || end == buf + 2) {
            return aerr(a, s, "bad hexadecimal number '%s'", buf);
        }
        *out = (uint32_t)v;
        return VGT_OK;
    }
    if (opcode == VGT_SOP_DEF) {
        float f = strtof(buf, &end);
        if (*end || end == buf) {
            return aerr(a, s, "bad number '%s'", buf);
        }
        memcpy(out, &f, sizeof(f));
        return VGT_OK;
    }
    if (opcode == VGT_SOP_DEFB && (word_eq(buf, n, "true") || word_eq(buf, n, "false"))) {
        *out = word_eq(buf, n, "true") ? 1u : 0u;
        return VGT_OK;
    }
    long long v = strtoll(buf, &end, 10);
    if (*end || end == buf || errno || v < INT32_MIN || v > (long long)UINT32_MAX ||
        (opcode == VGT_SOP_DEFB && v < 0)) {
        return aerr(a, s, "bad integer '%s'", buf);
    }
    *out = (uint32_t)(int64_t)v;
    return VGT_OK;
}

/* ---- statements ----------------------------------------------------------------- */

static vgt_status expect_comma(actx *a, cur *c)
{
    if (!eat(c, ',')) {
        skip_ws(c);
        return aerr(a, c->p, c->p < c->e ? "expected ','" : "missing operand");
    }
    return VGT_OK;
}

static vgt_status parse_version(actx *a, cur *c)
{
    skip_ws(c);
    const char *s = c->p;
    size_t n = 0;
    while (c->p + n < c->e && (isalnum((unsigned char)c->p[n]) || c->p[n] == '_')) {
        n++;
    }
    static const vgt_shader_type types[2] = {VGT_SHADER_VS, VGT_SHADER_PS};
    static const uint32_t vers[] = {VGT_SHADER_V11, VGT_SHADER_V12, VGT_SHADER_V13, VGT_SHADER_V14,
                                    VGT_SHADER_V20, VGT_SHADER_V2X, VGT_SHADER_V30};
    for (unsigned t = 0; t < 2; t++) {
        for (unsigned v = 0; v < sizeof(vers) / sizeof(vers[0]); v++) {
            const char *name = vgt_shader_version_name(types[t], vers[v]);
            if (name && word_eq(s, n, name)) {
                a->type = types[t];
                a->ver = vers[v];
                a->sm1 = vers[v] < VGT_SHADER_V20;
                a->have_version = true;
                c->p += n;
                return emit(a, ((uint32_t)types[t] << 16) | vers[v]);
            }
        }
    }
    return aerr(a, s,
                "expected the shader version first (vs_1_1, vs_2_0, vs_2_x, vs_3_0, ps_1_1 .. "
                "ps_1_4, ps_2_0, ps_2_x, ps_3_0)");
}

/* ---- comment blocks and trailing words --------------------------------------------- */

#define COMMENT_MAX_WORDS 0x7FFFu /* the 15-bit size field of a comment token */

/* Adds one word to the open `comment` block or to the trailing words. */
static vgt_status add_word(actx *a, const char *at, uint32_t v)
{
    if (a->cont == CONT_COMMENT) {
        size_t size = a->n - a->comment_at - 1;
        if (size >= COMMENT_MAX_WORDS) {
            return aerr(a, at,
                        "a comment block holds at most %u words (its token's 15-bit size "
                        "field); start another 'comment' for the rest",
                        COMMENT_MAX_WORDS);
        }
        vgt_status st = emit(a, v);
        if (st) {
            return st;
        }
        a->out[a->comment_at] = (uint32_t)(size + 1) << 16 | VGT_SOP_COMMENT;
        return VGT_OK;
    }
    /* Trailing words are not capped by VGT_SHADER_MAX_TOKENS (the parser
     * reads none of them); the text's length bounds them, and the count must
     * fit vgt_shader.trailing_words. */
    if (a->ntrail >= UINT32_MAX) {
        return aerr(a, at, "more than %u words after the end token", UINT32_MAX);
    }
    if (a->ntrail == a->trailcap) {
        size_t cap = a->trailcap ? a->trailcap * 2 : 64;
        uint32_t *p = realloc(a->trail, cap * sizeof(*p));
        if (!p) {
            return vgt_error_set(a->err, VGT_E_NOMEM, "out of memory assembling a shader");
        }
        a->trail = p;
        a->trailcap = cap;
    }
    a->trail[a->ntrail++] = v;
    return VGT_OK;
}

/* Reads the hex words of the rest of the line: 0x followed by 1 to 8 hex
 * digits each, separated by blanks. */
static vgt_status parse_words(actx *a, cur *c)
{
    for (;;) {
        skip_ws(c);
        if (c->p >= c->e) {
            return VGT_OK;
        }
        const char *s = c->p;
        if (c->e - s < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') ||
            !isxdigit((unsigned char)s[2])) {
            return aerr(a, s, "expected a hex word (0x followed by 1 to 8 hex digits)");
        }
        c->p += 2;
        uint32_t v = 0;
        unsigned digits = 0;
        while (c->p < c->e && isxdigit((unsigned char)*c->p)) {
            if (++digits > 8) {
                return aerr(a, s, "a word has at most 8 hex digits (32 bits)");
            }
            int ch = tolower((unsigned char)*c->p);
            v = v << 4 | (uint32_t)(ch <= '9' ? ch - '0' : ch - 'a' + 10);
            c->p++;
        }
        if (c->p < c->e && *c->p != ' ' && *c->p != '\t' && *c->p != '\r') {
            return aerr(a, c->p, "unexpected '%c' in a hex word", *c->p);
        }
        vgt_status st = add_word(a, s, v);
        if (st) {
            return st;
        }
    }
}

/* True when the statement is the keyword `kw` (a whole word). */
static bool keyword(const cur *c, const char *kw)
{
    size_t n = 0;
    while (c->p + n < c->e && (isalnum((unsigned char)c->p[n]) || c->p[n] == '_')) {
        n++;
    }
    return word_eq(c->p, n, kw);
}

static vgt_status parse_statement(actx *a, cur *c);

/* One line after the version: a `comment` or `trailing` statement, the hex
 * words that continue one, or an instruction. */
static vgt_status parse_line(actx *a, cur *c)
{
    skip_ws(c);
    const char *s = c->p;
    if (c->e - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        if (a->cont == CONT_NONE) {
            return aerr(a, s,
                        "a line of hex words continues a 'comment' or 'trailing' line; an "
                        "instruction or the version comes before this one");
        }
        return parse_words(a, c);
    }
    bool is_comment = keyword(c, "comment"), is_trailing = keyword(c, "trailing");
    if (a->trailing_line && !is_trailing) {
        return aerr(a, s, "%s after 'trailing' (line %u): the words after the end token come last",
                    is_comment ? "a comment block" : "an instruction", a->trailing_line);
    }
    if (is_comment) {
        c->p += strlen("comment");
        vgt_status st = map_line(a, (uint32_t)(s - a->line_start) + 1u);
        if (!st) {
            a->comment_at = a->n;
            st = emit(a, VGT_SOP_COMMENT); /* size 0 until its words come */
        }
        if (st) {
            return st;
        }
        a->cont = CONT_COMMENT;
        return parse_words(a, c);
    }
    if (is_trailing) {
        /* The syntax has one `trailing`, last: a second one would append
         * its words silently, and a listing never writes two. */
        if (a->trailing_line) {
            return aerr(a, s,
                        "a second 'trailing' (the first is line %u): the words after the end "
                        "token are one statement; continue it on lines that start with 0x",
                        a->trailing_line);
        }
        c->p += strlen("trailing");
        a->trailing_line = a->line;
        a->cont = CONT_TRAILING;
        return parse_words(a, c);
    }
    a->cont = CONT_NONE;
    return parse_statement(a, c);
}

static vgt_status parse_statement(actx *a, cur *c)
{
    skip_ws(c);
    const char *stmt = c->p;
    vgt_status st = map_line(a, (uint32_t)(stmt - a->line_start) + 1u);
    if (st) {
        return st;
    }
    bool coissue = false, predicated = false;
    cur pred = {NULL, NULL};
    if (*c->p == '+') {
        coissue = true;
        c->p++;
        skip_ws(c);
    }
    if (c->p < c->e && *c->p == '(') {
        const char *close = memchr(c->p, ')', (size_t)(c->e - c->p));
        if (!close) {
            return aerr(a, c->p, "missing ')' after the predicate");
        }
        pred.p = c->p + 1;
        pred.e = close;
        predicated = true;
        c->p = close + 1;
        skip_ws(c);
    }
    const char *ms = c->p;
    size_t mn = 0;
    while (c->p + mn < c->e && (isalnum((unsigned char)c->p[mn]) || c->p[mn] == '_')) {
        mn++;
    }
    if (mn == 0) {
        return aerr(a, ms, "expected an instruction");
    }
    c->p += mn;
    size_t base = 0;
    while (base < mn && ms[base] != '_') {
        base++;
    }
    const mnem *m = NULL;
    for (size_t i = 0; i < sizeof(mnems) / sizeof(mnems[0]); i++) {
        if (word_eq(ms, base, mnems[i].name)) {
            m = &mnems[i];
            break;
        }
    }
    if (!m) {
        return aerr(a, ms, "unknown instruction '%.*s'", (int)base, ms);
    }
    opts o;
    memset(&o, 0, sizeof(o));
    o.opcode = m->opcode;
    o.control = m->control;
    st = parse_suffixes(a, ms + base, mn - base, &o);
    if (st) {
        return st;
    }
    const vgt_shader_opinfo *info = vgt_shader_opcode_info(a->type, a->ver, o.opcode);
    if (!info) {
        return aerr(a, ms, "'%.*s' is not an instruction of %s", (int)base, ms,
                    vgt_shader_version_name(a->type, a->ver));
    }
    if (o.opcode == VGT_SOP_DCL && o.have_usage == false && a->type == VGT_SHADER_VS) {
        o.have_usage = true; /* "dcl v0" == dcl_position v0 */
    }
    if (!info->dst_count && (o.dst_mod || o.have_shift)) {
        return aerr(a, ms, "'%s' has no destination to modify", info->name);
    }
    size_t at = a->n;
    st = emit(a, 0); /* the instruction token, filled below */
    if (st) {
        return st;
    }
    if (o.opcode == VGT_SOP_DCL) {
        uint32_t dt = 0x80000000u;
        if (o.sampler_type) {
            dt |= o.sampler_type << 27;
        } else {
            dt |= o.usage | (o.usage_index << 16);
        }
        st = emit(a, dt);
        if (!st) {
            st = parse_dst(a, c, o.dst_mod, o.shift);
        }
    } else if (o.opcode == VGT_SOP_DEF || o.opcode == VGT_SOP_DEFI || o.opcode == VGT_SOP_DEFB) {
        st = parse_dst(a, c, o.dst_mod, o.shift);
        unsigned nimm = o.opcode == VGT_SOP_DEFB ? 1 : 4;
        for (unsigned i = 0; !st && i < nimm; i++) {
            uint32_t v = 0;
            st = expect_comma(a, c);
            if (!st) {
                st = parse_imm(a, c, o.opcode, &v);
            }
            if (!st) {
                st = emit(a, v);
            }
        }
    } else {
        bool first = true;
        if (info->dst_count) {
            st = parse_dst(a, c, o.dst_mod, o.shift);
            first = false;
        }
        if (!st && predicated) {
            st = parse_src(a, &pred);
            skip_ws(&pred);
            if (!st && pred.p != pred.e) {
                st = aerr(a, pred.p, "unexpected text in the predicate");
            }
        }
        for (unsigned i = 0; !st && i < info->src_count; i++) {
            if (!first) {
                st = expect_comma(a, c);
            }
            first = false;
            if (!st) {
                st = parse_src(a, c);
            }
        }
    }
    if (st) {
        return st;
    }
    if (predicated && (o.opcode == VGT_SOP_DCL || o.opcode == VGT_SOP_DEF ||
                       o.opcode == VGT_SOP_DEFI || o.opcode == VGT_SOP_DEFB)) {
        return aerr(a, stmt, "'%s' cannot be predicated", info->name);
    }
    skip_ws(c);
    if (c->p < c->e) {
        return aerr(a, c->p,
                    *c->p == ',' ? "too many operands for '%s'" : "unexpected text after '%s'",
                    info->name);
    }
    uint32_t len = (uint32_t)(a->n - at - 1);
    uint32_t tok =
        o.opcode | (o.control << 16) | (predicated ? 0x10000000u : 0) | (coissue ? 0x40000000u : 0);
    if (!a->sm1) {
        if (len > 15) {
            return aerr(a, stmt, "instruction too long (%u parameter tokens)", len);
        }
        tok |= len << 24;
    }
    a->out[at] = tok;
    return VGT_OK;
}

vgt_status vgt_shader_assemble(const char *text, size_t len, uint32_t **words, size_t *nwords,
                               vgt_shader_diag *diag, vgt_error *err)
{
    actx a;
    memset(&a, 0, sizeof(a));
    a.diag = diag;
    a.err = err;
    *words = NULL;
    *nwords = 0;
    if (diag) {
        memset(diag, 0, sizeof(*diag));
    }
    vgt_status st = VGT_OK;
    const char *p = text, *end = text + len;
    uint32_t line = 0;
    while (!st && p < end) {
        line++;
        const char *e = memchr(p, '\n', (size_t)(end - p));
        const char *next = e ? e + 1 : end;
        if (!e) {
            e = end;
        }
        a.line = line;
        a.line_start = p;
        /* Comments: // or ; to the end of the line. */
        const char *ce = p;
        while (ce < e && *ce != ';' && !(*ce == '/' && ce + 1 < e && ce[1] == '/')) {
            ce++;
        }
        cur c = {p, ce};
        skip_ws(&c);
        if (c.p < c.e) {
            if (memchr(p, '\0', (size_t)(ce - p))) {
                st = aerr(&a, p, "NUL byte in the text");
            } else if (!a.have_version) {
                st = parse_version(&a, &c);
                skip_ws(&c);
                if (!st && c.p < c.e) {
                    st = aerr(&a, c.p, "unexpected text after the version");
                }
            } else {
                st = parse_line(&a, &c);
            }
        }
        p = next;
    }
    if (!st && !a.have_version) {
        a.line = line ? line : 1;
        a.line_start = NULL;
        st = aerr(&a, NULL, "no shader version (vs_2_0, ps_3_0 ...) in the text");
    }
    if (!st) {
        st = emit(&a, VGT_SHADER_END_TOKEN);
    }
    if (!st && a.ntrail) {
        uint32_t *grown = NULL;
        if (a.ntrail <= SIZE_MAX / sizeof(*grown) - a.n) {
            grown = realloc(a.out, (a.n + a.ntrail) * sizeof(*grown));
        }
        if (!grown) {
            st = vgt_error_set(err, VGT_E_NOMEM, "out of memory assembling a shader");
        } else {
            a.out = grown;
            memcpy(a.out + a.n, a.trail, a.ntrail * sizeof(*grown));
            a.n += a.ntrail;
        }
    }
    if (!st) {
        vgt_shader_diag pd;
        vgt_error perr = {0};
        st = vgt_shader_parse(a.out, a.n, NULL, &pd, &perr);
        if (st) {
            /* Point at the statement that produced the offending token. */
            uint32_t ln = a.line, col = 1;
            for (size_t i = 0; i < a.nmap; i++) {
                if (a.map[i].token <= pd.token) {
                    ln = a.map[i].line;
                    col = a.map[i].column;
                }
            }
            if (diag) {
                *diag = pd;
                diag->line = ln;
                diag->column = col;
            }
            /* The parser's message names a token index: useless in text, so
             * keep only its reason. */
            const char *why = strstr(perr.message, "): ");
            why = why ? why + 3 : perr.message;
            vgt_error_set(err, st, "%u:%u: %s", ln, col, why);
        }
    }
    free(a.map);
    free(a.trail);
    if (st) {
        free(a.out);
        return st;
    }
    *words = a.out;
    *nwords = a.n;
    return VGT_OK;
}
