/* vgt_svga.h - the SVGA II device's wire protocol: PCI ids, I/O ports,
 * registers, capabilities, FIFO registers and the 2D FIFO commands.
 *
 * Part of the protocol library's public interface (included by
 * vgt_protocol.h).  The numbers are facts of the published VMware SVGA II
 * programming model (svga_reg.h, svga_interface.txt); the names are ours.
 * Every structure is an array of little-endian 32-bit words, exactly as the
 * guest writes it into the FIFO or guest memory.
 */
#ifndef VGT_SVGA_H
#define VGT_SVGA_H

#include <stdint.h>

/* ---- PCI identity and I/O ports ---------------------------------------- */

#define VGT_SVGA_PCI_VENDOR 0x15ADu
#define VGT_SVGA_PCI_DEVICE 0x0405u

/* Port offsets inside BAR0 (I/O space). */
#define VGT_SVGA_PORT_INDEX     0x0u
#define VGT_SVGA_PORT_VALUE     0x1u
#define VGT_SVGA_PORT_BIOS      0x2u
#define VGT_SVGA_PORT_IRQSTATUS 0x8u
#define VGT_SVGA_IO_BAR_SIZE    0x10u

/* Version negotiation: the guest writes an id to REG_ID and reads it back. */
#define VGT_SVGA_MAGIC      0x900000u
#define VGT_SVGA_MAKE_ID(v) ((VGT_SVGA_MAGIC << 8) | (v))
#define VGT_SVGA_ID_0       VGT_SVGA_MAKE_ID(0)
#define VGT_SVGA_ID_1       VGT_SVGA_MAKE_ID(1)
#define VGT_SVGA_ID_2       VGT_SVGA_MAKE_ID(2)
#define VGT_SVGA_ID_INVALID 0xFFFFFFFFu

/* REG_ENABLE values. */
#define VGT_SVGA_ENABLE_DISABLE 0u
#define VGT_SVGA_ENABLE_ENABLE  1u
#define VGT_SVGA_ENABLE_HIDE    2u

/* Legacy REG_CURSOR_ON / FIFO_CURSOR_ON values. */
#define VGT_SVGA_CURSOR_ON_HIDE           0u
#define VGT_SVGA_CURSOR_ON_SHOW           1u
#define VGT_SVGA_CURSOR_ON_REMOVE_FROM_FB 2u
#define VGT_SVGA_CURSOR_ON_RESTORE_TO_FB  3u

/* Whether a CURSOR_ON value shows the cursor.  REMOVE_FROM_FB and
 * RESTORE_TO_FB take the cursor out of the guest framebuffer and put it
 * back around drawing under it; svga_interface.txt: "In almost all cases
 * these are NOPs and the cursor will remain visible".  A bypass cursor is
 * never in the framebuffer, so both show it as SHOW does.  The value alone
 * decides (a replay starts from the register's value); values svga_reg.h
 * does not list hide it. */
#define VGT_SVGA_CURSOR_ON_VISIBLE(on)                                                             \
    ((on) >= VGT_SVGA_CURSOR_ON_SHOW && (on) <= VGT_SVGA_CURSOR_ON_RESTORE_TO_FB)

/* Interrupt sources (IRQSTATUS port and REG_IRQMASK). */
#define VGT_SVGA_IRQ_ANY_FENCE     0x1u
#define VGT_SVGA_IRQ_FIFO_PROGRESS 0x2u
#define VGT_SVGA_IRQ_FENCE_GOAL    0x4u

#define VGT_SVGA_MAX_PSEUDOCOLORS      256u
#define VGT_SVGA_NUM_PALETTE_REGS      (3u * VGT_SVGA_MAX_PSEUDOCOLORS)
#define VGT_SVGA_FB_MAX_TRACEABLE_SIZE 0x1000000u

/* ---- registers (written to the INDEX port, then VALUE read/written) ---- */

