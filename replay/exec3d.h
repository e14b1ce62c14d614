/* exec3d.h - private to replay/: the SVGA3D half of the executor (the state
 * tracker).  executor.c owns the vgt_executor and routes every 3D command
 * here; surface3d.c holds surfaces, formats and data movement (DMA, copy,
 * blits); state3d.c holds contexts, their state and shaders; exec3d.c holds
 * the object lifetime, the dispatch, clears, draws, presents and queries.
 * See docs/executor.md. */
#ifndef VGT_EXEC3D_H
#define VGT_EXEC3D_H

#include "vgt_replay.h"

/* Limits (ids are the guest's; all checked before use). */
#define VGT_EXEC3D_MAX_SURFACE_IDS  (32u * 1024u)  /* sid < this (svga3d_limits.h) */
#define VGT_EXEC3D_MAX_CONTEXT_IDS  256u           /* cid < this (svga3d_limits.h) */
#define VGT_EXEC3D_MAX_SHADER_IDS   8192u          /* shid < this, per context and type */
#define VGT_EXEC3D_MAX_SHADER_BYTES (512u * 1024u) /* bytecode of one shader */
#define VGT_EXEC3D_MAX_LIGHT_INDEX  32u            /* light index < this */
#define VGT_EXEC3D_MAX_DMA_BYTES    (256u << 20)   /* bytes moved by one SURFACE_DMA */
#define VGT_EXEC3D_MAX_TOTAL_BYTES  (4ull << 30)   /* all surfaces together */
#define VGT_EXEC3D_MAX_BLIT_PIXELS  (64u << 20)    /* pixels of one present/blit rect */

/* A surface: its definition as validated, and the backend's host object. */
typedef struct e3d_surface {
    uint32_t sid;
    uint32_t format, flags, faces, mips;
    vgt_svga3d_size size;
    uint32_t multisample, autogen_filter;
    const vgt_surface_format_info *fi;
    uint64_t total_bytes;
    vgt_surface_image *images; /* faces * mips, index face * mips + mip */
    vgt_backend_surface *host;
} e3d_surface;

typedef struct e3d_shader {
    uint32_t type; /* VS or PS */
    uint32_t *bytecode;
    uint32_t words;
    vgt_backend_shader *host;
} e3d_shader;

/* Query state machine, per context and query type. */
typedef enum e3d_query_state {
    E3D_QUERY_IDLE = 0, /* never begun, or its result was delivered and not begun again */
    E3D_QUERY_ACTIVE,   /* between BEGIN_QUERY and END_QUERY */
    E3D_QUERY_ENDED,    /* END_QUERY done; result written to the guest */
} e3d_query_state;

typedef struct e3d_query {
    e3d_query_state state;
    uint64_t pixels; /* summed draw stats while active (backends without query ops) */
    uint64_t carry;  /* counted before a 3D snapshot began the query again: added at
                      * END_QUERY (e3d_query_checkpoint, replay/snapshot3d.c) */
    uint32_t result; /* the last result delivered */
    vgt_backend_query *host;
} e3d_query;

/* Shader types are 1 (VS) and 2 (PS); arrays are indexed type - 1. */
#define E3D_VS 0
#define E3D_PS 1

