/* executor.c - executes decoded 2D SVGA commands against the host display
 * model: the legacy framebuffer (GFB) shown as screen 0, screen objects,
 * the GMRFB, and the cursor.  Guest memory only through vgt_guest_memory. */
#include "vgt_replay.h"
#include "executor_internal.h"
#include "exec3d.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

static vgt_status mem_read(vgt_executor *ex, uint32_t gmr, uint64_t offset, void *dst, uint64_t len,
                           vgt_error *err)
{
    if (offset > UINT32_MAX || len > UINT32_MAX) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "read of %llu bytes at GMR 0x%x offset %llu: beyond 4 GiB",
                             (unsigned long long)len, gmr, (unsigned long long)offset);
    }
    vgt_status st =
        ex->cfg.mem.read(ex->cfg.mem.ctx, gmr, (uint32_t)offset, dst, (uint32_t)len, err);
    if (st == VGT_OK && ex->res) {
        ex->res->bytes_read += len;
    }
    return st;
}

/* `rows` rows of row_bytes, pitch bytes apart from offset, into dst rows
 * dst_pitch apart: in one call where the memory takes rows (the replayer
 * checks a recorded rectangle once instead of once a row), else a read a
 * row.  A failure names the command (`what`) and, read by row, the row
 * (first_row + its index). */
static vgt_status mem_read_rows(vgt_executor *ex, uint32_t gmr, uint64_t offset, uint64_t pitch,
                                uint64_t row_bytes, uint32_t rows, uint8_t *dst, size_t dst_pitch,
                                const char *what, uint64_t first_row, vgt_error *err)
{
    if (rows == 0 || row_bytes == 0) {
        return VGT_OK;
    }
    /* offset < 2^63 (a u32 plus a row below 2^31 times a pitch below 2^32),
     * (rows - 1) * pitch < 2^45 (rows <= 8192, inside a screen): no wrap */
    uint64_t last = offset + (uint64_t)(rows - 1u) * pitch;
    if (ex->cfg.mem.read_rows && pitch <= UINT32_MAX && row_bytes <= UINT32_MAX &&
        last <= UINT32_MAX && last + row_bytes <= (uint64_t)UINT32_MAX + 1u) {
        vgt_status st =
            ex->cfg.mem.read_rows(ex->cfg.mem.ctx, gmr, (uint32_t)offset, (uint32_t)pitch,
                                  (uint32_t)row_bytes, rows, dst, dst_pitch, err);
        if (st != VGT_OK) {
            vgt_error_prefix(err, "%s rows %llu-%llu", what, (unsigned long long)first_row,
                             (unsigned long long)(first_row + rows - 1u));
            return st;
        }
        if (ex->res) {
            ex->res->bytes_read += row_bytes * rows;
        }
        return VGT_OK;
    }
    for (uint32_t r = 0; r < rows; r++) {
        vgt_status st =
            mem_read(ex, gmr, offset + (uint64_t)r * pitch, dst + r * dst_pitch, row_bytes, err);
        if (st != VGT_OK) {
            vgt_error_prefix(err, "%s row %llu", what, (unsigned long long)(first_row + r));
            return st;
        }
    }
    return VGT_OK;
}

vgt_status vgt_exec_mem_read_rows(vgt_executor *ex, uint32_t gmr, uint64_t offset, uint64_t pitch,
                                  uint64_t row_bytes, uint32_t rows, uint8_t *dst, size_t dst_pitch,
                                  const char *what, uint64_t first_row, vgt_error *err)
{
    return mem_read_rows(ex, gmr, offset, pitch, row_bytes, rows, dst, dst_pitch, what, first_row,
                         err);
}

static vgt_status mem_write(vgt_executor *ex, uint32_t gmr, uint64_t offset, const void *src,
                            uint64_t len, vgt_error *err)
{
    if (offset > UINT32_MAX || len > UINT32_MAX) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "write of %llu bytes at GMR 0x%x offset %llu: beyond 4 GiB",
                             (unsigned long long)len, gmr, (unsigned long long)offset);
    }
    vgt_status st =
        ex->cfg.mem.write(ex->cfg.mem.ctx, gmr, (uint32_t)offset, src, (uint32_t)len, err);
    if (st == VGT_OK && ex->res) {
        ex->res->bytes_written += len;
    }
    return st;
}

static vgt_status scratch_reserve(vgt_executor *ex, uint64_t bytes, vgt_error *err)
{
    if (bytes <= ex->scratch_cap) {
        return VGT_OK;
    }
    if (bytes > (256u << 20)) {
        return vgt_error_set(err, VGT_E_NOMEM, "transfer of %llu bytes exceeds the 256 MiB limit",
                             (unsigned long long)bytes);
    }
    uint8_t *p = realloc(ex->scratch, (size_t)bytes);
    if (!p) {
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory for a %llu-byte transfer",
                             (unsigned long long)bytes);
    }
    ex->scratch = p;
    ex->scratch_cap = (size_t)bytes;
    return VGT_OK;
}

static bool screen_active(const exec_screen *s)
{
    return s->defined && !(s->flags & VGT_SVGA_SCREEN_DEACTIVATE);
}

/* Screen s's pixel at virtual (vx, vy), a point the caller knows is on it. */
static uint32_t *screen_px(const exec_screen *s, int64_t vx, int64_t vy)
{
    return s->pix + (uint64_t)(vy - s->y) * s->w + (uint64_t)(vx - s->x);
}

/* What is shown changed in the box (virtual coordinates, right/bottom
 * exclusive): compose redoes it (all of the display past EXEC_DAMAGE_MAX
 * boxes). */
static void damage_box(vgt_executor *ex, int64_t l, int64_t t, int64_t r, int64_t b)
{
    if (ex->damage_all || l >= r || t >= b) {
        return;
    }
    if (ex->damage_n == EXEC_DAMAGE_MAX) {
        ex->damage_all = true;
        return;
    }
    ex->damage[ex->damage_n++] = (exec_box){l, t, r, b};
}

void vgt_exec_damage_box(vgt_executor *ex, int64_t l, int64_t t, int64_t r, int64_t b)
{
    damage_box(ex, l, t, r, b);
}

/* Copies n pixels from bytes to words; nonzero when any of them changed.
 * memcmp then memcpy (both libc's vector code): a 3D present of the same
 * image costs one compare instead of a copy, and leaves the display
 * generation alone; a changed row usually differs early. */
static uint32_t copy_row_diff(uint32_t *dst, const uint8_t *src, uint32_t n)
{
    if (memcmp(dst, src, (size_t)n * 4u) == 0) {
        return 0;
    }
    memcpy(dst, src, (size_t)n * 4u);
    return 1;
}

/* The part of the virtual box [l, r) x [t, b) on screen s, in c; false
 * when they do not meet. */
static bool screen_clip(const exec_screen *s, int64_t l, int64_t t, int64_t r, int64_t b,
                        exec_box *c)
{
    c->l = l > s->x ? l : s->x;
    c->t = t > s->y ? t : s->y;
    c->r = r < (int64_t)s->x + s->w ? r : (int64_t)s->x + s->w;
    c->b = b < (int64_t)s->y + s->h ? b : (int64_t)s->y + s->h;
    return c->l < c->r && c->t < c->b;
}

/* Where virtual (vx, vy), a point on screen s, is in s's backing store. */
static uint64_t store_offset(const exec_screen *s, int64_t vx, int64_t vy)
{
    return (uint64_t)s->store_offset + (uint64_t)(vy - s->y) * s->store_pitch +
           (uint64_t)(vx - s->x) * 4u;
}

/* Writes the rows of the virtual box c (right/bottom exclusive, on screen
 * s) from src, rows `pitch` bytes apart, into s's backing store: a blit or
 * 3D output drawn on a SCREEN_OBJECT_2 screen lands in guest memory. */
static vgt_status store_write(vgt_executor *ex, const exec_screen *s, const exec_box *c,
                              const uint8_t *src, uint64_t pitch, const char *what, vgt_error *err)
{
    uint64_t row_bytes = (uint64_t)(c->r - c->l) * 4u;
    for (int64_t y = c->t; y < c->b; y++) {
        vgt_status st = mem_write(ex, s->store_gmr, store_offset(s, c->l, y),
                                  src + (uint64_t)(y - c->t) * pitch, row_bytes, err);
        if (st != VGT_OK) {
            vgt_error_prefix(err, "%s: backing store row %lld", what, (long long)(y - s->y));
            return st;
        }
    }
    return VGT_OK;
}

/* ---- the 8-bit mode's index shadow of screen 0 ------------------------- */

size_t vgt_exec_shadow_known_pitch(uint32_t w)
{
    return ((size_t)w + 7u) / 8u;
}

vgt_status vgt_exec_shadow_alloc(uint32_t w, uint32_t h, uint8_t **idx, uint8_t **known,
                                 vgt_error *err)
{
    *idx = NULL;
    *known = NULL;
    /* screen sizes are at most VGT_EXEC_MAX_SCREEN_DIM each: w * h fits */
    if (w == 0 || h == 0 || w > VGT_EXEC_MAX_SCREEN_DIM || h > VGT_EXEC_MAX_SCREEN_DIM) {
        return vgt_error_set(err, VGT_E_RANGE, "index shadow of %ux%u pixels (1..%u each)", w, h,
                             VGT_EXEC_MAX_SCREEN_DIM);
    }
    *idx = calloc((size_t)w * h, 1u);
    *known = calloc(vgt_exec_shadow_known_pitch(w) * h, 1u);
    if (!*idx || !*known) {
        free(*idx);
        free(*known);
        *idx = NULL;
        *known = NULL;
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory for a %ux%u index shadow", w, h);
    }
    return VGT_OK;
}

void vgt_exec_shadow_free(vgt_executor *ex)
{
    free(ex->shadow.idx);
    free(ex->shadow.known);
    memset(&ex->shadow, 0, sizeof(ex->shadow));
}

/* The shadow is kept (written by show_converted) while the mode is
 * enabled at 8 bits. */
static bool shadow_wanted(const vgt_display_mode *m)
{
    return m->enabled && m->bits_per_pixel == 8;
}

static bool known_bit(const uint8_t *known, size_t pitch, uint32_t x, uint32_t y)
{
    return (known[(size_t)y * pitch + x / 8u] >> (x % 8u)) & 1u;
}

static void known_set(uint8_t *known, size_t pitch, uint32_t x, uint32_t y, bool on)
{
    uint8_t *b = &known[(size_t)y * pitch + x / 8u];
    uint8_t bit = (uint8_t)(1u << (x % 8u));
    *b = on ? (uint8_t)(*b | bit) : (uint8_t)(*b & ~bit);
}

/* Screen 0 when its pixels have a shadow to keep (defined with it, of its
 * size); NULL otherwise. */
static exec_screen *shadow_screen(vgt_executor *ex)
{
    exec_screen *s = &ex->screens[0];
    if (!ex->shadow.idx || !s->defined || s->w != ex->shadow.w || s->h != ex->shadow.h) {
        return NULL;
    }
    return s;
}

/* Screen 0's pixels in the virtual box [l, r) x [t, b) were written with
 * host colours (or indices, set_index): with `src` NULL they show no index
 * any more; else they show the indices src holds (the w-byte rows of the
 * box's top-left at virtual (vx, vy), `pitch` bytes apart). */
static void shadow_write(vgt_executor *ex, int64_t vx, int64_t vy, uint32_t w, uint32_t h,
                         const uint8_t *src, size_t pitch)
{
    exec_screen *s = shadow_screen(ex);
    exec_box c;
    if (!s || !screen_clip(s, vx, vy, vx + w, vy + h, &c)) {
        return;
    }
    if (src && (!screen_active(s) || s->has_store)) {
        return; /* the framebuffer is not shown there (show_converted skips it) */
    }
    size_t kp = vgt_exec_shadow_known_pitch(s->w);
    for (int64_t y = c.t; y < c.b; y++) {
        uint32_t sy = (uint32_t)(y - s->y);
        uint32_t x0 = (uint32_t)(c.l - s->x), n = (uint32_t)(c.r - c.l);
        if (src) {
            memcpy(ex->shadow.idx + (size_t)sy * s->w + x0,
                   src + (size_t)(y - vy) * pitch + (size_t)(c.l - vx), n);
        }
        for (uint32_t x = x0; x < x0 + n; x++) {
            known_set(ex->shadow.known, kp, x, sy, src != NULL);
        }
    }
}

