/* test_dump_state.c - vgt_replayer_dump_state (vgt replay --dump-at): on
 * captures of the shaders and textured samples replayed on soft, a dump
 * right after a mid-frame draw holds the render target as the draw left it
 * (the frame's picture, or pixels a later draw of the frame changes), the
 * render and texture stage states the sample set (by name and value, none
 * at its default), the bound shaders' disassembly and constants, the
 * surfaces' sizes and mip pictures; on the null backend the state without
 * pictures; and the replay still verifies with dumps taken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../capture/capture_test_util.h"
#include "trace_writer_util.h"
#include "vgt_protocol.h"
#include "vgt_replay.h"
#include "vgt_samples.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[1024];

static void tmp_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
}

/* A 3D sample at 320x240 on the soft backend, `frames` frames. */
static void capture(const char *path, const char *sample, uint32_t frames)
{
    vgt_backend_kind be = VGT_BACKEND_SOFT;
    vgt_sample_args args = {.frames = frames, .width = 320, .height = 240};
    assert_true(capture_test_sample(path, sample, &args, &be, 0));
}

/* The shaders sample's 2-frame capture, made the first time a test asks for
 * it: the tests that dump it (soft after frame 1's draw, null after frame
 * 0's) replay the same trace, and a capture costs more than a replay. */
static const char *shaders_trace(void)
{
    static char path[1100];
    if (path[0] == '\0') {
        char p[sizeof(path)];
        tmp_path(p, sizeof(p), "shaders.vgt");
        capture(p, "shaders", 2);
        memcpy(path, p, sizeof(path));
    }
    return path;
}

/* What a replay with dumps does: dump after the n-th DRAW_PRIMITIVES of
 * guest frame `frame` (counted from 1) or after command `seq`, keep the
 * composed picture of frame `frame`. */
typedef struct run {
    vgt_replayer *r;
    const char *dir;
    uint64_t frame;
    uint32_t id; /* the command counted (0: DRAW_PRIMITIVES) */
    uint32_t nth_draw, draws;
    uint64_t seq; /* UINT64_MAX: by draw */
    uint64_t dumped_seq;
    uint32_t dumps;
    vgt_state_dump_info info;
    vgt_image picture; /* frame `frame` as composed */
    bool failed;
} run;

static int on_command(void *ctx, const vgt_replay_command *c)
{
    run *x = ctx;
    bool at = false;
    if (x->seq != UINT64_MAX) {
        at = c->seq == x->seq;
    } else if (c->frame == x->frame && c->id == (x->id ? x->id : VGT_SVGA3D_CMD_DRAW_PRIMITIVES)) {
        at = ++x->draws == x->nth_draw;
    }
    if (!at) {
        return 0;
    }
    vgt_error err = {0};
    if (vgt_replayer_dump_state(x->r, c, x->dir, &x->info, &err) != VGT_OK) {
        fprintf(stderr, "dump: %s\n", err.message);
        x->failed = true;
        return 1;
    }
    x->dumped_seq = c->seq;
    x->dumps++;
    return 0;
}

static int on_frame(void *ctx, const vgt_replay_frame *f)
{
    run *x = ctx;
    if (f->frame == x->frame && f->image) {
        vgt_error err = {0};
        assert_int_equal(vgt_image_copy(&x->picture, f->image, &err), VGT_OK);
    }
    return 0;
}

