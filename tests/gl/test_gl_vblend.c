/* test_gl_vblend.c - fixed-function vertex blending on the gl backend
 * against the soft reference (docs/soft.md "Vertex blending"): a grid whose
 * vertices blend WORLD..WORLD3 with weights and indices that vary per
 * vertex, lit, fogged, clipped and with generated texture coordinates; a
 * grid tweened (VERTEXBLEND TWEENING) between two shapes and two sets of
 * normals, drawn the same ways; the refusals by code and message; the caps of both backends; a
 * change of WORLD1 alone between draws of the same state (gl reuses the program and must still send
 * the matrices).
 *
 * Tolerance: GL_TOL (channel delta 2, at most 0.1% of the pixels beyond),
 * the one docs/gl.md gives for every gl-against-soft scene: both backends
 * evaluate the same equations in float, in a different order (GLSL's
 * mat * vec against soft's row-vector loops, llvmpipe's fused multiply-adds),
 * so a lit color can differ by a rounding step and an edge pixel whose centre
 * lies within float error of a triangle edge can go either way.  The
 * tweened scenes hold to TWEEN_TOL (delta 1, no pixel beyond): they mix
 * the inputs in the same form on both (soft_vertex.c tween3). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gl_test_util.h"
#include "vgt_protocol.h"

#define W 96u
#define H 96u
#define N 12 /* grid cells per side */

/* A blended vertex. */
typedef struct bvert {
    float x, y, z;
    float nx, ny, nz;
    float w[3];
    uint8_t idx[4];
    uint32_t color;
} bvert;

/* A D3D row-vector matrix: rotation by `a` about axis (0: x, 1: y, 2: z),
 * then scale s, then translation t. */
static void xform(vgt_backend_matrix *m, int axis, float a, float s, float tx, float ty, float tz)
{
    memset(m, 0, sizeof(*m));
    int i = (axis + 1) % 3, j = (axis + 2) % 3;
    m->m[axis][axis] = s;
    m->m[i][i] = m->m[j][j] = s * cosf(a);
    m->m[i][j] = s * sinf(a);
    m->m[j][i] = -s * sinf(a);
    m->m[3][0] = tx;
    m->m[3][1] = ty;
    m->m[3][2] = tz;
    m->m[3][3] = 1.0f;
}

/* The grid, z = 0 facing the viewer, a dome of normals; per vertex weights
 * that vary across it and indices from `idx_of` (NULL: none). The
 * BLENDINDICES element has idx_type; the weights FLOAT3. */
static void bgrid(scene *s, void (*idx_of)(int gx, int gy, uint8_t out[4]), uint32_t idx_type)
{
    enum { NV = N * N * 6 };
    bvert *v = calloc(NV, sizeof(bvert));
    assert_non_null(v);
    static const int corner[6][2] = {{0, 1}, {1, 1}, {1, 0}, {0, 1}, {1, 0}, {0, 0}};
    for (int c = 0; c < N * N; c++) {
        for (int k = 0; k < 6; k++) {
            int gx = c % N + corner[k][0], gy = c / N + corner[k][1];
            bvert *o = &v[c * 6 + k];
            o->x = -0.8f + 1.6f * (float)gx / N;
            o->y = -0.8f + 1.6f * (float)gy / N;
            o->nx = 0.5f * o->x;
            o->ny = 0.5f * o->y;
            o->nz = -1.0f;
            o->w[0] = 0.6f * (float)gx / N;
            o->w[1] = 0.3f * (float)gy / N;
            o->w[2] = 0.1f;
            if (idx_of) {
                idx_of(gx, gy, o->idx);
            }
            o->color = 0xffffffffu;
        }
    }
    uint32_t bytes = NV * (uint32_t)sizeof(bvert);
    s->vb =
        scene_define(s, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, bytes, 1, 1, 1, 1);
    scene_upload(s, s->vb, 0, 0, v);
    free(v);
    vgt_backend_draw_state *st = &s->st;
    st->element_count = 0;
    scene_element(st, s->vb, bytes, 0, sizeof(bvert), VGT_SVGA3D_DECLTYPE_FLOAT3,
                  VGT_SVGA3D_DECLUSAGE_POSITION);
    scene_element(st, s->vb, bytes, 12, sizeof(bvert), VGT_SVGA3D_DECLTYPE_FLOAT3,
                  VGT_SVGA3D_DECLUSAGE_NORMAL);
    scene_element(st, s->vb, bytes, 24, sizeof(bvert), VGT_SVGA3D_DECLTYPE_FLOAT3,
                  VGT_SVGA3D_DECLUSAGE_BLENDWEIGHT);
    if (idx_of) {
        scene_element(st, s->vb, bytes, 36, sizeof(bvert), idx_type,
                      VGT_SVGA3D_DECLUSAGE_BLENDINDICES);
    }
    scene_element(st, s->vb, bytes, 40, sizeof(bvert), VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                  VGT_SVGA3D_DECLUSAGE_COLOR);
    /* four different world matrices; a camera 2 units back */
    xform(&st->world, 2, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f);
    xform(&st->world_n[0], 2, 0.5f, 1.0f, 0.3f, -0.1f, 0.2f);
    xform(&st->world_n[1], 1, 0.6f, 0.8f, -0.2f, 0.3f, -0.3f);
    xform(&st->world_n[2], 0, -0.4f, 1.25f, 0.1f, 0.2f, 0.4f);
    perspective(&st->projection, 1.0f, 1.0f, 0.5f, 10.0f);
    st->view.m[3][2] = 2.0f;
    st->z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
}

