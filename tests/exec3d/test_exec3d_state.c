/* test_exec3d_state.c - contexts and their state commands, semantic
 * validation of every class of error (right code, state unchanged),
 * destroying surfaces still bound as render target or texture, draws and
 * their vertex/index bounds, shaders on a backend without shaders, clears,
 * queries, PRESENT / PRESENT_READBACK / BLIT_SURFACE_TO_SCREEN into the
 * display model, and the caps block. */
#include "exec3d_test_util.h"
#include "executor_internal.h"

#define CID 1u
#define RT  10u /* 64x64 X8R8G8B8 */
#define ZB  11u /* 64x64 Z_D24S8 */
#define VB  12u /* 1200-byte vertex buffer: 100 FLOAT3 positions */
#define IB  13u /* 64-byte index buffer: 32 16-bit indices */
#define TX  14u /* 8x8 A8R8G8B8 texture */

static t3d *scene(bool keep)
{
    t3d *t = t3d_new(keep);
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, CID);
    RUN(t, VGT_OK);
    cmd_surface(t, RT, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, VGT_SVGA3D_X8R8G8B8, 1, 64, 64, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, ZB, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL, VGT_SVGA3D_Z_D24S8, 1, 64, 64, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, VB, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER, 1, 1200, 1, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, IB, VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER, VGT_SVGA3D_BUFFER, 1, 64, 1, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, TX, VGT_SVGA3D_SURFACE_HINT_TEXTURE, VGT_SVGA3D_A8R8G8B8, 1, 8, 8, 1);
    RUN(t, VGT_OK);
    cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR0, RT);
    RUN(t, VGT_OK);
    cmd_rt(t, CID, VGT_SVGA3D_RT_DEPTH, ZB);
    RUN(t, VGT_OK);
    return t;
}

static e3d_context *ctx(t3d *t)
{
    e3d_context *c = e3d_context_get(t->e, CID);
    assert_non_null(c);
    return c;
}

static void test_contexts(void **state)
{
    (void)state;
    t3d *t = t3d_new(false);
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, VGT_EXEC3D_MAX_CONTEXT_IDS);
    RUN(t, VGT_E_RANGE);
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DESTROY, 3);
    RUN(t, VGT_E_NOTFOUND);
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 3);
    RUN(t, VGT_OK);
    /* Defaults are Direct3D 9's. */
    e3d_context *c = e3d_context_get(t->e, 3);
    assert_int_equal(c->rs[VGT_SVGA3D_RS_ZFUNC], VGT_SVGA3D_CMP_LESSEQUAL);
    assert_int_equal(c->rs[VGT_SVGA3D_RS_CULLMODE], VGT_SVGA3D_FACE_BACK);
    assert_int_equal(c->ts[0][VGT_SVGA3D_TS_COLOROP], VGT_SVGA3D_TC_MODULATE);
    assert_int_equal(c->ts[1][VGT_SVGA3D_TS_COLOROP], VGT_SVGA3D_TC_DISABLE);
    assert_int_equal(c->rt[VGT_SVGA3D_RT_COLOR0].sid, VGT_SVGA3D_INVALID_ID);
    /* A state command on an unknown context. */
    c_begin(t, VGT_SVGA3D_CMD_SETRENDERSTATE);
    c_u32(t, 4);
    c_u32(t, VGT_SVGA3D_RS_ZENABLE);
    c_u32(t, 0);
    RUN(t, VGT_E_NOTFOUND);
    assert_non_null(strstr(t->err.message, "context 4"));
    /* Redefining resets the context. */
    c_begin(t, VGT_SVGA3D_CMD_SETRENDERSTATE);
    c_u32(t, 3);
    c_u32(t, VGT_SVGA3D_RS_ZENABLE);
    c_u32(t, 0);
    RUN(t, VGT_OK);
    assert_int_equal(e3d_context_get(t->e, 3)->rs[VGT_SVGA3D_RS_ZENABLE], 0);
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 3);
    RUN(t, VGT_OK);
    assert_int_equal(e3d_context_get(t->e, 3)->rs[VGT_SVGA3D_RS_ZENABLE], 1);
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DESTROY, 3);
    RUN(t, VGT_OK);
    assert_null(e3d_context_get(t->e, 3));
    t3d_free(t);
}

static void test_render_target_formats(void **state)
{
    (void)state;
    t3d *t = scene(false);
    cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR0, ZB); /* depth as color */
    RUN(t, VGT_E_INVALID);
    cmd_rt(t, CID, VGT_SVGA3D_RT_DEPTH, RT); /* color as depth */
    RUN(t, VGT_E_INVALID);
    cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR0, VB); /* a buffer */
    RUN(t, VGT_E_INVALID);
    cmd_rt(t, CID, VGT_SVGA3D_RT_STENCIL, ZB); /* D24S8 has stencil */
    RUN(t, VGT_OK);
    cmd_surface(t, 20, 0, VGT_SVGA3D_Z_D16, 1, 64, 64, 1);
    RUN(t, VGT_OK);
    cmd_rt(t, CID, VGT_SVGA3D_RT_STENCIL, 20); /* D16 has none */
    RUN(t, VGT_E_INVALID);
    cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR1, 99);
    RUN(t, VGT_E_NOTFOUND);
    c_begin(t, VGT_SVGA3D_CMD_SETRENDERTARGET); /* mip 1 of a 1-level surface */
    c_u32(t, CID);
    c_u32(t, VGT_SVGA3D_RT_COLOR0);
    c_u32(t, RT);
    c_u32(t, 0);
    c_u32(t, 1);
    RUN(t, VGT_E_RANGE);
    /* After all that, the bindings are the good ones. */
    assert_int_equal(ctx(t)->rt[VGT_SVGA3D_RT_COLOR0].sid, RT);
    assert_int_equal(ctx(t)->rt[VGT_SVGA3D_RT_DEPTH].sid, ZB);
    assert_int_equal(ctx(t)->rt[VGT_SVGA3D_RT_STENCIL].sid, ZB);
    /* Unbinding. */
    cmd_rt(t, CID, VGT_SVGA3D_RT_STENCIL, VGT_SVGA3D_INVALID_ID);
    RUN(t, VGT_OK);
    assert_int_equal(ctx(t)->rt[VGT_SVGA3D_RT_STENCIL].sid, VGT_SVGA3D_INVALID_ID);
    t3d_free(t);
}

/* A guest that destroys surfaces still bound as render target and texture,
 * then draws: the bindings are gone everywhere (no dangling pointer: ASan
 * runs this), the draw is rejected, and a new surface with the same id is
 * not silently bound. */
