/* gl_draw.c - draws, queries and GPU timing: the resolved Direct3D 9
 * state turned into GL state, a fixed-function program and GL draw calls.
 *
 * Conventions (docs/gl.md):
 * - render targets are stored top row first; the vertex shader flips y, so
 *   a Direct3D screen row is the GL window row with the same number, and
 *   viewports, scissors and clear rects (gl_clear.c) are used unchanged;
 * - the flip mirrors winding: a triangle clockwise on the Direct3D screen is
 *   counter-clockwise for GL, so FRONTWINDING CW becomes glFrontFace(CCW);
 * - Direct3D 9 samples pixel (x, y) at (x, y), GL at (x + 0.5, y + 0.5):
 *   the vertex shader moves every vertex by half a pixel;
 * - depth is [0, 1] after projection: glClipControl(ZERO_TO_ONE) when the
 *   driver has it, else the shader remaps z;
 * - the viewport bounds the pixels drawn (as in the soft renderer): the
 *   scissor box is always the viewport, intersected with the scissor rect;
 * - flat shading takes the first vertex (glProvokingVertex FIRST).
 * The GL state last set is shadowed (gl_state_cache) so that a run of draws
 * with the same state issues only the draw calls. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gl_internal.h"
#include "gl_shader.h"

static gl_backend *B(void *self)
{
    return (gl_backend *)self;
}

void gl_state_invalidate(gl_backend *b)
{
    GLuint program = b->sc.program;
    GLuint tex[GLB_MAX_STAGES];
    GLenum tt[GLB_MAX_STAGES];
    memcpy(tex, b->sc.tex, sizeof(tex));
    memcpy(tt, b->sc.tex_target, sizeof(tt));
    GLuint c[GLB_MAX_TARGETS], d = b->sc.draw_fbo_depth, ib = b->sc.index_buf;
    uint32_t ck[GLB_MAX_TARGETS], dk = b->sc.draw_fbo_depth_key;
    memcpy(c, b->sc.draw_fbo_color, sizeof(c));
    memcpy(ck, b->sc.draw_fbo_color_key, sizeof(ck));
    memset(&b->sc, 0, sizeof(b->sc));
    /* bindings that other code does not touch survive */
    b->sc.program = program;
    memcpy(b->sc.tex, tex, sizeof(tex));
    memcpy(b->sc.tex_target, tt, sizeof(tt));
    memcpy(b->sc.draw_fbo_color, c, sizeof(c));
    memcpy(b->sc.draw_fbo_color_key, ck, sizeof(ck));
    b->sc.draw_fbo_depth = d;
    b->sc.draw_fbo_depth_key = dk;
    b->sc.index_buf = ib;
    b->sc.active_unit = 0xff;
}

/* ---- small mappings -------------------------------------------------------- */

static GLenum cmp_func(uint32_t f)
{
    return (f >= VGT_SVGA3D_CMP_NEVER && f <= VGT_SVGA3D_CMP_ALWAYS) ? GL_NEVER + (f - 1)
                                                                     : GL_ALWAYS;
}

static GLenum stencil_op(uint32_t op)
{
    switch (op) {
    case VGT_SVGA3D_STENCILOP_ZERO:
        return GL_ZERO;
    case VGT_SVGA3D_STENCILOP_REPLACE:
        return GL_REPLACE;
    case VGT_SVGA3D_STENCILOP_INCRSAT:
        return GL_INCR;
    case VGT_SVGA3D_STENCILOP_DECRSAT:
        return GL_DECR;
    case VGT_SVGA3D_STENCILOP_INVERT:
        return GL_INVERT;
    case VGT_SVGA3D_STENCILOP_INCR:
        return GL_INCR_WRAP;
    case VGT_SVGA3D_STENCILOP_DECR:
        return GL_DECR_WRAP;
    default:
        return GL_KEEP;
    }
}

static GLenum blend_factor(uint32_t f, bool no_dst_alpha, bool rgb)
{
    switch (f) {
    case VGT_SVGA3D_BLENDOP_ZERO:
        return GL_ZERO;
    case VGT_SVGA3D_BLENDOP_ONE:
        return GL_ONE;
    case VGT_SVGA3D_BLENDOP_SRCCOLOR:
        return GL_SRC_COLOR;
    case VGT_SVGA3D_BLENDOP_INVSRCCOLOR:
        return GL_ONE_MINUS_SRC_COLOR;
    case VGT_SVGA3D_BLENDOP_SRCALPHA:
        return GL_SRC_ALPHA;
    case VGT_SVGA3D_BLENDOP_INVSRCALPHA:
        return GL_ONE_MINUS_SRC_ALPHA;
    case VGT_SVGA3D_BLENDOP_DESTALPHA:
        return no_dst_alpha ? GL_ONE : GL_DST_ALPHA;
    case VGT_SVGA3D_BLENDOP_INVDESTALPHA:
        return no_dst_alpha ? GL_ZERO : GL_ONE_MINUS_DST_ALPHA;
    case VGT_SVGA3D_BLENDOP_DESTCOLOR:
        return GL_DST_COLOR;
    case VGT_SVGA3D_BLENDOP_INVDESTCOLOR:
        return GL_ONE_MINUS_DST_COLOR;
    case VGT_SVGA3D_BLENDOP_SRCALPHASAT:
        /* min(As, 1 - Ad): 0 when the target has no alpha (Ad = 1) */
        return no_dst_alpha && rgb ? GL_ZERO : GL_SRC_ALPHA_SATURATE;
    case VGT_SVGA3D_BLENDOP_BLENDFACTOR:
        return GL_CONSTANT_COLOR;
    case VGT_SVGA3D_BLENDOP_INVBLENDFACTOR:
        return GL_ONE_MINUS_CONSTANT_COLOR;
    default:
        return GL_ONE;
    }
}

static GLenum blend_eq(uint32_t e)
{
    switch (e) {
    case VGT_SVGA3D_BLENDEQ_SUBTRACT:
        return GL_FUNC_SUBTRACT;
    case VGT_SVGA3D_BLENDEQ_REVSUBTRACT:
        return GL_FUNC_REVERSE_SUBTRACT;
    case VGT_SVGA3D_BLENDEQ_MINIMUM:
        return GL_MIN;
    case VGT_SVGA3D_BLENDEQ_MAXIMUM:
        return GL_MAX;
    default:
        return GL_FUNC_ADD;
    }
}

static void enable(GLenum cap, bool on, bool *cached, bool valid)
{
    if (!valid || *cached != on) {
        if (on) {
            glEnable(cap);
        } else {
            glDisable(cap);
        }
        *cached = on;
    }
}

/* ---- render targets ---------------------------------------------------------- */

static uint32_t view_key(const vgt_backend_view *v)
{
    return v && v->surface ? 1u + (v->face << 8) + (v->mip << 12) : 0;
}

/* The color target slots the draw binds (COLOR0 up to the last bound one). */
static uint32_t color_slots(const vgt_backend_draw_state *st)
{
    return st->color_target_count < GLB_MAX_TARGETS ? st->color_target_count : GLB_MAX_TARGETS;
}

/* Forgets the draw FBO's attachments, so the next gl_bind_targets attaches again. */
static void forget_targets(gl_backend *b)
{
    for (uint32_t i = 0; i < GLB_MAX_TARGETS; i++) {
        b->sc.draw_fbo_color[i] = 0;
        b->sc.draw_fbo_color_key[i] = 0xffffffffu;
    }
    b->sc.draw_fbo_depth = 0;
    b->sc.draw_fbo_depth_key = 0xffffffffu;
}

void gl_framebuffer_srgb(gl_backend *b, bool on)
{
    if (b->fb_srgb != on) {
        if (on) {
            glEnable(GL_FRAMEBUFFER_SRGB);
        } else {
            glDisable(GL_FRAMEBUFFER_SRGB);
        }
        b->fb_srgb = on;
    }
}

/* srgb: OUTPUTGAMMA 2.2 written through the sRGB views of the color
 * targets (srgb_view_writes), GL decoding the target for blending and
 * encoding the result; the attachment cache keys on the name attached, so
 * switching OUTPUTGAMMA between draws switches the attachments. */
vgt_status gl_bind_targets(gl_backend *b, const vgt_backend_view *color, uint32_t ncolor,
                           const vgt_backend_view *depth, bool srgb, vgt_error *err)
{
    gl_framebuffer_srgb(b, srgb);
    gl_surface *ds = depth ? (gl_surface *)depth->surface : NULL;
    glBindFramebuffer(GL_FRAMEBUFFER, b->draw_fbo);
    GLuint dname = ds ? ds->tex : 0;
    uint32_t dk = view_key(depth);
    bool changed = false, buffers = false;
    if (ds && (!ds->tex || !ds->fmt->depth)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: surface %u (%s) cannot be a depth target", ds->sid,
                             ds->fmt->name);
    }
    GLenum db[GLB_MAX_TARGETS];
    for (uint32_t i = 0; i < GLB_MAX_TARGETS; i++) {
        const vgt_backend_view *v = i < ncolor && color[i].surface ? &color[i] : NULL;
        gl_surface *cs = v ? (gl_surface *)v->surface : NULL;
        if (cs && !cs->tex) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "gl backend: surface %u (a buffer) cannot be a render target",
                                 cs->sid);
        }
        GLuint cname = cs ? (srgb ? gl_surface_srgb_view(b, cs) : cs->tex) : 0;
        uint32_t ck = view_key(v);
        db[i] = cs ? GL_COLOR_ATTACHMENT0 + i : GL_NONE;
        if (cname != b->sc.draw_fbo_color[i] || ck != b->sc.draw_fbo_color_key[i]) {
            gl_attach_name(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0 + i, cs, cname, cs ? v->face : 0,
                           cs ? v->mip : 0);
            /* a draw buffer switches between NONE and its attachment only
             * when a surface comes or goes */
            buffers |= (b->sc.draw_fbo_color[i] != 0) != (cs != NULL) ||
                       b->sc.draw_fbo_color_key[i] == 0xffffffffu;
            b->sc.draw_fbo_color[i] = cname;
            b->sc.draw_fbo_color_key[i] = ck;
            changed = true;
        }
    }
    if (buffers) {
        glDrawBuffers(GLB_MAX_TARGETS, db);
    }
    if (dname != b->sc.draw_fbo_depth || dk != b->sc.draw_fbo_depth_key) {
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_TEXTURE_2D, 0, 0);
        if (ds) {
            gl_attach(GL_FRAMEBUFFER,
                      ds->fmt->internal == GL_DEPTH24_STENCIL8 ? GL_DEPTH_STENCIL_ATTACHMENT
                                                               : GL_DEPTH_ATTACHMENT,
                      ds, depth->face, depth->mip);
        }
        b->sc.draw_fbo_depth = dname;
        b->sc.draw_fbo_depth_key = dk;
        changed = true;
    }
    if (changed) {
        GLenum st = glCheckFramebufferStatus(GL_FRAMEBUFFER);
        if (st != GL_FRAMEBUFFER_COMPLETE) {
            forget_targets(b);
            char list[160] = "";
            size_t used = 0;
            for (uint32_t i = 0; i < ncolor && i < GLB_MAX_TARGETS; i++) {
                const gl_surface *cs = (const gl_surface *)color[i].surface;
                if (cs && used < sizeof(list)) {
                    int n = snprintf(list + used, sizeof(list) - used, "%scolor%u %s surface %u",
                                     used ? ", " : "", i, cs->fmt->name, cs->sid);
                    used += n > 0 ? (size_t)n : 0;
                }
            }
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "gl backend: the render targets (%s, depth %s%s%u) "
                                 "make an incomplete GL framebuffer (0x%x)",
                                 used ? list : "no color", ds ? ds->fmt->name : "none",
                                 ds ? " surface " : "", ds ? ds->sid : 0, st);
        }
    }
    return VGT_OK;
}

/* ---- the state key ------------------------------------------------------------------- */

static bool op_supported(uint32_t op)
{
    return (op >= VGT_SVGA3D_TC_DISABLE && op <= VGT_SVGA3D_TC_MODULATE4X) ||
           op == VGT_SVGA3D_TC_DOTPRODUCT3 || op == VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM ||
           op == VGT_SVGA3D_TC_ADDSIGNED2X || op == VGT_SVGA3D_TC_ADDSMOOTH ||
           (op >= VGT_SVGA3D_TC_MODULATEALPHA_ADDCOLOR &&
            op <= VGT_SVGA3D_TC_MODULATEINVCOLOR_ADDALPHA) ||
           op == VGT_SVGA3D_TC_MULTIPLYADD || op == VGT_SVGA3D_TC_LERP ||
           op == VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE; /* a colour op only (build_key) */
}

static bool arg_valid(uint32_t a)
{
    uint32_t src = VGT_SVGA3D_TA_SOURCE(a);
    return src >= VGT_SVGA3D_TA_CONSTANT && src <= VGT_SVGA3D_TA_MAX &&
           (a & ~(0x0fu | VGT_SVGA3D_TM_ALPHA | VGT_SVGA3D_TM_ONE_MINUS)) == 0;
}

static bool reads_texture(uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2)
{
    return VGT_SVGA3D_TA_SOURCE(a0) == VGT_SVGA3D_TA_TEXTURE ||
           VGT_SVGA3D_TA_SOURCE(a1) == VGT_SVGA3D_TA_TEXTURE ||
           VGT_SVGA3D_TA_SOURCE(a2) == VGT_SVGA3D_TA_TEXTURE ||
           op == VGT_SVGA3D_TC_BLENDTEXTUREALPHA || op == VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM;
}

static bool stage_uses_texture(const vgt_backend_stage *g)
{
    const uint32_t args[6] = {g->color_arg0, g->color_arg1, g->color_arg2,
                              g->alpha_arg0, g->alpha_arg1, g->alpha_arg2};
    for (int i = 0; i < 6; i++) {
        if (VGT_SVGA3D_TA_SOURCE(args[i]) == VGT_SVGA3D_TA_TEXTURE) {
            return true;
        }
    }
    return g->color_op == VGT_SVGA3D_TC_BLENDTEXTUREALPHA ||
           g->color_op == VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM ||
           g->alpha_op == VGT_SVGA3D_TC_BLENDTEXTUREALPHA ||
           g->alpha_op == VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM;
}

static bool decl_supported(uint32_t type)
{
    return type <= VGT_SVGA3D_DECLTYPE_USHORT4N || type == VGT_SVGA3D_DECLTYPE_FLOAT16_2 ||
           type == VGT_SVGA3D_DECLTYPE_FLOAT16_4;
}

