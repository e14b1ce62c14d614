/* vm.c - the VM harness: guest-physical memory, a page allocator, PCI
 * configuration mechanism #1, port I/O dispatch, the BARs, an interrupt line
 * and the guest thread.  One user of the device API. */
#include "vgt_device.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PCI_CMD_IO  0x1u
#define PCI_CMD_MEM 0x2u

struct vgt_guest {
    vgt_vm *vm;
};

struct vgt_vm {
    vgt_vm_config cfg;
    bool identity;
    uint8_t *ram;
    uint64_t ram_size, ram_pages;
    uint8_t *vram;
    uint32_t vram_size;
    uint8_t *fifo;
    uint32_t fifo_size;
    vgt_device *dev;
    vgt_guest guest;
    uint64_t guest_cpu_ns; /* the last run's guest thread */

    /* page allocator (guest RAM pages; one byte per page) */
    pthread_mutex_t alloc_mu;
    uint8_t *page_used;
    uint64_t alloc_hint;

    /* PCI configuration space of 00:0f.0 */
    uint32_t cf8;
    uint8_t pci[256];
    uint32_t bar_addr[3], bar_size[3], bar_flags[3];
    bool bar_sizing[3];
    char bar_note[VGT_ERROR_MESSAGE_MAX]; /* the last refused relocation (identity map) */

    /* interrupt line */
    pthread_mutex_t irq_mu;
    pthread_cond_t irq_cv;
    int line; /* atomic */
    vgt_guest_irq_handler handler;
    void *handler_ctx;
    bool irq_enabled;
    bool in_handler;

    /* the host's display refresh (refresh_hz > 0: a timer thread while the
     * guest runs); `refreshes` counts the timer's, which a guest waiting
     * for the next one watches */
    pthread_mutex_t refresh_mu;
    pthread_cond_t refresh_cv;
    pthread_t refresh_thread;
    bool refresh_running, refresh_quit, refresh_showed;
    uint64_t refreshes;
};

/* ---- memory ------------------------------------------------------------- */

