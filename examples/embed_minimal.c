/* embed_minimal.c - a third-party VMM's view of vgt: the SVGA II device
 * embedded from its documentation alone (docs/device.md "The device API",
 * docs/capture.md "How to capture", device/vgt_device.h,
 * capture/vgt_capture.h), with this program playing a tiny guest driver
 * itself by register accesses and FIFO words, as a real SVGA driver would.
 *
 * What it needs, as an outside program would: an installed vgt (make
 * install PREFIX=P, or cmake --install build --prefix P) and pkg-config,
 * with PKG_CONFIG_PATH=P/lib/pkgconfig:
 *   cc embed_minimal.c -o embed $(pkg-config --cflags --libs vgt)
 * links libvgt.so (its own dependencies come with it), and
 *   cc embed_minimal.c -o embed $(pkg-config --cflags --libs --static vgt-static)
 * the static archives (--static: their own dependencies are in
 * vgt-static.pc's private fields; the flags after the source: the archives
 * are searched in order); or CMake's find_package(vgt) with the target
 * vgt::vgt or vgt::vgt_static.  That gives
 * -I P/include/vgt, where vgt_capture.h includes vgt_device.h, which
 * includes vgt_base.h, vgt_protocol.h with vgt_svga.h, and vgt_replay.h
 * with vgt_backend.h and vgt_replayer.h, which includes vgt_trace_records.h and
 * vgt_format.h; and libvgt.so, or libvgt_capture.a libvgt_device.a
 * libvgt_replay.a libvgt_soft.a libvgt_backend_gl.a libvgt_protocol.a
 * libvgt_format.a libvgt_base.a (the replay library carries the soft and gl
 * backends) with libzstd, libxxhash, libpng, epoxy, X11 (when built with
 * it), pthread and libm (docs/device.md "Building against an installed
 * vgt"; the test example_embed_outside builds and runs this program each
 * of these ways).
 *   In this tree CMake's target vgt_capture brings all of it.
 *
 * The embedder's side:
 *   - it owns the guest's memory: guest RAM (GUEST_RAM_PAGES 4 KiB pages
 *     at guest-physical GUEST_RAM_BASE, handed to the device through the
 *     `page` callback), VRAM (BAR1) and FIFO memory (BAR2) allocated here
 *     and given in the configuration;
 *   - it owns the interrupt line: the device calls irq_line() with the new
 *     level, the guest waits on it like a CPU halted until the interrupt;
 *   - it decides where the BARs are (vgt_device_set_bar_address: what the
 *     guest reads in FB_START / MEM_START);
 *   - port I/O of the guest goes to vgt_device_io_read/write with the offset
 *     inside BAR0.
 *
 * The guest (run on the main thread, the "vCPU"): negotiates SVGA_ID_2,
 * sets a 128x96x32 mode, starts the FIFO, draws a rectangle into the
 * framebuffer and UPDATEs it, waits for a FENCE through the FENCE_GOAL
 * interrupt (frame 0); RECT_COPY of that rectangle, a FENCE waited for by
 * SYNC/BUSY and the FIFO_FENCE register (frame 1); a GMR defined through
 * the GMR registers over guest RAM, a BLIT_GMRFB_TO_SCREEN from it, a
 * DEFINE_CURSOR moved by the FIFO cursor registers, a FENCE waited for by
 * interrupt (frame 2).  After each fence it reads what the host shows
 * (vgt_device_snapshot) and compares every pixel with its own model of the
 * display.  Exit 0 only when all three frames are exactly as expected.
 *
 * Usage: vgt_example_embed [--capture FILE] [--screenshot DIR]
 *   --capture FILE    capture through the embedding API's settings
 *   --screenshot DIR  write what was read back as DIR/frame-NNNNNN.png
 *   VGT_CAPTURE=FILE  (and VGT_CAPTURE_*) capture without --capture: the
 *                     program calls vgt_capture_from_env() where it fills
 *                     its device configuration, as docs/capture.md asks.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "vgt_capture.h"
#include "vgt_device.h"

/* The embedder's guest-physical layout (its choice: nothing in the device
 * depends on it but the PPNs it is given and FB_START / MEM_START). */
#define GUEST_RAM_BASE  0x00100000u /* PPN 0x100 */
#define GUEST_RAM_PAGES 64u
#define BAR1_ADDRESS    0xE0000000u
#define BAR2_ADDRESS    0xE8000000u
#define VRAM_SIZE       (4u << 20)
#define FIFO_SIZE       (256u << 10)

