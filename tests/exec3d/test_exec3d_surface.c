/* test_exec3d_surface.c - surface size arithmetic (every format, mip chains,
 * cube faces, volumes, overflow), SURFACE_DEFINE validation, SURFACE_DMA in
 * both directions at and past the edges (suffix included) through a fake
 * guest memory, SURFACE_COPY boxes, and null-backend DMA round trips. */
#include "exec3d_test_util.h"

/* ---- size arithmetic ---------------------------------------------------- */

/* Bytes per block and block edge of every legacy format, written out here
 * (not taken from the library) so the table is checked against the protocol. */
static const struct {
    uint32_t format, bytes, block;
} expect_fmt[] = {
    {VGT_SVGA3D_X8R8G8B8, 4, 1},    {VGT_SVGA3D_A8R8G8B8, 4, 1},
    {VGT_SVGA3D_R5G6B5, 2, 1},      {VGT_SVGA3D_X1R5G5B5, 2, 1},
    {VGT_SVGA3D_A1R5G5B5, 2, 1},    {VGT_SVGA3D_A4R4G4B4, 2, 1},
    {VGT_SVGA3D_Z_D32, 4, 1},       {VGT_SVGA3D_Z_D16, 2, 1},
    {VGT_SVGA3D_Z_D24S8, 4, 1},     {VGT_SVGA3D_Z_D15S1, 2, 1},
    {VGT_SVGA3D_LUMINANCE8, 1, 1},  {VGT_SVGA3D_LUMINANCE4_ALPHA4, 1, 1},
    {VGT_SVGA3D_LUMINANCE16, 2, 1}, {VGT_SVGA3D_LUMINANCE8_ALPHA8, 2, 1},
    {VGT_SVGA3D_DXT1, 8, 4},        {VGT_SVGA3D_DXT2, 16, 4},
    {VGT_SVGA3D_DXT3, 16, 4},       {VGT_SVGA3D_DXT4, 16, 4},
    {VGT_SVGA3D_DXT5, 16, 4},       {VGT_SVGA3D_BUMPU8V8, 2, 1},
    {VGT_SVGA3D_BUMPL6V5U5, 2, 1},  {VGT_SVGA3D_BUMPX8L8V8U8, 4, 1},
    {VGT_SVGA3D_BUMPL8V8U8, 3, 1},  {VGT_SVGA3D_ARGB_S10E5, 8, 1},
    {VGT_SVGA3D_ARGB_S23E8, 16, 1}, {VGT_SVGA3D_A2R10G10B10, 4, 1},
    {VGT_SVGA3D_V8U8, 2, 1},        {VGT_SVGA3D_Q8W8V8U8, 4, 1},
    {VGT_SVGA3D_CXV8U8, 2, 1},      {VGT_SVGA3D_X8L8V8U8, 4, 1},
    {VGT_SVGA3D_A2W10V10U10, 4, 1}, {VGT_SVGA3D_ALPHA8, 1, 1},
    {VGT_SVGA3D_R_S10E5, 2, 1},     {VGT_SVGA3D_R_S23E8, 4, 1},
    {VGT_SVGA3D_RG_S10E5, 4, 1},    {VGT_SVGA3D_RG_S23E8, 8, 1},
    {VGT_SVGA3D_BUFFER, 1, 1},      {VGT_SVGA3D_Z_D24X8, 4, 1},
};

