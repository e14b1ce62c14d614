/* trace_records.c - encoding and checked parsing of the SVGA record payloads
 * (vgt_trace_records.h, docs/format.md "SVGA records"). */
#include "vgt_trace_records.h"

#include "vgt_protocol.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- device configuration -------------------------------------------------- */

size_t vgt_trace_devcfg_size(const vgt_trace_device_config *cfg)
{
    uint32_t n =
        cfg->caps_3d_count < VGT_TRACE_MAX_3D_CAPS ? cfg->caps_3d_count : VGT_TRACE_MAX_3D_CAPS;
    return VGT_TRACE_DEVCFG_FIXED + (size_t)n * 4u;
}

size_t vgt_trace_devcfg_encode(const vgt_trace_device_config *cfg, uint8_t *buf)
{
    uint32_t n =
        cfg->caps_3d_count < VGT_TRACE_MAX_3D_CAPS ? cfg->caps_3d_count : VGT_TRACE_MAX_3D_CAPS;
    const uint32_t fields[] = {VGT_TRACE_DEVCFG_MAGIC,
                               VGT_TRACE_DEVCFG_VERSION,
                               cfg->vram_size,
                               cfg->fifo_size,
                               cfg->flags,
                               cfg->max_width,
                               cfg->max_height,
                               cfg->gmr_max_ids,
                               cfg->gmr_max_descriptor_length,
                               cfg->gmrs_max_pages,
                               cfg->hide_caps,
                               cfg->hide_fifo_caps,
                               cfg->backend_3d,
                               cfg->hw_version_3d,
                               n};
    _Static_assert(sizeof(fields) == VGT_TRACE_DEVCFG_FIXED, "devcfg layout");
    for (size_t i = 0; i < sizeof(fields) / 4; i++) {
        vgt_store_le32(buf + 4 * i, fields[i]);
    }
    for (uint32_t i = 0; i < n; i++) {
        vgt_store_le32(buf + VGT_TRACE_DEVCFG_FIXED + 4u * i, cfg->caps_3d[i]);
    }
    return VGT_TRACE_DEVCFG_FIXED + (size_t)n * 4u;
}

vgt_status vgt_trace_devcfg_parse(const void *data, size_t size, vgt_trace_device_config *out,
                                  vgt_error *err)
{
    const uint8_t *b = data;
    memset(out, 0, sizeof(*out));
    if (b && size >= 8 && vgt_load_le32(b) == VGT_TRACE_DEVCFG_MAGIC &&
        size < VGT_TRACE_DEVCFG_FIXED) {
        return vgt_error_set(err, VGT_E_FORMAT,
                             "header device configuration: %zu bytes, shorter than its %u-byte "
                             "fixed part",
                             size, VGT_TRACE_DEVCFG_FIXED);
    }
    if (!b || size < VGT_TRACE_DEVCFG_FIXED || vgt_load_le32(b) != VGT_TRACE_DEVCFG_MAGIC) {
        return vgt_error_set(err, VGT_E_FORMAT,
                             "header device configuration: %zu bytes, not an SVGA device "
                             "configuration (magic VGDC)",
                             size);
    }
    if (vgt_load_le32(b + 4) != VGT_TRACE_DEVCFG_VERSION) {
        return vgt_error_set(err, VGT_E_VERSION,
                             "header device configuration: version %u (this build reads %u)",
                             vgt_load_le32(b + 4), VGT_TRACE_DEVCFG_VERSION);
    }
    uint32_t *f[] = {&out->vram_size,
                     &out->fifo_size,
                     &out->flags,
                     &out->max_width,
                     &out->max_height,
                     &out->gmr_max_ids,
                     &out->gmr_max_descriptor_length,
                     &out->gmrs_max_pages,
                     &out->hide_caps,
                     &out->hide_fifo_caps,
                     &out->backend_3d,
                     &out->hw_version_3d,
                     &out->caps_3d_count};
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        *f[i] = vgt_load_le32(b + 8 + 4 * i);
    }
    if (out->caps_3d_count > VGT_TRACE_MAX_3D_CAPS ||
        size != VGT_TRACE_DEVCFG_FIXED + (size_t)out->caps_3d_count * 4u) {
        return vgt_error_set(err, VGT_E_FORMAT,
                             "header device configuration: %u 3D caps words in %zu bytes",
                             out->caps_3d_count, size);
    }
    for (uint32_t i = 0; i < out->caps_3d_count; i++) {
        out->caps_3d[i] = vgt_load_le32(b + VGT_TRACE_DEVCFG_FIXED + 4u * i);
    }
    return VGT_OK;
}

/* ---- frame hash -------------------------------------------------------------- */

uint64_t vgt_trace_frame_hash_image(const vgt_image *img)
{
    if (!img || !img->pixels || img->width == 0 || img->height == 0) {
        return 0;
    }
    size_t row = (size_t)img->width * 4u;
    return vgt_trace_hash_rows(img->pixels, row, img->stride, img->height);
}

/* Row y's cached hash is of its current bytes: compose has not rewritten
 * it since (stamp 0: never known). */
static inline bool row_known(const vgt_trace_row_cache *cache, const uint64_t *stamps, uint32_t y)
{
    return stamps && stamps[y] != 0 && stamps[y] == cache->stamp[y];
}

uint64_t vgt_trace_frame_row_hash(vgt_trace_row_cache *cache, const vgt_image *img,
                                  const uint64_t *stamps)
{
    if (!img || !img->pixels || img->width == 0 || img->height == 0) {
        return 0;
    }
    size_t row = (size_t)img->width * 4u;
    if (cache->width != img->width || cache->height != img->height || !cache->hash) {
        vgt_trace_row_cache_free(cache);
        cache->stamp = calloc(img->height, sizeof(*cache->stamp));
        cache->hash = calloc(img->height, sizeof(*cache->hash));
        if (!cache->stamp || !cache->hash) {
            vgt_trace_row_cache_free(cache);
            return vgt_trace_hash_row_tree(img->pixels, row, img->stride, img->height);
        }
        cache->width = img->width;
        cache->height = img->height;
    }
    /* runs of rows whose stamps changed, one call each */
    uint32_t y = 0;
    while (y < img->height) {
        if (row_known(cache, stamps, y)) {
            y++;
            continue;
        }
        uint32_t end = y + 1;
        while (end < img->height && !row_known(cache, stamps, end)) {
            end++;
        }
        vgt_trace_hash_each_row(img->pixels + (size_t)y * img->stride, row, img->stride, end - y,
                                cache->hash + y);
        for (uint32_t k = y; k < end; k++) {
            cache->stamp[k] = stamps ? stamps[k] : 0;
        }
        y = end;
    }
    return vgt_trace_hash_of_row_hashes(cache->hash, img->height);
}

