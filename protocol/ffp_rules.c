/* ffp_rules.c - fixed-function state both renderers read the same way:
 * TEXCOORDGEN and TEXTURETRANSFORMFLAGS as Direct3D 9 and the SVGA3D hosts
 * that hand them to it (VirtualBox) read them, which point sprite and
 * point scale combinations are drawn, and how vertex blending picks its
 * weights and world matrices.  Both renderers take their rules and
 * their refusals from here. */
#include "vgt_protocol.h"

uint32_t vgt_svga3d_decl_components(uint32_t type)
{
    switch (type) {
    case VGT_SVGA3D_DECLTYPE_FLOAT1:
        return 1;
    case VGT_SVGA3D_DECLTYPE_FLOAT2:
    case VGT_SVGA3D_DECLTYPE_SHORT2:
    case VGT_SVGA3D_DECLTYPE_SHORT2N:
    case VGT_SVGA3D_DECLTYPE_USHORT2N:
    case VGT_SVGA3D_DECLTYPE_FLOAT16_2:
        return 2;
    case VGT_SVGA3D_DECLTYPE_FLOAT3:
        return 3;
    default:
        return 4;
    }
}

#define TEX_TRANSFORM_STQR                                                                         \
    (VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_TRANSFORM_R |        \
     VGT_SVGA3D_TEX_TRANSFORM_Q)

/* The highest of S, T, R, Q is the count: VirtualBox maps each alone to
 * D3DTTFF_COUNT1..4, and S|T reads as two components either way. */
static uint32_t tex_transform_count(uint32_t flags)
{
    uint32_t stqr = flags & TEX_TRANSFORM_STQR;
    return stqr ? 32u - (uint32_t)__builtin_clz(stqr) : 0u;
}

vgt_status vgt_svga3d_texcoord_plan_make(uint32_t stage, uint32_t gen, uint32_t flags,
                                         bool pretransformed, vgt_svga3d_texcoord_plan *out,
                                         vgt_error *err)
{
    if (flags & ~(TEX_TRANSFORM_STQR | VGT_SVGA3D_TEX_PROJECTED)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "texture stage %u: TEXTURETRANSFORMFLAGS 0x%x has bits other than "
                             "S, T, R, Q and PROJECTED",
                             stage, flags);
    }
    if (gen >= VGT_SVGA3D_TEXCOORD_GEN_MAX) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "texture stage %u: TEXCOORDGEN %u is not a generation mode (0..4)",
                             stage, gen);
    }
    if (gen != VGT_SVGA3D_TEXCOORD_GEN_OFF && pretransformed) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "texture stage %u: TEXCOORDGEN %u with pretransformed (POSITIONT) "
                             "vertices, which have no view-space position or normal",
                             stage, gen);
    }
    uint32_t count = tex_transform_count(flags);
    bool proj = (flags & VGT_SVGA3D_TEX_PROJECTED) != 0;
    if (count == 1 && proj) {
        /* nothing is left to divide: Wine's wined3d rejects it too
         * (compute_texture_matrix: "Invalid texture transform flags") */
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "texture stage %u: TEXTURETRANSFORMFLAGS 0x%x (one transformed "
                             "component divided by itself, D3DTTFF_COUNT1 | D3DTTFF_PROJECTED) "
                             "is not supported",
                             stage, flags);
    }
    /* What the rasterizer receives (Direct3D 9's D3DTEXTURETRANSFORMFLAGS:
     * COUNTn "the rasterizer should expect n-D texture coordinates";
     * PROJECTED "each texture coordinate is divided by the last element").
     * Which components the lookup reads beyond those is not documented;
     * we follow the matrix Wine's wined3d built for it (set_texture_matrix,
     * utils.c, before compute_texture_matrix): COUNT1 zeroes the columns
     * giving v and w, COUNT2 the one giving w, and PROJECTED with COUNT2 or
     * COUNT3 moves the last column to q and zeroes it.  So:
     *   COUNT1               (u', 0, 0)
     *   COUNT2               (u', v', 0)
     *   COUNT2 | PROJECTED   (u'/v', 0, 0)
     *   COUNT3 | PROJECTED   (u'/w', v'/w', 0)
     *   COUNT4 | PROJECTED   (u'/q', v'/q', w'/q')  (also no count)
     * A 2D texture reads u and v of these, a cube or volume texture u, v
     * and w.  (Later wined3d, compute_texture_matrix, passes COUNT1 through
     * untransformed as Nvidia's drivers do; we keep the documented
     * transform of u.)  Pretransformed vertices skip the matrix (keeping
     * their components) but are still divided (Wine: compute_texture_matrix
     * gives them the identity; the fragment side projects all the same). */
    out->gen = gen;
    out->count = pretransformed ? 0 : count;
    out->proj = !proj ? -1 : (count == 2 || count == 3 ? (int)count - 1 : 3);
    out->keep = proj ? (out->proj < 3 ? (uint32_t)out->proj : 3u)
                     : (out->count && out->count < 3 ? out->count : 3u);
    return VGT_OK;
}