/* Copies a w x h block of pixels (rows `pitch` bytes apart in src) whose
 * top-left is at virtual (vx, vy) into every active screen it intersects.
 * `stores`: screens with a backing store take the block too, and their
 * stores are written (3D output); without it they are left alone (the
 * legacy framebuffer's pixels: UPDATE and RECT_COPY show those only on
 * screens without a store). */
static vgt_status put_virtual(vgt_executor *ex, int64_t vx, int64_t vy, uint32_t w, uint32_t h,
                              const uint8_t *src, uint64_t pitch, bool stores, vgt_error *err)
{
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        exec_screen *s = &ex->screens[i];
        if (!screen_active(s) || (s->has_store && !stores)) {
            continue;
        }
        exec_box c;
        if (!screen_clip(s, vx, vy, vx + w, vy + h, &c)) {
            continue;
        }
        int64_t l = c.l, t = c.t, r = c.r, b = c.b;
        /* Comparing pays only while a composed image is up to date (someone
         * composes frames: a frame tap, capture, --verify); otherwise copy. */
        bool compare = ex->composed.pixels && ex->composed_gen == ex->display_gen;
        uint32_t changed = compare ? 0 : 1;
        for (int64_t yy = t; yy < b; yy++) {
            const uint8_t *row = src + (uint64_t)(yy - vy) * pitch + (uint64_t)(l - vx) * 4u;
            uint32_t *dst = screen_px(s, l, yy);
            if (compare) {
                changed |= copy_row_diff(dst, row, (uint32_t)(r - l));
            } else {
                memcpy(dst, row, (size_t)(r - l) * 4u);
            }
        }
        if (changed) {
            ex->display_gen++;
            damage_box(ex, l, t, r, b);
        }
        if (i == 0) {
            shadow_write(ex, l, t, (uint32_t)(r - l), (uint32_t)(b - t), NULL, 0);
        }
        if (s->has_store) {
            const uint8_t *first = src + (uint64_t)(t - vy) * pitch + (uint64_t)(l - vx) * 4u;
            vgt_status st = store_write(ex, s, &c, first, pitch, "display", err);
            if (st != VGT_OK) {
                return st;
            }
        }
    }
    return VGT_OK;
}

static void screen_free(exec_screen *s)
{
    free(s->pix);
    memset(s, 0, sizeof(*s));
}

/* A screen's backing store (SCREEN_OBJECT_2), checked. */
typedef struct exec_store {
    uint32_t gmr, offset, pitch;
} exec_store;

/* Screen 0 (s) is (re)defined w x h: the shadow follows its pixels, the
 * indices kept where old and new overlap as the pixels are; none known
 * where the screen was not defined, had or gets a backing store (its
 * pixels are then host colours). */
static vgt_status shadow_redefine(vgt_executor *ex, const exec_screen *s, uint32_t w, uint32_t h,
                                  bool store, vgt_error *err)
{
    uint8_t *idx, *known;
    vgt_status st = vgt_exec_shadow_alloc(w, h, &idx, &known, err);
    if (st != VGT_OK) {
        return st;
    }
    if (ex->shadow.idx && s->defined && !s->has_store && !store) {
        uint32_t cw = ex->shadow.w < w ? ex->shadow.w : w;
        uint32_t ch = ex->shadow.h < h ? ex->shadow.h : h;
        size_t op = vgt_exec_shadow_known_pitch(ex->shadow.w), np = vgt_exec_shadow_known_pitch(w);
        for (uint32_t y = 0; y < ch; y++) {
            memcpy(idx + (size_t)y * w, ex->shadow.idx + (size_t)y * ex->shadow.w, cw);
            for (uint32_t x = 0; x < cw; x++) {
                known_set(known, np, x, y, known_bit(ex->shadow.known, op, x, y));
            }
        }
    }
    vgt_exec_shadow_free(ex);
    ex->shadow.idx = idx;
    ex->shadow.known = known;
    ex->shadow.w = w;
    ex->shadow.h = h;
    return VGT_OK;
}

/* (Re)defines screen `id`; contents preserved where old and new overlap
 * (a screen with a backing store then reads its store: store_load).
 * `shadow`: the mode screen 0 is defined in is 8-bit, so its index shadow
 * follows it (the caller says, as a mode change defines screen 0 before
 * ex->mode holds the new mode). */
static vgt_status screen_define(vgt_executor *ex, uint32_t id, uint32_t flags, int32_t x, int32_t y,
                                uint32_t w, uint32_t h, bool legacy, const exec_store *store,
                                bool shadow, vgt_error *err)
{
    exec_screen *s = &ex->screens[id];
    uint32_t *pix = calloc((size_t)w * h, 4u);
    if (!pix) {
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory for a %ux%u screen", w, h);
    }
    if (id == 0 && shadow) {
        vgt_status st = shadow_redefine(ex, s, w, h, store != NULL, err);
        if (st != VGT_OK) {
            free(pix);
            return st;
        }
    }
    if (s->defined && s->pix) {
        uint32_t cw = s->w < w ? s->w : w;
        uint32_t ch = s->h < h ? s->h : h;
        for (uint32_t r = 0; r < ch; r++) {
            memcpy(pix + (size_t)r * w, s->pix + (size_t)r * s->w, (size_t)cw * 4u);
        }
    }
    free(s->pix);
    ex->damage_all = true; /* a screen appears, moves or changes size */
    s->defined = true;
    s->legacy = legacy;
    s->flags = flags;
    s->x = x;
    s->y = y;
    s->w = w;
    s->h = h;
    s->pix = pix;
    s->has_store = store != NULL;
    s->store_gmr = store ? store->gmr : 0;
    s->store_offset = store ? store->offset : 0;
    s->store_pitch = store ? store->pitch : 0;
    return VGT_OK;
}

/* Shows the virtual box [l, r) x [t, b) of every active screen with a
 * backing store from its store (read through the guest memory interface,
 * one ROWS extent a screen, straight into the screen's pixels). */
static vgt_status store_load(vgt_executor *ex, const char *what, int64_t l, int64_t t, int64_t r,
                             int64_t b, vgt_error *err)
{
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        exec_screen *s = &ex->screens[i];
        exec_box c;
        if (!screen_active(s) || !s->has_store || !screen_clip(s, l, t, r, b, &c)) {
            continue;
        }
        damage_box(ex, c.l, c.t, c.r, c.b); /* rows may move even on failure */
        vgt_status st = mem_read_rows(ex, s->store_gmr, store_offset(s, c.l, c.t), s->store_pitch,
                                      (uint64_t)(c.r - c.l) * 4u, (uint32_t)(c.b - c.t),
                                      (uint8_t *)screen_px(s, c.l, c.t), (size_t)s->w * 4u, what,
                                      (uint64_t)(c.t - s->y), err);
        if (st != VGT_OK) {
            return st;
        }
    }
    return VGT_OK;
}

static vgt_status check_gfb_rect(const vgt_executor *ex, const char *what, uint32_t x, uint32_t y,
                                 uint32_t w, uint32_t h, vgt_error *err)
{
    if (!ex->mode.enabled) {
        return vgt_error_set(err, VGT_E_STATE, "%s while the legacy framebuffer is disabled", what);
    }
    if (!vgt_range_inside(x, w, ex->mode.width) || !vgt_range_inside(y, h, ex->mode.height)) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "%s rectangle (%u,%u %ux%u) outside the %ux%u framebuffer", what, x, y,
                             w, h, ex->mode.width, ex->mode.height);
    }
    return VGT_OK;
}

/* The legacy framebuffer's bytes per pixel: 4, 3, 2 or 1 (vgt_display_bytes_per_pixel). */
static uint32_t gfb_bpp(const vgt_executor *ex)
{
    return vgt_display_bytes_per_pixel(ex->mode.bits_per_pixel);
}

static uint64_t gfb_offset(const vgt_executor *ex, uint32_t x, uint32_t y)
{
    return (uint64_t)ex->mode.fb_offset + (uint64_t)y * ex->mode.bytes_per_line +
           (uint64_t)x * gfb_bpp(ex);
}

/* ---- commands ----------------------------------------------------------- */

/* The one active screen without a backing store that holds the virtual
 * rectangle whole when no other such screen overlaps it; NULL otherwise.
 * Legacy framebuffer rows meant for it can then be read straight into its
 * pixels (an active screen's are never the guest memory they are read
 * from; screens with a store do not show the framebuffer). */
static exec_screen *screen_holding(vgt_executor *ex, uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
    exec_screen *only = NULL;
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        exec_screen *s = &ex->screens[i];
        if (!screen_active(s) || s->has_store || (int64_t)x + w <= s->x ||
            (int64_t)s->x + s->w <= x || (int64_t)y + h <= s->y || (int64_t)s->y + s->h <= y) {
            continue; /* inactive, or does not intersect */
        }
        bool inside = s->x <= (int64_t)x && s->y <= (int64_t)y &&
                      (int64_t)x + w <= (int64_t)s->x + s->w &&
                      (int64_t)y + h <= (int64_t)s->y + s->h;
        if (only || !inside) {
            return NULL;
        }
        only = s;
    }
    return only;
}

/* Host pixels per band when legacy pixels are converted for put_virtual
 * (bounded so that a large rectangle needs no large buffer). */
#define EXPAND_BAND_PIXELS (1u << 18)

/* A 5- or 6-bit channel widened to 8 bits by bit replication: 0 stays 0,
 * the maximum becomes 0xFF, and every step is as even as 8 bits allow
 * (pixman's 0565 -> 8888 rule, which X servers and SPICE clients use). */
static inline uint32_t expand5(uint32_t c)
{
    return (c << 3) | (c >> 2);
}

static inline uint32_t expand6(uint32_t c)
{
    return (c << 2) | (c >> 4);
}

/* One row of w guest pixels in layout `bits` (8, 15, 16, 24 or 32: a legacy
 * mode's or a GMRFB format's, vgt_exec_gmrfb_layout) as host pixels
 * 0x00RRGGBB: 8 bits through `palette`; 15 bits x-R5-G5-B5 and 16 bits
 * R5-G6-B5 (little-endian words, the masks the device reports) expanded by
 * bit replication; 24 bits B, G, R bytes; 32 bits copied as they are.  The
 * one conversion the legacy framebuffer and the GMRFB blits share. */
