/* vgt surfaces: the surfaces an SVGA trace defines and what the guest did
 * with each, read from its commands without a replay (vgt_surface_list,
 * docs/cli.md).  The walk is vgt leaks's (svga_walk.c); the surfaces,
 * contexts and bindings are the executor's as bind_tracker.c follows them
 * (vgt leaks's too: which define it takes, what unbinds, which draws and
 * clears it refuses):
 *   - a SURFACE_DEFINE(_V2) the tracker takes (e3d_surface_layout, the
 *     executor's checks and size rule without a backend's size limits,
 *     and e3d_surface_budget) and no ERROR record names is live; one over
 *     a live sid ends that surface (redefine@SEQ), unbound everywhere;
 *   - SURFACE_DESTROY of a live sid ends it, unbound everywhere: a draw
 *     after it does not count for it (nor for anything: the executor draws
 *     without that target or texture);
 *   - SURFACE_DMA counts when its image exists and every box passes
 *     e3d_dma_box_check (the bytes: the boxes' rows of blocks, as the
 *     executor stages them); empty boxes move nothing, a DMA of none is
 *     not counted (neither does the executor count it);
 *   - SURFACE_COPY, SURFACE_STRETCHBLT, PRESENT and BLIT_SURFACE_TO_SCREEN
 *     count when the surfaces they name are alive with that face and mip
 *     (their boxes are left to the ERROR records of a refusal);
 *   - a draw or a CLEAR the tracker refuses (as exec_draw and exec_clear
 *     do) counts for nothing.
 * A SNAPSHOT's surfaces are listed (snapshot); its synthetic commands set
 * the state, its DMAs and draws are not the guest's and count nothing.
 * Memory: the executor's surface table (32768 sids) and 256 contexts,
 * VGT_SURFACE_LIST_MAX_DEFINES defines. */
#include "bind_tracker.h"
#include "svga_walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A surface's tag in the tracker: the listed define's index + 1, or this
 * for one not listed. */
#define UNLISTED UINT32_MAX

typedef struct su {
    svga_walk *w;
    const vgt_surface_list_options *o;
    vgt_surface_list_result *out;
    size_t cap;
    bind_tracker bt; /* the executor's surfaces, contexts and bindings */
    svga_walk_cmds walk;
    uint64_t seq;
} su;

/* The listed define of a live surface, or NULL (not listed, or none). */
static vgt_surface_def *def_of(su *l, uint32_t sid)
{
    const bt_surface *s = bt_surface_get(&l->bt, sid);
    return s && s->tag != UNLISTED ? &l->out->defs[s->tag - 1u] : NULL;
}

/* The live surface sid ends (how, at l->seq); the caller's tracker call
 * unbinds it. */
static void surface_end(su *l, uint32_t sid, vgt_surface_def_end how)
{
    vgt_surface_def *d = def_of(l, sid);
    if (d) {
        d->end = how;
        d->end_seq = l->seq;
    }
}

/* Appends def to the list (or counts it unlisted); its index + 1, UNLISTED
 * past the bound, 0 out of memory. */
static uint32_t list_define(su *l, const vgt_surface_def *def)
{
    vgt_surface_list_result *r = l->out;
    if (r->ndefs == VGT_SURFACE_LIST_MAX_DEFINES) {
        r->unlisted++;
        return UNLISTED;
    }
    if (r->ndefs == l->cap) {
        size_t cap = l->cap ? 2u * l->cap : 64u;
        vgt_surface_def *v = realloc(r->defs, cap * sizeof(*v));
        if (!v) {
            l->w->nomem = true;
            return 0;
        }
        r->defs = v;
        l->cap = cap;
    }
    r->defs[r->ndefs++] = *def;
    return (uint32_t)r->ndefs;
}

