/* capture.c - the capture layer (vgt_capture.h): device taps -> trace records.
 *
 * Every tap runs with the device lock held (FIFO thread, or the guest thread
 * for register writes), so the taps are serialised and use the writer from
 * one thread at a time.  Records are written in the order things happened:
 * a command, the guest memory it read (continuous reads merged into one
 * extent), its error if it failed, and the events it caused (cursor sample,
 * frame end, fence).  Per-command timings come in runs from the device's
 * timing log (vgt_device_taps.cmd_timings) and are written as TIMING
 * records as they are, after the commands they time.
 * Commands are recorded in COMMAND_BATCH records from the device's command
 * log (vgt_device_taps.cmd_batch): consecutive commands until any other
 * record is written (which asks the device for the log first, so the order
 * above holds), the batch is full, or the capture stops.  Per command that
 * is a few stores and a copy of its words inside the device, no call; a
 * command equal to the one before it is marked a repeat there instead of
 * copied, and recorded as one (its words once).
 *
 * Error buffers are cleared with vgt_error_clear, not "= {0}": that zeroes
 * the 512-byte message on every record appended. */
#include "vgt_capture.h"

#include "vgt_format.h"
#include "vgt_replay.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the device's own commands keep their marker in the trace */
_Static_assert(VGT_TRACE_REFRESH_OFFSET == VGT_DEVICE_REFRESH_OFFSET,
               "the trace's refresh marker is the device's");

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "capture writes FIFO words and pixels as stored in memory: little-endian hosts only"
#endif

/* A command batch's payload stays below the writer's dedup threshold: no
 * two batches are alike (their seqs differ), and the writer would hash each
 * for nothing; below it, the writer's in-place path takes the record.  The
 * device's command log gathers them (vgt_device_taps.cmd_batch) in these
 * limits: BATCH_COUNT commands, BATCH_BYTES of words (so the payload,
 * 16 + 12 count + words, stays below 4 KiB); a longer command comes alone
 * and gets a COMMAND record. */
#define BATCH_PAYLOAD_MAX (VGT_TRACE_DEFAULT_DEDUP_MIN - 1u)
#define BATCH_COUNT       128u
#define BATCH_BYTES       ((BATCH_PAYLOAD_MAX - VGT_TRACE_BATCH_PREFIX - 12u * BATCH_COUNT) & ~3u)
_Static_assert(VGT_TRACE_BATCH_PREFIX + 12u * BATCH_COUNT + BATCH_BYTES <= BATCH_PAYLOAD_MAX,
               "a full batch fits below the dedup threshold");
_Static_assert(BATCH_COUNT <= VGT_DEVICE_CMD_LOG_MAX_COUNT &&
                   BATCH_BYTES <= VGT_DEVICE_CMD_LOG_MAX_BYTES,
               "the device's log takes the capture's limits as they are");
#define EXTENT_MAX   (16u << 20) /* a merged DMA extent is cut at this size */
#define TRACKED_REGS VGT_SVGA_REG_TOP

typedef enum cap_state {
    CAP_IDLE = 0,  /* created, not attached */
    CAP_WAITING,   /* attached, waiting for the start frame */
    CAP_RECORDING, /* writing records */
    CAP_DONE,      /* frame_count reached, or detached */
    CAP_FAILED,    /* writing failed */
} cap_state;

struct vgt_capture {
    vgt_capture_settings s;
    char *path;
    int fd;
    vgt_trace_writer *w;
    vgt_device *dev;
    vgt_status fail_code; /* why the capture stopped (st.failed), for close */
    /* The last frame hash and the executor's display generation it was
     * computed at: an unchanged display is not hashed again. */
    bool hash_valid;
    uint64_t hash_gen, hash;
    vgt_trace_row_cache rows; /* the frame hash's rows, hashed when they change */
    vgt_device_taps next;     /* chained taps */
    bool installed;           /* taps put into the config before device create */
    bool attached;
    cap_state state;
    vgt_trace_device_config devcfg;
    bool need_snapshot;

    /* the register file, from the reg_write tap (known since power-on when installed) */
    uint32_t regs[TRACKED_REGS];
    bool reg_seen[TRACKED_REGS];
    /* the FIFO's FENCE register, from the fence_passed tap (known since
     * power-on when installed) */
    uint32_t last_fence;
    bool fence_seen;
    uint64_t fence_seq; /* the command of the last fence_passed */
    /* The last command the log handed over while not recording: a frame
     * that a FENCE ends ends inside it, before its fence passes, so the
     * snapshot at that frame end takes the fence from here. */
    uint64_t log_last_seq;
    bool log_last_fence_valid;
    uint32_t log_last_fence;

    /* the pending merged DMA extent */
    bool pend;
    uint64_t pend_seq;
    uint32_t pend_gmr, pend_offset, pend_len;
    /* the pending extent's rows (1: plain; then the row is pend_len bytes) */
    uint32_t pend_rows, pend_row_bytes, pend_pitch;
    uint8_t *pbuf;
    size_t pcap;

    /* the first command recorded (the device logs commands from before) */
    uint64_t rec_first_seq;

    vgt_capture_stats st;
};

/* ---- settings --------------------------------------------------------------- */

void vgt_capture_settings_init(vgt_capture_settings *s)
{
    memset(s, 0, sizeof(*s));
    /* Level 1: on traces (repetitive commands, framebuffer rows) it is 10-25%
     * faster than 3 at about the same size (draw-calls: x17.4 vs x17.2;
     * 2d-demo: x36 vs x37.6), and the compressor shares the CPUs with the
     * VM. */
    s->compression_level = 1;
    /* 64 KiB chunks, up to 128 of them waiting (8 MiB, as 4 x 2 MiB did:
     * 2d-demo writes ~220 MB/s in bursts).  A chunk's buffer and its
     * compression then fit a core's cache and the gaps between the VM's
     * bursts: draw-calls ran 1.15-1.23x plain with 2 MiB chunks, 1.09-1.15x
     * with 64 KiB (medians of 60 runs; after the writer stopped waking its
     * thread under the lock, 1.12-1.21x against 1.12-1.15x).  The trace is
     * 6% (draw-calls) to 30% (2d-demo) bigger. */
    s->chunk_size = VGT_CAPTURE_DEFAULT_CHUNK_SIZE;
    s->queue_depth = 128;
    s->compress_threads = 1;
    s->log = stderr;
}

