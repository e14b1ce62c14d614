/* gl_context.c - the EGL display and OpenGL context (surfaceless, pbuffer
 * or X11 window), feature detection, and GL error capture: a KHR_debug
 * callback collects the first error of an operation and glGetError drains
 * what it did not report, so every error comes back as a VGT_E_* status
 * naming the operation that caused it. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef VGT_GL_HAVE_X11
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#endif

#include "gl_internal.h"

#ifndef EGL_PLATFORM_SURFACELESS_MESA
#define EGL_PLATFORM_SURFACELESS_MESA 0x31DD
#endif
#ifndef EGL_PLATFORM_X11_KHR
#define EGL_PLATFORM_X11_KHR 0x31D5
#endif

static const char *egl_error_name(EGLint e)
{
    switch (e) {
    case EGL_SUCCESS:
        return "EGL_SUCCESS";
    case EGL_NOT_INITIALIZED:
        return "EGL_NOT_INITIALIZED";
    case EGL_BAD_ACCESS:
        return "EGL_BAD_ACCESS (current on another thread)";
    case EGL_BAD_ALLOC:
        return "EGL_BAD_ALLOC";
    case EGL_BAD_ATTRIBUTE:
        return "EGL_BAD_ATTRIBUTE";
    case EGL_BAD_CONFIG:
        return "EGL_BAD_CONFIG";
    case EGL_BAD_CONTEXT:
        return "EGL_BAD_CONTEXT";
    case EGL_BAD_DISPLAY:
        return "EGL_BAD_DISPLAY";
    case EGL_BAD_MATCH:
        return "EGL_BAD_MATCH";
    case EGL_BAD_NATIVE_WINDOW:
        return "EGL_BAD_NATIVE_WINDOW";
    case EGL_BAD_SURFACE:
        return "EGL_BAD_SURFACE";
    default:
        return "EGL error";
    }
}

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

/* ---- KHR_debug ------------------------------------------------------------ */