typedef struct e3d_context {
    uint32_t cid;
    vgt_svga3d_surface_image_id rt[VGT_SVGA3D_RT_MAX]; /* sid INVALID: unbound */
    vgt_svga3d_rect viewport;
    bool viewport_set;
    vgt_svga3d_zrange zrange;
    vgt_svga3d_rect scissor;
    float clip_planes[VGT_SVGA3D_MAX_CLIP_PLANES][4];
    uint32_t rs[VGT_SVGA3D_RS_MAX];
    uint32_t ts[VGT_SVGA3D_MAX_TEXTURE_STAGES][VGT_SVGA3D_TS_MAX];
    float transforms[VGT_SVGA3D_TRANSFORM_MAX][16];
    vgt_svga3d_light_data lights[VGT_EXEC3D_MAX_LIGHT_INDEX];
    bool light_enabled[VGT_EXEC3D_MAX_LIGHT_INDEX];
    vgt_svga3d_material material[2]; /* front, back */

    /* shaders (per context in the legacy protocol) */
    e3d_shader **shaders[2]; /* [type][shid], grown on demand */
    uint32_t shader_cap[2];
    uint32_t shader_bound[2]; /* shid or VGT_SVGA3D_INVALID_ID */
    float vs_float[VGT_BACKEND_VS_FLOAT_REGS][4];
    float ps_float[VGT_BACKEND_PS_FLOAT_REGS][4];
    int32_t int_regs[2][VGT_BACKEND_INT_REGS][4];
    uint32_t bool_regs[2][VGT_BACKEND_BOOL_REGS];

    /* the vertex declaration of the last draw */
    vgt_svga3d_vertex_decl decls[VGT_SVGA3D_MAX_VERTEX_ARRAYS];
    uint32_t divisors[VGT_SVGA3D_MAX_VERTEX_ARRAYS];
    uint32_t decl_count;
    bool has_divisors;
    /* resolved.elements are those of decls, looked up at objects_gen
     * elements_gen (exec_draw skips the lookups for the same decls) */
    bool elements_match;
    uint64_t elements_gen;

    e3d_query queries[VGT_SVGA3D_QUERYTYPE_MAX];

    bool dirty;                /* `resolved` must be rebuilt from the state above */
    uint32_t transforms_dirty; /* only these matrices (bit = transform type) must be copied */
    uint64_t resolved_gen;     /* e->objects_gen when `resolved` looked its surfaces up */
    vgt_backend_draw_state resolved;
} e3d_context;

/* Counters of what the state tracker executed (for tests and stats). */
typedef struct vgt_exec3d_counters {
    uint64_t commands, failed;
    uint64_t dma_uploads, dma_downloads, dma_bytes_in, dma_bytes_out;
    uint64_t clears, draws, presents, blits, readbacks, queries_ended;
} vgt_exec3d_counters;

typedef struct vgt_exec3d {
    vgt_executor *ex; /* the owner, for the display model */
    vgt_guest_memory mem;
    vgt_backend be;
    vgt_backend_caps caps;
    e3d_surface **surfaces; /* [sid], grown on demand up to VGT_EXEC3D_MAX_SURFACE_IDS */
    uint32_t surface_cap;
    uint32_t surface_count;
    uint64_t surface_bytes; /* total of all live surfaces */
    e3d_context *contexts[VGT_EXEC3D_MAX_CONTEXT_IDS];
    uint8_t *staging;
    size_t staging_cap;
    vgt_exec_result *res; /* the result of the command being executed */
    vgt_exec3d_counters counters;
    /* Bumped when a surface is defined or destroyed: a resolved state then
     * looks its targets and textures up again. */
    uint64_t objects_gen;
    uint64_t last_serial; /* the last vgt_backend_draw_state.serial given out */
    /* The highest TEXTURE_ANISOTROPIC_LEVEL a draw state carries (>= 1):
     * the backend's MAX_TEXTURE_ANISOTROPY, lowered by
     * vgt_exec3d_limit_anisotropy */
    uint32_t max_anisotropy;
} vgt_exec3d;

/* ---- exec3d.c ----------------------------------------------------------- */

/* Creates the state tracker over `mem`, taking ownership of *be (zeroed on
 * success; destroyed with the tracker). */
vgt_status vgt_exec3d_create(vgt_executor *ex, const vgt_guest_memory *mem, vgt_backend *be,
                             vgt_exec3d **out, vgt_error *err);
