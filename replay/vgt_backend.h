/* vgt_backend.h - the rendering backend interface of the executor, and the
 * SVGA3D surface format table shared by the executor and every backend.
 *
 * Part of the replay library's public interface (included by vgt_replay.h).
 *
 * A backend is a table of functions (vgt_backend_ops) plus an opaque `self`
 * pointer.  The executor (the SVGA3D state tracker) validates every command
 * first: ids exist, boxes lie inside their images, formats suit their use,
 * vertex/index ranges lie inside their buffers.  It then calls the backend
 * with host objects and fully resolved state.  A backend may therefore trust
 * every argument it receives, except for what the executor cannot know
 * without reading surface contents: the index VALUES of an indexed draw.  A
 * backend that fetches vertices through indices must bounds-check each fetch
 * (the soft backend does; the null backend fetches nothing).
 *
 * Ownership.  The executor owns the backend it was configured with (it calls
 * destroy).  Host objects (vgt_backend_surface, vgt_backend_shader,
 * vgt_backend_query) are created and owned by the backend; the executor holds
 * the handles and destroys each exactly once, never using one after.
 * Pointers passed into a call (state, boxes, bytes) are borrowed for the
 * call only.  All calls come from one thread at a time.
 *
 * Numbers.  Every enumerated value (formats, render states, primitive types,
 * declaration types, blend ops, ...) is the SVGA3D protocol value from
 * protocol/vgt_svga3d.h, unchanged.
 */
#ifndef VGT_BACKEND_H
#define VGT_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "vgt_base.h"
#include "vgt_protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvgt.so exports every function this header declares and nothing else:
 * its objects are built with -fvisibility=hidden (cmake/vgt_shared.cmake),
 * so a declaration here is the export (test_shared_symbols checks both ways). */
#pragma GCC visibility push(default)

/* ---- surface formats and sizes ----------------------------------------- */

/* What a surface format is. */
typedef struct vgt_surface_format_info {
    uint32_t format;       /* vgt_svga3d_surface_format */
    const char *name;      /* "A8R8G8B8" */
    uint32_t block_width;  /* 4 for DXT, else 1 */
    uint32_t block_height; /* 4 for DXT, else 1 */
    uint32_t block_bytes;  /* bytes per block (per pixel when the block is 1x1) */
    bool color;            /* a color (or luminance/alpha/bump/float) format */
    bool depth;            /* a Z_* format */
    bool stencil;          /* Z_D24S8, Z_D15S1 */
    bool compressed;       /* DXT1..5 */
    bool render_target;    /* may be bound as a color render target */
    bool texture;          /* may be bound to a texture stage */
    bool buffer;           /* BUFFER: vertex/index bytes */
} vgt_surface_format_info;

/* The format's description, or NULL for an id that is not a legacy SVGA3D
 * format (0 and >= VGT_SVGA3D_FORMAT_MAX).  Static, owned by the library. */
const vgt_surface_format_info *vgt_surface_format(uint32_t format);

/* Size of one w x h x d image of `format`, tightly packed: bytes per row of
 * blocks, per slice, and in all.  Fails with VGT_E_RANGE (message naming the
 * format and sizes) on a zero dimension, an unknown format, or when the
 * result does not fit in 64 bits. */
vgt_status vgt_surface_image_size(uint32_t format, uint32_t width, uint32_t height, uint32_t depth,
                                  uint32_t *row_pitch, uint64_t *slice_pitch, uint64_t *bytes,
                                  vgt_error *err);

/* One image (face, mip level) of a surface inside the surface's tightly
 * packed backing: images are stored face-major (face 0's levels first). */
typedef struct vgt_surface_image {
    vgt_svga3d_size size; /* pixels */
    uint32_t row_pitch;   /* bytes per row of blocks */
    uint64_t slice_pitch; /* bytes per slice */
    uint64_t offset;      /* bytes from the start of the backing */
    uint64_t bytes;       /* slice_pitch * depth */
} vgt_surface_image;

/* ---- backend objects ---------------------------------------------------- */

/* Opaque host objects, defined by each backend (the executor never looks
 * inside; backends cast their own types to and from these). */
typedef struct vgt_backend_surface vgt_backend_surface;
typedef struct vgt_backend_shader vgt_backend_shader;
typedef struct vgt_backend_query vgt_backend_query;

/* A surface as the executor defined and validated it. */
typedef struct vgt_backend_surface_desc {
    uint32_t sid;                    /* the guest's id (for messages) */
    uint32_t format;                 /* vgt_svga3d_surface_format */
    uint32_t flags;                  /* VGT_SVGA3D_SURFACE_* */
    uint32_t faces;                  /* 1, or 6 for a cube map */
    uint32_t mip_levels;             /* per face, >= 1; level m is max(1, size >> m) */
    vgt_svga3d_size size;            /* level 0 */
    uint32_t multisample_count;      /* SURFACE_DEFINE_V2, else 0 */
    uint32_t autogen_filter;         /* SURFACE_DEFINE_V2, else 0 */
    uint64_t total_bytes;            /* all images, tightly packed */
    const vgt_surface_image *images; /* faces * mip_levels entries, index face * mip_levels + mip;
                                      * borrowed: valid while the surface lives */
} vgt_backend_surface_desc;