static void *map_region(uint64_t addr, uint64_t size, bool fixed, vgt_error *err, const char *what)
{
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    void *want = NULL;
    if (fixed) {
        flags |= MAP_FIXED_NOREPLACE;
        want = (void *)(uintptr_t)addr;
    }
    void *p = mmap(want, (size_t)size, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (p == MAP_FAILED) {
        if (fixed) {
            vgt_error_set(err, VGT_E_NOMEM,
                          "identity map: cannot map %s (%llu bytes) at 0x%llx: %s (the address "
                          "range is taken; run without the identity option)",
                          what, (unsigned long long)size, (unsigned long long)addr,
                          strerror(errno));
        } else {
            vgt_error_set(err, VGT_E_NOMEM, "cannot map %s (%llu bytes): %s", what,
                          (unsigned long long)size, strerror(errno));
        }
        return NULL;
    }
    if (fixed && p != want) {
        munmap(p, (size_t)size);
        vgt_error_set(err, VGT_E_NOMEM,
                      "identity map: the kernel placed %s at %p instead of 0x%llx "
                      "(MAP_FIXED_NOREPLACE unsupported?)",
                      what, p, (unsigned long long)addr);
        return NULL;
    }
    return p;
}

static uint8_t *ram_page(void *ctx, uint64_t ppn)
{
    vgt_vm *vm = ctx;
    uint64_t first = VGT_VM_RAM_BASE / VGT_SVGA_PAGE_SIZE;
    if (ppn < first || ppn - first >= vm->ram_pages) {
        return NULL;
    }
    return vm->ram + (ppn - first) * VGT_SVGA_PAGE_SIZE;
}

static void vm_irq(void *ctx, bool level)
{
    vgt_vm *vm = ctx;
    pthread_mutex_lock(&vm->irq_mu);
    __atomic_store_n(&vm->line, level ? 1 : 0, __ATOMIC_RELEASE);
    if (level) {
        pthread_cond_broadcast(&vm->irq_cv);
    }
    pthread_mutex_unlock(&vm->irq_mu);
}

/* ---- PCI ---------------------------------------------------------------- */

static void pci_put16(uint8_t *p, uint32_t off, uint16_t v)
{
    vgt_store_le16(p + off, v);
}

static void pci_init(vgt_vm *vm)
{
    memset(vm->pci, 0, sizeof(vm->pci));
    pci_put16(vm->pci, 0x00, VGT_SVGA_PCI_VENDOR);
    pci_put16(vm->pci, 0x02, VGT_SVGA_PCI_DEVICE);
    pci_put16(vm->pci, 0x04, 0);      /* command: firmware leaves decode off */
    pci_put16(vm->pci, 0x06, 0x0010); /* status: capabilities list absent, 0x10 unused */
    vm->pci[0x08] = 0x00;             /* revision */
    vm->pci[0x09] = 0x00;             /* prog-if */
    vm->pci[0x0A] = 0x00;             /* subclass: VGA */
    vm->pci[0x0B] = 0x03;             /* class: display */
    vm->pci[0x0E] = 0x00;             /* header type 0 */
    pci_put16(vm->pci, 0x2C, VGT_SVGA_PCI_VENDOR);
    pci_put16(vm->pci, 0x2E, VGT_SVGA_PCI_DEVICE);
    vm->pci[0x3C] = VGT_VM_IRQ_LINE;
    vm->pci[0x3D] = 1; /* INTA# */
    vm->bar_addr[0] = VGT_VM_IO_BASE;
    vm->bar_size[0] = VGT_SVGA_IO_BAR_SIZE;
    vm->bar_flags[0] = 0x1; /* I/O space */
    vm->bar_addr[1] = VGT_VM_VRAM_BASE;
    vm->bar_size[1] = vm->vram_size;
    vm->bar_flags[1] = 0x8; /* 32-bit prefetchable memory */
    vm->bar_addr[2] = VGT_VM_FIFO_BASE;
    vm->bar_size[2] = vm->fifo_size;
    vm->bar_flags[2] = 0x0; /* 32-bit memory */
    memset(vm->bar_sizing, 0, sizeof(vm->bar_sizing));
    vm->cf8 = 0;
}

static uint32_t pci_dword(vgt_vm *vm, uint32_t reg)
{
    if (reg >= 0x10 && reg <= 0x24) {
        uint32_t bar = (reg - 0x10) / 4u;
        if (bar > 2) {
            return 0;
        }
        if (vm->bar_sizing[bar]) {
            uint32_t mask = ~(vm->bar_size[bar] - 1u);
            if (bar == 0) {
                mask &= 0xFFFFu | 0xFFFF0000u;
            }
            return mask | vm->bar_flags[bar];
        }
        return vm->bar_addr[bar] | vm->bar_flags[bar];
    }
    return vgt_load_le32(vm->pci + reg);
}

/* Stores BAR `bar`'s new base: the written value with the bits below the
 * BAR's size (its alignment, and with them the read-only type bits) cleared,
 * as a real BAR's address bits below its size are hardwired to zero.  The
 * identity map cannot move: the device thread holds pointers into the fixed
 * mappings and the guest dereferences the old physical addresses, so there a
 * move is refused (the BAR keeps its old base) and noted. */
static void bar_move(vgt_vm *vm, uint32_t bar, uint32_t written)
{
    uint32_t base = written & ~(vm->bar_size[bar] - 1u);
    if (base == vm->bar_addr[bar]) {
        return;
    }
    if (vm->identity) {
        snprintf(vm->bar_note, sizeof(vm->bar_note),
                 "vm: BAR%u relocation to 0x%x refused: the identity map keeps it at 0x%x", bar,
                 base, vm->bar_addr[bar]);
        return;
    }
    vm->bar_addr[bar] = base;
    if (bar > 0) {
        /* FB_START / MEM_START report where the guest put the BAR */
        vgt_device_set_bar_address(vm->dev, bar, base);
    }
}

static void pci_write_dword(vgt_vm *vm, uint32_t reg, uint32_t v, uint32_t byte_mask)
{
    uint32_t old = pci_dword(vm, reg);
    uint32_t nv = (old & ~byte_mask) | (v & byte_mask);
    if (reg == 0x04) {
        /* command: IO, memory, bus master, INTx disable are writable; status RW1C (none set) */
        uint16_t cmd = (uint16_t)((nv & 0x0407u));
        pci_put16(vm->pci, 0x04, cmd);
        return;
    }
    if (reg >= 0x10 && reg <= 0x18) {
        uint32_t bar = (reg - 0x10) / 4u;
        if ((nv | vm->bar_flags[bar] | (bar == 0 ? 0x3u : 0xFu)) == 0xFFFFFFFFu) {
            vm->bar_sizing[bar] = true; /* all ones: next read returns the size mask */
        } else {
            /* Any other write ends sizing and is the new base. */
            vm->bar_sizing[bar] = false;
            bar_move(vm, bar, nv);
        }
        return;
    }
    if (reg == 0x3C) {
        vm->pci[0x3C] = (uint8_t)(nv & 0xFF); /* interrupt line is writable scratch */
        return;
    }
    /* everything else is read-only */
}

static bool pci_selected(const vgt_vm *vm, uint32_t *reg)
{
    uint32_t a = vm->cf8;
    if (!(a & 0x80000000u)) {
        return false;
    }
    uint32_t bus = (a >> 16) & 0xFFu, dev = (a >> 11) & 0x1Fu, fn = (a >> 8) & 0x7u;
    *reg = a & 0xFCu;
    return bus == 0 && dev == VGT_VM_PCI_SLOT && fn == 0;
}

static uint32_t pci_data_read(vgt_vm *vm, uint16_t port, unsigned size)
{
    uint32_t reg;
    if (!pci_selected(vm, &reg)) {
        return 0xFFFFFFFFu;
    }
    uint32_t shift = 8u * (port - VGT_VM_PCI_DATA);
    uint32_t v = pci_dword(vm, reg) >> shift;
    return size == 1 ? (v & 0xFFu) : size == 2 ? (v & 0xFFFFu) : v;
}

static void pci_data_write(vgt_vm *vm, uint16_t port, unsigned size, uint32_t v)
{
    uint32_t reg;
    if (!pci_selected(vm, &reg)) {
        return;
    }
    uint32_t shift = 8u * (port - VGT_VM_PCI_DATA);
    uint32_t mask = size == 1 ? 0xFFu : size == 2 ? 0xFFFFu : 0xFFFFFFFFu;
    pci_write_dword(vm, reg, v << shift, mask << shift);
}

static bool io_decode(const vgt_vm *vm)
{
    return (vm->pci[0x04] & PCI_CMD_IO) != 0;
}

static bool mem_decode(const vgt_vm *vm)
{
    return (vm->pci[0x04] & PCI_CMD_MEM) != 0;
}

/* [a, a+alen) and [b, b+blen) share a byte (64-bit: no overflow). */
static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* Whether BAR `bar` answers at its base now: its space is enabled in the
 * command register, it is not being sized (it then holds its size mask),
 * its base is nonzero (0 is "unassigned" to firmware and Linux) and it
 * conflicts with nothing.  A conflicting base is kept (the guest may be
 * half way through moving things) but does not decode until it is clear:
 * rather than QEMU's priority rule for overlapping regions, because no
 * guest means an overlap and refusing both sides makes the mistake visible
 * (the driver's pointer or register read fails) instead of silently
 * shadowing RAM or the other BAR.  Conflicts: an I/O BAR past 0xFFFF or on
 * the configuration ports 0xCF8..0xCFF; a memory BAR reaching past 2 GiB
 * (the harness's 32-bit PPN design, and the identity map's range), over
 * guest RAM or over the other memory BAR. */
static bool bar_decodes(const vgt_vm *vm, uint32_t bar)
{
    uint64_t base = vm->bar_addr[bar], size = vm->bar_size[bar];
    if (vm->bar_sizing[bar] || base == 0) {
        return false;
    }
    if (bar == 0) {
        return io_decode(vm) && base + size <= 0x10000u &&
               !ranges_overlap(base, size, VGT_VM_PCI_ADDRESS, 8);
    }
    uint32_t other = bar == 1 ? 2 : 1;
    return mem_decode(vm) && base + size <= VGT_VM_BAR_LIMIT &&
           !ranges_overlap(base, size, VGT_VM_RAM_BASE, vm->ram_size) &&
           !ranges_overlap(base, size, vm->bar_addr[other], vm->bar_size[other]);
}

/* ---- interrupts --------------------------------------------------------- */

static void irq_deliver(vgt_vm *vm)
{
    if (!__atomic_load_n(&vm->line, __ATOMIC_ACQUIRE) || !vm->handler || !vm->irq_enabled ||
        vm->in_handler) {
        return;
    }
    vm->in_handler = true;
    vm->handler(&vm->guest, vm->handler_ctx);
    vm->in_handler = false;
}

void vgt_guest_irq_set_handler(vgt_guest *g, vgt_guest_irq_handler handler, void *ctx)
{
    g->vm->handler = handler;
    g->vm->handler_ctx = ctx;
}

void vgt_guest_irq_enable(vgt_guest *g, bool enabled)
{
    g->vm->irq_enabled = enabled;
}

bool vgt_guest_irq_wait(vgt_guest *g, uint64_t timeout_ns)
{
    vgt_vm *vm = g->vm;
    if (!__atomic_load_n(&vm->line, __ATOMIC_ACQUIRE)) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        uint64_t t = (uint64_t)ts.tv_nsec + timeout_ns;
        ts.tv_sec += (time_t)(t / 1000000000ull);
        ts.tv_nsec = (long)(t % 1000000000ull);
        pthread_mutex_lock(&vm->irq_mu);
        while (!__atomic_load_n(&vm->line, __ATOMIC_ACQUIRE)) {
            if (pthread_cond_timedwait(&vm->irq_cv, &vm->irq_mu, &ts) == ETIMEDOUT) {
                break;
            }
        }
        pthread_mutex_unlock(&vm->irq_mu);
    }
    if (!__atomic_load_n(&vm->line, __ATOMIC_ACQUIRE)) {
        return false;
    }
    irq_deliver(vm);
    return true;
}

/* ---- display refresh ------------------------------------------------------ */

static void *refresh_thread(void *p)
{
    vgt_vm *vm = p;
    vgt_thread_name("vgt-refresh");
    uint64_t period = 1000000000ull / vm->cfg.refresh_hz;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    pthread_mutex_lock(&vm->refresh_mu);
    while (!vm->refresh_quit) {
        uint64_t t = (uint64_t)next.tv_nsec + period;
        next.tv_sec += (time_t)(t / 1000000000ull);
        next.tv_nsec = (long)(t % 1000000000ull);
        while (!vm->refresh_quit &&
               pthread_cond_timedwait(&vm->refresh_cv, &vm->refresh_mu, &next) != ETIMEDOUT) {
        }
        if (vm->refresh_quit) {
            break;
        }
        pthread_mutex_unlock(&vm->refresh_mu);
        bool showed = vgt_device_refresh(vm->dev);
        pthread_mutex_lock(&vm->refresh_mu);
        vm->refresh_showed = showed;
        vm->refreshes++;
        pthread_cond_broadcast(&vm->refresh_cv);
    }
    pthread_mutex_unlock(&vm->refresh_mu);
    return NULL;
}

bool vgt_guest_wait_refresh(vgt_guest *g)
{
    vgt_vm *vm = g->vm;
    if (vm->cfg.refresh_hz == 0) {
        return vgt_device_refresh(vm->dev); /* on demand: now */
    }
    pthread_mutex_lock(&vm->refresh_mu);
    uint64_t seen = vm->refreshes;
    while (vm->refreshes == seen && vm->refresh_running && !vm->refresh_quit) {
        pthread_cond_wait(&vm->refresh_cv, &vm->refresh_mu);
    }
    bool showed = vm->refreshes != seen && vm->refresh_showed;
    pthread_mutex_unlock(&vm->refresh_mu);
    return showed;
}

/* ---- port I/O ----------------------------------------------------------- */

static uint32_t port_in(vgt_guest *g, uint16_t port, unsigned size)
{
    vgt_vm *vm = g->vm;
    irq_deliver(vm);
    if (port == VGT_VM_PCI_ADDRESS && size == 4) {
        return vm->cf8;
    }
    if (port >= VGT_VM_PCI_DATA && port + size <= VGT_VM_PCI_DATA + 4u) {
        return pci_data_read(vm, port, size);
    }
    if (bar_decodes(vm, 0) && port >= vm->bar_addr[0] &&
        port - vm->bar_addr[0] < VGT_SVGA_IO_BAR_SIZE) {
        return vgt_device_io_read(vm->dev, port - vm->bar_addr[0], size);
    }
    return size == 1 ? 0xFFu : size == 2 ? 0xFFFFu : 0xFFFFFFFFu;
}

static void port_out(vgt_guest *g, uint16_t port, unsigned size, uint32_t v)
{
    vgt_vm *vm = g->vm;
    irq_deliver(vm);
    if (port == VGT_VM_PCI_ADDRESS && size == 4) {
        vm->cf8 = v;
        return;
    }
    if (port >= VGT_VM_PCI_DATA && port + size <= VGT_VM_PCI_DATA + 4u) {
        pci_data_write(vm, port, size, v);
        return;
    }
    if (bar_decodes(vm, 0) && port >= vm->bar_addr[0] &&
        port - vm->bar_addr[0] < VGT_SVGA_IO_BAR_SIZE) {
        vgt_device_io_write(vm->dev, port - vm->bar_addr[0], size, v);
    }
}

uint8_t vgt_guest_in8(vgt_guest *g, uint16_t port)
{
    return (uint8_t)port_in(g, port, 1);
}
uint16_t vgt_guest_in16(vgt_guest *g, uint16_t port)
{
    return (uint16_t)port_in(g, port, 2);
}
uint32_t vgt_guest_in32(vgt_guest *g, uint16_t port)
{
    return port_in(g, port, 4);
}
void vgt_guest_out8(vgt_guest *g, uint16_t port, uint8_t value)
{
    port_out(g, port, 1, value);
}
void vgt_guest_out16(vgt_guest *g, uint16_t port, uint16_t value)
{
    port_out(g, port, 2, value);
}
void vgt_guest_out32(vgt_guest *g, uint16_t port, uint32_t value)
{
    port_out(g, port, 4, value);
}

/* ---- guest memory ------------------------------------------------------- */

uint64_t vgt_guest_alloc_pages(vgt_guest *g, uint32_t count)
{
    vgt_vm *vm = g->vm;
    if (count == 0 || count > vm->ram_pages) {
        return 0;
    }
    pthread_mutex_lock(&vm->alloc_mu);
    uint64_t found = UINT64_MAX;
    for (int pass = 0; pass < 2 && found == UINT64_MAX; pass++) {
        uint64_t start = pass == 0 ? vm->alloc_hint : 0;
        uint64_t end = pass == 0 ? vm->ram_pages : vm->alloc_hint + count;
        end = end > vm->ram_pages ? vm->ram_pages : end;
        uint64_t run = 0;
        for (uint64_t i = start; i < end; i++) {
            run = vm->page_used[i] ? 0 : run + 1;
            if (run == count) {
                found = i + 1 - count;
                break;
            }
        }
    }
    if (found != UINT64_MAX) {
        memset(vm->page_used + found, 1, count);
        vm->alloc_hint = found + count;
    }
    pthread_mutex_unlock(&vm->alloc_mu);
    if (found == UINT64_MAX) {
        return 0;
    }
    memset(vm->ram + found * VGT_SVGA_PAGE_SIZE, 0, (size_t)count * VGT_SVGA_PAGE_SIZE);
    return VGT_VM_RAM_BASE + found * VGT_SVGA_PAGE_SIZE;
}

void vgt_guest_free_pages(vgt_guest *g, uint64_t phys, uint32_t count)
{
    vgt_vm *vm = g->vm;
    if (phys < VGT_VM_RAM_BASE || (phys & (VGT_SVGA_PAGE_SIZE - 1))) {
        return;
    }
    uint64_t first = (phys - VGT_VM_RAM_BASE) / VGT_SVGA_PAGE_SIZE;
    if (first >= vm->ram_pages || count > vm->ram_pages - first) {
        return;
    }
    pthread_mutex_lock(&vm->alloc_mu);
    memset(vm->page_used + first, 0, count);
    if (first < vm->alloc_hint) {
        vm->alloc_hint = first;
    }
    pthread_mutex_unlock(&vm->alloc_mu);
}

void *vgt_guest_ptr(vgt_guest *g, uint64_t phys, uint64_t len)
{
    vgt_vm *vm = g->vm;
    if (phys >= VGT_VM_RAM_BASE && vgt_range_inside(phys - VGT_VM_RAM_BASE, len, vm->ram_size)) {
        return vm->ram + (phys - VGT_VM_RAM_BASE);
    }
    uint8_t *const host[3] = {NULL, vm->vram, vm->fifo};
    for (uint32_t bar = 1; bar < 3; bar++) {
        uint64_t base = vm->bar_addr[bar];
        if (bar_decodes(vm, bar) && phys >= base &&
            vgt_range_inside(phys - base, len, vm->bar_size[bar])) {
            return host[bar] + (phys - base);
        }
    }
    return NULL;
}

/* The guest-physical address of a host pointer: the BARs' current bases. */
uint64_t vgt_guest_phys(vgt_guest *g, const void *ptr)
{
    vgt_vm *vm = g->vm;
    uintptr_t p = (uintptr_t)ptr;
    if (p >= (uintptr_t)vm->ram && p - (uintptr_t)vm->ram < vm->ram_size) {
        return VGT_VM_RAM_BASE + (p - (uintptr_t)vm->ram);
    }
    if (p >= (uintptr_t)vm->vram && p - (uintptr_t)vm->vram < vm->vram_size) {
        return vm->bar_addr[1] + (p - (uintptr_t)vm->vram);
    }
    if (p >= (uintptr_t)vm->fifo && p - (uintptr_t)vm->fifo < vm->fifo_size) {
        return vm->bar_addr[2] + (p - (uintptr_t)vm->fifo);
    }
    return 0;
}

uint64_t vgt_guest_ram_size(vgt_guest *g)
{
    return g->vm->ram_size;
}

/* ---- VM lifecycle ------------------------------------------------------- */

void vgt_vm_config_default(vgt_vm_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->ram_size = 256ull << 20;
    cfg->identity_map = false;
    vgt_device_config_default(&cfg->device);
}

static void vm_unmap(vgt_vm *vm)
{
    if (vm->ram) {
        munmap(vm->ram, (size_t)vm->ram_size);
    }
    if (vm->vram) {
        munmap(vm->vram, vm->vram_size);
    }
    if (vm->fifo) {
        munmap(vm->fifo, vm->fifo_size);
    }
}

vgt_status vgt_vm_create(const vgt_vm_config *cfg, vgt_vm **out, vgt_error *err)
{
    *out = NULL;
    if (cfg->ram_size == 0 || cfg->ram_size % VGT_SVGA_PAGE_SIZE ||
        cfg->ram_size > VGT_VM_RAM_MAX) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "vm: RAM size %llu must be a multiple of 4 KiB up to %u MiB",
                             (unsigned long long)cfg->ram_size, VGT_VM_RAM_MAX >> 20);
    }
    if (cfg->refresh_hz > 1000) {
        return vgt_error_set(err, VGT_E_INVALID, "vm: refresh rate %u Hz is over 1000 Hz",
                             cfg->refresh_hz);
    }
    const vgt_device_config *dc = &cfg->device;
    if (dc->vram_size == 0 || (dc->vram_size & (dc->vram_size - 1)) ||
        dc->vram_size > VGT_VM_FIFO_BASE - VGT_VM_VRAM_BASE || dc->fifo_size == 0 ||
        (dc->fifo_size & (dc->fifo_size - 1)) || dc->fifo_size > (16u << 20)) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "vm: VRAM (%u) and FIFO (%u) sizes must be powers of two, VRAM <= "
                             "256 MiB, FIFO <= 16 MiB",
                             dc->vram_size, dc->fifo_size);
    }
    vgt_vm *vm = calloc(1, sizeof(*vm));
    if (!vm) {
        return vgt_error_set(err, VGT_E_NOMEM, "vm: out of memory");
    }
    vm->cfg = *cfg;
    vm->identity = cfg->identity_map;
    vm->guest.vm = vm;
    vm->ram_size = cfg->ram_size;
    vm->ram_pages = cfg->ram_size / VGT_SVGA_PAGE_SIZE;
    vm->vram_size = dc->vram_size;
    vm->fifo_size = dc->fifo_size;
    vm->irq_enabled = true;
    vgt_status st = VGT_OK;
    vm->ram = map_region(VGT_VM_RAM_BASE, vm->ram_size, vm->identity, err, "guest RAM");
    if (vm->ram) {
        vm->vram = map_region(VGT_VM_VRAM_BASE, vm->vram_size, vm->identity, err, "VRAM (BAR1)");
    }
    if (vm->vram) {
        vm->fifo = map_region(VGT_VM_FIFO_BASE, vm->fifo_size, vm->identity, err, "FIFO (BAR2)");
    }
    vm->page_used = calloc((size_t)vm->ram_pages, 1);
    if (!vm->ram || !vm->vram || !vm->fifo || !vm->page_used) {
        st = err && err->code ? err->code : VGT_E_NOMEM;
        if (!vm->page_used && vm->fifo) {
            st = vgt_error_set(err, VGT_E_NOMEM, "vm: out of memory for the page map");
        }
        vm_unmap(vm);
        free(vm->page_used);
        free(vm);
        return st;
    }
    pthread_mutex_init(&vm->alloc_mu, NULL);
    pthread_mutex_init(&vm->irq_mu, NULL);
    pthread_mutex_init(&vm->refresh_mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&vm->irq_cv, &ca);
    pthread_cond_init(&vm->refresh_cv, &ca);
    pthread_condattr_destroy(&ca);
    pci_init(vm);

    vgt_device_config dcfg = *dc;
    dcfg.vram = vm->vram;
    dcfg.fifo = vm->fifo;
    dcfg.ram.ctx = vm;
    dcfg.ram.page = ram_page;
    dcfg.irq = vm_irq;
    dcfg.irq_ctx = vm;
    st = vgt_device_create(&dcfg, &vm->dev, err);
    if (st != VGT_OK) {
        vgt_error_prefix(err, "vm");
        pthread_mutex_destroy(&vm->alloc_mu);
        pthread_mutex_destroy(&vm->irq_mu);
        pthread_cond_destroy(&vm->irq_cv);
        pthread_mutex_destroy(&vm->refresh_mu);
        pthread_cond_destroy(&vm->refresh_cv);
        vm_unmap(vm);
        free(vm->page_used);
        free(vm);
        return st;
    }
    vgt_device_set_bar_address(vm->dev, 1, VGT_VM_VRAM_BASE);
    vgt_device_set_bar_address(vm->dev, 2, VGT_VM_FIFO_BASE);
    *out = vm;
    return VGT_OK;
}

