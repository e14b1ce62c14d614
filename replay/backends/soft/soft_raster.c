/* soft_raster.c - coverage (triangles, lines, points) and the per-pixel
 * pipeline: texture stages, specular, fog, alpha test, stencil, depth,
 * blending, color write.
 *
 * Work is split in bands of SOFT_BAND_ROWS rows; one band is rendered by
 * one thread, primitive after primitive in draw order, so every pixel is
 * written by exactly one thread in draw order.  Attributes are evaluated
 * directly from their plane equations at each pixel (no incremental
 * stepping), so a pixel's value does not depend on the band split.
 *
 * A span of up to SOFT_SPAN_MAX pixels goes through the pipeline one stage
 * at a time; the state a stage depends on is decided once per span, not
 * per pixel. */
#include <math.h>
#include <string.h>

#include "soft_shader.h"

/* ---- helpers ------------------------------------------------------------ */

static inline bool cmp_u32(uint32_t func, uint32_t a, uint32_t b)
{
    switch (func) {
    case VGT_SVGA3D_CMP_NEVER:
        return false;
    case VGT_SVGA3D_CMP_LESS:
        return a < b;
    case VGT_SVGA3D_CMP_EQUAL:
        return a == b;
    case VGT_SVGA3D_CMP_LESSEQUAL:
        return a <= b;
    case VGT_SVGA3D_CMP_GREATER:
        return a > b;
    case VGT_SVGA3D_CMP_NOTEQUAL:
        return a != b;
    case VGT_SVGA3D_CMP_GREATEREQUAL:
        return a >= b;
    default:
        return true;
    }
}

static inline uint32_t stencil_op(uint32_t op, uint32_t s, uint32_t ref)
{
    switch (op) {
    case VGT_SVGA3D_STENCILOP_ZERO:
        return 0;
    case VGT_SVGA3D_STENCILOP_REPLACE:
        return ref & 0xff;
    case VGT_SVGA3D_STENCILOP_INCRSAT:
        return s < 255 ? s + 1 : 255;
    case VGT_SVGA3D_STENCILOP_DECRSAT:
        return s > 0 ? s - 1 : 0;
    case VGT_SVGA3D_STENCILOP_INVERT:
        return ~s & 0xff;
    case VGT_SVGA3D_STENCILOP_INCR:
        return (s + 1) & 0xff;
    case VGT_SVGA3D_STENCILOP_DECR:
        return (s - 1) & 0xff;
    default:
        return s;
    }
}

/* ---- depth / stencil ------------------------------------------------------ */

static inline uint32_t depth_read(uint32_t fmt, const uint8_t *p, uint32_t *stencil)
{
    if (fmt == VGT_SVGA3D_Z_D16) {
        *stencil = 0;
        return vgt_load_le16(p);
    }
    uint32_t v = vgt_load_le32(p);
    if (fmt == VGT_SVGA3D_Z_D32) {
        *stencil = 0;
        return v;
    }
    *stencil = v & 0xff;
    return v >> 8;
}

static inline void depth_write(uint32_t fmt, uint8_t *p, uint32_t d, uint32_t stencil)
{
    if (fmt == VGT_SVGA3D_Z_D16) {
        vgt_store_le16(p, (uint16_t)d);
    } else if (fmt == VGT_SVGA3D_Z_D32) {
        vgt_store_le32(p, d);
    } else {
        vgt_store_le32(p, (d << 8) | (stencil & 0xff));
    }
}

/* The depth-only loop, specialised on format and function by inlining. */
static inline __attribute__((always_inline)) void
depth_only(uint8_t *row, uint32_t bpp, const uint32_t fmt, const uint32_t func, bool write,
           int32_t xa, uint32_t n, const float *z, uint8_t *live)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!live[i]) {
            continue;
        }
        uint8_t *p = row + (size_t)(xa + (int32_t)i) * bpp;
        uint32_t s;
        uint32_t d = depth_read(fmt, p, &s);
        uint32_t zq = soft_depth_quant(fmt, z[i]);
        if (!cmp_u32(func, zq, d)) {
            live[i] = 0;
        } else if (write) {
            depth_write(fmt, p, zq, s);
        }
    }
}

/* The stencil function and ops a primitive takes (two-sided: by winding). */
static inline void stencil_face(const vgt_soft_draw_state *st, const soft_prim *pr, uint32_t *func,
                                uint32_t *op_fail, uint32_t *op_zfail, uint32_t *op_pass)
{
    bool back = st->stencil_two_sided && pr->ccw;
    *func = back ? st->ccw_stencil_func : st->stencil_func;
    *op_fail = back ? st->ccw_stencil_fail : st->stencil_fail;
    *op_zfail = back ? st->ccw_stencil_zfail : st->stencil_zfail;
    *op_pass = back ? st->ccw_stencil_pass : st->stencil_pass;
}