/* A white directional and a point light, specular, NORMALIZENORMALS. */
static void lights(scene *s)
{
    vgt_backend_draw_state *st = &s->st;
    st->lighting = true;
    st->ambient = (vgt_backend_color){0.05f, 0.05f, 0.1f, 0};
    st->diffuse_source = st->specular_source = VGT_SVGA3D_VERTEXMATERIAL_NONE;
    st->material.diffuse = (vgt_backend_color){0.9f, 0.8f, 0.6f, 1};
    st->material.ambient = (vgt_backend_color){1, 1, 1, 1};
    st->material.specular = (vgt_backend_color){1, 1, 1, 1};
    st->material.power = 10.0f;
    st->specular_enable = true;
    st->normalize_normals = true;
    st->light_count = 2;
    for (int i = 0; i < 2; i++) {
        vgt_backend_light *l = &st->lights[i];
        l->enabled = true;
        l->in_world_space = true;
        l->type = i ? VGT_SVGA3D_LIGHTTYPE_POINT : VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL;
        l->diffuse = (vgt_backend_color){i ? 0.2f : 0.8f, 0.6f, i ? 0.9f : 0.3f, 1};
        l->specular = (vgt_backend_color){0.5f, 0.5f, 0.5f, 1};
        l->direction[0] = 0.3f;
        l->direction[1] = -0.4f;
        l->direction[2] = 1.0f;
        l->position[0] = -0.4f;
        l->position[1] = 0.5f;
        l->position[2] = -0.6f;
        l->range = 10.0f;
        l->attenuation0 = 0.4f;
        l->attenuation1 = 0.5f;
    }
}

/* 3WEIGHTS over WORLD..WORLD3 in order, lit, vertex fog. */
static void sc_weights_lit_fog(scene *s)
{
    bgrid(s, NULL, 0);
    lights(s);
    s->st.vertex_blend = VGT_SVGA3D_VBLEND_3WEIGHT;
    s->st.fog_enable = true;
    s->st.fog_color = 0xff203040u;
    s->st.fog_start = 1.6f;
    s->st.fog_end = 2.8f;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, N * N * 2);
}

static void idx_ubyte4(int gx, int gy, uint8_t out[4])
{
    /* every matrix in every slot across the grid, and indices past WORLD3
     * (which read WORLD3) */
    out[0] = (uint8_t)((gx + gy) % 4);
    out[1] = (uint8_t)((gx / 3) % 4);
    out[2] = (uint8_t)(gy % 5 == 4 ? 200 : gy % 4);
    out[3] = 9;
}

/* INDEXEDVERTEXBLENDENABLE, 2WEIGHTS, UBYTE4 indices; lit; a world-space
 * clip plane. */
