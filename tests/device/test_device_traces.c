/* Framebuffer traces (SVGA_CAP_TRACES, SVGA_REG_TRACES, vgt_device_refresh):
 * the capability and the register, a plain framebuffer guest (FIFO never
 * configured) shown by refreshes, only changed rows updated and no frame
 * without a change, the FIFO running with TRACES 0 (UPDATE needed) and 1
 * (refresh shows), the 8-bit mode through the palette, a locked pitch, the
 * VM's refresh timer, and hostile values. */
#include "device_test_util.h"

#define W 320u
#define H 240u

static void driver_fb(tvm *t, uint32_t w, uint32_t h, uint32_t bpp)
{
    vgt_error err = {0};
    if (vgt_drv_init(&t->drv, t->g, &err) != VGT_OK ||
        vgt_drv_set_mode_fb(&t->drv, w, h, bpp, &err) != VGT_OK) {
        fail_msg("driver: %s", err.message);
    }
}

static uint32_t shown_px(tvm *t, uint32_t x, uint32_t y)
{
    vgt_image img = tvm_shot(t);
    assert_true(x < img.width && y < img.height);
    uint32_t v = vgt_load_le32(img.pixels + (size_t)y * img.stride + (size_t)x * 4u) & 0xFFFFFFu;
    vgt_image_free(&img);
    return v;
}

static void put32(tvm *t, uint32_t x, uint32_t y, uint32_t v)
{
    vgt_store_le32(t->drv.fb + (size_t)y * t->drv.pitch + (size_t)x * 4u, v);
}

/* The last command the device executed, from the cmd_fetched tap. */
static tlog_cmd last_cmd(tvm *t)
{
    pthread_mutex_lock(&t->log->mu);
    assert_true(t->log->ncmds > 0);
    tlog_cmd c = t->log->cmds[t->log->ncmds - 1];
    pthread_mutex_unlock(&t->log->mu);
    return c;
}

static void hide_traces(vgt_vm_config *cfg)
{
    cfg->device.hide_caps = VGT_SVGA_CAP_TRACES;
}

static void test_traces_register(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    vgt_error err = {0};
    assert_int_equal(vgt_drv_init(&t.drv, t.g, &err), VGT_OK);
    vgt_drv *d = &t.drv;
    assert_true(d->capabilities & VGT_SVGA_CAP_TRACES);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_TRACES), 1); /* power-on */
    vgt_drv_write_reg(d, VGT_SVGA_REG_TRACES, 0);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_TRACES), 0);
    vgt_drv_write_reg(d, VGT_SVGA_REG_TRACES, 7); /* any nonzero value is 1 */
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_TRACES), 1);
    vgt_drv_write_reg(d, VGT_SVGA_REG_TRACES, 0);
    vgt_drv_write_reg(d, VGT_SVGA_REG_TRACES, 0xFFFFFFFFu);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_TRACES), 1);
    /* a reset restores the power-on value */
    vgt_drv_write_reg(d, VGT_SVGA_REG_TRACES, 0);
    vgt_device_reset(t.dev);
    vgt_drv_write_reg(d, VGT_SVGA_REG_ID, VGT_SVGA_ID_2);
    assert_int_equal(vgt_drv_read_reg(d, VGT_SVGA_REG_TRACES), 1);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);

    /* hidden: no capability, the register 0 and not writable (no error:
     * vmwgfx writes back the value it read) */
    tvm_create(&t, 64, hide_traces);
    assert_int_equal(vgt_drv_init(&t.drv, t.g, &err), VGT_OK);
    assert_false(t.drv.capabilities & VGT_SVGA_CAP_TRACES);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_TRACES), 0);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_TRACES, 1);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_TRACES), 0);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

