/* vgt_device.h - the virtual SVGA II device and the VM harness that runs a
 * guest program against it.
 *
 * The device (vgt_device_*) is what a VMM embeds: registers behind an I/O
 * BAR, VRAM (BAR1) and FIFO memory (BAR2), a FIFO consumer thread (the
 * "MKS" thread), GMRs, fences and IRQs.  Commands are copied out of FIFO
 * memory once, decoded by protocol/ and executed by replay/'s executor; the
 * device itself executes only FENCE, DEFINE_GMR2 and REMAP_GMR2 (and counts
 * ESCAPEs, whose video overlay escapes the executor runs).
 * Capture plugs into the taps (vgt_device_taps) without the device
 * depending on it.
 *
 * The VM harness (vgt_vm_*, vgt_guest_*) is one embedder: guest-physical
 * RAM in 4 KiB pages, PCI configuration mechanism #1 on ports 0xCF8/0xCFC,
 * port I/O, the BARs at guest-physical addresses, an interrupt line, and a
 * guest thread.  Porting a bare-metal SVGA driver to it means implementing
 * in/out, page allocation and interrupt wait on top of vgt_guest_*.
 *
 * See docs/device.md for the register semantics, FIFO rules, the frame rule,
 * the reactions to bad guest behaviour, threads and locking.
 */
#ifndef VGT_DEVICE_H
#define VGT_DEVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vgt_base.h"
#include "vgt_protocol.h"
#include "vgt_replay.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvgt.so exports every function this header declares and nothing else:
 * its objects are built with -fvisibility=hidden (cmake/vgt_shared.cmake),
 * so a declaration here is the export (test_shared_symbols checks both ways). */
#pragma GCC visibility push(default)

/* ======================================================================
 * The device
 * ====================================================================== */

typedef struct vgt_device vgt_device;

/* Why the device rejected something the guest did. */
typedef enum vgt_device_error_kind {
    VGT_DEVERR_REGISTER = 0, /* unknown register, or a value it cannot take (ignored) */
    VGT_DEVERR_FIFO_REGS,    /* MIN/MAX/NEXT_CMD/STOP out of range or misaligned (FIFO stopped) */
    VGT_DEVERR_BAD_LENGTH,   /* command length unknowable: unknown id, bad size (rest dropped) */
    VGT_DEVERR_TOO_LONG,     /* command longer than the ring can ever hold (rest dropped) */
    VGT_DEVERR_DECODE,       /* the decoder rejected the command (skipped) */
    VGT_DEVERR_EXECUTE,      /* the command failed: rectangle outside, bad id... (skipped) */
    VGT_DEVERR_GMR,          /* GMR definition: bad id, page outside RAM, limits (skipped) */
    VGT_DEVERR_TRUNCATED,    /* a partial command was discarded by disable/reset */
    VGT_DEVERR_KIND_COUNT
} vgt_device_error_kind;

/* A short name for an error kind ("fifo-regs", "decode", ...). */
const char *vgt_device_error_kind_name(vgt_device_error_kind kind);

/* Counters since create or the last reset. */
typedef struct vgt_device_stats {
    uint64_t commands; /* commands fetched from the FIFO */
    uint64_t commands_failed;
    uint64_t fifo_bytes; /* command bytes consumed */
    uint64_t fences;     /* FENCE commands passed */
    uint64_t frames;     /* frame boundaries */
    uint64_t escapes;
    uint64_t irqs;          /* interrupt sources raised (status bits newly set) */
    uint64_t bytes_read;    /* guest memory read on commands' behalf */
    uint64_t bytes_written; /* guest memory written on commands' behalf */
    uint64_t doorbells;     /* SYNC register writes */
    uint64_t wakeups;       /* FIFO thread wakeups (doorbell or poll) */
    /* CPU time (ns) of the FIFO thread so far: commands, the taps it runs,
     * and its watch for the next command before it sleeps */
    uint64_t fifo_cpu_ns;
    /* Wall time (ns) the FIFO thread spent executing commands so far (its
     * passes that consumed any, with the taps they ran; not its watch for
     * the next command): the device's share of a frame, apart from the
     * time it waits for the guest */
    uint64_t busy_ns;
    /* framebuffer traces: vgt_device_refresh calls served, and those that
     * showed a change (an UPDATE of the changed rows and a frame end) */
    uint64_t refreshes;
    uint64_t trace_updates;
    uint64_t errors; /* all kinds */
    uint64_t errors_by_kind[VGT_DEVERR_KIND_COUNT];
    bool fifo_running; /* ENABLE, CONFIG_DONE and no fatal FIFO error */
    bool fifo_stopped; /* a fatal FIFO error stopped processing until re-enable/reset */
    vgt_device_error_kind last_error_kind;
    uint32_t last_error_offset; /* FIFO byte offset of the last error (0 for registers) */
    char last_error[VGT_ERROR_MESSAGE_MAX];
    /* frames drawn into the backend's window (config backend_options.window) */
    uint64_t frames_shown;
    /* Why the window stopped showing frames (a host failure, not the guest's:
     * not counted in errors); empty while it works or without a window. */
    char window_error[VGT_ERROR_MESSAGE_MAX];
} vgt_device_stats;

