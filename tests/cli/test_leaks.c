/* test_leaks.c - vgt_leaks (vgt leaks): a hand-made trace with known leaks
 * and misuse (exact ids, seqs, counts); shaders dying with their context;
 * GMRs by register writes; a hostile trace past the id bound; a damaged
 * chunk stopping the walk or skipped; queries (open, not begun, begun
 * twice, dead with their context), fence values (repeated, backwards,
 * wrapping), video overlay units (shown, hidden, refused, never
 * configured, reading an undefined GMR); the samples' captures (cube and
 * lit clean, screens leaving its screens and GMR, video its two units),
 * a trimmed capture whose objects come from the snapshot, and its fence
 * register the first FENCE is judged against; the walk's
 * summary (vgt_svga_walk_summary) every field alike in vgt_leaks,
 * vgt_shader_list and vgt_surface_list (a snapshot, refused, undecodable,
 * partial, skipped, past the ERROR bound). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../capture/capture_test_util.h"
#include "trace_writer_util.h"
#include "vgt_format.h"
#include "vgt_replay.h"
#include "vgt_samples.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The python3 the JSON checks run: Debian's (VGT_TEST_PYTHON3,
 * tests/CMakeLists.txt), not a version manager's slow shim. */
#ifndef VGT_TEST_PYTHON3
#define VGT_TEST_PYTHON3 "python3"
#endif

static char tmpdir[1024];

static void tmp_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
}

/* Runs vgt_leaks on path (limit 100); returns its status. */
static vgt_status leaks_of(const char *path, bool salvage, vgt_leaks_result *r, vgt_error *err)
{
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    ro.salvage = salvage;
    vgt_trace_reader *rd;
    assert_int_equal(vgt_trace_reader_open(path, &ro, &rd, err), VGT_OK);
    vgt_leaks_options o = {.limit = 100};
    vgt_status st = vgt_leaks(rd, &o, r, err);
    vgt_trace_reader_close(rd);
    return st;
}

static void leaks_ok(const char *path, vgt_leaks_result *r)
{
    vgt_error err = {0};
    vgt_status st = leaks_of(path, false, r, &err);
    if (st != VGT_OK) {
        fail_msg("vgt_leaks(%s): %s", path, err.message);
    }
}

/* The kept issue number i of problem p (NULL past them). */
static const vgt_leak_issue *issue_at(const vgt_leaks_result *r, vgt_leak_problem p, size_t i)
{
    for (size_t k = 0; k < r->nissues; k++) {
        if (r->issues[k].problem == p && i-- == 0) {
            return &r->issues[k];
        }
    }
    return NULL;
}

static void assert_issue(const vgt_leaks_result *r, vgt_leak_problem p, size_t i,
                         vgt_leak_kind kind, uint32_t id, uint64_t seq, uint64_t frame,
                         uint32_t cmd, uint64_t ref_seq)
{
    const vgt_leak_issue *s = issue_at(r, p, i);
    assert_non_null(s);
    assert_int_equal(s->kind, kind);
    assert_int_equal(s->id, id);
    assert_int_equal(s->seq, seq);
    assert_int_equal(s->frame, frame);
    assert_int_equal(s->cmd, cmd);
    assert_int_equal(s->ref_seq, ref_seq);
}

/* ---- hand-made commands -------------------------------------------------------------- */

static void surface(tw *t, uint32_t sid, uint32_t w, uint32_t h)
{
    const uint32_t c[] = {
        VGT_SVGA3D_CMD_SURFACE_DEFINE, 0, sid, 0, VGT_SVGA3D_X8R8G8B8, 1, 0, 0, 0, 0, 0, w, h, 1};
    tw_cmd(t, c, 14);
}

/* A BUFFER surface (vertex or index data) of `bytes`. */
static void buffer(tw *t, uint32_t sid, uint32_t bytes)
{
    const uint32_t c[] = {
        VGT_SVGA3D_CMD_SURFACE_DEFINE, 0, sid, 0, VGT_SVGA3D_BUFFER, 1, 0, 0, 0, 0, 0, bytes, 1, 1};
    tw_cmd(t, c, 14);
}

/* SETRENDERTARGET of context cid's slot type to sid (face 0, mip 0). */
static void target_in(tw *t, uint32_t cid, uint32_t type, uint32_t sid)
{
    const uint32_t c[] = {VGT_SVGA3D_CMD_SETRENDERTARGET, 0, cid, type, sid, 0, 0};
    tw_cmd(t, c, 7);
}

static void render_target(tw *t, uint32_t cid, uint32_t sid)
{
    target_in(t, cid, VGT_SVGA3D_RT_COLOR0, sid);
}

/* SETTEXTURESTATE binding context cid's stage 0 to sid. */
static void texture0(tw *t, uint32_t cid, uint32_t sid)
{
    const uint32_t c[] = {VGT_SVGA3D_CMD_SETTEXTURESTATE, 0,  cid, 0,
                          VGT_SVGA3D_TS_BIND_TEXTURE,     sid};
    tw_cmd(t, c, 6);
}

/* A shader of type (vs_2_0 or ps_2_0, end: the executor takes it) of
 * context cid. */
static void shader(tw *t, uint32_t cid, uint32_t shid, uint32_t type)
{
    const uint32_t version = type == VGT_SVGA3D_SHADERTYPE_VS ? 0xFFFE0200u : 0xFFFF0200u;
    const uint32_t c[] = {VGT_SVGA3D_CMD_SHADER_DEFINE, 0, cid, shid, type, version, 0x0000FFFFu};
    tw_cmd(t, c, 7);
}

static void gmr2(tw *t, uint32_t gmr, uint32_t pages)
{
    const uint32_t c[] = {VGT_SVGA_CMD_DEFINE_GMR2, gmr, pages};
    tw_cmd(t, c, 3);
}

static void query(tw *t, uint32_t id, uint32_t cid, uint32_t gmr)
{
    const uint32_t c[] = {id, 0, cid, VGT_SVGA3D_QUERYTYPE_OCCLUSION, gmr, 0};
    tw_cmd(t, c, id == VGT_SVGA3D_CMD_BEGIN_QUERY ? 4 : 6);
}

static void fence(tw *t, uint32_t value)
{
    const uint32_t c[] = {VGT_SVGA_CMD_FENCE, value};
    tw_cmd(t, c, 2);
}

/* A video SET_REGS escape of n (register, value) pairs for unit stream. */
static void video_regs(tw *t, uint32_t stream, const uint32_t *pairs, uint32_t n)
{
    uint32_t c[64] = {VGT_SVGA_CMD_ESCAPE, VGT_SVGA_ESCAPE_NSID_VMWARE, 8u + 8u * n,
                      VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS, stream};
    assert_true(n <= 20);
    memcpy(c + 5, pairs, 8u * n);
    tw_cmd(t, c, 5u + 2u * n);
}

static void video_flush(tw *t, uint32_t stream)
{
    const uint32_t c[] = {VGT_SVGA_CMD_ESCAPE, VGT_SVGA_ESCAPE_NSID_VMWARE, 8,
                          VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH, stream};
    tw_cmd(t, c, 5);
}

/* Seqs as written:
 *  frame 0: 0 SURFACE_DEFINE 1 (64x32)   1 SURFACE_DEFINE 2   2 CONTEXT_DEFINE 1
 *           3 SETRENDERTARGET cid 1 sid 1   4 SURFACE_DESTROY 2 (never used)
 *           5 SURFACE_DESTROY 2 (twice)   6 SURFACE_DESTROY 9 (undefined)
 *  frame 1: 7 SURFACE_DEFINE 1 (over the live one)   8 SETRENDERTARGET sid 2
 *           (dangling)   9 SHADER_DEFINE cid 1 shid 5 VS   10 SET_SHADER PS 5
 *           (dangling: shaders are per type)   11 DEFINE_GMR2 3 x 16
 *           12 DEFINE_GMR2 4 x 2   13 DEFINE_GMR2 4 x 0 (freed, never used)
 *           GMR_ID 7, GMR_DESCRIPTOR 0x1234 (before 14)
 *           14 DESTROY_SCREEN 3 (undefined)   15 SETRENDERTARGET cid 1 sid 1 */
static void write_misuse(const char *path)
{
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    surface(&t, 1, 64, 32);
    surface(&t, 2, 8, 8);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1);
    render_target(&t, 1, 1);
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 2);
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 2);
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 9);
    tw_end_frame(&t, 0, 1);
    surface(&t, 1, 16, 16);
    render_target(&t, 1, 2);
    shader(&t, 1, 5, VGT_SVGA3D_SHADERTYPE_VS);
    tw_set_shader(&t, 1, VGT_SVGA3D_SHADERTYPE_PS, 5);
    gmr2(&t, 3, 16);
    gmr2(&t, 4, 2);
    gmr2(&t, 4, 0);
    tw_reg(&t, VGT_SVGA_REG_GMR_ID, 7);
    tw_reg(&t, VGT_SVGA_REG_GMR_DESCRIPTOR, 0x1234);
    const uint32_t ds[] = {VGT_SVGA_CMD_DESTROY_SCREEN, 3};
    tw_cmd(&t, ds, 2);
    render_target(&t, 1, 1);
    tw_end_frame(&t, 1, 2);
    tw_close(&t);
}

