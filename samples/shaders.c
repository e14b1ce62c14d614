/* shaders.c - sample "shaders": programmable shading, after the VMware SVGA
 * developer kit's simple-shaders example.  A vs_2_0 vertex shader ripples a
 * tessellated 48x48 grid (height = amp * sin(freq * distance - time), the
 * time a constant set by SET_SHADER_CONST every frame) and shades it by the
 * slope of the wave; a ps_2_0 pixel shader paints a procedural checkerboard
 * from the grid coordinates.  Both are written in our own assembly below,
 * assembled at run time with vgt_shader_assemble and defined with
 * SHADER_DEFINE.  The animation is a function of the frame number only. */
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
    GMR_STAGING = 1,
    VS_ID = 1,
    PS_ID = 1,
};

#define GRID 48u /* quads per side */

/* c0-c3: the columns of world*view*projection; c4: (time, frequency,
 * amplitude, 0). */
static const char vs_text[] = "vs_2_0\n"
                              "def c5, 0, 1, 0.5, 0.159154937\n"
                              "def c6, 6.28318548, -3.14159274, 0.35, 0.65\n"
                              "def c7, -1.55009923e-06, -2.17013894e-05, 0.00260416674, "
                              "0.00026041668\n"
                              "def c8, -0.020833334, -0.125, 1, 0.5\n"
                              "dcl_position v0\n"
                              "mul r0, v0, v0\n"
                              "add r0.x, r0.x, r0.z\n"        /* d^2 */
                              "rsq r0.y, r0.x\n"              /* 1/d (FLT_MAX at 0) */
                              "mul r0.y, r0.x, r0.y\n"        /* d */
                              "mad r0.z, r0.y, c4.y, -c4.x\n" /* angle = d*freq - time */
                              "mad r0.z, r0.z, c5.w, c5.z\n"  /* into [-pi, pi] */
                              "frc r0.z, r0.z\n"
                              "mad r0.z, r0.z, c6.x, c6.y\n"
                              "sincos r1.xy, r0.z, c7, c8\n"
                              "mov r2, v0\n"
                              "mul r2.y, r1.y, c4.z\n" /* height */
                              "m4x4 oPos, r2, c0\n"
                              "mad oD0, r1.x, c6.z, c6.w\n" /* light from the slope */
                              "mov oT0, v0.xzyw\n";

static const char ps_text[] = "ps_2_0\n"
                              "def c0, 4, 0.5, 1, 0\n"
                              "def c1, 0.95, 0.78, 0.25, 1\n"
                              "def c2, 0.12, 0.32, 0.72, 1\n"
                              "dcl t0.xy\n"
                              "dcl v0\n"
                              "mul r0.xy, t0, c0.x\n"
                              "frc r0.xy, r0\n"
                              "add r0.xy, r0, -c0.y\n"
                              "mul r0.x, r0.x, r0.y\n" /* same parity: >= 0 */
                              "cmp r1, r0.x, c1, c2\n"
                              "mul r1.xyz, r1, v0\n"
                              "mov oC0, r1\n";

/* out = a * b (row vectors, m[row * 4 + col]). */
static void mat_mul(float out[16], const float a[16], const float b[16])
{
    float r[16];
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            float s = 0.0f;
            for (int k = 0; k < 4; k++) {
                s += a[i * 4 + k] * b[k * 4 + j];
            }
            r[i * 4 + j] = s;
        }
    }
    memcpy(out, r, sizeof(r));
}

/* world*view*projection: tilt the grid 35 degrees towards the camera, 2.25
 * units away, 60-degree vertical field of view. */
static void wvp(uint32_t w, uint32_t h, float out[16])
{
    const float c = 0.81915204f, s = 0.57357644f; /* cos, sin 35 degrees */
    float view[16] = {1, 0, 0, 0, 0, c, -s, 0, 0, s, c, 0, 0, 0.1f, 2.25f, 1};
    const float zn = 1.0f, zf = 10.0f, ys = 1.7320508f;
    float proj[16] = {0};
    proj[0] = ys * (float)h / (float)w;
    proj[5] = ys;
    proj[10] = zf / (zf - zn);
    proj[11] = 1.0f;
    proj[14] = -zn * zf / (zf - zn);
    mat_mul(out, view, proj);
}

static void set_const(vgt_drv *drv, uint32_t type, uint32_t reg, const float v[4])
{
    vgt_drv3d_set_shader_const(drv, CID, type, reg, v);
}

static void setup_state(vgt_drv *drv, uint32_t w, uint32_t h)
{
    vgt_drv3d_setup_context(drv, CID, SID_COLOR, SID_DEPTH, w, h);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZENABLE, 1},
        {VGT_SVGA3D_RS_ZWRITEENABLE, 1},
        {VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS},
        {VGT_SVGA3D_RS_LIGHTINGENABLE, 0},
        {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE},
        {VGT_SVGA3D_RS_BLENDENABLE, 0},
    };
    vgt_drv3d_set_render_states(drv, CID, rs, sizeof(rs) / sizeof(rs[0]));
    vgt_drv3d_shaders_from_text(drv, CID, VS_ID, vs_text, PS_ID, ps_text);
    float m[16];
    wvp(w, h, m);
    vgt_drv3d_set_shader_matrix(drv, CID, VGT_SVGA3D_SHADERTYPE_VS, 0, m, 4);
}

