/* exec3d.c - the SVGA3D state tracker's entry points: lifetime, the 3D
 * command dispatch, CLEAR, DRAW_PRIMITIVES (validated and resolved for the
 * backend), PRESENT, PRESENT_READBACK and BLIT_SURFACE_TO_SCREEN into the
 * display model, occlusion queries, and the caps block the device shows. */
#include "exec3d.h"

#include <stdlib.h>
#include <string.h>

/* ---- guest memory and staging -------------------------------------------- */

vgt_status e3d_mem_read(vgt_exec3d *e, uint32_t gmr, uint64_t offset, void *dst, uint64_t len,
                        vgt_error *err)
{
    if (offset > UINT32_MAX || len > UINT32_MAX) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "read of %llu bytes at GMR 0x%x offset %llu: beyond 4 GiB",
                             (unsigned long long)len, gmr, (unsigned long long)offset);
    }
    vgt_status st = e->mem.read(e->mem.ctx, gmr, (uint32_t)offset, dst, (uint32_t)len, err);
    if (st == VGT_OK && e->res) {
        e->res->bytes_read += len;
    }
    return st;
}

vgt_status e3d_mem_write(vgt_exec3d *e, uint32_t gmr, uint64_t offset, const void *src,
                         uint64_t len, vgt_error *err)
{
    if (offset > UINT32_MAX || len > UINT32_MAX) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "write of %llu bytes at GMR 0x%x offset %llu: beyond 4 GiB",
                             (unsigned long long)len, gmr, (unsigned long long)offset);
    }
    vgt_status st = e->mem.write(e->mem.ctx, gmr, (uint32_t)offset, src, (uint32_t)len, err);
    if (st == VGT_OK && e->res) {
        e->res->bytes_written += len;
    }
    return st;
}

vgt_status e3d_staging(vgt_exec3d *e, uint64_t bytes, uint8_t **out, vgt_error *err)
{
    if (bytes > e->staging_cap) {
        if (bytes > VGT_EXEC3D_MAX_DMA_BYTES) {
            return vgt_error_set(err, VGT_E_NOMEM, "%llu bytes of staging exceed the %u limit",
                                 (unsigned long long)bytes, VGT_EXEC3D_MAX_DMA_BYTES);
        }
        uint8_t *p = realloc(e->staging, (size_t)bytes);
        if (!p) {
            return vgt_error_set(err, VGT_E_NOMEM, "out of memory for %llu bytes of staging",
                                 (unsigned long long)bytes);
        }
        e->staging = p;
        e->staging_cap = (size_t)bytes;
    }
    *out = e->staging;
    return VGT_OK;
}

/* ---- lifetime ------------------------------------------------------------ */

vgt_status vgt_exec3d_create(vgt_executor *ex, const vgt_guest_memory *mem, vgt_backend *be,
                             vgt_exec3d **out, vgt_error *err)
{
    *out = NULL;
    if (!be || !be->ops) {
        return vgt_error_set(err, VGT_E_INVALID, "3D: no backend");
    }
    vgt_exec3d *e = calloc(1, sizeof(*e));
    if (!e) {
        return vgt_error_set(err, VGT_E_NOMEM, "3D: out of memory");
    }
    e->ex = ex;
    e->mem = *mem;
    e->be = *be;
    memset(be, 0, sizeof(*be));
    e->be.ops->get_caps(e->be.self, &e->caps);
    if (e->caps.max_color_targets == 0 ||
        e->caps.max_color_targets > VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS) {
        e->caps.max_color_targets = 1;
    }
    /* a backend without the cap filters isotropically */
    uint32_t aniso = VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY;
    e->max_anisotropy =
        e->caps.devcap_valid[aniso] && e->caps.devcap[aniso] > 1 ? e->caps.devcap[aniso] : 1;
    *out = e;
    return VGT_OK;
}

void vgt_exec3d_limit_anisotropy(vgt_exec3d *e, uint32_t n)
{
    if (n != 0 && n < e->max_anisotropy) {
        e->max_anisotropy = n;
    }
}

void vgt_exec3d_reset(vgt_exec3d *e)
{
    for (uint32_t i = 0; i < VGT_EXEC3D_MAX_CONTEXT_IDS; i++) {
        e3d_context_free(e, e->contexts[i]);
        e->contexts[i] = NULL;
    }
    for (uint32_t i = 0; i < e->surface_cap; i++) {
        e3d_surface_free(e, e->surfaces[i]);
        e->surfaces[i] = NULL;
    }
    e->surface_count = 0;
    e->surface_bytes = 0;
    e->objects_gen++;
}

void vgt_exec3d_destroy(vgt_exec3d *e)
{
    if (!e) {
        return;
    }
    vgt_exec3d_reset(e);
    free(e->surfaces);
    free(e->staging);
    vgt_backend_destroy(&e->be);
    free(e);
}

/* ---- caps ---------------------------------------------------------------- */

uint32_t vgt_exec3d_caps(const vgt_exec3d *e, uint32_t *hw_version, uint32_t *words, uint32_t max)
{
    if (hw_version) {
        *hw_version = e->caps.hw_version;
    }
    uint32_t pairs = 0;
    for (uint32_t i = 0; i < VGT_SVGA3D_DEVCAP_MAX; i++) {
        pairs += e->caps.devcap_valid[i];
    }
    uint32_t need = 2u + 2u * pairs + 1u; /* header, pairs, terminating zero length */
    if (!words || max < need) {
        return 0;
    }
    words[0] = 2u + 2u * pairs;
    words[1] = VGT_SVGA3D_CAPS_RECORD_DEVCAPS;
    uint32_t n = 2;
    for (uint32_t i = 0; i < VGT_SVGA3D_DEVCAP_MAX; i++) {
        if (e->caps.devcap_valid[i]) {
            words[n++] = i;
            words[n++] = e->caps.devcap[i];
        }
    }
    words[n++] = 0;
    return n;
}

/* Direct3D 9 renders to its color targets together, so every bound one
 * must have the size of the first (a gap, COLOR1 unbound beside COLOR2, is
 * allowed: that slot receives nothing), and a draw's depth target must
 * cover them.  Checked at the draw and the clear, not at SETRENDERTARGET:
 * a guest rebinds its targets one at a time. */
