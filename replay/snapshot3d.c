/* snapshot3d.c - saves and restores the SVGA3D state tracker (the "EX3D"
 * section of a SNAPSHOT record), so that a capture that starts at frame N of
 * a 3D guest replays from frame N alone.
 *
 * The section is a list of synthetic SVGA3D commands, encoded exactly as a
 * guest writes them into the FIFO, each with an optional inline payload that
 * a SURFACE_DMA (WRITE_HOST_VRAM) reads as its guest memory.  Loading decodes
 * them with vgt_cmd_length/vgt_cmd_decode and runs them through
 * vgt_executor_execute: the state is rebuilt by the same code that built it
 * live.  Layout (little-endian u32 unless noted):
 *
 *   version (1), flags (bit 0: the capturing backend kept no surface
 *   contents; every payload is zeros; bit 1: a query table follows the
 *   entries), entry count n,
 *   then n entries {u32 words w, u32 payload bytes p, w command words
 *   (header included), p payload bytes, zero bytes up to a multiple of 4},
 *   then, with bit 1, the query table: m, then m rows {cid, type, state
 *   (1 in flight, 2 ended), value as two words, low first}: what an
 *   in-flight query counted before the snapshot (added to its result at
 *   END_QUERY), an ended query's last result (for a WAIT_FOR_QUERY after
 *   the snapshot).  Only a snapshot with such queries sets the bit, so
 *   every other one reads in a vgt from before the table.
 *
 * Order: every surface (SURFACE_DEFINE or _V2, then one SURFACE_DMA per
 * face/mip, split when an image is larger than one DMA may move), then every
 * context (CONTEXT_DEFINE, SHADER_DEFINE of each shader, SET_SHADER,
 * SETRENDERSTATE and SETTEXTURESTATE with the states that differ from
 * Direct3D 9's defaults, SETTRANSFORM, SETMATERIAL, SETLIGHTDATA,
 * SETLIGHTENABLED, SETVIEWPORT, SETZRANGE, SETSCISSORRECT, SETCLIPPLANE,
 * SET_SHADER_CONST, SETRENDERTARGET, BEGIN_QUERY of an active query).
 *
 * Not restored (docs/capture.md): the vertex declarations of a context's
 * last draw (kept for inspection only: every draw names its own). */
#include "exec3d.h"
#include "executor_internal.h"
#include "vgt_replayer.h"

#include <stdlib.h>
#include <string.h>

#define SNAP3D_VERSION    1u
#define SNAP3D_F_ZEROS    1u /* surface contents not kept by the backend: payloads are zeros */
#define SNAP3D_GMR        0u /* the guest pointer of a snapshot SURFACE_DMA */
#define SNAP3D_ENTRY_HEAD 8u
/* The query table after the entries (flag SNAP3D_F_QUERIES): a count m, then
 * m rows {cid, type, state, value low, value high}. */
#define SNAP3D_F_QUERIES    2u
#define SNAP3D_QUERY_ACTIVE 1u /* in flight: value = pixels counted before the snapshot */
#define SNAP3D_QUERY_ENDED  2u /* ended: value = its last result */
#define SNAP3D_QUERY_WORDS  5u

/* Native words (a command struct) as little-endian words. */
static void put_words(snap_buf *b, const void *src, size_t bytes)
{
    const uint8_t *s = src;
    for (size_t i = 0; i + 4 <= bytes; i += 4) {
        uint32_t v;
        memcpy(&v, s + i, 4);
        snap_put32(b, v);
    }
}

typedef struct saver {
    snap_buf b;
    uint32_t count;
    vgt_snapshot_3d_info *info;
    snap_buf queries; /* the query table, appended after the entries */
    uint32_t nqueries;
} saver;

/* One entry: the 3D command {id, body + extra bytes} with body and extra
 * (both multiples of 4 bytes), then the payload. */
static void emit(saver *s, uint32_t id, const void *body, uint32_t body_bytes, const void *extra,
                 uint32_t extra_bytes, const void *payload, uint32_t payload_bytes)
{
    uint32_t size = body_bytes + extra_bytes;
    snap_put32(&s->b, 2u + size / 4u);
    snap_put32(&s->b, payload_bytes);
    snap_put32(&s->b, id);
    snap_put32(&s->b, size);
    put_words(&s->b, body, body_bytes);
    put_words(&s->b, extra, extra_bytes);
    snap_put_bytes(&s->b, payload, payload_bytes);
    snap_put_bytes(&s->b, NULL, (4u - payload_bytes % 4u) % 4u);
    s->count++;
}

