/* cmd_length.c - how many words a command occupies, from its first words. */
#include "vgt_protocol.h"

#include "protocol_private.h"

/* Asks for `need` words when fewer are available. */
static vgt_status need_words(uint32_t need, uint32_t avail, uint32_t *total, const char *name,
                             vgt_error *err)
{
    *total = need;
    if (!err) {
        return VGT_E_TRUNCATED; /* the device's usual case: every 3D command's first word */
    }
    return vgt_error_set(err, VGT_E_TRUNCATED,
                         "%s: %u words needed to know the length, %u available", name, need, avail);
}

/* total = head + extra words, checked against VGT_CMD_MAX_WORDS. */
static vgt_status finish(uint64_t head, uint64_t extra, uint32_t *total, const char *name,
                         uint32_t word, uint32_t value, vgt_error *err)
{
    uint64_t t = head + extra; /* both < 2^62 by construction */
    if (t > VGT_CMD_MAX_WORDS) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "%s word %u = %u (0x%x): the command would be %llu words, more "
                             "than the %u allowed",
                             name, word, value, value, (unsigned long long)t, VGT_CMD_MAX_WORDS);
    }
    *total = (uint32_t)t;
    return VGT_OK;
}

static bool cursor_depth_ok(uint32_t depth)
{
    return depth == 1 || depth == 8 || depth == 15 || depth == 16 || depth == 24 || depth == 32;
}

uint64_t vgt__cursor_mask_words(uint32_t width, uint32_t height, uint32_t depth)
{
    /* svga.c's rule for every depth, 15 included (its rows are then packed
     * 15-bit pixels; QEMU and VirtualBox size them alike): a length other
     * than the guest's would run the FIFO out of step with it.
     * width, depth < 2^32, so width*depth+31 < 2^64; words per row < 2^32,
     * rows < 2^32: the product may overflow 2^64 only in theory; saturate. */
    uint64_t row = ((uint64_t)width * depth + 31u) / 32u;
    uint64_t total;
    if (vgt_mul_overflow_u64(row, height, &total)) {
        return UINT64_MAX / 4;
    }
    return total > UINT64_MAX / 4 ? UINT64_MAX / 4 : total;
}

static vgt_status length_2d(const vgt_cmd_desc *d, const uint32_t *w, uint32_t avail,
                            uint32_t *total, vgt_error *err)
{
    uint32_t head = 1 + d->body_words;
    switch (d->layout) {
    case VGT_CMD_LAYOUT_FIXED:
        *total = head;
        return VGT_OK;
    case VGT_CMD_LAYOUT_CURSOR: {
        if (avail < head) {
            return need_words(head, avail, total, d->name, err);
        }
        uint32_t width = w[4], height = w[5], and_depth = w[6], xor_depth = w[7];
        if (!cursor_depth_ok(and_depth)) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "%s word 6 = %u (0x%x): AND mask depth must be 1, 8, 15, "
                                 "16, 24 or 32",
                                 d->name, and_depth, and_depth);
        }
        if (!cursor_depth_ok(xor_depth)) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "%s word 7 = %u (0x%x): XOR mask depth must be 1, 8, 15, "
                                 "16, 24 or 32",
                                 d->name, xor_depth, xor_depth);
        }
        uint64_t extra = vgt__cursor_mask_words(width, height, and_depth) +
                         vgt__cursor_mask_words(width, height, xor_depth);
        return finish(head, extra, total, d->name, 4, width, err);
    }
    case VGT_CMD_LAYOUT_ALPHA_CURSOR: {
        if (avail < head) {
            return need_words(head, avail, total, d->name, err);
        }
        uint64_t extra = (uint64_t)w[4] * w[5];
        return finish(head, extra, total, d->name, 4, w[4], err);
    }
    case VGT_CMD_LAYOUT_ESCAPE: {
        if (avail < head) {
            return need_words(head, avail, total, d->name, err);
        }
        uint64_t extra = ((uint64_t)w[2] + 3u) / 4u;
        return finish(head, extra, total, d->name, 2, w[2], err);
    }
    case VGT_CMD_LAYOUT_SCREEN: {
        if (avail < 2) {
            return need_words(2, avail, total, d->name, err);
        }
        uint32_t size = w[1];
        if (size % 4 != 0 || size < VGT_SVGA_SCREEN_OBJECT_V1_BYTES ||
            size > VGT_SVGA_SCREEN_OBJECT_MAX_BYTES) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "%s word 1 = %u (0x%x): screen object size must be a multiple "
                                 "of 4 between %u and %u bytes",
                                 d->name, size, size, VGT_SVGA_SCREEN_OBJECT_V1_BYTES,
                                 VGT_SVGA_SCREEN_OBJECT_MAX_BYTES);
        }
        *total = 1 + size / 4;
        return VGT_OK;
    }
    case VGT_CMD_LAYOUT_REMAP_GMR2: {
        if (avail < head) {
            return need_words(head, avail, total, d->name, err);
        }
        uint32_t flags = w[2], num_pages = w[4];
        uint64_t extra;
        if (flags & VGT_SVGA_REMAP_GMR2_VIA_GMR) {
            extra = 2;
        } else {
            uint64_t entries = (flags & VGT_SVGA_REMAP_GMR2_SINGLE_PPN) ? 1 : num_pages;
            extra = entries * ((flags & VGT_SVGA_REMAP_GMR2_PPN64) ? 2u : 1u);
        }
        return finish(head, extra, total, d->name, 4, num_pages, err);
    }
    default:
        break;
    }
    return vgt_error_set(err, VGT_E_INVALID, "%s: no length rule (internal error)", d->name);
}

