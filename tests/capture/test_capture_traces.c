/* test_capture_traces.c - captures of framebuffer trace refreshes
 * (docs/device.md "Framebuffer traces"): the fbtrace sample (no FIFO) and a
 * guest mixing FIFO UPDATEs with refreshes (TRACES 1) replay bit-exact on
 * null and soft, equal to the live frames pixel for pixel, and the trace
 * marks every refresh's UPDATE with the refresh offset.  A run whose guest
 * moved the BARs first replays bit-exact too, and so does a 3D guest drawing
 * with RS WRAP0 (cylindrical texture wrapping) on the soft backend, one
 * drawing with ANISOTROPIC filtering at level 16, and one drawing with
 * Direct3D 9's vertex stream frequency (a vs_3_0, a color stream divided
 * by 3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vgt_capture.h"
#include "vgt_format.h"
#include "vgt_replay.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FRAMES 32

static char tmpdir[1024];

typedef struct live {
    vgt_image img[MAX_FRAMES];
    uint64_t frames;
} live;

static void live_frame_end(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    (void)seq;
    live *l = ctx;
    l->frames = frame + 1;
    if (frame < MAX_FRAMES && display) {
        vgt_error err = {0};
        (void)vgt_image_copy(&l->img[frame], display, &err);
    }
}

static void live_free(live *l)
{
    for (int i = 0; i < MAX_FRAMES; i++) {
        vgt_image_free(&l->img[i]);
    }
}

/* Runs fn captured into path (the live frames into *l), with 3D on the
 * soft backend when soft3d (else the VM's defaults); the device's stats. */
static vgt_device_stats run_captured_3d(const char *path, int (*fn)(vgt_guest *, void *), void *arg,
                                        live *l, bool soft3d)
{
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    if (soft3d) {
        cfg.device.enable_3d = true;
        cfg.device.backend_3d = VGT_BACKEND_SOFT;
    }
    cfg.ram_size = 32u << 20;
    cfg.device.vram_size = 4u << 20;
    memset(l, 0, sizeof(*l));
    cfg.device.taps.ctx = l;
    cfg.device.taps.frame_end = live_frame_end;
    vgt_capture_settings s;
    vgt_capture_settings_init(&s);
    s.path = path;
    s.log = NULL;
    vgt_error err = {0};
    vgt_capture *cap = NULL;
    assert_int_equal(vgt_capture_create(&s, &cap, &err), VGT_OK);
    vgt_capture_install(cap, &cfg.device);
    vgt_vm *vm = NULL;
    assert_int_equal(vgt_vm_create(&cfg, &vm, &err), VGT_OK);
    assert_int_equal(vgt_capture_attach(cap, vgt_vm_device(vm), &err), VGT_OK);
    int code = -1;
    assert_int_equal(vgt_vm_run(vm, fn, arg, &code, &err), VGT_OK);
    assert_int_equal(code, 0);
    vgt_device_stats st;
    vgt_device_get_stats(vgt_vm_device(vm), &st);
    vgt_capture_detach(cap);
    vgt_vm_destroy(vm);
    vgt_capture_stats cs;
    assert_int_equal(vgt_capture_close(cap, &cs, &err), VGT_OK);
    assert_false(cs.failed);
    assert_int_equal(cs.frames, st.frames);
    assert_int_equal(cs.commands, st.commands);
    return st;
}

/* Runs fn captured into path (the live frames into *l); the device's stats. */
static vgt_device_stats run_captured(const char *path, int (*fn)(vgt_guest *, void *), void *arg,
                                     live *l)
{
    return run_captured_3d(path, fn, arg, l, false);
}

typedef struct seen {
    const live *l;
    uint64_t frames, mismatches;
} seen;

static int on_frame(void *ctx, const vgt_replay_frame *f)
{
    seen *s = ctx;
    s->frames++;
    const vgt_image *a = f->image;
    const vgt_image *b = f->frame < MAX_FRAMES ? &s->l->img[f->frame] : NULL;
    if (!a || !b || a->width != b->width || a->height != b->height) {
        s->mismatches++;
        return 0;
    }
    for (uint32_t y = 0; y < a->height; y++) {
        if (memcmp(a->pixels + (size_t)y * a->stride, b->pixels + (size_t)y * b->stride,
                   (size_t)a->width * 4u) != 0) {
            s->mismatches++;
            break;
        }
    }
    return 0;
}

