/* soft_shader_pipe.c - shaders in the soft pipeline: the per-draw setup
 * (constants, pixel shader samplers, the varying layout that links vertex
 * outputs to pixel inputs by semantic), vertex shading 4 vertices at a time,
 * and pixel shading in 2x2 quads.
 *
 * Linkage.  A semantic is (usage, index).  Vertex shaders before 3.0 write
 * oD0/oD1 (COLOR0/1, clamped to [0, 1]), oT0-7 (TEXCOORD0-7), oFog (FOG,
 * clamped), oPts (PSIZE); vs_3_0 names its o# registers by dcl.  Pixel
 * shaders before 3.0 read v0/v1 (COLOR0/1) and t0-7 (TEXCOORD0-7); ps_3_0
 * names its v# by dcl.  The fixed-function vertex pipeline in front of a
 * pixel shader provides COLOR0 (diffuse), COLOR1 (specular), FOG and
 * TEXCOORD<n> = the coordinate set of texture stage n.  The fixed-function
 * pixel pipeline behind a vertex shader reads COLOR0, COLOR1, FOG and, per
 * stage, TEXCOORD<TEXCOORDINDEX>.  A semantic nobody writes reads (0, 0, 0, 0).
 *
 * Pixel quads: the lanes of one interpreter run are the pixels (x, y),
 * (x+1, y), (x, y+1), (x+1, y+1) of an even-aligned quad; pixels outside the
 * primitive (or outside this band) run as helpers (for dsx/dsy and texture
 * LODs) and are never written.  Every attribute comes from the plane
 * equations, so a helper computes exactly what the pixel's owner computes. */
#include <stdlib.h>
#include <string.h>

#include "soft_shader.h"

static vgt_status unsupported(vgt_error *err, const char *what, uint32_t id, const char *why)
{
    return vgt_error_set(err, VGT_E_UNSUPPORTED, "%s shader %u: %s", what, id, why);
}

/* The vs < 3.0 output register of semantic (usage, index), or -1. */
static int16_t vs_output(const vgt_soft_shader *vs, uint32_t usage, uint32_t index)
{
    switch (usage) {
    case VGT_SUSAGE_POSITION:
        return index == 0 ? (int16_t)(SSH_R_OUT + SSH_OUT_POS) : -1;
    case VGT_SUSAGE_COLOR:
        return index < 2 ? (int16_t)(SSH_R_OUT + SSH_OUT_D0 + index) : -1;
    case VGT_SUSAGE_TEXCOORD:
        return index < 8 ? (int16_t)(SSH_R_OUT + SSH_OUT_T0 + index) : -1;
    case VGT_SUSAGE_FOG:
        return index == 0 ? (int16_t)(SSH_R_OUT + SSH_OUT_FOG) : -1;
    case VGT_SUSAGE_PSIZE:
        /* an oPts the shader does not write is no size: POINTSIZE is
         * (Direct3D 9's "Point Sprites"; gl_shader.c alike) */
        return index == 0 && vs->writes_pts ? (int16_t)(SSH_R_OUT + SSH_OUT_PTS) : -1;
    default:
        return -1;
    }
}

/* The vs output component (R register * 4 + component) feeding component
 * comp of semantic (usage, index), or -1: vs_3_0 by the shared rule of
 * vgt_shader_io_link (positions kept, only the declared mask), older
 * models by their named registers. */
static int16_t vs_source(const vgt_soft_shader *vs, uint32_t usage, uint32_t index, uint32_t comp)
{
    if (vs->version >= VGT_SHADER_V30) {
        int32_t o = vgt_shader_io_link(&vs->io, usage, index, comp);
        return o < 0 || o >= 48 ? -1 : (int16_t)(SSH_R_OUT * 4 + o);
    }
    int16_t r = vs_output(vs, usage, index);
    return r < 0 ? -1 : (int16_t)(r * 4 + (int32_t)comp);
}

/* A scalar (fog, point size): vs_3_0's first declared component, else .x. */
static int16_t vs_scalar(const vgt_soft_shader *vs, uint32_t usage, uint32_t index)
{
    if (vs->version >= VGT_SHADER_V30) {
        int32_t o = vgt_shader_io_scalar(&vs->io, usage, index);
        return o < 0 || o >= 48 ? -1 : (int16_t)(SSH_R_OUT * 4 + o);
    }
    return vs_source(vs, usage, index, 0);
}