vgt_status vgt__cmd_length_desc(const uint32_t *words, uint32_t avail, uint32_t *total,
                                const vgt_cmd_desc **desc, vgt_error *err)
{
    uint32_t id = words[0];
    const vgt_cmd_desc *d = vgt_cmd_lookup(id);
    *desc = d;
    /* The common case first: a known command with a fixed body (no branch
     * on the id ranges, no second look at the words). */
    if (d && d->layout == VGT_CMD_LAYOUT_FIXED && !(d->flags & VGT_CMD_F_3D)) {
        *total = 1 + d->body_words;
        return VGT_OK;
    }
    if (id >= VGT_SVGA3D_CMD_FIRST_RESERVED && id < VGT_SVGA3D_CMD_BASE) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "word 0 = %u (0x%x): command id reserved by an obsolete SVGA3D "
                             "protocol (1000..1039)",
                             id, id);
    }
    if (id >= VGT_SVGA3D_CMD_BASE && id <= VGT_SVGA3D_CMD_LAST_RESERVED) {
        const char *name = d ? d->name : "3D command";
        if (avail < 2) {
            return need_words(2, avail, total, name, err);
        }
        uint32_t size = words[1];
        if (size % 4 != 0) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "%s word 1 = %u (0x%x): 3D command size is not a multiple of 4",
                                 name, size, size);
        }
        if (size / 4 > VGT_CMD_MAX_WORDS - 2) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "%s word 1 = %u (0x%x): command larger than %u words", name, size,
                                 size, VGT_CMD_MAX_WORDS);
        }
        *total = 2 + size / 4;
        if (!d) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "word 0 = %u (0x%x): unknown SVGA3D command id (not a legacy "
                                 "SVGA3D command)",
                                 id, id);
        }
        return VGT_OK;
    }
    if (!d) {
        return vgt_error_set(err, VGT_E_INVALID, "word 0 = %u (0x%x): unknown command id", id, id);
    }
    return length_2d(d, words, avail, total, err);
}

vgt_status vgt_cmd_length(const uint32_t *words, uint32_t avail, uint32_t *total, vgt_error *err)
{
    if (!words || !total || avail < 1) {
        return vgt_error_set(err, VGT_E_INVALID, "vgt_cmd_length: no words given");
    }
    const vgt_cmd_desc *d;
    return vgt__cmd_length_desc(words, avail, total, &d, err);
}
