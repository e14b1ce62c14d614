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
 * Numeric values.  Every enumerated state value below has the number that
 * VMware's SVGA3D protocol (svga3d_reg.h) gives it, so the executor can pass
 * protocol values through unchanged.  NOTE: SVGA3D follows Direct3D 9 for
 * most values (compare functions, stencil ops, blend factors up to
 * SRCALPHASAT, blend equations, fill/shade modes, declaration types and
 * usages, texture address and filter modes) but NOT for primitive types,
 * cull modes (SVGA3D: face + front winding), texture stage ops, texture
 * arguments and argument modifiers, blend factors BLENDFACTOR/INVBLENDFACTOR
 * and light types: those carry SVGA3D's numbers here, not D3D9's.
 * The ids are kept in this header until protocol/vgt_svga3d.h defines them;
 * then these enums switch to its names (values unchanged).
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

#ifdef __cplusplus
extern "C" {
#endif

/* ---- SVGA3D numeric values (switch to protocol/vgt_svga3d.h names) ----- */

/* Surface formats (SVGA3dSurfaceFormat). */
enum {
    VGT_SOFT_FMT_INVALID = 0,
    VGT_SOFT_FMT_X8R8G8B8 = 1,
    VGT_SOFT_FMT_A8R8G8B8 = 2,
    VGT_SOFT_FMT_R5G6B5 = 3,
    VGT_SOFT_FMT_X1R5G5B5 = 4,
    VGT_SOFT_FMT_A1R5G5B5 = 5,
    VGT_SOFT_FMT_A4R4G4B4 = 6,
    VGT_SOFT_FMT_Z_D32 = 7,
    VGT_SOFT_FMT_Z_D16 = 8,
    VGT_SOFT_FMT_Z_D24S8 = 9,
    VGT_SOFT_FMT_LUMINANCE8 = 11,
    VGT_SOFT_FMT_LUMINANCE8_ALPHA8 = 14,
    VGT_SOFT_FMT_DXT1 = 15,
    VGT_SOFT_FMT_DXT3 = 17,
    VGT_SOFT_FMT_DXT5 = 19,
    VGT_SOFT_FMT_ARGB_S10E5 = 24, /* 4 x half float, memory order R, G, B, A */
    VGT_SOFT_FMT_ARGB_S23E8 = 25, /* 4 x float, memory order R, G, B, A */
    VGT_SOFT_FMT_ALPHA8 = 32,
    VGT_SOFT_FMT_BUFFER = 37, /* bytes (vertex/index data), 1 byte per "pixel" */
    VGT_SOFT_FMT_Z_D24X8 = 38,
};

/* Primitive types (SVGA3dPrimitiveType; differs from D3DPRIMITIVETYPE). */
enum {
    VGT_SOFT_PRIM_TRIANGLELIST = 1,
    VGT_SOFT_PRIM_POINTLIST = 2,
    VGT_SOFT_PRIM_LINELIST = 3,
    VGT_SOFT_PRIM_LINESTRIP = 4,
    VGT_SOFT_PRIM_TRIANGLESTRIP = 5,
    VGT_SOFT_PRIM_TRIANGLEFAN = 6,
};

/* Vertex element types (SVGA3dDeclType = D3DDECLTYPE). */
enum {
    VGT_SOFT_DECL_FLOAT1 = 0,
    VGT_SOFT_DECL_FLOAT2 = 1,
    VGT_SOFT_DECL_FLOAT3 = 2,
    VGT_SOFT_DECL_FLOAT4 = 3,
    VGT_SOFT_DECL_D3DCOLOR = 4,
    VGT_SOFT_DECL_UBYTE4 = 5,
    VGT_SOFT_DECL_SHORT2 = 6,
    VGT_SOFT_DECL_SHORT4 = 7,
    VGT_SOFT_DECL_UBYTE4N = 8,
    VGT_SOFT_DECL_SHORT2N = 9,
    VGT_SOFT_DECL_SHORT4N = 10,
    VGT_SOFT_DECL_USHORT2N = 11,
    VGT_SOFT_DECL_USHORT4N = 12,
    VGT_SOFT_DECL_FLOAT16_2 = 15,
    VGT_SOFT_DECL_FLOAT16_4 = 16,
};

/* Vertex element usages (SVGA3dDeclUsage = D3DDECLUSAGE). */
enum {
    VGT_SOFT_USAGE_POSITION = 0,
    VGT_SOFT_USAGE_NORMAL = 3,
    VGT_SOFT_USAGE_PSIZE = 4,
    VGT_SOFT_USAGE_TEXCOORD = 5,
    VGT_SOFT_USAGE_POSITIONT = 9,
    VGT_SOFT_USAGE_COLOR = 10, /* usage_index 0 = diffuse, 1 = specular */
};

/* Compare functions (SVGA3dCmpFunc = D3DCMPFUNC). */
enum {
    VGT_SOFT_CMP_NEVER = 1,
    VGT_SOFT_CMP_LESS = 2,
    VGT_SOFT_CMP_EQUAL = 3,
    VGT_SOFT_CMP_LESSEQUAL = 4,
    VGT_SOFT_CMP_GREATER = 5,
    VGT_SOFT_CMP_NOTEQUAL = 6,
    VGT_SOFT_CMP_GREATEREQUAL = 7,
    VGT_SOFT_CMP_ALWAYS = 8,
};

/* Stencil operations (SVGA3dStencilOp = D3DSTENCILOP). */
enum {
    VGT_SOFT_STENCILOP_KEEP = 1,
    VGT_SOFT_STENCILOP_ZERO = 2,
    VGT_SOFT_STENCILOP_REPLACE = 3,
    VGT_SOFT_STENCILOP_INCRSAT = 4,
    VGT_SOFT_STENCILOP_DECRSAT = 5,
    VGT_SOFT_STENCILOP_INVERT = 6,
    VGT_SOFT_STENCILOP_INCR = 7,
    VGT_SOFT_STENCILOP_DECR = 8,
};

/* Blend factors (SVGA3dBlendOp; D3DBLEND up to SRCALPHASAT). */
enum {
    VGT_SOFT_BLEND_ZERO = 1,
    VGT_SOFT_BLEND_ONE = 2,
    VGT_SOFT_BLEND_SRCCOLOR = 3,
    VGT_SOFT_BLEND_INVSRCCOLOR = 4,
    VGT_SOFT_BLEND_SRCALPHA = 5,
    VGT_SOFT_BLEND_INVSRCALPHA = 6,
    VGT_SOFT_BLEND_DESTALPHA = 7,
    VGT_SOFT_BLEND_INVDESTALPHA = 8,
    VGT_SOFT_BLEND_DESTCOLOR = 9,
    VGT_SOFT_BLEND_INVDESTCOLOR = 10,
    VGT_SOFT_BLEND_SRCALPHASAT = 11,
    VGT_SOFT_BLEND_BLENDFACTOR = 12,
    VGT_SOFT_BLEND_INVBLENDFACTOR = 13,
};

/* Blend equations (SVGA3dBlendEquation = D3DBLENDOP). */
enum {
    VGT_SOFT_BLENDEQ_ADD = 1,
    VGT_SOFT_BLENDEQ_SUBTRACT = 2,    /* src - dst */
    VGT_SOFT_BLENDEQ_REVSUBTRACT = 3, /* dst - src */
    VGT_SOFT_BLENDEQ_MIN = 4,
    VGT_SOFT_BLENDEQ_MAX = 5,
};

/* Faces to cull (SVGA3dFace).  D3DCULL_CCW (the D3D9 default) is
 * cull_face = BACK with front_winding = CW: triangles that are
 * counter-clockwise on screen (y pointing down) are culled. */
enum {
    VGT_SOFT_FACE_NONE = 1,
    VGT_SOFT_FACE_FRONT = 2,
    VGT_SOFT_FACE_BACK = 3,
    VGT_SOFT_FACE_FRONT_BACK = 4,
};
enum { VGT_SOFT_WINDING_CW = 1, VGT_SOFT_WINDING_CCW = 2 }; /* SVGA3dFrontWinding */

enum { VGT_SOFT_FILL_POINT = 1, VGT_SOFT_FILL_LINE = 2, VGT_SOFT_FILL_SOLID = 3 };
enum { VGT_SOFT_SHADE_FLAT = 1, VGT_SOFT_SHADE_GOURAUD = 2 };

/* Material color sources (SVGA3dVertexMaterial = D3DMATERIALCOLORSOURCE). */
enum {
    VGT_SOFT_MCS_MATERIAL = 0,
    VGT_SOFT_MCS_COLOR1 = 1, /* vertex diffuse (COLOR0) */
    VGT_SOFT_MCS_COLOR2 = 2, /* vertex specular (COLOR1) */
};

/* Fog function (SVGA3dFogFunction), type (SVGA3dFogType), base (SVGA3dFogBase). */
enum {
    VGT_SOFT_FOG_NONE = 0,
    VGT_SOFT_FOG_EXP = 1,
    VGT_SOFT_FOG_EXP2 = 2,
    VGT_SOFT_FOG_LINEAR = 3,
    VGT_SOFT_FOG_PER_VERTEX = 4, /* fog factor from the specular color's alpha */
};
enum { VGT_SOFT_FOGTYPE_VERTEX = 1, VGT_SOFT_FOGTYPE_PIXEL = 2 };
enum { VGT_SOFT_FOGBASE_DEPTH = 1, VGT_SOFT_FOGBASE_RANGE = 2 };

/* Light types (SVGA3dLightType; differs from D3DLIGHTTYPE).  SPOT2 is the
 * D3D9 spot light (theta/phi in radians); SPOT1 is the same with theta and
 * phi given in degrees. */
enum {
    VGT_SOFT_LIGHT_POINT = 1,
    VGT_SOFT_LIGHT_SPOT1 = 2,
    VGT_SOFT_LIGHT_SPOT2 = 3,
    VGT_SOFT_LIGHT_DIRECTIONAL = 4,
};

/* Texture stage operations (SVGA3dTextureCombiner; differs from D3DTEXTUREOP). */
enum {
    VGT_SOFT_TOP_DISABLE = 1,
    VGT_SOFT_TOP_SELECTARG1 = 2,
    VGT_SOFT_TOP_SELECTARG2 = 3,
    VGT_SOFT_TOP_MODULATE = 4,
    VGT_SOFT_TOP_ADD = 5,
    VGT_SOFT_TOP_ADDSIGNED = 6,
    VGT_SOFT_TOP_SUBTRACT = 7,
    VGT_SOFT_TOP_BLENDTEXTUREALPHA = 8,
    VGT_SOFT_TOP_BLENDDIFFUSEALPHA = 9,
    VGT_SOFT_TOP_BLENDCURRENTALPHA = 10,
    VGT_SOFT_TOP_BLENDFACTORALPHA = 11,
    VGT_SOFT_TOP_MODULATE2X = 12,
    VGT_SOFT_TOP_MODULATE4X = 13,
    VGT_SOFT_TOP_DOTPRODUCT3 = 15,
    VGT_SOFT_TOP_BLENDTEXTUREALPHAPM = 16,
    VGT_SOFT_TOP_ADDSIGNED2X = 17,
    VGT_SOFT_TOP_ADDSMOOTH = 18,
    VGT_SOFT_TOP_MODULATEALPHA_ADDCOLOR = 20,
    VGT_SOFT_TOP_MODULATECOLOR_ADDALPHA = 21,
    VGT_SOFT_TOP_MODULATEINVALPHA_ADDCOLOR = 22,
    VGT_SOFT_TOP_MODULATEINVCOLOR_ADDALPHA = 23,
    VGT_SOFT_TOP_MULTIPLYADD = 25, /* arg1 + arg2 * arg0 */
    VGT_SOFT_TOP_LERP = 26,        /* arg0 * arg1 + (1 - arg0) * arg2 */
};

/* Texture arguments (SVGA3dTextureArgData) and modifiers.  TEMP is an
 * extension (D3DTA_TEMP; SVGA3D has no temporary register). */
enum {
    VGT_SOFT_TA_TFACTOR = 1, /* SVGA3D_TA_CONSTANT: the texture factor */
    VGT_SOFT_TA_CURRENT = 2, /* SVGA3D_TA_PREVIOUS */
    VGT_SOFT_TA_DIFFUSE = 3,
    VGT_SOFT_TA_TEXTURE = 4,
    VGT_SOFT_TA_SPECULAR = 5,
    VGT_SOFT_TA_TEMP = 6,
    VGT_SOFT_TA_SELECT_MASK = 0x0f,
    VGT_SOFT_TA_ALPHAREPLICATE = 0x10, /* SVGA3D_TM_ALPHA */
    VGT_SOFT_TA_COMPLEMENT = 0x20,     /* SVGA3D_TM_ONE_MINUS: 1 - x */
};

/* Texture addressing (SVGA3dTextureAddress = D3DTEXTUREADDRESS; EDGE = CLAMP). */
enum {
    VGT_SOFT_ADDRESS_WRAP = 1,
    VGT_SOFT_ADDRESS_MIRROR = 2,
    VGT_SOFT_ADDRESS_CLAMP = 3,
    VGT_SOFT_ADDRESS_BORDER = 4,
    VGT_SOFT_ADDRESS_MIRRORONCE = 5,
    VGT_SOFT_ADDRESS_EDGE = 6,
};

/* Texture filters (SVGA3dTextureFilter = D3DTEXTUREFILTERTYPE).
 * ANISOTROPIC is filtered as LINEAR. */
enum {
    VGT_SOFT_FILTER_NONE = 0,
    VGT_SOFT_FILTER_POINT = 1,
    VGT_SOFT_FILTER_LINEAR = 2,
    VGT_SOFT_FILTER_ANISOTROPIC = 3,
};

/* Clear flags (SVGA3dClearFlag). */
enum { VGT_SOFT_CLEAR_COLOR = 1, VGT_SOFT_CLEAR_DEPTH = 2, VGT_SOFT_CLEAR_STENCIL = 4 };

/* Color write mask bits (SVGA3dColorMask = D3DCOLORWRITEENABLE). */
enum {
    VGT_SOFT_WRITE_R = 1,
    VGT_SOFT_WRITE_G = 2,
    VGT_SOFT_WRITE_B = 4,
    VGT_SOFT_WRITE_A = 8,
    VGT_SOFT_WRITE_ALL = 15,
};

/* ---- limits ------------------------------------------------------------ */

#define VGT_SOFT_MAX_DIMENSION     16384u /* width, height and depth */
#define VGT_SOFT_MAX_MIPS          15u    /* log2(16384) + 1 */
#define VGT_SOFT_MAX_FACES         6u     /* 1, or 6 for a cube map */
#define VGT_SOFT_MAX_SURFACE_BYTES (1ull << 30)
#define VGT_SOFT_MAX_BUFFER_BYTES  (1ull << 30) /* BUFFER: width may exceed MAX_DIMENSION */
#define VGT_SOFT_MAX_STAGES        8u
#define VGT_SOFT_MAX_LIGHTS        8u
#define VGT_SOFT_MAX_CLIP_PLANES   6u
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

/* ---- the resolved draw -------------------------------------------------- */

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
    uint32_t type;        /* VGT_SOFT_DECL_* */
    uint32_t usage;       /* VGT_SOFT_USAGE_* (others are ignored) */
    uint32_t usage_index; /* COLOR 0/1, TEXCOORD 0..7 */
} vgt_soft_element;

