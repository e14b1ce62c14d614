/* vgt shader asm|dis FILE - assembles D3D shader assembly to bytecode, or
 * validates and disassembles bytecode; vgt shader list|extract TRACE - the
 * shaders an SVGA trace defines (vgt_shader_list, replay/shader_list.c),
 * listed or written out as files, without a replay. */
#include "vgt_cli.h"
#include "vgt_protocol.h"
#include "vgt_replay.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: vgt shader asm FILE [-o OUT.bin]\n"
               "       vgt shader dis FILE [--offsets] [--comments | --keep-comments]\n"
               "       vgt shader list TRACE [--frames A-B] [--json] [--salvage]\n"
               "       vgt shader extract TRACE --dir DIR [--frames A-B] [--distinct] [--salvage]\n"
               "\n"
               "asm  assembles D3D9 shader assembly (vs_1_1 .. vs_3_0, ps_1_1 .. ps_3_0; the\n"
               "     syntax is in docs/shaders.md).  With -o it writes the tokens as\n"
               "     little-endian words; otherwise it prints them as hex words on stdout.\n"
               "dis  validates shader bytecode and prints its assembly, one instruction per\n"
               "     line.  FILE is little-endian words, or text holding 0x... hex words\n"
               "     (e.g. a C array from a compiler header).\n"
               "     --offsets        end each line with the token offset of the instruction\n"
               "                      (with --keep-comments: of each comment block too)\n"
               "     --comments       say how many comment blocks (e.g. CTAB) were left out\n"
               "     --keep-comments  write the comment blocks ('comment 0x...' lines) and the\n"
               "                      words after the end token ('trailing 0x...'): asm\n"
               "                      turns the listing back into the very same words\n"
               "\n"
               "list     the SHADER_DEFINEs of an SVGA trace (no replay), one line each:\n"
               "         SEQ FRAME CID TYPE SHID VERSION TOKENS INSNS HASH (XXH3-64 of the\n"
               "         bytecode) VALID DRAWS (DRAW_PRIMITIVES run with it bound) END (how\n"
               "         it went: destroy@SEQ, redefine@SEQ, context@SEQ, refused, - alive)\n"
               "         and why it is invalid or refused; then a summary (defines,\n"
               "         distinct bytecodes, by type and version, invalid, never drawn with)\n"
               "extract  writes DIR/c<cid>-<vs|ps><shid>-<seq>.bin (the tokens as sent,\n"
               "         little-endian) and, when it validates, the .asm dis\n"
               "         --keep-comments prints (asm assembles it back into the same\n"
               "         .bin, byte for byte); a snapshot's define is named -snapshot\n"
               "         instead of -<seq>\n"
               "     --frames A-B  only the defines of guest frames A..B (A- or A as vgt dump)\n"
               "     --json        list: JSON Lines, a summary object last (docs/cli.md)\n"
               "     --distinct    extract: each distinct bytecode once, named by its first\n"
               "                   define; the defines that share it are printed\n"
               "     --salvage     skip damaged chunks (reported) instead of stopping\n"
               "\n"
               "Errors name the line:column (asm) or the token index (dis); exit 2.\n"
               "list and extract exit 0, 1 usage, 2 unreadable or damaged trace (with\n"
               "--salvage: a chunk was skipped) or a file that cannot be written.\n");
}

/* True when the file's first 4 bytes are a vs or ps version token,
 * little-endian: binary bytecode, not text. */
static bool starts_with_version(const char *data, size_t len)
{
    if (len < 4) {
        return false;
    }
    uint32_t first = vgt_load_le32(data);
    return (first >> 16) == VGT_SHADER_VS || (first >> 16) == VGT_SHADER_PS;
}

/* Binary little-endian words when the file starts with a version token and
 * has a whole number of words; otherwise every 0x... number in the text. */
