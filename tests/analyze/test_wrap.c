/* test_wrap.c - the analyzer's op log (wrap.c) carries a draw state whole
 * into the native re-issue: a spy backend records what the wrapped replay
 * drew, a second spy receives the re-issue, and each re-issued state must
 * equal the recorded one with every handle (targets, both shaders, a stage
 * texture) mapped to the second spy's own objects, and every array (render
 * states, texture states, shader constants) read back with its own contents.
 * The arrays hold values distinct per entry and per array, so one array
 * stored at another's place, or a handle passed through unmapped, shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analyze_internal.h"

#include <string.h>

#define MAX_OBJ  8
#define MAX_DRAW 4

typedef uint32_t ts_block[VGT_SVGA3D_MAX_TEXTURE_STAGES][VGT_SVGA3D_TS_MAX];

/* A backend that hands out handles inside itself (two spies: distinct
 * handles) and keeps a deep copy of every draw's state. */
typedef struct spy {
    char obj[MAX_OBJ]; /* handle k is &obj[k] */
    uint32_t nobj;
    vgt_backend_shader *shaders[MAX_OBJ];
    uint32_t nshaders;
    vgt_backend_surface *surfaces[MAX_OBJ];
    uint32_t nsurfaces;
    vgt_backend_draw_state draws[MAX_DRAW];
    uint32_t rs[MAX_DRAW][VGT_SVGA3D_RS_MAX];
    ts_block ts[MAX_DRAW];
    float vsf[MAX_DRAW][VGT_BACKEND_VS_FLOAT_REGS][4];
    float psf[MAX_DRAW][VGT_BACKEND_PS_FLOAT_REGS][4];
    uint32_t ndraws;
    uint32_t surfaces_destroyed, shaders_destroyed;
} spy;

static void spy_destroy(void *self)
{
    (void)self;
}

/* The next handle of s: an address inside it. */
static void *spy_new(spy *s)
{
    assert_true(s->nobj < MAX_OBJ);
    return &s->obj[s->nobj++];
}

static vgt_status spy_surface_define(void *self, const vgt_backend_surface_desc *desc,
                                     vgt_backend_surface **out, vgt_error *err)
{
    (void)desc;
    (void)err;
    spy *s = self;
    *out = spy_new(s);
    s->surfaces[s->nsurfaces++] = *out;
    return VGT_OK;
}

static void spy_surface_destroy(void *self, vgt_backend_surface *sf)
{
    (void)sf;
    ((spy *)self)->surfaces_destroyed++;
}

static vgt_status spy_shader_define(void *self, uint32_t type, const uint32_t *bytecode,
                                    uint32_t words, vgt_backend_shader **out, vgt_error *err)
{
    (void)type;
    (void)bytecode;
    (void)words;
    (void)err;
    spy *s = self;
    *out = spy_new(s);
    s->shaders[s->nshaders++] = *out;
    return VGT_OK;
}

static void spy_shader_destroy(void *self, vgt_backend_shader *sh)
{
    (void)sh;
    ((spy *)self)->shaders_destroyed++;
}

static vgt_status spy_draw(void *self, const vgt_backend_draw_state *state,
                           const vgt_backend_draw_range *ranges, uint32_t count,
                           vgt_backend_draw_stats *stats, vgt_error *err)
{
    (void)ranges;
    (void)count;
    (void)stats;
    (void)err;
    spy *s = self;
    assert_true(s->ndraws < MAX_DRAW);
    uint32_t k = s->ndraws++;
    s->draws[k] = *state;
    /* the arrays live only during the call: keep their contents */
    assert_non_null(state->render_states);
    assert_non_null(state->texture_states);
    assert_non_null(state->vs_float);
    assert_non_null(state->ps_float);
    memcpy(s->rs[k], state->render_states, sizeof(s->rs[k]));
    memcpy(s->ts[k], state->texture_states, sizeof(s->ts[k]));
    memcpy(s->vsf[k], state->vs_float, sizeof(s->vsf[k]));
    memcpy(s->psf[k], state->ps_float, sizeof(s->psf[k]));
    return VGT_OK;
}

