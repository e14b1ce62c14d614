/* lit.c - sample "lit": fixed-function lighting.  Two interlocked tori
 * (one tessellated mesh of 3072 triangles with per-vertex normals, in
 * static vertex and index buffers filled once by SURFACE_DMA) drawn with
 * two materials (gold with a tight highlight, matte blue), lit by a
 * directional light and a point light that orbits the scene, plus a global
 * ambient; depth test against a Z_D24S8 target; every frame CLEAR, two
 * SETMATERIAL + DRAW_PRIMITIVES, PRESENT and a fence.  Everything is a
 * function of the frame number (no libm), so frame N is always the same. */
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
    GMR_STAGING = 1,
};

#define RINGS           64u /* segments around the main circle */
#define SIDES           24u /* segments around the tube */
#define VERTICES        ((RINGS + 1u) * (SIDES + 1u))
#define TRIANGLES       (RINGS * SIDES * 2u)
#define MAJOR_R         1.0f
#define MINOR_R         0.35f
#define FRAMES_PER_TURN 240.0f

typedef struct lit_vertex {
    float x, y, z;
    float nx, ny, nz;
} lit_vertex;

typedef struct lit_mesh {
    lit_vertex v[VERTICES];
    uint16_t idx[TRIANGLES * 3u];
} lit_mesh;

static void build_torus(lit_mesh *m)
{
    for (uint32_t i = 0; i <= RINGS; i++) {
        float a = 2.0f * DEMO_PI * (float)i / (float)RINGS;
        float ca = demo_cos(a), sa = demo_sin(a);
        for (uint32_t j = 0; j <= SIDES; j++) {
            float b = 2.0f * DEMO_PI * (float)j / (float)SIDES;
            float cb = demo_cos(b), sb = demo_sin(b);
            lit_vertex *v = &m->v[i * (SIDES + 1u) + j];
            v->x = (MAJOR_R + MINOR_R * cb) * ca;
            v->y = (MAJOR_R + MINOR_R * cb) * sa;
            v->z = MINOR_R * sb;
            v->nx = cb * ca;
            v->ny = cb * sa;
            v->nz = sb;
        }
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < RINGS; i++) {
        for (uint32_t j = 0; j < SIDES; j++) {
            uint16_t q[4] = {(uint16_t)(i * (SIDES + 1u) + j),
                             (uint16_t)((i + 1u) * (SIDES + 1u) + j),
                             (uint16_t)((i + 1u) * (SIDES + 1u) + j + 1u),
                             (uint16_t)(i * (SIDES + 1u) + j + 1u)};
            const uint16_t tris[2][3] = {{q[0], q[1], q[2]}, {q[0], q[2], q[3]}};
            for (int t = 0; t < 2; t++) {
                /* Front faces are clockwise seen from outside (Direct3D):
                 * the plain cross product of the edges then points out. */
                const lit_vertex *p0 = &m->v[tris[t][0]], *p1 = &m->v[tris[t][1]],
                                 *p2 = &m->v[tris[t][2]];
                float e1[3] = {p1->x - p0->x, p1->y - p0->y, p1->z - p0->z};
                float e2[3] = {p2->x - p0->x, p2->y - p0->y, p2->z - p0->z};
                float c[3] = {e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2],
                              e1[0] * e2[1] - e1[1] * e2[0]};
                float nrm[3] = {p0->nx + p1->nx + p2->nx, p0->ny + p1->ny + p2->ny,
                                p0->nz + p1->nz + p2->nz};
                bool out = c[0] * nrm[0] + c[1] * nrm[1] + c[2] * nrm[2] >= 0.0f;
                m->idx[n++] = tris[t][0];
                m->idx[n++] = out ? tris[t][1] : tris[t][2];
                m->idx[n++] = out ? tris[t][2] : tris[t][1];
            }
        }
    }
}

