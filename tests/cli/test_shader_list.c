/* test_shader_list.c - vgt_shader_list (vgt shader list / extract) on a
 * hand-made trace whose every define and draw is known: an invalid shader
 * (its validator's reason and token index), a redefinition the device
 * takes (draws move to the new define) and one it refuses (invalid: the
 * old stays bound), a SHADER_DESTROY of the bound shader and a draw after
 * it (counted for no define), a define in an undefined context, one an
 * ERROR record names, one bytecode defined twice (same_as, distinct), a
 * context's destroy ending its shaders; the draws the executor refuses
 * (no target, no context) counted for nothing; --frames selecting; the
 * CLI's listing, JSON and files of the same trace (extract, --distinct). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trace_writer_util.h"
#include "vgt_format.h"
#include "vgt_replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[1024];
static char trace[1100];

/* SHADER_DEFINE of the assembly text (or of the raw words when text is NULL). */
static void define(tw *t, uint32_t cid, uint32_t shid, uint32_t type, const char *text,
                   const uint32_t *raw, uint32_t nraw)
{
    uint32_t c[64] = {VGT_SVGA3D_CMD_SHADER_DEFINE, 0, cid, shid, type};
    uint32_t *words = NULL;
    size_t n = nraw;
    if (text) {
        vgt_error err = {0};
        if (vgt_shader_assemble(text, strlen(text), &words, &n, NULL, &err) != VGT_OK) {
            fail_msg("assembling %s: %s", text, err.message);
        }
        raw = words;
    }
    assert_true(n <= 59);
    memcpy(c + 5, raw, n * 4u);
    tw_cmd(t, c, 5u + (uint32_t)n);
    free(words);
}

static void destroy(tw *t, uint32_t cid, uint32_t type, uint32_t shid)
{
    const uint32_t c[] = {VGT_SVGA3D_CMD_SHADER_DESTROY, 0, cid, shid, type};
    tw_cmd(t, c, 5);
}

static void draw(tw *t, uint32_t cid)
{
    const uint32_t c[] = {VGT_SVGA3D_CMD_DRAW_PRIMITIVES, 0, cid, 0, 0};
    tw_cmd(t, c, 5);
}

/* SURFACE_DEFINE of a w x h surface sid of format (one face, one mip). */
static void surface_of(tw *t, uint32_t sid, uint32_t format, uint32_t w, uint32_t h)
{
    const uint32_t c[] = {
        VGT_SVGA3D_CMD_SURFACE_DEFINE, 0, sid, 0, format, 1, 0, 0, 0, 0, 0, w, h, 1};
    tw_cmd(t, c, 14);
}

/* SURFACE_DEFINE of a 4x4 surface sid of format. */
static void surface(tw *t, uint32_t sid, uint32_t format)
{
    surface_of(t, sid, format, 4, 4);
}

/* SETRENDERTARGET of context cid's slot type to sid (face 0, mip 0). */
static void set_target(tw *t, uint32_t cid, uint32_t type, uint32_t sid)
{
    const uint32_t c[] = {VGT_SVGA3D_CMD_SETRENDERTARGET, 0, cid, type, sid, 0, 0};
    tw_cmd(t, c, 7);
}

/* A colour target (surface sid) for context cid: the executor runs no
 * draw without one (or a depth target). */
static void target(tw *t, uint32_t cid, uint32_t sid)
{
    surface(t, sid, VGT_SVGA3D_X8R8G8B8);
    set_target(t, cid, VGT_SVGA3D_RT_COLOR0, sid);
}

#define VS VGT_SVGA3D_SHADERTYPE_VS
#define PS VGT_SVGA3D_SHADERTYPE_PS
static const char VS_A[] = "vs_2_0\nmov oPos, v0\n";
static const char VS_B[] = "vs_2_0\nmov oPos, v0\nmov oD0, v0\n";
static const char PS_A[] = "ps_2_0\nmov oC0, c0\n";
/* an instruction token of no opcode (0x7777) at token 1 */
static const uint32_t PS_BAD[] = {0xFFFF0200u, 0x00007777u, 0x0000FFFFu};
/* vs_2_0 with a parameter token where an instruction belongs, at token 2 */
static const uint32_t VS_BAD[] = {0xFFFE0200u, 0x00000000u, 0x80000000u, 0x0000FFFFu};

