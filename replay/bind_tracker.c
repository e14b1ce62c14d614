/* The bindings of each 3D context as the executor keeps them, without a
 * replay (bind_tracker.h says the rules). */
#include "bind_tracker.h"

#include <stdlib.h>
#include <string.h>

static const vgt_svga3d_surface_image_id no_image = {VGT_SVGA3D_INVALID_ID, 0, 0};

bool bt_init(bind_tracker *t)
{
    memset(t, 0, sizeof(*t));
    t->surfaces = calloc(VGT_EXEC3D_MAX_SURFACE_IDS, sizeof(*t->surfaces));
    return t->surfaces != NULL;
}

/* Context c as CONTEXT_DEFINE (alive) or CONTEXT_DESTROY leaves it. */
static void context_reset(bt_context *c, bool alive)
{
    for (uint32_t k = 0; k < 2; k++) {
        free(c->defined[k]);
    }
    memset(c, 0, sizeof(*c));
    c->alive = alive;
    for (uint32_t i = 0; i < VGT_SVGA3D_RT_MAX; i++) {
        c->rt[i] = no_image;
    }
    for (uint32_t s = 0; s < VGT_SVGA3D_MAX_TEXTURE_STAGES; s++) {
        c->tex[s] = VGT_SVGA3D_INVALID_ID;
    }
    c->shader[0] = c->shader[1] = VGT_SVGA3D_INVALID_ID;
}

void bt_free(bind_tracker *t)
{
    if (t->surfaces) {
        for (uint32_t sid = 0; sid < VGT_EXEC3D_MAX_SURFACE_IDS; sid++) {
            free(t->surfaces[sid].images);
        }
    }
    free(t->surfaces);
    for (uint32_t i = 0; i < VGT_EXEC3D_MAX_CONTEXT_IDS; i++) {
        context_reset(&t->ctx[i], false);
    }
    memset(t, 0, sizeof(*t));
}

const bt_surface *bt_surface_get(const bind_tracker *t, uint32_t sid)
{
    return sid < VGT_EXEC3D_MAX_SURFACE_IDS && t->surfaces[sid].tag ? &t->surfaces[sid] : NULL;
}

const bt_surface *bt_image_get(const bind_tracker *t, const vgt_svga3d_surface_image_id *id)
{
    const bt_surface *s = bt_surface_get(t, id->sid);
    return s && id->face < s->faces && id->mipmap < s->mips ? s : NULL;
}

const bt_context *bt_context_get(const bind_tracker *t, uint32_t cid)
{
    return cid < VGT_EXEC3D_MAX_CONTEXT_IDS && t->ctx[cid].alive ? &t->ctx[cid] : NULL;
}

/* ---- surfaces ---------------------------------------------------------------------- */

vgt_status bt_surface_check(bind_tracker *t, const vgt_cmd *cmd, bt_layout *lay, vgt_error *err)
{
    /* SURFACE_DEFINE's fields are a prefix of SURFACE_DEFINE_V2's */
    const vgt_svga3d_cmd_surface_define_v2 *c = &cmd->u.surface_define_v2;
    memset(lay, 0, sizeof(*lay));
    vgt_surface_image *images = NULL;
    uint64_t total = 0;
    vgt_status st = e3d_surface_layout(cmd, NULL, &lay->faces, &lay->mips, &images, &total, err);
    if (st == VGT_OK) {
        const bt_surface *old = bt_surface_get(t, c->sid);
        st = e3d_surface_budget(cmd, total, t->surface_bytes - (old ? old->total : 0), err);
    }
    if (st != VGT_OK) {
        /* no images: the layout's own allocation failed, not the trace */
        t->nomem |= st == VGT_E_NOMEM && !images;
        free(images);
        memset(lay, 0, sizeof(*lay));
        return st;
    }
    lay->sid = c->sid;
    lay->format = c->format;
    lay->flags = c->surface_flags;
    lay->images = images;
    lay->total = total;
    return VGT_OK;
}