static void test_image_size_every_format(void **state)
{
    (void)state;
    assert_int_equal(sizeof(expect_fmt) / sizeof(expect_fmt[0]), VGT_SVGA3D_FORMAT_MAX - 1u);
    for (size_t i = 0; i < sizeof(expect_fmt) / sizeof(expect_fmt[0]); i++) {
        uint32_t f = expect_fmt[i].format, bb = expect_fmt[i].bytes, blk = expect_fmt[i].block;
        const vgt_surface_format_info *fi = vgt_surface_format(f);
        assert_non_null(fi);
        assert_string_equal(fi->name, vgt_svga3d_format_name(f));
        assert_int_equal(fi->block_bytes, bb);
        assert_int_equal(fi->block_width, blk);
        /* 7 x 5 x 3: partial blocks round up. */
        uint32_t row = 0;
        uint64_t slice = 0, total = 0;
        vgt_error err = {0};
        assert_int_equal(vgt_surface_image_size(f, 7, 5, 3, &row, &slice, &total, &err), VGT_OK);
        uint32_t bx = (7 + blk - 1) / blk, by = (5 + blk - 1) / blk;
        assert_int_equal(row, bx * bb);
        assert_int_equal(slice, (uint64_t)bx * bb * by);
        assert_int_equal(total, (uint64_t)bx * bb * by * 3u);
        /* 1 x 1 x 1 is one block. */
        assert_int_equal(vgt_surface_image_size(f, 1, 1, 1, &row, &slice, &total, &err), VGT_OK);
        assert_int_equal(total, bb);
    }
    assert_null(vgt_surface_format(0));
    assert_null(vgt_surface_format(VGT_SVGA3D_FORMAT_MAX));
    assert_true(vgt_surface_format(VGT_SVGA3D_Z_D24S8)->stencil);
    assert_true(vgt_surface_format(VGT_SVGA3D_Z_D16)->depth);
    assert_false(vgt_surface_format(VGT_SVGA3D_Z_D16)->render_target);
    assert_true(vgt_surface_format(VGT_SVGA3D_DXT5)->compressed);
    assert_true(vgt_surface_format(VGT_SVGA3D_BUFFER)->buffer);
    assert_false(vgt_surface_format(VGT_SVGA3D_LUMINANCE8)->render_target);
}

static void test_image_size_rejects(void **state)
{
    (void)state;
    vgt_error err = {0};
    uint32_t row;
    uint64_t slice, total;
    assert_int_equal(
        vgt_surface_image_size(VGT_SVGA3D_A8R8G8B8, 0, 1, 1, &row, &slice, &total, &err),
        VGT_E_RANGE);
    assert_int_equal(
        vgt_surface_image_size(VGT_SVGA3D_A8R8G8B8, 1, 1, 0, &row, &slice, &total, &err),
        VGT_E_RANGE);
    assert_int_equal(vgt_surface_image_size(0, 1, 1, 1, &row, &slice, &total, &err), VGT_E_RANGE);
    assert_int_equal(vgt_surface_image_size(39, 1, 1, 1, &row, &slice, &total, &err), VGT_E_RANGE);
    /* A row of 2^32 - 1 16-byte pixels does not fit a 32-bit pitch. */
    assert_int_equal(vgt_surface_image_size(VGT_SVGA3D_ARGB_S23E8, 0xFFFFFFFFu, 1, 1, &row, &slice,
                                            &total, &err),
                     VGT_E_RANGE);
    assert_non_null(strstr(err.message, "overflows"));
    /* Row fits, but rows * slices does not fit 64 bits. */
    assert_int_equal(vgt_surface_image_size(VGT_SVGA3D_A8R8G8B8, 0x3FFFFFFFu, 0xFFFFFFFFu,
                                            0xFFFFFFFFu, &row, &slice, &total, &err),
                     VGT_E_RANGE);
    /* The largest DXT image that fits: no overflow, exact. */
    assert_int_equal(vgt_surface_image_size(VGT_SVGA3D_DXT1, 0x7FFFFFFCu, 0xFFFFFFFFu, 1, &row,
                                            &slice, &total, &err),
                     VGT_OK);
    assert_int_equal(row, 0xFFFFFFF8u);
    assert_int_equal(total, (uint64_t)0xFFFFFFF8u << 30);
    /* One block wider and the row pitch no longer fits 32 bits. */
    assert_int_equal(
        vgt_surface_image_size(VGT_SVGA3D_DXT1, 0x80000000u, 4, 1, &row, &slice, &total, &err),
        VGT_E_RANGE);
}

