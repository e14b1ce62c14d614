/* DXT textures without S3TC: the gl backend decodes the blocks on the CPU
 * (vgt_gl_options.no_s3tc, or VGT_GL_NO_S3TC=1) into RGBA8 textures.  Each
 * scene samples DXT1..DXT5 textures (point and linear filters, 1-bit and
 * explicit/interpolated alpha blended over the background, every mip level
 * down to 1x1, partial blocks at the edges, sub-box uploads, a SURFACE_COPY)
 * and is drawn three times with the same ops calls: on gl with the CPU
 * decode, on gl with the driver's S3TC, and on the soft reference.  The CPU
 * decode must equal the soft result within the documented tolerance
 * (docs/gl.md) and the S3TC result within 2 per channel on every pixel
 * (Mesa's S3TC decoder rounds DXT's interpolated colors and alphas one
 * step differently from vgt_svga3d_dxt_decode_block here and there, and
 * blending by that alpha adds a step).  The soft renderer does not sample
 * DXT2/DXT4: its reference for them is the same blocks as DXT3/DXT5, which
 * the shared decoder treats alike. */
#include "gl_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 96u
#define H 96u

static uint32_t rng;
static uint32_t next(void)
{
    rng = rng * 1664525u + 1013904223u;
    return rng >> 8;
}

static uint16_t rgb565(uint32_t r, uint32_t g, uint32_t b)
{
    return (uint16_t)(((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3));
}

/* A color block whose end points follow a gradient over the texture (so
 * the picture has structure), random indices; `three` picks DXT1's
 * 3-color + transparent mode (c0 <= c1). */
static void color_block(uint8_t *p, uint32_t bx, uint32_t by, uint32_t nbx, uint32_t nby,
                        bool three)
{
    uint32_t r = 255 * bx / (nbx ? nbx : 1), g = 255 * by / (nby ? nby : 1);
    uint16_t c0 = rgb565(r, g, 255 - r), c1 = rgb565(255 - g, (r + g) / 2, g);
    if ((c0 > c1) == three || c0 == c1) {
        uint16_t t = c0;
        c0 = c1;
        c1 = t;
    }
    if (c0 == c1) {
        c1 = (uint16_t)(c0 ^ 0x8410u);
        if ((c0 > c1) == three) {
            uint16_t t = c0;
            c0 = c1;
            c1 = t;
        }
    }
    vgt_store_le16(p, c0);
    vgt_store_le16(p + 2, c1);
    vgt_store_le32(p + 4, next() ^ (next() << 16));
}

/* The blocks of a w x h image of format (tightly packed rows of blocks). */
static uint8_t *dxt_image(uint32_t format, uint32_t w, uint32_t h, uint32_t seed, size_t *bytes)
{
    uint32_t nbx = (w + 3) / 4, nby = (h + 3) / 4;
    uint32_t bb = format == VGT_SVGA3D_DXT1 ? 8 : 16;
    *bytes = (size_t)nbx * nby * bb;
    uint8_t *p = malloc(*bytes);
    rng = seed;
    for (uint32_t by = 0; by < nby; by++) {
        for (uint32_t bx = 0; bx < nbx; bx++) {
            uint8_t *b = p + ((size_t)by * nbx + bx) * bb;
            if (format == VGT_SVGA3D_DXT1) {
                color_block(b, bx, by, nbx, nby, (bx + by) % 3 == 0);
                continue;
            }
            if (format == VGT_SVGA3D_DXT2 || format == VGT_SVGA3D_DXT3) {
                vgt_store_le32(b, next() ^ (next() << 16));
                vgt_store_le32(b + 4, next() ^ (next() << 16));
            } else {
                /* alternate the 8-alpha and the 6-alpha + 0/255 modes */
                uint8_t a0 = (uint8_t)(40 + 200 * bx / (nbx ? nbx : 1));
                uint8_t a1 = (uint8_t)(255 - 180 * by / (nby ? nby : 1));
                b[0] = (bx + by) % 2 ? (a0 > a1 ? a0 : a1) : (a0 < a1 ? a0 : a1);
                b[1] = (bx + by) % 2 ? (a0 > a1 ? a1 : a0) : (a0 < a1 ? a1 : a0);
                for (int i = 2; i < 8; i++) {
                    b[i] = (uint8_t)next();
                }
            }
            color_block(b + 8, bx, by, nbx, nby, false);
        }
    }
    return p;
}

/* ---- scenes -------------------------------------------------------------------- */

typedef struct dxt_cfg {
    uint32_t format, filter;
    bool soft; /* drawing the soft reference */
} dxt_cfg;
static dxt_cfg cfg;

/* Texture stage 0 samples t; the texel's alpha blends it over the
 * background. */
static void bind(scene *s, vgt_backend_surface *t, uint32_t format, uint32_t w, uint32_t h,
                 uint32_t mips, uint32_t filter)
{
    vgt_backend_stage *g = &s->st.stages[0];
    g->texture = (vgt_backend_view){t, 0, 0, format, {w, h, 1}};
    g->texture_faces = 1;
    g->texture_mips = mips;
    g->mag_filter = g->min_filter = filter;
    s->st.blend_enable = true;
    s->st.src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
    s->st.dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
    s->st.z_enable = false;
}

/* Two quads (one magnified, one wrapping) of a 16 x 16 texture: the
 * textured scene of test_gl_render with a DXT texture. */
static void sc_textured(scene *s)
{
    size_t bytes;
    uint8_t *px = dxt_image(cfg.format, 16, 16, 7 + cfg.format, &bytes);
    uint32_t format = cfg.format;
    if (cfg.soft && format == VGT_SVGA3D_DXT2) {
        format = VGT_SVGA3D_DXT3;
    } else if (cfg.soft && format == VGT_SVGA3D_DXT4) {
        format = VGT_SVGA3D_DXT5;
    }
    vgt_backend_surface *t =
        scene_define(s, format, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 16, 16, 1, 1, 1);
    scene_upload(s, t, 0, 0, px);
    free(px);
    tvert v[12];
    /* texel edges must not fall exactly on pixel centres */
    quad(v, -0.913f, -0.907f, 0.507f, 0.511f, 0.5f, 0xffffffffu);
    quad(v + 6, 0.103f, 0.109f, 0.953f, 0.947f, 0.5f, 0xffc0a080u);
    for (int i = 6; i < 12; i++) {
        v[i].u = v[i].u * 2.5f - 0.7f;
        v[i].v = v[i].v * 1.5f + 0.3f;
    }
    scene_tverts(s, v, 12);
    bind(s, t, format, 16, 16, 1, cfg.filter);
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff305070u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4);
}

