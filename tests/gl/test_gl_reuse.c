/* test_gl_reuse.c - the gl backend's reuse of a fixed-function draw's
 * program and vertex layout (gl_ff_reuse) through the executor, which
 * gives the state serials: draws that differ only in their matrices reuse
 * (counted), and every other change - a texture stage state, the vertex
 * declaration, a redefined vertex buffer, a draw with shaders in between -
 * draws what the new state says - and the backend's own record of its
 * current context, reset by vgt_backend_gl_context_changed.  Pixels read
 * back with SURFACE_DMA. */
#include <epoxy/egl.h>

#include "../exec3d/exec3d_test_util.h"
#include "gl_test_util.h"

#define CID  1u
#define RT   10u /* 64x64 X8R8G8B8 */
#define VB   12u /* 6 vertices: FLOAT3 position + D3DCOLOR */
#define SIZE 64u
#define GMR  0u

typedef struct vtx {
    float x, y, z;
    uint32_t color;
} vtx;

/* A quad of NDC half-width 0.25 centred on the origin, in `color`. */
static void put_quad(t3d *t, uint32_t color)
{
    const float a = 0.25f;
    vtx v[6] = {{-a, a, 0.5f, color},  {a, a, 0.5f, color}, {-a, -a, 0.5f, color},
                {-a, -a, 0.5f, color}, {a, a, 0.5f, color}, {a, -a, 0.5f, color}};
    memcpy(t->mem.gmr[GMR], v, sizeof(v));
    cmd_dma(t, GMR, 0, sizeof(v), VB, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, sizeof(v), 1, 1, 0, 0, 0);
    RUN(t, VGT_OK);
}

static void define_vb(t3d *t, uint32_t color)
{
    cmd_surface(t, VB, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER, 1, 6 * sizeof(vtx),
                1, 1);
    RUN(t, VGT_OK);
    put_quad(t, color);
}

static void world(t3d *t, float tx, float ty)
{
    cmd_world(t, CID, tx, ty);
    RUN(t, VGT_OK);
}

static void rs(t3d *t, uint32_t name, uint32_t value)
{
    cmd_rs(t, CID, name, value);
    RUN(t, VGT_OK);
}

static void ts(t3d *t, uint32_t name, uint32_t value)
{
    cmd_tex(t, CID, 0, name, value);
    RUN(t, VGT_OK);
}

