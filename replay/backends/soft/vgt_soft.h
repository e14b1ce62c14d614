/* vgt_soft.h - the software reference renderer: host surfaces in CPU memory
 * and a Direct3D 9 fixed-function pipeline that draws into them.
 *
 * The soft backend is the project's reference: its output is deterministic
 * and bit-exact from run to run, from 1 to N threads, and from machine to
 * machine (IEEE single precision, no FMA contraction, no libm
 * transcendental functions, fixed band partitioning).
 *
 * The interface is a "resolved draw": the executor (state tracker) owns the
 * SVGA3D contexts and hands this library the complete state of one draw in
 * one struct (vgt_soft_draw_state) plus the primitive range
 * (vgt_soft_draw_call).  The library keeps no per-context state.
 *
 * Numeric values.  Every enumerated state value is the SVGA3D protocol
 * value under its protocol/vgt_svga3d.h name (VGT_SVGA3D_*), so the
 * executor passes protocol values through unchanged.  NOTE: SVGA3D follows
 * Direct3D 9 for most values (compare functions, stencil ops, blend factors
 * up to SRCALPHASAT, blend equations, fill/shade modes, declaration types
 * and usages, texture address and filter modes) but NOT for primitive
 * types, cull modes (SVGA3D: face + front winding), texture stage ops,
 * texture arguments and argument modifiers, blend factors
 * BLENDFACTOR/INVBLENDFACTOR and light types: those are SVGA3D's numbers,
 * not D3D9's.
 *
 * Ownership: a vgt_soft_device owns its worker threads; a vgt_soft_surface
 * owns its pixel memory.  Surfaces are not tied to a device.  Calls on one
 * device, and calls touching one surface, must not run concurrently. */
#ifndef VGT_SOFT_H
#define VGT_SOFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vgt_base.h"
#include "vgt_protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- soft-specific values ------------------------------------------------
 * Every enumerated state value is the SVGA3D protocol value, by its name in
 * protocol/vgt_svga3d.h (VGT_SVGA3D_*).  What SVGA3D does not have: */

/* fog_function: no fog (= VGT_SVGA3D_FOGFUNC_INVALID). */
#define VGT_SOFT_FOG_NONE 0u
/* A texture argument's source bits (= VGT_SVGA3D_TA_SOURCE()), and the
 * TEMP source (D3DTA_TEMP: SVGA3D has no temporary register; reached only
 * through vgt_soft_stage.result_to_temp). */
#define VGT_SOFT_TA_SELECT_MASK 0x0fu
#define VGT_SOFT_TA_TEMP        6u
/* All four color write mask bits (VGT_SVGA3D_COLORMASK_*). */
#define VGT_SOFT_WRITE_ALL 0x0fu

/* ---- limits ------------------------------------------------------------ */

#define VGT_SOFT_MAX_DIMENSION     16384u /* width, height and depth */
#define VGT_SOFT_MAX_MIPS          15u    /* log2(16384) + 1 */
#define VGT_SOFT_MAX_FACES         6u     /* 1, or 6 for a cube map */
#define VGT_SOFT_MAX_SURFACE_BYTES (1ull << 30)
#define VGT_SOFT_MAX_BUFFER_BYTES  (1ull << 30) /* BUFFER: width may exceed MAX_DIMENSION */
#define VGT_SOFT_MAX_STAGES        8u
#define VGT_SOFT_MAX_WRAP          16u /* RS WRAP0..15: texture coordinate sets */
#define VGT_SOFT_MAX_COLOR_TARGETS 4u  /* COLOR0..COLOR3 (Direct3D 9 MRT) */
#define VGT_SOFT_MAX_LIGHTS        8u
#define VGT_SOFT_MAX_CLIP_PLANES   6u
#define VGT_SOFT_MAX_ANISOTROPY    16u /* probes of an anisotropic sample (the caps' value) */
#define VGT_SOFT_MAX_ELEMENTS      16u
#define VGT_SOFT_MAX_PRIMITIVES    (1u << 24) /* per draw call */
#define VGT_SOFT_GUARD_BAND        8192.0f    /* pixels beyond the render target */

/* ---- formats ----------------------------------------------------------- */

