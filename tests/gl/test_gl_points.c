/* test_gl_points.c - points clipped as Direct3D 9 clips them: as squares.
 *
 * Direct3D 9 does not render a point only when its square (POINTSIZE, or a
 * vertex shader's oPts) lies wholly outside the viewport; a point whose
 * centre is outside but whose square reaches in shows the part inside,
 * with a sprite's texture coordinates those of the whole square.  GL
 * discards a point whose centre is clipped.  The soft backend follows
 * Direct3D 9 (docs/soft.md); the gl backend draws points through a guard
 * band (docs/gl.md "Points").
 *
 * Each scene puts points of sizes 8, 12 and 16 with centres 1 to 6 pixels
 * outside each edge and corner of the viewport, one inside, and two
 * inside in x and y but before the near and beyond the far plane (culled);
 * fixed function, a vs_2_0 writing oPts (fixed-function pixels), a vs_3_0
 * writing a PSIZE output with a ps_3_0 and pretransformed vertices,
 * sprites on and off, on the whole target, on a viewport smaller than the
 * target with a non-zero origin (nothing drawn outside the viewport), and
 * with a scissor rect; as POINTLIST draws, as the corners of triangles
 * under FILLMODE POINT, and in one draw with a TRIANGLELIST quad.
 * Both backends' pictures are checked pixel by pixel against the rule
 * (expected_image), not only against each other. */
#include "gl_test_util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W     64u
#define H     56u
#define TEX   4u
#define CLEAR 0xff000000u

/* One point on the Direct3D screen: its centre (pixels; a pixel's centre
 * is at its integer coordinates), size, depth after projection and the
 * texture coordinate it carries (what a point without sprites shows). */
typedef struct pt {
    float x, y, size, z, u, v;
} pt;

#define MAX_PTS 16u

typedef struct layout {
    vgt_backend_rect vp;
    bool scissor;
    vgt_backend_rect sc;
    bool sprite;
    uint32_t shift; /* varies the offsets and sizes between scenes */
    pt p[MAX_PTS];
    uint32_t n;
    /* how the points are drawn: 0 a POINTLIST draw each; 1 FILLMODE POINT,
     * the points three by three as triangles (the outside ones only); 2 one
     * draw of a TRIANGLELIST quad (quad[]: screen x0, y0, x1, y1, a quarter
     * off the grid, under the points) and a POINTLIST range of them all */
    uint32_t how;
    float quad[4];
} layout;

/* the scene's layout (scene_fn takes no argument) and its shader mode:
 * 0 fixed function, 1 vs_2_0 oPts, 2 vs_3_0 + ps_3_0 */
static layout g_l;
static int g_mode;

/* Centres 1..6 pixels outside each edge and corner of the viewport, a
 * quarter pixel off the grid (with sizes multiples of 4, neither the
 * squares' edges nor the 4 x 4 texture's texel edges fall on a pixel
 * centre: no tie for either backend), one inside, and one before the near
 * and one beyond the far plane. */