static void px_row_to_host(uint32_t bits, const uint32_t *palette, const uint8_t *src,
                           uint32_t *dst, uint32_t w)
{
    switch (bits) {
    case 8:
        for (uint32_t i = 0; i < w; i++) {
            dst[i] = palette[src[i]];
        }
        break;
    case 15:
        for (uint32_t i = 0; i < w; i++) {
            uint32_t v = (uint32_t)src[2u * i] | (uint32_t)src[2u * i + 1u] << 8;
            dst[i] = expand5((v >> 10) & 0x1Fu) << 16 | expand5((v >> 5) & 0x1Fu) << 8 |
                     expand5(v & 0x1Fu);
        }
        break;
    case 16:
        for (uint32_t i = 0; i < w; i++) {
            uint32_t v = (uint32_t)src[2u * i] | (uint32_t)src[2u * i + 1u] << 8;
            dst[i] = expand5(v >> 11) << 16 | expand6((v >> 5) & 0x3Fu) << 8 | expand5(v & 0x1Fu);
        }
        break;
    case 24:
        for (uint32_t i = 0; i < w; i++) {
            const uint8_t *p = src + 3u * i;
            dst[i] = (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
        }
        break;
    default: /* 32: the host's own layout */
        memcpy(dst, src, (size_t)w * 4u);
        break;
    }
}

/* The inverse for the GMRFB formats and the legacy modes but 8 (bits 15,
 * 16, 24 or 32): host pixels to guest bytes, for BLIT_SCREEN_TO_GMRFB and
 * PRESENT_READBACK (exec3d.h).  A channel is narrowed by dropping its low
 * bits, so that a 15- or 16-bit value expanded by px_row_to_host comes back
 * unchanged ((c << 3 | c >> 2) >> 3 == c) and any 8-bit channel lands on
 * the 5- or 6-bit value whose expansion does not exceed it. */
void vgt_exec_px_row_from_host(uint32_t bits, const uint32_t *src, uint8_t *dst, uint32_t w)
{
    if (bits == 32) {
        memcpy(dst, src, (size_t)w * 4u);
        return;
    }
    for (uint32_t i = 0; i < w; i++) {
        uint32_t r = (src[i] >> 16) & 0xFFu, g = (src[i] >> 8) & 0xFFu, b = src[i] & 0xFFu;
        if (bits == 24) {
            dst[3u * i] = (uint8_t)b;
            dst[3u * i + 1u] = (uint8_t)g;
            dst[3u * i + 2u] = (uint8_t)r;
            continue;
        }
        uint32_t v = bits == 16 ? (r >> 3) << 11 | (g >> 2) << 5 | b >> 3
                                : (r >> 3) << 10 | (g >> 3) << 5 | b >> 3;
        dst[2u * i] = (uint8_t)v;
        dst[2u * i + 1u] = (uint8_t)(v >> 8);
    }
}

/* One row of legacy framebuffer pixels (mode 8, 15, 16 or 24 bits) as host
 * pixels, through the palette as it is now at 8 bits. */
static void gfb_row_to_host(const vgt_executor *ex, const uint8_t *src, uint32_t *dst, uint32_t w)
{
    px_row_to_host(ex->mode.bits_per_pixel, ex->palette, src, dst, w);
}

/* At 8 bits, screen 0's pixels in the block show_converted just showed
 * hold the block's indices (the shadow an 8-bit cursor reads). */
static void show_indices(vgt_executor *ex, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                         const uint8_t *src, size_t pitch)
{
    if (ex->mode.bits_per_pixel == 8) {
        shadow_write(ex, x, y, w, h, src, pitch);
    }
}

/* Shows a w x h block of legacy framebuffer pixels in a mode other than 32
 * bits (rows `pitch` bytes apart) at framebuffer (x, y), a rectangle the
 * caller checked: each pixel becomes its host colour (gfb_row_to_host),
 * straight in the one screen holding the rectangle as UPDATE's rows do,
 * else a band of rows at a time onto every screen. */
static vgt_status show_converted(vgt_executor *ex, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                                 const uint8_t *src, size_t pitch, vgt_error *err)
{
    exec_screen *only = screen_holding(ex, x, y, w, h);
    if (only) {
        damage_box(ex, x, y, (int64_t)x + w, (int64_t)y + h);
        for (uint32_t r = 0; r < h; r++) {
            gfb_row_to_host(ex, src + (size_t)r * pitch, screen_px(only, x, (int64_t)y + r), w);
        }
        show_indices(ex, x, y, w, h, src, pitch);
        return VGT_OK;
    }
    uint32_t band = EXPAND_BAND_PIXELS / w; /* w <= 8192: band >= 32 */
    if (band > h) {
        band = h;
    }
    size_t need = (size_t)w * band;
    if (need > ex->expand_cap) {
        uint32_t *p = realloc(ex->expand, need * 4u);
        if (!p) {
            return vgt_error_set(err, VGT_E_NOMEM, "out of memory for %zu expanded pixels", need);
        }
        ex->expand = p;
        ex->expand_cap = need;
    }
    for (uint32_t y0 = 0; y0 < h; y0 += band) {
        uint32_t n = h - y0 < band ? h - y0 : band;
        for (uint32_t r = 0; r < n; r++) {
            gfb_row_to_host(ex, src + (size_t)(y0 + r) * pitch, ex->expand + (size_t)r * w, w);
        }
        (void)put_virtual(ex, x, (int64_t)y + y0, w, n, (const uint8_t *)ex->expand,
                          (uint64_t)w * 4u, false, err); /* no store: cannot fail */
    }
    show_indices(ex, x, y, w, h, src, pitch);
    return VGT_OK;
}

/* UPDATE's legacy framebuffer part: the GFB rectangle shown on the screens
 * without a backing store. */
static vgt_status update_gfb(vgt_executor *ex, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                             vgt_error *err)
{
    vgt_status st = check_gfb_rect(ex, "UPDATE", x, y, w, h, err);
    if (st != VGT_OK || w == 0 || h == 0) {
        return st;
    }
    if (gfb_bpp(ex) != 4) {
        /* 8, 15, 16, 24 bits: the guest's pixels are read whole (as one
         * ROWS extent, as the 32-bit rows are), then converted to host
         * pixels (through the palette as it is now at 8 bits). */
        uint64_t rb = (uint64_t)w * gfb_bpp(ex); /* w <= 8192: no overflow */
        if ((st = scratch_reserve(ex, rb * h, err)) != VGT_OK) {
            return st;
        }
        st = mem_read_rows(ex, VGT_SVGA_GMR_FRAMEBUFFER, gfb_offset(ex, x, y),
                           ex->mode.bytes_per_line, rb, h, ex->scratch, rb, "UPDATE", y, err);
        return st == VGT_OK ? show_converted(ex, x, y, w, h, ex->scratch, rb, err) : st;
    }
    uint64_t row_bytes = (uint64_t)w * 4u;
    /* The common case, one active screen holding the whole rectangle and no
     * other screen overlapping it: read the rows straight into that screen
     * instead of into scratch and then copying (UPDATE moves most of a 2D
     * trace's bytes; the second copy was a visible part of replay).  The
     * rectangle is inside the framebuffer (checked above), so a read fails
     * only when a replay diverges from its trace: the command then fails
     * either way, with the rows before it already shown. */
    exec_screen *only = screen_holding(ex, x, y, w, h);
    if (only) {
        damage_box(ex, x, y, (int64_t)x + w, (int64_t)y + h); /* rows may move even on failure */
        uint32_t *dst = screen_px(only, x, y);
        return mem_read_rows(ex, VGT_SVGA_GMR_FRAMEBUFFER, gfb_offset(ex, x, y),
                             ex->mode.bytes_per_line, row_bytes, h, (uint8_t *)dst,
                             (size_t)only->w * 4u, "UPDATE", y, err);
    }
    if ((st = scratch_reserve(ex, row_bytes * h, err)) != VGT_OK) {
        return st;
    }
    st = mem_read_rows(ex, VGT_SVGA_GMR_FRAMEBUFFER, gfb_offset(ex, x, y), ex->mode.bytes_per_line,
                       row_bytes, h, ex->scratch, row_bytes, "UPDATE", y, err);
    if (st != VGT_OK) {
        return st;
    }
    return put_virtual(ex, x, y, w, h, ex->scratch, row_bytes, false, err);
}

/* True when an active screen with a backing store meets the virtual box. */
static bool store_screen_meets(const vgt_executor *ex, int64_t l, int64_t t, int64_t r, int64_t b)
{
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        const exec_screen *s = &ex->screens[i];
        exec_box c;
        if (screen_active(s) && s->has_store && screen_clip(s, l, t, r, b, &c)) {
            return true;
        }
    }
    return false;
}

/* UPDATE of the virtual rectangle: screens with a backing store show what
 * their store holds there now (the guest's CPU writes into a store are
 * shown by an UPDATE that covers them, as svga_reg.h has the GFB's), the
 * others the legacy framebuffer's rectangle.  Without a store screen in
 * the rectangle this is UPDATE as before SCREEN_OBJECT_2, errors included;
 * with one, a rectangle the legacy framebuffer does not hold (disabled, or
 * outside it) updates the store screens only. */
static vgt_status exec_update(vgt_executor *ex, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                              vgt_error *err)
{
    int64_t r = (int64_t)x + w, b = (int64_t)y + h;
    if (!store_screen_meets(ex, x, y, r, b)) {
        return update_gfb(ex, x, y, w, h, err);
    }
    vgt_error gfb_err;
    vgt_error_clear(&gfb_err);
    if (check_gfb_rect(ex, "UPDATE", x, y, w, h, &gfb_err) == VGT_OK) {
        vgt_status st = update_gfb(ex, x, y, w, h, err);
        if (st != VGT_OK) {
            return st;
        }
    }
    return store_load(ex, "UPDATE", x, y, r, b, err);
}

static vgt_status exec_rect_copy(vgt_executor *ex, const vgt_svga_cmd_rect_copy *c, vgt_error *err)
{
    vgt_status st =
        check_gfb_rect(ex, "RECT_COPY source", c->src_x, c->src_y, c->width, c->height, err);
    if (st == VGT_OK) {
        st = check_gfb_rect(ex, "RECT_COPY destination", c->dest_x, c->dest_y, c->width, c->height,
                            err);
    }
    if (st != VGT_OK || c->width == 0 || c->height == 0) {
        return st;
    }
    if (gfb_bpp(ex) != 4) {
        /* 8, 15, 16, 24 bits: the source's bytes, read whole (source and
         * destination may overlap), are written to the destination as they
         * are (a copy in the guest's format) and shown converted. */
        uint32_t w = c->width, h = c->height;
        uint64_t rb = (uint64_t)w * gfb_bpp(ex); /* w <= 8192: no overflow */
        if ((st = scratch_reserve(ex, rb * h, err)) != VGT_OK) {
            return st;
        }
        st = mem_read_rows(ex, VGT_SVGA_GMR_FRAMEBUFFER, gfb_offset(ex, c->src_x, c->src_y),
                           ex->mode.bytes_per_line, rb, h, ex->scratch, rb, "RECT_COPY source",
                           c->src_y, err);
        for (uint32_t r = 0; r < h && st == VGT_OK; r++) {
            st = mem_write(ex, VGT_SVGA_GMR_FRAMEBUFFER, gfb_offset(ex, c->dest_x, c->dest_y + r),
                           ex->scratch + (size_t)r * rb, rb, err);
            if (st != VGT_OK) {
                vgt_error_prefix(err, "RECT_COPY destination row %u", c->dest_y + r);
            }
        }
        return st == VGT_OK ? show_converted(ex, c->dest_x, c->dest_y, w, h, ex->scratch, rb, err)
                            : st;
    }
    uint64_t row_bytes = (uint64_t)c->width * 4u;
    /* As UPDATE: with one screen showing the whole destination, the source
     * rows go straight into it (and are written back to the framebuffer
     * from there), else through scratch onto every screen. */
    exec_screen *only = screen_holding(ex, c->dest_x, c->dest_y, c->width, c->height);
    uint8_t *rows = NULL;
    size_t pitch = row_bytes;
    if (only) {
        damage_box(ex, c->dest_x, c->dest_y, (int64_t)c->dest_x + c->width,
                   (int64_t)c->dest_y + c->height);
        rows = (uint8_t *)screen_px(only, c->dest_x, c->dest_y);
        pitch = (size_t)only->w * 4u;
    } else if ((st = scratch_reserve(ex, row_bytes * c->height, err)) != VGT_OK) {
        return st;
    } else {
        rows = ex->scratch; /* reserved: it may have moved */
    }
    /* Read the whole source first: source and destination may overlap. */
    st = mem_read_rows(ex, VGT_SVGA_GMR_FRAMEBUFFER, gfb_offset(ex, c->src_x, c->src_y),
                       ex->mode.bytes_per_line, row_bytes, c->height, rows, pitch,
                       "RECT_COPY source", c->src_y, err);
    if (st != VGT_OK) {
        return st;
    }
    for (uint32_t r = 0; r < c->height; r++) {
        st = mem_write(ex, VGT_SVGA_GMR_FRAMEBUFFER, gfb_offset(ex, c->dest_x, c->dest_y + r),
                       rows + (size_t)r * pitch, row_bytes, err);
        if (st != VGT_OK) {
            vgt_error_prefix(err, "RECT_COPY destination row %u", c->dest_y + r);
            return st;
        }
    }
    if (!only) {
        return put_virtual(ex, c->dest_x, c->dest_y, c->width, c->height, rows, pitch, false, err);
    }
    return VGT_OK;
}

static vgt_status cursor_alloc(exec_cursor *cur, uint32_t w, uint32_t h, bool two, vgt_error *err)
{
    uint32_t *a = calloc((size_t)w * h + 1, 4u);
    uint32_t *b = two ? calloc((size_t)w * h + 1, 4u) : NULL;
    if (!a || (two && !b)) {
        free(a);
        free(b);
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory for a %ux%u cursor", w, h);
    }
    free(cur->and_px);
    free(cur->xor_px);
    cur->and_px = a;
    cur->xor_px = b;
    return VGT_OK;
}

static vgt_status check_cursor_size(const char *what, uint32_t w, uint32_t h, uint32_t hx,
                                    uint32_t hy, vgt_error *err)
{
    if (w > VGT_EXEC_MAX_CURSOR_DIM || h > VGT_EXEC_MAX_CURSOR_DIM) {
        return vgt_error_set(err, VGT_E_RANGE, "%s: %ux%u cursor larger than %ux%u", what, w, h,
                             VGT_EXEC_MAX_CURSOR_DIM, VGT_EXEC_MAX_CURSOR_DIM);
    }
    if ((w && hx >= w) || (h && hy >= h)) {
        return vgt_error_set(err, VGT_E_RANGE, "%s: hotspot (%u,%u) outside the %ux%u cursor", what,
                             hx, hy, w, h);
    }
    return VGT_OK;
}

