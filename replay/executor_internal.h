/* executor_internal.h - the executor's state, private to replay/ (executor.c
 * and snapshot.c, which saves and restores it for capture snapshots).  When
 * you add state to struct vgt_executor, teach snapshot.c about it. */
#ifndef VGT_EXECUTOR_INTERNAL_H
#define VGT_EXECUTOR_INTERNAL_H

#include "vgt_replay.h"

#include <stddef.h>

typedef struct exec_screen {
    bool defined;
    bool legacy; /* screen 0 created by the legacy mode registers */
    uint32_t flags;
    int32_t x, y; /* root position in virtual coordinates */
    uint32_t w, h;
    uint32_t *pix; /* w*h pixels, 0xAARRGGBB little-endian words (BGRX bytes) */
    /* SCREEN_OBJECT_2: the base layer lives in guest memory (VRAM) at
     * offset, rows pitch bytes apart.  pix is then what is shown: the store
     * as the last DEFINE_SCREEN, UPDATE or blit left it. */
    bool has_store;
    uint32_t store_gmr, store_offset, store_pitch;
} exec_screen;

typedef struct exec_cursor {
    bool defined;
    bool alpha;
    uint32_t hot_x, hot_y, w, h;
    uint32_t *and_px; /* AND/XOR cursor: per-pixel masks; alpha cursor: premultiplied BGRA */
    uint32_t *xor_px;
    /* An 8-bit mode cursor with a mask of depth 8 (and none of 32): and_px
     * holds AND values and xor_px XOR indices, 0..0xFF each (a 1-bit mask
     * as 0 or 0xFF), applied to the palette index a pixel shows at compose
     * (draw_cursor); otherwise both are host colours. */
    bool indexed;
    /* 16 or 24 when the AND mask was of that mode's depth with a value
     * other than 0 and all ones: and_px then holds those guest-format AND
     * values, applied at compose to the screen's pixel narrowed into that
     * format (draw_cursor; xor_px stays host colours); 0 otherwise. */
    uint32_t and_bits;
    bool visible;
    int32_t x, y;
    uint32_t screen_id;
} exec_cursor;

/* One video overlay unit (overlay.c).  regs are what SET_REGS wrote (they
 * take effect at the next FLUSH); the rest is what the last FLUSH latched:
 * the frame converted to 0xFFRRGGBB and scaled to the destination size,
 * at virtual (x, y), shown above the screens and below the cursor. */
typedef struct exec_overlay {
    uint32_t regs[VGT_SVGA_VIDEO_NUM_REGS];
    bool shown;
    bool colorkey; /* show only where the base layer's RGB equals key */
    uint32_t key;
    int64_t x, y;
    uint32_t w, h;
    uint32_t *pix; /* w*h pixels */
} exec_overlay;

/* Boxes of damage kept before compose redoes the whole display. */
#define EXEC_DAMAGE_MAX 32

/* A box in virtual display coordinates, right and bottom exclusive. */
typedef struct exec_box {
    int64_t l, t, r, b;
} exec_box;

struct vgt_executor {
    vgt_executor_config cfg;
    vgt_display_mode mode;
    exec_screen screens[VGT_EXEC_MAX_SCREENS];
    struct {
        bool defined;
        vgt_svga_guest_ptr ptr;
        uint32_t bytes_per_line;
        uint32_t format;
        uint32_t layout; /* vgt_exec_gmrfb_layout(format): 32, 24, 16 or 15 */
    } gmrfb;
    struct {
        bool fill_pending, copy_pending;
        uint32_t color;
    } annotation;
    exec_cursor cursor;
    /* The 8-bit mode's colour map as host pixels, 0x00RRGGBB per entry
     * (the palette registers' red, green, blue). */
    uint32_t palette[VGT_SVGA_MAX_PSEUDOCOLORS];
    /* The 8-bit mode's index shadow of screen 0 (the legacy screen): a
     * companion of screens[0].pix (w x h, the screen's size) holding, per
     * pixel, the palette index the last UPDATE or RECT_COPY showed there
     * (idx, w*h bytes) and whether the pixel still shows it (known, a bit a
     * pixel, rows of (w+7)/8 bytes; host colours written there by a blit,
     * 3D output, a zeroed new area or a backing store clear it).  An 8-bit
     * cursor works on these indices.  Allocated only while the mode is
     * enabled at 8 bits (NULL otherwise). */
    struct {
        uint8_t *idx;
        uint8_t *known;
        uint32_t w, h;
    } shadow;
    /* Palette indices expanded to host pixels, a band of rows at a time,
     * for an 8-bit rectangle that no single screen holds. */
    uint32_t *expand;
    size_t expand_cap; /* pixels */
    uint8_t *scratch;
    size_t scratch_cap;
    vgt_image composed;
    /* What vgt_executor_compose would show changes only where display_gen is
     * bumped (every 2D command, mode, cursor, reset, and 3D output that
     * changes a screen's bytes); composed_gen is the generation `composed`
     * shows, so an unchanged display is not composed again. */
    uint64_t display_gen;
    uint64_t composed_gen;
    /* Where the display changed since `composed` was made (virtual
     * coordinates, right/bottom exclusive): damage_n boxes, or everything
     * (damage_all: screens defined, destroyed or moved, a mode, a cursor
     * image, any 2D command not tracked box by box).  compose redoes only
     * those boxes and the cursor's old one; composed_l/t is its origin. */
    exec_box damage[EXEC_DAMAGE_MAX];
    uint32_t damage_n;
    bool damage_all;
    int64_t composed_l, composed_t;
    bool cursor_drawn; /* the cursor is in `composed`, in cursor_box */
    /* Per row of `composed`: the stamp of the compose that last wrote it
     * (vgt_executor_composed_row_stamps; stamps are unique in the process,
     * so a row whose stamp a consumer saw before has the same bytes). */
    uint64_t *row_stamp;
    exec_box cursor_box;
    /* The last block of zero pixels put (vgt_exec_display_put_zero) and the
     * display generation right after it: the same put again changes
     * nothing while display_gen is unchanged. */
    struct {
        bool valid;
        int64_t x, y;
        uint32_t w, h;
        uint64_t gen;
    } zero_put;
    uint8_t *zero_row; /* zero_row_cap bytes of zeros */
    size_t zero_row_cap;
    exec_overlay overlays[VGT_SVGA_NUM_OVERLAY_UNITS];
    uint32_t overlays_shown; /* units with shown set */
    uint32_t *base_row;      /* compose: a row of the base layer under overlays */
    size_t base_row_cap;     /* in pixels */
    vgt_exec_result *res;    /* the result of the command being executed */
    struct vgt_exec3d *e3d;  /* the SVGA3D state tracker (exec3d.h); NULL while 3D is off */
};

