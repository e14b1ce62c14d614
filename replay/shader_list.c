/* vgt shader list: the shaders an SVGA trace defines, read from its
 * commands without a replay (vgt_shader_list, docs/cli.md).  The walk is
 * vgt leaks's (svga_walk.c); the bindings follow the executor's
 * (state3d.c), so that a draw is counted for the shader a replay would
 * run it with:
 *   - a SHADER_DEFINE is taken when its context is defined, its id and size
 *     are in the executor's range, its bytecode validates and names the
 *     command's type, and no ERROR record names it; a define the device
 *     refused leaves the id's shader before it in place;
 *   - SET_SHADER binds an id per context and type (an id not defined is
 *     refused: the binding stays), SVGA3D_INVALID_ID unbinds;
 *   - a redefinition the device takes replaces the shader under a binding
 *     by id: later draws count for the new define;
 *   - SHADER_DESTROY of the bound id unbinds it: a draw after it runs the
 *     fixed-function stage of that type and counts for no define;
 *   - a context's destroy, or its define again, takes its shaders and
 *     bindings.
 * Memory: the executor's tables (256 contexts, 8192 ids per type, grown as
 * named), VGT_SHADER_LIST_MAX_DEFINES defines and a hash set of theirs. */
#include "exec3d.h"
#include "svga_walk.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One context as the executor holds it. */
typedef struct sl_context {
    bool alive;
    uint32_t bound[2];  /* shid per type (VGT_SVGA3D_INVALID_ID: none) */
    uint32_t *slots[2]; /* per type and id: the live define's index + 1 (0: none) */
    uint32_t slot_cap[2];
} sl_context;

typedef struct sl {
    svga_walk *w;
    const vgt_shader_list_options *o;
    vgt_shader_list_result *out;
    size_t cap;
    sl_context ctx[VGT_EXEC3D_MAX_CONTEXT_IDS];
    /* the listed defines' hashes: slot holds index + 1, linear probing */
    uint32_t *hslot;
    uint32_t hslots;
    svga_walk_cmds walk;
    uint64_t seq;
    vgt_status st;  /* on_define's failure ... */
    vgt_error derr; /* ... and its message */
} sl;

/* A slot's value for a define the executor holds that is not listed
 * (other frames, past the bound): bound and drawn with, counted nowhere. */
#define UNLISTED UINT32_MAX

/* The slot of (context c, type t, shid), grown when grow; NULL past the
 * executor's ids or out of memory (l->w->nomem). */
static uint32_t *slot_of(sl *l, sl_context *c, uint32_t t, uint32_t shid, bool grow)
{
    if (shid >= VGT_EXEC3D_MAX_SHADER_IDS) {
        return NULL;
    }
    if (shid >= c->slot_cap[t]) {
        if (!grow) {
            return NULL;
        }
        uint32_t cap = c->slot_cap[t] ? c->slot_cap[t] : 16u;
        while (cap <= shid) {
            cap *= 2u;
        }
        uint32_t *p = realloc(c->slots[t], (size_t)cap * sizeof(*p));
        if (!p) {
            l->w->nomem = true;
            return NULL;
        }
        memset(p + c->slot_cap[t], 0, (size_t)(cap - c->slot_cap[t]) * sizeof(*p));
        c->slots[t] = p;
        c->slot_cap[t] = cap;
    }
    return &c->slots[t][shid];
}

static void end_life(sl *l, uint32_t index, vgt_shader_def_end how)
{
    if (index && index <= l->out->ndefs) {
        vgt_shader_def *d = &l->out->defs[index - 1u];
        d->end = how;
        d->end_seq = l->seq;
    }
}

/* Context cid ends (destroyed or defined again): its shaders with it. */
static void context_end(sl *l, uint32_t cid)
{
    sl_context *c = &l->ctx[cid];
    for (uint32_t t = 0; t < 2; t++) {
        for (uint32_t i = 0; i < c->slot_cap[t]; i++) {
            end_life(l, c->slots[t][i], VGT_SHADER_END_CONTEXT);
        }
        free(c->slots[t]);
    }
    memset(c, 0, sizeof(*c));
}

