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

#endif