vgt_status e3d_check_target_sizes(const e3d_target_sizes *t, const char *what, bool depth,
                                  vgt_error *err)
{
    const e3d_target_size *f = NULL;
    uint32_t first = 0;
    uint32_t n = t->color_count < VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS
                     ? t->color_count
                     : VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS;
    for (uint32_t i = 0; i < n; i++) {
        const e3d_target_size *v = &t->color[i];
        if (!v->bound) {
            continue;
        }
        if (!f) {
            f = v;
            first = i;
            continue;
        }
        if (v->size.width != f->size.width || v->size.height != f->size.height) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "%s: context %u: color target %u (surface %u) is %ux%u but "
                                 "color target %u (surface %u) is %ux%u; Direct3D 9 needs every "
                                 "bound color target the same size",
                                 what, t->cid, i, v->sid, v->size.width, v->size.height, first,
                                 f->sid, f->size.width, f->size.height);
        }
    }
    const e3d_target_size *z = &t->depth;
    if (depth && f && z->bound &&
        (z->size.width < f->size.width || z->size.height < f->size.height)) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "%s: depth target %ux%u is smaller than color target %ux%u", what,
                             z->size.width, z->size.height, f->size.width, f->size.height);
    }
    return VGT_OK;
}

/* A resolved context's targets as e3d_check_target_sizes measures them
 * (the slots it has, not all eight: this runs for every draw). */
static void target_sizes(const e3d_context *ctx, e3d_target_sizes *t)
{
    const vgt_backend_draw_state *d = &ctx->resolved;
    t->cid = ctx->cid;
    t->color_count = d->color_target_count;
    for (uint32_t i = 0; i < d->color_target_count; i++) {
        const vgt_backend_view *v = &d->color_targets[i];
        t->color[i] =
            (e3d_target_size){v->surface != NULL, ctx->rt[VGT_SVGA3D_RT_COLOR0 + i].sid, v->size};
    }
    t->depth = (e3d_target_size){d->depth_target.surface != NULL, ctx->rt[VGT_SVGA3D_RT_DEPTH].sid,
                                 d->depth_target.size};
}

/* ---- CLEAR ---------------------------------------------------------------- */

static vgt_status exec_clear(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga3d_cmd_clear *c = &cmd->u.clear;
    e3d_context *ctx;
    vgt_status st = e3d_context_find(e, cmd, c->cid, &ctx, err);
    if (st == VGT_OK) {
        st = e3d_resolve(e, ctx, "CLEAR", err);
    }
    if (st != VGT_OK) {
        return st;
    }
    const vgt_backend_draw_state *d = &ctx->resolved;
    if (c->clear_flag & VGT_SVGA3D_CLEAR_COLOR) {
        e3d_target_sizes sizes;
        target_sizes(ctx, &sizes);
        if ((st = e3d_check_target_sizes(&sizes, "CLEAR", false, err)) != VGT_OK) {
            return st;
        }
    }
    if ((c->clear_flag & VGT_SVGA3D_CLEAR_COLOR) && d->color_target_count == 0) {
        return vgt_error_set(err, VGT_E_STATE, "CLEAR COLOR: context %u has no color target",
                             c->cid);
    }
    if ((c->clear_flag & VGT_SVGA3D_CLEAR_DEPTH) && !d->depth_target.surface) {
        return vgt_error_set(err, VGT_E_STATE, "CLEAR DEPTH: context %u has no depth target",
                             c->cid);
    }
    if ((c->clear_flag & VGT_SVGA3D_CLEAR_STENCIL) && !d->stencil_target.surface &&
        !(d->depth_target.surface && vgt_surface_format(d->depth_target.format)->stencil)) {
        return vgt_error_set(err, VGT_E_STATE,
                             "CLEAR STENCIL: context %u has no target with stencil bits", c->cid);
    }
    if ((c->clear_flag & VGT_SVGA3D_CLEAR_DEPTH) && (!(c->depth >= 0.0f) || !(c->depth <= 1.0f))) {
        return vgt_error_set(err, VGT_E_INVALID, "CLEAR: depth %g is not inside [0, 1]",
                             (double)c->depth);
    }
    uint32_t n = cmd->items.count;
    vgt_svga3d_rect *rects = NULL;
    if (n) {
        uint8_t *buf = NULL; /* set when VGT_OK (-O3 cannot see it) */
        if ((st = e3d_staging(e, (uint64_t)n * sizeof(*rects), &buf, err)) != VGT_OK) {
            return st;
        }
        rects = (vgt_svga3d_rect *)(void *)buf;
        for (uint32_t i = 0; i < n; i++) {
            vgt_cmd_array_get(&cmd->items, i, &rects[i]);
            if ((uint64_t)rects[i].x + rects[i].w > INT32_MAX ||
                (uint64_t)rects[i].y + rects[i].h > INT32_MAX) {
                return vgt_error_set(err, VGT_E_RANGE, "CLEAR rect %u (%u,%u) %ux%u overflows", i,
                                     rects[i].x, rects[i].y, rects[i].w, rects[i].h);
            }
        }
    }
    if (c->clear_flag == 0) {
        return VGT_OK;
    }
    st = e->be.ops->clear(e->be.self, d, c->clear_flag, c->color, c->depth, c->stencil, rects, n,
                          err);
    if (st == VGT_OK) {
        e->counters.clears++;
    }
    return st;
}

/* ---- DRAW_PRIMITIVES --------------------------------------------------------- */

static uint32_t decl_type_bytes(uint32_t type)
{
    static const uint8_t bytes[VGT_SVGA3D_DECLTYPE_MAX] = {
        [VGT_SVGA3D_DECLTYPE_FLOAT1] = 4,    [VGT_SVGA3D_DECLTYPE_FLOAT2] = 8,
        [VGT_SVGA3D_DECLTYPE_FLOAT3] = 12,   [VGT_SVGA3D_DECLTYPE_FLOAT4] = 16,
        [VGT_SVGA3D_DECLTYPE_D3DCOLOR] = 4,  [VGT_SVGA3D_DECLTYPE_UBYTE4] = 4,
        [VGT_SVGA3D_DECLTYPE_SHORT2] = 4,    [VGT_SVGA3D_DECLTYPE_SHORT4] = 8,
        [VGT_SVGA3D_DECLTYPE_UBYTE4N] = 4,   [VGT_SVGA3D_DECLTYPE_SHORT2N] = 4,
        [VGT_SVGA3D_DECLTYPE_SHORT4N] = 8,   [VGT_SVGA3D_DECLTYPE_USHORT2N] = 4,
        [VGT_SVGA3D_DECLTYPE_USHORT4N] = 8,  [VGT_SVGA3D_DECLTYPE_UDEC3] = 4,
        [VGT_SVGA3D_DECLTYPE_DEC3N] = 4,     [VGT_SVGA3D_DECLTYPE_FLOAT16_2] = 4,
        [VGT_SVGA3D_DECLTYPE_FLOAT16_4] = 8,
    };
    return type < VGT_SVGA3D_DECLTYPE_MAX ? bytes[type] : 0;
}