/* One image of a host surface. */
typedef struct vgt_backend_view {
    vgt_backend_surface *surface; /* NULL: nothing bound */
    uint32_t face;
    uint32_t mip;
    uint32_t format;      /* the surface's format */
    vgt_svga3d_size size; /* the image's size */
} vgt_backend_view;

/* ---- capabilities ------------------------------------------------------- */

/* What a backend offers.  The executor turns `devcap` into the caps block
 * the device shows the guest in FIFO memory, and enforces the limits. */
typedef struct vgt_backend_caps {
    uint32_t hw_version;                      /* VGT_SVGA3D_HWVERSION_* */
    bool devcap_valid[VGT_SVGA3D_DEVCAP_MAX]; /* which DEVCAP entries to publish */
    uint32_t devcap[VGT_SVGA3D_DEVCAP_MAX];   /* their values (bits of a float where a
                                               * cap is a float) */
    bool shaders;               /* runs VS/PS bytecode; false: draws with a bound shader
                                 * are rejected with VGT_E_UNSUPPORTED */
    uint32_t max_color_targets; /* 1..VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS */
    uint32_t max_lights;        /* lights enabled at once in a draw */
    uint32_t max_texture_size;  /* width/height of a non-buffer surface */
    uint32_t max_volume_extent; /* depth of a volume */
    uint64_t max_surface_bytes; /* one surface, all images */
    bool no_contents;           /* read_pixels always yields zero pixels (the null backend
                                 * without kept contents): a PRESENT shows zeros without
                                 * reading them */
} vgt_backend_caps;

/* Sets DEVCAP `index` (< VGT_SVGA3D_DEVCAP_MAX) of caps to value. */
void vgt_backend_caps_set(vgt_backend_caps *caps, uint32_t index, uint32_t value);
/* Sets a float DEVCAP (e.g. MAX_POINT_SIZE) by its IEEE-754 bits. */
void vgt_backend_caps_set_float(vgt_backend_caps *caps, uint32_t index, float value);

/* ---- resolved draw state -------------------------------------------------
 * The complete state of one DRAW_PRIMITIVES, in Direct3D 9 terms, built by
 * the executor from the context.  Shaped after the soft backend's
 * vgt_soft_draw_state (same field names and meanings where both have the
 * field), so that backend consumes it through a thin adapter.
 * Matrices: D3D layout m[row][col], row vectors (v' = v * M), exactly the
 * 16 floats of SETTRANSFORM.  Colors named *_color are D3DCOLOR 0xAARRGGBB. */

#define VGT_BACKEND_MAX_STAGES    8u  /* fixed-function texture stages resolved */
#define VGT_BACKEND_MAX_LIGHTS    8u  /* enabled lights resolved per draw */
#define VGT_BACKEND_MAX_ELEMENTS  32u /* = VGT_SVGA3D_MAX_VERTEX_ARRAYS */
#define VGT_BACKEND_VS_FLOAT_REGS 256u
#define VGT_BACKEND_PS_FLOAT_REGS 224u
#define VGT_BACKEND_INT_REGS      16u
#define VGT_BACKEND_BOOL_REGS     16u

typedef struct vgt_backend_matrix {
    float m[4][4];
} vgt_backend_matrix;

typedef struct vgt_backend_color {
    float r, g, b, a;
} vgt_backend_color;

/* A signed rectangle in pixels of the render target. */
typedef struct vgt_backend_rect {
    int32_t x, y;
    uint32_t w, h;
} vgt_backend_rect;

/* One vertex element (an SVGA3D vertex declaration): vertex i's element is at
 * byte offset + i * stride of `buffer` (a BUFFER surface of buffer_bytes). */
typedef struct vgt_backend_element {
    vgt_backend_surface *buffer;
    uint64_t buffer_bytes;
    uint32_t offset;
    uint32_t stride;
    uint32_t type;        /* vgt_svga3d_decl_type */
    uint32_t method;      /* vgt_svga3d_decl_method */
    uint32_t usage;       /* vgt_svga3d_decl_usage */
    uint32_t usage_index; /* COLOR 0/1, TEXCOORD 0..7 */
    uint32_t divisor;     /* divisor word (instancing or stream frequency), 0 when the draw
                           * has none */
} vgt_backend_element;

/* Instances that share one value of an INSTANCE_DATA element (instance i
 * reads the element at offset + (i / step) * stride), or 0 for an element
 * read per vertex.  The executor has checked the divisors (exec3d.c,
 * resolve_instancing): a step is >= 1 and every read lies in the buffer. */
static inline uint32_t vgt_backend_element_instance_step(const vgt_backend_element *e)
{
    if (!(e->divisor & VGT_SVGA3D_DIVISOR_INSTANCE_DATA)) {
        return 0;
    }
    uint32_t k = VGT_SVGA3D_DIVISOR_COUNT(e->divisor);
    return k ? k : 1; /* count 0 advances every instance, as VirtualBox's GL host */
}

