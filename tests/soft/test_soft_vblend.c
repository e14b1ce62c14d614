/* test_soft_vblend.c - fixed-function vertex blending (VERTEXBLEND,
 * INDEXEDVERTEXBLENDENABLE) on the soft renderer: position = sum_i w_i *
 * (P * World_i) with the last weight 1 minus the others, the world matrices
 * WORLD..WORLD3 picked in order or by BLENDINDICES (UBYTE4, D3DCOLOR), an
 * index above 3 reading WORLD3, normals blended with each world*view's
 * inverse transpose, tweening (POSITION0 to POSITION1 and NORMAL0 to
 * NORMAL1 by TWEENFACTOR, then WORLD), and the refusals. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "soft_test_util.h"
#include "vgt_protocol.h"
#include "vgt_shader.h"

#define W 64
#define H 64

/* A blended vertex: position, three weights, four indices, a normal, a
 * color. */
typedef struct bvert {
    float x, y, z;
    float w[3];
    uint8_t idx[4]; /* UBYTE4, or a D3DCOLOR read little-endian */
    float nx, ny, nz;
    uint32_t color;
} bvert;

/* The quad: NDC x, y in [-0.25 + 1/64, 0.25 + 1/64], so its edges fall
 * on pixel halves (24.5 .. 40.5 on both axes once y is flipped: 23.5 ..
 * 39.5): the lit run of a row starts at pixel 25 and of a column at 24,
 * 16 pixels each, with no pixel centre on an edge. */
#define Q0 (-0.25f + 1.0f / 64.0f)
#define Q1 (0.25f + 1.0f / 64.0f)

static bvert quad_v[6];

static void bquad(const float w[3], const uint8_t idx[4], uint32_t idx_type_color_word)
{
    const float xy[6][2] = {{Q0, Q1}, {Q1, Q1}, {Q0, Q0}, {Q0, Q0}, {Q1, Q1}, {Q1, Q0}};
    for (int i = 0; i < 6; i++) {
        bvert *v = &quad_v[i];
        memset(v, 0, sizeof(*v));
        v->x = xy[i][0];
        v->y = xy[i][1];
        v->z = 0.1f;
        memcpy(v->w, w, sizeof(v->w));
        if (idx) {
            memcpy(v->idx, idx, 4);
        } else {
            memcpy(v->idx, &idx_type_color_word, 4); /* little-endian: byte 0 = blue */
        }
        v->nx = 0.6f;
        v->nz = -0.8f;
        v->color = 0xffffffffu;
    }
}

/* Elements: position, BLENDWEIGHT (FLOAT3), BLENDINDICES (idx_type, or
 * none when 0xffffffff), normal, color. */
static void use_bverts(tscene *s, uint32_t idx_type)
{
    const uint8_t *b = (const uint8_t *)quad_v;
    size_t len = sizeof(quad_v);
    uint32_t st = sizeof(bvert);
    uint32_t n = 0;
    s->st.elements[n++] = (vgt_soft_element){b,
                                             len,
                                             offsetof(bvert, x),
                                             st,
                                             VGT_SVGA3D_DECLTYPE_FLOAT3,
                                             VGT_SVGA3D_DECLUSAGE_POSITION,
                                             0,
                                             0,
                                             0};
    s->st.elements[n++] = (vgt_soft_element){b,
                                             len,
                                             offsetof(bvert, w),
                                             st,
                                             VGT_SVGA3D_DECLTYPE_FLOAT3,
                                             VGT_SVGA3D_DECLUSAGE_BLENDWEIGHT,
                                             0,
                                             0,
                                             0};
    if (idx_type != 0xffffffffu) {
        s->st.elements[n++] = (vgt_soft_element){
            b, len, offsetof(bvert, idx), st, idx_type, VGT_SVGA3D_DECLUSAGE_BLENDINDICES, 0, 0, 0};
    }
    s->st.elements[n++] = (vgt_soft_element){
        b, len, offsetof(bvert, nx), st, VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_NORMAL, 0,
        0, 0};
    s->st.elements[n++] = (vgt_soft_element){b,
                                             len,
                                             offsetof(bvert, color),
                                             st,
                                             VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                                             VGT_SVGA3D_DECLUSAGE_COLOR,
                                             0,
                                             0,
                                             0};
    s->st.element_count = n;
}

