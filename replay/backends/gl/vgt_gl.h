/* vgt_gl.h - the OpenGL backend: SVGA3D translated to host OpenGL (3.3 core
 * baseline) through libepoxy, headless by default (EGL surfaceless, or an
 * EGL pbuffer) or in an X11 window.
 *
 * The backend implements vgt_backend_ops (replay/vgt_backend.h); the
 * executor is its only caller.  The fixed-function pipeline is emulated
 * with GLSL 330 programs generated from a compact state key and cached.
 * Conventions and the tolerance against the soft reference renderer are in
 * docs/gl.md.
 *
 * Ownership: the vgt_backend made by vgt_backend_gl_create owns its EGL
 * display connection, context, window and every GL object; destroy it with
 * vgt_backend_destroy (or ops->destroy).  All calls must come from the
 * thread that created it (the context is current there). */
#ifndef VGT_GL_H
#define VGT_GL_H

#include <stdbool.h>
#include <stdint.h>

#include "vgt_backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of vgt_backend_gl_create (zero = defaults: headless, no debug). */
typedef struct vgt_gl_options {
    bool window;           /* an X11 window (needs DISPLAY); show_image draws into it */
    uint32_t window_width; /* initial window size (0: 800 x 600) */
    uint32_t window_height;
    bool debug;           /* glGetError after every GL call group, all KHR_debug messages */
    bool no_clip_control; /* testing: ignore ARB_clip_control (remap z in the shader) */
    bool no_debug_output; /* testing: ignore KHR_debug (glGetError only) */
    bool no_s3tc; /* ignore S3TC: DXT surfaces are decoded on the CPU to RGBA8 textures (also
                   * forced by the environment variable VGT_GL_NO_S3TC=1; docs/gl.md) */
    /* testing: ignore ARB_viewport_array (the half-pixel shift in the shader) */
    bool no_viewport_array;
    /* testing: ignore EXT_shader_framebuffer_fetch (sRGB writes with
     * blending on float targets are then refused) */
    bool no_fb_fetch;
    /* testing: a CLEAR draws the rectangles of its rects' union as quads
     * from this many on, large ones too, else a scissored glClear each (0:
     * the default, docs/gl.md "CLEAR"; 1: always drawn; UINT32_MAX: never) */
    uint32_t clear_draw_min;
} vgt_gl_options;

/* What the backend got from the driver (for messages, tests and benches). */
typedef struct vgt_gl_info {
    int gl_version; /* 33, 45, ... */
    bool core_profile;
    char renderer[128];   /* GL_RENDERER */
    char version[128];    /* GL_VERSION */
    const char *platform; /* "surfaceless", "pbuffer", "x11" */
    bool khr_debug, clip_control, buffer_storage, direct_state_access, copy_image;
    bool s3tc;          /* DXT surfaces are S3TC textures; false: decoded on the CPU (no S3TC in the
                         * driver, or no_s3tc / VGT_GL_NO_S3TC=1) */
    bool robust_access; /* out-of-bounds vertex fetches are safe */
    bool timer_query;
    bool viewport_array; /* float viewports: Direct3D's half-pixel offset moves the viewport */
    bool texture_view;   /* GL 4.3 / ARB_texture_view: sRGB reads through sRGB views */
    /* EXT_shader_framebuffer_fetch (coherent): sRGB writes with blending on
     * targets without an sRGB view blend in the fragment shader */
    bool fb_fetch;
    /* GL_MAX_TEXTURE_MAX_ANISOTROPY (GL 4.6, ARB/EXT_texture_filter_anisotropic);
     * 1 without them: ANISOTROPIC is then drawn as LINEAR and the caps say 1 */
    float max_anisotropy;
} vgt_gl_info;

/* Counters of what the backend did (tests and benches). */
typedef struct vgt_gl_counters {
    uint64_t draws, draw_calls, clears, uploads, downloads, read_pixels;
    uint64_t programs_compiled, program_cache_hits;
    /* fixed-function draws whose state differed from the last draw's only
     * in its matrices (the same vgt_backend_draw_state.serial): the last
     * draw's program and vertex layout served again */
    uint64_t ff_state_reuses;
    uint64_t gl_errors;
    uint64_t dxt_blocks_decoded; /* 4x4 blocks decoded on the CPU (DXT without S3TC) */
    /* sRGB texture views (TS_GAMMA 2.2 reads): made at a surface's first
     * sRGB read, deleted with the surface */
    uint64_t srgb_views_made, srgb_views_deleted;
    /* shaders (gl_shader.c): translated at SHADER_DEFINE, vs+ps programs
     * compiled and linked by the driver at their first draw */
    uint64_t shaders_translated, shader_translate_ns;
    uint64_t shader_programs_linked, shader_link_ns;
    /* CLEAR (each image's union of its rects as disjoint rectangles):
     * the rectangles, the scissored glClears and the draw calls of quads
     * that cleared them */
    uint64_t clear_rects, clear_scissored, clear_draw_calls;
    uint64_t clear_masks; /* the draw calls among them through a mask of the image */
} vgt_gl_counters;

/* Creates a GL backend into *out.  Fails with VGT_E_UNSUPPORTED and a
 * message saying what is missing when no EGL display, no OpenGL context of
 * version >= 3.3, or (with window) no X11 display can be had. */
vgt_status vgt_backend_gl_create(const vgt_gl_options *opt, vgt_backend *out, vgt_error *err);
/* Copies what the driver offers; VGT_E_INVALID when be is not a GL backend. */
vgt_status vgt_backend_gl_info(const vgt_backend *be, vgt_gl_info *out);
/* Copies the counters; VGT_E_INVALID when be is not a GL backend. */
vgt_status vgt_backend_gl_counters(const vgt_backend *be, vgt_gl_counters *out);
/* Makes the backend's context current on the calling thread.  Call it
 * after other code changed the thread's current context (made its own
 * current, or released it) and before the backend runs on that thread
 * again: the backend remembers per thread that it made its context current
 * and does not ask EGL before every operation (that costs a system call in
 * libglvnd).  Threads that only vgt drives (the device's FIFO thread, `vgt
 * replay`) never need it. */
void vgt_backend_gl_make_current(const vgt_backend *be);
/* Tells the gl backends that code outside vgt changed the calling thread's
 * current context (eglMakeCurrent of its own context, or of none): the
 * next backend operation on this thread asks EGL again. */
void vgt_backend_gl_context_changed(void);
/* Times the shader translator without a GL context (vgt bench gl): each of
 * the `count` shaders (tokens, words[i] each) is parsed and translated to
 * its GLSL body `rounds` times; *translate_us gets the mean translation time
 * per shader, *parse_us the mean parse time, *ff_us the mean time to
 * generate the fixed-function GLSL (vertex + fragment) of typical keys.
 * The caller owns the shaders.  VGT_E_INVALID (err says which) when a
 * shader does not parse. */
vgt_status vgt_gl_translate_bench(const uint32_t *const *shaders, const size_t *words, size_t count,
                                  uint32_t rounds, double *translate_us, double *parse_us,
                                  double *ff_us, vgt_error *err);
/* True when the GL backend could be created here (EGL + GL 3.3 found);
 * fills err with the reason otherwise.  Creates and destroys a context. */
bool vgt_backend_gl_available(vgt_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VGT_GL_H */