static void GLAPIENTRY debug_cb(GLenum source, GLenum type, GLuint id, GLenum severity,
                                GLsizei length, const GLchar *message, const void *user)
{
    gl_backend *b = (gl_backend *)user;
    (void)source;
    (void)id;
    (void)length;
    bool error =
        type == GL_DEBUG_TYPE_ERROR || (b->opt.debug && type == GL_DEBUG_TYPE_UNDEFINED_BEHAVIOR);
    if (!error) {
        if (b->opt.debug && severity != GL_DEBUG_SEVERITY_NOTIFICATION) {
            fprintf(stderr, "vgt gl: %s: %s\n", b->op ? b->op : "-", message);
        }
        return;
    }
    if (!b->debug_error) {
        b->debug_error = true;
        b->debug_type = type;
        snprintf(b->debug_text, sizeof(b->debug_text), "%s", message ? message : "?");
    }
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

/* The backend (by its id) whose context this thread made current last.
 * Asking EGL instead costs a system call per backend operation (libglvnd's
 * eglGetCurrentContext checks for a fork with getpid: 10-25% of a small
 * draw's CPU time here).  Ids are never reused, so a backend destroyed on
 * another thread cannot be mistaken for a new one at the same address. */
static _Thread_local uint64_t tls_current_id;
static atomic_uint_fast64_t next_backend_id = 1;

uint64_t gl_new_backend_id(void)
{
    return (uint64_t)atomic_fetch_add(&next_backend_id, 1);
}

bool gl_make_current(gl_backend *b)
{
    b->gl_seq++;
    if (tls_current_id == b->id) {
        return true;
    }
    if (eglGetCurrentContext() == b->ctx ||
        eglMakeCurrent(b->dpy, b->surf, b->surf, b->ctx) == EGL_TRUE) {
        tls_current_id = b->id;
        return true;
    }
    return false;
}

void gl_forget_current(void)
{
    tls_current_id = 0;
}

void gl_release_current(gl_backend *b)
{
    eglMakeCurrent(b->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    tls_current_id = 0;
}

vgt_status gl_op_begin(gl_backend *b, const char *op, vgt_error *err)
{
    b->op = op;
    if (!gl_make_current(b)) {
        b->op = NULL;
        return vgt_error_set(err, VGT_E_STATE,
                             "gl backend: %s: cannot make the GL context current on this thread "
                             "(%s): is another thread using the backend?",
                             op, egl_error_name(eglGetError()));
    }
    if (b->opt.debug) {
        while (glGetError() != GL_NO_ERROR) {
        }
    }
    b->debug_error = false;
    if (b->inject_op[0] && strcmp(op, b->inject_op) == 0 && ++b->inject_seen == b->inject_nth) {
        /* A real error through the real path (KHR_debug, glGetError): the
         * operation's own GL calls then run with it pending. */
        glEnable(GL_NONE); /* GL_INVALID_ENUM */
    }
    return VGT_OK;
}

vgt_status gl_op_end(gl_backend *b, vgt_status rc, vgt_error *err, const char *what_fmt, ...)
{
    GLenum e = glGetError();
    GLenum first = e;
    while (e != GL_NO_ERROR) {
        e = glGetError();
    }
    if (first == GL_NO_ERROR && !b->debug_error) {
        b->op = NULL;
        return rc;
    }
    b->n.gl_errors++;
    char what[160];
    va_list ap;
    va_start(ap, what_fmt);
    vsnprintf(what, sizeof(what), what_fmt, ap);
    va_end(ap);
    vgt_status code = first == GL_OUT_OF_MEMORY ? VGT_E_NOMEM : VGT_E_INVALID;
    if (rc == VGT_OK) {
        vgt_error_set(err, code, "gl backend: %s (%s): %s%s%s", b->op ? b->op : "operation", what,
                      first != GL_NO_ERROR ? gl_error_name(first) : "",
                      first != GL_NO_ERROR && b->debug_error ? ": " : "",
                      b->debug_error ? b->debug_text : "");
        rc = code;
    }
    b->debug_error = false;
    b->op = NULL;
    return rc;
}

uint8_t *gl_scratch(gl_backend *b, size_t n)
{
    if (n > b->scratch_cap) {
        size_t cap = b->scratch_cap ? b->scratch_cap : 65536;
        while (cap < n) {
            cap *= 2;
        }
        uint8_t *p = realloc(b->scratch, cap);
        if (!p) {
            return NULL;
        }
        b->scratch = p;
        b->scratch_cap = cap;
    }
    return b->scratch;
}

/* ---- context ---------------------------------------------------------------- */

static EGLContext make_context(gl_backend *b, EGLConfig cfg, bool robust)
{
    bool robust_ext =
        has_word(eglQueryString(b->dpy, EGL_EXTENSIONS), "EGL_EXT_create_context_robustness");
    if (robust && !robust_ext) {
        return EGL_NO_CONTEXT;
    }
    EGLint a[16];
    int n = 0;
    a[n++] = EGL_CONTEXT_MAJOR_VERSION;
    a[n++] = 3;
    a[n++] = EGL_CONTEXT_MINOR_VERSION;
    a[n++] = 3;
    a[n++] = EGL_CONTEXT_OPENGL_PROFILE_MASK;
    a[n++] = EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT;
    if (b->opt.debug) {
        a[n++] = EGL_CONTEXT_OPENGL_DEBUG;
        a[n++] = EGL_TRUE;
    }
    if (robust) {
        a[n++] = EGL_CONTEXT_OPENGL_ROBUST_ACCESS_EXT;
        a[n++] = EGL_TRUE;
    }
    a[n++] = EGL_NONE;
    return eglCreateContext(b->dpy, cfg, EGL_NO_CONTEXT, a);
}

static vgt_status open_window(gl_backend *b, vgt_error *err)
{
#ifdef VGT_GL_HAVE_X11
    const char *name = getenv("DISPLAY");
    if (!name || !*name) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: --window needs an X11 display, and DISPLAY is not set "
                             "(run without --window for headless rendering)");
    }
    Display *x = XOpenDisplay(NULL);
    if (!x) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: cannot open X11 display '%s' for --window", name);
    }
    b->xdpy = x;
    b->win_w = b->opt.window_width ? b->opt.window_width : 800;
    b->win_h = b->opt.window_height ? b->opt.window_height : 600;
    Window w =
        XCreateSimpleWindow(x, DefaultRootWindow(x), 0, 0, b->win_w, b->win_h, 0,
                            BlackPixel(x, DefaultScreen(x)), BlackPixel(x, DefaultScreen(x)));
    XStoreName(x, w, "vgt (gl backend)");
    XMapWindow(x, w);
    XFlush(x);
    b->xwin = (unsigned long)w;
    /* the EXT entry points: libepoxy resolves them by client extension (the
     * EGL 1.5 core ones need a current display to learn the version) */
    if (!has_word(eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS), "EGL_EXT_platform_x11")) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: this EGL has no X11 platform (EGL_EXT_platform_x11) "
                             "for --window");
    }
    b->dpy = eglGetPlatformDisplayEXT(EGL_PLATFORM_X11_KHR, x, NULL);
    if (b->dpy == EGL_NO_DISPLAY) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: no EGL display for X11 display '%s'", name);
    }
    b->info.platform = "x11";
    return VGT_OK;
