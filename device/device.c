/* device.c - the virtual SVGA II device: registers, the FIFO consumer
 * thread, GMRs, fences, IRQs, and the live guest memory interface the
 * executor uses.  One state struct, one register switch each way, one FIFO
 * loop; every number from the guest is checked once, at the edge. */
#include "vgt_device.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define DEV_MAX_DISPLAYS 16u
#define DEV_SCRATCH_REGS 64u
#define DEV_BATCH        64u /* commands per lock hold / STOP update */
/* A register access waiting for the lock ends the pass after this many
 * commands instead of DEV_BATCH (see fifo_pass). */
#define DEV_BATCH_WAITED  8u
#define DEV_MAX_LOGGED    20u
#define DEV_BUSY_WAIT_NS  1000000ull
#define DEV_DESC_PER_PAGE (VGT_SVGA_PAGE_SIZE / 8u)

typedef struct dev_gmr {
    uint32_t num_pages; /* 0: undefined */
    uint64_t *ppn;      /* num_pages entries; 0 = not mapped */
} dev_gmr;

typedef struct dev_display {
    uint32_t is_primary, x, y, w, h;
} dev_display;

struct vgt_device {
    vgt_device_config cfg;
    uint8_t *vram;
    uint32_t *fifo;
    bool own_vram, own_fifo;
    uint32_t fifo_words;
    vgt_executor *ex;

    pthread_mutex_t mu;
    pthread_cond_t wake;     /* doorbell / state change -> FIFO thread */
    pthread_cond_t progress; /* FIFO thread -> BUSY readers */
    pthread_t thread;
    bool thread_started;
    bool quit;
    bool doorbell;
    int lock_waiters; /* guest-thread accesses waiting for mu (atomic) */
    uint64_t poll_ns;
    uint64_t spin_ns;

    /* registers */
    uint32_t index;
    uint32_t id;
    uint32_t enable, width, height, bpp, pitchlock;
    uint32_t config_done, guest_id, traces;
    uint32_t irq_mask, irq_status;
    bool irq_level;
    uint32_t cursor_id, cursor_x, cursor_y, cursor_on;
    uint32_t num_guest_displays, display_id;
    dev_display displays[DEV_MAX_DISPLAYS];
    uint32_t gmr_id;
    uint32_t bar_addr[3];
    uint32_t scratch[DEV_SCRATCH_REGS];
    uint32_t caps, fifo_caps;

    /* FIFO consumer */
    bool running; /* enable && config_done && !stopped */
    bool stopped; /* fatal FIFO error */
    bool extended;
    uint32_t min, max; /* latched when the FIFO started */
    uint32_t stop;     /* device-owned STOP (first word of the pending command) */
    uint32_t fetch;    /* next word to copy */
    uint32_t *cmd;     /* the private copy of the pending command */
    uint32_t cmd_cap, cmd_have, cmd_need;
    /* While the command log is on, the pending command's words are
     * compared with what they overwrite as they are copied: cmd_diff is
     * the OR of the differences, and cmd_prev_n the word count of the
     * command executed last when `cmd` still holds all of its words (0:
     * it does not).  A command is its predecessor again when both agree,
     * with no second pass over its words (a memcmp a command was ~2% of a
     * captured draw-calls run). */
    uint32_t cmd_diff, cmd_prev_n;
    bool cmd_len_known;
    /* No memory to copy the pending command into: its words are passed
     * over, not copied, and it is not executed (reported once, when its
     * length was known); the commands after it run. */
    bool cmd_skip;
    vgt_status cmd_len_status; /* length known but command illegal (skip it) */
    char cmd_len_msg[VGT_ERROR_MESSAGE_MAX];
    /* 1 + body words of each fixed-size 2D command (0: not fixed), from the
     * protocol's table at create: the common lengths without a call. */
    uint8_t fixed_words[VGT_SVGA_CMD_MAX_2D];
    uint64_t cmd_fetch_ns;
    /* When the last command of this FIFO pass ended, or the pass started
     * (fifo_pass): the next command's fetch starts right then, so its
     * timestamp is not read again (one clock read less per command while
     * the FIFO is busy). */
    uint64_t prev_end_ns;
    bool timed; /* taps_timed(), as of the last change of the taps */
    /* the commands' timestamps: the TSC between readings of the monotonic
     * clock at each pass (a clock_gettime per command was ~6% of a small
     * command's time) */
    vgt_fast_clock clock;
    /* the command log (taps.cmd_batch): log_n commands from log_first */
    uint64_t log_first;
    uint32_t log_n, log_bytes, log_max_count, log_max_bytes;
    /* the word count of the batch's last copied command (a command equal
     * to it is a repeat) */
    uint32_t log_prev_n;
    uint64_t log_fetch_first;
    uint32_t log_nwords[VGT_DEVICE_CMD_LOG_MAX_COUNT], log_offset[VGT_DEVICE_CMD_LOG_MAX_COUNT];
    uint32_t log_fetch_delta[VGT_DEVICE_CMD_LOG_MAX_COUNT];
    uint32_t log_words[VGT_DEVICE_CMD_LOG_MAX_BYTES / 4u];
    /* the timing log (taps.cmd_timings): tim_n commands from tim_first */
    uint64_t tim_first;
    uint32_t tim_n;
    uint32_t tim_pairs[2u * VGT_DEVICE_TIMING_LOG_COUNT];
    /* The pending command's words ran out before it was whole (the guest
     * had not written it all yet): its execution start is read from the
     * clock, since its fetch time says when the first word came. */
    bool cmd_split;
    /* The value last stored in the FIFO_BUSY register (UINT32_MAX: none
     * since the FIFO started): stored again only when it changes, since the
     * register shares a cache line with NEXT_CMD, which the guest writes
     * for every command. */
    uint32_t busy_shadow;
    bool fence_dirty; /* FIFO_FENCE write pending until end of batch */
    uint32_t last_fence;
    uint32_t cursor_count_seen;
    bool frame_dirty;
    uint64_t seq;     /* next command number */
    uint64_t cur_seq; /* the command executing (for taps) */

    /* Framebuffer traces (vgt_device_refresh): refreshes asked for and
     * done (the FIFO thread does them; a caller waits for its number), and
     * the last refresh's outcome.  `shadow` holds the visible framebuffer's
     * rows as the last refresh read them, in mode `shadow_mode`; not
     * `shadow_valid`: the next refresh shows every row. */
    uint64_t refresh_asked, refresh_done;
    bool refresh_showed;
    uint8_t *shadow;
    size_t shadow_size;
    bool shadow_valid;
    vgt_display_mode shadow_mode;

    dev_gmr *gmrs;
    uint64_t gmr_pages_total;

    vgt_device_stats stats;
    uint32_t logged;
};

/* ---- small helpers ------------------------------------------------------ */

static inline uint32_t fifo_ld(const vgt_device *dev, uint32_t idx)
{
    return __atomic_load_n(&dev->fifo[idx], __ATOMIC_RELAXED);
}
/* Words the guest committed (NEXT_CMD was read with acquire): relaxed loads,
 * so a guest that rewrites them anyway races with nothing undefined. */
static inline void fifo_copy(const vgt_device *dev, uint32_t *dst, uint32_t idx, uint32_t n)
{
    const uint32_t *src = dev->fifo + idx;
    for (uint32_t i = 0; i < n; i++) {
        dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
    }
}
/* fifo_copy that also returns the OR of each copied word XOR the word it
 * overwrote (0: dst held those words already).  The extra load is from a
 * line the copy writes anyway; the FIFO's loads (lines the guest wrote on
 * another CPU) are what the loop waits for. */
static inline uint32_t fifo_copy_diff(const vgt_device *dev, uint32_t *dst, uint32_t idx,
                                      uint32_t n)
{
    const uint32_t *src = dev->fifo + idx;
    uint32_t diff = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
        diff |= v ^ dst[i];
        dst[i] = v;
    }
    return diff;
}
static inline uint32_t fifo_ld_acq(const vgt_device *dev, uint32_t idx)
{
    return __atomic_load_n(&dev->fifo[idx], __ATOMIC_ACQUIRE);
}
static inline void fifo_st(vgt_device *dev, uint32_t idx, uint32_t v)
{
    __atomic_store_n(&dev->fifo[idx], v, __ATOMIC_RELEASE);
}
/* A FIFO register exists when the guest's MIN leaves room for it. */
static inline bool fifo_reg_valid(const vgt_device *dev, uint32_t idx)
{
    return dev->min > idx * 4u;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Whether any tap wants commands timed (kept in dev->timed when the taps
 * change: the hot path asks it for every command). */
static bool taps_timed(const vgt_device *dev)
{
    return dev->cfg.taps.cmd_fetched || dev->cfg.taps.cmd_done || dev->cfg.taps.cmd_batch ||
           dev->cfg.taps.cmd_timings;
}

const char *vgt_device_error_kind_name(vgt_device_error_kind kind)
{
    static const char *const names[] = {"register", "fifo-regs", "bad-length", "too-long",
                                        "decode",   "execute",   "gmr",        "truncated"};
    return (unsigned)kind < VGT_DEVERR_KIND_COUNT ? names[kind] : "unknown";
}

__attribute__((format(printf, 5, 6))) static void dev_error(vgt_device *dev,
                                                            vgt_device_error_kind kind,
                                                            uint64_t seq, uint32_t offset,
                                                            const char *fmt, ...)
{
    char msg[VGT_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    dev->stats.errors++;
    dev->stats.errors_by_kind[kind]++;
    dev->stats.last_error_kind = kind;
    dev->stats.last_error_offset = offset;
    snprintf(dev->stats.last_error, sizeof(dev->stats.last_error), "%s", msg);
    if (dev->cfg.log && dev->logged < DEV_MAX_LOGGED) {
        dev->logged++;
        fprintf(dev->cfg.log, "vgt device: %s error at FIFO offset 0x%x: %s%s\n",
                vgt_device_error_kind_name(kind), offset, msg,
                dev->logged == DEV_MAX_LOGGED ? " (further errors not printed)" : "");
    }
    if (dev->cfg.taps.device_error) {
        dev->cfg.taps.device_error(dev->cfg.taps.ctx, seq, offset, kind, msg);
    }
}

static void dev_lock(vgt_device *dev)
{
    __atomic_add_fetch(&dev->lock_waiters, 1, __ATOMIC_RELAXED);
    pthread_mutex_lock(&dev->mu);
    __atomic_sub_fetch(&dev->lock_waiters, 1, __ATOMIC_RELAXED);
}

static void timespec_after(struct timespec *ts, uint64_t ns)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    uint64_t t = (uint64_t)ts->tv_nsec + ns;
    ts->tv_sec += (time_t)(t / 1000000000ull);
    ts->tv_nsec = (long)(t % 1000000000ull);
}

/* ---- IRQs --------------------------------------------------------------- */

static void irq_update(vgt_device *dev)
{
    bool level = (dev->irq_status & dev->irq_mask) != 0;
    if (level != dev->irq_level) {
        dev->irq_level = level;
        if (dev->cfg.irq) {
            dev->cfg.irq(dev->cfg.irq_ctx, level);
        }
    }
}

/* Raises the sources in `flags` that the mask enables. */
static void irq_raise(vgt_device *dev, uint32_t flags)
{
    uint32_t add = flags & dev->irq_mask & ~dev->irq_status;
    if (flags & dev->irq_mask) {
        dev->irq_status |= flags & dev->irq_mask;
    }
    if (add) {
        dev->stats.irqs += (uint64_t)__builtin_popcount(add);
    }
    irq_update(dev);
}

/* ---- GMRs --------------------------------------------------------------- */

static void gmr_free(vgt_device *dev, uint32_t id)
{
    dev_gmr *g = &dev->gmrs[id];
    dev->gmr_pages_total -= g->num_pages;
    free(g->ppn);
    g->ppn = NULL;
    g->num_pages = 0;
}

static bool ram_page_ok(vgt_device *dev, uint64_t ppn)
{
    return ppn != 0 && dev->cfg.ram.page && dev->cfg.ram.page(dev->cfg.ram.ctx, ppn) != NULL;
}

/* Installs a new page list for GMR id (takes ownership of ppn). */
static void gmr_install(vgt_device *dev, uint32_t id, uint64_t *ppn, uint32_t n)
{
    gmr_free(dev, id);
    dev->gmrs[id].ppn = ppn;
    dev->gmrs[id].num_pages = n;
    dev->gmr_pages_total += n;
}

static bool gmr_pages_fit(vgt_device *dev, uint32_t id, uint64_t n)
{
    uint64_t others = dev->gmr_pages_total - dev->gmrs[id].num_pages;
    return n <= dev->cfg.gmrs_max_pages && others + n <= dev->cfg.gmrs_max_pages;
}

/* GMR_DESCRIPTOR write: walks the descriptor chain in guest RAM once. */
static void gmr_define_registers(vgt_device *dev, uint32_t id, uint32_t desc_ppn)
{
    if (id >= dev->cfg.gmr_max_ids) {
        dev_error(dev, VGT_DEVERR_GMR, UINT64_MAX, 0, "GMR_DESCRIPTOR: GMR id %u >= GMR_MAX_IDS %u",
                  id, dev->cfg.gmr_max_ids);
        return;
    }
    if (desc_ppn == 0) {
        gmr_free(dev, id);
        return;
    }
    uint64_t *list = NULL;
    uint64_t n = 0, cap = 0;
    uint32_t page = desc_ppn, slot = 0, read = 0;
    for (;;) {
        if (read >= dev->cfg.gmr_max_descriptor_length) {
            dev_error(dev, VGT_DEVERR_GMR, UINT64_MAX, 0,
                      "GMR %u: more than GMR_MAX_DESCRIPTOR_LENGTH %u descriptors (loop?)", id,
                      dev->cfg.gmr_max_descriptor_length);
            goto fail;
        }
        if (slot == DEV_DESC_PER_PAGE) {
            dev_error(dev, VGT_DEVERR_GMR, UINT64_MAX, 0,
                      "GMR %u: descriptor page 0x%x ends without a terminator or continuation", id,
                      page);
            goto fail;
        }
        uint8_t *p = dev->cfg.ram.page ? dev->cfg.ram.page(dev->cfg.ram.ctx, page) : NULL;
        if (!p) {
            dev_error(dev, VGT_DEVERR_GMR, UINT64_MAX, 0,
                      "GMR %u: descriptor page 0x%x is outside guest RAM", id, page);
            goto fail;
        }
        uint32_t ppn = __atomic_load_n((uint32_t *)(void *)(p + slot * 8u), __ATOMIC_RELAXED);
        uint32_t cnt = __atomic_load_n((uint32_t *)(void *)(p + slot * 8u + 4u), __ATOMIC_RELAXED);
        read++;
        slot++;
        if (ppn == 0 && cnt == 0) {
            break;
        }
        if (cnt == 0) {
            page = ppn;
            slot = 0;
            continue;
        }
        if (ppn == 0 || !gmr_pages_fit(dev, id, n + cnt)) {
            dev_error(dev, VGT_DEVERR_GMR, UINT64_MAX, 0,
                      ppn == 0 ? "GMR %u: descriptor with PPN 0 and %u pages"
                               : "GMR %u: %u more pages exceed GMRS_MAX_PAGES",
                      id, cnt);
            goto fail;
        }
        if (n + cnt > cap) {
            uint64_t ncap = cap ? cap : 64;
            while (ncap < n + cnt) {
                ncap *= 2;
            }
            uint64_t *nl = realloc(list, ncap * sizeof(*nl));
            if (!nl) {
                dev_error(dev, VGT_DEVERR_GMR, UINT64_MAX, 0, "GMR %u: out of memory", id);
                goto fail;
            }
            list = nl;
            cap = ncap;
        }
        for (uint32_t i = 0; i < cnt; i++) {
            uint64_t pp = (uint64_t)ppn + i;
            if (!ram_page_ok(dev, pp)) {
                dev_error(dev, VGT_DEVERR_GMR, UINT64_MAX, 0,
                          "GMR %u: page 0x%llx is outside guest RAM", id, (unsigned long long)pp);
                goto fail;
            }
            list[n++] = pp;
        }
    }
    gmr_install(dev, id, list, (uint32_t)n);
    return;
fail:
    free(list);
    gmr_free(dev, id); /* a failed definition leaves the GMR undefined */
}

/* Resolves [offset, offset+len) of a GMR; fails without side effects. */
static vgt_status gmr_check(vgt_device *dev, uint32_t gmr, uint32_t offset, uint32_t len,
                            vgt_error *err)
{
    if (gmr == VGT_SVGA_GMR_FRAMEBUFFER) {
        if (!vgt_range_inside(offset, len, dev->cfg.vram_size)) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "%u bytes at VRAM offset %u run past the %u-byte VRAM", len,
                                 offset, dev->cfg.vram_size);
        }
        return VGT_OK;
    }
    if (gmr >= dev->cfg.gmr_max_ids || dev->gmrs[gmr].num_pages == 0) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "GMR %u is not defined", gmr);
    }
    const dev_gmr *g = &dev->gmrs[gmr];
    if (!vgt_range_inside(offset, len, (uint64_t)g->num_pages * VGT_SVGA_PAGE_SIZE)) {
        return vgt_error_set(err, VGT_E_RANGE, "%u bytes at offset %u run past GMR %u (%u pages)",
                             len, offset, gmr, g->num_pages);
    }
    if (len == 0) {
        return VGT_OK;
    }
    for (uint64_t pg = offset / VGT_SVGA_PAGE_SIZE; pg <= (offset + (uint64_t)len - 1) / 4096u;
         pg++) {
        if (!g->ppn[pg] || !dev->cfg.ram.page(dev->cfg.ram.ctx, g->ppn[pg])) {
            return vgt_error_set(err, VGT_E_RANGE, "page %llu of GMR %u is not mapped",
                                 (unsigned long long)pg, gmr);
        }
    }
    return VGT_OK;
}