static const vgt_backend_ops spy_ops = {
    .name = "spy",
    .destroy = spy_destroy,
    .surface_define = spy_surface_define,
    .surface_destroy = spy_surface_destroy,
    .draw = spy_draw,
    .shader_define = spy_shader_define,
    .shader_destroy = spy_shader_destroy,
};

static spy rec_spy, nat_spy; /* large: not on the stack */
static uint32_t rs_in[MAX_DRAW][VGT_SVGA3D_RS_MAX];
static ts_block ts_in[MAX_DRAW];
static float vsf_in[VGT_BACKEND_VS_FLOAT_REGS][4], psf_in[VGT_BACKEND_PS_FLOAT_REGS][4];

/* The state of draw k: the same objects, render and texture states that
 * differ between the draws (so the second draw's state is a delta), the
 * shaders swapped in the third (which handle goes where matters). */
static void make_state(vgt_backend_draw_state *d, uint32_t k, vgt_backend_surface *const *surf,
                       vgt_backend_shader *const *sh)
{
    memset(d, 0, sizeof(*d));
    d->cid = 7;
    d->color_targets[0].surface = surf[0];
    d->color_targets[0].format = 2;
    d->color_targets[0].size = (vgt_svga3d_size){16, 8, 1};
    d->color_target_count = 1;
    d->depth_target.surface = surf[1];
    d->stencil_target.surface = surf[1];
    d->stages[0].texture.surface = surf[2];
    d->vertex_shader = sh[k == 2 ? 1 : 0];
    d->pixel_shader = sh[k == 2 ? 0 : 1];
    d->vertex_shader_id = 3 + k;
    d->pixel_shader_id = 4;
    d->cull_face = 2 + k;
    d->z_max = 0.5f;
    for (uint32_t i = 0; i < VGT_SVGA3D_RS_MAX; i++) {
        rs_in[k][i] = 0x10000u * (k + 1) + i;
    }
    for (uint32_t s = 0; s < VGT_SVGA3D_MAX_TEXTURE_STAGES; s++) {
        for (uint32_t i = 0; i < VGT_SVGA3D_TS_MAX; i++) {
            ts_in[k][s][i] = 0x80000000u + 0x10000u * (k + 1) + s * VGT_SVGA3D_TS_MAX + i;
        }
    }
    d->render_states = rs_in[k];
    d->texture_states = (const uint32_t(*)[VGT_SVGA3D_TS_MAX])ts_in[k];
    d->vs_float = (const float(*)[4])vsf_in;
    d->ps_float = (const float(*)[4])psf_in;
}

/* The objects every test draws with: three 16x8 surfaces (colour target,
 * depth/stencil, texture) and two shaders, defined through be. */
static void define_objects(const vgt_backend *be, vgt_backend_surface *surf[3],
                           vgt_backend_shader *sh[2])
{
    vgt_error err = {0};
    vgt_backend_surface_desc desc = {.sid = 1, .format = 2, .faces = 1, .mip_levels = 1};
    desc.size = (vgt_svga3d_size){16, 8, 1};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(be->ops->surface_define(be->self, &desc, &surf[i], &err), VGT_OK);
    }
    static const uint32_t code[2] = {0xFFFE0200u, 0x0000FFFFu};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(be->ops->shader_define(be->self, (uint32_t)i, code, 2, &sh[i], &err),
                         VGT_OK);
    }
}

/* A wrapper installed on be (the recording spy, both spies emptied),
 * recording or not. */
static an_wrap *wrap_spy(vgt_backend *be, bool recording)
{
    memset(&rec_spy, 0, sizeof(rec_spy));
    memset(&nat_spy, 0, sizeof(nat_spy));
    an_wrap *w = an_wrap_new();
    assert_non_null(w);
    *be = (vgt_backend){.ops = &spy_ops, .self = &rec_spy};
    vgt_error err = {0};
    assert_int_equal(an_wrap_install(w, be, &err), VGT_OK);
    an_wrap_set_recording(w, recording);
    return w;
}