/* Every level of a 16 x 16 DXT5 texture with 5 levels (8x8, 4x4 and the
 * partial blocks of 2x2 and 1x1), each level its own data, each drawn
 * magnified in a cell with TEXTURE_MIPMAP_LEVEL selecting it. */
static void sc_mips(scene *s)
{
    vgt_backend_surface *t =
        scene_define(s, VGT_SVGA3D_DXT5, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 16, 16, 1, 1, 5);
    for (uint32_t m = 0; m < 5; m++) {
        size_t bytes;
        uint8_t *px = dxt_image(VGT_SVGA3D_DXT5, 16 >> m, 16 >> m, 100 + m, &bytes);
        scene_upload(s, t, 0, m, px);
        free(px);
    }
    tvert v[30];
    for (int m = 0; m < 5; m++) {
        float x0 = -0.97f + 0.39f * (float)m, y0 = -0.6f + 0.03f * (float)m;
        quad(v + 6 * m, x0, y0, x0 + 0.353f, y0 + 1.113f, 0.5f, 0xffffffffu);
    }
    scene_tverts(s, v, 30);
    bind(s, t, VGT_SVGA3D_DXT5, 16, 16, 5, VGT_SVGA3D_TEX_FILTER_NEAREST);
    s->st.stages[0].mip_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff203040u, 1.0f, 0);
    for (uint32_t m = 0; m < 5; m++) {
        s->st.stages[0].max_mip_level = m;
        vgt_error err = {0};
        vgt_backend_draw_range r = {.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
                                    .primitive_count = 2,
                                    .vertex_count = 6,
                                    .index_bias = (int32_t)(6 * m)};
        vgt_backend_draw_stats stats = {0};
        if (s->be.ops->draw(s->be.self, &s->st, &r, 1, &stats, &err)) {
            fail_msg("%s: draw level %u: %s", s->name, m, err.message);
        }
    }
}

/* A 12 x 10 DXT1 texture (its last block row is partial) uploaded whole,
 * then sub-boxes re-uploaded: an inner block, a box at the bottom-right
 * edge (4 x 2 texels), and a row of blocks through a padded guest pitch;
 * then a DXT3 surface filled by SURFACE_COPY from another, drawn beside. */