static void ds_test(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t py, int32_t xa,
                    uint32_t n, const float *z, uint8_t *live)
{
    const vgt_soft_draw_state *st = ctx->st;
    uint32_t fmt = ctx->dfmt;
    uint32_t bpp = fmt == VGT_SVGA3D_Z_D16 ? 2 : 4;
    uint8_t *row = ctx->depth + (uint64_t)py * ctx->depth_pitch;
    bool stencil = st->stencil_enable && fmt == VGT_SVGA3D_Z_D24S8;
    if (!stencil) {
        if (!st->z_enable) {
            return;
        }
        /* specialisations of the common cases */
        if (fmt == VGT_SVGA3D_Z_D24S8 || fmt == VGT_SVGA3D_Z_D24X8) {
            if (st->z_func == VGT_SVGA3D_CMP_LESSEQUAL) {
                depth_only(row, 4, VGT_SVGA3D_Z_D24S8, VGT_SVGA3D_CMP_LESSEQUAL, st->z_write, xa, n,
                           z, live);
            } else if (st->z_func == VGT_SVGA3D_CMP_LESS) {
                depth_only(row, 4, VGT_SVGA3D_Z_D24S8, VGT_SVGA3D_CMP_LESS, st->z_write, xa, n, z,
                           live);
            } else {
                depth_only(row, 4, VGT_SVGA3D_Z_D24S8, st->z_func, st->z_write, xa, n, z, live);
            }
        } else {
            depth_only(row, bpp, fmt, st->z_func, st->z_write, xa, n, z, live);
        }
        return;
    }
    uint32_t func, op_fail, op_zfail, op_pass;
    stencil_face(st, pr, &func, &op_fail, &op_zfail, &op_pass);
    uint32_t ref = st->stencil_ref & 0xff, mask = st->stencil_mask & 0xff;
    uint32_t wmask = st->stencil_write_mask & 0xff;
    for (uint32_t i = 0; i < n; i++) {
        if (!live[i]) {
            continue;
        }
        uint8_t *p = row + (size_t)(xa + (int32_t)i) * bpp;
        uint32_t s;
        uint32_t d = depth_read(fmt, p, &s);
        uint32_t ns, nd = d;
        if (!cmp_u32(func, ref & mask, s & mask)) {
            ns = stencil_op(op_fail, s, ref);
            live[i] = 0;
        } else {
            uint32_t zq = soft_depth_quant(fmt, z[i]);
            if (st->z_enable && !cmp_u32(st->z_func, zq, d)) {
                ns = stencil_op(op_zfail, s, ref);
                live[i] = 0;
            } else {
                ns = stencil_op(op_pass, s, ref);
                if (st->z_enable && st->z_write) {
                    nd = zq;
                }
            }
        }
        ns = (s & ~wmask) | (ns & wmask);
        if (ns != s || nd != d) {
            depth_write(fmt, p, nd, ns);
        }
    }
}

void soft_ds_test(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t py, int32_t xa, uint32_t n,
                  const float *z, uint8_t *live)
{
    ds_test(ctx, pr, py, xa, n, z, live);
}

bool soft_cmp_u32(uint32_t func, uint32_t a, uint32_t b)
{
    return cmp_u32(func, a, b);
}

/* ---- texture stages ------------------------------------------------------- */

typedef struct pix {
    float diffuse[4], specular[4], tex[4], current[4], temp[4];
} pix;

static inline void get_arg(const soft_draw_ctx *ctx, const pix *p, uint32_t arg, float out[4])
{
    const float *src;
    switch (arg & VGT_SOFT_TA_SELECT_MASK) {
    case VGT_SVGA3D_TA_CONSTANT:
        src = ctx->tfactor;
        break;
    case VGT_SVGA3D_TA_DIFFUSE:
        src = p->diffuse;
        break;
    case VGT_SVGA3D_TA_TEXTURE:
        src = p->tex;
        break;
    case VGT_SVGA3D_TA_SPECULAR:
        src = p->specular;
        break;
    case VGT_SOFT_TA_TEMP:
        src = p->temp;
        break;
    default: /* CURRENT */
        src = p->current;
        break;
    }
    for (int k = 0; k < 4; k++) {
        out[k] = (arg & VGT_SVGA3D_TM_ONE_MINUS) ? 1.0f - src[k] : src[k];
    }
    if (arg & VGT_SVGA3D_TM_ALPHA) {
        out[0] = out[1] = out[2] = out[3];
    }
}

/* Applies op to channels [c0, c1) of the arguments (not DOTPRODUCT3). */
static inline void combine(uint32_t op, const float *a0, const float *a1, const float *a2,
                           const pix *p, const float tfactor_a, int c0, int c1, float *out)
{
    for (int c = c0; c < c1; c++) {
        float r, x = a1[c], y = a2[c];
        switch (op) {
        case VGT_SVGA3D_TC_SELECTARG1:
            r = x;
            break;
        case VGT_SVGA3D_TC_SELECTARG2:
            r = y;
            break;
        case VGT_SVGA3D_TC_MODULATE:
            r = x * y;
            break;
        case VGT_SVGA3D_TC_MODULATE2X:
            r = x * y * 2.0f;
            break;
        case VGT_SVGA3D_TC_MODULATE4X:
            r = x * y * 4.0f;
            break;
        case VGT_SVGA3D_TC_ADD:
            r = x + y;
            break;
        case VGT_SVGA3D_TC_ADDSIGNED:
            r = x + y - 0.5f;
            break;
        case VGT_SVGA3D_TC_ADDSIGNED2X:
            r = (x + y - 0.5f) * 2.0f;
            break;
        case VGT_SVGA3D_TC_SUBTRACT:
            r = x - y;
            break;
        case VGT_SVGA3D_TC_ADDSMOOTH:
            r = x + y - x * y;
            break;
        case VGT_SVGA3D_TC_BLENDDIFFUSEALPHA:
            r = x * p->diffuse[3] + y * (1.0f - p->diffuse[3]);
            break;
        case VGT_SVGA3D_TC_BLENDTEXTUREALPHA:
            r = x * p->tex[3] + y * (1.0f - p->tex[3]);
            break;
        case VGT_SVGA3D_TC_BLENDFACTORALPHA:
            r = x * tfactor_a + y * (1.0f - tfactor_a);
            break;
        case VGT_SVGA3D_TC_BLENDCURRENTALPHA:
            r = x * p->current[3] + y * (1.0f - p->current[3]);
            break;
        case VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM:
            r = x + y * (1.0f - p->tex[3]);
            break;
        case VGT_SVGA3D_TC_MODULATEALPHA_ADDCOLOR:
            r = c == 3 ? x : x + a1[3] * y;
            break;
        case VGT_SVGA3D_TC_MODULATECOLOR_ADDALPHA:
            r = c == 3 ? x : x * y + a1[3];
            break;
        case VGT_SVGA3D_TC_MODULATEINVALPHA_ADDCOLOR:
            r = c == 3 ? x : (1.0f - a1[3]) * y + x;
            break;
        case VGT_SVGA3D_TC_MODULATEINVCOLOR_ADDALPHA:
            r = c == 3 ? x : (1.0f - x) * y + a1[3];
            break;
        case VGT_SVGA3D_TC_MULTIPLYADD:
            r = x + y * a0[c];
            break;
        case VGT_SVGA3D_TC_LERP:
            r = a0[c] * x + (1.0f - a0[c]) * y;
            break;
        default:
            r = x;
            break;
        }
        out[c] = soft_sat(r);
    }
}

