/* vgt_replay.h - the executor: executes decoded SVGA commands against the
 * host display model (legacy framebuffer, screen objects, cursor) and, later,
 * the 3D state tracker and a rendering backend.
 *
 * The one principle: live execution and replay share this code.  The device's
 * FIFO consumer (device/) and the replayer both decode commands with
 * vgt_cmd_decode() and hand them to vgt_executor_execute().  The executor
 * never touches guest memory itself: it reads and writes it only through a
 * vgt_guest_memory interface.  Live, the device implements it over guest RAM
 * and VRAM (and the capture layer taps every byte); in replay, the replayer
 * implements it from the bytes recorded in the trace.  For a given command
 * and executor state the reads and writes happen in a fixed order.
 *
 * State that comes from registers rather than commands (the legacy mode, the
 * cursor position) enters through explicit calls (vgt_executor_set_mode,
 * vgt_executor_set_cursor), so replay can feed the recorded values.
 *
 * An executor is not thread-safe: one thread at a time (the device holds its
 * lock around every call).
 */
#ifndef VGT_REPLAY_H
#define VGT_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "vgt_base.h"
#include "vgt_protocol.h"
#include "vgt_backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvgt.so exports every function this header declares and nothing else:
 * its objects are built with -fvisibility=hidden (cmake/vgt_shared.cmake),
 * so a declaration here is the export (test_shared_symbols checks both ways). */
#pragma GCC visibility push(default)

/* ---- guest memory interface --------------------------------------------- */

/* How the executor reaches guest memory.  gmr_id is a GMR id or
 * VGT_SVGA_GMR_FRAMEBUFFER (the VRAM in BAR1).  Each call moves `len` bytes
 * at `offset` or fails as a whole (VGT_E_RANGE / VGT_E_NOTFOUND with a
 * message) without moving anything. */
typedef struct vgt_guest_memory {
    void *ctx;
    vgt_status (*read)(void *ctx, uint32_t gmr_id, uint32_t offset, void *dst, uint32_t len,
                       vgt_error *err);
    vgt_status (*write)(void *ctx, uint32_t gmr_id, uint32_t offset, const void *src, uint32_t len,
                        vgt_error *err);
    /* Optional (NULL: the executor calls read for each row): `rows` rows of
     * `row_bytes`, `pitch` bytes apart from `offset` (the executor checked
     * that they end within 4 GiB), into dst rows `dst_pitch` bytes apart;
     * the same as those calls of read, in order, and like them a failure
     * may leave the rows before the failing one moved. */
    vgt_status (*read_rows)(void *ctx, uint32_t gmr_id, uint32_t offset, uint32_t pitch,
                            uint32_t row_bytes, uint32_t rows, void *dst, size_t dst_pitch,
                            vgt_error *err);
} vgt_guest_memory;

/* ---- executor ----------------------------------------------------------- */

typedef struct vgt_executor vgt_executor;

/* Limits of the display model. */
#define VGT_EXEC_MAX_SCREENS    16u   /* screen ids 0..15 */
#define VGT_EXEC_MAX_SCREEN_DIM 8192u /* width/height of a screen */
#define VGT_EXEC_MAX_CURSOR_DIM 256u  /* width/height of a cursor image */
/* All screens together (host memory, 4 bytes a pixel: 256 MiB). */
#define VGT_EXEC_MAX_SCREEN_PIXELS (8192u * 8192u)
/* The composed display (the bounding box of all screens). */
#define VGT_EXEC_MAX_DISPLAY_PIXELS (8192u * 8192u)

