/* svga_driver.c - a small SVGA II guest driver, written after the order of
 * operations of VMware's reference driver (lib/refdriver/svga.c): PCI probe,
 * version negotiation, mode set, FIFO reserve/commit with a bounce buffer,
 * fences, IRQ-driven waits, GMRs, 2D helpers.  Our own code and names. */
#include "vgt_samples.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PCI_ENABLE   0x80000000u
#define IRQ_SLICE_NS (10ull * 1000000ull)
#define FULL_SPIN_NS (50ull * 1000ull)

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* ---- failure ------------------------------------------------------------ */

__attribute__((format(printf, 2, 3))) static void drv_fail(vgt_drv *drv, const char *fmt, ...)
{
    if (drv->failed) {
        return;
    }
    drv->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vgt_error_setv(&drv->error, VGT_E_STATE, fmt, ap);
    va_end(ap);
}

/* ---- PCI configuration mechanism #1 ------------------------------------- */

static uint32_t pci_addr(uint32_t slot, uint32_t reg)
{
    return PCI_ENABLE | (slot << 11) | (reg & 0xFCu);
}

static uint32_t pci_read32(vgt_guest *g, uint32_t slot, uint32_t reg)
{
    vgt_guest_out32(g, VGT_VM_PCI_ADDRESS, pci_addr(slot, reg));
    return vgt_guest_in32(g, VGT_VM_PCI_DATA);
}

static void pci_write32(vgt_guest *g, uint32_t slot, uint32_t reg, uint32_t v)
{
    vgt_guest_out32(g, VGT_VM_PCI_ADDRESS, pci_addr(slot, reg));
    vgt_guest_out32(g, VGT_VM_PCI_DATA, v);
}

static uint16_t pci_read16(vgt_guest *g, uint32_t slot, uint32_t reg)
{
    vgt_guest_out32(g, VGT_VM_PCI_ADDRESS, pci_addr(slot, reg));
    return vgt_guest_in16(g, (uint16_t)(VGT_VM_PCI_DATA + (reg & 2u)));
}

static void pci_write16(vgt_guest *g, uint32_t slot, uint32_t reg, uint16_t v)
{
    vgt_guest_out32(g, VGT_VM_PCI_ADDRESS, pci_addr(slot, reg));
    vgt_guest_out16(g, (uint16_t)(VGT_VM_PCI_DATA + (reg & 2u)), v);
}

static uint8_t pci_read8(vgt_guest *g, uint32_t slot, uint32_t reg)
{
    vgt_guest_out32(g, VGT_VM_PCI_ADDRESS, pci_addr(slot, reg));
    return vgt_guest_in8(g, (uint16_t)(VGT_VM_PCI_DATA + (reg & 3u)));
}

/* Sizes a BAR by writing all ones; returns the size and the original value. */
static uint32_t pci_bar_size(vgt_guest *g, uint32_t slot, uint32_t bar, uint32_t *orig)
{
    uint32_t reg = 0x10u + 4u * bar;
    *orig = pci_read32(g, slot, reg);
    pci_write32(g, slot, reg, 0xFFFFFFFFu);
    uint32_t mask = pci_read32(g, slot, reg);
    pci_write32(g, slot, reg, *orig);
    mask &= (*orig & 1u) ? ~0x3u : ~0xFu;
    return mask ? ~mask + 1u : 0;
}

/* ---- registers and FIFO registers --------------------------------------- */

uint32_t vgt_drv_read_reg(vgt_drv *drv, uint32_t index)
{
    vgt_guest_out32(drv->guest, (uint16_t)(drv->io_base + VGT_SVGA_PORT_INDEX), index);
    return vgt_guest_in32(drv->guest, (uint16_t)(drv->io_base + VGT_SVGA_PORT_VALUE));
}

void vgt_drv_write_reg(vgt_drv *drv, uint32_t index, uint32_t value)
{
    vgt_guest_out32(drv->guest, (uint16_t)(drv->io_base + VGT_SVGA_PORT_INDEX), index);
    vgt_guest_out32(drv->guest, (uint16_t)(drv->io_base + VGT_SVGA_PORT_VALUE), value);
}

void vgt_drv_set_palette(vgt_drv *drv, uint32_t first, uint32_t count, const uint8_t *rgb)
{
    for (uint32_t i = 0; i < count && first + i < VGT_SVGA_MAX_PSEUDOCOLORS; i++) {
        for (uint32_t c = 0; c < 3u; c++) {
            vgt_drv_write_reg(drv, VGT_SVGA_PALETTE_BASE + 3u * (first + i) + c, rgb[3u * i + c]);
        }
    }
}

uint32_t vgt_drv_fifo_get(const vgt_drv *drv, uint32_t reg)
{
    return __atomic_load_n(&drv->fifo[reg], __ATOMIC_ACQUIRE);
}

void vgt_drv_fifo_set(vgt_drv *drv, uint32_t reg, uint32_t value)
{
    __atomic_store_n(&drv->fifo[reg], value, __ATOMIC_RELEASE);
    /* keep the cached ring bounds true (tests move them) */
    if (reg == VGT_SVGA_FIFO_MIN) {
        drv->fifo_state.min = value;
    } else if (reg == VGT_SVGA_FIFO_MAX) {
        drv->fifo_state.max = value;
    } else if (reg == VGT_SVGA_FIFO_STOP) {
        drv->fifo_state.stop = value;
    }
}

bool vgt_drv_fifo_reg_valid(const vgt_drv *drv, uint32_t reg)
{
    return vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_MIN) > (reg << 2);
}

bool vgt_drv_has_fifo_cap(const vgt_drv *drv, uint32_t cap)
{
    return (vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_CAPABILITIES) & cap) != 0;
}

/* ---- IRQs --------------------------------------------------------------- */