typedef struct vgt_backend_light {
    bool enabled;        /* always true in `lights` (disabled lights are not resolved) */
    uint32_t index;      /* the guest's light index */
    uint32_t type;       /* vgt_svga3d_light_type (SPOT1: degrees, SPOT2: radians) */
    bool in_world_space; /* false: position/direction in view space */
    vgt_backend_color diffuse, specular, ambient;
    float position[3];
    float direction[3];
    float range;
    float falloff;
    float attenuation0, attenuation1, attenuation2;
    float theta, phi;
} vgt_backend_light;

typedef struct vgt_backend_material {
    vgt_backend_color diffuse, ambient, specular, emissive;
    float power;
} vgt_backend_material;

/* One fixed-function texture stage (sampler + combiner). */
typedef struct vgt_backend_stage {
    vgt_backend_view texture;             /* surface NULL: nothing bound (mip/face: 0) */
    uint32_t texture_faces, texture_mips; /* the bound surface's shape, 0 when none */
    uint32_t color_op, color_arg0, color_arg1, color_arg2; /* vgt_svga3d_texture_combiner, _arg */
    uint32_t alpha_op, alpha_arg0, alpha_arg1, alpha_arg2;
    uint32_t texcoord_index;                  /* TEXCOORDINDEX */
    uint32_t texcoord_gen;                    /* vgt_svga3d_texcoord_gen */
    uint32_t transform_flags;                 /* TEXTURETRANSFORMFLAGS */
    uint32_t address_u, address_v, address_w; /* vgt_svga3d_texture_address */
    uint32_t border_color;
    uint32_t mag_filter, min_filter, mip_filter; /* vgt_svga3d_texture_filter */
    float lod_bias;
    uint32_t max_mip_level; /* TEXTURE_MIPMAP_LEVEL: most detailed level used */
    uint32_t max_anisotropy;
    float gamma; /* TS GAMMA; <= 0 linear */
    float bump_env_mat[2][2];
    float bump_env_lscale, bump_env_loffset;
    vgt_backend_matrix texture_transform; /* TRANSFORM_TEXTUREn */
} vgt_backend_stage;

/* Where fixed-function stage g's texture coordinate comes from: *set, the
 * coordinate set (TEXCOORDINDEX bits 0..15), and *gen, the generation mode
 * (vgt_svga3d_texcoord_gen, unchecked).  SVGA3D has its own state for the
 * mode (TS TEXCOORDGEN); Direct3D 9 carries it as D3DTSS_TCI_* in
 * TEXCOORDINDEX bits 16..31 (0x10000 camera-space normal, 0x20000 position,
 * 0x30000 reflection vector, 0x40000 sphere map), and VirtualBox hands
 * TEXCOORDINDEX to Direct3D 9 unchanged, so either carries it.  False: a
 * set above 7, unknown TCI bits, or the two naming different modes. */
static inline bool vgt_backend_texcoord_source(const vgt_backend_stage *g, uint32_t *set,
                                               uint32_t *gen)
{
    static const uint32_t from_tci[5] = {
        VGT_SVGA3D_TEXCOORD_GEN_OFF, VGT_SVGA3D_TEXCOORD_GEN_EYE_NORMAL,
        VGT_SVGA3D_TEXCOORD_GEN_EYE_POSITION, VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR,
        VGT_SVGA3D_TEXCOORD_GEN_SPHERE};
    uint32_t index = g->texcoord_index & 0xffffu, tci = g->texcoord_index >> 16;
    if (index >= 8 || tci >= 5) {
        return false;
    }
    uint32_t t = from_tci[tci];
    if (t != VGT_SVGA3D_TEXCOORD_GEN_OFF && g->texcoord_gen != VGT_SVGA3D_TEXCOORD_GEN_OFF &&
        t != g->texcoord_gen) {
        return false;
    }
    *set = index;
    *gen = t != VGT_SVGA3D_TEXCOORD_GEN_OFF ? t : g->texcoord_gen;
    return true;
}

/* Whether stage g's texture coordinate is its set as it is: no generation,
 * and no transform count or only the identity matrix.  In front of a pixel
 * shader both renderers pass the sets as they are and refuse anything
 * else. */
static inline bool vgt_backend_texcoord_is_plain(const vgt_backend_stage *g)
{
    uint32_t set, gen;
    if (!vgt_backend_texcoord_source(g, &set, &gen) || gen != VGT_SVGA3D_TEXCOORD_GEN_OFF) {
        return false;
    }
    const uint32_t counts = VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T |
                            VGT_SVGA3D_TEX_TRANSFORM_R | VGT_SVGA3D_TEX_TRANSFORM_Q;
    if (!(g->transform_flags & counts)) {
        return true;
    }
    for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 4; c++) {
            if (g->texture_transform.m[r][c] != (r == c ? 1.0f : 0.0f)) {
                return false;
            }
        }
    }
    return true;
}

