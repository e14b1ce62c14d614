/* test_bind_tracker.c - replay/bind_tracker.c, the bindings vgt leaks,
 * vgt surfaces and vgt shader list follow without a replay, against the executor itself: every
 * command goes to both (the null backend), the tracker must take or refuse
 * it as the executor does, and after it every context's render targets,
 * texture stages and shaders and every surface's life must be the
 * executor's.  Each case also asserts the values themselves: binds,
 * unbinds by SURFACE_DESTROY, by a surface defined again and by a context
 * defined again, refused binds (a dead surface, a face or mip out of
 * range, a format of the wrong kind, a volume depth target, a texture
 * stage given a BUFFER, a shader not defined), a shader destroyed while
 * bound, draws and clears refused (no target; the targets' sizes), a
 * define the executor refuses leaving the old surface bound, shader
 * defines it refuses defining nothing, and a snapshot's bindings (the executor's EX3D
 * section read back by svga_walk_snapshot_3d into a fresh tracker), and
 * the tag each shader holds of its define. */
#include "exec3d_test_util.h"

#include "bind_tracker.h"
#include "svga_walk.h"

#define INVALID VGT_SVGA3D_INVALID_ID
#define COLOR0  VGT_SVGA3D_RT_COLOR0
#define DEPTH   VGT_SVGA3D_RT_DEPTH
#define PS      VGT_SVGA3D_SHADERTYPE_PS
#define VS      VGT_SVGA3D_SHADERTYPE_VS

typedef struct fixture {
    t3d *t;
    bind_tracker bt;
    uint64_t tag; /* the next command's (a define is tagged with it) */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->t = t3d_new(false);
    assert_true(bt_init(&f->bt));
    f->tag = 1; /* 0 is no surface */
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bt_free(&f->bt);
    t3d_free(f->t);
    free(f);
    return 0;
}

/* The tracker's answer to cmd, called as the verbs call it: taken or not. */
static bool tracker_takes(bind_tracker *bt, const vgt_cmd *cmd, uint64_t tag)
{
    switch (cmd->id) {
    case VGT_SVGA3D_CMD_SURFACE_DEFINE:
    case VGT_SVGA3D_CMD_SURFACE_DEFINE_V2: {
        bt_layout lay;
        if (bt_surface_check(bt, cmd, &lay, NULL) != VGT_OK) {
            return false;
        }
        bt_surface_take(bt, &lay, tag);
        return true;
    }
    case VGT_SVGA3D_CMD_SURFACE_DESTROY:
        return bt_surface_destroy(bt, cmd->u.surface_destroy.sid);
    case VGT_SVGA3D_CMD_CONTEXT_DEFINE:
        return bt_context_define(bt, cmd->u.context_define.cid);
    case VGT_SVGA3D_CMD_CONTEXT_DESTROY:
        return bt_context_destroy(bt, cmd->u.context_destroy.cid);
    case VGT_SVGA3D_CMD_SHADER_DEFINE: {
        const vgt_svga3d_cmd_shader_define *d = &cmd->u.shader_define;
        return bt_shader_check(bt, cmd, NULL) == VGT_OK &&
               bt_shader_define(bt, d->cid, d->type, d->shid, (uint32_t)tag);
    }
    case VGT_SVGA3D_CMD_SHADER_DESTROY: {
        const vgt_svga3d_cmd_shader_destroy *d = &cmd->u.shader_destroy;
        return bt_shader_destroy(bt, d->cid, d->type, d->shid);
    }
    case VGT_SVGA3D_CMD_SET_SHADER:
        return bt_set_shader(bt, &cmd->u.set_shader);
    case VGT_SVGA3D_CMD_SETRENDERTARGET:
        return bt_set_render_target(bt, &cmd->u.setrendertarget);
    case VGT_SVGA3D_CMD_SETTEXTURESTATE:
        return bt_set_texture_state(bt, cmd);
    case VGT_SVGA3D_CMD_DRAW_PRIMITIVES:
        return bt_draw(bt, cmd) != NULL;
    case VGT_SVGA3D_CMD_CLEAR:
        return bt_clear(bt, &cmd->u.clear) != NULL;
    default:
        fail_msg("command %u is not the tracker's", cmd->id);
        return false;
    }
}

/* The tracker holds what the executor holds: the same contexts with the
 * same targets, stages and shaders, the same live surfaces. */
static void same_as_executor(const vgt_exec3d *e, const bind_tracker *bt)
{
    for (uint32_t cid = 0; cid < VGT_EXEC3D_MAX_CONTEXT_IDS; cid++) {
        const e3d_context *c = e->contexts[cid];
        const bt_context *b = bt_context_get(bt, cid);
        if ((c != NULL) != (b != NULL)) {
            fail_msg("context %u: executor %d, tracker %d", cid, c != NULL, b != NULL);
        }
        for (uint32_t k = 0; c && k < VGT_SVGA3D_RT_MAX; k++) {
            if (memcmp(&c->rt[k], &b->rt[k], sizeof(c->rt[k])) != 0) {
                fail_msg("context %u target %u: executor %u/%u/%u, tracker %u/%u/%u", cid, k,
                         c->rt[k].sid, c->rt[k].face, c->rt[k].mipmap, b->rt[k].sid, b->rt[k].face,
                         b->rt[k].mipmap);
            }
        }
        for (uint32_t s = 0; c && s < VGT_SVGA3D_MAX_TEXTURE_STAGES; s++) {
            assert_int_equal(c->ts[s][VGT_SVGA3D_TS_BIND_TEXTURE], b->tex[s]);
        }
        for (uint32_t k = 0; c && k < 2; k++) {
            assert_int_equal(c->shader_bound[k], b->shader[k]);
        }
    }
    for (uint32_t sid = 0; sid < VGT_EXEC3D_MAX_SURFACE_IDS; sid++) {
        if ((e3d_surface_get(e, sid) != NULL) != (bt_surface_get(bt, sid) != NULL)) {
            fail_msg("surface %u: executor %d, tracker %d", sid, e3d_surface_get(e, sid) != NULL,
                     bt_surface_get(bt, sid) != NULL);
        }
    }
}