#define MODE_W 128u
#define MODE_H 96u

/* How long the guest waits for anything before it calls the device dead. */
#define WAIT_NS 5000000000ull

typedef struct embedder {
    uint8_t *ram; /* GUEST_RAM_PAGES pages */
    uint8_t *vram;
    uint32_t *fifo;
    vgt_device *dev;
    /* the interrupt line: the device sets it (device lock held), the guest
     * waits for it; only this mutex is taken in the callback */
    pthread_mutex_t irq_lock;
    pthread_cond_t irq_cond;
    bool irq_level;
    uint64_t irq_raised;
} embedder;

/* ---- the VMM side: callbacks the device calls ---------------------------- */

/* guest RAM: PPN -> host page.  Read-only data after setup: thread-safe. */
static uint8_t *ram_page(void *ctx, uint64_t ppn)
{
    embedder *e = ctx;
    uint64_t first = GUEST_RAM_BASE >> 12;
    if (ppn < first || ppn - first >= GUEST_RAM_PAGES)
        return NULL;
    return e->ram + (ppn - first) * 4096u;
}

/* The interrupt line.  Called with the device lock held, from the FIFO
 * thread or from the guest's own register access: it must not call back
 * into the device, so it only records the level and wakes the guest. */
static void irq_line(void *ctx, bool level)
{
    embedder *e = ctx;
    pthread_mutex_lock(&e->irq_lock);
    if (level && !e->irq_level)
        e->irq_raised++;
    e->irq_level = level;
    pthread_cond_broadcast(&e->irq_cond);
    pthread_mutex_unlock(&e->irq_lock);
}

/* ---- the guest side: a small SVGA II driver ----------------------------- */

typedef struct guest {
    embedder *e;
    volatile uint32_t *fifo; /* BAR2 as the guest maps it */
    uint8_t *fb;             /* BAR1 */
    uint32_t caps, fifo_caps, pitch;
    uint32_t next_fence;
    char failure[256];
} guest;

static void fail(guest *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(guest *g, const char *fmt, ...)
{
    if (g->failure[0])
        return; /* keep the first */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->failure, sizeof(g->failure), fmt, ap);
    va_end(ap);
}

/* SVGA registers: the index to INDEX (BAR0+0), the value through VALUE
 * (BAR0+1), 32-bit port I/O. */
static uint32_t reg_read(guest *g, uint32_t index)
{
    vgt_device_io_write(g->e->dev, VGT_SVGA_PORT_INDEX, 4, index);
    return vgt_device_io_read(g->e->dev, VGT_SVGA_PORT_VALUE, 4);
}

static void reg_write(guest *g, uint32_t index, uint32_t value)
{
    vgt_device_io_write(g->e->dev, VGT_SVGA_PORT_INDEX, 4, index);
    vgt_device_io_write(g->e->dev, VGT_SVGA_PORT_VALUE, 4, value);
}

static uint32_t fifo_load(guest *g, uint32_t reg)
{
    return __atomic_load_n(&g->fifo[reg], __ATOMIC_ACQUIRE);
}

