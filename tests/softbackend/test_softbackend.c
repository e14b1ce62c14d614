/* The soft backend through the one executor: hand-built SVGA3D command
 * streams decoded by vgt_cmd_decode and executed by vgt_executor_execute
 * with a fake guest memory; pixels come back by SURFACE_DMA (or PRESENT into
 * the display model), exactly as a guest would see them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend_soft.h"
#include "vgt_replay.h"

#define VRAM_SIZE (1u << 20)
#define GMR_SIZE  (4u << 20)
#define W         64u
#define H         64u

/* guest memory layout inside GMR 1 */
#define OFF_UPLOAD   0u         /* staging for uploads */
#define OFF_READBACK (2u << 20) /* downloads land here */
#define OFF_QUERY    (3u << 20)

/* surface and context ids */
#define SID_RT    1u
#define SID_DEPTH 2u
#define SID_VB    3u
#define SID_IB    4u
#define SID_TEX   5u
#define CID       7u

typedef struct fake_mem {
    uint8_t *vram;
    uint8_t *gmr1;
} fake_mem;

static vgt_status fm_access(fake_mem *m, bool write, uint32_t gmr, uint32_t off, void *buf,
                            uint32_t len, vgt_error *err)
{
    uint8_t *base = gmr == VGT_SVGA_GMR_FRAMEBUFFER ? m->vram : gmr == 1 ? m->gmr1 : NULL;
    uint32_t size = gmr == VGT_SVGA_GMR_FRAMEBUFFER ? VRAM_SIZE : GMR_SIZE;
    if (!base) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "GMR %u is not defined", gmr);
    }
    if (!vgt_range_inside(off, len, size)) {
        return vgt_error_set(err, VGT_E_RANGE, "GMR %u: %u bytes at %u are outside", gmr, len, off);
    }
    if (write) {
        memcpy(base + off, buf, len);
    } else {
        memcpy(buf, base + off, len);
    }
    return VGT_OK;
}

static vgt_status fm_read(void *ctx, uint32_t gmr, uint32_t off, void *dst, uint32_t len,
                          vgt_error *err)
{
    return fm_access(ctx, false, gmr, off, dst, len, err);
}

static vgt_status fm_write(void *ctx, uint32_t gmr, uint32_t off, const void *src, uint32_t len,
                           vgt_error *err)
{
    return fm_access(ctx, true, gmr, off, (void *)src, len, err);
}

typedef struct fixture {
    fake_mem m;
    vgt_executor *ex;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    f->m.vram = calloc(1, VRAM_SIZE);
    f->m.gmr1 = calloc(1, GMR_SIZE);
    vgt_executor_config cfg = {.mem = {.ctx = &f->m, .read = fm_read, .write = fm_write},
                               .enable_3d = true,
                               .backend = VGT_BACKEND_SOFT};
    vgt_error err = {0};
    if (vgt_executor_create(&cfg, &f->ex, &err) != VGT_OK) {
        fprintf(stderr, "executor: %s\n", err.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    vgt_executor_destroy(f->ex);
    free(f->m.vram);
    free(f->m.gmr1);
    free(f);
    return 0;
}

/* ---- command building ------------------------------------------------------ */

typedef struct body {
    uint32_t w[4096];
    uint32_t n;
} body;

static void put(body *b, uint32_t v)
{
    assert_true(b->n < 4096);
    b->w[b->n++] = v;
}

static void putf(body *b, float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    put(b, u);
}

static void put_bytes(body *b, const void *p, size_t bytes)
{
    assert_true(bytes % 4 == 0);
    const uint8_t *q = p;
    for (size_t i = 0; i < bytes; i += 4) {
        put(b, vgt_load_le32(q + i));
    }
}

/* Executes command `id` with body b; returns the status (err filled). */
static vgt_status run_cmd(fixture *f, uint32_t id, const body *b, vgt_exec_result *res,
                          vgt_error *err)
{
    static uint32_t words[4098];
    words[0] = id;
    words[1] = b->n * 4u;
    memcpy(words + 2, b->w, b->n * 4u);
    vgt_cmd cmd;
    vgt_status st = vgt_cmd_decode(words, b->n + 2u, &cmd, err);
    if (st != VGT_OK) {
        fail_msg("decode of %s: %s", vgt_cmd_name(id), err->message);
    }
    vgt_exec_result r;
    return vgt_executor_execute(f->ex, &cmd, res ? res : &r, err);
}

static void ok(fixture *f, uint32_t id, const body *b)
{
    vgt_error err = {0};
    vgt_status st = run_cmd(f, id, b, NULL, &err);
    if (st != VGT_OK) {
        fail_msg("%s: %s", vgt_cmd_name(id), err.message);
    }
}

static void define_surface(fixture *f, uint32_t sid, uint32_t format, uint32_t flags, uint32_t w,
                           uint32_t h, uint32_t mips)
{
    body b = {0};
    put(&b, sid);
    put(&b, flags);
    put(&b, format);
    put(&b, mips);
    for (int i = 1; i < 6; i++) {
        put(&b, 0);
    }
    for (uint32_t m = 0; m < mips; m++) {
        put(&b, w >> m ? w >> m : 1);
        put(&b, h >> m ? h >> m : 1);
        put(&b, 1);
    }
    ok(f, VGT_SVGA3D_CMD_SURFACE_DEFINE, &b);
}

/* SURFACE_DMA of a w x h box at (x, y) of (sid, 0, mip); the guest image is
 * at `off` in GMR 1 with `pitch`. */
static vgt_status dma(fixture *f, uint32_t sid, uint32_t mip, uint32_t transfer, uint32_t off,
                      uint32_t pitch, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                      vgt_error *err)
{
    body b = {0};
    put(&b, 1);
    put(&b, off);
    put(&b, pitch);
    put(&b, sid);
    put(&b, 0);
    put(&b, mip);
    put(&b, transfer);
    uint32_t box[9] = {x, y, 0, w, h, 1, 0, 0, 0};
    for (int i = 0; i < 9; i++) {
        put(&b, box[i]);
    }
    return run_cmd(f, VGT_SVGA3D_CMD_SURFACE_DMA, &b, NULL, err);
}

static void upload(fixture *f, uint32_t sid, uint32_t mip, const void *data, uint32_t pitch,
                   uint32_t w, uint32_t h)
{
    memcpy(f->m.gmr1 + OFF_UPLOAD, data, (size_t)pitch * h);
    vgt_error err = {0};
    if (dma(f, sid, mip, VGT_SVGA3D_WRITE_HOST_VRAM, OFF_UPLOAD, pitch, 0, 0, w, h, &err)) {
        fail_msg("upload: %s", err.message);
    }
}

/* Reads a w x h image of 32-bit pixels back through SURFACE_DMA. */
static const uint32_t *download32(fixture *f, uint32_t sid, uint32_t mip, uint32_t w, uint32_t h)
{
    vgt_error err = {0};
    memset(f->m.gmr1 + OFF_READBACK, 0xAB, (size_t)w * h * 4);
    if (dma(f, sid, mip, VGT_SVGA3D_READ_HOST_VRAM, OFF_READBACK, w * 4, 0, 0, w, h, &err)) {
        fail_msg("download: %s", err.message);
    }
    return (const uint32_t *)(void *)(f->m.gmr1 + OFF_READBACK);
}

static uint32_t pixel(fixture *f, uint32_t x, uint32_t y)
{
    return vgt_load_le32(f->m.gmr1 + OFF_READBACK + ((size_t)y * W + x) * 4);
}

static void rs(fixture *f, uint32_t state, uint32_t value)
{
    body b = {0};
    put(&b, CID);
    put(&b, state);
    put(&b, value);
    ok(f, VGT_SVGA3D_CMD_SETRENDERSTATE, &b);
}

static void rsf(fixture *f, uint32_t state, float value)
{
    uint32_t u;
    memcpy(&u, &value, 4);
    rs(f, state, u);
}

static void ts(fixture *f, uint32_t stage, uint32_t name, uint32_t value)
{
    body b = {0};
    put(&b, CID);
    put(&b, stage);
    put(&b, name);
    put(&b, value);
    ok(f, VGT_SVGA3D_CMD_SETTEXTURESTATE, &b);
}

static void set_rt(fixture *f, uint32_t type, uint32_t sid)
{
    body b = {0};
    put(&b, CID);
    put(&b, type);
    put(&b, sid);
    put(&b, 0);
    put(&b, 0);
    ok(f, VGT_SVGA3D_CMD_SETRENDERTARGET, &b);
}

static void clear(fixture *f, uint32_t flags, uint32_t color, float depth, uint32_t stencil)
{
    body b = {0};
    put(&b, CID);
    put(&b, flags);
    put(&b, color);
    putf(&b, depth);
    put(&b, stencil);
    ok(f, VGT_SVGA3D_CMD_CLEAR, &b);
}

/* A 64x64 A8R8G8B8 target, a D24S8 depth-stencil bound as DEPTH and
 * STENCIL, a context, and vertex/index buffers of 64 KiB. */
static void scene(fixture *f)
{
    define_surface(f, SID_RT, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, W, H, 1);
    define_surface(f, SID_DEPTH, VGT_SVGA3D_Z_D24S8, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL, W, H, 1);
    define_surface(f, SID_VB, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, 65536, 1, 1);
    define_surface(f, SID_IB, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER, 65536, 1, 1);
    body b = {0};
    put(&b, CID);
    ok(f, VGT_SVGA3D_CMD_CONTEXT_DEFINE, &b);
    set_rt(f, VGT_SVGA3D_RT_COLOR0, SID_RT);
    set_rt(f, VGT_SVGA3D_RT_DEPTH, SID_DEPTH);
    set_rt(f, VGT_SVGA3D_RT_STENCIL, SID_DEPTH);
    rs(f, VGT_SVGA3D_RS_LIGHTINGENABLE, 0);
    clear(f, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL,
          0xFF000000u, 1.0f, 0);
}

/* Pre-transformed, colored vertices (POSITIONT float4 + COLOR0). */
typedef struct tvert {
    float x, y, z, rhw;
    uint32_t color;
    float u, v;
} tvert;

static void draw_tverts(fixture *f, const tvert *v, uint32_t nverts, uint32_t prim, uint32_t prims,
                        bool texcoords, vgt_status want, vgt_error *err)
{
    upload(f, SID_VB, 0, v, nverts * (uint32_t)sizeof(*v), nverts * (uint32_t)sizeof(*v), 1);
    body b = {0};
    uint32_t ndecl = texcoords ? 3 : 2;
    put(&b, CID);
    put(&b, ndecl);
    put(&b, 1);
    /* decls: type, method, usage, usage_index, {sid, offset, stride}, range */
    uint32_t d0[] = {VGT_SVGA3D_DECLTYPE_FLOAT4,
                     0,
                     VGT_SVGA3D_DECLUSAGE_POSITIONT,
                     0,
                     SID_VB,
                     0,
                     sizeof(tvert),
                     0,
                     0};
    uint32_t d1[] = {VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                     0,
                     VGT_SVGA3D_DECLUSAGE_COLOR,
                     0,
                     SID_VB,
                     16,
                     sizeof(tvert),
                     0,
                     0};
    uint32_t d2[] = {VGT_SVGA3D_DECLTYPE_FLOAT2,
                     0,
                     VGT_SVGA3D_DECLUSAGE_TEXCOORD,
                     0,
                     SID_VB,
                     20,
                     sizeof(tvert),
                     0,
                     0};
    put_bytes(&b, d0, sizeof(d0));
    put_bytes(&b, d1, sizeof(d1));
    if (texcoords) {
        put_bytes(&b, d2, sizeof(d2));
    }
    /* range: prim type, count, index array {sid, offset, stride}, width, bias */
    uint32_t r[] = {prim, prims, VGT_SVGA3D_INVALID_ID, 0, 0, 0, 0};
    put_bytes(&b, r, sizeof(r));
    vgt_error local = {0};
    vgt_status st = run_cmd(f, VGT_SVGA3D_CMD_DRAW_PRIMITIVES, &b, NULL, err ? err : &local);
    if (st != want) {
        fail_msg("draw: %d (%s), expected %d", st, err ? err->message : local.message, want);
    }
}

/* A screen-space rectangle as a 2-triangle strip (clockwise). */
static void quad(fixture *f, float x0, float y0, float x1, float y1, float z, uint32_t color)
{
    tvert v[4] = {
        {x0, y0, z, 1, color, 0, 0},
        {x1, y0, z, 1, color, 1, 0},
        {x0, y1, z, 1, color, 0, 1},
        {x1, y1, z, 1, color, 1, 1},
    };
    draw_tverts(f, v, 4, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 2, true, VGT_OK, NULL);
}

static const tvert tri_cw[3] = {
    {8, 8, 0.5f, 1, 0xFFFF0000u, 0, 0},
    {56, 8, 0.5f, 1, 0xFFFF0000u, 0, 0},
    {8, 56, 0.5f, 1, 0xFFFF0000u, 0, 0},
};

/* Pixels whose centre (D3D9: integer coordinates) is inside tri_cw under
 * the top-left rule: x >= 8, y >= 8, x + y < 64. */
static uint32_t tri_cw_expected_pixels(void)
{
    uint32_t n = 0;
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            n += x >= 8 && y >= 8 && x + y < 64;
        }
    }
    return n;
}