/* How both renderers read an SVGA3D gamma (TS_GAMMA of a stage,
 * RS_OUTPUTGAMMA): 1, 0 and below (and NaN) mean linear (0); 2.2, the
 * value Direct3D 9 drivers set for D3DSAMP_SRGBTEXTURE and
 * D3DRS_SRGBWRITEENABLE, means the IEC 61966-2-1 sRGB curve (1), taken
 * within 0.1 as the float a driver computed; any other power curve is
 * refused (-1) rather than drawn as something else. */
static inline int vgt_backend_gamma_kind(float g)
{
    if (g > 2.1f && g < 2.3f) {
        return 1;
    }
    return g > 0.0f && g != 1.0f ? -1 : 0;
}

typedef struct vgt_backend_draw_state {
    uint32_t cid; /* the context (for messages and per-context backend caches) */
    /* Changes (never repeating) whenever anything here but the matrices
     * (world, view, projection, world_n, the stages' texture_transform) and
     * the shader constants behind the vs_/ps_ pointers changed (the
     * elements included), or a surface the state names may have been
     * replaced; a backend may keep what it derived from a state and reuse
     * it for a later state with the same serial (the same context's state,
     * at the same address).  0: no such promise (a state built by hand). */
    uint64_t serial;

    /* targets */
    vgt_backend_view color_targets[VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS];
    uint32_t color_target_count;     /* 1 + the highest bound slot; 0 when none */
    vgt_backend_view depth_target;   /* surface NULL: none */
    vgt_backend_view stencil_target; /* usually the same image as depth_target */
    vgt_backend_rect viewport;       /* the whole color target when never set */
    float z_min, z_max;              /* SETZRANGE (default 0, 1) */
    bool scissor_enable;
    vgt_backend_rect scissor;

    /* programmable stages (only when the backend's caps say shaders) */
    vgt_backend_shader *vertex_shader; /* NULL: fixed function */
    vgt_backend_shader *pixel_shader;
    uint32_t vertex_shader_id, pixel_shader_id; /* VGT_SVGA3D_INVALID_ID when none */
    const float (*vs_float)[4];                 /* VGT_BACKEND_VS_FLOAT_REGS registers */
    const int32_t (*vs_int)[4];                 /* VGT_BACKEND_INT_REGS */
    const uint32_t *vs_bool;                    /* VGT_BACKEND_BOOL_REGS */
    const float (*ps_float)[4];                 /* VGT_BACKEND_PS_FLOAT_REGS */
    const int32_t (*ps_int)[4];
    const uint32_t *ps_bool;

    /* vertex input */
    vgt_backend_element elements[VGT_BACKEND_MAX_ELEMENTS];
    uint32_t element_count;
    /* every range is drawn this many times (instancing divisors: the
     * INDEXED_DATA count); 1 without divisors (0, from a zeroed state,
     * also means once) */
    uint32_t instance_count;

    /* transforms */
    vgt_backend_matrix world, view, projection;
    vgt_backend_matrix world_n[3]; /* WORLD1..3 (vertex blending) */
    uint32_t vertex_blend;         /* vgt_svga3d_vertex_blend */
    bool indexed_vertex_blend;
    float tween_factor;

    /* rasterizer */
    uint32_t cull_face;         /* vgt_svga3d_face */
    uint32_t front_winding;     /* vgt_svga3d_front_winding */
    uint32_t fill_mode;         /* vgt_svga3d_fill_mode_type */
    uint32_t shade_mode;        /* vgt_svga3d_shade_mode */
    uint32_t clip_plane_enable; /* bit i enables clip_planes[i] */
    float clip_planes[VGT_SVGA3D_MAX_CLIP_PLANES][4];
    bool clipping;
    float depth_bias;
    float slope_scale_depth_bias;
    float point_size, point_size_min, point_size_max;
    bool point_sprite, point_scale;
    float point_scale_a, point_scale_b, point_scale_c;
    bool last_pixel;
    uint32_t line_pattern;
    float line_width;
    bool antialiased_lines, multisample_antialias;
    uint32_t multisample_mask;
    uint32_t coordinate_type; /* vgt_svga3d_coordinate_type */

    /* lighting */
    bool lighting;
    vgt_backend_color ambient;
    bool specular_enable;
    bool normalize_normals;
    bool local_viewer;
    bool color_vertex; /* VERTEXMATERIALENABLE */
    uint32_t diffuse_source, ambient_source, specular_source, emissive_source;
    vgt_backend_material material;      /* front */
    vgt_backend_material back_material; /* SETMATERIAL BACK */
    vgt_backend_light lights[VGT_BACKEND_MAX_LIGHTS];
    uint32_t light_count;

    /* fog */
    bool fog_enable;
    uint32_t fog_function; /* vgt_svga3d_fog_function */
    uint32_t fog_type;     /* vgt_svga3d_fog_type */
    uint32_t fog_base;     /* vgt_svga3d_fog_base */
    bool range_fog;
    uint32_t fog_color;
    float fog_start, fog_end, fog_density;

    /* texture stages */
    vgt_backend_stage stages[VGT_BACKEND_MAX_STAGES];
    uint32_t texture_factor;
    /* RS WRAP0..15: bits 0..3 wrap u, v, w, q of texture coordinate set n
     * (VGT_SVGA3D_WRAPCOORD_ALL; a backend refuses any other bit) */
    uint32_t wrap[VGT_SVGA3D_MAX_TEXTURE_STAGES];

    /* per pixel */
    bool alpha_test;
    uint32_t alpha_func; /* vgt_svga3d_cmp_func */
    float alpha_ref;     /* 0..1 (SVGA3D gives a float; D3D9 a byte: round(ref * 255)) */
    bool dither;

    bool z_enable, z_write;
    uint32_t z_func;

    bool stencil_enable, stencil_two_sided;
    uint32_t stencil_ref, stencil_mask, stencil_write_mask;
    uint32_t stencil_func, stencil_fail, stencil_zfail, stencil_pass;
    uint32_t ccw_stencil_func, ccw_stencil_fail, ccw_stencil_zfail, ccw_stencil_pass;

    bool blend_enable, separate_alpha_blend;
    uint32_t src_blend, dst_blend, blend_eq; /* vgt_svga3d_blend_op, _blend_eq */
    uint32_t src_blend_alpha, dst_blend_alpha, blend_eq_alpha;
    uint32_t blend_color;
    uint32_t color_write_mask[4]; /* COLORWRITEENABLE, 1, 2, 3 (VGT_SVGA3D_COLORMASK_*) */
    float output_gamma;           /* RS OUTPUTGAMMA; <= 0 linear */
    uint32_t transparency_antialias;

    /* Every render state as the guest last set it (VGT_SVGA3D_RS_MAX entries)
     * and every texture stage state of the 16 stages ([stage][name],
     * VGT_SVGA3D_TS_MAX names), for what the resolved fields do not cover. */
    const uint32_t *render_states;
    const uint32_t (*texture_states)[VGT_SVGA3D_TS_MAX];
} vgt_backend_draw_state;