/* Seqs as written:
 *  frame 0:  0 CONTEXT_DEFINE 1   1 SURFACE_DEFINE 1   2 SETRENDERTARGET
 *            COLOR0 1   3 DEFINE vs 1 (A)   4 DEFINE ps 1 (A)
 *            5 SET_SHADER vs 1   6 SET_SHADER ps 1   7 DRAW   8 DRAW
 *            9 DEFINE ps 2 (invalid at token 1)   10 DEFINE vs 1 (B: redefines)
 *            11 DRAW   12 DESTROY ps 1 (bound: unbinds)   13 DRAW (no ps)
 *            14 DEFINE vs 3 (A again)   15 DEFINE vs 1 (invalid: refused,
 *            B stays)   16 DRAW   17 DEFINE ps 1 in context 9 (undefined)
 *  frame 1:  18 SET_SHADER vs 3   19 DRAW   20 DEFINE ps 1 (A again: not
 *            bound, the destroy at 12 unbound it)   21 SET_SHADER vs 7 (not
 *            defined: refused, vs 3 stays bound)   22 DRAW   23 DEFINE ps 5
 *            (A; an ERROR names it)   24 CONTEXT_DESTROY 1   25 DRAW (no
 *            context: refused) */
static void write_trace(const char *path)
{
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1);
    target(&t, 1, 1);
    define(&t, 1, 1, VS, VS_A, NULL, 0);
    define(&t, 1, 1, PS, PS_A, NULL, 0);
    tw_set_shader(&t, 1, VS, 1);
    tw_set_shader(&t, 1, PS, 1);
    draw(&t, 1);
    draw(&t, 1);
    define(&t, 1, 2, PS, NULL, PS_BAD, 3);
    define(&t, 1, 1, VS, VS_B, NULL, 0);
    draw(&t, 1);
    destroy(&t, 1, PS, 1);
    draw(&t, 1);
    define(&t, 1, 3, VS, VS_A, NULL, 0);
    define(&t, 1, 1, VS, NULL, VS_BAD, 4);
    draw(&t, 1);
    define(&t, 9, 1, PS, PS_A, NULL, 0);
    tw_end_frame(&t, 0, 1);
    tw_set_shader(&t, 1, VS, 3);
    draw(&t, 1);
    define(&t, 1, 1, PS, PS_A, NULL, 0);
    tw_set_shader(&t, 1, VS, 7);
    draw(&t, 1);
    tw_error(&t, 23, 1, "refused");
    define(&t, 1, 5, PS, PS_A, NULL, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DESTROY, 1);
    draw(&t, 1);
    tw_end_frame(&t, 1, 2);
    tw_close(&t);
}

static int setup(void **state)
{
    (void)state;
    if (tw_tmpdir_make(tmpdir, sizeof(tmpdir), "shader-list") != 0) {
        return -1;
    }
    snprintf(trace, sizeof(trace), "%s/t.vgt", tmpdir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return tw_tmpdir_remove(tmpdir);
}

static void list(const vgt_shader_list_options *o, vgt_shader_list_result *r)
{
    vgt_trace_reader *rd;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(trace, NULL, &rd, &err), VGT_OK);
    vgt_status st = vgt_shader_list(rd, o, r, &err);
    vgt_trace_reader_close(rd);
    if (st != VGT_OK) {
        fail_msg("vgt_shader_list: %s", err.message);
    }
}

static void assert_def(const vgt_shader_def *d, uint64_t seq, uint32_t cid, uint32_t type,
                       uint32_t shid, bool valid, bool refused, uint64_t draws,
                       vgt_shader_def_end end, uint64_t end_seq)
{
    assert_int_equal(d->seq, seq);
    assert_int_equal(d->cid, cid);
    assert_int_equal(d->type, type);
    assert_int_equal(d->shid, shid);
    assert_int_equal(d->valid, valid);
    assert_int_equal(d->refused, refused);
    assert_int_equal(d->draws, draws);
    assert_int_equal(d->end, end);
    assert_int_equal(d->end_seq, end_seq);
}

