/* test_exec3d_snapshot.c - the 3D state snapshot (replay/snapshot3d.c, the
 * "EX3D" section): save -> load -> save gives the same bytes for a state
 * with several contexts, shaders, texture coordinate generation and texture
 * matrices, and surfaces with mips, cube faces, a volume, a compressed and a
 * depth format; the loaded state equals the
 * saved one; a corrupted section (cut short anywhere, a command that does
 * not decode, a command the executor refuses, a payload that does not fit)
 * fails with VGT_E_FORMAT naming the byte offset and leaves the executor
 * empty. */
#include "exec3d_test_util.h"

#define NONE VGT_SVGA3D_INVALID_ID

/* Uploads every image of surface sid from GMR 0 (patterned bytes). */
static void upload_all(t3d *t, uint32_t sid)
{
    e3d_surface *s = e3d_surface_get(t->e, sid);
    assert_non_null(s);
    for (uint32_t f = 0; f < s->faces; f++) {
        for (uint32_t m = 0; m < s->mips; m++) {
            const vgt_surface_image *im = &s->images[f * s->mips + m];
            cmd_dma(t, 0, (f * 7u + m * 131u) * 4u, 0, sid, f, m, VGT_SVGA3D_WRITE_HOST_VRAM);
            c_box(t, 0, 0, 0, im->size.width, im->size.height, im->size.depth, 0, 0, 0);
            RUN(t, VGT_OK);
        }
    }
}

static void rs(t3d *t, uint32_t cid, uint32_t state, uint32_t value)
{
    c_begin(t, VGT_SVGA3D_CMD_SETRENDERSTATE);
    c_u32(t, cid);
    c_u32(t, state);
    c_u32(t, value);
    RUN(t, VGT_OK);
}

static void shader(t3d *t, uint32_t cid, uint32_t shid, uint32_t type, bool bind)
{
    c_begin(t, VGT_SVGA3D_CMD_SHADER_DEFINE);
    c_u32(t, cid);
    c_u32(t, shid);
    c_u32(t, type);
    c_u32(t, type == VGT_SVGA3D_SHADERTYPE_VS ? 0xFFFE0200u : 0xFFFF0200u);
    c_u32(t, 0x0000FFFFu);
    RUN(t, VGT_OK);
    if (bind) {
        c_begin(t, VGT_SVGA3D_CMD_SET_SHADER);
        c_u32(t, cid);
        c_u32(t, type);
        c_u32(t, shid);
        RUN(t, VGT_OK);
    }
}

static void konst(t3d *t, uint32_t cid, uint32_t type, uint32_t ctype, uint32_t reg, uint32_t v)
{
    c_begin(t, VGT_SVGA3D_CMD_SET_SHADER_CONST);
    c_u32(t, cid);
    c_u32(t, reg);
    c_u32(t, type);
    c_u32(t, ctype);
    c_u32(t, v);
    c_u32(t, v + 1u);
    c_u32(t, v + 2u);
    c_u32(t, v + 3u);
    RUN(t, VGT_OK);
}

