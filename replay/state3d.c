/* state3d.c - SVGA3D contexts: their state (render targets, viewport, z
 * range, scissor, clip planes, render and texture stage states, transforms,
 * lights, materials, shaders and shader constants), the commands that set
 * it, and the resolution of that state into the backend's
 * vgt_backend_draw_state.  Every command validates all of its entries before
 * it changes anything, so a rejected command leaves the context as it was. */
#include "exec3d.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint32_t fbits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static float bitsf(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* ---- defaults (Direct3D 9's initial device state) ----------------------- */

void e3d_context_defaults(e3d_context *c)
{
    for (uint32_t i = 0; i < VGT_SVGA3D_RT_MAX; i++) {
        c->rt[i] = (vgt_svga3d_surface_image_id){VGT_SVGA3D_INVALID_ID, 0, 0};
    }
    c->zrange = (vgt_svga3d_zrange){0.0f, 1.0f};
    uint32_t *rs = c->rs;
    rs[VGT_SVGA3D_RS_ZENABLE] = 1;
    rs[VGT_SVGA3D_RS_ZWRITEENABLE] = 1;
    rs[VGT_SVGA3D_RS_DITHERENABLE] = 0;
    rs[VGT_SVGA3D_RS_LIGHTINGENABLE] = 1;
    rs[VGT_SVGA3D_RS_STENCILREF] = 0;
    rs[VGT_SVGA3D_RS_STENCILMASK] = 0xFFFFFFFFu;
    rs[VGT_SVGA3D_RS_STENCILWRITEMASK] = 0xFFFFFFFFu;
    rs[VGT_SVGA3D_RS_FOGSTART] = fbits(0.0f);
    rs[VGT_SVGA3D_RS_FOGEND] = fbits(1.0f);
    rs[VGT_SVGA3D_RS_FOGDENSITY] = fbits(1.0f);
    rs[VGT_SVGA3D_RS_POINTSIZE] = fbits(1.0f);
    rs[VGT_SVGA3D_RS_POINTSIZEMIN] = fbits(1.0f);
    rs[VGT_SVGA3D_RS_POINTSIZEMAX] = fbits(64.0f);
    rs[VGT_SVGA3D_RS_POINTSCALE_A] = fbits(1.0f);
    rs[VGT_SVGA3D_RS_POINTSCALE_B] = fbits(0.0f);
    rs[VGT_SVGA3D_RS_POINTSCALE_C] = fbits(0.0f);
    rs[VGT_SVGA3D_RS_FOGMODE] = VGT_SVGA3D_FOGMODE(
        VGT_SVGA3D_FOGFUNC_EXP, VGT_SVGA3D_FOGTYPE_VERTEX, VGT_SVGA3D_FOGBASE_DEPTHBASED);
    rs[VGT_SVGA3D_RS_FILLMODE] =
        VGT_SVGA3D_FILLMODE(VGT_SVGA3D_FILLMODE_FILL, VGT_SVGA3D_FACE_FRONT_BACK);
    rs[VGT_SVGA3D_RS_SHADEMODE] = VGT_SVGA3D_SHADEMODE_SMOOTH;
    rs[VGT_SVGA3D_RS_SRCBLEND] = VGT_SVGA3D_BLENDOP_ONE;
    rs[VGT_SVGA3D_RS_DSTBLEND] = VGT_SVGA3D_BLENDOP_ZERO;
    rs[VGT_SVGA3D_RS_BLENDEQUATION] = VGT_SVGA3D_BLENDEQ_ADD;
    rs[VGT_SVGA3D_RS_CULLMODE] = VGT_SVGA3D_FACE_BACK; /* with CW front: D3DCULL_CCW */
    rs[VGT_SVGA3D_RS_FRONTWINDING] = VGT_SVGA3D_FRONTWINDING_CW;
    rs[VGT_SVGA3D_RS_ZFUNC] = VGT_SVGA3D_CMP_LESSEQUAL;
    rs[VGT_SVGA3D_RS_ALPHAFUNC] = VGT_SVGA3D_CMP_ALWAYS;
    rs[VGT_SVGA3D_RS_STENCILFUNC] = VGT_SVGA3D_CMP_ALWAYS;
    rs[VGT_SVGA3D_RS_STENCILFAIL] = VGT_SVGA3D_STENCILOP_KEEP;
    rs[VGT_SVGA3D_RS_STENCILZFAIL] = VGT_SVGA3D_STENCILOP_KEEP;
    rs[VGT_SVGA3D_RS_STENCILPASS] = VGT_SVGA3D_STENCILOP_KEEP;
    rs[VGT_SVGA3D_RS_CCWSTENCILFUNC] = VGT_SVGA3D_CMP_ALWAYS;
    rs[VGT_SVGA3D_RS_CCWSTENCILFAIL] = VGT_SVGA3D_STENCILOP_KEEP;
    rs[VGT_SVGA3D_RS_CCWSTENCILZFAIL] = VGT_SVGA3D_STENCILOP_KEEP;
    rs[VGT_SVGA3D_RS_CCWSTENCILPASS] = VGT_SVGA3D_STENCILOP_KEEP;
    rs[VGT_SVGA3D_RS_ALPHAREF] = fbits(0.0f);
    rs[VGT_SVGA3D_RS_COORDINATETYPE] = VGT_SVGA3D_COORDINATE_LEFTHANDED;
    rs[VGT_SVGA3D_RS_COLORWRITEENABLE] = 0xFu;
    rs[VGT_SVGA3D_RS_COLORWRITEENABLE1] = 0xFu;
    rs[VGT_SVGA3D_RS_COLORWRITEENABLE2] = 0xFu;
    rs[VGT_SVGA3D_RS_COLORWRITEENABLE3] = 0xFu;
    rs[VGT_SVGA3D_RS_VERTEXMATERIALENABLE] = 1;
    rs[VGT_SVGA3D_RS_DIFFUSEMATERIALSOURCE] = VGT_SVGA3D_VERTEXMATERIAL_DIFFUSE;
    rs[VGT_SVGA3D_RS_SPECULARMATERIALSOURCE] = VGT_SVGA3D_VERTEXMATERIAL_SPECULAR;
    rs[VGT_SVGA3D_RS_AMBIENTMATERIALSOURCE] = VGT_SVGA3D_VERTEXMATERIAL_NONE;
    rs[VGT_SVGA3D_RS_EMISSIVEMATERIALSOURCE] = VGT_SVGA3D_VERTEXMATERIAL_NONE;
    rs[VGT_SVGA3D_RS_TEXTUREFACTOR] = 0xFFFFFFFFu;
    rs[VGT_SVGA3D_RS_LOCALVIEWER] = 1;
    rs[VGT_SVGA3D_RS_BLENDCOLOR] = 0xFFFFFFFFu;
    rs[VGT_SVGA3D_RS_OUTPUTGAMMA] = fbits(1.0f);
    rs[VGT_SVGA3D_RS_CLIPPING] = 1;
    rs[VGT_SVGA3D_RS_LASTPIXEL] = 1;
    rs[VGT_SVGA3D_RS_MULTISAMPLEANTIALIAS] = 1;
    rs[VGT_SVGA3D_RS_MULTISAMPLEMASK] = 0xFFFFFFFFu;
    rs[VGT_SVGA3D_RS_SRCBLENDALPHA] = VGT_SVGA3D_BLENDOP_ONE;
    rs[VGT_SVGA3D_RS_DSTBLENDALPHA] = VGT_SVGA3D_BLENDOP_ZERO;
    rs[VGT_SVGA3D_RS_BLENDEQUATIONALPHA] = VGT_SVGA3D_BLENDEQ_ADD;
    rs[VGT_SVGA3D_RS_LINEWIDTH] = fbits(1.0f);

    for (uint32_t s = 0; s < VGT_SVGA3D_MAX_TEXTURE_STAGES; s++) {
        uint32_t *ts = c->ts[s];
        ts[VGT_SVGA3D_TS_BIND_TEXTURE] = VGT_SVGA3D_INVALID_ID;
        ts[VGT_SVGA3D_TS_COLOROP] = s == 0 ? VGT_SVGA3D_TC_MODULATE : VGT_SVGA3D_TC_DISABLE;
        ts[VGT_SVGA3D_TS_COLORARG1] = VGT_SVGA3D_TA_TEXTURE;
        ts[VGT_SVGA3D_TS_COLORARG2] = VGT_SVGA3D_TA_PREVIOUS;
        ts[VGT_SVGA3D_TS_ALPHAOP] = s == 0 ? VGT_SVGA3D_TC_SELECTARG1 : VGT_SVGA3D_TC_DISABLE;
        ts[VGT_SVGA3D_TS_ALPHAARG1] = VGT_SVGA3D_TA_TEXTURE;
        ts[VGT_SVGA3D_TS_ALPHAARG2] = VGT_SVGA3D_TA_PREVIOUS;
        ts[VGT_SVGA3D_TS_COLORARG0] = VGT_SVGA3D_TA_PREVIOUS;
        ts[VGT_SVGA3D_TS_ALPHAARG0] = VGT_SVGA3D_TA_PREVIOUS;
        ts[VGT_SVGA3D_TS_ADDRESSU] = VGT_SVGA3D_TEX_ADDRESS_WRAP;
        ts[VGT_SVGA3D_TS_ADDRESSV] = VGT_SVGA3D_TEX_ADDRESS_WRAP;
        ts[VGT_SVGA3D_TS_ADDRESSW] = VGT_SVGA3D_TEX_ADDRESS_WRAP;
        ts[VGT_SVGA3D_TS_MAGFILTER] = VGT_SVGA3D_TEX_FILTER_NEAREST;
        ts[VGT_SVGA3D_TS_MINFILTER] = VGT_SVGA3D_TEX_FILTER_NEAREST;
        ts[VGT_SVGA3D_TS_MIPFILTER] = VGT_SVGA3D_TEX_FILTER_NONE;
        ts[VGT_SVGA3D_TS_TEXCOORDINDEX] = s;
        ts[VGT_SVGA3D_TS_TEXTURE_ANISOTROPIC_LEVEL] = 1;
        ts[VGT_SVGA3D_TS_GAMMA] = fbits(1.0f);
    }
    for (uint32_t t = 0; t < VGT_SVGA3D_TRANSFORM_MAX; t++) {
        memset(c->transforms[t], 0, sizeof(c->transforms[t]));
        for (uint32_t i = 0; i < 4; i++) {
            c->transforms[t][i * 5] = 1.0f;
        }
    }
    for (uint32_t f = 0; f < 2; f++) {
        vgt_svga3d_material *m = &c->material[f];
        memset(m, 0, sizeof(*m));
        for (uint32_t i = 0; i < 4; i++) {
            m->diffuse[i] = 1.0f;
            m->ambient[i] = 1.0f;
        }
    }
    for (uint32_t i = 0; i < VGT_EXEC3D_MAX_LIGHT_INDEX; i++) {
        vgt_svga3d_light_data *l = &c->lights[i];
        memset(l, 0, sizeof(*l));
        l->type = VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL;
        l->in_world_space = 1;
        l->diffuse[0] = l->diffuse[1] = l->diffuse[2] = 1.0f;
        l->direction[2] = 1.0f;
    }
    c->shader_bound[E3D_VS] = c->shader_bound[E3D_PS] = VGT_SVGA3D_INVALID_ID;
    c->elements_match = false;
    c->dirty = true;
}

