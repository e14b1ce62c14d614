/* skinned.c - sample "skinned": fixed-function vertex blending (Direct3D
 * 9's D3DRS_VERTEXBLEND, SVGA3D's RS VERTEXBLEND), the way a Direct3D 7-9
 * game skins a character without shaders.
 *
 * One tapering tube of 25 rings, three bones along it (base, middle, tip):
 * every vertex carries two blend weights (BLENDWEIGHT FLOAT2; the third is
 * 1 minus their sum), which fade from one bone to the next around the two
 * joints.  Each frame the guest sets the three bone matrices as WORLD,
 * WORLD1 and WORLD2 (each bone turns about its joint, relative to the one
 * below it) and draws the tube with VERTEXBLEND 2WEIGHTS, three times: three
 * tentacles swaying out of phase, lit by a directional light (the device
 * blends the normals too).  The third tentacle blends through indices
 * (INDEXEDVERTEXBLENDENABLE, BLENDINDICES UBYTE4 0, 2, 1): its second weight
 * picks WORLD2 and its third WORLD1, so the guest sends its middle and tip
 * bones the other way round.  A floor quad is drawn between them with
 * blending off.  The animation is a function of the frame number only. */
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

#define RINGS       24u /* segments along the tube */
#define SIDES       16u /* segments around it */
#define TUBE_VERTS  ((RINGS + 1u) * (SIDES + 1u))
#define TUBE_INDEX  (RINGS * SIDES * 6u)
#define LENGTH      2.0f
#define JOINT1      0.7f /* heights of the two joints */
#define JOINT2      1.4f
#define TENTACLES   3u
#define FRAMES_TURN 120u /* frames of one sway */

typedef struct skin_vertex {
    float pos[3];
    float normal[3];
    float weight[2];  /* BLENDWEIGHT: the base's and the middle's */
    uint8_t index[4]; /* BLENDINDICES (the indexed tentacle only) */
} skin_vertex;

/* 0 below a, 1 above b, a smooth step between. */
static float smooth(float a, float b, float x)
{
    float t = x <= a ? 0.0f : x >= b ? 1.0f : (x - a) / (b - a);
    return t * t * (3.0f - 2.0f * t);
}

/* The tube (clockwise front faces seen from outside), then the floor quad. */
static void build_mesh(skin_vertex *v, uint16_t *idx)
{
    for (uint32_t r = 0; r <= RINGS; r++) {
        float y = LENGTH * (float)r / (float)RINGS;
        float radius = 0.22f - 0.08f * y;
        float tip = smooth(JOINT2 - 0.2f, JOINT2 + 0.2f, y);
        float mid = smooth(JOINT1 - 0.2f, JOINT1 + 0.2f, y) - tip;
        for (uint32_t s = 0; s <= SIDES; s++) {
            float a = 2.0f * DEMO_PI * (float)(s % SIDES) / (float)SIDES;
            float c = demo_cos(a), sn = demo_sin(a);
            skin_vertex *o = &v[r * (SIDES + 1u) + s];
            o->pos[0] = radius * c;
            o->pos[1] = y;
            o->pos[2] = radius * sn;
            /* the side's normal, leaning up as the tube narrows */
            float nx = c, ny = 0.08f, nz = sn;
            float len = demo_sqrt(nx * nx + ny * ny + nz * nz);
            o->normal[0] = nx / len;
            o->normal[1] = ny / len;
            o->normal[2] = nz / len;
            o->weight[0] = 1.0f - mid - tip; /* the base */
            o->weight[1] = mid;
            o->index[0] = 0;
            o->index[1] = 2; /* the middle's weight picks WORLD2 */
            o->index[2] = 1; /* the tip's (the rest) WORLD1 */
            o->index[3] = 0;
        }
    }
    uint32_t n = 0;
    for (uint32_t r = 0; r < RINGS; r++) {
        for (uint32_t s = 0; s < SIDES; s++) {
            uint16_t a = (uint16_t)(r * (SIDES + 1u) + s), b = (uint16_t)(a + 1u),
                     c = (uint16_t)(a + SIDES + 1u), d = (uint16_t)(c + 1u);
            /* seen from outside, s runs right to left as the angle grows
             * (x = cos, z = sin, looking down +z): a, c, b is clockwise */
            const uint16_t q[6] = {a, c, b, b, c, d};
            memcpy(&idx[n], q, sizeof(q));
            n += 6;
        }
    }
    /* the floor: 4 vertices after the tube, normal up */
    const float corners[4][2] = {{-2.4f, -1.2f}, {-2.4f, 1.6f}, {2.4f, -1.2f}, {2.4f, 1.6f}};
    for (uint32_t k = 0; k < 4; k++) {
        skin_vertex *o = &v[TUBE_VERTS + k];
        memset(o, 0, sizeof(*o));
        o->pos[0] = corners[k][0];
        o->pos[2] = corners[k][1];
        o->normal[1] = 1.0f;
    }
    const uint16_t f = (uint16_t)TUBE_VERTS;
    const uint16_t floor_idx[6] = {f,
                                   (uint16_t)(f + 1),
                                   (uint16_t)(f + 2),
                                   (uint16_t)(f + 2),
                                   (uint16_t)(f + 1),
                                   (uint16_t)(f + 3)};
    memcpy(&idx[n], floor_idx, sizeof(floor_idx));
}