void bt_layout_free(bt_layout *lay)
{
    free(lay->images);
    memset(lay, 0, sizeof(*lay));
}

/* The executor's e3d_unbind_surface: sid leaves every slot of every context. */
static void unbind_surface(bind_tracker *t, uint32_t sid)
{
    for (uint32_t i = 0; i < VGT_EXEC3D_MAX_CONTEXT_IDS; i++) {
        bt_context *c = &t->ctx[i];
        for (uint32_t k = 0; k < VGT_SVGA3D_RT_MAX; k++) {
            if (c->rt[k].sid == sid) {
                c->rt[k] = no_image;
            }
        }
        for (uint32_t s = 0; s < VGT_SVGA3D_MAX_TEXTURE_STAGES; s++) {
            if (c->tex[s] == sid) {
                c->tex[s] = VGT_SVGA3D_INVALID_ID;
            }
        }
    }
}

static void surface_end(bind_tracker *t, uint32_t sid)
{
    bt_surface *s = &t->surfaces[sid];
    unbind_surface(t, sid);
    t->surface_bytes -= s->total;
    free(s->images);
    memset(s, 0, sizeof(*s));
}

void bt_surface_take(bind_tracker *t, bt_layout *lay, uint64_t tag)
{
    if (bt_surface_get(t, lay->sid)) {
        surface_end(t, lay->sid); /* redefining a live id destroys the old surface */
    }
    t->surfaces[lay->sid] = (bt_surface){.tag = tag,
                                         .faces = lay->faces,
                                         .mips = lay->mips,
                                         .flags = lay->flags,
                                         .fi = vgt_surface_format(lay->format),
                                         .images = lay->images,
                                         .total = lay->total};
    t->surface_bytes += lay->total;
    memset(lay, 0, sizeof(*lay));
}

bool bt_surface_destroy(bind_tracker *t, uint32_t sid)
{
    if (!bt_surface_get(t, sid)) {
        return false;
    }
    surface_end(t, sid);
    return true;
}

/* ---- contexts and shaders ---------------------------------------------------------- */

bool bt_context_define(bind_tracker *t, uint32_t cid)
{
    if (cid >= VGT_EXEC3D_MAX_CONTEXT_IDS) {
        return false;
    }
    context_reset(&t->ctx[cid], true); /* over a live one: the old one is destroyed */
    return true;
}

bool bt_context_destroy(bind_tracker *t, uint32_t cid)
{
    if (!bt_context_get(t, cid)) {
        return false;
    }
    context_reset(&t->ctx[cid], false);
    return true;
}

/* The live context cid, writable. */
static bt_context *context_of(bind_tracker *t, uint32_t cid)
{
    return (bt_context *)bt_context_get(t, cid);
}

uint32_t bt_shader_tag(const bt_context *c, uint32_t type, uint32_t shid)
{
    uint32_t k = type - 1u; /* VS or PS; anything else holds nothing */
    return k < 2u && shid < c->defined_cap[k] ? c->defined[k][shid] : 0;
}

uint32_t bt_shader_ids(const bt_context *c, uint32_t type)
{
    uint32_t k = type - 1u;
    return k < 2u ? c->defined_cap[k] : 0;
}

vgt_status bt_shader_check(const bind_tracker *t, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga3d_cmd_shader_define *d = &cmd->u.shader_define;
    if (!bt_context_get(t, d->cid)) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "SHADER_DEFINE: context %u is not defined",
                             d->cid);
    }
    return e3d_shader_check(cmd, err);
}