/* ---- contexts ----------------------------------------------------------- */

e3d_context *e3d_context_get(const vgt_exec3d *e, uint32_t cid)
{
    return cid < VGT_EXEC3D_MAX_CONTEXT_IDS ? e->contexts[cid] : NULL;
}

vgt_status e3d_context_find(const vgt_exec3d *e, const vgt_cmd *cmd, uint32_t cid,
                            e3d_context **out, vgt_error *err)
{
    *out = e3d_context_get(e, cid);
    if (!*out) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "%s: context %u is not defined", cmd->desc->name,
                             cid);
    }
    return VGT_OK;
}

static void shader_free(vgt_exec3d *e, e3d_shader *sh)
{
    if (sh) {
        e->be.ops->shader_destroy(e->be.self, sh->host);
        free(sh->bytecode);
        free(sh);
    }
}

void e3d_context_free(vgt_exec3d *e, e3d_context *c)
{
    if (!c) {
        return;
    }
    for (uint32_t t = 0; t < 2; t++) {
        for (uint32_t i = 0; i < c->shader_cap[t]; i++) {
            shader_free(e, c->shaders[t][i]);
        }
        free(c->shaders[t]);
    }
    for (uint32_t q = 0; q < VGT_SVGA3D_QUERYTYPE_MAX; q++) {
        if (c->queries[q].host && e->be.ops->query_destroy) {
            e->be.ops->query_destroy(e->be.self, c->queries[q].host);
        }
    }
    free(c);
}

vgt_status e3d_cmd_context_define(vgt_exec3d *e, uint32_t cid, vgt_error *err)
{
    if (cid >= VGT_EXEC3D_MAX_CONTEXT_IDS) {
        return vgt_error_set(err, VGT_E_RANGE, "CONTEXT_DEFINE: context id %u (ids are 0..%u)", cid,
                             VGT_EXEC3D_MAX_CONTEXT_IDS - 1u);
    }
    e3d_context *c = calloc(1, sizeof(*c));
    if (!c) {
        return vgt_error_set(err, VGT_E_NOMEM, "CONTEXT_DEFINE: out of memory");
    }
    c->cid = cid;
    e3d_context_defaults(c);
    /* Redefining a live id destroys the old context (as hosts do). */
    e3d_context_free(e, e->contexts[cid]);
    e->contexts[cid] = c;
    return VGT_OK;
}

