/* cube.c - sample "cube": the first 3D guest program.  A spinning cube from
 * static vertex and index buffers (BUFFER surfaces filled once by
 * SURFACE_DMA from a GMR), fixed-function world/view/projection transforms,
 * per-vertex D3DCOLOR colors, a depth test against a Z_D24S8 target, and
 * every frame CLEAR, DRAW_PRIMITIVES, PRESENT and a fence the guest waits
 * for.  The rotation is a function of the frame number only (and the sine
 * is computed here with plain float arithmetic, no libm), so frame N always
 * issues the same bytes. */
#include "cube_scene.h"
#include "demo_util.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <string.h>

enum {
    CID = 1,
    SID_COLOR = 1,
    SID_DEPTH = 2,
    SID_VB = 3,
    SID_IB = 4,
    GMR_STAGING = 1,
};

static void setup_state(vgt_drv *drv, uint32_t w, uint32_t h)
{
    vgt_drv3d_setup_context(drv, CID, SID_COLOR, SID_DEPTH, w, h);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZENABLE, 1},
        {VGT_SVGA3D_RS_ZWRITEENABLE, 1},
        {VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS},
        {VGT_SVGA3D_RS_LIGHTINGENABLE, 0},
        {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_BACK},
        {VGT_SVGA3D_RS_FRONTWINDING, VGT_SVGA3D_FRONTWINDING_CW},
        {VGT_SVGA3D_RS_SHADEMODE, VGT_SVGA3D_SHADEMODE_SMOOTH},
        {VGT_SVGA3D_RS_BLENDENABLE, 0},
        {VGT_SVGA3D_RS_ALPHATESTENABLE, 0},
        {VGT_SVGA3D_RS_STENCILENABLE, 0},
        {VGT_SVGA3D_RS_FOGENABLE, 0},
    };
    vgt_drv3d_set_render_states(drv, CID, rs, sizeof(rs) / sizeof(rs[0]));
    /* Stage 0 passes the vertex color through; stage 1 ends the cascade. */
    const vgt_svga3d_texture_state_entry ts[] = {
        {0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_SELECTARG1},
        {0, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_DIFFUSE},
        {0, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_SELECTARG1},
        {0, VGT_SVGA3D_TS_ALPHAARG1, VGT_SVGA3D_TA_DIFFUSE},
        {1, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_DISABLE},
        {1, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_DISABLE},
    };
    vgt_drv3d_set_texture_states(drv, CID, ts, sizeof(ts) / sizeof(ts[0]));
    float view[16], proj[16];
    cube_mat_identity(view);
    view[14] = 5.0f; /* the camera 5 units in front of the cube, looking down +z */
    cube_projection_matrix(w, h, proj);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_VIEW, view);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_PROJECTION, proj);
}

static void draw_frame(vgt_drv *drv, uint32_t f)
{
    float world[16];
    cube_world_matrix(f, world);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_WORLD, world);
    vgt_drv3d_clear(drv, CID, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xFF203040u, 1.0f, 0,
                    NULL, 0);
    const vgt_svga3d_vertex_decl decls[2] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_POSITION,
         0,
         {SID_VB, 0, sizeof(cube_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_D3DCOLOR,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_COLOR,
         0,
         {SID_VB, 12, sizeof(cube_vertex)},
         0,
         0},
    };
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 12, {SID_IB, 0, 2}, 2, 0,
    };
    vgt_drv3d_draw_primitives(drv, CID, decls, 2, &range, 1);
    vgt_drv3d_present(drv, SID_COLOR, NULL, 0);
}

int vgt_sample_cube(vgt_guest *guest, const vgt_sample_args *args)
{
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    demo_args da;
    if (!demo_args_get("cube", args, 60u, 16, 16, false, &da)) {
        return 1;
    }
    uint32_t frames = da.frames, w = da.w, h = da.h;
    bool quiet = da.quiet;
    vgt_drv3d_buffer staging = {0};
    if (!vgt_drv3d_start(&drv, guest, "cube", w, h, quiet)) {
        return 2;
    }
    vgt_drv3d_define_screen_targets(&drv, SID_COLOR, SID_DEPTH, w, h);
    vgt_drv3d_define_surface(&drv, SID_VB,
                             VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, sizeof(cube_vertices), 1, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_IB,
                             VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, sizeof(cube_indices), 1, 1, 1);
    vgt_drv3d_upload_mesh(&drv, &staging, GMR_STAGING, 4096, SID_VB, cube_vertices,
                          sizeof(cube_vertices), SID_IB, cube_indices, sizeof(cube_indices));
    setup_state(&drv, w, h);
    for (uint32_t f = 0; f < frames && !drv.failed; f++) {
        draw_frame(&drv, f);
        /* Pace: the next frame starts when this one has been presented. */
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    }
    vgt_drv3d_teardown(&drv, CID, SID_COLOR, SID_IB, &staging);
    return vgt_drv_sample_exit(&drv, "cube", quiet);
}