/* Replays path with --verify on `backend`: every frame verified and equal
 * to the live one. */
static void replay_verifies(const char *path, vgt_replay_backend backend, const live *l,
                            const vgt_device_stats *dev)
{
    seen s = {.l = l};
    vgt_replayer_options o = {
        .backend = backend,
        .first_frame = 0,
        .last_frame = UINT64_MAX,
        .compose = true,
        .verify = true,
        .on_frame = on_frame,
        .ctx = &s,
    };
    vgt_error err = {0};
    vgt_replayer *r = NULL;
    assert_int_equal(vgt_replayer_open(path, &o, &r, &err), VGT_OK);
    vgt_replay_stats st;
    vgt_status rs = vgt_replayer_run(r, &st, &err);
    vgt_replayer_close(r);
    if (rs != VGT_OK) {
        fail_msg("replay: %s", err.message);
    }
    assert_int_equal(st.frames, dev->frames);
    assert_int_equal(st.frames_verified, dev->frames);
    assert_int_equal(st.commands, dev->commands);
    assert_int_equal(s.frames, dev->frames);
    assert_int_equal(s.mismatches, 0);
}

/* The trace's commands carrying the refresh offset, and all of them. */
static void count_refreshes(const char *path, uint64_t *refreshes, uint64_t *commands)
{
    *refreshes = *commands = 0;
    vgt_error err = {0};
    vgt_trace_reader *r = NULL;
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    vgt_trace_record rec;
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
        if (!vgt_trace_is_commands(rec.type)) {
            continue;
        }
        vgt_trace_commands b;
        assert_int_equal(vgt_trace_commands_parse(&rec, &b, &err), VGT_OK);
        vgt_trace_command c;
        while (vgt_trace_commands_next(&b, &c)) {
            (*commands)++;
            if (c.fifo_offset == VGT_TRACE_REFRESH_OFFSET) {
                assert_int_equal(c.nwords, 5);
                assert_int_equal(vgt_load_le32(c.words), VGT_SVGA_CMD_UPDATE);
                (*refreshes)++;
            }
        }
    }
    vgt_trace_reader_close(r);
}

static void test_capture_fbtrace(void **state)
{
    (void)state;
    char path[1100];
    snprintf(path, sizeof(path), "%s/fbtrace.vgt", tmpdir);
    vgt_sample_run ga = {vgt_sample_find("fbtrace"),
                         {.frames = 12, .width = 160, .height = 120, .quiet = true}};
    assert_non_null(ga.sample);
    live *l = calloc(1, sizeof(*l));
    vgt_device_stats dev = run_captured(path, vgt_sample_guest, &ga, l);
    assert_int_equal(dev.errors, 0);
    assert_int_equal(dev.frames, 12);
    /* refresh UPDATEs only, nothing from a FIFO: the whole screen at frame
     * 0, then the block's rectangle and the bar's, one rectangle when the
     * block comes within 8 rows of the bar (frame 11) */
    assert_int_equal(dev.commands, 22);
    assert_int_equal(dev.fifo_bytes, 0);
    assert_int_equal(dev.trace_updates, 12);
    uint64_t refreshes, commands;
    count_refreshes(path, &refreshes, &commands);
    assert_int_equal(refreshes, 22);
    assert_int_equal(commands, 22);
    replay_verifies(path, VGT_REPLAY_BACKEND_NULL, l, &dev);
    replay_verifies(path, VGT_REPLAY_BACKEND_SOFT, l, &dev);
    live_free(l);
    free(l);
    unlink(path);
}

#define MW 128u
#define MH 96u

/* A FIFO guest with TRACES 1: per frame the same UPDATE of row 0 from the
 * FIFO, a refresh, and that UPDATE again (its words equal the FIFO command
 * before it, with the refresh's between them in the command log). */