/* One primitive range of a DRAW_PRIMITIVES, validated: index reads
 * [index_offset, index_offset + index_count * index_width) lie inside the
 * index buffer; for a non-indexed range every element's vertices
 * first_vertex .. first_vertex + vertex_count - 1 (a divided element's:
 * vgt_backend_divided_element of each) lie inside their buffers. */
typedef struct vgt_backend_draw_range {
    uint32_t primitive_type; /* vgt_svga3d_primitive_type */
    uint32_t primitive_count;
    uint32_t vertex_count;             /* vertices (or indices) the primitives consume */
    vgt_backend_surface *index_buffer; /* NULL: non-indexed */
    uint64_t index_buffer_bytes;
    uint32_t index_offset; /* bytes */
    uint32_t index_width;  /* 2 or 4 */
    int32_t index_bias;    /* added to every index; non-indexed: the first vertex (>= 0) */
    /* Direct3D 9's vertex stream frequency applies to this range: it is not
     * indexed, a vs_3_0 shader draws it and an element has a divisor count
     * k > 1 without INDEXED_DATA or INSTANCE_DATA (exec3d.c check_range;
     * ignored for indexed ranges, fixed function and vs_1/vs_2, as D3D9
     * ignores it).  Such an element is read every k vertices:
     * vgt_backend_element_vertex_step. */
    bool stream_frequency;
} vgt_backend_draw_range;

/* The vertices of range r that share one value of element e (Direct3D 9's
 * vertex stream frequency), or 0 for an element read per vertex as usual.
 * Vertex i of the range (counted from its first vertex, 0-based) reads
 * element first / k + i / k, first being r->index_bias: the driver's rule
 * of Microsoft's "Modifying Vertex Stream Frequency" (the start vertex is
 * divided on its own).  The executor has checked that the last one lies in
 * the buffer. */
static inline uint32_t vgt_backend_element_vertex_step(const vgt_backend_element *e,
                                                       const vgt_backend_draw_range *r)
{
    if (!r->stream_frequency ||
        (e->divisor & (VGT_SVGA3D_DIVISOR_INDEXED_DATA | VGT_SVGA3D_DIVISOR_INSTANCE_DATA))) {
        return 0;
    }
    uint32_t k = VGT_SVGA3D_DIVISOR_COUNT(e->divisor);
    return k > 1 ? k : 0;
}

/* The element vertex i of range r reads when the element's vertex step is
 * k > 0 (vgt_backend_element_vertex_step). */
static inline uint64_t vgt_backend_divided_element(const vgt_backend_draw_range *r, uint32_t k,
                                                   uint64_t i)
{
    return (uint64_t)(uint32_t)r->index_bias / k + i / k;
}

/* What a draw did (occlusion queries use pixels_passed). */
typedef struct vgt_backend_draw_stats {
    uint64_t primitives;
    uint64_t pixels_passed;
} vgt_backend_draw_stats;