/* Reads the environment variable name as a decimal number min..max into
 * *out (unset or empty: *out untouched), by vgt_parse_u64: strtoull took
 * " 3", "+3" and "-1" (as 2^64 - 1).  The message says what the matching
 * command-line option says: "expected WHAT MIN..MAXUNIT". */
static bool env_u64(const char *name, uint64_t min, uint64_t max, const char *what,
                    const char *unit, uint64_t *out, vgt_error *err)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        return true;
    }
    if (!vgt_parse_u64(v, min, max, out)) {
        vgt_error_set(err, VGT_E_INVALID, "%s='%s': expected %s %" PRIu64 "..%" PRIu64 "%s", name,
                      v, what, min, max, unit);
        return false;
    }
    return true;
}

bool vgt_capture_parse_level(const char *text, int *level)
{
    if (!text) {
        return false;
    }
    /* digits after an optional '-': strtol takes leading blanks and '+' */
    const char *digits = text[0] == '-' ? text + 1 : text;
    if (*digits < '0' || *digits > '9') {
        return false;
    }
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || v < VGT_CAPTURE_LEVEL_MIN || v > VGT_CAPTURE_LEVEL_MAX) {
        return false;
    }
    *level = (int)v;
    return true;
}

vgt_status vgt_capture_settings_from_env(vgt_capture_settings *s, bool *found, vgt_error *err)
{
    *found = false;
    const char *path = getenv("VGT_CAPTURE");
    if (!path || !*path) {
        return VGT_OK;
    }
    uint64_t start = s->start_frame, frames = s->frame_count;
    uint64_t chunk_kib = s->chunk_size / 1024u;
    /* the values --capture-start, --capture-frames and --capture-chunk
     * take: VGT_CAPTURE_CHUNK=0 wrote the format writer's 2 MiB chunks and
     * VGT_CAPTURE_FRAMES=0 every frame, where the options refuse 0 */
    if (!env_u64("VGT_CAPTURE_START", 0, VGT_CAPTURE_MAX_FRAME, "a guest frame", "", &start, err) ||
        !env_u64("VGT_CAPTURE_FRAMES", 1, VGT_CAPTURE_MAX_FRAME, "a frame count", "", &frames,
                 err) ||
        !env_u64("VGT_CAPTURE_CHUNK", 1, VGT_TRACE_MAX_CHUNK_SIZE / 1024u, "a size", " (KiB)",
                 &chunk_kib, err)) {
        return VGT_E_INVALID;
    }
    const char *level = getenv("VGT_CAPTURE_LEVEL");
    int lv = s->compression_level;
    if (level && *level && !vgt_capture_parse_level(level, &lv)) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "VGT_CAPTURE_LEVEL='%s': expected a zstd level %d..%d", level,
                             VGT_CAPTURE_LEVEL_MIN, VGT_CAPTURE_LEVEL_MAX);
    }
    s->path = path;
    s->start_frame = start;
    s->frame_count = frames;
    s->compression_level = lv;
    s->chunk_size = (uint32_t)chunk_kib * 1024u;
    *found = true;
    return VGT_OK;
}

/* ---- failure and record helpers --------------------------------------------------- */

/* Marks the capture failed with e's message (nothing logged). */
static void cap_mark_failed(vgt_capture *c, const vgt_error *e)
{
    c->state = CAP_FAILED;
    c->st.failed = true;
    c->fail_code = e->code != VGT_OK ? e->code : VGT_E_IO;
    c->st.recording = false;
    snprintf(c->st.failure, sizeof(c->st.failure), "%s", e->message);
}

static void cap_fail(vgt_capture *c, const vgt_error *e)
{
    if (c->state == CAP_FAILED) {
        return;
    }
    cap_mark_failed(c, e);
    if (c->s.log) {
        /* the writer's messages name the file already (open_writer) */
        size_t n = strlen(c->path);
        bool named = strncmp(e->message, c->path, n) == 0 && e->message[n] == ':';
        fprintf(c->s.log,
                "vgt capture: %s%s%s; capture stopped after %" PRIu64 " frames (the device "
                "keeps running; the trace is valid up to its last complete chunk)\n",
                named ? "" : c->path, named ? "" : ": ", e->message, c->st.frames);
    }
}

static bool rec_ok(vgt_capture *c, vgt_status st, const vgt_error *e)
{
    if (st != VGT_OK) {
        cap_fail(c, e);
        return false;
    }
    return true;
}

static bool write_iov(vgt_capture *c, uint16_t type, uint16_t flags, uint64_t ts,
                      const vgt_trace_iov *iov, size_t n)
{
    vgt_error e;
    vgt_error_clear(&e);
    return rec_ok(c, vgt_trace_writer_appendv(c->w, type, flags, ts, iov, n, &e), &e);
}

/* Writes a record whose payload is a then b (nb may be 0), as it is:
 * copied straight into the writer's chunk when its fast path takes the
 * record (most small records), else through the general path. */
static bool put2(vgt_capture *c, uint16_t type, uint16_t flags, uint64_t ts, const void *a,
                 size_t na, const void *b, size_t nb)
{
    uint8_t *p = vgt_trace_writer_reserve(c->w, type, flags, ts, na + nb);
    if (p) {
        memcpy(p, a, na);
        if (nb) {
            memcpy(p + na, b, nb);
        }
        return true;
    }
    vgt_trace_iov iov[2] = {{a, na}, {b, nb}};
    return write_iov(c, type, flags, ts, iov, nb ? 2 : 1);
}

/* Writes the pending DMA extent, right after the record holding its
 * command: as a descriptor and its bytes when it is rows (always: a reader
 * from before ROWS refuses the 32-byte descriptor rather than misreading
 * the rows) or large enough to be deduplicated, else as one record. */
