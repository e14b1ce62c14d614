/* vgt_svga3d.h - the legacy SVGA3D protocol: hardware version, capability
 * records, command ids, surface formats, render/texture state ids and their
 * values, and the 3D command bodies.
 *
 * Part of the protocol library's public interface (included by
 * vgt_protocol.h).  The numbers are facts of the published VMware SVGA3D
 * protocol (svga3d_reg.h); the names are ours.  Every structure is an array
 * of little-endian 32-bit words (uint32_t, int32_t or float), exactly as the
 * guest writes it after the {id, size} command header.
 *
 * "Legacy" means the host-backed protocol: surfaces and contexts defined by
 * FIFO commands, data moved by SURFACE_DMA.  The guest-backed object commands
 * (SET_OTABLE_BASE, DEFINE_GB_*, ...) and the DX commands are not part of it.
 */
#ifndef VGT_SVGA3D_H
#define VGT_SVGA3D_H

#include <stdint.h>

#include "vgt_svga.h"

/* ---- command ids --------------------------------------------------------
 * 1000..1039 were used by obsolete versions of the protocol and stay
 * reserved; 1040..1999 belong to the current protocol. */

#define VGT_SVGA3D_CMD_LEGACY_BASE 1000u
#define VGT_SVGA3D_CMD_BASE        1040u
#define VGT_SVGA3D_CMD_FUTURE_MAX  2000u

enum vgt_svga3d_cmd_id {
    VGT_SVGA3D_CMD_SURFACE_DEFINE = 1040,
    VGT_SVGA3D_CMD_SURFACE_DESTROY = 1041,
    VGT_SVGA3D_CMD_SURFACE_COPY = 1042,
    VGT_SVGA3D_CMD_SURFACE_STRETCHBLT = 1043,
    VGT_SVGA3D_CMD_SURFACE_DMA = 1044,
    VGT_SVGA3D_CMD_CONTEXT_DEFINE = 1045,
    VGT_SVGA3D_CMD_CONTEXT_DESTROY = 1046,
    VGT_SVGA3D_CMD_SETTRANSFORM = 1047,
    VGT_SVGA3D_CMD_SETZRANGE = 1048,
    VGT_SVGA3D_CMD_SETRENDERSTATE = 1049,
    VGT_SVGA3D_CMD_SETRENDERTARGET = 1050,
    VGT_SVGA3D_CMD_SETTEXTURESTATE = 1051,
    VGT_SVGA3D_CMD_SETMATERIAL = 1052,
    VGT_SVGA3D_CMD_SETLIGHTDATA = 1053,
    VGT_SVGA3D_CMD_SETLIGHTENABLED = 1054,
    VGT_SVGA3D_CMD_SETVIEWPORT = 1055,
    VGT_SVGA3D_CMD_SETCLIPPLANE = 1056,
    VGT_SVGA3D_CMD_CLEAR = 1057,
    VGT_SVGA3D_CMD_PRESENT = 1058, /* deprecated */
    VGT_SVGA3D_CMD_SHADER_DEFINE = 1059,
    VGT_SVGA3D_CMD_SHADER_DESTROY = 1060,
    VGT_SVGA3D_CMD_SET_SHADER = 1061,
    VGT_SVGA3D_CMD_SET_SHADER_CONST = 1062,
    VGT_SVGA3D_CMD_DRAW_PRIMITIVES = 1063,
    VGT_SVGA3D_CMD_SETSCISSORRECT = 1064,
    VGT_SVGA3D_CMD_BEGIN_QUERY = 1065,
    VGT_SVGA3D_CMD_END_QUERY = 1066,
    VGT_SVGA3D_CMD_WAIT_FOR_QUERY = 1067,
    VGT_SVGA3D_CMD_PRESENT_READBACK = 1068, /* deprecated */
    VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN = 1069,
    VGT_SVGA3D_CMD_SURFACE_DEFINE_V2 = 1070,
    VGT_SVGA3D_CMD_GENERATE_MIPMAPS = 1071,
    /* 1072..1079: obsolete video commands, not part of this protocol */
    VGT_SVGA3D_CMD_ACTIVATE_SURFACE = 1080,
    VGT_SVGA3D_CMD_DEACTIVATE_SURFACE = 1081,
    VGT_SVGA3D_CMD_LEGACY_MAX = 1082, /* one past the last legacy command */
};

/* Every 3D command starts with this header; `size` is the body's length in
 * bytes (a multiple of 4), not counting the header. */
typedef struct vgt_svga3d_cmd_header {
    uint32_t id;
    uint32_t size;
} vgt_svga3d_cmd_header;

/* ---- hardware version (FIFO 3D_HWVERSION registers) -------------------- */

#define VGT_SVGA3D_MAKE_HWVERSION(major, minor) (((uint32_t)(major) << 16) | ((minor)&0xFFu))
#define VGT_SVGA3D_HWVERSION_MAJOR(v)           ((uint32_t)(v) >> 16)
#define VGT_SVGA3D_HWVERSION_MINOR(v)           ((uint32_t)(v)&0xFFu)

#define VGT_SVGA3D_HWVERSION_WS5_RC1   VGT_SVGA3D_MAKE_HWVERSION(0, 1)
#define VGT_SVGA3D_HWVERSION_WS5_RC2   VGT_SVGA3D_MAKE_HWVERSION(0, 2)
#define VGT_SVGA3D_HWVERSION_WS51_RC1  VGT_SVGA3D_MAKE_HWVERSION(0, 3)
#define VGT_SVGA3D_HWVERSION_WS6_B1    VGT_SVGA3D_MAKE_HWVERSION(1, 1)
#define VGT_SVGA3D_HWVERSION_FUSION_11 VGT_SVGA3D_MAKE_HWVERSION(1, 4)
#define VGT_SVGA3D_HWVERSION_WS65_B1   VGT_SVGA3D_MAKE_HWVERSION(2, 0)
#define VGT_SVGA3D_HWVERSION_CURRENT   VGT_SVGA3D_HWVERSION_WS65_B1

/* ---- capability records (FIFO words 3D_CAPS .. 3D_CAPS_LAST) -----------
 * The caps block is a list of records; each starts with a header whose
 * `length` counts the record's words, header included, so the next record
 * starts `length` words later.  A zero length word ends the list.  A DEVCAPS
 * record holds {index, value} pairs, index a VGT_SVGA3D_DEVCAP_*. */

#define VGT_SVGA3D_CAPS_BLOCK_WORDS (VGT_SVGA_FIFO_3D_CAPS_LAST - VGT_SVGA_FIFO_3D_CAPS + 1)

#define VGT_SVGA3D_CAPS_RECORD_UNKNOWN     0x000u
#define VGT_SVGA3D_CAPS_RECORD_DEVCAPS_MIN 0x100u
#define VGT_SVGA3D_CAPS_RECORD_DEVCAPS     0x100u
#define VGT_SVGA3D_CAPS_RECORD_DEVCAPS_MAX 0x1FFu

typedef struct vgt_svga3d_caps_record_header {
    uint32_t length; /* words, header included */
    uint32_t type;   /* VGT_SVGA3D_CAPS_RECORD_* */
} vgt_svga3d_caps_record_header;

/* One DEVCAPS pair; `value` is a uint32, int32, float or bool by index. */
typedef struct vgt_svga3d_cap_pair {
    uint32_t index;
    uint32_t value;
} vgt_svga3d_cap_pair;

