/* bench_scene.c - the scene building shared by the executor benchmarks
 * (see bench_scene.h). */
#include "bench_scene.h"

#include <stdlib.h>
#include <string.h>

static vgt_status mem_rw(void *ctx, uint32_t gmr, uint32_t off, void *buf, uint32_t len, bool write,
                         vgt_error *err)
{
    bench_mem *m = ctx;
    if (gmr != 1 || !vgt_range_inside(off, len, m->size)) {
        return vgt_error_set(err, VGT_E_RANGE, "bench: GMR %u offset %u length %u", gmr, off, len);
    }
    if (write) {
        memcpy(m->gmr + off, buf, len);
    } else {
        memcpy(buf, m->gmr + off, len);
    }
    return VGT_OK;
}

static vgt_status mem_read(void *ctx, uint32_t gmr, uint32_t off, void *dst, uint32_t len,
                           vgt_error *err)
{
    return mem_rw(ctx, gmr, off, dst, len, false, err);
}

static vgt_status mem_write(void *ctx, uint32_t gmr, uint32_t off, const void *src, uint32_t len,
                            vgt_error *err)
{
    return mem_rw(ctx, gmr, off, (void *)src, len, true, err);
}

vgt_status bench_cmd_open(bench_cmd *c, bench_mem *mem, vgt_backend_kind kind)
{
    memset(c, 0, sizeof(*c));
    vgt_executor_config cfg = {.mem = {.ctx = mem, .read = mem_read, .write = mem_write},
                               .enable_3d = true,
                               .backend = kind};
    if (vgt_executor_create(&cfg, &c->ex, &c->err) != VGT_OK) {
        return c->err.code ? c->err.code : VGT_E_UNSUPPORTED;
    }
    return VGT_OK;
}

void bench_begin(bench_cmd *c, uint32_t id)
{
    c->w[0] = id;
    c->n = 2;
}

void bench_put(bench_cmd *c, uint32_t v)
{
    if (c->n < sizeof(c->w) / sizeof(c->w[0])) {
        c->w[c->n++] = v;
    }
}

void bench_putf(bench_cmd *c, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    bench_put(c, u);
}

static void run_words(bench_cmd *c, const uint32_t *w, uint32_t n)
{
    vgt_cmd cmd;
    vgt_exec_result res;
    if (vgt_cmd_decode(w, n, &cmd, &c->err) != VGT_OK ||
        vgt_executor_execute(c->ex, &cmd, &res, &c->err) != VGT_OK) {
        vgt_error_prefix(&c->err, "%s", vgt_cmd_name(w[0]));
        c->failed = true;
    }
}

void bench_record_begin(bench_cmd *c)
{
    c->rec_len = 0;
    c->recording = true;
}

void bench_record_end(bench_cmd *c)
{
    c->recording = false;
}

void bench_play(bench_cmd *c)
{
    for (size_t i = 0; i < c->rec_len && !c->failed;) {
        uint32_t n = 2u + c->rec[i + 1] / 4u;
        run_words(c, c->rec + i, n);
        i += n;
    }
}

void bench_record_free(bench_cmd *c)
{
    free(c->rec);
    c->rec = NULL;
    c->rec_len = c->rec_cap = 0;
    c->recording = false;
}

void bench_run(bench_cmd *c)
{
    if (c->failed) {
        return;
    }
    c->w[1] = (c->n - 2u) * 4u;
    if (c->recording) {
        if (c->rec_cap - c->rec_len < c->n) {
            size_t cap = c->rec_cap ? c->rec_cap * 2 : 65536;
            while (cap - c->rec_len < c->n) {
                cap *= 2;
            }
            uint32_t *r = realloc(c->rec, cap * sizeof(*r));
            if (!r) {
                vgt_error_set(&c->err, VGT_E_NOMEM, "bench: out of memory for the recording");
                c->failed = true;
                return;
            }
            c->rec = r;
            c->rec_cap = cap;
        }
        memcpy(c->rec + c->rec_len, c->w, c->n * sizeof(uint32_t));
        c->rec_len += c->n;
        return;
    }
    run_words(c, c->w, c->n);
}

void bench_define(bench_cmd *c, uint32_t sid, uint32_t format, uint32_t flags, uint32_t w,
                  uint32_t h)
{
    bench_begin(c, VGT_SVGA3D_CMD_SURFACE_DEFINE);
    bench_put(c, sid);
    bench_put(c, flags);
    bench_put(c, format);
    bench_put(c, 1);
    for (int i = 0; i < 5; i++) {
        bench_put(c, 0);
    }
    bench_put(c, w);
    bench_put(c, h);
    bench_put(c, 1);
    bench_run(c);
}