static uint32_t blocks(uint32_t n, uint32_t b)
{
    return n / b + (n % b != 0);
}

/* A SURFACE_DMA of `box` of image (face, mip) whose payload is the box's
 * bytes, tightly packed, as the backend holds them. */
static vgt_status save_dma(vgt_exec3d *e, saver *sv, const e3d_surface *s, uint32_t face,
                           uint32_t mip, const vgt_svga3d_box *box, uint8_t **tmp, size_t *tmp_cap,
                           vgt_error *err)
{
    const vgt_surface_format_info *f = s->fi;
    uint64_t row = (uint64_t)blocks(box->w, f->block_width) * f->block_bytes;
    uint64_t rows = blocks(box->h, f->block_height);
    /* Boxes of several slices are whole images, so the executor's guest
     * slice pitch (pitch * the image's block rows) is row * rows. */
    uint64_t slice = row * rows;
    uint64_t bytes = slice * box->d;
    if (bytes > VGT_EXEC3D_MAX_DMA_BYTES) {
        return vgt_error_set(err, VGT_E_RANGE, "surface %u: a DMA of %llu bytes", s->sid,
                             (unsigned long long)bytes);
    }
    if (*tmp_cap < bytes) {
        uint8_t *p = realloc(*tmp, (size_t)bytes);
        if (!p) {
            return vgt_error_set(err, VGT_E_NOMEM, "out of memory for %llu bytes of surface %u",
                                 (unsigned long long)bytes, s->sid);
        }
        *tmp = p;
        *tmp_cap = (size_t)bytes;
    }
    memset(*tmp, 0, (size_t)bytes);
    vgt_status st = e->be.ops->surface_download(e->be.self, s->host, face, mip, box, *tmp,
                                                (uint32_t)row, slice, err);
    if (st != VGT_OK) {
        vgt_error_prefix(err, "surface %u face %u level %u", s->sid, face, mip);
        return st;
    }
    vgt_svga3d_cmd_surface_dma d = {
        .guest = {{SNAP3D_GMR, 0}, (uint32_t)row},
        .host = {s->sid, face, mip},
        .transfer = VGT_SVGA3D_WRITE_HOST_VRAM,
    };
    vgt_svga3d_copy_box cb = {box->x, box->y, box->z, box->w, box->h, box->d, 0, 0, 0};
    emit(sv, VGT_SVGA3D_CMD_SURFACE_DMA, &d, sizeof(d), &cb, sizeof(cb), *tmp, (uint32_t)bytes);
    sv->info->content_bytes += bytes;
    return VGT_OK;
}