static uint32_t *load_words(const char *data, size_t len, size_t *nwords)
{
    if (len % 4 == 0) {
        if (starts_with_version(data, len)) {
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

/* Writes n words to path, little-endian; false when it cannot. */
static bool write_words(const char *path, const uint32_t *words, size_t n)
{
    FILE *f = fopen(path, "wb");
    bool ok = f != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        uint8_t b[4];
        vgt_store_le32(b, words[i]);
        ok = fwrite(b, 1, 4, f) == 4;
    }
    if (f && fclose(f) != 0) {
        ok = false;
    }
    return ok;
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
        if (!write_words(out, words, n)) {
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
        } else if (strcmp(argv[i], "--keep-comments") == 0) {
            flags |= VGT_SHADER_DIS_KEEP_COMMENTS;
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
    if (len % 4 != 0 && starts_with_version(data, len)) {
        /* Bytecode cut inside a word (a truncated copy, say): read as text
         * it would be "no 0x... words", which hides what is wrong. */
        uint32_t first = vgt_load_le32(data);
        free(data);
        return vgt_cli_fail(VGT_EXIT_DATA, "shader",
                            "%s: %zu bytes: bytecode (version token 0x%08x) but not a whole "
                            "number of 32-bit words: %zu %s at offset %zu %s left over",
                            in, len, first, len % 4, len % 4 == 1 ? "byte" : "bytes", len - len % 4,
                            len % 4 == 1 ? "is" : "are");
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

/* ---- list and extract: the shaders of a trace ----------------------------------- */

typedef struct trace_args {
    const char *path, *dir;
    bool json, salvage, distinct;
    vgt_shader_list_options o;
} trace_args;

/* Parses list's (extract false) or extract's options into *a. */
static int parse_trace_args(int argc, char **argv, bool extract, trace_args *a)
{
    memset(a, 0, sizeof(*a));
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "--salvage") == 0) {
            a->salvage = true;
        } else if (!extract && strcmp(s, "--json") == 0) {
            a->json = true;
        } else if (extract && strcmp(s, "--distinct") == 0) {
            a->distinct = true;
        } else if (extract && strcmp(s, "--dir") == 0 && i + 1 < argc) {
            a->dir = argv[++i];
        } else if (strcmp(s, "--frames") == 0 && i + 1 < argc &&
                   vgt_cli_parse_range(argv[i + 1], &a->o.first_frame, &a->o.last_frame)) {
            a->o.frames = true;
            i++;
        } else if (strcmp(s, extract ? "--json" : "--dir") == 0 ||
                   (!extract && strcmp(s, "--distinct") == 0)) {
            /* the other subcommand's option: say whose it is */
            return vgt_cli_fail(VGT_EXIT_USAGE, "shader", "%s is %s's option, not %s's", s,
                                extract ? "list" : "extract", argv[1]);
        } else if (s[0] == '-' && s[1]) {
            /* --frames and --dir without their value or with a bad one land here */
            static const vgt_cli_value_option opts[] = {
                {"--frames", "A-B with A <= B, A- or A (guest frames)"}, {"--dir", "a directory"}};
            return vgt_cli_bad_option("shader", argc, argv, i, opts, extract ? 2 : 1);
        } else if (!a->path) {
            a->path = s;
        } else {
            return vgt_cli_fail(VGT_EXIT_USAGE, "shader", "unexpected argument '%s'", s);
        }
    }
    if (!a->path) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "shader", "%s needs a TRACE (see vgt shader --help)",
                            argv[1]);
    }
    if (extract && !a->dir) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "shader",
                            "extract needs --dir DIR, where the files go (see vgt shader --help)");
    }
    return VGT_EXIT_OK;
}

static const char *type_text(uint32_t type)
{
    return type == VGT_SVGA3D_SHADERTYPE_VS ? "vs" : "ps"; /* the decoder admits 1 and 2 */
}

/* "vs_2_0", or the token in hex when no model of this library has it. */
static const char *version_text(uint32_t token, char *buf, size_t size)
{
    const char *v = vgt_shader_version_name((vgt_shader_type)(token >> 16), token & 0xFFFFu);
    if (v) {
        return v;
    }
    snprintf(buf, size, "0x%08x", token);
    return buf;
}

/* The file name of define d, without its extension: c1-vs3-120. */
static void def_name(const vgt_shader_def *d, char *buf, size_t size)
{
    if (d->snapshot) {
        snprintf(buf, size, "c%u-%s%u-snapshot", d->cid, type_text(d->type), d->shid);
    } else {
        snprintf(buf, size, "c%u-%s%u-%" PRIu64, d->cid, type_text(d->type), d->shid, d->seq);
    }
}

static const char *end_names[] = {NULL, "destroy", "redefine", "context"};