static void test_shader_list_defines(void **state)
{
    (void)state;
    write_trace(trace);
    vgt_shader_list_result r;
    list(NULL, &r);
    assert_int_equal(r.ndefs, 9);
    assert_int_equal(r.walk.commands, 26);
    assert_int_equal(r.walk.rejected, 1);
    assert_int_equal(r.walk.undecodable, 0);
    /* the draws the device ran: seven, not the last (its context gone) */
    assert_int_equal(r.draws, 7);
    const vgt_shader_def *d = r.defs;
    assert_def(&d[0], 3, 1, VS, 1, true, false, 2, VGT_SHADER_END_REDEFINE, 10);
    assert_def(&d[1], 4, 1, PS, 1, true, false, 3, VGT_SHADER_END_DESTROY, 12);
    assert_def(&d[2], 9, 1, PS, 2, false, true, 0, VGT_SHADER_END_NONE, UINT64_MAX);
    /* drawn at 11, 13 (after the ps's destroy) and 16 (the invalid
     * redefinition refused: B still bound) */
    assert_def(&d[3], 10, 1, VS, 1, true, false, 3, VGT_SHADER_END_CONTEXT, 24);
    assert_def(&d[4], 14, 1, VS, 3, true, false, 2, VGT_SHADER_END_CONTEXT, 24);
    assert_def(&d[5], 15, 1, VS, 1, false, true, 0, VGT_SHADER_END_NONE, UINT64_MAX);
    assert_def(&d[6], 17, 9, PS, 1, true, true, 0, VGT_SHADER_END_NONE, UINT64_MAX);
    assert_string_equal(d[6].reason, "context 9 is not defined");
    assert_def(&d[7], 20, 1, PS, 1, true, false, 0, VGT_SHADER_END_CONTEXT, 24);
    assert_def(&d[8], 23, 1, PS, 5, true, true, 0, VGT_SHADER_END_NONE, UINT64_MAX);
    assert_non_null(strstr(d[8].reason, "ERROR record"));
    /* the validator's faults, where */
    assert_int_equal(d[2].fault, VGT_SHADER_FAULT_OPCODE);
    assert_int_equal(d[2].fault_token, 1);
    assert_non_null(strstr(d[2].reason, "token 1"));
    assert_int_equal(d[5].fault_token, 2);
    /* sizes, versions, instructions */
    assert_int_equal(d[0].tokens, 5);
    assert_int_equal(d[0].insns, 1);
    assert_int_equal(d[3].insns, 2);
    assert_int_equal(d[0].version_token, 0xFFFE0200u);
    assert_int_equal(d[2].tokens, 3);
    assert_int_equal(d[0].frame, 0);
    assert_int_equal(d[4].frame, 0);
    assert_int_equal(d[7].frame, 1);
    /* hashes: XXH3_64 of the bytes; A twice, PS_A three times */
    uint8_t le[16];
    const uint32_t *w = (const uint32_t[]){0xFFFF0200u, 0x00007777u, 0x0000FFFFu};
    for (int i = 0; i < 3; i++) {
        vgt_store_le32(le + 4 * i, w[i]);
    }
    assert_true(d[2].hash == vgt_trace_hash64(le, 12));
    assert_true(d[4].hash == d[0].hash);
    assert_int_equal(d[4].same_as, 0);
    assert_int_equal(d[6].same_as, 1);
    assert_int_equal(d[7].same_as, 1);
    assert_int_equal(d[8].same_as, 1);
    assert_int_equal(d[3].same_as, 3);
    assert_int_equal(r.distinct, 5);
    vgt_shader_list_free(&r);
}

static void test_shader_list_frames(void **state)
{
    (void)state;
    write_trace(trace);
    vgt_shader_list_options o = {.frames = true, .first_frame = 1, .last_frame = 1};
    vgt_shader_list_result r;
    list(&o, &r);
    assert_int_equal(r.ndefs, 2);
    assert_int_equal(r.defs[0].seq, 20);
    assert_int_equal(r.defs[1].seq, 23);
    /* the draws of frame 1 ran frame 0's vs 3, not listed: counted for none */
    assert_int_equal(r.defs[0].draws, 0);
    assert_int_equal(r.defs[1].draws, 0);
    assert_int_equal(r.draws, 7);
    assert_int_equal(r.distinct, 1);
    vgt_shader_list_free(&r);
    /* frame 0's: the vs 3 drawn in frame 1 is counted there too */
    o.first_frame = o.last_frame = 0;
    list(&o, &r);
    assert_int_equal(r.ndefs, 7);
    assert_int_equal(r.defs[4].draws, 2);
    vgt_shader_list_free(&r);
}

