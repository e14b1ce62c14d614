/* The gl backend's fragment probe (vgt pixel on gl, docs/gl.md "The
 * fragment probe"): the same scenes of known overdraw drawn through the
 * soft and the gl backend with the probe armed on one pixel, the lists
 * compared field by field where gl knows the field, gl's list asserted
 * exactly, and the whole target (colour, depth, stencil) after the probed
 * draws compared with a gl run without the probe. */
#include "gl_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W     32u
#define H     32u
#define PX    6u /* the probed pixel, in the top left triangle of a full quad */
#define PY    9u
#define STEPS 12u
#define KEEP  16u

typedef struct step_rec {
    uint32_t n;
    uint64_t dropped;
    vgt_backend_fragment f[KEEP];
    uint32_t pixel; /* 0xAARRGGBB after the step */
} step_rec;

/* the vertices: full quads (two triangles each) at depths and colours, and
 * a small quad whose second (odd) strip triangle covers the pixel */
enum {
    V_RED = 0,    /* z 0.5 */
    V_GREEN = 6,  /* z 0.7, behind red */
    V_BLUE = 12,  /* z 0.3 */
    V_ALPHA = 18, /* z 0.3, alpha 0x40 */
    V_CYAN = 24,  /* z 0.4 */
    V_WHITE = 30, /* z 0.35, alpha 0x80 */
    V_STRIP = 36, /* 4 vertices: tl, tr, bl, br; z 0.05 */
    V_CCW = 40,   /* z 0.02, counter-clockwise: a back face */
    V_COUNT = 46
};

static void take(scene *s, step_rec *r)
{
    r->n = s->be.ops->fragment_take(s->be.self, r->f, KEEP, &r->dropped);
    vgt_error err = {0};
    vgt_backend_view v = s->st.color_targets[0];
    vgt_svga3d_rect rect = {PX, PY, 1, 1};
    uint8_t px[4];
    assert_int_equal(s->be.ops->read_pixels(s->be.self, &v, &rect, px, 4, &err), VGT_OK);
    r->pixel =
        (uint32_t)px[0] | (uint32_t)px[1] << 8 | (uint32_t)px[2] << 16 | (uint32_t)px[3] << 24;
}

/* Arms the probe (when recording) on the pixel of the colour target or
 * (on_depth) of the depth/stencil buffer. */
static void arm(scene *s, bool recording, bool on_depth)
{
    if (recording) {
        s->be.ops->fragment_probe(s->be.self,
                                  on_depth ? &s->st.depth_target : &s->st.color_targets[0], PX, PY);
    }
}

static void draw_at(scene *s, uint32_t prim, uint32_t count, int32_t first)
{
    vgt_error err = {0};
    if (scene_draw_rc(s, prim, count, 0, 0, first, &err) != VGT_OK) {
        fail_msg("%s: draw: %s", s->name, err.message);
    }
}

/* The scenes, one step each (rec may be NULL: no probe), the probe on
 * the colour target or (on_depth) the depth/stencil buffer. */
static void run_scenes(scene *s, step_rec *rec, bool on_depth)
{
    tvert v[V_COUNT];
    quad(v + V_RED, -1, -1, 1, 1, 0.5f, 0xffff0000u);
    quad(v + V_GREEN, -1, -1, 1, 1, 0.7f, 0xff00ff00u);
    quad(v + V_BLUE, -1, -1, 1, 1, 0.3f, 0xff0000ffu);
    quad(v + V_ALPHA, -1, -1, 1, 1, 0.3f, 0x40ffff00u);
    quad(v + V_CYAN, -1, -1, 1, 1, 0.4f, 0xff00ffffu);
    quad(v + V_WHITE, -1, -1, 1, 1, 0.35f, 0x80ffffffu);
    /* pixel (6, 9) is NDC (-0.625, 0.4375): in the strip's second triangle
     * (tr, bl, br) of the quad x -0.9..-0.58, y 0.4..0.6 */
    tvert q[6];
    quad(q, -0.9f, 0.4f, -0.58f, 0.6f, 0.05f, 0xffff8000u);
    v[V_STRIP + 0] = q[0]; /* tl */
    v[V_STRIP + 1] = q[1]; /* tr */
    v[V_STRIP + 2] = q[2]; /* bl */
    v[V_STRIP + 3] = q[5]; /* br */
    quad(v + V_CCW, -1, -1, 1, 1, 0.02f, 0xff808080u);
    for (uint32_t t = 0; t < 2; t++) {
        tvert x = v[V_CCW + 3 * t + 1];
        v[V_CCW + 3 * t + 1] = v[V_CCW + 3 * t + 2];
        v[V_CCW + 3 * t + 2] = x;
    }
    scene_tverts(s, v, V_COUNT);
    vgt_backend_draw_state *st = &s->st;
    arm(s, rec != NULL, on_depth);
    step_rec none;
    uint32_t i = 0;
#define STEP() take(s, rec ? &rec[i++] : &none)
    /* 0: a CLEAR of colour, depth and stencil */
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL,
                0xff102030u, 1.0f, 0);
    STEP();
    /* 1: red in front, then green behind it, one draw: primitive 0 written,
     * primitive 2 fails the depth test against what primitive 0 wrote */
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4, V_RED);
    STEP();
    /* 2: blue in front, culled (clockwise: the front face) */
    st->cull_face = VGT_SVGA3D_FACE_FRONT;
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, V_BLUE);
    st->cull_face = VGT_SVGA3D_FACE_NONE;
    STEP();
    /* 3: blue outside the scissor rectangle */
    st->scissor_enable = true;
    st->scissor = (vgt_backend_rect){16, 16, 16, 16};
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, V_BLUE);
    st->scissor_enable = false;
    STEP();
    /* 4: alpha 0x40 fails ALPHAFUNC GREATER 0.5 */
    st->alpha_test = true;
    st->alpha_func = VGT_SVGA3D_CMP_GREATER;
    st->alpha_ref = 0.5f;
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, V_ALPHA);
    st->alpha_test = false;
    st->alpha_func = VGT_SVGA3D_CMP_ALWAYS;
    STEP();
    /* 5: the stencil test EQUAL 1 fails on 0, its fail op INCR makes 1 */
    st->stencil_enable = true;
    st->stencil_func = VGT_SVGA3D_CMP_EQUAL;
    st->stencil_ref = 1;
    st->stencil_fail = VGT_SVGA3D_STENCILOP_INCR;
    st->stencil_zfail = st->stencil_pass = VGT_SVGA3D_STENCILOP_KEEP;
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, V_BLUE);
    STEP();
    /* 6: the same test passes now: cyan (0.4, in front of red) written */
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, V_CYAN);
    st->stencil_enable = false;
    STEP();
    /* 7: white at alpha 0x80 blended over cyan */
    st->blend_enable = true;
    st->src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
    st->dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
    st->blend_eq = VGT_SVGA3D_BLENDEQ_ADD;
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, V_WHITE);
    st->blend_enable = false;
    STEP();
    /* 8: blue in front with COLORWRITEENABLE 0: passes, writes depth only */
    uint32_t wm = st->color_write_mask[0];
    st->color_write_mask[0] = 0;
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, V_BLUE);
    st->color_write_mask[0] = wm;
    STEP();
    /* 9: a strip's odd triangle, a front face (its winding flipped as
     * Direct3D flips it), culled */
    st->cull_face = VGT_SVGA3D_FACE_FRONT;
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 2, V_STRIP);
    st->cull_face = VGT_SVGA3D_FACE_NONE;
    STEP();
    /* 10: two-sided stencil: a counter-clockwise triangle takes the CCW
     * ops (INCR: 1 -> 2), not the CW ones (KEEP) */
    st->stencil_enable = st->stencil_two_sided = true;
    st->stencil_func = st->ccw_stencil_func = VGT_SVGA3D_CMP_ALWAYS;
    st->stencil_fail = st->stencil_zfail = st->stencil_pass = VGT_SVGA3D_STENCILOP_KEEP;
    st->ccw_stencil_fail = st->ccw_stencil_zfail = VGT_SVGA3D_STENCILOP_KEEP;
    st->ccw_stencil_pass = VGT_SVGA3D_STENCILOP_INCR;
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, V_CCW);
    st->stencil_enable = st->stencil_two_sided = false;
    STEP();
    /* 11: ZENABLE 0 with the depth buffer bound: red written over
     * everything, no depth comparison recorded (none made) */
    st->z_enable = false;
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, V_RED);
    st->z_enable = true;
    STEP();
#undef STEP
    assert_int_equal(i, rec ? STEPS : 0);
    if (rec) {
        s->be.ops->fragment_probe(s->be.self, NULL, 0, 0);
    }
}

static uint32_t pixel_of(const vgt_image *im, uint32_t x, uint32_t y)
{
    return vgt_load_le32(im->pixels + (size_t)y * im->stride + (size_t)x * 4);
}

static bool near(float a, float b, float tol)
{
    return fabsf(a - b) <= tol;
}

/* gl's fragment against soft's, field by field where gl knows it. */
static void same_fragment(uint32_t step, uint32_t j, const vgt_backend_fragment *g,
                          const vgt_backend_fragment *s)
{
    const float tol = 1.0f / 255.0f + 1e-4f;
    if (g->range != s->range || g->instance != s->instance || g->primitive != s->primitive ||
        g->fate != s->fate || g->shaded != s->shaded || g->has_after != s->has_after ||
        g->has_depth != s->has_depth || g->stencil_path != s->stencil_path ||
        g->clear_flags != s->clear_flags) {
        fail_msg("step %u fragment %u: gl range %u primitive %u fate %u shaded %d after %d depth "
                 "%d stencil path %u, soft %u %u %u %d %d %d %u",
                 step, j, g->range, g->primitive, g->fate, g->shaded, g->has_after, g->has_depth,
                 g->stencil_path, s->range, s->primitive, s->fate, s->shaded, s->has_after,
                 s->has_depth, s->stencil_path);
    }
    for (int c = 0; c < 4; c++) {
        if ((g->shaded && !near(g->color[c], s->color[c], tol)) ||
            (g->has_after && !near(g->after[c], s->after[c], tol))) {
            fail_msg("step %u fragment %u channel %d: gl colour %f after %f, soft %f %f", step, j,
                     c, (double)g->color[c], (double)g->after[c], (double)s->color[c],
                     (double)s->after[c]);
        }
    }
    if (g->fate != VGT_BACKEND_FATE_CLEARED && g->fate != VGT_BACKEND_FATE_SCISSOR &&
        g->fate != VGT_BACKEND_FATE_CULLED_BACK && g->fate != VGT_BACKEND_FATE_CULLED_FRONT) {
        assert_int_equal(g->target, s->target);
        assert_int_equal(g->write_mask, s->write_mask);
        assert_int_equal(g->blend, s->blend);
        assert_int_equal(g->shader, s->shader);
    }
    assert_int_equal(g->depth_target, s->depth_target);
    assert_int_equal(g->z_write, s->z_write);
    assert_int_equal(g->z_written, s->z_written);
    if (g->fate == VGT_BACKEND_FATE_PASSED) {
        assert_true(g->z_after + 64u >= s->z_after && s->z_after + 64u >= g->z_after);
    }
    if (g->clear_flags & VGT_SVGA3D_CLEAR_DEPTH) {
        assert_int_equal(g->z_quant, s->z_quant);
    }
    if (g->has_depth) {
        /* two rasterizers: the depths agree to a few units of 2^-24 */
        assert_true(g->z_quant + 64u >= s->z_quant && s->z_quant + 64u >= g->z_quant);
        assert_true(g->z_buffer + 64u >= s->z_buffer && s->z_buffer + 64u >= g->z_buffer);
        assert_false(g->z_unknown);
    }
    if (g->stencil_path) {
        assert_int_equal(g->stencil_op, s->stencil_op);
        assert_int_equal(g->stencil_before, s->stencil_before);
        assert_int_equal(g->stencil_after, s->stencil_after);
    }
}

static uint32_t byte_of(float v)
{
    return (uint32_t)(v * 255.0f + 0.5f);
}

typedef struct want_list {
    uint32_t n;
    uint32_t prim[2];
    uint32_t fate[2];
} want_list;

