/* bench_fifo.c - `vgt bench fifo`: small FENCE commands pushed by the guest
 * driver through the device's FIFO, beside a plain single-producer /
 * single-consumer ring of the same size moving the same 2-word messages
 * between two threads in the same process. */
#include "vgt_samples.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void percentiles(uint64_t *v, uint32_t n, double *median, double *p99)
{
    if (n == 0) {
        *median = *p99 = 0;
        return;
    }
    vgt_sort(v, n, sizeof(*v), cmp_u64);
    *median = (double)v[n / 2];
    *p99 = (double)v[vgt_percentile_index(n, 99)];
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* ---- the device side ---------------------------------------------------- */

typedef struct dev_bench {
    const vgt_fifo_bench_config *cfg;
    vgt_fifo_bench_result *out;
    uint64_t *rtt;
    struct plain_ring *ring; /* measured between the device's runs */
    double ratios[VGT_FIFO_BENCH_REPEAT];
    vgt_error err;
    int rc;
} dev_bench;

static double ring_throughput_run(struct plain_ring *r, uint64_t commands, bool *ok);

static int device_guest(vgt_guest *guest, void *arg)
{
    dev_bench *b = arg;
    vgt_drv drv;
    if (vgt_drv_init(&drv, guest, &b->err) != VGT_OK ||
        vgt_drv_set_mode(&drv, 320, 240, 32, &b->err) != VGT_OK) {
        vgt_drv_fini(&drv);
        return 2;
    }
    /* Throughput: one FENCE per command; the doorbell (rung only when
     * FIFO_BUSY says the device may sleep) after every 32 commands, as the
     * reference driver advises ("after a significant amount of work"). */
    /* The plain ring runs right after each device run, from this same
     * thread, while the device's FIFO thread sleeps: the two are measured
     * in turn under the same conditions (on a shared 2-CPU host where the
     * threads land changes from one run to the next, and both figures with
     * it), and the ratio is reported per pair. */
    for (uint32_t rep = 0; rep < VGT_FIFO_BENCH_REPEAT; rep++) {
        uint64_t t0 = vgt_now_ns();
        uint32_t last = 0;
        for (uint64_t i = 0; i < b->cfg->commands && !drv.failed; i++) {
            last = vgt_drv_insert_fence(&drv);
            if ((i & 31u) == 31u) {
                vgt_drv_ring_doorbell(&drv);
            }
        }
        vgt_drv_sync_to_fence(&drv, last);
        double rate = (double)b->cfg->commands * 1e9 / (double)(vgt_now_ns() - t0);
        if (rate > b->out->device_cmds_per_s) {
            b->out->device_cmds_per_s = rate;
        }
        bool ok = true;
        double ring = ring_throughput_run(b->ring, b->cfg->commands, &ok);
        if (!ok) {
            vgt_error_set(&b->err, VGT_E_NOMEM, "bench: cannot start the ring consumer");
            vgt_drv_fini(&drv);
            return 2;
        }
        if (ring > b->out->ring_cmds_per_s) {
            b->out->ring_cmds_per_s = ring;
        }
        b->ratios[rep] = ring > 0 ? rate / ring : 0;
    }
    /* Latency: insert a fence and wait for it, one at a time. */
    for (uint32_t i = 0; i < b->cfg->roundtrips && !drv.failed; i++) {
        uint64_t s = vgt_now_ns();
        uint32_t f = vgt_drv_insert_fence(&drv);
        vgt_drv_sync_to_fence(&drv, f);
        b->rtt[i] = vgt_now_ns() - s;
    }
    int rc = 0;
    if (drv.failed) {
        b->err = drv.error;
        rc = 2;
    }
    vgt_drv_fini(&drv);
    return rc;
}

/* ---- the plain ring ----------------------------------------------------- */

typedef struct plain_ring {
    uint32_t *words;
    uint32_t nwords;
    uint32_t head __attribute__((aligned(64))); /* producer */
    uint32_t tail __attribute__((aligned(64))); /* consumer */
    uint32_t fence __attribute__((aligned(64)));
    uint32_t value; /* the last message pushed */
    int quit;
} plain_ring;

static void *ring_consumer(void *arg)
{
    plain_ring *r = arg;
    uint32_t tail = 0;
    for (;;) {
        uint32_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
        if (head == tail) {
            if (__atomic_load_n(&r->quit, __ATOMIC_ACQUIRE)) {
                break;
            }
            cpu_relax();
            continue;
        }
        /* Same policy as the device: up to 64 messages per tail update. */
        uint32_t fence = 0;
        for (uint32_t n = 0; n < 64 && tail != head; n++) {
            uint32_t id = __atomic_load_n(&r->words[tail], __ATOMIC_RELAXED);
            uint32_t v = __atomic_load_n(&r->words[(tail + 1) % r->nwords], __ATOMIC_RELAXED);
            if (id == VGT_SVGA_CMD_FENCE) {
                fence = v;
            }
            tail = (tail + 2) % r->nwords;
        }
        __atomic_store_n(&r->fence, fence, __ATOMIC_RELEASE);
        __atomic_store_n(&r->tail, tail, __ATOMIC_RELEASE);
    }
    return NULL;
}

static void ring_push(plain_ring *r, uint32_t value)
{
    uint32_t head = r->head;
    uint32_t next = (head + 2) % r->nwords;
    while (next == __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE)) {
        cpu_relax(); /* full: keep one slot free */
    }
    __atomic_store_n(&r->words[head], VGT_SVGA_CMD_FENCE, __ATOMIC_RELAXED);
    __atomic_store_n(&r->words[(head + 1) % r->nwords], value, __ATOMIC_RELAXED);
    __atomic_store_n(&r->head, next, __ATOMIC_RELEASE);
}