/* A define's callback failing stops the walk with its error. */
static vgt_status refuse(void *ctx, const vgt_shader_def *d, size_t index, const uint32_t *words,
                         vgt_error *err)
{
    (void)ctx;
    (void)words;
    return index == 2
               ? vgt_error_set(err, VGT_E_IO, "no room for seq %llu", (unsigned long long)d->seq)
               : VGT_OK;
}

static void test_shader_list_callback(void **state)
{
    (void)state;
    write_trace(trace);
    vgt_shader_list_options o = {.on_define = refuse};
    vgt_trace_reader *rd;
    vgt_error err = {0};
    vgt_shader_list_result r;
    assert_int_equal(vgt_trace_reader_open(trace, NULL, &rd, &err), VGT_OK);
    assert_int_equal(vgt_shader_list(rd, &o, &r, &err), VGT_E_IO);
    assert_string_equal(err.message, "no room for seq 9");
    vgt_trace_reader_close(rd);
    vgt_shader_list_free(&r);
}

/* The CLI on the same trace: the listing's columns and reasons, JSON,
 * extract's files (the invalid one's .bin without .asm), --distinct. */
static void test_shader_list_cli(void **state)
{
    (void)state;
    write_trace(trace);
    const char *v = VGT_BINARY_DIR "/vgt";
    tw_shell_ok("'%s' shader list '%s' > '%s/l.txt'", v, trace, tmpdir);
    tw_shell_ok("grep -q '^ *9 *0 *1 *ps *2 ps_2_0 *3 *- [0-9a-f]\\{16\\} no *0 refused  invalid: "
                ".*token 1' '%s/l.txt'",
                tmpdir);
    tw_shell_ok(
        "grep -q '^ *3 *0 *1 *vs *1 vs_2_0 *5 *1 [0-9a-f]\\{16\\} yes *2 redefine@10$' '%s/l.txt'",
        tmpdir);
    tw_shell_ok(
        "grep -q '^ *4 *0 *1 *ps *1 ps_2_0 *5 *1 [0-9a-f]\\{16\\} yes *3 destroy@12$' '%s/l.txt'",
        tmpdir);
    tw_shell_ok("grep -q ' yes *0 refused  (context 9 is not defined)$' '%s/l.txt'", tmpdir);
    tw_shell_ok("grep -q '^defines: 9 (4 vs, 5 ps), 5 distinct bytecodes, 2 invalid, 4 refused, 5 "
                "never drawn with$' '%s/l.txt'",
                tmpdir);
    tw_shell_ok("grep -q '^versions: vs_2_0 4, ps_2_0 5$' '%s/l.txt'", tmpdir);
    tw_shell_ok(
        "'%s' shader list '%s' --json | jq -e -s '(.[2].invalid_token == 1) and "
        "(.[2].refused | test(\"validate\")) and (.[1].destroy_seq == 12) and "
        "(.[0].end == \"redefine\") and (.[4].same_as_seq == 3) and (.[9].distinct == 5) "
        "and (.[9].never_drawn == 5) and (.[9].versions == {\"vs_2_0\": 4, \"ps_2_0\": 5}) and "
        "(.[7].end_seq == 24) and (.[7].draws == 0)' "
        "> /dev/null",
        v, trace);
    tw_shell_ok("'%s' shader extract '%s' --dir '%s/x' > '%s/x.txt'", v, trace, tmpdir, tmpdir);
    tw_shell_ok("grep -qx 'c1-ps2-9.bin (no .asm: invalid: .*token 1.*)' '%s/x.txt'", tmpdir);
    tw_shell_ok("test -f '%s/x/c1-ps2-9.bin' && test ! -e '%s/x/c1-ps2-9.asm'", tmpdir, tmpdir);
    tw_shell_ok("printf '\\000\\002\\377\\377\\167\\167\\000\\000\\377\\377\\000\\000' | cmp -s - "
                "'%s/x/c1-ps2-9.bin'",
                tmpdir);
    tw_shell_ok("grep -qx '9 defines: 9 .bin and 7 .asm written into %s/x' '%s/x.txt'", tmpdir,
                tmpdir);
    tw_shell_ok("'%s' shader asm '%s/x/c9-ps1-17.asm' -o '%s/rt.bin' && cmp '%s/rt.bin' "
                "'%s/x/c9-ps1-17.bin'",
                v, tmpdir, tmpdir, tmpdir, tmpdir);
    tw_shell_ok("'%s' shader extract '%s' --dir '%s/y' --distinct > '%s/y.txt'", v, trace, tmpdir,
                tmpdir);
    tw_shell_ok("test $(ls '%s/y' | grep -c bin) -eq 5", tmpdir);
    tw_shell_ok("grep -qx 'c1-vs3-14: the bytecode of c1-vs1-3' '%s/y.txt'", tmpdir);
    tw_shell_ok("grep -qx 'c1-ps5-23: the bytecode of c1-ps1-4' '%s/y.txt'", tmpdir);
    tw_shell_ok("grep -qx '9 defines: 5 .bin and 3 .asm written into %s/y, 4 defines sharing a "
                "bytecode written before' '%s/y.txt'",
                tmpdir, tmpdir);
    /* counts of one are singular (they read "1 distinct bytecodes", "in 1
     * commands", "1 defines: ...", "1 defines sharing"): frame 1's two
     * defines of one bytecode, and a trace of one command, a define */
    tw_shell_ok("'%s' shader list '%s' --frames 1 > '%s/l1.txt'", v, trace, tmpdir);
    tw_shell_ok("grep -q '^defines: 2 (0 vs, 2 ps), 1 distinct bytecode, 0 invalid, ' '%s/l1.txt'",
                tmpdir);
    tw_shell_ok("'%s' shader extract '%s' --frames 1 --dir '%s/z' --distinct > '%s/z.txt'", v,
                trace, tmpdir, tmpdir);
    tw_shell_ok("grep -qx '2 defines: 1 .bin and 1 .asm written into %s/z, 1 define sharing a "
                "bytecode written before' '%s/z.txt'",
                tmpdir, tmpdir);
    char one[1200];
    snprintf(one, sizeof(one), "%s/one.vgt", tmpdir);
    tw t;
    tw_open(&t, one, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    define(&t, 1, 1, PS, PS_A, NULL, 0);
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    tw_shell_ok("'%s' shader list '%s' > '%s/one.txt'", v, one, tmpdir);
    tw_shell_ok("grep -qx 'draws: 0 DRAW_PRIMITIVES run, in 1 command' '%s/one.txt'", tmpdir);
    tw_shell_ok("'%s' shader extract '%s' --dir '%s/o' > '%s/o.txt'", v, one, tmpdir, tmpdir);
    tw_shell_ok("grep -qx '1 define: 1 .bin and 1 .asm written into %s/o' '%s/o.txt'", tmpdir,
                tmpdir);
}

/* The executor's other refusals: a pixel shader's bytecode defined as a
 * vertex shader, an id past its table; neither replaces the shader bound.
 * The context defined again over the live one ends the shader's life. */
static void test_shader_list_refusals(void **state)
{
    (void)state;
    tw t;
    tw_open(&t, trace, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1);
    target(&t, 1, 1);
    define(&t, 1, 0, VS, VS_A, NULL, 0);
    tw_set_shader(&t, 1, VS, 0);
    define(&t, 1, 0, VS, PS_A, NULL, 0);
    define(&t, 1, 8192, VS, VS_A, NULL, 0);
    draw(&t, 1);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1); /* 8: over the live one */
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    vgt_shader_list_result r;
    list(NULL, &r);
    assert_int_equal(r.ndefs, 3);
    assert_def(&r.defs[0], 3, 1, VS, 0, true, false, 1, VGT_SHADER_END_CONTEXT, 8);
    assert_def(&r.defs[1], 5, 1, VS, 0, true, true, 0, VGT_SHADER_END_NONE, UINT64_MAX);
    assert_string_equal(r.defs[1].reason, "a pixel shader's bytecode defined as VS");
    assert_def(&r.defs[2], 6, 1, VS, 8192, true, true, 0, VGT_SHADER_END_NONE, UINT64_MAX);
    assert_string_equal(r.defs[2].reason, "shader id 8192 (ids are 0..8191)");
    vgt_shader_list_free(&r);
}