/* The command built in f->t to the executor and to the tracker (a define
 * tagged f->tag++): both take it (taken) or both refuse it, and hold the
 * same bindings after it. */
static void both(fixture *f, bool taken)
{
    t3d *t = f->t;
    t->words[1] = (t->n - 2u) * 4u;
    vgt_cmd cmd;
    vgt_error derr = {0};
    assert_int_equal(vgt_cmd_decode(t->words, t->n, &cmd, &derr), VGT_OK);
    bool tracker = tracker_takes(&f->bt, &cmd, f->tag++);
    vgt_error_clear(&t->err);
    vgt_status st = vgt_executor_execute(t->ex, &cmd, &t->res, &t->err);
    if ((st == VGT_OK) != taken || tracker != taken) {
        fail_msg("%s: executor %s (%s), tracker %s; expected %s", cmd.desc->name,
                 st == VGT_OK ? "took it" : "refused it", t->err.message,
                 tracker ? "took it" : "refused it", taken ? "taken" : "refused");
    }
    same_as_executor(t->e, &f->bt);
}

static void surface(fixture *f, uint32_t sid, uint32_t format, uint32_t mips, uint32_t w,
                    uint32_t h, uint32_t d, bool taken)
{
    cmd_surface(f->t, sid, 0, format, mips, w, h, d);
    both(f, taken);
}

static void context(fixture *f, uint32_t id, uint32_t cid, bool taken)
{
    cmd_cid(f->t, id, cid);
    both(f, taken);
}

static void target(fixture *f, uint32_t cid, uint32_t type, uint32_t sid, uint32_t face,
                   uint32_t mip, bool taken)
{
    cmd_rt(f->t, cid, type, sid);
    f->t->words[5] = face;
    f->t->words[6] = mip;
    both(f, taken);
}

/* SETTEXTURESTATE binding stages 0 and 1 (one command). */
static void textures(fixture *f, uint32_t cid, uint32_t sid0, uint32_t sid1, bool taken)
{
    cmd_tex(f->t, cid, 0, VGT_SVGA3D_TS_BIND_TEXTURE, sid0);
    c_u32(f->t, 1);
    c_u32(f->t, VGT_SVGA3D_TS_BIND_TEXTURE);
    c_u32(f->t, sid1);
    both(f, taken);
}

/* SHADER_DEFINE of n words of bytecode. */
static void shader_define(fixture *f, uint32_t cid, uint32_t type, uint32_t shid,
                          const uint32_t *code, uint32_t n, bool taken)
{
    c_begin(f->t, VGT_SVGA3D_CMD_SHADER_DEFINE);
    c_u32(f->t, cid);
    c_u32(f->t, shid);
    c_u32(f->t, type);
    for (uint32_t i = 0; i < n; i++) {
        c_u32(f->t, code[i]);
    }
    both(f, taken);
}

static void shader_cmd(fixture *f, uint32_t id, uint32_t cid, uint32_t type, uint32_t shid,
                       bool taken)
{
    c_begin(f->t, id);
    c_u32(f->t, cid);
    if (id == VGT_SVGA3D_CMD_SET_SHADER) {
        c_u32(f->t, type);
        c_u32(f->t, shid);
    } else {
        c_u32(f->t, shid);
        c_u32(f->t, type);
    }
    if (id == VGT_SVGA3D_CMD_SHADER_DEFINE) {
        c_u32(f->t, type == VS ? 0xFFFE0200u : 0xFFFF0200u);
        c_u32(f->t, 0x0000FFFFu);
    }
    both(f, taken);
}

static void draw(fixture *f, uint32_t cid, bool taken)
{
    cmd_draw(f->t, cid, 50, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, INVALID, 0, 0);
    both(f, taken);
}

/* The tracker's bt_draw of draw()'s command, given to it alone. */
static const bt_context *tracker_draw(fixture *f, uint32_t cid)
{
    t3d *t = f->t;
    cmd_draw(t, cid, 50, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, INVALID, 0, 0);
    t->words[1] = (t->n - 2u) * 4u;
    static vgt_cmd cmd; /* its arrays point into t->words, which stay */
    assert_int_equal(vgt_cmd_decode(t->words, t->n, &cmd, NULL), VGT_OK);
    return bt_draw(&f->bt, &cmd);
}

/* A vertex declaration: FLOAT3 POSITION index `index` from sid at offset,
 * stride. */
#define DECL(index, sid, offset, stride)                                                           \
    {                                                                                              \
        VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLMETHOD_DEFAULT, VGT_SVGA3D_DECLUSAGE_POSITION,  \
            index, sid, offset, stride, 0, 0                                                       \
    }
/* A primitive range: count primitives of prim, indexed from ib (index
 * width 2 unless ib is INVALID) at offset with its stride, first vertex bias. */
#define RANGE(prim, count, ib, offset, stride, bias)                                               \
    {                                                                                              \
        VGT_SVGA3D_PRIMITIVE_##prim, count, ib, offset, stride, (ib) == INVALID ? 0u : 2u,         \
            (uint32_t)(bias)                                                                       \
    }

/* DRAW_PRIMITIVES of context 1 with n declarations, m ranges and, when
 * divisors is not NULL, a divisor per declaration. */