static uint32_t count_pixels(fixture *f, uint32_t color)
{
    uint32_t n = 0;
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            n += pixel(f, x, y) == color;
        }
    }
    return n;
}

static void assert_near(uint32_t got, uint32_t want, uint32_t tol)
{
    for (int s = 0; s < 32; s += 8) {
        int a = (int)((got >> s) & 0xFF), b = (int)((want >> s) & 0xFF);
        if (abs(a - b) > (int)tol) {
            fail_msg("pixel 0x%08x, expected 0x%08x (+-%u per channel)", got, want, tol);
        }
    }
}

/* ---- tests ------------------------------------------------------------------ */

static void test_caps(void **state)
{
    fixture *f = *state;
    const vgt_backend *be = vgt_executor_backend(f->ex);
    assert_non_null(be);
    assert_string_equal(be->ops->name, "soft");
    uint32_t words[512], hw = 0;
    uint32_t n = vgt_executor_3d_caps(f->ex, &hw, words, 512);
    assert_true(n > 4);
    assert_int_equal(hw, VGT_SVGA3D_HWVERSION_CURRENT);
    assert_int_equal(words[1], VGT_SVGA3D_CAPS_RECORD_DEVCAPS);
    bool seen_lights = false, seen_vs = false;
    for (uint32_t i = 2; i + 1 < words[0]; i += 2) {
        if (words[i] == VGT_SVGA3D_DEVCAP_MAX_LIGHTS) {
            assert_int_equal(words[i + 1], 8);
            seen_lights = true;
        }
        if (words[i] == VGT_SVGA3D_DEVCAP_VERTEX_SHADER_VERSION) {
            assert_int_equal(words[i + 1], 3); /* SVGA3DVSVERSION_30 (tests/shaders_common) */
            seen_vs = true;
        }
    }
    assert_true(seen_lights && seen_vs);
}

static void test_clear_color(void **state)
{
    fixture *f = *state;
    scene(f);
    clear(f, VGT_SVGA3D_CLEAR_COLOR, 0xFF336699u, 1.0f, 0);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFF336699u), W * H);
    /* A clear with a rect clears only the rect. */
    body b = {0};
    put(&b, CID);
    put(&b, VGT_SVGA3D_CLEAR_COLOR);
    put(&b, 0xFF00FF00u);
    putf(&b, 1.0f);
    put(&b, 0);
    uint32_t rect[4] = {10, 20, 5, 3};
    put_bytes(&b, rect, sizeof(rect));
    ok(f, VGT_SVGA3D_CMD_CLEAR, &b);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFF00FF00u), 15);
    assert_int_equal(pixel(f, 10, 20), 0xFF00FF00u);
    assert_int_equal(pixel(f, 14, 22), 0xFF00FF00u);
    assert_int_equal(pixel(f, 15, 22), 0xFF336699u);
}