enum vgt_svga_reg {
    VGT_SVGA_REG_ID = 0,
    VGT_SVGA_REG_ENABLE = 1,
    VGT_SVGA_REG_WIDTH = 2,
    VGT_SVGA_REG_HEIGHT = 3,
    VGT_SVGA_REG_MAX_WIDTH = 4,
    VGT_SVGA_REG_MAX_HEIGHT = 5,
    VGT_SVGA_REG_DEPTH = 6,
    VGT_SVGA_REG_BITS_PER_PIXEL = 7,
    VGT_SVGA_REG_PSEUDOCOLOR = 8,
    VGT_SVGA_REG_RED_MASK = 9,
    VGT_SVGA_REG_GREEN_MASK = 10,
    VGT_SVGA_REG_BLUE_MASK = 11,
    VGT_SVGA_REG_BYTES_PER_LINE = 12,
    VGT_SVGA_REG_FB_START = 13,
    VGT_SVGA_REG_FB_OFFSET = 14,
    VGT_SVGA_REG_VRAM_SIZE = 15,
    VGT_SVGA_REG_FB_SIZE = 16,
    VGT_SVGA_REG_CAPABILITIES = 17, /* registers from here on need SVGA_ID_1 */
    VGT_SVGA_REG_MEM_START = 18,
    VGT_SVGA_REG_MEM_SIZE = 19,
    VGT_SVGA_REG_CONFIG_DONE = 20,
    VGT_SVGA_REG_SYNC = 21,
    VGT_SVGA_REG_BUSY = 22,
    VGT_SVGA_REG_GUEST_ID = 23,
    VGT_SVGA_REG_CURSOR_ID = 24,
    VGT_SVGA_REG_CURSOR_X = 25,
    VGT_SVGA_REG_CURSOR_Y = 26,
    VGT_SVGA_REG_CURSOR_ON = 27,
    VGT_SVGA_REG_HOST_BITS_PER_PIXEL = 28,
    VGT_SVGA_REG_SCRATCH_SIZE = 29,
    VGT_SVGA_REG_MEM_REGS = 30,
    VGT_SVGA_REG_NUM_DISPLAYS = 31,
    VGT_SVGA_REG_PITCHLOCK = 32,
    VGT_SVGA_REG_IRQMASK = 33,
    VGT_SVGA_REG_NUM_GUEST_DISPLAYS = 34,
    VGT_SVGA_REG_DISPLAY_ID = 35,
    VGT_SVGA_REG_DISPLAY_IS_PRIMARY = 36,
    VGT_SVGA_REG_DISPLAY_POSITION_X = 37,
    VGT_SVGA_REG_DISPLAY_POSITION_Y = 38,
    VGT_SVGA_REG_DISPLAY_WIDTH = 39,
    VGT_SVGA_REG_DISPLAY_HEIGHT = 40,
    VGT_SVGA_REG_GMR_ID = 41,
    VGT_SVGA_REG_GMR_DESCRIPTOR = 42,
    VGT_SVGA_REG_GMR_MAX_IDS = 43,
    VGT_SVGA_REG_GMR_MAX_DESCRIPTOR_LENGTH = 44,
    VGT_SVGA_REG_TRACES = 45,
    VGT_SVGA_REG_GMRS_MAX_PAGES = 46,
    VGT_SVGA_REG_MEMORY_SIZE = 47,
    VGT_SVGA_REG_TOP = 48, /* one past the last register */

    VGT_SVGA_PALETTE_BASE = 1024, /* 768 palette registers follow */
    VGT_SVGA_SCRATCH_BASE = 1024 + 768,
};

/* ---- device capabilities (REG_CAPABILITIES) ----------------------------- */

#define VGT_SVGA_CAP_RECT_COPY        0x00000002u
#define VGT_SVGA_CAP_CURSOR           0x00000020u
#define VGT_SVGA_CAP_CURSOR_BYPASS    0x00000040u
#define VGT_SVGA_CAP_CURSOR_BYPASS_2  0x00000080u
#define VGT_SVGA_CAP_8BIT_EMULATION   0x00000100u
#define VGT_SVGA_CAP_ALPHA_CURSOR     0x00000200u
#define VGT_SVGA_CAP_3D               0x00004000u
#define VGT_SVGA_CAP_EXTENDED_FIFO    0x00008000u
#define VGT_SVGA_CAP_MULTIMON         0x00010000u
#define VGT_SVGA_CAP_PITCHLOCK        0x00020000u
#define VGT_SVGA_CAP_IRQMASK          0x00040000u
#define VGT_SVGA_CAP_DISPLAY_TOPOLOGY 0x00080000u
#define VGT_SVGA_CAP_GMR              0x00100000u
#define VGT_SVGA_CAP_TRACES           0x00200000u
#define VGT_SVGA_CAP_GMR2             0x00400000u
#define VGT_SVGA_CAP_SCREEN_OBJECT_2  0x00800000u

