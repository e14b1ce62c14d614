/* gl_test_util.h - scenes drawn through vgt_backend_ops on any backend, so
 * the gl backend and the soft reference render the same resolved state. */
#ifndef GL_TEST_UTIL_H
#define GL_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vgt_gl.h"
#include "vgt_replay.h"

#define SCENE_MAX_SURFACES 16
#define SCENE_MAX_IMAGES   64

/* A vertex used by most scenes. */
typedef struct tvert {
    float x, y, z;
    float nx, ny, nz;
    uint32_t color;
    float u, v;
} tvert;

typedef struct scene_surface {
    vgt_backend_surface *host;
    vgt_surface_image images[SCENE_MAX_IMAGES];
    uint32_t format, faces, mips;
    vgt_svga3d_size size;
} scene_surface;

/* One backend, a render target (+ depth), buffers and textures. */
typedef struct scene {
    vgt_backend be;
    const char *name; /* "gl" / "soft" */
    uint32_t w, h;
    scene_surface surf[SCENE_MAX_SURFACES];
    uint32_t nsurf;
    vgt_backend_surface *rt, *ds, *vb, *ib;
    uint32_t rt_format;
    uint32_t render_states[VGT_SVGA3D_RS_MAX];
    uint32_t texture_states[VGT_SVGA3D_MAX_TEXTURE_STAGES][VGT_SVGA3D_TS_MAX];
    vgt_backend_draw_state st;
} scene;

/* Keeps Mesa's DRI driver loaded until exit (see lsan.supp). */
void pin_mesa_driver(void);
/* For a test that runs a VM with the gl backend: skips it (cmocka skip)
 * when the machine has no EGL display, else makes and destroys a gl
 * backend once (scene_backend_gl), which keeps the driver mapped for the
 * leak reports. */
void gl_device_test_start(void);
/* Creates the gl backend, or skips the test (cmocka skip) with the reason
 * when the machine has no EGL at all. */
void scene_backend_gl(vgt_backend *be);
/* The same with options (e.g. no_s3tc). */
void scene_backend_gl_opts(vgt_backend *be, const vgt_gl_options *opt);
/* Sets up `s` on backend kind ("gl", "gl-no-s3tc": gl with DXT decoded on
 * the CPU, "gl-no-debug": gl without KHR_debug output and robust access,
 * "gl-no-fb-fetch": gl without framebuffer fetch, "gl-clear-draw" / "gl-clear-scissor":
 * gl drawing every CLEAR's rectangles as quads / clearing each with a
 * scissored glClear, or "soft") with a w x h color target of
 * rt_format and (depth_format != 0) a depth target; the state is Direct3D
 * 9's defaults with lighting off and culling off. */
void scene_init(scene *s, const char *kind, uint32_t w, uint32_t h, uint32_t rt_format,
                uint32_t depth_format);
void scene_fini(scene *s);
/* Defines a surface and returns its host object (asserts success). */
/* The blend scenes on the current target (A8R8G8B8-sized W x H of the
 * caller's scene): an opaque background, then SRCALPHA / INVSRCALPHA, ONE +
 * ONE, BLENDFACTOR / INVSRCCOLOR REVSUBTRACT and MAXIMUM; and the factors and
 * equations that one leaves out, each over a part of what the ones before
 * drew (gl_test_util.c says which). */
void scene_blend4(scene *s);
void scene_blend_factors(scene *s);
/* The multisample count scene_define gives its surfaces (default 0). */
extern uint32_t scene_multisample;
vgt_backend_surface *scene_define(scene *s, uint32_t format, uint32_t flags, uint32_t w, uint32_t h,
                                  uint32_t d, uint32_t faces, uint32_t mips);
/* Uploads a whole image (tightly packed). */
void scene_upload(scene *s, vgt_backend_surface *surface, uint32_t face, uint32_t mip,
                  const void *data);
/* Sets the vertex buffer to `count` tverts and the elements (position,
 * normal, color, texcoord 0) of the state. */