static void test_triangle_coverage(void **state)
{
    fixture *f = *state;
    scene(f);
    draw_tverts(f, tri_cw, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, false, VGT_OK, NULL);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFFFF0000u), tri_cw_expected_pixels());
    for (uint32_t y = 0; y < H; y++) {
        for (uint32_t x = 0; x < W; x++) {
            bool in = x >= 8 && y >= 8 && x + y < 64;
            assert_int_equal(pixel(f, x, y), in ? 0xFFFF0000u : 0xFF000000u);
        }
    }
}

static void test_indexed_triangle(void **state)
{
    fixture *f = *state;
    scene(f);
    /* The same triangle through 16-bit indices with a bias. */
    tvert v[5];
    memset(v, 0, sizeof(v));
    memcpy(v + 2, tri_cw, sizeof(tri_cw));
    upload(f, SID_VB, 0, v, sizeof(v), sizeof(v), 1);
    uint16_t idx[4] = {0, 1, 2, 0};
    upload(f, SID_IB, 0, idx, sizeof(idx), sizeof(idx), 1);
    body b = {0};
    put(&b, CID);
    put(&b, 2);
    put(&b, 1);
    uint32_t d0[] = {VGT_SVGA3D_DECLTYPE_FLOAT4,
                     0,
                     VGT_SVGA3D_DECLUSAGE_POSITIONT,
                     0,
                     SID_VB,
                     0,
                     sizeof(tvert),
                     0,
                     0};
    uint32_t d1[] = {VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                     0,
                     VGT_SVGA3D_DECLUSAGE_COLOR,
                     0,
                     SID_VB,
                     16,
                     sizeof(tvert),
                     0,
                     0};
    put_bytes(&b, d0, sizeof(d0));
    put_bytes(&b, d1, sizeof(d1));
    uint32_t r[] = {VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, SID_IB, 0, 2, 2, 2};
    put_bytes(&b, r, sizeof(r));
    ok(f, VGT_SVGA3D_CMD_DRAW_PRIMITIVES, &b);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFFFF0000u), tri_cw_expected_pixels());

    /* An index that points past the vertex buffer fails the draw. */
    uint16_t bad[3] = {0, 1, 60000};
    upload(f, SID_IB, 0, bad, sizeof(bad), sizeof(bad), 1);
    vgt_error err = {0};
    assert_int_equal(run_cmd(f, VGT_SVGA3D_CMD_DRAW_PRIMITIVES, &b, NULL, &err), VGT_E_RANGE);
}

static void test_depth(void **state)
{
    fixture *f = *state;
    scene(f);
    rs(f, VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS);
    quad(f, 0, 0, 40, 40, 0.5f, 0xFFFF0000u);   /* red, middle */
    quad(f, 20, 20, 64, 64, 0.7f, 0xFF00FF00u); /* green, behind red */
    quad(f, 30, 30, 50, 50, 0.3f, 0xFF0000FFu); /* blue, in front of both */
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(pixel(f, 10, 10), 0xFFFF0000u);
    assert_int_equal(pixel(f, 25, 25), 0xFFFF0000u); /* red wins over green */
    assert_int_equal(pixel(f, 45, 25), 0xFF00FF00u);
    assert_int_equal(pixel(f, 35, 35), 0xFF0000FFu); /* blue wins over red */
    assert_int_equal(pixel(f, 45, 45), 0xFF0000FFu); /* blue wins over green */
    assert_int_equal(pixel(f, 60, 60), 0xFF00FF00u);
    assert_int_equal(pixel(f, 60, 5), 0xFF000000u);
    /* GREATER: only what is behind the stored depth passes. */
    rs(f, VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_GREATER);
    quad(f, 0, 0, 64, 64, 0.6f, 0xFFFFFFFFu);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(pixel(f, 10, 10), 0xFFFFFFFFu); /* 0.6 > 0.5 */
    assert_int_equal(pixel(f, 35, 35), 0xFFFFFFFFu); /* 0.6 > 0.3 */
    assert_int_equal(pixel(f, 60, 60), 0xFF00FF00u); /* 0.6 < 0.7 */
    assert_int_equal(pixel(f, 60, 5), 0xFF000000u);  /* 0.6 < 1.0 (cleared) */
    /* ZENABLE off: everything passes. */
    rs(f, VGT_SVGA3D_RS_ZENABLE, 0);
    quad(f, 0, 0, 64, 64, 0.9f, 0xFF123456u);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFF123456u), W * H);
}

/* A 4x4 texture: texel (x, y) = 0xFF000000 | x << 16 | y << 8 scaled. */
static uint32_t texel(uint32_t x, uint32_t y)
{
    return 0xFF000000u | ((x * 80u) << 16) | ((y * 80u) << 8) | 0x20u;
}

static void test_textured_quad_upright(void **state)
{
    fixture *f = *state;
    scene(f);
    define_surface(f, SID_TEX, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 4, 4, 1);
    uint32_t tex[16];
    for (uint32_t y = 0; y < 4; y++) {
        for (uint32_t x = 0; x < 4; x++) {
            vgt_store_le32(&tex[y * 4 + x], texel(x, y));
        }
    }
    upload(f, SID_TEX, 0, tex, 16, 4, 4);
    ts(f, 0, VGT_SVGA3D_TS_BIND_TEXTURE, SID_TEX);
    ts(f, 0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_SELECTARG1);
    ts(f, 0, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_TEXTURE);
    /* The quad's pixel centres 0..63 map to texels by u = (x + 0.5) / 64. */
    quad(f, -0.5f, -0.5f, 63.5f, 63.5f, 0.5f, 0xFFFFFFFFu);
    download32(f, SID_RT, 0, W, H);
    for (uint32_t ty = 0; ty < 4; ty++) {
        for (uint32_t tx = 0; tx < 4; tx++) {
            /* every pixel of the 16x16 block shows texel (tx, ty): v = 0 is the top row */
            for (uint32_t y = 0; y < 16; y++) {
                for (uint32_t x = 0; x < 16; x++) {
                    assert_int_equal(pixel(f, tx * 16 + x, ty * 16 + y), texel(tx, ty));
                }
            }
        }
    }
    /* MODULATE with the diffuse color (the default stage 0 op). */
    ts(f, 0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_MODULATE);
    ts(f, 0, VGT_SVGA3D_TS_COLORARG2, VGT_SVGA3D_TA_DIFFUSE);
    quad(f, -0.5f, -0.5f, 63.5f, 63.5f, 0.5f, 0xFF000000u | (0x80u << 16));
    download32(f, SID_RT, 0, W, H);
    assert_near(pixel(f, 63, 0), 0xFF000000u | (0x78u << 16), 1); /* 240 * 128/255 */
}

static void test_blend(void **state)
{
    fixture *f = *state;
    scene(f);
    clear(f, VGT_SVGA3D_CLEAR_COLOR, 0xFF0000FFu, 1.0f, 0);
    rs(f, VGT_SVGA3D_RS_BLENDENABLE, 1);
    rs(f, VGT_SVGA3D_RS_SRCBLEND, VGT_SVGA3D_BLENDOP_SRCALPHA);
    rs(f, VGT_SVGA3D_RS_DSTBLEND, VGT_SVGA3D_BLENDOP_INVSRCALPHA);
    quad(f, 0, 0, 32, 64, 0.5f, 0x80FF0000u);
    /* BLENDFACTOR (an SVGA3D number that differs from D3D9's): 25% red. */
    rs(f, VGT_SVGA3D_RS_BLENDCOLOR, 0x40404040u);
    rs(f, VGT_SVGA3D_RS_SRCBLEND, VGT_SVGA3D_BLENDOP_BLENDFACTOR);
    rs(f, VGT_SVGA3D_RS_DSTBLEND, VGT_SVGA3D_BLENDOP_INVBLENDFACTOR);
    quad(f, 32, 0, 64, 64, 0.5f, 0xFFFF0000u);
    download32(f, SID_RT, 0, W, H);
    assert_near(pixel(f, 10, 10), 0xBF80007Fu, 1); /* alpha blends too: 0x80*.5 + 0xFF*.5 */
    assert_near(pixel(f, 40, 10), 0xFF4000BFu, 1);
}

