/* gl_internal.h - private structures of the OpenGL backend. */
#ifndef GL_INTERNAL_H
#define GL_INTERNAL_H

#include <epoxy/egl.h>
#include <epoxy/gl.h>

#include "vgt_gl.h"

/* ---- formats (gl_format.c) --------------------------------------------- */

/* How a surface format lives in GL. */
typedef enum gl_out_mode {
    GLB_OUT_RGBA = 0, /* outputs go to R, G, B, A */
    GLB_OUT_L = 1,    /* luminance target: R <- r */
    GLB_OUT_A = 2,    /* alpha target: R <- a */
    GLB_OUT_LA = 3,   /* luminance-alpha target: R <- r, G <- a */
} gl_out_mode;

typedef void (*gl_convert_fn)(const uint8_t *src, uint8_t *dst, uint32_t texels);
typedef void (*gl_decode_fn)(const uint8_t *p, float rgba[4]);

typedef struct gl_format {
    uint32_t svga;
    const char *name;
    uint32_t block_w, block_h, block_bytes;
    GLenum internal, format, type; /* format/type of the bytes GL gets (after to_gl) */
    GLint swizzle[4];              /* GL_TEXTURE_SWIZZLE_RGBA */
    bool compressed, depth, stencil, renderable, buffer;
    bool no_alpha;                /* X formats: alpha reads 1 and renders as 1 */
    gl_out_mode out;              /* how a render target receives the outputs */
    uint32_t gl_bytes;            /* bytes per texel of the GL layout (to_gl) */
    gl_convert_fn to_gl, from_gl; /* CPU conversion, NULL when GL takes the bytes */
    gl_decode_fn decode;          /* one texel (SVGA layout) -> float RGBA (read_pixels) */
} gl_format;

/* The format's GL mapping, or NULL when the backend does not support it. */
const gl_format *gl_format_get(uint32_t svga);
/* Every supported format (for caps and tests). */
const gl_format *gl_format_at(uint32_t index);

/* ---- objects ----------------------------------------------------------- */

typedef struct gl_surface {
    uint32_t sid, format, flags, faces, mips;
    vgt_svga3d_size size;
    const gl_format *fmt;
    GLenum target; /* GL_TEXTURE_2D / _CUBE_MAP / _3D; 0 for a buffer */
    GLuint tex;
    GLuint buf;                /* buffer surfaces */
    uint64_t bytes;            /* all images, tightly packed (buffers: the buffer size) */
    vgt_surface_image *images; /* own copy: faces * mips */
    int32_t base_level;        /* GL_TEXTURE_BASE_LEVEL as last set */
    uint8_t *shadow;           /* index data kept on the CPU when the context is not robust;
                                * all bytes of a raw surface; the compressed blocks of a
                                * dxt_cpu surface */
    bool raw;                  /* a format GL cannot hold: bytes on the CPU only (DMA and copies
                                * work, drawing with it is refused) */
    bool dxt_cpu;              /* DXT without S3TC: the texture is RGBA8 holding the decoded
                                * texels, the shadow keeps the guest's blocks (downloads) */
    gl_format raw_fmt;         /* fmt of a raw or dxt_cpu surface (a per-surface copy) */
    GLuint srgb_view;          /* sRGB view of tex for TS_GAMMA 2.2 reads (gl_surface_srgb_view),
                                * made at the first such read, deleted with the surface */
    int32_t srgb_base_level;   /* the view's GL_TEXTURE_BASE_LEVEL as last set */
} gl_surface;

typedef struct gl_query {
    GLuint q;
    bool active;
    uint64_t carry; /* counted before the fragment probe paused it (gl_probe_draw) */
} gl_query;

/* The fragment probe (gl_probe.c): the image and pixel followed, the
 * fragments recorded since the last take. */
typedef struct gl_probe {
    bool on;
    const void *surface; /* the gl_surface followed */
    uint32_t face, mip, x, y;
    vgt_backend_fragment *frags; /* VGT_BACKEND_FRAGMENTS_MAX, made at the first arming */
    uint32_t count;
    uint64_t dropped;
    const vgt_backend_draw_range *ranges; /* the DRAW_PRIMITIVES' ranges (range numbers) */
    uint32_t nranges;
    /* a draw with the vertex stream frequency issues each range alone as
     * a copy (gl_probe.c copy_range): the draw (b->n.draws) whose copies
     * are being numbered and the first range not yet matched */
    uint64_t copy_draw;
    uint32_t copy_next;
    GLuint query;
    GLuint tex[6]; /* 1x1 copies of the pixel and the texel under it (gl_probe.c P_*) */
    GLenum tex_fmt[6];
    GLuint fan_buf;     /* a fan's sub-fan indices (gl_probe.c draw_prims) */
    uint32_t instance;  /* during a probed draw: the instance drawn */
    uint32_t instances; /* ... and how many the draw has (1: not instanced) */
    /* during a probed draw: its program, state, the program variant bound */
    struct gl_probe_prog *pp;
    const vgt_backend_draw_state *st;
    unsigned variant;
    /* a clipped fragment's near or far plane told apart (gl_probe.c
     * clipped_planes): a depth texture of its own covering the pixel, in a
     * framebuffer of its own; made at the first such fragment */
    GLuint clip_fbo, clip_depth;
    uint32_t clip_w, clip_h;
} gl_probe;

