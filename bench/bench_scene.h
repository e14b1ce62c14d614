/* bench_scene.h - what the executor benchmarks (soft_bench.c, bench_gl.c)
 * share to build their scenes: the vertex layout, a fake guest memory (GMR
 * 1), SVGA3D commands encoded, decoded and executed one at a time on an
 * executor, the texture they sample and a fill-rate timer.  Private to
 * bench/. */
#ifndef VGT_BENCH_SCENE_H
#define VGT_BENCH_SCENE_H

#include <stdbool.h>
#include <stdint.h>

#include "vgt_replay.h"

/* The benchmarks' vertex: POSITION (float3), COLOR0 (D3DCOLOR), TEXCOORD0 (float2). */
typedef struct bench_vtx {
    float x, y, z;
    uint32_t color;
    float u, v;
} bench_vtx;

/* The context id the scenes draw in. */
enum { BENCH_CID = 1 };

/* The size of bench_tex_fill's texture (square, A8R8G8B8). */
enum { BENCH_TEX_SIZE = 256 };

/* The guest memory: GMR 1 of `size` bytes at `gmr` (owned by the caller). */
typedef struct bench_mem {
    uint8_t *gmr;
    uint32_t size;
} bench_mem;

/* One command being built ({id, bytes, body}) and the executor it runs on;
 * the first failure is kept in err and later commands are skipped. */
typedef struct bench_cmd {
    vgt_executor *ex;
    uint32_t w[512];
    uint32_t n;
    vgt_error err;
    bool failed;
    /* Recording (bench_record_begin): commands are appended here instead of
     * executed, so that a timed loop runs only the executor (bench_play),
     * not the building of the commands, which is the guest's work. */
    bool recording;
    uint32_t *rec;
    size_t rec_len, rec_cap;
} bench_cmd;

/* Clears *c and creates its executor with 3D on `kind`, reading and writing
 * *mem (which must outlive the executor; vgt_executor_destroy(c->ex) frees it). */
vgt_status bench_cmd_open(bench_cmd *c, bench_mem *mem, vgt_backend_kind kind);
/* Starts a command `id` in c. */
void bench_begin(bench_cmd *c, uint32_t id);
/* Appends one word to the command (words past the buffer are dropped). */
void bench_put(bench_cmd *c, uint32_t v);
/* Appends one float to the command. */
void bench_putf(bench_cmd *c, float f);
/* Decodes and executes the command unless an earlier one failed (appends
 * it to the recording while recording). */
void bench_run(bench_cmd *c);
/* Starts recording the commands run from now on (forgets an older one). */
void bench_record_begin(bench_cmd *c);
/* Stops recording; the recorded words stay in c->rec until the next begin. */
void bench_record_end(bench_cmd *c);
/* Decodes and executes every recorded command, in order. */
void bench_play(bench_cmd *c);
/* Frees the recording (call before vgt_executor_destroy(c->ex) or after). */
void bench_record_free(bench_cmd *c);
/* SURFACE_DEFINE of a one-face, one-level surface w x h. */
void bench_define(bench_cmd *c, uint32_t sid, uint32_t format, uint32_t flags, uint32_t w,
                  uint32_t h);
/* SURFACE_DMA of w x h from GMR 1 offset 0 (rows `pitch` bytes apart) to sid. */
void bench_dma_up(bench_cmd *c, uint32_t sid, uint32_t pitch, uint32_t w, uint32_t h);
/* SETRENDERSTATE of one state. */
void bench_rs(bench_cmd *c, uint32_t state, uint32_t value);
/* SETTEXTURESTATE of one state of stage 0. */
void bench_ts(bench_cmd *c, uint32_t name, uint32_t value);
/* SETRENDERTARGET of `type` to sid (face 0, mip 0). */
void bench_target(bench_cmd *c, uint32_t type, uint32_t sid);
/* CONTEXT_DEFINE, the color and depth targets, no lighting, no culling. */
void bench_context(bench_cmd *c, uint32_t sid_rt, uint32_t sid_ds);
/* DRAW_PRIMITIVES of `prims` triangles (a list) from buffer sid, the vertices
 * starting `offset` bytes in. */
void bench_draw_at(bench_cmd *c, uint32_t sid, uint32_t offset, uint32_t prims);
/* DRAW_PRIMITIVES of `prims` triangles (a list) from the start of buffer sid. */
void bench_draw(bench_cmd *c, uint32_t sid, uint32_t prims);
/* CLEAR of color (opaque black) and depth (1.0). */
void bench_clear(bench_cmd *c);
/* Fills texels (BENCH_TEX_SIZE^2 words, little-endian) with the benchmarks'
 * half-transparent pattern. */
void bench_tex_fill(uint32_t *texels);
/* Mpixel/s of `frames` frames of size x size pixels since t0 (vgt_now_ns()). */
double bench_mpixel_s(uint32_t size, uint32_t frames, uint64_t t0);

#endif
