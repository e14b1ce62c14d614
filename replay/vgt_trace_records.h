/* vgt_trace_records.h - the payload layouts of the SVGA records of a vgt trace:
 * what capture/ writes and the replayer reads (docs/format.md, section "SVGA
 * records").  Part of replay's public interface (included by vgt_replayer.h).
 *
 * The container (format/) stores typed, timestamped records; these are the
 * payloads of the well-known user types for the "svga2" protocol.  All
 * integers are little-endian; a payload is parsed only through the
 * vgt_trace_*_parse functions, which check every size (trace files are
 * hostile).  Parsed views point into the caller's payload bytes.
 */
#ifndef VGT_TRACE_RECORDS_H
#define VGT_TRACE_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vgt_base.h"
#include "vgt_format.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvgt.so exports every function this header declares and nothing else:
 * its objects are built with -fvisibility=hidden (cmake/vgt_shared.cmake),
 * so a declaration here is the export (test_shared_symbols checks both ways). */
#pragma GCC visibility push(default)

/* The protocol id and name in the file header of an SVGA trace. */
#define VGT_SVGA_TRACE_PROTOCOL_ID   0x32414753u /* the bytes "SGA2" */
#define VGT_SVGA_TRACE_PROTOCOL_NAME "svga2"

/* ---- header: device configuration blob ------------------------------------ */

#define VGT_TRACE_DEVCFG_MAGIC   0x43444756u /* "VGDC" */
#define VGT_TRACE_DEVCFG_VERSION 1u
#define VGT_TRACE_DEVCFG_F_3D    (1u << 0) /* the device offered SVGA3D */
/* The video overlay interpolated chroma and scaled bilinearly (vgt since
 * 2026-11-30); clear: nearest neighbour, replicated chroma (every trace
 * before, and a device configured with video_nearest). */
#define VGT_TRACE_DEVCFG_F_VIDEO_BILINEAR (1u << 1)
#define VGT_TRACE_MAX_3D_CAPS             256u /* FIFO_3D_CAPS .. FIFO_3D_CAPS_LAST */
#define VGT_TRACE_DEVCFG_FIXED            60u  /* bytes before the caps words */

/* What the guest was shown: the device configuration and the 3D caps. */
typedef struct vgt_trace_device_config {
    uint32_t vram_size, fifo_size;
    uint32_t flags; /* VGT_TRACE_DEVCFG_F_* */
    uint32_t max_width, max_height;
    uint32_t gmr_max_ids, gmr_max_descriptor_length, gmrs_max_pages;
    uint32_t hide_caps, hide_fifo_caps;
    uint32_t backend_3d;    /* vgt_backend_kind the device rendered 3D with live */
    uint32_t hw_version_3d; /* FIFO_3D_HWVERSION the guest saw (0 without 3D) */
    uint32_t caps_3d_count; /* valid words in caps_3d */
    uint32_t caps_3d[VGT_TRACE_MAX_3D_CAPS];
} vgt_trace_device_config;

/* Encodes cfg into buf (at least vgt_trace_devcfg_size(cfg) bytes); returns
 * the size written. */
size_t vgt_trace_devcfg_encode(const vgt_trace_device_config *cfg, uint8_t *buf);
/* Bytes vgt_trace_devcfg_encode writes. */
size_t vgt_trace_devcfg_size(const vgt_trace_device_config *cfg);
/* Decodes a header's device_config blob (VGT_E_FORMAT when it is not one). */
vgt_status vgt_trace_devcfg_parse(const void *data, size_t size, vgt_trace_device_config *out,
                                  vgt_error *err);

/* ---- COMMAND (0x1000) --------------------------------------------------------
 * timestamp: when the device started copying it out of the FIFO (fetch).
 * payload: u64 seq, u32 fifo_offset, u32 reserved (0), then the command's
 * words exactly as the device copied them (nwords = (size - 16) / 4). */
#define VGT_TRACE_CMD_PREFIX 16u
/* The fifo_offset of a command the device originated instead of fetching
 * it from the FIFO (a FIFO offset is 4-aligned and below 16 MiB): the
 * UPDATE of a framebuffer trace refresh (docs/device.md "Framebuffer
 * traces"), replayed as any command; equal to VGT_DEVICE_REFRESH_OFFSET. */