/* gl's list on the colour target, exactly */
static const want_list g_want_color[STEPS] = {
    {1, {0}, {VGT_BACKEND_FATE_CLEARED}},
    {2, {0, 2}, {VGT_BACKEND_FATE_WRITTEN, VGT_BACKEND_FATE_DEPTH}},
    {1, {0}, {VGT_BACKEND_FATE_CULLED_FRONT}},
    {1, {0}, {VGT_BACKEND_FATE_SCISSOR}},
    {1, {0}, {VGT_BACKEND_FATE_ALPHA}},
    {1, {0}, {VGT_BACKEND_FATE_STENCIL}},
    {1, {0}, {VGT_BACKEND_FATE_WRITTEN}},
    {1, {0}, {VGT_BACKEND_FATE_WRITTEN}},
    {1, {0}, {VGT_BACKEND_FATE_MASKED}},
    {1, {1}, {VGT_BACKEND_FATE_CULLED_FRONT}},
    {1, {0}, {VGT_BACKEND_FATE_WRITTEN}},
    {1, {0}, {VGT_BACKEND_FATE_WRITTEN}},
};

/* ... and on the depth/stencil buffer: passed where the colour target
 * was written or masked, the CLEAR's depth and stencil */
static const want_list g_want_depth[STEPS] = {
    {1, {0}, {VGT_BACKEND_FATE_CLEARED}},
    {2, {0, 2}, {VGT_BACKEND_FATE_PASSED, VGT_BACKEND_FATE_DEPTH}},
    {1, {0}, {VGT_BACKEND_FATE_CULLED_FRONT}},
    {1, {0}, {VGT_BACKEND_FATE_SCISSOR}},
    {1, {0}, {VGT_BACKEND_FATE_ALPHA}},
    {1, {0}, {VGT_BACKEND_FATE_STENCIL}},
    {1, {0}, {VGT_BACKEND_FATE_PASSED}},
    {1, {0}, {VGT_BACKEND_FATE_PASSED}},
    {1, {0}, {VGT_BACKEND_FATE_PASSED}},
    {1, {1}, {VGT_BACKEND_FATE_CULLED_FRONT}},
    {1, {0}, {VGT_BACKEND_FATE_PASSED}},
    {0, {0}, {0}}, /* ZENABLE 0: the buffer is left alone, nothing listed */
};

/* Two pixels' colour channels (0xAARRGGBB, alpha aside) within 1 of
 * each other. */
static void assert_pixels_close(uint32_t a, uint32_t b)
{
    for (int sh = 0; sh < 24; sh += 8) {
        uint32_t x = (a >> sh) & 0xff, y = (b >> sh) & 0xff;
        assert_true(x + 1 >= y && y + 1 >= x);
    }
}

/* gl's lists against want and, field by field, soft's. */
static void compare_lists(const step_rec *gr, const step_rec *sr, const want_list *want)
{
    for (uint32_t i = 0; i < STEPS; i++) {
        if (gr[i].n != want[i].n) {
            fail_msg("step %u: gl recorded %u fragments, want %u", i, gr[i].n, want[i].n);
        }
        assert_int_equal(gr[i].dropped, 0);
        for (uint32_t j = 0; j < gr[i].n; j++) {
            if (gr[i].f[j].primitive != want[i].prim[j] || gr[i].f[j].fate != want[i].fate[j]) {
                fail_msg("step %u fragment %u: gl primitive %u fate %u, want %u %u", i, j,
                         gr[i].f[j].primitive, gr[i].f[j].fate, want[i].prim[j], want[i].fate[j]);
            }
            assert_int_equal(gr[i].f[j].range, 0);
        }
        /* soft's, field by field */
        assert_int_equal(sr[i].n, gr[i].n);
        for (uint32_t j = 0; j < sr[i].n; j++) {
            same_fragment(i, j, &gr[i].f[j], &sr[i].f[j]);
        }
        /* the pixel read after the step is the same on both */
        assert_pixels_close(gr[i].pixel, sr[i].pixel);
    }
    /* a draw without depth or stencil tests compares no depth, on the
     * colour target (the depth target lists nothing) */
    if (gr[STEPS - 1].n) {
        assert_false(gr[STEPS - 1].f[0].has_depth);
    }
    /* both saw the alpha-tested fragment */
    assert_int_equal(sr[4].n, 1);
    assert_int_equal(sr[4].f[0].fate, VGT_BACKEND_FATE_ALPHA);
}

/* The scenes on gl and on soft, the probe on the colour target or the
 * depth/stencil buffer: gr, sr (STEPS each, the caller frees). */