/* Lowers the highest anisotropy draw states carry to n (0: no change). */
void vgt_exec3d_limit_anisotropy(vgt_exec3d *e, uint32_t n);
/* Destroys every object, the backend and the tracker (NULL is fine). */
void vgt_exec3d_destroy(vgt_exec3d *e);
/* Destroys every context, shader, query and surface (the backend stays). */
void vgt_exec3d_reset(vgt_exec3d *e);
/* Executes one decoded 3D command (id 1040..1999). */
vgt_status vgt_exec3d_execute(vgt_exec3d *e, const vgt_cmd *cmd, vgt_exec_result *res,
                              vgt_error *err);
/* The caps block (records, then a zero word) and the hardware version. */
uint32_t vgt_exec3d_caps(const vgt_exec3d *e, uint32_t *hw_version, uint32_t *words, uint32_t max);

/* Guest memory through the interface, counted in e->res. */
vgt_status e3d_mem_read(vgt_exec3d *e, uint32_t gmr, uint64_t offset, void *dst, uint64_t len,
                        vgt_error *err);
vgt_status e3d_mem_write(vgt_exec3d *e, uint32_t gmr, uint64_t offset, const void *src,
                         uint64_t len, vgt_error *err);
/* A staging buffer of at least `bytes` (reused between commands). */
vgt_status e3d_staging(vgt_exec3d *e, uint64_t bytes, uint8_t **out, vgt_error *err);

/* An occlusion query in flight at a 3D snapshot: what it counted so far is
 * folded into q->carry (the backend's query ended and begun again, or the
 * summed draw stats moved), so its END_QUERY still delivers the whole
 * count; *carry is the total carried. */
vgt_status e3d_query_checkpoint(vgt_exec3d *e, e3d_query *q, uint64_t *carry, vgt_error *err);

/* The size of each target a context has bound, as DRAW_PRIMITIVES and
 * CLEAR measure them (the image bound: its face and mip). */
typedef struct e3d_target_size {
    bool bound;
    uint32_t sid;
    vgt_svga3d_size size;
} e3d_target_size;
typedef struct e3d_target_sizes {
    uint32_t cid;
    uint32_t color_count; /* color[0..color_count) are measured (the rest unbound) */
    e3d_target_size color[VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS];
    e3d_target_size depth;
} e3d_target_sizes;
/* Direct3D 9's size rules for the targets a draw or a colour clear
 * renders to: every bound colour target the size of the first bound one
 * and, when `depth` (DRAW_PRIMITIVES), the depth target no smaller than
 * it; VGT_E_INVALID naming `what` and the targets when broken.  The
 * executor's draw and clear and the binding tracker (bind_tracker.c) both
 * ask it. */
vgt_status e3d_check_target_sizes(const e3d_target_sizes *t, const char *what, bool depth,
                                  vgt_error *err);

/* A surface a draw reads vertices or indices from, as its checks see it. */
typedef struct e3d_draw_buffer {
    uint32_t sid, flags;
    const vgt_surface_format_info *fi;
    uint64_t bytes;            /* level 0, face 0 */
    vgt_backend_surface *host; /* the backend's object (NULL outside the executor) */
} e3d_draw_buffer;
/* Where a draw's checks look its surfaces up: the executor's own, or the
 * binding tracker's (bind_tracker.c), so both decide alike. */
typedef struct e3d_draw_lookup {
    /* *out filled with live surface sid; false when it is not defined */
    bool (*find)(const void *self, uint32_t sid, e3d_draw_buffer *out);
    const void *self;
    uint32_t max_primitives; /* the backend's DEVCAP_MAX_PRIMITIVE_COUNT (UINT32_MAX: none) */
} e3d_draw_lookup;
/* DRAW_PRIMITIVES's vertex declarations and ranges (docs/executor.md,
 * "draws"): ranges without a declaration, a declaration's surface missing
 * or not a vertex buffer, the instancing divisors, each range's primitive
 * count, index buffer and reads inside its buffers; VGT_E_* naming the
 * declaration or range when refused.  Unless `same` (d->elements already
 * hold cmd's declarations, over the same surfaces) it fills decls,
 * divisors and d->elements (d->element_count, d->instance_count);
 * `vs30`: the bound vertex shader is vs_3_0 and runs (the vertex stream
 * frequency's rule); ranges[cmd->ranges.count] receives the ranges as the
 * backend draws them.  The executor's draw and the binding tracker both
 * ask it. */