static vgt_status find_layout(const vgt_backend_draw_state *st, gl_layout *l, vgt_error *err)
{
    memset(l, 0, sizeof(*l));
    const vgt_backend_element *post = NULL;
    for (uint32_t i = 0; i < st->element_count; i++) {
        const vgt_backend_element *e = &st->elements[i];
        if (!decl_supported(e->type)) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "gl backend: vertex element %u has type %u (UDEC3/DEC3N are not "
                                 "supported)",
                                 i, e->type);
        }
        switch (e->usage) {
        case VGT_SVGA3D_DECLUSAGE_POSITION:
            if (e->usage_index == 0 && !l->pos) {
                l->pos = e;
            } else if (e->usage_index == 1 && !l->pos1) {
                l->pos1 = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_POSITIONT:
            if (e->usage_index == 0 && !post) {
                post = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_NORMAL:
            if (e->usage_index == 0 && !l->normal) {
                l->normal = e;
            } else if (e->usage_index == 1 && !l->normal1) {
                l->normal1 = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_PSIZE:
            if (e->usage_index == 0 && !l->psize) {
                l->psize = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_BLENDWEIGHT:
            if (e->usage_index == 0 && !l->blendw) {
                l->blendw = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_BLENDINDICES:
            if (e->usage_index == 0 && !l->blendi) {
                l->blendi = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_COLOR:
            if (e->usage_index < 2 && !l->color[e->usage_index]) {
                l->color[e->usage_index] = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_TEXCOORD:
            if (e->usage_index < 8 && !l->tc[e->usage_index]) {
                l->tc[e->usage_index] = e;
            }
            break;
        default:
            break;
        }
    }
    if (post) {
        l->pos = post;
        l->pretransformed = true;
    }
    if (!l->pos) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "gl backend: the vertex declaration has no POSITION or POSITIONT "
                             "element");
    }
    return VGT_OK;
}

static uint8_t material_source(const vgt_backend_draw_state *st, uint32_t src, const gl_layout *l)
{
    if (!st->color_vertex) {
        return 0;
    }
    if (src == VGT_SVGA3D_VERTEXMATERIAL_DIFFUSE && l->color[0]) {
        return 1;
    }
    if (src == VGT_SVGA3D_VERTEXMATERIAL_SPECULAR && l->color[1]) {
        return 2;
    }
    return 0;
}

/* Stage s's texture coordinate generation and transform into its key
 * (vgt_svga3d_texcoord_plan_make: the soft renderer's rules and refusals). */
static vgt_status texcoord_mode(const vgt_backend_stage *g, uint32_t s, uint32_t gen,
                                const gl_layout *l, gl_stage_key *o, vgt_error *err)
{
    vgt_svga3d_texcoord_plan plan;
    if (vgt_svga3d_texcoord_plan_make(s, gen, g->transform_flags, l->pretransformed, &plan, err) !=
        VGT_OK) {
        vgt_error_prefix(err, "gl backend");
        return VGT_E_UNSUPPORTED;
    }
    o->gen = (uint8_t)plan.gen;
    o->count = (uint8_t)plan.count;
    o->proj = (uint8_t)(plan.proj + 1); /* 0: none, else the component + 1 */
    o->keep = (uint8_t)plan.keep;
    o->comps = l->tc[o->tc] ? (uint8_t)vgt_svga3d_decl_components(l->tc[o->tc]->type) : 4;
    o->own = o->gen || o->count || o->proj;
    return VGT_OK;
}

/* OUTPUTGAMMA 2.2 written through sRGB views of the color targets (GL
 * decodes the target for blending and encodes, as soft does) rather than
 * encoded in the fragment shader: when GL has texture views and every
 * color target is 8-bit RGBA (A8R8G8B8, X8R8G8B8: GL_SRGB8_ALPHA8 views). */
static bool srgb_view_writes(const gl_backend *b, const vgt_backend_draw_state *st)
{
    if (vgt_backend_gamma_kind(st->output_gamma) != 1 || !b->info.texture_view) {
        return false;
    }
    bool any = false;
    for (uint32_t i = 0; i < color_slots(st); i++) {
        const gl_surface *t = (const gl_surface *)st->color_targets[i].surface;
        if (t && gl_srgb_view_format(b, t) != GL_SRGB8_ALPHA8) {
            return false;
        }
        any |= t != NULL;
    }
    return any;
}

/* The draw's one colour target when it is a 5-bit one (R5G6B5,
 * X1R5G5B5, A1R5G5B5) or A4R4G4B4, else NULL: GL may convert the shader's
 * output to 5 bits by truncation (llvmpipe converts to 8 bits and shifts),
 * Direct3D rounds to nearest (soft), so the shader rounds
 * (gl_blend_key.quant); llvmpipe rounds to 4 bits, but its blended
 * result is off by a few hundredths of a step (as an 8-bit fixed-point
 * blend is), so one near a 4-bit step's boundary lands on the other side
 * (measured: 0.51 steps stored 0), and the shader blends and rounds there
 * too.  With more targets GL's conversion stays (the output rounding is
 * one per program; docs/gl.md "Blending"). */
static const gl_surface *quant_target(const vgt_backend_draw_state *st)
{
    const gl_surface *one = NULL;
    for (uint32_t i = 0; i < color_slots(st); i++) {
        const gl_surface *t = (const gl_surface *)st->color_targets[i].surface;
        if (t && (one || i != 0)) {
            return NULL;
        }
        one = t ? t : one;
    }
    if (!one) {
        return NULL;
    }
    uint32_t f = one->fmt->svga;
    return f == VGT_SVGA3D_R5G6B5 || f == VGT_SVGA3D_X1R5G5B5 || f == VGT_SVGA3D_A1R5G5B5 ||
                   f == VGT_SVGA3D_A4R4G4B4
               ? one
               : NULL;
}

/* OUTPUTGAMMA 2.2 with blending where the targets have no sRGB view
 * (srgb_view_writes): the fragment shader blends, reading the target
 * through EXT_shader_framebuffer_fetch (gl_blend_key), when the driver has
 * it and every colour target is ARGB_S10E5 or ARGB_S23E8, or the draw's
 * one target is R5G6B5, X1R5G5B5, A1R5G5B5 or A4R4G4B4 (quant_target: the
 * blended, encoded colour is then rounded to the target's steps, soft's
 * rule).  Those are the targets where that equals soft (docs/gl.md
 * "sRGB": max delta 0 to 1); the others (luminance, alpha, several
 * 16-bit targets, ...) are left refused. */
static bool srgb_shader_blend(const gl_backend *b, const vgt_backend_draw_state *st)
{
    if (!st->blend_enable || vgt_backend_gamma_kind(st->output_gamma) != 1 || !b->info.fb_fetch ||
        srgb_view_writes(b, st)) {
        return false;
    }
    if (quant_target(st)) {
        return true;
    }
    bool any = false;
    for (uint32_t i = 0; i < color_slots(st); i++) {
        const gl_surface *t = (const gl_surface *)st->color_targets[i].surface;
        if (t && t->fmt->svga != VGT_SVGA3D_ARGB_S10E5 && t->fmt->svga != VGT_SVGA3D_ARGB_S23E8) {
            return false;
        }
        any |= t != NULL;
    }
    return any;
}

/* Plain blending (no sRGB write) on a 5-bit or A4R4G4B4 target: the
 * fragment shader blends (framebuffer fetch) and rounds the result,
 * because GL's blending truncates its result to 5 bits on llvmpipe where
 * Direct3D rounds (measured: more than half of test_gl_blend's pixels a
 * step apart), and its A4R4G4B4 blend is a few hundredths of a step off
 * before rounding to 4 bits (7 pixels of a scene a step apart).  Without
 * framebuffer fetch GL blends. */
static bool plain_shader_blend(const gl_backend *b, const vgt_backend_draw_state *st)
{
    return st->blend_enable && vgt_backend_gamma_kind(st->output_gamma) == 0 && b->info.fb_fetch &&
           quant_target(st) != NULL;
}

/* The fragment shader blends the draw (GL's blending off). */
static bool shader_blend(const gl_backend *b, const vgt_backend_draw_state *st)
{
    return srgb_shader_blend(b, st) || plain_shader_blend(b, st);
}

/* The shader's output conversion (gl_blend_key) of the draw: its blend
 * and the rounding to a 5-bit target, or all zero. */
static void blend_key_fill(const gl_backend *b, const vgt_backend_draw_state *st, gl_blend_key *k)
{
    memset(k, 0, sizeof(*k));
    /* (not when GL blends: its blending must see the unrounded source) */
    const gl_surface *q = !st->blend_enable || shader_blend(b, st) ? quant_target(st) : NULL;
    if (q) {
        bool g6 = q->fmt->svga == VGT_SVGA3D_R5G6B5;
        k->quant[0] = 31;
        k->quant[1] = g6 ? 63 : 31;
        k->quant[2] = 31;
        k->quant[3] = q->fmt->svga == VGT_SVGA3D_A1R5G5B5 ? 1 : 0;
        if (q->fmt->svga == VGT_SVGA3D_A4R4G4B4) {
            k->quant[0] = k->quant[1] = k->quant[2] = k->quant[3] = 15;
        }
        k->no_dst_alpha = q->fmt->no_alpha || g6;
    }
    if (!shader_blend(b, st)) {
        return;
    }
    bool sep = st->separate_alpha_blend;
    k->on = 1;
    k->src = (uint8_t)st->src_blend;
    k->dst = (uint8_t)st->dst_blend;
    k->eq = (uint8_t)st->blend_eq;
    k->src_a = (uint8_t)(sep ? st->src_blend_alpha : st->src_blend);
    k->dst_a = (uint8_t)(sep ? st->dst_blend_alpha : st->dst_blend);
    k->eq_a = (uint8_t)(sep ? st->blend_eq_alpha : st->blend_eq);
    /* D3DCOLOR: A in bits 24..31, R 16..23, G 8..15, B 0..7 */
    k->color[0] = (uint8_t)(st->blend_color >> 16);
    k->color[1] = (uint8_t)(st->blend_color >> 8);
    k->color[2] = (uint8_t)st->blend_color;
    k->color[3] = (uint8_t)(st->blend_color >> 24);
}

/* TS_GAMMA of a stage or sampler that reads texture `t`: 1 (or <= 0) is
 * linear; 2.2 (sRGB reads) samples through an sRGB view of the texture
 * (bind_stage), which GL decodes before filtering as soft does, for soft's
 * formats (A8R8G8B8, X8R8G8B8, DXT) when GL has texture views; anything
 * else is refused, naming the stage, rather than sampled as linear texels. */
static vgt_status check_texture_gamma(const gl_backend *b, const vgt_backend_draw_state *st,
                                      const gl_surface *t, const char *what, uint32_t s,
                                      vgt_error *err)
{
    float g = st->stages[s].gamma;
    int gk = vgt_backend_gamma_kind(g);
    if (gk < 0) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: context %u %s %u: texture gamma %g is not supported (1: "
                             "linear, 2.2: sRGB reads)",
                             st->cid, what, s, (double)g);
    }
    if (gk == 1 && !b->info.texture_view) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: context %u %s %u: texture gamma 2.2 (sRGB reads) needs "
                             "GL 4.3 or ARB_texture_view",
                             st->cid, what, s);
    }
    if (gk == 1 && !gl_srgb_view_format(b, t)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: context %u %s %u: sRGB reads (texture gamma 2.2) of %s "
                             "are not supported (A8R8G8B8, X8R8G8B8 and DXT only)",
                             st->cid, what, s, t->fmt->name);
    }
    return VGT_OK;
}

/* A raw surface (a format the backend cannot sample, e.g. BUMPL8V8U8)
 * bound where a draw reads it: refused naming the format, since its bytes
 * exist only on the CPU. */
static vgt_status refuse_raw_texture(const gl_surface *t, const char *what, uint32_t s,
                                     vgt_error *err)
{
    if (!t->raw) {
        return VGT_OK;
    }
    return vgt_error_set(err, VGT_E_UNSUPPORTED,
                         "gl backend: %s %u: surface %u is %s, a format the gl backend cannot "
                         "sample (its bytes are kept for DMA and copies only)",
                         what, s, t->sid, vgt_svga3d_format_name(t->format));
}