bool bt_shader_define(bind_tracker *t, uint32_t cid, uint32_t type, uint32_t shid, uint32_t tag)
{
    bt_context *c = context_of(t, cid);
    uint32_t k = type - 1u;
    if (!c || k >= 2u || shid >= VGT_EXEC3D_MAX_SHADER_IDS) {
        return false;
    }
    if (shid >= c->defined_cap[k]) {
        uint32_t cap = c->defined_cap[k] ? c->defined_cap[k] : 16u;
        while (cap <= shid) {
            cap *= 2u;
        }
        uint32_t *p = realloc(c->defined[k], (size_t)cap * sizeof(*p));
        if (!p) {
            t->nomem = true;
            return false;
        }
        memset(p + c->defined_cap[k], 0, (size_t)(cap - c->defined_cap[k]) * sizeof(*p));
        c->defined[k] = p;
        c->defined_cap[k] = cap;
    }
    c->defined[k][shid] = tag; /* over a defined one: replaced, bound by id still */
    return true;
}

bool bt_shader_destroy(bind_tracker *t, uint32_t cid, uint32_t type, uint32_t shid)
{
    bt_context *c = context_of(t, cid);
    if (!c || !bt_shader_tag(c, type, shid)) {
        return false;
    }
    c->defined[type - 1u][shid] = 0;
    if (c->shader[type - 1u] == shid) {
        c->shader[type - 1u] = VGT_SVGA3D_INVALID_ID;
    }
    return true;
}

bool bt_set_shader(bind_tracker *t, const vgt_svga3d_cmd_set_shader *s)
{
    bt_context *c = context_of(t, s->cid);
    uint32_t k = s->type - 1u;
    if (!c || k >= 2u ||
        (s->shid != VGT_SVGA3D_INVALID_ID && !bt_shader_tag(c, s->type, s->shid))) {
        return false;
    }
    c->shader[k] = s->shid;
    return true;
}

/* ---- bindings ---------------------------------------------------------------------- */

bool bt_set_render_target(bind_tracker *t, const vgt_svga3d_cmd_setrendertarget *r)
{
    bt_context *c = context_of(t, r->cid);
    if (!c || r->type >= VGT_SVGA3D_RT_MAX) {
        return false;
    }
    if (r->target.sid != VGT_SVGA3D_INVALID_ID) {
        const bt_surface *s = bt_image_get(t, &r->target);
        if (!s) {
            return false;
        }
        bool ok = r->type == VGT_SVGA3D_RT_DEPTH     ? s->fi->depth
                  : r->type == VGT_SVGA3D_RT_STENCIL ? s->fi->stencil
                                                     : s->fi->render_target;
        if (!ok || (s->fi->depth && s->images[0].size.depth > 1)) {
            return false;
        }
    }
    c->rt[r->type] = r->target;
    return true;
}

bool bt_set_texture_state(bind_tracker *t, const vgt_cmd *cmd)
{
    bt_context *c = context_of(t, cmd->u.settexturestate.cid);
    if (!c) {
        return false;
    }
    /* every entry checked first: one bad one refuses the command */
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 0; i < cmd->items.count; i++) {
            vgt_svga3d_texture_state_entry e;
            vgt_cmd_array_get(&cmd->items, i, &e);
            if (e.name != VGT_SVGA3D_TS_BIND_TEXTURE || e.stage >= VGT_SVGA3D_MAX_TEXTURE_STAGES) {
                continue;
            }
            if (pass == 1) {
                c->tex[e.stage] = e.value;
                continue;
            }
            const bt_surface *s = bt_surface_get(t, e.value);
            if (e.value != VGT_SVGA3D_INVALID_ID && (!s || !s->fi->texture)) {
                return false;
            }
        }
    }
    return true;
}

/* The image bound in slot k of c, as e3d_check_target_sizes measures it. */
static e3d_target_size target_size(const bind_tracker *t, const bt_context *c, uint32_t k)
{
    const vgt_svga3d_surface_image_id *id = &c->rt[k];
    const bt_surface *s = bt_image_get(t, id);
    if (!s) {
        return (e3d_target_size){.bound = false};
    }
    return (e3d_target_size){true, id->sid, s->images[id->face * s->mips + id->mipmap].size};
}