static inline float dot3_signed(const float *a, const float *b)
{
    float d = (a[0] - 0.5f) * (b[0] - 0.5f) + (a[1] - 0.5f) * (b[1] - 0.5f) +
              (a[2] - 0.5f) * (b[2] - 0.5f);
    return soft_sat(4.0f * d);
}

/* Runs texture stage s on one pixel (p->tex holds the stage's texel). */
static void run_stage(const soft_draw_ctx *ctx, uint32_t s, pix *p)
{
    const vgt_soft_stage *sg = &ctx->st->stages[s];
    float a0[4], a1[4], a2[4], res[4];
    float *dst = sg->result_to_temp ? p->temp : p->current;
    if (sg->color_op == VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE) {
        /* the bump stage itself writes nothing, colour or alpha (Wine's
         * fixed-function fragment pipeline emits no operation for it): its
         * texel only moves and scales the next stage's (sample_stages) */
        return;
    }
    get_arg(ctx, p, sg->color_arg0, a0);
    get_arg(ctx, p, sg->color_arg1, a1);
    get_arg(ctx, p, sg->color_arg2, a2);
    if (sg->color_op == VGT_SVGA3D_TC_DOTPRODUCT3) {
        /* D3D9: the dot product goes to all four channels */
        res[0] = res[1] = res[2] = res[3] = dot3_signed(a1, a2);
    } else {
        combine(sg->color_op, a0, a1, a2, p, ctx->tfactor[3], 0, 3, res);
        if (sg->alpha_op == VGT_SVGA3D_TC_DISABLE) {
            res[3] = p->current[3];
        } else {
            get_arg(ctx, p, sg->alpha_arg0, a0);
            get_arg(ctx, p, sg->alpha_arg1, a1);
            get_arg(ctx, p, sg->alpha_arg2, a2);
            if (sg->alpha_op == VGT_SVGA3D_TC_DOTPRODUCT3) {
                res[3] = dot3_signed(a1, a2);
            } else {
                combine(sg->alpha_op, a0, a1, a2, p, ctx->tfactor[3], 3, 4, res);
            }
        }
    }
    memcpy(dst, res, sizeof(res));
}

/* ---- blending and write ----------------------------------------------------- */

static inline float blend_factor(uint32_t f, const float *s, const float *d, const float *bc, int c)
{
    switch (f) {
    case VGT_SVGA3D_BLENDOP_ZERO:
        return 0.0f;
    case VGT_SVGA3D_BLENDOP_ONE:
        return 1.0f;
    case VGT_SVGA3D_BLENDOP_SRCCOLOR:
        return s[c];
    case VGT_SVGA3D_BLENDOP_INVSRCCOLOR:
        return 1.0f - s[c];
    case VGT_SVGA3D_BLENDOP_SRCALPHA:
        return s[3];
    case VGT_SVGA3D_BLENDOP_INVSRCALPHA:
        return 1.0f - s[3];
    case VGT_SVGA3D_BLENDOP_DESTALPHA:
        return d[3];
    case VGT_SVGA3D_BLENDOP_INVDESTALPHA:
        return 1.0f - d[3];
    case VGT_SVGA3D_BLENDOP_DESTCOLOR:
        return d[c];
    case VGT_SVGA3D_BLENDOP_INVDESTCOLOR:
        return 1.0f - d[c];
    case VGT_SVGA3D_BLENDOP_SRCALPHASAT:
        if (c == 3) {
            return 1.0f;
        }
        return s[3] < 1.0f - d[3] ? s[3] : 1.0f - d[3];
    case VGT_SVGA3D_BLENDOP_BLENDFACTOR:
        return bc[c];
    case VGT_SVGA3D_BLENDOP_INVBLENDFACTOR:
        return 1.0f - bc[c];
    default:
        return 1.0f;
    }
}

/* The blend equation; `sat` clamps the result to [0, 1], as a fixed-point
 * target (and an sRGB write) needs. A float target keeps it unclamped:
 * Direct3D 9 blends float targets in float, beyond [0, 1] and below 0. */
