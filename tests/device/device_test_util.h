/* device_test_util.h - shared by the device tests: a VM with a tap recorder,
 * and raw FIFO access for tests that play a (possibly hostile) guest.
 * The "guest" is the test thread itself: vgt_guest_* may be called from it. */
#ifndef DEVICE_TEST_UTIL_H
#define DEVICE_TEST_UTIL_H

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vgt_samples.h"

#define TLOG_MAX 4096

typedef struct tlog_cmd {
    uint64_t seq;
    uint32_t offset;
    uint32_t nwords;
    uint32_t words[16]; /* first words */
    vgt_status status;
    bool done;
    uint64_t fetch_ns, start_ns, end_ns;
} tlog_cmd;

typedef struct tlog_mem {
    uint64_t seq;
    uint32_t gmr, offset, len;
    bool write;
    uint32_t first; /* first 4 bytes (or fewer) */
} tlog_mem;

typedef struct tlog {
    pthread_mutex_t mu;
    tlog_cmd cmds[TLOG_MAX];
    uint32_t ncmds;
    tlog_mem mems[TLOG_MAX];
    uint32_t nmems;
    uint32_t regs[TLOG_MAX][2];
    uint32_t nregs;
    uint32_t fences[TLOG_MAX];
    uint32_t nfences;
    uint64_t frames[TLOG_MAX];
    uint32_t nframes;
    uint32_t frame_w, frame_h;
    struct {
        uint64_t seq;
        uint32_t offset;
        vgt_device_error_kind kind;
        char reason[160];
    } errors[256];
    uint32_t nerrors;
    uint32_t cursors;
} tlog;

static inline void tl_fetched(void *ctx, uint64_t seq, uint32_t off, const uint32_t *w, uint32_t n,
                              uint64_t t)
{
    tlog *l = ctx;
    pthread_mutex_lock(&l->mu);
    if (l->ncmds < TLOG_MAX) {
        tlog_cmd *c = &l->cmds[l->ncmds++];
        c->fetch_ns = t;
        c->seq = seq;
        c->offset = off;
        c->nwords = n;
        memcpy(c->words, w, (n < 16 ? n : 16) * 4u);
    }
    pthread_mutex_unlock(&l->mu);
}

static inline void tl_done(void *ctx, uint64_t seq, vgt_status st, const char *msg, uint64_t f,
                           uint64_t a, uint64_t b)
{
    (void)f;
    (void)msg;
    tlog *l = ctx;
    pthread_mutex_lock(&l->mu);
    for (uint32_t i = l->ncmds; i-- > 0;) {
        if (l->cmds[i].seq == seq) {
            l->cmds[i].status = st;
            l->cmds[i].done = true;
            l->cmds[i].start_ns = a;
            l->cmds[i].end_ns = b;
            break;
        }
    }
    pthread_mutex_unlock(&l->mu);
}

static inline void tl_mem(tlog *l, uint64_t seq, uint32_t gmr, uint32_t off, const void *b,
                          uint32_t len, bool write)
{
    pthread_mutex_lock(&l->mu);
    if (l->nmems < TLOG_MAX) {
        tlog_mem *m = &l->mems[l->nmems++];
        m->seq = seq;
        m->gmr = gmr;
        m->offset = off;
        m->len = len;
        m->write = write;
        m->first = 0;
        memcpy(&m->first, b, len < 4 ? len : 4);
    }
    pthread_mutex_unlock(&l->mu);
}

static inline void tl_read(void *ctx, uint64_t seq, uint32_t gmr, uint32_t off, const void *b,
                           uint32_t len)
{
    tl_mem(ctx, seq, gmr, off, b, len, false);
}

static inline void tl_written(void *ctx, uint64_t seq, uint32_t gmr, uint32_t off, const void *b,
                              uint32_t len)
{
    tl_mem(ctx, seq, gmr, off, b, len, true);
}

static inline void tl_reg(void *ctx, uint32_t reg, uint32_t v)
{
    tlog *l = ctx;
    pthread_mutex_lock(&l->mu);
    if (l->nregs < TLOG_MAX) {
        l->regs[l->nregs][0] = reg;
        l->regs[l->nregs][1] = v;
        l->nregs++;
    }
    pthread_mutex_unlock(&l->mu);
}

static inline void tl_fence(void *ctx, uint64_t seq, uint32_t fence)
{
    (void)seq;
    tlog *l = ctx;
    pthread_mutex_lock(&l->mu);
    if (l->nfences < TLOG_MAX) {
        l->fences[l->nfences++] = fence;
    }
    pthread_mutex_unlock(&l->mu);
}