static int mixed_guest(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_drv drv;
    vgt_error err = {0};
    if (vgt_drv_init(&drv, g, &err) != VGT_OK ||
        vgt_drv_set_mode(&drv, MW, MH, 32, &err) != VGT_OK) {
        return 2;
    }
    vgt_drv_write_reg(&drv, VGT_SVGA_REG_TRACES, 1);
    for (uint32_t f = 0; f < 10; f++) {
        uint8_t *row0 = drv.fb;
        vgt_store_le32(row0 + 4u * f, 0x00102030u * (f + 1u));
        vgt_drv_update(&drv, 0, 0, MW, 1);
        vgt_drv_sync_all(&drv);
        vgt_store_le32(drv.fb + (size_t)(20u + 5u * f) * drv.pitch + 4u * f, 0x00FF00FFu - f);
        vgt_guest_wait_refresh(g);
        vgt_store_le32(row0 + 4u * (f + 40u), 0x00ABCDEFu + f);
        vgt_drv_update(&drv, 0, 0, MW, 1);
        vgt_drv_sync_all(&drv);
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv)); /* ends the frame */
    }
    int rc = drv.failed ? 3 : 0;
    vgt_drv_fini(&drv);
    return rc;
}

static void test_capture_traces_with_fifo(void **state)
{
    (void)state;
    char path[1100];
    snprintf(path, sizeof(path), "%s/mixed.vgt", tmpdir);
    live *l = calloc(1, sizeof(*l));
    vgt_device_stats dev = run_captured(path, mixed_guest, NULL, l);
    assert_int_equal(dev.errors, 0);
    assert_int_equal(dev.trace_updates, 10);
    assert_true(dev.frames >= 20); /* a refresh's frame and a fence's, each loop */
    uint64_t refreshes, commands;
    count_refreshes(path, &refreshes, &commands);
    /* the whole screen at the first refresh, then row 0's changed pixel
     * (the FIFO's UPDATEs do not tell the shadow) and row 20 + 5f's: two
     * rectangles */
    assert_int_equal(refreshes, 19);
    assert_int_equal(commands, dev.commands);
    replay_verifies(path, VGT_REPLAY_BACKEND_NULL, l, &dev);
    live_free(l);
    free(l);
    unlink(path);
}

/* A guest that assigns the BARs itself (I/O 0xE000, VRAM 0x70000000, FIFO
 * 0x08000000) and then runs the 2d-demo through them. */
static int relocated_guest(vgt_guest *g, void *arg)
{
    vgt_error err = {0};
    if (vgt_drv_relocate_bars(g, 0xE000u, 0x70000000u, 0x08000000u, &err) != VGT_OK) {
        return 10;
    }
    return vgt_sample_guest(g, arg);
}

/* A capture of a run with moved BARs replays bit-exact: the trace names
 * guest memory by RAM page and VRAM by offset, never by a BAR address. */
static void test_capture_relocated_bars(void **state)
{
    (void)state;
    char path[1100];
    snprintf(path, sizeof(path), "%s/relocated.vgt", tmpdir);
    vgt_sample_run ga = {vgt_sample_find("2d-demo"),
                         {.frames = 6, .width = 160, .height = 120, .quiet = true}};
    assert_non_null(ga.sample);
    live *l = calloc(1, sizeof(*l));
    vgt_device_stats dev = run_captured(path, relocated_guest, &ga, l);
    assert_int_equal(dev.errors, 0);
    assert_int_equal(dev.frames, 6);
    replay_verifies(path, VGT_REPLAY_BACKEND_SOFT, l, &dev);
    live_free(l);
    free(l);
    unlink(path);
}

/* RS WRAPn in a capture: a guest draws a full-screen quad whose u runs 0.9
 * -> 0.1 (left to right) and v 0.1 -> 0.9 (top to bottom) from a
 * point-sampled 8 x 8 texture, with WRAP0 u in frame 0, u | v in frame 1
 * and none in frame 2. */
enum {
    WRAP_W = 64,
    WRAP_H = 64,
    WRAP_CID = 1,
    WRAP_RT = 1,
    WRAP_DS = 2,
    WRAP_VB = 3,
    WRAP_TEX = 4
};

typedef struct wrap_vertex {
    float x, y, z;
    float u, v;
} wrap_vertex;

static uint32_t wrap_texel(uint32_t i)
{
    return (0x102030u + i * 0x3f1f07u) & 0xffffffu;
}