typedef struct vgt_executor_config {
    vgt_guest_memory mem;     /* copied; ctx must outlive the executor */
    bool enable_3d;           /* execute SVGA3D commands (else they fail with VGT_E_UNSUPPORTED) */
    vgt_backend_kind backend; /* with enable_3d: the backend to render with */
    vgt_backend_options backend_options; /* passed to vgt_backend_create */
    /* The device does not offer FIFO_CAP_VIDEO (hidden): video overlay
     * escapes are ignored as any unknown escape, as a device without the
     * overlay would. */
    bool no_video;
    /* The video overlay's legacy filter: nearest-neighbour scaling and
     * chroma replicated from the stored samples, as vgt drew overlays
     * before 2026-11-30.  false (the default): chroma interpolated and
     * bilinear scaling (docs/device.md, "Video overlay").  The replayer
     * sets it for a trace whose device configuration lacks
     * VGT_TRACE_DEVCFG_F_VIDEO_BILINEAR, so old traces replay as they drew. */
    bool video_nearest;
    /* The VRAM size (SVGA_GMR_FRAMEBUFFER's bytes): a screen's backing
     * store (SCREEN_OBJECT_2) must lie inside it.  0, or no_screen_object_2
     * (the device hides SVGA_CAP_SCREEN_OBJECT_2 or
     * SVGA_FIFO_CAP_SCREEN_OBJECT_2): DEFINE_SCREEN's backing store is
     * ignored and every screen keeps its base layer on the host. */
    uint32_t vram_size;
    bool no_screen_object_2;
    /* With enable_3d: every stage's TEXTURE_ANISOTROPIC_LEVEL is clamped to
     * the backend's MAX_TEXTURE_ANISOTROPY and, when this is not 0, to this
     * too.  The replayer gives the caps the guest was shown, so a trace
     * captured where the caps said 1 draws as it did live (ANISOTROPIC as
     * LINEAR) on a backend that filters anisotropically. */
    uint32_t max_anisotropy;
    /* Optional (the analyzer): called once with the backend just created; it
     * may replace *be by a wrapper that owns the original.  NULL: none. */
    vgt_status (*wrap_backend)(void *ctx, vgt_backend *be, vgt_error *err);
    void *wrap_ctx;
} vgt_executor_config;

/* The legacy (GFB) mode, as the mode registers define it. */
typedef struct vgt_display_mode {
    bool enabled;            /* REG_ENABLE & ENABLE, and not HIDE */
    uint32_t width, height;  /* pixels */
    uint32_t bits_per_pixel; /* 32; 24 packed, 16 (5-6-5), 15 (5-5-5); 8: through the palette */
    uint32_t bytes_per_line; /* pitch of the GFB in VRAM */
    uint32_t fb_offset;      /* GFB start inside VRAM */
} vgt_display_mode;

/* Bytes per pixel of the legacy framebuffer at `bits_per_pixel`: 4 for 32,
 * 3 for 24 (packed B, G, R), 2 for 16 and 15, 1 for 8
 * (SVGA_CAP_8BIT_EMULATION: pseudocolor), 0 for a depth the executor does
 * not take. */
uint32_t vgt_display_bytes_per_pixel(uint32_t bits_per_pixel);

/* The legacy mode the mode registers define: BYTES_PER_LINE is PITCHLOCK
 * when set, else WIDTH times the bytes per pixel; a mode whose framebuffer
 * (pitch * HEIGHT, or a pitch over 32 bits) does not fit in `vram_size`
 * bytes is disabled and *too_big (may be NULL) set.  The device applies it
 * and the replayer re-applies it from the recorded registers, so both take
 * the same mode from the same values. */
vgt_display_mode vgt_display_mode_from_regs(uint32_t enable, uint32_t width, uint32_t height,
                                            uint32_t bits_per_pixel, uint32_t pitchlock,
                                            uint32_t vram_size, bool *too_big);

/* What executing a command did, for the device's frame rule and stats. */
typedef struct vgt_exec_result {
    bool screen_changed; /* the command changed what the host shows (2D frame rule) */
    bool ends_frame;     /* the command ends a frame by itself (3D present; none yet) */
    uint64_t bytes_read; /* guest memory read through the interface */
    uint64_t bytes_written;
} vgt_exec_result;

/* Creates an executor with an empty display (no mode, no screens). */
vgt_status vgt_executor_create(const vgt_executor_config *cfg, vgt_executor **out, vgt_error *err);
/* Destroys ex and everything it owns (NULL is fine). */
void vgt_executor_destroy(vgt_executor *ex);
/* Back to the state after create: no mode, no screens, no cursor, no GMRFB. */
void vgt_executor_reset(vgt_executor *ex);

/* Applies a legacy mode (from REG_ENABLE/WIDTH/HEIGHT/BPP/...).  As on the
 * hardware, a mode change deletes every screen object and redefines screen 0
 * as the GFB (contents preserved where the sizes overlap).  A disabled mode
 * removes screen 0.  Fails (state unchanged) for depths other than 8, 15, 16,
 * 24 and 32, sizes over VGT_EXEC_MAX_SCREEN_DIM, or a pitch smaller than
 * width times the bytes per pixel. */