static vgt_status save_surface(vgt_exec3d *e, saver *sv, const e3d_surface *s, uint8_t **tmp,
                               size_t *tmp_cap, vgt_error *err)
{
    vgt_svga3d_cmd_surface_define_v2 d = {
        .sid = s->sid,
        .surface_flags = s->flags,
        .format = s->format,
        .multisample_count = s->multisample,
        .autogen_filter = s->autogen_filter,
    };
    for (uint32_t f = 0; f < s->faces; f++) {
        d.face_mip_levels[f] = s->mips;
    }
    size_t n = (size_t)s->faces * s->mips;
    vgt_svga3d_size *sizes = calloc(n, sizeof(*sizes));
    if (!sizes) {
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        sizes[i] = s->images[i].size;
    }
    bool v2 = s->multisample || s->autogen_filter;
    emit(sv, v2 ? VGT_SVGA3D_CMD_SURFACE_DEFINE_V2 : VGT_SVGA3D_CMD_SURFACE_DEFINE, &d,
         v2 ? sizeof(d) : sizeof(vgt_svga3d_cmd_surface_define), sizes,
         (uint32_t)(n * sizeof(*sizes)), NULL, 0);
    free(sizes);
    const vgt_surface_format_info *f = s->fi;
    for (uint32_t face = 0; face < s->faces; face++) {
        for (uint32_t mip = 0; mip < s->mips; mip++) {
            const vgt_surface_image *im = &s->images[face * s->mips + mip];
            vgt_svga3d_size z = im->size;
            vgt_status st = VGT_OK;
            if (im->bytes <= VGT_EXEC3D_MAX_DMA_BYTES) {
                vgt_svga3d_box box = {0, 0, 0, z.width, z.height, z.depth};
                st = save_dma(e, sv, s, face, mip, &box, tmp, tmp_cap, err);
            } else if (im->row_pitch <= VGT_EXEC3D_MAX_DMA_BYTES) {
                /* Larger than one DMA: groups of whole block rows, slice by slice. */
                uint32_t k = VGT_EXEC3D_MAX_DMA_BYTES / im->row_pitch;
                uint32_t brows = blocks(z.height, f->block_height);
                for (uint32_t sl = 0; sl < z.depth && st == VGT_OK; sl++) {
                    for (uint32_t r = 0; r < brows && st == VGT_OK; r += k) {
                        uint32_t y = r * f->block_height;
                        uint32_t h = brows - r > k ? k * f->block_height : z.height - y;
                        vgt_svga3d_box box = {0, y, sl, z.width, h, 1};
                        st = save_dma(e, sv, s, face, mip, &box, tmp, tmp_cap, err);
                    }
                }
            } else {
                /* A row larger than one DMA (a huge buffer): pieces of rows. */
                uint32_t k = VGT_EXEC3D_MAX_DMA_BYTES / f->block_bytes;
                uint32_t bw = blocks(z.width, f->block_width);
                for (uint32_t sl = 0; sl < z.depth && st == VGT_OK; sl++) {
                    for (uint32_t y = 0; y < z.height && st == VGT_OK; y += f->block_height) {
                        for (uint32_t c = 0; c < bw && st == VGT_OK; c += k) {
                            uint32_t x = c * f->block_width;
                            uint32_t w = bw - c > k ? k * f->block_width : z.width - x;
                            uint32_t h =
                                z.height - y < f->block_height ? z.height - y : f->block_height;
                            vgt_svga3d_box box = {x, y, sl, w, h, 1};
                            st = save_dma(e, sv, s, face, mip, &box, tmp, tmp_cap, err);
                        }
                    }
                }
            }
            if (st != VGT_OK) {
                return st;
            }
        }
    }
    sv->info->surfaces++;
    return VGT_OK;
}

static bool differs(const void *a, const void *b, size_t n)
{
    return memcmp(a, b, n) != 0;
}

/* A row of the query table: {cid, type, state, value low, value high}. */
static void put_query(saver *sv, uint32_t cid, uint32_t type, uint32_t state, uint64_t value)
{
    snap_put32(&sv->queries, cid);
    snap_put32(&sv->queries, type);
    snap_put32(&sv->queries, state);
    snap_put32(&sv->queries, (uint32_t)value);
    snap_put32(&sv->queries, (uint32_t)(value >> 32));
    sv->nqueries++;
}

