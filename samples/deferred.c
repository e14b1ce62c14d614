/* deferred.c - sample "deferred": deferred shading through multiple render
 * targets, the way a Direct3D 9 engine fills a G-buffer.
 *
 * Pass 1 binds two textures as COLOR0 (albedo) and COLOR1 (normal) beside
 * the depth buffer, clears all three, and draws a ring of 12 spinning cubes:
 * a vs_2_0 transforms each cube (its matrices are shader constants, set per
 * cube) and passes its world-space normal and its colour; a ps_2_0 writes
 * the colour to oC0 and the normal, packed into [0, 1], to oC1.
 *
 * Pass 2 binds the screen's surface as COLOR0 (COLOR1 unbound), samples the
 * two targets as textures and lights every pixel once, with a light that
 * circles the scene: albedo * (ambient + max(0, N.L) * light colour).  Two
 * thumbnails at the bottom show the G-buffer itself (albedo, normals), as a
 * frame debugger would.  Quads sample with Direct3D 9's half-pixel offset, so
 * a pixel centre reads its texel centre.  The animation is a function of the
 * frame number only. */
#include "cube_scene.h"
#include "demo_util.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <string.h>

enum {
    CID = 1,
    SID_COLOR = 1,
    SID_DEPTH = 2,
    SID_ALBEDO = 3,
    SID_NORMAL = 4,
    SID_VB = 5,
    SID_IB = 6,
    SID_QUADS = 7,
    GMR_STAGING = 1,
    VS_GBUFFER = 1,
    PS_GBUFFER = 1,
    VS_QUAD = 2,
    PS_LIGHT = 2,
    PS_THUMB = 3,
};

#define RING 12u /* cubes */

/* c0-c3: world*view*projection columns; c4-c6: the world matrix's columns
 * (rotation and a uniform scale); c8: the cube's colour. */
static const char vs_gbuffer[] = "vs_2_0\n"
                                 "dcl_position v0\n"
                                 "dcl_normal v1\n"
                                 "m4x4 oPos, v0, c0\n"
                                 "m3x3 r0.xyz, v1, c4\n"
                                 "nrm r1.xyz, r0\n"
                                 "mov oT0.xyz, r1\n"
                                 "mov oD0, c8\n";

static const char ps_gbuffer[] = "ps_2_0\n"
                                 "def c0, 0.5, 0.5, 0.5, 1\n"
                                 "dcl t0.xyz\n"
                                 "dcl v0\n"
                                 "mad r0.xyz, t0, c0, c0\n" /* normal into [0, 1] */
                                 "mov r0.w, c0.w\n"
                                 "mov oC0, v0\n"
                                 "mov oC1, r0\n";

/* Quads come in clip space. */
static const char vs_quad[] = "vs_2_0\n"
                              "dcl_position v0\n"
                              "dcl_texcoord0 v1\n"
                              "mov oPos, v0\n"
                              "mov oT0, v1\n";

/* c0: the direction towards the light (world, unit); c1: its colour;
 * c3: the ambient light. */
static const char ps_light[] = "ps_2_0\n"
                               "def c2, 2, -1, 0, 1\n"
                               "dcl t0.xy\n"
                               "dcl_2d s0\n"
                               "dcl_2d s1\n"
                               "texld r0, t0, s0\n"
                               "texld r1, t0, s1\n"
                               "mad r1.xyz, r1, c2.x, c2.y\n" /* the normal back */
                               "dp3_sat r2.x, r1, c0\n"
                               "mad r2.xyz, r2.x, c1, c3\n"
                               "mul r0.xyz, r0, r2\n"
                               "mov r0.w, c2.w\n"
                               "mov oC0, r0\n";

static const char ps_thumb[] = "ps_2_0\n"
                               "dcl t0.xy\n"
                               "dcl_2d s2\n"
                               "texld r0, t0, s2\n"
                               "mov oC0, r0\n";

/* A quad vertex: clip-space position and texture coordinate. */
typedef struct quad_vertex {
    float pos[4];
    float uv[2];
} quad_vertex;

/* Three quads of 4 vertices (a triangle strip each): the full screen, and
 * the two thumbnails (a quarter of the width and height, at the bottom
 * left), shifted half a pixel up-left (Direct3D 9's pixel centres). */