/* ---- the fixed-function state key (gl_ffp.c) ---------------------------- */

#define GLB_MAX_LIGHTS  8
#define GLB_MAX_STAGES  8
#define GLB_MAX_TARGETS 4 /* color targets COLOR0..3 (GL 3.3 has at least 8 draw buffers) */

typedef struct gl_stage_key {
    uint8_t color_op, color_arg[3], alpha_op, alpha_arg[3];
    uint8_t tex_kind; /* 0 none (or not sampled), 1 2D, 2 cube, 3 3D */
    uint8_t tc;       /* texture coordinate set 0..7 (when sampled) */
    /* texture coordinate generation and transform (no vertex shader; the
     * soft renderer's rules, soft_vertex.c): when `own`, the vertex shader
     * writes the stage's coordinate to v_st<n> */
    uint8_t own;
    uint8_t gen;   /* vgt_svga3d_texcoord_gen */
    uint8_t count; /* results of the TEXTURE<n> matrix, 0: not applied */
    uint8_t proj;  /* 1 + the component the others are divided by per pixel, 0: none */
    uint8_t keep;  /* components of (u, v, w) kept, the others 0; v_st<n>.w: the divisor */
    uint8_t comps; /* components of set tc's element: the matrix input has a 1 after them */
    uint8_t pad[2];
} gl_stage_key;

/* RS WRAPn (cylindrical texture wrapping, gl_wrap.c) as a program sees it:
 * the components (bit 0 x .. bit 3 w) to wrap of each texture coordinate
 * varying, and the primitives the geometry shader takes (0: no geometry
 * shader, 1 triangles, 2 lines). */
typedef struct gl_wrap_key {
    uint8_t prim;
    uint8_t tc[8];  /* v_tc<n>: coordinate set n */
    uint8_t st[8];  /* v_st<i>: stage i's own coordinate (its set's bits) */
    uint8_t vy[16]; /* vy_5_<n>: TEXCOORDn between translated shaders */
    /* a pixel shader's TEXCOORDn fed by the fixed-function vertex side:
     * 1 + the set it reads (0: none); the geometry shader writes v_pt<n>, a
     * copy of v_tc<set> wrapped by pt[n] (WRAPn), so that two inputs of one
     * set can wrap differently; the fragment shader reads v_pt<n> */
    uint8_t pt_set[8];
    uint8_t pt[8];
} gl_wrap_key;

/* How the fragment shader converts its colour output (gl_draw.c
 * blend_key_fill, gl_emit_output).  on: the shader blends, reading the
 * target (GL_EXT_shader_framebuffer_fetch), with Direct3D's factors and
 * equations, soft's rule, with GL's blending off (0: GL blends as usual):
 * OUTPUTGAMMA 2.2 with blending on float targets and on one R5G6B5,
 * X1R5G5B5, A1R5G5B5 or A4R4G4B4 target (no sRGB view; srgb_shader_blend:
 * the target decoded, blended in linear light, encoded), and plain
 * blending on one such 16-bit target (plain_shader_blend).
 * quant: a 16-bit target's channel maxima (R, G, B, A; 0: left to GL),
 * the output rounded to them (soft_unorm), because GL may convert to 5
 * bits by truncation (llvmpipe does) and blend a 4-bit target a few
 * hundredths of a step off, where Direct3D rounds the float result to
 * nearest (docs/gl.md "Blending"). */
typedef struct gl_blend_key {
    uint8_t on;
    uint8_t src, dst, eq;       /* colour: VGT_SVGA3D_BLENDOP_* / BLENDEQ_* */
    uint8_t src_a, dst_a, eq_a; /* alpha (the colour's without separate alpha) */
    uint8_t color[4];           /* BLENDFACTOR as bytes R, G, B, A */
    uint8_t no_dst_alpha;       /* the target has no alpha: D.a reads 1 */
    uint8_t quant[4];           /* channel maxima of the rounding (0: none) */
} gl_blend_key;

/* Everything the generated GLSL depends on; zeroed, then filled, so that
 * it can be hashed and compared as bytes. */