static plain_ring *ring_new(uint32_t ring_bytes)
{
    plain_ring *r = aligned_alloc(64, sizeof(plain_ring));
    if (!r) {
        return NULL;
    }
    memset(r, 0, sizeof(*r));
    r->nwords = (ring_bytes / 4u) & ~1u;
    r->words = calloc(r->nwords, 4u);
    if (!r->words) {
        free(r);
        return NULL;
    }
    return r;
}

static void ring_free(plain_ring *r)
{
    if (r) {
        free(r->words);
        free(r);
    }
}

/* The consumer runs only while the ring is measured (it never sleeps). */
static bool ring_start(plain_ring *r, pthread_t *t)
{
    __atomic_store_n(&r->quit, 0, __ATOMIC_RELEASE);
    return pthread_create(t, NULL, ring_consumer, r) == 0;
}

static void ring_stop(plain_ring *r, pthread_t t)
{
    __atomic_store_n(&r->quit, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
}

/* One throughput run of `commands` messages; its rate in messages/s. */
static double ring_throughput_run(plain_ring *r, uint64_t commands, bool *ok)
{
    pthread_t t;
    if (!ring_start(r, &t)) {
        *ok = false;
        return 0;
    }
    uint64_t t0 = vgt_now_ns();
    for (uint64_t i = 0; i < commands; i++) {
        ring_push(r, ++r->value);
    }
    while (__atomic_load_n(&r->fence, __ATOMIC_ACQUIRE) != r->value) {
        cpu_relax();
    }
    double rate = (double)commands * 1e9 / (double)(vgt_now_ns() - t0);
    ring_stop(r, t);
    return rate;
}

static vgt_status ring_roundtrips(plain_ring *r, uint32_t n, uint64_t *rtt, vgt_error *err)
{
    pthread_t t;
    if (!ring_start(r, &t)) {
        return vgt_error_set(err, VGT_E_NOMEM, "bench: cannot start the ring consumer");
    }
    for (uint32_t i = 0; i < n; i++) {
        uint64_t s = vgt_now_ns();
        ring_push(r, ++r->value);
        while (__atomic_load_n(&r->fence, __ATOMIC_ACQUIRE) != r->value) {
            cpu_relax();
        }
        rtt[i] = vgt_now_ns() - s;
    }
    ring_stop(r, t);
    return VGT_OK;
}

vgt_status vgt_fifo_bench_run(const vgt_fifo_bench_config *cfg_in, vgt_fifo_bench_result *out,
                              vgt_error *err)
{
    vgt_fifo_bench_config cfg = *cfg_in;
    if (!cfg.fifo_size) {
        cfg.fifo_size = 256u << 10;
    }
    if (!cfg.commands) {
        cfg.commands = 1000000u;
    }
    if (!cfg.roundtrips) {
        cfg.roundtrips = 2000u;
    }
    memset(out, 0, sizeof(*out));
    uint64_t *rtt = calloc(cfg.roundtrips, sizeof(*rtt));
    if (!rtt) {
        return vgt_error_set(err, VGT_E_NOMEM, "bench: out of memory");
    }
    vgt_vm_config vcfg;
    vgt_vm_config_default(&vcfg);
    vcfg.ram_size = 16u << 20;
    vcfg.device.fifo_size = cfg.fifo_size;
    vgt_vm *vm = NULL;
    vgt_status st = vgt_vm_create(&vcfg, &vm, err);
    if (st != VGT_OK) {
        free(rtt);
        return st;
    }
    /* The ring gets the same bytes the device's ring has (MAX - MIN). */
    out->ring_bytes = cfg.fifo_size - VGT_SVGA_FIFO_NUM_REGS * 4u;
    plain_ring *ring = ring_new(out->ring_bytes);
    if (!ring) {
        vgt_vm_destroy(vm);
        free(rtt);
        return vgt_error_set(err, VGT_E_NOMEM, "bench: out of memory");
    }
    dev_bench b = {.cfg = &cfg, .out = out, .rtt = rtt, .ring = ring};
    int rc = 0;
    st = vgt_vm_run(vm, device_guest, &b, &rc, err);
    vgt_device_stats ds;
    vgt_device_get_stats(vgt_vm_device(vm), &ds);
    out->device_errors = ds.errors;
    out->device_wakeups = ds.wakeups;
    out->device_doorbells = ds.doorbells;
    vgt_vm_destroy(vm);
    if (st == VGT_OK && rc != 0) {
        st = vgt_error_set(err, VGT_E_STATE, "bench: guest failed: %s", b.err.message);
    }
    if (st != VGT_OK) {
        ring_free(ring);
        free(rtt);
        return st;
    }
    out->ratio_median = vgt_sort_median(b.ratios, VGT_FIFO_BENCH_REPEAT);
    out->ratio_min = b.ratios[0];
    out->ratio_max = b.ratios[VGT_FIFO_BENCH_REPEAT - 1];
    percentiles(rtt, cfg.roundtrips, &out->device_rtt_ns_median, &out->device_rtt_ns_p99);
    st = ring_roundtrips(ring, cfg.roundtrips, rtt, err);
    if (st == VGT_OK) {
        percentiles(rtt, cfg.roundtrips, &out->ring_rtt_ns_median, &out->ring_rtt_ns_p99);
    }
    ring_free(ring);
    free(rtt);
    return st;
}
