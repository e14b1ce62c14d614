/* vgt_samples.h - the guest side: a small SVGA II guest driver (vgt_drv_*)
 * in the style of VMware's reference driver (svga.c), and the registry of
 * sample guest programs (samples.def).
 *
 * Everything here runs on the guest thread of a vgt_vm and reaches the
 * device only the way a bare-metal driver would: port I/O (vgt_guest_in/out),
 * PCI configuration mechanism #1, the BARs mapped at guest-physical
 * addresses, guest pages and the interrupt line.
 */
#ifndef VGT_SAMPLES_H
#define VGT_SAMPLES_H

#include <stdbool.h>
#include <stdint.h>

#include "vgt_base.h"
#include "vgt_device.h"
#include "vgt_protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================
 * The guest driver
 * ====================================================================== */

/* Fails after this long without device progress (a hung device). */
#define VGT_DRV_DEFAULT_TIMEOUT_NS (10ull * 1000000000ull)

typedef struct vgt_drv {
    vgt_guest *guest;
    uint32_t pci_slot;
    uint16_t io_base;
    uint32_t fb_phys, fifo_phys;         /* BAR1, BAR2 guest-physical addresses */
    uint32_t fb_bar_size, fifo_bar_size; /* found by BAR sizing */
    uint8_t *fb;                         /* BAR1 mapped */
    uint32_t *fifo;                      /* BAR2 mapped */
    uint32_t fb_size, fifo_size, vram_size;
    uint32_t version_id;
    uint32_t capabilities;
    uint32_t irq_line;
    uint32_t width, height, bpp, pitch;
    uint32_t depth, red_mask, green_mask, blue_mask; /* read back at each mode set */
    bool use_irq;    /* SVGA_CAP_IRQMASK and the FENCE_GOAL register exist */
    bool no_reserve; /* act as a driver that does not know FIFO_CAP_RESERVE */
    uint64_t timeout_ns;
    struct {
        uint32_t reserved_size;
        bool using_bounce;
        uint8_t *bounce; /* as large as the ring */
        uint32_t bounce_size;
        uint32_t next_fence;
        /* Cached at CONFIG_DONE (this driver wrote MIN and MAX; the FIFO
         * capabilities do not change while it runs) and the last STOP read:
         * STOP only moves forward, so an old value only understates the free
         * space, and it is read again when the space looks short. Fewer
         * reads of the cache line the device polls. */
        uint32_t min, max, fifo_caps, stop;
    } fifo_state;
    struct {
        uint32_t pending; /* IRQ flags seen by the handler, not yet consumed */
        uint64_t count;   /* handler invocations */
    } irq;
    bool failed;
    vgt_error error; /* the first failure */
} vgt_drv;

/* Probes PCI for 15AD:0405, enables decoding, sizes and maps the BARs,
 * negotiates the version, reads sizes and capabilities, sets up the IRQ
 * handler (IRQs masked).  Owns nothing outside *drv and guest pages. */
vgt_status vgt_drv_init(vgt_drv *drv, vgt_guest *guest, vgt_error *err);
/* Moves the device's BARs as an OS that assigns resources itself does,
 * before vgt_drv_init: decoding off, BAR0 (I/O) to io_base, BAR1 (VRAM) to
 * fb_phys, BAR2 (FIFO) to fifo_phys, each read back, the command register
 * restored.  VGT_E_STATE when a BAR did not take its address (the identity
 * map refuses moves), VGT_E_NOTFOUND without the device. */
vgt_status vgt_drv_relocate_bars(vgt_guest *guest, uint16_t io_base, uint32_t fb_phys,
                                 uint32_t fifo_phys, vgt_error *err);
/* Frees the bounce buffer (the device is left as it is). */
void vgt_drv_fini(vgt_drv *drv);
/* Sets the mode, initialises the FIFO (MIN = 4*FIFO_NUM_REGS, extended FIFO),
 * sets CONFIG_DONE, and checks that IRQs work (as the reference driver). */
vgt_status vgt_drv_set_mode(vgt_drv *drv, uint32_t width, uint32_t height, uint32_t bpp,
                            vgt_error *err);
/* Sets the mode without the FIFO, as a plain framebuffer driver: the host
 * shows VRAM by framebuffer traces (docs/device.md), REG_TRACES 1. */
vgt_status vgt_drv_set_mode_fb(vgt_drv *drv, uint32_t width, uint32_t height, uint32_t bpp,
                               vgt_error *err);