#else
    return vgt_error_set(err, VGT_E_UNSUPPORTED,
                         "gl backend: this build has no X11 support (libx11-dev was missing), "
                         "so --window is not available");
#endif
}

vgt_status gl_context_create(gl_backend *b, vgt_error *err)
{
    const char *client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    b->dpy = EGL_NO_DISPLAY;
    if (b->opt.window) {
        vgt_status rc = open_window(b, err);
        if (rc) {
            return rc;
        }
    } else if (has_word(client, "EGL_MESA_platform_surfaceless")) {
        b->dpy = eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
        b->info.platform = "surfaceless";
    }
    if (b->dpy == EGL_NO_DISPLAY) {
        b->dpy = eglGetDisplay(EGL_DEFAULT_DISPLAY);
        b->info.platform = "pbuffer";
    }
    EGLint major = 0, minor = 0;
    if (b->dpy == EGL_NO_DISPLAY || !eglInitialize(b->dpy, &major, &minor)) {
        EGLint e = eglGetError();
        b->dpy = EGL_NO_DISPLAY;
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: no EGL display (%s): install Mesa's EGL and DRI drivers "
                             "(libegl-mesa0, libgl1-mesa-dri)",
                             egl_error_name(e));
    }
    if (!eglBindAPI(EGL_OPENGL_API)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "gl backend: EGL has no desktop OpenGL API");
    }
    bool pbuffer = !b->opt.window && strcmp(b->info.platform, "pbuffer") == 0 &&
                   !has_word(eglQueryString(b->dpy, EGL_EXTENSIONS), "EGL_KHR_surfaceless_context");
    EGLint surface_type = b->opt.window ? EGL_WINDOW_BIT : (pbuffer ? EGL_PBUFFER_BIT : 0);
    EGLint cattr[] = {EGL_SURFACE_TYPE,
                      surface_type,
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
    if (!eglChooseConfig(b->dpy, cattr, &cfg, 1, &ncfg) || ncfg < 1) {
        if (surface_type != 0 ||
            !has_word(eglQueryString(b->dpy, EGL_EXTENSIONS), "EGL_KHR_no_config_context")) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "gl backend: no EGL config with desktop OpenGL (%s)",
                                 egl_error_name(eglGetError()));
        }
        cfg = EGL_NO_CONFIG_KHR;
    }
    b->ctx = b->opt.no_debug_output ? EGL_NO_CONTEXT : make_context(b, cfg, true);
    b->info.robust_access = b->ctx != EGL_NO_CONTEXT;
    if (b->ctx == EGL_NO_CONTEXT) {
        b->ctx = make_context(b, cfg, false);
    }
    if (b->ctx == EGL_NO_CONTEXT) {
        /* the best available: whatever a context without version attributes gives */
        b->ctx = eglCreateContext(b->dpy, cfg, EGL_NO_CONTEXT, NULL);
    }
    if (b->ctx == EGL_NO_CONTEXT) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: cannot create an OpenGL context (%s)",
                             egl_error_name(eglGetError()));
    }
    b->surf = EGL_NO_SURFACE;
    if (b->opt.window) {
#ifdef VGT_GL_HAVE_X11
        Window w = (Window)b->xwin;
        b->surf = eglCreatePlatformWindowSurfaceEXT(b->dpy, cfg, &w, NULL);
#endif
        if (b->surf == EGL_NO_SURFACE) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "gl backend: cannot create the EGL window surface (%s)",
                                 egl_error_name(eglGetError()));
        }
    } else if (pbuffer) {
        EGLint pattr[] = {EGL_WIDTH, 16, EGL_HEIGHT, 16, EGL_NONE};
        b->surf = eglCreatePbufferSurface(b->dpy, cfg, pattr);
        if (b->surf == EGL_NO_SURFACE) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "gl backend: cannot create an EGL pbuffer (%s)",
                                 egl_error_name(eglGetError()));
        }
    }
    if (!eglMakeCurrent(b->dpy, b->surf, b->surf, b->ctx)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: cannot make the OpenGL context current (%s)",
                             egl_error_name(eglGetError()));
    }
    int ver = epoxy_gl_version();
    b->info.gl_version = ver;
    b->info.core_profile = !epoxy_is_desktop_gl() ? false : ver >= 32;
    snprintf(b->info.renderer, sizeof(b->info.renderer), "%s",
             (const char *)glGetString(GL_RENDERER));
    snprintf(b->info.version, sizeof(b->info.version), "%s", (const char *)glGetString(GL_VERSION));
    if (ver < 33) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: needs OpenGL 3.3 (GLSL 330); the driver gave %s (%s)",
                             b->info.version, b->info.renderer);
    }
    b->info.khr_debug =
        !b->opt.no_debug_output && (ver >= 43 || epoxy_has_gl_extension("GL_KHR_debug"));
    b->info.clip_control =
        !b->opt.no_clip_control && (ver >= 45 || epoxy_has_gl_extension("GL_ARB_clip_control"));
    b->info.buffer_storage = ver >= 44 || epoxy_has_gl_extension("GL_ARB_buffer_storage");
    b->info.direct_state_access = ver >= 45 || epoxy_has_gl_extension("GL_ARB_direct_state_access");
    b->info.texture_view = ver >= 43 || epoxy_has_gl_extension("GL_ARB_texture_view");
    b->info.fb_fetch =
        !b->opt.no_fb_fetch && epoxy_has_gl_extension("GL_EXT_shader_framebuffer_fetch");
    b->info.max_anisotropy = 1.0f;
    if (ver >= 46 || epoxy_has_gl_extension("GL_ARB_texture_filter_anisotropic") ||
        epoxy_has_gl_extension("GL_EXT_texture_filter_anisotropic")) {
        /* the EXT's enum has the same value */
        GLfloat m = 1.0f;
        glGetFloatv(GL_MAX_TEXTURE_MAX_ANISOTROPY, &m);
        b->info.max_anisotropy = m > 1.0f ? m : 1.0f; /* NaN and nonsense: none */
    }
    b->max_viewport[0] = b->max_viewport[1] = 0;
    glGetIntegerv(GL_MAX_VIEWPORT_DIMS, b->max_viewport);
    const char *inject = getenv("VGT_GL_INJECT_ERROR");
    if (inject && *inject) {
        snprintf(b->inject_op, sizeof(b->inject_op), "%.*s", (int)strcspn(inject, ":"), inject);
        const char *nth = strchr(inject, ':');
        b->inject_nth = nth ? (uint32_t)strtoul(nth + 1, NULL, 10) : 1u;
    }
    const char *no_s3tc = getenv("VGT_GL_NO_S3TC");
    bool force_cpu_dxt = b->opt.no_s3tc || (no_s3tc && *no_s3tc && strcmp(no_s3tc, "0") != 0);
    b->info.s3tc = !force_cpu_dxt && epoxy_has_gl_extension("GL_EXT_texture_compression_s3tc");
    b->info.copy_image = ver >= 43 || epoxy_has_gl_extension("GL_ARB_copy_image");
    b->info.timer_query = ver >= 33 || epoxy_has_gl_extension("GL_ARB_timer_query");
    b->blend_indexed = ver >= 40 || epoxy_has_gl_extension("GL_ARB_draw_buffers_blend");
    b->info.viewport_array =
        !b->opt.no_viewport_array && (ver >= 41 || epoxy_has_gl_extension("GL_ARB_viewport_array"));
    if (b->info.khr_debug) {
        glEnable(GL_DEBUG_OUTPUT);
        glEnable(GL_DEBUG_OUTPUT_SYNCHRONOUS);
        glDebugMessageCallback(debug_cb, b);
        if (!b->opt.debug) {
            glDebugMessageControl(GL_DONT_CARE, GL_DONT_CARE, GL_DONT_CARE, 0, NULL, GL_FALSE);
            glDebugMessageControl(GL_DONT_CARE, GL_DEBUG_TYPE_ERROR, GL_DONT_CARE, 0, NULL,
                                  GL_TRUE);
        }
    }
    if (b->info.robust_access) {
        GLint flags = 0;
        glGetIntegerv(GL_CONTEXT_FLAGS, &flags);
        b->info.robust_access = (flags & GL_CONTEXT_FLAG_ROBUST_ACCESS_BIT) != 0;
    }
    return VGT_OK;
}

