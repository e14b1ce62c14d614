/* vgt shader asm|dis FILE - assembles D3D shader assembly to bytecode, or
 * validates and disassembles bytecode. */
#include "vgt_cli.h"
#include "vgt_protocol.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: vgt shader asm FILE [-o OUT.bin]\n"
               "       vgt shader dis FILE [--offsets] [--comments]\n"
               "\n"
               "asm  assembles D3D9 shader assembly (vs_1_1 .. vs_3_0, ps_1_1 .. ps_3_0; the\n"
               "     syntax is in docs/shaders.md).  With -o it writes the tokens as\n"
               "     little-endian words; otherwise it prints them as hex words on stdout.\n"
               "dis  validates shader bytecode and prints its assembly, one instruction per\n"
               "     line.  FILE is little-endian words, or text holding 0x... hex words\n"
               "     (e.g. a C array from a compiler header).\n"
               "     --offsets   end each line with the token offset of the instruction\n"
               "     --comments  say how many comment blocks (e.g. CTAB) were skipped\n"
               "\n"
               "Errors name the line:column (asm) or the token index (dis); exit 2.\n");
}

/* Binary little-endian words when the file starts with a version token and
 * has a whole number of words; otherwise every 0x... number in the text. */
static uint32_t *load_words(const char *data, size_t len, size_t *nwords)
{
    if (len >= 4 && len % 4 == 0) {
        uint32_t first = vgt_load_le32(data);
        if ((first >> 16) == VGT_SHADER_VS || (first >> 16) == VGT_SHADER_PS) {
            uint32_t *w = malloc(len);
            if (!w) {
                return NULL;
            }
            for (size_t i = 0; i < len / 4; i++) {
                w[i] = vgt_load_le32(data + 4 * i);
            }
            *nwords = len / 4;
            return w;
        }
    }
    size_t cap = 256, n = 0;
    uint32_t *w = malloc(cap * sizeof(*w));
    for (size_t i = 0; w && i + 2 < len; i++) {
        bool start = data[i] == '0' && (data[i + 1] == 'x' || data[i + 1] == 'X') &&
                     (i == 0 || !isalnum((unsigned char)data[i - 1]));
        if (!start) {
            continue;
        }
        size_t j = i + 2;
        uint64_t v = 0;
        while (j < len && isxdigit((unsigned char)data[j]) && j - i - 2 < 8) {
            char ch = (char)tolower((unsigned char)data[j]);
            v = v * 16 + (uint64_t)(isdigit((unsigned char)ch) ? ch - '0' : ch - 'a' + 10);
            j++;
        }
        if (j == i + 2 || (j < len && isalnum((unsigned char)data[j]))) {
            i = j;
            continue;
        }
        if (n == cap) {
            uint32_t *p = realloc(w, cap * 2 * sizeof(*w));
            if (!p) {
                free(w);
                return NULL;
            }
            w = p;
            cap *= 2;
        }
        w[n++] = (uint32_t)v;
        i = j;
    }
    *nwords = n;
    return w;
}

static int cmd_asm(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            static const vgt_cli_value_option asm_opts[] = {{"-o", "the output file"}};
            return vgt_cli_bad_option("shader", argc, argv, i, asm_opts, 1);
        } else if (!in) {
            in = argv[i];
        } else {
            return vgt_cli_fail(VGT_EXIT_USAGE, "shader", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!in) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "shader", "asm needs a FILE (see vgt shader --help)");
    }
    size_t len;
    char *text = vgt_file_read_all(in, &len);
    if (!text) {
        return vgt_cli_fail(VGT_EXIT_DATA, "shader", "cannot read %s: %s", in, strerror(errno));
    }
    uint32_t *words;
    size_t n;
    vgt_error err = {0};
    vgt_status st = vgt_shader_assemble(text, len, &words, &n, NULL, &err);
    free(text);
    if (st) {
        return vgt_cli_fail(VGT_EXIT_DATA, "shader", "%s:%s", in, err.message);
    }
    int rc = VGT_EXIT_OK;
    if (out) {
        FILE *f = fopen(out, "wb");
        bool ok = f != NULL;
        for (size_t i = 0; ok && i < n; i++) {
            uint8_t b[4];
            vgt_store_le32(b, words[i]);
            ok = fwrite(b, 1, 4, f) == 4;
        }
        if (f && fclose(f) != 0) {
            ok = false;
        }
        if (!ok) {
            rc = vgt_cli_fail(VGT_EXIT_DATA, "shader", "cannot write %s", out);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            printf("0x%08x,%s", words[i], (i % 6 == 5 || i + 1 == n) ? "\n" : " ");
        }
    }
    free(words);
    return rc;
}

static int cmd_dis(int argc, char **argv)
{
    const char *in = NULL;
    unsigned flags = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--offsets") == 0) {
            flags |= VGT_SHADER_DIS_OFFSETS;
        } else if (strcmp(argv[i], "--comments") == 0) {
            flags |= VGT_SHADER_DIS_COMMENTS;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return vgt_cli_bad_option("shader", argc, argv, i, NULL, 0);
        } else if (!in) {
            in = argv[i];
        } else {
            return vgt_cli_fail(VGT_EXIT_USAGE, "shader", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!in) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "shader", "dis needs a FILE (see vgt shader --help)");
    }
    size_t len, n = 0;
    char *data = vgt_file_read_all(in, &len);
    if (!data) {
        return vgt_cli_fail(VGT_EXIT_DATA, "shader", "cannot read %s: %s", in, strerror(errno));
    }
    uint32_t *words = load_words(data, len, &n);
    free(data);
    if (!words) {
        return vgt_cli_fail(VGT_EXIT_DATA, "shader", "out of memory reading %s", in);
    }
    if (n == 0) {
        /* e.g. an assembly file given to dis: say what dis reads, not that
         * token 0 is missing */
        free(words);
        return vgt_cli_fail(VGT_EXIT_DATA, "shader",
                            "%s: no shader bytecode (little-endian words starting with a "
                            "vs/ps version token) and no 0x... words in its text",
                            in);
    }
    vgt_shader *sh;
    vgt_error err = {0};
    vgt_status st = vgt_shader_parse(words, n, &sh, NULL, &err);
    free(words);
    if (st) {
        return vgt_cli_fail(VGT_EXIT_DATA, "shader", "%s: %s", in, err.message);
    }
    st = vgt_shader_print(stdout, sh, flags, &err);
    vgt_shader_free(sh);
    if (st) {
        return vgt_cli_fail(VGT_EXIT_DATA, "shader", "%s", err.message);
    }
    return VGT_EXIT_OK;
}

int vgt_cmd_shader(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        usage(stdout);
        return VGT_EXIT_OK;
    }
    if (argc < 2) {
        usage(stderr);
        return VGT_EXIT_USAGE;
    }
    if (strcmp(argv[1], "asm") == 0) {
        return cmd_asm(argc, argv);
    }
    if (strcmp(argv[1], "dis") == 0) {
        return cmd_dis(argc, argv);
    }
    return vgt_cli_fail(VGT_EXIT_USAGE, "shader", "unknown mode '%s' (asm or dis)", argv[1]);
}