static void run_both(bool on_depth, step_rec **gr, step_rec **sr)
{
    *gr = calloc(STEPS, sizeof(**gr));
    *sr = calloc(STEPS, sizeof(**sr));
    assert_non_null(*gr);
    assert_non_null(*sr);
    scene g, s;
    scene_init(&g, "gl", W, H, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
    run_scenes(&g, *gr, on_depth);
    scene_fini(&g);
    scene_init(&s, "soft", W, H, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
    run_scenes(&s, *sr, on_depth);
    scene_fini(&s);
}

static void test_probe_gl_vs_soft(void **state)
{
    (void)state;
    step_rec *gr, *sr;
    run_both(false, &gr, &sr);
    compare_lists(gr, sr, g_want_color);
    /* values: red's colour before blending and after; the CLEAR's */
    const vgt_backend_fragment *red = &gr[1].f[0];
    assert_true(red->shaded && red->has_after && red->has_depth);
    assert_int_equal(byte_of(red->color[0]), 255);
    assert_int_equal(byte_of(red->color[1]), 0);
    assert_int_equal(red->z_buffer, 0xffffffu);
    assert_true(red->z_quant >= 0x7fff00u && red->z_quant <= 0x800100u); /* z 0.5 */
    /* the green fragment behind: shaded green, tested against red's depth */
    const vgt_backend_fragment *green = &gr[1].f[1];
    assert_true(green->shaded && !green->has_after);
    assert_int_equal(byte_of(green->color[1]), 255);
    assert_int_equal(green->z_buffer, red->z_quant);
    assert_true(green->z_quant > red->z_quant);
    /* after the last fragment of a draw the pixel is what the draw wrote */
    for (uint32_t i = 1; i <= 7; i += 6) {
        /* (step 1's last written one: the depth-failed one after it
         * wrote nothing) */
        const vgt_backend_fragment *f = &gr[i].f[0];
        assert_true(f->has_after);
        assert_int_equal(byte_of(f->after[0]), (gr[i].pixel >> 16) & 0xff);
        assert_int_equal(byte_of(f->after[1]), (gr[i].pixel >> 8) & 0xff);
        assert_int_equal(byte_of(f->after[2]), gr[i].pixel & 0xff);
    }
    assert_int_equal(gr[0].f[0].clear_flags, VGT_SVGA3D_CLEAR_COLOR);
    assert_int_equal(byte_of(gr[0].f[0].after[2]), 0x30);
    /* the stencil reject: fail op INCR, 0 -> 1; the pass after it */
    const vgt_backend_fragment *sf = &gr[5].f[0];
    assert_int_equal(sf->stencil_path, 1);
    assert_int_equal(sf->stencil_op, VGT_SVGA3D_STENCILOP_INCR);
    assert_int_equal(sf->stencil_before, 0);
    assert_int_equal(sf->stencil_after, 1);
    assert_int_equal(gr[6].f[0].stencil_path, 3);
    assert_int_equal(gr[6].f[0].stencil_before, 1);
    /* the back face took the CCW pass op */
    assert_int_equal(gr[10].f[0].stencil_path, 3);
    assert_int_equal(gr[10].f[0].stencil_op, VGT_SVGA3D_STENCILOP_INCR);
    assert_int_equal(gr[10].f[0].stencil_after, 2);
    /* the blended white: its colour before blending, the blend after */
    const vgt_backend_fragment *wf = &gr[7].f[0];
    assert_true(wf->blend);
    assert_int_equal(byte_of(wf->color[0]), 255);
    assert_int_equal(byte_of(wf->color[3]), 0x80);
    assert_true(byte_of(wf->after[0]) >= 0x7f && byte_of(wf->after[0]) <= 0x81);
    assert_int_equal(byte_of(wf->after[1]), 255);
    /* the masked one: no colour written, its depth is */
    assert_int_equal(gr[8].f[0].write_mask, 0);
    assert_int_equal(gr[8].pixel, gr[7].pixel);
    /* culled and scissored ones carry no colour */
    assert_false(gr[2].f[0].shaded);
    assert_false(gr[3].f[0].shaded);
    free(gr);
    free(sr);
}

/* Following the depth/stencil buffer: no colour, the depth each fragment
 * tested and left, the stencil; a CLEAR's depth and stencil. */
static void test_probe_depth_target(void **state)
{
    (void)state;
    step_rec *gr, *sr;
    run_both(true, &gr, &sr);
    compare_lists(gr, sr, g_want_depth);
    for (uint32_t i = 0; i < STEPS; i++) {
        for (uint32_t j = 0; j < gr[i].n; j++) {
            const vgt_backend_fragment *f = &gr[i].f[j];
            assert_false(f->shaded);
            assert_false(f->has_after);
            assert_int_equal(f->depth_target, f->fate != VGT_BACKEND_FATE_CLEARED);
        }
    }
    const vgt_backend_fragment *c = &gr[0].f[0];
    assert_int_equal(c->clear_flags, VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL);
    assert_int_equal(c->z_quant, 0xffffffu);
    assert_int_equal(c->stencil_after, 0);
    /* red passed and left its depth; green behind failed against it */
    const vgt_backend_fragment *red = &gr[1].f[0], *green = &gr[1].f[1];
    assert_true(red->z_write && red->has_depth);
    assert_int_equal(red->z_buffer, 0xffffffu);
    assert_int_equal(red->z_after, red->z_quant);
    assert_int_equal(green->z_buffer, red->z_quant);
    /* the masked blue still wrote its depth (0.3) */
    assert_true(gr[8].f[0].z_after < red->z_quant);
    assert_int_equal(gr[8].f[0].z_after, gr[8].f[0].z_quant);
    free(gr);
    free(sr);
}

/* ---- cube faces: the colour target and the depth/stencil buffer ---------- */

#define CUBE_RT_FACE 2u
#define CUBE_DS_FACE 3u

/* Face 2 of a cube colour target and face 3 of a cube D24S8 buffer bound
 * in place of the scene's (made without a depth buffer); *rt, *ds: them. */
static void cube_targets(scene *s, vgt_backend_surface **rt, vgt_backend_surface **ds)
{
    *rt = scene_define(s, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, W, H, 1, 6, 1);
    *ds = scene_define(s, VGT_SVGA3D_Z_D24S8, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL, W, H, 1, 6, 1);
    vgt_backend_draw_state *st = &s->st;
    st->color_targets[0] = (vgt_backend_view){*rt, CUBE_RT_FACE, 0, VGT_SVGA3D_A8R8G8B8, {W, H, 1}};
    st->depth_target = (vgt_backend_view){*ds, CUBE_DS_FACE, 0, VGT_SVGA3D_Z_D24S8, {W, H, 1}};
    st->stencil_target = st->depth_target;
    st->z_enable = true;
}

/* The scenes drawn into cube faces (colour face 2, depth/stencil face 3)
 * on gl and soft, the probe on the colour face or the depth face: the
 * same lists as on 2D targets, soft's field by field; every face of both
 * cubes after the probed run as after a run without the probe. */
static void test_probe_cube_faces_vs_soft(void **state)
{
    (void)state;
    const size_t face_bytes = (size_t)W * H * 4;
    for (int on_depth = 0; on_depth < 2; on_depth++) {
        step_rec gr[STEPS], sr[STEPS];
        uint8_t *img[3][2];
        for (int k = 0; k < 3; k++) {
            /* gl probed, soft probed, gl without the probe */
            scene s;
            scene_init(&s, k == 1 ? "soft" : "gl", W, H, VGT_SVGA3D_A8R8G8B8, 0);
            vgt_backend_surface *cube[2];
            cube_targets(&s, &cube[0], &cube[1]);
            run_scenes(&s, k == 2 ? NULL : k ? sr : gr, on_depth);
            for (int c = 0; c < 2; c++) {
                img[k][c] = malloc(6 * face_bytes);
                assert_non_null(img[k][c]);
                for (uint32_t face = 0; face < 6; face++) {
                    vgt_error err = {0};
                    vgt_svga3d_box box = {0, 0, 0, W, H, 1};
                    if (s.be.ops->surface_download(s.be.self, cube[c], face, 0, &box,
                                                   img[k][c] + face * face_bytes, W * 4, face_bytes,
                                                   &err) != VGT_OK) {
                        fail_msg("%s: download face %u: %s", s.name, face, err.message);
                    }
                }
            }
            scene_fini(&s);
        }
        compare_lists(gr, sr, on_depth ? g_want_depth : g_want_color);
        /* red's depth 0.5 in the depth face, tested against the CLEAR's 1 */
        const vgt_backend_fragment *red = &gr[1].f[0];
        assert_true(red->has_depth);
        assert_int_equal(red->z_buffer, 0xffffffu);
        assert_true(red->z_quant >= 0x7fff00u && red->z_quant <= 0x800100u);
        assert_int_equal(gr[5].f[0].stencil_after, 1);
        for (int c = 0; c < 2; c++) {
            assert_memory_equal(img[0][c], img[2][c], 6 * face_bytes);
            for (int k = 0; k < 3; k++) {
                free(img[k][c]);
            }
        }
    }
}

/* The probe armed on another face of the cubes than the draw renders
 * into: nothing listed, on soft as on gl. */
static void test_probe_cube_other_face(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        for (int on_depth = 0; on_depth < 2; on_depth++) {
            scene s;
            scene_init(&s, k ? "soft" : "gl", W, H, VGT_SVGA3D_A8R8G8B8, 0);
            vgt_backend_surface *rt, *ds;
            cube_targets(&s, &rt, &ds);
            tvert v[6];
            quad(v, -1, -1, 1, 1, 0.5f, 0xffff0000u);
            scene_tverts(&s, v, 6);
            scene_clear(&s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xff000000u, 1.0f, 0);
            vgt_backend_view other = on_depth ? s.st.depth_target : s.st.color_targets[0];
            other.face = 1;
            s.be.ops->fragment_probe(s.be.self, &other, PX, PY);
            scene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
            vgt_backend_fragment f[4];
            uint64_t dropped;
            assert_int_equal(s.be.ops->fragment_take(s.be.self, f, 4, &dropped), 0);
            /* the face drawn into: one written (passed) fragment (the
             * first draw's depth equal: LESSEQUAL passes) */
            s.be.ops->fragment_probe(
                s.be.self, on_depth ? &s.st.depth_target : &s.st.color_targets[0], PX, PY);
            scene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
            assert_int_equal(s.be.ops->fragment_take(s.be.self, f, 4, &dropped), 1);
            assert_int_equal(f[0].fate,
                             on_depth ? VGT_BACKEND_FATE_PASSED : VGT_BACKEND_FATE_WRITTEN);
            s.be.ops->fragment_probe(s.be.self, NULL, 0, 0);
            scene_fini(&s);
        }
    }
}

/* The whole target after the probed draws equals a run without the probe:
 * every pixel, and every depth/stencil texel. */
static void test_probe_leaves_target(void **state)
{
    (void)state;
    step_rec *rec = calloc(STEPS, sizeof(*rec));
    assert_non_null(rec);
    /* without the probe, with it on the colour target, on the depth buffer */
    vgt_image im[3];
    uint8_t *ds[3];
    for (int k = 0; k < 3; k++) {
        scene s;
        scene_init(&s, "gl", W, H, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
        memset(rec, 0, STEPS * sizeof(*rec));
        run_scenes(&s, k ? rec : NULL, k == 2);
        if (k) {
            assert_int_equal(rec[1].n, 2); /* the probe did run */
        }
        scene_read(&s, &im[k]);
        ds[k] = malloc(W * H * 4);
        assert_non_null(ds[k]);
        vgt_error err = {0};
        vgt_svga3d_box box = {0, 0, 0, W, H, 1};
        assert_int_equal(
            s.be.ops->surface_download(s.be.self, s.ds, 0, 0, &box, ds[k], W * 4, W * H * 4, &err),
            VGT_OK);
        scene_fini(&s);
    }
    for (int k = 1; k < 3; k++) {
        for (uint32_t y = 0; y < H; y++) {
            for (uint32_t x = 0; x < W; x++) {
                uint32_t a = pixel_of(&im[0], x, y), b = pixel_of(&im[k], x, y);
                if (a != b) {
                    fail_msg("pixel (%u,%u): %08x without the probe, %08x with it (run %d)", x, y,
                             a, b, k);
                }
            }
        }
        assert_memory_equal(ds[0], ds[k], W * H * 4);
    }
    for (int k = 0; k < 3; k++) {
        vgt_image_free(&im[k]);
        free(ds[k]);
    }
    free(rec);
}

/* Past VGT_BACKEND_FRAGMENTS_MAX fragments in one draw the rest are
 * counted, not kept; a take smaller than what was kept counts the rest. */
static void test_probe_cap(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, "gl", W, H, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
    /* 300 full-screen quads, each in front of the one before: 300 covering
     * triangles (one of each quad), only 256 replayed by the probe */
    enum { QUADS = 300 };
    tvert *v = calloc(QUADS * 6, sizeof(*v));
    assert_non_null(v);
    for (uint32_t i = 0; i < QUADS; i++) {
        quad(v + 6 * i, -1, -1, 1, 1, 0.9f - 0.002f * (float)i, 0xff000000u | i);
    }
    scene_tverts(&s, v, QUADS * 6);
    free(v);
    scene_clear(&s, VGT_SVGA3D_CLEAR_DEPTH, 0, 1.0f, 0);
    s.be.ops->fragment_probe(s.be.self, &s.st.color_targets[0], PX, PY);
    scene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, QUADS * 2);
    vgt_backend_fragment *f = calloc(VGT_BACKEND_FRAGMENTS_MAX, sizeof(*f));
    assert_non_null(f);
    uint64_t dropped = 0;
    assert_int_equal(s.be.ops->fragment_take(s.be.self, f, 10, &dropped), 10);
    assert_int_equal(dropped, QUADS - 10);
    assert_int_equal(f[9].primitive, 18); /* every quad's first triangle */
    assert_int_equal(f[9].fate, VGT_BACKEND_FATE_WRITTEN);
    assert_int_equal(s.be.ops->fragment_take(s.be.self, f, 10, &dropped), 0);
    assert_int_equal(dropped, 0);
    /* the last quad's colour is the pixel's, probe or not */
    vgt_image im;
    scene_read(&s, &im);
    assert_int_equal(pixel_of(&im, PX, PY) & 0xffffffu, QUADS - 1);
    vgt_image_free(&im);
    /* ... and its depth, as beside the pixel */
    uint8_t d[8];
    vgt_error err = {0};
    vgt_svga3d_box box = {PX, PY, 0, 2, 1, 1};
    assert_int_equal(s.be.ops->surface_download(s.be.self, s.ds, 0, 0, &box, d, 8, 8, &err),
                     VGT_OK);
    assert_memory_equal(d, d + 4, 4);
    /* a CLEAR's rects: one beside the pixel is not listed, one over it is */
    vgt_svga3d_rect beside = {PX + 1, PY, 4, 4}, over = {PX, PY, 1, 1};
    assert_int_equal(s.be.ops->clear(s.be.self, &s.st, VGT_SVGA3D_CLEAR_COLOR, 0xff102030u, 1.0f, 0,
                                     &beside, 1, &err),
                     VGT_OK);
    assert_int_equal(s.be.ops->fragment_take(s.be.self, f, 10, &dropped), 0);
    assert_int_equal(s.be.ops->clear(s.be.self, &s.st, VGT_SVGA3D_CLEAR_COLOR, 0xff102030u, 1.0f, 0,
                                     &over, 1, &err),
                     VGT_OK);
    assert_int_equal(s.be.ops->fragment_take(s.be.self, f, 10, &dropped), 1);
    assert_int_equal(f[0].fate, VGT_BACKEND_FATE_CLEARED);
    /* disarmed: nothing recorded */
    s.be.ops->fragment_probe(s.be.self, NULL, 0, 0);
    scene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(s.be.ops->fragment_take(s.be.self, f, 10, &dropped), 0);
    free(f);
    scene_fini(&s);
}

/* A guest occlusion query running over a probed draw counts what the
 * draw alone passes: the probe's own draws are not counted in it. */
static void test_probe_guest_query(void **state)
{
    (void)state;
    uint64_t result[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        scene s;
        scene_init(&s, "gl", W, H, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
        tvert v[12];
        quad(v, -1, -1, 1, 1, 0.5f, 0xffff0000u);
        quad(v + 6, -1, -1, 1, 1, 0.7f, 0xff00ff00u);
        scene_tverts(&s, v, 12);
        scene_clear(&s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0, 1.0f, 0);
        if (k) {
            s.be.ops->fragment_probe(s.be.self, &s.st.color_targets[0], PX, PY);
        }
        vgt_error err = {0};
        vgt_backend_query *q = NULL;
        assert_int_equal(
            s.be.ops->query_create(s.be.self, VGT_SVGA3D_QUERYTYPE_OCCLUSION, &q, &err), VGT_OK);
        assert_int_equal(s.be.ops->query_begin(s.be.self, q, &err), VGT_OK);
        scene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4);
        assert_int_equal(s.be.ops->query_end(s.be.self, q, &result[k], &err), VGT_OK);
        s.be.ops->query_destroy(s.be.self, q);
        if (k) {
            vgt_backend_fragment f[4];
            uint64_t dropped;
            assert_int_equal(s.be.ops->fragment_take(s.be.self, f, 4, &dropped), 2);
        }
        scene_fini(&s);
    }
    /* red's whole screen; green behind it passes nowhere */
    assert_int_equal(result[0], W * H);
    assert_int_equal(result[1], result[0]);
}

/* ---- what clipping removed: every pixel of a 16x16 target, soft and gl ---- */

#define CW 16u /* the clipping scenes' target */

typedef struct clip_case {
    const char *name;
    tvert v[6];
    uint32_t n; /* 1 point, 2 line, 3 triangle */
    /* a triangle: another drawn after it in the same draw, covering the
     * target at z 0.5 (v[3..5]), so that what the clipped one's queries
     * leave behind shows in the image */
    bool after;
    uint32_t fill;        /* VGT_SVGA3D_FILLMODE_* */
    float near;           /* < 0: identity projection; else w = z, near plane at w = near */
    uint32_t planes;      /* user clip planes enabled (x >= 0.2: 1, y >= 0.2: 8) */
    bool vs;              /* drawn through a vs_2_0 */
    uint32_t min_clipped; /* at least this many pixels clipped */
} clip_case;

/* Screen coordinates of the 16x16 target to NDC at depth z (w 1). */
static tvert sv(float x, float y, float z)
{
    return (tvert){x / 8.0f - 1.0f, 1.0f - y / 8.0f, z, 0, 0, 0, 0xffffffffu, 0, 0};
}

static tvert cv4(float x, float y, float z)
{
    return (tvert){x, y, z, 0, 0, 0, 0xffffffffu, 0, 0};
}

/* One fragment list at a pixel: (primitive, fate) pairs, a clipped
 * one's planes. */
#define PIX_MAX 8u

typedef struct pix_list {
    uint32_t n;
    uint32_t range[PIX_MAX], prim[PIX_MAX], fate[PIX_MAX], instance[PIX_MAX], planes[PIX_MAX];
    bool shaded[PIX_MAX];
    float color[PIX_MAX][4]; /* shaded */
} pix_list;

static void clip_state(scene *s, const clip_case *c)
{
    vgt_backend_draw_state *st = &s->st;
    st->fill_mode = c->fill;
    st->point_size = 3.0f;
    if (c->near >= 0.0f) {
        /* w = z, clip z = z - near: the near plane at w = near */
        memset(&st->projection, 0, sizeof(st->projection));
        st->projection.m[0][0] = st->projection.m[1][1] = 1.0f;
        st->projection.m[2][2] = st->projection.m[2][3] = 1.0f;
        st->projection.m[3][2] = -c->near;
    }
    const float planes[2][4] = {{1, 0, 0, -0.2f}, {0, 1, 0, -0.2f}};
    memcpy(st->clip_planes[0], planes[0], sizeof(planes[0]));
    memcpy(st->clip_planes[3], planes[1], sizeof(planes[1]));
    st->clip_plane_enable = c->planes;
}

static const clip_case *g_clip; /* the case clip_prim draws */

static void clip_prim(scene *s)
{
    scene_draw(s,
               g_clip->n == 3   ? VGT_SVGA3D_PRIMITIVE_TRIANGLELIST
               : g_clip->n == 2 ? VGT_SVGA3D_PRIMITIVE_LINELIST
                                : VGT_SVGA3D_PRIMITIVE_POINTLIST,
               g_clip->after ? 2 : 1);
}

static void clip_draw(scene *s, const clip_case *c)
{
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xff000000u, 1.0f, 0);
    g_clip = c;
    if (c->vs) {
        /* the planes in clip space (the program's gl_ClipDistance) */
        scene_with_vs(s, "vs_2_0\ndcl_position v0\ndcl_color v1\nmov oPos, v0\nmov oD0, v1\n",
                      clip_prim);
    } else {
        clip_prim(s);
    }
}