static void test_cull_and_winding(void **state)
{
    fixture *f = *state;
    scene(f);
    /* Default (CULLMODE BACK, FRONTWINDING CW = D3DCULL_CCW): tri_cw is drawn. */
    draw_tverts(f, tri_cw, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, false, VGT_OK, NULL);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFFFF0000u), tri_cw_expected_pixels());
    /* Cull FRONT with CW front: culled. */
    clear(f, VGT_SVGA3D_CLEAR_COLOR, 0xFF000000u, 1.0f, 0);
    rs(f, VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_FRONT);
    draw_tverts(f, tri_cw, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, false, VGT_OK, NULL);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFFFF0000u), 0);
    /* Cull BACK with CCW front: the clockwise triangle is a back face: culled. */
    rs(f, VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_BACK);
    rs(f, VGT_SVGA3D_RS_FRONTWINDING, VGT_SVGA3D_FRONTWINDING_CCW);
    draw_tverts(f, tri_cw, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, false, VGT_OK, NULL);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFFFF0000u), 0);
    /* Cull NONE: drawn. */
    rs(f, VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE);
    draw_tverts(f, tri_cw, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, false, VGT_OK, NULL);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFFFF0000u), tri_cw_expected_pixels());
}

static void test_stencil(void **state)
{
    fixture *f = *state;
    scene(f);
    rs(f, VGT_SVGA3D_RS_STENCILENABLE, 1);
    rs(f, VGT_SVGA3D_RS_STENCILFUNC, VGT_SVGA3D_CMP_ALWAYS);
    rs(f, VGT_SVGA3D_RS_STENCILPASS, VGT_SVGA3D_STENCILOP_REPLACE);
    rs(f, VGT_SVGA3D_RS_STENCILREF, 1);
    rs(f, VGT_SVGA3D_RS_COLORWRITEENABLE, 0); /* stencil only */
    quad(f, 16, 16, 48, 48, 0.5f, 0xFFFF0000u);
    rs(f, VGT_SVGA3D_RS_COLORWRITEENABLE, 0xF);
    rs(f, VGT_SVGA3D_RS_STENCILFUNC, VGT_SVGA3D_CMP_EQUAL);
    rs(f, VGT_SVGA3D_RS_STENCILPASS, VGT_SVGA3D_STENCILOP_KEEP);
    rs(f, VGT_SVGA3D_RS_ZENABLE, 0);
    quad(f, 0, 0, 64, 64, 0.5f, 0xFF00FF00u);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFF00FF00u), 32 * 32);
    assert_int_equal(pixel(f, 16, 16), 0xFF00FF00u);
    assert_int_equal(pixel(f, 47, 47), 0xFF00FF00u);
    assert_int_equal(pixel(f, 15, 16), 0xFF000000u);
    assert_int_equal(count_pixels(f, 0xFFFF0000u), 0);
}

static void test_fog(void **state)
{
    fixture *f = *state;
    scene(f);
    /* Pixel (table) fog, linear from z 0 to 1, white fog over black. */
    rs(f, VGT_SVGA3D_RS_FOGENABLE, 1);
    rs(f, VGT_SVGA3D_RS_FOGMODE,
       VGT_SVGA3D_FOGMODE(VGT_SVGA3D_FOGFUNC_LINEAR, VGT_SVGA3D_FOGTYPE_PIXEL,
                          VGT_SVGA3D_FOGBASE_DEPTHBASED));
    rs(f, VGT_SVGA3D_RS_FOGCOLOR, 0xFFFFFFFFu);
    rsf(f, VGT_SVGA3D_RS_FOGSTART, 0.0f);
    rsf(f, VGT_SVGA3D_RS_FOGEND, 1.0f);
    quad(f, 0, 0, 32, 64, 0.25f, 0xFF000000u);
    quad(f, 32, 0, 64, 64, 0.75f, 0xFF000000u);
    download32(f, SID_RT, 0, W, H);
    assert_near(pixel(f, 10, 10), 0xFF404040u, 1); /* 25% fog */
    assert_near(pixel(f, 40, 10), 0xFFBFBFBFu, 1); /* 75% fog */
    /* Fog off: black. */
    rs(f, VGT_SVGA3D_RS_FOGENABLE, 0);
    quad(f, 0, 0, 64, 64, 0.1f, 0xFF000000u);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFF000000u), W * H);
}

/* Untransformed vertices with normals, identity transforms (so positions
 * are clip coordinates). */
typedef struct lvert {
    float x, y, z;
    float nx, ny, nz;
} lvert;

static void draw_lit_quad(fixture *f)
{
    lvert v[4] = {
        {-1, 1, 0.5f, 0, 0, -1},
        {1, 1, 0.5f, 0, 0, -1},
        {-1, -1, 0.5f, 0, 0, -1},
        {1, -1, 0.5f, 0, 0, -1},
    };
    upload(f, SID_VB, 0, v, sizeof(v), sizeof(v), 1);
    body b = {0};
    put(&b, CID);
    put(&b, 2);
    put(&b, 1);
    uint32_t d0[] = {VGT_SVGA3D_DECLTYPE_FLOAT3,
                     0,
                     VGT_SVGA3D_DECLUSAGE_POSITION,
                     0,
                     SID_VB,
                     0,
                     sizeof(lvert),
                     0,
                     0};
    uint32_t d1[] = {VGT_SVGA3D_DECLTYPE_FLOAT3,
                     0,
                     VGT_SVGA3D_DECLUSAGE_NORMAL,
                     0,
                     SID_VB,
                     12,
                     sizeof(lvert),
                     0,
                     0};
    put_bytes(&b, d0, sizeof(d0));
    put_bytes(&b, d1, sizeof(d1));
    uint32_t r[] = {VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 2, VGT_SVGA3D_INVALID_ID, 0, 0, 0, 0};
    put_bytes(&b, r, sizeof(r));
    ok(f, VGT_SVGA3D_CMD_DRAW_PRIMITIVES, &b);
}

static void set_light(fixture *f, uint32_t index, uint32_t type, const float dir[3],
                      const float pos[3], uint32_t world)
{
    body b = {0};
    put(&b, CID);
    put(&b, index);
    put(&b, type);
    put(&b, world);
    float diffuse[4] = {1, 1, 1, 1}, zero[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; i++) {
        putf(&b, diffuse[i]);
    }
    for (int i = 0; i < 4; i++) {
        putf(&b, zero[i]); /* specular */
    }
    for (int i = 0; i < 4; i++) {
        putf(&b, zero[i]); /* ambient */
    }
    for (int i = 0; i < 3; i++) {
        putf(&b, pos[i]);
    }
    putf(&b, 1);
    for (int i = 0; i < 3; i++) {
        putf(&b, dir[i]);
    }
    putf(&b, 0);
    putf(&b, 100.0f); /* range */
    putf(&b, 1.0f);   /* falloff */
    putf(&b, 1.0f);   /* attenuation0 */
    putf(&b, 0.0f);
    putf(&b, 0.0f);
    putf(&b, 0.5f); /* theta */
    putf(&b, 1.0f); /* phi */
    ok(f, VGT_SVGA3D_CMD_SETLIGHTDATA, &b);
    body e = {0};
    put(&e, CID);
    put(&e, index);
    put(&e, 1);
    ok(f, VGT_SVGA3D_CMD_SETLIGHTENABLED, &e);
}

static void set_material(fixture *f, float r, float g, float bl)
{
    body b = {0};
    put(&b, CID);
    put(&b, VGT_SVGA3D_FACE_FRONT_BACK);
    float m[17] = {r, g, bl, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0};
    for (int i = 0; i < 17; i++) {
        putf(&b, m[i]);
    }
    ok(f, VGT_SVGA3D_CMD_SETMATERIAL, &b);
}