/* A state touching every kind of object the tracker holds. */
static t3d *build(void)
{
    t3d *t = t3d_new(true);
    for (uint32_t i = 0; i < t->mem.size[0]; i++) {
        t->mem.gmr[0][i] = (uint8_t)(i * 7u + 13u + (i >> 9));
    }
    /* surfaces: a mip chain, a cube map with mips, a volume, depth, DXT1, a buffer */
    cmd_surface(t, 1, 0, VGT_SVGA3D_A8R8G8B8, 3, 64, 32, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, 2, VGT_SVGA3D_SURFACE_CUBEMAP, VGT_SVGA3D_X8R8G8B8, 2, 16, 16, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, 3, 0, VGT_SVGA3D_Z_D24S8, 1, 64, 32, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, 4, 0, VGT_SVGA3D_A8R8G8B8, 2, 8, 8, 4);
    RUN(t, VGT_OK);
    cmd_surface(t, 7, 0, VGT_SVGA3D_DXT1, 2, 16, 16, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, 900, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER, 1, 1000, 1, 1);
    RUN(t, VGT_OK);
    /* SURFACE_DEFINE_V2 with an autogen filter */
    c_begin(t, VGT_SVGA3D_CMD_SURFACE_DEFINE_V2);
    c_u32(t, 11);
    c_u32(t, 0);
    c_u32(t, VGT_SVGA3D_A8R8G8B8);
    c_u32(t, 1);
    for (int i = 0; i < 5; i++) {
        c_u32(t, 0);
    }
    c_u32(t, 0);
    c_u32(t, VGT_SVGA3D_TEX_FILTER_LINEAR);
    c_u32(t, 4);
    c_u32(t, 4);
    c_u32(t, 1);
    RUN(t, VGT_OK);
    uint32_t sids[] = {1, 2, 3, 4, 7, 900, 11};
    for (size_t i = 0; i < sizeof(sids) / sizeof(sids[0]); i++) {
        upload_all(t, sids[i]);
    }

    /* context 0: everything */
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 0);
    RUN(t, VGT_OK);
    cmd_rt(t, 0, VGT_SVGA3D_RT_COLOR0, 1);
    RUN(t, VGT_OK);
    /* multiple render targets: COLOR2 (a gap at COLOR1) on face 3, level
     * 1 of the cube map */
    c_begin(t, VGT_SVGA3D_CMD_SETRENDERTARGET);
    c_u32(t, 0);
    c_u32(t, VGT_SVGA3D_RT_COLOR2);
    c_u32(t, 2);
    c_u32(t, 3);
    c_u32(t, 1);
    RUN(t, VGT_OK);
    cmd_rt(t, 0, VGT_SVGA3D_RT_DEPTH, 3);
    RUN(t, VGT_OK);
    rs(t, 0, VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS);
    rs(t, 0, VGT_SVGA3D_RS_BLENDENABLE, 1);
    rs(t, 0, VGT_SVGA3D_RS_FOGCOLOR, 0x00123456u);
    rs(t, 0, VGT_SVGA3D_RS_CLIPPLANEENABLE, 1u << 3);
    rs(t, 0, VGT_SVGA3D_RS_LIGHTINGENABLE, 0); /* a default turned off */
    /* vertex blending: Direct3D 9's 0WEIGHTS (256) passes the decoder */
    rs(t, 0, VGT_SVGA3D_RS_VERTEXBLEND, VGT_SVGA3D_VBLEND_0WEIGHTS);
    rs(t, 0, VGT_SVGA3D_RS_INDEXEDVERTEXBLENDENABLE, 1);
    cmd_tex(t, 0, 0, VGT_SVGA3D_TS_BIND_TEXTURE, 1);
    RUN(t, VGT_OK);
    cmd_tex(t, 0, 1, VGT_SVGA3D_TS_BIND_TEXTURE, 2);
    RUN(t, VGT_OK);
    cmd_tex(t, 0, 3, VGT_SVGA3D_TS_BIND_TEXTURE, 4);
    RUN(t, VGT_OK);
    cmd_tex(t, 0, 0, VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR);
    RUN(t, VGT_OK);
    /* texture coordinate generation and texture transforms (the envmap
     * sample's state): the reflection vector into the cube map through a
     * COUNT3 matrix, a camera-space position by Direct3D 9's TCI bits in
     * TEXCOORDINDEX, the volume's ADDRESSW */
    cmd_tex(t, 0, 1, VGT_SVGA3D_TS_TEXCOORDGEN, VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR);
    RUN(t, VGT_OK);
    cmd_tex(t, 0, 1, VGT_SVGA3D_TS_TEXTURETRANSFORMFLAGS,
            VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_TRANSFORM_R);
    RUN(t, VGT_OK);
    cmd_tex(t, 0, 2, VGT_SVGA3D_TS_TEXCOORDINDEX, 0x20001u);
    RUN(t, VGT_OK);
    cmd_tex(t, 0, 3, VGT_SVGA3D_TS_ADDRESSW, VGT_SVGA3D_TEX_ADDRESS_MIRROR);
    RUN(t, VGT_OK);
    for (uint32_t tt = VGT_SVGA3D_TRANSFORM_TEXTURE0 + 1u; tt <= VGT_SVGA3D_TRANSFORM_TEXTURE0 + 7u;
         tt += 6u) {
        c_begin(t, VGT_SVGA3D_CMD_SETTRANSFORM);
        c_u32(t, 0);
        c_u32(t, tt);
        for (int i = 0; i < 16; i++) {
            c_f32(t, (float)(i + (int)tt) * 0.125f);
        }
        RUN(t, VGT_OK);
    }
    for (uint32_t tt = VGT_SVGA3D_TRANSFORM_WORLD1; tt <= VGT_SVGA3D_TRANSFORM_WORLD3; tt++) {
        /* the vertex blend's world matrices */
        c_begin(t, VGT_SVGA3D_CMD_SETTRANSFORM);
        c_u32(t, 0);
        c_u32(t, tt);
        for (int i = 0; i < 16; i++) {
            c_f32(t, (float)(i - (int)tt) * 0.5f);
        }
        RUN(t, VGT_OK);
    }
    c_begin(t, VGT_SVGA3D_CMD_SETTRANSFORM);
    c_u32(t, 0);
    c_u32(t, VGT_SVGA3D_TRANSFORM_VIEW);
    for (int i = 0; i < 16; i++) {
        c_f32(t, (float)i * 0.25f - 1.0f);
    }
    RUN(t, VGT_OK);
    c_begin(t, VGT_SVGA3D_CMD_SETLIGHTDATA);
    c_u32(t, 0);
    c_u32(t, 2);
    c_u32(t, VGT_SVGA3D_LIGHTTYPE_POINT);
    c_u32(t, 1);
    for (int i = 0; i < 20 + 7; i++) {
        c_f32(t, (float)i * 0.5f);
    }
    RUN(t, VGT_OK);
    c_begin(t, VGT_SVGA3D_CMD_SETLIGHTENABLED);
    c_u32(t, 0);
    c_u32(t, 2);
    c_u32(t, 1);
    RUN(t, VGT_OK);
    c_begin(t, VGT_SVGA3D_CMD_SETLIGHTENABLED);
    c_u32(t, 0);
    c_u32(t, 5);
    c_u32(t, 1);
    RUN(t, VGT_OK);
    c_begin(t, VGT_SVGA3D_CMD_SETMATERIAL);
    c_u32(t, 0);
    c_u32(t, VGT_SVGA3D_FACE_BACK);
    for (int i = 0; i < 17; i++) {
        c_f32(t, (float)i / 16.0f);
    }
    RUN(t, VGT_OK);
    c_begin(t, VGT_SVGA3D_CMD_SETVIEWPORT);
    c_u32(t, 0);
    c_u32(t, 1);
    c_u32(t, 2);
    c_u32(t, 60);
    c_u32(t, 28);
    RUN(t, VGT_OK);
    c_begin(t, VGT_SVGA3D_CMD_SETZRANGE);
    c_u32(t, 0);
    c_f32(t, 0.125f);
    c_f32(t, 0.75f);
    RUN(t, VGT_OK);
    c_begin(t, VGT_SVGA3D_CMD_SETSCISSORRECT);
    c_u32(t, 0);
    c_u32(t, 3);
    c_u32(t, 4);
    c_u32(t, 20);
    c_u32(t, 10);
    RUN(t, VGT_OK);
    c_begin(t, VGT_SVGA3D_CMD_SETCLIPPLANE);
    c_u32(t, 0);
    c_u32(t, 3);
    c_f32(t, 1.0f);
    c_f32(t, -0.0f);
    c_f32(t, 0.5f);
    c_f32(t, -2.0f);
    RUN(t, VGT_OK);
    shader(t, 0, 5, VGT_SVGA3D_SHADERTYPE_VS, true);
    shader(t, 0, 40, VGT_SVGA3D_SHADERTYPE_VS, false);
    shader(t, 0, 7, VGT_SVGA3D_SHADERTYPE_PS, true);
    konst(t, 0, VGT_SVGA3D_SHADERTYPE_VS, VGT_SVGA3D_CONST_TYPE_FLOAT, 10, 0x3F800000u);
    konst(t, 0, VGT_SVGA3D_SHADERTYPE_PS, VGT_SVGA3D_CONST_TYPE_FLOAT, 223, 0x40000000u);
    konst(t, 0, VGT_SVGA3D_SHADERTYPE_PS, VGT_SVGA3D_CONST_TYPE_INT, 3, 7);
    konst(t, 0, VGT_SVGA3D_SHADERTYPE_VS, VGT_SVGA3D_CONST_TYPE_BOOL, 2, 1);
    c_begin(t, VGT_SVGA3D_CMD_BEGIN_QUERY);
    c_u32(t, 0);
    c_u32(t, VGT_SVGA3D_QUERYTYPE_OCCLUSION);
    RUN(t, VGT_OK);

    /* context 3: a cube face as render target, a pixel shader */
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 3);
    RUN(t, VGT_OK);
    c_begin(t, VGT_SVGA3D_CMD_SETRENDERTARGET);
    c_u32(t, 3);
    c_u32(t, VGT_SVGA3D_RT_COLOR0);
    c_u32(t, 2);
    c_u32(t, 4);
    c_u32(t, 1);
    RUN(t, VGT_OK);
    shader(t, 3, 1, VGT_SVGA3D_SHADERTYPE_PS, true);
    rs(t, 3, VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS);

    /* context 9: defined and untouched */
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 9);
    RUN(t, VGT_OK);
    return t;
}