static void flush_dma_pending(vgt_capture *c)
{
    c->pend = false;
    if (c->state != CAP_RECORDING) {
        return;
    }
    uint8_t pre[VGT_TRACE_DMA_ROWS];
    vgt_store_le64(pre, c->pend_seq);
    vgt_store_le32(pre + 8, c->pend_gmr);
    vgt_store_le32(pre + 12, c->pend_offset);
    c->st.dma_records++;
    c->st.dma_bytes += c->pend_len;
    bool rows = c->pend_rows > 1;
    uint32_t dedup_min = c->s.no_dedup ? 0u : VGT_TRACE_DEFAULT_DEDUP_MIN;
    if (!rows && !(dedup_min && c->pend_len >= dedup_min)) {
        put2(c, VGT_REC_DMA_DATA, 0, 0, pre, VGT_TRACE_DMA_PREFIX, c->pbuf, c->pend_len);
        return;
    }
    vgt_store_le32(pre + 16, c->pend_len);
    vgt_store_le32(pre + 20, rows ? c->pend_row_bytes : 0u);
    vgt_store_le32(pre + 24, c->pend_pitch);
    vgt_store_le32(pre + 28, c->pend_rows);
    vgt_trace_iov desc = {pre, rows ? VGT_TRACE_DMA_ROWS : VGT_TRACE_DMA_DESC};
    vgt_trace_iov bytes = {c->pbuf, c->pend_len};
    uint16_t flags = VGT_TRACE_DMA_F_DESC | (rows ? VGT_TRACE_DMA_F_ROWS : 0u);
    if (write_iov(c, VGT_REC_DMA_DATA, flags, 0, &desc, 1)) {
        write_iov(c, VGT_REC_DMA_DATA, VGT_TRACE_DMA_F_BYTES, 0, &bytes, 1);
    }
}

static inline void flush_dma(vgt_capture *c)
{
    if (c->pend) {
        flush_dma_pending(c);
    }
}

/* Every record but a command's is written after the commands before it and
 * the guest memory they read.  A command's first read flushed the log (so
 * its record is written), and the log holds only commands after it while
 * its reads gather: the log's next batch writes them first (tap_cmd_batch),
 * or, with the log empty, they are written here. */
static inline void flush_commands(vgt_capture *c)
{
    if (c->dev && c->state == CAP_RECORDING) {
        vgt_device_cmd_log_flush(c->dev);
    }
    flush_dma(c);
}

static bool appendv(vgt_capture *c, uint16_t type, uint16_t flags, uint64_t ts,
                    const vgt_trace_iov *iov, size_t n)
{
    flush_commands(c);
    return write_iov(c, type, flags, ts, iov, n);
}

static bool append2(vgt_capture *c, uint16_t type, uint16_t flags, uint64_t ts, const void *a,
                    size_t na, const void *b, size_t nb)
{
    flush_commands(c);
    return put2(c, type, flags, ts, a, na, b, nb);
}

static bool append(vgt_capture *c, uint16_t type, uint16_t flags, uint64_t ts, const void *p,
                   size_t n)
{
    return append2(c, type, flags, ts, p, n, NULL, 0);
}

/* ---- starting: writer, header, snapshot --------------------------------------------- */

static vgt_status open_writer(vgt_capture *c, uint64_t start_frame, vgt_error *err)
{
    uint8_t cfgbuf[VGT_TRACE_DEVCFG_FIXED + 4u * VGT_TRACE_MAX_3D_CAPS];
    size_t cfgsize = vgt_trace_devcfg_encode(&c->devcfg, cfgbuf);
    vgt_trace_header h;
    memset(&h, 0, sizeof(h));
    h.protocol_id = VGT_SVGA_TRACE_PROTOCOL_ID;
    snprintf(h.protocol_name, sizeof(h.protocol_name), "%s", VGT_SVGA_TRACE_PROTOCOL_NAME);
    h.device_config = cfgbuf;
    h.device_config_size = cfgsize;
    h.creator = "vgt " VGT_VERSION " capture";
    vgt_trace_writer_settings ws;
    vgt_trace_writer_settings_init(&ws);
    ws.compression_level = c->s.compression_level;
    /* 0 is the capture's default, not the format writer's 2 MiB */
    ws.chunk_size = c->s.chunk_size ? c->s.chunk_size : VGT_CAPTURE_DEFAULT_CHUNK_SIZE;
    if (c->s.queue_depth) {
        ws.queue_depth = c->s.queue_depth;
    }
    if (c->s.compress_threads) {
        ws.compress_threads = c->s.compress_threads;
    }
    ws.dedup_min_size = c->s.no_dedup ? 0u : VGT_TRACE_DEFAULT_DEDUP_MIN;
    /* Compress in the time the VM's threads leave idle: at nice 0 the
     * compressor preempted the guest and FIFO threads on a 2-CPU host and
     * cost draw-calls 1.5-1.8x a plain run; at nice 10, 1.13-1.38x (nice 19
     * was no better, and would starve under outside load).  As SCHED_IDLE
     * the guest thread, woken by its fence IRQ, takes the CPU from it at
     * once: 1.211 (95% interval 1.202-1.222) against nice 10's 1.253
     * (1.242-1.266), the guest's wakeup 1.7 us shorter a frame (1000 runs
     * each, Linux 6.18, docs/performance.md sixteenth round).  Nice 10
     * where the policy cannot be set. */
    ws.compress_idle = true;
    ws.compress_nice = 10;
    ws.start_frame = start_frame;
    ws.frame_limit = c->s.frame_count;
    ws.fail_after_bytes = c->s.fail_after_bytes;
    vgt_status st = vgt_trace_writer_open_fd(c->fd, &ws, &h, &c->w, err);
    if (st != VGT_OK) {
        vgt_error_prefix(err, "%s", c->path);
        return st;
    }
    c->st.start_frame = start_frame;
    return VGT_OK;
}

/* Writes the SNAPSHOT record (vgt_snapshot_append): the register file and
 * the executor's state.  Runs inside the frame_end tap (device lock held). */
