/* gl_format.c - SVGA3D surface formats as GL internal formats.
 *
 * Each format the backend supports maps to a GL internal format and the
 * format/type pair that describes the SVGA bytes, so uploads and downloads
 * move the guest's bytes unchanged.  Desktop GL has packed types for every
 * 16-bit SVGA layout (A1R5G5B5 = BGRA + UNSIGNED_SHORT_1_5_5_5_REV, A4R4G4B4
 * = BGRA + UNSIGNED_SHORT_4_4_4_4_REV, R5G6B5 = RGB + UNSIGNED_SHORT_5_6_5);
 * LUMINANCE4_ALPHA4, which GL lacks, is converted on the CPU to RG8 and back.
 * Channel defaults follow Direct3D 9 through texture swizzles: X formats
 * read alpha 1, LUMINANCE reads (L, L, L, 1), ALPHA8 reads (0, 0, 0, A),
 * one- and two-channel float formats read 1 in the missing channels. */
#include <math.h>
#include <string.h>

#include "gl_internal.h"

static inline float un(uint32_t v, float max)
{
    return (float)v * (1.0f / max);
}

static float half_to_float(uint16_t h)
{
    uint32_t s = (uint32_t)(h >> 15) << 31, e = (h >> 10) & 31, m = h & 1023, u;
    if (e == 0) {
        if (m == 0) {
            u = s;
        } else {
            e = 113;
            while (!(m & 1024)) {
                m <<= 1;
                e--;
            }
            u = s | (e << 23) | ((m & 1023) << 13);
        }
    } else if (e == 31) {
        u = s | 0x7f800000u | (m << 13);
    } else {
        u = s | ((e + 112) << 23) | (m << 13);
    }
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static float ldf(const uint8_t *p)
{
    uint32_t u = vgt_load_le32(p);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static void dec_a2r10g10b10(const uint8_t *p, float c[4])
{
    uint32_t v = vgt_load_le32(p);
    c[0] = un((v >> 20) & 1023, 1023.0f);
    c[1] = un((v >> 10) & 1023, 1023.0f);
    c[2] = un(v & 1023, 1023.0f);
    c[3] = un(v >> 30, 3.0f);
}
static void dec_l16(const uint8_t *p, float c[4])
{
    c[0] = c[1] = c[2] = un(vgt_load_le16(p), 65535.0f);
    c[3] = 1.0f;
}
static void dec_l4a4(const uint8_t *p, float c[4])
{
    c[0] = c[1] = c[2] = un(p[0] & 15, 15.0f);
    c[3] = un(p[0] >> 4, 15.0f);
}
static void dec_f16(const uint8_t *p, float c[4], int n)
{
    c[0] = 0.0f;
    c[1] = c[2] = c[3] = 1.0f;
    for (int i = 0; i < n; i++) {
        c[i] = half_to_float(vgt_load_le16(p + 2 * i));
    }
}
static void dec_f32(const uint8_t *p, float c[4], int n)
{
    c[0] = 0.0f;
    c[1] = c[2] = c[3] = 1.0f;
    for (int i = 0; i < n; i++) {
        c[i] = ldf(p + 4 * i);
    }
}
static void dec_argb16f(const uint8_t *p, float c[4])
{
    dec_f16(p, c, 4);
}
static void dec_argb32f(const uint8_t *p, float c[4])
{
    dec_f32(p, c, 4);
}
static void dec_r16f(const uint8_t *p, float c[4])
{
    dec_f16(p, c, 1);
}
static void dec_r32f(const uint8_t *p, float c[4])
{
    dec_f32(p, c, 1);
}
static void dec_rg16f(const uint8_t *p, float c[4])
{
    dec_f16(p, c, 2);
}
static void dec_rg32f(const uint8_t *p, float c[4])
{
    dec_f32(p, c, 2);
}
static void dec_v8u8(const uint8_t *p, float c[4])
{
    for (int i = 0; i < 2; i++) {
        float v = (float)(int8_t)p[i] / 127.0f;
        c[i] = v < -1.0f ? -1.0f : v;
    }
    c[2] = c[3] = 1.0f;
}
static void dec_q8w8v8u8(const uint8_t *p, float c[4])
{
    for (int i = 0; i < 4; i++) {
        float v = (float)(int8_t)p[i] / 127.0f;
        c[i] = v < -1.0f ? -1.0f : v;
    }
}

/* The bump formats GL has no layout for (L6V5U5, X8L8V8U8, CxV8U8) are
 * RGBA16_SNORM textures filled on the CPU.  Each component c of n bits is
 * stored so that GL's snorm16 read (s / 32767, -32768 -> -1) gives the
 * Direct3D 9 value: signed c / cmax clamped at -1, unsigned c / cmax.  The
 * most negative code (-128, -16), which Direct3D reads as -1 like -127,
 * is stored as -32768 and the others as round(c * 32767 / cmax), so every
 * code keeps a distinct value and downloads give the guest's bytes back. */
static int16_t snorm16_enc(int32_t c, int32_t cmax)
{
    if (c < -cmax) {
        return INT16_MIN;
    }
    int32_t n = c * 32767;
    return (int16_t)(n >= 0 ? (n + cmax / 2) / cmax : -((-n + cmax / 2) / cmax));
}
static int32_t snorm16_dec(int16_t s, int32_t cmax)
{
    if (s == INT16_MIN) {
        return -cmax - 1;
    }
    int32_t n = (int32_t)s * cmax;
    return n >= 0 ? (n + 16383) / 32767 : -((-n + 16383) / 32767);
}
static void st16(uint8_t *p, int16_t v)
{
    vgt_store_le16(p, (uint16_t)v);
}
static int16_t ld16(const uint8_t *p)
{
    return (int16_t)vgt_load_le16(p);
}
static float bump_sn(int32_t c, float cmax)
{
    float v = (float)c / cmax;
    return v < -1.0f ? -1.0f : v;
}
/* Sign-extends the n-bit field at bit `at` of w. */
static int32_t sfield(uint32_t w, int at, int n)
{
    int32_t v = (int32_t)((w >> at) & ((1u << n) - 1u));
    return v >= (1 << (n - 1)) ? v - (1 << n) : v;
}

/* L6V5U5: U bits 0-4, V 5-9 (signed), L 10-15 (unsigned) -> (U, V, L, 0). */
static void l6v5u5_to_gl(const uint8_t *src, uint8_t *dst, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t w = vgt_load_le16(src + 2 * i);
        st16(dst + 8 * i, snorm16_enc(sfield(w, 0, 5), 15));
        st16(dst + 8 * i + 2, snorm16_enc(sfield(w, 5, 5), 15));
        st16(dst + 8 * i + 4, snorm16_enc((int32_t)(w >> 10), 63));
        st16(dst + 8 * i + 6, 0);
    }
}
static void l6v5u5_from_gl(const uint8_t *src, uint8_t *dst, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t u = (uint32_t)snorm16_dec(ld16(src + 8 * i), 15) & 31u;
        uint32_t v = (uint32_t)snorm16_dec(ld16(src + 8 * i + 2), 15) & 31u;
        int32_t l = snorm16_dec(ld16(src + 8 * i + 4), 63);
        l = l < 0 ? 0 : l > 63 ? 63 : l;
        vgt_store_le16(dst + 2 * i, (uint16_t)(u | (v << 5) | ((uint32_t)l << 10)));
    }
}
static void dec_l6v5u5(const uint8_t *p, float c[4])
{
    uint32_t w = vgt_load_le16(p);
    c[0] = bump_sn(sfield(w, 0, 5), 15.0f);
    c[1] = bump_sn(sfield(w, 5, 5), 15.0f);
    c[2] = un(w >> 10, 63.0f);
    c[3] = 1.0f;
}