static uint32_t pixel_at(const vgt_image *im, uint32_t x, uint32_t y)
{
    return vgt_load_le32(im->pixels + (size_t)y * im->stride + x * 4u) & 0xffffffu;
}

static int wrap_guest(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    if (!vgt_drv3d_start(&drv, g, "wrap", WRAP_W, WRAP_H, true)) {
        return 2;
    }
    static const wrap_vertex quad[6] = {
        {-1, 1, 0.5f, 0.9f, 0.1f},  {1, 1, 0.5f, 0.1f, 0.1f}, {-1, -1, 0.5f, 0.9f, 0.9f},
        {-1, -1, 0.5f, 0.9f, 0.9f}, {1, 1, 0.5f, 0.1f, 0.1f}, {1, -1, 0.5f, 0.1f, 0.9f},
    };
    vgt_drv3d_define_screen_targets(&drv, WRAP_RT, WRAP_DS, WRAP_W, WRAP_H);
    vgt_drv3d_define_surface(&drv, WRAP_VB, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER,
                             sizeof(quad), 1, 1, 1);
    vgt_drv3d_define_surface(&drv, WRAP_TEX, VGT_SVGA3D_SURFACE_HINT_TEXTURE, VGT_SVGA3D_A8R8G8B8,
                             8, 8, 1, 1);
    vgt_drv3d_buffer staging = {0};
    if (vgt_drv3d_buffer_create(&drv, 1, 4096, &staging) != VGT_OK ||
        vgt_drv3d_upload_buffer(&drv, &staging, WRAP_VB, quad, sizeof(quad)) != VGT_OK) {
        vgt_drv_fini(&drv);
        return 3;
    }
    uint8_t *px = staging.ptr;
    for (uint32_t i = 0; i < 64; i++) {
        /* distinct texels: a different colour for each (x, y) */
        vgt_store_le32(px + 4u * i, 0xff000000u | wrap_texel(i));
    }
    vgt_svga3d_copy_box box = {0, 0, 0, 8, 8, 1, 0, 0, 0};
    vgt_drv3d_surface_dma(&drv, vgt_drv3d_buffer_ptr(&staging, 0), 32,
                          (vgt_svga3d_surface_image_id){WRAP_TEX, 0, 0}, VGT_SVGA3D_WRITE_HOST_VRAM,
                          &box, 1, NULL);
    vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    vgt_drv3d_setup_context(&drv, WRAP_CID, WRAP_RT, WRAP_DS, WRAP_W, WRAP_H);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZENABLE, 0},
        {VGT_SVGA3D_RS_LIGHTINGENABLE, 0},
        {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE},
    };
    vgt_drv3d_set_render_states(&drv, WRAP_CID, rs, 3);
    const vgt_svga3d_texture_state_entry ts[] = {
        {0, VGT_SVGA3D_TS_BIND_TEXTURE, WRAP_TEX},
        {0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_SELECTARG1},
        {0, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_TEXTURE},
        {0, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_SELECTARG1},
        {0, VGT_SVGA3D_TS_ALPHAARG1, VGT_SVGA3D_TA_TEXTURE},
        {0, VGT_SVGA3D_TS_MAGFILTER, VGT_SVGA3D_TEX_FILTER_NEAREST},
        {0, VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_NEAREST},
        {0, VGT_SVGA3D_TS_ADDRESSU, VGT_SVGA3D_TEX_ADDRESS_WRAP},
        {0, VGT_SVGA3D_TS_ADDRESSV, VGT_SVGA3D_TEX_ADDRESS_WRAP},
        {1, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_DISABLE},
        {1, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_DISABLE},
    };
    vgt_drv3d_set_texture_states(&drv, WRAP_CID, ts, sizeof(ts) / sizeof(ts[0]));
    float identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    vgt_drv3d_set_transform(&drv, WRAP_CID, VGT_SVGA3D_TRANSFORM_WORLD, identity);
    vgt_drv3d_set_transform(&drv, WRAP_CID, VGT_SVGA3D_TRANSFORM_VIEW, identity);
    vgt_drv3d_set_transform(&drv, WRAP_CID, VGT_SVGA3D_TRANSFORM_PROJECTION, identity);
    const vgt_svga3d_vertex_decl decls[2] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_POSITION,
         0,
         {WRAP_VB, 0, sizeof(wrap_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_FLOAT2,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_TEXCOORD,
         0,
         {WRAP_VB, 12, sizeof(wrap_vertex)},
         0,
         0},
    };
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, {VGT_SVGA3D_INVALID_ID, 0, 0}, 0, 0,
    };
    static const uint32_t wrap0[3] = {VGT_SVGA3D_WRAPCOORD_0,
                                      VGT_SVGA3D_WRAPCOORD_0 | VGT_SVGA3D_WRAPCOORD_1, 0};
    for (uint32_t f = 0; f < 3 && !drv.failed; f++) {
        const vgt_svga3d_render_state_pair w = {VGT_SVGA3D_RS_WRAP0, wrap0[f]};
        vgt_drv3d_set_render_states(&drv, WRAP_CID, &w, 1);
        vgt_drv3d_clear(&drv, WRAP_CID, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0, NULL, 0);
        vgt_drv3d_draw_primitives(&drv, WRAP_CID, decls, 2, &range, 1);
        vgt_drv3d_present(&drv, WRAP_RT, NULL, 0);
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    }
    vgt_drv3d_teardown(&drv, WRAP_CID, WRAP_RT, WRAP_TEX, &staging);
    return vgt_drv_sample_exit(&drv, "wrap", true);
}