/* Capture taps.  All optional; called with the device lock held, on the FIFO
 * thread unless stated.  Pointers passed to a tap are valid only during the
 * call.  `seq` numbers the commands fetched since create (0, 1, ...). */
/* A batch of the command log (vgt_device_taps.cmd_batch): `count`
 * consecutive commands from seq first_seq, their word counts, FIFO byte
 * offsets and fetch times (first_fetch_ns + fetch_delta[i]; a batch spans
 * less than 2^32 ns, so the deltas are exact), and their words back to
 * back (nbytes).  A command whose words equal those of the command before
 * it in the batch is a repeat: its word count has VGT_DEVICE_CMD_LOG_REPEAT
 * set and its words are not in `words` again (a batch's first command is
 * never a repeat). */
typedef struct vgt_device_cmd_batch {
    uint64_t first_seq;
    uint32_t count;
    const uint32_t *nwords;
    const uint32_t *offsets;
    uint64_t first_fetch_ns;
    const uint32_t *fetch_delta;
    const uint32_t *words;
    size_t nbytes;
} vgt_device_cmd_batch;

/* A repeat's flag in vgt_device_cmd_batch.nwords (a command's word count
 * is below 2^30: the FIFO holds it). */
#define VGT_DEVICE_CMD_LOG_REPEAT 0x80000000u
/* The log's limits (a consumer's cmd_log_count/_bytes are clamped to them). */
#define VGT_DEVICE_CMD_LOG_MAX_COUNT 256u
#define VGT_DEVICE_CMD_LOG_MAX_BYTES 8192u
/* The timing log hands over at most this many commands at a time. */
#define VGT_DEVICE_TIMING_LOG_COUNT 256u

