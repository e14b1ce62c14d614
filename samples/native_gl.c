/* native_gl.c - the native OpenGL path of the samples: a headless OpenGL
 * 3.3 core context through libepoxy (EGL on Mesa's surfaceless platform,
 * or the default display with a 1x1 pbuffer), an offscreen framebuffer of
 * the sample's size, and the unlit program the microbenchmarks draw with.
 *
 * The GL backend (replay/backends/gl) has its own context code inside the
 * backend; it exposes no "create a headless context" helper, so this is a
 * small second one (to be merged later). */
#include "native_gl.h"

#include <epoxy/egl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_gl.h"

#ifndef EGL_PLATFORM_SURFACELESS_MESA
#define EGL_PLATFORM_SURFACELESS_MESA 0x31DD
#endif

struct vgt_native_gl {
    EGLDisplay dpy;
    EGLContext ctx;
    EGLSurface surf; /* a 1x1 pbuffer, or EGL_NO_SURFACE (surfaceless) */
    GLuint fbo, color_rb, depth_rb, vao;
    uint32_t width, height;
    native_prog unlit;
    char renderer[128];
};

static bool has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && (p = strstr(p, word)) != NULL; p += n) {
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) {
            return true;
        }
    }
    return false;
}

static const char *gl_error_name(GLenum e)
{
    switch (e) {
    case GL_INVALID_ENUM:
        return "GL_INVALID_ENUM";
    case GL_INVALID_VALUE:
        return "GL_INVALID_VALUE";
    case GL_INVALID_OPERATION:
        return "GL_INVALID_OPERATION";
    case GL_INVALID_FRAMEBUFFER_OPERATION:
        return "GL_INVALID_FRAMEBUFFER_OPERATION";
    case GL_OUT_OF_MEMORY:
        return "GL_OUT_OF_MEMORY";
    default:
        return "GL error";
    }
}

vgt_status native_gl_check(const char *what, vgt_error *err)
{
    GLenum e = glGetError();
    if (e == GL_NO_ERROR) {
        return VGT_OK;
    }
    GLenum first = e;
    while (e != GL_NO_ERROR) {
        e = glGetError();
    }
    return vgt_error_set(err, first == GL_OUT_OF_MEMORY ? VGT_E_NOMEM : VGT_E_INVALID,
                         "native gl: %s: %s (0x%04x)", what, gl_error_name(first), first);
}

/* Gets a display: surfaceless when the client offers it, else the default. */
static EGLDisplay open_display(bool *surfaceless)
{
    const char *client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    *surfaceless = false;
    if (has_word(client, "EGL_MESA_platform_surfaceless") &&
        (has_word(client, "EGL_EXT_platform_base") || epoxy_egl_version(EGL_NO_DISPLAY) >= 15)) {
        EGLDisplay d =
            eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
        if (d != EGL_NO_DISPLAY && eglInitialize(d, NULL, NULL)) {
            *surfaceless = true;
            return d;
        }
    }
    EGLDisplay d = eglGetDisplay(EGL_DEFAULT_DISPLAY);
    if (d != EGL_NO_DISPLAY && eglInitialize(d, NULL, NULL)) {
        return d;
    }
    return EGL_NO_DISPLAY;
}