static void draw_of(fixture *f, const uint32_t (*decls)[9], uint32_t n, const uint32_t (*ranges)[7],
                    uint32_t m, const uint32_t *divisors, bool taken)
{
    c_begin(f->t, VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    c_u32(f->t, 1);
    c_u32(f->t, n);
    c_u32(f->t, m);
    c_mem(f->t, decls, (size_t)n * sizeof(decls[0]));
    c_mem(f->t, ranges, (size_t)m * sizeof(ranges[0]));
    if (divisors) {
        c_mem(f->t, divisors, (size_t)n * sizeof(divisors[0]));
    }
    both(f, taken);
}

static void clear(fixture *f, uint32_t cid, uint32_t flags, float depth, bool taken)
{
    c_begin(f->t, VGT_SVGA3D_CMD_CLEAR);
    c_u32(f->t, cid);
    c_u32(f->t, flags);
    c_u32(f->t, 0);
    c_f32(f->t, depth);
    c_u32(f->t, 0);
    both(f, taken);
}

/* Context 1 with colour 2 (8x8) and depth 3 (8x8, D24S8) bound, textures
 * 4 and 5 on stages 0 and 1, a 36-byte vertex buffer 50. */
static void scene(fixture *f)
{
    context(f, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1, true);
    surface(f, 2, VGT_SVGA3D_A8R8G8B8, 1, 8, 8, 1, true);
    surface(f, 3, VGT_SVGA3D_Z_D24S8, 1, 8, 8, 1, true);
    surface(f, 4, VGT_SVGA3D_A8R8G8B8, 2, 4, 4, 1, true);
    surface(f, 5, VGT_SVGA3D_DXT1, 1, 4, 4, 1, true);
    surface(f, 50, VGT_SVGA3D_BUFFER, 1, 36, 1, 1, true);
    target(f, 1, COLOR0, 2, 0, 0, true);
    target(f, 1, DEPTH, 3, 0, 0, true);
    textures(f, 1, 4, 5, true);
}

static void test_bind(void **state)
{
    fixture *f = *state;
    scene(f);
    const bt_context *c = bt_context_get(&f->bt, 1);
    assert_int_equal(c->rt[COLOR0].sid, 2);
    assert_int_equal(c->rt[DEPTH].sid, 3);
    assert_int_equal(c->rt[VGT_SVGA3D_RT_STENCIL].sid, INVALID);
    assert_int_equal(c->tex[0], 4);
    assert_int_equal(c->tex[1], 5);
    assert_int_equal(c->tex[2], INVALID);
    assert_int_equal(bt_surface_get(&f->bt, 4)->tag, 4); /* scene's fourth command */
    assert_int_equal(bt_surface_get(&f->bt, 4)->mips, 2);
    assert_ptr_equal(tracker_draw(f, 1), c);
    draw(f, 1, true);
    clear(f, 1, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL, 1.0f,
          true);
    /* mip 1 of 4 as a colour target; INVALID unbinds */
    target(f, 1, COLOR0 + 1u, 4, 0, 1, true);
    assert_int_equal(c->rt[COLOR0 + 1u].mipmap, 1);
    target(f, 1, COLOR0 + 1u, INVALID, 0, 0, true);
    assert_int_equal(c->rt[COLOR0 + 1u].sid, INVALID);
    textures(f, 1, INVALID, 4, true);
    assert_int_equal(c->tex[0], INVALID);
    assert_int_equal(c->tex[1], 4);
}

static void test_unbind_by_destroy(void **state)
{
    fixture *f = *state;
    scene(f);
    textures(f, 1, 4, 4, true); /* one surface on two stages */
    context(f, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 7, true);
    target(f, 7, COLOR0, 2, 0, 0, true); /* and in two contexts */
    cmd_cid(f->t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 4);
    both(f, true);
    assert_null(bt_surface_get(&f->bt, 4));
    assert_int_equal(bt_context_get(&f->bt, 1)->tex[0], INVALID);
    assert_int_equal(bt_context_get(&f->bt, 1)->tex[1], INVALID);
    cmd_cid(f->t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 2);
    both(f, true);
    assert_int_equal(bt_context_get(&f->bt, 1)->rt[COLOR0].sid, INVALID);
    assert_int_equal(bt_context_get(&f->bt, 7)->rt[COLOR0].sid, INVALID);
    assert_int_equal(bt_context_get(&f->bt, 1)->rt[DEPTH].sid, 3);
    cmd_cid(f->t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 2); /* dead already: refused */
    both(f, false);
    /* context 7 has no target left: its draw is refused; 1 draws on depth */
    draw(f, 7, false);
    draw(f, 1, true);
    cmd_cid(f->t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 3);
    both(f, true);
    draw(f, 1, false);
    assert_int_equal(f->bt.surface_bytes, 8u + 36u); /* 5 (one DXT1 block) and 50 */
}

static void test_unbind_by_redefine(void **state)
{
    fixture *f = *state;
    scene(f);
    /* 2 defined again: a new surface, bound nowhere */
    surface(f, 2, VGT_SVGA3D_X8R8G8B8, 1, 16, 16, 1, true);
    assert_int_equal(bt_context_get(&f->bt, 1)->rt[COLOR0].sid, INVALID);
    assert_int_equal(bt_surface_get(&f->bt, 2)->tag, 10); /* scene has 9 commands */
    /* 4 defined again with a define the executor refuses (8 mips of a
     * 4x4: too many): the old 4 stays, still bound, its tag the old one */
    surface(f, 4, VGT_SVGA3D_A8R8G8B8, 8, 4, 4, 1, false);
    assert_int_equal(bt_context_get(&f->bt, 1)->tex[0], 4);
    assert_int_equal(bt_surface_get(&f->bt, 4)->tag, 4);
    assert_int_equal(bt_surface_get(&f->bt, 4)->mips, 2);
    /* a sid past the executor's table */
    surface(f, VGT_EXEC3D_MAX_SURFACE_IDS, VGT_SVGA3D_A8R8G8B8, 1, 4, 4, 1, false);
}

static void test_unbind_by_context_redefine(void **state)
{
    fixture *f = *state;
    scene(f);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DEFINE, 1, PS, 6, true);
    shader_cmd(f, VGT_SVGA3D_CMD_SET_SHADER, 1, PS, 6, true);
    assert_int_equal(bt_context_get(&f->bt, 1)->shader[1], 6);
    context(f, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1, true);
    const bt_context *c = bt_context_get(&f->bt, 1);
    assert_int_equal(c->rt[COLOR0].sid, INVALID);
    assert_int_equal(c->rt[DEPTH].sid, INVALID);
    assert_int_equal(c->tex[0], INVALID);
    assert_int_equal(c->shader[1], INVALID);
    draw(f, 1, false);
    /* its shaders went with it */
    shader_cmd(f, VGT_SVGA3D_CMD_SET_SHADER, 1, PS, 6, false);
    context(f, VGT_SVGA3D_CMD_CONTEXT_DESTROY, 1, true);
    assert_null(bt_context_get(&f->bt, 1));
    context(f, VGT_SVGA3D_CMD_CONTEXT_DESTROY, 1, false);
    target(f, 1, COLOR0, 2, 0, 0, false);
    context(f, VGT_SVGA3D_CMD_CONTEXT_DEFINE, VGT_EXEC3D_MAX_CONTEXT_IDS, false);
    /* the surfaces outlive the contexts */
    assert_non_null(bt_surface_get(&f->bt, 2));
}

