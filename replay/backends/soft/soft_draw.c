/* soft_draw.c - the device, the default state, draw validation, index
 * fetch, primitive assembly, clipping and triangle/line/point setup.
 *
 * Conventions (Direct3D 9):
 * - after projection 0 <= z <= w and -w <= x, y <= w;
 * - screen X = vp.x + (1 + x/w) * vp.w / 2, Y = vp.y + (1 - y/w) * vp.h / 2,
 *   Z = z_min + z/w * (z_max - z_min); pixel (px, py) is sampled at (px, py);
 * - vertices snap to 1/256 pixel; coverage uses exact 64-bit edge functions
 *   with the top-left rule;
 * - triangles are clipped exactly against the near and far planes and the
 *   user clip planes, and against a guard band of VGT_SOFT_GUARD_BAND
 *   pixels around the viewport; the viewport (and scissor) bound the pixels;
 * - flat shading takes the colors of the first vertex of each triangle
 *   (for fans: vertex i+1 of triangle i), strips keep their winding;
 * - pretransformed (POSITIONT) vertices are not clipped: a primitive with
 *   a vertex outside the guard band or with rhw <= 0 is dropped. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "soft_shader.h"

/* ---- device ---------------------------------------------------------------- */

vgt_status vgt_soft_device_create(uint32_t threads, vgt_soft_device **out, vgt_error *err)
{
    *out = NULL;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n < 1 ? 1 : (n > 8 ? 8 : (uint32_t)n);
    }
    if (threads > 64) {
        return vgt_error_set(err, VGT_E_INVALID, "%u threads: at most 64", threads);
    }
    vgt_soft_device *d = calloc(1, sizeof(*d));
    if (!d) {
        return vgt_error_set(err, VGT_E_NOMEM, "cannot allocate the soft device");
    }
    vgt_status rc = soft_pool_init(&d->pool, threads, err);
    if (rc) {
        free(d);
        return rc;
    }
    *out = d;
    return VGT_OK;
}

void vgt_soft_device_destroy(vgt_soft_device *d)
{
    if (!d) {
        return;
    }
    soft_pool_fini(&d->pool);
    free(d->idx);
    free(d->vtx);
    free(d->prims);
    free(d->planes);
    free(d->band_pixels);
    free(d->bin_start);
    free(d->bin_items);
    free(d->list);
    free(d->bin_fill);
    vgt_rect_union_free(&d->clear_union);
    free(d);
}

uint32_t vgt_soft_device_threads(const vgt_soft_device *d)
{
    return d->pool.nthreads;
}

/* ---- the fragment probe ------------------------------------------------------ */

void vgt_soft_probe_set(vgt_soft_device *d, const vgt_soft_surface *surface, uint32_t face,
                        uint32_t mip, uint32_t x, uint32_t y)
{
    soft_probe *p = &d->probe;
    /* a pixel beyond INT32_MAX is beyond every image (VGT_SOFT_MAX_DIMENSION) */
    p->on = surface != NULL && x <= INT32_MAX && y <= INT32_MAX;
    p->surface = surface;
    p->face = face;
    p->mip = mip;
    p->x = (int32_t)(x & INT32_MAX);
    p->y = (int32_t)(y & INT32_MAX);
    p->count = 0;
    p->dropped = 0;
}

uint32_t vgt_soft_probe_take(vgt_soft_device *d, vgt_soft_fragment *out, uint32_t cap,
                             uint64_t *dropped)
{
    soft_probe *p = &d->probe;
    uint32_t n = p->count < cap ? p->count : cap;
    if (n) {
        memcpy(out, p->frags, (size_t)n * sizeof(*out));
    }
    *dropped = p->dropped + (p->count - n);
    p->count = 0;
    p->dropped = 0;
    return n;
}

vgt_soft_fragment *soft_probe_slot(soft_probe *p, uint32_t primitive)
{
    if (p->count == VGT_SOFT_PROBE_MAX) {
        p->dropped++;
        return NULL;
    }
    vgt_soft_fragment *f = &p->frags[p->count++];
    memset(f, 0, sizeof(*f));
    f->primitive = primitive;
    f->target = p->target;
    f->write_mask = p->write_mask;
    f->blend = p->blend;
    f->shader = p->shader;
    f->depth_target = p->depth;
    f->z_write = p->z_write;
    return f;
}

/* The fragments a draw recorded, from `first`, in primitive order: setup
 * records the culled and scissored ones before the rasterizer records the
 * others (a stable insertion sort: a pixel has one fragment a primitive). */
static __attribute__((noinline, cold)) void probe_in_order(soft_probe *p, uint32_t first)
{
    for (uint32_t i = first + 1; i < p->count; i++) {
        vgt_soft_fragment f = p->frags[i];
        uint32_t j = i;
        while (j > first && p->frags[j - 1].primitive > f.primitive) {
            p->frags[j] = p->frags[j - 1];
            j--;
        }
        p->frags[j] = f;
    }
}

static void identity(vgt_soft_matrix *m)
{
    memset(m, 0, sizeof(*m));
    for (int i = 0; i < 4; i++) {
        m->m[i][i] = 1.0f;
    }
}

void vgt_soft_draw_state_defaults(vgt_soft_draw_state *st)
{
    memset(st, 0, sizeof(*st));
    st->z_min = 0.0f;
    st->z_max = 1.0f;
    identity(&st->world);
    for (int i = 0; i < 3; i++) {
        identity(&st->world_n[i]);
    }
    identity(&st->view);
    identity(&st->projection);
    st->cull_face = VGT_SVGA3D_FACE_BACK;
    st->front_winding = VGT_SVGA3D_FRONTWINDING_CW;
    st->fill_mode = VGT_SVGA3D_FILLMODE_FILL;
    st->shade_mode = VGT_SVGA3D_SHADEMODE_SMOOTH;
    st->point_size = 1.0f;
    st->point_scale_abc[0] = 1.0f; /* D3D9's defaults: A = 1, B = C = 0 */
    st->point_size_min = 1.0f;
    st->point_size_max = 64.0f;
    st->last_pixel = false;
    st->lighting = true;
    st->color_vertex = true;
    st->diffuse_source = VGT_SVGA3D_VERTEXMATERIAL_DIFFUSE;
    st->specular_source = VGT_SVGA3D_VERTEXMATERIAL_SPECULAR;
    st->ambient_source = VGT_SVGA3D_VERTEXMATERIAL_NONE;
    st->emissive_source = VGT_SVGA3D_VERTEXMATERIAL_NONE;
    for (uint32_t i = 0; i < VGT_SOFT_MAX_LIGHTS; i++) {
        st->lights[i].type = VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL;
        st->lights[i].diffuse = (vgt_soft_color){1, 1, 1, 0};
        st->lights[i].direction[2] = 1.0f;
        st->lights[i].range = 1e30f;
        st->lights[i].attenuation0 = 1.0f;
    }
    st->fog_function = VGT_SOFT_FOG_NONE;
    st->fog_type = VGT_SVGA3D_FOGTYPE_VERTEX;
    st->fog_base = VGT_SVGA3D_FOGBASE_DEPTHBASED;
    st->fog_end = 1.0f;
    st->fog_density = 1.0f;
    for (uint32_t s = 0; s < VGT_SOFT_MAX_STAGES; s++) {
        vgt_soft_stage *g = &st->stages[s];
        g->color_op = s == 0 ? VGT_SVGA3D_TC_MODULATE : VGT_SVGA3D_TC_DISABLE;
        g->alpha_op = s == 0 ? VGT_SVGA3D_TC_SELECTARG1 : VGT_SVGA3D_TC_DISABLE;
        g->color_arg0 = g->alpha_arg0 = VGT_SVGA3D_TA_PREVIOUS;
        g->color_arg1 = g->alpha_arg1 = VGT_SVGA3D_TA_TEXTURE;
        g->color_arg2 = g->alpha_arg2 = VGT_SVGA3D_TA_PREVIOUS;
        g->texcoord_index = s;
        identity(&g->texture_transform);
        g->address_u = g->address_v = g->address_w = VGT_SVGA3D_TEX_ADDRESS_WRAP;
        g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
        g->mip_filter = VGT_SVGA3D_TEX_FILTER_NONE;
    }
    st->texture_factor = 0xffffffffu;
    st->alpha_func = VGT_SVGA3D_CMP_ALWAYS;
    st->z_enable = true;
    st->z_write = true;
    st->z_func = VGT_SVGA3D_CMP_LESSEQUAL;
    st->stencil_mask = st->stencil_write_mask = 0xffffffffu;
    st->stencil_func = st->ccw_stencil_func = VGT_SVGA3D_CMP_ALWAYS;
    st->stencil_fail = st->stencil_zfail = st->stencil_pass = VGT_SVGA3D_STENCILOP_KEEP;
    st->ccw_stencil_fail = st->ccw_stencil_zfail = st->ccw_stencil_pass = VGT_SVGA3D_STENCILOP_KEEP;
    st->src_blend = st->src_blend_alpha = VGT_SVGA3D_BLENDOP_ONE;
    st->dst_blend = st->dst_blend_alpha = VGT_SVGA3D_BLENDOP_ZERO;
    st->blend_eq = st->blend_eq_alpha = VGT_SVGA3D_BLENDEQ_ADD;
    st->color_write_mask = VGT_SOFT_WRITE_ALL;
    for (uint32_t i = 0; i < VGT_SOFT_MAX_COLOR_TARGETS - 1; i++) {
        st->more_color_write_masks[i] = VGT_SOFT_WRITE_ALL;
    }
}

/* ---- validation ---------------------------------------------------------------- */

static inline bool out_of_range(uint32_t v, uint32_t lo, uint32_t hi)
{
    return v < lo || v > hi;
}

#define CHECK_RANGE(val, lo, hi, name)                                                             \
    do {                                                                                           \
        if (out_of_range((val), (lo), (hi))) {                                                     \
            return vgt_error_set(err, VGT_E_INVALID, "%s = %u: expected %u..%u", name,             \
                                 (unsigned)(val), (unsigned)(lo), (unsigned)(hi));                 \
        }                                                                                          \
    } while (0)

static bool op_valid(uint32_t op)
{
    return (op >= VGT_SVGA3D_TC_DISABLE && op <= VGT_SVGA3D_TC_MODULATE4X) ||
           op == VGT_SVGA3D_TC_DOTPRODUCT3 || op == VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM ||
           op == VGT_SVGA3D_TC_ADDSIGNED2X || op == VGT_SVGA3D_TC_ADDSMOOTH ||
           (op >= VGT_SVGA3D_TC_MODULATEALPHA_ADDCOLOR &&
            op <= VGT_SVGA3D_TC_MODULATEINVCOLOR_ADDALPHA) ||
           op == VGT_SVGA3D_TC_MULTIPLYADD || op == VGT_SVGA3D_TC_LERP;
}

static bool arg_valid(uint32_t a)
{
    uint32_t sel = a & VGT_SOFT_TA_SELECT_MASK;
    return sel >= VGT_SVGA3D_TA_CONSTANT && sel <= VGT_SOFT_TA_TEMP &&
           (a & ~(uint32_t)(VGT_SOFT_TA_SELECT_MASK | VGT_SVGA3D_TM_ALPHA |
                            VGT_SVGA3D_TM_ONE_MINUS)) == 0;
}

