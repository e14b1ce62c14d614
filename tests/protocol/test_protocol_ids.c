/* test_protocol_ids.c - vgt_cmd_ids: for every command of the table, the
 * words that hold an id the guest chose, checked against positions written
 * out by hand from svga_reg.h / svga3d_reg.h (not computed from the structs
 * the implementation uses); the ids inside arrays (BIND_TEXTURE's value,
 * vertex and index arrays, REMAP_GMR2 VIA_GMR); every table command is
 * listed here, so a new one must say which ids it holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vgt_protocol.h"

#define S  VGT_ID_SURFACE
#define C  VGT_ID_CONTEXT
#define SH VGT_ID_SHADER
#define G  VGT_ID_GMR
#define SC VGT_ID_SCREEN
#define FE VGT_ID_FENCE

/* One expected id field: word index (header included) and kind. */
typedef struct want {
    uint32_t word;
    vgt_id_kind kind;
} want;

typedef struct got {
    want f[64];
    size_t n;
} got;

static void collect(void *ctx, uint32_t word, vgt_id_kind kind)
{
    got *g = ctx;
    assert_true(g->n < 64);
    g->f[g->n].word = word;
    g->f[g->n].kind = kind;
    g->n++;
}

/* Decodes words and checks its id fields are exactly w[0..n). */
static void check(const uint32_t *words, uint32_t nwords, const want *w, size_t n)
{
    vgt_cmd cmd;
    vgt_error err = {0};
    if (vgt_cmd_decode(words, nwords, &cmd, &err) != VGT_OK) {
        fail_msg("%s does not decode: %s", vgt_cmd_name(words[0]), err.message);
    }
    got g = {0};
    size_t count = vgt_cmd_ids(&cmd, collect, &g);
    assert_int_equal(count, g.n);
    assert_int_equal(vgt_cmd_ids(&cmd, NULL, NULL), count);
    if (g.n != n) {
        fail_msg("%s: %zu id fields, expected %zu", vgt_cmd_name(words[0]), g.n, n);
    }
    for (size_t i = 0; i < n; i++) {
        if (g.f[i].word != w[i].word || g.f[i].kind != w[i].kind) {
            fail_msg("%s: id field %zu is word %u (%s), expected word %u (%s)",
                     vgt_cmd_name(words[0]), i, g.f[i].word, vgt_id_kind_name(g.f[i].kind),
                     w[i].word, vgt_id_kind_name(w[i].kind));
        }
    }
    /* ESCAPE may hold ids (a video overlay payload) where this one has none */
    assert_int_equal(vgt_cmd_has_ids(words[0]), n > 0 || words[0] == VGT_SVGA_CMD_ESCAPE);
}

/* Expected fixed-body id fields per table command (none: no ids). */
typedef struct expect_row {
    uint32_t id;
    want f[3];
    size_t n;
} expect_row;

