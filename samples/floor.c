/* floor.c - sample "floor": anisotropic filtering beside trilinear, the way
 * a Direct3D 9 game's "texture filtering" setting changes a road or a floor
 * seen at a grazing angle.
 *
 * A large floor plane (y = -1 under a camera at height 0 looking a little
 * down) carries a 128x128 checker texture repeated every 2 units, with its
 * full mip chain (8 levels, each a box filter of the one above, computed by
 * the guest) uploaded by SURFACE_DMA through the DMA pool.  The screen is
 * split in two viewports of the same size showing the same floor: the left
 * one drawn with MINFILTER LINEAR + MIPFILTER LINEAR (trilinear: far away
 * the checks blur to grey, the LOD following the footprint's long axis),
 * the right one with MINFILTER ANISOTROPIC and TEXTURE_ANISOTROPIC_LEVEL N
 * (--aniso N, default 16; the guest clamps N to the device's
 * MAX_TEXTURE_ANISOTROPY, as a Direct3D 9 driver clamps D3DSAMP_MAXANISOTROPY
 * to D3DCAPS9.MaxAnisotropy, and prints what it uses).  A thin divider
 * between them is a CLEAR of its columns.  The camera glides forward: the
 * floor moves towards it by 0.05 units a frame, modulo the texture's repeat,
 * so frame N is always the same. */
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
    GMR_POOL = 1,
    POOL_SLOTS = 1, /* the uploads (~85 KiB, once, before the first frame) fit one */
    POOL_SLOT_SIZE = 128 * 1024,
    CHECKER_SIZE = 128,
    CHECKER_MIPS = 8,
    CHECK = 16,          /* texels per check: 8 x 8 checks per repeat */
    DIVIDER = 2,         /* divider columns (3 when the width is odd) */
    GLIDE_PERIOD = 40u,  /* frames to glide over one repeat of the texture */
    DEFAULT_ANISO = 16u, /* --aniso's default: what D3D9 games offer at most */
};

#define REPEAT    2.0f /* world units per repeat of the texture */
#define FLOOR_X   120.0f
#define FLOOR_FAR 160.0f
#define TILT      0.12f /* radians the camera looks down */

#define SKY           0xFF1C2A3Cu
#define DIVIDER_COLOR 0xFFF0C020u

typedef struct floor_vertex {
    float x, y, z;
    float u, v;
} floor_vertex;

/* Two triangles, clockwise as the camera above sees them; the floor starts
 * one repeat behind the camera so it still reaches under it after the glide
 * moved it REPEAT towards the viewer. */
static void build_floor(floor_vertex *v)
{
    const float z0 = -REPEAT, z1 = FLOOR_FAR;
    const float c[4][2] = {{-FLOOR_X, z1}, {FLOOR_X, z1}, {-FLOOR_X, z0}, {FLOOR_X, z0}};
    static const int order[6] = {0, 1, 2, 2, 1, 3};
    for (int i = 0; i < 6; i++) {
        int k = order[i];
        v[i] = (floor_vertex){c[k][0], -1.0f, c[k][1], c[k][0] / REPEAT, c[k][1] / REPEAT};
    }
}

/* A light and a dark check, 8 x 8 of them: the pattern that blurs to grey
 * under trilinear filtering far away. */
static uint32_t checker_texel(uint32_t x, uint32_t y)
{
    return ((x / CHECK + y / CHECK) & 1u) ? 0xFF26303Au : 0xFFE8E4D8u;
}

/* Builds level 0, the rest by box filtering, and uploads every level
 * through the pool by SURFACE_DMA. */