/* Vertices (or indices) `count` primitives of `type` consume; false on overflow. */
static bool prim_vertices(uint32_t type, uint32_t count, uint64_t *out)
{
    uint64_t n = count;
    switch (type) {
    case VGT_SVGA3D_PRIMITIVE_TRIANGLELIST:
        n = n * 3u;
        break;
    case VGT_SVGA3D_PRIMITIVE_POINTLIST:
        break;
    case VGT_SVGA3D_PRIMITIVE_LINELIST:
        n = n * 2u;
        break;
    case VGT_SVGA3D_PRIMITIVE_LINESTRIP:
        n = count ? n + 1u : 0;
        break;
    case VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP:
    case VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN:
        n = count ? n + 2u : 0;
        break;
    default:
        return false;
    }
    *out = n;
    return n <= UINT32_MAX;
}

static bool is_vertex_buffer(const e3d_draw_buffer *b)
{
    return b->fi->buffer || (b->flags & VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER);
}

static bool is_index_buffer(const e3d_draw_buffer *b)
{
    return b->fi->buffer || (b->flags & VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER);
}

/* Direct3D 9's vertex stream frequency for a non-indexed range drawn by
 * a vs_3_0 shader (docs/executor.md "Vertex stream frequency"): *out says
 * whether an element has a plain divisor count k > 1; a draw that also
 * instances (an INDEXED_DATA or INSTANCE_DATA word) is refused, since D3D9
 * instances only indexed draws and divides only non-indexed ones. */
static vgt_status stream_frequency(const vgt_backend_draw_state *d, uint32_t i, bool *out,
                                   vgt_error *err)
{
    uint32_t divided = UINT32_MAX, instancing = UINT32_MAX;
    for (uint32_t k = 0; k < d->element_count; k++) {
        uint32_t v = d->elements[k].divisor;
        if (v & (VGT_SVGA3D_DIVISOR_INDEXED_DATA | VGT_SVGA3D_DIVISOR_INSTANCE_DATA)) {
            instancing = instancing == UINT32_MAX ? k : instancing;
        } else if (VGT_SVGA3D_DIVISOR_COUNT(v) > 1 && divided == UINT32_MAX) {
            divided = k;
        }
    }
    *out = divided != UINT32_MAX;
    if (*out && instancing != UINT32_MAX) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "DRAW_PRIMITIVES range %u: decl %u divides its stream by %u (Direct3D "
                             "9's vertex stream frequency, applied to a non-indexed vs_3_0 draw) "
                             "while decl %u instances (divisor 0x%08x): Direct3D 9 instances only "
                             "indexed draws and divides only non-indexed ones",
                             i, divided, VGT_SVGA3D_DIVISOR_COUNT(d->elements[divided].divisor),
                             instancing, d->elements[instancing].divisor);
    }
    return VGT_OK;
}

static vgt_status check_range(const e3d_draw_lookup *lk, const vgt_backend_draw_state *d,
                              const vgt_svga3d_primitive_range *pr, uint32_t i, bool vs30,
                              vgt_backend_draw_range *out, vgt_error *err)
{
    uint64_t nv;
    if (!prim_vertices(pr->prim_type, pr->primitive_count, &nv)) {
        return vgt_error_set(err, VGT_E_RANGE, "DRAW_PRIMITIVES range %u: %u %s primitives", i,
                             pr->primitive_count, vgt_svga3d_primitive_type_name(pr->prim_type));
    }
    uint32_t max_prims = lk->max_primitives;
    if (pr->primitive_count > max_prims) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "DRAW_PRIMITIVES range %u: %u primitives (the backend allows %u)", i,
                             pr->primitive_count, max_prims);
    }
    /* The limit holds for the instances together, on every backend: a
     * guest's 2^30 instances of a range must not keep a renderer (the CPU
     * rasterizer, llvmpipe) busy for hours. */
    uint32_t instances = d->instance_count ? d->instance_count : 1;
    if ((uint64_t)instances * pr->primitive_count > max_prims) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "DRAW_PRIMITIVES range %u: %u instances of %u primitives exceed the "
                             "%u primitives the backend allows a draw",
                             i, instances, pr->primitive_count, max_prims);
    }
    memset(out, 0, sizeof(*out));
    out->primitive_type = pr->prim_type;
    out->primitive_count = pr->primitive_count;
    out->vertex_count = (uint32_t)nv;
    out->index_bias = pr->index_bias;
    if (pr->index_array.surface_id != VGT_SVGA3D_INVALID_ID) {
        e3d_draw_buffer ibuf,
            *ib = lk->find(lk->self, pr->index_array.surface_id, &ibuf) ? &ibuf : NULL;
        if (!ib) {
            return vgt_error_set(err, VGT_E_NOTFOUND,
                                 "DRAW_PRIMITIVES range %u: index buffer surface %u is not defined",
                                 i, pr->index_array.surface_id);
        }
        if (!is_index_buffer(ib)) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "DRAW_PRIMITIVES range %u: surface %u (%s, flags 0x%x) is not an "
                                 "index buffer (BUFFER format or HINT_INDEXBUFFER)",
                                 i, ib->sid, ib->fi->name, ib->flags);
        }
        if (pr->index_array.stride != 0 && pr->index_array.stride != pr->index_width) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "DRAW_PRIMITIVES range %u: index stride %u differs from the "
                                 "index width %u",
                                 i, pr->index_array.stride, pr->index_width);
        }
        uint64_t end = (uint64_t)pr->index_array.offset + nv * pr->index_width;
        if (end > ib->bytes) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "DRAW_PRIMITIVES range %u: %llu %u-byte indices at offset %u "
                                 "read past the %llu bytes of index buffer %u",
                                 i, (unsigned long long)nv, pr->index_width, pr->index_array.offset,
                                 (unsigned long long)ib->bytes, ib->sid);
        }
        out->index_buffer = ib->host;
        out->index_buffer_bytes = ib->bytes;
        out->index_offset = pr->index_array.offset;
        out->index_width = pr->index_width;
        return VGT_OK;
    }
    /* Non-indexed: vertices index_bias .. index_bias + nv - 1 of every
     * element (instance-data elements are fetched per instance:
     * resolve_instancing checked those; a divided element's last read is
     * element index_bias / k + (nv - 1) / k). */
    if (pr->index_bias < 0) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "DRAW_PRIMITIVES range %u: non-indexed with first vertex %d", i,
                             pr->index_bias);
    }
    vgt_status st;
    if (vs30 && (st = stream_frequency(d, i, &out->stream_frequency, err)) != VGT_OK) {
        return st;
    }
    if (nv == 0) {
        return VGT_OK;
    }
    uint64_t last = (uint64_t)pr->index_bias + nv - 1u;
    for (uint32_t k = 0; k < d->element_count; k++) {
        const vgt_backend_element *el = &d->elements[k];
        if (el->divisor & VGT_SVGA3D_DIVISOR_INSTANCE_DATA) {
            continue;
        }
        uint32_t step = vgt_backend_element_vertex_step(el, out);
        if (step) {
            /* < 2^32: the stride product below is checked as for the others */
            uint64_t elem = vgt_backend_divided_element(out, step, nv - 1u), off, end;
            if (vgt_mul_overflow_u64(elem, el->stride, &off) ||
                vgt_add_overflow_u64(off, el->offset, &off) ||
                vgt_add_overflow_u64(off, decl_type_bytes(el->type), &end) ||
                end > el->buffer_bytes) {
                return vgt_error_set(err, VGT_E_RANGE,
                                     "DRAW_PRIMITIVES range %u: decl %u (stream frequency %u) "
                                     "reads element %llu for vertex %llu (first vertex %d) at "
                                     "byte %llu (offset %u, stride %u), past the %llu-byte vertex "
                                     "buffer",
                                     i, k, step, (unsigned long long)elem, (unsigned long long)last,
                                     pr->index_bias, (unsigned long long)off, el->offset,
                                     el->stride, (unsigned long long)el->buffer_bytes);
            }
            continue;
        }
        /* last < 2^33, stride < 2^32: the product fits in 65 bits only in
         * theory; check it. */
        uint64_t off, end;
        if (vgt_mul_overflow_u64(last, el->stride, &off) ||
            vgt_add_overflow_u64(off, (uint64_t)el->offset + decl_type_bytes(el->type), &end) ||
            end > el->buffer_bytes) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "DRAW_PRIMITIVES range %u: vertex %llu of element %u (offset %u, "
                                 "stride %u) reads past the %llu-byte vertex buffer",
                                 i, (unsigned long long)last, k, el->offset, el->stride,
                                 (unsigned long long)el->buffer_bytes);
        }
    }
    return VGT_OK;
}