/* A scene drawn at every pixel: setup once, then draw (a CLEAR first). */
typedef void (*pix_fn)(scene *s);

/* The scene probed at every pixel of a CW x CW target on backend kind:
 * the lists into out (CW * CW), and every probed draw's image checked
 * against the unprobed one. */
static void every_pixel(const char *kind, const char *name, pix_fn setup, pix_fn draw,
                        pix_list *out)
{
    scene s;
    scene_init(&s, kind, CW, CW, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
    setup(&s);
    draw(&s);
    vgt_image plain;
    scene_read(&s, &plain);
    for (uint32_t y = 0; y < CW; y++) {
        for (uint32_t x = 0; x < CW; x++) {
            pix_list *l = &out[y * CW + x];
            s.be.ops->fragment_probe(s.be.self, &s.st.color_targets[0], x, y);
            draw(&s);
            vgt_backend_fragment f[PIX_MAX];
            uint64_t dropped = 0;
            l->n = s.be.ops->fragment_take(s.be.self, f, PIX_MAX, &dropped);
            assert_int_equal(dropped, 0);
            for (uint32_t i = 0; i < l->n; i++) {
                l->range[i] = f[i].range;
                l->prim[i] = f[i].primitive;
                l->fate[i] = f[i].fate;
                l->instance[i] = f[i].instance;
                l->shaded[i] = f[i].shaded;
                l->planes[i] = f[i].clip_planes;
                memcpy(l->color[i], f[i].color, sizeof(l->color[i]));
            }
            s.be.ops->fragment_probe(s.be.self, NULL, 0, 0);
            vgt_image im;
            scene_read(&s, &im);
            for (uint32_t yy = 0; yy < CW; yy++) {
                for (uint32_t xx = 0; xx < CW; xx++) {
                    if (pixel_of(&im, xx, yy) != pixel_of(&plain, xx, yy)) {
                        fail_msg("%s %s probed at (%u,%u): pixel (%u,%u) differs", kind, name, x, y,
                                 xx, yy);
                    }
                }
            }
            vgt_image_free(&im);
        }
    }
    vgt_image_free(&plain);
    scene_fini(&s);
}

/* gl's lists against soft's at every pixel (range, primitive, instance, fate,
 * shaded and the colour within a step, a clipped one's planes: never
 * none); returns how many pixels differ (each printed), and
 * counts the fragments of fate `fate` (*nfate) and of a primitive above 0 (*nlater). */
static uint32_t diff_pixels(const char *name, const pix_list *g, const pix_list *so, uint32_t fate,
                            uint32_t *nfate, uint32_t *nlater)
{
    uint32_t diff = 0;
    *nfate = *nlater = 0;
    for (uint32_t i = 0; i < CW * CW; i++) {
        bool same = g[i].n == so[i].n;
        for (uint32_t j = 0; same && j < g[i].n; j++) {
            same = g[i].range[j] == so[i].range[j] && g[i].prim[j] == so[i].prim[j] &&
                   g[i].fate[j] == so[i].fate[j] && g[i].instance[j] == so[i].instance[j] &&
                   g[i].shaded[j] == so[i].shaded[j] && g[i].planes[j] == so[i].planes[j] &&
                   (g[i].fate[j] == VGT_BACKEND_FATE_CLIPPED) == (g[i].planes[j] != 0);
            /* a colour: gl's as the target stores it (8 bits), soft's unrounded */
            for (uint32_t c = 0; same && g[i].shaded[j] && c < 4; c++) {
                same = fabsf(g[i].color[j][c] - so[i].color[j][c]) <= 1.0f / 255.0f;
            }
        }
        for (uint32_t j = 0; j < g[i].n; j++) {
            *nfate += g[i].fate[j] == fate;
            *nlater += g[i].fate[j] != VGT_BACKEND_FATE_CLEARED && g[i].prim[j] > 0;
        }
        if (!same) {
            diff++;
            print_message("%s pixel (%u,%u): gl %u [%u %u] planes %x soft %u [%u %u] planes %x\n",
                          name, i % CW, i / CW, g[i].n, g[i].n > 1 ? g[i].fate[1] : 99,
                          g[i].n > 2 ? g[i].fate[2] : 99, g[i].n > 1 ? g[i].planes[1] : 0, so[i].n,
                          so[i].n > 1 ? so[i].fate[1] : 99, so[i].n > 2 ? so[i].fate[2] : 99,
                          so[i].n > 1 ? so[i].planes[1] : 0);
        }
    }
    return diff;
}

static void clip_setup(scene *s)
{
    clip_state(s, g_clip);
    scene_tverts(s, g_clip->v, g_clip->after ? 6 : g_clip->n);
}

static void clip_draw_cur(scene *s)
{
    clip_draw(s, g_clip);
}

/* soft's test_probe_clipped* scenes on both backends: gl's list equals
 * soft's at every pixel (primitive, fate, no colour for a clipped one,
 * the planes that removed it: near, far, user planes, two at once). */
static void test_probe_clipped_vs_soft(void **state)
{
    (void)state;
    const float xy[3][2] = {{2.3f, 1.6f}, {13.8f, 6.2f}, {5.1f, 14.7f}};
    static clip_case cases[20];
    uint32_t nc = 0;
    /* wholly beyond the far plane and before the near one: point, line, triangle */
    for (uint32_t k = 0; k < 6; k++) {
        clip_case *c = &cases[nc++];
        memset(c, 0, sizeof(*c));
        c->name = "whole";
        c->n = k % 3 + 1;
        c->fill = VGT_SVGA3D_FILLMODE_FILL;
        c->near = -1.0f;
        c->min_clipped = c->n == 3 ? 66 : c->n == 2 ? 11 : 9;
        for (uint32_t i = 0; i < c->n; i++) {
            c->v[i] = sv(xy[i][0], xy[i][1], k < 3 ? 1.5f : -0.25f);
        }
        if (c->n == 1) {
            c->v[0] = sv(9.5f, 4.5f, k < 3 ? 1.5f : -0.25f);
        }
    }
    /* a triangle and a line crossing the far plane (solid fill: in
     * wireframe and point fill GL's plain draw of the clipped triangle
     * differs from soft's, docs/gl.md) */
    const float zs[3] = {0.2f, 1.6f, 0.7f};
    for (uint32_t k = 0; k < 2; k++) {
        clip_case *c = &cases[nc++];
        memset(c, 0, sizeof(*c));
        c->name = k ? "partly clipped line" : "partly clipped triangle";
        c->n = k ? 2 : 3;
        c->fill = VGT_SVGA3D_FILLMODE_FILL;
        c->near = -1.0f;
        c->min_clipped = k ? 5 : 17;
        for (uint32_t i = 0; i < c->n; i++) {
            c->v[i] = sv(xy[i][0], xy[i][1], zs[i]);
        }
        if (c->n == 2) {
            c->v[1].z = 1.6f;
        }
    }
    /* two user planes cut a triangle and a line to nothing, no plane
     * having every vertex outside it */
    for (uint32_t k = 0; k < 3; k++) {
        clip_case *c = &cases[nc++];
        memset(c, 0, sizeof(*c));
        c->name = k == 2 ? "two planes, vertex shader"
                  : k    ? "two planes line"
                         : "two planes triangle";
        c->vs = k == 2;
        bool line = k == 1;
        c->n = line ? 2 : 3;
        c->fill = VGT_SVGA3D_FILLMODE_FILL;
        c->near = -1.0f;
        c->planes = 1u | 8u;
        c->min_clipped = line ? 14 : 100;
        /* (the line's end off the target: gl and soft differ on the
         * pixels at a line's ends, docs/gl.md) */
        c->v[0] = cv4(-0.9f, line ? 0.9f : -0.9f, 0.5f);
        c->v[1] = line ? cv4(1.3f, -1.25f, 0.5f) : cv4(0.9f, -0.9f, 0.5f);
        c->v[2] = cv4(-0.9f, 0.9f, 0.5f);
    }
    /* the far plane and user plane 3 (y >= 0.2) overlapping: the
     * triangle crossing the far plane (under fixed function with a
     * triangle drawn after it, and under a vs_2_0) and the line of its
     * second edge, which they cut to nothing (each pixel's planes: far,
     * plane 3 or both) */
    for (uint32_t k = 0; k < 3; k++) {
        clip_case *c = &cases[nc++];
        memset(c, 0, sizeof(*c));
        c->name = k == 2 ? "far and plane, vertex shader"
                  : k    ? "far and plane line"
                         : "far and plane";
        c->vs = k == 2;
        c->n = k == 1 ? 2 : 3;
        c->fill = VGT_SVGA3D_FILLMODE_FILL;
        c->near = -1.0f;
        c->planes = 8u;
        c->min_clipped = k == 1 ? 5 : 30;
        for (uint32_t i = 0; i < c->n; i++) {
            c->v[i] = sv(xy[i][0], xy[i][1], zs[i]);
        }
        if (k == 0) {
            c->after = true;
            c->v[3] = cv4(-1.0f, 1.0f, 0.5f);
            c->v[4] = cv4(3.0f, 1.0f, 0.5f);
            c->v[5] = cv4(-1.0f, -3.0f, 0.5f);
        }
        if (k == 1) {
            /* the second edge drawn on past both ends, off the target */
            c->v[0] = sv(16.41f, 3.65f, 1.87f);
            c->v[1] = sv(3.36f, 16.4f, 0.52f);
        }
    }
    /* beyond the far plane, vertices 80000 pixels out: every pixel (the
     * line of soft's scene leaves out: gl's walk of it differs by a row) */
    {
        clip_case *c = &cases[nc++];
        memset(c, 0, sizeof(*c));
        c->name = "huge triangle";
        c->n = 3;
        c->fill = VGT_SVGA3D_FILLMODE_FILL;
        c->near = -1.0f;
        c->min_clipped = CW * CW;
        c->v[0] = cv4(-10000.0f, 10000.0f, 1.5f);
        c->v[1] = cv4(10000.0f, 10000.0f, 1.5f);
        c->v[2] = cv4(0.0f, -10000.0f, 1.5f);
    }
    /* a vertex behind the eye (w -1), the near plane at w 1: a triangle
     * crossing it and one wholly before it, and a line wholly before it */
    const tvert tris[2][3] = {
        {cv4(0.0f, -2.0f, -1.0f), cv4(-1.5f, 0.5f, 2.0f), cv4(1.5f, 0.5f, 2.0f)},
        {cv4(0.0f, -2.0f, -1.0f), cv4(-0.6f, 0.3f, 0.5f), cv4(0.6f, 0.2f, 0.5f)},
    };
    const tvert line[2] = {cv4(0.0f, -2.0f, -1.0f), cv4(0.1f, 0.1f, 0.5f)};
    for (uint32_t k = 0; k < 3; k++) {
        clip_case *c = &cases[nc++];
        memset(c, 0, sizeof(*c));
        c->name = "behind the eye";
        c->n = k < 2 ? 3 : 2;
        c->fill = VGT_SVGA3D_FILLMODE_FILL;
        c->near = 1.0f;
        c->min_clipped = k == 0 ? 80 : k == 1 ? 184 : 9;
        memcpy(c->v, k < 2 ? tris[k] : line, c->n * sizeof(tvert));
    }
    pix_list *g = calloc(CW * CW, sizeof(*g)), *so = calloc(CW * CW, sizeof(*so));
    assert_non_null(g);
    assert_non_null(so);
    uint32_t bad = 0;
    /* clipped pixels naming the near plane, the far one, a user plane, two */
    uint32_t named[4] = {0, 0, 0, 0};
    for (uint32_t k = 0; k < nc; k++) {
        const clip_case *c = &cases[k];
        g_clip = c;
        every_pixel("gl", c->name, clip_setup, clip_draw_cur, g);
        g_clip = c;
        every_pixel("soft", c->name, clip_setup, clip_draw_cur, so);
        uint32_t clipped, later;
        bad += diff_pixels(c->name, g, so, VGT_BACKEND_FATE_CLIPPED, &clipped, &later);
        for (uint32_t i = 0; i < CW * CW; i++) {
            for (uint32_t j = 0; j < so[i].n; j++) {
                uint32_t m = so[i].planes[j];
                named[0] += (m & VGT_BACKEND_CLIP_NEAR) != 0;
                named[1] += (m & VGT_BACKEND_CLIP_FAR) != 0;
                named[2] += (m & 0x3Fu) != 0;
                named[3] += m != 0 && (m & (m - 1u)) != 0;
            }
        }
        if (clipped < c->min_clipped) {
            print_message("case %u %s: %u pixels clipped, want %u or more\n", k, c->name, clipped,
                          c->min_clipped);
            bad++;
        }
    }
    free(g);
    free(so);
    assert_int_equal(bad, 0);
    if (!(named[0] > 300 && named[1] > 350 && named[2] > 250 && named[3] > 100)) {
        fail_msg("planes named: near %u far %u user %u two %u", named[0], named[1], named[2],
                 named[3]);
    }
}

/* ---- the alpha test: soft's fates on gl ------------------------------------ */

#define ASTEPS 8u

/* the draw scene_with_ps / scene_with_vs make */
static int32_t g_shader_first;

static void draw_shader_quad(scene *s)
{
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, g_shader_first);
}