static void make_layout(layout *l, vgt_backend_rect vp, bool sprite, uint32_t shift)
{
    memset(l, 0, sizeof(*l));
    l->vp = vp;
    l->sprite = sprite;
    l->shift = shift;
    float x0 = (float)vp.x, y0 = (float)vp.y;
    float x1 = x0 + (float)vp.w, y1 = y0 + (float)vp.h;
    float cx = x0 + (float)vp.w * 0.5f + 0.25f, cy = y0 + (float)vp.h * 0.5f + 0.25f;
    /* 8 places: left, right, top, bottom, then the four corners */
    static const int sx[8] = {-1, 1, 0, 0, -1, 1, -1, 1};
    static const int sy[8] = {0, 0, -1, 1, -1, -1, 1, 1};
    for (uint32_t i = 0; i < 8; i++) {
        uint32_t k = i + shift;
        float d = (float)(1 + k % 6); /* whole pixels outside */
        float size = (float)(8 + 4 * ((k / 2) % 3));
        pt *p = &l->p[l->n++];
        /* outside by d - 0.75 or d - 0.25: x < x0 by at least 0.25 */
        p->x = sx[i] < 0 ? x0 - d + 0.25f : (sx[i] > 0 ? x1 + d - 0.25f : cx - 6.0f);
        p->y = sy[i] < 0 ? y0 - d + 0.25f : (sy[i] > 0 ? y1 + d - 0.25f : cy + 6.0f);
        if (sx[i] == 0) {
            p->x = cx + (sy[i] < 0 ? -8.0f : 8.0f);
        }
        if (sy[i] == 0) {
            p->y = cy + (sx[i] < 0 ? -7.0f : 7.0f);
        }
        p->size = size;
        p->z = 0.5f;
        p->u = ((float)(k % 4) + 0.5f) / TEX;
        p->v = ((float)((k / 4) % 4) + 0.5f) / TEX;
    }
    /* inside, drawn; then inside in x and y but culled by z (z < 0 is
     * before the near plane, z > w beyond the far one) */
    const float zs[3] = {0.5f, -0.25f, 1.25f};
    for (uint32_t i = 0; i < 3; i++) {
        pt *p = &l->p[l->n++];
        p->x = cx + (float)i * 5.0f - 5.0f;
        p->y = cy - (float)i * 3.0f;
        p->size = 8.0f;
        p->z = zs[i];
        p->u = ((float)((i + shift) % 4) + 0.5f) / TEX;
        p->v = 0.625f;
    }
}

/* The picture the rule gives: every pixel of [x - size/2, x + size/2) x
 * [y - size/2, y + size/2) (Direct3D 9's point square; pixel centres at
 * integers) inside the viewport, the target and the scissor rect takes
 * the texel of the sprite coordinate at its centre (u = (px - x) / size +
 * 1/2, v alike) or, without sprites, the point's own; later points over
 * earlier ones; points outside [0, 1] in z are culled. */
static void expected_image(const layout *l, vgt_image *out)
{
    assert_int_equal(vgt_image_alloc(out, W, H, NULL), VGT_OK);
    for (uint32_t i = 0; i < W * H; i++) {
        vgt_store_le32(out->pixels + 4 * i, CLEAR);
    }
    int64_t bx0 = l->vp.x, by0 = l->vp.y;
    int64_t bx1 = bx0 + l->vp.w, by1 = by0 + l->vp.h;
    if (l->scissor) {
        bx0 = l->sc.x > bx0 ? l->sc.x : bx0;
        by0 = l->sc.y > by0 ? l->sc.y : by0;
        bx1 = l->sc.x + (int64_t)l->sc.w < bx1 ? l->sc.x + (int64_t)l->sc.w : bx1;
        by1 = l->sc.y + (int64_t)l->sc.h < by1 ? l->sc.y + (int64_t)l->sc.h : by1;
    }
    bx1 = bx1 < W ? bx1 : W;
    by1 = by1 < H ? by1 : H;
    if (l->how == 2) {
        /* the quad's texel (u, v of (0.375, 0.875)) on every pixel centre inside it */
        for (int64_t y = by0; y < by1; y++) {
            for (int64_t x = bx0; x < bx1; x++) {
                if ((float)x > l->quad[0] && (float)x < l->quad[2] && (float)y > l->quad[1] &&
                    (float)y < l->quad[3]) {
                    vgt_store_le32(out->pixels + 4 * ((size_t)y * W + (size_t)x),
                                   scene_texel(1, 3));
                }
            }
        }
    }
    for (uint32_t i = 0; i < l->n; i++) {
        const pt *p = &l->p[i];
        if (p->z < 0.0f || p->z > 1.0f) {
            continue;
        }
        float h = p->size * 0.5f;
        for (int64_t y = by0; y < by1; y++) {
            for (int64_t x = bx0; x < bx1; x++) {
                float fx = (float)x, fy = (float)y;
                if (!(fx >= p->x - h && fx < p->x + h && fy >= p->y - h && fy < p->y + h)) {
                    continue;
                }
                float u = l->sprite ? (fx - p->x) / p->size + 0.5f : p->u;
                float v = l->sprite ? (fy - p->y) / p->size + 0.5f : p->v;
                uint32_t tx = (uint32_t)(u * TEX), ty = (uint32_t)(v * TEX);
                vgt_store_le32(out->pixels + 4 * ((size_t)y * W + (size_t)x),
                               scene_texel(tx < TEX ? tx : TEX - 1, ty < TEX ? ty : TEX - 1));
            }
        }
    }
}