static void test_traces_fifo_off(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    driver_fb(&t, W, H, 32);
    assert_false(tvm_stats(&t).fifo_running);
    put32(&t, 10, 20, 0x00112233u);
    put32(&t, 300, 200, 0x00ABCDEFu);
    uint64_t frames = tvm_stats(&t).frames;
    /* the first refresh after the mode shows every row */
    assert_true(vgt_device_refresh(t.dev));
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.frames, frames + 1);
    assert_int_equal(s.refreshes, 1);
    assert_int_equal(s.trace_updates, 1);
    assert_int_equal(s.errors, 0);
    assert_int_equal(shown_px(&t, 10, 20), 0x112233u);
    assert_int_equal(shown_px(&t, 300, 200), 0xABCDEFu);
    assert_int_equal(shown_px(&t, 0, 0), 0);
    tlog_cmd c = last_cmd(&t);
    assert_int_equal(c.offset, VGT_DEVICE_REFRESH_OFFSET);
    assert_int_equal(c.nwords, 5);
    assert_int_equal(c.words[0], VGT_SVGA_CMD_UPDATE);
    assert_int_equal(c.words[2], 0);
    assert_int_equal(c.words[3], W);
    assert_int_equal(c.words[4], H);
    assert_int_equal(c.status, VGT_OK);

    /* nothing changed: no UPDATE, no frame */
    uint32_t ncmds = t.log->ncmds;
    assert_false(vgt_device_refresh(t.dev));
    s = tvm_stats(&t);
    assert_int_equal(s.frames, frames + 1);
    assert_int_equal(s.refreshes, 2);
    assert_int_equal(s.trace_updates, 1);
    assert_int_equal(t.log->ncmds, ncmds);

    /* two pixels 30 rows apart changed: an UPDATE of each (more than
     * TRACE_JOIN_ROWS unchanged rows between them), read from VRAM, in
     * one frame */
    put32(&t, 5, 100, 0x00FF0000u);
    put32(&t, 250, 130, 0x0000FF00u);
    uint32_t nmems = t.log->nmems;
    ncmds = t.log->ncmds;
    assert_true(vgt_device_refresh(t.dev));
    s = tvm_stats(&t);
    assert_int_equal(s.frames, frames + 2);
    assert_int_equal(t.log->ncmds, ncmds + 2);
    const uint32_t first_rect[5] = {VGT_SVGA_CMD_UPDATE, 5, 100, 1, 1};
    const uint32_t second_rect[5] = {VGT_SVGA_CMD_UPDATE, 250, 130, 1, 1};
    tlog_cmd c1 = t.log->cmds[ncmds];
    assert_int_equal(c1.offset, VGT_DEVICE_REFRESH_OFFSET);
    assert_memory_equal(c1.words, first_rect, sizeof(first_rect));
    c = last_cmd(&t);
    assert_int_equal(c.offset, VGT_DEVICE_REFRESH_OFFSET);
    assert_memory_equal(c.words, second_rect, sizeof(second_rect));
    assert_int_equal(c.seq, c1.seq + 1u);
    assert_int_equal(shown_px(&t, 5, 100), 0xFF0000u);
    assert_int_equal(shown_px(&t, 250, 130), 0x00FF00u);
    assert_int_equal(shown_px(&t, 10, 20), 0x112233u);
    /* its reads are tapped as the commands', the first from row 100 */
    assert_true(t.log->nmems > nmems);
    assert_int_equal(t.log->mems[nmems].seq, c1.seq);
    assert_int_equal(t.log->mems[nmems].gmr, VGT_SVGA_GMR_FRAMEBUFFER);
    assert_int_equal(t.log->mems[nmems].offset, 100u * t.drv.pitch + 5u * 4u);
    /* the frame_end tap saw the frame */
    assert_int_equal(t.log->nframes, 2);
    assert_int_equal(t.log->frame_w, W);

    /* rows at most 8 unchanged rows apart join one rectangle, its columns
     * the union of theirs: rows 40 (x 30..31) and 49 (x 12) */
    put32(&t, 30, 40, 1);
    put32(&t, 31, 40, 2);
    put32(&t, 12, 49, 3);
    ncmds = t.log->ncmds;
    assert_true(vgt_device_refresh(t.dev));
    assert_int_equal(t.log->ncmds, ncmds + 1);
    const uint32_t joined[5] = {VGT_SVGA_CMD_UPDATE, 12, 40, 20, 10};
    assert_memory_equal(last_cmd(&t).words, joined, sizeof(joined));
    /* 9 unchanged rows apart: two */
    put32(&t, 30, 60, 4);
    put32(&t, 30, 70, 5);
    ncmds = t.log->ncmds;
    assert_true(vgt_device_refresh(t.dev));
    assert_int_equal(t.log->ncmds, ncmds + 2);
    /* a pixel changed back to what was shown is no change */
    put32(&t, 30, 70, 6);
    put32(&t, 30, 70, 5);
    assert_false(vgt_device_refresh(t.dev));
    /* every 10th row changed: 16 rectangles at most, the rows past the
     * 16th joined to it */
    for (uint32_t y = 0; y < H; y += 10u) {
        put32(&t, 7, y, 0x00ABCDEFu ^ y);
    }
    ncmds = t.log->ncmds;
    assert_true(vgt_device_refresh(t.dev));
    assert_int_equal(t.log->ncmds, ncmds + 16);
    const uint32_t tail[5] = {VGT_SVGA_CMD_UPDATE, 7, 150, 1, (H - 1u) / 10u * 10u - 150u + 1u};
    assert_memory_equal(last_cmd(&t).words, tail, sizeof(tail));
    for (uint32_t y = 0; y < H; y += 10u) {
        assert_int_equal(shown_px(&t, 7, y), 0xABCDEFu ^ y);
    }
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