static void test_refused_binds(void **state)
{
    fixture *f = *state;
    scene(f);
    surface(f, 8, VGT_SVGA3D_A8R8G8B8, 1, 4, 4, 4, true); /* a volume */
    surface(f, 9, VGT_SVGA3D_Z_D16, 1, 4, 4, 4, true);    /* a depth volume */
    target(f, 1, COLOR0, 77, 0, 0, false);                /* not defined */
    target(f, 1, COLOR0, 4, 0, 2, false);                 /* mip 2 of 2 */
    target(f, 1, COLOR0, 4, 1, 0, false);                 /* face 1 of 1 */
    target(f, 1, DEPTH, 2, 0, 0, false);                  /* colour as depth */
    target(f, 1, COLOR0, 3, 0, 0, false);                 /* depth as colour */
    target(f, 1, VGT_SVGA3D_RT_STENCIL, 5, 0, 0, false);  /* DXT1 as stencil */
    target(f, 1, COLOR0, 5, 0, 0, false);                 /* DXT1: not a target */
    target(f, 1, DEPTH, 9, 0, 0, false);                  /* a volume depth */
    target(f, 1, VGT_SVGA3D_RT_STENCIL, 3, 0, 0, true);   /* D24S8 has stencil */
    textures(f, 1, 2, 50, false);                         /* a BUFFER: all refused */
    textures(f, 1, 77, 2, false);                         /* not defined */
    const bt_context *c = bt_context_get(&f->bt, 1);
    assert_int_equal(c->rt[COLOR0].sid, 2);
    assert_int_equal(c->rt[DEPTH].sid, 3);
    assert_int_equal(c->tex[0], 4);
    assert_int_equal(c->tex[1], 5);
    /* shaders: one not defined is refused and the binding stays; one
     * destroyed while bound is unbound; one defined again stays bound */
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DEFINE, 1, PS, 6, true);
    shader_cmd(f, VGT_SVGA3D_CMD_SET_SHADER, 1, PS, 6, true);
    shader_cmd(f, VGT_SVGA3D_CMD_SET_SHADER, 1, PS, 7, false);
    shader_cmd(f, VGT_SVGA3D_CMD_SET_SHADER, 1, VS, 6, false); /* defined as PS only */
    assert_int_equal(c->shader[1], 6);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DEFINE, 1, PS, 6, true);
    assert_int_equal(c->shader[1], 6);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DEFINE, 1, PS, 7, true);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DESTROY, 1, PS, 7, true); /* not the bound one */
    assert_int_equal(c->shader[1], 6);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DESTROY, 1, PS, 6, true);
    assert_int_equal(c->shader[1], INVALID);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DESTROY, 1, PS, 6, false);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DEFINE, 1, PS, 6, true);
    assert_int_equal(c->shader[1], INVALID);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DEFINE, 1, PS, VGT_EXEC3D_MAX_SHADER_IDS, false);
    shader_cmd(f, VGT_SVGA3D_CMD_SET_SHADER, 1, PS, INVALID, true);
}

static void test_refused_draws_and_clears(void **state)
{
    fixture *f = *state;
    context(f, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1, true);
    surface(f, 2, VGT_SVGA3D_A8R8G8B8, 1, 8, 8, 1, true);
    surface(f, 3, VGT_SVGA3D_Z_D16, 1, 8, 8, 1, true);
    surface(f, 50, VGT_SVGA3D_BUFFER, 1, 36, 1, 1, true);
    draw(f, 1, false); /* no target */
    draw(f, 4, false); /* no context */
    clear(f, 1, VGT_SVGA3D_CLEAR_COLOR, 1.0f, false);
    clear(f, 1, 0, 1.0f, true); /* no plane: nothing to miss */
    target(f, 1, DEPTH, 3, 0, 0, true);
    draw(f, 1, true); /* depth only */
    clear(f, 1, VGT_SVGA3D_CLEAR_DEPTH, 0.5f, true);
    clear(f, 1, VGT_SVGA3D_CLEAR_DEPTH, 1.5f, false);
    clear(f, 1, VGT_SVGA3D_CLEAR_STENCIL, 1.0f, false); /* D16: no stencil */
    clear(f, 1, VGT_SVGA3D_CLEAR_COLOR, 1.0f, false);
    target(f, 1, COLOR0, 2, 0, 0, true);
    clear(f, 1, VGT_SVGA3D_CLEAR_COLOR, 1.0f, true);
    target(f, 1, DEPTH, INVALID, 0, 0, true);
    clear(f, 1, VGT_SVGA3D_CLEAR_DEPTH, 0.5f, false);
    draw(f, 1, true); /* colour only */
}

/* Direct3D 9's size rules (e3d_check_target_sizes): every bound colour
 * target the size of the first bound one, at a draw and a colour clear,
 * over gaps and any slot; a draw's depth target no narrower and no lower
 * than the colour; the image bound (its mip) is what is measured. */
