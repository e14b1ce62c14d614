/* shader_test_util.h - helpers shared by the shader tests (header-only). */
#ifndef VGT_SHADER_TEST_UTIL_H
#define VGT_SHADER_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_protocol.h"

/* Reads a whole file into a NUL-terminated malloc'd buffer (NULL on error). */
static inline char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = size >= 0 ? malloc((size_t)size + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[size] = '\0';
        *len = (size_t)size;
    }
    return buf;
}

/* The instruction tokens of a parsed shader: version, every instruction,
 * end token (comments and trailing words dropped).  malloc'd. */
static inline uint32_t *test_insn_tokens(const vgt_shader *sh, const uint32_t *w, size_t *n)
{
    size_t count = 2;
    for (uint32_t i = 0; i < sh->insn_count; i++) {
        count += sh->insns[i].token_count;
    }
    uint32_t *out = malloc(count * 4);
    size_t k = 0;
    out[k++] = w[0];
    for (uint32_t i = 0; i < sh->insn_count; i++) {
        memcpy(out + k, w + sh->insns[i].token_offset, sh->insns[i].token_count * 4);
        k += sh->insns[i].token_count;
    }
    out[k++] = VGT_SHADER_END_TOKEN;
    *n = k;
    return out;
}

/* Appends the bytes of `str` (its NUL and 0xAB padding to a whole word, as
 * the compiler pads) to the little-endian words at w + *k. */
static inline void test_ctab_string(uint32_t *w, size_t *k, const char *str)
{
    size_t len = strlen(str) + 1, words = (len + 3) / 4;
    unsigned char b[64];
    memset(b, 0xAB, sizeof(b));
    memcpy(b, str, len);
    for (size_t i = 0; i < words; i++) {
        w[(*k)++] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
                    (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
    }
}

/* A CTAB comment block as the D3DX compiler writes it (the public
 * D3DXSHADER_CONSTANTTABLE layout: the fourcc 'CTAB', then the table whose
 * offsets count bytes from its start): one float4 constant `g_tint` in
 * c0, the target named after the version token, a creator string.  Writes
 * the comment token and its words into w (room for 40 words); returns how
 * many. */
static inline size_t test_make_ctab(uint32_t version_token, uint32_t *w)
{
    uint32_t t[40];
    size_t k = 0;
    t[k++] = 28;            /* Size: of the header */
    t[k++] = 0;             /* Creator: filled below */
    t[k++] = version_token; /* Version */
    t[k++] = 1;             /* Constants */
    t[k++] = 28;            /* ConstantInfo */
    t[k++] = 0;             /* Flags */
    t[k++] = 0;             /* Target: filled below */
    /* D3DXSHADER_CONSTANTINFO: Name, RegisterSet (D3DXRS_FLOAT4 = 2) and
     * RegisterIndex 0, RegisterCount 1 and Reserved, TypeInfo, DefaultValue */
    t[k++] = 64;
    t[k++] = 2;
    t[k++] = 1;
    t[k++] = 48;
    t[k++] = 0;
    /* D3DXSHADER_TYPEINFO at 48: Class D3DXPC_VECTOR (1) and Type
     * D3DXPT_FLOAT (3), Rows 1 and Columns 4, Elements 1 and StructMembers
     * 0, StructMemberInfo 0 */
    t[k++] = 1 | 3u << 16;
    t[k++] = 1 | 4u << 16;
    t[k++] = 1;
    t[k++] = 0;
    test_ctab_string(t, &k, "g_tint"); /* at 64 */
    t[6] = (uint32_t)(k * 4);
    test_ctab_string(t, &k, (version_token >> 16) == 0xFFFE ? "vs_x_x" : "ps_x_x");
    t[1] = (uint32_t)(k * 4);
    test_ctab_string(t, &k, "vgt test CTAB");
    w[0] = (uint32_t)(k + 1) << 16 | 0xFFFE;
    w[1] = 0x42415443; /* 'CTAB' */
    memcpy(w + 2, t, k * 4);
    return k + 2;
}

/* Bytecode `w` (parsed as sh) with comment blocks and trailing words added
 * where a compiler or a guest may put them: a CTAB right after the version
 * token, an empty comment before the second instruction, a 2-word comment
 * before the end token, and 3 words after the end token.  malloc'd. */
static inline uint32_t *test_add_comments(const vgt_shader *sh, const uint32_t *w, size_t *n)
{
    size_t cap = sh->token_count + sh->trailing_words + 64, k = 0;
    uint32_t *out = malloc(cap * 4);
    size_t end = sh->token_count - 1; /* the end token */
    size_t second = sh->insn_count > 1 ? sh->insns[1].token_offset : end;
    out[k++] = w[0];
    k += test_make_ctab(w[0], out + k);
    for (size_t i = 1; i < sh->token_count + sh->trailing_words; i++) {
        if (i == second) {
            out[k++] = 0x0000FFFE;
        }
        if (i == end) {
            out[k++] = 0x0002FFFE;
            out[k++] = 0x0000FFFF; /* looks like an end token, inside a comment */
            out[k++] = 0xDEADBEEF;
        }
        out[k++] = w[i];
    }
    out[k++] = 0x12345678;
    out[k++] = 0x0000FFFF;
    out[k++] = 0;
    *n = k;
    return out;
}

/* Disassembles sh with VGT_SHADER_DIS_KEEP_COMMENTS and the other `flags`
 * (e.g. VGT_SHADER_DIS_OFFSETS) and assembles the text: true when that
 * gives back exactly the n words w (the first differing token and the
 * listing go to stderr otherwise). */
static inline bool test_keep_round_trip_flags(const vgt_shader *sh, const uint32_t *w, size_t n,
                                              unsigned flags)
{
    char *dis = NULL;
    size_t dlen = 0;
    vgt_error err = {0};
    if (vgt_shader_disassemble(sh, VGT_SHADER_DIS_KEEP_COMMENTS | flags, &dis, &dlen, &err) !=
        VGT_OK) {
        fprintf(stderr, "disassembling: %s\n", err.message);
        return false;
    }
    uint32_t *back = NULL;
    size_t nback = 0;
    bool same = false;
    if (vgt_shader_assemble(dis, dlen, &back, &nback, NULL, &err) != VGT_OK) {
        fprintf(stderr, "reassembling: %s\n%s", err.message, dis);
    } else if (nback != n) {
        fprintf(stderr, "%zu words reassembled as %zu\n%s", n, nback, dis);
    } else {
        same = true;
        for (size_t i = 0; i < n && same; i++) {
            if (back[i] != w[i]) {
                fprintf(stderr, "word %zu: 0x%08x reassembled as 0x%08x\n%s", i, w[i], back[i],
                        dis);
                same = false;
            }
        }
    }
    free(back);
    free(dis);
    return same;
}

/* test_keep_round_trip_flags with VGT_SHADER_DIS_KEEP_COMMENTS alone. */
static inline bool test_keep_round_trip(const vgt_shader *sh, const uint32_t *w, size_t n)
{
    return test_keep_round_trip_flags(sh, w, n, 0);
}

#endif