static void test_lighting(void **state)
{
    fixture *f = *state;
    scene(f);
    rs(f, VGT_SVGA3D_RS_LIGHTINGENABLE, 1);
    rs(f, VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE);
    set_material(f, 1, 0, 0);
    /* Lighting on, no light: black (material ambient * global ambient 0). */
    draw_lit_quad(f);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(pixel(f, 32, 32), 0xFF000000u);
    /* A directional light (SVGA3D type 4; D3D9 would say 3) shining along
     * +z onto the -z normal: full red. */
    float dir[3] = {0, 0, 1}, pos[3] = {0, 0, 0};
    set_light(f, 0, VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL, dir, pos, 1);
    draw_lit_quad(f);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(pixel(f, 32, 32), 0xFFFF0000u);
    assert_int_equal(count_pixels(f, 0xFFFF0000u), W * H);
    /* At 60 degrees: half. */
    float dir60[3] = {0.8660254f, 0, 0.5f};
    set_light(f, 0, VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL, dir60, pos, 1);
    draw_lit_quad(f);
    download32(f, SID_RT, 0, W, H);
    assert_near(pixel(f, 32, 32), 0xFF800000u, 1);
    /* The same light given in view space with an identity view: the same. */
    set_light(f, 0, VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL, dir60, pos, 0);
    draw_lit_quad(f);
    download32(f, SID_RT, 0, W, H);
    assert_near(pixel(f, 32, 32), 0xFF800000u, 1);
    /* A point light 1.5 in front of the quad's plane, no attenuation: lit
     * per vertex, so every pixel gets the corners' N.L = 1.5 / |(1, 1, 1.5)|
     * = 0.7276 (the corners are symmetric about the light). */
    float ppos[3] = {0, 0, -1};
    set_light(f, 0, VGT_SVGA3D_LIGHTTYPE_POINT, dir, ppos, 1);
    draw_lit_quad(f);
    download32(f, SID_RT, 0, W, H);
    assert_near(pixel(f, 32, 32), 0xFFBA0000u, 1);
    assert_int_equal(pixel(f, 0, 0), pixel(f, 32, 32));
    /* SVGA3D light type 3 is SPOT2 (D3D9's 3 is DIRECTIONAL): a spot at the
     * same place aimed away from the quad lights nothing. */
    float away[3] = {0, 0, -1};
    set_light(f, 0, VGT_SVGA3D_LIGHTTYPE_SPOT2, away, ppos, 1);
    draw_lit_quad(f);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFF000000u), W * H);
}

static void test_present_to_display(void **state)
{
    fixture *f = *state;
    vgt_display_mode m = {.enabled = true,
                          .width = 80,
                          .height = 70,
                          .bits_per_pixel = 32,
                          .bytes_per_line = 80 * 4,
                          .fb_offset = 0};
    vgt_error err = {0};
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_OK);
    scene(f);
    clear(f, VGT_SVGA3D_CLEAR_COLOR, 0xFF204080u, 1.0f, 0);
    draw_tverts(f, tri_cw, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, false, VGT_OK, NULL);
    /* PRESENT the whole surface at (10, 5). */
    body b = {0};
    put(&b, SID_RT);
    uint32_t rect[6] = {10, 5, W, H, 0, 0};
    put_bytes(&b, rect, sizeof(rect));
    vgt_exec_result res = {0};
    assert_int_equal(run_cmd(f, VGT_SVGA3D_CMD_PRESENT, &b, &res, &err), VGT_OK);
    assert_true(vgt_cmd_ends_frame(VGT_SVGA3D_CMD_PRESENT));
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(img->width, 80);
#define SCREEN(x, y) vgt_load_le32(img->pixels + (size_t)(y)*img->stride + (size_t)(x)*4)
    assert_int_equal(SCREEN(10 + 20, 5 + 20) & 0xFFFFFF, 0xFF0000u);
    assert_int_equal(SCREEN(10 + 60, 5 + 60) & 0xFFFFFF, 0x204080u);
    assert_int_equal(SCREEN(10 + 8, 5 + 8) & 0xFFFFFF, 0xFF0000u);
    assert_int_equal(SCREEN(10 + 7, 5 + 8) & 0xFFFFFF, 0x204080u);
    assert_int_equal(SCREEN(5, 2) & 0xFFFFFF, 0); /* outside the presented rect */
#undef SCREEN
}

static void test_occlusion_query(void **state)
{
    fixture *f = *state;
    scene(f);
    body q = {0};
    put(&q, CID);
    put(&q, VGT_SVGA3D_QUERYTYPE_OCCLUSION);
    ok(f, VGT_SVGA3D_CMD_BEGIN_QUERY, &q);
    draw_tverts(f, tri_cw, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, false, VGT_OK, NULL);
    /* A second draw fully behind the first: no pixel passes. */
    tvert behind[3];
    memcpy(behind, tri_cw, sizeof(behind));
    for (int i = 0; i < 3; i++) {
        behind[i].z = 0.9f;
    }
    draw_tverts(f, behind, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, false, VGT_OK, NULL);
    vgt_store_le32(f->m.gmr1 + OFF_QUERY, 12);
    vgt_store_le32(f->m.gmr1 + OFF_QUERY + 4, VGT_SVGA3D_QUERYSTATE_PENDING);
    body e = {0};
    put(&e, CID);
    put(&e, VGT_SVGA3D_QUERYTYPE_OCCLUSION);
    put(&e, 1);
    put(&e, OFF_QUERY);
    ok(f, VGT_SVGA3D_CMD_END_QUERY, &e);
    assert_int_equal(vgt_load_le32(f->m.gmr1 + OFF_QUERY + 4), VGT_SVGA3D_QUERYSTATE_SUCCEEDED);
    assert_int_equal(vgt_load_le32(f->m.gmr1 + OFF_QUERY + 8), tri_cw_expected_pixels());
}

static void test_shader_draw_rejected(void **state)
{
    fixture *f = *state;
    scene(f);
    /* vs_2_0 with just END: compiled; it never writes oPos, so its vertices
     * have w = 0 and everything is clipped (the interpreter's tests are in
     * tests/shaders_common). */
    body b = {0};
    put(&b, CID);
    put(&b, 3);
    put(&b, VGT_SVGA3D_SHADERTYPE_VS);
    put(&b, 0xFFFE0200u);
    put(&b, 0x0000FFFFu);
    ok(f, VGT_SVGA3D_CMD_SHADER_DEFINE, &b);
    body s = {0};
    put(&s, CID);
    put(&s, VGT_SVGA3D_SHADERTYPE_VS);
    put(&s, 3);
    ok(f, VGT_SVGA3D_CMD_SET_SHADER, &s);
    vgt_error err = {0};
    draw_tverts(f, tri_cw, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, false, VGT_OK, &err);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFF000000u), W * H); /* nothing drawn */
    /* Unbound: fixed function draws again. */
    s.w[2] = VGT_SVGA3D_INVALID_ID;
    ok(f, VGT_SVGA3D_CMD_SET_SHADER, &s);
    draw_tverts(f, tri_cw, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, false, VGT_OK, NULL);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFFFF0000u), tri_cw_expected_pixels());
}

static void set_transform(fixture *f, uint32_t type, const float m[16])
{
    body b = {0};
    put(&b, CID);
    put(&b, type);
    put_bytes(&b, m, 64);
    ok(f, VGT_SVGA3D_CMD_SETTRANSFORM, &b);
}

/* Texture transforms and coordinate generation with pretransformed
 * vertices (they bypass vertex processing): the matrix is not applied
 * (Wine gives them the identity), generation is refused; so are
 * generation modes named twice and transform counts the renderer lacks. */