static void test_destroy_bound_surfaces(void **state)
{
    (void)state;
    t3d *t = scene(false);
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 2); /* a second context binds them too */
    RUN(t, VGT_OK);
    cmd_rt(t, 2, VGT_SVGA3D_RT_COLOR0, RT);
    RUN(t, VGT_OK);
    cmd_tex(t, CID, 0, VGT_SVGA3D_TS_BIND_TEXTURE, TX);
    RUN(t, VGT_OK);
    cmd_tex(t, 2, 3, VGT_SVGA3D_TS_BIND_TEXTURE, TX);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
    RUN(t, VGT_OK);
    assert_ptr_not_equal(ctx(t)->resolved.stages[0].texture.surface, NULL);

    cmd_cid(t, VGT_SVGA3D_CMD_SURFACE_DESTROY, TX);
    RUN(t, VGT_OK);
    cmd_cid(t, VGT_SVGA3D_CMD_SURFACE_DESTROY, RT);
    RUN(t, VGT_OK);
    assert_int_equal(ctx(t)->ts[0][VGT_SVGA3D_TS_BIND_TEXTURE], VGT_SVGA3D_INVALID_ID);
    assert_int_equal(e3d_context_get(t->e, 2)->ts[3][VGT_SVGA3D_TS_BIND_TEXTURE],
                     VGT_SVGA3D_INVALID_ID);
    assert_int_equal(ctx(t)->rt[VGT_SVGA3D_RT_COLOR0].sid, VGT_SVGA3D_INVALID_ID);
    assert_int_equal(e3d_context_get(t->e, 2)->rt[VGT_SVGA3D_RT_COLOR0].sid, VGT_SVGA3D_INVALID_ID);
    /* Context 1 still has its depth target: it may draw, without texture. */
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
    RUN(t, VGT_OK);
    assert_null(ctx(t)->resolved.stages[0].texture.surface);
    assert_int_equal(ctx(t)->resolved.color_target_count, 0);
    /* Context 2 has nothing left to draw into. */
    cmd_draw(t, 2, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
    RUN(t, VGT_E_STATE);
    assert_non_null(strstr(t->err.message, "no render target"));
    /* The same ids again: not bound anywhere. */
    cmd_surface(t, RT, 0, VGT_SVGA3D_X8R8G8B8, 1, 64, 64, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, TX, 0, VGT_SVGA3D_A8R8G8B8, 1, 8, 8, 1);
    RUN(t, VGT_OK);
    cmd_draw(t, 2, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
    RUN(t, VGT_E_STATE);
    /* Destroying a vertex buffer used by the last draw, then drawing from it. */
    cmd_cid(t, VGT_SVGA3D_CMD_SURFACE_DESTROY, VB);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
    RUN(t, VGT_E_NOTFOUND);
    /* Redefining a bound render target's id (implicit destroy) unbinds it too. */
    cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR0, RT);
    RUN(t, VGT_OK);
    cmd_surface(t, RT, 0, VGT_SVGA3D_LUMINANCE8, 1, 64, 64, 1);
    RUN(t, VGT_OK);
    assert_int_equal(ctx(t)->rt[VGT_SVGA3D_RT_COLOR0].sid, VGT_SVGA3D_INVALID_ID);
    assert_int_equal(t3d_counters(t).draws, 2);
    t3d_free(t);
}

static void test_draw_bounds(void **state)
{
    (void)state;
    t3d *t = scene(false);
    const uint32_t NONE = VGT_SVGA3D_INVALID_ID;
    /* 100 vertices of 12 bytes: vertices 0..99 fit, 100 does not. */
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 33, NONE, 0, 1);
    RUN(t, VGT_OK); /* vertices 1..99 */
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 33, NONE, 0, 2);
    RUN(t, VGT_E_RANGE); /* vertex 100 */
    assert_non_null(strstr(t->err.message, "vertex 100"));
    cmd_draw(t, CID, VB, 4, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 98, NONE, 0, 0);
    RUN(t, VGT_E_RANGE); /* 100 vertices from offset 4: the last reads 4 bytes past */
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 98, NONE, 0, 0);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, NONE, 0, -1);
    RUN(t, VGT_E_RANGE); /* negative first vertex */
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_LINELIST, 0xFFFFFFFFu, NONE, 0, 0);
    RUN(t, VGT_E_RANGE); /* more primitives than the caps allow */
    /* 32 indices fit the index buffer; offset 2 makes the last one stick out. */
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_LINELIST, 16, IB, 0, 0);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_LINELIST, 16, IB, 2, 0);
    RUN(t, VGT_E_RANGE);
    assert_non_null(strstr(t->err.message, "index buffer"));
    /* An index buffer that is a texture; a vertex buffer that is a texture. */
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_LINELIST, 1, TX, 0, 0);
    RUN(t, VGT_E_INVALID);
    cmd_draw(t, CID, TX, 0, VGT_SVGA3D_PRIMITIVE_LINELIST, 1, NONE, 0, 0);
    RUN(t, VGT_E_INVALID);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_LINELIST, 1, 77, 0, 0);
    RUN(t, VGT_E_NOTFOUND);
    /* Index stride other than the width. */
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_LINELIST, 1, IB, 0, 0);
    t->words[t->n - 3] = 4;
    RUN(t, VGT_E_UNSUPPORTED);
    /* A depth target smaller than the color target. */
    cmd_surface(t, 30, 0, VGT_SVGA3D_Z_D16, 1, 32, 32, 1);
    RUN(t, VGT_OK);
    cmd_rt(t, CID, VGT_SVGA3D_RT_DEPTH, 30);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_LINELIST, 1, NONE, 0, 0);
    RUN(t, VGT_E_INVALID);
    /* A declaration rejected by its range, then the last good one again:
     * the bounds are the good one's (vertices 0..98 from offset 0), not
     * those of the rejected one (offset 600: 50 vertices). */
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 33, NONE, 0, 0);
    RUN(t, VGT_E_INVALID); /* still the small depth target */
    cmd_rt(t, CID, VGT_SVGA3D_RT_DEPTH, ZB);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 33, NONE, 0, 0);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 600, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 33, NONE, 0, 0);
    RUN(t, VGT_E_RANGE);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 33, NONE, 0, 0);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 33, NONE, 0, 0);
    RUN(t, VGT_OK);
    /* The last declaration is the one of the last draw that ran. */
    assert_int_equal(ctx(t)->decl_count, 1);
    assert_int_equal(ctx(t)->decls[0].array.surface_id, VB);
    vgt_backend_null_counters n = t3d_counters(t);
    assert_int_equal(n.draws, 6);
    assert_int_equal(n.primitives, 33 + 98 + 16 + 3 * 33);
    t3d_free(t);
}

/* svga3d_reg.h, SVGA3dPrimitiveRange: the primitive type and count imply
 * the vertices drawn (list: 1, 2 or 3 per primitive; strip and fan: the
 * count + 1 or + 2).  The scene's vertex buffer holds vertices 0..99: each
 * range ends exactly on vertex 99, and one vertex further is refused. */
static void test_primitive_vertex_counts(void **state)
{
    (void)state;
    t3d *t = scene(false);
    const uint32_t NONE = VGT_SVGA3D_INVALID_ID;
    static const struct {
        uint32_t prim, count, vertices;
    } cases[] = {
        {VGT_SVGA3D_PRIMITIVE_POINTLIST, 7, 7},     {VGT_SVGA3D_PRIMITIVE_LINELIST, 7, 14},
        {VGT_SVGA3D_PRIMITIVE_LINESTRIP, 7, 8},     {VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 7, 21},
        {VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 7, 9}, {VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN, 7, 9},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int32_t first = (int32_t)(100u - cases[i].vertices);
        cmd_draw(t, CID, VB, 0, cases[i].prim, cases[i].count, NONE, 0, first);
        RUN(t, VGT_OK);
        cmd_draw(t, CID, VB, 0, cases[i].prim, cases[i].count, NONE, 0, first + 1);
        RUN(t, VGT_E_RANGE);
        assert_non_null(strstr(t->err.message, "vertex 100 of element 0"));
    }
    /* Indexed: the same counts of 2-byte indices; the index buffer holds 32,
     * so 30 fan triangles and 31 strip lines fit, one more does not. */
    static const struct {
        uint32_t prim, fits;
    } indexed[] = {{VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN, 30}, {VGT_SVGA3D_PRIMITIVE_LINESTRIP, 31}};
    for (size_t i = 0; i < 2; i++) {
        for (uint32_t extra = 0; extra < 2; extra++) {
            cmd_draw(t, CID, VB, 0, indexed[i].prim, indexed[i].fits + extra, IB, 0, 0);
            RUN(t, extra ? VGT_E_RANGE : VGT_OK);
        }
        assert_non_null(strstr(t->err.message, "33 2-byte indices at offset 0"));
    }
    /* Zero primitives of a strip or a fan draw no vertex (not 1 or 2). */
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 0, NONE, 0, 99);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_LINESTRIP, 0, NONE, 0, 100);
    RUN(t, VGT_OK);
    t3d_free(t);
}

/* The resolved state's serial (vgt_backend_draw_state.serial) stays while
 * only matrices change and moves on any other change, including another
 * vertex declaration and a surface
 * defined or destroyed anywhere; the matrices are copied either way. */