static void fifo_store(guest *g, uint32_t reg, uint32_t value)
{
    __atomic_store_n(&g->fifo[reg], value, __ATOMIC_RELEASE);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The doorbell: the device keeps FIFO_BUSY at 1 while it is awake, so the
 * guest writes SYNC only when it reads 0 (after publishing NEXT_CMD, with
 * a full fence between, docs/device.md "Threads and locking"). */
static void ring_doorbell(guest *g)
{
    /* The full fence, as a real driver's barrier before it reads FIFO_BUSY
     * (Linux vmwgfx's mb()).  gcc's ThreadSanitizer warns it does not
     * model fences (-Wtsan): safe here, the fence orders a store before a
     * load of other atomics, which TSan's happens-before does not model
     * anyway, and no plain access is involved. */
#if defined(__SANITIZE_THREAD__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wtsan"
#endif
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
#if defined(__SANITIZE_THREAD__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif
    if (fifo_load(g, VGT_SVGA_FIFO_BUSY) == 0) {
        fifo_store(g, VGT_SVGA_FIFO_BUSY, 1);
        reg_write(g, VGT_SVGA_REG_SYNC, 1);
    }
}

/* Writes one whole command into the ring at NEXT_CMD (wrapping from MAX to
 * MIN) and publishes it with one release store of NEXT_CMD.  One word stays
 * free (a full ring would look empty).  When the ring lacks room the guest
 * rings the doorbell and polls STOP; this guest's commands never come near
 * the 250 KiB ring, but a driver has to say what it does then. */
static bool fifo_write_cmd(guest *g, const uint32_t *words, uint32_t n)
{
    uint32_t min = fifo_load(g, VGT_SVGA_FIFO_MIN), max = fifo_load(g, VGT_SVGA_FIFO_MAX);
    uint32_t ring = max - min;
    if ((uint64_t)n * 4u >= ring) {
        fail(g, "a command of %" PRIu32 " words does not fit the ring", n);
        return false;
    }
    uint32_t next = fifo_load(g, VGT_SVGA_FIFO_NEXT_CMD);
    uint64_t deadline = now_ns() + WAIT_NS;
    for (;;) {
        uint32_t stop = fifo_load(g, VGT_SVGA_FIFO_STOP);
        uint32_t used = next >= stop ? next - stop : ring - (stop - next);
        if (ring - used - 4u >= n * 4u)
            break;
        ring_doorbell(g);
        if (now_ns() > deadline) {
            fail(g, "the FIFO stayed full for 5 s (STOP %" PRIu32 ")", stop);
            return false;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        g->fifo[next / 4u] = words[i];
        next += 4u;
        if (next == max)
            next = min;
    }
    fifo_store(g, VGT_SVGA_FIFO_NEXT_CMD, next);
    ring_doorbell(g);
    return true;
}

/* FENCE: its value goes to FIFO_FENCE when the device passes it.  Values
 * are compared as the reference driver does, by signed difference. */
static uint32_t insert_fence(guest *g)
{
    uint32_t fence = ++g->next_fence;
    uint32_t cmd[2] = {VGT_SVGA_CMD_FENCE, fence};
    fifo_write_cmd(g, cmd, 2);
    return fence;
}

static bool fence_passed(guest *g, uint32_t fence)
{
    return (int32_t)(fifo_load(g, VGT_SVGA_FIFO_FENCE) - fence) >= 0;
}

/* Inserts a FENCE and waits for it by interrupt.  FIFO_FENCE_GOAL and
 * IRQMASK FENCE_GOAL are set before the FENCE is committed, so the interrupt
 * comes even when the device passes the fence at once (a driver that arms
 * them after committing must look at FIFO_FENCE before it halts, as the
 * reference driver does).  Then halt until the line rises, read IRQSTATUS
 * and acknowledge it by writing the bits back.  The embedder's irq_lock is
 * never held across a device call (the device calls irq_line with its own
 * lock held). */
static bool fence_wait_irq(guest *g, uint32_t *out_fence)
{
    uint32_t fence = g->next_fence + 1u;
    fifo_store(g, VGT_SVGA_FIFO_FENCE_GOAL, fence);
    reg_write(g, VGT_SVGA_REG_IRQMASK, VGT_SVGA_IRQ_FENCE_GOAL);
    insert_fence(g);
    *out_fence = fence;
    bool got_irq = false;
    uint64_t deadline = now_ns() + WAIT_NS;
    embedder *e = g->e;
    while (!got_irq) {
        pthread_mutex_lock(&e->irq_lock);
        while (!e->irq_level && now_ns() < deadline) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 10000000; /* 10 ms, then look at the clock again */
            if (ts.tv_nsec >= 1000000000) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&e->irq_cond, &e->irq_lock, &ts);
        }
        bool level = e->irq_level;
        pthread_mutex_unlock(&e->irq_lock);
        if (!level) {
            fail(g, "fence %" PRIu32 ": no FENCE_GOAL interrupt in 5 s (FIFO_FENCE %" PRIu32 ")",
                 fence, fifo_load(g, VGT_SVGA_FIFO_FENCE));
            break;
        }
        uint32_t status = vgt_device_io_read(e->dev, VGT_SVGA_PORT_IRQSTATUS, 4);
        vgt_device_io_write(e->dev, VGT_SVGA_PORT_IRQSTATUS, 4, status);
        got_irq = (status & VGT_SVGA_IRQ_FENCE_GOAL) != 0;
    }
    reg_write(g, VGT_SVGA_REG_IRQMASK, 0);
    if (got_irq && !fence_passed(g, fence))
        fail(g, "fence %" PRIu32 ": FENCE_GOAL interrupt, but FIFO_FENCE reads %" PRIu32, fence,
             fifo_load(g, VGT_SVGA_FIFO_FENCE));
    return got_irq && fence_passed(g, fence);
}

