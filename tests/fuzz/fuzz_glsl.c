/* fuzz_glsl.c - the gl backend's Direct3D 9 -> GLSL translator, translation
 * only (no GL context, no GL call): gl_shader_new (parse, validate,
 * translate the body) and gl_shader_source (the program's vertex and
 * fragment source for a key), as gl_shader_program would compile them.
 *
 * Input: a 9-byte state header, then bytecode (little-endian words):
 *   [0] bits 0-1 linkage (0: the shader alone, the other side fixed
 *       function; 1: a vs+ps pair, both from the input; 2, 3: the body
 *       only), bit 2 flat, bit 3 zremap, bit 4 clip, bits 5-6 fog
 *       (0 none, 1 factor, 2 distance), bit 7 the FF side's flat
 *   [1] bits 0-1 out_mode, bits 2-5 alpha_func, bits 6-7 fog_func
 *   [2..5] sampler kinds (2 bits per sampler s0..s15: unbound, 2D, cube, 3D)
 *   [6..7] PROJECTED per ps_1_x stage (2 bits each: off, y, z, w)
 *   [8] the FF side's texcoord sets (mask; with a lone ps also the sets)
 *   with linkage 1: a 16-bit word count of the first shader, then its words
 *   and the second's.
 * The state is limited the way gl_draw.c builds a key (fog only for ps <
 * 3.0, PROJECTED only for ps < 1.4, alpha_func NEVER..ALWAYS-1 or 0).
 *
 * Invariants of every accepted shader's body and sources: NUL-terminated
 * within a bound that depends on the instruction count, only GLSL's
 * characters (ASCII letters, digits, space, newline, GLSL punctuation: no
 * control or 8-bit bytes, no quotes or backslashes), balanced (), [] and {}
 * never closing below zero, identifiers and numbers of bounded length (the
 * guest's values are printed by the translator, never pasted), and the body
 * is the same when translated again from a separate parse. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "gl_shader.h"
#include "vgt_protocol.h"

#define GLSL_MAX_TOKEN  48
#define GLSL_BASE_BYTES (64u * 1024u)
#define GLSL_INSN_BYTES 4096u

static void fail(const char *what, const char *src)
{
    fprintf(stderr, "fuzz_glsl: %s\n%s\n", what, src ? src : "(null)");
    abort();
}

static bool glsl_char(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return true;
    }
    return c == ' ' || c == '\n' || (c && strchr("_{}()[];,.=+-*/<>!&|?:#%^~", c));
}

/* The invariants of one generated text, at most max bytes long. */
static void check_text(const char *src, size_t max)
{
    if (!src) {
        fail("no text", NULL);
    }
    size_t len = strnlen(src, max + 1);
    if (len > max) {
        fail("text longer than its bound", NULL);
    }
    long paren = 0, bracket = 0, brace = 0;
    size_t tok = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)src[i];
        if (!glsl_char(c)) {
            fail("a character GLSL does not have", src);
        }
        bool word = c == '_' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                    (c >= 'A' && c <= 'Z');
        tok = word ? tok + 1 : 0;
        if (tok > GLSL_MAX_TOKEN) {
            fail("an identifier or number too long", src);
        }
        paren += c == '(' ? 1 : (c == ')' ? -1 : 0);
        bracket += c == '[' ? 1 : (c == ']' ? -1 : 0);
        brace += c == '{' ? 1 : (c == '}' ? -1 : 0);
        if (paren < 0 || bracket < 0 || brace < 0) {
            fail("a bracket closed before it was opened", src);
        }
    }
    if (paren || bracket || brace) {
        fail("unbalanced brackets", src);
    }
}

/* The type of a version token's shader, 0 when it is neither. */
static uint32_t shader_type(const uint32_t *w, size_t n)
{
    if (n == 0) {
        return 0;
    }
    uint32_t hi = w[0] >> 16;
    return hi == 0xFFFEu ? VGT_SVGA3D_SHADERTYPE_VS
                         : (hi == 0xFFFFu ? VGT_SVGA3D_SHADERTYPE_PS : 0);
}

/* An exact-size heap copy of n words (so a read past them is caught). */
static uint32_t *copy_words(const uint8_t *p, size_t n)
{
    uint32_t *w = malloc(n ? n * 4u : 4u);
    if (w) {
        for (size_t i = 0; i < n; i++) {
            w[i] = vgt_load_le32(p + 4u * i);
        }
    }
    return w;
}

/* gl_shader_new, plus the body's invariants and determinism; NULL if refused. */
static gl_shader *make(const uint32_t *w, size_t n, size_t *insns)
{
    uint32_t type = shader_type(w, n);
    if (!type || n > UINT32_MAX) {
        return NULL;
    }
    gl_shader *g = NULL;
    uint64_t ns = 0;
    vgt_error err = {0};
    if (gl_shader_new(type, w, (uint32_t)n, &g, &ns, &err) != VGT_OK) {
        return NULL;
    }
    /* the same body from a separate parse (gl_shader_translate) */
    vgt_shader *sh = NULL;
    if (vgt_shader_parse(w, n, &sh, NULL, &err) != VGT_OK) {
        fail("gl_shader_new accepted what vgt_shader_parse refuses", NULL);
    }
    *insns = sh->insn_count;
    size_t bound = GLSL_BASE_BYTES + (size_t)sh->insn_count * GLSL_INSN_BYTES;
    check_text(gl_shader_body(g), bound);
    char *body = NULL;
    if (gl_shader_translate(sh, &body, &err) == VGT_OK) {
        if (strcmp(body, gl_shader_body(g)) != 0) {
            fail("the body differs when translated again", body);
        }
        free(body);
    }
    vgt_shader_free(sh);
    (void)gl_shader_unsupported(g);
    (void)gl_shader_samplers(g);
    return g;
}

