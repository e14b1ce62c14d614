/* FIFO mechanics: commands wrapping around the end of the ring at every word
 * offset, reservations that wrap (with and without FIFO_CAP_RESERVE, and a
 * driver that does not use it), partial commits, FIFO_BUSY / doorbell. */
#include <sched.h>

#include "device_test_util.h"

/* A command sequence starting k words before MAX, so that every command
 * boundary and every split point in the first commands is exercised. */
static void test_wrap_every_offset(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 16, NULL);
    tvm_driver(&t);
    const uint32_t min = VGT_SVGA_FIFO_NUM_REGS * 4u, max = 16u << 10;
    for (uint32_t k = 1; k <= 24; k++) {
        uint32_t start = max - 4u * k;
        tvm_restart_fifo(&t, min, max, start);
        uint32_t seq_words[] = {
            VGT_SVGA_CMD_UPDATE,      1,        2,  8, 8,            /* 5 */
            VGT_SVGA_CMD_DEFINE_GMR2, 5,        1,                   /* 3 */
            VGT_SVGA_CMD_FENCE,       k,                             /* 2 */
            VGT_SVGA_CMD_ESCAPE,      0,        12, k, k + 1, k + 2, /* 6 */
            VGT_SVGA_CMD_FENCE,       1000 + k,                      /* 2 */
        };
        const uint32_t lens[] = {5, 3, 2, 6, 2};
        uint32_t first = t.log->ncmds;
        uint32_t nf = t.log->nfences;
        raw_push(&t, seq_words, 18);
        raw_drain(&t);
        assert_int_equal(t.log->ncmds - first, 5);
        uint32_t off = start, w = 0;
        for (uint32_t c = 0; c < 5; c++) {
            const tlog_cmd *lc = &t.log->cmds[first + c];
            assert_int_equal(lc->offset, off);
            assert_int_equal(lc->nwords, lens[c]);
            assert_memory_equal(lc->words, &seq_words[w], lens[c] * 4u);
            assert_int_equal(lc->status, VGT_OK);
            off += 4u * lens[c];
            if (off >= max) {
                off -= max - min;
            }
            w += lens[c];
        }
        assert_int_equal(t.log->nfences - nf, 2);
        assert_int_equal(t.log->fences[nf], k);
        assert_int_equal(t.log->fences[nf + 1], 1000 + k);
        assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_STOP), off);
        assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_FENCE), 1000 + k);
    }
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

static void hide_reserve(vgt_vm_config *cfg)
{
    cfg->device.hide_fifo_caps = VGT_SVGA_FIFO_CAP_RESERVE;
}

/* ESCAPEs of varying sizes through reserve/commit in a 10 KiB ring: many
 * reservations wrap.  Every payload must arrive intact, in order. */
static void run_reservations(void (*tweak)(vgt_vm_config *), bool driver_no_reserve,
                             bool expect_bounce_always)
{
    tvm t;
    tvm_create(&t, 16, tweak);
    vgt_error err = {0};
    assert_int_equal(vgt_drv_init(&t.drv, t.g, &err), VGT_OK);
    t.drv.no_reserve = driver_no_reserve;
    const uint32_t min = VGT_SVGA_FIFO_NUM_REGS * 4u;
    assert_int_equal(vgt_drv_set_mode_fifo(&t.drv, 320, 240, 32, min, min + 10240u, &err), VGT_OK);
    uint32_t first = t.log->ncmds;
    uint32_t bounced = 0, in_place = 0;
    const uint32_t n = 600;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t bytes = 4u * (1u + (i * 37u) % 97u); /* 4..388 bytes */
        uint32_t *p = vgt_drv_fifo_reserve_escape(&t.drv, 7, bytes);
        assert_non_null(p);
        if (t.drv.fifo_state.using_bounce) {
            bounced++;
        } else {
            in_place++;
        }
        for (uint32_t j = 0; j < bytes / 4u; j++) {
            p[j] = i * 1000u + j;
        }
        vgt_drv_fifo_commit_all(&t.drv);
        if (i % 50 == 49) {
            tvm_sync(&t);
        }
    }
    tvm_sync(&t);
    assert_false(t.drv.failed);
    assert_true(bounced > 0);
    if (expect_bounce_always) {
        assert_int_equal(in_place, 0);
    } else {
        assert_true(in_place > bounced);
    }
    uint32_t esc = 0;
    for (uint32_t c = first; c < t.log->ncmds; c++) {
        const tlog_cmd *lc = &t.log->cmds[c];
        if (lc->words[0] != VGT_SVGA_CMD_ESCAPE) {
            continue;
        }
        uint32_t bytes = 4u * (1u + (esc * 37u) % 97u);
        assert_int_equal(lc->nwords, 3u + bytes / 4u);
        assert_int_equal(lc->words[1], 7);
        assert_int_equal(lc->words[2], bytes);
        for (uint32_t j = 0; j < bytes / 4u && 3u + j < 16u; j++) {
            assert_int_equal(lc->words[3 + j], esc * 1000u + j);
        }
        assert_int_equal(lc->status, VGT_OK);
        esc++;
    }
    assert_int_equal(esc, n);
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.errors, 0);
    assert_int_equal(s.escapes, n);
    tvm_destroy(&t);
}

