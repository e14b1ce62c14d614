/* vgt leaks: the objects a guest created and never destroyed, and the
 * misuse of their ids, found by reading the recorded commands (vgt_leaks,
 * docs/cli.md).  Static analysis, no executor: every command is decoded
 * (vgt_cmd_decode) and its id fields (vgt_cmd_ids, the decoder's knowledge)
 * are uses; the define and destroy commands of each kind move an object
 * through its life.  One pass, O(commands), with one open-addressing map per
 * kind bounded at VGT_LEAKS_MAX_IDS objects (a hostile trace naming
 * millions of ids costs no more; what passes the bound is counted, not
 * judged).
 *
 * What the protocol and vgt's executor say about redefinition: a
 * SURFACE_DEFINE, CONTEXT_DEFINE or SHADER_DEFINE over a live id is taken
 * by the executor (the old object destroyed, as hosts do) but means the
 * guest lost track of an object: reported (REDEFINE).  DEFINE_GMR2 and
 * DEFINE_SCREEN over a live id are the protocol's way to resize or move
 * them (svga_reg.h): not misuse.  A GMR dies by DEFINE_GMR2 with 0 pages or
 * a GMR_DESCRIPTOR register write of 0; shaders die with their context.
 *
 * Queries follow the executor's state machine (exec3d.c), per context and
 * query type: BEGIN_QUERY opens one (over an open one it restarts it: the
 * guest lost track, QUERY_REBEGUN), END_QUERY needs it open, WAIT_FOR_QUERY
 * needs it begun in that context (ended or not: whether the device waits
 * depends on the guest's memory); a context's destroy or redefine ends its
 * open queries (QUERY_OPEN, with the seq they died at).  Overlay units
 * follow the device (overlay.c): SET_REGS stores registers, a FLUSH hides
 * the unit and shows it again when ENABLED with a non-empty destination
 * (reading DATA_GMRID and placing on DST_SCREEN_ID then: the uses), and a
 * FLUSH the device refused leaves it hidden.  Fences: the reference driver
 * (SVGA_InsertFence) numbers them 1, 2, ... wrapping at 2^32, so each
 * FENCE's value is expected 1..2^31-1 ahead of the one before; a trace cut
 * mid-run carries the one before its first in the snapshot (FENC).
 *
 * A CLEAR or a DRAW_PRIMITIVES uses the surfaces bound to its context at
 * that moment (render targets; a draw also its texture stages and its
 * shaders), whether a command or the trace's SNAPSHOT bound them: a trace
 * cut mid-run draws into targets it never names.  What is bound, and which
 * draws and clears the executor takes, is bind_tracker.c's (vgt surfaces's
 * too); a surface there is tagged with its define's gen, so that one the
 * executor keeps under a define it refuses is no use of the new object. */
#include "bind_tracker.h"
#include "svga_walk.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* One object of a kind: its report entry and its life. */
typedef struct obj {
    vgt_leak_object o;
    bool alive;       /* defined and not destroyed (shaders: see shader_alive) */
    bool ended;       /* its end was judged (an UNUSED reported or not) */
    uint64_t end_seq; /* its destroy (UINT64_MAX: none) */
    uint64_t gen;     /* contexts and surfaces: their define's number; shaders: their context's */
    /* contexts: the define before (its gen and end), so that a shader of it
     * still says when it died after the context id was defined again */
    uint64_t prev_gen, prev_end;
} obj;

/* (id, cid, type) -> object, linear probing; slot holds index + 1. */
typedef struct kmap {
    obj *objs;
    uint32_t n, cap;
    uint32_t *slot;
    uint32_t slots;
} kmap;

typedef struct lk {
    vgt_leaks_result *out;
    uint32_t limit;
    kmap m[VGT_LEAK_KINDS];
    uint64_t kept[VGT_LEAK_PROBLEMS];
    size_t icap;
    bool nomem;
    /* the command (or register write) being read */
    svga_walk *w; /* the walk (its guest frame; its nomem stops it) */
    uint64_t seq, frame;
    uint32_t cmd;
    const vgt_cmd *cur;
    bool in_snapshot;     /* defining the snapshot's objects */
    uint64_t gen;         /* context defines so far */
    uint64_t surface_gen; /* surface defines so far */
    bind_tracker *bt;     /* what the executor has bound */
    uint32_t gmr_reg;     /* the last GMR_ID register write */
    /* fences: the last FENCE's value and seq */
    bool has_fence;
    uint32_t last_fence;
    uint64_t last_fence_seq;
    /* overlay units: their registers as SET_REGS left them (not latched) */
    struct {
        bool configured; /* a SET_REGS (or the snapshot) named it */
        uint32_t regs[VGT_SVGA_VIDEO_NUM_REGS];
    } units[VGT_SVGA_NUM_OVERLAY_UNITS];
} lk;

static const char *const kind_names[VGT_LEAK_KINDS] = {"surface", "context", "shader",  "gmr",
                                                       "screen",  "query",   "overlay", "fence"};
static const char *const problem_names[VGT_LEAK_PROBLEMS] = {
    "destroy-undefined", "destroy-twice",   "redefine",      "dangling",    "unused",
    "query-open",        "query-not-begun", "query-rebegun", "fence-reused"};

const char *vgt_leak_kind_name(vgt_leak_kind kind)
{
    return (unsigned)kind < VGT_LEAK_KINDS ? kind_names[kind] : "?";
}

const char *vgt_leak_problem_name(vgt_leak_problem p)
{
    return (unsigned)p < VGT_LEAK_PROBLEMS ? problem_names[p] : "?";
}

/* ---- the maps --------------------------------------------------------------------- */

static uint32_t key_slot(uint32_t id, uint32_t cid, uint32_t type, uint32_t slots)
{
    uint64_t k = ((uint64_t)cid << 32 | id) ^ ((uint64_t)type * 0xC2B2AE3D27D4EB4Full);
    return (uint32_t)((k * 0x9E3779B97F4A7C15ull) >> 32) & (slots - 1u);
}

static obj *kmap_find(const kmap *m, uint32_t id, uint32_t cid, uint32_t type)
{
    if (!m->slots) {
        return NULL;
    }
    for (uint32_t i = key_slot(id, cid, type, m->slots);; i = (i + 1u) & (m->slots - 1u)) {
        if (!m->slot[i]) {
            return NULL;
        }
        obj *o = &m->objs[m->slot[i] - 1u];
        if (o->o.id == id && o->o.cid == cid && o->o.type == type) {
            return o;
        }
    }
}