/* The WRAP guest on the soft backend replays bit-exact on soft (every frame
 * verified, pixels equal to the live ones), and the three frames differ:
 * WRAP0 reached the renderer live and in the replay. */
static void test_capture_cylindrical_wrap(void **state)
{
    (void)state;
    char path[1100];
    snprintf(path, sizeof(path), "%s/wrap.vgt", tmpdir);
    live *l = calloc(1, sizeof(*l));
    vgt_device_stats dev = run_captured_3d(path, wrap_guest, NULL, l, true);
    assert_int_equal(dev.errors, 0);
    assert_true(dev.frames >= 3);
    uint64_t f = dev.frames - 3; /* the three draws are the last frames */
    const vgt_image *a = &l->img[f], *b = &l->img[f + 1], *c = &l->img[f + 2];
    assert_non_null(a->pixels);
    /* pixel (44, 4) samples u = 0.35 unwrapped (texel x 2), 1.04 wrapped
     * (x 0), and v = 0.15 (row 1), 1.09 wrapped (row 0): texel y * 8 + x */
    assert_int_equal(pixel_at(a, 44, 4), wrap_texel(8u * 1u + 0u));
    assert_int_equal(pixel_at(b, 44, 4), wrap_texel(8u * 0u + 0u));
    assert_int_equal(pixel_at(c, 44, 4), wrap_texel(8u * 1u + 2u));
    replay_verifies(path, VGT_REPLAY_BACKEND_SOFT, l, &dev);
    live_free(l);
    free(l);
    unlink(path);
}

/* Anisotropic filtering in a capture: a guest draws a full-screen quad
 * whose u covers 16 texels of a mipmapped 32 x 32 texture per pixel and v
 * one (a 16 x 1 footprint), trilinear LINEAR in frame 0, ANISOTROPIC with
 * TEXTURE_ANISOTROPIC_LEVEL 16 in frame 1 and 1 in frame 2. */
enum { ANISO_TEX_SIZE = 32, ANISO_LEVELS = 6 };

static uint32_t aniso_texel(uint32_t x, uint32_t mip)
{
    return 0xff000000u | ((x * 0x2f1b07u + mip * 0x51u) & 0xffffffu);
}