static bool verbose; /* VGT_FUZZ_GLSL_VERBOSE: what each input produced */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    verbose = getenv("VGT_FUZZ_GLSL_VERBOSE") != NULL;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz f = {data, size};
    uint8_t h0 = fz_u8(&f), h1 = fz_u8(&f);
    uint32_t kinds = fz_u32(&f);
    uint16_t proj = fz_u16(&f);
    uint8_t tcs = fz_u8(&f);
    unsigned linkage = h0 & 3u;
    size_t first = linkage == 1 ? fz_u16(&f) : SIZE_MAX;
    size_t got = 0;
    const uint8_t *p = fz_bytes(&f, fz_left(&f), &got);
    size_t nwords = got / 4u;
    if (first > nwords) {
        first = nwords;
    }
    uint32_t *w1 = copy_words(p, first);
    uint32_t *w2 = copy_words(p + 4u * first, nwords - first);
    gl_shader *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    if (!w1 || !w2) {
        goto done;
    }
    a = make(w1, first, &na);
    if (linkage == 1) {
        b = make(w2, nwords - first, &nb);
    }
    if (!a || linkage >= 2) {
        goto done;
    }
    gl_sh_key k;
    memset(&k, 0, sizeof(k));
    const gl_shader *vs = NULL, *ps = NULL;
    if (shader_type(w1, first) == VGT_SVGA3D_SHADERTYPE_VS) {
        vs = a;
    } else {
        ps = a;
    }
    if (b) {
        if (shader_type(w2, nwords - first) == VGT_SVGA3D_SHADERTYPE_VS) {
            vs = vs ? vs : b;
        } else {
            ps = ps ? ps : b;
        }
    }
    k.vs = vs;
    k.ps = ps;
    k.zremap = (h0 >> 3) & 1u;
    k.out_mode = h1 & 3u;
    uint8_t af = (h1 >> 2) & 15u;
    k.alpha_func = af >= VGT_SVGA3D_CMP_NEVER && af < VGT_SVGA3D_CMP_ALWAYS ? af : 0;
    k.flat = (h0 >> 2) & 1u;
    if (vs) {
        k.clip = (h0 & 0x10u) ? 0x3Fu : 0;
    }
    if (!vs || !ps) {
        /* a plain fixed-function side: diffuse color, texcoord sets tcs */
        k.ff.has_color0 = 1;
        k.ff.flat = h0 >> 7;
        k.ff.zremap = k.zremap;
        k.ff.tc_mask = tcs;
        k.ff.tc_have = tcs;
        k.ff.fog = (h0 >> 5) & 3u;
        k.ff.fog = k.ff.fog > 2 ? 2 : k.ff.fog;
        k.ff.fog_func = (uint8_t)(1u + ((h1 >> 6) & 3u));
        k.ff.nstages = 1;
        k.ff.stages[0].color_op = VGT_SVGA3D_TC_SELECTARG1;
        k.ff.stages[0].color_arg[1] = VGT_SVGA3D_TA_DIFFUSE;
        k.ff.stages[0].alpha_op = VGT_SVGA3D_TC_SELECTARG1;
        k.ff.stages[0].alpha_arg[1] = VGT_SVGA3D_TA_DIFFUSE;
    }
    if (ps) {
        if (gl_shader_version(ps) < VGT_SHADER_V14) {
            for (uint32_t n = 0; n < 8; n++) {
                k.proj[n] = (uint8_t)((proj >> (2 * n)) & 3u);
            }
        }
        uint8_t fog = (h0 >> 5) & 3u;
        if (fog && fog < 3 && gl_shader_version(ps) < VGT_SHADER_V30) {
            k.fog = fog;
            k.fog_func = (uint8_t)(1u + ((h1 >> 6) & 3u)); /* EXP .. PER_VERTEX */
        }
        uint32_t samplers = gl_shader_samplers(ps);
        for (uint32_t s = 0; s < 16; s++) {
            if ((samplers & (1u << s)) && s < GLB_MAX_STAGES) {
                k.tex_kind[s] = (uint8_t)((kinds >> (2 * s)) & 3u);
            }
        }
        if (!vs) {
            for (uint32_t n = 0; n < 8; n++) {
                uint8_t set = (uint8_t)((tcs >> n) & 1u ? n : (n + 1u) & 7u);
                k.ff_tcset[n] = set;
                k.ff.tc_mask |= (uint8_t)(1u << set);
            }
            memset(&k.ff.stages, 0, sizeof(k.ff.stages));
            k.ff.nstages = 0;
        }
    }
    char *vsrc = NULL, *fsrc = NULL;
    vgt_error err = {0};
    if (gl_shader_source(&k, &vsrc, &fsrc, &err) == VGT_OK) {
        size_t bound = 2 * GLSL_BASE_BYTES + (na + nb) * 2u * GLSL_INSN_BYTES;
        check_text(vsrc, bound);
        check_text(fsrc, bound);
        if (verbose) {
            fprintf(stderr, "fuzz_glsl: vs %s, ps %s: %zu + %zu bytes of GLSL\n",
                    vs ? "shader" : "fixed function", ps ? "shader" : "fixed function",
                    strlen(vsrc), strlen(fsrc));
        }
    } else if (verbose) {
        fprintf(stderr, "fuzz_glsl: no source: %s\n", err.message);
    }
    free(vsrc);
    free(fsrc);
done:
    gl_shader_free(a);
    gl_shader_free(b);
    free(w1);
    free(w2);
    return 0;
}