static bool executor_empty(t3d *t)
{
    if (t->e->surface_count || t->e->surface_bytes) {
        return false;
    }
    for (uint32_t i = 0; i < VGT_EXEC3D_MAX_CONTEXT_IDS; i++) {
        if (t->e->contexts[i]) {
            return false;
        }
    }
    return true;
}

static void same_context(const e3d_context *a, const e3d_context *b)
{
    assert_memory_equal(a->rt, b->rt, sizeof(a->rt));
    assert_memory_equal(&a->viewport, &b->viewport, sizeof(a->viewport));
    assert_int_equal(a->viewport_set, b->viewport_set);
    assert_memory_equal(&a->zrange, &b->zrange, sizeof(a->zrange));
    assert_memory_equal(&a->scissor, &b->scissor, sizeof(a->scissor));
    assert_memory_equal(a->clip_planes, b->clip_planes, sizeof(a->clip_planes));
    assert_memory_equal(a->rs, b->rs, sizeof(a->rs));
    assert_memory_equal(a->ts, b->ts, sizeof(a->ts));
    assert_memory_equal(a->transforms, b->transforms, sizeof(a->transforms));
    assert_memory_equal(a->lights, b->lights, sizeof(a->lights));
    assert_memory_equal(a->light_enabled, b->light_enabled, sizeof(a->light_enabled));
    assert_memory_equal(a->material, b->material, sizeof(a->material));
    assert_memory_equal(a->shader_bound, b->shader_bound, sizeof(a->shader_bound));
    assert_memory_equal(a->vs_float, b->vs_float, sizeof(a->vs_float));
    assert_memory_equal(a->ps_float, b->ps_float, sizeof(a->ps_float));
    assert_memory_equal(a->int_regs, b->int_regs, sizeof(a->int_regs));
    assert_memory_equal(a->bool_regs, b->bool_regs, sizeof(a->bool_regs));
    for (uint32_t q = 0; q < VGT_SVGA3D_QUERYTYPE_MAX; q++) {
        assert_int_equal(a->queries[q].state == E3D_QUERY_ACTIVE,
                         b->queries[q].state == E3D_QUERY_ACTIVE);
    }
    for (uint32_t t = 0; t < 2; t++) {
        uint32_t n = a->shader_cap[t] > b->shader_cap[t] ? a->shader_cap[t] : b->shader_cap[t];
        for (uint32_t i = 0; i < n; i++) {
            const e3d_shader *x = i < a->shader_cap[t] ? a->shaders[t][i] : NULL;
            const e3d_shader *y = i < b->shader_cap[t] ? b->shaders[t][i] : NULL;
            assert_int_equal(x != NULL, y != NULL);
            if (x) {
                assert_int_equal(x->words, y->words);
                assert_memory_equal(x->bytecode, y->bytecode, x->words * 4u);
            }
        }
    }
}