/* Two triangles of the quad; with_color: the D3DCOLOR element is declared. */
static void draw(t3d *t, bool with_color)
{
    c_begin(t, VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    c_u32(t, CID);
    c_u32(t, with_color ? 2 : 1);
    c_u32(t, 1);
    uint32_t pos[9] = {VGT_SVGA3D_DECLTYPE_FLOAT3,
                       VGT_SVGA3D_DECLMETHOD_DEFAULT,
                       VGT_SVGA3D_DECLUSAGE_POSITION,
                       0,
                       VB,
                       0,
                       sizeof(vtx),
                       0,
                       0};
    uint32_t col[9] = {VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                       VGT_SVGA3D_DECLMETHOD_DEFAULT,
                       VGT_SVGA3D_DECLUSAGE_COLOR,
                       0,
                       VB,
                       12,
                       sizeof(vtx),
                       0,
                       0};
    c_mem(t, pos, sizeof(pos));
    if (with_color) {
        c_mem(t, col, sizeof(col));
    }
    uint32_t range[7] = {VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, VGT_SVGA3D_INVALID_ID, 0, 0, 0, 0};
    c_mem(t, range, sizeof(range));
    RUN(t, VGT_OK);
}

/* The pixel at NDC (x, y) of the render target (0x00RRGGBB). */
static uint32_t pixel(t3d *t, float x, float y)
{
    uint32_t px = (uint32_t)((x + 1.0f) * 0.5f * SIZE), py = (uint32_t)((1.0f - y) * 0.5f * SIZE);
    const uint32_t off = 65536;
    cmd_dma(t, GMR, off, SIZE * 4, RT, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 0, 0, 0, SIZE, SIZE, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    uint32_t v;
    memcpy(&v, t->mem.gmr[GMR] + off + (py * SIZE + px) * 4u, 4);
    return v & 0xFFFFFFu;
}

static uint64_t reuses(t3d *t)
{
    vgt_gl_counters n;
    assert_int_equal(vgt_backend_gl_counters(vgt_executor_backend(t->ex), &n), VGT_OK);
    return n.ff_state_reuses;
}

static void test_reuse(void **state)
{
    (void)state;
    vgt_backend probe;
    scene_backend_gl(&probe); /* skips without EGL */
    probe.ops->destroy(probe.self);
    t3d *t = t3d_new_on(false, VGT_BACKEND_GL);
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, CID);
    RUN(t, VGT_OK);
    cmd_surface(t, RT, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, VGT_SVGA3D_X8R8G8B8, 1, SIZE, SIZE, 1);
    RUN(t, VGT_OK);
    cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR0, RT);
    RUN(t, VGT_OK);
    define_vb(t, 0xFFFF0000u); /* red */
    rs(t, VGT_SVGA3D_RS_LIGHTINGENABLE, 0);
    rs(t, VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE);
    rs(t, VGT_SVGA3D_RS_ZENABLE, 0);
    rs(t, VGT_SVGA3D_RS_TEXTUREFACTOR, 0xFF00FF00u); /* green */
    ts(t, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_SELECTARG1);
    ts(t, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_DIFFUSE);
    ts(t, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_SELECTARG1);
    ts(t, VGT_SVGA3D_TS_ALPHAARG1, VGT_SVGA3D_TA_DIFFUSE);

    /* only the world matrix changes: the second and third draws reuse */
    world(t, -0.5f, 0.5f);
    draw(t, true);
    uint64_t r0 = reuses(t);
    world(t, 0.5f, 0.5f);
    draw(t, true);
    world(t, 0.5f, -0.5f);
    draw(t, true);
    assert_int_equal(reuses(t), r0 + 2);
    assert_int_equal(pixel(t, -0.5f, 0.5f), 0xFF0000u);
    assert_int_equal(pixel(t, 0.5f, 0.5f), 0xFF0000u);
    assert_int_equal(pixel(t, 0.5f, -0.5f), 0xFF0000u);
    assert_int_equal(pixel(t, -0.5f, -0.5f), 0x000000u);

    /* a CLEAR of one rect in between (the backend scissors it): the next
     * draw reuses the state but sets GL's up again */
    c_begin(t, VGT_SVGA3D_CMD_CLEAR);
    c_u32(t, CID);
    c_u32(t, VGT_SVGA3D_CLEAR_COLOR);
    c_u32(t, 0xFF000000u);
    c_f32(t, 1.0f);
    c_u32(t, 0);
    uint32_t rect[4] = {0, 0, SIZE / 2, SIZE / 2}; /* the top-left quarter */
    c_mem(t, rect, sizeof(rect));
    RUN(t, VGT_OK);
    assert_int_equal(pixel(t, -0.5f, 0.5f), 0x000000u);
    uint64_t rc0 = reuses(t);
    world(t, 0.0f, 0.0f); /* the quad straddles all four quarters */
    draw(t, true);
    assert_int_equal(reuses(t), rc0 + 1);
    assert_int_equal(pixel(t, -0.1f, 0.1f), 0xFF0000u);
    assert_int_equal(pixel(t, 0.1f, -0.1f), 0xFF0000u);

    /* a texture stage state: the constant (the texture factor, green), not reused */
    uint64_t r1 = reuses(t);
    ts(t, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_CONSTANT);
    world(t, -0.5f, -0.5f);
    draw(t, true);
    assert_int_equal(reuses(t), r1);
    assert_int_equal(pixel(t, -0.5f, -0.5f), 0x00FF00u);

    /* the declaration without the color element: the diffuse color is then
     * opaque white, whatever the last draw's layout was */
    ts(t, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_DIFFUSE);
    world(t, 0.0f, 0.0f);
    draw(t, true);
    assert_int_equal(pixel(t, 0.0f, 0.0f), 0xFF0000u);
    uint64_t r2 = reuses(t);
    world(t, -0.5f, 0.5f);
    draw(t, false);
    assert_int_equal(reuses(t), r2);
    assert_int_equal(pixel(t, -0.5f, 0.5f), 0xFFFFFFu);

    /* the vertex buffer destroyed and defined again with blue vertices */
    cmd_cid(t, VGT_SVGA3D_CMD_SURFACE_DESTROY, VB);
    RUN(t, VGT_OK);
    define_vb(t, 0xFF0000FFu);
    world(t, 0.5f, 0.5f);
    draw(t, true);
    assert_int_equal(reuses(t), r2);
    assert_int_equal(pixel(t, 0.5f, 0.5f), 0x0000FFu);
    world(t, 0.5f, -0.5f);
    draw(t, true);
    assert_int_equal(reuses(t), r2 + 1);
    assert_int_equal(pixel(t, 0.5f, -0.5f), 0x0000FFu);

    /* other code releases the thread's context and says so: the backend
     * makes its own current again (it does not ask EGL otherwise) */
    EGLDisplay dpy = eglGetCurrentDisplay();
    assert_true(dpy != EGL_NO_DISPLAY);
    assert_true(eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT));
    vgt_backend_gl_context_changed();
    world(t, -0.5f, -0.5f);
    draw(t, true);
    assert_int_equal(pixel(t, -0.5f, -0.5f), 0x0000FFu);
    t3d_free(t);
}

int main(void)
{
    pin_mesa_driver();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