static inline float blend_eq(uint32_t eq, float s, float fs, float d, float fd, bool sat)
{
    float r;
    switch (eq) {
    case VGT_SVGA3D_BLENDEQ_SUBTRACT:
        r = s * fs - d * fd;
        break;
    case VGT_SVGA3D_BLENDEQ_REVSUBTRACT:
        r = d * fd - s * fs;
        break;
    case VGT_SVGA3D_BLENDEQ_MINIMUM:
        r = s < d ? s : d;
        break;
    case VGT_SVGA3D_BLENDEQ_MAXIMUM:
        r = s > d ? s : d;
        break;
    default:
        r = s * fs + d * fd;
        break;
    }
    return sat ? soft_sat(r) : r;
}

/* Bits of a stored pixel (<= 4 bytes) that each channel owns. */
static uint32_t channel_bits(uint32_t fmt, uint32_t mask)
{
    static const struct {
        uint32_t fmt, r, g, b, a;
    } t[] = {
        {VGT_SVGA3D_X8R8G8B8, 0xff0000u, 0xff00u, 0xffu, 0xff000000u},
        {VGT_SVGA3D_A8R8G8B8, 0xff0000u, 0xff00u, 0xffu, 0xff000000u},
        {VGT_SVGA3D_R5G6B5, 0xf800u, 0x07e0u, 0x001fu, 0},
        {VGT_SVGA3D_X1R5G5B5, 0x7c00u, 0x03e0u, 0x001fu, 0x8000u},
        {VGT_SVGA3D_A1R5G5B5, 0x7c00u, 0x03e0u, 0x001fu, 0x8000u},
        {VGT_SVGA3D_A4R4G4B4, 0x0f00u, 0x00f0u, 0x000fu, 0xf000u},
        {VGT_SVGA3D_LUMINANCE8, 0xffu, 0, 0, 0},
        {VGT_SVGA3D_ALPHA8, 0, 0, 0, 0xffu},
        {VGT_SVGA3D_LUMINANCE8_ALPHA8, 0xffu, 0, 0, 0xff00u},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (t[i].fmt == fmt) {
            return ((mask & 1) ? t[i].r : 0) | ((mask & 2) ? t[i].g : 0) |
                   ((mask & 4) ? t[i].b : 0) | ((mask & 8) ? t[i].a : 0);
        }
    }
    return 0xffffffffu;
}

static void write_pixels(const soft_draw_ctx *ctx, const soft_target *t, int32_t py, int32_t xa,
                         uint32_t n, const uint8_t *live, float (*col)[4])
{
    const vgt_soft_draw_state *st = ctx->st;
    const soft_format *f = t->fmt;
    uint32_t bpp = f->info.block_bytes;
    uint8_t *row = t->data + (uint64_t)py * t->pitch;
    uint32_t wmask = t->write_mask & 15;
    if (wmask == 0) {
        return;
    }
    bool blend = st->blend_enable;
    uint32_t sb = st->src_blend, db = st->dst_blend, eq = st->blend_eq;
    uint32_t sba = st->separate_alpha_blend ? st->src_blend_alpha : sb;
    uint32_t dba = st->separate_alpha_blend ? st->dst_blend_alpha : db;
    uint32_t eqa = st->separate_alpha_blend ? st->blend_eq_alpha : eq;
    bool fast8888 =
        !blend && !st->srgb_write && wmask == 15 &&
        (f->info.format == VGT_SVGA3D_A8R8G8B8 || f->info.format == VGT_SVGA3D_X8R8G8B8);
    if (fast8888) {
        bool x = f->info.format == VGT_SVGA3D_X8R8G8B8;
        for (uint32_t i = 0; i < n; i++) {
            if (live[i]) {
                uint8_t *p = row + (size_t)(xa + (int32_t)i) * 4;
                p[0] = (uint8_t)soft_unorm(col[i][2], 255);
                p[1] = (uint8_t)soft_unorm(col[i][1], 255);
                p[2] = (uint8_t)soft_unorm(col[i][0], 255);
                p[3] = x ? 0xff : (uint8_t)soft_unorm(col[i][3], 255);
            }
        }
        return;
    }
    uint32_t keep = ~channel_bits(f->info.format, wmask);
    /* Float targets (ARGB_S10E5, ARGB_S23E8) keep a pixel shader's
     * unclamped results, and blend them unclamped with the unclamped
     * target (Direct3D 9's float blending, as GL's on a float buffer);
     * fixed-point targets blend the source saturated and saturate the
     * result. sRGB writes saturate either way: the curve is defined on
     * [0, 1] (docs/soft.md "sRGB"). */
    bool flt = f->info.format == VGT_SVGA3D_ARGB_S10E5 || f->info.format == VGT_SVGA3D_ARGB_S23E8;
    bool sat_src = !flt || (blend && st->srgb_write);
    bool sat_out = !flt || st->srgb_write;
    for (uint32_t i = 0; i < n; i++) {
        if (!live[i]) {
            continue;
        }
        uint8_t *p = row + (size_t)(xa + (int32_t)i) * bpp;
        float s[4], d[4], o[4];
        for (int c = 0; c < 4; c++) {
            s[c] = sat_src ? soft_sat(col[i][c]) : col[i][c];
        }
        if (blend) {
            f->decode(p, d);
            if (st->srgb_write) {
                for (int c = 0; c < 3; c++) {
                    d[c] = soft_srgb_decode(d[c]);
                }
            }
            for (int c = 0; c < 3; c++) {
                o[c] = blend_eq(eq, s[c], blend_factor(sb, s, d, ctx->blend_color, c), d[c],
                                blend_factor(db, s, d, ctx->blend_color, c), sat_out);
            }
            o[3] = blend_eq(eqa, s[3], blend_factor(sba, s, d, ctx->blend_color, 3), d[3],
                            blend_factor(dba, s, d, ctx->blend_color, 3), sat_out);
        } else {
            memcpy(o, s, sizeof(o));
        }
        if (st->srgb_write) {
            for (int c = 0; c < 3; c++) {
                o[c] = soft_srgb_encode(o[c]);
            }
        }
        if (wmask == 15) {
            f->encode(o, p);
        } else if (bpp <= 4) {
            uint8_t nb[4] = {0, 0, 0, 0}, ob[4] = {0, 0, 0, 0};
            f->encode(o, nb);
            memcpy(ob, p, bpp);
            uint32_t nv = vgt_load_le32(nb), ov = vgt_load_le32(ob);
            vgt_store_le32(nb, (nv & ~keep) | (ov & keep));
            memcpy(p, nb, bpp);
        } else {
            /* float formats: one component of bpp/4 bytes per channel, R G B A */
            uint8_t nb[16];
            uint32_t cb = bpp / 4;
            f->encode(o, nb);
            for (uint32_t c = 0; c < 4; c++) {
                if (wmask & (1u << c)) {
                    memcpy(p + c * cb, nb + c * cb, cb);
                }
            }
        }
    }
}