static void draw_frame(vgt_drv *drv, uint32_t f)
{
    const float k[4] = {0.25f * (float)f, 14.0f, 0.07f, 0.0f};
    set_const(drv, VGT_SVGA3D_SHADERTYPE_VS, 4, k);
    vgt_drv3d_clear(drv, CID, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xFF101820u, 1.0f, 0,
                    NULL, 0);
    const vgt_svga3d_vertex_decl decl = {VGT_SVGA3D_DECLTYPE_FLOAT3,
                                         VGT_SVGA3D_DECLMETHOD_DEFAULT,
                                         VGT_SVGA3D_DECLUSAGE_POSITION,
                                         0,
                                         {SID_VB, 0, 12},
                                         0,
                                         0};
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, GRID * GRID * 2, {SID_IB, 0, 2}, 2, 0,
    };
    vgt_drv3d_draw_primitives(drv, CID, &decl, 1, &range, 1);
    vgt_drv3d_present(drv, SID_COLOR, NULL, 0);
}

int vgt_sample_shaders(vgt_guest *guest, const vgt_sample_args *args)
{
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    uint32_t frames = args && args->frames ? args->frames : 60u;
    uint32_t w = args && args->width ? args->width : 640u;
    uint32_t h = args && args->height ? args->height : 480u;
    bool quiet = args && args->quiet;
    if (args && args->native) {
        /* as demo_args_get says it for the others (it ran virtual frames) */
        if (!quiet) {
            fprintf(stderr, "shaders: no native mode (the microbenchmarks have one)\n");
        }
        return 1;
    }
    vgt_drv3d_buffer staging = {0};
    const uint32_t nv = (GRID + 1) * (GRID + 1), ni = GRID * GRID * 6;
    float *verts = malloc(nv * 12u);
    uint16_t *idx = malloc(ni * 2u);
    if (!verts || !idx || w < 16 || h < 16) {
        if (!quiet) {
            fprintf(stderr, "shaders: %s\n", verts && idx ? "mode too small" : "out of memory");
        }
        free(verts);
        free(idx);
        return 1;
    }
    for (uint32_t z = 0; z <= GRID; z++) {
        for (uint32_t x = 0; x <= GRID; x++) {
            float *v = &verts[(z * (GRID + 1) + x) * 3];
            v[0] = (float)x * (2.0f / (float)GRID) - 1.0f;
            v[1] = 0.0f;
            v[2] = (float)z * (2.0f / (float)GRID) - 1.0f;
        }
    }
    uint32_t n = 0;
    for (uint32_t z = 0; z < GRID; z++) {
        for (uint32_t x = 0; x < GRID; x++) {
            uint16_t a = (uint16_t)(z * (GRID + 1) + x), b = (uint16_t)(a + 1),
                     c = (uint16_t)(a + GRID + 1), d = (uint16_t)(c + 1);
            uint16_t q[6] = {a, c, b, b, c, d};
            memcpy(&idx[n], q, sizeof(q));
            n += 6;
        }
    }
    int rc = 0;
    if (!vgt_drv3d_start(&drv, guest, "shaders", w, h, quiet)) {
        free(verts);
        free(idx);
        return 2;
    }
    uint32_t vs_version = 0;
    if (!vgt_drv3d_devcap(&drv, VGT_SVGA3D_DEVCAP_VERTEX_SHADER_VERSION, &vs_version) ||
        vs_version < 2) {
        if (!quiet) {
            fprintf(stderr,
                    "shaders: the device offers no vs_2_0 (VERTEX_SHADER_VERSION %u); run "
                    "it with --backend soft\n",
                    vs_version);
        }
        vgt_drv_fini(&drv);
        free(verts);
        free(idx);
        return 2;
    }
    vgt_drv3d_define_screen_targets(&drv, SID_COLOR, SID_DEPTH, w, h);
    vgt_drv3d_define_surface(&drv, SID_VB,
                             VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, nv * 12u, 1, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_IB,
                             VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, ni * 2u, 1, 1, 1);
    vgt_drv3d_upload_mesh(&drv, &staging, GMR_STAGING, 65536, SID_VB, verts, nv * 12u, SID_IB, idx,
                          ni * 2u);
    setup_state(&drv, w, h);
    for (uint32_t f = 0; f < frames && !drv.failed; f++) {
        draw_frame(&drv, f);
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    }
    vgt_drv3d_teardown(&drv, CID, SID_COLOR, SID_IB, &staging);
    rc = vgt_drv_sample_exit(&drv, "shaders", quiet);
    free(verts);
    free(idx);
    return rc;
}