static void context_define(sl *l, uint32_t cid)
{
    if (cid >= VGT_EXEC3D_MAX_CONTEXT_IDS) {
        return; /* refused by the executor */
    }
    context_end(l, cid);
    l->ctx[cid].alive = true;
    l->ctx[cid].bound[0] = l->ctx[cid].bound[1] = VGT_SVGA3D_INVALID_ID;
}

static sl_context *context_get(sl *l, uint32_t cid)
{
    return cid < VGT_EXEC3D_MAX_CONTEXT_IDS && l->ctx[cid].alive ? &l->ctx[cid] : NULL;
}

/* The index of the first listed define of hash h, adding index when none. */
static size_t same_as(sl *l, uint64_t h, size_t index)
{
    vgt_shader_list_result *r = l->out;
    if (2u * (r->distinct + 1u) > l->hslots) { /* keep the load at most 1/2 */
        uint32_t slots = l->hslots ? 2u * l->hslots : 256u;
        uint32_t *p = calloc(slots, sizeof(*p));
        if (!p) {
            l->w->nomem = true;
            return index;
        }
        for (uint32_t i = 0; i < l->hslots; i++) {
            uint32_t v = l->hslot[i];
            if (v) {
                uint32_t k = (uint32_t)(r->defs[v - 1u].hash >> 32) & (slots - 1u);
                while (p[k]) {
                    k = (k + 1u) & (slots - 1u);
                }
                p[k] = v;
            }
        }
        free(l->hslot);
        l->hslot = p;
        l->hslots = slots;
    }
    /* XXH3's high bits are as good as any (a hostile trace gains nothing:
     * its shaders' hashes are its own) */
    uint32_t k = (uint32_t)(h >> 32) & (l->hslots - 1u);
    for (; l->hslot[k]; k = (k + 1u) & (l->hslots - 1u)) {
        if (r->defs[l->hslot[k] - 1u].hash == h) {
            return l->hslot[k] - 1u;
        }
    }
    l->hslot[k] = (uint32_t)index + 1u;
    r->distinct++;
    return index;
}

/* XXH3_64 of n words as the guest sent them (little-endian bytes); false
 * when out of memory. */
static bool bytecode_hash(const uint32_t *words, uint32_t n, uint64_t *h)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    *h = vgt_trace_hash64(words, (size_t)n * 4u);
    return true;
#else
    uint8_t *le = malloc((size_t)n * 4u + 1u);
    if (!le) {
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        vgt_store_le32(le + 4u * i, words[i]);
    }
    *h = vgt_trace_hash64(le, (size_t)n * 4u);
    free(le);
    return true;
#endif
}

/* Why the executor would refuse d (NULL: it takes it). */
static const char *refusal(sl *l, const vgt_svga3d_cmd_shader_define *d, const vgt_cmd *cmd,
                           bool rejected, char *buf, size_t size)
{
    if (rejected) {
        return "the device refused it (an ERROR record; vgt dump lists why)";
    }
    if (!context_get(l, d->cid)) {
        snprintf(buf, size, "context %u is not defined", d->cid);
        return buf;
    }
    if (d->shid >= VGT_EXEC3D_MAX_SHADER_IDS) {
        snprintf(buf, size, "shader id %u (ids are 0..%u)", d->shid,
                 VGT_EXEC3D_MAX_SHADER_IDS - 1u);
        return buf;
    }
    if ((uint64_t)cmd->data_words * 4u > VGT_EXEC3D_MAX_SHADER_BYTES) {
        snprintf(buf, size, "%u bytes of bytecode (at most %u)", cmd->data_words * 4u,
                 VGT_EXEC3D_MAX_SHADER_BYTES);
        return buf;
    }
    return NULL;
}