/* What the library knows about a format. */
typedef struct vgt_soft_format_info {
    uint32_t format;
    const char *name;     /* "A8R8G8B8" */
    uint32_t block_width; /* 4 for DXT, else 1 */
    uint32_t block_height;
    uint32_t block_bytes; /* bytes per block (per pixel when block is 1x1) */
    bool depth;           /* Z_* formats */
    bool stencil;         /* Z_D24S8 */
    bool compressed;      /* DXT*: never a render target */
    bool renderable;      /* may be a color render target */
    bool samplable;       /* may be bound to a texture stage */
    bool bump;            /* a signed bump format (docs/soft.md "Bump formats") */
} vgt_soft_format_info;

/* Fills *out for a supported format; VGT_E_UNSUPPORTED names the format id otherwise. */
vgt_status vgt_soft_format_query(uint32_t format, vgt_soft_format_info *out, vgt_error *err);

/* Size of one w x h x d image of `format`: bytes per row of blocks and total
 * bytes, tightly packed.  Fails with VGT_E_RANGE on overflow or a zero or
 * too large dimension. */
vgt_status vgt_soft_image_size(uint32_t format, uint32_t width, uint32_t height, uint32_t depth,
                               uint64_t *row_pitch, uint64_t *image_bytes, vgt_error *err);

/* ---- surfaces ---------------------------------------------------------- */

typedef struct vgt_soft_surface vgt_soft_surface;

/* A surface's shape.  Mip level m of every face is max(1, size >> m). */
typedef struct vgt_soft_surface_desc {
    uint32_t format;
    uint32_t width, height, depth; /* depth 1 unless a volume */
    uint32_t faces;                /* 1, or 6 (cube map, faces in SVGA3dCubeFace order) */
    uint32_t mip_levels;           /* >= 1 */
} vgt_soft_surface_desc;

/* One image of a surface: what a render target, texture or copy refers to. */
typedef struct vgt_soft_view {
    vgt_soft_surface *surface;
    uint32_t face;
    uint32_t mip;
} vgt_soft_view;

/* A box in pixels (z/d are slices of a volume; 0/1 for 2D images). */
typedef struct vgt_soft_box {
    uint32_t x, y, z, w, h, d;
} vgt_soft_box;

/* A rectangle in pixels. */
typedef struct vgt_soft_rect {
    int32_t x, y;
    uint32_t w, h;
} vgt_soft_rect;

/* Creates a surface (contents zero); the caller owns *out. */
vgt_status vgt_soft_surface_create(const vgt_soft_surface_desc *desc, vgt_soft_surface **out,
                                   vgt_error *err);
/* Frees a surface and its memory (NULL is allowed). */
void vgt_soft_surface_destroy(vgt_soft_surface *surface);
/* Returns the surface's shape (borrowed pointer, valid while the surface lives). */
const vgt_soft_surface_desc *vgt_soft_surface_describe(const vgt_soft_surface *surface);
/* Size in pixels of one mip level; VGT_E_RANGE if face or mip is out of range. */
vgt_status vgt_soft_surface_level_size(const vgt_soft_surface *surface, uint32_t face, uint32_t mip,
                                       uint32_t *width, uint32_t *height, uint32_t *depth,
                                       vgt_error *err);
/* The bytes of one image (tightly packed rows of blocks, slices after each
 * other): borrowed, valid until the surface is destroyed.  This is how the
 * executor hands vertex and index buffers to vgt_soft_draw. */
vgt_status vgt_soft_surface_bytes(vgt_soft_surface *surface, uint32_t face, uint32_t mip,
                                  uint8_t **data, size_t *length, vgt_error *err);

/* Copies `box` of image (face, mip) from linear memory `src` (src_len bytes,
 * rows `row_pitch` bytes apart, slices `slice_pitch` apart; 0 = tightly
 * packed) into the surface.  For block formats the box must be block
 * aligned (or reach the image's edge) and a row is a row of blocks.  This
 * is SURFACE_DMA to the host.  Every byte read is checked against src_len. */
vgt_status vgt_soft_surface_upload(vgt_soft_surface *surface, uint32_t face, uint32_t mip,
                                   const vgt_soft_box *box, const void *src, size_t src_len,
                                   uint32_t row_pitch, uint32_t slice_pitch, vgt_error *err);
/* The reverse of vgt_soft_surface_upload: copies `box` into `dst` (dst_len bytes). */
vgt_status vgt_soft_surface_download(const vgt_soft_surface *surface, uint32_t face, uint32_t mip,
                                     const vgt_soft_box *box, void *dst, size_t dst_len,
                                     uint32_t row_pitch, uint32_t slice_pitch, vgt_error *err);