static void upload_checker(vgt_drv3d_pool *pool)
{
    vgt_drv *drv = pool->drv;
    uint32_t *a = malloc((size_t)CHECKER_SIZE * CHECKER_SIZE * 4u);
    uint32_t *b = malloc((size_t)CHECKER_SIZE * CHECKER_SIZE * 4u);
    if (!a || !b) {
        free(a);
        free(b);
        drv->failed = true;
        vgt_error_set(&drv->error, VGT_E_NOMEM, "out of memory for the checker texture");
        return;
    }
    for (uint32_t y = 0; y < CHECKER_SIZE; y++) {
        for (uint32_t x = 0; x < CHECKER_SIZE; x++) {
            a[y * CHECKER_SIZE + x] = checker_texel(x, y);
        }
    }
    uint32_t s = CHECKER_SIZE;
    for (uint32_t m = 0; m < CHECKER_MIPS && !drv->failed; m++) {
        vgt_svga_guest_ptr g;
        void *dst = vgt_drv3d_pool_alloc(pool, s * s * 4u, &g);
        if (!dst) {
            if (!drv->failed) {
                drv->failed = true;
                vgt_error_set(&drv->error, VGT_E_RANGE, "DMA pool: no room for level %u", m);
            }
            break;
        }
        memcpy(dst, a, (size_t)s * s * 4u);
        vgt_svga3d_copy_box box = {0, 0, 0, s, s, 1, 0, 0, 0};
        vgt_drv3d_surface_dma(drv, g, s * 4u, (vgt_svga3d_surface_image_id){SID_CHECKER, 0, m},
                              VGT_SVGA3D_WRITE_HOST_VRAM, &box, 1, NULL);
        demo_downsample(a, s, s, b);
        uint32_t *t = a;
        a = b;
        b = t;
        s = s > 1u ? s / 2u : 1u;
    }
    free(a);
    free(b);
}

/* The two halves' viewports: the same size, so they show the same picture
 * where the filters agree. */
typedef struct layout {
    uint32_t half;    /* width of each viewport */
    uint32_t right_x; /* the right viewport's left column */
    uint32_t h;
} layout;

static layout make_layout(uint32_t w, uint32_t h)
{
    layout l;
    l.half = (w - DIVIDER) / 2u;
    l.right_x = w - l.half;
    l.h = h;
    return l;
}

static void setup_state(vgt_drv *drv, const layout *l, uint32_t w, uint32_t h)
{
    vgt_drv3d_setup_context(drv, CID, SID_COLOR, VGT_SVGA3D_INVALID_ID, w, h);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZENABLE, 0},           {VGT_SVGA3D_RS_ZWRITEENABLE, 0},
        {VGT_SVGA3D_RS_LIGHTINGENABLE, 0},    {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE},
        {VGT_SVGA3D_RS_BLENDENABLE, 0},       {VGT_SVGA3D_RS_ALPHATESTENABLE, 0},
        {VGT_SVGA3D_RS_STENCILENABLE, 0},     {VGT_SVGA3D_RS_FOGENABLE, 0},
        {VGT_SVGA3D_RS_SCISSORTESTENABLE, 0},
    };
    vgt_drv3d_set_render_states(drv, CID, rs, sizeof(rs) / sizeof(rs[0]));
    /* Stage 0 shows the texture as it is; the filters are set per half. */
    const vgt_svga3d_texture_state_entry ts[] = {
        {0, VGT_SVGA3D_TS_BIND_TEXTURE, SID_CHECKER},
        {0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_SELECTARG1},
        {0, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_TEXTURE},
        {0, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_SELECTARG1},
        {0, VGT_SVGA3D_TS_ALPHAARG1, VGT_SVGA3D_TA_TEXTURE},
        {0, VGT_SVGA3D_TS_MAGFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR},
        {0, VGT_SVGA3D_TS_MIPFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR},
        {0, VGT_SVGA3D_TS_ADDRESSU, VGT_SVGA3D_TEX_ADDRESS_WRAP},
        {0, VGT_SVGA3D_TS_ADDRESSV, VGT_SVGA3D_TEX_ADDRESS_WRAP},
        {0, VGT_SVGA3D_TS_TEXCOORDINDEX, 0},
        {1, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_DISABLE},
        {1, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_DISABLE},
    };
    vgt_drv3d_set_texture_states(drv, CID, ts, sizeof(ts) / sizeof(ts[0]));
    float view[16], proj[16];
    demo_mat_rotate(view, 0, -TILT); /* the world turns up: the camera looks down */
    demo_mat_perspective(proj, l->half, l->h, 0.25f, 200.0f);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_VIEW, view);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_PROJECTION, proj);
}

static void draw_floor(vgt_drv *drv)
{
    const vgt_svga3d_vertex_decl decls[2] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_POSITION,
         0,
         {SID_VB, 0, sizeof(floor_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_FLOAT2,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_TEXCOORD,
         0,
         {SID_VB, 12, sizeof(floor_vertex)},
         0,
         0},
    };
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, {VGT_SVGA3D_INVALID_ID, 0, 0}, 0, 0,
    };
    vgt_drv3d_draw_primitives(drv, CID, decls, 2, &range, 1);
}

