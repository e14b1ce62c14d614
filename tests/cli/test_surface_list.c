/* test_surface_list.c - vgt_surface_list (vgt surfaces) on a hand-made
 * trace whose every define and use is known: a cube map with mips, a
 * volume with mips, SURFACE_DMA up and down with several boxes (an empty
 * one, a DXT1 one, one the executor refuses), a copy and a stretchblt, a
 * colour target and a depth-stencil bound to two slots across draws and
 * clears, a texture on two stages, vertex and index buffers, a
 * SETTEXTURESTATE the executor refuses, presents, a destroy of a bound
 * texture and a draw after it, a redefinition of a bound target and a
 * draw after it, the destroyed texture's sid defined again (not bound), a
 * SETRENDERTARGET of a BUFFER (refused), a DMA of an empty box only, a
 * draw of a context without a target, clears of planes without their
 * target (refused) and with them, defines the executor refuses (a
 * mip chain too long, past the budget of all surfaces) and one an ERROR
 * record names; --frames; the CLI's listing, JSON and --sort. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trace_writer_util.h"
#include "vgt_format.h"
#include "vgt_replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[1024];
static char trace[1100];

#define INVALID VGT_SVGA3D_INVALID_ID
#define CUBE    VGT_SVGA3D_SURFACE_CUBEMAP
#define TEX     VGT_SVGA3D_SURFACE_HINT_TEXTURE
#define RT      VGT_SVGA3D_SURFACE_HINT_RENDERTARGET

/* SURFACE_DEFINE (ms 0) or SURFACE_DEFINE_V2 (ms: its multisample count + 1)
 * of faces x mips levels of a w x h x d level 0 (the mip chain halving). */
static void define(tw *t, uint32_t sid, uint32_t flags, uint32_t format, uint32_t w, uint32_t h,
                   uint32_t d, uint32_t mips, uint32_t ms)
{
    uint32_t c[64] = {ms ? VGT_SVGA3D_CMD_SURFACE_DEFINE_V2 : VGT_SVGA3D_CMD_SURFACE_DEFINE,
                      0,
                      sid,
                      flags,
                      format,
                      mips};
    uint32_t faces = (flags & CUBE) ? 6u : 1u, n = 11;
    for (uint32_t f = 1; f < faces; f++) {
        c[5 + f] = mips;
    }
    if (ms) {
        c[n++] = ms - 1u;
        c[n++] = 0;
    }
    for (uint32_t f = 0; f < faces; f++) {
        for (uint32_t m = 0; m < mips; m++) {
            c[n++] = w >> m ? w >> m : 1u;
            c[n++] = h >> m ? h >> m : 1u;
            c[n++] = d >> m ? d >> m : 1u;
        }
    }
    tw_cmd(t, c, n);
}

/* SURFACE_DMA of (sid, face, mip), up (guest -> surface) or down, of nbox
 * boxes {x, y, z, w, h, d} (the guest origin 0). */
static void dma(tw *t, uint32_t sid, uint32_t face, uint32_t mip, bool up, const uint32_t *boxes,
                uint32_t nbox)
{
    uint32_t c[64] = {VGT_SVGA3D_CMD_SURFACE_DMA,
                      0,
                      1,
                      0,
                      0,
                      sid,
                      face,
                      mip,
                      up ? VGT_SVGA3D_WRITE_HOST_VRAM : VGT_SVGA3D_READ_HOST_VRAM};
    uint32_t n = 9;
    for (uint32_t i = 0; i < nbox; i++, n += 9) {
        memcpy(c + n, boxes + 6 * i, 6 * 4);
    }
    tw_cmd(t, c, n);
}

static void set_rt_in(tw *t, uint32_t cid, uint32_t type, uint32_t sid)
{
    const uint32_t c[] = {VGT_SVGA3D_CMD_SETRENDERTARGET, 0, cid, type, sid, 0, 0};
    tw_cmd(t, c, 7);
}

static void set_rt(tw *t, uint32_t type, uint32_t sid)
{
    set_rt_in(t, 1, type, sid);
}

/* SETTEXTURESTATE of context 1 binding n stages: {stage, sid} pairs. */
static void bind_tex(tw *t, const uint32_t *pairs, uint32_t n)
{
    uint32_t c[32] = {VGT_SVGA3D_CMD_SETTEXTURESTATE, 0, 1};
    for (uint32_t i = 0; i < n; i++) {
        c[3 + 3 * i] = pairs[2 * i];
        c[4 + 3 * i] = VGT_SVGA3D_TS_BIND_TEXTURE;
        c[5 + 3 * i] = pairs[2 * i + 1];
    }
    tw_cmd(t, c, 3 + 3 * n);
}

static void clear(tw *t)
{
    tw_clear(t, 1, VGT_SVGA3D_CLEAR_COLOR);
}