enum vgt_svga3d_devcap {
    VGT_SVGA3D_DEVCAP_3D = 0,
    VGT_SVGA3D_DEVCAP_MAX_LIGHTS = 1,
    VGT_SVGA3D_DEVCAP_MAX_TEXTURES = 2, /* fixed-function texture units */
    VGT_SVGA3D_DEVCAP_MAX_CLIP_PLANES = 3,
    VGT_SVGA3D_DEVCAP_VERTEX_SHADER_VERSION = 4,
    VGT_SVGA3D_DEVCAP_VERTEX_SHADER = 5,
    VGT_SVGA3D_DEVCAP_FRAGMENT_SHADER_VERSION = 6,
    VGT_SVGA3D_DEVCAP_FRAGMENT_SHADER = 7,
    VGT_SVGA3D_DEVCAP_MAX_RENDER_TARGETS = 8,
    VGT_SVGA3D_DEVCAP_S23E8_TEXTURES = 9,
    VGT_SVGA3D_DEVCAP_S10E5_TEXTURES = 10,
    VGT_SVGA3D_DEVCAP_MAX_FIXED_VERTEXBLEND = 11,
    VGT_SVGA3D_DEVCAP_D16_BUFFER_FORMAT = 12,
    VGT_SVGA3D_DEVCAP_D24S8_BUFFER_FORMAT = 13,
    VGT_SVGA3D_DEVCAP_D24X8_BUFFER_FORMAT = 14,
    VGT_SVGA3D_DEVCAP_QUERY_TYPES = 15,
    VGT_SVGA3D_DEVCAP_TEXTURE_GRADIENT_SAMPLING = 16,
    VGT_SVGA3D_DEVCAP_MAX_POINT_SIZE = 17,
    VGT_SVGA3D_DEVCAP_MAX_SHADER_TEXTURES = 18,
    VGT_SVGA3D_DEVCAP_MAX_TEXTURE_WIDTH = 19,
    VGT_SVGA3D_DEVCAP_MAX_TEXTURE_HEIGHT = 20,
    VGT_SVGA3D_DEVCAP_MAX_VOLUME_EXTENT = 21,
    VGT_SVGA3D_DEVCAP_MAX_TEXTURE_REPEAT = 22,
    VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ASPECT_RATIO = 23,
    VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY = 24,
    VGT_SVGA3D_DEVCAP_MAX_PRIMITIVE_COUNT = 25,
    VGT_SVGA3D_DEVCAP_MAX_VERTEX_INDEX = 26,
    VGT_SVGA3D_DEVCAP_MAX_VERTEX_SHADER_INSTRUCTIONS = 27,
    VGT_SVGA3D_DEVCAP_MAX_FRAGMENT_SHADER_INSTRUCTIONS = 28,
    VGT_SVGA3D_DEVCAP_MAX_VERTEX_SHADER_TEMPS = 29,
    VGT_SVGA3D_DEVCAP_MAX_FRAGMENT_SHADER_TEMPS = 30,
    VGT_SVGA3D_DEVCAP_TEXTURE_OPS = 31,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_X8R8G8B8 = 32, /* first per-format cap */
    VGT_SVGA3D_DEVCAP_SURFACEFMT_A8R8G8B8 = 33,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_A2R10G10B10 = 34,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_X1R5G5B5 = 35,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_A1R5G5B5 = 36,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_A4R4G4B4 = 37,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_R5G6B5 = 38,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_LUMINANCE16 = 39,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_LUMINANCE8_ALPHA8 = 40,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_ALPHA8 = 41,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_LUMINANCE8 = 42,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_Z_D16 = 43,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_Z_D24S8 = 44,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_Z_D24X8 = 45,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_DXT1 = 46,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_DXT2 = 47,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_DXT3 = 48,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_DXT4 = 49,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_DXT5 = 50,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_BUMPX8L8V8U8 = 51,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_A2W10V10U10 = 52,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_BUMPU8V8 = 53,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_Q8W8V8U8 = 54,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_CXV8U8 = 55,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_R_S10E5 = 56,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_R_S23E8 = 57,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_RG_S10E5 = 58,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_RG_S23E8 = 59,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_ARGB_S10E5 = 60,
    VGT_SVGA3D_DEVCAP_SURFACEFMT_ARGB_S23E8 = 61, /* last per-format cap */
    /* 62 is unused (one past the per-format caps) */
    VGT_SVGA3D_DEVCAP_MAX_VERTEX_SHADER_TEXTURES = 63,
    VGT_SVGA3D_DEVCAP_MAX_SIMULTANEOUS_RENDER_TARGETS = 64, /* colour targets only */
    VGT_SVGA3D_DEVCAP_MAX = 65, /* one past the last index of the legacy protocol */
};

/* The value of a per-format DEVCAP: VGT_SVGA3D_FORMAT_OP_* bits. */
#define VGT_SVGA3D_FORMAT_OP_TEXTURE                              0x00000001u
#define VGT_SVGA3D_FORMAT_OP_VOLUMETEXTURE                        0x00000002u
#define VGT_SVGA3D_FORMAT_OP_CUBETEXTURE                          0x00000004u
#define VGT_SVGA3D_FORMAT_OP_OFFSCREEN_RENDERTARGET               0x00000008u
#define VGT_SVGA3D_FORMAT_OP_SAME_FORMAT_RENDERTARGET             0x00000010u
#define VGT_SVGA3D_FORMAT_OP_ZSTENCIL                             0x00000040u
#define VGT_SVGA3D_FORMAT_OP_ZSTENCIL_WITH_ARBITRARY_COLOR_DEPTH  0x00000080u
#define VGT_SVGA3D_FORMAT_OP_SAME_FORMAT_UP_TO_ALPHA_RENDERTARGET 0x00000100u
#define VGT_SVGA3D_FORMAT_OP_DISPLAYMODE                          0x00000400u
#define VGT_SVGA3D_FORMAT_OP_3DACCELERATION                       0x00000800u
#define VGT_SVGA3D_FORMAT_OP_PIXELSIZE                            0x00001000u
#define VGT_SVGA3D_FORMAT_OP_CONVERT_TO_ARGB                      0x00002000u
#define VGT_SVGA3D_FORMAT_OP_OFFSCREENPLAIN                       0x00004000u
#define VGT_SVGA3D_FORMAT_OP_SRGBREAD                             0x00008000u
#define VGT_SVGA3D_FORMAT_OP_BUMPMAP                              0x00010000u
#define VGT_SVGA3D_FORMAT_OP_DMAP                                 0x00020000u
#define VGT_SVGA3D_FORMAT_OP_NOFILTER                             0x00040000u
#define VGT_SVGA3D_FORMAT_OP_MEMBEROFGROUP_ARGB                   0x00080000u
#define VGT_SVGA3D_FORMAT_OP_SRGBWRITE                            0x00100000u
#define VGT_SVGA3D_FORMAT_OP_NOALPHABLEND                         0x00200000u
#define VGT_SVGA3D_FORMAT_OP_AUTOGENMIPMAP                        0x00400000u
#define VGT_SVGA3D_FORMAT_OP_VERTEXTEXTURE                        0x00800000u
#define VGT_SVGA3D_FORMAT_OP_NOTEXCOORDWRAPNORMIP                 0x01000000u

/* ---- limits ------------------------------------------------------------- */

#define VGT_SVGA3D_INVALID_ID                      0xFFFFFFFFu
#define VGT_SVGA3D_NUM_CLIPPLANES                  6u
#define VGT_SVGA3D_MAX_CLIP_PLANES                 6u
#define VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS 8u
#define VGT_SVGA3D_MAX_SURFACE_FACES               6u
#define VGT_SVGA3D_MAX_TEXTURE_COORDS              8u /* fixed-function transforms/coords */
#define VGT_SVGA3D_MAX_TEXTURE_STAGES              16u /* sampler stages a SETTEXTURESTATE may name */
#define VGT_SVGA3D_MAX_VERTEX_ARRAYS               32u
#define VGT_SVGA3D_MAX_DRAW_PRIMITIVE_RANGES       32u
/* Mip levels per face: enough for a 2^31 texel edge; larger counts are
 * malformed (our limit; the protocol bounds it through the texture caps). */
#define VGT_SVGA3D_MAX_MIP_LEVELS 32u

/* ---- surface formats ---------------------------------------------------- */

enum vgt_svga3d_surface_format {
    VGT_SVGA3D_FORMAT_INVALID = 0,
    VGT_SVGA3D_X8R8G8B8 = 1,
    VGT_SVGA3D_A8R8G8B8 = 2,
    VGT_SVGA3D_R5G6B5 = 3,
    VGT_SVGA3D_X1R5G5B5 = 4,
    VGT_SVGA3D_A1R5G5B5 = 5,
    VGT_SVGA3D_A4R4G4B4 = 6,
    VGT_SVGA3D_Z_D32 = 7,
    VGT_SVGA3D_Z_D16 = 8,
    VGT_SVGA3D_Z_D24S8 = 9,
    VGT_SVGA3D_Z_D15S1 = 10,
    VGT_SVGA3D_LUMINANCE8 = 11,
    VGT_SVGA3D_LUMINANCE4_ALPHA4 = 12,
    VGT_SVGA3D_LUMINANCE16 = 13,
    VGT_SVGA3D_LUMINANCE8_ALPHA8 = 14,
    VGT_SVGA3D_DXT1 = 15,
    VGT_SVGA3D_DXT2 = 16,
    VGT_SVGA3D_DXT3 = 17,
    VGT_SVGA3D_DXT4 = 18,
    VGT_SVGA3D_DXT5 = 19,
    VGT_SVGA3D_BUMPU8V8 = 20,
    VGT_SVGA3D_BUMPL6V5U5 = 21,
    VGT_SVGA3D_BUMPX8L8V8U8 = 22,
    VGT_SVGA3D_BUMPL8V8U8 = 23,
    VGT_SVGA3D_ARGB_S10E5 = 24, /* 16-bit float ARGB */
    VGT_SVGA3D_ARGB_S23E8 = 25, /* 32-bit float ARGB */
    VGT_SVGA3D_A2R10G10B10 = 26,
    VGT_SVGA3D_V8U8 = 27,
    VGT_SVGA3D_Q8W8V8U8 = 28,
    VGT_SVGA3D_CXV8U8 = 29,
    VGT_SVGA3D_X8L8V8U8 = 30,
    VGT_SVGA3D_A2W10V10U10 = 31,
    VGT_SVGA3D_ALPHA8 = 32,
    VGT_SVGA3D_R_S10E5 = 33,
    VGT_SVGA3D_R_S23E8 = 34,
    VGT_SVGA3D_RG_S10E5 = 35,
    VGT_SVGA3D_RG_S23E8 = 36,
    VGT_SVGA3D_BUFFER = 37, /* vertex/index data */
    VGT_SVGA3D_Z_D24X8 = 38,
    VGT_SVGA3D_FORMAT_MAX = 39, /* one past the last legacy format */
};