static void test_resolved_serial(void **state)
{
    (void)state;
    t3d *t = scene(false);
    const uint32_t NONE = VGT_SVGA3D_INVALID_ID;
    const vgt_backend_draw_state *d = &ctx(t)->resolved;
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NONE, 0, 0);
    RUN(t, VGT_OK);
    uint64_t s1 = d->serial;
    assert_true(s1 != 0);
    cmd_world(t, CID, 0.25f, 0.0f);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NONE, 0, 0);
    RUN(t, VGT_OK);
    assert_int_equal(d->serial, s1);
    assert_true(d->world.m[3][0] == 0.25f);
    /* another vertex declaration is another state; the same one again not */
    cmd_draw(t, CID, VB, 12, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NONE, 0, 0);
    RUN(t, VGT_OK);
    uint64_t s1b = d->serial;
    assert_true(s1b != s1);
    assert_int_equal(d->elements[0].offset, 12);
    cmd_draw(t, CID, VB, 12, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NONE, 0, 0);
    RUN(t, VGT_OK);
    assert_int_equal(d->serial, s1b);
    assert_true(d->view.m[0][0] == 1.0f && d->view.m[3][0] == 0.0f);
    /* a render state */
    cmd_rs(t, CID, VGT_SVGA3D_RS_ZENABLE, 0);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NONE, 0, 0);
    RUN(t, VGT_OK);
    uint64_t s2 = d->serial;
    assert_true(s2 != s1);
    assert_false(d->z_enable);
    assert_true(d->world.m[3][0] == 0.25f);
    /* a surface nothing in the context names, defined and then destroyed */
    cmd_surface(t, 40, VGT_SVGA3D_SURFACE_HINT_TEXTURE, VGT_SVGA3D_A8R8G8B8, 1, 4, 4, 1);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NONE, 0, 0);
    RUN(t, VGT_OK);
    uint64_t s3 = d->serial;
    assert_true(s3 != s2 && s3 != s1);
    cmd_cid(t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 40);
    RUN(t, VGT_OK);
    cmd_world(t, CID, -0.5f, 0.0f);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NONE, 0, 0);
    RUN(t, VGT_OK);
    assert_true(d->serial != s3);
    assert_true(d->world.m[3][0] == -0.5f);
    t3d_free(t);
}

static void test_shaders(void **state)
{
    (void)state;
    t3d *t = scene(false);
    const uint32_t NONE = VGT_SVGA3D_INVALID_ID;
    c_begin(t, VGT_SVGA3D_CMD_SHADER_DEFINE);
    c_u32(t, CID);
    c_u32(t, 5);
    c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
    c_u32(t, 0xFFFE0200u); /* vs_2_0 */
    c_u32(t, 0x0000FFFFu); /* end */
    RUN(t, VGT_OK);
    c_begin(t, VGT_SVGA3D_CMD_SET_SHADER);
    c_u32(t, CID);
    c_u32(t, VGT_SVGA3D_SHADERTYPE_PS);
    c_u32(t, 5); /* a VS id, not a PS */
    RUN(t, VGT_E_NOTFOUND);
    c_begin(t, VGT_SVGA3D_CMD_SET_SHADER);
    c_u32(t, CID);
    c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
    c_u32(t, 5);
    RUN(t, VGT_OK);
    e3d_shader *sh = ctx(t)->shaders[E3D_VS][5];
    assert_int_equal(sh->words, 2);
    assert_int_equal(sh->bytecode[0], 0xFFFE0200u);
    /* The null backend accepts shader draws (it runs nothing) and counts them. */
    uint64_t draws = t3d_counters(t).draws;
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NONE, 0, 0);
    RUN(t, VGT_OK);
    assert_int_equal(t3d_counters(t).draws, draws + 1);
    /* Malformed bytecode and a VS given as a PS are refused by the executor
     * (for every backend), naming the token; the shader id stays as it was. */
    c_begin(t, VGT_SVGA3D_CMD_SHADER_DEFINE);
    c_u32(t, CID);
    c_u32(t, 6);
    c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
    c_u32(t, 0xFFFE0200u); /* vs_2_0 with no end token */
    RUN(t, VGT_E_INVALID);
    assert_non_null(strstr(t->err.message, "token"));
    assert_null(ctx(t)->shaders[E3D_VS][6]);
    c_begin(t, VGT_SVGA3D_CMD_SHADER_DEFINE);
    c_u32(t, CID);
    c_u32(t, 6);
    c_u32(t, VGT_SVGA3D_SHADERTYPE_PS);
    c_u32(t, 0xFFFE0200u); /* a vertex shader */
    c_u32(t, 0x0000FFFFu);
    RUN(t, VGT_E_INVALID);
    assert_non_null(strstr(t->err.message, "token 0"));
    /* Constants: in range, out of range. */
    c_begin(t, VGT_SVGA3D_CMD_SET_SHADER_CONST);
    c_u32(t, CID);
    c_u32(t, 255);
    c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
    c_u32(t, VGT_SVGA3D_CONST_TYPE_FLOAT);
    c_f32(t, 1.0f);
    c_f32(t, 2.0f);
    c_f32(t, 3.0f);
    c_f32(t, 4.0f);
    RUN(t, VGT_OK);
    assert_true(ctx(t)->vs_float[255][3] == 4.0f);
    t->words[3] = 16;
    t->words[5] = VGT_SVGA3D_CONST_TYPE_INT;
    RUN(t, VGT_E_RANGE);
    /* Destroying the bound shader unbinds it; then the draw runs. */
    c_begin(t, VGT_SVGA3D_CMD_SHADER_DESTROY);
    c_u32(t, CID);
    c_u32(t, 5);
    c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
    RUN(t, VGT_OK);
    RUN(t, VGT_E_NOTFOUND); /* twice */
    assert_int_equal(ctx(t)->shader_bound[E3D_VS], NONE);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, NONE, 0, 0);
    RUN(t, VGT_OK);
    assert_int_equal(t3d_counters(t).shaders_alive, 0);
    t3d_free(t);
}

/* SET_SHADER_CONST may carry a run of consecutive registers: Mesa's svga
 * driver (SVGA3D_SetShaderConsts, svga_cmd.c) sizes the command as the
 * fixed body plus 16 bytes per register after the first, whatever the
 * constant type; a BOOL register takes the first word of its 4. */
static void test_shader_const_runs(void **state)
{
    (void)state;
    t3d *t = scene(false);
    e3d_context *c = ctx(t);
    c_begin(t, VGT_SVGA3D_CMD_SET_SHADER_CONST);
    c_u32(t, CID);
    c_u32(t, 10);
    c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
    c_u32(t, VGT_SVGA3D_CONST_TYPE_FLOAT);
    for (int k = 0; k < 12; k++) {
        c_f32(t, (float)(k + 1));
    }
    RUN(t, VGT_OK);
    for (int r = 0; r < 3; r++) {
        for (int k = 0; k < 4; k++) {
            assert_true(c->vs_float[10 + r][k] == (float)(r * 4 + k + 1));
        }
    }
    assert_true(c->vs_float[13][0] == 0.0f);
    c_begin(t, VGT_SVGA3D_CMD_SET_SHADER_CONST);
    c_u32(t, CID);
    c_u32(t, 14);
    c_u32(t, VGT_SVGA3D_SHADERTYPE_PS);
    c_u32(t, VGT_SVGA3D_CONST_TYPE_INT);
    for (int k = 0; k < 8; k++) {
        c_u32(t, (uint32_t)(-k - 1));
    }
    RUN(t, VGT_OK);
    assert_int_equal(c->int_regs[E3D_PS][14][0], -1);
    assert_int_equal(c->int_regs[E3D_PS][15][3], -8);
    c_begin(t, VGT_SVGA3D_CMD_SET_SHADER_CONST);
    c_u32(t, CID);
    c_u32(t, 3);
    c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
    c_u32(t, VGT_SVGA3D_CONST_TYPE_BOOL);
    const uint32_t bools[8] = {0, 7, 7, 7, 1, 0, 0, 0};
    for (int k = 0; k < 8; k++) {
        c_u32(t, bools[k]);
    }
    RUN(t, VGT_OK);
    assert_int_equal(c->bool_regs[E3D_VS][3], 0);
    assert_int_equal(c->bool_regs[E3D_VS][4], 1);
    /* A run past the register file is refused whole, naming its last
     * register: register 254 keeps its value. */
    float before = c->vs_float[254][0];
    c_begin(t, VGT_SVGA3D_CMD_SET_SHADER_CONST);
    c_u32(t, CID);
    c_u32(t, 254);
    c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
    c_u32(t, VGT_SVGA3D_CONST_TYPE_FLOAT);
    for (int k = 0; k < 12; k++) {
        c_f32(t, 9.0f);
    }
    RUN(t, VGT_E_RANGE);
    assert_string_equal(t->err.message,
                        "SET_SHADER_CONST: VS FLOAT registers 254..256 (registers are 0..255)");
    assert_true(c->vs_float[254][0] == before);
    /* A register number near 2^32 does not wrap round to a small one. */
    t->words[3] = 0xFFFFFFFFu;
    RUN(t, VGT_E_RANGE);
    assert_string_equal(t->err.message,
                        "SET_SHADER_CONST: VS FLOAT registers 4294967295..4294967297 "
                        "(registers are 0..255)");
    t3d_free(t);
}