static const char *const vs20 = "vs_2_0\ndcl_position v0\ndcl_normal v3\ndcl_color v1\n"
                                "dcl_texcoord v2\nmov oPos, v0\nmov oD0, v1\nmov oT0, v2\n"
                                "mov oPts, v3.x\n";
static const char *const vs30 = "vs_3_0\ndcl_position v0\ndcl_normal v3\ndcl_color v1\n"
                                "dcl_texcoord v2\ndcl_position o0\ndcl_color0 o1\n"
                                "dcl_texcoord0 o2.xy\ndcl_psize o3.x\nmov o0, v0\nmov o1, v1\n"
                                "mov o2.xy, v2\nmov o3.x, v3.x\n";
static const char *const ps30 = "ps_3_0\ndcl_texcoord0 v0.xy\ndcl_color0 v1\ndcl_2d s0\n"
                                "texld r0, v0, s0\nmul oC0, r0, v1\n";

/* The points of g_l, one draw each (fixed function takes the size from
 * POINTSIZE; the shaders from the vertex's normal x). */
static void draw_points(scene *s)
{
    const layout *l = &g_l;
    tvert v[MAX_PTS];
    float vw = (float)l->vp.w, vh = (float)l->vp.h;
    for (uint32_t i = 0; i < l->n; i++) {
        const pt *p = &l->p[i];
        /* screen X = vp.x + (1 + x) * vp.w / 2, Y = vp.y + (1 - y) * vp.h / 2 */
        v[i] = (tvert){(p->x - (float)l->vp.x) * 2.0f / vw - 1.0f,
                       1.0f - (p->y - (float)l->vp.y) * 2.0f / vh,
                       p->z,
                       p->size,
                       0,
                       -1,
                       0xffffffffu,
                       p->u,
                       p->v};
    }
    vgt_error err = {0};
    if (l->how == 1) {
        /* the corners of triangles under point fill, one size per draw */
        scene_tverts(s, v, l->n);
        s->st.fill_mode = VGT_SVGA3D_FILLMODE_POINT;
        for (uint32_t i = 0; i + 3 <= l->n; i += 3) {
            s->st.point_size = l->p[i].size;
            if (scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, 0, 0, (int32_t)i, &err)) {
                fail_msg("%s: triangle at %u: %s", s->name, i, err.message);
            }
        }
        s->st.fill_mode = VGT_SVGA3D_FILLMODE_FILL;
        return;
    }
    if (l->how == 2) {
        /* the quad (NDC of its screen corners), then the points, in one draw */
        tvert all[MAX_PTS + 6];
        float qx0 = (l->quad[0] - (float)l->vp.x) * 2.0f / vw - 1.0f;
        float qx1 = (l->quad[2] - (float)l->vp.x) * 2.0f / vw - 1.0f;
        float qy0 = 1.0f - (l->quad[3] - (float)l->vp.y) * 2.0f / vh;
        float qy1 = 1.0f - (l->quad[1] - (float)l->vp.y) * 2.0f / vh;
        quad(all, qx0, qy0, qx1, qy1, 0.5f, 0xffffffffu);
        for (int i = 0; i < 6; i++) {
            all[i].u = 0.375f;
            all[i].v = 0.875f;
        }
        memcpy(all + 6, v, l->n * sizeof(tvert));
        scene_tverts(s, all, l->n + 6);
        s->st.point_size = l->p[0].size; /* fixed function: one size (make_layout) */
        vgt_backend_draw_range r[2] = {{.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
                                        .primitive_count = 2,
                                        .vertex_count = 6},
                                       {.primitive_type = VGT_SVGA3D_PRIMITIVE_POINTLIST,
                                        .primitive_count = l->n,
                                        .vertex_count = l->n,
                                        .index_bias = 6}};
        vgt_backend_draw_stats stats = {0};
        if (s->be.ops->draw(s->be.self, &s->st, r, 2, &stats, &err) != VGT_OK) {
            fail_msg("%s: mixed draw: %s", s->name, err.message);
        }
        return;
    }
    scene_tverts(s, v, l->n);
    for (uint32_t i = 0; i < l->n; i++) {
        s->st.point_size = l->p[i].size;
        if (scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, 0, 0, (int32_t)i, &err) != VGT_OK) {
            fail_msg("%s: point %u: %s", s->name, i, err.message);
        }
    }
}