static const expect_row expected[] = {
    {VGT_SVGA_CMD_UPDATE, {{0, 0}}, 0},
    {VGT_SVGA_CMD_RECT_COPY, {{0, 0}}, 0},
    {VGT_SVGA_CMD_DEFINE_CURSOR, {{0, 0}}, 0}, /* id must be 0 */
    {VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR, {{0, 0}}, 0},
    {VGT_SVGA_CMD_UPDATE_VERBOSE, {{0, 0}}, 0},
    {VGT_SVGA_CMD_FRONT_ROP_FILL, {{0, 0}}, 0},
    {VGT_SVGA_CMD_FENCE, {{1, FE}}, 1},
    {VGT_SVGA_CMD_ESCAPE, {{0, 0}}, 0},
    {VGT_SVGA_CMD_DEFINE_SCREEN, {{2, SC}, {8, G}}, 2}, /* V2: id, backingStore.ptr.gmrId */
    {VGT_SVGA_CMD_DESTROY_SCREEN, {{1, SC}}, 1},
    {VGT_SVGA_CMD_DEFINE_GMRFB, {{1, G}}, 1},
    {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, {{7, SC}}, 1}, /* after srcOrigin, destRect */
    {VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, {{7, SC}}, 1},
    {VGT_SVGA_CMD_ANNOTATION_FILL, {{0, 0}}, 0},
    {VGT_SVGA_CMD_ANNOTATION_COPY, {{3, SC}}, 1},
    {VGT_SVGA_CMD_DEFINE_GMR2, {{1, G}}, 1},
    {VGT_SVGA_CMD_REMAP_GMR2, {{1, G}, {5, G}}, 2}, /* VIA_GMR: + the guest pointer's GMR */
    {VGT_SVGA3D_CMD_SURFACE_DEFINE, {{2, S}}, 1},
    {VGT_SVGA3D_CMD_SURFACE_DESTROY, {{2, S}}, 1},
    {VGT_SVGA3D_CMD_SURFACE_COPY, {{2, S}, {5, S}}, 2},
    {VGT_SVGA3D_CMD_SURFACE_STRETCHBLT, {{2, S}, {5, S}}, 2},
    {VGT_SVGA3D_CMD_SURFACE_DMA, {{2, G}, {5, S}}, 2}, /* guest.ptr.gmrId, host.sid */
    {VGT_SVGA3D_CMD_CONTEXT_DEFINE, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_CONTEXT_DESTROY, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_SETTRANSFORM, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_SETZRANGE, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_SETRENDERSTATE, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_SETRENDERTARGET, {{2, C}, {4, S}}, 2}, /* cid, type, target.sid */
    {VGT_SVGA3D_CMD_SETTEXTURESTATE, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_SETMATERIAL, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_SETLIGHTDATA, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_SETLIGHTENABLED, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_SETVIEWPORT, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_SETCLIPPLANE, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_CLEAR, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_PRESENT, {{2, S}}, 1},
    {VGT_SVGA3D_CMD_SHADER_DEFINE, {{2, C}, {3, SH}}, 2},
    {VGT_SVGA3D_CMD_SHADER_DESTROY, {{2, C}, {3, SH}}, 2},
    {VGT_SVGA3D_CMD_SET_SHADER, {{2, C}, {4, SH}}, 2}, /* cid, type, shid */
    {VGT_SVGA3D_CMD_SET_SHADER_CONST, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_DRAW_PRIMITIVES, {{2, C}}, 1}, /* no decls, no ranges here */
    {VGT_SVGA3D_CMD_SETSCISSORRECT, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_BEGIN_QUERY, {{2, C}}, 1},
    {VGT_SVGA3D_CMD_END_QUERY, {{2, C}, {4, G}}, 2}, /* cid, type, guestResult.gmrId */
    {VGT_SVGA3D_CMD_WAIT_FOR_QUERY, {{2, C}, {4, G}}, 2},
    {VGT_SVGA3D_CMD_PRESENT_READBACK, {{0, 0}}, 0},
    {VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN, {{2, S}, {9, SC}}, 2}, /* srcImage.sid, destScreenId */
    {VGT_SVGA3D_CMD_SURFACE_DEFINE_V2, {{2, S}}, 1},
    {VGT_SVGA3D_CMD_GENERATE_MIPMAPS, {{2, S}}, 1},
    {VGT_SVGA3D_CMD_ACTIVATE_SURFACE, {{2, S}}, 1},
    {VGT_SVGA3D_CMD_DEACTIVATE_SURFACE, {{2, S}}, 1},
};

/* A command of the table that decodes: the fixed body filled with `fill`
 * (most bodies accept 1 or 0 everywhere), the variable part the least it
 * may be; the commands whose body must hold more are written out. */