/* A light (SVGA3dLightData; positions/directions in world space). */
typedef struct vgt_soft_light {
    bool enabled;
    uint32_t type; /* VGT_SOFT_LIGHT_* */
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
    uint32_t color_op, color_arg0, color_arg1, color_arg2; /* VGT_SOFT_TOP_*, _TA_* */
    uint32_t alpha_op, alpha_arg0, alpha_arg1, alpha_arg2;
    bool result_to_temp;                         /* D3DTSS_RESULTARG = TEMP (extension) */
    uint32_t texcoord_index;                     /* which TEXCOORD set feeds this stage (0..7) */
    uint32_t address_u, address_v, address_w;    /* VGT_SOFT_ADDRESS_* */
    uint32_t border_color;                       /* D3DCOLOR */
    uint32_t mag_filter, min_filter, mip_filter; /* VGT_SOFT_FILTER_* */
    float lod_bias;
    uint32_t max_mip_level; /* most detailed level allowed (D3DSAMP_MAXMIPLEVEL) */
} vgt_soft_stage;

/* The complete state of one draw.  Start from vgt_soft_draw_state_defaults(). */
typedef struct vgt_soft_draw_state {
    /* targets */
    vgt_soft_view color_target; /* surface NULL: no color output */
    vgt_soft_view depth_target; /* surface NULL: no depth/stencil */
    vgt_soft_rect viewport;     /* in pixels of the render target */
    float z_min, z_max;         /* viewport depth range (SETZRANGE) */
    bool scissor_enable;
    vgt_soft_rect scissor;

    /* programmable stages: not supported yet (draws fail with UNSUPPORTED) */
    uint32_t vertex_shader; /* 0 = none (fixed function), else a shader id */
    uint32_t pixel_shader;

    /* vertex input */
    vgt_soft_element elements[VGT_SOFT_MAX_ELEMENTS];
    uint32_t element_count;

    /* transforms */
    vgt_soft_matrix world, view, projection;

    /* rasterizer */
    uint32_t cull_face;                             /* VGT_SOFT_FACE_* */
    uint32_t front_winding;                         /* VGT_SOFT_WINDING_* */
    uint32_t fill_mode;                             /* VGT_SOFT_FILL_* */
    uint32_t shade_mode;                            /* VGT_SOFT_SHADE_* */
    uint32_t clip_plane_enable;                     /* bit i enables clip_planes[i] */
    float clip_planes[VGT_SOFT_MAX_CLIP_PLANES][4]; /* world space (fixed function) */
    float depth_bias;                               /* added to z */
    float slope_scale_depth_bias;                   /* times max(|dz/dx|, |dz/dy|) */
    float point_size;                               /* when the vertex has no PSIZE */
    bool last_pixel;                                /* draw the last pixel of lines */

    /* lighting */
    bool lighting;
    vgt_soft_color ambient; /* global ambient (RS AMBIENT) */
    bool specular_enable;
    bool normalize_normals;
    bool local_viewer;
    bool color_vertex; /* VERTEXMATERIALENABLE: honour the sources below */
    uint32_t diffuse_source, ambient_source, specular_source, emissive_source; /* VGT_SOFT_MCS_* */
    vgt_soft_material material;
    vgt_soft_light lights[VGT_SOFT_MAX_LIGHTS];

    /* fog */
    bool fog_enable;
    uint32_t fog_function; /* VGT_SOFT_FOG_* */
    uint32_t fog_type;     /* VGT_SOFT_FOGTYPE_* */
    uint32_t fog_base;     /* VGT_SOFT_FOGBASE_* */
    uint32_t fog_color;    /* D3DCOLOR */
    float fog_start, fog_end, fog_density;

    /* texture stages */
    vgt_soft_stage stages[VGT_SOFT_MAX_STAGES];
    uint32_t texture_factor; /* D3DCOLOR (TFACTOR) */

    /* per pixel */
    bool alpha_test;
    uint32_t alpha_func; /* VGT_SOFT_CMP_* */
    uint32_t alpha_ref;  /* 0..255 */

    bool z_enable, z_write;
    uint32_t z_func;

    bool stencil_enable, stencil_two_sided;
    uint32_t stencil_ref, stencil_mask, stencil_write_mask;
    uint32_t stencil_func, stencil_fail, stencil_zfail, stencil_pass; /* front (CW) */
    uint32_t ccw_stencil_func, ccw_stencil_fail, ccw_stencil_zfail, ccw_stencil_pass;

    bool blend_enable, separate_alpha_blend;
    uint32_t src_blend, dst_blend, blend_eq;                   /* VGT_SOFT_BLEND*_ */
    uint32_t src_blend_alpha, dst_blend_alpha, blend_eq_alpha; /* when separate */
    uint32_t blend_color;                                      /* D3DCOLOR */
    uint32_t color_write_mask;                                 /* VGT_SOFT_WRITE_* */
    bool srgb_write;
} vgt_soft_draw_state;

/* One range of primitives (an SVGA3dPrimitiveRange). */
typedef struct vgt_soft_draw_call {
    uint32_t primitive_type; /* VGT_SOFT_PRIM_* */
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

/* Draws call with state st.  Validates everything first: a bad value, an
 * unsupported feature (a shader, an unrenderable format, a cube texture) or
 * an out-of-range fetch fails with nothing drawn and err saying which state
 * or which vertex/index.  stats may be NULL. */
vgt_status vgt_soft_draw(vgt_soft_device *dev, const vgt_soft_draw_state *st,
                         const vgt_soft_draw_call *call, vgt_soft_draw_stats *stats,
                         vgt_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VGT_SOFT_H */