/* Replays path on backend b with verify on, dumping as x says. */
static void replay(const char *path, vgt_replay_backend b, run *x)
{
    vgt_replayer_options o = {
        .backend = b,
        .last_frame = UINT64_MAX,
        .compose = true,
        .verify = b == VGT_REPLAY_BACKEND_SOFT,
        .on_frame = on_frame,
        .on_command = on_command,
        .ctx = x,
    };
    vgt_error err = {0};
    assert_int_equal(vgt_replayer_open(path, &o, &x->r, &err), VGT_OK);
    vgt_replay_stats st;
    vgt_status s = vgt_replayer_run(x->r, &st, &err);
    if (s != VGT_OK) {
        fprintf(stderr, "replay: %s\n", err.message);
    }
    assert_int_equal(s, VGT_OK);
    assert_false(x->failed);
    if (o.verify) {
        assert_int_equal(st.frames_verified, st.frames); /* dumps disturb nothing */
    }
    vgt_replayer_close(x->r);
    x->r = NULL;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void read_png(const char *dir, const char *name, vgt_image *img)
{
    char path[2048];
    int len = snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_true(len > 0 && (size_t)len < sizeof(path));
    vgt_error err = {0};
    vgt_status st = vgt_image_read_png(img, path, &err);
    if (st != VGT_OK) {
        fprintf(stderr, "%s\n", err.message);
    }
    assert_int_equal(st, VGT_OK);
}

static uint32_t px(const vgt_image *img, uint32_t x, uint32_t y)
{
    uint32_t v;
    memcpy(&v, img->pixels + (size_t)y * img->stride + (size_t)x * 4, 4);
    return v;
}

static bool has(const char *json, const char *text)
{
    return strstr(json, text) != NULL;
}

/* The python3 the tests run (VGT_TEST_PYTHON3, tests/CMakeLists.txt:
 * Debian's before a version manager's shim, whose start took ~0.8 s),
 * NULL without one; whether it runs is asked once, not at every dump (the
 * two starts a dump cost most of this suite's CPU time). */
static const char *python3(void)
{
#ifdef VGT_TEST_PYTHON3
    static const char *const exe = VGT_TEST_PYTHON3;
#else
    static const char *const exe = "python3";
#endif
    static int runs = -1; /* unknown yet */
    if (runs < 0) {
        char cmd[1100];
        snprintf(cmd, sizeof(cmd), "'%s' -c '' 2>/dev/null", exe);
        runs = exe[0] != '\0' && system(cmd) == 0;
    }
    return runs ? exe : NULL;
}

/* python3's json.tool on path: 0 when it is valid JSON. */
static int json_tool(const char *py, const char *path)
{
    char cmd[5500];
    snprintf(cmd, sizeof(cmd), "'%s' -m json.tool '%s' >/dev/null 2>&1", py, path);
    return system(cmd);
}

/* Whether the JSON is valid, by python3's json.tool (skipped without python3).
 * The first call also shows the check can fail: a trailing comma refused. */
static void json_valid(const char *path)
{
    const char *py = python3();
#ifdef VGT_TEST_PYTHON3
    assert_non_null(py); /* the build found it: it must run (no check skipped unseen) */
#endif
    if (!py) {
        return;
    }
    static bool refuses;
    if (!refuses) {
        char bad[1100];
        tmp_path(bad, sizeof(bad), "not-json.json");
        FILE *f = fopen(bad, "w");
        assert_non_null(f);
        fputs("{\"a\": 1,}\n", f);
        assert_int_equal(fclose(f), 0);
        assert_int_not_equal(json_tool(py, bad), 0);
        refuses = true;
    }
    assert_int_equal(json_tool(py, path), 0);
}

/* DIR/state.json, checked to be valid JSON, read whole (the caller frees it). */
static char *state_json(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/state.json", dir);
    json_valid(path);
    return slurp(path);
}

/* Asserts that DIR/name was not written. */
static void absent(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_not_equal(access(path, F_OK), 0);
}

static void test_dump_shaders_after_draw(void **state)
{
    (void)state;
    char dir[1100];
    const char *trace = shaders_trace();
    tmp_path(dir, sizeof(dir), "shaders");
    /* after the one draw of frame 1, before its PRESENT */
    run x = {.dir = dir, .frame = 1, .nth_draw = 1, .seq = UINT64_MAX};
    replay(trace, VGT_REPLAY_BACKEND_SOFT, &x);
    assert_int_equal(x.dumps, 1);
    assert_non_null(x.picture.pixels);
    char sub[1200];
    snprintf(sub, sizeof(sub), "%s/seq-%08llu", dir, (unsigned long long)x.dumped_seq);
    assert_string_equal(x.info.dir, sub);
    assert_false(x.info.contents_absent);
    assert_true(x.info.display_png);
    assert_int_equal(x.info.contexts, 1);
    /* the render target, the depth buffer's depth and stencil; the vertex
     * and index buffers' bytes */
    assert_int_equal(x.info.pngs, 3);
    assert_int_equal(x.info.files, 2);

    /* the render target as the draw left it is the frame its PRESENT shows */
    vgt_image rt = {0}, disp = {0};
    read_png(sub, "surface-1-X8R8G8B8.png", &rt);
    vgt_image_diff d;
    vgt_error err = {0};
    assert_int_equal(vgt_image_compare(&rt, &x.picture, 0, false, &d, &err), VGT_OK);
    assert_int_equal(d.pixels_over, 0);
    /* the display is still frame 0's: it differs from frame 1 (the ripple moved) */
    read_png(sub, "display.png", &disp);
    assert_int_equal(disp.width, 320);
    assert_int_equal(vgt_image_compare(&disp, &x.picture, 0, false, &d, &err), VGT_OK);
    assert_true(d.pixels_over > 0);
    vgt_image_free(&rt);
    vgt_image_free(&disp);
    vgt_image_free(&x.picture);

    char *j = state_json(sub);
    assert_true(has(j, "\"command\": \"DRAW_PRIMITIVES\""));
    assert_true(has(j, "\"frame\": 1,"));
    assert_true(has(j, "\"when\": \"after the command\""));
    assert_true(has(j, "\"backend\": \"soft\""));
    /* the states the sample set that differ from the defaults, by name */
    assert_true(has(j, "{\"name\": \"CULLMODE\", \"id\": 35, \"value\": 1, \"text\": \"NONE\"}"));
    assert_true(has(j, "{\"name\": \"ZFUNC\", \"id\": 36, \"value\": 2, \"text\": \"LESS\"}"));
    assert_true(has(j, "{\"name\": \"LIGHTINGENABLE\", \"id\": 9, \"value\": 0, \"text\": \"0\"}"));
    /* set to their defaults (ZENABLE=1, BLENDENABLE=0): not listed */
    assert_false(has(j, "\"ZENABLE\""));
    assert_false(has(j, "\"BLENDENABLE\""));
    assert_true(has(j, "{\"slot\": \"COLOR0\", \"surface\": 1, \"face\": 0, \"mip\": 0}"));
    assert_true(has(j, "{\"slot\": \"DEPTH\", \"surface\": 2, \"face\": 0, \"mip\": 0}"));
    assert_true(has(j, "\"viewport\": {\"x\": 0, \"y\": 0, \"w\": 320, \"h\": 240}"));
    /* the bound shaders, disassembled */
    assert_true(has(j, "\"vs\": {\"id\": 1, \"words\": 86, \"disassembly\": \"vs_2_0\\n"));
    assert_true(has(j, "sincos r1.xy, r0.z, c7, c8\\n"));
    assert_true(has(j, "m4x4 oPos, r2, c0\\n"));
    assert_true(has(j, "\"ps\": {\"id\": 1, \"words\": 53, \"disassembly\": \"ps_2_0\\n"));
    assert_true(has(j, "cmp r1, r0.x, c1, c2\\n"));
    /* frame 1's time constant */
    assert_true(
        has(j, "{\"shader\": \"VS\", \"type\": \"FLOAT\", \"reg\": 4, \"values\": [0.25, 14, "));
    assert_true(has(j, "\"type\": \"FLOAT4\", \"method\": \"DEFAULT\", \"usage\": \"POSITION\"") ||
                has(j, "\"type\": \"FLOAT3\", \"method\": \"DEFAULT\", \"usage\": \"POSITION\""));
    /* the surfaces and their sizes */
    assert_true(has(j, "{\"id\": 1, \"format\": \"X8R8G8B8\""));
    assert_true(has(j, "{\"id\": 2, \"format\": \"Z_D24S8\""));
    assert_true(has(j, "{\"face\": 0, \"mip\": 0, \"width\": 320, \"height\": 240, \"depth\": 1, "
                       "\"png\": \"surface-1-X8R8G8B8.png\"}"));
    assert_true(has(j, "{\"face\": 0, \"mip\": 0, \"width\": 320, \"height\": 240, \"depth\": 1, "
                       "\"png\": null, \"depth_png\": \"surface-2-Z_D24S8-depth.png\""));
    assert_true(has(j, "\"fences\": {\"passed\": 4, \"last\": 4}"));
    free(j);
}

static void test_dump_textured_mid_frame(void **state)
{
    (void)state;
    char trace[1100], dir[1100];
    tmp_path(trace, sizeof(trace), "textured.vgt");
    tmp_path(dir, sizeof(dir), "textured");
    capture(trace, "textured", 1);
    /* after the 7th draw of frame 0 (the first blended one; two follow) */
    run x = {.dir = dir, .frame = 0, .nth_draw = 7, .seq = UINT64_MAX};
    replay(trace, VGT_REPLAY_BACKEND_SOFT, &x);
    assert_int_equal(x.dumps, 1);
    char sub[1200];
    snprintf(sub, sizeof(sub), "%s/seq-%08llu", dir, (unsigned long long)x.dumped_seq);
    /* the render target, the three textures and their mips: 1 + 8 + 7 + 1 */
    assert_int_equal(x.info.pngs, 17);
    vgt_image rt = {0}, tex = {0}, mip = {0};
    read_png(sub, "surface-1-X8R8G8B8.png", &rt);
    /* the frame's picture has the two later draws too: the target differs
     * from it, but not everywhere (the first draws are in both) */
    vgt_image_diff d;
    vgt_error err = {0};
    assert_int_equal(vgt_image_compare(&rt, &x.picture, 0, false, &d, &err), VGT_OK);
    assert_true(d.pixels_over > 0);
    assert_true(d.pixels_over < d.pixels_total / 4);
    assert_int_equal(px(&rt, 2, 2) & 0xffffffu, px(&x.picture, 2, 2) & 0xffffffu);
    read_png(sub, "surface-3-A8R8G8B8.png", &tex);
    assert_int_equal(tex.width, 128);
    assert_int_equal(tex.height, 128);
    /* level 1 is level 0 box-filtered (as the sample made it), each
     * channel within 1 of the 2x2 mean */
    read_png(sub, "surface-3-A8R8G8B8-face0-mip1.png", &mip);
    assert_int_equal(mip.width, 64);
    assert_int_equal(mip.height, 64);
    for (uint32_t y = 0; y < 64; y++) {
        for (uint32_t xx = 0; xx < 64; xx++) {
            for (uint32_t sh = 0; sh < 32; sh += 8) {
                uint32_t sum = 0;
                for (uint32_t k = 0; k < 4; k++) {
                    sum += (px(&tex, 2 * xx + (k & 1), 2 * y + (k >> 1)) >> sh) & 0xffu;
                }
                int got = (int)((px(&mip, xx, y) >> sh) & 0xffu), want = (int)(sum / 4);
                if (got < want - 1 || got > want + 1) {
                    fail_msg("mip 1 at (%u,%u) channel %u: %d, the mean of level 0 is %d", xx, y,
                             sh / 8, got, want);
                }
            }
        }
    }
    vgt_image_free(&mip);
    read_png(sub, "surface-3-A8R8G8B8-face0-mip7.png", &mip);
    assert_int_equal(mip.width, 1);
    assert_int_equal(mip.height, 1);
    vgt_image_free(&rt);
    vgt_image_free(&tex);
    vgt_image_free(&mip);
    vgt_image_free(&x.picture);

    char *j = state_json(sub);
    assert_true(has(j, "{\"name\": \"BLENDENABLE\", \"id\": 5, \"value\": 1, \"text\": \"1\"}"));
    assert_true(
        has(j, "{\"name\": \"SRCBLEND\", \"id\": 32, \"value\": 5, \"text\": \"SRCALPHA\"}"));
    assert_true(
        has(j, "{\"name\": \"DSTBLEND\", \"id\": 33, \"value\": 6, \"text\": \"INVSRCALPHA\"}"));
    assert_true(has(j, "{\"name\": \"ZENABLE\", \"id\": 1, \"value\": 0, \"text\": \"0\"}"));
    assert_true(has(j, "{\"stage\": 0, \"name\": \"BIND_TEXTURE\", \"id\": 1, \"value\": 4, "
                       "\"text\": \"4\"}"));
    assert_true(has(j, "{\"stage\": 0, \"name\": \"MINFILTER\", \"id\": 12, \"value\": 2, "
                       "\"text\": \"LINEAR\"}"));
    assert_true(has(j, "{\"stage\": 0, \"name\": \"ADDRESSU\", \"id\": 8, \"value\": 3, "
                       "\"text\": \"CLAMP\"}"));
    /* COLOROP stays MODULATE, its default: not listed */
    assert_false(has(j, "\"COLOROP\""));
    assert_true(has(j, "\"vs\": null"));
    assert_true(has(j, "{\"name\": \"WORLD\", \"matrix\": ["));
    assert_true(has(j, "{\"id\": 3, \"format\": \"A8R8G8B8\""));
    assert_true(has(j, "\"mips\": 8,"));
    assert_true(has(j, "{\"face\": 0, \"mip\": 3, \"width\": 16, \"height\": 16, \"depth\": 1, "
                       "\"png\": \"surface-3-A8R8G8B8-face0-mip3.png\"}"));
    free(j);
}

static void test_dump_null_backend(void **state)
{
    (void)state;
    char dir[1100];
    const char *trace = shaders_trace();
    tmp_path(dir, sizeof(dir), "null");
    run x = {.dir = dir, .frame = 0, .nth_draw = 1, .seq = UINT64_MAX};
    replay(trace, VGT_REPLAY_BACKEND_NULL, &x);
    vgt_image_free(&x.picture);
    assert_int_equal(x.dumps, 1);
    assert_true(x.info.contents_absent);
    assert_int_equal(x.info.pngs, 0);
    char *j = state_json(x.info.dir);
    assert_true(has(j, "\"backend\": \"null\""));
    assert_true(has(j, "\"surface_contents\": false"));
    assert_true(has(j, "{\"name\": \"CULLMODE\", \"id\": 35, \"value\": 1, \"text\": \"NONE\"}"));
    assert_true(has(j, "\"disassembly\": \"vs_2_0\\n"));
    assert_false(has(j, ".png\"}"));
    free(j);
    absent(x.info.dir, "surface-1-X8R8G8B8.png");
}

/* The fixed-function state of lit: lights, materials, a colour state. */
static void test_dump_lit_fixed_function(void **state)
{
    (void)state;
    char trace[1100], dir[1100];
    tmp_path(trace, sizeof(trace), "lit.vgt");
    tmp_path(dir, sizeof(dir), "lit");
    capture(trace, "lit", 1);
    run x = {.dir = dir, .frame = 0, .nth_draw = 1, .seq = UINT64_MAX};
    replay(trace, VGT_REPLAY_BACKEND_SOFT, &x);
    vgt_image_free(&x.picture);
    assert_int_equal(x.dumps, 1);
    char *j = state_json(x.info.dir);
    assert_true(has(j, "{\"name\": \"AMBIENT\", \"id\": 26, \"value\": 4280821808, \"text\": "
                       "\"0xff282830\"}"));
    assert_true(has(j, "{\"index\": 0, \"enabled\": true, \"type\": \"DIRECTIONAL\", "
                       "\"in_world_space\": true, \"diffuse\": [0.55, 0.6, "
                       "0.7, 1]"));
    assert_true(has(j, "{\"index\": 1, \"enabled\": true, \"type\": \"POINT\""));
    assert_true(has(j, "\"range\": 20, \"falloff\": 0, \"attenuation\": [0.6, "
                       "0.15, 0]"));
    assert_true(has(j, "{\"face\": \"FRONT\", \"diffuse\": [0.85, 0.62, "
                       "0.22, 1]"));
    assert_true(has(j, "\"shininess\": 40}"));
    assert_false(has(j, "\"index\": 2,")); /* lights 2.. untouched */
    free(j);
}

/* A 2D trace (no 3D): the display after frame 1's last command (its FENCE)
 * is frame 1's picture, but for the cursor, which the FIFO cursor sample
 * recorded after that command moves before the frame ends. */
static void test_dump_2d_display(void **state)
{
    (void)state;
    char trace[1100], dir[1100];
    tmp_path(trace, sizeof(trace), "2d.vgt");
    tmp_path(dir, sizeof(dir), "2d");
    vgt_sample_args args = {.frames = 3};
    assert_true(capture_test_sample(trace, "2d-demo", &args, NULL, 0));
    run x = {.dir = dir, .frame = 1, .id = VGT_SVGA_CMD_FENCE, .nth_draw = 1, .seq = UINT64_MAX};
    replay(trace, VGT_REPLAY_BACKEND_NULL, &x);
    assert_int_equal(x.dumps, 1);
    assert_true(x.info.display_png);
    assert_int_equal(x.info.pngs, 0);
    assert_int_equal(x.info.contexts, 0);
    vgt_image disp = {0};
    read_png(x.info.dir, "display.png", &disp);
    assert_int_equal(disp.width, x.picture.width);
    assert_int_equal(disp.height, x.picture.height);
    /* equal outside the two 32x32 cursor boxes (both near the top left) */
    uint64_t inside = 0;
    for (uint32_t y = 0; y < disp.height; y++) {
        for (uint32_t xx = 0; xx < disp.width; xx++) {
            uint32_t a = px(&disp, xx, y) & 0xffffffu, b = px(&x.picture, xx, y) & 0xffffffu;
            if (xx < 64 && y >= 16 && y < 80) {
                inside += a != b;
            } else if (a != b) {
                fail_msg("display.png differs from frame 1 at (%u,%u): %06x, %06x", xx, y, a, b);
            }
        }
    }
    assert_true(inside > 0); /* the cursor had not moved yet */
    vgt_image_free(&disp);
    vgt_image_free(&x.picture);
    char *j = state_json(x.info.dir);
    assert_true(has(j, "\"command\": \"FENCE\""));
    assert_true(has(j, "\"mode\": {\"enabled\": true, \"width\": 640, \"height\": 480"));
    assert_true(has(j, "\"fences\": {\"passed\": 3, \"last\": 3}"));
    assert_true(has(j, "\"cursor\": {\"defined\": true, \"alpha\": true, \"width\": 32"));
    assert_true(has(j, "\"contexts\": [],"));
    assert_true(has(j, "\"height\": 480, \"backing_store\": null}")); /* the legacy screen */
    assert_true(has(j, "{\"reg\": 2, \"name\": \"WIDTH\", \"value\": 640}"));
    assert_true(has(j, "{\"reg\": 7, \"name\": \"BITS_PER_PIXEL\", \"value\": 32}"));
    free(j);
}

/* Screen Object backing stores: each screen of the screens sample (two
 * 320x480 halves of 640x480) with its store in VRAM after the legacy
 * framebuffer (page-aligned, pitch 320 * 4). */
static void test_dump_backing_stores(void **state)
{
    (void)state;
    char trace[1100], dir[1100];
    tmp_path(trace, sizeof(trace), "so2.vgt");
    tmp_path(dir, sizeof(dir), "so2");
    vgt_sample_args args = {.frames = 2};
    assert_true(capture_test_sample(trace, "screens", &args, NULL, 0));
    run x = {.dir = dir, .frame = 1, .id = VGT_SVGA_CMD_FENCE, .nth_draw = 1, .seq = UINT64_MAX};
    replay(trace, VGT_REPLAY_BACKEND_NULL, &x);
    assert_int_equal(x.dumps, 1);
    vgt_image_free(&x.picture);
    char *j = state_json(x.info.dir);
    assert_true(has(j, "\"x\": 0, \"y\": 0, \"width\": 320, \"height\": 480, \"backing_store\": "
                       "{\"gmr\": 4294967294, \"offset\": 1228800, \"pitch\": 1280}}"));
    assert_true(has(j, "\"x\": 320, \"y\": 0, \"width\": 320, \"height\": 480, "
                       "\"backing_store\": {\"gmr\": 4294967294, \"offset\": 1843200, \"pitch\": "
                       "1280}}"));
    free(j);
}

/* ---- depth, stencil, buffers, volume slices: a guest program of known contents ---- */

enum { K_COLOR = 1, K_DEPTH = 2, K_D16 = 3, K_BUF = 4, K_VOL = 5, K_CID = 1 };
#define K_BUF_BYTES 40u
#define K_VOL_W     4u
#define K_VOL_H     2u
#define K_VOL_D     3u

/* The buffer's byte i and the volume's texel (x, y, z), as the guest uploads them. */
static uint8_t known_byte(uint32_t i)
{
    return (uint8_t)(i * 7u + 3u);
}

static uint32_t known_texel(uint32_t x, uint32_t y, uint32_t z)
{
    return 0x80000000u | (z * 0x40u + 0x10u) << 16 | (y * 0x50u + 0x20u) << 8 | (x * 0x30u + 1u);
}

/* An 8x8 Z_D24S8 target cleared to depth 1, stencil 0; depth 0.25 and
 * stencil 0xa5 in the box (2,1) 4x3; depth 0.5 at (3,2) (its stencil
 * stays); an 8x8 Z_D16 cleared to 0.75 (constant); a 40-byte BUFFER
 * uploaded in two DMAs (bytes 0..23, then 24..39 at offset 24); a 4x2x3
 * A8R8G8B8 volume; then a PRESENT (the command the test dumps after). */
static int known_guest(vgt_guest *guest, void *arg)
{
    (void)arg;
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    if (!vgt_drv3d_start(&drv, guest, "known", 64, 48, true)) {
        return 2;
    }
    vgt_drv3d_define_screen_targets(&drv, K_COLOR, K_DEPTH, 8, 8);
    vgt_drv3d_define_surface(&drv, K_D16, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL, VGT_SVGA3D_Z_D16, 8,
                             8, 1, 1);
    vgt_drv3d_define_surface(&drv, K_BUF, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER,
                             K_BUF_BYTES, 1, 1, 1);
    vgt_drv3d_define_surface(&drv, K_VOL, VGT_SVGA3D_SURFACE_HINT_TEXTURE, VGT_SVGA3D_A8R8G8B8,
                             K_VOL_W, K_VOL_H, K_VOL_D, 1);
    vgt_drv3d_setup_context(&drv, K_CID, K_COLOR, K_DEPTH, 8, 8);
    const uint32_t ds = VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL;
    vgt_drv3d_clear(&drv, K_CID, VGT_SVGA3D_CLEAR_COLOR | ds, 0xff000000u, 1.0f, 0, NULL, 0);
    const vgt_svga3d_rect box = {2, 1, 4, 3}, one = {3, 2, 1, 1};
    vgt_drv3d_clear(&drv, K_CID, ds, 0, 0.25f, 0xa5, &box, 1);
    vgt_drv3d_clear(&drv, K_CID, VGT_SVGA3D_CLEAR_DEPTH, 0, 0.5f, 0, &one, 1);
    /* the Z_D16 as the depth target (no stencil target) for one clear */
    vgt_drv3d_set_render_target(&drv, K_CID, VGT_SVGA3D_RT_STENCIL, VGT_SVGA3D_INVALID_ID);
    vgt_drv3d_set_render_target(&drv, K_CID, VGT_SVGA3D_RT_DEPTH, K_D16);
    vgt_drv3d_clear(&drv, K_CID, VGT_SVGA3D_CLEAR_DEPTH, 0, 0.75f, 0, NULL, 0);

    vgt_drv3d_pool pool;
    vgt_error err = {0};
    if (vgt_drv3d_pool_create(&drv, 40, 2, 4096, &pool, &err) != VGT_OK) {
        return 3;
    }
    uint8_t bytes[K_BUF_BYTES];
    for (uint32_t i = 0; i < K_BUF_BYTES; i++) {
        bytes[i] = known_byte(i);
    }
    vgt_drv3d_pool_upload_buffer(&pool, K_BUF, 0, bytes, 24);
    vgt_drv3d_pool_upload_buffer(&pool, K_BUF, 24, bytes + 24, K_BUF_BYTES - 24);
    vgt_svga_guest_ptr g;
    uint32_t *px = vgt_drv3d_pool_alloc(&pool, K_VOL_W * K_VOL_H * K_VOL_D * 4u, &g);
    if (!px) {
        return 4;
    }
    for (uint32_t z = 0; z < K_VOL_D; z++) {
        for (uint32_t y = 0; y < K_VOL_H; y++) {
            for (uint32_t x = 0; x < K_VOL_W; x++) {
                px[(z * K_VOL_H + y) * K_VOL_W + x] = known_texel(x, y, z);
            }
        }
    }
    vgt_svga3d_copy_box vb = {0, 0, 0, K_VOL_W, K_VOL_H, K_VOL_D, 0, 0, 0};
    vgt_drv3d_surface_dma(&drv, g, K_VOL_W * 4u, (vgt_svga3d_surface_image_id){K_VOL, 0, 0},
                          VGT_SVGA3D_WRITE_HOST_VRAM, &vb, 1, NULL);
    vgt_drv3d_pool_flush(&pool);
    vgt_drv3d_present(&drv, K_COLOR, NULL, 0);
    vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    vgt_drv3d_pool_destroy(&pool);
    vgt_drv3d_teardown(&drv, K_CID, K_COLOR, K_VOL, NULL);
    return vgt_drv_sample_exit(&drv, "known", true);
}

/* The grey of a greyscale picture at (x, y) (R = G = B, opaque). */
static uint32_t grey(const vgt_image *img, uint32_t x, uint32_t y)
{
    uint32_t v = px(img, x, y);
    assert_int_equal(v >> 24, 0xffu);
    assert_int_equal((v >> 16) & 0xffu, v & 0xffu);
    assert_int_equal((v >> 8) & 0xffu, v & 0xffu);
    return v & 0xffu;
}

static bool in_box(uint32_t x, uint32_t y)
{
    return x >= 2 && x < 6 && y >= 1 && y < 4;
}

/* The known guest's capture on soft, made the first time a test asks for
 * it (the soft, null and gl dumps replay the same trace). */
static const char *known_trace(void)
{
    static char path[1100];
    if (path[0] == '\0') {
        char p[sizeof(path)];
        tmp_path(p, sizeof(p), "known.vgt");
        vgt_backend_kind be = VGT_BACKEND_SOFT;
        capture_test_guest(p, known_guest, NULL, &be);
        memcpy(path, p, sizeof(path));
    }
    return path;
}

/* Replays the known trace on b, dumping after its PRESENT. */
static void replay_known(const char *trace, const char *dir, vgt_replay_backend b, run *x)
{
    *x = (run){
        .dir = dir, .frame = 0, .id = VGT_SVGA3D_CMD_PRESENT, .nth_draw = 1, .seq = UINT64_MAX};
    replay(trace, b, x);
    vgt_image_free(&x->picture);
    assert_int_equal(x->dumps, 1);
}

/* The pictures and the buffer file of a dump of the known guest: the
 * depth greys, the stencil values, the buffer's bytes, the volume's slices. */
static void check_known_files(const char *sub)
{

    /* depth: 0.25 (4194304 of 2^24 - 1) is black, 1 white, 0.5 (8388608)
     * at (8388608 - 4194304) * 255 / (16777215 - 4194304) = 85.0 */
    vgt_image dimg = {0}, simg = {0};
    read_png(sub, "surface-2-Z_D24S8-depth.png", &dimg);
    read_png(sub, "surface-2-Z_D24S8-stencil.png", &simg);
    assert_int_equal(dimg.width, 8);
    assert_int_equal(dimg.height, 8);
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t xx = 0; xx < 8; xx++) {
            uint32_t want = xx == 3 && y == 2 ? 85u : in_box(xx, y) ? 0u : 255u;
            if (grey(&dimg, xx, y) != want) {
                fail_msg("depth at (%u,%u): %u, expected %u", xx, y, grey(&dimg, xx, y), want);
            }
            want = in_box(xx, y) ? 0xa5u : 0u;
            if (grey(&simg, xx, y) != want) {
                fail_msg("stencil at (%u,%u): %u, expected %u", xx, y, grey(&simg, xx, y), want);
            }
        }
    }
    vgt_image_free(&dimg);
    vgt_image_free(&simg);
    /* a constant depth image is black */
    read_png(sub, "surface-3-Z_D16-depth.png", &dimg);
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t xx = 0; xx < 8; xx++) {
            assert_int_equal(grey(&dimg, xx, y), 0);
        }
    }
    vgt_image_free(&dimg);
    char path[4200];
    absent(sub, "surface-3-Z_D16-stencil.png");

    /* the buffer's bytes, both uploads at their offsets */
    snprintf(path, sizeof(path), "%s/surface-4-buffer.bin", sub);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t got[K_BUF_BYTES + 1];
    assert_int_equal(fread(got, 1, sizeof(got), f), K_BUF_BYTES);
    fclose(f);
    for (uint32_t i = 0; i < K_BUF_BYTES; i++) {
        assert_int_equal(got[i], known_byte(i));
    }

    /* every slice of the volume, each texel as uploaded (alpha as stored) */
    for (uint32_t z = 0; z < K_VOL_D; z++) {
        char name[64];
        snprintf(name, sizeof(name), "surface-5-A8R8G8B8-slice%u.png", z);
        vgt_image v = {0};
        read_png(sub, name, &v);
        assert_int_equal(v.width, K_VOL_W);
        assert_int_equal(v.height, K_VOL_H);
        for (uint32_t y = 0; y < K_VOL_H; y++) {
            for (uint32_t xx = 0; xx < K_VOL_W; xx++) {
                assert_int_equal(px(&v, xx, y), known_texel(xx, y, z));
            }
        }
        vgt_image_free(&v);
    }
}