static inline void tl_frame(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *img)
{
    (void)seq;
    tlog *l = ctx;
    pthread_mutex_lock(&l->mu);
    if (l->nframes < TLOG_MAX) {
        l->frames[l->nframes++] = frame;
    }
    l->frame_w = img ? img->width : 0;
    l->frame_h = img ? img->height : 0;
    pthread_mutex_unlock(&l->mu);
}

static inline void tl_cursor(void *ctx, uint64_t seq, bool v, int32_t x, int32_t y, uint32_t s)
{
    (void)seq;
    (void)v;
    (void)x;
    (void)y;
    (void)s;
    tlog *l = ctx;
    pthread_mutex_lock(&l->mu);
    l->cursors++;
    pthread_mutex_unlock(&l->mu);
}

static inline void tl_error(void *ctx, uint64_t seq, uint32_t off, vgt_device_error_kind kind,
                            const char *reason)
{
    tlog *l = ctx;
    pthread_mutex_lock(&l->mu);
    if (l->nerrors < 256) {
        l->errors[l->nerrors].seq = seq;
        l->errors[l->nerrors].offset = off;
        l->errors[l->nerrors].kind = kind;
        snprintf(l->errors[l->nerrors].reason, sizeof(l->errors[0].reason), "%s", reason);
        l->nerrors++;
    }
    pthread_mutex_unlock(&l->mu);
}

typedef struct tvm {
    vgt_vm *vm;
    vgt_guest *g;
    vgt_device *dev;
    vgt_drv drv;
    tlog *log;
} tvm;

/* Creates a VM (16 MiB RAM, 4 MiB VRAM, fifo_kib FIFO) with the recorder
 * installed; `tweak` may adjust the config. */
static inline void tvm_create(tvm *t, uint32_t fifo_kib, void (*tweak)(vgt_vm_config *))
{
    memset(t, 0, sizeof(*t));
    t->log = calloc(1, sizeof(tlog));
    assert_non_null(t->log);
    pthread_mutex_init(&t->log->mu, NULL);
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    cfg.device.vram_size = 4u << 20;
    cfg.device.fifo_size = fifo_kib << 10;
    cfg.device.taps = (vgt_device_taps){
        .ctx = t->log,
        .cmd_fetched = tl_fetched,
        .cmd_done = tl_done,
        .mem_read = tl_read,
        .mem_written = tl_written,
        .reg_write = tl_reg,
        .cursor = tl_cursor,
        .fence_passed = tl_fence,
        .frame_end = tl_frame,
        .device_error = tl_error,
    };
    if (tweak) {
        tweak(&cfg);
    }
    vgt_error err = {0};
    vgt_status st = vgt_vm_create(&cfg, &t->vm, &err);
    if (st != VGT_OK) {
        fail_msg("vgt_vm_create: %s", err.message);
    }
    t->g = vgt_vm_guest(t->vm);
    t->dev = vgt_vm_device(t->vm);
}

/* Probes and sets a 320x240 mode with the default FIFO layout. */
static inline void tvm_driver(tvm *t)
{
    vgt_error err = {0};
    if (vgt_drv_init(&t->drv, t->g, &err) != VGT_OK ||
        vgt_drv_set_mode(&t->drv, 320, 240, 32, &err) != VGT_OK) {
        fail_msg("driver: %s", err.message);
    }
}

static inline void tvm_destroy(tvm *t)
{
    vgt_drv_fini(&t->drv);
    vgt_vm_destroy(t->vm);
    pthread_mutex_destroy(&t->log->mu);
    free(t->log);
}

/* Inserts a fence and waits for it; fails the test if it never passes. */
static inline void tvm_sync(tvm *t)
{
    uint32_t f = vgt_drv_insert_fence(&t->drv);
    vgt_status st = vgt_drv_sync_to_fence(&t->drv, f);
    if (st != VGT_OK) {
        fail_msg("sync: %s", t->drv.error.message);
    }
    vgt_device_stats s;
    vgt_device_get_stats(t->dev, &s); /* the FIFO thread finished that batch */
}

static inline vgt_device_stats tvm_stats(tvm *t)
{
    vgt_device_stats s;
    vgt_device_get_stats(t->dev, &s);
    return s;
}

/* What the host shows now (the caller frees it with vgt_image_free). */
static inline vgt_image tvm_shot(tvm *t)
{
    vgt_image img = {0};
    vgt_error err = {0};
    if (vgt_device_snapshot(t->dev, &img, &err) != VGT_OK) {
        fail_msg("snapshot: %s", err.message);
    }
    return img;
}