static void test_traces_fifo_on(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t); /* FIFO on; the driver writes TRACES 0 as vmwgfx does */
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_TRACES), 0);
    assert_true(tvm_stats(&t).fifo_running);
    put32(&t, 7, 8, 0x00123456u);
    uint64_t frames = tvm_stats(&t).frames;
    assert_false(vgt_device_refresh(t.dev));
    assert_int_equal(shown_px(&t, 7, 8), 0);
    assert_int_equal(tvm_stats(&t).frames, frames);
    vgt_drv_update(&t.drv, 0, 0, W, H);
    tvm_sync(&t);
    assert_int_equal(shown_px(&t, 7, 8), 0x123456u);

    /* TRACES 1 while the FIFO runs: refreshes show VRAM writes */
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_TRACES, 1);
    put32(&t, 9, 200, 0x00654321u);
    frames = tvm_stats(&t).frames;
    assert_true(vgt_device_refresh(t.dev));
    assert_int_equal(shown_px(&t, 9, 200), 0x654321u);
    assert_int_equal(tvm_stats(&t).frames, frames + 1);
    assert_false(vgt_device_refresh(t.dev));
    assert_int_equal(tvm_stats(&t).frames, frames + 1);

    /* a refresh while a FIFO command is half written: both execute, the
     * command keeps its words and its sequence after the refresh's */
    put32(&t, 1, 1, 0x00ABABABu);
    put32(&t, 2, 2, 0x00CDCDCDu);
    const uint32_t upd[5] = {VGT_SVGA_CMD_UPDATE, 2, 2, 1, 1};
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_TRACES, 0);
    raw_push(&t, upd, 2);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_SYNC, 1);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_TRACES, 1);
    assert_true(vgt_device_refresh(t.dev));
    assert_int_equal(shown_px(&t, 1, 1), 0xABABABu);
    raw_push(&t, upd + 2, 3);
    raw_drain(&t);
    tlog_cmd c = last_cmd(&t);
    assert_int_not_equal(c.offset, VGT_DEVICE_REFRESH_OFFSET);
    assert_int_equal(c.words[0], VGT_SVGA_CMD_UPDATE);
    assert_int_equal(c.words[1], 2);
    assert_int_equal(c.status, VGT_OK);
    assert_int_equal(shown_px(&t, 2, 2), 0xCDCDCDu);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

static uint32_t rgb(uint32_t n, uint32_t k)
{
    return ((n * 37u + k) & 0xFFu) << 16 | ((255u - n) & 0xFFu) << 8 | ((n * 7u + 3u) & 0xFFu);
}

static void palette(tvm *t, uint32_t k)
{
    uint8_t p[256 * 3];
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = rgb(n, k);
        p[3 * n] = (uint8_t)(c >> 16);
        p[3 * n + 1] = (uint8_t)(c >> 8);
        p[3 * n + 2] = (uint8_t)c;
    }
    vgt_drv_set_palette(&t->drv, 0, 256, p);
}

