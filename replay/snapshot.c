/* snapshot.c - saves and restores the executor's display state (the "EX2D"
 * section of a SNAPSHOT record), so that a capture that starts at frame N
 * replays from frame N alone.  Layout (little-endian u32 unless noted):
 *
 *   version (2, or 3 when a screen has a backing store), flags (0)
 *   mode: enabled, width, height, bits_per_pixel, bytes_per_line, fb_offset
 *   palette (version 2 on): 768 bytes, entry n's red, green, blue at 3n..3n+2
 *   screen count n, then n x {id, legacy, flags, i32 x, i32 y, w, h,
 *           (version 3) has_store, store gmr, offset, pitch, w*h*4 pixel bytes}
 *   gmrfb: defined, gmr_id, offset, bytes_per_line, format
 *   annotation: fill_pending, copy_pending, color
 *   cursor: defined, alpha, hot_x, hot_y, w, h, visible, i32 x, i32 y, screen_id,
 *           then (defined) w*h*4 bytes of AND/alpha pixels and (defined, not
 *           alpha) w*h*4 bytes of XOR pixels
 *
 *   (version 4) cursor indexed (an 8-bit index cursor: its AND and XOR pixels
 *           are 0..0xFF values), shadow present, then (present) w, h, w*h index
 *           bytes and h rows of (w+7)/8 bytes of the known bitmap (bit x%8 of
 *           byte x/8: pixel x shows its index)
 *   (version 5) cursor and_bits (16 or 24: its AND pixels are guest values of
 *           that depth, some neither 0 nor all ones; else 0)
 *
 * Version 1 (before the 8-bit mode) has no palette: it loads as all black.
 * Version 4 (the index shadow of the 8-bit mode and index cursors) is
 * written only in the 8-bit mode or with an index cursor; it has version
 * 3's store words.  An older version in the 8-bit mode loads with no index
 * known (an 8-bit cursor then XORs colours until UPDATEs show indices).
 * Version 5 (a 16- or 24-bit AND mask with partial values) is written only
 * with such a cursor; it has version 4's fields.
 * Version 3 (SCREEN_OBJECT_2 backing stores) is written only when a screen
 * has a store, so a snapshot without one stays readable by older builds.
 * The store's bytes are guest memory: as the legacy framebuffer's, they
 * reach a replay in the trace, as the reads of the commands after it.
 *
 * The 3D state (surfaces with their contents, contexts, shaders) is the
 * separate "EX3D" section, written and read by snapshot3d.c; load here resets
 * the executor, 3D included, so EX3D is applied after EX2D. */
#include "executor_internal.h"
#include "vgt_replayer.h"

#include <stdlib.h>
#include <string.h>

#define SNAP_VERSION 5u

void snap_put_bytes(snap_buf *b, const void *data, size_t n)
{
    if (b->failed || n == 0) {
        return;
    }
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len < n) {
            if (cap > SIZE_MAX / 2) {
                b->failed = true;
                return;
            }
            cap *= 2;
        }
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    if (data) {
        memcpy(b->p + b->len, data, n);
    } else {
        memset(b->p + b->len, 0, n);
    }
    b->len += n;
}

void snap_put32(snap_buf *b, uint32_t v)
{
    uint8_t w[4];
    vgt_store_le32(w, v);
    snap_put_bytes(b, w, 4);
}

/* Pixels are stored as little-endian words, whatever the host order. */
static void put_pixels(snap_buf *b, const uint32_t *px, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        snap_put32(b, px[i]);
    }
}

