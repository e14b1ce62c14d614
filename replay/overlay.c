/* overlay.c - the video overlay units of the VMware escape namespace
 * (SVGA_ESCAPE_VMWARE_VIDEO): SET_REGS stores a unit's registers, FLUSH
 * latches them, reads the YUV frame from guest memory (through the same
 * vgt_guest_memory as every other read, so capture records the bytes and
 * replay serves them), converts and scales it once, and compose draws the
 * result above the screens and below the cursor.  Also the snapshot
 * section "EXVO" that carries the units into a mid-run capture.
 *
 * Conversion: BT.601, limited range (Y 16..235, U/V 16..240), integer:
 *   C = Y - 16, D = U - 128, E = V - 128
 *   R = clamp((298 C + 409 E + 128) >> 8)
 *   G = clamp((298 C - 100 D - 208 E + 128) >> 8)
 *   B = clamp((298 C + 516 D + 128) >> 8)
 * clamp to 0..255.  Everything below is integer arithmetic with one stated
 * rounding, so capture, replay and every backend agree bit for bit.
 *
 * Default filter (docs/device.md "Video overlay"):
 *  1. chroma upsampled to one sample a pixel, from the whole frame's
 *     samples, edge-clamped at the frame's borders.  Horizontally (YUY2,
 *     UYVY, YV12) chroma sample k is co-sited with luma column 2k: an even
 *     column takes it, an odd one (C[k] + C[k+1] + 1) >> 1.  Vertically
 *     (YV12) chroma row j lies midway between luma rows 2j and 2j+1 (MPEG-2
 *     siting): row 2j takes 3 C[j] + C[j-1], row 2j+1 3 C[j] + C[j+1], both
 *     divided by 4 with the horizontal step folded in: even column
 *     (c4[k] + 2) >> 2, odd (c4[k] + c4[k+1] + 4) >> 3.
 *  2. Y, U and V each scaled bilinearly over the source rectangle (taps
 *     edge-clamped at its borders), pixel centres aligned, 8 fractional
 *     bits (bilinear_tap); one rounding: (sum of the four products + 32768)
 *     >> 16 (for an upscale regrouped into a pass along x and one along
 *     y: the same sum, convert_bilinear).
 *     Equal sizes give weight 0: an exact copy.
 *  3. BT.601 as above.
 *
 * Legacy filter (cfg.video_nearest; traces captured before it existed):
 * chroma replicated (YUY2/UYVY pixel x takes the U/V of its pair x/2, YV12
 * pixel (x, y) the U/V at (x/2, y/2)) and nearest neighbour at pixel
 * centres, destination pixel d of a span of n taken from source
 * s + ((2d + 1) * m) / (2n) of a span of m. */
#include "executor_internal.h"
#include "vgt_replayer.h"

#include <stdlib.h>
#include <string.h>

/* All shown units together, in pixels (64 MiB of host memory). */
#define OVERLAY_MAX_PIXELS (4096u * 4096u)
/* A source frame's width and height, each. */
#define OVERLAY_MAX_FRAME_DIM 8192u

#define EXVO_VERSION 1u

uint32_t vgt_exec_overlay_reg_default(uint32_t reg)
{
    switch (reg) {
    case VGT_SVGA_VIDEO_DATA_GMRID:
        return VGT_SVGA_GMR_FRAMEBUFFER; /* svga_reg.h: optional, defaults to the GFB */
    case VGT_SVGA_VIDEO_DST_SCREEN_ID:
        return VGT_SVGA_ID_INVALID; /* virtual coordinates */
    default:
        return 0;
    }
}

static void unit_hide(vgt_executor *ex, exec_overlay *o, bool *changed)
{
    if (!o->shown) {
        return;
    }
    vgt_exec_damage_box(ex, o->x, o->y, o->x + o->w, o->y + o->h);
    free(o->pix);
    o->pix = NULL;
    o->shown = false;
    o->w = o->h = 0;
    ex->overlays_shown--;
    *changed = true;
}

void vgt_exec_overlays_reset(vgt_executor *ex)
{
    for (uint32_t i = 0; i < VGT_SVGA_NUM_OVERLAY_UNITS; i++) {
        exec_overlay *o = &ex->overlays[i];
        free(o->pix);
        memset(o, 0, sizeof(*o));
        for (uint32_t r = 0; r < VGT_SVGA_VIDEO_NUM_REGS; r++) {
            o->regs[r] = vgt_exec_overlay_reg_default(r);
        }
    }
    ex->overlays_shown = 0;
    free(ex->base_row);
    ex->base_row = NULL;
    ex->base_row_cap = 0;
}

/* v >> 8 clamped to 0..255; selects, not branches (a frame's saturated
 * areas and gradients made the branches mispredict) */
static inline uint32_t clamp8(int32_t v)
{
    v = v < 0 ? 0 : v >> 8;
    return (uint32_t)(v > 255 ? 255 : v);
}

