/* native_cube.c - the cube sample (samples/cube.c) rendered natively: the
 * same 8 vertices and 36 indices, the same world/view/projection matrices
 * (the same float arithmetic), the same clear color, depth test (LESS) and
 * back-face culling, through OpenGL in a headless context.  Used to check
 * that the virtualized cube on the gl backend shows the same picture.
 *
 * Direct3D's front faces are clockwise as the viewer sees them (y up),
 * which is clockwise in GL's window space too: glFrontFace(GL_CW).  GL's
 * row 0 is the bottom; reading the framebuffer back bottom-up gives D3D's
 * top-down picture.  The data below duplicates cube.c's (owned by another file). */
#include "native_gl.h"

#include <string.h>

#define FRAMES_PER_TURN 120u

typedef struct cube_vertex {
    float x, y, z;
    uint32_t color;
} cube_vertex;

static const cube_vertex vertices[8] = {
    {-1, -1, -1, 0xFF000000u}, {1, -1, -1, 0xFFFF0000u}, {1, 1, -1, 0xFFFFFF00u},
    {-1, 1, -1, 0xFF00FF00u},  {-1, -1, 1, 0xFF0000FFu}, {1, -1, 1, 0xFFFF00FFu},
    {1, 1, 1, 0xFFFFFFFFu},    {-1, 1, 1, 0xFF00FFFFu},
};

static const uint16_t indices[36] = {
    0, 3, 2, 0, 2, 1, 4, 5, 6, 4, 6, 7, 0, 4, 7, 0, 7, 3,
    1, 2, 6, 1, 6, 5, 0, 1, 5, 0, 5, 4, 3, 7, 6, 3, 6, 2,
};

/* As cube.c: sin(2*pi*k/FRAMES_PER_TURN) by a Taylor series. */
static float turn_sin(uint32_t k)
{
    const float pi = 3.14159265358979f;
    k %= FRAMES_PER_TURN;
    float x = 2.0f * pi * (float)k / (float)FRAMES_PER_TURN;
    if (x > pi) {
        x -= 2.0f * pi;
    }
    float x2 = x * x, term = x, sum = x;
    for (int n = 1; n < 10; n++) {
        term = -term * x2 / (float)((2 * n) * (2 * n + 1));
        sum += term;
    }
    return sum;
}

static float turn_cos(uint32_t k)
{
    return turn_sin(k + FRAMES_PER_TURN / 4u);
}

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

static void mat_identity(float m[16])
{
    memset(m, 0, 16 * sizeof(float));
    m[0] = m[5] = m[10] = m[15] = 1.0f;
}

static void world_matrix(uint32_t f, float m[16])
{
    float ry[16], rx[16];
    mat_identity(ry);
    mat_identity(rx);
    float sy = turn_sin(f), cy = turn_cos(f);
    float sx = turn_sin(f / 2u), cx = turn_cos(f / 2u);
    ry[0] = cy;
    ry[2] = -sy;
    ry[8] = sy;
    ry[10] = cy;
    rx[5] = cx;
    rx[6] = sx;
    rx[9] = -sx;
    rx[10] = cx;
    mat_mul(m, ry, rx);
}

static void projection_matrix(uint32_t w, uint32_t h, float m[16])
{
    const float zn = 1.0f, zf = 10.0f, yscale = 1.7320508f;
    memset(m, 0, 16 * sizeof(float));
    m[0] = yscale * (float)h / (float)w;
    m[5] = yscale;
    m[10] = zf / (zf - zn);
    m[11] = 1.0f;
    m[14] = -zn * zf / (zf - zn);
}

vgt_status vgt_native_cube_render(uint32_t width, uint32_t height, uint32_t frame, vgt_image *out,
                                  vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    vgt_native_gl *gl = NULL;
    vgt_status st = vgt_native_gl_create(width, height, &gl, err);
    if (st != VGT_OK) {
        return st;
    }
    const native_prog *prog = native_gl_unlit(gl);
    if (!prog) {
        vgt_native_gl_destroy(gl);
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "native gl: the unlit program does not build");
    }
    float world[16], view[16], proj[16], mvp[16];
    world_matrix(frame, world);
    mat_identity(view);
    view[14] = 5.0f;
    projection_matrix(width, height, proj);
    /* Direct3D 9 samples pixels at integer coordinates, GL at their
     * centres: move the geometry half a pixel right and down (in clip
     * space, scaled by w), as D3D9-on-GL translators do. */
    float half_pixel[16];
    mat_identity(half_pixel);
    half_pixel[12] = 1.0f / (float)width;
    half_pixel[13] = -1.0f / (float)height;
    mat_mul(mvp, world, view);
    mat_mul(mvp, mvp, proj);
    mat_mul(mvp, mvp, half_pixel);

    GLuint bufs[2];
    glGenBuffers(2, bufs);
    glBindBuffer(GL_ARRAY_BUFFER, bufs[0]);
    glBufferData(GL_ARRAY_BUFFER, sizeof(vertices), vertices, GL_STATIC_DRAW);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, bufs[1]);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, sizeof(indices), indices, GL_STATIC_DRAW);
    native_gl_vertex_layout(sizeof(cube_vertex));
    glUseProgram(prog->program);
    native_gl_set_mvp(gl, mvp);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glDepthMask(GL_TRUE);
    glEnable(GL_CULL_FACE);
    glCullFace(GL_BACK);
    glFrontFace(GL_CW);
    glDisable(GL_BLEND);
    glClearColor(0x20 / 255.0f, 0x30 / 255.0f, 0x40 / 255.0f, 1.0f);
    glClearDepth(1.0);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    glDrawElements(GL_TRIANGLES, 36, GL_UNSIGNED_SHORT, (const void *)0);
    glFinish();
    st = native_gl_check("cube", err);
    if (st == VGT_OK) {
        st = vgt_native_gl_read(gl, out, err);
    }
    glDeleteBuffers(2, bufs);
    vgt_native_gl_destroy(gl);
    return st;
}