static void draw(tw *t, uint32_t vb, uint32_t ib)
{
    tw_draw(t, 1, vb, ib);
}

/* Seqs as written (frame 0 up to 30, frame 1 after):
 *   0 CONTEXT_DEFINE 1
 *   1 sid 1 cube A8R8G8B8 4x4, 2 mips (480 bytes)   2 sid 2 volume 4x4x4,
 *   3 mips (292)   3 sid 3 V2 ms 4 X8R8G8B8 8x8 (256)   4 sid 4 Z_D24S8
 *   8x8 (256)   5 sid 5 BUFFER 96   6 sid 6 BUFFER 12   7 sid 7 DXT1 8x8
 *   (32)   8 sid 8 X8R8G8B8 8x8 (256)
 *   9 DMA up sid 1 face 3: 4x2 + 4x2 + an empty box (64 bytes)
 *   10 DMA up sid 1 face 5 mip 1: 2x2 (16)   11 DMA up sid 2: 4x4x2 and
 *   2x2x2 at z 2 (160)   12 DMA down sid 3: 8x8 and 2x2 (272)   13 DMA up
 *   sid 7: 8x4 of DXT1 (16)   14 DMA up sid 5 (96)   15 DMA up sid 6 (12)
 *   16 DMA up sid 1 face 0: 2x2, then 8x8 outside the 4x4 image: the
 *   command refused
 *   17 SURFACE_COPY 3 -> 8   18 SURFACE_STRETCHBLT 8 -> 3
 *   19 SETRENDERTARGET COLOR0 3   20 DEPTH 4   21 STENCIL 4
 *   22 SETTEXTURESTATE stage 0 sid 1, stage 3 sid 1, stage 1 sid 2
 *   23 CLEAR   24 DRAW (vb 5, ib 6)   25 DRAW (vb 5, not indexed)
 *   26 SETTEXTURESTATE stage 1 unbound   27 DRAW (5, 6)   28 CLEAR
 *   29 SETTEXTURESTATE stage 1 sid 7, stage 2 sid 99 (undefined): refused
 *   30 PRESENT 3
 *   31 BLIT_SURFACE_TO_SCREEN 3   32 DESTROY 2   33 DESTROY 1 (bound to
 *   stages 0 and 3)   34 DRAW (5, 6: no texture)   35 sid 3 defined again
 *   (unbound)   36 DRAW (5, 6: depth 4 only)   37 sid 9 A8R8G8B8 8x8 of 5
 *   mips (refused: at most 4)   38 sid 10 (an ERROR record names it)
 *   39 sid 1 A8R8G8B8 2x2 (defined again after its destroy: not bound to
 *   the stages the destroy unbound; never used)   40 SETRENDERTARGET COLOR1
 *   sid 5 (a BUFFER: refused)   41 DRAW (5, 6: depth 4 only)   42 DESTROY
 *   99 (not defined)   43 DMA up sid 7 of one empty box (moves nothing: not
 *   counted)   44 CONTEXT_DEFINE 2   45 DRAW in context 2 (no target:
 *   refused)   46 sid 12 A8R8G8B8 32768x32768 (4 GiB: past the budget of
 *   all surfaces, refused)   47 SURFACE_COPY 3 -> 8 mip 1 (sid 8 has one
 *   level: refused)   48 SETRENDERTARGET COLOR0 of context 2: sid 8
 *   49 DRAW in context 2 (vb 5, not indexed)   50 CLEAR COLOR|DEPTH in
 *   context 2 (no depth target: refused)   51 CLEAR DEPTH|STENCIL in
 *   context 1 (sid 4 in both slots)   52 CLEAR COLOR in context 2
 *   53 CLEAR STENCIL in context 2 (no stencil bits bound: refused)
 *   54 CLEAR COLOR|DEPTH in context 1 (its colour target went with sid
 *   3's redefinition: refused)   55 GENERATE_MIPMAPS sid 8 (one level:
 *   taken, nothing to do)   56 of sid 4 (depth) and 57 of sid 7 (DXT1):
 *   refused   58 of sid 99 (not defined)   59 of sid 8 (an ERROR record
 *   names it)   60 of sid 8 */