static inline uint32_t yuv_to_rgb(uint32_t y, uint32_t u, uint32_t v)
{
    int32_t c = (int32_t)y - 16, d = (int32_t)u - 128, e = (int32_t)v - 128;
    uint32_t r = clamp8(298 * c + 409 * e + 128);
    uint32_t g = clamp8(298 * c - 100 * d - 208 * e + 128);
    uint32_t b = clamp8(298 * c + 516 * d + 128);
    return 0xFF000000u | r << 16 | g << 8 | b;
}

/* Source coordinate of destination pixel d (nearest, pixel centres). */
static uint32_t scale_coord(uint32_t s, uint32_t m, uint32_t n, uint32_t d)
{
    return s + (uint32_t)(((2u * (uint64_t)d + 1u) * m) / (2u * (uint64_t)n));
}

/* One plane of the frame in guest memory: rows of row_bytes, pitch apart. */
typedef struct plane {
    uint64_t offset, pitch, row_bytes;
    uint32_t rows;
} plane;

static vgt_status check_plane(const plane *p, uint32_t stream, const char *name,
                              const char *pitch_reg, vgt_error *err)
{
    if (p->pitch < p->row_bytes) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "video stream %u: %s plane: %s %llu is less than a row's %llu bytes",
                             stream, name, pitch_reg, (unsigned long long)p->pitch,
                             (unsigned long long)p->row_bytes);
    }
    /* offset < 2^46 (YV12 planes start past PITCH * rows of those before),
     * pitch < 2^32, rows <= 2^13: no 64-bit wrap */
    uint64_t end = p->offset + p->pitch * (uint64_t)(p->rows - 1u) + p->row_bytes;
    if (end > (uint64_t)UINT32_MAX + 1u) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "video stream %u: %s plane (offset %llu, %s %llu, %u rows) ends "
                             "beyond 4 GiB",
                             stream, name, (unsigned long long)p->offset, pitch_reg,
                             (unsigned long long)p->pitch, p->rows);
    }
    return VGT_OK;
}

/* The frame as read from guest memory, for the converters. */
typedef struct frame_src {
    uint32_t fmt, fw, fh;
    const uint8_t *at[3]; /* the packed rows, or the Y, V and U planes (rows back to back) */
    size_t row_bytes;     /* packed: bytes a row */
    uint32_t cw, ch;      /* chroma samples a row; YV12: chroma rows */
} frame_src;

/* What is shown: the source rectangle and the destination size. */
typedef struct overlay_rect {
    uint32_t sx, sy, sw, sh, dw, dh;
} overlay_rect;

/* The legacy filter (video_nearest): chroma replicated, nearest neighbour. */
static bool convert_nearest(const frame_src *f, const overlay_rect *rc, uint32_t *pix)
{
    uint32_t *xmap = malloc((size_t)rc->dw * 4u);
    if (!xmap) {
        return false;
    }
    for (uint32_t dx = 0; dx < rc->dw; dx++) {
        xmap[dx] = scale_coord(rc->sx, rc->sw, rc->dw, dx);
    }
    for (uint32_t dy = 0; dy < rc->dh; dy++) {
        uint32_t fy = scale_coord(rc->sy, rc->sh, rc->dh, dy);
        uint32_t *out = pix + (size_t)dy * rc->dw;
        if (f->fmt == VGT_SVGA_FOURCC_YV12) {
            const uint8_t *yr = f->at[0] + (size_t)fy * f->fw;
            const uint8_t *vr = f->at[1] + (size_t)(fy / 2u) * f->cw;
            const uint8_t *ur = f->at[2] + (size_t)(fy / 2u) * f->cw;
            for (uint32_t dx = 0; dx < rc->dw; dx++) {
                uint32_t fx = xmap[dx];
                out[dx] = yuv_to_rgb(yr[fx], ur[fx / 2u], vr[fx / 2u]);
            }
        } else {
            const uint8_t *row = f->at[0] + (size_t)fy * f->row_bytes;
            /* YUY2: Y0 U Y1 V; UYVY: U Y0 V Y1 */
            const bool yuy2 = f->fmt == VGT_SVGA_FOURCC_YUY2;
            for (uint32_t dx = 0; dx < rc->dw; dx++) {
                uint32_t fx = xmap[dx];
                const uint8_t *p = row + (size_t)(fx / 2u) * 4u;
                uint32_t luma = yuy2 ? p[(fx & 1u) * 2u] : p[1u + (fx & 1u) * 2u];
                out[dx] = yuy2 ? yuv_to_rgb(luma, p[1], p[3]) : yuv_to_rgb(luma, p[0], p[2]);
            }
        }
    }
    free(xmap);
    return true;
}

/* Frame row fy, pixels sx .. sx+n-1, in 4:4:4: yo, uo, vo get luma and the
 * chroma upsampled by the rule of the file comment (neighbours from the
 * whole frame, edge-clamped at its borders). */