static uint32_t build(const vgt_cmd_desc *d, uint32_t fill, uint32_t *w)
{
    bool is3d = (d->flags & VGT_CMD_F_3D) != 0;
    uint32_t hdr = is3d ? 2u : 1u, n = hdr + d->body_words;
    w[0] = d->id;
    for (uint32_t i = hdr; i < n; i++) {
        w[i] = fill;
    }
    switch (d->id) {
    case VGT_SVGA_CMD_DEFINE_CURSOR: /* id 0, 1x1, depth 1: a word per mask */
        w[1] = 0, w[4] = w[5] = w[6] = w[7] = 1, w[8] = w[9] = 0;
        return 10;
    case VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR:
        w[1] = 0, w[4] = w[5] = 1, w[6] = 0;
        return 7;
    case VGT_SVGA_CMD_FRONT_ROP_FILL:
        w[6] = VGT_SVGA_ROP_COPY;
        return n;
    case VGT_SVGA_CMD_ESCAPE: /* 4 bytes of payload */
        w[2] = 4, w[3] = 0;
        return 4;
    case VGT_SVGA_CMD_DEFINE_SCREEN: /* V2: 44 bytes */
        w[1] = VGT_SVGA_SCREEN_OBJECT_V2_BYTES;
        for (uint32_t i = 2; i < 12; i++) {
            w[i] = 1;
        }
        return 12;
    case VGT_SVGA_CMD_DEFINE_GMRFB:
        w[4] = VGT_SVGA_GMRFB_FORMAT(32, 24);
        return n;
    case VGT_SVGA_CMD_REMAP_GMR2: /* VIA_GMR, one guest pointer */
        w[2] = VGT_SVGA_REMAP_GMR2_VIA_GMR, w[5] = 7, w[6] = 0;
        return 7;
    case VGT_SVGA3D_CMD_SURFACE_DEFINE:
    case VGT_SVGA3D_CMD_SURFACE_DEFINE_V2: /* 1 mip of face 0, 1x1x1 */
        w[3] = 0, w[4] = 1, w[5] = 1;
        for (uint32_t i = 6; i < 11; i++) {
            w[i] = 0;
        }
        if (d->id == VGT_SVGA3D_CMD_SURFACE_DEFINE_V2) {
            w[11] = 1, w[12] = 0;
        }
        w[n] = w[n + 1] = w[n + 2] = 1;
        n += 3;
        break;
    case VGT_SVGA3D_CMD_SHADER_DEFINE: /* one bytecode word */
        w[n++] = 0xFFFF0200u;
        break;
    case VGT_SVGA3D_CMD_DRAW_PRIMITIVES: /* no decls, no ranges */
        w[3] = w[4] = 0;
        break;
    default:
        break;
    }
    if (is3d) {
        w[1] = (n - 2u) * 4u;
    }
    return n;
}

/* Every table command is expected here, with the fields of its fixed body. */
static void test_every_command_fixed_fields(void **state)
{
    (void)state;
    size_t count = 0;
    const vgt_cmd_desc *t = vgt_cmd_table(&count);
    assert_int_equal(count, sizeof(expected) / sizeof(expected[0]));
    for (size_t i = 0; i < count; i++) {
        const expect_row *e = &expected[i];
        if (e->id != t[i].id) {
            fail_msg("table row %zu is %s: add it to expected[] with its id fields", i, t[i].name);
        }
        uint32_t w[64];
        uint32_t n = build(&t[i], 1, w);
        vgt_cmd cmd;
        if (vgt_cmd_decode(w, n, &cmd, NULL) != VGT_OK) {
            n = build(&t[i], 0, w); /* an enum whose 1 is out of range (query type) */
        }
        check(w, n, e->f, e->n);
    }
    assert_false(vgt_cmd_has_ids(12345));
}

/* DEFINE_SCREEN in its V1 form has no backing store: only the screen id. */
static void test_screen_v1(void **state)
{
    (void)state;
    uint32_t w[8] = {
        VGT_SVGA_CMD_DEFINE_SCREEN, VGT_SVGA_SCREEN_OBJECT_V1_BYTES, 5, 0, 64, 48, 0, 0};
    const want e[] = {{2, SC}};
    check(w, 8, e, 1);
}

/* REMAP_GMR2 with a page list: the GMR only, not the page numbers. */
static void test_remap_page_list(void **state)
{
    (void)state;
    uint32_t w[7] = {VGT_SVGA_CMD_REMAP_GMR2, 9, VGT_SVGA_REMAP_GMR2_PPN32, 0, 2, 100, 101};
    const want e[] = {{1, G}};
    check(w, 7, e, 1);
}

/* SETTEXTURESTATE: the value of BIND_TEXTURE entries only. */
static void test_texture_state_bind(void **state)
{
    (void)state;
    uint32_t w[3 + 9] = {VGT_SVGA3D_CMD_SETTEXTURESTATE, (1 + 9) * 4, 7,
                         /* stage 0 COLOROP MODULATE, stage 1 BIND 42, stage 0 BIND 43 */
                         0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_MODULATE, 1,
                         VGT_SVGA3D_TS_BIND_TEXTURE, 42, 0, VGT_SVGA3D_TS_BIND_TEXTURE, 43};
    const want e[] = {{2, C}, {8, S}, {11, S}};
    check(w, 12, e, 3);
}

/* DRAW_PRIMITIVES: each decl's array.surfaceId (word 4 of 9), each range's
 * indexArray.surfaceId (word 2 of 7), whatever the value (INVALID_ID: not
 * indexed, reported, and vgt_id_is_reserved says so); divisors hold none. */