vgt_status e3d_cmd_context_destroy(vgt_exec3d *e, uint32_t cid, vgt_error *err)
{
    e3d_context *c = e3d_context_get(e, cid);
    if (!c) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "CONTEXT_DESTROY: context %u is not defined",
                             cid);
    }
    e->contexts[cid] = NULL;
    e3d_context_free(e, c);
    return VGT_OK;
}

void e3d_unbind_surface(vgt_exec3d *e, uint32_t sid)
{
    for (uint32_t i = 0; i < VGT_EXEC3D_MAX_CONTEXT_IDS; i++) {
        e3d_context *c = e->contexts[i];
        if (!c) {
            continue;
        }
        for (uint32_t t = 0; t < VGT_SVGA3D_RT_MAX; t++) {
            if (c->rt[t].sid == sid) {
                c->rt[t] = (vgt_svga3d_surface_image_id){VGT_SVGA3D_INVALID_ID, 0, 0};
                c->dirty = true;
            }
        }
        for (uint32_t s = 0; s < VGT_SVGA3D_MAX_TEXTURE_STAGES; s++) {
            if (c->ts[s][VGT_SVGA3D_TS_BIND_TEXTURE] == sid) {
                c->ts[s][VGT_SVGA3D_TS_BIND_TEXTURE] = VGT_SVGA3D_INVALID_ID;
                c->dirty = true;
            }
        }
    }
}

/* ---- state commands ------------------------------------------------------ */

static bool finite4(const float *v, uint32_t n)
{
    /* all exponent bits set: an infinity or a NaN (a loop without early
     * exit, which the compiler vectorises: a matrix per draw goes through) */
    uint32_t bad = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &v[i], 4);
        bad |= (uint32_t)((u & 0x7F800000u) == 0x7F800000u);
    }
    return bad == 0;
}

static vgt_status set_render_target(vgt_exec3d *e, e3d_context *c,
                                    const vgt_svga3d_cmd_setrendertarget *r, vgt_error *err)
{
    const char *slot = vgt_svga3d_rt_type_name(r->type);
    if (r->type >= VGT_SVGA3D_RT_COLOR0 &&
        r->type - VGT_SVGA3D_RT_COLOR0 >= e->caps.max_color_targets) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "SETRENDERTARGET %s: the %s backend has %u color target(s)", slot,
                             e->be.ops->name, e->caps.max_color_targets);
    }
    if (r->target.sid != VGT_SVGA3D_INVALID_ID) {
        e3d_surface *s;
        vgt_status st = e3d_image_find(e, "SETRENDERTARGET", &r->target, &s, NULL, err);
        if (st != VGT_OK) {
            return st;
        }
        const vgt_surface_format_info *f = s->fi;
        bool ok = r->type == VGT_SVGA3D_RT_DEPTH     ? f->depth
                  : r->type == VGT_SVGA3D_RT_STENCIL ? f->stencil
                                                     : f->render_target;
        if (!ok) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "SETRENDERTARGET %s: surface %u is %s, which is not a %s format",
                                 slot, s->sid, f->name,
                                 r->type == VGT_SVGA3D_RT_DEPTH     ? "depth"
                                 : r->type == VGT_SVGA3D_RT_STENCIL ? "stencil"
                                                                    : "color render target");
        }
        if (s->fi->depth && s->size.depth > 1) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "SETRENDERTARGET %s: surface %u is a volume", slot, s->sid);
        }
    }
    c->rt[r->type] = r->target;
    return VGT_OK;
}

static vgt_status set_texture_states(vgt_exec3d *e, e3d_context *c, const vgt_cmd *cmd,
                                     vgt_error *err)
{
    /* Validate every entry, then apply them all. */
    for (uint32_t i = 0; i < cmd->items.count; i++) {
        vgt_svga3d_texture_state_entry t;
        vgt_cmd_array_get(&cmd->items, i, &t);
        if (t.name != VGT_SVGA3D_TS_BIND_TEXTURE || t.value == VGT_SVGA3D_INVALID_ID) {
            continue;
        }
        e3d_surface *s = e3d_surface_get(e, t.value);
        if (!s) {
            return vgt_error_set(err, VGT_E_NOTFOUND,
                                 "SETTEXTURESTATE entry %u: stage %u binds surface %u, which is "
                                 "not defined",
                                 i, t.stage, t.value);
        }
        if (!s->fi->texture) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "SETTEXTURESTATE entry %u: stage %u binds surface %u of format "
                                 "%s, which cannot be a texture",
                                 i, t.stage, t.value, s->fi->name);
        }
    }
    for (uint32_t i = 0; i < cmd->items.count; i++) {
        vgt_svga3d_texture_state_entry t;
        vgt_cmd_array_get(&cmd->items, i, &t);
        c->ts[t.stage][t.name] = t.value; /* ranges checked by the decoder */
    }
    return VGT_OK;
}

static vgt_status shader_slot(e3d_context *c, uint32_t type, uint32_t shid, bool grow,
                              e3d_shader ***slot, vgt_error *err)
{
    uint32_t t = type - 1u; /* VS, PS checked by the decoder */
    if (shid >= VGT_EXEC3D_MAX_SHADER_IDS) {
        return vgt_error_set(err, VGT_E_RANGE, "shader id %u (ids are 0..%u)", shid,
                             VGT_EXEC3D_MAX_SHADER_IDS - 1u);
    }
    if (shid >= c->shader_cap[t]) {
        if (!grow) {
            *slot = NULL;
            return VGT_OK;
        }
        uint32_t cap = c->shader_cap[t] ? c->shader_cap[t] : 16u;
        while (cap <= shid) {
            cap *= 2u;
        }
        e3d_shader **p = realloc(c->shaders[t], (size_t)cap * sizeof(*p));
        if (!p) {
            return vgt_error_set(err, VGT_E_NOMEM, "out of memory for the shader table");
        }
        memset(p + c->shader_cap[t], 0, (size_t)(cap - c->shader_cap[t]) * sizeof(*p));
        c->shaders[t] = p;
        c->shader_cap[t] = cap;
    }
    *slot = &c->shaders[t][shid];
    return VGT_OK;
}