static void write_trace(const char *path)
{
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1);
    define(&t, 1, CUBE | TEX, VGT_SVGA3D_A8R8G8B8, 4, 4, 1, 2, 0);
    define(&t, 2, TEX, VGT_SVGA3D_A8R8G8B8, 4, 4, 4, 3, 0);
    define(&t, 3, RT, VGT_SVGA3D_X8R8G8B8, 8, 8, 1, 1, 5);
    define(&t, 4, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL, VGT_SVGA3D_Z_D24S8, 8, 8, 1, 1, 0);
    define(&t, 5, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER, 96, 1, 1, 1, 0);
    define(&t, 6, VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER, VGT_SVGA3D_BUFFER, 12, 1, 1, 1, 0);
    define(&t, 7, TEX, VGT_SVGA3D_DXT1, 8, 8, 1, 1, 0);
    define(&t, 8, RT | TEX, VGT_SVGA3D_X8R8G8B8, 8, 8, 1, 1, 0);
    const uint32_t b9[] = {0, 0, 0, 4, 2, 1, 0, 2, 0, 4, 2, 1, 1, 1, 0, 0, 1, 1};
    dma(&t, 1, 3, 0, true, b9, 3);
    const uint32_t b10[] = {0, 0, 0, 2, 2, 1};
    dma(&t, 1, 5, 1, true, b10, 1);
    const uint32_t b11[] = {0, 0, 0, 4, 4, 2, 0, 0, 2, 2, 2, 2};
    dma(&t, 2, 0, 0, true, b11, 2);
    const uint32_t b12[] = {0, 0, 0, 8, 8, 1, 2, 2, 0, 2, 2, 1};
    dma(&t, 3, 0, 0, false, b12, 2);
    const uint32_t b13[] = {0, 0, 0, 8, 4, 1};
    dma(&t, 7, 0, 0, true, b13, 1);
    const uint32_t b14[] = {0, 0, 0, 96, 1, 1};
    dma(&t, 5, 0, 0, true, b14, 1);
    const uint32_t b15[] = {0, 0, 0, 12, 1, 1};
    dma(&t, 6, 0, 0, true, b15, 1);
    const uint32_t b16[] = {0, 0, 0, 2, 2, 1, 0, 0, 0, 8, 8, 1};
    dma(&t, 1, 0, 0, true, b16, 2);
    const uint32_t copy[] = {
        VGT_SVGA3D_CMD_SURFACE_COPY, 0, 3, 0, 0, 8, 0, 0, 0, 0, 0, 8, 8, 1, 0, 0, 0};
    tw_cmd(&t, copy, sizeof(copy) / 4);
    const uint32_t blt[] = {
        VGT_SVGA3D_CMD_SURFACE_STRETCHBLT, 0, 8, 0, 0, 3, 0, 0, 0, 0, 0, 8, 8, 1, 0, 0, 0, 4, 4, 1,
        VGT_SVGA3D_STRETCH_BLT_POINT};
    tw_cmd(&t, blt, sizeof(blt) / 4);
    set_rt(&t, VGT_SVGA3D_RT_COLOR0, 3);
    set_rt(&t, VGT_SVGA3D_RT_DEPTH, 4);
    set_rt(&t, VGT_SVGA3D_RT_STENCIL, 4);
    const uint32_t tex22[] = {0, 1, 3, 1, 1, 2};
    bind_tex(&t, tex22, 3);
    clear(&t);
    draw(&t, 5, 6);
    draw(&t, 5, INVALID);
    const uint32_t tex26[] = {1, INVALID};
    bind_tex(&t, tex26, 1);
    draw(&t, 5, 6);
    clear(&t);
    const uint32_t tex29[] = {1, 7, 2, 99};
    bind_tex(&t, tex29, 2);
    tw_cmd3(&t, VGT_SVGA3D_CMD_PRESENT, 3);
    tw_end_frame(&t, 0, 1);
    const uint32_t blit[] = {
        VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN, 0, 3, 0, 0, 0, 0, 8, 8, 0, 0, 0, 8, 8};
    tw_cmd(&t, blit, sizeof(blit) / 4);
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 2);
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 1);
    draw(&t, 5, 6);
    define(&t, 3, RT, VGT_SVGA3D_X8R8G8B8, 8, 8, 1, 1, 0);
    draw(&t, 5, 6);
    define(&t, 9, TEX, VGT_SVGA3D_A8R8G8B8, 8, 8, 1, 5, 0);
    tw_error(&t, 38, 1, "refused");
    define(&t, 10, TEX, VGT_SVGA3D_A8R8G8B8, 8, 8, 1, 1, 0);
    define(&t, 1, TEX, VGT_SVGA3D_A8R8G8B8, 2, 2, 1, 1, 0);
    set_rt(&t, VGT_SVGA3D_RT_COLOR1, 5);
    draw(&t, 5, 6);
    tw_cmd3(&t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 99);
    const uint32_t b43[] = {0, 0, 0, 0, 8, 1};
    dma(&t, 7, 0, 0, true, b43, 1);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 2);
    tw_draw(&t, 2, 5, INVALID);
    define(&t, 12, TEX, VGT_SVGA3D_A8R8G8B8, 32768, 32768, 1, 1, 0);
    const uint32_t copy47[] = {
        VGT_SVGA3D_CMD_SURFACE_COPY, 0, 3, 0, 0, 8, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0};
    tw_cmd(&t, copy47, sizeof(copy47) / 4);
    set_rt_in(&t, 2, VGT_SVGA3D_RT_COLOR0, 8);
    tw_draw(&t, 2, 5, INVALID);
    tw_clear(&t, 2, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH);
    tw_clear(&t, 1, VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL);
    tw_clear(&t, 2, VGT_SVGA3D_CLEAR_COLOR);
    tw_clear(&t, 2, VGT_SVGA3D_CLEAR_STENCIL);
    tw_clear(&t, 1, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH);
    const uint32_t gen_sids[] = {8, 4, 7, 99, 8, 8};
    for (size_t i = 0; i < sizeof(gen_sids) / sizeof(gen_sids[0]); i++) {
        const uint32_t gen[] = {VGT_SVGA3D_CMD_GENERATE_MIPMAPS, 0, gen_sids[i],
                                VGT_SVGA3D_TEX_FILTER_LINEAR};
        tw_cmd(&t, gen, 4);
    }
    tw_error(&t, 59, 1, "refused");
    tw_end_frame(&t, 1, 2);
    tw_close(&t);
}