static void drv_irq_handler(vgt_guest *g, void *ctx)
{
    vgt_drv *drv = ctx;
    uint16_t port = (uint16_t)(drv->io_base + VGT_SVGA_PORT_IRQSTATUS);
    uint32_t flags = vgt_guest_in32(g, port);
    vgt_guest_out32(g, port, flags);
    drv->irq.count++;
    __atomic_or_fetch(&drv->irq.pending, flags, __ATOMIC_SEQ_CST);
}

uint32_t vgt_drv_clear_irq(vgt_drv *drv)
{
    return __atomic_exchange_n(&drv->irq.pending, 0, __ATOMIC_SEQ_CST);
}

static uint32_t wait_for_irq_ns(vgt_drv *drv, uint64_t timeout_ns)
{
    uint64_t deadline = vgt_now_ns() + timeout_ns;
    for (;;) {
        uint32_t flags = vgt_drv_clear_irq(drv);
        if (flags) {
            return flags;
        }
        uint64_t now = vgt_now_ns();
        if (now >= deadline) {
            return 0;
        }
        vgt_guest_irq_wait(drv->guest, deadline - now);
    }
}

uint32_t vgt_drv_wait_for_irq(vgt_drv *drv)
{
    return wait_for_irq_ns(drv, drv->timeout_ns);
}

/* ---- init and mode ------------------------------------------------------ */

/* The slot of 15AD:0405 on bus 0, or 32. */
static uint32_t pci_find(vgt_guest *guest)
{
    for (uint32_t s = 0; s < 32; s++) {
        uint32_t id = pci_read32(guest, s, 0);
        if ((id & 0xFFFFu) == VGT_SVGA_PCI_VENDOR && (id >> 16) == VGT_SVGA_PCI_DEVICE) {
            return s;
        }
    }
    return 32;
}

vgt_status vgt_drv_relocate_bars(vgt_guest *guest, uint16_t io_base, uint32_t fb_phys,
                                 uint32_t fifo_phys, vgt_error *err)
{
    uint32_t slot = pci_find(guest);
    if (slot == 32) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "driver: no SVGA II device (15ad:0405) on bus 0");
    }
    /* Decoding off while the BARs move, as an OS does, so that no half-moved
     * BAR answers in between. */
    uint16_t cmd = pci_read16(guest, slot, 0x04);
    pci_write16(guest, slot, 0x04, (uint16_t)(cmd & ~0x3u));
    const uint32_t want[3] = {(uint32_t)io_base | 1u, fb_phys, fifo_phys};
    vgt_status st = VGT_OK;
    for (uint32_t bar = 0; bar < 3 && st == VGT_OK; bar++) {
        uint32_t reg = 0x10u + 4u * bar;
        pci_write32(guest, slot, reg, want[bar]);
        uint32_t got = pci_read32(guest, slot, reg) & (bar == 0 ? ~0x3u : ~0xFu);
        if (got != (want[bar] & (bar == 0 ? ~0x3u : ~0xFu))) {
            st = vgt_error_set(err, VGT_E_STATE, "driver: BAR%u reads 0x%x after writing 0x%x", bar,
                               got, want[bar]);
        }
    }
    pci_write16(guest, slot, 0x04, cmd);
    return st;
}

vgt_status vgt_drv_init(vgt_drv *drv, vgt_guest *guest, vgt_error *err)
{
    memset(drv, 0, sizeof(*drv));
    drv->guest = guest;
    drv->timeout_ns = VGT_DRV_DEFAULT_TIMEOUT_NS;
    uint32_t slot = pci_find(guest);
    if (slot == 32) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "driver: no SVGA II device (15ad:0405) on bus 0");
    }
    drv->pci_slot = slot;
    /* Enable I/O and memory decoding. */
    pci_write16(guest, slot, 0x04, (uint16_t)(pci_read16(guest, slot, 0x04) | 0x3u));
    uint32_t bar0, bar1, bar2;
    uint32_t io_size = pci_bar_size(guest, slot, 0, &bar0);
    drv->fb_bar_size = pci_bar_size(guest, slot, 1, &bar1);
    drv->fifo_bar_size = pci_bar_size(guest, slot, 2, &bar2);
    if (!(bar0 & 1u) || io_size < VGT_SVGA_IO_BAR_SIZE || !drv->fb_bar_size ||
        !drv->fifo_bar_size) {
        return vgt_error_set(err, VGT_E_FORMAT, "driver: unexpected BARs %08x/%08x/%08x", bar0,
                             bar1, bar2);
    }
    drv->io_base = (uint16_t)(bar0 & ~0x3u);
    drv->fb_phys = bar1 & ~0xFu;
    drv->fifo_phys = bar2 & ~0xFu;
    drv->irq_line = pci_read8(guest, slot, 0x3C);
    drv->fb = vgt_guest_ptr(guest, drv->fb_phys, drv->fb_bar_size);
    drv->fifo = vgt_guest_ptr(guest, drv->fifo_phys, drv->fifo_bar_size);
    if (!drv->fb || !drv->fifo) {
        return vgt_error_set(err, VGT_E_FORMAT, "driver: BARs 0x%x/0x%x are not mapped",
                             drv->fb_phys, drv->fifo_phys);
    }

    /* Version negotiation: offer the newest, step down until it sticks. */
    uint32_t id = VGT_SVGA_ID_2;
    for (;;) {
        vgt_drv_write_reg(drv, VGT_SVGA_REG_ID, id);
        if (vgt_drv_read_reg(drv, VGT_SVGA_REG_ID) == id) {
            break;
        }
        if (id == VGT_SVGA_ID_0) {
            return vgt_error_set(err, VGT_E_VERSION, "driver: SVGA version negotiation failed");
        }
        id--;
    }
    drv->version_id = id;
    drv->fb_size = vgt_drv_read_reg(drv, VGT_SVGA_REG_FB_SIZE);
    drv->vram_size = vgt_drv_read_reg(drv, VGT_SVGA_REG_VRAM_SIZE);
    drv->fifo_size = vgt_drv_read_reg(drv, VGT_SVGA_REG_MEM_SIZE);
    if (drv->fb_size < 0x100000u || drv->fb_size > drv->fb_bar_size) {
        return vgt_error_set(err, VGT_E_FORMAT, "driver: FB size %u implausible (BAR1 %u)",
                             drv->fb_size, drv->fb_bar_size);
    }
    if (drv->fifo_size < 0x4000u || drv->fifo_size > drv->fifo_bar_size) {
        return vgt_error_set(err, VGT_E_FORMAT, "driver: FIFO size %u implausible (BAR2 %u)",
                             drv->fifo_size, drv->fifo_bar_size);
    }
    if (id >= VGT_SVGA_ID_1) {
        drv->capabilities = vgt_drv_read_reg(drv, VGT_SVGA_REG_CAPABILITIES);
    }
    drv->fifo_state.bounce = malloc(drv->fifo_size);
    if (!drv->fifo_state.bounce) {
        return vgt_error_set(err, VGT_E_NOMEM, "driver: out of memory for the bounce buffer");
    }
    drv->fifo_state.bounce_size = drv->fifo_size;
    if (drv->capabilities & VGT_SVGA_CAP_IRQMASK) {
        vgt_drv_write_reg(drv, VGT_SVGA_REG_IRQMASK, 0);
        vgt_guest_out32(guest, (uint16_t)(drv->io_base + VGT_SVGA_PORT_IRQSTATUS), 0xFF);
        vgt_drv_clear_irq(drv);
        vgt_guest_irq_set_handler(guest, drv_irq_handler, drv);
        vgt_guest_irq_enable(guest, true);
    }
    return VGT_OK;
}