static void test_snapshot3d_roundtrip(void **state)
{
    (void)state;
    t3d *t = build();
    uint8_t *blob = NULL;
    size_t size = 0;
    vgt_snapshot_3d_info info;
    vgt_error err = {0};
    assert_int_equal(vgt_executor_snapshot_save_3d(t->ex, &blob, &size, &info, &err), VGT_OK);
    assert_non_null(blob);
    assert_int_equal(info.surfaces, 7);
    assert_int_equal(info.contexts, 3);
    assert_int_equal(info.shaders, 4);
    /* context 0's query is in flight with nothing counted (the null
     * backend): begun again, no query table */
    assert_int_equal(info.queries_restarted, 0);
    assert_int_equal(vgt_load_le32(blob + 4), 0);
    assert_false(info.contents_zero);
    assert_true(info.content_bytes > 64u * 32u * 4u);

    /* into a fresh executor: the same state, and saving it again gives the
     * same bytes */
    t3d *u = t3d_new(true);
    assert_int_equal(vgt_executor_snapshot_load_3d(u->ex, blob, size, &err), VGT_OK);
    assert_int_equal(u->e->surface_count, t->e->surface_count);
    assert_true(u->e->surface_bytes == t->e->surface_bytes);
    for (uint32_t sid = 0; sid < t->e->surface_cap; sid++) {
        const e3d_surface *a = t->e->surfaces[sid], *b = e3d_surface_get(u->e, sid);
        assert_int_equal(a != NULL, b != NULL);
        if (a) {
            assert_int_equal(a->format, b->format);
            assert_int_equal(a->flags, b->flags);
            assert_int_equal(a->faces, b->faces);
            assert_int_equal(a->mips, b->mips);
            assert_int_equal(a->autogen_filter, b->autogen_filter);
            assert_memory_equal(a->images, b->images,
                                (size_t)a->faces * a->mips * sizeof(*a->images));
        }
    }
    for (uint32_t i = 0; i < VGT_EXEC3D_MAX_CONTEXT_IDS; i++) {
        assert_int_equal(t->e->contexts[i] != NULL, u->e->contexts[i] != NULL);
        if (t->e->contexts[i]) {
            same_context(t->e->contexts[i], u->e->contexts[i]);
        }
    }
    /* named: the texture coordinate state of context 0 came back */
    const e3d_context *c0 = e3d_context_get(u->e, 0);
    assert_non_null(c0);
    assert_int_equal(c0->ts[1][VGT_SVGA3D_TS_TEXCOORDGEN],
                     VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR);
    assert_int_equal(c0->ts[1][VGT_SVGA3D_TS_TEXTURETRANSFORMFLAGS], 7);
    assert_int_equal(c0->ts[2][VGT_SVGA3D_TS_TEXCOORDINDEX], 0x20001u);
    assert_int_equal(c0->ts[3][VGT_SVGA3D_TS_ADDRESSW], VGT_SVGA3D_TEX_ADDRESS_MIRROR);
    assert_true(c0->transforms[VGT_SVGA3D_TRANSFORM_TEXTURE0 + 1u][15] == 5.0f / 2.0f);
    assert_true(c0->transforms[VGT_SVGA3D_TRANSFORM_TEXTURE0 + 7u][0] == 11.0f / 8.0f);
    /* and the vertex blend: its states and WORLD1..3 */
    assert_int_equal(c0->rs[VGT_SVGA3D_RS_VERTEXBLEND], VGT_SVGA3D_VBLEND_0WEIGHTS);
    assert_int_equal(c0->rs[VGT_SVGA3D_RS_INDEXEDVERTEXBLENDENABLE], 1);
    for (uint32_t tt = VGT_SVGA3D_TRANSFORM_WORLD1; tt <= VGT_SVGA3D_TRANSFORM_WORLD3; tt++) {
        assert_true(c0->transforms[tt][0] == (float)(-(int)tt) * 0.5f);
        assert_true(c0->transforms[tt][15] == (float)(15 - (int)tt) * 0.5f);
    }
    /* the snapshot's commands are not the guest's: the counters stay */
    assert_int_equal(u->e->counters.commands, 0);
    uint8_t *blob2 = NULL;
    size_t size2 = 0;
    assert_int_equal(vgt_executor_snapshot_save_3d(u->ex, &blob2, &size2, NULL, &err), VGT_OK);
    assert_int_equal(size2, size);
    assert_memory_equal(blob2, blob, size);
    free(blob2);

    /* an executor without 3D objects saves nothing */
    t3d *v = t3d_new(false);
    assert_int_equal(vgt_executor_snapshot_save_3d(v->ex, &blob2, &size2, &info, &err), VGT_OK);
    assert_null(blob2);
    assert_int_equal(size2, 0);
    /* the null backend without kept contents: zeros, and it says so */
    assert_int_equal(vgt_executor_snapshot_load_3d(v->ex, blob, size, &err), VGT_OK);
    assert_int_equal(vgt_executor_snapshot_save_3d(v->ex, &blob2, &size2, &info, &err), VGT_OK);
    assert_true(info.contents_zero);
    assert_int_equal(size2, size);
    assert_int_equal(vgt_load_le32(blob2 + 4), 1u); /* flag: contents are zeros */
    free(blob2);
    t3d_free(v);
    t3d_free(u);
    t3d_free(t);
    free(blob);
}