/* Re-issues w's log on nat_spy (one timed run per command in ncmds) and
 * checks that it made the three surfaces and two shaders of define_objects,
 * nothing failing, and drew `draws` times. */
static void native_rerun(an_wrap *w, uint32_t ncmds, uint32_t draws)
{
    vgt_error err = {0};
    vgt_backend nat = {.ops = &spy_ops, .self = &nat_spy};
    uint64_t native_ns[4] = {0}, failed = 99;
    assert_true(ncmds <= 4);
    assert_int_equal(an_wrap_native_run(w, &nat, 0, native_ns, ncmds, NULL, &failed, &err), VGT_OK);
    assert_int_equal(failed, 0);
    assert_int_equal(nat_spy.nsurfaces, 3);
    assert_int_equal(nat_spy.nshaders, 2);
    assert_int_equal(nat_spy.ndraws, draws);
}

static void test_draw_state_round_trip(void **state)
{
    (void)state;
    for (uint32_t r = 0; r < VGT_BACKEND_VS_FLOAT_REGS; r++) {
        for (int c = 0; c < 4; c++) {
            vsf_in[r][c] = (float)(r * 4 + (uint32_t)c) + 0.25f;
        }
    }
    for (uint32_t r = 0; r < VGT_BACKEND_PS_FLOAT_REGS; r++) {
        for (int c = 0; c < 4; c++) {
            psf_in[r][c] = -(float)(r * 4 + (uint32_t)c) - 0.5f;
        }
    }
    vgt_backend be;
    an_wrap *w = wrap_spy(&be, true);
    vgt_error err = {0};

    /* command 0 defines the objects, commands 1..3 draw */
    uint64_t ns, prims;
    uint32_t ops;
    vgt_backend_surface *surf[3];
    vgt_backend_shader *sh[2];
    an_wrap_cmd_begin(w, 0);
    define_objects(&be, surf, sh);
    an_wrap_cmd_end(w, &ns, &ops, &prims);
    assert_int_equal(ops, 5);
    vgt_backend_draw_state want[3];
    for (uint32_t k = 0; k < 3; k++) {
        an_wrap_cmd_begin(w, 1 + k);
        make_state(&want[k], k, surf, sh);
        vgt_backend_draw_range range = {
            .primitive_type = 1, .primitive_count = 2 + k, .vertex_count = 6 + 3 * k};
        assert_int_equal(be.ops->draw(be.self, &want[k], &range, 1, NULL, &err), VGT_OK);
        an_wrap_cmd_end(w, &ns, &ops, &prims);
        assert_int_equal(prims, 2 + k);
    }
    assert_int_equal(rec_spy.ndraws, 3);
    assert_int_equal(an_wrap_logged_ops(w), 8);
    assert_true(an_wrap_log_complete(w));

    native_rerun(w, 4, 3);
    for (uint32_t k = 0; k < 3; k++) {
        const vgt_backend_draw_state *got = &nat_spy.draws[k];
        /* the re-issue's own objects, in the places the recorded ones were */
        assert_ptr_equal(got->color_targets[0].surface, nat_spy.surfaces[0]);
        assert_ptr_equal(got->depth_target.surface, nat_spy.surfaces[1]);
        assert_ptr_equal(got->stencil_target.surface, nat_spy.surfaces[1]);
        assert_ptr_equal(got->stages[0].texture.surface, nat_spy.surfaces[2]);
        assert_ptr_equal(got->vertex_shader, nat_spy.shaders[k == 2 ? 1 : 0]);
        assert_ptr_equal(got->pixel_shader, nat_spy.shaders[k == 2 ? 0 : 1]);
        assert_null(got->color_targets[1].surface);
        assert_null(got->elements[0].buffer);
        /* the arrays' contents, each its own */
        assert_memory_equal(nat_spy.rs[k], rs_in[k], sizeof(rs_in[k]));
        assert_memory_equal(nat_spy.ts[k], ts_in[k], sizeof(ts_in[k]));
        assert_memory_equal(nat_spy.vsf[k], vsf_in, sizeof(vsf_in));
        assert_memory_equal(nat_spy.psf[k], psf_in, sizeof(psf_in));
        assert_null(got->vs_int);
        assert_null(got->ps_bool);
        /* every other field as drawn */
        assert_int_equal(got->cid, 7);
        assert_int_equal(got->color_target_count, 1);
        assert_int_equal(got->color_targets[0].format, 2);
        assert_int_equal(got->color_targets[0].size.width, 16);
        assert_int_equal(got->color_targets[0].size.height, 8);
        assert_int_equal(got->vertex_shader_id, 3 + k);
        assert_int_equal(got->pixel_shader_id, 4);
        assert_int_equal(got->cull_face, 2 + k);
        assert_true(got->z_max == 0.5f);
    }
    vgt_backend_destroy(&be);
    an_wrap_free(w);
}