/* ---- FIFO registers: 32-bit word indices into FIFO memory (BAR2) -------- */

enum vgt_svga_fifo_reg {
    VGT_SVGA_FIFO_MIN = 0,      /* byte offset of the ring's first word */
    VGT_SVGA_FIFO_MAX = 1,      /* byte offset one past the ring's last word */
    VGT_SVGA_FIFO_NEXT_CMD = 2, /* guest: byte offset where the next command will go */
    VGT_SVGA_FIFO_STOP = 3,     /* host: byte offset of the next command to process */
    VGT_SVGA_FIFO_CAPABILITIES = 4,
    VGT_SVGA_FIFO_FLAGS = 5,
    VGT_SVGA_FIFO_FENCE = 6,
    VGT_SVGA_FIFO_3D_HWVERSION = 7,
    VGT_SVGA_FIFO_PITCHLOCK = 8,
    VGT_SVGA_FIFO_CURSOR_ON = 9,
    VGT_SVGA_FIFO_CURSOR_X = 10,
    VGT_SVGA_FIFO_CURSOR_Y = 11,
    VGT_SVGA_FIFO_CURSOR_COUNT = 12,
    VGT_SVGA_FIFO_CURSOR_LAST_UPDATED = 13,
    VGT_SVGA_FIFO_RESERVED = 14,
    VGT_SVGA_FIFO_CURSOR_SCREEN_ID = 15,
    VGT_SVGA_FIFO_DEAD = 16,
    VGT_SVGA_FIFO_3D_HWVERSION_REVISED = 17,
    VGT_SVGA_FIFO_3D_CAPS = 32,
    VGT_SVGA_FIFO_3D_CAPS_LAST = 32 + 255,
    VGT_SVGA_FIFO_GUEST_3D_HWVERSION = 288,
    VGT_SVGA_FIFO_FENCE_GOAL = 289,
    VGT_SVGA_FIFO_BUSY = 290,
    VGT_SVGA_FIFO_NUM_REGS = 291,
};

/* The extended FIFO (CAPABILITIES onward) is enabled only when the guest's
 * MIN leaves room for every register up to the 3D caps block. */
#define VGT_SVGA_FIFO_EXTENDED_MANDATORY_REGS (VGT_SVGA_FIFO_3D_CAPS_LAST + 1)

/* FIFO capabilities (FIFO_CAPABILITIES). */
#define VGT_SVGA_FIFO_CAP_FENCE           (1u << 0)
#define VGT_SVGA_FIFO_CAP_ACCELFRONT      (1u << 1)
#define VGT_SVGA_FIFO_CAP_PITCHLOCK       (1u << 2)
#define VGT_SVGA_FIFO_CAP_VIDEO           (1u << 3)
#define VGT_SVGA_FIFO_CAP_CURSOR_BYPASS_3 (1u << 4)
#define VGT_SVGA_FIFO_CAP_ESCAPE          (1u << 5)
#define VGT_SVGA_FIFO_CAP_RESERVE         (1u << 6)
#define VGT_SVGA_FIFO_CAP_SCREEN_OBJECT   (1u << 7)
#define VGT_SVGA_FIFO_CAP_GMR2            (1u << 8)
#define VGT_SVGA_FIFO_CAP_SCREEN_OBJECT_2 (1u << 9)
#define VGT_SVGA_FIFO_CAP_DEAD            (1u << 10) /* never to be used by drivers */
/* Same bit as GMR2: FIFO_3D_HWVERSION_REVISED exists. */
#define VGT_SVGA_FIFO_CAP_3D_HWVERSION_REVISED VGT_SVGA_FIFO_CAP_GMR2

#define VGT_SVGA_FIFO_FLAG_ACCELFRONT  (1u << 0)
#define VGT_SVGA_FIFO_FLAG_RESERVED    (1u << 31) /* host internal */
#define VGT_SVGA_FIFO_RESERVED_UNKNOWN 0xFFFFFFFFu

/* The smallest ring the guest may set up (MAX - MIN), in bytes. */
#define VGT_SVGA_FIFO_MIN_RING_BYTES (10u * 1024u)

/* ---- guest memory regions ----------------------------------------------- */