/* Loads a damaged section into an executor holding state: VGT_E_FORMAT,
 * naming byte `at` when given, and nothing left. */
static void expect_format(const uint8_t *blob, size_t size, size_t at)
{
    t3d *u = t3d_new(true);
    cmd_surface(u, 5, 0, VGT_SVGA3D_A8R8G8B8, 1, 4, 4, 1);
    RUN(u, VGT_OK);
    vgt_error err = {0};
    vgt_status st = vgt_executor_snapshot_load_3d(u->ex, blob, size, &err);
    if (st != VGT_E_FORMAT) {
        fail_msg("size %zu: status %d: %s", size, st, err.message);
    }
    assert_non_null(strstr(err.message, "at byte"));
    if (at != SIZE_MAX) {
        char want[64];
        snprintf(want, sizeof(want), "at byte %zu", at);
        if (!strstr(err.message, want)) {
            fail_msg("expected \"%s\" in: %s", want, err.message);
        }
    }
    assert_true(executor_empty(u));
    t3d_free(u);
}

/* The byte offsets of the section's entries (and of the end). */
static size_t entries(const uint8_t *blob, size_t size, size_t *off, size_t max)
{
    size_t pos = 12, n = 0;
    while (pos < size && n < max) {
        off[n++] = pos;
        uint32_t w = vgt_load_le32(blob + pos), p = vgt_load_le32(blob + pos + 4);
        pos += 8u + (size_t)w * 4u + p + (4u - p % 4u) % 4u;
    }
    assert_int_equal(pos, size);
    return n;
}

