/* names.c - names of the protocol's enum values, for the printer and error
 * messages.  Generated once from vgt_svga3d.h; keep in step with it. */
#include "vgt_protocol.h"

static const char *pick(const char *const *names, size_t n, uint32_t v)
{
    return v < n ? names[v] : NULL;
}

const char *vgt_svga_video_reg_name(uint32_t v)
{
    static const char *const names[VGT_SVGA_VIDEO_NUM_REGS] = {
        "ENABLED", "FLAGS",      "DATA_OFFSET",  "FORMAT",     "COLORKEY",  "SIZE",
        "WIDTH",   "HEIGHT",     "SRC_X",        "SRC_Y",      "SRC_WIDTH", "SRC_HEIGHT",
        "DST_X",   "DST_Y",      "DST_WIDTH",    "DST_HEIGHT", "PITCH_1",   "PITCH_2",
        "PITCH_3", "DATA_GMRID", "DST_SCREEN_ID"};
    return pick(names, VGT_SVGA_VIDEO_NUM_REGS, v);
}

const char *vgt_svga3d_surface_flag_name(uint32_t bit)
{
    static const char *const names[] = {
        "CUBEMAP",           "HINT_STATIC",        "HINT_DYNAMIC",      "HINT_INDEXBUFFER",
        "HINT_VERTEXBUFFER", "HINT_TEXTURE",       "HINT_RENDERTARGET", "HINT_DEPTHSTENCIL",
        "HINT_WRITEONLY",    "MASKABLE_ANTIALIAS", "AUTOGENMIPMAPS"};
    return bit < sizeof(names) / sizeof(names[0]) ? names[bit] : NULL;
}