/* X8L8V8U8: bytes U, V (signed), L (unsigned), X -> (U, V, L, X * 128):
 * the X byte is kept in alpha (read as 1 through the swizzle) so that
 * downloads return it. */
static void x8l8v8u8_to_gl(const uint8_t *src, uint8_t *dst, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *p = src + 4 * i;
        st16(dst + 8 * i, snorm16_enc((int8_t)p[0], 127));
        st16(dst + 8 * i + 2, snorm16_enc((int8_t)p[1], 127));
        st16(dst + 8 * i + 4, snorm16_enc(p[2], 255));
        st16(dst + 8 * i + 6, (int16_t)(p[3] * 128));
    }
}
static void x8l8v8u8_from_gl(const uint8_t *src, uint8_t *dst, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        int32_t l = snorm16_dec(ld16(src + 8 * i + 4), 255);
        int32_t x = ld16(src + 8 * i + 6) / 128;
        dst[4 * i] = (uint8_t)snorm16_dec(ld16(src + 8 * i), 127);
        dst[4 * i + 1] = (uint8_t)snorm16_dec(ld16(src + 8 * i + 2), 127);
        dst[4 * i + 2] = (uint8_t)(l < 0 ? 0 : l > 255 ? 255 : l);
        dst[4 * i + 3] = (uint8_t)(x < 0 ? 0 : x > 255 ? 255 : x);
    }
}
static void dec_x8l8v8u8(const uint8_t *p, float c[4])
{
    c[0] = bump_sn((int8_t)p[0], 127.0f);
    c[1] = bump_sn((int8_t)p[1], 127.0f);
    c[2] = un(p[2], 255.0f);
    c[3] = 1.0f;
}