static void setup_state(vgt_drv *drv, uint32_t w, uint32_t h)
{
    vgt_drv3d_setup_context(drv, CID, SID_COLOR, SID_DEPTH, w, h);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZENABLE, 1},
        {VGT_SVGA3D_RS_ZWRITEENABLE, 1},
        {VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS},
        {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_BACK},
        {VGT_SVGA3D_RS_FRONTWINDING, VGT_SVGA3D_FRONTWINDING_CW},
        {VGT_SVGA3D_RS_SHADEMODE, VGT_SVGA3D_SHADEMODE_SMOOTH},
        {VGT_SVGA3D_RS_LIGHTINGENABLE, 1},
        {VGT_SVGA3D_RS_SPECULARENABLE, 1},
        {VGT_SVGA3D_RS_NORMALIZENORMALS, 1},
        {VGT_SVGA3D_RS_LOCALVIEWER, 1},
        {VGT_SVGA3D_RS_VERTEXMATERIALENABLE, 0},
        {VGT_SVGA3D_RS_AMBIENT, 0xFF282830u},
        {VGT_SVGA3D_RS_BLENDENABLE, 0},
        {VGT_SVGA3D_RS_ALPHATESTENABLE, 0},
        {VGT_SVGA3D_RS_STENCILENABLE, 0},
        {VGT_SVGA3D_RS_FOGENABLE, 0},
    };
    vgt_drv3d_set_render_states(drv, CID, rs, sizeof(rs) / sizeof(rs[0]));
    /* Stage 0 passes the lit diffuse color on (specular is added after). */
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
    demo_mat_translate(view, 0.0f, 0.0f, 5.0f); /* the scene 5 units ahead, looking down +z */
    demo_mat_perspective(proj, w, h, 1.0f, 12.0f);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_VIEW, view);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_PROJECTION, proj);

    /* Light 0: directional, cool white, from the upper left behind the camera. */
    vgt_svga3d_light_data sun = {0};
    sun.type = VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL;
    sun.in_world_space = 1;
    sun.diffuse[0] = 0.55f, sun.diffuse[1] = 0.6f, sun.diffuse[2] = 0.7f, sun.diffuse[3] = 1.0f;
    sun.specular[0] = sun.specular[1] = sun.specular[2] = 0.6f, sun.specular[3] = 1.0f;
    sun.direction[0] = 0.4f, sun.direction[1] = -0.5f, sun.direction[2] = 0.77f;
    vgt_drv3d_set_light_data(drv, CID, 0, &sun);
    vgt_drv3d_set_light_enabled(drv, CID, 0, true);
    vgt_drv3d_set_light_enabled(drv, CID, 1, true);
}

/* Light 1: a warm point light orbiting the tori (position by frame). */
static void set_point_light(vgt_drv *drv, uint32_t f)
{
    float t = 2.0f * DEMO_PI * (float)(f % 180u) / 180.0f;
    vgt_svga3d_light_data lamp = {0};
    lamp.type = VGT_SVGA3D_LIGHTTYPE_POINT;
    lamp.in_world_space = 1;
    lamp.diffuse[0] = 1.0f, lamp.diffuse[1] = 0.7f, lamp.diffuse[2] = 0.35f, lamp.diffuse[3] = 1.0f;
    lamp.specular[0] = 1.0f, lamp.specular[1] = 0.9f, lamp.specular[2] = 0.7f;
    lamp.specular[3] = 1.0f;
    lamp.position[0] = 2.2f * demo_cos(t);
    lamp.position[1] = 1.2f;
    lamp.position[2] = 5.0f - 2.2f * demo_sin(t);
    lamp.position[3] = 1.0f;
    lamp.range = 20.0f;
    lamp.attenuation0 = 0.6f;
    lamp.attenuation1 = 0.15f;
    vgt_drv3d_set_light_data(drv, CID, 1, &lamp);
}

static const vgt_svga3d_material gold = {
    {0.85f, 0.62f, 0.22f, 1.0f},
    {0.85f, 0.62f, 0.22f, 1.0f},
    {1.0f, 0.95f, 0.8f, 1.0f},
    {0.0f, 0.0f, 0.0f, 0.0f},
    40.0f,
};