/* Copies between a checked GMR range and buf (to_guest: buf -> guest). */
static void gmr_copy(vgt_device *dev, uint32_t gmr, uint32_t offset, void *buf, uint32_t len,
                     bool to_guest)
{
    uint8_t *b = buf;
    if (gmr == VGT_SVGA_GMR_FRAMEBUFFER) {
        if (to_guest) {
            memcpy(dev->vram + offset, b, len);
        } else {
            memcpy(b, dev->vram + offset, len);
        }
        return;
    }
    const dev_gmr *g = &dev->gmrs[gmr];
    uint64_t off = offset;
    while (len) {
        uint32_t in_page = (uint32_t)(off % VGT_SVGA_PAGE_SIZE);
        uint32_t chunk = VGT_SVGA_PAGE_SIZE - in_page;
        chunk = chunk < len ? chunk : len;
        uint8_t *p = dev->cfg.ram.page(dev->cfg.ram.ctx, g->ppn[off / VGT_SVGA_PAGE_SIZE]);
        if (to_guest) {
            memcpy(p + in_page, b, chunk);
        } else {
            memcpy(b, p + in_page, chunk);
        }
        b += chunk;
        off += chunk;
        len -= chunk;
    }
}

/* The live guest memory interface given to the executor. */
static vgt_status mem_read(void *ctx, uint32_t gmr, uint32_t offset, void *dst, uint32_t len,
                           vgt_error *err)
{
    vgt_device *dev = ctx;
    vgt_status st = gmr_check(dev, gmr, offset, len, err);
    if (st != VGT_OK) {
        return st;
    }
    gmr_copy(dev, gmr, offset, dst, len, false);
    dev->stats.bytes_read += len;
    if (dev->cfg.taps.mem_read) {
        dev->cfg.taps.mem_read(dev->cfg.taps.ctx, dev->cur_seq, gmr, offset, dst, len);
    }
    return VGT_OK;
}

static vgt_status mem_write(void *ctx, uint32_t gmr, uint32_t offset, const void *src, uint32_t len,
                            vgt_error *err)
{
    vgt_device *dev = ctx;
    vgt_status st = gmr_check(dev, gmr, offset, len, err);
    if (st != VGT_OK) {
        return st;
    }
    gmr_copy(dev, gmr, offset, (void *)src, len, true);
    dev->stats.bytes_written += len;
    if (dev->cfg.taps.mem_written) {
        dev->cfg.taps.mem_written(dev->cfg.taps.ctx, dev->cur_seq, gmr, offset, src, len);
    }
    return VGT_OK;
}

static vgt_status cmd_define_gmr2(vgt_device *dev, const vgt_svga_cmd_define_gmr2 *c,
                                  vgt_error *err)
{
    if (c->gmr_id >= dev->cfg.gmr_max_ids) {
        return vgt_error_set(err, VGT_E_RANGE, "DEFINE_GMR2: GMR id %u >= GMR_MAX_IDS %u",
                             c->gmr_id, dev->cfg.gmr_max_ids);
    }
    if (c->num_pages == 0) {
        gmr_free(dev, c->gmr_id);
        return VGT_OK;
    }
    if (!gmr_pages_fit(dev, c->gmr_id, c->num_pages)) {
        return vgt_error_set(err, VGT_E_RANGE, "DEFINE_GMR2: %u pages exceed GMRS_MAX_PAGES %u",
                             c->num_pages, dev->cfg.gmrs_max_pages);
    }
    uint64_t *ppn = calloc(c->num_pages, sizeof(*ppn));
    if (!ppn) {
        return vgt_error_set(err, VGT_E_NOMEM, "DEFINE_GMR2: out of memory for %u pages",
                             c->num_pages);
    }
    gmr_install(dev, c->gmr_id, ppn, c->num_pages);
    return VGT_OK;
}

static vgt_status cmd_remap_gmr2(vgt_device *dev, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga_cmd_remap_gmr2 *c = &cmd->u.remap_gmr2;
    if (c->gmr_id >= dev->cfg.gmr_max_ids || dev->gmrs[c->gmr_id].num_pages == 0) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "REMAP_GMR2: GMR %u is not defined", c->gmr_id);
    }
    dev_gmr *g = &dev->gmrs[c->gmr_id];
    if (!vgt_range_inside(c->offset_pages, c->num_pages, g->num_pages)) {
        return vgt_error_set(err, VGT_E_RANGE, "REMAP_GMR2: pages %u+%u outside GMR %u of %u pages",
                             c->offset_pages, c->num_pages, c->gmr_id, g->num_pages);
    }
    bool ppn64 = (c->flags & VGT_SVGA_REMAP_GMR2_PPN64) != 0;
    bool single = (c->flags & VGT_SVGA_REMAP_GMR2_SINGLE_PPN) != 0;
    uint32_t entries = single ? 1u : c->num_pages;
    uint32_t ew = ppn64 ? 2u : 1u;
    /* Everything the guest gave is checked before the list is allocated: a
     * refused command never costs memory (a page count of 2^29 asked for
     * 4 GiB, then the size check refused it). */
    bool via_gmr = (c->flags & VGT_SVGA_REMAP_GMR2_VIA_GMR) != 0;
    vgt_svga_guest_ptr ptr = {0};
    uint32_t bytes = 0;
    if (via_gmr) {
        if (cmd->items.count != 1 || cmd->items.elem_words != 2) {
            return vgt_error_set(err, VGT_E_FORMAT, "REMAP_GMR2: VIA_GMR without a guest pointer");
        }
        vgt_cmd_array_get(&cmd->items, 0, &ptr);
        if (ptr.gmr_id == c->gmr_id) {
            return vgt_error_set(err, VGT_E_INVALID, "REMAP_GMR2: page list inside GMR %u itself",
                                 c->gmr_id);
        }
        /* pages x 4 or 8 bytes overflows 32 bits for 2^29 or 2^30 pages (an
         * embedder may allow GMRs that large): refuse, never read a list of
         * the wrapped size and index past it. */
        uint64_t bytes64 = (uint64_t)entries * ew * 4u;
        if (bytes64 > UINT32_MAX) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "REMAP_GMR2: a page list of %llu bytes (%u pages) is over 4 GiB",
                                 (unsigned long long)bytes64, entries);
        }
        bytes = (uint32_t)bytes64;
        if (gmr_check(dev, ptr.gmr_id, ptr.offset, bytes, err) != VGT_OK) {
            vgt_error_prefix(err, "REMAP_GMR2 page list");
            return err->code;
        }
    } else if (cmd->items.count != entries || cmd->items.elem_words != ew) {
        return vgt_error_set(err, VGT_E_FORMAT, "REMAP_GMR2: %u page entries, expected %u",
                             cmd->items.count, entries);
    }
    uint64_t *list = malloc((size_t)(entries ? entries : 1) * sizeof(*list));
    if (!list) {
        return vgt_error_set(err, VGT_E_NOMEM, "REMAP_GMR2: out of memory");
    }
    vgt_status st = VGT_OK;
    if (via_gmr) {
        /* The guest's list (4 or 8 bytes an entry) is read into the list's
         * own memory (8 bytes an entry) and widened in place, from the last
         * entry back: filling slot i overwrites the source bytes of entries
         * 2i and 2i + 1 (ew 1) or i (ew 2), none still to be read. */
        st = mem_read(dev, ptr.gmr_id, ptr.offset, list, bytes, err);
        if (st != VGT_OK) {
            vgt_error_prefix(err, "REMAP_GMR2 page list");
            goto out;
        }
        const uint8_t *raw = (const uint8_t *)list;
        for (uint32_t i = entries; i-- > 0;) {
            uint32_t w[2] = {0, 0};
            memcpy(w, raw + (size_t)i * ew * 4u, ew * 4u);
            list[i] = ppn64 ? ((uint64_t)w[1] << 32) | w[0] : w[0];
        }
    } else {
        for (uint32_t i = 0; i < entries; i++) {
            uint32_t w[2] = {0, 0};
            vgt_cmd_array_get(&cmd->items, i, w);
            list[i] = ppn64 ? ((uint64_t)w[1] << 32) | w[0] : w[0];
        }
    }
    for (uint32_t i = 0; i < entries; i++) {
        if (!ram_page_ok(dev, list[i])) {
            st = vgt_error_set(err, VGT_E_RANGE,
                               "REMAP_GMR2: PPN 0x%llx (entry %u) outside guest RAM",
                               (unsigned long long)list[i], i);
            goto out;
        }
    }
    for (uint32_t i = 0; i < c->num_pages; i++) {
        g->ppn[c->offset_pages + i] = single ? list[0] : list[i];
    }
out:
    free(list);
    return st;
}

/* ---- mode and display --------------------------------------------------- */

/* The mode the registers define; the replayer computes it the same way. */
static vgt_display_mode regs_mode(const vgt_device *dev, bool *too_big)
{
    return vgt_display_mode_from_regs(dev->enable, dev->width, dev->height, dev->bpp,
                                      dev->pitchlock, dev->cfg.vram_size, too_big);
}