/* Changes the mode of a driver whose FIFO runs: waits until the device has
 * executed everything sent (commands run in whichever mode is set when the
 * device reaches them), then writes the mode registers and reads back the
 * pitch, DEPTH and the colour masks.  The FIFO keeps running. */
vgt_status vgt_drv_switch_mode(vgt_drv *drv, uint32_t width, uint32_t height, uint32_t bpp,
                               vgt_error *err);
/* The pixel value of colour 0xRRGGBB in the current mode, packed by the
 * colour masks the device reported (each channel's top bits): for the
 * 15-, 16-, 24- and 32-bit modes, not the 8-bit one (its pixels are palette
 * indices). */
uint32_t vgt_drv_pixel(const vgt_drv *drv, uint32_t rgb);
/* Stores `pixel` at (x, y) of the legacy framebuffer in VRAM: bpp rounded
 * up to whole bytes, little-endian, rows `pitch` apart (the caller keeps
 * (x, y) inside the mode). */
void vgt_drv_put_pixel(vgt_drv *drv, uint32_t x, uint32_t y, uint32_t pixel);
/* Like vgt_drv_set_mode but with a custom ring [min, max) (tests). */
vgt_status vgt_drv_set_mode_fifo(vgt_drv *drv, uint32_t width, uint32_t height, uint32_t bpp,
                                 uint32_t fifo_min, uint32_t fifo_max, vgt_error *err);

/* Register access through the INDEX/VALUE ports. */
uint32_t vgt_drv_read_reg(vgt_drv *drv, uint32_t index);
void vgt_drv_write_reg(vgt_drv *drv, uint32_t index, uint32_t value);
/* Programs palette entries first..first+count-1 (those below 256) from rgb,
 * 3 bytes an entry (red, green, blue), through the palette registers: the
 * colour map of the 8-bit (pseudocolor) mode, shown from the next UPDATE. */
void vgt_drv_set_palette(vgt_drv *drv, uint32_t first, uint32_t count, const uint8_t *rgb);
/* FIFO register access (atomic; the device reads them concurrently). */
uint32_t vgt_drv_fifo_get(const vgt_drv *drv, uint32_t reg);
void vgt_drv_fifo_set(vgt_drv *drv, uint32_t reg, uint32_t value);
bool vgt_drv_has_fifo_cap(const vgt_drv *drv, uint32_t cap);
bool vgt_drv_fifo_reg_valid(const vgt_drv *drv, uint32_t reg);

/* Reserves `bytes` (a multiple of 4) of FIFO space: in place when possible,
 * else in the bounce buffer; waits while the FIFO is full.  NULL on failure
 * (drv->error says why).  Pair with vgt_drv_fifo_commit/commit_all. */
void *vgt_drv_fifo_reserve(vgt_drv *drv, uint32_t bytes);
/* Commits `bytes` (<= reserved) of the last reservation. */
void vgt_drv_fifo_commit(vgt_drv *drv, uint32_t bytes);
void vgt_drv_fifo_commit_all(vgt_drv *drv);
/* Reserves a command: writes the id word, returns the body (bytes long). */
void *vgt_drv_fifo_reserve_cmd(vgt_drv *drv, uint32_t type, uint32_t bytes);
/* Reserves an ESCAPE: writes its header, returns the payload (bytes long). */
void *vgt_drv_fifo_reserve_escape(vgt_drv *drv, uint32_t nsid, uint32_t bytes);

/* Fences. insert returns the fence (never 0); sync_to waits (IRQ-driven
 * when possible, else SYNC/BUSY polling) and fails after the timeout. */
uint32_t vgt_drv_insert_fence(vgt_drv *drv);
bool vgt_drv_has_fence_passed(const vgt_drv *drv, uint32_t fence);
vgt_status vgt_drv_sync_to_fence(vgt_drv *drv, uint32_t fence);
/* Wakes the device if FIFO_BUSY says it may sleep. */
void vgt_drv_ring_doorbell(vgt_drv *drv);
/* Legacy full sync: SYNC then BUSY until 0. */
vgt_status vgt_drv_sync_all(vgt_drv *drv);
/* IRQ flags seen so far (and forgets them). */
uint32_t vgt_drv_clear_irq(vgt_drv *drv);
/* Waits for any IRQ; returns its flags, 0 on timeout. */
uint32_t vgt_drv_wait_for_irq(vgt_drv *drv);

/* 2D helpers (each reserves, fills and commits one command). */
void vgt_drv_update(vgt_drv *drv, uint32_t x, uint32_t y, uint32_t w, uint32_t h);
void vgt_drv_rect_copy(vgt_drv *drv, uint32_t sx, uint32_t sy, uint32_t dx, uint32_t dy, uint32_t w,
                       uint32_t h);