vgt_status vgt_executor_set_mode(vgt_executor *ex, const vgt_display_mode *mode, vgt_error *err);
/* The mode last applied (zeroed before any). */
vgt_display_mode vgt_executor_mode(const vgt_executor *ex);

/* Sets one palette register (SVGA_PALETTE_BASE + component): component
 * 3n, 3n+1, 3n+2 is entry n's red, green, blue, n in 0..255; the low 8 bits
 * of value count (the device stores no more).  8-bit modes show index n as
 * that colour from the next UPDATE or RECT_COPY that reads it on: what is
 * shown already keeps its colours (the framebuffer is shown only by an
 * update).  VGT_E_RANGE for component >= 768. */
vgt_status vgt_executor_set_palette(vgt_executor *ex, uint32_t component, uint32_t value,
                                    vgt_error *err);
/* Palette entry `index` as the host pixel it shows: 0x00RRGGBB. */
uint32_t vgt_executor_palette_color(const vgt_executor *ex, uint8_t index);

/* Sets the cursor position/visibility (cursor bypass 2/3 registers).
 * screen_id VGT_SVGA_ID_INVALID: (x, y) in virtual coordinates; otherwise
 * relative to that screen's origin. */
void vgt_executor_set_cursor(vgt_executor *ex, bool visible, int32_t x, int32_t y,
                             uint32_t screen_id);

/* Executes one decoded command (any id other than the device-level FENCE,
 * DEFINE_GMR2, REMAP_GMR2, which return VGT_E_INVALID; ESCAPE runs the video
 * overlay escapes of the VMware namespace and ignores every other).  On error
 * nothing visible changed unless the message says otherwise; *res (may be
 * NULL) is filled either way. */
vgt_status vgt_executor_execute(vgt_executor *ex, const vgt_cmd *cmd, vgt_exec_result *res,
                                vgt_error *err);

/* True for the commands the 2D frame rule counts as screen-changing
 * (UPDATE, UPDATE_VERBOSE, RECT_COPY, BLIT_GMRFB_TO_SCREEN, DEFINE_SCREEN,
 * DESTROY_SCREEN, DEFINE_CURSOR, DEFINE_ALPHA_CURSOR). */
bool vgt_cmd_is_screen_changing(uint32_t id);
/* True for the commands that end a frame by themselves (3D PRESENT,
 * PRESENT_READBACK, BLIT_SURFACE_TO_SCREEN). */
bool vgt_cmd_ends_frame(uint32_t id);

/* Composes what the host shows: every active screen placed at its root
 * position inside their bounding box (black elsewhere; screen 0 of the legacy
 * mode sits at 0,0), blanked screens black, then the cursor on top (alpha
 * cursors blended premultiplied, AND/XOR cursors applied).  Alpha is 0xFF.
 * *out points at an image owned by the executor, valid until the next call
 * that changes the executor.  VGT_E_STATE when no screen is active. */
vgt_status vgt_executor_compose(vgt_executor *ex, const vgt_image **out, vgt_error *err);
/* A number that changes whenever what vgt_executor_compose shows may have
 * changed (equal numbers: the same image, so e.g. its hash can be reused). */
uint64_t vgt_executor_display_generation(const vgt_executor *ex);
/* For the image vgt_executor_compose returned (img), a number per row that
 * changes whenever compose rewrites that row (unique in the process: a row
 * whose number a consumer saw before holds the same bytes), so a consumer
 * can hash only the changed rows (vgt_trace_frame_row_hash).  NULL for any
 * other image. */
const uint64_t *vgt_executor_composed_row_stamps(const vgt_executor *ex, const vgt_image *img);

/* The 3D capability block the device shows in FIFO memory: fills
 * words[0..max-1] and returns how many are valid (0 while 3D is absent);
 * *hw_version receives the SVGA3D hardware version (0 while absent). */
uint32_t vgt_executor_3d_caps(const vgt_executor *ex, uint32_t *hw_version, uint32_t *words,
                              uint32_t max);
/* The backend 3D renders with (owned by the executor), or NULL while 3D is off. */
const vgt_backend *vgt_executor_backend(const vgt_executor *ex);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

/* The replayer and the SVGA trace records (a sub-header of this interface). */
#include "vgt_replayer.h"

#endif /* VGT_REPLAY_H */