/* A SURFACE_COPY box: copy w x h x d from (srcx, srcy, srcz) to (x, y, z). */
typedef struct vgt_soft_copy_box {
    uint32_t x, y, z, w, h, d;
    uint32_t srcx, srcy, srcz;
} vgt_soft_copy_box;

/* Copies boxes between images of the same bytes-per-block (SURFACE_COPY);
 * boxes must lie inside both images. Overlapping src == dst is handled. */
vgt_status vgt_soft_surface_copy(const vgt_soft_view *dst, const vgt_soft_view *src,
                                 const vgt_soft_copy_box *boxes, uint32_t box_count,
                                 vgt_error *err);

/* Stretches src_box of src onto dst_box of dst (SURFACE_STRETCHBLT) with
 * point (linear = false) or bilinear filtering, converting between color
 * formats; depth formats need the same format on both sides and point. */
vgt_status vgt_soft_surface_stretch(const vgt_soft_view *dst, const vgt_soft_box *dst_box,
                                    const vgt_soft_view *src, const vgt_soft_box *src_box,
                                    bool linear, vgt_error *err);

/* Reads a 2D image of a color surface as 0xAARRGGBB pixels into a newly
 * allocated vgt_image (X formats read alpha 0xff); the caller frees it. */
vgt_status vgt_soft_surface_read_image(const vgt_soft_view *view, vgt_image *out, vgt_error *err);
/* Reads the (x, y, w, h) rectangle of a 2D image of a color surface as
 * 0xAARRGGBB little-endian pixels (X formats read alpha 0xff) into dst, rows
 * dst_pitch bytes apart.  VGT_E_RANGE when the rectangle is not inside. */
vgt_status vgt_soft_surface_read_rect(const vgt_soft_view *view, uint32_t x, uint32_t y, uint32_t w,
                                      uint32_t h, uint8_t *dst, size_t dst_pitch, vgt_error *err);
/* The same of slice z of a volume's image (read_rect reads slice 0);
 * VGT_E_RANGE past the image's depth. */
vgt_status vgt_soft_surface_read_slice(const vgt_soft_view *view, uint32_t z, uint32_t x,
                                       uint32_t y, uint32_t w, uint32_t h, uint8_t *dst,
                                       size_t dst_pitch, vgt_error *err);

/* ---- the device -------------------------------------------------------- */

typedef struct vgt_soft_device vgt_soft_device;

/* Creates a renderer with `threads` workers (0 = one per online CPU, at
 * most 8; 1 = everything on the calling thread).  Output does not depend
 * on the thread count.  The caller owns *out. */
vgt_status vgt_soft_device_create(uint32_t threads, vgt_soft_device **out, vgt_error *err);
/* Stops the workers and frees the device (NULL is allowed). */
void vgt_soft_device_destroy(vgt_soft_device *dev);
/* The number of threads that render (the caller included). */
uint32_t vgt_soft_device_threads(const vgt_soft_device *dev);

/* Clears rects of the render target and/or the depth-stencil image (CLEAR).
 * `color` is a D3DCOLOR 0xAARRGGBB, depth in [0, 1], stencil's low 8 bits.
 * Rects are clipped to each image; rect_count 0 clears whole images.
 * Either view may be NULL when its flags are not set. */
vgt_status vgt_soft_clear(vgt_soft_device *dev, const vgt_soft_view *color_target,
                          const vgt_soft_view *depth_target, uint32_t flags, uint32_t color,
                          float depth, uint32_t stencil, const vgt_soft_rect *rects,
                          uint32_t rect_count, vgt_error *err);
/* The texels vgt_soft_clear has written on dev since its creation (a
 * colour pixel counts once per volume slice). */
uint64_t vgt_soft_device_clear_texels(const vgt_soft_device *dev);

/* ---- the resolved draw -------------------------------------------------- */

/* ---- shaders ----------------------------------------------------------- */

/* A Direct3D 9 vertex or pixel shader (vs_1_1 .. vs_3_0, ps_1_1 .. ps_3_0)
 * compiled for the interpreter (soft_shader*.c).  Immutable once made:
 * several draws (and threads) may use one at the same time. */
typedef struct vgt_soft_shader vgt_soft_shader;

/* The constant registers a draw hands its shader (borrowed for the draw).
 * NULL arrays read as zeros.  def/defi/defb in the shader override them. */