static void test_leaks_misuse(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "misuse.vgt");
    write_misuse(path);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    assert_int_equal(r.walk.commands, 16);
    assert_false(r.walk.has_snapshot);
    assert_int_equal(r.walk.undecodable, 0);
    /* surfaces: 1, 2, 1 again (the first destroyed by the redefine), 2 destroyed */
    assert_int_equal(r.kinds[VGT_LEAK_SURFACE].defined, 3);
    assert_int_equal(r.kinds[VGT_LEAK_SURFACE].destroyed, 2);
    assert_int_equal(r.kinds[VGT_LEAK_SURFACE].alive, 1);
    assert_int_equal(r.kinds[VGT_LEAK_CONTEXT].alive, 1);
    assert_int_equal(r.kinds[VGT_LEAK_SHADER].alive, 1);
    assert_int_equal(r.kinds[VGT_LEAK_GMR].defined, 3);
    assert_int_equal(r.kinds[VGT_LEAK_GMR].destroyed, 1);
    assert_int_equal(r.kinds[VGT_LEAK_GMR].alive, 2);
    assert_int_equal(r.kinds[VGT_LEAK_SCREEN].defined, 0);
    /* alive, by kind then id */
    assert_int_equal(r.nalive, 5);
    const vgt_leak_object *o = &r.alive[0];
    assert_int_equal(o->kind, VGT_LEAK_SURFACE);
    assert_int_equal(o->id, 1);
    assert_int_equal(o->define_seq, 7);
    assert_int_equal(o->define_frame, 1);
    assert_int_equal(o->define_cmd, VGT_SVGA3D_CMD_SURFACE_DEFINE);
    assert_int_equal(o->format, VGT_SVGA3D_X8R8G8B8);
    assert_int_equal(o->width, 16);
    assert_int_equal(o->height, 16);
    assert_true(o->used);
    assert_int_equal(o->last_use_seq, 15);
    o = &r.alive[1];
    assert_int_equal(o->kind, VGT_LEAK_CONTEXT);
    assert_int_equal(o->id, 1);
    assert_int_equal(o->define_seq, 2);
    assert_int_equal(o->last_use_seq, 15); /* SETRENDERTARGET names it */
    o = &r.alive[2];
    assert_int_equal(o->kind, VGT_LEAK_SHADER);
    assert_int_equal(o->id, 5);
    assert_int_equal(o->cid, 1);
    assert_int_equal(o->type, VGT_SVGA3D_SHADERTYPE_VS);
    assert_int_equal(o->define_seq, 9);
    assert_false(o->used);
    o = &r.alive[3];
    assert_int_equal(o->kind, VGT_LEAK_GMR);
    assert_int_equal(o->id, 3);
    assert_int_equal(o->pages, 16);
    assert_int_equal(o->define_seq, 11);
    o = &r.alive[4];
    assert_int_equal(o->kind, VGT_LEAK_GMR);
    assert_int_equal(o->id, 7);
    assert_int_equal(o->pages, 0);
    assert_int_equal(o->define_cmd, 0);  /* the register write */
    assert_int_equal(o->define_seq, 14); /* before the command 14 */
    /* misuse */
    assert_int_equal(r.problems[VGT_LEAK_DESTROY_UNDEFINED], 2);
    assert_issue(&r, VGT_LEAK_DESTROY_UNDEFINED, 0, VGT_LEAK_SURFACE, 9, 6, 0,
                 VGT_SVGA3D_CMD_SURFACE_DESTROY, UINT64_MAX);
    assert_issue(&r, VGT_LEAK_DESTROY_UNDEFINED, 1, VGT_LEAK_SCREEN, 3, 14, 1,
                 VGT_SVGA_CMD_DESTROY_SCREEN, UINT64_MAX);
    assert_int_equal(r.problems[VGT_LEAK_DESTROY_TWICE], 1);
    assert_issue(&r, VGT_LEAK_DESTROY_TWICE, 0, VGT_LEAK_SURFACE, 2, 5, 0,
                 VGT_SVGA3D_CMD_SURFACE_DESTROY, 4);
    assert_int_equal(r.problems[VGT_LEAK_REDEFINE], 1);
    assert_issue(&r, VGT_LEAK_REDEFINE, 0, VGT_LEAK_SURFACE, 1, 7, 1, VGT_SVGA3D_CMD_SURFACE_DEFINE,
                 0);
    assert_int_equal(r.problems[VGT_LEAK_DANGLING], 2);
    assert_issue(&r, VGT_LEAK_DANGLING, 0, VGT_LEAK_SURFACE, 2, 8, 1,
                 VGT_SVGA3D_CMD_SETRENDERTARGET, 4);
    assert_issue(&r, VGT_LEAK_DANGLING, 1, VGT_LEAK_SHADER, 5, 10, 1, VGT_SVGA3D_CMD_SET_SHADER,
                 UINT64_MAX);
    assert_int_equal(issue_at(&r, VGT_LEAK_DANGLING, 1)->type, VGT_SVGA3D_SHADERTYPE_PS);
    /* unused: surface 2 (destroyed at 4), GMR 4 (freed at 13), and left
     * alive: shader 5, GMRs 3 and 7; by the seq of their define */
    assert_int_equal(r.problems[VGT_LEAK_UNUSED], 5);
    assert_issue(&r, VGT_LEAK_UNUSED, 0, VGT_LEAK_SURFACE, 2, 1, 0, VGT_SVGA3D_CMD_SURFACE_DEFINE,
                 4);
    assert_issue(&r, VGT_LEAK_UNUSED, 1, VGT_LEAK_SHADER, 5, 9, 1, VGT_SVGA3D_CMD_SHADER_DEFINE,
                 UINT64_MAX);
    assert_issue(&r, VGT_LEAK_UNUSED, 2, VGT_LEAK_GMR, 3, 11, 1, VGT_SVGA_CMD_DEFINE_GMR2,
                 UINT64_MAX);
    assert_issue(&r, VGT_LEAK_UNUSED, 3, VGT_LEAK_GMR, 4, 12, 1, VGT_SVGA_CMD_DEFINE_GMR2, 13);
    assert_issue(&r, VGT_LEAK_UNUSED, 4, VGT_LEAK_GMR, 7, 14, 1, 0, UINT64_MAX);
    vgt_leaks_result_free(&r);

    /* limit 1: one kept per kind and problem, the counts whole */
    vgt_trace_reader *rd;
    assert_int_equal(vgt_trace_reader_open(path, NULL, &rd, NULL), VGT_OK);
    vgt_leaks_options o1 = {.limit = 1};
    assert_int_equal(vgt_leaks(rd, &o1, &r, NULL), VGT_OK);
    vgt_trace_reader_close(rd);
    assert_int_equal(r.nalive, 4); /* surface, context, shader, the first GMR */
    assert_int_equal(r.alive[3].id, 3);
    assert_int_equal(r.nissues, 5);
    assert_int_equal(r.problems[VGT_LEAK_UNUSED], 5);
    vgt_leaks_result_free(&r);
}

/* Shaders die with their context (no leak, destroy-twice after it), a
 * context defined again keeps none of the old shaders; a clean trace. */
/* Commands the device refused live change nothing: seq 1 (SURFACE_DEFINE 5)
 * with its ERROR record written before its command (the capture logs
 * errors at once, commands in batches), seq 2 (SURFACE_DESTROY 1) with its
 * record after it; an error about no command (a register) is ignored.
 * Surface 1 stays alive and unused, 5 never exists. */
static void test_leaks_rejected(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "rejected.vgt");
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    surface(&t, 1, 8, 8);
    tw_error(&t, 1, VGT_DEVERR_EXECUTE, "SURFACE_DEFINE: out of surface memory");
    surface(&t, 5, 1u << 15, 1u << 15);
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 1);
    tw_error(&t, 2, VGT_DEVERR_EXECUTE, "SURFACE_DESTROY: a test's refusal");
    tw_error(&t, UINT64_MAX, VGT_DEVERR_REGISTER, "WIDTH 0; ignored");
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    assert_int_equal(r.walk.commands, 3);
    assert_int_equal(r.walk.rejected, 2);
    assert_false(r.walk.rejected_overflow);
    assert_int_equal(r.kinds[VGT_LEAK_SURFACE].defined, 1);
    assert_int_equal(r.kinds[VGT_LEAK_SURFACE].destroyed, 0);
    assert_int_equal(r.kinds[VGT_LEAK_SURFACE].alive, 1);
    assert_int_equal(r.nalive, 1);
    assert_int_equal(r.alive[0].id, 1);
    assert_int_equal(r.alive[0].width, 8);
    assert_int_equal(r.problems[VGT_LEAK_DESTROY_UNDEFINED], 0);
    assert_int_equal(r.problems[VGT_LEAK_UNUSED], 1);
    vgt_leaks_result_free(&r);
    /* on the command line: said in the summary line */
    tw_shell_ok(
        "'%s/vgt' leaks '%s' | grep -q '^leaks: .*: 3 commands, guest frames 0..0, 2 rejected "
        "by the device (changed nothing; vgt dump lists why)$'",
        VGT_BINARY_DIR, path);
}

static void test_leaks_shader_lives(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "shaders.vgt");
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 2);     /* 0 */
    shader(&t, 2, 1, VGT_SVGA3D_SHADERTYPE_VS);        /* 1 */
    tw_set_shader(&t, 2, VGT_SVGA3D_SHADERTYPE_VS, 1); /* 2 */
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DESTROY, 2);    /* 3: shader 1 dies */
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 2);     /* 4 */
    tw_set_shader(&t, 2, VGT_SVGA3D_SHADERTYPE_VS, 1); /* 5: dangling, died at 3 */
    const uint32_t sd[] = {VGT_SVGA3D_CMD_SHADER_DESTROY, 0, 2, 1, VGT_SVGA3D_SHADERTYPE_VS};
    tw_cmd(&t, sd, 5);                                           /* 6: destroyed already (3) */
    tw_set_shader(&t, 2, VGT_SVGA3D_SHADERTYPE_VS, 0xFFFFFFFFu); /* 7: unbind, not a use */
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DESTROY, 2);              /* 8 */
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    assert_int_equal(r.kinds[VGT_LEAK_SHADER].defined, 1);
    assert_int_equal(r.kinds[VGT_LEAK_SHADER].alive, 0);
    assert_int_equal(r.kinds[VGT_LEAK_SHADER].destroyed, 1);
    assert_int_equal(r.kinds[VGT_LEAK_CONTEXT].alive, 0);
    assert_int_equal(r.nalive, 0);
    assert_int_equal(r.problems[VGT_LEAK_DANGLING], 1);
    assert_issue(&r, VGT_LEAK_DANGLING, 0, VGT_LEAK_SHADER, 1, 5, 0, VGT_SVGA3D_CMD_SET_SHADER, 3);
    assert_int_equal(r.problems[VGT_LEAK_DESTROY_TWICE], 1);
    assert_issue(&r, VGT_LEAK_DESTROY_TWICE, 0, VGT_LEAK_SHADER, 1, 6, 0,
                 VGT_SVGA3D_CMD_SHADER_DESTROY, 3);
    assert_int_equal(r.problems[VGT_LEAK_UNUSED], 0); /* the second context is used at 5 */
    assert_int_equal(r.problems[VGT_LEAK_REDEFINE], 0);
    vgt_leaks_result_free(&r);

    /* defined twice without a destroy: redefine; both judged once */
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 2);     /* 0 */
    shader(&t, 2, 1, VGT_SVGA3D_SHADERTYPE_PS);        /* 1 */
    shader(&t, 2, 1, VGT_SVGA3D_SHADERTYPE_PS);        /* 2 */
    tw_set_shader(&t, 2, VGT_SVGA3D_SHADERTYPE_PS, 1); /* 3 */
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DESTROY, 2);    /* 4 */
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    leaks_ok(path, &r);
    assert_int_equal(r.problems[VGT_LEAK_REDEFINE], 1);
    assert_issue(&r, VGT_LEAK_REDEFINE, 0, VGT_LEAK_SHADER, 1, 2, 0, VGT_SVGA3D_CMD_SHADER_DEFINE,
                 1);
    assert_int_equal(r.problems[VGT_LEAK_UNUSED], 1);
    assert_issue(&r, VGT_LEAK_UNUSED, 0, VGT_LEAK_SHADER, 1, 1, 0, VGT_SVGA3D_CMD_SHADER_DEFINE, 2);
    assert_int_equal(r.nalive, 0);
    vgt_leaks_result_free(&r);
}

static void assert_query_issue(const vgt_leaks_result *r, vgt_leak_problem p, size_t i,
                               uint32_t cid, uint64_t seq, uint32_t cmd, uint64_t ref_seq)
{
    assert_issue(r, p, i, VGT_LEAK_QUERY, VGT_SVGA3D_QUERYTYPE_OCCLUSION, seq, 0, cmd, ref_seq);
    assert_int_equal(issue_at(r, p, i)->cid, cid);
    assert_int_equal(issue_at(r, p, i)->type, VGT_SVGA3D_QUERYTYPE_OCCLUSION);
}

/* Queries per context and type, as the executor's state machine:
 *   0 CONTEXT_DEFINE 1   1 DEFINE_GMR2 2 x 1 (the results)
 *   2 BEGIN 1   3 END 1 (GMR 2)   4 WAIT 1: fine
 *   5 END 1: not begun, ended already at 3
 *   6 WAIT 1 (GMR 9): the query was begun; GMR 9 dangles
 *   7 BEGIN 1   8 BEGIN 1: begun again, open since 7
 *   9 CONTEXT_DEFINE 3   10 WAIT 3: never begun in context 3
 *   11 BEGIN 3   12 CONTEXT_DESTROY 3: the query dies open
 *   13 CONTEXT_DEFINE 3   14 END 3: not begun (that query died with the
 *   context at 12)   15 END 1, refused live (an ERROR record): not judged,
 *   the query of context 1 stays open from 8 to the end. */