void soft_write_pixels(const soft_draw_ctx *ctx, const soft_target *t, int32_t py, int32_t xa,
                       uint32_t n, const uint8_t *live, float (*col)[4])
{
    write_pixels(ctx, t, py, xa, n, live, col);
}

/* ---- the fragment probe ---------------------------------------------------------- */

void soft_probe_ds_before(const soft_draw_ctx *ctx, int32_t py, int32_t x, float z,
                          vgt_soft_fragment *f)
{
    uint32_t bpp = ctx->dfmt == VGT_SVGA3D_Z_D16 ? 2 : 4;
    uint32_t s;
    f->z_buffer =
        depth_read(ctx->dfmt, ctx->depth + (uint64_t)py * ctx->depth_pitch + (size_t)x * bpp, &s);
    f->has_depth = true;
    f->z_quant = soft_depth_quant(ctx->dfmt, z);
    f->stencil_before = f->stencil_after = s;
}

/* The stencil op: the comparison ds_test made, made again on the value it
 * read. */
void soft_probe_ds_after(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t py, int32_t x,
                         bool live, vgt_soft_fragment *f)
{
    const vgt_soft_draw_state *st = ctx->st;
    uint32_t bpp = ctx->dfmt == VGT_SVGA3D_Z_D16 ? 2 : 4;
    f->z_after =
        depth_read(ctx->dfmt, ctx->depth + (uint64_t)py * ctx->depth_pitch + (size_t)x * bpp,
                   &f->stencil_after);
    if (st->stencil_enable && ctx->dfmt == VGT_SVGA3D_Z_D24S8) {
        uint32_t func, op_fail, op_zfail, op_pass;
        stencil_face(st, pr, &func, &op_fail, &op_zfail, &op_pass);
        uint32_t ref = st->stencil_ref & 0xff, mask = st->stencil_mask & 0xff;
        if (!cmp_u32(func, ref & mask, f->stencil_before & mask)) {
            f->stencil_path = VGT_SOFT_STENCIL_FAIL;
            f->stencil_op = op_fail;
        } else {
            f->stencil_path = live ? VGT_SOFT_STENCIL_PASS : VGT_SOFT_STENCIL_ZFAIL;
            f->stencil_op = live ? op_pass : op_zfail;
        }
    }
    if (!live) {
        f->fate =
            f->stencil_path == VGT_SOFT_STENCIL_FAIL ? VGT_SOFT_FATE_STENCIL : VGT_SOFT_FATE_DEPTH;
    }
}

/* ---- the span pipeline -------------------------------------------------------- */

/* rec: NULL, or the probe's record of the one fragment (n == 1): its
 * colour is then computed even when the depth test killed it, and every
 * test's outcome is written into it. */