/* The translation of world matrix i in pixels (dx right, dy down): WORLD
 * none, WORLD1 16 right, WORLD2 16 down, WORLD3 16 left and 8 up.  One
 * pixel is 1/32 in NDC; NDC y points up. */
static const float shift_px[4][2] = {{0, 0}, {16, 0}, {0, 16}, {-16, -8}};

static void translate(vgt_soft_matrix *m, float dx_px, float dy_px)
{
    memset(m, 0, sizeof(*m));
    for (int i = 0; i < 4; i++) {
        m->m[i][i] = 1.0f;
    }
    m->m[3][0] = dx_px / 32.0f;
    m->m[3][1] = -dy_px / 32.0f;
}

/* A 64x64 scene with the world matrices above and the quad: weights
 * `weights`, indices idx (or the little-endian word color_idx when idx is
 * NULL) as elements of idx_type (0xffffffff: no BLENDINDICES element). */
static const float weights[3] = {0.25f, 0.5f, 0.125f};

static void scene(tscene *s, const uint8_t *idx, uint32_t color_idx, uint32_t idx_type)
{
    tscene_init(s, W, H, false, 1);
    translate(&s->st.world, shift_px[0][0], shift_px[0][1]);
    for (int i = 0; i < 3; i++) {
        translate(&s->st.world_n[i], shift_px[i + 1][0], shift_px[i + 1][1]);
    }
    bquad(weights, idx, color_idx);
    use_bverts(s, idx_type);
}

/* Clears the target to black and draws the quad. */
static void redraw(tscene *s)
{
    tscene_clear(s);
    tscene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
}

/* The lit run of row (or column) `at`: first pixel and count, all lit
 * pixels adjacent. */
static void lit_run(const tscene *s, bool row, uint32_t at, int *first, int *count)
{
    *first = -1;
    *count = 0;
    for (uint32_t i = 0; i < W; i++) {
        uint32_t p = row ? tscene_pixel(s, i, at) : tscene_pixel(s, at, i);
        if ((p & 0xffffffu) != 0) {
            if (*count == 0) {
                *first = (int)i;
            } else {
                assert_int_equal(*first + *count, (int)i);
            }
            (*count)++;
        }
    }
}

/* Asserts the quad is drawn moved by (dx, dy) pixels: rows from 24 + dy,
 * columns from 25 + dx, 16 each (checked through the quad's middle). */
static void assert_quad_at(const tscene *s, int dx, int dy)
{
    int first, count;
    lit_run(s, true, (uint32_t)(24 + dy + 8), &first, &count);
    assert_int_equal(first, 25 + dx);
    assert_int_equal(count, 16);
    lit_run(s, false, (uint32_t)(25 + dx + 8), &first, &count);
    assert_int_equal(first, 24 + dy);
    assert_int_equal(count, 16);
}

/* Redraws and asserts the quad moved by (dx, dy) pixels. */
static void redraw_at(tscene *s, int dx, int dy)
{
    redraw(s);
    assert_quad_at(s, dx, dy);
}

/* Draws with the given blend and asserts the quad moved by sum_i w_i *
 * shift(m_i) over `nm` matrices, the last weight 1 minus the others. */
static void draw_and_check(tscene *s, uint32_t nm, const float w[3], const uint32_t m[4])
{
    redraw(s);
    float dx = 0.0f, dy = 0.0f, last = 1.0f;
    for (uint32_t i = 0; i < nm; i++) {
        float wi = i + 1 < nm ? w[i] : last;
        last -= wi;
        dx += wi * shift_px[m[i]][0];
        dy += wi * shift_px[m[i]][1];
    }
    assert_quad_at(s, (int)lroundf(dx), (int)lroundf(dy));
}