typedef struct gl_ff_key {
    /* vertex */
    uint8_t pretransformed;
    uint8_t has_normal, has_color0, has_color1, has_psize;
    uint8_t lighting, specular, local_viewer, normalize;
    uint8_t src_diffuse, src_ambient, src_specular, src_emissive; /* 0 material, 1 c0, 2 c1 */
    uint8_t light_type[GLB_MAX_LIGHTS]; /* 0: off, else VGT_SVGA3D_LIGHTTYPE_* */
    uint8_t fog;          /* 0 off, 1 vertex factor, 2 pixel (distance), 3 from specular.a */
    uint8_t fog_func;     /* VGT_SVGA3D_FOGFUNC_* */
    uint8_t fog_range;    /* range-based distance (vertex fog only) */
    uint8_t fog_device_z; /* pixel fog under an affine projection: the device z */
    uint8_t zremap;       /* no clip control: z = 2z - w */
    uint8_t tc_mask;      /* texcoord sets the vertex shader passes */
    uint8_t tc_have;      /* of those, the ones the declaration has */
    uint8_t clip_planes;  /* user clip plane mask */
    uint8_t tc_normal;    /* a stage generates from the view-space normal (reads u_nrm) */
    uint8_t tc_matrix;    /* a stage applies its TEXTURE<n> matrix (reads u_texm) */
    /* vertex blending (vgt_svga3d_vertex_blend_plan): world matrices blended
     * per vertex (0: none; reads u_blend), BLENDWEIGHT present, indices (0:
     * WORLD, WORLD1, ... in order, 1 UBYTE4, 2 D3DCOLOR) */
    uint8_t blend, has_blendw, blend_index;
    /* tweening: POSITION 1 (location 13, a_pos1) mixed into the position by
     * u_misc.x (TWEENFACTOR), and NORMAL 1 (location 14, a_normal1) into the
     * normal; the blend inputs' locations, which tweening does not read */
    uint8_t tween, tween_normal;
    /* fragment */
    uint8_t nstages;
    uint8_t flat;
    uint8_t alpha_func;   /* 0: no alpha test */
    uint8_t out_mode;     /* gl_out_mode of target 0 */
    uint8_t no_alpha;     /* target 0 has no alpha: write 1 */
    uint8_t points;       /* point primitives or point fill: the vertex shader sets the size */
    uint8_t point_scale;  /* points: POINTSCALEENABLE (u_misc.zw: min, max; A, B, C below) */
    uint8_t point_sprite; /* points: POINTSPRITEENABLE, stages read gl_PointCoord */
    uint8_t fold_proj;    /* nothing needs the eye-space position: ff wv = world*view*proj */
    uint8_t halfpix;      /* no float viewport: the vertex shader moves by half a pixel */
    uint8_t srgb_out;     /* OUTPUTGAMMA 2.2: the outputs are sRGB-encoded (gl_emit_output) */
    gl_blend_key sblend;  /* srgb_out with blending done by the shader */
    gl_stage_key stages[GLB_MAX_STAGES];
    gl_wrap_key wrap; /* RS WRAPn: a geometry shader when wrap.prim */
} gl_ff_key;

/* The uniforms of every fixed-function program, as vec4s: the vertex shader
 * reads the first GL_FF_VS_VEC4S (ff[]), the fragment shader the rest
 * (ffp[]); fog and misc are in both. The vertex part starts with what every
 * program reads and ends with the lights, so that the linker can shrink ff[]
 * to what a program uses; a draw sends the run of elements that changed since
 * the program's last draw, cut to what the linker kept (gl_program). */
typedef struct gl_ff_uniforms gl_ff_uniforms;
#define GL_FF_VEC4S    91u
#define GL_FF_VS_VEC4S 87u /* ff[] = vec4s [0, 87) */
#define GL_FF_FS_FIRST 87u /* ffp[] = vec4s [87, 91) */

typedef struct gl_program {
    gl_ff_key key;
    GLuint prog;
    GLint loc;       /* ff[0] (vertex shader) */
    GLint loc_fs;    /* ffp[0] (fragment shader) */
    GLint loc_texm;  /* u_texm[0], the stages' TEXTURE<n> matrices, or -1 */
    GLint loc_blend; /* u_blend[0], the vertex blend's matrices (GL_BLEND_MATRICES), or -1 */
    GLint loc_guard; /* u_guard, the points' guard band scale (key.points), or -1 */
    GLint loc_bumpm, loc_bumpl; /* u_bumpm[8] / u_bumpl[8] (BUMPENVMAPLUMINANCE), or -1 */
    uint32_t vs_vec4s;          /* the size of its ff[] (gl_ff_vs_vec4s) */
    /* ff[] and ffp[] elements the linker kept (it drops an array's unused
     * tail, and a location past what it kept is no element of the array) */
    uint32_t vs_active, fs_active;
    gl_ff_uniforms *last; /* what ff[] and ffp[] hold (NULL: nothing uploaded yet) */
    bool used;
} gl_program;