static void draw_frame(vgt_drv *drv, const layout *l, uint32_t aniso, uint32_t f)
{
    vgt_drv3d_clear(drv, CID, VGT_SVGA3D_CLEAR_COLOR, SKY, 1.0f, 0, NULL, 0);
    /* The glide: the floor comes 0.05 a frame closer, a whole repeat every
     * GLIDE_PERIOD frames, where the pattern looks as it did at frame 0. */
    float world[16];
    demo_mat_translate(world, 0.0f, 0.0f, -REPEAT * (float)(f % GLIDE_PERIOD) / GLIDE_PERIOD);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_WORLD, world);
    /* Left: trilinear. */
    vgt_drv3d_set_viewport(drv, CID, 0, 0, l->half, l->h);
    const vgt_svga3d_texture_state_entry tri[] = {
        {0, VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR},
    };
    vgt_drv3d_set_texture_states(drv, CID, tri, 1);
    draw_floor(drv);
    /* Right: anisotropic, the level the guest settled on. */
    vgt_drv3d_set_viewport(drv, CID, l->right_x, 0, l->half, l->h);
    const vgt_svga3d_texture_state_entry an[] = {
        {0, VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC},
        {0, VGT_SVGA3D_TS_TEXTURE_ANISOTROPIC_LEVEL, aniso},
    };
    vgt_drv3d_set_texture_states(drv, CID, an, 2);
    draw_floor(drv);
    /* The divider: the columns between the viewports (CLEAR rectangles
     * are in target coordinates, not bound by the viewport). */
    const vgt_svga3d_rect div = {l->half, 0, l->right_x - l->half, l->h};
    vgt_drv3d_clear(drv, CID, VGT_SVGA3D_CLEAR_COLOR, DIVIDER_COLOR, 1.0f, 0, &div, 1);
    vgt_drv3d_present(drv, SID_COLOR, NULL, 0);
}

int vgt_sample_floor(vgt_guest *guest, const vgt_sample_args *args)
{
    demo_args da;
    if (!demo_args_get("floor", args, 3u * GLIDE_PERIOD, 16, 16, false, &da)) {
        return 1;
    }
    uint32_t asked = args && args->aniso ? args->aniso : DEFAULT_ANISO;
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    if (!vgt_drv3d_start(&drv, guest, "floor", da.w, da.h, da.quiet)) {
        return 2;
    }
    /* As a Direct3D 9 driver: MaxAnisotropy from the caps; a device that
     * does not say offers none (1), and the level is clamped to it. */
    uint32_t max_aniso = 1;
    if (!vgt_drv3d_devcap(&drv, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY, &max_aniso) ||
        max_aniso == 0) {
        max_aniso = 1;
    }
    uint32_t aniso = asked < max_aniso ? asked : max_aniso;
    if (!da.quiet) {
        printf("floor: anisotropy %u on the right (asked %u, the device's "
               "MAX_TEXTURE_ANISOTROPY %u), trilinear on the left\n",
               aniso, asked, max_aniso);
    }
    vgt_error err = {0};
    vgt_drv3d_pool pool;
    if (vgt_drv3d_pool_create(&drv, GMR_POOL, POOL_SLOTS, POOL_SLOT_SIZE, &pool, &err) != VGT_OK) {
        if (!da.quiet) {
            fprintf(stderr, "floor: %s\n", err.message);
        }
        vgt_drv_fini(&drv);
        return 2;
    }
    layout l = make_layout(da.w, da.h);
    vgt_drv3d_define_surface(&drv, SID_COLOR, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET,
                             VGT_SVGA3D_X8R8G8B8, da.w, da.h, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_VB,
                             VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, 6u * sizeof(floor_vertex), 1, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_CHECKER, VGT_SVGA3D_SURFACE_HINT_TEXTURE,
                             VGT_SVGA3D_A8R8G8B8, CHECKER_SIZE, CHECKER_SIZE, 1, CHECKER_MIPS);
    floor_vertex quad[6];
    build_floor(quad);
    vgt_drv3d_pool_upload_buffer(&pool, SID_VB, 0, quad, sizeof(quad));
    upload_checker(&pool);
    vgt_drv3d_pool_flush(&pool);
    setup_state(&drv, &l, da.w, da.h);
    for (uint32_t f = 0; f < da.frames && !drv.failed; f++) {
        draw_frame(&drv, &l, aniso, f);
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    }
    vgt_drv3d_teardown(&drv, CID, SID_COLOR, SID_CHECKER, NULL);
    vgt_drv3d_pool_destroy(&pool);
    return vgt_drv_sample_exit(&drv, "floor", da.quiet);
}