#define VGT_SVGA_GMR_NULL        0xFFFFFFFFu
#define VGT_SVGA_GMR_FRAMEBUFFER 0xFFFFFFFEu /* BAR1 VRAM as a GMR */
#define VGT_SVGA_PAGE_SIZE       4096u
#define VGT_SVGA_PAGE_SHIFT      12u

/* One entry of a register-defined GMR descriptor list:
 * (ppn, n>0): n pages from ppn; (ppn, 0): continue at page ppn; (0, 0): end. */
typedef struct vgt_svga_gmr_descriptor {
    uint32_t ppn;
    uint32_t num_pages;
} vgt_svga_gmr_descriptor;

/* A pointer into a GMR. */
typedef struct vgt_svga_guest_ptr {
    uint32_t gmr_id;
    uint32_t offset;
} vgt_svga_guest_ptr;

/* An image in a GMR; pitch 0 means tightly packed rows. */
typedef struct vgt_svga_guest_image {
    vgt_svga_guest_ptr ptr;
    uint32_t pitch;
} vgt_svga_guest_image;

/* GMRFB image format: bits 0-7 bits per pixel, 8-15 colour depth, rest 0.
 * Supported: 32/24 (BGRX), 24/24 (BGR), 16/16 (565), 16/15 (555). */
#define VGT_SVGA_GMRFB_FORMAT(bpp, depth) ((uint32_t)(bpp) | ((uint32_t)(depth) << 8))
#define VGT_SVGA_GMRFB_BPP(format)        ((format)&0xFFu)
#define VGT_SVGA_GMRFB_DEPTH(format)      (((format) >> 8) & 0xFFu)
#define VGT_SVGA_GMRFB_RESERVED(format)   ((format) >> 16)

/* Half-open signed rectangle: (left, top) inside, (right, bottom) outside. */
typedef struct vgt_svga_signed_rect {
    int32_t left;
    int32_t top;
    int32_t right;
    int32_t bottom;
} vgt_svga_signed_rect;

typedef struct vgt_svga_signed_point {
    int32_t x;
    int32_t y;
} vgt_svga_signed_point;

/* ---- screen objects ----------------------------------------------------- */

#define VGT_SVGA_SCREEN_MUST_BE_SET     (1u << 0)
#define VGT_SVGA_SCREEN_IS_PRIMARY      (1u << 1)
#define VGT_SVGA_SCREEN_FULLSCREEN_HINT (1u << 2)
#define VGT_SVGA_SCREEN_DEACTIVATE      (1u << 3)
#define VGT_SVGA_SCREEN_BLANKING        (1u << 4)

/* The screen object; `struct_size` says how much of it the guest sent
 * (the SCREEN_OBJECT_1 form ends before backing_store). */
typedef struct vgt_svga_screen_object {
    uint32_t struct_size;
    uint32_t id;
    uint32_t flags;
    uint32_t width;
    uint32_t height;
    int32_t root_x;
    int32_t root_y;
    vgt_svga_guest_image backing_store; /* SCREEN_OBJECT_2 */
    uint32_t clone_count;
} vgt_svga_screen_object;

#define VGT_SVGA_SCREEN_OBJECT_V1_BYTES 28u /* struct_size .. root */
#define VGT_SVGA_SCREEN_OBJECT_V2_BYTES 44u /* + backing_store, clone_count */
/* A screen object at least this long holds the whole backing_store. */
#define VGT_SVGA_SCREEN_OBJECT_STORE_BYTES 40u

/* ---- 2D FIFO commands: one id word, then the body --------------------- */

enum vgt_svga_cmd_id {
    VGT_SVGA_CMD_INVALID = 0,
    VGT_SVGA_CMD_UPDATE = 1,
    VGT_SVGA_CMD_RECT_COPY = 3,
    VGT_SVGA_CMD_DEFINE_CURSOR = 19,
    VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR = 22,
    VGT_SVGA_CMD_UPDATE_VERBOSE = 25,
    VGT_SVGA_CMD_FRONT_ROP_FILL = 29,
    VGT_SVGA_CMD_FENCE = 30,
    VGT_SVGA_CMD_ESCAPE = 33,
    VGT_SVGA_CMD_DEFINE_SCREEN = 34,
    VGT_SVGA_CMD_DESTROY_SCREEN = 35,
    VGT_SVGA_CMD_DEFINE_GMRFB = 36,
    VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN = 37,
    VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB = 38,
    VGT_SVGA_CMD_ANNOTATION_FILL = 39,
    VGT_SVGA_CMD_ANNOTATION_COPY = 40,
    VGT_SVGA_CMD_DEFINE_GMR2 = 41,
    VGT_SVGA_CMD_REMAP_GMR2 = 42,
    VGT_SVGA_CMD_MAX_2D = 43,
};