static void shader_define(sl *l, const vgt_cmd *cmd, bool rejected)
{
    const vgt_svga3d_cmd_shader_define *d = &cmd->u.shader_define;
    vgt_shader_list_result *r = l->out;
    const svga_walk *w = l->w;
    const vgt_shader_list_options *o = l->o;
    bool listed = !o->frames || (w->frame >= o->first_frame && w->frame <= o->last_frame);
    vgt_shader_def def = {.seq = l->seq,
                          .snapshot = l->walk.in_snapshot,
                          .frame = w->frame,
                          .cid = d->cid,
                          .shid = d->shid,
                          .type = d->type,
                          .tokens = cmd->data_words,
                          .version_token = cmd->data_words ? cmd->data[0] : 0,
                          .end_seq = UINT64_MAX};
    if (listed && !bytecode_hash(cmd->data, cmd->data_words, &def.hash)) {
        l->w->nomem = true;
        return;
    }
    vgt_shader_diag diag = {0};
    vgt_error verr = {0};
    vgt_shader *sh = NULL;
    vgt_status vst = vgt_shader_parse(cmd->data, cmd->data_words, &sh, &diag, &verr);
    if (vst == VGT_E_NOMEM) {
        l->w->nomem = true;
        return;
    }
    def.valid = vst == VGT_OK;
    char why[160];
    const char *refused = refusal(l, d, cmd, rejected, why, sizeof(why));
    if (def.valid) {
        def.insns = sh->insn_count;
        bool is_vs = sh->type == VGT_SHADER_VS;
        if (!refused && is_vs != (d->type == VGT_SVGA3D_SHADERTYPE_VS)) {
            snprintf(why, sizeof(why), "a %s shader's bytecode defined as %s",
                     is_vs ? "vertex" : "pixel", vgt_svga3d_shader_type_name(d->type));
            refused = why;
        }
        vgt_shader_free(sh);
        snprintf(def.reason, sizeof(def.reason), "%s", refused ? refused : "");
    } else {
        /* the executor validates first for every backend: refused */
        def.fault = diag.fault;
        def.fault_token = diag.token;
        snprintf(def.reason, sizeof(def.reason), "%.*s", (int)sizeof(def.reason) - 1, verr.message);
        refused = def.reason;
    }
    def.refused = refused != NULL;
    size_t index = r->ndefs;
    if (listed) {
        if (r->ndefs == VGT_SHADER_LIST_MAX_DEFINES) {
            r->unlisted++;
            listed = false;
        } else {
            if (r->ndefs == l->cap) {
                size_t cap = l->cap ? 2u * l->cap : 64u;
                vgt_shader_def *v = realloc(r->defs, cap * sizeof(*v));
                if (!v) {
                    l->w->nomem = true;
                    return;
                }
                r->defs = v;
                l->cap = cap;
            }
            r->defs[r->ndefs++] = def;
            r->defs[index].same_as = same_as(l, def.hash, index);
            if (o->on_define && l->st == VGT_OK) {
                l->st = o->on_define(o->ctx, &r->defs[index], index, cmd->data, &l->derr);
                l->w->nomem |= l->st != VGT_OK; /* stops the walk; l->st says why */
            }
        }
    }
    if (refused) {
        return;
    }
    sl_context *c = context_get(l, d->cid);
    uint32_t *slot = slot_of(l, c, d->type - 1u, d->shid, true);
    if (!slot) {
        return; /* out of memory: the walk stops */
    }
    end_life(l, *slot, VGT_SHADER_END_REDEFINE);
    *slot = listed ? (uint32_t)index + 1u : UNLISTED;
}