/* Surface flags (SURFACE_DEFINE).  Bits 0-4 are the original set; 5-10 came
 * with SURFACE_DEFINE_V2-era hosts.  Unknown bits are passed through. */
#define VGT_SVGA3D_SURFACE_CUBEMAP            (1u << 0)
#define VGT_SVGA3D_SURFACE_HINT_STATIC        (1u << 1)
#define VGT_SVGA3D_SURFACE_HINT_DYNAMIC       (1u << 2)
#define VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER   (1u << 3)
#define VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER  (1u << 4)
#define VGT_SVGA3D_SURFACE_HINT_TEXTURE       (1u << 5)
#define VGT_SVGA3D_SURFACE_HINT_RENDERTARGET  (1u << 6)
#define VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL  (1u << 7)
#define VGT_SVGA3D_SURFACE_HINT_WRITEONLY     (1u << 8)
#define VGT_SVGA3D_SURFACE_MASKABLE_ANTIALIAS (1u << 9)
#define VGT_SVGA3D_SURFACE_AUTOGENMIPMAPS     (1u << 10)

/* Cube faces (the face index of a surface image). */
enum vgt_svga3d_cube_face {
    VGT_SVGA3D_CUBEFACE_POSX = 0,
    VGT_SVGA3D_CUBEFACE_NEGX = 1,
    VGT_SVGA3D_CUBEFACE_POSY = 2,
    VGT_SVGA3D_CUBEFACE_NEGY = 3,
    VGT_SVGA3D_CUBEFACE_POSZ = 4,
    VGT_SVGA3D_CUBEFACE_NEGZ = 5,
};

/* ---- render states (SETRENDERSTATE) ------------------------------------- */

enum vgt_svga3d_render_state {
    VGT_SVGA3D_RS_INVALID = 0,
    VGT_SVGA3D_RS_ZENABLE = 1,                 /* bool */
    VGT_SVGA3D_RS_ZWRITEENABLE = 2,            /* bool */
    VGT_SVGA3D_RS_ALPHATESTENABLE = 3,         /* bool */
    VGT_SVGA3D_RS_DITHERENABLE = 4,            /* bool */
    VGT_SVGA3D_RS_BLENDENABLE = 5,             /* bool */
    VGT_SVGA3D_RS_FOGENABLE = 6,               /* bool */
    VGT_SVGA3D_RS_SPECULARENABLE = 7,          /* bool */
    VGT_SVGA3D_RS_STENCILENABLE = 8,           /* bool */
    VGT_SVGA3D_RS_LIGHTINGENABLE = 9,          /* bool */
    VGT_SVGA3D_RS_NORMALIZENORMALS = 10,       /* bool */
    VGT_SVGA3D_RS_POINTSPRITEENABLE = 11,      /* bool */
    VGT_SVGA3D_RS_POINTSCALEENABLE = 12,       /* bool */
    VGT_SVGA3D_RS_STENCILREF = 13,             /* uint32 */
    VGT_SVGA3D_RS_STENCILMASK = 14,            /* uint32 */
    VGT_SVGA3D_RS_STENCILWRITEMASK = 15,       /* uint32 */
    VGT_SVGA3D_RS_FOGSTART = 16,               /* float */
    VGT_SVGA3D_RS_FOGEND = 17,                 /* float */
    VGT_SVGA3D_RS_FOGDENSITY = 18,             /* float */
    VGT_SVGA3D_RS_POINTSIZE = 19,              /* float */
    VGT_SVGA3D_RS_POINTSIZEMIN = 20,           /* float */
    VGT_SVGA3D_RS_POINTSIZEMAX = 21,           /* float */
    VGT_SVGA3D_RS_POINTSCALE_A = 22,           /* float */
    VGT_SVGA3D_RS_POINTSCALE_B = 23,           /* float */
    VGT_SVGA3D_RS_POINTSCALE_C = 24,           /* float */
    VGT_SVGA3D_RS_FOGCOLOR = 25,               /* color */
    VGT_SVGA3D_RS_AMBIENT = 26,                /* color */
    VGT_SVGA3D_RS_CLIPPLANEENABLE = 27,        /* VGT_SVGA3D_CLIPPLANE_* bits */
    VGT_SVGA3D_RS_FOGMODE = 28,                /* VGT_SVGA3D_FOGMODE() */
    VGT_SVGA3D_RS_FILLMODE = 29,               /* VGT_SVGA3D_FILLMODE() */
    VGT_SVGA3D_RS_SHADEMODE = 30,              /* vgt_svga3d_shade_mode */
    VGT_SVGA3D_RS_LINEPATTERN = 31,            /* repeat (low 16) | pattern (high 16) */
    VGT_SVGA3D_RS_SRCBLEND = 32,               /* vgt_svga3d_blend_op */
    VGT_SVGA3D_RS_DSTBLEND = 33,               /* vgt_svga3d_blend_op */
    VGT_SVGA3D_RS_BLENDEQUATION = 34,          /* vgt_svga3d_blend_eq */
    VGT_SVGA3D_RS_CULLMODE = 35,               /* vgt_svga3d_face */
    VGT_SVGA3D_RS_ZFUNC = 36,                  /* vgt_svga3d_cmp_func */
    VGT_SVGA3D_RS_ALPHAFUNC = 37,              /* vgt_svga3d_cmp_func */
    VGT_SVGA3D_RS_STENCILFUNC = 38,            /* vgt_svga3d_cmp_func */
    VGT_SVGA3D_RS_STENCILFAIL = 39,            /* vgt_svga3d_stencil_op */
    VGT_SVGA3D_RS_STENCILZFAIL = 40,           /* vgt_svga3d_stencil_op */
    VGT_SVGA3D_RS_STENCILPASS = 41,            /* vgt_svga3d_stencil_op */
    VGT_SVGA3D_RS_ALPHAREF = 42,               /* float 0..1 */
    VGT_SVGA3D_RS_FRONTWINDING = 43,           /* vgt_svga3d_front_winding */
    VGT_SVGA3D_RS_COORDINATETYPE = 44,         /* vgt_svga3d_coordinate_type */
    VGT_SVGA3D_RS_ZBIAS = 45,                  /* float */
    VGT_SVGA3D_RS_RANGEFOGENABLE = 46,         /* bool */
    VGT_SVGA3D_RS_COLORWRITEENABLE = 47,       /* VGT_SVGA3D_COLORMASK_* bits */
    VGT_SVGA3D_RS_VERTEXMATERIALENABLE = 48,   /* bool */
    VGT_SVGA3D_RS_DIFFUSEMATERIALSOURCE = 49,  /* vgt_svga3d_vertex_material */
    VGT_SVGA3D_RS_SPECULARMATERIALSOURCE = 50, /* vgt_svga3d_vertex_material */
    VGT_SVGA3D_RS_AMBIENTMATERIALSOURCE = 51,  /* vgt_svga3d_vertex_material */
    VGT_SVGA3D_RS_EMISSIVEMATERIALSOURCE = 52, /* vgt_svga3d_vertex_material */
    VGT_SVGA3D_RS_TEXTUREFACTOR = 53,          /* color */
    VGT_SVGA3D_RS_LOCALVIEWER = 54,            /* bool */
    VGT_SVGA3D_RS_SCISSORTESTENABLE = 55,      /* bool */
    VGT_SVGA3D_RS_BLENDCOLOR = 56,             /* color */
    VGT_SVGA3D_RS_STENCILENABLE2SIDED = 57,    /* bool */
    VGT_SVGA3D_RS_CCWSTENCILFUNC = 58,         /* vgt_svga3d_cmp_func */
    VGT_SVGA3D_RS_CCWSTENCILFAIL = 59,         /* vgt_svga3d_stencil_op */
    VGT_SVGA3D_RS_CCWSTENCILZFAIL = 60,        /* vgt_svga3d_stencil_op */
    VGT_SVGA3D_RS_CCWSTENCILPASS = 61,         /* vgt_svga3d_stencil_op */
    VGT_SVGA3D_RS_VERTEXBLEND = 62,            /* vgt_svga3d_vertex_blend */
    VGT_SVGA3D_RS_SLOPESCALEDEPTHBIAS = 63,    /* float */
    VGT_SVGA3D_RS_DEPTHBIAS = 64,              /* float */
    VGT_SVGA3D_RS_OUTPUTGAMMA = 65,            /* float; <= 0 means linear */
    VGT_SVGA3D_RS_ZVISIBLE = 66,               /* bool */
    VGT_SVGA3D_RS_LASTPIXEL = 67,              /* bool */
    VGT_SVGA3D_RS_CLIPPING = 68,               /* bool */
    VGT_SVGA3D_RS_WRAP0 = 69,                  /* VGT_SVGA3D_WRAPCOORD_* bits */
    VGT_SVGA3D_RS_WRAP1 = 70,
    VGT_SVGA3D_RS_WRAP2 = 71,
    VGT_SVGA3D_RS_WRAP3 = 72,
    VGT_SVGA3D_RS_WRAP4 = 73,
    VGT_SVGA3D_RS_WRAP5 = 74,
    VGT_SVGA3D_RS_WRAP6 = 75,
    VGT_SVGA3D_RS_WRAP7 = 76,
    VGT_SVGA3D_RS_WRAP8 = 77,
    VGT_SVGA3D_RS_WRAP9 = 78,
    VGT_SVGA3D_RS_WRAP10 = 79,
    VGT_SVGA3D_RS_WRAP11 = 80,
    VGT_SVGA3D_RS_WRAP12 = 81,
    VGT_SVGA3D_RS_WRAP13 = 82,
    VGT_SVGA3D_RS_WRAP14 = 83,
    VGT_SVGA3D_RS_WRAP15 = 84,
    VGT_SVGA3D_RS_MULTISAMPLEANTIALIAS = 85,     /* bool */
    VGT_SVGA3D_RS_MULTISAMPLEMASK = 86,          /* uint32 */
    VGT_SVGA3D_RS_INDEXEDVERTEXBLENDENABLE = 87, /* bool */
    VGT_SVGA3D_RS_TWEENFACTOR = 88,              /* float */
    VGT_SVGA3D_RS_ANTIALIASEDLINEENABLE = 89,    /* bool */
    VGT_SVGA3D_RS_COLORWRITEENABLE1 = 90,        /* VGT_SVGA3D_COLORMASK_* bits */
    VGT_SVGA3D_RS_COLORWRITEENABLE2 = 91,
    VGT_SVGA3D_RS_COLORWRITEENABLE3 = 92,
    VGT_SVGA3D_RS_SEPARATEALPHABLENDENABLE = 93, /* bool */
    VGT_SVGA3D_RS_SRCBLENDALPHA = 94,            /* vgt_svga3d_blend_op */
    VGT_SVGA3D_RS_DSTBLENDALPHA = 95,            /* vgt_svga3d_blend_op */
    VGT_SVGA3D_RS_BLENDEQUATIONALPHA = 96,       /* vgt_svga3d_blend_eq */
    VGT_SVGA3D_RS_TRANSPARENCYANTIALIAS = 97,    /* vgt_svga3d_transparency_aa */
    VGT_SVGA3D_RS_LINEAA = 98,                   /* bool */
    VGT_SVGA3D_RS_LINEWIDTH = 99,                /* float */
    VGT_SVGA3D_RS_MAX = 100,                     /* one past the last state */
};