/* T(0, -j, 0) * R * T(0, j, 0) * parent: a turn about the joint at height j
 * (row vectors: the vertex goes through the left factor first). */
static void joint(float out[16], float j, float bend, float twist, const float parent[16])
{
    float down[16], rz[16], rx[16], up[16];
    demo_mat_translate(down, 0.0f, -j, 0.0f);
    demo_mat_rotate(rz, 2, bend);
    demo_mat_rotate(rx, 0, twist);
    demo_mat_translate(up, 0.0f, j, 0.0f);
    demo_mat_mul(out, down, rz);
    demo_mat_mul(out, out, rx);
    demo_mat_mul(out, out, up);
    demo_mat_mul(out, out, parent);
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
        {VGT_SVGA3D_RS_AMBIENT, 0xFF30303Au},
        {VGT_SVGA3D_RS_BLENDENABLE, 0},
    };
    vgt_drv3d_set_render_states(drv, CID, rs, sizeof(rs) / sizeof(rs[0]));
    const vgt_svga3d_texture_state_entry ts[] = {
        {0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_SELECTARG1},
        {0, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_DIFFUSE},
        {0, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_SELECTARG1},
        {0, VGT_SVGA3D_TS_ALPHAARG1, VGT_SVGA3D_TA_DIFFUSE},
        {1, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_DISABLE},
        {1, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_DISABLE},
    };
    vgt_drv3d_set_texture_states(drv, CID, ts, sizeof(ts) / sizeof(ts[0]));
    /* the camera 4.3 units back and 1.1 up, looking 12 degrees down */
    float view[16], tilt[16], proj[16];
    demo_mat_translate(view, 0.0f, -1.1f, 0.0f);
    demo_mat_rotate(tilt, 0, -0.21f);
    demo_mat_mul(view, view, tilt);
    float back[16];
    demo_mat_translate(back, 0.0f, 0.0f, 4.3f);
    demo_mat_mul(view, view, back);
    demo_mat_perspective(proj, w, h, 1.0f, 12.0f);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_VIEW, view);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_PROJECTION, proj);
    vgt_svga3d_light_data sun = {0};
    sun.type = VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL;
    sun.in_world_space = 1;
    sun.diffuse[0] = 0.9f, sun.diffuse[1] = 0.86f, sun.diffuse[2] = 0.8f, sun.diffuse[3] = 1.0f;
    sun.specular[0] = sun.specular[1] = sun.specular[2] = 0.5f, sun.specular[3] = 1.0f;
    sun.direction[0] = -0.45f, sun.direction[1] = -0.7f, sun.direction[2] = 0.55f;
    vgt_drv3d_set_light_data(drv, CID, 0, &sun);
    vgt_drv3d_set_light_enabled(drv, CID, 0, true);
}

static const vgt_svga3d_material materials[TENTACLES + 1] = {
    {{0.95f, 0.45f, 0.35f, 1}, {0.95f, 0.45f, 0.35f, 1}, {0.6f, 0.6f, 0.6f, 1}, {0}, 24.0f},
    {{0.25f, 0.75f, 0.7f, 1}, {0.25f, 0.75f, 0.7f, 1}, {0.6f, 0.6f, 0.6f, 1}, {0}, 24.0f},
    {{0.6f, 0.4f, 0.9f, 1}, {0.6f, 0.4f, 0.9f, 1}, {0.6f, 0.6f, 0.6f, 1}, {0}, 24.0f},
    {{0.45f, 0.42f, 0.38f, 1}, {0.45f, 0.42f, 0.38f, 1}, {0.1f, 0.1f, 0.1f, 1}, {0}, 4.0f},
};