static void shader_destroy(sl *l, const vgt_svga3d_cmd_shader_destroy *d)
{
    sl_context *c = context_get(l, d->cid);
    uint32_t t = d->type - 1u;
    uint32_t *slot = c ? slot_of(l, c, t, d->shid, false) : NULL;
    if (!slot) {
        return; /* not defined: refused */
    }
    end_life(l, *slot, VGT_SHADER_END_DESTROY);
    *slot = 0;
    if (c->bound[t] == d->shid) {
        c->bound[t] = VGT_SVGA3D_INVALID_ID;
    }
}

static void set_shader(sl *l, const vgt_svga3d_cmd_set_shader *s)
{
    sl_context *c = context_get(l, s->cid);
    if (!c) {
        return;
    }
    uint32_t t = s->type - 1u;
    if (s->shid != VGT_SVGA3D_INVALID_ID) {
        const uint32_t *slot = slot_of(l, c, t, s->shid, false);
        if (!slot || !*slot) {
            return; /* not defined: refused, the binding stays */
        }
    }
    c->bound[t] = s->shid;
}

static void draw(sl *l, uint32_t cid)
{
    sl_context *c = context_get(l, cid);
    l->out->draws++;
    for (uint32_t t = 0; c && t < 2; t++) {
        const uint32_t *slot =
            c->bound[t] == VGT_SVGA3D_INVALID_ID ? NULL : slot_of(l, c, t, c->bound[t], false);
        if (slot && *slot && *slot != UNLISTED) {
            l->out->defs[*slot - 1u].draws++;
        }
    }
}

/* Every command (svga_walk_commands): a rejected SHADER_DEFINE is still
 * listed (refused); the rest of the rejected changed nothing. */
static void take(void *ctx, uint64_t seq, const vgt_cmd *cmd, bool rejected)
{
    sl *l = ctx;
    l->seq = seq;
    if (cmd->id == VGT_SVGA3D_CMD_SHADER_DEFINE) {
        shader_define(l, cmd, rejected);
        return;
    }
    if (rejected) {
        return;
    }
    switch (cmd->id) {
    case VGT_SVGA3D_CMD_CONTEXT_DEFINE:
        context_define(l, cmd->u.context_define.cid);
        break;
    case VGT_SVGA3D_CMD_CONTEXT_DESTROY:
        if (context_get(l, cmd->u.context_destroy.cid)) {
            context_end(l, cmd->u.context_destroy.cid);
        }
        break;
    case VGT_SVGA3D_CMD_SHADER_DESTROY:
        shader_destroy(l, &cmd->u.shader_destroy);
        break;
    case VGT_SVGA3D_CMD_SET_SHADER:
        set_shader(l, &cmd->u.set_shader);
        break;
    case VGT_SVGA3D_CMD_DRAW_PRIMITIVES:
        draw(l, cmd->u.draw_primitives.cid);
        break;
    default:
        break;
    }
}

vgt_status vgt_shader_list(vgt_trace_reader *rd, const vgt_shader_list_options *o,
                           vgt_shader_list_result *out, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    static const vgt_shader_list_options none;
    sl *l = calloc(1, sizeof(*l));
    if (!l) {
        return vgt_error_set(err, VGT_E_NOMEM, "vgt shader list: out of memory");
    }
    svga_walk w;
    l->w = &w;
    l->o = o ? o : &none;
    l->out = out;
    l->walk = (svga_walk_cmds){.take = take, .ctx = l};
    vgt_status st = svga_walk_commands(&w, "vgt shader list", rd, &l->walk, err);
    if (l->st != VGT_OK) {
        st = l->st; /* on_define's, not the walk's "out of memory" */
        if (err) {
            *err = l->derr;
        }
    }
    out->walk = w.sum;
    for (uint32_t cid = 0; cid < VGT_EXEC3D_MAX_CONTEXT_IDS; cid++) {
        free(l->ctx[cid].slots[0]);
        free(l->ctx[cid].slots[1]);
    }
    free(l->hslot);
    free(l);
    return st;
}

void vgt_shader_list_free(vgt_shader_list_result *out)
{
    free(out->defs);
    out->defs = NULL;
    out->ndefs = 0;
}