static bool write_snapshot(vgt_capture *c, uint64_t frame, uint64_t next_seq)
{
    vgt_executor *ex = vgt_device_executor(c->dev);
    static const uint32_t regs[] = {
        VGT_SVGA_REG_ID,          VGT_SVGA_REG_ENABLE,         VGT_SVGA_REG_WIDTH,
        VGT_SVGA_REG_HEIGHT,      VGT_SVGA_REG_BITS_PER_PIXEL, VGT_SVGA_REG_PITCHLOCK,
        VGT_SVGA_REG_CONFIG_DONE, VGT_SVGA_REG_GUEST_ID,       VGT_SVGA_REG_CURSOR_X,
        VGT_SVGA_REG_CURSOR_Y,    VGT_SVGA_REG_CURSOR_ON,      VGT_SVGA_REG_IRQMASK,
    };
    vgt_snapshot_reg rv[sizeof(regs) / sizeof(regs[0])];
    size_t nreg = 0;
    if (c->installed) {
        for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
            if (c->reg_seen[regs[i]]) {
                rv[nreg++] = (vgt_snapshot_reg){regs[i], c->regs[regs[i]]};
            }
        }
    } else {
        /* Attached late: the registers as the device holds them (the
         * replay combines a later write of one cursor or mode register
         * with the others, as the device does). */
        for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
            uint32_t v;
            if (vgt_device_state_register(c->dev, regs[i], &v)) {
                rv[nreg++] = (vgt_snapshot_reg){regs[i], v};
            }
        }
    }
    flush_commands(c);
    vgt_error e;
    vgt_error_clear(&e);
    /* The FIFO's FENCE register after command next_seq - 1: the taps saw
     * every fence when installed; attached late, the device's own register
     * (read here, under the device lock that the FIFO thread holds while it
     * passes fences; until 2026-12-01 the section was left out, and a replay
     * said 0 until the next FENCE).  A frame a FENCE ends ends inside it
     * (the frame end before the fence passes): that fence is the one after
     * the command, as a replay has it; the log since the attach holds it. */
    uint32_t fence = c->last_fence;
    bool fence_known = c->installed ? c->fence_seen : vgt_device_state_fence(c->dev, &fence);
    if (next_seq > 0 && c->log_last_seq == next_seq - 1u && c->log_last_fence_valid &&
        !(c->fence_seen && c->fence_seq == next_seq - 1u)) {
        fence = c->log_last_fence;
        fence_known = true;
    }
    vgt_status st = vgt_snapshot_append(
        c->w, ex, frame, next_seq, vgt_now_ns(), rv, nreg, fence_known ? &fence : NULL,
        "start the capture at frame 0 (vgt trim cuts frames out of it, from a snapshot at a "
        "frame where the state is smaller)",
        &c->st.snapshot_3d, &c->st.snapshot_bytes, &e);
    if (st != VGT_OK) {
        vgt_error_prefix(&e, "capture start at frame %" PRIu64, frame);
        cap_fail(c, &e);
        return false;
    }
    vgt_snapshot_report(c->s.log, "vgt capture", c->path, frame, ex, &c->st.snapshot_3d);
    return true;
}

/* ---- taps ------------------------------------------------------------------------- */

/* A log batch as one COMMAND_BATCH record: the device's columns and words
 * are the record's (host u32s: little-endian, as the file wants them; the
 * log marks a repeat as the record does, and holds its words once). */
_Static_assert(VGT_DEVICE_CMD_LOG_REPEAT == VGT_TRACE_BATCH_REPEAT,
               "the command log's repeats are the batch record's");
static void write_batch(vgt_capture *c, const vgt_device_cmd_batch *b)
{
    uint32_t n = b->count;
    size_t col = (size_t)n * 4u;
    uint64_t ts = b->first_fetch_ns;
    if (n > BATCH_COUNT || b->nbytes > BATCH_BYTES) {
        /* cannot happen: capture_taps asks the device for runs within
         * these; a device that ignored it must not lose them quietly */
        vgt_error e;
        vgt_error_clear(&e);
        vgt_error_set(&e, VGT_E_STATE,
                      "the device logged %u commands, %zu bytes at once (at most %u, %u)", n,
                      b->nbytes, BATCH_COUNT, BATCH_BYTES);
        cap_fail(c, &e);
        return;
    }
    size_t size = VGT_TRACE_BATCH_PREFIX + 3u * col + b->nbytes;
    uint8_t *p = vgt_trace_writer_reserve(c->w, VGT_REC_COMMAND_BATCH, 0, ts, size);
    uint8_t buf[BATCH_PAYLOAD_MAX]; /* the limits above keep a batch below it */
    bool in_place = p != NULL;
    if (!in_place) {
        p = buf; /* a new chunk or frame: through the writer's general path */
    }
    vgt_store_le64(p, b->first_seq);
    vgt_store_le32(p + 8, n);
    vgt_store_le32(p + 12, 0);
    uint8_t *q = p + VGT_TRACE_BATCH_PREFIX;
    memcpy(q, b->nwords, col);
    memcpy(q + col, b->offsets, col);
    memcpy(q + 2u * col, b->fetch_delta, col);
    memcpy(q + 3u * col, b->words, b->nbytes);
    if (!in_place) {
        vgt_trace_iov iov = {buf, size};
        write_iov(c, VGT_REC_COMMAND_BATCH, 0, ts, &iov, 1);
    }
}

/* Notes the batch's last command (not recorded): whether it is a FENCE,
 * and its value.  A repeat repeats the command before it in the batch. */
static void note_last_command(vgt_capture *c, const vgt_device_cmd_batch *b)
{
    if (b->count == 0) {
        return;
    }
    size_t off = 0, last = SIZE_MAX;
    uint32_t last_n = 0;
    for (uint32_t i = 0; i < b->count; i++) {
        uint32_t n = b->nwords[i];
        if (n & VGT_DEVICE_CMD_LOG_REPEAT) {
            continue;
        }
        last = off;
        last_n = n;
        off += n;
    }
    c->log_last_seq = b->first_seq + b->count - 1u;
    c->log_last_fence_valid = last != SIZE_MAX && last_n >= 2u && (last + 2u) * 4u <= b->nbytes &&
                              b->words[last] == VGT_SVGA_CMD_FENCE;
    c->log_last_fence = c->log_last_fence_valid ? b->words[last + 1u] : 0;
}