/* Waits for a fence without interrupts: SYNC, then read BUSY (each read
 * lets the FIFO thread run, the legacy synchronous sync) until FIFO_FENCE
 * has passed it. */
static bool wait_fence_poll(guest *g, uint32_t fence)
{
    uint64_t deadline = now_ns() + WAIT_NS;
    reg_write(g, VGT_SVGA_REG_SYNC, 1);
    while (!fence_passed(g, fence)) {
        (void)reg_read(g, VGT_SVGA_REG_BUSY);
        if (now_ns() > deadline) {
            fail(g, "fence %" PRIu32 ": not passed after 5 s of SYNC/BUSY", fence);
            return false;
        }
    }
    return true;
}

/* ---- the model: what the display must show ------------------------------ */

static uint32_t fb_get(const guest *g, uint32_t x, uint32_t y)
{
    uint32_t v;
    memcpy(&v, g->fb + (size_t)y * g->pitch + (size_t)x * 4u, 4);
    return v;
}

static void fb_fill(guest *g, uint32_t x0, uint32_t y0, uint32_t w, uint32_t h, uint32_t c)
{
    for (uint32_t y = y0; y < y0 + h; y++)
        for (uint32_t x = x0; x < x0 + w; x++)
            memcpy(g->fb + (size_t)y * g->pitch + (size_t)x * 4u, &c, 4);
}

/* Compares what the host shows with the model: 0xFFRRGGBB, the alpha byte
 * opaque (the host display; a 32-bit mode's guest pixel has X there). */
static bool check_display(guest *g, const vgt_image *shown, const uint32_t *model, const char *what)
{
    if (shown->width != MODE_W || shown->height != MODE_H) {
        fail(g, "%s: the display is %" PRIu32 "x%" PRIu32 ", expected %ux%u", what, shown->width,
             shown->height, MODE_W, MODE_H);
        return false;
    }
    for (uint32_t y = 0; y < MODE_H; y++)
        for (uint32_t x = 0; x < MODE_W; x++) {
            uint32_t v;
            memcpy(&v, shown->pixels + (size_t)y * shown->stride + (size_t)x * 4u, 4);
            uint32_t want = model[y * MODE_W + x];
            want = (want & 0xFFFFFFu) | 0xFF000000u;
            if (v != want) {
                fail(g,
                     "%s: pixel (%" PRIu32 ",%" PRIu32 ") shows 0x%08" PRIX32
                     ", expected 0x%08" PRIX32,
                     what, x, y, v, want);
                return false;
            }
        }
    return true;
}

/* Reads back what the host shows, checks it against the model and, with
 * --screenshot, writes it as the frame's PNG (the name vgt replay
 * --screenshot gives the same frame). */
static bool read_back(guest *g, const uint32_t *model, uint64_t frame, const char *shots)
{
    vgt_image shown;
    vgt_error err = {0};
    char what[32];
    snprintf(what, sizeof(what), "frame %" PRIu64, frame);
    if (vgt_device_snapshot(g->e->dev, &shown, &err) != VGT_OK) {
        fail(g, "%s: vgt_device_snapshot: %s", what, err.message);
        return false;
    }
    bool ok = check_display(g, &shown, model, what);
    if (ok && shots) {
        char path[4096];
        if (!vgt_image_frame_path(path, sizeof(path), shots, frame, "") ||
            vgt_image_write_png(&shown, path, false, &err) != VGT_OK) {
            fail(g, "%s: cannot write the screenshot into %s: %s", what, shots, err.message);
            ok = false;
        }
    }
    vgt_image_free(&shown);
    if (ok)
        printf("guest: frame %" PRIu64 ": %ux%u pixels read back, all as expected\n", frame, MODE_W,
               MODE_H);
    return ok;
}

/* ---- the guest program -------------------------------------------------- */

#define C_RED    0x00C02020u
#define C_GREEN  0x0020C040u
#define C_YELLOW 0x00FFFF00u