static void test_leaks_queries(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "queries.vgt");
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1);
    gmr2(&t, 2, 1);
    query(&t, VGT_SVGA3D_CMD_BEGIN_QUERY, 1, 0);
    query(&t, VGT_SVGA3D_CMD_END_QUERY, 1, 2);
    query(&t, VGT_SVGA3D_CMD_WAIT_FOR_QUERY, 1, 2);
    query(&t, VGT_SVGA3D_CMD_END_QUERY, 1, 2);
    query(&t, VGT_SVGA3D_CMD_WAIT_FOR_QUERY, 1, 9);
    query(&t, VGT_SVGA3D_CMD_BEGIN_QUERY, 1, 0);
    query(&t, VGT_SVGA3D_CMD_BEGIN_QUERY, 1, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 3);
    query(&t, VGT_SVGA3D_CMD_WAIT_FOR_QUERY, 3, 2);
    query(&t, VGT_SVGA3D_CMD_BEGIN_QUERY, 3, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DESTROY, 3);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 3);
    query(&t, VGT_SVGA3D_CMD_END_QUERY, 3, 2);
    query(&t, VGT_SVGA3D_CMD_END_QUERY, 1, 2);
    tw_error(&t, 15, VGT_DEVERR_EXECUTE, "END_QUERY: a test's refusal");
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    assert_int_equal(r.walk.commands, 16);
    assert_int_equal(r.walk.rejected, 1);
    /* begun at 2, 7, 8, 11; ended at 3, by the BEGIN at 8, with context 3 */
    assert_int_equal(r.kinds[VGT_LEAK_QUERY].defined, 4);
    assert_int_equal(r.kinds[VGT_LEAK_QUERY].destroyed, 3);
    assert_int_equal(r.kinds[VGT_LEAK_QUERY].alive, 1);
    /* open queries are issues, not listed alive: contexts 1 and 3, GMR 2 */
    assert_int_equal(r.nalive, 3);
    assert_int_equal(r.alive[0].kind, VGT_LEAK_CONTEXT);
    assert_int_equal(r.alive[1].kind, VGT_LEAK_CONTEXT);
    assert_int_equal(r.alive[2].kind, VGT_LEAK_GMR);
    assert_int_equal(r.alive[2].last_use_seq, 14);
    assert_int_equal(r.problems[VGT_LEAK_QUERY_OPEN], 2);
    assert_query_issue(&r, VGT_LEAK_QUERY_OPEN, 0, 1, 8, VGT_SVGA3D_CMD_BEGIN_QUERY, UINT64_MAX);
    assert_query_issue(&r, VGT_LEAK_QUERY_OPEN, 1, 3, 11, VGT_SVGA3D_CMD_BEGIN_QUERY, 12);
    assert_int_equal(r.problems[VGT_LEAK_QUERY_NOT_BEGUN], 3);
    assert_query_issue(&r, VGT_LEAK_QUERY_NOT_BEGUN, 0, 1, 5, VGT_SVGA3D_CMD_END_QUERY, 3);
    assert_query_issue(&r, VGT_LEAK_QUERY_NOT_BEGUN, 1, 3, 10, VGT_SVGA3D_CMD_WAIT_FOR_QUERY,
                       UINT64_MAX);
    assert_query_issue(&r, VGT_LEAK_QUERY_NOT_BEGUN, 2, 3, 14, VGT_SVGA3D_CMD_END_QUERY,
                       UINT64_MAX);
    assert_int_equal(r.problems[VGT_LEAK_QUERY_REBEGUN], 1);
    assert_query_issue(&r, VGT_LEAK_QUERY_REBEGUN, 0, 1, 8, VGT_SVGA3D_CMD_BEGIN_QUERY, 7);
    assert_int_equal(r.problems[VGT_LEAK_DANGLING], 1);
    assert_issue(&r, VGT_LEAK_DANGLING, 0, VGT_LEAK_GMR, 9, 6, 0, VGT_SVGA3D_CMD_WAIT_FOR_QUERY,
                 UINT64_MAX);
    assert_int_equal(r.problems[VGT_LEAK_UNUSED], 0);
    assert_int_equal(r.problems[VGT_LEAK_REDEFINE], 0);
    vgt_leaks_result_free(&r);

    /* on the command line */
    tw_shell_ok("'%s/vgt' leaks '%s' > '%s.txt'; test $? -eq 3 && "
                "grep -q '^  query    4 begun (0 at the snapshot), 3 ended, 1 open at the end$' "
                "'%s.txt' && grep -q '^  seq 11 frame 0 BEGIN_QUERY: query OCCLUSION (context 3) "
                "never ended, died with its context at seq 12$' '%s.txt' && "
                "grep -q '^  seq 5 frame 0 END_QUERY: query OCCLUSION (context 1) not begun, ended "
                "already at seq 3$' '%s.txt'",
                VGT_BINARY_DIR, path, path, path, path, path);

    /* a context defined over a live one (redefine): its open query dies at it */
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 4);                    /* 0 */
    query(&t, VGT_SVGA3D_CMD_BEGIN_QUERY, 4, 0);                      /* 1 */
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 4);                    /* 2 */
    query(&t, VGT_SVGA3D_CMD_END_QUERY, 4, VGT_SVGA_GMR_FRAMEBUFFER); /* 3 */
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    leaks_ok(path, &r);
    assert_int_equal(r.problems[VGT_LEAK_REDEFINE], 1);
    assert_int_equal(r.problems[VGT_LEAK_QUERY_OPEN], 1);
    assert_query_issue(&r, VGT_LEAK_QUERY_OPEN, 0, 4, 1, VGT_SVGA3D_CMD_BEGIN_QUERY, 2);
    assert_int_equal(r.problems[VGT_LEAK_QUERY_NOT_BEGUN], 1);
    assert_query_issue(&r, VGT_LEAK_QUERY_NOT_BEGUN, 0, 4, 3, VGT_SVGA3D_CMD_END_QUERY, UINT64_MAX);
    assert_int_equal(r.kinds[VGT_LEAK_QUERY].alive, 0);
    vgt_leaks_result_free(&r);
}

/* FENCE values: the reference driver counts 1, 2, ... wrapping at 2^32
 * past 0.  Seqs: 0 0xFFFFFFFE   1 0xFFFFFFFF   2 1 (wrapped: fine)   3 2
 *   4 2 (repeated)   5 1 (backwards)   6 3   7 0x80000004 (2^31 + 1 ahead
 *   of 3: behind)   8 0x80000005. */
static void test_leaks_fences(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "fences.vgt");
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    static const uint32_t values[] = {0xFFFFFFFEu, 0xFFFFFFFFu, 1,           2,          2,
                                      1,           3,           0x80000004u, 0x80000005u};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        fence(&t, values[i]);
    }
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    assert_int_equal(r.kinds[VGT_LEAK_FENCE].defined, 9);
    assert_int_equal(r.kinds[VGT_LEAK_FENCE].alive, 0);
    assert_int_equal(r.nalive, 0);
    assert_int_equal(r.problems[VGT_LEAK_FENCE_REUSED], 3);
    assert_int_equal(r.nissues, 3);
    assert_issue(&r, VGT_LEAK_FENCE_REUSED, 0, VGT_LEAK_FENCE, 2, 4, 0, VGT_SVGA_CMD_FENCE, 3);
    assert_int_equal(issue_at(&r, VGT_LEAK_FENCE_REUSED, 0)->ref_value, 2);
    assert_issue(&r, VGT_LEAK_FENCE_REUSED, 1, VGT_LEAK_FENCE, 1, 5, 0, VGT_SVGA_CMD_FENCE, 4);
    assert_int_equal(issue_at(&r, VGT_LEAK_FENCE_REUSED, 1)->ref_value, 2);
    assert_issue(&r, VGT_LEAK_FENCE_REUSED, 2, VGT_LEAK_FENCE, 0x80000004u, 7, 0,
                 VGT_SVGA_CMD_FENCE, 6);
    assert_int_equal(issue_at(&r, VGT_LEAK_FENCE_REUSED, 2)->ref_value, 3);
    vgt_leaks_result_free(&r);
    tw_shell_ok(
        "'%s/vgt' leaks '%s' --json | '" VGT_TEST_PYTHON3
        "' -c 'import json,sys; d=json.load(sys.stdin); "
        "i=[(x[\"id\"],x[\"seq\"],x[\"ref_seq\"],x[\"ref_value\"]) for x in d[\"issues\"]]; "
        "assert i==[(2,4,3,2),(1,5,4,2),(2147483652,7,6,3)], i; "
        "assert d[\"problems\"][\"fence-reused\"]==3; "
        "assert d[\"kinds\"][\"fence\"][\"defined\"]==9'",
        VGT_BINARY_DIR, path);
}

/* Video overlay units, as the device: SET_REGS stores, FLUSH shows.
 *   0 DEFINE_GMR2 5 x 4   1 SET_REGS 0 (enabled, 8x4, GMR 5)   2 FLUSH 0: shown
 *   3 FLUSH 3: never configured (dangling)
 *   4 SET_REGS 1 (enabled, 2x2, GMR 7, screen 4: neither defined; not read yet)
 *   5 FLUSH 1: GMR 7 and screen 4 dangle; shown
 *   6 SET_REGS 1 (disabled)   7 FLUSH 1: hidden
 *   8 SET_REGS 2 (enabled, 4x4, VRAM)   9 FLUSH 2: shown
 *   10 FLUSH 2, refused live: the device hid the unit before refusing
 *   11 SET_REGS 3 (enabled, destination 0 wide)   12 FLUSH 3: shows nothing
 *   13 FLUSH 0: shown still (the same unit, shown at 2). */
static void test_leaks_overlays(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "overlays.vgt");
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    gmr2(&t, 5, 4);
    const uint32_t u0[] = {VGT_SVGA_VIDEO_ENABLED,    1, VGT_SVGA_VIDEO_DST_WIDTH,  8,
                           VGT_SVGA_VIDEO_DST_HEIGHT, 4, VGT_SVGA_VIDEO_DATA_GMRID, 5};
    video_regs(&t, 0, u0, 4);
    video_flush(&t, 0);
    video_flush(&t, 3);
    const uint32_t u1[] = {VGT_SVGA_VIDEO_ENABLED,       1, VGT_SVGA_VIDEO_DST_WIDTH,  2,
                           VGT_SVGA_VIDEO_DST_HEIGHT,    2, VGT_SVGA_VIDEO_DATA_GMRID, 7,
                           VGT_SVGA_VIDEO_DST_SCREEN_ID, 4};
    video_regs(&t, 1, u1, 5);
    video_flush(&t, 1);
    const uint32_t off[] = {VGT_SVGA_VIDEO_ENABLED, 0};
    video_regs(&t, 1, off, 1);
    video_flush(&t, 1);
    const uint32_t u2[] = {VGT_SVGA_VIDEO_ENABLED,    1, VGT_SVGA_VIDEO_DST_WIDTH, 4,
                           VGT_SVGA_VIDEO_DST_HEIGHT, 4};
    video_regs(&t, 2, u2, 3);
    video_flush(&t, 2);
    video_flush(&t, 2);
    tw_error(&t, 10, VGT_DEVERR_EXECUTE, "video stream 2: FORMAT 0x00000000 is not YV12...");
    const uint32_t u3[] = {VGT_SVGA_VIDEO_ENABLED, 1, VGT_SVGA_VIDEO_DST_HEIGHT, 4};
    video_regs(&t, 3, u3, 2);
    video_flush(&t, 3);
    video_flush(&t, 0);
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    assert_int_equal(r.walk.commands, 14);
    assert_int_equal(r.walk.rejected, 1);
    assert_int_equal(r.kinds[VGT_LEAK_OVERLAY].defined, 3);
    assert_int_equal(r.kinds[VGT_LEAK_OVERLAY].destroyed, 2);
    assert_int_equal(r.kinds[VGT_LEAK_OVERLAY].alive, 1);
    assert_int_equal(r.nalive, 2); /* GMR 5, unit 0 */
    assert_int_equal(r.alive[0].kind, VGT_LEAK_GMR);
    assert_int_equal(r.alive[0].last_use_seq, 13); /* read at each FLUSH of unit 0 */
    const vgt_leak_object *o = &r.alive[1];
    assert_int_equal(o->kind, VGT_LEAK_OVERLAY);
    assert_int_equal(o->id, 0);
    assert_int_equal(o->define_seq, 2);
    assert_int_equal(o->define_cmd, VGT_SVGA_CMD_ESCAPE);
    assert_int_equal(o->last_use_seq, 13);
    assert_int_equal(o->width, 8);
    assert_int_equal(o->height, 4);
    assert_int_equal(r.problems[VGT_LEAK_DANGLING], 3);
    assert_issue(&r, VGT_LEAK_DANGLING, 0, VGT_LEAK_OVERLAY, 3, 3, 0, VGT_SVGA_CMD_ESCAPE,
                 UINT64_MAX);
    assert_issue(&r, VGT_LEAK_DANGLING, 1, VGT_LEAK_GMR, 7, 5, 0, VGT_SVGA_CMD_ESCAPE, UINT64_MAX);
    assert_issue(&r, VGT_LEAK_DANGLING, 2, VGT_LEAK_SCREEN, 4, 5, 0, VGT_SVGA_CMD_ESCAPE,
                 UINT64_MAX);
    assert_int_equal(r.problems[VGT_LEAK_UNUSED], 0);
    assert_int_equal(r.nissues, 3);
    vgt_leaks_result_free(&r);
    tw_shell_ok(
        "'%s/vgt' leaks '%s' > '%s.txt'; test $? -eq 3 && "
        "grep -q '^  overlay  3 shown (0 at the snapshot), 2 hidden, 1 shown at the end$' "
        "'%s.txt' && grep -q '^  overlay unit 0 8x4: defined seq 2 frame 0 ESCAPE, last used "
        "seq 13$' '%s.txt' && grep -q '^  seq 3 frame 0 ESCAPE: overlay unit 3 never "
        "configured (no SET_REGS)$' '%s.txt'",
        VGT_BINARY_DIR, path, path, path, path, path);
}