/* Begins DEFINE_ALPHA_CURSOR: returns where to write w*h premultiplied BGRA
 * pixels; then vgt_drv_fifo_commit_all. */
uint32_t *vgt_drv_begin_define_alpha_cursor(vgt_drv *drv, uint32_t hot_x, uint32_t hot_y,
                                            uint32_t w, uint32_t h);
/* Begins DEFINE_CURSOR (AND/XOR masks of the given depths). */
bool vgt_drv_begin_define_cursor(vgt_drv *drv, const vgt_svga_cmd_define_cursor *info,
                                 void **and_mask, void **xor_mask);
/* Cursor bypass 3: position/visibility through the FIFO registers. */
void vgt_drv_move_cursor(vgt_drv *drv, uint32_t visible, uint32_t x, uint32_t y);
void vgt_drv_define_screen(vgt_drv *drv, const vgt_svga_screen_object *screen);
void vgt_drv_destroy_screen(vgt_drv *drv, uint32_t id);
void vgt_drv_define_gmrfb(vgt_drv *drv, vgt_svga_guest_ptr ptr, uint32_t bytes_per_line,
                          uint32_t format);
void vgt_drv_blit_gmrfb_to_screen(vgt_drv *drv, vgt_svga_signed_point src,
                                  vgt_svga_signed_rect dest, uint32_t screen_id);
void vgt_drv_blit_screen_to_gmrfb(vgt_drv *drv, vgt_svga_signed_point dest,
                                  vgt_svga_signed_rect src, uint32_t screen_id);
/* Video overlay escapes (SVGA_ESCAPE_VMWARE_VIDEO, with FIFO_CAP_VIDEO):
 * SET_REGS of n (register, value) pairs regs[2i], regs[2i+1]; of every
 * register 0..max_reg from values[] (the reference driver's
 * SVGA_VideoSetAllRegs, values indexed by register); FLUSH.  Registers take
 * effect, and the device reads the frame, at the FLUSH. */
void vgt_drv_video_set_regs(vgt_drv *drv, uint32_t stream, const uint32_t *regs, uint32_t n);
void vgt_drv_video_set_all_regs(vgt_drv *drv, uint32_t stream, const uint32_t *values,
                                uint32_t max_reg);
void vgt_drv_video_flush(vgt_drv *drv, uint32_t stream);
void vgt_drv_annotate_fill(vgt_drv *drv, uint32_t color);
void vgt_drv_annotate_copy(vgt_drv *drv, vgt_svga_signed_point src, uint32_t screen_id);

/* GMRs through the registers: copies the descriptors into a chain of guest
 * pages (a continuation per page), writes GMR_ID then GMR_DESCRIPTOR, and
 * frees the descriptor pages (the device reads them synchronously).  n == 0
 * undefines the GMR. */
vgt_status vgt_drv_gmr_define(vgt_drv *drv, uint32_t gmr_id, const vgt_svga_gmr_descriptor *desc,
                              uint32_t n);
/* Allocates `pages` contiguous guest pages and defines them as GMR gmr_id
 * (registers); returns their guest-physical address in *phys. */
vgt_status vgt_drv_gmr_define_contiguous(vgt_drv *drv, uint32_t gmr_id, uint32_t pages,
                                         uint64_t *phys);
/* DEFINE_GMR2 (FIFO command). */
void vgt_drv_gmr2_define(vgt_drv *drv, uint32_t gmr_id, uint32_t num_pages);
/* REMAP_GMR2 with an inline page list: PPN32 unless flags has PPN64;
 * `ppns` holds num_pages entries (1 with SINGLE_PPN). */
void vgt_drv_gmr2_remap(vgt_drv *drv, uint32_t gmr_id, uint32_t flags, uint32_t offset_pages,
                        uint32_t num_pages, const uint64_t *ppns);
/* REMAP_GMR2 with VIA_GMR: the page list lives at `list` in another GMR. */
void vgt_drv_gmr2_remap_via(vgt_drv *drv, uint32_t gmr_id, uint32_t flags, uint32_t offset_pages,
                            uint32_t num_pages, vgt_svga_guest_ptr list);

/* ======================================================================
 * Samples
 * ====================================================================== */