/* One light, eye space. */
typedef struct gl_ff_light {
    float pos[4]; /* w: range */
    float dir[4]; /* normalised, from the light; w: falloff */
    float d[4], s[4], a[4];
    float att[4];  /* a0, a1, a2 */
    float spot[4]; /* cos(theta/2), cos(phi/2) */
} gl_ff_light;

struct gl_ff_uniforms {
    /* vertex shader: ff[] */
    float wv[16], proj[16];
    float vp[4];      /* viewport x, y, w, h */
    float halfpix[4]; /* 1/w, 1/h; z, w: POINTSCALE_A, B */
    float misc_vs[4]; /* = misc, but x: TWEENFACTOR when tweening */
    float fog_vs[4];  /* = fog; w: POINTSCALE_C */
    float world[16];
    float clip[6][4];
    float nrm[16];
    float mat_d[4], mat_a[4], mat_s[4], mat_e[4];
    float ambient[4]; /* rgb; w: material power */
    gl_ff_light lights[8];
    /* fragment shader: ffp[] */
    float fog[4];  /* start, end, density */
    float misc[4]; /* x: alpha reference byte, y: point size, z, w: its min, max */
    float fog_color[4];
    float tfactor[4];
};

/* ---- the backend --------------------------------------------------------- */

/* view * projection of the last fixed-function draw that folded them
 * (gl_ff_key.fold_proj), with the two it was made of. */
typedef struct gl_vp_cache {
    bool valid;
    float view[4][4], proj[4][4], vp[4][4];
} gl_vp_cache;

/* Which vertex elements feed the fixed-function inputs (pointers into the
 * draw state's elements). */
typedef struct gl_layout {
    const vgt_backend_element *pos, *normal, *color[2], *psize, *tc[8];
    const vgt_backend_element *blendw, *blendi; /* BLENDWEIGHT, BLENDINDICES */
    const vgt_backend_element *pos1, *normal1;  /* usage index 1: tweening's targets */
    bool pretransformed;
} gl_layout;

/* The fixed-function vertex inputs' attribute locations: position, normal,
 * color 0 and 1, point size, texture coordinate sets 0..7, blend weights
 * and indices (with tweening: POSITION 1 and NORMAL 1). */
#define GL_FF_ATTRIBS 15u

/* u_blend: each of WORLD..WORLD3 times VIEW, then the four world matrices
 * (clip planes), then the four world*view normal matrices. */
#define GL_BLEND_MATRICES 12u
/* Fills u_blend's 12 matrices (column-major: D3D's rows) from st. */
void gl_ff_blend_matrices(const vgt_backend_draw_state *st, float out[GL_BLEND_MATRICES][16]);

/* What the last fixed-function draw derived from its state: draws in a row
 * mostly differ only in their matrices, and the executor's state serial
 * (vgt_backend_draw_state.serial, which covers the vertex elements too)
 * says when that is so.  Then the layout, the program (its key is the
 * draw's) and the vertex attributes stay as they were.  A serial names one
 * context's state: the layout's pointers into its elements stay good. */
typedef struct gl_ff_reuse {
    bool valid;
    uint64_t serial;
    bool points;
    uint8_t wrap_prim; /* the draw's gl_wrap_key.prim */
    gl_layout l;
    gl_program *prog;
    uint64_t gl_seq; /* b->gl_seq at the end of the draw */
} gl_ff_reuse;

#define GLB_PROGRAM_CACHE 1024u /* slots (power of two) */
/* A CLEAR whose union has at least this many rectangles draws them as
 * quads instead of a scissored glClear each (docs/gl.md "CLEAR");
 * vgt_gl_options.clear_draw_min overrides it */
#define GLB_CLEAR_DRAW_MIN 8u
/* ... except the rectangles of at least this many pixels: a scissored
 * glClear each (llvmpipe clears faster than it draws, and an image has at
 * most its pixels / this of them) */
#define GLB_CLEAR_SCISSOR_AREA 16384u
/* The rectangles of one draw call of a CLEAR (16 bytes each) */
#define GLB_CLEAR_BATCH 4096u
/* Past this many small rectangles, the rest of a CLEAR's image is drawn
 * through a byte mask of the image (gl_clear.c start_mask) */
#define GLB_CLEAR_MASK_MIN 16384u
#define GLB_ERROR_TEXT     400