/* More surfaces than the bound: counted, not judged, and memory stays
 * bounded; the first ones are still judged. */
static void test_leaks_hostile_ids(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "hostile.vgt");
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    const uint32_t n = VGT_LEAKS_MAX_IDS + 100u;
    for (uint32_t i = 0; i < n; i++) {
        surface(&t, 0x10000000u + i * 7u, 1, 1);
    }
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 0x10000000u + (n - 1u) * 7u); /* untracked */
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 0x10000000u);                 /* judged */
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 0x10000000u);                 /* twice */
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    const vgt_leak_kind_stats *s = &r.kinds[VGT_LEAK_SURFACE];
    assert_true(s->overflow);
    assert_int_equal(s->defined, VGT_LEAKS_MAX_IDS);
    assert_int_equal(s->untracked, 101);
    assert_int_equal(s->destroyed, 1);
    assert_int_equal(s->alive, VGT_LEAKS_MAX_IDS - 1u);
    assert_int_equal(r.nalive, 100); /* the limit */
    assert_int_equal(r.alive[0].id, 0x10000007u);
    assert_int_equal(r.problems[VGT_LEAK_DESTROY_UNDEFINED], 0);
    assert_int_equal(r.problems[VGT_LEAK_DESTROY_TWICE], 1);
    assert_int_equal(r.problems[VGT_LEAK_UNUSED], VGT_LEAKS_MAX_IDS);
    vgt_leaks_result_free(&r);
}

/* ---- the walk's summary, the same in the three analyses ------------------------------ */

/* The walk's summary as vgt_leaks, vgt_shader_list and vgt_surface_list
 * hand it, each reading path through a reader of its own (salvaging or
 * not): every field of each is want's. */
static void assert_walks(const char *path, bool salvage, const vgt_svga_walk_summary *want)
{
    static const char *const who[3] = {"vgt_leaks", "vgt_shader_list", "vgt_surface_list"};
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    ro.salvage = salvage;
    for (int k = 0; k < 3; k++) {
        vgt_trace_reader *rd;
        vgt_error err = {0};
        assert_int_equal(vgt_trace_reader_open(path, &ro, &rd, &err), VGT_OK);
        vgt_status st;
        vgt_svga_walk_summary a;
        if (k == 0) {
            vgt_leaks_result r;
            st = vgt_leaks(rd, NULL, &r, &err);
            a = r.walk;
            vgt_leaks_result_free(&r);
        } else if (k == 1) {
            vgt_shader_list_result r;
            st = vgt_shader_list(rd, NULL, &r, &err);
            a = r.walk;
            vgt_shader_list_free(&r);
        } else {
            vgt_surface_list_result r;
            st = vgt_surface_list(rd, NULL, &r, &err);
            a = r.walk;
            vgt_surface_list_free(&r);
        }
        vgt_trace_reader_close(rd);
        if (st != VGT_OK) {
            fail_msg("%s(%s): %s", who[k], path, err.message);
        }
        if (a.commands != want->commands || a.rejected != want->rejected ||
            a.undecodable != want->undecodable || a.rejected_overflow != want->rejected_overflow ||
            a.has_snapshot != want->has_snapshot || a.first_frame != want->first_frame ||
            a.last_frame != want->last_frame || a.last_frame_partial != want->last_frame_partial ||
            a.skipped != want->skipped) {
            fail_msg("%s: commands %llu rejected %llu undecodable %llu overflow %d snapshot %d "
                     "frames %llu..%llu partial %d skipped %d",
                     who[k], (unsigned long long)a.commands, (unsigned long long)a.rejected,
                     (unsigned long long)a.undecodable, a.rejected_overflow, a.has_snapshot,
                     (unsigned long long)a.first_frame, (unsigned long long)a.last_frame,
                     a.last_frame_partial, a.skipped);
        }
    }
}

/* A damaged chunk: the walk stops naming it; salvaging, it goes on. */
static void test_leaks_damaged(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "damaged.vgt");
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 4096);
    for (uint32_t f = 0; f < 6; f++) {
        for (uint32_t i = 0; i < 100; i++) {
            surface(&t, f * 1000u + i, 4, 4);
        }
        tw_end_frame(&t, f, f + 1u);
    }
    tw_close(&t);
    vgt_trace_reader *rd;
    assert_int_equal(vgt_trace_reader_open(path, NULL, &rd, NULL), VGT_OK);
    assert_true(vgt_trace_reader_chunk_count(rd) > 3);
    vgt_trace_chunk_info c;
    assert_true(vgt_trace_reader_chunk(rd, 2, &c));
    vgt_trace_reader_close(rd);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)(c.offset + 40u + c.compressed_size / 2u), SEEK_SET), 0);
    assert_int_equal(fwrite("\x01\x02\x03\x04\x05\x06\x07\x08", 1, 8, f), 8);
    fclose(f);
    vgt_leaks_result r;
    vgt_error err = {0};
    assert_int_not_equal(leaks_of(path, false, &r, &err), VGT_OK);
    vgt_leaks_result_free(&r);
    assert_non_null(strstr(err.message, "chunk"));
    assert_int_equal(leaks_of(path, true, &r, &err), VGT_OK);
    assert_true(r.walk.skipped);
    assert_true(r.walk.commands > 100);
    assert_true(r.walk.commands < 600);
    assert_int_equal(r.kinds[VGT_LEAK_SURFACE].alive, r.walk.commands);
    /* the three analyses hand the same summary: the chunk skipped, frames
     * 0..5 (the damaged chunk holds none of the ends), none partial */
    const vgt_svga_walk_summary want = {
        .commands = r.walk.commands, .first_frame = 0, .last_frame = 5, .skipped = true};
    assert_walks(path, true, &want);
    vgt_leaks_result_free(&r);
}

/* ---- a hand-made snapshot ------------------------------------------------------------ */

typedef struct buf {
    uint8_t b[4096];
    size_t n;
} buf;

static void put32(buf *b, uint32_t v)
{
    assert_true(b->n + 4 <= sizeof(b->b));
    vgt_store_le32(b->b + b->n, v);
    b->n += 4;
}

static void put_words(buf *b, const uint32_t *w, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        put32(b, w[i]);
    }
}

/* Synthetic commands an EX3D section adds after its own: each of n words
 * (its size word filled in). */
typedef struct snap_cmds {
    const uint32_t *cmd[8];
    uint32_t words[8];
    uint32_t n;
} snap_cmds;

/* A SNAPSHOT record (guest frame 40, next seq 100) of an EX2D section with
 * one screen of w x h (pixels written when small) and an EX3D section of
 * surface 8, context 6 and its pixel shader 2 (and with query, its open
 * occlusion query), then more's commands; with fenc, a FENC section of its
 * nfenc words (version, the FENCE register: 2). */
static void tw_snapshot_more(tw *t, uint32_t w, uint32_t h, bool query, const uint32_t *fenc,
                             uint32_t nfenc, const snap_cmds *more)
{
    buf ex2d = {.n = 0}, ex3d = {.n = 0};
    put32(&ex2d, 2);
    put32(&ex2d, 0);
    for (int i = 0; i < 6; i++) {
        put32(&ex2d, 0); /* the mode */
    }
    memset(ex2d.b + ex2d.n, 0, 768); /* the palette */
    ex2d.n += 768;
    put32(&ex2d, 1); /* one screen */
    const uint32_t screen[] = {4, 0, 0, 0, 0, w, h};
    put_words(&ex2d, screen, 7);
    if ((uint64_t)w * h <= 16) {
        for (uint32_t i = 0; i < w * h; i++) {
            put32(&ex2d, 0xFF000000u);
        }
    }
    put32(&ex3d, 1);
    put32(&ex3d, 0);
    put32(&ex3d, (query ? 4 : 3) + (more ? more->n : 0));
    const uint32_t sd[] = {
        VGT_SVGA3D_CMD_SURFACE_DEFINE, 48, 8, 0, VGT_SVGA3D_X8R8G8B8, 1, 0, 0, 0, 0, 0, 32, 16, 1};
    const uint32_t cd[] = {VGT_SVGA3D_CMD_CONTEXT_DEFINE, 4, 6};
    const uint32_t sh[] = {VGT_SVGA3D_CMD_SHADER_DEFINE, 20,          6,          2,
                           VGT_SVGA3D_SHADERTYPE_PS,     0xFFFF0200u, 0x0000FFFFu};
    put32(&ex3d, 14);
    put32(&ex3d, 0);
    put_words(&ex3d, sd, 14);
    put32(&ex3d, 3);
    put32(&ex3d, 0);
    put_words(&ex3d, cd, 3);
    put32(&ex3d, 7);
    put32(&ex3d, 0);
    put_words(&ex3d, sh, 7);
    if (query) {
        const uint32_t bq[] = {VGT_SVGA3D_CMD_BEGIN_QUERY, 8, 6, VGT_SVGA3D_QUERYTYPE_OCCLUSION};
        put32(&ex3d, 4);
        put32(&ex3d, 0);
        put_words(&ex3d, bq, 4);
    }
    for (uint32_t k = 0; more && k < more->n; k++) {
        put32(&ex3d, more->words[k]);
        put32(&ex3d, 0);
        put32(&ex3d, more->cmd[k][0]);
        put32(&ex3d, 4u * (more->words[k] - 2u));
        put_words(&ex3d, more->cmd[k] + 2, more->words[k] - 2u);
    }
    buf rec = {.n = 0};
    put32(&rec, VGT_TRACE_SNAPSHOT_MAGIC);
    put32(&rec, VGT_TRACE_SNAPSHOT_VERSION);
    put32(&rec, 40);
    put32(&rec, 0);
    put32(&rec, 100);
    put32(&rec, 0);
    buf fence_reg = {.n = 0};
    if (fenc) {
        put_words(&fence_reg, fenc, nfenc);
    }
    const buf *secs[3] = {&ex2d, &ex3d, &fence_reg};
    const uint32_t tags[3] = {VGT_TRACE_SNAP_EX2D, VGT_TRACE_SNAP_EX3D, VGT_TRACE_SNAP_FENC};
    for (int k = 0; k < (fenc ? 3 : 2); k++) {
        put32(&rec, tags[k]);
        put32(&rec, 0);
        put32(&rec, (uint32_t)secs[k]->n);
        put32(&rec, 0);
        assert_true(rec.n + secs[k]->n <= sizeof(rec.b));
        memcpy(rec.b + rec.n, secs[k]->b, secs[k]->n);
        rec.n += secs[k]->n;
    }
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_SNAPSHOT, 0, 0, rec.b, rec.n, NULL),
                     VGT_OK);
    t->seq = 100;
}

static void tw_snapshot_fenc(tw *t, uint32_t w, uint32_t h, bool query, const uint32_t *fenc,
                             uint32_t nfenc)
{
    tw_snapshot_more(t, w, h, query, fenc, nfenc, NULL);
}

static void tw_snapshot(tw *t, uint32_t w, uint32_t h, bool query)
{
    tw_snapshot_fenc(t, w, h, query, NULL, 0);
}

/* The snapshot's objects are defined at it (not unused: used before the
 * capture, maybe); a GMR freed that the trace never defined was defined
 * before the capture; a snapshot surface destroyed, then named, dangles. */