static void test_refused_for_sizes(void **state)
{
    fixture *f = *state;
    context(f, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1, true);
    surface(f, 2, VGT_SVGA3D_A8R8G8B8, 2, 8, 8, 1, true); /* mip 1: 4x4 */
    surface(f, 6, VGT_SVGA3D_A8R8G8B8, 1, 8, 8, 1, true);
    surface(f, 7, VGT_SVGA3D_A8R8G8B8, 1, 8, 4, 1, true);
    surface(f, 8, VGT_SVGA3D_A8R8G8B8, 1, 4, 8, 1, true);
    surface(f, 10, VGT_SVGA3D_Z_D16, 1, 8, 8, 1, true);   /* equal */
    surface(f, 11, VGT_SVGA3D_Z_D16, 1, 4, 8, 1, true);   /* narrower only */
    surface(f, 12, VGT_SVGA3D_Z_D16, 1, 8, 4, 1, true);   /* lower only */
    surface(f, 13, VGT_SVGA3D_Z_D16, 1, 16, 16, 1, true); /* larger */
    surface(f, 50, VGT_SVGA3D_BUFFER, 1, 36, 1, 1, true);
    target(f, 1, COLOR0, 2, 0, 0, true);
    target(f, 1, COLOR0 + 3u, 6, 0, 0, true); /* the same size, a gap between */
    draw(f, 1, true);
    clear(f, 1, VGT_SVGA3D_CLEAR_COLOR, 1.0f, true);
    target(f, 1, COLOR0 + 5u, 7, 0, 0, true); /* 8x4: the height differs */
    draw(f, 1, false);
    clear(f, 1, VGT_SVGA3D_CLEAR_COLOR, 1.0f, false);
    clear(f, 1, 0, 1.0f, true);               /* no colour plane: no colour rule */
    target(f, 1, COLOR0 + 5u, 8, 0, 0, true); /* 4x8: the width differs */
    draw(f, 1, false);
    clear(f, 1, VGT_SVGA3D_CLEAR_COLOR, 1.0f, false);
    target(f, 1, COLOR0 + 5u, INVALID, 0, 0, true);
    target(f, 1, COLOR0 + 7u, 2, 0, 1, true); /* mip 1 of 2: 4x4 beside 8x8 */
    draw(f, 1, false);
    target(f, 1, COLOR0, INVALID, 0, 0, true); /* COLOR3 first now, still 8x8 */
    draw(f, 1, false);
    target(f, 1, COLOR0 + 3u, INVALID, 0, 0, true); /* COLOR7's 4x4 alone */
    draw(f, 1, true);
    clear(f, 1, VGT_SVGA3D_CLEAR_COLOR, 1.0f, true);
    target(f, 1, COLOR0 + 7u, INVALID, 0, 0, true);
    target(f, 1, COLOR0, 6, 0, 0, true); /* 8x8 */
    target(f, 1, DEPTH, 10, 0, 0, true);
    draw(f, 1, true);
    target(f, 1, DEPTH, 11, 0, 0, true);
    draw(f, 1, false);
    /* a clear has no depth rule, even of both planes */
    clear(f, 1, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 1.0f, true);
    target(f, 1, DEPTH, 12, 0, 0, true);
    draw(f, 1, false);
    target(f, 1, DEPTH, 13, 0, 0, true);
    draw(f, 1, true);
    /* colours of different sizes: the depth-only clear still runs */
    target(f, 1, COLOR0 + 1u, 7, 0, 0, true);
    draw(f, 1, false);
    clear(f, 1, VGT_SVGA3D_CLEAR_DEPTH, 1.0f, true);
    /* no colour: the depth target has nothing to cover */
    target(f, 1, COLOR0, INVALID, 0, 0, true);
    target(f, 1, COLOR0 + 1u, INVALID, 0, 0, true);
    target(f, 1, DEPTH, 11, 0, 0, true);
    draw(f, 1, true);
    /* the odd target destroyed: unbound, the draw runs again */
    target(f, 1, COLOR0, 8, 0, 0, true); /* 4x8 over a 4x8 depth */
    target(f, 1, COLOR0 + 2u, 6, 0, 0, true);
    draw(f, 1, false);
    cmd_cid(f->t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 6);
    both(f, true);
    draw(f, 1, true);
    assert_ptr_equal(tracker_draw(f, 1), bt_context_get(&f->bt, 1));
}

/* A one-mip surface with flags (the vertex and index buffer hints). */
static void surface_flags(fixture *f, uint32_t sid, uint32_t flags, uint32_t format, uint32_t w,
                          uint32_t h)
{
    cmd_surface(f->t, sid, flags, format, 1, w, h, 1);
    both(f, true);
}

#define VB_HINT  VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER
#define IB_HINT  VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER
#define INDEXED  VGT_SVGA3D_DIVISOR_INDEXED_DATA
#define INSTANCE VGT_SVGA3D_DIVISOR_INSTANCE_DATA

/* Context 1 drawing into colour 2 (8x8); vertex buffer 50 holds 36 bytes
 * (three FLOAT3 vertices). */
static void draw_scene(fixture *f)
{
    context(f, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1, true);
    surface(f, 2, VGT_SVGA3D_A8R8G8B8, 1, 8, 8, 1, true);
    surface(f, 50, VGT_SVGA3D_BUFFER, 1, 36, 1, 1, true);
    target(f, 1, COLOR0, 2, 0, 0, true);
}

/* Draws the executor refuses for their vertex declarations (e3d_check_draw):
 * ranges without one, a surface not defined (never, or destroyed), not a
 * vertex buffer (a colour format without HINT_VERTEXBUFFER; with it, one),
 * divisors with both instancing bits or INDEXED_DATA counts that differ,
 * the last instance's data read past its buffer.  The tracker refuses each
 * (it took them all before: they have a target), and takes the rest. */
