/* instanced.c - sample "instanced": a field of 8x8 cubes drawn by one
 * instanced DRAW_PRIMITIVES a frame, the way a Direct3D 9 game draws a
 * crowd or a forest (SetStreamSourceFreq, which SVGA3D carries as a divisor
 * word per vertex declaration).
 *
 * The cube's 24 vertices (position, face normal) are the geometry, marked
 * INDEXED_DATA | 64: the 36 indices are drawn 64 times.  A second buffer
 * holds one 20-byte record per cube (x, z, phase, scale as TEXCOORD0 and a
 * D3DCOLOR as COLOR0), marked INSTANCE_DATA | 1: each instance reads the
 * next record.  A vs_2_0 shader places, bobs (sin of phase + time, the time a
 * constant set every frame) and lights each cube; a ps_2_0 passes the colour
 * on.  Every 30 frames the guest recolours the cubes: a new instance buffer
 * is uploaded by SURFACE_DMA, so a capture that starts mid-run must carry
 * the buffer's contents in its snapshot.  The animation is a function of the
 * frame number only. */
#include "cube_scene.h"
#include "demo_util.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    CID = 1,
    SID_COLOR = 1,
    SID_DEPTH = 2,
    SID_VB = 3,
    SID_IB = 4,
    SID_INSTANCES = 5,
    GMR_STAGING = 1,
    GMR_INSTANCES = 2,
    VS_ID = 1,
    PS_ID = 1,
};

#define SIDE        8u            /* cubes per row */
#define INSTANCES   (SIDE * SIDE) /* cubes drawn by each draw */
#define RECOLOR     30u           /* frames between two instance uploads */
#define INSTANCE_SZ 20u           /* bytes of one instance record */

/* c0-c3: the columns of view*projection; c4: (time, bob amplitude, 0, 0);
 * c5: the direction towards the light (world space, unit). */
static const char vs_text[] = "vs_2_0\n"
                              "def c7, 0.159154937, 0.5, 6.28318548, -3.14159274\n"
                              "def c8, -1.55009923e-06, -2.17013894e-05, 0.00260416674, "
                              "0.00026041668\n"
                              "def c9, -0.020833334, -0.125, 1, 0.5\n"
                              "def c10, 0, 1, 0.3, 0.7\n"
                              "dcl_position v0\n"
                              "dcl_normal v1\n"
                              "dcl_texcoord0 v2\n"
                              "dcl_color0 v3\n"
                              "add r0.x, v2.z, c4.x\n"       /* phase + time */
                              "mad r0.x, r0.x, c7.x, c7.y\n" /* into [-pi, pi] */
                              "frc r0.x, r0.x\n"
                              "mad r0.x, r0.x, c7.z, c7.w\n"
                              "sincos r1.xy, r0.x, c8, c9\n"
                              "mul r2.xyz, v0, v2.w\n" /* the cube, scaled */
                              "add r2.x, r2.x, v2.x\n" /* at its place */
                              "add r2.z, r2.z, v2.y\n"
                              "mad r2.y, r1.y, c4.y, r2.y\n" /* bobbing */
                              "mov r2.w, c10.y\n"
                              "m4x4 oPos, r2, c0\n"
                              "dp3 r3.x, v1, c5\n" /* ambient + diffuse */
                              "max r3.x, r3.x, c10.x\n"
                              "mad r3.x, r3.x, c10.w, c10.z\n"
                              "mul oD0.xyz, v3, r3.x\n"
                              "mov oD0.w, c10.y\n";

static const char ps_text[] = "ps_2_0\n"
                              "dcl v0\n"
                              "mov oC0, v0\n";

/* The instance records of recolouring `epoch`: the grid's places, a phase
 * that makes a wave run diagonally, and colours that move one step along a
 * palette each epoch. */
static void build_instances(uint32_t epoch, uint8_t out[INSTANCES * INSTANCE_SZ])
{
    static const uint32_t palette[8] = {0xFFE8553Cu, 0xFFF2A33Au, 0xFFF2D64Bu, 0xFF7BC950u,
                                        0xFF3FB8AFu, 0xFF3F7FD9u, 0xFF8F5FD9u, 0xFFD95FA8u};
    for (uint32_t i = 0; i < INSTANCES; i++) {
        uint32_t gx = i % SIDE, gz = i / SIDE;
        float rec[4] = {((float)gx - 3.5f) * 0.32f, ((float)gz - 3.5f) * 0.32f,
                        0.55f * (float)(gx + gz), 0.2f};
        uint32_t color = palette[(gx + gz + epoch) % 8u];
        memcpy(out + i * INSTANCE_SZ, rec, sizeof(rec));
        memcpy(out + i * INSTANCE_SZ + 16u, &color, 4);
    }
}

static void set_const(vgt_drv *drv, uint32_t reg, const float v[4])
{
    vgt_drv3d_set_shader_const(drv, CID, VGT_SVGA3D_SHADERTYPE_VS, reg, v);
}

