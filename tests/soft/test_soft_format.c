/* test_soft_format.c - formats, size arithmetic, surfaces, DMA round trips,
 * DXT decode, copies, stretch blits and clears. */
#include "soft_test_util.h"

#include <stdlib.h>
#include <string.h>

static const uint32_t all_formats[] = {
    VGT_SVGA3D_X8R8G8B8,          VGT_SVGA3D_A8R8G8B8,   VGT_SVGA3D_R5G6B5,     VGT_SVGA3D_X1R5G5B5,
    VGT_SVGA3D_A1R5G5B5,          VGT_SVGA3D_A4R4G4B4,   VGT_SVGA3D_Z_D32,      VGT_SVGA3D_Z_D16,
    VGT_SVGA3D_Z_D24S8,           VGT_SVGA3D_Z_D24X8,    VGT_SVGA3D_LUMINANCE8, VGT_SVGA3D_ALPHA8,
    VGT_SVGA3D_LUMINANCE8_ALPHA8, VGT_SVGA3D_DXT1,       VGT_SVGA3D_DXT3,       VGT_SVGA3D_DXT5,
    VGT_SVGA3D_ARGB_S10E5,        VGT_SVGA3D_ARGB_S23E8, VGT_SVGA3D_BUFFER,
};
#define NFORMATS (sizeof(all_formats) / sizeof(all_formats[0]))

static void test_image_size(void **state)
{
    (void)state;
    uint64_t pitch, bytes;
    vgt_error err = {0};
    assert_int_equal(vgt_soft_image_size(VGT_SVGA3D_A8R8G8B8, 3, 5, 1, &pitch, &bytes, &err), 0);
    assert_int_equal(pitch, 12);
    assert_int_equal(bytes, 60);
    assert_int_equal(vgt_soft_image_size(VGT_SVGA3D_R5G6B5, 3, 5, 2, &pitch, &bytes, &err), 0);
    assert_int_equal(pitch, 6);
    assert_int_equal(bytes, 60);
    assert_int_equal(vgt_soft_image_size(VGT_SVGA3D_DXT1, 5, 5, 1, &pitch, &bytes, &err), 0);
    assert_int_equal(pitch, 16); /* 2 blocks of 8 bytes */
    assert_int_equal(bytes, 32);
    assert_int_equal(vgt_soft_image_size(VGT_SVGA3D_DXT5, 1, 1, 1, &pitch, &bytes, &err), 0);
    assert_int_equal(bytes, 16);
    assert_int_equal(vgt_soft_image_size(VGT_SVGA3D_ARGB_S23E8, 7, 1, 1, &pitch, &bytes, &err), 0);
    assert_int_equal(bytes, 7 * 16);
    assert_int_equal(vgt_soft_image_size(VGT_SVGA3D_BUFFER, 1u << 30, 1, 1, &pitch, &bytes, &err),
                     0);
    assert_int_equal(bytes, 1ull << 30);
    /* rejected: zero, too large, overflowing, unknown */
    assert_int_equal(vgt_soft_image_size(VGT_SVGA3D_A8R8G8B8, 0, 5, 1, &pitch, &bytes, &err),
                     VGT_E_RANGE);
    assert_int_equal(vgt_soft_image_size(VGT_SVGA3D_A8R8G8B8, 16385, 1, 1, &pitch, &bytes, &err),
                     VGT_E_RANGE);
    assert_int_equal(
        vgt_soft_image_size(VGT_SVGA3D_A8R8G8B8, 16384, 16384, 16384, &pitch, &bytes, &err),
        VGT_E_RANGE);
    assert_int_equal(
        vgt_soft_image_size(VGT_SVGA3D_ARGB_S23E8, 16384, 16384, 1, &pitch, &bytes, &err),
        VGT_E_RANGE); /* 4 GiB */
    assert_int_equal(
        vgt_soft_image_size(VGT_SVGA3D_BUFFER, (1u << 30) + 1, 1, 1, &pitch, &bytes, &err),
        VGT_E_RANGE);
    assert_int_equal(vgt_soft_image_size(VGT_SVGA3D_BUFFER, UINT32_MAX, UINT32_MAX, UINT32_MAX,
                                         &pitch, &bytes, &err),
                     VGT_E_RANGE);
    assert_int_equal(vgt_soft_image_size(99, 1, 1, 1, &pitch, &bytes, &err), VGT_E_UNSUPPORTED);
    vgt_soft_format_info info;
    assert_int_equal(vgt_soft_format_query(VGT_SVGA3D_DXT3, &info, &err), 0);
    assert_int_equal(info.block_width, 4);
    assert_int_equal(info.block_bytes, 16);
    assert_true(info.compressed && !info.renderable);
    assert_int_equal(vgt_soft_format_query(VGT_SVGA3D_Z_D24S8, &info, &err), 0);
    assert_true(info.depth && info.stencil);
}