void vgt_trace_row_cache_free(vgt_trace_row_cache *cache)
{
    free(cache->stamp);
    free(cache->hash);
    memset(cache, 0, sizeof(*cache));
}

/* ---- parsing ------------------------------------------------------------------ */

static vgt_status bad(const vgt_trace_record *rec, vgt_error *err, const char *what)
{
    return vgt_error_set(err, VGT_E_FORMAT,
                         "record %" PRIu64 " (%s, %u bytes, frame %" PRIu64 "): %s", rec->seq,
                         vgt_trace_type_name(rec->type) ? vgt_trace_type_name(rec->type) : "?",
                         rec->size, rec->frame, what);
}

vgt_status vgt_trace_command_parse(const vgt_trace_record *rec, vgt_trace_command *out,
                                   vgt_error *err)
{
    if (rec->type != VGT_REC_COMMAND || rec->size < VGT_TRACE_CMD_PREFIX + 4u ||
        (rec->size - VGT_TRACE_CMD_PREFIX) % 4u != 0) {
        return bad(rec, err, "not a command: expected 16 bytes then whole words");
    }
    out->seq = vgt_load_le64(rec->payload);
    out->fifo_offset = vgt_load_le32(rec->payload + 8);
    out->nwords = (rec->size - VGT_TRACE_CMD_PREFIX) / 4u;
    out->words = rec->payload + VGT_TRACE_CMD_PREFIX;
    out->fetch_ns = rec->timestamp_ns;
    return VGT_OK;
}

vgt_status vgt_trace_commands_parse(const vgt_trace_record *rec, vgt_trace_commands *out,
                                    vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    out->timestamp_ns = rec->timestamp_ns;
    if (rec->type == VGT_REC_COMMAND) {
        vgt_status st = vgt_trace_command_parse(rec, &out->one, err);
        if (st == VGT_OK) {
            out->first_seq = out->one.seq;
            out->count = 1;
        }
        return st;
    }
    if (rec->type != VGT_REC_COMMAND_BATCH || rec->size < VGT_TRACE_BATCH_PREFIX) {
        return bad(rec, err, "not a command batch: expected at least 16 bytes");
    }
    uint64_t first = vgt_load_le64(rec->payload);
    uint32_t count = vgt_load_le32(rec->payload + 8);
    /* the columns: 12 bytes a command, inside the payload */
    size_t room = rec->size - VGT_TRACE_BATCH_PREFIX;
    if (count == 0 || count > room / 12u) {
        return bad(rec, err, "command batch: its count does not fit its size");
    }
    if (first > UINT64_MAX - count) {
        return bad(rec, err, "command batch: its sequence numbers overflow");
    }
    const uint8_t *nw = rec->payload + VGT_TRACE_BATCH_PREFIX;
    size_t words = room - (size_t)count * 12u;
    uint64_t total = 0;
    uint32_t prev = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t raw = vgt_load_le32(nw + (size_t)i * 4u);
        uint32_t n = raw & ~VGT_TRACE_BATCH_REPEAT;
        if (n == 0) {
            return bad(rec, err, "command batch: a command of no words");
        }
        if (raw & VGT_TRACE_BATCH_REPEAT) {
            if (i == 0 || n != prev) {
                return bad(rec, err,
                           "command batch: a repeat without a command of its length before it");
            }
            continue; /* its words are the previous command's */
        }
        prev = n;
        total += n; /* count <= 2^30 / 12, n < 2^31: no overflow */
    }
    if (words % 4u != 0 || total != words / 4u) {
        return bad(rec, err, "command batch: its commands' lengths do not add up to its words");
    }
    out->first_seq = first;
    out->count = count;
    out->nwords = nw;
    out->offsets = nw + (size_t)count * 4u;
    out->fetch = nw + (size_t)count * 8u;
    out->words = nw + (size_t)count * 12u;
    return VGT_OK;
}

bool vgt_trace_commands_next(vgt_trace_commands *b, vgt_trace_command *out)
{
    if (b->next >= b->count) {
        return false;
    }
    uint32_t i = b->next++;
    if (!b->nwords) {
        *out = b->one;
        return true;
    }
    out->seq = b->first_seq + i;
    uint32_t raw = vgt_load_le32(b->nwords + (size_t)i * 4u);
    out->nwords = raw & ~VGT_TRACE_BATCH_REPEAT;
    out->fifo_offset = vgt_load_le32(b->offsets + (size_t)i * 4u);
    out->fetch_ns = b->timestamp_ns + vgt_load_le32(b->fetch + (size_t)i * 4u);
    if (raw & VGT_TRACE_BATCH_REPEAT) {
        out->words = b->last_words; /* checked: the command before, of this length */
    } else {
        out->words = b->words + b->word_pos;
        b->word_pos += (size_t)out->nwords * 4u;
        b->last_words = out->words;
    }
    return true;
}