static void setup_state(vgt_drv *drv, uint32_t w, uint32_t h)
{
    vgt_drv3d_setup_context(drv, CID, SID_COLOR, SID_DEPTH, w, h);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZENABLE, 1},
        {VGT_SVGA3D_RS_ZWRITEENABLE, 1},
        {VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS},
        {VGT_SVGA3D_RS_LIGHTINGENABLE, 0},
        {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_BACK},
        {VGT_SVGA3D_RS_BLENDENABLE, 0},
    };
    vgt_drv3d_set_render_states(drv, CID, rs, sizeof(rs) / sizeof(rs[0]));
    vgt_drv3d_shaders_from_text(drv, CID, VS_ID, vs_text, PS_ID, ps_text);
    /* the camera 3.4 units back, looking 40 degrees down at the field */
    const float c = 0.76604444f, s = 0.64278761f; /* cos, sin 40 degrees */
    float view[16] = {1, 0, 0, 0, 0, c, -s, 0, 0, s, c, 0, 0, 0.05f, 3.4f, 1};
    float proj[16], m[16];
    cube_projection_matrix(w, h, proj);
    cube_mat_mul(m, view, proj);
    vgt_drv3d_set_shader_matrix(drv, CID, VGT_SVGA3D_SHADERTYPE_VS, 0, m, 4);
    const float light[4] = {0.36f, 0.80f, -0.48f, 0.0f}; /* unit length */
    set_const(drv, 5, light);
}

static void draw_frame(vgt_drv *drv, uint32_t f)
{
    const float k[4] = {0.15f * (float)f, 0.12f, 0.0f, 0.0f};
    set_const(drv, 4, k);
    vgt_drv3d_clear(drv, CID, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xFF1C2230u, 1.0f, 0,
                    NULL, 0);
    const vgt_svga3d_vertex_decl decls[4] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_POSITION,
         0,
         {SID_VB, 0, sizeof(cube_face_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_NORMAL,
         0,
         {SID_VB, 12, sizeof(cube_face_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_FLOAT4,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_TEXCOORD,
         0,
         {SID_INSTANCES, 0, INSTANCE_SZ},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_D3DCOLOR,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_COLOR,
         0,
         {SID_INSTANCES, 16, INSTANCE_SZ},
         0,
         0},
    };
    const uint32_t divisors[4] = {
        VGT_SVGA3D_DIVISOR_INDEXED_DATA | INSTANCES, VGT_SVGA3D_DIVISOR_INDEXED_DATA | INSTANCES,
        VGT_SVGA3D_DIVISOR_INSTANCE_DATA | 1u, VGT_SVGA3D_DIVISOR_INSTANCE_DATA | 1u};
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 12, {SID_IB, 0, 2}, 2, 0,
    };
    vgt_drv3d_draw_primitives_instanced(drv, CID, decls, 4, &range, 1, divisors);
    vgt_drv3d_present(drv, SID_COLOR, NULL, 0);
}

int vgt_sample_instanced(vgt_guest *guest, const vgt_sample_args *args)
{
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    demo_args da;
    if (!demo_args_get("instanced", args, 120u, 16, 16, false, &da)) {
        return 1;
    }
    uint32_t frames = da.frames, w = da.w, h = da.h;
    bool quiet = da.quiet;
    cube_face_vertex verts[24];
    uint16_t idx[36];
    cube_faces_build(verts, idx);
    uint8_t inst[INSTANCES * INSTANCE_SZ];
    if (!vgt_drv3d_start(&drv, guest, "instanced", w, h, quiet)) {
        return 2;
    }
    uint32_t vs_version = 0;
    if (!vgt_drv3d_devcap(&drv, VGT_SVGA3D_DEVCAP_VERTEX_SHADER_VERSION, &vs_version) ||
        vs_version < 2) {
        if (!quiet) {
            fprintf(stderr,
                    "instanced: the device offers no vs_2_0 (VERTEX_SHADER_VERSION %u); run it "
                    "with --backend soft or gl\n",
                    vs_version);
        }
        vgt_drv_fini(&drv);
        return 2;
    }
    vgt_drv3d_buffer staging = {0}, inst_staging = {0};
    vgt_drv3d_define_screen_targets(&drv, SID_COLOR, SID_DEPTH, w, h);
    vgt_drv3d_define_surface(&drv, SID_VB,
                             VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, sizeof(verts), 1, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_IB,
                             VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, sizeof(idx), 1, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_INSTANCES,
                             VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_DYNAMIC,
                             VGT_SVGA3D_BUFFER, sizeof(inst), 1, 1, 1);
    vgt_drv3d_upload_mesh(&drv, &staging, GMR_STAGING, 4096, SID_VB, verts, sizeof(verts), SID_IB,
                          idx, sizeof(idx));
    if (!drv.failed &&
        vgt_drv3d_buffer_create(&drv, GMR_INSTANCES, sizeof(inst), &inst_staging) != VGT_OK) {
        drv.failed = true;
        vgt_error_set(&drv.error, VGT_E_NOMEM, "no guest memory for the instance staging buffer");
    }
    setup_state(&drv, w, h);
    for (uint32_t f = 0; f < frames && !drv.failed; f++) {
        if (f % RECOLOR == 0) {
            build_instances(f / RECOLOR, inst);
            if (vgt_drv3d_upload_buffer(&drv, &inst_staging, SID_INSTANCES, inst, sizeof(inst)) !=
                    VGT_OK &&
                !drv.failed) {
                drv.failed = true;
                vgt_error_set(&drv.error, VGT_E_IO, "uploading the instance records failed");
            }
        }
        draw_frame(&drv, f);
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    }
    vgt_drv3d_teardown(&drv, CID, SID_COLOR, SID_INSTANCES, &staging);
    if (inst_staging.ptr) {
        vgt_drv3d_buffer_destroy(&drv, &inst_staging);
    }
    return vgt_drv_sample_exit(&drv, "instanced", quiet);
}
