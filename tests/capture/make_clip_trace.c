/* make_clip_trace OUT: captures (soft) one frame of a guest whose draws
 * clipping removes at the pixels cli_pixel.sh follows, so that `vgt pixel`
 * names the plane: on a 16x16 target, four triangles covering it, the
 * first before the near plane (z -0.25), the second beyond the far plane
 * (z 1.5), the third at z 0.5 with user plane 2 (y >= 0.2: the rows from 7
 * down removed), the fourth beyond the far plane with user plane 0 (x >=
 * 0.2: the columns left of 10 removed).  Pixel (4,12) has all four
 * clipped (near; far; plane 2; far and plane 0), pixel (12,2) the third
 * written and the fourth clipped by the far plane alone.  No sample shows
 * a clipped pixel on screen. */
#include <stdio.h>
#include <string.h>

#include "capture_tool_main.h"

enum { CID = 1, SID_COLOR = 1, SID_DEPTH = 2, SID_VB = 3, GMR_STAGING = 1, SIZE = 16 };

typedef struct clip_vertex {
    float x, y, z;
    uint32_t color;
} clip_vertex;

static void draw(vgt_drv *drv, uint32_t first, uint32_t clip_planes)
{
    const vgt_svga3d_render_state_pair rs[1] = {{VGT_SVGA3D_RS_CLIPPLANEENABLE, clip_planes}};
    vgt_drv3d_set_render_states(drv, CID, rs, 1);
    const uint32_t stride = sizeof(clip_vertex), at = first * 3u * stride;
    const vgt_svga3d_vertex_decl decls[2] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_POSITION,
         0,
         {SID_VB, at, stride},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_D3DCOLOR,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_COLOR,
         0,
         {SID_VB, at + 12u, stride},
         0,
         0},
    };
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, {VGT_SVGA3D_INVALID_ID, 0, 0}, 0, 0,
    };
    vgt_drv3d_draw_primitives(drv, CID, decls, 2, &range, 1);
}

static void set_plane(vgt_drv *drv, uint32_t index, float a, float b, float c, float d)
{
    vgt_svga3d_cmd_setclipplane cmd = {.cid = CID, .index = index, .plane = {a, b, c, d}};
    void *body = vgt_drv3d_reserve(drv, VGT_SVGA3D_CMD_SETCLIPPLANE, sizeof(cmd));
    if (body) {
        memcpy(body, &cmd, sizeof(cmd));
        vgt_drv_fifo_commit_all(drv);
    }
}

static int guest_main(vgt_guest *guest, void *arg)
{
    (void)arg;
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    if (!vgt_drv3d_start(&drv, guest, "make_clip_trace", 64, 48, false)) {
        return 2;
    }
    vgt_drv3d_define_screen_targets(&drv, SID_COLOR, SID_DEPTH, SIZE, SIZE);
    vgt_drv3d_setup_context(&drv, CID, SID_COLOR, SID_DEPTH, SIZE, SIZE);
    const vgt_svga3d_render_state_pair rs[3] = {
        {VGT_SVGA3D_RS_LIGHTINGENABLE, 0},
        {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE},
        {VGT_SVGA3D_RS_ZENABLE, 0},
    };
    vgt_drv3d_set_render_states(&drv, CID, rs, 3);
    set_plane(&drv, 0, 1.0f, 0.0f, 0.0f, -0.2f);
    set_plane(&drv, 2, 0.0f, 1.0f, 0.0f, -0.2f);
    /* the identity transforms (the context's defaults): clip space */
    const float zs[4] = {-0.25f, 1.5f, 0.5f, 1.5f};
    clip_vertex v[12];
    for (uint32_t t = 0; t < 4; t++) {
        v[3 * t + 0] = (clip_vertex){-1.0f, 1.0f, zs[t], 0xff40c020u};
        v[3 * t + 1] = (clip_vertex){3.0f, 1.0f, zs[t], 0xff40c020u};
        v[3 * t + 2] = (clip_vertex){-1.0f, -3.0f, zs[t], 0xff40c020u};
    }
    vgt_drv3d_define_surface(&drv, SID_VB, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER,
                             sizeof(v), 1, 1, 1);
    vgt_drv3d_buffer staging;
    if (vgt_drv3d_buffer_create(&drv, GMR_STAGING, sizeof(v), &staging) != VGT_OK) {
        return 3;
    }
    if (vgt_drv3d_upload_buffer(&drv, &staging, SID_VB, v, sizeof(v)) != VGT_OK) {
        return 4;
    }
    vgt_drv3d_clear(&drv, CID, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xff000000u, 1.0f,
                    0, NULL, 0);
    draw(&drv, 0, 0);
    draw(&drv, 1, 0);
    draw(&drv, 2, VGT_SVGA3D_CLIPPLANE_2);
    draw(&drv, 3, VGT_SVGA3D_CLIPPLANE_0);
    vgt_drv3d_present(&drv, SID_COLOR, NULL, 0);
    vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    vgt_drv3d_teardown(&drv, CID, SID_COLOR, SID_VB, &staging);
    return vgt_drv_sample_exit(&drv, "make_clip_trace", false);
}

int main(int argc, char **argv)
{
    return capture_tool_main("make_clip_trace", argc, argv, guest_main);
}
