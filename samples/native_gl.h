/* native_gl.h - private to samples/: the native OpenGL path's shared
 * program (unlit, per-vertex D3DCOLOR) and helpers used by the
 * microbenchmarks and the native cube.  The context itself is
 * vgt_native_gl (vgt_samples.h). */
#ifndef VGT_SAMPLES_NATIVE_GL_H
#define VGT_SAMPLES_NATIVE_GL_H

#include <epoxy/gl.h>

#include "vgt_samples.h"

/* The unlit program: attribute 0 is a float3 position, attribute 1 a
 * D3DCOLOR (GL_BGRA, normalized bytes); uniform "mvp" is the Direct3D
 * world*view*projection matrix (16 floats, row vectors) used as is. */
typedef struct native_prog {
    GLuint program;
    GLint mvp;
} native_prog;

/* The context's unlit program (compiled once per context). */
const native_prog *native_gl_unlit(vgt_native_gl *gl);
/* Sets the D3D-layout matrix (NULL: identity) on the unlit program (bound). */
void native_gl_set_mvp(vgt_native_gl *gl, const float m[16]);
/* Binds attributes 0 (float3 position at 0) and 1 (D3DCOLOR at 12) of the
 * bound GL_ARRAY_BUFFER with `stride`. */
void native_gl_vertex_layout(GLsizei stride);
/* Fails with the first glGetError of the context, naming `what`. */
vgt_status native_gl_check(const char *what, vgt_error *err);

#endif /* VGT_SAMPLES_NATIVE_GL_H */