void vgt_drv_fini(vgt_drv *drv)
{
    if (drv->capabilities & VGT_SVGA_CAP_IRQMASK) {
        vgt_guest_irq_set_handler(drv->guest, NULL, NULL);
    }
    free(drv->fifo_state.bounce);
    drv->fifo_state.bounce = NULL;
}

/* The mode registers, then SVGA mode on; the pitch read back. */
static vgt_status set_mode_regs(vgt_drv *drv, uint32_t width, uint32_t height, uint32_t bpp,
                                vgt_error *err)
{
    drv->width = width;
    drv->height = height;
    drv->bpp = bpp;
    vgt_drv_write_reg(drv, VGT_SVGA_REG_WIDTH, width);
    vgt_drv_write_reg(drv, VGT_SVGA_REG_HEIGHT, height);
    vgt_drv_write_reg(drv, VGT_SVGA_REG_BITS_PER_PIXEL, bpp);
    vgt_drv_write_reg(drv, VGT_SVGA_REG_ENABLE, VGT_SVGA_ENABLE_ENABLE);
    drv->pitch = vgt_drv_read_reg(drv, VGT_SVGA_REG_BYTES_PER_LINE);
    /* How the mode's pixels are laid out, as an X driver reads it. */
    drv->depth = vgt_drv_read_reg(drv, VGT_SVGA_REG_DEPTH);
    drv->red_mask = vgt_drv_read_reg(drv, VGT_SVGA_REG_RED_MASK);
    drv->green_mask = vgt_drv_read_reg(drv, VGT_SVGA_REG_GREEN_MASK);
    drv->blue_mask = vgt_drv_read_reg(drv, VGT_SVGA_REG_BLUE_MASK);
    /* A depth the device does not take (8 without SVGA_CAP_8BIT_EMULATION,
     * 12) is ignored: the read-back says so. */
    if (vgt_drv_read_reg(drv, VGT_SVGA_REG_WIDTH) != width ||
        vgt_drv_read_reg(drv, VGT_SVGA_REG_HEIGHT) != height ||
        vgt_drv_read_reg(drv, VGT_SVGA_REG_BITS_PER_PIXEL) != bpp) {
        return vgt_error_set(err, VGT_E_RANGE, "driver: mode %ux%ux%u refused", width, height, bpp);
    }
    return VGT_OK;
}

vgt_status vgt_drv_switch_mode(vgt_drv *drv, uint32_t width, uint32_t height, uint32_t bpp,
                               vgt_error *err)
{
    vgt_status st = vgt_drv_sync_to_fence(drv, vgt_drv_insert_fence(drv));
    if (st != VGT_OK) {
        return vgt_error_set(err, st, "%s", drv->error.message);
    }
    return set_mode_regs(drv, width, height, bpp, err);
}

/* Colour channel c (8 bits) in the field `mask` selects: its top bits. */
static uint32_t pack_channel(uint32_t c, uint32_t mask)
{
    if (mask == 0) {
        return 0;
    }
    uint32_t shift = (uint32_t)__builtin_ctz(mask);
    uint32_t bits = (uint32_t)__builtin_popcount(mask);
    return bits >= 8u ? c << shift : (c >> (8u - bits)) << shift;
}

uint32_t vgt_drv_pixel(const vgt_drv *drv, uint32_t rgb)
{
    return pack_channel((rgb >> 16) & 0xFFu, drv->red_mask) |
           pack_channel((rgb >> 8) & 0xFFu, drv->green_mask) |
           pack_channel(rgb & 0xFFu, drv->blue_mask);
}

void vgt_drv_put_pixel(vgt_drv *drv, uint32_t x, uint32_t y, uint32_t pixel)
{
    uint32_t bytes = (drv->bpp + 7u) / 8u;
    uint8_t *p = drv->fb + (size_t)y * drv->pitch + (size_t)x * bytes;
    for (uint32_t i = 0; i < bytes; i++) {
        p[i] = (uint8_t)(pixel >> (8u * i));
    }
}