static void shade_chunk(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t py, int32_t xa,
                        uint32_t n, uint64_t *count, vgt_soft_fragment *rec)
{
    const vgt_soft_draw_state *st = ctx->st;
    uint8_t live[SOFT_SPAN_MAX];
    float z[SOFT_SPAN_MAX];
    float fy = (float)py - pr->oy;
    float zy = pr->z0 + pr->zdy * fy;
    for (uint32_t i = 0; i < n; i++) {
        float fx = (float)(xa + (int32_t)i) - pr->ox;
        z[i] = soft_sat(zy + pr->zdx * fx);
        live[i] = 1;
    }
    bool ds = ctx->depth && (st->z_enable || st->stencil_enable);
    bool late = ds && st->alpha_test;
    if (rec) {
        rec->z = z[0];
        if (ds && !late) {
            soft_probe_ds_before(ctx, py, xa, z[0], rec);
        }
    }
    if (ds && !late) {
        ds_test(ctx, pr, py, xa, n, z, live);
        if (rec) {
            soft_probe_ds_after(ctx, pr, py, xa, live[0], rec);
        }
    }
    uint32_t nlive = 0;
    for (uint32_t i = 0; i < n; i++) {
        nlive += live[i];
    }
    if (!nlive && !rec) {
        return;
    }
    uint8_t live_shaded = live[0]; /* the probe: alive when its colour is made */
    /* colors */
    float col[SOFT_SPAN_MAX][4];
    const float *pl = ctx->planes + pr->planes;
    bool need_color = ctx->rt[0].data != NULL || st->alpha_test;
    if (need_color) {
        float wy = pr->w0 + pr->wdy * fy;
        for (uint32_t i = 0; i < n; i++) {
            if (!live[i] && !rec) {
                continue;
            }
            float fx = (float)(xa + (int32_t)i) - pr->ox;
            float W = wy + pr->wdx * fx;
            float invw = 1.0f / W;
            pix p;
            float v[SOFT_MAX_VARY];
            for (uint32_t k = 0; k < ctx->nvary; k++) {
                const float *q = pl + 3 * k;
                float a = q[0] + q[1] * fx + q[2] * fy;
                v[k] = (ctx->flat_colors && k < ctx->nflat) ? a : a * invw;
            }
            for (int c = 0; c < 4; c++) {
                p.diffuse[c] = soft_sat(v[SOFT_V_DIFFUSE + c]);
                p.specular[c] = soft_sat(v[SOFT_V_SPECULAR + c]);
                p.temp[c] = 0.0f;
            }
            if (ctx->nstages) {
                /* sample every stage that uses its texture, then combine */
                float texs[VGT_SOFT_MAX_STAGES][4];
                for (uint32_t s = 0; s < ctx->nstages; s++) {
                    const soft_sampler *sm = &ctx->samplers[s];
                    if (!sm->bound || sm->tc_slot < 0) {
                        texs[s][0] = texs[s][1] = texs[s][2] = 0.0f;
                        texs[s][3] = 1.0f;
                        continue;
                    }
                    int k = sm->tc_slot;
                    if (sm->ncoord == 3) {
                        /* cube and volume textures: (u, v, w), projected
                         * (u/q, v/q, w/q) as the 2D case below */
                        float c[4], dx[4], dy[4];
                        for (int j = 0; j < (ctx->tc_q[s] ? 4 : 3); j++) {
                            /* u, v, w, then q (projected) */
                            int kj = k + (j < 3 ? j : ctx->tc_qoff[s]);
                            c[j] = v[kj];
                            dx[j] = (pl[3 * kj + 1] - c[j] * pr->wdx) * invw;
                            dy[j] = (pl[3 * kj + 2] - c[j] * pr->wdy) * invw;
                        }
                        if (ctx->tc_q[s]) {
                            float iq = 1.0f / c[3];
                            for (int j = 0; j < 3; j++) {
                                c[j] *= iq;
                                dx[j] = (dx[j] - c[j] * dx[3]) * iq;
                                dy[j] = (dy[j] - c[j] * dy[3]) * iq;
                                if (j >= ctx->tc_keep[s]) {
                                    c[j] = dx[j] = dy[j] = 0.0f;
                                }
                            }
                        }
                        soft_sample3(sm, c, dx, dy, texs[s]);
                        continue;
                    }
                    float u = v[k], vv = v[k + 1];
                    /* d(U/W)/dx = (Ux - u * Wx) / W */
                    float dudx = (pl[3 * k + 1] - u * pr->wdx) * invw;
                    float dudy = (pl[3 * k + 2] - u * pr->wdy) * invw;
                    float dvdx = (pl[3 * (k + 1) + 1] - vv * pr->wdx) * invw;
                    float dvdy = (pl[3 * (k + 1) + 2] - vv * pr->wdy) * invw;
                    if (ctx->tc_q[s]) {
                        /* projected: (u/q, v/q) after the perspective-correct
                         * interpolation; d(u/q) = (du - u/q dq) / q */
                        int kq = k + ctx->tc_qoff[s];
                        float q = v[kq], iq = 1.0f / q;
                        float dqdx = (pl[3 * kq + 1] - q * pr->wdx) * invw;
                        float dqdy = (pl[3 * kq + 2] - q * pr->wdy) * invw;
                        u *= iq;
                        vv *= iq;
                        dudx = (dudx - u * dqdx) * iq;
                        dudy = (dudy - u * dqdy) * iq;
                        dvdx = (dvdx - vv * dqdx) * iq;
                        dvdy = (dvdy - vv * dqdy) * iq;
                    }
                    const vgt_soft_stage *bg = s ? &ctx->st->stages[s - 1] : NULL;
                    bool bumped = bg && bg->color_op == VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE;
                    if (bumped) {
                        /* Direct3D 9's bump formulas with the bump stage's
                         * matrix, after the projection as texbem: u += MAT00
                         * du + MAT10 dv, v += MAT01 du + MAT11 dv */
                        const float *b = texs[s - 1];
                        u = u + bg->bump_env_mat[0][0] * b[0] + bg->bump_env_mat[1][0] * b[1];
                        vv = vv + bg->bump_env_mat[0][1] * b[0] + bg->bump_env_mat[1][1] * b[1];
                    }
                    soft_sample(sm, u, vv, dudx, dvdx, dudy, dvdy, texs[s]);
                    if (bumped) {
                        /* times l * LSCALE + LOFFSET, saturated, all four
                         * components (Wine: tex *= clamp(...)) */
                        float f =
                            soft_sat(texs[s - 1][2] * bg->bump_env_lscale + bg->bump_env_loffset);
                        for (int c = 0; c < 4; c++) {
                            texs[s][c] *= f;
                        }
                    }
                }
                memcpy(p.current, p.diffuse, sizeof(p.current));
                for (uint32_t s = 0; s < ctx->nstages; s++) {
                    memcpy(p.tex, texs[s], sizeof(p.tex));
                    run_stage(ctx, s, &p);
                }
            } else {
                memcpy(p.current, p.diffuse, sizeof(p.current));
            }
            float *o = col[i];
            memcpy(o, p.current, sizeof(p.current));
            if (st->specular_enable) {
                for (int c = 0; c < 3; c++) {
                    o[c] = soft_sat(o[c] + p.specular[c]);
                }
            }
            if (st->fog_enable) {
                float f =
                    ctx->pixel_fog ? soft_fog_factor(st, v[SOFT_V_FOG]) : soft_sat(v[SOFT_V_FOG]);
                for (int c = 0; c < 3; c++) {
                    o[c] = f * o[c] + (1.0f - f) * ctx->fog_color[c];
                }
            }
            if (st->alpha_test) {
                uint32_t a8 = soft_unorm(o[3], 255);
                if (!cmp_u32(st->alpha_func, a8, st->alpha_ref & 0xff)) {
                    live[i] = 0;
                }
            }
        }
    }
    if (rec) {
        /* on the depth/stencil target the colour goes nowhere: left out */
        rec->shaded = need_color && !rec->depth_target;
        if (rec->shaded) {
            memcpy(rec->color, col[0], sizeof(rec->color));
        }
        if (live_shaded && !live[0]) {
            rec->fate = VGT_SOFT_FATE_ALPHA;
        }
    }
    if (late) {
        bool probed = rec && live[0];
        if (probed) {
            soft_probe_ds_before(ctx, py, xa, z[0], rec);
        }
        ds_test(ctx, pr, py, xa, n, z, live);
        if (probed) {
            soft_probe_ds_after(ctx, pr, py, xa, live[0], rec);
        }
    }
    nlive = 0;
    for (uint32_t i = 0; i < n; i++) {
        nlive += live[i];
    }
    *count += nlive;
    if (nlive && ctx->rt[0].data) {
        write_pixels(ctx, &ctx->rt[0], py, xa, n, live, col); /* fixed function: COLOR0 only */
    }
    if (rec && live[0]) {
        const soft_target *t = &ctx->rt[0];
        if (rec->depth_target) {
            rec->fate = VGT_SOFT_FATE_PASSED; /* z_after, stencil_after: what it left */
        } else if (!t->data || !(t->write_mask & 15)) {
            rec->fate = VGT_SOFT_FATE_MASKED;
        } else {
            rec->fate = VGT_SOFT_FATE_WRITTEN;
            rec->has_after = true;
            t->fmt->decode(t->data + (uint64_t)py * t->pitch +
                               (size_t)xa * t->fmt->info.block_bytes,
                           rec->after);
        }
    }
}

