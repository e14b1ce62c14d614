/* native_cube.c - the cube sample (samples/cube.c) rendered natively: the
 * same 8 cube_vertices and 36 cube_indices, the same world/view/projection matrices
 * (the same float arithmetic), the same clear color, depth test (LESS) and
 * back-face culling, through OpenGL in a headless context.  Used to check
 * that the virtualized cube on the gl backend shows the same picture.
 *
 * Direct3D's front faces are clockwise as the viewer sees them (y up),
 * which is clockwise in GL's window space too: glFrontFace(GL_CW).  GL's
 * row 0 is the bottom; reading the framebuffer back bottom-up gives D3D's
 * top-down picture.  The scene is cube_scene.c, shared with cube.c. */
#include "cube_scene.h"
#include "native_gl.h"

#include <string.h>

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
    cube_world_matrix(frame, world);
    cube_mat_identity(view);
    view[14] = 5.0f;
    cube_projection_matrix(width, height, proj);
    /* Direct3D 9 samples pixels at integer coordinates, GL at their
     * centres: move the geometry half a pixel right and down (in clip
     * space, scaled by w), as D3D9-on-GL translators do. */
    float half_pixel[16];
    cube_mat_identity(half_pixel);
    half_pixel[12] = 1.0f / (float)width;
    half_pixel[13] = -1.0f / (float)height;
    cube_mat_mul(mvp, world, view);
    cube_mat_mul(mvp, mvp, proj);
    cube_mat_mul(mvp, mvp, half_pixel);

    GLuint bufs[2];
    glGenBuffers(2, bufs);
    glBindBuffer(GL_ARRAY_BUFFER, bufs[0]);
    glBufferData(GL_ARRAY_BUFFER, sizeof(cube_vertices), cube_vertices, GL_STATIC_DRAW);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, bufs[1]);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, sizeof(cube_indices), cube_indices, GL_STATIC_DRAW);
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