static int aniso_guest(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    if (!vgt_drv3d_start(&drv, g, "aniso", WRAP_W, WRAP_H, true)) {
        return 2;
    }
    /* u 0 -> 32 textures over 64 pixels (16 texels a pixel), v one texel a
     * pixel */
    const float v0 = 0.5f / ANISO_TEX_SIZE, v1 = v0 + 2.0f;
    const wrap_vertex quad[6] = {
        {-1, 1, 0.5f, 0.0f, v0},  {1, 1, 0.5f, 32.0f, v0}, {-1, -1, 0.5f, 0.0f, v1},
        {-1, -1, 0.5f, 0.0f, v1}, {1, 1, 0.5f, 32.0f, v0}, {1, -1, 0.5f, 32.0f, v1},
    };
    vgt_drv3d_define_screen_targets(&drv, WRAP_RT, WRAP_DS, WRAP_W, WRAP_H);
    vgt_drv3d_define_surface(&drv, WRAP_VB, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER,
                             sizeof(quad), 1, 1, 1);
    vgt_drv3d_define_surface(&drv, WRAP_TEX, VGT_SVGA3D_SURFACE_HINT_TEXTURE, VGT_SVGA3D_A8R8G8B8,
                             ANISO_TEX_SIZE, ANISO_TEX_SIZE, 1, ANISO_LEVELS);
    vgt_drv3d_buffer staging = {0};
    if (vgt_drv3d_buffer_create(&drv, 1, 8192, &staging) != VGT_OK ||
        vgt_drv3d_upload_buffer(&drv, &staging, WRAP_VB, quad, sizeof(quad)) != VGT_OK) {
        vgt_drv_fini(&drv);
        return 3;
    }
    for (uint32_t m = 0; m < ANISO_LEVELS; m++) {
        uint32_t n = ANISO_TEX_SIZE >> m;
        uint8_t *px = staging.ptr;
        for (uint32_t i = 0; i < n * n; i++) {
            vgt_store_le32(px + 4u * i, aniso_texel(i % n, m));
        }
        vgt_svga3d_copy_box box = {0, 0, 0, n, n, 1, 0, 0, 0};
        vgt_drv3d_surface_dma(&drv, vgt_drv3d_buffer_ptr(&staging, 0), n * 4u,
                              (vgt_svga3d_surface_image_id){WRAP_TEX, 0, m},
                              VGT_SVGA3D_WRITE_HOST_VRAM, &box, 1, NULL);
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    }
    vgt_drv3d_setup_context(&drv, WRAP_CID, WRAP_RT, WRAP_DS, WRAP_W, WRAP_H);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZENABLE, 0},
        {VGT_SVGA3D_RS_LIGHTINGENABLE, 0},
        {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE},
    };
    vgt_drv3d_set_render_states(&drv, WRAP_CID, rs, 3);
    const vgt_svga3d_texture_state_entry ts[] = {
        {0, VGT_SVGA3D_TS_BIND_TEXTURE, WRAP_TEX},
        {0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_SELECTARG1},
        {0, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_TEXTURE},
        {0, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_SELECTARG1},
        {0, VGT_SVGA3D_TS_ALPHAARG1, VGT_SVGA3D_TA_TEXTURE},
        {0, VGT_SVGA3D_TS_MAGFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR},
        {0, VGT_SVGA3D_TS_MIPFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR},
        {0, VGT_SVGA3D_TS_ADDRESSU, VGT_SVGA3D_TEX_ADDRESS_WRAP},
        {0, VGT_SVGA3D_TS_ADDRESSV, VGT_SVGA3D_TEX_ADDRESS_WRAP},
        {1, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_DISABLE},
        {1, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_DISABLE},
    };
    vgt_drv3d_set_texture_states(&drv, WRAP_CID, ts, sizeof(ts) / sizeof(ts[0]));
    float identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    vgt_drv3d_set_transform(&drv, WRAP_CID, VGT_SVGA3D_TRANSFORM_WORLD, identity);
    vgt_drv3d_set_transform(&drv, WRAP_CID, VGT_SVGA3D_TRANSFORM_VIEW, identity);
    vgt_drv3d_set_transform(&drv, WRAP_CID, VGT_SVGA3D_TRANSFORM_PROJECTION, identity);
    const vgt_svga3d_vertex_decl decls[2] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_POSITION,
         0,
         {WRAP_VB, 0, sizeof(wrap_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_FLOAT2,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_TEXCOORD,
         0,
         {WRAP_VB, 12, sizeof(wrap_vertex)},
         0,
         0},
    };
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, {VGT_SVGA3D_INVALID_ID, 0, 0}, 0, 0,
    };
    static const uint32_t filter[3] = {VGT_SVGA3D_TEX_FILTER_LINEAR,
                                       VGT_SVGA3D_TEX_FILTER_ANISOTROPIC,
                                       VGT_SVGA3D_TEX_FILTER_ANISOTROPIC};
    static const uint32_t level[3] = {16, 16, 1};
    for (uint32_t f = 0; f < 3 && !drv.failed; f++) {
        const vgt_svga3d_texture_state_entry t[] = {
            {0, VGT_SVGA3D_TS_MINFILTER, filter[f]},
            {0, VGT_SVGA3D_TS_TEXTURE_ANISOTROPIC_LEVEL, level[f]},
        };
        vgt_drv3d_set_texture_states(&drv, WRAP_CID, t, 2);
        vgt_drv3d_clear(&drv, WRAP_CID, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0, NULL, 0);
        vgt_drv3d_draw_primitives(&drv, WRAP_CID, decls, 2, &range, 1);
        vgt_drv3d_present(&drv, WRAP_RT, NULL, 0);
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    }
    vgt_drv3d_teardown(&drv, WRAP_CID, WRAP_RT, WRAP_TEX, &staging);
    return vgt_drv_sample_exit(&drv, "aniso", true);
}