static bool guest_run(guest *g, const char *shots)
{
    /* version negotiation: write the newest id, read back, step down */
    uint32_t id = VGT_SVGA_ID_2;
    for (;; id--) {
        reg_write(g, VGT_SVGA_REG_ID, id);
        if (reg_read(g, VGT_SVGA_REG_ID) == id)
            break;
        if (id == VGT_SVGA_ID_0) {
            fail(g, "no SVGA id was accepted");
            return false;
        }
    }
    if (id != VGT_SVGA_ID_2) {
        fail(g, "negotiated id 0x%08" PRIX32 ", expected SVGA_ID_2", id);
        return false;
    }
    g->caps = reg_read(g, VGT_SVGA_REG_CAPABILITIES);
    uint32_t fb_start = reg_read(g, VGT_SVGA_REG_FB_START);
    uint32_t mem_start = reg_read(g, VGT_SVGA_REG_MEM_START);
    uint32_t fb_size = reg_read(g, VGT_SVGA_REG_FB_SIZE);
    uint32_t mem_size = reg_read(g, VGT_SVGA_REG_MEM_SIZE);
    printf("guest: SVGA_ID_2, capabilities 0x%08" PRIX32 ", FB at 0x%08" PRIX32 " (%" PRIu32
           " bytes), FIFO at 0x%08" PRIX32 " (%" PRIu32 " bytes)\n",
           g->caps, fb_start, fb_size, mem_start, mem_size);
    if (fb_start != BAR1_ADDRESS || mem_start != BAR2_ADDRESS || fb_size != VRAM_SIZE ||
        mem_size != FIFO_SIZE) {
        fail(g, "FB_START/MEM_START/FB_SIZE/MEM_SIZE are not what the embedder set");
        return false;
    }
    uint32_t need = VGT_SVGA_CAP_RECT_COPY | VGT_SVGA_CAP_CURSOR | VGT_SVGA_CAP_EXTENDED_FIFO |
                    VGT_SVGA_CAP_IRQMASK | VGT_SVGA_CAP_GMR;
    if ((g->caps & need) != need) {
        fail(g, "capabilities 0x%08" PRIX32 " lack 0x%08" PRIX32, g->caps, need & ~g->caps);
        return false;
    }

    /* interrupts: masked, pending ones cleared, before anything can raise one */
    reg_write(g, VGT_SVGA_REG_IRQMASK, 0);
    vgt_device_io_write(g->e->dev, VGT_SVGA_PORT_IRQSTATUS, 4, 0xFF);

    /* the mode */
    reg_write(g, VGT_SVGA_REG_WIDTH, MODE_W);
    reg_write(g, VGT_SVGA_REG_HEIGHT, MODE_H);
    reg_write(g, VGT_SVGA_REG_BITS_PER_PIXEL, 32);
    reg_write(g, VGT_SVGA_REG_ENABLE, VGT_SVGA_ENABLE_ENABLE);
    g->pitch = reg_read(g, VGT_SVGA_REG_BYTES_PER_LINE);
    if (g->pitch != MODE_W * 4u) {
        fail(g, "BYTES_PER_LINE %" PRIu32 ", expected %u", g->pitch, MODE_W * 4u);
        return false;
    }

    /* the FIFO: its registers first (MIN leaves room for all 291, so
     * FENCE_GOAL and BUSY exist), then CONFIG_DONE */
    fifo_store(g, VGT_SVGA_FIFO_MIN, VGT_SVGA_FIFO_NUM_REGS * 4u);
    fifo_store(g, VGT_SVGA_FIFO_MAX, mem_size);
    fifo_store(g, VGT_SVGA_FIFO_NEXT_CMD, VGT_SVGA_FIFO_NUM_REGS * 4u);
    fifo_store(g, VGT_SVGA_FIFO_STOP, VGT_SVGA_FIFO_NUM_REGS * 4u);
    reg_write(g, VGT_SVGA_REG_CONFIG_DONE, 1);
    g->fifo_caps = fifo_load(g, VGT_SVGA_FIFO_CAPABILITIES);
    uint32_t fneed = VGT_SVGA_FIFO_CAP_FENCE | VGT_SVGA_FIFO_CAP_CURSOR_BYPASS_3 |
                     VGT_SVGA_FIFO_CAP_SCREEN_OBJECT;
    printf("guest: mode %ux%ux32 pitch %" PRIu32 ", FIFO running, FIFO capabilities 0x%08" PRIX32
           "\n",
           MODE_W, MODE_H, g->pitch, g->fifo_caps);
    if ((g->fifo_caps & fneed) != fneed) {
        fail(g, "FIFO capabilities 0x%08" PRIX32 " lack 0x%08" PRIX32, g->fifo_caps,
             fneed & ~g->fifo_caps);
        return false;
    }

    uint32_t *model = calloc((size_t)MODE_W * MODE_H, 4);
    if (!model) {
        fail(g, "out of memory");
        return false;
    }
    bool ok = false;

    /* frame 0: a red rectangle with a green square in it, drawn into the
     * framebuffer, then UPDATE of that rectangle only: the rest of the
     * display stays as enabling the mode left it (black) */
    fb_fill(g, 8, 8, 32, 24, C_RED);
    fb_fill(g, 16, 12, 8, 8, C_GREEN);
    {
        uint32_t cmd[5] = {VGT_SVGA_CMD_UPDATE, 8, 8, 32, 24};
        fifo_write_cmd(g, cmd, 5);
    }
    for (uint32_t y = 8; y < 32; y++)
        for (uint32_t x = 8; x < 40; x++)
            model[y * MODE_W + x] = fb_get(g, x, y);
    uint32_t f;
    if (!fence_wait_irq(g, &f) || !read_back(g, model, 0, shots))
        goto out;
    printf("guest: UPDATE 8,8 32x24; fence %" PRIu32 " by FENCE_GOAL interrupt\n", f);

    /* frame 1: RECT_COPY of the rectangle to (64,40): VRAM and display */
    {
        uint32_t cmd[7] = {VGT_SVGA_CMD_RECT_COPY, 8, 8, 64, 40, 32, 24};
        fifo_write_cmd(g, cmd, 7);
    }
    for (uint32_t y = 0; y < 24; y++)
        for (uint32_t x = 0; x < 32; x++)
            model[(40 + y) * MODE_W + 64 + x] = model[(8 + y) * MODE_W + 8 + x];
    f = insert_fence(g);
    if (!wait_fence_poll(g, f) || !read_back(g, model, 1, shots))
        goto out;
    for (uint32_t y = 0; y < 24; y++)
        for (uint32_t x = 0; x < 32; x++)
            if (fb_get(g, 64 + x, 40 + y) != fb_get(g, 8 + x, 8 + y)) {
                fail(g, "RECT_COPY did not copy VRAM at (%" PRIu32 ",%" PRIu32 ")", 64 + x, 40 + y);
                goto out;
            }
    printf("guest: RECT_COPY to 64,40; fence %" PRIu32 " by SYNC/BUSY and FIFO_FENCE\n", f);

    /* frame 2: a 16x16 gradient in guest RAM, reached as GMR 1 (defined by
     * the GMR registers: a descriptor page {ppn, 1 page}, {0, 0}), blitted
     * to screen 0 at (100,8); and a hardware cursor */
    {
        uint8_t *desc = ram_page(g->e, GUEST_RAM_BASE >> 12);
        uint8_t *image = ram_page(g->e, (GUEST_RAM_BASE >> 12) + 1);
        uint32_t d[4] = {(GUEST_RAM_BASE >> 12) + 1, 1, 0, 0};
        memcpy(desc, d, sizeof(d));
        for (uint32_t y = 0; y < 16; y++)
            for (uint32_t x = 0; x < 16; x++) {
                uint32_t c = (x * 16u) << 16 | (y * 16u) << 8 | 0x80u;
                memcpy(image + (y * 16u + x) * 4u, &c, 4);
                model[(8 + y) * MODE_W + 100 + x] = c;
            }
        reg_write(g, VGT_SVGA_REG_GMR_ID, 1);
        reg_write(g, VGT_SVGA_REG_GMR_DESCRIPTOR, GUEST_RAM_BASE >> 12);
        uint32_t gmrfb[5] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 0, 64, VGT_SVGA_GMRFB_FORMAT(32, 24)};
        fifo_write_cmd(g, gmrfb, 5);
        uint32_t blit[8] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 100, 8, 116, 24, 0};
        fifo_write_cmd(g, blit, 8);
    }
    /* an 8x8 cursor, hotspot (2,1), drawn with the hotspot at the cursor
     * position: a 1-bit AND mask and a 32-bit XOR mask, each row padded to
     * 32 bits, the leftmost pixel in bit 7 of a 1-bit row's first byte.
     * Rows 0-3: AND 0, XOR yellow (opaque yellow); rows 4-7: AND byte 0xF0,
     * XOR 0xFFFFFF: the left 4 pixels show the screen inverted, the right 4
     * white. */
    {
        uint32_t cmd[1 + 7 + 8 + 64];
        uint32_t n = 0;
        cmd[n++] = VGT_SVGA_CMD_DEFINE_CURSOR;
        cmd[n++] = 0;  /* id */
        cmd[n++] = 2;  /* hotspot x */
        cmd[n++] = 1;  /* hotspot y */
        cmd[n++] = 8;  /* width */
        cmd[n++] = 8;  /* height */
        cmd[n++] = 1;  /* AND mask depth */
        cmd[n++] = 32; /* XOR mask depth */
        for (uint32_t y = 0; y < 8; y++)
            cmd[n++] = y < 4 ? 0u : 0xF0u; /* bytes F0 00 00 00 */
        for (uint32_t y = 0; y < 8; y++)
            for (uint32_t x = 0; x < 8; x++)
                cmd[n++] = y < 4 ? C_YELLOW : 0x00FFFFFFu;
        fifo_write_cmd(g, cmd, n);
    }
    /* cursor bypass 3: position and visibility in FIFO registers, published
     * by bumping CURSOR_COUNT; the device samples them at the frame end */
    fifo_store(g, VGT_SVGA_FIFO_CURSOR_ON, VGT_SVGA_CURSOR_ON_SHOW);
    fifo_store(g, VGT_SVGA_FIFO_CURSOR_X, 30);
    fifo_store(g, VGT_SVGA_FIFO_CURSOR_Y, 20);
    fifo_store(g, VGT_SVGA_FIFO_CURSOR_COUNT, fifo_load(g, VGT_SVGA_FIFO_CURSOR_COUNT) + 1);
    {
        uint32_t *shown = malloc((size_t)MODE_W * MODE_H * 4u);
        if (!shown) {
            fail(g, "out of memory");
            goto out;
        }
        memcpy(shown, model, (size_t)MODE_W * MODE_H * 4u);
        for (uint32_t y = 0; y < 8; y++)
            for (uint32_t x = 0; x < 8; x++) {
                uint32_t *p = &shown[(20 - 1 + y) * MODE_W + 30 - 2 + x];
                *p = y < 4 ? C_YELLOW : x < 4 ? (*p ^ 0x00FFFFFFu) : 0x00FFFFFFu;
            }
        bool frame_ok = fence_wait_irq(g, &f) && read_back(g, shown, 2, shots);
        free(shown);
        if (!frame_ok)
            goto out;
    }
    printf("guest: GMR 1 over guest RAM, BLIT_GMRFB_TO_SCREEN to 100,8; DEFINE_CURSOR 8x8 at "
           "30,20; fence %" PRIu32 " by FENCE_GOAL interrupt\n",
           f);

    /* a driver unloading: SVGA mode off (the FIFO stops with it) */
    reg_write(g, VGT_SVGA_REG_ENABLE, VGT_SVGA_ENABLE_DISABLE);
    ok = true;
