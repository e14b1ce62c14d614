/* wrap.c - the recording backend: wraps any vgt_backend, times every op, and
 * while recording logs each op with deep-copied arguments so the backend work
 * can be re-issued without the virtualization layer (the native cost).
 *
 * Handles: the wrapper passes the inner backend's handles through unchanged
 * (the executor never looks inside) and keeps a pointer -> id map; the log
 * names objects by id, and a native run maps ids to the fresh backend's
 * handles.  Draw and clear states are logged as a delta (64-byte blocks that
 * changed) of one flat image of the state and the register arrays it points
 * at, against the previous one: a draw usually changes little, so the log
 * stays small.  Uploaded bytes are kept once per content (XXH3) up to a
 * budget; past it an upload is re-issued from zeros (the log says so). */
#include "analyze_internal.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define BLOCK         64u
#define BLOB_BUDGET   (1ull << 30) /* bytes of unique uploaded data kept */
#define NO_CMD        UINT64_MAX
#define TOMBSTONE_KEY ((uintptr_t)1)

size_t an_buf_put(an_buf *b, const void *src, size_t n)
{
    if (n > SIZE_MAX - b->len - 8) {
        return SIZE_MAX;
    }
    size_t need = b->len + n;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < need) {
            cap *= 2;
        }
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            return SIZE_MAX;
        }
        b->p = p;
        b->cap = cap;
    }
    size_t off = b->len;
    if (src) {
        memcpy(b->p + off, src, n);
    } else {
        memset(b->p + off, 0, n);
    }
    b->len = need;
    return off;
}

void an_buf_free(an_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

/* ---- the log ----------------------------------------------------------------- */

enum {
    OP_SURF_DEFINE = 1,
    OP_SURF_DESTROY,
    OP_UPLOAD,
    OP_DOWNLOAD,
    OP_COPY,
    OP_STRETCH,
    OP_MIPMAPS,
    OP_CLEAR,
    OP_DRAW,
    OP_READ_PIXELS,
    OP_SHADER_DEFINE,
    OP_SHADER_DESTROY,
    OP_QUERY_CREATE,
    OP_QUERY_DESTROY,
    OP_QUERY_BEGIN,
    OP_QUERY_END,
};

typedef struct op_hdr {
    uint32_t op;
    uint32_t size; /* whole entry, header included, multiple of 8 */
    uint64_t cmd;  /* command index */
} op_hdr;

typedef struct rec_view {
    uint32_t id, face, mip, format;
    vgt_svga3d_size size;
} rec_view;

typedef struct op_surf_define {
    uint32_t id, nimages;
    vgt_backend_surface_desc desc; /* images: follow the struct */
} op_surf_define;

typedef struct op_transfer { /* UPLOAD, DOWNLOAD */
    uint32_t id, face, mip, flags;
    vgt_svga3d_box box;
    uint32_t row_pitch;
    uint64_t slice_pitch;
    uint64_t len;
    uint64_t blob; /* UPLOAD: offset in the blob pool, UINT64_MAX: zeros */
} op_transfer;

typedef struct op_copy {
    rec_view dst, src;
    uint32_t count; /* boxes follow */
} op_copy;

typedef struct op_stretch {
    rec_view dst, src;
    vgt_svga3d_box dst_box, src_box;
    uint32_t mode;
} op_stretch;

typedef struct op_id2 {
    uint32_t id, arg;
} op_id2;

typedef struct op_clear {
    uint32_t flags, color;
    float depth;
    uint32_t stencil;
    uint32_t count; /* rects follow, then the state delta */
} op_clear;

typedef struct op_draw {
    uint32_t count; /* ranges follow, then the state delta */
} op_draw;

typedef struct op_read {
    rec_view src;
    vgt_svga3d_rect rect;
    uint32_t dst_pitch;
} op_read;

typedef struct op_shader {
    uint32_t id, type, words; /* bytecode follows */
} op_shader;

/* The flat image of a draw state: the struct (handles as ids, array
 * pointers as presence flags) then the arrays it points at. */
#define N_VSF (VGT_BACKEND_VS_FLOAT_REGS * 16u)
#define N_PSF (VGT_BACKEND_PS_FLOAT_REGS * 16u)
#define N_INT (VGT_BACKEND_INT_REGS * 16u)
#define N_BOO (VGT_BACKEND_BOOL_REGS * 4u)
#define N_RS  (VGT_SVGA3D_RS_MAX * 4u)
#define N_TS  (VGT_SVGA3D_MAX_TEXTURE_STAGES * VGT_SVGA3D_TS_MAX * 4u)
enum {
    F_STRUCT = 0,
    F_VSF = F_STRUCT + ((sizeof(vgt_backend_draw_state) + 63u) & ~(size_t)63u),
    F_VSI = F_VSF + N_VSF,
    F_VSB = F_VSI + N_INT,
    F_PSF = F_VSB + N_BOO,
    F_PSI = F_PSF + N_PSF,
    F_PSB = F_PSI + N_INT,
    F_RS = F_PSB + N_BOO,
    F_TS = F_RS + N_RS,
    F_END = F_TS + N_TS,
    FLAT_SIZE = (F_END + 63u) & ~63u,
};

/* ---- pointer -> id map --------------------------------------------------------- */

typedef struct hmap_slot {
    uintptr_t key; /* 0 empty, TOMBSTONE_KEY deleted */
    uint32_t id;
} hmap_slot;

typedef struct hmap {
    hmap_slot *s;
    size_t cap, used; /* used: live + tombstones */
} hmap;

static size_t hmap_hash(uintptr_t k, size_t cap)
{
    uint64_t x = (uint64_t)k * 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 17) & (cap - 1);
}

static bool hmap_grow(hmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 256;
    hmap_slot *s = calloc(cap, sizeof(*s));
    if (!s) {
        return false;
    }
    size_t used = 0;
    for (size_t i = 0; i < m->cap; i++) {
        uintptr_t k = m->s[i].key;
        if (k > TOMBSTONE_KEY) {
            size_t j = hmap_hash(k, cap);
            while (s[j].key) {
                j = (j + 1) & (cap - 1);
            }
            s[j] = m->s[i];
            used++;
        }
    }
    free(m->s);
    m->s = s;
    m->cap = cap;
    m->used = used;
    return true;
}

static bool hmap_put(hmap *m, const void *p, uint32_t id)
{
    uintptr_t k = (uintptr_t)p;
    if ((m->used + 1) * 2 > m->cap && !hmap_grow(m)) {
        return false;
    }
    size_t j = hmap_hash(k, m->cap), tomb = SIZE_MAX;
    while (m->s[j].key) {
        if (m->s[j].key == k) {
            m->s[j].id = id;
            return true;
        }
        if (m->s[j].key == TOMBSTONE_KEY && tomb == SIZE_MAX) {
            tomb = j;
        }
        j = (j + 1) & (m->cap - 1);
    }
    if (tomb != SIZE_MAX) {
        j = tomb;
    } else {
        m->used++;
    }
    m->s[j].key = k;
    m->s[j].id = id;
    return true;
}