static void alpha_func(vgt_backend_draw_state *st, uint32_t func, float ref)
{
    st->alpha_test = true;
    st->alpha_func = func;
    st->alpha_ref = ref;
}

/* The alpha test's scenes, one step each (rec NULL: no probe), the probe
 * on the colour target or (on_depth) the depth/stencil buffer. */
static void run_alpha_scenes(scene *s, step_rec *rec, bool on_depth)
{
    enum { A80 = 0, A40 = 6, AFF = 12, A40_FAR = 18, N = 24 };
    tvert v[N];
    quad(v + A80, -1, -1, 1, 1, 0.5f, 0x80ff0000u);
    quad(v + A40, -1, -1, 1, 1, 0.4f, 0x4000ff00u);
    quad(v + AFF, -1, -1, 1, 1, 0.3f, 0xff0000ffu);
    quad(v + A40_FAR, -1, -1, 1, 1, 0.8f, 0x40ffff00u);
    scene_tverts(s, v, N);
    vgt_backend_draw_state *st = &s->st;
    arm(s, rec != NULL, on_depth);
    step_rec none;
    uint32_t i = 0;
#define STEP() take(s, rec ? &rec[i++] : &none)
    /* 0: a CLEAR */
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL,
                0xff102030u, 1.0f, 0);
    STEP();
    /* 1: EQUAL 0x40, one draw: alpha 0x80 rejected (primitive 0), 0x40
     * written (primitive 2) */
    alpha_func(st, VGT_SVGA3D_CMP_EQUAL, 64.0f / 255.0f);
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4, A80);
    STEP();
    /* 2: NEVER rejects alpha 0xff */
    alpha_func(st, VGT_SVGA3D_CMP_NEVER, 0.0f);
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, AFF);
    STEP();
    /* 3: GREATER 0.5 rejects 0x40 before the stencil test (NEVER: it would
     * reject it too): its ops (INCR on every path) are not taken, the
     * stencil stays 0 */
    alpha_func(st, VGT_SVGA3D_CMP_GREATER, 0.5f);
    st->stencil_enable = true;
    st->stencil_func = VGT_SVGA3D_CMP_NEVER;
    st->stencil_fail = st->stencil_zfail = st->stencil_pass = VGT_SVGA3D_STENCILOP_INCR;
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, A40);
    STEP();
    /* 4: LESS 0.5 passes 0x40, behind what step 1 wrote: the depth test
     * rejects it (zfail INCR: 0 -> 1) */
    alpha_func(st, VGT_SVGA3D_CMP_LESS, 0.5f);
    st->stencil_func = VGT_SVGA3D_CMP_ALWAYS;
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, A40_FAR);
    st->stencil_enable = false;
    STEP();
    /* 5: a ps_2_0 (oC0 = v0) under GREATER 0.5: 0x40 rejected */
    alpha_func(st, VGT_SVGA3D_CMP_GREATER, 0.5f);
    g_shader_first = A40;
    scene_with_ps(s, "ps_2_0\ndcl v0\nmov oC0, v0\n", draw_shader_quad);
    STEP();
    /* 6: the same, 0xff written */
    g_shader_first = AFF;
    scene_with_ps(s, "ps_2_0\ndcl v0\nmov oC0, v0\n", draw_shader_quad);
    STEP();
    /* 7: a vs_2_0 in front of the fixed-function pixel side: 0x40 rejected */
    g_shader_first = A40;
    scene_with_vs(s, "vs_2_0\ndcl_position v0\ndcl_color v1\nmov oPos, v0\nmov oD0, v1\n",
                  draw_shader_quad);
    st->alpha_test = false;
    st->alpha_func = VGT_SVGA3D_CMP_ALWAYS;
    STEP();
#undef STEP
    assert_int_equal(i, rec ? ASTEPS : 0);
    if (rec) {
        s->be.ops->fragment_probe(s->be.self, NULL, 0, 0);
    }
}

static const want_list g_want_alpha[ASTEPS] = {
    {1, {0}, {VGT_BACKEND_FATE_CLEARED}},
    {2, {0, 2}, {VGT_BACKEND_FATE_ALPHA, VGT_BACKEND_FATE_WRITTEN}},
    {1, {0}, {VGT_BACKEND_FATE_ALPHA}},
    {1, {0}, {VGT_BACKEND_FATE_ALPHA}},
    {1, {0}, {VGT_BACKEND_FATE_DEPTH}},
    {1, {0}, {VGT_BACKEND_FATE_ALPHA}},
    {1, {0}, {VGT_BACKEND_FATE_WRITTEN}},
    {1, {0}, {VGT_BACKEND_FATE_ALPHA}},
};

/* gl's lists against want and soft's, field by field (nsteps steps). */
static void compare_steps(const step_rec *gr, const step_rec *sr, const want_list *want,
                          uint32_t nsteps)
{
    for (uint32_t i = 0; i < nsteps; i++) {
        if (gr[i].n != want[i].n || sr[i].n != want[i].n) {
            fail_msg("step %u: gl %u fragments, soft %u, want %u", i, gr[i].n, sr[i].n, want[i].n);
        }
        for (uint32_t j = 0; j < gr[i].n; j++) {
            uint32_t fate = want[i].fate[j];
            if (fate == VGT_BACKEND_FATE_WRITTEN && gr[i].f[j].depth_target) {
                fate = VGT_BACKEND_FATE_PASSED;
            }
            if (gr[i].f[j].primitive != want[i].prim[j] || gr[i].f[j].fate != fate) {
                fail_msg("step %u fragment %u: gl primitive %u fate %u, want %u %u", i, j,
                         gr[i].f[j].primitive, gr[i].f[j].fate, want[i].prim[j], fate);
            }
            same_fragment(i, j, &gr[i].f[j], &sr[i].f[j]);
        }
        assert_pixels_close(gr[i].pixel, sr[i].pixel);
    }
}

/* A run of steps (rec NULL: no probe), the probe on the colour target
 * or (on_depth) the depth/stencil buffer. */
typedef void (*steps_fn)(scene *s, step_rec *rec, bool on_depth);

/* The steps run on gl probed, soft probed and gl without the probe: gl's
 * lists against want and soft's, field by field, and the gl target and
 * depth/stencil buffer probed as without the probe; gr, sr (nsteps each)
 * for the caller to free. */
static void steps_vs_soft(steps_fn run, uint32_t nsteps, const want_list *want, bool on_depth,
                          step_rec **pgr, step_rec **psr)
{
    step_rec *gr = calloc(nsteps, sizeof(*gr)), *sr = calloc(nsteps, sizeof(*sr));
    assert_non_null(gr);
    assert_non_null(sr);
    vgt_image im[3];
    uint8_t *ds[3];
    for (int k = 0; k < 3; k++) {
        /* gl probed, soft probed, gl without the probe */
        scene s;
        scene_init(&s, k == 1 ? "soft" : "gl", W, H, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
        run(&s, k == 2 ? NULL : k ? sr : gr, on_depth);
        scene_read(&s, &im[k]);
        ds[k] = malloc(W * H * 4);
        assert_non_null(ds[k]);
        vgt_error err = {0};
        vgt_svga3d_box box = {0, 0, 0, W, H, 1};
        assert_int_equal(
            s.be.ops->surface_download(s.be.self, s.ds, 0, 0, &box, ds[k], W * 4, W * H * 4, &err),
            VGT_OK);
        scene_fini(&s);
    }
    compare_steps(gr, sr, want, nsteps);
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            if (pixel_of(&im[0], x, y) != pixel_of(&im[2], x, y)) {
                fail_msg("pixel (%u,%u): %08x probed, %08x without the probe", x, y,
                         pixel_of(&im[0], x, y), pixel_of(&im[2], x, y));
            }
        }
    }
    assert_memory_equal(ds[0], ds[2], W * H * 4);
    for (int k = 0; k < 3; k++) {
        vgt_image_free(&im[k]);
        free(ds[k]);
    }
    *pgr = gr;
    *psr = sr;
}

/* The alpha test on gl: the fragment it rejects listed with soft's fate,
 * colour and stencil, before the stencil and depth tests, under fixed
 * function, a pixel shader and a vertex shader; the target and
 * depth/stencil buffer as without the probe. */
static void test_probe_alpha_vs_soft(void **state)
{
    (void)state;
    for (int on_depth = 0; on_depth < 2; on_depth++) {
        step_rec *gr, *sr;
        steps_vs_soft(run_alpha_scenes, ASTEPS, g_want_alpha, on_depth, &gr, &sr);
        /* the rejected fragment's colour before the test, no depth tested */
        const vgt_backend_fragment *a = &gr[1].f[0];
        assert_false(a->has_depth);
        assert_false(a->has_after);
        if (!on_depth) {
            assert_true(a->shaded);
            assert_int_equal(byte_of(a->color[0]), 255);
            assert_int_equal(byte_of(a->color[3]), 0x80);
            assert_int_equal(byte_of(gr[5].f[0].color[3]), 0x40);
            assert_true(gr[5].f[0].shader);
        }
        /* rejected before the stencil test: no op, the stencil unchanged;
         * the depth-rejected one after it took zfail */
        assert_int_equal(gr[3].f[0].stencil_path, 0);
        assert_int_equal(gr[3].f[0].stencil_after, 0);
        assert_int_equal(gr[4].f[0].stencil_path, 2);
        assert_int_equal(gr[4].f[0].stencil_after, 1);
        free(gr);
        free(sr);
    }
}

/* ---- texkill and oDepth: soft's fates on gl --------------------------------- */

#define KSTEPS 7u

/* texkill when t0.x (TEXCOORD0's u) is below 0.5: a quad's u runs 0..1
 * left to right, so the probed pixel (u 0.2) is killed; u + 1: never */
static const char ps20_kill[] = "ps_2_0\n"
                                "def c0, 0.5, 0, 0, 0\n"
                                "dcl t0.xy\n"
                                "dcl v0\n"
                                "sub r0, t0.xxxx, c0.xxxx\n"
                                "texkill r0\n"
                                "mov oC0, v0\n";
static const char vs30_pass[] = "vs_3_0\n"
                                "dcl_position v0\n"
                                "dcl_color v1\n"
                                "dcl_texcoord v2\n"
                                "dcl_position o0\n"
                                "dcl_color o1\n"
                                "dcl_texcoord o2\n"
                                "mov o0, v0\n"
                                "mov o1, v1\n"
                                "mov o2, v2\n";
static const char ps30_kill[] = "ps_3_0\n"
                                "def c0, 0.5, 0, 0, 0\n"
                                "dcl_color v0\n"
                                "dcl_texcoord v1.xy\n"
                                "sub r0, v1.xxxx, c0.xxxx\n"
                                "texkill r0\n"
                                "mov oC0, v0\n";
/* oDepth 0.2, whatever the triangle's depth */
static const char ps20_odepth[] = "ps_2_0\n"
                                  "def c0, 0.2, 0, 0, 0\n"
                                  "dcl v0\n"
                                  "mov oC0, v0\n"
                                  "mov oDepth, c0.x\n";

/* the two quads of a kill step: killed (u 0..1), then kept (u 1..2) */
static void draw_shader_pair(scene *s)
{
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4, g_shader_first);
}