static void test_surface_create_invalid(void **state)
{
    (void)state;
    vgt_soft_surface *s = NULL;
    vgt_error err = {0};
    vgt_soft_surface_desc d = {VGT_SVGA3D_A8R8G8B8, 16, 16, 1, 2, 1};
    assert_int_equal(vgt_soft_surface_create(&d, &s, &err), VGT_E_INVALID);
    d.faces = 1;
    d.mip_levels = 0;
    assert_int_equal(vgt_soft_surface_create(&d, &s, &err), VGT_E_INVALID);
    d.mip_levels = 16;
    assert_int_equal(vgt_soft_surface_create(&d, &s, &err), VGT_E_INVALID);
    d.mip_levels = 1;
    d.faces = 6;
    d.height = 8;
    assert_int_equal(vgt_soft_surface_create(&d, &s, &err), VGT_E_INVALID);
    d.faces = 1;
    d.width = d.height = 16384;
    d.depth = 8;
    assert_int_equal(vgt_soft_surface_create(&d, &s, &err), VGT_E_RANGE);
    d.format = 12345;
    assert_int_equal(vgt_soft_surface_create(&d, &s, &err), VGT_E_UNSUPPORTED);
    assert_null(s);
    /* a cube map with a full mip chain has the right level sizes */
    vgt_soft_surface_desc c = {VGT_SVGA3D_DXT1, 16, 16, 1, 6, 5};
    assert_int_equal(vgt_soft_surface_create(&c, &s, &err), VGT_OK);
    uint32_t w, h, dd;
    assert_int_equal(vgt_soft_surface_level_size(s, 5, 4, &w, &h, &dd, &err), VGT_OK);
    assert_int_equal(w, 1);
    assert_int_equal(h, 1);
    assert_int_equal(vgt_soft_surface_level_size(s, 6, 0, &w, &h, &dd, &err), VGT_E_RANGE);
    assert_int_equal(vgt_soft_surface_level_size(s, 0, 5, &w, &h, &dd, &err), VGT_E_RANGE);
    uint8_t *data;
    size_t len;
    assert_int_equal(vgt_soft_surface_bytes(s, 5, 4, &data, &len, &err), VGT_OK);
    assert_int_equal(len, 8);
    vgt_soft_surface_destroy(s);
}

static uint32_t rng = 12345;
static uint8_t rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return (uint8_t)(rng >> 16);
}