static void test_refused_for_declarations(void **state)
{
    fixture *f = *state;
    draw_scene(f);
    surface_flags(f, 51, 0, VGT_SVGA3D_A8R8G8B8, 4, 4);        /* a texture */
    surface_flags(f, 52, VB_HINT, VGT_SVGA3D_A8R8G8B8, 16, 1); /* 64 bytes */
    static const uint32_t vb[][9] = {DECL(0, 50, 0, 12)};
    static const uint32_t missing[][9] = {DECL(0, 99, 0, 12)};
    static const uint32_t texture[][9] = {DECL(0, 51, 0, 12)};
    static const uint32_t hinted[][9] = {DECL(0, 52, 0, 12)};
    static const uint32_t second_missing[][9] = {DECL(0, 50, 0, 12), DECL(1, 98, 0, 12)};
    static const uint32_t two[][9] = {DECL(0, 50, 0, 12), DECL(1, 52, 0, 12)};
    static const uint32_t one[][7] = {RANGE(TRIANGLELIST, 1, INVALID, 0, 0, 0)};
    draw_of(f, vb, 1, one, 1, NULL, true);
    draw_of(f, vb, 0, one, 1, NULL, false); /* a range, no declaration */
    draw_of(f, vb, 0, one, 0, NULL, true);  /* nothing at all: nothing to refuse */
    draw_of(f, missing, 1, one, 1, NULL, false);
    draw_of(f, texture, 1, one, 1, NULL, false);
    draw_of(f, hinted, 1, one, 1, NULL, true);
    draw_of(f, second_missing, 2, one, 1, NULL, false);
    draw_of(f, two, 2, one, 1, NULL, true);
    /* divisors: both bits; INDEXED_DATA counts of 2 and 3; the fourth
     * instance reading element 3 of 50 (bytes 36..47 of 36); three instances */
    static const uint32_t both_bits[] = {INDEXED | INSTANCE | 1u, 0};
    static const uint32_t disagree[] = {INDEXED | 2u, INDEXED | 3u};
    static const uint32_t four[] = {INSTANCE | 1u, INDEXED | 4u};
    static const uint32_t three[] = {INSTANCE | 1u, INDEXED | 3u};
    static const uint32_t inst[][9] = {DECL(0, 50, 0, 12), DECL(1, 52, 0, 12)};
    static const uint32_t indexed[][7] = {RANGE(TRIANGLELIST, 1, 52, 0, 2, 0)};
    surface_flags(f, 52, VB_HINT | IB_HINT, VGT_SVGA3D_A8R8G8B8, 16, 1);
    draw_of(f, inst, 2, indexed, 1, both_bits, false);
    draw_of(f, inst, 2, indexed, 1, disagree, false);
    draw_of(f, inst, 2, indexed, 1, four, false);
    draw_of(f, inst, 2, indexed, 1, three, true);
    /* the same declaration again (the executor's elements stand), then
     * after its buffer is destroyed */
    draw(f, 1, true);
    draw(f, 1, true);
    cmd_cid(f->t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 50);
    both(f, true);
    draw(f, 1, false);
    assert_null(tracker_draw(f, 1));
    surface(f, 50, VGT_SVGA3D_A8R8G8B8, 1, 3, 3, 1, true); /* 36 bytes, no hint */
    draw(f, 1, false);
    surface_flags(f, 50, VB_HINT, VGT_SVGA3D_A8R8G8B8, 3, 3);
    draw(f, 1, true);
    assert_ptr_equal(tracker_draw(f, 1), bt_context_get(&f->bt, 1));
}

/* The command built in f->t where the tracker and the executor on null
 * part (bind_tracker.h: the tracker applies no backend's limit): the
 * executor refuses it for `why`, the tracker takes it. */
static void null_refuses_tracker_takes(fixture *f, const char *why)
{
    t3d *t = f->t;
    t->words[1] = (t->n - 2u) * 4u;
    vgt_cmd cmd;
    assert_int_equal(vgt_cmd_decode(t->words, t->n, &cmd, NULL), VGT_OK);
    assert_true(tracker_takes(&f->bt, &cmd, f->tag++));
    vgt_error_clear(&t->err);
    assert_int_not_equal(vgt_executor_execute(t->ex, &cmd, &t->res, &t->err), VGT_OK);
    if (!strstr(t->err.message, why)) {
        fail_msg("executor: '%s', expected '%s'", t->err.message, why);
    }
    same_as_executor(t->e, &f->bt);
}

/* Draws the executor refuses for their ranges (e3d_check_draw): vertices
 * past the vertex buffer (the count, the first vertex, a strip's extra
 * ones), a negative first vertex, a primitive count whose vertices
 * overflow 32 bits, an index buffer not defined, not one (no BUFFER format
 * nor HINT_INDEXBUFFER), of a stride other than its index width or read
 * past its end, instances times primitives past 2^32, and a good range
 * beside a bad one.  An indexed draw's first vertex may be negative. */