/* Pixels [xa, xb] of row py, in chunks. */
static void shade_run(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t py, int32_t xa,
                      int32_t xb, uint64_t *count)
{
    while (xa <= xb) {
        int32_t len = xb - xa + 1;
        uint32_t n = len > SOFT_SPAN_MAX ? SOFT_SPAN_MAX : (uint32_t)len;
        shade_chunk(ctx, pr, py, xa, n, count, NULL);
        xa += (int32_t)n;
    }
}

/* A span holding the probed pixel: that pixel goes through on its own,
 * recorded. */
static __attribute__((noinline, cold)) void shade_span_probed(const soft_draw_ctx *ctx,
                                                              const soft_prim *pr, int32_t py,
                                                              int32_t xa, int32_t xb,
                                                              uint64_t *count)
{
    soft_probe *pb = ctx->probe;
    shade_run(ctx, pr, py, xa, pb->x - 1, count);
    shade_chunk(ctx, pr, py, pb->x, 1, count, soft_probe_slot(pb, pr->src));
    shade_run(ctx, pr, py, pb->x + 1, xb, count);
}

static inline void shade_span(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t py, int32_t xa,
                              int32_t xb, uint64_t *count)
{
    if (ctx->sh && ctx->sh->ps) {
        /* lines and points through the pixel shader: the probe once a span */
        soft_probe *pb = ctx->probe;
        int32_t probed = pb && py == pb->y && pb->x >= xa && pb->x <= xb ? pb->x : xb + 1;
        for (int32_t x = xa; x <= xb; x++) {
            soft_shader_pixel(ctx, pr, x, py, count,
                              x == probed ? soft_probe_slot(pb, pr->src) : NULL);
        }
        return;
    }
    /* the probe: one test per span (off: a predictable branch, and the
     * probed path out of line, so that shade_span stays inlined) */
    const soft_probe *pb = ctx->probe;
    if (__builtin_expect(pb != NULL, 0) && py == pb->y && pb->x >= xa && pb->x <= xb) {
        shade_span_probed(ctx, pr, py, xa, xb, count);
        return;
    }
    shade_run(ctx, pr, py, xa, xb, count);
}

/* ---- coverage -------------------------------------------------------------------- */

static inline int64_t floor_div(int64_t a, int64_t b) /* b > 0 */
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

static void raster_tri(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t ya, int32_t yb,
                       uint64_t *count)
{
    for (int32_t py = ya; py <= yb; py++) {
        int64_t lo = pr->minx, hi = pr->maxx;
        for (int e = 0; e < 3 && lo <= hi; e++) {
            int64_t k = pr->eb[e] * py + pr->ec[e]; /* E = ea*px + k >= 0 */
            int64_t a = pr->ea[e];
            if (a == 0) {
                if (k < 0) {
                    hi = lo - 1;
                }
            } else if (a > 0) {
                int64_t x = -floor_div(k, a); /* ceil(-k / a) */
                lo = x > lo ? x : lo;
            } else {
                int64_t x = floor_div(k, -a);
                hi = x < hi ? x : hi;
            }
        }
        if (lo <= hi) {
            shade_span(ctx, pr, py, (int32_t)lo, (int32_t)hi, count);
        }
    }
}