/* Parameters every sample understands (0 means "the sample's default"). */
typedef struct vgt_sample_args {
    uint32_t frames;        /* frames to run */
    uint32_t width, height; /* mode */
    uint32_t batch, count;  /* microbenchmark knobs (samples that use them) */
    uint32_t aniso;         /* floor: the anisotropy asked for (0: 16); the guest clamps it
                             * to the device's MAX_TEXTURE_ANISOTROPY */
    bool native;            /* run natively for comparison (samples that can) */
    bool quiet;
    const char *backend; /* the host's 3D backend name ("null", "soft", "gl") for the
                          * samples' reports (a guest cannot see it); NULL: unknown */
} vgt_sample_args;

/* A sample's entry point: runs on the guest thread; returns its exit code
 * (0 success). */
typedef int (*vgt_sample_fn)(vgt_guest *guest, const vgt_sample_args *args);

typedef struct vgt_sample_info {
    const char *name;    /* as typed on the command line: "2d-demo" */
    const char *summary; /* one line */
    vgt_sample_fn entry;
} vgt_sample_info;

#define VGT_SAMPLE(ident, name, summary)                                                           \
    int vgt_sample_##ident(vgt_guest *, const vgt_sample_args *);
#include "samples.def"
#undef VGT_SAMPLE

/* The registry, in samples.def order; *count receives the number. */
const vgt_sample_info *vgt_samples(size_t *count);
/* The sample called `name`, or NULL. */
const vgt_sample_info *vgt_sample_find(const char *name);

/* A sample and its arguments, to run with vgt_vm_run(vm, vgt_sample_guest,
 * &run, ...): the one guest-thread entry every embedder (vgt run, the
 * benchmarks, the tests) shares. */
typedef struct vgt_sample_run {
    const vgt_sample_info *sample;
    vgt_sample_args args;
} vgt_sample_run;
/* Runs run->sample on the guest thread (arg: a vgt_sample_run). */
int vgt_sample_guest(vgt_guest *guest, void *arg);

/* ======================================================================
 * FIFO benchmark (`vgt bench fifo`)
 * ====================================================================== */

#define VGT_FIFO_BENCH_REPEAT 5 /* throughput runs per side, device and ring in turn */

typedef struct vgt_fifo_bench_config {
    uint32_t fifo_size;  /* BAR2 bytes (default 256 KiB) */
    uint64_t commands;   /* FENCE commands per throughput run (default 1M) */
    uint32_t roundtrips; /* fence round trips for the latency run (default 2000) */
} vgt_fifo_bench_config;

typedef struct vgt_fifo_bench_result {
    double device_cmds_per_s; /* guest driver -> device FIFO -> decoded and executed */
    double ring_cmds_per_s;   /* plain SPSC ring of the same size, same 2-word messages */
    /* device / ring of each pair of runs (measured one right after the
     * other): the median, the lowest and the highest */
    double ratio_median, ratio_min, ratio_max;
    double device_rtt_ns_median, device_rtt_ns_p99; /* insert fence, sync to it */
    double ring_rtt_ns_median, ring_rtt_ns_p99;
    uint64_t device_errors;
    uint64_t device_wakeups,
        device_doorbells; /* times the FIFO thread slept and woke; SYNC writes */
    uint32_t ring_bytes;
} vgt_fifo_bench_result;

/* Runs both sides in this process (a VM with the device; two threads with
 * the plain ring) and fills *out. */
vgt_status vgt_fifo_bench_run(const vgt_fifo_bench_config *cfg, vgt_fifo_bench_result *out,
                              vgt_error *err);

/* ======================================================================
 * SVGA3D helpers of the guest driver (driver/svga3d.c), after the
 * reference driver's svga3d.c.  Each command helper reserves, fills and
 * commits one command; failures land in drv->failed / drv->error.
 * ====================================================================== */

/* Checks SVGA_CAP_3D and a 3D hardware version >= 2.0 (VGT_E_UNSUPPORTED). */
vgt_status vgt_drv3d_init(vgt_drv *drv, vgt_error *err);
/* FIFO 3D_HWVERSION_REVISED when offered, else 3D_HWVERSION. */
uint32_t vgt_drv3d_hw_version(const vgt_drv *drv);
/* Looks a DEVCAP up in the FIFO caps block; false when absent. */
bool vgt_drv3d_devcap(const vgt_drv *drv, uint32_t index, uint32_t *value);
/* Reserves a 3D command: writes {id, body_bytes}, returns the body. */
void *vgt_drv3d_reserve(vgt_drv *drv, uint32_t id, uint32_t body_bytes);

void vgt_drv3d_define_context(vgt_drv *drv, uint32_t cid);
/* A new context drawing into color_sid (and depth_sid unless it is
 * VGT_SVGA3D_INVALID_ID) over a w x h viewport, depth range [0, 1]: the
 * commands every 3D sample starts with. */