static vgt_status build_key(gl_backend *b, const vgt_backend_draw_state *st, const gl_layout *l,
                            bool points, gl_ff_key *k, vgt_error *err)
{
    memset(k, 0, sizeof(*k));
    k->points = points;
    k->pretransformed = l->pretransformed;
    k->has_normal = l->normal != NULL;
    k->has_color0 = l->color[0] != NULL;
    k->has_color1 = l->color[1] != NULL;
    k->has_psize = l->psize != NULL;
    k->zremap = !b->info.clip_control;
    k->specular = st->specular_enable;
    if (st->lighting && !l->pretransformed) {
        k->lighting = 1;
        k->local_viewer = st->local_viewer;
        k->normalize = st->normalize_normals;
        k->src_diffuse = material_source(st, st->diffuse_source, l);
        k->src_ambient = material_source(st, st->ambient_source, l);
        k->src_specular = material_source(st, st->specular_source, l);
        k->src_emissive = material_source(st, st->emissive_source, l);
        uint32_t n = st->light_count < GLB_MAX_LIGHTS ? st->light_count : GLB_MAX_LIGHTS;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t t = st->lights[i].type;
            if (t < VGT_SVGA3D_LIGHTTYPE_POINT || t > VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL) {
                return vgt_error_set(err, VGT_E_INVALID, "gl backend: light %u has type %u",
                                     st->lights[i].index, t);
            }
            k->light_type[i] = (uint8_t)t;
        }
    }
    if (st->fog_enable) {
        if (st->fog_function > VGT_SVGA3D_FOGFUNC_PER_VERTEX ||
            (st->fog_type != VGT_SVGA3D_FOGTYPE_VERTEX &&
             st->fog_type != VGT_SVGA3D_FOGTYPE_PIXEL)) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "gl backend: fog function %u / type %u is not valid",
                                 st->fog_function, st->fog_type);
        }
        k->fog_func = (uint8_t)st->fog_function;
        bool pixel = st->fog_type == VGT_SVGA3D_FOGTYPE_PIXEL &&
                     st->fog_function != VGT_SVGA3D_FOGFUNC_PER_VERTEX;
        /* pixel fog: depth, never range; the device z under an affine
         * projection (vgt_svga3d_pixel_fog_uses_device_z) */
        k->fog_range = !pixel && (st->range_fog || st->fog_base == VGT_SVGA3D_FOGBASE_RANGEBASED);
        k->fog_device_z =
            pixel && !l->pretransformed && vgt_svga3d_pixel_fog_uses_device_z(st->projection.m);
        if (l->pretransformed && pixel) {
            k->fog = 2; /* table fog of pre-transformed vertices: the screen z */
        } else if (l->pretransformed || st->fog_function == VGT_SVGA3D_FOGFUNC_PER_VERTEX) {
            k->fog = 3;
        } else {
            k->fog = pixel ? 2 : 1;
        }
    }
    if (!l->pretransformed) {
        k->clip_planes = (uint8_t)(st->clip_plane_enable & VGT_SVGA3D_CLIPPLANE_ALL);
    }
    /* Only the clip position needs the eye-space one: world-view-projection
     * is then one matrix, multiplied once per draw instead of per vertex. */
    k->fold_proj = !l->pretransformed && !k->lighting && k->fog != 1 && k->fog != 2;
    k->halfpix = !b->info.viewport_array;
    if (k->points) {
        k->point_sprite = st->point_sprite;
        /* behind a vertex shader the size is its oPts or POINTSIZE
         * (gl_shader.c's u_psize), not scaled */
        k->point_scale = vgt_svga3d_point_scale_applies(st->point_scale, st->vertex_shader != NULL);
        if (k->point_scale) {
            k->fold_proj = 0; /* the eye distance is read */
        }
    }
    k->flat = st->shade_mode == VGT_SVGA3D_SHADEMODE_FLAT;
    if (st->alpha_test) {
        if (st->alpha_func < VGT_SVGA3D_CMP_NEVER || st->alpha_func > VGT_SVGA3D_CMP_ALWAYS) {
            return vgt_error_set(err, VGT_E_INVALID, "gl backend: alpha function %u",
                                 st->alpha_func);
        }
        k->alpha_func = st->alpha_func == VGT_SVGA3D_CMP_ALWAYS ? 0 : (uint8_t)st->alpha_func;
    }
    const gl_surface *rt =
        st->color_target_count ? (const gl_surface *)st->color_targets[0].surface : NULL;
    k->out_mode = rt ? (uint8_t)rt->fmt->out : 0;
    k->srgb_out = vgt_backend_gamma_kind(st->output_gamma) == 1 && !srgb_view_writes(b, st);
    blend_key_fill(b, st, &k->sblend);
    uint32_t ns = 0;
    while (ns < GLB_MAX_STAGES && st->stages[ns].color_op != VGT_SVGA3D_TC_DISABLE) {
        ns++;
    }
    k->nstages = (uint8_t)ns;
    for (uint32_t s = 0; s < ns; s++) {
        const vgt_backend_stage *g = &st->stages[s];
        gl_stage_key *o = &k->stages[s];
        if (!op_supported(g->color_op) || !op_supported(g->alpha_op) ||
            g->alpha_op == VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "gl backend: texture stage %u: color op %u / alpha op %u is not "
                                 "a supported fixed-function operation",
                                 s, g->color_op, g->alpha_op);
        }
        const uint32_t args[6] = {g->color_arg0, g->color_arg1, g->color_arg2,
                                  g->alpha_arg0, g->alpha_arg1, g->alpha_arg2};
        for (int i = 0; i < 6; i++) {
            if (!arg_valid(args[i])) {
                return vgt_error_set(err, VGT_E_INVALID,
                                     "gl backend: texture stage %u: argument 0x%x", s, args[i]);
            }
        }
        o->color_op = (uint8_t)g->color_op;
        o->alpha_op = (uint8_t)g->alpha_op;
        o->color_arg[0] = (uint8_t)g->color_arg0;
        o->color_arg[1] = (uint8_t)g->color_arg1;
        o->color_arg[2] = (uint8_t)g->color_arg2;
        o->alpha_arg[0] = (uint8_t)g->alpha_arg0;
        o->alpha_arg[1] = (uint8_t)g->alpha_arg1;
        o->alpha_arg[2] = (uint8_t)g->alpha_arg2;
        const gl_surface *t = (const gl_surface *)g->texture.surface;
        if (!t) {
            /* Direct3D 9: a stage without a texture does no texture mapping;
             * an operation that reads the texture passes the current color */
            if (reads_texture(g->color_op, g->color_arg0, g->color_arg1, g->color_arg2)) {
                o->color_op = VGT_SVGA3D_TC_SELECTARG1;
                o->color_arg[1] = VGT_SVGA3D_TA_PREVIOUS;
            }
            if (g->alpha_op != VGT_SVGA3D_TC_DISABLE &&
                reads_texture(g->alpha_op, g->alpha_arg0, g->alpha_arg1, g->alpha_arg2)) {
                o->alpha_op = VGT_SVGA3D_TC_SELECTARG1;
                o->alpha_arg[1] = VGT_SVGA3D_TA_PREVIOUS;
            }
        }
        if (t && stage_uses_texture(g)) {
            vgt_status grc;
            if (!st->pixel_shader &&
                (grc = check_texture_gamma(b, st, t, "texture stage", s, err))) {
                return grc;
            }
            uint32_t set, gen;
            if (!vgt_backend_texcoord_source(g, &set, &gen)) {
                return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                     "gl backend: texture stage %u: TEXCOORDINDEX 0x%x with "
                                     "TEXCOORDGEN %u: not a coordinate set 0..7 with one "
                                     "generation mode",
                                     s, g->texcoord_index, g->texcoord_gen);
            }
            vgt_status raw_rc = refuse_raw_texture(t, "texture stage", s, err);
            if (raw_rc) {
                return raw_rc;
            }
            if (!t->tex || t->fmt->buffer) {
                return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                     "gl backend: texture stage %u: surface %u is a buffer", s,
                                     t->sid);
            }
            o->tex_kind =
                t->target == GL_TEXTURE_CUBE_MAP ? 2 : (t->target == GL_TEXTURE_3D ? 3 : 1);
            o->tc = (uint8_t)set;
            if (st->vertex_shader) {
                /* the vertex shader's oT# (v_tc<set>), divided by its z or w */
                vgt_svga3d_texcoord_plan plan;
                vgt_svga3d_texcoord_plan_behind_vs(g->transform_flags, &plan);
                o->proj = (uint8_t)(plan.proj + 1);
                o->keep = (uint8_t)plan.keep;
            } else if (!st->pixel_shader) {
                /* (in front of a pixel shader the stages are not drawn) */
                vgt_status rc = texcoord_mode(g, s, gen, l, o, err);
                if (rc) {
                    return rc;
                }
                k->tc_normal |= gen == VGT_SVGA3D_TEXCOORD_GEN_EYE_NORMAL ||
                                gen == VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR ||
                                gen == VGT_SVGA3D_TEXCOORD_GEN_SPHERE;
                k->tc_matrix |= o->count != 0;
                if (k->tc_normal) {
                    k->normalize = st->normalize_normals;
                }
                if (gen != VGT_SVGA3D_TEXCOORD_GEN_OFF) {
                    k->fold_proj = 0; /* the view-space position is read */
                }
            }
            if (!o->own || o->gen == VGT_SVGA3D_TEXCOORD_GEN_OFF) {
                k->tc_mask |= (uint8_t)(1u << o->tc);
                if (l->tc[o->tc]) {
                    k->tc_have |= (uint8_t)(1u << o->tc);
                }
            }
        }
    }
    /* after the stages: whether the normal is read (tc_normal) decides
     * whether tweening needs NORMAL 1 */
    const vgt_svga3d_vertex_blend_decl decl = {
        .has_indices = l->blendi != NULL,
        .index_type = l->blendi ? l->blendi->type : 0,
        .has_position1 = l->pos1 != NULL,
        .has_normal = l->normal != NULL,
        .has_normal1 = l->normal1 != NULL,
        .normals_used = k->lighting || k->tc_normal,
    };
    vgt_svga3d_vertex_blend_plan blend;
    vgt_status brc = vgt_svga3d_vertex_blend_plan_make(st->vertex_blend, st->indexed_vertex_blend,
                                                       st->vertex_shader != NULL, l->pretransformed,
                                                       &decl, &blend, err);
    if (brc) {
        vgt_error_prefix(err, "gl backend");
        return brc;
    }
    if (blend.matrices) {
        k->blend = (uint8_t)blend.matrices;
        k->has_blendw = blend.weights && l->blendw;
        k->blend_index = !blend.indexed ? 0 : (blend.color_indices ? 2 : 1);
        k->fold_proj = 0; /* the blended eye-space position is computed */
    }
    k->tween = blend.tween;
    k->tween_normal = blend.tween_normal;
    /* BUMPENVMAPLUMINANCE perturbs the next stage's 2D coordinates (gl_ffp.c
     * gen_fs): a projected, point-sprite or cube/volume next stage is not
     * done */
    for (uint32_t s = 1; s < ns; s++) {
        const gl_stage_key *o = &k->stages[s];
        if (k->stages[s - 1].color_op == VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE && o->tex_kind &&
            (o->tex_kind != 1 || o->proj || k->point_sprite)) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "gl backend: texture stage %u after BUMPENVMAPLUMINANCE: only a "
                                 "2D texture at unprojected coordinates without point sprites is "
                                 "perturbed",
                                 s);
        }
    }
    return VGT_OK;
}

/* ---- uniforms ------------------------------------------------------------------------- */

static void mat_mul(const float a[4][4], const float c[4][4], float out[4][4])
{
    /* row i of out = sum over k of a[i][k] * row k of c, in rows of four
     * (the compiler keeps a row in one vector register); the sums in the
     * same order as a[i][0] * c[0][j] + ... + a[i][3] * c[3][j] */
    for (int i = 0; i < 4; i++) {
        float r[4];
        for (int j = 0; j < 4; j++) {
            r[j] = a[i][0] * c[0][j];
        }
        for (int k = 1; k < 4; k++) {
            for (int j = 0; j < 4; j++) {
                r[j] += a[i][k] * c[k][j];
            }
        }
        memcpy(out[i], r, sizeof(r));
    }
}

/* The normal matrix as a mat4 uniform: the 3x3 in its upper left, (0, 0,
 * 0, 1) around it. */
static void normal_matrix(const float m[4][4], float out[16])
{
    float n[3][3];
    vgt_svga3d_normal_matrix(m, n);
    memset(out, 0, 16 * sizeof(float));
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            out[4 * i + j] = n[i][j];
        }
    }
    out[15] = 1.0f;
}

static void color4(const vgt_backend_color *c, float out[4])
{
    out[0] = c->r;
    out[1] = c->g;
    out[2] = c->b;
    out[3] = c->a;
}

void gl_ff_blend_matrices(const vgt_backend_draw_state *st, float out[GL_BLEND_MATRICES][16])
{
    for (uint32_t i = 0; i < 4; i++) {
        const float(*w)[4] = i ? st->world_n[i - 1].m : st->world.m;
        float wv[4][4];
        mat_mul(w, st->view.m, wv);
        memcpy(out[i], wv, sizeof(out[i]));
        memcpy(out[4 + i], w, sizeof(out[4 + i]));
        normal_matrix(wv, out[8 + i]);
    }
}

/* The part of the uniforms that depends on the matrices: world-view,
 * projection, world, the normal matrix and the lights' eye-space position
 * and direction (with their range and falloff in w). */
static void fill_transforms(gl_backend *b, const vgt_backend_draw_state *st, const gl_ff_key *k,
                            gl_ff_uniforms *u)
{
    float wv[4][4];
    if (k->fold_proj) {
        /* world * (view * projection): the second product changes seldom
         * (a camera), the first with every object */
        gl_vp_cache *c = &b->vp_cache;
        if (!c->valid || memcmp(c->view, st->view.m, sizeof(c->view)) != 0 ||
            memcmp(c->proj, st->projection.m, sizeof(c->proj)) != 0) {
            memcpy(c->view, st->view.m, sizeof(c->view));
            memcpy(c->proj, st->projection.m, sizeof(c->proj));
            mat_mul(st->view.m, st->projection.m, c->vp);
            c->valid = true;
        }
        float wvp[4][4];
        mat_mul(st->world.m, (const float(*)[4])c->vp, wvp);
        memcpy(u->wv, wvp, sizeof(u->wv)); /* the vertex shader skips u_proj */
    } else {
        mat_mul(st->world.m, st->view.m, wv);
        memcpy(u->wv, wv, sizeof(u->wv));
    }
    memcpy(u->proj, st->projection.m, sizeof(u->proj));
    memcpy(u->world, st->world.m, sizeof(u->world));
    if (!k->lighting && !k->tc_normal) {
        return;
    }
    normal_matrix(wv, u->nrm); /* fold_proj is off with either */
    if (!k->lighting) {
        return;
    }
    for (int i = 0; i < GLB_MAX_LIGHTS; i++) {
        if (!k->light_type[i]) {
            continue;
        }
        const vgt_backend_light *l = &st->lights[i];
        float p[3], d[3];
        if (l->in_world_space) {
            const float(*v)[4] = st->view.m;
            for (int j = 0; j < 3; j++) {
                p[j] = l->position[0] * v[0][j] + l->position[1] * v[1][j] +
                       l->position[2] * v[2][j] + v[3][j];
                d[j] = l->direction[0] * v[0][j] + l->direction[1] * v[1][j] +
                       l->direction[2] * v[2][j];
            }
        } else {
            memcpy(p, l->position, sizeof(p));
            memcpy(d, l->direction, sizeof(d));
        }
        float len2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        if (len2 > 0.0f) {
            float inv = 1.0f / sqrtf(len2);
            d[0] *= inv;
            d[1] *= inv;
            d[2] *= inv;
        }
        gl_ff_light *ul = &u->lights[i];
        memcpy(ul->pos, p, sizeof(p));
        ul->pos[3] = l->range;
        memcpy(ul->dir, d, sizeof(d));
        ul->dir[3] = l->falloff;
    }
}

static void fill_uniforms(gl_backend *b, const vgt_backend_draw_state *st, const gl_ff_key *k,
                          gl_ff_uniforms *u)
{
    memset(u, 0, sizeof(*u));
    fill_transforms(b, st, k, u);
    u->vp[0] = (float)st->viewport.x;
    u->vp[1] = (float)st->viewport.y;
    u->vp[2] = st->viewport.w ? (float)st->viewport.w : 1.0f;
    u->vp[3] = st->viewport.h ? (float)st->viewport.h : 1.0f;
    if (b->info.viewport_array) {
        /* the viewport is half a pixel off already (apply_state); screen
         * positions of pretransformed vertices are relative to it */
        u->vp[0] += 0.5f;
        u->vp[1] += 0.5f;
    } else {
        u->halfpix[0] = 1.0f / u->vp[2];
        u->halfpix[1] = 1.0f / u->vp[3];
    }
    if (k->clip_planes) {
        memcpy(u->clip, st->clip_planes, sizeof(u->clip));
    }
    if (k->lighting) {
        color4(&st->material.diffuse, u->mat_d);
        color4(&st->material.ambient, u->mat_a);
        color4(&st->material.specular, u->mat_s);
        color4(&st->material.emissive, u->mat_e);
        u->ambient[0] = st->ambient.r;
        u->ambient[1] = st->ambient.g;
        u->ambient[2] = st->ambient.b;
        u->ambient[3] = st->material.power;
        for (int i = 0; i < GLB_MAX_LIGHTS; i++) {
            if (!k->light_type[i]) {
                continue;
            }
            const vgt_backend_light *l = &st->lights[i];
            gl_ff_light *ul = &u->lights[i];
            color4(&l->diffuse, ul->d);
            color4(&l->specular, ul->s);
            color4(&l->ambient, ul->a);
            ul->att[0] = l->attenuation0;
            ul->att[1] = l->attenuation1;
            ul->att[2] = l->attenuation2;
            float theta = l->theta, phi = l->phi;
            if (l->type == VGT_SVGA3D_LIGHTTYPE_SPOT1) {
                theta *= 3.14159265359f / 180.0f;
                phi *= 3.14159265359f / 180.0f;
            }
            ul->spot[0] = cosf(theta * 0.5f);
            ul->spot[1] = cosf(phi * 0.5f);
        }
    }
    u->fog[0] = st->fog_start;
    u->fog[1] = st->fog_end;
    u->fog[2] = st->fog_density;
    gl_d3dcolor(st->fog_color, u->fog_color);
    gl_d3dcolor(st->texture_factor, u->tfactor);
    float ref = st->alpha_ref < 0.0f ? 0.0f : (st->alpha_ref > 1.0f ? 1.0f : st->alpha_ref);
    u->misc[0] = floorf(ref * 255.0f + 0.5f);
    float ps = st->point_size;
    if (k->point_scale) {
        /* the vertex shader scales, then clamps (soft_vertex.c's rule) */
        u->misc[2] = st->point_size_min;
        u->misc[3] = st->point_size_max;
        u->halfpix[2] = st->point_scale_a;
        u->halfpix[3] = st->point_scale_b;
        u->fog[3] = st->point_scale_c;
    } else {
        ps = ps < st->point_size_min ? st->point_size_min : ps;
        ps = ps > st->point_size_max ? st->point_size_max : ps;
    }
    u->misc[1] = ps;
    memcpy(u->misc_vs, u->misc, sizeof(u->misc));
    if (k->tween) {
        /* the vertex side does not read the alpha reference */
        u->misc_vs[0] = st->tween_factor;
    }
    memcpy(u->fog_vs, u->fog, sizeof(u->fog));
}

/* Uploads the vec4s in [lo, hi) of `now` that differ from `was` (all of
 * them when was is NULL) to the array at `loc` (vec4 `lo` at loc). */
static bool vec4_equal(const float *a, const float *b)
{
    uint64_t x[2], y[2]; /* the bytes, as memcmp would (no float compare: -0, NaN) */
    memcpy(x, a, 16);
    memcpy(y, b, 16);
    return x[0] == y[0] && x[1] == y[1];
}

static void upload_range(GLint loc, const float (*now)[4], const float (*was)[4], uint32_t lo,
                         uint32_t hi)
{
    uint32_t first = lo, last = hi;
    if (was) {
        while (first < hi && vec4_equal(now[first], was[first])) {
            first++;
        }
        while (last > first && vec4_equal(now[last - 1], was[last - 1])) {
            last--;
        }
    }
    if (loc >= 0 && first < last) {
        glUniform4fv(loc + (GLint)(first - lo), (GLsizei)(last - first), now[first]);
    }
}

/* Uploads what changed since the program's last draw: the vertex shader's
 * ff[] and the fragment shader's ffp[] separately, so that a new transform
 * leaves the fragment constants alone.  vs_only: only ff[] can differ (a
 * reused state: gl_ff_reuse). */
