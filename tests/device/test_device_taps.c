/* The capture taps see exactly what happened: the words of each command as
 * fetched, its status, every guest memory byte range read or written on its
 * behalf (in order), state-changing register writes, fences, frame
 * boundaries (by the 2D frame rule), cursor samples and errors. */
#include "device_test_util.h"

#include <unistd.h>

static bool has_reg(const tlog *l, uint32_t from, uint32_t reg, uint32_t value)
{
    for (uint32_t i = from; i < l->nregs; i++) {
        if (l->regs[i][0] == reg && l->regs[i][1] == value) {
            return true;
        }
    }
    return false;
}

static const tlog_cmd *last_cmd(const tlog *l, uint32_t id)
{
    for (uint32_t i = l->ncmds; i-- > 0;) {
        if (l->cmds[i].words[0] == id) {
            return &l->cmds[i];
        }
    }
    return NULL;
}

static void test_taps_see_everything(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    tlog *l = t.log;
    assert_true(has_reg(l, 0, VGT_SVGA_REG_WIDTH, 320));
    assert_true(has_reg(l, 0, VGT_SVGA_REG_HEIGHT, 240));
    assert_true(has_reg(l, 0, VGT_SVGA_REG_ENABLE, 1));
    assert_true(has_reg(l, 0, VGT_SVGA_REG_CONFIG_DONE, 1));
    uint32_t pitch = t.drv.pitch;
    assert_int_equal(pitch, 1280);

    /* UPDATE: three row reads from VRAM, in order, for this command. */
    for (uint32_t y = 20; y < 23; y++) {
        for (uint32_t x = 10; x < 14; x++) {
            uint32_t c = 0xFF000000u | (y << 8) | x;
            memcpy(t.drv.fb + (size_t)y * pitch + x * 4u, &c, 4);
        }
    }
    uint32_t m0 = l->nmems, f0 = l->nframes, fe0 = l->nfences;
    vgt_drv_update(&t.drv, 10, 20, 4, 3);
    tvm_sync(&t);
    const tlog_cmd *up = last_cmd(l, VGT_SVGA_CMD_UPDATE);
    assert_non_null(up);
    assert_true(up->done);
    assert_int_equal(up->status, VGT_OK);
    assert_int_equal(l->nmems - m0, 3);
    for (uint32_t r = 0; r < 3; r++) {
        const tlog_mem *m = &l->mems[m0 + r];
        assert_false(m->write);
        assert_int_equal(m->seq, up->seq);
        assert_int_equal(m->gmr, VGT_SVGA_GMR_FRAMEBUFFER);
        assert_int_equal(m->offset, (20 + r) * pitch + 40);
        assert_int_equal(m->len, 16);
        assert_int_equal(m->first, 0xFF000000u | ((20 + r) << 8) | 10);
    }
    /* The fence after a screen change ended frame f0 (numbered from 0). */
    assert_int_equal(l->nframes - f0, 1);
    assert_int_equal(l->frames[l->nframes - 1], f0);
    assert_int_equal(l->frame_w, 320);
    assert_int_equal(l->frame_h, 240);
    assert_int_equal(l->nfences - fe0, 1);
    assert_int_equal(l->fences[l->nfences - 1], vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_FENCE));

    /* RECT_COPY: reads the source rows, then writes the destination rows. */
    m0 = l->nmems;
    vgt_drv_rect_copy(&t.drv, 10, 20, 100, 50, 4, 2);
    tvm_sync(&t);
    const tlog_cmd *rc = last_cmd(l, VGT_SVGA_CMD_RECT_COPY);
    assert_int_equal(l->nmems - m0, 4);
    assert_false(l->mems[m0].write);
    assert_false(l->mems[m0 + 1].write);
    assert_true(l->mems[m0 + 2].write);
    assert_true(l->mems[m0 + 3].write);
    assert_int_equal(l->mems[m0 + 2].offset, 50 * pitch + 400);
    assert_int_equal(l->mems[m0 + 3].offset, 51 * pitch + 400);
    assert_int_equal(l->mems[m0 + 3].first, 0xFF000000u | (21 << 8) | 10);
    assert_int_equal(l->mems[m0 + 3].seq, rc->seq);
    uint32_t copied;
    memcpy(&copied, t.drv.fb + 51 * pitch + 400, 4);
    assert_int_equal(copied, 0xFF000000u | (21 << 8) | 10);

    /* A fence with no screen change since the last boundary: no frame.
     * Moving the cursor alone does not make a frame either. */
    f0 = l->nframes;
    vgt_drv_move_cursor(&t.drv, 1, 5, 5);
    tvm_sync(&t);
    assert_int_equal(l->nframes, f0);
    tvm_sync(&t);
    assert_int_equal(l->nframes, f0);
    /* A cursor definition is a screen change; the cursor is sampled at the
     * frame end. */
    uint32_t cur0 = l->cursors;
    uint32_t *px = vgt_drv_begin_define_alpha_cursor(&t.drv, 0, 0, 2, 2);
    px[0] = px[1] = px[2] = px[3] = 0xFFFFFFFFu;
    vgt_drv_fifo_commit_all(&t.drv);
    vgt_drv_move_cursor(&t.drv, 1, 7, 9);
    tvm_sync(&t);
    assert_int_equal(l->nframes, f0 + 1);
    assert_int_equal(l->cursors, cur0 + 1);
    vgt_image img;
    vgt_error err = {0};
    assert_int_equal(vgt_device_snapshot(t.dev, &img, &err), VGT_OK);
    assert_int_equal(vgt_load_le32(img.pixels + 9 * img.stride + 7 * 4), 0xFFFFFFFFu);
    assert_int_equal(vgt_load_le32(img.pixels + 10 * img.stride + 8 * 4), 0xFFFFFFFFu);
    vgt_image_free(&img);

    /* An error: the device_error tap names the command's seq, cmd_done its status. */
    uint32_t e0 = l->nerrors;
    vgt_drv_update(&t.drv, 319, 0, 2, 1);
    tvm_sync(&t);
    const tlog_cmd *bad = last_cmd(l, VGT_SVGA_CMD_UPDATE);
    assert_int_equal(l->nerrors - e0, 1);
    assert_int_equal(l->errors[e0].seq, bad->seq);
    assert_int_equal(l->errors[e0].kind, VGT_DEVERR_EXECUTE);
    assert_int_equal(l->errors[e0].offset, bad->offset);
    assert_int_equal(bad->status, VGT_E_RANGE);

    /* Every fetched command got exactly one done, seq numbers consecutive.
     * The driver commits whole commands, so each starts at its fetch (the
     * device reads the clock once per command, at its end). */
    for (uint32_t i = 0; i < l->ncmds; i++) {
        assert_int_equal(l->cmds[i].seq, i);
        assert_true(l->cmds[i].done);
        assert_int_equal(l->cmds[i].start_ns, l->cmds[i].fetch_ns);
        assert_true(l->cmds[i].end_ns >= l->cmds[i].start_ns);
        assert_true(l->cmds[i].fetch_ns != 0);
    }
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.commands, l->ncmds);
    assert_int_equal(s.frames, l->nframes);
    assert_int_equal(s.fences, l->nfences);
    tvm_destroy(&t);
}