#define VGT_TRACE_REFRESH_OFFSET 0xFFFFFFFFu
typedef struct vgt_trace_command {
    uint64_t seq;         /* the device's command number (0 = first since create) */
    uint32_t fifo_offset; /* FIFO byte offset of the first word */
    uint32_t nwords;
    const uint8_t *words; /* nwords little-endian words (not necessarily aligned) */
    uint64_t fetch_ns;    /* when the device began copying it (the record's timestamp) */
} vgt_trace_command;

/* ---- COMMAND_BATCH (0x1008) ----------------------------------------------------
 * Consecutive commands (seqs first .. first+count-1) in one record, the
 * capture's usual way of recording them: the words of one command after
 * another, with what differs per command (length, FIFO offset, fetch time)
 * in columns before them, so that repeated commands stay repeated bytes.
 * timestamp: the first command's fetch.
 * payload: u64 first seq, u32 count (>= 1), u32 reserved (0),
 *          count x u32 nwords (each >= 1), count x u32 fifo_offset,
 *          count x u32 fetch - timestamp (ns), then the words of every
 *          command back to back (size = 16 + 12 count + 4 sum(nwords)),
 *          but for a command whose nwords has VGT_TRACE_BATCH_REPEAT: the
 *          same words as the command before it in the record (its count,
 *          the low bits, is that command's), not stored again. */
#define VGT_TRACE_BATCH_PREFIX 16u
#define VGT_TRACE_BATCH_REPEAT (1u << 31)
/* A parsed COMMAND or COMMAND_BATCH: vgt_trace_commands_next yields its
 * commands in order. */
typedef struct vgt_trace_commands {
    uint64_t first_seq, timestamp_ns;
    uint32_t count;
    const uint8_t *nwords, *offsets, *fetch, *words; /* columns (NULL for one COMMAND) */
    vgt_trace_command one;                           /* a COMMAND record's command */
    uint32_t next;                                   /* the next command to yield */
    size_t word_pos;                                 /* its first word's byte in words */
    const uint8_t *last_words;                       /* the command before it (repeats) */
} vgt_trace_commands;

/* True for the record types that hold commands (COMMAND, COMMAND_BATCH). */
static inline bool vgt_trace_is_commands(uint16_t type)
{
    return type == VGT_REC_COMMAND || type == VGT_REC_COMMAND_BATCH;
}
/* Parses a COMMAND or COMMAND_BATCH record: every length checked against the
 * payload (VGT_E_FORMAT naming the record otherwise). */
vgt_status vgt_trace_commands_parse(const vgt_trace_record *rec, vgt_trace_commands *out,
                                    vgt_error *err);
/* The next command of a parsed record; false after the last. */
bool vgt_trace_commands_next(vgt_trace_commands *b, vgt_trace_command *out);

/* ---- DMA_DATA (0x1001): bytes the device read from guest memory -------------
 * Reads are recorded in the order the executor made them; consecutive reads
 * of one command that continue each other (same GMR, next offset) are merged.
 *   flags 0:        u64 seq, u32 gmr, u32 offset, then the bytes (size - 16)
 *   flags DESC:     u64 seq, u32 gmr, u32 offset, u32 length, u32 0 (24 bytes);
 *                   the next DMA_DATA record (flags BYTES) holds the bytes
 *   flags BYTES:    the bytes alone, so that the container can deduplicate a
 *                   payload uploaded again (used for reads >= the dedup size)
 *   flags DESC|ROWS: u64 seq, u32 gmr, u32 offset, u32 length, u32 row bytes,
 *                   u32 pitch, u32 rows (32 bytes): one command's reads of
 *                   `rows` rows of `row bytes`, `pitch` bytes apart from
 *                   `offset` (a rectangle read a row at a time), merged;
 *                   length = rows x row bytes, in the next record (BYTES) */