static uint32_t bytes_per_line(const vgt_device *dev)
{
    return regs_mode(dev, NULL).bytes_per_line;
}

/* Applies the mode the registers define.  A locked pitch shorter than a
 * row is taken as a mode change in progress, not an error: drivers write
 * PITCHLOCK before WIDTH (Linux's vmwgfx: PITCHLOCK, WIDTH, HEIGHT,
 * BITS_PER_PIXEL), so a smaller mode's pitch arrives while the larger
 * width is still set.  The display keeps its mode until the registers
 * agree (the replay does the same: its executor refuses the mode); only an
 * ENABLE write (`commit`) that finds them disagreeing is an error. */
static void apply_mode(vgt_device *dev, bool commit)
{
    bool too_big;
    vgt_display_mode m = regs_mode(dev, &too_big);
    vgt_error err = {0};
    uint64_t row = (uint64_t)m.width * vgt_display_bytes_per_pixel(m.bits_per_pixel);
    if (m.enabled && dev->pitchlock != 0 && dev->pitchlock < row) {
        if (commit) {
            dev_error(dev, VGT_DEVERR_REGISTER, UINT64_MAX, 0,
                      "mode %ux%ux%u: PITCHLOCK %u holds no row of %llu bytes; the display keeps "
                      "its mode",
                      m.width, m.height, m.bits_per_pixel, dev->pitchlock, (unsigned long long)row);
        }
        return;
    }
    if (too_big) {
        dev_error(dev, VGT_DEVERR_REGISTER, UINT64_MAX, 0,
                  "mode %ux%ux%u (pitch %u) does not fit in %u bytes of VRAM; display disabled",
                  m.width, m.height, m.bits_per_pixel, m.bytes_per_line, dev->cfg.vram_size);
    }
    if (vgt_executor_set_mode(dev->ex, &m, &err) != VGT_OK) {
        dev_error(dev, VGT_DEVERR_REGISTER, UINT64_MAX, 0, "%s", err.message);
    }
}

static void sample_cursor(vgt_device *dev)
{
    if (!dev->running || !dev->extended || !(dev->fifo_caps & VGT_SVGA_FIFO_CAP_CURSOR_BYPASS_3)) {
        return;
    }
    uint32_t count = fifo_ld_acq(dev, VGT_SVGA_FIFO_CURSOR_COUNT);
    if (count == dev->cursor_count_seen) {
        return;
    }
    dev->cursor_count_seen = count;
    uint32_t on = fifo_ld(dev, VGT_SVGA_FIFO_CURSOR_ON);
    int32_t x = (int32_t)fifo_ld(dev, VGT_SVGA_FIFO_CURSOR_X);
    int32_t y = (int32_t)fifo_ld(dev, VGT_SVGA_FIFO_CURSOR_Y);
    uint32_t screen = (dev->fifo_caps & VGT_SVGA_FIFO_CAP_SCREEN_OBJECT)
                          ? fifo_ld(dev, VGT_SVGA_FIFO_CURSOR_SCREEN_ID)
                          : VGT_SVGA_ID_INVALID;
    bool visible = VGT_SVGA_CURSOR_ON_VISIBLE(on);
    vgt_executor_set_cursor(dev->ex, visible, x, y, screen);
    if (dev->cfg.taps.cursor) {
        dev->cfg.taps.cursor(dev->cfg.taps.ctx, dev->cur_seq, visible, x, y, screen);
    }
}

/* Shows the composed display in the backend's window (config
 * backend_options.window); the first failure is kept in the stats and
 * logged, and no frame is shown after it. */
static void show_frame(vgt_device *dev, const vgt_image *img)
{
    const vgt_backend *be = vgt_executor_backend(dev->ex);
    vgt_error err = {0};
    if (be && be->ops->show_image && be->ops->show_image(be->self, img, &err) == VGT_OK) {
        dev->stats.frames_shown++;
        return;
    }
    snprintf(dev->stats.window_error, sizeof(dev->stats.window_error), "%s",
             err.message[0] ? err.message : "the backend cannot show images");
    if (dev->cfg.log) {
        fprintf(dev->cfg.log, "device: window: %s (no more frames are shown)\n",
                dev->stats.window_error);
    }
}

static void frame_end(vgt_device *dev)
{
    sample_cursor(dev);
    uint64_t frame = dev->stats.frames++;
    dev->frame_dirty = false;
    bool show = dev->cfg.backend_options.window && !dev->stats.window_error[0];
    if (dev->cfg.taps.frame_end || show) {
        const vgt_image *img = NULL;
        vgt_error err = {0};
        if (vgt_executor_compose(dev->ex, &img, &err) != VGT_OK) {
            /* the frame ends without an image (a capture records it as
             * such); said, not silent */
            img = NULL;
            dev_error(dev, VGT_DEVERR_EXECUTE, dev->cur_seq, dev->stop,
                      "frame %llu: the display could not be composed: %s",
                      (unsigned long long)frame, err.message);
        }
        if (dev->cfg.taps.frame_end) {
            dev->cfg.taps.frame_end(dev->cfg.taps.ctx, frame, dev->cur_seq, img);
        }
        if (show && img) {
            show_frame(dev, img);
        }
    }
}

/* ---- FIFO --------------------------------------------------------------- */

static void fifo_write_reg_block(vgt_device *dev)
{
    /* The extended FIFO registers the device owns. */
    fifo_st(dev, VGT_SVGA_FIFO_CAPABILITIES, dev->fifo_caps);
    fifo_st(dev, VGT_SVGA_FIFO_FLAGS, 0);
    uint32_t hw = 0;
    uint32_t caps[VGT_SVGA_FIFO_3D_CAPS_LAST - VGT_SVGA_FIFO_3D_CAPS + 1];
    memset(caps, 0, sizeof(caps));
    uint32_t n = vgt_executor_3d_caps(dev->ex, &hw, caps, (uint32_t)(sizeof(caps) / 4));
    (void)n;
    fifo_st(dev, VGT_SVGA_FIFO_3D_HWVERSION, dev->cfg.enable_3d ? hw : 0);
    fifo_st(dev, VGT_SVGA_FIFO_3D_HWVERSION_REVISED, dev->cfg.enable_3d ? hw : 0);
    for (uint32_t i = 0; i < sizeof(caps) / 4; i++) {
        fifo_st(dev, VGT_SVGA_FIFO_3D_CAPS + i, dev->cfg.enable_3d ? caps[i] : 0);
    }
}

static void cmd_reset(vgt_device *dev)
{
    dev->cmd_have = 0;
    dev->cmd_need = 1;
    dev->cmd_diff = 0;
    dev->cmd_prev_n = 0; /* kept (fifo_pass) only after a command executed */
    dev->cmd_len_known = false;
    dev->cmd_skip = false;
    dev->cmd_len_status = VGT_OK;
    dev->cmd_split = false;
}

static void fifo_halt(vgt_device *dev)
{
    if (dev->running && dev->cmd_have > 0) {
        dev_error(dev, VGT_DEVERR_TRUNCATED, UINT64_MAX, dev->stop,
                  "a %u-word partial command was discarded when the FIFO was disabled",
                  dev->cmd_have);
    }
    if (dev->running && dev->fence_dirty) {
        fifo_st(dev, VGT_SVGA_FIFO_FENCE, dev->last_fence);
        dev->fence_dirty = false;
    }
    dev->running = false;
    cmd_reset(dev);
}

/* Validates the FIFO registers once and starts consuming. */
static void fifo_start(vgt_device *dev)
{
    uint32_t min = fifo_ld(dev, VGT_SVGA_FIFO_MIN);
    uint32_t max = fifo_ld(dev, VGT_SVGA_FIFO_MAX);
    uint32_t next = fifo_ld(dev, VGT_SVGA_FIFO_NEXT_CMD);
    uint32_t stop = fifo_ld(dev, VGT_SVGA_FIFO_STOP);
    const char *why = NULL;
    if ((min | max | next | stop) & 3u) {
        why = "not 4-byte aligned";
    } else if (min < 16u) {
        why = "MIN below 16 (the 4 basic registers)";
    } else if (max > dev->cfg.fifo_size || min >= max) {
        why = "MIN/MAX outside FIFO memory";
    } else if (max - min < VGT_SVGA_FIFO_MIN_RING_BYTES) {
        why = "ring smaller than 10 KiB";
    } else if (next < min || next >= max || stop < min || stop >= max) {
        why = "NEXT_CMD/STOP outside [MIN, MAX)";
    }
    if (why) {
        dev_error(dev, VGT_DEVERR_FIFO_REGS, UINT64_MAX, 0,
                  "FIFO registers MIN=0x%x MAX=0x%x NEXT_CMD=0x%x STOP=0x%x: %s; FIFO stopped", min,
                  max, next, stop, why);
        dev->stopped = true;
        dev->running = false;
        return;
    }
    dev->min = min;
    dev->max = max;
    dev->stop = dev->fetch = stop;
    dev->extended = min >= 4u * VGT_SVGA_FIFO_EXTENDED_MANDATORY_REGS;
    cmd_reset(dev);
    dev->fence_dirty = false;
    dev->frame_dirty = false;
    if (dev->extended) {
        fifo_write_reg_block(dev);
        fifo_st(dev, VGT_SVGA_FIFO_CURSOR_ON, 0);
        fifo_st(dev, VGT_SVGA_FIFO_CURSOR_X, 0);
        fifo_st(dev, VGT_SVGA_FIFO_CURSOR_Y, 0);
        fifo_st(dev, VGT_SVGA_FIFO_CURSOR_COUNT, 0);
        fifo_st(dev, VGT_SVGA_FIFO_CURSOR_SCREEN_ID, VGT_SVGA_ID_INVALID);
        dev->cursor_count_seen = 0;
        if (fifo_reg_valid(dev, VGT_SVGA_FIFO_BUSY)) {
            fifo_st(dev, VGT_SVGA_FIFO_BUSY, 0);
        }
    }
    dev->busy_shadow = UINT32_MAX; /* the next set_fifo_busy stores */
    dev->running = true;
    dev->doorbell = true;
    pthread_cond_signal(&dev->wake);
}

static void fifo_update_running(vgt_device *dev)
{
    bool want = (dev->enable & VGT_SVGA_ENABLE_ENABLE) && dev->config_done && !dev->stopped;
    if (want && !dev->running) {
        fifo_start(dev);
    } else if (!want && dev->running) {
        fifo_halt(dev);
    }
}

/* A fatal FIFO error: processing stops until re-enable or reset. */
static void fifo_stop(vgt_device *dev)
{
    fifo_halt(dev);
    dev->stopped = true;
}

static void flush_fence(vgt_device *dev)
{
    if (dev->fence_dirty) {
        fifo_st(dev, VGT_SVGA_FIFO_FENCE, dev->last_fence);
        dev->fence_dirty = false;
    }
}

static void cmd_fence(vgt_device *dev, uint32_t fence)
{
    if (dev->frame_dirty) {
        frame_end(dev);
    }
    dev->stats.fences++;
    dev->last_fence = fence;
    uint32_t want = dev->irq_mask & (VGT_SVGA_IRQ_ANY_FENCE | VGT_SVGA_IRQ_FENCE_GOAL);
    /* The tap first: a recorder has the fence before the guest can see it. */
    if (dev->cfg.taps.fence_passed) {
        dev->cfg.taps.fence_passed(dev->cfg.taps.ctx, dev->cur_seq, fence);
    }
    if (fifo_reg_valid(dev, VGT_SVGA_FIFO_FENCE)) {
        if (want || dev->cfg.taps.fence_passed) {
            fifo_st(dev, VGT_SVGA_FIFO_FENCE, fence);
            dev->fence_dirty = false;
        } else {
            dev->fence_dirty = true; /* written when the batch ends (before STOP) */
        }
    }
    uint32_t irqs = 0;
    if (dev->irq_mask & VGT_SVGA_IRQ_ANY_FENCE) {
        irqs |= VGT_SVGA_IRQ_ANY_FENCE;
    }
    if ((dev->irq_mask & VGT_SVGA_IRQ_FENCE_GOAL) &&
        fifo_reg_valid(dev, VGT_SVGA_FIFO_FENCE_GOAL) &&
        fifo_ld(dev, VGT_SVGA_FIFO_FENCE_GOAL) == fence) {
        irqs |= VGT_SVGA_IRQ_FENCE_GOAL;
    }
    if (irqs) {
        irq_raise(dev, irqs);
    }
}

/* A new command of n words: its sequence number, counted. */
static inline uint64_t next_command(vgt_device *dev, uint32_t n)
{
    uint64_t seq = dev->seq++;
    dev->cur_seq = seq;
    dev->stats.commands++;
    dev->stats.fifo_bytes += (uint64_t)n * 4u;
    return seq;
}

/* ---- the command log ----------------------------------------------------- */

static void cmd_log_flush(vgt_device *dev)
{
    if (dev->log_n == 0) {
        return;
    }
    vgt_device_cmd_batch b = {
        .first_seq = dev->log_first,
        .count = dev->log_n,
        .nwords = dev->log_nwords,
        .offsets = dev->log_offset,
        .first_fetch_ns = dev->log_fetch_first,
        .fetch_delta = dev->log_fetch_delta,
        .words = dev->log_words,
        .nbytes = dev->log_bytes,
    };
    dev->log_n = 0;
    dev->log_bytes = 0;
    dev->cfg.taps.cmd_batch(dev->cfg.taps.ctx, &b);
}