/* A new object (zeroed but for its key); NULL when the map holds
 * VGT_LEAKS_MAX_IDS objects, or out of memory (l->nomem). */
static obj *kmap_add(lk *l, kmap *m, uint32_t id, uint32_t cid, uint32_t type)
{
    if (m->n >= VGT_LEAKS_MAX_IDS) {
        return NULL;
    }
    if (m->n == m->cap) {
        uint32_t cap = m->cap ? 2u * m->cap : 64u;
        obj *objs = realloc(m->objs, (size_t)cap * sizeof(*objs));
        if (!objs) {
            l->nomem = true;
            return NULL;
        }
        m->objs = objs;
        m->cap = cap;
    }
    if (2u * (m->n + 1u) > m->slots) { /* keep the load at most 1/2 */
        uint32_t slots = m->slots ? 2u * m->slots : 128u;
        uint32_t *slot = calloc(slots, sizeof(*slot));
        if (!slot) {
            l->nomem = true;
            return NULL;
        }
        for (uint32_t j = 0; j < m->n; j++) {
            const obj *o = &m->objs[j];
            uint32_t i = key_slot(o->o.id, o->o.cid, o->o.type, slots);
            while (slot[i]) {
                i = (i + 1u) & (slots - 1u);
            }
            slot[i] = j + 1u;
        }
        free(m->slot);
        m->slot = slot;
        m->slots = slots;
    }
    uint32_t i = key_slot(id, cid, type, m->slots);
    while (m->slot[i]) {
        i = (i + 1u) & (m->slots - 1u);
    }
    obj *o = &m->objs[m->n];
    memset(o, 0, sizeof(*o));
    o->end_seq = UINT64_MAX;
    o->o.id = id;
    o->o.cid = cid;
    o->o.type = type;
    m->slot[i] = ++m->n;
    return o;
}

static void kmap_free(kmap *m)
{
    free(m->objs);
    free(m->slot);
    memset(m, 0, sizeof(*m));
}

/* ---- lives ------------------------------------------------------------------------ */

/* A shader lives while it is defined and the context it was defined in
 * (that define of it: gen) lives.  (A query dies with its context at once:
 * queries_die.) */
static bool obj_alive(const lk *l, vgt_leak_kind kind, const obj *o)
{
    if (!o->alive || kind != VGT_LEAK_SHADER) {
        return o->alive;
    }
    const obj *c = kmap_find(&l->m[VGT_LEAK_CONTEXT], o->o.cid, 0, 0);
    return c && c->alive && c->gen == o->gen;
}

/* Counts the issue and keeps it (returned) while under the limit. */
static vgt_leak_issue *issue(lk *l, vgt_leak_problem p, vgt_leak_kind kind, const obj *o,
                             uint32_t id, uint32_t cid, uint32_t type, uint64_t ref_seq)
{
    vgt_leaks_result *r = l->out;
    r->problems[p]++;
    if (l->kept[p] >= l->limit) {
        return NULL;
    }
    if (r->nissues == l->icap) {
        size_t cap = l->icap ? 2u * l->icap : 16u;
        vgt_leak_issue *v = realloc(r->issues, cap * sizeof(*v));
        if (!v) {
            l->nomem = true;
            return NULL;
        }
        r->issues = v;
        l->icap = cap;
    }
    vgt_leak_issue *i = &r->issues[r->nissues++];
    l->kept[p]++;
    *i = (vgt_leak_issue){.problem = p,
                          .kind = kind,
                          .id = id,
                          .cid = cid,
                          .type = type,
                          .seq = l->seq,
                          .frame = l->frame,
                          .cmd = l->cmd,
                          .ref_seq = ref_seq};
    if (p == VGT_LEAK_UNUSED || p == VGT_LEAK_QUERY_OPEN) { /* said at its define */
        i->seq = o->o.define_seq;
        i->frame = o->o.define_frame;
        i->cmd = o->o.define_cmd;
    }
    return i;
}

/* The end of an object's life (destroyed at end_seq, or UINT64_MAX: alive
 * at the trace's end or died unseen with its context): never used is
 * UNUSED.  Judged once. */
static void end_life(lk *l, vgt_leak_kind kind, obj *o, uint64_t end_seq)
{
    if (o->ended) {
        return;
    }
    o->ended = true;
    o->end_seq = end_seq;
    /* an object of the snapshot may have been used before the capture */
    if (!o->o.used && !o->o.snapshot) {
        issue(l, VGT_LEAK_UNUSED, kind, o, o->o.id, o->o.cid, o->o.type, end_seq);
    }
}

/* The seq a shader that died with its context died at (UINT64_MAX unknown:
 * the context was defined again since). */
static uint64_t shader_death(const lk *l, const obj *o)
{
    const obj *c = kmap_find(&l->m[VGT_LEAK_CONTEXT], o->o.cid, 0, 0);
    if (c && c->gen == o->gen) {
        return c->end_seq;
    }
    return c && c->prev_gen == o->gen ? c->prev_end : UINT64_MAX;
}

/* A shader found dead with its context (at its next define, or at the end):
 * counted destroyed and judged, once. */
static void died_with_context(lk *l, obj *o)
{
    if (!o->ended) {
        l->out->kinds[VGT_LEAK_SHADER].destroyed++;
        end_life(l, VGT_LEAK_SHADER, o, shader_death(l, o));
    }
}

/* The open queries of context cid end with it (destroyed, or defined again:
 * the executor destroys the old one): each is QUERY_OPEN, dead at l->seq. */
static void queries_die(lk *l, uint32_t cid)
{
    for (uint32_t type = 0; type < VGT_SVGA3D_QUERYTYPE_MAX; type++) {
        obj *o = kmap_find(&l->m[VGT_LEAK_QUERY], type, cid, type);
        if (o && o->alive) {
            issue(l, VGT_LEAK_QUERY_OPEN, VGT_LEAK_QUERY, o, type, cid, type, l->seq);
            end_life(l, VGT_LEAK_QUERY, o, l->seq);
            o->alive = false;
            l->out->kinds[VGT_LEAK_QUERY].destroyed++;
        }
    }
}

