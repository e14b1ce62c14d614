/* textured.c - sample "textured": textured and alpha-blended quads, with
 * textures uploaded the way real drivers do it: every mip level written by
 * the guest into a DMA pool buffer (a ring of GMR-backed staging buffers,
 * each reused only after its fence passed) and moved by SURFACE_DMA.
 *
 * - a 128x128 A8R8G8B8 texture with a full mip chain (8 levels, each a box
 *   filter of the one above, computed by the guest): a checkerboard with an
 *   upright red "F", so orientation is visible; drawn large, and as a row of
 *   ever smaller copies that sample the smaller levels (trilinear);
 * - a 64x64 texture re-uploaded every frame through the pool (moving
 *   stripes): the streaming upload;
 * - a 64x64 "glass" disc with an alpha channel and mips, drawn three times,
 *   tinted red, green and blue by the vertex color, alpha-blended
 *   (SRCALPHA, INVSRCALPHA) over the rest and over each other, moving.
 *
 * One frame in flight: frame f waits for the fence of frame f - 1.  All
 * motion is a function of the frame number, so frame N is always the same. */
#include "demo_util.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    CID = 1,
    SID_COLOR = 1,
    SID_VB = 2,
    SID_CHECKER = 3,
    SID_GLASS = 4,
    SID_STREAM = 5,
    GMR_POOL = 1,
    POOL_SLOTS = 3,
    POOL_SLOT_SIZE = 128 * 1024,
    CHECKER_SIZE = 128,
    CHECKER_MIPS = 8,
    GLASS_SIZE = 64,
    GLASS_MIPS = 7,
    STREAM_SIZE = 64,
};

typedef struct tex_vertex {
    float x, y, z;
    uint32_t color;
    float u, v;
} tex_vertex;

/* Quad k of the vertex buffer: the unit square (y up), 6 vertices, colored. */
enum { QUAD_WHITE = 0, QUAD_RED, QUAD_GREEN, QUAD_BLUE, QUAD_COUNT };
static const uint32_t quad_colors[QUAD_COUNT] = {0xFFFFFFFFu, 0xC0FF5040u, 0xC040FF60u,
                                                 0xC05080FFu};

static void build_quads(tex_vertex *v)
{
    /* (x, y) unit corners and their texture coordinates: (u, v) = (0, 0) is
     * the texture's first row, shown at the top. */
    static const float c[6][4] = {
        {0, 0, 0, 1}, {0, 1, 0, 0}, {1, 1, 1, 0}, {0, 0, 0, 1}, {1, 1, 1, 0}, {1, 0, 1, 1},
    };
    for (uint32_t q = 0; q < QUAD_COUNT; q++) {
        for (uint32_t i = 0; i < 6; i++) {
            v[q * 6u + i] = (tex_vertex){c[i][0], c[i][1], 0.5f, quad_colors[q], c[i][2], c[i][3]};
        }
    }
}

/* ---- texture contents (guest side) ------------------------------------------ */

static uint32_t checker_texel(uint32_t x, uint32_t y)
{
    /* An "F": stem, top bar, middle bar. */
    bool stem = x >= 24 && x < 44 && y >= 14 && y < 114;
    bool top = x >= 24 && x < 100 && y >= 14 && y < 34;
    bool mid = x >= 24 && x < 84 && y >= 56 && y < 74;
    if (stem || top || mid) {
        return 0xFFD02828u;
    }
    return ((x / 16u + y / 16u) & 1u) ? 0xFF2F5C9Au : 0xFFE6E6E0u;
}

static uint32_t glass_texel(uint32_t x, uint32_t y)
{
    float dx = ((float)x + 0.5f) / (GLASS_SIZE / 2) - 1.0f;
    float dy = ((float)y + 0.5f) / (GLASS_SIZE / 2) - 1.0f;
    float d2 = dx * dx + dy * dy;
    if (d2 >= 1.0f) {
        return 0x00FFFFFFu;
    }
    float a = 0.35f + 0.6f * d2; /* clearer in the middle, a strong rim */
    uint32_t ab = (uint32_t)(a * 255.0f + 0.5f);
    return (ab << 24) | 0x00FFFFFFu;
}

static uint32_t stream_texel(uint32_t x, uint32_t y, uint32_t f)
{
    uint32_t band = ((x + y + f * 2u) / 8u) & 3u;
    static const uint32_t colors[4] = {0xFFF0C020u, 0xFF20A0A0u, 0xFF8030B0u, 0xFF20A040u};
    return colors[band];
}