/* The points as pretransformed vertices (POSITIONT: screen x, y, z, rhw 1),
 * one POINTLIST draw each. */
static void draw_pretransformed(scene *s)
{
    const layout *l = &g_l;
    struct {
        float x, y, z, rhw;
        uint32_t c;
        float u, v;
    } v[MAX_PTS];
    for (uint32_t i = 0; i < l->n; i++) {
        const pt *p = &l->p[i];
        v[i].x = p->x;
        v[i].y = p->y;
        v[i].z = p->z;
        v[i].rhw = 1.0f;
        v[i].c = 0xffffffffu;
        v[i].u = p->u;
        v[i].v = p->v;
    }
    uint32_t bytes = (uint32_t)sizeof(v);
    s->vb =
        scene_define(s, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, bytes, 1, 1, 1, 1);
    scene_upload(s, s->vb, 0, 0, v);
    s->st.element_count = 0;
    scene_element(&s->st, s->vb, bytes, 0, sizeof(v[0]), VGT_SVGA3D_DECLTYPE_FLOAT4,
                  VGT_SVGA3D_DECLUSAGE_POSITIONT);
    scene_element(&s->st, s->vb, bytes, 16, sizeof(v[0]), VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                  VGT_SVGA3D_DECLUSAGE_COLOR);
    scene_element(&s->st, s->vb, bytes, 20, sizeof(v[0]), VGT_SVGA3D_DECLTYPE_FLOAT2,
                  VGT_SVGA3D_DECLUSAGE_TEXCOORD);
    for (uint32_t i = 0; i < l->n; i++) {
        s->st.point_size = l->p[i].size;
        vgt_error err = {0};
        if (scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, 0, 0, (int32_t)i, &err) != VGT_OK) {
            fail_msg("%s: pretransformed point %u: %s", s->name, i, err.message);
        }
    }
}

static void draw_ps30(scene *s)
{
    scene_with_ps(s, ps30, draw_points);
}

static void sc_points(scene *s)
{
    vgt_backend_surface *t = scene_checker(s, TEX, TEX);
    s->st.stages[0].texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {TEX, TEX, 1}};
    s->st.stages[0].texture_faces = 1;
    s->st.stages[0].texture_mips = 1;
    s->st.stages[0].color_op = VGT_SVGA3D_TC_MODULATE;
    s->st.z_enable = false;
    s->st.point_size_max = 64.0f;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, CLEAR, 1.0f, 0);
    s->st.viewport = g_l.vp;
    s->st.scissor_enable = g_l.scissor;
    s->st.scissor = g_l.sc;
    s->st.point_sprite = g_l.sprite;
    switch (g_mode) {
    case 0:
        draw_points(s);
        break;
    case 1:
        scene_with_vs(s, vs20, draw_points);
        break;
    case 3:
        draw_pretransformed(s);
        break;
    default:
        scene_with_vs(s, vs30, draw_ps30);
        break;
    }
    s->st.point_sprite = false;
    s->st.scissor_enable = false;
}