/* The trace's one define (VS 1 of context 1, seq 1, bound at 2) ran 2 of
 * its draws, and the summary says 2 of all `commands` (the API and the
 * CLI's lines). */
static void two_of_draws_run(uint32_t commands)
{
    vgt_shader_list_result r;
    list(NULL, &r);
    assert_int_equal(r.ndefs, 1);
    assert_int_equal(r.draws, 2);
    assert_def(&r.defs[0], 1, 1, VS, 1, true, false, 2, VGT_SHADER_END_NONE, UINT64_MAX);
    vgt_shader_list_free(&r);
    tw_shell_ok("'%s/vgt' shader list '%s' > '%s/d.txt'", VGT_BINARY_DIR, trace, tmpdir);
    tw_shell_ok("grep -qx 'draws: 2 DRAW_PRIMITIVES run, in %u commands' '%s/d.txt'", commands,
                tmpdir);
    tw_shell_ok("grep -q '^ *1 *0 *1 *vs *1 vs_2_0 *5 *1 [0-9a-f]\\{16\\} yes *2 -$' '%s/d.txt'",
                tmpdir);
}

/* The draws the executor refuses (no ERROR record says so in a hand-made
 * trace) run no shader: with no colour nor depth target (none set yet, the
 * colour one unbound, the depth one's surface destroyed, a target of the
 * wrong kind refused), of a context not defined.  Only the two with a
 * target count, in the define's draws and in the summary's. */