/* Adds a link of the components in `mask` (in order); returns how many
 * slots it takes. */
static uint32_t add_link(soft_shader_draw *sh, uint32_t usage, uint32_t index, uint32_t reg,
                         uint32_t mask, uint32_t slot)
{
    if (sh->nlink >= SSH_MAX_LINKS) {
        return 0;
    }
    ssh_link *k = &sh->link[sh->nlink++];
    k->usage = (uint8_t)usage;
    k->index = (uint8_t)index;
    k->reg = (uint8_t)reg;
    k->ncomp = 0;
    for (uint32_t c = 0; c < 4; c++) {
        k->src[c] = -1;
        if (mask & (1u << c)) {
            k->comp[k->ncomp++] = (uint8_t)c;
        }
    }
    k->slot = (uint16_t)slot;
    k->sat = 0;
    return k->ncomp;
}
/* A point's size clamped to [POINTSIZE_MIN, POINTSIZE_MAX], the shader's
 * oPts too: the driver's duty for every computed size (the WDK's
 * "Computing the Size of Point Sprites"), as the gl backend's
 * clamp(size, min, max); a NaN becomes the minimum. */
static float point_size_clamped(const vgt_soft_draw_state *st, float size)
{
    size = size >= st->point_size_min ? size : st->point_size_min;
    return size <= st->point_size_max ? size : st->point_size_max;
}

