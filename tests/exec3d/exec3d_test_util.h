/* exec3d_test_util.h - shared by the 3D executor tests: a fake guest memory
 * (a few GMRs of plain bytes, with a log of every access and an optional
 * failure), an executor with 3D on the null backend (or another), and a builder that
 * assembles one 3D command, decodes it and executes it. */
#ifndef EXEC3D_TEST_UTIL_H
#define EXEC3D_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "exec3d.h"
#include "vgt_replay.h"

#define FAKE_GMRS 4u

typedef struct fake_mem {
    uint8_t *gmr[FAKE_GMRS];
    uint32_t size[FAKE_GMRS];
    uint64_t reads, writes, read_bytes, written_bytes;
    bool fail_next; /* the next access fails (as a GMR that vanished would) */
} fake_mem;

static inline vgt_status fake_access(fake_mem *m, uint32_t gmr, uint32_t offset, uint32_t len,
                                     vgt_error *err)
{
    if (m->fail_next) {
        m->fail_next = false;
        return vgt_error_set(err, VGT_E_NOTFOUND, "GMR %u is not defined (injected)", gmr);
    }
    if (gmr == VGT_SVGA_GMR_FRAMEBUFFER) {
        gmr = FAKE_GMRS - 1u; /* the last GMR plays the VRAM */
    }
    if (gmr >= FAKE_GMRS || !m->gmr[gmr]) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "GMR %u is not defined", gmr);
    }
    if (!vgt_range_inside(offset, len, m->size[gmr])) {
        return vgt_error_set(err, VGT_E_RANGE, "GMR %u: [%u, +%u) outside its %u bytes", gmr,
                             offset, len, m->size[gmr]);
    }
    return VGT_OK;
}

static inline vgt_status fake_read(void *ctx, uint32_t gmr, uint32_t offset, void *dst,
                                   uint32_t len, vgt_error *err)
{
    fake_mem *m = ctx;
    vgt_status st = fake_access(m, gmr, offset, len, err);
    gmr = gmr == VGT_SVGA_GMR_FRAMEBUFFER ? FAKE_GMRS - 1u : gmr;
    if (st == VGT_OK) {
        memcpy(dst, m->gmr[gmr] + offset, len);
        m->reads++;
        m->read_bytes += len;
    }
    return st;
}

static inline vgt_status fake_write(void *ctx, uint32_t gmr, uint32_t offset, const void *src,
                                    uint32_t len, vgt_error *err)
{
    fake_mem *m = ctx;
    vgt_status st = fake_access(m, gmr, offset, len, err);
    gmr = gmr == VGT_SVGA_GMR_FRAMEBUFFER ? FAKE_GMRS - 1u : gmr;
    if (st == VGT_OK) {
        memcpy(m->gmr[gmr] + offset, src, len);
        m->writes++;
        m->written_bytes += len;
    }
    return st;
}

typedef struct t3d {
    fake_mem mem;
    vgt_executor *ex;
    vgt_exec3d *e;
    vgt_error err;
    vgt_exec_result res;
    uint32_t words[8192];
    uint32_t n;
} t3d;

/* An executor on `kind` with vgt_executor_config.max_anisotropy (0: none). */
static inline t3d *t3d_new_aniso(bool keep, vgt_backend_kind kind, uint32_t max_anisotropy)
{
    t3d *t = calloc(1, sizeof(*t));
    assert_non_null(t);
    for (uint32_t i = 0; i < FAKE_GMRS; i++) {
        t->mem.size[i] = 1u << 20;
        t->mem.gmr[i] = calloc(1, t->mem.size[i]);
        assert_non_null(t->mem.gmr[i]);
    }
    vgt_executor_config cfg = {
        .mem = {.ctx = &t->mem, .read = fake_read, .write = fake_write},
        .enable_3d = true,
        .backend = kind,
        .backend_options = {.keep_contents = keep},
        .vram_size = 1u << 20, /* the last GMR's size: screens' backing stores */
        .max_anisotropy = max_anisotropy,
    };
    vgt_status st = vgt_executor_create(&cfg, &t->ex, &t->err);
    if (st != VGT_OK) {
        fail_msg("executor on backend %d: %s", (int)kind, t->err.message);
    }
    t->e = vgt_exec_3d(t->ex);
    assert_non_null(t->e);
    return t;
}