static int setup(void **state)
{
    (void)state;
    if (tw_tmpdir_make(tmpdir, sizeof(tmpdir), "surface-list") != 0) {
        return -1;
    }
    snprintf(trace, sizeof(trace), "%s/t.vgt", tmpdir);
    write_trace(trace);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return tw_tmpdir_remove(tmpdir);
}

static void list_of(const char *path, const vgt_surface_list_options *o, vgt_surface_list_result *r)
{
    vgt_trace_reader *rd;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(path, NULL, &rd, &err), VGT_OK);
    vgt_status st = vgt_surface_list(rd, o, r, &err);
    vgt_trace_reader_close(rd);
    if (st != VGT_OK) {
        fail_msg("vgt_surface_list: %s", err.message);
    }
}

static void list(const vgt_surface_list_options *o, vgt_surface_list_result *r)
{
    list_of(trace, o, r);
}

/* What one define must be: every column. */
typedef struct want {
    uint64_t seq, frame;
    uint32_t sid, format, flags, w, h, d, faces, mips;
    bool v2;
    uint32_t ms;
    uint64_t storage, up, up_bytes, down, down_bytes, cin, cout, rt_draws, rt_clears, tex, vb, ib,
        pres;
    const char *refused; /* a part of the reason, or NULL */
    vgt_surface_def_end end;
    uint64_t end_seq;
    uint64_t mipgen; /* last: the rows without it have none */
} want;

#define A8 VGT_SVGA3D_A8R8G8B8
#define X8 VGT_SVGA3D_X8R8G8B8
#define BF VGT_SVGA3D_BUFFER
#define NO UINT64_MAX
#define DE VGT_SURFACE_END_DESTROY
#define RD VGT_SURFACE_END_REDEFINE
#define AL VGT_SURFACE_END_NONE

// clang-format off
/* one define a row */
static const want wants[] = {
    /* seq fr sid fmt flags w h d fc mips v2 ms | storage up upb down downb cin cout rtd rtc tex
     * vb ib pres | refused end end_seq */
    {1, 0, 1, A8, CUBE | TEX, 4, 4, 1, 6, 2, false, 0,
     480, 2, 80, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, NULL, DE, 33, 0},
    {2, 0, 2, A8, TEX, 4, 4, 4, 1, 3, false, 0,
     292, 1, 160, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, NULL, DE, 32, 0},
    {3, 0, 3, X8, RT, 8, 8, 1, 1, 1, true, 4,
     256, 0, 0, 1, 272, 1, 1, 4, 2, 0, 0, 0, 2, NULL, RD, 35, 0},
    {4, 0, 4, VGT_SVGA3D_Z_D24S8, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL, 8, 8, 1, 1, 1, false, 0,
     256, 0, 0, 0, 0, 0, 0, 6, 3, 0, 0, 0, 0, NULL, AL, NO, 0},
    {5, 0, 5, BF, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, 96, 1, 1, 1, 1, false, 0,
     96, 1, 96, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, NULL, AL, NO, 0},
    {6, 0, 6, BF, VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER, 12, 1, 1, 1, 1, false, 0,
     12, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, NULL, AL, NO, 0},
    {7, 0, 7, VGT_SVGA3D_DXT1, TEX, 8, 8, 1, 1, 1, false, 0,
     32, 1, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, AL, NO, 0},
    {8, 0, 8, X8, RT | TEX, 8, 8, 1, 1, 1, false, 0,
     256, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, NULL, AL, NO, 2},
    {35, 1, 3, X8, RT, 8, 8, 1, 1, 1, false, 0,
     256, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, AL, NO, 0},
    {37, 1, 9, A8, TEX, 8, 8, 1, 1, 5, false, 0,
     0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "5 mip levels for a 8x8x1 level 0 (at most 4)", AL, NO, 0},
    {38, 1, 10, A8, TEX, 8, 8, 1, 1, 1, false, 0,
     0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "an ERROR record", AL, NO, 0},
    {39, 1, 1, A8, TEX, 2, 2, 1, 1, 1, false, 0,
     16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, AL, NO, 0},
    {46, 1, 12, A8, TEX, 32768, 32768, 1, 1, 1, false, 0,
     0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "budget of all surfaces", AL, NO, 0},
};
// clang-format on