/* Instancing divisors (Direct3D 9's SetStreamSourceFreq, one word per
 * declaration; VirtualBox's hosts pass them to SetStreamSourceFreq or to
 * glVertexAttribDivisor + glDraw*Instanced).  Elements marked INDEXED_DATA | N
 * are the geometry, drawn N times (D3D9 takes N from stream 0; here every
 * INDEXED_DATA count must agree, where VirtualBox only asserts it); elements
 * marked INSTANCE_DATA | k advance once every k instances.  Indexed and
 * non-indexed ranges alike are instanced, as VirtualBox's GL host and Mesa's
 * svga driver do (the D3D9 runtime instances only indexed draws).  Defined
 * here, as the hosts do: INDEXED_DATA | 0 draws once (Wine: stream 0's
 * frequency 0 is 1 instance; VirtualBox's GL host: not instanced), and
 * INSTANCE_DATA | 0 advances every instance (VirtualBox's GL host sets
 * divisor 1 whatever the count); both bits at once is refused, as D3D9's
 * runtime (and Wine) refuse it; a count above 1 with neither bit is D3D9's
 * vertex stream frequency (check_range, stream_frequency).  Then every INSTANCE_DATA
 * element's read for the last instance must lie in its buffer: nothing
 * else can check it (no backend fetches instance data through indices). */
static vgt_status resolve_instancing(vgt_backend_draw_state *d, vgt_error *err)
{
    uint32_t n = 0, from = 0;
    for (uint32_t k = 0; k < d->element_count; k++) {
        uint32_t v = d->elements[k].divisor, count = VGT_SVGA3D_DIVISOR_COUNT(v);
        bool indexed = (v & VGT_SVGA3D_DIVISOR_INDEXED_DATA) != 0;
        bool instance = (v & VGT_SVGA3D_DIVISOR_INSTANCE_DATA) != 0;
        if (indexed && instance) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "DRAW_PRIMITIVES decl %u: divisor 0x%08x sets both INDEXED_DATA "
                                 "and INSTANCE_DATA (Direct3D 9 refuses it)",
                                 k, v);
        }
        if (indexed) {
            uint32_t c = count ? count : 1;
            if (n == 0) {
                n = c;
                from = k;
            } else if (c != n) {
                return vgt_error_set(err, VGT_E_INVALID,
                                     "DRAW_PRIMITIVES decl %u: divisor 0x%08x asks for %u "
                                     "instances, decl %u for %u: the INDEXED_DATA counts must "
                                     "agree",
                                     k, v, c, from, n);
            }
        }
        /* a count without either bit is the vertex stream frequency:
         * check_range decides per range whether it applies */
    }
    d->instance_count = n ? n : 1;
    for (uint32_t k = 0; k < d->element_count; k++) {
        const vgt_backend_element *el = &d->elements[k];
        uint32_t step = vgt_backend_element_instance_step(el);
        if (step == 0) {
            continue;
        }
        uint64_t last = (d->instance_count - 1u) / step, off, end;
        if (vgt_mul_overflow_u64(last, el->stride, &off) ||
            vgt_add_overflow_u64(off, el->offset, &off) ||
            vgt_add_overflow_u64(off, decl_type_bytes(el->type), &end) || end > el->buffer_bytes) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "DRAW_PRIMITIVES decl %u: instance %u reads its instance data "
                                 "(divisor 0x%08x: element %llu, offset %u, stride %u) at byte "
                                 "%llu, past the %llu-byte vertex buffer",
                                 k, d->instance_count - 1u, el->divisor, (unsigned long long)last,
                                 el->offset, el->stride, (unsigned long long)off,
                                 (unsigned long long)el->buffer_bytes);
        }
    }
    return VGT_OK;
}

/* The executor's surfaces as a draw's checks look them up. */
static bool executor_buffer(const void *self, uint32_t sid, e3d_draw_buffer *out)
{
    e3d_surface *s = e3d_surface_get(self, sid);
    if (!s) {
        return false;
    }
    *out = (e3d_draw_buffer){.sid = s->sid,
                             .flags = s->flags,
                             .fi = s->fi,
                             .bytes = s->images[0].bytes,
                             .host = s->host};
    return true;
}