enum vgt_svga3d_transparency_aa {
    VGT_SVGA3D_TRANSPARENCYANTIALIAS_NORMAL = 0,
    VGT_SVGA3D_TRANSPARENCYANTIALIAS_ALPHATOCOVERAGE = 1,
    VGT_SVGA3D_TRANSPARENCYANTIALIAS_SUPERSAMPLE = 2,
    VGT_SVGA3D_TRANSPARENCYANTIALIAS_MAX = 3,
};

enum vgt_svga3d_vertex_material {
    VGT_SVGA3D_VERTEXMATERIAL_NONE = 0,
    VGT_SVGA3D_VERTEXMATERIAL_DIFFUSE = 1,
    VGT_SVGA3D_VERTEXMATERIAL_SPECULAR = 2,
    VGT_SVGA3D_VERTEXMATERIAL_MAX = 3,
};

enum vgt_svga3d_fill_mode_type {
    VGT_SVGA3D_FILLMODE_INVALID = 0,
    VGT_SVGA3D_FILLMODE_POINT = 1,
    VGT_SVGA3D_FILLMODE_LINE = 2,
    VGT_SVGA3D_FILLMODE_FILL = 3,
    VGT_SVGA3D_FILLMODE_MAX = 4,
};
/* RS_FILLMODE value: mode in the low 16 bits, face (vgt_svga3d_face) in the high 16. */
#define VGT_SVGA3D_FILLMODE(mode, face) (((uint32_t)(face) << 16) | ((uint32_t)(mode)&0xFFFFu))
#define VGT_SVGA3D_FILLMODE_MODE(v)     ((uint32_t)(v)&0xFFFFu)
#define VGT_SVGA3D_FILLMODE_FACE(v)     ((uint32_t)(v) >> 16)

enum vgt_svga3d_shade_mode {
    VGT_SVGA3D_SHADEMODE_INVALID = 0,
    VGT_SVGA3D_SHADEMODE_FLAT = 1,
    VGT_SVGA3D_SHADEMODE_SMOOTH = 2,
    VGT_SVGA3D_SHADEMODE_PHONG = 3, /* not supported by hosts */
    VGT_SVGA3D_SHADEMODE_MAX = 4,
};

enum vgt_svga3d_blend_op {
    VGT_SVGA3D_BLENDOP_INVALID = 0,
    VGT_SVGA3D_BLENDOP_ZERO = 1,
    VGT_SVGA3D_BLENDOP_ONE = 2,
    VGT_SVGA3D_BLENDOP_SRCCOLOR = 3,
    VGT_SVGA3D_BLENDOP_INVSRCCOLOR = 4,
    VGT_SVGA3D_BLENDOP_SRCALPHA = 5,
    VGT_SVGA3D_BLENDOP_INVSRCALPHA = 6,
    VGT_SVGA3D_BLENDOP_DESTALPHA = 7,
    VGT_SVGA3D_BLENDOP_INVDESTALPHA = 8,
    VGT_SVGA3D_BLENDOP_DESTCOLOR = 9,
    VGT_SVGA3D_BLENDOP_INVDESTCOLOR = 10,
    VGT_SVGA3D_BLENDOP_SRCALPHASAT = 11,
    VGT_SVGA3D_BLENDOP_BLENDFACTOR = 12,
    VGT_SVGA3D_BLENDOP_INVBLENDFACTOR = 13,
    VGT_SVGA3D_BLENDOP_MAX = 14,
};

enum vgt_svga3d_blend_eq {
    VGT_SVGA3D_BLENDEQ_INVALID = 0,
    VGT_SVGA3D_BLENDEQ_ADD = 1,
    VGT_SVGA3D_BLENDEQ_SUBTRACT = 2,
    VGT_SVGA3D_BLENDEQ_REVSUBTRACT = 3,
    VGT_SVGA3D_BLENDEQ_MINIMUM = 4,
    VGT_SVGA3D_BLENDEQ_MAXIMUM = 5,
    VGT_SVGA3D_BLENDEQ_MAX = 6,
};

enum vgt_svga3d_front_winding {
    VGT_SVGA3D_FRONTWINDING_INVALID = 0,
    VGT_SVGA3D_FRONTWINDING_CW = 1,
    VGT_SVGA3D_FRONTWINDING_CCW = 2,
    VGT_SVGA3D_FRONTWINDING_MAX = 3,
};

/* Faces: cull mode, fill mode face, material face. */
enum vgt_svga3d_face {
    VGT_SVGA3D_FACE_INVALID = 0,
    VGT_SVGA3D_FACE_NONE = 1,
    VGT_SVGA3D_FACE_FRONT = 2,
    VGT_SVGA3D_FACE_BACK = 3,
    VGT_SVGA3D_FACE_FRONT_BACK = 4,
    VGT_SVGA3D_FACE_MAX = 5,
};

enum vgt_svga3d_cmp_func {
    VGT_SVGA3D_CMP_INVALID = 0,
    VGT_SVGA3D_CMP_NEVER = 1,
    VGT_SVGA3D_CMP_LESS = 2,
    VGT_SVGA3D_CMP_EQUAL = 3,
    VGT_SVGA3D_CMP_LESSEQUAL = 4,
    VGT_SVGA3D_CMP_GREATER = 5,
    VGT_SVGA3D_CMP_NOTEQUAL = 6,
    VGT_SVGA3D_CMP_GREATEREQUAL = 7,
    VGT_SVGA3D_CMP_ALWAYS = 8,
    VGT_SVGA3D_CMP_MAX = 9,
};

/* RS_FOGMODE value: function (low 16 bits), type (bits 16-23), base (24-31). */
enum vgt_svga3d_fog_function {
    VGT_SVGA3D_FOGFUNC_INVALID = 0,
    VGT_SVGA3D_FOGFUNC_EXP = 1,
    VGT_SVGA3D_FOGFUNC_EXP2 = 2,
    VGT_SVGA3D_FOGFUNC_LINEAR = 3,
    VGT_SVGA3D_FOGFUNC_PER_VERTEX = 4,
    VGT_SVGA3D_FOGFUNC_MAX = 5,
};
enum vgt_svga3d_fog_type {
    VGT_SVGA3D_FOGTYPE_INVALID = 0,
    VGT_SVGA3D_FOGTYPE_VERTEX = 1,
    VGT_SVGA3D_FOGTYPE_PIXEL = 2,
    VGT_SVGA3D_FOGTYPE_MAX = 3,
};
enum vgt_svga3d_fog_base {
    VGT_SVGA3D_FOGBASE_INVALID = 0,
    VGT_SVGA3D_FOGBASE_DEPTHBASED = 1,
    VGT_SVGA3D_FOGBASE_RANGEBASED = 2,
    VGT_SVGA3D_FOGBASE_MAX = 3,
};
#define VGT_SVGA3D_FOGMODE(function, type, base)                                                   \
    (((uint32_t)(function)&0xFFFFu) | (((uint32_t)(type)&0xFFu) << 16) |                           \
     (((uint32_t)(base)&0xFFu) << 24))