out:
    free(model);
    return ok;
}

/* ---- main: the VMM ------------------------------------------------------ */

static int usage(void)
{
    fprintf(stderr, "usage: vgt_example_embed [--capture FILE] [--screenshot DIR]\n");
    return 1;
}

/* The VMM's life: configuration, capture, device, the guest, teardown.
 * The embedder's memory outlives the device (freed by main). */
static int run_vmm(embedder *e, const char *capture_path, const char *shots)
{
    vgt_device_config cfg;
    vgt_device_config_default(&cfg);
    cfg.vram_size = VRAM_SIZE;
    cfg.fifo_size = FIFO_SIZE;
    cfg.vram = e->vram;
    cfg.fifo = e->fifo;
    cfg.ram = (vgt_device_guest_ram){e, ram_page};
    cfg.irq = irq_line;
    cfg.irq_ctx = e;
    cfg.log = stderr;

    /* capture: through the API's settings (--capture), or the environment
     * hook, which does nothing without VGT_CAPTURE.  Either installs its
     * taps into cfg before the device is created. */
    vgt_error err = {0};
    vgt_capture *cap = NULL;
    if (capture_path) {
        vgt_capture_settings s;
        vgt_capture_settings_init(&s);
        s.path = capture_path;
        if (vgt_capture_create(&s, &cap, &err) != VGT_OK) {
            fprintf(stderr, "vgt_example_embed: %s\n", err.message);
            return 2;
        }
        vgt_capture_install(cap, &cfg);
    } else if (vgt_capture_from_env(&cfg, &cap, &err) != VGT_OK) {
        fprintf(stderr, "vgt_example_embed: %s\n", err.message);
        return 2;
    }

    if (vgt_device_create(&cfg, &e->dev, &err) != VGT_OK) {
        fprintf(stderr, "vgt_example_embed: %s\n", err.message);
        vgt_capture_close(cap, NULL, NULL);
        return 2;
    }
    vgt_device_set_bar_address(e->dev, 1, BAR1_ADDRESS);
    vgt_device_set_bar_address(e->dev, 2, BAR2_ADDRESS);
    if (cap && vgt_capture_attach(cap, e->dev, &err) != VGT_OK) {
        fprintf(stderr, "vgt_example_embed: capture: %s\n", err.message);
        vgt_capture_detach(cap);
        vgt_device_destroy(e->dev);
        vgt_capture_close(cap, NULL, NULL);
        return 2;
    }
    printf("vmm: device created: %u KiB guest RAM at 0x%08X, %u MiB VRAM at 0x%08X, %u KiB FIFO "
           "at 0x%08X%s\n",
           GUEST_RAM_PAGES * 4u, GUEST_RAM_BASE, VRAM_SIZE >> 20, BAR1_ADDRESS, FIFO_SIZE >> 10,
           BAR2_ADDRESS, cap ? ", capture on" : "");

    /* the guest maps the BARs: in this VMM its pointers are the host's */
    guest g = {.e = e, .fifo = e->fifo, .fb = e->vram};
    bool ok = guest_run(&g, shots);

    vgt_device_stats st;
    vgt_device_get_stats(e->dev, &st);
    vgt_capture_detach(cap);
    vgt_device_destroy(e->dev);
    vgt_capture_stats cs = {0};
    vgt_status cst = vgt_capture_close(cap, &cs, &err);

    printf("vmm: %" PRIu64 " commands, %" PRIu64 " fences, %" PRIu64 " frames, %" PRIu64
           " interrupts raised, %" PRIu64 " errors\n",
           st.commands, st.fences, st.frames, e->irq_raised, st.errors);
    if (cap)
        printf("vmm: capture: %" PRIu64 " frames, %" PRIu64 " commands, %" PRIu64 " bytes\n",
               cs.frames, cs.commands, cs.file_bytes);
    if (ok && st.errors != 0) {
        fail(&g, "the device counted %" PRIu64 " errors, the last: %s", st.errors, st.last_error);
        ok = false;
    }
    if (ok && (st.frames != 3 || st.fences != 3)) {
        fail(&g, "%" PRIu64 " frames and %" PRIu64 " fences, expected 3 and 3", st.frames,
             st.fences);
        ok = false;
    }
    if (cap && cst != VGT_OK) {
        fail(&g, "capture: %s", err.message);
        ok = false;
    }
    if (cap && ok && cs.frames != 3) {
        fail(&g, "the capture recorded %" PRIu64 " frames, expected 3", cs.frames);
        ok = false;
    }

    if (!ok) {
        fprintf(stderr, "vgt_example_embed: FAILED: %s\n", g.failure);
        return 2;
    }
    printf("vgt_example_embed: ok\n");
    return 0;
}

