/* test_gl_clear.c - CLEAR with a rect list on gl: the union of the rects
 * cleared once per image (gl_clear.c), by scissored glClears or by quads
 * drawn with depth ALWAYS and stencil REPLACE, against the rects' own
 * pixels and the soft backend's, byte for byte; and its bound: the
 * rectangles, glClears and draw calls a CLEAR costs (vgt_gl_counters). */
#include <stdlib.h>
#include <string.h>

#include "gl_test_util.h"
#include "vgt_test_random.h"

#define ALL_FLAGS (VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL)

/* The colour, depth and stencil of the CLEAR before the rects, and of theirs. */
#define OLD_COLOR   0xff102030u
#define OLD_DEPTH   0.25f
#define OLD_STENCIL 0x5au
#define NEW_COLOR   0x80c0a060u
#define NEW_DEPTH   0.75f
#define NEW_STENCIL 0xa7u

/* Overlapping, duplicated, nested, partly and wholly outside, empty and
 * touching rects on a 61 x 47 image (the backends get rects whose
 * x + w and y + h the executor kept within INT32_MAX). */
static const vgt_svga3d_rect mixed[] = {
    {1, 1, 5, 4},       {3, 2, 6, 5},    {1, 1, 5, 4}, /* overlapping, duplicated */
    {2, 2, 2, 1},                                      /* nested */
    {50, 40, 100, 100},                                /* partly outside */
    {70, 3, 4, 4},      {0, 60, 5, 5},                 /* wholly outside */
    {5, 5, 0, 3},       {5, 5, 3, 0},                  /* empty */
    {8, 0, 2, 3},       {10, 0, 2, 3},                 /* touching side by side */
    {8, 3, 4, 2},                                      /* touching below */
    {0, 8, 2, 2},       {4, 8, 2, 2},    {12, 7, 4, 5}, {0, 20, 61, 1}, /* row 20, end to end */
    {30, 10, 10, 10},   {30, 20, 10, 6},                                /* stacked: one rectangle */
};

enum { W = 61, H = 47, NRAND = 300 };

/* mixed, then NRAND pseudo-random rects, some past the edges */
static vgt_svga3d_rect *test_rects(uint32_t *n)
{
    uint32_t nm = sizeof(mixed) / sizeof(mixed[0]);
    vgt_svga3d_rect *r = malloc((nm + NRAND) * sizeof(*r));
    assert_non_null(r);
    memcpy(r, mixed, sizeof(mixed));
    rng g = {4242};
    for (uint32_t i = 0; i < NRAND; i++) {
        uint32_t x = rn(&g, W + 8), y = rn(&g, H + 8), w = rn(&g, 12);
        r[nm + i] = (vgt_svga3d_rect){x, y, w, rn(&g, 9)};
    }
    *n = nm + NRAND;
    return r;
}

/* Whether pixel (x, y) is in one of the rects. */
static bool covered(const vgt_svga3d_rect *r, uint32_t n, uint32_t x, uint32_t y)
{
    for (uint32_t i = 0; i < n; i++) {
        if (x >= r[i].x && (uint64_t)x < (uint64_t)r[i].x + r[i].w && y >= r[i].y &&
            (uint64_t)y < (uint64_t)r[i].y + r[i].h) {
            return true;
        }
    }
    return false;
}

/* The bytes of image (face, mip 0) of surface, 4 bytes a pixel. */
static uint8_t *download(scene *s, vgt_backend_surface *surface, uint32_t face, uint32_t w,
                         uint32_t h)
{
    uint8_t *px = malloc((size_t)w * h * 4);
    assert_non_null(px);
    vgt_svga3d_box box = {0, 0, 0, w, h, 1};
    vgt_error err = {0};
    if (s->be.ops->surface_download(s->be.self, surface, face, 0, &box, px, w * 4,
                                    (uint64_t)w * h * 4, &err)) {
        fail_msg("%s: download: %s", s->name, err.message);
    }
    return px;
}

