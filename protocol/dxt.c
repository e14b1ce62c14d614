/* dxt.c - decoding of the S3TC/DXT compressed surface formats, the one
 * decoder of the project (the soft backend samples with it, the gl backend
 * uses it for CPU readbacks of compressed surfaces). */
#include "vgt_protocol.h"

/* ---- DXT ----------------------------------------------------------------
 * Colors are expanded from 5/6 bits by bit replication; the interpolated
 * colors are (2a + b) / 3 and (a + 2b) / 3 on the expanded 8-bit values,
 * rounded down; DXT5 alpha (6a + b) / 7 ... likewise, rounded down. */

static uint32_t expand565(uint32_t c, uint32_t rgb[3])
{
    uint32_t r = (c >> 11) & 31, g = (c >> 5) & 63, b = c & 31;
    rgb[0] = (r << 3) | (r >> 2);
    rgb[1] = (g << 2) | (g >> 4);
    rgb[2] = (b << 3) | (b >> 2);
    return c;
}

static void dxt_color_block(const uint8_t *blk, bool dxt1, uint32_t out[16])
{
    uint32_t c0 = vgt_load_le16(blk), c1 = vgt_load_le16(blk + 2);
    uint32_t a[3], b[3], pal[4][4];
    expand565(c0, a);
    expand565(c1, b);
    for (int i = 0; i < 3; i++) {
        pal[0][i] = a[i];
        pal[1][i] = b[i];
        if (!dxt1 || c0 > c1) {
            pal[2][i] = (2 * a[i] + b[i]) / 3;
            pal[3][i] = (a[i] + 2 * b[i]) / 3;
        } else {
            pal[2][i] = (a[i] + b[i]) / 2;
            pal[3][i] = 0;
        }
    }
    pal[0][3] = pal[1][3] = pal[2][3] = 255;
    pal[3][3] = (!dxt1 || c0 > c1) ? 255 : 0;
    uint32_t bits = vgt_load_le32(blk + 4);
    for (int t = 0; t < 16; t++) {
        uint32_t k = (bits >> (2 * t)) & 3;
        out[t] = (pal[k][3] << 24) | (pal[k][0] << 16) | (pal[k][1] << 8) | pal[k][2];
    }
}

void vgt_svga3d_dxt_decode_block(uint32_t format, const uint8_t *blk, uint32_t out[16])
{
    if (format == VGT_SVGA3D_DXT1) {
        dxt_color_block(blk, true, out);
        return;
    }
    dxt_color_block(blk + 8, false, out);
    if (format == VGT_SVGA3D_DXT2 || format == VGT_SVGA3D_DXT3) { /* explicit 4-bit alpha */
        uint64_t bits = vgt_load_le64(blk);
        for (int t = 0; t < 16; t++) {
            uint32_t a4 = (uint32_t)(bits >> (4 * t)) & 15;
            out[t] = (out[t] & 0x00ffffffu) | ((a4 * 17u) << 24);
        }
        return;
    }
    /* DXT4, DXT5: interpolated alpha */
    uint32_t a0 = blk[0], a1 = blk[1], pal[8];
    pal[0] = a0;
    pal[1] = a1;
    if (a0 > a1) {
        for (uint32_t i = 1; i < 7; i++) {
            pal[i + 1] = ((7 - i) * a0 + i * a1) / 7;
        }
    } else {
        for (uint32_t i = 1; i < 5; i++) {
            pal[i + 1] = ((5 - i) * a0 + i * a1) / 5;
        }
        pal[6] = 0;
        pal[7] = 255;
    }
    uint64_t bits = 0;
    for (int i = 0; i < 6; i++) {
        bits |= (uint64_t)blk[2 + i] << (8 * i);
    }
    for (int t = 0; t < 16; t++) {
        uint32_t k = (uint32_t)(bits >> (3 * t)) & 7;
        out[t] = (out[t] & 0x00ffffffu) | (pal[k] << 24);
    }
}