static void surface_define(su *l, const vgt_cmd *cmd, bool rejected)
{
    /* SURFACE_DEFINE's fields are a prefix of SURFACE_DEFINE_V2's */
    const vgt_svga3d_cmd_surface_define_v2 *c = &cmd->u.surface_define_v2;
    const svga_walk *w = l->w;
    bool listed = !l->o->frames || (w->frame >= l->o->first_frame && w->frame <= l->o->last_frame);
    vgt_surface_def def = {.seq = l->seq,
                           .snapshot = l->walk.in_snapshot,
                           .v2 = cmd->id == VGT_SVGA3D_CMD_SURFACE_DEFINE_V2,
                           .frame = w->frame,
                           .sid = c->sid,
                           .format = c->format,
                           .flags = c->surface_flags,
                           .faces = (c->surface_flags & VGT_SVGA3D_SURFACE_CUBEMAP) ? 6u : 1u,
                           .mips = c->face_mip_levels[0],
                           .end_seq = UINT64_MAX};
    if (def.v2) {
        def.multisample = c->multisample_count;
    }
    if (cmd->items.count > 0) {
        vgt_svga3d_size s;
        vgt_cmd_array_get(&cmd->items, 0, &s);
        def.width = s.width;
        def.height = s.height;
        def.depth = s.depth;
    }
    bt_layout lay = {0};
    vgt_error e = {0};
    vgt_status st = VGT_E_STATE;
    if (rejected) {
        snprintf(def.reason, sizeof(def.reason),
                 "the device refused it (an ERROR record; vgt dump lists why)");
    } else {
        st = bt_surface_check(&l->bt, cmd, &lay, &e);
        if (l->bt.nomem) {
            l->w->nomem = true; /* our memory, not the trace's fault */
            return;
        }
        if (st != VGT_OK) {
            snprintf(def.reason, sizeof(def.reason), "%.*s", (int)sizeof(def.reason) - 1,
                     e.message);
        }
        def.storage = lay.total;
    }
    def.refused = st != VGT_OK;
    uint32_t index = listed ? list_define(l, &def) : UNLISTED;
    if (index == 0 || def.refused) {
        bt_layout_free(&lay);
        return;
    }
    if (bt_surface_get(&l->bt, c->sid)) {
        surface_end(l, c->sid, VGT_SURFACE_END_REDEFINE);
    }
    bt_surface_take(&l->bt, &lay, index);
}

static void surface_dma(su *l, const vgt_cmd *cmd)
{
    const vgt_svga3d_cmd_surface_dma *c = &cmd->u.surface_dma;
    const bt_surface *s = bt_image_get(&l->bt, &c->host);
    if (!s) {
        return; /* refused: no such image */
    }
    const vgt_surface_image *im = &s->images[c->host.face * s->mips + c->host.mipmap];
    uint64_t total = 0;
    uint32_t used = 0;
    for (uint32_t i = 0; i < cmd->items.count; i++) {
        vgt_svga3d_copy_box cb;
        vgt_cmd_array_get(&cmd->items, i, &cb);
        if (cb.w == 0 || cb.h == 0 || cb.d == 0) {
            continue; /* an empty box moves nothing */
        }
        uint32_t row_bytes, rows;
        uint64_t bytes;
        if (e3d_dma_box_check("SURFACE_DMA", s->fi, im, &cb, &row_bytes, &rows, NULL) != VGT_OK ||
            vgt_mul_overflow_u64((uint64_t)row_bytes * rows, cb.d, &bytes) ||
            vgt_add_overflow_u64(total, bytes, &total) || total > VGT_EXEC3D_MAX_DMA_BYTES) {
            return; /* the executor refuses the whole command */
        }
        used++;
    }
    vgt_surface_def *d = def_of(l, c->host.sid);
    if (!d || !used) {
        return;
    }
    if (c->transfer == VGT_SVGA3D_WRITE_HOST_VRAM) {
        d->uploads++;
        d->upload_bytes += total;
    } else {
        d->downloads++;
        d->download_bytes += total;
    }
}

/* SURFACE_COPY and SURFACE_STRETCHBLT: src to dest. */
static void surface_copy(su *l, const vgt_svga3d_surface_image_id *src,
                         const vgt_svga3d_surface_image_id *dest)
{
    if (!bt_image_get(&l->bt, src) || !bt_image_get(&l->bt, dest)) {
        return;
    }
    vgt_surface_def *d = def_of(l, src->sid);
    if (d) {
        d->copies_out++;
    }
    if ((d = def_of(l, dest->sid)) != NULL) {
        d->copies_in++;
    }
}