/* ---- the command log ---------------------------------------------------- */

#define LOG_MAX 4096u

/* What the log handed over, a command a line (a repeat's words are those
 * of the command before it). */
static struct {
    uint64_t seq[LOG_MAX];
    uint32_t nwords[LOG_MAX], offset[LOG_MAX], first[LOG_MAX], last[LOG_MAX];
    uint64_t fetch[LOG_MAX];
    uint32_t words[LOG_MAX][16]; /* the first words (a repeat: the words before) */
    bool repeat[LOG_MAX], batch_start[LOG_MAX];
    uint32_t n, batches, alone, over_limits, repeats;
} logged;

static void on_batch(void *ctx, const vgt_device_cmd_batch *b)
{
    (void)ctx;
    logged.batches++;
    if (b->count == 1 && b->nbytes > 64) {
        logged.alone++;
    } else if (b->count > 4 || b->nbytes > 64) {
        logged.over_limits++;
    }
    size_t at = 0, prev = 0;
    for (uint32_t i = 0; i < b->count && logged.n < LOG_MAX; i++) {
        uint32_t k = logged.n++;
        uint32_t n = b->nwords[i] & ~VGT_DEVICE_CMD_LOG_REPEAT;
        bool repeat = (b->nwords[i] & VGT_DEVICE_CMD_LOG_REPEAT) != 0;
        assert_true(n > 0);
        assert_false(repeat && i == 0);
        if (repeat) {
            assert_int_equal(n, logged.nwords[k - 1]);
            logged.repeats++;
        } else {
            prev = at;
            at += n;
        }
        logged.seq[k] = b->first_seq + i;
        logged.nwords[k] = n;
        logged.offset[k] = b->offsets[i];
        logged.fetch[k] = b->first_fetch_ns + b->fetch_delta[i];
        logged.first[k] = b->words[prev];
        logged.last[k] = b->words[prev + n - 1u];
        logged.repeat[k] = repeat;
        logged.batch_start[k] = i == 0;
        if (repeat) {
            memcpy(logged.words[k], logged.words[k - 1], sizeof(logged.words[k]));
        } else {
            memcpy(logged.words[k], b->words + prev, 4u * (n < 16u ? n : 16u));
        }
    }
    assert_int_equal(at * 4u, b->nbytes);
}