static void test_draw_arrays(void **state)
{
    (void)state;
    uint32_t w[5 + 2 * 9 + 2 * 7 + 2];
    memset(w, 0, sizeof(w));
    uint32_t n = 5 + 2 * 9 + 2 * 7 + 2;
    w[0] = VGT_SVGA3D_CMD_DRAW_PRIMITIVES;
    w[1] = (n - 2) * 4;
    w[2] = 3;
    w[3] = 2; /* decls */
    w[4] = 2; /* ranges */
    for (uint32_t i = 0; i < 2; i++) {
        uint32_t *d = &w[5 + 9 * i];
        d[0] = VGT_SVGA3D_DECLTYPE_FLOAT3;
        d[4] = 50 + i; /* array.surfaceId */
        d[6] = 12;
    }
    for (uint32_t i = 0; i < 2; i++) {
        uint32_t *r = &w[5 + 18 + 7 * i];
        r[0] = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST;
        r[1] = 1;
        r[2] = i ? VGT_SVGA3D_INVALID_ID : 60; /* indexArray.surfaceId */
        r[5] = 2;                              /* index width */
    }
    w[n - 2] = w[n - 1] = 1; /* divisors */
    const want e[] = {{2, C}, {9, S}, {18, S}, {25, S}, {32, S}};
    check(w, n, e, 5);
    assert_true(vgt_id_is_reserved(S, w[32]));
    assert_false(vgt_id_is_reserved(S, w[25]));
}

/* ESCAPE: a video overlay SET_REGS names a GMR (DATA_GMRID's value) and a
 * screen (DST_SCREEN_ID's), not its stream; FLUSH, a malformed SET_REGS,
 * another namespace or escape type: none. */
static void test_video_escape(void **state)
{
    (void)state;
    const uint32_t V = VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS;
    uint32_t w[3 + 2 + 8] = {VGT_SVGA_CMD_ESCAPE,
                             VGT_SVGA_ESCAPE_NSID_VMWARE,
                             (2 + 8) * 4,
                             V,
                             3, /* stream */
                             VGT_SVGA_VIDEO_DST_SCREEN_ID,
                             7,
                             VGT_SVGA_VIDEO_ENABLED,
                             1,
                             VGT_SVGA_VIDEO_DATA_GMRID,
                             9,
                             VGT_SVGA_VIDEO_DATA_OFFSET,
                             4096};
    const want e[] = {{6, SC}, {10, G}};
    check(w, 13, e, 2);
    uint32_t other[13];
    memcpy(other, w, sizeof(w));
    other[3] = VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH; /* the pairs are not registers */
    check(other, 13, NULL, 0);
    memcpy(other, w, sizeof(w));
    other[1] = VGT_SVGA_ESCAPE_NSID_DEVEL;
    check(other, 13, NULL, 0);
    memcpy(other, w, sizeof(w));
    other[2] = (2 + 7) * 4; /* half a pair: malformed, not looked into */
    check(other, 12, NULL, 0);
    /* the stream alone */
    uint32_t flush[5] = {VGT_SVGA_CMD_ESCAPE, VGT_SVGA_ESCAPE_NSID_VMWARE, 8,
                         VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH, 3};
    check(flush, 5, NULL, 0);
}

static void test_reserved_and_names(void **state)
{
    (void)state;
    assert_true(vgt_id_is_reserved(S, VGT_SVGA3D_INVALID_ID));
    assert_true(vgt_id_is_reserved(C, VGT_SVGA3D_INVALID_ID));
    assert_true(vgt_id_is_reserved(SH, VGT_SVGA3D_INVALID_ID));
    assert_true(vgt_id_is_reserved(G, VGT_SVGA_GMR_FRAMEBUFFER));
    assert_true(vgt_id_is_reserved(G, VGT_SVGA_GMR_NULL));
    assert_true(vgt_id_is_reserved(SC, VGT_SVGA_ID_INVALID));
    assert_false(vgt_id_is_reserved(FE, 0xFFFFFFFFu));
    assert_false(vgt_id_is_reserved(S, 0));
    assert_false(vgt_id_is_reserved(G, 0xFFFFFFFDu));
    assert_string_equal(vgt_id_kind_name(S), "surface");
    assert_string_equal(vgt_id_kind_name(FE), "fence");
    assert_string_equal(vgt_id_kind_name(VGT_ID_KINDS), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_command_fixed_fields),
        cmocka_unit_test(test_screen_v1),
        cmocka_unit_test(test_remap_page_list),
        cmocka_unit_test(test_texture_state_bind),
        cmocka_unit_test(test_draw_arrays),
        cmocka_unit_test(test_video_escape),
        cmocka_unit_test(test_reserved_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