static void test_traces_8bit(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    driver_fb(&t, W, H, 8);
    palette(&t, 11);
    t.drv.fb[(size_t)30 * t.drv.pitch + 40] = 77;
    t.drv.fb[(size_t)31 * t.drv.pitch + 41] = 200;
    assert_true(vgt_device_refresh(t.dev));
    assert_int_equal(shown_px(&t, 40, 30), rgb(77, 11));
    assert_int_equal(shown_px(&t, 41, 31), rgb(200, 11));
    assert_int_equal(shown_px(&t, 0, 0), rgb(0, 11));
    assert_false(vgt_device_refresh(t.dev));
    /* new colours, no index changed: the next refresh shows them */
    uint64_t frames = tvm_stats(&t).frames;
    palette(&t, 99);
    assert_true(vgt_device_refresh(t.dev));
    assert_int_equal(shown_px(&t, 40, 30), rgb(77, 99));
    assert_int_equal(tvm_stats(&t).frames, frames + 1);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

static void test_traces_pitch(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    vgt_error err = {0};
    assert_int_equal(vgt_drv_init(&t.drv, t.g, &err), VGT_OK);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_PITCHLOCK, 1024);
    assert_int_equal(vgt_drv_set_mode_fb(&t.drv, 100, 50, 32, &err), VGT_OK);
    assert_int_equal(t.drv.pitch, 1024);
    put32(&t, 99, 49, 0x00777777u);
    put32(&t, 0, 25, 0x00888888u);
    assert_true(vgt_device_refresh(t.dev));
    assert_int_equal(shown_px(&t, 99, 49), 0x777777u);
    assert_int_equal(shown_px(&t, 0, 25), 0x888888u);
    /* past a row's 400 bytes, inside the pitch: not visible, no frame */
    uint64_t frames = tvm_stats(&t).frames;
    put32(&t, 200, 10, 0x00FFFFFFu);
    assert_false(vgt_device_refresh(t.dev));
    assert_int_equal(tvm_stats(&t).frames, frames);
    /* below the last row: neither */
    put32(&t, 0, 50, 0x00FFFFFFu);
    assert_false(vgt_device_refresh(t.dev));
    assert_int_equal(tvm_stats(&t).frames, frames);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

static void *refresh_many(void *dev)
{
    for (int i = 0; i < 50; i++) {
        vgt_device_refresh(dev);
    }
    return NULL;
}

static void test_traces_hostile(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    /* before any driver: SVGA mode off, nothing shown */
    assert_false(vgt_device_refresh(t.dev));
    vgt_error err = {0};
    assert_int_equal(vgt_drv_init(&t.drv, t.g, &err), VGT_OK);
    assert_false(vgt_device_refresh(t.dev));
    assert_int_equal(vgt_drv_set_mode_fb(&t.drv, W, H, 32, &err), VGT_OK);
    put32(&t, 3, 3, 0x00010203u);
    assert_true(vgt_device_refresh(t.dev));
    /* disabled: no refresh shows anything, and re-enabling shows all rows */
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_ENABLE, 0);
    put32(&t, 4, 4, 0x00040506u);
    uint64_t frames = tvm_stats(&t).frames;
    assert_false(vgt_device_refresh(t.dev));
    assert_int_equal(tvm_stats(&t).frames, frames);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_ENABLE, VGT_SVGA_ENABLE_ENABLE | VGT_SVGA_ENABLE_HIDE);
    assert_false(vgt_device_refresh(t.dev)); /* hidden */
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_ENABLE, VGT_SVGA_ENABLE_ENABLE);
    assert_true(vgt_device_refresh(t.dev));
    assert_int_equal(shown_px(&t, 4, 4), 0x040506u);
    tlog_cmd c = last_cmd(&t);
    assert_int_equal(c.words[2], 0);
    assert_int_equal(c.words[4], H);
    /* a mode bigger than the 4 MiB of VRAM: disabled, said, never read */
    uint64_t errors = tvm_stats(&t).errors;
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_WIDTH, 2048);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_HEIGHT, 1536);
    assert_true(tvm_stats(&t).errors > errors);
    frames = tvm_stats(&t).frames;
    assert_false(vgt_device_refresh(t.dev));
    assert_int_equal(tvm_stats(&t).frames, frames);
    /* back to a mode that fits */
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_WIDTH, 64);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_HEIGHT, 64);
    assert_true(vgt_device_refresh(t.dev));
    /* refreshes from two threads at once: each returns, served once or
     * together */
    pthread_t other;
    assert_int_equal(pthread_create(&other, NULL, refresh_many, t.dev), 0);
    for (int i = 0; i < 50; i++) {
        vgt_device_refresh(t.dev);
    }
    pthread_join(other, NULL);
    assert_true(tvm_stats(&t).refreshes > 50);
    tvm_destroy(&t);
}

/* The command log as a consumer without reads of its own sees it. */
typedef struct batch_log {
    uint32_t n;
    uint32_t nwords[64], offset[64], words[64][5];
} batch_log;

static void on_batch(void *ctx, const vgt_device_cmd_batch *b)
{
    batch_log *l = ctx;
    const uint32_t *w = b->words;
    for (uint32_t i = 0; i < b->count && l->n < 64; i++, l->n++) {
        l->nwords[l->n] = b->nwords[i];
        l->offset[l->n] = b->offsets[i];
        if (!(b->nwords[i] & VGT_DEVICE_CMD_LOG_REPEAT)) {
            memcpy(l->words[l->n], w, (b->nwords[i] < 5 ? b->nwords[i] : 5) * 4u);
            w += b->nwords[i];
        }
    }
}