static void draw_ps30_pair(scene *s)
{
    scene_with_ps(s, ps30_kill, draw_shader_pair);
}

/* A killed quad at z kz in colour kc, then a kept one at pz in pc. */
static void kill_pair(tvert *v, float kz, uint32_t kc, float pz, uint32_t pc)
{
    quad(v, -1, -1, 1, 1, kz, kc);
    quad(v + 6, -1, -1, 1, 1, pz, pc);
    for (int i = 6; i < 12; i++) {
        v[i].u += 1.0f;
    }
}

/* texkill's and oDepth's scenes, one step each (rec NULL: no probe). */
static void run_kill_scenes(scene *s, step_rec *rec, bool on_depth)
{
    enum { K1 = 0, K2 = 12, K3 = 24, K4 = 36, K5 = 48, KD = 60, N = 66 };
    tvert v[N];
    kill_pair(v + K1, 0.4f, 0xffff0000u, 0.6f, 0xff00ff00u);
    kill_pair(v + K2, 0.3f, 0xff0000ffu, 0.5f, 0xffffff00u);
    kill_pair(v + K3, 0.2f, 0x40ff00ffu, 0.45f, 0x4000ffffu);
    kill_pair(v + K4, 0.2f, 0xffff0000u, 0.45f, 0xffffffffu);
    kill_pair(v + K5, 0.2f, 0xffff0000u, 0.9f, 0xff808080u);
    quad(v + KD, -1, -1, 1, 1, 0.95f, 0xff4080c0u);
    scene_tverts(s, v, N);
    vgt_backend_draw_state *st = &s->st;
    arm(s, rec != NULL, on_depth);
    step_rec none;
    uint32_t i = 0;
#define STEP() take(s, rec ? &rec[i++] : &none)
    /* 0: a CLEAR */
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL,
                0xff102030u, 1.0f, 0);
    STEP();
    /* 1: a ps_2_0's texkill takes red in front (primitive 0), green
     * behind it is written (red wrote no depth) */
    g_shader_first = K1;
    scene_with_ps(s, ps20_kill, draw_shader_pair);
    STEP();
    /* 2: the same under a ps_3_0 (and its vs_3_0): blue killed, yellow
     * written in front of green */
    g_shader_first = K2;
    scene_with_vs(s, vs30_pass, draw_ps30_pair);
    STEP();
    /* 3: texkill before the alpha test (GREATER 0.5, both alphas 0x40):
     * the first killed, the second rejected by the alpha test */
    alpha_func(st, VGT_SVGA3D_CMP_GREATER, 0.5f);
    g_shader_first = K3;
    scene_with_ps(s, ps20_kill, draw_shader_pair);
    st->alpha_test = false;
    st->alpha_func = VGT_SVGA3D_CMP_ALWAYS;
    STEP();
    /* 4: texkill before the stencil test (NEVER, INCR on every path):
     * the killed one takes no op, the second fails it (0 -> 1) */
    st->stencil_enable = true;
    st->stencil_func = VGT_SVGA3D_CMP_NEVER;
    st->stencil_fail = st->stencil_zfail = st->stencil_pass = VGT_SVGA3D_STENCILOP_INCR;
    g_shader_first = K4;
    scene_with_ps(s, ps20_kill, draw_shader_pair);
    STEP();
    /* 5: stencil ALWAYS, the second behind: killed, then the depth test
     * (zfail INCR: 1 -> 2) */
    st->stencil_func = VGT_SVGA3D_CMP_ALWAYS;
    g_shader_first = K5;
    scene_with_ps(s, ps20_kill, draw_shader_pair);
    st->stencil_enable = false;
    STEP();
    /* 6: a quad at z 0.95, behind everything, whose shader writes oDepth
     * 0.2: in front, written */
    g_shader_first = KD;
    scene_with_ps(s, ps20_odepth, draw_shader_quad);
    STEP();
#undef STEP
    assert_int_equal(i, rec ? KSTEPS : 0);
    if (rec) {
        s->be.ops->fragment_probe(s->be.self, NULL, 0, 0);
    }
}

static const want_list g_want_kill[KSTEPS] = {
    {1, {0}, {VGT_BACKEND_FATE_CLEARED}},
    {2, {0, 2}, {VGT_BACKEND_FATE_TEXKILL, VGT_BACKEND_FATE_WRITTEN}},
    {2, {0, 2}, {VGT_BACKEND_FATE_TEXKILL, VGT_BACKEND_FATE_WRITTEN}},
    {2, {0, 2}, {VGT_BACKEND_FATE_TEXKILL, VGT_BACKEND_FATE_ALPHA}},
    {2, {0, 2}, {VGT_BACKEND_FATE_TEXKILL, VGT_BACKEND_FATE_STENCIL}},
    {2, {0, 2}, {VGT_BACKEND_FATE_TEXKILL, VGT_BACKEND_FATE_DEPTH}},
    {1, {0}, {VGT_BACKEND_FATE_WRITTEN}},
};

/* texkill on gl: the fragment a ps_2_0's or a ps_3_0's texkill discards
 * listed with soft's fate, its colour, no depth test or stencil op, before
 * the alpha, stencil and depth tests; oDepth marked as the shader's, its
 * depth as stored; on the colour target and the depth/stencil buffer, the
 * target and buffer as without the probe. */
static void test_probe_texkill_vs_soft(void **state)
{
    (void)state;
    for (int on_depth = 0; on_depth < 2; on_depth++) {
        step_rec *gr, *sr;
        steps_vs_soft(run_kill_scenes, KSTEPS, g_want_kill, on_depth, &gr, &sr);
        for (uint32_t i = 1; i <= 5; i++) {
            const vgt_backend_fragment *k = &gr[i].f[0];
            assert_false(k->has_depth);
            assert_false(k->has_after);
            assert_int_equal(k->stencil_path, 0);
            assert_int_equal(k->shaded, !on_depth);
            assert_true(k->depth_target == (bool)on_depth);
        }
        if (!on_depth) {
            /* the killed fragments' colours: the shader's oC0 */
            assert_int_equal(byte_of(gr[1].f[0].color[0]), 255);
            assert_int_equal(byte_of(gr[2].f[0].color[2]), 255);
            assert_int_equal(byte_of(gr[3].f[0].color[3]), 0x40);
            assert_true(gr[1].f[0].shader);
            /* the kept one written after the killed one */
            assert_int_equal(byte_of(gr[1].f[1].after[1]), 255);
            assert_int_equal(byte_of(gr[2].f[1].after[0]), 255);
        }
        /* the killed one left the stencil alone; the second took its op */
        assert_int_equal(gr[4].f[0].stencil_after, 0);
        assert_int_equal(gr[4].f[1].stencil_path, 1);
        assert_int_equal(gr[4].f[1].stencil_after, 1);
        assert_int_equal(gr[5].f[1].stencil_path, 2);
        assert_int_equal(gr[5].f[1].stencil_after, 2);
        /* oDepth: the shader's 0.2, stored, tested against yellow's 0.5 */
        const vgt_backend_fragment *d = &gr[6].f[0];
        assert_true(d->z_written);
        assert_true(d->has_depth);
        assert_true(d->z_quant + 2u >= 0x333333u && d->z_quant <= 0x333333u + 2u);
        assert_true(d->z_buffer > d->z_quant);
        assert_false(gr[1].f[1].z_written);
        free(gr);
        free(sr);
    }
}

/* texkill on part of a triangle: a quad behind (never killed), a triangle
 * in front whose u runs 0..1 left to right (killed left of the middle). */
static void kill_every_setup(scene *s)
{
    tvert v[9];
    quad(v, -1, -1, 1, 1, 0.6f, 0xff00ff00u);
    for (int i = 0; i < 6; i++) {
        v[i].u += 1.0f;
    }
    v[6] = cv4(-0.9f, -0.9f, 0.3f);
    v[7] = cv4(0.9f, -0.9f, 0.3f);
    v[8] = cv4(-0.9f, 0.9f, 0.3f);
    v[7].u = 1.0f;
    scene_tverts(s, v, 9);
}

static void draw_kill_every(scene *s)
{
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 3, 0);
}

static void kill_every_draw(scene *s)
{
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xff000000u, 1.0f, 0);
    scene_with_ps(s, ps20_kill, draw_kill_every);
}

/* Every pixel of the partly killed triangle over the quad: gl's lists
 * (killed on the left, written on the right) are soft's. */
static void test_probe_texkill_every_pixel(void **state)
{
    (void)state;
    pix_list *g = calloc(CW * CW, sizeof(*g)), *so = calloc(CW * CW, sizeof(*so));
    assert_non_null(g);
    assert_non_null(so);
    every_pixel("gl", "texkill", kill_every_setup, kill_every_draw, g);
    every_pixel("soft", "texkill", kill_every_setup, kill_every_draw, so);
    uint32_t killed, later, written, l2;
    assert_int_equal(diff_pixels("texkill", g, so, VGT_BACKEND_FATE_TEXKILL, &killed, &later), 0);
    (void)diff_pixels("texkill", g, so, VGT_BACKEND_FATE_WRITTEN, &written, &l2);
    /* the triangle's left part killed, its right part and the quad
     * elsewhere written */
    if (killed < 40 || later < 80 || written < CW * CW + 20) {
        fail_msg("texkill: %u killed, %u of the triangle, %u written", killed, later, written);
    }
    free(g);
    free(so);
}

/* ---- no depth buffer: the fragment's own depth ------------------------------ */

#define NSTEPS 8u

/* A full quad whose depth runs from zl at the left edge to zr at the right. */
static void slope_quad(tvert *v, float zl, float zr, uint32_t c)
{
    quad(v, -1, -1, 1, 1, 0.5f, c);
    for (int i = 0; i < 6; i++) {
        v[i].z = zl + (zr - zl) * (v[i].x + 1.0f) * 0.5f;
    }
}

/* Scenes drawn without a depth buffer, one step each (rec NULL: no probe;
 * on_depth unused: there is no depth buffer to follow). */
static void run_nodepth_scenes(scene *s, step_rec *rec, bool on_depth)
{
    (void)on_depth;
    enum { N1 = 0, N2 = 6, NK = 12, NA = 24, ND = 30, NC = 36, N = 42 };
    tvert v[N];
    quad(v + N1, -1, -1, 1, 1, 0.5f, 0xffff0000u);
    slope_quad(v + N2, 0.1f, 0.9f, 0xff00ff00u);
    kill_pair(v + NK, 0.4f, 0xff0000ffu, 0.6f, 0xffffff00u);
    quad(v + NA, -1, -1, 1, 1, 0.3f, 0x40ff00ffu);
    quad(v + ND, -1, -1, 1, 1, 0.95f, 0xff4080c0u);
    quad(v + NC, -1, -1, 1, 1, 0.1f, 0xff808080u);
    scene_tverts(s, v, N);
    vgt_backend_draw_state *st = &s->st;
    if (rec) {
        s->be.ops->fragment_probe(s->be.self, &st->color_targets[0], PX, PY);
    }
    step_rec none;
    uint32_t i = 0;
#define STEP() take(s, rec ? &rec[i++] : &none)
    /* 0: a CLEAR of the colour */
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff102030u, 1.0f, 0);
    STEP();
    /* 1: a flat quad at z 0.5 */
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, N1);
    STEP();
    /* 2: a sloped one, z 0.1 at the left edge to 0.9 at the right (0.25
     * at the pixel) */
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, N2);
    STEP();
    /* 3: the same under SETZRANGE 0.25..0.75 (0.375 at the pixel) */
    st->z_min = 0.25f;
    st->z_max = 0.75f;
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, N2);
    st->z_min = 0.0f;
    st->z_max = 1.0f;
    STEP();
    /* 4: texkill takes the first (z 0.4), the second written (0.6) */
    g_shader_first = NK;
    scene_with_ps(s, ps20_kill, draw_shader_pair);
    STEP();
    /* 5: alpha 0x40 fails ALPHAFUNC GREATER 0.5 (z 0.3) */
    alpha_func(st, VGT_SVGA3D_CMP_GREATER, 0.5f);
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NA);
    st->alpha_test = false;
    st->alpha_func = VGT_SVGA3D_CMP_ALWAYS;
    STEP();
    /* 6: a quad at z 0.95 whose shader writes oDepth 0.2 */
    g_shader_first = ND;
    scene_with_ps(s, ps20_odepth, draw_shader_quad);
    STEP();
    /* 7: culled: never rasterized, no depth */
    st->cull_face = VGT_SVGA3D_FACE_FRONT;
    draw_at(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NC);
    st->cull_face = VGT_SVGA3D_FACE_NONE;
    STEP();