typedef struct vgt_soft_shader_consts {
    const float (*f)[4];   /* float_count registers c# */
    uint32_t float_count;  /* 256 (vs) / 224 (ps) from the executor */
    const int32_t (*i)[4]; /* 16 registers i# */
    const uint32_t *b;     /* 16 registers b# (non-zero: true) */
} vgt_soft_shader_consts;

/* Validates `nwords` bytecode words with vgt_shader_parse (which reads only
 * those words) and compiles them into *out (the caller frees it with
 * vgt_soft_shader_destroy).  `type` is VGT_SVGA3D_SHADERTYPE_VS or _PS and
 * must match the version token.  Malformed bytecode fails with the parser's
 * status and "shader token N (0x...): reason" in err.  Valid bytecode that
 * uses what the interpreter does not run (ps_1_x texture-matrix ops, ...)
 * is accepted; drawing with it fails with VGT_E_UNSUPPORTED naming it. */
vgt_status vgt_soft_shader_create(uint32_t type, const uint32_t *words, size_t nwords,
                                  vgt_soft_shader **out, vgt_error *err);
/* Frees a shader (NULL is allowed). */
void vgt_soft_shader_destroy(vgt_soft_shader *sh);
/* The version token's low 16 bits (VGT_SHADER_V(major, minor)) and the type
 * (VGT_SVGA3D_SHADERTYPE_VS/PS). */
uint32_t vgt_soft_shader_version(const vgt_soft_shader *sh, uint32_t *type);
/* Bit s set: the shader samples sampler s. */
uint32_t vgt_soft_shader_samplers(const vgt_soft_shader *sh);

/* A 4x4 matrix, D3D layout: m[row][col], row vectors (v' = v * M),
 * translation in m[3][0..2]. */
typedef struct vgt_soft_matrix {
    float m[4][4];
} vgt_soft_matrix;

/* A color as four floats, r, g, b, a. */
typedef struct vgt_soft_color {
    float r, g, b, a;
} vgt_soft_color;

/* One vertex element (an SVGA3dVertexDecl): vertex i's element starts at
 * data + offset + i * stride.  `data` is borrowed for the draw.  A fetch
 * that does not lie inside [data, data + length) fails the draw with
 * VGT_E_RANGE before any pixel is written. */
typedef struct vgt_soft_element {
    const uint8_t *data;
    size_t length;
    uint32_t offset;
    uint32_t stride;
    uint32_t type;        /* vgt_svga3d_decl_type */
    uint32_t usage;       /* vgt_svga3d_decl_usage (others are ignored) */
    uint32_t usage_index; /* COLOR 0/1, TEXCOORD 0..7 */
    /* Direct3D 9's vertex stream frequency: with divisor k > 1, vertex v
     * (v >= first) reads element first / k + (v - first) / k, first being
     * the draw's first vertex; 0 or 1: vertex v reads element v. */
    uint32_t divisor;
    uint32_t first;
} vgt_soft_element;

/* A light (SVGA3dLightData; positions/directions in world space). */
typedef struct vgt_soft_light {
    bool enabled;
    uint32_t type; /* vgt_svga3d_light_type */
    vgt_soft_color diffuse, specular, ambient;
    float position[3];
    float direction[3];
    float range;
    float falloff;
    float attenuation0, attenuation1, attenuation2;
    float theta, phi; /* full cone angles */
} vgt_soft_light;

/* A material (SVGA3dMaterial). */
typedef struct vgt_soft_material {
    vgt_soft_color diffuse, ambient, specular, emissive;
    float power;
} vgt_soft_material;