void vgt_drv3d_setup_context(vgt_drv *drv, uint32_t cid, uint32_t color_sid, uint32_t depth_sid,
                             uint32_t w, uint32_t h);
void vgt_drv3d_destroy_context(vgt_drv *drv, uint32_t cid);
/* SURFACE_DEFINE with a full mip chain (max(1, size >> m)) on every face
 * (6 faces with VGT_SVGA3D_SURFACE_CUBEMAP). */
void vgt_drv3d_define_surface(vgt_drv *drv, uint32_t sid, uint32_t flags, uint32_t format,
                              uint32_t width, uint32_t height, uint32_t depth, uint32_t mips);
void vgt_drv3d_destroy_surface(vgt_drv *drv, uint32_t sid);
/* SURFACE_DMA between guest memory and one host image; suffix may be NULL. */
void vgt_drv3d_surface_dma(vgt_drv *drv, vgt_svga_guest_ptr guest, uint32_t guest_pitch,
                           vgt_svga3d_surface_image_id host, uint32_t transfer,
                           const vgt_svga3d_copy_box *boxes, uint32_t count,
                           const vgt_svga3d_dma_suffix *suffix);
void vgt_drv3d_set_render_target(vgt_drv *drv, uint32_t cid, uint32_t type, uint32_t sid);
void vgt_drv3d_set_transform(vgt_drv *drv, uint32_t cid, uint32_t type, const float matrix[16]);
void vgt_drv3d_set_z_range(vgt_drv *drv, uint32_t cid, float zmin, float zmax);
void vgt_drv3d_set_viewport(vgt_drv *drv, uint32_t cid, uint32_t x, uint32_t y, uint32_t w,
                            uint32_t h);
void vgt_drv3d_set_scissor(vgt_drv *drv, uint32_t cid, uint32_t x, uint32_t y, uint32_t w,
                           uint32_t h);
void vgt_drv3d_set_render_states(vgt_drv *drv, uint32_t cid,
                                 const vgt_svga3d_render_state_pair *states, uint32_t count);
void vgt_drv3d_set_texture_states(vgt_drv *drv, uint32_t cid,
                                  const vgt_svga3d_texture_state_entry *states, uint32_t count);
void vgt_drv3d_set_material(vgt_drv *drv, uint32_t cid, uint32_t face,
                            const vgt_svga3d_material *material);
void vgt_drv3d_set_light_data(vgt_drv *drv, uint32_t cid, uint32_t index,
                              const vgt_svga3d_light_data *light);
void vgt_drv3d_set_light_enabled(vgt_drv *drv, uint32_t cid, uint32_t index, bool enabled);
/* CLEAR; count 0 clears the whole targets. */
void vgt_drv3d_clear(vgt_drv *drv, uint32_t cid, uint32_t flags, uint32_t color, float depth,
                     uint32_t stencil, const vgt_svga3d_rect *rects, uint32_t count);
void vgt_drv3d_draw_primitives(vgt_drv *drv, uint32_t cid, const vgt_svga3d_vertex_decl *decls,
                               uint32_t ndecls, const vgt_svga3d_primitive_range *ranges,
                               uint32_t nranges);
/* DRAW_PRIMITIVES with one divisor word per declaration after the ranges
 * (Direct3D 9's stream frequencies: VGT_SVGA3D_DIVISOR_INDEXED_DATA | N on
 * the geometry, VGT_SVGA3D_DIVISOR_INSTANCE_DATA | k on per-instance data);
 * divisors NULL: none. */
void vgt_drv3d_draw_primitives_instanced(vgt_drv *drv, uint32_t cid,
                                         const vgt_svga3d_vertex_decl *decls, uint32_t ndecls,
                                         const vgt_svga3d_primitive_range *ranges, uint32_t nranges,
                                         const uint32_t *divisors);
/* Assembles `text` (vgt_shader_assemble) and sends SHADER_DEFINE; an
 * assembly error marks the driver failed with the assembler's message. */
void vgt_drv3d_define_shader_text(vgt_drv *drv, uint32_t cid, uint32_t type, uint32_t shid,
                                  const char *text);
void vgt_drv3d_set_shader(vgt_drv *drv, uint32_t cid, uint32_t type, uint32_t shid);
/* SET_SHADER_CONST of one float4 register. */
void vgt_drv3d_set_shader_const(vgt_drv *drv, uint32_t cid, uint32_t type, uint32_t reg,
                                const float v[4]);