typedef struct gl_state_cache {
    bool valid;
    /* Whether the parameters of a state that is set only while it is
     * enabled (the depth func and mask, the stencil funcs, ops and masks,
     * the blend factors, equations and colour, the culled face, the
     * polygon offset) are GL's: a draw with the state off marks the cache
     * valid without setting them, and after an invalidation (a clear sets
     * GL's depth and stencil masks) the zeroed fields can equal a draw's
     * value while GL holds another (GL_FALSE, a stencil write mask 0). */
    bool depth_known, stencil_known, blend_known, cull_known, offset_known;
    GLuint program, index_buf; /* index_buf: GL_ELEMENT_ARRAY_BUFFER of the VAO */
    bool blend, depth_test, stencil_test, cull, scissor, depth_clamp, poly_offset;
    GLenum cull_face, front_face, depth_func, polygon_mode;
    GLboolean depth_mask;
    GLenum blend_src, blend_dst, blend_src_a, blend_dst_a, blend_eq, blend_eq_a;
    uint32_t blend_color;
    uint8_t color_mask[GLB_MAX_TARGETS]; /* per draw buffer */
    bool blend_per_target;               /* some draw buffer has its own blend function */
    GLint viewport[4], scissor_box[4];
    float depth_range[2];
    float offset_factor, offset_units;
    uint32_t clip_enabled;
    GLenum stencil_func[2], stencil_fail[2], stencil_zfail[2], stencil_pass[2];
    GLint stencil_ref;
    GLuint stencil_mask, stencil_write_mask;
    GLuint draw_fbo_color[GLB_MAX_TARGETS], draw_fbo_depth; /* texture names attached */
    uint32_t draw_fbo_color_key[GLB_MAX_TARGETS], draw_fbo_depth_key;
    GLuint tex[GLB_MAX_STAGES];
    GLenum tex_target[GLB_MAX_STAGES];
    uint8_t active_unit;
} gl_state_cache;

/* The vertex layout last given to the VAO. */
typedef struct gl_attrib {
    GLuint buf;
    uint32_t offset, stride, type;
    uint32_t divisor; /* glVertexAttribDivisor, tracked apart: the VAO keeps it while disabled */
    bool on;
} gl_attrib;

/* Attribute locations: fixed function 0 pos, 1 normal, 2 color0, 3 color1,
 * 4 psize, 5..12 texcoord0..7; shaders v0..v15. */
#define GLB_ATTRIBS 16

typedef struct gl_sampler_state {
    GLint wrap[3], min, mag;
    float lod_bias, border[4], aniso;
    bool valid;
} gl_sampler_state;

typedef struct gl_backend {
    uint64_t id;     /* unique in the process (gl_new_backend_id) */
    uint64_t gl_seq; /* +1 per gl_make_current: every backend operation, any other GL use */
    vgt_gl_options opt;
    vgt_gl_info info;
    vgt_gl_counters n;

    EGLDisplay dpy;
    EGLContext ctx;
    EGLSurface surf; /* pbuffer or window; EGL_NO_SURFACE when surfaceless */
    void *xdpy;      /* Display * */
    unsigned long xwin;
    uint32_t win_w, win_h;
    bool win_sized; /* resized to the first image shown */
    GLuint win_tex; /* the image shown in the window (gl_show_image) */
    uint32_t win_tex_w, win_tex_h;

    GLuint draw_fbo, read_fbo, aux_fbo;
    bool blend_indexed;    /* glBlendFuncSeparatei (GL 4.0 / ARB_draw_buffers_blend) */
    GLint max_viewport[2]; /* GL_MAX_VIEWPORT_DIMS: bounds the points' guard band */
    GLuint vao;
    gl_attrib attribs[GLB_ATTRIBS];
    gl_query *active_query;
    gl_probe probe;
    GLuint samplers[GLB_MAX_STAGES];
    gl_sampler_state sampler_state[GLB_MAX_STAGES];
    GLuint pbo;
    size_t pbo_size;
    /* the vertex stream frequency's per-vertex copies of divided elements
     * (gl_draw.c bind_vs_attribs): a scratch buffer, named by freq_surf */
    GLuint freq_buf;
    gl_surface freq_surf;
    GLuint timer_query;
    bool timer_active;

    gl_program *programs; /* GLB_PROGRAM_CACHE slots */

    gl_program *ff_last;  /* the program of the last fixed-function draw (or NULL) */
    gl_ff_reuse ff_reuse; /* gl_draw.c; valid only while nothing else moved GL state */
    gl_ff_uniforms ff_u;  /* the uniforms of the last fixed-function draw */
    gl_vp_cache vp_cache;
    struct gl_sprog *sprogs; /* linked vs+ps programs (gl_shader.c), a list */
    uint32_t program_count;
    gl_state_cache sc;
    bool fb_srgb; /* GL_FRAMEBUFFER_SRGB as last set (GL's default: off) */

    uint8_t *scratch;
    size_t scratch_cap;

    /* CLEAR (gl_clear.c): the union of the rects, the rectangles queued
     * for a draw, and the program that draws them as quads */
    vgt_rect_union clear_union;
    vgt_pixel_box clear_batch[GLB_CLEAR_BATCH];
    GLuint clear_prog, clear_vao, clear_buf, clear_mask_tex;
    bool clear_prog_failed;
    GLint clear_size_loc, clear_color_loc, clear_depth_loc, clear_masked_loc;
    uint8_t *clear_mask; /* a byte a pixel of the image (gl_clear.c start_mask) */
    size_t clear_mask_cap;

    /* KHR_debug: the first error reported since the last check */
    bool debug_error;
    GLenum debug_type;
    char debug_text[GLB_ERROR_TEXT];
    const char *op; /* the operation running (for messages) */

    /* Testing (VGT_GL_INJECT_ERROR=OP[:N], docs/gl.md): the Nth operation
     * named OP raises a real GL error at its start and runs on. */
    char inject_op[32];
    uint32_t inject_nth, inject_seen;
} gl_backend;