void vgt_device_cmd_log_flush(vgt_device *dev)
{
    if (dev->cfg.taps.cmd_batch) {
        cmd_log_flush(dev);
    }
}

/* ---- the timing log ------------------------------------------------------ */

static void timing_log_flush(vgt_device *dev)
{
    if (dev->tim_n == 0) {
        return;
    }
    uint32_t n = dev->tim_n;
    dev->tim_n = 0;
    dev->cfg.taps.cmd_timings(dev->cfg.taps.ctx, dev->tim_first, n, dev->tim_pairs);
}

void vgt_device_timing_log_flush(vgt_device *dev)
{
    if (dev->cfg.taps.cmd_timings) {
        timing_log_flush(dev);
    }
}

/* b - a, saturated; the device's readings never go back (vgt_fast_clock),
 * so b >= a (were it not, the difference would saturate, not wrap). */
static inline uint32_t ns_between(uint64_t a, uint64_t b)
{
    uint64_t d = b - a;
    return d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

/* Keeps a finished command's timing: no call (~34 instructions a command
 * where the capture's cmd_done tap and its call cost ~58; callgrind on
 * draw-calls). */
static inline void timing_log_add(vgt_device *dev, uint64_t seq, uint64_t start_ns, uint64_t end_ns)
{
    uint32_t k = dev->tim_n;
    if (k && (k == VGT_DEVICE_TIMING_LOG_COUNT || seq != dev->tim_first + k)) {
        timing_log_flush(dev);
        k = 0;
    }
    if (k == 0) {
        dev->tim_first = seq;
    }
    dev->tim_pairs[2u * k] = ns_between(dev->cmd_fetch_ns, start_ns);
    dev->tim_pairs[2u * k + 1u] = ns_between(start_ns, end_ns);
    dev->tim_n = k + 1;
}

/* Both logs, commands first (timings follow the commands they time). */
static void logs_flush(vgt_device *dev)
{
    vgt_device_cmd_log_flush(dev);
    vgt_device_timing_log_flush(dev);
}

/* What the taps just set imply: whether commands are timed, and the
 * limits a log consumer asked for, within the log's arrays. */
static void taps_changed(vgt_device *dev)
{
    const vgt_device_taps *t = &dev->cfg.taps;
    dev->timed = taps_timed(dev);
    dev->log_max_count = t->cmd_log_count && t->cmd_log_count < VGT_DEVICE_CMD_LOG_MAX_COUNT
                             ? t->cmd_log_count
                             : VGT_DEVICE_CMD_LOG_MAX_COUNT;
    dev->log_max_bytes = t->cmd_log_bytes && t->cmd_log_bytes < VGT_DEVICE_CMD_LOG_MAX_BYTES
                             ? t->cmd_log_bytes & ~3u
                             : VGT_DEVICE_CMD_LOG_MAX_BYTES;
}

/* Copies a command into the log: a few stores and a copy of its words, no
 * call into the consumer (the capture's cmd_fetched tap cost ~117
 * instructions a command on the FIFO thread, callgrind on draw-calls).  A
 * command equal to the one before it in the batch is a repeat, known from
 * its copy out of the FIFO (`same_words`), and not copied again here (most
 * of a draw-call-bound guest's commands are the command before them
 * again). */
static inline void cmd_log_add(vgt_device *dev, uint64_t seq, uint32_t offset, const uint32_t *w,
                               uint32_t n, bool same_words)
{
    uint32_t bytes = n * 4u; /* n <= the FIFO's words */
    uint32_t k = dev->log_n;
    /* fetch times never go back (vgt_fast_clock) */
    uint64_t delta = dev->cmd_fetch_ns - dev->log_fetch_first;
    if (k && (k == dev->log_max_count || seq != dev->log_first + k || delta > UINT32_MAX)) {
        cmd_log_flush(dev);
        k = 0;
    }
    /* k > 0: the command before this one is in the batch (its seq is
     * next), so it is the batch's last copied command or a repeat of it */
    bool repeat = k && same_words && n == dev->log_prev_n;
    if (!repeat) {
        if (k && bytes > dev->log_max_bytes - dev->log_bytes) {
            cmd_log_flush(dev);
            k = 0;
        }
        if (bytes > dev->log_max_bytes) {
            /* alone, straight from the device's copy */
            uint32_t zero = 0;
            vgt_device_cmd_batch b = {seq, 1, &n, &offset, dev->cmd_fetch_ns, &zero, w, bytes};
            dev->cfg.taps.cmd_batch(dev->cfg.taps.ctx, &b);
            return;
        }
    }
    if (k == 0) {
        dev->log_first = seq;
        dev->log_fetch_first = dev->cmd_fetch_ns;
        delta = 0;
    }
    dev->log_offset[k] = offset;
    dev->log_fetch_delta[k] = (uint32_t)delta;
    dev->log_n = k + 1;
    if (repeat) {
        dev->log_nwords[k] = n | VGT_DEVICE_CMD_LOG_REPEAT;
        return;
    }
    dev->log_nwords[k] = n;
    dev->log_prev_n = n;
    memcpy((uint8_t *)dev->log_words + dev->log_bytes, w, bytes);
    dev->log_bytes += bytes;
}

/* Decodes and executes one whole command copied at FIFO offset `offset`;
 * `same_words`: it is the command executed before it again (fifo_pass). */
static void exec_command(vgt_device *dev, uint32_t offset, const uint32_t *w, uint32_t n,
                         bool same_words)
{
    bool timed = dev->timed;
    uint64_t seq = next_command(dev, n);
    if (dev->cfg.taps.cmd_batch) {
        cmd_log_add(dev, seq, offset, w, n, same_words);
    }
    if (dev->cfg.taps.cmd_fetched) {
        dev->cfg.taps.cmd_fetched(dev->cfg.taps.ctx, seq, offset, w, n, dev->cmd_fetch_ns);
    }
    /* A command copied in one go starts when it was fetched: the copy and
     * the length check (tens of nanoseconds) count as its execution, and
     * the command costs one clock read (its end) instead of two. */
    uint64_t t0 =
        timed ? (dev->cmd_split ? vgt_fast_clock_now(&dev->clock) : dev->cmd_fetch_ns) : 0;
    vgt_error err;
    err.code = VGT_OK;
    err.message[0] = '\0';
    vgt_cmd cmd;
    vgt_device_error_kind kind = VGT_DEVERR_DECODE;
    vgt_status st = dev->cmd_len_status;
    if (st == VGT_OK && w[0] == VGT_SVGA_CMD_FENCE && n == 2) {
        /* The hottest command, and one the decoder has nothing to check in
         * (its length, two words, is all there is, and any value is a
         * fence): executed directly, it costs a third of what a decode
         * did (vgt bench fifo). */
        cmd_fence(dev, w[1]);
        goto done;
    }
    if (st != VGT_OK) {
        vgt_error_set(&err, st, "%s", dev->cmd_len_msg);
    } else {
        st = vgt_cmd_decode(w, n, &cmd, &err);
    }
    if (st == VGT_OK) {
        kind = VGT_DEVERR_EXECUTE;
        switch (cmd.id) {
        case VGT_SVGA_CMD_FENCE:
            cmd_fence(dev, cmd.u.fence.fence);
            break;
        case VGT_SVGA_CMD_DEFINE_GMR2:
            kind = VGT_DEVERR_GMR;
            st = cmd_define_gmr2(dev, &cmd.u.define_gmr2, &err);
            break;
        case VGT_SVGA_CMD_REMAP_GMR2:
            kind = VGT_DEVERR_GMR;
            st = cmd_remap_gmr2(dev, &cmd, &err);
            break;
        case VGT_SVGA_CMD_ESCAPE:
            /* Counted; the executor runs the video overlay escapes (shared
             * with replay: a FLUSH reads the frame through the tapped guest
             * memory) and ignores other namespaces. */
            dev->stats.escapes++;
            /* fall through */
        default: {
            vgt_exec_result res;
            st = vgt_executor_execute(dev->ex, &cmd, &res, &err);
            if (st == VGT_OK && res.screen_changed) {
                dev->frame_dirty = true;
            }
            if (st == VGT_OK && res.ends_frame) {
                frame_end(dev);
            }
            break;
        }
        }
    }
done:
    if (st != VGT_OK) {
        dev->stats.commands_failed++;
        dev_error(dev, kind, seq, offset, "%s (command %s, seq %llu)", err.message,
                  vgt_cmd_name(w[0]), (unsigned long long)seq);
    }
    if (timed) {
        uint64_t t1 = vgt_fast_clock_now(&dev->clock);
        dev->prev_end_ns = t1;
        if (dev->cfg.taps.cmd_timings) {
            timing_log_add(dev, seq, t0, t1);
        }
        if (dev->cfg.taps.cmd_done) {
            dev->cfg.taps.cmd_done(dev->cfg.taps.ctx, seq, st, st == VGT_OK ? NULL : err.message,
                                   dev->cmd_fetch_ns, t0, t1);
        }
    }
}

static bool cmd_grow(vgt_device *dev, uint32_t words)
{
    if (words <= dev->cmd_cap) {
        return true;
    }
    uint32_t cap = dev->cmd_cap ? dev->cmd_cap : 64;
    while (cap < words) {
        cap *= 2;
    }
    uint32_t *p = realloc(dev->cmd, (size_t)cap * 4u);
    if (!p) {
        return false;
    }
    dev->cmd = p;
    dev->cmd_cap = cap;
    return true;
}

/* Drops everything the guest committed so far (the length of the command at
 * STOP cannot be known, so the next command boundary cannot be found). */
static void fifo_drop_to(vgt_device *dev, uint32_t next)
{
    dev->stop = dev->fetch = next;
    fifo_st(dev, VGT_SVGA_FIFO_STOP, next);
    cmd_reset(dev);
}

/* One pass: reads MIN/MAX/NEXT_CMD once, copies and executes up to
 * DEV_BATCH commands.  Returns the number of words consumed (STOP moved). */
static uint32_t fifo_pass(vgt_device *dev)
{
    uint32_t min = fifo_ld(dev, VGT_SVGA_FIFO_MIN);
    uint32_t max = fifo_ld(dev, VGT_SVGA_FIFO_MAX);
    uint32_t next = fifo_ld_acq(dev, VGT_SVGA_FIFO_NEXT_CMD);
    if (min != dev->min || max != dev->max) {
        dev_error(dev, VGT_DEVERR_FIFO_REGS, UINT64_MAX, dev->stop,
                  "MIN/MAX changed from 0x%x/0x%x to 0x%x/0x%x while the FIFO runs; FIFO stopped",
                  dev->min, dev->max, min, max);
        fifo_stop(dev);
        return 0;
    }
    if (next < min || next >= max || (next & 3u)) {
        dev_error(dev, VGT_DEVERR_FIFO_REGS, UINT64_MAX, dev->stop,
                  "NEXT_CMD 0x%x outside [0x%x, 0x%x) or misaligned; FIFO stopped", next, min, max);
        fifo_stop(dev);
        return 0;
    }
    uint32_t ring_words = (max - min) / 4u - 1u; /* one word always stays free */
    uint32_t consumed = 0;
    uint32_t done = 0;
    /* One clock reading when the guest has committed words: the pass's
     * start, for the device's busy time, and (timed) the fetch time of its
     * first command, whose copy begins right after; the FIFO may have been
     * idle since the last pass, so the last pass's readings do not count. */
    uint64_t start = dev->fetch != next ? vgt_fast_clock_now(&dev->clock) : 0;
    dev->prev_end_ns = start;
    /* A guest register access waiting for the lock ends the pass early:
     * a driver writes IRQMASK while the frame it just queued executes, and
     * waiting out a whole pass made it outlast the lock's adaptive spin and
     * sleep (a futex wakeup later): captured draw-calls 0.058-0.064 ->
     * 0.051-0.054 s a run, plain 0.044-0.048 s either way (60-run
     * invocations in turn).  Not before DEV_BATCH_WAITED commands: a
     * guest polling a register still lets that many through each time. */
#ifdef VGT_SHAKE
    /* make shake's build (docs/conventions.md): the pass ends after 1..6
     * commands, so that batch records and the register writes between
     * them fall anywhere in a live capture, as load makes them fall. */
    const uint32_t pass_max = 1u + vgt_shake_below(VGT_SHAKE_DEVICE, 6u);
#else
    const uint32_t pass_max = DEV_BATCH; /* a constant: the loop as ever */
#endif
    while (done < pass_max &&
           (done < DEV_BATCH_WAITED || !__atomic_load_n(&dev->lock_waiters, __ATOMIC_RELAXED))) {
        /* A FENCE whole in the ring while nobody taps commands: the command
         * a fence-heavy guest sends most, taken without the word-by-word
         * copy and length machinery below. Each word is still read once;
         * the effects are exec_command's. */
        if (dev->cmd_have == 0 && dev->fetch != next && !dev->timed &&
            fifo_ld(dev, dev->fetch / 4u) == VGT_SVGA_CMD_FENCE) {
            uint32_t at = dev->fetch + 4u == max ? min : dev->fetch + 4u;
            if (at != next) {
                uint32_t fence = fifo_ld(dev, at / 4u);
                dev->fetch = at + 4u == max ? min : at + 4u;
                next_command(dev, 2);
                dev->cmd_prev_n = 0; /* `cmd` holds the command before it */
                cmd_fence(dev, fence);
                dev->stop = dev->fetch;
                consumed += 2;
                done++;
                continue;
            }
        }
        /* Copy words until the command is whole (or the guest's data ends). */
        while (dev->cmd_have < dev->cmd_need) {
            if (dev->fetch == next) {
                dev->cmd_split = dev->cmd_have > 0;
                goto out;
            }
            if (dev->cmd_have == 0 && dev->timed) {
                dev->cmd_fetch_ns = dev->prev_end_ns; /* read: words are here */
            }
            /* Every word the command still needs that the guest has
             * committed, up to the ring's end: one run of loads (a word at a
             * time through the checks above cost ~30 instructions a word). */
            uint32_t end = next > dev->fetch ? next : max;
            uint32_t k = (end - dev->fetch) / 4u;
            if (k > dev->cmd_need - dev->cmd_have) {
                k = dev->cmd_need - dev->cmd_have;
            }
            if (dev->cmd_skip) {
                /* passed over */
            } else if (dev->cfg.taps.cmd_batch) {
                dev->cmd_diff |= fifo_copy_diff(dev, dev->cmd + dev->cmd_have, dev->fetch / 4u, k);
            } else {
                fifo_copy(dev, dev->cmd + dev->cmd_have, dev->fetch / 4u, k);
            }
            dev->cmd_have += k;
            dev->fetch += 4u * k;
            if (dev->fetch == max) {
                dev->fetch = min;
            }
            if (dev->cmd_have == dev->cmd_need && !dev->cmd_len_known) {
                uint32_t total = 0;
                vgt_error err;
                err.code = VGT_OK;
                err.message[0] = '\0';
                /* Without a message first: "need more words" (every 3D
                 * command after its first word) is the normal case here and
                 * formatting it was a visible per-command cost.  Real errors
                 * are asked again for their message (same copied words). */
                uint32_t id = dev->cmd[0];
                vgt_status st;
                if (id < VGT_SVGA_CMD_MAX_2D && dev->fixed_words[id]) {
                    total = dev->fixed_words[id];
                    st = VGT_OK;
                } else {
                    st = vgt_cmd_length(dev->cmd, dev->cmd_have, &total, NULL);
                }
                if (st != VGT_OK && st != VGT_E_TRUNCATED) {
                    st = vgt_cmd_length(dev->cmd, dev->cmd_have, &total, &err);
                }
                if (st == VGT_OK && total < dev->cmd_have) {
                    st = vgt_error_set(&err, VGT_E_INVALID, "length %u words < %u already read",
                                       total, dev->cmd_have);
                    total = 0;
                }
                if (st == VGT_OK) {
                    dev->cmd_len_known = true;
                } else if (st != VGT_E_TRUNCATED) {
                    if (total <= dev->cmd_have || total > ring_words) {
                        dev_error(dev, VGT_DEVERR_BAD_LENGTH, dev->seq, dev->stop,
                                  "%s; dropping the %u bytes up to NEXT_CMD", err.message,
                                  (next - dev->stop + (max - min)) % (max - min));
                        consumed++;
                        fifo_drop_to(dev, next);
                        goto out;
                    }
                    /* Length known (an unknown 3D id): skip it whole. */
                    dev->cmd_len_known = true;
                    dev->cmd_len_status = st;
                    snprintf(dev->cmd_len_msg, sizeof(dev->cmd_len_msg), "%s", err.message);
                }
                if (total > ring_words) {
                    dev_error(dev, VGT_DEVERR_TOO_LONG, dev->seq, dev->stop,
                              "command %s of %u words can never fit the %u-word ring; dropping "
                              "up to NEXT_CMD",
                              vgt_cmd_name(dev->cmd[0]), total, ring_words);
                    consumed++;
                    fifo_drop_to(dev, next);
                    goto out;
                }
                if (!cmd_grow(dev, total)) {
                    /* Its length is known, so only this command is lost:
                     * a fence after it still passes (dropping up to
                     * NEXT_CMD left a guest waiting on one). */
                    dev_error(dev, VGT_DEVERR_EXECUTE, dev->seq, dev->stop,
                              "out of memory for a %u-word command %s; skipped", total,
                              vgt_cmd_name(dev->cmd[0]));
                    dev->cmd_skip = true;
                    dev->cmd_len_known = true;
                }
                dev->cmd_need = total;
            }
        }
        uint32_t offset = dev->stop;
        uint32_t n = dev->cmd_need;
        if (dev->cmd_skip) {
            cmd_reset(dev);
            dev->stop = dev->fetch;
            consumed += n;
            done++;
            continue;
        }
        exec_command(dev, offset, dev->cmd, n, dev->cmd_prev_n == n && dev->cmd_diff == 0);
        cmd_reset(dev);
        dev->cmd_prev_n = n;
        if (!dev->running) {
            dev->stats.busy_ns += vgt_fast_clock_now(&dev->clock) - start;
            return consumed + n; /* the command disabled the FIFO (cannot today) */
        }
        dev->stop = dev->fetch;
        consumed += n;
        done++;
    }
out:
    if (consumed) {
        /* the pass's end: a timed pass read it at its last command's end
         * (readings never go back: vgt_fast_clock) */
        uint64_t end = dev->timed ? dev->prev_end_ns : vgt_fast_clock_now(&dev->clock);
        dev->stats.busy_ns += end - start;
        flush_fence(dev);
        fifo_st(dev, VGT_SVGA_FIFO_STOP, dev->stop);
    }
    return consumed;
}

/* ---- framebuffer traces (vgt_device_refresh) ------------------------------ */

/* Trace-based updates are in effect in SVGA mode while the FIFO is not
 * running (a guest that never set CONFIG_DONE: a plain framebuffer), and
 * while it runs if the guest left REG_TRACES at 1 (svga_reg.h: "enable
 * trace-based updates even when FIFO is on"). */
static bool traces_in_effect(const vgt_device *dev)
{
    return (dev->enable & VGT_SVGA_ENABLE_ENABLE) && (!dev->running || dev->traces);
}

/* A refresh shows the changed parts of the framebuffer as at most
 * TRACE_MAX_RECTS rectangles: each changed row's changed columns, rows
 * joined into one rectangle while the gap between them is at most
 * TRACE_JOIN_ROWS unchanged rows (an UPDATE's 5 words against re-reading a
 * few rows), and the rows past the last rectangle allowed joined to it. */
#define TRACE_MAX_RECTS 16u
#define TRACE_JOIN_ROWS 8u

typedef struct trace_rect {
    uint32_t x0, x1, y0, y1; /* inclusive */
} trace_rect;

/* The first byte at which a and b differ in [0, n), or n.  Bounded: the
 * guest may write VRAM while it is scanned. */
static size_t first_difference(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t i = 0;
    for (; i + 8u <= n; i += 8u) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y) {
            break;
        }
    }
    while (i < n && a[i] == b[i]) {
        i++;
    }
    return i;
}