/* Uploading then downloading any box gives back the same bytes, for every format. */
static void test_round_trip_every_format(void **state)
{
    (void)state;
    for (size_t f = 0; f < NFORMATS; f++) {
        vgt_soft_format_info info;
        vgt_error err = {0};
        assert_int_equal(vgt_soft_format_query(all_formats[f], &info, &err), 0);
        uint32_t w = info.compressed ? 16 : 13, h = info.compressed ? 12 : 9;
        vgt_soft_surface_desc d = {all_formats[f], w, h, 1, 1, 2};
        vgt_soft_surface *s;
        assert_int_equal(vgt_soft_surface_create(&d, &s, &err), VGT_OK);
        for (uint32_t m = 0; m < 2; m++) {
            uint32_t lw, lh;
            assert_int_equal(vgt_soft_surface_level_size(s, 0, m, &lw, &lh, NULL, &err), 0);
            uint32_t bw = (lw + info.block_width - 1) / info.block_width;
            uint32_t bh = (lh + info.block_height - 1) / info.block_height;
            uint32_t row = bw * info.block_bytes, pitch = row + 7;
            size_t len = (size_t)pitch * bh;
            uint8_t *src = malloc(len), *dst = malloc(len + 64);
            for (size_t i = 0; i < len; i++) {
                src[i] = rnd();
            }
            vgt_soft_box box = {0, 0, 0, lw, lh, 1};
            assert_int_equal(vgt_soft_surface_upload(s, 0, m, &box, src, len, pitch, 0, &err),
                             VGT_OK);
            /* download with a different pitch */
            uint32_t p2 = row + 64 / bh + 1;
            memset(dst, 0xcd, len + 64);
            size_t len2 = (size_t)p2 * (bh - 1) + row;
            assert_int_equal(vgt_soft_surface_download(s, 0, m, &box, dst, len2, p2, 0, &err),
                             VGT_OK);
            for (uint32_t y = 0; y < bh; y++) {
                assert_memory_equal(dst + (size_t)y * p2, src + (size_t)y * pitch, row);
            }
            /* one byte short is an error, nothing is read out of bounds */
            assert_int_equal(vgt_soft_surface_download(s, 0, m, &box, dst, len2 - 1, p2, 0, &err),
                             VGT_E_RANGE);
            assert_int_equal(
                vgt_soft_surface_upload(s, 0, m, &box, src, len - pitch + row - 1, pitch, 0, &err),
                VGT_E_RANGE);
            free(src);
            free(dst);
        }
        /* a sub-box lands in the right place */
        uint32_t bx = info.block_width, by = info.block_height;
        vgt_soft_box sub = {bx, by, 0, bx, by, 1};
        uint8_t blk[16];
        for (int i = 0; i < 16; i++) {
            blk[i] = (uint8_t)(0xa0 + i);
        }
        assert_int_equal(vgt_soft_surface_upload(s, 0, 0, &sub, blk, info.block_bytes, 0, 0, &err),
                         VGT_OK);
        uint8_t *all;
        size_t alen;
        assert_int_equal(vgt_soft_surface_bytes(s, 0, 0, &all, &alen, &err), 0);
        uint32_t row = ((w + info.block_width - 1) / info.block_width) * info.block_bytes;
        assert_memory_equal(all + row + info.block_bytes, blk, info.block_bytes);
        /* outside, unaligned */
        vgt_soft_box out = {w - 1, 0, 0, 2, 1, 1};
        assert_int_equal(vgt_soft_surface_upload(s, 0, 0, &out, blk, 16, 0, 0, &err),
                         info.compressed ? VGT_E_RANGE : VGT_E_RANGE);
        if (info.compressed) {
            vgt_soft_box un = {2, 0, 0, 4, 4, 1};
            assert_int_equal(vgt_soft_surface_upload(s, 0, 0, &un, blk, 16, 0, 0, &err),
                             VGT_E_INVALID);
        }
        vgt_soft_box bad_mip = {0, 0, 0, 1, 1, 1};
        assert_int_equal(vgt_soft_surface_upload(s, 0, 2, &bad_mip, blk, 16, 0, 0, &err),
                         VGT_E_RANGE);
        vgt_soft_surface_destroy(s);
    }
}

static void read4x4(uint32_t fmt, const uint8_t *block, size_t len, uint32_t out[16])
{
    vgt_error err = {0};
    vgt_soft_surface_desc d = {fmt, 4, 4, 1, 1, 1};
    vgt_soft_surface *s;
    assert_int_equal(vgt_soft_surface_create(&d, &s, &err), VGT_OK);
    vgt_soft_box b = {0, 0, 0, 4, 4, 1};
    assert_int_equal(vgt_soft_surface_upload(s, 0, 0, &b, block, len, 0, 0, &err), VGT_OK);
    vgt_image img;
    vgt_soft_view v = {s, 0, 0};
    assert_int_equal(vgt_soft_surface_read_image(&v, &img, &err), VGT_OK);
    for (int i = 0; i < 16; i++) {
        out[i] = vgt_load_le32(img.pixels + (size_t)(i / 4) * img.stride + (size_t)(i % 4) * 4);
    }
    vgt_image_free(&img);
    vgt_soft_surface_destroy(s);
}