/* What a define's END column says: destroy@SEQ ..., refused, - (alive). */
static const char *end_text(const vgt_shader_def *d, char *buf, size_t size)
{
    if (d->refused) {
        return "refused";
    }
    if (d->end == VGT_SHADER_END_NONE) {
        return "-";
    }
    snprintf(buf, size, "%s@%" PRIu64, end_names[d->end], d->end_seq);
    return buf;
}

typedef struct list_ctx {
    const trace_args *a;
    vgt_shader_list_result *r;
} list_ctx;

static vgt_status list_walk(vgt_trace_reader *rd, void *ctx, vgt_error *err)
{
    list_ctx *x = ctx;
    if (x->a->o.frames) {
        vgt_status st =
            vgt_cli_check_guest_frames(rd, x->a->o.first_frame, x->a->o.last_frame, err);
        if (st != VGT_OK) {
            return st;
        }
    }
    return vgt_shader_list(rd, &x->a->o, x->r, err);
}

/* Opens the trace and lists its shaders (on_define as o says); prints the
 * reader's problems.  Returns an exit code; *r is filled when 0 or when
 * the walk ended with skipped chunks. */
static int list_shaders(const trace_args *a, vgt_shader_list_result *r)
{
    memset(r, 0, sizeof(*r));
    list_ctx x = {a, r};
    return vgt_cli_walk_trace("shader", a->path, a->salvage, "read", list_walk, &x);
}

/* The count per version, by the name version_text gives. */
typedef struct version_count {
    char name[16];
    uint64_t n;
} version_count;

/* Counts name in v (max entries): past max - 1 names the last entry,
 * "other", takes the rest (a hostile trace's unknown version tokens). */
static void count_version(version_count *v, size_t *nv, size_t max, const char *name)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < *nv; i++) {
            if (strcmp(v[i].name, name) == 0) {
                v[i].n++;
                return;
            }
        }
        if (*nv + 1u < max || pass == 1) {
            snprintf(v[*nv].name, sizeof(v[*nv].name), "%s", name);
            v[(*nv)++].n = 1;
            return;
        }
        name = "other";
    }
}

static void json_seq_or_null(const char *key, bool has, uint64_t v)
{
    printf(",\"%s\":", key);
    if (has) {
        printf("%" PRIu64, v);
    } else {
        fputs("null", stdout);
    }
}

static void json_def(const vgt_shader_list_result *r, const vgt_shader_def *d)
{
    char vb[16];
    printf("{\"type\":\"shader\"");
    json_seq_or_null("seq", !d->snapshot, d->seq);
    printf(",\"snapshot\":%s,\"frame\":%" PRIu64 ",\"cid\":%u,\"shader_type\":\"%s\",\"shid\":%u",
           d->snapshot ? "true" : "false", d->frame, d->cid, type_text(d->type), d->shid);
    printf(",\"version\":");
    if (d->tokens) {
        vgt_cli_json_string(stdout, version_text(d->version_token, vb, sizeof(vb)));
    } else {
        fputs("null", stdout); /* no bytecode sent: no version token */
    }
    printf(",\"version_token\":%u,\"tokens\":%u", d->version_token, d->tokens);
    json_seq_or_null("instructions", d->valid, d->insns);
    printf(",\"hash\":\"%016" PRIx64 "\",\"valid\":%s,\"invalid\":", d->hash,
           d->valid ? "true" : "false");
    if (d->valid) {
        fputs("null", stdout);
    } else {
        vgt_cli_json_string(stdout, d->reason);
    }
    json_seq_or_null("invalid_token", !d->valid, d->fault_token);
    printf(",\"refused\":");
    if (d->refused) {
        vgt_cli_json_string(stdout, d->valid ? d->reason : "its bytecode does not validate");
    } else {
        fputs("null", stdout);
    }
    printf(",\"draws\":%" PRIu64 ",\"end\":", d->draws);
    if (d->end == VGT_SHADER_END_NONE) {
        fputs("null", stdout);
    } else {
        printf("\"%s\"", end_names[d->end]);
    }
    json_seq_or_null("end_seq", d->end != VGT_SHADER_END_NONE, d->end_seq);
    json_seq_or_null("destroy_seq", d->end == VGT_SHADER_END_DESTROY, d->end_seq);
    const vgt_shader_def *first = &r->defs[d->same_as];
    json_seq_or_null("same_as_seq", first != d && !first->snapshot, first->seq);
    printf("}\n");
}