/* The anisotropy the caps report and samplers are clamped to: the driver's
 * GL_MAX_TEXTURE_MAX_ANISOTROPY, at most 16 (the soft backend's and SVGA3D
 * hosts' value), 1 without the extension. */
static inline uint32_t gl_aniso_max(const gl_backend *b)
{
    float m = b->info.max_anisotropy;
    return m >= 16.0f ? 16u : (m >= 1.0f ? (uint32_t)m : 1u);
}

/* ---- gl_context.c ---------------------------------------------------------- */

vgt_status gl_context_create(gl_backend *b, vgt_error *err);
void gl_context_destroy(gl_backend *b);
/* vgt_backend_ops.show_image: shows `img` (0xAARRGGBB, top row first) in the
 * window and swaps; does nothing without a window. */
vgt_status gl_show_image(void *self, const vgt_image *img, vgt_error *err);
/* A new backend id (never 0, never reused). */
uint64_t gl_new_backend_id(void);
/* Makes the context current on the calling thread (the executor may call
 * from a thread other than the creator's); false when it is current on
 * another thread.  Remembers per thread which backend's context it made
 * current and then trusts that without asking EGL: code that changes the
 * thread's context behind the backend's back must call gl_forget_current
 * (vgt_backend_gl_make_current does). */
bool gl_make_current(gl_backend *b);
/* Forgets which context the calling thread has current. */
void gl_forget_current(void);
/* Releases the calling thread's context (eglMakeCurrent of none). */
void gl_release_current(gl_backend *b);
/* Starts an operation: makes the context current (VGT_E_STATE when it
 * cannot), clears pending GL errors and names the op. */
vgt_status gl_op_begin(gl_backend *b, const char *op, vgt_error *err);
/* Ends an operation: when a GL error happened, fills err (naming the op and
 * `what`) and returns its VGT_E_* code; else returns rc unchanged. */