#define VGT_TRACE_DMA_F_DESC  (1u << 0)
#define VGT_TRACE_DMA_F_BYTES (1u << 1)
#define VGT_TRACE_DMA_F_ROWS  (1u << 2)
#define VGT_TRACE_DMA_PREFIX  16u
#define VGT_TRACE_DMA_DESC    24u
#define VGT_TRACE_DMA_ROWS    32u
typedef struct vgt_trace_dma {
    uint64_t seq;
    uint32_t gmr; /* GMR id, or VGT_SVGA_GMR_FRAMEBUFFER */
    uint32_t offset;
    uint32_t length;
    /* the extent's shape: one row of `length` bytes (pitch = length) unless
     * flags ROWS; row k starts at offset + k * pitch */
    uint32_t row_bytes, pitch, rows;
    const uint8_t *bytes; /* NULL for a DESC record */
} vgt_trace_dma;

/* ---- REGISTER_WRITE (0x1002) ----------------------------------------------
 *   flags 0:           u32 register index, u32 value as the device took it
 *   flags FIFO_CURSOR: u64 seq, u32 visible (0/1), i32 x, i32 y, u32 screen_id:
 *                      the FIFO cursor registers the device sampled (cursor
 *                      bypass 3) at a frame end */
#define VGT_TRACE_REG_F_FIFO_CURSOR (1u << 0)
typedef struct vgt_trace_reg {
    bool fifo_cursor;
    uint32_t reg, value; /* flags 0 */
    uint64_t seq;        /* FIFO_CURSOR */
    bool visible;
    int32_t x, y;
    uint32_t screen_id;
} vgt_trace_reg;

/* ---- FENCE (0x1003): u64 seq, u32 fence, u32 0 ------------------------------ */
typedef struct vgt_trace_fence {
    uint64_t seq;
    uint32_t fence;
} vgt_trace_fence;

/* ---- FRAME_HASH (0x1004) ------------------------------------------------------
 * Written at every frame end, just before the container's FRAME_END:
 * u64 guest frame, u64 seq of the last command, u64 hash, u32 width,
 * u32 height, u32 flags, u32 0 (40 bytes).  hash is the hash of what the
 * host showed (0 with NO_DISPLAY): with ROWS the row tree
 * (vgt_trace_frame_row_hash, vgt's capture since 2026-11-29), else XXH3_64
 * of the whole image (vgt_trace_frame_hash_image). */
#define VGT_TRACE_FRAME_F_NO_DISPLAY (1u << 0)
#define VGT_TRACE_FRAME_F_ROWS       (1u << 1)
#define VGT_TRACE_FRAME_HASH_SIZE    40u
typedef struct vgt_trace_frame_hash {
    uint64_t frame; /* the guest's frame number (the device's count) */
    uint64_t last_seq;
    uint64_t hash;
    uint32_t width, height;
    uint32_t flags;
} vgt_trace_frame_hash;

/* XXH3_64 (seed 0) of the image's rows, width*4 bytes each, top to bottom. */
uint64_t vgt_trace_frame_hash_image(const vgt_image *img);

/* The row tree of images (vgt_trace_hash_row_tree), each row's hash kept
 * with the stamp it was computed at (vgt_executor_composed_row_stamps): a
 * row whose stamp has not changed is not hashed again.  Zero-initialize;
 * vgt_trace_row_cache_free releases it. */
typedef struct vgt_trace_row_cache {
    uint32_t width, height;
    uint64_t *stamp; /* per row, the stamp its hash is of (0: none) */
    uint64_t *hash;
} vgt_trace_row_cache;
/* The ROWS hash of img (0 for no image).  stamps: one per row of img, or
 * NULL (every row hashed).  Without memory for the cache, hashed whole. */
uint64_t vgt_trace_frame_row_hash(vgt_trace_row_cache *cache, const vgt_image *img,
                                  const uint64_t *stamps);
void vgt_trace_row_cache_free(vgt_trace_row_cache *cache);

/* ---- TIMING (0x1005): per-command timestamps, batched -----------------------
 * u64 first seq, u32 count, u32 0, then count entries of {u32 start - fetch,
 * u32 end - start} in ns (saturated at 2^32-1) for seqs first..first+count-1.
 * fetch is the COMMAND record's timestamp. */
#define VGT_TRACE_TIMING_PREFIX 16u
typedef struct vgt_trace_timing {
    uint64_t first_seq;
    uint32_t count;
    const uint8_t *entries; /* count * 8 bytes */
} vgt_trace_timing;
/* Entry i of a parsed TIMING record. */
void vgt_trace_timing_get(const vgt_trace_timing *t, uint32_t i, uint32_t *queue_ns,
                          uint32_t *exec_ns);

