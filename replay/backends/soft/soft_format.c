/* soft_format.c - surface formats: sizes, texel decode to float RGBA,
 * render-target encode from float RGBA, DXT block decode.
 *
 * Channel defaults follow Direct3D 9: a format without alpha reads alpha 1,
 * LUMINANCE reads (L, L, L, 1), ALPHA8 reads (0, 0, 0, A).
 *
 * The signed bump formats (docs/soft.md "Bump formats") read their signed
 * components in [-1, 1] as a SNORM does (c / (2^(n-1) - 1), the most
 * negative code -1 as well as the next: D3D10's and GL 4.2's rule), their
 * luminance unsigned, and the channels they lack as 1, as Wine's fixups
 * (R8G8_SNORM: X, Y, ONE, ONE) and the Direct3D 9 defaults have it. */
#include <math.h>
#include <string.h>

#include "soft_internal.h"

static inline float un(uint32_t v, float max)
{
    return (float)v * (1.0f / max); /* max is a constant: a multiply */
}

static void dec_s10e5(const uint8_t *p, float c[4])
{
    for (int i = 0; i < 4; i++) {
        c[i] = soft_half_to_float(vgt_load_le16(p + 2 * i));
    }
}
static void dec_s23e8(const uint8_t *p, float c[4])
{
    for (int i = 0; i < 4; i++) {
        uint32_t u = vgt_load_le32(p + 4 * i);
        memcpy(&c[i], &u, 4);
    }
}
static void dec_buffer(const uint8_t *p, float c[4])
{
    c[0] = c[1] = c[2] = un(p[0], 255.0f);
    c[3] = 1.0f;
}

/* Signed n-bit two's complement code -> [-1, 1]. */
static inline float sn(uint32_t code, uint32_t bits)
{
    int32_t half = (int32_t)1 << (bits - 1);
    int32_t v = (int32_t)(code & ((1u << bits) - 1u));
    v = v >= half ? v - 2 * half : v;
    /* -half and -(half - 1) both read -1 */
    return v <= -(half - 1) ? -1.0f : (float)v / (float)(half - 1);
}
/* V8U8 (SVGA3D BUMPU8V8 and V8U8): (U, V, 1, 1) */
static void dec_v8u8(const uint8_t *p, float c[4])
{
    c[0] = sn(p[0], 8);
    c[1] = sn(p[1], 8);
    c[2] = c[3] = 1.0f;
}
/* L6V5U5: U bits 0-4, V bits 5-9 (signed), L bits 10-15 (unsigned): (U, V, L, 1) */
static void dec_l6v5u5(const uint8_t *p, float c[4])
{
    uint32_t w = vgt_load_le16(p);
    c[0] = sn(w, 5);
    c[1] = sn(w >> 5, 5);
    c[2] = un(w >> 10, 63.0f);
    c[3] = 1.0f;
}
/* X8L8V8U8: bytes U, V (signed), L (unsigned), X (unused): (U, V, L, 1) */
static void dec_x8l8v8u8(const uint8_t *p, float c[4])
{
    c[0] = sn(p[0], 8);
    c[1] = sn(p[1], 8);
    c[2] = un(p[2], 255.0f);
    c[3] = 1.0f;
}
/* Q8W8V8U8: bytes U, V, W, Q, all signed: (U, V, W, Q) */
static void dec_q8w8v8u8(const uint8_t *p, float c[4])
{
    for (int i = 0; i < 4; i++) {
        c[i] = sn(p[i], 8);
    }
}
/* CxV8U8: (U, V, C, 1) with C = sqrt(1 - U^2 - V^2) (Microsoft's D3DFORMAT
 * page); a (U, V) outside the unit circle gives C = 0, never a NaN. */
static void dec_cxv8u8(const uint8_t *p, float c[4])
{
    c[0] = sn(p[0], 8);
    c[1] = sn(p[1], 8);
    float r = 1.0f - c[0] * c[0] - c[1] * c[1];
    c[2] = r > 0.0f ? sqrtf(r) : 0.0f;
    c[3] = 1.0f;
}