void gl_context_destroy(gl_backend *b)
{
    if (b->dpy != EGL_NO_DISPLAY) {
        gl_release_current(b);
        if (b->surf != EGL_NO_SURFACE) {
            eglDestroySurface(b->dpy, b->surf);
        }
        if (b->ctx != EGL_NO_CONTEXT) {
            eglDestroyContext(b->dpy, b->ctx);
        }
        /* No eglTerminate: a platform display is one per process and shared
         * by every context on it (another backend, the native sample path);
         * terminating it would pull the driver out from under them.  The
         * display stays initialized until the process exits. */
        eglReleaseThread();
    }
    b->dpy = EGL_NO_DISPLAY;
#ifdef VGT_GL_HAVE_X11
    if (b->xdpy) {
        if (b->xwin) {
            XDestroyWindow((Display *)b->xdpy, (Window)b->xwin);
        }
        XCloseDisplay((Display *)b->xdpy);
    }
#endif
    b->xdpy = NULL;
}

vgt_status gl_show_image(void *self, const vgt_image *img, vgt_error *err)
{
    gl_backend *b = self;
    if (!b->opt.window || b->surf == EGL_NO_SURFACE || !img || !img->width || !img->height) {
        return VGT_OK;
    }
    if (gl_op_begin(b, "show_image", err)) {
        return err ? err->code : VGT_E_STATE;
    }
    uint32_t w = img->width, h = img->height;
    /* the image goes through a texture of its own on the editing unit (one
     * the draw state does not use), re-specified when its size changes */
    glActiveTexture(GL_TEXTURE0 + GLB_MAX_STAGES);
    if (!b->win_tex) {
        glGenTextures(1, &b->win_tex);
    }
    glBindTexture(GL_TEXTURE_2D, b->win_tex);
    glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, (GLint)(img->stride / 4u));
    glPixelStorei(GL_UNPACK_IMAGE_HEIGHT, 0);
    /* 0xAARRGGBB little-endian words: B, G, R, A bytes */
    if (b->win_tex_w != w || b->win_tex_h != h) {
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, (GLsizei)w, (GLsizei)h, 0, GL_BGRA,
                     GL_UNSIGNED_INT_8_8_8_8_REV, img->pixels);
        b->win_tex_w = w;
        b->win_tex_h = h;
    } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, (GLsizei)w, (GLsizei)h, GL_BGRA,
                        GL_UNSIGNED_INT_8_8_8_8_REV, img->pixels);
    }
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glBindTexture(GL_TEXTURE_2D, 0);

    glBindFramebuffer(GL_READ_FRAMEBUFFER, b->read_fbo);
    glFramebufferTexture2D(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, b->win_tex, 0);
    glReadBuffer(GL_COLOR_ATTACHMENT0);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
    glDisable(GL_SCISSOR_TEST);
    glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT);