static void row_444(const frame_src *f, uint32_t fy, uint32_t sx, uint32_t n, uint8_t *yo,
                    uint8_t *uo, uint8_t *vo)
{
    if (f->fmt == VGT_SVGA_FOURCC_YV12) {
        memcpy(yo, f->at[0] + (size_t)fy * f->fw + sx, n);
        /* chroma row j lies between luma rows 2j and 2j+1: the nearer chroma
         * row weighs 3, the next one away (edge-clamped) 1 */
        const uint32_t j = fy / 2u;
        const uint32_t jn = (fy & 1u) ? (j + 1u < f->ch ? j + 1u : j) : (j > 0 ? j - 1u : 0u);
        const uint8_t *v0 = f->at[1] + (size_t)j * f->cw, *v1 = f->at[1] + (size_t)jn * f->cw;
        const uint8_t *u0 = f->at[2] + (size_t)j * f->cw, *u1 = f->at[2] + (size_t)jn * f->cw;
        /* u4/v4: column k's chroma blended vertically (x4), carried from an
         * odd column to the even one after it, which is column k + 1's */
        uint32_t k = sx / 2u;
        uint32_t u4 = 3u * u0[k] + u1[k], v4 = 3u * v0[k] + v1[k];
        for (uint32_t i = 0; i < n; i++) {
            if (((sx + i) & 1u) == 0) {
                uo[i] = (uint8_t)((u4 + 2u) >> 2);
                vo[i] = (uint8_t)((v4 + 2u) >> 2);
                continue;
            }
            /* an odd column's right neighbour exists but at the frame's
             * right edge (then the clamp; no even column follows) */
            const uint32_t k1 = k + 1u < f->cw ? k + 1u : k;
            const uint32_t nu4 = 3u * u0[k1] + u1[k1], nv4 = 3u * v0[k1] + v1[k1];
            uo[i] = (uint8_t)((u4 + nu4 + 4u) >> 3);
            vo[i] = (uint8_t)((v4 + nv4 + 4u) >> 3);
            k = k1;
            u4 = nu4;
            v4 = nv4;
        }
        return;
    }
    const uint8_t *row = f->at[0] + (size_t)fy * f->row_bytes;
    /* YUY2: Y0 U Y1 V; UYVY: U Y0 V Y1 */
    const bool yuy2 = f->fmt == VGT_SVGA_FOURCC_YUY2;
    const uint32_t yoff = yuy2 ? 0u : 1u, uoff = yuy2 ? 1u : 0u, voff = yuy2 ? 3u : 2u;
    for (uint32_t i = 0; i < n; i++) {
        const uint32_t x = sx + i, k = x / 2u;
        const uint8_t *p = row + (size_t)k * 4u;
        yo[i] = p[yoff + (x & 1u) * 2u];
        if ((x & 1u) == 0) {
            uo[i] = p[uoff];
            vo[i] = p[voff];
        } else {
            const uint8_t *q = row + (size_t)(k + 1u < f->cw ? k + 1u : k) * 4u;
            uo[i] = (uint8_t)((p[uoff] + q[uoff] + 1u) >> 1);
            vo[i] = (uint8_t)((p[voff] + q[voff] + 1u) >> 1);
        }
    }
}

/* A bilinear tap along one axis: source i0 weighs 256 - w, i1 weighs w. */
typedef struct tap {
    uint32_t i0, i1, w;
} tap;

/* Destination pixel d of n over a source span of m (pixel centres
 * aligned): p = floor((2d + 1) * m * 256 / (2n)) - 128 in 1/256 source
 * pixels, clamped to 0 .. 256 (m - 1); i0 = p >> 8, w = p & 255, i1 = i0 + 1
 * but at the span's last pixel (then w = 0). */
static tap bilinear_tap(uint32_t m, uint32_t n, uint32_t d)
{
    /* (2d + 1) * m * 256 < 2^14 * 2^13 * 2^8: no 64-bit wrap */
    int64_t p = (int64_t)(((2u * (uint64_t)d + 1u) * m * 256u) / (2u * (uint64_t)n)) - 128;
    p = p < 0 ? 0 : p;
    tap t = {(uint32_t)(p >> 8), 0, (uint32_t)(p & 255)};
    if (t.i0 >= m - 1u) {
        t.i0 = m - 1u;
        t.w = 0;
    }
    t.i1 = t.i0 + (t.w != 0 ? 1u : 0u);
    return t;
}

/* The rows of the source rectangle the current destination row blends,
 * in 4:4:4 (Y, U, V planes of sw bytes each), and, for an upscale, each
 * blended along x (h: Y, U, V of dw values each; see convert_bilinear). */
typedef struct row_pair {
    uint8_t *row[2];
    uint16_t *h[2]; /* NULL: rows are blended in one step */
    int64_t tag[2]; /* the rectangle row a slot holds, -1: none */
    const tap *xt;  /* the destination columns' taps */
} row_pair;