/* The anisotropic guest on the soft backend replays bit-exact on soft;
 * live, ANISOTROPIC 16 drew another image than LINEAR and level 1 LINEAR's
 * (pixel (20, 8): 16 level-0 texels averaged against one level-4 sample). */
static void test_capture_anisotropic(void **state)
{
    (void)state;
    char path[1100];
    snprintf(path, sizeof(path), "%s/aniso.vgt", tmpdir);
    live *l = calloc(1, sizeof(*l));
    vgt_device_stats dev = run_captured_3d(path, aniso_guest, NULL, l, true);
    assert_int_equal(dev.errors, 0);
    assert_true(dev.frames >= 3);
    uint64_t f = dev.frames - 3;
    const vgt_image *a = &l->img[f], *b = &l->img[f + 1], *c = &l->img[f + 2];
    assert_non_null(a->pixels);
    assert_int_not_equal(pixel_at(a, 20, 8), pixel_at(b, 20, 8));
    for (uint32_t y = 0; y < WRAP_H; y += 7) {
        for (uint32_t x = 0; x < WRAP_W; x += 3) {
            assert_int_equal(pixel_at(a, x, y), pixel_at(c, x, y));
        }
    }
    replay_verifies(path, VGT_REPLAY_BACKEND_SOFT, l, &dev);
    live_free(l);
    free(l);
    unlink(path);
}

/* Direct3D 9's vertex stream frequency in a capture: a guest draws four
 * triangles of a list with a vs_3_0 + ps_3_0, its color stream divided by
 * 3 in frame 0 (each triangle one flat color) and by 1 (every vertex its
 * own color) in frame 1. */
#define FREQ_COL_OFF 256u

static const uint32_t freq_colors[12] = {
    0xffff0000u, 0xff00ff00u, 0xff0000ffu, 0xffffff00u, 0xff00ffffu, 0xffff00ffu,
    0xff808080u, 0xff4080c0u, 0xffc08040u, 0xff204060u, 0xff604020u, 0xffa0a0a0u,
};