static void with_log(vgt_vm_config *cfg)
{
    cfg->device.taps.cmd_batch = on_batch;
    cfg->device.taps.cmd_log_count = 4;
    cfg->device.taps.cmd_log_bytes = 64;
}

/* Changing the taps hands over what the log holds: then it has handed over
 * a line for every command the recorder saw. */
static const tlog *log_handed_over(tvm *t)
{
    vgt_device_taps taps;
    memset(&taps, 0, sizeof(taps));
    vgt_device_set_taps(t->dev, &taps);
    assert_int_equal(logged.n, t->log->ncmds);
    return t->log;
}

/* The log hands over every command the cmd_fetched tap sees, in order and
 * word for word, in batches within the limits asked for; a command longer
 * than the byte limit alone; a command equal to the one before it in its
 * batch as a repeat (every such command, and only those); what it holds
 * when the taps change. */
static void test_cmd_log(void **state)
{
    (void)state;
    memset(&logged, 0, sizeof(logged));
    tvm t;
    tvm_create(&t, 64, with_log);
    tvm_driver(&t);
    static const uint32_t sizes[] = {4, 8, 12, 100, 4, 40, 4, 4, 4, 200, 8};
    uint32_t sent = 0;
    for (uint32_t r = 0; r < 3; r++) {
        for (uint32_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            /* every third command twice over: a repeat unless a batch
             * starts with it (or it goes alone) */
            for (uint32_t copy = 0; copy < (i % 3u == 0u ? 2u : 1u); copy++) {
                uint32_t *p = vgt_drv_fifo_reserve_escape(&t.drv, 7, sizes[i]);
                assert_non_null(p);
                for (uint32_t j = 0; j < sizes[i] / 4u; j++) {
                    p[j] = (r * 100u + i) * 1000u + j;
                }
                vgt_drv_fifo_commit_all(&t.drv);
                sent++;
            }
        }
        tvm_sync(&t);
    }
    const tlog *l = log_handed_over(&t);
    uint32_t possible = 0;
    for (uint32_t i = 0; i < l->ncmds; i++) {
        const tlog_cmd *c = &l->cmds[i];
        assert_int_equal(logged.seq[i], c->seq);
        assert_int_equal(logged.nwords[i], c->nwords);
        assert_int_equal(logged.offset[i], c->offset);
        assert_int_equal(logged.fetch[i], c->fetch_ns);
        assert_int_equal(logged.first[i], c->words[0]);
        if (c->words[0] == VGT_SVGA_CMD_ESCAPE) {
            uint32_t bytes = c->words[2];
            assert_int_equal(logged.last[i], c->words[3] + bytes / 4u - 1u);
        }
        /* equal to the command before it (both as the guest wrote them;
         * the payload's first word tells the commands apart) */
        bool same = i > 0 && c->nwords == l->cmds[i - 1].nwords &&
                    memcmp(c->words, l->cmds[i - 1].words, sizeof(c->words)) == 0;
        bool in_batch = !logged.batch_start[i] && c->nwords * 4u <= 64u;
        assert_int_equal(logged.repeat[i], same && in_batch);
        possible += same && in_batch;
    }
    assert_int_equal(logged.repeats, possible);
    uint32_t escapes = 0;
    for (uint32_t i = 0; i < l->ncmds; i++) {
        escapes += l->cmds[i].words[0] == VGT_SVGA_CMD_ESCAPE;
    }
    assert_int_equal(escapes, sent);
    assert_true(logged.repeats >= 4);
    assert_int_equal(logged.over_limits, 0);
    assert_int_equal(logged.alone, 12); /* the 100- and 200-byte ESCAPEs, twice, three times */
    assert_true(logged.batches > logged.alone + 3);
    tvm_destroy(&t);
}