vgt_status e3d_check_draw(const e3d_draw_lookup *lk, const vgt_cmd *cmd, bool same, bool vs30,
                          vgt_backend_draw_state *d, vgt_svga3d_vertex_decl *decls,
                          uint32_t *divisors, vgt_backend_draw_range *ranges, vgt_error *err)
{
    uint32_t ndecl = cmd->items.count, nrange = cmd->ranges.count;
    if (nrange && ndecl == 0) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "DRAW_PRIMITIVES: %u ranges but no vertex declaration", nrange);
    }
    bool has_divisors = cmd->divisors.count != 0;
    for (uint32_t k = 0; k < ndecl && !same; k++) {
        vgt_cmd_array_get(&cmd->items, k, &decls[k]);
        divisors[k] = 0;
        if (has_divisors) {
            vgt_cmd_array_get(&cmd->divisors, k, &divisors[k]);
        }
        const vgt_svga3d_vertex_decl *dc = &decls[k];
        e3d_draw_buffer vb;
        if (!lk->find(lk->self, dc->array.surface_id, &vb)) {
            return vgt_error_set(err, VGT_E_NOTFOUND,
                                 "DRAW_PRIMITIVES decl %u: vertex buffer surface %u is not defined",
                                 k, dc->array.surface_id);
        }
        if (!is_vertex_buffer(&vb)) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "DRAW_PRIMITIVES decl %u: surface %u (%s, flags 0x%x) is not a "
                                 "vertex buffer (BUFFER format or HINT_VERTEXBUFFER)",
                                 k, vb.sid, vb.fi->name, vb.flags);
        }
        vgt_backend_element *el = &d->elements[k];
        el->buffer = vb.host;
        el->buffer_bytes = vb.bytes;
        el->offset = dc->array.offset;
        el->stride = dc->array.stride;
        el->type = dc->type;
        el->method = dc->method;
        el->usage = dc->usage;
        el->usage_index = dc->usage_index;
        el->divisor = divisors[k];
    }
    d->element_count = ndecl;
    vgt_status st;
    if (!same && (st = resolve_instancing(d, err)) != VGT_OK) {
        return st;
    }
    for (uint32_t i = 0; i < nrange; i++) {
        vgt_svga3d_primitive_range pr;
        vgt_cmd_array_get(&cmd->ranges, i, &pr);
        if ((st = check_range(lk, d, &pr, i, vs30, &ranges[i], err)) != VGT_OK) {
            return st;
        }
    }
    return VGT_OK;
}

/* Whether the context's bound vertex shader is vs_3_0 (the stream
 * frequency's model: D3D9 calls fixed function and vs_1/vs_2 once per
 * vertex with every stream read per vertex). */
static bool vs_3_0_bound(const e3d_context *ctx)
{
    uint32_t id = ctx->resolved.vertex_shader_id;
    if (!ctx->resolved.vertex_shader || id >= ctx->shader_cap[E3D_VS]) {
        return false;
    }
    const e3d_shader *sh = ctx->shaders[E3D_VS][id];
    return sh && sh->words > 0 && (sh->bytecode[0] >> 16) == VGT_SHADER_VS &&
           (sh->bytecode[0] & 0xFFFFu) >= VGT_SHADER_V30;
}

static vgt_status exec_draw(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga3d_cmd_draw_primitives *c = &cmd->u.draw_primitives;
    e3d_context *ctx;
    vgt_status st = e3d_context_find(e, cmd, c->cid, &ctx, err);
    if (st == VGT_OK) {
        st = e3d_resolve(e, ctx, "DRAW_PRIMITIVES", err);
    }
    if (st != VGT_OK) {
        return st;
    }
    vgt_backend_draw_state *d = &ctx->resolved;
    if (d->color_target_count == 0 && !d->depth_target.surface) {
        return vgt_error_set(err, VGT_E_STATE,
                             "DRAW_PRIMITIVES: context %u has no render target bound", c->cid);
    }
    e3d_target_sizes sizes;
    target_sizes(ctx, &sizes);
    if ((st = e3d_check_target_sizes(&sizes, "DRAW_PRIMITIVES", true, err)) != VGT_OK) {
        return st;
    }
    uint32_t ndecl = cmd->items.count, nrange = cmd->ranges.count;
    /* Elements: into a local table first, so a rejected draw leaves the
     * context's "last declaration" as it was. */
    vgt_svga3d_vertex_decl decls[VGT_SVGA3D_MAX_VERTEX_ARRAYS];
    uint32_t divisors[VGT_SVGA3D_MAX_VERTEX_ARRAYS];
    bool has_divisors = cmd->divisors.count != 0;
    /* The declaration of the context's last draw again, over the same
     * surfaces (none defined or destroyed since): its elements stand. */
    bool same = ndecl > 0 && ctx->elements_match && ctx->elements_gen == e->objects_gen &&
                !has_divisors && !ctx->has_divisors && ndecl == ctx->decl_count &&
                d->element_count == ndecl &&
                memcmp(cmd->items.words, ctx->decls, (size_t)ndecl * sizeof(decls[0])) == 0;
    if (!same) {
        ctx->elements_match = false; /* d->elements change below: a new state */
        d->serial = ++e->last_serial;
    }
    e3d_draw_lookup lk = {.find = executor_buffer,
                          .self = e,
                          .max_primitives =
                              e->caps.devcap_valid[VGT_SVGA3D_DEVCAP_MAX_PRIMITIVE_COUNT]
                                  ? e->caps.devcap[VGT_SVGA3D_DEVCAP_MAX_PRIMITIVE_COUNT]
                                  : UINT32_MAX};
    vgt_backend_draw_range ranges[VGT_SVGA3D_MAX_DRAW_PRIMITIVE_RANGES];
    if ((st = e3d_check_draw(&lk, cmd, same, vs_3_0_bound(ctx), d, decls, divisors, ranges, err)) !=
        VGT_OK) {
        return st;
    }
    if (!same) {
        memcpy(ctx->decls, decls, (size_t)ndecl * sizeof(decls[0]));
        if (has_divisors || ctx->has_divisors) {
            memset(ctx->divisors, 0, sizeof(ctx->divisors));
            memcpy(ctx->divisors, divisors, (size_t)ndecl * sizeof(divisors[0]));
        }
        ctx->decl_count = ndecl;
        ctx->has_divisors = has_divisors;
        ctx->elements_match = true;
        ctx->elements_gen = e->objects_gen;
    }
    if (nrange == 0) {
        return VGT_OK;
    }
    vgt_backend_draw_stats stats = {0};
    st = e->be.ops->draw(e->be.self, d, ranges, nrange, &stats, err);
    if (st != VGT_OK) {
        return st;
    }
    e->counters.draws++;
    for (uint32_t q = 0; q < VGT_SVGA3D_QUERYTYPE_MAX; q++) {
        if (ctx->queries[q].state == E3D_QUERY_ACTIVE) {
            ctx->queries[q].pixels += stats.pixels_passed;
        }
    }
    return VGT_OK;
}

/* ---- PRESENT, PRESENT_READBACK, BLIT_SURFACE_TO_SCREEN --------------------- */

static vgt_status color_source(vgt_exec3d *e, const char *what,
                               const vgt_svga3d_surface_image_id *id, e3d_surface **s,
                               const vgt_surface_image **im, vgt_error *err)
{
    vgt_status st = e3d_image_find(e, what, id, s, im, err);
    if (st == VGT_OK && (!(*s)->fi->color || (*s)->fi->compressed)) {
        st = vgt_error_set(err, VGT_E_INVALID,
                           "%s: surface %u is %s, not an uncompressed color "
                           "format",
                           what, id->sid, (*s)->fi->name);
    }
    return st;
}