static void save_context(vgt_exec3d *e, saver *sv, e3d_context *c, const e3d_context *def)
{
    uint32_t cid = c->cid;
    emit(sv, VGT_SVGA3D_CMD_CONTEXT_DEFINE, &cid, 4, NULL, 0, NULL, 0);
    sv->info->contexts++;
    /* Shaders, then their bindings. */
    for (uint32_t t = 0; t < 2; t++) {
        for (uint32_t id = 0; id < c->shader_cap[t]; id++) {
            const e3d_shader *sh = c->shaders[t][id];
            if (!sh) {
                continue;
            }
            vgt_svga3d_cmd_shader_define d = {cid, id, t + 1u};
            emit(sv, VGT_SVGA3D_CMD_SHADER_DEFINE, &d, sizeof(d), sh->bytecode, sh->words * 4u,
                 NULL, 0);
            sv->info->shaders++;
        }
        if (c->shader_bound[t] != VGT_SVGA3D_INVALID_ID) {
            vgt_svga3d_cmd_set_shader d = {cid, t + 1u, c->shader_bound[t]};
            emit(sv, VGT_SVGA3D_CMD_SET_SHADER, &d, sizeof(d), NULL, 0, NULL, 0);
        }
    }
    /* Render states and texture stage states that differ from the defaults. */
    vgt_svga3d_render_state_pair rs[VGT_SVGA3D_RS_MAX];
    uint32_t n = 0;
    for (uint32_t i = 0; i < VGT_SVGA3D_RS_MAX; i++) {
        if (c->rs[i] != def->rs[i]) {
            rs[n++] = (vgt_svga3d_render_state_pair){i, c->rs[i]};
        }
    }
    if (n) {
        emit(sv, VGT_SVGA3D_CMD_SETRENDERSTATE, &cid, 4, rs, n * (uint32_t)sizeof(rs[0]), NULL, 0);
    }
    vgt_svga3d_texture_state_entry ts[VGT_SVGA3D_MAX_TEXTURE_STAGES * VGT_SVGA3D_TS_MAX];
    n = 0;
    for (uint32_t st = 0; st < VGT_SVGA3D_MAX_TEXTURE_STAGES; st++) {
        for (uint32_t i = 0; i < VGT_SVGA3D_TS_MAX; i++) {
            if (c->ts[st][i] != def->ts[st][i]) {
                ts[n++] = (vgt_svga3d_texture_state_entry){st, i, c->ts[st][i]};
            }
        }
    }
    if (n) {
        emit(sv, VGT_SVGA3D_CMD_SETTEXTURESTATE, &cid, 4, ts, n * (uint32_t)sizeof(ts[0]), NULL, 0);
    }
    for (uint32_t t = 0; t < VGT_SVGA3D_TRANSFORM_MAX; t++) {
        if (differs(c->transforms[t], def->transforms[t], sizeof(c->transforms[t]))) {
            vgt_svga3d_cmd_settransform d = {.cid = cid, .type = t};
            memcpy(d.matrix, c->transforms[t], sizeof(d.matrix));
            emit(sv, VGT_SVGA3D_CMD_SETTRANSFORM, &d, sizeof(d), NULL, 0, NULL, 0);
        }
    }
    for (uint32_t f = 0; f < 2; f++) {
        if (differs(&c->material[f], &def->material[f], sizeof(c->material[f]))) {
            vgt_svga3d_cmd_setmaterial d = {cid, f ? VGT_SVGA3D_FACE_BACK : VGT_SVGA3D_FACE_FRONT,
                                            c->material[f]};
            emit(sv, VGT_SVGA3D_CMD_SETMATERIAL, &d, sizeof(d), NULL, 0, NULL, 0);
        }
    }
    for (uint32_t i = 0; i < VGT_EXEC3D_MAX_LIGHT_INDEX; i++) {
        if (differs(&c->lights[i], &def->lights[i], sizeof(c->lights[i]))) {
            vgt_svga3d_cmd_setlightdata d = {cid, i, c->lights[i]};
            emit(sv, VGT_SVGA3D_CMD_SETLIGHTDATA, &d, sizeof(d), NULL, 0, NULL, 0);
        }
        if (c->light_enabled[i]) {
            vgt_svga3d_cmd_setlightenabled d = {cid, i, 1};
            emit(sv, VGT_SVGA3D_CMD_SETLIGHTENABLED, &d, sizeof(d), NULL, 0, NULL, 0);
        }
    }
    if (c->viewport_set) {
        vgt_svga3d_cmd_setviewport d = {cid, c->viewport};
        emit(sv, VGT_SVGA3D_CMD_SETVIEWPORT, &d, sizeof(d), NULL, 0, NULL, 0);
    }
    if (differs(&c->zrange, &def->zrange, sizeof(c->zrange))) {
        vgt_svga3d_cmd_setzrange d = {cid, c->zrange};
        emit(sv, VGT_SVGA3D_CMD_SETZRANGE, &d, sizeof(d), NULL, 0, NULL, 0);
    }
    if (differs(&c->scissor, &def->scissor, sizeof(c->scissor))) {
        vgt_svga3d_cmd_setscissorrect d = {cid, c->scissor};
        emit(sv, VGT_SVGA3D_CMD_SETSCISSORRECT, &d, sizeof(d), NULL, 0, NULL, 0);
    }
    for (uint32_t i = 0; i < VGT_SVGA3D_MAX_CLIP_PLANES; i++) {
        if (differs(c->clip_planes[i], def->clip_planes[i], sizeof(c->clip_planes[i]))) {
            vgt_svga3d_cmd_setclipplane d = {.cid = cid, .index = i};
            memcpy(d.plane, c->clip_planes[i], sizeof(d.plane));
            emit(sv, VGT_SVGA3D_CMD_SETCLIPPLANE, &d, sizeof(d), NULL, 0, NULL, 0);
        }
    }
    /* Shader constants: the registers that are not zero. */
    static const uint32_t zero[4];
    for (uint32_t t = 0; t < 2; t++) {
        uint32_t nf = t == E3D_VS ? VGT_BACKEND_VS_FLOAT_REGS : VGT_BACKEND_PS_FLOAT_REGS;
        for (uint32_t r = 0; r < nf; r++) {
            const float *v = t == E3D_VS ? c->vs_float[r] : c->ps_float[r];
            if (differs(v, zero, 16)) {
                vgt_svga3d_cmd_set_shader_const d = {
                    cid, r, t + 1u, VGT_SVGA3D_CONST_TYPE_FLOAT, {0}};
                memcpy(d.values, v, 16);
                emit(sv, VGT_SVGA3D_CMD_SET_SHADER_CONST, &d, sizeof(d), NULL, 0, NULL, 0);
            }
        }
        for (uint32_t r = 0; r < VGT_BACKEND_INT_REGS; r++) {
            if (differs(c->int_regs[t][r], zero, 16)) {
                vgt_svga3d_cmd_set_shader_const d = {
                    cid, r, t + 1u, VGT_SVGA3D_CONST_TYPE_INT, {0}};
                memcpy(d.values, c->int_regs[t][r], 16);
                emit(sv, VGT_SVGA3D_CMD_SET_SHADER_CONST, &d, sizeof(d), NULL, 0, NULL, 0);
            }
        }
        for (uint32_t r = 0; r < VGT_BACKEND_BOOL_REGS; r++) {
            if (c->bool_regs[t][r]) {
                vgt_svga3d_cmd_set_shader_const d = {
                    cid, r, t + 1u, VGT_SVGA3D_CONST_TYPE_BOOL, {1u, 0, 0, 0}};
                emit(sv, VGT_SVGA3D_CMD_SET_SHADER_CONST, &d, sizeof(d), NULL, 0, NULL, 0);
            }
        }
    }
    /* Render targets: the surfaces exist by now. */
    for (uint32_t t = 0; t < VGT_SVGA3D_RT_MAX; t++) {
        if (differs(&c->rt[t], &def->rt[t], sizeof(c->rt[t]))) {
            vgt_svga3d_cmd_setrendertarget d = {cid, t, c->rt[t]};
            emit(sv, VGT_SVGA3D_CMD_SETRENDERTARGET, &d, sizeof(d), NULL, 0, NULL, 0);
        }
    }
    /* Queries: an active one is begun again and the table carries what it
     * counted so far; an ended one's last result is in the table, for a
     * WAIT_FOR_QUERY after the snapshot. */
    for (uint32_t q = 0; q < VGT_SVGA3D_QUERYTYPE_MAX; q++) {
        e3d_query *qu = &c->queries[q];
        if (qu->state == E3D_QUERY_ACTIVE) {
            vgt_svga3d_cmd_begin_query d = {cid, q};
            emit(sv, VGT_SVGA3D_CMD_BEGIN_QUERY, &d, sizeof(d), NULL, 0, NULL, 0);
            uint64_t carry = 0;
            vgt_error qe;
            vgt_error_clear(&qe);
            if (e3d_query_checkpoint(e, qu, &carry, &qe) != VGT_OK) {
                /* the backend could not tell what it counted: the query
                 * restarts at 0 on load (said by the capture) */
                sv->info->queries_restarted++;
            } else if (carry) {
                put_query(sv, cid, q, SNAP3D_QUERY_ACTIVE, carry);
            }
        } else if (qu->state == E3D_QUERY_ENDED) {
            put_query(sv, cid, q, SNAP3D_QUERY_ENDED, qu->result);
        }
    }
}