#define VGT_SVGA3D_FOGMODE_FUNCTION(v) ((uint32_t)(v)&0xFFFFu)
#define VGT_SVGA3D_FOGMODE_TYPE(v)     (((uint32_t)(v) >> 16) & 0xFFu)
#define VGT_SVGA3D_FOGMODE_BASE(v)     ((uint32_t)(v) >> 24)

enum vgt_svga3d_stencil_op {
    VGT_SVGA3D_STENCILOP_INVALID = 0,
    VGT_SVGA3D_STENCILOP_KEEP = 1,
    VGT_SVGA3D_STENCILOP_ZERO = 2,
    VGT_SVGA3D_STENCILOP_REPLACE = 3,
    VGT_SVGA3D_STENCILOP_INCRSAT = 4,
    VGT_SVGA3D_STENCILOP_DECRSAT = 5,
    VGT_SVGA3D_STENCILOP_INVERT = 6,
    VGT_SVGA3D_STENCILOP_INCR = 7,
    VGT_SVGA3D_STENCILOP_DECR = 8,
    VGT_SVGA3D_STENCILOP_MAX = 9,
};

#define VGT_SVGA3D_CLIPPLANE_0   (1u << 0)
#define VGT_SVGA3D_CLIPPLANE_1   (1u << 1)
#define VGT_SVGA3D_CLIPPLANE_2   (1u << 2)
#define VGT_SVGA3D_CLIPPLANE_3   (1u << 3)
#define VGT_SVGA3D_CLIPPLANE_4   (1u << 4)
#define VGT_SVGA3D_CLIPPLANE_5   (1u << 5)
#define VGT_SVGA3D_CLIPPLANE_ALL 0x3Fu

#define VGT_SVGA3D_COLORMASK_RED   (1u << 0)
#define VGT_SVGA3D_COLORMASK_GREEN (1u << 1)
#define VGT_SVGA3D_COLORMASK_BLUE  (1u << 2)
#define VGT_SVGA3D_COLORMASK_ALPHA (1u << 3)

enum vgt_svga3d_vertex_blend {
    VGT_SVGA3D_VBLEND_DISABLE = 0,
    VGT_SVGA3D_VBLEND_1WEIGHT = 1,
    VGT_SVGA3D_VBLEND_2WEIGHT = 2,
    VGT_SVGA3D_VBLEND_3WEIGHT = 3,
    VGT_SVGA3D_VBLEND_MAX = 4,
    /* Direct3D 9's other two D3DVERTEXBLENDFLAGS, which SVGA3D does not
     * name but hosts that pass the value to Direct3D (VirtualBox) accept:
     * tweening (POSITION0 to POSITION1 by RS TWEENFACTOR) and one
     * matrix, weight 1 */
    VGT_SVGA3D_VBLEND_TWEENING = 255,
    VGT_SVGA3D_VBLEND_0WEIGHTS = 256,
};

#define VGT_SVGA3D_WRAPCOORD_0   (1u << 0)
#define VGT_SVGA3D_WRAPCOORD_1   (1u << 1)
#define VGT_SVGA3D_WRAPCOORD_2   (1u << 2)
#define VGT_SVGA3D_WRAPCOORD_3   (1u << 3)
#define VGT_SVGA3D_WRAPCOORD_ALL 0xFu

enum vgt_svga3d_coordinate_type {
    VGT_SVGA3D_COORDINATE_INVALID = 0,
    VGT_SVGA3D_COORDINATE_LEFTHANDED = 1,
    VGT_SVGA3D_COORDINATE_RIGHTHANDED = 2,
    VGT_SVGA3D_COORDINATE_MAX = 3,
};

/* ---- texture stage states (SETTEXTURESTATE) ----------------------------- */

enum vgt_svga3d_texture_state {
    VGT_SVGA3D_TS_INVALID = 0,
    VGT_SVGA3D_TS_BIND_TEXTURE = 1,               /* surface id or VGT_SVGA3D_INVALID_ID */
    VGT_SVGA3D_TS_COLOROP = 2,                    /* vgt_svga3d_texture_combiner */
    VGT_SVGA3D_TS_COLORARG1 = 3,                  /* texture arg */
    VGT_SVGA3D_TS_COLORARG2 = 4,                  /* texture arg */
    VGT_SVGA3D_TS_ALPHAOP = 5,                    /* vgt_svga3d_texture_combiner */
    VGT_SVGA3D_TS_ALPHAARG1 = 6,                  /* texture arg */
    VGT_SVGA3D_TS_ALPHAARG2 = 7,                  /* texture arg */
    VGT_SVGA3D_TS_ADDRESSU = 8,                   /* vgt_svga3d_texture_address */
    VGT_SVGA3D_TS_ADDRESSV = 9,                   /* vgt_svga3d_texture_address */
    VGT_SVGA3D_TS_MIPFILTER = 10,                 /* vgt_svga3d_texture_filter */
    VGT_SVGA3D_TS_MAGFILTER = 11,                 /* vgt_svga3d_texture_filter */
    VGT_SVGA3D_TS_MINFILTER = 12,                 /* vgt_svga3d_texture_filter */
    VGT_SVGA3D_TS_BORDERCOLOR = 13,               /* color */
    VGT_SVGA3D_TS_TEXCOORDINDEX = 14,             /* uint32 */
    VGT_SVGA3D_TS_TEXTURETRANSFORMFLAGS = 15,     /* VGT_SVGA3D_TEX_TRANSFORM_* bits */
    VGT_SVGA3D_TS_TEXCOORDGEN = 16,               /* vgt_svga3d_texcoord_gen */
    VGT_SVGA3D_TS_BUMPENVMAT00 = 17,              /* float */
    VGT_SVGA3D_TS_BUMPENVMAT01 = 18,              /* float */
    VGT_SVGA3D_TS_BUMPENVMAT10 = 19,              /* float */
    VGT_SVGA3D_TS_BUMPENVMAT11 = 20,              /* float */
    VGT_SVGA3D_TS_TEXTURE_MIPMAP_LEVEL = 21,      /* uint32 */
    VGT_SVGA3D_TS_TEXTURE_LOD_BIAS = 22,          /* float */
    VGT_SVGA3D_TS_TEXTURE_ANISOTROPIC_LEVEL = 23, /* uint32 */
    VGT_SVGA3D_TS_ADDRESSW = 24,                  /* vgt_svga3d_texture_address */
    VGT_SVGA3D_TS_GAMMA = 25,                     /* float; <= 0 means linear */
    VGT_SVGA3D_TS_BUMPENVLSCALE = 26,             /* float */
    VGT_SVGA3D_TS_BUMPENVLOFFSET = 27,            /* float */
    VGT_SVGA3D_TS_COLORARG0 = 28,                 /* texture arg */
    VGT_SVGA3D_TS_ALPHAARG0 = 29,                 /* texture arg */
    VGT_SVGA3D_TS_MAX = 30,
};

enum vgt_svga3d_texture_combiner {
    VGT_SVGA3D_TC_INVALID = 0,
    VGT_SVGA3D_TC_DISABLE = 1,
    VGT_SVGA3D_TC_SELECTARG1 = 2,
    VGT_SVGA3D_TC_SELECTARG2 = 3,
    VGT_SVGA3D_TC_MODULATE = 4,
    VGT_SVGA3D_TC_ADD = 5,
    VGT_SVGA3D_TC_ADDSIGNED = 6,
    VGT_SVGA3D_TC_SUBTRACT = 7,
    VGT_SVGA3D_TC_BLENDTEXTUREALPHA = 8,
    VGT_SVGA3D_TC_BLENDDIFFUSEALPHA = 9,
    VGT_SVGA3D_TC_BLENDCURRENTALPHA = 10,
    VGT_SVGA3D_TC_BLENDFACTORALPHA = 11,
    VGT_SVGA3D_TC_MODULATE2X = 12,
    VGT_SVGA3D_TC_MODULATE4X = 13,
    VGT_SVGA3D_TC_DSDT = 14,
    VGT_SVGA3D_TC_DOTPRODUCT3 = 15,
    VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM = 16,
    VGT_SVGA3D_TC_ADDSIGNED2X = 17,
    VGT_SVGA3D_TC_ADDSMOOTH = 18,
    VGT_SVGA3D_TC_PREMODULATE = 19,
    VGT_SVGA3D_TC_MODULATEALPHA_ADDCOLOR = 20,
    VGT_SVGA3D_TC_MODULATECOLOR_ADDALPHA = 21,
    VGT_SVGA3D_TC_MODULATEINVALPHA_ADDCOLOR = 22,
    VGT_SVGA3D_TC_MODULATEINVCOLOR_ADDALPHA = 23,
    VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE = 24,
    VGT_SVGA3D_TC_MULTIPLYADD = 25,
    VGT_SVGA3D_TC_LERP = 26,
    VGT_SVGA3D_TC_MAX = 27,
};
/* The DEVCAP_TEXTURE_OPS bit of a combiner (0 for INVALID). */
#define VGT_SVGA3D_TC_CAP_BIT(op) ((op) ? (1u << ((op)-1u)) : 0u)