/* The device's command log: consecutive commands, as a COMMAND_BATCH
 * record, or a COMMAND record for a command too long for one.  The guest
 * memory read by the command before them comes first. */
static void tap_cmd_batch(void *ctx, const vgt_device_cmd_batch *b)
{
    vgt_capture *c = ctx;
    if (c->state == CAP_RECORDING && b->first_seq >= c->rec_first_seq) {
        flush_dma(c); /* may fail the capture */
        if (c->state != CAP_RECORDING) {
            /* nothing more is written */
        } else if (b->count == 1 && b->nbytes > BATCH_BYTES) {
            uint8_t pre[VGT_TRACE_CMD_PREFIX];
            vgt_store_le64(pre, b->first_seq);
            vgt_store_le32(pre + 8, b->offsets[0]);
            vgt_store_le32(pre + 12, 0);
            vgt_trace_iov iov[2] = {{pre, sizeof(pre)}, {b->words, b->nbytes}};
            write_iov(c, VGT_REC_COMMAND, 0, b->first_fetch_ns, iov, 2);
        } else {
            write_batch(c, b);
        }
        if (c->state == CAP_RECORDING) {
            c->st.commands += b->count;
        }
    } else {
        note_last_command(c, b);
    }
    if (c->next.cmd_batch) {
        c->next.cmd_batch(c->next.ctx, b);
    }
}

/* Only for chained taps that want every command (the capture logs them). */
static void tap_cmd_fetched(void *ctx, uint64_t seq, uint32_t fifo_offset, const uint32_t *words,
                            uint32_t nwords, uint64_t fetch_ns)
{
    vgt_capture *c = ctx;
    c->next.cmd_fetched(c->next.ctx, seq, fifo_offset, words, nwords, fetch_ns);
}

/* Only for chained taps that want every command's end (the capture's
 * timings come from the device's timing log). */
static void tap_cmd_done(void *ctx, uint64_t seq, vgt_status status, const char *message,
                         uint64_t fetch_ns, uint64_t start_ns, uint64_t end_ns)
{
    vgt_capture *c = ctx;
    c->next.cmd_done(c->next.ctx, seq, status, message, fetch_ns, start_ns, end_ns);
}

/* The device's timing log, as a TIMING record (its pairs are the record's,
 * host u32s), after the commands it times; the part before the recording's
 * first command is dropped. */
static void tap_cmd_timings(void *ctx, uint64_t first_seq, uint32_t count, const uint32_t *pairs)
{
    vgt_capture *c = ctx;
    if (c->state == CAP_RECORDING && first_seq + count > c->rec_first_seq) {
        uint32_t skip = first_seq < c->rec_first_seq ? (uint32_t)(c->rec_first_seq - first_seq) : 0;
        uint8_t pre[VGT_TRACE_TIMING_PREFIX];
        vgt_store_le64(pre, first_seq + skip);
        vgt_store_le32(pre + 8, count - skip);
        vgt_store_le32(pre + 12, 0);
        append2(c, VGT_REC_TIMING, 0, 0, pre, sizeof(pre), pairs + 2u * skip,
                (size_t)(count - skip) * 8u);
    }
    if (c->next.cmd_timings) {
        c->next.cmd_timings(c->next.ctx, first_seq, count, pairs);
    }
}

static void tap_mem_read(void *ctx, uint64_t seq, uint32_t gmr, uint32_t offset, const void *bytes,
                         uint32_t len)
{
    vgt_capture *c = ctx;
    if (c->state == CAP_RECORDING && len > 0 && seq >= c->rec_first_seq) {
        /* A read continues the pending extent when it is the same
         * command's, in the same GMR, and either follows it byte for byte
         * (while it is one row) or is its next row: as long as the row
         * before, a pitch after it (a rectangle read a row at a time). */
        bool same = c->pend && c->pend_seq == seq && c->pend_gmr == gmr &&
                    (uint64_t)c->pend_len + len <= EXTENT_MAX;
        bool cont = same && c->pend_rows == 1 && (uint64_t)c->pend_offset + c->pend_len == offset;
        bool next_row = false;
        if (same && !cont) {
            if (c->pend_rows == 1) {
                next_row = len == c->pend_len && offset > (uint64_t)c->pend_offset + c->pend_len;
            } else {
                next_row =
                    len == c->pend_row_bytes &&
                    (uint64_t)c->pend_offset + (uint64_t)c->pend_rows * c->pend_pitch == offset;
            }
        }
        if (!cont && !next_row) {
            /* the command's record first (a new extent: the one before) */
            flush_commands(c);
        }
        if (c->state == CAP_RECORDING) {
            uint32_t have = cont || next_row ? c->pend_len : 0u;
            if ((size_t)have + len > c->pcap) {
                size_t cap = c->pcap ? c->pcap : 65536;
                while (cap < (size_t)have + len) {
                    cap *= 2;
                }
                uint8_t *p = realloc(c->pbuf, cap);
                if (!p) {
                    vgt_error e;
                    vgt_error_clear(&e);
                    vgt_error_set(&e, VGT_E_NOMEM, "out of memory for %u bytes of DMA data",
                                  have + len);
                    cap_fail(c, &e);
                    goto next;
                }
                c->pbuf = p;
                c->pcap = cap;
            }
            memcpy(c->pbuf + have, bytes, len);
            if (next_row) {
                if (c->pend_rows == 1) {
                    c->pend_row_bytes = c->pend_len;
                    c->pend_pitch = offset - c->pend_offset;
                }
                c->pend_rows++;
            } else if (!cont) {
                c->pend = true;
                c->pend_seq = seq;
                c->pend_gmr = gmr;
                c->pend_offset = offset;
                c->pend_rows = 1;
            }
            c->pend_len = have + len;
        }
    }
next:
    if (c->next.mem_read) {
        c->next.mem_read(c->next.ctx, seq, gmr, offset, bytes, len);
    }
}

static void tap_mem_written(void *ctx, uint64_t seq, uint32_t gmr, uint32_t offset,
                            const void *bytes, uint32_t len)
{
    vgt_capture *c = ctx;
    if (c->next.mem_written) {
        c->next.mem_written(c->next.ctx, seq, gmr, offset, bytes, len);
    }
}