/* Rejected state commands change nothing. */
static void test_state_rejections_are_atomic(void **state)
{
    (void)state;
    t3d *t = scene(false);
    e3d_context *c = ctx(t);
    c_begin(t, VGT_SVGA3D_CMD_SETZRANGE);
    c_u32(t, CID);
    c_f32(t, 0.5f);
    c_f32(t, 0.25f);
    RUN(t, VGT_E_INVALID);
    assert_true(c->zrange.min == 0.0f && c->zrange.max == 1.0f);
    /* Entry 0 is fine, entry 1 binds a missing surface: neither applies. */
    c_begin(t, VGT_SVGA3D_CMD_SETTEXTURESTATE);
    c_u32(t, CID);
    c_u32(t, 0);
    c_u32(t, VGT_SVGA3D_TS_COLOROP);
    c_u32(t, VGT_SVGA3D_TC_SELECTARG1);
    c_u32(t, 0);
    c_u32(t, VGT_SVGA3D_TS_BIND_TEXTURE);
    c_u32(t, 4242);
    RUN(t, VGT_E_NOTFOUND);
    assert_int_equal(c->ts[0][VGT_SVGA3D_TS_COLOROP], VGT_SVGA3D_TC_MODULATE);
    /* A buffer cannot be a texture. */
    cmd_tex(t, CID, 0, VGT_SVGA3D_TS_BIND_TEXTURE, VB);
    RUN(t, VGT_E_INVALID);
    assert_int_equal(c->ts[0][VGT_SVGA3D_TS_BIND_TEXTURE], VGT_SVGA3D_INVALID_ID);
    /* Lights beyond the index limit. */
    c_begin(t, VGT_SVGA3D_CMD_SETLIGHTENABLED);
    c_u32(t, CID);
    c_u32(t, VGT_EXEC3D_MAX_LIGHT_INDEX);
    c_u32(t, 1);
    RUN(t, VGT_E_RANGE);
    /* Nine lights enabled: the draw is refused (8 at once). */
    for (uint32_t i = 0; i < 9; i++) {
        c_begin(t, VGT_SVGA3D_CMD_SETLIGHTENABLED);
        c_u32(t, CID);
        c_u32(t, i * 3u);
        c_u32(t, 1);
        RUN(t, VGT_OK);
    }
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
    RUN(t, VGT_E_UNSUPPORTED);
    c_begin(t, VGT_SVGA3D_CMD_SETLIGHTENABLED);
    c_u32(t, CID);
    c_u32(t, 0);
    c_u32(t, 0);
    RUN(t, VGT_OK);
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
    RUN(t, VGT_OK);
    assert_int_equal(c->resolved.light_count, 8);
    assert_int_equal(c->resolved.lights[0].index, 3);
    /* Material face NONE; a non-finite transform. */
    c_begin(t, VGT_SVGA3D_CMD_SETMATERIAL);
    c_u32(t, CID);
    c_u32(t, VGT_SVGA3D_FACE_NONE);
    for (int i = 0; i < 17; i++) {
        c_f32(t, 0.5f);
    }
    RUN(t, VGT_E_INVALID);
    assert_true(c->material[0].diffuse[0] == 1.0f);
    c_begin(t, VGT_SVGA3D_CMD_SETTRANSFORM);
    c_u32(t, CID);
    c_u32(t, VGT_SVGA3D_TRANSFORM_WORLD);
    for (int i = 0; i < 16; i++) {
        c_f32(t, i == 5 ? 1.0f / 0.0f : 2.0f);
    }
    RUN(t, VGT_E_INVALID);
    assert_true(c->transforms[VGT_SVGA3D_TRANSFORM_WORLD][0] == 1.0f);
    /* A good transform reaches the resolved state at the next draw. */
    t->words[2 + 2 + 5] = t->words[2 + 2 + 4];
    RUN(t, VGT_OK);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
    RUN(t, VGT_OK);
    assert_true(c->resolved.world.m[3][3] == 2.0f);
    t3d_free(t);
}

static void cmd_clear(t3d *t, uint32_t cid, uint32_t flags)
{
    c_begin(t, VGT_SVGA3D_CMD_CLEAR);
    c_u32(t, cid);
    c_u32(t, flags);
    c_u32(t, 0xFF102030u);
    c_f32(t, 1.0f);
    c_u32(t, 0);
}

/* Multiple render targets on the executor, on null (8 color targets) and
 * soft (4): COLOR1..3 bind; every bound color target must be COLOR0's
 * size, else DRAW_PRIMITIVES and CLEAR COLOR fail with INVALID naming both
 * surfaces (Direct3D 9's rule; the executor checks at use, since a guest
 * rebinds one slot at a time); a gap (COLOR1 unbound) is allowed; soft
 * refuses COLOR4 by its cap. */
/* TEXTURE_ANISOTROPIC_LEVEL reaches the backend clamped to its caps (null:
 * 16) and, when the executor is given one (the replayer: the caps the
 * guest was shown), to that; below it the value goes through as set. */
static void test_anisotropy_clamped(void **state)
{
    (void)state;
    static const struct {
        uint32_t limit, level, want;
    } cases[] = {
        {0, 8, 8}, {0, 16, 16}, {0, 17, 16}, {0, 0xffffffffu, 16}, {0, 0, 0}, {1, 16, 1},
        {1, 0, 0}, {4, 16, 4},  {4, 2, 2},   {100, 100, 16},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        t3d *t = t3d_new_aniso(false, VGT_BACKEND_NULL, cases[i].limit);
        cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, CID);
        RUN(t, VGT_OK);
        cmd_surface(t, RT, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, VGT_SVGA3D_A8R8G8B8, 1, 64, 64, 1);
        RUN(t, VGT_OK);
        cmd_surface(t, VB, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER, 1, 1200, 1, 1);
        RUN(t, VGT_OK);
        cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR0, RT);
        RUN(t, VGT_OK);
        cmd_tex(t, CID, 0, VGT_SVGA3D_TS_TEXTURE_ANISOTROPIC_LEVEL, cases[i].level);
        RUN(t, VGT_OK);
        cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
        RUN(t, VGT_OK);
        const e3d_context *c = e3d_context_get(t->e, CID);
        assert_non_null(c);
        if (c->resolved.stages[0].max_anisotropy != cases[i].want) {
            fail_msg("case %zu (limit %u, level %u): %u, expected %u", i, cases[i].limit,
                     cases[i].level, c->resolved.stages[0].max_anisotropy, cases[i].want);
        }
        t3d_free(t);
    }
}