/* Ids 1000..1999 belong to SVGA3D (see vgt_svga3d.h); a 3D command is
 * followed by a {id, size-in-bytes} header instead of a bare id. */
#define VGT_SVGA3D_CMD_FIRST_RESERVED 1000u
#define VGT_SVGA3D_CMD_LAST_RESERVED  1999u

#define VGT_SVGA_CMD_MAX_DATASIZE (256u * 1024u) /* largest variable payload */
#define VGT_SVGA_CMD_MAX_ARGS     64u

typedef struct vgt_svga_cmd_update {
    uint32_t x, y, width, height;
} vgt_svga_cmd_update;

typedef struct vgt_svga_cmd_update_verbose {
    uint32_t x, y, width, height;
    uint32_t reason;
} vgt_svga_cmd_update_verbose;

typedef struct vgt_svga_cmd_rect_copy {
    uint32_t src_x, src_y;
    uint32_t dest_x, dest_y;
    uint32_t width, height;
} vgt_svga_cmd_rect_copy;

/* Followed by the AND mask then the XOR mask, each row padded to 32 bits;
 * each mask depth is 1 or the framebuffer's bits per pixel (rows of
 * depth x width bits, packed: 24 bits are 3 bytes, 15 bits are not 16). */
typedef struct vgt_svga_cmd_define_cursor {
    uint32_t id; /* must be 0 */
    uint32_t hotspot_x, hotspot_y;
    uint32_t width, height;
    uint32_t and_mask_depth;
    uint32_t xor_mask_depth;
} vgt_svga_cmd_define_cursor;

/* Followed by width*height BGRA pixels (premultiplied alpha). */
typedef struct vgt_svga_cmd_define_alpha_cursor {
    uint32_t id; /* must be 0 */
    uint32_t hotspot_x, hotspot_y;
    uint32_t width, height;
} vgt_svga_cmd_define_alpha_cursor;

#define VGT_SVGA_ROP_COPY 0x03u
typedef struct vgt_svga_cmd_front_rop_fill {
    uint32_t color;
    uint32_t x, y, width, height;
    uint32_t rop; /* must be VGT_SVGA_ROP_COPY */
} vgt_svga_cmd_front_rop_fill;

typedef struct vgt_svga_cmd_fence {
    uint32_t fence;
} vgt_svga_cmd_fence;

/* Followed by `size` bytes, padded to a whole word. */
typedef struct vgt_svga_cmd_escape {
    uint32_t nsid;
    uint32_t size;
} vgt_svga_cmd_escape;

/* ---- escape namespaces (svga_escape.h, svga_overlay.h) ------------------ */

/* ESCAPE's nsid; inside the VMware namespace the first payload word is the
 * escape type, its high 16 bits the major command. */
#define VGT_SVGA_ESCAPE_NSID_VMWARE       0x00000000u
#define VGT_SVGA_ESCAPE_NSID_DEVEL        0xFFFFFFFFu
#define VGT_SVGA_ESCAPE_VMWARE_MAJOR_MASK 0xFFFF0000u
#define VGT_SVGA_ESCAPE_VMWARE_LOG        0x00010000u
#define VGT_SVGA_ESCAPE_VMWARE_VIDEO      0x00020000u
#define VGT_SVGA_ESCAPE_VMWARE_HINT       0x00030000u
/* Payload: type, stream id, then (register id, value) pairs. */
#define VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS 0x00020001u
/* Payload: type, stream id. */
#define VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH 0x00020002u

/* Video overlay units (svga_reg.h): the protocol's unit count, the overlay
 * registers a SET_REGS item names, the FourCC formats, the flags. */