vgt_status soft_shader_draw_setup(const vgt_soft_draw_state *st, soft_draw_ctx *ctx,
                                  soft_shader_draw *sh, vgt_error *err)
{
    sh->vs = st->vs_program;
    sh->ps = st->ps_program;
    sh->nlink = 0;
    sh->fog_slot = -1;
    sh->samplers = 0;
    sh->ff_tex = 0;
    sh->fog_src = sh->psize_src = -1;
    for (uint32_t c = 0; c < 4; c++) {
        sh->pos_src[c] = -1;
    }
    const vgt_soft_shader *vs = sh->vs, *ps = sh->ps;
    if (vs) {
        if (vs->type != VGT_SVGA3D_SHADERTYPE_VS) {
            return vgt_error_set(err, VGT_E_INVALID, "vertex shader %u is a pixel shader",
                                 st->vertex_shader);
        }
        if (vs->unsupported[0]) {
            return unsupported(err, "vertex", st->vertex_shader, vs->unsupported);
        }
        ssh_consts_build(vs, &st->vs_consts, &sh->vk);
    }
    if (ps) {
        if (ps->type != VGT_SVGA3D_SHADERTYPE_PS) {
            return vgt_error_set(err, VGT_E_INVALID, "pixel shader %u is a vertex shader",
                                 st->pixel_shader);
        }
        if (ps->unsupported[0]) {
            return unsupported(err, "pixel", st->pixel_shader, ps->unsupported);
        }
        ssh_consts_build(ps, &st->ps_consts, &sh->pk);
        for (uint32_t s = 0; s < VGT_SOFT_MAX_STAGES; s++) {
            const vgt_soft_stage *g = &st->stages[s];
            float *b = sh->pk.bump[s];
            b[0] = g->bump_env_mat[0][0];
            b[1] = g->bump_env_mat[0][1];
            b[2] = g->bump_env_mat[1][0];
            b[3] = g->bump_env_mat[1][1];
            b[4] = g->bump_env_lscale;
            b[5] = g->bump_env_loffset;
        }
        for (uint32_t s = 0; s < 16; s++) {
            if (!(ps->samplers & (1u << s))) {
                continue;
            }
            if (s >= VGT_SOFT_MAX_STAGES) {
                return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                     "pixel shader %u samples s%u; the soft renderer has %u "
                                     "samplers",
                                     st->pixel_shader, s, VGT_SOFT_MAX_STAGES);
            }
            const vgt_soft_stage *g = &st->stages[s];
            soft_sampler *sm = &ctx->samplers[s];
            memset(sm, 0, sizeof(*sm));
            sm->tc_slot = -1;
            if (g->address_u < VGT_SVGA3D_TEX_ADDRESS_WRAP ||
                g->address_u > VGT_SVGA3D_TEX_ADDRESS_EDGE ||
                g->address_v < VGT_SVGA3D_TEX_ADDRESS_WRAP ||
                g->address_v > VGT_SVGA3D_TEX_ADDRESS_EDGE ||
                g->mag_filter > VGT_SVGA3D_TEX_FILTER_ANISOTROPIC ||
                g->min_filter > VGT_SVGA3D_TEX_FILTER_ANISOTROPIC ||
                g->mip_filter > VGT_SVGA3D_TEX_FILTER_ANISOTROPIC) {
                return vgt_error_set(err, VGT_E_INVALID,
                                     "sampler %u: address (%u, %u) or filter (%u, %u, %u) out of "
                                     "range",
                                     s, g->address_u, g->address_v, g->mag_filter, g->min_filter,
                                     g->mip_filter);
            }
            if (g->texture) {
                vgt_status rc = soft_setup_sampler(sm, g, s, err);
                if (rc) {
                    return rc;
                }
            }
            if (ps->version < VGT_SHADER_V14) {
                int proj = vgt_svga3d_ps1x_tex_projection(g->transform_flags);
                sm->ps1x_proj = proj > 0 ? (uint8_t)proj : 0u;
            }
            sh->samplers |= 1u << s;
        }
        /* the varying layout: 4 floats per input, colors first */
        uint32_t slot = 0;
        for (int pass = 0; pass < 2; pass++) {
            if (ps->version >= VGT_SHADER_V30) {
                /* one link per declaration: a packed register's semantics
                 * take the components of their masks, a lone one all four
                 * (vgt_shader_io_semantic's rule) */
                for (uint32_t v = 0; v < 10; v++) {
                    const vgt_shader_io_reg *r = &ps->io.reg[v];
                    for (uint32_t e = 0; e < r->count && e < 4; e++) {
                        const vgt_shader_semantic *m = &r->sem[e];
                        if ((m->usage == VGT_SUSAGE_COLOR) == (pass == 0)) {
                            slot += add_link(sh, m->usage, m->usage_index, SSH_R_INPUT + v,
                                             r->count == 1 ? 0xFu : m->mask, slot);
                        }
                    }
                }
            } else if (pass == 0) {
                for (uint32_t v = 0; v < 2; v++) {
                    if (ps->color_inputs & (1u << v)) {
                        slot += add_link(sh, VGT_SUSAGE_COLOR, v, SSH_R_INPUT + v, 0xFu, slot);
                    }
                }
            } else {
                for (uint32_t t = 0; t < 8; t++) {
                    if (ps->tex_inputs & (1u << t)) {
                        slot += add_link(sh, VGT_SUSAGE_TEXCOORD, t, SSH_R_TEX + t, 0xFu, slot);
                    }
                }
            }
            if (pass == 0) {
                sh->nflat = slot;
            }
        }
        if (st->fog_enable && ps->version < VGT_SHADER_V30) {
            sh->fog_slot = (int32_t)slot;
            slot += 1;
        }
        ctx->nvary = slot ? slot : 1; /* the primitive setup wants one plane */
        ctx->nflat = sh->nflat;
        for (uint32_t i = 0; i < sh->nlink; i++) {
            if (sh->link[i].usage == VGT_SUSAGE_TEXCOORD && sh->link[i].index < 8) {
                sh->ff_tex |= 1u << sh->link[i].index;
            }
        }
    } else {
        /* fixed-function pixel pipeline behind a vertex shader: its layout */
        add_link(sh, VGT_SUSAGE_COLOR, 0, 0, 0xFu, SOFT_V_DIFFUSE);
        add_link(sh, VGT_SUSAGE_COLOR, 1, 0, 0xFu, SOFT_V_SPECULAR);
        add_link(sh, VGT_SUSAGE_FOG, 0, 0, 1u, SOFT_V_FOG);
        for (uint32_t s = 0; s < ctx->nstages; s++) {
            if (ctx->samplers[s].tc_slot >= 0) {
                add_link(sh, VGT_SUSAGE_TEXCOORD, st->stages[s].texcoord_index & 7, 0,
                         (1u << (ctx->tc_n[s] & 7u)) - 1u, (uint32_t)ctx->samplers[s].tc_slot);
            }
        }
        sh->nflat = SOFT_V_FOG;
        ctx->nflat = SOFT_V_FOG;
    }
    if (vs) {
        bool old = vs->version < VGT_SHADER_V30;
        for (uint32_t i = 0; i < sh->nlink; i++) {
            ssh_link *k = &sh->link[i];
            for (uint32_t c = 0; c < k->ncomp; c++) {
                k->src[c] = vs_source(vs, k->usage, k->index, k->comp[c]);
            }
            if (!ps && k->usage == VGT_SUSAGE_FOG) {
                /* the fixed-function fog is a scalar */
                k->src[0] = vs_scalar(vs, VGT_SUSAGE_FOG, 0);
            }
            k->sat = old && (k->usage == VGT_SUSAGE_COLOR || k->usage == VGT_SUSAGE_FOG);
        }
        if (sh->fog_slot >= 0) {
            sh->fog_src = vs_scalar(vs, VGT_SUSAGE_FOG, 0);
        }
        for (uint32_t c = 0; c < 4; c++) {
            sh->pos_src[c] = vs_source(vs, VGT_SUSAGE_POSITION, 0, c);
        }
        sh->psize_src = vs_scalar(vs, VGT_SUSAGE_PSIZE, 0);
    }
    sh->early_depth = !ps || (!ps->writes_depth && !ps->kills && !st->alpha_test);
    return VGT_OK;
}