/* One texture stage (sampler + combiner). */
typedef struct vgt_soft_stage {
    vgt_soft_surface *texture; /* NULL: TEXTURE args read (0, 0, 0, 1) */
    uint32_t color_op, color_arg0, color_arg1, color_arg2; /* vgt_svga3d_texture_combiner, _arg */
    uint32_t alpha_op, alpha_arg0, alpha_arg1, alpha_arg2;
    bool result_to_temp;     /* D3DTSS_RESULTARG = TEMP (extension) */
    uint32_t texcoord_index; /* which TEXCOORD set feeds this stage (0..7) */
    /* Texture coordinate generation and transform (docs/soft.md): instead of
     * the set, a view-space coordinate (vgt_svga3d_texcoord_gen); then
     * texture_transform when transform_flags has VGT_SVGA3D_TEX_TRANSFORM_*
     * bits (the highest one gives the count of results, Direct3D 9's
     * D3DTTFF_COUNTn), and with VGT_SVGA3D_TEX_PROJECTED the division by the
     * last result (by q when no count bit is set) per pixel. */
    uint32_t texcoord_gen;
    uint32_t transform_flags;
    vgt_soft_matrix texture_transform; /* row vectors, as world/view/projection */
    /* vgt_svga3d_texture_address (w: volumes; cube maps clamp) */
    uint32_t address_u, address_v, address_w;
    uint32_t border_color;                       /* D3DCOLOR */
    uint32_t mag_filter, min_filter, mip_filter; /* vgt_svga3d_texture_filter */
    float lod_bias;
    uint32_t max_mip_level; /* most detailed level allowed (D3DSAMP_MAXMIPLEVEL) */
    /* TEXTURE_ANISOTROPIC_LEVEL (D3DSAMP_MAXANISOTROPY): the most probes an
     * ANISOTROPIC min filter takes (docs/soft.md "Anisotropic filtering");
     * 0 reads as 1, above VGT_SOFT_MAX_ANISOTROPY as that */
    uint32_t max_anisotropy;
    /* sRGB reads (TS_GAMMA 2.2, D3DSAMP_SRGBTEXTURE): R, G, B of each texel
     * decoded sRGB -> linear before filtering; A8R8G8B8, X8R8G8B8 and DXT
     * textures only (others are refused) */
    bool srgb;
    /* Bump environment (TS BUMPENVMAT00/01/10/11, BUMPENVLSCALE/LOFFSET):
     * texbem/texbeml t<stage> and bem r<stage> of ps_1_x read them
     * (docs/soft.md "Bump environment mapping") */
    float bump_env_mat[2][2]; /* [0][0] = MAT00, [0][1] = MAT01, [1][0] = MAT10 ... */
    float bump_env_lscale, bump_env_loffset;
} vgt_soft_stage;