vgt_status vgt_drv_set_mode_fb(vgt_drv *drv, uint32_t width, uint32_t height, uint32_t bpp,
                               vgt_error *err)
{
    vgt_status st = set_mode_regs(drv, width, height, bpp, err);
    if (st == VGT_OK && (drv->capabilities & VGT_SVGA_CAP_TRACES)) {
        vgt_drv_write_reg(drv, VGT_SVGA_REG_TRACES, 1); /* as vmwgfx without a FIFO */
    }
    return st;
}

vgt_status vgt_drv_set_mode_fifo(vgt_drv *drv, uint32_t width, uint32_t height, uint32_t bpp,
                                 uint32_t fifo_min, uint32_t fifo_max, vgt_error *err)
{
    vgt_status st = set_mode_regs(drv, width, height, bpp, err);
    if (st != VGT_OK) {
        return st;
    }
    /* As vmwgfx with a FIFO: its UPDATEs say what changed, so the host
     * need not trace the framebuffer while the FIFO runs. */
    if (drv->capabilities & VGT_SVGA_CAP_TRACES) {
        vgt_drv_write_reg(drv, VGT_SVGA_REG_TRACES, 0);
    }

    /* The FIFO: registers first, then the ring. */
    vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_MIN, fifo_min);
    vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_MAX, fifo_max);
    vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_NEXT_CMD, fifo_min);
    vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_STOP, fifo_min);
    drv->fifo_state.reserved_size = 0;
    drv->fifo_state.using_bounce = false;
    if ((drv->capabilities & VGT_SVGA_CAP_EXTENDED_FIFO) &&
        vgt_drv_fifo_reg_valid(drv, VGT_SVGA_FIFO_GUEST_3D_HWVERSION)) {
        vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_GUEST_3D_HWVERSION, 0); /* no 3D in this driver */
    }
    vgt_drv_write_reg(drv, VGT_SVGA_REG_CONFIG_DONE, 1);
    drv->fifo_state.fifo_caps = vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_CAPABILITIES);
    drv->use_irq = (drv->capabilities & VGT_SVGA_CAP_IRQMASK) &&
                   vgt_drv_fifo_reg_valid(drv, VGT_SVGA_FIFO_FENCE_GOAL);

    /* IRQ sanity check, as the reference driver does: a fence, a legacy
     * sync, and the ANY_FENCE interrupt must have arrived. */
    if (drv->capabilities & VGT_SVGA_CAP_IRQMASK) {
        vgt_drv_write_reg(drv, VGT_SVGA_REG_IRQMASK, VGT_SVGA_IRQ_ANY_FENCE);
        vgt_drv_clear_irq(drv);
        vgt_drv_insert_fence(drv);
        if (vgt_drv_sync_all(drv) != VGT_OK) {
            return vgt_error_set(err, VGT_E_STATE, "driver: %s", drv->error.message);
        }
        vgt_drv_write_reg(drv, VGT_SVGA_REG_IRQMASK, 0);
        if (!(__atomic_load_n(&drv->irq.pending, __ATOMIC_SEQ_CST) & VGT_SVGA_IRQ_ANY_FENCE)) {
            return vgt_error_set(err, VGT_E_STATE, "driver: SVGA IRQ present but broken");
        }
        vgt_drv_wait_for_irq(drv);
    }
    if (drv->failed) {
        return vgt_error_set(err, drv->error.code, "driver: %s", drv->error.message);
    }
    return VGT_OK;
}

vgt_status vgt_drv_set_mode(vgt_drv *drv, uint32_t width, uint32_t height, uint32_t bpp,
                            vgt_error *err)
{
    return vgt_drv_set_mode_fifo(drv, width, height, bpp, VGT_SVGA_FIFO_NUM_REGS * 4u,
                                 drv->fifo_size, err);
}

/* ---- FIFO --------------------------------------------------------------- */

static bool drv_reserveable(const vgt_drv *drv)
{
    return !drv->no_reserve && (drv->fifo_state.fifo_caps & VGT_SVGA_FIFO_CAP_RESERVE);
}

/* Waits for FIFO space: FIFO_PROGRESS IRQ when possible, else one legacy sync. */
static void fifo_full(vgt_drv *drv)
{
    if (drv->use_irq) {
        vgt_drv_write_reg(drv, VGT_SVGA_REG_IRQMASK, VGT_SVGA_IRQ_FIFO_PROGRESS);
        vgt_drv_clear_irq(drv);
        vgt_drv_ring_doorbell(drv);
        /* Short slices: progress may have happened before the mask was set. */
        wait_for_irq_ns(drv, IRQ_SLICE_NS);
        vgt_drv_write_reg(drv, VGT_SVGA_REG_IRQMASK, 0);
    } else {
        vgt_drv_write_reg(drv, VGT_SVGA_REG_SYNC, 1);
        vgt_drv_read_reg(drv, VGT_SVGA_REG_BUSY);
    }
}