/* The bytes of row `row` of a mask of `depth` bits per pixel, rows of
 * depth x w bits padded to 32 (svga_reg.h; 24 bits packed, as in the
 * 24-bit mode's VRAM), the words holding the guest's bytes in order. */
static const uint8_t *mask_row(const uint32_t *mask, uint32_t depth, uint32_t w, uint32_t row)
{
    uint64_t pitch_words = ((uint64_t)depth * w + 31u) / 32u;
    return (const uint8_t *)(mask + (size_t)row * pitch_words);
}

/* Pixel (x, row) of a mask of `depth` bits per pixel (1, 8, 16, 24 or 32):
 * 1-bit masks are MSB first within each byte (all ones or zero as a host
 * pixel); deeper ones are the raw guest value (a 32-bit host pixel, an
 * 8-bit index or AND value, a little-endian 16-bit word, 24 bits B, G, R). */
static uint32_t mask_pixel(const uint32_t *mask, uint32_t depth, uint32_t w, uint32_t x,
                           uint32_t row)
{
    const uint8_t *r = mask_row(mask, depth, w, row);
    switch (depth) {
    case 32:
        return vgt_load_le32(r + 4u * (size_t)x);
    case 24:
        return (uint32_t)r[3u * x] | (uint32_t)r[3u * x + 1u] << 8 | (uint32_t)r[3u * x + 2u] << 16;
    case 16:
        return (uint32_t)r[2u * x] | (uint32_t)r[2u * x + 1u] << 8;
    case 8:
        return r[x];
    default:
        return (r[x / 8u] >> (7u - (x % 8u))) & 1u ? 0x00FFFFFFu : 0u;
    }
}

/* A guest-format AND value that keeps every bit of a pixel of `depth`
 * (8, 16 or 24). */
static uint32_t mask_all_ones(uint32_t depth)
{
    return (uint32_t)((1ull << depth) - 1u);
}

static vgt_status exec_define_cursor(vgt_executor *ex, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga_cmd_define_cursor *c = &cmd->u.define_cursor;
    vgt_status st =
        check_cursor_size("DEFINE_CURSOR", c->width, c->height, c->hotspot_x, c->hotspot_y, err);
    if (st != VGT_OK) {
        return st;
    }
    /* A mask is 1 bit deep or as deep as the framebuffer (8, 16 or 24 in a
     * legacy mode; 15 below); 32 is taken in every mode (host colours, as
     * before the legacy modes existed). */
    uint32_t bpp = ex->mode.bits_per_pixel;
    bool and_ok = c->and_mask_depth == 1 || c->and_mask_depth == 32 || c->and_mask_depth == bpp;
    bool xor_ok = c->xor_mask_depth == 1 || c->xor_mask_depth == 32 || c->xor_mask_depth == bpp;
    if (!and_ok || !xor_ok) {
        if (bpp == 32) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                 "DEFINE_CURSOR: mask depths %u/%u (supported: 1 or 32)",
                                 c->and_mask_depth, c->xor_mask_depth);
        }
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "DEFINE_CURSOR: mask depths %u/%u (supported: 1, 32 or the "
                             "framebuffer's %u)",
                             c->and_mask_depth, c->xor_mask_depth, bpp);
    }
    /* svga_reg.h's size rule makes a 15-bit mask's rows packed 15-bit
     * pixels (the decoder sizes them so, as the reference driver, QEMU and
     * VirtualBox do, and the FIFO stays in step), a layout neither VRAM nor
     * any image format has: refused, not guessed. */
    if (c->and_mask_depth == 15 || c->xor_mask_depth == 15) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "DEFINE_CURSOR: mask depths %u/%u: rows of packed 15-bit pixels "
                             "(svga_reg.h's size rule) are not read (in the 15-bit mode: masks of "
                             "1 or 32 bits)",
                             c->and_mask_depth, c->xor_mask_depth);
    }
    uint64_t and_words = ((uint64_t)c->and_mask_depth * c->width + 31u) / 32u * c->height;
    uint64_t xor_words = ((uint64_t)c->xor_mask_depth * c->width + 31u) / 32u * c->height;
    if (!cmd->and_mask || !cmd->xor_mask || cmd->and_mask_words != and_words ||
        cmd->xor_mask_words != xor_words) {
        if (c->width && c->height) {
            return vgt_error_set(err, VGT_E_FORMAT,
                                 "DEFINE_CURSOR: masks of %u/%u words, expected %llu/%llu",
                                 cmd->and_mask_words, cmd->xor_mask_words,
                                 (unsigned long long)and_words, (unsigned long long)xor_words);
        }
    }
    /* In the 8-bit mode a mask of depth 8 (with none of 32) makes an index
     * cursor: its AND values and XOR indices apply to the index each pixel
     * shows, at compose (draw_cursor), as the hardware's palette does; a
     * 1-bit mask is 0 or 0xFF there.  A 32-bit mask is host colours. */
    bool indexed = bpp == 8 && (c->and_mask_depth == 8 || c->xor_mask_depth == 8) &&
                   c->and_mask_depth != 32 && c->xor_mask_depth != 32;
    /* Otherwise an AND mask of the framebuffer's depth (not 32) holds
     * guest-format values.  At 16 and 24 bits any value is taken: one
     * other than 0 and all ones is applied at compose to the screen's pixel
     * narrowed into the mode's format (and_bits, draw_cursor), as VRAM
     * holding that format would have it.  At 8 bits (beside a 32-bit XOR
     * mask: a colour cursor) only 0x00 and 0xFF mean something, bits of an
     * index having no meaning for a colour: other values are refused,
     * checked before anything changes. */
    bool and_guest = !indexed && c->and_mask_depth != 1 && c->and_mask_depth != 32;
    uint32_t ones = and_guest ? mask_all_ones(c->and_mask_depth) : 0;
    bool partial = false;
    for (uint32_t y = 0; y < c->height && and_guest; y++) {
        for (uint32_t x = 0; x < c->width; x++) {
            uint32_t v = mask_pixel(cmd->and_mask, c->and_mask_depth, c->width, x, y);
            if (v == 0 || v == ones) {
                continue;
            }
            if (c->and_mask_depth == 8) {
                return vgt_error_set(err, VGT_E_UNSUPPORTED,
                                     "DEFINE_CURSOR: 8-bit AND mask value 0x%02x at (%u,%u) "
                                     "(only 0 and 0xff beside a 32-bit XOR mask: a colour "
                                     "cursor)",
                                     v, x, y);
            }
            partial = true;
        }
    }
    if ((st = cursor_alloc(&ex->cursor, c->width, c->height, true, err)) != VGT_OK) {
        return st;
    }
    bool xor_guest = c->xor_mask_depth != 1 && c->xor_mask_depth != 32;
    for (uint32_t y = 0; y < c->height && indexed; y++) {
        for (uint32_t x = 0; x < c->width; x++) {
            size_t i = (size_t)y * c->width + x;
            ex->cursor.and_px[i] =
                mask_pixel(cmd->and_mask, c->and_mask_depth, c->width, x, y) & 0xFFu;
            ex->cursor.xor_px[i] =
                mask_pixel(cmd->xor_mask, c->xor_mask_depth, c->width, x, y) & 0xFFu;
        }
    }
    for (uint32_t y = 0; y < c->height && !indexed; y++) {
        uint32_t *xor_row = ex->cursor.xor_px + (size_t)y * c->width;
        if (xor_guest) {
            /* the framebuffer's pixels: the host colours UPDATE would show
             * (8 bits: the palette as it is now, the image is defined now).
             * The expansion maps XOR to XOR bit by bit, so XORing these
             * colours in is XORing the guest values in before it. */
            gfb_row_to_host(ex, mask_row(cmd->xor_mask, c->xor_mask_depth, c->width, y), xor_row,
                            c->width);
        }
        for (uint32_t x = 0; x < c->width; x++) {
            uint32_t a = mask_pixel(cmd->and_mask, c->and_mask_depth, c->width, x, y);
            /* without a partial value, keep-all and keep-none as host
             * masks: the plain compose, and nothing more in a snapshot */
            if (and_guest && !partial) {
                a = a ? 0x00FFFFFFu : 0u;
            }
            ex->cursor.and_px[(size_t)y * c->width + x] = a;
            if (!xor_guest) {
                xor_row[x] = mask_pixel(cmd->xor_mask, c->xor_mask_depth, c->width, x, y);
            }
        }
    }
    ex->cursor.defined = true;
    ex->cursor.alpha = false;
    ex->cursor.indexed = indexed;
    ex->cursor.and_bits = partial ? c->and_mask_depth : 0;
    ex->cursor.w = c->width;
    ex->cursor.h = c->height;
    ex->cursor.hot_x = c->hotspot_x;
    ex->cursor.hot_y = c->hotspot_y;
    return VGT_OK;
}

static vgt_status exec_define_alpha_cursor(vgt_executor *ex, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga_cmd_define_alpha_cursor *c = &cmd->u.define_alpha_cursor;
    vgt_status st = check_cursor_size("DEFINE_ALPHA_CURSOR", c->width, c->height, c->hotspot_x,
                                      c->hotspot_y, err);
    if (st != VGT_OK) {
        return st;
    }
    uint64_t n = (uint64_t)c->width * c->height;
    if (cmd->data_words != n || (n && !cmd->data)) {
        return vgt_error_set(err, VGT_E_FORMAT,
                             "DEFINE_ALPHA_CURSOR: %u pixel words, expected %llu", cmd->data_words,
                             (unsigned long long)n);
    }
    if ((st = cursor_alloc(&ex->cursor, c->width, c->height, false, err)) != VGT_OK) {
        return st;
    }
    for (uint64_t i = 0; i < n; i++) {
        ex->cursor.and_px[i] = vgt_load_le32(&cmd->data[i]);
    }
    ex->cursor.defined = true;
    ex->cursor.alpha = true;
    ex->cursor.indexed = false;
    ex->cursor.and_bits = 0;
    ex->cursor.w = c->width;
    ex->cursor.h = c->height;
    ex->cursor.hot_x = c->hotspot_x;
    ex->cursor.hot_y = c->hotspot_y;
    return VGT_OK;
}

static vgt_status exec_front_rop_fill(vgt_executor *ex, const vgt_svga_cmd_front_rop_fill *c,
                                      vgt_error *err)
{
    if (c->rop != VGT_SVGA_ROP_COPY) {
        return vgt_error_set(err, VGT_E_INVALID, "FRONT_ROP_FILL: rop 0x%x (only COPY, 0x3)",
                             c->rop);
    }
    /* A hint that the GFB already holds a solid fill; the next UPDATE shows it. */
    return check_gfb_rect(ex, "FRONT_ROP_FILL", c->x, c->y, c->width, c->height, err);
}

/* The backing store DEFINE_SCREEN gives, checked; *out NULL when the
 * screen has none: SCREEN_OBJECT_2 not offered, a screen object too short
 * to hold one (struct_size below 40: the SCREEN_OBJECT_1 form), a
 * deactivated screen (svga_reg.h: the store is then ignored), or gmrId
 * SVGA_GMR_NULL.  A store must be in VRAM (svga_reg.h: "This memory must
 * come from the GFB"), 4-aligned (whole pixels; svga_reg.h asks page
 * alignment, which is not enforced), with a pitch of at least a 32-bit row
 * and every row inside VRAM. */