vgt_status vgt_native_gl_create(uint32_t width, uint32_t height, vgt_native_gl **out,
                                vgt_error *err)
{
    *out = NULL;
    if (width == 0 || height == 0 || width > 8192 || height > 8192) {
        return vgt_error_set(err, VGT_E_INVALID, "native gl: size %ux%u (expected 1..8192)", width,
                             height);
    }
    vgt_native_gl *gl = calloc(1, sizeof(*gl));
    if (!gl) {
        return vgt_error_set(err, VGT_E_NOMEM, "native gl: out of memory");
    }
    gl->width = width;
    gl->height = height;
    gl->surf = EGL_NO_SURFACE;
    bool surfaceless = false;
    gl->dpy = open_display(&surfaceless);
    if (gl->dpy == EGL_NO_DISPLAY) {
        free(gl);
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "native gl: no EGL display (neither Mesa's surfaceless platform nor "
                             "the default display initialises; is Mesa's libEGL installed?)");
    }
    if (!eglBindAPI(EGL_OPENGL_API)) {
        free(gl);
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "native gl: EGL has no desktop OpenGL API");
    }
    const EGLint cfg_attrs[] = {EGL_SURFACE_TYPE,
                                EGL_PBUFFER_BIT,
                                EGL_RENDERABLE_TYPE,
                                EGL_OPENGL_BIT,
                                EGL_RED_SIZE,
                                8,
                                EGL_GREEN_SIZE,
                                8,
                                EGL_BLUE_SIZE,
                                8,
                                EGL_NONE};
    EGLConfig cfg = NULL;
    EGLint ncfg = 0;
    if (!eglChooseConfig(gl->dpy, cfg_attrs, &cfg, 1, &ncfg) || ncfg < 1) {
        free(gl);
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "native gl: no EGL config with pbuffers and desktop OpenGL");
    }
    const EGLint ctx_attrs[] = {EGL_CONTEXT_MAJOR_VERSION,
                                3,
                                EGL_CONTEXT_MINOR_VERSION,
                                3,
                                EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                EGL_NONE};
    gl->ctx = eglCreateContext(gl->dpy, cfg, EGL_NO_CONTEXT, ctx_attrs);
    if (gl->ctx == EGL_NO_CONTEXT) {
        free(gl);
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "native gl: cannot create an OpenGL 3.3 core context (EGL error "
                             "0x%x)",
                             (unsigned)eglGetError());
    }
    bool no_surface = surfaceless || has_word(eglQueryString(gl->dpy, EGL_EXTENSIONS),
                                              "EGL_KHR_surfaceless_context");
    if (!no_surface) {
        const EGLint pb[] = {EGL_WIDTH, 1, EGL_HEIGHT, 1, EGL_NONE};
        gl->surf = eglCreatePbufferSurface(gl->dpy, cfg, pb);
    }
    bool current = eglMakeCurrent(gl->dpy, gl->surf, gl->surf, gl->ctx);
    vgt_backend_gl_context_changed(); /* a gl backend on this thread must ask EGL again */
    if (!current) {
        EGLint e = eglGetError();
        vgt_native_gl_destroy(gl);
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "native gl: eglMakeCurrent failed (0x%x)",
                             (unsigned)e);
    }
    snprintf(gl->renderer, sizeof(gl->renderer), "%s", (const char *)glGetString(GL_RENDERER));
    glGenRenderbuffers(1, &gl->color_rb);
    glBindRenderbuffer(GL_RENDERBUFFER, gl->color_rb);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, (GLsizei)width, (GLsizei)height);
    glGenRenderbuffers(1, &gl->depth_rb);
    glBindRenderbuffer(GL_RENDERBUFFER, gl->depth_rb);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH24_STENCIL8, (GLsizei)width, (GLsizei)height);
    glGenFramebuffers(1, &gl->fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, gl->fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, gl->color_rb);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER,
                              gl->depth_rb);
    GLenum fb = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glGenVertexArrays(1, &gl->vao);
    glBindVertexArray(gl->vao);
    glViewport(0, 0, (GLsizei)width, (GLsizei)height);
    vgt_status st = native_gl_check("framebuffer setup", err);
    if (st == VGT_OK && fb != GL_FRAMEBUFFER_COMPLETE) {
        st =
            vgt_error_set(err, VGT_E_UNSUPPORTED, "native gl: framebuffer incomplete (0x%04x)", fb);
    }
    if (st != VGT_OK) {
        vgt_native_gl_destroy(gl);
        return st;
    }
    *out = gl;
    return VGT_OK;
}