vgt_status vgt_executor_snapshot_save(const vgt_executor *ex, uint8_t **out, size_t *size,
                                      vgt_error *err)
{
    *out = NULL;
    *size = 0;
    snap_buf b = {0};
    bool stores = false;
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        stores |= ex->screens[i].defined && ex->screens[i].has_store;
    }
    bool v5 = ex->cursor.defined && ex->cursor.and_bits;
    bool v4 = v5 || ex->shadow.idx || (ex->cursor.defined && ex->cursor.indexed);
    bool with_stores = stores || v4; /* version 4 has version 3's store words */
    snap_put32(&b, v5 ? 5u : v4 ? 4u : stores ? 3u : 2u);
    snap_put32(&b, 0);
    const vgt_display_mode *m = &ex->mode;
    snap_put32(&b, m->enabled ? 1u : 0u);
    snap_put32(&b, m->width);
    snap_put32(&b, m->height);
    snap_put32(&b, m->bits_per_pixel);
    snap_put32(&b, m->bytes_per_line);
    snap_put32(&b, m->fb_offset);
    /* The palette colours the next 8-bit UPDATE after the snapshot. */
    uint8_t pal[VGT_SVGA_NUM_PALETTE_REGS];
    for (uint32_t i = 0; i < VGT_SVGA_MAX_PSEUDOCOLORS; i++) {
        pal[3u * i] = (uint8_t)(ex->palette[i] >> 16);
        pal[3u * i + 1u] = (uint8_t)(ex->palette[i] >> 8);
        pal[3u * i + 2u] = (uint8_t)ex->palette[i];
    }
    snap_put_bytes(&b, pal, sizeof(pal));
    uint32_t n = 0;
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        n += ex->screens[i].defined;
    }
    snap_put32(&b, n);
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        const exec_screen *s = &ex->screens[i];
        if (!s->defined) {
            continue;
        }
        snap_put32(&b, i);
        snap_put32(&b, s->legacy ? 1u : 0u);
        snap_put32(&b, s->flags);
        snap_put32(&b, (uint32_t)s->x);
        snap_put32(&b, (uint32_t)s->y);
        snap_put32(&b, s->w);
        snap_put32(&b, s->h);
        if (with_stores) {
            snap_put32(&b, s->has_store ? 1u : 0u);
            snap_put32(&b, s->store_gmr);
            snap_put32(&b, s->store_offset);
            snap_put32(&b, s->store_pitch);
        }
        put_pixels(&b, s->pix, (size_t)s->w * s->h);
    }
    snap_put32(&b, ex->gmrfb.defined ? 1u : 0u);
    snap_put32(&b, ex->gmrfb.ptr.gmr_id);
    snap_put32(&b, ex->gmrfb.ptr.offset);
    snap_put32(&b, ex->gmrfb.bytes_per_line);
    snap_put32(&b, ex->gmrfb.format);
    snap_put32(&b, ex->annotation.fill_pending ? 1u : 0u);
    snap_put32(&b, ex->annotation.copy_pending ? 1u : 0u);
    snap_put32(&b, ex->annotation.color);
    const exec_cursor *c = &ex->cursor;
    snap_put32(&b, c->defined ? 1u : 0u);
    snap_put32(&b, c->alpha ? 1u : 0u);
    snap_put32(&b, c->hot_x);
    snap_put32(&b, c->hot_y);
    snap_put32(&b, c->w);
    snap_put32(&b, c->h);
    snap_put32(&b, c->visible ? 1u : 0u);
    snap_put32(&b, (uint32_t)c->x);
    snap_put32(&b, (uint32_t)c->y);
    snap_put32(&b, c->screen_id);
    if (c->defined && c->and_px) {
        put_pixels(&b, c->and_px, (size_t)c->w * c->h);
        if (!c->alpha && c->xor_px) {
            put_pixels(&b, c->xor_px, (size_t)c->w * c->h);
        }
    }
    if (v4) {
        /* What an 8-bit cursor reads at the next compose: the indices the
         * screen shows are not in VRAM any more (the guest may have drawn
         * since its last UPDATE), so they travel here. */
        snap_put32(&b, c->defined && c->indexed ? 1u : 0u);
        snap_put32(&b, ex->shadow.idx ? 1u : 0u);
        if (ex->shadow.idx) {
            snap_put32(&b, ex->shadow.w);
            snap_put32(&b, ex->shadow.h);
            snap_put_bytes(&b, ex->shadow.idx, (size_t)ex->shadow.w * ex->shadow.h);
            snap_put_bytes(&b, ex->shadow.known,
                           vgt_exec_shadow_known_pitch(ex->shadow.w) * ex->shadow.h);
        }
    }
    if (v5) {
        snap_put32(&b, c->and_bits); /* what the AND pixels are, as the compose reads them */
    }
    if (b.failed) {
        free(b.p);
        return vgt_error_set(err, VGT_E_NOMEM, "state snapshot: out of memory");
    }
    *out = b.p;
    *size = b.len;
    return VGT_OK;
}

uint32_t snap_get32(snap_rd *r)
{
    if (r->bad || r->len - r->pos < 4) {
        r->bad = true;
        return 0;
    }
    uint32_t v = vgt_load_le32(r->p + r->pos);
    r->pos += 4;
    return v;
}

/* Reads n pixels into a new array of n+1 words (the executor's convention). */
static uint32_t *get_pixels(snap_rd *r, size_t n)
{
    if (r->bad || (r->len - r->pos) / 4u < n) {
        r->bad = true;
        return NULL;
    }
    uint32_t *px = calloc(n + 1, 4u);
    if (!px) {
        r->bad = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        px[i] = vgt_load_le32(r->p + r->pos + 4u * i);
    }
    r->pos += 4u * n;
    return px;
}

/* Version 4's index shadow: its size must be screen 0's (the mode's when
 * screen 0 is not defined).  Returns why it is bad (r->bad set) or the
 * unchanged "cut short". */