/* SET_SHADER_CONST of the float4 registers reg .. reg + n - 1 in one
 * command (the fixed body's register, then 16 bytes for each further one),
 * as Mesa's svga driver sends a run of changed constants. */
void vgt_drv3d_set_shader_consts(vgt_drv *drv, uint32_t cid, uint32_t type, uint32_t reg,
                                 const float (*v)[4], uint32_t n);
/* The first ncols columns of m (Direct3D layout, m[row * 4 + col]) as
 * registers reg .. reg + ncols - 1, one SET_SHADER_CONST: what m4x4 (4)
 * and m3x3 (3) multiply a row vector by. */
void vgt_drv3d_set_shader_matrix(vgt_drv *drv, uint32_t cid, uint32_t type, uint32_t reg,
                                 const float m[16], uint32_t ncols);
/* Defines vertex shader vs_id and pixel shader ps_id from assembly text
 * and binds both. */
void vgt_drv3d_shaders_from_text(vgt_drv *drv, uint32_t cid, uint32_t vs_id, const char *vs_text,
                                 uint32_t ps_id, const char *ps_text);
/* PRESENT; count 0 presents the whole surface at (0, 0). */
void vgt_drv3d_present(vgt_drv *drv, uint32_t sid, const vgt_svga3d_copy_rect *rects,
                       uint32_t count);
void vgt_drv3d_begin_query(vgt_drv *drv, uint32_t cid, uint32_t type);
/* result points at a vgt_svga3d_query_result the guest set to PENDING. */
void vgt_drv3d_end_query(vgt_drv *drv, uint32_t cid, uint32_t type, vgt_svga_guest_ptr result);
void vgt_drv3d_wait_for_query(vgt_drv *drv, uint32_t cid, uint32_t type, vgt_svga_guest_ptr result);

/* A buffer of guest pages defined as one GMR, for DMA and query results. */
typedef struct vgt_drv3d_buffer {
    uint32_t gmr_id;
    uint32_t size; /* bytes (whole pages) */
    uint32_t pages;
    uint64_t phys; /* guest-physical address */
    void *ptr;     /* the guest's view of it */
} vgt_drv3d_buffer;

/* Allocates contiguous guest pages for `size` bytes and defines GMR gmr_id over them. */
vgt_status vgt_drv3d_buffer_create(vgt_drv *drv, uint32_t gmr_id, uint32_t size,
                                   vgt_drv3d_buffer *buf);
/* Undefines the GMR and frees the pages. */
void vgt_drv3d_buffer_destroy(vgt_drv *drv, vgt_drv3d_buffer *buf);
/* The guest pointer of byte `offset` of buf. */
vgt_svga_guest_ptr vgt_drv3d_buffer_ptr(const vgt_drv3d_buffer *buf, uint32_t offset);
/* Copies data into buf, DMAs it into BUFFER surface sid (box of `size`
 * bytes, suffix bounding the read), and waits for a fence so buf may be
 * reused. */
vgt_status vgt_drv3d_upload_buffer(vgt_drv *drv, vgt_drv3d_buffer *buf, uint32_t sid,
                                   const void *data, uint32_t size);
/* The 3D samples' static mesh: creates `staging` (staging_size bytes, GMR
 * gmr_id) and uploads the vertices to BUFFER surface sid_vb and the indices
 * to sid_ib through it. A failure marks the driver failed. */
void vgt_drv3d_upload_mesh(vgt_drv *drv, vgt_drv3d_buffer *staging, uint32_t gmr_id,
                           uint32_t staging_size, uint32_t sid_vb, const void *vertices,
                           uint32_t vertices_size, uint32_t sid_ib, const void *indices,
                           uint32_t indices_size);
/* The 3D samples' teardown: destroys context cid and surfaces sid_first ..
 * sid_last, waits until the device is done with them and frees staging
 * (NULL: none). */
void vgt_drv3d_teardown(vgt_drv *drv, uint32_t cid, uint32_t sid_first, uint32_t sid_last,
                        vgt_drv3d_buffer *staging);
/* The 3D samples' start: the driver, a w x h 32-bit mode, 3D.  On a
 * failure prints "name: error" (and, when the device does not offer 3D, that
 * the sample runs without --no-3d) unless quiet, finishes the driver and
 * returns false. */
bool vgt_drv3d_start(vgt_drv *drv, vgt_guest *guest, const char *name, uint32_t w, uint32_t h,
                     bool quiet);
/* The screen's targets: color sid_color (X8R8G8B8, RENDERTARGET) and depth
 * sid_depth (Z_D24S8, DEPTHSTENCIL), w x h. */