static void test_snapshot3d_corrupt(void **state)
{
    (void)state;
    t3d *t = build();
    uint8_t *blob = NULL;
    size_t size = 0;
    vgt_error err = {0};
    assert_int_equal(vgt_executor_snapshot_save_3d(t->ex, &blob, &size, NULL, &err), VGT_OK);
    t3d_free(t);
    size_t off[512];
    size_t n = entries(blob, size, off, 512);
    assert_true(n > 20 && n < 512);
    assert_int_equal(vgt_load_le32(blob + 8), n);

    /* cut short: in the header, at and inside every entry */
    for (size_t cut = 0; cut < 12; cut++) {
        expect_format(blob, cut, SIZE_MAX);
    }
    for (size_t i = 0; i < n; i++) {
        expect_format(blob, off[i], off[i]);
        expect_format(blob, off[i] + 5, off[i]);
        expect_format(blob, off[i] + 12, off[i]);
    }
    expect_format(blob, size - 1, off[n - 1]);

    uint8_t *bad = malloc(size + 8);
    assert_non_null(bad);
    size_t rt = SIZE_MAX, dma = SIZE_MAX, def = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        uint32_t id = vgt_load_le32(blob + off[i] + 8);
        if (id == VGT_SVGA3D_CMD_SETRENDERTARGET && rt == SIZE_MAX) {
            rt = off[i];
        }
        if (id == VGT_SVGA3D_CMD_SURFACE_DMA && dma == SIZE_MAX) {
            dma = off[i];
        }
        if (id == VGT_SVGA3D_CMD_CONTEXT_DEFINE && def == SIZE_MAX) {
            def = off[i];
        }
    }
    assert_true(rt != SIZE_MAX && dma != SIZE_MAX && def != SIZE_MAX);
    /* a command id that does not exist */
    memcpy(bad, blob, size);
    vgt_store_le32(bad + def + 8, 1999);
    expect_format(bad, size, def);
    /* a command that is not allowed in a snapshot (CONTEXT_DESTROY) */
    memcpy(bad, blob, size);
    vgt_store_le32(bad + def + 8, VGT_SVGA3D_CMD_CONTEXT_DESTROY);
    expect_format(bad, size, def);
    /* a render target naming a surface that does not exist: the executor refuses it */
    memcpy(bad, blob, size);
    vgt_store_le32(bad + rt + 8 + 16, 30000);
    expect_format(bad, size, rt);
    /* a word count that is not the command's length */
    memcpy(bad, blob, size);
    vgt_store_le32(bad + def, 4);
    expect_format(bad, size, def);
    vgt_store_le32(bad + def, 0xFFFFFFFFu);
    expect_format(bad, size, def);
    /* a DMA whose payload is shorter than its box */
    memcpy(bad, blob, size);
    vgt_store_le32(bad + dma + 4, vgt_load_le32(blob + dma + 4) - 4u);
    expect_format(bad, size, dma);
    /* a payload on a command that takes none */
    memcpy(bad, blob, size);
    vgt_store_le32(bad + def + 4, 4);
    expect_format(bad, size, def);
    /* a DMA reading back to the guest */
    memcpy(bad, blob, size);
    vgt_store_le32(bad + dma + 8 + 8 + 24, VGT_SVGA3D_READ_HOST_VRAM);
    expect_format(bad, size, dma);
    /* more entries than there are, fewer, trailing bytes, unknown flags */
    memcpy(bad, blob, size);
    vgt_store_le32(bad + 8, (uint32_t)n + 1u);
    expect_format(bad, size, size);
    vgt_store_le32(bad + 8, (uint32_t)n - 1u);
    expect_format(bad, size, off[n - 1]);
    memcpy(bad, blob, size);
    memset(bad + size, 0, 8);
    expect_format(bad, size + 8, size);
    vgt_store_le32(bad + 4, 4);
    expect_format(bad, size, 4);
    /* a newer version */
    memcpy(bad, blob, size);
    vgt_store_le32(bad, 2);
    t3d *u = t3d_new(true);
    assert_int_equal(vgt_executor_snapshot_load_3d(u->ex, bad, size, &err), VGT_E_VERSION);
    assert_true(executor_empty(u));
    t3d_free(u);
    free(bad);
    free(blob);
}

/* ---- occlusion queries across a snapshot (the query table) ---------------- */

#define Q_RT       10u
#define Q_VB       11u
#define Q_CID_LIVE 1u    /* its query is in flight at the snapshot */
#define Q_CID_DONE 2u    /* its query ended before the snapshot */
#define Q_RESULT   4096u /* guest offset of a vgt_svga3d_query_result */

/* Triangle k of the vertex buffer (clip space: FLOAT3 positions). */
static const float q_tris[3][9] = {
    {-1, -1, 0.5f, 1, -1, 0.5f, -1, 1, 0.5f},                     /* the lower left half */
    {-0.5f, -0.5f, 0.5f, 0.25f, -0.5f, 0.5f, -0.5f, 0.75f, 0.5f}, /* a smaller one */
    {0.1f, 0.1f, 0.5f, 0.9f, 0.2f, 0.5f, 0.3f, 0.8f, 0.5f},       /* and one off to the side */
};