vgt_status e3d_shader_check(const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga3d_cmd_shader_define *d = &cmd->u.shader_define;
    const char *ty = vgt_svga3d_shader_type_name(d->type);
    if ((uint64_t)cmd->data_words * 4u > VGT_EXEC3D_MAX_SHADER_BYTES) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "SHADER_DEFINE %s %u: %u bytes of bytecode (at most %u)", ty, d->shid,
                             cmd->data_words * 4u, VGT_EXEC3D_MAX_SHADER_BYTES);
    }
    if (d->shid >= VGT_EXEC3D_MAX_SHADER_IDS) {
        return vgt_error_set(err, VGT_E_RANGE, "SHADER_DEFINE %s: shader id %u (ids are 0..%u)", ty,
                             d->shid, VGT_EXEC3D_MAX_SHADER_IDS - 1u);
    }
    /* The bytecode is validated here, once for every backend, so a shader
     * refused live is refused on whatever backend replays the trace (the
     * null backend runs no shader but must fail the same commands). */
    vgt_status st = vgt_shader_validate(cmd->data, cmd->data_words, NULL, err);
    if (st == VGT_E_NOMEM) {
        vgt_error_prefix(err, "SHADER_DEFINE %s %u", ty, d->shid);
        return st; /* the host's failure, not the guest's bytecode */
    }
    if (st != VGT_OK) {
        vgt_error_prefix(err, "SHADER_DEFINE %s %u", ty, d->shid);
        if (err) {
            err->code = VGT_E_INVALID; /* malformed, whatever the parser's class */
        }
        return VGT_E_INVALID;
    }
    bool is_vs = (cmd->data[0] >> 16) == (uint32_t)VGT_SHADER_VS;
    if (is_vs != (d->type == VGT_SVGA3D_SHADERTYPE_VS)) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "SHADER_DEFINE %s %u: shader token 0 (0x%08x): a %s shader", ty,
                             d->shid, cmd->data[0], is_vs ? "vertex" : "pixel");
    }
    return VGT_OK;
}

static vgt_status shader_define(vgt_exec3d *e, e3d_context *c, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga3d_cmd_shader_define *d = &cmd->u.shader_define;
    const char *ty = vgt_svga3d_shader_type_name(d->type);
    vgt_status st = e3d_shader_check(cmd, err);
    if (st != VGT_OK) {
        return st;
    }
    e3d_shader **slot;
    if ((st = shader_slot(c, d->type, d->shid, true, &slot, err)) != VGT_OK) {
        vgt_error_prefix(err, "SHADER_DEFINE %s", ty);
        return st; /* out of memory for the table: its id range was checked */
    }
    e3d_shader *sh = calloc(1, sizeof(*sh));
    uint32_t *code = malloc((size_t)cmd->data_words * 4u);
    if (!sh || !code) {
        free(sh);
        free(code);
        return vgt_error_set(err, VGT_E_NOMEM, "SHADER_DEFINE: out of memory");
    }
    memcpy(code, cmd->data, (size_t)cmd->data_words * 4u);
    sh->type = d->type;
    sh->bytecode = code;
    sh->words = cmd->data_words;
    st = e->be.ops->shader_define(e->be.self, d->type, code, sh->words, &sh->host, err);
    if (st != VGT_OK) {
        vgt_error_prefix(err, "SHADER_DEFINE %s %u", ty, d->shid);
        free(code);
        free(sh);
        return st;
    }
    /* Redefining an id replaces the shader; a binding by id stays. */
    shader_free(e, *slot);
    *slot = sh;
    c->dirty = true;
    return VGT_OK;
}

static vgt_status shader_destroy(vgt_exec3d *e, e3d_context *c,
                                 const vgt_svga3d_cmd_shader_destroy *d, vgt_error *err)
{
    e3d_shader **slot;
    vgt_status st = shader_slot(c, d->type, d->shid, false, &slot, err);
    if (st == VGT_OK && (!slot || !*slot)) {
        st = vgt_error_set(err, VGT_E_NOTFOUND, "%s shader %u is not defined in context %u",
                           vgt_svga3d_shader_type_name(d->type), d->shid, c->cid);
    }
    if (st != VGT_OK) {
        vgt_error_prefix(err, "SHADER_DESTROY");
        return st;
    }
    shader_free(e, *slot);
    *slot = NULL;
    if (c->shader_bound[d->type - 1u] == d->shid) {
        c->shader_bound[d->type - 1u] = VGT_SVGA3D_INVALID_ID;
    }
    c->dirty = true;
    return VGT_OK;
}

/* Stores one register's 4 words by constant type (a BOOL takes the first). */
static void store_shader_const(e3d_context *c, uint32_t t, uint32_t ctype, uint32_t reg,
                               const uint32_t v[4])
{
    switch (ctype) {
    case VGT_SVGA3D_CONST_TYPE_FLOAT:
        memcpy(t == E3D_VS ? c->vs_float[reg] : c->ps_float[reg], v, 16);
        break;
    case VGT_SVGA3D_CONST_TYPE_INT:
        memcpy(c->int_regs[t][reg], v, 16);
        break;
    default:
        c->bool_regs[t][reg] = v[0] != 0;
        break;
    }
}

/* SET_SHADER_CONST sets register reg from the fixed body and, when the
 * command is longer, registers reg + 1 .. from its items (4 words each,
 * whatever the type: Mesa's SVGA3D_SetShaderConsts).  The whole run is
 * checked before any register changes. */
static vgt_status set_shader_const(e3d_context *c, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga3d_cmd_set_shader_const *k = &cmd->u.set_shader_const;
    uint32_t t = k->type - 1u;
    uint32_t limit = k->ctype == VGT_SVGA3D_CONST_TYPE_FLOAT
                         ? (t == E3D_VS ? VGT_BACKEND_VS_FLOAT_REGS : VGT_BACKEND_PS_FLOAT_REGS)
                     : k->ctype == VGT_SVGA3D_CONST_TYPE_INT ? VGT_BACKEND_INT_REGS
                                                             : VGT_BACKEND_BOOL_REGS;
    uint32_t more = cmd->items.count;
    uint64_t last = (uint64_t)k->reg + more; /* no wrap: 64 bits */
    if (last >= limit) {
        if (more == 0) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "SET_SHADER_CONST: %s %s register %u (registers are 0..%u)",
                                 vgt_svga3d_shader_type_name(k->type),
                                 vgt_svga3d_const_type_name(k->ctype), k->reg, limit - 1u);
        }
        return vgt_error_set(
            err, VGT_E_RANGE, "SET_SHADER_CONST: %s %s registers %u..%llu (registers are 0..%u)",
            vgt_svga3d_shader_type_name(k->type), vgt_svga3d_const_type_name(k->ctype), k->reg,
            (unsigned long long)last, limit - 1u);
    }
    store_shader_const(c, t, k->ctype, k->reg, k->values);
    for (uint32_t i = 0; i < more; i++) {
        uint32_t v[4];
        vgt_cmd_array_get(&cmd->items, i, v);
        store_shader_const(c, t, k->ctype, k->reg + 1u + i, v);
    }
    return VGT_OK;
}