void vgt_svga3d_texcoord_plan_behind_vs(uint32_t flags, vgt_svga3d_texcoord_plan *out)
{
    /* Generation and the matrix are vertex processing, which the shader
     * replaces; the per-pixel division is the fixed-function fragment
     * stage's and stays (D3DTTFF_PROJECTED: "honored by the fixed function
     * pixel pipeline").  Which component divides follows Wine's wined3d
     * (gen_ffp_frag_op, utils.c), which looks at the flags alone whatever
     * the vertex side: exactly COUNT3 | PROJECTED divides by z (and, as in
     * front of the matrix, w then reads 0), any other PROJECTED by w. */
    uint32_t count = tex_transform_count(flags);
    *out = (vgt_svga3d_texcoord_plan){VGT_SVGA3D_TEXCOORD_GEN_OFF, 0, -1, 3};
    if (flags & VGT_SVGA3D_TEX_PROJECTED) {
        out->proj = count == 3 ? 2 : 3;
        out->keep = (uint32_t)out->proj;
    }
}

int vgt_svga3d_ps1x_tex_projection(uint32_t flags)
{
    /* Direct3D 9 honours D3DTTFF_PROJECTED for the tex instruction of
     * ps_1_1..1_3 (ps_1_4 asks by texld's _dz/_dw, ps_2_0 by texldp).  The
     * divisor follows the count as in front of a vertex shader's absence
     * (vgt_svga3d_texcoord_plan_make) and as Wine's wined3d reads it
     * (shader_glsl_tex): COUNT2 by v, COUNT3 by w, COUNT4 or no count by
     * q; COUNT1, which has nothing to divide, by q (wined3d: a FIXME). */
    if (!(flags & VGT_SVGA3D_TEX_PROJECTED)) {
        return -1;
    }
    uint32_t count = tex_transform_count(flags);
    return count == 2 || count == 3 ? (int)count - 1 : 3;
}

bool vgt_svga3d_point_scale_applies(bool point_scale, bool vertex_shader)
{
    /* Direct3D 9's "Point Sprites" page gives POINTSCALEENABLE's formula
     * with the eye-space distance De and the camera-space input size, both
     * products of fixed-function vertex processing; a vertex shader
     * replaces that processing and writes its size in pixels (oPts), so the
     * formula has nothing to apply to.  Wine's wined3d does the same: its
     * shader vertex pipe computes gl_PointSize from POINTSCALEENABLE only in
     * the fixed-function vertex shader (glsl_shader.c), while a D3D vertex
     * shader gets either its own oPts (reg_maps.point_size) or
     * clamp(POINTSIZE, POINTSIZE_MIN, POINTSIZE_MAX) (ffp_point in
     * shader_glsl_generate_vs_epilogue), POINTSCALEENABLE not read. */
    return point_scale && !vertex_shader;
}