static void enc_x8r8g8b8(const float c[4], uint8_t *p)
{
    p[0] = (uint8_t)soft_unorm(c[2], 255);
    p[1] = (uint8_t)soft_unorm(c[1], 255);
    p[2] = (uint8_t)soft_unorm(c[0], 255);
    p[3] = 0xff;
}
static void enc_a8r8g8b8(const float c[4], uint8_t *p)
{
    p[0] = (uint8_t)soft_unorm(c[2], 255);
    p[1] = (uint8_t)soft_unorm(c[1], 255);
    p[2] = (uint8_t)soft_unorm(c[0], 255);
    p[3] = (uint8_t)soft_unorm(c[3], 255);
}
static void enc_r5g6b5(const float c[4], uint8_t *p)
{
    vgt_store_le16(p, (uint16_t)((soft_unorm(c[0], 31) << 11) | (soft_unorm(c[1], 63) << 5) |
                                 soft_unorm(c[2], 31)));
}
static void enc_x1r5g5b5(const float c[4], uint8_t *p)
{
    vgt_store_le16(p, (uint16_t)(0x8000u | (soft_unorm(c[0], 31) << 10) |
                                 (soft_unorm(c[1], 31) << 5) | soft_unorm(c[2], 31)));
}
static void enc_a1r5g5b5(const float c[4], uint8_t *p)
{
    vgt_store_le16(p, (uint16_t)((soft_unorm(c[3], 1) << 15) | (soft_unorm(c[0], 31) << 10) |
                                 (soft_unorm(c[1], 31) << 5) | soft_unorm(c[2], 31)));
}
static void enc_a4r4g4b4(const float c[4], uint8_t *p)
{
    vgt_store_le16(p, (uint16_t)((soft_unorm(c[3], 15) << 12) | (soft_unorm(c[0], 15) << 8) |
                                 (soft_unorm(c[1], 15) << 4) | soft_unorm(c[2], 15)));
}
static void enc_l8(const float c[4], uint8_t *p)
{
    p[0] = (uint8_t)soft_unorm(c[0], 255);
}
static void enc_a8(const float c[4], uint8_t *p)
{
    p[0] = (uint8_t)soft_unorm(c[3], 255);
}
static void enc_l8a8(const float c[4], uint8_t *p)
{
    p[0] = (uint8_t)soft_unorm(c[0], 255);
    p[1] = (uint8_t)soft_unorm(c[3], 255);
}
static void enc_s10e5(const float c[4], uint8_t *p)
{
    for (int i = 0; i < 4; i++) {
        vgt_store_le16(p + 2 * i, soft_float_to_half(c[i]));
    }
}
static void enc_s23e8(const float c[4], uint8_t *p)
{
    for (int i = 0; i < 4; i++) {
        uint32_t u;
        memcpy(&u, &c[i], 4);
        vgt_store_le32(p + 4 * i, u);
    }
}

/* name, bw, bh, bytes, depth, stencil, compressed, renderable, samplable */
#define F(id, nm, bw, bh, by, dp, st, cp, rt, sm, dec, enc)                                        \
    {                                                                                              \
        {id, nm, bw, bh, by, dp, st, cp, rt, sm, false}, dec, enc                                  \
    }
/* a signed bump format: sampled only */
#define FB(id, nm, by, dec)                                                                        \
    {                                                                                              \
        {id, nm, 1, 1, by, false, false, false, false, true, true}, dec, NULL                      \
    }