/* Defines (kind, id); NULL when not tracked (past the bound). */
static obj *define(lk *l, vgt_leak_kind kind, uint32_t id, uint32_t cid, uint32_t type)
{
    vgt_leak_kind_stats *ks = &l->out->kinds[kind];
    obj *o = kmap_find(&l->m[kind], id, cid, type);
    if (o && obj_alive(l, kind, o)) {
        if (kind == VGT_LEAK_GMR || kind == VGT_LEAK_SCREEN || kind == VGT_LEAK_OVERLAY) {
            return o; /* resized, moved or shown again: the same object */
        }
        issue(l, kind == VGT_LEAK_QUERY ? VGT_LEAK_QUERY_REBEGUN : VGT_LEAK_REDEFINE, kind, o, id,
              cid, type, o->o.define_seq);
        if (kind == VGT_LEAK_CONTEXT) {
            queries_die(l, id);
        }
        end_life(l, kind, o, l->seq);
        ks->destroyed++; /* the executor destroys the old one */
    } else if (o && kind == VGT_LEAK_SHADER && o->alive) {
        died_with_context(l, o);
    }
    if (!o && !(o = kmap_add(l, &l->m[kind], id, cid, type))) {
        ks->untracked++;
        ks->overflow = !l->nomem;
        return NULL;
    }
    o->prev_gen = o->gen;
    o->prev_end = o->end_seq;
    memset(&o->o, 0, sizeof(o->o));
    o->o.kind = kind;
    o->o.id = id;
    o->o.cid = cid;
    o->o.type = type;
    o->o.snapshot = l->in_snapshot;
    o->o.define_seq = l->seq;
    o->o.define_frame = l->frame;
    o->o.define_cmd = l->cmd;
    o->alive = true;
    o->ended = false;
    o->end_seq = UINT64_MAX;
    o->gen = 0;
    ks->defined++;
    ks->snapshot += l->in_snapshot;
    return o;
}

/* GMRs the guest defined before a capture started mid-run: the snapshot
 * does not hold them (they are guest memory), so the first mention of an
 * unknown GMR in such a trace defines it at the snapshot. */
static obj *define_before_capture(lk *l, uint32_t id)
{
    uint64_t seq = l->seq, frame = l->frame;
    uint32_t cmd = l->cmd;
    l->seq = l->out->snapshot_seq;
    l->frame = l->out->snapshot_frame;
    l->cmd = 0;
    l->in_snapshot = true;
    obj *o = define(l, VGT_LEAK_GMR, id, 0, 0);
    l->in_snapshot = false;
    l->seq = seq;
    l->frame = frame;
    l->cmd = cmd;
    return o;
}

static void destroy(lk *l, vgt_leak_kind kind, uint32_t id, uint32_t cid, uint32_t type)
{
    vgt_leak_kind_stats *ks = &l->out->kinds[kind];
    obj *o = kmap_find(&l->m[kind], id, cid, type);
    if (!o && kind == VGT_LEAK_GMR && l->w->sum.has_snapshot) {
        o = define_before_capture(l, id);
        if (o) {
            o->o.used = true; /* unknown before the capture: not judged */
        }
    }
    if (!o) {
        if (ks->overflow) {
            ks->untracked++;
        } else {
            issue(l, VGT_LEAK_DESTROY_UNDEFINED, kind, NULL, id, cid, type, UINT64_MAX);
        }
        return;
    }
    if (!obj_alive(l, kind, o)) {
        uint64_t when = o->alive ? shader_death(l, o) : o->end_seq;
        issue(l, VGT_LEAK_DESTROY_TWICE, kind, o, id, cid, type, when);
        return;
    }
    if (kind == VGT_LEAK_CONTEXT) {
        queries_die(l, id);
    }
    end_life(l, kind, o, l->seq);
    o->alive = false;
    ks->destroyed++;
}

static void use(lk *l, vgt_leak_kind kind, uint32_t id, uint32_t cid, uint32_t type)
{
    obj *o = kmap_find(&l->m[kind], id, cid, type);
    if (!o && kind == VGT_LEAK_GMR && l->w->sum.has_snapshot) {
        o = define_before_capture(l, id);
    }
    if (o && obj_alive(l, kind, o)) {
        o->o.used = true;
        o->o.last_use_seq = l->seq;
        return;
    }
    if (!o && l->out->kinds[kind].overflow) {
        l->out->kinds[kind].untracked++;
        return;
    }
    uint64_t when = !o ? UINT64_MAX : o->alive ? shader_death(l, o) : o->end_seq;
    issue(l, VGT_LEAK_DANGLING, kind, o, id, cid, type, when);
}

/* ---- commands ---------------------------------------------------------------------- */

/* The kind a field of vgt_cmd_ids names, or VGT_LEAK_KINDS for none. */
static vgt_leak_kind leak_kind(vgt_id_kind k)
{
    switch (k) {
    case VGT_ID_SURFACE:
        return VGT_LEAK_SURFACE;
    case VGT_ID_CONTEXT:
        return VGT_LEAK_CONTEXT;
    case VGT_ID_GMR:
        return VGT_LEAK_GMR;
    case VGT_ID_SCREEN:
        return VGT_LEAK_SCREEN;
    default: /* shaders by SET_SHADER (they need the context and type); fences */
        return VGT_LEAK_KINDS;
    }
}

/* The kind whose life the command changes (its own id field is not a use). */
static vgt_leak_kind lifecycle_kind(uint32_t id)
{
    switch (id) {
    case VGT_SVGA3D_CMD_SURFACE_DEFINE:
    case VGT_SVGA3D_CMD_SURFACE_DEFINE_V2:
    case VGT_SVGA3D_CMD_SURFACE_DESTROY:
        return VGT_LEAK_SURFACE;
    case VGT_SVGA3D_CMD_CONTEXT_DEFINE:
    case VGT_SVGA3D_CMD_CONTEXT_DESTROY:
        return VGT_LEAK_CONTEXT;
    case VGT_SVGA_CMD_DEFINE_GMR2:
        return VGT_LEAK_GMR;
    case VGT_SVGA_CMD_DEFINE_SCREEN:
    case VGT_SVGA_CMD_DESTROY_SCREEN:
        return VGT_LEAK_SCREEN;
    default:
        return VGT_LEAK_KINDS;
    }
}