/* The complete state of one draw.  Start from vgt_soft_draw_state_defaults(). */
typedef struct vgt_soft_draw_state {
    /* targets */
    vgt_soft_view color_target; /* COLOR0; surface NULL: no color output */
    /* COLOR1..COLOR3 (multiple render targets, the size of color_target):
     * a pixel shader's oC1..oC3 go to them, blended with the same state
     * and masked by their own write masks; a target whose oCn the shader
     * does not write, and every one under fixed function or ps_1_x, keeps
     * its pixels.  Alpha test and fog use oC0 only (Direct3D 9). */
    vgt_soft_view more_color_targets[VGT_SOFT_MAX_COLOR_TARGETS - 1];
    vgt_soft_view depth_target; /* surface NULL: no depth/stencil */
    vgt_soft_rect viewport;     /* in pixels of the render target */
    float z_min, z_max;         /* viewport depth range (SETZRANGE) */
    bool scissor_enable;
    vgt_soft_rect scissor;

    /* programmable stages (docs/soft.md "Shaders"): a program made by
     * vgt_soft_shader_create, or NULL for fixed function.  The ids are for
     * messages only; an id without a program fails the draw. */
    uint32_t vertex_shader; /* 0 = none (fixed function), else a shader id */
    uint32_t pixel_shader;
    const vgt_soft_shader *vs_program, *ps_program;
    vgt_soft_shader_consts vs_consts, ps_consts;

    /* vertex input */
    vgt_soft_element elements[VGT_SOFT_MAX_ELEMENTS];
    uint32_t element_count;

    /* transforms */
    vgt_soft_matrix world, view, projection;
    /* Vertex blending (fixed function; vgt_svga3d_vertex_blend_plan_make's
     * rules): world_n are WORLD1..3, vertex_blend RS VERTEXBLEND (0..3,
     * 255 TWEENING, 256 0WEIGHTS), indexed_vertex_blend RS
     * INDEXEDVERTEXBLENDENABLE.  The elements BLENDWEIGHT and BLENDINDICES
     * (usage index 0) give the weights and indices; tweening reads POSITION
     * and NORMAL usage index 1 and tween_factor (RS TWEENFACTOR). */
    vgt_soft_matrix world_n[3];
    uint32_t vertex_blend;
    bool indexed_vertex_blend;
    float tween_factor;

    /* rasterizer */
    uint32_t cull_face;                             /* vgt_svga3d_face */
    uint32_t front_winding;                         /* vgt_svga3d_front_winding */
    uint32_t fill_mode;                             /* vgt_svga3d_fill_mode_type */
    uint32_t shade_mode;                            /* vgt_svga3d_shade_mode */
    uint32_t clip_plane_enable;                     /* bit i enables clip_planes[i] */
    float clip_planes[VGT_SOFT_MAX_CLIP_PLANES][4]; /* world space (fixed function) */
    float depth_bias;                               /* added to z */
    float slope_scale_depth_bias;                   /* times max(|dz/dx|, |dz/dy|) */
    float point_size;                               /* when the vertex has no PSIZE */
    /* POINTSPRITEENABLE: points replace every stage's texture coordinates
     * (with a pixel shader: its texture coordinate inputs) by (0, 0) at the
     * square's top-left to (1, 1) at its bottom-right */
    bool point_sprite;
    /* POINTSCALEENABLE: transformed points are viewport.h * size *
     * sqrt(1 / (A + B*De + C*De^2)) pixels (De: eye distance), and then,
     * pretransformed or not, clamped to [point_size_min, point_size_max];
     * behind a vertex shader nothing is scaled, point_size (used without
     * oPts) is only clamped (vgt_svga3d_point_scale_applies) */
    bool point_scale;
    float point_scale_abc[3];
    float point_size_min, point_size_max;
    bool last_pixel; /* draw the last pixel of lines */

    /* lighting */
    bool lighting;
    vgt_soft_color ambient; /* global ambient (RS AMBIENT) */
    bool specular_enable;
    bool normalize_normals;
    bool local_viewer;
    bool color_vertex; /* VERTEXMATERIALENABLE: honour the sources below */
    uint32_t diffuse_source, ambient_source, specular_source,
        emissive_source; /* vgt_svga3d_vertex_material */
    vgt_soft_material material;
    vgt_soft_light lights[VGT_SOFT_MAX_LIGHTS];

    /* fog */
    bool fog_enable;
    uint32_t fog_function; /* vgt_svga3d_fog_function, or VGT_SOFT_FOG_NONE */
    uint32_t fog_type;     /* vgt_svga3d_fog_type */
    uint32_t fog_base;     /* vgt_svga3d_fog_base */
    uint32_t fog_color;    /* D3DCOLOR */
    float fog_start, fog_end, fog_density;

    /* texture stages */
    vgt_soft_stage stages[VGT_SOFT_MAX_STAGES];
    uint32_t texture_factor; /* D3DCOLOR (TFACTOR) */
    /* RS WRAP0..15 (D3DRS_WRAPn): bits 0..3 interpolate component u, v, w,
     * q of texture coordinate set n the short way round a cylinder (see
     * docs/soft.md, "Cylindrical wrapping") */
    uint32_t wrap[VGT_SOFT_MAX_WRAP];

    /* per pixel */
    bool alpha_test;
    uint32_t alpha_func; /* vgt_svga3d_cmp_func */
    uint32_t alpha_ref;  /* 0..255 */

    bool z_enable, z_write;
    uint32_t z_func;

    bool stencil_enable, stencil_two_sided;
    uint32_t stencil_ref, stencil_mask, stencil_write_mask;
    uint32_t stencil_func, stencil_fail, stencil_zfail, stencil_pass; /* front (CW) */
    uint32_t ccw_stencil_func, ccw_stencil_fail, ccw_stencil_zfail, ccw_stencil_pass;

    bool blend_enable, separate_alpha_blend;
    uint32_t src_blend, dst_blend, blend_eq;                   /* vgt_svga3d_blend_op, _blend_eq */
    uint32_t src_blend_alpha, dst_blend_alpha, blend_eq_alpha; /* when separate */
    uint32_t blend_color;                                      /* D3DCOLOR */
    uint32_t color_write_mask;                                 /* VGT_SVGA3D_COLORMASK_* */
    uint32_t more_color_write_masks[VGT_SOFT_MAX_COLOR_TARGETS - 1]; /* COLORWRITEENABLE1..3 */
    bool srgb_write;
} vgt_soft_draw_state;