static void test_mrt_sizes(void **state)
{
    (void)state;
    const vgt_backend_kind kinds[2] = {VGT_BACKEND_NULL, VGT_BACKEND_SOFT};
    for (int k = 0; k < 2; k++) {
        t3d *t = t3d_new_on(false, kinds[k]);
        cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, CID);
        RUN(t, VGT_OK);
        cmd_surface(t, RT, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, VGT_SVGA3D_A8R8G8B8, 1, 64, 64, 1);
        RUN(t, VGT_OK);
        cmd_surface(t, 20, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, VGT_SVGA3D_R5G6B5, 1, 64, 64, 1);
        RUN(t, VGT_OK);
        cmd_surface(t, 21, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, VGT_SVGA3D_A8R8G8B8, 1, 32, 64, 1);
        RUN(t, VGT_OK);
        cmd_surface(t, VB, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER, 1, 1200, 1, 1);
        RUN(t, VGT_OK);
        cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR0, RT);
        RUN(t, VGT_OK);
        cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR3, 20); /* a gap at COLOR1 and COLOR2 */
        RUN(t, VGT_OK);
        cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
        RUN(t, VGT_OK);
        cmd_clear(t, CID, VGT_SVGA3D_CLEAR_COLOR);
        RUN(t, VGT_OK);
        cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR1, 21); /* 32x64 beside 64x64 */
        RUN(t, VGT_OK);
        cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
        RUN(t, VGT_E_INVALID);
        assert_non_null(strstr(t->err.message, "DRAW_PRIMITIVES: context 1: color target 1 "
                                               "(surface 21) is 32x64 but color target 0 "
                                               "(surface 10) is 64x64"));
        cmd_clear(t, CID, VGT_SVGA3D_CLEAR_COLOR);
        RUN(t, VGT_E_INVALID);
        assert_non_null(strstr(t->err.message, "CLEAR: context 1: color target 1 (surface 21)"));
        /* COLOR0 itself the odd one: the message names it against COLOR1 */
        cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR0, VGT_SVGA3D_INVALID_ID);
        RUN(t, VGT_OK);
        cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
        RUN(t, VGT_E_INVALID);
        assert_non_null(strstr(t->err.message, "color target 3 (surface 20) is 64x64 but color "
                                               "target 1 (surface 21) is 32x64"));
        /* the depth-only clear does not care */
        cmd_clear(t, CID, VGT_SVGA3D_CLEAR_DEPTH);
        RUN(t, VGT_E_STATE); /* no depth target: the usual error, not the size one */
        cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR1, VGT_SVGA3D_INVALID_ID);
        RUN(t, VGT_OK);
        cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
        RUN(t, VGT_OK);
        /* COLOR3 alone: the default viewport is its size */
        assert_int_equal(ctx(t)->resolved.viewport.w, 64);
        assert_int_equal(ctx(t)->resolved.viewport.h, 64);
        /* and a depth target is measured against it */
        cmd_surface(t, 22, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL, VGT_SVGA3D_Z_D24S8, 1, 32, 32, 1);
        RUN(t, VGT_OK);
        cmd_rt(t, CID, VGT_SVGA3D_RT_DEPTH, 22);
        RUN(t, VGT_OK);
        cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
        RUN(t, VGT_E_INVALID);
        assert_non_null(strstr(t->err.message, "depth target 32x32 is smaller than color target "
                                               "64x64"));
        cmd_rt(t, CID, VGT_SVGA3D_RT_DEPTH, VGT_SVGA3D_INVALID_ID);
        RUN(t, VGT_OK);
        if (kinds[k] == VGT_BACKEND_SOFT) {
            cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR0 + 4, RT);
            RUN(t, VGT_E_UNSUPPORTED);
            assert_non_null(strstr(t->err.message, "the soft backend has 4 color target(s)"));
        }
        t3d_free(t);
    }
}

static void test_clear(void **state)
{
    (void)state;
    t3d *t = scene(false);
    cmd_clear(t, CID, VGT_SVGA3D_CLEAR_ALL);
    RUN(t, VGT_OK);
    cmd_clear(t, 9, VGT_SVGA3D_CLEAR_COLOR);
    RUN(t, VGT_E_NOTFOUND);
    cmd_rt(t, CID, VGT_SVGA3D_RT_DEPTH, VGT_SVGA3D_INVALID_ID);
    RUN(t, VGT_OK);
    cmd_clear(t, CID, VGT_SVGA3D_CLEAR_DEPTH);
    RUN(t, VGT_E_STATE);
    cmd_clear(t, CID, VGT_SVGA3D_CLEAR_STENCIL);
    RUN(t, VGT_E_STATE);
    cmd_clear(t, CID, VGT_SVGA3D_CLEAR_COLOR);
    c_u32(t, 0);
    c_u32(t, 0);
    c_u32(t, 16);
    c_u32(t, 16);
    RUN(t, VGT_OK);
    assert_int_equal(t3d_counters(t).clears, 2);
    t3d_free(t);
}

static void cmd_query(t3d *t, uint32_t id, uint32_t gmr, uint32_t offset)
{
    c_begin(t, id);
    c_u32(t, CID);
    c_u32(t, VGT_SVGA3D_QUERYTYPE_OCCLUSION);
    if (id != VGT_SVGA3D_CMD_BEGIN_QUERY) {
        c_u32(t, gmr);
        c_u32(t, offset);
    }
}

static uint32_t word_at(t3d *t, uint32_t gmr, uint32_t off)
{
    return vgt_load_le32(t->mem.gmr[gmr] + off);
}

static void test_queries(void **state)
{
    (void)state;
    t3d *t = scene(false);
    uint8_t *r = t->mem.gmr[0] + 64;
    vgt_store_le32(r, 12);
    vgt_store_le32(r + 4, VGT_SVGA3D_QUERYSTATE_PENDING);
    vgt_store_le32(r + 8, 0xDEADBEEFu);
    /* END without BEGIN: FAILED for the guest, VGT_E_STATE for the log. */
    cmd_query(t, VGT_SVGA3D_CMD_END_QUERY, 0, 64);
    RUN(t, VGT_E_STATE);
    assert_int_equal(word_at(t, 0, 68), VGT_SVGA3D_QUERYSTATE_FAILED);
    /* BEGIN, draw, END: SUCCEEDED with the null backend's 0 samples. */
    vgt_store_le32(r + 4, VGT_SVGA3D_QUERYSTATE_PENDING);
    cmd_query(t, VGT_SVGA3D_CMD_BEGIN_QUERY, 0, 0);
    RUN(t, VGT_OK);
    assert_int_equal(ctx(t)->queries[0].state, E3D_QUERY_ACTIVE);
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
    RUN(t, VGT_OK);
    cmd_query(t, VGT_SVGA3D_CMD_END_QUERY, 0, 64);
    RUN(t, VGT_OK);
    assert_int_equal(word_at(t, 0, 64), 12); /* total_size is the guest's */
    assert_int_equal(word_at(t, 0, 68), VGT_SVGA3D_QUERYSTATE_SUCCEEDED);
    assert_int_equal(word_at(t, 0, 72), 0);
    /* WAIT on a result that is no longer PENDING: no write. */
    uint64_t writes = t->mem.writes;
    cmd_query(t, VGT_SVGA3D_CMD_WAIT_FOR_QUERY, 0, 64);
    RUN(t, VGT_OK);
    assert_int_equal(t->mem.writes, writes);
    /* WAIT on a PENDING copy after END: the result is written. */
    vgt_store_le32(t->mem.gmr[0] + 132, VGT_SVGA3D_QUERYSTATE_PENDING);
    cmd_query(t, VGT_SVGA3D_CMD_WAIT_FOR_QUERY, 0, 128);
    RUN(t, VGT_OK);
    assert_int_equal(word_at(t, 0, 132), VGT_SVGA3D_QUERYSTATE_SUCCEEDED);
    /* A result pointer outside the GMR. */
    cmd_query(t, VGT_SVGA3D_CMD_BEGIN_QUERY, 0, 0);
    RUN(t, VGT_OK);
    cmd_query(t, VGT_SVGA3D_CMD_END_QUERY, 0, (1u << 20) - 8u);
    RUN(t, VGT_E_RANGE);
    /* WAIT while active (never ended): FAILED. */
    cmd_query(t, VGT_SVGA3D_CMD_BEGIN_QUERY, 0, 0);
    RUN(t, VGT_OK);
    vgt_store_le32(r + 4, VGT_SVGA3D_QUERYSTATE_PENDING);
    cmd_query(t, VGT_SVGA3D_CMD_WAIT_FOR_QUERY, 0, 64);
    RUN(t, VGT_E_STATE);
    assert_int_equal(word_at(t, 0, 68), VGT_SVGA3D_QUERYSTATE_FAILED);
    t3d_free(t);
}