static void test_refused_for_ranges(void **state)
{
    fixture *f = *state;
    draw_scene(f);
    surface(f, 60, VGT_SVGA3D_BUFFER, 1, 6, 1, 1, true);      /* three 2-byte indices */
    surface_flags(f, 61, 0, VGT_SVGA3D_A8R8G8B8, 2, 1);       /* 8 bytes, no hint */
    surface_flags(f, 62, IB_HINT, VGT_SVGA3D_A8R8G8B8, 2, 1); /* 8 bytes */
    surface_flags(f, 63, VB_HINT, VGT_SVGA3D_A8R8G8B8, 2, 1); /* a vertex buffer only */
    static const uint32_t vb[][9] = {DECL(0, 50, 0, 12)};
    static const struct {
        uint32_t range[7];
        bool taken;
    } cases[] = {
        {RANGE(TRIANGLELIST, 1, INVALID, 0, 0, 0), true},
        {RANGE(TRIANGLELIST, 0, INVALID, 0, 0, 0), true},
        {RANGE(TRIANGLELIST, 2, INVALID, 0, 0, 0), false}, /* 72 bytes of 36 */
        {RANGE(TRIANGLELIST, 1, INVALID, 0, 0, 1), false}, /* vertices 1..3 */
        {RANGE(TRIANGLELIST, 1, INVALID, 0, 0, -1), false},
        {RANGE(LINESTRIP, 2, INVALID, 0, 0, 0), true},      /* 3 vertices */
        {RANGE(TRIANGLESTRIP, 1, INVALID, 0, 0, 0), true},  /* 3 */
        {RANGE(TRIANGLESTRIP, 2, INVALID, 0, 0, 0), false}, /* 4 */
        {RANGE(POINTLIST, 3, INVALID, 0, 0, 0), true},
        {RANGE(POINTLIST, 4, INVALID, 0, 0, 0), false},
        {RANGE(TRIANGLELIST, 0x60000000u, INVALID, 0, 0, 0), false}, /* 3 * count > 2^32 */
        {RANGE(TRIANGLELIST, 1, 60, 0, 2, 0), true},
        {RANGE(TRIANGLELIST, 1, 60, 0, 0, -5), true}, /* stride 0: the width; indexed: any bias */
        {RANGE(TRIANGLELIST, 1, 60, 2, 2, 0), false}, /* bytes 2..7 of 6 */
        {RANGE(TRIANGLELIST, 1, 60, 0xFFFFFFFFu, 2, 0), false},
        {RANGE(TRIANGLELIST, 1, 60, 0, 4, 0), false}, /* stride 4, width 2 */
        {RANGE(TRIANGLELIST, 1, 99, 0, 2, 0), false},
        {RANGE(TRIANGLELIST, 1, 61, 0, 2, 0), false},
        {RANGE(TRIANGLELIST, 1, 62, 2, 2, 0), true}, /* bytes 2..7 of 8 */
        {RANGE(TRIANGLELIST, 1, 63, 0, 2, 0), false},
        {RANGE(TRIANGLELIST, 1, 50, 0, 2, 0), true}, /* a BUFFER is both */
    };
    for (uint32_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        draw_of(f, vb, 1, (const uint32_t(*)[7])cases[i].range, 1, NULL, cases[i].taken);
    }
    static const uint32_t good_bad[][7] = {RANGE(TRIANGLELIST, 1, 60, 0, 2, 0),
                                           RANGE(TRIANGLELIST, 1, 60, 2, 2, 0)};
    draw_of(f, vb, 1, good_bad, 1, NULL, true);
    draw_of(f, vb, 1, good_bad, 2, NULL, false);
    /* 2^16 instances of 2^16 primitives: 2^32, past what any backend draws */
    static const uint32_t inst[][9] = {DECL(0, 50, 0, 12)};
    static const uint32_t many[] = {INDEXED | 0x10000u};
    static const uint32_t big[][7] = {RANGE(TRIANGLELIST, 0x10000u, 60, 0, 2, 0)};
    static const uint32_t small[][7] = {RANGE(TRIANGLELIST, 1, 60, 0, 2, 0)};
    draw_of(f, inst, 1, big, 1, many, false);
    draw_of(f, inst, 1, small, 1, many, true);
    /* 2^21 triangles: past the null backend's 2^20 (DEVCAP_MAX_PRIMITIVE_COUNT),
     * a limit of that backend the tracker leaves to the capture's ERROR records */
    surface(f, 64, VGT_SVGA3D_BUFFER, 1, (1u << 21) * 6u, 1, 1, true);
    static const uint32_t limit[][7] = {RANGE(TRIANGLELIST, 1u << 21, 64, 0, 2, 0)};
    c_begin(f->t, VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    c_u32(f->t, 1);
    c_u32(f->t, 1);
    c_u32(f->t, 1);
    c_mem(f->t, vb, sizeof(vb));
    c_mem(f->t, limit, sizeof(limit));
    null_refuses_tracker_takes(f, "primitives (the backend allows 1048576)");
}

/* Direct3D 9's vertex stream frequency (a non-indexed draw of a vs_3_0
 * shader dividing one stream while another instances) is refused only
 * where the shader runs: the null backend runs none and takes the draw,
 * and so does the tracker. */
static void test_stream_frequency_as_null(void **state)
{
    fixture *f = *state;
    draw_scene(f);
    static const uint32_t vs30[] = {0xFFFE0300u, 0x0000FFFFu};
    shader_define(f, 1, VS, 3, vs30, 2, true);
    shader_cmd(f, VGT_SVGA3D_CMD_SET_SHADER, 1, VS, 3, true);
    static const uint32_t two[][9] = {DECL(0, 50, 0, 12), DECL(1, 50, 0, 12)};
    static const uint32_t divide_and_instance[] = {2u, INSTANCE | 1u};
    static const uint32_t one[][7] = {RANGE(TRIANGLELIST, 1, INVALID, 0, 0, 0)};
    draw_of(f, two, 2, one, 1, divide_and_instance, true);
}

/* A SHADER_DEFINE the executor refuses (the validator, the bytecode's
 * type, the id, no context) defines nothing: a SET_SHADER of it is
 * refused, a draw runs without it; over a defined one, the old one stays
 * (bound by id, its tag). */
static void test_refused_shader_defines(void **state)
{
    fixture *f = *state;
    scene(f);
    static const uint32_t ps[] = {0xFFFF0200u, 0x0000FFFFu};
    static const uint32_t vs[] = {0xFFFE0200u, 0x0000FFFFu};
    static const uint32_t no_end[] = {0xFFFF0200u};
    static const uint32_t bad_version[] = {0xFFFF0900u, 0x0000FFFFu};
    static const uint32_t bad_opcode[] = {0xFFFF0200u, 0x00000FF0u, 0x0000FFFFu};
    shader_define(f, 1, PS, 6, no_end, 1, false);
    shader_define(f, 1, PS, 6, bad_version, 2, false);
    shader_define(f, 1, PS, 6, bad_opcode, 3, false);
    shader_define(f, 1, PS, 6, vs, 2, false); /* a vertex shader's bytecode */
    shader_define(f, 1, VS, 6, ps, 2, false);
    shader_define(f, 9, PS, 6, ps, 2, false); /* no context 9 */
    shader_define(f, 1, PS, VGT_EXEC3D_MAX_SHADER_IDS, ps, 2, false);
    const bt_context *c = bt_context_get(&f->bt, 1);
    assert_int_equal(bt_shader_tag(c, PS, 6), 0);
    assert_int_equal(bt_shader_tag(c, VS, 6), 0);
    shader_cmd(f, VGT_SVGA3D_CMD_SET_SHADER, 1, PS, 6, false);
    assert_int_equal(c->shader[1], INVALID);
    draw(f, 1, true);
    /* over a defined and bound one: it stays, its tag too */
    uint32_t tag = (uint32_t)f->tag;
    shader_define(f, 1, PS, 7, ps, 2, true);
    shader_cmd(f, VGT_SVGA3D_CMD_SET_SHADER, 1, PS, 7, true);
    shader_define(f, 1, PS, 7, bad_opcode, 3, false);
    assert_int_equal(bt_shader_tag(c, PS, 7), tag);
    assert_int_equal(c->shader[1], 7);
    draw(f, 1, true);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DESTROY, 1, PS, 7, true);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DESTROY, 1, PS, 6, false);
    vgt_cmd cmd = {.id = VGT_SVGA3D_CMD_SHADER_DEFINE,
                   .u.shader_define = {.cid = 1, .shid = 6, .type = PS},
                   .data = ps,
                   .data_words = 2};
    assert_int_equal(bt_shader_check(&f->bt, &cmd, NULL), VGT_OK);
    cmd.data = no_end;
    cmd.data_words = 1;
    vgt_error err = {0};
    assert_int_equal(bt_shader_check(&f->bt, &cmd, &err), VGT_E_INVALID);
    assert_non_null(strstr(err.message, "SHADER_DEFINE PS 6: "));
    cmd.data = ps;
    cmd.data_words = 2;
    cmd.u.shader_define.cid = 9;
    assert_int_equal(bt_shader_check(&f->bt, &cmd, &err), VGT_E_NOTFOUND);
    assert_string_equal(err.message, "SHADER_DEFINE: context 9 is not defined");
}