static const soft_format formats[] = {
    F(VGT_SVGA3D_X8R8G8B8, "X8R8G8B8", 1, 1, 4, 0, 0, 0, 1, 1, vgt_texel_x8r8g8b8, enc_x8r8g8b8),
    F(VGT_SVGA3D_A8R8G8B8, "A8R8G8B8", 1, 1, 4, 0, 0, 0, 1, 1, vgt_texel_a8r8g8b8, enc_a8r8g8b8),
    F(VGT_SVGA3D_R5G6B5, "R5G6B5", 1, 1, 2, 0, 0, 0, 1, 1, vgt_texel_r5g6b5, enc_r5g6b5),
    F(VGT_SVGA3D_X1R5G5B5, "X1R5G5B5", 1, 1, 2, 0, 0, 0, 1, 1, vgt_texel_x1r5g5b5, enc_x1r5g5b5),
    F(VGT_SVGA3D_A1R5G5B5, "A1R5G5B5", 1, 1, 2, 0, 0, 0, 1, 1, vgt_texel_a1r5g5b5, enc_a1r5g5b5),
    F(VGT_SVGA3D_A4R4G4B4, "A4R4G4B4", 1, 1, 2, 0, 0, 0, 1, 1, vgt_texel_a4r4g4b4, enc_a4r4g4b4),
    F(VGT_SVGA3D_Z_D32, "Z_D32", 1, 1, 4, 1, 0, 0, 0, 1, vgt_texel_d32, NULL),
    F(VGT_SVGA3D_Z_D16, "Z_D16", 1, 1, 2, 1, 0, 0, 0, 1, vgt_texel_d16, NULL),
    F(VGT_SVGA3D_Z_D24S8, "Z_D24S8", 1, 1, 4, 1, 1, 0, 0, 1, vgt_texel_d24, NULL),
    F(VGT_SVGA3D_LUMINANCE8, "LUMINANCE8", 1, 1, 1, 0, 0, 0, 1, 1, vgt_texel_l8, enc_l8),
    F(VGT_SVGA3D_LUMINANCE8_ALPHA8, "LUMINANCE8_ALPHA8", 1, 1, 2, 0, 0, 0, 1, 1, vgt_texel_l8a8,
      enc_l8a8),
    F(VGT_SVGA3D_DXT1, "DXT1", 4, 4, 8, 0, 0, 1, 0, 1, NULL, NULL),
    F(VGT_SVGA3D_DXT3, "DXT3", 4, 4, 16, 0, 0, 1, 0, 1, NULL, NULL),
    F(VGT_SVGA3D_DXT5, "DXT5", 4, 4, 16, 0, 0, 1, 0, 1, NULL, NULL),
    F(VGT_SVGA3D_ARGB_S10E5, "ARGB_S10E5", 1, 1, 8, 0, 0, 0, 1, 1, dec_s10e5, enc_s10e5),
    F(VGT_SVGA3D_ARGB_S23E8, "ARGB_S23E8", 1, 1, 16, 0, 0, 0, 1, 1, dec_s23e8, enc_s23e8),
    F(VGT_SVGA3D_ALPHA8, "ALPHA8", 1, 1, 1, 0, 0, 0, 1, 1, vgt_texel_a8, enc_a8),
    F(VGT_SVGA3D_BUFFER, "BUFFER", 1, 1, 1, 0, 0, 0, 0, 0, dec_buffer, NULL),
    F(VGT_SVGA3D_Z_D24X8, "Z_D24X8", 1, 1, 4, 1, 0, 0, 0, 1, vgt_texel_d24, NULL),
    /* signed bump formats: sampled only (no encode: never a target, a
     * stretch end, a CLEAR or a mipmap source); BUMPL8V8U8 has no Direct3D 9
     * format to take its rule from and stays raw bytes */
    FB(VGT_SVGA3D_BUMPU8V8, "BUMPU8V8", 2, dec_v8u8),
    FB(VGT_SVGA3D_BUMPL6V5U5, "BUMPL6V5U5", 2, dec_l6v5u5),
    FB(VGT_SVGA3D_BUMPX8L8V8U8, "BUMPX8L8V8U8", 4, dec_x8l8v8u8),
    FB(VGT_SVGA3D_V8U8, "V8U8", 2, dec_v8u8),
    FB(VGT_SVGA3D_Q8W8V8U8, "Q8W8V8U8", 4, dec_q8w8v8u8),
    FB(VGT_SVGA3D_CXV8U8, "CXV8U8", 2, dec_cxv8u8),
    FB(VGT_SVGA3D_X8L8V8U8, "X8L8V8U8", 4, dec_x8l8v8u8),
};

const soft_format *soft_format_get(uint32_t format)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        if (formats[i].info.format == format) {
            return &formats[i];
        }
    }
    return NULL;
}

vgt_status vgt_soft_format_query(uint32_t format, vgt_soft_format_info *out, vgt_error *err)
{
    const soft_format *f = soft_format_get(format);
    if (!f) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "surface format %u is not supported by the soft renderer", format);
    }
    *out = f->info;
    return VGT_OK;
}

vgt_status vgt_soft_image_size(uint32_t format, uint32_t width, uint32_t height, uint32_t depth,
                               uint64_t *row_pitch, uint64_t *image_bytes, vgt_error *err)
{
    const soft_format *f = soft_format_get(format);
    if (!f) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "surface format %u is not supported by the soft renderer", format);
    }
    uint64_t max_w =
        format == VGT_SVGA3D_BUFFER ? VGT_SOFT_MAX_BUFFER_BYTES : VGT_SOFT_MAX_DIMENSION;
    if (width == 0 || height == 0 || depth == 0 || width > max_w ||
        height > VGT_SOFT_MAX_DIMENSION || depth > VGT_SOFT_MAX_DIMENSION) {
        return vgt_error_set(err, VGT_E_RANGE, "%s image %ux%ux%u: each dimension must be 1..%u",
                             f->info.name, width, height, depth, VGT_SOFT_MAX_DIMENSION);
    }
    uint64_t bw = ((uint64_t)width + f->info.block_width - 1) / f->info.block_width;
    uint64_t bh = ((uint64_t)height + f->info.block_height - 1) / f->info.block_height;
    uint64_t pitch, slice, total;
    if (vgt_mul_overflow_u64(bw, f->info.block_bytes, &pitch) ||
        vgt_mul_overflow_u64(pitch, bh, &slice) || vgt_mul_overflow_u64(slice, depth, &total) ||
        total > VGT_SOFT_MAX_SURFACE_BYTES) {
        return vgt_error_set(err, VGT_E_RANGE, "%s image %ux%ux%u needs more than %llu bytes",
                             f->info.name, width, height, depth,
                             (unsigned long long)VGT_SOFT_MAX_SURFACE_BYTES);
    }
    if (row_pitch) {
        *row_pitch = pitch;
    }
    if (image_bytes) {
        *image_bytes = total;
    }
    return VGT_OK;
}