/* Reads rect (x, y, w, h) of image v as 32-bit pixels into the staging buffer. */
static vgt_status read_rect(vgt_exec3d *e, const vgt_backend_view *v, uint32_t x, uint32_t y,
                            uint32_t w, uint32_t h, uint8_t **out, vgt_error *err)
{
    if ((uint64_t)w * h > VGT_EXEC3D_MAX_BLIT_PIXELS) {
        return vgt_error_set(err, VGT_E_RANGE, "%ux%u pixels exceed the %u-pixel limit", w, h,
                             VGT_EXEC3D_MAX_BLIT_PIXELS);
    }
    vgt_status st = e3d_staging(e, (uint64_t)w * h * 4u, out, err);
    if (st != VGT_OK) {
        return st;
    }
    vgt_svga3d_rect r = {x, y, w, h};
    return e->be.ops->read_pixels(e->be.self, v, &r, *out, w * 4u, err);
}

static vgt_status exec_present(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err)
{
    vgt_svga3d_surface_image_id id = {cmd->u.present.sid, 0, 0};
    e3d_surface *s;
    const vgt_surface_image *im;
    vgt_status st = color_source(e, "PRESENT", &id, &s, &im, err);
    if (st != VGT_OK) {
        return st;
    }
    uint32_t n = cmd->items.count;
    vgt_svga3d_copy_rect whole = {0, 0, im->size.width, im->size.height, 0, 0};
    /* Validate every rect before showing any. */
    for (uint32_t i = 0; i < n; i++) {
        vgt_svga3d_copy_rect r;
        vgt_cmd_array_get(&cmd->items, i, &r);
        if (!vgt_range_inside(r.srcx, r.w, im->size.width) ||
            !vgt_range_inside(r.srcy, r.h, im->size.height) || (uint64_t)r.x + r.w > INT32_MAX ||
            (uint64_t)r.y + r.h > INT32_MAX) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "PRESENT rect %u: source (%u,%u) %ux%u is not inside the %ux%u "
                                 "surface %u (or the destination overflows)",
                                 i, r.srcx, r.srcy, r.w, r.h, im->size.width, im->size.height,
                                 s->sid);
        }
    }
    vgt_backend_view v = e3d_view(s, 0, 0);
    for (uint32_t i = 0; i < (n ? n : 1u); i++) {
        vgt_svga3d_copy_rect r = whole;
        if (n) {
            vgt_cmd_array_get(&cmd->items, i, &r);
        }
        if (r.w == 0 || r.h == 0) {
            continue;
        }
        uint8_t *px;
        if (e->caps.no_contents) {
            /* nothing to read: the surface is zeros, and so is the display
             * after the previous identical present (the null backend) */
            st = vgt_exec_display_put_zero(e->ex, r.x, r.y, r.w, r.h, err);
        } else if ((st = read_rect(e, &v, r.srcx, r.srcy, r.w, r.h, &px, err)) == VGT_OK) {
            st = vgt_exec_display_put(e->ex, VGT_SVGA_ID_INVALID, r.x, r.y, r.w, r.h, px,
                                      (uint64_t)r.w * 4u, err);
        }
        if (st != VGT_OK) {
            vgt_error_prefix(err, "PRESENT rect %u", i);
            return st;
        }
    }
    e->counters.presents++;
    return VGT_OK;
}

static vgt_status exec_present_readback(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err)
{
    vgt_display_mode m = vgt_executor_mode(e->ex);
    if (!m.enabled) {
        return vgt_error_set(err, VGT_E_STATE,
                             "PRESENT_READBACK while the legacy framebuffer is disabled");
    }
    if (m.bits_per_pixel == 8) {
        /* The screen's 32-bit colours have no index in an 8-bit
         * framebuffer: that would take a search of the palette. */
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "PRESENT_READBACK into the 8-bit legacy framebuffer (15, 16, 24 or "
                             "32 only: a colour has no palette index)");
    }
    uint32_t n = cmd->items.count;
    for (uint32_t i = 0; i < n; i++) {
        vgt_svga3d_rect r;
        vgt_cmd_array_get(&cmd->items, i, &r);
        if (!vgt_range_inside(r.x, r.w, m.width) || !vgt_range_inside(r.y, r.h, m.height)) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "PRESENT_READBACK rect %u (%u,%u) %ux%u is not inside the %ux%u "
                                 "framebuffer",
                                 i, r.x, r.y, r.w, r.h, m.width, m.height);
        }
    }
    /* At 15, 16 and 24 bits the framebuffer gets the shown pixels in its
     * format, each channel's low bits dropped (BLIT_SCREEN_TO_GMRFB's
     * narrowing); the display keeps what was presented, as a host surface
     * would, and a later UPDATE shows the rounded pixels. */
    uint32_t bytes = m.bits_per_pixel == 32 ? 4u : m.bits_per_pixel == 24 ? 3u : 2u;
    for (uint32_t i = 0; i < (n ? n : 1u); i++) {
        vgt_svga3d_rect r = {0, 0, m.width, m.height};
        if (n) {
            vgt_cmd_array_get(&cmd->items, i, &r);
        }
        if (r.w == 0 || r.h == 0) {
            continue;
        }
        /* staging: the w x h host pixels, then one converted row; w, h are
         * inside the mode (at most 8192 x 8192), no overflow */
        uint64_t host_bytes = (uint64_t)r.w * r.h * 4u;
        uint8_t *px = NULL; /* set when st is VGT_OK (-O3 cannot see it) */
        vgt_status st = e3d_staging(e, host_bytes + (uint64_t)r.w * 4u, &px, err);
        if (st == VGT_OK) {
            st = vgt_exec_display_get(e->ex, 0, r.x, r.y, r.w, r.h, px, (uint64_t)r.w * 4u, err);
        }
        for (uint32_t y = 0; y < r.h && st == VGT_OK; y++) {
            uint64_t off = (uint64_t)m.fb_offset + (uint64_t)(r.y + y) * m.bytes_per_line +
                           (uint64_t)r.x * bytes;
            const uint8_t *row = px + (size_t)y * r.w * 4u;
            if (bytes != 4) {
                uint8_t *conv = px + host_bytes;
                vgt_exec_px_row_from_host(m.bits_per_pixel, (const uint32_t *)row, conv, r.w);
                row = conv;
            }
            st = e3d_mem_write(e, VGT_SVGA_GMR_FRAMEBUFFER, off, row, (uint64_t)r.w * bytes, err);
        }
        if (st != VGT_OK) {
            vgt_error_prefix(err, "PRESENT_READBACK rect %u", i);
            return st;
        }
    }
    e->counters.readbacks++;
    return VGT_OK;
}