vgt_status vgt_trace_dma_parse(const vgt_trace_record *rec, vgt_trace_dma *out, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    if (rec->type != VGT_REC_DMA_DATA) {
        return bad(rec, err, "not a DMA_DATA record");
    }
    if (rec->flags & VGT_TRACE_DMA_F_BYTES) {
        out->length = rec->size;
        out->bytes = rec->payload;
        out->row_bytes = out->pitch = out->length;
        out->rows = 1;
        return VGT_OK;
    }
    bool rows = (rec->flags & VGT_TRACE_DMA_F_ROWS) != 0;
    if (rows && !(rec->flags & VGT_TRACE_DMA_F_DESC)) {
        return bad(rec, err, "DMA rows without their descriptor flag");
    }
    if (rec->flags & VGT_TRACE_DMA_F_DESC) {
        uint32_t want = rows ? VGT_TRACE_DMA_ROWS : VGT_TRACE_DMA_DESC;
        if (rec->size != want) {
            return bad(rec, err,
                       rows ? "DMA row descriptor of the wrong size (expected 32 bytes)"
                            : "DMA descriptor of the wrong size (expected 24 bytes)");
        }
        out->length = vgt_load_le32(rec->payload + 16);
    } else {
        if (rec->size < VGT_TRACE_DMA_PREFIX) {
            return bad(rec, err, "DMA data shorter than its 16-byte prefix");
        }
        out->length = rec->size - VGT_TRACE_DMA_PREFIX;
        out->bytes = rec->payload + VGT_TRACE_DMA_PREFIX;
    }
    out->seq = vgt_load_le64(rec->payload);
    out->gmr = vgt_load_le32(rec->payload + 8);
    out->offset = vgt_load_le32(rec->payload + 12);
    out->row_bytes = out->pitch = out->length;
    out->rows = 1;
    if (rows) {
        uint32_t rb = vgt_load_le32(rec->payload + 20);
        uint32_t pitch = vgt_load_le32(rec->payload + 24);
        uint32_t n = vgt_load_le32(rec->payload + 28);
        if (n == 0 || rb == 0 || pitch < rb || (uint64_t)n * rb != out->length) {
            return bad(rec, err,
                       "DMA row descriptor: rows x row bytes must be the length, "
                       "rows and row bytes non-zero, pitch >= row bytes");
        }
        /* the last row ends inside the 32-bit offset space */
        if ((uint64_t)out->offset + (uint64_t)(n - 1u) * pitch + rb > (uint64_t)UINT32_MAX + 1u) {
            return bad(rec, err, "DMA row descriptor: the rows end past 4 GiB");
        }
        out->row_bytes = rb;
        out->pitch = pitch;
        out->rows = n;
    }
    return VGT_OK;
}

vgt_status vgt_trace_reg_parse(const vgt_trace_record *rec, vgt_trace_reg *out, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    if (rec->type != VGT_REC_REGISTER_WRITE) {
        return bad(rec, err, "not a REGISTER_WRITE record");
    }
    if (rec->flags & VGT_TRACE_REG_F_FIFO_CURSOR) {
        if (rec->size != 24u) {
            return bad(rec, err, "FIFO cursor sample of the wrong size (expected 24 bytes)");
        }
        out->fifo_cursor = true;
        out->seq = vgt_load_le64(rec->payload);
        out->visible = vgt_load_le32(rec->payload + 8) != 0;
        out->x = (int32_t)vgt_load_le32(rec->payload + 12);
        out->y = (int32_t)vgt_load_le32(rec->payload + 16);
        out->screen_id = vgt_load_le32(rec->payload + 20);
        return VGT_OK;
    }
    if (rec->size != 8u) {
        return bad(rec, err, "register write of the wrong size (expected 8 bytes)");
    }
    out->reg = vgt_load_le32(rec->payload);
    out->value = vgt_load_le32(rec->payload + 4);
    return VGT_OK;
}

vgt_status vgt_trace_fence_parse(const vgt_trace_record *rec, vgt_trace_fence *out, vgt_error *err)
{
    if (rec->type != VGT_REC_FENCE || rec->size != 16u) {
        return bad(rec, err, "fence of the wrong size (expected 16 bytes)");
    }
    out->seq = vgt_load_le64(rec->payload);
    out->fence = vgt_load_le32(rec->payload + 8);
    return VGT_OK;
}

vgt_status vgt_trace_frame_hash_parse(const vgt_trace_record *rec, vgt_trace_frame_hash *out,
                                      vgt_error *err)
{
    if (rec->type != VGT_REC_FRAME_HASH || rec->size != VGT_TRACE_FRAME_HASH_SIZE) {
        return bad(rec, err, "frame hash of the wrong size (expected 40 bytes)");
    }
    out->frame = vgt_load_le64(rec->payload);
    out->last_seq = vgt_load_le64(rec->payload + 8);
    out->hash = vgt_load_le64(rec->payload + 16);
    out->width = vgt_load_le32(rec->payload + 24);
    out->height = vgt_load_le32(rec->payload + 28);
    out->flags = vgt_load_le32(rec->payload + 32);
    return VGT_OK;
}

vgt_status vgt_trace_timing_parse(const vgt_trace_record *rec, vgt_trace_timing *out,
                                  vgt_error *err)
{
    if (rec->type != VGT_REC_TIMING || rec->size < VGT_TRACE_TIMING_PREFIX) {
        return bad(rec, err, "timing batch shorter than its 16-byte prefix");
    }
    out->first_seq = vgt_load_le64(rec->payload);
    out->count = vgt_load_le32(rec->payload + 8);
    if ((uint64_t)out->count * 8u != rec->size - VGT_TRACE_TIMING_PREFIX) {
        return bad(rec, err, "timing batch count does not match its size");
    }
    out->entries = rec->payload + VGT_TRACE_TIMING_PREFIX;
    return VGT_OK;
}

void vgt_trace_timing_get(const vgt_trace_timing *t, uint32_t i, uint32_t *queue_ns,
                          uint32_t *exec_ns)
{
    *queue_ns = vgt_load_le32(t->entries + (size_t)i * 8u);
    *exec_ns = vgt_load_le32(t->entries + (size_t)i * 8u + 4u);
}