static void sc_indexed_ubyte4(scene *s)
{
    bgrid(s, idx_ubyte4, VGT_SVGA3D_DECLTYPE_UBYTE4);
    lights(s);
    s->st.vertex_blend = VGT_SVGA3D_VBLEND_2WEIGHT;
    s->st.indexed_vertex_blend = true;
    s->st.clip_plane_enable = 1;
    s->st.clip_planes[0][0] = 1.0f;
    s->st.clip_planes[0][3] = 0.45f; /* x > -0.45 */
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, N * N * 2);
}

static void idx_color(int gx, int gy, uint8_t out[4])
{
    out[0] = (uint8_t)(gx % 4); /* blue: index 0 */
    out[1] = (uint8_t)(3 - gy % 4);
    out[2] = 1;
    out[3] = 0;
}

/* 1WEIGHTS with D3DCOLOR indices, then 0WEIGHTS (the first index alone)
 * over it at half size, both lit, the first one with a reflection vector
 * generated for stage 0 (a checker). */
static void sc_indexed_color(scene *s)
{
    bgrid(s, idx_color, VGT_SVGA3D_DECLTYPE_D3DCOLOR);
    lights(s);
    uint32_t px[64];
    for (uint32_t i = 0; i < 64; i++) {
        px[i] = ((i % 8) ^ (i / 8)) & 1 ? 0xffffffffu : 0xff4080c0u;
    }
    vgt_backend_surface *t =
        scene_define(s, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 8, 8, 1, 1, 1);
    scene_upload(s, t, 0, 0, px);
    vgt_backend_stage *g = &s->st.stages[0];
    g->texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {8, 8, 1}};
    g->texture_faces = 1;
    g->texture_mips = 1;
    g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    g->texcoord_gen = VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR;
    s->st.vertex_blend = VGT_SVGA3D_VBLEND_1WEIGHT;
    s->st.indexed_vertex_blend = true;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, N * N * 2);
    g->texture.surface = NULL;
    g->texcoord_gen = VGT_SVGA3D_TEXCOORD_GEN_OFF;
    s->st.vertex_blend = VGT_SVGA3D_VBLEND_0WEIGHTS;
    s->st.view.m[3][2] = 4.0f;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, N * N * 2);
}

static void draw_grid(scene *s)
{
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, N * N * 2);
}

/* Fixed-function vertices in front of a pixel shader are blended too
 * (its v0 is the lit, blended diffuse color). */
static void sc_pixel_shader(scene *s)
{
    bgrid(s, idx_ubyte4, VGT_SVGA3D_DECLTYPE_UBYTE4);
    lights(s);
    s->st.vertex_blend = VGT_SVGA3D_VBLEND_3WEIGHT;
    s->st.indexed_vertex_blend = true;
    scene_with_ps(s, "ps_2_0\ndcl v0\nmov oC0, v0\n", draw_grid);
}

/* A tweened vertex: two positions, two normals, a color. */
typedef struct twvert {
    float x, y, z;
    float nx, ny, nz;
    float x1, y1, z1;
    float nx1, ny1, nz1;
    uint32_t color;
} twvert;

#define TWEEN_TOL 1u

/* The grid as POSITION 0 and NORMAL 0 (a dome), and as POSITION 1 a
 * sheared, bent copy with normals tilted the other way (NORMAL 1); WORLD
 * rotates and scales, WORLD1..3 differ (tweening must not read them). */