static vgt_status exec_blit_to_screen(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga3d_cmd_blit_surface_to_screen *c = &cmd->u.blit_surface_to_screen;
    const char *what = "BLIT_SURFACE_TO_SCREEN";
    e3d_surface *s;
    const vgt_surface_image *im;
    vgt_status st = color_source(e, what, &c->src_image, &s, &im, err);
    if (st != VGT_OK) {
        return st;
    }
    const vgt_svga_signed_rect *sr = &c->src_rect, *dr = &c->dest_rect;
    if (sr->left < 0 || sr->top < 0 || sr->left > sr->right || sr->top > sr->bottom ||
        (int64_t)sr->right > im->size.width || (int64_t)sr->bottom > im->size.height) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "%s: source (%d,%d)-(%d,%d) is not inside the %ux%u image of "
                             "surface %u",
                             what, sr->left, sr->top, sr->right, sr->bottom, im->size.width,
                             im->size.height, s->sid);
    }
    if (dr->left > dr->right || dr->top > dr->bottom) {
        return vgt_error_set(err, VGT_E_INVALID, "%s: inverted destination (%d,%d)-(%d,%d)", what,
                             dr->left, dr->top, dr->right, dr->bottom);
    }
    uint32_t sw = (uint32_t)(sr->right - sr->left), sh = (uint32_t)(sr->bottom - sr->top);
    uint64_t dw = (uint64_t)((int64_t)dr->right - dr->left);
    uint64_t dh = (uint64_t)((int64_t)dr->bottom - dr->top);
    if (dw * dh > VGT_EXEC3D_MAX_BLIT_PIXELS) {
        return vgt_error_set(err, VGT_E_RANGE, "%s: destination %llux%llu is too large", what,
                             (unsigned long long)dw, (unsigned long long)dh);
    }
    if (sw == 0 || sh == 0 || dw == 0 || dh == 0) {
        return VGT_OK;
    }
    /* The destination screen must exist (an empty put checks it). */
    if ((st = vgt_exec_display_put(e->ex, c->dest_screen_id, 0, 0, 0, 0, NULL, 0, err))) {
        vgt_error_prefix(err, "%s", what);
        return st;
    }
    vgt_backend_view v = e3d_view(s, c->src_image.face, c->src_image.mipmap);
    uint8_t *px;
    if ((st = read_rect(e, &v, (uint32_t)sr->left, (uint32_t)sr->top, sw, sh, &px, err)) !=
        VGT_OK) {
        vgt_error_prefix(err, "%s", what);
        return st;
    }
    /* Scale (nearest pixel centre) when the sizes differ. */
    uint8_t *scaled = NULL;
    const uint8_t *img = px;
    if (dw != sw || dh != sh) {
        scaled = malloc((size_t)(dw * dh * 4u));
        if (!scaled) {
            return vgt_error_set(err, VGT_E_NOMEM, "%s: out of memory for scaling", what);
        }
        for (uint64_t y = 0; y < dh; y++) {
            uint64_t syy = (y * 2u + 1u) * sh / (dh * 2u);
            for (uint64_t x = 0; x < dw; x++) {
                uint64_t sxx = (x * 2u + 1u) * sw / (dw * 2u);
                memcpy(scaled + (y * dw + x) * 4u, px + (syy * sw + sxx) * 4u, 4);
            }
        }
        img = scaled;
    }
    uint32_t n = cmd->items.count;
    for (uint32_t i = 0; i < (n ? n : 1u) && st == VGT_OK; i++) {
        int64_t l = 0, t = 0, r = (int64_t)dw, b = (int64_t)dh;
        if (n) {
            vgt_svga_signed_rect cr;
            vgt_cmd_array_get(&cmd->items, i, &cr);
            l = cr.left > 0 ? cr.left : 0;
            t = cr.top > 0 ? cr.top : 0;
            r = cr.right < r ? cr.right : r;
            b = cr.bottom < b ? cr.bottom : b;
        }
        if (l >= r || t >= b) {
            continue;
        }
        st = vgt_exec_display_put(e->ex, c->dest_screen_id, (int64_t)dr->left + l,
                                  (int64_t)dr->top + t, (uint32_t)(r - l), (uint32_t)(b - t),
                                  img + ((uint64_t)t * dw + (uint64_t)l) * 4u, dw * 4u, err);
        if (st != VGT_OK) {
            vgt_error_prefix(err, "%s", what);
        }
    }
    free(scaled);
    if (st == VGT_OK) {
        e->counters.blits++;
    }
    return st;
}

/* ---- queries ------------------------------------------------------------- */

static bool backend_queries(const vgt_exec3d *e)
{
    const vgt_backend_ops *o = e->be.ops;
    return o->query_create && o->query_destroy && o->query_begin && o->query_end;
}