typedef struct vgt_device_taps {
    void *ctx;
    /* The command log, for a consumer that records every command: no call
     * per command, the device copies each command it fetches (rejected ones
     * too) into a batch, and calls cmd_batch with it when it is full
     * (cmd_log_count commands, or the next command's words would pass
     * cmd_log_bytes; a repeat's words are not copied and count nothing), when a command longer than
     * cmd_log_bytes comes (it then comes alone, after the batch before it), when the consumer asks
     * (vgt_device_cmd_log_flush), and before the taps change.  Always with
     * the device lock held.  A command is in the log before the cmd_fetched
     * tap sees it. */
    void (*cmd_batch)(void *ctx, const vgt_device_cmd_batch *batch);
    uint32_t cmd_log_count, cmd_log_bytes;
    /* A whole command copied out of the FIFO (the words exactly as copied). */
    void (*cmd_fetched)(void *ctx, uint64_t seq, uint32_t fifo_offset, const uint32_t *words,
                        uint32_t nwords, uint64_t fetch_ns);
    /* The timing log, for a consumer that times every command: no call per
     * command, the device keeps each finished command's timing and calls
     * cmd_timings with `count` consecutive commands from first_seq, two u32
     * per command: start - fetch, end - start (ns, saturated; fetch and
     * start as cmd_done has them), when VGT_DEVICE_TIMING_LOG_COUNT are
     * kept, before a command that does not follow the last one, when the
     * consumer asks (vgt_device_timing_log_flush), and before the taps
     * change.  A command is in the log after it has finished. */
    void (*cmd_timings)(void *ctx, uint64_t first_seq, uint32_t count, const uint32_t *pairs);
    /* The command finished: status VGT_OK, or the error and its message.
     * fetch_ns is when its copy began (as cmd_fetched and the log have it);
     * start_ns is fetch_ns for a command that was whole in the FIFO when
     * its copy began (the copy counts as execution: one clock read per
     * command), else when its last word had come. */
    void (*cmd_done)(void *ctx, uint64_t seq, vgt_status status, const char *message,
                     uint64_t fetch_ns, uint64_t start_ns, uint64_t end_ns);
    /* Guest memory read / written on behalf of command `seq` (gmr may be
     * VGT_SVGA_GMR_FRAMEBUFFER). */
    void (*mem_read)(void *ctx, uint64_t seq, uint32_t gmr_id, uint32_t offset, const void *bytes,
                     uint32_t len);
    void (*mem_written)(void *ctx, uint64_t seq, uint32_t gmr_id, uint32_t offset,
                        const void *bytes, uint32_t len);
    /* A register write the device accepted that changes its state (guest thread). */
    void (*reg_write)(void *ctx, uint32_t reg, uint32_t value);
    /* The cursor position sampled from the FIFO cursor registers (at a frame
     * end, or in vgt_device_snapshot on its caller's thread). */
    void (*cursor)(void *ctx, uint64_t seq, bool visible, int32_t x, int32_t y, uint32_t screen_id);
    /* A FENCE command passed (after FIFO_FENCE was written). */
    void (*fence_passed)(void *ctx, uint64_t seq, uint32_t fence);
    /* Frame `frame` (0, 1, ...) ended; display is what the host shows, cursor
     * included, or NULL when no screen is active. */
    void (*frame_end)(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display);
    /* The device rejected something; seq is the command (or UINT64_MAX). */
    void (*device_error)(void *ctx, uint64_t seq, uint32_t fifo_offset, vgt_device_error_kind kind,
                         const char *reason);
} vgt_device_taps;

/* How the device reaches guest RAM: `page` returns the host address of the
 * 4 KiB guest-physical page `ppn`, or NULL when there is no RAM there.  Called
 * at every access, never cached (GMR registers on the port I/O thread, DMA on
 * the FIFO thread); must be thread-safe.  PPN 0 is never used (it ends a GMR
 * descriptor list): a page list naming it is refused, so RAM at
 * guest-physical 0 cannot be in a GMR. */
typedef struct vgt_device_guest_ram {
    void *ctx;
    uint8_t *(*page)(void *ctx, uint64_t ppn);
} vgt_device_guest_ram;

typedef struct vgt_device_config {
    uint32_t vram_size; /* bytes, a power of two, 1..256 MiB; BAR1 (default 32 MiB) */
    uint32_t fifo_size; /* bytes, a power of two, 16 KiB..16 MiB; BAR2 (default 256 KiB) */
    /* optional: the embedder's memory for BAR1 (vram_size bytes) and BAR2
     * (fifo_size bytes, zeroed), each at least 4-byte aligned; never freed
     * by the device, and mapped until vgt_device_destroy returns */
    void *vram;
    void *fifo;
    bool enable_3d; /* advertise SVGA_CAP_3D, the 3D caps, and execute SVGA3D commands */
    vgt_backend_kind backend_3d; /* with enable_3d: the executor's backend (default null) */
    uint32_t poll_hz;            /* FIFO poll rate while idle (default 100) */
    uint32_t spin_us; /* the FIFO thread watches NEXT_CMD this long before sleeping (50) */
    uint32_t max_width, max_height;     /* REG_MAX_WIDTH/HEIGHT (default 2560x1600) */
    uint32_t gmr_max_ids;               /* REG_GMR_MAX_IDS (default 64) */
    uint32_t gmr_max_descriptor_length; /* REG_GMR_MAX_DESCRIPTOR_LENGTH (default 4096) */
    uint32_t gmrs_max_pages;            /* REG_GMRS_MAX_PAGES, all GMRs (default 65536) */
    uint32_t hide_caps;      /* REG_CAPABILITIES bits not to offer (tests of driver fallbacks) */
    uint32_t hide_fifo_caps; /* FIFO_CAPABILITIES bits not to offer (e.g. VIDEO: no overlay) */
    /* The video overlay's legacy filter (nearest neighbour, replicated
     * chroma), as vgt drew before 2026-11-30; default false: interpolated
     * chroma and bilinear scaling (docs/device.md).  A capture records
     * which (VGT_TRACE_DEVCFG_F_VIDEO_BILINEAR) and replay follows it. */
    bool video_nearest;
    /* With enable_3d: the backend's options (replay/vgt_backend.h).  With
     * `window` (a backend that has a window: gl, which needs DISPLAY), the
     * device shows the composed display (screens and cursor, the image the
     * frame_end tap gets) in the backend's window at every frame end;
     * vgt_device_create fails with VGT_E_UNSUPPORTED, saying why, when the
     * window cannot be had. */
    vgt_backend_options backend_options;
    vgt_device_guest_ram ram;
    /* Interrupt line: called with the new level whenever it changes, from
     * the FIFO thread or the thread in vgt_device_io_write/vgt_device_reset,
     * with the device lock held: must not call back into the device, and
     * must not wait for a lock its caller holds while calling the device. */
    void (*irq)(void *ctx, bool level);
    void *irq_ctx;
    vgt_device_taps taps;
    FILE *log; /* device errors are printed here when not NULL (first 20) */
} vgt_device_config;