static vgt_status validate_state(const vgt_soft_draw_state *st, uint32_t nstages, vgt_error *err)
{
    if ((st->vertex_shader && !st->vs_program) || (st->pixel_shader && !st->ps_program)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "%s shader %u is bound without a compiled program "
                             "(vgt_soft_shader_create)",
                             st->vertex_shader && !st->vs_program ? "vertex" : "pixel",
                             st->vertex_shader && !st->vs_program ? st->vertex_shader
                                                                  : st->pixel_shader);
    }
    if (st->element_count > VGT_SOFT_MAX_ELEMENTS) {
        return vgt_error_set(err, VGT_E_RANGE, "%u vertex elements: at most %u", st->element_count,
                             VGT_SOFT_MAX_ELEMENTS);
    }
    CHECK_RANGE(st->cull_face, VGT_SVGA3D_FACE_NONE, VGT_SVGA3D_FACE_FRONT_BACK, "cull face");
    CHECK_RANGE(st->front_winding, VGT_SVGA3D_FRONTWINDING_CW, VGT_SVGA3D_FRONTWINDING_CCW,
                "front winding");
    CHECK_RANGE(st->fill_mode, VGT_SVGA3D_FILLMODE_POINT, VGT_SVGA3D_FILLMODE_FILL, "fill mode");
    CHECK_RANGE(st->shade_mode, VGT_SVGA3D_SHADEMODE_FLAT, VGT_SVGA3D_SHADEMODE_SMOOTH,
                "shade mode");
    CHECK_RANGE(st->z_func, VGT_SVGA3D_CMP_NEVER, VGT_SVGA3D_CMP_ALWAYS, "z func");
    CHECK_RANGE(st->alpha_func, VGT_SVGA3D_CMP_NEVER, VGT_SVGA3D_CMP_ALWAYS, "alpha func");
    CHECK_RANGE(st->stencil_func, VGT_SVGA3D_CMP_NEVER, VGT_SVGA3D_CMP_ALWAYS, "stencil func");
    CHECK_RANGE(st->ccw_stencil_func, VGT_SVGA3D_CMP_NEVER, VGT_SVGA3D_CMP_ALWAYS,
                "ccw stencil func");
    const uint32_t ops[6] = {st->stencil_fail,     st->stencil_zfail,     st->stencil_pass,
                             st->ccw_stencil_fail, st->ccw_stencil_zfail, st->ccw_stencil_pass};
    for (int i = 0; i < 6; i++) {
        CHECK_RANGE(ops[i], VGT_SVGA3D_STENCILOP_KEEP, VGT_SVGA3D_STENCILOP_DECR, "stencil op");
    }
    if (st->blend_enable) {
        CHECK_RANGE(st->src_blend, VGT_SVGA3D_BLENDOP_ZERO, VGT_SVGA3D_BLENDOP_INVBLENDFACTOR,
                    "src blend");
        CHECK_RANGE(st->dst_blend, VGT_SVGA3D_BLENDOP_ZERO, VGT_SVGA3D_BLENDOP_INVBLENDFACTOR,
                    "dst blend");
        CHECK_RANGE(st->blend_eq, VGT_SVGA3D_BLENDEQ_ADD, VGT_SVGA3D_BLENDEQ_MAXIMUM,
                    "blend equation");
        if (st->separate_alpha_blend) {
            CHECK_RANGE(st->src_blend_alpha, VGT_SVGA3D_BLENDOP_ZERO,
                        VGT_SVGA3D_BLENDOP_INVBLENDFACTOR, "src blend alpha");
            CHECK_RANGE(st->dst_blend_alpha, VGT_SVGA3D_BLENDOP_ZERO,
                        VGT_SVGA3D_BLENDOP_INVBLENDFACTOR, "dst blend alpha");
            CHECK_RANGE(st->blend_eq_alpha, VGT_SVGA3D_BLENDEQ_ADD, VGT_SVGA3D_BLENDEQ_MAXIMUM,
                        "blend equation alpha");
        }
    }
    if (st->fog_enable) {
        CHECK_RANGE(st->fog_function, VGT_SOFT_FOG_NONE, VGT_SVGA3D_FOGFUNC_PER_VERTEX,
                    "fog function");
        CHECK_RANGE(st->fog_type, VGT_SVGA3D_FOGTYPE_VERTEX, VGT_SVGA3D_FOGTYPE_PIXEL, "fog type");
        CHECK_RANGE(st->fog_base, VGT_SVGA3D_FOGBASE_DEPTHBASED, VGT_SVGA3D_FOGBASE_RANGEBASED,
                    "fog base");
    }
    if (st->lighting) {
        for (uint32_t i = 0; i < VGT_SOFT_MAX_LIGHTS; i++) {
            if (st->lights[i].enabled) {
                CHECK_RANGE(st->lights[i].type, VGT_SVGA3D_LIGHTTYPE_POINT,
                            VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL, "light type");
            }
        }
        CHECK_RANGE(st->diffuse_source, 0, 2, "diffuse material source");
        CHECK_RANGE(st->ambient_source, 0, 2, "ambient material source");
        CHECK_RANGE(st->specular_source, 0, 2, "specular material source");
        CHECK_RANGE(st->emissive_source, 0, 2, "emissive material source");
    }
    for (uint32_t s = 0; s < nstages; s++) {
        const vgt_soft_stage *g = &st->stages[s];
        /* BUMPENVMAPLUMINANCE is a colour operation only (Direct3D 9) */
        bool bump = g->color_op == VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE;
        if ((!op_valid(g->color_op) && !bump) || !op_valid(g->alpha_op)) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "texture stage %u: color op %u / alpha op %u is not a "
                                 "supported fixed-function operation",
                                 s, g->color_op, g->alpha_op);
        }
        const uint32_t args[6] = {g->color_arg0, g->color_arg1, g->color_arg2,
                                  g->alpha_arg0, g->alpha_arg1, g->alpha_arg2};
        for (int i = 0; i < 6; i++) {
            if (!arg_valid(args[i])) {
                return vgt_error_set(err, VGT_E_INVALID, "texture stage %u: argument 0x%x", s,
                                     args[i]);
            }
        }
        if (g->texcoord_index >= 8) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "texture stage %u: texcoord index 0x%x: expected 0..7 (the "
                                 "generation mode is texcoord_gen)",
                                 s, g->texcoord_index);
        }
        CHECK_RANGE(g->address_u, VGT_SVGA3D_TEX_ADDRESS_WRAP, VGT_SVGA3D_TEX_ADDRESS_EDGE,
                    "address u");
        CHECK_RANGE(g->address_v, VGT_SVGA3D_TEX_ADDRESS_WRAP, VGT_SVGA3D_TEX_ADDRESS_EDGE,
                    "address v");
        CHECK_RANGE(g->mag_filter, VGT_SVGA3D_TEX_FILTER_NONE, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC,
                    "mag filter");
        CHECK_RANGE(g->min_filter, VGT_SVGA3D_TEX_FILTER_NONE, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC,
                    "min filter");
        CHECK_RANGE(g->mip_filter, VGT_SVGA3D_TEX_FILTER_NONE, VGT_SVGA3D_TEX_FILTER_ANISOTROPIC,
                    "mip filter");
    }
    return VGT_OK;
}

static bool stage_uses_texture(const vgt_soft_stage *g)
{
    const uint32_t args[6] = {g->color_arg0, g->color_arg1, g->color_arg2,
                              g->alpha_arg0, g->alpha_arg1, g->alpha_arg2};
    for (int i = 0; i < 6; i++) {
        if ((args[i] & VGT_SOFT_TA_SELECT_MASK) == VGT_SVGA3D_TA_TEXTURE) {
            return true;
        }
    }
    /* a bump stage samples its (du, dv, l) for the next stage */
    return g->color_op == VGT_SVGA3D_TC_BLENDTEXTUREALPHA ||
           g->color_op == VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM ||
           g->color_op == VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE ||
           g->alpha_op == VGT_SVGA3D_TC_BLENDTEXTUREALPHA ||
           g->alpha_op == VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM;
}

vgt_status soft_setup_sampler(soft_sampler *sm, const vgt_soft_stage *g, uint32_t s, vgt_error *err)
{
    const vgt_soft_surface *t = g->texture;
    if (!t->fmt->info.samplable) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "texture stage %u: %s cannot be sampled", s,
                             t->fmt->info.name);
    }
    /* vgt_soft_surface_create allows 1 or 6 faces, and depth 1 for cubes */
    sm->kind =
        t->desc.faces == 6 ? SOFT_TEX_CUBE : (t->desc.depth > 1 ? SOFT_TEX_VOLUME : SOFT_TEX_2D);
    sm->ncoord = sm->kind == SOFT_TEX_2D ? 2 : 3;
    if (sm->kind == SOFT_TEX_VOLUME && (g->address_w < VGT_SVGA3D_TEX_ADDRESS_WRAP ||
                                        g->address_w > VGT_SVGA3D_TEX_ADDRESS_EDGE)) {
        /* checked only where it is read: 2D textures ignore ADDRESSW */
        return vgt_error_set(err, VGT_E_INVALID,
                             "texture stage %u: address w = %u: expected %u..%u", s, g->address_w,
                             VGT_SVGA3D_TEX_ADDRESS_WRAP, VGT_SVGA3D_TEX_ADDRESS_EDGE);
    }
    uint32_t tf = t->fmt->info.format;
    if (g->srgb && tf != VGT_SVGA3D_A8R8G8B8 && tf != VGT_SVGA3D_X8R8G8B8 &&
        !t->fmt->info.compressed) {
        /* Direct3D 9 allows sRGB reads of 8-bit colour formats; the
         * decode table is indexed by the texel's byte */
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "texture stage %u: sRGB reads (texture gamma 2.2) of %s are not "
                             "supported (A8R8G8B8, X8R8G8B8 and DXT only)",
                             s, t->fmt->info.name);
    }
    sm->srgb = g->srgb;
    sm->cube = sm->kind == SOFT_TEX_CUBE ? t : NULL;
    sm->bound = true;
    sm->decode = t->fmt->decode;
    sm->bpp = t->fmt->info.block_bytes;
    sm->levels = t->desc.mip_levels;
    for (uint32_t f = 0; f < t->desc.faces; f++) {
        for (uint32_t m = 0; m < sm->levels; m++) {
            vgt_status rc = soft_level_decode(t, (soft_level *)&t->levels[f][m], err);
            if (rc) {
                return rc;
            }
        }
    }
    for (uint32_t m = 0; m < sm->levels; m++) {
        const soft_level *lv = &t->levels[0][m];
        sm->level[m].data = t->data + lv->offset;
        sm->level[m].row_pitch = lv->row_pitch;
        sm->level[m].slice_pitch = lv->slice_pitch;
        sm->level[m].width = lv->width;
        sm->level[m].height = lv->height;
        sm->level[m].depth = lv->depth;
        sm->level[m].decoded = t->fmt->info.compressed ? lv->decoded : NULL;
    }
    sm->address_u = g->address_u;
    sm->address_v = g->address_v;
    sm->address_w = g->address_w;
    soft_d3dcolor_to_float(g->border_color, sm->border);
    sm->mag = g->mag_filter ? g->mag_filter : VGT_SVGA3D_TEX_FILTER_NEAREST;
    sm->min = g->min_filter ? g->min_filter : VGT_SVGA3D_TEX_FILTER_NEAREST;
    sm->mip = g->mip_filter;
    sm->lod_bias = g->lod_bias;
    sm->max_level = g->max_mip_level;
    /* 0 asks for no anisotropy as 1 does; above the caps clamps (what
     * Direct3D 9 hardware does with a D3DSAMP_MAXANISOTROPY above its
     * MaxAnisotropy) */
    sm->max_aniso = g->max_anisotropy == 0                        ? 1u
                    : g->max_anisotropy > VGT_SOFT_MAX_ANISOTROPY ? VGT_SOFT_MAX_ANISOTROPY
                                                                  : g->max_anisotropy;
    return VGT_OK;
}

