/* fuzz_fifo.c - a fuzzed guest against the device: register writes and
 * reads, FIFO words, NEXT_CMD moves, FIFO register writes, GMR descriptor
 * pages in guest RAM, VRAM writes, IRQ status, resets, host refreshes.
 *
 * The device has no synchronous "process the FIFO now" entry point: it
 * always consumes on its FIFO thread.  The harness keeps it deterministic
 * enough by waiting for the device after every operation that may give it
 * work (SYNC, then BUSY reads until 0: a BUSY read lets the FIFO thread run
 * and returns when it went idle), with the idle poll at 1 Hz and no spinning,
 * so the FIFO thread only runs when the guest asks.  The guest is this one
 * thread; it writes FIFO memory only while the device is idle.
 *
 * Input: u8 setup (bits 0-1: 3D off / null / soft / off; bit 2: skip the
 * standard start-up: ID_2, 64x48x32 mode, MIN = 4 * 291, CONFIG_DONE;
 * bit 3: the command and timing logs on, with small limits from bits 4-7,
 * and a consumer that traps on a batch breaking the logs' promises), then
 * operations {u8 op, operands} until the input ends (see the switch). */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "vgt_device.h"

#define RAM_BASE_PPN 0x100u
#define RAM_PAGES    32u
#define FIFO_BYTES   (16u << 10)
#define MAX_OPS      4096u

typedef struct guest {
    vgt_device *dev;
    uint8_t *ram; /* RAM_PAGES pages from PPN RAM_BASE_PPN */
    uint32_t *fifo;
    uint8_t *vram;
    uint32_t vram_size;
} guest;

static uint8_t *ram_page(void *ctx, uint64_t ppn)
{
    guest *g = ctx;
    if (ppn < RAM_BASE_PPN || ppn >= RAM_BASE_PPN + RAM_PAGES) {
        return NULL;
    }
    return g->ram + (ppn - RAM_BASE_PPN) * 4096u;
}

static void reg_write(guest *g, uint32_t reg, uint32_t v)
{
    vgt_device_io_write(g->dev, VGT_SVGA_PORT_INDEX, 4, reg);
    vgt_device_io_write(g->dev, VGT_SVGA_PORT_VALUE, 4, v);
}

static uint32_t reg_read(guest *g, uint32_t reg)
{
    vgt_device_io_write(g->dev, VGT_SVGA_PORT_INDEX, 4, reg);
    return vgt_device_io_read(g->dev, VGT_SVGA_PORT_VALUE, 4);
}

static uint32_t fifo_ld(guest *g, uint32_t i)
{
    return __atomic_load_n(&g->fifo[i % (FIFO_BYTES / 4u)], __ATOMIC_RELAXED);
}

static void fifo_st(guest *g, uint32_t i, uint32_t v)
{
    __atomic_store_n(&g->fifo[i % (FIFO_BYTES / 4u)], v, __ATOMIC_SEQ_CST);
}

/* Lets the device consume what it was given (see the top comment). */
static void drain(guest *g)
{
    reg_write(g, VGT_SVGA_REG_SYNC, 1);
    for (int i = 0; i < 4 && reg_read(g, VGT_SVGA_REG_BUSY) != 0; i++) {
    }
}

/* A register number the fuzzer is likely to mean: mostly the real ones. */
static uint32_t pick_reg(uint16_t v)
{
    switch (v >> 14) {
    case 0:
    case 1:
        return v % 96u;
    case 2:
        return VGT_SVGA_PALETTE_BASE + v % 900u; /* palette, scratch and past them */
    default:
        return (uint32_t)v * 0x10001u; /* anything */
    }
}

/* A PPN: mostly guest RAM (and its edges), sometimes anything. */
static uint32_t pick_ppn(uint32_t v)
{
    if ((v >> 30) == 3u) {
        return v;
    }
    return RAM_BASE_PPN - 1u + v % (RAM_PAGES + 2u);
}

static void startup(guest *g)
{
    reg_write(g, VGT_SVGA_REG_ID, VGT_SVGA_ID_2);
    reg_write(g, VGT_SVGA_REG_WIDTH, 64);
    reg_write(g, VGT_SVGA_REG_HEIGHT, 48);
    reg_write(g, VGT_SVGA_REG_BITS_PER_PIXEL, 32);
    reg_write(g, VGT_SVGA_REG_ENABLE, 1);
    uint32_t min = VGT_SVGA_FIFO_NUM_REGS * 4u;
    fifo_st(g, VGT_SVGA_FIFO_MIN, min);
    fifo_st(g, VGT_SVGA_FIFO_MAX, FIFO_BYTES);
    fifo_st(g, VGT_SVGA_FIFO_NEXT_CMD, min);
    fifo_st(g, VGT_SVGA_FIFO_STOP, min);
    reg_write(g, VGT_SVGA_REG_IRQMASK, VGT_SVGA_IRQ_ANY_FENCE | VGT_SVGA_IRQ_FIFO_PROGRESS);
    reg_write(g, VGT_SVGA_REG_CONFIG_DONE, 1);
}