void *vgt_drv_fifo_reserve(vgt_drv *drv, uint32_t bytes)
{
    if (drv->failed) {
        return NULL;
    }
    uint32_t max = drv->fifo_state.max;
    uint32_t min = drv->fifo_state.min;
    uint32_t next = vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_NEXT_CMD);
    bool reserveable = drv_reserveable(drv);
    if (bytes == 0 || bytes > drv->fifo_state.bounce_size || bytes > max - min - 4u) {
        drv_fail(drv, "FIFO command of %u bytes too large", bytes);
        return NULL;
    }
    if (bytes % 4u) {
        drv_fail(drv, "FIFO command length %u not 32-bit aligned", bytes);
        return NULL;
    }
    if (drv->fifo_state.reserved_size != 0) {
        drv_fail(drv, "FIFO reserve before commit");
        return NULL;
    }
    uint64_t start = 0;
    bool fresh = false; /* stop read from the register in this call */
    for (;;) {
        uint32_t stop = drv->fifo_state.stop;
        bool in_place = false, bounce = false;
        if (next >= stop) {
            /* No data between next and max. */
            if (next + bytes < max || (next + bytes == max && stop > min)) {
                in_place = true;
            } else if ((max - next) + (stop - min) <= bytes) {
                /* Full: keep one word free so full and empty differ. */
            } else {
                bounce = true;
            }
        } else if (next + bytes < stop) {
            in_place = true;
        }
        if (in_place) {
            if (reserveable || bytes <= 4u) {
                drv->fifo_state.using_bounce = false;
                drv->fifo_state.reserved_size = bytes;
                if (reserveable) {
                    vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_RESERVED, bytes);
                }
                return (uint8_t *)drv->fifo + next;
            }
            bounce = true; /* the device may not keep unreserved FIFO words */
        }
        if (bounce && fresh) {
            drv->fifo_state.using_bounce = true;
            drv->fifo_state.reserved_size = bytes;
            return drv->fifo_state.bounce;
        }
        if (!fresh) {
            /* Short of space (or about to wrap) by the cached STOP: look at
             * the device's progress before bouncing or waiting. */
            drv->fifo_state.stop = vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_STOP);
            fresh = true;
            continue;
        }
        uint64_t now = vgt_now_ns();
        if (!start) {
            start = now;
        }
        if (now - start < FULL_SPIN_NS) {
            /* The device usually frees space within microseconds: look again
             * before paying for an interrupt round trip. */
            cpu_relax();
            drv->fifo_state.stop = vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_STOP);
            continue;
        }
        if (now - start > drv->timeout_ns) {
            drv_fail(drv, "FIFO full for %llu ms (device not consuming: STOP 0x%x NEXT 0x%x)",
                     (unsigned long long)(drv->timeout_ns / 1000000u), stop, next);
            return NULL;
        }
        fifo_full(drv);
        drv->fifo_state.stop = vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_STOP);
    }
}

void vgt_drv_fifo_commit(vgt_drv *drv, uint32_t bytes)
{
    if (drv->failed) {
        return;
    }
    uint32_t next = vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_NEXT_CMD);
    uint32_t max = drv->fifo_state.max;
    uint32_t min = drv->fifo_state.min;
    bool reserveable = drv_reserveable(drv);
    if (drv->fifo_state.reserved_size == 0) {
        drv_fail(drv, "FIFO commit before reserve");
        return;
    }
    if (bytes > drv->fifo_state.reserved_size || bytes % 4u) {
        drv_fail(drv, "FIFO commit of %u bytes (reserved %u)", bytes,
                 drv->fifo_state.reserved_size);
        return;
    }
    drv->fifo_state.reserved_size = 0;
    if (drv->fifo_state.using_bounce) {
        uint8_t *buf = drv->fifo_state.bounce;
        if (reserveable) {
            /* Two chunks: up to MAX, then from MIN. */
            uint32_t chunk = bytes < max - next ? bytes : max - next;
            vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_RESERVED, bytes);
            memcpy((uint8_t *)drv->fifo + next, buf, chunk);
            memcpy((uint8_t *)drv->fifo + min, buf + chunk, bytes - chunk);
        } else {
            /* One word at a time, moving NEXT_CMD as we go. */
            for (uint32_t i = 0; i < bytes; i += 4u) {
                uint32_t w;
                memcpy(&w, buf + i, 4);
                drv->fifo[next / 4u] = w;
                next += 4u;
                if (next == max) {
                    next = min;
                }
                vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_NEXT_CMD, next);
            }
        }
    }
    if (!drv->fifo_state.using_bounce || reserveable) {
        next += bytes;
        if (next >= max) {
            next -= max - min;
        }
        vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_NEXT_CMD, next);
    }
    if (reserveable) {
        vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_RESERVED, 0);
    }
#ifdef VGT_SHAKE
    /* make shake's build (docs/conventions.md): after about a third of the
     * commits, IRQMASK written again with its own value, as the fence wait
     * writes it, so that a register_write record can fall between any two
     * batches of a live capture (the device's pass, shaken too, is short). */
    if (vgt_shake_below(VGT_SHAKE_DRIVER, 3u) == 0 && (drv->capabilities & VGT_SVGA_CAP_IRQMASK)) {
        vgt_drv_write_reg(drv, VGT_SVGA_REG_IRQMASK, vgt_drv_read_reg(drv, VGT_SVGA_REG_IRQMASK));
    }
#endif
}

void vgt_drv_fifo_commit_all(vgt_drv *drv)
{
    vgt_drv_fifo_commit(drv, drv->fifo_state.reserved_size);
}

void *vgt_drv_fifo_reserve_cmd(vgt_drv *drv, uint32_t type, uint32_t bytes)
{
    uint32_t *cmd = vgt_drv_fifo_reserve(drv, bytes + 4u);
    if (!cmd) {
        return NULL;
    }
    cmd[0] = type;
    return cmd + 1;
}

void *vgt_drv_fifo_reserve_escape(vgt_drv *drv, uint32_t nsid, uint32_t bytes)
{
    uint32_t padded = (bytes + 3u) & ~3u;
    uint32_t *h = vgt_drv_fifo_reserve(drv, padded + 12u);
    if (!h) {
        return NULL;
    }
    h[0] = VGT_SVGA_CMD_ESCAPE;
    h[1] = nsid;
    h[2] = bytes;
    return h + 3;
}

/* ---- fences ------------------------------------------------------------- */