vgt_status vgt_trace_error_parse(const vgt_trace_record *rec, vgt_trace_error *out, vgt_error *err)
{
    if (rec->type != VGT_REC_ERROR || rec->size < VGT_TRACE_ERROR_PREFIX) {
        return bad(rec, err, "error record shorter than its 16-byte prefix");
    }
    out->seq = vgt_load_le64(rec->payload);
    out->fifo_offset = vgt_load_le32(rec->payload + 8);
    out->kind = vgt_load_le32(rec->payload + 12);
    out->message = (const char *)rec->payload + VGT_TRACE_ERROR_PREFIX;
    out->message_len = rec->size - VGT_TRACE_ERROR_PREFIX;
    return VGT_OK;
}

vgt_status vgt_trace_snapshot_parse(const vgt_trace_record *rec, uint64_t *frame,
                                    uint64_t *next_seq, size_t *pos, vgt_error *err)
{
    if (rec->type != VGT_REC_SNAPSHOT || rec->size < VGT_TRACE_SNAPSHOT_PREFIX ||
        vgt_load_le32(rec->payload) != VGT_TRACE_SNAPSHOT_MAGIC) {
        return bad(rec, err, "not a snapshot (magic VGSN)");
    }
    if (vgt_load_le32(rec->payload + 4) != VGT_TRACE_SNAPSHOT_VERSION) {
        return vgt_error_set(err, VGT_E_VERSION,
                             "record %" PRIu64 ": snapshot version %u "
                             "(this build reads %u)",
                             rec->seq, vgt_load_le32(rec->payload + 4), VGT_TRACE_SNAPSHOT_VERSION);
    }
    *frame = vgt_load_le64(rec->payload + 8);
    *next_seq = vgt_load_le64(rec->payload + 16);
    *pos = VGT_TRACE_SNAPSHOT_PREFIX;
    return VGT_OK;
}

vgt_status vgt_trace_snapshot_next(const vgt_trace_record *rec, size_t *pos,
                                   vgt_trace_snapshot_section *out, vgt_error *err)
{
    if (*pos == rec->size) {
        return VGT_E_END;
    }
    if (*pos > rec->size || rec->size - *pos < 16u) {
        return bad(rec, err, "snapshot section header cut short");
    }
    out->tag = vgt_load_le32(rec->payload + *pos);
    out->size = vgt_load_le64(rec->payload + *pos + 8);
    if (out->size > rec->size - *pos - 16u) {
        return bad(rec, err, "snapshot section larger than the record");
    }
    out->data = rec->payload + *pos + 16;
    *pos += 16u + (size_t)out->size;
    return VGT_OK;
}

/* ---- names and the dump line -------------------------------------------------- */

const char *vgt_trace_reg_name(uint32_t reg)
{
    static const char *const names[] = {
        "ID",
        "ENABLE",
        "WIDTH",
        "HEIGHT",
        "MAX_WIDTH",
        "MAX_HEIGHT",
        "DEPTH",
        "BITS_PER_PIXEL",
        "PSEUDOCOLOR",
        "RED_MASK",
        "GREEN_MASK",
        "BLUE_MASK",
        "BYTES_PER_LINE",
        "FB_START",
        "FB_OFFSET",
        "VRAM_SIZE",
        "FB_SIZE",
        "CAPABILITIES",
        "MEM_START",
        "MEM_SIZE",
        "CONFIG_DONE",
        "SYNC",
        "BUSY",
        "GUEST_ID",
        "CURSOR_ID",
        "CURSOR_X",
        "CURSOR_Y",
        "CURSOR_ON",
        "HOST_BITS_PER_PIXEL",
        "SCRATCH_SIZE",
        "MEM_REGS",
        "NUM_DISPLAYS",
        "PITCHLOCK",
        "IRQMASK",
        "NUM_GUEST_DISPLAYS",
        "DISPLAY_ID",
        "DISPLAY_IS_PRIMARY",
        "DISPLAY_POSITION_X",
        "DISPLAY_POSITION_Y",
        "DISPLAY_WIDTH",
        "DISPLAY_HEIGHT",
        "GMR_ID",
        "GMR_DESCRIPTOR",
        "GMR_MAX_IDS",
        "GMR_MAX_DESCRIPTOR_LENGTH",
        "TRACES",
        "GMRS_MAX_PAGES",
        "MEMORY_SIZE",
    };
    return reg < sizeof(names) / sizeof(names[0]) ? names[reg] : NULL;
}

const char *vgt_trace_device_error_name(uint32_t kind)
{
    /* vgt_device_error_kind, in order (replay/ may not depend on device/). */
    static const char *const names[] = {"register", "fifo-regs", "bad-length", "too-long",
                                        "decode",   "execute",   "gmr",        "truncated"};
    return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}

/* ---- one record as text or JSON ------------------------------------------------
 * vgt dump's line for a record that is not a command, as text
 * (vgt_trace_record_format: "DMA_READ seq=5 gmr=1 ...") or as the JSON
 * object of its --json view (vgt_trace_record_print_json), written once per
 * record type through these helpers: each field is given with its text key
 * and its JSON key side by side, so a field added to one view is in the
 * other and they cannot drift apart.  The text is what the formatter wrote
 * before the JSON view shared it (docs/cli.md and the tests pin it); where
 * the views differ on purpose (the text's hex beside a value, its cut of a
 * long message, JSON's booleans for the text's markers), a field is
 * written to one view only, next to the other's. */
typedef struct rec_out {
    bool json;
    FILE *out;   /* JSON */
    char *buf;   /* text: NUL-terminated, cut at size */
    size_t size; /* > 0 */
    size_t n;
} rec_out;

static void ro_vprintf(rec_out *o, const char *fmt, va_list ap)
{
    if (o->json) {
        vfprintf(o->out, fmt, ap);
        return;
    }
    if (o->n + 1u >= o->size) {
        return; /* full: the line is cut, as one snprintf would cut it */
    }
    int k = vsnprintf(o->buf + o->n, o->size - o->n, fmt, ap);
    if (k > 0) {
        o->n += (size_t)k < o->size - o->n ? (size_t)k : o->size - o->n - 1u;
    }
}

