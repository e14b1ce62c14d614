/* test_hostile_device.c - a hostile guest against the device: the FIFO
 * read while the guest rewrites it (double fetch), a guest that never
 * finishes a command or never stops producing, races of register writes,
 * IRQ status and reset with the FIFO thread, fence ids wrapping around,
 * count x size overflows in variable-length 2D commands, cursor images
 * longer than declared, screens beyond the display model's limits, signed
 * rectangles, GMR page lists whose byte size overflows 32 bits, and DMA
 * across non-contiguous GMR pages.  Each asserts the reaction in
 * docs/device.md ("Bad guest behaviour"); ASan asserts the rest.  Helpers
 * are the device tests' (tests/device/device_test_util.h). */
#include <stdatomic.h>
#include <unistd.h>

#include "device_test_util.h"

static void assert_alive(tvm *t)
{
    tvm_sync(t);
    assert_true(tvm_stats(t).fifo_running);
}

/* ---- double fetch ---------------------------------------------------------- */

#define DF_ITER 1500

/* Two versions of one UPDATE: inside the 320x240 framebuffer, and every
 * number hostile (wrapping x, y past the bottom, huge h). */
static const uint32_t df_a[5] = {VGT_SVGA_CMD_UPDATE, 0, 0, 16, 16};
static const uint32_t df_b[5] = {VGT_SVGA_CMD_UPDATE, 0xFFFFFFF0u, 300, 0x20, 0x7FFFFFFF};

typedef struct df_cmd {
    uint32_t w[5];
    bool fetched, done, ok;
    uint32_t reads;    /* guest memory reads made on its behalf */
    uint64_t read_min; /* lowest and highest VRAM byte read */
    uint64_t read_end;
} df_cmd;

typedef struct df_state {
    pthread_mutex_t mu;
    df_cmd cmds[DF_ITER + 64];
    uint64_t first_seq;
    bool armed;
    atomic_uint slot; /* FIFO word index the flipper rewrites; 0: none */
    atomic_uint flipper_idle;
    atomic_bool quit;
    uint32_t *fifo;
} df_state;

static df_state *df;

static df_cmd *df_get(uint64_t seq)
{
    if (!df->armed || seq < df->first_seq || seq - df->first_seq >= DF_ITER + 64) {
        return NULL;
    }
    return &df->cmds[seq - df->first_seq];
}

static void df_fetched(void *ctx, uint64_t seq, uint32_t off, const uint32_t *w, uint32_t n,
                       uint64_t ns)
{
    (void)ctx;
    (void)off;
    (void)ns;
    pthread_mutex_lock(&df->mu);
    df_cmd *c = df_get(seq);
    if (c && n == 5) {
        memcpy(c->w, w, sizeof(c->w));
        c->fetched = true;
        c->read_min = UINT64_MAX;
    }
    pthread_mutex_unlock(&df->mu);
}

static void df_done(void *ctx, uint64_t seq, vgt_status st, const char *msg, uint64_t f, uint64_t a,
                    uint64_t b)
{
    (void)f;
    (void)ctx;
    (void)msg;
    (void)a;
    (void)b;
    pthread_mutex_lock(&df->mu);
    df_cmd *c = df_get(seq);
    if (c) {
        c->done = true;
        c->ok = st == VGT_OK;
    }
    pthread_mutex_unlock(&df->mu);
}

static void df_read(void *ctx, uint64_t seq, uint32_t gmr, uint32_t off, const void *bytes,
                    uint32_t len)
{
    (void)ctx;
    (void)bytes;
    pthread_mutex_lock(&df->mu);
    df_cmd *c = df_get(seq);
    if (c && gmr == VGT_SVGA_GMR_FRAMEBUFFER) {
        c->reads++;
        c->read_min = off < c->read_min ? off : c->read_min;
        c->read_end = (uint64_t)off + len > c->read_end ? (uint64_t)off + len : c->read_end;
    }
    pthread_mutex_unlock(&df->mu);
}

/* Rewrites the words of the command at `slot` with version A or B, word by
 * word, as fast as it can, until the slot is withdrawn. */
