/* test_capture_traces.c - captures of framebuffer trace refreshes
 * (docs/device.md "Framebuffer traces"): the fbtrace sample (no FIFO) and a
 * guest mixing FIFO UPDATEs with refreshes (TRACES 1) replay bit-exact on
 * null and soft, equal to the live frames pixel for pixel, and the trace
 * marks every refresh's UPDATE with the refresh offset.  A run whose guest
 * moved the BARs first replays bit-exact too. */
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

/* Runs fn captured into path (the live frames into *l); the device's stats. */
static vgt_device_stats run_captured(const char *path, int (*fn)(vgt_guest *, void *), void *arg,
                                     live *l)
{
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
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
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(tmpdir);
    return rc;
}