static void build_quads(uint32_t w, uint32_t h, quad_vertex q[12])
{
    const float dx = 1.0f / (float)w, dy = 1.0f / (float)h; /* half a pixel in clip space */
    const float boxes[3][4] = {
        /* x0, y0 (top left), x1, y1 in clip space */
        {-1.0f, 1.0f, 1.0f, -1.0f},
        {-0.98f, -0.48f, -0.48f, -0.98f},
        {-0.46f, -0.48f, 0.04f, -0.98f},
    };
    for (uint32_t b = 0; b < 3; b++) {
        const float *r = boxes[b];
        const float x[2] = {r[0] - dx, r[2] - dx}, y[2] = {r[1] + dy, r[3] + dy};
        for (uint32_t k = 0; k < 4; k++) {
            uint32_t ix = k & 1u, iy = k >> 1;
            quad_vertex *v = &q[b * 4 + k];
            v->pos[0] = x[ix];
            v->pos[1] = y[iy];
            v->pos[2] = 0.5f;
            v->pos[3] = 1.0f;
            v->uv[0] = (float)ix;
            v->uv[1] = (float)iy;
        }
    }
}

static void set_const(vgt_drv *drv, uint32_t type, uint32_t reg, const float v[4])
{
    vgt_drv3d_set_shader_const(drv, CID, type, reg, v);
}

static void set_stage(vgt_drv *drv, uint32_t stage, uint32_t sid, uint32_t filter)
{
    const vgt_svga3d_texture_state_entry ts[] = {
        {stage, VGT_SVGA3D_TS_BIND_TEXTURE, sid},
        {stage, VGT_SVGA3D_TS_MINFILTER, filter},
        {stage, VGT_SVGA3D_TS_MAGFILTER, filter},
        {stage, VGT_SVGA3D_TS_MIPFILTER, VGT_SVGA3D_TEX_FILTER_NONE},
        {stage, VGT_SVGA3D_TS_ADDRESSU, VGT_SVGA3D_TEX_ADDRESS_CLAMP},
        {stage, VGT_SVGA3D_TS_ADDRESSV, VGT_SVGA3D_TEX_ADDRESS_CLAMP},
    };
    vgt_drv3d_set_texture_states(drv, CID, ts, sizeof(ts) / sizeof(ts[0]));
}

static void setup_state(vgt_drv *drv, uint32_t w, uint32_t h)
{
    vgt_drv3d_setup_context(drv, CID, SID_COLOR, SID_DEPTH, w, h);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS},
        {VGT_SVGA3D_RS_LIGHTINGENABLE, 0},
        {VGT_SVGA3D_RS_BLENDENABLE, 0},
    };
    vgt_drv3d_set_render_states(drv, CID, rs, sizeof(rs) / sizeof(rs[0]));
    vgt_drv3d_define_shader_text(drv, CID, VGT_SVGA3D_SHADERTYPE_VS, VS_GBUFFER, vs_gbuffer);
    vgt_drv3d_define_shader_text(drv, CID, VGT_SVGA3D_SHADERTYPE_PS, PS_GBUFFER, ps_gbuffer);
    vgt_drv3d_define_shader_text(drv, CID, VGT_SVGA3D_SHADERTYPE_VS, VS_QUAD, vs_quad);
    vgt_drv3d_define_shader_text(drv, CID, VGT_SVGA3D_SHADERTYPE_PS, PS_LIGHT, ps_light);
    vgt_drv3d_define_shader_text(drv, CID, VGT_SVGA3D_SHADERTYPE_PS, PS_THUMB, ps_thumb);
    /* the lighting pass reads the targets texel for texel; the thumbnails
     * shrink them 4x and filter */
    set_stage(drv, 0, SID_ALBEDO, VGT_SVGA3D_TEX_FILTER_NEAREST);
    set_stage(drv, 1, SID_NORMAL, VGT_SVGA3D_TEX_FILTER_NEAREST);
    set_stage(drv, 2, SID_ALBEDO, VGT_SVGA3D_TEX_FILTER_LINEAR);
    const float ambient[4] = {0.22f, 0.22f, 0.26f, 0.0f};
    set_const(drv, VGT_SVGA3D_SHADERTYPE_PS, 3, ambient);
    const float light_color[4] = {0.95f, 0.88f, 0.72f, 0.0f};
    set_const(drv, VGT_SVGA3D_SHADERTYPE_PS, 1, light_color);
}

/* Cube i's world matrix at frame f: its own spin about a tilted axis, a
 * uniform scale, its place on the ring, and the ring's turn. */
static void cube_world(uint32_t i, uint32_t f, float m[16])
{
    float spin[16], tilt[16], place[16], ring[16];
    cube_mat_identity(spin);
    cube_mat_identity(tilt);
    cube_mat_identity(place);
    cube_mat_identity(ring);
    uint32_t k = 2u * f + 10u * i; /* spin */
    float s = cube_turn_sin(k), c = cube_turn_cos(k);
    spin[0] = c;
    spin[2] = -s;
    spin[8] = s;
    spin[10] = c;
    const float ts = 0.5f, tc = 0.8660254f; /* 30 degrees about x */
    tilt[5] = tc;
    tilt[6] = ts;
    tilt[9] = -ts;
    tilt[10] = tc;
    const float scale = 0.42f;
    uint32_t a = i * (FRAMES_PER_TURN / RING);
    place[0] = place[5] = place[10] = scale;
    place[12] = 1.3f * cube_turn_cos(a);
    place[14] = 1.3f * cube_turn_sin(a);
    float rs = cube_turn_sin(f / 2u), rc = cube_turn_cos(f / 2u);
    ring[0] = rc;
    ring[2] = -rs;
    ring[8] = rs;
    ring[10] = rc;
    cube_mat_mul(m, spin, tilt);
    cube_mat_mul(m, m, place);
    cube_mat_mul(m, m, ring);
}