/* The slot holding rectangle row r, read (and blended along x) if no slot
 * does; never the slot of row keep, the other row of the pair. */
static uint32_t pair_slot(row_pair *c, const frame_src *f, const overlay_rect *rc, uint32_t r,
                          uint32_t keep)
{
    uint32_t s = c->tag[0] == (int64_t)r ? 0u : c->tag[1] == (int64_t)r ? 1u : 2u;
    if (s != 2u) {
        return s;
    }
    s = c->tag[0] == (int64_t)keep ? 1u : 0u;
    const size_t sw = rc->sw, dw = rc->dw;
    uint8_t *b = c->row[s];
    row_444(f, rc->sy + r, rc->sx, rc->sw, b, b + sw, b + 2u * sw);
    if (c->h[s]) {
        for (uint32_t k = 0; k < 3; k++) {
            const uint8_t *in = b + k * sw;
            uint16_t *h = c->h[s] + k * dw;
            for (size_t dx = 0; dx < dw; dx++) {
                const tap tx = c->xt[dx];
                h[dx] = (uint16_t)(in[tx.i0] * (256u - tx.w) + in[tx.i1] * tx.w);
            }
        }
    }
    c->tag[s] = r;
    return s;
}

/* The default filter: chroma interpolated to 4:4:4, then Y, U and V each
 * scaled bilinearly (8-bit weights, one rounding), then BT.601.
 *
 * When the destination has at least as many rows as the source, a source
 * row serves one or more destination rows, so it is blended along x once,
 * without rounding, h = s[i0] (256 - wx) + s[i1] wx (at most 255 * 256: 16
 * bits), and each destination pixel takes (h0 (256 - wy) + h1 wy + 32768)
 * >> 16: the same sum of four products regrouped, bit for bit the 2D
 * formula's, in two multiplications a channel instead of four.  When it
 * has fewer, most source rows serve one destination row or none, and the
 * four products are summed directly. */
static bool convert_bilinear(const frame_src *f, const overlay_rect *rc, uint32_t *pix)
{
    const size_t sw = rc->sw, dw = rc->dw;
    const bool two_pass = rc->dh >= rc->sh;
    tap *xt = malloc(dw * sizeof(*xt));
    uint8_t *rows = malloc(6u * sw);
    uint16_t *h = two_pass ? malloc(6u * dw * sizeof(*h)) : NULL;
    if (!xt || !rows || (two_pass && !h)) {
        free(xt);
        free(rows);
        free(h);
        return false;
    }
    if (rc->dw == rc->sw && rc->dh == rc->sh) {
        /* every weight is 0: the 4:4:4 frame converted as it is, which is
         * what the blend below gives, without its multiplications */
        for (uint32_t y = 0; y < rc->sh; y++) {
            row_444(f, rc->sy + y, rc->sx, rc->sw, rows, rows + sw, rows + 2u * sw);
            uint32_t *out = pix + (size_t)y * dw;
            for (uint32_t x = 0; x < rc->sw; x++) {
                out[x] = yuv_to_rgb(rows[x], rows[sw + x], rows[2u * sw + x]);
            }
        }
        free(xt);
        free(rows);
        free(h);
        return true;
    }
    for (uint32_t dx = 0; dx < rc->dw; dx++) {
        xt[dx] = bilinear_tap(rc->sw, rc->dw, dx);
    }
    row_pair c = {{rows, rows + 3u * sw}, {h, h ? h + 3u * dw : NULL}, {-1, -1}, xt};
    for (uint32_t dy = 0; dy < rc->dh; dy++) {
        const tap ty = bilinear_tap(rc->sh, rc->dh, dy);
        const uint32_t s0 = pair_slot(&c, f, rc, ty.i0, ty.i1);
        const uint32_t s1 = pair_slot(&c, f, rc, ty.i1, ty.i0);
        uint32_t *out = pix + (size_t)dy * dw;
        if (two_pass) {
            const uint16_t *h0 = c.h[s0], *h1 = c.h[s1];
            const uint32_t w0 = 256u - ty.w, w1 = ty.w;
            for (size_t dx = 0; dx < dw; dx++) {
                /* at most 65280 * 256 + 32768: fits */
                const uint32_t y = (h0[dx] * w0 + h1[dx] * w1 + 32768u) >> 16;
                const uint32_t u = (h0[dw + dx] * w0 + h1[dw + dx] * w1 + 32768u) >> 16;
                const uint32_t v = (h0[2u * dw + dx] * w0 + h1[2u * dw + dx] * w1 + 32768u) >> 16;
                out[dx] = yuv_to_rgb(y, u, v);
            }
            continue;
        }
        const uint8_t *r0 = c.row[s0], *r1 = c.row[s1];
        for (size_t dx = 0; dx < dw; dx++) {
            const tap tx = xt[dx];
            const uint32_t w00 = (256u - tx.w) * (256u - ty.w), w01 = tx.w * (256u - ty.w);
            const uint32_t w10 = (256u - tx.w) * ty.w, w11 = tx.w * ty.w;
            uint32_t v[3];
            for (uint32_t k = 0; k < 3; k++) {
                const size_t o = k * sw;
                /* at most 255 * 65536 + 32768: fits */
                v[k] = (r0[o + tx.i0] * w00 + r0[o + tx.i1] * w01 + r1[o + tx.i0] * w10 +
                        r1[o + tx.i1] * w11 + 32768u) >>
                       16;
            }
            out[dx] = yuv_to_rgb(v[0], v[1], v[2]);
        }
    }
    free(xt);
    free(rows);
    free(h);
    return true;
}