static void test_leaks_snapshot(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "snapshot.vgt");
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_snapshot(&t, 2, 1, false);
    tw_set_shader(&t, 6, VGT_SVGA3D_SHADERTYPE_PS, 2); /* 100 */
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 8);    /* 101 */
    gmr2(&t, 9, 0);                                    /* 102 */
    render_target(&t, 6, 8);                           /* 103: dangling */
    tw_end_frame(&t, 40, 1);
    tw_close(&t);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    assert_true(r.walk.has_snapshot);
    assert_int_equal(r.snapshot_frame, 40);
    assert_int_equal(r.snapshot_seq, 100);
    assert_int_equal(r.kinds[VGT_LEAK_SURFACE].snapshot, 1);
    assert_int_equal(r.kinds[VGT_LEAK_SURFACE].destroyed, 1);
    assert_int_equal(r.kinds[VGT_LEAK_SURFACE].alive, 0);
    assert_int_equal(r.kinds[VGT_LEAK_GMR].defined, 1);
    assert_int_equal(r.kinds[VGT_LEAK_GMR].snapshot, 1);
    assert_int_equal(r.kinds[VGT_LEAK_GMR].destroyed, 1);
    assert_int_equal(r.nalive, 3);
    assert_int_equal(r.alive[0].kind, VGT_LEAK_CONTEXT);
    assert_int_equal(r.alive[0].id, 6);
    assert_true(r.alive[0].snapshot);
    assert_int_equal(r.alive[0].last_use_seq, 103);
    assert_int_equal(r.alive[1].kind, VGT_LEAK_SHADER);
    assert_int_equal(r.alive[1].id, 2);
    assert_int_equal(r.alive[1].define_seq, 100);
    assert_int_equal(r.alive[1].last_use_seq, 100);
    assert_int_equal(r.alive[2].kind, VGT_LEAK_SCREEN);
    assert_int_equal(r.alive[2].id, 4);
    assert_int_equal(r.alive[2].width, 2);
    assert_false(r.alive[2].used);
    assert_int_equal(r.problems[VGT_LEAK_UNUSED], 0);
    assert_int_equal(r.problems[VGT_LEAK_DESTROY_UNDEFINED], 0);
    assert_int_equal(r.problems[VGT_LEAK_DANGLING], 1);
    assert_issue(&r, VGT_LEAK_DANGLING, 0, VGT_LEAK_SURFACE, 8, 103, 0,
                 VGT_SVGA3D_CMD_SETRENDERTARGET, 101);
    vgt_leaks_result_free(&r);

    /* a screen of 2^32-1 x 2^32-1 pixels: cut short, refused */
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_snapshot(&t, 0xFFFFFFFFu, 0xFFFFFFFFu, false);
    tw_end_frame(&t, 40, 1);
    tw_close(&t);
    vgt_error err = {0};
    assert_int_equal(leaks_of(path, false, &r, &err), VGT_E_FORMAT);
    vgt_leaks_result_free(&r);
    assert_non_null(strstr(err.message, "SNAPSHOT"));

    /* queries of a snapshot's context: a WAIT is not judged (the snapshot
     * does not keep an ended query), an END of one not open is */
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_snapshot(&t, 2, 1, false);
    query(&t, VGT_SVGA3D_CMD_WAIT_FOR_QUERY, 6, VGT_SVGA_GMR_FRAMEBUFFER); /* 100 */
    query(&t, VGT_SVGA3D_CMD_END_QUERY, 6, VGT_SVGA_GMR_FRAMEBUFFER);      /* 101 */
    tw_end_frame(&t, 40, 1);
    tw_close(&t);
    leaks_ok(path, &r);
    assert_int_equal(r.problems[VGT_LEAK_QUERY_NOT_BEGUN], 1);
    assert_int_equal(issue_at(&r, VGT_LEAK_QUERY_NOT_BEGUN, 0)->seq, 101);
    assert_int_equal(r.kinds[VGT_LEAK_QUERY].defined, 0);
    vgt_leaks_result_free(&r);

    /* a query open at the snapshot (its BEGIN_QUERY in EX3D), never ended */
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_snapshot(&t, 2, 1, true);
    render_target(&t, 6, 8); /* 100 */
    tw_end_frame(&t, 40, 1);
    tw_close(&t);
    leaks_ok(path, &r);
    assert_int_equal(r.kinds[VGT_LEAK_QUERY].defined, 1);
    assert_int_equal(r.kinds[VGT_LEAK_QUERY].snapshot, 1);
    assert_int_equal(r.kinds[VGT_LEAK_QUERY].alive, 1);
    assert_int_equal(r.problems[VGT_LEAK_QUERY_OPEN], 1);
    assert_issue(&r, VGT_LEAK_QUERY_OPEN, 0, VGT_LEAK_QUERY, VGT_SVGA3D_QUERYTYPE_OCCLUSION, 100, 0,
                 VGT_SVGA3D_CMD_BEGIN_QUERY, UINT64_MAX); /* the record's frame */
    vgt_leaks_result_free(&r);
}

/* The object of kind and id (shaders: of context 6, PS) among the alive. */
static const vgt_leak_object *alive_of(const vgt_leaks_result *r, vgt_leak_kind kind, uint32_t id)
{
    for (size_t i = 0; i < r->nalive; i++) {
        if (r->alive[i].kind == kind && r->alive[i].id == id) {
            return &r->alive[i];
        }
    }
    fail_msg("%s %u not alive", vgt_leak_kind_name(kind), id);
    return NULL;
}

/* A CLEAR or a draw uses what its context has bound, whether the snapshot
 * bound it or a command: the snapshot binds surface 8 as the colour
 * target, surfaces 9 and 12 to texture stages 0 and 1 and pixel shader 2;
 * the trace never names them:
 *   100 CLEAR   101 DRAW (vertex buffer 10)   102 SURFACE_DESTROY 9
 *   103 SURFACE_DEFINE 9 (a new one: not bound)   104 DRAW
 *   105 SETRENDERTARGET COLOR0 11 (never defined: dangling, refused)
 *   106 CLEAR
 * 8 is last used by 106's CLEAR (the refused binding left it), the old 9
 * by 101's draw, 12 and the shader by 104's, the new 9 never (UNUSED), and no
 * use dangles but 105's naming of 11.
 * Then a SETTEXTURESTATE binding a surface not live changes no stage (the
 * executor refuses all of it), and a context defined again loses its
 * bindings: its CLEAR uses nothing. */
static void test_leaks_snapshot_bindings(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "snapshot-bindings.vgt");
    const uint32_t tex[] = {
        VGT_SVGA3D_CMD_SURFACE_DEFINE, 0, 9, 0, VGT_SVGA3D_A8R8G8B8, 1, 0, 0, 0, 0, 0, 4, 4, 1};
    /* the 72 bytes tw_draw reads */
    const uint32_t vb[] = {
        VGT_SVGA3D_CMD_SURFACE_DEFINE, 0, 10, 0, VGT_SVGA3D_BUFFER, 1, 0, 0, 0, 0, 0, 72, 1, 1};
    const uint32_t rt[] = {VGT_SVGA3D_CMD_SETRENDERTARGET, 0, 6, VGT_SVGA3D_RT_COLOR0, 8, 0, 0};
    const uint32_t tex2[] = {
        VGT_SVGA3D_CMD_SURFACE_DEFINE, 0, 12, 0, VGT_SVGA3D_A8R8G8B8, 1, 0, 0, 0, 0, 0, 4, 4, 1};
    const uint32_t ts[] = {
        VGT_SVGA3D_CMD_SETTEXTURESTATE, 0, 6, 0, VGT_SVGA3D_TS_BIND_TEXTURE, 9, 1,
        VGT_SVGA3D_TS_BIND_TEXTURE,     12};
    const uint32_t ss[] = {VGT_SVGA3D_CMD_SET_SHADER, 0, 6, VGT_SVGA3D_SHADERTYPE_PS, 2};
    const snap_cmds more = {{tex, tex2, vb, rt, ts, ss}, {14, 14, 14, 7, 9, 5}, 6};
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_snapshot_more(&t, 2, 1, false, NULL, 0, &more);
    tw_clear(&t, 6, VGT_SVGA3D_CLEAR_COLOR);        /* 100 */
    tw_draw(&t, 6, 10, VGT_SVGA3D_INVALID_ID);      /* 101 */
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 9); /* 102 */
    surface(&t, 9, 4, 4);                           /* 103 */
    tw_draw(&t, 6, 10, VGT_SVGA3D_INVALID_ID);      /* 104 */
    render_target(&t, 6, 11);                       /* 105 */
    tw_clear(&t, 6, VGT_SVGA3D_CLEAR_COLOR);        /* 106 */
    tw_end_frame(&t, 40, 1);
    tw_close(&t);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    assert_int_equal(r.kinds[VGT_LEAK_SURFACE].snapshot, 4);
    const vgt_leak_object *o = alive_of(&r, VGT_LEAK_SURFACE, 8);
    assert_true(o->used);
    assert_int_equal(o->last_use_seq, 106);
    o = alive_of(&r, VGT_LEAK_SURFACE, 9);
    assert_false(o->snapshot);
    assert_int_equal(o->define_seq, 103);
    assert_false(o->used);
    o = alive_of(&r, VGT_LEAK_SURFACE, 10);
    assert_int_equal(o->last_use_seq, 104);
    o = alive_of(&r, VGT_LEAK_SURFACE, 12); /* sampled by 104's draw, not 106's CLEAR */
    assert_true(o->used);
    assert_int_equal(o->last_use_seq, 104);
    o = alive_of(&r, VGT_LEAK_SHADER, 2);
    assert_true(o->used);
    assert_int_equal(o->last_use_seq, 104);
    assert_int_equal(r.problems[VGT_LEAK_UNUSED], 1);
    assert_issue(&r, VGT_LEAK_UNUSED, 0, VGT_LEAK_SURFACE, 9, 103, 0, VGT_SVGA3D_CMD_SURFACE_DEFINE,
                 UINT64_MAX);
    assert_int_equal(r.problems[VGT_LEAK_DANGLING], 1);
    assert_issue(&r, VGT_LEAK_DANGLING, 0, VGT_LEAK_SURFACE, 11, 105, 0,
                 VGT_SVGA3D_CMD_SETRENDERTARGET, UINT64_MAX);
    vgt_leaks_result_free(&r);

    /* 100 SETTEXTURESTATE stage 1 unbound, stage 0 13 (never defined: the
     * whole command refused, 12 stays bound)   101 DRAW: uses 8 and 12
     * 102 CONTEXT_DEFINE 6 again (redefine: the executor's new context has
     * nothing bound)   103 CLEAR: uses no surface */
    const uint32_t refused[] = {VGT_SVGA3D_CMD_SETTEXTURESTATE,
                                0,
                                6,
                                1,
                                VGT_SVGA3D_TS_BIND_TEXTURE,
                                VGT_SVGA3D_INVALID_ID,
                                0,
                                VGT_SVGA3D_TS_BIND_TEXTURE,
                                13};
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_snapshot_more(&t, 2, 1, false, NULL, 0, &more);
    tw_cmd(&t, refused, 9);                        /* 100 */
    tw_draw(&t, 6, 10, VGT_SVGA3D_INVALID_ID);     /* 101 */
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 6); /* 102 */
    tw_clear(&t, 6, VGT_SVGA3D_CLEAR_COLOR);       /* 103 */
    tw_end_frame(&t, 40, 1);
    tw_close(&t);
    leaks_ok(path, &r);
    assert_int_equal(r.problems[VGT_LEAK_REDEFINE], 1);
    assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 12)->last_use_seq, 101);
    assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 8)->last_use_seq, 101);
    vgt_leaks_result_free(&r);
}

/* Opens path and writes 0 CONTEXT_DEFINE 1   1 SURFACE_DEFINE 2
 * 2 SETRENDERTARGET COLOR0 2   3 SURFACE_DEFINE 10, a BUFFER of the 72
 * bytes tw_draw reads (its second declaration's three vertices from byte
 * 36): context 1's draws are taken. */