static void upload_uniforms(gl_program *p, const gl_ff_uniforms *u, bool vs_only)
{
    const float(*now)[4] = (const float(*)[4])(const void *)u;
    const float(*was)[4] = p->last ? (const float(*)[4])(const void *)p->last : NULL;
    if (vs_only && was) {
        upload_range(p->loc, now, was, 0, p->vs_active);
        memcpy(p->last, u, (size_t)p->vs_vec4s * 16u);
        return;
    }
    if (was && memcmp(now, was, sizeof(*u)) == 0) {
        return;
    }
    upload_range(p->loc, now, was, 0, p->vs_active);
    upload_range(p->loc_fs, now, was, GL_FF_FS_FIRST, GL_FF_FS_FIRST + p->fs_active);
    if (!p->last) {
        p->last = malloc(sizeof(*u));
    }
    if (p->last) {
        memcpy(p->last, u, sizeof(*u));
    }
}

/* ---- textures ------------------------------------------------------------------------ */

static GLint wrap_mode(gl_backend *b, uint32_t a)
{
    switch (a) {
    case VGT_SVGA3D_TEX_ADDRESS_MIRROR:
        return GL_MIRRORED_REPEAT;
    case VGT_SVGA3D_TEX_ADDRESS_CLAMP:
    case VGT_SVGA3D_TEX_ADDRESS_EDGE:
        return GL_CLAMP_TO_EDGE;
    case VGT_SVGA3D_TEX_ADDRESS_BORDER:
        return GL_CLAMP_TO_BORDER;
    case VGT_SVGA3D_TEX_ADDRESS_MIRRORONCE:
        return b->info.gl_version >= 44 ||
                       epoxy_has_gl_extension("GL_ARB_texture_mirror_clamp_to_edge")
                   ? GL_MIRROR_CLAMP_TO_EDGE
                   : GL_CLAMP_TO_EDGE;
    default:
        return GL_REPEAT;
    }
}

/* Binds stage g's texture and sampler to unit; texl gets texldl's terms for
 * the shader (gl_sprog_texl; (0, bias, 0) where MAXMIPLEVEL does not matter). */
static void bind_stage(gl_backend *b, uint32_t unit, const vgt_backend_stage *g, float texl[3])
{
    gl_surface *t = (gl_surface *)g->texture.surface;
    /* TS_GAMMA 2.2: the sRGB view (check_texture_gamma allowed it); made
     * before the unit is chosen, as making it binds the edit unit */
    bool srgb = vgt_backend_gamma_kind(g->gamma) == 1;
    GLuint name = srgb ? gl_surface_srgb_view(b, t) : t->tex;
    int32_t *base_level = srgb ? &t->srgb_base_level : &t->base_level;
    if (b->sc.active_unit != unit) {
        glActiveTexture(GL_TEXTURE0 + unit);
        b->sc.active_unit = (uint8_t)unit;
    }
    if (b->sc.tex[unit] != name || b->sc.tex_target[unit] != t->target) {
        if (b->sc.tex[unit] && b->sc.tex_target[unit] != t->target) {
            glBindTexture(b->sc.tex_target[unit], 0);
        }
        glBindTexture(t->target, name);
        b->sc.tex[unit] = name;
        b->sc.tex_target[unit] = t->target;
    }
    /* the view has its own base level (the same levels: min level 0) */
    int32_t base = (int32_t)(g->max_mip_level < t->mips ? g->max_mip_level : t->mips - 1);
    if (*base_level != base) {
        glTexParameteri(t->target, GL_TEXTURE_BASE_LEVEL, base);
        *base_level = base;
    }
    gl_sampler_state s;
    memset(&s, 0, sizeof(s));
    s.valid = true;
    s.wrap[0] = wrap_mode(b, g->address_u);
    s.wrap[1] = wrap_mode(b, g->address_v);
    s.wrap[2] = wrap_mode(b, g->address_w);
    bool mag_lin = g->mag_filter == VGT_SVGA3D_TEX_FILTER_LINEAR ||
                   g->mag_filter == VGT_SVGA3D_TEX_FILTER_ANISOTROPIC;
    bool min_lin = g->min_filter == VGT_SVGA3D_TEX_FILTER_LINEAR ||
                   g->min_filter == VGT_SVGA3D_TEX_FILTER_ANISOTROPIC;
    s.mag = mag_lin ? GL_LINEAR : GL_NEAREST;
    if (g->mip_filter == VGT_SVGA3D_TEX_FILTER_NONE || t->mips <= 1) {
        s.min = min_lin ? GL_LINEAR : GL_NEAREST;
    } else if (g->mip_filter == VGT_SVGA3D_TEX_FILTER_NEAREST) {
        s.min = min_lin ? GL_LINEAR_MIPMAP_NEAREST : GL_NEAREST_MIPMAP_NEAREST;
    } else {
        s.min = min_lin ? GL_LINEAR_MIPMAP_LINEAR : GL_NEAREST_MIPMAP_LINEAR;
    }
    s.lod_bias = g->lod_bias;
    /* texldl under MAXMIPLEVEL (gl_shader.c TEXL): the base level B and the
     * bias to undo GL's measuring from B; p the level GL is given between
     * lambda 0 and B, a minified B under POINT mips (0.25 rounds to 0), 0
     * (magnified: the level is right, not the filter) under LINEAR mips */
    bool mips = t->mips > 1 && g->mip_filter != VGT_SVGA3D_TEX_FILTER_NONE;
    texl[0] = mips ? (float)base : 0.0f;
    texl[1] = g->lod_bias;
    texl[2] = mips && base > 0 && g->mip_filter == VGT_SVGA3D_TEX_FILTER_NEAREST ? 0.25f : 0.0f;
    /* ANISOTROPIC minification: GL's max anisotropy from TEXTURE_ANISOTROPIC_LEVEL
     * (0 as 1, above the caps clamped as Direct3D 9 hardware does), on the
     * linear filters above; anything else 1 (isotropic).  Volumes too: soft
     * draws them trilinear (docs/soft.md), where llvmpipe would filter
     * them anisotropically */
    s.aniso = 1.0f;
    if (g->min_filter == VGT_SVGA3D_TEX_FILTER_ANISOTROPIC && g->max_anisotropy > 1 &&
        t->target != GL_TEXTURE_3D) {
        uint32_t m = gl_aniso_max(b);
        s.aniso = (float)(g->max_anisotropy < m ? g->max_anisotropy : m);
    }
    gl_d3dcolor(g->border_color, s.border);
    gl_sampler_state *c = &b->sampler_state[unit];
    GLuint sm = b->samplers[unit];
    if (!c->valid || memcmp(c->wrap, s.wrap, sizeof(s.wrap)) != 0) {
        glSamplerParameteri(sm, GL_TEXTURE_WRAP_S, s.wrap[0]);
        glSamplerParameteri(sm, GL_TEXTURE_WRAP_T, s.wrap[1]);
        glSamplerParameteri(sm, GL_TEXTURE_WRAP_R, s.wrap[2]);
    }
    if (!c->valid || c->min != s.min) {
        glSamplerParameteri(sm, GL_TEXTURE_MIN_FILTER, s.min);
    }
    if (!c->valid || c->mag != s.mag) {
        glSamplerParameteri(sm, GL_TEXTURE_MAG_FILTER, s.mag);
    }
    if (!c->valid || c->lod_bias != s.lod_bias) {
        glSamplerParameterf(sm, GL_TEXTURE_LOD_BIAS, s.lod_bias);
    }
    if (!c->valid || memcmp(c->border, s.border, sizeof(s.border)) != 0) {
        glSamplerParameterfv(sm, GL_TEXTURE_BORDER_COLOR, s.border);
    }
    if (b->info.max_anisotropy > 1.0f && (!c->valid || c->aniso != s.aniso)) {
        /* without the extension the parameter is an error; s.aniso is 1 */
        glSamplerParameterf(sm, GL_TEXTURE_MAX_ANISOTROPY, s.aniso);
    }
    *c = s;
}

/* ---- vertex input -------------------------------------------------------------------- */

/* GL's divisor for element e: the instances sharing one value for
 * INSTANCE_DATA elements, 0 for per-vertex ones; an element of stride 0 is
 * one value for every vertex and instance in Direct3D (GL's stride 0 means
 * tightly packed), which the largest divisor gives: element 0 always. */
static uint32_t attrib_divisor(const vgt_backend_element *e)
{
    return e->stride == 0 ? UINT32_MAX : vgt_backend_element_instance_step(e);
}

/* GL's glVertexAttribPointer format of SVGA3D declaration type t (false:
 * a type gl does not read). */
static bool attrib_format(uint32_t t, GLint *size, GLenum *type, GLboolean *norm)
{
    *norm = GL_FALSE;
    switch (t) {
    case VGT_SVGA3D_DECLTYPE_FLOAT1:
    case VGT_SVGA3D_DECLTYPE_FLOAT2:
    case VGT_SVGA3D_DECLTYPE_FLOAT3:
    case VGT_SVGA3D_DECLTYPE_FLOAT4:
        *size = (GLint)(t - VGT_SVGA3D_DECLTYPE_FLOAT1 + 1);
        *type = GL_FLOAT;
        break;
    case VGT_SVGA3D_DECLTYPE_D3DCOLOR:
        *size = GL_BGRA;
        *type = GL_UNSIGNED_BYTE;
        *norm = GL_TRUE;
        break;
    case VGT_SVGA3D_DECLTYPE_UBYTE4:
    case VGT_SVGA3D_DECLTYPE_UBYTE4N:
        *size = 4;
        *type = GL_UNSIGNED_BYTE;
        *norm = t == VGT_SVGA3D_DECLTYPE_UBYTE4N;
        break;
    case VGT_SVGA3D_DECLTYPE_SHORT2:
    case VGT_SVGA3D_DECLTYPE_SHORT4:
    case VGT_SVGA3D_DECLTYPE_SHORT2N:
    case VGT_SVGA3D_DECLTYPE_SHORT4N:
        *size = (t == VGT_SVGA3D_DECLTYPE_SHORT2 || t == VGT_SVGA3D_DECLTYPE_SHORT2N) ? 2 : 4;
        *type = GL_SHORT;
        *norm = t == VGT_SVGA3D_DECLTYPE_SHORT2N || t == VGT_SVGA3D_DECLTYPE_SHORT4N;
        break;
    case VGT_SVGA3D_DECLTYPE_USHORT2N:
    case VGT_SVGA3D_DECLTYPE_USHORT4N:
        *size = t == VGT_SVGA3D_DECLTYPE_USHORT2N ? 2 : 4;
        *type = GL_UNSIGNED_SHORT;
        *norm = GL_TRUE;
        break;
    case VGT_SVGA3D_DECLTYPE_FLOAT16_2:
    case VGT_SVGA3D_DECLTYPE_FLOAT16_4:
        *size = t == VGT_SVGA3D_DECLTYPE_FLOAT16_2 ? 2 : 4;
        *type = GL_HALF_FLOAT;
        break;
    default:
        return false;
    }
    return true;
}

static vgt_status set_attrib(gl_backend *b, uint32_t loc, const vgt_backend_element *e,
                             vgt_error *err)
{
    gl_attrib *a = &b->attribs[loc];
    if (e) {
        uint32_t div = attrib_divisor(e);
        if (a->divisor != div) {
            glVertexAttribDivisor(loc, div);
            a->divisor = div;
        }
    }
    if (!e) {
        if (a->on) {
            glDisableVertexAttribArray(loc);
            a->on = false;
        }
        return VGT_OK;
    }
    gl_surface *s = (gl_surface *)e->buffer;
    if (!s || !s->buf) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: vertex element (usage %u.%u) reads surface %u, which "
                             "is not a buffer surface",
                             e->usage, e->usage_index, s ? s->sid : 0);
    }
    if (a->on && a->buf == s->buf && a->offset == e->offset && a->stride == e->stride &&
        a->type == e->type) {
        return VGT_OK;
    }
    GLint size;
    GLenum type;
    GLboolean norm;
    if (!attrib_format(e->type, &size, &type, &norm)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "gl backend: vertex element type %u", e->type);
    }
    glBindBuffer(GL_ARRAY_BUFFER, s->buf);
    glVertexAttribPointer(loc, size, type, norm, (GLsizei)e->stride,
                          (const void *)(uintptr_t)e->offset);
    if (!a->on) {
        glEnableVertexAttribArray(loc);
    }
    a->on = true;
    a->buf = s->buf;
    a->offset = e->offset;
    a->stride = e->stride;
    a->type = e->type;
    return VGT_OK;
}

void gl_probe_instance_attribs(gl_backend *b, uint32_t instance)
{
    for (GLuint loc = 0; loc < GLB_ATTRIBS; loc++) {
        const gl_attrib *a = &b->attribs[loc];
        GLint size;
        GLenum type;
        GLboolean norm;
        /* per-vertex data (divisor 0) stays as it is, and so does a
         * stride-0 element (one value for every instance: its divisor is
         * attrib_divisor's UINT32_MAX, its step times stride 0) */
        if (!a->on || a->divisor == 0 || !attrib_format(a->type, &size, &type, &norm)) {
            continue;
        }
        /* within the buffer: the executor checked every instance's read */
        uint64_t off = a->offset + (uint64_t)(instance / a->divisor) * a->stride;
        glBindBuffer(GL_ARRAY_BUFFER, a->buf);
        glVertexAttribPointer(loc, size, type, norm, (GLsizei)a->stride,
                              (const void *)(uintptr_t)off);
    }
}

static uint32_t decl_bytes(uint32_t type)
{
    switch (type) {
    case VGT_SVGA3D_DECLTYPE_FLOAT2:
    case VGT_SVGA3D_DECLTYPE_SHORT4:
    case VGT_SVGA3D_DECLTYPE_SHORT4N:
    case VGT_SVGA3D_DECLTYPE_USHORT4N:
    case VGT_SVGA3D_DECLTYPE_FLOAT16_4:
        return 8;
    case VGT_SVGA3D_DECLTYPE_FLOAT3:
        return 12;
    case VGT_SVGA3D_DECLTYPE_FLOAT4:
        return 16;
    default:
        return 4;
    }
}

/* The elements of the fixed-function attribute locations (GL_FF_ATTRIBS). */
static void ff_elements(const gl_layout *l, const vgt_backend_element *els[GL_FF_ATTRIBS])
{
    const vgt_backend_element *e[GL_FF_ATTRIBS] = {l->pos, l->normal, l->color[0], l->color[1],
                                                   l->psize};
    memcpy(&e[5], l->tc, sizeof(l->tc));
    e[13] = l->blendw;
    e[14] = l->blendi;
    memcpy(els, e, sizeof(e));
}

/* The vertex attributes of a fixed-function vertex shader for key: the
 * texture coordinate sets it reads, the blend inputs it reads; every other
 * location off. */
static vgt_status set_ff_attribs(gl_backend *b, const gl_layout *l, const gl_ff_key *key,
                                 vgt_error *err)
{
    _Static_assert(GL_FF_ATTRIBS <= GLB_ATTRIBS, "the fixed-function inputs fit");
    const vgt_backend_element *els[GLB_ATTRIBS] = {0};
    ff_elements(l, els);
    for (int i = 0; i < 8; i++) {
        els[5 + i] = (key->tc_have & (1u << i)) ? l->tc[i] : NULL;
    }
    els[13] = key->has_blendw ? l->blendw : (key->tween ? l->pos1 : NULL);
    els[14] = key->blend_index ? l->blendi : (key->tween_normal ? l->normal1 : NULL);
    for (uint32_t i = 0; i < GLB_ATTRIBS; i++) {
        vgt_status rc = set_attrib(b, i, els[i], err);
        if (rc) {
            return rc;
        }
    }
    return VGT_OK;
}

/* Without robust buffer access, every index of an indexed draw is checked
 * against every element's buffer before GL sees it. */