void soft_shader_ff_outputs(const soft_draw_ctx *ctx, const float dif[4], const float spe[4],
                            float fog, const float (*tex)[4], soft_vtx *o)
{
    const soft_shader_draw *sh = ctx->sh;
    memset(o->v, 0, sizeof(o->v));
    for (uint32_t i = 0; i < sh->nlink; i++) {
        const ssh_link *k = &sh->link[i];
        const float *src = NULL;
        float f4[4] = {fog, 0.0f, 0.0f, 0.0f};
        switch (k->usage) {
        case VGT_SUSAGE_COLOR:
            src = k->index == 0 ? dif : (k->index == 1 ? spe : NULL);
            break;
        case VGT_SUSAGE_TEXCOORD:
            src = k->index < 8 ? tex[k->index] : NULL;
            break;
        case VGT_SUSAGE_FOG:
            src = f4;
            break;
        default:
            break;
        }
        if (src) {
            for (uint32_t c = 0; c < k->ncomp; c++) {
                o->v[k->slot + c] = src[k->comp[c]];
            }
        }
    }
    if (sh->fog_slot >= 0) {
        o->v[sh->fog_slot] = fog;
    }
}

/* ---- vertex shading ---------------------------------------------------------- */

/* A zeroed interpreter state (shaders read unwritten registers as 0). */
static ssh_ctx *quad_ctx(ssh_ctx *storage)
{
    memset(storage, 0, sizeof(*storage));
    return storage;
}