uint32_t vgt_drv_insert_fence(vgt_drv *drv)
{
    if (!(drv->fifo_state.fifo_caps & VGT_SVGA_FIFO_CAP_FENCE)) {
        return 1;
    }
    if (drv->fifo_state.next_fence == 0) {
        drv->fifo_state.next_fence = 1;
    }
    uint32_t fence = drv->fifo_state.next_fence++;
    uint32_t *cmd = vgt_drv_fifo_reserve(drv, 8);
    if (!cmd) {
        return fence;
    }
    cmd[0] = VGT_SVGA_CMD_FENCE;
    cmd[1] = fence;
    vgt_drv_fifo_commit_all(drv);
    return fence;
}

bool vgt_drv_has_fence_passed(const vgt_drv *drv, uint32_t fence)
{
    if (!fence) {
        return true;
    }
    if (!vgt_drv_has_fifo_cap(drv, VGT_SVGA_FIFO_CAP_FENCE)) {
        return false;
    }
    return (int32_t)(vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_FENCE) - fence) >= 0;
}

void vgt_drv_ring_doorbell(vgt_drv *drv)
{
    /* A full barrier between the NEXT_CMD already stored and the read of
     * FIFO_BUSY, as a real driver has (Linux vmwgfx: mb() after writing
     * NEXT_CMD, then a cmpxchg of FIFO_BUSY from 0 to 1): the device does
     * the mirror image (FIFO_BUSY = 0, then NEXT_CMD) before it sleeps, so
     * one of the two sees the other's store.  Here, not in every store of
     * NEXT_CMD: a commit that rings no doorbell pays nothing for it.
     * gcc's ThreadSanitizer warns that it does not model fences (-Wtsan);
     * silenced here alone, as it is safe: the fence orders a store before a
     * load of two other atomics, an order TSan's happens-before has no
     * notion of anyway, and with every access involved atomic TSan has no
     * race to report on them (docs/device.md "Threads and locking"). */
#if defined(__SANITIZE_THREAD__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wtsan"
#endif
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
#if defined(__SANITIZE_THREAD__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif
    if (vgt_drv_fifo_reg_valid(drv, VGT_SVGA_FIFO_BUSY) &&
        vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_BUSY) == 0) {
        vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_BUSY, 1);
        vgt_drv_write_reg(drv, VGT_SVGA_REG_SYNC, 1);
    }
}

vgt_status vgt_drv_sync_all(vgt_drv *drv)
{
    uint64_t start = vgt_now_ns();
    vgt_drv_write_reg(drv, VGT_SVGA_REG_SYNC, 1);
    while (vgt_drv_read_reg(drv, VGT_SVGA_REG_BUSY) != 0) {
        if (vgt_now_ns() - start > drv->timeout_ns) {
            drv_fail(drv, "legacy sync: BUSY stayed set");
            return drv->error.code;
        }
    }
    return VGT_OK;
}

vgt_status vgt_drv_sync_to_fence(vgt_drv *drv, uint32_t fence)
{
    if (drv->failed) {
        return drv->error.code;
    }
    if (!fence) {
        return VGT_OK;
    }
    if (!vgt_drv_has_fifo_cap(drv, VGT_SVGA_FIFO_CAP_FENCE)) {
        return vgt_drv_sync_all(drv);
    }
    if (vgt_drv_has_fence_passed(drv, fence)) {
        return VGT_OK;
    }
    uint64_t start = vgt_now_ns();
    if (drv->use_irq) {
        vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_FENCE_GOAL, fence);
        vgt_drv_write_reg(drv, VGT_SVGA_REG_IRQMASK, VGT_SVGA_IRQ_FENCE_GOAL);
        vgt_drv_clear_irq(drv);
        if (!vgt_drv_has_fence_passed(drv, fence)) {
            vgt_drv_ring_doorbell(drv);
            while (!vgt_drv_has_fence_passed(drv, fence) &&
                   vgt_now_ns() - start <= drv->timeout_ns) {
                wait_for_irq_ns(drv, IRQ_SLICE_NS);
            }
        }
        vgt_drv_write_reg(drv, VGT_SVGA_REG_IRQMASK, 0);
    } else {
        bool busy = true;
        vgt_drv_write_reg(drv, VGT_SVGA_REG_SYNC, 1);
        while (!vgt_drv_has_fence_passed(drv, fence) && busy &&
               vgt_now_ns() - start <= drv->timeout_ns) {
            busy = vgt_drv_read_reg(drv, VGT_SVGA_REG_BUSY) != 0;
        }
    }
    if (!vgt_drv_has_fence_passed(drv, fence)) {
        drv_fail(drv, "sync to fence %u failed (FIFO_FENCE is %u)", fence,
                 vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_FENCE));
        return drv->error.code;
    }
    return VGT_OK;
}

/* ---- 2D ----------------------------------------------------------------- */

void vgt_drv_update(vgt_drv *drv, uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
    uint32_t *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_UPDATE, 16);
    if (!c) {
        return;
    }
    c[0] = x;
    c[1] = y;
    c[2] = w;
    c[3] = h;
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv_rect_copy(vgt_drv *drv, uint32_t sx, uint32_t sy, uint32_t dx, uint32_t dy, uint32_t w,
                       uint32_t h)
{
    uint32_t *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_RECT_COPY, 24);
    if (!c) {
        return;
    }
    c[0] = sx;
    c[1] = sy;
    c[2] = dx;
    c[3] = dy;
    c[4] = w;
    c[5] = h;
    vgt_drv_fifo_commit_all(drv);
}