/* GENERATE_MIPMAPS: counts when the executor takes it, a live surface its
 * e3d_mipmaps_check allows (one of a single level is taken and left as it
 * is: counted too, as the guest's command). */
static void generate_mipmaps(su *l, uint32_t sid)
{
    const bt_surface *s = bt_surface_get(&l->bt, sid);
    vgt_surface_def *d = def_of(l, sid);
    if (s && d && e3d_mipmaps_check(s->fi, sid, NULL) == VGT_OK) {
        d->mip_generations++;
    }
}

/* Adds 1 to the field at offset `field` of each distinct listed define
 * among sids[0..n) (a surface in two slots of one role counts once). */
static void count_distinct(su *l, const uint32_t *sids, uint32_t n, size_t field)
{
    for (uint32_t i = 0; i < n; i++) {
        bool seen = false;
        for (uint32_t j = 0; j < i && !seen; j++) {
            seen = sids[j] == sids[i];
        }
        vgt_surface_def *d = seen ? NULL : def_of(l, sids[i]);
        if (d) {
            (*(uint64_t *)((char *)d + field))++;
        }
    }
}

/* A DRAW_PRIMITIVES (draw) or CLEAR the tracker takes: the surfaces bound
 * to its context count it. */
static void draw_or_clear(su *l, const vgt_cmd *cmd, bool draw)
{
    const bt_context *c = draw ? bt_draw(&l->bt, cmd) : bt_clear(&l->bt, &cmd->u.clear);
    if (!c) {
        return; /* refused */
    }
    uint32_t sids[VGT_SVGA3D_RT_MAX + VGT_SVGA3D_MAX_TEXTURE_STAGES];
    for (uint32_t t = 0; t < VGT_SVGA3D_RT_MAX; t++) {
        sids[t] = c->rt[t].sid;
    }
    if (!draw) {
        l->out->clears++;
        count_distinct(l, sids, VGT_SVGA3D_RT_MAX, offsetof(vgt_surface_def, rt_clears));
        return;
    }
    l->out->draws++;
    count_distinct(l, sids, VGT_SVGA3D_RT_MAX, offsetof(vgt_surface_def, rt_draws));
    count_distinct(l, c->tex, VGT_SVGA3D_MAX_TEXTURE_STAGES, offsetof(vgt_surface_def, tex_draws));
    /* the vertex arrays, then the index buffers: at most a command's words */
    uint32_t n = cmd->items.count > cmd->ranges.count ? cmd->items.count : cmd->ranges.count;
    uint32_t *v = calloc((size_t)n + 1u, sizeof(*v));
    if (!v) {
        l->w->nomem = true;
        return;
    }
    for (uint32_t i = 0; i < cmd->items.count; i++) {
        vgt_svga3d_vertex_decl decl;
        vgt_cmd_array_get(&cmd->items, i, &decl);
        v[i] = decl.array.surface_id;
    }
    count_distinct(l, v, cmd->items.count, offsetof(vgt_surface_def, vertex_draws));
    for (uint32_t i = 0; i < cmd->ranges.count; i++) {
        vgt_svga3d_primitive_range r;
        vgt_cmd_array_get(&cmd->ranges, i, &r);
        v[i] = r.index_array.surface_id;
    }
    count_distinct(l, v, cmd->ranges.count, offsetof(vgt_surface_def, index_draws));
    free(v);
}

static void present(su *l, const vgt_svga3d_surface_image_id *id)
{
    vgt_surface_def *d = bt_image_get(&l->bt, id) ? def_of(l, id->sid) : NULL;
    if (d) {
        d->presents++;
    }
}

/* The state a SNAPSHOT's synthetic commands set; the rest is not the guest's. */
static bool sets_state(uint32_t id)
{
    return id == VGT_SVGA3D_CMD_SURFACE_DEFINE || id == VGT_SVGA3D_CMD_SURFACE_DEFINE_V2 ||
           id == VGT_SVGA3D_CMD_CONTEXT_DEFINE || id == VGT_SVGA3D_CMD_SETRENDERTARGET ||
           id == VGT_SVGA3D_CMD_SETTEXTURESTATE;
}