#define VGT_SVGA_NUM_OVERLAY_UNITS 32u
enum {
    VGT_SVGA_VIDEO_ENABLED = 0,
    VGT_SVGA_VIDEO_FLAGS = 1,
    VGT_SVGA_VIDEO_DATA_OFFSET = 2,
    VGT_SVGA_VIDEO_FORMAT = 3,
    VGT_SVGA_VIDEO_COLORKEY = 4,
    VGT_SVGA_VIDEO_SIZE = 5, /* deprecated */
    VGT_SVGA_VIDEO_WIDTH = 6,
    VGT_SVGA_VIDEO_HEIGHT = 7,
    VGT_SVGA_VIDEO_SRC_X = 8,
    VGT_SVGA_VIDEO_SRC_Y = 9,
    VGT_SVGA_VIDEO_SRC_WIDTH = 10,
    VGT_SVGA_VIDEO_SRC_HEIGHT = 11,
    VGT_SVGA_VIDEO_DST_X = 12, /* signed */
    VGT_SVGA_VIDEO_DST_Y = 13, /* signed */
    VGT_SVGA_VIDEO_DST_WIDTH = 14,
    VGT_SVGA_VIDEO_DST_HEIGHT = 15,
    VGT_SVGA_VIDEO_PITCH_1 = 16,
    VGT_SVGA_VIDEO_PITCH_2 = 17,
    VGT_SVGA_VIDEO_PITCH_3 = 18,
    VGT_SVGA_VIDEO_DATA_GMRID = 19,    /* default VGT_SVGA_GMR_FRAMEBUFFER */
    VGT_SVGA_VIDEO_DST_SCREEN_ID = 20, /* default VGT_SVGA_ID_INVALID (virtual) */
    VGT_SVGA_VIDEO_NUM_REGS = 21,
};
#define VGT_SVGA_FOURCC_YV12         0x32315659u /* 'Y' 'V' '1' '2' */
#define VGT_SVGA_FOURCC_YUY2         0x32595559u /* 'Y' 'U' 'Y' '2' */
#define VGT_SVGA_FOURCC_UYVY         0x59565955u /* 'U' 'Y' 'V' 'Y' */
#define VGT_SVGA_VIDEO_FLAG_COLORKEY 0x0001u
#define VGT_SVGA_VIDEO_COLORKEY_MASK 0x00FFFFFFu

typedef struct vgt_svga_cmd_destroy_screen {
    uint32_t screen_id;
} vgt_svga_cmd_destroy_screen;

typedef struct vgt_svga_cmd_define_gmrfb {
    vgt_svga_guest_ptr ptr;
    uint32_t bytes_per_line;
    uint32_t format; /* VGT_SVGA_GMRFB_FORMAT(bpp, depth) */
} vgt_svga_cmd_define_gmrfb;

typedef struct vgt_svga_cmd_blit_gmrfb_to_screen {
    vgt_svga_signed_point src_origin;
    vgt_svga_signed_rect dest_rect;
    uint32_t dest_screen_id; /* VGT_SVGA_ID_INVALID: virtual coordinates */
} vgt_svga_cmd_blit_gmrfb_to_screen;

typedef struct vgt_svga_cmd_blit_screen_to_gmrfb {
    vgt_svga_signed_point dest_origin;
    vgt_svga_signed_rect src_rect;
    uint32_t src_screen_id;
} vgt_svga_cmd_blit_screen_to_gmrfb;

typedef struct vgt_svga_cmd_annotation_fill {
    uint32_t color; /* BGRX */
} vgt_svga_cmd_annotation_fill;

typedef struct vgt_svga_cmd_annotation_copy {
    vgt_svga_signed_point src_origin;
    uint32_t src_screen_id;
} vgt_svga_cmd_annotation_copy;

typedef struct vgt_svga_cmd_define_gmr2 {
    uint32_t gmr_id;
    uint32_t num_pages; /* 0 frees the GMR */
} vgt_svga_cmd_define_gmr2;

#define VGT_SVGA_REMAP_GMR2_PPN32      0u
#define VGT_SVGA_REMAP_GMR2_VIA_GMR    (1u << 0)
#define VGT_SVGA_REMAP_GMR2_PPN64      (1u << 1)
#define VGT_SVGA_REMAP_GMR2_SINGLE_PPN (1u << 2)

/* Followed by: one vgt_svga_guest_ptr (VIA_GMR), or a page list of
 * num_pages entries (1 with SINGLE_PPN), 32- or 64-bit (PPN64). */
typedef struct vgt_svga_cmd_remap_gmr2 {
    uint32_t gmr_id;
    uint32_t flags;
    uint32_t offset_pages;
    uint32_t num_pages;
} vgt_svga_cmd_remap_gmr2;

#endif /* VGT_SVGA_H */