static void visit_id(void *ctx, uint32_t word, vgt_id_kind kind)
{
    lk *l = ctx;
    vgt_leak_kind k = leak_kind(kind);
    /* a video escape's GMR and screen are read at the unit's FLUSH, not
     * when SET_REGS stores them (overlay_flush) */
    if (k == VGT_LEAK_KINDS || k == lifecycle_kind(l->cur->id) || word >= l->cur->nwords ||
        l->cur->id == VGT_SVGA_CMD_ESCAPE) {
        return;
    }
    uint32_t v = l->cur->words[word];
    if (!vgt_id_is_reserved(kind, v)) {
        use(l, k, v, 0, 0);
    }
}

/* A define the executor takes (the tracker's rules) is the surface a
 * binding names; one it refuses leaves the old surface bound there, which
 * is no longer this object (tagged by gen; UINT64_MAX: not tracked). */
static void define_surface(lk *l, const vgt_cmd *cmd)
{
    /* SURFACE_DEFINE's fields are a prefix of SURFACE_DEFINE_V2's */
    const vgt_svga3d_cmd_surface_define_v2 *c = &cmd->u.surface_define_v2;
    obj *o = define(l, VGT_LEAK_SURFACE, c->sid, 0, 0);
    bt_layout lay;
    if (bt_surface_check(l->bt, cmd, &lay, NULL) == VGT_OK) {
        bt_surface_take(l->bt, &lay, o ? l->surface_gen + 1u : UINT64_MAX);
    }
    l->nomem |= l->bt->nomem;
    if (o) {
        o->gen = ++l->surface_gen;
        o->o.format = c->format;
        if (cmd->items.count > 0) {
            vgt_svga3d_size s;
            vgt_cmd_array_get(&cmd->items, 0, &s);
            o->o.width = s.width;
            o->o.height = s.height;
            o->o.depth = s.depth;
        }
    }
}

static void define_context(lk *l, uint32_t cid)
{
    bt_context_define(l->bt, cid);
    obj *o = define(l, VGT_LEAK_CONTEXT, cid, 0, 0);
    if (o) {
        o->gen = ++l->gen;
    }
}

/* A define the executor refuses (bt_shader_check: its context, size, id,
 * bytecode) defines nothing: no shader to leak or bind, no redefinition. */
static void define_shader(lk *l, const vgt_cmd *cmd)
{
    const vgt_svga3d_cmd_shader_define *d = &cmd->u.shader_define;
    const obj *c = kmap_find(&l->m[VGT_LEAK_CONTEXT], d->cid, 0, 0);
    if (!c || !c->alive) {
        return; /* the context's use said it (dangling); the executor refuses it */
    }
    vgt_status st = bt_shader_check(l->bt, cmd, NULL);
    if (st != VGT_OK) {
        l->nomem |= st == VGT_E_NOMEM; /* the validator's memory, not the trace */
        return;
    }
    bt_shader_define(l->bt, d->cid, d->type, d->shid, 1); /* the define is l->m's: any tag */
    l->nomem |= l->bt->nomem;
    obj *o = define(l, VGT_LEAK_SHADER, d->shid, d->cid, d->type);
    if (o) {
        o->gen = c->gen;
    }
}

/* ---- uses through bindings --------------------------------------------------------- */

/* The live surface sid (tracked), or NULL. */
static obj *live_surface(lk *l, uint32_t sid)
{
    obj *o = kmap_find(&l->m[VGT_LEAK_SURFACE], sid, 0, 0);
    return o && o->alive ? o : NULL;
}

/* The surfaces bound in n slots, still the defines they were bound as, are
 * used at l->seq. */
static void use_bound_surfaces(lk *l, const uint32_t *sids, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const bt_surface *s = bt_surface_get(l->bt, sids[i]);
        obj *o = s ? live_surface(l, sids[i]) : NULL;
        if (o && o->gen == s->tag) {
            o->o.used = true;
            o->o.last_use_seq = l->seq;
        }
    }
}

/* A CLEAR (draw false) or DRAW_PRIMITIVES the executor takes uses its
 * context's render targets, a draw also its textures and shaders. */
static void use_bindings(lk *l, const vgt_cmd *cmd, bool draw)
{
    uint32_t cid = draw ? cmd->u.draw_primitives.cid : cmd->u.clear.cid;
    const bt_context *c = draw ? bt_draw(l->bt, cmd) : bt_clear(l->bt, &cmd->u.clear);
    if (!c) {
        return;
    }
    uint32_t rt[VGT_SVGA3D_RT_MAX];
    for (uint32_t t = 0; t < VGT_SVGA3D_RT_MAX; t++) {
        rt[t] = c->rt[t].sid;
    }
    use_bound_surfaces(l, rt, VGT_SVGA3D_RT_MAX);
    if (!draw) {
        return;
    }
    use_bound_surfaces(l, c->tex, VGT_SVGA3D_MAX_TEXTURE_STAGES);
    for (uint32_t k = 0; k < 2; k++) { /* VS, PS */
        obj *o = c->shader[k] == VGT_SVGA3D_INVALID_ID
                     ? NULL
                     : kmap_find(&l->m[VGT_LEAK_SHADER], c->shader[k], cid, k + 1u);
        if (o && obj_alive(l, VGT_LEAK_SHADER, o)) {
            o->o.used = true;
            o->o.last_use_seq = l->seq;
        }
    }
}

/* ---- queries, fences, overlay units ------------------------------------------------- */

static void begin_query(lk *l, uint32_t cid, uint32_t type)
{
    const obj *c = kmap_find(&l->m[VGT_LEAK_CONTEXT], cid, 0, 0);
    if (!c || !c->alive) {
        return; /* the context's use said it (dangling); the executor refuses it */
    }
    obj *o = define(l, VGT_LEAK_QUERY, type, cid, type); /* over an open one: QUERY_REBEGUN */
    if (o) {
        o->gen = c->gen;
        o->o.used = true; /* a query has no uses but its END: never UNUSED */
        o->o.last_use_seq = l->seq;
    }
}

/* END_QUERY (end) or WAIT_FOR_QUERY: the query must be open (END) or
 * begun in this context (WAIT). */