/* The last byte at which a and b differ in [from, n) (from < n), or from. */
static size_t last_difference(const uint8_t *a, const uint8_t *b, size_t from, size_t n)
{
    size_t i = n;
    for (; i >= from + 8u; i -= 8u) {
        uint64_t x, y;
        memcpy(&x, a + i - 8u, 8);
        memcpy(&y, b + i - 8u, 8);
        if (x != y) {
            break;
        }
    }
    while (i > from + 1u && a[i - 1u] == b[i - 1u]) {
        i--;
    }
    return i - 1u;
}

/* The rectangles of the visible framebuffer (mode m, checked to lie inside
 * VRAM, rows of `row` bytes, `bpp` bytes a pixel) that differ from the
 * shadow, whose changed pixels are copied into it; their count, 0 when
 * nothing changed.  The shadow is copied before the UPDATE reads VRAM and
 * only over the columns shown: a guest write racing with the refresh leaves
 * the shadow older than what is shown, never newer, so the next refresh
 * sees it again rather than missing it. */
static uint32_t shadow_changed_rects(vgt_device *dev, const vgt_display_mode *m, size_t row,
                                     uint32_t bpp, trace_rect *rects)
{
    uint32_t n = 0;
    for (uint32_t y = 0; y < m->height; y++) {
        const uint8_t *src = dev->vram + m->fb_offset + (size_t)y * m->bytes_per_line;
        uint8_t *sh = dev->shadow + (size_t)y * row;
        size_t b0 = 0, b1 = row - 1u;
        if (dev->shadow_valid) {
            if (memcmp(src, sh, row) == 0 || (b0 = first_difference(src, sh, row)) == row) {
                continue;
            }
            b1 = last_difference(src, sh, b0, row);
        }
        uint32_t x0 = (uint32_t)(b0 / bpp), x1 = (uint32_t)(b1 / bpp);
        size_t from = (size_t)x0 * bpp, to = ((size_t)x1 + 1u) * bpp;
        memcpy(sh + from, src + from, to - from);
        trace_rect *r = n ? &rects[n - 1u] : NULL;
        if (r && (y - r->y1 <= TRACE_JOIN_ROWS + 1u || n == TRACE_MAX_RECTS)) {
            r->y1 = y;
            r->x0 = x0 < r->x0 ? x0 : r->x0;
            r->x1 = x1 > r->x1 ? x1 : r->x1;
        } else {
            rects[n++] = (trace_rect){x0, x1, y, y};
        }
    }
    dev->shadow_valid = true;
    return n;
}

/* Sizes the shadow for mode m (invalidated when the mode changed); false
 * when the mode's rows are not all inside VRAM (the executor never has
 * such a mode) or, said as a device error, when memory lacks. */
static bool shadow_prepare(vgt_device *dev, const vgt_display_mode *m, size_t *row,
                           uint32_t *bpp_out)
{
    uint32_t bpp = vgt_display_bytes_per_pixel(m->bits_per_pixel);
    uint64_t row64 = (uint64_t)m->width * bpp;
    uint64_t span; /* the last row's end, from fb_offset */
    if (bpp == 0 || row64 == 0 || m->height == 0 ||
        vgt_mul_overflow_u64((uint64_t)m->height - 1u, m->bytes_per_line, &span) ||
        vgt_add_overflow_u64(span, row64, &span) ||
        !vgt_range_inside(m->fb_offset, span, dev->cfg.vram_size)) {
        return false; /* vgt_display_mode_from_regs disables such a mode: not reached */
    }
    size_t need = (size_t)row64 * m->height;       /* <= VRAM size: rows do not overlap */
    const vgt_display_mode *o = &dev->shadow_mode; /* fields: a struct's padding is not compared */
    if (o->width != m->width || o->height != m->height || o->bits_per_pixel != m->bits_per_pixel ||
        o->bytes_per_line != m->bytes_per_line || o->fb_offset != m->fb_offset) {
        dev->shadow_valid = false;
        dev->shadow_mode = *m;
    }
    if (need > dev->shadow_size) {
        uint8_t *p = realloc(dev->shadow, need);
        if (!p) {
            dev_error(dev, VGT_DEVERR_EXECUTE, UINT64_MAX, VGT_DEVICE_REFRESH_OFFSET,
                      "trace refresh: out of memory for a %zu-byte shadow framebuffer", need);
            return false;
        }
        dev->shadow = p;
        dev->shadow_size = need;
        dev->shadow_valid = false;
    }
    *row = (size_t)row64;
    *bpp_out = bpp;
    return true;
}

/* Executes a command the device itself originates (a trace refresh's
 * UPDATE) exactly as a FIFO command: numbered in the same sequence, in the
 * command log with FIFO offset VGT_DEVICE_REFRESH_OFFSET, its VRAM reads
 * tapped.  A FIFO command may be half copied: its length status and split
 * flag are kept, and its fetch time serves as this command's too (the
 * log's and the trace's times never go back). */
static void exec_device_command(vgt_device *dev, const uint32_t *w, uint32_t n)
{
    vgt_status len_status = dev->cmd_len_status;
    bool split = dev->cmd_split;
    if (dev->cmd_have == 0) {
        dev->cmd_fetch_ns = vgt_fast_clock_now(&dev->clock);
    }
    dev->cmd_len_status = VGT_OK;
    dev->cmd_split = false;
    exec_command(dev, VGT_DEVICE_REFRESH_OFFSET, w, n, false);
    dev->cmd_len_status = len_status;
    dev->cmd_split = split;
    /* the log's last command is this one now: the next FIFO command is no
     * repeat of the one `cmd` holds */
    dev->cmd_prev_n = 0;
    dev->stats.fifo_bytes -= (uint64_t)n * 4u; /* counted by next_command; not FIFO bytes */
}

/* One host refresh (FIFO thread, lock held): when traces are in effect and
 * the visible framebuffer changed since the last refresh, an UPDATE of each
 * changed rectangle and a frame end, as a guest's UPDATEs and FENCE would.
 * True when it showed a change. */
static bool trace_refresh(vgt_device *dev)
{
    dev->stats.refreshes++;
    vgt_display_mode m = vgt_executor_mode(dev->ex);
    size_t row = 0;
    uint32_t bpp = 0;
    if (!traces_in_effect(dev) || !m.enabled || !shadow_prepare(dev, &m, &row, &bpp)) {
        dev->shadow_valid = false; /* when traces are in effect again: every row */
        return false;
    }
    trace_rect rects[TRACE_MAX_RECTS];
    uint32_t n = shadow_changed_rects(dev, &m, row, bpp, rects);
    if (n == 0) {
        return false;
    }
    uint64_t failed = dev->stats.commands_failed;
    for (uint32_t i = 0; i < n; i++) {
        const trace_rect *r = &rects[i];
        const uint32_t w[5] = {VGT_SVGA_CMD_UPDATE, r->x0, r->y0, r->x1 - r->x0 + 1u,
                               r->y1 - r->y0 + 1u};
        exec_device_command(dev, w, 5);
    }
    if (dev->frame_dirty) {
        frame_end(dev);
    }
    if (dev->stats.commands_failed != failed) {
        return false; /* said as the command's error, as a guest UPDATE's would be */
    }
    dev->stats.trace_updates++;
    return true;
}