static const char *load_shadow(vgt_executor *ex, snap_rd *r)
{
    uint32_t w = snap_get32(r), h = snap_get32(r);
    const exec_screen *s0 = &ex->screens[0];
    uint32_t want_w = s0->defined ? s0->w : ex->mode.width;
    uint32_t want_h = s0->defined ? s0->h : ex->mode.height;
    if (r->bad) {
        return "cut short";
    }
    if (w != want_w || h != want_h) {
        r->bad = true;
        return "index shadow not of screen 0's size";
    }
    size_t n = (size_t)w * h, kn = vgt_exec_shadow_known_pitch(w) * h; /* w, h <= 8192 */
    if (r->len - r->pos < n || r->len - r->pos - n < kn) {
        r->bad = true;
        return "cut short";
    }
    if (vgt_exec_shadow_alloc(w, h, &ex->shadow.idx, &ex->shadow.known, NULL) != VGT_OK) {
        r->bad = true;
        return "out of memory for the index shadow";
    }
    memcpy(ex->shadow.idx, r->p + r->pos, n);
    memcpy(ex->shadow.known, r->p + r->pos + n, kn);
    r->pos += n + kn;
    ex->shadow.w = w;
    ex->shadow.h = h;
    return "cut short";
}

vgt_status vgt_executor_snapshot_load(vgt_executor *ex, const void *data, size_t size,
                                      vgt_error *err)
{
    snap_rd r = {data, size, 0, false};
    vgt_executor_reset(ex);
    uint32_t version = snap_get32(&r);
    (void)snap_get32(&r);
    if (!r.bad && (version == 0 || version > SNAP_VERSION)) {
        return vgt_error_set(err, VGT_E_VERSION,
                             "state snapshot: version %u (this build reads 1..%u)", version,
                             SNAP_VERSION);
    }
    vgt_display_mode m;
    m.enabled = snap_get32(&r) != 0;
    m.width = snap_get32(&r);
    m.height = snap_get32(&r);
    m.bits_per_pixel = snap_get32(&r);
    m.bytes_per_line = snap_get32(&r);
    m.fb_offset = snap_get32(&r);
    ex->mode = m;
    const char *why = "cut short";
    vgt_error mode_err;
    vgt_error_clear(&mode_err);
    if (!r.bad && vgt_exec_mode_check(&m, &mode_err) != VGT_OK) {
        why = "mode the executor cannot take";
        r.bad = true;
    }
    if (version >= 2) {
        if (r.bad || r.len - r.pos < VGT_SVGA_NUM_PALETTE_REGS) {
            r.bad = true;
        } else {
            for (uint32_t i = 0; i < VGT_SVGA_NUM_PALETTE_REGS; i++) {
                (void)vgt_executor_set_palette(ex, i, r.p[r.pos + i], NULL);
            }
            r.pos += VGT_SVGA_NUM_PALETTE_REGS;
        }
    }
    uint32_t n = snap_get32(&r);
    if (n > VGT_EXEC_MAX_SCREENS) {
        r.bad = true;
    }
    for (uint32_t k = 0; k < n && !r.bad; k++) {
        uint32_t id = snap_get32(&r);
        uint32_t legacy = snap_get32(&r), flags = snap_get32(&r);
        int32_t x = (int32_t)snap_get32(&r), y = (int32_t)snap_get32(&r);
        uint32_t w = snap_get32(&r), h = snap_get32(&r);
        uint32_t has_store = 0, sgmr = 0, soff = 0, spitch = 0;
        if (version >= 3) {
            has_store = snap_get32(&r);
            sgmr = snap_get32(&r);
            soff = snap_get32(&r);
            spitch = snap_get32(&r);
        }
        if (r.bad) {
            break;
        }
        if (id >= VGT_EXEC_MAX_SCREENS || ex->screens[id].defined || w == 0 || h == 0 ||
            w > VGT_EXEC_MAX_SCREEN_DIM || h > VGT_EXEC_MAX_SCREEN_DIM) {
            why = "bad screen (id, size or duplicate)";
            r.bad = true;
            break;
        }
        /* a store as DEFINE_SCREEN would have taken it (check_store) */
        if (has_store > 1 ||
            (has_store && (ex->cfg.no_screen_object_2 || sgmr != VGT_SVGA_GMR_FRAMEBUFFER ||
                           soff % 4u || spitch % 4u || spitch < (uint64_t)w * 4u ||
                           (uint64_t)soff + (uint64_t)spitch * (h - 1u) + (uint64_t)w * 4u >
                               ex->cfg.vram_size))) {
            why = "bad screen backing store";
            r.bad = true;
            break;
        }
        uint32_t *pix = get_pixels(&r, (size_t)w * h);
        if (!pix) {
            break;
        }
        exec_screen *s = &ex->screens[id];
        s->defined = true;
        s->legacy = legacy != 0;
        s->flags = flags;
        s->x = x;
        s->y = y;
        s->w = w;
        s->h = h;
        s->pix = pix;
        s->has_store = has_store != 0;
        s->store_gmr = sgmr;
        s->store_offset = soff;
        s->store_pitch = spitch;
    }
    ex->gmrfb.defined = snap_get32(&r) != 0;
    ex->gmrfb.ptr.gmr_id = snap_get32(&r);
    ex->gmrfb.ptr.offset = snap_get32(&r);
    ex->gmrfb.bytes_per_line = snap_get32(&r);
    ex->gmrfb.format = snap_get32(&r);
    /* a format DEFINE_GMRFB would have taken (vgt_exec_gmrfb_layout) */
    if (!r.bad && ex->gmrfb.defined &&
        vgt_exec_gmrfb_layout(ex->gmrfb.format, &ex->gmrfb.layout, NULL) != VGT_OK) {
        why = "bad GMRFB format";
        r.bad = true;
    }
    ex->annotation.fill_pending = snap_get32(&r) != 0;
    ex->annotation.copy_pending = snap_get32(&r) != 0;
    ex->annotation.color = snap_get32(&r);
    exec_cursor *c = &ex->cursor;
    bool defined = snap_get32(&r) != 0;
    c->alpha = snap_get32(&r) != 0;
    c->hot_x = snap_get32(&r);
    c->hot_y = snap_get32(&r);
    c->w = snap_get32(&r);
    c->h = snap_get32(&r);
    c->visible = snap_get32(&r) != 0;
    c->x = (int32_t)snap_get32(&r);
    c->y = (int32_t)snap_get32(&r);
    c->screen_id = snap_get32(&r);
    if (!r.bad && (c->w > VGT_EXEC_MAX_CURSOR_DIM || c->h > VGT_EXEC_MAX_CURSOR_DIM)) {
        why = "cursor larger than the executor allows";
        r.bad = true;
    }
    if (!r.bad && defined) {
        c->and_px = get_pixels(&r, (size_t)c->w * c->h);
        if (!c->alpha && !r.bad) {
            c->xor_px = get_pixels(&r, (size_t)c->w * c->h);
        }
        c->defined = !r.bad;
    }
    if (version >= 4) {
        c->indexed = snap_get32(&r) != 0;
        uint32_t present = snap_get32(&r);
        if (!r.bad && (present > 1 || (present != 0) != (m.enabled && m.bits_per_pixel == 8) ||
                       (c->indexed && (!c->defined || c->alpha)))) {
            why = "index shadow or cursor outside the 8-bit mode";
            r.bad = true;
        }
        for (size_t i = 0; !r.bad && c->indexed && i < (size_t)c->w * c->h; i++) {
            if (c->and_px[i] > 0xFFu || c->xor_px[i] > 0xFFu) {
                why = "8-bit cursor value above 0xFF";
                r.bad = true;
            }
        }
        if (!r.bad && present) {
            why = load_shadow(ex, &r);
        }
    } else if (!r.bad && m.enabled && m.bits_per_pixel == 8) {
        /* before version 4: the 8-bit mode with no index known */
        uint32_t w = ex->screens[0].defined ? ex->screens[0].w : m.width;
        uint32_t h = ex->screens[0].defined ? ex->screens[0].h : m.height;
        if (vgt_exec_shadow_alloc(w, h, &ex->shadow.idx, &ex->shadow.known, NULL) != VGT_OK) {
            why = "out of memory for the index shadow";
            r.bad = true;
        }
        ex->shadow.w = w;
        ex->shadow.h = h;
    }
    if (version >= 5) {
        c->and_bits = snap_get32(&r);
        if (!r.bad && c->and_bits != 0 &&
            ((c->and_bits != 16 && c->and_bits != 24) || !c->defined || c->alpha || c->indexed)) {
            why = "bad cursor AND depth";
            r.bad = true;
        }
        uint32_t ones = c->and_bits == 24 ? 0xFFFFFFu : 0xFFFFu; /* 16 when checked */
        for (size_t i = 0; !r.bad && c->and_bits && i < (size_t)c->w * c->h; i++) {
            if (c->and_px[i] > ones) {
                why = "cursor AND value above its depth";
                r.bad = true;
            }
        }
    }
    if (!r.bad && r.pos != r.len) {
        why = "trailing bytes";
        r.bad = true;
    }
    if (r.bad) {
        vgt_executor_reset(ex);
        return vgt_error_set(err, VGT_E_FORMAT, "state snapshot (%zu bytes): %s at byte %zu", size,
                             why, r.pos);
    }
    return VGT_OK;
}