vgt_status soft_shader_vertices(const vgt_soft_draw_state *st, const soft_draw_ctx *ctx,
                                const uint32_t *idx, size_t count, soft_vtx *out, vgt_error *err)
{
    const soft_shader_draw *sh = ctx->sh;
    const vgt_soft_shader *vs = sh->vs;
    /* each declared input's element */
    const vgt_soft_element *el[16];
    for (uint32_t v = 0; v < 16; v++) {
        el[v] = NULL;
        if (!vs->in[v].declared) {
            continue;
        }
        for (uint32_t e = 0; e < st->element_count; e++) {
            const vgt_soft_element *x = &st->elements[e];
            if (x->usage == vs->in[v].usage && x->usage_index == vs->in[v].index) {
                if (soft_decl_size(x->type) == 0) {
                    return vgt_error_set(err, VGT_E_UNSUPPORTED, "vertex element %u: type %u", e,
                                         x->type);
                }
                el[v] = x;
                break;
            }
        }
    }
    /* on the stack, as the pixel path's (~4.7 KB): a draw of a shader
     * allocated nothing for it, and an instanced draw one per instance */
    ssh_ctx storage;
    ssh_ctx *x = quad_ctx(&storage);
    x->k = &sh->vk;
    x->samplers = NULL;
    x->quad = false;
    bool old = vs->version < VGT_SHADER_V30;
    /* a point's size without oPts: POINTSIZE.  POINTSCALEENABLE does not
     * scale it behind a vertex shader (vgt_svga3d_point_scale_applies), so
     * it is clamped to [POINTSIZE_MIN, POINTSIZE_MAX] as with scaling off
     * (with scaling on, point_size arrives unclamped: vgt_soft.h); a NaN
     * becomes the minimum, as scaled_point_size makes it */
    float psize = st->point_size;
    if (st->point_scale && !vgt_svga3d_point_scale_applies(st->point_scale, true)) {
        psize = point_size_clamped(st, psize);
    }
    for (size_t i = 0; i < count; i += SSH_LANES) {
        uint32_t n = count - i < SSH_LANES ? (uint32_t)(count - i) : SSH_LANES;
        memset(x->R[SSH_R_TEMP], 0, 32 * sizeof(x->R[0]));
        memset(x->R[SSH_R_OUT], 0, 16 * sizeof(x->R[0]));
        memset(x->a0, 0, sizeof(x->a0));
        memset(x->p0, 0, sizeof(x->p0));
        for (uint32_t v = 0; v < 16; v++) {
            if (!vs->in[v].declared) {
                continue;
            }
            for (uint32_t l = 0; l < SSH_LANES; l++) {
                float t[4] = {0.0f, 0.0f, 0.0f, 1.0f};
                if (l < n && el[v]) {
                    vgt_status rc = soft_vertex_fetch(el[v], idx[i + l], t, err);
                    if (rc) {
                        return rc;
                    }
                }
                for (uint32_t c = 0; c < 4; c++) {
                    x->R[SSH_R_INPUT + v][c][l] = t[c];
                }
            }
        }
        ssh_run(vs, x, (1u << n) - 1u);
        for (uint32_t l = 0; l < n; l++) {
            soft_vtx *o = &out[i + l];
            memset(o, 0, sizeof(*o));
            for (uint32_t c = 0; c < 4; c++) {
                int16_t p = sh->pos_src[c];
                o->clip[c] = p >= 0 ? x->R[p >> 2][p & 3][l] : 0.0f;
            }
            int16_t ps_ = sh->psize_src;
            o->psize = ps_ >= 0 ? point_size_clamped(st, x->R[ps_ >> 2][ps_ & 3][l]) : psize;
            if (st->clip_plane_enable) {
                /* with a vertex shader, clip planes are in clip space */
                for (uint32_t p = 0; p < VGT_SOFT_MAX_CLIP_PLANES; p++) {
                    const float *pl = st->clip_planes[p];
                    o->ucd[p] = pl[0] * o->clip[0] + pl[1] * o->clip[1] + pl[2] * o->clip[2] +
                                pl[3] * o->clip[3];
                }
            }
            for (uint32_t k = 0; k < sh->nlink; k++) {
                const ssh_link *lk = &sh->link[k];
                for (uint32_t c = 0; c < lk->ncomp; c++) {
                    int16_t s = lk->src[c];
                    if (s >= 0) {
                        float a = x->R[s >> 2][s & 3][l];
                        o->v[lk->slot + c] = lk->sat ? soft_sat(a) : a;
                    }
                }
            }
            if (sh->fog_slot >= 0) {
                int16_t fs = sh->fog_src;
                float f = fs >= 0 ? x->R[fs >> 2][fs & 3][l] : 1.0f;
                o->v[sh->fog_slot] = old ? soft_sat(f) : f;
            }
        }
    }
    return VGT_OK;
}

/* ---- pixel shading ------------------------------------------------------------- */

typedef struct quad_job {
    const soft_draw_ctx *ctx;
    const soft_prim *pr;
    ssh_ctx *x;
    int32_t ya, yb; /* the band's rows (pixels outside are helpers) */
    uint64_t *count;
} quad_job;

/* rec: NULL, or the probe's record of lane rl's fragment (a live lane):
 * its colour is then made even when the early depth test killed the
 * quad, and every test's outcome is written into it.  Inlined into both
 * callers, so the unprobed one carries none of it. */