/* CxV8U8 (Microsoft: "the sampler computes C = sqrt(1 - U^2 - V^2)"):
 * (U, V, C, 0), C computed per texel here, clamped at 0 where U^2 + V^2 > 1.
 * Downloads drop C. */
static float cx_of(float u, float v)
{
    float c = 1.0f - u * u - v * v;
    return c > 0.0f ? sqrtf(c) : 0.0f;
}
static void cxv8u8_to_gl(const uint8_t *src, uint8_t *dst, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        int8_t u = (int8_t)src[2 * i], v = (int8_t)src[2 * i + 1];
        float c = cx_of(bump_sn(u, 127.0f), bump_sn(v, 127.0f));
        st16(dst + 8 * i, snorm16_enc(u, 127));
        st16(dst + 8 * i + 2, snorm16_enc(v, 127));
        st16(dst + 8 * i + 4, (int16_t)lrintf(c * 32767.0f));
        st16(dst + 8 * i + 6, 0);
    }
}
static void cxv8u8_from_gl(const uint8_t *src, uint8_t *dst, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        dst[2 * i] = (uint8_t)snorm16_dec(ld16(src + 8 * i), 127);
        dst[2 * i + 1] = (uint8_t)snorm16_dec(ld16(src + 8 * i + 2), 127);
    }
}
static void dec_cxv8u8(const uint8_t *p, float c[4])
{
    c[0] = bump_sn((int8_t)p[0], 127.0f);
    c[1] = bump_sn((int8_t)p[1], 127.0f);
    c[2] = cx_of(c[0], c[1]);
    c[3] = 1.0f;
}

/* LUMINANCE4_ALPHA4 <-> RG8 (L, A), exact both ways (x * 17 / 17). */
static void l4a4_to_gl(const uint8_t *src, uint8_t *dst, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        dst[2 * i] = (uint8_t)((src[i] & 15) * 17);
        dst[2 * i + 1] = (uint8_t)((src[i] >> 4) * 17);
    }
}
static void l4a4_from_gl(const uint8_t *src, uint8_t *dst, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t l = (src[2 * i] + 8u) / 17u, a = (src[2 * i + 1] + 8u) / 17u;
        dst[i] = (uint8_t)(l | (a << 4));
    }
}

#define SW_ID                                                                                      \
    {                                                                                              \
        GL_RED, GL_GREEN, GL_BLUE, GL_ALPHA                                                        \
    }
#define SW_X                                                                                       \
    {                                                                                              \
        GL_RED, GL_GREEN, GL_BLUE, GL_ONE                                                          \
    }
#define SW_L                                                                                       \
    {                                                                                              \
        GL_RED, GL_RED, GL_RED, GL_ONE                                                             \
    }
#define SW_LA                                                                                      \
    {                                                                                              \
        GL_RED, GL_RED, GL_RED, GL_GREEN                                                           \
    }
#define SW_A                                                                                       \
    {                                                                                              \
        GL_ZERO, GL_ZERO, GL_ZERO, GL_RED                                                          \
    }
#define SW_R                                                                                       \
    {                                                                                              \
        GL_RED, GL_ONE, GL_ONE, GL_ONE                                                             \
    }
#define SW_RG                                                                                      \
    {                                                                                              \
        GL_RED, GL_GREEN, GL_ONE, GL_ONE                                                           \
    }