void bench_dma_up(bench_cmd *c, uint32_t sid, uint32_t pitch, uint32_t w, uint32_t h)
{
    bench_begin(c, VGT_SVGA3D_CMD_SURFACE_DMA);
    uint32_t b[] = {1, 0, pitch, sid, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM, 0, 0, 0, w, h, 1, 0, 0, 0};
    for (size_t i = 0; i < sizeof(b) / 4; i++) {
        bench_put(c, b[i]);
    }
    bench_run(c);
}

void bench_rs(bench_cmd *c, uint32_t state, uint32_t value)
{
    bench_begin(c, VGT_SVGA3D_CMD_SETRENDERSTATE);
    bench_put(c, BENCH_CID);
    bench_put(c, state);
    bench_put(c, value);
    bench_run(c);
}

void bench_ts(bench_cmd *c, uint32_t name, uint32_t value)
{
    bench_begin(c, VGT_SVGA3D_CMD_SETTEXTURESTATE);
    bench_put(c, BENCH_CID);
    bench_put(c, 0);
    bench_put(c, name);
    bench_put(c, value);
    bench_run(c);
}

void bench_target(bench_cmd *c, uint32_t type, uint32_t sid)
{
    bench_begin(c, VGT_SVGA3D_CMD_SETRENDERTARGET);
    bench_put(c, BENCH_CID);
    bench_put(c, type);
    bench_put(c, sid);
    bench_put(c, 0);
    bench_put(c, 0);
    bench_run(c);
}

void bench_context(bench_cmd *c, uint32_t sid_rt, uint32_t sid_ds)
{
    bench_begin(c, VGT_SVGA3D_CMD_CONTEXT_DEFINE);
    bench_put(c, BENCH_CID);
    bench_run(c);
    bench_target(c, VGT_SVGA3D_RT_COLOR0, sid_rt);
    bench_target(c, VGT_SVGA3D_RT_DEPTH, sid_ds);
    bench_rs(c, VGT_SVGA3D_RS_LIGHTINGENABLE, 0);
    bench_rs(c, VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE);
}

void bench_draw_at(bench_cmd *c, uint32_t sid, uint32_t offset, uint32_t prims)
{
    bench_begin(c, VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    bench_put(c, BENCH_CID);
    bench_put(c, 3);
    bench_put(c, 1);
    const uint32_t decl[3][4] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_POSITION, 0, 0},
        {VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR, 0, 12},
        {VGT_SVGA3D_DECLTYPE_FLOAT2, VGT_SVGA3D_DECLUSAGE_TEXCOORD, 0, 16},
    };
    for (int k = 0; k < 3; k++) {
        uint32_t d[9] = {decl[k][0],        0, decl[k][1], decl[k][2], sid, decl[k][3] + offset,
                         sizeof(bench_vtx), 0, 0};
        for (int i = 0; i < 9; i++) {
            bench_put(c, d[i]);
        }
    }
    uint32_t r[7] = {VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, prims, VGT_SVGA3D_INVALID_ID, 0, 0, 0, 0};
    for (int i = 0; i < 7; i++) {
        bench_put(c, r[i]);
    }
    bench_run(c);
}

void bench_draw(bench_cmd *c, uint32_t sid, uint32_t prims)
{
    bench_draw_at(c, sid, 0, prims);
}

void bench_clear(bench_cmd *c)
{
    bench_begin(c, VGT_SVGA3D_CMD_CLEAR);
    bench_put(c, BENCH_CID);
    bench_put(c, VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_COLOR);
    bench_put(c, 0xFF000000u);
    bench_putf(c, 1.0f);
    bench_put(c, 0);
    bench_run(c);
}

void bench_tex_fill(uint32_t *texels)
{
    for (uint32_t y = 0; y < BENCH_TEX_SIZE; y++) {
        for (uint32_t x = 0; x < BENCH_TEX_SIZE; x++) {
            vgt_store_le32(&texels[y * BENCH_TEX_SIZE + x],
                           0x80000000u | (x << 16) | (y << 8) | ((x ^ y) & 0xffu));
        }
    }
}

double bench_mpixel_s(uint32_t size, uint32_t frames, uint64_t t0)
{
    double s = (double)(vgt_now_ns() - t0) / 1e9;
    return (double)size * size * frames / s / 1e6;
}