static vgt_status check_store(const vgt_executor *ex, const vgt_svga_screen_object *s,
                              exec_store *store, const exec_store **out, vgt_error *err)
{
    *out = NULL;
    const vgt_svga_guest_image *bs = &s->backing_store;
    if (ex->cfg.no_screen_object_2 || ex->cfg.vram_size == 0 ||
        s->struct_size < VGT_SVGA_SCREEN_OBJECT_STORE_BYTES ||
        (s->flags & VGT_SVGA_SCREEN_DEACTIVATE) || bs->ptr.gmr_id == VGT_SVGA_GMR_NULL) {
        return VGT_OK;
    }
    if (bs->ptr.gmr_id != VGT_SVGA_GMR_FRAMEBUFFER) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "DEFINE_SCREEN: screen %u's backing store in GMR %u (only "
                             "SVGA_GMR_FRAMEBUFFER, VRAM, backs a screen)",
                             s->id, bs->ptr.gmr_id);
    }
    if (bs->ptr.offset % 4u || bs->pitch % 4u) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "DEFINE_SCREEN: screen %u's backing store offset %u / pitch %u not "
                             "4-aligned",
                             s->id, bs->ptr.offset, bs->pitch);
    }
    uint64_t row = (uint64_t)s->width * 4u; /* width <= 8192: no wrap */
    if (bs->pitch < row) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "DEFINE_SCREEN: screen %u's backing store pitch %u < width %u * 4",
                             s->id, bs->pitch, s->width);
    }
    /* < 2^32 + 2^32 * 8191 + 2^15: no wrap in 64 bits */
    uint64_t end = (uint64_t)bs->ptr.offset + (uint64_t)bs->pitch * (s->height - 1u) + row;
    if (end > ex->cfg.vram_size) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "DEFINE_SCREEN: screen %u's backing store (offset %u, pitch %u, "
                             "%ux%u) ends at byte %llu, beyond the %u bytes of VRAM",
                             s->id, bs->ptr.offset, bs->pitch, s->width, s->height,
                             (unsigned long long)end, ex->cfg.vram_size);
    }
    *store = (exec_store){bs->ptr.gmr_id, bs->ptr.offset, bs->pitch};
    *out = store;
    return VGT_OK;
}

static vgt_status exec_define_screen(vgt_executor *ex, const vgt_svga_screen_object *s,
                                     vgt_error *err)
{
    if (s->struct_size < VGT_SVGA_SCREEN_OBJECT_V1_BYTES) {
        return vgt_error_set(err, VGT_E_INVALID, "DEFINE_SCREEN: struct_size %u < %u",
                             s->struct_size, VGT_SVGA_SCREEN_OBJECT_V1_BYTES);
    }
    if (s->id >= VGT_EXEC_MAX_SCREENS) {
        return vgt_error_set(err, VGT_E_RANGE, "DEFINE_SCREEN: screen id %u (limit %u)", s->id,
                             VGT_EXEC_MAX_SCREENS - 1);
    }
    if (s->width == 0 || s->height == 0 || s->width > VGT_EXEC_MAX_SCREEN_DIM ||
        s->height > VGT_EXEC_MAX_SCREEN_DIM) {
        return vgt_error_set(err, VGT_E_RANGE, "DEFINE_SCREEN: size %ux%u (1..%u each)", s->width,
                             s->height, VGT_EXEC_MAX_SCREEN_DIM);
    }
    if ((int64_t)s->root_x + s->width > INT32_MAX || (int64_t)s->root_y + s->height > INT32_MAX) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "DEFINE_SCREEN: root (%d,%d) + size %ux%u overflows 32 bits",
                             s->root_x, s->root_y, s->width, s->height);
    }
    /* The host memory all screens take together is bounded (a guest could
     * otherwise define 16 screens of 8192x8192 and make the host allocate
     * 4 GiB, then compose a 32768x32768 display every frame). */
    uint64_t pixels = (uint64_t)s->width * s->height;
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        const exec_screen *o = &ex->screens[i];
        if (o->defined && i != s->id) {
            pixels += (uint64_t)o->w * o->h;
        }
    }
    if (pixels > VGT_EXEC_MAX_SCREEN_PIXELS) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "DEFINE_SCREEN: screen %u (%ux%u) would bring all screens to %llu "
                             "pixels (limit %u)",
                             s->id, s->width, s->height, (unsigned long long)pixels,
                             VGT_EXEC_MAX_SCREEN_PIXELS);
    }
    exec_store store;
    const exec_store *bs;
    vgt_status st = check_store(ex, s, &store, &bs, err);
    if (st == VGT_OK) {
        st = screen_define(ex, s->id, s->flags, s->root_x, s->root_y, s->width, s->height, false,
                           bs, shadow_wanted(&ex->mode), err);
    }
    if (st != VGT_OK || !bs) {
        return st;
    }
    /* The base layer is the store: the screen shows what it holds now (a
     * redefinition, BLANKING switched off included, shows the store again) */
    const exec_screen *n = &ex->screens[s->id];
    return store_load(ex, "DEFINE_SCREEN backing store", n->x, n->y, (int64_t)n->x + n->w,
                      (int64_t)n->y + n->h, err);
}

vgt_status vgt_exec_gmrfb_layout(uint32_t format, uint32_t *layout, vgt_error *err)
{
    uint32_t bpp = VGT_SVGA_GMRFB_BPP(format), depth = VGT_SVGA_GMRFB_DEPTH(format);
    if (VGT_SVGA_GMRFB_RESERVED(format) != 0) {
        return vgt_error_set(err, VGT_E_INVALID, "GMRFB format 0x%08x: reserved bits 16-31 set",
                             format);
    }
    /* svga_reg.h's SVGAGMRImageFormat list: 32/24 BGRX, 24/24 BGR, 16/16
     * RGB 5-6-5, 16/15 RGB 5-5-5 */
    if ((bpp == 32 || bpp == 24) && depth == 24) {
        *layout = bpp;
        return VGT_OK;
    }
    if (bpp == 16 && (depth == 16 || depth == 15)) {
        *layout = depth;
        return VGT_OK;
    }
    return vgt_error_set(err, VGT_E_UNSUPPORTED,
                         "GMRFB format bpp %u depth %u (supported: 32/24, 24/24, 16/16, 16/15)",
                         bpp, depth);
}

/* The GMRFB's bytes per pixel: 4, 3 or 2. */
static uint32_t gmrfb_bytes(const vgt_executor *ex)
{
    return (ex->gmrfb.layout + 7u) / 8u;
}

static vgt_status exec_define_gmrfb(vgt_executor *ex, const vgt_svga_cmd_define_gmrfb *c,
                                    vgt_error *err)
{
    uint32_t layout = 0;
    vgt_status st = vgt_exec_gmrfb_layout(c->format, &layout, err);
    if (st != VGT_OK) {
        vgt_error_prefix(err, "DEFINE_GMRFB");
        return st;
    }
    ex->gmrfb.defined = true;
    ex->gmrfb.ptr = c->ptr;
    ex->gmrfb.bytes_per_line = c->bytes_per_line;
    ex->gmrfb.format = c->format;
    ex->gmrfb.layout = layout;
    return VGT_OK;
}

/* A GMRFB block of w x h pixels: rows of w pixels in the GMRFB's format
 * must not overlap (bytesPerLine at least a row when there are two or
 * more; 64-bit, w and h below 2^32). */
static vgt_status check_gmrfb_rows(const vgt_executor *ex, const char *what, uint64_t w, uint64_t h,
                                   vgt_error *err)
{
    uint64_t row = w * gmrfb_bytes(ex);
    if (h > 1 && row > ex->gmrfb.bytes_per_line) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "%s: rows of %llu bytes (%llu pixels of %u bytes) overlap in "
                             "bytesPerLine %u",
                             what, (unsigned long long)row, (unsigned long long)w, gmrfb_bytes(ex),
                             ex->gmrfb.bytes_per_line);
    }
    return VGT_OK;
}

/* Converts a rectangle given relative to screen `screen_id` (or virtual when
 * VGT_SVGA_ID_INVALID) to virtual coordinates. */
static vgt_status to_virtual(const vgt_executor *ex, const char *what, uint32_t screen_id,
                             const vgt_svga_signed_rect *r, int64_t *l, int64_t *t, int64_t *rr,
                             int64_t *b, vgt_error *err)
{
    if (r->left > r->right || r->top > r->bottom) {
        return vgt_error_set(err, VGT_E_INVALID, "%s: inverted rectangle (%d,%d)-(%d,%d)", what,
                             r->left, r->top, r->right, r->bottom);
    }
    int64_t ox = 0, oy = 0;
    if (screen_id != VGT_SVGA_ID_INVALID) {
        if (screen_id >= VGT_EXEC_MAX_SCREENS || !ex->screens[screen_id].defined) {
            return vgt_error_set(err, VGT_E_NOTFOUND, "%s: screen %u is not defined", what,
                                 screen_id);
        }
        ox = ex->screens[screen_id].x;
        oy = ex->screens[screen_id].y;
    }
    *l = ox + r->left;
    *t = oy + r->top;
    *rr = ox + r->right;
    *b = oy + r->bottom;
    return VGT_OK;
}

static vgt_status exec_blit_to_screen(vgt_executor *ex, const vgt_svga_cmd_blit_gmrfb_to_screen *c,
                                      vgt_error *err)
{
    ex->annotation.fill_pending = ex->annotation.copy_pending = false; /* consumed */
    if (!ex->gmrfb.defined) {
        return vgt_error_set(err, VGT_E_STATE, "BLIT_GMRFB_TO_SCREEN before DEFINE_GMRFB");
    }
    int64_t l = 0, t = 0, r = 0, b = 0;
    vgt_status st = to_virtual(ex, "BLIT_GMRFB_TO_SCREEN", c->dest_screen_id, &c->dest_rect, &l, &t,
                               &r, &b, err);
    if (st != VGT_OK) {
        return st;
    }
    /* Destination pixel (vx, vy) takes GMRFB pixel src_origin + (vx - l, vy - t). */
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        exec_screen *s = &ex->screens[i];
        if (!screen_active(s)) {
            continue;
        }
        exec_box on;
        if (!screen_clip(s, l, t, r, b, &on)) {
            continue;
        }
        int64_t cl = on.l, ct = on.t, cr = on.r, cb = on.b;
        int64_t sx = (int64_t)c->src_origin.x + (cl - l);
        int64_t sy0 = (int64_t)c->src_origin.y + (ct - t);
        if (sx < 0 || sy0 < 0) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "BLIT_GMRFB_TO_SCREEN: source pixel (%lld,%lld) is negative",
                                 (long long)sx, (long long)sy0);
        }
        uint64_t w = (uint64_t)(cr - cl), h = (uint64_t)(cb - ct);
        /* Host pixels at the start of scratch; a GMRFB in another format
         * is read after them, then converted row by row (px_row_to_host,
         * the legacy modes' expansion).  w, h <= 8192: no overflow. */
        uint32_t gb = gmrfb_bytes(ex);
        uint64_t host_bytes = w * 4u * h, row = w * gb;
        if ((st = check_gmrfb_rows(ex, "BLIT_GMRFB_TO_SCREEN", w, h, err)) != VGT_OK ||
            (st = scratch_reserve(ex, host_bytes + (gb == 4 ? 0 : row * h), err)) != VGT_OK) {
            return st;
        }
        uint8_t *raw = gb == 4 ? ex->scratch : ex->scratch + host_bytes;
        uint64_t off = (uint64_t)ex->gmrfb.ptr.offset + (uint64_t)sy0 * ex->gmrfb.bytes_per_line +
                       (uint64_t)sx * gb;
        st =
            mem_read_rows(ex, ex->gmrfb.ptr.gmr_id, off, ex->gmrfb.bytes_per_line, row, (uint32_t)h,
                          raw, (size_t)row, "BLIT_GMRFB_TO_SCREEN source", (uint64_t)sy0, err);
        if (st != VGT_OK) {
            return st;
        }
        for (uint64_t y = 0; gb != 4 && y < h; y++) {
            px_row_to_host(ex->gmrfb.layout, NULL, raw + y * row,
                           (uint32_t *)(ex->scratch + y * w * 4u), (uint32_t)w);
        }
        damage_box(ex, cl, ct, cr, cb);
        for (uint64_t y = 0; y < h; y++) {
            uint32_t *dst = screen_px(s, cl, ct + (int64_t)y);
            memcpy(dst, ex->scratch + y * w * 4u, w * 4u);
        }
        if (i == 0) { /* host colours on screen 0: no index there */
            shadow_write(ex, cl, ct, (uint32_t)w, (uint32_t)h, NULL, 0);
        }
        if (s->has_store &&
            (st = store_write(ex, s, &on, ex->scratch, w * 4u, "BLIT_GMRFB_TO_SCREEN", err))) {
            return st;
        }
    }
    return VGT_OK;
}