static void test_define_chains_cubes_volumes(void **state)
{
    (void)state;
    t3d *t = t3d_new(false);
    /* A 2D mip chain: 16x8, 8x4, 4x2, 2x1, 1x1. */
    cmd_surface(t, 1, 0, VGT_SVGA3D_A8R8G8B8, 5, 16, 8, 1);
    RUN(t, VGT_OK);
    e3d_surface *s = e3d_surface_get(t->e, 1);
    assert_non_null(s);
    static const uint64_t bytes2d[] = {512, 128, 32, 8, 4};
    uint64_t off = 0;
    for (uint32_t m = 0; m < 5; m++) {
        assert_int_equal(s->images[m].bytes, bytes2d[m]);
        assert_int_equal(s->images[m].offset, off);
        off += bytes2d[m];
    }
    assert_int_equal(s->total_bytes, 684);
    /* A DXT1 cube: 6 faces of 8x8, 4x4, 2x2, 1x1 (blocks of 4x4, 8 bytes). */
    cmd_surface(t, 2, VGT_SVGA3D_SURFACE_CUBEMAP, VGT_SVGA3D_DXT1, 4, 8, 8, 1);
    RUN(t, VGT_OK);
    s = e3d_surface_get(t->e, 2);
    assert_int_equal(s->faces, 6);
    assert_int_equal(s->images[0].bytes, 32);
    assert_int_equal(s->images[1].bytes, 8);
    assert_int_equal(s->images[3].bytes, 8);
    assert_int_equal(s->images[4].offset, 56); /* face 1, level 0 */
    assert_int_equal(s->total_bytes, 6u * 56u);
    /* A volume: 4x4x4, 2x2x2, 1x1x1. */
    cmd_surface(t, 3, 0, VGT_SVGA3D_A8R8G8B8, 3, 4, 4, 4);
    RUN(t, VGT_OK);
    s = e3d_surface_get(t->e, 3);
    assert_int_equal(s->images[0].bytes, 256);
    assert_int_equal(s->images[0].slice_pitch, 64);
    assert_int_equal(s->images[1].bytes, 32);
    assert_int_equal(s->images[2].bytes, 4);
    assert_int_equal(s->total_bytes, 292);
    assert_int_equal(t->e->surface_bytes, 684u + 336u + 292u);
    assert_int_equal(t3d_counters(t).surfaces_alive, 3);
    t3d_free(t);
}

static void test_define_rejects(void **state)
{
    (void)state;
    t3d *t = t3d_new(false);
    cmd_surface(t, 1, 0, VGT_SVGA3D_A8R8G8B8, 1, 4, 4, 1);
    RUN(t, VGT_OK);
    /* A broken mip chain (level 1 must be 8x4). */
    cmd_surface(t, 2, 0, VGT_SVGA3D_A8R8G8B8, 2, 16, 8, 1);
    t->words[t->n - 3] = 7;
    RUN(t, VGT_E_INVALID);
    assert_non_null(strstr(t->err.message, "mip chain"));
    /* More levels than the size allows. */
    cmd_surface(t, 2, 0, VGT_SVGA3D_A8R8G8B8, 6, 16, 8, 1);
    RUN(t, VGT_E_INVALID);
    /* A cube with non-square faces. */
    cmd_surface(t, 2, VGT_SVGA3D_SURFACE_CUBEMAP, VGT_SVGA3D_A8R8G8B8, 1, 8, 4, 1);
    RUN(t, VGT_E_INVALID);
    /* A buffer with mip levels. */
    cmd_surface(t, 2, 0, VGT_SVGA3D_BUFFER, 2, 64, 1, 1);
    RUN(t, VGT_E_INVALID);
    /* An id beyond the table. */
    cmd_surface(t, VGT_EXEC3D_MAX_SURFACE_IDS, 0, VGT_SVGA3D_A8R8G8B8, 1, 4, 4, 1);
    RUN(t, VGT_E_RANGE);
    /* Wider than the backend allows. */
    cmd_surface(t, 2, 0, VGT_SVGA3D_A8R8G8B8, 1, 16384, 4, 1);
    RUN(t, VGT_E_RANGE);
    /* More bytes than one surface may have (a 2 GiB buffer). */
    cmd_surface(t, 2, 0, VGT_SVGA3D_BUFFER, 1, 0x80000000u, 1, 1);
    RUN(t, VGT_E_RANGE);
    /* A failed redefinition of a live id leaves the old surface. */
    cmd_surface(t, 1, 0, VGT_SVGA3D_A8R8G8B8, 6, 16, 8, 1);
    RUN(t, VGT_E_INVALID);
    e3d_surface *s = e3d_surface_get(t->e, 1);
    assert_non_null(s);
    assert_int_equal(s->size.width, 4);
    assert_null(e3d_surface_get(t->e, 2));
    assert_int_equal(t->e->surface_count, 1);
    assert_int_equal(t3d_counters(t).surfaces_alive, 1);
    /* Destroying an unknown id. */
    cmd_cid(t, VGT_SVGA3D_CMD_SURFACE_DESTROY, 9);
    RUN(t, VGT_E_NOTFOUND);
    /* Redefining a live id replaces it. */
    cmd_surface(t, 1, 0, VGT_SVGA3D_R5G6B5, 1, 8, 8, 1);
    RUN(t, VGT_OK);
    assert_int_equal(e3d_surface_get(t->e, 1)->format, VGT_SVGA3D_R5G6B5);
    assert_int_equal(t3d_counters(t).surfaces_alive, 1);
    assert_int_equal(t->e->surface_bytes, 128);
    t3d_free(t);
}