static void test_reserve_wrap_with_cap(void **state)
{
    (void)state;
    run_reservations(NULL, false, false);
}

static void test_reserve_wrap_without_cap(void **state)
{
    (void)state;
    /* The device does not offer FIFO_CAP_RESERVE: every multi-word command is
     * bounced and copied one word at a time, NEXT_CMD moving per word, so the
     * device sees (and must hold) partial commands. */
    run_reservations(hide_reserve, false, true);
}

static void test_reserve_wrap_driver_without_reserve(void **state)
{
    (void)state;
    run_reservations(NULL, true, true);
}

/* A command committed in two halves is executed once, whole. */
static void test_partial_commit(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 16, NULL);
    tvm_driver(&t);
    uint32_t first = t.log->ncmds;
    uint32_t w[] = {VGT_SVGA_CMD_RECT_COPY, 0, 0, 8, 8, 4, 4, VGT_SVGA_CMD_FENCE, 77};
    raw_push(&t, w, 3);
    vgt_drv_ring_doorbell(&t.drv);
    /* Whatever the device did meanwhile, it cannot have executed it. */
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.errors, 0);
    raw_push(&t, w + 3, 6);
    raw_drain(&t);
    assert_int_equal(t.log->ncmds - first, 2);
    assert_int_equal(t.log->cmds[first].nwords, 7);
    assert_memory_equal(t.log->cmds[first].words, w, 28);
    /* Fetched in two parts or whole, it cannot start before its fetch. */
    assert_true(t.log->cmds[first].start_ns >= t.log->cmds[first].fetch_ns);
    assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_FENCE), 77);
    tvm_destroy(&t);
}

/* The consumer sleeps when idle; a doorbell (or the poll) wakes it. */
static void test_doorbell_and_busy(void **state)
{
    (void)state;
    uint64_t t0 = vgt_now_ns();
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    for (uint32_t i = 0; i < 100; i++) {
        vgt_drv_update(&t.drv, i, i, 10, 10);
        tvm_sync(&t);
    }
    vgt_device_stats s = tvm_stats(&t);
    /* the FIFO thread's passes: some time, and not more than has passed
     * (it waited for each sync's doorbell in between) */
    assert_true(s.busy_ns > 0);
    assert_true(s.busy_ns < vgt_now_ns() - t0);
    assert_true(s.fifo_running);
    assert_int_equal(s.errors, 0);
    assert_true(s.commands >= 200);
    assert_true(s.fifo_cpu_ns > 0); /* the FIFO thread's CPU time, read from its clock */
    /* Legacy sync drains everything: BUSY reads 0 afterwards. */
    vgt_drv_update(&t.drv, 0, 0, 320, 240);
    assert_int_equal(vgt_drv_sync_all(&t.drv), VGT_OK);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_BUSY), 0);
    tvm_destroy(&t);
}

/* No timer wakeup during the test's few steps, and no watch of NEXT_CMD
 * without the lock: the FIFO thread holds the lock from FIFO_BUSY = 0 until
 * it sleeps. */