/* ---- ERROR (0x1006) -------------------------------------------------------------
 * u64 seq (UINT64_MAX when not about a command), u32 fifo_offset, u32 kind
 * (vgt_device_error_kind), then the message (UTF-8, no NUL). */
#define VGT_TRACE_ERROR_PREFIX 16u
typedef struct vgt_trace_error {
    uint64_t seq;
    uint32_t fifo_offset;
    uint32_t kind;
    const char *message; /* not NUL-terminated */
    uint32_t message_len;
} vgt_trace_error;

/* ---- SNAPSHOT (0x1007): the device state a trace starts from ----------------
 * u32 magic "VGSN", u32 version 1, u64 guest frame (the first frame after
 * it), u64 next seq, then sections {u32 tag, u32 0, u64 size, size bytes}:
 *   "REGS": n x {u32 reg, u32 value}: the register file the replayer applies
 *           silently (mode registers, legacy cursor, IRQ mask ...)
 *   "EX2D": the executor's display state (vgt_executor_snapshot_save)
 *   "EX3D": the 3D state as synthetic SVGA3D commands
 *           (vgt_executor_snapshot_save_3d); only when the guest has 3D objects
 *   "EXVO": the video overlay units (vgt_executor_snapshot_save_video); only
 *           when a unit differs from power-on; after EX2D (whose load resets them)
 *   "FENC": the FIFO's FENCE register (the last fence passed): u32 version
 *           (1), u32 value; only when a FENCE passed before the snapshot
 * Unknown sections are skipped. */
#define VGT_TRACE_SNAPSHOT_MAGIC    0x4E534756u /* "VGSN" */
#define VGT_TRACE_SNAPSHOT_VERSION  1u
#define VGT_TRACE_SNAP_REGS         0x53474552u /* "REGS" */
#define VGT_TRACE_SNAP_EX2D         0x44325845u /* "EX2D" */
#define VGT_TRACE_SNAP_EX3D         0x44335845u /* "EX3D" */
#define VGT_TRACE_SNAP_EXVO         0x4F565845u /* "EXVO" */
#define VGT_TRACE_SNAP_FENC         0x434E4546u /* "FENC" */
#define VGT_TRACE_SNAP_FENC_VERSION 1u
#define VGT_TRACE_SNAPSHOT_PREFIX   24u

/* ---- parsing ---------------------------------------------------------------- */

vgt_status vgt_trace_command_parse(const vgt_trace_record *rec, vgt_trace_command *out,
                                   vgt_error *err);
vgt_status vgt_trace_dma_parse(const vgt_trace_record *rec, vgt_trace_dma *out, vgt_error *err);
vgt_status vgt_trace_reg_parse(const vgt_trace_record *rec, vgt_trace_reg *out, vgt_error *err);
vgt_status vgt_trace_fence_parse(const vgt_trace_record *rec, vgt_trace_fence *out, vgt_error *err);
vgt_status vgt_trace_frame_hash_parse(const vgt_trace_record *rec, vgt_trace_frame_hash *out,
                                      vgt_error *err);
vgt_status vgt_trace_timing_parse(const vgt_trace_record *rec, vgt_trace_timing *out,
                                  vgt_error *err);
vgt_status vgt_trace_error_parse(const vgt_trace_record *rec, vgt_trace_error *out, vgt_error *err);

/* One section of a SNAPSHOT record. */
typedef struct vgt_trace_snapshot_section {
    uint32_t tag;
    uint64_t size;
    const uint8_t *data;
} vgt_trace_snapshot_section;

/* Parses a SNAPSHOT header: frame, next seq, and the offset of the first
 * section; then vgt_trace_snapshot_next walks the sections (VGT_E_END after
 * the last). */
vgt_status vgt_trace_snapshot_parse(const vgt_trace_record *rec, uint64_t *frame,
                                    uint64_t *next_seq, size_t *pos, vgt_error *err);
vgt_status vgt_trace_snapshot_next(const vgt_trace_record *rec, size_t *pos,
                                   vgt_trace_snapshot_section *out, vgt_error *err);

