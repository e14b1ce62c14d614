/* shader_disasm.c - vgt_shader -> the familiar D3D assembly text, one
 * instruction per line.  Everything the parser decoded is printed, so the
 * assembler (shader_asm.c) rebuilds the same tokens from this text. */
#include "vgt_shader.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* snprintf-like appender: counts what it would write past the end. */
typedef struct wbuf {
    char *buf;
    size_t size;
    size_t len;
} wbuf;

static void put(wbuf *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(wbuf *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = w->len < w->size ? w->size - w->len : 0;
    int n = vsnprintf(room ? w->buf + w->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0) {
        w->len += (size_t)n;
    }
}

static const char comp_letter[4] = {'x', 'y', 'z', 'w'};

static void put_swizzle(wbuf *w, uint8_t swz)
{
    if (swz == VGT_SHADER_SWIZZLE_IDENTITY) {
        return;
    }
    char s[5];
    for (unsigned i = 0; i < 4; i++) {
        s[i] = comp_letter[vgt_shader_swizzle_get(swz, i)];
    }
    size_t n = 4;
    /* ".xyzz" is written ".xyz": a short swizzle repeats its last letter. */
    while (n > 1 && s[n - 1] == s[n - 2]) {
        n--;
    }
    s[n] = '\0';
    put(w, ".%s", s);
}

static void put_reg(wbuf *w, const vgt_shader *sh, uint32_t type, uint32_t index)
{
    const char *name = vgt_shader_reg_name(sh->type, sh->version, type, index);
    if (!name) {
        put(w, "?%u_%u", type, index); /* never for a parsed shader */
    } else if (vgt_shader_reg_unnumbered(type)) {
        put(w, "%s", name);
    } else {
        put(w, "%s%u", name, index);
    }
}

static void put_rel(wbuf *w, const vgt_shader_rel *rel)
{
    if (rel->type == VGT_SREG_LOOP) {
        put(w, "[aL");
        put_swizzle(w, rel->swizzle);
        put(w, "]");
    } else {
        put(w, "[a0.%c]", comp_letter[rel->swizzle & 3u]);
    }
}

static void put_src(wbuf *w, const vgt_shader *sh, const vgt_shader_src *s)
{
    switch (s->mod) {
    case VGT_SMOD_NEG:
    case VGT_SMOD_BIASNEG:
    case VGT_SMOD_SIGNNEG:
    case VGT_SMOD_X2NEG:
    case VGT_SMOD_ABSNEG:
        put(w, "-");
        break;
    case VGT_SMOD_COMP:
        put(w, "1-");
        break;
    case VGT_SMOD_NOT:
        put(w, "!");
        break;
    default:
        break;
    }
    put_reg(w, sh, s->type, s->index);
    if (s->relative) {
        put_rel(w, &s->rel);
    }
    switch (s->mod) {
    case VGT_SMOD_BIAS:
    case VGT_SMOD_BIASNEG:
        put(w, "_bias");
        break;
    case VGT_SMOD_SIGN:
    case VGT_SMOD_SIGNNEG:
        put(w, "_bx2");
        break;
    case VGT_SMOD_X2:
    case VGT_SMOD_X2NEG:
        put(w, "_x2");
        break;
    case VGT_SMOD_DZ:
        put(w, "_dz");
        break;
    case VGT_SMOD_DW:
        put(w, "_dw");
        break;
    case VGT_SMOD_ABS:
    case VGT_SMOD_ABSNEG:
        put(w, "_abs");
        break;
    default:
        break;
    }
    put_swizzle(w, s->swizzle);
}

static void put_dst(wbuf *w, const vgt_shader *sh, const vgt_shader_dst *d)
{
    put_reg(w, sh, d->type, d->index);
    if (d->relative) {
        put_rel(w, &d->rel);
    }
    if (d->write_mask != 0xF) {
        put(w, ".");
        for (unsigned i = 0; i < 4; i++) {
            if (d->write_mask & (1u << i)) {
                put(w, "%c", comp_letter[i]);
            }
        }
    }
}

static void put_float(wbuf *w, uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof(f));
    if (isfinite(f)) {
        put(w, "%.9g", (double)f);
    } else {
        put(w, "0x%08x", bits); /* inf/nan keep their exact bits */
    }
}

static const char *const cmp_names[8] = {NULL, "gt", "eq", "ge", "lt", "ne", "le", NULL};