static void *df_flipper(void *arg)
{
    (void)arg;
    uint32_t k = 0;
    while (!atomic_load(&df->quit)) {
        uint32_t slot = atomic_load(&df->slot);
        if (slot == 0) {
            atomic_store(&df->flipper_idle, 1);
            continue;
        }
        atomic_store(&df->flipper_idle, 0);
        const uint32_t *v = (k++ & 1u) ? df_b : df_a;
        for (uint32_t i = 1; i < 5; i++) {
            __atomic_store_n(&df->fifo[slot + i], v[i], __ATOMIC_RELAXED);
        }
    }
    return NULL;
}

/* A guest thread rewrites a committed command while the device copies it:
 * the device acts on one copy, taken once.  Every word it copied is one the
 * guest wrote at that place (A's or B's), and what it executed is what that
 * copy says: accepted exactly when the copied rectangle lies inside the
 * framebuffer, reading exactly that rectangle's rows and nothing outside. */
static void test_double_fetch_of_fifo_memory(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    df = calloc(1, sizeof(*df));
    assert_non_null(df);
    pthread_mutex_init(&df->mu, NULL);
    df->fifo = t.drv.fifo;
    vgt_device_taps taps = {.cmd_fetched = df_fetched, .cmd_done = df_done, .mem_read = df_read};
    vgt_device_set_taps(t.dev, &taps);
    df->first_seq = tvm_stats(&t).commands;
    df->armed = true;
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, df_flipper, NULL), 0);
    uint32_t min = t.drv.fifo[VGT_SVGA_FIFO_MIN], max = t.drv.fifo[VGT_SVGA_FIFO_MAX];
    for (uint32_t i = 0; i < DF_ITER; i++) {
        uint32_t next = __atomic_load_n(&t.drv.fifo[VGT_SVGA_FIFO_NEXT_CMD], __ATOMIC_ACQUIRE);
        if (next + 20u > max) { /* keep the 5 words contiguous: pad with NOPs-by-fence */
            while (next != min) {
                uint32_t w[2] = {VGT_SVGA_CMD_FENCE, 0};
                raw_push(&t, w, next + 8u <= max ? 2 : 1);
                next = __atomic_load_n(&t.drv.fifo[VGT_SVGA_FIFO_NEXT_CMD], __ATOMIC_ACQUIRE);
                if (next + 8u > max && next != min) {
                    break;
                }
            }
            raw_drain(&t);
            next = __atomic_load_n(&t.drv.fifo[VGT_SVGA_FIFO_NEXT_CMD], __ATOMIC_ACQUIRE);
            if (next + 20u > max) {
                continue;
            }
        }
        uint64_t seq_before = tvm_stats(&t).commands;
        /* Atomic (relaxed) stores: the flipper writes the same words at the
         * same time (two guest threads racing on purpose; ThreadSanitizer
         * would rightly call plain stores a race of the test itself). */
        __atomic_store_n(&t.drv.fifo[next / 4u], VGT_SVGA_CMD_UPDATE, __ATOMIC_RELAXED);
        atomic_store(&df->slot, next / 4u);
        for (uint32_t k = 1; k < 5; k++) {
            __atomic_store_n(&t.drv.fifo[next / 4u + k], df_a[k], __ATOMIC_RELAXED);
        }
        raw_push(&t, df_a, 0); /* no words: commit what is there */
        __atomic_store_n(&t.drv.fifo[VGT_SVGA_FIFO_NEXT_CMD], next + 20u, __ATOMIC_SEQ_CST);
        raw_drain(&t);
        atomic_store(&df->slot, 0);
        while (!atomic_load(&df->flipper_idle)) {
        }
        (void)seq_before;
    }
    atomic_store(&df->quit, true);
    pthread_join(th, NULL);
    vgt_device_set_taps(t.dev, &(vgt_device_taps){0});
    uint32_t seen_a = 0, seen_b = 0, mixed = 0, checked = 0;
    for (uint32_t i = 0; i < DF_ITER + 64; i++) {
        df_cmd *c = &df->cmds[i];
        if (!c->fetched || c->w[0] != VGT_SVGA_CMD_UPDATE) {
            continue;
        }
        checked++;
        assert_true(c->done);
        bool is_a = true, is_b = true;
        for (uint32_t k = 1; k < 5; k++) {
            if (c->w[k] != df_a[k] && c->w[k] != df_b[k]) {
                fail_msg("word %u of a fetched UPDATE is 0x%x: neither version", k, c->w[k]);
            }
            is_a &= c->w[k] == df_a[k];
            is_b &= c->w[k] == df_b[k];
        }
        seen_a += is_a;
        seen_b += is_b;
        mixed += !is_a && !is_b;
        uint64_t x = c->w[1], y = c->w[2], w = c->w[3], h = c->w[4];
        bool inside = x + w <= 320 && y + h <= 240 && w && h;
        if (c->ok != inside) {
            fail_msg("UPDATE %llu,%llu %llux%llu: executed %s", (unsigned long long)x,
                     (unsigned long long)y, (unsigned long long)w, (unsigned long long)h,
                     c->ok ? "although outside" : "refused although inside");
        }
        if (c->ok) {
            assert_true(c->reads > 0);
            assert_int_equal(c->read_min, y * 1280u + x * 4u);
            assert_int_equal(c->read_end, (y + h - 1) * 1280u + (x + w) * 4u);
        } else {
            assert_int_equal(c->reads, 0);
        }
    }
    assert_true(checked >= DF_ITER / 2);
    print_message("double fetch: %u UPDATEs checked: %u as A, %u as B, %u mixed copies\n", checked,
                  seen_a, seen_b, mixed);
    assert_alive(&t);
    pthread_mutex_destroy(&df->mu);
    free(df);
    tvm_destroy(&t);
}