/* FLUSH: the registers take effect; the frame is read now. */
static vgt_status unit_flush(vgt_executor *ex, uint32_t stream, bool *changed, vgt_error *err)
{
    exec_overlay *o = &ex->overlays[stream];
    const uint32_t *g = o->regs;
    /* Whatever the unit showed goes; a flush that fails leaves it hidden. */
    unit_hide(ex, o, changed);
    if (!g[VGT_SVGA_VIDEO_ENABLED]) {
        return VGT_OK;
    }
    uint32_t fmt = g[VGT_SVGA_VIDEO_FORMAT];
    if (fmt != VGT_SVGA_FOURCC_YUY2 && fmt != VGT_SVGA_FOURCC_UYVY && fmt != VGT_SVGA_FOURCC_YV12) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "video stream %u: FORMAT 0x%08x is not YV12, YUY2 or UYVY", stream,
                             fmt);
    }
    uint32_t fw = g[VGT_SVGA_VIDEO_WIDTH], fh = g[VGT_SVGA_VIDEO_HEIGHT];
    if (fw == 0 || fh == 0 || fw > OVERLAY_MAX_FRAME_DIM || fh > OVERLAY_MAX_FRAME_DIM) {
        return vgt_error_set(err, VGT_E_RANGE, "video stream %u: frame %ux%u (1..%u each)", stream,
                             fw, fh, OVERLAY_MAX_FRAME_DIM);
    }
    uint32_t sx = g[VGT_SVGA_VIDEO_SRC_X], sy = g[VGT_SVGA_VIDEO_SRC_Y];
    uint32_t sw = g[VGT_SVGA_VIDEO_SRC_WIDTH], sh = g[VGT_SVGA_VIDEO_SRC_HEIGHT];
    if (sw == 0 || sh == 0 || !vgt_range_inside(sx, sw, fw) || !vgt_range_inside(sy, sh, fh)) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "video stream %u: source (%u,%u) %ux%u is not inside the %ux%u frame",
                             stream, sx, sy, sw, sh, fw, fh);
    }
    uint32_t dw = g[VGT_SVGA_VIDEO_DST_WIDTH], dh = g[VGT_SVGA_VIDEO_DST_HEIGHT];
    if (dw == 0 || dh == 0) {
        return VGT_OK; /* an empty destination shows nothing, and reads nothing */
    }
    if (dw > VGT_EXEC_MAX_SCREEN_DIM || dh > VGT_EXEC_MAX_SCREEN_DIM) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "video stream %u: destination %ux%u (at most %u each)", stream, dw, dh,
                             VGT_EXEC_MAX_SCREEN_DIM);
    }
    uint64_t pixels = (uint64_t)dw * dh;
    for (uint32_t i = 0; i < VGT_SVGA_NUM_OVERLAY_UNITS; i++) {
        pixels += ex->overlays[i].shown ? (uint64_t)ex->overlays[i].w * ex->overlays[i].h : 0u;
    }
    if (pixels > OVERLAY_MAX_PIXELS) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "video stream %u: destination %ux%u: the shown units would hold "
                             "%llu pixels (at most %u)",
                             stream, dw, dh, (unsigned long long)pixels, OVERLAY_MAX_PIXELS);
    }
    int64_t x = (int32_t)g[VGT_SVGA_VIDEO_DST_X], y = (int32_t)g[VGT_SVGA_VIDEO_DST_Y];
    uint32_t screen = g[VGT_SVGA_VIDEO_DST_SCREEN_ID];
    if (screen != VGT_SVGA_ID_INVALID) {
        if (screen >= VGT_EXEC_MAX_SCREENS || !ex->screens[screen].defined) {
            return vgt_error_set(err, VGT_E_NOTFOUND,
                                 "video stream %u: DST_SCREEN_ID %u is not a defined screen",
                                 stream, screen);
        }
        x += ex->screens[screen].x; /* placed once, at the flush */
        y += ex->screens[screen].y;
    }

    /* The planes, in guest memory order. */
    plane pl[3];
    uint32_t np;
    uint64_t off = g[VGT_SVGA_VIDEO_DATA_OFFSET];
    const uint32_t gmr = g[VGT_SVGA_VIDEO_DATA_GMRID];
    const uint64_t cw = ((uint64_t)fw + 1u) / 2u, ch = ((uint64_t)fh + 1u) / 2u;
    if (fmt == VGT_SVGA_FOURCC_YV12) {
        /* Y, then V, then U (half width and height), each with its pitch */
        pl[0] = (plane){off, g[VGT_SVGA_VIDEO_PITCH_1], fw, fh};
        pl[1] = (plane){off + pl[0].pitch * fh, g[VGT_SVGA_VIDEO_PITCH_2], cw, (uint32_t)ch};
        pl[2] =
            (plane){pl[1].offset + pl[1].pitch * ch, g[VGT_SVGA_VIDEO_PITCH_3], cw, (uint32_t)ch};
        np = 3;
    } else {
        pl[0] = (plane){off, g[VGT_SVGA_VIDEO_PITCH_1], cw * 4u, fh}; /* 4 bytes a pair */
        np = 1;
    }
    static const char *const pitch_regs[3] = {"PITCH_1", "PITCH_2", "PITCH_3"};
    static const char *const packed_name[1] = {"packed"}, *const yv12_names[3] = {"Y", "V", "U"};
    const char *const *names = np == 1 ? packed_name : yv12_names;
    uint64_t total = 0;
    for (uint32_t i = 0; i < np; i++) {
        vgt_status st = check_plane(&pl[i], stream, names[i], pitch_regs[i], err);
        if (st != VGT_OK) {
            return st;
        }
        total += pl[i].row_bytes * pl[i].rows; /* at most 2^27 */
    }
    uint8_t *buf = malloc((size_t)total);
    uint32_t *pix = malloc((size_t)dw * dh * 4u);
    if (!buf || !pix) {
        free(buf);
        free(pix);
        return vgt_error_set(err, VGT_E_NOMEM, "video stream %u: out of memory for a %ux%u frame",
                             stream, fw, fh);
    }
    frame_src f = {.fmt = fmt,
                   .fw = fw,
                   .fh = fh,
                   .row_bytes = (size_t)pl[0].row_bytes,
                   .cw = (uint32_t)cw,
                   .ch = (uint32_t)ch};
    uint64_t pos = 0;
    for (uint32_t i = 0; i < np; i++) {
        f.at[i] = buf + pos;
        vgt_status st =
            vgt_exec_mem_read_rows(ex, gmr, pl[i].offset, pl[i].pitch, pl[i].row_bytes, pl[i].rows,
                                   buf + pos, (size_t)pl[i].row_bytes, "frame", 0, err);
        if (st != VGT_OK) {
            vgt_error_prefix(err, "video stream %u: %s plane in GMR 0x%x", stream, names[i], gmr);
            free(buf);
            free(pix);
            return st;
        }
        pos += pl[i].row_bytes * pl[i].rows;
    }
    const overlay_rect rc = {sx, sy, sw, sh, dw, dh};
    bool ok =
        ex->cfg.video_nearest ? convert_nearest(&f, &rc, pix) : convert_bilinear(&f, &rc, pix);
    free(buf);
    if (!ok) {
        free(pix);
        return vgt_error_set(err, VGT_E_NOMEM,
                             "video stream %u: out of memory to scale a %ux%u frame", stream, fw,
                             fh);
    }
    o->pix = pix;
    o->w = dw;
    o->h = dh;
    o->x = x;
    o->y = y;
    o->colorkey = (g[VGT_SVGA_VIDEO_FLAGS] & VGT_SVGA_VIDEO_FLAG_COLORKEY) != 0;
    o->key = g[VGT_SVGA_VIDEO_COLORKEY] & VGT_SVGA_VIDEO_COLORKEY_MASK;
    o->shown = true;
    ex->overlays_shown++;
    vgt_exec_damage_box(ex, x, y, x + dw, y + dh);
    *changed = true;
    return VGT_OK;
}