#define SW_DEPTH                                                                                   \
    {                                                                                              \
        GL_RED, GL_RED, GL_RED, GL_ONE                                                             \
    }

/* svga, name, block w/h/bytes, internal, format, type, swizzle, compressed, depth, stencil,
 * renderable, buffer, no_alpha, out, gl_bytes, to_gl, from_gl, decode */
static const gl_format formats[] = {
    {VGT_SVGA3D_X8R8G8B8,
     "X8R8G8B8",
     1,
     1,
     4,
     GL_RGBA8,
     GL_BGRA,
     GL_UNSIGNED_BYTE,
     SW_X,
     0,
     0,
     0,
     1,
     0,
     1,
     GLB_OUT_RGBA,
     4,
     NULL,
     NULL,
     vgt_texel_x8r8g8b8},
    {VGT_SVGA3D_A8R8G8B8,
     "A8R8G8B8",
     1,
     1,
     4,
     GL_RGBA8,
     GL_BGRA,
     GL_UNSIGNED_BYTE,
     SW_ID,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_RGBA,
     4,
     NULL,
     NULL,
     vgt_texel_a8r8g8b8},
    {VGT_SVGA3D_R5G6B5,
     "R5G6B5",
     1,
     1,
     2,
     GL_RGB565,
     GL_RGB,
     GL_UNSIGNED_SHORT_5_6_5,
     SW_ID,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_RGBA,
     2,
     NULL,
     NULL,
     vgt_texel_r5g6b5},
    {VGT_SVGA3D_X1R5G5B5,
     "X1R5G5B5",
     1,
     1,
     2,
     GL_RGB5_A1,
     GL_BGRA,
     GL_UNSIGNED_SHORT_1_5_5_5_REV,
     SW_X,
     0,
     0,
     0,
     1,
     0,
     1,
     GLB_OUT_RGBA,
     2,
     NULL,
     NULL,
     vgt_texel_x1r5g5b5},
    {VGT_SVGA3D_A1R5G5B5,
     "A1R5G5B5",
     1,
     1,
     2,
     GL_RGB5_A1,
     GL_BGRA,
     GL_UNSIGNED_SHORT_1_5_5_5_REV,
     SW_ID,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_RGBA,
     2,
     NULL,
     NULL,
     vgt_texel_a1r5g5b5},
    {VGT_SVGA3D_A4R4G4B4,
     "A4R4G4B4",
     1,
     1,
     2,
     GL_RGBA4,
     GL_BGRA,
     GL_UNSIGNED_SHORT_4_4_4_4_REV,
     SW_ID,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_RGBA,
     2,
     NULL,
     NULL,
     vgt_texel_a4r4g4b4},
    {VGT_SVGA3D_Z_D32,
     "Z_D32",
     1,
     1,
     4,
     GL_DEPTH_COMPONENT32,
     GL_DEPTH_COMPONENT,
     GL_UNSIGNED_INT,
     SW_DEPTH,
     0,
     1,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     4,
     NULL,
     NULL,
     vgt_texel_d32},
    {VGT_SVGA3D_Z_D16,
     "Z_D16",
     1,
     1,
     2,
     GL_DEPTH_COMPONENT16,
     GL_DEPTH_COMPONENT,
     GL_UNSIGNED_SHORT,
     SW_DEPTH,
     0,
     1,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     2,
     NULL,
     NULL,
     vgt_texel_d16},
    {VGT_SVGA3D_Z_D24S8,
     "Z_D24S8",
     1,
     1,
     4,
     GL_DEPTH24_STENCIL8,
     GL_DEPTH_STENCIL,
     GL_UNSIGNED_INT_24_8,
     SW_DEPTH,
     0,
     1,
     1,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     4,
     NULL,
     NULL,
     vgt_texel_d24},
    /* D24X8 keeps its X byte in the stencil bits, so DMA round trips are exact;
     * draws never enable the stencil test on it */
    {VGT_SVGA3D_Z_D24X8,
     "Z_D24X8",
     1,
     1,
     4,
     GL_DEPTH24_STENCIL8,
     GL_DEPTH_STENCIL,
     GL_UNSIGNED_INT_24_8,
     SW_DEPTH,
     0,
     1,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     4,
     NULL,
     NULL,
     vgt_texel_d24},
    {VGT_SVGA3D_LUMINANCE8,
     "LUMINANCE8",
     1,
     1,
     1,
     GL_R8,
     GL_RED,
     GL_UNSIGNED_BYTE,
     SW_L,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_L,
     1,
     NULL,
     NULL,
     vgt_texel_l8},
    {VGT_SVGA3D_LUMINANCE4_ALPHA4,
     "LUMINANCE4_ALPHA4",
     1,
     1,
     1,
     GL_RG8,
     GL_RG,
     GL_UNSIGNED_BYTE,
     SW_LA,
     0,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_LA,
     2,
     l4a4_to_gl,
     l4a4_from_gl,
     dec_l4a4},
    {VGT_SVGA3D_LUMINANCE16,
     "LUMINANCE16",
     1,
     1,
     2,
     GL_R16,
     GL_RED,
     GL_UNSIGNED_SHORT,
     SW_L,
     0,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_L,
     2,
     NULL,
     NULL,
     dec_l16},
    {VGT_SVGA3D_LUMINANCE8_ALPHA8,
     "LUMINANCE8_ALPHA8",
     1,
     1,
     2,
     GL_RG8,
     GL_RG,
     GL_UNSIGNED_BYTE,
     SW_LA,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_LA,
     2,
     NULL,
     NULL,
     vgt_texel_l8a8},
    {VGT_SVGA3D_DXT1,
     "DXT1",
     4,
     4,
     8,
     GL_COMPRESSED_RGBA_S3TC_DXT1_EXT,
     0,
     0,
     SW_ID,
     1,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     8,
     NULL,
     NULL,
     NULL},
    {VGT_SVGA3D_DXT2,
     "DXT2",
     4,
     4,
     16,
     GL_COMPRESSED_RGBA_S3TC_DXT3_EXT,
     0,
     0,
     SW_ID,
     1,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     16,
     NULL,
     NULL,
     NULL},
    {VGT_SVGA3D_DXT3,
     "DXT3",
     4,
     4,
     16,
     GL_COMPRESSED_RGBA_S3TC_DXT3_EXT,
     0,
     0,
     SW_ID,
     1,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     16,
     NULL,
     NULL,
     NULL},
    {VGT_SVGA3D_DXT4,
     "DXT4",
     4,
     4,
     16,
     GL_COMPRESSED_RGBA_S3TC_DXT5_EXT,
     0,
     0,
     SW_ID,
     1,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     16,
     NULL,
     NULL,
     NULL},
    {VGT_SVGA3D_DXT5,
     "DXT5",
     4,
     4,
     16,
     GL_COMPRESSED_RGBA_S3TC_DXT5_EXT,
     0,
     0,
     SW_ID,
     1,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     16,
     NULL,
     NULL,
     NULL},
    {VGT_SVGA3D_ARGB_S10E5,
     "ARGB_S10E5",
     1,
     1,
     8,
     GL_RGBA16F,
     GL_RGBA,
     GL_HALF_FLOAT,
     SW_ID,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_RGBA,
     8,
     NULL,
     NULL,
     dec_argb16f},
    {VGT_SVGA3D_ARGB_S23E8,
     "ARGB_S23E8",
     1,
     1,
     16,
     GL_RGBA32F,
     GL_RGBA,
     GL_FLOAT,
     SW_ID,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_RGBA,
     16,
     NULL,
     NULL,
     dec_argb32f},
    {VGT_SVGA3D_A2R10G10B10,
     "A2R10G10B10",
     1,
     1,
     4,
     GL_RGB10_A2,
     GL_BGRA,
     GL_UNSIGNED_INT_2_10_10_10_REV,
     SW_ID,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_RGBA,
     4,
     NULL,
     NULL,
     dec_a2r10g10b10},
    {VGT_SVGA3D_V8U8,
     "V8U8",
     1,
     1,
     2,
     GL_RG8_SNORM,
     GL_RG,
     GL_BYTE,
     SW_RG,
     0,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     2,
     NULL,
     NULL,
     dec_v8u8},
    {VGT_SVGA3D_Q8W8V8U8,
     "Q8W8V8U8",
     1,
     1,
     4,
     GL_RGBA8_SNORM,
     GL_RGBA,
     GL_BYTE,
     SW_ID,
     0,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     4,
     NULL,
     NULL,
     dec_q8w8v8u8},
    /* the Direct3D 9 bump formats (docs/gl.md "Bump formats"): BUMPU8V8 is
     * D3DFMT_V8U8 like V8U8; the others go through RGBA16_SNORM above;
     * BUMPL8V8U8 has no Direct3D 9 format and stays raw */
    {VGT_SVGA3D_BUMPU8V8,
     "BUMPU8V8",
     1,
     1,
     2,
     GL_RG8_SNORM,
     GL_RG,
     GL_BYTE,
     SW_RG,
     0,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     2,
     NULL,
     NULL,
     dec_v8u8},
    {VGT_SVGA3D_BUMPL6V5U5,
     "BUMPL6V5U5",
     1,
     1,
     2,
     GL_RGBA16_SNORM,
     GL_RGBA,
     GL_SHORT,
     SW_X,
     0,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     8,
     l6v5u5_to_gl,
     l6v5u5_from_gl,
     dec_l6v5u5},
    {VGT_SVGA3D_BUMPX8L8V8U8,
     "BUMPX8L8V8U8",
     1,
     1,
     4,
     GL_RGBA16_SNORM,
     GL_RGBA,
     GL_SHORT,
     SW_X,
     0,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     8,
     x8l8v8u8_to_gl,
     x8l8v8u8_from_gl,
     dec_x8l8v8u8},
    {VGT_SVGA3D_X8L8V8U8,
     "X8L8V8U8",
     1,
     1,
     4,
     GL_RGBA16_SNORM,
     GL_RGBA,
     GL_SHORT,
     SW_X,
     0,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     8,
     x8l8v8u8_to_gl,
     x8l8v8u8_from_gl,
     dec_x8l8v8u8},
    {VGT_SVGA3D_CXV8U8,
     "CXV8U8",
     1,
     1,
     2,
     GL_RGBA16_SNORM,
     GL_RGBA,
     GL_SHORT,
     SW_X,
     0,
     0,
     0,
     0,
     0,
     0,
     GLB_OUT_RGBA,
     8,
     cxv8u8_to_gl,
     cxv8u8_from_gl,
     dec_cxv8u8},
    {VGT_SVGA3D_ALPHA8,
     "ALPHA8",
     1,
     1,
     1,
     GL_R8,
     GL_RED,
     GL_UNSIGNED_BYTE,
     SW_A,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_A,
     1,
     NULL,
     NULL,
     vgt_texel_a8},
    {VGT_SVGA3D_R_S10E5,
     "R_S10E5",
     1,
     1,
     2,
     GL_R16F,
     GL_RED,
     GL_HALF_FLOAT,
     SW_R,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_RGBA,
     2,
     NULL,
     NULL,
     dec_r16f},
    {VGT_SVGA3D_R_S23E8,
     "R_S23E8",
     1,
     1,
     4,
     GL_R32F,
     GL_RED,
     GL_FLOAT,
     SW_R,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_RGBA,
     4,
     NULL,
     NULL,
     dec_r32f},
    {VGT_SVGA3D_RG_S10E5,
     "RG_S10E5",
     1,
     1,
     4,
     GL_RG16F,
     GL_RG,
     GL_HALF_FLOAT,
     SW_RG,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_RGBA,
     4,
     NULL,
     NULL,
     dec_rg16f},
    {VGT_SVGA3D_RG_S23E8,
     "RG_S23E8",
     1,
     1,
     8,
     GL_RG32F,
     GL_RG,
     GL_FLOAT,
     SW_RG,
     0,
     0,
     0,
     1,
     0,
     0,
     GLB_OUT_RGBA,
     8,
     NULL,
     NULL,
     dec_rg32f},
    {VGT_SVGA3D_BUFFER, "BUFFER", 1,    1,    1,   0, 0, 0, SW_ID, 0, 0, 0, 0, 1, 0,
     GLB_OUT_RGBA,      1,        NULL, NULL, NULL},
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

const gl_format *gl_format_get(uint32_t svga)
{
    for (size_t i = 0; i < NFORMATS; i++) {
        if (formats[i].svga == svga) {
            return &formats[i];
        }
    }
    return NULL;
}

const gl_format *gl_format_at(uint32_t index)
{
    return index < NFORMATS ? &formats[index] : NULL;
}