static uint32_t pixel(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + (size_t)x * 4u);
}

/* On a backend without contents (null), PRESENT puts zeros without reading
 * the surface, and a present identical to the last one with nothing shown
 * changed in between leaves the display (and its generation) alone. */
static void test_present_without_contents(void **state)
{
    (void)state;
    t3d *t = scene(false);
    vgt_display_mode m = {.enabled = true,
                          .width = 64,
                          .height = 48,
                          .bits_per_pixel = 32,
                          .bytes_per_line = 256,
                          .fb_offset = 0};
    assert_int_equal(vgt_executor_set_mode(t->ex, &m, &t->err), VGT_OK);
    uint8_t pattern[4 * 4 * 4];
    for (uint32_t i = 0; i < 16; i++) {
        vgt_store_le32(pattern + i * 4u, 0x00A0B0C0u + i);
    }
    assert_int_equal(
        vgt_exec_display_put(t->ex, VGT_SVGA_ID_INVALID, 0, 0, 4, 4, pattern, 16, &t->err), VGT_OK);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(t->ex, &img, &t->err), VGT_OK);
    assert_int_equal(pixel(img, 1, 1), 0xFFA0B0C5u);
    /* PRESENT 2x2 of the render target to (1,1). */
    c_begin(t, VGT_SVGA3D_CMD_PRESENT);
    c_u32(t, RT);
    uint32_t rect[6] = {1, 1, 2, 2, 0, 0};
    c_mem(t, rect, sizeof(rect));
    RUN(t, VGT_OK);
    assert_int_equal(vgt_executor_compose(t->ex, &img, &t->err), VGT_OK);
    assert_int_equal(pixel(img, 0, 0), 0xFFA0B0C0u);
    assert_int_equal(pixel(img, 1, 1), 0xFF000000u);
    assert_int_equal(pixel(img, 2, 2), 0xFF000000u);
    assert_int_equal(pixel(img, 3, 3), 0xFFA0B0CFu);
    assert_int_equal(pixel(img, 3, 1), 0xFFA0B0C7u);
    /* The same present again: nothing changes, not even the generation. */
    uint64_t gen = t->ex->display_gen;
    RUN(t, VGT_OK);
    assert_int_equal(t->ex->display_gen, gen);
    /* Something drawn over it: the next present zeroes it again. */
    assert_int_equal(
        vgt_exec_display_put(t->ex, VGT_SVGA_ID_INVALID, 0, 0, 4, 4, pattern, 16, &t->err), VGT_OK);
    assert_int_equal(vgt_executor_compose(t->ex, &img, &t->err), VGT_OK);
    assert_int_equal(pixel(img, 2, 2), 0xFFA0B0CAu);
    RUN(t, VGT_OK);
    assert_int_equal(vgt_executor_compose(t->ex, &img, &t->err), VGT_OK);
    assert_int_equal(pixel(img, 2, 2), 0xFF000000u);
    assert_int_equal(pixel(img, 3, 3), 0xFFA0B0CFu);
    /* A different rect is not the cached one. */
    rect[0] = 2;
    memcpy(&t->words[3], rect, sizeof(rect));
    RUN(t, VGT_OK);
    assert_int_equal(vgt_executor_compose(t->ex, &img, &t->err), VGT_OK);
    assert_int_equal(pixel(img, 3, 1), 0xFF000000u);
    /* It never asked the backend for pixels. */
    vgt_backend_null_counters n;
    assert_int_equal(vgt_backend_null_counters_get(vgt_executor_backend(t->ex), &n), VGT_OK);
    assert_int_equal(n.reads, 0);
    t3d_free(t);
}

/* Surface sid, a 4x4 X8R8G8B8 image uploaded from GMR 0: pixel i (row
 * major) is px[i], or when px is NULL 0x00100000 * (x + 1) + 0x1000 * (y + 1). */
static void surface_4x4_of(t3d *t, uint32_t sid, const uint32_t *px)
{
    cmd_surface(t, sid, 0, VGT_SVGA3D_X8R8G8B8, 1, 4, 4, 1);
    RUN(t, VGT_OK);
    for (uint32_t i = 0; i < 16; i++) {
        vgt_store_le32(t->mem.gmr[0] + i * 4u,
                       px ? px[i] : 0x00100000u * (i % 4u + 1u) + 0x1000u * (i / 4u + 1u));
    }
    cmd_dma(t, 0, 0, 16, sid, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 4, 4, 1, 0, 0, 0);
    RUN(t, VGT_OK);
}

static void surface_4x4(t3d *t, uint32_t sid)
{
    surface_4x4_of(t, sid, NULL);
}

static void test_present_and_blits(void **state)
{
    (void)state;
    t3d *t = scene(true);
    vgt_display_mode m = {.enabled = true,
                          .width = 64,
                          .height = 48,
                          .bits_per_pixel = 32,
                          .bytes_per_line = 256,
                          .fb_offset = 0};
    assert_int_equal(vgt_executor_set_mode(t->ex, &m, &t->err), VGT_OK);
    surface_4x4(t, 40);
    /* PRESENT 2x2 from (1,1) to (10,20). */
    c_begin(t, VGT_SVGA3D_CMD_PRESENT);
    c_u32(t, 40);
    uint32_t rect[6] = {10, 20, 2, 2, 1, 1};
    c_mem(t, rect, sizeof(rect));
    RUN(t, VGT_OK);
    assert_true(t->res.ends_frame);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(t->ex, &img, &t->err), VGT_OK);
    assert_int_equal(pixel(img, 10, 20), 0xFF202000u);
    assert_int_equal(pixel(img, 11, 21), 0xFF303000u);
    assert_int_equal(pixel(img, 12, 20), 0xFF000000u);
    /* A source rect outside the surface. */
    rect[4] = 3;
    memcpy(&t->words[3], rect, sizeof(rect));
    RUN(t, VGT_E_RANGE);
    /* PRESENT_READBACK copies screen 0 into the framebuffer (GMR "VRAM"). */
    c_begin(t, VGT_SVGA3D_CMD_PRESENT_READBACK);
    uint32_t rb[4] = {10, 20, 2, 1};
    c_mem(t, rb, sizeof(rb));
    RUN(t, VGT_OK);
    assert_int_equal(word_at(t, FAKE_GMRS - 1u, 20 * 256 + 40), 0xFF202000u);
    assert_int_equal(word_at(t, FAKE_GMRS - 1u, 20 * 256 + 44), 0xFF302000u);
    rb[0] = 63;
    memcpy(&t->words[2], rb, sizeof(rb));
    RUN(t, VGT_E_RANGE);
    /* Not into an 8-bit (pseudocolor) framebuffer (a colour has no index):
     * refused, VRAM untouched; the 24-bit mode takes it (below). */
    rb[0] = 10;
    memcpy(&t->words[2], rb, sizeof(rb));
    vgt_store_le32(t->mem.gmr[FAKE_GMRS - 1u] + 20 * 256 + 40, 0x11223344u);
    vgt_display_mode m8 = m;
    m8.bits_per_pixel = 8;
    assert_int_equal(vgt_executor_set_mode(t->ex, &m8, &t->err), VGT_OK);
    RUN(t, VGT_E_UNSUPPORTED);
    assert_non_null(strstr(t->err.message, "8-bit legacy framebuffer (15, 16, 24 or 32 only"));
    assert_int_equal(word_at(t, FAKE_GMRS - 1u, 20 * 256 + 40), 0x11223344u);
    m8.bits_per_pixel = 24;
    assert_int_equal(vgt_executor_set_mode(t->ex, &m8, &t->err), VGT_OK);
    /* BLIT_SURFACE_TO_SCREEN, in the 24-bit legacy mode (host pixels on
     * screen 0 in every mode): the 4x4 scaled to 8x8 at (30, 4) of screen
     * 0, clipped to the clip rect (0,0)-(4,8): only the left half lands. */
    c_begin(t, VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN);
    uint32_t b[12] = {40, 0, 0, 0, 0, 4, 4, 0, 30, 4, 38, 12};
    c_mem(t, b, sizeof(b));
    int32_t clip[4] = {0, 0, 4, 8};
    c_mem(t, clip, sizeof(clip));
    RUN(t, VGT_OK);
    assert_int_equal(vgt_executor_compose(t->ex, &img, &t->err), VGT_OK);
    assert_int_equal(pixel(img, 30, 4), 0xFF101000u);
    assert_int_equal(pixel(img, 31, 5), 0xFF101000u);
    assert_int_equal(pixel(img, 32, 6), 0xFF202000u);
    assert_int_equal(pixel(img, 33, 11), 0xFF204000u);
    assert_int_equal(pixel(img, 34, 4), 0xFF000000u); /* clipped away */
    /* An unknown screen; a source rect past the image; a depth surface. */
    t->words[2 + 7] = 5;
    RUN(t, VGT_E_NOTFOUND);
    t->words[2 + 7] = 0;
    t->words[2 + 5] = 5;
    RUN(t, VGT_E_RANGE);
    t->words[2 + 5] = 4;
    t->words[2 + 0] = ZB;
    RUN(t, VGT_E_INVALID);
    vgt_backend_null_counters n = t3d_counters(t);
    assert_int_equal(n.reads, 2);
    t3d_free(t);
}