static inline __attribute__((always_inline)) void shade_quad_impl(quad_job *q, int32_t qx,
                                                                  int32_t qy, uint32_t live_mask,
                                                                  vgt_soft_fragment *rec,
                                                                  uint32_t rl)
{
    const soft_draw_ctx *ctx = q->ctx;
    const soft_prim *pr = q->pr;
    const soft_shader_draw *sh = ctx->sh;
    const vgt_soft_shader *ps = sh->ps;
    const vgt_soft_draw_state *st = ctx->st;
    ssh_ctx *x = q->x;
    uint8_t live[SSH_LANES];
    float z[SSH_LANES], fx[SSH_LANES], fy[SSH_LANES];
    for (uint32_t l = 0; l < SSH_LANES; l++) {
        int32_t px = qx + (int32_t)(l & 1), py = qy + (int32_t)(l >> 1);
        fx[l] = (float)px - pr->ox;
        fy[l] = (float)py - pr->oy;
        z[l] = soft_sat(pr->z0 + pr->zdy * fy[l] + pr->zdx * fx[l]);
        live[l] = (live_mask >> l) & 1u;
    }
    bool ds = ctx->depth && (st->z_enable || st->stencil_enable);
    int32_t rx = qx + (int32_t)(rl & 1), ry = qy + (int32_t)(rl >> 1);
    if (rec) {
        rec->z = z[rl];
    }
    if (ds && sh->early_depth) {
        /* the probed lane's buffers read around the lanes' loop, which
         * stays the unprobed one (the other lanes are other pixels) */
        bool rec_tested = rec && live[rl];
        if (rec_tested) {
            soft_probe_ds_before(ctx, ry, rx, z[rl], rec);
        }
        for (uint32_t l = 0; l < SSH_LANES; l++) {
            if (live[l]) {
                soft_ds_test(ctx, pr, qy + (int32_t)(l >> 1), qx + (int32_t)(l & 1), 1, &z[l],
                             &live[l]);
            }
        }
        if (rec_tested) {
            soft_probe_ds_after(ctx, pr, ry, rx, live[rl], rec);
        }
        if (!(live[0] | live[1] | live[2] | live[3]) && !rec) {
            return;
        }
    }
    /* inputs */
    const float *pl = ctx->planes + pr->planes;
    float invw[SSH_LANES];
    for (uint32_t l = 0; l < SSH_LANES; l++) {
        float W = pr->w0 + pr->wdy * fy[l] + pr->wdx * fx[l];
        invw[l] = 1.0f / W;
    }
    for (uint32_t i = 0; i < sh->nlink; i++) {
        const ssh_link *k = &sh->link[i];
        bool flat = ctx->flat_colors && k->slot < ctx->nflat;
        bool sat = k->usage == VGT_SUSAGE_COLOR && ps->version < VGT_SHADER_V30;
        for (uint32_t c = 0; c < k->ncomp; c++) {
            const float *e = pl + 3 * (k->slot + c);
            float *r = x->R[k->reg][k->comp[c]];
            for (uint32_t l = 0; l < SSH_LANES; l++) {
                float a = e[0] + e[1] * fx[l] + e[2] * fy[l];
                a = flat ? a : a * invw[l];
                r[l] = sat ? soft_sat(a) : a;
            }
        }
    }
    if (ps->uses_vpos || ps->uses_vface) {
        bool front = st->front_winding == VGT_SVGA3D_FRONTWINDING_CW ? !pr->ccw : pr->ccw;
        if (pr->kind != SOFT_PRIM_TRI) {
            front = true;
        }
        for (uint32_t l = 0; l < SSH_LANES; l++) {
            x->R[SSH_R_MISC][0][l] = (float)(qx + (int32_t)(l & 1));
            x->R[SSH_R_MISC][1][l] = (float)(qy + (int32_t)(l >> 1));
            x->R[SSH_R_MISC][2][l] = 0.0f;
            x->R[SSH_R_MISC][3][l] = 0.0f;
            for (uint32_t c = 0; c < 4; c++) {
                x->R[SSH_R_MISC + 1][c][l] = front ? 1.0f : -1.0f;
            }
        }
    }
    memset(x->R[SSH_R_TEMP], 0, 32 * sizeof(x->R[0]));
    memset(x->R[SSH_R_OUT], 0, 8 * sizeof(x->R[0]));
    memset(x->a0, 0, sizeof(x->a0));
    memset(x->p0, 0, sizeof(x->p0));
    x->killed = 0;
    ssh_run(ps, x, SSH_ALL);
    if (rec && live[rl] && (x->killed & (1u << rl))) {
        rec->fate = VGT_SOFT_FATE_TEXKILL;
    }
    for (uint32_t l = 0; l < SSH_LANES; l++) {
        if (x->killed & (1u << l)) {
            live[l] = 0;
        }
    }
    uint8_t rec_alive = rec ? live[rl] : 0; /* before the alpha test */
    /* color, fog, alpha test, depth */
    float col[SSH_LANES][4];
    uint32_t creg = ps->ps1x ? SSH_R_TEMP : SSH_R_OUT;
    for (uint32_t l = 0; l < SSH_LANES; l++) {
        for (uint32_t c = 0; c < 4; c++) {
            col[l][c] = x->R[creg][c][l];
        }
        if (sh->fog_slot >= 0) {
            const float *e = pl + 3 * (uint32_t)sh->fog_slot;
            float fv = (e[0] + e[1] * fx[l] + e[2] * fy[l]) * invw[l];
            float f = ctx->pixel_fog ? soft_fog_factor(st, fv) : soft_sat(fv);
            for (int c = 0; c < 3; c++) {
                col[l][c] = f * soft_sat(col[l][c]) + (1.0f - f) * ctx->fog_color[c];
            }
        }
        if (st->alpha_test && live[l]) {
            uint32_t a8 = soft_unorm(col[l][3], 255);
            if (!soft_cmp_u32(st->alpha_func, a8, st->alpha_ref & 0xff)) {
                live[l] = 0;
            }
        }
        if (ps->writes_depth) {
            z[l] = soft_sat(x->R[SSH_R_OUT + SSH_OUT_DEPTH][0][l]);
        }
    }
    if (rec) {
        /* the colour the probed target gets before blending: oC0 after
         * fog, or oCn as the shader left it */
        uint32_t t = ctx->probe->target;
        /* on the depth/stencil target the colour goes nowhere: left out */
        rec->shaded = !rec->depth_target;
        for (uint32_t c = 0; c < 4 && rec->shaded; c++) {
            rec->color[c] = t ? x->R[SSH_R_OUT + t][c][rl] : col[rl][c];
        }
        if (rec_alive && !live[rl]) {
            rec->fate = VGT_SOFT_FATE_ALPHA;
        }
        if (ps->writes_depth) {
            rec->z = z[rl];
            rec->z_written = true;
        }
    }
    if (ds && !sh->early_depth) {
        bool rec_tested = rec && live[rl];
        if (rec_tested) {
            soft_probe_ds_before(ctx, ry, rx, z[rl], rec);
        }
        for (uint32_t l = 0; l < SSH_LANES; l++) {
            if (live[l]) {
                soft_ds_test(ctx, pr, qy + (int32_t)(l >> 1), qx + (int32_t)(l & 1), 1, &z[l],
                             &live[l]);
            }
        }
        if (rec_tested) {
            soft_probe_ds_after(ctx, pr, ry, rx, live[rl], rec);
        }
    }
    uint32_t nlive = live[0] + live[1] + live[2] + live[3];
    *q->count += nlive;
    if (nlive == 0) {
        return;
    }
    /* oC0 (fogged, alpha tested) to COLOR0; oC1..3 as the shader left
     * them to COLOR1..3, each only when the shader writes it */
    for (uint32_t t = 0; t < VGT_SOFT_MAX_COLOR_TARGETS; t++) {
        if (!ctx->rt[t].data || (t && !(ps->color_outputs & (1u << t)))) {
            continue;
        }
        if (t) {
            for (uint32_t l = 0; l < SSH_LANES; l++) {
                for (uint32_t c = 0; c < 4; c++) {
                    col[l][c] = x->R[SSH_R_OUT + t][c][l];
                }
            }
        }
        for (uint32_t row = 0; row < 2; row++) {
            if (live[2 * row] | live[2 * row + 1]) {
                soft_write_pixels(ctx, &ctx->rt[t], qy + (int32_t)row, qx, 2, &live[2 * row],
                                  &col[2 * row]);
            }
        }
    }
    if (rec && live[rl]) {
        const soft_target *t = &ctx->rt[ctx->probe->target];
        if (rec->depth_target) {
            rec->fate = VGT_SOFT_FATE_PASSED; /* z_after, stencil_after: what it left */
        } else if (!(t->write_mask & 15)) {
            rec->fate = VGT_SOFT_FATE_MASKED;
        } else {
            rec->fate = VGT_SOFT_FATE_WRITTEN;
            rec->has_after = true;
            t->fmt->decode(t->data + (uint64_t)ry * t->pitch +
                               (size_t)rx * t->fmt->info.block_bytes,
                           rec->after);
        }
    }
}