/* One fragment a draw rasterized at the probed pixel (fragment_probe):
 * what only the rasterizer knows, for vgt pixel.  Fates in the order
 * Direct3D 9 applies the tests. */
typedef enum vgt_backend_fate {
    VGT_BACKEND_FATE_WRITTEN = 0,  /* passed every test, blended and written */
    VGT_BACKEND_FATE_SCISSOR,      /* outside the scissor rectangle */
    VGT_BACKEND_FATE_ALPHA,        /* rejected by the alpha test */
    VGT_BACKEND_FATE_STENCIL,      /* rejected by the stencil test */
    VGT_BACKEND_FATE_DEPTH,        /* rejected by the depth test */
    VGT_BACKEND_FATE_MASKED,       /* passed; COLORWRITEENABLE 0 wrote nothing */
    VGT_BACKEND_FATE_TEXKILL,      /* discarded by the pixel shader (texkill) */
    VGT_BACKEND_FATE_CULLED_BACK,  /* a back face culled (CULLMODE), never rasterized */
    VGT_BACKEND_FATE_CULLED_FRONT, /* a front face culled */
    VGT_BACKEND_FATE_CLEARED,      /* a CLEAR wrote the pixel (clear_flags) */
    VGT_BACKEND_FATE_PASSED,       /* on a depth/stencil target: passed every test */
    VGT_BACKEND_FATE_CLIPPED,      /* removed by clipping there: its footprint covering, no piece */
} vgt_backend_fate;

/* A CLIPPED fragment's clip_planes: user plane i is bit i (as
 * CLIPPLANEENABLE), then the near and far planes. */
#define VGT_BACKEND_CLIP_PLANE(i) (1u << (i))
#define VGT_BACKEND_CLIP_NEAR     (1u << 6)
#define VGT_BACKEND_CLIP_FAR      (1u << 7)

typedef struct vgt_backend_fragment {
    uint32_t range, instance; /* of the DRAW_PRIMITIVES */
    uint32_t primitive;       /* index of the primitive in the range */
    uint32_t fate;            /* vgt_backend_fate */
    bool shaded;              /* color is set (not for SCISSOR) */
    float color[4];           /* r, g, b, a before blending */
    float z;                  /* the fragment's depth, [0, 1] */
    bool has_depth;           /* a depth target: z_quant, z_buffer set */
    uint32_t z_quant;         /* z as the depth format stores it */
    uint32_t z_buffer;        /* the depth buffer's value before it */
    /* the stencil op taken: 0 none, 1 STENCILFAIL, 2 STENCILZFAIL,
     * 3 STENCILPASS; stencil_op its vgt_svga3d_stencil_op */
    uint32_t stencil_path, stencil_op;
    uint32_t stencil_before, stencil_after;
    bool has_after;      /* WRITTEN: after holds the pixel after blending */
    float after[4];      /* r, g, b, a */
    uint32_t target;     /* the colour target (0..3) the followed image is bound at */
    bool shader;         /* color is the pixel shader's output oC<target> */
    bool z_written;      /* z is the pixel shader's oDepth */
    uint32_t write_mask; /* the target's COLORWRITEENABLE mask */
    bool blend;          /* ALPHABLENDENABLE was on */
    /* CLEARED: the VGT_SVGA3D_CLEAR_* parts of the image written: color
     * (COLOR; after the stored pixel), z and z_quant (DEPTH),
     * stencil_after (STENCIL) */
    uint32_t clear_flags;
    /* the followed image is the draw's depth/stencil target: shaded is
     * false (the colour goes elsewhere), target/write_mask/blend are 0 */
    bool depth_target;
    bool z_write;     /* the draw writes depth (ZENABLE and ZWRITEENABLE) */
    uint32_t z_after; /* has_depth, tested: the depth buffer's value after it */
    /* z not recorded: the gl backend learns a fragment's depth by drawing
     * it into a depth buffer and reading it back, so one never rasterized
     * (culled, clipped, scissored) or whose depth draw GL refused has none */
    bool z_unknown;
    /* CLIPPED: the planes (VGT_BACKEND_CLIP_*) each of which alone removes
     * the pixel's point of the primitive; 0 on gl where none alone does
     * (soft names every plane that cut the primitive there) */
    uint32_t clip_planes;
} vgt_backend_fragment;

#define VGT_BACKEND_FRAGMENTS_MAX 256 /* kept per take; more are counted */

/* fragment_take's body for a backend holding its fragments in held[0..
 * *count) with *held_dropped more counted: moves at most cap into out,
 * sets *dropped (the counted ones and those past cap) and empties the
 * hold.  Returns how many were moved. */
static inline uint32_t vgt_backend_fragments_move(vgt_backend_fragment *out, uint32_t cap,
                                                  const vgt_backend_fragment *held, uint32_t *count,
                                                  uint64_t *held_dropped, uint64_t *dropped)
{
    uint32_t n = *count < cap ? *count : cap;
    if (n) {
        memcpy(out, held, (size_t)n * sizeof(*out));
    }
    *dropped = *held_dropped + (*count - n);
    *count = 0;
    *held_dropped = 0;
    return n;
}