static void draw_gbuffer(vgt_drv *drv, uint32_t f, const float view_proj[16])
{
    vgt_drv3d_set_render_target(drv, CID, VGT_SVGA3D_RT_COLOR0, SID_ALBEDO);
    vgt_drv3d_set_render_target(drv, CID, VGT_SVGA3D_RT_COLOR1, SID_NORMAL);
    vgt_drv3d_set_render_target(drv, CID, VGT_SVGA3D_RT_DEPTH, SID_DEPTH);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZENABLE, 1},
        {VGT_SVGA3D_RS_ZWRITEENABLE, 1},
        {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_BACK},
    };
    vgt_drv3d_set_render_states(drv, CID, rs, sizeof(rs) / sizeof(rs[0]));
    vgt_drv3d_set_shader(drv, CID, VGT_SVGA3D_SHADERTYPE_VS, VS_GBUFFER);
    vgt_drv3d_set_shader(drv, CID, VGT_SVGA3D_SHADERTYPE_PS, PS_GBUFFER);
    /* both color targets get the same clear: a dark albedo, and a normal
     * pointing away from every light */
    vgt_drv3d_clear(drv, CID, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xFF303848u, 1.0f, 0,
                    NULL, 0);
    static const uint32_t palette[4] = {0xFFE0603Cu, 0xFFE8C040u, 0xFF50B0E0u, 0xFF90D060u};
    const vgt_svga3d_vertex_decl decls[2] = {
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
    };
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 12, {SID_IB, 0, 2}, 2, 0,
    };
    for (uint32_t i = 0; i < RING; i++) {
        float world[16], wvp[16];
        cube_world(i, f, world);
        cube_mat_mul(wvp, world, view_proj);
        vgt_drv3d_set_shader_matrix(drv, CID, VGT_SVGA3D_SHADERTYPE_VS, 0, wvp, 4);
        vgt_drv3d_set_shader_matrix(drv, CID, VGT_SVGA3D_SHADERTYPE_VS, 4, world, 3);
        uint32_t c = palette[i % 4u];
        const float color[4] = {(float)((c >> 16) & 0xFFu) / 255.0f,
                                (float)((c >> 8) & 0xFFu) / 255.0f, (float)(c & 0xFFu) / 255.0f,
                                1.0f};
        set_const(drv, VGT_SVGA3D_SHADERTYPE_VS, 8, color);
        vgt_drv3d_draw_primitives(drv, CID, decls, 2, &range, 1);
    }
}

static void draw_quad(vgt_drv *drv, uint32_t which)
{
    const vgt_svga3d_vertex_decl decls[2] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT4,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_POSITION,
         0,
         {SID_QUADS, 0, sizeof(quad_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_FLOAT2,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_TEXCOORD,
         0,
         {SID_QUADS, 16, sizeof(quad_vertex)},
         0,
         0},
    };
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP,
        2,
        {VGT_SVGA3D_INVALID_ID, 0, 0},
        0,
        (int32_t)(which * 4u),
    };
    vgt_drv3d_draw_primitives(drv, CID, decls, 2, &range, 1);
}