static void open_drawing(tw *t, const char *path)
{
    tw_open(t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_cmd3(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1);
    surface(t, 2, 4, 4);
    render_target(t, 1, 2);
    buffer(t, 10, 72);
}

/* A pixel shader (ps_2_0, end) of context cid. */
static void pixel_shader(tw *t, uint32_t cid, uint32_t shid)
{
    shader(t, cid, shid, VGT_SVGA3D_SHADERTYPE_PS);
}

/* A draw runs the shader the executor has bound (state3d.c): a
 * SHADER_DESTROY of the bound one unbinds it, so the same id defined
 * again is not run until a SET_SHADER binds it; a SET_SHADER of an id not
 * defined is refused and the binding stays:
 *   0 CONTEXT_DEFINE 1   1 SURFACE_DEFINE 2   2 SETRENDERTARGET COLOR0 2
 *   3 SURFACE_DEFINE 10 (vertices)   4 SHADER_DEFINE PS 5   5 SET_SHADER 5
 *   6 DRAW (runs 5)   7 SHADER_DESTROY 5 (unbound)   8 SHADER_DEFINE PS 5
 *   9 DRAW (no pixel shader)   10 SHADER_DEFINE PS 6   11 SET_SHADER 6
 *   12 SET_SHADER 7 (not defined: refused, 6 stays; dangling)
 *   13 SHADER_DEFINE PS 7   14 DRAW (runs 6)
 * The second 5 and 7 are never used; 6 last at 14. */
static void test_leaks_shader_bindings(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "shader-bindings.vgt");
    const uint32_t sd[] = {VGT_SVGA3D_CMD_SHADER_DESTROY, 0, 1, 5, VGT_SVGA3D_SHADERTYPE_PS};
    tw t;
    open_drawing(&t, path);                            /* 0..3 */
    pixel_shader(&t, 1, 5);                            /* 4 */
    tw_set_shader(&t, 1, VGT_SVGA3D_SHADERTYPE_PS, 5); /* 5 */
    tw_draw(&t, 1, 10, VGT_SVGA3D_INVALID_ID);         /* 6 */
    tw_cmd(&t, sd, 5);                                 /* 7 */
    pixel_shader(&t, 1, 5);                            /* 8 */
    tw_draw(&t, 1, 10, VGT_SVGA3D_INVALID_ID);         /* 9 */
    pixel_shader(&t, 1, 6);                            /* 10 */
    tw_set_shader(&t, 1, VGT_SVGA3D_SHADERTYPE_PS, 6); /* 11 */
    tw_set_shader(&t, 1, VGT_SVGA3D_SHADERTYPE_PS, 7); /* 12 */
    pixel_shader(&t, 1, 7);                            /* 13 */
    tw_draw(&t, 1, 10, VGT_SVGA3D_INVALID_ID);         /* 14 */
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    assert_int_equal(r.kinds[VGT_LEAK_SHADER].defined, 4);
    assert_int_equal(r.kinds[VGT_LEAK_SHADER].alive, 3);
    const vgt_leak_object *o = alive_of(&r, VGT_LEAK_SHADER, 5);
    assert_int_equal(o->define_seq, 8);
    assert_false(o->used);
    o = alive_of(&r, VGT_LEAK_SHADER, 6);
    assert_true(o->used);
    assert_int_equal(o->last_use_seq, 14);
    assert_false(alive_of(&r, VGT_LEAK_SHADER, 7)->used);
    assert_int_equal(r.problems[VGT_LEAK_UNUSED], 2);
    assert_issue(&r, VGT_LEAK_UNUSED, 0, VGT_LEAK_SHADER, 5, 8, 0, VGT_SVGA3D_CMD_SHADER_DEFINE,
                 UINT64_MAX);
    assert_issue(&r, VGT_LEAK_UNUSED, 1, VGT_LEAK_SHADER, 7, 13, 0, VGT_SVGA3D_CMD_SHADER_DEFINE,
                 UINT64_MAX);
    assert_int_equal(r.problems[VGT_LEAK_DANGLING], 1);
    assert_issue(&r, VGT_LEAK_DANGLING, 0, VGT_LEAK_SHADER, 7, 12, 0, VGT_SVGA3D_CMD_SET_SHADER,
                 UINT64_MAX);
    vgt_leaks_result_free(&r);
}

/* The executor's checks on a binding and a draw hold in a trace without
 * ERROR records (hand-made, or a device that wrote none): a texture stage
 * given a BUFFER, a render target's mip out of range and a depth slot
 * given a colour surface are refused, and a draw of a context with no
 * target runs nothing:
 *   0 CONTEXT_DEFINE 1   1 SURFACE_DEFINE 2   2 SETRENDERTARGET COLOR0 2
 *   3 SURFACE_DEFINE 10 (vertices)   4 SURFACE_DEFINE 11 BUFFER
 *   5 SETTEXTURESTATE stage 0: 11 (refused)   6 SURFACE_DEFINE 3
 *   7 SETRENDERTARGET COLOR1 3 mip 1 (refused)
 *   8 SETRENDERTARGET DEPTH 3 (refused)   9 DRAW
 *   10 CONTEXT_DEFINE 4   11 SURFACE_DEFINE 12   12 SETTEXTURESTATE 4
 *   stage 0: 12   13 DRAW of context 4 (no target: refused)
 *   14 SURFACE_DEFINE 2 of 0x4 (the executor refuses it: the old 2 stays
 *   bound, but it is redefined for the guest)   15 DRAW: into the old 2
 * 11 is last used at 5, 3 at 8, 12 at 12: no draw used them; the new 2
 * never (its define's object is not the surface the draw went to). */
static void test_leaks_refused_bindings(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "refused-bindings.vgt");
    const uint32_t ts11[] = {VGT_SVGA3D_CMD_SETTEXTURESTATE, 0, 1, 0,
                             VGT_SVGA3D_TS_BIND_TEXTURE,     11};
    const uint32_t ts12[] = {VGT_SVGA3D_CMD_SETTEXTURESTATE, 0, 4, 0,
                             VGT_SVGA3D_TS_BIND_TEXTURE,     12};
    const uint32_t mip1[] = {
        VGT_SVGA3D_CMD_SETRENDERTARGET, 0, 1, VGT_SVGA3D_RT_COLOR0 + 1u, 3, 0, 1};
    const uint32_t depth[] = {VGT_SVGA3D_CMD_SETRENDERTARGET, 0, 1, VGT_SVGA3D_RT_DEPTH, 3, 0, 0};
    tw t;
    open_drawing(&t, path);                        /* 0..3 */
    buffer(&t, 11, 36);                            /* 4 */
    tw_cmd(&t, ts11, 6);                           /* 5 */
    surface(&t, 3, 4, 4);                          /* 6 */
    tw_cmd(&t, mip1, 7);                           /* 7 */
    tw_cmd(&t, depth, 7);                          /* 8 */
    tw_draw(&t, 1, 10, VGT_SVGA3D_INVALID_ID);     /* 9 */
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 4); /* 10 */
    surface(&t, 12, 4, 4);                         /* 11 */
    tw_cmd(&t, ts12, 6);                           /* 12 */
    tw_draw(&t, 4, 10, VGT_SVGA3D_INVALID_ID);     /* 13 */
    surface(&t, 2, 0, 4);                          /* 14 */
    tw_draw(&t, 1, 10, VGT_SVGA3D_INVALID_ID);     /* 15 */
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    const vgt_leak_object *o = alive_of(&r, VGT_LEAK_SURFACE, 2);
    assert_int_equal(o->define_seq, 14);
    assert_false(o->used);
    assert_int_equal(r.problems[VGT_LEAK_REDEFINE], 1);
    assert_int_equal(r.problems[VGT_LEAK_UNUSED], 1);
    assert_issue(&r, VGT_LEAK_UNUSED, 0, VGT_LEAK_SURFACE, 2, 14, 0, VGT_SVGA3D_CMD_SURFACE_DEFINE,
                 UINT64_MAX);
    assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 10)->last_use_seq, 15);
    assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 11)->last_use_seq, 5);
    assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 3)->last_use_seq, 8);
    assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 12)->last_use_seq, 12);
    vgt_leaks_result_free(&r);
}

/* Opens path and writes 0..3 open_drawing (COLOR0 sid 2, 4x4)   4 sid 12
 * 4x4   5 stage 0: 12   6 sid 3 8x4   7 COLOR1 3   8 DRAW and 9 CLEAR
 * COLOR of context 1, both refused: its colour targets differ in size. */
static void open_mismatched(tw *t, const char *path)
{
    open_drawing(t, path);
    surface(t, 12, 4, 4);
    texture0(t, 1, 12);
    surface(t, 3, 8, 4);
    target_in(t, 1, VGT_SVGA3D_RT_COLOR0 + 1u, 3);
    tw_draw(t, 1, 10, VGT_SVGA3D_INVALID_ID);
    tw_clear(t, 1, VGT_SVGA3D_CLEAR_COLOR);
}

/* What the executor refuses uses and defines nothing, on a trace without
 * ERROR records: a draw and a colour clear whose colour targets differ in
 * size (e3d_check_target_sizes) and shader defines whose bytecode it
 * refuses (e3d_shader_check):
 *   0..9 open_mismatched (8 DRAW and 9 CLEAR COLOR refused)
 *   10 SHADER_DEFINE PS 5, no end token: refused   11 SET_SHADER PS 5:
 *   dangling (nothing defined it)   12 SHADER_DEFINE PS 6
 *   13 SHADER_DEFINE PS 6 of a vertex shader's bytecode: refused (no
 *   redefinition)   14 SET_SHADER PS 6   15 COLOR1 none   16 DRAW: runs
 *   (uses 2, 12 and shader 6; sid 3 never drawn into) */
static void test_leaks_refused_sizes_and_shaders(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "refused-sizes.vgt");
    const uint32_t no_end[] = {VGT_SVGA3D_CMD_SHADER_DEFINE, 0,          1, 5,
                               VGT_SVGA3D_SHADERTYPE_PS,     0xFFFF0200u};
    const uint32_t vs_as_ps[] = {VGT_SVGA3D_CMD_SHADER_DEFINE, 0,           1,          6,
                                 VGT_SVGA3D_SHADERTYPE_PS,     0xFFFE0200u, 0x0000FFFFu};
    tw t;
    open_mismatched(&t, path);                                          /* 0..9 */
    tw_cmd(&t, no_end, 6);                                              /* 10 */
    tw_set_shader(&t, 1, VGT_SVGA3D_SHADERTYPE_PS, 5);                  /* 11 */
    pixel_shader(&t, 1, 6);                                             /* 12 */
    tw_cmd(&t, vs_as_ps, 7);                                            /* 13 */
    tw_set_shader(&t, 1, VGT_SVGA3D_SHADERTYPE_PS, 6);                  /* 14 */
    target_in(&t, 1, VGT_SVGA3D_RT_COLOR0 + 1u, VGT_SVGA3D_INVALID_ID); /* 15 */
    tw_draw(&t, 1, 10, VGT_SVGA3D_INVALID_ID);                          /* 16 */
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    /* sid 3: named by its bind (7), drawn into by nothing */
    assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 3)->last_use_seq, 7);
    assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 2)->last_use_seq, 16);
    assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 12)->last_use_seq, 16);
    assert_int_equal(r.kinds[VGT_LEAK_SHADER].defined, 1);
    assert_int_equal(r.kinds[VGT_LEAK_SHADER].alive, 1);
    const vgt_leak_object *sh = alive_of(&r, VGT_LEAK_SHADER, 6);
    assert_int_equal(sh->define_seq, 12);
    assert_int_equal(sh->last_use_seq, 16);
    assert_int_equal(r.problems[VGT_LEAK_REDEFINE], 0);
    assert_int_equal(r.problems[VGT_LEAK_UNUSED], 0);
    assert_int_equal(r.problems[VGT_LEAK_DANGLING], 1);
    assert_issue(&r, VGT_LEAK_DANGLING, 0, VGT_LEAK_SHADER, 5, 11, 0, VGT_SVGA3D_CMD_SET_SHADER,
                 UINT64_MAX);
    vgt_leaks_result_free(&r);
    /* its first 10 commands alone: the refused draw and clear use
     * nothing, each surface's last use is the command naming it */
    open_mismatched(&t, path);
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    leaks_ok(path, &r);
    assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 2)->last_use_seq, 2);
    assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 12)->last_use_seq, 5);
    assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 3)->last_use_seq, 7);
    vgt_leaks_result_free(&r);
    tw_shell_ok("'%s/vgt' leaks '%s' --json | jq -e '[.alive[] | select(.kind == \"surface\") | "
                "[.id, .last_use_seq]] | sort == [[2, 2], [3, 7], [10, 8], [12, 5]]' >/dev/null",
                VGT_BINARY_DIR, path);
}