/* Known DXT blocks decode to known texels. */
static void test_dxt_decode(void **state)
{
    (void)state;
    uint32_t t[16];
    /* DXT1, 4-color mode: c0 = red 0xf800 > c1 = blue 0x001f, index = texel % 4 */
    uint8_t b1[8] = {0x00, 0xf8, 0x1f, 0x00, 0xe4, 0xe4, 0xe4, 0xe4};
    read4x4(VGT_SVGA3D_DXT1, b1, 8, t);
    const uint32_t four[4] = {0xffff0000u, 0xff0000ffu, 0xffaa0055u, 0xff5500aau};
    for (int i = 0; i < 16; i++) {
        assert_int_equal(t[i], four[i % 4]);
    }
    /* DXT1, 3-color mode: c0 = blue < c1 = red: 1/2 mix and transparent black */
    uint8_t b2[8] = {0x1f, 0x00, 0x00, 0xf8, 0xe4, 0xe4, 0xe4, 0xe4};
    read4x4(VGT_SVGA3D_DXT1, b2, 8, t);
    const uint32_t three[4] = {0xff0000ffu, 0xffff0000u, 0xff7f007fu, 0x00000000u};
    for (int i = 0; i < 16; i++) {
        assert_int_equal(t[i], three[i % 4]);
    }
    /* DXT3: explicit 4-bit alpha t, color block always 4-color */
    uint8_t b3[16] = {0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
                      0x1f, 0x00, 0x00, 0xf8, 0xe4, 0xe4, 0xe4, 0xe4};
    read4x4(VGT_SVGA3D_DXT3, b3, 16, t);
    const uint32_t c3[4] = {0x0000ffu, 0xff0000u, 0x5500aau, 0xaa0055u};
    for (uint32_t i = 0; i < 16; i++) {
        assert_int_equal(t[i], ((i * 17u) << 24) | c3[i % 4]);
    }
    /* DXT5: a0 = 255 > a1 = 0: 8 alphas, index = texel % 8 */
    uint8_t b5[16] = {255,  0,    0x88, 0xc6, 0xfa, 0x88, 0xc6, 0xfa,
                      0x00, 0xf8, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00};
    read4x4(VGT_SVGA3D_DXT5, b5, 16, t);
    const uint32_t a8[8] = {255, 0, 218, 182, 145, 109, 72, 36};
    for (int i = 0; i < 16; i++) {
        assert_int_equal(t[i], (a8[i % 8] << 24) | 0xff0000u);
    }
    /* DXT5 6-alpha mode: a0 = 0 <= a1 = 100: 20, 40, 60, 80, 0, 255 */
    uint8_t b6[16] = {0,    100,  0x88, 0xc6, 0xfa, 0x88, 0xc6, 0xfa,
                      0x00, 0xf8, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00};
    read4x4(VGT_SVGA3D_DXT5, b6, 16, t);
    const uint32_t a6[8] = {0, 100, 20, 40, 60, 80, 0, 255};
    for (int i = 0; i < 16; i++) {
        assert_int_equal(t[i] >> 24, a6[i % 8]);
    }
}

static vgt_soft_surface *surf(uint32_t fmt, uint32_t w, uint32_t h)
{
    vgt_error err = {0};
    vgt_soft_surface *s;
    vgt_soft_surface_desc d = {fmt, w, h, 1, 1, 1};
    assert_int_equal(vgt_soft_surface_create(&d, &s, &err), VGT_OK);
    return s;
}

static uint32_t px32(vgt_soft_surface *s, uint32_t x, uint32_t y)
{
    uint8_t *d;
    size_t len;
    vgt_error err = {0};
    assert_int_equal(vgt_soft_surface_bytes(s, 0, 0, &d, &len, &err), 0);
    uint32_t w = vgt_soft_surface_describe(s)->width;
    return vgt_load_le32(d + ((size_t)y * w + x) * 4);
}