static void tap_reg_write(void *ctx, uint32_t reg, uint32_t value)
{
    vgt_capture *c = ctx;
    if (reg < TRACKED_REGS) {
        c->regs[reg] = value;
        c->reg_seen[reg] = true;
    }
    if (c->state == CAP_RECORDING) {
        uint8_t p[8];
        vgt_store_le32(p, reg);
        vgt_store_le32(p + 4, value);
        if (append(c, VGT_REC_REGISTER_WRITE, 0, vgt_now_ns(), p, 8)) {
            c->st.reg_writes++;
        }
    }
    if (c->next.reg_write) {
        c->next.reg_write(c->next.ctx, reg, value);
    }
}

static void tap_cursor(void *ctx, uint64_t seq, bool visible, int32_t x, int32_t y,
                       uint32_t screen_id)
{
    vgt_capture *c = ctx;
    if (c->state == CAP_RECORDING) {
        uint8_t p[24];
        vgt_store_le64(p, seq);
        vgt_store_le32(p + 8, visible ? 1u : 0u);
        vgt_store_le32(p + 12, (uint32_t)x);
        vgt_store_le32(p + 16, (uint32_t)y);
        vgt_store_le32(p + 20, screen_id);
        if (append(c, VGT_REC_REGISTER_WRITE, VGT_TRACE_REG_F_FIFO_CURSOR, vgt_now_ns(), p, 24)) {
            c->st.reg_writes++;
        }
    }
    if (c->next.cursor) {
        c->next.cursor(c->next.ctx, seq, visible, x, y, screen_id);
    }
}

static void tap_fence_passed(void *ctx, uint64_t seq, uint32_t fence)
{
    vgt_capture *c = ctx;
    c->last_fence = fence;
    c->fence_seen = true;
    c->fence_seq = seq;
    if (c->state == CAP_RECORDING) {
        uint8_t p[16];
        vgt_store_le64(p, seq);
        vgt_store_le32(p + 8, fence);
        vgt_store_le32(p + 12, 0);
        if (append(c, VGT_REC_FENCE, 0, vgt_now_ns(), p, 16)) {
            c->st.fences++;
        }
    }
    if (c->next.fence_passed) {
        c->next.fence_passed(c->next.ctx, seq, fence);
    }
}

static void start_recording(vgt_capture *c, uint64_t first_frame, uint64_t next_seq)
{
    vgt_error e;
    vgt_error_clear(&e);
    if (open_writer(c, first_frame, &e) != VGT_OK) {
        cap_fail(c, &e);
        return;
    }
    /* the commands logged so far are before the start: dropped (not yet
     * recording), so that the log's next batch begins at next_seq */
    if (c->dev) {
        vgt_device_cmd_log_flush(c->dev);
        vgt_device_timing_log_flush(c->dev);
    }
    c->rec_first_seq = next_seq;
    c->state = CAP_RECORDING;
    c->st.recording = true;
    if (c->need_snapshot && !write_snapshot(c, first_frame, next_seq)) {
        return;
    }
}

static void tap_frame_end(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    vgt_capture *c = ctx;
    if (c->state == CAP_RECORDING) {
        if (c->dev) {
            vgt_device_timing_log_flush(c->dev); /* the frame's timings before its end */
        }
        uint8_t p[VGT_TRACE_FRAME_HASH_SIZE];
        memset(p, 0, sizeof(p));
        vgt_store_le64(p, frame);
        vgt_store_le64(p + 8, seq);
        if (display) {
            /* The row tree (replay --verify recomputes it from the image):
             * only the rows compose rewrote are hashed again (2d-demo: a
             * whole 640x480 frame cost 34 us), and nothing while nothing
             * shown has changed. */
            vgt_executor *ex = c->dev ? vgt_device_executor(c->dev) : NULL;
            uint64_t gen = ex ? vgt_executor_display_generation(ex) : 0;
            if (!ex || !c->hash_valid || c->hash_gen != gen) {
                c->hash = vgt_trace_frame_row_hash(
                    &c->rows, display, ex ? vgt_executor_composed_row_stamps(ex, display) : NULL);
                c->hash_valid = ex != NULL;
                c->hash_gen = gen;
            }
            vgt_store_le64(p + 16, c->hash);
            vgt_store_le32(p + 24, display->width);
            vgt_store_le32(p + 28, display->height);
            vgt_store_le32(p + 32, VGT_TRACE_FRAME_F_ROWS);
        } else {
            vgt_store_le32(p + 32, VGT_TRACE_FRAME_F_NO_DISPLAY);
        }
        uint64_t now = vgt_now_ns();
        vgt_error e;
        vgt_error_clear(&e);
        if (append(c, VGT_REC_FRAME_HASH, 0, now, p, sizeof(p)) &&
            rec_ok(c, vgt_trace_writer_frame_end(c->w, now, &e), &e)) {
            c->st.frames++;
            if (c->s.frame_count && c->st.frames >= c->s.frame_count) {
                c->state = CAP_DONE;
                c->st.recording = false;
                c->st.finished = true;
            }
        }
    } else if (c->state == CAP_WAITING && frame + 1 >= c->s.start_frame) {
        /* The next frame is the first one recorded: the state as it is now
         * (this frame's end) is where the replay starts. */
        c->need_snapshot = true;
        start_recording(c, frame + 1, seq + 1);
    }
    if (c->next.frame_end) {
        c->next.frame_end(c->next.ctx, frame, seq, display);
    }
}

static void tap_device_error(void *ctx, uint64_t seq, uint32_t fifo_offset,
                             vgt_device_error_kind kind, const char *reason)
{
    vgt_capture *c = ctx;
    if (c->state == CAP_RECORDING) {
        uint8_t p[VGT_TRACE_ERROR_PREFIX];
        vgt_store_le64(p, seq);
        vgt_store_le32(p + 8, fifo_offset);
        vgt_store_le32(p + 12, (uint32_t)kind);
        size_t n = reason ? strlen(reason) : 0;
        vgt_trace_iov iov[2] = {{p, sizeof(p)}, {reason, n}};
        if (appendv(c, VGT_REC_ERROR, 0, vgt_now_ns(), iov, n ? 2 : 1)) {
            c->st.errors++;
        }
    }
    if (c->next.device_error) {
        c->next.device_error(c->next.ctx, seq, fifo_offset, kind, reason);
    }
}