/* ---- unbounded work, races ----------------------------------------------- */

/* A guest that commits half a command and never the rest: BUSY answers
 * (1, without hanging), the device waits without spinning on it, and
 * disabling the FIFO discards it (kind truncated); the FIFO then works. */
static void test_guest_never_finishes_a_command(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    uint32_t half[3] = {VGT_SVGA_CMD_UPDATE, 0, 0};
    raw_push(&t, half, 3);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_BUSY), 1);
    }
    uint64_t wakeups = tvm_stats(&t).wakeups;
    vgt_guest_irq_wait(t.g, 50u * 1000u * 1000u); /* 50 ms: a few polls at most */
    assert_true(tvm_stats(&t).wakeups - wakeups < 50);
    assert_int_equal(tvm_stats(&t).commands, t.log->ncmds);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CONFIG_DONE, 0);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_TRUNCATED], 1);
    assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_BUSY), 0);
    uint32_t next = vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_NEXT_CMD);
    vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_STOP, next);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_CONFIG_DONE, 1);
    assert_alive(&t);
    tvm_destroy(&t);
}

typedef struct producer {
    tvm *t;
    atomic_bool quit;
    uint32_t pushed;
} producer;

/* A guest that never stops producing: fences and screen updates, as fast as
 * the ring allows (raw words, no waiting on the device). */
static void *produce(void *arg)
{
    producer *p = arg;
    uint32_t *fifo = p->t->drv.fifo;
    uint32_t min = fifo[VGT_SVGA_FIFO_MIN], max = fifo[VGT_SVGA_FIFO_MAX];
    uint32_t ring = max - min;
    while (!atomic_load(&p->quit)) {
        uint32_t next = __atomic_load_n(&fifo[VGT_SVGA_FIFO_NEXT_CMD], __ATOMIC_ACQUIRE);
        uint32_t stop = __atomic_load_n(&fifo[VGT_SVGA_FIFO_STOP], __ATOMIC_ACQUIRE);
        uint32_t used = (next - stop + ring) % ring;
        if (next < min || next >= max || stop < min || stop >= max || used + 64u >= ring) {
            sched_yield();
            continue;
        }
        uint32_t w[7] = {
            VGT_SVGA_CMD_FENCE, 0x80000000u + ++p->pushed, VGT_SVGA_CMD_UPDATE, 0, 0, 8, 8};
        raw_push(p->t, w, 7);
    }
    return NULL;
}

/* How many of the producer's fences (ids above 2^31) the device passed. */
static uint32_t producer_fences_seen(tvm *t)
{
    uint32_t n = 0;
    pthread_mutex_lock(&t->log->mu);
    for (uint32_t i = 0; i < t->log->nfences; i++) {
        n += t->log->fences[i] > 0x80000000u;
    }
    pthread_mutex_unlock(&t->log->mu);
    return n;
}

/* Register writes, IRQ status and resets race with a FIFO that never
 * drains: every register access completes, mode changes take effect, fences
 * pass in order, and after a reset and re-initialisation the device works. */