static void test_dump_depth_stencil_buffer_volume(void **state)
{
    (void)state;
    char dir[1100];
    const char *trace = known_trace();
    tmp_path(dir, sizeof(dir), "known");
    run x;
    replay_known(trace, dir, VGT_REPLAY_BACKEND_SOFT, &x);
    /* colour target; D24S8 depth and stencil; D16 depth; 3 volume slices */
    assert_int_equal(x.info.pngs, 1 + 2 + 1 + 3);
    assert_int_equal(x.info.files, 1);
    const char *sub = x.info.dir;
    check_known_files(sub);
    char *j = state_json(sub);
    assert_true(has(j, "{\"face\": 0, \"mip\": 0, \"width\": 8, \"height\": 8, \"depth\": 1, "
                       "\"png\": null, \"depth_png\": \"surface-2-Z_D24S8-depth.png\", "
                       "\"depth_min\": 0.250000015, \"depth_max\": 1, \"depth_min_raw\": 4194304, "
                       "\"depth_max_raw\": 16777215, \"stencil_png\": "
                       "\"surface-2-Z_D24S8-stencil.png\"}"));
    assert_true(has(j, "\"depth_png\": \"surface-3-Z_D16-depth.png\", \"depth_min\": 0.749996185, "
                       "\"depth_max\": 0.749996185, \"depth_min_raw\": 49151, \"depth_max_raw\": "
                       "49151}"));
    assert_true(has(j, "{\"face\": 0, \"mip\": 0, \"width\": 40, \"height\": 1, \"depth\": 1, "
                       "\"png\": null, \"file\": \"surface-4-buffer.bin\", \"file_bytes\": 40}"));
    assert_true(has(j, "{\"face\": 0, \"mip\": 0, \"width\": 4, \"height\": 2, \"depth\": 3, "
                       "\"png\": \"surface-5-A8R8G8B8-slice0.png\", \"slices\": "
                       "[\"surface-5-A8R8G8B8-slice0.png\", \"surface-5-A8R8G8B8-slice1.png\", "
                       "\"surface-5-A8R8G8B8-slice2.png\"]}"));
    assert_true(has(j, "\"video_overlays\": [],"));
    free(j);

    /* the null backend: the same surfaces in the JSON, no file */
    char ndir[1100];
    tmp_path(ndir, sizeof(ndir), "known-null");
    replay_known(trace, ndir, VGT_REPLAY_BACKEND_NULL, &x);
    assert_int_equal(x.info.pngs, 0);
    assert_int_equal(x.info.files, 0);
    j = state_json(x.info.dir);
    assert_true(has(j, "{\"face\": 0, \"mip\": 0, \"width\": 8, \"height\": 8, \"depth\": 1, "
                       "\"png\": null}"));
    assert_true(has(j, "{\"face\": 0, \"mip\": 0, \"width\": 40, \"height\": 1, \"depth\": 1, "
                       "\"png\": null}"));
    assert_false(has(j, "depth_png"));
    assert_false(has(j, "\"file\""));
    free(j);
    absent(x.info.dir, "surface-4-buffer.bin");
}

