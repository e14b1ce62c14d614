/* test_hostile_gl.c - the gl backend under GL errors, through the executor
 * (the 3D tests' fake guest memory, hostile3d_util.h): a surface definition
 * GL refuses and a GL error raised in the middle of a draw (real GL errors,
 * raised through the backend's test hook VGT_GL_INJECT_ERROR, docs/gl.md).  Each must
 * come back as an error status whose message names the operation and GL's
 * error, the next command must run, and the backend must still render the
 * right pixels (CLEAR + PRESENT, composed).  Skipped without EGL (as
 * tests/gl); Mesa's own allocations kept until exit are suppressed by
 * tests/gl/lsan.supp. */
#include "hostile3d_util.h"

#include "gl_test_util.h" /* pin_mesa_driver */
#include "vgt_gl.h"

#define CID 1u
#define RT  10u /* 16x16 X8R8G8B8 */
#define ZB  11u /* 16x16 Z_D24S8 */
#define VB  12u /* 3 FLOAT3 positions */
#define BIG 20u /* the surface GL refuses */

static const h3d_backend gl_backend = {VGT_BACKEND_GL, false, "gl"};

static void skip_without_gl(void)
{
    vgt_error err = {0};
    if (!vgt_backend_gl_available(&err)) {
        if (strstr(err.message, "no EGL display")) {
            print_message("SKIP: %s\n", err.message);
            skip();
        }
        fail_msg("gl backend unavailable: %s", err.message);
    }
}

static void define(t3d *t, uint32_t sid, uint32_t flags, uint32_t format, uint32_t w, uint32_t h)
{
    cmd_surface(t, sid, flags, format, 1, w, h, 1);
    RUN(t, VGT_OK);
}

/* A context drawing into RT (+ ZB), a triangle over the centre in VB, and a
 * 16x16 legacy mode to present into. */
static t3d *gl_scene(void)
{
    t3d *t = h3d_new(&gl_backend);
    pin_mesa_driver();
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, CID);
    RUN(t, VGT_OK);
    define(t, RT, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, VGT_SVGA3D_X8R8G8B8, 16, 16);
    define(t, ZB, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL, VGT_SVGA3D_Z_D24S8, 16, 16);
    define(t, VB, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER, 36, 1);
    /* clockwise on screen: Direct3D's front face under the default CULL_CCW */
    const float v[9] = {-0.5f, -0.5f, 0.5f, 0.0f, 0.5f, 0.5f, 0.5f, -0.5f, 0.5f};
    memcpy(t->mem.gmr[1], v, sizeof(v));
    cmd_dma(t, 1, 0, 0, VB, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 36, 1, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR0, RT);
    RUN(t, VGT_OK);
    cmd_rt(t, CID, VGT_SVGA3D_RT_DEPTH, ZB);
    RUN(t, VGT_OK);
    vgt_display_mode m = {.enabled = true,
                          .width = 16,
                          .height = 16,
                          .bits_per_pixel = 32,
                          .bytes_per_line = 64,
                          .fb_offset = 0};
    assert_int_equal(vgt_executor_set_mode(t->ex, &m, &t->err), VGT_OK);
    return t;
}

static void clear(t3d *t, uint32_t color)
{
    c_begin(t, VGT_SVGA3D_CMD_CLEAR);
    c_u32(t, CID);
    c_u32(t, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH);
    c_u32(t, color);
    c_f32(t, 1.0f);
    c_u32(t, 0);
    RUN(t, VGT_OK);
}

static void draw(t3d *t)
{
    cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
}

/* PRESENTs RT to the screen and returns the composed pixel (x, y). */
static uint32_t present_pixel(t3d *t, uint32_t x, uint32_t y)
{
    c_begin(t, VGT_SVGA3D_CMD_PRESENT);
    c_u32(t, RT);
    uint32_t rect[6] = {0, 0, 16, 16, 0, 0};
    c_mem(t, rect, sizeof(rect));
    RUN(t, VGT_OK);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(t->ex, &img, &t->err), VGT_OK);
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + (size_t)x * 4u);
}