void scene_tverts(scene *s, const tvert *v, uint32_t count);
/* Appends a vertex element (usage index 0) reading vb to the state. */
void scene_element(vgt_backend_draw_state *st, vgt_backend_surface *vb, uint64_t bytes,
                   uint32_t offset, uint32_t stride, uint32_t type, uint32_t usage);
/* Sets a 16- or 32-bit index buffer. */
void scene_indices(scene *s, const void *idx, uint32_t bytes);
/* Clears color/depth/stencil of the targets. */
void scene_clear(scene *s, uint32_t flags, uint32_t color, float depth, uint32_t stencil);
/* Draws one range (indexed when index_width != 0); returns the status. */
vgt_status scene_draw_rc(scene *s, uint32_t prim, uint32_t prim_count, uint32_t index_width,
                         uint32_t index_offset, int32_t bias, vgt_error *err);
void scene_draw(scene *s, uint32_t prim, uint32_t prim_count);
/* Reads the color target (0xAARRGGBB). */
void scene_read(scene *s, vgt_image *out);
/* A quad covering NDC [x0,x1]x[y0,y1] as 6 tverts, clockwise on screen. */
void quad(tvert *out, float x0, float y0, float x1, float y1, float z, uint32_t color);
/* Texel (x, y) of the test textures: 8 colours varied by position (the 64
 * of an 8 x 8 texture are distinct). */
uint32_t scene_texel(uint32_t x, uint32_t y);
/* A w x h A8R8G8B8 texture of scene_texel (one mip). */
vgt_backend_surface *scene_checker(scene *s, uint32_t w, uint32_t h);
/* A D3D left-handed perspective matrix. */
void perspective(vgt_backend_matrix *m, float fov_y, float aspect, float zn, float zf);

/* Compares two images: fails when more than max_over_permille/1000 of the
 * pixels have a channel (B, G, R) delta above `tol`; prints the figures and
 * writes both images to VGT_BINARY_DIR/gl-out/<name>-{gl,soft}.png. */
void compare_images(const char *name, const vgt_image *gl, const vgt_image *soft, uint32_t tol,
                    double max_over_fraction);
/* The same for any two images, written as <name>-<label_a>.png and
 * <name>-<label_b>.png. */
void compare_images_as(const char *name, const char *label_a, const vgt_image *a,
                       const char *label_b, const vgt_image *b, uint32_t tol,
                       double max_over_fraction);

/* The distinct colors (RGB) of an image, counted up to `max` (<= 256). */
uint32_t image_colors(const vgt_image *im, uint32_t max);

/* A scene drawn the same way on any backend. */
typedef void (*scene_fn)(scene *s);

/* Renders fn on gl and on soft (w x h, color target rtf, depth dsf or 0),
 * compares the two (compare_images with tol and max_over_fraction), and
 * fails unless the soft image shows at least min_colors distinct colors (a
 * scene that drew little tells little; counted up to 256). */
void run_gl_and_soft(const char *name, uint32_t w, uint32_t h, uint32_t rtf, uint32_t dsf,
                     scene_fn fn, uint32_t tol, double max_over_fraction, uint32_t min_colors);
/* The same with the gl backend of scene_init kind `gl_kind` ("gl", "gl-no-s3tc"). */
void run_kind_and_soft(const char *gl_kind, const char *name, uint32_t w, uint32_t h, uint32_t rtf,
                       uint32_t dsf, scene_fn fn, uint32_t tol, double max_over_fraction,
                       uint32_t min_colors);

/* Assembles the pixel shader `ps_text` (vgt_shader_assemble), binds it
 * with all shader constants zero, runs draw(s), and unbinds and destroys
 * it (asserts each step). */
void scene_with_ps(scene *s, const char *ps_text, scene_fn draw);
/* The same with the vertex shader `vs_text` (fixed-function pixels). */
void scene_with_vs(scene *s, const char *vs_text, scene_fn draw);

/* The documented tolerance (docs/gl.md): channel delta 2, < 0.1% beyond. */
#define GL_TOL          2u
#define GL_TOL_FRACTION 0.001

#endif