static void sc_subbox_copy(scene *s)
{
    size_t bytes;
    uint8_t *px = dxt_image(VGT_SVGA3D_DXT1, 12, 10, 11, &bytes);
    vgt_backend_surface *t =
        scene_define(s, VGT_SVGA3D_DXT1, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 12, 10, 1, 1, 1);
    scene_upload(s, t, 0, 0, px);
    free(px);
    uint8_t *other = dxt_image(VGT_SVGA3D_DXT1, 12, 12, 12, &bytes);
    vgt_error err = {0};
    static const vgt_svga3d_box boxes[3] = {
        {4, 4, 0, 4, 4, 1}, {8, 8, 0, 4, 2, 1}, {0, 0, 0, 12, 4, 1}};
    static const uint32_t pitch[3] = {8, 8, 3 * 8 + 16};
    for (int i = 0; i < 3; i++) {
        if (s->be.ops->surface_upload(s->be.self, t, 0, 0, &boxes[i], other + 24 * i, pitch[i], 0,
                                      0, &err)) {
            fail_msg("%s: sub-box upload %d: %s", s->name, i, err.message);
        }
    }
    free(other);
    /* DXT3: src 8x8 with its own blocks, dst 8x8 zeros; copy 3 blocks */
    uint8_t *src_px = dxt_image(VGT_SVGA3D_DXT3, 8, 8, 13, &bytes);
    vgt_backend_surface *src =
        scene_define(s, VGT_SVGA3D_DXT3, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 8, 8, 1, 1, 1);
    scene_upload(s, src, 0, 0, src_px);
    free(src_px);
    vgt_backend_surface *dst =
        scene_define(s, VGT_SVGA3D_DXT3, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 8, 8, 1, 1, 1);
    vgt_backend_view dv = {dst, 0, 0, VGT_SVGA3D_DXT3, {8, 8, 1}};
    vgt_backend_view sv = {src, 0, 0, VGT_SVGA3D_DXT3, {8, 8, 1}};
    /* {x, y, z, w, h, d, srcx, srcy, srcz} */
    vgt_svga3d_copy_box cb[2] = {{0, 0, 0, 4, 4, 1, 4, 4, 0}, {4, 0, 0, 4, 8, 1, 0, 0, 0}};
    if (s->be.ops->surface_copy(s->be.self, &dv, &sv, cb, 2, &err)) {
        fail_msg("%s: SURFACE_COPY: %s", s->name, err.message);
    }
    tvert v[12];
    quad(v, -0.953f, -0.947f, 0.113f, 0.887f, 0.5f, 0xffffffffu);
    quad(v + 6, 0.207f, -0.611f, 0.931f, 0.417f, 0.5f, 0xffffffffu);
    scene_tverts(s, v, 12);
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff604020u, 1.0f, 0);
    bind(s, t, VGT_SVGA3D_DXT1, 12, 10, 1, VGT_SVGA3D_TEX_FILTER_NEAREST);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    bind(s, dst, VGT_SVGA3D_DXT3, 8, 8, 1, VGT_SVGA3D_TEX_FILTER_NEAREST);
    vgt_backend_draw_range r = {.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
                                .primitive_count = 2,
                                .vertex_count = 6,
                                .index_bias = 6};
    vgt_backend_draw_stats stats = {0};
    if (s->be.ops->draw(s->be.self, &s->st, &r, 1, &stats, &err)) {
        fail_msg("%s: draw: %s", s->name, err.message);
    }
}

/* ---- the three renderings ------------------------------------------------------- */

static void run_three(const char *name, scene_fn fn, uint32_t min_colors)
{
    static const char *kinds[3] = {"gl-no-s3tc", "gl", "soft"};
    vgt_image img[3];
    bool native_s3tc = false;
    for (int k = 0; k < 3; k++) {
        scene *s = calloc(1, sizeof(*s));
        cfg.soft = k == 2;
        scene_init(s, kinds[k], W, H, VGT_SVGA3D_A8R8G8B8, 0);
        fn(s);
        scene_read(s, &img[k]);
        if (k < 2) {
            vgt_gl_info info;
            vgt_gl_counters n;
            assert_int_equal(vgt_backend_gl_info(&s->be, &info), VGT_OK);
            assert_int_equal(vgt_backend_gl_counters(&s->be, &n), VGT_OK);
            if (k == 0) {
                /* the fallback really decoded the blocks */
                assert_false(info.s3tc);
                assert_true(n.dxt_blocks_decoded > 0);
            } else {
                native_s3tc = info.s3tc;
                if (native_s3tc) {
                    assert_int_equal(n.dxt_blocks_decoded, 0);
                }
            }
        }
        scene_fini(s);
        free(s);
    }
    if (image_colors(&img[2], 64) < min_colors) {
        fail_msg("%s: the reference has %u colors (expected >= %u): not a real scene", name,
                 image_colors(&img[2], 64), min_colors);
    }
    compare_images_as(name, "cpu-dxt", &img[0], "soft", &img[2], GL_TOL, GL_TOL_FRACTION);
    if (native_s3tc) {
        /* the driver's decoder may round DXT's interpolated colors and
         * alphas one step differently; nothing else may differ */
        compare_images_as(name, "cpu-dxt", &img[0], "s3tc", &img[1], 2, 0.0);
        compare_images_as(name, "s3tc", &img[1], "soft", &img[2], GL_TOL, GL_TOL_FRACTION);
    } else {
        print_message("%s: the driver has no S3TC: CPU decode compared with soft only\n", name);
    }
    for (int k = 0; k < 3; k++) {
        vgt_image_free(&img[k]);
    }
}