static void test_copy_stretch(void **state)
{
    (void)state;
    vgt_error err = {0};
    vgt_soft_surface *a = surf(VGT_SVGA3D_A8R8G8B8, 8, 8), *b = surf(VGT_SVGA3D_X8R8G8B8, 8, 8);
    uint32_t px[64];
    for (uint32_t i = 0; i < 64; i++) {
        px[i] = 0xff000000u | (i * 0x030201u);
    }
    vgt_soft_box all = {0, 0, 0, 8, 8, 1};
    assert_int_equal(vgt_soft_surface_upload(a, 0, 0, &all, px, sizeof(px), 0, 0, &err), 0);
    vgt_soft_view va = {a, 0, 0}, vb = {b, 0, 0};
    vgt_soft_copy_box cb = {1, 2, 0, 3, 2, 1, 4, 5, 0};
    assert_int_equal(vgt_soft_surface_copy(&vb, &va, &cb, 1, &err), VGT_OK);
    assert_int_equal(px32(b, 1, 2), px[5 * 8 + 4]);
    assert_int_equal(px32(b, 3, 3), px[6 * 8 + 6]);
    assert_int_equal(px32(b, 0, 2), 0);
    /* overlapping copy inside one image: shift down by one row */
    vgt_soft_copy_box ov = {0, 1, 0, 8, 7, 1, 0, 0, 0};
    assert_int_equal(vgt_soft_surface_copy(&va, &va, &ov, 1, &err), VGT_OK);
    for (uint32_t y = 1; y < 8; y++) {
        assert_int_equal(px32(a, 5, y), px[(y - 1) * 8 + 5]);
    }
    /* out of range box */
    vgt_soft_copy_box bad = {6, 0, 0, 3, 1, 1, 0, 0, 0};
    assert_int_equal(vgt_soft_surface_copy(&vb, &va, &bad, 1, &err), VGT_E_RANGE);
    /* block sizes must match */
    vgt_soft_surface *c = surf(VGT_SVGA3D_R5G6B5, 8, 8);
    vgt_soft_view vc = {c, 0, 0};
    assert_int_equal(vgt_soft_surface_copy(&vc, &va, &cb, 1, &err), VGT_E_INVALID);
    /* stretch 2x2 -> 4x4 point, then linear, then convert to R5G6B5 */
    uint32_t q[4] = {0xff000000u, 0xffff0000u, 0xff00ff00u, 0xff0000ffu};
    vgt_soft_box qb = {0, 0, 0, 2, 2, 1};
    assert_int_equal(vgt_soft_surface_upload(a, 0, 0, &qb, q, sizeof(q), 0, 0, &err), 0);
    vgt_soft_box db = {0, 0, 0, 4, 4, 1};
    assert_int_equal(vgt_soft_surface_stretch(&vb, &db, &va, &qb, false, &err), VGT_OK);
    assert_int_equal(px32(b, 0, 0), 0xff000000u);
    assert_int_equal(px32(b, 1, 1), 0xff000000u);
    assert_int_equal(px32(b, 2, 1), 0xffff0000u);
    assert_int_equal(px32(b, 3, 3), 0xff0000ffu);
    assert_int_equal(vgt_soft_surface_stretch(&vb, &db, &va, &qb, true, &err), VGT_OK);
    /* dst (1,1) samples src (0.75-0.5=0.25, 0.25): 0.75*0.75*q0 + 0.25*0.75*q1 + ... */
    uint32_t m = px32(b, 1, 1);
    assert_int_equal((m >> 16) & 0xff, 48); /* red: 0.25*0.75 * 255 = 47.8 */
    assert_int_equal((m >> 8) & 0xff, 48);
    assert_int_equal(m & 0xff, 16); /* 0.0625 * 255 = 15.9 */
    assert_int_equal(vgt_soft_surface_stretch(&vc, &db, &va, &qb, false, &err), VGT_OK);
    uint8_t *cd;
    size_t cl;
    assert_int_equal(vgt_soft_surface_bytes(c, 0, 0, &cd, &cl, &err), 0);
    assert_int_equal(vgt_load_le16(cd + 2 * 2), 0xf800);     /* red */
    assert_int_equal(vgt_load_le16(cd + 8 * 2 * 2), 0x07e0); /* (0, 2): green */
    vgt_soft_surface_destroy(a);
    vgt_soft_surface_destroy(b);
    vgt_soft_surface_destroy(c);
}

static void test_clear(void **state)
{
    (void)state;
    vgt_error err = {0};
    vgt_soft_device *dev;
    assert_int_equal(vgt_soft_device_create(1, &dev, &err), 0);
    vgt_soft_surface *rt = surf(VGT_SVGA3D_A8R8G8B8, 8, 8), *ds = surf(VGT_SVGA3D_Z_D24S8, 8, 8);
    vgt_soft_view cv = {rt, 0, 0}, dv = {ds, 0, 0};
    vgt_soft_rect r[2] = {{-2, -2, 4, 4}, {6, 6, 100, 100}};
    assert_int_equal(vgt_soft_clear(dev, &cv, &dv, 7, 0x80112233u, 0.5f, 0x1a5, r, 2, &err), 0);
    assert_int_equal(px32(rt, 0, 0), 0x80112233u);
    assert_int_equal(px32(rt, 1, 1), 0x80112233u);
    assert_int_equal(px32(rt, 2, 2), 0);
    assert_int_equal(px32(rt, 7, 7), 0x80112233u);
    assert_int_equal(px32(ds, 0, 0), (8388608u << 8) | 0xa5u); /* 0.5 * (2^24-1) rounds up */
    /* stencil only keeps depth */
    assert_int_equal(
        vgt_soft_clear(dev, NULL, &dv, VGT_SVGA3D_CLEAR_STENCIL, 0, 0.0f, 7, NULL, 0, &err), 0);
    assert_int_equal(px32(ds, 0, 0), (8388608u << 8) | 7u);
    /* errors */
    assert_int_equal(vgt_soft_clear(dev, NULL, &dv, VGT_SVGA3D_CLEAR_COLOR, 0, 0, 0, NULL, 0, &err),
                     VGT_E_STATE);
    assert_int_equal(vgt_soft_clear(dev, &cv, &cv, VGT_SVGA3D_CLEAR_DEPTH, 0, 0, 0, NULL, 0, &err),
                     VGT_E_INVALID);
    assert_int_equal(vgt_soft_clear(dev, &cv, NULL, 0x10, 0, 0, 0, NULL, 0, &err), VGT_E_INVALID);
    /* half float target: 128/255 -> 0x3804, 1.0 -> 0x3c00 */
    vgt_soft_surface *hf = surf(VGT_SVGA3D_ARGB_S10E5, 2, 2);
    vgt_soft_view hv = {hf, 0, 0};
    assert_int_equal(vgt_soft_clear(dev, &hv, NULL, 1, 0xff808000u, 0, 0, NULL, 0, &err), 0);
    uint8_t *d;
    size_t len;
    assert_int_equal(vgt_soft_surface_bytes(hf, 0, 0, &d, &len, &err), 0);
    assert_int_equal(vgt_load_le16(d + 0), 0x3804); /* R */
    assert_int_equal(vgt_load_le16(d + 2), 0x3804); /* G */
    assert_int_equal(vgt_load_le16(d + 4), 0x0000); /* B */
    assert_int_equal(vgt_load_le16(d + 6), 0x3c00); /* A */
    /* D16 and D32 */
    vgt_soft_surface *d16 = surf(VGT_SVGA3D_Z_D16, 2, 2), *d32 = surf(VGT_SVGA3D_Z_D32, 2, 2);
    vgt_soft_view v16 = {d16, 0, 0}, v32 = {d32, 0, 0};
    assert_int_equal(vgt_soft_clear(dev, NULL, &v16, 2, 0, 1.0f, 0, NULL, 0, &err), 0);
    assert_int_equal(vgt_soft_clear(dev, NULL, &v32, 2, 0, 0.25f, 0, NULL, 0, &err), 0);
    assert_int_equal(vgt_soft_surface_bytes(d16, 0, 0, &d, &len, &err), 0);
    assert_int_equal(vgt_load_le16(d), 0xffff);
    assert_int_equal(vgt_soft_surface_bytes(d32, 0, 0, &d, &len, &err), 0);
    assert_int_equal(vgt_load_le32(d), 0x40000000u);
    vgt_soft_surface_destroy(hf);
    vgt_soft_surface_destroy(d16);
    vgt_soft_surface_destroy(d32);
    vgt_soft_surface_destroy(rt);
    vgt_soft_surface_destroy(ds);
    vgt_soft_device_destroy(dev);
}