/* The same guest's dump on the gl backend (when this host has one): depth
 * and stencil read back from its depth-stencil texture, the buffer's bytes,
 * every volume slice through its read_slice: the same pictures as soft's. */
static void test_dump_known_on_gl(void **state)
{
    (void)state;
    vgt_backend probe = {0};
    vgt_error err = {0};
    if (vgt_backend_create(VGT_BACKEND_GL, NULL, &probe, &err) != VGT_OK) {
        printf("gl backend not available (%s): skipped\n", err.message);
        return;
    }
    vgt_backend_destroy(&probe);
    char dir[1100];
    const char *trace = known_trace();
    tmp_path(dir, sizeof(dir), "known-gl");
    run x;
    replay_known(trace, dir, VGT_REPLAY_BACKEND_GL, &x);
    assert_int_equal(x.info.pngs, 1 + 2 + 1 + 3);
    assert_int_equal(x.info.files, 1);
    check_known_files(x.info.dir);
}

/* ---- video overlay units: a hand-made trace ------------------------------------------- */

/* Pixel shader constant c3 set to NaN, -infinity, infinity and 0.1f:
 * state.json writes its floats as `vgt dump --json` does, the shortest
 * decimal that reads back as the same float, and the three JSON has no
 * number for as the strings "nan", "-inf" and "inf" (null would lose which
 * one). */