/* Draws the executor refuses for their vertex declarations or ranges
 * (e3d_check_draw) use nothing, on a trace without ERROR records:
 *   0..3 open_drawing (COLOR0 sid 2; sid 10 the 72 bytes tw_draw reads)
 *   4 sid 12 4x4   5 stage 0: 12   6 SHADER_DEFINE PS 6   7 SET_SHADER 6
 *   8 sid 13 BUFFER 36   9 sid 14 4x4
 *   10 DRAW from 13: its 72 bytes past the 36 (refused)
 *   11 DRAW indexed from 14: not an index buffer (refused)
 *   12 DRAW from 14: not a vertex buffer (refused)
 *   13 DRAW from 10 indexed from 13: runs
 * 2, 12 and shader 6 are last used at 13; without 13, at their binds. */
static void test_leaks_refused_declarations_and_ranges(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "refused-ranges.vgt");
    for (int ran = 0; ran < 2; ran++) {
        tw t;
        open_drawing(&t, path);                            /* 0..3 */
        surface(&t, 12, 4, 4);                             /* 4 */
        texture0(&t, 1, 12);                               /* 5 */
        pixel_shader(&t, 1, 6);                            /* 6 */
        tw_set_shader(&t, 1, VGT_SVGA3D_SHADERTYPE_PS, 6); /* 7 */
        buffer(&t, 13, 36);                                /* 8 */
        surface(&t, 14, 4, 4);                             /* 9 */
        tw_draw(&t, 1, 13, VGT_SVGA3D_INVALID_ID);         /* 10 */
        tw_draw(&t, 1, 10, 14);                            /* 11 */
        tw_draw(&t, 1, 14, VGT_SVGA3D_INVALID_ID);         /* 12 */
        if (ran) {
            tw_draw(&t, 1, 10, 13); /* 13 */
        }
        tw_end_frame(&t, 0, 1);
        tw_close(&t);
        vgt_leaks_result r;
        leaks_ok(path, &r);
        assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 2)->last_use_seq, ran ? 13 : 2);
        assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 12)->last_use_seq, ran ? 13 : 5);
        assert_int_equal(alive_of(&r, VGT_LEAK_SHADER, 6)->last_use_seq, ran ? 13 : 7);
        /* the draws name 10, 13 and 14 (an id a command names is a use) */
        assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 13)->last_use_seq, ran ? 13 : 10);
        assert_int_equal(alive_of(&r, VGT_LEAK_SURFACE, 14)->last_use_seq, 12);
        assert_int_equal(r.problems[VGT_LEAK_UNUSED], 0);
        assert_int_equal(r.problems[VGT_LEAK_DANGLING], 0);
        vgt_leaks_result_free(&r);
    }
    /* the CLI: the refused draws are no one's last use */
    tw_shell_ok("'%s/vgt' leaks '%s' --json | jq -e '[.alive[] | [.kind, .id, .last_use_seq]] | "
                "sort == [[\"context\", 1, 13], [\"shader\", 6, 13], [\"surface\", 2, 13], "
                "[\"surface\", 10, 13], [\"surface\", 12, 13], [\"surface\", 13, 13], "
                "[\"surface\", 14, 12]]' >/dev/null",
                VGT_BINARY_DIR, path);
}

/* Every field of the walk's summary, as each of the three analyses hands
 * it: a snapshot, then (frame 0 without commands) frame 1's define, its
 * command the device refused and one that does not decode, frame 2's,
 * and frame 3's command after the last FRAME_END (partial). */
static void test_walk_summary_shared(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "summary.vgt");
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_snapshot(&t, 2, 1, false);
    tw_end_frame(&t, 0, 1);
    surface(&t, 1, 8, 8);                           /* 100 */
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 8); /* 101: refused */
    tw_error(&t, 101, VGT_DEVERR_EXECUTE, "SURFACE_DESTROY: a test's refusal");
    const uint32_t unknown[] = {0x00EEEEEEu, 1, 2};
    tw_cmd(&t, unknown, 3); /* 102: does not decode */
    tw_end_frame(&t, 1, 2);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1); /* 103 */
    tw_end_frame(&t, 2, 3);
    render_target(&t, 1, 1); /* 104 */
    tw_close(&t);
    const vgt_svga_walk_summary want = {.commands = 5,
                                        .rejected = 1,
                                        .undecodable = 1,
                                        .has_snapshot = true,
                                        .first_frame = 1,
                                        .last_frame = 3,
                                        .last_frame_partial = true};
    assert_walks(path, false, &want);
}

/* Past VGT_LEAKS_MAX_ERRORS ERROR records the walk remembers no more: each
 * analysis says so (rejected_overflow), and counts as rejected only the
 * commands of the remembered ones. */
static void test_walk_summary_overflow(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "overflow.vgt");
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    surface(&t, 1, 8, 8);                           /* 0 */
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 1); /* 1: refused, remembered */
    tw_error(&t, 1, VGT_DEVERR_EXECUTE, "SURFACE_DESTROY: a test's refusal");
    for (uint32_t i = 0; i < VGT_LEAKS_MAX_ERRORS; i++) { /* seqs of no command */
        tw_error(&t, 1000u + i, VGT_DEVERR_EXECUTE, "x");
    }
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    const vgt_svga_walk_summary want = {.commands = 2, .rejected = 1, .rejected_overflow = true};
    assert_walks(path, false, &want);
}

/* A FLUSH of a unit the trace never configured: dangling from the start
 * of a run (test_leaks_overlays), not in a trace cut mid-run (the walk's
 * has_snapshot: configured before the capture, maybe). */
static void test_leaks_overlay_after_snapshot(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "overlay-snapshot.vgt");
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_snapshot(&t, 2, 1, false);
    video_flush(&t, 3); /* 100 */
    tw_end_frame(&t, 40, 1);
    tw_close(&t);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    assert_true(r.walk.has_snapshot);
    assert_int_equal(r.walk.commands, 1);
    assert_int_equal(r.problems[VGT_LEAK_DANGLING], 0);
    assert_int_equal(r.kinds[VGT_LEAK_OVERLAY].defined, 0);
    vgt_leaks_result_free(&r);
}

/* A trace cut after fences passed (vgt trim, a capture started mid-run)
 * carries the FIFO's FENCE register in its snapshot (FENC): the first FENCE
 * after it is judged against that value, as it would be in the whole trace.
 *   snapshot FENC 5: 100 FENCE 5 (repeated: reused)   101 FENCE 6
 *   102 FENCE 2 (behind 6: reused, against the trace's own FENCE)
 * FENC 0xFFFFFFFF then FENCE 1 wraps (fine); without FENC the first FENCE
 * is judged against nothing; a FENC of another version or size is refused. */
static void test_leaks_snapshot_fence(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "snapshot-fence.vgt");
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    const uint32_t fenc5[] = {VGT_TRACE_SNAP_FENC_VERSION, 5};
    tw_snapshot_fenc(&t, 2, 1, false, fenc5, 2);
    fence(&t, 5); /* 100 */
    fence(&t, 6); /* 101 */
    fence(&t, 2); /* 102 */
    tw_end_frame(&t, 40, 1);
    tw_close(&t);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    assert_int_equal(r.kinds[VGT_LEAK_FENCE].defined, 3);
    assert_int_equal(r.problems[VGT_LEAK_FENCE_REUSED], 2);
    assert_issue(&r, VGT_LEAK_FENCE_REUSED, 0, VGT_LEAK_FENCE, 5, 100, 0, VGT_SVGA_CMD_FENCE,
                 UINT64_MAX);
    assert_int_equal(issue_at(&r, VGT_LEAK_FENCE_REUSED, 0)->ref_value, 5);
    assert_issue(&r, VGT_LEAK_FENCE_REUSED, 1, VGT_LEAK_FENCE, 2, 102, 0, VGT_SVGA_CMD_FENCE, 101);
    assert_int_equal(issue_at(&r, VGT_LEAK_FENCE_REUSED, 1)->ref_value, 6);
    vgt_leaks_result_free(&r);
    tw_shell_ok("'%s/vgt' leaks '%s' | grep -qx '  seq 100 frame 0 FENCE: fence 5 not after "
                "fence 5, passed before the snapshot'",
                VGT_BINARY_DIR, path);
    tw_shell_ok("'%s/vgt' leaks '%s' --json | '" VGT_TEST_PYTHON3
                "' -c 'import json,sys; d=json.load(sys.stdin); "
                "i=[(x[\"id\"],x[\"seq\"],x[\"ref_seq\"],x[\"ref_value\"]) for x in "
                "d[\"issues\"]]; assert i==[(5,100,None,5),(2,102,101,6)], i'",
                VGT_BINARY_DIR, path);

    /* the register at 2^32 - 1: the guest's next fence wraps to 1 */
    const uint32_t fenc_max[] = {VGT_TRACE_SNAP_FENC_VERSION, 0xFFFFFFFFu};
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_snapshot_fenc(&t, 2, 1, false, fenc_max, 2);
    fence(&t, 1); /* 100 */
    tw_end_frame(&t, 40, 1);
    tw_close(&t);
    leaks_ok(path, &r);
    assert_int_equal(r.kinds[VGT_LEAK_FENCE].defined, 1);
    assert_int_equal(r.problems[VGT_LEAK_FENCE_REUSED], 0);
    vgt_leaks_result_free(&r);

    /* no FENC (no fence passed before the snapshot): nothing to be ahead of */
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_snapshot(&t, 2, 1, false);
    fence(&t, 5); /* 100 */
    tw_end_frame(&t, 40, 1);
    tw_close(&t);
    leaks_ok(path, &r);
    assert_int_equal(r.problems[VGT_LEAK_FENCE_REUSED], 0);
    vgt_leaks_result_free(&r);

    /* a FENC of a version this build does not read, or of 12 or 4 bytes:
     * refused, named */
    const uint32_t fenc_bad[3][3] = {{VGT_TRACE_SNAP_FENC_VERSION + 1u, 5},
                                     {VGT_TRACE_SNAP_FENC_VERSION, 5, 0},
                                     {VGT_TRACE_SNAP_FENC_VERSION}};
    const uint32_t nbad[3] = {2, 3, 1};
    for (int k = 0; k < 3; k++) {
        tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
        tw_snapshot_fenc(&t, 2, 1, false, fenc_bad[k], nbad[k]);
        fence(&t, 6); /* 100 */
        tw_end_frame(&t, 40, 1);
        tw_close(&t);
        vgt_error err = {0};
        assert_int_equal(leaks_of(path, false, &r, &err), VGT_E_FORMAT);
        vgt_leaks_result_free(&r);
        if (!strstr(err.message,
                    "SNAPSHOT: FENC section not of 8 bytes or of an unknown version")) {
            fail_msg("FENC %d: %s", k, err.message);
        }
    }
}

/* A trace of another protocol is refused. */
static void test_leaks_not_svga(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "other.vgt");
    tw t;
    tw_open(&t, path, "other", 0);
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    vgt_leaks_result r;
    vgt_error err = {0};
    assert_int_equal(leaks_of(path, false, &r, &err), VGT_E_UNSUPPORTED);
    vgt_leaks_result_free(&r);
    assert_non_null(strstr(err.message, "not an SVGA trace"));
    /* vgt trim refuses it too, without offering --salvage (which skips
     * damaged chunks and cannot make it an SVGA trace) */
    tw_shell_ok("'%s/vgt' trim '%s' --frames 0 -o '%s.out' 2>'%s.err'; test $? -eq 2 && "
                "test \"$(cat '%s.err')\" = \"vgt trim: %s: protocol 'other', not an SVGA trace; "
                "%s.out not written\"",
                VGT_BINARY_DIR, path, path, path, path, path, path);
}

/* ---- the samples ---------------------------------------------------------------------- */

static void capture(const char *path, const char *sample, bool three_d, uint32_t frames,
                    uint64_t start)
{
    vgt_backend_kind be = VGT_BACKEND_SOFT;
    vgt_sample_args args = {.frames = frames};
    if (three_d) {
        args.width = 320;
        args.height = 240;
    }
    assert_true(capture_test_sample(path, sample, &args, three_d ? &be : NULL, start));
}