/* Fills cfg with the defaults above (no RAM, no IRQ, no taps). */
void vgt_device_config_default(vgt_device_config *cfg);
/* Creates a device at power-on state and starts its FIFO thread. */
vgt_status vgt_device_create(const vgt_device_config *cfg, vgt_device **out, vgt_error *err);
/* Stops the FIFO thread and frees everything the device allocated. */
void vgt_device_destroy(vgt_device *dev);
/* Power-on reset: registers, FIFO state, GMRs, IRQs and display; VRAM kept. */
void vgt_device_reset(vgt_device *dev);

/* I/O BAR access: `offset` inside BAR0 (VGT_SVGA_PORT_*), size 1, 2 or 4.
 * Synchronous, on the caller's (guest) thread; any thread, each call under
 * the device lock (INDEX then VALUE are two calls: the index is device
 * state, as on hardware). */
uint32_t vgt_device_io_read(vgt_device *dev, uint32_t offset, unsigned size);
void vgt_device_io_write(vgt_device *dev, uint32_t offset, unsigned size, uint32_t value);
/* The guest-physical address the embedder gave BAR `bar` (1: FB_START, 2:
 * MEM_START; both read 0 until set).  Only those registers use it. */
void vgt_device_set_bar_address(vgt_device *dev, unsigned bar, uint32_t address);
/* BAR1 (VRAM) and BAR2 (FIFO) memory; sizes in *size.  Owned by the device
 * unless the embedder provided them. */
uint8_t *vgt_device_vram(vgt_device *dev, uint32_t *size);
uint32_t *vgt_device_fifo(vgt_device *dev, uint32_t *size);

/* Replaces the taps (takes the device lock; safe while running). */
void vgt_device_set_taps(vgt_device *dev, const vgt_device_taps *taps);
/* Copies the counters. */
void vgt_device_get_stats(vgt_device *dev, vgt_device_stats *out);
/* The FIFO offset a command the device originates has in the taps and the
 * command log (a FIFO offset is below the FIFO's 16 MiB and 4-aligned):
 * the UPDATE of a trace refresh. */
#define VGT_DEVICE_REFRESH_OFFSET 0xFFFFFFFFu
/* The host's vertical refresh, for framebuffer traces (docs/device.md
 * "Framebuffer traces").  When trace-based updates are in effect (SVGA mode
 * enabled, and the FIFO not running or REG_TRACES 1), the FIFO thread
 * compares the visible framebuffer with what the last refresh read and,
 * when rows changed, executes an UPDATE of them (whole rows, their bounding
 * rectangle) as a command of its own (seq numbered with the FIFO's, offset
 * VGT_DEVICE_REFRESH_OFFSET, its reads tapped) and ends a frame.  Returns
 * when the FIFO thread has done it: true when it showed a change.  From any
 * thread but a tap (it takes the device lock).  Deterministic: the VM
 * harness calls it (vgt_vm_config.refresh_hz, vgt_guest_wait_refresh),
 * tests call it directly. */