static const vgt_svga3d_material blue = {
    {0.2f, 0.4f, 0.9f, 1.0f},
    {0.2f, 0.4f, 0.9f, 1.0f},
    {0.25f, 0.25f, 0.3f, 1.0f},
    {0.02f, 0.02f, 0.05f, 0.0f},
    8.0f,
};

static void draw_torus(vgt_drv *drv)
{
    const vgt_svga3d_vertex_decl decls[2] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_POSITION,
         0,
         {SID_VB, 0, sizeof(lit_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_NORMAL,
         0,
         {SID_VB, 12, sizeof(lit_vertex)},
         0,
         0},
    };
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, TRIANGLES, {SID_IB, 0, 2}, 2, 0,
    };
    vgt_drv3d_draw_primitives(drv, CID, decls, 2, &range, 1);
}

static void draw_frame(vgt_drv *drv, uint32_t f)
{
    float spin = 2.0f * DEMO_PI * (float)f / FRAMES_PER_TURN;
    float group[16], tilt[16], a[16], b[16], m[16], off[16];
    demo_mat_rotate(group, 1, spin);
    demo_mat_rotate(tilt, 0, 0.5f + 0.5f * spin);
    demo_mat_mul(group, tilt, group);
    /* Torus A in the xy plane, shifted left; torus B through its hole. */
    demo_mat_translate(off, -0.55f, 0.0f, 0.0f);
    demo_mat_mul(a, off, group);
    demo_mat_rotate(m, 0, 0.5f * DEMO_PI);
    demo_mat_translate(off, 0.55f, 0.0f, 0.0f);
    demo_mat_mul(b, m, off);
    demo_mat_mul(b, b, group);

    set_point_light(drv, f);
    vgt_drv3d_clear(drv, CID, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xFF101418u, 1.0f, 0,
                    NULL, 0);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_WORLD, a);
    vgt_drv3d_set_material(drv, CID, VGT_SVGA3D_FACE_FRONT_BACK, &gold);
    draw_torus(drv);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_WORLD, b);
    vgt_drv3d_set_material(drv, CID, VGT_SVGA3D_FACE_FRONT_BACK, &blue);
    draw_torus(drv);
    vgt_drv3d_present(drv, SID_COLOR, NULL, 0);
}

int vgt_sample_lit(vgt_guest *guest, const vgt_sample_args *args)
{
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    demo_args da;
    if (!demo_args_get("lit", args, 120u, 16, 16, false, &da)) {
        return 1;
    }
    uint32_t frames = da.frames, w = da.w, h = da.h;
    bool quiet = da.quiet;
    vgt_drv3d_buffer staging = {0};
    lit_mesh *mesh = malloc(sizeof(*mesh));
    if (!mesh) {
        return 2;
    }
    build_torus(mesh);
    if (!vgt_drv3d_start(&drv, guest, "lit", w, h, quiet)) {
        free(mesh);
        return 2;
    }
    vgt_drv3d_define_screen_targets(&drv, SID_COLOR, SID_DEPTH, w, h);
    vgt_drv3d_define_surface(&drv, SID_VB,
                             VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, sizeof(mesh->v), 1, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_IB,
                             VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, sizeof(mesh->idx), 1, 1, 1);
    vgt_drv3d_upload_mesh(&drv, &staging, GMR_STAGING, sizeof(mesh->v), SID_VB, mesh->v,
                          sizeof(mesh->v), SID_IB, mesh->idx, sizeof(mesh->idx));
    free(mesh);
    setup_state(&drv, w, h);
    for (uint32_t f = 0; f < frames && !drv.failed; f++) {
        draw_frame(&drv, f);
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    }
    vgt_drv3d_teardown(&drv, CID, SID_COLOR, SID_IB, &staging);
    return vgt_drv_sample_exit(&drv, "lit", quiet);
}