enum vgt_svga3d_texture_address {
    VGT_SVGA3D_TEX_ADDRESS_INVALID = 0,
    VGT_SVGA3D_TEX_ADDRESS_WRAP = 1,
    VGT_SVGA3D_TEX_ADDRESS_MIRROR = 2,
    VGT_SVGA3D_TEX_ADDRESS_CLAMP = 3,
    VGT_SVGA3D_TEX_ADDRESS_BORDER = 4,
    VGT_SVGA3D_TEX_ADDRESS_MIRRORONCE = 5,
    VGT_SVGA3D_TEX_ADDRESS_EDGE = 6,
    VGT_SVGA3D_TEX_ADDRESS_MAX = 7,
};

/* NONE as the min filter disables mipmapping. */
enum vgt_svga3d_texture_filter {
    VGT_SVGA3D_TEX_FILTER_NONE = 0,
    VGT_SVGA3D_TEX_FILTER_NEAREST = 1,
    VGT_SVGA3D_TEX_FILTER_LINEAR = 2,
    VGT_SVGA3D_TEX_FILTER_ANISOTROPIC = 3,
    VGT_SVGA3D_TEX_FILTER_FLATCUBIC = 4,     /* deprecated */
    VGT_SVGA3D_TEX_FILTER_GAUSSIANCUBIC = 5, /* deprecated */
    VGT_SVGA3D_TEX_FILTER_PYRAMIDALQUAD = 6,
    VGT_SVGA3D_TEX_FILTER_GAUSSIANQUAD = 7,
    VGT_SVGA3D_TEX_FILTER_MAX = 8,
};

#define VGT_SVGA3D_TEX_TRANSFORM_OFF 0u
#define VGT_SVGA3D_TEX_TRANSFORM_S   (1u << 0)
#define VGT_SVGA3D_TEX_TRANSFORM_T   (1u << 1)
#define VGT_SVGA3D_TEX_TRANSFORM_R   (1u << 2)
#define VGT_SVGA3D_TEX_TRANSFORM_Q   (1u << 3)
#define VGT_SVGA3D_TEX_PROJECTED     (1u << 15)

enum vgt_svga3d_texcoord_gen {
    VGT_SVGA3D_TEXCOORD_GEN_OFF = 0,
    VGT_SVGA3D_TEXCOORD_GEN_EYE_POSITION = 1,
    VGT_SVGA3D_TEXCOORD_GEN_EYE_NORMAL = 2,
    VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR = 3,
    VGT_SVGA3D_TEXCOORD_GEN_SPHERE = 4,
    VGT_SVGA3D_TEXCOORD_GEN_MAX = 5,
};

/* Texture argument: a source (low 4 bits) with optional modifiers. */
enum vgt_svga3d_texture_arg {
    VGT_SVGA3D_TA_INVALID = 0,
    VGT_SVGA3D_TA_CONSTANT = 1,
    VGT_SVGA3D_TA_PREVIOUS = 2,
    VGT_SVGA3D_TA_DIFFUSE = 3,
    VGT_SVGA3D_TA_TEXTURE = 4,
    VGT_SVGA3D_TA_SPECULAR = 5,
    VGT_SVGA3D_TA_MAX = 6,
};
#define VGT_SVGA3D_TM_MASK_LEN  4u
#define VGT_SVGA3D_TA_SOURCE(v) ((uint32_t)(v) & ((1u << VGT_SVGA3D_TM_MASK_LEN) - 1u))
#define VGT_SVGA3D_TM_NONE      0u
#define VGT_SVGA3D_TM_ALPHA     (1u << VGT_SVGA3D_TM_MASK_LEN)
#define VGT_SVGA3D_TM_ONE_MINUS (2u << VGT_SVGA3D_TM_MASK_LEN)

/* ---- vertex declarations and primitives (DRAW_PRIMITIVES) -------------- */

enum vgt_svga3d_decl_usage {
    VGT_SVGA3D_DECLUSAGE_POSITION = 0,
    VGT_SVGA3D_DECLUSAGE_BLENDWEIGHT = 1,
    VGT_SVGA3D_DECLUSAGE_BLENDINDICES = 2,
    VGT_SVGA3D_DECLUSAGE_NORMAL = 3,
    VGT_SVGA3D_DECLUSAGE_PSIZE = 4,
    VGT_SVGA3D_DECLUSAGE_TEXCOORD = 5,
    VGT_SVGA3D_DECLUSAGE_TANGENT = 6,
    VGT_SVGA3D_DECLUSAGE_BINORMAL = 7,
    VGT_SVGA3D_DECLUSAGE_TESSFACTOR = 8,
    VGT_SVGA3D_DECLUSAGE_POSITIONT = 9, /* pre-transformed: disables the vertex pipeline */
    VGT_SVGA3D_DECLUSAGE_COLOR = 10,
    VGT_SVGA3D_DECLUSAGE_FOG = 11,
    VGT_SVGA3D_DECLUSAGE_DEPTH = 12,
    VGT_SVGA3D_DECLUSAGE_SAMPLE = 13,
    VGT_SVGA3D_DECLUSAGE_MAX = 14,
};

enum vgt_svga3d_decl_method {
    VGT_SVGA3D_DECLMETHOD_DEFAULT = 0,
    VGT_SVGA3D_DECLMETHOD_PARTIALU = 1,
    VGT_SVGA3D_DECLMETHOD_PARTIALV = 2,
    VGT_SVGA3D_DECLMETHOD_CROSSUV = 3,
    VGT_SVGA3D_DECLMETHOD_UV = 4,
    VGT_SVGA3D_DECLMETHOD_LOOKUP = 5,
    VGT_SVGA3D_DECLMETHOD_LOOKUPPRESAMPLED = 6,
    VGT_SVGA3D_DECLMETHOD_MAX = 7,
};

enum vgt_svga3d_decl_type {
    VGT_SVGA3D_DECLTYPE_FLOAT1 = 0,
    VGT_SVGA3D_DECLTYPE_FLOAT2 = 1,
    VGT_SVGA3D_DECLTYPE_FLOAT3 = 2,
    VGT_SVGA3D_DECLTYPE_FLOAT4 = 3,
    VGT_SVGA3D_DECLTYPE_D3DCOLOR = 4,
    VGT_SVGA3D_DECLTYPE_UBYTE4 = 5,
    VGT_SVGA3D_DECLTYPE_SHORT2 = 6,
    VGT_SVGA3D_DECLTYPE_SHORT4 = 7,
    VGT_SVGA3D_DECLTYPE_UBYTE4N = 8,
    VGT_SVGA3D_DECLTYPE_SHORT2N = 9,
    VGT_SVGA3D_DECLTYPE_SHORT4N = 10,
    VGT_SVGA3D_DECLTYPE_USHORT2N = 11,
    VGT_SVGA3D_DECLTYPE_USHORT4N = 12,
    VGT_SVGA3D_DECLTYPE_UDEC3 = 13,
    VGT_SVGA3D_DECLTYPE_DEC3N = 14,
    VGT_SVGA3D_DECLTYPE_FLOAT16_2 = 15,
    VGT_SVGA3D_DECLTYPE_FLOAT16_4 = 16,
    VGT_SVGA3D_DECLTYPE_MAX = 17,
};

/* Instancing divisor word: count (bits 0-29), indexed data (bit 30),
 * instance data (bit 31). */
#define VGT_SVGA3D_DIVISOR_COUNT(v)      ((uint32_t)(v)&0x3FFFFFFFu)
#define VGT_SVGA3D_DIVISOR_INDEXED_DATA  (1u << 30)
#define VGT_SVGA3D_DIVISOR_INSTANCE_DATA (1u << 31)

enum vgt_svga3d_primitive_type {
    VGT_SVGA3D_PRIMITIVE_INVALID = 0,
    VGT_SVGA3D_PRIMITIVE_TRIANGLELIST = 1,
    VGT_SVGA3D_PRIMITIVE_POINTLIST = 2,
    VGT_SVGA3D_PRIMITIVE_LINELIST = 3,
    VGT_SVGA3D_PRIMITIVE_LINESTRIP = 4,
    VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP = 5,
    VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN = 6,
    VGT_SVGA3D_PRIMITIVE_MAX = 7,
};

/* ---- transforms, lights, shaders, queries, transfers -------------------- */