vgt_status vgt_exec_escape(vgt_executor *ex, const vgt_cmd *cmd, bool *changed, vgt_error *err)
{
    *changed = false;
    const uint32_t bytes = cmd->data_bytes;
    if (ex->cfg.no_video || cmd->u.escape.nsid != VGT_SVGA_ESCAPE_NSID_VMWARE || bytes < 4u ||
        (cmd->data[0] & VGT_SVGA_ESCAPE_VMWARE_MAJOR_MASK) != VGT_SVGA_ESCAPE_VMWARE_VIDEO) {
        return VGT_OK; /* no overlay offered, another namespace or major command: ignored */
    }
    const uint32_t type = cmd->data[0];
    if (bytes < 8u) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "video escape 0x%08x: %u payload bytes, its type and stream id need 8",
                             type, bytes);
    }
    const uint32_t stream = cmd->data[1];
    if (stream >= VGT_SVGA_NUM_OVERLAY_UNITS) {
        return vgt_error_set(err, VGT_E_RANGE, "video escape 0x%08x: stream %u (units 0..%u)", type,
                             stream, VGT_SVGA_NUM_OVERLAY_UNITS - 1u);
    }
    switch (type) {
    case VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS: {
        if ((bytes - 8u) % 8u != 0) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "video SET_REGS, stream %u: %u payload bytes are not 8 plus 8 a "
                                 "register",
                                 stream, bytes);
        }
        const uint32_t n = (bytes - 8u) / 8u;
        /* all or nothing: every register id is checked before any is set */
        for (uint32_t i = 0; i < n; i++) {
            uint32_t reg = cmd->data[2u + 2u * i];
            if (reg >= VGT_SVGA_VIDEO_NUM_REGS) {
                return vgt_error_set(err, VGT_E_RANGE,
                                     "video SET_REGS, stream %u, item %u: register %u (0..%u)",
                                     stream, i, reg, VGT_SVGA_VIDEO_NUM_REGS - 1u);
            }
        }
        for (uint32_t i = 0; i < n; i++) {
            ex->overlays[stream].regs[cmd->data[2u + 2u * i]] = cmd->data[3u + 2u * i];
        }
        return VGT_OK;
    }
    case VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH:
        if (bytes != 8u) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "video FLUSH, stream %u: %u payload bytes (exactly 8)", stream,
                                 bytes);
        }
        return unit_flush(ex, stream, changed, err);
    default:
        return vgt_error_set(err, VGT_E_INVALID, "video escape: unknown type 0x%08x", type);
    }
}