static void test_texture_transform_pretransformed(void **state)
{
    fixture *f = *state;
    scene(f);
    define_surface(f, SID_TEX, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 4, 4, 1);
    uint32_t tex[16];
    for (uint32_t y = 0; y < 4; y++) {
        for (uint32_t x = 0; x < 4; x++) {
            vgt_store_le32(&tex[y * 4 + x], texel(x, y));
        }
    }
    upload(f, SID_TEX, 0, tex, 16, 4, 4);
    ts(f, 0, VGT_SVGA3D_TS_BIND_TEXTURE, SID_TEX);
    ts(f, 0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_SELECTARG1);
    ts(f, 0, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_TEXTURE);
    /* u' = u/2 + 1/2 would show the right half of the texture */
    const float m[16] = {0.5f, 0, 0, 0, 0, 0.5f, 0, 0, 0.5f, 0.5f, 1, 0, 0.5f, 0.5f, 0, 1};
    set_transform(f, VGT_SVGA3D_TRANSFORM_TEXTURE0, m);
    ts(f, 0, VGT_SVGA3D_TS_TEXTURETRANSFORMFLAGS,
       VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T);
    quad(f, -0.5f, -0.5f, 63.5f, 63.5f, 0.5f, 0xFFFFFFFFu);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(pixel(f, 1, 1), texel(0, 0));
    assert_int_equal(pixel(f, 17, 33), texel(1, 2));

    vgt_error err = {0};
    tvert v[3] = {{0, 0, 0.5f, 1, 0xFFFFFFFFu, 0, 0},
                  {64, 0, 0.5f, 1, 0xFFFFFFFFu, 1, 0},
                  {0, 64, 0.5f, 1, 0xFFFFFFFFu, 0, 1}};
    ts(f, 0, VGT_SVGA3D_TS_TEXCOORDGEN, VGT_SVGA3D_TEXCOORD_GEN_SPHERE);
    draw_tverts(f, v, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, true, VGT_E_UNSUPPORTED, &err);
    assert_non_null(strstr(err.message, "TEXCOORDGEN 4 with pretransformed"));
    /* Direct3D 9's D3DTSS_TCI_CAMERASPACEPOSITION in TEXCOORDINDEX against
     * TEXCOORDGEN EYE_NORMAL: which one is meant is unknown */
    ts(f, 0, VGT_SVGA3D_TS_TEXCOORDGEN, VGT_SVGA3D_TEXCOORD_GEN_EYE_NORMAL);
    ts(f, 0, VGT_SVGA3D_TS_TEXCOORDINDEX, 0x20000u);
    draw_tverts(f, v, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, true, VGT_E_UNSUPPORTED, &err);
    assert_non_null(strstr(err.message, "TEXCOORDINDEX 0x20000 with TEXCOORDGEN 2"));
    ts(f, 0, VGT_SVGA3D_TS_TEXCOORDGEN, VGT_SVGA3D_TEXCOORD_GEN_OFF);
    ts(f, 0, VGT_SVGA3D_TS_TEXCOORDINDEX, 0);
    ts(f, 0, VGT_SVGA3D_TS_TEXTURETRANSFORMFLAGS,
       VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_PROJECTED);
    draw_tverts(f, v, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, true, VGT_E_UNSUPPORTED, &err);
    assert_non_null(strstr(err.message, "TEXTURETRANSFORMFLAGS 0x8001 (one transformed"));
    ts(f, 0, VGT_SVGA3D_TS_TEXTURETRANSFORMFLAGS, 0x10u);
    draw_tverts(f, v, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, true, VGT_E_UNSUPPORTED, &err);
    assert_non_null(strstr(err.message, "TEXTURETRANSFORMFLAGS 0x10 has bits"));
    /* nothing of the refused draws reached the target */
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(pixel(f, 1, 1), texel(0, 0));
}

static void test_unsupported_state_rejected(void **state)
{
    fixture *f = *state;
    scene(f);
    vgt_error err = {0};
    /* (vertex blending is drawn now, and pretransformed vertices ignore it;
     * tests/soft/test_soft_vblend.c) */
    /* (cylindrical wrapping is drawn now: tests/gl/test_gl_wrap.c; a bit
     * beyond D3DWRAPCOORD_3 is refused) */
    rs(f, VGT_SVGA3D_RS_WRAP0, VGT_SVGA3D_WRAPCOORD_0 | 0x10u);
    draw_tverts(f, tri_cw, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, false, VGT_E_UNSUPPORTED, &err);
    assert_non_null(strstr(err.message, "RS WRAP0 = 0x11: only bits 0..3 (u, v, w, q)"));
    rs(f, VGT_SVGA3D_RS_WRAP0, 0);
    download32(f, SID_RT, 0, W, H);
    assert_int_equal(count_pixels(f, 0xFF000000u), W * H);
}

/* Vertex blending through the executor: SETTRANSFORM WORLD1 and RS
 * VERTEXBLEND reach the renderer (tests/soft/test_soft_vblend.c has the
 * rules).  A quad of columns 25..40 with weight 0.25 for WORLD (identity)
 * and 0.75 for WORLD1 (16 pixels right) starts at column 37.  Tweened
 * (RS TWEENFACTOR, a float) towards a POSITION 1 16 pixels right, by 0.5
 * it starts at column 33. */
typedef struct bwvert {
    float x, y, z, w0;
    float x1, y1, z1;
} bwvert;

static uint32_t first_lit_column(fixture *f, uint32_t y)
{
    download32(f, SID_RT, 0, W, H);
    for (uint32_t x = 0; x < W; x++) {
        if (pixel(f, x, y) != 0xFF000000u) {
            return x;
        }
    }
    return W;
}

static void test_vertex_blend(void **state)
{
    fixture *f = *state;
    scene(f);
    rs(f, VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE);
    const float a = -0.25f + 1.0f / 64.0f, c = 0.25f + 1.0f / 64.0f;
    bwvert v[4] = {{a, c, 0.5f, 0.25f, a + 0.5f, c, 0.5f},
                   {c, c, 0.5f, 0.25f, c + 0.5f, c, 0.5f},
                   {a, a, 0.5f, 0.25f, a + 0.5f, a, 0.5f},
                   {c, a, 0.5f, 0.25f, c + 0.5f, a, 0.5f}};
    upload(f, SID_VB, 0, v, sizeof(v), sizeof(v), 1);
    body b = {0};
    put(&b, CID);
    put(&b, 2);
    put(&b, 1);
    /* decls: type, method, usage, usage_index, {sid, offset, stride}, range */
    uint32_t d[2][9] = {{VGT_SVGA3D_DECLTYPE_FLOAT3, 0, VGT_SVGA3D_DECLUSAGE_POSITION, 0, SID_VB, 0,
                         sizeof(bwvert), 0, 0},
                        {VGT_SVGA3D_DECLTYPE_FLOAT1, 0, VGT_SVGA3D_DECLUSAGE_BLENDWEIGHT, 0, SID_VB,
                         12, sizeof(bwvert), 0, 0}};
    put_bytes(&b, d, sizeof(d));
    uint32_t r[] = {VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 2, VGT_SVGA3D_INVALID_ID, 0, 0, 0, 0};
    put_bytes(&b, r, sizeof(r));
    const float world1[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0.5f, 0, 0, 1};
    set_transform(f, VGT_SVGA3D_TRANSFORM_WORLD1, world1);
    ok(f, VGT_SVGA3D_CMD_DRAW_PRIMITIVES, &b);
    assert_int_equal(first_lit_column(f, 32), 25); /* VERTEXBLEND off: WORLD */
    clear(f, VGT_SVGA3D_CLEAR_COLOR, 0xFF000000u, 1.0f, 0);
    rs(f, VGT_SVGA3D_RS_VERTEXBLEND, VGT_SVGA3D_VBLEND_1WEIGHT);
    ok(f, VGT_SVGA3D_CMD_DRAW_PRIMITIVES, &b);
    assert_int_equal(first_lit_column(f, 32), 37);
    clear(f, VGT_SVGA3D_CLEAR_COLOR, 0xFF000000u, 1.0f, 0);
    /* tweening without a POSITION 1: the draw is refused, nothing drawn */
    rs(f, VGT_SVGA3D_RS_VERTEXBLEND, VGT_SVGA3D_VBLEND_TWEENING);
    vgt_error err = {0};
    assert_int_equal(run_cmd(f, VGT_SVGA3D_CMD_DRAW_PRIMITIVES, &b, NULL, &err), VGT_E_INVALID);
    assert_non_null(strstr(err.message, "VERTEXBLEND TWEENING: the vertex declaration has no "
                                        "POSITION element with usage index 1"));
    assert_int_equal(first_lit_column(f, 32), W); /* nothing of the refused draw */
    /* with one (in place of BLENDWEIGHT), the same backend draws on:
     * TWEENFACTOR's default 0 is POSITION 0, 0.5 halfway */
    body t = {0};
    put(&t, CID);
    put(&t, 2);
    put(&t, 1);
    d[1][0] = VGT_SVGA3D_DECLTYPE_FLOAT3;
    d[1][2] = VGT_SVGA3D_DECLUSAGE_POSITION;
    d[1][3] = 1;
    d[1][5] = offsetof(bwvert, x1);
    put_bytes(&t, d, sizeof(d));
    put_bytes(&t, r, sizeof(r));
    ok(f, VGT_SVGA3D_CMD_DRAW_PRIMITIVES, &t);
    assert_int_equal(first_lit_column(f, 32), 25);
    clear(f, VGT_SVGA3D_CLEAR_COLOR, 0xFF000000u, 1.0f, 0);
    float half = 0.5f;
    uint32_t half_bits;
    memcpy(&half_bits, &half, sizeof(half_bits));
    rs(f, VGT_SVGA3D_RS_TWEENFACTOR, half_bits);
    ok(f, VGT_SVGA3D_CMD_DRAW_PRIMITIVES, &t);
    assert_int_equal(first_lit_column(f, 32), 33);
    rs(f, VGT_SVGA3D_RS_VERTEXBLEND, VGT_SVGA3D_VBLEND_DISABLE);
    rs(f, VGT_SVGA3D_RS_TWEENFACTOR, 0);
}