static void put_mnemonic(wbuf *w, const vgt_shader *sh, const vgt_shader_insn *in)
{
    const char *name = in->info ? in->info->name : vgt_shader_opcode_name(in->opcode);
    if (in->opcode == VGT_SOP_TEX && sh->version >= VGT_SHADER_V20) {
        name = in->control == VGT_SHADER_TEX_PROJECT ? "texldp"
               : in->control == VGT_SHADER_TEX_BIAS  ? "texldb"
                                                     : "texld";
    }
    put(w, "%s", name ? name : "?");
    if (in->opcode == VGT_SOP_IFC || in->opcode == VGT_SOP_BREAKC || in->opcode == VGT_SOP_SETP) {
        put(w, "_%s", cmp_names[in->control & 7u] ? cmp_names[in->control & 7u] : "?");
    }
    if (in->opcode == VGT_SOP_DCL) {
        const vgt_shader_dst *d = &in->dst;
        if (d->type == VGT_SREG_SAMPLER) {
            put(w, "_%s",
                in->sampler_type == VGT_SSAMPLER_CUBE     ? "cube"
                : in->sampler_type == VGT_SSAMPLER_VOLUME ? "volume"
                                                          : "2d");
        } else if (d->type != VGT_SREG_MISCTYPE &&
                   (sh->type == VGT_SHADER_VS || sh->version >= VGT_SHADER_V30 || in->usage ||
                    in->usage_index)) {
            const char *u = vgt_shader_usage_name(in->usage);
            put(w, "_%s", u ? u : "?");
            if (in->usage_index) {
                put(w, "%u", in->usage_index);
            }
        }
    }
    if (in->dst_count) {
        static const char *const shifts[7] = {"_d8", "_d4", "_d2", "", "_x2", "_x4", "_x8"};
        int sh_i = in->dst.shift + 3;
        if (sh_i >= 0 && sh_i < 7) {
            put(w, "%s", shifts[sh_i]);
        }
        if (in->dst.mod & VGT_SHADER_DSTMOD_SATURATE) {
            put(w, "_sat");
        }
        if (in->dst.mod & VGT_SHADER_DSTMOD_PP) {
            put(w, "_pp");
        }
        if (in->dst.mod & VGT_SHADER_DSTMOD_CENTROID) {
            put(w, "_centroid");
        }
    }
}

size_t vgt_shader_format_insn(const vgt_shader *sh, const vgt_shader_insn *in, char *buf,
                              size_t size)
{
    wbuf w = {buf, size, 0};
    if (buf && size) {
        buf[0] = '\0';
    }
    if (in->coissue) {
        put(&w, "+");
    }
    if (in->predicated) {
        put(&w, "(");
        put_src(&w, sh, &in->pred);
        put(&w, ") ");
    }
    put_mnemonic(&w, sh, in);
    const char *sep = " ";
    if (in->dst_count) {
        put(&w, "%s", sep);
        put_dst(&w, sh, &in->dst);
        sep = ", ";
    }
    switch (in->opcode) {
    case VGT_SOP_DEF:
        for (unsigned i = 0; i < 4; i++) {
            put(&w, ", ");
            put_float(&w, in->imm.u[i]);
        }
        break;
    case VGT_SOP_DEFI:
        for (unsigned i = 0; i < 4; i++) {
            put(&w, ", %d", (int)in->imm.i[i]);
        }
        break;
    case VGT_SOP_DEFB:
        if (in->imm.u[0] <= 1) {
            put(&w, ", %s", in->imm.u[0] ? "true" : "false");
        } else {
            put(&w, ", %u", in->imm.u[0]);
        }
        break;
    default:
        for (unsigned i = 0; i < in->src_count && i < VGT_SHADER_MAX_SRC; i++) {
            put(&w, "%s", sep);
            put_src(&w, sh, &in->src[i]);
            sep = ", ";
        }
        break;
    }
    return w.len;
}

#define WORDS_PER_LINE 4u
#define OFFSET_COLUMN  40u /* where an instruction's "// @N" starts (--offsets) */
#define NO_OFFSET      UINT32_MAX

/* Writes `keyword` and n hex words (a comment block's or the trailing
 * words), WORDS_PER_LINE a line.  The lines after the first start with a
 * word (the assembler's continuation rule, docs/shaders.md), indented under
 * the first line's words.  Each line ends with its bytes as text (the CTAB
 * holds ASCII names), for the reader only: the assembler skips it.  With
 * `offset` (not NO_OFFSET), the first line's text starts with "@offset",
 * the index of the comment token, as an instruction's line ends with it. */