#ifdef VGT_GL_HAVE_X11
    if (!b->win_sized && b->xdpy) {
        /* the window takes the size of the first image shown (the guest's
         * display); the EGL surface follows it from the next buffer on */
        b->win_sized = true;
        if (w != b->win_w || h != b->win_h) {
            XResizeWindow((Display *)b->xdpy, (Window)b->xwin, w, h);
            XSync((Display *)b->xdpy, False);
            b->win_w = w;
            b->win_h = h;
        }
    }
#endif
    /* the height of the buffer drawn into now (it may still be the old size
     * right after a resize) */
    EGLint sh = (EGLint)b->win_h;
    if (!eglQuerySurface(b->dpy, b->surf, EGL_HEIGHT, &sh) || sh <= 0) {
        sh = (EGLint)b->win_h;
    }
    /* an sRGB-capable window must get the stored bytes, not encoded ones */
    gl_framebuffer_srgb(b, false);
    /* the image is stored top row first; the window's row 0 is at the bottom */
    glBlitFramebuffer(0, 0, (GLint)w, (GLint)h, 0, (GLint)sh, (GLint)w, (GLint)sh - (GLint)h,
                      GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glFramebufferTexture2D(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, 0, 0);
    eglSwapBuffers(b->dpy, b->surf);
    gl_state_invalidate(b);
    return gl_op_end(b, VGT_OK, err, "%ux%u image", w, h);
}