static void test_shader_list_refused_draws(void **state)
{
    (void)state;
    tw t;
    tw_open(&t, trace, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1);                  /* 0 */
    define(&t, 1, 1, VS, VS_A, NULL, 0);                            /* 1 */
    tw_set_shader(&t, 1, VS, 1);                                    /* 2 */
    draw(&t, 1);                                                    /* 3: no target */
    target(&t, 1, 1);                                               /* 4, 5 */
    draw(&t, 1);                                                    /* 6: drawn */
    set_target(&t, 1, VGT_SVGA3D_RT_COLOR0, VGT_SVGA3D_INVALID_ID); /* 7 */
    draw(&t, 1);                                                    /* 8: no target */
    surface(&t, 2, VGT_SVGA3D_Z_D16);                               /* 9 */
    set_target(&t, 1, VGT_SVGA3D_RT_DEPTH, 2);                      /* 10 */
    draw(&t, 1);                                                    /* 11: drawn, depth only */
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 2);                 /* 12: unbinds it */
    draw(&t, 1);                                                    /* 13: no target */
    draw(&t, 5);                                                    /* 14: no context */
    surface(&t, 3, VGT_SVGA3D_X8R8G8B8);                            /* 15 */
    set_target(&t, 1, VGT_SVGA3D_RT_DEPTH, 3);                      /* 16: not a depth format */
    draw(&t, 1);                                                    /* 17: no target */
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    two_of_draws_run(18);
}

/* Opens the trace and writes 0 CONTEXT_DEFINE 1   1 VS 1   2 SET_SHADER
 * VS 1   3, 4 COLOR0 sid, 4x4   5 DRAW (no declaration, no range): runs. */