/* A clear writes its rect's first row and copies it to the other rows (and
 * slices): every row of the rect, at the rect's columns, in every slice;
 * a depth-only clear of D24S8 keeps each pixel's own stencil. */
static void test_clear_rows(void **state)
{
    (void)state;
    vgt_error err = {0};
    vgt_soft_device *dev;
    assert_int_equal(vgt_soft_device_create(1, &dev, &err), 0);
    uint8_t *d;
    size_t len;

    /* D24S8, stencil = the pixel's index, depth 0: DEPTH alone in x 2..4, y 1..5 */
    vgt_soft_surface *ds = surf(VGT_SVGA3D_Z_D24S8, 8, 8);
    uint32_t init[64];
    for (uint32_t i = 0; i < 64; i++) {
        init[i] = i;
    }
    vgt_soft_box all = {0, 0, 0, 8, 8, 1};
    assert_int_equal(vgt_soft_surface_upload(ds, 0, 0, &all, init, sizeof(init), 0, 0, &err), 0);
    vgt_soft_view dv = {ds, 0, 0};
    vgt_soft_rect r = {2, 1, 3, 5};
    assert_int_equal(
        vgt_soft_clear(dev, NULL, &dv, VGT_SVGA3D_CLEAR_DEPTH, 0, 1.0f, 0, &r, 1, &err), 0);
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            bool in = x >= 2 && x < 5 && y >= 1 && y < 6;
            assert_int_equal(px32(ds, x, y), (in ? 0xffffffu << 8 : 0u) | (y * 8 + x));
        }
    }

    /* D16 zeroed: DEPTH in x 3..4, y 2..5; the columns left of the rect stay 0 */
    vgt_soft_surface *d16 = surf(VGT_SVGA3D_Z_D16, 8, 8);
    vgt_soft_view v16 = {d16, 0, 0};
    vgt_soft_rect r16 = {3, 2, 2, 4};
    assert_int_equal(
        vgt_soft_clear(dev, NULL, &v16, VGT_SVGA3D_CLEAR_DEPTH, 0, 1.0f, 0, &r16, 1, &err), 0);
    assert_int_equal(vgt_soft_surface_bytes(d16, 0, 0, &d, &len, &err), 0);
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            bool in = x >= 3 && x < 5 && y >= 2 && y < 6;
            assert_int_equal(vgt_load_le16(d + 2 * (y * 8 + x)), in ? 0xffff : 0);
        }
    }

    /* a 4x4x3 volume target: the rect x 1..2, y 1..2 in all three slices */
    vgt_soft_surface *vol;
    vgt_soft_surface_desc vd = {VGT_SVGA3D_A8R8G8B8, 4, 4, 3, 1, 1};
    assert_int_equal(vgt_soft_surface_create(&vd, &vol, &err), VGT_OK);
    vgt_soft_view vv = {vol, 0, 0};
    vgt_soft_rect rv = {1, 1, 2, 2};
    assert_int_equal(
        vgt_soft_clear(dev, &vv, NULL, VGT_SVGA3D_CLEAR_COLOR, 0x80112233u, 0, 0, &rv, 1, &err), 0);
    assert_int_equal(vgt_soft_surface_bytes(vol, 0, 0, &d, &len, &err), 0);
    assert_int_equal(len, 4u * 4u * 3u * 4u);
    for (uint32_t z = 0; z < 3; z++) {
        for (uint32_t y = 0; y < 4; y++) {
            for (uint32_t x = 0; x < 4; x++) {
                bool in = x >= 1 && x < 3 && y >= 1 && y < 3;
                assert_int_equal(vgt_load_le32(d + 4 * (z * 16 + y * 4 + x)),
                                 in ? 0x80112233u : 0u);
            }
        }
    }
    vgt_soft_surface_destroy(vol);
    vgt_soft_surface_destroy(d16);
    vgt_soft_surface_destroy(ds);
    vgt_soft_device_destroy(dev);
}

