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
    snprintf(path, sizeof(path), "%s/%s", dir, name);
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

/* Whether the JSON is valid, by python3's json.tool (skipped without python3). */
static void json_valid(const char *path)
{
    if (system("python3 -c '' 2>/dev/null") != 0) {
        return;
    }
    char cmd[4400];
    snprintf(cmd, sizeof(cmd), "python3 -m json.tool '%s' >/dev/null", path);
    assert_int_equal(system(cmd), 0);
}

static void test_dump_shaders_after_draw(void **state)
{
    (void)state;
    char trace[1100], dir[1100];
    tmp_path(trace, sizeof(trace), "shaders.vgt");
    tmp_path(dir, sizeof(dir), "shaders");
    capture(trace, "shaders", 2);
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
    assert_int_equal(x.info.pngs, 1); /* the render target; depth and buffers are no pictures */

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

    char path[1300];
    snprintf(path, sizeof(path), "%s/state.json", sub);
    json_valid(path);
    char *j = slurp(path);
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
                       "\"png\": null}"));
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

    char path[1300];
    snprintf(path, sizeof(path), "%s/state.json", sub);
    json_valid(path);
    char *j = slurp(path);
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
    char trace[1100], dir[1100];
    tmp_path(trace, sizeof(trace), "shaders-null.vgt");
    tmp_path(dir, sizeof(dir), "null");
    capture(trace, "shaders", 1);
    run x = {.dir = dir, .frame = 0, .nth_draw = 1, .seq = UINT64_MAX};
    replay(trace, VGT_REPLAY_BACKEND_NULL, &x);
    vgt_image_free(&x.picture);
    assert_int_equal(x.dumps, 1);
    assert_true(x.info.contents_absent);
    assert_int_equal(x.info.pngs, 0);
    char path[4200];
    snprintf(path, sizeof(path), "%s/state.json", x.info.dir);
    json_valid(path);
    char *j = slurp(path);
    assert_true(has(j, "\"backend\": \"null\""));
    assert_true(has(j, "\"surface_contents\": false"));
    assert_true(has(j, "{\"name\": \"CULLMODE\", \"id\": 35, \"value\": 1, \"text\": \"NONE\"}"));
    assert_true(has(j, "\"disassembly\": \"vs_2_0\\n"));
    assert_false(has(j, ".png\"}"));
    free(j);
    snprintf(path, sizeof(path), "%s/surface-1-X8R8G8B8.png", x.info.dir);
    assert_int_not_equal(access(path, F_OK), 0);
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
    char path[4200];
    snprintf(path, sizeof(path), "%s/state.json", x.info.dir);
    json_valid(path);
    char *j = slurp(path);
    assert_true(has(j, "{\"name\": \"AMBIENT\", \"id\": 26, \"value\": 4280821808, \"text\": "
                       "\"0xff282830\"}"));
    assert_true(has(j, "{\"index\": 0, \"enabled\": true, \"type\": \"DIRECTIONAL\", "
                       "\"in_world_space\": true, \"diffuse\": [0.550000012, 0.600000024, "
                       "0.699999988, 1]"));
    assert_true(has(j, "{\"index\": 1, \"enabled\": true, \"type\": \"POINT\""));
    assert_true(has(j, "\"range\": 20, \"falloff\": 0, \"attenuation\": [0.600000024, "
                       "0.150000006, 0]"));
    assert_true(has(j, "{\"face\": \"FRONT\", \"diffuse\": [0.850000024, 0.620000005, "
                       "0.219999999, 1]"));
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
    char path[4200];
    snprintf(path, sizeof(path), "%s/state.json", x.info.dir);
    json_valid(path);
    char *j = slurp(path);
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
    char path[4200];
    snprintf(path, sizeof(path), "%s/state.json", x.info.dir);
    json_valid(path);
    char *j = slurp(path);
    assert_true(has(j, "\"x\": 0, \"y\": 0, \"width\": 320, \"height\": 480, \"backing_store\": "
                       "{\"gmr\": 4294967294, \"offset\": 1228800, \"pitch\": 1280}}"));
    assert_true(has(j, "\"x\": 320, \"y\": 0, \"width\": 320, \"height\": 480, "
                       "\"backing_store\": {\"gmr\": 4294967294, \"offset\": 1843200, \"pitch\": "
                       "1280}}"));
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
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