static void check(const vgt_surface_def *d, const want *x)
{
    const uint64_t got[] = {d->seq,
                            d->frame,
                            d->sid,
                            d->format,
                            d->flags,
                            d->width,
                            d->height,
                            d->depth,
                            d->faces,
                            d->mips,
                            d->v2,
                            d->multisample,
                            d->storage,
                            d->uploads,
                            d->upload_bytes,
                            d->downloads,
                            d->download_bytes,
                            d->copies_in,
                            d->copies_out,
                            d->rt_draws,
                            d->rt_clears,
                            d->tex_draws,
                            d->vertex_draws,
                            d->index_draws,
                            d->presents,
                            d->refused,
                            d->end,
                            d->end_seq,
                            d->mip_generations};
    const uint64_t exp[] = {x->seq,        x->frame,
                            x->sid,        x->format,
                            x->flags,      x->w,
                            x->h,          x->d,
                            x->faces,      x->mips,
                            x->v2,         x->ms,
                            x->storage,    x->up,
                            x->up_bytes,   x->down,
                            x->down_bytes, x->cin,
                            x->cout,       x->rt_draws,
                            x->rt_clears,  x->tex,
                            x->vb,         x->ib,
                            x->pres,       x->refused != NULL,
                            x->end,        x->end_seq,
                            x->mipgen};
    static const char *const names[] = {"seq",
                                        "frame",
                                        "sid",
                                        "format",
                                        "flags",
                                        "width",
                                        "height",
                                        "depth",
                                        "faces",
                                        "mips",
                                        "v2",
                                        "multisample",
                                        "storage",
                                        "uploads",
                                        "upload_bytes",
                                        "downloads",
                                        "download_bytes",
                                        "copies_in",
                                        "copies_out",
                                        "rt_draws",
                                        "rt_clears",
                                        "tex_draws",
                                        "vertex_draws",
                                        "index_draws",
                                        "presents",
                                        "refused",
                                        "end",
                                        "end_seq",
                                        "mip_generations"};
    for (size_t i = 0; i < sizeof(got) / sizeof(got[0]); i++) {
        if (got[i] != exp[i]) {
            fail_msg("define at seq %llu (sid %u): %s is %llu, expected %llu",
                     (unsigned long long)x->seq, x->sid, names[i], (unsigned long long)got[i],
                     (unsigned long long)exp[i]);
        }
    }
    if (x->refused && !strstr(d->reason, x->refused)) {
        fail_msg("sid %u: reason '%s' does not say '%s'", x->sid, d->reason, x->refused);
    }
}

static void every_column(void **state)
{
    (void)state;
    vgt_surface_list_result r;
    list(NULL, &r);
    size_t n = sizeof(wants) / sizeof(wants[0]);
    assert_int_equal(r.ndefs, n);
    for (size_t i = 0; i < n; i++) {
        check(&r.defs[i], &wants[i]);
    }
    /* 7 draws and 4 clears ran: the draws after the destroy and the
     * redefinition still ran (on the targets left) */
    assert_int_equal(r.draws, 7);
    assert_int_equal(r.clears, 4);
    assert_int_equal(r.walk.rejected, 2);
    assert_int_equal(r.walk.first_frame, 0);
    assert_int_equal(r.walk.last_frame, 1);
    assert_false(r.walk.has_snapshot);
    assert_false(r.walk.skipped);
    vgt_surface_list_free(&r);
}

static void frames_select(void **state)
{
    (void)state;
    vgt_surface_list_result r;
    vgt_surface_list_options o = {.frames = true, .first_frame = 1, .last_frame = 1};
    list(&o, &r);
    assert_int_equal(r.ndefs, 5);
    for (size_t i = 0; i < 5; i++) {
        check(&r.defs[i], &wants[8 + i]);
    }
    o.first_frame = o.last_frame = 0;
    vgt_surface_list_free(&r);
    list(&o, &r);
    /* frame 0's surfaces with the uses of frame 1 (sid 1's destroy, sid 3's
     * redefinition) */
    assert_int_equal(r.ndefs, 8);
    for (size_t i = 0; i < 8; i++) {
        check(&r.defs[i], &wants[i]);
    }
    vgt_surface_list_free(&r);
}