static void test_weights(void **state)
{
    (void)state;
    tscene s;
    scene(&s, NULL, 0, 0xffffffffu);
    const uint32_t in_order[4] = {0, 1, 2, 3};
    /* no blending: WORLD alone */
    draw_and_check(&s, 1, weights, in_order);
    assert_quad_at(&s, 0, 0);
    /* 1WEIGHTS: 0.25 WORLD + 0.75 WORLD1 = 12 right */
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_1WEIGHT;
    draw_and_check(&s, 2, weights, in_order);
    assert_quad_at(&s, 12, 0);
    /* 2WEIGHTS: 0.25, 0.5, 0.25 = 8 right, 4 down */
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_2WEIGHT;
    draw_and_check(&s, 3, weights, in_order);
    assert_quad_at(&s, 8, 4);
    /* 3WEIGHTS: 0.25, 0.5, 0.125, 0.125 = 6 right, 1 down */
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_3WEIGHT;
    draw_and_check(&s, 4, weights, in_order);
    assert_quad_at(&s, 6, 1);
    /* 0WEIGHTS: WORLD alone, weights ignored; moved WORLD shows it */
    translate(&s.st.world, 4, 8);
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_0WEIGHTS;
    redraw_at(&s, 4, 8);
    /* INDEXEDVERTEXBLENDENABLE without VERTEXBLEND blends nothing */
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_DISABLE;
    s.st.indexed_vertex_blend = true;
    redraw_at(&s, 4, 8);
    tscene_fini(&s);
}

/* BLENDWEIGHT with fewer components than weights: the missing ones are 0. */
static void test_short_weights(void **state)
{
    (void)state;
    tscene s;
    scene(&s, NULL, 0, 0xffffffffu);
    s.st.elements[1].type = VGT_SVGA3D_DECLTYPE_FLOAT1; /* w0 = 0.25, w1 = w2 = 0 */
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_3WEIGHT;
    redraw(&s);
    /* 0.25 WORLD + 0.75 WORLD3 = 12 left, 6 up */
    assert_quad_at(&s, -12, -6);
    tscene_fini(&s);
}

static void test_indexed_ubyte4(void **state)
{
    (void)state;
    tscene s;
    const uint8_t idx[4] = {3, 1, 0, 2};
    scene(&s, idx, 0, VGT_SVGA3D_DECLTYPE_UBYTE4);
    s.st.indexed_vertex_blend = true;
    const uint32_t m[4] = {3, 1, 0, 2};
    /* 1WEIGHTS: 0.25 WORLD3 + 0.75 WORLD1 = 8 right, 2 up */
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_1WEIGHT;
    draw_and_check(&s, 2, weights, m);
    assert_quad_at(&s, 8, -2);
    /* 2WEIGHTS: 0.25 WORLD3 + 0.5 WORLD1 + 0.25 WORLD = 4 right, 2 up */
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_2WEIGHT;
    draw_and_check(&s, 3, weights, m);
    assert_quad_at(&s, 4, -2);
    /* 3WEIGHTS: 0.25 WORLD3 + 0.5 WORLD1 + 0.125 WORLD + 0.125 WORLD2 = 4 right */
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_3WEIGHT;
    draw_and_check(&s, 4, weights, m);
    assert_quad_at(&s, 4, 0);
    /* 0WEIGHTS indexed: the first index alone (WORLD3) */
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_0WEIGHTS;
    redraw_at(&s, -16, -8);
    /* without a BLENDINDICES element the matrices are WORLD, WORLD1 (Wine) */
    use_bverts(&s, 0xffffffffu);
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_1WEIGHT;
    redraw_at(&s, 12, 0);
    tscene_fini(&s);
}

/* D3DCOLOR indices: index i is byte i of the element (the color's .zyxw *
 * 255, Direct3D 9's D3DCOLORtoUBYTE4), so 0x00000103 picks WORLD3, then
 * WORLD1 - not the red, green order (0, 1). */
static void test_indexed_d3dcolor(void **state)
{
    (void)state;
    tscene s;
    scene(&s, NULL, 0x00000103u, VGT_SVGA3D_DECLTYPE_D3DCOLOR);
    s.st.indexed_vertex_blend = true;
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_1WEIGHT;
    const uint32_t m[4] = {3, 1, 0, 0};
    /* 0.25 WORLD3 + 0.75 WORLD1 = 8 right, 2 up (red, green: 12 right) */
    draw_and_check(&s, 2, weights, m);
    assert_quad_at(&s, 8, -2);
    tscene_fini(&s);
}