static void textured(uint32_t format, uint32_t filter, const char *name)
{
    cfg.format = format;
    cfg.filter = filter;
    run_three(name, sc_textured, 24);
}

static void test_dxt1_point(void **state)
{
    (void)state;
    textured(VGT_SVGA3D_DXT1, VGT_SVGA3D_TEX_FILTER_NEAREST, "dxt1-point");
}

static void test_dxt1_linear(void **state)
{
    (void)state;
    textured(VGT_SVGA3D_DXT1, VGT_SVGA3D_TEX_FILTER_LINEAR, "dxt1-linear");
}

static void test_dxt2_linear(void **state)
{
    (void)state;
    textured(VGT_SVGA3D_DXT2, VGT_SVGA3D_TEX_FILTER_LINEAR, "dxt2-linear");
}

static void test_dxt3_point(void **state)
{
    (void)state;
    textured(VGT_SVGA3D_DXT3, VGT_SVGA3D_TEX_FILTER_NEAREST, "dxt3-point");
}

static void test_dxt4_point(void **state)
{
    (void)state;
    textured(VGT_SVGA3D_DXT4, VGT_SVGA3D_TEX_FILTER_NEAREST, "dxt4-point");
}

static void test_dxt5_linear(void **state)
{
    (void)state;
    textured(VGT_SVGA3D_DXT5, VGT_SVGA3D_TEX_FILTER_LINEAR, "dxt5-linear");
}

static void test_dxt5_mip_levels(void **state)
{
    (void)state;
    run_three("dxt5-mips", sc_mips, 24);
}

static void test_dxt_subbox_and_copy(void **state)
{
    (void)state;
    run_three("dxt-subbox-copy", sc_subbox_copy, 24);
}

/* A DXT5 volume (8 x 8 x 4, the blocks decoded on the CPU with or without
 * S3TC: S3TC has no 3D textures) samples exactly as the A8R8G8B8 volume of
 * its decoded texels, slice by slice, after a sub-box upload into slice 2.
 * gl only: the soft renderer does not sample volumes. */
typedef struct vvert {
    float x, y, z;
    uint32_t color;
    float u, v, w;
} vvert;

static void volume_scene(scene *s, uint32_t format, const uint8_t *data, const uint8_t *sub,
                         uint32_t sub_pitch, const vgt_svga3d_box *sub_box)
{
    vgt_backend_surface *t =
        scene_define(s, format, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 8, 8, 4, 1, 1);
    scene_upload(s, t, 0, 0, data);
    vgt_error err = {0};
    if (s->be.ops->surface_upload(s->be.self, t, 0, 0, sub_box, sub, sub_pitch,
                                  (uint64_t)sub_pitch * (format == VGT_SVGA3D_DXT5 ? 1 : 4), 0,
                                  &err)) {
        fail_msg("%s: volume sub-box upload: %s", s->name, err.message);
    }
    vvert v[24];
    for (int k = 0; k < 4; k++) {
        float x0 = -0.95f + 0.49f * (float)k, x1 = x0 + 0.443f, y0 = -0.7f, y1 = 0.77f;
        float r = ((float)k + 0.5f) / 4.0f;
        vvert tl = {x0, y1, 0.5f, 0xffffffffu, 0, 0, r}, tr = {x1, y1, 0.5f, 0xffffffffu, 1, 0, r};
        vvert bl = {x0, y0, 0.5f, 0xffffffffu, 0, 1, r}, br = {x1, y0, 0.5f, 0xffffffffu, 1, 1, r};
        vvert q[6] = {tl, tr, bl, bl, tr, br};
        memcpy(v + 6 * k, q, sizeof(q));
    }
    s->vb = scene_define(s, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, sizeof(v), 1,
                         1, 1, 1);
    scene_upload(s, s->vb, 0, 0, v);
    static const struct {
        uint32_t offset, type, usage;
    } el[3] = {{0, VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_POSITION},
               {12, VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR},
               {16, VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_TEXCOORD}};
    s->st.element_count = 3;
    for (int i = 0; i < 3; i++) {
        vgt_backend_element *e = &s->st.elements[i];
        memset(e, 0, sizeof(*e));
        e->buffer = s->vb;
        e->buffer_bytes = sizeof(v);
        e->offset = el[i].offset;
        e->stride = sizeof(vvert);
        e->type = el[i].type;
        e->usage = el[i].usage;
    }
    vgt_backend_stage *g = &s->st.stages[0];
    g->texture = (vgt_backend_view){t, 0, 0, format, {8, 8, 4}};
    g->texture_faces = 1;
    g->texture_mips = 1;
    g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    s->st.blend_enable = true;
    s->st.src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
    s->st.dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff406080u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 8);
}