/* ---- the interface ------------------------------------------------------ */

/* Every function gets the backend's `self`.  Unless marked optional, a
 * function must be present.  A failing function returns a VGT_E_* code and
 * fills err, and must leave the host object as it was. */
typedef struct vgt_backend_ops {
    const char *name; /* "null", "soft", "gl" */

    /* Frees everything the backend owns (all host objects still alive). */
    void (*destroy)(void *self);
    /* Fills *caps (zeroed by the caller). */
    void (*get_caps)(void *self, vgt_backend_caps *caps);

    /* Creates the host surface for desc (contents zero). */
    vgt_status (*surface_define)(void *self, const vgt_backend_surface_desc *desc,
                                 vgt_backend_surface **out, vgt_error *err);
    void (*surface_destroy)(void *self, vgt_backend_surface *s);
    /* SURFACE_DMA to the host: box of image (face, mip) from linear memory
     * `src` (rows of blocks row_pitch bytes apart, slices slice_pitch apart).
     * dma_flags: VGT_SVGA3D_DMA_FLAG_* of the suffix (hints). */
    vgt_status (*surface_upload)(void *self, vgt_backend_surface *s, uint32_t face, uint32_t mip,
                                 const vgt_svga3d_box *box, const uint8_t *src, uint32_t row_pitch,
                                 uint64_t slice_pitch, uint32_t dma_flags, vgt_error *err);
    /* SURFACE_DMA from the host: the reverse, into `dst`. */
    vgt_status (*surface_download)(void *self, vgt_backend_surface *s, uint32_t face, uint32_t mip,
                                   const vgt_svga3d_box *box, uint8_t *dst, uint32_t row_pitch,
                                   uint64_t slice_pitch, vgt_error *err);
    /* SURFACE_COPY: boxes (destination box, source origin) between images of
     * formats with the same block size; src and dst may be the same image. */
    vgt_status (*surface_copy)(void *self, const vgt_backend_view *dst, const vgt_backend_view *src,
                               const vgt_svga3d_copy_box *boxes, uint32_t count, vgt_error *err);
    /* SURFACE_STRETCHBLT: src_box of src scaled onto dst_box of dst;
     * mode: vgt_svga3d_stretch_blt_mode. */
    vgt_status (*surface_stretch)(void *self, const vgt_backend_view *dst,
                                  const vgt_svga3d_box *dst_box, const vgt_backend_view *src,
                                  const vgt_svga3d_box *src_box, uint32_t mode, vgt_error *err);
    /* GENERATE_MIPMAPS: levels 1.. of every face from level 0. */
    vgt_status (*generate_mipmaps)(void *self, vgt_backend_surface *s, uint32_t filter,
                                   vgt_error *err);
    /* CLEAR: rects (count 0: whole images) of the bound targets; flags
     * VGT_SVGA3D_CLEAR_*; targets whose flag is not set may be NULL views. */
    vgt_status (*clear)(void *self, const vgt_backend_draw_state *targets, uint32_t flags,
                        uint32_t color, float depth, uint32_t stencil, const vgt_svga3d_rect *rects,
                        uint32_t count, vgt_error *err);
    /* DRAW_PRIMITIVES: all ranges with one state; stats (may be NULL) summed. */
    vgt_status (*draw)(void *self, const vgt_backend_draw_state *state,
                       const vgt_backend_draw_range *ranges, uint32_t count,
                       vgt_backend_draw_stats *stats, vgt_error *err);
    /* PRESENT / BLIT_SURFACE_TO_SCREEN: reads `rect` of a color image as
     * 0xAARRGGBB pixels (little-endian words) into dst, rows dst_pitch apart. */
    vgt_status (*read_pixels)(void *self, const vgt_backend_view *src, const vgt_svga3d_rect *rect,
                              uint8_t *dst, uint32_t dst_pitch, vgt_error *err);
    /* The same read of slice z (< the image's depth) of a volume's image
     * (optional: NULL for a backend that reads slice 0 only, through
     * read_pixels).  vgt replay --dump-at pictures every slice with it. */
    vgt_status (*read_slice)(void *self, const vgt_backend_view *src, uint32_t z,
                             const vgt_svga3d_rect *rect, uint8_t *dst, uint32_t dst_pitch,
                             vgt_error *err);

    /* SHADER_DEFINE: the bytecode (type vgt_svga3d_shader_type) is borrowed;
     * a backend without shaders may return a NULL handle with VGT_OK. */
    vgt_status (*shader_define)(void *self, uint32_t type, const uint32_t *bytecode, uint32_t words,
                                vgt_backend_shader **out, vgt_error *err);
    void (*shader_destroy)(void *self, vgt_backend_shader *sh);

    /* Queries (optional: all four NULL means the executor answers occlusion
     * queries by summing vgt_backend_draw_stats.pixels_passed). */
    vgt_status (*query_create)(void *self, uint32_t type, vgt_backend_query **out, vgt_error *err);
    void (*query_destroy)(void *self, vgt_backend_query *q);
    vgt_status (*query_begin)(void *self, vgt_backend_query *q, vgt_error *err);
    /* Ends q and waits for its result. */
    vgt_status (*query_end)(void *self, vgt_backend_query *q, uint64_t *result, vgt_error *err);

    /* Timing hooks for the analyzer (optional, NULL when unavailable): GPU
     * nanoseconds spent by the work submitted since the previous call; false
     * while the figure is not available. */
    bool (*gpu_time)(void *self, uint64_t *ns);
    /* Waits until all work submitted so far has completed (optional, NULL
     * for a backend whose calls finish their work before returning: null,
     * soft).  The analyzer calls it after every backend call of an
     * asynchronous backend (gl: glFinish), in the timed replays and the
     * native re-issue alike, so both pay the GPU work at the same points. */
    void (*finish)(void *self);
    /* Shows `img` (the host display as composed at a frame end: screens and
     * cursor, 0xAARRGGBB pixels, top row first) in the backend's window
     * (optional: NULL for a backend without one; gl without a window does
     * nothing).  The replayer calls it at every frame end with a composed
     * image when it replays into a window. */
    vgt_status (*show_image)(void *self, const vgt_image *img, vgt_error *err);
    /* The fragment probe (optional: NULL for a backend that cannot record
     * fragments: null; gl rebuilds them from occlusion queries, docs/gl.md).  Records every
     * fragment later draws rasterize at pixel (x, y) of `target` (NULL: stops), dropping any not
     * taken. Off by default. */
    void (*fragment_probe)(void *self, const vgt_backend_view *target, uint32_t x, uint32_t y);
    /* Moves the fragments recorded since the last take (at most cap, in
     * draw order) into out; *dropped: how many more there were.  Returns
     * the count. */
    uint32_t (*fragment_take)(void *self, vgt_backend_fragment *out, uint32_t cap,
                              uint64_t *dropped);
} vgt_backend_ops;