vgt_status e3d_cmd_state(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err)
{
    /* Every state command starts with the context id. */
    e3d_context *c;
    vgt_status st = e3d_context_find(e, cmd, cmd->u.raw[0], &c, err);
    if (st != VGT_OK) {
        return st;
    }
    switch (cmd->id) {
    case VGT_SVGA3D_CMD_SETTRANSFORM: {
        const vgt_svga3d_cmd_settransform *t = &cmd->u.settransform;
        if (!finite4(t->matrix, 16)) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "SETTRANSFORM %s: a matrix entry is not finite",
                                 vgt_svga3d_transform_type_name(t->type));
        }
        memcpy(c->transforms[t->type], t->matrix, sizeof(t->matrix));
        break;
    }
    case VGT_SVGA3D_CMD_SETZRANGE: {
        vgt_svga3d_zrange z = cmd->u.setzrange.zrange;
        if (!isfinite(z.min) || !isfinite(z.max) || z.min < 0.0f || z.max > 1.0f || z.min > z.max) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "SETZRANGE: [%g, %g] is not a range inside [0, 1]", (double)z.min,
                                 (double)z.max);
        }
        c->zrange = z;
        break;
    }
    case VGT_SVGA3D_CMD_SETRENDERSTATE:
        for (uint32_t i = 0; i < cmd->items.count; i++) {
            vgt_svga3d_render_state_pair p;
            vgt_cmd_array_get(&cmd->items, i, &p);
            c->rs[p.state] = p.value; /* state and value checked by the decoder */
        }
        break;
    case VGT_SVGA3D_CMD_SETRENDERTARGET:
        st = set_render_target(e, c, &cmd->u.setrendertarget, err);
        break;
    case VGT_SVGA3D_CMD_SETTEXTURESTATE:
        st = set_texture_states(e, c, cmd, err);
        break;
    case VGT_SVGA3D_CMD_SETMATERIAL: {
        const vgt_svga3d_cmd_setmaterial *m = &cmd->u.setmaterial;
        if (m->face == VGT_SVGA3D_FACE_NONE) {
            return vgt_error_set(err, VGT_E_INVALID, "SETMATERIAL: face NONE names no material");
        }
        if (!finite4(&m->material.diffuse[0], 17)) {
            return vgt_error_set(err, VGT_E_INVALID, "SETMATERIAL: a value is not finite");
        }
        if (m->face != VGT_SVGA3D_FACE_BACK) {
            c->material[0] = m->material;
        }
        if (m->face != VGT_SVGA3D_FACE_FRONT) {
            c->material[1] = m->material;
        }
        break;
    }
    case VGT_SVGA3D_CMD_SETLIGHTDATA: {
        const vgt_svga3d_cmd_setlightdata *l = &cmd->u.setlightdata;
        if (l->index >= VGT_EXEC3D_MAX_LIGHT_INDEX) {
            return vgt_error_set(err, VGT_E_RANGE, "SETLIGHTDATA: light %u (lights are 0..%u)",
                                 l->index, VGT_EXEC3D_MAX_LIGHT_INDEX - 1u);
        }
        c->lights[l->index] = l->data;
        break;
    }
    case VGT_SVGA3D_CMD_SETLIGHTENABLED: {
        const vgt_svga3d_cmd_setlightenabled *l = &cmd->u.setlightenabled;
        if (l->index >= VGT_EXEC3D_MAX_LIGHT_INDEX) {
            return vgt_error_set(err, VGT_E_RANGE, "SETLIGHTENABLED: light %u (lights are 0..%u)",
                                 l->index, VGT_EXEC3D_MAX_LIGHT_INDEX - 1u);
        }
        c->light_enabled[l->index] = l->enabled != 0;
        break;
    }
    case VGT_SVGA3D_CMD_SETVIEWPORT:
    case VGT_SVGA3D_CMD_SETSCISSORRECT: {
        const vgt_svga3d_rect *r = cmd->id == VGT_SVGA3D_CMD_SETVIEWPORT
                                       ? &cmd->u.setviewport.rect
                                       : &cmd->u.setscissorrect.rect;
        if ((uint64_t)r->x + r->w > INT32_MAX || (uint64_t)r->y + r->h > INT32_MAX) {
            return vgt_error_set(err, VGT_E_RANGE, "%s: rectangle (%u,%u) %ux%u overflows",
                                 cmd->desc->name, r->x, r->y, r->w, r->h);
        }
        if (cmd->id == VGT_SVGA3D_CMD_SETVIEWPORT) {
            c->viewport = *r;
            c->viewport_set = true;
        } else {
            c->scissor = *r;
        }
        break;
    }
    case VGT_SVGA3D_CMD_SETCLIPPLANE: {
        const vgt_svga3d_cmd_setclipplane *p = &cmd->u.setclipplane;
        if (!finite4(p->plane, 4)) {
            return vgt_error_set(err, VGT_E_INVALID, "SETCLIPPLANE %u: not finite", p->index);
        }
        memcpy(c->clip_planes[p->index], p->plane, sizeof(p->plane));
        break;
    }
    case VGT_SVGA3D_CMD_SHADER_DEFINE:
        st = shader_define(e, c, cmd, err);
        break;
    case VGT_SVGA3D_CMD_SHADER_DESTROY:
        st = shader_destroy(e, c, &cmd->u.shader_destroy, err);
        break;
    case VGT_SVGA3D_CMD_SET_SHADER: {
        const vgt_svga3d_cmd_set_shader *s = &cmd->u.set_shader;
        if (s->shid != VGT_SVGA3D_INVALID_ID) {
            e3d_shader **slot;
            st = shader_slot(c, s->type, s->shid, false, &slot, err);
            if (st == VGT_OK && (!slot || !*slot)) {
                st = vgt_error_set(err, VGT_E_NOTFOUND, "%s shader %u is not defined in context %u",
                                   vgt_svga3d_shader_type_name(s->type), s->shid, c->cid);
            }
            if (st != VGT_OK) {
                vgt_error_prefix(err, "SET_SHADER");
                return st;
            }
        }
        c->shader_bound[s->type - 1u] = s->shid;
        break;
    }
    case VGT_SVGA3D_CMD_SET_SHADER_CONST:
        st = set_shader_const(c, cmd, err);
        break;
    default:
        return vgt_error_set(err, VGT_E_INVALID, "%s is not a context state command",
                             cmd->desc->name);
    }
    if (st == VGT_OK) {
        /* The cheapest change that keeps `resolved` right: shader constants
         * are read through pointers (nothing to copy), a transform needs only
         * the matrices copied; everything else rebuilds the whole state. */
        if (cmd->id == VGT_SVGA3D_CMD_SETTRANSFORM) {
            c->transforms_dirty |= 1u << cmd->u.settransform.type; /* < 32: decode checked */
        } else if (cmd->id != VGT_SVGA3D_CMD_SET_SHADER_CONST) {
            c->dirty = true;
        }
    }
    return st;
}

/* ---- resolution ----------------------------------------------------------- */

static vgt_backend_color color_of(uint32_t argb)
{
    return (vgt_backend_color){((argb >> 16) & 0xFFu) / 255.0f, ((argb >> 8) & 0xFFu) / 255.0f,
                               (argb & 0xFFu) / 255.0f, (argb >> 24) / 255.0f};
}

static vgt_backend_color color4(const float *v)
{
    return (vgt_backend_color){v[0], v[1], v[2], v[3]};
}

static void matrix_of(vgt_backend_matrix *m, const float *v)
{
    memcpy(m->m, v, 64);
}