/* Each shader holds the tag of the define the executor holds (vgt shader
 * list counts a draw for it): a redefinition's over the old one, none
 * after a destroy or the context's define again; bt_shader_ids bounds the
 * ids that may hold one. */
static void test_shader_tags(void **state)
{
    fixture *f = *state;
    context(f, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1, true);
    uint32_t first = (uint32_t)f->tag;
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DEFINE, 1, VS, 3, true);
    const bt_context *c = bt_context_get(&f->bt, 1);
    assert_int_equal(bt_shader_tag(c, VS, 3), first);
    assert_int_equal(bt_shader_tag(c, PS, 3), 0);
    assert_int_equal(bt_shader_tag(c, VS, 2), 0);
    assert_int_equal(bt_shader_tag(c, VS, 16), 0); /* past the table */
    assert_int_equal(bt_shader_tag(c, 0, 3), 0);   /* no such type */
    assert_int_equal(bt_shader_tag(c, 3, 3), 0);
    assert_int_equal(bt_shader_ids(c, VS), 16);
    assert_int_equal(bt_shader_ids(c, PS), 0);
    assert_int_equal(bt_shader_ids(c, 3), 0);
    shader_cmd(f, VGT_SVGA3D_CMD_SET_SHADER, 1, VS, 3, true);    /* first + 1 */
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DEFINE, 1, VS, 3, true); /* first + 2 */
    assert_int_equal(bt_shader_tag(c, VS, 3), first + 2u);
    assert_int_equal(c->shader[0], 3);                            /* bound by id still */
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DEFINE, 1, VS, 40, true); /* first + 3 */
    assert_int_equal(bt_shader_ids(c, VS), 64);
    assert_int_equal(bt_shader_tag(c, VS, 40), first + 3u);
    assert_int_equal(bt_shader_tag(c, VS, 3), first + 2u);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DESTROY, 1, VS, 3, true);
    assert_int_equal(bt_shader_tag(c, VS, 3), 0);
    assert_int_equal(c->shader[0], INVALID);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DESTROY, 1, VS, 3, false);
    context(f, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1, true);
    c = bt_context_get(&f->bt, 1);
    assert_int_equal(bt_shader_tag(c, VS, 40), 0);
    assert_int_equal(bt_shader_ids(c, VS), 0);
}

/* The snapshot's synthetic commands, as leaks.c and surface_list.c hand
 * them to the tracker. */
static void snapshot_command(void *ctx, const vgt_cmd *cmd)
{
    bind_tracker *bt = ctx;
    switch (cmd->id) {
    case VGT_SVGA3D_CMD_SURFACE_DEFINE:
    case VGT_SVGA3D_CMD_SURFACE_DEFINE_V2:
    case VGT_SVGA3D_CMD_CONTEXT_DEFINE:
    case VGT_SVGA3D_CMD_SHADER_DEFINE:
    case VGT_SVGA3D_CMD_SETRENDERTARGET:
    case VGT_SVGA3D_CMD_SETTEXTURESTATE:
    case VGT_SVGA3D_CMD_SET_SHADER:
        assert_true(tracker_takes(bt, cmd, 1));
        break;
    default:
        break; /* contents, other state */
    }
}

static void test_snapshot_bindings(void **state)
{
    fixture *f = *state;
    scene(f);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DEFINE, 1, VS, 3, true);
    shader_cmd(f, VGT_SVGA3D_CMD_SET_SHADER, 1, VS, 3, true);
    shader_cmd(f, VGT_SVGA3D_CMD_SHADER_DEFINE, 1, PS, 4, true);
    context(f, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 200, true);
    target(f, 200, COLOR0 + 2u, 4, 0, 1, true);
    uint8_t *blob = NULL;
    size_t size = 0;
    vgt_error err = {0};
    assert_int_equal(vgt_executor_snapshot_save_3d(f->t->ex, &blob, &size, NULL, &err), VGT_OK);
    bind_tracker bt;
    assert_true(bt_init(&bt));
    svga_walk w;
    memset(&w, 0, sizeof(w));
    const vgt_trace_snapshot_section sec = {.tag = VGT_TRACE_SNAP_EX3D, .size = size, .data = blob};
    uint64_t at = 0;
    const char *why = svga_walk_snapshot_3d(&w, &sec, snapshot_command, &bt, &at);
    if (why) {
        fail_msg("EX3D at %llu: %s", (unsigned long long)at, why);
    }
    same_as_executor(f->t->e, &bt);
    const bt_context *c = bt_context_get(&bt, 1);
    assert_int_equal(c->rt[COLOR0].sid, 2);
    assert_int_equal(c->rt[DEPTH].sid, 3);
    assert_int_equal(c->tex[0], 4);
    assert_int_equal(c->tex[1], 5);
    assert_int_equal(c->shader[0], 3);
    assert_int_equal(c->shader[1], INVALID);
    assert_int_equal(bt_context_get(&bt, 200)->rt[COLOR0 + 2u].mipmap, 1);
    /* the shader the snapshot defined unbound can be bound after it */
    const vgt_svga3d_cmd_set_shader ss = {.cid = 1, .type = PS, .shid = 4};
    assert_true(bt_set_shader(&bt, &ss));
    free(w.words);
    free(blob);
    bt_free(&bt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unbind_by_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unbind_by_redefine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unbind_by_context_redefine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_binds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_draws_and_clears, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_bindings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shader_tags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_for_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_shader_defines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_for_declarations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_for_ranges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stream_frequency_as_null, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