/* A backend: its functions and its state. */
typedef struct vgt_backend {
    const vgt_backend_ops *ops;
    void *self;
} vgt_backend;

/* The backends a build knows. */
typedef enum vgt_backend_kind {
    VGT_BACKEND_NULL = 0,
    VGT_BACKEND_SOFT = 1,
    VGT_BACKEND_GL = 2,
} vgt_backend_kind;

/* "null", "soft", "gl". */
const char *vgt_backend_kind_name(vgt_backend_kind kind);
/* Parses "null"/"soft"/"gl"; false for anything else. */
bool vgt_backend_kind_parse(const char *name, vgt_backend_kind *out);

/* Options of vgt_backend_create (zero = defaults). */
typedef struct vgt_backend_options {
    bool keep_contents; /* null: keep surface bytes so DMA reads return what was written */
    bool window;        /* gl: render into an X11 window (needs DISPLAY) instead of headless */
} vgt_backend_options;

/* Creates a backend of `kind` into *out (the caller owns it: destroy with
 * vgt_backend_destroy).  VGT_E_UNSUPPORTED, saying so, for a kind this build
 * does not have yet (soft and gl). */
vgt_status vgt_backend_create(vgt_backend_kind kind, const vgt_backend_options *opt,
                              vgt_backend *out, vgt_error *err);
/* Destroys a backend made by vgt_backend_create (a zeroed one is fine). */
void vgt_backend_destroy(vgt_backend *be);

/* ---- the null backend ----------------------------------------------------
 * Accepts everything the executor validated and renders nothing: clears,
 * draws, stretch blits and mipmap generation leave contents unchanged (and
 * are counted).  With keep_contents it stores surface bytes, so uploads,
 * downloads, SURFACE_COPY and read_pixels (32-bit color formats) move real
 * bytes; without it, it allocates nothing per surface and reads return
 * zeros.  Shaders are accepted (validated by the executor) and run
 * nowhere.  The reference for measuring pure virtualization cost: as cheap
 * as it can be. */

/* What the null backend was asked to do. */
typedef struct vgt_backend_null_counters {
    uint64_t surfaces_defined, surfaces_destroyed, surfaces_alive;
    uint64_t uploads, upload_bytes;
    uint64_t downloads, download_bytes;
    uint64_t copies, stretches, mipmap_generations;
    uint64_t clears, draws, draw_ranges, primitives;
    uint64_t reads, read_pixels; /* read_pixels calls, pixels read */
    uint64_t shaders_defined, shaders_alive;
} vgt_backend_null_counters;

/* Creates a null backend into *out. */
vgt_status vgt_backend_null_create(const vgt_backend_options *opt, vgt_backend *out,
                                   vgt_error *err);
/* Copies the counters of a null backend; VGT_E_INVALID if be is another kind. */
vgt_status vgt_backend_null_counters_get(const vgt_backend *be, vgt_backend_null_counters *out);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* VGT_BACKEND_H */