#undef STEP
    assert_int_equal(i, rec ? NSTEPS : 0);
    if (rec) {
        s->be.ops->fragment_probe(s->be.self, NULL, 0, 0);
    }
}

static const want_list g_want_nodepth[NSTEPS] = {
    {1, {0}, {VGT_BACKEND_FATE_CLEARED}},
    {1, {0}, {VGT_BACKEND_FATE_WRITTEN}},
    {1, {0}, {VGT_BACKEND_FATE_WRITTEN}},
    {1, {0}, {VGT_BACKEND_FATE_WRITTEN}},
    {2, {0, 2}, {VGT_BACKEND_FATE_TEXKILL, VGT_BACKEND_FATE_WRITTEN}},
    {1, {0}, {VGT_BACKEND_FATE_ALPHA}},
    {1, {0}, {VGT_BACKEND_FATE_WRITTEN}},
    {1, {0}, {VGT_BACKEND_FATE_CULLED_FRONT}},
};

/* gl's z of a rasterized fragment without a depth buffer: a float GL's
 * rasterizer interpolated, soft's its own; 2^-16 apart at most. */
#define Z_TOL (1.0f / 65536.0f)

/* Without a depth buffer gl knows each rasterized fragment's depth (drawn
 * into a depth texture of the probe's own), as soft does: the draw's
 * depth range kept, a texkilled and an alpha-rejected fragment's too, a
 * shader's oDepth; no comparison (has_depth false); a culled one none;
 * the target as without the probe. */
static void test_probe_no_depth_vs_soft(void **state)
{
    (void)state;
    step_rec gr[NSTEPS], sr[NSTEPS];
    vgt_image im[3];
    for (int k = 0; k < 3; k++) {
        /* gl probed, soft probed, gl without the probe */
        scene s;
        scene_init(&s, k == 1 ? "soft" : "gl", W, H, VGT_SVGA3D_A8R8G8B8, 0);
        run_nodepth_scenes(&s, k == 2 ? NULL : k ? sr : gr, false);
        scene_read(&s, &im[k]);
        scene_fini(&s);
    }
    compare_steps(gr, sr, g_want_nodepth, NSTEPS);
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            if (pixel_of(&im[0], x, y) != pixel_of(&im[2], x, y)) {
                fail_msg("pixel (%u,%u): %08x probed, %08x without the probe", x, y,
                         pixel_of(&im[0], x, y), pixel_of(&im[2], x, y));
            }
        }
    }
    for (int k = 0; k < 3; k++) {
        vgt_image_free(&im[k]);
    }
    const float want[NSTEPS][2] = {{0}, {0.5f}, {0.25f}, {0.375f}, {0.4f, 0.6f}, {0.3f}, {0.2f}};
    for (uint32_t i = 1; i < NSTEPS - 1; i++) {
        for (uint32_t j = 0; j < gr[i].n; j++) {
            const vgt_backend_fragment *g = &gr[i].f[j], *so = &sr[i].f[j];
            assert_false(g->z_unknown);
            assert_false(g->has_depth);
            if (!near(g->z, so->z, Z_TOL) || !near(g->z, want[i][j], 1.0f / 1024.0f)) {
                fail_msg("step %u fragment %u: gl z %.9f, soft %.9f, want %.4f", i, j, (double)g->z,
                         (double)so->z, (double)want[i][j]);
            }
        }
    }
    assert_true(gr[6].f[0].z_written);
    assert_true(sr[6].f[0].z_written);
    assert_true(gr[7].f[0].z_unknown);
}

/* The sloped quad probed at every pixel of a row on both backends: gl's
 * z against soft's (the largest difference printed). */
static void test_probe_no_depth_slope(void **state)
{
    (void)state;
    float z[2][W];
    for (int k = 0; k < 2; k++) {
        scene s;
        scene_init(&s, k ? "soft" : "gl", W, H, VGT_SVGA3D_A8R8G8B8, 0);
        tvert v[6];
        slope_quad(v, 0.0f, 1.0f, 0xff00ff00u);
        scene_tverts(&s, v, 6);
        for (uint32_t x = 0; x < W; x++) {
            s.be.ops->fragment_probe(s.be.self, &s.st.color_targets[0], x, PY);
            scene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
            vgt_backend_fragment f[4];
            uint64_t dropped;
            assert_int_equal(s.be.ops->fragment_take(s.be.self, f, 4, &dropped), 1);
            assert_int_equal(f[0].fate, VGT_BACKEND_FATE_WRITTEN);
            assert_false(f[0].z_unknown);
            z[k][x] = f[0].z;
        }
        s.be.ops->fragment_probe(s.be.self, NULL, 0, 0);
        scene_fini(&s);
    }
    float worst = 0.0f;
    for (uint32_t x = 0; x < W; x++) {
        /* Direct3D 9 samples pixel x at x (its half-pixel offset), the
         * depth 0..1 left to right */
        float want = (float)x / (float)W;
        if (!near(z[0][x], z[1][x], Z_TOL) || !near(z[0][x], want, 1.0f / 1024.0f)) {
            fail_msg("x %u: gl z %.9f, soft %.9f, want %.6f", x, (double)z[0][x], (double)z[1][x],
                     (double)want);
        }
        float d = fabsf(z[0][x] - z[1][x]);
        worst = d > worst ? d : worst;
    }
    print_message("no depth buffer: gl's z within %.3g of soft's (%.2f units of 2^-24)\n",
                  (double)worst, (double)(worst * 16777216.0f));
}

/* ---- triangle fans and instanced draws, every pixel ------------------------- */

/* A fan around (0, 0.1): the centre, then 8 rim vertices (7 triangles)
 * at depth z in colour c. */
static void fan_verts(tvert *v, float z, uint32_t c)
{
    v[0] = cv4(0.05f, 0.1f, z);
    const float rim[8][2] = {{-1.1f, 0.92f}, {-0.2f, 1.3f},  {0.8f, 0.95f},  {1.2f, 0.1f},
                             {0.9f, -0.9f},  {-0.1f, -1.2f}, {-0.9f, -0.8f}, {-1.2f, -0.1f}};
    for (uint32_t i = 0; i < 8; i++) {
        v[1 + i] = cv4(rim[i][0], rim[i][1], z);
    }
    for (uint32_t i = 0; i < 9; i++) {
        v[i].color = c;
    }
}

static void fan_setup(scene *s)
{
    tvert v[27];
    fan_verts(v, 0.5f, 0xffff0000u);      /* drawn as it is */
    fan_verts(v + 9, 0.6f, 0xff00ff00u);  /* indexed, behind */
    fan_verts(v + 18, 0.3f, 0xff0000ffu); /* indexed from vertex 18, in front */
    scene_tverts(s, v, 27);
    /* the second fan's indices, and the third's (its first two triangles
     * skipped: the range starts at the centre, then rim vertex 3) */
    const uint16_t idx[16] = {9, 10, 11, 12, 13, 14, 15, 16, 17, 0, 3, 4, 5, 6, 7, 8};
    scene_indices(s, idx, sizeof(idx));
}

static void fan_draw(scene *s)
{
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xff000000u, 1.0f, 0);
    vgt_error err = {0};
    s->st.cull_face = VGT_SVGA3D_FACE_NONE;
    if (scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN, 7, 0, 0, 0, &err) != VGT_OK ||
        scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN, 7, 2, 0, 0, &err) != VGT_OK) {
        fail_msg("%s: fan: %s", s->name, err.message);
    }
    /* the third with its index bias under CULLMODE FRONT: its triangles,
     * clockwise on screen (front faces), culled */
    s->st.cull_face = VGT_SVGA3D_FACE_FRONT;
    if (scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN, 5, 2, 18, 18, &err) != VGT_OK) {
        fail_msg("%s: fan: %s", s->name, err.message);
    }
    s->st.cull_face = VGT_SVGA3D_FACE_NONE;
}

/* The fans drawn one triangle at a time on gl, as soft lists them: every
 * pixel's fragments (written, the depth test failed, culled), triangles
 * after the first included (a fan of their own). */
static void test_probe_fans_vs_soft(void **state)
{
    (void)state;
    pix_list *g = calloc(CW * CW, sizeof(*g)), *so = calloc(CW * CW, sizeof(*so));
    assert_non_null(g);
    assert_non_null(so);
    every_pixel("gl", "fans", fan_setup, fan_draw, g);
    every_pixel("soft", "fans", fan_setup, fan_draw, so);
    uint32_t culled, later;
    assert_int_equal(diff_pixels("fans", g, so, VGT_BACKEND_FATE_CULLED_FRONT, &culled, &later), 0);
    uint32_t depth, l2;
    (void)diff_pixels("fans", g, so, VGT_BACKEND_FATE_DEPTH, &depth, &l2);
    /* most pixels have a fragment of each fan, the third's culled (a
     * rim vertex off (-1.1, 0.9), where the first triangle's edge runs
     * through pixel (1, 0)'s centre: gl and soft break that tie apart) */
    if (culled < 100 || depth < 150 || later < 400) {
        fail_msg("fans: %u culled, %u depth-rejected, %u of a later triangle", culled, depth,
                 later);
    }
    free(g);
    free(so);
}

/* Four instances of a quad, each moved by its instance's offset (a
 * vs_2_0): 0 at z 0.5, 1 behind it, 2 to the right, 3 in front, up and
 * left. */
static void inst_setup(scene *s)
{
    tvert v[6];
    quad(v, -0.5f, -0.5f, 0.5f, 0.5f, 0.5f, 0xffffffffu);
    scene_tverts(s, v, 6);
    const struct {
        float off[4];
        uint32_t color;
    } inst[4] = {{{0, 0, 0, 0}, 0xffff0000u},
                 {{0.1f, 0.1f, 0.2f, 0}, 0xff00ff00u},
                 {{0.7f, 0, 0, 0}, 0xff0000ffu},
                 {{-0.3f, 0.3f, -0.2f, 0}, 0xffffff00u}};
    uint32_t bytes = sizeof(inst);
    vgt_backend_surface *ib =
        scene_define(s, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, bytes, 1, 1, 1, 1);
    scene_upload(s, ib, 0, 0, inst);
    vgt_backend_draw_state *st = &s->st;
    st->element_count = 1; /* the position */
    scene_element(st, ib, bytes, 0, sizeof(inst[0]), VGT_SVGA3D_DECLTYPE_FLOAT4,
                  VGT_SVGA3D_DECLUSAGE_TEXCOORD);
    scene_element(st, ib, bytes, 16, sizeof(inst[0]), VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                  VGT_SVGA3D_DECLUSAGE_COLOR);
    st->elements[1].divisor = VGT_SVGA3D_DIVISOR_INSTANCE_DATA | 1u;
    st->elements[2].divisor = VGT_SVGA3D_DIVISOR_INSTANCE_DATA | 1u;
    st->instance_count = 4;
    const uint16_t idx[6] = {0, 1, 2, 3, 4, 5};
    scene_indices(s, idx, sizeof(idx));
}

static bool g_inst_indexed; /* inst_quads draws through 16-bit indices */

static void inst_quads(scene *s)
{
    vgt_error err = {0};
    if (scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, g_inst_indexed ? 2 : 0, 0, 0,
                      &err) != VGT_OK) {
        fail_msg("%s: instanced draw: %s", s->name, err.message);
    }
}

static void inst_draw(scene *s)
{
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xff000000u, 1.0f, 0);
    scene_with_vs(s,
                  "vs_2_0\ndcl_position v0\ndcl_texcoord v1\ndcl_color v2\n"
                  "add oPos, v0, v1\nmov oD0, v2\n",
                  inst_quads);
}

/* An instanced draw, each instance drawn alone by its base instance:
 * every pixel's fragments with their instance, as soft lists them; not
 * indexed and indexed. */