static void put_words(wbuf *w, const char *keyword, const uint32_t *words, uint32_t n,
                      uint32_t offset)
{
    if (n == 0) {
        put(w, "%s", keyword);
        if (offset != NO_OFFSET) {
            size_t col = strlen(keyword);
            put(w, "%*s// @%u", col < OFFSET_COLUMN ? (int)(OFFSET_COLUMN - col) : 1, "", offset);
        }
        put(w, "\n");
        return;
    }
    int indent = (int)strlen(keyword);
    for (uint32_t i = 0; i < n; i += WORDS_PER_LINE) {
        uint32_t m = n - i < WORDS_PER_LINE ? n - i : WORDS_PER_LINE;
        put(w, "%-*s", indent, i == 0 ? keyword : "");
        for (uint32_t j = 0; j < m; j++) {
            put(w, " 0x%08x", words[i + j]);
        }
        put(w, "%*s  // ", (int)(11 * (WORDS_PER_LINE - m)), "");
        if (i == 0 && offset != NO_OFFSET) {
            put(w, "@%u ", offset);
        }
        for (uint32_t j = 0; j < m * 4; j++) {
            unsigned char b = (unsigned char)(words[i + j / 4] >> (8 * (j % 4)));
            put(w, "%c", b >= 0x20 && b < 0x7F ? (char)b : '.');
        }
        put(w, "\n");
    }
}

/* The comment blocks that sit before instruction i (i == insn_count: before
 * the end token), from block *next on; with `offsets`, each names its
 * comment token's index. */
static void put_comments(wbuf *w, const vgt_shader *sh, uint32_t i, uint32_t *next, bool offsets)
{
    while (*next < sh->comment_count && sh->comments[*next].before_insn == i) {
        const vgt_shader_comment *cm = &sh->comments[*next];
        put_words(w, "comment", cm->words, cm->size, offsets ? cm->token_offset : NO_OFFSET);
        (*next)++;
    }
}

/* Appends the whole listing to w. */
static vgt_status listing(wbuf *w, const vgt_shader *sh, unsigned flags)
{
    const char *model = vgt_shader_version_name(sh->type, sh->version);
    put(w, "%s\n", model ? model : "?");
    bool keep = (flags & VGT_SHADER_DIS_KEEP_COMMENTS) != 0;
    bool offsets = (flags & VGT_SHADER_DIS_OFFSETS) != 0;
    uint32_t next = 0; /* the next comment block to write */
    if (!keep && (flags & VGT_SHADER_DIS_COMMENTS) && sh->comment_count) {
        put(w, "// %u comment block%s (%u word%s) not shown\n", sh->comment_count,
            vgt_plural(sh->comment_count), sh->comment_words, vgt_plural(sh->comment_words));
    }
    for (uint32_t i = 0; i < sh->insn_count; i++) {
        const vgt_shader_insn *in = &sh->insns[i];
        if (keep) {
            put_comments(w, sh, i, &next, offsets);
        }
        size_t start = w->len;
        size_t room = w->len < w->size ? w->size - w->len : 0;
        size_t n = vgt_shader_format_insn(sh, in, room ? w->buf + w->len : NULL, room);
        w->len += n;
        if (offsets) {
            size_t col = w->len - start;
            put(w, "%*s// @%u", col < OFFSET_COLUMN ? (int)(OFFSET_COLUMN - col) : 1, "",
                in->token_offset);
        }
        put(w, "\n");
    }
    if (keep) {
        put_comments(w, sh, sh->insn_count, &next, offsets);
        if (sh->trailing_words) {
            put_words(w, "trailing", sh->trailing, sh->trailing_words, NO_OFFSET);
        }
    }
    return VGT_OK;
}

vgt_status vgt_shader_disassemble(const vgt_shader *sh, unsigned flags, char **text, size_t *len,
                                  vgt_error *err)
{
    *text = NULL;
    wbuf w = {NULL, 0, 0};
    listing(&w, sh, flags); /* measure */
    size_t need = w.len + 1;
    char *buf = malloc(need);
    if (!buf) {
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory disassembling a shader");
    }
    wbuf real = {buf, need, 0};
    listing(&real, sh, flags);
    *text = buf;
    if (len) {
        *len = real.len;
    }
    return VGT_OK;
}

vgt_status vgt_shader_print(FILE *out, const vgt_shader *sh, unsigned flags, vgt_error *err)
{
    char *text = NULL;
    size_t len = 0;
    vgt_status st = vgt_shader_disassemble(sh, flags, &text, &len, err);
    if (st) {
        return st;
    }
    size_t wrote = fwrite(text, 1, len, out);
    free(text);
    if (wrote != len) {
        return vgt_error_set(err, VGT_E_IO, "writing the disassembly failed");
    }
    return VGT_OK;
}