static void shade_quad(quad_job *q, int32_t qx, int32_t qy, uint32_t live_mask)
{
    shade_quad_impl(q, qx, qy, live_mask, NULL, 0);
}

/* The quad holding the probed pixel (lane rl, live). */
static __attribute__((noinline, cold)) void shade_quad_probed(quad_job *q, int32_t qx, int32_t qy,
                                                              uint32_t live_mask, uint32_t rl)
{
    vgt_soft_fragment *rec = soft_probe_slot(q->ctx->probe, q->pr->src);
    shade_quad_impl(q, qx, qy, live_mask, rec, rl);
}

static inline int64_t floor_div(int64_t a, int64_t b) /* b > 0 */
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Covered pixels [lo, hi] of row py of triangle pr (lo > hi: none). */
static void tri_row(const soft_prim *pr, int32_t py, int64_t *plo, int64_t *phi)
{
    int64_t lo = pr->minx, hi = pr->maxx;
    if (py < pr->miny || py > pr->maxy) {
        *plo = 1;
        *phi = 0;
        return;
    }
    for (int e = 0; e < 3 && lo <= hi; e++) {
        int64_t k = pr->eb[e] * py + pr->ec[e];
        int64_t a = pr->ea[e];
        if (a == 0) {
            if (k < 0) {
                hi = lo - 1;
            }
        } else if (a > 0) {
            int64_t xx = -floor_div(k, a);
            lo = xx > lo ? xx : lo;
        } else {
            int64_t xx = floor_div(k, -a);
            hi = xx < hi ? xx : hi;
        }
    }
    *plo = lo;
    *phi = hi;
}