static void slow_poll(vgt_vm_config *cfg)
{
    cfg->device.poll_hz = 1;
    cfg->device.spin_us = 0;
}

/* Waits up to 10 s (a bound, not a figure) for FIFO_BUSY to read `want`. */
static void wait_fifo_busy(tvm *t, uint32_t want)
{
    uint64_t deadline = vgt_now_ns() + 10000000000ull;
    while (vgt_drv_fifo_get(&t->drv, VGT_SVGA_FIFO_BUSY) != want) {
        if (vgt_now_ns() > deadline) {
            fail_msg("FIFO_BUSY stayed %u for 10 s, expected %u",
                     vgt_drv_fifo_get(&t->drv, VGT_SVGA_FIFO_BUSY), want);
        }
        sched_yield();
    }
}

/* The doorbell half of going to sleep (docs/device.md "Threads and
 * locking"): the device writes FIFO_BUSY = 0 when it sleeps; a guest that
 * reads 1 writes no SYNC, one that reads 0 writes SYNC once, and the
 * command it committed runs. */
static void test_busy_doorbell_protocol(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, slow_poll);
    tvm_driver(&t);
    tvm_sync(&t);
    wait_fifo_busy(&t, 0);
    /* taking the lock (the stats) waits until the thread sleeps; asleep, it
     * leaves FIFO_BUSY alone until a doorbell or the 1 s poll */
    uint64_t doorbells = tvm_stats(&t).doorbells;
    assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_BUSY), 0);
    /* FIFO_BUSY = 1 (as a guest leaves it after ringing): no SYNC */
    vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_BUSY, 1);
    vgt_drv_ring_doorbell(&t.drv);
    assert_int_equal(tvm_stats(&t).doorbells, doorbells);
    /* FIFO_BUSY = 0: a command, then the doorbell: one SYNC */
    vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_BUSY, 0);
    uint32_t w[] = {VGT_SVGA_CMD_FENCE, 4242};
    raw_push(&t, w, 2);
    vgt_drv_ring_doorbell(&t.drv);
    assert_int_equal(tvm_stats(&t).doorbells, doorbells + 1);
    raw_drain(&t);
    assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_FENCE), 4242);
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

/* An old driver: MIN = 16, only the 4 basic FIFO registers.  The device must
 * not write FENCE/BUSY/caps into what is now ring space. */
static void test_basic_fifo_without_extended_registers(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 16, NULL);
    tvm_driver(&t);
    const uint32_t min = 16, max = 16 + 12288;
    tvm_restart_fifo(&t, min, max, min);
    uint32_t first = t.log->ncmds;
    for (uint32_t i = 0; i < 1500; i++) {
        uint32_t w[] = {VGT_SVGA_CMD_UPDATE, i % 300, 0, 20, 10, VGT_SVGA_CMD_FENCE, i + 5};
        raw_push(&t, w, 7);
        if (i % 100 == 99) {
            raw_drain(&t);
        }
    }
    raw_drain(&t);
    assert_int_equal(t.log->ncmds - first, 3000);
    for (uint32_t c = first; c < t.log->ncmds; c++) {
        uint32_t i = (c - first) / 2;
        if ((c - first) % 2 == 0) {
            assert_int_equal(t.log->cmds[c].words[1], i % 300);
        } else {
            assert_int_equal(t.log->cmds[c].words[1], i + 5);
        }
        assert_int_equal(t.log->cmds[c].status, VGT_OK);
    }
    assert_int_equal(tvm_stats(&t).errors, 0);
    tvm_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrap_every_offset),
        cmocka_unit_test(test_reserve_wrap_with_cap),
        cmocka_unit_test(test_reserve_wrap_without_cap),
        cmocka_unit_test(test_reserve_wrap_driver_without_reserve),
        cmocka_unit_test(test_partial_commit),
        cmocka_unit_test(test_doorbell_and_busy),
        cmocka_unit_test(test_busy_doorbell_protocol),
        cmocka_unit_test(test_basic_fifo_without_extended_registers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
