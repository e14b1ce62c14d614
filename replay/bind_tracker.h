/* bind_tracker.h - what the executor has bound to each 3D context,
 * followed through a trace's commands without a replay, for the static
 * analyses that count uses through bindings (vgt leaks: leaks.c; vgt
 * surfaces: surface_list.c; vgt shader list: shader_list.c).  Private to
 * the replay library.
 *
 * The rules are the executor's (state3d.c, surface3d.c, exec3d.c), kept
 * here once:
 *   - a SURFACE_DEFINE(_V2) is taken when e3d_surface_layout and
 *     e3d_surface_budget take it; taken over a live sid it ends the old
 *     surface and unbinds it everywhere (e3d_unbind_surface); refused, it
 *     leaves the old one as it was;
 *   - SURFACE_DESTROY of a live sid ends it and unbinds it the same way;
 *   - CONTEXT_DEFINE (cid below VGT_EXEC3D_MAX_CONTEXT_IDS) gives a context
 *     with nothing bound and no shader, over a live one too;
 *     CONTEXT_DESTROY of a live one takes its bindings and shaders;
 *   - SETRENDERTARGET binds an image when it exists (a live surface, the
 *     face and mip in range), its format is of the slot's kind and a depth
 *     target is no volume; SVGA3D_INVALID_ID unbinds;
 *   - SETTEXTURESTATE's BIND_TEXTURE entries are checked first (a live
 *     surface of a texture-capable format, or INVALID_ID), then all bound:
 *     one bad entry refuses the whole command;
 *   - SET_SHADER binds a shader defined in that context (shid below
 *     VGT_EXEC3D_MAX_SHADER_IDS), INVALID_ID unbinds, anything else is
 *     refused and the binding stays; a SHADER_DESTROY of the bound id
 *     unbinds it, a redefinition keeps the binding by id;
 *   - a SHADER_DEFINE is taken when its context is live and
 *     e3d_shader_check takes it (size, id, the validator, the type);
 *   - a DRAW_PRIMITIVES of a context with neither a colour nor a depth
 *     target, and a CLEAR of a plane whose target is not bound (or of a
 *     depth outside [0, 1]), are refused (exec_draw, exec_clear), and so
 *     are a draw and a colour clear whose targets' sizes break
 *     e3d_check_target_sizes (the colour targets of different sizes; for
 *     a draw, the depth target narrower or lower than the colour), and a
 *     draw whose vertex declarations or ranges e3d_check_draw refuses (a
 *     declaration's surface missing or not a vertex buffer, ranges without
 *     a declaration, the instancing divisors, a primitive count, an index
 *     buffer missing, not one or read past its end, a vertex or instance
 *     read past its buffer, a negative first vertex).
 * The rules modelled are those every backend enforces.  The limits of a
 * backend (soft's 4 colour targets, its primitive count, what it cannot
 * draw) and the vertex stream frequency's rule (applied only where a
 * vs_3_0 shader runs: not on null) are not: the tracker decides as the
 * executor on the null backend with no primitive limit.  Nor is the state
 * it does not follow: the lights a draw enables (at most 8, e3d_resolve).
 * A capture names every command its device refused, whatever the backend,
 * in an ERROR record (svga_walk.c), and those commands never reach the
 * tracker.
 * A refused command changes nothing.  The callers decide what a command an
 * ERROR record names does (nothing), and what a use means to them.
 * Memory: the executor's surface table (32768 sids), 256 contexts, shader
 * tags per context and type grown as named. */
#ifndef VGT_BIND_TRACKER_H
#define VGT_BIND_TRACKER_H

#include "exec3d.h"

/* A live surface as the executor holds it. */
typedef struct bt_surface {
    uint64_t tag; /* the caller's name for this define (never 0); 0: no surface */
    uint32_t faces, mips;
    uint32_t flags; /* VGT_SVGA3D_SURFACE_*: a draw's buffers need their hints */
    const vgt_surface_format_info *fi;
    vgt_surface_image *images; /* faces * mips, index face * mips + mip */
    uint64_t total;            /* bytes, the executor's size rule */
} bt_surface;

/* What a context has bound. */
typedef struct bt_context {
    bool alive;
    vgt_svga3d_surface_image_id rt[VGT_SVGA3D_RT_MAX]; /* sid INVALID_ID: none */
    uint32_t tex[VGT_SVGA3D_MAX_TEXTURE_STAGES];       /* sid per stage, or INVALID_ID */
    uint32_t shader[2];                                /* shid bound per type (VS, PS) */
    /* private: per type and shid the caller's tag of its define (0: none) */
    uint32_t *defined[2];
    uint32_t defined_cap[2];
} bt_context;