static const char *const mode_names[4] = {"ff", "vs20", "vs30", "rhw"};

/* Draws g_l on `kind` and checks every pixel against the rule. */
static void check_kind(const char *kind, const char *name)
{
    scene s;
    scene_init(&s, kind, W, H, VGT_SVGA3D_A8R8G8B8, 0);
    sc_points(&s);
    vgt_image got, want;
    scene_read(&s, &got);
    expected_image(&g_l, &want);
    char label[96];
    snprintf(label, sizeof(label), "%s-%s", name, kind);
    compare_images_as(label, kind, &got, "rule", &want, 0, 0.0);
    vgt_image_free(&got);
    vgt_image_free(&want);
    scene_fini(&s);
}

/* Every layout on both backends: the whole target and a smaller viewport
 * at (10, 6) (also under a scissor rect that cuts its left and bottom),
 * sprites on and off, offsets and sizes shifted between two passes. */
static void run_mode(int mode, uint32_t how)
{
    static const char *const how_names[3] = {"", "-fill", "-mixed"};
    g_mode = mode;
    const vgt_backend_rect vps[2] = {{0, 0, W, H}, {10, 6, 40, 36}};
    for (uint32_t v = 0; v < 3; v++) {
        for (uint32_t sprite = 0; sprite < 2; sprite++) {
            for (uint32_t shift = 0; shift < 6; shift += 3) {
                make_layout(&g_l, vps[v ? 1 : 0], sprite != 0, shift);
                g_l.how = how;
                if (mode == 3) {
                    /* pretransformed vertices are not clipped (soft_draw.c;
                     * gl: depth clamp), so no near/far points: the outside
                     * points and the inside one */
                    g_l.n = 9;
                }
                if (how == 1) {
                    /* the eight outside points and the inside one as three
                     * triangles, the size of each triangle's first */
                    g_l.n = 9;
                    for (uint32_t i = 0; i < 9; i++) {
                        g_l.p[i].size = g_l.p[i - i % 3].size;
                    }
                } else if (how == 2) {
                    float x0 = (float)g_l.vp.x, y0 = (float)g_l.vp.y;
                    g_l.quad[0] = x0 + 6.25f;
                    g_l.quad[1] = y0 + 4.75f;
                    g_l.quad[2] = x0 + (float)g_l.vp.w - 9.75f;
                    g_l.quad[3] = y0 + (float)g_l.vp.h - 5.25f;
                    for (uint32_t i = 0; i < g_l.n && mode == 0; i++) {
                        g_l.p[i].size = g_l.p[0].size; /* POINTSIZE: one per draw */
                    }
                }
                if (v == 2) {
                    g_l.scissor = true;
                    g_l.sc = (vgt_backend_rect){14, 0, 64, 38};
                }
                char name[96];
                snprintf(name, sizeof(name), "points%s-%s-vp%u-%s-%u", how_names[how],
                         mode_names[mode], v, sprite ? "sprite" : "plain", shift);
                check_kind("soft", name);
                check_kind("gl", name);
            }
        }
    }
}

static void test_points_fixed_function(void **state)
{
    (void)state;
    run_mode(0, 0);
}

static void test_points_vs20_opts(void **state)
{
    (void)state;
    run_mode(1, 0);
}

static void test_points_vs30_psize(void **state)
{
    (void)state;
    run_mode(2, 0);
}

/* Pretransformed (POSITIONT) points: screen coordinates, the viewport
 * bounds the pixels. */
static void test_points_pretransformed(void **state)
{
    (void)state;
    run_mode(3, 0);
}

/* FILLMODE POINT: a triangle's corners outside the viewport are points
 * clipped as squares too (soft draws the corners of the triangle it
 * clipped, which the guard band leaves whole here). */
static void test_point_fill(void **state)
{
    (void)state;
    for (int mode = 0; mode < 3; mode++) {
        run_mode(mode, 1);
    }
}