static void test_registers_race_a_fifo_that_never_drains(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    producer p = {.t = &t};
    pthread_t th;
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_IRQMASK, VGT_SVGA_IRQ_ANY_FENCE);
    assert_int_equal(pthread_create(&th, NULL, produce, &p), 0);
    for (uint32_t i = 0; i < 400; i++) {
        uint32_t w = 320 - (i % 4) * 16;
        vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_WIDTH, w);
        assert_int_equal(vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_WIDTH), w);
        vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_IRQMASK, (i & 1) ? VGT_SVGA_IRQ_ANY_FENCE : 0);
        uint32_t st = vgt_guest_in32(t.g, (uint16_t)(t.drv.io_base + VGT_SVGA_PORT_IRQSTATUS));
        vgt_guest_out32(t.g, (uint16_t)(t.drv.io_base + VGT_SVGA_PORT_IRQSTATUS), st);
        vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_SYNC, 1);
        vgt_drv_read_reg(&t.drv, VGT_SVGA_REG_BUSY);
    }
    /* The loop above can finish before the producer thread was even
     * scheduled (a loaded machine): keep ringing until the device has passed
     * some of its fences, so the ordering check below has something to see. */
    for (int tries = 0; tries < 10000 && producer_fences_seen(&t) < 8; tries++) {
        vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_SYNC, 1);
        usleep(1000);
    }
    atomic_store(&p.quit, true);
    pthread_join(th, NULL);
    raw_drain(&t);
    /* Fences passed in the order they were written. */
    pthread_mutex_lock(&t.log->mu);
    uint32_t last = 0x80000000u, seen = 0;
    for (uint32_t i = 0; i < t.log->nfences; i++) {
        if (t.log->fences[i] > 0x80000000u) { /* the producer's (the driver's are small) */
            assert_int_equal(t.log->fences[i], last + 1);
            last = t.log->fences[i];
            seen++;
        }
    }
    assert_true(seen > 0);
    pthread_mutex_unlock(&t.log->mu);
    /* Reset while the producer runs, several times. */
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_WIDTH, 320);
    atomic_store(&p.quit, false);
    assert_int_equal(pthread_create(&th, NULL, produce, &p), 0);
    for (int i = 0; i < 5; i++) {
        vgt_guest_irq_wait(t.g, 2u * 1000u * 1000u);
        vgt_device_reset(t.dev);
    }
    atomic_store(&p.quit, true);
    pthread_join(th, NULL);
    vgt_device_reset(t.dev);
    vgt_drv_fini(&t.drv);
    tvm_driver(&t);
    assert_alive(&t);
    tvm_destroy(&t);
}

/* Fence ids wrap around 2^32: FIFO_FENCE follows, FENCE_GOAL fires on the
 * exact id (0 after the wrap), and ANY_FENCE on each. */
static void test_fence_ids_wrap_around(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_IRQMASK, VGT_SVGA_IRQ_FENCE_GOAL);
    vgt_drv_fifo_set(&t.drv, VGT_SVGA_FIFO_FENCE_GOAL, 0);
    uint32_t before = t.log->nfences;
    const uint32_t ids[] = {0xFFFFFFFEu, 0xFFFFFFFFu, 0, 1};
    uint64_t irqs = tvm_stats(&t).irqs;
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t w[2] = {VGT_SVGA_CMD_FENCE, ids[i]};
        raw_push(&t, w, 2);
        raw_drain(&t);
        assert_int_equal(vgt_drv_fifo_get(&t.drv, VGT_SVGA_FIFO_FENCE), ids[i]);
        if (i == 1) {
            assert_int_equal(tvm_stats(&t).irqs, irqs); /* no goal yet */
        }
    }
    assert_int_equal(tvm_stats(&t).irqs, irqs + 1); /* the goal, 0, after the wrap */
    assert_int_equal(t.log->nfences - before, 4);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(t.log->fences[before + i], ids[i]);
    }
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_IRQMASK, 0);
    vgt_drv_clear_irq(&t.drv);
    assert_alive(&t);
    tvm_destroy(&t);
}

/* ---- variable-length 2D commands --------------------------------------- */

/* Counts times sizes that overflow, or exceed the ring: the length is
 * unknowable or too long, the device drops up to NEXT_CMD and lives on
 * (DEFINE_CURSOR bitmaps, alpha cursors, ESCAPE sizes, screen struct sizes,
 * REMAP_GMR2 page counts). */