vgt_status gl_op_end(gl_backend *b, vgt_status rc, vgt_error *err, const char *what_fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A D3DCOLOR (0xAARRGGBB) as r, g, b, a in [0, 1]. */
static inline void gl_d3dcolor(uint32_t c, float out[4])
{
    out[0] = (float)((c >> 16) & 0xff) / 255.0f;
    out[1] = (float)((c >> 8) & 0xff) / 255.0f;
    out[2] = (float)(c & 0xff) / 255.0f;
    out[3] = (float)(c >> 24) / 255.0f;
}

/* Before a read of a texture's texels into memory (a readback, a probe's
 * texel): waits for the rendering issued before it.  GL orders the read
 * after it, but llvmpipe (Mesa 22.3) has been seen to return texels from
 * before a glClearBufferfv issued just before, and not every time: `vgt
 * pixel` of deferred's second G-buffer target read the old colour after
 * its CLEAR in 5 of 6 runs, and a draw later the probe's texel read in 1
 * of 8.  A glFlush after the clear did not help; glFinish does.  The read
 * waits for the same work anyway (its buffer is mapped at once). */
static inline void gl_read_barrier(void)
{
    glFinish();
}

/* A scratch buffer of at least n bytes (owned by the backend). */
uint8_t *gl_scratch(gl_backend *b, size_t n);

/* ---- gl_probe.c ------------------------------------------------------------ */

/* vgt_backend_ops.fragment_probe / fragment_take. */
void gl_fragment_probe(void *self, const vgt_backend_view *target, uint32_t x, uint32_t y);
uint32_t gl_fragment_take(void *self, vgt_backend_fragment *out, uint32_t cap, uint64_t *dropped);
/* Frees the probe's GL objects and memory (the context current). */
void gl_probe_destroy(gl_backend *b);
/* The draw's program as the probe sees it (gl_shader.h). */
typedef struct gl_probe_prog gl_probe_prog;
/* Issues the ranges of a draw whose state is applied, recording the
 * fragments at the probed pixel when the probed image is a colour target
 * or the depth/stencil buffer; pp: the draw's program (its variants). */
void gl_probe_draw(gl_backend *b, const vgt_backend_draw_state *st,
                   const vgt_backend_draw_range *ranges, uint32_t count,
                   vgt_backend_draw_stats *stats, gl_probe_prog *pp);
/* Records a CLEAR of the probed image that covers the pixel. */
void gl_probe_clear(gl_backend *b, const vgt_backend_draw_state *t, uint32_t flags, uint32_t color,
                    const vgt_svga3d_rect *rects, uint32_t count);
/* gl_draw.c: the probe's draw of range r (state applied): one instance
 * (the one gl_probe_instance_attribs chose), or with fan_buf, the
 * fan_count 32-bit indices there as a triangle fan (r's base vertex). */
void gl_issue_probe(gl_backend *b, const vgt_backend_draw_state *st,
                    const vgt_backend_draw_range *r, GLuint fan_buf, uint32_t fan_count);
/* gl_draw.c: points the instance-data attributes of the draw's vertex
 * arrays at instance `instance`'s elements (offset + instance / step *
 * stride), so that a draw of one instance reads that instance's data
 * (GL's base instance would be added after the division, and to stride-0
 * elements too); instance 0 puts them back as the draw set them. */
void gl_probe_instance_attribs(gl_backend *b, uint32_t instance);
/* gl_draw.c: issues the ranges (state applied), no probe. */
void gl_issue_plain(gl_backend *b, const vgt_backend_draw_state *st,
                    const vgt_backend_draw_range *ranges, uint32_t count,
                    vgt_backend_draw_stats *stats);

/* ---- gl_surface.c ---------------------------------------------------------- */

vgt_status gl_surface_define(void *self, const vgt_backend_surface_desc *desc,
                             vgt_backend_surface **out, vgt_error *err);
void gl_surface_destroy(void *self, vgt_backend_surface *s);
vgt_status gl_surface_upload(void *self, vgt_backend_surface *s, uint32_t face, uint32_t mip,
                             const vgt_svga3d_box *box, const uint8_t *src, uint32_t row_pitch,
                             uint64_t slice_pitch, uint32_t dma_flags, vgt_error *err);
vgt_status gl_surface_download(void *self, vgt_backend_surface *s, uint32_t face, uint32_t mip,
                               const vgt_svga3d_box *box, uint8_t *dst, uint32_t row_pitch,
                               uint64_t slice_pitch, vgt_error *err);
vgt_status gl_surface_copy(void *self, const vgt_backend_view *dst, const vgt_backend_view *src,
                           const vgt_svga3d_copy_box *boxes, uint32_t count, vgt_error *err);
vgt_status gl_surface_stretch(void *self, const vgt_backend_view *dst,
                              const vgt_svga3d_box *dst_box, const vgt_backend_view *src,
                              const vgt_svga3d_box *src_box, uint32_t mode, vgt_error *err);
vgt_status gl_generate_mipmaps(void *self, vgt_backend_surface *s, uint32_t filter, vgt_error *err);
vgt_status gl_read_pixels(void *self, const vgt_backend_view *src, const vgt_svga3d_rect *rect,
                          uint8_t *dst, uint32_t dst_pitch, vgt_error *err);
vgt_status gl_read_slice(void *self, const vgt_backend_view *src, uint32_t z,
                         const vgt_svga3d_rect *rect, uint8_t *dst, uint32_t dst_pitch,
                         vgt_error *err);
/* The GL target of one face of a surface (cube faces map to their own). */
GLenum gl_face_target(const gl_surface *s, uint32_t face);
/* The sRGB internal format an sRGB view of `s` has (A8R8G8B8, X8R8G8B8 and
 * DXT1..5, soft's sRGB-read formats), 0 when `s` cannot be read as sRGB. */
GLenum gl_srgb_view_format(const gl_backend *b, const gl_surface *s);
/* The sRGB view of `s` (gl_srgb_view_format must be non-zero), made at the
 * first call; 0 if GL could not make it. */
GLuint gl_surface_srgb_view(gl_backend *b, gl_surface *s);

/* Attaches a view to `fbo` at `attachment` (layer 0 of a volume); _name
 * attaches texture `name` of s's shape (its sRGB view) instead of s->tex. */
void gl_attach_name(GLenum fbo_target, GLenum attachment, const gl_surface *s, GLuint name,
                    uint32_t face, uint32_t mip);
void gl_attach(GLenum fbo_target, GLenum attachment, const gl_surface *s, uint32_t face,
               uint32_t mip);

/* ---- gl_ffp.c -------------------------------------------------------------- */

/* The program for key (compiled on first use); NULL with err filled on failure. */
gl_program *gl_ff_program(gl_backend *b, const gl_ff_key *key, vgt_error *err);
void gl_ff_cache_destroy(gl_backend *b);
/* Writes the GLSL of key's vertex and fragment shaders (tests, docs). */
vgt_status gl_ff_source(const gl_ff_key *key, char **vs, char **fs, vgt_error *err);
/* How many vec4s of gl_ff_uniforms the vertex shader for `key` reads: its
 * ff[] is declared that long. */
uint32_t gl_ff_vs_vec4s(const gl_ff_key *key);

/* ---- gl_draw.c ------------------------------------------------------------- */

vgt_status gl_clear(void *self, const vgt_backend_draw_state *targets, uint32_t flags,
                    uint32_t color, float depth, uint32_t stencil, const vgt_svga3d_rect *rects,
                    uint32_t count, vgt_error *err);
vgt_status gl_draw(void *self, const vgt_backend_draw_state *state,
                   const vgt_backend_draw_range *ranges, uint32_t count,
                   vgt_backend_draw_stats *stats, vgt_error *err);
vgt_status gl_query_create(void *self, uint32_t type, vgt_backend_query **out, vgt_error *err);
void gl_query_destroy(void *self, vgt_backend_query *q);
vgt_status gl_query_begin(void *self, vgt_backend_query *q, vgt_error *err);
vgt_status gl_query_end(void *self, vgt_backend_query *q, uint64_t *result, vgt_error *err);
bool gl_gpu_time(void *self, uint64_t *ns);
/* Forgets the GL state shadow (after code that changes GL state directly). */
void gl_state_invalidate(gl_backend *b);
/* Binds the draw FBO with color[0..ncolor) at COLOR_ATTACHMENT0.. (a view
 * without a surface, and every slot from ncolor to GLB_MAX_TARGETS, is
 * detached and its draw buffer NONE) and depth (may be NULL). */
vgt_status gl_bind_targets(gl_backend *b, const vgt_backend_view *color, uint32_t ncolor,
                           const vgt_backend_view *depth, bool srgb, vgt_error *err);
/* GL_FRAMEBUFFER_SRGB on or off (shadowed in b->fb_srgb). */
void gl_framebuffer_srgb(gl_backend *b, bool on);

/* A growing text buffer for generated GLSL (gl_ffp.c, gl_shader.c).  On
 * allocation failure `oom` is set and later appends do nothing; the owner
 * frees `p`. */
typedef struct gl_sb {
    char *p;
    size_t len, cap;
    bool oom;
} gl_sb;
/* Appends printf-style text to s. */
void gl_sb_add(gl_sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The end of a generated fragment shader over its `vec4 o`, shared by the
 * fixed-function and translated programs: Direct3D's alpha test on the
 * 8-bit alpha (alpha_func 0: none; ref: the GLSL expression of the
 * reference byte), and the write of the GLSL value o to the output dst
 * routed for its target (gl_out_mode); with bl->on, dst is an inout that
 * holds the target's pixel, blended with in the shader (decoded and
 * encoded with srgb); bl->quant rounds the result (gl_blend_key). */
void gl_emit_alpha_test(gl_sb *s, uint8_t alpha_func, const char *ref);
void gl_emit_output(gl_sb *s, const char *dst, const char *o, uint8_t out_mode, bool srgb,
                    const gl_blend_key *bl);
/* The head of a fragment shader ("#version 330 core" and, with bl->on, the
 * framebuffer fetch extension) and the qualifier of its colour outputs
 * ("out" or "inout"). */
void gl_emit_fs_version(gl_sb *s, const gl_blend_key *bl);
const char *gl_output_qualifier(const gl_blend_key *bl);

/* Compiles and links a GLSL program (gl_ffp.c); 0 on failure with the
 * compiler's or linker's message in log.  Needs the context current. */
/* Links vs, gs (NULL: none) and fs; 0 with the compiler's log on failure. */
GLuint gl_link_program(const char *vs_src, const char *gs_src, const char *fs_src, char *log,
                       size_t log_size);
/* gl_wrap.c: when w wraps a texture coordinate varying vertex shader
 * *vs_src writes, *vs_src rewritten for a geometry shader and *gs_src that
 * shader; otherwise *gs_src NULL and *vs_src unchanged. */
vgt_status gl_wrap_sources(const gl_wrap_key *w, char **vs_src, char **gs_src, vgt_error *err);

#endif /* GL_INTERNAL_H */