/* A host colour in a legacy mode's bytes, written here apart from the
 * executor: each channel's high bits (15: x-R5-G5-B5, 16: R5-G6-B5 in a
 * little-endian word, 24: B, G, R bytes). */
static void narrow_here(uint32_t bpp, uint32_t rgb, uint8_t *out)
{
    uint32_t r = rgb >> 16 & 0xFFu, g = rgb >> 8 & 0xFFu, b = rgb & 0xFFu, v;
    if (bpp == 24) {
        out[0] = (uint8_t)b;
        out[1] = (uint8_t)g;
        out[2] = (uint8_t)r;
        return;
    }
    v = bpp == 16 ? (r / 8u) * 2048u + (g / 4u) * 32u + b / 8u
                  : (r / 8u) * 1024u + (g / 8u) * 32u + b / 8u;
    out[0] = (uint8_t)(v & 0xFFu);
    out[1] = (uint8_t)(v / 256u);
}

/* ... and shown again by an UPDATE: a 5-bit c as floor(33c / 4), a 6-bit
 * one as floor(65c / 16). */
static uint32_t rounded_here(uint32_t bpp, uint32_t rgb)
{
    uint32_t r = rgb >> 16 & 0xFFu, g = rgb >> 8 & 0xFFu, b = rgb & 0xFFu;
    if (bpp == 24) {
        return rgb & 0xFFFFFFu;
    }
    uint32_t gw = bpp == 16 ? (g / 4u) * 65u / 16u : (g / 8u) * 33u / 4u;
    return (r / 8u) * 33u / 4u << 16 | gw << 8 | (b / 8u) * 33u / 4u;
}

/* PRESENT_READBACK in the 16-, 15- and 24-bit modes: the shown pixels land
 * in VRAM in the mode's format, low bits dropped (24: 3 bytes a pixel),
 * nothing outside the rect written; the display keeps the presented
 * colours; an UPDATE then shows the rounded ones; a rect outside the mode
 * is refused with VRAM untouched. */
static void test_present_readback_legacy(void **state)
{
    (void)state;
    static const uint32_t depths[] = {16, 15, 24};
    uint32_t src[16];
    for (uint32_t i = 0; i < 16; i++) {
        src[i] = (0x00C75BE3u + i * 0x000B0D0Fu) & 0xFFFFFFu; /* low bits set */
    }
    for (uint32_t k = 0; k < 3; k++) {
        uint32_t bpp = depths[k], bytes = bpp == 24 ? 3u : 2u;
        t3d *t = scene(true);
        vgt_display_mode m = {.enabled = true,
                              .width = 64,
                              .height = 48,
                              .bits_per_pixel = bpp,
                              .bytes_per_line = 200,
                              .fb_offset = 64};
        assert_int_equal(vgt_executor_set_mode(t->ex, &m, &t->err), VGT_OK);
        surface_4x4_of(t, 41, src);
        c_begin(t, VGT_SVGA3D_CMD_PRESENT);
        c_u32(t, 41);
        uint32_t rect[6] = {10, 20, 4, 4, 0, 0};
        c_mem(t, rect, sizeof(rect));
        RUN(t, VGT_OK);
        uint8_t *vram = t->mem.gmr[FAKE_GMRS - 1u];
        memset(vram, 0xEE, 64u + 48u * 200u);
        /* 3x2 from (11, 21): an odd width */
        c_begin(t, VGT_SVGA3D_CMD_PRESENT_READBACK);
        uint32_t rb[4] = {11, 21, 3, 2};
        c_mem(t, rb, sizeof(rb));
        RUN(t, VGT_OK);
        for (uint32_t y = 20; y < 24; y++) {
            for (uint32_t x = 9; x < 15; x++) {
                uint8_t want[3] = {0xEE, 0xEE, 0xEE};
                if (x >= 11 && x < 14 && y >= 21 && y < 23) {
                    narrow_here(bpp, src[(y - 20) * 4 + (x - 10)], want);
                }
                const uint8_t *got = vram + 64u + y * 200u + x * bytes;
                if (memcmp(got, want, bytes) != 0) {
                    fail_msg("%u bits: VRAM (%u,%u) %02x %02x %02x, expected %02x %02x %02x", bpp,
                             x, y, got[0], got[1], got[2], want[0], want[1], want[2]);
                }
            }
        }
        const vgt_image *img;
        assert_int_equal(vgt_executor_compose(t->ex, &img, &t->err), VGT_OK);
        for (uint32_t i = 0; i < 16; i++) {
            assert_int_equal(pixel(img, 10 + i % 4u, 20 + i / 4u), 0xFF000000u | src[i]);
        }
        uint32_t up[] = {VGT_SVGA_CMD_UPDATE, 11, 21, 3, 2};
        vgt_cmd cmd;
        assert_int_equal(vgt_cmd_decode(up, 5, &cmd, &t->err), VGT_OK);
        assert_int_equal(vgt_executor_execute(t->ex, &cmd, &t->res, &t->err), VGT_OK);
        assert_int_equal(vgt_executor_compose(t->ex, &img, &t->err), VGT_OK);
        for (uint32_t i = 0; i < 16; i++) {
            uint32_t x = 10 + i % 4u, y = 20 + i / 4u;
            bool in = x >= 11 && x < 14 && y >= 21 && y < 23;
            assert_int_equal(pixel(img, x, y),
                             0xFF000000u | (in ? rounded_here(bpp, src[i]) : src[i]));
        }
        /* past the mode's right edge: refused, nothing written */
        rb[0] = 62;
        memcpy(&t->words[2], rb, sizeof(rb));
        memset(vram, 0xEE, 64u + 48u * 200u);
        RUN(t, VGT_E_RANGE);
        assert_non_null(strstr(t->err.message, "not inside the 64x48 framebuffer"));
        for (uint32_t i = 0; i < 64u + 48u * 200u; i++) {
            assert_int_equal(vram[i], 0xEE);
        }
        t3d_free(t);
    }
}