/* The part [*a, *b) of the row segment [l, r) at row y that unit o covers. */
static bool unit_span(const exec_overlay *o, int64_t l, int64_t r, int64_t y, int64_t *a,
                      int64_t *b)
{
    if (!o->shown || y < o->y || y >= o->y + (int64_t)o->h) {
        return false;
    }
    *a = l > o->x ? l : o->x;
    *b = r < o->x + (int64_t)o->w ? r : o->x + (int64_t)o->w;
    return *a < *b;
}

void vgt_exec_overlays_draw_row(const vgt_executor *ex, vgt_image *img, int64_t ox, int64_t oy,
                                int64_t l, int64_t r, int64_t y)
{
    uint8_t *row = img->pixels + (uint64_t)(y - oy) * img->stride;
    int64_t a, b;
    /* The key is compared with the base layer, not with a unit below: when
     * a keyed unit is on this row, keep the row as the screens left it
     * before any unit draws. */
    for (uint32_t i = 0; i < VGT_SVGA_NUM_OVERLAY_UNITS; i++) {
        const exec_overlay *o = &ex->overlays[i];
        if (o->colorkey && unit_span(o, l, r, y, &a, &b)) {
            for (int64_t x = l; x < r; x++) {
                ex->base_row[x - l] = vgt_load_le32(row + (uint64_t)(x - ox) * 4u);
            }
            break;
        }
    }
    for (uint32_t i = 0; i < VGT_SVGA_NUM_OVERLAY_UNITS; i++) {
        const exec_overlay *o = &ex->overlays[i];
        if (!unit_span(o, l, r, y, &a, &b)) {
            continue;
        }
        const uint32_t *src = o->pix + (uint64_t)(y - o->y) * o->w;
        for (int64_t x = a; x < b; x++) {
            if (o->colorkey && (ex->base_row[x - l] & VGT_SVGA_VIDEO_COLORKEY_MASK) != o->key) {
                continue;
            }
            vgt_store_le32(row + (uint64_t)(x - ox) * 4u, src[x - o->x]);
        }
    }
}

/* ---- the "EXVO" snapshot section ---------------------------------------- */

static bool unit_is_default(const exec_overlay *o)
{
    if (o->shown) {
        return false;
    }
    for (uint32_t r = 0; r < VGT_SVGA_VIDEO_NUM_REGS; r++) {
        if (o->regs[r] != vgt_exec_overlay_reg_default(r)) {
            return false;
        }
    }
    return true;
}

vgt_status vgt_executor_snapshot_save_video(const vgt_executor *ex, uint8_t **out, size_t *size,
                                            vgt_error *err)
{
    *out = NULL;
    *size = 0;
    uint32_t n = 0;
    for (uint32_t i = 0; i < VGT_SVGA_NUM_OVERLAY_UNITS; i++) {
        n += !unit_is_default(&ex->overlays[i]);
    }
    if (n == 0) {
        return VGT_OK; /* no section: the units are as at power-on */
    }
    snap_buf b = {0};
    snap_put32(&b, EXVO_VERSION);
    snap_put32(&b, 0);
    snap_put32(&b, n);
    for (uint32_t i = 0; i < VGT_SVGA_NUM_OVERLAY_UNITS; i++) {
        const exec_overlay *o = &ex->overlays[i];
        if (unit_is_default(o)) {
            continue;
        }
        snap_put32(&b, i);
        for (uint32_t r = 0; r < VGT_SVGA_VIDEO_NUM_REGS; r++) {
            snap_put32(&b, o->regs[r]);
        }
        snap_put32(&b, o->shown ? 1u : 0u);
        if (!o->shown) {
            continue;
        }
        snap_put32(&b, o->colorkey ? 1u : 0u);
        snap_put32(&b, o->key);
        snap_put32(&b, (uint32_t)(uint64_t)o->x);
        snap_put32(&b, (uint32_t)((uint64_t)o->x >> 32));
        snap_put32(&b, (uint32_t)(uint64_t)o->y);
        snap_put32(&b, (uint32_t)((uint64_t)o->y >> 32));
        snap_put32(&b, o->w);
        snap_put32(&b, o->h);
        for (size_t k = 0; k < (size_t)o->w * o->h; k++) {
            snap_put32(&b, o->pix[k]);
        }
    }
    if (b.failed) {
        free(b.p);
        return vgt_error_set(err, VGT_E_NOMEM, "state snapshot (video overlays): out of memory");
    }
    *out = b.p;
    *size = b.len;
    return VGT_OK;
}