/* ---- scratch -------------------------------------------------------------------- */

static void *grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) {
        return *buf;
    }
    size_t n = *cap ? *cap : 256;
    while (n < need) {
        n *= 2;
    }
    void *p = realloc(*buf, n * elem);
    if (!p) {
        return NULL;
    }
    *buf = p;
    *cap = n;
    return p;
}

/* ---- setup ----------------------------------------------------------------------- */

typedef struct setup {
    vgt_soft_device *dev;
    soft_draw_ctx *ctx;
    const vgt_soft_draw_state *st;
    soft_vtx *vtx;
    float vp_x, vp_y, vp_w, vp_h, gx, gy;
    vgt_soft_draw_stats stats;
    bool oom;
    uint32_t cur;       /* the draw call's primitive being set up */
    bool probe_scissor; /* the probed pixel is in the viewport, outside the scissor */
    bool probe_inside;  /* the probed pixel is in the viewport and the targets */
} setup;

/* a vertex in screen space */
typedef struct svtx {
    int64_t fx, fy;   /* 1/256 pixel */
    float x, y, z, w; /* snapped x, y; z; 1/w */
    const soft_vtx *src;
} svtx;

static soft_prim *new_prim(setup *S, float **planes)
{
    soft_draw_ctx *c = S->ctx;
    vgt_soft_device *d = S->dev;
    size_t np = (size_t)c->nprims + 1;
    size_t nf = ((size_t)c->nprims + 1) * c->nvary * 3;
    if (!grow((void **)&d->prims, &d->prims_cap, np, sizeof(soft_prim)) ||
        !grow((void **)&d->planes, &d->planes_cap, nf, sizeof(float))) {
        S->oom = true;
        return NULL;
    }
    c->prims = d->prims;
    c->planes = d->planes;
    soft_prim *p = &c->prims[c->nprims];
    memset(p, 0, sizeof(*p));
    p->planes = c->nprims * c->nvary * 3;
    p->src = S->cur;
    *planes = c->planes + p->planes;
    return p;
}

/* A primitive of `kind` covering the pixels [minx, maxx] x [miny, maxy]
 * cut to the draw's scissor: NULL when nothing is left (or out of memory,
 * S->oom), else new_prim's primitive with its kind and box set. */
static inline soft_prim *new_prim_in(setup *S, uint8_t kind, int64_t minx, int64_t miny,
                                     int64_t maxx, int64_t maxy, float **planes)
{
    const soft_draw_ctx *ctx = S->ctx;
    minx = minx < ctx->x0 ? ctx->x0 : minx;
    miny = miny < ctx->y0 ? ctx->y0 : miny;
    maxx = maxx > ctx->x1 - 1 ? ctx->x1 - 1 : maxx;
    maxy = maxy > ctx->y1 - 1 ? ctx->y1 - 1 : maxy;
    if (minx > maxx || miny > maxy) {
        return NULL;
    }
    soft_prim *p = new_prim(S, planes);
    if (!p) {
        return NULL;
    }
    p->kind = kind;
    p->minx = (int32_t)minx;
    p->maxx = (int32_t)maxx;
    p->miny = (int32_t)miny;
    p->maxy = (int32_t)maxy;
    return p;
}

static void commit_prim(setup *S)
{
    S->ctx->nprims++;
}

static bool to_screen(const setup *S, const soft_vtx *v, svtx *o)
{
    float x, y, z, w;
    if (S->ctx->pretransformed) {
        x = v->clip[0];
        y = v->clip[1];
        z = v->clip[2];
        w = v->clip[3];
        float lim = (float)VGT_SOFT_MAX_DIMENSION + VGT_SOFT_GUARD_BAND;
        if (!(w > 0.0f) || !(x >= -VGT_SOFT_GUARD_BAND && x <= lim) ||
            !(y >= -VGT_SOFT_GUARD_BAND && y <= lim) || !(z == z)) {
            return false;
        }
    } else {
        float cw = v->clip[3];
        if (!(cw > 0.0f)) {
            return false;
        }
        w = 1.0f / cw;
        x = S->vp_x + (1.0f + v->clip[0] * w) * S->vp_w * 0.5f;
        y = S->vp_y + (1.0f - v->clip[1] * w) * S->vp_h * 0.5f;
        z = S->st->z_min + v->clip[2] * w * (S->st->z_max - S->st->z_min);
        if (!(x == x) || !(y == y) || !(z == z)) {
            return false;
        }
    }
    double fx = floor((double)x * SOFT_SUBPIXEL + 0.5);
    double fy = floor((double)y * SOFT_SUBPIXEL + 0.5);
    double lim = 65536.0 * SOFT_SUBPIXEL;
    if (!(fx > -lim && fx < lim && fy > -lim && fy < lim)) {
        return false;
    }
    o->fx = (int64_t)fx;
    o->fy = (int64_t)fy;
    o->x = (float)o->fx / SOFT_SUBPIXEL;
    o->y = (float)o->fy / SOFT_SUBPIXEL;
    o->z = z;
    o->w = w;
    o->src = v;
    return true;
}