/* Indices above 3 (SVGA3D has WORLD..WORLD3) read WORLD3: never past it. */
static void test_index_out_of_range(void **state)
{
    (void)state;
    tscene s;
    const uint8_t idx[4] = {7, 255, 4, 1};
    scene(&s, idx, 0, VGT_SVGA3D_DECLTYPE_UBYTE4);
    s.st.indexed_vertex_blend = true;
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_2WEIGHT;
    const uint32_t m[4] = {3, 3, 3, 1};
    draw_and_check(&s, 3, weights, m);
    assert_quad_at(&s, -16, -8);
    assert_int_equal(vgt_svga3d_vertex_blend_matrix(4.0f), 3);
    assert_int_equal(vgt_svga3d_vertex_blend_matrix(255.0f), 3);
    assert_int_equal(vgt_svga3d_vertex_blend_matrix(2.0f), 2);
    assert_int_equal(vgt_svga3d_vertex_blend_matrix(-1.0f), 0);
    assert_int_equal(vgt_svga3d_vertex_blend_matrix(NAN), 0);
    tscene_fini(&s);
}

/* Lighting on, white diffuse material, no ambient, one white directional
 * light shining along +z. */
static void light_along_z(tscene *s)
{
    s->st.lighting = true;
    s->st.color_vertex = false;
    s->st.material.diffuse = (vgt_soft_color){1, 1, 1, 1};
    s->st.ambient = (vgt_soft_color){0, 0, 0, 0};
    vgt_soft_light *l = &s->st.lights[0];
    l->enabled = true;
    l->type = VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL;
    l->diffuse = (vgt_soft_color){1, 1, 1, 1};
    l->direction[2] = 1.0f;
}

/* A lit quad whose normal (0.6, 0, -0.8) is blended between WORLD (the
 * identity) and WORLD1 (z scaled by 4, so its inverse transpose scales the
 * normal's z by 1/4: (0.6, 0, -0.2)).  One white directional light shining
 * along +z: N.L is the blended normal's -z. */
static uint32_t lit_blue(tscene *s)
{
    redraw(s);
    return tscene_pixel(s, 33, 32) & 0xffu;
}

static void test_lit_normals(void **state)
{
    (void)state;
    tscene s;
    scene(&s, NULL, 0, 0xffffffffu);
    memset(&s.st.world_n[0], 0, sizeof(s.st.world_n[0]));
    s.st.world_n[0].m[0][0] = s.st.world_n[0].m[1][1] = s.st.world_n[0].m[3][3] = 1.0f;
    s.st.world_n[0].m[2][2] = 4.0f;
    light_along_z(&s);
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_1WEIGHT;
    /* 0.25 (0.6, 0, -0.8) + 0.75 (0.6, 0, -0.2) = (0.6, 0, -0.35) */
    double nz = 0.25 * 0.8 + 0.75 * 0.2;
    uint32_t b = lit_blue(&s);
    assert_in_range(b, (uint32_t)floor(nz * 255.0), (uint32_t)ceil(nz * 255.0));
    /* normalized after the sum: 0.35 / |(0.6, 0, -0.35)| */
    s.st.normalize_normals = true;
    double nn = nz / sqrt(0.6 * 0.6 + nz * nz);
    b = lit_blue(&s);
    assert_in_range(b, (uint32_t)floor(nn * 255.0), (uint32_t)ceil(nn * 255.0));
    /* no blending: WORLD's normal, N.L = 0.8 */
    s.st.normalize_normals = false;
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_DISABLE;
    b = lit_blue(&s);
    assert_in_range(b, 203, 204);
    tscene_fini(&s);
}

/* Fog reads the blended eye-space position: linear fog from z 0 to 1 of a
 * quad at z 0.1 blended to 0.25 * 0.1 + 0.75 * 0.4 (WORLD1 scales z by 4). */
static void test_fog_blended_depth(void **state)
{
    (void)state;
    tscene s;
    scene(&s, NULL, 0, 0xffffffffu);
    memset(&s.st.world_n[0], 0, sizeof(s.st.world_n[0]));
    s.st.world_n[0].m[0][0] = s.st.world_n[0].m[1][1] = s.st.world_n[0].m[3][3] = 1.0f;
    s.st.world_n[0].m[2][2] = 4.0f;
    s.st.fog_enable = true;
    s.st.fog_function = VGT_SVGA3D_FOGFUNC_LINEAR;
    s.st.fog_type = VGT_SVGA3D_FOGTYPE_VERTEX;
    s.st.fog_base = VGT_SVGA3D_FOGBASE_DEPTHBASED;
    s.st.fog_color = 0xff000000u;
    s.st.fog_start = 0.0f;
    s.st.fog_end = 1.0f;
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_1WEIGHT;
    redraw(&s);
    /* white * (1 - z) + black * z, z = 0.325 */
    double f = 1.0 - (0.25 * 0.1 + 0.75 * 0.4);
    uint32_t b = tscene_pixel(&s, 33, 32) & 0xffu;
    assert_in_range(b, (uint32_t)floor(f * 255.0), (uint32_t)ceil(f * 255.0));
    tscene_fini(&s);
}