/* The objects made before the first command (a snapshot's, which the
 * executor restores before any command) are re-issued too, and the draw of
 * command 0 gets the re-issue's own; what no op destroyed is destroyed at
 * the re-issue's end.  A draw naming an object the wrapper never saw made
 * (made while not recording) stops the log: flagged incomplete, and the draw
 * is not re-issued with NULL in its place. */
static void test_before_first_command(void **state)
{
    (void)state;
    vgt_backend be;
    an_wrap *w = wrap_spy(&be, true);
    vgt_error err = {0};
    vgt_backend_surface *surf[3];
    vgt_backend_shader *sh[2];
    define_objects(&be, surf, sh);
    uint64_t ns, prims;
    uint32_t ops;
    vgt_backend_draw_state d;
    make_state(&d, 0, surf, sh);
    vgt_backend_draw_range range = {.primitive_type = 1, .primitive_count = 2, .vertex_count = 6};
    an_wrap_cmd_begin(w, 0);
    assert_int_equal(be.ops->draw(be.self, &d, &range, 1, NULL, &err), VGT_OK);
    an_wrap_cmd_end(w, &ns, &ops, &prims);
    /* after the first command, a call outside any (the replay's teardown) is
     * not logged: the re-issue destroys what is left itself */
    be.ops->surface_destroy(be.self, surf[2]);
    assert_int_equal(an_wrap_logged_ops(w), 6);
    assert_true(an_wrap_log_complete(w));
    native_rerun(w, 1, 1);
    assert_ptr_equal(nat_spy.draws[0].color_targets[0].surface, nat_spy.surfaces[0]);
    assert_ptr_equal(nat_spy.draws[0].depth_target.surface, nat_spy.surfaces[1]);
    assert_ptr_equal(nat_spy.draws[0].vertex_shader, nat_spy.shaders[0]);
    assert_int_equal(nat_spy.surfaces_destroyed, 3);
    assert_int_equal(nat_spy.shaders_destroyed, 2);
    vgt_backend_destroy(&be);
    an_wrap_free(w);

    /* the same draw, its objects made while not recording */
    w = wrap_spy(&be, false);
    define_objects(&be, surf, sh);
    an_wrap_set_recording(w, true);
    make_state(&d, 0, surf, sh);
    an_wrap_cmd_begin(w, 0);
    assert_int_equal(be.ops->draw(be.self, &d, &range, 1, NULL, &err), VGT_OK);
    an_wrap_cmd_end(w, &ns, &ops, &prims);
    assert_false(an_wrap_log_complete(w));
    /* the log stopped at the draw: it is not re-issued */
    vgt_backend nat = {.ops = &spy_ops, .self = &nat_spy};
    uint64_t native_ns[1] = {0}, failed = 99;
    assert_int_equal(an_wrap_native_run(w, &nat, 0, native_ns, 1, NULL, &failed, &err), VGT_OK);
    assert_int_equal(nat_spy.ndraws, 0);
    vgt_backend_destroy(&be);
    an_wrap_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draw_state_round_trip),
        cmocka_unit_test(test_before_first_command),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