static inline int64_t floor_div64(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

static void plane3(float a0, float a1, float a2, float dx1, float dy1, float dx2, float dy2,
                   float inv_det, float *out)
{
    float d1 = a1 - a0, d2 = a2 - a0;
    out[0] = a0;
    out[1] = (d1 * dy2 - d2 * dy1) * inv_det;
    out[2] = (d2 * dx1 - d1 * dx2) * inv_det;
}

static void add_bias(const setup *S, soft_prim *p)
{
    float m = fabsf(p->zdx) > fabsf(p->zdy) ? fabsf(p->zdx) : fabsf(p->zdy);
    p->z0 += S->st->depth_bias + S->st->slope_scale_depth_bias * m;
}

static void setup_tri(setup *S, const svtx *a, const svtx *b, const svtx *c, const float *flat)
{
    soft_draw_ctx *ctx = S->ctx;
    int64_t area = (b->fx - a->fx) * (c->fy - a->fy) - (c->fx - a->fx) * (b->fy - a->fy);
    if (area == 0) {
        return;
    }
    bool ccw = area < 0;
    if (ccw) {
        const svtx *t = b;
        b = c;
        c = t;
        area = -area;
    }
    const svtx *v[3] = {a, b, c};
    int64_t minfx = a->fx, maxfx = a->fx, minfy = a->fy, maxfy = a->fy;
    for (int i = 1; i < 3; i++) {
        minfx = v[i]->fx < minfx ? v[i]->fx : minfx;
        maxfx = v[i]->fx > maxfx ? v[i]->fx : maxfx;
        minfy = v[i]->fy < minfy ? v[i]->fy : minfy;
        maxfy = v[i]->fy > maxfy ? v[i]->fy : maxfy;
    }
    int64_t minx = -floor_div64(-minfx, SOFT_SUBPIXEL), maxx = floor_div64(maxfx, SOFT_SUBPIXEL);
    int64_t miny = -floor_div64(-minfy, SOFT_SUBPIXEL), maxy = floor_div64(maxfy, SOFT_SUBPIXEL);
    int64_t ea[3], eb[3], ec[3];
    for (int e = 0; e < 3; e++) {
        const svtx *s = v[e], *t = v[(e + 1) % 3];
        int64_t dx = t->fx - s->fx, dy = t->fy - s->fy;
        /* E(p) = dx*(py*256 - s.fy) - dy*(px*256 - s.fx) */
        ea[e] = -dy * SOFT_SUBPIXEL;
        eb[e] = dx * SOFT_SUBPIXEL;
        ec[e] = -dx * s->fy + dy * s->fx;
        bool top_left = (dy == 0 && dx > 0) || dy < 0;
        if (!top_left) {
            ec[e] -= 1;
        }
    }
    if (S->probe_scissor) {
        /* the probed pixel lies outside the scissor: the rasterizer never
         * sees it, so its coverage is decided here, by the same edges */
        int64_t px = ctx->probe->x, py = ctx->probe->y;
        bool in = true;
        for (int e = 0; e < 3; e++) {
            in = in && ea[e] * px + eb[e] * py + ec[e] >= 0;
        }
        vgt_soft_fragment *f = in ? soft_probe_slot(ctx->probe, S->cur) : NULL;
        if (f) {
            f->fate = VGT_SOFT_FATE_SCISSOR;
        }
    }
    float *pl;
    soft_prim *p = new_prim_in(S, SOFT_PRIM_TRI, minx, miny, maxx, maxy, &pl);
    if (!p) {
        return;
    }
    p->ccw = ccw;
    memcpy(p->ea, ea, sizeof(ea));
    memcpy(p->eb, eb, sizeof(eb));
    memcpy(p->ec, ec, sizeof(ec));
    p->ox = a->x;
    p->oy = a->y;
    float dx1 = b->x - a->x, dy1 = b->y - a->y, dx2 = c->x - a->x, dy2 = c->y - a->y;
    float inv_det = (float)SOFT_SUBPIXEL * SOFT_SUBPIXEL / (float)area;
    float t[3];
    plane3(a->z, b->z, c->z, dx1, dy1, dx2, dy2, inv_det, t);
    p->z0 = t[0];
    p->zdx = t[1];
    p->zdy = t[2];
    add_bias(S, p);
    plane3(a->w, b->w, c->w, dx1, dy1, dx2, dy2, inv_det, t);
    p->w0 = t[0];
    p->wdx = t[1];
    p->wdy = t[2];
    for (uint32_t k = 0; k < ctx->nvary; k++) {
        if (flat && k < ctx->nflat) {
            pl[3 * k] = flat[k];
            pl[3 * k + 1] = pl[3 * k + 2] = 0.0f;
            continue;
        }
        plane3(a->src->v[k] * a->w, b->src->v[k] * b->w, c->src->v[k] * c->w, dx1, dy1, dx2, dy2,
               inv_det, pl + 3 * k);
    }
    commit_prim(S);
}

/* The pixels a point covers: [minx, maxx] x [miny, maxy]. */
static inline void point_square(const svtx *a, float *psize, int64_t *minx, int64_t *miny,
                                int64_t *maxx, int64_t *maxy)
{
    float size = a->src->psize;
    size = size >= 1.0f ? (size <= 256.0f ? size : 256.0f) : 1.0f;
    float h = size * 0.5f;
    *minx = -(int64_t)floorf(-(a->x - h));
    *maxx = -(int64_t)floorf(-(a->x + h)) - 1;
    *miny = -(int64_t)floorf(-(a->y - h));
    *maxy = -(int64_t)floorf(-(a->y + h)) - 1;
    *psize = size;
}

/* The probed pixel lies outside the scissor (so the rasterizer never
 * visits it): a line or point covering it, by the rasterizer's own rule,
 * is one fragment, fate scissor. */
static __attribute__((noinline, cold)) void probe_scissored_line(setup *S, const svtx *a,
                                                                 const svtx *b)
{
    soft_probe *pb = S->ctx->probe;
    if (soft_line_covers(a->x, a->y, b->x, b->y, S->st->last_pixel, pb->x, pb->y)) {
        vgt_soft_fragment *f = soft_probe_slot(pb, S->cur);
        if (f) {
            f->fate = VGT_SOFT_FATE_SCISSOR;
        }
    }
}

static __attribute__((noinline, cold)) void
probe_scissored_point(setup *S, int64_t minx, int64_t miny, int64_t maxx, int64_t maxy)
{
    soft_probe *pb = S->ctx->probe;
    if (pb->x >= minx && pb->x <= maxx && pb->y >= miny && pb->y <= maxy) {
        vgt_soft_fragment *f = soft_probe_slot(pb, S->cur);
        if (f) {
            f->fate = VGT_SOFT_FATE_SCISSOR;
        }
    }
}

/* ccw: the line is an edge of a counter-clockwise triangle (line fill),
 * whose two-sided stencil it takes; a line of its own has no winding and
 * takes Direct3D 9's CW ops */
static void setup_line(setup *S, const svtx *a, const svtx *b, const float *flat, bool ccw)
{
    soft_draw_ctx *ctx = S->ctx;
    float dx = b->x - a->x, dy = b->y - a->y;
    if (dx == 0.0f && dy == 0.0f) {
        return;
    }
    float lx = a->x < b->x ? a->x : b->x, hx = a->x < b->x ? b->x : a->x;
    float ly = a->y < b->y ? a->y : b->y, hy = a->y < b->y ? b->y : a->y;
    int64_t minx = (int64_t)floorf(lx) - 1, maxx = (int64_t)floorf(hx) + 1;
    int64_t miny = (int64_t)floorf(ly) - 1, maxy = (int64_t)floorf(hy) + 1;
    if (S->probe_scissor) {
        probe_scissored_line(S, a, b); /* before the scissor drops it */
    }
    float *pl;
    soft_prim *p = new_prim_in(S, SOFT_PRIM_LINE, minx, miny, maxx, maxy, &pl);
    if (!p) {
        return;
    }
    p->ccw = ccw;
    p->x_major = fabsf(dx) >= fabsf(dy);
    p->lx0 = a->x;
    p->ly0 = a->y;
    p->lx1 = b->x;
    p->ly1 = b->y;
    p->ox = a->x;
    p->oy = a->y;
    float len2 = dx * dx + dy * dy;
    float gx = dx / len2, gy = dy / len2;
    float dz = b->z - a->z, dw = b->w - a->w;
    p->z0 = a->z;
    p->zdx = dz * gx;
    p->zdy = dz * gy;
    add_bias(S, p);
    p->w0 = a->w;
    p->wdx = dw * gx;
    p->wdy = dw * gy;
    for (uint32_t k = 0; k < ctx->nvary; k++) {
        if (flat && k < ctx->nflat) {
            pl[3 * k] = flat[k];
            pl[3 * k + 1] = pl[3 * k + 2] = 0.0f;
            continue;
        }
        float va = a->src->v[k] * a->w, d = b->src->v[k] * b->w - va;
        pl[3 * k] = va;
        pl[3 * k + 1] = d * gx;
        pl[3 * k + 2] = d * gy;
    }
    commit_prim(S);
}

/* The planes (value at the point's centre, d/dx, d/dy) of a point sprite's
 * texture coordinate of n components: u and v run from 0 at the square's
 * top-left edge to 1 at its bottom-right (u = (px - (x - size/2)) / size at
 * the pixel centre px, integer on the Direct3D screen: GL's gl_PointCoord),
 * the third component is `third`, the fourth 1. */
static void sprite_planes(float *pl, uint32_t n, float size, float third)
{
    const float inv = 1.0f / size;
    const float planes[4][3] = {{0.5f, inv, 0.0f}, {0.5f, 0.0f, inv}, {third, 0, 0}, {1, 0, 0}};
    memcpy(pl, planes, (size_t)(n < 4 ? n : 4) * sizeof(planes[0]));
}

/* The sprite's planes of a link: its components keep their positions in
 * the (u, v, 0, 1) vector (a semantic packed as .zw reads 0 and 1). */
static void sprite_link_planes(float *pl, const ssh_link *k, float size)
{
    float all[4][3];
    sprite_planes(&all[0][0], 4, size, 0.0f);
    for (uint32_t c = 0; c < k->ncomp && c < 4; c++) {
        memcpy(pl + 3 * c, all[k->comp[c] & 3u], sizeof(all[0]));
    }
}

/* flat: the colours of the provoking vertex for the points of a
 * point-filled triangle under flat shading (NULL: the point's own); ccw:
 * the point is a corner of a counter-clockwise triangle (point fill, as
 * setup_line) */
static void setup_point(setup *S, const svtx *a, const float *flat, bool ccw)
{
    soft_draw_ctx *ctx = S->ctx;
    float size;
    int64_t minx, miny, maxx, maxy;
    point_square(a, &size, &minx, &miny, &maxx, &maxy);
    if (S->probe_scissor) {
        probe_scissored_point(S, minx, miny, maxx, maxy); /* before the scissor drops it */
    }
    float *pl;
    soft_prim *p = new_prim_in(S, SOFT_PRIM_POINT, minx, miny, maxx, maxy, &pl);
    if (!p) {
        return;
    }
    p->ccw = ccw;
    p->ox = a->x;
    p->oy = a->y;
    p->z0 = a->z;
    add_bias(S, p);
    p->w0 = 1.0f; /* attributes are constant: store them undivided */
    for (uint32_t k = 0; k < ctx->nvary; k++) {
        pl[3 * k] = flat && k < ctx->nflat ? flat[k] : a->src->v[k];
        pl[3 * k + 1] = pl[3 * k + 2] = 0.0f;
    }
    if (S->st->point_sprite && S->st->ps_program) {
        /* Direct3D 9 gives the pixel shader's texture coordinate inputs
         * (t#, dcl_texcoord) the sprite's (u, v, 0, 1) */
        const soft_shader_draw *sh = ctx->sh;
        for (uint32_t i = 0; i < sh->nlink; i++) {
            const ssh_link *k = &sh->link[i];
            if (k->usage == VGT_SUSAGE_TEXCOORD) {
                sprite_link_planes(pl + 3 * k->slot, k, size);
            }
        }
    } else if (S->st->point_sprite) {
        /* every sampled stage: (u, v), then w = 0 (cube, volume) and q = 1
         * (projected), as GL's coordinate replacement gives (s, t, 0, 1);
         * behind a vertex shader too, replacing its oT#
         * (vgt_svga3d_point_scale_applies has the rule) */
        for (uint32_t s = 0; s < ctx->nstages; s++) {
            int k = ctx->samplers[s].tc_slot;
            if (k >= 0) {
                sprite_planes(pl + 3 * k, ctx->tc_n[s], size,
                              ctx->tc_q[s] && ctx->samplers[s].ncoord == 2 ? 1.0f : 0.0f);
                if (ctx->tc_q[s]) {
                    /* the divisor is 1 wherever it is: behind a vertex
                     * shader a projected stage divides by z or w
                     * (tc_qoff), not by the component after u, v (w) */
                    float *q = pl + 3 * (k + ctx->tc_qoff[s]);
                    q[0] = 1.0f;
                    q[1] = q[2] = 0.0f;
                }
            }
        }
    }
    commit_prim(S);
}

/* ---- clipping ----------------------------------------------------------------------- */

#define NPLANES  (6 + VGT_SOFT_MAX_CLIP_PLANES)
#define MAX_POLY (3 + NPLANES)

static inline float plane_dist(const setup *S, uint32_t pl, const soft_vtx *v)
{
    const float *c = v->clip;
    switch (pl) {
    case 0:
        return c[2]; /* near: z >= 0 */
    case 1:
        return c[3] - c[2]; /* far: z <= w */
    case 2:
        return c[0] + S->gx * c[3];
    case 3:
        return S->gx * c[3] - c[0];
    case 4:
        return c[1] + S->gy * c[3];
    case 5:
        return S->gy * c[3] - c[1];
    default:
        return v->ucd[pl - 6];
    }
}

static uint32_t outcode(const setup *S, const soft_vtx *v)
{
    uint32_t code = 0;
    uint32_t planes = 6 + VGT_SOFT_MAX_CLIP_PLANES;
    for (uint32_t pl = 0; pl < planes; pl++) {
        if (pl >= 6 && !(S->st->clip_plane_enable & (1u << (pl - 6)))) {
            continue;
        }
        float d = plane_dist(S, pl, v);
        if (!(d >= 0.0f)) {
            code |= 1u << pl;
        }
    }
    return code;
}

static void lerp_vtx(const soft_vtx *in, const soft_vtx *out, float t, soft_vtx *r)
{
    /* always from the inside vertex towards the outside one, so a shared edge
     * clips to the same point from both of its triangles */
    const float *a = (const float *)in, *b = (const float *)out;
    float *o = (float *)r;
    for (size_t i = 0; i < sizeof(soft_vtx) / sizeof(float); i++) {
        o[i] = a[i] + (b[i] - a[i]) * t;
    }
}

/* Clips the polygon in[0..n) against the planes in `mask`; returns the new count. */
static uint32_t clip_poly(const setup *S, uint32_t mask, soft_vtx *buf_a, soft_vtx *buf_b,
                          uint32_t n, soft_vtx **result)
{
    soft_vtx *in = buf_a, *out = buf_b;
    for (uint32_t pl = 0; pl < NPLANES && n >= 2; pl++) {
        if (!(mask & (1u << pl))) {
            continue;
        }
        uint32_t m = 0;
        for (uint32_t i = 0; i < n; i++) {
            const soft_vtx *a = &in[i], *b = &in[(i + 1) % n];
            float da = plane_dist(S, pl, a), db = plane_dist(S, pl, b);
            bool ia = da >= 0.0f, ib = db >= 0.0f;
            if (ia) {
                out[m++] = *a;
            }
            if (ia != ib && m < MAX_POLY) {
                if (ia) {
                    lerp_vtx(a, b, da / (da - db), &out[m++]);
                } else {
                    lerp_vtx(b, a, db / (db - da), &out[m++]);
                }
            }
        }
        soft_vtx *t = in;
        in = out;
        out = t;
        n = m;
    }
    *result = in;
    return n;
}

/* Clips the segment (a, b) against the planes in mask, in clip_poly's
 * order and with its lerps; false: nothing is left. */
static inline bool clip_seg(const setup *S, uint32_t mask, soft_vtx *a, soft_vtx *b)
{
    for (uint32_t pl = 0; pl < NPLANES; pl++) {
        if (!(mask & (1u << pl))) {
            continue;
        }
        float da = plane_dist(S, pl, a), db = plane_dist(S, pl, b);
        bool ia = da >= 0.0f, ib = db >= 0.0f;
        if (!ia && !ib) {
            return false;
        }
        soft_vtx t;
        if (ia && !ib) {
            lerp_vtx(a, b, da / (da - db), &t);
            *b = t;
        } else if (!ia && ib) {
            lerp_vtx(b, a, db / (db - da), &t);
            *a = t;
        }
    }
    return true;
}

static bool culled(const setup *S, bool ccw)
{
    bool front = (S->st->front_winding == VGT_SVGA3D_FRONTWINDING_CW) ? !ccw : ccw;
    switch (S->st->cull_face) {
    case VGT_SVGA3D_FACE_FRONT:
        return front;
    case VGT_SVGA3D_FACE_BACK:
        return !front;
    case VGT_SVGA3D_FACE_FRONT_BACK:
        return true;
    default:
        return false;
    }
}

/* Whether triangle (a, b, c) of either winding covers pixel (px, py), by
 * setup_tri's edges and fill rule. */
static bool tri_covers(const svtx *a, const svtx *b, const svtx *c, int64_t px, int64_t py)
{
    int64_t area = (b->fx - a->fx) * (c->fy - a->fy) - (c->fx - a->fx) * (b->fy - a->fy);
    if (area == 0) {
        return false;
    }
    if (area < 0) {
        const svtx *t = b;
        b = c;
        c = t;
    }
    const svtx *v[3] = {a, b, c};
    for (int e = 0; e < 3; e++) {
        const svtx *s = v[e], *t = v[(e + 1) % 3];
        int64_t dx = t->fx - s->fx, dy = t->fy - s->fy;
        int64_t ec = -dx * s->fy + dy * s->fx;
        bool top_left = (dy == 0 && dx > 0) || dy < 0;
        if (!top_left) {
            ec -= 1;
        }
        if (-dy * SOFT_SUBPIXEL * px + dx * SOFT_SUBPIXEL * py + ec < 0) {
            return false;
        }
    }
    return true;
}

/* The guard band's planes (2..5): a part beyond them lies outside the
 * viewport, so clipping there removes nothing the probe can see. */
#define PLANES_GUARD 0x3Cu

/* Whether the pieces of a primitive as setup draws them (sv[0..n): a
 * polygon's screen vertices, tri; or a line's two ends) cover the probed
 * pixel by the rasterizer's own rules and the fill mode: a solid
 * polygon's fan (setup_tri's edges), a wireframe one's edges as lines, a
 * point-filled one's vertices as points (setup_line, setup_point), a line
 * by its walk. */
static bool probe_pieces_cover(const setup *S, const svtx *sv, uint32_t n, bool tri)
{
    const soft_probe *pb = S->ctx->probe;
    uint32_t fill = tri ? S->st->fill_mode : VGT_SVGA3D_FILLMODE_LINE;
    if (fill == VGT_SVGA3D_FILLMODE_POINT) {
        for (uint32_t i = 0; i < n; i++) {
            float size;
            int64_t minx, miny, maxx, maxy;
            point_square(&sv[i], &size, &minx, &miny, &maxx, &maxy);
            if (pb->x >= minx && pb->x <= maxx && pb->y >= miny && pb->y <= maxy) {
                return true;
            }
        }
        return false;
    }
    if (fill == VGT_SVGA3D_FILLMODE_LINE) {
        uint32_t edges = tri ? n : 1;
        for (uint32_t i = 0; i < edges; i++) {
            const svtx *a = &sv[i], *b = &sv[(i + 1) % n];
            if ((a->x != b->x || a->y != b->y) &&
                soft_line_covers(a->x, a->y, b->x, b->y, S->st->last_pixel, pb->x, pb->y)) {
                return true;
            }
        }
        return false;
    }
    for (uint32_t i = 1; i + 1 < n; i++) {
        if (tri_covers(&sv[0], &sv[i], &sv[i + 1], pb->x, pb->y)) {
            return true;
        }
    }
    return false;
}

/* A culled polygon (n screen vertices) covering the probed pixel by its
 * fill mode's footprint: one fragment, its fate the face culled (Direct3D
 * 9 culls before the scissor and every per-pixel test: nothing else is
 * known of it). */
static __attribute__((noinline, cold)) void probe_culled(setup *S, const svtx *sv, uint32_t n,
                                                         bool ccw)
{
    if (probe_pieces_cover(S, sv, n, true)) {
        vgt_soft_fragment *f = soft_probe_slot(S->ctx->probe, S->cur);
        if (f) {
            bool front = (S->st->front_winding == VGT_SVGA3D_FRONTWINDING_CW) ? !ccw : ccw;
            f->fate = front ? VGT_SOFT_FATE_CULLED_FRONT : VGT_SOFT_FATE_CULLED_BACK;
        }
    }
}

/* The footprint is bounded by the guard band's planes (PLANES_GUARD).
 * Being homogeneous (x >= -g w, x <= g w, ...), together they keep w >= 0
 * only: the part of the primitive in front of the eye, which is what the
 * pixels' view rays can meet (a vertex behind the eye has no projection
 * of its own); w = 0 is left only at x = y = 0, the eye itself, where
 * to_screen refuses the vertex.  Polygons are bounded by clip_poly,
 * segments by clip_seg, as the draws clip them. */

/* Whether the segment (a, b), clipped by the planes of mask as the draws
 * clip it (clip_seg; PLANES_GUARD: the footprint's bound), covers the
 * probed pixel by the line walk. */
static bool probe_seg_covers(const setup *S, const soft_vtx *a, const soft_vtx *b, uint32_t mask)
{
    const soft_probe *pb = S->ctx->probe;
    soft_vtx ca = *a, cb = *b;
    svtx sa, sb;
    return clip_seg(S, mask, &ca, &cb) && to_screen(S, &ca, &sa) && to_screen(S, &cb, &sb) &&
           (sa.x != sb.x || sa.y != sb.y) &&
           soft_line_covers(sa.x, sa.y, sb.x, sb.y, S->st->last_pixel, pb->x, pb->y);
}

/* Whether the solid triangle v, clipped by the planes of mask as the
 * clipper clips it (clip_poly), covers the probed pixel once projected by
 * to_screen (a piece with a vertex it refuses is dropped by setup: none)
 * under the fill rules (probe_pieces_cover). */
static bool probe_tri_piece_covers(const setup *S, const soft_vtx *const *v, uint32_t mask)
{
    soft_vtx buf_a[MAX_POLY], buf_b[MAX_POLY], *poly;
    for (uint32_t i = 0; i < 3; i++) {
        buf_a[i] = *v[i];
    }
    uint32_t m = clip_poly(S, mask, buf_a, buf_b, 3, &poly);
    svtx sv[MAX_POLY];
    for (uint32_t i = 0; i < m; i++) {
        if (!to_screen(S, &poly[i], &sv[i])) {
            return false;
        }
    }
    return m >= 3 && probe_pieces_cover(S, sv, m, true);
}

/* Whether the unclipped primitive (n 1..3 vertices) covers the probed
 * pixel: its part inside the guard band (PLANES_GUARD: in front of the
 * eye, so a primitive with a vertex behind it keeps the part the pixels'
 * view rays meet; beyond the band nothing reaches the viewport, and the
 * projection stays within the snapping range), projected and snapped as
 * to_screen does, then covered by the fill mode's rules: a solid
 * triangle's fan (tri_covers), a wireframe one's three edges each
 * bounded so, as lines, a point-filled one's vertices in front of the
 * eye as points, a line's walk, a point's square.  With every w > 0 and
 * the guard band not crossed, this is the primitive as drawn with the
 * clip plane moved away. */
static bool probe_footprint_covers(const setup *S, const soft_vtx *const *v, uint32_t n)
{
    const soft_probe *pb = S->ctx->probe;
    uint32_t fill = n == 3 ? S->st->fill_mode : VGT_SVGA3D_FILLMODE_LINE;
    if (n == 1 || fill == VGT_SVGA3D_FILLMODE_POINT) {
        for (uint32_t i = 0; i < n; i++) {
            svtx s;
            float size;
            int64_t minx, miny, maxx, maxy;
            if (!(v[i]->clip[3] > 0.0f) || !to_screen(S, v[i], &s)) {
                continue;
            }
            point_square(&s, &size, &minx, &miny, &maxx, &maxy);
            if (pb->x >= minx && pb->x <= maxx && pb->y >= miny && pb->y <= maxy) {
                return true;
            }
        }
        return false;
    }
    if (n == 2 || fill == VGT_SVGA3D_FILLMODE_LINE) {
        uint32_t edges = n == 3 ? 3 : 1;
        for (uint32_t i = 0; i < edges; i++) {
            if (probe_seg_covers(S, v[i], v[(i + 1) % n], PLANES_GUARD)) {
                return true;
            }
        }
        return false;
    }
    return probe_tri_piece_covers(S, v, PLANES_GUARD);
}

/* Whether the line or triangle (n 2 or 3 vertices) clipped by plane pl
 * alone (and the guard band, as the footprint) covers the probed pixel:
 * its piece made as the clipper makes it (clip_poly, clip_seg, the same
 * lerps; a plane no vertex is outside of changes nothing), projected by
 * to_screen and covered by the fill mode's rules (probe_pieces_cover). */
static bool probe_alone_covers(const setup *S, const soft_vtx *const *v, uint32_t n, uint32_t pl)
{
    uint32_t mask = PLANES_GUARD | 1u << pl;
    if (n == 2) {
        return probe_seg_covers(S, v[0], v[1], mask);
    }
    return probe_tri_piece_covers(S, v, mask);
}

/* A clipped fragment's clip_planes (VGT_SOFT_CLIP_*): the planes that cut
 * the primitive (a vertex outside) each of which alone removes the pixel
 * (probe_alone_covers false).  The fragment is recorded because all of
 * them together do, so one of them alone does but where the pieces' cut
 * edges, snapped to the subpixel grid, meet differently than each cut
 * alone (a pixel within rounding of two cuts' corner): then it names
 * every plane that cut the primitive, never none. */
static uint32_t probe_clip_planes(const setup *S, const soft_vtx *const *v, uint32_t n)
{
    uint32_t cut = 0;
    for (uint32_t i = 0; i < n; i++) {
        cut |= outcode(S, v[i]);
    }
    cut &= ~PLANES_GUARD; /* beyond the guard band nothing reaches the viewport */
    /* a point is removed whole by each plane it is outside of */
    uint32_t alone = n == 1 ? cut : 0u;
    for (uint32_t m = n == 1 ? 0u : cut; m; m &= m - 1) {
        uint32_t pl = (uint32_t)__builtin_ctz(m);
        if (!probe_alone_covers(S, v, n, pl)) {
            alone |= 1u << pl;
        }
    }
    uint32_t planes = alone ? alone : cut;
    /* the clipper's numbering (0 near, 1 far, 6 + i user plane i) to the
     * fragment's */
    return (planes >> 6 & 0x3Fu) | (planes & 1u ? VGT_SOFT_CLIP_NEAR : 0u) |
           (planes & 2u ? VGT_SOFT_CLIP_FAR : 0u);
}

/* A primitive (n 1..3 vertices) that clipping (near, far, user planes)
 * removed whole or in part: one fragment, fate clipped, when its
 * unclipped footprint (probe_footprint_covers) covers the probed pixel
 * and none of the pieces clipping left of it does (pc[0..npc): the
 * clipped polygon, or the clipped line's ends; npc 0 when nothing is
 * left), projected as setup projects them (a piece with a vertex
 * to_screen refuses is dropped there: none), culled ones included; its
 * clip_planes the planes that removed it (probe_clip_planes).  A
 * pixel a piece covers has that piece's fragments instead.  Called from
 * the clip branches only, so it projects the pieces itself: a drawn
 * primitive pays nothing for it. */
static __attribute__((noinline, cold)) void
probe_clipped(setup *S, const soft_vtx *const *v, uint32_t n, const soft_vtx *pc, uint32_t npc)
{
    if (!probe_footprint_covers(S, v, n)) {
        return;
    }
    svtx sv[MAX_POLY];
    bool pieces = npc >= (n == 3 ? 3u : 2u) && npc <= MAX_POLY;
    for (uint32_t i = 0; pieces && i < npc; i++) {
        pieces = to_screen(S, &pc[i], &sv[i]);
    }
    if (pieces && probe_pieces_cover(S, sv, npc, n == 3)) {
        return;
    }
    vgt_soft_fragment *f = soft_probe_slot(S->ctx->probe, S->cur);
    if (f) {
        f->fate = VGT_SOFT_FATE_CLIPPED;
        f->clip_planes = probe_clip_planes(S, v, n);
    }
}

static void flat_colors(const soft_draw_ctx *ctx, const soft_vtx *pv, float out[SOFT_MAX_VARY])
{
    memcpy(out, pv->v, ctx->nflat * sizeof(float));
}

/* ---- cylindrical wrapping (RS WRAPn) ---------------------------------------------------- */

_Static_assert(SOFT_MAX_VARY <= 64, "wrap_mask has one bit per varying float");

/* One edge of Gallium softpipe's rule (sp_setup.c): the coordinate that is
 * more than half a turn behind the other moves one turn forward, so the
 * edge crosses the 1/0 seam instead of running across the texture. */
static inline void wrap_edge(float *a, float *b)
{
    float d = *b - *a;
    if (d > 0.5f) {
        *a += 1.0f;
    } else if (d < -0.5f) {
        *b += 1.0f;
    }
}

/* Wraps the components in ctx->wrap_mask of a triangle's vertices: edges
 * v0-v1, v1-v2, v2-v0 in that order (softpipe's order: its results are
 * ours). */
static void wrap_triangle(const soft_draw_ctx *ctx, soft_vtx *a, soft_vtx *b, soft_vtx *c)
{
    for (uint64_t m = ctx->wrap_mask; m; m &= m - 1) {
        int k = __builtin_ctzll(m);
        wrap_edge(&a->v[k], &b->v[k]);
        wrap_edge(&b->v[k], &c->v[k]);
        wrap_edge(&c->v[k], &a->v[k]);
    }
}

static void wrap_line(const soft_draw_ctx *ctx, soft_vtx *a, soft_vtx *b)
{
    for (uint64_t m = ctx->wrap_mask; m; m &= m - 1) {
        int k = __builtin_ctzll(m);
        wrap_edge(&a->v[k], &b->v[k]);
    }
}

/* The varying floats RS WRAPn applies to: the components (bit j: u, v, w,
 * q) of texture coordinate set n as the rasterizer interpolates it.  With
 * shaders the links name the set (TEXCOORDn, a pixel shader's input or the
 * fixed-function stage's coordinates behind a vertex shader); without, a
 * stage's coordinates come from set TEXCOORDINDEX, laid out u, v (w), then
 * q at tc_qoff. */
static uint64_t wrap_mask(const soft_draw_ctx *ctx, const vgt_soft_draw_state *st)
{
    uint64_t m = 0;
    if (ctx->sh) {
        for (uint32_t i = 0; i < ctx->sh->nlink; i++) {
            const ssh_link *l = &ctx->sh->link[i];
            if (l->usage != VGT_SUSAGE_TEXCOORD || l->index >= VGT_SOFT_MAX_WRAP) {
                continue;
            }
            uint32_t w = st->wrap[l->index];
            for (uint32_t j = 0; j < l->ncomp && j < 4; j++) {
                if ((w >> l->comp[j] & 1u) && l->slot + j < SOFT_MAX_VARY) {
                    m |= 1ull << (l->slot + j);
                }
            }
        }
        return m;
    }
    for (uint32_t s = 0; s < ctx->nstages; s++) {
        const soft_sampler *sm = &ctx->samplers[s];
        if (sm->tc_slot < 0) {
            continue;
        }
        uint32_t w = st->wrap[st->stages[s].texcoord_index & 7u];
        uint32_t k = (uint32_t)sm->tc_slot;
        for (uint32_t j = 0; j < sm->ncoord && j < 3; j++) {
            if (w >> j & 1u) {
                m |= 1ull << (k + j);
            }
        }
        if (ctx->tc_q[s] && (w & 8u)) {
            m |= 1ull << (k + ctx->tc_qoff[s]);
        }
    }
    return m;
}

static void emit_triangle(setup *S, uint32_t i0, uint32_t i1, uint32_t i2, uint32_t provoking)
{
    S->stats.primitives++;
    const soft_vtx *src[3] = {&S->vtx[i0], &S->vtx[i1], &S->vtx[i2]};
    float flat_buf[SOFT_MAX_VARY];
    const float *flat = NULL;
    if (S->ctx->flat_colors) {
        flat_colors(S->ctx, &S->vtx[provoking], flat_buf);
        flat = flat_buf;
    }
    uint32_t codes = 0;
    if (!S->ctx->pretransformed) {
        uint32_t c0 = outcode(S, src[0]), c1 = outcode(S, src[1]), c2 = outcode(S, src[2]);
        if (c0 & c1 & c2) {
            S->stats.primitives_clipped++;
            if (S->probe_inside) {
                probe_clipped(S, src, 3, NULL, 0); /* only here: free for a drawn primitive */
            }
            return;
        }
        codes = c0 | c1 | c2;
    }
    soft_vtx buf_a[MAX_POLY], buf_b[MAX_POLY], *poly = buf_a;
    uint32_t n = 3;
    for (int i = 0; i < 3; i++) {
        buf_a[i] = *src[i];
    }
    /* before clipping: the clipped polygon's new vertices then lie on the
     * wrapped edges, and a clipped triangle shows the pixels it would show
     * unclipped (the gl backend's geometry shader also runs before GL
     * clips) */
    wrap_triangle(S->ctx, &buf_a[0], &buf_a[1], &buf_a[2]);
    if (codes) {
        n = clip_poly(S, codes, buf_a, buf_b, 3, &poly);
        if ((codes & ~PLANES_GUARD) && S->probe_inside) {
            /* what clipping removed of it (all of it when several planes
             * each removed a part) */
            probe_clipped(S, src, 3, poly, n);
        }
        if (n < 3) {
            S->stats.primitives_clipped++;
            return;
        }
    }
    svtx sv[MAX_POLY];
    for (uint32_t i = 0; i < n; i++) {
        if (!to_screen(S, &poly[i], &sv[i])) {
            S->stats.primitives_clipped++;
            return;
        }
    }
    /* the polygon is planar and convex: its winding is that of any
     * non-degenerate fan triangle */
    int64_t area = 0;
    for (uint32_t i = 1; i + 1 < n && area == 0; i++) {
        area = (sv[i].fx - sv[0].fx) * (sv[i + 1].fy - sv[0].fy) -
               (sv[i + 1].fx - sv[0].fx) * (sv[i].fy - sv[0].fy);
    }
    if (area == 0) {
        return;
    }
    if (culled(S, area < 0)) {
        S->stats.primitives_culled++;
        if (S->probe_inside) {
            probe_culled(S, sv, n, area < 0); /* only here: free for a drawn primitive */
        }
        return;
    }
    switch (S->st->fill_mode) {
    case VGT_SVGA3D_FILLMODE_POINT:
        /* Direct3D 9's flat shading colours the whole triangle with its
         * first vertex, the points of point fill as the lines of line fill
         * (the reference rasterizer draws them with the flat vertex; Wine's
         * GL polygon mode and the gl backend do too) */
        for (uint32_t i = 0; i < n; i++) {
            setup_point(S, &sv[i], flat, area < 0);
        }
        break;
    case VGT_SVGA3D_FILLMODE_LINE:
        for (uint32_t i = 0; i < n; i++) {
            setup_line(S, &sv[i], &sv[(i + 1) % n], flat, area < 0);
        }
        break;
    default:
        for (uint32_t i = 1; i + 1 < n; i++) {
            setup_tri(S, &sv[0], &sv[i], &sv[i + 1], flat);
        }
        break;
    }
}

static void emit_line(setup *S, uint32_t i0, uint32_t i1)
{
    S->stats.primitives++;
    soft_vtx a = S->vtx[i0], b = S->vtx[i1];
    float flat_buf[SOFT_MAX_VARY];
    const float *flat = NULL;
    if (S->ctx->flat_colors) {
        flat_colors(S->ctx, &a, flat_buf);
        flat = flat_buf;
    }
    wrap_line(S->ctx, &a, &b); /* before clipping, as triangles */
    if (!S->ctx->pretransformed) {
        uint32_t ca = outcode(S, &a), cb = outcode(S, &b);
        if (ca & cb) {
            S->stats.primitives_clipped++;
            if (S->probe_inside) {
                const soft_vtx *v[2] = {&S->vtx[i0], &S->vtx[i1]};
                probe_clipped(S, v, 2, NULL, 0);
            }
            return;
        }
        if (!clip_seg(S, ca | cb, &a, &b)) {
            S->stats.primitives_clipped++;
            if (S->probe_inside) {
                /* cut to nothing by several planes */
                const soft_vtx *v[2] = {&S->vtx[i0], &S->vtx[i1]};
                probe_clipped(S, v, 2, NULL, 0);
            }
            return;
        }
        if (((ca | cb) & ~PLANES_GUARD) && S->probe_inside) {
            /* what clipping removed of it */
            const soft_vtx *v[2] = {&S->vtx[i0], &S->vtx[i1]}, pc[2] = {a, b};
            probe_clipped(S, v, 2, pc, 2);
        }
    }
    svtx sa, sb;
    if (!to_screen(S, &a, &sa) || !to_screen(S, &b, &sb)) {
        S->stats.primitives_clipped++;
        return;
    }
    setup_line(S, &sa, &sb, flat, false);
}

static void emit_point(setup *S, uint32_t i0)
{
    S->stats.primitives++;
    const soft_vtx *a = &S->vtx[i0];
    if (!S->ctx->pretransformed && outcode(S, a)) {
        S->stats.primitives_clipped++;
        if (S->probe_inside) {
            probe_clipped(S, &a, 1, NULL, 0);
        }
        return;
    }
    svtx sa;
    if (!to_screen(S, a, &sa)) {
        S->stats.primitives_clipped++;
        return;
    }
    setup_point(S, &sa, NULL, false);
}

/* ---- the draw ---------------------------------------------------------------------- */

static void band_job(void *arg, uint32_t item, uint32_t worker)
{
    (void)worker;
    soft_raster_band(arg, item);
}

static vgt_status vertex_count(uint32_t type, uint32_t prims, uint64_t *n, vgt_error *err)
{
    switch (type) {
    case VGT_SVGA3D_PRIMITIVE_TRIANGLELIST:
        *n = (uint64_t)prims * 3;
        break;
    case VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP:
    case VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN:
        *n = (uint64_t)prims + 2;
        break;
    case VGT_SVGA3D_PRIMITIVE_LINELIST:
        *n = (uint64_t)prims * 2;
        break;
    case VGT_SVGA3D_PRIMITIVE_LINESTRIP:
        *n = (uint64_t)prims + 1;
        break;
    case VGT_SVGA3D_PRIMITIVE_POINTLIST:
        *n = prims;
        break;
    default:
        return vgt_error_set(err, VGT_E_INVALID, "primitive type %u: expected 1..6", type);
    }
    return VGT_OK;
}

vgt_status vgt_soft_draw(vgt_soft_device *dev, const vgt_soft_draw_state *st,
                         const vgt_soft_draw_call *call, vgt_soft_draw_stats *stats, vgt_error *err)
{
    if (stats) {
        memset(stats, 0, sizeof(*stats));
    }
    uint32_t nstages = 0;
    while (!st->ps_program && nstages < VGT_SOFT_MAX_STAGES &&
           st->stages[nstages].color_op != VGT_SVGA3D_TC_DISABLE) {
        nstages++; /* a pixel shader replaces the texture stages */
    }
    vgt_status rc = validate_state(st, nstages, err);
    if (rc) {
        return rc;
    }
    uint64_t nverts = 0;
    if ((rc = vertex_count(call->primitive_type, call->primitive_count, &nverts, err))) {
        return rc;
    }
    if (call->primitive_count > VGT_SOFT_MAX_PRIMITIVES) {
        return vgt_error_set(err, VGT_E_RANGE, "%u primitives in one draw: at most %u",
                             call->primitive_count, VGT_SOFT_MAX_PRIMITIVES);
    }
    if (call->primitive_count == 0) {
        return VGT_OK;
    }
    soft_draw_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.st = st;
    ctx.nstages = nstages;
    ctx.flat_colors = st->shade_mode == VGT_SVGA3D_SHADEMODE_FLAT;
    ctx.nflat = SOFT_V_FOG;
    ctx.pixel_fog = st->fog_enable && st->fog_type == VGT_SVGA3D_FOGTYPE_PIXEL &&
                    st->fog_function != VGT_SVGA3D_FOGFUNC_PER_VERTEX;

    /* targets and pixel bounds */
    int64_t bx0 = 0, by0 = 0, bx1 = INT32_MAX, by1 = INT32_MAX;
    soft_level *clv[VGT_SOFT_MAX_COLOR_TARGETS] = {NULL}, *dlv = NULL;
    bool any_color = false;
    for (uint32_t i = 0; i < VGT_SOFT_MAX_COLOR_TARGETS; i++) {
        const vgt_soft_view *v = i ? &st->more_color_targets[i - 1] : &st->color_target;
        if (!v->surface) {
            continue;
        }
        const vgt_soft_surface *s = v->surface;
        clv[i] = soft_surface_level(s, v->face, v->mip, err);
        if (!clv[i]) {
            vgt_error_prefix(err, "render target %u", i);
            return VGT_E_RANGE;
        }
        if (!s->fmt->encode || !s->fmt->info.renderable) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "render target %u format %s is not renderable", i,
                                 s->fmt->info.name);
        }
        ctx.rt[i] = (soft_target){s->data + clv[i]->offset, clv[i]->row_pitch, s->fmt,
                                  i ? st->more_color_write_masks[i - 1] : st->color_write_mask};
        /* the targets should be one size (the executor checks); never
         * write outside the smallest */
        bx1 = clv[i]->width < bx1 ? clv[i]->width : bx1;
        by1 = clv[i]->height < by1 ? clv[i]->height : by1;
        any_color = true;
    }
    if (st->depth_target.surface) {
        const vgt_soft_surface *s = st->depth_target.surface;
        dlv = soft_surface_level(s, st->depth_target.face, st->depth_target.mip, err);
        if (!dlv) {
            vgt_error_prefix(err, "depth target");
            return VGT_E_RANGE;
        }
        if (!s->fmt->info.depth) {
            return vgt_error_set(err, VGT_E_INVALID, "depth target format %s is not a depth format",
                                 s->fmt->info.name);
        }
        ctx.depth = s->data + dlv->offset;
        ctx.depth_pitch = dlv->row_pitch;
        ctx.dfmt = s->desc.format;
        bx1 = dlv->width < bx1 ? dlv->width : bx1;
        by1 = dlv->height < by1 ? dlv->height : by1;
    }
    if (!any_color && !dlv) {
        bx1 = by1 = 0;
    }
    /* the probe, when this draw writes its image */
    bool probe_scissor = false, probe_inside = false;
    int64_t ux1 = bx1, uy1 = by1; /* the targets' size */
    soft_probe *pb = &dev->probe;
    uint32_t probe_first = pb->count;
    if (pb->on) {
        /* the colour target the image is bound at, when the draw writes it:
         * COLOR0, or COLORn under a pixel shader writing oCn */
        uint32_t written = st->ps_program ? st->ps_program->color_outputs | 1u : 1u;
        for (uint32_t i = 0; i < VGT_SOFT_MAX_COLOR_TARGETS && !ctx.probe; i++) {
            const vgt_soft_view *v = i ? &st->more_color_targets[i - 1] : &st->color_target;
            if (v->surface == pb->surface && v->face == pb->face && v->mip == pb->mip &&
                (written & (1u << i))) {
                ctx.probe = pb;
                pb->target = i;
                pb->write_mask = ctx.rt[i].write_mask;
                pb->blend = st->blend_enable;
                pb->shader = st->ps_program != NULL;
                pb->depth = pb->z_write = false;
            }
        }
        /* else its depth/stencil target, when the draw tests depth or
         * stencil (one that tests neither leaves the buffer alone); a
         * fragment's colour does not go there */
        const vgt_soft_view *dv = &st->depth_target;
        if (!ctx.probe && ctx.depth && (st->z_enable || st->stencil_enable) &&
            dv->surface == pb->surface && dv->face == pb->face && dv->mip == pb->mip) {
            ctx.probe = pb;
            pb->target = pb->write_mask = 0;
            pb->blend = pb->shader = false;
            pb->depth = true;
            pb->z_write = st->z_enable && st->z_write; /* ds_test writes depth only then */
        }
    }
    {
        int64_t vx0 = st->viewport.x, vy0 = st->viewport.y;
        int64_t vx1 = vx0 + st->viewport.w, vy1 = vy0 + st->viewport.h;
        bx0 = vx0 > bx0 ? vx0 : bx0;
        by0 = vy0 > by0 ? vy0 : by0;
        bx1 = vx1 < bx1 ? vx1 : bx1;
        by1 = vy1 < by1 ? vy1 : by1;
        if (st->scissor_enable) {
            int64_t sx0 = st->scissor.x, sy0 = st->scissor.y;
            int64_t sx1 = sx0 + st->scissor.w, sy1 = sy0 + st->scissor.h;
            bx0 = sx0 > bx0 ? sx0 : bx0;
            by0 = sy0 > by0 ? sy0 : by0;
            bx1 = sx1 < bx1 ? sx1 : bx1;
            by1 = sy1 < by1 ? sy1 : by1;
        }
        if (ctx.probe) {
            /* the probed pixel inside the viewport and the targets (a
             * culled triangle there is recorded), and outside the scissor
             * (setup_tri records its coverage) */
            int64_t qx = ctx.probe->x, qy = ctx.probe->y;
            probe_inside = qx >= (vx0 > 0 ? vx0 : 0) && qy >= (vy0 > 0 ? vy0 : 0) && qx < vx1 &&
                           qy < vy1 && qx < ux1 && qy < uy1;
            probe_scissor = st->scissor_enable && probe_inside &&
                            !(qx >= bx0 && qy >= by0 && qx < bx1 && qy < by1);
        }
        if (bx1 < bx0) {
            bx1 = bx0;
        }
        if (by1 < by0) {
            by1 = by0;
        }
        ctx.x0 = (int32_t)bx0;
        ctx.y0 = (int32_t)by0;
        ctx.x1 = (int32_t)bx1;
        ctx.y1 = (int32_t)by1;
    }
    if (st->viewport.w > VGT_SOFT_MAX_DIMENSION || st->viewport.h > VGT_SOFT_MAX_DIMENSION) {
        return vgt_error_set(err, VGT_E_RANGE, "viewport %ux%u: at most %u", st->viewport.w,
                             st->viewport.h, VGT_SOFT_MAX_DIMENSION);
    }

    for (uint32_t i = 0; i < st->element_count; i++) {
        if (st->elements[i].usage == VGT_SVGA3D_DECLUSAGE_POSITIONT &&
            st->elements[i].usage_index == 0) {
            ctx.pretransformed = !st->vs_program; /* a vertex shader reads it as an input */
        }
    }

    /* texture stages: u, v per sampled stage, w (cube and volume
     * textures), then q (projected coordinates) */
    uint32_t nvary = SOFT_V_TEX;
    for (uint32_t s = 0; s < nstages; s++) {
        soft_sampler *sm = &ctx.samplers[s];
        sm->tc_slot = -1;
        const vgt_soft_stage *g = &st->stages[s];
        if (g->texture && stage_uses_texture(g)) {
            vgt_svga3d_texcoord_plan mode = {0, 0, -1, 3};
            if ((rc = soft_setup_sampler(sm, g, s, err))) {
                return rc;
            }
            if (st->vs_program) {
                /* the vertex shader's oT# as it is, divided by its z or w */
                vgt_svga3d_texcoord_plan_behind_vs(g->transform_flags, &mode);
            } else if ((rc = soft_texcoord_plan(g, s, ctx.pretransformed, &mode, err))) {
                return rc;
            }
            sm->tc_slot = (int)nvary;
            ctx.tc_q[s] = mode.proj >= 0;
            ctx.tc_keep[s] = (uint8_t)mode.keep;
            if (st->vs_program && ctx.tc_q[s]) {
                ctx.tc_qoff[s] = (uint8_t)mode.proj;
                ctx.tc_n[s] = (uint8_t)(mode.proj >= (int)sm->ncoord ? mode.proj + 1 : sm->ncoord);
            } else {
                /* fixed-function vertices: q after u, v (and w) */
                ctx.tc_qoff[s] = sm->ncoord;
                ctx.tc_n[s] = (uint8_t)(sm->ncoord + (ctx.tc_q[s] ? 1u : 0u));
            }
            nvary += ctx.tc_n[s];
        }
    }
    for (uint32_t s = 1; s < nstages; s++) {
        /* the offset moves (u, v) only: a cube direction or a volume's w
         * has no rule to take from Direct3D 9's bump formulas */
        if (st->stages[s - 1].color_op == VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE &&
            ctx.samplers[s].tc_slot >= 0 && ctx.samplers[s].ncoord != 2) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "texture stage %u: BUMPENVMAPLUMINANCE of stage %u perturbs a "
                                 "cube or volume texture (2D textures only)",
                                 s, s - 1);
        }
    }
    ctx.nvary = nvary;
    soft_shader_draw shd;
    if (st->vs_program || st->ps_program) {
        /* the pixel shader's samplers and varyings, the constants */
        if ((rc = soft_shader_draw_setup(st, &ctx, &shd, err))) {
            return rc;
        }
        ctx.sh = &shd;
    }
    ctx.wrap_mask = wrap_mask(&ctx, st);
    soft_d3dcolor_to_float(st->blend_color, ctx.blend_color);
    soft_d3dcolor_to_float(st->texture_factor, ctx.tfactor);
    soft_d3dcolor_to_float(st->fog_color, ctx.fog_color);

    /* indices */
    uint32_t *idx = grow((void **)&dev->idx, &dev->idx_cap, (size_t)nverts, sizeof(uint32_t));
    if (!idx) {
        return vgt_error_set(err, VGT_E_NOMEM, "cannot allocate %llu indices",
                             (unsigned long long)nverts);
    }
    if (call->indices) {
        if (call->index_size != 2 && call->index_size != 4) {
            return vgt_error_set(err, VGT_E_INVALID, "index size %u: expected 2 or 4",
                                 call->index_size);
        }
        if (!vgt_range_inside(call->index_offset, nverts * call->index_size, call->index_length)) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "%llu %u-byte indices at offset %u do not fit in the %zu-byte "
                                 "index buffer",
                                 (unsigned long long)nverts, call->index_size, call->index_offset,
                                 call->index_length);
        }
    }
    uint32_t vmin = UINT32_MAX, vmax = 0;
    for (uint64_t i = 0; i < nverts; i++) {
        int64_t raw;
        if (call->indices) {
            const uint8_t *p = call->indices + call->index_offset + i * call->index_size;
            raw = call->index_size == 2 ? vgt_load_le16(p) : vgt_load_le32(p);
        } else {
            raw = (int64_t)i;
        }
        int64_t v = raw + call->base_vertex;
        if (v < 0 || v > UINT32_MAX) {
            return vgt_error_set(
                err, VGT_E_RANGE, "vertex %llu: index %lld + base vertex %d = %lld is out of range",
                (unsigned long long)i, (long long)raw, call->base_vertex, (long long)v);
        }
        idx[i] = (uint32_t)v;
        vmin = idx[i] < vmin ? idx[i] : vmin;
        vmax = idx[i] > vmax ? idx[i] : vmax;
    }

    /* vertices: transform the used range once when it is dense enough,
     * else each index occurrence on its own */
    uint64_t span = (uint64_t)vmax - vmin + 1;
    bool dense = span <= 2 * nverts + 64;
    size_t nv = dense ? (size_t)span : (size_t)nverts;
    soft_vtx *vtx = grow((void **)&dev->vtx, &dev->vtx_cap, nv, sizeof(soft_vtx));
    if (!vtx) {
        return vgt_error_set(err, VGT_E_NOMEM, "cannot allocate %zu vertices", nv);
    }
    uint32_t *list = NULL;
    if (dense) {
        list = grow((void **)&dev->list, &dev->list_cap, nv, sizeof(uint32_t));
        if (!list) {
            return vgt_error_set(err, VGT_E_NOMEM, "cannot allocate %zu vertices", nv);
        }
        for (size_t i = 0; i < nv; i++) {
            list[i] = vmin + (uint32_t)i;
        }
        rc = soft_process_vertices(st, &ctx, list, nv, vtx, err);
        for (uint64_t i = 0; i < nverts; i++) {
            idx[i] -= vmin;
        }
    } else {
        rc = soft_process_vertices(st, &ctx, idx, nv, vtx, err);
        for (uint64_t i = 0; i < nverts; i++) {
            idx[i] = (uint32_t)i;
        }
    }
    if (rc) {
        return rc;
    }
    if (stats) {
        stats->vertices = nv;
    }
    if ((ctx.x0 >= ctx.x1 || ctx.y0 >= ctx.y1) && !probe_scissor && !probe_inside) {
        return VGT_OK; /* nothing can be drawn (the probe: nor seen) */
    }

    /* primitives */
    setup S;
    memset(&S, 0, sizeof(S));
    S.dev = dev;
    S.ctx = &ctx;
    S.st = st;
    S.vtx = vtx;
    S.vp_x = (float)st->viewport.x;
    S.vp_y = (float)st->viewport.y;
    S.vp_w = (float)st->viewport.w;
    S.vp_h = (float)st->viewport.h;
    S.gx = 1.0f + 2.0f * VGT_SOFT_GUARD_BAND / (S.vp_w > 1.0f ? S.vp_w : 1.0f);
    S.gy = 1.0f + 2.0f * VGT_SOFT_GUARD_BAND / (S.vp_h > 1.0f ? S.vp_h : 1.0f);
    S.probe_scissor = probe_scissor;
    S.probe_inside = probe_inside;
    uint32_t np = call->primitive_count;
    for (uint32_t i = 0; i < np && !S.oom; i++) {
        S.cur = i;
        switch (call->primitive_type) {
        case VGT_SVGA3D_PRIMITIVE_TRIANGLELIST:
            emit_triangle(&S, idx[3 * i], idx[3 * i + 1], idx[3 * i + 2], idx[3 * i]);
            break;
        case VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP:
            if (i & 1) {
                emit_triangle(&S, idx[i], idx[i + 2], idx[i + 1], idx[i]);
            } else {
                emit_triangle(&S, idx[i], idx[i + 1], idx[i + 2], idx[i]);
            }
            break;
        case VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN:
            emit_triangle(&S, idx[0], idx[i + 1], idx[i + 2], idx[i + 1]);
            break;
        case VGT_SVGA3D_PRIMITIVE_LINELIST:
            emit_line(&S, idx[2 * i], idx[2 * i + 1]);
            break;
        case VGT_SVGA3D_PRIMITIVE_LINESTRIP:
            emit_line(&S, idx[i], idx[i + 1]);
            break;
        default:
            emit_point(&S, idx[i]);
            break;
        }
    }
    if (S.oom) {
        return vgt_error_set(err, VGT_E_NOMEM, "cannot allocate the primitives of a draw");
    }
    if (stats) {
        stats->primitives = S.stats.primitives;
        stats->primitives_culled = S.stats.primitives_culled;
        stats->primitives_clipped = S.stats.primitives_clipped;
    }
    if (ctx.nprims == 0) {
        return VGT_OK;
    }

    /* rasterize */
    ctx.nbands = (uint32_t)((ctx.y1 - ctx.y0 + SOFT_BAND_ROWS - 1) / SOFT_BAND_ROWS);
    ctx.band_pixels =
        grow((void **)&dev->band_pixels, &dev->band_cap, ctx.nbands, sizeof(uint64_t));
    if (!ctx.band_pixels) {
        return vgt_error_set(err, VGT_E_NOMEM, "cannot allocate the bands");
    }
    /* bin the primitives by band (two passes: count, then fill) */
    ctx.bin_start = grow((void **)&dev->bin_start, &dev->bin_start_cap, (size_t)ctx.nbands + 1,
                         sizeof(uint32_t));
    if (!ctx.bin_start) {
        return vgt_error_set(err, VGT_E_NOMEM, "cannot allocate the bins");
    }
    memset(ctx.bin_start, 0, ((size_t)ctx.nbands + 1) * sizeof(uint32_t));
    uint64_t nitems = 0;
    for (uint32_t i = 0; i < ctx.nprims; i++) {
        const soft_prim *p = &ctx.prims[i];
        uint32_t b0 = (uint32_t)(p->miny - ctx.y0) / SOFT_BAND_ROWS;
        uint32_t b1 = (uint32_t)(p->maxy - ctx.y0) / SOFT_BAND_ROWS;
        for (uint32_t b = b0; b <= b1; b++) {
            ctx.bin_start[b + 1]++;
        }
        nitems += b1 - b0 + 1;
    }
    if (nitems > UINT32_MAX) {
        return vgt_error_set(err, VGT_E_NOMEM, "too many primitive/band pairs in one draw");
    }
    for (uint32_t b = 0; b < ctx.nbands; b++) {
        ctx.bin_start[b + 1] += ctx.bin_start[b];
    }
    ctx.bin_items =
        grow((void **)&dev->bin_items, &dev->bin_items_cap, (size_t)nitems + 1, sizeof(uint32_t));
    uint32_t *fill =
        grow((void **)&dev->bin_fill, &dev->bin_fill_cap, (size_t)ctx.nbands + 1, sizeof(uint32_t));
    if (!ctx.bin_items || !fill) {
        return vgt_error_set(err, VGT_E_NOMEM, "cannot allocate the bins");
    }
    memcpy(fill, ctx.bin_start, ((size_t)ctx.nbands + 1) * sizeof(uint32_t));
    for (uint32_t i = 0; i < ctx.nprims; i++) {
        const soft_prim *p = &ctx.prims[i];
        uint32_t b0 = (uint32_t)(p->miny - ctx.y0) / SOFT_BAND_ROWS;
        uint32_t b1 = (uint32_t)(p->maxy - ctx.y0) / SOFT_BAND_ROWS;
        for (uint32_t b = b0; b <= b1; b++) {
            ctx.bin_items[fill[b]++] = i;
        }
    }
    uint64_t work = 0;
    for (uint32_t i = 0; i < ctx.nprims && work < 8192; i++) {
        const soft_prim *p = &ctx.prims[i];
        work += (uint64_t)(p->maxx - p->minx + 1) * (uint64_t)(p->maxy - p->miny + 1);
    }
    if (work >= 8192) {
        soft_pool_run(&dev->pool, band_job, &ctx, ctx.nbands);
    } else {
        for (uint32_t b = 0; b < ctx.nbands; b++) {
            soft_raster_band(&ctx, b);
        }
    }
    if (stats) {
        for (uint32_t b = 0; b < ctx.nbands; b++) {
            stats->pixels_passed += ctx.band_pixels[b];
        }
    }
    if (ctx.probe) {
        probe_in_order(pb, probe_first);
    }
    /* COLOR1..3 change only under a pixel shader writing their oCn */
    uint32_t written = st->ps_program ? st->ps_program->color_outputs | 1u : 1u;
    for (uint32_t i = 0; i < VGT_SOFT_MAX_COLOR_TARGETS; i++) {
        if (clv[i] && (written & (1u << i))) {
            soft_level_touch(clv[i]);
        }
    }
    if (dlv) {
        soft_level_touch(dlv);
    }
    return VGT_OK;
}