enum vgt_svga3d_transform_type {
    VGT_SVGA3D_TRANSFORM_INVALID = 0,
    VGT_SVGA3D_TRANSFORM_WORLD = 1,
    VGT_SVGA3D_TRANSFORM_VIEW = 2,
    VGT_SVGA3D_TRANSFORM_PROJECTION = 3,
    VGT_SVGA3D_TRANSFORM_TEXTURE0 = 4,
    VGT_SVGA3D_TRANSFORM_TEXTURE1 = 5,
    VGT_SVGA3D_TRANSFORM_TEXTURE2 = 6,
    VGT_SVGA3D_TRANSFORM_TEXTURE3 = 7,
    VGT_SVGA3D_TRANSFORM_TEXTURE4 = 8,
    VGT_SVGA3D_TRANSFORM_TEXTURE5 = 9,
    VGT_SVGA3D_TRANSFORM_TEXTURE6 = 10,
    VGT_SVGA3D_TRANSFORM_TEXTURE7 = 11,
    VGT_SVGA3D_TRANSFORM_WORLD1 = 12,
    VGT_SVGA3D_TRANSFORM_WORLD2 = 13,
    VGT_SVGA3D_TRANSFORM_WORLD3 = 14,
    VGT_SVGA3D_TRANSFORM_MAX = 15,
};

enum vgt_svga3d_light_type {
    VGT_SVGA3D_LIGHTTYPE_INVALID = 0,
    VGT_SVGA3D_LIGHTTYPE_POINT = 1,
    VGT_SVGA3D_LIGHTTYPE_SPOT1 = 2, /* one cone, degrees */
    VGT_SVGA3D_LIGHTTYPE_SPOT2 = 3, /* two cones, radians */
    VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL = 4,
    VGT_SVGA3D_LIGHTTYPE_MAX = 5,
};

enum vgt_svga3d_shader_type {
    VGT_SVGA3D_SHADERTYPE_COMPILED_DX8 = 0, /* obsolete; never valid in a command */
    VGT_SVGA3D_SHADERTYPE_VS = 1,
    VGT_SVGA3D_SHADERTYPE_PS = 2,
    VGT_SVGA3D_SHADERTYPE_MAX = 3,
};

enum vgt_svga3d_shader_const_type {
    VGT_SVGA3D_CONST_TYPE_FLOAT = 0,
    VGT_SVGA3D_CONST_TYPE_INT = 1,
    VGT_SVGA3D_CONST_TYPE_BOOL = 2,
    VGT_SVGA3D_CONST_TYPE_MAX = 3,
};

enum vgt_svga3d_stretch_blt_mode {
    VGT_SVGA3D_STRETCH_BLT_POINT = 0,
    VGT_SVGA3D_STRETCH_BLT_LINEAR = 1,
    VGT_SVGA3D_STRETCH_BLT_MAX = 2,
};

enum vgt_svga3d_query_type {
    VGT_SVGA3D_QUERYTYPE_OCCLUSION = 0,
    VGT_SVGA3D_QUERYTYPE_MAX = 1,
};

enum vgt_svga3d_query_state {
    VGT_SVGA3D_QUERYSTATE_PENDING = 0,   /* set by the guest, waiting on the host */
    VGT_SVGA3D_QUERYSTATE_SUCCEEDED = 1, /* set by the host */
    VGT_SVGA3D_QUERYSTATE_FAILED = 2,    /* set by the host */
    VGT_SVGA3D_QUERYSTATE_NEW = 3,       /* never submitted (guest use only) */
};

/* The guest memory END_QUERY/WAIT_FOR_QUERY point at. */
typedef struct vgt_svga3d_query_result {
    uint32_t total_size; /* bytes, set by the guest */
    uint32_t state;      /* vgt_svga3d_query_state */
    uint32_t result32;   /* set by the host when leaving PENDING */
} vgt_svga3d_query_result;

enum vgt_svga3d_transfer_type {
    VGT_SVGA3D_WRITE_HOST_VRAM = 1, /* guest -> host surface */
    VGT_SVGA3D_READ_HOST_VRAM = 2,  /* host surface -> guest */
};

#define VGT_SVGA3D_CLEAR_COLOR   0x1u
#define VGT_SVGA3D_CLEAR_DEPTH   0x2u
#define VGT_SVGA3D_CLEAR_STENCIL 0x4u
#define VGT_SVGA3D_CLEAR_ALL     0x7u

enum vgt_svga3d_render_target_type {
    VGT_SVGA3D_RT_DEPTH = 0,
    VGT_SVGA3D_RT_STENCIL = 1,
    VGT_SVGA3D_RT_COLOR0 = 2,
    VGT_SVGA3D_RT_COLOR1 = 3,
    VGT_SVGA3D_RT_COLOR2 = 4,
    VGT_SVGA3D_RT_COLOR3 = 5,
    VGT_SVGA3D_RT_COLOR4 = 6,
    VGT_SVGA3D_RT_COLOR5 = 7,
    VGT_SVGA3D_RT_COLOR6 = 8,
    VGT_SVGA3D_RT_COLOR7 = 9,
    VGT_SVGA3D_RT_MAX = 10,
};

/* ---- common structures -------------------------------------------------- */

/* One image of a surface: surface id, face, mip level. */
typedef struct vgt_svga3d_surface_image_id {
    uint32_t sid;
    uint32_t face;
    uint32_t mipmap;
} vgt_svga3d_surface_image_id;

typedef struct vgt_svga3d_guest_image {
    vgt_svga_guest_ptr ptr;
    uint32_t pitch; /* 0: tightly packed rows of blocks */
} vgt_svga3d_guest_image;

typedef struct vgt_svga3d_size {
    uint32_t width;
    uint32_t height;
    uint32_t depth;
} vgt_svga3d_size;

typedef struct vgt_svga3d_rect {
    uint32_t x, y, w, h;
} vgt_svga3d_rect;

typedef struct vgt_svga3d_box {
    uint32_t x, y, z;
    uint32_t w, h, d;
} vgt_svga3d_box;

typedef struct vgt_svga3d_point {
    uint32_t x, y, z;
} vgt_svga3d_point;

/* A 2D copy: destination (x, y, w, h) and source origin. */
typedef struct vgt_svga3d_copy_rect {
    uint32_t x, y, w, h;
    uint32_t srcx, srcy;
} vgt_svga3d_copy_rect;

/* A 3D copy: destination box and source origin.  In SURFACE_DMA the source
 * is always the guest image and the destination the host surface. */
typedef struct vgt_svga3d_copy_box {
    uint32_t x, y, z;
    uint32_t w, h, d;
    uint32_t srcx, srcy, srcz;
} vgt_svga3d_copy_box;

typedef struct vgt_svga3d_render_state_pair {
    uint32_t state; /* vgt_svga3d_render_state */
    uint32_t value; /* uint32 or the bits of a float, by state */
} vgt_svga3d_render_state_pair;

typedef struct vgt_svga3d_texture_state_entry {
    uint32_t stage;
    uint32_t name;  /* vgt_svga3d_texture_state */
    uint32_t value; /* uint32 or the bits of a float, by name */
} vgt_svga3d_texture_state_entry;

typedef struct vgt_svga3d_zrange {
    float min;
    float max;
} vgt_svga3d_zrange;

typedef struct vgt_svga3d_material {
    float diffuse[4];
    float ambient[4];
    float specular[4];
    float emissive[4];
    float shininess;
} vgt_svga3d_material;

typedef struct vgt_svga3d_light_data {
    uint32_t type;           /* vgt_svga3d_light_type */
    uint32_t in_world_space; /* bool */
    float diffuse[4];
    float specular[4];
    float ambient[4];
    float position[4];
    float direction[4];
    float range;
    float falloff;
    float attenuation0;
    float attenuation1;
    float attenuation2;
    float theta;
    float phi;
} vgt_svga3d_light_data;

/* A vertex or index array inside a surface; offset and stride in bytes. */
typedef struct vgt_svga3d_array {
    uint32_t surface_id;
    uint32_t offset;
    uint32_t stride;
} vgt_svga3d_array;

typedef struct vgt_svga3d_vertex_decl {
    uint32_t type;   /* vgt_svga3d_decl_type */
    uint32_t method; /* vgt_svga3d_decl_method */
    uint32_t usage;  /* vgt_svga3d_decl_usage */
    uint32_t usage_index;
    vgt_svga3d_array array;
    uint32_t range_first; /* hint; last == 0: whole array */
    uint32_t range_last;
} vgt_svga3d_vertex_decl;

typedef struct vgt_svga3d_primitive_range {
    uint32_t prim_type; /* vgt_svga3d_primitive_type */
    uint32_t primitive_count;
    vgt_svga3d_array index_array; /* surface_id VGT_SVGA3D_INVALID_ID: not indexed */
    uint32_t index_width;         /* bytes per index */
    int32_t index_bias;
} vgt_svga3d_primitive_range;

/* DMA flags of the suffix. */
#define VGT_SVGA3D_DMA_FLAG_DISCARD        (1u << 0)
#define VGT_SVGA3D_DMA_FLAG_UNSYNCHRONIZED (1u << 1)
#define VGT_SVGA3D_DMA_FLAG_RESERVED_MASK  0xFFFFFFFCu /* must be zero */