static void end_query(lk *l, uint32_t cid, uint32_t type, bool end)
{
    const obj *c = kmap_find(&l->m[VGT_LEAK_CONTEXT], cid, 0, 0);
    if (!c || !c->alive) {
        return; /* as in begin_query */
    }
    vgt_leak_kind_stats *ks = &l->out->kinds[VGT_LEAK_QUERY];
    obj *o = kmap_find(&l->m[VGT_LEAK_QUERY], type, cid, type);
    bool begun = o && o->gen == c->gen; /* gens are unique per context define */
    if (begun) {
        o->o.last_use_seq = l->seq;
    }
    if (begun && o->alive && end) {
        end_life(l, VGT_LEAK_QUERY, o, l->seq);
        o->alive = false;
        ks->destroyed++;
        return;
    }
    if (begun && !end) {
        return; /* a WAIT of a query begun: whether it waits is the guest memory's */
    }
    if (!o && ks->overflow) {
        ks->untracked++;
        return;
    }
    /* a WAIT in a trace cut mid-run: the snapshot does not keep an ended
     * query (replay/snapshot3d.c), so one of a context from it may have
     * been ended before the capture */
    if (!begun && !end && c->o.snapshot) {
        return;
    }
    issue(l, VGT_LEAK_QUERY_NOT_BEGUN, VGT_LEAK_QUERY, o, type, cid, type,
          begun ? o->end_seq : UINT64_MAX);
}

/* A FENCE's value against the one before, modulo 2^32 (serial number
 * arithmetic): 0 is a repeat, 2^31 and more ahead is behind. */
static void take_fence(lk *l, uint32_t value)
{
    l->out->kinds[VGT_LEAK_FENCE].defined++;
    if (l->has_fence) {
        uint32_t ahead = value - l->last_fence;
        if (ahead == 0 || ahead >= 0x80000000u) {
            vgt_leak_issue *i = issue(l, VGT_LEAK_FENCE_REUSED, VGT_LEAK_FENCE, NULL, value, 0, 0,
                                      l->last_fence_seq);
            if (i) {
                i->ref_value = l->last_fence;
            }
        }
    }
    l->has_fence = true;
    l->last_fence = value;
    l->last_fence_seq = l->seq;
}

/* Whether cmd is a video escape of `type` the executor gets to act on (the
 * VMware namespace, type and stream readable, the stream a unit): *stream. */
static bool video_escape(const vgt_cmd *cmd, uint32_t type, uint32_t *stream)
{
    if (cmd->id != VGT_SVGA_CMD_ESCAPE || cmd->u.escape.nsid != VGT_SVGA_ESCAPE_NSID_VMWARE ||
        cmd->data_bytes < 8u || cmd->data[0] != type ||
        cmd->data[1] >= VGT_SVGA_NUM_OVERLAY_UNITS) {
        return false;
    }
    *stream = cmd->data[1];
    return true;
}

static void overlay_hide(lk *l, uint32_t stream)
{
    obj *o = kmap_find(&l->m[VGT_LEAK_OVERLAY], stream, 0, 0);
    if (o && o->alive) {
        end_life(l, VGT_LEAK_OVERLAY, o, l->seq);
        o->alive = false;
        l->out->kinds[VGT_LEAK_OVERLAY].destroyed++;
    }
}