/* Uploads one mip level through the pool. */
static void upload_level(vgt_drv3d_pool *pool, uint32_t sid, uint32_t mip, const uint32_t *px,
                         uint32_t w, uint32_t h)
{
    vgt_svga_guest_ptr g;
    void *dst = vgt_drv3d_pool_alloc(pool, w * h * 4u, &g);
    if (!dst) {
        if (!pool->drv->failed) {
            pool->drv->failed = true;
            vgt_error_set(&pool->drv->error, VGT_E_RANGE, "DMA pool: no room for %ux%u", w, h);
        }
        return;
    }
    memcpy(dst, px, (size_t)w * h * 4u);
    vgt_svga3d_copy_box box = {0, 0, 0, w, h, 1, 0, 0, 0};
    vgt_drv3d_surface_dma(pool->drv, g, w * 4u, (vgt_svga3d_surface_image_id){sid, 0, mip},
                          VGT_SVGA3D_WRITE_HOST_VRAM, &box, 1, NULL);
}

/* Builds level 0 with `texel`, the rest by box filtering, and uploads all. */
static void upload_mipmapped(vgt_drv3d_pool *pool, uint32_t sid, uint32_t size, uint32_t mips,
                             uint32_t (*texel)(uint32_t, uint32_t))
{
    uint32_t *a = malloc((size_t)size * size * 4u), *b = malloc((size_t)size * size * 4u);
    if (!a || !b) {
        free(a);
        free(b);
        pool->drv->failed = true;
        vgt_error_set(&pool->drv->error, VGT_E_NOMEM, "out of memory");
        return;
    }
    for (uint32_t y = 0; y < size; y++) {
        for (uint32_t x = 0; x < size; x++) {
            a[y * size + x] = texel(x, y);
        }
    }
    uint32_t w = size, h = size;
    for (uint32_t m = 0; m < mips; m++) {
        upload_level(pool, sid, m, a, w, h);
        demo_downsample(a, w, h, b);
        uint32_t *t = a;
        a = b;
        b = t;
        w = w > 1u ? w / 2u : 1u;
        h = h > 1u ? h / 2u : 1u;
    }
    free(a);
    free(b);
}

/* ---- drawing ------------------------------------------------------------------ */

typedef struct scene {
    vgt_drv *drv;
    uint32_t w, h;
} scene;

/* World matrix mapping the unit quad to pixels (x, y, qw, qh), y down. */
static void quad_matrix(const scene *s, float x, float y, float qw, float qh, float m[16])
{
    demo_mat_identity(m);
    m[0] = 2.0f * qw / (float)s->w;
    m[5] = 2.0f * qh / (float)s->h;
    m[12] = 2.0f * x / (float)s->w - 1.0f;
    m[13] = 1.0f - 2.0f * (y + qh) / (float)s->h;
}