/* The first n defines of r as rows says, one a define: sid, draws into, clears
 * of, draws textured by, vertex draws, index draws. */
static void assert_draw_counts(const vgt_surface_list_result *r, const uint64_t (*rows)[6],
                               uint32_t n)
{
    assert_true(r->ndefs >= n);
    for (uint32_t i = 0; i < n; i++) {
        const vgt_surface_def *d = &r->defs[i];
        const uint64_t got[6] = {d->sid,       d->rt_draws,     d->rt_clears,
                                 d->tex_draws, d->vertex_draws, d->index_draws};
        if (memcmp(got, rows[i], sizeof(got)) != 0) {
            fail_msg("define %u: sid %llu, rt_draws %llu, rt_clears %llu, tex_draws %llu, "
                     "vertex_draws %llu, index_draws %llu",
                     i, (unsigned long long)got[0], (unsigned long long)got[1],
                     (unsigned long long)got[2], (unsigned long long)got[3],
                     (unsigned long long)got[4], (unsigned long long)got[5]);
        }
    }
}

/* Draws and clears the executor refuses for their targets' sizes count
 * for no surface (e3d_check_target_sizes, through the tracker):
 *   0 CONTEXT_DEFINE 1   1 sid 1 X8R8G8B8 8x8   2 sid 2 X8R8G8B8 8x4
 *   3 sid 3 Z_D16 4x8   4 sid 4 A8R8G8B8 4x4 (texture)   5 sid 5 BUFFER 72
 *   6 COLOR0 1   7 stage 0: 4   8 DRAW: runs   9 CLEAR COLOR: runs
 *   10 COLOR1 2   11 DRAW: 8x4 beside 8x8, refused   12 CLEAR COLOR: refused
 *   13 COLOR1 none   14 DEPTH 3   15 DRAW: depth narrower, refused
 *   16 CLEAR DEPTH: runs (no size rule)   17 DRAW with sid 5's vertices
 *   refused the same */
static void refused_for_sizes(void **state)
{
    (void)state;
    char path[1200];
    snprintf(path, sizeof(path), "%s/sizes.vgt", tmpdir);
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1);
    define(&t, 1, RT, X8, 8, 8, 1, 1, 0);
    define(&t, 2, RT, X8, 8, 4, 1, 1, 0);
    define(&t, 3, 0, VGT_SVGA3D_Z_D16, 4, 8, 1, 1, 0);
    define(&t, 4, 0, A8, 4, 4, 1, 1, 0);
    define(&t, 5, 0, BF, 72, 1, 1, 1, 0); /* what tw_draw reads */
    set_rt(&t, VGT_SVGA3D_RT_COLOR0, 1);
    const uint32_t stage0[] = {0, 4};
    bind_tex(&t, stage0, 1);
    draw(&t, 5, VGT_SVGA3D_INVALID_ID);
    clear(&t);
    set_rt(&t, VGT_SVGA3D_RT_COLOR0 + 1u, 2);
    draw(&t, 5, VGT_SVGA3D_INVALID_ID);
    clear(&t);
    set_rt(&t, VGT_SVGA3D_RT_COLOR0 + 1u, VGT_SVGA3D_INVALID_ID);
    set_rt(&t, VGT_SVGA3D_RT_DEPTH, 3);
    draw(&t, 5, VGT_SVGA3D_INVALID_ID);
    tw_clear(&t, 1, VGT_SVGA3D_CLEAR_DEPTH);
    draw(&t, 5, VGT_SVGA3D_INVALID_ID);
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    vgt_surface_list_result r;
    list_of(path, NULL, &r);
    assert_int_equal(r.ndefs, 5);
    assert_int_equal(r.draws, 1);
    assert_int_equal(r.clears, 2);
    static const uint64_t counts[5][6] = {{1, 1, 2, 0, 0, 0},
                                          {2, 0, 0, 0, 0, 0},
                                          {3, 0, 1, 0, 0, 0},
                                          {4, 0, 0, 1, 0, 0},
                                          {5, 0, 0, 0, 1, 0}};
    assert_draw_counts(&r, counts, 5);
    vgt_surface_list_free(&r);
    tw_shell_ok("'%s/vgt' surfaces '%s' > '%s/sizes.txt'", VGT_BINARY_DIR, path, tmpdir);
    tw_shell_ok("grep -qx 'never used: 1; never destroyed: 5' '%s/sizes.txt'", tmpdir);
    tw_shell_ok("'%s/vgt' surfaces '%s' --json | jq -e -s 'map(select(.type == \"summary\"))[0] "
                "| .draws == 1 and .clears == 2 and .never_used == 1' >/dev/null",
                VGT_BINARY_DIR, path);
}