void soft_shader_raster_tri(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t ya, int32_t yb,
                            uint64_t *count)
{
    /* On the stack (about 5 KB): the rasterizer runs on the pool's workers
     * and has no way to report a failed allocation, so it makes none (a
     * triangle skipped on malloc failure was a silently wrong picture). */
    ssh_ctx storage;
    ssh_ctx *x = quad_ctx(&storage);
    x->k = &ctx->sh->pk;
    x->samplers = ctx->samplers;
    x->quad = true;
    quad_job q = {ctx, pr, x, ya, yb, count};
    const soft_probe *pb = ctx->probe;
    for (int32_t qy = ya & ~1; qy <= yb; qy += 2) {
        int64_t lo[2], hi[2];
        for (int r = 0; r < 2; r++) {
            int32_t py = qy + r;
            if (py < ya || py > yb) {
                lo[r] = 1;
                hi[r] = 0;
            } else {
                tri_row(pr, py, &lo[r], &hi[r]);
            }
        }
        int64_t xs = INT64_MAX, xe = INT64_MIN;
        for (int r = 0; r < 2; r++) {
            if (lo[r] <= hi[r]) {
                xs = lo[r] < xs ? lo[r] : xs;
                xe = hi[r] > xe ? hi[r] : xe;
            }
        }
        if (xs > xe) {
            continue;
        }
        for (int64_t qx = xs & ~(int64_t)1; qx <= xe; qx += 2) {
            uint32_t m = 0;
            for (uint32_t l = 0; l < SSH_LANES; l++) {
                int64_t px = qx + (l & 1);
                uint32_t r = l >> 1;
                if (px >= lo[r] && px <= hi[r]) {
                    m |= 1u << l;
                }
            }
            if (!m) {
                continue;
            }
            /* the probe: one test per quad (off: a predictable branch) */
            if (__builtin_expect(pb != NULL, 0) && qx == (pb->x & ~1) && qy == (pb->y & ~1)) {
                uint32_t rl = (uint32_t)(pb->y & 1) * 2u + (uint32_t)(pb->x & 1);
                if (m & (1u << rl)) {
                    shade_quad_probed(&q, (int32_t)qx, qy, m, rl);
                    continue;
                }
            }
            shade_quad(&q, (int32_t)qx, qy, m);
        }
    }
}

void soft_shader_pixel(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t px, int32_t py,
                       uint64_t *count, vgt_soft_fragment *rec)
{
    /* On the stack, as in soft_shader_raster_tri. */
    ssh_ctx storage;
    ssh_ctx *x = quad_ctx(&storage);
    x->k = &ctx->sh->pk;
    x->samplers = ctx->samplers;
    x->quad = true;
    quad_job q = {ctx, pr, x, py, py, count};
    if (rec) {
        shade_quad_impl(&q, px, py, 1u, rec, 0);
    } else {
        shade_quad(&q, px, py, 1u);
    }
}