void vgt_drv3d_define_screen_targets(vgt_drv *drv, uint32_t sid_color, uint32_t sid_depth,
                                     uint32_t w, uint32_t h);
/* A sample's end: prints "name: error" unless quiet when the driver failed,
 * finishes the driver, and returns the exit code (0, or 2 on failure). */
int vgt_drv_sample_exit(vgt_drv *drv, const char *name, bool quiet);

/* ======================================================================
 * Demos and the paper's microbenchmarks (samples lit, textured,
 * static-vertex, dynamic-vertex, filled-triangles, draw-calls), the DMA
 * pool they upload through, the native OpenGL path they are compared
 * with, and the `vgt bench paper` sweep.  See docs/samples.md and
 * docs/performance.md.
 * ====================================================================== */

/* ---- the DMA pool ----------------------------------------------------------
 * A ring of GMR-backed staging buffers, the upload pattern real SVGA
 * drivers use: the guest writes data into the current buffer, SURFACE_DMAs
 * it to a host surface, and moves on; a buffer that is left gets a fence,
 * and is written again only after that fence passed.  The guest waits only
 * when it laps the ring faster than the device consumes it. */

#define VGT_DRV3D_POOL_MAX_SLOTS 16u

typedef struct vgt_drv3d_pool {
    vgt_drv *drv;
    uint32_t slots;     /* staging buffers in the ring */
    uint32_t slot_size; /* bytes each (whole pages) */
    vgt_drv3d_buffer buf[VGT_DRV3D_POOL_MAX_SLOTS];
    uint32_t fence[VGT_DRV3D_POOL_MAX_SLOTS]; /* 0: no DMA pending from that buffer */
    uint32_t cur;                             /* the buffer being filled */
    uint32_t used;                            /* bytes of it handed out */
    uint64_t allocations, bytes, waits;       /* statistics; waits: fences waited for */
} vgt_drv3d_pool;

/* Creates `slots` (1..VGT_DRV3D_POOL_MAX_SLOTS) staging buffers of
 * `slot_size` bytes as GMRs first_gmr, first_gmr + 1, ...  The pool owns
 * them; vgt_drv3d_pool_destroy frees them. */
vgt_status vgt_drv3d_pool_create(vgt_drv *drv, uint32_t first_gmr, uint32_t slots,
                                 uint32_t slot_size, vgt_drv3d_pool *pool, vgt_error *err);
/* Waits for every pending DMA, then undefines the GMRs and frees the pages. */
void vgt_drv3d_pool_destroy(vgt_drv3d_pool *pool);
/* Hands out `size` bytes (16-aligned) of staging memory: the guest's pointer,
 * and the device's view in *gptr.  Moves to the next buffer (waiting for its
 * fence if the device has not passed it) when the current one is full.
 * NULL when size > slot_size or the driver failed (drv->error). */
void *vgt_drv3d_pool_alloc(vgt_drv3d_pool *pool, uint32_t size, vgt_svga_guest_ptr *gptr);
/* Closes the current buffer: fences it, and the next allocation starts the
 * next buffer.  Call after the DMAs that read what was allocated. */
void vgt_drv3d_pool_flush(vgt_drv3d_pool *pool);
/* Allocates `size` bytes, copies `data` in, and SURFACE_DMAs them to byte
 * `offset` of BUFFER surface `sid` (the copy box and a suffix bound the read). */
vgt_status vgt_drv3d_pool_upload_buffer(vgt_drv3d_pool *pool, uint32_t sid, uint32_t offset,
                                        const void *data, uint32_t size);

/* ---- the native OpenGL path ------------------------------------------------
 * A headless OpenGL 3.3 core context (EGL surfaceless through libepoxy, or
 * an EGL pbuffer when surfaceless is not offered) with an offscreen
 * framebuffer of the sample's size: what `vgt run NAME --native` renders
 * into.  Current on the thread that created it. */

typedef struct vgt_native_gl vgt_native_gl;

/* Creates the context and a width x height RGBA8 + depth24/stencil8
 * framebuffer (bound).  VGT_E_UNSUPPORTED, saying what is missing, when no
 * EGL display or GL 3.3 context can be had.  Destroy with vgt_native_gl_destroy. */
vgt_status vgt_native_gl_create(uint32_t width, uint32_t height, vgt_native_gl **out,
                                vgt_error *err);
/* Releases the GL objects and the context (the EGL display stays
 * initialised: other contexts of the process may share it). */