/* Pushes an ESCAPE (nsid, four payload words) as a raw guest, in two parts
 * when `split_at` (words, 1..6) is not 0, the device woken between them. */
static void push_escape(tvm *t, uint32_t nsid, const uint32_t payload[4], uint32_t split_at)
{
    uint32_t w[7] = {VGT_SVGA_CMD_ESCAPE, nsid, 16, payload[0], payload[1], payload[2], payload[3]};
    if (split_at) {
        raw_push(t, w, split_at);
        vgt_drv_ring_doorbell(&t->drv);
        usleep(100);
    }
    raw_push(t, w + split_at, 7u - split_at);
}

static uint32_t count_errors(const tlog *l, vgt_device_error_kind kind)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < l->nerrors; i++) {
        n += l->errors[i].kind == kind;
    }
    return n;
}

/* A repeat in the log is the command before it word for word, however the
 * words came: equal commands, ones differing in their last or second word
 * only, commands split across passes, wrapping the ring, after a command
 * dropped for its length, and after a partial command the guest abandoned
 * by stopping the FIFO (its words overwrote the start of the copy the
 * repeat would be compared with). */
static void test_cmd_log_repeats_exact(void **state)
{
    (void)state;
    memset(&logged, 0, sizeof(logged));
    tvm t;
    tvm_create(&t, 16, with_log);
    tvm_driver(&t);
    const uint32_t min = vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_MIN);
    const uint32_t max = vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_MAX);
    uint32_t halts = 0;
    for (uint32_t r = 0; r < 120; r++) {
        const uint32_t p[4] = {r, 2, 3, 4}, q[4] = {r, 2, 3, 5};
        push_escape(&t, 0, p, 0);
        push_escape(&t, 0, p, 0);
        push_escape(&t, 0, q, 0); /* the last word differs */
        push_escape(&t, 0, q, 0);
        push_escape(&t, 1, q, 0); /* the second word differs */
        push_escape(&t, 1, q, 1 + r % 6u);
        push_escape(&t, 0, q, 2); /* only the first part differs */
        push_escape(&t, 0, q, 0);
        raw_drain(&t);
        if (r % 10u == 3u) {
            /* a 3D command longer than the ring: dropped up to NEXT_CMD */
            const uint32_t bad[2] = {VGT_SVGA3D_CMD_SURFACE_DEFINE, 0x00fffff0u};
            raw_push(&t, bad, 2);
            raw_drain(&t);
            push_escape(&t, 1, q, 0);
            raw_drain(&t);
        }
        if (r % 10u == 7u) {
            /* ESCAPE(1, q); the start of ESCAPE(0, q), then the FIFO
             * stopped and started again after it; then ESCAPE(0, q) whole:
             * the copy holds its words, but the command before it was
             * ESCAPE(1, q).  Again until the device had taken the start
             * (it says so: a partial command discarded). */
            bool halted = false;
            for (uint32_t attempt = 0; attempt < 20 && !halted; attempt++) {
                push_escape(&t, 1, q, 0);
                raw_drain(&t);
                uint32_t errs = count_errors(t.log, VGT_DEVERR_TRUNCATED);
                const uint32_t head[3] = {VGT_SVGA_CMD_ESCAPE, 0, 16};
                raw_push(&t, head, 3);
                vgt_drv_ring_doorbell(&t.drv);
                usleep(1000u * (attempt + 1u));
                uint32_t next = vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_NEXT_CMD);
                tvm_restart_fifo(&t, min, max, next);
                halted = count_errors(t.log, VGT_DEVERR_TRUNCATED) > errs;
                push_escape(&t, 0, q, 0);
                raw_drain(&t);
            }
            halts += halted;
        }
    }
    const tlog *l = log_handed_over(&t);
    uint32_t repeats = 0;
    for (uint32_t i = 0; i < l->ncmds; i++) {
        const tlog_cmd *c = &l->cmds[i];
        assert_int_equal(logged.seq[i], c->seq);
        assert_int_equal(logged.nwords[i], c->nwords);
        assert_true(c->nwords <= 16);
        assert_memory_equal(logged.words[i], c->words, 4u * c->nwords);
        repeats += logged.repeat[i];
    }
    /* the equal pairs and the split ones (unless a batch starts there) */
    assert_true(repeats >= 120);
    assert_int_equal(count_errors(l, VGT_DEVERR_TOO_LONG), 12);
    assert_int_equal(halts, 12);
    tvm_destroy(&t);
}