/* A FIFO UPDATE, a refresh, the same UPDATE again: the log has the second
 * as a command of its own, not as a repeat of the refresh's UPDATE (whose
 * words differ), though it repeats the FIFO command before it. */
static void test_traces_command_log(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_TRACES, 1);
    assert_true(vgt_device_refresh(t.dev)); /* the whole screen, before the log */
    batch_log *bl = calloc(1, sizeof(*bl));
    vgt_device_taps taps = {.ctx = bl, .cmd_batch = on_batch};
    vgt_device_set_taps(t.dev, &taps);
    const uint32_t upd[5] = {VGT_SVGA_CMD_UPDATE, 0, 0, W, 1};
    put32(&t, 0, 0, 1);
    raw_push(&t, upd, 5);
    raw_drain(&t);
    put32(&t, 0, 100, 2);
    assert_true(vgt_device_refresh(t.dev));
    put32(&t, 1, 0, 3);
    raw_push(&t, upd, 5);
    raw_drain(&t);
    vgt_device_set_taps(t.dev, &taps); /* hands the log over */
    assert_int_equal(bl->n, 4);
    /* the refresh: pixel (0,0) (the FIFO's UPDATE did not tell the shadow)
     * and pixel (0,100), two rectangles */
    const uint32_t r0[5] = {VGT_SVGA_CMD_UPDATE, 0, 0, 1, 1};
    const uint32_t r1[5] = {VGT_SVGA_CMD_UPDATE, 0, 100, 1, 1};
    assert_int_equal(bl->offset[1], VGT_DEVICE_REFRESH_OFFSET);
    assert_memory_equal(bl->words[1], r0, sizeof(r0));
    assert_int_equal(bl->offset[2], VGT_DEVICE_REFRESH_OFFSET);
    assert_memory_equal(bl->words[2], r1, sizeof(r1));
    assert_int_not_equal(bl->offset[3], VGT_DEVICE_REFRESH_OFFSET);
    assert_int_equal(bl->nwords[3], 5); /* not REPEAT */
    assert_memory_equal(bl->words[3], upd, sizeof(upd));
    assert_int_equal(shown_px(&t, 1, 0), 3);
    vgt_device_set_taps(t.dev, NULL);
    free(bl);
    tvm_destroy(&t);
}

static int guest_waits(vgt_guest *g, void *arg)
{
    int *n = arg;
    for (int i = 0; i < *n; i++) {
        vgt_guest_wait_refresh(g);
    }
    return 0;
}

static void hz200(vgt_vm_config *cfg)
{
    cfg->refresh_hz = 200;
}

static void test_traces_vm_refresh(void **state)
{
    (void)state;
    tvm t;
    /* refresh_hz 0: each wait is one refresh, now */
    tvm_create(&t, 64, NULL);
    int n = 3, code = -1;
    vgt_error err = {0};
    assert_int_equal(vgt_vm_run(t.vm, guest_waits, &n, &code, &err), VGT_OK);
    assert_int_equal(code, 0);
    assert_int_equal(tvm_stats(&t).refreshes, 3);
    tvm_destroy(&t);
    /* a 200 Hz timer while the guest runs: at least one refresh per wait,
     * none after the run */
    tvm_create(&t, 64, hz200);
    n = 4;
    assert_int_equal(vgt_vm_run(t.vm, guest_waits, &n, &code, &err), VGT_OK);
    uint64_t r = tvm_stats(&t).refreshes;
    assert_true(r >= 4);
    struct timespec ts = {0, 30 * 1000 * 1000};
    nanosleep(&ts, NULL);
    assert_int_equal(tvm_stats(&t).refreshes, r);
    tvm_destroy(&t);
    /* a rate no host has */
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    cfg.refresh_hz = 5000;
    vgt_vm *vm = NULL;
    assert_int_equal(vgt_vm_create(&cfg, &vm, &err), VGT_E_INVALID);
    assert_null(vm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_traces_register),   cmocka_unit_test(test_traces_fifo_off),
        cmocka_unit_test(test_traces_fifo_on),    cmocka_unit_test(test_traces_8bit),
        cmocka_unit_test(test_traces_pitch),      cmocka_unit_test(test_traces_hostile),
        cmocka_unit_test(test_traces_vm_refresh), cmocka_unit_test(test_traces_command_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