static void test_dump_nonfinite_floats(void **state)
{
    (void)state;
    char trace[1100], dir[1100];
    tmp_path(trace, sizeof(trace), "nonfinite.vgt");
    tmp_path(dir, sizeof(dir), "nonfinite");
    tw t;
    tw_open_3d(&t, trace);
    tw_cmd3(&t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 1);
    const float v[4] = {NAN, -INFINITY, INFINITY, 0.1f};
    uint32_t c[2 + 8] = {VGT_SVGA3D_CMD_SET_SHADER_CONST, 0, 1, 3, VGT_SVGA3D_SHADERTYPE_PS,
                         VGT_SVGA3D_CONST_TYPE_FLOAT};
    memcpy(&c[6], v, sizeof(v));
    tw_cmd(&t, c, 10);
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    run x = {.dir = dir, .seq = 1};
    replay(trace, VGT_REPLAY_BACKEND_NULL, &x);
    vgt_image_free(&x.picture);
    assert_int_equal(x.dumps, 1);
    char *j = state_json(x.info.dir);
    assert_true(has(j, "{\"shader\": \"PS\", \"type\": \"FLOAT\", \"reg\": 3, \"values\": "
                       "[\"nan\", \"-inf\", \"inf\", 0.1]}"));
    free(j);
}