/* cube and lit define surfaces 1..4 (color, depth, vertex and index
 * buffers), context 1 and the staging GMR 1, and destroy them all in
 * vgt_drv3d_teardown: clean.  Cut at frames 3..5 (vgt trim's snapshot):
 * the four surfaces and the context come from the snapshot and are alive
 * at the end, the GMR is known by its first mention. */
static void test_leaks_samples_3d(void **state)
{
    (void)state;
    static const char *const samples[] = {"cube", "lit"};
    for (int k = 0; k < 2; k++) {
        char path[1100], cut[1100];
        tmp_path(path, sizeof(path), "s3d.vgt");
        capture(path, samples[k], true, 8, 0);
        vgt_leaks_result r;
        leaks_ok(path, &r);
        assert_false(r.walk.has_snapshot);
        /* the teardown after the guest's 8th frame end: frame 8, partial */
        assert_int_equal(r.walk.first_frame, 0);
        assert_int_equal(r.walk.last_frame, 8);
        assert_true(r.walk.last_frame_partial);
        assert_int_equal(r.kinds[VGT_LEAK_SURFACE].defined, 4);
        assert_int_equal(r.kinds[VGT_LEAK_SURFACE].destroyed, 4);
        assert_int_equal(r.kinds[VGT_LEAK_CONTEXT].defined, 1);
        assert_int_equal(r.kinds[VGT_LEAK_CONTEXT].destroyed, 1);
        assert_int_equal(r.kinds[VGT_LEAK_GMR].defined, 1);
        assert_int_equal(r.kinds[VGT_LEAK_GMR].destroyed, 1);
        assert_int_equal(r.kinds[VGT_LEAK_FENCE].defined, 12); /* the frames' and teardown's */
        assert_int_equal(r.kinds[VGT_LEAK_QUERY].defined, 0);
        assert_int_equal(r.nalive, 0);
        for (int p = 0; p < VGT_LEAK_PROBLEMS; p++) {
            assert_int_equal(r.problems[p], 0);
        }
        vgt_leaks_result_free(&r);

        tmp_path(cut, sizeof(cut), "s3d-cut.vgt");
        vgt_trim_options to = {
            .first_frame = 3, .last_frame = 5, .backend = VGT_REPLAY_BACKEND_SOFT};
        vgt_trim_stats tr;
        vgt_error err = {0};
        if (vgt_trim(path, cut, &to, &tr, &err) != VGT_OK) {
            fail_msg("trim: %s", err.message);
        }
        leaks_ok(cut, &r);
        assert_true(r.walk.has_snapshot);
        assert_int_equal(r.snapshot_frame, 3);
        /* vgt trim ends the cut at frame 5's end: no partial frame */
        assert_int_equal(r.walk.first_frame, 3);
        assert_int_equal(r.walk.last_frame, 5);
        assert_false(r.walk.last_frame_partial);
        assert_int_equal(r.kinds[VGT_LEAK_SURFACE].defined, 4);
        assert_int_equal(r.kinds[VGT_LEAK_SURFACE].snapshot, 4);
        assert_int_equal(r.kinds[VGT_LEAK_SURFACE].alive, 4);
        assert_int_equal(r.kinds[VGT_LEAK_CONTEXT].alive, 1);
        assert_int_equal(r.nalive, 5);
        for (size_t i = 0; i < 4; i++) {
            assert_int_equal(r.alive[i].id, i + 1u);
            assert_true(r.alive[i].snapshot);
            assert_int_equal(r.alive[i].define_seq, r.snapshot_seq);
            assert_int_equal(r.alive[i].define_frame, 3);
        }
        assert_int_equal(r.alive[0].width, 320); /* the color target, the capture's mode */
        for (int p = 0; p < VGT_LEAK_PROBLEMS; p++) {
            assert_int_equal(r.problems[p], 0);
        }
        vgt_leaks_result_free(&r);
    }
}

/* envmap and floor upload through a DMA pool of staging GMRs once, before
 * their first frame: every GMR of the pool is named by a SURFACE_DMA (a
 * pool of more buffers than the uploads fill left one defined and never
 * used, which leaks reported), and the teardown frees them: clean. */
static void test_leaks_samples_pool(void **state)
{
    (void)state;
    static const char *const samples[] = {"envmap", "floor"};
    static const uint64_t gmrs[] = {2, 1};
    for (int k = 0; k < 2; k++) {
        char path[1100];
        tmp_path(path, sizeof(path), "pool.vgt");
        capture(path, samples[k], true, 2, 0);
        vgt_leaks_result r;
        leaks_ok(path, &r);
        assert_int_equal(r.kinds[VGT_LEAK_GMR].defined, gmrs[k]);
        assert_int_equal(r.kinds[VGT_LEAK_GMR].destroyed, gmrs[k]);
        for (int p = 0; p < VGT_LEAK_PROBLEMS; p++) {
            if (r.problems[p]) {
                fail_msg("%s: %" PRIu64 " %s", samples[k], r.problems[p],
                         vgt_leak_problem_name((vgt_leak_problem)p));
            }
        }
        assert_int_equal(r.nalive, 0);
        vgt_leaks_result_free(&r);
    }
}

/* screens defines screens 0 and 1 and GMR 1 (by the GMR registers) and
 * never destroys them; a capture started at frame 3 finds the screens in
 * the snapshot. */
static void test_leaks_samples_screens(void **state)
{
    (void)state;
    char path[1100];
    tmp_path(path, sizeof(path), "screens.vgt");
    capture(path, "screens", false, 6, 0);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    assert_int_equal(r.kinds[VGT_LEAK_SCREEN].defined, 2);
    assert_int_equal(r.kinds[VGT_LEAK_SCREEN].alive, 2);
    assert_int_equal(r.kinds[VGT_LEAK_GMR].alive, 1);
    assert_int_equal(r.nalive, 3);
    assert_int_equal(r.alive[0].kind, VGT_LEAK_GMR);
    assert_int_equal(r.alive[0].define_cmd, 0);
    assert_int_equal(r.alive[1].id, 0);
    assert_int_equal(r.alive[2].id, 1);
    assert_true(r.alive[1].used);
    for (int p = 0; p < VGT_LEAK_PROBLEMS; p++) {
        assert_int_equal(r.problems[p], 0);
    }
    vgt_leaks_result_free(&r);

    capture(path, "screens", false, 6, 3);
    leaks_ok(path, &r);
    assert_true(r.walk.has_snapshot);
    assert_int_equal(r.kinds[VGT_LEAK_SCREEN].snapshot, 2);
    assert_int_equal(r.kinds[VGT_LEAK_SCREEN].alive, 2);
    /* the snapshot holds no GMRs: GMR 1, named by the thumbnail's
     * DEFINE_GMRFB after frame 3, counts as defined before the capture */
    assert_int_equal(r.kinds[VGT_LEAK_GMR].defined, 1);
    assert_int_equal(r.kinds[VGT_LEAK_GMR].snapshot, 1);
    assert_int_equal(r.nalive, 3);
    assert_int_equal(r.alive[0].kind, VGT_LEAK_GMR);
    assert_int_equal(r.alive[0].id, 1);
    assert_true(r.alive[0].snapshot);
    assert_int_equal(r.alive[0].define_frame, 3);
    assert_int_equal(r.alive[1].kind, VGT_LEAK_SCREEN);
    assert_true(r.alive[1].snapshot);
    assert_int_equal(r.alive[1].define_frame, 3);
    for (int p = 0; p < VGT_LEAK_PROBLEMS; p++) {
        assert_int_equal(r.problems[p], 0);
    }
    vgt_leaks_result_free(&r);
}

/* video shows unit 0 from its first FLUSH and unit 1 from frame 0, hides
 * unit 1 at frame 20 and shows it again at 25, and leaves both shown (and
 * its frame GMR 1 defined) at the end: exactly that, no misuse.  Cut at
 * frames 10..12, both units come from the snapshot's EXVO section. */
static void test_leaks_samples_video(void **state)
{
    (void)state;
    char path[1100], cut[1100];
    tmp_path(path, sizeof(path), "video.vgt");
    capture(path, "video", false, 30, 0);
    vgt_leaks_result r;
    leaks_ok(path, &r);
    assert_int_equal(r.kinds[VGT_LEAK_OVERLAY].defined, 3);
    assert_int_equal(r.kinds[VGT_LEAK_OVERLAY].destroyed, 1);
    assert_int_equal(r.kinds[VGT_LEAK_OVERLAY].alive, 2);
    assert_int_equal(r.kinds[VGT_LEAK_FENCE].defined, 31);
    assert_int_equal(r.nalive, 3);
    assert_int_equal(r.alive[0].kind, VGT_LEAK_GMR);
    assert_int_equal(r.alive[0].id, 1);
    assert_int_equal(r.alive[1].kind, VGT_LEAK_OVERLAY);
    assert_int_equal(r.alive[1].id, 0);
    assert_int_equal(r.alive[1].define_seq, 6);
    assert_int_equal(r.alive[1].define_frame, 0);
    assert_int_equal(r.alive[1].width, 240);
    assert_int_equal(r.alive[2].kind, VGT_LEAK_OVERLAY);
    assert_int_equal(r.alive[2].id, 1);
    assert_int_equal(r.alive[2].define_seq, 155);
    assert_int_equal(r.alive[2].define_frame, 25);
    assert_int_equal(r.alive[2].define_cmd, VGT_SVGA_CMD_ESCAPE);
    for (int p = 0; p < VGT_LEAK_PROBLEMS; p++) {
        assert_int_equal(r.problems[p], 0);
    }
    vgt_leaks_result_free(&r);

    tmp_path(cut, sizeof(cut), "video-cut.vgt");
    vgt_trim_options to = {.first_frame = 10, .last_frame = 12, .backend = VGT_REPLAY_BACKEND_SOFT};
    vgt_trim_stats tr;
    vgt_error err = {0};
    if (vgt_trim(path, cut, &to, &tr, &err) != VGT_OK) {
        fail_msg("trim: %s", err.message);
    }
    leaks_ok(cut, &r);
    assert_true(r.walk.has_snapshot);
    assert_int_equal(r.kinds[VGT_LEAK_OVERLAY].snapshot, 2);
    assert_int_equal(r.kinds[VGT_LEAK_OVERLAY].alive, 2);
    assert_int_equal(r.nalive, 3);
    assert_int_equal(r.alive[1].id, 0);
    assert_true(r.alive[1].snapshot);
    assert_int_equal(r.alive[1].define_seq, r.snapshot_seq);
    assert_int_equal(r.alive[1].width, 240);
    assert_int_equal(r.alive[2].id, 1);
    assert_true(r.alive[2].snapshot);
    for (int p = 0; p < VGT_LEAK_PROBLEMS; p++) {
        assert_int_equal(r.problems[p], 0);
    }
    vgt_leaks_result_free(&r);
}

static int setup(void **state)
{
    (void)state;
    return tw_tmpdir_make(tmpdir, sizeof(tmpdir), "leaks");
}

static int teardown(void **state)
{
    (void)state;
    return tw_tmpdir_remove(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leaks_misuse),
        cmocka_unit_test(test_leaks_rejected),
        cmocka_unit_test(test_leaks_shader_lives),
        cmocka_unit_test(test_leaks_hostile_ids),
        cmocka_unit_test(test_leaks_damaged),
        cmocka_unit_test(test_leaks_snapshot),
        cmocka_unit_test(test_leaks_not_svga),
        cmocka_unit_test(test_leaks_samples_3d),
        cmocka_unit_test(test_leaks_samples_screens),
        cmocka_unit_test(test_leaks_queries),
        cmocka_unit_test(test_leaks_fences),
        cmocka_unit_test(test_leaks_overlays),
        cmocka_unit_test(test_leaks_samples_video),
        cmocka_unit_test(test_walk_summary_shared),
        cmocka_unit_test(test_walk_summary_overflow),
        cmocka_unit_test(test_leaks_overlay_after_snapshot),
        cmocka_unit_test(test_leaks_snapshot_fence),
        cmocka_unit_test(test_leaks_snapshot_bindings),
        cmocka_unit_test(test_leaks_shader_bindings),
        cmocka_unit_test(test_leaks_refused_bindings),
        cmocka_unit_test(test_leaks_refused_sizes_and_shaders),
        cmocka_unit_test(test_leaks_refused_declarations_and_ranges),
        cmocka_unit_test(test_leaks_samples_pool),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