static vgt_status check_indices(const vgt_backend_draw_state *st, const gl_layout *l,
                                const vgt_backend_draw_range *r, vgt_error *err)
{
    const gl_surface *ib = (const gl_surface *)r->index_buffer;
    if (!ib->shadow) {
        return VGT_OK;
    }
    uint64_t limit = UINT64_MAX; /* vertices every element can serve */
    const vgt_backend_element *els[GL_FF_ATTRIBS + 2];
    ff_elements(l, els);
    els[GL_FF_ATTRIBS] = l->pos1; /* tweening reads them in the blend inputs' places */
    els[GL_FF_ATTRIBS + 1] = l->normal1;
    for (uint32_t i = 0; i < GL_FF_ATTRIBS + 2; i++) {
        const vgt_backend_element *e = els[i];
        if (!e || vgt_backend_element_instance_step(e)) {
            continue; /* instance data is not fetched by index (the executor checked it) */
        }
        uint64_t need = (uint64_t)e->offset + decl_bytes(e->type);
        uint64_t n = need > e->buffer_bytes ? 0
                     : e->stride            ? (e->buffer_bytes - need) / e->stride + 1
                                            : UINT64_MAX;
        limit = n < limit ? n : limit;
    }
    (void)st;
    for (uint32_t i = 0; i < r->vertex_count; i++) {
        const uint8_t *p = ib->shadow + r->index_offset + (uint64_t)i * r->index_width;
        int64_t v =
            (r->index_width == 2 ? vgt_load_le16(p) : vgt_load_le32(p)) + (int64_t)r->index_bias;
        if (v < 0 || (uint64_t)v >= limit) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "gl backend: index %u of the draw (value %lld with bias %d) "
                                 "reads past the vertex buffers (%llu vertices)",
                                 i, (long long)(v - r->index_bias), r->index_bias,
                                 (unsigned long long)limit);
        }
    }
    return VGT_OK;
}

/* ---- fixed state ----------------------------------------------------------------------- */

/* Target rt's GL color mask for COLORWRITEENABLE bits wm: routed like its
 * output (L8/A8/L8A8 live in R and G), X formats keep their X bits (reads
 * treat them as 1). */
static uint8_t target_mask(const gl_surface *rt, uint32_t wm)
{
    wm &= 15;
    uint8_t cm = (uint8_t)wm;
    switch (rt->fmt->out) {
    case GLB_OUT_L:
        cm = (uint8_t)(wm & 1);
        break;
    case GLB_OUT_A:
        cm = (wm & 8) ? 1 : 0;
        break;
    case GLB_OUT_LA:
        cm = (uint8_t)((wm & 1) | ((wm & 8) ? 2 : 0));
        break;
    default:
        break;
    }
    if (rt->fmt->no_alpha) {
        cm &= 7;
    }
    return cm;
}

/* A point's square reaches half its size beyond its centre, and gl
 * clamps sizes to 256 (gl_ffp.c; the soft backend too): 128 pixels of
 * guard band keep every point whose square can reach the viewport. */
#define GL_POINT_GUARD 128

/* The guard band of a draw of points (docs/gl.md "Points outside the
 * viewport"). GL discards a
 * point whose centre is outside the clip volume; Direct3D 9 only one whose
 * square lies wholly outside the viewport (soft does; gallium's draw
 * module's point_tri_clip is the same rule). The GL viewport grows by g[0]
 * pixels left and right and g[1] above and below, and the vertex shader
 * multiplies clip x and y by scale (u_guard), w / (w + 2 g), which keeps
 * every window coordinate where it was; the scissor (apply_state) keeps
 * the pixels inside the viewport. The band is as wide as
 * GL_MAX_VIEWPORT_DIMS lets the viewport grow. */
static void points_guard(const gl_backend *b, const vgt_backend_draw_state *st, int32_t g[2],
                         float scale[2])
{
    const int64_t dim[2] = {st->viewport.w, st->viewport.h};
    for (int i = 0; i < 2; i++) {
        int64_t room = ((int64_t)b->max_viewport[i] - dim[i]) / 2;
        int64_t gi = room < GL_POINT_GUARD ? room : GL_POINT_GUARD;
        /* and the viewport's corner stays an int32 (a backend caller may
         * pass any; the executor keeps x, y >= 0) */
        int64_t corner = i ? st->viewport.y : st->viewport.x;
        gi = corner - gi >= INT32_MIN ? gi : corner - (int64_t)INT32_MIN;
        gi = gi > 0 ? gi : 0;
        g[i] = (int32_t)gi;
        scale[i] = dim[i] > 0 ? (float)((double)dim[i] / (double)(dim[i] + 2 * gi)) : 1.0f;
    }
}

/* Whether a program's pixel fog measured the other depth than st's
 * projection asks for: the one key bit a matrix decides, so a state of the
 * same serial (only matrices changed) must not reuse the program then. */
static bool fog_device_z_changed(const gl_ff_key *k, const vgt_backend_draw_state *st)
{
    return k->fog == 2 && !k->pretransformed &&
           k->fog_device_z != vgt_svga3d_pixel_fog_uses_device_z(st->projection.m);
}

/* Sets the GL state of a draw; `writes` has bit i when the program writes
 * color target i (its other targets are masked off); `points`: the draw
 * rasterizes points, whose program scales x and y into the guard band
 * (points_guard). */
static void apply_state(gl_backend *b, const vgt_backend_draw_state *st, const gl_layout *l,
                        uint32_t writes, bool points)
{
    gl_state_cache *c = &b->sc;
    bool v = c->valid;
    if (!v) {
        c->depth_known = c->stencil_known = c->blend_known = c->cull_known = c->offset_known =
            false;
    }
    const gl_surface *ds =
        (const gl_surface *)(st->depth_target.surface ? st->depth_target.surface
                                                      : st->stencil_target.surface);

    /* viewport, depth range and the pixel bounds */
    GLint vp[4] = {st->viewport.x, st->viewport.y, (GLint)st->viewport.w, (GLint)st->viewport.h};
    if (points) {
        int32_t g[2];
        float scale[2];
        points_guard(b, st, g, scale);
        vp[0] -= g[0];
        vp[1] -= g[1];
        vp[2] += 2 * g[0];
        vp[3] += 2 * g[1];
    }
    if (!v || memcmp(vp, c->viewport, sizeof(vp)) != 0) {
        if (b->info.viewport_array) {
            /* Direct3D 9 samples pixels at integer positions, GL at
             * half-integers: move the viewport by half a pixel (the scissor
             * below keeps the pixels inside it). Shifting the vertices in
             * the shader instead pushes geometry that ends on the viewport's
             * edge (every full-screen quad) out of the clip volume, and
             * llvmpipe then sends the whole draw through its slow clipping
             * pipeline (2-3x the CPU per vertex). */
            glViewportIndexedf(0, (float)vp[0] + 0.5f, (float)vp[1] + 0.5f, (float)vp[2],
                               (float)vp[3]);
        } else {
            glViewport(vp[0], vp[1], vp[2], vp[3]);
        }
        memcpy(c->viewport, vp, sizeof(vp));
    }
    float dr[2] = {l->pretransformed ? 0.0f : st->z_min, l->pretransformed ? 1.0f : st->z_max};
    if (!v || dr[0] != c->depth_range[0] || dr[1] != c->depth_range[1]) {
        glDepthRange(dr[0], dr[1]);
        c->depth_range[0] = dr[0];
        c->depth_range[1] = dr[1];
    }
    int64_t x0 = st->viewport.x, y0 = st->viewport.y;
    int64_t x1 = x0 + st->viewport.w, y1 = y0 + st->viewport.h;
    if (st->scissor_enable) {
        x0 = st->scissor.x > x0 ? st->scissor.x : x0;
        y0 = st->scissor.y > y0 ? st->scissor.y : y0;
        x1 = st->scissor.x + (int64_t)st->scissor.w < x1 ? st->scissor.x + (int64_t)st->scissor.w
                                                         : x1;
        y1 = st->scissor.y + (int64_t)st->scissor.h < y1 ? st->scissor.y + (int64_t)st->scissor.h
                                                         : y1;
    }
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    GLint sc[4] = {(GLint)x0, (GLint)y0, (GLint)(x1 > x0 ? x1 - x0 : 0),
                   (GLint)(y1 > y0 ? y1 - y0 : 0)};
    enable(GL_SCISSOR_TEST, true, &c->scissor, v);
    if (!v || memcmp(sc, c->scissor_box, sizeof(sc)) != 0) {
        glScissor(sc[0], sc[1], sc[2], sc[3]);
        memcpy(c->scissor_box, sc, sizeof(sc));
    }
    enable(GL_DEPTH_CLAMP, l->pretransformed, &c->depth_clamp, v);

    /* rasterizer */
    bool cull = st->cull_face != VGT_SVGA3D_FACE_NONE;
    enable(GL_CULL_FACE, cull, &c->cull, v);
    if (cull) {
        GLenum face = st->cull_face == VGT_SVGA3D_FACE_FRONT  ? GL_FRONT
                      : st->cull_face == VGT_SVGA3D_FACE_BACK ? GL_BACK
                                                              : GL_FRONT_AND_BACK;
        if (!c->cull_known || c->cull_face != face) {
            glCullFace(face);
            c->cull_face = face;
        }
        c->cull_known = true;
    }
    /* y is flipped: Direct3D's clockwise is GL's counter-clockwise */
    GLenum front = st->front_winding == VGT_SVGA3D_FRONTWINDING_CCW ? GL_CW : GL_CCW;
    if (!v || c->front_face != front) {
        glFrontFace(front);
        c->front_face = front;
    }
    GLenum pm = st->fill_mode == VGT_SVGA3D_FILLMODE_POINT  ? GL_POINT
                : st->fill_mode == VGT_SVGA3D_FILLMODE_LINE ? GL_LINE
                                                            : GL_FILL;
    if (!v || c->polygon_mode != pm) {
        glPolygonMode(GL_FRONT_AND_BACK, pm);
        c->polygon_mode = pm;
    }
    bool bias = ds && (st->depth_bias != 0.0f || st->slope_scale_depth_bias != 0.0f);
    if (!v || c->poly_offset != bias) {
        if (bias) {
            glEnable(GL_POLYGON_OFFSET_FILL);
            glEnable(GL_POLYGON_OFFSET_LINE);
            glEnable(GL_POLYGON_OFFSET_POINT);
        } else {
            glDisable(GL_POLYGON_OFFSET_FILL);
            glDisable(GL_POLYGON_OFFSET_LINE);
            glDisable(GL_POLYGON_OFFSET_POINT);
        }
        c->poly_offset = bias;
    }
    if (bias) {
        float r = ds->fmt->svga == VGT_SVGA3D_Z_D16   ? 65535.0f
                  : ds->fmt->svga == VGT_SVGA3D_Z_D32 ? 4294967295.0f
                                                      : 16777215.0f;
        float units = st->depth_bias * r;
        if (!c->offset_known || c->offset_factor != st->slope_scale_depth_bias ||
            c->offset_units != units) {
            glPolygonOffset(st->slope_scale_depth_bias, units);
            c->offset_factor = st->slope_scale_depth_bias;
            c->offset_units = units;
        }
        c->offset_known = true;
    }
    uint32_t clip = l->pretransformed ? 0 : (st->clip_plane_enable & VGT_SVGA3D_CLIPPLANE_ALL);
    if (!v || c->clip_enabled != clip) {
        for (uint32_t i = 0; i < 6; i++) {
            if (clip & (1u << i)) {
                glEnable(GL_CLIP_DISTANCE0 + i);
            } else {
                glDisable(GL_CLIP_DISTANCE0 + i);
            }
        }
        c->clip_enabled = clip;
    }

    /* depth and stencil */
    bool zt = ds && st->z_enable;
    enable(GL_DEPTH_TEST, zt, &c->depth_test, v);
    if (zt) {
        GLenum f = cmp_func(st->z_func);
        if (!c->depth_known || c->depth_func != f) {
            glDepthFunc(f);
            c->depth_func = f;
        }
        GLboolean m = st->z_write ? GL_TRUE : GL_FALSE;
        if (!c->depth_known || c->depth_mask != m) {
            glDepthMask(m);
            c->depth_mask = m;
        }
        c->depth_known = true;
    }
    bool stt = ds && st->stencil_enable && ds->fmt->stencil;
    enable(GL_STENCIL_TEST, stt, &c->stencil_test, v);
    if (stt) {
        bool cw_front = st->front_winding != VGT_SVGA3D_FRONTWINDING_CCW;
        bool two = st->stencil_two_sided;
        /* [0] GL_FRONT, [1] GL_BACK; Direct3D's "CW" ops belong to clockwise triangles */
        uint32_t fn[2], fa[2], zf[2], pa[2];
        for (int side = 0; side < 2; side++) {
            bool cw = !two || ((side == 0) == cw_front);
            fn[side] = cw ? st->stencil_func : st->ccw_stencil_func;
            fa[side] = cw ? st->stencil_fail : st->ccw_stencil_fail;
            zf[side] = cw ? st->stencil_zfail : st->ccw_stencil_zfail;
            pa[side] = cw ? st->stencil_pass : st->ccw_stencil_pass;
        }
        GLint ref = (GLint)(st->stencil_ref & 0xff);
        GLuint mask = st->stencil_mask & 0xff;
        for (int side = 0; side < 2; side++) {
            GLenum face = side == 0 ? GL_FRONT : GL_BACK;
            GLenum f = cmp_func(fn[side]);
            if (!c->stencil_known || c->stencil_func[side] != f || c->stencil_ref != ref ||
                c->stencil_mask != mask) {
                glStencilFuncSeparate(face, f, ref, mask);
                c->stencil_func[side] = f;
            }
            GLenum o1 = stencil_op(fa[side]), o2 = stencil_op(zf[side]), o3 = stencil_op(pa[side]);
            if (!c->stencil_known || c->stencil_fail[side] != o1 || c->stencil_zfail[side] != o2 ||
                c->stencil_pass[side] != o3) {
                glStencilOpSeparate(face, o1, o2, o3);
                c->stencil_fail[side] = o1;
                c->stencil_zfail[side] = o2;
                c->stencil_pass[side] = o3;
            }
        }
        c->stencil_ref = ref;
        c->stencil_mask = mask;
        GLuint wm = st->stencil_write_mask & 0xff;
        if (!c->stencil_known || c->stencil_write_mask != wm) {
            glStencilMask(wm);
            c->stencil_write_mask = wm;
        }
        c->stencil_known = true;
    }

    /* blending and color writes: one blend state for every target
     * (D3DPMISCCAPS_MRTPOSTPIXELSHADERBLENDING); targets without alpha
     * read a destination alpha of 1 (DESTALPHA becomes ONE), so a target
     * whose format differs in that from the first gets its own factors */
    const gl_surface *first = NULL;
    for (uint32_t i = 0; i < GLB_MAX_TARGETS && !first; i++) {
        first =
            i < st->color_target_count ? (const gl_surface *)st->color_targets[i].surface : NULL;
    }
    bool no_a = first && first->fmt->no_alpha;
    /* (the fragment shader blends sRGB writes without an sRGB view) */
    bool bl = first && st->blend_enable && !shader_blend(b, st);
    enable(GL_BLEND, bl, &c->blend, v);
    uint32_t sa = st->separate_alpha_blend ? st->src_blend_alpha : st->src_blend;
    uint32_t da = st->separate_alpha_blend ? st->dst_blend_alpha : st->dst_blend;
    if (bl) {
        uint32_t ea = st->separate_alpha_blend ? st->blend_eq_alpha : st->blend_eq;
        GLenum s1 = blend_factor(st->src_blend, no_a, true);
        GLenum d1 = blend_factor(st->dst_blend, no_a, true);
        GLenum s2 = blend_factor(sa, no_a, false), d2 = blend_factor(da, no_a, false);
        if (!c->blend_known || c->blend_per_target || c->blend_src != s1 || c->blend_dst != d1 ||
            c->blend_src_a != s2 || c->blend_dst_a != d2) {
            glBlendFuncSeparate(s1, d1, s2, d2);
            c->blend_src = s1;
            c->blend_dst = d1;
            c->blend_src_a = s2;
            c->blend_dst_a = d2;
            c->blend_per_target = false;
        }
        GLenum e1 = blend_eq(st->blend_eq), e2 = blend_eq(ea);
        if (!c->blend_known || c->blend_eq != e1 || c->blend_eq_a != e2) {
            glBlendEquationSeparate(e1, e2);
            c->blend_eq = e1;
            c->blend_eq_a = e2;
        }
        if (!c->blend_known || c->blend_color != st->blend_color) {
            float bc[4];
            gl_d3dcolor(st->blend_color, bc);
            glBlendColor(bc[0], bc[1], bc[2], bc[3]);
            c->blend_color = st->blend_color;
        }
        c->blend_known = true;
    }
    for (uint32_t i = 0; i < GLB_MAX_TARGETS; i++) {
        const gl_surface *rt =
            i < st->color_target_count ? (const gl_surface *)st->color_targets[i].surface : NULL;
        /* a target the program does not write keeps its pixels (GL
         * leaves an unwritten output undefined) */
        uint8_t cm = rt && (writes & (1u << i)) ? target_mask(rt, st->color_write_mask[i]) : 0;
        if (!v || c->color_mask[i] != cm) {
            glColorMaski(i, cm & 1, (cm >> 1) & 1, (cm >> 2) & 1, (cm >> 3) & 1);
            c->color_mask[i] = cm;
        }
        if (bl && cm && rt->fmt->no_alpha != no_a && b->blend_indexed) {
            bool na = rt->fmt->no_alpha;
            glBlendFuncSeparatei(i, blend_factor(st->src_blend, na, true),
                                 blend_factor(st->dst_blend, na, true), blend_factor(sa, na, false),
                                 blend_factor(da, na, false));
            c->blend_per_target = true;
        }
    }
    c->valid = true;
}