static uint64_t add_saturated(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

vgt_status e3d_query_checkpoint(vgt_exec3d *e, e3d_query *q, uint64_t *carry, vgt_error *err)
{
    uint64_t counted = q->pixels;
    if (backend_queries(e) && q->host) {
        vgt_status st = e->be.ops->query_end(e->be.self, q->host, &counted, err);
        if (st == VGT_OK) {
            st = e->be.ops->query_begin(e->be.self, q->host, err);
        }
        if (st != VGT_OK) {
            return st;
        }
    }
    q->pixels = 0;
    q->carry = add_saturated(q->carry, counted);
    *carry = q->carry;
    return VGT_OK;
}

/* Writes {state, result32} of the guest's vgt_svga3d_query_result. */
static vgt_status query_write(vgt_exec3d *e, const vgt_svga_guest_ptr *p, uint32_t state,
                              uint32_t result, vgt_error *err)
{
    uint32_t w[2];
    vgt_store_le32(&w[0], state);
    vgt_store_le32(&w[1], result);
    return e3d_mem_write(e, p->gmr_id, (uint64_t)p->offset + 4u, w, 8, err);
}

static vgt_status exec_query(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err)
{
    /* BEGIN, END and WAIT share {cid, type}. */
    uint32_t cid = cmd->u.raw[0], type = cmd->u.raw[1];
    const char *name = cmd->desc->name;
    e3d_context *c;
    vgt_status st = e3d_context_find(e, cmd, cid, &c, err);
    if (st != VGT_OK) {
        return st;
    }
    e3d_query *q = &c->queries[type]; /* type checked by the decoder */
    switch (cmd->id) {
    case VGT_SVGA3D_CMD_BEGIN_QUERY:
        if (backend_queries(e)) {
            if (!q->host && (st = e->be.ops->query_create(e->be.self, type, &q->host, err))) {
                return st;
            }
            if ((st = e->be.ops->query_begin(e->be.self, q->host, err)) != VGT_OK) {
                return st;
            }
        }
        /* Beginning an active query restarts it (as in Direct3D 9). */
        q->state = E3D_QUERY_ACTIVE;
        q->pixels = 0;
        q->carry = 0;
        return VGT_OK;
    case VGT_SVGA3D_CMD_END_QUERY: {
        const vgt_svga_guest_ptr *p = &cmd->u.end_query.guest_result;
        if (q->state != E3D_QUERY_ACTIVE) {
            /* Tell the guest, so it does not wait forever, then fail. */
            query_write(e, p, VGT_SVGA3D_QUERYSTATE_FAILED, 0, NULL);
            return vgt_error_set(err, VGT_E_STATE,
                                 "%s: context %u has no active %s query (BEGIN_QUERY first)", name,
                                 cid, vgt_svga3d_query_type_name(type));
        }
        uint64_t result = q->pixels;
        if (backend_queries(e) && (st = e->be.ops->query_end(e->be.self, q->host, &result, err))) {
            return st;
        }
        result = add_saturated(result, q->carry);
        uint32_t r32 = result > UINT32_MAX ? UINT32_MAX : (uint32_t)result;
        if ((st = query_write(e, p, VGT_SVGA3D_QUERYSTATE_SUCCEEDED, r32, err)) != VGT_OK) {
            vgt_error_prefix(err, "%s result", name);
            q->state = E3D_QUERY_IDLE;
            return st;
        }
        q->state = E3D_QUERY_ENDED;
        q->result = r32;
        e->counters.queries_ended++;
        return VGT_OK;
    }
    default: { /* WAIT_FOR_QUERY: only acts while the guest's state is PENDING */
        const vgt_svga_guest_ptr *p = &cmd->u.wait_for_query.guest_result;
        uint8_t w[4];
        if ((st = e3d_mem_read(e, p->gmr_id, (uint64_t)p->offset + 4u, w, 4, err)) != VGT_OK) {
            vgt_error_prefix(err, "%s state", name);
            return st;
        }
        if (vgt_load_le32(w) != VGT_SVGA3D_QUERYSTATE_PENDING) {
            return VGT_OK;
        }
        if (q->state != E3D_QUERY_ENDED) {
            query_write(e, p, VGT_SVGA3D_QUERYSTATE_FAILED, 0, NULL);
            return vgt_error_set(err, VGT_E_STATE,
                                 "%s: context %u's %s query was not ended (END_QUERY first)", name,
                                 cid, vgt_svga3d_query_type_name(type));
        }
        return query_write(e, p, VGT_SVGA3D_QUERYSTATE_SUCCEEDED, q->result, err);
    }
    }
}

/* ---- dispatch -------------------------------------------------------------- */

vgt_status vgt_exec3d_execute(vgt_exec3d *e, const vgt_cmd *cmd, vgt_exec_result *res,
                              vgt_error *err)
{
    e->res = res;
    e->counters.commands++;
    vgt_status st;
    switch (cmd->id) {
    case VGT_SVGA3D_CMD_SURFACE_DEFINE:
    case VGT_SVGA3D_CMD_SURFACE_DEFINE_V2:
        st = e3d_cmd_surface_define(e, cmd, err);
        break;
    case VGT_SVGA3D_CMD_SURFACE_DESTROY:
        st = e3d_cmd_surface_destroy(e, cmd->u.surface_destroy.sid, err);
        break;
    case VGT_SVGA3D_CMD_SURFACE_COPY:
        st = e3d_cmd_surface_copy(e, cmd, err);
        break;
    case VGT_SVGA3D_CMD_SURFACE_STRETCHBLT:
        st = e3d_cmd_surface_stretchblt(e, cmd, err);
        break;
    case VGT_SVGA3D_CMD_SURFACE_DMA:
        st = e3d_cmd_surface_dma(e, cmd, err);
        break;
    case VGT_SVGA3D_CMD_CONTEXT_DEFINE:
        st = e3d_cmd_context_define(e, cmd->u.context_define.cid, err);
        break;
    case VGT_SVGA3D_CMD_CONTEXT_DESTROY:
        st = e3d_cmd_context_destroy(e, cmd->u.context_destroy.cid, err);
        break;
    case VGT_SVGA3D_CMD_SETTRANSFORM:
    case VGT_SVGA3D_CMD_SETZRANGE:
    case VGT_SVGA3D_CMD_SETRENDERSTATE:
    case VGT_SVGA3D_CMD_SETRENDERTARGET:
    case VGT_SVGA3D_CMD_SETTEXTURESTATE:
    case VGT_SVGA3D_CMD_SETMATERIAL:
    case VGT_SVGA3D_CMD_SETLIGHTDATA:
    case VGT_SVGA3D_CMD_SETLIGHTENABLED:
    case VGT_SVGA3D_CMD_SETVIEWPORT:
    case VGT_SVGA3D_CMD_SETCLIPPLANE:
    case VGT_SVGA3D_CMD_SHADER_DEFINE:
    case VGT_SVGA3D_CMD_SHADER_DESTROY:
    case VGT_SVGA3D_CMD_SET_SHADER:
    case VGT_SVGA3D_CMD_SET_SHADER_CONST:
    case VGT_SVGA3D_CMD_SETSCISSORRECT:
        st = e3d_cmd_state(e, cmd, err);
        break;
    case VGT_SVGA3D_CMD_CLEAR:
        st = exec_clear(e, cmd, err);
        break;
    case VGT_SVGA3D_CMD_PRESENT:
        st = exec_present(e, cmd, err);
        break;
    case VGT_SVGA3D_CMD_DRAW_PRIMITIVES:
        st = exec_draw(e, cmd, err);
        break;
    case VGT_SVGA3D_CMD_BEGIN_QUERY:
    case VGT_SVGA3D_CMD_END_QUERY:
    case VGT_SVGA3D_CMD_WAIT_FOR_QUERY:
        st = exec_query(e, cmd, err);
        break;
    case VGT_SVGA3D_CMD_PRESENT_READBACK:
        st = exec_present_readback(e, cmd, err);
        break;
    case VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN:
        st = exec_blit_to_screen(e, cmd, err);
        break;
    case VGT_SVGA3D_CMD_GENERATE_MIPMAPS:
        st = e3d_cmd_generate_mipmaps(e, cmd, err);
        break;
    case VGT_SVGA3D_CMD_ACTIVATE_SURFACE:
    case VGT_SVGA3D_CMD_DEACTIVATE_SURFACE: {
        /* Residency hints: nothing to do beyond checking the id. */
        uint32_t sid = cmd->u.activate_surface.sid;
        st = e3d_surface_get(e, sid)
                 ? VGT_OK
                 : vgt_error_set(err, VGT_E_NOTFOUND, "%s: surface %u is not defined",
                                 cmd->desc->name, sid);
        break;
    }
    default:
        st = vgt_error_set(err, VGT_E_UNSUPPORTED, "%s: not executed by the 3D state tracker",
                           vgt_cmd_name(cmd->id));
        break;
    }
    if (st != VGT_OK) {
        e->counters.failed++;
    }
    e->res = NULL;
    return st;
}