/* The name of a device register ("WIDTH"), or NULL. */
const char *vgt_trace_reg_name(uint32_t reg);
/* The name of a device error kind as ERROR records store it ("decode", ...). */
const char *vgt_trace_device_error_name(uint32_t kind);
/* Formats a non-COMMAND SVGA record as one line ("DMA_READ seq=5 gmr=1
 * offset=0 bytes=128") into buf (NUL-terminated, cut at size); for `vgt
 * dump`.  VGT_E_FORMAT (or the parser's code) for a malformed payload (the
 * line then says why: "MALFORMED ..."). */
vgt_status vgt_trace_record_format(const vgt_trace_record *rec, char *buf, size_t size);
/* The same record as the JSON object of `vgt dump --json` (docs/cli.md "vgt
 * dump --json": {"type":"register","frame":FRAME,...}, no newline), written
 * through the same field list as vgt_trace_record_format's text, so the two
 * views list the same fields; a malformed payload is {"type":"malformed",
 * "record_type","bytes","message"} and returns its error as the text does. */
vgt_status vgt_trace_record_print_json(FILE *out, const vgt_trace_record *rec, uint64_t frame);

/* ---- summary (vgt info, tests) -------------------------------------------------- */

/* Totals for one command id. */
typedef struct vgt_trace_cmd_stat {
    uint32_t id;
    uint64_t count;     /* COMMAND records */
    uint64_t failed;    /* followed by an ERROR record (the device rejected them) */
    uint64_t words;     /* command words */
    uint64_t dma_bytes; /* guest memory read on their behalf */
    uint64_t timed;     /* with a TIMING entry */
    uint64_t queue_ns;  /* sum of start - fetch */
    uint64_t exec_ns;   /* sum of end - start */
} vgt_trace_cmd_stat;

typedef struct vgt_trace_svga_summary {
    vgt_trace_device_config cfg;
    bool cfg_ok; /* the header holds a valid device configuration */
    uint64_t commands, failed, words;
    uint64_t trace_refreshes; /* commands with VGT_TRACE_REFRESH_OFFSET (the device's) */
    uint64_t dma_records, dma_bytes;
    uint64_t reg_writes, cursor_samples, fences, errors, snapshots, frame_hashes;
    bool has_frames;
    uint64_t first_frame, last_frame; /* guest frames of the first/last FRAME_HASH */
    uint64_t frames_no_display;
    vgt_trace_cmd_stat *cmds; /* by id, ascending; owned (vgt_trace_svga_summary_free) */
    size_t ncmds;
    bool stopped; /* reading stopped at an unreadable chunk (see the reader's problems) */
} vgt_trace_svga_summary;

/* Reads every record of r from the start (r's position changes) and fills
 * *out.  A reader error stops the walk: out->stopped is set and the totals
 * cover what was read (VGT_OK is still returned); VGT_E_NOMEM otherwise. */
vgt_status vgt_trace_svga_summarize(vgt_trace_reader *r, vgt_trace_svga_summary *out,
                                    vgt_error *err);
/* Frees out->cmds. */
void vgt_trace_svga_summary_free(vgt_trace_svga_summary *s);

/* The same summary built a record at a time (vgt diff: the records of some
 * frames): begin zeroes *out (the device configuration from h, which may be
 * NULL), add takes records in trace order, end frees the summarizer (not
 * *out: vgt_trace_svga_summary_free).  add fails only with VGT_E_NOMEM. */
typedef struct vgt_trace_summarizer vgt_trace_summarizer;
vgt_status vgt_trace_summarizer_begin(vgt_trace_svga_summary *out, const vgt_trace_header *h,
                                      vgt_trace_summarizer **s, vgt_error *err);
vgt_status vgt_trace_summarizer_add(vgt_trace_summarizer *s, const vgt_trace_record *rec,
                                    vgt_error *err);
void vgt_trace_summarizer_end(vgt_trace_summarizer *s);
/* The mean execution time of a command type in microseconds (end - start of
 * its TIMING entries; 0 without any): vgt info's "mean exec us". */
double vgt_trace_cmd_stat_mean_exec_us(const vgt_trace_cmd_stat *c);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* VGT_TRACE_RECORDS_H */