/* Unit 3 given 5 registers by one SET_REGS, unit 7 only DST_SCREEN_ID at
 * its default (listed: no register differs; not listed), unit 9 given
 * FLAGS then FLAGS back to 0 (not listed), then a FENCE: the JSON lists
 * unit 3 with every register by name, the others at their defaults. */
static void test_dump_video_overlay_registers(void **state)
{
    (void)state;
    char trace[1100], dir[1100];
    tmp_path(trace, sizeof(trace), "video.vgt");
    tmp_path(dir, sizeof(dir), "video");
    tw t;
    tw_open(&t, trace, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    const uint32_t E = VGT_SVGA_CMD_ESCAPE, NS = VGT_SVGA_ESCAPE_NSID_VMWARE,
                   SR = VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS;
    const uint32_t u3[] = {E,
                           NS,
                           12 * 4,
                           SR,
                           3,
                           VGT_SVGA_VIDEO_FORMAT,
                           VGT_SVGA_FOURCC_YUY2,
                           VGT_SVGA_VIDEO_WIDTH,
                           64,
                           VGT_SVGA_VIDEO_DST_X,
                           (uint32_t)-5,
                           VGT_SVGA_VIDEO_PITCH_2,
                           77,
                           VGT_SVGA_VIDEO_DATA_GMRID,
                           12};
    tw_cmd(&t, u3, 15);
    const uint32_t u7[] = {E, NS, 4 * 4, SR, 7, VGT_SVGA_VIDEO_DST_SCREEN_ID, VGT_SVGA_ID_INVALID};
    tw_cmd(&t, u7, 7);
    const uint32_t u9a[] = {E, NS, 4 * 4, SR, 9, VGT_SVGA_VIDEO_FLAGS, 1};
    tw_cmd(&t, u9a, 7);
    const uint32_t u9b[] = {E, NS, 4 * 4, SR, 9, VGT_SVGA_VIDEO_FLAGS, 0};
    tw_cmd(&t, u9b, 7);
    const uint32_t fence[] = {VGT_SVGA_CMD_FENCE, 1};
    tw_cmd(&t, fence, 2);
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
    run x = {.dir = dir, .seq = 4};
    replay(trace, VGT_REPLAY_BACKEND_NULL, &x);
    vgt_image_free(&x.picture);
    assert_int_equal(x.dumps, 1);
    char *j = state_json(x.info.dir);
    assert_true(has(j, "\"video_overlays\": [\n      {\"unit\": 3, \"shown\": false, "
                       "\"registers\": {\"ENABLED\": 0, \"FLAGS\": 0, \"DATA_OFFSET\": 0, "
                       "\"FORMAT\": 844715353, \"COLORKEY\": 0, \"SIZE\": 0, \"WIDTH\": 64, "
                       "\"HEIGHT\": 0, \"SRC_X\": 0, \"SRC_Y\": 0, \"SRC_WIDTH\": 0, "
                       "\"SRC_HEIGHT\": 0, \"DST_X\": 4294967291, \"DST_Y\": 0, \"DST_WIDTH\": 0, "
                       "\"DST_HEIGHT\": 0, \"PITCH_1\": 0, \"PITCH_2\": 77, \"PITCH_3\": 0, "
                       "\"DATA_GMRID\": 12, \"DST_SCREEN_ID\": 4294967295}}\n    ],\n"));
    free(j);
}

/* The video sample's units after frame 0's FENCE: unit 0 (YUY2 from GMR 1,
 * 160x120 scaled to 240x180 at (0, 24)) and unit 1 (colour-keyed YV12
 * from VRAM) shown, with every register as the sample set it. */
static void test_dump_video_sample_units(void **state)
{
    (void)state;
    char trace[1100], dir[1100];
    tmp_path(trace, sizeof(trace), "video-sample.vgt");
    tmp_path(dir, sizeof(dir), "video-sample");
    vgt_sample_args args = {.frames = 2};
    assert_true(capture_test_sample(trace, "video", &args, NULL, 0));
    /* frame 0's second FENCE, its last command (the first is the driver's start) */
    run x = {.dir = dir, .frame = 0, .id = VGT_SVGA_CMD_FENCE, .nth_draw = 2, .seq = UINT64_MAX};
    replay(trace, VGT_REPLAY_BACKEND_NULL, &x);
    vgt_image_free(&x.picture);
    assert_int_equal(x.dumps, 1);
    char *j = state_json(x.info.dir);
    assert_true(has(j, "{\"unit\": 0, \"shown\": true, \"shown_at\": {\"x\": 0, \"y\": 24, "
                       "\"width\": 240, \"height\": 180}, \"registers\": {\"ENABLED\": 1, "
                       "\"FLAGS\": 0, \"DATA_OFFSET\": 0, \"FORMAT\": 844715353, \"COLORKEY\": 0, "
                       "\"SIZE\": 0, \"WIDTH\": 160, \"HEIGHT\": 120, \"SRC_X\": 0, \"SRC_Y\": 0, "
                       "\"SRC_WIDTH\": 160, \"SRC_HEIGHT\": 120, \"DST_X\": 0, \"DST_Y\": 24, "
                       "\"DST_WIDTH\": 240, \"DST_HEIGHT\": 180, \"PITCH_1\": 320, \"PITCH_2\": 0, "
                       "\"PITCH_3\": 0, \"DATA_GMRID\": 1, \"DST_SCREEN_ID\": 4294967295}}"));
    assert_true(has(j, "{\"unit\": 1, \"shown\": true, "));
    assert_true(has(j, "\"registers\": {\"ENABLED\": 1, \"FLAGS\": 1, "));
    assert_true(has(j, "\"FORMAT\": 842094169, \"COLORKEY\": 16711935, \"SIZE\": 0, "
                       "\"WIDTH\": 128, \"HEIGHT\": 96, \"SRC_X\": 8, \"SRC_Y\": 6, "
                       "\"SRC_WIDTH\": 112, \"SRC_HEIGHT\": 84, "));
    assert_false(has(j, "{\"unit\": 2,")); /* the others untouched */
    free(j);
}

static int setup(void **state)
{
    (void)state;
    return tw_tmpdir_make(tmpdir, sizeof(tmpdir), "dumpstate");
}

static int teardown(void **state)
{
    (void)state;
    return tw_tmpdir_remove(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dump_shaders_after_draw),
        cmocka_unit_test(test_dump_textured_mid_frame),
        cmocka_unit_test(test_dump_null_backend),
        cmocka_unit_test(test_dump_lit_fixed_function),
        cmocka_unit_test(test_dump_2d_display),
        cmocka_unit_test(test_dump_backing_stores),
        cmocka_unit_test(test_dump_depth_stencil_buffer_volume),
        cmocka_unit_test(test_dump_known_on_gl),
        cmocka_unit_test(test_dump_nonfinite_floats),
        cmocka_unit_test(test_dump_video_overlay_registers),
        cmocka_unit_test(test_dump_video_sample_units),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