/* ---- the timing log ----------------------------------------------------- */

static struct {
    uint64_t seq[LOG_MAX];
    uint32_t queue[LOG_MAX], exec[LOG_MAX];
    uint32_t n, runs, longest;
    bool out_of_order;
} timed;

static void on_timings(void *ctx, uint64_t first_seq, uint32_t count, const uint32_t *pairs)
{
    (void)ctx;
    timed.runs++;
    timed.longest = count > timed.longest ? count : timed.longest;
    for (uint32_t i = 0; i < count && timed.n < LOG_MAX; i++) {
        uint32_t k = timed.n++;
        timed.seq[k] = first_seq + i;
        if (k > 0 && timed.seq[k] != timed.seq[k - 1] + 1u) {
            timed.out_of_order = true;
        }
        timed.queue[k] = pairs[2u * i];
        timed.exec[k] = pairs[2u * i + 1u];
    }
}

static void with_timings(vgt_vm_config *cfg)
{
    cfg->device.taps.cmd_timings = on_timings;
}

/* The timing log hands over every finished command's timing, as cmd_done
 * has it (start - fetch, end - start), in runs of at most
 * VGT_DEVICE_TIMING_LOG_COUNT consecutive commands; the rest when the
 * taps change. */
static void test_timing_log(void **state)
{
    (void)state;
    memset(&timed, 0, sizeof(timed));
    tvm t;
    tvm_create(&t, 64, with_timings);
    tvm_driver(&t);
    for (uint32_t i = 0; i < 700; i++) {
        (void)vgt_drv_insert_fence(&t.drv);
        if (i % 50 == 0) {
            tvm_sync(&t);
        }
    }
    tvm_sync(&t);
    assert_true(timed.runs >= 2); /* 700 commands: at least two full runs */
    assert_int_equal(timed.longest, VGT_DEVICE_TIMING_LOG_COUNT);
    vgt_device_taps taps;
    memset(&taps, 0, sizeof(taps));
    vgt_device_set_taps(t.dev, &taps);
    const tlog *l = t.log;
    assert_false(timed.out_of_order);
    assert_int_equal(timed.n, l->ncmds);
    for (uint32_t i = 0; i < l->ncmds; i++) {
        const tlog_cmd *c = &l->cmds[i];
        assert_true(c->done);
        assert_int_equal(timed.seq[i], c->seq);
        assert_int_equal(timed.queue[i], c->start_ns - c->fetch_ns);
        assert_int_equal(timed.exec[i], c->end_ns - c->start_ns);
    }
    tvm_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_taps_see_everything),
        cmocka_unit_test(test_cmd_log),
        cmocka_unit_test(test_cmd_log_repeats_exact),
        cmocka_unit_test(test_timing_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