static void test_probe_instanced_vs_soft(void **state)
{
    (void)state;
    pix_list *g = calloc(CW * CW, sizeof(*g)), *so = calloc(CW * CW, sizeof(*so));
    assert_non_null(g);
    assert_non_null(so);
    for (int indexed = 0; indexed < 2; indexed++) {
        g_inst_indexed = indexed;
        every_pixel("gl", "instanced", inst_setup, inst_draw, g);
        every_pixel("soft", "instanced", inst_setup, inst_draw, so);
        uint32_t depth, later;
        assert_int_equal(diff_pixels("instanced", g, so, VGT_BACKEND_FATE_DEPTH, &depth, &later),
                         0);
        /* instance 1 behind instance 0 where they overlap; every instance seen */
        uint32_t seen = 0;
        for (uint32_t i = 0; i < CW * CW; i++) {
            for (uint32_t j = 0; j < g[i].n; j++) {
                if (g[i].fate[j] != VGT_BACKEND_FATE_CLEARED) {
                    seen |= 1u << g[i].instance[j];
                }
            }
        }
        assert_int_equal(seen, 0xfu);
        if (depth < 20) {
            fail_msg("instanced: %u depth-rejected fragments", depth);
        }
    }
    free(g);
    free(so);
}

/* inst_setup's draw with other instance data: the offsets advancing every
 * second instance (0 and 1 at one place, 2 and 3 at another) and each
 * instance its colour (mixed steps: no one base instance reads both), or
 * the colour one value of stride 0 for every instance. */
static bool g_inst_stride0;

static void inst_steps_setup(scene *s)
{
    tvert v[6];
    quad(v, -0.5f, -0.5f, 0.5f, 0.5f, 0.5f, 0xffffffffu);
    scene_tverts(s, v, 6);
    const float off[2][4] = {{0, 0, 0, 0}, {0.3f, 0.2f, -0.2f, 0}};
    const uint32_t color[4] = {0xffff0000u, 0xff00ff00u, 0xff0000ffu, 0xffffff00u};
    vgt_backend_surface *ob =
        scene_define(s, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, 32, 1, 1, 1, 1);
    scene_upload(s, ob, 0, 0, off);
    vgt_backend_surface *cb =
        scene_define(s, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, 16, 1, 1, 1, 1);
    scene_upload(s, cb, 0, 0, color);
    vgt_backend_draw_state *st = &s->st;
    st->element_count = 1; /* the position */
    scene_element(st, ob, 32, 0, 16, VGT_SVGA3D_DECLTYPE_FLOAT4, VGT_SVGA3D_DECLUSAGE_TEXCOORD);
    scene_element(st, cb, 16, g_inst_stride0 ? 8 : 0, g_inst_stride0 ? 0 : 4,
                  VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR);
    st->elements[1].divisor = VGT_SVGA3D_DIVISOR_INSTANCE_DATA | 2u;
    st->elements[2].divisor = g_inst_stride0 ? 0 : VGT_SVGA3D_DIVISOR_INSTANCE_DATA | 1u;
    st->instance_count = 4;
    const uint16_t idx[6] = {0, 1, 2, 3, 4, 5};
    scene_indices(s, idx, sizeof(idx));
}

/* The fragments at pixel (8, 8), which every instance covers, on backend
 * kind: their colours (0xAARRGGBB by byte_of) into c (4). */
static void inst_steps_colors(const char *kind, uint32_t c[4])
{
    scene s;
    scene_init(&s, kind, CW, CW, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
    inst_steps_setup(&s);
    s.be.ops->fragment_probe(s.be.self, &s.st.color_targets[0], 8, 8);
    inst_draw(&s);
    vgt_backend_fragment f[PIX_MAX];
    uint64_t dropped = 0;
    assert_int_equal(s.be.ops->fragment_take(s.be.self, f, PIX_MAX, &dropped), 5);
    for (uint32_t i = 0; i < 4; i++) {
        const vgt_backend_fragment *x = &f[1 + i]; /* after the CLEAR */
        assert_int_equal(x->instance, i);
        assert_int_equal(x->fate, VGT_BACKEND_FATE_WRITTEN);
        c[i] = byte_of(x->color[3]) << 24 | byte_of(x->color[0]) << 16 | byte_of(x->color[1]) << 8 |
               byte_of(x->color[2]);
    }
    scene_fini(&s);
}

/* Instance data advancing every second instance, and a stride-0 colour:
 * every pixel's fragments with their instance (and colour or not) as soft
 * lists them, not indexed and indexed; the colours the instances read. */
static void test_probe_instanced_steps_vs_soft(void **state)
{
    (void)state;
    pix_list *g = calloc(CW * CW, sizeof(*g)), *so = calloc(CW * CW, sizeof(*so));
    assert_non_null(g);
    assert_non_null(so);
    for (int k = 0; k < 4; k++) {
        g_inst_stride0 = k >= 2;
        g_inst_indexed = k & 1;
        every_pixel("gl", "instanced steps", inst_steps_setup, inst_draw, g);
        every_pixel("soft", "instanced steps", inst_steps_setup, inst_draw, so);
        uint32_t written, later;
        assert_int_equal(
            diff_pixels("instanced steps", g, so, VGT_BACKEND_FATE_WRITTEN, &written, &later), 0);
        uint32_t seen = 0;
        for (uint32_t i = 0; i < CW * CW; i++) {
            for (uint32_t j = 0; j < g[i].n; j++) {
                if (g[i].fate[j] != VGT_BACKEND_FATE_CLEARED) {
                    seen |= 1u << g[i].instance[j];
                }
            }
        }
        assert_int_equal(seen, 0xfu);
        /* instances 0 and 1 (2 and 3) at one place: each pixel of the
         * pairs' quads lists both, the second written at the same depth */
        if (written < 4 * 40) {
            fail_msg("instanced steps %d: %u written fragments", k, written);
        }
        /* each instance's colour: its own, or the stride-0 one */
        uint32_t gc[4], sc[4];
        inst_steps_colors("gl", gc);
        inst_steps_colors("soft", sc);
        for (uint32_t i = 0; i < 4; i++) {
            const uint32_t own[4] = {0xffff0000u, 0xff00ff00u, 0xff0000ffu, 0xffffff00u};
            assert_int_equal(gc[i], g_inst_stride0 ? 0xff0000ffu : own[i]);
            assert_int_equal(gc[i], sc[i]);
        }
    }
    free(g);
    free(so);
}

/* ---- the vertex stream frequency: ranges drawn from copies ----------------- */

static const char vs30_color[] = "vs_3_0\n"
                                 "dcl_position v0\n"
                                 "dcl_color v1\n"
                                 "dcl_position o0\n"
                                 "dcl_color o1\n"
                                 "mov o0, v0\n"
                                 "mov o1, v1\n";
static const char ps30_color[] = "ps_3_0\n"
                                 "dcl_color v0\n"
                                 "mov oC0, v0\n";

/* Positions per vertex; the colour from a buffer of its own, every third
 * vertex under the stream frequency (divisor count 3, no flag). */
static void freq_setup(scene *s)
{
    tvert v[22];
    quad(v, -1, -1, 1, 1, 0.6f, 0);         /* range 0: per vertex */
    quad(v + 6, -1, -1, 0.2f, 1, 0.4f, 0);  /* range 1: 4 triangles, */
    quad(v + 12, -0.2f, -1, 1, 1, 0.5f, 0); /* one colour each */
    tvert q[6];                             /* range 2: a strip in front */
    quad(q, -0.6f, -0.6f, 0.1f, 0.1f, 0.2f, 0);
    v[18] = q[0]; /* tl, tr, bl, br */
    v[19] = q[1];
    v[20] = q[2];
    v[21] = q[5];
    scene_tverts(s, v, 22);
    const uint32_t color[8] = {0xffff0000u, 0xff00ff00u, 0xff0000ffu, 0xffffff00u,
                               0xff00ffffu, 0xffff00ffu, 0xff808080u, 0xffffffffu};
    vgt_backend_surface *cb =
        scene_define(s, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, 32, 1, 1, 1, 1);
    scene_upload(s, cb, 0, 0, color);
    vgt_backend_draw_state *st = &s->st;
    st->element_count = 1; /* the position */
    scene_element(st, cb, 32, 0, 4, VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR);
    st->elements[1].divisor = 3u;
}

/* One draw of four ranges: 0 (2 triangles from vertex 0) read per
 * vertex, 1 (4 triangles from vertex 6: colours 2..5), 2 (a strip from
 * vertex 18: colours 6 and 7) and 3 (range 2 again: its copy equals 2's,
 * written over it at the same depth) under the stream frequency. */
static void freq_ranges(scene *s)
{
    const vgt_backend_draw_range r[4] = {
        {.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
         .primitive_count = 2,
         .vertex_count = 6,
         .index_bias = 0},
        {.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
         .primitive_count = 4,
         .vertex_count = 12,
         .index_bias = 6,
         .stream_frequency = true},
        {.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP,
         .primitive_count = 2,
         .vertex_count = 4,
         .index_bias = 18,
         .stream_frequency = true},
        {.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP,
         .primitive_count = 2,
         .vertex_count = 4,
         .index_bias = 18,
         .stream_frequency = true},
    };
    vgt_backend_draw_stats stats = {0};
    vgt_error err = {0};
    if (s->be.ops->draw(s->be.self, &s->st, r, 4, &stats, &err) != VGT_OK) {
        fail_msg("%s: stream frequency draw: %s", s->name, err.message);
    }
}

static void draw_freq_ps(scene *s)
{
    scene_with_ps(s, ps30_color, freq_ranges);
}

static void freq_draw(scene *s)
{
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xff000000u, 1.0f, 0);
    scene_with_vs(s, vs30_color, draw_freq_ps);
}

/* Ranges under the vertex stream frequency (gl draws each from a copy)
 * recorded with their range and primitive numbers and the colours their
 * divided element gives, as soft lists them at every pixel. */
static void test_probe_stream_frequency_vs_soft(void **state)
{
    (void)state;
    pix_list *g = calloc(CW * CW, sizeof(*g)), *so = calloc(CW * CW, sizeof(*so));
    assert_non_null(g);
    assert_non_null(so);
    every_pixel("gl", "stream frequency", freq_setup, freq_draw, g);
    every_pixel("soft", "stream frequency", freq_setup, freq_draw, so);
    uint32_t depth, later;
    assert_int_equal(diff_pixels("stream frequency", g, so, VGT_BACKEND_FATE_DEPTH, &depth, &later),
                     0);
    /* every range's fragments seen, each divided triangle's */
    uint32_t seen[4] = {0};
    for (uint32_t i = 0; i < CW * CW; i++) {
        for (uint32_t j = 0; j < g[i].n; j++) {
            if (g[i].fate[j] != VGT_BACKEND_FATE_CLEARED && g[i].range[j] < 4) {
                seen[g[i].range[j]] |= 1u << g[i].prim[j];
            }
        }
    }
    assert_int_equal(seen[0], 0x3u);
    assert_int_equal(seen[1], 0xfu);
    assert_int_equal(seen[2], 0x3u);
    assert_int_equal(seen[3], 0x3u);
    /* range 1's triangle 0 (colour 2, blue) at the top left */
    const pix_list *tl = &g[1 * CW + 1];
    bool blue = false;
    for (uint32_t j = 0; j < tl->n; j++) {
        blue |= tl->range[j] == 1 && tl->prim[j] == 0 && byte_of(tl->color[j][2]) == 255 &&
                byte_of(tl->color[j][0]) == 0 && byte_of(tl->color[j][1]) == 0;
    }
    assert_true(blue);
    if (depth < 40) { /* the two quads of range 1 overlap on 3 columns */
        fail_msg("stream frequency: %u depth-rejected fragments", depth);
    }
    free(g);
    free(so);
}

int main(void)
{
    pin_mesa_driver();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe_gl_vs_soft),
        cmocka_unit_test(test_probe_depth_target),
        cmocka_unit_test(test_probe_leaves_target),
        cmocka_unit_test(test_probe_cube_faces_vs_soft),
        cmocka_unit_test(test_probe_cube_other_face),
        cmocka_unit_test(test_probe_cap),
        cmocka_unit_test(test_probe_guest_query),
        cmocka_unit_test(test_probe_no_depth_vs_soft),
        cmocka_unit_test(test_probe_no_depth_slope),
        cmocka_unit_test(test_probe_clipped_vs_soft),
        cmocka_unit_test(test_probe_alpha_vs_soft),
        cmocka_unit_test(test_probe_texkill_vs_soft),
        cmocka_unit_test(test_probe_texkill_every_pixel),
        cmocka_unit_test(test_probe_fans_vs_soft),
        cmocka_unit_test(test_probe_instanced_vs_soft),
        cmocka_unit_test(test_probe_instanced_steps_vs_soft),
        cmocka_unit_test(test_probe_stream_frequency_vs_soft),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