/* 3D output onto a screen with a backing store (SCREEN_OBJECT_2):
 * BLIT_SURFACE_TO_SCREEN and PRESENT write the store's bytes in VRAM (the
 * last fake GMR), as they write the screen's pixels. */
static void test_output_into_backing_store(void **state)
{
    (void)state;
    t3d *t = scene(true);
    const uint32_t vram = FAKE_GMRS - 1u, off = 0x10000, pitch = 80;
    memset(t->mem.gmr[vram] + off, 0xEE, pitch * 16u);
    uint32_t def[12] = {VGT_SVGA_CMD_DEFINE_SCREEN, 44,  0,     1, 16, 16, 0, 0,
                        VGT_SVGA_GMR_FRAMEBUFFER,   off, pitch, 0};
    vgt_cmd cmd;
    assert_int_equal(vgt_cmd_decode(def, 12, &cmd, &t->err), VGT_OK);
    assert_int_equal(vgt_executor_execute(t->ex, &cmd, NULL, &t->err), VGT_OK);
    surface_4x4(t, 40); /* read back with X = 0xFF */
    /* BLIT_SURFACE_TO_SCREEN 1:1 to screen 0 at (2,3). */
    c_begin(t, VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN);
    uint32_t b[12] = {40, 0, 0, 0, 0, 4, 4, 0, 2, 3, 6, 7};
    c_mem(t, b, sizeof(b));
    RUN(t, VGT_OK);
    for (uint32_t y = 0; y < 16; y++) {
        for (uint32_t x = 0; x < 16; x++) {
            uint32_t got = word_at(t, vram, off + y * pitch + x * 4u);
            bool in = x >= 2 && x < 6 && y >= 3 && y < 7;
            uint32_t want =
                in ? 0xFF000000u + 0x00100000u * (x - 2 + 1) + 0x1000u * (y - 3 + 1) : 0xEEEEEEEEu;
            assert_int_equal(got, want);
        }
    }
    assert_int_equal(word_at(t, vram, off + 64), 0xEEEEEEEEu); /* padding after row 0 */
    /* PRESENT 2x2 from (1,1) to virtual (10,12). */
    c_begin(t, VGT_SVGA3D_CMD_PRESENT);
    c_u32(t, 40);
    uint32_t rect[6] = {10, 12, 2, 2, 1, 1};
    c_mem(t, rect, sizeof(rect));
    RUN(t, VGT_OK);
    assert_int_equal(word_at(t, vram, off + 12 * pitch + 10 * 4u), 0xFF202000u);
    assert_int_equal(word_at(t, vram, off + 13 * pitch + 11 * 4u), 0xFF303000u);
    assert_int_equal(word_at(t, vram, off + 12 * pitch + 12 * 4u), 0xEEEEEEEEu);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(t->ex, &img, &t->err), VGT_OK);
    assert_int_equal(pixel(img, 11, 13), 0xFF303000u);
    assert_int_equal(pixel(img, 2, 3), 0xFF101000u);
    t3d_free(t);
}

static void test_caps_block(void **state)
{
    (void)state;
    t3d *t = t3d_new(false);
    uint32_t words[VGT_SVGA3D_CAPS_BLOCK_WORDS];
    uint32_t hw = 0;
    uint32_t n = vgt_executor_3d_caps(t->ex, &hw, words, VGT_SVGA3D_CAPS_BLOCK_WORDS);
    assert_int_equal(hw, VGT_SVGA3D_HWVERSION_CURRENT);
    assert_true(n > 10 && n <= VGT_SVGA3D_CAPS_BLOCK_WORDS);
    assert_int_equal(words[0], n - 1u); /* one record, then the zero length */
    assert_int_equal(words[1], VGT_SVGA3D_CAPS_RECORD_DEVCAPS);
    assert_int_equal(words[n - 1], 0);
    bool seen3d = false;
    for (uint32_t i = 2; i + 1 < n - 1; i += 2) {
        if (words[i] == VGT_SVGA3D_DEVCAP_3D) {
            seen3d = words[i + 1] == 1;
        }
        if (words[i] == VGT_SVGA3D_DEVCAP_VERTEX_SHADER) {
            assert_int_equal(words[i + 1], 1); /* null accepts shaders (runs none) */
        }
    }
    assert_true(seen3d);
    /* Too small a buffer: nothing. */
    assert_int_equal(vgt_executor_3d_caps(t->ex, &hw, words, 8), 0);
    t3d_free(t);

    /* Without 3D: no caps, and 3D commands are refused. */
    fake_mem mem = {0};
    vgt_executor_config cfg = {.mem = {.ctx = &mem, .read = fake_read, .write = fake_write}};
    vgt_executor *ex;
    vgt_error err = {0};
    assert_int_equal(vgt_executor_create(&cfg, &ex, &err), VGT_OK);
    assert_int_equal(vgt_executor_3d_caps(ex, &hw, words, VGT_SVGA3D_CAPS_BLOCK_WORDS), 0);
    assert_int_equal(hw, 0);
    assert_null(vgt_executor_backend(ex));
    uint32_t cmd_words[3] = {VGT_SVGA3D_CMD_CONTEXT_DEFINE, 4, 1};
    vgt_cmd cmd;
    assert_int_equal(vgt_cmd_decode(cmd_words, 3, &cmd, &err), VGT_OK);
    assert_int_equal(vgt_executor_execute(ex, &cmd, NULL, &err), VGT_E_UNSUPPORTED);
    vgt_executor_destroy(ex);

    /* A backend this build lacks says so; an unknown kind is invalid. */
    vgt_backend be;
    for (int kind = VGT_BACKEND_SOFT; kind <= VGT_BACKEND_GL; kind++) {
        vgt_status st = vgt_backend_create((vgt_backend_kind)kind, NULL, &be, &err);
        if (st == VGT_OK) {
            vgt_backend_destroy(&be);
        } else {
            assert_int_equal(st, VGT_E_UNSUPPORTED);
            assert_non_null(strstr(err.message, "not built"));
        }
    }
    assert_int_equal(vgt_backend_create((vgt_backend_kind)7, NULL, &be, &err), VGT_E_INVALID);
    vgt_backend_kind k;
    assert_true(vgt_backend_kind_parse("gl", &k) && k == VGT_BACKEND_GL);
    assert_false(vgt_backend_kind_parse("vulkan", &k));
}

/* Reset destroys every object (the backend's included). */
static void test_reset(void **state)
{
    (void)state;
    t3d *t = scene(true);
    assert_int_equal(t3d_counters(t).surfaces_alive, 5);
    vgt_executor_reset(t->ex);
    assert_int_equal(t3d_counters(t).surfaces_alive, 0);
    assert_null(e3d_context_get(t->e, CID));
    assert_int_equal(t->e->surface_bytes, 0);
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, CID);
    RUN(t, VGT_OK);
    t3d_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contexts),
        cmocka_unit_test(test_render_target_formats),
        cmocka_unit_test(test_mrt_sizes),
        cmocka_unit_test(test_anisotropy_clamped),
        cmocka_unit_test(test_destroy_bound_surfaces),
        cmocka_unit_test(test_draw_bounds),
        cmocka_unit_test(test_primitive_vertex_counts),
        cmocka_unit_test(test_resolved_serial),
        cmocka_unit_test(test_shaders),
        cmocka_unit_test(test_shader_const_runs),
        cmocka_unit_test(test_state_rejections_are_atomic),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_queries),
        cmocka_unit_test(test_present_and_blits),
        cmocka_unit_test(test_present_readback_legacy),
        cmocka_unit_test(test_output_into_backing_store),
        cmocka_unit_test(test_present_without_contents),
        cmocka_unit_test(test_caps_block),
        cmocka_unit_test(test_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