/* Writes words at NEXT_CMD as a guest would (wrapping at MAX to MIN when
 * those make sense, else anywhere in FIFO memory); commit moves NEXT_CMD. */
static void push(guest *g, fz *in, bool commit)
{
    uint32_t n = fz_u8(in) % 65u;
    uint32_t min = fifo_ld(g, VGT_SVGA_FIFO_MIN), max = fifo_ld(g, VGT_SVGA_FIFO_MAX);
    uint32_t next = fifo_ld(g, VGT_SVGA_FIFO_NEXT_CMD);
    bool ring = min < max && max <= FIFO_BYTES && !(min & 3u) && !(max & 3u) && next >= min &&
                next < max && !(next & 3u);
    for (uint32_t i = 0; i < n && fz_left(in) >= 4; i++) {
        fifo_st(g, next / 4u, fz_u32(in));
        next += 4u;
        if (ring && next >= max) {
            next = min;
        }
    }
    if (commit) {
        fifo_st(g, VGT_SVGA_FIFO_NEXT_CMD, next);
        drain(g);
    }
}

static void run_ops(guest *g, fz *in)
{
    vgt_device_stats stats;
    vgt_image img;
    vgt_error err = {0};
    for (uint32_t ops = 0; ops < MAX_OPS && fz_left(in) > 0; ops++) {
        switch (fz_u8(in) % 16u) {
        case 0: /* register write */
        case 1: {
            uint32_t reg = pick_reg(fz_u16(in)), v = fz_u32(in);
            if (reg == VGT_SVGA_REG_BITS_PER_PIXEL && !(v >> 31)) {
                static const uint32_t depths[] = {8, 15, 16, 24, 32}; /* the device's, often */
                v = depths[v % 5u];
            }
            reg_write(g, reg, v);
            break;
        }
        case 2: /* register read (BUSY included) */
            reg_read(g, pick_reg(fz_u16(in)));
            break;
        case 3: /* FIFO words, committed */
        case 4:
        case 5:
            push(g, in, true);
            break;
        case 6: /* FIFO words, not committed (a partial command) */
            push(g, in, false);
            break;
        case 7: /* NEXT_CMD anywhere */
            fifo_st(g, VGT_SVGA_FIFO_NEXT_CMD, fz_u32(in));
            drain(g);
            break;
        case 8: { /* a FIFO register (or any FIFO word) */
            uint16_t i = fz_u16(in);
            fifo_st(g, i < 0x8000u ? i % 300u : i, fz_u32(in));
            break;
        }
        case 9: { /* a GMR descriptor page */
            uint8_t *page = g->ram + (fz_u8(in) % RAM_PAGES) * 4096u;
            uint32_t slots = fz_u8(in) % 9u, at = fz_u8(in) % 512u;
            for (uint32_t i = 0; i < slots && at + i < 512u; i++) {
                uint32_t ppn = pick_ppn(fz_u32(in));
                uint32_t cnt = fz_u8(in) % 4u == 0 ? fz_u32(in) : fz_u8(in) % 8u;
                memcpy(page + (at + i) * 8u, &ppn, 4);
                memcpy(page + (at + i) * 8u + 4u, &cnt, 4);
            }
            break;
        }
        case 10: { /* GMR_ID + GMR_DESCRIPTOR */
            reg_write(g, VGT_SVGA_REG_GMR_ID, fz_u8(in) % 10u);
            reg_write(g, VGT_SVGA_REG_GMR_DESCRIPTOR, pick_ppn(fz_u32(in)));
            break;
        }
        case 11: { /* guest RAM bytes */
            uint32_t off = fz_u32(in) % (RAM_PAGES * 4096u);
            size_t got = 0;
            const uint8_t *p = fz_bytes(in, fz_u8(in), &got);
            got = got < RAM_PAGES * 4096u - off ? got : RAM_PAGES * 4096u - off;
            memcpy(g->ram + off, p, got);
            break;
        }
        case 12: { /* VRAM bytes */
            uint32_t off = fz_u32(in) % g->vram_size;
            size_t got = 0;
            const uint8_t *p = fz_bytes(in, fz_u8(in), &got);
            got = got < g->vram_size - off ? got : g->vram_size - off;
            memcpy(g->vram + off, p, got);
            break;
        }
        case 13: { /* any port, any size */
            uint8_t a = fz_u8(in);
            unsigned sz = 1u << (a % 3u);
            if (a & 0x80u) {
                vgt_device_io_read(g->dev, (a >> 3) & 15u, sz);
            } else {
                vgt_device_io_write(g->dev, (a >> 3) & 15u, sz, fz_u32(in));
            }
            break;
        }
        case 14: /* IRQ status: read, write-one-to-clear */
            vgt_device_io_read(g->dev, VGT_SVGA_PORT_IRQSTATUS, 4);
            vgt_device_io_write(g->dev, VGT_SVGA_PORT_IRQSTATUS, 4, fz_u32(in));
            break;
        case 15: { /* reset, stats, a host refresh (framebuffer traces), snapshot */
            uint8_t a = fz_u8(in);
            if (a % 4u == 0) {
                vgt_device_reset(g->dev);
            } else if (a % 4u == 1) {
                vgt_device_get_stats(g->dev, &stats);
            } else if (a % 4u == 2) {
                vgt_device_refresh(g->dev);
            } else if (vgt_device_snapshot(g->dev, &img, &err) == VGT_OK) {
                vgt_image_free(&img);
            }
            break;
        }
        }
    }
    drain(g);
}