vgt_status vgt_executor_snapshot_load_video(vgt_executor *ex, const void *data, size_t size,
                                            vgt_error *err)
{
    snap_rd r = {data, size, 0, false};
    vgt_exec_overlays_reset(ex);
    /* whatever the units showed is gone, whether the load succeeds or not */
    ex->display_gen++;
    ex->damage_all = true;
    const char *why = "cut short";
    uint32_t version = snap_get32(&r), flags = snap_get32(&r), n = snap_get32(&r);
    if (!r.bad && version != EXVO_VERSION) {
        return vgt_error_set(err, VGT_E_VERSION,
                             "state snapshot: video overlay section version %u (this build reads "
                             "%u)",
                             version, EXVO_VERSION);
    }
    if (!r.bad && (flags != 0 || n > VGT_SVGA_NUM_OVERLAY_UNITS)) {
        why = "flags or unit count the reader cannot take";
        r.bad = true;
    }
    uint64_t pixels = 0;
    bool seen[VGT_SVGA_NUM_OVERLAY_UNITS] = {false};
    for (uint32_t k = 0; k < n && !r.bad; k++) {
        uint32_t id = snap_get32(&r);
        if (!r.bad && (id >= VGT_SVGA_NUM_OVERLAY_UNITS || seen[id])) {
            why = "bad unit (id or duplicate)";
            r.bad = true;
            break;
        }
        exec_overlay *o = &ex->overlays[id < VGT_SVGA_NUM_OVERLAY_UNITS ? id : 0];
        seen[id < VGT_SVGA_NUM_OVERLAY_UNITS ? id : 0] = true;
        for (uint32_t g = 0; g < VGT_SVGA_VIDEO_NUM_REGS; g++) {
            o->regs[g] = snap_get32(&r);
        }
        if (snap_get32(&r) == 0 || r.bad) {
            continue;
        }
        bool ck = snap_get32(&r) != 0;
        uint32_t key = snap_get32(&r);
        uint64_t xl = snap_get32(&r), xh = snap_get32(&r), yl = snap_get32(&r), yh = snap_get32(&r);
        uint32_t w = snap_get32(&r), h = snap_get32(&r);
        if (r.bad) {
            break;
        }
        pixels += (uint64_t)w * h;
        int64_t x = (int64_t)(xl | xh << 32), y = (int64_t)(yl | yh << 32);
        /* live, a position is a screen's plus a signed 32-bit offset */
        const int64_t lim = (int64_t)1 << 33;
        if (x < -lim || x > lim || y < -lim || y > lim) {
            why = "unit position out of range";
            r.bad = true;
            break;
        }
        if (w == 0 || h == 0 || w > VGT_EXEC_MAX_SCREEN_DIM || h > VGT_EXEC_MAX_SCREEN_DIM ||
            pixels > OVERLAY_MAX_PIXELS || (r.len - r.pos) / 4u < (uint64_t)w * h) {
            why = "bad unit size (or the pixels are cut short)";
            r.bad = true;
            break;
        }
        o->pix = malloc((size_t)w * h * 4u);
        if (!o->pix) {
            why = "out of memory";
            r.bad = true;
            break;
        }
        for (size_t i = 0; i < (size_t)w * h; i++) {
            o->pix[i] = vgt_load_le32(r.p + r.pos + 4u * i);
        }
        r.pos += (size_t)w * h * 4u;
        o->colorkey = ck;
        o->key = key & VGT_SVGA_VIDEO_COLORKEY_MASK;
        o->x = x;
        o->y = y;
        o->w = w;
        o->h = h;
        o->shown = true;
        ex->overlays_shown++;
    }
    if (!r.bad && r.pos != r.len) {
        why = "trailing bytes";
        r.bad = true;
    }
    if (r.bad) {
        vgt_exec_overlays_reset(ex);
        return vgt_error_set(err, VGT_E_FORMAT,
                             "state snapshot: video overlay section (%zu bytes): %s at byte %zu",
                             size, why, r.pos);
    }
    return VGT_OK;
}