static int cmd_list(int argc, char **argv)
{
    trace_args a;
    int rc = parse_trace_args(argc, argv, false, &a);
    if (rc != VGT_EXIT_OK) {
        return rc;
    }
    vgt_shader_list_result r;
    rc = list_shaders(&a, &r);
    if (rc != VGT_EXIT_OK) {
        vgt_shader_list_free(&r);
        return rc;
    }
    if (!a.json) {
        printf("%10s %8s %4s %4s %6s %-8s %6s %6s %-16s %-5s %8s %s\n", "SEQ", "FRAME", "CID",
               "TYPE", "SHID", "VERSION", "TOKENS", "INSNS", "HASH", "VALID", "DRAWS", "END");
    }
    uint64_t by_type[2] = {0, 0}, invalid = 0, refused = 0, never = 0;
    version_count versions[17];
    size_t nv = 0;
    for (size_t i = 0; i < r.ndefs; i++) {
        const vgt_shader_def *d = &r.defs[i];
        char vb[16], eb[40], seq[24], insns[16];
        const char *version = d->tokens ? version_text(d->version_token, vb, sizeof(vb)) : "none";
        by_type[d->type == VGT_SVGA3D_SHADERTYPE_VS ? 0 : 1]++;
        invalid += !d->valid;
        refused += d->refused;
        never += d->draws == 0;
        count_version(versions, &nv, sizeof(versions) / sizeof(versions[0]), version);
        if (a.json) {
            json_def(&r, d);
            continue;
        }
        snprintf(seq, sizeof(seq), "%" PRIu64, d->seq);
        snprintf(insns, sizeof(insns), "%u", d->insns);
        printf("%10s %8" PRIu64 " %4u %4s %6u %-8s %6u %6s %016" PRIx64 " %-5s %8" PRIu64 " %s",
               d->snapshot ? "snapshot" : seq, d->frame, d->cid, type_text(d->type), d->shid,
               version, d->tokens, d->valid ? insns : "-", d->hash, d->valid ? "yes" : "no",
               d->draws, end_text(d, eb, sizeof(eb)));
        if (!d->valid) {
            printf("  invalid: %s", d->reason);
        } else if (d->refused) {
            printf("  (%s)", d->reason);
        }
        printf("\n");
    }
    if (a.json) {
        printf("{\"type\":\"summary\",\"defines\":%zu,\"unlisted\":%" PRIu64
               ",\"distinct\":%" PRIu64 ",\"vs\":%" PRIu64 ",\"ps\":%" PRIu64 ",\"versions\":{",
               r.ndefs, r.unlisted, r.distinct, by_type[0], by_type[1]);
        for (size_t i = 0; i < nv; i++) {
            printf("%s\"%s\":%" PRIu64, i ? "," : "", versions[i].name, versions[i].n);
        }
        printf("},\"invalid\":%" PRIu64 ",\"refused\":%" PRIu64 ",\"never_drawn\":%" PRIu64
               ",\"draws\":%" PRIu64 ",\"commands\":%" PRIu64 ",\"skipped_chunks\":%s",
               invalid, refused, never, r.draws, r.walk.commands,
               r.walk.skipped ? "true" : "false");
        if (r.walk.problems_lost) {
            /* found without memory to record them: the listing may lack what they held */
            printf(",\"problems_not_recorded\":%zu", r.walk.problems_lost);
        }
        printf("}\n");
    } else {
        printf("\ndefines: %zu (%" PRIu64 " vs, %" PRIu64 " ps), %" PRIu64
               " distinct bytecode%s, %" PRIu64 " invalid, %" PRIu64 " refused, %" PRIu64
               " never drawn with\n",
               r.ndefs, by_type[0], by_type[1], r.distinct, vgt_plural(r.distinct), invalid,
               refused, never);
        printf("versions:");
        for (size_t i = 0; i < nv; i++) {
            printf("%s %s %" PRIu64, i ? "," : "", versions[i].name, versions[i].n);
        }
        printf("%s\ndraws: %" PRIu64 " DRAW_PRIMITIVES run, in %" PRIu64 " command%s\n",
               nv ? "" : " none", r.draws, r.walk.commands, vgt_plural(r.walk.commands));
        if (r.unlisted) {
            printf("past %u defines: %" PRIu64 " more not listed\n", VGT_SHADER_LIST_MAX_DEFINES,
                   r.unlisted);
        }
    }
    rc = r.walk.skipped || r.walk.problems_lost ? VGT_EXIT_DATA : VGT_EXIT_OK;
    vgt_shader_list_free(&r);
    return rc;
}