static void test_deterministic(void **state)
{
    fixture *f = *state;
    static uint8_t first[W * H * 4];
    for (int run = 0; run < 2; run++) {
        if (run) {
            vgt_executor_reset(f->ex);
        }
        scene(f);
        rs(f, VGT_SVGA3D_RS_BLENDENABLE, 1);
        rs(f, VGT_SVGA3D_RS_SRCBLEND, VGT_SVGA3D_BLENDOP_SRCALPHA);
        rs(f, VGT_SVGA3D_RS_DSTBLEND, VGT_SVGA3D_BLENDOP_INVSRCALPHA);
        tvert v[3] = {
            {3.3f, 2.7f, 0.2f, 1, 0x80FF8000u, 0, 0},
            {61.1f, 20.9f, 0.6f, 1, 0xC000FF80u, 0, 0},
            {17.4f, 60.2f, 0.9f, 1, 0x408000FFu, 0, 0},
        };
        draw_tverts(f, v, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, false, VGT_OK, NULL);
        quad(f, 10, 10, 50, 30, 0.4f, 0x7F00FF00u);
        const uint32_t *px = download32(f, SID_RT, 0, W, H);
        if (run == 0) {
            memcpy(first, px, sizeof(first));
        } else {
            assert_memory_equal(first, px, sizeof(first));
        }
    }
}

static void test_raw_format_roundtrip_and_mipmaps(void **state)
{
    fixture *f = *state;
    /* LUMINANCE16 is stored, not drawn: its bytes go up and down intact. */
    define_surface(f, 20, VGT_SVGA3D_LUMINANCE16, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 8, 4, 1);
    uint8_t data[8 * 2 * 4];
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 7 + 1);
    }
    upload(f, 20, 0, data, 16, 8, 4);
    vgt_error err = {0};
    assert_int_equal(dma(f, 20, 0, VGT_SVGA3D_READ_HOST_VRAM, OFF_READBACK, 16, 0, 0, 8, 4, &err),
                     VGT_OK);
    assert_memory_equal(f->m.gmr1 + OFF_READBACK, data, sizeof(data));
    vgt_backend_soft_counters c;
    assert_int_equal(vgt_backend_soft_counters_get(vgt_executor_backend(f->ex), &c), VGT_OK);
    assert_int_equal(c.raw_surfaces_alive, 1);

    /* GENERATE_MIPMAPS: a 2x2 level from a 4x4 of 2x2 blocks of one color. */
    define_surface(f, 21, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 4, 4, 3);
    uint32_t tex[16];
    for (uint32_t y = 0; y < 4; y++) {
        for (uint32_t x = 0; x < 4; x++) {
            tex[y * 4 + x] = (x < 2) == (y < 2) ? 0xFFFFFFFFu : 0xFF000000u;
        }
    }
    upload(f, 21, 0, tex, 16, 4, 4);
    body b = {0};
    put(&b, 21);
    put(&b, VGT_SVGA3D_TEX_FILTER_LINEAR);
    ok(f, VGT_SVGA3D_CMD_GENERATE_MIPMAPS, &b);
    const uint32_t *l1 = download32(f, 21, 1, 2, 2);
    assert_int_equal(l1[0], 0xFFFFFFFFu);
    assert_int_equal(l1[1], 0xFF000000u);
    assert_int_equal(l1[2], 0xFF000000u);
    assert_int_equal(l1[3], 0xFFFFFFFFu);
    const uint32_t *l2 = download32(f, 21, 2, 1, 1);
    assert_near(l2[0], 0xFF808080u, 1);
}

/* The per-format caps say what vgt_soft samples: every samplable format as
 * a cube map, all but depth formats as volumes; raw formats none. */
/* The fragment probe through the backend ops: a CLEAR of 70 rects, each
 * covering the pixel, is one fragment; a CLEAR whose rects miss it is none. */
static void test_probe_clear_one_fragment(void **state)
{
    (void)state;
    vgt_backend be;
    vgt_error err = {0};
    assert_int_equal(vgt_backend_create(VGT_BACKEND_SOFT, NULL, &be, &err), VGT_OK);
    vgt_surface_image im = {{8, 8, 1}, 32, 256, 0, 256};
    vgt_backend_surface_desc d = {.sid = 1,
                                  .format = VGT_SVGA3D_A8R8G8B8,
                                  .faces = 1,
                                  .mip_levels = 1,
                                  .size = {8, 8, 1},
                                  .total_bytes = 256,
                                  .images = &im};
    vgt_backend_surface *s = NULL;
    assert_int_equal(be.ops->surface_define(be.self, &d, &s, &err), VGT_OK);
    vgt_backend_draw_state *t = calloc(1, sizeof(*t));
    assert_non_null(t);
    t->color_targets[0] = (vgt_backend_view){s, 0, 0, VGT_SVGA3D_A8R8G8B8, {8, 8, 1}};
    t->color_target_count = 1;
    vgt_svga3d_rect rects[70];
    for (uint32_t i = 0; i < 70; i++) {
        rects[i] = (vgt_svga3d_rect){2, 3, 1, 1}; /* the probed pixel, 70 times */
    }
    be.ops->fragment_probe(be.self, &t->color_targets[0], 2, 3);
    assert_int_equal(
        be.ops->clear(be.self, t, VGT_SVGA3D_CLEAR_COLOR, 0xff102030u, 1.0f, 0, rects, 70, &err),
        VGT_OK);
    vgt_backend_fragment fr[4];
    uint64_t dropped = 9;
    assert_int_equal(be.ops->fragment_take(be.self, fr, 4, &dropped), 1);
    assert_int_equal(dropped, 0);
    assert_int_equal(fr[0].fate, VGT_BACKEND_FATE_CLEARED);
    assert_int_equal(fr[0].clear_flags, VGT_SVGA3D_CLEAR_COLOR);
    assert_true(fr[0].has_after);
    assert_int_equal((int)(fr[0].after[0] * 255.0f + 0.5f), 0x10);
    assert_int_equal((int)(fr[0].after[2] * 255.0f + 0.5f), 0x30);
    /* beside the pixel: nothing */
    for (uint32_t i = 0; i < 70; i++) {
        rects[i] = (vgt_svga3d_rect){3, 3, 5, 5};
    }
    assert_int_equal(
        be.ops->clear(be.self, t, VGT_SVGA3D_CLEAR_COLOR, 0xff102030u, 1.0f, 0, rects, 70, &err),
        VGT_OK);
    assert_int_equal(be.ops->fragment_take(be.self, fr, 4, &dropped), 0);
    be.ops->fragment_probe(be.self, NULL, 0, 0);
    be.ops->surface_destroy(be.self, s);
    free(t);
    vgt_backend_destroy(&be);
}