/* A tweened vertex: two positions, two normals, a color. */
typedef struct twvert {
    float x0, y0, z0;
    float nx0, ny0, nz0;
    float x1, y1, z1;
    float nx1, ny1, nz1;
    uint32_t color;
} twvert;

static twvert tween_v[6];

/* The quad at POSITION0 and, as POSITION1, moved 16 pixels right and 8
 * down with z 0.5 instead of 0.1; NORMAL0 (0, 0, -1), NORMAL1 (1, 0, 0). */
static void tween_quad(void)
{
    const float xy[6][2] = {{Q0, Q1}, {Q1, Q1}, {Q0, Q0}, {Q0, Q0}, {Q1, Q1}, {Q1, Q0}};
    for (int i = 0; i < 6; i++) {
        twvert *v = &tween_v[i];
        memset(v, 0, sizeof(*v));
        v->x0 = xy[i][0];
        v->y0 = xy[i][1];
        v->z0 = 0.1f;
        v->nz0 = -1.0f;
        v->x1 = xy[i][0] + 16.0f / 32.0f;
        v->y1 = xy[i][1] - 8.0f / 32.0f;
        v->z1 = 0.5f;
        v->nx1 = 1.0f;
        v->color = 0xffffffffu;
    }
}

/* Elements: POSITION 0, NORMAL 0, then POSITION 1 and NORMAL 1 when asked,
 * and the color. */
static void use_twverts(tscene *s, bool pos1, bool normal1)
{
    const uint8_t *b = (const uint8_t *)tween_v;
    size_t len = sizeof(tween_v);
    uint32_t st = sizeof(twvert);
    const uint32_t f3 = VGT_SVGA3D_DECLTYPE_FLOAT3;
    uint32_t n = 0;
    s->st.elements[n++] = (vgt_soft_element){
        b, len, offsetof(twvert, x0), st, f3, VGT_SVGA3D_DECLUSAGE_POSITION, 0, 0, 0};
    s->st.elements[n++] = (vgt_soft_element){
        b, len, offsetof(twvert, nx0), st, f3, VGT_SVGA3D_DECLUSAGE_NORMAL, 0, 0, 0};
    if (pos1) {
        s->st.elements[n++] = (vgt_soft_element){
            b, len, offsetof(twvert, x1), st, f3, VGT_SVGA3D_DECLUSAGE_POSITION, 1, 0, 0};
    }
    if (normal1) {
        s->st.elements[n++] = (vgt_soft_element){
            b, len, offsetof(twvert, nx1), st, f3, VGT_SVGA3D_DECLUSAGE_NORMAL, 1, 0, 0};
    }
    s->st.elements[n++] = (vgt_soft_element){b,
                                             len,
                                             offsetof(twvert, color),
                                             st,
                                             VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                                             VGT_SVGA3D_DECLUSAGE_COLOR,
                                             0,
                                             0,
                                             0};
    s->st.element_count = n;
}

/* The blend scene's matrices (WORLD the identity, WORLD1..3 moved) with
 * the tweened quad, VERTEXBLEND TWEENING. */
static void tween_scene(tscene *s)
{
    scene(s, NULL, 0, 0xffffffffu);
    tween_quad();
    use_twverts(s, true, true);
    s->st.vertex_blend = VGT_SVGA3D_VBLEND_TWEENING;
}

/* Position = POSITION0 + t * (POSITION1 - POSITION0), t = TWEENFACTOR:
 * 0 (Direct3D 9's default) draws POSITION0, 1 POSITION1, between them in
 * proportion; then WORLD alone moves it (WORLD1..3 and the blend elements
 * are not read). */