/* The vertex shader's element at attribute location i, or NULL. */
static vgt_status vs_element(const vgt_backend_draw_state *st, const gl_shader *vs, uint32_t i,
                             const vgt_backend_element **out, vgt_error *err)
{
    *out = NULL;
    uint32_t usage, index;
    if (!gl_shader_vs_input(vs, i, &usage, &index)) {
        return VGT_OK;
    }
    for (uint32_t k = 0; k < st->element_count; k++) {
        if (st->elements[k].usage == usage && st->elements[k].usage_index == index) {
            *out = &st->elements[k];
            break;
        }
    }
    if (*out && !decl_supported((*out)->type)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: vertex element %u.%u has type %u (UDEC3/DEC3N are not "
                             "supported)",
                             usage, index, (*out)->type);
    }
    return VGT_OK;
}

/* Bytes of per-vertex copies one range's vertex stream frequency may take. */
#define GL_FREQ_MAX_BYTES (64u << 20)

/* The vertex shader's attributes; for range r (not NULL: the vertex stream
 * frequency applies, vgt_backend_element_vertex_step) as a draw from vertex
 * 0.  glVertexAttribDivisor counts instances, not vertices, so a divided
 * element is expanded on the CPU into a per-vertex array in b->freq_buf
 * (the elements the range reads, read back with glGetBufferSubData: the
 * guest's buffer may live on the GPU only), and every other element's
 * pointer moves to the range's first vertex.  Chosen over a fetch by
 * gl_VertexID / k in the shader: the translated shaders stay as they are,
 * every element type keeps GL's own conversion, and the cost falls on the
 * rare draws that divide. */
static vgt_status bind_vs_attribs(gl_backend *b, const vgt_backend_draw_state *st,
                                  const gl_shader *vs, const vgt_backend_draw_range *r,
                                  vgt_error *err)
{
    const vgt_backend_element *els[GLB_ATTRIBS];
    vgt_backend_element moved[GLB_ATTRIBS];
    uint64_t total = 0, src_max = 0;
    vgt_status rc;
    for (uint32_t i = 0; i < GLB_ATTRIBS; i++) {
        if ((rc = vs_element(st, vs, i, &els[i], err))) {
            return rc;
        }
        const vgt_backend_element *e = els[i];
        if (!r || !e) {
            continue;
        }
        moved[i] = *e;
        els[i] = &moved[i];
        uint32_t k = vgt_backend_element_vertex_step(e, r);
        if (k && e->stride) {
            uint64_t j0 = vgt_backend_divided_element(r, k, 0);
            uint64_t j1 = vgt_backend_divided_element(r, k, r->vertex_count - 1u);
            total += (uint64_t)r->vertex_count * decl_bytes(e->type);
            uint64_t src = (j1 - j0) * e->stride + decl_bytes(e->type);
            src_max = src > src_max ? src : src_max;
        } else {
            /* the executor checked offset + (first + count - 1) * stride */
            uint64_t off = (uint64_t)e->offset + (uint64_t)r->index_bias * e->stride;
            if (off > UINT32_MAX) {
                return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                     "gl backend: vertex element %u.%u of a divided draw starts "
                                     "at byte %llu, beyond 32 bits",
                                     e->usage, e->usage_index, (unsigned long long)off);
            }
            moved[i].offset = (uint32_t)off;
        }
    }
    if (total > GL_FREQ_MAX_BYTES) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: the vertex stream frequency of %u vertices needs "
                             "%llu bytes of per-vertex copies (at most %u)",
                             r->vertex_count, (unsigned long long)total, GL_FREQ_MAX_BYTES);
    }
    if (total) {
        uint8_t *out = gl_scratch(b, (size_t)(total + src_max));
        if (!out) {
            return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory for %llu bytes",
                                 (unsigned long long)(total + src_max));
        }
        uint8_t *src = out + total;
        uint64_t at = 0;
        for (uint32_t i = 0; i < GLB_ATTRIBS; i++) {
            const vgt_backend_element *e = els[i];
            uint32_t k = e ? vgt_backend_element_vertex_step(e, r) : 0;
            if (!k || !e->stride) {
                continue;
            }
            const gl_surface *s = (const gl_surface *)e->buffer;
            if (!s || !s->buf) {
                return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                     "gl backend: vertex element (usage %u.%u) reads surface "
                                     "%u, which is not a buffer surface",
                                     e->usage, e->usage_index, s ? s->sid : 0);
            }
            uint32_t size = decl_bytes(e->type);
            uint64_t j0 = vgt_backend_divided_element(r, k, 0);
            uint64_t j1 = vgt_backend_divided_element(r, k, r->vertex_count - 1u);
            uint64_t from = (uint64_t)e->offset + j0 * e->stride;
            glBindBuffer(GL_COPY_READ_BUFFER, s->buf);
            glGetBufferSubData(GL_COPY_READ_BUFFER, (GLintptr)from,
                               (GLsizeiptr)((j1 - j0) * e->stride + size), src);
            for (uint32_t v = 0; v < r->vertex_count; v++) {
                uint64_t j = vgt_backend_divided_element(r, k, v) - j0;
                memcpy(out + at + (uint64_t)v * size, src + j * e->stride, size);
            }
            moved[i].buffer = (vgt_backend_surface *)&b->freq_surf;
            moved[i].buffer_bytes = total;
            moved[i].offset = (uint32_t)at;
            moved[i].stride = size;
            at += (uint64_t)r->vertex_count * size;
        }
        if (!b->freq_buf) {
            glGenBuffers(1, &b->freq_buf);
            b->freq_surf.buf = b->freq_buf;
        }
        glBindBuffer(GL_ARRAY_BUFFER, b->freq_buf);
        glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)total, out, GL_STREAM_DRAW);
    }
    for (uint32_t i = 0; i < GLB_ATTRIBS; i++) {
        if ((rc = set_attrib(b, i, els[i], err))) {
            return rc;
        }
    }
    return VGT_OK;
}

/* ---- DRAW_PRIMITIVES ------------------------------------------------------------------- */

/* Whether a range of type t draws points: a POINTLIST, or triangles under
 * FILLMODE POINT (the fill mode is the triangles' only: lines stay lines,
 * and take no sprite coordinates). */
static bool range_points(const vgt_backend_draw_state *st, uint32_t t)
{
    return t == VGT_SVGA3D_PRIMITIVE_POINTLIST ||
           (st->fill_mode == VGT_SVGA3D_FILLMODE_POINT && t != VGT_SVGA3D_PRIMITIVE_LINELIST &&
            t != VGT_SVGA3D_PRIMITIVE_LINESTRIP);
}

/* Whether a range draws points (their size comes from the vertex shader). */
static bool has_points(const vgt_backend_draw_state *st, const vgt_backend_draw_range *ranges,
                       uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        if (range_points(st, ranges[i].primitive_type)) {
            return true;
        }
    }
    return false;
}

/* Whether every range draws points. */
static bool all_points(const vgt_backend_draw_state *st, const vgt_backend_draw_range *ranges,
                       uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        if (!range_points(st, ranges[i].primitive_type)) {
            return false;
        }
    }
    return true;
}

static GLenum prim_mode(uint32_t t)
{
    switch (t) {
    case VGT_SVGA3D_PRIMITIVE_POINTLIST:
        return GL_POINTS;
    case VGT_SVGA3D_PRIMITIVE_LINELIST:
        return GL_LINES;
    case VGT_SVGA3D_PRIMITIVE_LINESTRIP:
        return GL_LINE_STRIP;
    case VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP:
        return GL_TRIANGLE_STRIP;
    case VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN:
        return GL_TRIANGLE_FAN;
    default:
        return GL_TRIANGLES;
    }
}

/* Sets GL_FRONT's stencil test to Direct3D's CW ops (cw) or its CCW ops,
 * keeping the state cache true.  Two-sided stencil with FRONTWINDING CCW
 * puts the CCW ops on GL_FRONT (apply_state), where GL also draws lines
 * and points, which have no winding and take the CW ops in Direct3D 9 (as
 * soft draws them); issue_ranges switches GL_FRONT for them. */
static void stencil_front(gl_backend *b, const vgt_backend_draw_state *st, bool cw)
{
    gl_state_cache *c = &b->sc;
    GLenum f = cmp_func(cw ? st->stencil_func : st->ccw_stencil_func);
    GLenum o1 = stencil_op(cw ? st->stencil_fail : st->ccw_stencil_fail);
    GLenum o2 = stencil_op(cw ? st->stencil_zfail : st->ccw_stencil_zfail);
    GLenum o3 = stencil_op(cw ? st->stencil_pass : st->ccw_stencil_pass);
    if (c->stencil_func[0] != f) {
        glStencilFuncSeparate(GL_FRONT, f, (GLint)c->stencil_ref, c->stencil_mask);
        c->stencil_func[0] = f;
    }
    if (c->stencil_fail[0] != o1 || c->stencil_zfail[0] != o2 || c->stencil_pass[0] != o3) {
        glStencilOpSeparate(GL_FRONT, o1, o2, o3);
        c->stencil_fail[0] = o1;
        c->stencil_zfail[0] = o2;
        c->stencil_pass[0] = o3;
    }
}

/* Every range, each instance_count times (instancing: GL 3.3 core has
 * glVertexAttribDivisor and the instanced draws; the backend needs 3.3). */
void gl_issue_plain(gl_backend *b, const vgt_backend_draw_state *st,
                    const vgt_backend_draw_range *ranges, uint32_t count,
                    vgt_backend_draw_stats *stats)
{
    /* lines and points under two-sided stencil with FRONTWINDING CCW:
     * stencil_front (triangles in line or point fill keep their facing) */
    bool switch_front = b->sc.stencil_test && st->stencil_two_sided &&
                        st->front_winding == VGT_SVGA3D_FRONTWINDING_CCW;
    uint64_t prims = 0;
    /* at most 2^30 - 1 (the divisor's count field): fits a GLsizei */
    GLsizei instances = st->instance_count > 1 ? (GLsizei)st->instance_count : 1;
    for (uint32_t i = 0; i < count; i++) {
        const vgt_backend_draw_range *r = &ranges[i];
        if (r->vertex_count == 0) {
            continue;
        }
        GLenum mode = prim_mode(r->primitive_type);
        if (switch_front) {
            stencil_front(b, st,
                          r->primitive_type == VGT_SVGA3D_PRIMITIVE_POINTLIST ||
                              r->primitive_type == VGT_SVGA3D_PRIMITIVE_LINELIST ||
                              r->primitive_type == VGT_SVGA3D_PRIMITIVE_LINESTRIP);
        }
        if (r->index_buffer) {
            const gl_surface *ib = (const gl_surface *)r->index_buffer;
            if (b->sc.index_buf != ib->buf) {
                glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ib->buf);
                b->sc.index_buf = ib->buf;
            }
            GLenum it = r->index_width == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT;
            const void *io = (const void *)(uintptr_t)r->index_offset;
            if (instances > 1) {
                glDrawElementsInstancedBaseVertex(mode, (GLsizei)r->vertex_count, it, io, instances,
                                                  r->index_bias);
            } else {
                glDrawElementsBaseVertex(mode, (GLsizei)r->vertex_count, it, io, r->index_bias);
            }
        } else if (instances > 1) {
            glDrawArraysInstanced(mode, r->index_bias, (GLsizei)r->vertex_count, instances);
        } else {
            glDrawArrays(mode, r->index_bias, (GLsizei)r->vertex_count);
        }
        prims += (uint64_t)r->primitive_count * (uint64_t)instances;
        b->n.draw_calls++;
    }
    if (stats) {
        stats->primitives += prims;
    }
}

void gl_issue_probe(gl_backend *b, const vgt_backend_draw_state *st,
                    const vgt_backend_draw_range *r, GLuint fan_buf, uint32_t fan_count)
{
    if (r->vertex_count == 0) {
        return;
    }
    if (b->sc.stencil_test && st->stencil_two_sided &&
        st->front_winding == VGT_SVGA3D_FRONTWINDING_CCW) {
        /* as gl_issue_plain: lines and points take the CW ops */
        stencil_front(b, st,
                      r->primitive_type == VGT_SVGA3D_PRIMITIVE_POINTLIST ||
                          r->primitive_type == VGT_SVGA3D_PRIMITIVE_LINELIST ||
                          r->primitive_type == VGT_SVGA3D_PRIMITIVE_LINESTRIP);
    }
    GLenum mode = prim_mode(r->primitive_type);
    const gl_surface *ib = (const gl_surface *)r->index_buffer;
    GLuint buf = fan_buf ? fan_buf : ib ? ib->buf : 0;
    if (buf && b->sc.index_buf != buf) {
        glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, buf);
        b->sc.index_buf = buf;
    }
    GLenum it = fan_buf || r->index_width != 2 ? GL_UNSIGNED_INT : GL_UNSIGNED_SHORT;
    GLsizei n = fan_buf ? (GLsizei)fan_count : (GLsizei)r->vertex_count;
    const void *io = (const void *)(uintptr_t)(fan_buf ? 0 : r->index_offset);
    /* not instanced: instance data is read as instance 0's, which
     * gl_probe_instance_attribs made the probed instance's */
    if (!buf) {
        glDrawArrays(mode, r->index_bias, n);
    } else {
        glDrawElementsBaseVertex(mode, n, it, io, r->index_bias);
    }
    b->n.draw_calls++;
}

/* The armed probe's side of issue_ranges: the draw's program keys copied
 * (a variant's lookup may empty a program cache) for gl_probe_use_program. */
static __attribute__((noinline, cold)) void
probe_ranges(gl_backend *b, const vgt_backend_draw_state *st, const vgt_backend_draw_range *ranges,
             uint32_t count, vgt_backend_draw_stats *stats, const gl_ff_key *ff,
             const gl_sh_key *sh, const gl_ff_uniforms *u, bool points)
{
    gl_probe_prog *pp = calloc(1, sizeof(*pp));
    if (!pp) {
        gl_issue_plain(b, st, ranges, count, stats); /* out of memory: not recorded */
        return;
    }
    pp->shaders = sh != NULL;
    if (sh) {
        pp->sh = *sh;
    } else {
        pp->ff = *ff;
    }
    pp->u = u;
    pp->points = points;
    gl_probe_draw(b, st, ranges, count, stats, pp);
    free(pp);
}

/* Issues the ranges, through the fragment probe when it is armed (one
 * predictable branch per draw when it is not).  ff or sh: the key of the
 * program bound (the probe draws its variants); u: a shader draw's
 * fixed-function uniforms (NULL without a fixed-function side). */