/* SET_REGS, all or nothing as the executor: every register id checked. */
static void overlay_set_regs(lk *l, const vgt_cmd *cmd, uint32_t stream)
{
    if ((cmd->data_bytes - 8u) % 8u != 0) {
        return;
    }
    const uint32_t n = (cmd->data_bytes - 8u) / 8u;
    for (uint32_t i = 0; i < n; i++) {
        if (cmd->data[2u + 2u * i] >= VGT_SVGA_VIDEO_NUM_REGS) {
            return;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        l->units[stream].regs[cmd->data[2u + 2u * i]] = cmd->data[3u + 2u * i];
    }
    l->units[stream].configured = true;
}

/* FLUSH: the unit's picture goes; ENABLED with a destination, the device
 * reads DATA_GMRID and places it on DST_SCREEN_ID (uses) and shows it. */
static void overlay_flush(lk *l, uint32_t stream)
{
    const uint32_t *g = l->units[stream].regs;
    if (!l->units[stream].configured && !l->w->sum.has_snapshot) {
        /* (a trace cut mid-run: configured before the capture, maybe) */
        issue(l, VGT_LEAK_DANGLING, VGT_LEAK_OVERLAY, NULL, stream, 0, 0, UINT64_MAX);
    }
    if (!g[VGT_SVGA_VIDEO_ENABLED] || !g[VGT_SVGA_VIDEO_DST_WIDTH] ||
        !g[VGT_SVGA_VIDEO_DST_HEIGHT]) {
        overlay_hide(l, stream);
        return;
    }
    if (!vgt_id_is_reserved(VGT_ID_GMR, g[VGT_SVGA_VIDEO_DATA_GMRID])) {
        use(l, VGT_LEAK_GMR, g[VGT_SVGA_VIDEO_DATA_GMRID], 0, 0);
    }
    if (!vgt_id_is_reserved(VGT_ID_SCREEN, g[VGT_SVGA_VIDEO_DST_SCREEN_ID])) {
        use(l, VGT_LEAK_SCREEN, g[VGT_SVGA_VIDEO_DST_SCREEN_ID], 0, 0);
    }
    obj *o = define(l, VGT_LEAK_OVERLAY, stream, 0, 0); /* shown already: the same unit */
    if (o) {
        o->o.used = true;
        o->o.last_use_seq = l->seq;
        o->o.width = g[VGT_SVGA_VIDEO_DST_WIDTH];
        o->o.height = g[VGT_SVGA_VIDEO_DST_HEIGHT];
    }
}

static void take_escape(lk *l, const vgt_cmd *cmd)
{
    uint32_t stream;
    if (video_escape(cmd, VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS, &stream)) {
        overlay_set_regs(l, cmd, stream);
    } else if (video_escape(cmd, VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH, &stream) &&
               cmd->data_bytes == 8u) {
        overlay_flush(l, stream);
    }
}

/* A command the device refused: it changed nothing, but for a FLUSH, which
 * hides the unit before it checks what to show. */
static void take_refused(lk *l, const vgt_cmd *cmd)
{
    uint32_t stream;
    l->cur = cmd;
    l->cmd = cmd->id;
    if (video_escape(cmd, VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH, &stream) && cmd->data_bytes == 8u) {
        overlay_hide(l, stream);
    }
}

/* One decoded command at l->seq. */
static void take_command(lk *l, const vgt_cmd *cmd)
{
    l->cur = cmd;
    l->cmd = cmd->id;
    vgt_cmd_ids(cmd, visit_id, l); /* uses first: a define's other ids (SHADER_DEFINE's cid) */
    switch (cmd->id) {
    case VGT_SVGA3D_CMD_SURFACE_DEFINE:
    case VGT_SVGA3D_CMD_SURFACE_DEFINE_V2:
        define_surface(l, cmd);
        break;
    case VGT_SVGA3D_CMD_SURFACE_DESTROY:
        destroy(l, VGT_LEAK_SURFACE, cmd->u.surface_destroy.sid, 0, 0);
        bt_surface_destroy(l->bt, cmd->u.surface_destroy.sid);
        break;
    case VGT_SVGA3D_CMD_CONTEXT_DEFINE:
        define_context(l, cmd->u.context_define.cid);
        break;
    case VGT_SVGA3D_CMD_CONTEXT_DESTROY:
        destroy(l, VGT_LEAK_CONTEXT, cmd->u.context_destroy.cid, 0, 0);
        bt_context_destroy(l->bt, cmd->u.context_destroy.cid);
        break;
    case VGT_SVGA3D_CMD_SHADER_DEFINE:
        define_shader(l, cmd);
        break;
    case VGT_SVGA3D_CMD_SHADER_DESTROY: {
        const vgt_svga3d_cmd_shader_destroy *d = &cmd->u.shader_destroy;
        destroy(l, VGT_LEAK_SHADER, d->shid, d->cid, d->type);
        bt_shader_destroy(l->bt, d->cid, d->type, d->shid);
        break;
    }
    case VGT_SVGA3D_CMD_SET_SHADER: {
        const vgt_svga3d_cmd_set_shader *s = &cmd->u.set_shader;
        if (!vgt_id_is_reserved(VGT_ID_SHADER, s->shid)) {
            use(l, VGT_LEAK_SHADER, s->shid, s->cid, s->type);
        }
        bt_set_shader(l->bt, s);
        break;
    }
    case VGT_SVGA3D_CMD_SETRENDERTARGET:
        bt_set_render_target(l->bt, &cmd->u.setrendertarget);
        break;
    case VGT_SVGA3D_CMD_SETTEXTURESTATE:
        bt_set_texture_state(l->bt, cmd);
        break;
    case VGT_SVGA3D_CMD_CLEAR:
        use_bindings(l, cmd, false);
        break;
    case VGT_SVGA3D_CMD_DRAW_PRIMITIVES:
        use_bindings(l, cmd, true);
        break;
    case VGT_SVGA_CMD_DEFINE_GMR2: {
        const vgt_svga_cmd_define_gmr2 *g = &cmd->u.define_gmr2;
        if (g->num_pages == 0) {
            destroy(l, VGT_LEAK_GMR, g->gmr_id, 0, 0);
        } else {
            obj *o = define(l, VGT_LEAK_GMR, g->gmr_id, 0, 0);
            if (o) {
                o->o.pages = g->num_pages;
            }
        }
        break;
    }
    case VGT_SVGA_CMD_DEFINE_SCREEN: {
        const vgt_svga_screen_object *s = &cmd->u.define_screen;
        obj *o = define(l, VGT_LEAK_SCREEN, s->id, 0, 0);
        if (o) {
            o->o.width = s->width;
            o->o.height = s->height;
        }
        break;
    }
    case VGT_SVGA_CMD_DESTROY_SCREEN:
        destroy(l, VGT_LEAK_SCREEN, cmd->u.destroy_screen.screen_id, 0, 0);
        break;
    case VGT_SVGA3D_CMD_BEGIN_QUERY:
        begin_query(l, cmd->u.begin_query.cid, cmd->u.begin_query.type);
        break;
    case VGT_SVGA3D_CMD_END_QUERY:
        end_query(l, cmd->u.end_query.cid, cmd->u.end_query.type, true);
        break;
    case VGT_SVGA3D_CMD_WAIT_FOR_QUERY:
        end_query(l, cmd->u.wait_for_query.cid, cmd->u.wait_for_query.type, false);
        break;
    case VGT_SVGA_CMD_FENCE:
        take_fence(l, cmd->u.fence.fence);
        break;
    case VGT_SVGA_CMD_ESCAPE:
        take_escape(l, cmd);
        break;
    default:
        break;
    }
}

/* ---- the snapshot ------------------------------------------------------------------ */

#define get32 svga_walk_get32

/* The screens of an "EX2D" section (docs/format.md): defined at the
 * snapshot.  False when it is cut short. */
static bool snapshot_screens(lk *l, const vgt_trace_snapshot_section *s)
{
    uint64_t pos = 0;
    uint32_t version, v, n;
    if (!get32(s->data, s->size, &pos, &version) || !get32(s->data, s->size, &pos, &v)) {
        return false;
    }
    pos += 4u * 6u; /* the mode */
    if (version >= 2) {
        pos += VGT_SVGA_NUM_PALETTE_REGS;
    }
    if (pos > s->size || !get32(s->data, s->size, &pos, &n)) {
        return false;
    }
    for (uint32_t k = 0; k < n; k++) {
        uint32_t f[7];
        for (int i = 0; i < 7; i++) {
            if (!get32(s->data, s->size, &pos, &f[i])) {
                return false;
            }
        }
        pos += version >= 3 ? 16u : 0u;
        uint64_t pixels = (uint64_t)f[5] * f[6]; /* < 2^64; times 4 might not be */
        if (pos > s->size || (s->size - pos) / 4u < pixels) {
            return false;
        }
        pos += pixels * 4u;
        if (!f[1]) { /* a legacy screen is the mode's, not an object the guest named */
            obj *o = define(l, VGT_LEAK_SCREEN, f[0], 0, 0);
            if (o) {
                o->o.width = f[5];
                o->o.height = f[6];
            }
        }
    }
    return true;
}

/* The overlay units of an "EXVO" section (replay/overlay.c, version 1):
 * configured, the shown ones shown at the snapshot.  False when malformed. */
static bool snapshot_video(lk *l, const vgt_trace_snapshot_section *s)
{
    uint64_t pos = 0;
    uint32_t version, flags, n;
    if (!get32(s->data, s->size, &pos, &version) || !get32(s->data, s->size, &pos, &flags) ||
        !get32(s->data, s->size, &pos, &n) || version != 1u || flags != 0 ||
        n > VGT_SVGA_NUM_OVERLAY_UNITS) {
        return false;
    }
    for (uint32_t k = 0; k < n; k++) {
        uint32_t id, shown, f[8];
        if (!get32(s->data, s->size, &pos, &id) || id >= VGT_SVGA_NUM_OVERLAY_UNITS) {
            return false;
        }
        for (uint32_t g = 0; g < VGT_SVGA_VIDEO_NUM_REGS; g++) {
            if (!get32(s->data, s->size, &pos, &l->units[id].regs[g])) {
                return false;
            }
        }
        l->units[id].configured = true;
        if (!get32(s->data, s->size, &pos, &shown)) {
            return false;
        }
        if (!shown) {
            continue;
        }
        /* colour key, key, x and y (64-bit each), width, height, then the pixels */
        for (int i = 0; i < 8; i++) {
            if (!get32(s->data, s->size, &pos, &f[i])) {
                return false;
            }
        }
        uint64_t pixels = (uint64_t)f[6] * f[7];
        if ((s->size - pos) / 4u < pixels) {
            return false;
        }
        pos += pixels * 4u;
        obj *o = define(l, VGT_LEAK_OVERLAY, id, 0, 0);
        if (o) {
            o->o.width = f[6];
            o->o.height = f[7];
        }
    }
    return true;
}

/* The FIFO's FENCE register of a "FENC" section (version 1: u32 version,
 * u32 value): the last fence passed before the snapshot, which the first
 * FENCE after it must be ahead of, as if that FENCE were in the trace (a
 * guest that numbers fences again from 1 after a cut is reusing them).
 * Its seq is UINT64_MAX: no command of the trace.  False when malformed. */
static bool snapshot_fence(lk *l, const vgt_trace_snapshot_section *s)
{
    uint64_t pos = 0;
    uint32_t version, value;
    if (s->size != 8u || !get32(s->data, s->size, &pos, &version) ||
        version != VGT_TRACE_SNAP_FENC_VERSION || !get32(s->data, s->size, &pos, &value)) {
        return false;
    }
    l->has_fence = true;
    l->last_fence = value;
    l->last_fence_seq = UINT64_MAX;
    return true;
}

/* One synthetic command of an "EX3D" section: the objects it defines. */
static void snapshot_command(void *ctx, const vgt_cmd *cmd)
{
    lk *l = ctx;
    l->cmd = cmd->id;
    if (cmd->id == VGT_SVGA3D_CMD_SURFACE_DEFINE || cmd->id == VGT_SVGA3D_CMD_SURFACE_DEFINE_V2) {
        define_surface(l, cmd);
    } else if (cmd->id == VGT_SVGA3D_CMD_CONTEXT_DEFINE) {
        define_context(l, cmd->u.context_define.cid);
    } else if (cmd->id == VGT_SVGA3D_CMD_SHADER_DEFINE) {
        define_shader(l, cmd);
    } else if (cmd->id == VGT_SVGA3D_CMD_BEGIN_QUERY) { /* open at the snapshot */
        begin_query(l, cmd->u.begin_query.cid, cmd->u.begin_query.type);
    } else if (cmd->id == VGT_SVGA3D_CMD_SETRENDERTARGET) {
        bt_set_render_target(l->bt, &cmd->u.setrendertarget);
    } else if (cmd->id == VGT_SVGA3D_CMD_SETTEXTURESTATE) {
        bt_set_texture_state(l->bt, cmd);
    } else if (cmd->id == VGT_SVGA3D_CMD_SET_SHADER) {
        bt_set_shader(l->bt, &cmd->u.set_shader);
    }
    /* bindings and contents are the state, not uses by the guest: the
     * trace's CLEARs and draws use what is bound (use_bindings) */
}

static void snapshot_begin(void *ctx, uint64_t frame, uint64_t next_seq)
{
    lk *l = ctx;
    vgt_leaks_result *r = l->out; /* has_snapshot: the walk's */
    r->snapshot_frame = frame;
    r->snapshot_seq = next_seq;
    l->seq = next_seq;
    l->frame = l->w->frame;
    l->in_snapshot = true;
}

static const char *snapshot_section(void *ctx, const vgt_trace_snapshot_section *sec, uint64_t *at)
{
    lk *l = ctx;
    if (sec->tag == VGT_TRACE_SNAP_EX2D && !snapshot_screens(l, sec)) {
        return "EX2D section cut short";
    }
    if (sec->tag == VGT_TRACE_SNAP_EX3D) {
        /* the walk's nomem is the leaks' too */
        const char *why = svga_walk_snapshot_3d(l->w, sec, snapshot_command, l, at);
        l->nomem |= l->w->nomem;
        return why;
    }
    if (sec->tag == VGT_TRACE_SNAP_EXVO && !snapshot_video(l, sec)) {
        return "EXVO section cut short or of an unknown version";
    }
    if (sec->tag == VGT_TRACE_SNAP_FENC && !snapshot_fence(l, sec)) {
        return "FENC section not of 8 bytes or of an unknown version";
    }
    return NULL;
}

static vgt_status take_snapshot(void *ctx, const vgt_trace_record *rec, vgt_error *err)
{
    lk *l = ctx;
    vgt_status st = svga_walk_snapshot(l->w, rec, snapshot_begin, snapshot_section, l, err);
    l->in_snapshot = false;
    l->w->nomem |= l->nomem;
    return st;
}

/* ---- the walk ---------------------------------------------------------------------- */

static int obj_order(const void *x, const void *y)
{
    const vgt_leak_object *a = x, *b = y;
    if (a->cid != b->cid) {
        return a->cid < b->cid ? -1 : 1;
    }
    if (a->type != b->type) {
        return a->type < b->type ? -1 : 1;
    }
    return a->id < b->id ? -1 : a->id > b->id;
}

static int issue_order(const void *x, const void *y)
{
    const vgt_leak_issue *a = x, *b = y;
    if (a->problem != b->problem) {
        return a->problem < b->problem ? -1 : 1;
    }
    if (a->seq != b->seq) {
        return a->seq < b->seq ? -1 : 1;
    }
    if (a->kind != b->kind) {
        return a->kind < b->kind ? -1 : 1;
    }
    return obj_order(&(vgt_leak_object){.id = a->id, .cid = a->cid, .type = a->type},
                     &(vgt_leak_object){.id = b->id, .cid = b->cid, .type = b->type});
}

/* The trace's end: objects alive are the leaks (the first `limit` of each
 * kind kept, in key order), and those never used are UNUSED. */
static vgt_status finish(lk *l, vgt_error *err)
{
    vgt_leaks_result *r = l->out;
    size_t total = 0;
    for (int k = 0; k < VGT_LEAK_KINDS; k++) {
        total += l->m[k].n;
    }
    vgt_leak_object *all = malloc((total + 1u) * sizeof(*all));
    if (!all) {
        return vgt_error_set(err, VGT_E_NOMEM, "vgt leaks: out of memory");
    }
    r->alive = malloc((total + 1u) * sizeof(*r->alive));
    if (!r->alive) {
        free(all);
        return vgt_error_set(err, VGT_E_NOMEM, "vgt leaks: out of memory");
    }
    for (int k = 0; k < VGT_LEAK_KINDS; k++) {
        kmap *m = &l->m[k];
        size_t n = 0;
        for (uint32_t j = 0; j < m->n; j++) {
            obj *o = &m->objs[j];
            if (k == VGT_LEAK_QUERY && o->alive) { /* said as QUERY_OPEN, not listed */
                issue(l, VGT_LEAK_QUERY_OPEN, VGT_LEAK_QUERY, o, o->o.id, o->o.cid, o->o.type,
                      UINT64_MAX);
                r->kinds[k].alive++;
            } else if (obj_alive(l, (vgt_leak_kind)k, o)) {
                all[n++] = o->o;
                end_life(l, (vgt_leak_kind)k, o, UINT64_MAX);
            } else if (k == VGT_LEAK_SHADER && o->alive) {
                died_with_context(l, o);
            }
        }
        r->kinds[k].alive += n;
        vgt_sort(all, n, sizeof(*all), obj_order);
        size_t keep = n < l->limit ? n : l->limit;
        memcpy(r->alive + r->nalive, all, keep * sizeof(*all));
        r->nalive += keep;
    }
    free(all);
    if (r->nissues) {
        vgt_sort(r->issues, r->nissues, sizeof(*r->issues), issue_order);
    }
    return l->nomem ? vgt_error_set(err, VGT_E_NOMEM, "vgt leaks: out of memory") : VGT_OK;
}

static void leaks_command(void *ctx, uint64_t seq, const vgt_cmd *cmd)
{
    lk *l = ctx;
    l->frame = l->w->frame;
    l->seq = seq;
    take_command(l, cmd);
    l->seq = seq + 1u; /* what a register write after it is said to precede */
    l->w->nomem |= l->nomem;
}

/* Refused live (the device did nothing with it, but a FLUSH) or undecodable. */
static void leaks_refused(void *ctx, uint64_t seq, const vgt_cmd *cmd)
{
    lk *l = ctx;
    l->frame = l->w->frame;
    l->seq = seq;
    if (cmd) {
        take_refused(l, cmd);
    }
    l->w->nomem |= l->nomem;
}

static void leaks_reg(void *ctx, const vgt_trace_reg *g)
{
    lk *l = ctx;
    l->frame = l->w->frame;
    l->cmd = 0;
    if (!g->fifo_cursor && g->reg == VGT_SVGA_REG_GMR_ID) {
        l->gmr_reg = g->value;
    } else if (!g->fifo_cursor && g->reg == VGT_SVGA_REG_GMR_DESCRIPTOR) {
        /* the legacy way: a descriptor's page number defines GMR_ID, 0 frees it */
        if (g->value) {
            define(l, VGT_LEAK_GMR, l->gmr_reg, 0, 0);
        } else {
            destroy(l, VGT_LEAK_GMR, l->gmr_reg, 0, 0);
        }
    }
    l->w->nomem |= l->nomem;
}

vgt_status vgt_leaks(vgt_trace_reader *rd, const vgt_leaks_options *o, vgt_leaks_result *out,
                     vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    lk l;
    memset(&l, 0, sizeof(l));
    l.out = out;
    l.limit = o ? o->limit : 0;
    for (uint32_t u = 0; u < VGT_SVGA_NUM_OVERLAY_UNITS; u++) { /* the power-on defaults */
        l.units[u].regs[VGT_SVGA_VIDEO_DATA_GMRID] = VGT_SVGA_GMR_FRAMEBUFFER;
        l.units[u].regs[VGT_SVGA_VIDEO_DST_SCREEN_ID] = VGT_SVGA_ID_INVALID;
    }
    static const svga_walk_ops ops = {.command = leaks_command,
                                      .refused = leaks_refused,
                                      .reg = leaks_reg,
                                      .snapshot = take_snapshot};
    l.bt = calloc(1, sizeof(*l.bt));
    if (!l.bt || !bt_init(l.bt)) {
        free(l.bt);
        return vgt_error_set(err, VGT_E_NOMEM, "vgt leaks: out of memory");
    }
    svga_walk w;
    l.w = &w;
    vgt_status st = svga_walk_run(&w, "vgt leaks", rd, &ops, &l, err);
    if (st == VGT_OK && l.nomem) {
        st = vgt_error_set(err, VGT_E_NOMEM, "vgt leaks: out of memory");
    }
    out->walk = w.sum;
    if (st == VGT_OK) {
        st = finish(&l, err);
    }
    for (int k = 0; k < VGT_LEAK_KINDS; k++) {
        kmap_free(&l.m[k]);
    }
    bt_free(l.bt);
    free(l.bt);
    return st;
}

void vgt_leaks_result_free(vgt_leaks_result *out)
{
    free(out->alive);
    free(out->issues);
    out->alive = NULL;
    out->issues = NULL;
    out->nalive = out->nissues = 0;
}