static int freq_guest(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    if (!vgt_drv3d_start(&drv, g, "freq", WRAP_W, WRAP_H, true)) {
        return 2;
    }
    /* triangle i: the upper left half of the 16 x 64 column i, in clip
     * space */
    uint8_t vb[FREQ_COL_OFF + sizeof(freq_colors)];
    memset(vb, 0, sizeof(vb));
    for (uint32_t i = 0; i < 4; i++) {
        const float x0 = -1.0f + 0.5f * (float)i;
        const float c[3][4] = {{x0, 1, 0.5f, 1}, {x0 + 0.5f, 1, 0.5f, 1}, {x0, -1, 0.5f, 1}};
        memcpy(vb + 48u * i, c, sizeof(c));
    }
    memcpy(vb + FREQ_COL_OFF, freq_colors, sizeof(freq_colors));
    vgt_drv3d_define_screen_targets(&drv, WRAP_RT, WRAP_DS, WRAP_W, WRAP_H);
    vgt_drv3d_define_surface(&drv, WRAP_VB, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER,
                             sizeof(vb), 1, 1, 1);
    vgt_drv3d_buffer staging = {0};
    if (vgt_drv3d_buffer_create(&drv, 1, 4096, &staging) != VGT_OK ||
        vgt_drv3d_upload_buffer(&drv, &staging, WRAP_VB, vb, sizeof(vb)) != VGT_OK) {
        vgt_drv_fini(&drv);
        return 3;
    }
    vgt_drv3d_setup_context(&drv, WRAP_CID, WRAP_RT, WRAP_DS, WRAP_W, WRAP_H);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZENABLE, 0},
        {VGT_SVGA3D_RS_LIGHTINGENABLE, 0},
        {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE},
    };
    vgt_drv3d_set_render_states(&drv, WRAP_CID, rs, 3);
    vgt_drv3d_shaders_from_text(&drv, WRAP_CID, 1,
                                "vs_3_0\ndcl_position v0\ndcl_color v1\ndcl_position o0\n"
                                "dcl_color o1\nmov o0, v0\nmov o1, v1\n",
                                2, "ps_3_0\ndcl_color v0\nmov oC0, v0\n");
    const vgt_svga3d_vertex_decl decls[2] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT4,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_POSITION,
         0,
         {WRAP_VB, 0, 16},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_D3DCOLOR,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_COLOR,
         0,
         {WRAP_VB, FREQ_COL_OFF, 4},
         0,
         0},
    };
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 4, {VGT_SVGA3D_INVALID_ID, 0, 0}, 0, 0,
    };
    static const uint32_t div[2][2] = {{0, 3}, {0, 1}};
    for (uint32_t f = 0; f < 2 && !drv.failed; f++) {
        vgt_drv3d_clear(&drv, WRAP_CID, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0, NULL, 0);
        vgt_drv3d_draw_primitives_instanced(&drv, WRAP_CID, decls, 2, &range, 1, div[f]);
        vgt_drv3d_present(&drv, WRAP_RT, NULL, 0);
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    }
    vgt_drv3d_teardown(&drv, WRAP_CID, WRAP_RT, WRAP_VB, &staging);
    return vgt_drv_sample_exit(&drv, "freq", true);
}

/* The stream frequency guest on the soft backend replays bit-exact on
 * soft; live, frame 0's triangles are flat (pixel (2, 2) near one corner
 * and (2, 40) near another of triangle i in color i), frame 1's are not. */
static void test_capture_stream_frequency(void **state)
{
    (void)state;
    char path[1100];
    snprintf(path, sizeof(path), "%s/freq.vgt", tmpdir);
    live *l = calloc(1, sizeof(*l));
    vgt_device_stats dev = run_captured_3d(path, freq_guest, NULL, l, true);
    assert_int_equal(dev.errors, 0);
    assert_true(dev.frames >= 2);
    uint64_t f = dev.frames - 2;
    const vgt_image *a = &l->img[f], *b = &l->img[f + 1];
    assert_non_null(a->pixels);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(pixel_at(a, 16 * i + 2, 2), freq_colors[i] & 0xffffffu);
        assert_int_equal(pixel_at(a, 16 * i + 12, 2), freq_colors[i] & 0xffffffu);
        assert_int_equal(pixel_at(a, 16 * i + 2, 50), freq_colors[i] & 0xffffffu);
        assert_int_equal(pixel_at(a, 16 * i + 14, 60), 0);
        assert_int_not_equal(pixel_at(b, 16 * i + 2, 2), pixel_at(b, 16 * i + 2, 50));
    }
    replay_verifies(path, VGT_REPLAY_BACKEND_SOFT, l, &dev);
    live_free(l);
    free(l);
    unlink(path);
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof(tmpdir), "%s/vgt-capture-traces-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capture_fbtrace),
        cmocka_unit_test(test_capture_traces_with_fifo),
        cmocka_unit_test(test_capture_relocated_bars),
        cmocka_unit_test(test_capture_cylindrical_wrap),
        cmocka_unit_test(test_capture_anisotropic),
        cmocka_unit_test(test_capture_stream_frequency),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(tmpdir);
    return rc;
}