/* Whether the sizes of c's targets pass the executor's rules (depth: a
 * draw's, the depth target measured too). */
static bool sizes_fit(const bind_tracker *t, const bt_context *c, uint32_t cid, bool depth)
{
    e3d_target_sizes sizes = {.cid = cid,
                              .color_count = VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS};
    for (uint32_t i = 0; i < VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS; i++) {
        sizes.color[i] = target_size(t, c, VGT_SVGA3D_RT_COLOR0 + i);
    }
    sizes.depth = target_size(t, c, VGT_SVGA3D_RT_DEPTH);
    return e3d_check_target_sizes(&sizes, "", depth, NULL) == VGT_OK;
}

/* The tracker's surfaces as e3d_check_draw looks a draw's buffers up. */
static bool draw_buffer(const void *self, uint32_t sid, e3d_draw_buffer *out)
{
    const bt_surface *s = bt_surface_get(self, sid);
    if (!s) {
        return false;
    }
    *out =
        (e3d_draw_buffer){.sid = sid, .flags = s->flags, .fi = s->fi, .bytes = s->images[0].bytes};
    return true;
}

const bt_context *bt_draw(const bind_tracker *t, const vgt_cmd *cmd)
{
    uint32_t cid = cmd->u.draw_primitives.cid;
    const bt_context *c = bt_context_get(t, cid);
    if (!c) {
        return NULL;
    }
    bool target = bt_surface_get(t, c->rt[VGT_SVGA3D_RT_DEPTH].sid) != NULL;
    for (uint32_t k = VGT_SVGA3D_RT_COLOR0; k < VGT_SVGA3D_RT_MAX; k++) {
        target |= c->rt[k].sid != VGT_SVGA3D_INVALID_ID;
    }
    if (!target || !sizes_fit(t, c, cid, true)) {
        return NULL;
    }
    /* the declarations and ranges as the null backend's executor checks
     * them (bind_tracker.h: no backend limit, no vs_3_0 running) */
    e3d_draw_lookup lk = {.find = draw_buffer, .self = t, .max_primitives = UINT32_MAX};
    vgt_backend_draw_state d;
    vgt_svga3d_vertex_decl decls[VGT_SVGA3D_MAX_VERTEX_ARRAYS];
    uint32_t divisors[VGT_SVGA3D_MAX_VERTEX_ARRAYS];
    vgt_backend_draw_range ranges[VGT_SVGA3D_MAX_DRAW_PRIMITIVE_RANGES];
    return e3d_check_draw(&lk, cmd, false, false, &d, decls, divisors, ranges, NULL) == VGT_OK
               ? c
               : NULL;
}

const bt_context *bt_clear(const bind_tracker *t, const vgt_svga3d_cmd_clear *k)
{
    const bt_context *c = bt_context_get(t, k->cid);
    if (!c) {
        return NULL;
    }
    bool color = false;
    for (uint32_t i = VGT_SVGA3D_RT_COLOR0; i < VGT_SVGA3D_RT_MAX; i++) {
        color |= c->rt[i].sid != VGT_SVGA3D_INVALID_ID;
    }
    const bt_surface *depth = bt_surface_get(t, c->rt[VGT_SVGA3D_RT_DEPTH].sid);
    bool stencil =
        c->rt[VGT_SVGA3D_RT_STENCIL].sid != VGT_SVGA3D_INVALID_ID || (depth && depth->fi->stencil);
    if (((k->clear_flag & VGT_SVGA3D_CLEAR_COLOR) && (!color || !sizes_fit(t, c, k->cid, false))) ||
        ((k->clear_flag & VGT_SVGA3D_CLEAR_DEPTH) &&
         (!depth || !(k->depth >= 0.0f) || !(k->depth <= 1.0f))) ||
        ((k->clear_flag & VGT_SVGA3D_CLEAR_STENCIL) && !stencil)) {
        return NULL;
    }
    return c;
}