void vgt_vm_destroy(vgt_vm *vm)
{
    if (!vm) {
        return;
    }
    vgt_device_destroy(vm->dev);
    pthread_mutex_destroy(&vm->alloc_mu);
    pthread_mutex_destroy(&vm->irq_mu);
    pthread_cond_destroy(&vm->irq_cv);
    pthread_mutex_destroy(&vm->refresh_mu);
    pthread_cond_destroy(&vm->refresh_cv);
    vm_unmap(vm);
    free(vm->page_used);
    free(vm);
}

vgt_device *vgt_vm_device(vgt_vm *vm)
{
    return vm->dev;
}

vgt_guest *vgt_vm_guest(vgt_vm *vm)
{
    return &vm->guest;
}

typedef struct guest_run {
    vgt_vm *vm;
    vgt_guest_main main;
    void *arg;
    int code;
} guest_run;

static void *guest_thread(void *p)
{
    guest_run *r = p;
    vgt_thread_name("vgt-guest");
    r->code = r->main(&r->vm->guest, r->arg);
    r->vm->guest_cpu_ns = vgt_thread_cpu_ns();
    return NULL;
}

vgt_status vgt_vm_run(vgt_vm *vm, vgt_guest_main main, void *arg, int *exit_code, vgt_error *err)
{
    guest_run r = {.vm = vm, .main = main, .arg = arg, .code = -1};
    /* the host refreshes the display while the guest runs */
    vm->refresh_quit = false;
    vm->refresh_running = false;
    if (vm->cfg.refresh_hz) {
        int trc = pthread_create(&vm->refresh_thread, NULL, refresh_thread, vm);
        if (trc != 0) {
            return vgt_error_set(err, VGT_E_NOMEM, "vm: cannot start the refresh thread: %s",
                                 strerror(trc));
        }
        vm->refresh_running = true;
    }
    pthread_t t;
    int rc = pthread_create(&t, NULL, guest_thread, &r);
    if (rc == 0) {
        pthread_join(t, NULL);
    }
    if (vm->refresh_running) {
        pthread_mutex_lock(&vm->refresh_mu);
        vm->refresh_quit = true;
        pthread_cond_broadcast(&vm->refresh_cv);
        pthread_mutex_unlock(&vm->refresh_mu);
        pthread_join(vm->refresh_thread, NULL);
        vm->refresh_running = false;
    }
    if (rc != 0) {
        return vgt_error_set(err, VGT_E_NOMEM, "vm: cannot start the guest thread: %s",
                             strerror(rc));
    }
    if (exit_code) {
        *exit_code = r.code;
    }
    return VGT_OK;
}

const char *vgt_vm_bar_note(const vgt_vm *vm)
{
    return vm->bar_note;
}

uint64_t vgt_vm_guest_cpu_ns(const vgt_vm *vm)
{
    return vm->guest_cpu_ns;
}