/* Where transform type t goes in the resolved state (NULL: nowhere). */
static vgt_backend_matrix *transform_slot(vgt_backend_draw_state *d, uint32_t t)
{
    switch (t) {
    case VGT_SVGA3D_TRANSFORM_WORLD:
        return &d->world;
    case VGT_SVGA3D_TRANSFORM_VIEW:
        return &d->view;
    case VGT_SVGA3D_TRANSFORM_PROJECTION:
        return &d->projection;
    default:
        if (t >= VGT_SVGA3D_TRANSFORM_TEXTURE0 &&
            t < VGT_SVGA3D_TRANSFORM_TEXTURE0 + VGT_BACKEND_MAX_STAGES) {
            return &d->stages[t - VGT_SVGA3D_TRANSFORM_TEXTURE0].texture_transform;
        }
        if (t >= VGT_SVGA3D_TRANSFORM_WORLD1 && t < VGT_SVGA3D_TRANSFORM_WORLD1 + 3u) {
            return &d->world_n[t - VGT_SVGA3D_TRANSFORM_WORLD1];
        }
        return NULL;
    }
}

/* The matrices whose bit (1 << transform type) is in `which`. */
static void resolve_transforms(const e3d_context *c, vgt_backend_draw_state *d, uint32_t which)
{
    which &= (1u << VGT_SVGA3D_TRANSFORM_MAX) - 1u; /* the types c->transforms holds */
    while (which) {
        uint32_t t = (uint32_t)__builtin_ctz(which);
        which &= which - 1u;
        vgt_backend_matrix *m = transform_slot(d, t);
        if (m) {
            matrix_of(m, c->transforms[t]);
        }
    }
}