uint32_t *vgt_drv_begin_define_alpha_cursor(vgt_drv *drv, uint32_t hot_x, uint32_t hot_y,
                                            uint32_t w, uint32_t h)
{
    uint32_t *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR, 20u + w * h * 4u);
    if (!c) {
        return NULL;
    }
    c[0] = 0;
    c[1] = hot_x;
    c[2] = hot_y;
    c[3] = w;
    c[4] = h;
    return c + 5;
}

bool vgt_drv_begin_define_cursor(vgt_drv *drv, const vgt_svga_cmd_define_cursor *info,
                                 void **and_mask, void **xor_mask)
{
    uint32_t and_pitch = ((info->and_mask_depth * info->width + 31u) >> 5) << 2;
    uint32_t xor_pitch = ((info->xor_mask_depth * info->width + 31u) >> 5) << 2;
    uint32_t and_size = and_pitch * info->height, xor_size = xor_pitch * info->height;
    uint8_t *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_DEFINE_CURSOR,
                                          (uint32_t)sizeof(*info) + and_size + xor_size);
    if (!c) {
        return false;
    }
    memcpy(c, info, sizeof(*info));
    *and_mask = c + sizeof(*info);
    *xor_mask = c + sizeof(*info) + and_size;
    return true;
}

void vgt_drv_move_cursor(vgt_drv *drv, uint32_t visible, uint32_t x, uint32_t y)
{
    if (vgt_drv_has_fifo_cap(drv, VGT_SVGA_FIFO_CAP_CURSOR_BYPASS_3)) {
        vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_CURSOR_ON, visible);
        vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_CURSOR_X, x);
        vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_CURSOR_Y, y);
        vgt_drv_fifo_set(drv, VGT_SVGA_FIFO_CURSOR_COUNT,
                         vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_CURSOR_COUNT) + 1u);
    } else {
        vgt_drv_write_reg(drv, VGT_SVGA_REG_CURSOR_ID, 0);
        vgt_drv_write_reg(drv, VGT_SVGA_REG_CURSOR_X, x);
        vgt_drv_write_reg(drv, VGT_SVGA_REG_CURSOR_Y, y);
        vgt_drv_write_reg(drv, VGT_SVGA_REG_CURSOR_ON, visible);
    }
}

void vgt_drv_define_screen(vgt_drv *drv, const vgt_svga_screen_object *screen)
{
    uint32_t size = screen->struct_size;
    if (size < VGT_SVGA_SCREEN_OBJECT_V1_BYTES || size > sizeof(*screen) || size % 4u) {
        drv_fail(drv, "screen object size %u", size);
        return;
    }
    void *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_DEFINE_SCREEN, size);
    if (!c) {
        return;
    }
    memcpy(c, screen, size);
    vgt_drv_fifo_commit_all(drv);
}

/* ---- video overlay ------------------------------------------------------ */