/* Draws the executor refuses for their vertex declarations or ranges
 * count for no surface (e3d_check_draw, through the tracker):
 *   0 CONTEXT_DEFINE 1   1 sid 1 X8R8G8B8 8x8   2 sid 4 A8R8G8B8 4x4
 *   3 sid 5 BUFFER 72   4 sid 6 BUFFER 36   5 sid 7 BUFFER 6 (three
 *   indices)   6 sid 8 BUFFER 4   7 COLOR0 1   8 stage 0: 4
 *   9 DRAW from 5: runs   10 DRAW from 6: 72 bytes of 36, refused
 *   11 DRAW from 5 indexed from 7: runs   12 indexed from 4: not an index
 *   buffer, refused   13 DRAW from 4: not a vertex buffer, refused
 *   14 indexed from 8: 6 bytes of 4, refused   15 DRAW from 6 whose
 *   declaration's type is past the last (the decoder refuses it)
 * 6 and 8 are never used. */
static void refused_for_ranges(void **state)
{
    (void)state;
    char path[1200];
    snprintf(path, sizeof(path), "%s/ranges.vgt", tmpdir);
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1);
    define(&t, 1, RT, X8, 8, 8, 1, 1, 0);
    define(&t, 4, 0, A8, 4, 4, 1, 1, 0);
    define(&t, 5, 0, BF, 72, 1, 1, 1, 0);
    define(&t, 6, 0, BF, 36, 1, 1, 1, 0);
    define(&t, 7, 0, BF, 6, 1, 1, 1, 0);
    define(&t, 8, 0, BF, 4, 1, 1, 1, 0);
    set_rt(&t, VGT_SVGA3D_RT_COLOR0, 1);
    const uint32_t stage0[] = {0, 4};
    bind_tex(&t, stage0, 1);
    draw(&t, 5, VGT_SVGA3D_INVALID_ID);
    draw(&t, 6, VGT_SVGA3D_INVALID_ID);
    draw(&t, 5, 7);
    draw(&t, 5, 4);
    draw(&t, 4, VGT_SVGA3D_INVALID_ID);
    draw(&t, 5, 8);
    const uint32_t bad_type[] = {VGT_SVGA3D_CMD_DRAW_PRIMITIVES,
                                 0,
                                 1,
                                 1,
                                 0,
                                 VGT_SVGA3D_DECLTYPE_MAX,
                                 VGT_SVGA3D_DECLMETHOD_DEFAULT,
                                 VGT_SVGA3D_DECLUSAGE_POSITION,
                                 0,
                                 6,
                                 0,
                                 12,
                                 0,
                                 0};
    tw_cmd(&t, bad_type, 14);
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    vgt_surface_list_result r;
    list_of(path, NULL, &r);
    assert_int_equal(r.ndefs, 6);
    assert_int_equal(r.draws, 2);
    static const uint64_t counts[6][6] = {{1, 2, 0, 0, 0, 0}, {4, 0, 0, 2, 0, 0},
                                          {5, 0, 0, 0, 2, 0}, {6, 0, 0, 0, 0, 0},
                                          {7, 0, 0, 0, 0, 1}, {8, 0, 0, 0, 0, 0}};
    assert_draw_counts(&r, counts, 6);
    vgt_surface_list_free(&r);
    tw_shell_ok("'%s/vgt' surfaces '%s' > '%s/ranges.txt'", VGT_BINARY_DIR, path, tmpdir);
    tw_shell_ok("grep -qx 'never used: 2; never destroyed: 6' '%s/ranges.txt'", tmpdir);
    tw_shell_ok("'%s/vgt' surfaces '%s' --json | jq -e -s '(map(select(.type == \"summary\"))[0] "
                "| .draws == 2 and .never_used == 2) and ([.[] | select(.type == \"surface\") | "
                "[.sid, .vertex_draws, .index_draws]] == [[1, 0, 0], [4, 0, 0], [5, 2, 0], "
                "[6, 0, 0], [7, 0, 1], [8, 0, 0]])' >/dev/null",
                VGT_BINARY_DIR, path);
}