static void test_count_times_size_overflows(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    const uint32_t cmds[][10] = {
        /* DEFINE_CURSOR id hot_x hot_y w h and_depth xor_depth */
        {8, VGT_SVGA_CMD_DEFINE_CURSOR, 0, 0, 0, 0x10000, 0x10000, 32, 32},
        {8, VGT_SVGA_CMD_DEFINE_CURSOR, 0, 0, 0, 0xFFFFFFFFu, 2, 1, 32},
        /* DEFINE_ALPHA_CURSOR id hot_x hot_y w h */
        {6, VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR, 0, 0, 0, 0x8000, 0x8000},
        {6, VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR, 0, 0, 0, 0xFFFFFFFFu, 0xFFFFFFFFu},
        /* ESCAPE nsid size */
        {3, VGT_SVGA_CMD_ESCAPE, 0, 0xFFFFFFFFu},
        {3, VGT_SVGA_CMD_ESCAPE, 0, 0xFFFFFFFDu},
        /* DEFINE_SCREEN struct_size */
        {2, VGT_SVGA_CMD_DEFINE_SCREEN, 0xFFFFFFFCu},
        {2, VGT_SVGA_CMD_DEFINE_SCREEN, 2},
        {2, VGT_SVGA_CMD_DEFINE_SCREEN, 4097},
        /* REMAP_GMR2 gmr flags offset num_pages */
        {5, VGT_SVGA_CMD_REMAP_GMR2, 1, VGT_SVGA_REMAP_GMR2_PPN64, 0, 0x80000000u},
        {5, VGT_SVGA_CMD_REMAP_GMR2, 1, VGT_SVGA_REMAP_GMR2_PPN32, 0, 0xFFFFFFFFu},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        vgt_device_stats s0 = tvm_stats(&t);
        raw_push(&t, &cmds[i][1], cmds[i][0]);
        raw_drain(&t);
        vgt_device_stats s1 = tvm_stats(&t);
        uint64_t dropped =
            s1.errors_by_kind[VGT_DEVERR_BAD_LENGTH] + s1.errors_by_kind[VGT_DEVERR_TOO_LONG] -
            s0.errors_by_kind[VGT_DEVERR_BAD_LENGTH] - s0.errors_by_kind[VGT_DEVERR_TOO_LONG];
        uint64_t refused = s1.errors - s0.errors;
        if (refused != 1 || (dropped != 1 && s1.errors_by_kind[VGT_DEVERR_DECODE] ==
                                                 s0.errors_by_kind[VGT_DEVERR_DECODE])) {
            fail_msg("command %zu (id %u): %llu errors, %llu dropped: %s", i, cmds[i][1],
                     (unsigned long long)refused, (unsigned long long)dropped, s1.last_error);
        }
        assert_alive(&t);
    }
    tvm_destroy(&t);
}

/* A cursor image longer than declared: the device takes the declared
 * 2x2 pixels; the extra words are the next commands (here not valid ones:
 * dropped as bad-length).  A cursor larger than the display model allows
 * is refused. */
static void test_cursor_larger_than_declared(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    uint32_t w[6 + 4 + 8];
    uint32_t n = 0;
    w[n++] = VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR;
    w[n++] = 0;
    w[n++] = 0;
    w[n++] = 0;
    w[n++] = 2;
    w[n++] = 2;
    for (uint32_t i = 0; i < 4 + 8; i++) {
        w[n++] = 0xDEAD0000u | i;
    }
    uint32_t ncmds = t.log->ncmds;
    raw_push(&t, w, n);
    raw_drain(&t);
    assert_int_equal(t.log->cmds[ncmds].nwords, 6 + 4);
    assert_int_equal(t.log->cmds[ncmds].status, VGT_OK);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_BAD_LENGTH], 1);
    /* 257 x 1: over VGT_EXEC_MAX_CURSOR_DIM. */
    uint32_t *px = vgt_drv_begin_define_alpha_cursor(&t.drv, 0, 0, VGT_EXEC_MAX_CURSOR_DIM + 1, 1);
    assert_non_null(px);
    vgt_drv_fifo_commit_all(&t.drv);
    assert_alive(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], 1);
    /* Hot spot outside the image. */
    px = vgt_drv_begin_define_alpha_cursor(&t.drv, 5, 0x80000000u, 2, 2);
    assert_non_null(px);
    vgt_drv_fifo_commit_all(&t.drv);
    assert_alive(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE], 2);
    tvm_destroy(&t);
}