static vgt_device_taps capture_taps(vgt_capture *c)
{
    vgt_device_taps t = {
        .ctx = c,
        .cmd_batch = tap_cmd_batch,
        .cmd_log_count = BATCH_COUNT,
        .cmd_log_bytes = BATCH_BYTES,
        .cmd_fetched = c->next.cmd_fetched ? tap_cmd_fetched : NULL,
        .cmd_done = c->next.cmd_done ? tap_cmd_done : NULL,
        .cmd_timings = tap_cmd_timings,
        .mem_read = tap_mem_read,
        .mem_written = tap_mem_written,
        .reg_write = tap_reg_write,
        .cursor = tap_cursor,
        .fence_passed = tap_fence_passed,
        .frame_end = tap_frame_end,
        .device_error = tap_device_error,
    };
    return t;
}

/* ---- lifecycle ------------------------------------------------------------------------ */

static void devcfg_from(vgt_trace_device_config *d, const vgt_device_config *cfg)
{
    vgt_device_config def;
    vgt_device_config_default(&def);
    d->vram_size = cfg->vram_size ? cfg->vram_size : def.vram_size;
    d->fifo_size = cfg->fifo_size ? cfg->fifo_size : def.fifo_size;
    d->flags = (cfg->enable_3d ? VGT_TRACE_DEVCFG_F_3D : 0u) |
               (cfg->video_nearest ? 0u : VGT_TRACE_DEVCFG_F_VIDEO_BILINEAR);
    d->max_width = cfg->max_width ? cfg->max_width : def.max_width;
    d->max_height = cfg->max_height ? cfg->max_height : def.max_height;
    d->gmr_max_ids = cfg->gmr_max_ids ? cfg->gmr_max_ids : def.gmr_max_ids;
    d->gmr_max_descriptor_length = cfg->gmr_max_descriptor_length ? cfg->gmr_max_descriptor_length
                                                                  : def.gmr_max_descriptor_length;
    d->gmrs_max_pages = cfg->gmrs_max_pages ? cfg->gmrs_max_pages : def.gmrs_max_pages;
    d->hide_caps = cfg->hide_caps;
    d->hide_fifo_caps = cfg->hide_fifo_caps;
    d->backend_3d = cfg->enable_3d ? (uint32_t)cfg->backend_3d : 0u;
}

vgt_status vgt_capture_create(const vgt_capture_settings *settings, vgt_capture **out,
                              vgt_error *err)
{
    *out = NULL;
    if (!settings || !settings->path || !*settings->path) {
        return vgt_error_set(err, VGT_E_INVALID, "capture: no trace file given");
    }
    if (settings->compression_level < VGT_CAPTURE_LEVEL_MIN ||
        settings->compression_level > VGT_CAPTURE_LEVEL_MAX) {
        return vgt_error_set(err, VGT_E_INVALID, "capture: compression level %d (%d..%d)",
                             settings->compression_level, VGT_CAPTURE_LEVEL_MIN,
                             VGT_CAPTURE_LEVEL_MAX);
    }
    if (settings->chunk_size && (settings->chunk_size < VGT_TRACE_MIN_CHUNK_SIZE ||
                                 settings->chunk_size > VGT_TRACE_MAX_CHUNK_SIZE)) {
        return vgt_error_set(err, VGT_E_INVALID, "capture: chunk size %u bytes (%u..%u)",
                             settings->chunk_size, VGT_TRACE_MIN_CHUNK_SIZE,
                             VGT_TRACE_MAX_CHUNK_SIZE);
    }
    /* the writer refuses it too, but only when the start frame comes:
     * after the whole run, with the trace empty */
    if (settings->start_frame > VGT_TRACE_MAX_START_FRAME) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "capture: start frame %" PRIu64 " beyond 2^62 (the format's limit)",
                             settings->start_frame);
    }
    vgt_capture *c = calloc(1, sizeof(*c));
    if (!c || !(c->path = strdup(settings->path))) {
        free(c);
        return vgt_error_set(err, VGT_E_NOMEM, "capture: out of memory");
    }
    c->s = *settings;
    c->s.path = c->path;
    c->fd = vgt_file_create(c->path, 0666);
    if (c->fd < 0) {
        vgt_error_set(err, VGT_E_IO, "capture: cannot create '%s': %s", c->path, strerror(errno));
        free(c->path);
        free(c);
        return VGT_E_IO;
    }
    c->next = settings->chain;
    *out = c;
    return VGT_OK;
}

void vgt_capture_install(vgt_capture *c, vgt_device_config *cfg)
{
    c->next = cfg->taps;
    cfg->taps = capture_taps(c);
    devcfg_from(&c->devcfg, cfg);
    c->installed = true;
    /* Power-on register values, as the device sets them. */
    c->regs[VGT_SVGA_REG_WIDTH] = c->devcfg.max_width < 1024 ? c->devcfg.max_width : 1024;
    c->regs[VGT_SVGA_REG_HEIGHT] = c->devcfg.max_height < 768 ? c->devcfg.max_height : 768;
    c->regs[VGT_SVGA_REG_BITS_PER_PIXEL] = 32;
    c->reg_seen[VGT_SVGA_REG_WIDTH] = c->reg_seen[VGT_SVGA_REG_HEIGHT] = true;
    c->reg_seen[VGT_SVGA_REG_BITS_PER_PIXEL] = true;
}