bool vgt_device_refresh(vgt_device *dev);
/* The device's executor (owned by the device), for the capture layer's state
 * snapshots: use it only inside a tap, where the device lock is held. */
vgt_executor *vgt_device_executor(vgt_device *dev);
/* Copies what the host shows now (cursor sampled and included; pixels
 * 0xFFRRGGBB, alpha opaque) into a new image the caller frees with
 * vgt_image_free.  VGT_E_STATE without screens.  Takes the device lock: not
 * from a tap. */
vgt_status vgt_device_snapshot(vgt_device *dev, vgt_image *out, vgt_error *err);
/* The value the guest would read from state register `reg`: ID, ENABLE,
 * WIDTH, HEIGHT, BITS_PER_PIXEL, PITCHLOCK, CONFIG_DONE, GUEST_ID,
 * CURSOR_X/Y/ON, IRQMASK (no side effect, the index port untouched; any
 * other register: false).  Only from a tap (the device lock held): a
 * capture attached to a running device snapshots them. */
bool vgt_device_state_register(vgt_device *dev, uint32_t reg, uint32_t *value);
/* The configuration the device was created with (VRAM and FIFO sizes as
 * given, 3D, limits, hidden caps).  Its taps are the device's current ones,
 * which vgt_device_set_taps changes under the device lock: read the other
 * fields.  A capture attached to a running device writes it into the
 * trace's header. */
const vgt_device_config *vgt_device_config_of(const vgt_device *dev);
/* The FIFO's FENCE register as the device keeps it (it writes this value
 * there): the last FENCE passed since power-on or vgt_device_reset; false,
 * *value untouched, when none has.  Only from a tap (the device lock held,
 * under which the FIFO thread passes fences): a capture attached to a
 * running device snapshots it. */
bool vgt_device_state_fence(vgt_device *dev, uint32_t *value);
/* Hands the command log's pending commands to cmd_batch now.  Only from a
 * tap (the device lock held): a consumer writing another record puts the
 * commands before it first. */
void vgt_device_cmd_log_flush(vgt_device *dev);
/* Hands the timing log's pending commands to cmd_timings now (only from a
 * tap). */
void vgt_device_timing_log_flush(vgt_device *dev);

/* ======================================================================
 * The VM harness
 * ====================================================================== */

/* The guest-physical memory map the harness (as firmware) assigns; equal to
 * host addresses in identity mode, which keeps them below 2 GiB for 32-bit
 * PPNs and ASan.  The guest may move the BARs (not with the identity map);
 * RAM stays. */
#define VGT_VM_RAM_BASE    0x10000000u /* guest RAM starts here (PPN 0x10000) */
#define VGT_VM_RAM_MAX     0x30000000u /* largest RAM: 768 MiB */
#define VGT_VM_VRAM_BASE   0x40000000u /* BAR1 */
#define VGT_VM_FIFO_BASE   0x50000000u /* BAR2 */
#define VGT_VM_IO_BASE     0xC000u     /* BAR0 (16 ports) */
#define VGT_VM_BAR_LIMIT   0x80000000u /* a memory BAR decodes only below 2 GiB */
#define VGT_VM_PCI_SLOT    15u         /* the device is 00:0f.0 */
#define VGT_VM_IRQ_LINE    11u         /* PCI interrupt line register */
#define VGT_VM_PCI_ADDRESS 0xCF8u      /* configuration mechanism #1 */
#define VGT_VM_PCI_DATA    0xCFCu

typedef struct vgt_vm vgt_vm;
typedef struct vgt_guest vgt_guest;

typedef struct vgt_vm_config {
    uint64_t ram_size; /* bytes, multiple of 4 KiB, <= VGT_VM_RAM_MAX (default 256 MiB) */
    bool identity_map; /* map RAM/BARs so that guest-physical == host pointer */
    /* The host's display refresh (vgt_device_refresh) while vgt_vm_run
     * runs a guest: a timer at this rate (Hz, at most 1000), as a host
     * refreshes on its own, tearing included; 0 (the default): only when
     * the guest waits for one (vgt_guest_wait_refresh), deterministic. */
    uint32_t refresh_hz;
    vgt_device_config device; /* ram, irq, vram and fifo are filled in by the VM */
} vgt_vm_config;

/* The guest program: runs on the guest thread; its return value is the exit code. */
typedef int (*vgt_guest_main)(vgt_guest *guest, void *arg);