vgt_status vgt_executor_snapshot_save_3d(vgt_executor *ex, uint8_t **out, size_t *size,
                                         vgt_snapshot_3d_info *info, vgt_error *err)
{
    vgt_snapshot_3d_info local;
    if (!info) {
        info = &local;
    }
    memset(info, 0, sizeof(*info));
    *out = NULL;
    *size = 0;
    vgt_exec3d *e = ex->e3d;
    if (!e) {
        return VGT_OK;
    }
    bool any = e->surface_count != 0;
    for (uint32_t i = 0; i < VGT_EXEC3D_MAX_CONTEXT_IDS && !any; i++) {
        any = e->contexts[i] != NULL;
    }
    if (!any) {
        return VGT_OK;
    }
    info->contents_zero =
        ex->cfg.backend == VGT_BACKEND_NULL && !ex->cfg.backend_options.keep_contents;
    e3d_context *def = calloc(1, sizeof(*def));
    if (!def) {
        return vgt_error_set(err, VGT_E_NOMEM, "3D state snapshot: out of memory");
    }
    e3d_context_defaults(def);
    saver sv = {{0}, 0, info, {0}, 0};
    snap_put32(&sv.b, SNAP3D_VERSION);
    snap_put32(&sv.b, info->contents_zero ? SNAP3D_F_ZEROS : 0u);
    snap_put32(&sv.b, 0); /* the entry count, filled in below */
    uint8_t *tmp = NULL;
    size_t tmp_cap = 0;
    vgt_status st = VGT_OK;
    for (uint32_t sid = 0; sid < e->surface_cap && st == VGT_OK && !sv.b.failed; sid++) {
        if (e->surfaces[sid]) {
            st = save_surface(e, &sv, e->surfaces[sid], &tmp, &tmp_cap, err);
        }
    }
    free(tmp);
    for (uint32_t i = 0; i < VGT_EXEC3D_MAX_CONTEXT_IDS && st == VGT_OK; i++) {
        if (e->contexts[i]) {
            save_context(e, &sv, e->contexts[i], def);
        }
    }
    free(def);
    if (sv.nqueries) {
        snap_put32(&sv.b, sv.nqueries);
        snap_put_bytes(&sv.b, sv.queries.p, sv.queries.len);
        sv.b.failed |= sv.queries.failed;
        if (!sv.b.failed) {
            vgt_store_le32(sv.b.p + 4, vgt_load_le32(sv.b.p + 4) | SNAP3D_F_QUERIES);
        }
    }
    free(sv.queries.p);
    if (st == VGT_OK && sv.b.failed) {
        st = vgt_error_set(err, VGT_E_NOMEM, "out of memory (%zu bytes saved)", sv.b.len);
    }
    if (st != VGT_OK) {
        free(sv.b.p);
        vgt_error_prefix(err, "3D state snapshot");
        return st;
    }
    vgt_store_le32(sv.b.p + 8, sv.count);
    info->commands = sv.count;
    *out = sv.b.p;
    *size = sv.b.len;
    return VGT_OK;
}