void vgt_native_gl_destroy(vgt_native_gl *gl)
{
    if (!gl) {
        return;
    }
    if (gl->ctx != EGL_NO_CONTEXT && eglMakeCurrent(gl->dpy, gl->surf, gl->surf, gl->ctx)) {
        if (gl->unlit.program) {
            glDeleteProgram(gl->unlit.program);
        }
        glDeleteVertexArrays(1, &gl->vao);
        glDeleteFramebuffers(1, &gl->fbo);
        glDeleteRenderbuffers(1, &gl->color_rb);
        glDeleteRenderbuffers(1, &gl->depth_rb);
        eglMakeCurrent(gl->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        vgt_backend_gl_context_changed();
    }
    if (gl->surf != EGL_NO_SURFACE) {
        eglDestroySurface(gl->dpy, gl->surf);
    }
    if (gl->ctx != EGL_NO_CONTEXT) {
        eglDestroyContext(gl->dpy, gl->ctx);
    }
    /* No eglTerminate: the display is shared by every context of the
     * process (the GL backend's, another native run's). */
    eglReleaseThread();
    free(gl);
}

bool vgt_native_gl_make_current(vgt_native_gl *gl)
{
    bool ok = eglMakeCurrent(gl->dpy, gl->surf, gl->surf, gl->ctx) == EGL_TRUE;
    vgt_backend_gl_context_changed();
    return ok;
}

const char *vgt_native_gl_renderer(const vgt_native_gl *gl)
{
    return gl->renderer;
}

vgt_status vgt_native_gl_read(vgt_native_gl *gl, vgt_image *out, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    vgt_status st = vgt_image_alloc(out, gl->width, gl->height, err);
    if (st != VGT_OK) {
        return st;
    }
    glBindFramebuffer(GL_READ_FRAMEBUFFER, gl->fbo);
    glPixelStorei(GL_PACK_ALIGNMENT, 4);
    glPixelStorei(GL_PACK_ROW_LENGTH, 0);
    /* GL's row 0 is the bottom: read each row into its top-down place. */
    for (uint32_t y = 0; y < gl->height; y++) {
        glReadPixels(0, (GLint)(gl->height - 1u - y), (GLsizei)gl->width, 1, GL_BGRA,
                     GL_UNSIGNED_INT_8_8_8_8_REV, out->pixels + (size_t)y * out->stride);
    }
    st = native_gl_check("glReadPixels", err);
    if (st != VGT_OK) {
        vgt_image_free(out);
    }
    return st;
}

/* ---- the unlit program ------------------------------------------------------ */

static const char *const unlit_vs = "#version 330 core\n"
                                    "layout(location = 0) in vec3 pos;\n"
                                    "layout(location = 1) in vec4 color;\n"
                                    "uniform mat4 mvp;\n"
                                    "out vec4 v_color;\n"
                                    "void main() {\n"
                                    "    gl_Position = mvp * vec4(pos, 1.0);\n"
                                    "    v_color = color;\n"
                                    "}\n";

static const char *const unlit_fs = "#version 330 core\n"
                                    "in vec4 v_color;\n"
                                    "out vec4 frag;\n"
                                    "void main() { frag = v_color; }\n";

static GLuint compile(GLenum type, const char *src)
{
    GLuint s = glCreateShader(type);
    glShaderSource(s, 1, &src, NULL);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[512];
        glGetShaderInfoLog(s, sizeof(log), NULL, log);
        fprintf(stderr, "native gl: shader does not compile: %s\n", log);
        glDeleteShader(s);
        return 0;
    }
    return s;
}

const native_prog *native_gl_unlit(vgt_native_gl *gl)
{
    if (gl->unlit.program) {
        return &gl->unlit;
    }
    GLuint vs = compile(GL_VERTEX_SHADER, unlit_vs);
    GLuint fs = compile(GL_FRAGMENT_SHADER, unlit_fs);
    if (!vs || !fs) {
        glDeleteShader(vs);
        glDeleteShader(fs);
        return NULL;
    }
    GLuint p = glCreateProgram();
    glAttachShader(p, vs);
    glAttachShader(p, fs);
    glLinkProgram(p);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(p, GL_LINK_STATUS, &ok);
    if (!ok) {
        glDeleteProgram(p);
        return NULL;
    }
    gl->unlit.program = p;
    gl->unlit.mvp = glGetUniformLocation(p, "mvp");
    return &gl->unlit;
}

void native_gl_set_mvp(vgt_native_gl *gl, const float m[16])
{
    static const float identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    /* A D3D row-vector matrix read column-major is its transpose, so
     * mvp * v in GLSL is v * M in Direct3D terms. */
    glUniformMatrix4fv(gl->unlit.mvp, 1, GL_FALSE, m ? m : identity);
}

void native_gl_vertex_layout(GLsizei stride)
{
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, stride, (const void *)0);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, GL_BGRA, GL_UNSIGNED_BYTE, GL_TRUE, stride, (const void *)12);
}