static void test_tween_positions(void **state)
{
    (void)state;
    tscene s;
    tween_scene(&s);
    s.st.tween_factor = 0.0f;
    redraw_at(&s, 0, 0);
    s.st.tween_factor = 0.5f;
    redraw_at(&s, 8, 4);
    s.st.tween_factor = 1.0f;
    redraw_at(&s, 16, 8);
    s.st.tween_factor = 0.25f;
    redraw_at(&s, 4, 2);
    /* past 1 it extrapolates, as the formula does */
    s.st.tween_factor = 1.25f;
    redraw_at(&s, 20, 10);
    /* WORLD after the tween; INDEXEDVERTEXBLENDENABLE changes nothing */
    s.st.tween_factor = 0.5f;
    s.st.indexed_vertex_blend = true;
    translate(&s.st.world, 4, -8);
    redraw_at(&s, 12, -4);
    /* pretransformed vertices are not tweened (POSITIONT replaces POSITION 0) */
    translate(&s.st.world, 0, 0);
    s.st.elements[0].usage = VGT_SVGA3D_DECLUSAGE_POSITIONT;
    for (int i = 0; i < 6; i++) {
        tween_v[i].x0 = (tween_v[i].x0 + 1.0f) * 32.0f;
        tween_v[i].y0 = (1.0f - tween_v[i].y0) * 32.0f;
    }
    redraw_at(&s, 0, 0);
    tscene_fini(&s);
}

/* Fog reads the tweened eye-space depth: linear fog from z 0 to 1, z 0.1
 * tweened halfway to 0.5 is 0.3. */
static void test_tween_fog(void **state)
{
    (void)state;
    tscene s;
    tween_scene(&s);
    s.st.fog_enable = true;
    s.st.fog_function = VGT_SVGA3D_FOGFUNC_LINEAR;
    s.st.fog_type = VGT_SVGA3D_FOGTYPE_VERTEX;
    s.st.fog_base = VGT_SVGA3D_FOGBASE_DEPTHBASED;
    s.st.fog_color = 0xff000000u;
    s.st.fog_start = 0.0f;
    s.st.fog_end = 1.0f;
    s.st.tween_factor = 0.5f;
    redraw_at(&s, 8, 4);
    uint32_t b = tscene_pixel(&s, 33 + 8, 32 + 4) & 0xffu;
    assert_in_range(b, 178, 179); /* 0.7 * 255 = 178.5 */
    tscene_fini(&s);
}

/* Lit: the normal is NORMAL0 + t * (NORMAL1 - NORMAL0) = (t, 0, t - 1),
 * then WORLD's inverse transpose (WORLD scales z by 4: the normal's z by
 * 1/4), then NORMALIZENORMALS.  One white directional light along +z:
 * N.L is the normal's -z. */
static void test_tween_lit_normals(void **state)
{
    (void)state;
    tscene s;
    tween_scene(&s);
    memset(&s.st.world, 0, sizeof(s.st.world));
    s.st.world.m[0][0] = s.st.world.m[1][1] = s.st.world.m[3][3] = 1.0f;
    s.st.world.m[2][2] = 2.0f; /* z 0.1..0.5 stays in the depth range */
    light_along_z(&s);
    const float ts[3] = {0.0f, 0.25f, 0.5f};
    for (int norm = 0; norm < 2; norm++) {
        s.st.normalize_normals = norm != 0;
        for (int i = 0; i < 3; i++) {
            float t = ts[i];
            s.st.tween_factor = t;
            redraw(&s);
            int dx = (int)(16.0f * t), dy = (int)(8.0f * t);
            assert_quad_at(&s, dx, dy);
            /* (t, 0, (t - 1) / 2) */
            double nx = t, nz = (1.0 - t) / 2.0;
            double d = norm ? nz / sqrt(nx * nx + nz * nz) : nz;
            uint32_t b = tscene_pixel(&s, (uint32_t)(33 + dx), (uint32_t)(32 + dy)) & 0xffu;
            assert_in_range(b, (uint32_t)floor(d * 255.0), (uint32_t)ceil(d * 255.0));
        }
    }
    tscene_fini(&s);
}

/* The declaration must have POSITION 1, and NORMAL 1 when NORMAL 0 is read
 * (lighting); the refusal is the draw's alone. */
