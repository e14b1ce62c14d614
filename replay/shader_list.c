/* vgt shader list: the shaders an SVGA trace defines, read from its
 * commands without a replay (vgt_shader_list, docs/cli.md).  The walk is
 * vgt leaks's (svga_walk.c); the bindings are the executor's as
 * bind_tracker.c follows them (its header says the rules), so that a draw
 * is counted for the shader a replay would run it with.  What is this
 * file's own: whether a SHADER_DEFINE is taken (its context defined, its
 * id and size in the executor's range, its bytecode valid and of the
 * command's type, no ERROR record naming it; a refused define leaves the
 * id's shader before it in place), and each listed define's columns.  The
 * tracker tags each shader it holds with its define's index + 1, so a
 * draw the executor takes (a colour or depth target bound) counts for the
 * defines bound then; a SHADER_DESTROY of the bound one, a redefinition
 * and a context's destroy or define again end a define's life.
 * Memory: the tracker's tables (the executor's 32768 surfaces, 256
 * contexts, shader ids grown as named), VGT_SHADER_LIST_MAX_DEFINES
 * defines and a hash set of theirs. */
#include "bind_tracker.h"
#include "svga_walk.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sl {
    svga_walk *w;
    const vgt_shader_list_options *o;
    vgt_shader_list_result *out;
    size_t cap;
    bind_tracker bt; /* contexts, surfaces, targets and shaders tagged index + 1 */
    /* the listed defines' hashes: slot holds index + 1, linear probing */
    uint32_t *hslot;
    uint32_t hslots;
    svga_walk_cmds walk;
    uint64_t seq;
    vgt_status st;  /* on_define's failure ... */
    vgt_error derr; /* ... and its message */
} sl;

/* The tag of a define the executor holds that is not listed (other
 * frames, past the bound): bound and drawn with, counted nowhere; a listed
 * one's is its index + 1. */
#define UNLISTED UINT32_MAX

/* The listed define tag names, or NULL. */
static vgt_shader_def *listed_def(sl *l, uint32_t tag)
{
    return tag && tag != UNLISTED && tag <= l->out->ndefs ? &l->out->defs[tag - 1u] : NULL;
}

static void end_life(sl *l, uint32_t tag, vgt_shader_def_end how)
{
    vgt_shader_def *d = listed_def(l, tag);
    if (d) {
        d->end = how;
        d->end_seq = l->seq;
    }
}

/* Context cid is about to end (destroyed or defined again): its shaders'
 * lives with it. */
static void context_end(sl *l, uint32_t cid)
{
    const bt_context *c = bt_context_get(&l->bt, cid);
    for (uint32_t type = VGT_SVGA3D_SHADERTYPE_VS; c && type <= VGT_SVGA3D_SHADERTYPE_PS; type++) {
        for (uint32_t shid = 0; shid < bt_shader_ids(c, type); shid++) {
            end_life(l, bt_shader_tag(c, type, shid), VGT_SHADER_END_CONTEXT);
        }
    }
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
    if (!bt_context_get(&l->bt, d->cid)) {
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
    const bt_context *c = bt_context_get(&l->bt, d->cid);
    uint32_t old = bt_shader_tag(c, d->type, d->shid);
    if (!bt_shader_define(&l->bt, d->cid, d->type, d->shid,
                          listed ? (uint32_t)index + 1u : UNLISTED)) {
        l->w->nomem |= l->bt.nomem; /* refusal() took its ids: out of memory */
        return;
    }
    end_life(l, old, VGT_SHADER_END_REDEFINE);
}

static void shader_destroy(sl *l, const vgt_svga3d_cmd_shader_destroy *d)
{
    const bt_context *c = bt_context_get(&l->bt, d->cid);
    uint32_t tag = c ? bt_shader_tag(c, d->type, d->shid) : 0;
    if (bt_shader_destroy(&l->bt, d->cid, d->type, d->shid)) {
        end_life(l, tag, VGT_SHADER_END_DESTROY);
    }
}

/* A DRAW_PRIMITIVES the executor takes counts for the defines bound. */
static void draw(sl *l, const vgt_cmd *cmd)
{
    const bt_context *c = bt_draw(&l->bt, cmd);
    if (!c) {
        return; /* refused: no context or target, their sizes, its declarations or ranges */
    }
    l->out->draws++;
    for (uint32_t k = 0; k < 2; k++) {
        vgt_shader_def *d = c->shader[k] == VGT_SVGA3D_INVALID_ID
                                ? NULL
                                : listed_def(l, bt_shader_tag(c, k + 1u, c->shader[k]));
        if (d) {
            d->draws++;
        }
    }
}

static void surface_define(sl *l, const vgt_cmd *cmd)
{
    bt_layout lay;
    if (bt_surface_check(&l->bt, cmd, &lay, NULL) == VGT_OK) {
        bt_surface_take(&l->bt, &lay, 1); /* no listing of its own: any tag */
    }
    l->w->nomem |= l->bt.nomem;
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
    case VGT_SVGA3D_CMD_SURFACE_DEFINE:
    case VGT_SVGA3D_CMD_SURFACE_DEFINE_V2:
        surface_define(l, cmd);
        break;
    case VGT_SVGA3D_CMD_SURFACE_DESTROY:
        bt_surface_destroy(&l->bt, cmd->u.surface_destroy.sid);
        break;
    case VGT_SVGA3D_CMD_CONTEXT_DEFINE:
        context_end(l, cmd->u.context_define.cid);
        bt_context_define(&l->bt, cmd->u.context_define.cid);
        break;
    case VGT_SVGA3D_CMD_CONTEXT_DESTROY:
        context_end(l, cmd->u.context_destroy.cid);
        bt_context_destroy(&l->bt, cmd->u.context_destroy.cid);
        break;
    case VGT_SVGA3D_CMD_SHADER_DESTROY:
        shader_destroy(l, &cmd->u.shader_destroy);
        break;
    case VGT_SVGA3D_CMD_SET_SHADER:
        bt_set_shader(&l->bt, &cmd->u.set_shader);
        break;
    case VGT_SVGA3D_CMD_SETRENDERTARGET:
        bt_set_render_target(&l->bt, &cmd->u.setrendertarget);
        break;
    case VGT_SVGA3D_CMD_DRAW_PRIMITIVES:
        draw(l, cmd);
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
    if (!l || !bt_init(&l->bt)) {
        free(l);
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
    bt_free(&l->bt);
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