static void draw(vgt_drv *drv, bool indexed, uint32_t prims, uint32_t first_index)
{
    const vgt_svga3d_vertex_decl decls[4] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_POSITION,
         0,
         {SID_VB, 0, sizeof(skin_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_NORMAL,
         0,
         {SID_VB, 12, sizeof(skin_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_FLOAT2,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_BLENDWEIGHT,
         0,
         {SID_VB, 24, sizeof(skin_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_UBYTE4,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_BLENDINDICES,
         0,
         {SID_VB, 32, sizeof(skin_vertex)},
         0,
         0},
    };
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, prims, {SID_IB, first_index * 2u, 2}, 2, 0,
    };
    vgt_drv3d_draw_primitives(drv, CID, decls, indexed ? 4u : 3u, &range, 1);
}

static void draw_frame(vgt_drv *drv, uint32_t f)
{
    vgt_drv3d_clear(drv, CID, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xFF182028u, 1.0f, 0,
                    NULL, 0);
    /* the floor, blending off */
    const vgt_svga3d_render_state_pair off[] = {{VGT_SVGA3D_RS_VERTEXBLEND, 0},
                                                {VGT_SVGA3D_RS_INDEXEDVERTEXBLENDENABLE, 0}};
    vgt_drv3d_set_render_states(drv, CID, off, 2);
    float id[16];
    demo_mat_identity(id);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_WORLD, id);
    vgt_drv3d_set_material(drv, CID, VGT_SVGA3D_FACE_FRONT_BACK, &materials[TENTACLES]);
    draw(drv, false, 2, TUBE_INDEX);
    for (uint32_t t = 0; t < TENTACLES; t++) {
        bool indexed = t == 2;
        const vgt_svga3d_render_state_pair on[] = {
            {VGT_SVGA3D_RS_VERTEXBLEND, VGT_SVGA3D_VBLEND_2WEIGHT},
            {VGT_SVGA3D_RS_INDEXEDVERTEXBLENDENABLE, indexed}};
        vgt_drv3d_set_render_states(drv, CID, on, 2);
        float phase = 2.0f * DEMO_PI * (float)((f + 40u * t) % FRAMES_TURN) / FRAMES_TURN;
        float sway = demo_sin(phase), nod = demo_cos(phase);
        float base[16], turn[16], mid[16], tip[16];
        demo_mat_rotate(turn, 1, 0.6f * (float)t - 0.6f);
        demo_mat_translate(base, 1.3f * (float)t - 1.3f, 0.0f, 0.0f);
        demo_mat_mul(base, turn, base);
        joint(mid, JOINT1, 0.55f * sway, 0.25f * nod, base);
        joint(tip, JOINT2, 0.8f * sway, 0.35f * nod, mid);
        vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_WORLD, base);
        /* indexed: the vertices' indices 0, 2, 1 send the middle's weight
         * to WORLD2 and the tip's to WORLD1 */
        vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_WORLD1, indexed ? tip : mid);
        vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_WORLD2, indexed ? mid : tip);
        vgt_drv3d_set_material(drv, CID, VGT_SVGA3D_FACE_FRONT_BACK, &materials[t]);
        draw(drv, indexed, RINGS * SIDES * 2u, 0);
    }
    vgt_drv3d_present(drv, SID_COLOR, NULL, 0);
}

int vgt_sample_skinned(vgt_guest *guest, const vgt_sample_args *args)
{
    demo_args da;
    if (!demo_args_get("skinned", args, FRAMES_TURN, 16, 16, false, &da)) {
        return 1;
    }
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    const uint32_t nv = TUBE_VERTS + 4u, ni = TUBE_INDEX + 6u;
    skin_vertex *verts = calloc(nv, sizeof(*verts));
    uint16_t *idx = calloc(ni, sizeof(*idx));
    if (!verts || !idx) {
        if (!da.quiet) {
            fprintf(stderr, "skinned: out of memory\n");
        }
        free(verts);
        free(idx);
        return 1;
    }
    build_mesh(verts, idx);
    int rc = 2;
    if (!vgt_drv3d_start(&drv, guest, "skinned", da.w, da.h, da.quiet)) {
        goto out;
    }
    uint32_t blend = 0;
    if (!vgt_drv3d_devcap(&drv, VGT_SVGA3D_DEVCAP_MAX_FIXED_VERTEXBLEND, &blend) || blend < 3) {
        if (!da.quiet) {
            fprintf(stderr,
                    "skinned: the device blends %u matrices (MAX_FIXED_VERTEXBLEND), 3 needed; "
                    "run it with --backend soft or gl\n",
                    blend);
        }
        vgt_drv_fini(&drv);
        goto out;
    }
    vgt_drv3d_buffer staging = {0};
    vgt_drv3d_define_screen_targets(&drv, SID_COLOR, SID_DEPTH, da.w, da.h);
    vgt_drv3d_define_surface(&drv, SID_VB,
                             VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, nv * (uint32_t)sizeof(*verts), 1, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_IB,
                             VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, ni * 2u, 1, 1, 1);
    vgt_drv3d_upload_mesh(&drv, &staging, GMR_STAGING, 65536, SID_VB, verts,
                          nv * (uint32_t)sizeof(*verts), SID_IB, idx, ni * 2u);
    setup_state(&drv, da.w, da.h);
    for (uint32_t f = 0; f < da.frames && !drv.failed; f++) {
        draw_frame(&drv, f);
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    }
    vgt_drv3d_teardown(&drv, CID, SID_COLOR, SID_IB, &staging);
    rc = vgt_drv_sample_exit(&drv, "skinned", da.quiet);
out:
    free(verts);
    free(idx);
    return rc;
}