/* ARGB texels of w x h x d blocks (tightly packed) of a DXT format. */
static uint8_t *decoded(uint32_t format, const uint8_t *blocks, uint32_t w, uint32_t h, uint32_t d)
{
    uint32_t nbx = w / 4, nby = h / 4, bb = format == VGT_SVGA3D_DXT1 ? 8 : 16;
    uint8_t *out = malloc((size_t)w * h * d * 4);
    for (uint32_t z = 0; z < d; z++) {
        for (uint32_t by = 0; by < nby; by++) {
            for (uint32_t bx = 0; bx < nbx; bx++) {
                uint32_t t[16];
                vgt_svga3d_dxt_decode_block(format,
                                            blocks + (((size_t)z * nby + by) * nbx + bx) * bb, t);
                for (uint32_t i = 0; i < 16; i++) {
                    size_t x = bx * 4 + i % 4, y = by * 4 + i / 4;
                    vgt_store_le32(out + (((size_t)z * h + y) * w + x) * 4, t[i]);
                }
            }
        }
    }
    return out;
}

static void test_dxt_volume(void **state)
{
    (void)state;
    size_t bytes, sub_bytes;
    /* 4 slices of 2 x 2 blocks, and the 1 x 1 block replaced at (4, 0, 2) */
    uint8_t *blocks = dxt_image(VGT_SVGA3D_DXT5, 8, 32, 21, &bytes);
    uint8_t *sub = dxt_image(VGT_SVGA3D_DXT5, 4, 4, 22, &sub_bytes);
    vgt_svga3d_box box = {4, 0, 2, 4, 4, 1};
    uint8_t *argb = decoded(VGT_SVGA3D_DXT5, blocks, 8, 8, 4);
    uint8_t *sub_argb = decoded(VGT_SVGA3D_DXT5, sub, 4, 4, 1);
    vgt_image img[2];
    for (int k = 0; k < 2; k++) {
        scene *s = calloc(1, sizeof(*s));
        scene_init(s, "gl", W, H, VGT_SVGA3D_A8R8G8B8, 0);
        if (k == 0) {
            volume_scene(s, VGT_SVGA3D_DXT5, blocks, sub, 16, &box);
        } else {
            volume_scene(s, VGT_SVGA3D_A8R8G8B8, argb, sub_argb, 16, &box);
        }
        vgt_gl_counters n;
        assert_int_equal(vgt_backend_gl_counters(&s->be, &n), VGT_OK);
        if (k == 0) {
            assert_true(n.dxt_blocks_decoded > 0);
        }
        scene_read(s, &img[k]);
        scene_fini(s);
        free(s);
    }
    if (image_colors(&img[1], 64) < 24) {
        fail_msg("dxt-volume: the reference has %u colors: not a real scene",
                 image_colors(&img[1], 64));
    }
    compare_images_as("dxt-volume", "dxt5", &img[0], "argb", &img[1], 0, 0.0);
    for (int k = 0; k < 2; k++) {
        vgt_image_free(&img[k]);
    }
    free(blocks);
    free(sub);
    free(argb);
    free(sub_argb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dxt1_point),      cmocka_unit_test(test_dxt1_linear),
        cmocka_unit_test(test_dxt2_linear),     cmocka_unit_test(test_dxt3_point),
        cmocka_unit_test(test_dxt4_point),      cmocka_unit_test(test_dxt5_linear),
        cmocka_unit_test(test_dxt5_mip_levels), cmocka_unit_test(test_dxt_subbox_and_copy),
        cmocka_unit_test(test_dxt_volume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