static void clear_rects(scene *s, uint32_t flags, uint32_t color, float depth, uint32_t stencil,
                        const vgt_svga3d_rect *rects, uint32_t n)
{
    vgt_error err = {0};
    if (s->be.ops->clear(s->be.self, &s->st, flags, color, depth, stencil, rects, n, &err)) {
        fail_msg("%s: clear of %u rects: %s", s->name, n, err.message);
    }
}

static vgt_gl_counters counters(const scene *s)
{
    vgt_gl_counters c;
    assert_int_equal(vgt_backend_gl_counters(&s->be, &c), VGT_OK);
    return c;
}

/* The colour target and the D24S8 buffer of backend `kind` after a whole
 * CLEAR of the old values and one of `flags` with the rects. */
static void render(const char *kind, uint32_t flags, const vgt_svga3d_rect *r, uint32_t n,
                   uint8_t **color, uint8_t **zs)
{
    scene s;
    scene_init(&s, kind, W, H, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
    clear_rects(&s, ALL_FLAGS, OLD_COLOR, OLD_DEPTH, OLD_STENCIL, NULL, 0);
    clear_rects(&s, flags, NEW_COLOR, NEW_DEPTH, NEW_STENCIL, r, n);
    *color = download(&s, s.rt, 0, W, H);
    *zs = download(&s, s.ds, 0, W, H);
    scene_fini(&s);
}

/* Colour, depth, stencil and both, by scissored glClears and by quads:
 * the pixels of the rects changed, the others not, each plane as soft
 * writes it, byte for byte. */
static void test_rect_union_pixels(void **state)
{
    (void)state;
    uint32_t n;
    vgt_svga3d_rect *r = test_rects(&n);
    static const uint32_t flag_sets[] = {
        VGT_SVGA3D_CLEAR_COLOR, VGT_SVGA3D_CLEAR_DEPTH, VGT_SVGA3D_CLEAR_STENCIL,
        VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL, ALL_FLAGS};
    static const char *kinds[] = {"gl-clear-draw", "gl-clear-scissor", "gl"};
    for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++) {
        uint32_t flags = flag_sets[f];
        uint8_t *soft_c, *soft_z;
        render("soft", flags, r, n, &soft_c, &soft_z);
        /* soft itself against the rects: the new value inside, the old outside */
        /* the old depth/stencil word: that of the first pixel no rect covers */
        uint32_t zs_old = 0, changed = 0;
        for (uint32_t i = 0; i < W * H; i++) {
            if (!covered(r, n, i % W, i / W)) {
                zs_old = vgt_load_le32(soft_z + 4 * (size_t)i);
                break;
            }
        }
        for (uint32_t y = 0; y < H; y++) {
            for (uint32_t x = 0; x < W; x++) {
                size_t at = ((size_t)y * W + x) * 4;
                bool in = covered(r, n, x, y);
                changed += in;
                uint32_t c = vgt_load_le32(soft_c + at), z = vgt_load_le32(soft_z + at);
                uint32_t want_c = in && (flags & VGT_SVGA3D_CLEAR_COLOR) ? NEW_COLOR : OLD_COLOR;
                if (c != want_c) {
                    fail_msg("soft flags 0x%x: colour (%u,%u) %08x, expected %08x", flags, x, y, c,
                             want_c);
                }
                bool zin = in && (flags & VGT_SVGA3D_CLEAR_DEPTH);
                bool sin = in && (flags & VGT_SVGA3D_CLEAR_STENCIL);
                if ((z & 0xffu) != (sin ? NEW_STENCIL : OLD_STENCIL) ||
                    (!zin && (z >> 8) != (zs_old >> 8)) || (zin && (z >> 8) == (zs_old >> 8))) {
                    fail_msg("soft flags 0x%x: depth/stencil (%u,%u) %08x (old %08x)", flags, x, y,
                             z, zs_old);
                }
            }
        }
        assert_true(changed > 400 && changed < W * H - 400); /* a union with holes */
        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
            uint8_t *gl_c, *gl_z;
            render(kinds[k], flags, r, n, &gl_c, &gl_z);
            for (size_t i = 0; i < (size_t)W * H * 4; i += 4) {
                uint32_t a = vgt_load_le32(gl_c + i), b = vgt_load_le32(soft_c + i);
                uint32_t za = vgt_load_le32(gl_z + i), zb = vgt_load_le32(soft_z + i);
                if (a != b || za != zb) {
                    fail_msg("%s flags 0x%x: pixel (%zu,%zu) colour %08x depth/stencil %08x, "
                             "soft %08x %08x",
                             kinds[k], flags, i / 4 % W, i / 4 / W, a, za, b, zb);
                }
            }
            free(gl_c);
            free(gl_z);
        }
        free(soft_c);
        free(soft_z);
    }
    free(r);
}