static void open_drawing(tw *t, uint32_t sid)
{
    tw_open(t, trace, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_cmd3(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1);
    define(t, 1, 1, VS, VS_A, NULL, 0);
    tw_set_shader(t, 1, VS, 1);
    target(t, 1, sid);
    draw(t, 1);
}

/* Draws the executor refuses for their targets' sizes (e3d_check_target_sizes,
 * through the tracker) count for no shader and not in the summary:
 *   0 CONTEXT_DEFINE 1   1 VS 1   2 SET_SHADER VS 1   3, 4 COLOR0 4x4
 *   5 DRAW: runs   6 sid 2 X8R8G8B8 8x4   7 COLOR2 2   8 DRAW: refused
 *   9 COLOR2 none   10 sid 3 Z_D16 2x4   11 DEPTH 3   12 DRAW: refused (narrower)
 *   13 sid 4 Z_D16 4x2   14 DEPTH 4   15 DRAW: refused (lower)
 *   16 sid 5 Z_D16 8x8   17 DEPTH 5   18 DRAW: runs */
static void test_shader_list_refused_for_sizes(void **state)
{
    (void)state;
    tw t;
    open_drawing(&t, 1);
    surface_of(&t, 2, VGT_SVGA3D_X8R8G8B8, 8, 4);
    set_target(&t, 1, VGT_SVGA3D_RT_COLOR0 + 2u, 2);
    draw(&t, 1);
    set_target(&t, 1, VGT_SVGA3D_RT_COLOR0 + 2u, VGT_SVGA3D_INVALID_ID);
    surface_of(&t, 3, VGT_SVGA3D_Z_D16, 2, 4);
    set_target(&t, 1, VGT_SVGA3D_RT_DEPTH, 3);
    draw(&t, 1);
    surface_of(&t, 4, VGT_SVGA3D_Z_D16, 4, 2);
    set_target(&t, 1, VGT_SVGA3D_RT_DEPTH, 4);
    draw(&t, 1);
    surface_of(&t, 5, VGT_SVGA3D_Z_D16, 8, 8);
    set_target(&t, 1, VGT_SVGA3D_RT_DEPTH, 5);
    draw(&t, 1);
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    two_of_draws_run(19);
    tw_shell_ok("'%s/vgt' shader list '%s' --json | jq -e -s 'map(select(.type == \"shader\"))[0] "
                "| .draws == 2' >/dev/null",
                VGT_BINARY_DIR, trace);
}

/* Draws the executor refuses for their vertex declarations or ranges
 * (e3d_check_draw, through the tracker) count for no shader and not in the
 * summary:
 *   0 CONTEXT_DEFINE 1   1 VS 1   2 SET_SHADER VS 1   3, 4 COLOR0 4x4
 *   5 DRAW without declarations nor ranges: runs   6 sid 2 BUFFER 12
 *   7 DRAW of a range without a declaration: refused   8 DRAW of a
 *   triangle from 2: 36 bytes of 12, refused   9 DRAW of a point from 2:
 *   runs   10 DRAW of a point indexed from 4, a colour surface: refused */
static void test_shader_list_refused_for_ranges(void **state)
{
    (void)state;
    tw t;
    open_drawing(&t, 4);
    surface_of(&t, 2, VGT_SVGA3D_BUFFER, 12, 1);
    /* {DRAW, size, cid, decls, ranges}, a FLOAT3 declaration from 2, a range */
    uint32_t c[] = {
        VGT_SVGA3D_CMD_DRAW_PRIMITIVES, 0, 1, 0, 1, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1,
        VGT_SVGA3D_INVALID_ID,          0, 0, 0, 0};
    tw_cmd(&t, c, 12);
    uint32_t d[] = {VGT_SVGA3D_CMD_DRAW_PRIMITIVES,
                    0,
                    1,
                    1,
                    1,
                    VGT_SVGA3D_DECLTYPE_FLOAT3,
                    VGT_SVGA3D_DECLMETHOD_DEFAULT,
                    VGT_SVGA3D_DECLUSAGE_POSITION,
                    0,
                    2,
                    0,
                    12,
                    0,
                    0,
                    VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
                    1,
                    VGT_SVGA3D_INVALID_ID,
                    0,
                    0,
                    0,
                    0};
    tw_cmd(&t, d, 21);
    d[14] = VGT_SVGA3D_PRIMITIVE_POINTLIST;
    tw_cmd(&t, d, 21);
    d[16] = 4; /* indexed from the colour target */
    d[18] = 2;
    d[19] = 2;
    tw_cmd(&t, d, 21);
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    two_of_draws_run(11);
}

/* A trace of 18 shaders of 18 versions no model has: the summary names 16
 * and counts the rest as other. */
static void test_shader_list_versions(void **state)
{
    (void)state;
    tw t;
    tw_open(&t, trace, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1);
    for (uint32_t i = 0; i < 18; i++) {
        const uint32_t w[] = {0xFFFE0400u + i, 0x0000FFFFu};
        define(&t, 1, i, VS, NULL, w, 2);
    }
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    tw_shell_ok("'%s/vgt' shader list '%s' > '%s/v.txt'", VGT_BINARY_DIR, trace, tmpdir);
    tw_shell_ok(
        "grep -q '^ *18 *0 *1 *vs *17 0xfffe0411 *2 *- [0-9a-f]\\{16\\} no *0 refused  invalid: "
        "' '%s/v.txt'",
        tmpdir);
    tw_shell_ok("grep -qx 'versions: 0xfffe0400 1, .*, 0xfffe040f 1, other 2' '%s/v.txt'", tmpdir);
    tw_shell_ok("test $(grep '^versions' '%s/v.txt' | tr , '\\n' | wc -l) -eq 17", tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shader_list_defines),
        cmocka_unit_test(test_shader_list_frames),
        cmocka_unit_test(test_shader_list_callback),
        cmocka_unit_test(test_shader_list_cli),
        cmocka_unit_test(test_shader_list_refusals),
        cmocka_unit_test(test_shader_list_versions),
        cmocka_unit_test(test_shader_list_refused_draws),
        cmocka_unit_test(test_shader_list_refused_for_sizes),
        cmocka_unit_test(test_shader_list_refused_for_ranges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