static void draw_quad(const scene *s, uint32_t quad, uint32_t sid, float x, float y, float qw,
                      float qh)
{
    float m[16];
    quad_matrix(s, x, y, qw, qh, m);
    vgt_drv3d_set_transform(s->drv, CID, VGT_SVGA3D_TRANSFORM_WORLD, m);
    const vgt_svga3d_texture_state_entry bind = {0, VGT_SVGA3D_TS_BIND_TEXTURE, sid};
    vgt_drv3d_set_texture_states(s->drv, CID, &bind, 1);
    uint32_t base = quad * 6u * (uint32_t)sizeof(tex_vertex);
    const vgt_svga3d_vertex_decl decls[3] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_POSITION,
         0,
         {SID_VB, base, sizeof(tex_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_D3DCOLOR,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_COLOR,
         0,
         {SID_VB, base + 12u, sizeof(tex_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_FLOAT2,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_TEXCOORD,
         0,
         {SID_VB, base + 16u, sizeof(tex_vertex)},
         0,
         0},
    };
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, {VGT_SVGA3D_INVALID_ID, 0, 0}, 0, 0,
    };
    vgt_drv3d_draw_primitives(s->drv, CID, decls, 3, &range, 1);
}

static void set_blend(vgt_drv *drv, bool on)
{
    const vgt_svga3d_render_state_pair rs = {VGT_SVGA3D_RS_BLENDENABLE, on ? 1u : 0u};
    vgt_drv3d_set_render_states(drv, CID, &rs, 1);
}

static void setup_state(vgt_drv *drv, uint32_t w, uint32_t h)
{
    vgt_drv3d_setup_context(drv, CID, SID_COLOR, VGT_SVGA3D_INVALID_ID, w, h);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZENABLE, 0},
        {VGT_SVGA3D_RS_ZWRITEENABLE, 0},
        {VGT_SVGA3D_RS_LIGHTINGENABLE, 0},
        {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE},
        {VGT_SVGA3D_RS_SHADEMODE, VGT_SVGA3D_SHADEMODE_SMOOTH},
        {VGT_SVGA3D_RS_BLENDENABLE, 0},
        {VGT_SVGA3D_RS_SRCBLEND, VGT_SVGA3D_BLENDOP_SRCALPHA},
        {VGT_SVGA3D_RS_DSTBLEND, VGT_SVGA3D_BLENDOP_INVSRCALPHA},
        {VGT_SVGA3D_RS_BLENDEQUATION, VGT_SVGA3D_BLENDEQ_ADD},
        {VGT_SVGA3D_RS_ALPHATESTENABLE, 0},
        {VGT_SVGA3D_RS_STENCILENABLE, 0},
        {VGT_SVGA3D_RS_FOGENABLE, 0},
    };
    vgt_drv3d_set_render_states(drv, CID, rs, sizeof(rs) / sizeof(rs[0]));
    /* Stage 0: texture * vertex color, for color and alpha; trilinear. */
    const vgt_svga3d_texture_state_entry ts[] = {
        {0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_MODULATE},
        {0, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_TEXTURE},
        {0, VGT_SVGA3D_TS_COLORARG2, VGT_SVGA3D_TA_DIFFUSE},
        {0, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_MODULATE},
        {0, VGT_SVGA3D_TS_ALPHAARG1, VGT_SVGA3D_TA_TEXTURE},
        {0, VGT_SVGA3D_TS_ALPHAARG2, VGT_SVGA3D_TA_DIFFUSE},
        {0, VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR},
        {0, VGT_SVGA3D_TS_MAGFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR},
        {0, VGT_SVGA3D_TS_MIPFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR},
        {0, VGT_SVGA3D_TS_ADDRESSU, VGT_SVGA3D_TEX_ADDRESS_CLAMP},
        {0, VGT_SVGA3D_TS_ADDRESSV, VGT_SVGA3D_TEX_ADDRESS_CLAMP},
        {0, VGT_SVGA3D_TS_TEXCOORDINDEX, 0},
        {1, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_DISABLE},
        {1, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_DISABLE},
    };
    vgt_drv3d_set_texture_states(drv, CID, ts, sizeof(ts) / sizeof(ts[0]));
    static const float identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_VIEW, identity);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_PROJECTION, identity);
}

static void upload_stream(vgt_drv3d_pool *pool, uint32_t f)
{
    vgt_svga_guest_ptr g;
    uint32_t *dst = vgt_drv3d_pool_alloc(pool, STREAM_SIZE * STREAM_SIZE * 4u, &g);
    if (!dst) {
        if (!pool->drv->failed) {
            pool->drv->failed = true;
            vgt_error_set(&pool->drv->error, VGT_E_RANGE, "DMA pool allocation failed");
        }
        return;
    }
    /* Written straight into the staging buffer, as a driver's mapped upload. */
    for (uint32_t y = 0; y < STREAM_SIZE; y++) {
        for (uint32_t x = 0; x < STREAM_SIZE; x++) {
            dst[y * STREAM_SIZE + x] = stream_texel(x, y, f);
        }
    }
    vgt_svga3d_copy_box box = {0, 0, 0, STREAM_SIZE, STREAM_SIZE, 1, 0, 0, 0};
    vgt_drv3d_surface_dma(pool->drv, g, STREAM_SIZE * 4u,
                          (vgt_svga3d_surface_image_id){SID_STREAM, 0, 0},
                          VGT_SVGA3D_WRITE_HOST_VRAM, &box, 1, NULL);
}