static void test_tween_refused(void **state)
{
    (void)state;
    tscene s;
    tween_scene(&s);
    s.st.tween_factor = 0.5f;
    vgt_error err = {0};
    use_twverts(&s, false, true);
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_INVALID);
    assert_non_null(strstr(err.message, "soft: VERTEXBLEND TWEENING: the vertex declaration has "
                                        "no POSITION element with usage index 1"));
    /* unlit, NORMAL 0 is not read: NORMAL 1 is not needed */
    use_twverts(&s, true, false);
    redraw_at(&s, 8, 4);
    s.st.lighting = true;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_INVALID);
    assert_non_null(strstr(err.message, "soft: VERTEXBLEND TWEENING: the vertex declaration has "
                                        "NORMAL 0 but no NORMAL element with usage index 1"));
    /* lit without any normal: nothing to tween but the position (the
     * emissive material shows where) */
    use_twverts(&s, true, false);
    s.st.elements[1] = s.st.elements[3];
    s.st.element_count = 3;
    s.st.material.emissive = (vgt_soft_color){1, 1, 1, 1};
    redraw_at(&s, 8, 4);
    s.st.lighting = false;
    use_twverts(&s, true, true);
    redraw_at(&s, 8, 4);
    tscene_fini(&s);
}

/* Ignored where Direct3D 9 ignores it: behind a vertex shader (even
 * TWEENING), and for pretransformed vertices. */
static void test_ignored(void **state)
{
    (void)state;
    tscene s;
    scene(&s, NULL, 0, 0xffffffffu);
    vgt_soft_shader *vs = test_shader(VGT_SVGA3D_SHADERTYPE_VS,
                                      "vs_2_0\ndcl_position v0\ndcl_color v1\nmov oPos, v0\n"
                                      "mov oD0, v1\n");
    s.st.vertex_shader = 5;
    s.st.vs_program = vs;
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_3WEIGHT;
    redraw_at(&s, 0, 0);
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_TWEENING;
    redraw_at(&s, 0, 0);
    s.st.vertex_shader = 0;
    s.st.vs_program = NULL;
    vgt_soft_shader_destroy(vs);
    /* POSITIONT: screen pixels, no vertex processing to blend */
    tvert t[6];
    quad(t, 24.5f, 23.5f, 40.5f, 39.5f, 0.1f, 0xffffffffu);
    tscene_use_tverts(&s, t, 6);
    s.st.elements[0].usage = VGT_SVGA3D_DECLUSAGE_POSITIONT;
    s.st.elements[0].type = VGT_SVGA3D_DECLTYPE_FLOAT3;
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_2WEIGHT;
    redraw(&s);
    int first, count;
    lit_run(&s, true, 30, &first, &count);
    assert_int_equal(first, 25);
    assert_int_equal(count, 16);
    tscene_fini(&s);
}

static void test_refused(void **state)
{
    (void)state;
    tscene s;
    scene(&s, NULL, 0, VGT_SVGA3D_DECLTYPE_SHORT4);
    vgt_error err = {0};
    /* SHORT4 indices: fixed function reads bytes; not indexed, they are
     * not read at all */
    s.st.vertex_blend = VGT_SVGA3D_VBLEND_1WEIGHT;
    s.st.indexed_vertex_blend = true;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "INDEXEDVERTEXBLENDENABLE with BLENDINDICES of type "
                                        "SHORT4: fixed function reads UBYTE4 or D3DCOLOR"));
    s.st.indexed_vertex_blend = false;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err), VGT_OK);
    /* a value no blend mode has (the decoder refuses it on the wire) */
    s.st.vertex_blend = 4;
    assert_int_equal(
        tscene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, NULL, &err),
        VGT_E_INVALID);
    assert_non_null(strstr(err.message, "VERTEXBLEND 4 is not a vertex blend mode"));
    tscene_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_short_weights),
        cmocka_unit_test(test_indexed_ubyte4),
        cmocka_unit_test(test_indexed_d3dcolor),
        cmocka_unit_test(test_index_out_of_range),
        cmocka_unit_test(test_lit_normals),
        cmocka_unit_test(test_fog_blended_depth),
        cmocka_unit_test(test_tween_positions),
        cmocka_unit_test(test_tween_fog),
        cmocka_unit_test(test_tween_lit_normals),
        cmocka_unit_test(test_tween_refused),
        cmocka_unit_test(test_ignored),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