int main(int argc, char **argv)
{
    const char *capture_path = NULL, *shots = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--capture") == 0 && i + 1 < argc)
            capture_path = argv[++i];
        else if (strcmp(argv[i], "--screenshot") == 0 && i + 1 < argc)
            shots = argv[++i];
        else
            return usage();
    }

    if (shots && mkdir(shots, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "vgt_example_embed: cannot create %s: %s\n", shots, strerror(errno));
        return 2;
    }
    embedder e = {0};
    pthread_mutex_init(&e.irq_lock, NULL);
    pthread_cond_init(&e.irq_cond, NULL);
    /* the VMM's memory: guest RAM, and BAR1/BAR2 memory handed to the
     * device (page-aligned, as a VMM maps BARs; the FIFO zeroed); freed
     * only after the device is destroyed */
    e.ram = aligned_alloc(4096, (size_t)GUEST_RAM_PAGES * 4096u);
    e.vram = aligned_alloc(4096, VRAM_SIZE);
    e.fifo = aligned_alloc(4096, FIFO_SIZE);
    int rc = 2;
    if (!e.ram || !e.vram || !e.fifo) {
        fprintf(stderr, "vgt_example_embed: out of memory for guest RAM, VRAM and FIFO\n");
    } else {
        memset(e.ram, 0, (size_t)GUEST_RAM_PAGES * 4096u);
        memset(e.vram, 0, VRAM_SIZE);
        memset(e.fifo, 0, FIFO_SIZE);
        rc = run_vmm(&e, capture_path, shots);
    }
    free(e.ram);
    free(e.vram);
    free(e.fifo);
    pthread_cond_destroy(&e.irq_cond);
    pthread_mutex_destroy(&e.irq_lock);
    return rc;
}