/* Fills cfg with the defaults (256 MiB, no identity map, device defaults). */
void vgt_vm_config_default(vgt_vm_config *cfg);
/* Creates the VM: maps memory (identity: at the fixed addresses, failing with
 * a clear error if they are taken), creates the device, sets up PCI. */
vgt_status vgt_vm_create(const vgt_vm_config *cfg, vgt_vm **out, vgt_error *err);
/* Destroys the device and unmaps memory.  The guest thread must have ended. */
void vgt_vm_destroy(vgt_vm *vm);
/* The VM's device (owned by the VM). */
vgt_device *vgt_vm_device(vgt_vm *vm);
/* The guest handle (owned by the VM), for code that runs as the guest. */
vgt_guest *vgt_vm_guest(vgt_vm *vm);
/* Runs main(guest, arg) on a new guest thread and waits for it to return. */
vgt_status vgt_vm_run(vgt_vm *vm, vgt_guest_main main, void *arg, int *exit_code, vgt_error *err);
/* The CPU time (ns) the guest thread of the last vgt_vm_run used: the
 * guest's own work, its register accesses (and the taps they run) and
 * waiting for the device lock; 0 before a run. */
uint64_t vgt_vm_guest_cpu_ns(const vgt_vm *vm);
/* The last BAR relocation the VM refused (with the identity map the BARs
 * cannot move), one line; empty when none was. */
const char *vgt_vm_bar_note(const vgt_vm *vm);

/* ---- guest side: what a bare-metal driver needs ------------------------ */

/* Port I/O, synchronous; pending interrupts are delivered before each access. */
uint8_t vgt_guest_in8(vgt_guest *g, uint16_t port);
uint16_t vgt_guest_in16(vgt_guest *g, uint16_t port);
uint32_t vgt_guest_in32(vgt_guest *g, uint16_t port);
void vgt_guest_out8(vgt_guest *g, uint16_t port, uint8_t value);
void vgt_guest_out16(vgt_guest *g, uint16_t port, uint16_t value);
void vgt_guest_out32(vgt_guest *g, uint16_t port, uint32_t value);

/* Allocates `count` physically contiguous zeroed pages of guest RAM; returns
 * the guest-physical address of the first, or 0 when RAM is exhausted. */
uint64_t vgt_guest_alloc_pages(vgt_guest *g, uint32_t count);
/* Returns pages obtained from vgt_guest_alloc_pages. */
void vgt_guest_free_pages(vgt_guest *g, uint64_t phys, uint32_t count);
/* The host pointer for guest-physical [phys, phys+len) inside RAM, VRAM or
 * the FIFO (memory decode must be enabled for BARs), or NULL. */
void *vgt_guest_ptr(vgt_guest *g, uint64_t phys, uint64_t len);
/* The guest-physical address of a host pointer into RAM/VRAM/FIFO, or 0. */
uint64_t vgt_guest_phys(vgt_guest *g, const void *ptr);
/* Total guest RAM in bytes. */
uint64_t vgt_guest_ram_size(vgt_guest *g);

/* Waits for the host's next display refresh (vgt_vm_config.refresh_hz),
 * as a guest without a FIFO or interrupts paces itself to the display (a
 * vertical retrace wait): with a timer, until its next refresh has been
 * done; without one (0), the refresh happens now, on this call.  True when
 * that refresh showed a change (framebuffer traces). */
bool vgt_guest_wait_refresh(vgt_guest *g);

/* Interrupts.  The handler runs on the guest thread, at port I/O and in
 * vgt_guest_irq_wait, while the line is asserted (level-triggered: it must
 * acknowledge through the device's IRQ status port). */
typedef void (*vgt_guest_irq_handler)(vgt_guest *g, void *ctx);
void vgt_guest_irq_set_handler(vgt_guest *g, vgt_guest_irq_handler handler, void *ctx);
/* Enables/disables delivery to the handler (like sti/cli). */
void vgt_guest_irq_enable(vgt_guest *g, bool enabled);
/* Halts until the line is asserted (then runs the handler) or timeout_ns
 * passes; true when the line was asserted. */
bool vgt_guest_irq_wait(vgt_guest *g, uint64_t timeout_ns);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* VGT_DEVICE_H */