/* Screens beyond the display model's limits, and rectangles with signed /
 * unsigned mixing: refused or clipped as documented, never read or written
 * outside a screen, the GMRFB or VRAM. */
static void test_screens_and_signed_rectangles(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    const vgt_svga_screen_object bad[] = {
        {.struct_size = sizeof(vgt_svga_screen_object), .id = 16, .width = 64, .height = 64},
        {.struct_size = sizeof(vgt_svga_screen_object), .id = 1, .width = 8193, .height = 1},
        {.struct_size = sizeof(vgt_svga_screen_object), .id = 1, .width = 0, .height = 1},
        {.struct_size = sizeof(vgt_svga_screen_object),
         .id = 1,
         .width = 64,
         .height = 64,
         .root_x = 0x7FFFFFF0},
    };
    uint64_t exec0 = tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        vgt_drv_define_screen(&t.drv, &bad[i]);
    }
    assert_alive(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE] - exec0, 4);
    /* Two screens too far apart to compose: the frame still ends (with no
     * picture) and the device lives. */
    vgt_svga_screen_object far = {.struct_size = sizeof(vgt_svga_screen_object),
                                  .id = 2,
                                  .width = 16,
                                  .height = 16,
                                  .root_x = -0x40000000,
                                  .root_y = -0x40000000,
                                  .backing_store = {.ptr = {.gmr_id = VGT_SVGA_GMR_NULL}}};
    vgt_drv_define_screen(&t.drv, &far);
    vgt_drv_update(&t.drv, 0, 0, 8, 8);
    assert_alive(&t);
    vgt_drv_destroy_screen(&t.drv, 2);
    /* Blits with negative and wrapping coordinates. */
    uint64_t gphys = 0;
    assert_int_equal(vgt_drv_gmr_define_contiguous(&t.drv, 1, 4, &gphys), VGT_OK);
    vgt_svga_guest_ptr p = {.gmr_id = 1, .offset = 0};
    vgt_drv_define_gmrfb(&t.drv, p, 64, VGT_SVGA_GMRFB_FORMAT(32, 24));
    exec0 = tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE];
    vgt_svga_signed_point src = {0, 0};
    vgt_svga_signed_rect clipped = {-8, -8, 8, 8}; /* partly off screen 0: clipped */
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, clipped, 0);
    vgt_svga_signed_point neg = {-1, 0}; /* before the GMRFB */
    vgt_svga_signed_rect r = {0, 0, 4, 4};
    vgt_drv_blit_gmrfb_to_screen(&t.drv, neg, r, 0);
    vgt_svga_signed_rect wrap = {INT32_MIN, 0, INT32_MAX, 4};
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, wrap, 0);
    vgt_svga_signed_point far_src = {0, 0x7FFFFFF0};
    vgt_drv_blit_gmrfb_to_screen(&t.drv, far_src, r, 0);
    vgt_svga_signed_rect off = {-8, -8, 8, 8}; /* must lie inside its screen */
    vgt_drv_blit_screen_to_gmrfb(&t.drv, src, off, 0);
    vgt_svga_signed_rect big = {0, 0, 320, 240}; /* rows past the 16 KiB GMR */
    vgt_drv_blit_screen_to_gmrfb(&t.drv, src, big, 0);
    vgt_drv_define_gmrfb(&t.drv, p, 0xFFFFFFF0u, VGT_SVGA_GMRFB_FORMAT(32, 24));
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, r, 0); /* pitch x rows past 4 GiB */
    assert_alive(&t);
    vgt_device_stats s = tvm_stats(&t);
    assert_int_equal(s.errors_by_kind[VGT_DEVERR_EXECUTE] - exec0, 6);
    tvm_destroy(&t);
}

/* ---- GMRs ----------------------------------------------------------------- */

/* Descriptor chains: a two-page loop, a descriptor whose page count is
 * 2^32-1, a PPN past the end of RAM: refused, no allocation of that size,
 * the GMR stays undefined.  (A one-page loop, descriptors outside RAM and
 * unterminated pages: tests/device test_bad_gmr_descriptors.) */