static void twgrid(scene *s, float t)
{
    enum { NV = N * N * 6 };
    twvert *v = calloc(NV, sizeof(twvert));
    assert_non_null(v);
    static const int corner[6][2] = {{0, 1}, {1, 1}, {1, 0}, {0, 1}, {1, 0}, {0, 0}};
    for (int c = 0; c < N * N; c++) {
        for (int k = 0; k < 6; k++) {
            int gx = c % N + corner[k][0], gy = c / N + corner[k][1];
            twvert *o = &v[c * 6 + k];
            o->x = -0.8f + 1.6f * (float)gx / N;
            o->y = -0.8f + 1.6f * (float)gy / N;
            o->nx = 0.5f * o->x;
            o->ny = 0.5f * o->y;
            o->nz = -1.0f;
            o->x1 = 0.7f * o->x + 0.2f * o->y + 0.1f;
            o->y1 = 1.1f * o->y - 0.15f;
            o->z1 = 0.4f * o->x * o->y - 0.2f;
            o->nx1 = -0.6f * o->y;
            o->ny1 = 0.4f * o->x + 0.3f;
            o->nz1 = -0.5f;
            o->color = 0xff80c0ffu;
        }
    }
    uint32_t bytes = NV * (uint32_t)sizeof(twvert);
    s->vb =
        scene_define(s, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, bytes, 1, 1, 1, 1);
    scene_upload(s, s->vb, 0, 0, v);
    free(v);
    vgt_backend_draw_state *st = &s->st;
    const uint32_t f3 = VGT_SVGA3D_DECLTYPE_FLOAT3, sz = sizeof(twvert);
    st->element_count = 0;
    scene_element(st, s->vb, bytes, 0, sz, f3, VGT_SVGA3D_DECLUSAGE_POSITION);
    scene_element(st, s->vb, bytes, 12, sz, f3, VGT_SVGA3D_DECLUSAGE_NORMAL);
    scene_element(st, s->vb, bytes, 24, sz, f3, VGT_SVGA3D_DECLUSAGE_POSITION);
    st->elements[st->element_count - 1].usage_index = 1;
    scene_element(st, s->vb, bytes, 36, sz, f3, VGT_SVGA3D_DECLUSAGE_NORMAL);
    st->elements[st->element_count - 1].usage_index = 1;
    scene_element(st, s->vb, bytes, 48, sz, VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                  VGT_SVGA3D_DECLUSAGE_COLOR);
    xform(&st->world, 1, 0.5f, 1.1f, 0.05f, -0.1f, 0.1f);
    xform(&st->world_n[0], 2, 0.5f, 1.0f, 0.3f, -0.1f, 0.2f);
    xform(&st->world_n[1], 1, 0.6f, 0.8f, -0.2f, 0.3f, -0.3f);
    xform(&st->world_n[2], 0, -0.4f, 1.25f, 0.1f, 0.2f, 0.4f);
    perspective(&st->projection, 1.0f, 1.0f, 0.5f, 10.0f);
    st->view.m[3][2] = 2.0f;
    st->z_enable = false;
    st->cull_face = VGT_SVGA3D_FACE_NONE;
    st->vertex_blend = VGT_SVGA3D_VBLEND_TWEENING;
    st->tween_factor = t;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
}

/* Tweened a third of the way, lit (NORMALIZENORMALS, specular), vertex
 * fog, a world-space clip plane. */
static void sc_tween_lit_fog(scene *s)
{
    twgrid(s, 0.35f);
    lights(s);
    s->st.fog_enable = true;
    s->st.fog_color = 0xff203040u;
    s->st.fog_start = 1.6f;
    s->st.fog_end = 2.8f;
    s->st.clip_plane_enable = 1;
    s->st.clip_planes[0][0] = 1.0f;
    s->st.clip_planes[0][3] = 0.45f; /* x > -0.45 */
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, N * N * 2);
}

/* Unlit, most of the way (0.8), a reflection vector generated from the
 * tweened normal for stage 0 (a checker); then TWEENFACTOR 0 and 1 over it
 * at half size (the view moved back). */
static void sc_tween_texgen(scene *s)
{
    twgrid(s, 0.8f);
    uint32_t px[64];
    for (uint32_t i = 0; i < 64; i++) {
        px[i] = ((i % 8) ^ (i / 8)) & 1 ? 0xffffffffu : 0xff4080c0u;
    }
    vgt_backend_surface *t =
        scene_define(s, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 8, 8, 1, 1, 1);
    scene_upload(s, t, 0, 0, px);
    vgt_backend_stage *g = &s->st.stages[0];
    g->texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {8, 8, 1}};
    g->texture_faces = 1;
    g->texture_mips = 1;
    g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    g->texcoord_gen = VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, N * N * 2);
    g->texture.surface = NULL;
    g->texcoord_gen = VGT_SVGA3D_TEXCOORD_GEN_OFF;
    s->st.view.m[3][2] = 4.0f;
    s->st.view.m[3][0] = -0.5f;
    s->st.tween_factor = 0.0f;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, N * N * 2);
    s->st.view.m[3][0] = 0.5f;
    s->st.tween_factor = 1.0f;
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, N * N * 2);
}