/* The requests pending (FIFO thread, lock held, once per wakeup or pass):
 * served by one refresh, since they all ask for the display as it is now. */
static void serve_refresh(vgt_device *dev)
{
    dev->refresh_showed = trace_refresh(dev);
    dev->refresh_done = dev->refresh_asked;
    pthread_cond_broadcast(&dev->progress);
}

bool vgt_device_refresh(vgt_device *dev)
{
    dev_lock(dev);
    uint64_t ticket = ++dev->refresh_asked;
    dev->doorbell = true;
    pthread_cond_signal(&dev->wake);
    while (dev->refresh_done < ticket && !dev->quit) {
        pthread_cond_wait(&dev->progress, &dev->mu);
    }
    bool showed = dev->refresh_done >= ticket && dev->refresh_showed;
    pthread_mutex_unlock(&dev->mu);
    return showed;
}

static bool fifo_has_work(vgt_device *dev)
{
    return dev->running && fifo_ld_acq(dev, VGT_SVGA_FIFO_NEXT_CMD) != dev->fetch;
}

/* fifo_has_work for the last look before sleeping: NEXT_CMD with a seq_cst
 * load, the second half of the store-load pair whose store is
 * set_fifo_busy's seq_cst FIFO_BUSY = 0 (docs/device.md "Threads and
 * locking").  Two seq_cst operations are ordered without a fence, which
 * ThreadSanitizer does not model; on x86 the load is a plain mov. */
static bool fifo_has_work_after_idle(vgt_device *dev)
{
    return dev->running &&
           __atomic_load_n(&dev->fifo[VGT_SVGA_FIFO_NEXT_CMD], __ATOMIC_SEQ_CST) != dev->fetch;
}

/* seq_cst: FIFO_BUSY = 0 is the store half of the going-idle pair
 * (fifo_has_work_after_idle); on x86 the store is an xchg. */
static void set_fifo_busy(vgt_device *dev, uint32_t v)
{
    if (dev->running && v != dev->busy_shadow && fifo_reg_valid(dev, VGT_SVGA_FIFO_BUSY)) {
        __atomic_store_n(&dev->fifo[VGT_SVGA_FIFO_BUSY], v, __ATOMIC_SEQ_CST);
        dev->busy_shadow = v;
    }
}

static void *fifo_thread(void *arg)
{
    vgt_device *dev = arg;
    vgt_thread_name("vgt-fifo");
    pthread_mutex_lock(&dev->mu);
    while (!dev->quit) {
        if (dev->refresh_done != dev->refresh_asked) {
            serve_refresh(dev); /* once per wakeup or pass, never per command */
        }
        if (dev->running) {
            set_fifo_busy(dev, 1);
            uint32_t consumed = fifo_pass(dev);
            if (consumed) {
                if (dev->irq_mask & VGT_SVGA_IRQ_FIFO_PROGRESS) {
                    irq_raise(dev, VGT_SVGA_IRQ_FIFO_PROGRESS);
                }
                pthread_cond_broadcast(&dev->progress);
                /* Let waiting register accesses in between batches. */
                pthread_mutex_unlock(&dev->mu);
                if (__atomic_load_n(&dev->lock_waiters, __ATOMIC_RELAXED)) {
                    sched_yield();
                }
                pthread_mutex_lock(&dev->mu);
                continue;
            }
            /* Before sleeping, watch NEXT_CMD for a short while without the
             * lock: a guest that keeps producing never pays for a wakeup.
             * The guest's register accesses meanwhile take the free lock
             * and do not end the watch: a driver reads IRQ_STATUS and
             * writes IRQMASK after its fence wait, before its next
             * commands; ending the watch there put the device to sleep
             * for ~40% of draw-calls' frames, each then paying a doorbell
             * wakeup (plain runs 57-103 ms, bimodal; now 62-68 ms). */
            if (dev->spin_ns) {
                uint32_t fetch = dev->fetch;
                bool more = false;
                pthread_mutex_unlock(&dev->mu);
                uint64_t until = vgt_now_ns() + dev->spin_ns;
                uint32_t n = 0;
                do {
                    if (__atomic_load_n(&dev->fifo[VGT_SVGA_FIFO_NEXT_CMD], __ATOMIC_ACQUIRE) !=
                        fetch) {
                        more = true;
                        break;
                    }
                    /* Look at NEXT_CMD only every few pauses: each look
                     * takes its cache line from the guest, which writes it
                     * (NEXT_CMD, RESERVED) for every command it queues. */
                    for (int i = 0; i < 8; i++) {
                        cpu_relax();
                    }
                } while ((++n & 15u) != 0 || vgt_now_ns() < until);
                pthread_mutex_lock(&dev->mu);
                if (more) {
                    continue;
                }
            }
            /* Going idle: announce it, then look once more.  The guest
             * does the mirror image (stores NEXT_CMD, then reads FIFO_BUSY
             * before ringing SYNC): with each side's store ordered before
             * its load, one of the two sees the other's store, so work
             * committed now is never left asleep until the poll. */
            set_fifo_busy(dev, 0);
            if (fifo_has_work_after_idle(dev)) {
                continue;
            }
        }
        pthread_cond_broadcast(&dev->progress);
        if (dev->doorbell) {
            dev->doorbell = false;
            dev->stats.wakeups++;
            continue;
        }
        struct timespec ts;
        timespec_after(&ts, dev->poll_ns);
        pthread_cond_timedwait(&dev->wake, &dev->mu, &ts);
        dev->doorbell = false;
        dev->stats.wakeups++;
    }
    pthread_mutex_unlock(&dev->mu);
    return NULL;
}

/* ---- registers ---------------------------------------------------------- */

static bool reg_needs_id1(uint32_t reg)
{
    return reg >= VGT_SVGA_REG_CAPABILITIES;
}

static uint32_t reg_busy(vgt_device *dev)
{
    if (!dev->running) {
        return 0;
    }
    if (!fifo_has_work(dev) && dev->cmd_have == 0) {
        return 0;
    }
    /* Let the FIFO thread process for a while, as a synchronous sync would. */
    dev->doorbell = true;
    pthread_cond_signal(&dev->wake);
    struct timespec ts;
    timespec_after(&ts, DEV_BUSY_WAIT_NS);
    pthread_cond_timedwait(&dev->progress, &dev->mu, &ts);
    return (dev->running && (fifo_has_work(dev) || dev->cmd_have != 0)) ? 1u : 0u;
}

/* What DEPTH and the colour masks read in each legacy mode
 * (BITS_PER_PIXEL).  32 is the host's: depth 24 in 32-bit storage, so 24
 * is the other layout a guest can mean, packed 3 bytes a pixel (as
 * VirtualBox takes it).  15 and 16 are the usual x-R5-G5-B5 and R5-G6-B5
 * words (X's masks, red high; VirtualBox reports them with red and blue
 * swapped).  The 8-bit mode is pseudocolor: index and colour
 * widths are DEPTH (8); its masks mean nothing to a colormapped guest,
 * they are the 3-3-2 layout VirtualBox reports at 8 bits. */
typedef struct pixel_format_regs {
    uint32_t bpp, depth, red, green, blue;
} pixel_format_regs;

static const pixel_format_regs pixel_formats[] = {
    {32, 24, 0x00FF0000u, 0x0000FF00u, 0x000000FFu}, /* first: the power-on mode */
    {24, 24, 0x00FF0000u, 0x0000FF00u, 0x000000FFu},
    {16, 16, 0xF800u, 0x07E0u, 0x001Fu},
    {15, 15, 0x7C00u, 0x03E0u, 0x001Fu},
    {8, 8, 0x07u, 0x38u, 0xC0u},
};

/* The registers of mode `bpp`; NULL for a depth the device does not take. */
static const pixel_format_regs *find_pixel_format(uint32_t bpp)
{
    for (size_t i = 0; i < sizeof(pixel_formats) / sizeof(pixel_formats[0]); i++) {
        if (pixel_formats[i].bpp == bpp) {
            return &pixel_formats[i];
        }
    }
    return NULL;
}

/* The registers of the current mode (dev->bpp is always one taken). */
static const pixel_format_regs *pixel_format(uint32_t bpp)
{
    const pixel_format_regs *f = find_pixel_format(bpp);
    return f ? f : &pixel_formats[0];
}

static uint32_t reg_read(vgt_device *dev, uint32_t reg)
{
    if (reg_needs_id1(reg) && dev->id < VGT_SVGA_ID_1) {
        return 0;
    }
    switch (reg) {
    case VGT_SVGA_REG_ID:
        return dev->id;
    case VGT_SVGA_REG_ENABLE:
        return dev->enable;
    case VGT_SVGA_REG_WIDTH:
        return dev->width;
    case VGT_SVGA_REG_HEIGHT:
        return dev->height;
    case VGT_SVGA_REG_MAX_WIDTH:
        return dev->cfg.max_width;
    case VGT_SVGA_REG_MAX_HEIGHT:
        return dev->cfg.max_height;
    case VGT_SVGA_REG_DEPTH:
        return pixel_format(dev->bpp)->depth;
    case VGT_SVGA_REG_BITS_PER_PIXEL:
        return dev->bpp;
    case VGT_SVGA_REG_HOST_BITS_PER_PIXEL:
        return 32;
    case VGT_SVGA_REG_PSEUDOCOLOR:
        return dev->bpp == 8 ? 1u : 0u;
    case VGT_SVGA_REG_RED_MASK:
        return pixel_format(dev->bpp)->red;
    case VGT_SVGA_REG_GREEN_MASK:
        return pixel_format(dev->bpp)->green;
    case VGT_SVGA_REG_BLUE_MASK:
        return pixel_format(dev->bpp)->blue;
    case VGT_SVGA_REG_BYTES_PER_LINE:
        return bytes_per_line(dev);
    case VGT_SVGA_REG_FB_START:
        return dev->bar_addr[1];
    case VGT_SVGA_REG_FB_OFFSET:
        return 0;
    case VGT_SVGA_REG_VRAM_SIZE:
    case VGT_SVGA_REG_FB_SIZE:
    case VGT_SVGA_REG_MEMORY_SIZE:
        return dev->cfg.vram_size;
    case VGT_SVGA_REG_CAPABILITIES:
        return dev->caps;
    case VGT_SVGA_REG_MEM_START:
        return dev->bar_addr[2];
    case VGT_SVGA_REG_MEM_SIZE:
        return dev->cfg.fifo_size;
    case VGT_SVGA_REG_CONFIG_DONE:
        return dev->config_done;
    case VGT_SVGA_REG_SYNC:
        return 0;
    case VGT_SVGA_REG_BUSY:
        return reg_busy(dev);
    case VGT_SVGA_REG_GUEST_ID:
        return dev->guest_id;
    case VGT_SVGA_REG_CURSOR_ID:
        return dev->cursor_id;
    case VGT_SVGA_REG_CURSOR_X:
        return dev->cursor_x;
    case VGT_SVGA_REG_CURSOR_Y:
        return dev->cursor_y;
    case VGT_SVGA_REG_CURSOR_ON:
        return dev->cursor_on;
    case VGT_SVGA_REG_SCRATCH_SIZE:
        return DEV_SCRATCH_REGS;
    case VGT_SVGA_REG_MEM_REGS:
        return VGT_SVGA_FIFO_NUM_REGS;
    case VGT_SVGA_REG_NUM_DISPLAYS:
        return 1;
    case VGT_SVGA_REG_PITCHLOCK:
        return dev->pitchlock;
    case VGT_SVGA_REG_IRQMASK:
        return dev->irq_mask;
    case VGT_SVGA_REG_NUM_GUEST_DISPLAYS:
        return dev->num_guest_displays;
    case VGT_SVGA_REG_DISPLAY_ID:
        return dev->display_id;
    case VGT_SVGA_REG_DISPLAY_IS_PRIMARY:
    case VGT_SVGA_REG_DISPLAY_POSITION_X:
    case VGT_SVGA_REG_DISPLAY_POSITION_Y:
    case VGT_SVGA_REG_DISPLAY_WIDTH:
    case VGT_SVGA_REG_DISPLAY_HEIGHT: {
        if (dev->display_id >= DEV_MAX_DISPLAYS) {
            return 0;
        }
        const dev_display *d = &dev->displays[dev->display_id];
        const uint32_t v[] = {d->is_primary, d->x, d->y, d->w, d->h};
        return v[reg - VGT_SVGA_REG_DISPLAY_IS_PRIMARY];
    }
    case VGT_SVGA_REG_GMR_ID:
        return dev->gmr_id;
    case VGT_SVGA_REG_GMR_DESCRIPTOR:
        return 0;
    case VGT_SVGA_REG_GMR_MAX_IDS:
        return dev->cfg.gmr_max_ids;
    case VGT_SVGA_REG_GMR_MAX_DESCRIPTOR_LENGTH:
        return dev->cfg.gmr_max_descriptor_length;
    case VGT_SVGA_REG_TRACES:
        return dev->traces; /* 0 while SVGA_CAP_TRACES is hidden */
    case VGT_SVGA_REG_GMRS_MAX_PAGES:
        return dev->cfg.gmrs_max_pages;
    default:
        break;
    }
    if (reg >= VGT_SVGA_PALETTE_BASE && reg < VGT_SVGA_PALETTE_BASE + VGT_SVGA_NUM_PALETTE_REGS) {
        /* the executor's palette (0x00RRGGBB an entry) is the one kept */
        uint32_t i = reg - VGT_SVGA_PALETTE_BASE;
        return (vgt_executor_palette_color(dev->ex, (uint8_t)(i / 3u)) >> (16u - 8u * (i % 3u))) &
               0xFFu;
    }
    if (reg >= VGT_SVGA_SCRATCH_BASE && reg < VGT_SVGA_SCRATCH_BASE + DEV_SCRATCH_REGS) {
        return dev->scratch[reg - VGT_SVGA_SCRATCH_BASE];
    }
    dev_error(dev, VGT_DEVERR_REGISTER, UINT64_MAX, 0, "read of unknown register %u", reg);
    return 0;
}