static void issue_ranges(gl_backend *b, const vgt_backend_draw_state *st,
                         const vgt_backend_draw_range *ranges, uint32_t count,
                         vgt_backend_draw_stats *stats, const gl_ff_key *ff, const gl_sh_key *sh,
                         const gl_ff_uniforms *u, bool points)
{
    if (__builtin_expect(b->probe.on, 0)) {
        probe_ranges(b, st, ranges, count, stats, ff, sh, u, points);
    } else {
        gl_issue_plain(b, st, ranges, count, stats);
    }
}

/* The primitive class a geometry shader takes for primitive type t
 * (gl_wrap_key.prim): 1 triangles, 2 lines, 0 points (not wrapped: no
 * geometry shader). */
static uint8_t wrap_class(uint32_t t)
{
    return t == VGT_SVGA3D_PRIMITIVE_POINTLIST                                         ? 0
           : t == VGT_SVGA3D_PRIMITIVE_LINELIST || t == VGT_SVGA3D_PRIMITIVE_LINESTRIP ? 2
                                                                                       : 1;
}

/* RS WRAP0..15 (cylindrical texture wrapping, gl_wrap.c): bits above
 * D3DWRAPCOORD_3 are refused with soft's reason; *any says whether a bit
 * is set. */
static vgt_status wrap_check(const vgt_backend_draw_state *st, bool *any, vgt_error *err)
{
    uint32_t bits = 0;
    for (uint32_t i = 0; i < VGT_SVGA3D_MAX_TEXTURE_STAGES; i++) {
        if (st->wrap[i] & ~VGT_SVGA3D_WRAPCOORD_ALL) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "gl backend: context %u: RS WRAP%u = 0x%x: only bits 0..3 (u, "
                                 "v, w, q) are defined",
                                 st->cid, i, st->wrap[i]);
        }
        bits |= st->wrap[i];
    }
    *any = bits != 0;
    return VGT_OK;
}

/* Every indexed range's index buffer is a buffer whose indices stay inside
 * the vertex data l reads (check_indices). */
static vgt_status check_ranges(const vgt_backend_draw_state *st, const gl_layout *l,
                               const vgt_backend_draw_range *ranges, uint32_t count, vgt_error *err)
{
    for (uint32_t i = 0; i < count; i++) {
        if (ranges[i].index_buffer) {
            const gl_surface *ib = (const gl_surface *)ranges[i].index_buffer;
            if (!ib->buf) {
                return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                     "gl backend: index buffer surface %u is not a buffer",
                                     ib->sid);
            }
            vgt_status rc = check_indices(st, l, &ranges[i], err);
            if (rc) {
                return rc;
            }
        }
    }
    return VGT_OK;
}

/* The wrap bits of each texture coordinate varying (gl_wrap_key): v_tc<n>
 * and vy_5_<n> carry set n, v_st<i> stage i's set (ff: the fixed-function
 * side's key, or NULL). */
static void wrap_fill(const vgt_backend_draw_state *st, uint8_t prim, const gl_ff_key *ff,
                      gl_wrap_key *w)
{
    memset(w, 0, sizeof(*w));
    if (!prim) {
        return;
    }
    w->prim = prim;
    for (uint32_t n = 0; n < 16; n++) {
        w->vy[n] = (uint8_t)st->wrap[n];
        if (n < 8) {
            w->tc[n] = (uint8_t)st->wrap[n];
        }
    }
    for (uint32_t i = 0; ff && i < GLB_MAX_STAGES; i++) {
        if (ff->stages[i].own) {
            w->st[i] = (uint8_t)st->wrap[ff->stages[i].tc & 7u];
        }
    }
}

/* A draw with a vertex and a pixel shader (gl_shader.c translated them). */
/* The bound shader program's uniforms for the draw (u: its fixed-function
 * side's, or NULL), the guard band of points, the textures its key reads
 * (inlined: the draw's path stays as it was before the probe shared it). */
static inline __attribute__((always_inline)) void sh_upload(gl_backend *b,
                                                            const vgt_backend_draw_state *st,
                                                            gl_sprog *prog, const gl_sh_key *key,
                                                            const gl_ff_uniforms *u, bool points)
{
    gl_shader_upload(prog, st, u, b->info.viewport_array);
    if (points) {
        int32_t g[2];
        float scale[2];
        points_guard(b, st, g, scale);
        gl_sprog_guard(prog, scale);
    }
    for (uint32_t s = 0; s < GLB_MAX_STAGES; s++) {
        if (key->ps ? key->tex_kind[s] != 0 : key->ff.stages[s].tex_kind != 0) {
            float texl[3];
            bind_stage(b, s, &st->stages[s], texl);
            if (key->ps) {
                gl_sprog_texl(prog, s, texl);
            }
        }
    }
}

static vgt_status draw_shaders(gl_backend *b, const vgt_backend_draw_state *st,
                               const vgt_backend_view *cv, const vgt_backend_view *dv,
                               const vgt_backend_draw_range *ranges, uint32_t count, uint8_t wprim,
                               vgt_backend_draw_stats *stats, vgt_error *err)
{
    b->ff_reuse.valid = false; /* the attributes below are the shaders' */
    const gl_shader *vs = (const gl_shader *)st->vertex_shader;
    const gl_shader *ps = (const gl_shader *)st->pixel_shader;
    bool points = has_points(st, ranges, count);
    if (!vs && !ps) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: shader ids %u/%u are bound without translated shaders",
                             st->vertex_shader_id, st->pixel_shader_id);
    }
    for (int i = 0; i < 2; i++) {
        const gl_shader *g = i ? ps : vs;
        if (g && gl_shader_unsupported(g)) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "gl backend: %s shader %u uses %s, which the GLSL translator "
                                 "does not run",
                                 i ? "pixel" : "vertex",
                                 i ? st->pixel_shader_id : st->vertex_shader_id,
                                 gl_shader_unsupported(g));
        }
    }
    gl_layout l;
    vgt_status rc;
    if (!vs) {
        /* fixed-function vertex side: it needs a position, as fixed function does */
        if ((rc = find_layout(st, &l, err))) {
            return rc;
        }
    } else {
        (void)find_layout(st, &l, NULL); /* for the index check only */
        l.pretransformed = false;        /* POSITIONT is an ordinary input to a vertex shader */
    }
    if ((rc = check_ranges(st, &l, ranges, count, err))) {
        return rc;
    }
    gl_sh_key key;
    memset(&key, 0, sizeof(key));
    key.vs = vs;
    key.ps = ps;
    key.zremap = !b->info.clip_control;
    const gl_surface *rt = cv ? (const gl_surface *)cv->surface : NULL;
    key.out_mode = rt ? (uint8_t)rt->fmt->out : 0;
    key.srgb_out = vgt_backend_gamma_kind(st->output_gamma) == 1 && !srgb_view_writes(b, st);
    if (ps) {
        blend_key_fill(b, st, &key.blend);
    }
    /* COLOR1..3 receive oC1..3 of a ps_2_0+ that writes them; fixed
     * function and ps_1_x write COLOR0 alone */
    uint32_t writes = ps ? gl_shader_color_outputs(ps) | 1u : 1u;
    for (uint32_t i = 1; i < color_slots(st); i++) {
        const gl_surface *t = (const gl_surface *)st->color_targets[i].surface;
        if (t && (writes & (1u << i))) {
            key.mrt_out[i - 1] = (uint8_t)(1u + t->fmt->out);
        } else {
            writes &= ~(1u << i);
        }
    }
    if (st->alpha_test && st->alpha_func >= VGT_SVGA3D_CMP_NEVER &&
        st->alpha_func < VGT_SVGA3D_CMP_ALWAYS) {
        key.alpha_func = (uint8_t)st->alpha_func;
    }
    if (!vs || !ps) {
        if ((rc = build_key(b, st, &l, has_points(st, ranges, count), &key.ff, err))) {
            return rc;
        }
    }
    key.flat = st->shade_mode == VGT_SVGA3D_SHADEMODE_FLAT;
    key.sprite = points && st->point_sprite && ps;
    key.guard = points && vs; /* without one, key.ff.points has the guard band */
    if (ps && gl_shader_version(ps) < VGT_SHADER_V14) {
        for (uint32_t n = 0; n < 8; n++) {
            int proj = vgt_svga3d_ps1x_tex_projection(st->stages[n].transform_flags);
            if (proj > 0) {
                key.proj[n] = (uint8_t)proj; /* the coordinate tex divides by */
            }
        }
    }
    if (vs) {
        key.clip = (uint8_t)(st->clip_plane_enable & VGT_SVGA3D_CLIPPLANE_ALL);
    }
    bool pixel_fog = st->fog_enable && st->fog_type == VGT_SVGA3D_FOGTYPE_PIXEL &&
                     st->fog_function != VGT_SVGA3D_FOGFUNC_PER_VERTEX;
    if (!ps) {
        /* behind a vertex shader: FOG is the factor, or the distance of pixel fog */
        key.ff.fog = key.ff.fog ? (pixel_fog ? 2 : 1) : 0;
    } else {
        if (st->fog_enable && gl_shader_version(ps) < VGT_SHADER_V30 &&
            st->fog_function <= VGT_SVGA3D_FOGFUNC_PER_VERTEX) {
            /* ps < 3.0: fog on its results from FOG (the FF vertex side's
             * fog value in front, else the vertex shader's oFog, 1 unwritten) */
            key.fog = vs ? (pixel_fog ? 2 : 1) : (key.ff.fog == 2 ? 2 : 1);
            key.fog_func = (uint8_t)st->fog_function;
        }
        uint32_t samplers = gl_shader_samplers(ps);
        for (uint32_t s = 0; s < 16; s++) {
            if (!(samplers & (1u << s)) || s >= GLB_MAX_STAGES) {
                continue;
            }
            const gl_surface *t = (const gl_surface *)st->stages[s].texture.surface;
            if (t && (rc = check_texture_gamma(b, st, t, "sampler", s, err))) {
                return rc;
            }
            if (t && (rc = refuse_raw_texture(t, "sampler", s, err))) {
                return rc;
            }
            if (t && t->tex && !t->fmt->buffer && !t->raw) {
                key.tex_kind[s] =
                    t->target == GL_TEXTURE_CUBE_MAP ? 2 : (t->target == GL_TEXTURE_3D ? 3 : 1);
            }
        }
        if (!vs) {
            /* in front of a pixel shader: TEXCOORDn is stage n's coordinate set; the
             * fragment side of the key is not used */
            for (uint32_t n = 0; n < 8; n++) {
                uint8_t set = (uint8_t)(st->stages[n].texcoord_index & 7u);
                key.ff_tcset[n] = set;
                key.ff.tc_mask |= (uint8_t)(1u << set);
                if (l.tc[set]) {
                    key.ff.tc_have |= (uint8_t)(1u << set);
                }
            }
            for (uint32_t n = 0; n < GLB_MAX_STAGES; n++) {
                const vgt_backend_stage *g = &st->stages[n];
                if ((samplers & (1u << n)) && g->texture.surface &&
                    !vgt_backend_texcoord_is_plain(g)) {
                    /* the sets pass as they are (the soft renderer refuses the same) */
                    return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                         "gl backend: sampler %u: TEXCOORDINDEX 0x%x, "
                                         "TEXCOORDGEN %u, TEXTURETRANSFORMFLAGS 0x%x: texture "
                                         "coordinate generation and transforms in front of a "
                                         "pixel shader are not supported",
                                         n, g->texcoord_index, g->texcoord_gen, g->transform_flags);
                }
            }
            memset(&key.ff.stages, 0, sizeof(key.ff.stages));
            key.ff.tc_normal = key.ff.tc_matrix = 0;
            key.ff.nstages = 0;
            key.ff.alpha_func = 0;
        }
    }
    /* RS WRAPn: the fixed-function side's own stage coordinates (v_st<i>)
     * exist only without a vertex shader and pixel shader both */
    wrap_fill(st, wprim, vs ? NULL : &key.ff, &key.wrap);
    if (!vs && ps && wprim) {
        /* in front of a pixel shader TEXCOORDn reads set ff_tcset[n] wrapped
         * by WRAPn (soft wraps each pixel shader input): the geometry shader
         * gives each its own copy (v_pt<n>), so that two of one set may wrap
         * differently; v_tc<set> passes unwrapped */
        memset(key.wrap.tc, 0, sizeof(key.wrap.tc));
        uint8_t any = 0;
        for (uint32_t n = 0; n < 8; n++) {
            any |= (uint8_t)st->wrap[n];
        }
        for (uint32_t n = 0; n < 8 && any; n++) {
            key.wrap.pt_set[n] = (uint8_t)(1u + key.ff_tcset[n]);
            key.wrap.pt[n] = (uint8_t)st->wrap[n];
        }
    }
    gl_sprog *prog = gl_shader_program(b, &key, err);
    if (!prog) {
        return err ? err->code : VGT_E_INVALID;
    }
    if (b->sc.program != gl_sprog_name(prog)) {
        glUseProgram(gl_sprog_name(prog));
        b->sc.program = gl_sprog_name(prog);
    }
    if ((rc = gl_bind_targets(b, st->color_targets, color_slots(st), dv, srgb_view_writes(b, st),
                              err))) {
        return rc;
    }
    apply_state(b, st, &l, writes, points);
    gl_ff_uniforms u;
    if (!vs || !ps) {
        fill_uniforms(b, st, &key.ff, &u);
    }
    const gl_ff_uniforms *pu = (!vs || !ps) ? &u : NULL;
    sh_upload(b, st, prog, &key, pu, points);
    if (!vs) {
        if ((rc = set_ff_attribs(b, &l, &key.ff, err))) {
            return rc;
        }
        issue_ranges(b, st, ranges, count, stats, NULL, &key, pu, points);
        return VGT_OK;
    }
    bool divided = false;
    for (uint32_t i = 0; i < count; i++) {
        divided |= ranges[i].stream_frequency;
    }
    if (!divided) {
        if ((rc = bind_vs_attribs(b, st, vs, NULL, err))) {
            return rc;
        }
        issue_ranges(b, st, ranges, count, stats, NULL, &key, pu, points);
        return VGT_OK;
    }
    /* A range with the vertex stream frequency is drawn on its own, from
     * vertex 0 of the attributes bind_vs_attribs moved to its first vertex;
     * the others with the draw's attributes.  The executor refused
     * instancing in such a draw: one instance. */
    for (uint32_t i = 0; i < count; i++) {
        vgt_backend_draw_range r = ranges[i];
        if (r.vertex_count == 0) {
            continue;
        }
        if ((rc = bind_vs_attribs(b, st, vs, r.stream_frequency ? &r : NULL, err))) {
            vgt_error_prefix(err, "DRAW_PRIMITIVES range %u", i);
            return rc;
        }
        if (r.stream_frequency) {
            r.index_bias = 0;
        }
        issue_ranges(b, st, &r, 1, stats, NULL, &key, pu, points);
    }
    return VGT_OK;
}

/* Every bound color target must be a renderable texture; *any says whether
 * one is bound.  Blending targets with and without alpha together needs a
 * blend function per draw buffer (GL 4.0). */
static vgt_status check_color_targets(const gl_backend *b, const vgt_backend_draw_state *st,
                                      bool *any, vgt_error *err)
{
    int no_a = -1;
    for (uint32_t i = 0; i < st->color_target_count && i < GLB_MAX_TARGETS; i++) {
        const gl_surface *rt = (const gl_surface *)st->color_targets[i].surface;
        if (!rt) {
            continue;
        }
        if (!rt->fmt->renderable || !rt->tex) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "gl backend: render target format %s (surface %u) is not "
                                 "renderable",
                                 rt->fmt->name, rt->sid);
        }
        if (st->blend_enable && !b->blend_indexed && no_a >= 0 && no_a != rt->fmt->no_alpha) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "gl backend: blending color targets with and without alpha "
                                 "(surface %u is %s) needs GL 4.0 or ARB_draw_buffers_blend",
                                 rt->sid, rt->fmt->name);
        }
        no_a = rt->fmt->no_alpha;
        *any = true;
    }
    return VGT_OK;
}