static void draw_frame(const scene *s, vgt_drv3d_pool *pool, uint32_t f)
{
    float w = (float)s->w, h = (float)s->h;
    float big = 0.62f * h < 0.45f * w ? 0.62f * h : 0.45f * w;
    upload_stream(pool, f);
    vgt_drv3d_clear(s->drv, CID, VGT_SVGA3D_CLEAR_COLOR, 0xFF303438u, 1.0f, 0, NULL, 0);
    set_blend(s->drv, false);
    draw_quad(s, QUAD_WHITE, SID_CHECKER, 0.05f * w, 0.06f * h, big, big);
    draw_quad(s, QUAD_WHITE, SID_STREAM, 0.55f * w, 0.06f * h, 0.7f * big, 0.7f * big);
    /* Ever smaller copies: the sampler walks down the mip chain. */
    float x = 0.55f * w, size = 0.35f * big;
    for (int i = 0; i < 4; i++) {
        draw_quad(s, QUAD_WHITE, SID_CHECKER, x, 0.06f * h + 0.75f * big, size, size);
        x += size + 0.02f * w;
        size *= 0.5f;
    }
    /* Tinted glass discs, blended over everything and over each other. */
    set_blend(s->drv, true);
    for (uint32_t i = 0; i < 3; i++) {
        float t = 2.0f * DEMO_PI * (float)((f + i * 40u) % 120u) / 120.0f;
        float gs = 0.55f * big;
        float cx = 0.5f * w + 0.3f * w * demo_cos(t + (float)i);
        float cy = 0.62f * h + 0.2f * h * demo_sin(2.0f * t);
        draw_quad(s, QUAD_RED + i, SID_GLASS, cx - 0.5f * gs, cy - 0.5f * gs, gs, gs);
    }
    vgt_drv3d_present(s->drv, SID_COLOR, NULL, 0);
    vgt_drv3d_pool_flush(pool);
}

int vgt_sample_textured(vgt_guest *guest, const vgt_sample_args *args)
{
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    vgt_error err = {0};
    demo_args da;
    if (!demo_args_get("textured", args, 120u, 64, 48, false, &da)) {
        return 1;
    }
    uint32_t frames = da.frames, w = da.w, h = da.h;
    bool quiet = da.quiet;
    if (!vgt_drv3d_start(&drv, guest, "textured", w, h, quiet)) {
        return 2;
    }
    vgt_drv3d_pool pool;
    if (vgt_drv3d_pool_create(&drv, GMR_POOL, POOL_SLOTS, POOL_SLOT_SIZE, &pool, &err) != VGT_OK) {
        if (!quiet) {
            fprintf(stderr, "textured: %s\n", err.message);
        }
        vgt_drv_fini(&drv);
        return 2;
    }
    vgt_drv3d_define_surface(&drv, SID_COLOR, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET,
                             VGT_SVGA3D_X8R8G8B8, w, h, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_VB,
                             VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, QUAD_COUNT * 6u * sizeof(tex_vertex), 1, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_CHECKER, VGT_SVGA3D_SURFACE_HINT_TEXTURE,
                             VGT_SVGA3D_A8R8G8B8, CHECKER_SIZE, CHECKER_SIZE, 1, CHECKER_MIPS);
    vgt_drv3d_define_surface(&drv, SID_GLASS, VGT_SVGA3D_SURFACE_HINT_TEXTURE, VGT_SVGA3D_A8R8G8B8,
                             GLASS_SIZE, GLASS_SIZE, 1, GLASS_MIPS);
    vgt_drv3d_define_surface(&drv, SID_STREAM,
                             VGT_SVGA3D_SURFACE_HINT_TEXTURE | VGT_SVGA3D_SURFACE_HINT_DYNAMIC,
                             VGT_SVGA3D_A8R8G8B8, STREAM_SIZE, STREAM_SIZE, 1, 1);
    tex_vertex quads[QUAD_COUNT * 6u];
    build_quads(quads);
    vgt_drv3d_pool_upload_buffer(&pool, SID_VB, 0, quads, sizeof(quads));
    upload_mipmapped(&pool, SID_CHECKER, CHECKER_SIZE, CHECKER_MIPS, checker_texel);
    upload_mipmapped(&pool, SID_GLASS, GLASS_SIZE, GLASS_MIPS, glass_texel);
    vgt_drv3d_pool_flush(&pool);
    setup_state(&drv, w, h);

    scene s = {&drv, w, h};
    uint32_t prev_fence = 0;
    for (uint32_t f = 0; f < frames && !drv.failed; f++) {
        draw_frame(&s, &pool, f);
        /* One frame in flight: wait for the previous frame, not this one. */
        uint32_t fence = vgt_drv_insert_fence(&drv);
        if (prev_fence) {
            vgt_drv_sync_to_fence(&drv, prev_fence);
        }
        prev_fence = fence;
    }
    if (prev_fence) {
        vgt_drv_sync_to_fence(&drv, prev_fence);
    }
    vgt_drv3d_teardown(&drv, CID, SID_COLOR, SID_STREAM, NULL);
    vgt_drv3d_pool_destroy(&pool);
    return vgt_drv_sample_exit(&drv, "textured", quiet);
}