static vgt_status exec_blit_to_gmrfb(vgt_executor *ex, const vgt_svga_cmd_blit_screen_to_gmrfb *c,
                                     vgt_error *err)
{
    if (!ex->gmrfb.defined) {
        return vgt_error_set(err, VGT_E_STATE, "BLIT_SCREEN_TO_GMRFB before DEFINE_GMRFB");
    }
    if (c->src_screen_id >= VGT_EXEC_MAX_SCREENS || !ex->screens[c->src_screen_id].defined) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "BLIT_SCREEN_TO_GMRFB: screen %u is not defined",
                             c->src_screen_id);
    }
    const exec_screen *s = &ex->screens[c->src_screen_id];
    const vgt_svga_signed_rect *r = &c->src_rect;
    if (r->left < 0 || r->top < 0 || r->left > r->right || r->top > r->bottom ||
        (int64_t)r->right > s->w || (int64_t)r->bottom > s->h) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "BLIT_SCREEN_TO_GMRFB: source (%d,%d)-(%d,%d) not inside the %ux%u "
                             "screen %u",
                             r->left, r->top, r->right, r->bottom, s->w, s->h, c->src_screen_id);
    }
    if (c->dest_origin.x < 0 || c->dest_origin.y < 0) {
        return vgt_error_set(err, VGT_E_RANGE, "BLIT_SCREEN_TO_GMRFB: negative origin (%d,%d)",
                             c->dest_origin.x, c->dest_origin.y);
    }
    uint64_t w = (uint64_t)(r->right - r->left);
    uint32_t h = (uint32_t)(r->bottom - r->top);
    vgt_status st = check_gmrfb_rows(ex, "BLIT_SCREEN_TO_GMRFB", w, h, err);
    if (st != VGT_OK || w == 0 || h == 0) {
        return st;
    }
    const uint8_t *rows = (const uint8_t *)(s->pix + (uint64_t)r->top * s->w + (uint64_t)r->left);
    uint64_t rows_pitch = (uint64_t)s->w * 4u;
    /* scratch: the store's rows (when it has one), then one row in the
     * GMRFB's format when that is not the host's (vgt_exec_px_row_from_host). */
    uint32_t gb = gmrfb_bytes(ex);
    uint64_t store_bytes = s->has_store ? w * 4u * h : 0;
    if ((st = scratch_reserve(ex, store_bytes + (gb == 4 ? 0 : w * gb), err)) != VGT_OK) {
        return st;
    }
    if (s->has_store) {
        /* The base layer is the store: read it as it is now (the guest's
         * CPU writes not yet shown by an UPDATE included). */
        st = mem_read_rows(ex, s->store_gmr,
                           (uint64_t)s->store_offset + (uint64_t)r->top * s->store_pitch +
                               (uint64_t)r->left * 4u,
                           s->store_pitch, w * 4u, h, ex->scratch, w * 4u,
                           "BLIT_SCREEN_TO_GMRFB backing store", (uint64_t)r->top, err);
        if (st != VGT_OK) {
            return st;
        }
        rows = ex->scratch;
        rows_pitch = w * 4u;
    }
    /* only a narrower GMRFB converts; scratch is NULL when nothing was
     * reserved, and NULL + 0 is undefined */
    uint8_t *conv = gb != 4 ? ex->scratch + store_bytes : NULL;
    for (int64_t y = r->top; y < r->bottom; y++) {
        uint64_t off =
            (uint64_t)ex->gmrfb.ptr.offset +
            ((uint64_t)c->dest_origin.y + (uint64_t)(y - r->top)) * ex->gmrfb.bytes_per_line +
            (uint64_t)c->dest_origin.x * gb;
        const uint8_t *src = rows + (uint64_t)(y - r->top) * rows_pitch;
        if (gb != 4) {
            /* rows are 4-byte aligned: screen pixels or scratch */
            vgt_exec_px_row_from_host(ex->gmrfb.layout, (const uint32_t *)src, conv, (uint32_t)w);
            src = conv;
        }
        st = mem_write(ex, ex->gmrfb.ptr.gmr_id, off, src, w * gb, err);
        if (st != VGT_OK) {
            vgt_error_prefix(err, "BLIT_SCREEN_TO_GMRFB row %lld", (long long)y);
            return st;
        }
    }
    return VGT_OK;
}

/* ---- public ------------------------------------------------------------- */

vgt_status vgt_executor_create(const vgt_executor_config *cfg, vgt_executor **out, vgt_error *err)
{
    *out = NULL;
    if (!cfg || !cfg->mem.read || !cfg->mem.write) {
        return vgt_error_set(err, VGT_E_INVALID, "executor: guest memory interface missing");
    }
    vgt_executor *ex = calloc(1, sizeof(*ex));
    if (!ex) {
        return vgt_error_set(err, VGT_E_NOMEM, "executor: out of memory");
    }
    ex->cfg = *cfg;
    vgt_exec_overlays_reset(ex);
    if (cfg->enable_3d) {
        vgt_backend be;
        vgt_status st = vgt_backend_create(cfg->backend, &cfg->backend_options, &be, err);
        if (st == VGT_OK && cfg->wrap_backend &&
            (st = cfg->wrap_backend(cfg->wrap_ctx, &be, err)) != VGT_OK) {
            vgt_backend_destroy(&be); /* a failed wrap leaves be as it was */
        } else if (st == VGT_OK && (st = vgt_exec3d_create(ex, &cfg->mem, &be, &ex->e3d, err))) {
            vgt_backend_destroy(&be);
        } else if (st == VGT_OK) {
            vgt_exec3d_limit_anisotropy(ex->e3d, cfg->max_anisotropy);
        }
        if (st != VGT_OK) {
            free(ex);
            return st;
        }
    }
    *out = ex;
    return VGT_OK;
}

void vgt_executor_reset(vgt_executor *ex)
{
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        screen_free(&ex->screens[i]);
    }
    free(ex->cursor.and_px);
    free(ex->cursor.xor_px);
    memset(&ex->cursor, 0, sizeof(ex->cursor));
    ex->cursor.screen_id = VGT_SVGA_ID_INVALID;
    memset(&ex->mode, 0, sizeof(ex->mode));
    memset(ex->palette, 0, sizeof(ex->palette));
    vgt_exec_shadow_free(ex);
    memset(&ex->gmrfb, 0, sizeof(ex->gmrfb));
    memset(&ex->annotation, 0, sizeof(ex->annotation));
    vgt_exec_overlays_reset(ex);
    vgt_image_free(&ex->composed);
    memset(&ex->composed, 0, sizeof(ex->composed));
    free(ex->row_stamp);
    ex->row_stamp = NULL;
    ex->display_gen++;
    ex->damage_all = true;
    if (ex->e3d) {
        vgt_exec3d_reset(ex->e3d);
    }
}

void vgt_executor_destroy(vgt_executor *ex)
{
    if (!ex) {
        return;
    }
    vgt_executor_reset(ex);
    vgt_exec3d_destroy(ex->e3d);
    free(ex->scratch);
    free(ex->expand);
    free(ex->zero_row);
    free(ex);
}

uint32_t vgt_display_bytes_per_pixel(uint32_t bits_per_pixel)
{
    switch (bits_per_pixel) {
    case 32:
        return 4u;
    case 24:
        return 3u; /* packed B, G, R: the host mode is already depth 24 in 32 bits */
    case 16:
    case 15:
        return 2u;
    case 8:
        return 1u;
    default:
        return 0u;
    }
}

vgt_display_mode vgt_display_mode_from_regs(uint32_t enable, uint32_t width, uint32_t height,
                                            uint32_t bits_per_pixel, uint32_t pitchlock,
                                            uint32_t vram_size, bool *too_big)
{
    uint64_t pitch =
        pitchlock ? pitchlock : (uint64_t)width * vgt_display_bytes_per_pixel(bits_per_pixel);
    vgt_display_mode m = {
        .enabled = (enable & VGT_SVGA_ENABLE_ENABLE) && !(enable & VGT_SVGA_ENABLE_HIDE),
        .width = width,
        .height = height,
        .bits_per_pixel = bits_per_pixel,
        .bytes_per_line = pitch <= UINT32_MAX ? (uint32_t)pitch : UINT32_MAX,
        .fb_offset = 0,
    };
    bool big = m.enabled && (pitch > UINT32_MAX || pitch * height > vram_size);
    if (big) {
        m.enabled = false;
    }
    if (too_big) {
        *too_big = big;
    }
    return m;
}

vgt_status vgt_exec_mode_check(const vgt_display_mode *mode, vgt_error *err)
{
    if (!mode->enabled) {
        return VGT_OK;
    }
    uint32_t bpp = vgt_display_bytes_per_pixel(mode->bits_per_pixel);
    if (bpp == 0) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "mode: %u bits per pixel (8, 15, 16, 24 or 32)", mode->bits_per_pixel);
    }
    if (mode->width == 0 || mode->height == 0 || mode->width > VGT_EXEC_MAX_SCREEN_DIM ||
        mode->height > VGT_EXEC_MAX_SCREEN_DIM) {
        return vgt_error_set(err, VGT_E_RANGE, "mode: %ux%u (1..%u each)", mode->width,
                             mode->height, VGT_EXEC_MAX_SCREEN_DIM);
    }
    if (mode->bytes_per_line < mode->width * bpp) { /* width <= 8192: no wrap */
        return vgt_error_set(err, VGT_E_RANGE, "mode: pitch %u < width %u * %u",
                             mode->bytes_per_line, mode->width, bpp);
    }
    return VGT_OK;
}

vgt_status vgt_executor_set_palette(vgt_executor *ex, uint32_t component, uint32_t value,
                                    vgt_error *err)
{
    if (component >= VGT_SVGA_NUM_PALETTE_REGS) {
        return vgt_error_set(err, VGT_E_RANGE, "palette register %u (0..%u)", component,
                             VGT_SVGA_NUM_PALETTE_REGS - 1u);
    }
    /* red, green, blue of entry component/3 into bits 16, 8, 0 */
    uint32_t shift = 16u - 8u * (component % 3u);
    uint32_t *e = &ex->palette[component / 3u];
    *e = (*e & ~(0xFFu << shift)) | ((value & 0xFFu) << shift);
    /* The screens hold colours, not indices: they change at the next
     * update.  An 8-bit cursor shows the palette as it is at compose: the
     * next compose redraws it with the new colours. */
    if (ex->cursor.defined && ex->cursor.indexed) {
        ex->display_gen++;
    }
    return VGT_OK;
}

uint32_t vgt_executor_palette_color(const vgt_executor *ex, uint8_t index)
{
    return ex->palette[index];
}

vgt_status vgt_executor_set_mode(vgt_executor *ex, const vgt_display_mode *mode, vgt_error *err)
{
    vgt_status st = vgt_exec_mode_check(mode, err);
    if (st != VGT_OK) {
        return st;
    }
    /* Entering the 8-bit mode: screen_define gives screen 0 a shadow with
     * no index known (it keeps its old colours where the sizes overlap);
     * in it, the shadow follows screen 0's size; leaving it frees the
     * shadow.  On failure screen 0 and its shadow are as they were. */
    for (uint32_t i = 1; i < VGT_EXEC_MAX_SCREENS; i++) {
        screen_free(&ex->screens[i]);
    }
    if (mode->enabled) {
        st = screen_define(ex, 0, VGT_SVGA_SCREEN_MUST_BE_SET | VGT_SVGA_SCREEN_IS_PRIMARY, 0, 0,
                           mode->width, mode->height, true, NULL, shadow_wanted(mode), err);
        if (st != VGT_OK) {
            return st;
        }
    } else {
        screen_free(&ex->screens[0]);
    }
    if (!shadow_wanted(mode)) {
        vgt_exec_shadow_free(ex);
    }
    ex->mode = *mode;
    ex->display_gen++;
    ex->damage_all = true;
    return VGT_OK;
}

vgt_display_mode vgt_executor_mode(const vgt_executor *ex)
{
    return ex->mode;
}

void vgt_executor_set_cursor(vgt_executor *ex, bool visible, int32_t x, int32_t y,
                             uint32_t screen_id)
{
    if (ex->cursor.visible != visible || ex->cursor.x != x || ex->cursor.y != y ||
        ex->cursor.screen_id != screen_id) {
        ex->display_gen++; /* sampled at every frame end: unchanged is the common case */
    }
    ex->cursor.visible = visible;
    ex->cursor.x = x;
    ex->cursor.y = y;
    ex->cursor.screen_id = screen_id;
}

bool vgt_cmd_is_screen_changing(uint32_t id)
{
    switch (id) {
    case VGT_SVGA_CMD_UPDATE:
    case VGT_SVGA_CMD_UPDATE_VERBOSE:
    case VGT_SVGA_CMD_RECT_COPY:
    case VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN:
    case VGT_SVGA_CMD_DEFINE_SCREEN:
    case VGT_SVGA_CMD_DESTROY_SCREEN:
    case VGT_SVGA_CMD_DEFINE_CURSOR:
    case VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR:
        return true;
    default:
        return false;
    }
}