vgt_status vgt_svga3d_vertex_blend_plan_make(uint32_t vertex_blend, bool indexed,
                                             bool vertex_shader, bool pretransformed,
                                             const vgt_svga3d_vertex_blend_decl *decl,
                                             vgt_svga3d_vertex_blend_plan *out, vgt_error *err)
{
    *out = (vgt_svga3d_vertex_blend_plan){0};
    if (vertex_shader || pretransformed || vertex_blend == VGT_SVGA3D_VBLEND_DISABLE) {
        /* the shader replaces vertex processing; POSITIONT skips it; and
         * INDEXEDVERTEXBLENDENABLE alone blends nothing */
        return VGT_OK;
    }
    if (vertex_blend == VGT_SVGA3D_VBLEND_TWEENING) {
        /* Direct3D 9's D3DVBF_TWEENING ("Vertex Tweening"): position =
         * POSITION0 * (1 - t) + POSITION1 * t with t = TWEENFACTOR, the
         * normal alike from NORMAL0 and NORMAL1, before lighting and
         * clipping; it excludes weighted blending, so WORLD alone transforms
         * the result (and BLENDWEIGHT, BLENDINDICES and
         * INDEXEDVERTEXBLENDENABLE are not read).  Wine's wined3d does not
         * tween (a FIXME, TWEENFACTOR a no-op), so the rules here are
         * Direct3D's documentation made strict: it asks for "a second
         * position or a second normal"; without POSITION 1 the position
         * would silently stay POSITION0 and a normal read without NORMAL 1
         * would silently stay NORMAL0, so both are refused as a malformed
         * draw instead.  NORMAL 1 without NORMAL 0 is no normal, as without
         * tweening; a normal that nothing reads (unlit, no stage generating
         * from it) needs no NORMAL 1. */
        if (!decl->has_position1) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "VERTEXBLEND TWEENING: the vertex declaration has no POSITION "
                                 "element with usage index 1 to tween POSITION 0 towards");
        }
        if (decl->has_normal && decl->normals_used && !decl->has_normal1) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "VERTEXBLEND TWEENING: the vertex declaration has NORMAL 0 but "
                                 "no NORMAL element with usage index 1 to tween it towards");
        }
        out->tween = true;
        out->tween_normal = decl->has_normal && decl->normals_used;
        return VGT_OK;
    }
    if (vertex_blend == VGT_SVGA3D_VBLEND_0WEIGHTS) {
        out->matrices = 1;
    } else if (vertex_blend < VGT_SVGA3D_VBLEND_MAX) {
        out->matrices = vertex_blend + 1;
    } else {
        return vgt_error_set(err, VGT_E_INVALID,
                             "VERTEXBLEND %u is not a vertex blend mode (0..3, 255, 256)",
                             vertex_blend);
    }
    out->weights = out->matrices - 1;
    if (indexed && decl->has_indices) {
        uint32_t index_type = decl->index_type;
        if (index_type != VGT_SVGA3D_DECLTYPE_UBYTE4 &&
            index_type != VGT_SVGA3D_DECLTYPE_D3DCOLOR) {
            /* Direct3D 9's fixed function reads them as bytes (FVF
             * LASTBETA_UBYTE4 / LASTBETA_D3DCOLOR) */
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "INDEXEDVERTEXBLENDENABLE with BLENDINDICES of type %s: fixed "
                                 "function reads UBYTE4 or D3DCOLOR indices",
                                 vgt_svga3d_decl_type_name(index_type));
        }
        out->indexed = true;
        out->color_indices = index_type == VGT_SVGA3D_DECLTYPE_D3DCOLOR;
    }
    return VGT_OK;
}

uint32_t vgt_svga3d_vertex_blend_matrix(float index)
{
    if (index >= (float)VGT_SVGA3D_MAX_VERTEX_BLEND_MATRIX_INDEX) {
        return VGT_SVGA3D_MAX_VERTEX_BLEND_MATRIX_INDEX; /* no WORLD4..: never past WORLD3 */
    }
    return index > 0.0f ? (uint32_t)(index + 0.5f) : 0u;
}

bool vgt_svga3d_pixel_fog_uses_device_z(const float m[4][4])
{
    /* exact comparisons, as Direct3D's runtime and wined3d make them: a
     * perspective matrix has m[2][3] = 1 and m[3][3] = 0 */
    return m[0][3] == 0.0f && m[1][3] == 0.0f && m[2][3] == 0.0f && m[3][3] == 1.0f;
}