const char *vgt_svga3d_format_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID",
        [1] = "X8R8G8B8",
        [2] = "A8R8G8B8",
        [3] = "R5G6B5",
        [4] = "X1R5G5B5",
        [5] = "A1R5G5B5",
        [6] = "A4R4G4B4",
        [7] = "Z_D32",
        [8] = "Z_D16",
        [9] = "Z_D24S8",
        [10] = "Z_D15S1",
        [11] = "LUMINANCE8",
        [12] = "LUMINANCE4_ALPHA4",
        [13] = "LUMINANCE16",
        [14] = "LUMINANCE8_ALPHA8",
        [15] = "DXT1",
        [16] = "DXT2",
        [17] = "DXT3",
        [18] = "DXT4",
        [19] = "DXT5",
        [20] = "BUMPU8V8",
        [21] = "BUMPL6V5U5",
        [22] = "BUMPX8L8V8U8",
        [23] = "BUMPL8V8U8",
        [24] = "ARGB_S10E5",
        [25] = "ARGB_S23E8",
        [26] = "A2R10G10B10",
        [27] = "V8U8",
        [28] = "Q8W8V8U8",
        [29] = "CXV8U8",
        [30] = "X8L8V8U8",
        [31] = "A2W10V10U10",
        [32] = "ALPHA8",
        [33] = "R_S10E5",
        [34] = "R_S23E8",
        [35] = "RG_S10E5",
        [36] = "RG_S23E8",
        [37] = "BUFFER",
        [38] = "Z_D24X8",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_render_state_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID",
        [1] = "ZENABLE",
        [2] = "ZWRITEENABLE",
        [3] = "ALPHATESTENABLE",
        [4] = "DITHERENABLE",
        [5] = "BLENDENABLE",
        [6] = "FOGENABLE",
        [7] = "SPECULARENABLE",
        [8] = "STENCILENABLE",
        [9] = "LIGHTINGENABLE",
        [10] = "NORMALIZENORMALS",
        [11] = "POINTSPRITEENABLE",
        [12] = "POINTSCALEENABLE",
        [13] = "STENCILREF",
        [14] = "STENCILMASK",
        [15] = "STENCILWRITEMASK",
        [16] = "FOGSTART",
        [17] = "FOGEND",
        [18] = "FOGDENSITY",
        [19] = "POINTSIZE",
        [20] = "POINTSIZEMIN",
        [21] = "POINTSIZEMAX",
        [22] = "POINTSCALE_A",
        [23] = "POINTSCALE_B",
        [24] = "POINTSCALE_C",
        [25] = "FOGCOLOR",
        [26] = "AMBIENT",
        [27] = "CLIPPLANEENABLE",
        [28] = "FOGMODE",
        [29] = "FILLMODE",
        [30] = "SHADEMODE",
        [31] = "LINEPATTERN",
        [32] = "SRCBLEND",
        [33] = "DSTBLEND",
        [34] = "BLENDEQUATION",
        [35] = "CULLMODE",
        [36] = "ZFUNC",
        [37] = "ALPHAFUNC",
        [38] = "STENCILFUNC",
        [39] = "STENCILFAIL",
        [40] = "STENCILZFAIL",
        [41] = "STENCILPASS",
        [42] = "ALPHAREF",
        [43] = "FRONTWINDING",
        [44] = "COORDINATETYPE",
        [45] = "ZBIAS",
        [46] = "RANGEFOGENABLE",
        [47] = "COLORWRITEENABLE",
        [48] = "VERTEXMATERIALENABLE",
        [49] = "DIFFUSEMATERIALSOURCE",
        [50] = "SPECULARMATERIALSOURCE",
        [51] = "AMBIENTMATERIALSOURCE",
        [52] = "EMISSIVEMATERIALSOURCE",
        [53] = "TEXTUREFACTOR",
        [54] = "LOCALVIEWER",
        [55] = "SCISSORTESTENABLE",
        [56] = "BLENDCOLOR",
        [57] = "STENCILENABLE2SIDED",
        [58] = "CCWSTENCILFUNC",
        [59] = "CCWSTENCILFAIL",
        [60] = "CCWSTENCILZFAIL",
        [61] = "CCWSTENCILPASS",
        [62] = "VERTEXBLEND",
        [63] = "SLOPESCALEDEPTHBIAS",
        [64] = "DEPTHBIAS",
        [65] = "OUTPUTGAMMA",
        [66] = "ZVISIBLE",
        [67] = "LASTPIXEL",
        [68] = "CLIPPING",
        [69] = "WRAP0",
        [70] = "WRAP1",
        [71] = "WRAP2",
        [72] = "WRAP3",
        [73] = "WRAP4",
        [74] = "WRAP5",
        [75] = "WRAP6",
        [76] = "WRAP7",
        [77] = "WRAP8",
        [78] = "WRAP9",
        [79] = "WRAP10",
        [80] = "WRAP11",
        [81] = "WRAP12",
        [82] = "WRAP13",
        [83] = "WRAP14",
        [84] = "WRAP15",
        [85] = "MULTISAMPLEANTIALIAS",
        [86] = "MULTISAMPLEMASK",
        [87] = "INDEXEDVERTEXBLENDENABLE",
        [88] = "TWEENFACTOR",
        [89] = "ANTIALIASEDLINEENABLE",
        [90] = "COLORWRITEENABLE1",
        [91] = "COLORWRITEENABLE2",
        [92] = "COLORWRITEENABLE3",
        [93] = "SEPARATEALPHABLENDENABLE",
        [94] = "SRCBLENDALPHA",
        [95] = "DSTBLENDALPHA",
        [96] = "BLENDEQUATIONALPHA",
        [97] = "TRANSPARENCYANTIALIAS",
        [98] = "LINEAA",
        [99] = "LINEWIDTH",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_texture_state_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID",           [1] = "BIND_TEXTURE",
        [2] = "COLOROP",           [3] = "COLORARG1",
        [4] = "COLORARG2",         [5] = "ALPHAOP",
        [6] = "ALPHAARG1",         [7] = "ALPHAARG2",
        [8] = "ADDRESSU",          [9] = "ADDRESSV",
        [10] = "MIPFILTER",        [11] = "MAGFILTER",
        [12] = "MINFILTER",        [13] = "BORDERCOLOR",
        [14] = "TEXCOORDINDEX",    [15] = "TEXTURETRANSFORMFLAGS",
        [16] = "TEXCOORDGEN",      [17] = "BUMPENVMAT00",
        [18] = "BUMPENVMAT01",     [19] = "BUMPENVMAT10",
        [20] = "BUMPENVMAT11",     [21] = "TEXTURE_MIPMAP_LEVEL",
        [22] = "TEXTURE_LOD_BIAS", [23] = "TEXTURE_ANISOTROPIC_LEVEL",
        [24] = "ADDRESSW",         [25] = "GAMMA",
        [26] = "BUMPENVLSCALE",    [27] = "BUMPENVLOFFSET",
        [28] = "COLORARG0",        [29] = "ALPHAARG0",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_transform_type_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID",  [1] = "WORLD",    [2] = "VIEW",      [3] = "PROJECTION",
        [4] = "TEXTURE0", [5] = "TEXTURE1", [6] = "TEXTURE2",  [7] = "TEXTURE3",
        [8] = "TEXTURE4", [9] = "TEXTURE5", [10] = "TEXTURE6", [11] = "TEXTURE7",
        [12] = "WORLD1",  [13] = "WORLD2",  [14] = "WORLD3",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_primitive_type_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID",   [1] = "TRIANGLELIST",  [2] = "POINTLIST",   [3] = "LINELIST",
        [4] = "LINESTRIP", [5] = "TRIANGLESTRIP", [6] = "TRIANGLEFAN",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_decl_type_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "FLOAT1",     [1] = "FLOAT2",  [2] = "FLOAT3",   [3] = "FLOAT4",
        [4] = "D3DCOLOR",   [5] = "UBYTE4",  [6] = "SHORT2",   [7] = "SHORT4",
        [8] = "UBYTE4N",    [9] = "SHORT2N", [10] = "SHORT4N", [11] = "USHORT2N",
        [12] = "USHORT4N",  [13] = "UDEC3",  [14] = "DEC3N",   [15] = "FLOAT16_2",
        [16] = "FLOAT16_4",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_decl_usage_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "POSITION",   [1] = "BLENDWEIGHT", [2] = "BLENDINDICES", [3] = "NORMAL",
        [4] = "PSIZE",      [5] = "TEXCOORD",    [6] = "TANGENT",      [7] = "BINORMAL",
        [8] = "TESSFACTOR", [9] = "POSITIONT",   [10] = "COLOR",       [11] = "FOG",
        [12] = "DEPTH",     [13] = "SAMPLE",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_decl_method_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "DEFAULT", [1] = "PARTIALU", [2] = "PARTIALV",         [3] = "CROSSUV",
        [4] = "UV",      [5] = "LOOKUP",   [6] = "LOOKUPPRESAMPLED",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_light_type_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID", [1] = "POINT", [2] = "SPOT1", [3] = "SPOT2", [4] = "DIRECTIONAL",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_shader_type_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "COMPILED_DX8",
        [1] = "VS",
        [2] = "PS",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_const_type_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "FLOAT",
        [1] = "INT",
        [2] = "BOOL",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_query_type_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "OCCLUSION",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_rt_type_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "DEPTH",  [1] = "STENCIL", [2] = "COLOR0", [3] = "COLOR1", [4] = "COLOR2",
        [5] = "COLOR3", [6] = "COLOR4",  [7] = "COLOR5", [8] = "COLOR6", [9] = "COLOR7",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_blend_op_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID",       [1] = "ZERO",
        [2] = "ONE",           [3] = "SRCCOLOR",
        [4] = "INVSRCCOLOR",   [5] = "SRCALPHA",
        [6] = "INVSRCALPHA",   [7] = "DESTALPHA",
        [8] = "INVDESTALPHA",  [9] = "DESTCOLOR",
        [10] = "INVDESTCOLOR", [11] = "SRCALPHASAT",
        [12] = "BLENDFACTOR",  [13] = "INVBLENDFACTOR",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_blend_eq_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID",     [1] = "ADD",     [2] = "SUBTRACT",
        [3] = "REVSUBTRACT", [4] = "MINIMUM", [5] = "MAXIMUM",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_cmp_func_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID", [1] = "NEVER",    [2] = "LESS",         [3] = "EQUAL",  [4] = "LESSEQUAL",
        [5] = "GREATER", [6] = "NOTEQUAL", [7] = "GREATEREQUAL", [8] = "ALWAYS",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_stencil_op_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID", [1] = "KEEP",   [2] = "ZERO", [3] = "REPLACE", [4] = "INCRSAT",
        [5] = "DECRSAT", [6] = "INVERT", [7] = "INCR", [8] = "DECR",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_face_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID", [1] = "NONE", [2] = "FRONT", [3] = "BACK", [4] = "FRONT_BACK",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_shade_mode_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID",
        [1] = "FLAT",
        [2] = "SMOOTH",
        [3] = "PHONG",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_vertex_blend_name(uint32_t v)
{
    static const char *const names[] = {
        [VGT_SVGA3D_VBLEND_DISABLE] = "DISABLE",
        [VGT_SVGA3D_VBLEND_1WEIGHT] = "1WEIGHTS",
        [VGT_SVGA3D_VBLEND_2WEIGHT] = "2WEIGHTS",
        [VGT_SVGA3D_VBLEND_3WEIGHT] = "3WEIGHTS",
    };
    if (v == VGT_SVGA3D_VBLEND_TWEENING) {
        return "TWEENING";
    }
    if (v == VGT_SVGA3D_VBLEND_0WEIGHTS) {
        return "0WEIGHTS";
    }
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_fill_mode_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID",
        [1] = "POINT",
        [2] = "LINE",
        [3] = "FILL",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_texture_combiner_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID",
        [1] = "DISABLE",
        [2] = "SELECTARG1",
        [3] = "SELECTARG2",
        [4] = "MODULATE",
        [5] = "ADD",
        [6] = "ADDSIGNED",
        [7] = "SUBTRACT",
        [8] = "BLENDTEXTUREALPHA",
        [9] = "BLENDDIFFUSEALPHA",
        [10] = "BLENDCURRENTALPHA",
        [11] = "BLENDFACTORALPHA",
        [12] = "MODULATE2X",
        [13] = "MODULATE4X",
        [14] = "DSDT",
        [15] = "DOTPRODUCT3",
        [16] = "BLENDTEXTUREALPHAPM",
        [17] = "ADDSIGNED2X",
        [18] = "ADDSMOOTH",
        [19] = "PREMODULATE",
        [20] = "MODULATEALPHA_ADDCOLOR",
        [21] = "MODULATECOLOR_ADDALPHA",
        [22] = "MODULATEINVALPHA_ADDCOLOR",
        [23] = "MODULATEINVCOLOR_ADDALPHA",
        [24] = "BUMPENVMAPLUMINANCE",
        [25] = "MULTIPLYADD",
        [26] = "LERP",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_texture_address_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "INVALID", [1] = "WRAP",       [2] = "MIRROR", [3] = "CLAMP",
        [4] = "BORDER",  [5] = "MIRRORONCE", [6] = "EDGE",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_texture_filter_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "NONE",      [1] = "NEAREST",       [2] = "LINEAR",        [3] = "ANISOTROPIC",
        [4] = "FLATCUBIC", [5] = "GAUSSIANCUBIC", [6] = "PYRAMIDALQUAD", [7] = "GAUSSIANQUAD",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_transfer_type_name(uint32_t v)
{
    static const char *const names[] = {
        [1] = "WRITE_HOST_VRAM",
        [2] = "READ_HOST_VRAM",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_stretch_mode_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "POINT",
        [1] = "LINEAR",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

const char *vgt_svga3d_devcap_name(uint32_t v)
{
    static const char *const names[] = {
        [0] = "3D",
        [1] = "MAX_LIGHTS",
        [2] = "MAX_TEXTURES",
        [3] = "MAX_CLIP_PLANES",
        [4] = "VERTEX_SHADER_VERSION",
        [5] = "VERTEX_SHADER",
        [6] = "FRAGMENT_SHADER_VERSION",
        [7] = "FRAGMENT_SHADER",
        [8] = "MAX_RENDER_TARGETS",
        [9] = "S23E8_TEXTURES",
        [10] = "S10E5_TEXTURES",
        [11] = "MAX_FIXED_VERTEXBLEND",
        [12] = "D16_BUFFER_FORMAT",
        [13] = "D24S8_BUFFER_FORMAT",
        [14] = "D24X8_BUFFER_FORMAT",
        [15] = "QUERY_TYPES",
        [16] = "TEXTURE_GRADIENT_SAMPLING",
        [17] = "MAX_POINT_SIZE",
        [18] = "MAX_SHADER_TEXTURES",
        [19] = "MAX_TEXTURE_WIDTH",
        [20] = "MAX_TEXTURE_HEIGHT",
        [21] = "MAX_VOLUME_EXTENT",
        [22] = "MAX_TEXTURE_REPEAT",
        [23] = "MAX_TEXTURE_ASPECT_RATIO",
        [24] = "MAX_TEXTURE_ANISOTROPY",
        [25] = "MAX_PRIMITIVE_COUNT",
        [26] = "MAX_VERTEX_INDEX",
        [27] = "MAX_VERTEX_SHADER_INSTRUCTIONS",
        [28] = "MAX_FRAGMENT_SHADER_INSTRUCTIONS",
        [29] = "MAX_VERTEX_SHADER_TEMPS",
        [30] = "MAX_FRAGMENT_SHADER_TEMPS",
        [31] = "TEXTURE_OPS",
        [32] = "SURFACEFMT_X8R8G8B8",
        [33] = "SURFACEFMT_A8R8G8B8",
        [34] = "SURFACEFMT_A2R10G10B10",
        [35] = "SURFACEFMT_X1R5G5B5",
        [36] = "SURFACEFMT_A1R5G5B5",
        [37] = "SURFACEFMT_A4R4G4B4",
        [38] = "SURFACEFMT_R5G6B5",
        [39] = "SURFACEFMT_LUMINANCE16",
        [40] = "SURFACEFMT_LUMINANCE8_ALPHA8",
        [41] = "SURFACEFMT_ALPHA8",
        [42] = "SURFACEFMT_LUMINANCE8",
        [43] = "SURFACEFMT_Z_D16",
        [44] = "SURFACEFMT_Z_D24S8",
        [45] = "SURFACEFMT_Z_D24X8",
        [46] = "SURFACEFMT_DXT1",
        [47] = "SURFACEFMT_DXT2",
        [48] = "SURFACEFMT_DXT3",
        [49] = "SURFACEFMT_DXT4",
        [50] = "SURFACEFMT_DXT5",
        [51] = "SURFACEFMT_BUMPX8L8V8U8",
        [52] = "SURFACEFMT_A2W10V10U10",
        [53] = "SURFACEFMT_BUMPU8V8",
        [54] = "SURFACEFMT_Q8W8V8U8",
        [55] = "SURFACEFMT_CXV8U8",
        [56] = "SURFACEFMT_R_S10E5",
        [57] = "SURFACEFMT_R_S23E8",
        [58] = "SURFACEFMT_RG_S10E5",
        [59] = "SURFACEFMT_RG_S23E8",
        [60] = "SURFACEFMT_ARGB_S10E5",
        [61] = "SURFACEFMT_ARGB_S23E8",
        [63] = "MAX_VERTEX_SHADER_TEXTURES",
        [64] = "MAX_SIMULTANEOUS_RENDER_TARGETS",
    };
    return pick(names, sizeof(names) / sizeof(names[0]), v);
}

uint32_t vgt_svga3d_devcap_format(uint32_t devcap)
{
    /* In DEVCAP_SURFACEFMT_X8R8G8B8 .. _ARGB_S23E8 order. */
    static const uint32_t format_of[] = {
        VGT_SVGA3D_X8R8G8B8, VGT_SVGA3D_A8R8G8B8,     VGT_SVGA3D_A2R10G10B10,
        VGT_SVGA3D_X1R5G5B5, VGT_SVGA3D_A1R5G5B5,     VGT_SVGA3D_A4R4G4B4,
        VGT_SVGA3D_R5G6B5,   VGT_SVGA3D_LUMINANCE16,  VGT_SVGA3D_LUMINANCE8_ALPHA8,
        VGT_SVGA3D_ALPHA8,   VGT_SVGA3D_LUMINANCE8,   VGT_SVGA3D_Z_D16,
        VGT_SVGA3D_Z_D24S8,  VGT_SVGA3D_Z_D24X8,      VGT_SVGA3D_DXT1,
        VGT_SVGA3D_DXT2,     VGT_SVGA3D_DXT3,         VGT_SVGA3D_DXT4,
        VGT_SVGA3D_DXT5,     VGT_SVGA3D_BUMPX8L8V8U8, VGT_SVGA3D_A2W10V10U10,
        VGT_SVGA3D_BUMPU8V8, VGT_SVGA3D_Q8W8V8U8,     VGT_SVGA3D_CXV8U8,
        VGT_SVGA3D_R_S10E5,  VGT_SVGA3D_R_S23E8,      VGT_SVGA3D_RG_S10E5,
        VGT_SVGA3D_RG_S23E8, VGT_SVGA3D_ARGB_S10E5,   VGT_SVGA3D_ARGB_S23E8,
    };
    _Static_assert(sizeof(format_of) / sizeof(format_of[0]) ==
                       VGT_SVGA3D_DEVCAP_SURFACEFMT_ARGB_S23E8 -
                           VGT_SVGA3D_DEVCAP_SURFACEFMT_X8R8G8B8 + 1,
                   "one format per per-format devcap");
    if (devcap < VGT_SVGA3D_DEVCAP_SURFACEFMT_X8R8G8B8 ||
        devcap > VGT_SVGA3D_DEVCAP_SURFACEFMT_ARGB_S23E8) {
        return VGT_SVGA3D_FORMAT_INVALID;
    }
    return format_of[devcap - VGT_SVGA3D_DEVCAP_SURFACEFMT_X8R8G8B8];
}