/* The bytes a CLEAR of (flags, rect) writes into a texel of fmt, from the
 * texel's old bytes: the test's own reference, one rect at a time. */
static void ref_clear_texel(uint32_t fmt, uint32_t flags, uint8_t *p)
{
    if (fmt == VGT_SVGA3D_A8R8G8B8) {
        vgt_store_le32(p, 0x80112233u);
    } else if (fmt == VGT_SVGA3D_Z_D16) {
        vgt_store_le16(p, 0xffff); /* depth 1.0 */
    } else if (fmt == VGT_SVGA3D_Z_D32) {
        vgt_store_le32(p, 0x40000000u); /* depth 0.25 */
    } else {
        uint32_t v = vgt_load_le32(p);
        if (flags & VGT_SVGA3D_CLEAR_DEPTH) {
            v = (v & 0xffu) | (0xffffffu << 8);
        }
        if (flags & VGT_SVGA3D_CLEAR_STENCIL) {
            v = (v & ~0xffu) | 0xa5u;
        }
        vgt_store_le32(p, v);
    }
}

/* Clears `rects` of a w x h x d image of fmt (over a pattern) in one call
 * and compares every byte with the rects cleared one by one by
 * ref_clear_texel; the texels the call wrote must be the union's area. */
static void check_clear_list(vgt_soft_device *dev, uint32_t fmt, uint32_t flags, uint32_t w,
                             uint32_t h, uint32_t d, const vgt_soft_rect *rects, uint32_t n)
{
    vgt_error err = {0};
    vgt_soft_surface *s;
    vgt_soft_surface_desc desc = {fmt, w, h, d, 1, 1};
    assert_int_equal(vgt_soft_surface_create(&desc, &s, &err), VGT_OK);
    uint8_t *data;
    size_t len;
    assert_int_equal(vgt_soft_surface_bytes(s, 0, 0, &data, &len, &err), VGT_OK);
    uint32_t bpp = fmt == VGT_SVGA3D_Z_D16 ? 2 : 4;
    assert_int_equal(len, (size_t)w * h * d * bpp);
    uint8_t *want = malloc(len);
    bool *covered = calloc((size_t)w * h, sizeof(bool));
    assert_non_null(want);
    assert_non_null(covered);
    for (size_t i = 0; i < len; i++) {
        data[i] = (uint8_t)(i * 7u + 3u);
    }
    memcpy(want, data, len);
    for (uint32_t i = 0; i < n; i++) {
        int64_t x0 = rects[i].x, y0 = rects[i].y;
        int64_t x1 = x0 + rects[i].w, y1 = y0 + rects[i].h;
        for (int64_t y = y0 < 0 ? 0 : y0; y < y1 && y < h; y++) {
            for (int64_t x = x0 < 0 ? 0 : x0; x < x1 && x < w; x++) {
                covered[y * w + x] = true;
                for (uint32_t z = 0; z < d; z++) {
                    ref_clear_texel(fmt, flags, want + (((size_t)z * h + y) * w + x) * bpp);
                }
            }
        }
    }
    uint64_t area = 0;
    for (size_t i = 0; i < (size_t)w * h; i++) {
        area += covered[i];
    }
    vgt_soft_view v = {s, 0, 0};
    bool color = flags & VGT_SVGA3D_CLEAR_COLOR;
    uint64_t before = vgt_soft_device_clear_texels(dev);
    assert_int_equal(vgt_soft_clear(dev, color ? &v : NULL, color ? NULL : &v, flags, 0x80112233u,
                                    fmt == VGT_SVGA3D_Z_D32 ? 0.25f : 1.0f, 0x1a5, rects, n, &err),
                     VGT_OK);
    for (size_t i = 0; i < len; i++) {
        if (data[i] != want[i]) {
            size_t t = i / bpp;
            fail_msg("format %u flags %u: byte %zu of texel (%zu, %zu, %zu) is 0x%02x, want 0x%02x",
                     fmt, flags, i % bpp, t % w, t / w % h, t / w / h, data[i], want[i]);
        }
    }
    assert_int_equal(vgt_soft_device_clear_texels(dev) - before, area * d);
    free(covered);
    free(want);
    vgt_soft_surface_destroy(s);
}