/* Everything that does not depend on surfaces. */
static void resolve_state(e3d_context *c, vgt_backend_draw_state *d)
{
    const uint32_t *rs = c->rs;
    d->cid = c->cid;
    d->z_min = c->zrange.min;
    d->z_max = c->zrange.max;
    d->scissor_enable = rs[VGT_SVGA3D_RS_SCISSORTESTENABLE] != 0;
    d->scissor = (vgt_backend_rect){(int32_t)c->scissor.x, (int32_t)c->scissor.y, c->scissor.w,
                                    c->scissor.h};
    d->vs_float = (const float(*)[4])c->vs_float;
    d->ps_float = (const float(*)[4])c->ps_float;
    d->vs_int = (const int32_t(*)[4])c->int_regs[E3D_VS];
    d->ps_int = (const int32_t(*)[4])c->int_regs[E3D_PS];
    d->vs_bool = c->bool_regs[E3D_VS];
    d->ps_bool = c->bool_regs[E3D_PS];

    resolve_transforms(c, d, UINT32_MAX);
    d->vertex_blend = rs[VGT_SVGA3D_RS_VERTEXBLEND];
    d->indexed_vertex_blend = rs[VGT_SVGA3D_RS_INDEXEDVERTEXBLENDENABLE] != 0;
    d->tween_factor = bitsf(rs[VGT_SVGA3D_RS_TWEENFACTOR]);

    d->cull_face = rs[VGT_SVGA3D_RS_CULLMODE];
    d->front_winding = rs[VGT_SVGA3D_RS_FRONTWINDING];
    d->fill_mode = VGT_SVGA3D_FILLMODE_MODE(rs[VGT_SVGA3D_RS_FILLMODE]);
    d->shade_mode = rs[VGT_SVGA3D_RS_SHADEMODE];
    d->clip_plane_enable = rs[VGT_SVGA3D_RS_CLIPPLANEENABLE] & VGT_SVGA3D_CLIPPLANE_ALL;
    memcpy(d->clip_planes, c->clip_planes, sizeof(d->clip_planes));
    d->clipping = rs[VGT_SVGA3D_RS_CLIPPING] != 0;
    d->depth_bias = bitsf(rs[VGT_SVGA3D_RS_DEPTHBIAS]);
    d->slope_scale_depth_bias = bitsf(rs[VGT_SVGA3D_RS_SLOPESCALEDEPTHBIAS]);
    d->point_size = bitsf(rs[VGT_SVGA3D_RS_POINTSIZE]);
    d->point_size_min = bitsf(rs[VGT_SVGA3D_RS_POINTSIZEMIN]);
    d->point_size_max = bitsf(rs[VGT_SVGA3D_RS_POINTSIZEMAX]);
    d->point_sprite = rs[VGT_SVGA3D_RS_POINTSPRITEENABLE] != 0;
    d->point_scale = rs[VGT_SVGA3D_RS_POINTSCALEENABLE] != 0;
    d->point_scale_a = bitsf(rs[VGT_SVGA3D_RS_POINTSCALE_A]);
    d->point_scale_b = bitsf(rs[VGT_SVGA3D_RS_POINTSCALE_B]);
    d->point_scale_c = bitsf(rs[VGT_SVGA3D_RS_POINTSCALE_C]);
    d->last_pixel = rs[VGT_SVGA3D_RS_LASTPIXEL] != 0;
    d->line_pattern = rs[VGT_SVGA3D_RS_LINEPATTERN];
    d->line_width = bitsf(rs[VGT_SVGA3D_RS_LINEWIDTH]);
    d->antialiased_lines = rs[VGT_SVGA3D_RS_ANTIALIASEDLINEENABLE] != 0;
    d->multisample_antialias = rs[VGT_SVGA3D_RS_MULTISAMPLEANTIALIAS] != 0;
    d->multisample_mask = rs[VGT_SVGA3D_RS_MULTISAMPLEMASK];
    d->coordinate_type = rs[VGT_SVGA3D_RS_COORDINATETYPE];

    d->lighting = rs[VGT_SVGA3D_RS_LIGHTINGENABLE] != 0;
    d->ambient = color_of(rs[VGT_SVGA3D_RS_AMBIENT]);
    d->specular_enable = rs[VGT_SVGA3D_RS_SPECULARENABLE] != 0;
    d->normalize_normals = rs[VGT_SVGA3D_RS_NORMALIZENORMALS] != 0;
    d->local_viewer = rs[VGT_SVGA3D_RS_LOCALVIEWER] != 0;
    d->color_vertex = rs[VGT_SVGA3D_RS_VERTEXMATERIALENABLE] != 0;
    d->diffuse_source = rs[VGT_SVGA3D_RS_DIFFUSEMATERIALSOURCE];
    d->ambient_source = rs[VGT_SVGA3D_RS_AMBIENTMATERIALSOURCE];
    d->specular_source = rs[VGT_SVGA3D_RS_SPECULARMATERIALSOURCE];
    d->emissive_source = rs[VGT_SVGA3D_RS_EMISSIVEMATERIALSOURCE];
    for (uint32_t f = 0; f < 2; f++) {
        const vgt_svga3d_material *m = &c->material[f];
        vgt_backend_material *o = f ? &d->back_material : &d->material;
        o->diffuse = color4(m->diffuse);
        o->ambient = color4(m->ambient);
        o->specular = color4(m->specular);
        o->emissive = color4(m->emissive);
        o->power = m->shininess;
    }

    uint32_t fog = rs[VGT_SVGA3D_RS_FOGMODE];
    d->fog_enable = rs[VGT_SVGA3D_RS_FOGENABLE] != 0;
    d->fog_function = VGT_SVGA3D_FOGMODE_FUNCTION(fog);
    d->fog_type = VGT_SVGA3D_FOGMODE_TYPE(fog);
    d->fog_base = VGT_SVGA3D_FOGMODE_BASE(fog);
    d->range_fog = rs[VGT_SVGA3D_RS_RANGEFOGENABLE] != 0;
    d->fog_color = rs[VGT_SVGA3D_RS_FOGCOLOR];
    d->fog_start = bitsf(rs[VGT_SVGA3D_RS_FOGSTART]);
    d->fog_end = bitsf(rs[VGT_SVGA3D_RS_FOGEND]);
    d->fog_density = bitsf(rs[VGT_SVGA3D_RS_FOGDENSITY]);

    d->texture_factor = rs[VGT_SVGA3D_RS_TEXTUREFACTOR];
    for (uint32_t i = 0; i < VGT_SVGA3D_MAX_TEXTURE_STAGES; i++) {
        d->wrap[i] = rs[VGT_SVGA3D_RS_WRAP0 + i];
    }
    for (uint32_t s = 0; s < VGT_BACKEND_MAX_STAGES; s++) {
        const uint32_t *ts = c->ts[s];
        vgt_backend_stage *o = &d->stages[s];
        o->color_op = ts[VGT_SVGA3D_TS_COLOROP];
        o->color_arg0 = ts[VGT_SVGA3D_TS_COLORARG0];
        o->color_arg1 = ts[VGT_SVGA3D_TS_COLORARG1];
        o->color_arg2 = ts[VGT_SVGA3D_TS_COLORARG2];
        o->alpha_op = ts[VGT_SVGA3D_TS_ALPHAOP];
        o->alpha_arg0 = ts[VGT_SVGA3D_TS_ALPHAARG0];
        o->alpha_arg1 = ts[VGT_SVGA3D_TS_ALPHAARG1];
        o->alpha_arg2 = ts[VGT_SVGA3D_TS_ALPHAARG2];
        o->texcoord_index = ts[VGT_SVGA3D_TS_TEXCOORDINDEX];
        o->texcoord_gen = ts[VGT_SVGA3D_TS_TEXCOORDGEN];
        o->transform_flags = ts[VGT_SVGA3D_TS_TEXTURETRANSFORMFLAGS];
        o->address_u = ts[VGT_SVGA3D_TS_ADDRESSU];
        o->address_v = ts[VGT_SVGA3D_TS_ADDRESSV];
        o->address_w = ts[VGT_SVGA3D_TS_ADDRESSW];
        o->border_color = ts[VGT_SVGA3D_TS_BORDERCOLOR];
        o->mag_filter = ts[VGT_SVGA3D_TS_MAGFILTER];
        o->min_filter = ts[VGT_SVGA3D_TS_MINFILTER];
        o->mip_filter = ts[VGT_SVGA3D_TS_MIPFILTER];
        o->lod_bias = bitsf(ts[VGT_SVGA3D_TS_TEXTURE_LOD_BIAS]);
        o->max_mip_level = ts[VGT_SVGA3D_TS_TEXTURE_MIPMAP_LEVEL];
        o->max_anisotropy = ts[VGT_SVGA3D_TS_TEXTURE_ANISOTROPIC_LEVEL];
        o->gamma = bitsf(ts[VGT_SVGA3D_TS_GAMMA]);
        o->bump_env_mat[0][0] = bitsf(ts[VGT_SVGA3D_TS_BUMPENVMAT00]);
        o->bump_env_mat[0][1] = bitsf(ts[VGT_SVGA3D_TS_BUMPENVMAT01]);
        o->bump_env_mat[1][0] = bitsf(ts[VGT_SVGA3D_TS_BUMPENVMAT10]);
        o->bump_env_mat[1][1] = bitsf(ts[VGT_SVGA3D_TS_BUMPENVMAT11]);
        o->bump_env_lscale = bitsf(ts[VGT_SVGA3D_TS_BUMPENVLSCALE]);
        o->bump_env_loffset = bitsf(ts[VGT_SVGA3D_TS_BUMPENVLOFFSET]);
    }

    d->alpha_test = rs[VGT_SVGA3D_RS_ALPHATESTENABLE] != 0;
    d->alpha_func = rs[VGT_SVGA3D_RS_ALPHAFUNC];
    d->alpha_ref = bitsf(rs[VGT_SVGA3D_RS_ALPHAREF]);
    d->dither = rs[VGT_SVGA3D_RS_DITHERENABLE] != 0;
    d->z_enable = rs[VGT_SVGA3D_RS_ZENABLE] != 0;
    d->z_write = rs[VGT_SVGA3D_RS_ZWRITEENABLE] != 0;
    d->z_func = rs[VGT_SVGA3D_RS_ZFUNC];
    d->stencil_enable = rs[VGT_SVGA3D_RS_STENCILENABLE] != 0;
    d->stencil_two_sided = rs[VGT_SVGA3D_RS_STENCILENABLE2SIDED] != 0;
    d->stencil_ref = rs[VGT_SVGA3D_RS_STENCILREF];
    d->stencil_mask = rs[VGT_SVGA3D_RS_STENCILMASK];
    d->stencil_write_mask = rs[VGT_SVGA3D_RS_STENCILWRITEMASK];
    d->stencil_func = rs[VGT_SVGA3D_RS_STENCILFUNC];
    d->stencil_fail = rs[VGT_SVGA3D_RS_STENCILFAIL];
    d->stencil_zfail = rs[VGT_SVGA3D_RS_STENCILZFAIL];
    d->stencil_pass = rs[VGT_SVGA3D_RS_STENCILPASS];
    d->ccw_stencil_func = rs[VGT_SVGA3D_RS_CCWSTENCILFUNC];
    d->ccw_stencil_fail = rs[VGT_SVGA3D_RS_CCWSTENCILFAIL];
    d->ccw_stencil_zfail = rs[VGT_SVGA3D_RS_CCWSTENCILZFAIL];
    d->ccw_stencil_pass = rs[VGT_SVGA3D_RS_CCWSTENCILPASS];
    d->blend_enable = rs[VGT_SVGA3D_RS_BLENDENABLE] != 0;
    d->separate_alpha_blend = rs[VGT_SVGA3D_RS_SEPARATEALPHABLENDENABLE] != 0;
    d->src_blend = rs[VGT_SVGA3D_RS_SRCBLEND];
    d->dst_blend = rs[VGT_SVGA3D_RS_DSTBLEND];
    d->blend_eq = rs[VGT_SVGA3D_RS_BLENDEQUATION];
    d->src_blend_alpha = rs[VGT_SVGA3D_RS_SRCBLENDALPHA];
    d->dst_blend_alpha = rs[VGT_SVGA3D_RS_DSTBLENDALPHA];
    d->blend_eq_alpha = rs[VGT_SVGA3D_RS_BLENDEQUATIONALPHA];
    d->blend_color = rs[VGT_SVGA3D_RS_BLENDCOLOR];
    d->color_write_mask[0] = rs[VGT_SVGA3D_RS_COLORWRITEENABLE];
    d->color_write_mask[1] = rs[VGT_SVGA3D_RS_COLORWRITEENABLE1];
    d->color_write_mask[2] = rs[VGT_SVGA3D_RS_COLORWRITEENABLE2];
    d->color_write_mask[3] = rs[VGT_SVGA3D_RS_COLORWRITEENABLE3];
    d->output_gamma = bitsf(rs[VGT_SVGA3D_RS_OUTPUTGAMMA]);
    d->transparency_antialias = rs[VGT_SVGA3D_RS_TRANSPARENCYANTIALIAS];
    d->render_states = c->rs;
    d->texture_states = (const uint32_t(*)[VGT_SVGA3D_TS_MAX])c->ts;
}