static void test_gmr_descriptor_loops_and_huge_counts(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, NULL);
    tvm_driver(&t);
    uint64_t a = vgt_guest_alloc_pages(t.g, 1), b = vgt_guest_alloc_pages(t.g, 1);
    uint64_t data = vgt_guest_alloc_pages(t.g, 1);
    uint32_t *da = vgt_guest_ptr(t.g, a, 4096), *db = vgt_guest_ptr(t.g, b, 4096);
    da[0] = (uint32_t)(data / 4096u);
    da[1] = 1;
    da[2] = (uint32_t)(b / 4096u);
    da[3] = 0;
    db[0] = (uint32_t)(a / 4096u); /* back to a: a loop over two pages */
    db[1] = 0;
    uint64_t gmr0 = tvm_stats(&t).errors_by_kind[VGT_DEVERR_GMR];
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_GMR_ID, 2);
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_GMR_DESCRIPTOR, (uint32_t)(a / 4096u));
    da[0] = (uint32_t)(data / 4096u);
    da[1] = 0xFFFFFFFFu;
    da[2] = 0;
    da[3] = 0;
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_GMR_DESCRIPTOR, (uint32_t)(a / 4096u));
    da[0] = 0xFFFFFFFFu;
    da[1] = 1;
    vgt_drv_write_reg(&t.drv, VGT_SVGA_REG_GMR_DESCRIPTOR, (uint32_t)(a / 4096u));
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_GMR] - gmr0, 3);
    /* Undefined: a blit from it fails. */
    vgt_svga_guest_ptr p = {.gmr_id = 2, .offset = 0};
    vgt_drv_define_gmrfb(&t.drv, p, 64, VGT_SVGA_GMRFB_FORMAT(32, 24));
    vgt_svga_signed_point src = {0, 0};
    vgt_svga_signed_rect r = {0, 0, 4, 4};
    uint64_t exec0 = tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE];
    vgt_drv_blit_gmrfb_to_screen(&t.drv, src, r, 0);
    assert_alive(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_EXECUTE] - exec0, 1);
    tvm_destroy(&t);
}

static void big_gmr_config(vgt_vm_config *cfg)
{
    cfg->device.gmrs_max_pages = 0x40000000u; /* an embedder that allows huge GMRs */
}

/* REMAP_GMR2 VIA_GMR: the page list's byte size (pages x 8 with PPN64)
 * overflows 32 bits for 2^29 pages.  The device must refuse it, not read a
 * list of the wrapped size and index past it. */
static void test_remap_gmr2_page_list_size_overflow(void **state)
{
    (void)state;
    tvm t;
    tvm_create(&t, 64, big_gmr_config);
    tvm_driver(&t);
    uint64_t gphys = 0;
    assert_int_equal(vgt_drv_gmr_define_contiguous(&t.drv, 1, 1, &gphys), VGT_OK);
    vgt_drv_gmr2_define(&t.drv, 2, 0x20000000u); /* 2^29 pages, unmapped */
    tvm_sync(&t);
    uint64_t gmr0 = tvm_stats(&t).errors_by_kind[VGT_DEVERR_GMR];
    vgt_svga_guest_ptr list = {.gmr_id = 1, .offset = 0};
    vgt_drv_gmr2_remap_via(&t.drv, 2, VGT_SVGA_REMAP_GMR2_PPN64, 0, 0x20000000u, list);
    vgt_drv_gmr2_remap_via(&t.drv, 2, VGT_SVGA_REMAP_GMR2_PPN32, 0, 0x20000000u, list);
    assert_alive(&t);
    assert_int_equal(tvm_stats(&t).errors_by_kind[VGT_DEVERR_GMR] - gmr0, 2);
    vgt_drv_gmr2_define(&t.drv, 2, 0);
    tvm_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_double_fetch_of_fifo_memory),
        cmocka_unit_test(test_guest_never_finishes_a_command),
        cmocka_unit_test(test_registers_race_a_fifo_that_never_drains),
        cmocka_unit_test(test_fence_ids_wrap_around),
        cmocka_unit_test(test_count_times_size_overflows),
        cmocka_unit_test(test_cursor_larger_than_declared),
        cmocka_unit_test(test_screens_and_signed_rectangles),
        cmocka_unit_test(test_gmr_descriptor_loops_and_huge_counts),
        cmocka_unit_test(test_remap_gmr2_page_list_size_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