bool vgt_device_state_register(vgt_device *dev, uint32_t reg, uint32_t *value)
{
    switch (reg) {
    case VGT_SVGA_REG_ID:
    case VGT_SVGA_REG_ENABLE:
    case VGT_SVGA_REG_WIDTH:
    case VGT_SVGA_REG_HEIGHT:
    case VGT_SVGA_REG_BITS_PER_PIXEL:
    case VGT_SVGA_REG_PITCHLOCK:
    case VGT_SVGA_REG_CONFIG_DONE:
    case VGT_SVGA_REG_GUEST_ID:
    case VGT_SVGA_REG_CURSOR_X:
    case VGT_SVGA_REG_CURSOR_Y:
    case VGT_SVGA_REG_CURSOR_ON:
    case VGT_SVGA_REG_IRQMASK:
        *value = reg_read(dev, reg); /* these reads only load a field */
        return true;
    default:
        return false;
    }
}

const vgt_device_config *vgt_device_config_of(const vgt_device *dev)
{
    return &dev->cfg;
}

bool vgt_device_state_fence(vgt_device *dev, uint32_t *value)
{
    /* stats.fences counts the fences passed since power-on or reset (both
     * zero the stats); last_fence is the last of them */
    if (dev->stats.fences == 0) {
        return false;
    }
    *value = dev->last_fence;
    return true;
}

static void reg_tap(vgt_device *dev, uint32_t reg, uint32_t value)
{
    if (dev->cfg.taps.reg_write) {
        dev->cfg.taps.reg_write(dev->cfg.taps.ctx, reg, value);
    }
}

static void legacy_cursor(vgt_device *dev)
{
    bool visible = VGT_SVGA_CURSOR_ON_VISIBLE(dev->cursor_on);
    vgt_executor_set_cursor(dev->ex, visible, (int32_t)dev->cursor_x, (int32_t)dev->cursor_y,
                            VGT_SVGA_ID_INVALID);
}

static void reg_write(vgt_device *dev, uint32_t reg, uint32_t v)
{
    if (reg_needs_id1(reg) && dev->id < VGT_SVGA_ID_1) {
        dev_error(dev, VGT_DEVERR_REGISTER, UINT64_MAX, 0,
                  "write of register %u before negotiating SVGA_ID_1", reg);
        return;
    }
    switch (reg) {
    case VGT_SVGA_REG_ID:
        if (v == VGT_SVGA_ID_0 || v == VGT_SVGA_ID_1 || v == VGT_SVGA_ID_2) {
            dev->id = v;
            reg_tap(dev, reg, v);
        }
        /* Other ids: not supported; the read-back tells the guest. */
        return;
    case VGT_SVGA_REG_ENABLE:
        dev->enable = v & (VGT_SVGA_ENABLE_ENABLE | VGT_SVGA_ENABLE_HIDE);
        reg_tap(dev, reg, dev->enable);
        apply_mode(dev, true);
        fifo_update_running(dev);
        return;
    case VGT_SVGA_REG_WIDTH:
    case VGT_SVGA_REG_HEIGHT: {
        uint32_t lim = reg == VGT_SVGA_REG_WIDTH ? dev->cfg.max_width : dev->cfg.max_height;
        if (v == 0 || v > lim) {
            dev_error(dev, VGT_DEVERR_REGISTER, UINT64_MAX, 0, "%s %u outside 1..%u; ignored",
                      reg == VGT_SVGA_REG_WIDTH ? "WIDTH" : "HEIGHT", v, lim);
            return;
        }
        if (reg == VGT_SVGA_REG_WIDTH) {
            dev->width = v;
        } else {
            dev->height = v;
        }
        reg_tap(dev, reg, v);
        apply_mode(dev, false);
        return;
    }
    case VGT_SVGA_REG_BITS_PER_PIXEL:
        /* HOST_BITS_PER_PIXEL (32), the legacy 15, 16 and 24 (converted
         * for the 32-bit display), and 8 with SVGA_CAP_8BIT_EMULATION. */
        if (!find_pixel_format(v) || (v == 8 && !(dev->caps & VGT_SVGA_CAP_8BIT_EMULATION))) {
            dev_error(dev, VGT_DEVERR_REGISTER, UINT64_MAX, 0, "BITS_PER_PIXEL %u (%s); ignored", v,
                      dev->caps & VGT_SVGA_CAP_8BIT_EMULATION
                          ? "8, 15, 16, 24 or 32"
                          : "15, 16, 24 or 32: SVGA_CAP_8BIT_EMULATION is hidden");
            return;
        }
        dev->bpp = v;
        reg_tap(dev, reg, v);
        apply_mode(dev, false);
        return;
    case VGT_SVGA_REG_PITCHLOCK: {
        /* 4-aligned in every mode: the pitch is locked across mode changes,
         * and a 32-bit row must start on a pixel.  Shorter than a row of
         * the current mode is taken (apply_mode: a mode change in
         * progress). */
        if (v & 3u) {
            dev_error(dev, VGT_DEVERR_REGISTER, UINT64_MAX, 0,
                      "PITCHLOCK %u (must be 0, or 4-aligned); ignored", v);
            return;
        }
        dev->pitchlock = v;
        reg_tap(dev, reg, v);
        apply_mode(dev, false);
        return;
    }
    case VGT_SVGA_REG_CONFIG_DONE:
        dev->config_done = v ? 1u : 0u;
        reg_tap(dev, reg, dev->config_done);
        if (!dev->config_done) {
            dev->stopped = false; /* a restart re-validates the FIFO registers */
        }
        fifo_update_running(dev);
        return;
    case VGT_SVGA_REG_SYNC:
        dev->stats.doorbells++;
        dev->doorbell = true;
        pthread_cond_signal(&dev->wake);
        return;
    case VGT_SVGA_REG_GUEST_ID:
        dev->guest_id = v;
        reg_tap(dev, reg, v);
        return;
    case VGT_SVGA_REG_CURSOR_ID:
        dev->cursor_id = v;
        return;
    case VGT_SVGA_REG_CURSOR_X:
    case VGT_SVGA_REG_CURSOR_Y:
    case VGT_SVGA_REG_CURSOR_ON:
        if (reg == VGT_SVGA_REG_CURSOR_X) {
            dev->cursor_x = v;
        } else if (reg == VGT_SVGA_REG_CURSOR_Y) {
            dev->cursor_y = v;
        } else {
            dev->cursor_on = v;
        }
        reg_tap(dev, reg, v);
        legacy_cursor(dev);
        return;
    case VGT_SVGA_REG_IRQMASK:
        dev->irq_mask =
            v & (VGT_SVGA_IRQ_ANY_FENCE | VGT_SVGA_IRQ_FIFO_PROGRESS | VGT_SVGA_IRQ_FENCE_GOAL);
        reg_tap(dev, reg, dev->irq_mask);
        irq_update(dev);
        return;
    case VGT_SVGA_REG_NUM_GUEST_DISPLAYS:
        dev->num_guest_displays = v;
        return;
    case VGT_SVGA_REG_DISPLAY_ID:
        dev->display_id = v;
        return;
    case VGT_SVGA_REG_DISPLAY_IS_PRIMARY:
    case VGT_SVGA_REG_DISPLAY_POSITION_X:
    case VGT_SVGA_REG_DISPLAY_POSITION_Y:
    case VGT_SVGA_REG_DISPLAY_WIDTH:
    case VGT_SVGA_REG_DISPLAY_HEIGHT: {
        if (dev->display_id >= DEV_MAX_DISPLAYS) {
            dev_error(dev, VGT_DEVERR_REGISTER, UINT64_MAX, 0, "DISPLAY_ID %u >= %u; ignored",
                      dev->display_id, DEV_MAX_DISPLAYS);
            return;
        }
        dev_display *d = &dev->displays[dev->display_id];
        uint32_t *f[] = {&d->is_primary, &d->x, &d->y, &d->w, &d->h};
        *f[reg - VGT_SVGA_REG_DISPLAY_IS_PRIMARY] = v;
        return;
    }
    case VGT_SVGA_REG_GMR_ID:
        dev->gmr_id = v;
        return;
    case VGT_SVGA_REG_GMR_DESCRIPTOR:
        reg_tap(dev, VGT_SVGA_REG_GMR_ID, dev->gmr_id);
        reg_tap(dev, reg, v);
        gmr_define_registers(dev, dev->gmr_id, v);
        return;
    case VGT_SVGA_REG_TRACES:
        /* A boolean, as the guest's only use of it says (vmwgfx writes 0
         * or 1, and back the value it read): any nonzero value is 1.
         * Without SVGA_CAP_TRACES the register stays 0 (a driver restoring
         * the 0 it read is no error).  Not recorded: a capture has the
         * refreshes it causes as commands (docs/device.md). */
        if (dev->caps & VGT_SVGA_CAP_TRACES) {
            dev->traces = v ? 1u : 0u;
        }
        return;
    default:
        break;
    }
    if (reg >= VGT_SVGA_PALETTE_BASE && reg < VGT_SVGA_PALETTE_BASE + VGT_SVGA_NUM_PALETTE_REGS) {
        /* 8-bit components.  The executor colours the next 8-bit update with
         * it (what is shown keeps its colours), and capture records it: a
         * replay's UPDATEs need the same colours. */
        uint32_t i = reg - VGT_SVGA_PALETTE_BASE;
        reg_tap(dev, reg, v & 0xFFu);
        (void)vgt_executor_set_palette(dev->ex, i, v & 0xFFu, NULL); /* i < 768 */
        /* a traced 8-bit display shows new colours at the next refresh:
         * every row again, though no index changed */
        dev->shadow_valid = false;
        return;
    }
    if (reg >= VGT_SVGA_SCRATCH_BASE && reg < VGT_SVGA_SCRATCH_BASE + DEV_SCRATCH_REGS) {
        dev->scratch[reg - VGT_SVGA_SCRATCH_BASE] = v;
        return;
    }
    dev_error(dev, VGT_DEVERR_REGISTER, UINT64_MAX, 0,
              "write of 0x%x to unknown or read-only register %u; ignored", v, reg);
}

uint32_t vgt_device_io_read(vgt_device *dev, uint32_t offset, unsigned size)
{
    uint32_t v;
    dev_lock(dev);
    switch (offset) {
    case VGT_SVGA_PORT_INDEX:
        v = dev->index;
        break;
    case VGT_SVGA_PORT_VALUE:
        v = reg_read(dev, dev->index);
        break;
    case VGT_SVGA_PORT_IRQSTATUS:
        v = dev->irq_status;
        break;
    default:
        v = offset < VGT_SVGA_IO_BAR_SIZE ? 0u : 0xFFFFFFFFu;
        break;
    }
    pthread_mutex_unlock(&dev->mu);
    if (size == 1) {
        return v & 0xFFu;
    }
    if (size == 2) {
        return v & 0xFFFFu;
    }
    return v;
}

void vgt_device_io_write(vgt_device *dev, uint32_t offset, unsigned size, uint32_t value)
{
    if (size == 1) {
        value &= 0xFFu;
    } else if (size == 2) {
        value &= 0xFFFFu;
    }
    dev_lock(dev);
    switch (offset) {
    case VGT_SVGA_PORT_INDEX:
        dev->index = value;
        break;
    case VGT_SVGA_PORT_VALUE:
        reg_write(dev, dev->index, value);
        break;
    case VGT_SVGA_PORT_IRQSTATUS:
        dev->irq_status &= ~value; /* write 1 to clear */
        irq_update(dev);
        break;
    default:
        break;
    }
    pthread_mutex_unlock(&dev->mu);
}

/* ---- lifecycle ---------------------------------------------------------- */

void vgt_device_config_default(vgt_device_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->vram_size = 32u << 20;
    cfg->fifo_size = 256u << 10;
    cfg->poll_hz = 100;
    cfg->spin_us = 50;
    cfg->max_width = 2560;
    cfg->max_height = 1600;
    cfg->gmr_max_ids = 64;
    cfg->gmr_max_descriptor_length = 4096;
    cfg->gmrs_max_pages = 65536;
}

static bool is_pow2(uint32_t v)
{
    return v && !(v & (v - 1));
}