/* A CLEAR of 10 000 whole-target rects (160 KB of rects; COLOR, DEPTH and
 * STENCIL) writes each pixel of its 64x64 colour target and each texel of
 * its D24S8 target once: clear_texels grows by 2 x 64 x 64, not 10 000
 * times that; and every pixel is the clear's. */
static void test_clear_many_rects_once(void **state)
{
    (void)state;
    vgt_backend be;
    vgt_error err = {0};
    assert_int_equal(vgt_backend_create(VGT_BACKEND_SOFT, NULL, &be, &err), VGT_OK);
    vgt_surface_image im = {{W, H, 1}, W * 4, W * H * 4, 0, W * H * 4};
    vgt_backend_surface_desc d = {.sid = 1,
                                  .format = VGT_SVGA3D_A8R8G8B8,
                                  .faces = 1,
                                  .mip_levels = 1,
                                  .size = {W, H, 1},
                                  .total_bytes = W * H * 4,
                                  .images = &im};
    vgt_backend_surface *rt = NULL, *ds = NULL;
    assert_int_equal(be.ops->surface_define(be.self, &d, &rt, &err), VGT_OK);
    d.sid = 2;
    d.format = VGT_SVGA3D_Z_D24S8;
    assert_int_equal(be.ops->surface_define(be.self, &d, &ds, &err), VGT_OK);
    vgt_backend_draw_state *t = calloc(1, sizeof(*t));
    assert_non_null(t);
    t->color_targets[0] = (vgt_backend_view){rt, 0, 0, VGT_SVGA3D_A8R8G8B8, {W, H, 1}};
    t->color_target_count = 1;
    t->depth_target = (vgt_backend_view){ds, 0, 0, VGT_SVGA3D_Z_D24S8, {W, H, 1}};
    t->stencil_target = t->depth_target;
    enum { N = 10000 };
    vgt_svga3d_rect *rects = malloc(N * sizeof(*rects));
    assert_non_null(rects);
    for (uint32_t i = 0; i < N; i++) {
        rects[i] = (vgt_svga3d_rect){0, 0, W, H};
    }
    vgt_backend_soft_counters before, after;
    assert_int_equal(vgt_backend_soft_counters_get(&be, &before), VGT_OK);
    assert_int_equal(
        be.ops->clear(be.self, t,
                      VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL,
                      0xff102030u, 0.5f, 0x5a, rects, N, &err),
        VGT_OK);
    assert_int_equal(vgt_backend_soft_counters_get(&be, &after), VGT_OK);
    assert_int_equal(after.clear_texels - before.clear_texels, 2u * W * H);
    assert_int_equal(after.clears - before.clears, 1);
    /* and the pixels: the colour everywhere */
    static uint8_t px[W * H * 4];
    vgt_svga3d_rect all = {0, 0, W, H};
    assert_int_equal(be.ops->read_slice(be.self, &t->color_targets[0], 0, &all, px, W * 4, &err),
                     VGT_OK);
    for (uint32_t i = 0; i < W * H; i++) {
        assert_int_equal(vgt_load_le32(px + 4 * i), 0xff102030u);
    }
    free(rects);
    free(t);
    be.ops->surface_destroy(be.self, rt);
    be.ops->surface_destroy(be.self, ds);
    vgt_backend_destroy(&be);
}

static void test_format_caps(void **state)
{
    (void)state;
    vgt_backend be;
    vgt_error err = {0};
    assert_int_equal(vgt_backend_create(VGT_BACKEND_SOFT, NULL, &be, &err), VGT_OK);
    vgt_backend_caps *caps = calloc(1, sizeof(*caps));
    be.ops->get_caps(be.self, caps);
    const uint32_t tex = VGT_SVGA3D_FORMAT_OP_TEXTURE, cube = VGT_SVGA3D_FORMAT_OP_CUBETEXTURE,
                   vol = VGT_SVGA3D_FORMAT_OP_VOLUMETEXTURE;
    static const uint32_t color[] = {
        VGT_SVGA3D_DEVCAP_SURFACEFMT_A8R8G8B8, VGT_SVGA3D_DEVCAP_SURFACEFMT_R5G6B5,
        VGT_SVGA3D_DEVCAP_SURFACEFMT_DXT1, VGT_SVGA3D_DEVCAP_SURFACEFMT_ARGB_S23E8};
    for (size_t i = 0; i < sizeof(color) / sizeof(color[0]); i++) {
        assert_int_equal(caps->devcap[color[i]] & (tex | cube | vol), tex | cube | vol);
    }
    assert_int_equal(caps->devcap[VGT_SVGA3D_DEVCAP_SURFACEFMT_Z_D24S8] & (tex | cube | vol),
                     tex | cube);
    /* the signed bump formats are sampled as every texture and read by
     * texbem/texbeml/bem (BUMPMAP), never render targets; CxV8U8, a
     * normal-map format, is not flagged BUMPMAP (Wine, and gl) */
    static const uint32_t bump[] = {VGT_SVGA3D_DEVCAP_SURFACEFMT_BUMPU8V8,
                                    VGT_SVGA3D_DEVCAP_SURFACEFMT_BUMPX8L8V8U8,
                                    VGT_SVGA3D_DEVCAP_SURFACEFMT_Q8W8V8U8};
    for (size_t i = 0; i < sizeof(bump) / sizeof(bump[0]); i++) {
        assert_int_equal(caps->devcap[bump[i]], tex | cube | vol |
                                                    VGT_SVGA3D_FORMAT_OP_OFFSCREENPLAIN |
                                                    VGT_SVGA3D_FORMAT_OP_BUMPMAP);
    }
    assert_int_equal(caps->devcap[VGT_SVGA3D_DEVCAP_SURFACEFMT_CXV8U8],
                     tex | cube | vol | VGT_SVGA3D_FORMAT_OP_OFFSCREENPLAIN);
    assert_int_equal(
        caps->devcap[VGT_SVGA3D_DEVCAP_SURFACEFMT_A8R8G8B8] & VGT_SVGA3D_FORMAT_OP_BUMPMAP, 0);
    /* the fixed-function BUMPENVMAPLUMINANCE combiner runs; DSDT and
     * PREMODULATE do not */
    uint32_t ops = caps->devcap[VGT_SVGA3D_DEVCAP_TEXTURE_OPS];
    assert_true(ops & VGT_SVGA3D_TC_CAP_BIT(VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE));
    assert_false(ops & VGT_SVGA3D_TC_CAP_BIT(VGT_SVGA3D_TC_DSDT));
    assert_false(ops & VGT_SVGA3D_TC_CAP_BIT(VGT_SVGA3D_TC_PREMODULATE));
    /* A2W10V10U10 is not sampled */
    assert_int_equal(caps->devcap[VGT_SVGA3D_DEVCAP_SURFACEFMT_A2W10V10U10], 0);
    free(caps);
    vgt_backend_destroy(&be);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear_color, setup, teardown),
        cmocka_unit_test_setup_teardown(test_triangle_coverage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indexed_triangle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_depth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_textured_quad_upright, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blend, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cull_and_winding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stencil, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fog, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lighting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_present_to_display, setup, teardown),
        cmocka_unit_test_setup_teardown(test_occlusion_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shader_draw_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_texture_transform_pretransformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unsupported_state_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vertex_blend, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw_format_roundtrip_and_mipmaps, setup, teardown),
        cmocka_unit_test(test_format_caps),
        cmocka_unit_test(test_probe_clear_one_fragment),
        cmocka_unit_test(test_clear_many_rects_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