/* Optional trailer of SURFACE_DMA, after the copy boxes.  It is present when
 * the last 3 words of the body form a suffix whose suffix_size is
 * sizeof(vgt_svga3d_dma_suffix). */
typedef struct vgt_svga3d_dma_suffix {
    uint32_t suffix_size;    /* 12 */
    uint32_t maximum_offset; /* largest guest offset touched; default 0xFFFFFFFF */
    uint32_t flags;          /* VGT_SVGA3D_DMA_FLAG_* */
} vgt_svga3d_dma_suffix;

/* ---- 3D command bodies (after the {id, size} header) -------------------- */

/* Followed by one vgt_svga3d_size per mip level of each face, face 0 first. */
typedef struct vgt_svga3d_cmd_surface_define {
    uint32_t sid;
    uint32_t surface_flags; /* VGT_SVGA3D_SURFACE_* */
    uint32_t format;        /* vgt_svga3d_surface_format */
    uint32_t face_mip_levels[VGT_SVGA3D_MAX_SURFACE_FACES];
} vgt_svga3d_cmd_surface_define;

typedef struct vgt_svga3d_cmd_surface_define_v2 {
    uint32_t sid;
    uint32_t surface_flags;
    uint32_t format;
    uint32_t face_mip_levels[VGT_SVGA3D_MAX_SURFACE_FACES];
    uint32_t multisample_count;
    uint32_t autogen_filter; /* vgt_svga3d_texture_filter */
} vgt_svga3d_cmd_surface_define_v2;

typedef struct vgt_svga3d_cmd_surface_destroy {
    uint32_t sid;
} vgt_svga3d_cmd_surface_destroy;

/* Followed by vgt_svga3d_copy_box entries. */
typedef struct vgt_svga3d_cmd_surface_copy {
    vgt_svga3d_surface_image_id src;
    vgt_svga3d_surface_image_id dest;
} vgt_svga3d_cmd_surface_copy;

typedef struct vgt_svga3d_cmd_surface_stretchblt {
    vgt_svga3d_surface_image_id src;
    vgt_svga3d_surface_image_id dest;
    vgt_svga3d_box box_src;
    vgt_svga3d_box box_dest;
    uint32_t mode; /* vgt_svga3d_stretch_blt_mode */
} vgt_svga3d_cmd_surface_stretchblt;

/* Followed by vgt_svga3d_copy_box entries, then optionally a DMA suffix. */
typedef struct vgt_svga3d_cmd_surface_dma {
    vgt_svga3d_guest_image guest;
    vgt_svga3d_surface_image_id host;
    uint32_t transfer; /* vgt_svga3d_transfer_type */
} vgt_svga3d_cmd_surface_dma;

typedef struct vgt_svga3d_cmd_context_define {
    uint32_t cid;
} vgt_svga3d_cmd_context_define;

typedef struct vgt_svga3d_cmd_context_destroy {
    uint32_t cid;
} vgt_svga3d_cmd_context_destroy;

typedef struct vgt_svga3d_cmd_settransform {
    uint32_t cid;
    uint32_t type; /* vgt_svga3d_transform_type */
    float matrix[16];
} vgt_svga3d_cmd_settransform;

typedef struct vgt_svga3d_cmd_setzrange {
    uint32_t cid;
    vgt_svga3d_zrange zrange;
} vgt_svga3d_cmd_setzrange;

/* Followed by vgt_svga3d_render_state_pair entries. */
typedef struct vgt_svga3d_cmd_setrenderstate {
    uint32_t cid;
} vgt_svga3d_cmd_setrenderstate;

typedef struct vgt_svga3d_cmd_setrendertarget {
    uint32_t cid;
    uint32_t type;                      /* vgt_svga3d_render_target_type */
    vgt_svga3d_surface_image_id target; /* sid VGT_SVGA3D_INVALID_ID: unbind */
} vgt_svga3d_cmd_setrendertarget;

/* Followed by vgt_svga3d_texture_state_entry entries. */
typedef struct vgt_svga3d_cmd_settexturestate {
    uint32_t cid;
} vgt_svga3d_cmd_settexturestate;

typedef struct vgt_svga3d_cmd_setmaterial {
    uint32_t cid;
    uint32_t face; /* vgt_svga3d_face */
    vgt_svga3d_material material;
} vgt_svga3d_cmd_setmaterial;

typedef struct vgt_svga3d_cmd_setlightdata {
    uint32_t cid;
    uint32_t index;
    vgt_svga3d_light_data data;
} vgt_svga3d_cmd_setlightdata;

typedef struct vgt_svga3d_cmd_setlightenabled {
    uint32_t cid;
    uint32_t index;
    uint32_t enabled; /* bool */
} vgt_svga3d_cmd_setlightenabled;

typedef struct vgt_svga3d_cmd_setviewport {
    uint32_t cid;
    vgt_svga3d_rect rect;
} vgt_svga3d_cmd_setviewport;

typedef struct vgt_svga3d_cmd_setclipplane {
    uint32_t cid;
    uint32_t index;
    float plane[4];
} vgt_svga3d_cmd_setclipplane;

/* Followed by vgt_svga3d_rect entries (none: the whole target). */
typedef struct vgt_svga3d_cmd_clear {
    uint32_t cid;
    uint32_t clear_flag; /* VGT_SVGA3D_CLEAR_* */
    uint32_t color;      /* A8R8G8B8 */
    float depth;
    uint32_t stencil;
} vgt_svga3d_cmd_clear;

/* Followed by vgt_svga3d_copy_rect entries (deprecated). */
typedef struct vgt_svga3d_cmd_present {
    uint32_t sid;
} vgt_svga3d_cmd_present;

/* Followed by the shader's bytecode words. */
typedef struct vgt_svga3d_cmd_shader_define {
    uint32_t cid;
    uint32_t shid;
    uint32_t type; /* vgt_svga3d_shader_type */
} vgt_svga3d_cmd_shader_define;

typedef struct vgt_svga3d_cmd_shader_destroy {
    uint32_t cid;
    uint32_t shid;
    uint32_t type;
} vgt_svga3d_cmd_shader_destroy;

typedef struct vgt_svga3d_cmd_set_shader {
    uint32_t cid;
    uint32_t type;
    uint32_t shid; /* VGT_SVGA3D_INVALID_ID: unbind */
} vgt_svga3d_cmd_set_shader;

typedef struct vgt_svga3d_cmd_set_shader_const {
    uint32_t cid;
    uint32_t reg;
    uint32_t type;      /* vgt_svga3d_shader_type */
    uint32_t ctype;     /* vgt_svga3d_shader_const_type */
    uint32_t values[4]; /* float bits, int32 or bool by ctype */
} vgt_svga3d_cmd_set_shader_const;

/* Followed by num_vertex_decls vgt_svga3d_vertex_decl, num_ranges
 * vgt_svga3d_primitive_range, then optionally num_vertex_decls divisor words. */
typedef struct vgt_svga3d_cmd_draw_primitives {
    uint32_t cid;
    uint32_t num_vertex_decls;
    uint32_t num_ranges;
} vgt_svga3d_cmd_draw_primitives;

typedef struct vgt_svga3d_cmd_setscissorrect {
    uint32_t cid;
    vgt_svga3d_rect rect;
} vgt_svga3d_cmd_setscissorrect;

typedef struct vgt_svga3d_cmd_begin_query {
    uint32_t cid;
    uint32_t type; /* vgt_svga3d_query_type */
} vgt_svga3d_cmd_begin_query;

/* guest_result points at a vgt_svga3d_query_result. */
typedef struct vgt_svga3d_cmd_end_query {
    uint32_t cid;
    uint32_t type;
    vgt_svga_guest_ptr guest_result;
} vgt_svga3d_cmd_end_query;

typedef struct vgt_svga3d_cmd_wait_for_query {
    uint32_t cid;
    uint32_t type;
    vgt_svga_guest_ptr guest_result;
} vgt_svga3d_cmd_wait_for_query;

/* PRESENT_READBACK has no fixed body: it is a list of vgt_svga3d_rect. */

/* Followed by zero or more clip rects (vgt_svga_signed_rect, relative to
 * dest_rect's top-left corner). */
typedef struct vgt_svga3d_cmd_blit_surface_to_screen {
    vgt_svga3d_surface_image_id src_image;
    vgt_svga_signed_rect src_rect;
    uint32_t dest_screen_id; /* VGT_SVGA_ID_INVALID: virtual coordinates */
    vgt_svga_signed_rect dest_rect;
} vgt_svga3d_cmd_blit_surface_to_screen;

typedef struct vgt_svga3d_cmd_generate_mipmaps {
    uint32_t sid;
    uint32_t filter; /* vgt_svga3d_texture_filter */
} vgt_svga3d_cmd_generate_mipmaps;

typedef struct vgt_svga3d_cmd_activate_surface {
    uint32_t sid;
} vgt_svga3d_cmd_activate_surface;

typedef struct vgt_svga3d_cmd_deactivate_surface {
    uint32_t sid;
} vgt_svga3d_cmd_deactivate_surface;

#endif /* VGT_SVGA3D_H */