typedef struct bind_tracker {
    bt_surface *surfaces; /* [VGT_EXEC3D_MAX_SURFACE_IDS] */
    uint64_t surface_bytes;
    bt_context ctx[VGT_EXEC3D_MAX_CONTEXT_IDS];
    bool nomem; /* our memory ran out (not the trace's fault): stop */
} bind_tracker;

/* A SURFACE_DEFINE's layout, checked (bt_surface_check) before it is
 * taken (bt_surface_take). */
typedef struct bt_layout {
    uint32_t sid, format, flags, faces, mips;
    vgt_surface_image *images; /* owned until taken; bt_layout_free */
    uint64_t total;
} bt_layout;

/* An empty tracker (*t the caller's); false out of memory. */
bool bt_init(bind_tracker *t);
/* Frees what t holds. */
void bt_free(bind_tracker *t);

/* The live surface sid, or NULL. */
const bt_surface *bt_surface_get(const bind_tracker *t, uint32_t sid);
/* The live surface holding image id (face and mip in range), or NULL. */
const bt_surface *bt_image_get(const bind_tracker *t, const vgt_svga3d_surface_image_id *id);
/* The live context cid, or NULL. */
const bt_context *bt_context_get(const bind_tracker *t, uint32_t cid);

/* Whether the executor takes SURFACE_DEFINE(_V2) cmd: VGT_OK with *lay
 * filled (its images the caller's until bt_surface_take), or the error it
 * refuses it with (*lay empty; t->nomem when our own memory failed). */
vgt_status bt_surface_check(bind_tracker *t, const vgt_cmd *cmd, bt_layout *lay, vgt_error *err);
/* Frees a layout not taken. */
void bt_layout_free(bt_layout *lay);
/* Takes a checked define as tag (not 0): a live surface of that sid ends
 * first, unbound everywhere.  The images are t's now. */
void bt_surface_take(bind_tracker *t, bt_layout *lay, uint64_t tag);
/* SURFACE_DESTROY: the live surface sid ends, unbound everywhere; false
 * when there is none (refused). */
bool bt_surface_destroy(bind_tracker *t, uint32_t sid);

/* CONTEXT_DEFINE: a new context with nothing bound (cid past the
 * executor's ids: refused, false). */
bool bt_context_define(bind_tracker *t, uint32_t cid);
/* CONTEXT_DESTROY: false when cid is not live (refused). */
bool bt_context_destroy(bind_tracker *t, uint32_t cid);

/* SETRENDERTARGET; false when refused (the slot stays). */
bool bt_set_render_target(bind_tracker *t, const vgt_svga3d_cmd_setrendertarget *r);
/* SETTEXTURESTATE's BIND_TEXTURE entries, all or none; false when refused. */
bool bt_set_texture_state(bind_tracker *t, const vgt_cmd *cmd);
/* Whether the executor takes SHADER_DEFINE cmd (its context live, then
 * e3d_shader_check): VGT_OK, or the error it refuses it with. */
vgt_status bt_shader_check(const bind_tracker *t, const vgt_cmd *cmd, vgt_error *err);
/* A SHADER_DEFINE the caller's rules take: shid of type defined in
 * context cid as tag (the caller's name for this define, not 0), over a
 * defined one too; false when the executor's ids refuse it (or out of
 * memory: t->nomem). */
bool bt_shader_define(bind_tracker *t, uint32_t cid, uint32_t type, uint32_t shid, uint32_t tag);
/* The tag shader (type, shid) of context c was defined as, 0 when none. */
uint32_t bt_shader_tag(const bt_context *c, uint32_t type, uint32_t shid);
/* One past the highest shid of type c may hold (bt_shader_tag's ids to
 * look at, e.g. before a CONTEXT_DESTROY ends them all). */
uint32_t bt_shader_ids(const bt_context *c, uint32_t type);
/* SHADER_DESTROY: the shader is no more, unbound if bound; false when it
 * was not defined (refused). */
bool bt_shader_destroy(bind_tracker *t, uint32_t cid, uint32_t type, uint32_t shid);
/* SET_SHADER; false when refused (the binding stays). */
bool bt_set_shader(bind_tracker *t, const vgt_svga3d_cmd_set_shader *s);

/* The context DRAW_PRIMITIVES cmd draws with, or NULL when the executor
 * refuses it (no such context, no colour nor depth target, the targets'
 * sizes, its vertex declarations or ranges). */
const bt_context *bt_draw(const bind_tracker *t, const vgt_cmd *cmd);
/* The context CLEAR k clears, or NULL when the executor refuses it. */
const bt_context *bt_clear(const bind_tracker *t, const vgt_svga3d_cmd_clear *k);

#endif