static void assert_message_has(const t3d *t, const char *a, const char *b)
{
    if (!strstr(t->err.message, a) || !strstr(t->err.message, b)) {
        fail_msg("the message should name '%s' and '%s': %s", a, b, t->err.message);
    }
}

static uint64_t gl_errors(t3d *t)
{
    vgt_gl_counters n;
    assert_int_equal(vgt_backend_gl_counters(vgt_executor_backend(t->ex), &n), VGT_OK);
    return n.gl_errors;
}

/* A surface wider than the backend's limits (GL_MAX_TEXTURE_SIZE, at most
 * 16384, published in the caps) is refused by the executor before GL sees
 * it; a definition GL itself refuses (a GL error injected into the
 * backend's SURFACE_DEFINE: VGT_GL_INJECT_ERROR) fails naming
 * SURFACE_DEFINE and GL's error, the id stays undefined, and the backend
 * renders on. */
static void test_gl_refuses_a_surface(void **state)
{
    (void)state;
    skip_without_gl();
    /* the 4th SURFACE_DEFINE: after RT, ZB and VB */
    setenv("VGT_GL_INJECT_ERROR", "SURFACE_DEFINE:4", 1);
    t3d *t = gl_scene();
    unsetenv("VGT_GL_INJECT_ERROR");
    clear(t, 0xFF0000FFu);
    assert_int_equal(present_pixel(t, 8, 8), 0xFF0000FFu);
    cmd_surface(t, BIG, VGT_SVGA3D_SURFACE_HINT_TEXTURE, VGT_SVGA3D_A8R8G8B8, 1, 65536, 1, 1);
    RUN(t, VGT_E_RANGE);
    assert_message_has(t, "SURFACE_DEFINE", "limits");
    uint64_t errors = gl_errors(t);
    cmd_surface(t, BIG, VGT_SVGA3D_SURFACE_HINT_TEXTURE, VGT_SVGA3D_A8R8G8B8, 1, 64, 64, 1);
    vgt_status st = t3d_run(t);
    print_message("refused define: %s: %s\n", vgt_status_name(st), t->err.message);
    assert_int_equal(st, VGT_E_INVALID);
    assert_message_has(t, "SURFACE_DEFINE", "GL_INVALID_ENUM");
    assert_int_equal(gl_errors(t), errors + 1);
    /* the id was not defined */
    cmd_dma(t, 1, 0, 0, BIG, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 4, 1, 1, 0, 0, 0);
    RUN(t, VGT_E_NOTFOUND);
    /* the next commands run and render the right pixels */
    clear(t, 0xFF00FF00u);
    assert_int_equal(present_pixel(t, 8, 8), 0xFF00FF00u);
    assert_int_equal(present_pixel(t, 0, 0), 0xFF00FF00u);
    /* and the same definition again works, uploads and reads back */
    define(t, BIG, VGT_SVGA3D_SURFACE_HINT_TEXTURE, VGT_SVGA3D_A8R8G8B8, 64, 64);
    for (uint32_t i = 0; i < 64 * 64; i++) {
        vgt_store_le32(t->mem.gmr[0] + i * 4u, 0x01020304u * i);
    }
    cmd_dma(t, 0, 0, 256, BIG, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 64, 64, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    cmd_dma(t, 2, 0, 256, BIG, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 0, 0, 0, 64, 64, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    assert_memory_equal(t->mem.gmr[2], t->mem.gmr[0], 64u * 64u * 4u);
    t3d_free(t);
}

/* A GL error raised in the middle of DRAW_PRIMITIVES (the first one; the
 * draw's own GL calls run with it pending): the draw fails naming
 * DRAW_PRIMITIVES and GL_INVALID_ENUM; the next CLEAR, PRESENT and DRAW run
 * and give the right pixels. */
static void test_gl_error_in_a_draw(void **state)
{
    (void)state;
    skip_without_gl();
    setenv("VGT_GL_INJECT_ERROR", "DRAW_PRIMITIVES:1", 1);
    t3d *t = gl_scene();
    unsetenv("VGT_GL_INJECT_ERROR");
    clear(t, 0xFFFF0000u);
    draw(t);
    vgt_status st = t3d_run(t);
    print_message("injected draw error: %s: %s\n", vgt_status_name(st), t->err.message);
    assert_int_equal(st, VGT_E_INVALID);
    assert_message_has(t, "DRAW_PRIMITIVES", "GL_INVALID_ENUM");
    /* the backend goes on: the clear color everywhere */
    clear(t, 0xFF0000FFu);
    assert_int_equal(present_pixel(t, 8, 8), 0xFF0000FFu);
    assert_int_equal(present_pixel(t, 15, 15), 0xFF0000FFu);
    /* the same draw again succeeds (the state shadow was forgotten and is
     * sent again): the centre is covered, the corner is not */
    draw(t);
    RUN(t, VGT_OK);
    assert_int_not_equal(present_pixel(t, 8, 8), 0xFF0000FFu);
    assert_int_equal(present_pixel(t, 0, 0), 0xFF0000FFu);
    t3d_free(t);
}

/* The same draw on a backend without injection draws the same pixels as
 * the draw after the injected error (the failed draw left nothing behind
 * that changes the next one). */
static void test_gl_draw_after_error_matches_clean_draw(void **state)
{
    (void)state;
    skip_without_gl();
    uint32_t got[2][16 * 16];
    for (int injected = 0; injected < 2; injected++) {
        if (injected) {
            setenv("VGT_GL_INJECT_ERROR", "DRAW_PRIMITIVES", 1);
        }
        t3d *t = gl_scene();
        unsetenv("VGT_GL_INJECT_ERROR");
        clear(t, 0xFF203040u);
        if (injected) {
            draw(t);
            assert_int_equal(t3d_run(t), VGT_E_INVALID);
            clear(t, 0xFF203040u);
        }
        draw(t);
        RUN(t, VGT_OK);
        for (uint32_t i = 0; i < 16 * 16; i++) {
            got[injected][i] = present_pixel(t, i % 16u, i / 16u);
        }
        t3d_free(t);
    }
    assert_memory_equal(got[0], got[1], sizeof(got[0]));
}

/* VB's triangle drawn `instances` times (DRAW_PRIMITIVES with a divisor:
 * INDEXED_DATA | instances on its one declaration). */
static void draw_instances(t3d *t, uint32_t instances)
{
    c_begin(t, VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    c_u32(t, CID);
    c_u32(t, 1);
    c_u32(t, 1);
    const uint32_t decl[9] = {
        VGT_SVGA3D_DECLTYPE_FLOAT3, 0, VGT_SVGA3D_DECLUSAGE_POSITION, 0, VB, 0, 12, 0, 0};
    c_mem(t, decl, sizeof(decl));
    const uint32_t range[7] = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0, 0, 0};
    c_mem(t, range, sizeof(range));
    c_u32(t, VGT_SVGA3D_DIVISOR_INDEXED_DATA | instances);
}

/* A hostile instance count: gl allows 2^24 primitives a draw (its caps),
 * instances included, as the CPU rasterizer does, so 2^30 - 1 instances of
 * a triangle are refused before GL sees them (llvmpipe would be busy for
 * hours), and the backend renders on; 2 instances are drawn. */
static void test_gl_instances_capped(void **state)
{
    (void)state;
    skip_without_gl();
    t3d *t = gl_scene();
    clear(t, 0xFF0000FFu);
    draw_instances(t, 0x3FFFFFFFu);
    RUN(t, VGT_E_RANGE);
    assert_message_has(t, "1073741823 instances of 1 primitives", "exceed the 16777216 primitives");
    assert_int_equal(gl_errors(t), 0);
    assert_int_equal(present_pixel(t, 8, 8), 0xFF0000FFu);
    draw_instances(t, 2);
    RUN(t, VGT_OK);
    assert_int_not_equal(present_pixel(t, 8, 8), 0xFF0000FFu);
    assert_int_equal(present_pixel(t, 0, 0), 0xFF0000FFu);
    t3d_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gl_refuses_a_surface),
        cmocka_unit_test(test_gl_error_in_a_draw),
        cmocka_unit_test(test_gl_draw_after_error_matches_clean_draw),
        cmocka_unit_test(test_gl_instances_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