/* Every command (svga_walk_commands): a rejected define is still listed
 * (refused); the rest of the rejected changed nothing. */
static void take(void *ctx, uint64_t seq, const vgt_cmd *cmd, bool rejected)
{
    su *l = ctx;
    l->seq = seq;
    bool define =
        cmd->id == VGT_SVGA3D_CMD_SURFACE_DEFINE || cmd->id == VGT_SVGA3D_CMD_SURFACE_DEFINE_V2;
    if (define) {
        surface_define(l, cmd, rejected);
        return;
    }
    if (rejected || (l->walk.in_snapshot && !sets_state(cmd->id))) {
        return;
    }
    switch (cmd->id) {
    case VGT_SVGA3D_CMD_SURFACE_DESTROY:
        if (bt_surface_get(&l->bt, cmd->u.surface_destroy.sid)) {
            surface_end(l, cmd->u.surface_destroy.sid, VGT_SURFACE_END_DESTROY);
        }
        bt_surface_destroy(&l->bt, cmd->u.surface_destroy.sid);
        break;
    case VGT_SVGA3D_CMD_CONTEXT_DEFINE:
        bt_context_define(&l->bt, cmd->u.context_define.cid);
        break;
    case VGT_SVGA3D_CMD_CONTEXT_DESTROY:
        bt_context_destroy(&l->bt, cmd->u.context_destroy.cid);
        break;
    case VGT_SVGA3D_CMD_SURFACE_DMA:
        surface_dma(l, cmd);
        break;
    case VGT_SVGA3D_CMD_SURFACE_COPY:
        surface_copy(l, &cmd->u.surface_copy.src, &cmd->u.surface_copy.dest);
        break;
    case VGT_SVGA3D_CMD_SURFACE_STRETCHBLT:
        surface_copy(l, &cmd->u.surface_stretchblt.src, &cmd->u.surface_stretchblt.dest);
        break;
    case VGT_SVGA3D_CMD_GENERATE_MIPMAPS:
        generate_mipmaps(l, cmd->u.generate_mipmaps.sid);
        break;
    case VGT_SVGA3D_CMD_SETRENDERTARGET:
        bt_set_render_target(&l->bt, &cmd->u.setrendertarget);
        break;
    case VGT_SVGA3D_CMD_SETTEXTURESTATE:
        bt_set_texture_state(&l->bt, cmd);
        break;
    case VGT_SVGA3D_CMD_DRAW_PRIMITIVES:
        draw_or_clear(l, cmd, true);
        break;
    case VGT_SVGA3D_CMD_CLEAR:
        draw_or_clear(l, cmd, false);
        break;
    case VGT_SVGA3D_CMD_PRESENT: {
        vgt_svga3d_surface_image_id id = {cmd->u.present.sid, 0, 0};
        present(l, &id);
        break;
    }
    case VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN:
        present(l, &cmd->u.blit_surface_to_screen.src_image);
        break;
    default:
        break;
    }
}

vgt_status vgt_surface_list(vgt_trace_reader *rd, const vgt_surface_list_options *o,
                            vgt_surface_list_result *out, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    static const vgt_surface_list_options none;
    su *l = calloc(1, sizeof(*l));
    if (!l || !bt_init(&l->bt)) {
        free(l);
        return vgt_error_set(err, VGT_E_NOMEM, "vgt surfaces: out of memory");
    }
    svga_walk w;
    l->w = &w;
    l->o = o ? o : &none;
    l->out = out;
    l->walk = (svga_walk_cmds){.take = take, .ctx = l};
    vgt_status st = svga_walk_commands(&w, "vgt surfaces", rd, &l->walk, err);
    out->walk = w.sum;
    bt_free(&l->bt);
    free(l);
    return st;
}

void vgt_surface_list_free(vgt_surface_list_result *out)
{
    free(out->defs);
    out->defs = NULL;
    out->ndefs = 0;
}