static uint32_t hmap_get(const hmap *m, const void *p)
{
    uintptr_t k = (uintptr_t)p;
    if (!p || !m->cap) {
        return 0;
    }
    size_t j = hmap_hash(k, m->cap);
    while (m->s[j].key) {
        if (m->s[j].key == k) {
            return m->s[j].id;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return 0;
}

static void hmap_del(hmap *m, const void *p)
{
    uintptr_t k = (uintptr_t)p;
    if (!p || !m->cap) {
        return;
    }
    size_t j = hmap_hash(k, m->cap);
    while (m->s[j].key) {
        if (m->s[j].key == k) {
            m->s[j].key = TOMBSTONE_KEY;
            return;
        }
        j = (j + 1) & (m->cap - 1);
    }
}

/* ---- blob pool (uploaded bytes, deduplicated) ------------------------------------- */

typedef struct blob_slot {
    uint64_t hash, len, off; /* len 0: empty */
} blob_slot;

/* ---- the wrapper ------------------------------------------------------------------ */

struct an_wrap {
    vgt_backend inner;
    vgt_backend_ops ops; /* the wrapper's table (optional ops mirror the inner's) */
    bool sync;           /* finish called inside every timed op (has_finish, not frame_sync) */
    bool has_finish;     /* the inner backend is asynchronous (has finish) */
    bool frame_sync;     /* --sync frame: finish once per frame (an_wrap_finish), not per op */
    uint64_t finishes;   /* finish calls made, per op and by an_wrap_finish */
    /* gpu_time was called: the inner backend's timer query runs from then on
     * (gpu_time restarts it; only destroying the backend stops it) */
    bool gpu_timer_on;
    uint64_t timed_under_gpu_timer; /* timed ops made while it ran */
    /* the ops made now are not timed, nor waited for (the state-only frames
     * before a --frames range); ops_timed and ops_untimed count both kinds */
    bool untimed;
    uint64_t ops_timed, ops_untimed;
    uint64_t native_untimed; /* ops the last native re-issue made untimed */

    bool recording;
    bool in_cmd;
    /* a command began since recording started: the calls made before it (a
     * snapshot's restore) are logged too, see logging() */
    bool cmd_seen;
    uint64_t cmd;
    uint64_t be_ns;
    uint32_t be_ops;
    uint64_t prims;

    bool failed; /* out of memory while logging: the log is incomplete */
    an_buf log;
    uint64_t nops;
    hmap ids;
    uint32_t next_id;
    uint8_t *flat_prev, *flat_cur; /* FLAT_SIZE each */
    bool have_prev;

    an_buf blobs;
    blob_slot *bslots;
    size_t bcap, bused;
    bool blobs_over;

    an_surface_info *surf;
    size_t nsurf, surf_cap;
    uint32_t *surf_of_id; /* id -> surface info index + 1 (0: none) */
    size_t surf_of_cap;
    /* id -> format of every surface made while recording, those made before
     * the first command (a snapshot's) too: an upload's logged length */
    uint32_t *fmt_of_id;
    size_t fmt_of_cap;
    an_shader_info *sh;
    size_t nsh, sh_cap;
    uint32_t *sh_of_id;
    size_t sh_of_cap;
    uint32_t pending_cid, pending_shid;
};

an_wrap *an_wrap_new(void)
{
    an_wrap *w = calloc(1, sizeof(*w));
    if (!w) {
        return NULL;
    }
    w->flat_prev = calloc(1, FLAT_SIZE);
    w->flat_cur = calloc(1, FLAT_SIZE);
    if (!w->flat_prev || !w->flat_cur) {
        an_wrap_free(w);
        return NULL;
    }
    w->next_id = 1;
    w->pending_cid = w->pending_shid = UINT32_MAX;
    return w;
}

void an_wrap_free(an_wrap *w)
{
    if (!w) {
        return;
    }
    an_buf_free(&w->log);
    an_buf_free(&w->blobs);
    free(w->ids.s);
    free(w->bslots);
    free(w->flat_prev);
    free(w->flat_cur);
    free(w->surf);
    free(w->surf_of_id);
    free(w->fmt_of_id);
    free(w->sh);
    free(w->sh_of_id);
    free(w);
}

void an_wrap_set_recording(an_wrap *w, bool on)
{
    w->recording = on;
    w->cmd_seen = false;
}

void an_wrap_cmd_begin(an_wrap *w, uint64_t index)
{
    w->in_cmd = true;
    w->cmd_seen = true;
    w->cmd = index;
    w->be_ns = 0;
    w->be_ops = 0;
    w->prims = 0;
}

void an_wrap_cmd_end(an_wrap *w, uint64_t *backend_ns, uint32_t *ops, uint64_t *primitives)
{
    *backend_ns = w->be_ns;
    *ops = w->be_ops;
    *primitives = w->prims;
    w->in_cmd = false;
    w->be_ns = 0;
    w->be_ops = 0;
    w->prims = 0;
    w->pending_cid = w->pending_shid = UINT32_MAX;
}

void an_wrap_note_shader_ids(an_wrap *w, uint32_t cid, uint32_t shid)
{
    w->pending_cid = cid;
    w->pending_shid = shid;
}

bool an_wrap_has_gpu_time(const an_wrap *w)
{
    return w->inner.ops && w->inner.ops->gpu_time;
}

bool an_wrap_synced(const an_wrap *w)
{
    return w->sync;
}

bool an_wrap_has_finish(const an_wrap *w)
{
    return w->has_finish;
}

void an_wrap_set_frame_sync(an_wrap *w, bool on)
{
    w->frame_sync = on;
    w->sync = w->has_finish && !on;
}

bool an_wrap_finish(an_wrap *w)
{
    if (!w->has_finish) {
        return false;
    }
    w->inner.ops->finish(w->inner.self);
    w->finishes++;
    return true;
}

void an_wrap_set_untimed(an_wrap *w, bool on)
{
    w->untimed = on;
}

void an_wrap_settle(an_wrap *w)
{
    if (w->has_finish) {
        w->inner.ops->finish(w->inner.self);
    }
}

void an_wrap_op_counts(const an_wrap *w, uint64_t *timed, uint64_t *untimed)
{
    *timed = w->ops_timed;
    *untimed = w->ops_untimed;
}

uint64_t an_wrap_native_untimed(const an_wrap *w)
{
    return w->native_untimed;
}

uint64_t an_wrap_finishes(const an_wrap *w)
{
    return w->finishes;
}

bool an_wrap_gpu_time(an_wrap *w, uint64_t *ns)
{
    if (!an_wrap_has_gpu_time(w)) {
        return false;
    }
    w->gpu_timer_on = true;
    return w->inner.ops->gpu_time(w->inner.self, ns);
}

uint64_t an_wrap_timed_under_gpu_timer(const an_wrap *w)
{
    return w->timed_under_gpu_timer;
}

uint64_t an_wrap_logged_ops(const an_wrap *w)
{
    return w->nops;
}

bool an_wrap_log_complete(const an_wrap *w)
{
    return !w->failed && !w->blobs_over;
}

const an_surface_info *an_wrap_surfaces(const an_wrap *w, size_t *n)
{
    *n = w->nsurf;
    return w->surf;
}

const an_shader_info *an_wrap_shaders(const an_wrap *w, size_t *n)
{
    *n = w->nsh;
    return w->sh;
}

void an_wrap_set_shader_ids(an_wrap *w, size_t i, uint32_t cid, uint32_t shid)
{
    if (i < w->nsh) {
        w->sh[i].cid = cid;
        w->sh[i].shid = shid;
    }
}

/* ---- logging helpers -------------------------------------------------------------- */

/* The calls of the commands, and those made before the first command: a
 * capture started mid-run (or trimmed) begins with a snapshot, whose
 * surfaces, shaders and their contents the executor makes before any
 * command; the commands then draw into them, so the native re-issue must
 * make them too.  Those calls are logged for no command (NO_CMD): re-issued,
 * timed into no command and no frame, as the replay times them. */
static bool logging(const an_wrap *w)
{
    return w->recording && (w->in_cmd || !w->cmd_seen) && !w->failed;
}

/* A surface or shader made now is listed (an_wrap_surfaces, _shaders): a
 * command's, or a snapshot's, made before the first command (a trimmed or
 * mid-run trace's, which the commands then use: a query joining them to
 * the commands' uploads and draws needs their rows). */
static bool listing(const an_wrap *w)
{
    return w->in_cmd || !w->cmd_seen;
}

/* Starts an entry; returns its offset (SIZE_MAX: failed). */
static size_t log_begin(an_wrap *w, uint32_t op)
{
    op_hdr h = {.op = op, .size = 0, .cmd = w->in_cmd ? w->cmd : NO_CMD};
    size_t off = an_buf_put(&w->log, &h, sizeof(h));
    if (off == SIZE_MAX) {
        w->failed = true;
    }
    return off;
}

static void log_put(an_wrap *w, const void *p, size_t n)
{
    if (!w->failed && an_buf_put(&w->log, p, n) == SIZE_MAX) {
        w->failed = true;
    }
}

static void log_end(an_wrap *w, size_t start)
{
    if (w->failed || start == SIZE_MAX) {
        w->failed = true;
        return;
    }
    size_t pad = (8u - (w->log.len & 7u)) & 7u;
    log_put(w, NULL, pad);
    if (w->failed || w->log.len - start > UINT32_MAX) {
        w->failed = true;
        return;
    }
    ((op_hdr *)(void *)(w->log.p + start))->size = (uint32_t)(w->log.len - start);
    w->nops++;
}

static uint32_t id_new(an_wrap *w, const void *handle)
{
    if (!handle) {
        return 0;
    }
    uint32_t id = w->next_id++;
    if (!hmap_put(&w->ids, handle, id)) {
        w->failed = true;
    }
    return id;
}

static uint32_t id_of(const an_wrap *w, const void *handle)
{
    return hmap_get(&w->ids, handle);
}

/* The id of a handle a logged op names.  A handle the wrapper never saw made
 * (none should be: every object is made through it while recording) has no
 * id, and the native re-issue would pass the fresh backend NULL where the
 * executor passed an object: the log stops there (incomplete, flagged),
 * rather than re-issue the op wrong. */
static uint32_t id_logged(an_wrap *w, const void *handle)
{
    uint32_t id = id_of(w, handle);
    if (handle && !id) {
        w->failed = true;
    }
    return id;
}

static rec_view view_rec(an_wrap *w, const vgt_backend_view *v)
{
    rec_view r = {.id = id_logged(w, v->surface),
                  .face = v->face,
                  .mip = v->mip,
                  .format = v->format,
                  .size = v->size};
    return r;
}

static vgt_backend_view view_of(const rec_view *r, void *const *handles)
{
    vgt_backend_view v = {.surface = (vgt_backend_surface *)handles[r->id],
                          .face = r->face,
                          .mip = r->mip,
                          .format = r->format,
                          .size = r->size};
    return v;
}

/* Bytes a transfer of box spans in linear memory. */
static uint64_t transfer_span(uint32_t format, const vgt_svga3d_box *box, uint32_t row_pitch,
                              uint64_t slice_pitch)
{
    const vgt_surface_format_info *fi = vgt_surface_format(format);
    if (!fi || box->w == 0 || box->h == 0 || box->d == 0) {
        return 0;
    }
    uint64_t bw = fi->block_width ? fi->block_width : 1,
             bh = fi->block_height ? fi->block_height : 1;
    uint64_t row_bytes = ((box->w + bw - 1) / bw) * fi->block_bytes;
    uint64_t rows = (box->h + bh - 1) / bh;
    return (uint64_t)(box->d - 1) * slice_pitch + (rows - 1) * row_pitch + row_bytes;
}

static uint32_t surface_format_of(const an_wrap *w, uint32_t id)
{
    return id < w->fmt_of_cap ? w->fmt_of_id[id] : 0;
}

static bool grow_u32(uint32_t **a, size_t *cap, size_t need)
{
    if (need <= *cap) {
        return true;
    }
    size_t c = *cap ? *cap : 256;
    while (c < need) {
        c *= 2;
    }
    uint32_t *p = realloc(*a, c * sizeof(**a));
    if (!p) {
        return false;
    }
    memset(p + *cap, 0, (c - *cap) * sizeof(**a));
    *a = p;
    *cap = c;
    return true;
}

/* Keeps len bytes once per content; returns the pool offset or UINT64_MAX. */
static uint64_t blob_keep(an_wrap *w, const uint8_t *p, uint64_t len)
{
    if (len == 0 || w->blobs_over) {
        return UINT64_MAX;
    }
    uint64_t h = XXH3_64bits(p, (size_t)len);
    if ((w->bused + 1) * 2 > w->bcap) {
        size_t cap = w->bcap ? w->bcap * 2 : 1024;
        blob_slot *s = calloc(cap, sizeof(*s));
        if (!s) {
            w->blobs_over = true;
            return UINT64_MAX;
        }
        for (size_t i = 0; i < w->bcap; i++) {
            if (w->bslots[i].len) {
                size_t j = (size_t)w->bslots[i].hash & (cap - 1);
                while (s[j].len) {
                    j = (j + 1) & (cap - 1);
                }
                s[j] = w->bslots[i];
            }
        }
        free(w->bslots);
        w->bslots = s;
        w->bcap = cap;
    }
    size_t j = (size_t)h & (w->bcap - 1);
    while (w->bslots[j].len) {
        blob_slot *b = &w->bslots[j];
        if (b->hash == h && b->len == len && memcmp(w->blobs.p + b->off, p, (size_t)len) == 0) {
            return b->off;
        }
        j = (j + 1) & (w->bcap - 1);
    }
    if (w->blobs.len + len > BLOB_BUDGET) {
        w->blobs_over = true;
        return UINT64_MAX;
    }
    size_t off = an_buf_put(&w->blobs, p, (size_t)len);
    if (off == SIZE_MAX) {
        w->blobs_over = true;
        return UINT64_MAX;
    }
    w->bslots[j] = (blob_slot){.hash = h, .len = len, .off = off};
    w->bused++;
    return off;
}

/* The handle fields of a draw state, and the arrays it points at with their
 * place in the flat image and their size: flatten() and apply_state_delta()
 * walk the same lists, so a field added to the state is added here once. */
#define DRAW_STATE_HANDLES(X)                                                                      \
    do {                                                                                           \
        for (uint32_t i_ = 0; i_ < VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS; i_++) {             \
            X(color_targets[i_].surface);                                                          \
        }                                                                                          \
        X(depth_target.surface);                                                                   \
        X(stencil_target.surface);                                                                 \
        X(vertex_shader);                                                                          \
        X(pixel_shader);                                                                           \
        for (uint32_t i_ = 0; i_ < VGT_BACKEND_MAX_ELEMENTS; i_++) {                               \
            X(elements[i_].buffer);                                                                \
        }                                                                                          \
        for (uint32_t i_ = 0; i_ < VGT_BACKEND_MAX_STAGES; i_++) {                                 \
            X(stages[i_].texture.surface);                                                         \
        }                                                                                          \
    } while (0)
#define DRAW_STATE_ARRAYS(X)                                                                       \
    do {                                                                                           \
        X(vs_float, F_VSF, N_VSF);                                                                 \
        X(vs_int, F_VSI, N_INT);                                                                   \
        X(vs_bool, F_VSB, N_BOO);                                                                  \
        X(ps_float, F_PSF, N_PSF);                                                                 \
        X(ps_int, F_PSI, N_INT);                                                                   \
        X(ps_bool, F_PSB, N_BOO);                                                                  \
        X(render_states, F_RS, N_RS);                                                              \
        X(texture_states, F_TS, N_TS);                                                             \
    } while (0)

/* Flattens a draw state into w->flat_cur (handles as ids). */
static void flatten(an_wrap *w, const vgt_backend_draw_state *d)
{
    uint8_t *f = w->flat_cur;
    memset(f, 0, FLAT_SIZE);
    vgt_backend_draw_state *s = (vgt_backend_draw_state *)(void *)(f + F_STRUCT);
    *s = *d;
#define AS_ID(field) (s->field = (void *)(uintptr_t)id_logged(w, d->field))
    DRAW_STATE_HANDLES(AS_ID);
#undef AS_ID
#define ARR(field, off, n)                                                                         \
    do {                                                                                           \
        if (d->field) {                                                                            \
            memcpy(f + (off), (const void *)d->field, (n));                                        \
            s->field = (void *)(uintptr_t)1;                                                       \
        }                                                                                          \
    } while (0)
    DRAW_STATE_ARRAYS(ARR);
#undef ARR
}

/* Logs the delta of the flattened state against the previous one. */
static void log_state_delta(an_wrap *w, const vgt_backend_draw_state *d)
{
    flatten(w, d);
    uint32_t n = 0;
    for (size_t b = 0; b < FLAT_SIZE / BLOCK; b++) {
        if (!w->have_prev || memcmp(w->flat_cur + b * BLOCK, w->flat_prev + b * BLOCK, BLOCK)) {
            n++;
        }
    }
    log_put(w, &n, 4);
    log_put(w, NULL, 4);
    for (uint32_t b = 0; b < FLAT_SIZE / BLOCK; b++) {
        if (!w->have_prev || memcmp(w->flat_cur + b * BLOCK, w->flat_prev + b * BLOCK, BLOCK)) {
            log_put(w, &b, 4);
            log_put(w, NULL, 4);
            log_put(w, w->flat_cur + b * BLOCK, BLOCK);
        }
    }
    uint8_t *t = w->flat_prev;
    w->flat_prev = w->flat_cur;
    w->flat_cur = t;
    w->have_prev = true;
}

/* Applies a logged delta at *p to flat (advances *p); rebuilds the state
 * with the native run's handles. */
static const uint8_t *apply_state_delta(const uint8_t *p, uint8_t *flat, void *const *handles,
                                        uint32_t nhandles, vgt_backend_draw_state *out)
{
    uint32_t n;
    memcpy(&n, p, 4);
    p += 8;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t b;
        memcpy(&b, p, 4);
        memcpy(flat + (size_t)b * BLOCK, p + 8, BLOCK);
        p += 8 + BLOCK;
    }
    const vgt_backend_draw_state *s = (const vgt_backend_draw_state *)(const void *)(flat);
    *out = *s;
#define FROM_ID(field)                                                                             \
    do {                                                                                           \
        uintptr_t id_ = (uintptr_t)s->field;                                                       \
        out->field = id_ < nhandles ? (void *)handles[id_] : NULL;                                 \
    } while (0)
    DRAW_STATE_HANDLES(FROM_ID);
#undef FROM_ID
#define ARR(field, off, n) out->field = s->field ? (void *)(flat + (off)) : NULL
    DRAW_STATE_ARRAYS(ARR);
#undef ARR
    return p;
}

/* ---- the wrapped ops ---------------------------------------------------------------- */

/* Times one op.  On an asynchronous backend (one with finish) the op's
 * work is waited for inside the timed region, as an_wrap_native_run does:
 * otherwise a later synchronizing op (a PRESENT readback) pays for it, or
 * nobody does when the GPU catches up during untimed gaps. */
#define TIMED(w, call)                                                                             \
    do {                                                                                           \
        if ((w)->untimed) { /* a state-only frame's op: as without the wrapper */                  \
            call;                                                                                  \
            (w)->ops_untimed++;                                                                    \
            break;                                                                                 \
        }                                                                                          \
        uint64_t t0_ = vgt_now_ns();                                                               \
        call;                                                                                      \
        if ((w)->sync) {                                                                           \
            (w)->inner.ops->finish((w)->inner.self);                                               \
            (w)->finishes++;                                                                       \
        }                                                                                          \
        (w)->be_ns += vgt_now_ns() - t0_;                                                          \
        (w)->be_ops++;                                                                             \
        (w)->ops_timed++;                                                                          \
        (w)->timed_under_gpu_timer += (w)->gpu_timer_on;                                           \
    } while (0)

static void w_destroy(void *self)
{
    an_wrap *w = self;
    vgt_backend_destroy(&w->inner); /* the wrapper itself belongs to the analyzer */
}

static void w_get_caps(void *self, vgt_backend_caps *caps)
{
    an_wrap *w = self;
    w->inner.ops->get_caps(w->inner.self, caps);
}

static vgt_status w_surface_define(void *self, const vgt_backend_surface_desc *desc,
                                   vgt_backend_surface **out, vgt_error *err)
{
    an_wrap *w = self;
    vgt_status st;
    TIMED(w, st = w->inner.ops->surface_define(w->inner.self, desc, out, err));
    if (st != VGT_OK || !w->recording) {
        return st;
    }
    uint32_t id = id_new(w, *out);
    if (id && grow_u32(&w->fmt_of_id, &w->fmt_of_cap, (size_t)id + 1)) {
        w->fmt_of_id[id] = desc->format;
    } else if (id) {
        w->failed = true; /* an upload's length unknown: the log stops here */
    }
    if (listing(w) && grow_u32(&w->surf_of_id, &w->surf_of_cap, (size_t)id + 1)) {
        if (w->nsurf == w->surf_cap) {
            size_t cap = w->surf_cap ? w->surf_cap * 2 : 64;
            an_surface_info *p = realloc(w->surf, cap * sizeof(*p));
            if (p) {
                w->surf = p;
                w->surf_cap = cap;
            }
        }
        if (w->nsurf < w->surf_cap) {
            w->surf[w->nsurf] = (an_surface_info){.sid = desc->sid,
                                                  .format = desc->format,
                                                  .flags = desc->flags,
                                                  .faces = desc->faces,
                                                  .mips = desc->mip_levels,
                                                  .size = desc->size,
                                                  .bytes = desc->total_bytes,
                                                  .defined_cmd = w->in_cmd ? w->cmd : NO_CMD,
                                                  .destroyed_cmd = NO_CMD,
                                                  .snapshot = !w->in_cmd};
            w->surf_of_id[id] = (uint32_t)++w->nsurf;
        }
    }
    if (logging(w)) {
        uint64_t nimg = (uint64_t)desc->faces * desc->mip_levels;
        size_t at = log_begin(w, OP_SURF_DEFINE);
        op_surf_define o = {.id = id, .nimages = (uint32_t)nimg, .desc = *desc};
        o.desc.images = NULL;
        log_put(w, &o, sizeof(o));
        if (desc->images && nimg <= UINT32_MAX) {
            log_put(w, desc->images, (size_t)nimg * sizeof(vgt_surface_image));
        }
        log_end(w, at);
    }
    return st;
}

static void w_surface_destroy(void *self, vgt_backend_surface *s)
{
    an_wrap *w = self;
    TIMED(w, w->inner.ops->surface_destroy(w->inner.self, s));
    if (!w->recording) {
        return;
    }
    uint32_t id = id_of(w, s);
    if (w->in_cmd && id < w->surf_of_cap && w->surf_of_id[id]) {
        w->surf[w->surf_of_id[id] - 1].destroyed_cmd = w->cmd;
    }
    if (logging(w)) {
        size_t at = log_begin(w, OP_SURF_DESTROY);
        op_id2 o = {.id = id};
        log_put(w, &o, sizeof(o));
        log_end(w, at);
    }
    hmap_del(&w->ids, s);
}

static void log_transfer(an_wrap *w, uint32_t op, vgt_backend_surface *s, uint32_t face,
                         uint32_t mip, const vgt_svga3d_box *box, const uint8_t *src,
                         uint32_t row_pitch, uint64_t slice_pitch, uint32_t flags)
{
    uint32_t id = id_of(w, s);
    uint64_t len = transfer_span(surface_format_of(w, id), box, row_pitch, slice_pitch);
    if (w->in_cmd && id < w->surf_of_cap && w->surf_of_id[id]) {
        an_surface_info *si = &w->surf[w->surf_of_id[id] - 1];
        if (op == OP_UPLOAD) {
            si->uploads++;
            si->upload_bytes += len;
        } else {
            si->downloads++;
            si->download_bytes += len;
        }
    }
    if (!logging(w)) {
        return;
    }
    op_transfer o = {.id = id,
                     .face = face,
                     .mip = mip,
                     .flags = flags,
                     .box = *box,
                     .row_pitch = row_pitch,
                     .slice_pitch = slice_pitch,
                     .len = len,
                     .blob = op == OP_UPLOAD && src ? blob_keep(w, src, len) : UINT64_MAX};
    size_t at = log_begin(w, op);
    log_put(w, &o, sizeof(o));
    log_end(w, at);
}

static vgt_status w_surface_upload(void *self, vgt_backend_surface *s, uint32_t face, uint32_t mip,
                                   const vgt_svga3d_box *box, const uint8_t *src,
                                   uint32_t row_pitch, uint64_t slice_pitch, uint32_t dma_flags,
                                   vgt_error *err)
{
    an_wrap *w = self;
    vgt_status st;
    TIMED(w, st = w->inner.ops->surface_upload(w->inner.self, s, face, mip, box, src, row_pitch,
                                               slice_pitch, dma_flags, err));
    if (st == VGT_OK && w->recording) {
        log_transfer(w, OP_UPLOAD, s, face, mip, box, src, row_pitch, slice_pitch, dma_flags);
    }
    return st;
}

static vgt_status w_surface_download(void *self, vgt_backend_surface *s, uint32_t face,
                                     uint32_t mip, const vgt_svga3d_box *box, uint8_t *dst,
                                     uint32_t row_pitch, uint64_t slice_pitch, vgt_error *err)
{
    an_wrap *w = self;
    vgt_status st;
    TIMED(w, st = w->inner.ops->surface_download(w->inner.self, s, face, mip, box, dst, row_pitch,
                                                 slice_pitch, err));
    if (st == VGT_OK && w->recording) {
        log_transfer(w, OP_DOWNLOAD, s, face, mip, box, NULL, row_pitch, slice_pitch, 0);
    }
    return st;
}

static vgt_status w_surface_copy(void *self, const vgt_backend_view *dst,
                                 const vgt_backend_view *src, const vgt_svga3d_copy_box *boxes,
                                 uint32_t count, vgt_error *err)
{
    an_wrap *w = self;
    vgt_status st;
    TIMED(w, st = w->inner.ops->surface_copy(w->inner.self, dst, src, boxes, count, err));
    if (st == VGT_OK && logging(w)) {
        op_copy o = {.dst = view_rec(w, dst), .src = view_rec(w, src), .count = count};
        size_t at = log_begin(w, OP_COPY);
        log_put(w, &o, sizeof(o));
        log_put(w, boxes, (size_t)count * sizeof(*boxes));
        log_end(w, at);
    }
    return st;
}

static vgt_status w_surface_stretch(void *self, const vgt_backend_view *dst,
                                    const vgt_svga3d_box *dst_box, const vgt_backend_view *src,
                                    const vgt_svga3d_box *src_box, uint32_t mode, vgt_error *err)
{
    an_wrap *w = self;
    vgt_status st;
    TIMED(w,
          st = w->inner.ops->surface_stretch(w->inner.self, dst, dst_box, src, src_box, mode, err));
    if (st == VGT_OK && logging(w)) {
        op_stretch o = {.dst = view_rec(w, dst),
                        .src = view_rec(w, src),
                        .dst_box = *dst_box,
                        .src_box = *src_box,
                        .mode = mode};
        size_t at = log_begin(w, OP_STRETCH);
        log_put(w, &o, sizeof(o));
        log_end(w, at);
    }
    return st;
}

static vgt_status w_generate_mipmaps(void *self, vgt_backend_surface *s, uint32_t filter,
                                     vgt_error *err)
{
    an_wrap *w = self;
    vgt_status st;
    TIMED(w, st = w->inner.ops->generate_mipmaps(w->inner.self, s, filter, err));
    if (st == VGT_OK && logging(w)) {
        op_id2 o = {.id = id_of(w, s), .arg = filter};
        size_t at = log_begin(w, OP_MIPMAPS);
        log_put(w, &o, sizeof(o));
        log_end(w, at);
    }
    return st;
}

static vgt_status w_clear(void *self, const vgt_backend_draw_state *targets, uint32_t flags,
                          uint32_t color, float depth, uint32_t stencil,
                          const vgt_svga3d_rect *rects, uint32_t count, vgt_error *err)
{
    an_wrap *w = self;
    vgt_status st;
    TIMED(w, st = w->inner.ops->clear(w->inner.self, targets, flags, color, depth, stencil, rects,
                                      count, err));
    if (st == VGT_OK && logging(w)) {
        op_clear o = {
            .flags = flags, .color = color, .depth = depth, .stencil = stencil, .count = count};
        size_t at = log_begin(w, OP_CLEAR);
        log_put(w, &o, sizeof(o));
        log_put(w, rects, (size_t)count * sizeof(*rects));
        log_put(w, NULL, (8u - ((sizeof(o) + (size_t)count * sizeof(*rects)) & 7u)) & 7u);
        log_state_delta(w, targets);
        log_end(w, at);
    }
    return st;
}

static vgt_status w_draw(void *self, const vgt_backend_draw_state *state,
                         const vgt_backend_draw_range *ranges, uint32_t count,
                         vgt_backend_draw_stats *stats, vgt_error *err)
{
    an_wrap *w = self;
    vgt_status st;
    TIMED(w, st = w->inner.ops->draw(w->inner.self, state, ranges, count, stats, err));
    for (uint32_t i = 0; i < count; i++) {
        w->prims += ranges[i].primitive_count;
    }
    if (st == VGT_OK && logging(w)) {
        op_draw o = {.count = count};
        size_t at = log_begin(w, OP_DRAW);
        log_put(w, &o, sizeof(o));
        log_put(w, NULL, 4);
        for (uint32_t i = 0; i < count; i++) {
            vgt_backend_draw_range r = ranges[i];
            r.index_buffer = (void *)(uintptr_t)id_logged(w, ranges[i].index_buffer);
            log_put(w, &r, sizeof(r));
        }
        log_state_delta(w, state);
        log_end(w, at);
    }
    return st;
}

static vgt_status w_read_pixels(void *self, const vgt_backend_view *src,
                                const vgt_svga3d_rect *rect, uint8_t *dst, uint32_t dst_pitch,
                                vgt_error *err)
{
    an_wrap *w = self;
    vgt_status st;
    TIMED(w, st = w->inner.ops->read_pixels(w->inner.self, src, rect, dst, dst_pitch, err));
    if (st == VGT_OK && logging(w)) {
        op_read o = {.src = view_rec(w, src), .rect = *rect, .dst_pitch = dst_pitch};
        size_t at = log_begin(w, OP_READ_PIXELS);
        log_put(w, &o, sizeof(o));
        log_end(w, at);
    }
    return st;
}

static vgt_status w_shader_define(void *self, uint32_t type, const uint32_t *bytecode,
                                  uint32_t words, vgt_backend_shader **out, vgt_error *err)
{
    an_wrap *w = self;
    vgt_status st;
    TIMED(w, st = w->inner.ops->shader_define(w->inner.self, type, bytecode, words, out, err));
    if (st != VGT_OK || !w->recording) {
        return st;
    }
    uint32_t id = id_new(w, *out);
    if (listing(w)) {
        if (w->nsh == w->sh_cap) {
            size_t cap = w->sh_cap ? w->sh_cap * 2 : 64;
            an_shader_info *p = realloc(w->sh, cap * sizeof(*p));
            if (p) {
                w->sh = p;
                w->sh_cap = cap;
            }
        }
        if (w->nsh < w->sh_cap) {
            w->sh[w->nsh] = (an_shader_info){.type = type,
                                             .words = words,
                                             .hash = XXH3_64bits(bytecode, (size_t)words * 4u),
                                             .defined_cmd = w->in_cmd ? w->cmd : NO_CMD,
                                             .destroyed_cmd = NO_CMD,
                                             .snapshot = !w->in_cmd,
                                             /* none outside a command */
                                             .cid = w->pending_cid,
                                             .shid = w->pending_shid};
            w->nsh++;
            if (id && grow_u32(&w->sh_of_id, &w->sh_of_cap, (size_t)id + 1)) {
                w->sh_of_id[id] = (uint32_t)w->nsh;
            }
        }
    }
    if (logging(w)) {
        op_shader o = {.id = id, .type = type, .words = words};
        size_t at = log_begin(w, OP_SHADER_DEFINE);
        log_put(w, &o, sizeof(o));
        log_put(w, bytecode, (size_t)words * 4u);
        log_end(w, at);
    }
    return st;
}

static void w_shader_destroy(void *self, vgt_backend_shader *sh)
{
    an_wrap *w = self;
    TIMED(w, w->inner.ops->shader_destroy(w->inner.self, sh));
    if (!w->recording) {
        return;
    }
    uint32_t id = id_of(w, sh);
    if (w->in_cmd && id && id < w->sh_of_cap && w->sh_of_id[id]) {
        w->sh[w->sh_of_id[id] - 1].destroyed_cmd = w->cmd;
    }
    if (logging(w)) {
        op_id2 o = {.id = id};
        size_t at = log_begin(w, OP_SHADER_DESTROY);
        log_put(w, &o, sizeof(o));
        log_end(w, at);
    }
    hmap_del(&w->ids, sh);
}

static vgt_status w_query_create(void *self, uint32_t type, vgt_backend_query **out, vgt_error *err)
{
    an_wrap *w = self;
    vgt_status st;
    TIMED(w, st = w->inner.ops->query_create(w->inner.self, type, out, err));
    if (st == VGT_OK && w->recording) {
        uint32_t id = id_new(w, *out);
        if (logging(w)) {
            op_id2 o = {.id = id, .arg = type};
            size_t at = log_begin(w, OP_QUERY_CREATE);
            log_put(w, &o, sizeof(o));
            log_end(w, at);
        }
    }
    return st;
}

static void w_query_destroy(void *self, vgt_backend_query *q)
{
    an_wrap *w = self;
    TIMED(w, w->inner.ops->query_destroy(w->inner.self, q));
    if (w->recording) {
        if (logging(w)) {
            op_id2 o = {.id = id_of(w, q)};
            size_t at = log_begin(w, OP_QUERY_DESTROY);
            log_put(w, &o, sizeof(o));
            log_end(w, at);
        }
        hmap_del(&w->ids, q);
    }
}

static vgt_status w_query_begin(void *self, vgt_backend_query *q, vgt_error *err)
{
    an_wrap *w = self;
    vgt_status st;
    TIMED(w, st = w->inner.ops->query_begin(w->inner.self, q, err));
    if (st == VGT_OK && logging(w)) {
        op_id2 o = {.id = id_of(w, q)};
        size_t at = log_begin(w, OP_QUERY_BEGIN);
        log_put(w, &o, sizeof(o));
        log_end(w, at);
    }
    return st;
}

static vgt_status w_query_end(void *self, vgt_backend_query *q, uint64_t *result, vgt_error *err)
{
    an_wrap *w = self;
    vgt_status st;
    TIMED(w, st = w->inner.ops->query_end(w->inner.self, q, result, err));
    if (st == VGT_OK && logging(w)) {
        op_id2 o = {.id = id_of(w, q)};
        size_t at = log_begin(w, OP_QUERY_END);
        log_put(w, &o, sizeof(o));
        log_end(w, at);
    }
    return st;
}

static bool w_gpu_time(void *self, uint64_t *ns)
{
    return an_wrap_gpu_time(self, ns);
}

vgt_status an_wrap_install(an_wrap *w, vgt_backend *be, vgt_error *err)
{
    if (!be || !be->ops) {
        return vgt_error_set(err, VGT_E_INVALID, "analyze: no backend to wrap");
    }
    if (w->inner.ops) {
        return vgt_error_set(err, VGT_E_STATE, "analyze: the recording backend wraps one backend");
    }
    w->inner = *be;
    const vgt_backend_ops *in = be->ops;
    vgt_backend_ops o = {
        .name = in->name,
        .destroy = w_destroy,
        .get_caps = w_get_caps,
        .surface_define = w_surface_define,
        .surface_destroy = w_surface_destroy,
        .surface_upload = w_surface_upload,
        .surface_download = w_surface_download,
        .surface_copy = w_surface_copy,
        .surface_stretch = w_surface_stretch,
        .generate_mipmaps = w_generate_mipmaps,
        .clear = w_clear,
        .draw = w_draw,
        .read_pixels = w_read_pixels,
        .shader_define = w_shader_define,
        .shader_destroy = w_shader_destroy,
        .query_create = in->query_create ? w_query_create : NULL,
        .query_destroy = in->query_destroy ? w_query_destroy : NULL,
        .query_begin = in->query_begin ? w_query_begin : NULL,
        .query_end = in->query_end ? w_query_end : NULL,
        .gpu_time = in->gpu_time ? w_gpu_time : NULL,
        .finish = NULL, /* called by TIMED after every op, not by the executor */
    };
    w->ops = o;
    w->has_finish = in->finish != NULL;
    w->sync = w->has_finish && !w->frame_sync;
    be->ops = &w->ops;
    be->self = w;
    return VGT_OK;
}

/* ---- native re-issue ------------------------------------------------------------------ */

static bool scratch(uint8_t **p, size_t *cap, uint64_t need)
{
    if (need > SIZE_MAX / 2) {
        return false;
    }
    if (need <= *cap) {
        return true;
    }
    uint8_t *q = realloc(*p, (size_t)need);
    if (!q) {
        return false;
    }
    memset(q + *cap, 0, (size_t)need - *cap);
    *p = q;
    *cap = (size_t)need;
    return true;
}

/* Ends the frame span of fc->frame (if one is open) with one finish, as the
 * timed replays do at a frame's end; returns the time it ended (or now: the
 * start of the first frame is its first op). */
static uint64_t frame_close(an_frame_clock *fc, const vgt_backend *be, uint64_t start,
                            uint64_t timer_ns)
{
    if (fc->frame == UINT32_MAX) {
        return vgt_now_ns();
    }
    if (be->ops->finish) {
        be->ops->finish(be->self);
        fc->finishes++;
    }
    uint64_t now = vgt_now_ns();
    uint64_t ns = now - start;
    fc->frame_ns[fc->frame] += ns > timer_ns ? ns - timer_ns : 0;
    fc->spans++;
    fc->frame = UINT32_MAX;
    return now;
}

/* The kind of a native run's handle (kinds[id]). */
enum { KIND_NONE, KIND_SURFACE, KIND_SHADER, KIND_QUERY };

vgt_status an_wrap_native_run(an_wrap *w, vgt_backend *bep, uint64_t timer_ns, uint64_t *native_ns,
                              uint64_t ncmds, an_frame_clock *fc, uint64_t *failed, vgt_error *err)
{
    *failed = 0;
    vgt_backend be = *bep;
    vgt_status st;
    void **handles = calloc((size_t)w->next_id + 1, sizeof(*handles));
    /* what each live handle is, to destroy at the end what no op destroyed */
    uint8_t *kinds = calloc((size_t)w->next_id + 1, 1);
    uint8_t *flat = calloc(1, FLAT_SIZE);
    uint8_t *buf = NULL;
    size_t buf_cap = 0;
    if (!handles || !kinds || !flat) {
        st = vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory for the native run");
        goto out;
    }
    uint32_t nh = w->next_id + 1;
    const vgt_backend_ops *o = be.ops;
    void *self = be.self;
    /* per op: finish inside its timed region (gl), unless the frames are timed */
    bool op_finish = o->finish && !fc;
    uint64_t nfinish = 0; /* per op */
    uint64_t frame_start = 0;
    bool settle = false; /* untimed ops ran since the last timed one */
    w->native_untimed = 0;
    if (fc) {
        fc->frame = UINT32_MAX;
    }
    size_t pos = 0;
    while (pos + sizeof(op_hdr) <= w->log.len) {
        const op_hdr *h = (const op_hdr *)(const void *)(w->log.p + pos);
        const uint8_t *p = w->log.p + pos + sizeof(op_hdr);
        pos += h->size;
        if (h->size < sizeof(op_hdr)) {
            break;
        }
        /* the ops of no command (the state-only frames before a --frames
         * range, a snapshot's restore) build the state and are not timed;
         * their work is waited for before the first timed op, which must
         * not pay for it */
        bool timed = h->cmd < ncmds;
        if (!timed) {
            w->native_untimed++;
            settle = true;
        } else if (settle) {
            if (o->finish) {
                o->finish(self);
            }
            settle = false;
        }
        if (fc) { /* a frame's span: from the previous frame's end to its last op's finish */
            uint32_t f = h->cmd < ncmds ? fc->frame_of[h->cmd] : UINT32_MAX;
            if (f != fc->frame) {
                frame_start = frame_close(fc, &be, frame_start, timer_ns);
                fc->frame = f;
            }
        }
        vgt_error e = {0};
        vgt_status s = VGT_OK;
        uint64_t t0 = 0, t1 = 0;
#define RUN(call)                                                                                  \
    do {                                                                                           \
        if (!timed) { /* a state-only frame's, or a snapshot's: untimed */                         \
            call;                                                                                  \
            break;                                                                                 \
        }                                                                                          \
        t0 = vgt_now_ns();                                                                         \
        call;                                                                                      \
        if (op_finish) { /* as TIMED in the replay: the op's GPU work included */                  \
            o->finish(self);                                                                       \
            nfinish++;                                                                             \
        }                                                                                          \
        t1 = vgt_now_ns();                                                                         \
    } while (0)
        switch (h->op) {
        case OP_SURF_DEFINE: {
            const op_surf_define *d = (const void *)p;
            vgt_backend_surface_desc desc = d->desc;
            desc.images = d->nimages ? (const vgt_surface_image *)(const void *)(d + 1) : NULL;
            vgt_backend_surface *out = NULL;
            RUN(s = o->surface_define(self, &desc, &out, &e));
            if (s == VGT_OK && d->id < nh) {
                handles[d->id] = out;
                kinds[d->id] = KIND_SURFACE;
            }
            break;
        }
        case OP_SURF_DESTROY: {
            const op_id2 *d = (const void *)p;
            if (d->id < nh && handles[d->id]) {
                RUN(o->surface_destroy(self, handles[d->id]));
                handles[d->id] = NULL;
            }
            break;
        }
        case OP_UPLOAD:
        case OP_DOWNLOAD: {
            const op_transfer *d = (const void *)p;
            vgt_backend_surface *sf = d->id < nh ? handles[d->id] : NULL;
            if (!sf || !scratch(&buf, &buf_cap, d->len ? d->len : 1)) {
                s = VGT_E_NOMEM;
                break;
            }
            if (h->op == OP_UPLOAD) {
                const uint8_t *src = d->blob != UINT64_MAX ? w->blobs.p + d->blob : buf;
                if (d->blob == UINT64_MAX) {
                    memset(buf, 0, (size_t)d->len);
                }
                RUN(s = o->surface_upload(self, sf, d->face, d->mip, &d->box, src, d->row_pitch,
                                          d->slice_pitch, d->flags, &e));
            } else {
                RUN(s = o->surface_download(self, sf, d->face, d->mip, &d->box, buf, d->row_pitch,
                                            d->slice_pitch, &e));
            }
            break;
        }
        case OP_COPY: {
            const op_copy *d = (const void *)p;
            vgt_backend_view dv = view_of(&d->dst, handles), sv = view_of(&d->src, handles);
            RUN(s = o->surface_copy(self, &dv, &sv, (const vgt_svga3d_copy_box *)(d + 1), d->count,
                                    &e));
            break;
        }
        case OP_STRETCH: {
            const op_stretch *d = (const void *)p;
            vgt_backend_view dv = view_of(&d->dst, handles), sv = view_of(&d->src, handles);
            RUN(s = o->surface_stretch(self, &dv, &d->dst_box, &sv, &d->src_box, d->mode, &e));
            break;
        }
        case OP_MIPMAPS: {
            const op_id2 *d = (const void *)p;
            RUN(s = o->generate_mipmaps(self, d->id < nh ? handles[d->id] : NULL, d->arg, &e));
            break;
        }
        case OP_CLEAR: {
            const op_clear *d = (const void *)p;
            const vgt_svga3d_rect *rects = (const void *)(d + 1);
            size_t n = sizeof(*d) + (size_t)d->count * sizeof(*rects);
            n += (8u - (n & 7u)) & 7u;
            vgt_backend_draw_state ds;
            apply_state_delta(p + n, flat, handles, nh, &ds);
            RUN(s = o->clear(self, &ds, d->flags, d->color, d->depth, d->stencil, rects, d->count,
                             &e));
            break;
        }
        case OP_DRAW: {
            const op_draw *d = (const void *)p;
            const uint8_t *q = p + 8;
            vgt_backend_draw_range ranges[VGT_SVGA3D_MAX_DRAW_PRIMITIVE_RANGES];
            uint32_t count = d->count;
            for (uint32_t i = 0; i < count; i++, q += sizeof(ranges[0])) {
                if (i < VGT_SVGA3D_MAX_DRAW_PRIMITIVE_RANGES) {
                    memcpy(&ranges[i], q, sizeof(ranges[0]));
                    uintptr_t id = (uintptr_t)ranges[i].index_buffer;
                    ranges[i].index_buffer = id < nh ? handles[id] : NULL;
                }
            }
            if (count > VGT_SVGA3D_MAX_DRAW_PRIMITIVE_RANGES) {
                count = VGT_SVGA3D_MAX_DRAW_PRIMITIVE_RANGES;
            }
            vgt_backend_draw_state ds;
            apply_state_delta(q, flat, handles, nh, &ds);
            vgt_backend_draw_stats stats = {0};
            RUN(s = o->draw(self, &ds, ranges, count, &stats, &e));
            break;
        }
        case OP_READ_PIXELS: {
            const op_read *d = (const void *)p;
            vgt_backend_view sv = view_of(&d->src, handles);
            if (!scratch(&buf, &buf_cap, (uint64_t)d->rect.h * d->dst_pitch + 1)) {
                s = VGT_E_NOMEM;
                break;
            }
            RUN(s = o->read_pixels(self, &sv, &d->rect, buf, d->dst_pitch, &e));
            break;
        }
        case OP_SHADER_DEFINE: {
            const op_shader *d = (const void *)p;
            vgt_backend_shader *out = NULL;
            RUN(s = o->shader_define(self, d->type, (const uint32_t *)(const void *)(d + 1),
                                     d->words, &out, &e));
            if (s == VGT_OK && d->id < nh) {
                handles[d->id] = out;
                kinds[d->id] = KIND_SHADER;
            }
            break;
        }
        case OP_SHADER_DESTROY: {
            const op_id2 *d = (const void *)p;
            if (d->id < nh && handles[d->id]) {
                RUN(o->shader_destroy(self, handles[d->id]));
                handles[d->id] = NULL;
            }
            break;
        }
        case OP_QUERY_CREATE: {
            const op_id2 *d = (const void *)p;
            vgt_backend_query *out = NULL;
            if (o->query_create) {
                RUN(s = o->query_create(self, d->arg, &out, &e));
                if (s == VGT_OK && d->id < nh) {
                    handles[d->id] = out;
                    kinds[d->id] = KIND_QUERY;
                }
            }
            break;
        }
        case OP_QUERY_DESTROY:
        case OP_QUERY_BEGIN:
        case OP_QUERY_END: {
            const op_id2 *d = (const void *)p;
            vgt_backend_query *q = d->id < nh ? handles[d->id] : NULL;
            if (!q || !o->query_destroy) {
                break;
            }
            uint64_t result = 0;
            if (h->op == OP_QUERY_DESTROY) {
                RUN(o->query_destroy(self, q));
                handles[d->id] = NULL;
            } else if (h->op == OP_QUERY_BEGIN) {
                RUN(s = o->query_begin(self, q, &e));
            } else {
                RUN(s = o->query_end(self, q, &result, &e));
            }
            break;
        }
        default:
            break;
        }
#undef RUN
        if (s != VGT_OK) {
            (*failed)++;
        }
        if (h->cmd < ncmds && t1 > t0) {
            uint64_t ns = t1 - t0;
            native_ns[h->cmd] += ns > timer_ns ? ns - timer_ns : 0;
        }
    }
    if (fc) {
        frame_close(fc, &be, frame_start, timer_ns);
        fc->finishes += nfinish; /* none, unless a finish per op crept in */
    }
    /* what no logged op destroyed (a snapshot's objects, which the replay's
     * teardown destroys outside any command; a trace cut before its own
     * teardown): destroyed here, untimed, so that re-issues do not pile up
     * and the backend is left as it was */
    for (uint32_t id = 1; id < nh; id++) {
        if (!handles[id]) {
            continue;
        }
        if (kinds[id] == KIND_SURFACE) {
            o->surface_destroy(self, handles[id]);
        } else if (kinds[id] == KIND_SHADER) {
            o->shader_destroy(self, handles[id]);
        } else if (kinds[id] == KIND_QUERY && o->query_destroy) {
            o->query_destroy(self, handles[id]);
        }
        handles[id] = NULL;
    }
    st = VGT_OK;
out:
    free(kinds);
    free(handles);
    free(flat);
    free(buf);
    return st;
}