/* A CLEAR costs the rectangles of the union, not the rects: 10 000
 * whole-target rects are one glClear per image; nested and stacked rects
 * one rectangle; a grid of 1-pixel bars its bands x runs rectangles, in one
 * draw call per 4096 of them up to the mask, each pixel as the rects say. */
static void test_clear_bound(void **state)
{
    (void)state;
    enum { N = 10000 };
    vgt_svga3d_rect *r = malloc(N * sizeof(*r));
    assert_non_null(r);
    for (uint32_t i = 0; i < N; i++) {
        r[i] = (vgt_svga3d_rect){0, 0, 64, 64};
    }
    scene s;
    scene_init(&s, "gl", 64, 64, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
    vgt_gl_counters c0 = counters(&s);
    clear_rects(&s, ALL_FLAGS, NEW_COLOR, NEW_DEPTH, NEW_STENCIL, r, N);
    vgt_gl_counters c1 = counters(&s);
    assert_int_equal(c1.clear_rects - c0.clear_rects, 2); /* colour, depth/stencil */
    assert_int_equal(c1.clear_scissored - c0.clear_scissored, 2);
    assert_int_equal(c1.clear_draw_calls - c0.clear_draw_calls, 0);

    /* nested, duplicated and stacked with the same columns: one rectangle */
    static const vgt_svga3d_rect nested[] = {
        {4, 4, 20, 10}, {6, 6, 3, 3}, {4, 4, 20, 10}, {4, 14, 20, 7}, {10, 20, 14, 1}};
    clear_rects(&s, VGT_SVGA3D_CLEAR_COLOR, OLD_COLOR, 0, 0, nested, 5);
    vgt_gl_counters c2 = counters(&s);
    assert_int_equal(c2.clear_rects - c1.clear_rects, 1);
    assert_int_equal(c2.clear_scissored - c1.clear_scissored, 1);

    /* 7 small rectangles: a glClear each; 8 (GLB_CLEAR_DRAW_MIN): drawn */
    for (uint32_t count = 7; count <= 8; count++) {
        vgt_svga3d_rect few[8];
        for (uint32_t i = 0; i < count; i++) {
            few[i] = (vgt_svga3d_rect){4 * i, 40, 2, 2};
        }
        vgt_gl_counters b0 = counters(&s);
        clear_rects(&s, VGT_SVGA3D_CLEAR_COLOR, OLD_COLOR, 0, 0, few, count);
        vgt_gl_counters b1 = counters(&s);
        assert_int_equal(b1.clear_rects - b0.clear_rects, count);
        assert_int_equal(b1.clear_scissored - b0.clear_scissored, count == 8 ? 0 : 7);
        assert_int_equal(b1.clear_draw_calls - b0.clear_draw_calls, count == 8 ? 1 : 0);
    }
    scene_fini(&s);

    /* a large rectangle (128 x 128 pixels and more) gets a glClear, the
     * small ones below it are drawn once there are 8 of them */
    uint32_t nr = 0;
    r[nr++] = (vgt_svga3d_rect){0, 0, 256, 128};
    for (uint32_t i = 0; i < 16; i++) {
        r[nr++] = (vgt_svga3d_rect){16 * i, 130 + i, 8, 8};
    }
    scene_init(&s, "gl", 256, 256, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
    c0 = counters(&s);
    clear_rects(&s, ALL_FLAGS, NEW_COLOR, NEW_DEPTH, NEW_STENCIL, r, nr);
    c1 = counters(&s);
    assert_int_equal(c1.clear_rects - c0.clear_rects, 2 * 17);
    assert_int_equal(c1.clear_scissored - c0.clear_scissored, 2);
    assert_int_equal(c1.clear_draw_calls - c0.clear_draw_calls, 2);
    scene_fini(&s);

    /* the worst shape: bars on every even column and row; the odd rows
     * are bands of one-pixel runs, the even rows whole rows. 128 x 128:
     * 64 x 64 + 64 = 4160 rectangles an image, 2 draws of <= 4096;
     * 512 x 512: 65 792, the first 16 384 (GLB_CLEAR_MASK_MIN) as quads in
     * 4 draws, the rest through a mask of the image in a fifth */
    for (uint32_t size = 128; size <= 512; size *= 4) {
        uint32_t nb = 0, half = size / 2;
        for (uint32_t i = 0; i < half; i++) {
            r[nb++] = (vgt_svga3d_rect){2 * i, 0, 1, size};
            r[nb++] = (vgt_svga3d_rect){0, 2 * i, size, 1};
        }
        scene_init(&s, "gl", size, size, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
        clear_rects(&s, ALL_FLAGS, OLD_COLOR, OLD_DEPTH, OLD_STENCIL, NULL, 0);
        c0 = counters(&s);
        clear_rects(&s, ALL_FLAGS, NEW_COLOR, NEW_DEPTH, NEW_STENCIL, r, nb);
        c1 = counters(&s);
        assert_int_equal(c1.clear_rects - c0.clear_rects, 2 * (half * half + half));
        assert_int_equal(c1.clear_draw_calls - c0.clear_draw_calls, size == 512 ? 2 * 5 : 2 * 2);
        assert_int_equal(c1.clear_masks - c0.clear_masks, size == 512 ? 2 : 0);
        assert_int_equal(c1.clear_scissored - c0.clear_scissored, 0);
        uint8_t *color = download(&s, s.rt, 0, size, size);
        uint8_t *zs = download(&s, s.ds, 0, size, size);
        uint32_t zs_old = vgt_load_le32(zs + 4 * (size + 1)), zs_new = vgt_load_le32(zs);
        assert_int_equal(zs_new & 0xffu, NEW_STENCIL);
        assert_int_equal(zs_old & 0xffu, OLD_STENCIL);
        for (uint32_t y = 0; y < size; y++) {
            for (uint32_t x = 0; x < size; x++) {
                bool in = x % 2 == 0 || y % 2 == 0;
                size_t at = ((size_t)y * size + x) * 4;
                uint32_t got = vgt_load_le32(color + at), z = vgt_load_le32(zs + at);
                if (got != (in ? NEW_COLOR : OLD_COLOR) || z != (in ? zs_new : zs_old)) {
                    fail_msg("grid %u (%u,%u): colour %08x depth/stencil %08x", size, x, y, got, z);
                }
            }
        }
        free(color);
        free(zs);
        scene_fini(&s);
    }
    free(r);
}

/* The state a draw left (blending, depth and stencil tests failing,
 * culling both faces, one colour channel written, no depth written, a
 * small viewport and scissor) does not reach the CLEAR's quads, and the
 * draw after the CLEAR gets its own state again: the CLEAR's pixels as
 * soft's byte for byte, the draw after it within the tolerance. */
static void draw_with_hostile_state(scene *s, bool visible)
{
    vgt_backend_draw_state *st = &s->st;
    st->blend_enable = true;
    st->src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
    st->dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
    st->z_func = visible ? VGT_SVGA3D_CMP_ALWAYS : VGT_SVGA3D_CMP_NEVER;
    st->z_write = false;
    st->stencil_enable = true;
    st->stencil_func = visible ? VGT_SVGA3D_CMP_ALWAYS : VGT_SVGA3D_CMP_NEVER;
    st->stencil_pass = VGT_SVGA3D_STENCILOP_INCR;
    st->cull_face = visible ? VGT_SVGA3D_FACE_NONE : VGT_SVGA3D_FACE_FRONT_BACK;
    st->color_write_mask[0] = visible ? 0xf : 0x1;
    st->viewport = (vgt_backend_rect){visible ? 0 : 3, 0, visible ? W : 10, visible ? H : 10};
    st->scissor_enable = !visible;
    st->scissor = (vgt_backend_rect){2, 2, 4, 4};
    tvert v[6];
    quad(v, -0.8f, -0.6f, 0.7f, 0.9f, 0.5f, 0x80ff4020u);
    scene_tverts(s, v, 6);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

static void test_state_around_the_quads(void **state)
{
    (void)state;
    uint32_t n;
    vgt_svga3d_rect *r = test_rects(&n);
    static const char *kinds[] = {"soft", "gl-clear-draw"};
    uint8_t *color[2], *zs[2];
    vgt_image after[2];
    for (int k = 0; k < 2; k++) {
        scene s;
        scene_init(&s, kinds[k], W, H, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
        clear_rects(&s, ALL_FLAGS, OLD_COLOR, OLD_DEPTH, OLD_STENCIL, NULL, 0);
        draw_with_hostile_state(&s, false);
        clear_rects(&s, ALL_FLAGS, NEW_COLOR, NEW_DEPTH, NEW_STENCIL, r, n);
        color[k] = download(&s, s.rt, 0, W, H);
        zs[k] = download(&s, s.ds, 0, W, H);
        draw_with_hostile_state(&s, true);
        scene_read(&s, &after[k]);
        scene_fini(&s);
    }
    assert_memory_equal(color[1], color[0], (size_t)W * H * 4);
    assert_memory_equal(zs[1], zs[0], (size_t)W * H * 4);
    compare_images("clear-state", &after[1], &after[0], GL_TOL, GL_TOL_FRACTION);
    assert_true(image_colors(&after[0], 16) >= 3); /* old, new, and the blended quad */
    for (int k = 0; k < 2; k++) {
        free(color[k]);
        free(zs[k]);
        vgt_image_free(&after[k]);
    }
    free(r);
}

/* A cube face as the target: the quads land on that face alone, as soft's
 * CLEAR does. */
static void test_cube_face(void **state)
{
    (void)state;
    uint32_t n;
    vgt_svga3d_rect *r = test_rects(&n);
    uint8_t *faces[2][6];
    static const char *kinds[] = {"soft", "gl-clear-draw"};
    for (int k = 0; k < 2; k++) {
        scene s;
        scene_init(&s, kinds[k], W, H, VGT_SVGA3D_A8R8G8B8, 0);
        vgt_backend_surface *cube = scene_define(
            &s, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, W, W, 1, 6, 1);
        for (uint32_t f = 0; f < 6; f++) {
            s.st.color_targets[0] = (vgt_backend_view){cube, f, 0, VGT_SVGA3D_A8R8G8B8, {W, W, 1}};
            clear_rects(&s, VGT_SVGA3D_CLEAR_COLOR, OLD_COLOR + f, 0, 0, NULL, 0);
        }
        s.st.color_targets[0].face = 3;
        clear_rects(&s, VGT_SVGA3D_CLEAR_COLOR, NEW_COLOR, 0, 0, r, n);
        for (uint32_t f = 0; f < 6; f++) {
            faces[k][f] = download(&s, cube, f, W, W);
        }
        s.st.color_targets[0] = (vgt_backend_view){s.rt, 0, 0, VGT_SVGA3D_A8R8G8B8, {W, H, 1}};
        scene_fini(&s);
    }
    for (uint32_t f = 0; f < 6; f++) {
        for (uint32_t y = 0; y < W; y++) {
            for (uint32_t x = 0; x < W; x++) {
                size_t at = ((size_t)y * W + x) * 4;
                uint32_t want = f == 3 && covered(r, n, x, y) ? NEW_COLOR : OLD_COLOR + f;
                uint32_t s0 = vgt_load_le32(faces[0][f] + at), g = vgt_load_le32(faces[1][f] + at);
                if (s0 != want || g != want) {
                    fail_msg("face %u (%u,%u): soft %08x gl %08x, expected %08x", f, x, y, s0, g,
                             want);
                }
            }
        }
        free(faces[0][f]);
        free(faces[1][f]);
    }
    free(r);
}

/* A volume as the colour target: the SVGA3D image (sid, face, mip) names
 * a whole mip level, and a CLEAR clears every slice of it, on soft and on
 * gl alike; a draw reaches slice 0 (docs/soft.md and docs/gl.md "CLEAR").
 * A 320x256x8 A8R8G8B8 volume of 2 levels, each slice holding a pattern
 * of its own: a whole CLEAR of level 0; a whole CLEAR of level 1 with a 2D
 * D24S8 buffer beside it; a CLEAR of level 1's colour, depth and stencil
 * with a big rect (a scissored glClear) and small ones (quads on "gl");
 * one of level 1's colour alone with 7 small rects (a glClear each), which
 * leaves the colour attachment as it found it for the draw after it; then
 * a quad drawn into level 1. Every slice of both levels and the depth
 * buffer read back by DMA: soft as the rule says, gl byte for byte as soft. */
enum { VW = 320, VH = 256, VD = 8, VW1 = VW / 2, VH1 = VH / 2, VD1 = VD / 2 };

#define VOL_A 0xff112233u /* level 0's whole CLEAR */
#define VOL_D 0xff3366ccu /* the quad drawn into level 1 */
#define VOL_E 0xff0a0b0cu /* the colour-only CLEAR of level 1 before it */

/* The big rect (16 500 pixels: at least GLB_CLEAR_SCISSOR_AREA) and small
 * ones below it, two of them overlapping and one duplicated. */
static const vgt_svga3d_rect vol_rects[] = {
    {4, 4, 150, 110},   {4, 118, 3, 3},   {16, 118, 3, 3},  {28, 118, 3, 3}, {40, 118, 3, 3},
    {52, 118, 3, 3},    {64, 118, 3, 3},  {76, 118, 3, 3},  {88, 118, 3, 3}, {100, 118, 3, 3},
    {112, 118, 3, 3},   {124, 118, 3, 3}, {136, 118, 3, 3}, {5, 119, 4, 4},  {16, 118, 3, 3},
    {150, 120, 40, 40}, /* partly outside level 1 */
};
#define VOL_NRECTS (sizeof(vol_rects) / sizeof(vol_rects[0]))

/* 7 small rects (one fewer than GLB_CLEAR_DRAW_MIN: a glClear each, in
 * every slice), for a CLEAR of the colour alone, which leaves the colour
 * attachment as the draw after it finds it. */
static const vgt_svga3d_rect vol_color_rects[] = {
    {154, 0, 4, 4},  {154, 8, 4, 4},  {154, 16, 4, 4}, {154, 24, 4, 4},
    {146, 24, 4, 4}, {138, 24, 4, 4}, {130, 24, 4, 4},
};
#define VOL_NCOLOR_RECTS (sizeof(vol_color_rects) / sizeof(vol_color_rects[0]))

/* The pattern of texel (x, y) of slice z of level m before the CLEARs. */
static uint32_t vol_pattern(uint32_t m, uint32_t z, uint32_t x, uint32_t y)
{
    return 0xff000000u | (m << 20) | (z << 16) | ((y & 0xffu) << 8) | (x & 0xffu);
}

static uint8_t *download_volume(scene *s, vgt_backend_surface *v, uint32_t mip, uint32_t w,
                                uint32_t h, uint32_t d)
{
    uint8_t *px = malloc((size_t)w * h * d * 4);
    assert_non_null(px);
    vgt_svga3d_box box = {0, 0, 0, w, h, d};
    vgt_error err = {0};
    if (s->be.ops->surface_download(s->be.self, v, 0, mip, &box, px, w * 4, (uint64_t)w * h * 4,
                                    &err)) {
        fail_msg("%s: download of level %u: %s", s->name, mip, err.message);
    }
    return px;
}

typedef struct vol_result {
    uint8_t *level[2], *zs;
    /* the counters the rect CLEARs added (gl kinds) */
    vgt_gl_counters rects_clear, color_clear;
} vol_result;

static vgt_gl_counters counters_since(const scene *s, const vgt_gl_counters *c0)
{
    vgt_gl_counters c1 = counters(s);
    return (vgt_gl_counters){
        .clear_rects = c1.clear_rects - c0->clear_rects,
        .clear_scissored = c1.clear_scissored - c0->clear_scissored,
        .clear_draw_calls = c1.clear_draw_calls - c0->clear_draw_calls,
    };
}

static void render_volume(const char *kind, vol_result *out)
{
    scene s;
    scene_init(&s, kind, VW1, VH1, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_Z_D24S8);
    vgt_backend_surface *vol = scene_define(&s, VGT_SVGA3D_A8R8G8B8,
                                            VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, VW, VH, VD, 1, 2);
    for (uint32_t m = 0; m < 2; m++) {
        uint32_t w = VW >> m, h = VH >> m, d = VD >> m;
        uint8_t *px = malloc((size_t)w * h * d * 4);
        assert_non_null(px);
        for (uint32_t z = 0; z < d; z++) {
            for (uint32_t y = 0; y < h; y++) {
                for (uint32_t x = 0; x < w; x++) {
                    vgt_store_le32(px + (((size_t)z * h + y) * w + x) * 4, vol_pattern(m, z, x, y));
                }
            }
        }
        scene_upload(&s, vol, 0, m, px);
        free(px);
    }
    vgt_backend_view ds = s.st.depth_target;
    /* level 0 alone: every slice */
    s.st.color_targets[0] = (vgt_backend_view){vol, 0, 0, VGT_SVGA3D_A8R8G8B8, {VW, VH, VD}};
    s.st.depth_target = s.st.stencil_target = (vgt_backend_view){0};
    clear_rects(&s, VGT_SVGA3D_CLEAR_COLOR, VOL_A, 0, 0, NULL, 0);
    /* level 1 with the 2D depth buffer: whole, then the rects */
    s.st.color_targets[0] = (vgt_backend_view){vol, 0, 1, VGT_SVGA3D_A8R8G8B8, {VW1, VH1, VD1}};
    s.st.depth_target = s.st.stencil_target = ds;
    clear_rects(&s, ALL_FLAGS, OLD_COLOR, OLD_DEPTH, OLD_STENCIL, NULL, 0);
    bool gl = strcmp(kind, "soft") != 0;
    vgt_gl_counters c0 = gl ? counters(&s) : (vgt_gl_counters){0};
    clear_rects(&s, ALL_FLAGS, NEW_COLOR, NEW_DEPTH, NEW_STENCIL, vol_rects, VOL_NRECTS);
    out->rects_clear = gl ? counters_since(&s, &c0) : (vgt_gl_counters){0};
    c0 = gl ? counters(&s) : (vgt_gl_counters){0};
    clear_rects(&s, VGT_SVGA3D_CLEAR_COLOR, VOL_E, 0, 0, vol_color_rects, VOL_NCOLOR_RECTS);
    out->color_clear = gl ? counters_since(&s, &c0) : (vgt_gl_counters){0};
    /* a quad over the middle of level 1 (viewport the level), no depth test */
    s.st.viewport = (vgt_backend_rect){0, 0, VW1, VH1};
    tvert v[6];
    quad(v, -0.5f, -0.5f, 0.5f, 0.5f, 0.5f, VOL_D);
    scene_tverts(&s, v, 6);
    scene_draw(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    out->level[0] = download_volume(&s, vol, 0, VW, VH, VD);
    out->level[1] = download_volume(&s, vol, 1, VW1, VH1, VD1);
    out->zs = download(&s, s.ds, 0, VW1, VH1);
    s.st.color_targets[0] = (vgt_backend_view){s.rt, 0, 0, VGT_SVGA3D_A8R8G8B8, {VW1, VH1, 1}};
    scene_fini(&s);
}

static void test_volume_target(void **state)
{
    (void)state;
    vol_result soft;
    render_volume("soft", &soft);
    /* soft as the rule says: level 0 all VOL_A; every slice of level 1
     * the rects' colour where they cover it, the whole CLEAR's elsewhere;
     * the quad on slice 0 alone (pixels 40..119 x 32..95) */
    for (size_t i = 0; i < (size_t)VW * VH * VD; i++) {
        uint32_t got = vgt_load_le32(soft.level[0] + 4 * i);
        if (got != VOL_A) {
            fail_msg("soft level 0 slice %zu (%zu,%zu): %08x, expected %08x", i / (VW * VH), i % VW,
                     i / VW % VH, got, VOL_A);
        }
    }
    uint32_t zs_old = 0, zs_new = 0;
    for (uint32_t z = 0; z < VD1; z++) {
        for (uint32_t y = 0; y < VH1; y++) {
            for (uint32_t x = 0; x < VW1; x++) {
                bool in = covered(vol_rects, VOL_NRECTS, x, y);
                bool in_e = covered(vol_color_rects, VOL_NCOLOR_RECTS, x, y);
                bool drawn = z == 0 && x >= 40 && x < 120 && y >= 32 && y < 96;
                uint32_t want = drawn ? VOL_D : in_e ? VOL_E : in ? NEW_COLOR : OLD_COLOR;
                uint32_t got = vgt_load_le32(soft.level[1] + (((size_t)z * VH1 + y) * VW1 + x) * 4);
                if (got != want) {
                    fail_msg("soft level 1 slice %u (%u,%u): %08x, expected %08x", z, x, y, got,
                             want);
                }
                if (z == 0) {
                    uint32_t zs = vgt_load_le32(soft.zs + ((size_t)y * VW1 + x) * 4);
                    *(in ? &zs_new : &zs_old) = zs;
                    assert_int_equal(zs & 0xffu, in ? NEW_STENCIL : OLD_STENCIL);
                }
            }
        }
    }
    assert_int_not_equal(zs_new >> 8, zs_old >> 8);
    static const char *kinds[] = {"gl", "gl-clear-draw", "gl-clear-scissor"};
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        vol_result g;
        render_volume(kinds[k], &g);
        for (uint32_t m = 0; m < 2; m++) {
            uint32_t w = VW >> m, h = VH >> m, d = VD >> m;
            for (size_t i = 0; i < (size_t)w * h * d; i++) {
                uint32_t a = vgt_load_le32(g.level[m] + 4 * i);
                uint32_t b = vgt_load_le32(soft.level[m] + 4 * i);
                if (a != b) {
                    fail_msg("%s level %u slice %zu (%zu,%zu): %08x, soft %08x", kinds[k], m,
                             i / ((size_t)w * h), i % w, i / w % h, a, b);
                }
            }
            free(g.level[m]);
        }
        assert_memory_equal(g.zs, soft.zs, (size_t)VW1 * VH1 * 4);
        free(g.zs);
        if (strcmp(kinds[k], "gl") == 0) {
            /* both paths ran: per slice of the colour and for the depth
             * buffer, the big rectangle by a glClear and the small ones in
             * one draw of quads */
            assert_int_equal(g.rects_clear.clear_scissored, VD1 + 1);
            assert_int_equal(g.rects_clear.clear_draw_calls, VD1 + 1);
            /* each slice as the first: 7 small rectangles, 7 glClears */
            assert_int_equal(g.color_clear.clear_rects, VD1 * VOL_NCOLOR_RECTS);
            assert_int_equal(g.color_clear.clear_scissored, VD1 * VOL_NCOLOR_RECTS);
            assert_int_equal(g.color_clear.clear_draw_calls, 0);
        }
    }
    for (uint32_t m = 0; m < 2; m++) {
        free(soft.level[m]);
    }
    free(soft.zs);
}

int main(void)
{
    pin_mesa_driver();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rect_union_pixels),      cmocka_unit_test(test_clear_bound),
        cmocka_unit_test(test_state_around_the_quads), cmocka_unit_test(test_cube_face),
        cmocka_unit_test(test_volume_target),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