static inline t3d *t3d_new_on(bool keep, vgt_backend_kind kind)
{
    return t3d_new_aniso(keep, kind, 0);
}

static inline t3d *t3d_new(bool keep)
{
    return t3d_new_on(keep, VGT_BACKEND_NULL);
}

static inline void t3d_free(t3d *t)
{
    vgt_executor_destroy(t->ex);
    for (uint32_t i = 0; i < FAKE_GMRS; i++) {
        free(t->mem.gmr[i]);
    }
    free(t);
}

/* Starts a command with id (header size filled by t3d_run). */
static inline void c_begin(t3d *t, uint32_t id)
{
    t->n = 0;
    t->words[t->n++] = id;
    t->words[t->n++] = 0;
}

static inline void c_u32(t3d *t, uint32_t v)
{
    assert_true(t->n < sizeof(t->words) / 4u);
    t->words[t->n++] = v;
}

static inline void c_f32(t3d *t, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    c_u32(t, u);
}

static inline void c_mem(t3d *t, const void *p, size_t bytes)
{
    assert_true(bytes % 4u == 0 && t->n + bytes / 4u <= sizeof(t->words) / 4u);
    memcpy(&t->words[t->n], p, bytes);
    t->n += (uint32_t)(bytes / 4u);
}

/* Decodes and executes the command built so far; returns the status (the
 * decoder must accept it). */
static inline vgt_status t3d_run(t3d *t)
{
    t->words[1] = (t->n - 2u) * 4u;
    vgt_cmd cmd;
    vgt_error derr = {0};
    vgt_status st = vgt_cmd_decode(t->words, t->n, &cmd, &derr);
    if (st != VGT_OK) {
        fail_msg("decode: %s", derr.message);
    }
    vgt_error_clear(&t->err);
    return vgt_executor_execute(t->ex, &cmd, &t->res, &t->err);
}

/* Runs and asserts the status; prints the message on a mismatch. */
#define RUN(t, expect)                                                                             \
    do {                                                                                           \
        vgt_status st_ = t3d_run(t);                                                               \
        if (st_ != (expect)) {                                                                     \
            fail_msg("%s:%d: status %d (%s), expected %d: %s", __FILE__, __LINE__, st_,            \
                     vgt_status_name(st_), (int)(expect), (t)->err.message);                       \
        }                                                                                          \
    } while (0)

/* ---- command shortcuts -------------------------------------------------- */

static inline void cmd_surface(t3d *t, uint32_t sid, uint32_t flags, uint32_t format, uint32_t mips,
                               uint32_t w, uint32_t h, uint32_t d)
{
    bool cube = flags & VGT_SVGA3D_SURFACE_CUBEMAP;
    c_begin(t, VGT_SVGA3D_CMD_SURFACE_DEFINE);
    c_u32(t, sid);
    c_u32(t, flags);
    c_u32(t, format);
    for (uint32_t f = 0; f < 6; f++) {
        c_u32(t, (f == 0 || cube) ? mips : 0);
    }
    for (uint32_t f = 0; f < (cube ? 6u : 1u); f++) {
        for (uint32_t m = 0; m < mips; m++) {
            c_u32(t, (w >> m) ? (w >> m) : 1);
            c_u32(t, (h >> m) ? (h >> m) : 1);
            c_u32(t, (d >> m) ? (d >> m) : 1);
        }
    }
}