/* OUTPUTGAMMA as the soft backend reads it (vgt_backend_gamma_kind): 1 is
 * linear, 2.2 sRGB-encodes the written colour (GL_FRAMEBUFFER_SRGB on the
 * targets' sRGB views, else the generated fragment shader, gl_emit_output),
 * any other value is refused with soft's message.  The soft backend blends
 * in linear light (the target decoded, blended, encoded again): GL does on
 * the sRGB views, the fragment shader through framebuffer fetch on float
 * targets and on one 16-bit target (srgb_shader_blend); elsewhere sRGB writes with blending are
 * refused rather than blended in sRGB. */
static vgt_status check_output_gamma(const gl_backend *b, const vgt_backend_draw_state *st,
                                     vgt_error *err)
{
    int gk = vgt_backend_gamma_kind(st->output_gamma);
    if (gk < 0) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: context %u: OUTPUTGAMMA %g is not supported (1: linear, "
                             "2.2: sRGB)",
                             st->cid, (double)st->output_gamma);
    }
    if (gk == 1 && st->blend_enable && !srgb_view_writes(b, st) && !srgb_shader_blend(b, st)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: context %u: OUTPUTGAMMA 2.2 (sRGB write) with blending "
                             "is not supported on these color targets (the soft backend blends "
                             "in linear light; gl does on A8R8G8B8 and X8R8G8B8 targets, and "
                             "with GL_EXT_shader_framebuffer_fetch on ARGB_S10E5 and ARGB_S23E8 "
                             "ones and on a single R5G6B5, X1R5G5B5, A1R5G5B5 or A4R4G4B4 one)",
                             st->cid);
    }
    return VGT_OK;
}

static vgt_status draw_part(gl_backend *b, const vgt_backend_draw_state *st,
                            const vgt_backend_view *cv, const vgt_backend_view *dv,
                            const vgt_backend_draw_range *ranges, uint32_t count, uint8_t wprim,
                            vgt_backend_draw_stats *stats, vgt_error *err);

static vgt_status draw_inner(gl_backend *b, const vgt_backend_draw_state *st,
                             const vgt_backend_draw_range *ranges, uint32_t count,
                             vgt_backend_draw_stats *stats, vgt_error *err)
{
    const vgt_backend_view *cv = st->color_target_count ? &st->color_targets[0] : NULL;
    if (cv && !cv->surface) {
        cv = NULL;
    }
    const vgt_backend_view *dv = st->depth_target.surface     ? &st->depth_target
                                 : st->stencil_target.surface ? &st->stencil_target
                                                              : NULL;
    bool any_color = false;
    vgt_status rc;
    if ((rc = check_color_targets(b, st, &any_color, err)) ||
        (rc = check_output_gamma(b, st, err))) {
        return rc;
    }
    if (!any_color && !dv) {
        return VGT_OK; /* nothing can be drawn */
    }
    bool wrap = false;
    if ((rc = wrap_check(st, &wrap, err))) {
        return rc;
    }
    /* Points are drawn apart from the lines and triangles of their draw:
     * their program scales positions into the guard band (points_guard),
     * which must not touch the others' rounding, and under
     * POINTSPRITEENABLE it takes its texture coordinates from
     * gl_PointCoord, undefined off points, where soft gives sprite
     * coordinates to points alone */
    bool mixed = has_points(st, ranges, count) && !all_points(st, ranges, count);
    if (!wrap && !mixed) {
        return draw_part(b, st, cv, dv, ranges, count, 0, stats, err);
    }
    /* RS WRAPn: one geometry shader takes one primitive class, so each run
     * of ranges of one class is drawn with the program variant of its class
     * (gl_wrap_key.prim), in the draw's order (depth and blending see the
     * ranges in the order soft draws them); points alike, apart from the
     * rest (the guard band, sprites).  The index checks of every range
     * come first: a refused range leaves nothing drawn, as an undivided
     * draw would. */
    if (count > 1) {
        gl_layout l;
        if (st->vertex_shader) {
            (void)find_layout(st, &l, NULL); /* for the index check only, as draw_shaders */
        } else if ((rc = find_layout(st, &l, err))) {
            return rc;
        }
        if ((rc = check_ranges(st, &l, ranges, count, err))) {
            return rc;
        }
    }
    for (uint32_t i = 0, j; i < count; i = j) {
        uint8_t c = wrap_class(ranges[i].primitive_type);
        for (j = i + 1; j < count && wrap_class(ranges[j].primitive_type) == c; j++) {
        }
        if ((rc = draw_part(b, st, cv, dv, ranges + i, j - i, wrap ? c : 0, stats, err))) {
            return rc;
        }
    }
    return VGT_OK;
}

static inline __attribute__((always_inline)) void
ff_upload(gl_backend *b, const vgt_backend_draw_state *st, gl_program *prog, bool vs_only);

/* Draws ranges whose primitives a geometry shader of class wprim
 * (gl_wrap_key.prim, 0: none) takes. */
static vgt_status draw_part(gl_backend *b, const vgt_backend_draw_state *st,
                            const vgt_backend_view *cv, const vgt_backend_view *dv,
                            const vgt_backend_draw_range *ranges, uint32_t count, uint8_t wprim,
                            vgt_backend_draw_stats *stats, vgt_error *err)
{
    vgt_status rc;
    if (st->vertex_shader_id != VGT_SVGA3D_INVALID_ID ||
        st->pixel_shader_id != VGT_SVGA3D_INVALID_ID) {
        return draw_shaders(b, st, cv, dv, ranges, count, wprim, stats, err);
    }
    /* The layout, key, program and vertex attributes of the last draw
     * serve again when only the matrices changed (see gl_ff_reuse). */
    gl_ff_reuse *r = &b->ff_reuse;
    bool points = has_points(st, ranges, count);
    bool reuse = r->valid && st->serial != 0 && st->serial == r->serial && points == r->points &&
                 wprim == r->wrap_prim && !fog_device_z_changed(&r->prog->key, st);
    gl_layout l_new;
    gl_ff_key key_new;
    const gl_layout *l = &r->l;
    gl_program *prog = r->prog;
    const gl_ff_key *key = reuse ? &prog->key : &key_new;
    if (reuse) {
        b->n.ff_state_reuses++;
    } else {
        r->valid = false;
        if ((rc = find_layout(st, &l_new, err)) ||
            (rc = build_key(b, st, &l_new, points, &key_new, err))) {
            return rc;
        }
        wrap_fill(st, wprim, &key_new, &key_new.wrap);
        l = &l_new;
    }
    if ((rc = check_ranges(st, l, ranges, count, err))) {
        return rc;
    }
    if (!reuse) {
        prog = gl_ff_program(b, key, err);
        if (!prog) {
            /* err says why: out of memory (VGT_E_NOMEM) or a program GL refused */
            return err && err->code ? err->code : VGT_E_INVALID;
        }
    }
    if (b->sc.program != prog->prog) {
        glUseProgram(prog->prog);
        b->sc.program = prog->prog;
    }
    /* Nothing used GL since the last draw, whose state this is but the
     * matrices: its targets, GL state and textures are still in place. */
    bool untouched = reuse && r->gl_seq + 1u == b->gl_seq;
    if (!untouched) {
        if ((rc = gl_bind_targets(b, st->color_targets, color_slots(st), dv,
                                  srgb_view_writes(b, st), err))) {
            return rc;
        }
        apply_state(b, st, l, 1u, points); /* fixed function writes COLOR0 only */
    }
    /* b->ff_u holds the uniforms of the reused state but its matrices */
    if (reuse) {
        fill_transforms(b, st, key, &b->ff_u);
    } else {
        fill_uniforms(b, st, key, &b->ff_u);
    }
    ff_upload(b, st, prog, reuse);
    for (uint32_t s = 0; s < key->nstages && !untouched; s++) {
        if (key->stages[s].tex_kind) {
            float texl[3]; /* fixed function has no texldl */
            bind_stage(b, s, &st->stages[s], texl);
        }
    }
    if (!reuse) {
        if ((rc = set_ff_attribs(b, l, key, err))) {
            return rc;
        }
        /* remembered for the next draw of the same serial (the layout's
         * pointers are into this state's elements) */
        r->serial = st->serial;
        r->points = points;
        r->wrap_prim = wprim;
        r->l = l_new;
        r->prog = prog;
        r->valid = st->serial != 0;
    }
    r->gl_seq = b->gl_seq;
    issue_ranges(b, st, ranges, count, stats, key, NULL, NULL, points);
    return VGT_OK;
}

/* The bound fixed-function program's uniforms (b->ff_u; vs_only: only
 * its vertex side changed), guard band, texture and blend matrices
 * (inlined, as sh_upload). */
static inline __attribute__((always_inline)) void
ff_upload(gl_backend *b, const vgt_backend_draw_state *st, gl_program *prog, bool vs_only)
{
    upload_uniforms(prog, &b->ff_u, vs_only);
    if (prog->loc_guard >= 0) {
        int32_t g[2];
        float scale[2];
        points_guard(b, st, g, scale);
        glUniform2f(prog->loc_guard, scale[0], scale[1]);
    }
    if (prog->loc_texm >= 0) {
        /* D3D's row-vector matrices as GLSL column-major ones: u_texm[n] * t = t * M */
        float m[GLB_MAX_STAGES][16];
        for (uint32_t s = 0; s < GLB_MAX_STAGES; s++) {
            memcpy(m[s], st->stages[s].texture_transform.m, sizeof(m[s]));
        }
        glUniformMatrix4fv(prog->loc_texm, GLB_MAX_STAGES, GL_FALSE, &m[0][0]);
    }
    if (prog->loc_bumpm >= 0 || prog->loc_bumpl >= 0) {
        gl_upload_bump(prog->loc_bumpm, prog->loc_bumpl, st);
    }
    if (prog->loc_blend >= 0) {
        /* every draw: reuse (same serial) covers matrix changes */
        float m[GL_BLEND_MATRICES][16];
        gl_ff_blend_matrices(st, m);
        glUniformMatrix4fv(prog->loc_blend, GL_BLEND_MATRICES, GL_FALSE, &m[0][0]);
    }
}

bool gl_probe_use_program(gl_backend *b, const vgt_backend_draw_state *st, gl_probe_prog *pp,
                          unsigned variant)
{
    vgt_error err = {0};
    GLuint name;
    if (pp->shaders) {
        gl_sh_key k = pp->sh;
        if (variant & GL_PROBE_NO_ALPHA) {
            k.alpha_func = 0;
            k.ff.alpha_func = 0;
        }
        if (variant & GL_PROBE_NO_CLIP) {
            k.clip = 0;
            k.ff.clip_planes = 0;
        }
        k.no_kill = (variant & GL_PROBE_NO_KILL) != 0;
        gl_sprog *prog = gl_shader_program(b, &k, &err);
        if (!prog) {
            return false;
        }
        name = gl_sprog_name(prog);
        glUseProgram(name);
        sh_upload(b, st, prog, &k, pp->u, pp->points);
    } else {
        gl_ff_key k = pp->ff;
        if (variant & GL_PROBE_NO_ALPHA) {
            k.alpha_func = 0;
        }
        if (variant & GL_PROBE_NO_CLIP) {
            k.clip_planes = 0;
        }
        gl_program *prog = gl_ff_program(b, &k, &err);
        if (!prog) {
            return false;
        }
        name = prog->prog;
        glUseProgram(name);
        ff_upload(b, st, prog, false);
    }
    b->sc.program = name;
    return true;
}

vgt_status gl_draw(void *self, const vgt_backend_draw_state *st,
                   const vgt_backend_draw_range *ranges, uint32_t count,
                   vgt_backend_draw_stats *stats, vgt_error *err)
{
    gl_backend *b = B(self);
    b->n.draws++;
    if (gl_op_begin(b, "DRAW_PRIMITIVES", err)) {
        return err ? err->code : VGT_E_STATE;
    }
    b->probe.ranges = ranges;
    b->probe.nranges = count;
    vgt_status rc = draw_inner(b, st, ranges, count, stats, err);
    if (rc) {
        /* a rejected draw may have changed some state: forget the shadow */
        gl_state_invalidate(b);
    }
    rc = gl_op_end(b, rc, err, "context %u, %u ranges", st->cid, count);
    if (rc) {
        /* rejected, or GL refused something: derive it all again (the
         * vertex attributes may be half set) */
        b->ff_reuse.valid = false;
    }
    return rc;
}

/* ---- queries and timing ------------------------------------------------------------------ */

vgt_status gl_query_create(void *self, uint32_t type, vgt_backend_query **out, vgt_error *err)
{
    gl_backend *b = B(self);
    if (type != VGT_SVGA3D_QUERYTYPE_OCCLUSION) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "gl backend: query type %u", type);
    }
    if (gl_op_begin(b, "query create", err)) {
        return err ? err->code : VGT_E_STATE;
    }
    gl_query *q = calloc(1, sizeof(*q));
    if (!q) {
        return gl_op_end(b,
                         vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory for a query"),
                         err, "occlusion query");
    }
    glGenQueries(1, &q->q);
    *out = (vgt_backend_query *)q;
    return gl_op_end(b, VGT_OK, err, "occlusion query");
}

void gl_query_destroy(void *self, vgt_backend_query *hq)
{
    gl_backend *b = B(self);
    gl_query *q = (gl_query *)hq;
    if (!q) {
        return;
    }
    if (!gl_make_current(b)) {
        free(q);
        return;
    }
    if (q->active) {
        glEndQuery(GL_SAMPLES_PASSED);
        b->active_query = NULL;
    }
    glDeleteQueries(1, &q->q);
    free(q);
}

vgt_status gl_query_begin(void *self, vgt_backend_query *hq, vgt_error *err)
{
    gl_backend *b = B(self);
    gl_query *q = (gl_query *)hq;
    if (b->active_query && b->active_query != q) {
        return vgt_error_set(err, VGT_E_STATE,
                             "gl backend: BEGIN_QUERY while another occlusion query is active "
                             "(GL has one at a time)");
    }
    if (gl_op_begin(b, "BEGIN_QUERY", err)) {
        return err ? err->code : VGT_E_STATE;
    }
    if (q->active) {
        glEndQuery(GL_SAMPLES_PASSED);
    }
    glBeginQuery(GL_SAMPLES_PASSED, q->q);
    q->active = true;
    q->carry = 0;
    b->active_query = q;
    return gl_op_end(b, VGT_OK, err, "occlusion query");
}

vgt_status gl_query_end(void *self, vgt_backend_query *hq, uint64_t *result, vgt_error *err)
{
    gl_backend *b = B(self);
    gl_query *q = (gl_query *)hq;
    *result = 0;
    if (!q->active) {
        return vgt_error_set(err, VGT_E_STATE, "gl backend: END_QUERY of a query not begun");
    }
    if (gl_op_begin(b, "END_QUERY", err)) {
        return err ? err->code : VGT_E_STATE;
    }
    glEndQuery(GL_SAMPLES_PASSED);
    q->active = false;
    b->active_query = NULL;
    GLuint64 v = 0;
    glGetQueryObjectui64v(q->q, GL_QUERY_RESULT, &v);
    *result = v + q->carry;
    q->carry = 0;
    return gl_op_end(b, VGT_OK, err, "occlusion query");
}

bool gl_gpu_time(void *self, uint64_t *ns)
{
    gl_backend *b = B(self);
    if (!b->info.timer_query || !gl_make_current(b)) {
        return false;
    }
    bool have = false;
    if (b->timer_active) {
        glEndQuery(GL_TIME_ELAPSED);
        GLuint64 v = 0;
        glGetQueryObjectui64v(b->timer_query, GL_QUERY_RESULT, &v);
        *ns = v;
        have = true;
    }
    glBeginQuery(GL_TIME_ELAPSED, b->timer_query);
    b->timer_active = true;
    while (glGetError() != GL_NO_ERROR) {
    }
    return have;
}