vgt_status e3d_check_draw(const e3d_draw_lookup *lk, const vgt_cmd *cmd, bool same, bool vs30,
                          vgt_backend_draw_state *d, vgt_svga3d_vertex_decl *decls,
                          uint32_t *divisors, vgt_backend_draw_range *ranges, vgt_error *err);

/* ---- surface3d.c -------------------------------------------------------- */

/* The live surface with id sid, or NULL. */
e3d_surface *e3d_surface_get(const vgt_exec3d *e, uint32_t sid);
/* Finds image (sid, face, mip): VGT_E_NOTFOUND / VGT_E_RANGE naming `what`. */
vgt_status e3d_image_find(const vgt_exec3d *e, const char *what,
                          const vgt_svga3d_surface_image_id *id, e3d_surface **s,
                          const vgt_surface_image **im, vgt_error *err);
/* A backend view of an image found by e3d_image_find. */
vgt_backend_view e3d_view(const e3d_surface *s, uint32_t face, uint32_t mip);
/* Frees a surface (backend object included); does not unbind it. */
void e3d_surface_free(vgt_exec3d *e, e3d_surface *s);

/* The executor's rules for a SURFACE_DEFINE(_V2) cmd, without a backend
 * (caps NULL: the backend's size limits are not checked): its faces, mip
 * levels, their images (*images allocated, faces * mips of them, the
 * caller frees) and total bytes; or the error the executor refuses it with.
 * vgt surfaces (surface_list.c) follows the executor through it. */
vgt_status e3d_surface_layout(const vgt_cmd *cmd, const vgt_backend_caps *caps, uint32_t *faces,
                              uint32_t *mips, vgt_surface_image **images, uint64_t *total,
                              vgt_error *err);
/* VGT_E_NOMEM when a surface of total bytes does not fit beside others
 * bytes of live surfaces in VGT_EXEC3D_MAX_TOTAL_BYTES (cmd names it). */
vgt_status e3d_surface_budget(const vgt_cmd *cmd, uint64_t total, uint64_t others, vgt_error *err);
/* Checks SURFACE_DMA copy box cb against image im of format f (inside it,
 * on block boundaries, the guest origin too) as the executor does: *rows
 * rows of blocks of *row_bytes each per slice (cb->d slices). */
vgt_status e3d_dma_box_check(const char *what, const vgt_surface_format_info *f,
                             const vgt_surface_image *im, const vgt_svga3d_copy_box *cb,
                             uint32_t *row_bytes, uint32_t *rows, vgt_error *err);
/* Whether GENERATE_MIPMAPS may run on a surface of format f (uncompressed
 * colour formats only); else the error the executor refuses it with (sid
 * names it).  vgt surfaces follows the executor through it. */
vgt_status e3d_mipmaps_check(const vgt_surface_format_info *f, uint32_t sid, vgt_error *err);
vgt_status e3d_cmd_surface_define(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err);
vgt_status e3d_cmd_surface_destroy(vgt_exec3d *e, uint32_t sid, vgt_error *err);
vgt_status e3d_cmd_surface_dma(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err);
vgt_status e3d_cmd_surface_copy(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err);
vgt_status e3d_cmd_surface_stretchblt(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err);
vgt_status e3d_cmd_generate_mipmaps(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err);

/* ---- state3d.c ---------------------------------------------------------- */

/* Fills a new (zeroed) context with Direct3D 9's initial state, as
 * CONTEXT_DEFINE does (snapshot3d.c saves what differs from it). */