static inline void cmd_dma(t3d *t, uint32_t gmr, uint32_t offset, uint32_t pitch, uint32_t sid,
                           uint32_t face, uint32_t mip, uint32_t transfer)
{
    c_begin(t, VGT_SVGA3D_CMD_SURFACE_DMA);
    c_u32(t, gmr);
    c_u32(t, offset);
    c_u32(t, pitch);
    c_u32(t, sid);
    c_u32(t, face);
    c_u32(t, mip);
    c_u32(t, transfer);
}

static inline void c_box(t3d *t, uint32_t x, uint32_t y, uint32_t z, uint32_t w, uint32_t h,
                         uint32_t d, uint32_t sx, uint32_t sy, uint32_t sz)
{
    uint32_t b[9] = {x, y, z, w, h, d, sx, sy, sz};
    c_mem(t, b, sizeof(b));
}

static inline void c_suffix(t3d *t, uint32_t max_offset, uint32_t flags)
{
    c_u32(t, 12);
    c_u32(t, max_offset);
    c_u32(t, flags);
}

static inline void cmd_cid(t3d *t, uint32_t id, uint32_t cid)
{
    c_begin(t, id);
    c_u32(t, cid);
}

static inline void cmd_rt(t3d *t, uint32_t cid, uint32_t type, uint32_t sid)
{
    c_begin(t, VGT_SVGA3D_CMD_SETRENDERTARGET);
    c_u32(t, cid);
    c_u32(t, type);
    c_u32(t, sid);
    c_u32(t, 0);
    c_u32(t, 0);
}

static inline void cmd_tex(t3d *t, uint32_t cid, uint32_t stage, uint32_t name, uint32_t value)
{
    c_begin(t, VGT_SVGA3D_CMD_SETTEXTURESTATE);
    c_u32(t, cid);
    c_u32(t, stage);
    c_u32(t, name);
    c_u32(t, value);
}

static inline void cmd_rs(t3d *t, uint32_t cid, uint32_t name, uint32_t value)
{
    c_begin(t, VGT_SVGA3D_CMD_SETRENDERSTATE);
    c_u32(t, cid);
    c_u32(t, name);
    c_u32(t, value);
}

/* SETTRANSFORM WORLD: a translation by (tx, ty). */
static inline void cmd_world(t3d *t, uint32_t cid, float tx, float ty)
{
    c_begin(t, VGT_SVGA3D_CMD_SETTRANSFORM);
    c_u32(t, cid);
    c_u32(t, VGT_SVGA3D_TRANSFORM_WORLD);
    const float m[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, tx, ty, 0, 1};
    c_mem(t, m, sizeof(m));
}

/* DRAW_PRIMITIVES with one FLOAT3 POSITION decl from vb (stride 12) and one
 * range: indexed from ib (2-byte indices) unless ib is INVALID. */
static inline void cmd_draw(t3d *t, uint32_t cid, uint32_t vb, uint32_t vb_offset, uint32_t prim,
                            uint32_t count, uint32_t ib, uint32_t ib_offset, int32_t bias)
{
    c_begin(t, VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    c_u32(t, cid);
    c_u32(t, 1);
    c_u32(t, 1);
    uint32_t decl[9] = {VGT_SVGA3D_DECLTYPE_FLOAT3,
                        VGT_SVGA3D_DECLMETHOD_DEFAULT,
                        VGT_SVGA3D_DECLUSAGE_POSITION,
                        0,
                        vb,
                        vb_offset,
                        12,
                        0,
                        0};
    c_mem(t, decl, sizeof(decl));
    uint32_t range[7] = {prim,
                         count,
                         ib,
                         ib_offset,
                         ib == VGT_SVGA3D_INVALID_ID ? 0u : 2u,
                         ib == VGT_SVGA3D_INVALID_ID ? 0u : 2u,
                         (uint32_t)bias};
    c_mem(t, range, sizeof(range));
}

static inline vgt_backend_null_counters t3d_counters(t3d *t)
{
    vgt_backend_null_counters n;
    assert_int_equal(vgt_backend_null_counters_get(vgt_executor_backend(t->ex), &n), VGT_OK);
    return n;
}

#endif