/* ---- load ------------------------------------------------------------------ */

/* The guest memory of a snapshot SURFACE_DMA: its inline payload. */
typedef struct payload_mem {
    const uint8_t *p;
    uint32_t len;
} payload_mem;

static vgt_status payload_read(void *ctx, uint32_t gmr_id, uint32_t offset, void *dst, uint32_t len,
                               vgt_error *err)
{
    const payload_mem *m = ctx;
    if (gmr_id != SNAP3D_GMR || offset > m->len || len > m->len - offset) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "reads %u bytes at GMR %u offset %u; the payload has %u bytes", len,
                             gmr_id, offset, m->len);
    }
    memcpy(dst, m->p + offset, len);
    return VGT_OK;
}

static vgt_status payload_write(void *ctx, uint32_t gmr_id, uint32_t offset, const void *src,
                                uint32_t len, vgt_error *err)
{
    (void)ctx;
    (void)src;
    return vgt_error_set(err, VGT_E_INVALID,
                         "writes %u bytes at GMR %u offset %u (a snapshot command writes nothing)",
                         len, gmr_id, offset);
}

/* The commands a snapshot may hold. */
static bool allowed(uint32_t id)
{
    switch (id) {
    case VGT_SVGA3D_CMD_SURFACE_DEFINE:
    case VGT_SVGA3D_CMD_SURFACE_DEFINE_V2:
    case VGT_SVGA3D_CMD_SURFACE_DMA:
    case VGT_SVGA3D_CMD_CONTEXT_DEFINE:
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
    case VGT_SVGA3D_CMD_SET_SHADER:
    case VGT_SVGA3D_CMD_SET_SHADER_CONST:
    case VGT_SVGA3D_CMD_SETSCISSORRECT:
    case VGT_SVGA3D_CMD_BEGIN_QUERY:
        return true;
    default:
        return false;
    }
}

static uint32_t load32(const uint8_t *p, size_t len, size_t *pos, bool *bad)
{
    if (*bad || len - *pos < 4) {
        *bad = true;
        return 0;
    }
    uint32_t v = vgt_load_le32(p + *pos);
    *pos += 4;
    return v;
}