bool vgt_cmd_ends_frame(uint32_t id)
{
    return id == VGT_SVGA3D_CMD_PRESENT || id == VGT_SVGA3D_CMD_PRESENT_READBACK ||
           id == VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN;
}

vgt_status vgt_executor_execute(vgt_executor *ex, const vgt_cmd *cmd, vgt_exec_result *res,
                                vgt_error *err)
{
    vgt_exec_result local;
    if (!res) {
        res = &local;
    }
    memset(res, 0, sizeof(*res));
    ex->res = res;
    if (cmd->id < VGT_SVGA3D_CMD_BASE) {
        /* Any 2D command may change what is shown (screens, cursor images,
         * blits): conservatively a new display, all of it damaged but for
         * the commands that name the boxes they change (UPDATE,
         * RECT_COPY, BLIT_GMRFB_TO_SCREEN).  SVGA3D commands reach the
         * display only through vgt_exec_display_put (put_virtual). */
        ex->display_gen++;
        if (cmd->id != VGT_SVGA_CMD_UPDATE && cmd->id != VGT_SVGA_CMD_UPDATE_VERBOSE &&
            cmd->id != VGT_SVGA_CMD_RECT_COPY && cmd->id != VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN &&
            cmd->id != VGT_SVGA_CMD_ESCAPE) {
            ex->damage_all = true;
        }
    }
    vgt_status st;
    bool overlay_changed = false;
    switch (cmd->id) {
    case VGT_SVGA_CMD_UPDATE:
        st = exec_update(ex, cmd->u.update.x, cmd->u.update.y, cmd->u.update.width,
                         cmd->u.update.height, err);
        break;
    case VGT_SVGA_CMD_UPDATE_VERBOSE:
        st = exec_update(ex, cmd->u.update_verbose.x, cmd->u.update_verbose.y,
                         cmd->u.update_verbose.width, cmd->u.update_verbose.height, err);
        break;
    case VGT_SVGA_CMD_RECT_COPY:
        st = exec_rect_copy(ex, &cmd->u.rect_copy, err);
        break;
    case VGT_SVGA_CMD_DEFINE_CURSOR:
        st = exec_define_cursor(ex, cmd, err);
        break;
    case VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR:
        st = exec_define_alpha_cursor(ex, cmd, err);
        break;
    case VGT_SVGA_CMD_FRONT_ROP_FILL:
        st = exec_front_rop_fill(ex, &cmd->u.front_rop_fill, err);
        break;
    case VGT_SVGA_CMD_DEFINE_SCREEN:
        st = exec_define_screen(ex, &cmd->u.define_screen, err);
        break;
    case VGT_SVGA_CMD_DESTROY_SCREEN: {
        uint32_t id = cmd->u.destroy_screen.screen_id;
        if (id >= VGT_EXEC_MAX_SCREENS || !ex->screens[id].defined) {
            st = vgt_error_set(err, VGT_E_NOTFOUND, "DESTROY_SCREEN: screen %u is not defined", id);
        } else {
            screen_free(&ex->screens[id]);
            st = VGT_OK;
        }
        break;
    }
    case VGT_SVGA_CMD_DEFINE_GMRFB:
        st = exec_define_gmrfb(ex, &cmd->u.define_gmrfb, err);
        break;
    case VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN:
        st = exec_blit_to_screen(ex, &cmd->u.blit_gmrfb_to_screen, err);
        break;
    case VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB:
        st = exec_blit_to_gmrfb(ex, &cmd->u.blit_screen_to_gmrfb, err);
        break;
    case VGT_SVGA_CMD_ANNOTATION_FILL:
        /* A promise about the next blit; we render the blit from its source anyway. */
        ex->annotation.fill_pending = true;
        ex->annotation.color = cmd->u.annotation_fill.color;
        st = VGT_OK;
        break;
    case VGT_SVGA_CMD_ANNOTATION_COPY:
        ex->annotation.copy_pending = true;
        st = VGT_OK;
        break;
    case VGT_SVGA_CMD_ESCAPE:
        /* the video overlay units (overlay.c); other escapes are ignored */
        st = vgt_exec_escape(ex, cmd, &overlay_changed, err);
        break;
    case VGT_SVGA_CMD_FENCE:
    case VGT_SVGA_CMD_DEFINE_GMR2:
    case VGT_SVGA_CMD_REMAP_GMR2:
        st = vgt_error_set(err, VGT_E_INVALID, "%s is executed by the device, not the executor",
                           vgt_cmd_name(cmd->id));
        break;
    default:
        if (cmd->id >= VGT_SVGA3D_CMD_BASE && cmd->id < VGT_SVGA3D_CMD_FUTURE_MAX && ex->e3d) {
            st = vgt_exec3d_execute(ex->e3d, cmd, res, err);
        } else if (cmd->id >= VGT_SVGA3D_CMD_BASE && cmd->id < VGT_SVGA3D_CMD_FUTURE_MAX) {
            st = vgt_error_set(err, VGT_E_UNSUPPORTED, "%s: 3D not enabled", vgt_cmd_name(cmd->id));
        } else {
            st = vgt_error_set(err, VGT_E_UNSUPPORTED, "%s: not executed by this executor",
                               vgt_cmd_name(cmd->id));
        }
        break;
    }
    ex->res = NULL;
    if (st == VGT_OK) {
        /* a video FLUSH changes what is shown as an UPDATE does */
        res->screen_changed = vgt_cmd_is_screen_changing(cmd->id) || overlay_changed;
        res->ends_frame = vgt_cmd_ends_frame(cmd->id);
    }
    return st;
}

static uint8_t blend_channel(uint32_t src, uint32_t dst, uint32_t a)
{
    uint32_t v = src + (dst * (255u - a) + 127u) / 255u;
    return (uint8_t)(v > 255u ? 255u : v);
}

/* The cursor's top-left in virtual coordinates; false when none is shown. */
static bool cursor_origin(const vgt_executor *ex, int64_t *vx, int64_t *vy)
{
    const exec_cursor *c = &ex->cursor;
    if (!c->defined || !c->visible || c->w == 0 || c->h == 0) {
        return false;
    }
    int64_t px = c->x, py = c->y;
    if (c->screen_id != VGT_SVGA_ID_INVALID && c->screen_id < VGT_EXEC_MAX_SCREENS &&
        ex->screens[c->screen_id].defined) {
        px += ex->screens[c->screen_id].x;
        py += ex->screens[c->screen_id].y;
    }
    *vx = px - (int64_t)c->hot_x;
    *vy = py - (int64_t)c->hot_y;
    return true;
}

/* What an 8-bit index cursor reads under it: screen 0 when its pixels can
 * show indices there (shadow kept, the screen shown, no store), and the
 * other shown screens that meet the cursor's box (drawn above screen 0). */
typedef struct cursor_under {
    const exec_screen *s0;
    const exec_screen *above[VGT_EXEC_MAX_SCREENS];
    uint32_t n_above;
} cursor_under;

static void cursor_under_init(vgt_executor *ex, exec_box box, cursor_under *u)
{
    memset(u, 0, sizeof(*u));
    const exec_screen *s0 = shadow_screen(ex);
    if (!shadow_wanted(&ex->mode) || !s0 || !screen_active(s0) || s0->has_store ||
        (s0->flags & VGT_SVGA_SCREEN_BLANKING)) {
        return;
    }
    u->s0 = s0;
    for (uint32_t i = 1; i < VGT_EXEC_MAX_SCREENS; i++) {
        const exec_screen *s = &ex->screens[i];
        exec_box c;
        if (screen_active(s) && !(s->flags & VGT_SVGA_SCREEN_BLANKING) &&
            screen_clip(s, box.l, box.t, box.r, box.b, &c)) {
            u->above[u->n_above++] = s;
        }
    }
}

/* True when the composed pixel `dst` at virtual (vx, vy) is screen 0's
 * pixel showing a palette index (screen 0 is the top screen there, its
 * shadow knows the index, and nothing over it, a video overlay, changed
 * the colour): the index in *index.  Other pixels hold host colours. */
static bool shown_index(const vgt_executor *ex, const cursor_under *u, int64_t vx, int64_t vy,
                        uint32_t dst, uint8_t *index)
{
    const exec_screen *s0 = u->s0;
    if (!s0 || vx < s0->x || vy < s0->y || vx >= (int64_t)s0->x + s0->w ||
        vy >= (int64_t)s0->y + s0->h) {
        return false;
    }
    for (uint32_t i = 0; i < u->n_above; i++) {
        const exec_screen *s = u->above[i];
        if (vx >= s->x && vy >= s->y && vx < (int64_t)s->x + s->w && vy < (int64_t)s->y + s->h) {
            return false;
        }
    }
    uint32_t x = (uint32_t)(vx - s0->x), y = (uint32_t)(vy - s0->y);
    size_t off = (size_t)y * s0->w + x;
    if (!known_bit(ex->shadow.known, vgt_exec_shadow_known_pitch(s0->w), x, y) ||
        (s0->pix[off] | 0xFF000000u) != dst) {
        return false;
    }
    *index = ex->shadow.idx[off];
    return true;
}

/* An 8-bit index cursor's pixel over the composed `dst`: AND value a and
 * XOR index xi applied to the index the pixel shows, the result shown in
 * the palette's colour as it is now; a pixel the cursor leaves alone (a
 * 0xFF, xi 0) keeps its colour; over host colours (no index: a blit, 3D
 * output, another screen) a = 0xFF keeps the colour, other values make it
 * black, and the XOR index's colour is XORed in (the colour cursor's rule). */
static uint32_t index_cursor_px(const vgt_executor *ex, const cursor_under *u, int64_t vx,
                                int64_t vy, uint32_t dst, uint32_t a, uint32_t xi)
{
    a &= 0xFFu;
    xi &= 0xFFu;
    if (a == 0xFFu && xi == 0) {
        return dst | 0xFF000000u;
    }
    uint8_t index;
    if (shown_index(ex, u, vx, vy, dst, &index)) {
        return ex->palette[(index & a) ^ xi] | 0xFF000000u;
    }
    return ((a == 0xFFu ? dst : 0u) ^ ex->palette[xi]) | 0xFF000000u;
}

/* A pixel of a cursor whose AND mask holds guest values of `bits` (16 or
 * 24) over host colour dst: (narrow(dst) AND a), expanded as UPDATE
 * expands, XOR the XOR colour x.  Narrowing is PRESENT_READBACK's, so a
 * pixel an UPDATE showed comes back as the guest's value bit for bit; an
 * AND of all ones keeps dst as it is (the same for such a pixel, and a 3D
 * or blitted host colour is not rounded where the cursor leaves it). */
static uint32_t guest_and_px(uint32_t bits, uint32_t dst, uint32_t a, uint32_t x)
{
    if (a == mask_all_ones(bits)) {
        return dst ^ x;
    }
    uint8_t g[4] = {0};
    vgt_exec_px_row_from_host(bits, &dst, g, 1);
    vgt_store_le32(g, vgt_load_le32(g) & a);
    uint32_t host;
    px_row_to_host(bits, NULL, g, &host, 1);
    return host ^ x;
}

static void draw_cursor(vgt_executor *ex, vgt_image *img, int64_t ox, int64_t oy)
{
    exec_cursor *c = &ex->cursor;
    int64_t px, py;
    ex->cursor_drawn = cursor_origin(ex, &px, &py);
    if (!ex->cursor_drawn) {
        return;
    }
    ex->cursor_box = (exec_box){px, py, px + c->w, py + c->h};
    cursor_under under;
    if (c->indexed) {
        cursor_under_init(ex, ex->cursor_box, &under);
    }
    px -= ox;
    py -= oy;
    for (uint32_t y = 0; y < c->h; y++) {
        int64_t iy = py + y;
        if (iy < 0 || iy >= img->height) {
            continue;
        }
        for (uint32_t x = 0; x < c->w; x++) {
            int64_t ix = px + x;
            if (ix < 0 || ix >= img->width) {
                continue;
            }
            uint8_t *d = img->pixels + (uint64_t)iy * img->stride + (uint64_t)ix * 4u;
            uint32_t dst = vgt_load_le32(d);
            size_t i = (size_t)y * c->w + x;
            uint32_t out;
            if (c->alpha) {
                uint32_t s = c->and_px[i], a = s >> 24;
                out = 0xFF000000u;
                for (int sh = 0; sh < 24; sh += 8) {
                    out |= (uint32_t)blend_channel((s >> sh) & 0xFF, (dst >> sh) & 0xFF, a) << sh;
                }
            } else if (c->indexed) {
                out =
                    index_cursor_px(ex, &under, ix + ox, iy + oy, dst, c->and_px[i], c->xor_px[i]);
            } else if (c->and_bits) {
                out = guest_and_px(c->and_bits, dst, c->and_px[i], c->xor_px[i]) | 0xFF000000u;
            } else {
                out = ((dst & c->and_px[i]) ^ c->xor_px[i]) | 0xFF000000u;
            }
            vgt_store_le32(d, out);
        }
    }
}