/* Tweened fixed-function vertices in front of a pixel shader (its v0 is
 * the lit diffuse color of the tweened normal). */
static void sc_tween_pixel_shader(scene *s)
{
    twgrid(s, 0.6f);
    lights(s);
    scene_with_ps(s, "ps_2_0\ndcl v0\nmov oC0, v0\n", draw_grid);
}

static void test_tween(void **state)
{
    (void)state;
    run_gl_and_soft("vblend-tween-lit", W, H, VGT_SVGA3D_A8R8G8B8, 0, sc_tween_lit_fog, TWEEN_TOL,
                    0.0, 32);
    run_gl_and_soft("vblend-tween-texgen", W, H, VGT_SVGA3D_A8R8G8B8, 0, sc_tween_texgen, TWEEN_TOL,
                    0.0, 16);
    run_gl_and_soft("vblend-tween-ps", W, H, VGT_SVGA3D_A8R8G8B8, 0, sc_tween_pixel_shader,
                    TWEEN_TOL, 0.0, 32);
}

static void test_weights_lit_fog(void **state)
{
    (void)state;
    run_gl_and_soft("vblend-weights", W, H, VGT_SVGA3D_A8R8G8B8, 0, sc_weights_lit_fog, GL_TOL,
                    GL_TOL_FRACTION, 32);
}

static void test_indexed_ubyte4(void **state)
{
    (void)state;
    run_gl_and_soft("vblend-ubyte4", W, H, VGT_SVGA3D_A8R8G8B8, 0, sc_indexed_ubyte4, GL_TOL,
                    GL_TOL_FRACTION, 32);
}

static void test_indexed_color(void **state)
{
    (void)state;
    run_gl_and_soft("vblend-d3dcolor", W, H, VGT_SVGA3D_A8R8G8B8, 0, sc_indexed_color, GL_TOL,
                    GL_TOL_FRACTION, 32);
}

static void test_pixel_shader(void **state)
{
    (void)state;
    run_gl_and_soft("vblend-ps", W, H, VGT_SVGA3D_A8R8G8B8, 0, sc_pixel_shader, GL_TOL,
                    GL_TOL_FRACTION, 32);
}

/* The first lit pixel of row y (W: none). */
static uint32_t first_lit(const vgt_image *im, uint32_t y)
{
    for (uint32_t x = 0; x < im->width; x++) {
        if (vgt_load_le32(im->pixels + (size_t)y * im->stride + 4u * x) & 0xffffffu) {
            return x;
        }
    }
    return W;
}

/* gl alone: a quad moved by 1WEIGHTS (0.25 WORLD + 0.75 WORLD1, WORLD1 16
 * pixels right) covers exactly the pixels soft's test does; then WORLD1
 * alone changes (same serial: the backend reuses the program and layout)
 * and the quad follows. */
static void test_world1_reuse(void **state)
{
    (void)state;
    scene *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    scene_init(s, "gl", 64, 64, VGT_SVGA3D_A8R8G8B8, 0);
    tvert v[6];
    /* edges on pixel halves: columns 25..40 unmoved */
    quad(v, -0.25f + 1.0f / 64.0f, -0.25f + 1.0f / 64.0f, 0.25f + 1.0f / 64.0f,
         0.25f + 1.0f / 64.0f, 0.1f, 0xffffffffu);
    scene_tverts(s, v, 6);
    /* the texcoord element's first float is the weight */
    s->st.elements[3].type = VGT_SVGA3D_DECLTYPE_FLOAT1;
    s->st.elements[3].usage = VGT_SVGA3D_DECLUSAGE_BLENDWEIGHT;
    for (int i = 0; i < 6; i++) {
        v[i].u = 0.25f;
    }
    scene_upload(s, s->vb, 0, 0, v);
    s->st.world_n[0].m[3][0] = 0.5f; /* 16 pixels right */
    s->st.vertex_blend = VGT_SVGA3D_VBLEND_1WEIGHT;
    s->st.serial = 7;
    s->st.z_enable = false;
    vgt_image im;
    uint32_t want[2] = {25 + 12, 25 + 6}; /* 0.75 * 16, then 0.75 * 8 */
    for (int k = 0; k < 2; k++) {
        scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
        scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
        scene_read(s, &im);
        assert_int_equal(first_lit(&im, 32), want[k]);
        assert_int_equal(first_lit(&im, 32) + 16, want[k] + 16);
        vgt_image_free(&im);
        s->st.world_n[0].m[3][0] = 0.25f;
    }
    scene_fini(s);
    free(s);
}

