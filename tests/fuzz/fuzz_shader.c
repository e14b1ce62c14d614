/* fuzz_shader.c - the shader bytecode parser/validator, the disassembler and
 * the assembler.
 *
 * Input: one mode byte, then either bytecode (mode even: little-endian
 * words) or assembly text (mode odd).  Bytecode is parsed (an exact-size
 * heap copy, so a read past the words is caught), validated, and when
 * accepted disassembled; that text must assemble again (a failure aborts:
 * the disassembler and the assembler disagree), and the listing with
 * VGT_SHADER_DIS_KEEP_COMMENTS must assemble into the very words.  Text is assembled and, when
 * accepted, parsed and disassembled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "vgt_protocol.h"

static volatile uint64_t sink;

static void disassemble(const uint32_t *words, size_t n, bool must_reassemble)
{
    vgt_shader *sh = NULL;
    vgt_shader_diag diag;
    vgt_error err = {0};
    vgt_status st = vgt_shader_parse(words, n, &sh, &diag, &err);
    vgt_status st2 = vgt_shader_validate(words, n, &diag, &err);
    if ((st == VGT_OK) != (st2 == VGT_OK)) {
        fprintf(stderr, "parse says %d, validate says %d\n", st, st2);
        abort();
    }
    if (st != VGT_OK) {
        return;
    }
    char *text = NULL;
    size_t len = 0;
    if (vgt_shader_disassemble(sh, VGT_SHADER_DIS_OFFSETS | VGT_SHADER_DIS_COMMENTS, &text, &len,
                               &err) == VGT_OK) {
        uint32_t *w2 = NULL;
        size_t n2 = 0;
        st = vgt_shader_assemble(text, len, &w2, &n2, &diag, &err);
        if (st != VGT_OK && must_reassemble) {
            fprintf(stderr, "disassembly does not assemble: %s\n%s\n", err.message, text);
            abort();
        }
        free(w2);
        free(text);
    }
    /* With the comment blocks and trailing words kept, the listing gives back
     * the very words (docs/shaders.md, the round trip). */
    if (vgt_shader_disassemble(sh, VGT_SHADER_DIS_KEEP_COMMENTS, &text, &len, &err) == VGT_OK) {
        uint32_t *w2 = NULL;
        size_t n2 = 0;
        st = vgt_shader_assemble(text, len, &w2, &n2, &diag, &err);
        if (st == VGT_OK ? n2 != n || memcmp(w2, words, n * 4u) != 0 : must_reassemble) {
            fprintf(stderr, "the --keep-comments listing does not give back the words: %s\n%s\n",
                    st == VGT_OK ? "they differ" : err.message, text);
            abort();
        }
        free(w2);
        free(text);
    }
    vgt_shader_free(sh);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    uint8_t mode = data[0];
    if (mode & 1u) {
        size_t len = size - 1;
        char *text = malloc(len ? len : 1);
        if (!text) {
            return 0;
        }
        memcpy(text, data + 1, len);
        uint32_t *w = NULL;
        size_t n = 0;
        vgt_shader_diag diag = {0};
        vgt_error err = {0};
        if (vgt_shader_assemble(text, len, &w, &n, &diag, &err) == VGT_OK) {
            uint32_t *exact = malloc(n * 4u);
            if (exact) {
                memcpy(exact, w, n * 4u);
                disassemble(exact, n, true);
                free(exact);
            }
        }
        sink += diag.line;
        free(w);
        free(text);
    } else {
        size_t n = (size - 1) / 4u;
        uint32_t *w = malloc(n ? n * 4u : 4u);
        if (!w) {
            return 0;
        }
        memcpy(w, data + 1, n * 4u);
        disassemble(w, n, true);
        free(w);
    }
    return 0;
}