/* Text and JSON alike (the caller's format is the view's own). */
static void ro_printf(rec_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ro_printf(rec_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ro_vprintf(o, fmt, ap);
    va_end(ap);
}

/* Text only. */
static void ro_text(rec_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ro_text(rec_out *o, const char *fmt, ...)
{
    if (o->json) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    ro_vprintf(o, fmt, ap);
    va_end(ap);
}

/* The start: text the line's NAME, JSON {"type":TYPE,"frame":FRAME. */
static void ro_begin(rec_out *o, const char *name, const char *type, uint64_t frame)
{
    if (o->json) {
        fprintf(o->out, "{\"type\":\"%s\",\"frame\":%" PRIu64, type, frame);
    } else {
        ro_printf(o, "%s", name);
    }
}

/* A number: text " TKEY=V" (no text when tkey is NULL), JSON ,"JKEY":V (none
 * when jkey is NULL). */
static void ro_u64(rec_out *o, const char *tkey, const char *jkey, uint64_t v)
{
    const char *k = o->json ? jkey : tkey;
    if (k) {
        ro_printf(o, o->json ? ",\"%s\":%" PRIu64 : " %s=%" PRIu64, k, v);
    }
}

static void ro_i32(rec_out *o, const char *tkey, const char *jkey, int32_t v)
{
    const char *k = o->json ? jkey : tkey;
    if (k) {
        ro_printf(o, o->json ? ",\"%s\":%d" : " %s=%d", k, v);
    }
}

/* JSON only: a boolean, null, or a string (escaped, valid UTF-8). */
static void ro_jbool(rec_out *o, const char *jkey, bool v)
{
    if (o->json) {
        fprintf(o->out, ",\"%s\":%s", jkey, v ? "true" : "false");
    }
}

static void ro_jstr(rec_out *o, const char *jkey, const char *s, size_t len)
{
    if (o->json) {
        fprintf(o->out, ",\"%s\":", jkey);
        vgt_json_string(o->out, s, len);
    }
}

static void ro_end(rec_out *o)
{
    if (o->json) {
        fputc('}', o->out);
    }
}

static const char *gmr_text(uint32_t gmr, char *buf, size_t size)
{
    if (gmr == VGT_SVGA_GMR_FRAMEBUFFER) {
        return "FB";
    }
    snprintf(buf, size, "%u", gmr);
    return buf;
}

/* A register's name ("WIDTH", "PALETTE[3].G") into buf, or NULL. */
static const char *reg_text(uint32_t reg, char *buf, size_t size)
{
    if (vgt_trace_reg_name(reg)) {
        return vgt_trace_reg_name(reg);
    }
    if (reg >= VGT_SVGA_PALETTE_BASE && reg - VGT_SVGA_PALETTE_BASE < VGT_SVGA_NUM_PALETTE_REGS) {
        uint32_t c = reg - VGT_SVGA_PALETTE_BASE;
        snprintf(buf, size, "PALETTE[%u].%c", c / 3u, "RGB"[c % 3u]);
        return buf;
    }
    return NULL;
}

/* Every record is parsed (and a snapshot's sections checked) before anything
 * is written: a payload that does not parse is the "MALFORMED" line (JSON:
 * "malformed"), never half a line. */
static vgt_status record_write(rec_out *o, const vgt_trace_record *rec, uint64_t frame)
{
    vgt_error err = {0};
    vgt_status st = VGT_OK;
    char g[32];
    switch (rec->type) {
    case VGT_REC_FRAME_END:
        ro_begin(o, "FRAME_END", "frame_end", frame);
        ro_end(o);
        return VGT_OK;
    case VGT_REC_DMA_DATA: {
        vgt_trace_dma d;
        if ((st = vgt_trace_dma_parse(rec, &d, &err)) != VGT_OK) {
            break;
        }
        if (rec->flags & VGT_TRACE_DMA_F_BYTES) {
            ro_begin(o, "DMA_BYTES", "dma_bytes", frame);
            ro_u64(o, "bytes", "bytes", d.length);
            ro_jbool(o, "deduplicated", rec->deduplicated);
            ro_text(o, "%s", rec->deduplicated ? " (deduplicated)" : "");
            ro_end(o);
            return VGT_OK;
        }
        ro_begin(o, "DMA_READ", "dma_read", frame);
        ro_u64(o, "seq", "seq", d.seq);
        if (d.gmr == VGT_SVGA_GMR_FRAMEBUFFER) {
            ro_printf(o, o->json ? ",\"gmr\":\"%s\"" : " gmr=%s", gmr_text(d.gmr, g, sizeof(g)));
        } else {
            ro_u64(o, "gmr", "gmr", d.gmr);
        }
        ro_u64(o, "offset", "offset", d.offset);
        ro_u64(o, "bytes", "bytes", d.length);
        /* the text shows the rows of a read of more than one */
        if (o->json || d.rows > 1) {
            ro_u64(o, "rows", "rows", d.rows);
            ro_text(o, " x %u", d.row_bytes);
            ro_u64(o, NULL, "row_bytes", d.row_bytes);
            ro_u64(o, "pitch", "pitch", d.pitch);
        }
        ro_jbool(o, "bytes_in_next_record", rec->flags & VGT_TRACE_DMA_F_DESC);
        ro_text(o, "%s", (rec->flags & VGT_TRACE_DMA_F_DESC) ? " (bytes in the next record)" : "");
        ro_end(o);
        return VGT_OK;
    }
    case VGT_REC_REGISTER_WRITE: {
        vgt_trace_reg r;
        if ((st = vgt_trace_reg_parse(rec, &r, &err)) != VGT_OK) {
            break;
        }
        if (r.fifo_cursor) {
            ro_begin(o, "FIFO_CURSOR", "fifo_cursor", frame);
            ro_u64(o, "seq", "seq", r.seq);
            ro_u64(o, "visible", NULL, r.visible ? 1 : 0);
            ro_jbool(o, "visible", r.visible);
            ro_i32(o, "x", "x", r.x);
            ro_i32(o, "y", "y", r.y);
            ro_i32(o, "screen", "screen", (int32_t)r.screen_id);
            ro_end(o);
            return VGT_OK;
        }
        /* text "REG NAME=VALUE (0xHEX)"; JSON the name (or the number), the
         * register's index and the value */
        const char *name = reg_text(r.reg, g, sizeof(g));
        ro_begin(o, "REG", "register", frame);
        if (o->json) {
            if (name) {
                ro_jstr(o, "reg", name, strlen(name));
            } else {
                ro_u64(o, NULL, "reg", r.reg);
            }
            ro_u64(o, NULL, "index", r.reg);
            ro_u64(o, NULL, "value", r.value);
        } else if (name) {
            ro_text(o, " %s=%u (0x%x)", name, r.value, r.value);
        } else {
            ro_text(o, " %u=%u (0x%x)", r.reg, r.value, r.value);
        }
        ro_end(o);
        return VGT_OK;
    }
    case VGT_REC_FENCE: {
        vgt_trace_fence f;
        if ((st = vgt_trace_fence_parse(rec, &f, &err)) != VGT_OK) {
            break;
        }
        ro_begin(o, "FENCE_PASSED", "fence_passed", frame);
        ro_u64(o, "seq", "seq", f.seq);
        ro_u64(o, "fence", "fence", f.fence);
        ro_end(o);
        return VGT_OK;
    }
    case VGT_REC_FRAME_HASH: {
        vgt_trace_frame_hash h;
        if ((st = vgt_trace_frame_hash_parse(rec, &h, &err)) != VGT_OK) {
            break;
        }
        ro_begin(o, "FRAME_HASH", "frame_hash", frame);
        ro_u64(o, "frame", "guest_frame", h.frame);
        ro_u64(o, "last_seq", "last_seq", h.last_seq);
        if (h.flags & VGT_TRACE_FRAME_F_NO_DISPLAY) {
            ro_text(o, " no-display");
            ro_jbool(o, "no_display", true);
        } else {
            ro_text(o, " size=%ux%u", h.width, h.height);
            ro_u64(o, NULL, "width", h.width);
            ro_u64(o, NULL, "height", h.height);
            /* the 64-bit hash as 16 hex digits, in JSON a string: a JSON
             * number loses its low bits in most readers (doubles) */
            snprintf(g, sizeof(g), "%016" PRIx64, h.hash);
            ro_text(o, " hash=%s", g);
            ro_jstr(o, "hash", g, strlen(g));
            ro_jbool(o, "rows", h.flags & VGT_TRACE_FRAME_F_ROWS);
            ro_text(o, "%s", (h.flags & VGT_TRACE_FRAME_F_ROWS) ? " (rows)" : "");
        }
        ro_end(o);
        return VGT_OK;
    }
    case VGT_REC_COMMAND_BATCH: {
        vgt_trace_commands b;
        if ((st = vgt_trace_commands_parse(rec, &b, &err)) != VGT_OK) {
            break;
        }
        ro_begin(o, "COMMAND_BATCH", "command_batch", frame);
        ro_text(o, " seqs=%" PRIu64 "..%" PRIu64, b.first_seq, b.first_seq + b.count - 1u);
        ro_u64(o, NULL, "first_seq", b.first_seq);
        ro_u64(o, "count", "count", b.count);
        ro_end(o);
        return VGT_OK;
    }
    case VGT_REC_TIMING: {
        vgt_trace_timing t;
        if ((st = vgt_trace_timing_parse(rec, &t, &err)) != VGT_OK) {
            break;
        }
        ro_begin(o, "TIMING", "timing", frame);
        ro_text(o, " seqs=%" PRIu64 "..%" PRIu64, t.first_seq,
                t.first_seq + (t.count ? t.count - 1u : 0u));
        ro_u64(o, NULL, "first_seq", t.first_seq);
        ro_u64(o, "count", "count", t.count);
        ro_end(o);
        return VGT_OK;
    }
    case VGT_REC_ERROR: {
        vgt_trace_error e;
        if ((st = vgt_trace_error_parse(rec, &e, &err)) != VGT_OK) {
            break;
        }
        ro_begin(o, "DEVICE_ERROR", "device_error", frame);
        /* an error not about a command: no seq in the text, null in JSON */
        if (e.seq != UINT64_MAX) {
            ro_u64(o, "seq", "seq", e.seq);
        } else if (o->json) {
            ro_printf(o, ",\"seq\":null");
        }
        const char *kind = vgt_trace_device_error_name(e.kind);
        ro_text(o, " kind=%s", kind);
        ro_jstr(o, "kind", kind, strlen(kind));
        ro_text(o, " fifo_offset=0x%x", e.fifo_offset);
        ro_u64(o, NULL, "fifo_offset", e.fifo_offset);
        /* the text cuts the message at 400 bytes; JSON has it whole */
        int len = e.message_len > 400u ? 400 : (int)e.message_len;
        ro_text(o, " \"%.*s\"", len, e.message);
        ro_jstr(o, "message", e.message, e.message_len);
        ro_end(o);
        return VGT_OK;
    }
    case VGT_REC_SNAPSHOT: {
        uint64_t sframe, next_seq;
        size_t pos;
        if ((st = vgt_trace_snapshot_parse(rec, &sframe, &next_seq, &pos, &err)) != VGT_OK) {
            break;
        }
        size_t check = pos;
        vgt_trace_snapshot_section sec;
        while ((st = vgt_trace_snapshot_next(rec, &check, &sec, &err)) == VGT_OK) {
        }
        if (st != VGT_E_END) {
            break;
        }
        ro_begin(o, "SNAPSHOT", "snapshot", frame);
        ro_u64(o, "frame", "snapshot_frame", sframe);
        ro_u64(o, "next_seq", "next_seq", next_seq);
        ro_printf(o, "%s", o->json ? ",\"sections\":[" : "");
        bool first = true;
        while (vgt_trace_snapshot_next(rec, &pos, &sec, &err) == VGT_OK) {
            char tag[5];
            vgt_store_le32(tag, sec.tag);
            tag[4] = '\0';
            if (o->json) {
                fprintf(o->out, "%s{\"tag\":", first ? "" : ",");
                vgt_json_string(o->out, tag, 4);
                fprintf(o->out, ",\"bytes\":%" PRIu64 "}", sec.size);
            } else {
                ro_text(o, " %s=%" PRIu64 "B", tag, sec.size);
            }
            first = false;
        }
        ro_printf(o, "%s", o->json ? "]" : "");
        ro_end(o);
        return VGT_OK;
    }
    default: {
        /* text the type's name (RECORD when it has none), JSON the name
         * or the number in hex, as vgt dump --records' TYPE column */
        const char *name = vgt_trace_type_name(rec->type);
        snprintf(g, sizeof(g), "0x%04x", rec->type);
        ro_begin(o, name ? name : "RECORD", "record", frame);
        ro_jstr(o, "record_type", name ? name : g, strlen(name ? name : g));
        ro_u64(o, "bytes", "bytes", rec->size);
        ro_end(o);
        return VGT_OK;
    }
    }
    const char *name = vgt_trace_type_name(rec->type);
    snprintf(g, sizeof(g), "0x%04x", rec->type);
    ro_begin(o, "MALFORMED", "malformed", frame);
    ro_jstr(o, "record_type", name ? name : g, strlen(name ? name : g));
    ro_u64(o, NULL, "bytes", rec->size);
    ro_text(o, " %s", err.message);
    ro_jstr(o, "message", err.message, strlen(err.message));
    ro_end(o);
    return st;
}

vgt_status vgt_trace_record_format(const vgt_trace_record *rec, char *buf, size_t size)
{
    if (size == 0) {
        return VGT_OK;
    }
    buf[0] = '\0';
    rec_out o = {.json = false, .buf = buf, .size = size};
    return record_write(&o, rec, 0);
}

vgt_status vgt_trace_record_print_json(FILE *out, const vgt_trace_record *rec, uint64_t frame)
{
    rec_out o = {.json = true, .out = out};
    return record_write(&o, rec, frame);
}

/* ---- summary -------------------------------------------------------------------- */

/* The per-seq attribution names a command id by its slot, the order in
 * which the id was first seen, which never changes: the sorted stats move
 * when a new id comes in, and renumbering every seq then made a hostile
 * trace (seqs 64 Mi apart, thousands of ids) take minutes (fuzz_replayer's
 * regressions/replayer/timeout-d385f8ee). */
typedef struct summ {
    vgt_trace_svga_summary *s;
    size_t cap;
    uint16_t *slot_at;  /* the slot of s->cmds[i] */
    uint32_t *slot_id;  /* the command id of slot k */
    uint16_t *seq_stat; /* slot + 1 per seq - seq0 (0: unknown) */
    size_t seq_cap;
    uint64_t seq0;
    bool have_seq0;
    bool nomem;
} summ;

/* The position of id in the sorted stats, or where it would go. */
static size_t stat_pos(const vgt_trace_svga_summary *s, uint32_t id)
{
    size_t lo = 0, hi = s->ncmds;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->cmds[mid].id < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static vgt_trace_cmd_stat *stat_for(summ *m, uint32_t id, size_t *slot)
{
    vgt_trace_svga_summary *s = m->s;
    size_t lo = stat_pos(s, id);
    if (lo < s->ncmds && s->cmds[lo].id == id) {
        *slot = m->slot_at[lo];
        return &s->cmds[lo];
    }
    if (s->ncmds >= 65535u) {
        return NULL;
    }
    if (s->ncmds == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        vgt_trace_cmd_stat *n = realloc(s->cmds, cap * sizeof(*n));
        if (n) {
            s->cmds = n;
        }
        uint16_t *at = n ? realloc(m->slot_at, cap * sizeof(*at)) : NULL;
        if (at) {
            m->slot_at = at;
        }
        uint32_t *ids = at ? realloc(m->slot_id, cap * sizeof(*ids)) : NULL;
        if (!ids) {
            m->nomem = true;
            return NULL;
        }
        m->slot_id = ids;
        m->cap = cap;
    }
    memmove(&s->cmds[lo + 1], &s->cmds[lo], (s->ncmds - lo) * sizeof(*s->cmds));
    memmove(&m->slot_at[lo + 1], &m->slot_at[lo], (s->ncmds - lo) * sizeof(*m->slot_at));
    memset(&s->cmds[lo], 0, sizeof(s->cmds[lo]));
    s->cmds[lo].id = id;
    m->slot_at[lo] = (uint16_t)s->ncmds;
    m->slot_id[s->ncmds] = id;
    *slot = s->ncmds;
    s->ncmds++;
    return &s->cmds[lo];
}

static void seq_note(summ *m, uint64_t seq, size_t slot)
{
    if (!m->have_seq0) {
        m->seq0 = seq;
        m->have_seq0 = true;
    }
    if (seq < m->seq0 || seq - m->seq0 > (64u << 20)) {
        return; /* out of order or absurd: no timing attribution */
    }
    size_t i = (size_t)(seq - m->seq0);
    if (i >= m->seq_cap) {
        size_t cap = m->seq_cap ? m->seq_cap : 4096;
        while (cap <= i) {
            cap *= 2;
        }
        uint16_t *n = realloc(m->seq_stat, cap * sizeof(*n));
        if (!n) {
            m->nomem = true;
            return;
        }
        memset(n + m->seq_cap, 0, (cap - m->seq_cap) * sizeof(*n));
        m->seq_stat = n;
        m->seq_cap = cap;
    }
    m->seq_stat[i] = (uint16_t)(slot + 1);
}

static vgt_trace_cmd_stat *seq_stat(summ *m, uint64_t seq)
{
    if (!m->have_seq0 || seq < m->seq0 || seq - m->seq0 >= m->seq_cap) {
        return NULL;
    }
    uint16_t v = m->seq_stat[seq - m->seq0];
    if (!v) {
        return NULL;
    }
    size_t pos = stat_pos(m->s, m->slot_id[v - 1u]); /* the id is there: slots only grow */
    return &m->s->cmds[pos];
}

struct vgt_trace_summarizer {
    summ m;
    vgt_trace_cmd_stat *last; /* the last command's stat, for its ERROR */
    uint64_t last_seq;
};

vgt_status vgt_trace_summarizer_begin(vgt_trace_svga_summary *out, const vgt_trace_header *h,
                                      vgt_trace_summarizer **sp, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    *sp = NULL;
    if (h) {
        out->cfg_ok = vgt_trace_devcfg_parse(h->device_config, h->device_config_size, &out->cfg,
                                             NULL) == VGT_OK;
    }
    vgt_trace_summarizer *s = calloc(1, sizeof(*s));
    if (!s) {
        return vgt_error_set(err, VGT_E_NOMEM, "trace summary: out of memory");
    }
    s->m.s = out;
    s->last_seq = UINT64_MAX;
    *sp = s;
    return VGT_OK;
}

vgt_status vgt_trace_summarizer_add(vgt_trace_summarizer *s, const vgt_trace_record *rec,
                                    vgt_error *err)
{
    summ *m = &s->m;
    vgt_trace_svga_summary *out = m->s;
    if (m->nomem) {
        return vgt_error_set(err, VGT_E_NOMEM, "trace summary: out of memory");
    }
    switch (rec->type) {
    case VGT_REC_COMMAND:
    case VGT_REC_COMMAND_BATCH: {
        vgt_trace_commands b;
        vgt_trace_command c;
        size_t slot;
        if (vgt_trace_commands_parse(rec, &b, NULL) != VGT_OK) {
            break;
        }
        while (vgt_trace_commands_next(&b, &c)) {
            s->last = stat_for(m, vgt_load_le32(c.words), &slot);
            if (!s->last) {
                break;
            }
            s->last->count++;
            s->last->words += c.nwords;
            s->last_seq = c.seq;
            out->commands++;
            out->words += c.nwords;
            out->trace_refreshes += c.fifo_offset == VGT_TRACE_REFRESH_OFFSET;
            seq_note(m, c.seq, slot);
        }
        break;
    }
    case VGT_REC_DMA_DATA: {
        vgt_trace_dma d;
        if (vgt_trace_dma_parse(rec, &d, NULL) != VGT_OK || (rec->flags & VGT_TRACE_DMA_F_BYTES)) {
            break;
        }
        out->dma_records++;
        out->dma_bytes += d.length;
        vgt_trace_cmd_stat *cs = seq_stat(m, d.seq);
        if (cs) {
            cs->dma_bytes += d.length;
        }
        break;
    }
    case VGT_REC_REGISTER_WRITE:
        if (rec->flags & VGT_TRACE_REG_F_FIFO_CURSOR) {
            out->cursor_samples++;
        } else {
            out->reg_writes++;
        }
        break;
    case VGT_REC_FENCE:
        out->fences++;
        break;
    case VGT_REC_ERROR: {
        vgt_trace_error e;
        out->errors++;
        if (vgt_trace_error_parse(rec, &e, NULL) == VGT_OK && s->last && e.seq == s->last_seq) {
            s->last->failed++;
            out->failed++;
        }
        break;
    }
    case VGT_REC_SNAPSHOT:
        out->snapshots++;
        break;
    case VGT_REC_FRAME_HASH: {
        vgt_trace_frame_hash fh;
        if (vgt_trace_frame_hash_parse(rec, &fh, NULL) != VGT_OK) {
            break;
        }
        if (!out->has_frames) {
            out->first_frame = fh.frame;
            out->has_frames = true;
        }
        out->last_frame = fh.frame;
        out->frame_hashes++;
        out->frames_no_display += (fh.flags & VGT_TRACE_FRAME_F_NO_DISPLAY) != 0;
        break;
    }
    case VGT_REC_TIMING: {
        vgt_trace_timing t;
        if (vgt_trace_timing_parse(rec, &t, NULL) != VGT_OK) {
            break;
        }
        for (uint32_t i = 0; i < t.count; i++) {
            vgt_trace_cmd_stat *cs = seq_stat(m, t.first_seq + i);
            uint32_t q, x;
            vgt_trace_timing_get(&t, i, &q, &x);
            if (cs) {
                cs->timed++;
                cs->queue_ns += q;
                cs->exec_ns += x;
            }
        }
        break;
    }
    default:
        break;
    }
    if (m->nomem) {
        return vgt_error_set(err, VGT_E_NOMEM, "trace summary: out of memory");
    }
    return VGT_OK;
}

void vgt_trace_summarizer_end(vgt_trace_summarizer *s)
{
    if (s) {
        free(s->m.seq_stat);
        free(s->m.slot_at);
        free(s->m.slot_id);
        free(s);
    }
}

vgt_status vgt_trace_svga_summarize(vgt_trace_reader *r, vgt_trace_svga_summary *out,
                                    vgt_error *err)
{
    vgt_trace_summarizer *s;
    vgt_status st = vgt_trace_summarizer_begin(out, vgt_trace_reader_header(r), &s, err);
    if (st != VGT_OK) {
        return st;
    }
    if (vgt_trace_reader_seek_record(r, 0, NULL) != VGT_OK) {
        vgt_trace_summarizer_end(s);
        return VGT_OK; /* no records */
    }
    vgt_trace_record rec;
    while ((st = vgt_trace_reader_next(r, &rec, NULL)) == VGT_OK) {
        vgt_status as = vgt_trace_summarizer_add(s, &rec, err);
        if (as != VGT_OK) {
            vgt_trace_summarizer_end(s);
            vgt_trace_svga_summary_free(out);
            return as;
        }
    }
    vgt_trace_summarizer_end(s);
    out->stopped = st != VGT_E_END;
    return VGT_OK;
}

double vgt_trace_cmd_stat_mean_exec_us(const vgt_trace_cmd_stat *c)
{
    return c->timed ? (double)c->exec_ns / (double)c->timed / 1e3 : 0.0;
}

void vgt_trace_svga_summary_free(vgt_trace_svga_summary *s)
{
    free(s->cmds);
    s->cmds = NULL;
    s->ncmds = 0;
}