/* Checks an enabled mode as vgt_executor_set_mode does (depth, size,
 * pitch); snapshot.c refuses what set_mode would. */
vgt_status vgt_exec_mode_check(const vgt_display_mode *mode, vgt_error *err);

/* The pixel layout of a GMRFB format the blits convert, in *layout: 32
 * (32/24 BGRX), 24 (24/24 BGR), 16 (16/16 R5G6B5) or 15 (16/15 X1R5G5B5),
 * the same codes as the legacy modes' bits per pixel.  VGT_E_INVALID for
 * reserved bits set, VGT_E_UNSUPPORTED for another bpp/depth pair.
 * DEFINE_GMRFB and snapshot.c both use it. */
vgt_status vgt_exec_gmrfb_layout(uint32_t format, uint32_t *layout, vgt_error *err);

/* The index shadow (above): a new one of w x h pixels, all unknown, into
 * *idx and *known (VGT_E_NOMEM; sizes checked); freed by vgt_exec_shadow_free. */
vgt_status vgt_exec_shadow_alloc(uint32_t w, uint32_t h, uint8_t **idx, uint8_t **known,
                                 vgt_error *err);
/* Bytes per row of the shadow's known bitmap for a w-pixel row. */
size_t vgt_exec_shadow_known_pitch(uint32_t w);
/* Frees the executor's shadow (none after). */
void vgt_exec_shadow_free(vgt_executor *ex);
/* ---- executor.c, for overlay.c ------------------------------------------ */

/* What is shown changed in the virtual box [l, r) x [t, b). */
void vgt_exec_damage_box(vgt_executor *ex, int64_t l, int64_t t, int64_t r, int64_t b);
/* Reads `rows` rows of row_bytes, pitch apart, through the guest memory
 * interface (one read_rows call where it has one); `what` and first_row
 * name a failure. */
vgt_status vgt_exec_mem_read_rows(vgt_executor *ex, uint32_t gmr, uint64_t offset, uint64_t pitch,
                                  uint64_t row_bytes, uint32_t rows, uint8_t *dst, size_t dst_pitch,
                                  const char *what, uint64_t first_row, vgt_error *err);

/* ---- overlay.c: the video overlay units (SVGA_ESCAPE_VMWARE_VIDEO) ------- */

/* Executes an ESCAPE: VMware video escapes change the overlay units (a
 * FLUSH reads the frame through the guest memory interface and sets
 * *changed); every other namespace and major command is accepted and
 * ignored. */
vgt_status vgt_exec_escape(vgt_executor *ex, const vgt_cmd *cmd, bool *changed, vgt_error *err);
/* The units back to power-on: registers at their defaults, nothing shown. */
void vgt_exec_overlays_reset(vgt_executor *ex);
/* A unit register's power-on value (DATA_GMRID: the framebuffer,
 * DST_SCREEN_ID: invalid, the rest 0). */
uint32_t vgt_exec_overlay_reg_default(uint32_t reg);
/* Draws the shown units over the virtual box [l, r) x [y, y+1) of img
 * (whose top-left is virtual (ox, oy)), row y, after the screens were. */
void vgt_exec_overlays_draw_row(const vgt_executor *ex, vgt_image *img, int64_t ox, int64_t oy,
                                int64_t l, int64_t r, int64_t y);

/* ---- snapshot.c: the growing byte buffer of snapshot sections ----------- */

typedef struct snap_buf {
    uint8_t *p;
    size_t len, cap;
    bool failed; /* out of memory or too large: nothing more is appended */
} snap_buf;

/* Appends n bytes (zeros when data is NULL). */
void snap_put_bytes(snap_buf *b, const void *data, size_t n);
/* Appends v as a little-endian word. */
void snap_put32(snap_buf *b, uint32_t v);

/* A reader over a snapshot section: reading past its end sets `bad` and
 * returns zeros from then on, so a loader checks once after reading. */
typedef struct snap_rd {
    const uint8_t *p;
    size_t len, pos;
    bool bad;
} snap_rd;

/* The next little-endian word (0 and `bad` past the end). */
uint32_t snap_get32(snap_rd *r);

#endif