typedef struct extract_ctx {
    const trace_args *a;
    uint64_t bins, asms;
} extract_ctx;

/* Writes define d's .bin and .asm (as it is read). */
static vgt_status extract_define(void *ctx, const vgt_shader_def *d, size_t index,
                                 const uint32_t *words, vgt_error *err)
{
    extract_ctx *x = ctx;
    if (x->a->distinct && d->same_as != index) {
        return VGT_OK; /* its bytecode is in its first define's files */
    }
    char name[96], path[4096];
    def_name(d, name, sizeof(name));
    snprintf(path, sizeof(path), "%s/%s.bin", x->a->dir, name);
    if (!write_words(path, words, d->tokens)) {
        return vgt_error_set(err, VGT_E_IO, "cannot write %s: %s", path, strerror(errno));
    }
    x->bins++;
    if (!d->valid) {
        printf("%s.bin (no .asm: invalid: %s)\n", name, d->reason);
        return VGT_OK;
    }
    vgt_shader *sh;
    char *text = NULL;
    size_t len = 0;
    vgt_status st = vgt_shader_parse(words, d->tokens, &sh, NULL, err);
    if (st == VGT_OK) {
        /* With the comment blocks and trailing words: the .asm assembles
         * back into the .bin byte for byte. */
        st = vgt_shader_disassemble(sh, VGT_SHADER_DIS_KEEP_COMMENTS, &text, &len, err);
        vgt_shader_free(sh);
    }
    if (st != VGT_OK) {
        return st;
    }
    snprintf(path, sizeof(path), "%s/%s.asm", x->a->dir, name);
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(text, 1, len, f) == len;
    if (f && fclose(f) != 0) {
        ok = false;
    }
    free(text);
    if (!ok) {
        return vgt_error_set(err, VGT_E_IO, "cannot write %s: %s", path, strerror(errno));
    }
    x->asms++;
    printf("%s.bin %s.asm\n", name, name);
    return VGT_OK;
}

static int cmd_extract(int argc, char **argv)
{
    trace_args a;
    int rc = parse_trace_args(argc, argv, true, &a);
    if (rc != VGT_EXIT_OK) {
        return rc;
    }
    char why[128];
    if (!vgt_cli_make_dir(a.dir, why, sizeof(why))) {
        return vgt_cli_fail(VGT_EXIT_DATA, "shader", "--dir: cannot write into '%s': %s", a.dir,
                            why);
    }
    extract_ctx x = {.a = &a};
    a.o.on_define = extract_define;
    a.o.ctx = &x;
    vgt_shader_list_result r;
    rc = list_shaders(&a, &r);
    if (rc == VGT_EXIT_OK) {
        uint64_t shared = 0;
        for (size_t i = 0; a.distinct && i < r.ndefs; i++) {
            char name[96], first[96];
            const vgt_shader_def *d = &r.defs[i];
            if (d->same_as == i) {
                continue;
            }
            def_name(d, name, sizeof(name));
            def_name(&r.defs[d->same_as], first, sizeof(first));
            printf("%s: the bytecode of %s\n", name, first);
            shared++;
        }
        printf("%zu define%s: %" PRIu64 " .bin and %" PRIu64 " .asm written into %s", r.ndefs,
               vgt_plural(r.ndefs), x.bins, x.asms, a.dir);
        if (a.distinct) {
            printf(", %" PRIu64 " define%s sharing a bytecode written before", shared,
                   vgt_plural(shared));
        }
        printf("\n");
        rc = r.walk.skipped || r.walk.problems_lost ? VGT_EXIT_DATA : VGT_EXIT_OK;
    }
    vgt_shader_list_free(&r);
    return rc;
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
    if (strcmp(argv[1], "list") == 0) {
        return cmd_list(argc, argv);
    }
    if (strcmp(argv[1], "extract") == 0) {
        return cmd_extract(argc, argv);
    }
    return vgt_cli_fail(VGT_EXIT_USAGE, "shader", "unknown mode '%s' (asm, dis, list or extract)",
                        argv[1]);
}