void vgt_native_gl_destroy(vgt_native_gl *gl);
/* Makes the context current on the calling thread again (after other GL
 * code, e.g. a gl backend, used the thread); false when EGL refuses. */
bool vgt_native_gl_make_current(vgt_native_gl *gl);
/* GL_RENDERER ("llvmpipe (LLVM 15.0.6, 256 bits)"). */
const char *vgt_native_gl_renderer(const vgt_native_gl *gl);
/* Reads the framebuffer into a new image (top row first, B,G,R,A bytes:
 * the device's display layout); the caller frees it with vgt_image_free. */
vgt_status vgt_native_gl_read(vgt_native_gl *gl, vgt_image *out, vgt_error *err);

/* Renders frame `frame` of the cube sample natively (same vertices,
 * indices, matrices, culling and depth test as samples/cube.c) at w x h and
 * returns the picture in *out (free with vgt_image_free). */
vgt_status vgt_native_cube_render(uint32_t width, uint32_t height, uint32_t frame, vgt_image *out,
                                  vgt_error *err);

/* ---- the paper's microbenchmarks (Dowty & Sugerman, WIOV 2008, Figure 4) -- */

typedef enum vgt_paper_bench {
    VGT_PAPER_STATIC_VERTEX = 0, /* one static VB of N zero-area triangles, one draw a frame */
    VGT_PAPER_DYNAMIC_VERTEX,    /* 100 draws a frame, each after a DMA of N fresh triangles */
    VGT_PAPER_FILLED_TRIANGLES,  /* N triangles, each covering half the viewport */
    VGT_PAPER_DRAW_CALLS,        /* N draws a frame of one small triangle */
    VGT_PAPER_BENCH_COUNT
} vgt_paper_bench;

#define VGT_PAPER_DYNAMIC_DRAWS 100u /* draws per frame of dynamic-vertex */

/* What one run measured.  Timing covers the `frames` timed frames (one
 * untimed warm-up frame runs first); a frame ends with PRESENT and a fence
 * the guest waits for (virtual), or glFinish (native). */
typedef struct vgt_paper_result {
    uint32_t frames;       /* timed frames */
    double seconds;        /* their wall time */
    uint64_t draws;        /* draw calls issued in timed frames */
    uint64_t triangles;    /* triangles drawn in timed frames */
    uint64_t upload_bytes; /* vertex bytes uploaded in timed frames */
    uint64_t pool_waits;   /* virtual: DMA pool buffers waited for */
} vgt_paper_result;

/* "static-vertex", "dynamic-vertex", "filled-triangles", "draw-calls". */
const char *vgt_paper_bench_name(vgt_paper_bench b);
/* "batch" (triangles) or "count" (draw calls): the parameter that varies. */
const char *vgt_paper_bench_param(vgt_paper_bench b);
/* The parameter args gives (batch or count), or the benchmark's default. */
uint32_t vgt_paper_param(vgt_paper_bench b, const vgt_sample_args *args);
/* Runs b virtualized: the guest side, on the guest thread of a VM with 3D
 * enabled.  Returns the sample's exit code (0 success; 1 usage; 2 device or
 * driver failure, message on stderr unless args->quiet). */
int vgt_paper_run_virtual(vgt_guest *guest, vgt_paper_bench b, const vgt_sample_args *args,
                          vgt_paper_result *out);
/* Runs b natively through a headless GL context made on the calling thread;
 * with `last` not NULL, also returns the last frame's picture (free it). */
vgt_status vgt_paper_run_native(vgt_paper_bench b, const vgt_sample_args *args,
                                vgt_paper_result *out, vgt_image *last, vgt_error *err);

/* ---- the sweep (`vgt bench paper`) ---------------------------------------- */

typedef struct vgt_paper_config {
    vgt_backend_kind backend; /* the virtual mode's backend */
    const char *out_dir;      /* results.csv and one SVG per benchmark (created if needed) */
    bool quick;               /* fewer points and shorter runs (a smoke test) */
    uint32_t width, height;   /* the mode (0: 320 x 240) */
    double seconds_per_point; /* target timed seconds per run (0: 0.5, quick 0.1) */
    FILE *out;                /* progress and the summary table (NULL: stdout) */
} vgt_paper_config;

/* Runs every microbenchmark over its parameter range, natively and
 * virtualized, writes out_dir/results.csv (benchmark, param, mode, backend,
 * frames, seconds, per_frame_ms, per_item_us) and out_dir/<benchmark>.svg,
 * and prints the virtualized/native ratio per point. */
vgt_status vgt_paper_sweep(const vgt_paper_config *cfg, vgt_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VGT_SAMPLES_H */