static void draw_lighting(vgt_drv *drv, uint32_t f)
{
    vgt_drv3d_set_render_target(drv, CID, VGT_SVGA3D_RT_COLOR0, SID_COLOR);
    vgt_drv3d_set_render_target(drv, CID, VGT_SVGA3D_RT_COLOR1, VGT_SVGA3D_INVALID_ID);
    vgt_drv3d_set_render_target(drv, CID, VGT_SVGA3D_RT_DEPTH, VGT_SVGA3D_INVALID_ID);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZENABLE, 0},
        {VGT_SVGA3D_RS_ZWRITEENABLE, 0},
        {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE},
    };
    vgt_drv3d_set_render_states(drv, CID, rs, sizeof(rs) / sizeof(rs[0]));
    /* the light circles above the ring, a turn every 240 frames */
    float ls = cube_turn_sin(f / 2u), lc = cube_turn_cos(f / 2u);
    const float dir[4] = {0.6f * lc, 0.6f, 0.6f * ls, 0.0f};
    const float len = 0.84852814f; /* |dir| = 0.6 * sqrt(2) */
    const float unit[4] = {dir[0] / len, dir[1] / len, dir[2] / len, 0.0f};
    set_const(drv, VGT_SVGA3D_SHADERTYPE_PS, 0, unit);
    vgt_drv3d_set_shader(drv, CID, VGT_SVGA3D_SHADERTYPE_VS, VS_QUAD);
    vgt_drv3d_set_shader(drv, CID, VGT_SVGA3D_SHADERTYPE_PS, PS_LIGHT);
    draw_quad(drv, 0);
    /* the G-buffer itself, a quarter size */
    vgt_drv3d_set_shader(drv, CID, VGT_SVGA3D_SHADERTYPE_PS, PS_THUMB);
    const vgt_svga3d_texture_state_entry albedo = {2, VGT_SVGA3D_TS_BIND_TEXTURE, SID_ALBEDO};
    vgt_drv3d_set_texture_states(drv, CID, &albedo, 1);
    draw_quad(drv, 1);
    const vgt_svga3d_texture_state_entry normal = {2, VGT_SVGA3D_TS_BIND_TEXTURE, SID_NORMAL};
    vgt_drv3d_set_texture_states(drv, CID, &normal, 1);
    draw_quad(drv, 2);
    vgt_drv3d_present(drv, SID_COLOR, NULL, 0);
}

int vgt_sample_deferred(vgt_guest *guest, const vgt_sample_args *args)
{
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    demo_args da;
    if (!demo_args_get("deferred", args, 240u, 16, 16, false, &da)) {
        return 1;
    }
    uint32_t frames = da.frames, w = da.w, h = da.h;
    bool quiet = da.quiet;
    if (!vgt_drv3d_start(&drv, guest, "deferred", w, h, quiet)) {
        return 2;
    }
    uint32_t ps_version = 0, targets = 0;
    if (!vgt_drv3d_devcap(&drv, VGT_SVGA3D_DEVCAP_FRAGMENT_SHADER_VERSION, &ps_version) ||
        ps_version < 5 || !vgt_drv3d_devcap(&drv, VGT_SVGA3D_DEVCAP_MAX_RENDER_TARGETS, &targets) ||
        targets < 2) {
        if (!quiet) {
            fprintf(stderr,
                    "deferred: the device offers no ps_2_0 with 2 render targets "
                    "(FRAGMENT_SHADER_VERSION %u, MAX_RENDER_TARGETS %u); run it with --backend "
                    "soft or gl\n",
                    ps_version, targets);
        }
        vgt_drv_fini(&drv);
        return 2;
    }
    cube_face_vertex verts[24];
    uint16_t idx[36];
    cube_faces_build(verts, idx);
    quad_vertex quads[12];
    build_quads(w, h, quads);
    vgt_drv3d_buffer staging = {0};
    vgt_drv3d_define_screen_targets(&drv, SID_COLOR, SID_DEPTH, w, h);
    const uint32_t target = VGT_SVGA3D_SURFACE_HINT_RENDERTARGET | VGT_SVGA3D_SURFACE_HINT_TEXTURE;
    vgt_drv3d_define_surface(&drv, SID_ALBEDO, target, VGT_SVGA3D_A8R8G8B8, w, h, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_NORMAL, target, VGT_SVGA3D_A8R8G8B8, w, h, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_VB,
                             VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, sizeof(verts), 1, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_IB,
                             VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, sizeof(idx), 1, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_QUADS,
                             VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, sizeof(quads), 1, 1, 1);
    vgt_drv3d_upload_mesh(&drv, &staging, GMR_STAGING, 4096, SID_VB, verts, sizeof(verts), SID_IB,
                          idx, sizeof(idx));
    if (!drv.failed &&
        vgt_drv3d_upload_buffer(&drv, &staging, SID_QUADS, quads, sizeof(quads)) != VGT_OK &&
        !drv.failed) {
        drv.failed = true;
        vgt_error_set(&drv.error, VGT_E_IO, "uploading the quads failed");
    }
    setup_state(&drv, w, h);
    /* the camera 4 units back, looking 30 degrees down at the ring */
    const float c = 0.8660254f, s = 0.5f;
    float view[16] = {1, 0, 0, 0, 0, c, -s, 0, 0, s, c, 0, 0, 0.0f, 4.0f, 1};
    float proj[16], view_proj[16];
    cube_projection_matrix(w, h, proj);
    cube_mat_mul(view_proj, view, proj);
    for (uint32_t f = 0; f < frames && !drv.failed; f++) {
        draw_gbuffer(&drv, f, view_proj);
        draw_lighting(&drv, f);
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    }
    vgt_drv3d_teardown(&drv, CID, SID_COLOR, SID_QUADS, &staging);
    return vgt_drv_sample_exit(&drv, "deferred", quiet);
}