void vgt_drv_video_set_regs(vgt_drv *drv, uint32_t stream, const uint32_t *regs, uint32_t n)
{
    uint32_t *c = vgt_drv_fifo_reserve_escape(drv, VGT_SVGA_ESCAPE_NSID_VMWARE, 8u + 8u * n);
    if (!c) {
        return;
    }
    c[0] = VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS;
    c[1] = stream;
    memcpy(c + 2, regs, 8u * n);
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv_video_set_all_regs(vgt_drv *drv, uint32_t stream, const uint32_t *values,
                                uint32_t max_reg)
{
    uint32_t n = max_reg + 1u;
    uint32_t *c = vgt_drv_fifo_reserve_escape(drv, VGT_SVGA_ESCAPE_NSID_VMWARE, 8u + 8u * n);
    if (!c) {
        return;
    }
    c[0] = VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS;
    c[1] = stream;
    for (uint32_t i = 0; i < n; i++) {
        c[2u + 2u * i] = i;
        c[3u + 2u * i] = values[i];
    }
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv_video_flush(vgt_drv *drv, uint32_t stream)
{
    uint32_t *c = vgt_drv_fifo_reserve_escape(drv, VGT_SVGA_ESCAPE_NSID_VMWARE, 8u);
    if (!c) {
        return;
    }
    c[0] = VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH;
    c[1] = stream;
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv_destroy_screen(vgt_drv *drv, uint32_t id)
{
    uint32_t *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_DESTROY_SCREEN, 4);
    if (!c) {
        return;
    }
    c[0] = id;
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv_define_gmrfb(vgt_drv *drv, vgt_svga_guest_ptr ptr, uint32_t bytes_per_line,
                          uint32_t format)
{
    vgt_svga_cmd_define_gmrfb body = {
        .ptr = ptr, .bytes_per_line = bytes_per_line, .format = format};
    void *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_DEFINE_GMRFB, sizeof(body));
    if (!c) {
        return;
    }
    memcpy(c, &body, sizeof(body));
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv_blit_gmrfb_to_screen(vgt_drv *drv, vgt_svga_signed_point src,
                                  vgt_svga_signed_rect dest, uint32_t screen_id)
{
    vgt_svga_cmd_blit_gmrfb_to_screen body = {
        .src_origin = src, .dest_rect = dest, .dest_screen_id = screen_id};
    void *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, sizeof(body));
    if (!c) {
        return;
    }
    memcpy(c, &body, sizeof(body));
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv_blit_screen_to_gmrfb(vgt_drv *drv, vgt_svga_signed_point dest,
                                  vgt_svga_signed_rect src, uint32_t screen_id)
{
    vgt_svga_cmd_blit_screen_to_gmrfb body = {
        .dest_origin = dest, .src_rect = src, .src_screen_id = screen_id};
    void *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, sizeof(body));
    if (!c) {
        return;
    }
    memcpy(c, &body, sizeof(body));
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv_annotate_fill(vgt_drv *drv, uint32_t color)
{
    uint32_t *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_ANNOTATION_FILL, 4);
    if (!c) {
        return;
    }
    c[0] = color;
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv_annotate_copy(vgt_drv *drv, vgt_svga_signed_point src, uint32_t screen_id)
{
    vgt_svga_cmd_annotation_copy body = {.src_origin = src, .src_screen_id = screen_id};
    void *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_ANNOTATION_COPY, sizeof(body));
    if (!c) {
        return;
    }
    memcpy(c, &body, sizeof(body));
    vgt_drv_fifo_commit_all(drv);
}

/* ---- GMRs --------------------------------------------------------------- */

vgt_status vgt_drv_gmr_define(vgt_drv *drv, uint32_t gmr_id, const vgt_svga_gmr_descriptor *desc,
                              uint32_t n)
{
    const uint32_t per_page = VGT_SVGA_PAGE_SIZE / 8u - 1u; /* last slot: continuation */
    uint32_t pages = n ? (n + per_page - 1u) / per_page : 0;
    uint64_t *phys = pages ? calloc(pages, sizeof(*phys)) : NULL;
    if (pages && !phys) {
        drv_fail(drv, "GMR %u: out of memory", gmr_id);
        return VGT_E_NOMEM;
    }
    for (uint32_t p = 0; p < pages; p++) {
        phys[p] = vgt_guest_alloc_pages(drv->guest, 1);
        if (!phys[p]) {
            for (uint32_t q = 0; q < p; q++) {
                vgt_guest_free_pages(drv->guest, phys[q], 1);
            }
            free(phys);
            drv_fail(drv, "GMR %u: out of guest pages for descriptors", gmr_id);
            return VGT_E_NOMEM;
        }
    }
    for (uint32_t p = 0; p < pages; p++) {
        uint32_t *d = vgt_guest_ptr(drv->guest, phys[p], VGT_SVGA_PAGE_SIZE);
        uint32_t first = p * per_page;
        uint32_t cnt = n - first < per_page ? n - first : per_page;
        for (uint32_t i = 0; i < cnt; i++) {
            d[2 * i] = desc[first + i].ppn;
            d[2 * i + 1] = desc[first + i].num_pages;
        }
        /* Continue on the next page, or terminate. */
        d[2 * cnt] = p + 1 < pages ? (uint32_t)(phys[p + 1] / VGT_SVGA_PAGE_SIZE) : 0u;
        d[2 * cnt + 1] = 0;
    }
    vgt_drv_write_reg(drv, VGT_SVGA_REG_GMR_ID, gmr_id);
    vgt_drv_write_reg(drv, VGT_SVGA_REG_GMR_DESCRIPTOR,
                      pages ? (uint32_t)(phys[0] / VGT_SVGA_PAGE_SIZE) : 0u);
    /* The device read the descriptors synchronously: clobber and free them. */
    for (uint32_t p = 0; p < pages; p++) {
        memset(vgt_guest_ptr(drv->guest, phys[p], VGT_SVGA_PAGE_SIZE), 0xAA, VGT_SVGA_PAGE_SIZE);
        vgt_guest_free_pages(drv->guest, phys[p], 1);
    }
    free(phys);
    return VGT_OK;
}

vgt_status vgt_drv_gmr_define_contiguous(vgt_drv *drv, uint32_t gmr_id, uint32_t pages,
                                         uint64_t *phys)
{
    uint64_t p = vgt_guest_alloc_pages(drv->guest, pages);
    if (!p) {
        drv_fail(drv, "GMR %u: out of guest pages (%u)", gmr_id, pages);
        return VGT_E_NOMEM;
    }
    vgt_svga_gmr_descriptor d = {.ppn = (uint32_t)(p / VGT_SVGA_PAGE_SIZE), .num_pages = pages};
    *phys = p;
    return vgt_drv_gmr_define(drv, gmr_id, &d, 1);
}

void vgt_drv_gmr2_define(vgt_drv *drv, uint32_t gmr_id, uint32_t num_pages)
{
    uint32_t *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_DEFINE_GMR2, 8);
    if (!c) {
        return;
    }
    c[0] = gmr_id;
    c[1] = num_pages;
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv_gmr2_remap(vgt_drv *drv, uint32_t gmr_id, uint32_t flags, uint32_t offset_pages,
                        uint32_t num_pages, const uint64_t *ppns)
{
    uint32_t entries = (flags & VGT_SVGA_REMAP_GMR2_SINGLE_PPN) ? 1u : num_pages;
    uint32_t ew = (flags & VGT_SVGA_REMAP_GMR2_PPN64) ? 2u : 1u;
    uint32_t *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_REMAP_GMR2, 16u + entries * ew * 4u);
    if (!c) {
        return;
    }
    c[0] = gmr_id;
    c[1] = flags & ~VGT_SVGA_REMAP_GMR2_VIA_GMR;
    c[2] = offset_pages;
    c[3] = num_pages;
    for (uint32_t i = 0; i < entries; i++) {
        if (ew == 2) {
            c[4 + 2 * i] = (uint32_t)ppns[i];
            c[5 + 2 * i] = (uint32_t)(ppns[i] >> 32);
        } else {
            c[4 + i] = (uint32_t)ppns[i];
        }
    }
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv_gmr2_remap_via(vgt_drv *drv, uint32_t gmr_id, uint32_t flags, uint32_t offset_pages,
                            uint32_t num_pages, vgt_svga_guest_ptr list)
{
    uint32_t *c = vgt_drv_fifo_reserve_cmd(drv, VGT_SVGA_CMD_REMAP_GMR2, 24);
    if (!c) {
        return;
    }
    c[0] = gmr_id;
    c[1] = flags | VGT_SVGA_REMAP_GMR2_VIA_GMR;
    c[2] = offset_pages;
    c[3] = num_pages;
    c[4] = list.gmr_id;
    c[5] = list.offset;
    vgt_drv_fifo_commit_all(drv);
}