/* Why a query table row does not fit the state the entries built (NULL:
 * it does). */
static const char *query_row_problem(const e3d_context *c, const e3d_query *q, uint32_t state,
                                     uint64_t value)
{
    if (!c) {
        return "no such context";
    }
    if (!q) {
        return "unknown query type";
    }
    switch (state) {
    case SNAP3D_QUERY_ACTIVE:
        if (q->state != E3D_QUERY_ACTIVE) {
            return "in flight, but no BEGIN_QUERY entry began it";
        }
        return q->carry ? "carried twice" : value == 0 ? "carries nothing" : NULL;
    case SNAP3D_QUERY_ENDED:
        if (q->state != E3D_QUERY_IDLE) {
            return "ended, but an entry began it or a row ended it before";
        }
        return value > UINT32_MAX ? "a result above 32 bits" : NULL;
    default:
        return "unknown state";
    }
}

/* The query table: each row names a query of a context the entries
 * defined; an in-flight row a query the entries began (BEGIN_QUERY) and
 * not yet carried, an ended row one they did not touch. */
static vgt_status load_queries(vgt_exec3d *e, const uint8_t *p, size_t size, size_t *pos,
                               vgt_error *err)
{
    bool bad = false;
    size_t at = *pos;
    uint32_t m = load32(p, size, pos, &bad);
    if (bad || m == 0 || m > (size - *pos) / (SNAP3D_QUERY_WORDS * 4u)) {
        return vgt_error_set(err, VGT_E_FORMAT,
                             "3D state snapshot (%zu bytes): query table at byte %zu: %s", size, at,
                             bad ? "cut short"
                             : m ? "more rows than bytes"
                                 : "empty");
    }
    for (uint32_t i = 0; i < m; i++) {
        at = *pos;
        uint32_t cid = load32(p, size, pos, &bad), type = load32(p, size, pos, &bad);
        uint32_t state = load32(p, size, pos, &bad);
        uint64_t value = load32(p, size, pos, &bad);
        value |= (uint64_t)load32(p, size, pos, &bad) << 32;
        e3d_context *c = e3d_context_get(e, cid);
        e3d_query *q = c && type < VGT_SVGA3D_QUERYTYPE_MAX ? &c->queries[type] : NULL;
        const char *why = query_row_problem(c, q, state, value);
        if (why) {
            return vgt_error_set(err, VGT_E_FORMAT,
                                 "3D state snapshot (%zu bytes): query row %u at byte %zu "
                                 "(context %u, type %u, state %u): %s",
                                 size, i, at, cid, type, state, why);
        }
        if (state == SNAP3D_QUERY_ACTIVE) {
            q->carry = value;
        } else {
            q->state = E3D_QUERY_ENDED;
            q->result = (uint32_t)value;
        }
    }
    return VGT_OK;
}