static inline int32_t floor_i(float x)
{
    int32_t i = (int32_t)x;
    return (float)i > x ? i - 1 : i;
}

static void raster_line(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t ya, int32_t yb,
                        uint64_t *count)
{
    float dx = pr->lx1 - pr->lx0, dy = pr->ly1 - pr->ly0;
    bool last = ctx->st->last_pixel;
    if (pr->x_major) {
        /* columns whose center the line crosses, start included, end excluded */
        int32_t a, b, step;
        if (dx > 0) {
            a = -floor_i(-pr->lx0); /* ceil */
            b = -floor_i(-pr->lx1) - 1 + (last ? 1 : 0);
            step = 1;
        } else {
            a = floor_i(pr->lx0);
            b = floor_i(pr->lx1) + 1 - (last ? 1 : 0);
            step = -1;
        }
        float slope = dy / dx;
        for (int32_t px = a; step > 0 ? px <= b : px >= b; px += step) {
            if (px < pr->minx || px > pr->maxx) {
                continue;
            }
            float y = pr->ly0 + ((float)px - pr->lx0) * slope;
            int32_t py = floor_i(y + 0.5f);
            if (py >= ya && py <= yb) {
                shade_span(ctx, pr, py, px, px, count);
            }
        }
    } else {
        int32_t a, b;
        if (dy > 0) {
            a = -floor_i(-pr->ly0);
            b = -floor_i(-pr->ly1) - 1 + (last ? 1 : 0);
        } else {
            a = floor_i(pr->ly1) + 1 - (last ? 1 : 0);
            b = floor_i(pr->ly0);
        }
        a = a < ya ? ya : a;
        b = b > yb ? yb : b;
        float slope = dx / dy;
        for (int32_t py = a; py <= b; py++) {
            float x = pr->lx0 + ((float)py - pr->ly0) * slope;
            int32_t px = floor_i(x + 0.5f);
            if (px >= pr->minx && px <= pr->maxx) {
                shade_span(ctx, pr, py, px, px, count);
            }
        }
    }
}

/* raster_line's walk for one pixel: the same expressions in the same
 * order (the soft backend builds with -ffp-contract=off, so each gives
 * the same float), the bounding box setup gives the line before the
 * scissor clamps it. */
bool soft_line_covers(float lx0, float ly0, float lx1, float ly1, bool last, int32_t px, int32_t py)
{
    float dx = lx1 - lx0, dy = ly1 - ly0;
    float lx = lx0 < lx1 ? lx0 : lx1, hx = lx0 < lx1 ? lx1 : lx0;
    float ly = ly0 < ly1 ? ly0 : ly1, hy = ly0 < ly1 ? ly1 : ly0;
    if (px < (int64_t)floorf(lx) - 1 || px > (int64_t)floorf(hx) + 1 ||
        py < (int64_t)floorf(ly) - 1 || py > (int64_t)floorf(hy) + 1) {
        return false;
    }
    if (fabsf(dx) >= fabsf(dy)) {
        int32_t a, b;
        if (dx > 0) {
            a = -floor_i(-lx0);
            b = -floor_i(-lx1) - 1 + (last ? 1 : 0);
        } else {
            b = floor_i(lx0); /* walked from a down to b: here [b, a] */
            a = floor_i(lx1) + 1 - (last ? 1 : 0);
        }
        if (px < a || px > b) {
            return false;
        }
        float slope = dy / dx;
        float y = ly0 + ((float)px - lx0) * slope;
        return floor_i(y + 0.5f) == py;
    }
    int32_t a, b;
    if (dy > 0) {
        a = -floor_i(-ly0);
        b = -floor_i(-ly1) - 1 + (last ? 1 : 0);
    } else {
        a = floor_i(ly1) + 1 - (last ? 1 : 0);
        b = floor_i(ly0);
    }
    if (py < a || py > b) {
        return false;
    }
    float slope = dx / dy;
    float x = lx0 + ((float)py - ly0) * slope;
    return floor_i(x + 0.5f) == px;
}

void soft_raster_band(soft_draw_ctx *ctx, uint32_t band)
{
    int32_t ya = ctx->y0 + (int32_t)band * SOFT_BAND_ROWS;
    int32_t yb = ya + SOFT_BAND_ROWS - 1;
    if (yb >= ctx->y1) {
        yb = ctx->y1 - 1;
    }
    uint64_t count = 0;
    for (uint32_t j = ctx->bin_start[band]; j < ctx->bin_start[band + 1]; j++) {
        const soft_prim *pr = &ctx->prims[ctx->bin_items[j]];
        int32_t a = pr->miny > ya ? pr->miny : ya;
        int32_t b = pr->maxy < yb ? pr->maxy : yb;
        switch (pr->kind) {
        case SOFT_PRIM_TRI:
            if (ctx->sh && ctx->sh->ps) {
                soft_shader_raster_tri(ctx, pr, a, b, &count);
            } else {
                raster_tri(ctx, pr, a, b, &count);
            }
            break;
        case SOFT_PRIM_LINE:
            raster_line(ctx, pr, a, b, &count);
            break;
        default:
            for (int32_t py = a; py <= b; py++) {
                shade_span(ctx, pr, py, pr->minx, pr->maxx, &count);
            }
            break;
        }
    }
    ctx->band_pixels[band] = count;
}