/* A CLEAR of a rect list writes exactly the pixels of its rects cleared one
 * by one, each once: overlapping, duplicated, nested, out-of-bounds, empty
 * and touching rects, several runs in a row, and 300 rects of a fixed
 * pseudo-random sequence; colour (2D and a volume) and D24S8 (depth,
 * stencil, both), D16 and D32. */
static void test_clear_rect_union(void **state)
{
    (void)state;
    vgt_error err = {0};
    vgt_soft_device *dev;
    assert_int_equal(vgt_soft_device_create(1, &dev, &err), 0);
    static const vgt_soft_rect mixed[] = {
        {1, 1, 5, 4},
        {3, 2, 6, 5}, /* overlapping */
        {1, 1, 5, 4}, /* duplicated */
        {2, 2, 2, 1}, /* nested */
        {-3, -2, 5, 4},
        {14, 10, 100, 100}, /* partly outside */
        {20, 3, 4, 4},
        {-9, 0, 5, 5}, /* wholly outside */
        {5, 5, 0, 3},
        {5, 5, 3, 0}, /* empty */
        {8, 0, 2, 3},
        {10, 0, 2, 3}, /* touching side by side */
        {8, 3, 4, 2},  /* touching below */
        {0, 8, 2, 2},
        {4, 8, 2, 2},                  /* two runs in rows 8, 9 ... */
        {12, 7, 4, 5},                 /* ... three with this one */
        {INT32_MIN, 6, UINT32_MAX, 1}, /* row 6, end to end */
    };
    uint32_t nm = sizeof(mixed) / sizeof(mixed[0]);
    enum { NRAND = 300 };
    vgt_soft_rect *rnd = malloc(NRAND * sizeof(*rnd));
    assert_non_null(rnd);
    uint32_t seed = 12345;
    for (uint32_t i = 0; i < NRAND; i++) {
        uint32_t r[4];
        for (uint32_t k = 0; k < 4; k++) {
            seed = seed * 1103515245u + 12345u;
            r[k] = seed >> 16;
        }
        rnd[i] =
            (vgt_soft_rect){(int32_t)(r[0] % 24) - 4, (int32_t)(r[1] % 20) - 4, r[2] % 9, r[3] % 7};
    }
    const struct {
        uint32_t fmt, flags, d;
    } cases[] = {
        {VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_CLEAR_COLOR, 1},
        {VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_CLEAR_COLOR, 3},
        {VGT_SVGA3D_Z_D24S8, VGT_SVGA3D_CLEAR_DEPTH, 1},
        {VGT_SVGA3D_Z_D24S8, VGT_SVGA3D_CLEAR_STENCIL, 1},
        {VGT_SVGA3D_Z_D24S8, VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL, 1},
        {VGT_SVGA3D_Z_D16, VGT_SVGA3D_CLEAR_DEPTH, 1},
        {VGT_SVGA3D_Z_D32, VGT_SVGA3D_CLEAR_DEPTH, 1},
    };
    for (uint32_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        check_clear_list(dev, cases[c].fmt, cases[c].flags, 16, 12, cases[c].d, mixed, nm);
        check_clear_list(dev, cases[c].fmt, cases[c].flags, 16, 12, cases[c].d, rnd, NRAND);
        check_clear_list(dev, cases[c].fmt, cases[c].flags, 16, 12, cases[c].d, mixed, 1);
    }
    free(rnd);
    vgt_soft_device_destroy(dev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_size),
        cmocka_unit_test(test_surface_create_invalid),
        cmocka_unit_test(test_round_trip_every_format),
        cmocka_unit_test(test_dxt_decode),
        cmocka_unit_test(test_copy_stretch),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_clear_rows),
        cmocka_unit_test(test_clear_rect_union),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