/* One range of primitives (an SVGA3dPrimitiveRange). */
typedef struct vgt_soft_draw_call {
    uint32_t primitive_type; /* vgt_svga3d_primitive_type */
    uint32_t primitive_count;
    const uint8_t *indices; /* NULL: non-indexed (vertex i = base_vertex + i) */
    size_t index_length;    /* bytes at indices */
    uint32_t index_offset;  /* byte offset of the first index */
    uint32_t index_size;    /* 2 or 4 */
    int32_t base_vertex;    /* added to every index (indexBias) */
} vgt_soft_draw_call;

/* What a draw did (for occlusion queries and statistics). */
typedef struct vgt_soft_draw_stats {
    uint64_t vertices;   /* vertices transformed */
    uint64_t primitives; /* primitives assembled */
    uint64_t primitives_culled;
    uint64_t primitives_clipped; /* rejected entirely by clipping */
    uint64_t pixels_passed;      /* pixels that passed alpha, stencil and depth tests */
} vgt_soft_draw_stats;

/* Fills *st with Direct3D 9's initial device state (depth test LESSEQUAL on,
 * cull CCW, no blending, lighting on, stage 0 MODULATE texture * diffuse,
 * stages 1..7 disabled, identity transforms, ...).  The viewport is left 0x0. */
void vgt_soft_draw_state_defaults(vgt_soft_draw_state *st);

/* ---- the fragment probe (vgt pixel's rasterizer side) -------------------
 * Off by default.  When on, every fragment a draw rasterizes at pixel
 * (x, y) of one image of one surface is recorded with its fate, in the
 * order Direct3D 9 applies the tests: clipping (what near, far or a user
 * plane removed of a primitive, where none of its pieces covers the
 * pixel), culling (polygons, in their fill mode), scissor,
 * the pixel shader's texkill, alpha test, stencil, depth, then the write
 * (colour write mask, blending).  The image may be bound at any colour
 * target: COLOR0 under fixed function, COLORn under a pixel shader that
 * writes oCn (the fragment's colour is then oCn).  A CLEAR that covers the
 * pixel of the image (colour, or depth/stencil) is one fragment, fate
 * CLEARED.  The image may also be a draw's depth/stencil target, when the
 * draw tests depth or stencil: its fragments are then recorded with the
 * depth each tested and left (their colour does not go there: shaded is
 * false), fate PASSED for one that passed every test.  The rasterizer
 * looks at the probe once per span (fixed function) or quad (pixel
 * shader), not per fragment; culled and clipped primitives cost a test
 * each only when one is culled or clipped, lines and points one each
 * only when the probed pixel is outside the scissor. */

typedef enum vgt_soft_fate {
    VGT_SOFT_FATE_WRITTEN = 0,  /* passed every test and was blended and written */
    VGT_SOFT_FATE_SCISSOR,      /* outside the scissor rectangle */
    VGT_SOFT_FATE_ALPHA,        /* the alpha test (ALPHAFUNC) rejected it */
    VGT_SOFT_FATE_STENCIL,      /* the stencil test failed */
    VGT_SOFT_FATE_DEPTH,        /* the depth test failed */
    VGT_SOFT_FATE_MASKED,       /* passed, but COLORWRITEENABLE is 0: nothing written */
    VGT_SOFT_FATE_TEXKILL,      /* the pixel shader discarded it (texkill) */
    VGT_SOFT_FATE_CULLED_BACK,  /* a back face, culled (CULLMODE): never rasterized */
    VGT_SOFT_FATE_CULLED_FRONT, /* a front face, culled (CULLMODE) */
    VGT_SOFT_FATE_CLEARED,      /* a CLEAR wrote the pixel (clear_flags say what) */
    VGT_SOFT_FATE_PASSED,       /* on a depth/stencil target: passed every test
                                 * (z_after, stencil_after: the buffer after it) */
    VGT_SOFT_FATE_CLIPPED,      /* removed by clipping (near, far, a user plane),
                                 * whole or in part: its unclipped footprint covered
                                 * the pixel, none of its clipped pieces did
                                 * (clip_planes says which planes) */
} vgt_soft_fate;

/* A CLIPPED fragment's clip_planes: user plane i is bit i, as in
 * CLIPPLANEENABLE (VGT_SOFT_CLIP_PLANE(i)), then the near and far planes. */
#define VGT_SOFT_CLIP_PLANE(i) (1u << (i))
#define VGT_SOFT_CLIP_NEAR     (1u << VGT_SOFT_MAX_CLIP_PLANES)
#define VGT_SOFT_CLIP_FAR      (1u << (VGT_SOFT_MAX_CLIP_PLANES + 1u))