/* Refused on gl as on soft, by the same rule (vgt_svga3d_vertex_blend_plan_make). */
static void test_refused(void **state)
{
    (void)state;
    const char *kinds[2] = {"gl", "soft"};
    for (int k = 0; k < 2; k++) {
        scene *s = calloc(1, sizeof(*s));
        assert_non_null(s);
        scene_init(s, kinds[k], 32, 32, VGT_SVGA3D_A8R8G8B8, 0);
        bgrid(s, idx_ubyte4, VGT_SVGA3D_DECLTYPE_SHORT4);
        vgt_error err = {0};
        s->st.vertex_blend = VGT_SVGA3D_VBLEND_TWEENING;
        assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 0, &err),
                         VGT_E_INVALID);
        assert_non_null(strstr(err.message, "VERTEXBLEND TWEENING: the vertex declaration has no "
                                            "POSITION element with usage index 1"));
        /* a POSITION 1 (the weights' place), lit: NORMAL 0 needs a NORMAL 1 */
        s->st.elements[2].usage = VGT_SVGA3D_DECLUSAGE_POSITION;
        s->st.elements[2].usage_index = 1;
        s->st.lighting = true;
        assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 0, &err),
                         VGT_E_INVALID);
        assert_non_null(strstr(err.message, "VERTEXBLEND TWEENING: the vertex declaration has "
                                            "NORMAL 0 but no NORMAL element with usage index 1"));
        s->st.lighting = false;
        assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 0, &err),
                         VGT_OK);
        s->st.elements[2].usage = VGT_SVGA3D_DECLUSAGE_BLENDWEIGHT;
        s->st.elements[2].usage_index = 0;
        s->st.vertex_blend = VGT_SVGA3D_VBLEND_1WEIGHT;
        s->st.indexed_vertex_blend = true;
        assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 0, &err),
                         VGT_E_UNSUPPORTED);
        assert_non_null(strstr(err.message, "INDEXEDVERTEXBLENDENABLE with BLENDINDICES of type "
                                            "SHORT4"));
        s->st.indexed_vertex_blend = false;
        assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 0, &err),
                         VGT_OK);
        s->st.vertex_blend = 4; /* no blend mode (the decoder refuses it on the wire) */
        assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 0, &err),
                         VGT_E_INVALID);
        assert_non_null(strstr(err.message, "VERTEXBLEND 4 is not a vertex blend mode"));
        scene_fini(s);
        free(s);
    }
}

static void test_caps(void **state)
{
    (void)state;
    const char *kinds[2] = {"gl", "soft"};
    for (int k = 0; k < 2; k++) {
        scene *s = calloc(1, sizeof(*s));
        vgt_backend_caps *caps = calloc(1, sizeof(*caps));
        assert_non_null(s);
        assert_non_null(caps);
        scene_init(s, kinds[k], 8, 8, VGT_SVGA3D_A8R8G8B8, 0);
        s->be.ops->get_caps(s->be.self, caps);
        assert_true(caps->devcap_valid[VGT_SVGA3D_DEVCAP_MAX_FIXED_VERTEXBLEND]);
        assert_int_equal(caps->devcap[VGT_SVGA3D_DEVCAP_MAX_FIXED_VERTEXBLEND], 4);
        free(caps);
        scene_fini(s);
        free(s);
    }
    assert_int_equal(VGT_SVGA3D_MAX_VERTEX_BLEND_MATRIX_INDEX, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights_lit_fog), cmocka_unit_test(test_indexed_ubyte4),
        cmocka_unit_test(test_indexed_color),   cmocka_unit_test(test_world1_reuse),
        cmocka_unit_test(test_refused),         cmocka_unit_test(test_caps),
        cmocka_unit_test(test_pixel_shader),    cmocka_unit_test(test_tween),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