/* The device still executes commands: a fence passes, the FIFO runs. */
static inline void tvm_assert_alive(tvm *t)
{
    tvm_sync(t);
    assert_true(tvm_stats(t).fifo_running);
}

/* Whether the reg_write tap saw `reg` written with `value`. */
static inline bool tlog_has_reg(const tlog *l, uint32_t reg, uint32_t value)
{
    for (uint32_t i = 0; i < l->nregs; i++) {
        if (l->regs[i][0] == reg && l->regs[i][1] == value) {
            return true;
        }
    }
    return false;
}

/* Pixel (x, y) of a composed image, as its little-endian word. */
static inline uint32_t img_px(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + (size_t)x * 4u);
}

/* Stops the FIFO (CONFIG_DONE 0: a partial command is discarded) and starts
 * it again with MIN/MAX and NEXT_CMD = STOP = start. */
static inline void tvm_restart_fifo(tvm *t, uint32_t min, uint32_t max, uint32_t start)
{
    vgt_drv_write_reg(&t->drv, VGT_SVGA_REG_CONFIG_DONE, 0);
    vgt_drv_fifo_set(&t->drv, VGT_SVGA_FIFO_MIN, min);
    vgt_drv_fifo_set(&t->drv, VGT_SVGA_FIFO_MAX, max);
    vgt_drv_fifo_set(&t->drv, VGT_SVGA_FIFO_NEXT_CMD, start);
    vgt_drv_fifo_set(&t->drv, VGT_SVGA_FIFO_STOP, start);
    vgt_drv_write_reg(&t->drv, VGT_SVGA_REG_CONFIG_DONE, 1);
}

/* The last error the device reported is EXECUTE, says `reason`, and names
 * (seq and FIFO offset) a command `cmd_id` the device fetched: the last
 * rejected command before a sync. */
static inline void tvm_expect_exec_error(tvm *t, uint32_t errors_before, const char *reason,
                                         uint32_t cmd_id)
{
    tlog *l = t->log;
    pthread_mutex_lock(&l->mu);
    uint32_t n = l->nerrors;
    char got[sizeof(l->errors[0].reason)];
    snprintf(got, sizeof(got), "%s", n ? l->errors[n - 1].reason : "");
    vgt_device_error_kind kind = n ? l->errors[n - 1].kind : VGT_DEVERR_EXECUTE;
    uint64_t seq = n ? l->errors[n - 1].seq : 0;
    uint32_t offset = n ? l->errors[n - 1].offset : 0;
    bool found = false, right_cmd = false, right_offset = false;
    for (uint32_t i = 0; i < l->ncmds; i++) {
        if (l->cmds[i].seq == seq) {
            found = true;
            right_cmd = l->cmds[i].words[0] == cmd_id;
            right_offset = l->cmds[i].offset == offset;
        }
    }
    pthread_mutex_unlock(&l->mu);
    assert_int_equal(n, errors_before + 1);
    if (!strstr(got, reason)) {
        fail_msg("error \"%s\" does not say \"%s\"", got, reason);
    }
    assert_int_equal(kind, VGT_DEVERR_EXECUTE);
    assert_true(found);
    assert_true(right_cmd);
    assert_true(right_offset);
}

/* Raw guest: writes words at NEXT_CMD (wrapping), then publishes NEXT_CMD. */
static inline void raw_push(tvm *t, const uint32_t *w, uint32_t n)
{
    uint32_t *fifo = t->drv.fifo;
    uint32_t min = fifo[VGT_SVGA_FIFO_MIN], max = fifo[VGT_SVGA_FIFO_MAX];
    uint32_t next = __atomic_load_n(&fifo[VGT_SVGA_FIFO_NEXT_CMD], __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < n; i++) {
        fifo[next / 4u] = w[i];
        next += 4u;
        if (next == max) {
            next = min;
        }
    }
    __atomic_store_n(&fifo[VGT_SVGA_FIFO_NEXT_CMD], next, __ATOMIC_SEQ_CST);
}

/* Waits (doorbell + BUSY) until the device consumed everything committed. */
static inline void raw_drain(tvm *t)
{
    vgt_status st = vgt_drv_sync_all(&t->drv);
    if (st != VGT_OK) {
        fail_msg("drain: %s", t->drv.error.message);
    }
    vgt_device_stats s;
    vgt_device_get_stats(t->dev, &s);
}

#endif