/* Stores n little-endian words `value` at dst. */
static void fill_words(uint8_t *dst, uint32_t n, uint32_t value)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t *d = (uint32_t *)(void *)dst;
    for (uint32_t x = 0; x < n; x++) {
        d[x] = value;
    }
#else
    for (uint32_t x = 0; x < n; x++) {
        vgt_store_le32(dst + 4u * x, value);
    }
#endif
}

/* Stores n host-order pixels as little-endian words with alpha forced to 0xFF. */
static void copy_words_opaque(uint8_t *dst, const uint32_t *src, uint32_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t *d = (uint32_t *)(void *)dst;
    for (uint32_t x = 0; x < n; x++) {
        d[x] = src[x] | 0xFF000000u;
    }
#else
    for (uint32_t x = 0; x < n; x++) {
        vgt_store_le32(dst + 4u * x, src[x] | 0xFF000000u);
    }
#endif
}

/* True when one active, unblanked screen covers the whole w x h box at (l, t). */
static bool one_screen_covers(const vgt_executor *ex, int64_t l, int64_t t, uint32_t w, uint32_t h)
{
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        const exec_screen *s = &ex->screens[i];
        if (screen_active(s) && !(s->flags & VGT_SVGA_SCREEN_BLANKING) && s->x == l && s->y == t &&
            s->w == w && s->h == h) {
            return true;
        }
    }
    return false;
}

/* Composes the virtual box `box` of the display whose
 * top-left is (l, t) into img, as a whole compose would: the black
 * background where no unblanked screen is (skipped when one screen covers
 * the display), then the screens in order, alpha forced, then the video overlay units;
 * not the cursor.
 * The loops are plain word loops the compiler vectorizes. */
static void compose_box(const vgt_executor *ex, vgt_image *img, int64_t l, int64_t t, exec_box box,
                        bool covered)
{
    int64_t bl = box.l > l ? box.l : l;
    int64_t bt = box.t > t ? box.t : t;
    int64_t br = box.r < l + (int64_t)img->width ? box.r : l + (int64_t)img->width;
    int64_t bb = box.b < t + (int64_t)img->height ? box.b : t + (int64_t)img->height;
    if (bl >= br || bt >= bb) {
        return;
    }
    if (!covered) {
        for (int64_t y = bt; y < bb; y++) {
            fill_words(img->pixels + (uint64_t)(y - t) * img->stride + (uint64_t)(bl - l) * 4u,
                       (uint32_t)(br - bl), 0xFF000000u);
        }
    }
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        const exec_screen *s = &ex->screens[i];
        if (!screen_active(s) || (s->flags & VGT_SVGA_SCREEN_BLANKING)) {
            continue;
        }
        exec_box c;
        if (!screen_clip(s, bl, bt, br, bb, &c)) {
            continue;
        }
        int64_t cl = c.l, ct = c.t, cr = c.r, cb = c.b;
        for (int64_t y = ct; y < cb; y++) {
            uint8_t *d = img->pixels + (uint64_t)(y - t) * img->stride + (uint64_t)(cl - l) * 4u;
            copy_words_opaque(d, screen_px(s, cl, y), (uint32_t)(cr - cl));
        }
    }
    if (ex->overlays_shown) {
        /* the video overlays above the screens (and 3D output in them),
         * below the cursor */
        for (int64_t y = bt; y < bb; y++) {
            vgt_exec_overlays_draw_row(ex, img, l, t, bl, br, y);
        }
    }
}

/* Marks the rows of `composed` that the virtual box `box` covers (the
 * display's top is t) as written by this compose. */
static void stamp_rows(vgt_executor *ex, int64_t t, exec_box box, uint64_t stamp)
{
    int64_t top = box.t > t ? box.t : t;
    int64_t end =
        box.b < t + (int64_t)ex->composed.height ? box.b : t + (int64_t)ex->composed.height;
    for (int64_t y = top; y < end; y++) {
        ex->row_stamp[y - t] = stamp;
    }
}

vgt_status vgt_executor_compose(vgt_executor *ex, const vgt_image **out, vgt_error *err)
{
    *out = NULL;
    int64_t l = INT64_MAX, t = INT64_MAX, r = INT64_MIN, b = INT64_MIN;
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        const exec_screen *s = &ex->screens[i];
        if (!screen_active(s)) {
            continue;
        }
        l = s->x < l ? s->x : l;
        t = s->y < t ? s->y : t;
        r = (int64_t)s->x + s->w > r ? (int64_t)s->x + s->w : r;
        b = (int64_t)s->y + s->h > b ? (int64_t)s->y + s->h : b;
    }
    if (l == INT64_MAX) {
        return vgt_error_set(err, VGT_E_STATE, "display: no active screen to show");
    }
    if (r - l > 4 * VGT_EXEC_MAX_SCREEN_DIM || b - t > 4 * VGT_EXEC_MAX_SCREEN_DIM ||
        (uint64_t)(r - l) * (uint64_t)(b - t) > VGT_EXEC_MAX_DISPLAY_PIXELS) {
        return vgt_error_set(err, VGT_E_RANGE, "display: screens span %lldx%lld pixels",
                             (long long)(r - l), (long long)(b - t));
    }
    uint32_t w = (uint32_t)(r - l), h = (uint32_t)(b - t);
    if (ex->composed.pixels && ex->composed_gen == ex->display_gen && ex->composed.width == w &&
        ex->composed.height == h) {
        *out = &ex->composed; /* nothing shown has changed since it was composed */
        return VGT_OK;
    }
    bool fresh = !ex->composed.pixels;
    if (ex->composed.width != w || ex->composed.height != h) {
        fresh = true;
        vgt_image_free(&ex->composed);
        memset(&ex->composed, 0, sizeof(ex->composed));
        free(ex->row_stamp);
        ex->row_stamp = calloc(h, sizeof(*ex->row_stamp));
        if (!ex->row_stamp) {
            return vgt_error_set(err, VGT_E_NOMEM, "display: out of memory for %u rows", h);
        }
        vgt_status st = vgt_image_alloc(&ex->composed, w, h, err);
        if (st != VGT_OK) {
            return st;
        }
    }
    if (ex->overlays_shown && ex->base_row_cap < w) {
        uint32_t *row = malloc((size_t)w * 4u);
        if (!row) {
            return vgt_error_set(err, VGT_E_NOMEM, "display: out of memory for a %u-pixel row", w);
        }
        free(ex->base_row);
        ex->base_row = row;
        ex->base_row_cap = w;
    }
    vgt_image *img = &ex->composed;
    static uint64_t next_stamp = 1;
    uint64_t stamp = __atomic_fetch_add(&next_stamp, 1, __ATOMIC_RELAXED);
    /* Only the boxes that changed (and the cursor's old box, to take it
     * off) while the image still has this origin and size; all of it
     * otherwise.  This runs at every frame end while capturing or taking
     * screenshots: 2d-demo changes ~10 small boxes of a 640x480 frame. */
    bool whole = fresh || ex->damage_all || ex->composed_l != l || ex->composed_t != t;
    bool covered = one_screen_covers(ex, l, t, w, h);
    if (whole) {
        compose_box(ex, img, l, t, (exec_box){l, t, r, b}, covered);
        stamp_rows(ex, t, (exec_box){l, t, r, b}, stamp);
    } else {
        if (ex->cursor_drawn) {
            compose_box(ex, img, l, t, ex->cursor_box, covered);
            stamp_rows(ex, t, ex->cursor_box, stamp);
        }
        for (uint32_t i = 0; i < ex->damage_n; i++) {
            compose_box(ex, img, l, t, ex->damage[i], covered);
            stamp_rows(ex, t, ex->damage[i], stamp);
        }
    }
    ex->damage_n = 0;
    ex->damage_all = false;
    ex->composed_l = l;
    ex->composed_t = t;
    draw_cursor(ex, img, l, t);
    if (ex->cursor_drawn) {
        stamp_rows(ex, t, ex->cursor_box, stamp);
    }
    ex->composed_gen = ex->display_gen;
    *out = img;
    return VGT_OK;
}

uint64_t vgt_executor_display_generation(const vgt_executor *ex)
{
    return ex->display_gen;
}

const uint64_t *vgt_executor_composed_row_stamps(const vgt_executor *ex, const vgt_image *img)
{
    return img && img == &ex->composed && ex->row_stamp ? ex->row_stamp : NULL;
}

uint32_t vgt_executor_3d_caps(const vgt_executor *ex, uint32_t *hw_version, uint32_t *words,
                              uint32_t max)
{
    if (ex->e3d) {
        return vgt_exec3d_caps(ex->e3d, hw_version, words, max);
    }
    if (hw_version) {
        *hw_version = 0;
    }
    return 0;
}

const vgt_backend *vgt_executor_backend(const vgt_executor *ex)
{
    return ex->e3d ? &ex->e3d->be : NULL;
}

/* ---- the display model for the 3D state tracker (exec3d.h) -------------- */

vgt_exec3d *vgt_exec_3d(vgt_executor *ex)
{
    return ex->e3d;
}

vgt_status vgt_exec_display_put(vgt_executor *ex, uint32_t screen_id, int64_t x, int64_t y,
                                uint32_t w, uint32_t h, const uint8_t *src, uint64_t pitch,
                                vgt_error *err)
{
    if (screen_id != VGT_SVGA_ID_INVALID) {
        if (screen_id >= VGT_EXEC_MAX_SCREENS || !ex->screens[screen_id].defined) {
            return vgt_error_set(err, VGT_E_NOTFOUND, "screen %u is not defined", screen_id);
        }
        x += ex->screens[screen_id].x;
        y += ex->screens[screen_id].y;
    }
    return put_virtual(ex, x, y, w, h, src, pitch, true, err);
}

vgt_status vgt_exec_display_put_zero(vgt_executor *ex, int64_t x, int64_t y, uint32_t w, uint32_t h,
                                     vgt_error *err)
{
    if (ex->zero_put.valid && ex->zero_put.gen == ex->display_gen && ex->zero_put.x == x &&
        ex->zero_put.y == y && ex->zero_put.w == w && ex->zero_put.h == h) {
        return VGT_OK; /* those pixels are zero already */
    }
    if ((size_t)w * 4u > ex->zero_row_cap) {
        uint8_t *row = calloc(w, 4u);
        if (!row) {
            return vgt_error_set(err, VGT_E_NOMEM, "out of memory for a %u-pixel row", w);
        }
        free(ex->zero_row);
        ex->zero_row = row;
        ex->zero_row_cap = (size_t)w * 4u;
    }
    /* pitch 0: every row is the zero row */
    vgt_status st = put_virtual(ex, x, y, w, h, ex->zero_row, 0, true, err);
    if (st != VGT_OK) {
        return st;
    }
    ex->zero_put.valid = true;
    ex->zero_put.x = x;
    ex->zero_put.y = y;
    ex->zero_put.w = w;
    ex->zero_put.h = h;
    ex->zero_put.gen = ex->display_gen;
    return VGT_OK;
}

vgt_status vgt_exec_display_get(const vgt_executor *ex, uint32_t screen_id, uint32_t x, uint32_t y,
                                uint32_t w, uint32_t h, uint8_t *dst, uint64_t pitch,
                                vgt_error *err)
{
    const exec_screen *s = screen_id < VGT_EXEC_MAX_SCREENS ? &ex->screens[screen_id] : NULL;
    if (!s || !s->defined) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "screen %u is not defined", screen_id);
    }
    if (!vgt_range_inside(x, w, s->w) || !vgt_range_inside(y, h, s->h)) {
        return vgt_error_set(err, VGT_E_RANGE, "(%u,%u) %ux%u is not inside the %ux%u screen %u", x,
                             y, w, h, s->w, s->h, screen_id);
    }
    for (uint32_t r = 0; r < h; r++) {
        memcpy(dst + r * pitch, s->pix + (uint64_t)(y + r) * s->w + x, (size_t)w * 4u);
    }
    return VGT_OK;
}