vgt_status vgt_capture_attach(vgt_capture *c, vgt_device *dev, vgt_error *err)
{
    if (c->attached) {
        return vgt_error_set(err, VGT_E_STATE, "capture: already attached");
    }
    /* Starting after frame 0 takes a snapshot at the start frame (display
     * and 3D state); if it cannot be written the capture stops there with
     * its message (the VM keeps running). */
    c->dev = dev;
    c->hash_valid = false;
    /* What the guest is shown: the device's configuration (install took it
     * from cfg; attached late, from the device: until 2026-12-01 from an
     * optional setting, without which a 3D device's trace said "no 3D" and
     * did not replay), VRAM/FIFO sizes from the device, 3D caps from the
     * executor (constant for the life of the device). */
    if (!c->installed) {
        devcfg_from(&c->devcfg, vgt_device_config_of(dev));
    }
    uint32_t size = 0;
    (void)vgt_device_vram(dev, &size);
    c->devcfg.vram_size = size;
    (void)vgt_device_fifo(dev, &size);
    c->devcfg.fifo_size = size;
    c->devcfg.caps_3d_count =
        vgt_executor_3d_caps(vgt_device_executor(dev), &c->devcfg.hw_version_3d, c->devcfg.caps_3d,
                             VGT_TRACE_MAX_3D_CAPS);
    if (!(c->devcfg.flags & VGT_TRACE_DEVCFG_F_3D)) {
        c->devcfg.hw_version_3d = 0;
        c->devcfg.caps_3d_count = 0;
    }
    c->attached = true;
    if (c->installed && c->s.start_frame == 0) {
        /* A header that cannot be written: the caller reports the error
         * (nothing is logged) and close does not try the file again. */
        vgt_error local;
        vgt_error_clear(&local);
        vgt_error *e = err ? err : &local;
        vgt_status st = open_writer(c, 0, e);
        if (st != VGT_OK) {
            cap_mark_failed(c, e);
            return st;
        }
        c->state = CAP_RECORDING;
        c->st.recording = true;
        return VGT_OK;
    }
    c->state = CAP_WAITING;
    if (!c->installed) {
        /* A running device: start at the next frame boundary (or later),
         * from a snapshot. */
        vgt_device_taps t = capture_taps(c);
        vgt_device_set_taps(dev, &t);
    }
    return VGT_OK;
}

void vgt_capture_detach(vgt_capture *c)
{
    if (!c || !c->attached) {
        return;
    }
    vgt_device_set_taps(c->dev, &c->next);
    c->attached = false;
    c->dev = NULL;
    if (c->state == CAP_RECORDING) {
        flush_commands(c); /* set_taps handed both logs over */
        c->state = CAP_DONE;
        c->st.recording = false;
    } else if (c->state == CAP_WAITING) {
        c->state = CAP_DONE;
    }
}

void vgt_capture_stats_get(vgt_capture *c, vgt_capture_stats *out)
{
    *out = c->st;
    if (c->w) {
        vgt_trace_writer_stats ws;
        vgt_trace_writer_stats_get(c->w, &ws);
        out->records = ws.records;
        out->file_bytes = ws.file_bytes;
        out->bytes_uncompressed = ws.bytes_uncompressed;
        out->dedup_bytes_saved = ws.dedup_bytes_saved;
        out->writer_waits = ws.queue_waits;
        out->writer_wait_ns = ws.queue_wait_ns;
        out->compress_ns = ws.compress_ns;
        out->write_ns = ws.write_ns;
        out->compress_cpu_ns = ws.compress_cpu_ns;
    }
}

vgt_status vgt_capture_close(vgt_capture *c, vgt_capture_stats *stats, vgt_error *err)
{
    if (!c) {
        return VGT_OK;
    }
    if (c->state == CAP_RECORDING) {
        if (c->dev) {
            vgt_device_timing_log_flush(c->dev);
        }
        flush_commands(c);
    }
    vgt_status st = VGT_OK;
    vgt_error e;
    vgt_error_clear(&e);
    if (!c->w && !c->st.failed) {
        /* The start frame was never reached: leave a valid, empty trace. */
        if (c->s.log && c->s.start_frame > 0) {
            fprintf(c->s.log,
                    "vgt capture: %s: start frame %" PRIu64 " never reached; the trace "
                    "holds no frames\n",
                    c->path, c->s.start_frame);
        }
        if (open_writer(c, c->s.start_frame, &e) != VGT_OK) {
            cap_fail(c, &e);
        }
    }
    if (c->w) {
        vgt_trace_writer *w = c->w;
        vgt_trace_writer_stats ws;
        st = vgt_trace_writer_flush(w, &e);
        vgt_trace_writer_stats_get(w, &ws);
        vgt_capture_stats_get(c, &c->st);
        c->w = NULL;
        vgt_status cst = vgt_trace_writer_close(w, st == VGT_OK ? &e : NULL);
        if (st == VGT_OK) {
            st = cst;
        }
        if (st == VGT_OK) {
            /* the footer and trailer are in the file now */
            off_t end = lseek(c->fd, 0, SEEK_CUR);
            if (end > 0) {
                c->st.file_bytes = (uint64_t)end;
            }
            if (c->st.failed) {
                /* a record the capture could not make (no memory for it,
                 * say) stopped it; the writer finished the file up to there */
                st = c->fail_code;
            }
        }
        if (st != VGT_OK) {
            if (!c->st.failed) {
                cap_fail(c, &e);
            }
            if (err) {
                vgt_error_set(err, st, "capture: %s: %s", c->path, c->st.failure);
            }
        }
    } else if (c->st.failed) {
        st = vgt_error_set(err, c->fail_code, "capture: %s: %s", c->path, c->st.failure);
    }
    c->st.recording = false;
    if (stats) {
        *stats = c->st;
    }
    if (c->fd >= 0) {
        close(c->fd);
    }
    free(c->pbuf);
    vgt_trace_row_cache_free(&c->rows);
    free(c->path);
    free(c);
    return st;
}

vgt_status vgt_capture_from_env(vgt_device_config *cfg, vgt_capture **out, vgt_error *err)
{
    *out = NULL;
    vgt_capture_settings s;
    vgt_capture_settings_init(&s);
    bool found = false;
    vgt_status st = vgt_capture_settings_from_env(&s, &found, err);
    if (st != VGT_OK || !found) {
        return st;
    }
    if ((st = vgt_capture_create(&s, out, err)) != VGT_OK) {
        return st;
    }
    vgt_capture_install(*out, cfg);
    return VGT_OK;
}