/* ---- the logs' consumer: what vgt_device.h promises, checked ----------- */

typedef struct logs_seen {
    uint64_t next_cmd, next_timed; /* the seq each log must go on from */
    bool any_cmd, any_timed;
    uint64_t word_sum; /* every stored word read (ASan sees a short batch) */
} logs_seen;

static void fz_check(bool ok)
{
    if (!ok) {
        __builtin_trap();
    }
}

static void on_batch(void *ctx, const vgt_device_cmd_batch *b)
{
    logs_seen *l = ctx;
    fz_check(b->count >= 1 && b->count <= VGT_DEVICE_CMD_LOG_MAX_COUNT);
    fz_check(!l->any_cmd || b->first_seq == l->next_cmd);
    fz_check(!(b->nwords[0] & VGT_DEVICE_CMD_LOG_REPEAT));
    size_t stored = 0;
    uint32_t prev = 0;
    for (uint32_t i = 0; i < b->count; i++) {
        uint32_t n = b->nwords[i] & ~VGT_DEVICE_CMD_LOG_REPEAT;
        fz_check(n >= 1);
        if (b->nwords[i] & VGT_DEVICE_CMD_LOG_REPEAT) {
            fz_check(n == prev);
            continue;
        }
        for (uint32_t k = 0; k < n; k++) {
            l->word_sum += b->words[stored + k];
        }
        stored += n;
        prev = n;
    }
    fz_check(stored * 4u == b->nbytes);
    l->any_cmd = true;
    l->next_cmd = b->first_seq + b->count;
}

static void on_timings(void *ctx, uint64_t first_seq, uint32_t count, const uint32_t *pairs)
{
    logs_seen *l = ctx;
    fz_check(count >= 1 && count <= VGT_DEVICE_TIMING_LOG_COUNT);
    fz_check(!l->any_timed || first_seq == l->next_timed); /* every command is timed */
    l->word_sum += pairs[2u * (count - 1u) + 1u];
    l->any_timed = true;
    l->next_timed = first_seq + count;
}

static void irq_cb(void *ctx, bool level)
{
    (void)ctx;
    (void)level;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("VGT_SOFT_THREADS", "1", 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz in = {data, size};
    uint8_t setup = fz_u8(&in);
    guest g;
    memset(&g, 0, sizeof(g));
    g.ram = calloc(RAM_PAGES, 4096u);
    if (!g.ram) {
        return 0;
    }
    vgt_device_config cfg;
    vgt_device_config_default(&cfg);
    cfg.vram_size = 1u << 20;
    cfg.fifo_size = FIFO_BYTES;
    cfg.poll_hz = 1;
    cfg.spin_us = 0;
    cfg.max_width = 256;
    cfg.max_height = 256;
    cfg.gmr_max_ids = 8;
    cfg.gmr_max_descriptor_length = 64;
    cfg.gmrs_max_pages = 256;
    cfg.enable_3d = (setup & 3u) == 1u || (setup & 3u) == 2u;
    cfg.backend_3d = (setup & 3u) == 2u ? VGT_BACKEND_SOFT : VGT_BACKEND_NULL;
    cfg.ram = (vgt_device_guest_ram){&g, ram_page};
    cfg.irq = irq_cb;
    logs_seen seen;
    memset(&seen, 0, sizeof(seen));
    if (setup & 8u) {
        cfg.taps.ctx = &seen;
        cfg.taps.cmd_batch = on_batch;
        cfg.taps.cmd_timings = on_timings;
        cfg.taps.cmd_log_count = 1u + (setup >> 4 & 3u) * 3u; /* 1..10 commands */
        cfg.taps.cmd_log_bytes = 16u << (setup >> 6 & 3u);    /* 16..128 bytes */
    }
    vgt_error err = {0};
    if (vgt_device_create(&cfg, &g.dev, &err) != VGT_OK) {
        free(g.ram);
        return 0;
    }
    uint32_t fsize = 0;
    g.fifo = vgt_device_fifo(g.dev, &fsize);
    g.vram = vgt_device_vram(g.dev, &g.vram_size);
    if (!(setup & 4u)) {
        startup(&g);
    }
    run_ops(&g, &in);
    vgt_device_destroy(g.dev);
    free(g.ram);
    return 0;
}