static void cli(void **state)
{
    (void)state;
    const char *v = VGT_BINARY_DIR "/vgt";
    tw_shell_ok("'%s' surfaces '%s' > '%s/l.txt'", v, trace, tmpdir);
    tw_shell_ok("grep -q '^ *1 *0 *1 A8R8G8B8 *4x4x1 *6 *2 *- *480 *2 *80 *0 *0 *0 *0 *0 *0 *0 *3 "
                "*0 *0 *0 destroy@33 *CUBEMAP|HINT_TEXTURE$' '%s/l.txt'",
                tmpdir);
    tw_shell_ok("grep -q '^ *3 *0 *3 X8R8G8B8 *8x8x1 *1 *1 *4 *256 *0 *0 *1 *272 *1 *1 *0 *4 *2 "
                "*0 *0 *0 *2 redefine@35 *HINT_RENDERTARGET$' '%s/l.txt'",
                tmpdir);
    /* MIPGEN: sid 8's two GENERATE_MIPMAPS taken, between CPOUT and RTDRAW */
    tw_shell_ok("grep -q '^ *8 *0 *8 X8R8G8B8 *8x8x1 *1 *1 *- *256 *0 *0 *0 *0 *1 *1 *2 *1 *1 *0 "
                "*0 *0 *0 alive ' '%s/l.txt'",
                tmpdir);
    tw_shell_ok("grep -q ' refused *HINT_TEXTURE  (SURFACE_DEFINE: surface 9: 5 mip levels for a "
                "8x8x1 level 0 (at most 4))$' '%s/l.txt'",
                tmpdir);
    tw_shell_ok("grep -qx 'surfaces: 13 defines (3 refused, 0 from the snapshot)' '%s/l.txt'",
                tmpdir);
    tw_shell_ok("grep -qx 'formats: A8R8G8B8 3, X8R8G8B8 3, Z_D24S8 1, BUFFER 2, DXT1 1' "
                "'%s/l.txt'",
                tmpdir);
    tw_shell_ok("grep -qx 'storage: 1952 bytes, the largest 480 (sid 1, seq 1)' '%s/l.txt'",
                tmpdir);
    tw_shell_ok("grep -qx 'uploads: 6 SURFACE_DMA, 364 bytes; downloads: 272 bytes' '%s/l.txt'",
                tmpdir);
    tw_shell_ok("grep -qx 'never used: 2; never destroyed: 7' '%s/l.txt'", tmpdir);
    /* JSON Lines: every line parses; the sums and the summary agree */
    tw_shell_ok("'%s' surfaces '%s' --json > '%s/j.txt'", v, trace, tmpdir);
    tw_shell_ok("jq -e -s '[.[] | select(.type == \"surface\")] | length == 13 and "
                "(map(.upload_bytes) | add) == 364 and (map(.rt_draws) | add) == 11 and "
                "(map(.mip_generations) | add) == 2' '%s/j.txt' >/dev/null",
                tmpdir);
    tw_shell_ok("jq -e -s 'map(select(.type == \"surface\" and .sid == 3 and .seq == 3))[0] | "
                ".multisample == "
                "4 and .end == \"redefine\" and .end_seq == 35 and .flags == "
                "[\"HINT_RENDERTARGET\"]' '%s/j.txt' >/dev/null",
                tmpdir);
    tw_shell_ok(
        "jq -e -s 'map(select(.type == \"surface\" and .sid == 1))[0] | .multisample == null and "
        ".flags == [\"CUBEMAP\", \"HINT_TEXTURE\"]' '%s/j.txt' >/dev/null",
        tmpdir);
    tw_shell_ok("jq -e -s 'map(select(.type == \"surface\" and .sid == 10))[0] | .refused | "
                "test(\"ERROR\")' "
                "'%s/j.txt' >/dev/null",
                tmpdir);
    tw_shell_ok(
        "jq -e -s 'map(select(.type == \"summary\"))[0] | .defines == 13 and .refused == 3 and "
        ".storage_bytes == 1952 and .largest_sid == 1 and .uploads == 6 and "
        ".upload_bytes == 364 and .never_used == 2 and .never_destroyed == 7 and "
        ".draws == 7 and .clears == 4 and .formats.DXT1 == 1' '%s/j.txt' >/dev/null",
        tmpdir);
    /* --sort: storage largest first (sid 1, 2, then the 256s in trace order) */
    tw_shell_ok("test \"$('%s' surfaces '%s' --json --sort storage | jq -r 'select(.type == "
                "\"surface\") | .sid' | head -4 | tr '\\n' ' ')\" = '1 2 3 4 '",
                v, trace);
    tw_shell_ok("test \"$('%s' surfaces '%s' --json --sort uploads | jq -r 'select(.type == "
                "\"surface\") | .sid' | head -3 | tr '\\n' ' ')\" = '2 5 1 '",
                v, trace);
    tw_shell_ok("test \"$('%s' surfaces '%s' --json --sort draws | jq -r 'select(.type == "
                "\"surface\") | .sid' | head -4 | tr '\\n' ' ')\" = '5 4 6 3 '",
                v, trace);
    tw_shell_ok("'%s' surfaces '%s' --frames 1 --json | jq -e -s 'map(select(.type == "
                "\"surface\") | .seq) == [35, 37, 38, 39, 46]' >/dev/null",
                v, trace);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_column),
        cmocka_unit_test(frames_select),
        cmocka_unit_test(cli),
        cmocka_unit_test(refused_for_sizes),
        cmocka_unit_test(refused_for_ranges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