static void q_context(t3d *t, uint32_t cid)
{
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, cid);
    RUN(t, VGT_OK);
    cmd_rt(t, cid, VGT_SVGA3D_RT_COLOR0, Q_RT);
    RUN(t, VGT_OK);
    rs(t, cid, VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE);
    rs(t, cid, VGT_SVGA3D_RS_ZENABLE, 0);
}

/* Two contexts drawing into one 64x64 target on a backend with occlusion
 * queries (soft, gl). */
static t3d *q_scene(vgt_backend_kind kind)
{
    t3d *t = t3d_new_on(true, kind);
    cmd_surface(t, Q_RT, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, VGT_SVGA3D_A8R8G8B8, 1, 64, 64, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, Q_VB, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER, 1, sizeof(q_tris),
                1, 1);
    RUN(t, VGT_OK);
    memcpy(t->mem.gmr[0], q_tris, sizeof(q_tris));
    cmd_dma(t, 0, 0, 0, Q_VB, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, sizeof(q_tris), 1, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    q_context(t, Q_CID_LIVE);
    q_context(t, Q_CID_DONE);
    return t;
}

static void q_cmd(t3d *t, uint32_t id, uint32_t cid)
{
    c_begin(t, id);
    c_u32(t, cid);
    c_u32(t, VGT_SVGA3D_QUERYTYPE_OCCLUSION);
    if (id != VGT_SVGA3D_CMD_BEGIN_QUERY) {
        c_u32(t, 0);
        c_u32(t, Q_RESULT);
    }
}

static void q_draw(t3d *t, uint32_t cid, uint32_t tri)
{
    cmd_draw(t, cid, Q_VB, tri * 36u, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID,
             0, 0);
    RUN(t, VGT_OK);
}

/* END_QUERY (or WAIT_FOR_QUERY) of cid's query: the result the guest reads. */
static uint32_t q_result(t3d *t, uint32_t id, uint32_t cid)
{
    uint8_t *r = t->mem.gmr[0] + Q_RESULT;
    vgt_store_le32(r, 12);
    vgt_store_le32(r + 4, VGT_SVGA3D_QUERYSTATE_PENDING);
    vgt_store_le32(r + 8, 0xDEADBEEFu);
    q_cmd(t, id, cid);
    RUN(t, VGT_OK);
    assert_int_equal(vgt_load_le32(r + 4), VGT_SVGA3D_QUERYSTATE_SUCCEEDED);
    return vgt_load_le32(r + 8);
}

/* What triangle `tri` alone counts. */
static uint32_t q_alone(vgt_backend_kind kind, uint32_t tri)
{
    t3d *t = q_scene(kind);
    q_cmd(t, VGT_SVGA3D_CMD_BEGIN_QUERY, Q_CID_LIVE);
    RUN(t, VGT_OK);
    q_draw(t, Q_CID_LIVE, tri);
    uint32_t n = q_result(t, VGT_SVGA3D_CMD_END_QUERY, Q_CID_LIVE);
    t3d_free(t);
    return n;
}

/* A query in flight at the snapshot delivers, after a load, what it
 * counted before the snapshot plus what it counted after (as live); a
 * query ended before it answers a WAIT_FOR_QUERY after the load with its
 * result.  Before the table the first restarted at 0 and the second
 * failed with VGT_E_STATE. */
static void snapshot_queries_on(vgt_backend_kind kind)
{
    const uint32_t p0 = q_alone(kind, 0), p1 = q_alone(kind, 1), p2 = q_alone(kind, 2);
    assert_true(p0 > 1500 && p1 > 100 && p2 > 100 && p0 != p1 && p1 != p2);

    t3d *t = q_scene(kind);
    q_cmd(t, VGT_SVGA3D_CMD_BEGIN_QUERY, Q_CID_DONE);
    RUN(t, VGT_OK);
    q_draw(t, Q_CID_DONE, 2);
    assert_int_equal(q_result(t, VGT_SVGA3D_CMD_END_QUERY, Q_CID_DONE), p2);
    q_cmd(t, VGT_SVGA3D_CMD_BEGIN_QUERY, Q_CID_LIVE);
    RUN(t, VGT_OK);
    q_draw(t, Q_CID_LIVE, 0);

    uint8_t *blob = NULL;
    size_t size = 0;
    vgt_snapshot_3d_info info;
    vgt_error err = {0};
    assert_int_equal(vgt_executor_snapshot_save_3d(t->ex, &blob, &size, &info, &err), VGT_OK);
    assert_int_equal(info.queries_restarted, 0);
    assert_int_equal(info.queries_lost, 0);
    /* flags: the query table; it is the last 4 + 2 * 20 bytes */
    assert_int_equal(vgt_load_le32(blob + 4), 2);
    const uint8_t *tab = blob + size - 44;
    assert_int_equal(vgt_load_le32(tab), 2);
    const uint32_t rows[2][5] = {{Q_CID_LIVE, 0, 1, p0, 0}, {Q_CID_DONE, 0, 2, p2, 0}};
    for (uint32_t r = 0; r < 2; r++) {
        for (uint32_t w = 0; w < 5; w++) {
            assert_int_equal(vgt_load_le32(tab + 4 + 20 * r + 4 * w), rows[r][w]);
        }
    }

    /* live: the snapshot ended and began the backend's query again; the
     * guest still reads the whole count */
    q_draw(t, Q_CID_LIVE, 1);
    assert_int_equal(q_result(t, VGT_SVGA3D_CMD_END_QUERY, Q_CID_LIVE), p0 + p1);

    /* loaded: the same results */
    t3d *u = t3d_new_on(true, kind);
    assert_int_equal(vgt_executor_snapshot_load_3d(u->ex, blob, size, &err), VGT_OK);
    assert_int_equal(q_result(u, VGT_SVGA3D_CMD_WAIT_FOR_QUERY, Q_CID_DONE), p2);
    q_draw(u, Q_CID_LIVE, 1);
    assert_int_equal(q_result(u, VGT_SVGA3D_CMD_END_QUERY, Q_CID_LIVE), p0 + p1);
    /* a BEGIN_QUERY after the load starts from 0 again */
    q_cmd(u, VGT_SVGA3D_CMD_BEGIN_QUERY, Q_CID_LIVE);
    RUN(u, VGT_OK);
    q_draw(u, Q_CID_LIVE, 1);
    assert_int_equal(q_result(u, VGT_SVGA3D_CMD_END_QUERY, Q_CID_LIVE), p1);
    /* saved again right after a load: the same bytes */
    t3d *v = t3d_new_on(true, kind);
    assert_int_equal(vgt_executor_snapshot_load_3d(v->ex, blob, size, &err), VGT_OK);
    uint8_t *blob2 = NULL;
    size_t size2 = 0;
    assert_int_equal(vgt_executor_snapshot_save_3d(v->ex, &blob2, &size2, NULL, &err), VGT_OK);
    assert_int_equal(size2, size);
    assert_memory_equal(blob2, blob, size);
    free(blob2);
    t3d_free(v);
    t3d_free(u);

    /* a damaged table: VGT_E_FORMAT naming the table or the row, nothing
     * left loaded */
    const size_t at = size - 44;
    uint8_t *bad = malloc(size);
    assert_non_null(bad);
    struct {
        size_t word; /* byte offset from the table */
        uint32_t value;
        size_t named; /* byte offset (from the table) the message names */
    } cases[] = {
        {0, 0, 0},            /* empty */
        {0, 3, 0},            /* more rows than bytes */
        {4, 99, 4},           /* no such context */
        {8, 1, 4},            /* unknown query type */
        {12, 3, 4},           /* unknown state */
        {16, 0, 4},           /* in flight, carrying nothing */
        {24, Q_CID_LIVE, 24}, /* ended, but it is in flight */
        {24 + 8, 1, 24},      /* in flight, but not begun */
        {24 + 16, 1, 24},     /* a result above 32 bits */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memcpy(bad, blob, size);
        vgt_store_le32(bad + at + cases[i].word, cases[i].value);
        expect_format(bad, size, at + cases[i].named);
    }
    /* two rows for one query */
    memcpy(bad, blob, size);
    memcpy(bad + at + 24, bad + at + 4, 20);
    expect_format(bad, size, at + 24);
    /* cut short inside the table, and the table's flag without a table */
    expect_format(blob, size - 4, at);
    expect_format(blob, at, at);
    free(bad);
    t3d_free(t);
    free(blob);
}

static void test_snapshot3d_queries(void **state)
{
    (void)state;
    snapshot_queries_on(VGT_BACKEND_SOFT);
    /* gl's queries too (the snapshot ends and begins a GL query object),
     * where this host has OpenGL */
    vgt_backend be;
    vgt_error err = {0};
    if (vgt_backend_create(VGT_BACKEND_GL, NULL, &be, &err) == VGT_OK) {
        vgt_backend_destroy(&be);
        snapshot_queries_on(VGT_BACKEND_GL);
    } else {
        print_message("gl backend unavailable (%s): queries checked on soft only\n", err.message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot3d_roundtrip),
        cmocka_unit_test(test_snapshot3d_corrupt),
        cmocka_unit_test(test_snapshot3d_queries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