/* A draw of a TRIANGLELIST quad and a POINTLIST range: the points through
 * the guard band, the quad as before (gl draws the two apart). */
static void test_points_mixed_draw(void **state)
{
    (void)state;
    for (int mode = 0; mode < 3; mode++) {
        run_mode(mode, 2);
    }
}

static uint64_t programs_made(scene *s)
{
    vgt_gl_counters c;
    assert_int_equal(vgt_backend_gl_counters(&s->be, &c), VGT_OK);
    return c.programs_compiled + c.shader_programs_linked;
}

/* The quad of test_points_mixed_draw and its points drawn alone after the
 * mixed draw (fixed function, vs_2_0): gl built no program for either, so
 * the mixed draw drew the quad with the program (and viewport) of a draw
 * of triangles, untouched by the points' guard band, as before it. */
static void mixed_then_alone(scene *s)
{
    draw_points(s); /* the mixed draw (g_l.how 2) */
    uint64_t made = programs_made(s);
    assert_true(made > 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    assert_int_equal(programs_made(s), made);
    vgt_error err = {0};
    assert_int_equal(scene_draw_rc(s, VGT_SVGA3D_PRIMITIVE_POINTLIST, g_l.n, 0, 0, 6, &err),
                     VGT_OK);
    assert_int_equal(programs_made(s), made);
}

static void test_points_mixed_program(void **state)
{
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        make_layout(&g_l, (vgt_backend_rect){10, 6, 40, 36}, false, 0);
        g_l.how = 2;
        g_l.quad[0] = 16.25f;
        g_l.quad[1] = 10.75f;
        g_l.quad[2] = 40.25f;
        g_l.quad[3] = 36.75f;
        scene s;
        scene_init(&s, "gl", W, H, VGT_SVGA3D_A8R8G8B8, 0);
        vgt_backend_surface *t = scene_checker(&s, TEX, TEX);
        s.st.stages[0].texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {TEX, TEX, 1}};
        s.st.stages[0].texture_faces = 1;
        s.st.stages[0].texture_mips = 1;
        s.st.viewport = g_l.vp;
        if (mode == 0) {
            mixed_then_alone(&s);
        } else {
            scene_with_vs(&s, vs20, mixed_then_alone);
        }
        scene_fini(&s);
    }
}

/* A viewport whose corner is INT32_MIN (the backend interface allows it;
 * the executor keeps x, y >= 0): the guard band must not move the GL
 * viewport's corner below it (a signed overflow, which UBSan reports), and
 * nothing lands on the target, which the viewport does not meet. */
static void test_points_viewport_int32_min(void **state)
{
    (void)state;
    scene s;
    scene_init(&s, "gl", W, H, VGT_SVGA3D_A8R8G8B8, 0);
    s.st.z_enable = false;
    scene_clear(&s, VGT_SVGA3D_CLEAR_COLOR, CLEAR, 1.0f, 0);
    s.st.viewport = (vgt_backend_rect){INT32_MIN, INT32_MIN, 64, 64};
    tvert v[1] = {{0, 0, 0.5f, 0, 0, -1, 0xffffffffu, 0.5f, 0.5f}};
    scene_tverts(&s, v, 1);
    s.st.point_size = 16.0f;
    vgt_error err = {0};
    assert_int_equal(scene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, 0, 0, 0, &err), VGT_OK);
    vgt_image im;
    scene_read(&s, &im);
    for (uint32_t i = 0; i < W * H; i++) {
        assert_int_equal(vgt_load_le32(im.pixels + 4 * i), CLEAR);
    }
    vgt_image_free(&im);
    scene_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_points_fixed_function),
        cmocka_unit_test(test_points_vs20_opts),
        cmocka_unit_test(test_points_vs30_psize),
        cmocka_unit_test(test_points_pretransformed),
        cmocka_unit_test(test_point_fill),
        cmocka_unit_test(test_points_mixed_draw),
        cmocka_unit_test(test_points_mixed_program),
        cmocka_unit_test(test_points_viewport_int32_min),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