void e3d_context_defaults(e3d_context *c);
/* The live context cid, or NULL. */
e3d_context *e3d_context_get(const vgt_exec3d *e, uint32_t cid);
/* Like e3d_context_get with a VGT_E_NOTFOUND message naming the command. */
vgt_status e3d_context_find(const vgt_exec3d *e, const vgt_cmd *cmd, uint32_t cid,
                            e3d_context **out, vgt_error *err);
/* Frees a context, its shaders and queries. */
void e3d_context_free(vgt_exec3d *e, e3d_context *c);
/* Removes every binding of surface sid (render targets, textures) from every
 * context, so that no context refers to it after it is destroyed. */
void e3d_unbind_surface(vgt_exec3d *e, uint32_t sid);
/* Brings c->resolved up to date for a draw or clear (surface views
 * included); fails when a bound shader cannot run on the backend or more
 * lights are enabled than it supports. */
vgt_status e3d_resolve(vgt_exec3d *e, e3d_context *c, const char *what, vgt_error *err);

vgt_status e3d_cmd_context_define(vgt_exec3d *e, uint32_t cid, vgt_error *err);
vgt_status e3d_cmd_context_destroy(vgt_exec3d *e, uint32_t cid, vgt_error *err);
/* Whether the executor takes SHADER_DEFINE cmd's shader, its context
 * aside: the bytecode's size, the id's range, the validator's verdict and
 * the bytecode's type the command's; VGT_OK, or the error it refuses it
 * with (VGT_E_NOMEM: the host's memory, not the guest's bytecode).  The
 * executor's SHADER_DEFINE and the binding tracker (vgt leaks) ask it. */
vgt_status e3d_shader_check(const vgt_cmd *cmd, vgt_error *err);
/* Every per-context state command (SETTRANSFORM .. SET_SHADER_CONST,
 * SETSCISSORRECT, SHADER_DEFINE/DESTROY). */
vgt_status e3d_cmd_state(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err);

/* ---- executor.c: the display model, for PRESENT and blits -------------- */

/* Writes a w x h block of 0xAARRGGBB pixels (rows `pitch` bytes apart) at
 * (x, y) relative to screen `screen_id`, or in virtual coordinates when
 * screen_id is VGT_SVGA_ID_INVALID, into every active screen it overlaps
 * (clipped).  VGT_E_NOTFOUND when the screen is not defined. */
vgt_status vgt_exec_display_put(vgt_executor *ex, uint32_t screen_id, int64_t x, int64_t y,
                                uint32_t w, uint32_t h, const uint8_t *src, uint64_t pitch,
                                vgt_error *err);
/* vgt_exec_display_put of a w x h block of zero pixels at virtual (x, y),
 * for a backend without contents (caps.no_contents); free when the same
 * block was the last one put this way and nothing shown changed since. */
vgt_status vgt_exec_display_put_zero(vgt_executor *ex, int64_t x, int64_t y, uint32_t w, uint32_t h,
                                     vgt_error *err);
/* Reads a w x h block of screen `screen_id` at (x, y) (inside the screen, or
 * VGT_E_RANGE) into dst. */
vgt_status vgt_exec_display_get(const vgt_executor *ex, uint32_t screen_id, uint32_t x, uint32_t y,
                                uint32_t w, uint32_t h, uint8_t *dst, uint64_t pitch,
                                vgt_error *err);
/* w host pixels 0x00RRGGBB as guest bytes of layout `bits` (15: x-R5-G5-B5
 * and 16: R5-G6-B5 little-endian words, each channel's low bits dropped,
 * bit 15 written 0; 24: packed B, G, R; 32: as they are): the one
 * narrowing BLIT_SCREEN_TO_GMRFB and PRESENT_READBACK share. */
void vgt_exec_px_row_from_host(uint32_t bits, const uint32_t *src, uint8_t *dst, uint32_t w);
/* The executor's state tracker (NULL while 3D is off), for tests. */
vgt_exec3d *vgt_exec_3d(vgt_executor *ex);

#endif /* VGT_EXEC3D_H */