/* Which stencil operation a fragment took (stencil_op holds its SVGA3D value). */
typedef enum vgt_soft_stencil_path {
    VGT_SOFT_STENCIL_NONE = 0, /* no stencil test */
    VGT_SOFT_STENCIL_FAIL,     /* STENCILFAIL */
    VGT_SOFT_STENCIL_ZFAIL,    /* STENCILZFAIL */
    VGT_SOFT_STENCIL_PASS,     /* STENCILPASS */
} vgt_soft_stencil_path;

typedef struct vgt_soft_fragment {
    uint32_t primitive;                /* the primitive's index in the draw call */
    uint32_t fate;                     /* vgt_soft_fate */
    bool shaded;                       /* color holds the fragment's colour (not for SCISSOR) */
    float color[4];                    /* r, g, b, a before blending (after texture stages, fog) */
    float z;                           /* the fragment's depth, [0, 1] */
    bool has_depth;                    /* a depth target: z_quant and z_buffer are set */
    uint32_t z_quant;                  /* z as the depth format stores it */
    uint32_t z_buffer;                 /* the depth buffer's value before the fragment */
    uint32_t stencil_path, stencil_op; /* vgt_soft_stencil_path, the op's value */
    uint32_t stencil_before, stencil_after; /* the stencil buffer's value */
    bool has_after;                         /* WRITTEN: after holds the pixel */
    float after[4];                         /* the target's pixel after the write (decoded) */
    uint32_t target;     /* the colour target (0..3) the probed image is bound at */
    bool shader;         /* color is the pixel shader's oC<target> (before fog for n > 0) */
    bool z_written;      /* z is the shader's oDepth */
    uint32_t write_mask; /* the target's COLORWRITEENABLE (VGT_SVGA3D_COLORMASK_*) */
    bool blend;          /* ALPHABLENDENABLE: after is color blended with the pixel */
    /* CLEARED: the parts cleared (VGT_SVGA3D_CLEAR_*) of this image; color
     * the cleared colour (COLOR), z (DEPTH; z_quant stored), stencil_after
     * (STENCIL) */
    uint32_t clear_flags;
    /* the probed image is the draw's depth/stencil target (not a colour
     * target: shaded false, target, write_mask, blend 0) */
    bool depth_target;
    bool z_write;     /* ZWRITEENABLE of the draw (depth_target) */
    uint32_t z_after; /* has_depth and tested: the depth buffer's value after the fragment */
    /* CLIPPED: the planes (VGT_SOFT_CLIP_*) each of which alone removes the
     * pixel's point of the primitive: the primitive clipped by that plane
     * only (and the guard band) does not cover the pixel; never 0 (where
     * only planes together remove it, as rounding can make it at a pixel
     * two cuts share, the planes that cut the primitive) */
    uint32_t clip_planes;
} vgt_soft_fragment;

#define VGT_SOFT_PROBE_MAX 256 /* fragments kept per take; later ones are counted */

/* Starts recording the fragments at (x, y) of image (face, mip) of
 * `surface` (NULL: stops), dropping what was recorded and not taken. */
void vgt_soft_probe_set(vgt_soft_device *dev, const vgt_soft_surface *surface, uint32_t face,
                        uint32_t mip, uint32_t x, uint32_t y);
/* Copies the fragments recorded since the last take (at most cap, in draw
 * order) into out and forgets them; *dropped gets how many more there were
 * (beyond VGT_SOFT_PROBE_MAX or cap).  Returns the count. */
uint32_t vgt_soft_probe_take(vgt_soft_device *dev, vgt_soft_fragment *out, uint32_t cap,
                             uint64_t *dropped);

/* Draws call with state st.  Validates everything first: a bad value, an
 * unsupported feature (an unrenderable format, an instruction the
 * interpreter does not run) or an out-of-range fetch fails with nothing
 * drawn and err saying which state or which vertex/index.  Textures may be
 * 2D, cube (6 faces: coordinates are a direction) or volume (depth > 1:
 * (u, v, w), ADDRESSW).  stats may be NULL. */
vgt_status vgt_soft_draw(vgt_soft_device *dev, const vgt_soft_draw_state *st,
                         const vgt_soft_draw_call *call, vgt_soft_draw_stats *stats,
                         vgt_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VGT_SOFT_H */