vgt_status vgt_executor_snapshot_load_3d(vgt_executor *ex, const void *data, size_t size,
                                         vgt_error *err)
{
    const uint8_t *p = data;
    size_t pos = 0;
    bool bad = false;
    uint32_t version = load32(p, size, &pos, &bad);
    uint32_t flags = load32(p, size, &pos, &bad);
    uint32_t count = load32(p, size, &pos, &bad);
    if (!bad && version != SNAP3D_VERSION) {
        vgt_executor_reset(ex);
        return vgt_error_set(err, VGT_E_VERSION,
                             "3D state snapshot: version %u (this build reads %u)", version,
                             SNAP3D_VERSION);
    }
    if (bad || (flags & ~(SNAP3D_F_ZEROS | SNAP3D_F_QUERIES))) {
        vgt_executor_reset(ex);
        return vgt_error_set(err, VGT_E_FORMAT, "3D state snapshot (%zu bytes): %s at byte %zu",
                             size, bad ? "header cut short" : "unknown flags",
                             bad ? pos : (size_t)4);
    }
    vgt_exec3d *e = ex->e3d;
    if (!e) {
        vgt_executor_reset(ex);
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "3D state snapshot: %u commands of 3D state, but this executor has "
                             "no 3D (replay with a 3D backend)",
                             count);
    }
    vgt_exec3d_counters counters = e->counters;
    vgt_guest_memory saved_mem = e->mem;
    payload_mem pm = {NULL, 0};
    e->mem = (vgt_guest_memory){.ctx = &pm, .read = payload_read, .write = payload_write};
    uint32_t *words = NULL;
    size_t words_cap = 0;
    vgt_status st = VGT_OK;
    vgt_error e2;
    vgt_error_clear(&e2);
    for (uint32_t k = 0; k < count && st == VGT_OK; k++) {
        size_t at = pos;
        vgt_error_clear(&e2);
        const char *why = NULL;
        const char *name = "";
        if (size - pos < SNAP3D_ENTRY_HEAD) {
            why = "entry header cut short";
            goto fail;
        }
        uint32_t nwords = vgt_load_le32(p + pos), pbytes = vgt_load_le32(p + pos + 4);
        pos += SNAP3D_ENTRY_HEAD;
        if (nwords < 2 || nwords > VGT_CMD_MAX_WORDS) {
            why = "command length out of range";
            goto fail;
        }
        if ((size - pos) / 4u < nwords) {
            why = "command cut short";
            goto fail;
        }
        if (words_cap < nwords) {
            uint32_t *w = realloc(words, (size_t)nwords * 4u);
            if (!w) {
                st = vgt_error_set(err, VGT_E_NOMEM, "3D state snapshot: out of memory");
                break;
            }
            words = w;
            words_cap = nwords;
        }
        for (uint32_t i = 0; i < nwords; i++) {
            words[i] = vgt_load_le32(p + pos + (size_t)i * 4u);
        }
        pos += (size_t)nwords * 4u;
        uint32_t total = 0;
        vgt_cmd cmd;
        if (vgt_cmd_length(words, nwords, &total, &e2) != VGT_OK) {
            why = "bad command length";
            goto fail;
        }
        if (total != nwords) {
            why = "the entry's word count is not the command's length";
            goto fail;
        }
        if (vgt_cmd_decode(words, nwords, &cmd, &e2) != VGT_OK) {
            why = "command does not decode";
            goto fail;
        }
        name = cmd.desc->name;
        if (!allowed(cmd.id)) {
            why = "command not allowed in a snapshot";
            goto fail;
        }
        bool dma = cmd.id == VGT_SVGA3D_CMD_SURFACE_DMA;
        if (dma && (cmd.u.surface_dma.transfer != VGT_SVGA3D_WRITE_HOST_VRAM ||
                    cmd.u.surface_dma.guest.ptr.gmr_id != SNAP3D_GMR)) {
            why = "SURFACE_DMA not from the inline payload";
            goto fail;
        }
        if ((!dma && pbytes) || pbytes > VGT_EXEC3D_MAX_DMA_BYTES) {
            why = "payload where none may be, or larger than one DMA";
            goto fail;
        }
        size_t padded = (size_t)pbytes + (4u - pbytes % 4u) % 4u;
        if (size - pos < padded) {
            why = "payload cut short";
            goto fail;
        }
        pm.p = p + pos;
        pm.len = pbytes;
        pos += padded;
        vgt_exec_result res;
        vgt_error_clear(&e2);
        st = vgt_executor_execute(ex, &cmd, &res, &e2);
        if (st != VGT_OK) {
            /* A command the executor refuses: malformed state, except where
             * this host cannot (memory, backend limits). */
            if (st != VGT_E_NOMEM && st != VGT_E_UNSUPPORTED) {
                st = VGT_E_FORMAT;
            }
            vgt_error_set(err, st, "3D state snapshot: entry %u (%s) at byte %zu: %s", k, name, at,
                          e2.message);
            break;
        }
        continue;
    fail:
        st = vgt_error_set(err, VGT_E_FORMAT,
                           "3D state snapshot (%zu bytes): entry %u%s%s at byte %zu: %s%s%s", size,
                           k, *name ? " " : "", name, at, why, e2.code != VGT_OK ? ": " : "",
                           e2.code != VGT_OK ? e2.message : "");
        break;
    }
    if (st == VGT_OK && (flags & SNAP3D_F_QUERIES)) {
        st = load_queries(e, p, size, &pos, err);
    }
    if (st == VGT_OK && pos != size) {
        st = vgt_error_set(err, VGT_E_FORMAT,
                           "3D state snapshot (%zu bytes): trailing bytes at byte %zu", size, pos);
    }
    free(words);
    e->mem = saved_mem;
    e->counters = counters;
    if (st != VGT_OK) {
        vgt_executor_reset(ex);
    }
    return st;
}