/* ---- SURFACE_DMA ---------------------------------------------------------- */

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)((i * 31u + seed * 7u + (i >> 8)) & 0xFFu);
    }
}

/* Writes a 16x16 A8R8G8B8 image from GMR 0 (pitch 64) into surface 1, then
 * reads it back into GMR 1 with pitch 128: the bytes come back. */
static void test_dma_round_trip(void **state)
{
    (void)state;
    t3d *t = t3d_new(true);
    cmd_surface(t, 1, 0, VGT_SVGA3D_A8R8G8B8, 1, 16, 16, 1);
    RUN(t, VGT_OK);
    fill(t->mem.gmr[0], 4096, 1);
    cmd_dma(t, 0, 0, 64, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 16, 16, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    assert_int_equal(t->res.bytes_read, 1024);
    cmd_dma(t, 1, 256, 128, 1, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 0, 0, 0, 16, 16, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    assert_int_equal(t->res.bytes_written, 1024);
    for (uint32_t y = 0; y < 16; y++) {
        assert_memory_equal(t->mem.gmr[1] + 256 + y * 128, t->mem.gmr[0] + y * 64, 64);
        /* Bytes between the rows are untouched. */
        assert_int_equal(t->mem.gmr[1][256 + y * 128 + 64], 0);
    }
    /* A sub-box: 3x2 pixels at (5, 7) from guest origin (1, 1). */
    memset(t->mem.gmr[2], 0xAB, 4096);
    cmd_dma(t, 2, 0, 0, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM); /* pitch 0: 64 */
    c_box(t, 5, 7, 0, 3, 2, 1, 1, 1, 0);
    RUN(t, VGT_OK);
    assert_int_equal(t->res.bytes_read, 24);
    cmd_dma(t, 1, 0, 64, 1, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 0, 0, 0, 16, 16, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    for (uint32_t y = 0; y < 16; y++) {
        for (uint32_t x = 0; x < 16; x++) {
            uint8_t want =
                (x >= 5 && x < 8 && y >= 7 && y < 9) ? 0xAB : t->mem.gmr[0][y * 64 + x * 4];
            assert_int_equal(t->mem.gmr[1][y * 64 + x * 4], want);
        }
    }
    vgt_backend_null_counters n = t3d_counters(t);
    assert_int_equal(n.uploads, 2);
    assert_int_equal(n.downloads, 2);
    assert_int_equal(n.upload_bytes, 1024 + 24);
    t3d_free(t);
}

static void test_dma_edges(void **state)
{
    (void)state;
    t3d *t = t3d_new(true);
    cmd_surface(t, 1, 0, VGT_SVGA3D_A8R8G8B8, 2, 16, 16, 1);
    RUN(t, VGT_OK);
    /* At the right and bottom edges: fine. */
    cmd_dma(t, 0, 0, 64, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 12, 12, 0, 4, 4, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    uint64_t reads = t->mem.reads;
    uint64_t uploads = t3d_counters(t).uploads;
    /* One pixel past: rejected before any guest read. */
    cmd_dma(t, 0, 0, 64, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 13, 12, 0, 4, 4, 1, 0, 0, 0);
    RUN(t, VGT_E_RANGE);
    assert_non_null(strstr(t->err.message, "box 0"));
    cmd_dma(t, 0, 0, 64, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 1, 4, 4, 1, 0, 0, 0); /* z past a 2D image */
    RUN(t, VGT_E_RANGE);
    /* x + w wraps around 32 bits. */
    cmd_dma(t, 0, 0, 64, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0xFFFFFFF0u, 0, 0, 0x20, 1, 1, 0, 0, 0);
    RUN(t, VGT_E_RANGE);
    /* Level 1 is 8x8: a box that fits level 0 does not fit it. */
    cmd_dma(t, 0, 0, 64, 1, 0, 1, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 9, 1, 1, 0, 0, 0);
    RUN(t, VGT_E_RANGE);
    /* No such level, face, surface. */
    cmd_dma(t, 0, 0, 64, 1, 0, 2, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 1, 1, 1, 0, 0, 0);
    RUN(t, VGT_E_RANGE);
    cmd_dma(t, 0, 0, 64, 1, 1, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 1, 1, 1, 0, 0, 0);
    RUN(t, VGT_E_RANGE);
    cmd_dma(t, 0, 0, 64, 7, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 1, 1, 1, 0, 0, 0);
    RUN(t, VGT_E_NOTFOUND);
    /* A second, bad box: the first is not applied either. */
    cmd_dma(t, 0, 0, 64, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 4, 4, 1, 0, 0, 0);
    c_box(t, 0, 0, 0, 17, 1, 1, 0, 0, 0);
    RUN(t, VGT_E_RANGE);
    assert_non_null(strstr(t->err.message, "box 1"));
    assert_int_equal(t->mem.reads, reads);
    assert_int_equal(t3d_counters(t).uploads, uploads);
    /* An empty box moves nothing. */
    cmd_dma(t, 0, 0, 64, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 3, 3, 0, 0, 5, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    assert_int_equal(t->mem.reads, reads);
    /* Guest rows past the GMR's end: the memory interface refuses. */
    cmd_dma(t, 0, (1u << 20) - 64u * 3u, 64, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 16, 4, 1, 0, 0, 0);
    RUN(t, VGT_E_RANGE);
    assert_non_null(strstr(t->err.message, "GMR 0"));
    /* A guest origin that reaches past 4 GiB. */
    cmd_dma(t, 0, 0xFFFFFF00u, 64, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 16, 16, 1, 0, 0, 0);
    RUN(t, VGT_E_RANGE);
    /* Unknown GMR. */
    cmd_dma(t, 3 + 9, 0, 64, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 1, 1, 1, 0, 0, 0);
    RUN(t, VGT_E_NOTFOUND);
    t3d_free(t);
}

/* The suffix's maximum offset bounds the guest bytes touched (exclusive,
 * relative to the guest pointer); its flags are accepted hints. */
static void test_dma_suffix(void **state)
{
    (void)state;
    t3d *t = t3d_new(true);
    cmd_surface(t, 1, 0, VGT_SVGA3D_BUFFER, 1, 256, 1, 1);
    RUN(t, VGT_OK);
    fill(t->mem.gmr[0], 1024, 3);
    /* 100 bytes from guest offset 40 + 10: the last byte is at 149. */
    cmd_dma(t, 0, 40, 0, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 100, 1, 1, 10, 0, 0);
    c_suffix(t, 110, VGT_SVGA3D_DMA_FLAG_DISCARD);
    RUN(t, VGT_OK);
    cmd_dma(t, 0, 40, 0, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 100, 1, 1, 10, 0, 0);
    c_suffix(t, 109, VGT_SVGA3D_DMA_FLAG_UNSYNCHRONIZED);
    RUN(t, VGT_E_RANGE);
    assert_non_null(strstr(t->err.message, "maximum offset"));
    /* Read it back (no suffix: unlimited). */
    cmd_dma(t, 2, 0, 0, 1, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 0, 0, 0, 100, 1, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    assert_memory_equal(t->mem.gmr[2], t->mem.gmr[0] + 50, 100);
    t3d_free(t);
}

/* A guest memory failure in the middle leaves the host surface as it was. */
static void test_dma_guest_failure_keeps_host(void **state)
{
    (void)state;
    t3d *t = t3d_new(true);
    cmd_surface(t, 1, 0, VGT_SVGA3D_A8R8G8B8, 1, 4, 4, 1);
    RUN(t, VGT_OK);
    fill(t->mem.gmr[0], 64, 5);
    cmd_dma(t, 0, 0, 16, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 4, 4, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    memset(t->mem.gmr[0], 0x55, 64);
    t->mem.fail_next = true; /* the first row read fails: pitch 20 is row by row */
    cmd_dma(t, 0, 0, 20, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 4, 4, 1, 0, 0, 0);
    RUN(t, VGT_E_NOTFOUND);
    cmd_dma(t, 1, 0, 16, 1, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 0, 0, 0, 4, 4, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    uint8_t want[64];
    fill(want, 64, 5);
    assert_memory_equal(t->mem.gmr[1], want, 64);
    t3d_free(t);
}

/* DXT boxes are whole 4x4 blocks (or reach the edge); volumes move slices. */
static void test_dma_blocks_and_volumes(void **state)
{
    (void)state;
    t3d *t = t3d_new(true);
    cmd_surface(t, 1, 0, VGT_SVGA3D_DXT1, 1, 7, 7, 1); /* 2x2 blocks */
    RUN(t, VGT_OK);
    cmd_dma(t, 0, 0, 0, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 2, 0, 0, 4, 4, 1, 0, 0, 0);
    RUN(t, VGT_E_INVALID);
    cmd_dma(t, 0, 0, 0, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 3, 4, 1, 0, 0, 0); /* 3 wide, not at the edge */
    RUN(t, VGT_E_INVALID);
    cmd_dma(t, 0, 0, 0, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 4, 4, 1, 1, 0, 0); /* guest origin not on a block */
    RUN(t, VGT_E_INVALID);
    fill(t->mem.gmr[0], 64, 9);
    cmd_dma(t, 0, 0, 0, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 7, 7, 1, 0, 0, 0); /* reaches the edge: 2x2 blocks, 32 bytes */
    RUN(t, VGT_OK);
    assert_int_equal(t->res.bytes_read, 32);
    cmd_dma(t, 1, 0, 0, 1, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 4, 4, 0, 3, 3, 1, 4, 4, 0); /* the last block */
    RUN(t, VGT_OK);
    assert_memory_equal(t->mem.gmr[1] + 16 + 8, t->mem.gmr[0] + 24, 8);

    cmd_surface(t, 2, 0, VGT_SVGA3D_A8R8G8B8, 1, 4, 4, 4);
    RUN(t, VGT_OK);
    fill(t->mem.gmr[0], 256, 11);
    cmd_dma(t, 0, 0, 16, 2, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 4, 4, 4, 0, 0, 0);
    RUN(t, VGT_OK);
    /* Slice 2, rows 1..2, pixels 1..2, into a tight guest image (pitch 8). */
    memset(t->mem.gmr[1], 0, 256);
    cmd_dma(t, 1, 0, 8, 2, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 1, 1, 2, 2, 2, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    assert_memory_equal(t->mem.gmr[1], t->mem.gmr[0] + 2 * 64 + 1 * 16 + 4, 8);
    assert_memory_equal(t->mem.gmr[1] + 8, t->mem.gmr[0] + 2 * 64 + 2 * 16 + 4, 8);
    /* z + d past the depth. */
    cmd_dma(t, 1, 0, 8, 2, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 0, 0, 3, 1, 1, 2, 0, 0, 0);
    RUN(t, VGT_E_RANGE);
    t3d_free(t);
}

/* svga3d_reg.h, SVGA3dGuestImage: for a compressed format the pitch is the
 * bytes between vertically adjacent rows of blocks (here 40, where a
 * tight DXT1 8x8 image has 16); pitch 0 is the tight pitch. */
static void test_dma_block_row_pitch(void **state)
{
    (void)state;
    t3d *t = t3d_new(true);
    cmd_surface(t, 1, 0, VGT_SVGA3D_DXT1, 1, 8, 8, 1); /* 2x2 blocks of 8 bytes */
    RUN(t, VGT_OK);
    fill(t->mem.gmr[0], 128, 5);
    cmd_dma(t, 0, 0, 40, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 8, 8, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    assert_int_equal(t->res.bytes_read, 32);
    cmd_dma(t, 1, 0, 0, 1, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 0, 0, 0, 8, 8, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    assert_memory_equal(t->mem.gmr[1], t->mem.gmr[0], 16);
    assert_memory_equal(t->mem.gmr[1] + 16, t->mem.gmr[0] + 40, 16);
    /* The second block row alone, from guest row 4 (block row 1). */
    memset(t->mem.gmr[2], 0, 64);
    cmd_dma(t, 2, 0, 40, 1, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 0, 4, 0, 8, 4, 1, 0, 4, 0);
    RUN(t, VGT_OK);
    assert_memory_equal(t->mem.gmr[2] + 40, t->mem.gmr[0] + 40, 16);
    assert_int_equal(t->mem.gmr[2][0], 0);
    t3d_free(t);
}

/* Without keep_contents the null backend stores nothing: reads give zeros. */
static void test_null_without_contents(void **state)
{
    (void)state;
    t3d *t = t3d_new(false);
    cmd_surface(t, 1, 0, VGT_SVGA3D_BUFFER, 1, 64, 1, 1);
    RUN(t, VGT_OK);
    fill(t->mem.gmr[0], 64, 2);
    cmd_dma(t, 0, 0, 0, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 64, 1, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    assert_int_equal(t->res.bytes_read, 64); /* the guest bytes are still read */
    memset(t->mem.gmr[1], 0x77, 64);
    cmd_dma(t, 1, 0, 0, 1, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 0, 0, 0, 64, 1, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    for (int i = 0; i < 64; i++) {
        assert_int_equal(t->mem.gmr[1][i], 0);
    }
    t3d_free(t);
}

/* The null backend's destroy frees the surfaces still alive, as
 * vgt_backend_ops.destroy promises (the analyzer's native re-issue of a
 * trace that never destroyed its surfaces leaves them to it; they leaked:
 * ASan's leak check holds this test to it), with and without contents,
 * after destroys of the newest, a middle, the newest again and the oldest
 * surface (the list of live surfaces relinked each time: ASan holds that too). */
static void test_null_destroy_frees_alive(void **state)
{
    (void)state;
    for (int keep = 0; keep < 2; keep++) {
        vgt_backend_options o = {.keep_contents = keep != 0};
        vgt_backend be;
        vgt_error err = {0};
        assert_int_equal(vgt_backend_null_create(&o, &be, &err), VGT_OK);
        vgt_backend_surface *sf[5] = {0};
        for (int i = 0; i < 5; i++) {
            vgt_backend_surface_desc d = {.sid = (uint32_t)i,
                                          .format = VGT_SVGA3D_BUFFER,
                                          .faces = 1,
                                          .mip_levels = 1,
                                          .size = {64, 1, 1},
                                          .total_bytes = 64};
            assert_int_equal(be.ops->surface_define(be.self, &d, &sf[i], &err), VGT_OK);
        }
        be.ops->surface_destroy(be.self, sf[4]); /* the newest */
        be.ops->surface_destroy(be.self, sf[2]); /* a middle one */
        be.ops->surface_destroy(be.self, sf[3]); /* the newest since sf[4] went */
        be.ops->surface_destroy(be.self, sf[0]); /* the oldest */
        vgt_backend_null_counters c;
        assert_int_equal(vgt_backend_null_counters_get(&be, &c), VGT_OK);
        assert_int_equal(c.surfaces_alive, 1);
        vgt_backend_destroy(&be); /* sf[1] freed here */
    }
}

/* ---- SURFACE_COPY --------------------------------------------------------- */

static void cmd_copy(t3d *t, uint32_t src, uint32_t dst)
{
    c_begin(t, VGT_SVGA3D_CMD_SURFACE_COPY);
    uint32_t ids[6] = {src, 0, 0, dst, 0, 0};
    c_mem(t, ids, sizeof(ids));
}

static void test_surface_copy(void **state)
{
    (void)state;
    t3d *t = t3d_new(true);
    cmd_surface(t, 1, 0, VGT_SVGA3D_A8R8G8B8, 1, 8, 8, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, 2, 0, VGT_SVGA3D_X8R8G8B8, 1, 4, 4, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, 3, 0, VGT_SVGA3D_R5G6B5, 1, 8, 8, 1);
    RUN(t, VGT_OK);
    fill(t->mem.gmr[0], 256, 4);
    cmd_dma(t, 0, 0, 32, 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 8, 8, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    /* Destination box outside the 4x4 destination. */
    cmd_copy(t, 1, 2);
    c_box(t, 2, 2, 0, 3, 2, 1, 0, 0, 0);
    RUN(t, VGT_E_RANGE);
    assert_non_null(strstr(t->err.message, "destination"));
    /* Source box outside the 8x8 source. */
    cmd_copy(t, 1, 2);
    c_box(t, 0, 0, 0, 4, 4, 1, 5, 0, 0);
    RUN(t, VGT_E_RANGE);
    assert_non_null(strstr(t->err.message, "source"));
    cmd_copy(t, 1, 2);
    c_box(t, 0, 0, 0, 1, 1, 1, 0xFFFFFFFFu, 0, 0);
    RUN(t, VGT_E_RANGE);
    /* Different pixel sizes. */
    cmd_copy(t, 1, 3);
    c_box(t, 0, 0, 0, 1, 1, 1, 0, 0, 0);
    RUN(t, VGT_E_INVALID);
    /* Unknown surface. */
    cmd_copy(t, 1, 9);
    c_box(t, 0, 0, 0, 1, 1, 1, 0, 0, 0);
    RUN(t, VGT_E_NOTFOUND);
    assert_int_equal(t3d_counters(t).copies, 0);
    /* A good one: source (4,4) 4x4 to the whole destination. */
    cmd_copy(t, 1, 2);
    c_box(t, 0, 0, 0, 4, 4, 1, 4, 4, 0);
    RUN(t, VGT_OK);
    cmd_dma(t, 1, 0, 16, 2, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 0, 0, 0, 4, 4, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    for (uint32_t y = 0; y < 4; y++) {
        assert_memory_equal(t->mem.gmr[1] + y * 16, t->mem.gmr[0] + (4 + y) * 32 + 16, 16);
    }
    /* Overlapping copy inside one surface: rows 0..3 down by one. */
    cmd_copy(t, 1, 1);
    c_box(t, 0, 1, 0, 8, 4, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    cmd_dma(t, 1, 0, 32, 1, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 0, 0, 0, 8, 8, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    assert_memory_equal(t->mem.gmr[1] + 32, t->mem.gmr[0], 4 * 32);
    assert_memory_equal(t->mem.gmr[1] + 5 * 32, t->mem.gmr[0] + 5 * 32, 3 * 32);
    t3d_free(t);
}

static void cmd_mipmaps(t3d *t, uint32_t sid)
{
    c_begin(t, VGT_SVGA3D_CMD_GENERATE_MIPMAPS);
    c_u32(t, sid);
    c_u32(t, VGT_SVGA3D_TEX_FILTER_LINEAR);
}

/* GENERATE_MIPMAPS: refused on depth, block-compressed and buffer surfaces
 * and on an undefined one (e3d_mipmaps_check, which vgt surfaces follows
 * too); taken on colour surfaces, one of a single level included. */
static void test_generate_mipmaps_rules(void **state)
{
    (void)state;
    t3d *t = t3d_new(true);
    cmd_surface(t, 1, 0, VGT_SVGA3D_A8R8G8B8, 3, 8, 8, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, 2, 0, VGT_SVGA3D_Z_D24S8, 1, 8, 8, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, 3, 0, VGT_SVGA3D_DXT1, 1, 8, 8, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, 4, 0, VGT_SVGA3D_BUFFER, 1, 64, 1, 1);
    RUN(t, VGT_OK);
    cmd_surface(t, 5, 0, VGT_SVGA3D_X8R8G8B8, 1, 8, 8, 1);
    RUN(t, VGT_OK);
    const uint32_t refused[] = {2, 3, 4};
    for (size_t i = 0; i < 3; i++) {
        cmd_mipmaps(t, refused[i]);
        RUN(t, VGT_E_INVALID);
        assert_non_null(strstr(t->err.message, "uncompressed color formats only"));
    }
    cmd_mipmaps(t, 9);
    RUN(t, VGT_E_NOTFOUND);
    cmd_mipmaps(t, 1);
    RUN(t, VGT_OK);
    cmd_mipmaps(t, 5);
    RUN(t, VGT_OK);
    t3d_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_size_every_format),
        cmocka_unit_test(test_image_size_rejects),
        cmocka_unit_test(test_define_chains_cubes_volumes),
        cmocka_unit_test(test_define_rejects),
        cmocka_unit_test(test_dma_round_trip),
        cmocka_unit_test(test_dma_edges),
        cmocka_unit_test(test_dma_suffix),
        cmocka_unit_test(test_dma_guest_failure_keeps_host),
        cmocka_unit_test(test_dma_blocks_and_volumes),
        cmocka_unit_test(test_dma_block_row_pitch),
        cmocka_unit_test(test_null_without_contents),
        cmocka_unit_test(test_null_destroy_frees_alive),
        cmocka_unit_test(test_surface_copy),
        cmocka_unit_test(test_generate_mipmaps_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