/* Power-on register and FIFO state (lock held or not yet shared). */
static void power_on(vgt_device *dev)
{
    fifo_halt(dev);
    dev->stopped = false;
    dev->index = 0;
    dev->id = VGT_SVGA_ID_2;
    dev->enable = 0;
    dev->width = 1024 <= dev->cfg.max_width ? 1024 : dev->cfg.max_width;
    dev->height = 768 <= dev->cfg.max_height ? 768 : dev->cfg.max_height;
    dev->bpp = 32;
    dev->pitchlock = 0;
    dev->config_done = 0;
    dev->guest_id = 0;
    /* Traces on at power-on: what a guest that saves REG_TRACES at load
     * and restores it at unload (vmwgfx) must find for a framebuffer
     * console after it; 0 when the capability is hidden. */
    dev->traces = (dev->caps & VGT_SVGA_CAP_TRACES) ? 1u : 0u;
    dev->shadow_valid = false;
    dev->irq_mask = 0;
    dev->irq_status = 0;
    irq_update(dev);
    dev->cursor_id = dev->cursor_x = dev->cursor_y = dev->cursor_on = 0;
    dev->num_guest_displays = 1;
    dev->display_id = 0;
    memset(dev->displays, 0, sizeof(dev->displays));
    dev->gmr_id = 0;
    memset(dev->scratch, 0, sizeof(dev->scratch));
    for (uint32_t i = 0; i < dev->cfg.gmr_max_ids; i++) {
        gmr_free(dev, i);
    }
    vgt_executor_reset(dev->ex);
    dev->min = 16;
    dev->frame_dirty = false;
    dev->fence_dirty = false;
    fifo_write_reg_block(dev);
}

vgt_status vgt_device_create(const vgt_device_config *cfg, vgt_device **out, vgt_error *err)
{
    *out = NULL;
    if (!is_pow2(cfg->vram_size) || cfg->vram_size < (1u << 20) || cfg->vram_size > (256u << 20)) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "device: VRAM size %u must be a power of two in 1..256 MiB",
                             cfg->vram_size);
    }
    if (!is_pow2(cfg->fifo_size) || cfg->fifo_size < (16u << 10) || cfg->fifo_size > (16u << 20)) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "device: FIFO size %u must be a power of two in 16 KiB..16 MiB",
                             cfg->fifo_size);
    }
    if (cfg->gmr_max_ids == 0 || cfg->gmr_max_ids > 4096 || cfg->max_width == 0 ||
        cfg->max_height == 0 || cfg->max_width > VGT_EXEC_MAX_SCREEN_DIM ||
        cfg->max_height > VGT_EXEC_MAX_SCREEN_DIM) {
        return vgt_error_set(err, VGT_E_INVALID, "device: bad GMR or size limits in config");
    }
    vgt_device *dev = calloc(1, sizeof(*dev));
    if (!dev) {
        return vgt_error_set(err, VGT_E_NOMEM, "device: out of memory");
    }
    dev->cfg = *cfg;
    if (dev->cfg.poll_hz == 0) {
        dev->cfg.poll_hz = 100;
    }
    dev->poll_ns = 1000000000ull / dev->cfg.poll_hz;
    dev->spin_ns = (uint64_t)dev->cfg.spin_us * 1000u;
    vgt_fast_clock_init(&dev->clock);
    taps_changed(dev);
    for (uint32_t id = 0; id < VGT_SVGA_CMD_MAX_2D; id++) {
        const vgt_cmd_desc *d = vgt_cmd_lookup(id);
        if (d && d->layout == VGT_CMD_LAYOUT_FIXED && !(d->flags & VGT_CMD_F_3D) &&
            d->body_words < UINT8_MAX) {
            dev->fixed_words[id] = (uint8_t)(1u + d->body_words);
        }
    }
    if (dev->cfg.gmr_max_descriptor_length == 0) {
        dev->cfg.gmr_max_descriptor_length = 4096;
    }
    dev->vram = cfg->vram;
    dev->fifo = cfg->fifo;
    if (!dev->vram) {
        void *p =
            mmap(NULL, cfg->vram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        dev->vram = p == MAP_FAILED ? NULL : p;
        dev->own_vram = dev->vram != NULL;
    }
    if (!dev->fifo) {
        void *p =
            mmap(NULL, cfg->fifo_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        dev->fifo = p == MAP_FAILED ? NULL : p;
        dev->own_fifo = dev->fifo != NULL;
    }
    dev->fifo_words = cfg->fifo_size / 4u;
    dev->gmrs = calloc(dev->cfg.gmr_max_ids, sizeof(*dev->gmrs));
    vgt_status st = VGT_OK;
    if (!dev->vram || !dev->fifo || !dev->gmrs || !cmd_grow(dev, 256)) {
        st = vgt_error_set(err, VGT_E_NOMEM, "device: out of memory for VRAM/FIFO");
        goto fail;
    }
    vgt_executor_config ecfg = {
        .mem = {.ctx = dev, .read = mem_read, .write = mem_write},
        .enable_3d = cfg->enable_3d,
        .backend = cfg->backend_3d,
        .backend_options = cfg->backend_options,
        .no_video = (cfg->hide_fifo_caps & VGT_SVGA_FIFO_CAP_VIDEO) != 0,
        .video_nearest = cfg->video_nearest,
        .vram_size = cfg->vram_size,
        .no_screen_object_2 = (cfg->hide_caps & VGT_SVGA_CAP_SCREEN_OBJECT_2) ||
                              (cfg->hide_fifo_caps & VGT_SVGA_FIFO_CAP_SCREEN_OBJECT_2),
    };
    if (cfg->backend_options.window && !cfg->enable_3d) {
        st = vgt_error_set(err, VGT_E_UNSUPPORTED,
                           "device: a window needs a 3D backend that has one (gl), and 3D is off");
        goto fail;
    }
    if ((st = vgt_executor_create(&ecfg, &dev->ex, err)) != VGT_OK) {
        goto fail;
    }
    if (cfg->backend_options.window) {
        const vgt_backend *be = vgt_executor_backend(dev->ex);
        if (!be || !be->ops->show_image) {
            st = vgt_error_set(err, VGT_E_UNSUPPORTED,
                               "device: the %s backend has no window to show frames in (only gl "
                               "has one)",
                               vgt_backend_kind_name(cfg->backend_3d));
            goto fail;
        }
    }
    /* Only what is implemented is offered: no MULTIMON/DISPLAY_TOPOLOGY (the
     * legacy display registers are stored but not composed), no FIFO
     * PITCHLOCK register (REG_PITCHLOCK is).  8BIT_EMULATION: BITS_PER_PIXEL
     * 8 is pseudocolor through the palette registers.  TRACES: REG_TRACES,
     * framebuffer traces while the FIFO runs (vgt_device_refresh).
     * SCREEN_OBJECT_2 (both bits): screens with backing stores in VRAM. */
    dev->caps = (VGT_SVGA_CAP_RECT_COPY | VGT_SVGA_CAP_CURSOR | VGT_SVGA_CAP_CURSOR_BYPASS |
                 VGT_SVGA_CAP_CURSOR_BYPASS_2 | VGT_SVGA_CAP_8BIT_EMULATION |
                 VGT_SVGA_CAP_ALPHA_CURSOR | VGT_SVGA_CAP_EXTENDED_FIFO | VGT_SVGA_CAP_PITCHLOCK |
                 VGT_SVGA_CAP_IRQMASK | VGT_SVGA_CAP_GMR | VGT_SVGA_CAP_GMR2 | VGT_SVGA_CAP_TRACES |
                 VGT_SVGA_CAP_SCREEN_OBJECT_2 | (cfg->enable_3d ? VGT_SVGA_CAP_3D : 0u)) &
                ~cfg->hide_caps;
    dev->fifo_caps =
        (VGT_SVGA_FIFO_CAP_FENCE | VGT_SVGA_FIFO_CAP_ACCELFRONT |
         VGT_SVGA_FIFO_CAP_CURSOR_BYPASS_3 | VGT_SVGA_FIFO_CAP_ESCAPE | VGT_SVGA_FIFO_CAP_RESERVE |
         VGT_SVGA_FIFO_CAP_SCREEN_OBJECT | VGT_SVGA_FIFO_CAP_GMR2 | VGT_SVGA_FIFO_CAP_VIDEO |
         VGT_SVGA_FIFO_CAP_SCREEN_OBJECT_2) &
        ~cfg->hide_fifo_caps;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    /* Adaptive: a register access that finds the FIFO thread holding the
     * lock spins briefly before sleeping.  The holds are short (a pass, a
     * tap), and on a VM a futex sleep and wakeup costs tens of
     * microseconds: cube on null ran 0.12-0.15 s for 4000 frames with a
     * plain mutex, 0.03-0.09 s with this one (docs/performance.md). */
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ADAPTIVE_NP);
    pthread_mutex_init(&dev->mu, &ma);
    pthread_mutexattr_destroy(&ma);
    pthread_cond_init(&dev->wake, &ca);
    pthread_cond_init(&dev->progress, &ca);
    pthread_condattr_destroy(&ca);
    power_on(dev);
    if (pthread_create(&dev->thread, NULL, fifo_thread, dev) != 0) {
        st = vgt_error_set(err, VGT_E_NOMEM, "device: cannot start the FIFO thread: %s",
                           strerror(errno));
        pthread_mutex_destroy(&dev->mu);
        pthread_cond_destroy(&dev->wake);
        pthread_cond_destroy(&dev->progress);
        goto fail;
    }
    dev->thread_started = true;
    *out = dev;
    return VGT_OK;
fail:
    vgt_executor_destroy(dev->ex);
    if (dev->own_vram) {
        munmap(dev->vram, cfg->vram_size);
    }
    if (dev->own_fifo) {
        munmap(dev->fifo, cfg->fifo_size);
    }
    free(dev->gmrs);
    free(dev->cmd);
    free(dev);
    return st;
}

void vgt_device_destroy(vgt_device *dev)
{
    if (!dev) {
        return;
    }
    pthread_mutex_lock(&dev->mu);
    dev->quit = true;
    /* the doorbell too: a FIFO thread watching NEXT_CMD without the lock
     * misses the signal and would sleep a whole poll period (10 ms) */
    dev->doorbell = true;
    pthread_cond_signal(&dev->wake);
    pthread_cond_broadcast(&dev->progress); /* a refresh waiting (vgt_device_refresh) */
    pthread_mutex_unlock(&dev->mu);
    if (dev->thread_started) {
        pthread_join(dev->thread, NULL);
    }
    pthread_mutex_lock(&dev->mu);
    logs_flush(dev); /* a consumer still attached gets them */
    pthread_mutex_unlock(&dev->mu);
    for (uint32_t i = 0; i < dev->cfg.gmr_max_ids; i++) {
        gmr_free(dev, i);
    }
    vgt_executor_destroy(dev->ex);
    pthread_mutex_destroy(&dev->mu);
    pthread_cond_destroy(&dev->wake);
    pthread_cond_destroy(&dev->progress);
    if (dev->own_vram) {
        munmap(dev->vram, dev->cfg.vram_size);
    }
    if (dev->own_fifo) {
        munmap(dev->fifo, dev->cfg.fifo_size);
    }
    free(dev->gmrs);
    free(dev->cmd);
    free(dev->shadow);
    free(dev);
}

void vgt_device_reset(vgt_device *dev)
{
    dev_lock(dev);
    power_on(dev);
    memset(&dev->stats, 0, sizeof(dev->stats));
    dev->logged = 0;
    pthread_mutex_unlock(&dev->mu);
}

void vgt_device_set_bar_address(vgt_device *dev, unsigned bar, uint32_t address)
{
    dev_lock(dev);
    if (bar < 3) {
        dev->bar_addr[bar] = address;
    }
    pthread_mutex_unlock(&dev->mu);
}

uint8_t *vgt_device_vram(vgt_device *dev, uint32_t *size)
{
    if (size) {
        *size = dev->cfg.vram_size;
    }
    return dev->vram;
}

uint32_t *vgt_device_fifo(vgt_device *dev, uint32_t *size)
{
    if (size) {
        *size = dev->cfg.fifo_size;
    }
    return dev->fifo;
}

void vgt_device_set_taps(vgt_device *dev, const vgt_device_taps *taps)
{
    dev_lock(dev);
    logs_flush(dev); /* to the consumer that logged them */
    if (taps) {
        dev->cfg.taps = *taps;
    } else {
        memset(&dev->cfg.taps, 0, sizeof(dev->cfg.taps));
    }
    taps_changed(dev);
    pthread_mutex_unlock(&dev->mu);
}

void vgt_device_get_stats(vgt_device *dev, vgt_device_stats *out)
{
    dev_lock(dev);
    *out = dev->stats;
    clockid_t cid;
    if (dev->thread_started && pthread_getcpuclockid(dev->thread, &cid) == 0) {
        out->fifo_cpu_ns = vgt_clock_ns(cid);
    }
    out->fifo_running = dev->running;
    out->fifo_stopped = dev->stopped;
    pthread_mutex_unlock(&dev->mu);
}

vgt_executor *vgt_device_executor(vgt_device *dev)
{
    return dev->ex;
}

vgt_status vgt_device_snapshot(vgt_device *dev, vgt_image *out, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    dev_lock(dev);
    sample_cursor(dev);
    const vgt_image *img = NULL;
    vgt_status st = vgt_executor_compose(dev->ex, &img, err);
    if (st == VGT_OK) {
        st = vgt_image_alloc(out, img->width, img->height, err);
        if (st == VGT_OK) {
            for (uint32_t y = 0; y < img->height; y++) {
                memcpy(out->pixels + (size_t)y * out->stride, img->pixels + (size_t)y * img->stride,
                       (size_t)img->width * 4u);
            }
        }
    }
    pthread_mutex_unlock(&dev->mu);
    return st;
}