static vgt_backend_view target_view(const vgt_exec3d *e, const vgt_svga3d_surface_image_id *id)
{
    vgt_backend_view v = {0};
    e3d_surface *s = id->sid == VGT_SVGA3D_INVALID_ID ? NULL : e3d_surface_get(e, id->sid);
    /* Bindings are validated when set and removed when their surface goes,
     * so a bound id always names a live surface with that image. */
    if (s && id->face < s->faces && id->mipmap < s->mips) {
        v = e3d_view(s, id->face, id->mipmap);
    }
    return v;
}

vgt_status e3d_resolve(vgt_exec3d *e, e3d_context *c, const char *what, vgt_error *err)
{
    vgt_backend_draw_state *d = &c->resolved;
    if (c->dirty) {
        resolve_state(c, d);
        for (uint32_t s = 0; s < VGT_BACKEND_MAX_STAGES; s++) {
            /* above the caps (the backend's, or the trace's): clamped, as
             * Direct3D 9 hardware does with D3DSAMP_MAXANISOTROPY */
            if (d->stages[s].max_anisotropy > e->max_anisotropy) {
                d->stages[s].max_anisotropy = e->max_anisotropy;
            }
        }
    } else if (c->transforms_dirty) {
        resolve_transforms(c, d, c->transforms_dirty);
    }
    c->transforms_dirty = 0;
    if (!c->dirty && c->resolved_gen == e->objects_gen) {
        return VGT_OK; /* only the matrices (or nothing) changed: same serial */
    }
    /* Shaders. */
    for (uint32_t t = 0; t < 2; t++) {
        uint32_t id = c->shader_bound[t];
        e3d_shader *sh = NULL;
        if (id != VGT_SVGA3D_INVALID_ID) {
            sh = id < c->shader_cap[t] ? c->shaders[t][id] : NULL;
            if (sh && !e->caps.shaders) {
                return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                     "%s: context %u has %s shader %u bound; the %s backend does "
                                     "not run shaders",
                                     what, c->cid, t == E3D_VS ? "vertex" : "pixel", id,
                                     e->be.ops->name);
            }
        }
        if (t == E3D_VS) {
            d->vertex_shader = sh ? sh->host : NULL;
            d->vertex_shader_id = sh ? id : VGT_SVGA3D_INVALID_ID;
        } else {
            d->pixel_shader = sh ? sh->host : NULL;
            d->pixel_shader_id = sh ? id : VGT_SVGA3D_INVALID_ID;
        }
    }
    /* Lights: the enabled ones, in index order. */
    if (c->dirty) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < VGT_EXEC3D_MAX_LIGHT_INDEX; i++) {
            if (!c->light_enabled[i]) {
                continue;
            }
            if (n >= e->caps.max_lights || n >= VGT_BACKEND_MAX_LIGHTS) {
                return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                     "%s: context %u enables more than %u lights", what, c->cid,
                                     e->caps.max_lights);
            }
            const vgt_svga3d_light_data *l = &c->lights[i];
            vgt_backend_light *o = &d->lights[n++];
            o->enabled = true;
            o->index = i;
            o->type = l->type;
            o->in_world_space = l->in_world_space != 0;
            o->diffuse = color4(l->diffuse);
            o->specular = color4(l->specular);
            o->ambient = color4(l->ambient);
            memcpy(o->position, l->position, 12);
            memcpy(o->direction, l->direction, 12);
            o->range = l->range;
            o->falloff = l->falloff;
            o->attenuation0 = l->attenuation0;
            o->attenuation1 = l->attenuation1;
            o->attenuation2 = l->attenuation2;
            o->theta = l->theta;
            o->phi = l->phi;
        }
        d->light_count = n;
    }
    /* Targets and textures: looked up again after any state change and
     * after any surface was defined or destroyed (e->objects_gen). */
    d->color_target_count = 0;
    for (uint32_t i = 0; i < VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS; i++) {
        d->color_targets[i] = target_view(e, &c->rt[VGT_SVGA3D_RT_COLOR0 + i]);
        if (d->color_targets[i].surface) {
            d->color_target_count = i + 1u;
        }
    }
    d->depth_target = target_view(e, &c->rt[VGT_SVGA3D_RT_DEPTH]);
    d->stencil_target = target_view(e, &c->rt[VGT_SVGA3D_RT_STENCIL]);
    /* the default viewport covers the first bound color target (COLOR0
     * unless the guest left a gap there), else the depth target */
    const vgt_backend_view *first = NULL;
    for (uint32_t i = 0; i < d->color_target_count && !first; i++) {
        first = d->color_targets[i].surface ? &d->color_targets[i] : NULL;
    }
    if (!first) {
        first = d->depth_target.surface ? &d->depth_target : NULL;
    }
    if (c->viewport_set) {
        d->viewport = (vgt_backend_rect){(int32_t)c->viewport.x, (int32_t)c->viewport.y,
                                         c->viewport.w, c->viewport.h};
    } else {
        d->viewport =
            (vgt_backend_rect){0, 0, first ? first->size.width : 0, first ? first->size.height : 0};
    }
    for (uint32_t s = 0; s < VGT_BACKEND_MAX_STAGES; s++) {
        vgt_backend_stage *o = &d->stages[s];
        uint32_t sid = c->ts[s][VGT_SVGA3D_TS_BIND_TEXTURE];
        e3d_surface *tex = sid == VGT_SVGA3D_INVALID_ID ? NULL : e3d_surface_get(e, sid);
        if (tex) {
            o->texture = e3d_view(tex, 0, 0);
            o->texture_faces = tex->faces;
            o->texture_mips = tex->mips;
        } else {
            memset(&o->texture, 0, sizeof(o->texture));
            o->texture_faces = o->texture_mips = 0;
        }
    }
    c->dirty = false;
    c->resolved_gen = e->objects_gen;
    d->serial = ++e->last_serial;
    return VGT_OK;
}
